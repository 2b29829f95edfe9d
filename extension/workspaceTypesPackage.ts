// What Gradlens puts in `<folder>/node_modules/gradlens`: the engine's declarations under
// `types/`, a package.json that points TypeScript at them, and an index.js for tools that run a
// model file outside the editor. No vscode here, so the writer can be tested with plain folders.
import * as fs from "fs";
import * as path from "path";

/** Where the extension keeps what it copies, and the version it stamps on the package. */
export interface TypesSource {
  /** The folder of `.d.ts` files built by the compile script (dist/types/engine). */
  declarations: string;
  /** The bundled engine (dist/engine.js) that index.js re-exports. */
  engine: string;
  version: string;
}

/** The package's files: a path relative to the package, always with `/`, to its content. */
export type PackageFiles = Map<string, Buffer>;

/** The files to write, or undefined when this build has no declarations to copy. */
export async function packageFiles(source: TypesSource): Promise<PackageFiles | undefined> {
  if (!(await isFile(path.join(source.declarations, "index.d.ts")))) return undefined;
  const files: PackageFiles = new Map();
  for (const rel of await regularFilesUnder(source.declarations)) {
    files.set(`types/${rel}`, await fs.promises.readFile(path.join(source.declarations, rel)));
  }
  const frontEnds = FRONT_ENDS.filter((name) => files.has(`types/${name}/index.d.ts`));
  files.set("package.json", Buffer.from(JSON.stringify(manifestFor(source, frontEnds), null, 2) + "\n"));
  // `main` lets tools such as tsx run a model file outside the editor with the same engine.
  const engine = `require(${JSON.stringify(source.engine)})`;
  files.set("index.js", Buffer.from(`module.exports = ${engine};\n`));
  for (const name of frontEnds) files.set(`${name}.js`, Buffer.from(`module.exports = ${engine}.${name};\n`));
  return files;
}

/** The engine's front ends, imported as "gradlens/tf" and "gradlens/mxnet". */
const FRONT_ENDS = ["tf", "mxnet"];

function manifestFor(source: TypesSource, frontEnds: string[]): Record<string, unknown> {
  return {
    name: "gradlens",
    version: source.version,
    private: true,
    description:
      "Type declarations of the Gradlens engine, written by the Gradlens VS Code extension " +
      "so that model files type-check without npm install. Safe to delete.",
    types: "types/index.d.ts",
    main: "index.js",
    // "gradlens/tf" → types/tf/index.d.ts, for TypeScript's every module resolution (no `exports`)
    ...(frontEnds.length > 0 && {
      typesVersions: { "*": Object.fromEntries(frontEnds.map((n) => [n, [`types/${n}/index.d.ts`]])) },
    }),
  };
}

/** Paths (with `/`) of the regular files below `root`; links and other oddities are skipped. */
async function regularFilesUnder(root: string, prefix = ""): Promise<string[]> {
  const found: string[] = [];
  const entries = await fs.promises.readdir(path.join(root, prefix), { withFileTypes: true });
  for (const entry of entries) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...(await regularFilesUnder(root, rel)));
    else if (entry.isFile()) found.push(rel);
  }
  return found.sort();
}

async function isFile(file: string): Promise<boolean> {
  return fs.promises.stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}
