/**
 * `nn.RNN`, `nn.LSTM`, `nn.GRU`: stacks of recurrent layers over a sequence, with PyTorch's
 * parameter names (`weight_ih_l0`, `bias_hh_l1_reverse`, ...), initialisation, shape checks and
 * messages.
 *
 * The run follows ATen's CPU path (RNN.cpp) op for op, so the backward graph is the one
 * PyTorch 1.13 builds on a CPU: the input projection of a whole layer at once (`linear` on the
 * sequence, then `UnbindBackward0` into steps), one cell per step (rnnCells.ts), the steps'
 * outputs joined by `StackBackward0` (and `CatBackward0` for the two directions), the final
 * states stacked per layer. PyTorch's fused LSTM backward exists only for CUDA.
 */
import { Tensor } from "../tensor";
import { Module, Parameter } from "./module";
import { emptyParameter } from "./linear";
import { linear } from "./functional";
import { cat, stack } from "../ops/join";
import { unbind } from "../ops/strided";
import { squeeze, transpose, transposeInPlace, unsqueeze } from "../ops/view";
import { zeros } from "../factories";
import { cpuDropout } from "./cpuDropout";
import { RuntimeError, ValueError } from "../errors";
import { bracketed, pyTuple } from "../shape";
import {
  CellWeights,
  LSTMState,
  gruStep,
  lstmStep,
  resetRecurrentParameters,
  simpleStep,
} from "./rnnCells";

type Mode = "RNN_TANH" | "RNN_RELU" | "LSTM" | "GRU";

/** Options shared by `nn.RNN`, `nn.LSTM` and `nn.GRU` (PyTorch's keyword arguments). */
export interface RecurrentOptions {
  numLayers?: number;
  bias?: boolean;
  /** Input and output as [batch, seq, feature] instead of [seq, batch, feature]. */
  batchFirst?: boolean;
  /** Dropout on each layer's output except the last's, in training mode. */
  dropout?: number;
  bidirectional?: boolean;
}

type Step<H> = (x: Tensor, h: H, p: CellWeights) => H;

/** One direction of one layer over the whole sequence (ATen's FullLayer on a CPU). */
function runDirection<H extends Tensor | LSTMState>(
  step: Step<H>,
  input: Tensor,
  h0: H,
  p: CellWeights,
  reverse: boolean,
): { output: Tensor; last: H } {
  const steps = unbind(linear(input, p.wIh, p.bIh), 0);
  if (reverse) steps.reverse();
  const outputs: Tensor[] = [];
  let h = h0;
  for (const x of steps) {
    h = step(x, h, p);
    outputs.push(Array.isArray(h) ? h[0] : (h as Tensor));
  }
  if (outputs.length === 0)
    throw new RuntimeError("Expected sequence length to be larger than 0 in RNN");
  if (reverse) outputs.reverse();
  return { output: stack(outputs, 0), last: h };
}

/** PyTorch's tuple print of an expected size: `(1, 2, 4)`. */

/** What the three layers share: PyTorch's `RNNBase`. */
abstract class RNNBase extends Module {
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  /** Per layer and direction, its parameters in PyTorch's order (`all_weights`). */
  private readonly flat: Parameter[][] = [];

  constructor(
    private readonly mode: Mode,
    readonly inputSize: number,
    readonly hiddenSize: number,
    {
      numLayers = 1,
      bias = true,
      batchFirst = false,
      dropout = 0,
      bidirectional = false,
    }: RecurrentOptions,
  ) {
    super();
    if (typeof dropout !== "number" || !(dropout >= 0 && dropout <= 1))
      throw new ValueError(
        "dropout should be a number in range [0, 1] representing the probability of an element being zeroed",
      );
    this.numLayers = numLayers;
    this.bias = bias;
    this.batchFirst = batchFirst;
    this.dropout = dropout;
    this.bidirectional = bidirectional;
    const gates = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 }[mode] * hiddenSize;
    const directions = bidirectional ? 2 : 1;
    for (let layer = 0; layer < numLayers; layer++) {
      for (let direction = 0; direction < directions; direction++) {
        const layerInput = layer === 0 ? inputSize : hiddenSize * directions;
        const suffix = `_l${layer}${direction === 1 ? "_reverse" : ""}`;
        const shapes: [string, number[]][] = [
          [`weight_ih${suffix}`, [gates, layerInput]],
          [`weight_hh${suffix}`, [gates, hiddenSize]],
        ];
        if (bias) shapes.push([`bias_ih${suffix}`, [gates]], [`bias_hh${suffix}`, [gates]]);
        const params = shapes.map(([name, shape]) => {
          const p = emptyParameter(shape);
          (this as unknown as Record<string, Parameter>)[name] = p;
          return p;
        });
        this.flat.push(params);
      }
    }
    this.resetParameters();
  }

  /** Draws fresh initial values: every parameter U(−1/√hiddenSize, 1/√hiddenSize). */
  resetParameters(): void {
    resetRecurrentParameters(this.parameters(), this.hiddenSize);
  }

  /** The parameters of each layer and direction, in PyTorch's order (its `all_weights`). */
  get allWeights(): Parameter[][] {
    return this.flat.map((ps) => ps.slice());
  }

  private get directions(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** The shape the initial state must have for a (batched) input. */
  protected expectedHiddenSize(input: Tensor): number[] {
    const batch = this.batchFirst ? input.shape[0] : input.shape[1];
    return [this.numLayers * this.directions, batch, this.hiddenSize];
  }

  /** `check_input` and `check_hidden_size` of PyTorch's RNNBase. */
  protected checkArgs(input: Tensor, hiddens: [Tensor, string][]): void {
    if (input.dim() !== 3)
      throw new RuntimeError(`input must have 3 dimensions, got ${input.dim()}`);
    if (input.shape[2] !== this.inputSize)
      throw new RuntimeError(
        `input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${input.shape[2]}`,
      );
    const expected = this.expectedHiddenSize(input);
    for (const [h, label] of hiddens) {
      if (h.shape.join() !== expected.join())
        throw new RuntimeError(
          `Expected ${label} size ${pyTuple(expected)}, got ${bracketed(h.shape)}`,
        );
    }
  }

  /** The input as a batch (unbatched [seq, feature] gets a batch dim), and whether it was one. */
  protected batched(input: Tensor): [Tensor, boolean] {
    const isBatched = input.dim() === 3;
    return [isBatched ? input : unsqueeze(input, this.batchFirst ? 0 : 1), isBatched];
  }

  protected zeroState(input: Tensor): Tensor {
    return zeros(this.expectedHiddenSize(input));
  }

  /**
   * The layers over a batched input (ATen's `_rnn_impl`): returns the last layer's outputs
   * (sequence first) and each layer and direction's final state.
   */
  protected run<H extends Tensor | LSTMState>(
    input: Tensor,
    initial: H[],
    step: Step<H>,
  ): { output: Tensor; finals: H[] } {
    let layerInput = this.batchFirst ? transpose(input, 0, 1) : input;
    const finals: H[] = [];
    const weights = this.flat.map(([wIh, wHh, bIh = null, bHh = null]) => ({ wIh, wHh, bIh, bHh }));
    for (let layer = 0; layer < this.numLayers; layer++) {
      const at = layer * this.directions;
      const forward = runDirection(step, layerInput, initial[at], weights[at], false);
      finals.push(forward.last);
      if (this.bidirectional) {
        const backward = runDirection(step, layerInput, initial[at + 1], weights[at + 1], true);
        finals.push(backward.last);
        layerInput = cat([forward.output, backward.output], 2);
      } else {
        layerInput = forward.output;
      }
      if (this.dropout !== 0 && this.training && layer < this.numLayers - 1)
        layerInput = cpuDropout(layerInput, this.dropout);
    }
    return { output: layerInput, finals };
  }

  /** RNN and GRU: one state tensor (PyTorch's `forward` in Python, then ATen's `rnn_tanh`/`gru`). */
  protected runSingleState(
    input: Tensor,
    hx: Tensor | null | undefined,
    step: Step<Tensor>,
  ): [Tensor, Tensor] {
    const [x, isBatched] = this.batched(input);
    let h: Tensor;
    if (!hx) h = this.zeroState(x);
    else if (isBatched && hx.dim() !== 3)
      throw new RuntimeError(
        `For batched 3-D input, hx should also be 3-D but got ${hx.dim()}-D tensor`,
      );
    else if (!isBatched && hx.dim() !== 2)
      throw new RuntimeError(
        `For unbatched 2-D input, hx should also be 2-D but got ${hx.dim()}-D tensor`,
      );
    else h = isBatched ? hx : unsqueeze(hx, 1);
    this.checkArgs(x, [[h, "hidden"]]);
    const { output, finals } = this.run(x, unbind(h, 0), step);
    // ATen turns the output back in place here (TransposeBackward1), unlike LSTM's
    const out = this.batchFirst ? transposeInPlace(output, 0, 1) : output;
    const hN = stack(finals, 0);
    if (isBatched) return [out, hN];
    return [squeeze(out, this.batchFirst ? 0 : 1), squeeze(hN, 1)];
  }

  override extraRepr(): string {
    const parts = [`${this.inputSize}, ${this.hiddenSize}`];
    if (this.numLayers !== 1) parts.push(`num_layers=${this.numLayers}`);
    if (!this.bias) parts.push("bias=False");
    if (this.batchFirst) parts.push("batch_first=True");
    if (this.dropout !== 0) parts.push(`dropout=${this.dropout}`);
    if (this.bidirectional) parts.push("bidirectional=True");
    return parts.join(", ");
  }
}

/** The options of `nn.RNN`: those of every recurrent layer and the nonlinearity. */
export interface RNNOptions extends RecurrentOptions {
  nonlinearity?: "tanh" | "relu";
}

/**
 * Elman RNN: h_t = tanh(W_ih·x_t + b_ih + W_hh·h_(t−1) + b_hh) (or ReLU), stacked `numLayers`
 * deep (PyTorch's `nn.RNN`). `forward(input, h0?)` returns `[output, h_n]`: output [seq, batch,
 * directions·hidden] ([batch, seq, ·] with `batchFirst`), h_n [layers·directions, batch, hidden].
 * @example const rnn = new nn.RNN(10, 20, { numLayers: 2 }); const [out, hn] = rnn.forward(x);
 */
export class RNN extends RNNBase {
  readonly nonlinearity: "tanh" | "relu";

  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    const nonlinearity = options.nonlinearity ?? "tanh";
    if (nonlinearity !== "tanh" && nonlinearity !== "relu")
      throw new ValueError(`Unknown nonlinearity '${String(nonlinearity)}'`);
    super(nonlinearity === "tanh" ? "RNN_TANH" : "RNN_RELU", inputSize, hiddenSize, options);
    this.nonlinearity = nonlinearity;
  }

  forward(input: Tensor, hx?: Tensor | null): [output: Tensor, hN: Tensor] {
    const step: Step<Tensor> = (x, h, p) =>
      simpleStep(this.nonlinearity, { x, projected: true }, h, p);
    return this.runSingleState(input, hx, step);
  }

  override extraRepr(): string {
    return (
      super.extraRepr() +
      (this.nonlinearity === "tanh" ? "" : `, nonlinearity=${this.nonlinearity}`)
    );
  }
}

/**
 * Gated recurrent unit layers (PyTorch's `nn.GRU`): `forward(input, h0?)` returns
 * `[output, h_n]`, shaped as `nn.RNN`'s.
 * @example const gru = new nn.GRU(10, 20, { batchFirst: true }); const [out, hn] = gru.forward(x);
 */
export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    super("GRU", inputSize, hiddenSize, options);
  }

  forward(input: Tensor, hx?: Tensor | null): [output: Tensor, hN: Tensor] {
    return this.runSingleState(input, hx, (x, h, p) => gruStep({ x, projected: true }, h, p));
  }
}

/**
 * Long short-term memory layers (PyTorch's `nn.LSTM`): `forward(input, [h0, c0]?)` returns
 * `[output, [h_n, c_n]]`; output [seq, batch, directions·hidden] ([batch, seq, ·] with
 * `batchFirst`), h_n and c_n [layers·directions, batch, hidden].
 * @example const lstm = new nn.LSTM(10, 20); const [out, [hn, cn]] = lstm.forward(x);
 */
export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    super("LSTM", inputSize, hiddenSize, options);
  }

  forward(input: Tensor, hx?: LSTMState | null): [output: Tensor, state: LSTMState] {
    const [x, isBatched] = this.batched(input);
    let h: Tensor;
    let c: Tensor;
    if (!hx) {
      h = this.zeroState(x);
      c = this.zeroState(x);
    } else {
      const want = isBatched ? 3 : 2;
      if (hx[0].dim() !== want || hx[1].dim() !== want) {
        const kind = isBatched ? "batched 3-D" : "unbatched 2-D";
        throw new RuntimeError(
          `For ${kind} input, hx and cx should also be ${want}-D but got (${hx[0].dim()}-D, ${hx[1].dim()}-D) tensors`,
        );
      }
      [h, c] = isBatched ? hx : [unsqueeze(hx[0], 1), unsqueeze(hx[1], 1)];
    }
    this.checkArgs(x, [
      [h, "hidden[0]"],
      [c, "hidden[1]"],
    ]);
    const hs = unbind(h, 0);
    const cs = unbind(c, 0);
    const initial = hs.map((hi, i): LSTMState => [hi, cs[i]]);
    const { output, finals } = this.run(x, initial, (xt, state, p) =>
      lstmStep({ x: xt, projected: true }, state, p),
    );
    const out = this.batchFirst ? transpose(output, 0, 1) : output;
    const hN = stack(
      finals.map(([hi]) => hi),
      0,
    );
    const cN = stack(
      finals.map(([, ci]) => ci),
      0,
    );
    if (isBatched) return [out, [hN, cN]];
    return [squeeze(out, this.batchFirst ? 0 : 1), [squeeze(hN, 1), squeeze(cN, 1)]];
  }
}
