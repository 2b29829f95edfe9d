/**
 * Writes the engine's declarations into `<folder>/node_modules/gradlens` — and nowhere else.
 *
 * The folder is a cloned repository's, so nothing in it is trusted: Gradlens writes only into a
 * package folder it created, overwrites or deletes only files its record says it wrote and whose
 * content is still what it wrote (workspaceTypesRecord.ts), and never goes through a symbolic
 * link on the way (a link could point anywhere on the disk). Plain paths and Node's fs only, so
 * it is tested without VS Code.
 */
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import {
  firstObstacle,
  kindOf,
  makeFolders,
  obstacle,
  removeFileAt,
  writeFileAt,
} from "./workspaceTypesFiles";
import { packageFiles, type PackageFiles, type TypesSource } from "./workspaceTypesPackage";
import {
  isRecorded,
  readRecord,
  recordedPaths,
  recordText,
  RECORD_NAME,
  sha256,
  type WrittenRecord,
} from "./workspaceTypesRecord";

export type WriteOutcome =
  | "created" // written now
  | "updated" // Gradlens's own, with other content (another version): its files rewritten
  | "current" // Gradlens's own, as this version writes it: left as it was
  | "foreign" // a package Gradlens did not write, or a file in it someone changed: left alone
  | "refused" // a symbolic link on the way, or not a local folder: nothing written
  | "unavailable"; // this build of the extension has no declarations to copy

export async function writeWorkspaceTypes(
  source: TypesSource,
  folder: string,
): Promise<WriteOutcome> {
  const files = await packageFiles(source);
  if (!files) return "unavailable";
  const target = path.join(folder, "node_modules", "gradlens");
  const blocked =
    (await obstacle(folder, "node_modules/gradlens", "folder")) ??
    (await firstObstacle(target, [...files.keys(), RECORD_NAME]));
  if (blocked) return blocked;
  if ((await kindOf(target)) === "absent") {
    if (await create(folder, files, source.version)) return "created";
    return writeWorkspaceTypes(source, folder); // judge what the other writer left
  }
  const record = await readRecord(target);
  if (!record) return "foreign";
  const blockedOld = await firstObstacle(target, recordedPaths(record));
  if (blockedOld) return blockedOld;
  const onDisk = await hashesOnDisk(target, [...files.keys(), ...recordedPaths(record)]);
  if (!isAllRecorded(record, onDisk)) return "foreign";
  if (isCurrent(record, files, onDisk)) return "current";
  await update(target, files, source.version, onDisk);
  return "updated";
}

/**
 * Builds the package in a fresh folder beside it and renames that into place, so nobody (the
 * command racing the automatic set-up, another window) sees it half written. False when another
 * writer put something there first.
 */
async function create(folder: string, files: PackageFiles, version: string): Promise<boolean> {
  await makeFolders(folder, "node_modules");
  const target = path.join(folder, "node_modules", "gradlens");
  // mkdir, not mkdtemp: the folder gets the usual permissions, not mkdtemp's owner-only ones.
  const staging = path.join(folder, "node_modules", `.gradlens-${randomBytes(6).toString("hex")}`);
  await fs.promises.mkdir(staging);
  try {
    await writeFileAt(staging, RECORD_NAME, recordText({ version, files: hashesOf(files) }));
    for (const [rel, content] of files) await writeFileAt(staging, rel, content);
    await fs.promises.rename(staging, target);
    return true;
  } catch (err) {
    await fs.promises.rm(staging, { recursive: true, force: true }); // made just now, by us
    if ((await kindOf(target)) === "absent") throw err;
    return false;
  }
}

async function update(
  target: string,
  files: PackageFiles,
  version: string,
  onDisk: Map<string, string>,
) {
  const next = hashesOf(files);
  const during: WrittenRecord = { version, files: next, previous: Object.fromEntries(onDisk) };
  await writeFileAt(target, RECORD_NAME, recordText(during));
  for (const [rel, content] of files) {
    if (onDisk.get(rel) !== next[rel]) await writeFileAt(target, rel, content);
  }
  for (const rel of onDisk.keys()) if (!files.has(rel)) await removeFileAt(target, rel);
  await writeFileAt(target, RECORD_NAME, recordText({ version, files: next }));
}

/** Whether every file there is one Gradlens wrote, with the content it wrote. */
function isAllRecorded(record: WrittenRecord, onDisk: Map<string, string>): boolean {
  return [...onDisk].every(([rel, hash]) => isRecorded(record, rel, hash));
}

function isCurrent(record: WrittenRecord, files: PackageFiles, onDisk: Map<string, string>) {
  const next = hashesOf(files);
  const same = (a: Record<string, string>) =>
    Object.keys(a).length === files.size && [...files.keys()].every((rel) => a[rel] === next[rel]);
  return !record.previous && same(record.files) && same(Object.fromEntries(onDisk));
}

function hashesOf(files: PackageFiles): Record<string, string> {
  return Object.fromEntries([...files].map(([rel, content]) => [rel, sha256(content)]));
}

/** The hash of each of `rels` that exists in `target` (the caller has ruled out links). */
async function hashesOnDisk(target: string, rels: string[]): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  for (const rel of new Set(rels)) {
    const file = path.join(target, ...rel.split("/"));
    if ((await kindOf(file)) === "file") hashes.set(rel, sha256(await fs.promises.readFile(file)));
  }
  return hashes;
}
