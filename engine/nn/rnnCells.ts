/**
 * One step of a recurrent network, and the cell modules `nn.RNNCell`, `nn.LSTMCell`,
 * `nn.GRUCell`.
 *
 * PyTorch's CPU path (ATen's RNN.cpp) writes each cell out of ordinary ops rather than one
 * fused kernel, so the backward graph of an `nn.LSTM` shows `AddmmBackward0`,
 * `UnsafeSplitBackward0`, `SigmoidBackward0`, `TanhBackward0`, `MulBackward0`, ... per step.
 * The steps below are written with the same ops in the same order, so the graph and the
 * float32 rounding are PyTorch's.
 */
import { Tensor } from "../tensor";
import { Module, Parameter } from "./module";
import { emptyParameter } from "./linear";
import { uniform_ } from "./init";
import { linear } from "./functional";
import { unsafeChunk } from "../ops/join";
import { squeeze, unsqueeze } from "../ops/view";
import { relu, tanh } from "../ops/unary";
import { zeros } from "../factories";
import { AssertionError, RuntimeError, ValueError } from "../errors";

/** The weights of one direction of one layer (ATen's CellParams); biases may be absent. */
export interface CellWeights {
  wIh: Tensor;
  wHh: Tensor;
  bIh: Tensor | null;
  bHh: Tensor | null;
}

/** How a step's input arrives: raw, or already multiplied by W_ih (+ b_ih) for the whole sequence. */
type StepInput = { x: Tensor; projected: boolean };

const inputGates = (p: CellWeights, { x, projected }: StepInput): Tensor =>
  projected ? x : linear(x, p.wIh, p.bIh);

/** h' = act(W_hh·h + b_hh + W_ih·x + b_ih) (`rnn_tanh_cell`, `rnn_relu_cell`). */
export function simpleStep(
  nonlinearity: "tanh" | "relu",
  input: StepInput,
  h: Tensor,
  p: CellWeights,
): Tensor {
  const pre = linear(h, p.wHh, p.bHh).add(inputGates(p, input));
  return nonlinearity === "tanh" ? tanh(pre) : relu(pre);
}

/** LSTM state (h, c). */
export type LSTMState = [h: Tensor, c: Tensor];

/** i, f, g, o gates from one sum; c' = f⊙c + i⊙g, h' = o⊙tanh(c') (`lstm_cell`). */
export function lstmStep(input: StepInput, [h, c]: LSTMState, p: CellWeights): LSTMState {
  const gates = linear(h, p.wHh, p.bHh).add(inputGates(p, input));
  const [i, f, g, o] = unsafeChunk(gates, 4, 1);
  const cy = f.sigmoid().mul(c).add(i.sigmoid().mul(g.tanh()));
  return [o.sigmoid().mul(cy.tanh()), cy];
}

/** r, z from the sums; n = tanh(x_n + r⊙h_n); h' = (h − n)⊙z + n (`gru_cell`). */
export function gruStep(input: StepInput, h: Tensor, p: CellWeights): Tensor {
  const [ir, iz, inn] = unsafeChunk(inputGates(p, input), 3, 1);
  const [hr, hz, hn] = unsafeChunk(linear(h, p.wHh, p.bHh), 3, 1);
  const r = hr.add(ir).sigmoid();
  const z = hz.add(iz).sigmoid();
  const n = inn.add(hn.mul(r)).tanh();
  return h.sub(n).mul(z).add(n);
}

/** U(−1/√hidden, 1/√hidden) for every parameter in order (PyTorch's RNN `reset_parameters`). */
export function resetRecurrentParameters(params: Parameter[], hiddenSize: number): void {
  const stdv = hiddenSize > 0 ? 1 / Math.sqrt(hiddenSize) : 0;
  for (const p of params) uniform_(p, -stdv, stdv);
}

/** ATen's checks of a cell's input and one hidden state (PyTorch 1.13 labels both "hidden0"). */
function checkCellShapes(
  x: Tensor,
  hiddens: Tensor[],
  inputSize: number,
  hiddenSize: number,
): void {
  if (x.shape[1] !== inputSize)
    throw new RuntimeError(
      `input has inconsistent input_size: got ${x.shape[1]} expected ${inputSize}`,
    );
  for (const h of hiddens) {
    if (x.shape[0] !== h.shape[0])
      throw new RuntimeError(
        `Input batch size ${x.shape[0]} doesn't match hidden0 batch size ${h.shape[0]}`,
      );
    if (h.shape[1] !== hiddenSize)
      throw new RuntimeError(
        `hidden0 has inconsistent hidden_size: got ${h.shape[1]}, expected ${hiddenSize}`,
      );
  }
}

/** Options of the cell modules. */
export interface CellOptions {
  bias?: boolean;
}

/** What the three cells share: PyTorch's `RNNCellBase` (weights, initialisation, batching). */
abstract class RNNCellBase extends Module {
  weight_ih: Parameter;
  weight_hh: Parameter;
  bias_ih: Parameter | null;
  bias_hh: Parameter | null;

  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    readonly bias: boolean,
    gates: number,
  ) {
    super();
    this.weight_ih = emptyParameter([gates * hiddenSize, inputSize]);
    this.weight_hh = emptyParameter([gates * hiddenSize, hiddenSize]);
    this.bias_ih = bias ? emptyParameter([gates * hiddenSize]) : null;
    this.bias_hh = bias ? emptyParameter([gates * hiddenSize]) : null;
    this.resetParameters();
  }

  /** Draws fresh initial values (PyTorch's `reset_parameters`). */
  resetParameters(): void {
    resetRecurrentParameters(this.parameters(), this.hiddenSize);
  }

  protected get weights(): CellWeights {
    return { wIh: this.weight_ih, wHh: this.weight_hh, bIh: this.bias_ih, bHh: this.bias_hh };
  }

  /** The input as a batch (an unbatched 1-D input gets a batch dim of 1), and whether it was one. */
  protected batched(x: Tensor): [Tensor, boolean] {
    if (x.dim() !== 1 && x.dim() !== 2)
      throw new AssertionError(
        `${this.constructor.name}: Expected input to be 1-D or 2-D but received ${x.dim()}-D tensor`,
      );
    return x.dim() === 2 ? [x, true] : [unsqueeze(x, 0), false];
  }

  /** A state given for this input (unsqueezed when unbatched), or zeros. */
  protected state(x: Tensor, isBatched: boolean, h: Tensor | null | undefined): Tensor {
    if (!h) return zeros([x.shape[0], this.hiddenSize]);
    return isBatched ? h : unsqueeze(h, 0);
  }

  protected checkShapes(x: Tensor, ...hiddens: Tensor[]): void {
    checkCellShapes(x, hiddens, this.inputSize, this.hiddenSize);
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.bias ? "" : ", bias=False"}`;
  }
}

/**
 * h' = tanh(W_ih·x + b_ih + W_hh·h + b_hh) (or ReLU), one step (PyTorch's `nn.RNNCell`).
 * @example const cell = new nn.RNNCell(10, 20); let h = cell.forward(x0); h = cell.forward(x1, h);
 */
export class RNNCell extends RNNCellBase {
  readonly nonlinearity: "tanh" | "relu";

  constructor(
    inputSize: number,
    hiddenSize: number,
    { bias = true, nonlinearity = "tanh" }: CellOptions & { nonlinearity?: "tanh" | "relu" } = {},
  ) {
    if (nonlinearity !== "tanh" && nonlinearity !== "relu")
      throw new ValueError(`Unknown nonlinearity '${String(nonlinearity)}'`);
    super(inputSize, hiddenSize, bias, 1);
    this.nonlinearity = nonlinearity;
  }

  /** The next hidden state, [batch, hiddenSize] (or [hiddenSize] for an unbatched input). */
  forward(input: Tensor, hx?: Tensor | null): Tensor {
    const [x, isBatched] = this.batched(input);
    const h = this.state(x, isBatched, hx);
    this.checkShapes(x, h);
    const out = simpleStep(this.nonlinearity, { x, projected: false }, h, this.weights);
    return isBatched ? out : squeeze(out, 0);
  }

  override extraRepr(): string {
    return (
      super.extraRepr() +
      (this.nonlinearity === "tanh" ? "" : `, nonlinearity=${this.nonlinearity}`)
    );
  }
}

/**
 * One LSTM step: returns `[h', c']` (PyTorch's `nn.LSTMCell`; weights hold the i, f, g, o
 * gates stacked, [4·hiddenSize, ·]).
 * @example const cell = new nn.LSTMCell(10, 20); const [h, c] = cell.forward(x, [h0, c0]);
 */
export class LSTMCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, { bias = true }: CellOptions = {}) {
    super(inputSize, hiddenSize, bias, 4);
  }

  forward(input: Tensor, hx?: LSTMState | null): LSTMState {
    const [x, isBatched] = this.batched(input);
    const h = this.state(x, isBatched, hx?.[0]);
    const c = hx ? this.state(x, isBatched, hx[1]) : h;
    this.checkShapes(x, h, c);
    const [hy, cy] = lstmStep({ x, projected: false }, [h, c], this.weights);
    return isBatched ? [hy, cy] : [squeeze(hy, 0), squeeze(cy, 0)];
  }
}

/**
 * One GRU step (PyTorch's `nn.GRUCell`; weights hold the r, z, n gates stacked).
 * @example const cell = new nn.GRUCell(10, 20); const h = cell.forward(x, h0);
 */
export class GRUCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, { bias = true }: CellOptions = {}) {
    super(inputSize, hiddenSize, bias, 3);
  }

  forward(input: Tensor, hx?: Tensor | null): Tensor {
    const [x, isBatched] = this.batched(input);
    const h = this.state(x, isBatched, hx);
    this.checkShapes(x, h);
    const out = gruStep({ x, projected: false }, h, this.weights);
    return isBatched ? out : squeeze(out, 0);
  }
}
