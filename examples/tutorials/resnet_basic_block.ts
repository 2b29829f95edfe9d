// torchvision's ResNet BasicBlock: two 3×3 convolutions with batch norm, and a strided 1×1
// convolution as the shortcut when the block halves the resolution and doubles the channels.
import * as torch from "gradlens";
import { nn } from "gradlens";

torch.manualSeed(0);

const conv3x3 = (inPlanes: number, outPlanes: number, stride = 1) =>
  new nn.Conv2d(inPlanes, outPlanes, 3, { stride, padding: 1, bias: false });

class BasicBlock extends nn.Module {
  conv1: nn.Conv2d;
  bn1: nn.BatchNorm2d;
  relu = new nn.ReLU();
  conv2: nn.Conv2d;
  bn2: nn.BatchNorm2d;
  downsample: nn.Module | null;

  constructor(inplanes: number, planes: number, stride = 1, downsample: nn.Module | null = null) {
    super();
    this.conv1 = conv3x3(inplanes, planes, stride);
    this.bn1 = new nn.BatchNorm2d(planes);
    this.conv2 = conv3x3(planes, planes);
    this.bn2 = new nn.BatchNorm2d(planes);
    this.downsample = downsample;
  }

  forward(x: torch.Tensor): torch.Tensor {
    let out = this.relu.forward(this.bn1.forward(this.conv1.forward(x)));
    out = this.bn2.forward(this.conv2.forward(out));
    const identity = this.downsample ? this.downsample.forward(x) : x;
    return this.relu.forward(out.add(identity));
  }
}

const downsample = new nn.Sequential(
  new nn.Conv2d(4, 8, 1, { stride: 2, bias: false }),
  new nn.BatchNorm2d(8),
);
const block = new BasicBlock(4, 8, 2, downsample);
const x = torch.randn(2, 4, 8, 8);
const out = block.forward(x);
console.log("out.shape", ...out.shape);
export const loss = out.pow(2).mean();
loss.backward();
console.log("loss", loss.item());
console.log("conv1.weight.grad.norm", block.conv1.weight.grad!.norm().item());
console.log(
  "downsample.0.weight.grad.norm",
  (downsample.at(0) as nn.Conv2d).weight.grad!.norm().item(),
);
console.log("bn1.running_mean", ...(block.bn1.runningMean!.tolist() as number[]));
