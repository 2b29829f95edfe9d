// File operations for the workspace-types writer that never go through a symbolic link: in a
// cloned repository a link in node_modules could point at any file of the user's.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

/** Why nothing may be written: a link on the way, or something that is not Gradlens's to replace. */
export type Blocked = "foreign" | "refused";
export type Kind = "absent" | "file" | "folder" | "link" | "other";

/** Whichever of `rels` cannot be written as a file; a link anywhere wins over the rest. */
export async function firstObstacle(base: string, rels: string[]): Promise<Blocked | undefined> {
  let found: Blocked | undefined;
  for (const rel of rels) {
    const blocked = await obstacle(base, rel, "file");
    if (blocked === "refused") return blocked;
    found ??= blocked;
  }
  return found;
}

/**
 * Why `base/rel` may not be written: a link at it or at any folder on the way (`refused`), or
 * something other than a folder where one is needed, or than a file where one goes (`foreign`).
 */
export async function obstacle(
  base: string,
  rel: string,
  leaf: Kind,
): Promise<Blocked | undefined> {
  const parts = rel.split("/");
  for (let i = 1; i <= parts.length; i++) {
    const kind = await kindOf(path.join(base, ...parts.slice(0, i)));
    if (kind === "link") return "refused";
    if (kind === "absent") return undefined;
    if (kind !== (i === parts.length ? leaf : "folder")) return "foreign";
  }
  return undefined;
}

export async function kindOf(file: string): Promise<Kind> {
  try {
    const stat = await fs.promises.lstat(file);
    if (stat.isSymbolicLink()) return "link";
    return stat.isDirectory() ? "folder" : stat.isFile() ? "file" : "other";
  } catch {
    return "absent";
  }
}

/**
 * Writes a fresh file beside the target and renames it over: a rename replaces a link that
 * appeared since the check instead of writing through it, and a reader never sees half a file.
 */
export async function writeFileAt(base: string, rel: string, content: Buffer): Promise<void> {
  const parts = rel.split("/");
  if (parts.length > 1) await makeFolders(base, parts.slice(0, -1).join("/"));
  const file = path.join(base, ...parts);
  const fresh = `${file}.${crypto.randomBytes(6).toString("hex")}.tmp`;
  await fs.promises.writeFile(fresh, content, { flag: "wx" }); // wx: never an existing file or link
  await fs.promises.rename(fresh, file).catch(async (err: unknown) => {
    await fs.promises.rm(fresh, { force: true });
    throw err;
  });
}

/** Deletes one file (unlink removes a link itself, never its target) and folders left empty. */
export async function removeFileAt(base: string, rel: string): Promise<void> {
  const parts = rel.split("/");
  await fs.promises.unlink(path.join(base, ...parts));
  for (let i = parts.length - 1; i > 0; i--) {
    const emptied = await fs.promises.rmdir(path.join(base, ...parts.slice(0, i))).then(
      () => true,
      () => false, // not empty: someone else's files are in it
    );
    if (!emptied) return;
  }
}

/** Makes each folder of `rel` below `base`, one at a time, accepting only real folders. */
export async function makeFolders(base: string, rel: string): Promise<void> {
  let at = base;
  for (const part of rel.split("/")) {
    at = path.join(at, part);
    await fs.promises.mkdir(at).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== "EEXIST" || (await kindOf(at)) !== "folder") throw err;
    });
  }
}
