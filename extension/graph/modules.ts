/**
 * Module calls as compound nodes: which call a graph node belongs to, and a fold key that is
 * equal for structurally identical calls (the same module type running the same ops on the same
 * shapes), so that the page can fold repeated blocks.
 */
import type { ModuleCall, TracedOp } from "./trace";
import { hashString } from "./reach";

/** The calls from the outermost down to `call`. */
export function chainOf(call: ModuleCall | null): ModuleCall[] {
  const chain: ModuleCall[] = [];
  for (let c = call; c; c = c.parent) chain.push(c);
  return chain.reverse();
}

/** The innermost call enclosing all of `calls` (null: the top level). */
export function commonCall(calls: readonly (ModuleCall | null)[]): ModuleCall | null {
  if (calls.length === 0) return null;
  let common = chainOf(calls[0]);
  for (const c of calls.slice(1)) {
    const other = chainOf(c);
    let n = 0;
    while (n < common.length && n < other.length && common[n] === other[n]) n++;
    common = common.slice(0, n);
  }
  return common.length > 0 ? common[common.length - 1] : null;
}

/** `fc1`; an index inside a container reads `seq.0`. */
export function displayName(call: ModuleCall): string {
  return /^\d+$/.test(call.name) && call.parent
    ? `${displayName(call.parent)}.${call.name}`
    : call.name;
}

/** `fc1 (Linear)`, `seq.0 (Conv2d)`. */
export function moduleLabel(call: ModuleCall): string {
  const name = displayName(call);
  return name === call.typeName ? name : `${name} (${call.typeName})`;
}

/** A key per call, equal for calls that ran the same ops in the same nested module types. */
export function foldKeys(ops: readonly TracedOp[]): Map<ModuleCall, string> {
  const parts = new Map<ModuleCall, string[]>();
  for (const op of ops) {
    const chain = chainOf(op.module);
    const shapes = `${op.inputs.map((t) => `[${t.shape}]`).join("")}->${op.outputs.map((t) => `[${t.shape}]`).join("")}`;
    for (let i = 0; i < chain.length; i++) {
      const inner = chain.slice(i + 1).map((c) => c.typeName);
      const list = parts.get(chain[i]) ?? [];
      list.push(`${inner.join("/")}:${op.name}${shapes}`);
      parts.set(chain[i], list);
    }
  }
  const keys = new Map<ModuleCall, string>();
  for (const [call, list] of parts) {
    keys.set(call, `${call.typeName}:${hashString(list.join(";")).toString(16)}`);
  }
  return keys;
}
