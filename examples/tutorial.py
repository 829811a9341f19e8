"""The PyTorch 60-minute blitz (tensors and autograd), run unchanged with ctorch.

    python examples/tutorial.py

Sections follow the tutorial: Tensors, Operations (and more operations), NumPy bridge, CUDA
tensors, Autograd. Only the import line differs from the PyTorch original.
"""
import numpy as np

import ctorch as torch

print("## Tensors")
# uninitialised memory: whatever the allocator hands out
x = torch.empty(5, 3)
print(x.shape)

x = torch.rand(5, 3)
print(x)

x = torch.zeros(5, 3, dtype=torch.long)
print(x)

x = torch.tensor([5.5, 3])
print(x)

x = x.new_ones(5, 3, dtype=torch.double)
print(x)
x = torch.randn_like(x, dtype=torch.float)
print(x)

print(x.size())

print("\n## Operations")
y = torch.rand(5, 3)
print(x + y)
print(torch.add(x, y))

result = torch.empty(5, 3)
torch.add(x, y, out=result)
print(result)

y.add_(x)
print(y)

print(x[:, 1])

x = torch.rand(4, 4)
y = x.view(16)
z = x.view(-1, 2)
print(x.size(), y.size(), z.size())
print(z)

x = torch.randn(1)
print(x)
print(x.item())

print("\n## More operations")
# a few of the 100+ operations the tutorial names
m = torch.arange(6.0).view(2, 3)
print(m.t())
print(torch.transpose(m, 0, 1))
print(torch.zeros(2, 1, 3).squeeze().size())
print(torch.max(m), torch.min(m))
print(torch.max(m, dim=1))
print(torch.isnan(torch.tensor([1.0, float("nan"), 3.0])))
print(torch.eye(3))
print(torch.diag(torch.tensor([1.0, 2.0, 3.0])))
print(torch.fft.fft(torch.tensor([1.0, 0.0, -1.0, 0.0])))
print(torch.histc(torch.tensor([1.0, 2.0, 1.0, 4.0]), bins=4, min=0, max=4))

print("\n## NumPy bridge")
a = torch.ones(5)
print(a)
b = a.numpy()
print(b)
a.add_(1)
print(a)
print(b)

a = np.ones(5)
b = torch.from_numpy(a)
np.add(a, 1, out=a)
print(a)
print(b)

print("\n## CUDA tensors")
if torch.cuda.is_available():
    device = torch.device("cuda")
    x = torch.randn(5, 3)
    x = x.to(device)
    y = torch.ones_like(x, device=device)
    z = x + y
    print(z)
    print(z.to("cpu", torch.double))
else:
    print("CUDA is not available here: skipping the CUDA tensors example.")

print("\n## Autograd")
x = torch.ones(2, 2, requires_grad=True)
print(x)

y = x + 2
print(y)
print(y.grad_fn)

z = y * y * 3
out = z.mean()
print(z)
print(out)

a = torch.randn(2, 2)
a = ((a * 3) / (a - 1))
print(a.requires_grad)
a.requires_grad_(True)
print(a.requires_grad)
b = (a * a).sum()
print(b.grad_fn)

out.backward()
print(x.grad)

x = torch.randn(3, requires_grad=True)
y = x * 2
while y.data.norm() < 1000:
    y = y * 2
print(y)

v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)
print(x.grad)

print(x.requires_grad)
print((x ** 2).requires_grad)
with torch.no_grad():
    print((x ** 2).requires_grad)
