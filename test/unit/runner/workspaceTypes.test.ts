/**
 * The workspace-types writer: it writes `node_modules/gradlens` only where Gradlens wrote it
 * before, only over files still as it wrote them, and never through a symbolic link.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { writeWorkspaceTypes } from "../../../extension/workspaceTypesWriter";
import type { TypesSource } from "../../../extension/workspaceTypesPackage";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gradlens-types-"));
let made = 0;
const freshDir = (name: string) => fs.mkdtempSync(path.join(tmp, `${name}-${made++}-`));

/** A build of the extension: its declarations (path → text) and version. */
function source(version: string, declarations: Record<string, string>): TypesSource {
  const dist = freshDir("dist");
  for (const [rel, text] of Object.entries(declarations))
    write(path.join(dist, "types", rel), text);
  return { declarations: path.join(dist, "types"), engine: path.join(dist, "engine.js"), version };
}

const V1 = { "index.d.ts": "export declare const v1: 1;\n", "ops/math.d.ts": "export {};\n" };
const V2 = { "index.d.ts": "export declare const v2: 2;\n" };

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** Every entry below `root`, byte for byte; a link shows as where it points. */
function snapshot(root: string, prefix = ""): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const name of fs.readdirSync(path.join(root, prefix)).sort()) {
    const rel = path.join(prefix, name);
    const at = path.join(root, rel);
    const stat = fs.lstatSync(at);
    if (stat.isSymbolicLink()) entries[rel] = `-> ${fs.readlinkSync(at)}`;
    else if (stat.isDirectory()) Object.assign(entries, { [rel]: "/" }, snapshot(root, rel));
    else entries[rel] = fs.readFileSync(at, "latin1");
  }
  return entries;
}

const pkgOf = (folder: string, ...rel: string[]) =>
  path.join(folder, "node_modules", "gradlens", ...rel);
const read = (file: string) => fs.readFileSync(file, "utf8");

/** A workspace folder where the writer has already written version 1. */
async function written(): Promise<string> {
  const folder = freshDir("ws");
  assert.equal(await writeWorkspaceTypes(source("1.0.0", V1), folder), "created");
  return folder;
}

/** Runs `build` (version 2 unless given) and checks its outcome and that nothing changed. */
async function assertUntouched(
  outcome: string,
  folder: string,
  elsewhere?: string,
  build?: TypesSource,
) {
  const roots = elsewhere ? [folder, elsewhere] : [folder];
  const before = roots.map((r) => snapshot(r));
  assert.equal(await writeWorkspaceTypes(build ?? source("2.0.0", V2), folder), outcome);
  assert.deepEqual(
    roots.map((r) => snapshot(r)),
    before,
  );
}

test("workspace types: created, then current, then updated rewrites only its files", async () => {
  const folder = freshDir("ws");
  const v1 = source("1.0.0", V1);
  assert.equal(await writeWorkspaceTypes(v1, folder), "created");
  assert.equal(read(pkgOf(folder, "types", "index.d.ts")), V1["index.d.ts"]);
  assert.equal(read(pkgOf(folder, "types", "ops", "math.d.ts")), V1["ops/math.d.ts"]);
  const mode = (...rel: string[]) => fs.statSync(path.join(folder, ...rel)).mode & 0o777;
  assert.equal(mode("node_modules", "gradlens"), mode("node_modules"), "not the usual permissions");
  assert.equal(JSON.parse(read(pkgOf(folder, "package.json"))).version, "1.0.0");
  assert.equal(
    read(pkgOf(folder, "index.js")),
    `module.exports = require(${JSON.stringify(v1.engine)});\n`,
  );
  const record = JSON.parse(read(pkgOf(folder, ".gradlens-written.json")));
  const sha = (text: string) => crypto.createHash("sha256").update(text).digest("hex");
  assert.equal(record.files["types/index.d.ts"], sha(V1["index.d.ts"]));
  assert.deepEqual(Object.keys(record.files).sort(), [
    "index.js",
    "package.json",
    "types/index.d.ts",
    "types/ops/math.d.ts",
  ]);

  await assertUntouched("current", folder, undefined, v1);

  write(pkgOf(folder, "types", "ops", "notes.d.ts"), "// mine\n");
  write(pkgOf(folder, "README.md"), "mine too\n");
  const v2 = source("2.0.0", V2);
  assert.equal(await writeWorkspaceTypes(v2, folder), "updated");
  assert.equal(read(pkgOf(folder, "types", "index.d.ts")), V2["index.d.ts"]);
  assert.equal(JSON.parse(read(pkgOf(folder, "package.json"))).version, "2.0.0");
  assert.ok(!fs.existsSync(pkgOf(folder, "types", "ops", "math.d.ts")), "its stale file stayed");
  assert.equal(read(pkgOf(folder, "types", "ops", "notes.d.ts")), "// mine\n");
  assert.equal(read(pkgOf(folder, "README.md")), "mine too\n");
  assert.equal(await writeWorkspaceTypes(v2, folder), "current");
});

test("workspace types: two writers at once: one creates, the other finds it current", async () => {
  const folder = freshDir("ws");
  const v1 = source("1.0.0", V1);
  const outcomes = await Promise.all([
    writeWorkspaceTypes(v1, folder),
    writeWorkspaceTypes(v1, folder),
  ]);
  assert.deepEqual(outcomes.sort(), ["created", "current"]);
  assert.deepEqual(fs.readdirSync(path.join(folder, "node_modules")), ["gradlens"]);
});

test("workspace types: an update cut short is finished by the next run", async () => {
  const folder = await written();
  const v2 = source("2.0.0", V2);
  const reference = freshDir("ws");
  await writeWorkspaceTypes(v2, reference);
  const recordOf = (f: string) => JSON.parse(read(pkgOf(f, ".gradlens-written.json")));
  // As an update leaves the folder when the window closes after its first file.
  const during = { ...recordOf(reference), previous: recordOf(folder).files };
  fs.writeFileSync(pkgOf(folder, ".gradlens-written.json"), JSON.stringify(during));
  fs.copyFileSync(pkgOf(reference, "types", "index.d.ts"), pkgOf(folder, "types", "index.d.ts"));
  assert.equal(await writeWorkspaceTypes(v2, folder), "updated");
  assert.deepEqual(snapshot(pkgOf(folder)), snapshot(pkgOf(reference)));
});

test("workspace types: a file it wrote that the user edited is not overwritten", async () => {
  const folder = await written();
  write(pkgOf(folder, "types", "index.d.ts"), "// edited by hand\n");
  await assertUntouched("foreign", folder);
});

test("workspace types: a package it wrote whose record was deleted is foreign", async () => {
  const folder = await written();
  fs.rmSync(pkgOf(folder, ".gradlens-written.json"));
  await assertUntouched("foreign", folder);
});

test("workspace types: the old package.json marker, forged, does not make a package its own", async () => {
  const folder = freshDir("ws");
  const forged = { name: "gradlens", version: "0.0.1", gradlensWorkspaceTypes: "0.0.1" };
  write(pkgOf(folder, "package.json"), JSON.stringify(forged));
  write(pkgOf(folder, "types", "index.d.ts"), "// the repository's own\n");
  await assertUntouched("foreign", folder);
});

test("workspace types: a record naming a file outside the package is foreign", async () => {
  const folder = await written();
  const outside = path.join(folder, "outside.txt");
  write(outside, "precious\n");
  const recordFile = pkgOf(folder, ".gradlens-written.json");
  const record = JSON.parse(read(recordFile));
  record.files["../../outside.txt"] = crypto
    .createHash("sha256")
    .update("precious\n")
    .digest("hex");
  fs.writeFileSync(recordFile, JSON.stringify(record));
  await assertUntouched("foreign", folder);
});

test("workspace types: a gradlens package that is really installed is foreign", async () => {
  const folder = freshDir("ws");
  write(pkgOf(folder, "package.json"), JSON.stringify({ name: "gradlens", version: "9.9.9" }));
  write(pkgOf(folder, "index.d.ts"), "export {};\n");
  write(pkgOf(folder, "index.js"), "module.exports = {};\n");
  await assertUntouched("foreign", folder);
});

test("workspace types: node_modules as a symbolic link is refused", async () => {
  const folder = freshDir("ws");
  const elsewhere = freshDir("elsewhere");
  fs.symlinkSync(elsewhere, path.join(folder, "node_modules"), "dir");
  await assertUntouched("refused", folder, elsewhere);
});

test("workspace types: node_modules/gradlens as a symbolic link is refused", async () => {
  const folder = freshDir("ws");
  const elsewhere = freshDir("elsewhere");
  fs.mkdirSync(path.join(folder, "node_modules"));
  fs.symlinkSync(elsewhere, pkgOf(folder), "dir");
  await assertUntouched("refused", folder, elsewhere);
});

test("workspace types: a folder on the way (types) as a symbolic link is refused", async () => {
  const folder = await written();
  const elsewhere = freshDir("elsewhere");
  fs.rmSync(pkgOf(folder, "types"), { recursive: true });
  fs.symlinkSync(elsewhere, pkgOf(folder, "types"), "dir");
  await assertUntouched("refused", folder, elsewhere);
});

test("workspace types: types/index.d.ts as a link to a file outside is refused", async () => {
  const folder = await written();
  const elsewhere = freshDir("elsewhere");
  const target = path.join(elsewhere, "precious.txt");
  write(target, "precious\n");
  fs.rmSync(pkgOf(folder, "types", "index.d.ts"));
  fs.symlinkSync(target, pkgOf(folder, "types", "index.d.ts"));
  await assertUntouched("refused", folder, elsewhere);
});

test("workspace types: package.json as a link, even with a forged record, is refused", async () => {
  const folder = await written();
  const elsewhere = freshDir("elsewhere");
  const target = path.join(elsewhere, "precious.json");
  write(target, read(pkgOf(folder, "package.json"))); // same bytes, so its hash is recorded
  fs.rmSync(pkgOf(folder, "package.json"));
  fs.symlinkSync(target, pkgOf(folder, "package.json"));
  await assertUntouched("refused", folder, elsewhere);
});

test("workspace types: a build without declarations writes nothing", async () => {
  const folder = freshDir("ws");
  const empty = { ...source("1.0.0", {}), declarations: freshDir("no-types") };
  assert.equal(await writeWorkspaceTypes(empty, folder), "unavailable");
  assert.deepEqual(snapshot(folder), {});
});

test("workspace types: gradlens/tf and gradlens/mxnet resolve to their declarations and modules", async () => {
  const folder = freshDir("ws");
  const build = source("1.0.0", {
    ...V1,
    "tf/index.d.ts": "export declare const tf: 1;\n",
    "mxnet/index.d.ts": "export declare const mx: 1;\n",
  });
  assert.equal(await writeWorkspaceTypes(build, folder), "created");
  const engine = `require(${JSON.stringify(build.engine)})`;
  assert.equal(read(pkgOf(folder, "tf.js")), `module.exports = ${engine}.tf;\n`);
  assert.equal(read(pkgOf(folder, "mxnet.js")), `module.exports = ${engine}.mxnet;\n`);
  // TypeScript's own resolution, as the editor and tsc do it, from a model file in the folder
  const from = path.join(folder, "model.ts");
  for (const moduleResolution of [ts.ModuleResolutionKind.Node10, ts.ModuleResolutionKind.Node16]) {
    const options = { moduleResolution, module: ts.ModuleKind.CommonJS };
    const resolved = (spec: string) =>
      ts.resolveModuleName(spec, from, options, ts.sys).resolvedModule?.resolvedFileName;
    assert.equal(resolved("gradlens"), pkgOf(folder, "types", "index.d.ts"));
    assert.equal(resolved("gradlens/tf"), pkgOf(folder, "types", "tf", "index.d.ts"));
    assert.equal(resolved("gradlens/mxnet"), pkgOf(folder, "types", "mxnet", "index.d.ts"));
  }
});
