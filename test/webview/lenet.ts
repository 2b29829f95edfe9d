/**
 * The graph a new user gets first: examples/lenet.ts run as the panel runs it (in the sandbox,
 * values left out as the host posts them), and the panel's default size in VS Code (half of a
 * 1600×1000 window, less the editor's chrome).
 */
import * as fs from "fs";
import * as path from "path";
import { graphForPage } from "../../extension/runner/pageGraph";
import type { GraphDto } from "../../webview/protocol";
import { runInSandbox } from "../unit/runner/fixtures";
import { ROOT } from "./harness";

export const PANEL_SIZE = { width: 780, height: 870 };

let cached: Promise<GraphDto> | undefined;

/** examples/lenet.ts's graph, with backward run from its exported `loss`. */
export function lenetGraph(): Promise<GraphDto> {
  cached ??= (async () => {
    const file = path.join(ROOT, "examples/lenet.ts");
    const source = fs.readFileSync(file, "utf8");
    const r = await runInSandbox({ file, source, backward: {} });
    if (!r.ok) throw new Error(`lenet.ts failed: ${r.error?.message}`);
    return graphForPage(r.graph);
  })();
  return cached.then((g) => structuredClone(g));
}
