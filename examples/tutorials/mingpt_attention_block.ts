// minGPT's transformer block: causal self-attention written out (one linear for q, k, v, heads
// split with view/transpose, a lower-triangular mask buffer), then an MLP with GELU, each with
// a pre-norm residual connection.
import * as torch from "gradlens";
import { nn } from "gradlens";
const F = nn.functional;

torch.manualSeed(0);
const nEmbd = 16;
const nHead = 4;
const blockSize = 8;

class CausalSelfAttention extends nn.Module {
  c_attn = new nn.Linear(nEmbd, 3 * nEmbd); // key, query, value projections for all heads
  c_proj = new nn.Linear(nEmbd, nEmbd);
  attn_dropout = new nn.Dropout(0.0);
  resid_dropout = new nn.Dropout(0.0);
  declare bias: torch.Tensor;

  constructor() {
    super();
    // the causal mask: each position attends to itself and the ones before it
    this.registerBuffer(
      "bias",
      torch.tril(torch.ones(blockSize, blockSize)).view(1, 1, blockSize, blockSize),
    );
  }

  forward(x: torch.Tensor): torch.Tensor {
    const [B, T, C] = x.shape;
    const heads = (t: torch.Tensor) => t.view(B, T, nHead, C / nHead).transpose(1, 2); // [B, nh, T, hs]
    const [q, k, v] = this.c_attn.forward(x).split(nEmbd, 2).map(heads);
    let att = q.matmul(k.transpose(-2, -1)).mul(1 / Math.sqrt(k.size(-1)));
    att = att.maskedFill(this.bias.index(":", ":", `:${T}`, `:${T}`).eq(0), -Infinity);
    att = this.attn_dropout.forward(F.softmax(att, -1));
    const y = att.matmul(v).transpose(1, 2).contiguous().view(B, T, C); // heads side by side
    return this.resid_dropout.forward(this.c_proj.forward(y));
  }
}

class Block extends nn.Module {
  ln_1 = new nn.LayerNorm(nEmbd);
  attn = new CausalSelfAttention();
  ln_2 = new nn.LayerNorm(nEmbd);
  mlp = new nn.ModuleDict({
    c_fc: new nn.Linear(nEmbd, 4 * nEmbd),
    c_proj: new nn.Linear(4 * nEmbd, nEmbd),
    act: new nn.GELU(),
    dropout: new nn.Dropout(0.0),
  });

  forward(input: torch.Tensor): torch.Tensor {
    const m = (name: string, t: torch.Tensor) => this.mlp.get(name).forward(t) as torch.Tensor;
    const x = input.add(this.attn.forward(this.ln_1.forward(input)));
    return x.add(m("dropout", m("c_proj", m("act", m("c_fc", this.ln_2.forward(x))))));
  }
}

const block = new Block();
const x = torch.randn(2, 6, nEmbd);
export const loss = block.forward(x).pow(2).mean();
loss.backward();
console.log("loss", loss.item());
console.log("c_attn.weight.grad.norm", block.attn.c_attn.weight.grad!.norm().item());
const cFc = block.mlp.get("c_fc") as nn.Linear;
console.log("mlp.c_fc.weight.grad.norm", cFc.weight.grad!.norm().item());
