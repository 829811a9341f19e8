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
