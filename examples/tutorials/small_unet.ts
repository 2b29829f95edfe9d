// A small U-Net (after milesial/Pytorch-UNet): double 3×3 convolutions with batch norm, max
// pooling down, transposed convolutions up with the skip connections concatenated, and a 1×1
// output convolution; binary cross entropy on logits against a random mask.
import * as torch from "gradlens";
import { nn } from "gradlens";
const F = nn.functional;

torch.manualSeed(0);

class DoubleConv extends nn.Module {
  double_conv: nn.Sequential;
  constructor(inChannels: number, outChannels: number) {
    super();
    this.double_conv = new nn.Sequential(
      new nn.Conv2d(inChannels, outChannels, 3, { padding: 1, bias: false }),
      new nn.BatchNorm2d(outChannels),
      new nn.ReLU(),
      new nn.Conv2d(outChannels, outChannels, 3, { padding: 1, bias: false }),
      new nn.BatchNorm2d(outChannels),
      new nn.ReLU(),
    );
  }
  forward(x: torch.Tensor): torch.Tensor {
    return this.double_conv.forward(x);
  }
}

class Down extends nn.Module {
  maxpool_conv: nn.Sequential;
  constructor(inChannels: number, outChannels: number) {
    super();
    this.maxpool_conv = new nn.Sequential(
      new nn.MaxPool2d(2),
      new DoubleConv(inChannels, outChannels),
    );
  }
  forward(x: torch.Tensor): torch.Tensor {
    return this.maxpool_conv.forward(x);
  }
}

class Up extends nn.Module {
  up: nn.ConvTranspose2d;
  conv: DoubleConv;
  constructor(inChannels: number, outChannels: number) {
    super();
    this.up = new nn.ConvTranspose2d(inChannels, inChannels / 2, 2, { stride: 2 });
    this.conv = new DoubleConv(inChannels, outChannels);
  }
  forward(x1: torch.Tensor, x2: torch.Tensor): torch.Tensor {
    return this.conv.forward(torch.cat([x2, this.up.forward(x1)], 1));
  }
}

class UNet extends nn.Module {
  inc = new DoubleConv(1, 4);
  down1 = new Down(4, 8);
  down2 = new Down(8, 16);
  up1 = new Up(16, 8);
  up2 = new Up(8, 4);
  outc = new nn.Conv2d(4, 1, 1);

  forward(x: torch.Tensor): torch.Tensor {
    const x1 = this.inc.forward(x);
    const x2 = this.down1.forward(x1);
    const x3 = this.down2.forward(x2);
    return this.outc.forward(this.up2.forward(this.up1.forward(x3, x2), x1));
  }
}

const net = new UNet();
const x = torch.randn(2, 1, 16, 16);
const mask = torch.rand(2, 1, 16, 16).gt(0.5).float();
const logits = net.forward(x);
console.log("logits.shape", ...logits.shape);
export const loss = F.binaryCrossEntropyWithLogits(logits, mask);
loss.backward();
console.log("loss", loss.item());
console.log("outc.weight.grad", ...(net.outc.weight.grad!.flatten().tolist() as number[]));
console.log("up1.up.weight.grad.norm", net.up1.up.weight.grad!.norm().item());
