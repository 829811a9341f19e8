"""Joining and gather ops: cat, stack, index_select, gather, flip."""
import numpy as np

import ctorch

from .common import ct_data


class Cat:
    params = (["8x1e6", "1000x(10,100)"], ["0", "1"])
    param_names = ["parts", "dim"]

    def setup(self, parts, dim):
        if parts == "8x1e6":
            self.xs = [ct_data((1000, 1000), ctorch.float32, seed=k) for k in range(8)]
        else:
            self.xs = [ct_data((10, 100), ctorch.float32, seed=k) for k in range(1000)]
        self.dim = int(dim)

    def time_cat(self, parts, dim):
        ctorch.cat(self.xs, self.dim)

    def time_stack(self, parts, dim):
        ctorch.stack(self.xs, self.dim)


class IndexSelect:
    params = (["1", "8", "64"],)
    param_names = ["row"]

    def setup(self, row):
        n = 1_000_000 // int(row) if row == "64" else 1_000_000
        self.x = ct_data((n, int(row)), ctorch.float32, seed=1)
        self.i = ctorch.from_numpy(np.random.default_rng(2).integers(0, n, 1_000_000))

    def time_index_select(self, row):
        self.x.index_select(0, self.i)

    def time_gather_rows(self, row):
        ctorch.take(self.x, self.i)


class Rearrange:
    def setup(self):
        self.x = ct_data((1000, 1000), ctorch.float32, seed=3)

    def time_flip(self):
        ctorch.flip(self.x, [0, 1])

    def time_roll(self):
        ctorch.roll(self.x, 7, 1)

    def time_repeat(self):
        self.x.repeat(2, 2)
