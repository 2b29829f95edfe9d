/**
 * Inlay-hint data (issue 6): for every convolution, transposed convolution and pooling the run
 * applied, a ShapeHint at the user's call (`conv.forward(x)`, `F.conv2d(...)`) with the input and
 * output shapes and the size formula filled in with the call's numbers (engine/nn/shapes.ts, the
 * formulas the engine itself uses); for every such layer constructed, a LayerHint with the
 * formula in terms of the input size. Collected while the run goes, so that a later failure
 * (or a timeout, since each hint is also streamed out) does not lose them.
 *
 * Shapes are the ones the user's code sees: `F.conv1d` on an unbatched [C, L] adds a batch dim
 * of 1 before the convolution and drops it after (as ATen does), and the hint leaves it out.
 * An `nn.Sequential` member has no call of its own in the source: its hint also carries where
 * the layer was constructed, and the Sequential's call gets a hint with its own output.
 */
import * as shapes from "../../../engine/nn/shapes";
import type { SourceLocation } from "../../../webview/protocol";
import type { Tensor } from "../../../engine/tensor";
import type { TracedOp } from "../graph/trace";
import * as ops from "../../../engine/trace/ops";
import { isOp, isOneOf } from "../../../engine/trace/ops";
import type { LayerHint, ShapeHint } from "../../runProtocol/types";
import { describeLayer } from "./layerFormula";
import { CallChains, type ChainHint, type HintedLayer, type LayerPlace } from "./callChains";
import { formatShape } from "../../../webview/format";

/** A loop's indexing call gets a hint for each of its first this many runs (the editor lists each size once). */
const MAX_CHAINS_PER_PLACE = 32;

/** The view and indexing ops one `x.index(...)` call is made of. */
const INDEXING = [ops.Select, ops.Narrow, ops.Index, ops.Alias];
const INDEXING_DOC =
  "Python's x[...]: numbers select (the dim goes), slices start:end:step keep the dim, null adds a dim of 1, " +
  '"..." stands for the dims not named; these give a view of x. Long tensors and bool masks pick elements (a copy).';

/** What the result of an indexing chain is: a view, unless an advanced index copied. */
function indexingFormula(op: TracedOp, sofar: string): string {
  if (isOp(op, ops.Index) || sofar.startsWith("a copy"))
    return "a copy: advanced indexing picks elements";
  return "a view: it shares storage with the tensor indexed";
}

/** The pools a hint is given for (a 1-D pool is one of these with a height of 1). */
const POOLS = [ops.MaxPool2DWithIndices, ops.AvgPool2D];

/** An adaptive average to 1×1 is a `Mean` node carrying `adaptiveOutputSize`. */
const isAdaptiveMean = (op: TracedOp): boolean =>
  isOp(op, ops.Mean) && "adaptiveOutputSize" in op.attrs;

const adaptivePoolName = (op: TracedOp): string | undefined =>
  isOp(op, ops.AdaptiveAvgPool2D) || isAdaptiveMean(op)
    ? "adaptiveAvgPool2d"
    : isOp(op, ops.AdaptiveMaxPool2D)
      ? "adaptiveMaxPool2d"
      : undefined;

const DIM_NAMES: Record<number, string[]> = { 1: ["L"], 2: ["H", "W"], 3: ["D", "H", "W"] };

/** One formula per spatial dim, written once when all dims read the same. */
function perDim(formulas: string[]): string {
  if (formulas.every((f) => f === formulas[0])) return formulas[0];
  const names = DIM_NAMES[formulas.length] ?? formulas.map((_, i) => `d${i}`);
  return formulas.map((f, i) => `${names[i]}: ${f}`).join("; ");
}

/**
 * The hint of one op, or undefined when it is not a conv/pool/resize or not called from user
 * code. `unbatched`: the engine gave the input a batch dim of 1 that the user's tensors do not
 * have; `oneD`: a pool's input got a height of 1 from a 1-D pool (`F.maxPool1d`).
 */
export function shapeHintOf(op: TracedOp, unbatched = false, oneD = false): ShapeHint | undefined {
  if (!op.location || op.failed || op.outputs.length === 0) return undefined;
  const x = op.inputs[0];
  const out = op.outputs[0];
  const seen = (shape: readonly number[]): number[] => shape.slice(unbatched ? 1 : 0);
  if (isOp(op, ops.Convolution)) {
    const a = op.attrs;
    const kernel = op.inputs[1].shape.slice(2);
    const spatial = x.shape.slice(2);
    const formulas = spatial.map((n, i) =>
      a.transposed
        ? shapes.convTransposeOutFormula(n, kernel[i], {
            stride: a.stride[i],
            padding: a.padding[i],
            dilation: a.dilation[i],
            outputPadding: a.outputPadding[i],
          })
        : shapes.convOutFormula(n, kernel[i], {
            stride: a.stride[i],
            padding: a.padding[i],
            dilation: a.dilation[i],
          }),
    );
    return {
      location: op.location,
      op: `${a.transposed ? "convTranspose" : "conv"}${kernel.length}d`,
      inputShape: seen(x.shape),
      outputShape: seen(out.shape),
      formula: perDim(formulas),
      documentation: a.transposed ? shapes.CONV_TRANSPOSE_DOC : shapes.CONV_DOC,
    };
  }
  // adaptive pools and resizing: a formula per spatial dim (h, w) from input and output sizes
  const resize = (
    name: string,
    doc: string,
    formula: (n: number, out: number, i: number) => string,
  ) => {
    const outs = out.shape.slice(-2);
    return {
      location: op.location!,
      op: name,
      inputShape: seen(x.shape),
      outputShape: seen(out.shape),
      formula: perDim(x.shape.slice(-2).map((n, i) => formula(n, outs[i], i))),
      documentation: doc,
    };
  };
  const adaptive = adaptivePoolName(op);
  if (adaptive) return resize(adaptive, shapes.ADAPTIVE_POOL_DOC, shapes.adaptivePoolOutFormula);
  if (isOp(op, ops.UpsampleNearest2D) || isOp(op, ops.UpsampleBilinear2D)) {
    const a = op.attrs;
    return resize("interpolate", shapes.INTERPOLATE_DOC, (n, o, i) =>
      shapes.interpolateOutFormula(n, o, a.scales[i]),
    );
  }
  if (isOp(op, ops.MaxPool2DWithIndices) || isOp(op, ops.AvgPool2D)) {
    const a = op.attrs;
    const pool = isOp(op, ops.MaxPool2DWithIndices) ? "maxPool2d" : "avgPool2d";
    // a 1-D pool is a 2-D one of height 1 (ATen's unsqueeze(-2)): the hint shows the 1-D call
    const dims = oneD ? [1] : [0, 1];
    const drop = (shape: readonly number[]): number[] =>
      oneD ? [...shape.slice(0, -2), shape[shape.length - 1]] : shape.slice();
    const formulas = dims.map((i) =>
      shapes.poolOutFormula(x.shape[x.shape.length - 2 + i], a.kernelSize[i], {
        stride: a.stride[i],
        padding: a.padding[i],
        dilation: a.dilation[i],
        ceilMode: a.ceilMode,
      }),
    );
    return {
      location: op.location,
      op: oneD ? pool.replace("2d", "1d") : pool,
      inputShape: seen(drop(x.shape)),
      outputShape: seen(drop(out.shape)),
      formula: perDim(formulas),
      documentation: shapes.POOL_DOC,
    };
  }
  return undefined;
}

/** One member of a container call that got a hint, and its path in the container (`[2]`). */
export interface ContainerMember {
  path: string;
  hint: ShapeHint;
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((n, i) => n === b[i]);

/** Whether two places are known and the same. */
export function sameLocation(
  a: SourceLocation | undefined,
  b: SourceLocation | undefined,
): boolean {
  return !!a && !!b && a.file === b.file && a.line === b.line && a.column === b.column;
}

/** Two ops of one call of the user's: the same source place, in the same module call. */
const samePlace = (a: TracedOp, b: TracedOp): boolean =>
  a.module === b.module && sameLocation(a.location, b.location);

/** A module call's hint: its output at the call, `formula` in the hover. */
function moduleHint(
  location: SourceLocation,
  typeName: string,
  input: Tensor | undefined,
  output: Tensor,
  formula: string,
): ShapeHint {
  return {
    location,
    op: typeName,
    inputShape: input ? input.shape.slice() : [],
    outputShape: output.shape.slice(),
    formula,
    documentation: "",
  };
}

/** Gathers hints during a run, each distinct one once. */
export class HintCollector {
  readonly shapeHints: ShapeHint[] = [];
  readonly layerHints: LayerHint[] = [];
  private readonly seen = new Set<string>();
  /**
   * Tensors the engine gave a leading batch dim of 1 for an unbatched conv, with the op that
   * did it: `unsqueeze(x, 0)`, then maybe the right-side pad of `padding: "same"`, all in one
   * call of the user's (the same source place and module call as the convolution's).
   */
  private readonly batchAdded = new WeakMap<Tensor, TracedOp>();
  /** Tensors a 1-D pool gave a height of 1 (`unsqueeze(x, -2)`), with the op that did it. */
  private readonly heightAdded = new WeakMap<Tensor, TracedOp>();

  constructor(
    private readonly onShape?: (hint: ShapeHint) => void,
    private readonly onLayer?: (hint: LayerHint) => void,
  ) {}

  /** The calls (view, matmul, Linear, cat, ...) whose several ops make one hint. */
  private readonly chains = new CallChains();

  /**
   * Every op of the run, in order; returns the hints it completed, each with the op that began
   * it (also when one repeats a hint already given). `place`: where the layer that applied it
   * was constructed; `inLayer`: it ran in a layer's own forward, which layer (see CallChains).
   */
  fromOp(op: TracedOp, place: LayerPlace = {}, inLayer?: HintedLayer | "other"): ChainHint[] {
    const done = this.chains.add(op, place, inLayer).map((c) => this.emitChain(c));
    const hint = this.fromWindowOp(op, place);
    return hint ? [...done, { op, hint }] : done;
  }

  /** The hints of the calls still open: at a module call's end and the run's. */
  flush(): ChainHint[] {
    return this.chains.flush().map((c) => this.emitChain(c));
  }

  private emitChain(c: ChainHint): ChainHint {
    this.emitKeyed("k", c.hint);
    return c;
  }

  /** A hint told apart from others by all it says and where (`kind`: which collector made it). */
  private emitKeyed(kind: string, hint: ShapeHint): void {
    const at = (l?: SourceLocation): string => (l ? `${l.file}:${l.line}:${l.column}` : "");
    const { op, inputShape, outputShape, formula } = hint;
    const where = `${at(hint.location)}|${at(hint.layerLocation)}`;
    this.emit(`${kind}|${where}|${op}|${inputShape}|${outputShape}|${formula}`, hint);
  }

  /** Conv, pool, resize and indexing ops: the hint, or undefined when the op has none. */
  private fromWindowOp(op: TracedOp, place: LayerPlace): ShapeHint | undefined {
    const [x] = op.inputs;
    const [y] = op.outputs;
    if (!x || !y) return undefined;
    if (isOneOf(op, INDEXING)) this.fromIndexing(op, x, y);
    if (isOp(op, ops.Unsqueeze)) {
      if (y.shape[0] === 1 && sameShape(y.shape.slice(1), x.shape)) this.batchAdded.set(y, op);
      const h = y.shape.length - 2;
      if (y.shape[h] === 1 && sameShape([...y.shape.slice(0, h), ...y.shape.slice(h + 1)], x.shape))
        this.heightAdded.set(y, op);
      return undefined;
    }
    const batching = this.batchAdded.get(x);
    const fromBatching = !!batching && samePlace(batching, op);
    if (isOp(op, ops.ConstantPad)) {
      if (fromBatching) this.batchAdded.set(y, op);
      return undefined;
    }
    const heightOp = this.heightAdded.get(x);
    const oneD = !!heightOp && samePlace(heightOp, op) && isOneOf(op, POOLS);
    const found = shapeHintOf(op, fromBatching && isOp(op, ops.Convolution), oneD);
    if (!found) return undefined;
    const hint: ShapeHint = { ...found, ...place };
    const { file, line, column } = hint.location;
    const layer = hint.layerLocation;
    const where = layer ? `${layer.file}:${layer.line}:${layer.column}` : "";
    this.emit(
      `s|${file}:${line}:${column}|${where}|${hint.op}|${hint.inputShape}|${hint.outputShape}`,
      hint,
    );
    return hint;
  }

  /**
   * A container's call (`seq.forward(x)`) whose members' hints went to their constructions:
   * its own output at the call, and what each member made of its input, for the tooltip.
   */
  fromContainer(
    location: SourceLocation,
    typeName: string,
    input: Tensor | undefined,
    output: Tensor,
    members: readonly ContainerMember[],
  ): void {
    const formula = members
      .map(
        ({ path, hint: h }) =>
          `${path} ${h.op}: ${formatShape(h.inputShape)} → ${formatShape(h.outputShape)}`,
      )
      .join("\n");
    this.emitKeyed("c", moduleHint(location, typeName, input, output, formula));
  }

  /**
   * An attention or transformer layer the user's code called: its output at the call (its
   * ops inside get no hints of their own); `extra` (MultiheadAttention's weights) in the hover.
   */
  fromModuleOutput(
    location: SourceLocation,
    typeName: string,
    input: Tensor | undefined,
    output: Tensor,
    extra?: Tensor,
  ): void {
    const formula = extra
      ? `attention weights ${formatShape(extra.shape)}`
      : formatShape(output.shape);
    this.emitKeyed("m", moduleHint(location, typeName, input, output, formula));
  }

  /**
   * Per call site, the latest chain of view ops of one `x.index(...)` call (its hint, its last
   * output and op), and how many chains the place has had.
   */
  private readonly indexing = new Map<
    string,
    { hint: ShapeHint; last: Tensor; lastOp: number; chains: number }
  >();

  /**
   * `x.index(...)` (and `select`, `narrow`, slicing) is a chain of view ops at one call: one hint
   * there, from the first op's input to the last op's output. The chain goes on while each op
   * takes the output of the op just before it; a place run again (a loop) starts a new chain,
   * and the editor lists each distinct size once.
   */
  private fromIndexing(op: TracedOp, x: Tensor, y: Tensor): void {
    const loc = op.location;
    if (!loc || op.failed) return;
    const at = `${loc.file}:${loc.line}:${loc.column}`;
    const chain = this.indexing.get(at);
    if (chain?.last === x && chain.lastOp === op.index - 1) {
      chain.hint.outputShape = y.shape.slice();
      chain.hint.formula = indexingFormula(op, chain.hint.formula);
      [chain.last, chain.lastOp] = [y, op.index];
      return;
    }
    const chains = (chain?.chains ?? 0) + 1;
    if (chains > MAX_CHAINS_PER_PLACE) return;
    const hint: ShapeHint = {
      location: loc,
      op: "index",
      inputShape: x.shape.slice(),
      outputShape: y.shape.slice(),
      formula: indexingFormula(op, ""),
      documentation: INDEXING_DOC,
    };
    this.indexing.set(at, { hint, last: y, lastOp: op.index, chains });
    this.emit(`i|${at}|${chains}`, hint);
  }

  /**
   * The hints, each told once: a loop's indexing call gives a chain per run, and runs that
   * ended the same (same place, sizes and formula) are one hint.
   */
  distinctShapeHints(): ShapeHint[] {
    const seen = new Set<string>();
    return this.shapeHints.filter((h) => {
      const l = h.location;
      const key = `${l.file}:${l.line}:${l.column}|${h.op}|${h.inputShape}|${h.outputShape}|${h.formula}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  private emit(key: string, hint: ShapeHint): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.shapeHints.push(hint);
    this.onShape?.(hint);
  }

  /** `new nn.Conv2d(...)` and friends, where the source constructed them. */
  fromConstruction(module: object, location: SourceLocation): void {
    const layer = describeLayer(module);
    if (!layer) return;
    const key = `l|${location.file}:${location.line}:${location.column}|${layer.description}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const hint = { location, ...layer };
    this.layerHints.push(hint);
    this.onLayer?.(hint);
  }
}
