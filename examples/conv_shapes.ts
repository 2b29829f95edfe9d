// Convolution output sizes: hover a call to see ⌊(L + 2·padding − dilation·(k − 1) − 1)/stride⌋ + 1
// filled in with its numbers. torch.shapes holds the same formulas the layers use.
import * as torch from "gradlens";
import { nn } from "gradlens";

torch.manualSeed(0);

// Conv1d: a 2-channel signal of length 64 through 16 filters of width 3, then of width 5.
const signal = torch.randn(1, 2, 64);
const conv3 = new nn.Conv1d(2, 16, 3); // weight [16, 2, 3], bias [16]
const a = conv3.forward(signal); // [1, 16, 62]
const conv5 = new nn.Conv1d(2, 16, 5);
const b = conv5.forward(signal); // [1, 16, 60]

// Conv2d with a 3×5 kernel: the output shrinks by 2 and 4, unless padding [1, 2] makes up for it.
const image = torch.randn(1, 20, 64, 128);
const conv = new nn.Conv2d(20, 16, [3, 5]); // weight [16, 20, 3, 5]
const c = conv.forward(image); // [1, 16, 62, 124]
const same = new nn.Conv2d(20, 16, [3, 5], { stride: 1, padding: [1, 2] });
const d = same.forward(image); // [1, 16, 64, 128]

// Strides, dilation and "same" padding change the size too.
const strided = new nn.Conv2d(20, 8, 3, { stride: 2, padding: 1, dilation: 2 });
const e = strided.forward(image); // [1, 8, 31, 63]
const keep = new nn.Conv1d(2, 4, 4, { padding: "same" }); // output length = input length
const f = keep.forward(signal); // [1, 4, 64]

console.log(torch.shapes.convOutFormula(64, 3)); // ⌊(64 + 2·0 − 1·(3 − 1) − 1)/1⌋ + 1 = 62
console.log(torch.shapes.conv2dOut([64, 128], [3, 5]), c.shape);

export const loss = a.mean().add(b.mean()).add(c.mean()).add(d.mean()).add(e.mean()).add(f.mean());
