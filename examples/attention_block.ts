// A decoder-style attention block (as in minGPT, without its layer norms): causal multi-head
// self-attention over a sequence of 6 tokens with a residual connection, then a feed-forward
// network with another residual. One backward of a mean-squared-error loss.
import * as torch from "gradlens";
import { nn } from "gradlens";

torch.manualSeed(0);

const T = 6; // tokens
const causal = torch.tensor(
  Array.from({ length: T }, (_, i) => Array.from({ length: T }, (_, j) => j > i)),
); // true above the diagonal: a token may not look ahead

class Block extends nn.Module {
  attn = new nn.MultiheadAttention(16, 4, { batchFirst: true });
  mlp = new nn.Sequential(new nn.Linear(16, 64), new nn.ReLU(), new nn.Linear(64, 16));

  forward(x: torch.Tensor): torch.Tensor {
    const [attended] = this.attn.forward(x, x, x, { attnMask: causal, needWeights: false });
    const h = x.add(attended); // [2, 6, 16]
    return h.add(this.mlp.forward(h));
  }
}

const block = new Block();
const tokens = torch.randn(2, T, 16); // [batch, tokens, embedding]
const target = torch.randn(2, T, 16);

export const loss = nn.functional.mseLoss(block.forward(tokens), target);
loss.backward();
console.log(`loss ${loss.item().toFixed(6)}`);
console.log(`|grad in_proj_weight| ${block.attn.in_proj_weight.grad!.norm().item().toFixed(6)}`);
