/** The gradcheck helper itself: it passes a right gradient and catches a wrong one. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as torch from "../../../engine";
import { gradcheck } from "../gradcheck";

test("gradcheck: passes mul with broadcasting", () => {
  torch.manualSeed(1);
  gradcheck((a, b) => a.mul(b), [torch.randn(2, 3), torch.randn(3)]);
});

test("gradcheck: catches a custom Function with a wrong backward", () => {
  class WrongSquare extends torch.autograd.Function {
    static override forward(ctx: torch.autograd.Context, x: torch.Tensor) {
      ctx.saveForBackward(x);
      return x.mul(x);
    }
    static override backward(ctx: torch.autograd.Context, g: torch.Tensor) {
      const [x] = ctx.savedTensors;
      return g.mul(x); // should be 2x
    }
  }
  torch.manualSeed(2);
  assert.throws(() => gradcheck((x) => WrongSquare.apply(x), [torch.randn(4)]), /gradcheck: input 0/);
});
