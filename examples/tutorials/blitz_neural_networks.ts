// PyTorch's 60-minute blitz, "Neural Networks": a LeNet-style net on a 32×32 input, MSE loss
// against a random target, backward, and one SGD step.
import * as torch from "gradlens";
import { nn, optim } from "gradlens";
const F = nn.functional;

torch.manualSeed(0);

class Net extends nn.Module {
  conv1 = new nn.Conv2d(1, 6, 5); // 1 input image channel, 6 output channels, 5×5 kernel
  conv2 = new nn.Conv2d(6, 16, 5);
  fc1 = new nn.Linear(16 * 5 * 5, 120); // 5×5 from the image dimension
  fc2 = new nn.Linear(120, 84);
  fc3 = new nn.Linear(84, 10);

  forward(input: torch.Tensor): torch.Tensor {
    let x = F.maxPool2d(F.relu(this.conv1.forward(input)), [2, 2]);
    x = F.maxPool2d(F.relu(this.conv2.forward(x)), 2); // a square window: one number
    x = torch.flatten(x, 1); // all dimensions except the batch
    x = F.relu(this.fc1.forward(x));
    x = F.relu(this.fc2.forward(x));
    return this.fc3.forward(x);
  }
}

const net = new Net();
const input = torch.randn(1, 1, 32, 32);
const out = net.forward(input);
console.log("out", ...(out.flatten().tolist() as number[]));

const target = torch.randn(10).view(1, -1); // the same shape as the output
const criterion = new nn.MSELoss();
export const loss = criterion.forward(out, target);
console.log("loss", loss.item());

net.zeroGrad();
loss.backward();
console.log("conv1.bias.grad", ...(net.conv1.bias!.grad!.tolist() as number[]));

const optimizer = new optim.SGD(net.parameters(), { lr: 0.01 });
optimizer.step();
console.log("loss_after_step", criterion.forward(net.forward(input), target).item());
