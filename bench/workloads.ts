/**
 * The workloads of issue 7, defined once: each is a layer list (or a plain matmul) with its
 * input shape, whether it runs backward, and the targets of issues 7 and 22 (convolutions at
 * native speed). The runners translate the same definition into Gradlens (`nn.Conv2d`, `nn.Linear`, `F.maxPool2d`, ...) and into
 * tfjs ops, and load the same seeded inputs and weights into both.
 *
 * Conventions (a PyTorch user's script for each line of the issue): the input is plain
 * `randn` (no gradient), every layer has a bias, and backward runs `y.backward(g)` with a
 * fixed random `g` of y's shape, so outputs and all parameter gradients can be compared.
 */

export type Layer =
  | { kind: "conv2d"; inC: number; outC: number; kernel: [number, number]; stride: number; padding: number }
  | { kind: "convTranspose2d"; inC: number; outC: number; kernel: number; stride: number; padding: number }
  | { kind: "linear"; inF: number; outF: number }
  | { kind: "relu" }
  | { kind: "maxPool2d"; kernel: number }
  /** `x.flatten(startDim)`: 0 flattens everything (a vector), 1 keeps the batch. */
  | { kind: "flatten"; startDim: number }
  /** One `nn.LSTM` layer on [seq, batch, inF]; its output sequence [seq, batch, hidden] goes on. */
  | { kind: "lstm"; inF: number; hidden: number }
  /**
   * `nn.TransformerEncoderLayer(dModel, heads, { dropout: 0 })` on [seq, batch, dModel]: PyTorch's
   * defaults otherwise (feed-forward 2048, relu, post-norm, eps 1e-5).
   */
  | { kind: "transformerEncoderLayer"; dModel: number; heads: number; ff: number };

export type Target =
  /** Gradlens' median ≤ max × tfjs-cpu's. */
  | { kind: "vsTfjsCpu"; max: number }
  /** Gradlens' median ≤ max × tfjs-wasm's (one thread, SIMD). */
  | { kind: "vsTfjsWasm"; max: number }
  /** Gradlens' median ≤ max milliseconds. */
  | { kind: "ms"; max: number }
  /** With the trace recorder on, ≤ max × the untraced median. */
  | { kind: "traced"; max: number };

export interface Workload {
  id: string;
  title: string;
  /** Input shape (NCHW for images); for "matmul", A's shape (B is [K×N]). */
  input: number[];
  /** Layers for models; a matmul workload is `mm(A, B)` with B of shape `matmulB`. */
  layers: Layer[];
  matmulB?: [number, number];
  backward: boolean;
  /** Also time Gradlens with a trace listener installed (the extension's setting). */
  traced?: boolean;
  /** Also time Gradlens on 1 and on 2 kernel threads, in turns (issue 22: the second core). */
  threads?: boolean;
  targets: Target[];
}

const conv = (inC: number, outC: number, kernel: number | [number, number], stride = 1, padding = 0): Layer => ({
  kind: "conv2d", inC, outC, kernel: typeof kernel === "number" ? [kernel, kernel] : kernel, stride, padding,
}); // prettier-ignore
const linear = (inF: number, outF: number): Layer => ({ kind: "linear", inF, outF });
const relu: Layer = { kind: "relu" };
const pool2: Layer = { kind: "maxPool2d", kernel: 2 };

/** LeNet-5 for 28×28 MNIST (conv padded to keep 28×28), with ReLU and max pooling. */
const LENET: Layer[] = [
  conv(1, 6, 5, 1, 2), relu, pool2, conv(6, 16, 5), relu, pool2, { kind: "flatten", startDim: 1 },
  linear(400, 120), relu, linear(120, 84), relu, linear(84, 10),
]; // prettier-ignore

export const WORKLOADS: Workload[] = [
  {
    id: "matmul512",
    threads: true,
    title: "matmul 512×512 · 512×512 fwd",
    input: [512, 512],
    matmulB: [512, 512],
    layers: [],
    backward: false,
    targets: [{ kind: "vsTfjsCpu", max: 0.25 }],
  },
  {
    id: "conv20",
    threads: true,
    title: "conv [1,20,64,128] * 16×20×3×5 fwd",
    input: [1, 20, 64, 128],
    layers: [conv(20, 16, [3, 5])],
    backward: false,
    targets: [{ kind: "vsTfjsCpu", max: 0.3 }, { kind: "vsTfjsWasm", max: 1 }],
  },
  {
    id: "conv20bwd",
    threads: true,
    title: "conv [1,20,64,128] * 16×20×3×5 fwd+bwd",
    input: [1, 20, 64, 128],
    layers: [conv(20, 16, [3, 5])],
    backward: true,
    targets: [{ kind: "ms", max: 100 }, { kind: "ms", max: 10 }],
  },
  {
    id: "conv224",
    threads: true,
    title: "conv [1,3,224,224] * 64×3×7×7 s2 p3 fwd+bwd",
    input: [1, 3, 224, 224],
    layers: [conv(3, 64, 7, 2, 3)],
    backward: true,
    targets: [{ kind: "ms", max: 250 }, { kind: "ms", max: 30 }],
  },
  {
    id: "lenet",
    title: "LeNet-5 [1,1,28,28] fwd+bwd",
    input: [1, 1, 28, 28],
    layers: LENET,
    backward: true,
    traced: true,
    targets: [{ kind: "ms", max: 1.0 }, { kind: "ms", max: 0.5 }, { kind: "traced", max: 2 }],
  },
  {
    id: "mlp",
    title: "MLP 600→60→40→10 on randn(3,10,20).flatten() fwd+bwd",
    input: [3, 10, 20],
    layers: [{ kind: "flatten", startDim: 0 }, linear(600, 60), relu, linear(60, 40), relu, linear(40, 10)],
    backward: true,
    targets: [{ kind: "ms", max: 0.15 }],
  },
  {
    id: "convT",
    title: "ConvTranspose2d [1,10,16,16] 10→10 k5 s3 p2 fwd+bwd",
    input: [1, 10, 16, 16],
    layers: [{ kind: "convTranspose2d", inC: 10, outC: 10, kernel: 5, stride: 3, padding: 2 }],
    backward: true,
    targets: [{ kind: "ms", max: 2 }],
  },
  {
    id: "lstm",
    title: "LSTM hidden 128, 32 steps, batch 8, input 64 fwd+bwd",
    input: [32, 8, 64],
    layers: [{ kind: "lstm", inF: 64, hidden: 128 }],
    backward: true,
    traced: true,
    targets: [{ kind: "vsTfjsCpu", max: 1 }],
  },
  {
    id: "transformer",
    title: "TransformerEncoderLayer d_model 64, 4 heads, seq 32, batch 8 (ff 2048, dropout 0) fwd+bwd",
    input: [32, 8, 64],
    layers: [{ kind: "transformerEncoderLayer", dModel: 64, heads: 4, ff: 2048 }],
    backward: true,
    traced: true,
    targets: [{ kind: "vsTfjsCpu", max: 1 }],
  },
];
