"""Copies, creation, views and the numpy bridge."""
import numpy as np

import ctorch

from .common import ct_data, np_data

# params are strings: asv reads a list of tuples as several parameter axes
SHAPES = {"5x3": (5, 3), "1000x1000": (1000, 1000)}


class StridedCopy:
    def setup(self):
        self.sq = ct_data((4096, 4096), ctorch.float32, seed=4)
        self.v = ct_data((1_000_000,), ctorch.float32, seed=5)

    def time_transpose_contiguous(self):
        self.sq.t().contiguous()

    def time_slice_step_contiguous(self):
        self.v[::3].contiguous()

    def time_column_slice_clone(self):
        self.sq[:, ::2].clone()

    def peakmem_transpose_contiguous(self):
        self.sq.t().contiguous()


class Creation:
    params = (["zeros", "ones", "rand", "randn"], list(SHAPES))
    param_names = ["fn", "shape"]

    def setup(self, fn, shape):
        self.f = getattr(ctorch, fn)
        self.shape = SHAPES[shape]

    def time_create(self, fn, shape):
        self.f(*self.shape)


class Arange:
    params = [15, 1_000_000]
    param_names = ["n"]

    def time_arange(self, n):
        ctorch.arange(n)


class Views:
    def setup(self):
        self.x = ct_data((5, 3), ctorch.float32, seed=6)

    def time_select_column(self):
        self.x[:, 1]

    def time_view_flat(self):
        self.x.view(15)

    def time_t(self):
        self.x.t()


class NumpyBridge:
    params = list(SHAPES)
    param_names = ["shape"]

    def setup(self, shape):
        self.t = ct_data(SHAPES[shape], ctorch.float32, seed=7)
        self.a = np_data(SHAPES[shape], np.float32, seed=8)

    def time_numpy(self, shape):
        self.t.numpy()

    def time_from_numpy(self, shape):
        ctorch.from_numpy(self.a)

    def peakmem_from_numpy(self, shape):
        ctorch.from_numpy(self.a)
