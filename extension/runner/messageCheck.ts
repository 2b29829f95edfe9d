/**
 * What the host believes of a run worker's messages: only the kinds messages.ts names, with the
 * fields their types promise. Model code cannot reach the worker's port (it runs in a sandbox
 * inside the worker), so a message that fails here means a broken worker: it is dropped.
 *
 * Thread: the extension host (or the CLI's main thread).
 */
import type { FromWorker } from "../runProtocol/messages";
import { checkHint, checkRunResult } from "../runProtocol/resultCheck";
import { types } from "util";

export function checkFromWorker(raw: unknown): FromWorker | null {
  if (typeof raw !== "object" || raw === null) return null;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case "ready":
    case "idle":
      return m as FromWorker;
    case "running":
      return m.progress === null || types.isSharedArrayBuffer(m.progress) ? (m as FromWorker) : null;
    case "transpiling":
      return typeof m.waiting === "boolean" ? (m as FromWorker) : null;
    case "file":
      return typeof m.index === "number" && typeof m.file === "string" ? (m as FromWorker) : null;
    case "log":
      return typeof m.line === "string" ? (m as FromWorker) : null;
    case "crash":
      return typeof m.message === "string" ? (m as FromWorker) : null;
    case "shapeHint":
    case "layerHint":
      return checkHint(m.type, m.hint) ? (m as FromWorker) : null;
    case "result": {
      const v = m.values as { data?: unknown; lengths?: unknown } | undefined;
      if (!v || !types.isFloat32Array(v.data) || !types.isInt32Array(v.lengths)) return null;
      const values = { data: v.data, lengths: v.lengths };
      return checkRunResult(m.result, values) === null ? (m as FromWorker) : null;
    }
    default:
      return null;
  }
}
