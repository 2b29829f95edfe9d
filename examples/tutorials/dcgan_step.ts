// The DCGAN tutorial's training step (smaller: 16×16 single-channel images): a generator of
// transposed convolutions and a discriminator of strided convolutions, both initialised with
// N(0, 0.02) weights through `apply`, binary cross entropy, and one Adam step for each.
import * as torch from "gradlens";
import { nn, optim } from "gradlens";

torch.manualSeed(0);
const nz = 8; // size of the latent vector
const ngf = 4; // generator feature maps
const ndf = 4; // discriminator feature maps

function weightsInit(m: nn.Module): void {
  const classname = m.constructor.name;
  if (classname.includes("Conv")) {
    nn.init.normal_((m as nn.Conv2d).weight, 0.0, 0.02);
  } else if (classname.includes("BatchNorm")) {
    nn.init.normal_((m as nn.BatchNorm2d).weight!, 1.0, 0.02);
    nn.init.constant_((m as nn.BatchNorm2d).bias!, 0);
  }
}

const netG = new nn.Sequential(
  new nn.ConvTranspose2d(nz, ngf * 2, 4, { stride: 1, padding: 0, bias: false }), // → 4×4
  new nn.BatchNorm2d(ngf * 2),
  new nn.ReLU(),
  new nn.ConvTranspose2d(ngf * 2, ngf, 4, { stride: 2, padding: 1, bias: false }), // → 8×8
  new nn.BatchNorm2d(ngf),
  new nn.ReLU(),
  new nn.ConvTranspose2d(ngf, 1, 4, { stride: 2, padding: 1, bias: false }), // → 16×16
  new nn.Tanh(),
).apply(weightsInit);
const netD = new nn.Sequential(
  new nn.Conv2d(1, ndf, 4, { stride: 2, padding: 1, bias: false }), // → 8×8
  new nn.LeakyReLU(0.2),
  new nn.Conv2d(ndf, ndf * 2, 4, { stride: 2, padding: 1, bias: false }), // → 4×4
  new nn.BatchNorm2d(ndf * 2),
  new nn.LeakyReLU(0.2),
  new nn.Conv2d(ndf * 2, 1, 4, { stride: 1, padding: 0, bias: false }), // → 1×1
  new nn.Sigmoid(),
).apply(weightsInit);

const criterion = new nn.BCELoss();
const optimizerD = new optim.Adam(netD.parameters(), { lr: 0.0002, betas: [0.5, 0.999] });
const optimizerG = new optim.Adam(netG.parameters(), { lr: 0.0002, betas: [0.5, 0.999] });
const real = torch.rand(4, 1, 16, 16).mul(2).sub(1); // a batch of "images" in [−1, 1]
const bSize = real.size(0);

// (1) update D: maximize log(D(x)) + log(1 − D(G(z)))
netD.zeroGrad();
const label = torch.full([bSize], 1.0);
let output = netD.forward(real).view(-1);
const errDReal = criterion.forward(output, label);
errDReal.backward();
const Dx = output.mean().item();
const noise = torch.randn(bSize, nz, 1, 1);
const fake = netG.forward(noise);
label.fill_(0.0);
output = netD.forward(fake.detach()).view(-1);
const errDFake = criterion.forward(output, label);
errDFake.backward();
const DGz1 = output.mean().item();
const errD = errDReal.add(errDFake);
optimizerD.step();

// (2) update G: maximize log(D(G(z)))
netG.zeroGrad();
label.fill_(1.0); // fake labels are real for the generator's cost
output = netD.forward(fake).view(-1);
export const errG = criterion.forward(output, label);
errG.backward();
const DGz2 = output.mean().item();
optimizerG.step();

console.log("errD", errD.item());
console.log("errG", errG.item());
console.log("D(x)", Dx);
console.log("D(G(z))", DGz1, DGz2);
