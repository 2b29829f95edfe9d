/**
 * Checks what a sandbox hands the worker before anything of the host trusts it. Model code
 * cannot reach the worker's message port, but it runs in the same realm as the code that builds
 * the result and could bend that realm's intrinsics: so the result's shape and types are
 * checked here, and a result that fails is reported as the runner's failure, not shown.
 *
 * Thread: the run worker (host side of the sandbox).
 */
import { summaries, type PackedValues } from "./valuePacking";
import type { GraphDto } from "../../webview/protocol";

type Check = (v: unknown) => boolean;

const isString: Check = (v) => typeof v === "string";
const isNumber: Check = (v) => typeof v === "number";
const isBool: Check = (v) => typeof v === "boolean";
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const arrayOf =
  (item: Check): Check =>
  (v) =>
    Array.isArray(v) && v.every(item);
const optional =
  (c: Check): Check =>
  (v) =>
    v === undefined || c(v);

function fields(spec: Record<string, Check>): Check {
  return (v) => isObject(v) && Object.entries(spec).every(([k, c]) => c(v[k]));
}

const location = fields({ file: isString, line: isNumber, column: isNumber });
const shape = arrayOf(isNumber);
const summary = fields({
  shape,
  dtype: (v) => v === "float32" || v === "int64" || v === "bool",
  numel: isNumber,
  min: isNumber,
  max: isNumber,
  mean: isNumber,
  norm: isNumber,
  values: optional((v) => Object.prototype.toString.call(v) === "[object Float32Array]"),
  truncated: isBool,
});
const NODE_KINDS = new Set(["op", "leaf", "param", "tensor", "constant", "module"]);
const node = fields({
  id: isString,
  kind: (v) => typeof v === "string" && NODE_KINDS.has(v),
  label: isString,
  parent: optional(isString),
  shape: optional(shape),
  location: optional(location),
  value: optional(summary),
  grad: (v) => v === undefined || v === null || summary(v),
  failed: optional(isBool),
  foldKey: optional(isString),
  viewOf: optional(isString),
});
const edge = fields({
  id: isString,
  source: isString,
  target: isString,
  label: isString,
  input: optional(isNumber),
  grad: optional(summary),
});
const stepSeries = fields({
  steps: arrayOf(isNumber),
  values: arrayOf((v) => v === null || isNumber(v)),
});
const trainingSteps = fields({
  totalSteps: isNumber,
  stride: isNumber,
  gradNorms: (v) => isObject(v) && Object.values(v).every(stepSeries),
  loss: optional(stepSeries),
});
const graph = fields({
  file: isString,
  nodes: arrayOf(node),
  edges: arrayOf(edge),
  root: optional(isString),
  hasGradients: isBool,
  runMs: isNumber,
  droppedOps: optional(isNumber),
  trainingSteps: optional(trainingSteps),
});
/** Numbers, strings, booleans and lists of them: a failure reason's or layer's fields. */
const flatData: Check = (v) =>
  isObject(v) &&
  Object.values(v).every(
    (x) => x === undefined || isNumber(x) || isString(x) || isBool(x) || arrayOf(isNumber)(x),
  );
const failure = fields({
  errorType: isString,
  op: optional(isString),
  inputs: arrayOf(fields({ shape, name: optional(isString) })),
  module: optional(
    fields({
      path: isString,
      name: isString,
      typeName: isString,
      createdAt: optional(location),
      calledAt: optional(location),
      layer: optional(flatData),
    }),
  ),
  reason: (v) => flatData(v) && isString((v as { kind?: unknown }).kind),
});
const ERROR_KINDS = new Set(["syntax", "runtime", "timeout", "memory"]);
const FIXES: Record<string, Check> = {
  linearFeatures: fields({ expected: isNumber, got: isNumber, inputShape: shape }),
  convChannels: fields({ expected: isNumber, got: isNumber, inputShape: shape }),
  viewSize: fields({ shape, inputShape: shape }),
  backwardTwice: fields({ first: location }),
};
const fixReason: Check = (v) =>
  isObject(v) && typeof v.kind === "string" && Object.hasOwn(FIXES, v.kind) && FIXES[v.kind](v);
const layerSite = fields({
  location,
  name: isString,
  description: isString,
  viaContainer: optional(isBool),
});
const runError = fields({
  kind: (v) => typeof v === "string" && ERROR_KINDS.has(v),
  message: isString,
  location: optional(location),
  explanation: optional(isString),
  fix: optional(fixReason),
  layer: optional(layerSite),
  failure: optional(failure),
});
const shapeHint = fields({
  location,
  op: isString,
  inputShape: shape,
  outputShape: shape,
  formula: isString,
  documentation: isString,
  layerLocation: optional(location),
  viaContainer: optional(isBool),
});
const layerHint = fields({ location, description: isString, formula: isString });

const RESULT: Record<string, Check> = {
  ok: isBool,
  graph,
  error: optional(runError),
  logs: arrayOf(isString),
  shapeHints: arrayOf(shapeHint),
  layerHints: arrayOf(layerHint),
  roots: arrayOf(isString),
  exportedRoot: optional((v) => v === "loss" || v === "default"),
  files: optional(arrayOf(isString)),
  durationMs: isNumber,
};

/** Why a run result is not one (the first field that is wrong), or null when it is. */
export function checkRunResult(v: unknown, values: PackedValues): string | null {
  if (!isObject(v)) return "not an object";
  for (const [key, check] of Object.entries(RESULT)) if (!check(v[key])) return `field ${key}`;
  // the graph's fields are checked above: its summaries are the ones valuePacking packed
  if (values.lengths.length !== summaries(v.graph as GraphDto).length)
    return "values do not match the graph";
  let total = 0;
  for (const l of values.lengths) total += Math.max(l, 0);
  if (total !== values.data.length) return "values do not match their lengths";
  return null;
}

export function checkHint(kind: "shapeHint" | "layerHint", v: unknown): boolean {
  return kind === "shapeHint" ? shapeHint(v) : layerHint(v);
}
