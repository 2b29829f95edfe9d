/**
 * Hints for the shape-changing calls that are not sliding windows (issue 20): Linear, flatten,
 * view/reshape, matmul/mm/bmm, cat/stack. One call of the user's is often several ops at one
 * source place (`a.matmul(b)` on a batch is `reshape → mm → _unsafe_view`; `F.linear` on 3-D
 * input is `view → addmm → view`), so the ops of one call site form a chain: it starts at the
 * first shape-changing op, follows its output through the reshapes and products after it, and
 * becomes one hint when the run moves on to another place. The hint's input is the tensor the
 * user passed: each op's output remembers the input it came from at the same place (`origin`).
 */
import type { Tensor } from "../../../engine/tensor";
import type { TracedOp } from "../graph/trace";
import * as ops from "../../../engine/trace/ops";
import { isOp, isOneOf } from "../../../engine/trace/ops";
import type { ShapeHint } from "../../runProtocol/types";
import { formatShape } from "../../../webview/format";
import { reshapeFormula } from "./reshapeFormula";

/** Where a Sequential member's hint goes: the layer's construction, not the container's call. */
export type LayerPlace = Pick<ShapeHint, "layerLocation" | "viaContainer">;

/** The layers whose own forward gets a hint at the user's call; their other ops do not. */
export type HintedLayer = "Linear" | "Flatten";

const RESHAPES = [ops.View, ops.ReshapeAlias, ops.UnsafeView];
const PRODUCTS = [ops.Mm, ops.Mv, ops.Dot, ops.Bmm, ops.Addmm, ops.Baddbmm];
/** Ops that begin a chain. */
const STARTS = [...RESHAPES, ...PRODUCTS, ops.Cat, ops.Stack];
/** Ops that carry a chain on: its starts and the unsqueeze/squeeze_ a vector product adds. */
const CARRIERS = [...STARTS, ops.Unsqueeze, ops.SqueezeDimInPlace];

const DOCS: Record<string, string> = {
  linear: "y = x·Wᵀ + b: the last dim goes from in_features to out_features; the others stay.",
  flatten: "nn.Flatten merges dims start_dim..end_dim (1..−1 by default) into one.",
  view: "view gives the same elements in a new shape (a -1 is inferred); it shares storage.",
  reshape:
    "reshape gives the same elements in a new shape (a -1 is inferred): a view when it can be.",
  matmul:
    "matmul: [.., n, k] @ [.., k, m] → [.., n, m]; batch dims broadcast, a 1-D side is a vector.",
  cat: "cat joins tensors along an existing dim: the other dims must match.",
  stack: "stack joins same-shaped tensors along a new dim.",
};

interface Chain {
  site: string;
  start: TracedOp;
  /** Where the layer that ran the chain's first op was built (see HintCollector.fromOp). */
  place: LayerPlace;
  layer?: HintedLayer;
  kind: "reshape" | "view" | "matmul" | "cat" | "stack";
  input: Tensor;
  /** The other side of a product, as the user passed it. */
  right?: Tensor;
  last: Tensor;
  /** The shape `view`/`reshape` was asked for (with its -1). */
  asked?: readonly number[];
}

/** A finished hint and the op that began it (for where its layer was built). */
export interface ChainHint {
  op: TracedOp;
  hint: ShapeHint;
}

const siteOf = (op: TracedOp): string | undefined =>
  op.location &&
  `${op.location.file}:${op.location.line}:${op.location.column}|${op.module?.id ?? ""}`;

export class CallChains {
  private chain: Chain | null = null;
  private readonly origins = new WeakMap<Tensor, { site: string; origin: Tensor }>();

  /**
   * One op of the run. `inLayer`: it ran in a layer's own forward (the call is the user's call
   * of the layer): the layer, when it is one these hints cover, else "other" (no hint).
   * Returns the hint of a chain this op ended.
   */
  add(op: TracedOp, place: LayerPlace, inLayer?: HintedLayer | "other"): ChainHint[] {
    const site = siteOf(op);
    const [x] = op.inputs;
    const [y] = op.outputs;
    if (!site || op.failed || !x || !y) return [];
    const originOf = (t: Tensor): Tensor => {
      const o = this.origins.get(t);
      return o && o.site === site ? o.origin : t;
    };
    // a transpose is the user's operand no more (F.linear's `x @ wᵀ` shows wᵀ)
    const origin = isOp(op, ops.T) ? y : originOf(x);
    for (const out of op.outputs) this.origins.set(out, { site, origin });
    const open = this.chain;
    if (open && open.site === site) {
      if (isOneOf(op, CARRIERS) && op.inputs.includes(open.last)) {
        open.last = y;
        if (isOneOf(op, PRODUCTS)) this.product(open, op, originOf);
      }
      return [];
    }
    const done = this.flush();
    if (inLayer === "other" || !isOneOf(op, STARTS)) return done;
    const chain: Chain = {
      site,
      start: op,
      place,
      layer: inLayer,
      kind: "reshape",
      input: originOf(x),
      last: y,
    };
    if (isOneOf(op, PRODUCTS)) this.product(chain, op, originOf);
    else if (isOp(op, ops.Cat)) chain.kind = "cat";
    else if (isOp(op, ops.Stack)) chain.kind = "stack";
    else if (isOp(op, ops.View) || isOp(op, ops.ReshapeAlias) || isOp(op, ops.UnsafeView)) {
      chain.kind = isOp(op, ops.View) ? "view" : "reshape";
      chain.asked = op.attrs.asked;
    }
    this.chain = chain;
    return done;
  }

  /** A product in the chain: it is a matmul of the tensors the user passed (after a bias). */
  private product(chain: Chain, op: TracedOp, originOf: (t: Tensor) => Tensor): void {
    const withBias = isOp(op, ops.Addmm) || isOp(op, ops.Baddbmm);
    const [a, b] = withBias ? op.inputs.slice(1) : op.inputs;
    chain.kind = "matmul";
    chain.input = originOf(a);
    chain.right = originOf(b);
  }

  /** Ends the open chain (the run moved on, a module call ended, or the run is over). */
  flush(): ChainHint[] {
    const chain = this.chain;
    this.chain = null;
    return chain ? [{ op: chain.start, hint: hintOf(chain) }] : [];
  }
}

function hintOf(c: Chain): ShapeHint {
  const inputShape = c.input.shape.slice();
  const outputShape = c.last.shape.slice();
  const op = c.layer === "Linear" ? "linear" : c.layer === "Flatten" ? "flatten" : c.kind;
  return {
    location: c.start.location!,
    op,
    inputShape,
    outputShape,
    formula: formulaOf(c, op, inputShape, outputShape),
    documentation: DOCS[op],
    ...c.place,
  };
}

function formulaOf(c: Chain, op: string, input: number[], output: number[]): string {
  if (op === "linear")
    return `in_features ${input.at(-1) ?? 1} → out_features ${output.at(-1) ?? 1}`;
  if (op === "matmul" && c.right)
    return `${formatShape(input)} @ ${formatShape(c.right.shape)} → ${formatShape(output)}`;
  const start = c.start;
  if (isOp(start, ops.Cat)) {
    const d = start.attrs.dim;
    return `dim ${d}: ${start.inputs.map((t) => t.shape[d]).join(" + ")} = ${output[d]}`;
  }
  if (isOp(start, ops.Stack))
    return `dim ${start.attrs.dim}: ${start.inputs.length} × ${formatShape(input)} → ${formatShape(output)}`;
  return reshapeFormula(input, output, c.asked);
}
