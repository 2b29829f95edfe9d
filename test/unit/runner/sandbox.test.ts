/**
 * The model sandbox, tried as an attacker would: one model file per escape route, each run in a
 * real sandbox (sandboxHost.ts) in this thread. Every route must end in the sandbox's own
 * error, never in Node's `process`. Memory routes: every way to allocate an ArrayBuffer counts
 * against the limit.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MODELS, runInSandbox, runSource } from "./fixtures";
import { Sandbox } from "../../../extension/worker/sandboxHost";
import { transpile } from "../../../extension/transpiler/transpile";
import { WARM_UP } from "../../../extension/worker/warmUp";

/**
 * A model that tries `routes` (name → a function body returning what it reached) and logs, per
 * route, `name: ESCAPED` when it reached Node's process, else `name: <error name>` or
 * `name: no process`.
 */
function attempt(routes: Record<string, string>, prelude = ""): string {
  const lines = [
    'import * as torch from "gradlens";',
    "declare const __gradlens: any;",
    prelude,
    "const isNodeProcess = (p: any) => !!p && typeof p.pid === 'number' && typeof p.getBuiltinModule === 'function' || !!p && typeof p.binding === 'function';",
    "const report = (name: string, f: () => any) => {",
    "  try { console.log(name + ': ' + (isNodeProcess(f()) ? 'ESCAPED' : 'no process')); }",
    "  catch (e: any) { console.log(name + ': ' + (e && e.name)); }",
    "};",
  ];
  for (const [name, body] of Object.entries(routes))
    lines.push(`report(${JSON.stringify(name)}, () => { ${body} });`);
  return lines.join("\n") + "\n";
}

function outcomes(logs: string[]): Record<string, string> {
  return Object.fromEntries(logs.map((l) => l.split(": ")));
}

test("sandbox: no global of Node's is there: process, require, module's Node, Buffer, WebAssembly", async () => {
  const r = await runSource(
    'console.log([typeof (globalThis as any).process, typeof (globalThis as any).require, typeof (globalThis as any).Buffer, typeof (globalThis as any).WebAssembly, typeof (globalThis as any).global, typeof (globalThis as any).__gradlensStart].join(" "));\n' +
      "console.log(typeof (process as any).getBuiltinModule, typeof (process as any).binding, typeof (process as any).kill, typeof (process as any).dlopen, Object.keys(process.env).length);\n" +
      "console.log(typeof (module as any).constructor._load, typeof (require as any).cache, typeof (require as any).resolve);\n",
  );
  assert.equal(r.ok, true, r.error?.message);
  assert.deepEqual(r.logs, [
    "undefined undefined undefined undefined undefined undefined",
    "undefined undefined undefined undefined 0",
    "undefined undefined undefined",
  ]);
});

test("sandbox: Function, eval and the async/generator Function constructors cannot make code", async () => {
  const r = await runSource(
    attempt({
      Function: 'return new Function("return process")();',
      "indirect eval": 'return (0, eval)("process");',
      "direct eval": 'return eval("process");',
      AsyncFunction: 'return (async function () {}).constructor("return process");',
      GeneratorFunction: 'return (function* () {}).constructor("return process")().next().value;',
      AsyncGeneratorFunction: 'return (async function* () {}).constructor("return process");',
      "this.constructor.constructor": 'return (this as any).constructor.constructor("return process")();',
      "globalThis.constructor.constructor": 'return (globalThis as any).constructor.constructor("return process")();',
      "setTimeout string": 'return (setTimeout as any)("1", 0) && undefined;',
    }),
  );
  assert.equal(r.ok, true, r.error?.message);
  const o = outcomes(r.logs);
  for (const [name, got] of Object.entries(o)) assert.notEqual(got, "ESCAPED", name);
  for (const name of ["Function", "indirect eval", "direct eval", "AsyncFunction", "GeneratorFunction", "AsyncGeneratorFunction", "this.constructor.constructor", "globalThis.constructor.constructor"])
    assert.equal(o[name], "EvalError", `${name}: ${o[name]}`);
  assert.equal(o["setTimeout string"], "TypeError");
});

test("sandbox: no object the runner hands over leads to the worker's Function, along any prototype chain", async () => {
  // Walks every value reachable from what a model is given (to a depth), and tries the
  // Function constructor of each function's and object's constructor chain.
  const prelude = [
    "const roots: Record<string, any> = { torch, console, process, require, module, exports, __gradlens, setTimeout, setInterval, setImmediate, queueMicrotask, performance, assert: require('assert'), tensor: torch.ones(2, { requiresGrad: true }).mul(2), layer: new torch.nn.Linear(2, 2), error: (() => { try { torch.ones(2).view(3); } catch (e) { return e; } })() };",
    "const seen = new Set<any>();",
    "let escapes = 0; let tried = 0;",
    "const tryCtor = (F: any) => { if (typeof F !== 'function') return; tried++; try { const p = F('return process')(); if (isNodeProcess(p)) escapes++; } catch {} };",
    "const walk = (v: any, depth: number) => {",
    "  if (v === null || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v) || depth > 4) return;",
    "  seen.add(v);",
    "  tryCtor(v.constructor && v.constructor.constructor);",
    "  walk(Object.getPrototypeOf(v), depth + 1);",
    "  for (const k of Reflect.ownKeys(v)) { let x; try { const d = Object.getOwnPropertyDescriptor(v, k)!; x = 'value' in d ? d.value : d.get; } catch { continue; } walk(x, depth + 1); }",
    "};",
  ].join("\n");
  const r = await runSource(
    attempt({ walk: "for (const v of Object.values(roots)) walk(v, 0); console.log('tried ' + (tried > 100) + ', escapes ' + escapes); return undefined;" }, prelude),
  );
  assert.equal(r.ok, true, r.error?.message);
  assert.deepEqual(r.logs, ["tried true, escapes 0", "walk: no process"]);
});

test("sandbox: the kernel threads' memory and control block are out of a model's reach, and lead to no Node", async () => {
  // A model that splits a conv over the worker's helper thread, then walks everything it can
  // reach (the engine, the thread functions, globals) for a shared memory, a SharedArrayBuffer
  // or a Worker, and tries the Function constructor of each such object's chain.
  const prelude = [
    "torch.setNumThreads(2);",
    "const conv = new torch.nn.Conv2d(20, 16, [3, 5]);",
    "conv.forward(torch.randn(1, 20, 64, 128)).sum().backward();",
    "const roots: any[] = [torch, torch.setNumThreads, torch.getNumThreads, globalThis, conv, __gradlens, require, module];",
    "const seen = new Set<any>(); let found = 0; let escapes = 0;",
    "const kinds = ['[object WebAssembly.Memory]', '[object SharedArrayBuffer]', '[object Worker]', '[object MessagePort]'];",
    "const walk = (v: any, depth: number) => {",
    "  if (v === null || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v) || depth > 6) return;",
    "  seen.add(v);",
    "  let tag = ''; try { tag = v === v.constructor?.prototype ? '' : Object.prototype.toString.call(v); } catch {}",
    "  if (kinds.includes(tag)) { found++; try { if (isNodeProcess(v.constructor.constructor('return process')())) escapes++; } catch {} }",
    "  walk(Object.getPrototypeOf(v), depth + 1);",
    "  for (const k of Reflect.ownKeys(v)) { let x; try { const d = Object.getOwnPropertyDescriptor(v, k)!; x = 'value' in d ? d.value : d.get; } catch { continue; } walk(x, depth + 1); }",
    "};",
  ].join("\n");
  const r = await runSource(
    attempt({ walk: "for (const v of roots) walk(v, 0); console.log('threads ' + torch.getNumThreads() + ', walked ' + (seen.size > 1000) + ', found ' + found + ', escapes ' + escapes); return undefined;" }, prelude),
  );
  assert.equal(r.ok, true, r.error?.message);
  // the progress cell is the one SharedArrayBuffer of the sandbox's, and it is not reachable either
  assert.deepEqual(r.logs, ["threads 2, walked true, found 0, escapes 0", "walk: no process"]);
});

test("sandbox: an error-stack hook sees only the sandbox's call sites, even for errors raised by the host", async () => {
  const prelude = [
    "let escapes = 0; let sitesSeen = 0;",
    "(Error as any).prepareStackTrace = (_e: any, sites: any[]) => {",
    "  for (const s of sites) {",
    "    sitesSeen++;",
    "    for (const v of [s, s.getThis && s.getThis(), s.getFunction && s.getFunction()]) {",
    "      try { if (isNodeProcess(v.constructor.constructor('return process')())) escapes++; } catch {}",
    "    }",
    "  }",
    "  return 'hooked';",
    "};",
  ].join("\n");
  const r = await runSource(
    attempt(
      {
        "engine error": "try { torch.ones(2).matmul(torch.ones(3)); } catch (e: any) { String(e.stack); } return undefined;",
        "stack overflow across the bridge": [
          "let caught = 0;",
          "const dive = (): void => { try { dive(); } catch (e: any) { try { console.log(''); require('./nowhere'); } catch (e2: any) { caught++; String(e2 && e2.stack); try { if (isNodeProcess(e2.constructor.constructor('return process')())) escapes++; } catch {} } } };",
          "dive();",
          "return undefined;",
        ].join(" "),
        "timer error": "setTimeout(() => { throw new Error('late'); }, 0); return undefined;",
      },
      prelude,
    ) + "export default new Promise((done) => setTimeout(() => { console.log('sites ' + (sitesSeen > 0) + ', escapes ' + escapes); done(0); }, 20));\n",
  );
  assert.equal(r.ok, true, r.error?.message);
  const o = outcomes(r.logs.filter((l) => l.includes(": ")));
  for (const [name, got] of Object.entries(o)) assert.notEqual(got, "ESCAPED", name);
  assert.ok(r.logs.includes("sites true, escapes 0"), r.logs.join("\n"));
});

test("sandbox: import() and every Node module are refused, with the reason", async () => {
  for (const spec of ["fs", "node:child_process", "worker_threads", "vm", "module", "util", "os", "net", "inspector"]) {
    const r = await runSource(`import * as m from "${spec}";\nconsole.log(Object.keys(m).length);\n`);
    assert.equal(r.ok, false, spec);
    assert.match(r.error!.message, /does not load "(node:)?\w+" in model files/, spec);
    assert.equal(r.error!.location?.line, 1, spec);
  }
  const dynamic = await runSource('export default import("fs").then((fs: any) => console.log(typeof fs.readFileSync));\n');
  assert.equal(dynamic.ok, false);
  assert.match(dynamic.error!.message, /does not load "fs"/);
});

test("sandbox: a model's files are never written, and no file outside is read by an import", async () => {
  const target = path.join(os.tmpdir(), `gradlens-sandbox-${process.pid}.txt`);
  fs.writeFileSync(target, "untouched");
  const r = await runSource(
    attempt({
      "read a non-.ts file": `return require(${JSON.stringify(target.replace(/\.txt$/, ""))});`,
      "import through ..": "return require('../../../../../../../../etc/passwd');",
    }),
  );
  assert.equal(fs.readFileSync(target, "utf8"), "untouched");
  fs.rmSync(target);
  const o = outcomes(r.logs);
  assert.equal(o["read a non-.ts file"], "Error");
  assert.equal(o["import through .."], "Error");
});

/** Runs source under a small memory limit; the error it ends with. */
async function underLimit(body: string, limitMb = 64): Promise<{ kind?: string; message?: string; line?: number }> {
  const r = await runInSandbox({ file: path.join(MODELS, "memory.ts"), source: body }, limitMb);
  return { kind: r.error?.kind, message: r.error?.message, line: r.error?.location?.line };
}

test("sandbox memory: every way to allocate buffer memory counts against the limit, at its line", async () => {
  const routes: Record<string, string> = {
    Uint8Array: "const a = new Uint8Array(200e6);",
    ArrayBuffer: "const a = new ArrayBuffer(200e6);",
    "DataView on a new buffer": "const d = new DataView(new ArrayBuffer(200e6));",
    SharedArrayBuffer: "const a = new SharedArrayBuffer(200e6);",
    "BigInt64Array": "const a = new BigInt64Array(30e6);",
    "the intrinsic through prototypes": "const C = Object.getPrototypeOf(new Float32Array(1)).constructor; const a = Reflect.construct(C, [60e6]);",
    "a subclass": "class Big extends Float64Array {} const a = new Big(30e6);",
    "from()": "const a = Uint8Array.from({ length: 200e6 });",
    "a resizable buffer": "const b = new (ArrayBuffer as any)(8, { maxByteLength: 1e9 }); b.resize(200e6);",
    "slice with constructor removed": "const a = new Uint8Array(8e6); (a as any).constructor = undefined; const keep: any[] = []; for (let i = 0; i < 40; i++) keep.push(a.slice());",
    "buffer slice": "const b = new ArrayBuffer(8e6); (b as any).constructor = undefined; const keep: any[] = []; for (let i = 0; i < 40; i++) keep.push(b.slice(0));",
    "map": "const a = new Float32Array(2e6); const keep: any[] = []; for (let i = 0; i < 40; i++) keep.push(a.map((x) => x));",
    "a loop of small buffers": "const keep: any[] = []; for (let i = 0; i < 2000; i++) keep.push(new Uint8Array(100e3));",
    "a huge tensor": 'const t = require("gradlens").zeros(10000, 10000);',
  };
  for (const [name, body] of Object.entries(routes)) {
    const e = await underLimit(`const pad = 0;\n${body}\nconsole.log("allocated");\n`);
    assert.equal(e.kind, "memory", `${name}: ${e.kind} ${e.message}`);
    assert.match(e.message!, /over the limit of 64 MB \(gradlens\.memoryLimitMb\)/, name);
    assert.equal(e.line, 2, `${name}: line ${e.line}`);
  }
});

test("sandbox memory: a lying length or byteLength does not hide an allocation", async () => {
  const liar =
    "let n = 0; const like = { get length() { return n++ === 0 ? 1 : 100e6; } };\nconst a = new Uint8Array(like as any);\nconsole.log(a.length);\n";
  const e = await underLimit(liar);
  assert.equal(e.kind, "memory", String(e.message));
  const hidden =
    "Object.defineProperty(ArrayBuffer.prototype, 'byteLength', { get: () => 0 });\nconst b = new ArrayBuffer(8e6); const keep: any[] = []; for (let i = 0; i < 40; i++) keep.push(b.slice(0));\n";
  const e2 = await underLimit(hidden);
  assert.equal(e2.kind, "memory", String(e2.message));
});

test("sandbox memory: models under the limit run as before, typed arrays behave as typed arrays", async () => {
  const r = await runInSandbox(
    {
      file: path.join(MODELS, "memory.ts"),
      source: [
        "class F extends Float32Array { twice() { return this.map((x) => 2 * x); } }",
        "const f = new F([1, 2, 3]);",
        "console.log(f instanceof Float32Array, f instanceof F, f.twice() instanceof F, f.twice().join(','));",
        "console.log(Float32Array.name, Float32Array.BYTES_PER_ELEMENT, Float32Array.from([1, 2]).constructor === Float32Array, new Uint8Array(new ArrayBuffer(4), 1, 2).length);",
        "console.log(Object.prototype.toString.call(new Float64Array(1)), ArrayBuffer.isView(new DataView(new ArrayBuffer(2))), new ArrayBuffer(8).slice(2).byteLength);",
        "try { (Float32Array as any)(3); } catch (e: any) { console.log(e.name); }",
      ].join("\n"),
    },
    64,
  );
  assert.equal(r.ok, true, r.error?.message);
  assert.deepEqual(r.logs, [
    "true true true 2,4,6",
    "Float32Array 4 true 2",
    "[object Float64Array] true 6",
    "TypeError",
  ]);
});

/** Runs `source` in a warmed, sealed sandbox; then whether the sandbox may take another run. */
async function reusableAfter(source: string): Promise<{ reusable: boolean; sandbox: Sandbox }> {
  const sandbox = new Sandbox(512, transpile);
  assert.equal(await sandbox.warmUp(WARM_UP), true);
  sandbox.seal();
  const ignore = (): void => undefined;
  const outcome = await sandbox.run(
    { file: path.join(MODELS, "reuse.ts"), source },
    { log: ignore, shapeHint: ignore, layerHint: ignore },
  );
  assert.equal(outcome.type, "result");
  await new Promise((r) => setImmediate(r)); // as the worker: once the thread is idle
  return { reusable: sandbox.reuse(), sandbox };
}

test("sandbox reuse: a run that changed no shared object leaves the sandbox to the next run, reset", async () => {
  const { reusable, sandbox } = await reusableAfter(
    'import * as torch from "gradlens";\nconst net = new torch.nn.Linear(3, 2);\nconst y = net.forward(torch.randn(4, 3)).sum();\ny.backward();\ntorch.setGradEnabled(false);\ntorch.manualSeed(3);\nclass Mine extends torch.nn.Module {}\nconst m = new Map([[1, 2]]);\n',
  );
  assert.equal(reusable, true, sandbox.lastChange);
  const logs: string[] = [];
  const ignore = (): void => undefined;
  const second = await sandbox.run(
    { file: path.join(MODELS, "reuse.ts"), source: 'import * as torch from "gradlens";\nconsole.log(torch.isGradEnabled(), torch.randn(2).tolist().join(" "));\n' },
    { log: (l) => logs.push(l), shapeHint: ignore, layerHint: ignore },
  );
  assert.equal(second.type, "result");
  const fresh = await runSource('import * as torch from "gradlens";\nconsole.log(torch.isGradEnabled(), torch.randn(2).tolist().join(" "));\n');
  assert.deepEqual(logs, fresh.logs);
  sandbox.dispose();
});

test("sandbox reuse: a run that changed any shared object is never followed in its sandbox", async () => {
  const tampers: Record<string, string> = {
    "a new global": "(globalThis as any).leaked = 1;",
    "an intrinsic's prototype": "(Array.prototype as any).sum = () => 0;",
    "an intrinsic replaced": "Math.max = Math.min;",
    "Object.prototype": "Object.defineProperty(Object.prototype, 'x', { get() { return 1; } });",
    "a frozen intrinsic": "Object.freeze(JSON);",
    "an engine class": "(torch.Tensor.prototype as any).add = function () { return this; };",
    "an engine namespace": "(torch.nn as any).extra = torch.nn.Identity;",
    "a functional": "(torch.nn.functional as any).relu = (x: any) => x;",
    "a layer's prototype": "torch.nn.Linear.prototype.forward = function (x: any) { return x; };",
    "a grad_fn's class": "Object.getPrototypeOf(torch.ones(1, { requiresGrad: true }).mul(2).gradFn).name = 'X';",
    "a prototype chain": "Object.setPrototypeOf(torch.nn.ReLU.prototype, Object.prototype);",
    "a timer's global": "(globalThis as any).setTimeout = () => 0;",
    "Promise.then": "const then = Promise.prototype.then; Promise.prototype.then = function (this: any, a: any, b: any) { return then.call(this, a, b); } as any;",
    "a late promise chain": "Promise.resolve().then(() => 0).then(() => { (Array.prototype as any).late = 1; });",
  };
  for (const [name, tamper] of Object.entries(tampers)) {
    const { reusable, sandbox } = await reusableAfter(`import * as torch from "gradlens";\n${tamper}\n`);
    assert.equal(reusable, false, name);
    assert.throws(() => sandbox.run({ file: "/x.ts", source: "" }, { log() {}, shapeHint() {}, layerHint() {} }));
  }
});
