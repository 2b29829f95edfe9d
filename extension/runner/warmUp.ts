/** The model a new run worker runs before it says "ready" (worker.ts). */

// A worker's first run is slow (the engine, the tracer and the graph builder are cold JIT-wise):
// run a model with the usual layers a few times before saying "ready". It ends by putting the
// random generator back to its state at start (PyTorch's default seed, as engine/random.ts
// starts from), so the user's random numbers are the same as in a fresh engine.
export const WARM_UP = `import * as torch from "gradlens";
import { nn } from "gradlens";
const F = nn.functional;
const net = new nn.Sequential(
  new nn.Conv2d(1, 4, 3, { padding: 1 }),
  new nn.ReLU(),
  new nn.MaxPool2d(2),
  new nn.Flatten(),
  new nn.Linear(64, 10),
);
const x = torch.randn(2, 1, 8, 8, { requiresGrad: true });
const h = F.conv1d(x.flatten(2), torch.ones(3, 1, 5), null, { padding: 2 });
const out = net.forward(x).add(h.mean()).tanh();
export const loss = F.crossEntropy(out, torch.tensor([1, 7])).add(F.mseLoss(out.sigmoid(), out.softmax(1)));
torch.manualSeed(67280421310721);
`;
export const WARM_UP_RUNS = 1;
