// A training loop as the PyTorch tutorials write it: minibatches, zeroGrad, backward, gradient
// clipping, an optimizer step per batch, and a StepLR scheduler stepped once per epoch.
import * as torch from "gradlens";
import { nn, optim } from "gradlens";

torch.manualSeed(0);
const model = new nn.Sequential(new nn.Linear(4, 16), new nn.ReLU(), new nn.Linear(16, 3));
const optimizer = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
const scheduler = new optim.lrScheduler.StepLR(optimizer, 2, { gamma: 0.5 });
const criterion = new nn.CrossEntropyLoss();
const X = torch.randn(32, 4);
const y = torch.tensor(Array.from({ length: 32 }, (_, i) => i % 3));

let loss = torch.zeros(1);
for (let epoch = 0; epoch < 5; epoch++) {
  let total = 0;
  for (let i = 0; i < 32; i += 8) {
    optimizer.zeroGrad();
    loss = criterion.forward(model.forward(X.index(`${i}:${i + 8}`)), y.index(`${i}:${i + 8}`));
    loss.backward();
    nn.utils.clipGradNorm_(model.parameters(), 1.0);
    optimizer.step();
    total += loss.item();
  }
  console.log(`epoch${epoch + 1}`, total / 4, scheduler.getLastLr()[0]);
  scheduler.step();
}
export { loss };
