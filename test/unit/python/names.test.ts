/**
 * PyTorch's Python names on the engine: one snake_case → camelCase rule for attributes, one
 * generated table placing keyword arguments (positional parameters by name, the rest into the
 * options object).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { placeKeywords, snakeToCamel, signatureOf } from "../../../python/torch/names";
import { printed } from "./printed";

test("python names: snake_case → camelCase keeps dunders and leading/trailing underscores", () => {
  assert.equal(snakeToCamel("requires_grad"), "requiresGrad");
  assert.equal(snakeToCamel("requires_grad_"), "requiresGrad_");
  assert.equal(snakeToCamel("conv_transpose2d"), "convTranspose2d");
  assert.equal(snakeToCamel("clip_grad_norm_"), "clipGradNorm_");
  assert.equal(snakeToCamel("_version"), "_version");
  assert.equal(snakeToCamel("__init__"), "__init__");
});

test("python names: the generated table knows the engine's parameters (methods, functions, constructors)", () => {
  assert.deepEqual(signatureOf(torch.Tensor.prototype.sum as never), ["dim", "keepdim"]);
  assert.deepEqual(signatureOf(torch.nn.ConvTranspose2d as never)?.slice(0, 3), ["inChannels", "outChannels", "kernelSize"]);
  assert.deepEqual(signatureOf(torch.tensor as never), ["data", "options"]);
});

test("python names: keywords go to their positional place or into the options object", () => {
  const kw = (o: Record<string, unknown>) => new Map(Object.entries(o));
  assert.deepEqual(placeKeywords(torch.Tensor.prototype.sum as never, "sum", [], kw({ keepdim: true, dim: 1 })), [1, true]);
  assert.deepEqual(placeKeywords(torch.nn.ConvTranspose2d as never, "ConvTranspose2d", [1, 1], kw({ kernel_size: 2, bias: false })), [1, 1, 2, { bias: false }]);
  assert.deepEqual(placeKeywords(torch.tensor as never, "tensor", [[1]], kw({ requires_grad: true })), [[1], { requiresGrad: true }]);
  assert.deepEqual(placeKeywords(torch.rand as never, "rand", [], kw({ size: [2, 3] })), [2, 3]);
  assert.throws(() => placeKeywords(torch.Tensor.prototype.sum as never, "sum", [0], kw({ dim: 1 })), /got multiple values for argument 'dim'/);
});

test("python names: keyword arguments reach the engine through the table", () => {
  const out = printed(
    [
      "import torch",
      "from torch import nn",
      "x = torch.arange(6.0).reshape(2, 3)",
      "print(x.sum(dim=1, keepdim=True).shape, torch.sum(x, dim=0))",
      "t = nn.ConvTranspose2d(1, 1, kernel_size=2, stride=2, bias=False)",
      "print(t.kernel_size, t.stride, t.bias, t.weight.requires_grad)",
      "print(torch.zeros(2, 3, dtype=torch.int64).dtype, torch.ones(2, requires_grad=True).requires_grad)",
    ].join("\n"),
  );
  assert.equal(out, "torch.Size([2, 1]) tensor([3., 5., 7.])\n(2, 2) (2, 2) None True\ntorch.int64 True\n");
});
