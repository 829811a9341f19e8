"""Random sampling and histograms: bernoulli_, dropout, multinomial, histc,
bincount."""
import numpy as np

import ctorch

from .common import ct_data


class Sampling:
    def setup(self):
        self.x = ct_data((10_000_000,), ctorch.float32, seed=40)
        self.w = ctorch.from_numpy(np.random.default_rng(41).random(1000))

    def time_bernoulli_(self):
        self.x.bernoulli_(0.5)

    def time_dropout(self):
        ctorch.dropout(self.x, 0.5, True)

    def time_multinomial_replacement_1e6(self):
        ctorch.multinomial(self.w, 1_000_000, True)


class Histograms:
    def setup(self):
        self.x = ct_data((1_000_000,), ctorch.float32, seed=42)
        self.i = ctorch.from_numpy(np.random.default_rng(43).integers(0, 1000, 1_000_000))

    def time_histc(self):
        ctorch.histc(self.x, bins=100, min=-3, max=3)

    def time_histogram(self):
        ctorch.histogram(self.x, 100)

    def time_bincount(self):
        ctorch.bincount(self.i)
