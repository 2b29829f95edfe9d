// The lecture's MLP as an nn.Module subclass: a [3, 10, 20] input flattened to 600 features,
// then 600 → 60 → 40 → 10 with ReLUs. Fields holding layers become its parameters, named
// fc1.weight, fc1.bias, ... in the order they are defined.
import * as torch from "gradlens";
import { nn } from "gradlens";
const F = nn.functional;

class MLP extends nn.Module {
  fc1 = new nn.Linear(600, 60);
  fc2 = new nn.Linear(60, 40);
  fc3 = new nn.Linear(40, 10);

  forward(x: torch.Tensor): torch.Tensor {
    const h1 = F.relu(this.fc1.forward(x));
    const h2 = F.relu(this.fc2.forward(h1));
    return this.fc3.forward(h2);
  }
}

torch.manualSeed(0);
const x = torch.randn(3, 10, 20);
const net = new MLP();
for (const [name, p] of net.namedParameters()) console.log(name, p.shape);

const logits = net.forward(x.view(-1)); // 10 scores
const target = torch.tensor(3); // the right class
export const loss = F.crossEntropy(logits, target);
loss.backward();
console.log(net.fc3.weight.grad!.shape); // [10, 40]
