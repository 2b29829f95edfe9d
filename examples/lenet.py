# LeNet-5 (as in d2l.ai), in PyTorch as the book writes it: two convolution + sigmoid +
# average-pooling stages, then three fully connected layers, on a batch of 28×28 images;
# one Adam step on cross entropy. The same model as lenet.ts.
import torch
from torch import nn

torch.manual_seed(0)

net = nn.Sequential(
    nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2),
    nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2),
    nn.Flatten(),
    nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
    nn.Linear(120, 84), nn.Sigmoid(),
    nn.Linear(84, 10))
print(net)

images = torch.randn(4, 1, 28, 28)
labels = torch.tensor([3, 1, 4, 1])
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(net.parameters(), lr=0.01)

first = criterion(net(images), labels)
first.backward()
optimizer.step()
optimizer.zero_grad()

loss = criterion(net(images), labels)
print(f"loss {first.item():.4f} → {loss.item():.4f}")
