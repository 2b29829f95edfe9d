/**
 * What "Run backward" starts from (issue 5): the variable the user picked, else the file's
 * exported `loss` or default export, else — when the file runs no backward of its own — the
 * last scalar tensor that no op consumed.
 */
import type { Tensor } from "../../engine/tensor";
import type { TracedOp } from "./graph/trace";

/** Tensors with a history that no later op consumed, in the order they were made. */
export function outputTensors(ops: readonly TracedOp[]): Tensor[] {
  const consumed = new Set<Tensor>();
  for (const op of ops) for (const t of op.inputs) consumed.add(t);
  const outputs: Tensor[] = [];
  for (const op of ops) {
    for (const t of op.outputs) if (t.gradFn && !consumed.has(t)) outputs.push(t);
  }
  return outputs;
}

/** Names of scalar outputs, each once (a loop's latest), latest last: the candidates offered. */
export function rootNames(
  outputs: readonly Tensor[],
  nameOf: (t: Tensor) => string | undefined,
): string[] {
  const names: string[] = [];
  for (const t of outputs) {
    const name = nameOf(t);
    if (t.numel() !== 1 || name === undefined) continue;
    const i = names.indexOf(name);
    if (i >= 0) names.splice(i, 1);
    names.push(name);
  }
  return names;
}

/**
 * The export backward starts from when the user names none: `loss`, else `default`, when that
 * is a tensor. Run Backward asks nothing then (the README's promise); else it offers `rootNames`.
 */
export function exportedRoot(
  exports: Record<string, unknown> | undefined,
  isTensor: (v: unknown) => v is Tensor,
): "loss" | "default" | undefined {
  if (exports && isTensor(exports.loss)) return "loss";
  if (exports && isTensor(exports.default)) return "default";
  return undefined;
}

export interface RootChoice {
  root: Tensor | null;
  /** Set when the user named a root that does not exist. */
  problem?: string;
}

/**
 * @param picked the variable name the user chose, if any
 * @param exports the model file's exports
 * @param fileRanBackward the file called backward itself: its gradients are what the graph
 *   shows, and the last unconsumed scalar is then a temporary (a loop's `b.sum().item()`)
 *   whose graph that backward may have freed
 */
export function chooseRoot(
  picked: string | undefined,
  exports: Record<string, unknown> | undefined,
  outputs: readonly Tensor[],
  byName: ReadonlyMap<string, Tensor>,
  isTensor: (v: unknown) => v is Tensor,
  fileRanBackward = false,
): RootChoice {
  if (picked) {
    const t = byName.get(picked);
    return t
      ? { root: t }
      : {
          root: null,
          problem: `Gradlens found no tensor named \`${picked}\` to run backward from`,
        };
  }
  const exported = exportedRoot(exports, isTensor);
  if (exported) return { root: exports![exported] as Tensor };
  if (fileRanBackward) return { root: null };
  for (let i = outputs.length - 1; i >= 0; i--)
    if (outputs[i].numel() === 1) return { root: outputs[i] };
  return { root: null };
}
