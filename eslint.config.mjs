// ESLint flat config: TypeScript's recommended rules, plus the architecture's boundaries
// (the engine never imports vscode, the DOM side, or the extension).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["out/**", "dist/**", "node_modules/**", "test/fixtures/**", "artifacts/**", "**/*.js", "**/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    files: ["engine/**/*.ts", "python/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: ["vscode", "../extension/*", "../../extension/*", "../webview/*", "../../webview/*"] },
      ],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
);
