"""The registry of sorting and searching ops that tests/test_sort.py is driven by.

Each SortInfo says how to call the op in ctorch (`op(x, **kw)`), how numpy
computes the same thing on the same data (`ref(a, **kw)`: a (values, indices)
pair for the ops that return one, else one array), which dtypes PyTorch
accepts and how it refuses the others, the sample calls (shape + keyword
arguments), whether PyTorch differentiates it, and the error cases (call,
exception type, message fragment).

Every order in ctorch is total and stable (ties keep input order, NaN after
+inf, -0.0 equal to 0.0), so the references are numpy's stable sorts and the
indices must match exactly, ties included.
"""
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from op_db_reductions import FLOATS, INTS, REAL


@dataclass
class SortInfo:
    name: str
    op: Callable                        # op(ctorch_tensor, **kw)
    ref: Callable                       # ref(numpy_array, **kw)
    dtypes: tuple
    samples: list                       # [(shape, kw)]
    pair: bool = False                  # result is (values, indices)
    refused: dict = field(default_factory=dict)   # dtype -> (exception, fragment)
    differentiable: bool = False
    grad_samples: Optional[list] = None
    errors: list = field(default_factory=list)    # [(call(mod), exc, fragment)]


# ----------------------------------------------------------------- references

def _rows(a, dim):
    """a with dim moved last, as 2-D rows, and a function putting rows back."""
    m = np.moveaxis(a, dim, -1)
    shape = m.shape

    def back(r):
        return np.moveaxis(r.reshape(shape[:-1] + (r.shape[-1],)), -1, dim)
    return m.reshape(-1, shape[-1]) if m.size or shape[-1] else m.reshape(0, shape[-1]), back


def stable_order(row, descending):
    """Stable (descending) order of a 1-D row, NaN largest, -0.0 == 0.0."""
    if not descending:
        return np.argsort(row, kind="stable")
    # equal values (NaNs included) share a rank; sorting the negated ranks
    # stably keeps equal values in input order
    _, rank = np.unique(row, return_inverse=True)
    return np.argsort(-rank.reshape(-1), kind="stable")


def sort_ref(a, dim=-1, descending=False, stable=False):
    if a.ndim == 0:
        return a.copy(), np.array(0)
    rows, back = _rows(a, dim)
    idx = np.array([stable_order(r, descending) for r in rows], dtype=np.int64).reshape(rows.shape)
    vals = np.take_along_axis(rows, idx, axis=1)
    return back(vals), back(idx)


def topk_ref(a, k, dim=-1, largest=True, sorted=True):
    if a.ndim == 0:
        return a.copy(), np.array(0)
    rows, back = _rows(a, dim)
    idx = np.array([stable_order(r, largest)[:k] for r in rows], dtype=np.int64).reshape(rows.shape[0], k)
    return back(np.take_along_axis(rows, idx, axis=1)), back(idx)


def kthvalue_ref(a, k, dim=-1, keepdim=False):
    if a.ndim == 0:
        return a.copy(), np.array(0)
    v, i = sort_ref(a, dim)
    v = np.take(v, [k - 1], axis=dim)
    i = np.take(i, [k - 1], axis=dim)
    if not keepdim:
        v, i = np.squeeze(v, axis=dim), np.squeeze(i, axis=dim)
    return v, i


# ----------------------------------------------------------------- the table

_DIM_ERR = "Dimension out of range (expected to be in range of [-2, 1], but got 5)"


def _x(mod, *shape):
    return mod.arange(float(np.prod(shape) if shape else 1)).reshape(shape)


OPS = [
    SortInfo(
        "sort", lambda t, **kw: t.sort(**kw), sort_ref, REAL,
        [((9,), {}), ((9,), {"descending": True}), ((4, 7), {"dim": 0}),
         ((4, 7), {"dim": -1, "descending": True, "stable": True}), ((3, 4, 5), {"dim": 1}),
         ((3, 4, 30), {"dim": 2, "descending": True}), ((70000,), {}), ((70000,), {"descending": True}),
         ((120000,), {"stable": True}), ((0,), {}), ((3, 0), {"dim": 1}), ((0, 3), {"dim": 1}),
         ((), {}), ((), {"dim": 0})],
        pair=True, refused={"complex64": (RuntimeError, "Sort does not support complex dtypes on CPU")},
        differentiable=True,
        grad_samples=[((3, 4), {"dim": 1}), ((3, 4), {"dim": 0, "descending": True}), ((), {})],
        errors=[
            (lambda m: m.sort(_x(m, 3, 4), 5), IndexError, _DIM_ERR),
            (lambda m: m.sort(_x(m, 3, 4), -3), IndexError, "but got -3"),
            (lambda m: m.sort(_x(m), 1), IndexError, "expected to be in range of [-1, 0], but got 1"),
            (lambda m: m.sort(_x(m, 3), (0,)), TypeError, "dim"),
            (lambda m: m.sort([3.0, 1.0]), TypeError, "must be Tensor"),
            (lambda m: m.sort(_x(m, 3), out=(m.empty(0, dtype=m.float64), m.empty(0, dtype=m.int64))),
             RuntimeError, "Expected out tensor to have dtype float, but got double instead"),
            (lambda m: m.sort(_x(m, 3), out=(m.empty(0), m.empty(0, dtype=m.int32))),
             RuntimeError, "Expected out tensor to have dtype long int, but got int instead"),
            (lambda m: m.sort(_x(m, 3).requires_grad_(), out=(m.empty(0), m.empty(0, dtype=m.int64))),
             RuntimeError, "don't support automatic differentiation"),
        ]),
    SortInfo(
        "argsort", lambda t, **kw: t.argsort(**kw), lambda a, **kw: sort_ref(a, **kw)[1], REAL,
        [((9,), {}), ((4, 7), {"dim": 0, "descending": True}), ((3, 4, 30), {"dim": 1, "stable": True}),
         ((70000,), {}), ((0,), {}), ((), {})],
        refused={"complex128": (RuntimeError, "Sort does not support complex dtypes on CPU")},
        errors=[(lambda m: m.argsort(_x(m, 3, 4), 5), IndexError, _DIM_ERR)]),
    SortInfo(
        "msort", lambda t: t.msort(), lambda a: np.sort(a, axis=0, kind="stable") if a.ndim else a.copy(),
        REAL, [((9,), {}), ((6, 5), {}), ((0, 3), {}), ((), {})],
        refused={"complex64": (RuntimeError, "Sort does not support complex dtypes on CPU")},
        differentiable=True, grad_samples=[((4, 3), {})]),
    SortInfo(
        "topk", lambda t, **kw: t.topk(**kw), topk_ref, INTS + FLOATS,
        [((9,), {"k": 3}), ((9,), {"k": 4, "largest": False}), ((100, 6), {"k": 2, "dim": 0}),
         ((5, 40), {"k": 20, "largest": False}), ((3, 4, 30), {"k": 30, "dim": 2}),
         ((200000,), {"k": 10}), ((200000,), {"k": 7, "largest": False}), ((5000,), {"k": 1000}),
         ((9,), {"k": 0}), ((0, 4), {"k": 2}), ((3, 0), {"k": 0}), ((), {"k": 1}),
         ((6, 5), {"k": 2, "sorted": False}), ((4, 3001), {"k": 5}),
         ((4, 3001), {"k": 3, "dim": 1, "largest": False})],
        pair=True,
        refused={"bool": (RuntimeError, "topk does not support bool dtypes on CPU"),
                 "complex64": (RuntimeError, "topk does not support complex dtypes on CPU")},
        differentiable=True,
        grad_samples=[((3, 5), {"k": 2}), ((4, 3), {"k": 2, "dim": 0, "largest": False})],
        errors=[
            (lambda m: m.topk(_x(m, 3, 4), 5), RuntimeError, "selected index k out of range"),
            (lambda m: m.topk(_x(m, 3, 4), -1), RuntimeError, "selected index k out of range"),
            (lambda m: m.topk(_x(m), 2), RuntimeError, "selected index k out of range"),
            (lambda m: m.topk(_x(m, 3, 4), 2, 5), IndexError, _DIM_ERR),
            (lambda m: m.topk(_x(m, 3), 1.5), TypeError, "argument 'k' (position 2) must be int, not float"),
            (lambda m: m.topk(_x(m, 3), 1, out=(m.empty(0), m.empty(0))),
             RuntimeError, "Expected out tensor to have dtype long int, but got float instead"),
        ]),
    SortInfo(
        "kthvalue", lambda t, **kw: t.kthvalue(**kw), kthvalue_ref, INTS + FLOATS,
        [((9,), {"k": 1}), ((9,), {"k": 9}), ((9,), {"k": 5}), ((5, 40), {"k": 20, "dim": 1, "keepdim": True}),
         ((300, 3), {"k": 150, "dim": 0}), ((3, 4, 5), {"k": 2, "dim": 1}), ((0, 3), {"k": 2}),
         ((), {"k": 1}), ((), {"k": 1, "keepdim": True})],
        pair=True,
        refused={"bool": (NotImplementedError, "\"kthvalue_cpu\" not implemented for 'Bool'"),
                 "complex64": (NotImplementedError, "\"kthvalue_cpu\" not implemented for 'ComplexFloat'")},
        differentiable=True,
        grad_samples=[((3, 5), {"k": 3}), ((4, 3), {"k": 2, "dim": 0, "keepdim": True}), ((), {"k": 1})],
        errors=[
            (lambda m: m.kthvalue(_x(m, 3, 4), 5), RuntimeError,
             "kthvalue(): selected number k out of range for dimension 1"),
            (lambda m: m.kthvalue(_x(m, 3, 4), 0), RuntimeError, "selected number k out of range"),
            (lambda m: m.kthvalue(_x(m), 2), RuntimeError, "selected number k out of range for dimension 0"),
            (lambda m: m.kthvalue(m.empty(3, 0), 1), IndexError,
             "kthvalue(): Expected reduction dim 1 to have non-zero size."),
            (lambda m: m.kthvalue(_x(m, 3, 4), 1, 5), IndexError, _DIM_ERR),
            (lambda m: m.kthvalue(_x(m, 3), 1.0), TypeError, "argument 'k' (position 2) must be int"),
        ]),
]


# ----------------------------------------------------------------- searching

def searchsorted_ref(b, v, right=False, sorter=None):
    side = "right" if right else "left"
    if b.ndim == 1:
        return np.searchsorted(b, v, side=side, sorter=sorter).astype(np.int64)
    out = np.empty(v.shape, dtype=np.int64)
    rows = int(np.prod(b.shape[:-1]))
    bf, vf, of = b.reshape(rows, b.shape[-1]), v.reshape(rows, v.shape[-1]), out.reshape(rows, v.shape[-1])
    sf = None if sorter is None else sorter.reshape(rows, b.shape[-1])
    for r in range(bf.shape[0]):
        of[r] = np.searchsorted(bf[r], vf[r], side=side, sorter=None if sf is None else sf[r])
    return out


def bucketize_ref(x, boundaries, right=False):
    # torch's right=False is boundaries[i-1] < x <= boundaries[i]: numpy's digitize(right=True)
    return np.digitize(x, boundaries, right=not right).astype(np.int64)


# (boundaries shape, values shape, keyword arguments)
SEARCH_SAMPLES = [
    ((10,), (7,), {}), ((10,), (3, 4), {"right": True}), ((10,), (), {}), ((10,), (5,), {"side": "right"}),
    ((10,), (5,), {"side": "left", "right": False}), ((3, 8), (3, 5), {}), ((2, 3, 8), (2, 3, 4), {"right": True}),
    ((0,), (4,), {}), ((10,), (0,), {}), ((2, 0), (2, 3), {}), ((10,), (6,), {"out_int32": True}),
    ((5000,), (20000,), {}),
    # boundary rows of every length about a power of two (the searches'
    # step counts), values in blocks and a partial last one
    ((1,), (9,), {}), ((2,), (9,), {"right": True}), ((7,), (17,), {}), ((8,), (33,), {"right": True}),
    ((9,), (15,), {}), ((100,), (1001,), {}), ((4, 17), (4, 13), {"right": True}),
]

SEARCH_ERRORS = [
    (lambda m: m.searchsorted(m.tensor([1, 2, 3]), m.tensor([2]), side="foo"), RuntimeError,
     "torch.searchsorted(): side can only be 'left' or 'right' but got foo"),
    (lambda m: m.searchsorted(m.tensor([1, 2, 3]), m.tensor([2]), side="left", right=True), RuntimeError,
     "side and right can't be set to opposites, got side of left while right was True"),
    (lambda m: m.searchsorted(m.tensor(3), m.tensor([2])), RuntimeError,
     "boundaries tensor should have positive dimension, but got 0 dimension"),
    (lambda m: m.searchsorted(m.tensor([[1, 2, 3], [4, 5, 6]]), m.tensor([[2, 3], [1, 0], [1, 1]])), RuntimeError,
     "but we got boundaries tensor [2, 3] and input value tensor [3, 2]"),
    (lambda m: m.searchsorted(m.tensor([[1, 2, 3], [4, 5, 6]]), m.tensor([2, 3])), RuntimeError,
     "first N-1 dimensions of boundaries tensor and input value tensor must match"),
    (lambda m: m.searchsorted(m.tensor([[1, 2, 3], [4, 5, 6]]), 3), RuntimeError,
     "input value can be a scalar only when boundaries tensor dimension is 1, but we got boundaries tensor dim(2)"),
    (lambda m: m.searchsorted(m.tensor([3, 1, 2]), m.tensor([2]), sorter=m.tensor([1, 2, 0], dtype=m.int32)),
     RuntimeError, "sorter must be a tensor of long dtype but got dtype Int"),
    (lambda m: m.searchsorted(m.tensor([3, 1, 2]), m.tensor([2]), sorter=m.tensor([1, 2])), RuntimeError,
     "boundary and sorter must have the same size, but got boundary tensor [3]and got sorter tensor [2]"),
    (lambda m: m.searchsorted(m.tensor([3, 1, 2]), m.tensor([2]), sorter=m.tensor([1, 2, 5])), RuntimeError,
     "torch.searchsorted(): sorter index out of range"),
    (lambda m: m.searchsorted(m.tensor([3, 1, 2]), m.tensor([2]), sorter=m.tensor([1, -1, 0])), RuntimeError,
     "torch.searchsorted(): sorter index out of range"),
    (lambda m: m.searchsorted(m.tensor([1, 2]), m.tensor([1]), out=m.empty(0, dtype=m.int32)), RuntimeError,
     "output tensor's dtype is wrong, it can only be Int(int32) or Long(int64) depending on whether out_int32 "
     "flag is True, but we got output tensor's dtype Int and out_int32 flag is False"),
    (lambda m: m.searchsorted(m.tensor([1, 2]), m.tensor([1]), out_int32=True, out=m.empty(0, dtype=m.int64)),
     RuntimeError, "we got output tensor's dtype Long and out_int32 flag is True"),
    (lambda m: m.searchsorted(m.tensor([1, 2], dtype=m.complex64), m.tensor([1.0])), NotImplementedError,
     "\"searchsorted_out_cpu\" not implemented for 'ComplexFloat'"),
    (lambda m: m.searchsorted(m.tensor([True, False]), m.tensor([True])), NotImplementedError,
     "\"searchsorted_out_cpu\" not implemented for 'Bool'"),
    (lambda m: m.searchsorted([1, 2], m.tensor([1])), TypeError, "searchsorted() received an invalid combination"),
    (lambda m: m.bucketize(m.tensor([2, 3]), m.tensor([[1, 2, 3]])), RuntimeError,
     "boundaries tensor must be 1 dimension, but got dim(2)"),
    (lambda m: m.bucketize(m.tensor([2, 3]), m.tensor(1)), RuntimeError,
     "boundaries tensor must be 1 dimension, but got dim(0)"),
]
