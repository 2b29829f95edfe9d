/**
 * The ops of make_higher_order_reference.py, spelled in TypeScript under the same names: each
 * is differentiated twice (createGraph) against PyTorch and by finite differences.
 */
import * as torch from "../../../engine";
import { Tensor } from "../../../engine";

const F = torch.nn.functional;

export const HIGHER_ORDER_OPS: Record<string, (...xs: Tensor[]) => Tensor> = {
  add: (a, b) => a.add(b.mul(2)).mul(a),
  sub: (a, b) => a.sub(b).mul(b),
  mul: (a, b) => a.mul(b).mul(a),
  div: (a, b) => a.div(b),
  "pow scalar": (a) => a.pow(3),
  "pow tensor": (a, b) => a.pow(b),
  "pow scalar base": (a) => torch.pow(2, a.mul(a)),
  "exp log sqrt": (a) => a.mul(0.5).exp().mul(a.log()).add(a.sqrt()),
  "abs neg": (a) => a.neg().abs().mul(a),
  "sin cos": (a) => a.sin().mul(a.mul(2).cos()),
  "sigmoid tanh relu": (a) => a.sigmoid().mul(a.tanh()).add(a.relu().mul(a)),
  "clamp maximum": (a, b) => a.clamp(-0.5, 0.8).mul(a.maximum(b)).mul(a),
  softmax: (a) => a.mul(a).softmax(1),
  log_softmax: (a) => a.mul(a).logSoftmax(0),
  mm: (a, b) => a.mm(b).pow(2),
  "matmul batched": (a, b) => a.matmul(b).pow(2),
  "mv dot": (a, v) => a.mv(v).mul(v.dot(v)),
  linear: (x, w, b) => F.linear(x, w, b).tanh(),
  "sum mean": (a) => a.sum(1, true).mul(a.mean(0)).mul(a.sum()),
  "max norm": (a) => a.max().mul(a).mul(a.norm()),
  views: (a) =>
    a.t().reshape(2, 6).transpose(0, 1).index("1:5").unsqueeze(0).expand(2, 4, 2).pow(2),
  select: (a) => a.index(1).mul(a.index(":", 2).sum()),
  mse_loss: (a, b) => F.mseLoss(a.mul(a), b),
  "mse_loss sum": (a, b) => F.mseLoss(a.mul(a), b.mul(b), { reduction: "sum" }),
  cross_entropy: (a) => F.crossEntropy(a.mul(a), torch.tensor([1, 0, 3])),
  "elu gelu silu": (a) => F.elu(a).mul(F.gelu(a)).add(F.silu(a)),
  "gelu tanh softplus": (a) => F.gelu(a, "tanh").mul(F.softplus(a, 2)),
  "leaky_relu hardtanh": (a) => F.leakyRelu(a, 0.1).mul(F.hardtanh(a)).mul(a),
  binary_cross_entropy: (a, b) => F.binaryCrossEntropy(a.sigmoid(), b.sigmoid()),
  binary_cross_entropy_with_logits: (a, b) =>
    F.binaryCrossEntropyWithLogits(a.mul(a), b.sigmoid(), {
      reduction: "sum",
      posWeight: torch.tensor([1.0, 2.0, 0.5, 3.0], { dtype: "float32" }),
    }),
  "smooth_l1 huber": (a, b) =>
    F.smoothL1Loss(a.mul(a), b, { beta: 0.5 }).add(
      F.huberLoss(a.mul(b), b, { delta: 0.7, reduction: "sum" }),
    ),
  "l1 kl_div nll": (a, b) =>
    F.l1Loss(a.mul(a), b)
      .add(F.klDiv(F.logSoftmax(a.mul(a), 1), F.softmax(b, 1).detach(), { reduction: "batchmean" }))
      .add(F.nllLoss(F.logSoftmax(a.mul(b), 1), torch.tensor([2, 0, 1]))),
  "cat stack split unbind": (a, b) =>
    torch
      .cat([a.mul(b), torch.stack([a, b], 1).sum(1)], 0)
      .split([1, 5], 0)[1]
      .index("1:")
      .mul(
        torch
          .cat([torch.stack(a.unbind(1), 0).t(), torch.stack(a.unbind(1), 0).t()], 0)
          .index("2:"),
      )
      .mul(a.chunk(2, 1)[0].sum()),
  conv2d: (x, w, b) => F.conv2d(x, w, b, { stride: 2, padding: 1 }).tanh(),
  "conv1d dilated": (x, w) => F.conv1d(x, w, null, { dilation: 2, padding: 2 }).pow(2),
  "conv_transpose2d groups": (x, w) =>
    F.convTranspose2d(x, w, null, { stride: 2, padding: 1, groups: 2 }).pow(2),
  "flip roll repeat": (a) => a.mul(a).flip(0).roll(1, 1).repeat(2, 1).mul(a.repeat(2, 1)),
};
