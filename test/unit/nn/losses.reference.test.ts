/**
 * The losses against PyTorch (nn_losses.json, make_nn_losses_reference.py): every reduction,
 * class weights, pos_weight, ignore_index, label smoothing with class and probability targets,
 * through nn.functional and again through the matching nn module; values, backward graphs
 * (`BinaryCrossEntropyBackward0`, `AbsBackward0` ← `SubBackward0` for L1, the label-smoothing
 * sum `AddBackward0` of two `MulBackward1`, ...), gradients of input and target, and errors.
 */
import { test } from "node:test";
import * as torch from "../../../engine";
import { Tensor, nn } from "../../../engine";
import {
  ErrorCase,
  FunctionalCase,
  camelKeys,
  checkCase,
  checkErrors,
  leavesOf,
  loadFixture,
} from "./nnFixtures";

const fixture = loadFixture<{ cases: FunctionalCase[]; errors: ErrorCase[] }>("nn_losses.json");
const F = nn.functional;
type Options = Record<string, unknown>;

/** Each loss: its functional form and its module, both given the options in this API's spelling. */
const LOSSES: Record<
  string,
  [(x: Tensor, t: Tensor, o: Options) => Tensor, new (o: Options) => nn.Module]
> = {
  binary_cross_entropy: [F.binaryCrossEntropy, nn.BCELoss],
  binary_cross_entropy_with_logits: [F.binaryCrossEntropyWithLogits, nn.BCEWithLogitsLoss],
  l1_loss: [F.l1Loss, nn.L1Loss],
  smooth_l1_loss: [F.smoothL1Loss, nn.SmoothL1Loss],
  huber_loss: [F.huberLoss, nn.HuberLoss],
  kl_div: [F.klDiv, nn.KLDivLoss],
  mse_loss: [F.mseLoss, nn.MSELoss],
  nll_loss: [F.nllLoss, nn.NLLLoss],
  cross_entropy: [F.crossEntropy, nn.CrossEntropyLoss],
};

function run(c: FunctionalCase, asModule: boolean): void {
  const leaves = leavesOf(c.inputs);
  const { input, target, ...tensorOptions } = leaves;
  const options = { ...camelKeys(c.kwargs), ...camelKeys(tensorOptions) };
  const [fn, Module] = LOSSES[c.op];
  const out = asModule
    ? (new Module(options).forward as (x: Tensor, t: Tensor) => Tensor)(input, target)
    : fn(input, target, options);
  checkCase(`${c.name}${asModule ? " (module)" : ""}`, out, c, leaves);
}

// kl_div's "mean" warns as PyTorch does; keep the test output readable
const warn = console.warn;
console.warn = () => {};
for (const c of fixture.cases) test(`PyTorch reference: ${c.name}`, () => run(c, false));
test("PyTorch reference: the same cases through the loss modules", () =>
  fixture.cases.forEach((c) => run(c, true)));
test.after(() => (console.warn = warn));

test("PyTorch reference: the losses' error messages", () =>
  checkErrors(fixture.errors, {
    "bce shapes": () => F.binaryCrossEntropy(torch.rand(3, 4), torch.rand(3, 5)),
    "bce target size": () => F.binaryCrossEntropy(torch.rand(3, 4), torch.rand(4)),
    "bce input range": () => F.binaryCrossEntropy(torch.tensor([1.5]), torch.tensor([1.0]).float()),
    "bce with logits shapes": () =>
      F.binaryCrossEntropyWithLogits(torch.rand(3, 4), torch.rand(3, 5)),
    "l1_loss reduction": () =>
      F.l1Loss(torch.rand(3), torch.rand(3), { reduction: "avg" as "mean" }),
    "smooth_l1_loss negative beta": () =>
      F.smoothL1Loss(torch.rand(3), torch.rand(3), { beta: -1 }),
    "huber_loss negative delta": () => F.huberLoss(torch.rand(3), torch.rand(3), { delta: -1 }),
    "cross_entropy label_smoothing range": () =>
      F.crossEntropy(torch.rand(3, 4), torch.tensor([0, 1, 2]), { labelSmoothing: 1.5 }),
    "kl_div reduction": () => F.klDiv(torch.rand(3), torch.rand(3), { reduction: "avg" as "mean" }),
  }));
