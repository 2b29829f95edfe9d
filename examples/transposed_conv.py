# d2l.ai "Transposed Convolution" in PyTorch, as the book writes it: the hand-written
# trans_conv (Y[i: i + h, j: j + w] += X[i, j] * K writes through a view of Y), the
# nn.ConvTranspose2d layer that computes the same, and a gradient through both.
import torch
from torch import nn


def trans_conv(X, K):
    h, w = K.shape
    Y = torch.zeros((X.shape[0] + h - 1, X.shape[1] + w - 1))
    for i in range(X.shape[0]):
        for j in range(X.shape[1]):
            Y[i: i + h, j: j + w] += X[i, j] * K
    return Y


X = torch.tensor([[0.0, 1.0], [2.0, 3.0]], requires_grad=True)
K = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
Y = trans_conv(X, K)
print(Y)

tconv = nn.ConvTranspose2d(1, 1, kernel_size=2, bias=False)
tconv.weight.data = K.reshape(1, 1, 2, 2)
Z = tconv(X.reshape(1, 1, 2, 2))
print(Z)

loss = (Y ** 2).sum() + (Z ** 2).sum()
loss.backward()
print(X.grad)
