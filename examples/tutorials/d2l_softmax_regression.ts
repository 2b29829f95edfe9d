// d2l.ai 3.6, softmax regression from scratch: parameters, softmax, the model, cross entropy
// by picking each example's predicted probability of its label, accuracy, and minibatch SGD
// written by hand (on one random batch standing in for Fashion-MNIST).
import * as torch from "gradlens";

torch.manualSeed(0);
const numInputs = 784;
const numOutputs = 10;
const W = torch.randn(numInputs, numOutputs).mul(0.01).requiresGrad_(true);
const b = torch.zeros(numOutputs, { requiresGrad: true });

function softmax(X: torch.Tensor): torch.Tensor {
  const XExp = torch.exp(X);
  const partition = XExp.sum(1, true);
  return XExp.div(partition); // broadcasting
}

const net = (X: torch.Tensor) => softmax(torch.matmul(X.reshape(-1, W.shape[0]), W).add(b));

/** −log ŷ[i, y[i]]: Python's y_hat[range(n), y] is two index tensors. */
const crossEntropy = (yHat: torch.Tensor, y: torch.Tensor) =>
  torch.log(yHat.index(torch.arange(yHat.shape[0]), y)).neg();

const accuracy = (yHat: torch.Tensor, y: torch.Tensor) => yHat.argmax(1).eq(y).float().sum();

function sgd(params: torch.Tensor[], lr: number, batchSize: number): void {
  torch.noGrad(() => {
    for (const param of params) {
      param.sub_(param.grad!.mul(lr).div(batchSize));
      param.grad!.zero_();
    }
  });
}

const X = torch.rand(32, 1, 28, 28);
const y = torch.tensor(Array.from({ length: 32 }, (_, i) => i % 10));
let l = crossEntropy(net(X), y);
for (let epoch = 0; epoch < 3; epoch++) {
  l = crossEntropy(net(X), y);
  l.sum().backward();
  sgd([W, b], 0.1, 32);
  torch.noGrad(() => {
    const yHat = net(X);
    console.log(`epoch${epoch + 1}`, crossEntropy(yHat, y).mean().item(), accuracy(yHat, y).item());
  });
}
export const loss = l.mean();
