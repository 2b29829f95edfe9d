// A training loop as the PyTorch tutorials write it: a small classifier learns which quadrant
// pairs a 2-D point is in (x·y > 0: class 1), with AdamW, a StepLR schedule that halves the
// learning rate every 10 epochs, and gradient clipping between backward() and step().
// The output channel shows the loss, the learning rate and the gradient norm as they go;
// the panel shows the graph of the last epoch, layer by layer, with its gradients.
import * as torch from "gradlens";
import { nn, optim } from "gradlens";

torch.manualSeed(0);
const points = torch.randn(256, 2);
const labels = quadrantLabels(points);

/** Class 1 where both coordinates have the same sign. */
function quadrantLabels(x: torch.Tensor): torch.Tensor {
  const [a, b] = x.split(1, 1);
  return a.mul(b).gt(0).long().view(-1);
}

const net = new nn.Sequential(
  new nn.Linear(2, 32),
  new nn.ReLU(),
  new nn.Linear(32, 32),
  new nn.ReLU(),
  new nn.Linear(32, 2),
);
const lossFn = new nn.CrossEntropyLoss();
const optimizer = new optim.AdamW(net.parameters(), { lr: 0.02, weightDecay: 1e-3 });
const scheduler = new optim.lrScheduler.StepLR(optimizer, 10, { gamma: 0.5 });

/** One epoch: forward, backward, clip, step, schedule; returns the loss and gradient norm. */
function trainEpoch(): [loss: torch.Tensor, gradNorm: number] {
  optimizer.zeroGrad();
  const loss = lossFn.forward(net.forward(points), labels);
  loss.backward();
  // scale all gradients together so that their norm is at most 1 (returns the norm before)
  const norm = nn.utils.clipGradNorm_(net.parameters(), 1.0);
  optimizer.step();
  scheduler.step();
  return [loss, norm.item()];
}

let last = trainEpoch();
for (let epoch = 2; epoch <= 40; epoch++) {
  last = trainEpoch();
  if (epoch % 10 === 0) {
    const accuracy = torch.noGrad(() =>
      net.forward(points).argmax(1).eq(labels).float().mean().item(),
    );
    const [loss, norm] = last;
    console.log(
      `epoch ${epoch}: loss ${loss.item().toFixed(4)}, accuracy ${(accuracy * 100).toFixed(1)}%, ` +
        `grad norm ${norm.toFixed(3)}, next lr ${scheduler.getLastLr()[0]}`,
    );
  }
}

// the last epoch's loss: the panel shows its graph, with the gradients its backward() computed
export const loss = last[0];
