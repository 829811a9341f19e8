"""The table of histogram ops that tests/test_hist.py is driven by.

Each entry: how to call the op in ctorch (`fn(torch, x, *extra, **kw)`),
the numpy reference on the same inputs (`ref(x, *extra, **kw)`, returning
the expected array or tuple of arrays, dtype included), the dtypes it is
checked on, sample inputs (a function of (rng, dtype) giving a list of
(x, extra, kwargs); x is the data input that the driver also feeds
transposed and sliced with a step; extra arrays are passed as tensors as
they are), dtypes PyTorch refuses, and error cases (a call, exception type
and message fragment). Dtypes are strings so that this module needs no
ctorch.
"""
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

ALL = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64",
       "complex64", "complex128")
INTS = ("uint8", "int8", "int16", "int32", "int64")


@dataclass
class HistOp:
    name: str
    fn: Callable
    ref: Callable
    samples: Callable
    dtypes: tuple
    refused: dict = field(default_factory=dict)    # dtype -> (exception, message fragment)
    errors: list = field(default_factory=list)


def _data(rng, shape, dt):
    if dt in INTS:
        return rng.integers(0, 20, size=shape).astype(dt)
    return (rng.standard_normal(shape) * 3).astype(dt)


def _np_histc(x, bins=100, min=0, max=0):
    x = x.reshape(-1)
    lo, hi = float(min), float(max)
    if lo == hi and x.size:
        lo, hi = float(x.min()), float(x.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    h, _ = np.histogram(x.astype(np.float64), bins=bins, range=(lo, hi))
    return h.astype(x.dtype)


def _np_histogram(x, bins=100, range=None, weight=None, density=False):
    x = x.reshape(-1)
    w = None if weight is None else weight.reshape(-1)
    if isinstance(bins, np.ndarray):
        h, e = np.histogram(x, bins=bins, weights=w, density=density)
        return h.astype(x.dtype), bins
    if range is None and x.size == 0:
        range = (0.0, 1.0)
    h, e = np.histogram(x, bins=bins, range=range, weights=w, density=density)
    return h.astype(x.dtype), e.astype(x.dtype)


def _np_bincount(x, weights=None, minlength=0):
    r = np.bincount(x.astype(np.int64), weights=None if weights is None else weights.astype(np.float64),
                    minlength=minlength)
    if weights is None:
        return r.astype(np.int64)
    return r.astype(np.float32 if weights.dtype == np.float32 else np.float64)


def _hist_samples(rng, dt):
    x = _data(rng, (40, 25), dt)
    edge = np.array([0.0, 1.0, 2.0, 3.0, 4.0], dtype=dt)        # values on the bin edges
    return [(x, [], {}), (x, [], {"bins": 7}), (x, [], {"bins": 10, "min": -2, "max": 3}),
            (edge, [], {"bins": 4}), (edge, [], {"bins": 4, "min": 1, "max": 3}),
            (np.full((3, 2), 2.5, dtype=dt), [], {"bins": 4}),   # one value: [v - 1, v + 1]
            (np.zeros((0,), dtype=dt), [], {"bins": 3}), (np.array(2.0, dtype=dt), [], {"bins": 5})]


def _histogram_samples(rng, dt):
    x = _data(rng, (30, 20), dt)
    edges = np.array([-4.0, -1.0, 0.0, 0.5, 2.0, 5.0], dtype=dt)
    w = rng.random((30, 20)).astype(dt)
    on_edges = np.array([0.0, 1.0, 2.0, 3.0, 4.0], dtype=dt)
    return [(x, [], {"bins": 6}), (x, [], {"bins": 8, "range": (-2.0, 2.0)}),
            (x, [], {"bins": edges}), (x, [], {"bins": edges, "weight": w}),
            (x, [], {"bins": 5, "weight": w, "density": True}), (x, [], {"bins": edges, "density": True}),
            (on_edges, [], {"bins": 4}), (on_edges, [], {"bins": np.array([0.0, 1.0, 3.0, 4.0], dtype=dt)}),
            (np.full((4,), 3.0, dtype=dt), [], {"bins": 4}), (np.zeros((0,), dtype=dt), [], {"bins": 4})]


def _bincount_samples(rng, dt):
    x = rng.integers(0, 30, size=(500,)).astype(dt)
    return [(x, [], {}), (x, [], {"minlength": 50}), (x, [], {"minlength": 3}),
            (x, [], {"weights": rng.standard_normal(500).astype(np.float32)}),
            (x, [], {"weights": rng.standard_normal(500)}),
            (x, [], {"weights": rng.integers(0, 5, size=500).astype(np.int32)}),
            (np.zeros((0,), dtype=dt), [], {"minlength": 4}), (np.array([0, 0, 7], dtype=dt), [], {})]


HIST_OPS = [
    HistOp("histc", lambda t, x, **kw: t.histc(x, **kw), _np_histc, _hist_samples,
           dtypes=("float32", "float64", "float16"),
           refused={"int64": (NotImplementedError, "\"histogram_cpu\" not implemented for 'Long'"),
                    "uint8": (NotImplementedError, "\"histogram_cpu\" not implemented for 'Byte'"),
                    "bool": (NotImplementedError, "not implemented for 'Bool'"),
                    "complex64": (NotImplementedError, "not implemented for 'ComplexFloat'")},
           errors=[(lambda t: t.histc(t.ones(3), bins=0), RuntimeError,
                    "torch.histogram(): bins must be > 0, but got 0 for dimension 0"),
                   (lambda t: t.histc(t.ones(3), bins=-2), RuntimeError, "bins must be > 0, but got -2"),
                   (lambda t: t.histc(t.ones(3), bins=4, min=3, max=1), RuntimeError,
                    "torch.histc: max must be larger than min"),
                   (lambda t: t.histc(t.tensor([1.0, float("inf")]), bins=4), RuntimeError,
                    "torch.histc: range of [1, inf] is not finite"),
                   (lambda t: t.histc(t.ones(3), bins=4, min=0, max=float("inf")), RuntimeError,
                    "is not finite"),
                   (lambda t: t.histc(t.ones(3), 4.0), TypeError, "argument 'bins' (position 2) must be int"),
                   (lambda t: t.histc(t.ones(3), 4, 0, 2, out=t.zeros(4, dtype=t.float64)), RuntimeError,
                    "input tensor and hist tensor should have the same dtype, but got input float and hist double")]),
    HistOp("histogram", lambda t, x, **kw: tuple(t.histogram(x, **kw)), _np_histogram, _histogram_samples,
           dtypes=("float32", "float64"),
           refused={"float16": (NotImplementedError, "\"histogramdd\" not implemented for 'Half'"),
                    "int64": (NotImplementedError, "\"histogramdd\" not implemented for 'Long'")},
           errors=[(lambda t: t.histogram(t.ones(3), 0), RuntimeError,
                    "torch.histogram(): bins must be > 0, but got 0 for dimension 0"),
                   (lambda t: t.histogram(t.ones(3), 4, range=(5.0, 0.0)), RuntimeError,
                    "torch.histogramdd: min should not exceed max, but got min 5 max 0 for dimension 0"),
                   (lambda t: t.histogram(t.tensor([1.0, float("nan")]), 4), RuntimeError, "is not finite"),
                   (lambda t: t.histogram(t.ones(3), 4, range=(0.0, float("inf"))), RuntimeError,
                    "torch.histogramdd: dimension 0's range [0, inf] is not finite"),
                   (lambda t: t.histogram(t.ones(3), t.tensor([[0.0, 1.0]])), RuntimeError,
                    "bins tensor should have one dimension, but got 2 dimensions"),
                   (lambda t: t.histogram(t.ones(3), t.tensor([0.0, 1.0], dtype=t.float64)), RuntimeError,
                    "input tensor and bins tensors should have the same dtype, but got input with dtype float "
                    "and bins for dimension 0 with dtype double"),
                   (lambda t: t.histogram(t.ones(3), t.tensor([0.0])), RuntimeError, "bins must be > 0, but got 0"),
                   (lambda t: t.histogram(t.ones(5), 4, weight=t.ones(4)), RuntimeError,
                    "but got input with shape [5, 1] and weight with shape [4]"),
                   (lambda t: t.histogram(t.ones(5), 4, weight=t.ones(5, dtype=t.float64)), RuntimeError,
                    "input tensor and weight tensor should have the same dtype"),
                   (lambda t: t.histogram(t.ones(5), 4.0), TypeError, "invalid combination of arguments"),
                   (lambda t: t.histogram(t.ones(5), t.tensor([0.0, 1.0]), range=(0.0, 1.0)), TypeError,
                    "invalid combination of arguments")]),
    HistOp("bincount", lambda t, x, **kw: t.bincount(x, **{k: (t.tensor(v) if isinstance(v, np.ndarray) else v)
                                                            for k, v in kw.items()}),
           _np_bincount, _bincount_samples, dtypes=INTS,
           refused={"bool": (NotImplementedError, "\"bincount_cpu\" not implemented for 'Bool'"),
                    "float32": (NotImplementedError, "\"bincount_cpu\" not implemented for 'Float'")},
           errors=[(lambda t: t.bincount(t.tensor([1, -2, 1])), RuntimeError,
                    "bincount only supports 1-d non-negative integral inputs."),
                   (lambda t: t.bincount(t.tensor([[1, 2]])), RuntimeError, "1-d non-negative integral inputs"),
                   (lambda t: t.bincount(t.tensor(1)), RuntimeError, "1-d non-negative integral inputs"),
                   (lambda t: t.bincount(t.tensor([1, 2]), minlength=-1), RuntimeError, "minlength should be >= 0"),
                   (lambda t: t.bincount(t.tensor([1, 2]), t.tensor([1.0, 2, 3])), RuntimeError,
                    "weights should be 1-d and have the same length as input"),
                   (lambda t: t.bincount(t.tensor([1, 2]), t.tensor([[1.0, 2]])), RuntimeError,
                    "weights should be 1-d and have the same length as input"),
                   (lambda t: t.bincount(t.tensor([1, 2]), minlength=2.0), TypeError,
                    "argument 'minlength' must be int"),
                   (lambda t: t.bincount(t.tensor([2 ** 62])), RuntimeError, "overflow")]),
]
