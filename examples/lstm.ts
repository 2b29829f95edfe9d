// A sequence classifier: a two-layer LSTM reads each sequence of 10 steps (8 features a
// step), and a linear head classifies it from the last layer's final hidden state. One
// backward on cross entropy; the graph shows the LSTM's steps as PyTorch builds them on a CPU.
import * as torch from "gradlens";
import { nn } from "gradlens";

torch.manualSeed(0);

class SequenceClassifier extends nn.Module {
  lstm = new nn.LSTM(8, 16, { numLayers: 2, batchFirst: true });
  head = new nn.Linear(16, 3);

  forward(x: torch.Tensor): torch.Tensor {
    const [, [hN]] = this.lstm.forward(x); // output [4, 10, 16]; h_n, c_n [2, 4, 16]
    return this.head.forward(hN.select(0, -1)); // the top layer's last state → [4, 3]
  }
}

const model = new SequenceClassifier();
const sequences = torch.randn(4, 10, 8); // [batch, steps, features]
const labels = torch.tensor([0, 2, 1, 2]);

export const loss = new nn.CrossEntropyLoss().forward(model.forward(sequences), labels);
loss.backward();
console.log(`loss ${loss.item().toFixed(6)}`);
console.log(`|grad weight_hh_l0| ${model.lstm.allWeights[0][1].grad!.norm().item().toFixed(6)}`);
