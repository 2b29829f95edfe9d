/**
 * Plain explanations of the common PyTorch shape mistakes, naming the layer (by the name the
 * source gave it) and both shapes, e.g.
 * "Linear(600 → 60) in `fc1` expects 600 input features; x has shape [1, 1000]".
 * The engine's message stays PyTorch's, word for word; this is said next to it.
 */
import type { Tensor } from "../../../engine/tensor";
import type { SourceLocation } from "../../../webview/protocol";
import type { ModuleCall, TracedOp } from "../graph/trace";
import { displayName } from "../graph/modules";
import { describeLayer } from "./layerFormula";

export interface ExplainContext {
  nameOf(t: Tensor): string | undefined;
  /** The source text of the first argument of the call at `loc` (`x` in `fc1.forward(x)`). */
  argumentAt(loc: SourceLocation): string | undefined;
}

const fmt = (shape: readonly number[]): string => `[${shape.join(", ")}]`;

/** Whether `module` is (or extends) the engine class `cls`. */
function isA(module: object, cls: string): boolean {
  for (
    let p = Object.getPrototypeOf(module);
    p && p !== Object.prototype;
    p = Object.getPrototypeOf(p)
  ) {
    if ((p.constructor as { name?: string }).name === cls) return true;
  }
  return false;
}

/** Layers whose mistakes are explained from their own settings (feature counts, table size). */
const SIZED_LAYERS = ["BatchNorm1d", "BatchNorm2d", "LayerNorm", "GroupNorm", "Embedding"];

/** The engine layer class of `module` among SIZED_LAYERS, or undefined. */
const sizedLayer = (module: object): string | undefined =>
  SIZED_LAYERS.find((cls) => isA(module, cls));

/** The innermost module call of the failure that is an engine layer (Linear, Conv2d, ...). */
function layerCall(op: TracedOp): ModuleCall | null {
  for (let c = op.module; c; c = c.parent) {
    if (isA(c.module, "Linear") || describeLayer(c.module) || sizedLayer(c.module)) return c;
  }
  return null;
}

/** `BatchNorm2d(32)`, `LayerNorm([64])`, `Embedding(10, 4)`: the sized layers' settings. */
function sizedLayerText(module: object, cls: string): string {
  const m = module as {
    numFeatures?: number;
    normalizedShape?: number[];
    numGroups?: number;
    numChannels?: number;
    numEmbeddings?: number;
    embeddingDim?: number;
  };
  if (cls === "LayerNorm") return `LayerNorm(${fmt(m.normalizedShape ?? [])})`;
  if (cls === "GroupNorm") return `GroupNorm(${m.numGroups}, ${m.numChannels})`;
  if (cls === "Embedding") return `Embedding(${m.numEmbeddings}, ${m.embeddingDim})`;
  return `${cls}(${m.numFeatures})`;
}

/** `Linear(600 → 60) in \`fc1\``, `Conv2d(3→16, k=3) in \`conv1\``. */
function layerText(call: ModuleCall): string {
  const m = call.module as { inFeatures?: number; outFeatures?: number };
  const sized = sizedLayer(call.module);
  const desc = isA(call.module, "Linear")
    ? `Linear(${m.inFeatures} → ${m.outFeatures})`
    : sized
      ? sizedLayerText(call.module, sized)
      : (describeLayer(call.module)?.description ?? call.typeName);
  return `${desc} in \`${displayName(call)}\``;
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

/** The op's data input: `addmm(bias, x, wᵀ)` takes it second, the others first. */
function dataInput(op: TracedOp): TracedOp["inputs"][number] | undefined {
  return op.name === "AddmmBackward0" ? op.inputs[1] : op.inputs[0];
}

/** The explanation of a failure, or undefined when it is not one we know. */
export function explain(
  message: string,
  op: TracedOp | null,
  ctx: ExplainContext,
): string | undefined {
  if (!op) return undefined;
  const call = layerCall(op);
  const who = inputText(op, call, ctx);
  const inShape = dataInput(op)?.shape;

  const mm = /mat1 and mat2 shapes cannot be multiplied \((\d+)x(\d+) and (\d+)x(\d+)\)/.exec(
    message,
  );
  if (mm) {
    const [, r1, c1, r2, c2] = mm;
    if (call && isA(call.module, "Linear")) {
      const m = call.module as { inFeatures?: number };
      return `${layerText(call)} expects ${m.inFeatures ?? r2} input features; ${who} has shape ${fmt(inShape ?? [Number(r1), Number(c1)])}`;
    }
    return `matrix product of ${r1}×${c1} and ${r2}×${c2}: the first has ${c1} columns but the second has ${r2} rows (they must be equal)`;
  }

  const channels =
    /weight of size \[([\d, ]+)\], expected input\[([\d, ]+)\] to have (\d+) channels, but got (\d+) channels/.exec(
      message,
    );
  if (channels) {
    const [, weight, input, want] = channels;
    const where = call ? layerText(call) : `the convolution with weight [${weight}]`;
    return `${where} expects ${want} input channels; ${who} has shape [${input}]`;
  }

  const kernel = /padded input size per channel: \(([\d x]+)\)\. Kernel size: \(([\d x]+)\)/.exec(
    message,
  );
  if (kernel) {
    const [, padded, k] = kernel;
    const where = call ? layerText(call) : "The convolution";
    const shape = inShape ? ` (shape ${fmt(inShape)})` : "";
    return `${where} has a ${k.replace(/ x /g, "×")} kernel, larger than ${who}${shape}: ${padded.replace(/ x /g, "×")} per channel after padding`;
  }

  const tooSmall =
    /Given input size(?: per channel)?: \(([\dx ]+)\)\. Calculated output size(?: per channel)?: \(([\dx ]+)\)/.exec(
      message,
    );
  if (tooSmall) {
    const [, given, out] = tooSmall;
    const where = call ? layerText(call) : "This layer";
    return `${where} would make an output of size ${out.replace(/ ?x ?/g, "×")} from ${who} of size ${given.replace(/ ?x ?/g, "×")}: the input is too small for the kernel, stride and padding`;
  }

  const view = /shape '\[([-\d, ]+)\]' is invalid for input of size (\d+)/.exec(message);
  if (view) {
    const [, target, size] = view;
    const dims = target.split(", ").map(Number);
    const known = dims.filter((d) => d !== -1).reduce((p, q) => p * q, 1);
    const named = dataInput(op) ? ctx.nameOf(dataInput(op)!) : undefined;
    const what = `${named ?? "the tensor"}${inShape ? ` (shape ${fmt(inShape)})` : ""} has ${size} elements`;
    const why = dims.includes(-1)
      ? `${size} is not a multiple of ${known}`
      : `that shape holds ${known}`;
    return `${op.name}: ${what}, which cannot be arranged as [${target}]: ${why}`;
  }

  const batch = /Expected input batch_size \((\d+)\) to match target batch_size \((\d+)\)/.exec(
    message,
  );
  if (batch) {
    const [, a, b] = batch;
    return `${op.name}: the input is a batch of ${a} but the target has ${b} entries; there must be one target per input row`;
  }

  const sized = explainSizedLayer(message, op, call, who, inShape);
  if (sized) return sized;

  const broadcast =
    /The size of tensor a \((\d+)\) must match the size of tensor b \((\d+)\) at non-singleton dimension (\d+)/.exec(
      message,
    );
  if (broadcast && op.inputs.length >= 2) {
    const [, sa, sb, dim] = broadcast;
    const [a, b] = op.inputs;
    const name = op.name.replace(/Backward\d*$/, "").toLowerCase();
    const an = ctx.nameOf(a) ?? "the first operand";
    const bn = ctx.nameOf(b) ?? "the second operand";
    return `${name}: ${an} has shape ${fmt(a.shape)} and ${bn} has shape ${fmt(b.shape)}, which do not broadcast: at dimension ${dim} (counted in the broadcast shape) the sizes ${sa} and ${sb} differ and neither is 1`;
  }
  return undefined;
}

/** BatchNorm/LayerNorm feature counts and Embedding indices, or undefined for other failures. */
function explainSizedLayer(
  message: string,
  op: TracedOp,
  call: ModuleCall | null,
  who: string,
  inShape: readonly number[] | undefined,
): string | undefined {
  const cls = call ? sizedLayer(call.module) : undefined;
  const where = call && cls ? layerText(call) : undefined;

  const channels = /running_mean should contain (\d+) elements not (\d+)/.exec(message);
  if (channels && inShape) {
    const [, got, want] = channels;
    const layer = where ?? `This batch norm (${want} features)`;
    const fit = cls ? ` (${cls}(${got}) would fit)` : "";
    return `${layer} expects ${want} channels; ${who} has shape ${fmt(inShape)}, with ${got} channels in dim 1${fit}`;
  }

  const normalized = /Given normalized_shape=\[([\d, ]*)\], expected input with shape/.exec(
    message,
  );
  if (normalized && inShape) {
    const ns = normalized[1].split(", ").map(Number);
    const last = inShape.slice(Math.max(inShape.length - ns.length, 0));
    const layer = where ?? `This layer norm over [${normalized[1]}]`;
    const fit = last.length === 1 ? `LayerNorm(${last[0]})` : `LayerNorm(${fmt(last)})`;
    return `${layer} normalizes over the last dims, which must be [${normalized[1]}]; ${who} has shape ${fmt(inShape)}, whose last dims are ${fmt(last)} (${fit} would fit)`;
  }

  if (message === "index out of range in self" && op.name === "EmbeddingBackward0") {
    const rows = op.inputs[0]?.shape[0] ?? 0;
    const indices = (op.attrs as { indices?: Tensor } | undefined)?.indices;
    if (!indices) return undefined;
    const bad = [...new Set(Array.from(indices._values).filter((v) => v < 0 || v >= rows))];
    bad.sort((a, b) => Math.abs(b) - Math.abs(a));
    const layer = where ?? `This embedding of ${rows} rows`;
    const named =
      bad.length > 1 ? `${bad[0]} (largest) and ${bad.slice(1, 4).join(", ")}` : `${bad[0]}`;
    return `${layer} has rows 0 … ${rows - 1}, but ${who} holds ${named}: every index must be below num_embeddings = ${rows}`;
  }
  return undefined;
}
