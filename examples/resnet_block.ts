// A ResNet basic block (He et al., 2016; torchvision's BasicBlock): two 3×3 convolutions with
// batch norm and ReLU, and a shortcut that adds the block's input back to its output, so that
// the gradient has a direct path around the convolutions. A tiny ResNet of two blocks on a
// batch of 16×16 images, ending in global average pooling and a linear classifier.
import * as torch from "gradlens";
import { nn } from "gradlens";

torch.manualSeed(0);

class BasicBlock extends nn.Module {
  conv1: nn.Conv2d;
  bn1: nn.BatchNorm2d;
  conv2: nn.Conv2d;
  bn2: nn.BatchNorm2d;
  shortcut: nn.Sequential;

  constructor(inChannels: number, outChannels: number, stride = 1) {
    super();
    this.conv1 = new nn.Conv2d(inChannels, outChannels, 3, { stride, padding: 1, bias: false });
    this.bn1 = new nn.BatchNorm2d(outChannels);
    this.conv2 = new nn.Conv2d(outChannels, outChannels, 3, { padding: 1, bias: false });
    this.bn2 = new nn.BatchNorm2d(outChannels);
    // a block that changes the size or the channels brings its input along with a 1×1 conv
    this.shortcut =
      stride !== 1 || inChannels !== outChannels
        ? new nn.Sequential(
            new nn.Conv2d(inChannels, outChannels, 1, { stride, bias: false }),
            new nn.BatchNorm2d(outChannels),
          )
        : new nn.Sequential();
  }

  forward(x: torch.Tensor): torch.Tensor {
    const out = this.bn1.forward(this.conv1.forward(x)).relu();
    const residual = this.bn2.forward(this.conv2.forward(out));
    return residual.add(this.shortcut.forward(x)).relu();
  }
}

class TinyResNet extends nn.Module {
  stem = new nn.Sequential(
    new nn.Conv2d(3, 16, 3, { padding: 1, bias: false }), // [N, 16, 16, 16]
    new nn.BatchNorm2d(16),
    new nn.ReLU(),
  );
  block1 = new BasicBlock(16, 16); // [N, 16, 16, 16]
  block2 = new BasicBlock(16, 32, 2); // [N, 32, 8, 8]
  pool = new nn.AdaptiveAvgPool2d(1); // [N, 32, 1, 1]
  fc = new nn.Linear(32, 10);

  forward(x: torch.Tensor): torch.Tensor {
    const features = this.block2.forward(this.block1.forward(this.stem.forward(x)));
    return this.fc.forward(this.pool.forward(features).flatten(1));
  }
}

const net = new TinyResNet();
const images = torch.randn(2, 3, 16, 16);
const labels = torch.tensor([3, 7]);
const logits = net.forward(images);
export const loss = new nn.CrossEntropyLoss().forward(logits, labels);
console.log(`loss ${loss.item().toFixed(4)}`);
