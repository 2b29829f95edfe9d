/** The model a new run worker runs before it says "ready" (worker.ts). */

// A worker's first run is slow (the engine, the tracer and the graph builder are cold JIT-wise):
// run a model with the usual layers before saying "ready". The worker resets the
// random generator before each run, so the user's random numbers are a fresh engine's.
export const WARM_UP = `import * as torch from "gradlens";
import { nn, optim } from "gradlens";
const F = nn.functional;
const net = new nn.Sequential(
  new nn.Conv2d(1, 4, 3, { padding: 1 }),
  new nn.Sigmoid(),
  new nn.AvgPool2d(2, { stride: 2 }),
  new nn.Conv2d(4, 4, 3),
  new nn.ReLU(),
  new nn.MaxPool2d(2),
  new nn.Flatten(),
  new nn.Linear(4, 8),
  new nn.Tanh(),
  new nn.Linear(8, 10),
);
const up = new nn.ConvTranspose2d(4, 2, 3, { stride: 2 });
const x = torch.randn(2, 1, 8, 8, { requiresGrad: true });
const h = F.conv1d(x.flatten(2), torch.ones(3, 1, 5), null, { padding: 2 });
const extra = up.forward(torch.randn(2, 4, 3, 3)).mean().add(h.mean());
const out = net.forward(x).add(extra);
const adam = new optim.Adam(net.parameters(), { lr: 0.01 });
const sgd = new optim.SGD(up.parameters(), { lr: 0.1, momentum: 0.9 });
const first = new nn.CrossEntropyLoss().forward(out, torch.tensor([1, 7]));
first.backward();
adam.step();
sgd.step();
adam.zeroGrad();
const again = net.forward(x);
export const loss = F.mseLoss(again.softmax(1), torch.zeros(2, 10)).add(F.crossEntropy(again, torch.tensor([3, 2])));
// what the sandbox's snapshot starts from, besides the engine: layers, optimizers, grad_fns
export const made = [net, up, adam, sgd, first, x, h];
`;
export const WARM_UP_RUNS = 1;
