// ESLint flat config: TypeScript's recommended rules, plus the architecture's boundaries
// (the engine never imports vscode, the DOM side, or the extension; each thread's folder
// imports only what runs on that thread, and they meet in extension/runProtocol/).
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
  {
    // Kernels know typed arrays and shapes: no Tensor, no graph, nothing of the layers above.
    files: ["engine/kernels/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            "vscode", "../../extension/*", "../../webview/*",
            "../tensor", "../tensorKernels", "../autograd/*", "../ops/*", "../nn/*", "../optim/*", "../trace/*",
          ],
        },
      ],
    },
  },
  {
    // Inside the sandbox's vm context: no Node, no VS Code (nothing of either is in reach there).
    files: ["extension/sandbox/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            "vscode", "fs", "path", "vm", "v8", "util", "os", "child_process", "worker_threads",
            "node:*", "**/worker/*", "**/runner/*", "**/transpiler/*",
          ],
        },
      ],
    },
  },
  {
    // The run worker and the transpiler worker: Node threads without VS Code.
    files: ["extension/worker/**/*.ts", "extension/transpiler/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["vscode", "**/runner/*"] }],
    },
  },
  {
    // The extension host and the CLI: they talk to the worker only through runProtocol's types.
    files: ["extension/*.ts", "extension/{runner,commands,session,diagnostics,inlayHints,codeActions}/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: ["**/sandbox/*", "**/worker/*", "**/transpiler/*", "**/engine/*"] },
      ],
    },
  },
);
