// PyTorch's 60-minute blitz, "A Gentle Introduction to torch.autograd": Q = 3a³ − b² with an
// explicit gradient, what requires grad, and fine-tuning (a frozen model, a new classifier).
import * as torch from "gradlens";
import { nn } from "gradlens";

torch.manualSeed(0);

const a = torch.tensor([2, 3], { requiresGrad: true });
const b = torch.tensor([6, 4], { requiresGrad: true });
const Q = a.pow(3).mul(3).sub(b.pow(2));
Q.backward(torch.tensor([1, 1], { dtype: "float32" })); // Q is a vector: dQ/dQ = 1
console.log("a.grad", ...(a.grad!.tolist() as number[])); // 9a²
console.log("b.grad", ...(b.grad!.tolist() as number[])); // −2b
const allEqual = (x: torch.Tensor, y: torch.Tensor) => (x.eq(y).sum().item() === x.numel() ? 1 : 0);
console.log("check", allEqual(a.pow(2).mul(9), a.grad!), allEqual(b.mul(-2), b.grad!));

// exclusion from the DAG: an op requires grad if any input does
const x = torch.rand(5, 5);
const y = torch.rand(5, 5);
const z = torch.rand([5, 5], { requiresGrad: true });
console.log("requires_grad", x.add(y).requiresGrad ? 1 : 0, x.add(z).requiresGrad ? 1 : 0);

// fine-tuning: freeze every parameter, then replace the classifier (new layers require grad)
const model = new nn.Sequential(new nn.Linear(8, 16), new nn.ReLU(), new nn.Linear(16, 4));
for (const p of model.parameters()) p.requiresGrad = false;
const classifier = new nn.Linear(16, 3);
const finetuned = new nn.Sequential(model.at(0), model.at(1), classifier); // PyTorch: model[2] = …
export const loss = finetuned.forward(torch.randn(2, 8)).sum();
loss.backward();
console.log("frozen_grads", finetuned.parameters().filter((p) => p.grad !== null).length);
console.log("classifier.weight.grad.sum", classifier.weight.grad!.sum().item());
