/**
 * Runs a workload on Gradlens through its public API (`nn.Conv2d`, `nn.Linear`,
 * `F.maxPool2d`, ...). Layers the engine does not have yet make the workload "not available"
 * instead of crashing the bench.
 */
import * as torch from "../engine";
import type { Tensor } from "../engine";
import { Workload } from "./workloads";
import { Param, shapesThrough } from "./data";

/** One prepared workload: `run` does one forward (and backward); `result` reads the last run. */
export interface Prepared {
  run(): void;
  /** Output and parameter gradients, flat, in PyTorch's layouts and `params` order. */
  result(): { output: Float32Array; grads: Float32Array[] };
  dispose?(): void;
}

/** The part of API.md the bench uses, looked up at run time: engine/nn may not exist yet. */
interface Module {
  forward(x: Tensor): Tensor;
  parameters(): Tensor[];
}
interface Recurrent {
  forward(x: Tensor): [Tensor, unknown];
  parameters(): Tensor[];
}
type ConvOptions = { stride?: number; padding?: number };
interface Nn {
  Conv2d?: new (inC: number, outC: number, kernel: number | [number, number], o?: ConvOptions) => Module;
  ConvTranspose2d?: new (inC: number, outC: number, kernel: number, o?: ConvOptions) => Module;
  Linear?: new (inF: number, outF: number) => Module;
  LSTM?: new (inF: number, hidden: number) => Recurrent;
  TransformerEncoderLayer?: new (dModel: number, heads: number, o: { dimFeedforward: number; dropout: number }) => Module;
  functional?: { maxPool2d?(x: Tensor, kernel: number): Tensor; relu?(x: Tensor): Tensor };
}

const nn = (torch as unknown as { nn?: Nn }).nn ?? {};

/** A float32 tensor of `shape` holding `values`. */
function tensorOf(values: Float32Array, shape: number[]): Tensor {
  return torch.tensor(Array.from(values), { dtype: "float32" }).reshape(shape);
}

/** Flat values through the public API (only read when checking, never timed). */
export function valuesOf(t: Tensor): Float32Array {
  const list = t.tolist();
  return Float32Array.from(Array.isArray(list) ? (list.flat(Infinity) as number[]) : [list as number]);
}

/** Builds the workload on Gradlens with `params` loaded, or says what is missing. */
export function prepareGradlens(
  w: Workload, params: Param[], data: { x: Float32Array; b?: Float32Array; gy: Float32Array },
): Prepared | { unavailable: string } {
  const x = tensorOf(data.x, w.input);
  if (w.matmulB) {
    const b = tensorOf(data.b!, w.matmulB);
    let y = x;
    return { run: () => void (y = torch.mm(x, b)), result: () => ({ output: valuesOf(y), grads: [] }) };
  }
  const F = nn.functional ?? {};
  const steps: ((t: Tensor) => Tensor)[] = [];
  const modules: Module[] = [];
  for (const l of w.layers) {
    let m: Module | null = null;
    if (l.kind === "conv2d") {
      if (!nn.Conv2d) return { unavailable: "nn.Conv2d not available yet" };
      m = new nn.Conv2d(l.inC, l.outC, l.kernel, { stride: l.stride, padding: l.padding });
    } else if (l.kind === "convTranspose2d") {
      if (!nn.ConvTranspose2d) return { unavailable: "nn.ConvTranspose2d not available yet" };
      m = new nn.ConvTranspose2d(l.inC, l.outC, l.kernel, { stride: l.stride, padding: l.padding });
    } else if (l.kind === "linear") {
      if (!nn.Linear) return { unavailable: "nn.Linear not available yet" };
      m = new nn.Linear(l.inF, l.outF);
    } else if (l.kind === "lstm") {
      if (!nn.LSTM) return { unavailable: "nn.LSTM not available yet" };
      const lstm = new nn.LSTM(l.inF, l.hidden);
      m = { forward: (t) => lstm.forward(t)[0], parameters: () => lstm.parameters() };
    } else if (l.kind === "transformerEncoderLayer") {
      if (!nn.TransformerEncoderLayer) return { unavailable: "nn.TransformerEncoderLayer not available yet" };
      m = new nn.TransformerEncoderLayer(l.dModel, l.heads, { dimFeedforward: l.ff, dropout: 0 });
    } else if (l.kind === "relu") {
      const relu = F.relu;
      if (!relu) return { unavailable: "F.relu not available yet" };
      steps.push((t) => relu(t));
    } else if (l.kind === "maxPool2d") {
      const pool = F.maxPool2d;
      if (!pool) return { unavailable: "F.maxPool2d not available yet" };
      const k = l.kernel;
      steps.push((t) => pool(t, k));
    } else {
      const start = l.startDim;
      steps.push((t) => t.flatten(start));
    }
    if (m) {
      const mod = m;
      modules.push(mod);
      steps.push((t) => mod.forward(t));
    }
  }
  // load the shared parameters, in the order makeParams made them (PyTorch's per layer)
  const tensors = modules.flatMap((m) => m.parameters());
  torch.noGrad(() => tensors.forEach((t, i) => t.copy_(tensorOf(params[i].values, params[i].shape))));
  const gy = tensorOf(data.gy, shapesThrough(w).at(-1)!);
  let y = x;
  return {
    run() {
      for (const t of tensors) t.grad = null;
      let h = x;
      for (const step of steps) h = step(h);
      if (w.backward) h.backward(gy);
      y = h;
    },
    result: () => ({ output: valuesOf(y), grads: w.backward ? tensors.map((t) => valuesOf(t.grad!)) : [] }),
  };
}

/** A listener like the extension's: hears every op and every gradient, does nothing. */
export function withTrace<T>(fn: () => T): T {
  const previous = torch.trace.setTraceListener({ onOp() {}, onGrad() {} });
  try {
    return fn();
  } finally {
    torch.trace.setTraceListener(previous);
  }
}
