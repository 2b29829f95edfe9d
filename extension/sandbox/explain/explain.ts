/**
 * Plain explanations of the common PyTorch shape mistakes, naming the layer (by the name the
 * source gave it) and both shapes, e.g.
 * "Linear(600 → 60) in `fc1` expects 600 input features; x has shape [1, 1000]".
 * The engine's message stays PyTorch's, word for word; this is said next to it, from the
 * failure's data (the reason's numbers, the layer's settings), never from the message text.
 */
import type { FailureReason, ReasonOf } from "../../../engine/failureReasons";
import type { Tensor } from "../../../engine/tensor";
import type { SourceLocation } from "../../../webview/protocol";
import type { LayerSettings } from "../../runProtocol/types";
import type { ModuleCall, TracedOp } from "../graph/trace";
import { layerPath } from "../graph/modules";
import { describeLayer } from "./layerFormula";
import { layerSettings } from "./layerSettings";
import { layerCall } from "./failure";
import { Addmm, Embedding, isOp } from "../../../engine/trace/ops";
import { bracketed } from "../../../engine/shape";

export interface ExplainContext {
  nameOf(t: Tensor): string | undefined;
  /** The source text of the first argument of the call at `loc` (`x` in `fc1.forward(x)`). */
  argumentAt(loc: SourceLocation): string | undefined;
}

const times = (sizes: readonly number[]): string => sizes.join("×");

/** `BatchNorm2d(32)`, `LayerNorm([64])`, `Linear(600 → 60)`: a sized layer's settings. */
function settingsText(s: LayerSettings): string | undefined {
  switch (s.type) {
    case "Linear":
      return `Linear(${s.inFeatures} → ${s.outFeatures})`;
    case "BatchNorm":
      return `${s.className}(${s.numFeatures})`;
    case "LayerNorm":
      return `LayerNorm(${bracketed(s.normalizedShape)})`;
    case "GroupNorm":
      return `GroupNorm(${s.numGroups}, ${s.numChannels})`;
    case "Embedding":
      return `Embedding(${s.numEmbeddings}, ${s.embeddingDim})`;
    case "Conv":
      return undefined; // the formula's description reads better (`Conv2d(3→16, k=3)`)
  }
}

/** `Linear(600 → 60)`, `Conv2d(3→16, k=3)`, `BatchNorm2d(32)`: a layer and its settings. */
export function layerDescription(call: ModuleCall): string {
  const settings = layerSettings(call.module);
  return (
    (settings && settingsText(settings)) ?? describeLayer(call.module)?.description ?? call.typeName
  );
}

/** `Linear(600 → 60) in \`fc1\``, `Conv2d(3→16, k=3) in \`net[0]\``. */
function layerText(call: ModuleCall): string {
  return `${layerDescription(call)} in \`${layerPath(call)}\``;
}

/** How to call the failing layer's input: the argument the user passed, its name, or "its input". */
function inputText(op: TracedOp, call: ModuleCall | null, ctx: ExplainContext): string {
  // a layer the user called directly: its argument as written (a container's members are not)
  if (
    call?.location &&
    (!call.parent ||
      call.parent.location?.line !== call.location.line ||
      call.parent.location?.column !== call.location.column)
  ) {
    const arg = ctx.argumentAt(call.location);
    if (arg && arg.length <= 40) return arg;
  }
  const named = dataInput(op) ? ctx.nameOf(dataInput(op)!) : undefined;
  return named ?? "its input";
}

/**
 * The op's data input: `addmm(bias, x, wᵀ)` takes it second, an embedding's indices are an
 * attribute (its one input is the table), the others take it first.
 */
export function dataInput(op: TracedOp): Tensor | undefined {
  if (isOp(op, Addmm)) return op.inputs[1];
  if (isOp(op, Embedding)) return op.attrs.indices;
  return op.inputs[0];
}

/** `mul`, `add`: an op's functional name from its grad_fn name (`MulBackward0`). */
function functionalName(name: string): string {
  const at = name.lastIndexOf("Backward");
  return (at > 0 ? name.slice(0, at) : name).toLowerCase();
}

/** What one explanation needs: the failing op, the layer it ran in, and how to name its input. */
interface Scene {
  op: TracedOp;
  call: ModuleCall | null;
  who: string;
  inShape: readonly number[] | undefined;
  ctx: ExplainContext;
}

type Explainer<K extends FailureReason["kind"]> = (r: ReasonOf<K>, s: Scene) => string | undefined;

const matmulShapes: Explainer<"matmulShapes"> = ({ a, b }, { call, who, inShape }) => {
  if (a.length !== 2 || b.length !== 2) return undefined;
  const settings = call ? layerSettings(call.module) : undefined;
  if (call && settings?.type === "Linear")
    return `${layerText(call)} expects ${settings.inFeatures} input features; ${who} has shape ${bracketed(inShape ?? a)}`;
  const [[r1, c1], [r2, c2]] = [a, b];
  return `matrix product of ${r1}×${c1} and ${r2}×${c2}: the first has ${c1} columns but the second has ${r2} rows (they must be equal)`;
};

const convChannels: Explainer<"convChannels"> = ({ expected, weight, input }, { call, who }) => {
  const where = call ? layerText(call) : `the convolution with weight ${bracketed(weight)}`;
  return `${where} expects ${expected} input channels; ${who} has shape ${bracketed(input)}`;
};

const kernelTooLarge: Explainer<"kernelTooLarge"> = (r, { call, who, inShape }) => {
  const where = call ? layerText(call) : "The convolution";
  const shape = inShape ? ` (shape ${bracketed(inShape)})` : "";
  return `${where} has a ${times(r.kernel)} kernel, larger than ${who}${shape}: ${times(r.paddedInput)} per channel after padding`;
};

const outputTooSmall: Explainer<"outputTooSmall"> = (r, { call, who }) => {
  const where = call ? layerText(call) : "This layer";
  return `${where} would make an output of size ${times(r.output)} from ${who} of size ${times(r.input)}: the input is too small for the kernel, stride and padding`;
};

const viewSize: Explainer<"viewSize"> = ({ shape, numel }, { op, inShape, ctx }) => {
  const known = shape.filter((d) => d !== -1).reduce((p, q) => p * q, 1);
  const named = dataInput(op) ? ctx.nameOf(dataInput(op)!) : undefined;
  const what = `${named ?? "the tensor"}${inShape ? ` (shape ${bracketed(inShape)})` : ""} has ${numel} elements`;
  const why = shape.includes(-1)
    ? `${numel} is not a multiple of ${known}`
    : `that shape holds ${known}`;
  return `${op.name}: ${what}, which cannot be arranged as ${bracketed(shape)}: ${why}`;
};

const batchSize: Explainer<"batchSize"> = ({ input, target }, { op }) =>
  `${op.name}: the input is a batch of ${input} but the target has ${target} entries; there must be one target per input row`;

const normFeatures: Explainer<"normFeatures"> = ({ expected, got }, { call, who, inShape }) => {
  if (!inShape) return undefined;
  const settings = call ? layerSettings(call.module) : undefined;
  const norm = settings?.type === "BatchNorm" ? settings : undefined;
  const layer = call && norm ? layerText(call) : `This batch norm (${expected} features)`;
  const fit = norm ? ` (${norm.className}(${got}) would fit)` : "";
  return `${layer} expects ${expected} channels; ${who} has shape ${bracketed(inShape)}, with ${got} channels in dim 1${fit}`;
};

const normalizedShape: Explainer<"normalizedShape"> = (r, { call, who, inShape }) => {
  if (!inShape) return undefined;
  const ns = r.normalizedShape;
  const last = inShape.slice(Math.max(inShape.length - ns.length, 0));
  const isLayerNorm = call && layerSettings(call.module)?.type === "LayerNorm";
  const layer = isLayerNorm ? layerText(call) : `This layer norm over [${ns.join(", ")}]`;
  const fit = last.length === 1 ? `LayerNorm(${last[0]})` : `LayerNorm(${bracketed(last)})`;
  return `${layer} normalizes over the last dims, which must be [${ns.join(", ")}]; ${who} has shape ${bracketed(inShape)}, whose last dims are ${bracketed(last)} (${fit} would fit)`;
};

const embeddingIndex: Explainer<"embeddingIndex"> = (r, { call, who }) => {
  const rows = r.numEmbeddings;
  const bad = r.bad.slice().sort((a, b) => Math.abs(b) - Math.abs(a));
  if (bad.length === 0) return undefined;
  const isEmbedding = call && layerSettings(call.module)?.type === "Embedding";
  const layer = isEmbedding ? layerText(call) : `This embedding of ${rows} rows`;
  const named =
    bad.length > 1 ? `${bad[0]} (largest) and ${bad.slice(1, 4).join(", ")}` : `${bad[0]}`;
  return `${layer} has rows 0 … ${rows - 1}, but ${who} holds ${named}: every index must be below num_embeddings = ${rows}`;
};

const broadcast: Explainer<"broadcast"> = (r, { op, ctx }) => {
  if (op.inputs.length < 2) return undefined;
  const [a, b] = op.inputs;
  const an = ctx.nameOf(a) ?? "the first operand";
  const bn = ctx.nameOf(b) ?? "the second operand";
  return `${functionalName(op.name)}: ${an} has shape ${bracketed(a.shape)} and ${bn} has shape ${bracketed(b.shape)}, which do not broadcast: at dimension ${r.dim} (counted in the broadcast shape) the sizes ${r.sizeA} and ${r.sizeB} differ and neither is 1`;
};

/** The explanation of each kind of failure we explain; the others get none. */
const EXPLAINERS: { [K in FailureReason["kind"]]?: Explainer<K> } = {
  matmulShapes,
  convChannels,
  kernelTooLarge,
  outputTooSmall,
  viewSize,
  batchSize,
  normFeatures,
  normalizedShape,
  embeddingIndex,
  broadcast,
};

/** The explanation of a failure of `op` for `reason`, or undefined when it is not one we know. */
export function explain(
  reason: FailureReason,
  op: TracedOp | null,
  ctx: ExplainContext,
): string | undefined {
  if (!op) return undefined;
  const call = layerCall(op);
  const scene: Scene = {
    op,
    call,
    who: inputText(op, call, ctx),
    inShape: dataInput(op)?.shape,
    ctx,
  };
  const explainer = EXPLAINERS[reason.kind] as Explainer<typeof reason.kind> | undefined;
  return explainer?.(reason as never, scene);
}
