// Gradlens: Show Computation Graph, and Gradlens: Run Backward.
import * as vscode from "vscode";
import { GraphPanel } from "../graphPanel";
import type { RunResult } from "../runProtocol/types";
import type { Services } from "./services";
import { targetDocument } from "./target";

/** Opens (or brings forward) the graph panel on the given or active model file. */
export async function showGraph(s: Services, arg?: unknown): Promise<void> {
  const doc = await targetDocument(arg);
  if (!doc) return;
  GraphPanel.createOrShow(s, doc); // an untrusted workspace gets a panel that says why
  if (!s.trust.isTrusted) s.trust.explain();
}

/**
 * Runs the file and backward from its output: the root given (`{ root }`), the file's exported
 * `loss` (or default export) without asking, the only candidate, or the one the user picks when
 * the last run found several. Later runs keep backward on.
 */
export async function runBackward(s: Services, arg?: unknown): Promise<RunResult | undefined> {
  const doc = await targetDocument(arg);
  if (!doc) return undefined;
  if (!s.trust.isTrusted) {
    GraphPanel.createOrShow(s, doc);
    s.trust.explain();
    return undefined;
  }
  const given = rootArg(arg);
  let root = given;
  if (root === undefined) {
    const last = s.sessions.latest(doc.uri) ?? (await s.sessions.run(doc));
    const roots = last?.roots ?? [];
    if (last?.exportedRoot) {
      root = undefined; // the runner starts from the export, as when nothing is picked
    } else if (roots.length > 1) {
      root = await vscode.window.showQuickPick(roots, {
        title: "Run backward from which output?",
        placeHolder: "scalar results nothing else uses",
      });
      if (root === undefined) return undefined; // dismissed
    } else {
      root = roots[0]; // none: the runner falls back to the file's default output
    }
  }
  GraphPanel.createOrShow(s, doc);
  return s.sessions.run(doc, root === undefined ? {} : { root });
}

function rootArg(arg: unknown): string | undefined {
  if (typeof arg !== "object" || arg === null || !("root" in arg)) return undefined;
  return typeof arg.root === "string" ? arg.root : undefined;
}
