// The VAE of pytorch/examples (smaller): an encoder to a mean and log-variance, the
// reparameterization trick (z = μ + ε·σ), a decoder, binary cross entropy plus the KL
// divergence, and two Adam steps.
import * as torch from "gradlens";
import { nn, optim } from "gradlens";
const F = nn.functional;

torch.manualSeed(0);

class VAE extends nn.Module {
  fc1 = new nn.Linear(64, 32);
  fc21 = new nn.Linear(32, 8);
  fc22 = new nn.Linear(32, 8);
  fc3 = new nn.Linear(8, 32);
  fc4 = new nn.Linear(32, 64);

  encode(x: torch.Tensor): [torch.Tensor, torch.Tensor] {
    const h1 = F.relu(this.fc1.forward(x));
    return [this.fc21.forward(h1), this.fc22.forward(h1)];
  }

  reparameterize(mu: torch.Tensor, logvar: torch.Tensor): torch.Tensor {
    const std = torch.exp(logvar.mul(0.5));
    const eps = torch.randnLike(std);
    return mu.add(eps.mul(std));
  }

  decode(z: torch.Tensor): torch.Tensor {
    return torch.sigmoid(this.fc4.forward(F.relu(this.fc3.forward(z))));
  }

  forward(x: torch.Tensor): [torch.Tensor, torch.Tensor, torch.Tensor] {
    const [mu, logvar] = this.encode(x.view(-1, 64));
    return [this.decode(this.reparameterize(mu, logvar)), mu, logvar];
  }
}

/** Reconstruction + KL divergence, summed over all elements and the batch. */
function lossFunction(
  reconX: torch.Tensor,
  x: torch.Tensor,
  mu: torch.Tensor,
  logvar: torch.Tensor,
) {
  const BCE = F.binaryCrossEntropy(reconX, x.view(-1, 64), { reduction: "sum" });
  // −½ Σ (1 + log σ² − μ² − σ²)
  const KLD = torch.sum(logvar.add(1).sub(mu.pow(2)).sub(logvar.exp())).mul(-0.5);
  return BCE.add(KLD);
}

const model = new VAE();
const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
const data = torch.rand(8, 64);
let last = torch.zeros(1);
for (let step = 0; step < 2; step++) {
  optimizer.zeroGrad();
  const [reconBatch, mu, logvar] = model.forward(data);
  last = lossFunction(reconBatch, data, mu, logvar);
  last.backward();
  optimizer.step();
  console.log(`step${step + 1}.loss`, last.item());
}
export const loss = last;
console.log("fc21.bias", ...(model.fc21.bias!.tolist() as number[]));
