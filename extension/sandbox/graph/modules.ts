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

/** A layer's own number, list or string attribute (a data property: no getter runs). */
function own(module: object, key: string): unknown {
  const d = Object.getOwnPropertyDescriptor(module, key);
  return d && "value" in d ? d.value : undefined;
}

/** `5`, or `3×5` when the sides differ; undefined when the attribute is not a size. */
function size(v: unknown): string | undefined {
  const list = typeof v === "number" ? [v] : Array.isArray(v) ? v : null;
  if (!list || list.length === 0 || !list.every((x) => typeof x === "number")) return undefined;
  return list.every((x) => x === list[0]) ? String(list[0]) : list.join("×");
}

/**
 * A layer's type and settings as Netron shows them: `Conv2d 1→6 k5 p2`, `Linear 400→120`,
 * `MaxPool2d 2`. Defaults (stride 1, padding 0, a pool's stride equal to its kernel) are left out.
 */
export function layerSettings(call: ModuleCall): string {
  const m = call.module;
  const parts = [call.typeName];
  const [inC, outC] = [
    own(m, "inChannels") ?? own(m, "inFeatures"),
    own(m, "outChannels") ?? own(m, "outFeatures"),
  ];
  if (typeof inC === "number" && typeof outC === "number") parts.push(`${inC}→${outC}`);
  const kernel = size(own(m, "kernelSize"));
  if (kernel !== undefined) {
    parts.push(inC === undefined ? kernel : `k${kernel}`);
    const stride = size(own(m, "stride"));
    const defaultStride = inC === undefined ? kernel : "1";
    if (stride !== undefined && stride !== defaultStride) parts.push(`s${stride}`);
    const padding = own(m, "padding");
    const pad = typeof padding === "string" ? padding : size(padding);
    if (pad !== undefined && pad !== "0" && pad !== "valid") parts.push(`p${pad}`);
  }
  return parts.join(" ");
}

/** The output shape of each call: that of the last op run inside it. */
export function callOutputs(ops: readonly TracedOp[]): Map<ModuleCall, number[]> {
  const shapes = new Map<ModuleCall, number[]>();
  for (const op of ops) {
    const out = op.outputs[0];
    if (out) for (const c of chainOf(op.module)) shapes.set(c, out.shape.slice());
  }
  return shapes;
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
