// Three bundles: the extension side (Node, `vscode` external), the model sandbox (the engine
// and the run code, evaluated inside a vm context per run) and the webview page (browser).
// The engine is also built into its own file, the package `gradlens` for the CLI and types.
"use strict";
const path = require("path");

const tsRule = {
  test: /\.ts$/,
  exclude: /node_modules/,
  use: [{ loader: "ts-loader", options: { transpileOnly: true, configFile: "tsconfig.json" } }],
};

/**
 * In a `vm` context made by Node before 22.8, every global lookup (`Math`, `Float32Array`)
 * goes through Node's interceptor: ~100× slower than a local (2 s instead of 25 ms for 2e7
 * `Math.min` calls). The sandbox bundle is wrapped in a function that binds the intrinsics it
 * uses as locals, taken from the context's global when it runs (after the memory guard
 * script, so the typed arrays are the guarded ones).
 */
const INTRINSICS = [
  "Math", "Array", "Object", "Number", "String", "Boolean", "Symbol", "BigInt", "JSON", "Date",
  "RegExp", "Map", "Set", "WeakMap", "WeakSet", "WeakRef", "Promise", "Reflect", "Proxy",
  "Error", "TypeError", "RangeError", "SyntaxError", "EvalError", "ReferenceError", "URIError",
  "ArrayBuffer", "SharedArrayBuffer", "DataView", "Float32Array", "Float64Array", "Int8Array",
  "Int16Array", "Int32Array", "Uint8Array", "Uint8ClampedArray", "Uint16Array", "Uint32Array",
  "BigInt64Array", "BigUint64Array", "Infinity", "NaN", "isFinite", "isNaN", "parseFloat",
  "parseInt", "Intl",
];
function localIntrinsics(/** @type {RegExp} */ include) {
  const { BannerPlugin } = require("webpack");
  return [
    new BannerPlugin({
      raw: true,
      include,
      banner: `(function () {\nconst { ${INTRINSICS.join(", ")} } = globalThis;`,
    }),
    new BannerPlugin({ raw: true, include, footer: true, banner: "})();" }),
  ];
}

/** @type {(env: unknown, argv: { mode?: string }) => import("webpack").Configuration[]} */
module.exports = (_env, argv) => {
  const dev = argv.mode !== "production";
  return [
    {
      name: "extension",
      target: "node",
      mode: dev ? "development" : "production",
      entry: {
        extension: "./extension/extension.ts",
        worker: "./extension/worker/worker.ts",
        kernelHelper: "./extension/kernelThreads/kernelHelper.ts",
        transpileWorker: "./extension/transpiler/transpileWorker.ts",
        engine: "./engine/index.ts",
        cli: "./extension/cli.ts",
      },
      output: {
        path: path.resolve(__dirname, "dist"),
        filename: "[name].js",
        library: { type: "commonjs2" },
        devtoolModuleFilenameTemplate: "../[resource-path]",
      },
      // typescript is bundled (into transpileWorker.js, which transpiles user code): a .vsix
      // ships no node_modules.
      externals: { vscode: "commonjs vscode" },
      resolve: { extensions: [".ts", ".js"] },
      module: { rules: [tsRule] },
      devtool: "nosources-source-map",
      // typescript.js requires optional modules by expression; it runs fine bundled.
      ignoreWarnings: [{ module: /node_modules[\\/]typescript[\\/]/ }],
      optimization: { minimize: false },
      performance: { hints: false },
    },
    {
      // What runs inside a model's sandbox (a vm context with no Node and no code generation
      // from strings): the engine and the run code, as one plain script. Target "web" makes a
      // Node built-in imported by mistake a build error instead of a `require` that fails.
      name: "sandbox",
      target: ["web", "es2022"],
      mode: dev ? "development" : "production",
      entry: {
        sandboxGuard: "./extension/sandbox/guardMain.ts",
        sandbox: "./extension/sandbox/main.ts",
      },
      output: { path: path.resolve(__dirname, "dist"), filename: "[name].js", iife: true },
      plugins: localIntrinsics(/^sandbox\.js$/),
      resolve: { extensions: [".ts", ".js"] },
      module: { rules: [tsRule] },
      // never an eval devtool: the sandbox forbids eval
      devtool: false,
      optimization: { minimize: false },
      performance: { hints: false },
    },
    {
      name: "webview",
      target: "web",
      mode: dev ? "development" : "production",
      entry: { webview: "./webview/main.ts" },
      output: { path: path.resolve(__dirname, "dist"), filename: "[name].js" },
      resolve: { extensions: [".ts", ".js"] },
      module: { rules: [tsRule] },
      // Never an eval source map here: the webview's CSP forbids eval.
      devtool: dev ? "source-map" : false,
      performance: { hints: false },
    },
  ];
};
