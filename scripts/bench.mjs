#!/usr/bin/env node
// `npm run bench`: compiles the TypeScript (tsc → out/) when a source under engine/ or bench/
// is newer than out/bench/main.js, then runs the bench. Arguments are passed on, e.g.
//   npm run bench -- --only lenet,mlp --budget 1000 --gemm js
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const entry = join(root, "out/bench/main.js");

/** Newest modification time of the .ts files under `dir`. */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(full));
    else if (e.name.endsWith(".ts")) t = Math.max(t, statSync(full).mtimeMs);
  }
  return t;
}

const stale = !existsSync(entry) || Math.max(newest(join(root, "engine")), newest(join(root, "bench"))) > statSync(entry).mtimeMs;
if (stale) {
  console.log("Compiling (tsc -p tsconfig.json) ...");
  // tsc emits even when some other file has a type error; the bench needs only its own output
  const tsc = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: root, encoding: "utf8" });
  const errors = (tsc.stdout.match(/error TS/g) ?? []).length;
  if (errors) console.log(`tsc reported ${errors} type error(s); running what was emitted.`);
  if (!existsSync(entry)) {
    console.error(tsc.stdout, tsc.stderr);
    process.exit(1);
  }
}
const run = spawnSync(process.execPath, [entry, ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
process.exit(run.status ?? 1);
