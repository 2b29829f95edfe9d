/**
 * Inlay-hint data (issue 6): for every convolution, transposed convolution and pooling the run
 * applied, a ShapeHint at the user's call (`conv.forward(x)`, `F.conv2d(...)`) with the input and
 * output shapes and the size formula filled in with the call's numbers (engine/nn/shapes.ts, the
 * formulas the engine itself uses); for every such layer constructed, a LayerHint with the
 * formula in terms of the input size. Collected while the run goes, so that a later failure
 * (or a timeout, since each hint is also streamed out) does not lose them.
 */
import * as shapes from "../../engine/nn/shapes";
import type { SourceLocation } from "../../webview/protocol";
import type { TracedOp } from "../graph/trace";
import type { ConvAttrs } from "../../engine/ops/conv";
import type { PoolAttrs } from "../../engine/ops/pool";
import type { LayerHint, ShapeHint } from "./types";
import { describeLayer } from "./layerFormula";

const POOLS: Record<string, string> = {
  MaxPool2DWithIndicesBackward0: "maxPool2d",
  AvgPool2DBackward0: "avgPool2d",
};

const DIM_NAMES: Record<number, string[]> = { 1: ["L"], 2: ["H", "W"], 3: ["D", "H", "W"] };

/** One formula per spatial dim, written once when all dims read the same. */
function perDim(formulas: string[]): string {
  if (formulas.every((f) => f === formulas[0])) return formulas[0];
  const names = DIM_NAMES[formulas.length] ?? formulas.map((_, i) => `d${i}`);
  return formulas.map((f, i) => `${names[i]}: ${f}`).join("; ");
}

/** The hint of one op, or undefined when it is not a conv/pool or not called from user code. */
export function shapeHintOf(op: TracedOp): ShapeHint | undefined {
  if (!op.location || op.failed || op.outputs.length === 0) return undefined;
  const x = op.inputs[0];
  const out = op.outputs[0];
  if (op.name === "ConvolutionBackward0") {
    const a = op.attrs as ConvAttrs;
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
      inputShape: x.shape.slice(),
      outputShape: out.shape.slice(),
      formula: perDim(formulas),
      documentation: a.transposed ? shapes.CONV_TRANSPOSE_DOC : shapes.CONV_DOC,
    };
  }
  const pool = POOLS[op.name];
  if (pool) {
    const a = op.attrs as PoolAttrs;
    const spatial = x.shape.slice(-2);
    const formulas = spatial.map((n, i) =>
      shapes.poolOutFormula(n, a.kernelSize[i], {
        stride: a.stride[i],
        padding: a.padding[i],
        dilation: a.dilation[i],
        ceilMode: a.ceilMode,
      }),
    );
    return {
      location: op.location,
      op: pool,
      inputShape: x.shape.slice(),
      outputShape: out.shape.slice(),
      formula: perDim(formulas),
      documentation: shapes.POOL_DOC,
    };
  }
  return undefined;
}

/** Gathers hints during a run, each distinct one once. */
export class HintCollector {
  readonly shapeHints: ShapeHint[] = [];
  readonly layerHints: LayerHint[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly onShape?: (hint: ShapeHint) => void,
    private readonly onLayer?: (hint: LayerHint) => void,
  ) {}

  fromOp(op: TracedOp): void {
    const hint = shapeHintOf(op);
    if (!hint) return;
    const { file, line, column } = hint.location;
    const key = `s|${file}:${line}:${column}|${hint.op}|${hint.inputShape}|${hint.outputShape}`;
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
