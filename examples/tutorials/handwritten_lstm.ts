// d2l.ai 10.1, an LSTM from scratch: the input, forget and output gates and the candidate
// memory cell written with matrix products, run over 5 time steps, and a linear output layer.
import * as torch from "gradlens";
const F = torch.nn.functional;

torch.manualSeed(0);
const numInputs = 4;
const numHiddens = 6;
const numOutputs = 3;

const normal = (shape: number[]) => torch.randn(shape).mul(0.01);
const three = (): [torch.Tensor, torch.Tensor, torch.Tensor] => [
  normal([numInputs, numHiddens]),
  normal([numHiddens, numHiddens]),
  torch.zeros(numHiddens),
];

const [W_xi, W_hi, b_i] = three(); // input gate
const [W_xf, W_hf, b_f] = three(); // forget gate
const [W_xo, W_ho, b_o] = three(); // output gate
const [W_xc, W_hc, b_c] = three(); // candidate memory cell
const W_hq = normal([numHiddens, numOutputs]);
const b_q = torch.zeros(numOutputs);
const params = [W_xi, W_hi, b_i, W_xf, W_hf, b_f, W_xo, W_ho, b_o, W_xc, W_hc, b_c, W_hq, b_q];
for (const param of params) param.requiresGrad_(true);

function lstm(inputs: torch.Tensor, [H0, C0]: [torch.Tensor, torch.Tensor]) {
  let [H, C] = [H0, C0];
  const outputs: torch.Tensor[] = [];
  for (const X of inputs.unbind(0)) {
    const I = torch.sigmoid(X.matmul(W_xi).add(H.matmul(W_hi)).add(b_i));
    const Fg = torch.sigmoid(X.matmul(W_xf).add(H.matmul(W_hf)).add(b_f));
    const O = torch.sigmoid(X.matmul(W_xo).add(H.matmul(W_ho)).add(b_o));
    const CTilda = torch.tanh(X.matmul(W_xc).add(H.matmul(W_hc)).add(b_c));
    C = Fg.mul(C).add(I.mul(CTilda));
    H = O.mul(torch.tanh(C));
    outputs.push(H.matmul(W_hq).add(b_q));
  }
  return [torch.cat(outputs, 0), [H, C]] as const;
}

const inputs = torch.randn(5, 2, numInputs).mul(10); // [steps, batch, inputs]
const [out] = lstm(inputs, [torch.zeros(2, numHiddens), torch.zeros(2, numHiddens)]);
const labels = torch.tensor(Array.from({ length: 10 }, (_, i) => i % 3));
export const loss = F.crossEntropy(out, labels);
loss.backward();
console.log("loss", loss.item());
console.log("W_xi.grad.norm", W_xi.grad!.norm().item());
console.log("W_hq.grad.norm", W_hq.grad!.norm().item());
