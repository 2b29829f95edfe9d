// The record Gradlens keeps in the `node_modules/gradlens` folder it writes: every file it wrote
// and the SHA-256 of what it wrote. A file counts as Gradlens's only while its content still has
// that hash, so a record a repository forges can at most let Gradlens overwrite the repository's
// own bytes inside that folder, never a file someone changed or wrote there.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

export const RECORD_NAME = ".gradlens-written.json";

export interface WrittenRecord {
  version: string;
  /** Package path (with `/`) to the SHA-256 (hex) of the content Gradlens wrote there. */
  files: Record<string, string>;
  /**
   * Only while an update is under way: the hashes the files had before it, so that an update cut
   * short (the window closed) still leaves every file recognisably Gradlens's.
   */
  previous?: Record<string, string>;
}

export function sha256(content: Buffer): string {
  return crypto.createHash("sha256").update(content).digest("hex");
}

/** Every path the record names, old and new. */
export function recordedPaths(record: WrittenRecord): string[] {
  return [...new Set([...Object.keys(record.files), ...Object.keys(record.previous ?? {})])];
}

/** Whether `hash` is content Gradlens wrote at `rel`, now or before an unfinished update. */
export function isRecorded(record: WrittenRecord, rel: string, hash: string): boolean {
  return record.files[rel] === hash || record.previous?.[rel] === hash;
}

/** The record in `packageFolder`, or undefined if it is missing, unreadable or malformed. */
export async function readRecord(packageFolder: string): Promise<WrittenRecord | undefined> {
  try {
    const parsed: unknown = JSON.parse(
      await fs.promises.readFile(path.join(packageFolder, RECORD_NAME), "utf8"),
    );
    return isWrittenRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function recordText(record: WrittenRecord): Buffer {
  return Buffer.from(JSON.stringify(record, null, 2) + "\n");
}

function isWrittenRecord(value: unknown): value is WrittenRecord {
  if (typeof value !== "object" || value === null) return false;
  const { version, files, previous } = value as Partial<WrittenRecord>;
  return (
    typeof version === "string" &&
    isHashTable(files) &&
    (previous === undefined || isHashTable(previous))
  );
}

function isHashTable(value: unknown): value is Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  return Object.entries(value).every(
    ([rel, hash]) => isPackagePath(rel) && typeof hash === "string" && /^[0-9a-f]{64}$/.test(hash),
  );
}

/** A path that stays inside the package folder: no `..`, no root, no drive, not the record. */
function isPackagePath(rel: string): boolean {
  if (rel === RECORD_NAME) return false;
  return rel.split("/").every((part) => /^[^\\/:]+$/.test(part) && part !== "." && part !== "..");
}
