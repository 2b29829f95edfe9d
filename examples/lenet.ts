// LeNet-5 (as in d2l.ai): two convolution + sigmoid + average-pooling stages, then three
// fully connected layers, on a batch of 28×28 images; one Adam step on cross entropy.
import * as torch from "gradlens";
import { nn, optim } from "gradlens";

torch.manualSeed(0);

const net = new nn.Sequential(
  new nn.Conv2d(1, 6, 5, { padding: 2 }), // [N, 6, 28, 28]
  new nn.Sigmoid(),
  new nn.AvgPool2d(2, { stride: 2 }), // [N, 6, 14, 14]
  new nn.Conv2d(6, 16, 5), // [N, 16, 10, 10]
  new nn.Sigmoid(),
  new nn.AvgPool2d(2, { stride: 2 }), // [N, 16, 5, 5]
  new nn.Flatten(), // [N, 400]
  new nn.Linear(16 * 5 * 5, 120),
  new nn.Sigmoid(),
  new nn.Linear(120, 84),
  new nn.Sigmoid(),
  new nn.Linear(84, 10),
);
console.log(net.toString());

const images = torch.randn(4, 1, 28, 28);
const labels = torch.tensor([3, 1, 4, 1]);
const criterion = new nn.CrossEntropyLoss();
const optimizer = new optim.Adam(net.parameters(), { lr: 0.01 });

const first = criterion.forward(net.forward(images), labels);
first.backward();
optimizer.step();
optimizer.zeroGrad();

export const loss = criterion.forward(net.forward(images), labels);
console.log(`loss ${first.item().toFixed(4)} → ${loss.item().toFixed(4)}`);
