"""Reductions: whole-tensor, along rows and along columns, and the scans
(softmax, cumsum) along the last dim."""
import ctorch

from .common import ct_data

SHAPES = {"vec1e7": (10_000_000,), "sq4096": (4096, 4096), "small": (64, 33)}


class WholeTensor:
    params = (["sum", "max", "argmax", "prod", "std", "any"], list(SHAPES))
    param_names = ["op", "shape"]

    def setup(self, op, shape):
        self.x = ct_data(SHAPES[shape], "float32", seed=1)
        self.f = getattr(self.x, op)

    def time_op(self, op, shape):
        self.f()


class AlongDim:
    params = (["sum", "amax", "mean", "var", "logsumexp"], [0, 1])
    param_names = ["op", "dim"]

    def setup(self, op, dim):
        self.x = ct_data((4096, 4096), "float32", seed=2)
        self.f = getattr(self.x, op)

    def time_op(self, op, dim):
        self.f(dim)


class MaxDim:
    params = [0, 1]
    param_names = ["dim"]

    def setup(self, dim):
        self.x = ct_data((4096, 4096), "float32", seed=3)

    def time_max_dim(self, dim):
        self.x.max(dim)


class Scans:
    params = (["softmax", "log_softmax", "cumsum"], [-1, 0])
    param_names = ["op", "dim"]

    def setup(self, op, dim):
        self.x = ct_data((4096, 4096), "float32", seed=4)
        self.f = getattr(ctorch, op)

    def time_op(self, op, dim):
        self.f(self.x, dim)
