"""The table of shape, joining and gather/scatter ops that tests/test_shape.py
is driven by.

Each entry: how to call the op in ctorch (`fn(torch, *args, **kw)`), the
numpy reference on the same inputs (`ref(*arrays, **kw)`), the dtypes it is
checked on, sample inputs (a function of (rng, dtype) giving a list of
(args, kwargs); numpy arrays wrapped in D(...) are data inputs, which the
driver also feeds transposed and sliced with a step, and which gradcheck
differentiates; I(...) marks index/mask arrays that stay as they are), the
grad_fn name PyTorch records, and error cases (a call, exception type and
message fragment). Dtypes are strings so that this module needs no ctorch.
"""
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

ALL = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64",
       "complex64", "complex128")
REAL = ALL[:9]
FLOATS = ("float32", "float64")


class D:
    """A data input (differentiable, layouts varied)."""
    def __init__(self, a):
        self.a = a


class I:
    """An index or mask input, passed as is."""
    def __init__(self, a):
        self.a = a


@dataclass
class ShapeOp:
    name: str
    fn: Callable
    ref: Callable
    samples: Callable
    dtypes: tuple = ALL
    grad_fn: Optional[str] = None       # None: not differentiable
    errors: list = field(default_factory=list)
    view: bool = False                  # outputs share memory with the input


def arr(rng, shape, dtype):
    if dtype == "bool":
        return rng.random(shape) > 0.5
    if dtype.startswith("complex"):
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)
    if dtype.startswith("float"):
        return rng.standard_normal(shape).astype(dtype)
    return rng.integers(0, 100, size=shape).astype(dtype)


def _s(*cases):
    """samples from (shapes-of-data, extra args builder, kwargs)"""
    def make(rng, dt):
        out = []
        for shapes, extra, kw in cases:
            args = [D(arr(rng, s, dt)) for s in shapes]
            out.append((args + list(extra(rng) if extra else []), kw))
        return out
    return make


def _np_cat(*xs, dim=0):
    xs = [x for x in xs if not (x.ndim == 1 and x.shape[0] == 0)]
    return np.concatenate(xs, axis=dim)


def _np_split(x, s, dim=0):
    n = x.shape[dim]
    if isinstance(s, int):
        cuts = list(range(s, n, s))
    else:
        cuts = list(np.cumsum(s)[:-1])
    return tuple(np.split(x, cuts, axis=dim))


def _np_chunk(x, c, dim=0):
    n = x.shape[dim]
    s = -(-n // c)
    return _np_split(x, s, dim)


def _np_gather(x, dim, idx):
    dim = dim % x.ndim
    return np.take_along_axis(x[tuple(slice(0, s) if d != dim else slice(None)
                                      for d, s in enumerate(idx.shape))], idx, axis=dim)


def _np_scatter(x, dim, idx, src, add=False):
    out = x.copy()
    src = np.broadcast_to(src, idx.shape) if np.ndim(src) == 0 else src
    for pos in np.ndindex(*idx.shape):
        tgt = list(pos)
        tgt[dim] = idx[pos]
        if add:
            with np.errstate(over="ignore"):
                out[tuple(tgt)] += src[pos]
        else:
            out[tuple(tgt)] = src[pos]
    return out


def _np_index_add(x, dim, idx, src, alpha=1):
    out = x.copy()
    for j, i in enumerate(idx):
        sl = [slice(None)] * x.ndim
        sl[dim] = i
        ss = [slice(None)] * x.ndim
        ss[dim] = j
        out[tuple(sl)] += alpha * src[tuple(ss)]
    return out


def _np_repeat_t(x, reps):
    return np.tile(x, reps)


def _np_unique(x, return_inverse=False, return_counts=False):
    r = np.unique(x, return_inverse=return_inverse, return_counts=return_counts)
    if return_inverse:
        r = list(r)
        r[1] = r[1].reshape(x.shape).astype(np.int64)
        r = tuple(r)
    if return_counts:
        r = list(r)
        r[-1] = r[-1].astype(np.int64)
        r = tuple(r)
    return r


def _idx(a):
    return lambda rng: [I(np.array(a, dtype=np.int64))]


def _mask(shape, seed=1):
    return lambda rng: [I(np.random.default_rng(seed).random(shape) > 0.5)]


OPS = [
    ShapeOp("cat", lambda t, *xs, dim=0: t.cat(list(xs), dim=dim), _np_cat,
            _s(([(2, 3), (4, 3)], None, {}), ([(2, 3), (2, 1), (2, 0)], None, {"dim": 1}),
               ([(2, 3, 2), (2, 3, 1)], None, {"dim": -1}), ([(2, 3), (0,)], None, {}),
               ([(0, 3), (0, 3)], None, {})),
            grad_fn="CatBackward0",
            errors=[(lambda t: t.cat([]), ValueError, "expected a non-empty list of Tensors"),
                    (lambda t: t.cat([t.zeros(3, 4), t.zeros(3, 5)]), RuntimeError,
                     "Sizes of tensors must match except in dimension 0. Expected size 4 but got size 5 for tensor number 1"),
                    (lambda t: t.cat([t.zeros(3, 4), t.zeros(3)]), RuntimeError,
                     "Tensors must have same number of dimensions: got 2 and 1"),
                    (lambda t: t.cat([t.tensor(1.)]), RuntimeError,
                     "zero-dimensional tensor (at position 0) cannot be concatenated"),
                    (lambda t: t.cat([t.zeros(3, 4)], 2), IndexError, "Dimension out of range"),
                    (lambda t: t.cat(t.zeros(3)), TypeError, "must be tuple of Tensors")]),
    ShapeOp("stack", lambda t, *xs, dim=0: t.stack(xs, dim=dim), lambda *xs, dim=0: np.stack(xs, axis=dim),
            _s(([(2, 3), (2, 3)], None, {}), ([(2, 3), (2, 3), (2, 3)], None, {"dim": -1}),
               ([(), ()], None, {}), ([(0, 2), (0, 2)], None, {"dim": 1})),
            grad_fn="StackBackward0",
            errors=[(lambda t: t.stack([]), RuntimeError, "stack expects a non-empty TensorList"),
                    (lambda t: t.stack([t.zeros(3, 4), t.zeros(2, 4)]), RuntimeError,
                     "stack expects each tensor to be equal size, but got [3, 4] at entry 0 and [2, 4] at entry 1")]),
    ShapeOp("hstack", lambda t, *xs: t.hstack(xs), lambda *xs: np.hstack(xs),
            _s(([(2, 3), (2, 1)], None, {}), ([(3,), (2,)], None, {}), ([(), ()], None, {})),
            grad_fn="CatBackward0"),
    ShapeOp("vstack", lambda t, *xs: t.vstack(xs), lambda *xs: np.vstack(xs),
            _s(([(2, 3), (1, 3)], None, {}), ([(3,), (3,)], None, {})), grad_fn="CatBackward0"),
    ShapeOp("split_int", lambda t, x, s, dim=0: t.split(x, s, dim), _np_split,
            _s(([(5, 3)], lambda r: [2], {}), ([(2, 6)], lambda r: [3], {"dim": 1}),
               ([(4, 3)], lambda r: [4], {"dim": -2})),
            grad_fn="SplitBackward0", view=True,
            errors=[(lambda t: t.split(t.zeros(3), 0), RuntimeError, "split_size can only be 0 if dimension size is 0")]),
    ShapeOp("split_sizes", lambda t, x, s, dim=0: x.split(s, dim), _np_split,
            _s(([(5, 3)], lambda r: [[1, 4]], {}), ([(2, 6)], lambda r: [[3, 0, 3]], {"dim": 1})),
            grad_fn="SplitWithSizesBackward0", view=True,
            errors=[(lambda t: t.split(t.zeros(3), [1, 1]), RuntimeError,
                     "split_with_sizes expects split_sizes to sum exactly to 3")]),
    ShapeOp("chunk", lambda t, x, c, dim=0: t.chunk(x, c, dim), _np_chunk,
            _s(([(5, 3)], lambda r: [3], {}), ([(2, 6)], lambda r: [4], {"dim": -1}),
               ([(3, 2)], lambda r: [1], {})),
            grad_fn="SplitBackward0", view=True,
            errors=[(lambda t: t.chunk(t.zeros(3), 0), RuntimeError, "chunk expects `chunks` to be greater than 0, got: 0")]),
    ShapeOp("unbind", lambda t, x, dim=0: t.unbind(x, dim),
            lambda x, dim=0: tuple(np.moveaxis(x, dim, 0)),
            _s(([(3, 2)], None, {}), ([(2, 3, 4)], None, {"dim": -1})),
            grad_fn="UnbindBackward0", view=True,
            errors=[(lambda t: t.unbind(t.tensor(1.)), IndexError, "Dimension specified as 0 but tensor has no dimensions")]),
    ShapeOp("tensor_split", lambda t, x, s, dim=0: t.tensor_split(x, s, dim),
            lambda x, s, dim=0: tuple(np.array_split(x, s, axis=dim)),
            _s(([(7, 2)], lambda r: [3], {}), ([(2, 5)], lambda r: [[1, 3]], {"dim": 1}),
               ([(4,)], lambda r: [[1, 6]], {})),
            grad_fn="SliceBackward0", view=True,
            errors=[(lambda t: t.tensor_split(t.zeros(3), 0), RuntimeError, "number of sections must be larger than 0, got 0")]),
    ShapeOp("movedim", lambda t, x, s, d: t.movedim(x, s, d), lambda x, s, d: np.moveaxis(x, s, d),
            _s(([(2, 3, 4)], lambda r: [0, 2], {}), ([(2, 3, 4)], lambda r: [[0, -1], [2, 0]], {})),
            grad_fn="PermuteBackward0", view=True,
            errors=[(lambda t: t.movedim(t.zeros(2, 3), [0, 0], [0, 1]), RuntimeError, "movedim: repeated dim in `source`")]),
    ShapeOp("moveaxis", lambda t, x, s, d: x.moveaxis(s, d), lambda x, s, d: np.moveaxis(x, s, d),
            _s(([(2, 3, 4)], lambda r: [-1, 0], {})), grad_fn="PermuteBackward0", view=True),
    ShapeOp("flip", lambda t, x, dims: t.flip(x, dims), lambda x, dims: np.flip(x, dims),
            _s(([(3, 4)], lambda r: [[0]], {}), ([(2, 3, 4)], lambda r: [[0, -1]], {}),
               ([()], lambda r: [[]], {}), ([(0, 2)], lambda r: [[1]], {})),
            grad_fn="FlipBackward0",
            errors=[(lambda t: t.flip(t.zeros(2, 3), [0, 0]), RuntimeError, "dim 0 appears multiple times in the list of dims")]),
    ShapeOp("roll", lambda t, x, s, dims=None: t.roll(x, s, dims), lambda x, s, dims=None: np.roll(x, s, dims),
            _s(([(3, 4)], lambda r: [1], {}), ([(3, 4)], lambda r: [[2, -1]], {"dims": [0, 1]}),
               ([(3, 4)], lambda r: [-5], {"dims": 1})),
            grad_fn="RollBackward0",
            errors=[(lambda t: t.roll(t.zeros(2, 3), [1], [0, 1]), RuntimeError, "shifts and dimensions must align")]),
    ShapeOp("rot90", lambda t, x, k=1, dims=(0, 1): t.rot90(x, k, dims),
            lambda x, k=1, dims=(0, 1): np.rot90(x, k, dims),
            _s(([(3, 4)], None, {}), ([(3, 4)], None, {"k": 2}), ([(2, 3, 4)], None, {"k": -1, "dims": [2, 0]}),
               ([(3, 4)], None, {"k": 4})),
            grad_fn="Rot90Backward0",
            errors=[(lambda t: t.rot90(t.zeros(2, 3), 1, [0, 0]), RuntimeError, "expected rotation dims to be different"),
                    (lambda t: t.rot90(t.zeros(2, 3), 1, [0]), RuntimeError, "expected total rotation dims == 2")]),
    ShapeOp("repeat", lambda t, x, reps: x.repeat(*reps), _np_repeat_t,
            _s(([(2, 3)], lambda r: [(2, 1)], {}), ([(2, 3)], lambda r: [(2, 1, 3)], {}),
               ([()], lambda r: [(3,)], {}), ([(2,)], lambda r: [(0, 2)], {})),
            grad_fn="RepeatBackward0",
            errors=[(lambda t: t.zeros(2, 3).repeat(2), RuntimeError,
                     "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")]),
    ShapeOp("tile", lambda t, x, reps: t.tile(x, reps), np.tile,
            _s(([(2, 3)], lambda r: [(2,)], {}), ([(2, 3)], lambda r: [(2, 1, 2)], {})),
            grad_fn="RepeatBackward0"),
    ShapeOp("repeat_interleave_int", lambda t, x, r, dim=None: t.repeat_interleave(x, r, dim),
            lambda x, r, dim=None: np.repeat(x, r, axis=dim),
            _s(([(2, 3)], lambda r: [2], {}), ([(2, 3)], lambda r: [3], {"dim": 1}), ([()], lambda r: [2], {})),
            grad_fn="ViewBackward0",
            errors=[(lambda t: t.zeros(3).repeat_interleave(-1), RuntimeError, "repeats can not be negative")]),
    ShapeOp("repeat_interleave_tensor", lambda t, x, r, dim=None: t.repeat_interleave(x, r, dim),
            lambda x, r, dim=None: np.repeat(x, r, axis=dim),
            _s(([(3, 2)], _idx([1, 0, 2]), {"dim": 0}), ([(2, 3)], _idx([2, 1, 3]), {"dim": -1})),
            grad_fn="IndexSelectBackward0",
            errors=[(lambda t: t.zeros(3).repeat_interleave(t.tensor([1, -1, 1])), RuntimeError, "repeats can not be negative"),
                    (lambda t: t.zeros(3).repeat_interleave(t.tensor([1, 1]), dim=0), RuntimeError,
                     "repeats must have the same size as input along dim")]),
    ShapeOp("gather", lambda t, x, dim, i: t.gather(x, dim, i), _np_gather,
            _s(([(3, 4)], lambda r: [1, I(np.array([[0, 3], [2, 2], [1, 0]]))], {}),
               ([(3, 4)], lambda r: [0, I(np.array([[2, 0, 1, 1], [0, 0, 0, 0]]))], {}),
               ([(3, 4, 2)], lambda r: [-1, I(np.array([[[1], [0]]]))], {})),
            grad_fn="GatherBackward0",
            errors=[(lambda t: t.gather(t.zeros(3, 4), 1, t.tensor([[5]])), RuntimeError,
                     "index 5 is out of bounds for dimension 1 with size 4"),
                    (lambda t: t.gather(t.zeros(3, 4), 1, t.tensor([[-1]])), RuntimeError,
                     "index -1 is out of bounds for dimension 1 with size 4"),
                    (lambda t: t.gather(t.zeros(3, 4), 1, t.tensor([[1.]])), RuntimeError,
                     "gather(): Expected dtype int32/int64 for index"),
                    (lambda t: t.gather(t.zeros(3, 4), 1, t.tensor([1])), RuntimeError,
                     "Index tensor must have the same number of dimensions as input tensor")]),
    ShapeOp("scatter_src", lambda t, x, s, dim, i: t.scatter(x, dim, i, s),
            lambda x, s, dim, i: _np_scatter(x, dim, i, s),
            _s(([(3, 4), (2, 3)], lambda r: [1, I(np.array([[0, 3, 1], [2, 1, 0]]))], {}),
               ([(3, 4), (1, 4)], lambda r: [0, I(np.array([[2, 0, 1, 1]]))], {})),
            grad_fn="ScatterBackward0",
            errors=[(lambda t: t.zeros(3, 4).scatter(1, t.tensor([[0]]), t.zeros(1, 1, dtype=t.float64)),
                     RuntimeError, "scatter(): Expected self.dtype to be equal to src.dtype"),
                    (lambda t: t.zeros(3, 4).scatter(1, t.tensor([[4]]), 1.0), RuntimeError,
                     "index 4 is out of bounds for dimension 1 with size 4")]),
    ShapeOp("scatter_value", lambda t, x, dim, i: t.scatter(x, dim, i, value=2),
            lambda x, dim, i: _np_scatter(x, dim, i, np.array(2, dtype=x.dtype)),
            _s(([(3, 4)], lambda r: [1, I(np.array([[0, 3], [2, 1]]))], {})),
            grad_fn="ScatterBackward1"),
    ShapeOp("scatter_add", lambda t, x, s, dim, i: t.scatter_add(x, dim, i, s),
            lambda x, s, dim, i: _np_scatter(x, dim, i, s, add=True),
            _s(([(3, 4), (2, 3)], lambda r: [1, I(np.array([[0, 0, 1], [2, 2, 2]]))], {}),
               ([(3, 4), (3, 4)], lambda r: [0, I(np.array([[2, 0, 1, 1], [0, 0, 0, 0], [1, 1, 1, 1]]))], {})),
            dtypes=REAL[1:] + ("complex64", "complex128"), grad_fn="ScatterAddBackward0"),
    ShapeOp("index_add", lambda t, x, s, dim, i, alpha=1: t.index_add(x, dim, i, s, alpha=alpha),
            lambda x, s, dim, i, alpha=1: _np_index_add(x, dim, i, s, alpha),
            _s(([(4, 3), (3, 3)], lambda r: [0, I(np.array([0, 2, 0]))], {}),
               ([(2, 4), (2, 2)], lambda r: [1, I(np.array([3, 3]))], {"alpha": 2})),
            dtypes=REAL[1:], grad_fn="IndexAddBackward0",
            errors=[(lambda t: t.zeros(3, 4).index_add(0, t.tensor([0]), t.zeros(2, 4)), RuntimeError,
                     "index_add_(): Number of indices (1) should be equal to source.size(dim): (2), for dim: 0")]),
    ShapeOp("index_select", lambda t, x, dim, i: t.index_select(x, dim, i),
            lambda x, dim, i: np.take(x, i, axis=dim),
            _s(([(4, 3)], (lambda r: [0, I(np.array([3, 0, 0, 1]))]), {}),
               ([(2, 4, 3)], (lambda r: [-2, I(np.array([1, 3]))]), {}),
               ([(3, 2)], (lambda r: [1, I(np.zeros(0, dtype=np.int64))]), {})),
            grad_fn="IndexSelectBackward0",
            errors=[(lambda t: t.zeros(3, 4).index_select(0, t.tensor([[0]])), IndexError,
                     "index_select(): Index is supposed to be a vector"),
                    (lambda t: t.zeros(3, 4).index_select(0, t.tensor([5])), IndexError, "index out of range in self"),
                    (lambda t: t.zeros(3, 4).index_select(0, t.tensor([0.])), RuntimeError,
                     "index_select(): Expected dtype int32 or int64 for index")]),
    ShapeOp("masked_fill", lambda t, x, m: t.masked_fill(x, m, 1), lambda x, m: np.where(m, np.array(1).astype(x.dtype), x),
            _s(([(3, 4)], _mask((3, 4)), {}), ([(3, 4)], _mask((4,), 2), {}), ([()], _mask((), 3), {})),
            grad_fn="MaskedFillBackward0",
            errors=[(lambda t: t.zeros(3).masked_fill(t.zeros(3), 1.), RuntimeError, "only supports boolean masks"),
                    (lambda t: t.zeros(3).masked_fill(t.zeros(3, dtype=t.bool), t.ones(2)), RuntimeError,
                     "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension(s)."),
                    (lambda t: t.zeros(3).masked_fill_(t.zeros(2, 3, dtype=t.bool), 1.), RuntimeError,
                     "doesn't match the broadcast shape")]),
    ShapeOp("masked_fill_tensor_value", lambda t, x, m, v: x.masked_fill(m, v),
            lambda x, m, v: np.where(m, v, x),
            lambda rng, dt: [([D(arr(rng, (3, 4), dt)), I(np.random.default_rng(4).random((3, 4)) > 0.5),
                               D(arr(rng, (), dt))], {})],
            grad_fn="MaskedFillBackward1"),
    ShapeOp("masked_select", lambda t, x, m: t.masked_select(x, m), lambda x, m: np.broadcast_to(x, np.broadcast(x, m).shape)[np.broadcast_to(m, np.broadcast(x, m).shape)],
            _s(([(3, 4)], _mask((3, 4)), {}), ([(3, 4)], _mask((4,), 5), {}), ([(4,)], _mask((2, 4), 6), {})),
            grad_fn="MaskedSelectBackward0"),
    ShapeOp("take", lambda t, x, i: t.take(x, i), lambda x, i: np.take(x.reshape(-1), i),
            _s(([(3, 4)], lambda r: [I(np.array([[0, 11], [-1, 5]]))], {}), ([(3, 4)], _idx([]), {})),
            grad_fn="TakeBackward0",
            errors=[(lambda t: t.zeros(3, 4).take(t.tensor([12])), IndexError,
                     "out of range: tried to access index 12 on a tensor of 12 elements.")]),
    ShapeOp("unique", lambda t, x, **kw: t.unique(x, **kw), _np_unique,
            lambda rng, dt: [([D(rng.integers(0, 5, (4, 6)).astype(dt))], {}),
                             ([D(rng.integers(0, 5, (4, 6)).astype(dt))], {"return_inverse": True, "return_counts": True}),
                             ([D(rng.integers(0, 5, (0,)).astype(dt))], {"return_counts": True})],
            dtypes=REAL,
            errors=[(lambda t: t.unique(t.zeros(3, dtype=t.complex64)), RuntimeError, "not implemented for 'ComplexFloat'")]),
]
