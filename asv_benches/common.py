"""Seeded data shared by the benchmark suites and by compare.py.

Everything is built from numpy arrays drawn from one seeded generator so that
ctorch, numpy and PyTorch see the same values.
"""
import numpy as np

import ctorch

SIZES = {"tiny": (5, 3), "medium": (100_000,), "large": (10_000_000,)}
SEED = 12345


def np_data(shape, dtype, seed=SEED, positive=False):
    """A seeded numpy array of `shape` and numpy `dtype`."""
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind in "iu":
        return rng.integers(-1000, 1000, size=shape, dtype=dtype)
    a = rng.standard_normal(size=shape).astype(dtype)
    if positive:
        a = np.abs(a) + np.asarray(0.5, dtype=dtype)
    return a


def ct_data(shape, dtype, seed=SEED, positive=False):
    """The same data as np_data, as a ctorch tensor (a copy, not a view).
    dtype: a name ("float32") or a ctorch dtype."""
    name = dtype if isinstance(dtype, str) else str(dtype).rsplit(".", 1)[-1]
    return ctorch.from_numpy(np_data(shape, name, seed, positive)).clone()
