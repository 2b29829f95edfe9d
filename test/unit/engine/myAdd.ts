/** The seed's custom Function (test/fixtures/models/customFunction.ts), for tests run in Node. */
import * as torch from "../../../engine";

export class MyAdd extends torch.autograd.Function {
  static override forward(ctx: torch.autograd.Context, x1: torch.Tensor, x2: torch.Tensor) {
    ctx.saveForBackward(x1, x2);
    return x1.add(x2);
  }
  static override backward(ctx: torch.autograd.Context, gradOutput: torch.Tensor) {
    const [x1, x2] = ctx.savedTensors;
    return [gradOutput.mul(torch.onesLike(x1)), gradOutput.mul(torch.onesLike(x2))];
  }
}
