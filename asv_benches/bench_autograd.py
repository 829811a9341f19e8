"""Autograd engine cost: the tutorial's tiny graph and a long chain of small ops."""
import ctorch


class TutorialGraph:
    """x = ones(2, 2, requires_grad=True); y = x + 2; z = y * y * 3; out = z.mean(); out.backward()"""

    def time_forward_backward(self):
        x = ctorch.ones(2, 2, requires_grad=True)
        y = x + 2
        z = y * y * 3
        out = z.mean()
        out.backward()


class Chain:
    params = [100, 1000]
    param_names = ["length"]

    def setup(self, length):
        self.x = ctorch.ones(10, requires_grad=True)

    def time_forward_backward(self, length):
        y = self.x
        for _ in range(length):
            y = y * 1.0001
        y.sum().backward()

    def peakmem_forward_backward(self, length):
        self.time_forward_backward(length)


class BroadcastBackward:
    def setup(self):
        self.w = ctorch.randn(256, requires_grad=True)
        self.x = ctorch.randn(64, 256)

    def time_mul_sum_backward(self):
        (self.x * self.w).sum().backward()


class MLPStep:
    """One training step of a 784-256-10 MLP (relu, cross_entropy), batch 64."""

    def setup(self):
        import numpy as np
        F = ctorch.nn.functional
        g = np.random.default_rng(0)
        self.F = F
        self.x = ctorch.tensor(g.standard_normal((64, 784)).astype(np.float32))
        self.y = ctorch.tensor(g.integers(0, 10, 64))
        self.ps = [ctorch.tensor((g.standard_normal((256, 784)) * 0.03).astype(np.float32)),
                   ctorch.zeros(256),
                   ctorch.tensor((g.standard_normal((10, 256)) * 0.06).astype(np.float32)),
                   ctorch.zeros(10)]
        for p in self.ps:
            p.requires_grad_(True)

    def time_forward_backward(self):
        F = self.F
        w1, b1, w2, b2 = self.ps
        for p in self.ps:
            p.grad = None
        h = F.relu(F.linear(self.x, w1, b1))
        F.cross_entropy(F.linear(h, w2, b2), self.y).backward()
