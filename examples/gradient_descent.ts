// Linear regression by minibatch gradient descent: recover w = [2, −3.4], b = 4.2 from noisy
// samples with nn.Linear, nn.MSELoss and optim.SGD, as PyTorch does step for step.
import * as torch from "gradlens";
import { nn, optim } from "gradlens";

torch.manualSeed(0);
const trueW = torch.tensor([[2, -3.4]], { dtype: "float32" });
const trueB = 4.2;
const features = torch.randn(200, 2);
const labels = features.matmul(trueW.t()).add(trueB).add(torch.randn(200, 1).mul(0.01));

const model = new nn.Linear(2, 1);
const lossFn = new nn.MSELoss();
const optimizer = new optim.SGD(model.parameters(), { lr: 0.03, momentum: 0.5 });

const batchSize = 10;
for (let epoch = 0; epoch < 3; epoch++) {
  for (let i = 0; i < 200; i += batchSize) {
    const X = features.narrow(0, i, batchSize);
    const y = labels.narrow(0, i, batchSize);
    optimizer.zeroGrad();
    const l = lossFn.forward(model.forward(X), y);
    l.backward();
    optimizer.step();
  }
  const full = torch.noGrad(() => lossFn.forward(model.forward(features), labels));
  console.log(`epoch ${epoch + 1}, loss ${full.item().toFixed(6)}`);
}
console.log("w:", model.weight.tolist(), "b:", model.bias!.item());

// the graph of one more step, for the panel
export const loss = lossFn.forward(
  model.forward(features.narrow(0, 0, batchSize)),
  labels.narrow(0, 0, batchSize),
);
