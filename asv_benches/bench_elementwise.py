"""Elementwise ops: binary and unary, in place and with a scalar operand."""
import ctorch

from .common import SIZES, ct_data


class BinaryOps:
    params = (["add", "mul", "div", "lt"], list(SIZES), ["float32", "float64"])
    param_names = ["op", "size", "dtype"]

    def setup(self, op, size, dtype):
        shape = SIZES[size]
        self.x = ct_data(shape, dtype, seed=1)
        self.y = ct_data(shape, dtype, seed=2, positive=True)
        self.f = getattr(ctorch, op)

    def time_op(self, op, size, dtype):
        self.f(self.x, self.y)


class AddInt64:
    params = list(SIZES)
    param_names = ["size"]

    def setup(self, size):
        self.x = ct_data(SIZES[size], ctorch.int64, seed=1)
        self.y = ct_data(SIZES[size], ctorch.int64, seed=2)

    def time_add(self, size):
        self.x + self.y


class Operators:
    """The Python operator path (`x + y`), which tiny tensors are dominated by."""
    params = list(SIZES)
    param_names = ["size"]

    def setup(self, size):
        self.x = ct_data(SIZES[size], ctorch.float32, seed=1)
        self.y = ct_data(SIZES[size], ctorch.float32, seed=2)

    def time_add_operator(self, size):
        self.x + self.y

    def time_add_scalar(self, size):
        self.x + 1.5

    def time_add_inplace(self, size):
        self.x.add_(self.y)

    def peakmem_add(self, size):
        self.x + self.y


class UnaryOps:
    params = (["exp", "sqrt", "sigmoid", "abs", "neg"], list(SIZES), ["float32", "float64"])
    param_names = ["op", "size", "dtype"]

    def setup(self, op, size, dtype):
        # positive inputs keep sqrt finite
        self.x = ct_data(SIZES[size], dtype, seed=3, positive=True)
        self.f = getattr(ctorch, op)

    def time_op(self, op, size, dtype):
        self.f(self.x)


class LargeResults:
    """Peak memory of new 1e7-element results (the allocator's block cache)."""

    def setup(self):
        self.x = ct_data(SIZES["large"], ctorch.float32, seed=1)
        self.y = ct_data(SIZES["large"], ctorch.float32, seed=2)

    def peakmem_add_twice(self):
        self.x + self.y
        self.x + self.y

    def peakmem_exp(self):
        ctorch.exp(self.x)
