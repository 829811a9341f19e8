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


# ---- references of the index_put / index_* / scatter_reduce / masked_scatter / put / view-scatter ops

def _np_index_put(x, v, *idx, accumulate=False):
    out = x.copy()
    if accumulate:
        np.add.at(out, tuple(idx), v)
    else:
        out[tuple(idx)] = v
    return out


def _np_index_copy(x, s, dim, idx):
    out = x.copy()
    for j, i in enumerate(idx):
        sl = [slice(None)] * x.ndim
        sl[dim] = i
        ss = [slice(None)] * x.ndim
        ss[dim] = j
        out[tuple(sl)] = s[tuple(ss)]
    return out


def _np_index_fill(x, dim, idx, value):
    out = x.copy()
    sl = [slice(None)] * x.ndim
    sl[dim] = np.asarray(idx).reshape(-1)
    out[tuple(sl)] = value
    return out


_NP_RED = {"sum": np.sum, "prod": np.prod, "mean": np.mean, "amax": np.max, "amin": np.min}


def _reduce_groups(x, groups, reduce, include_self):
    out = x.copy()
    for tgt, vals in groups.items():
        vals = ([x[tgt]] if include_self else []) + vals
        r = _NP_RED[reduce](np.array(vals, dtype=x.dtype))
        if reduce == "mean" and x.dtype.kind in "iu":
            r = np.floor_divide(np.sum(np.array(vals, dtype=np.int64)), len(vals))
        out[tgt] = r
    return out


def _np_scatter_reduce(x, s, dim, idx, reduce, include_self=True):
    groups = {}
    dim = dim % x.ndim
    for pos in np.ndindex(*idx.shape):
        tgt = list(pos)
        tgt[dim] = idx[pos]
        groups.setdefault(tuple(tgt), []).append(s[pos])
    return _reduce_groups(x, groups, reduce, include_self)


def _np_index_reduce(x, s, dim, idx, reduce, include_self=True):
    shp = [1] * x.ndim
    shp[dim] = len(idx)
    return _np_scatter_reduce(x, s, dim, np.broadcast_to(np.asarray(idx).reshape(shp), s.shape), reduce, include_self)


def _np_masked_scatter(x, s, m):
    shp = np.broadcast(x, m).shape
    out = np.broadcast_to(x, shp).copy()
    mb = np.broadcast_to(m, shp)
    out[mb] = s.reshape(-1)[:mb.sum()]
    return out


def _np_put(x, s, idx, accumulate=False):
    out = x.copy().reshape(-1)
    if accumulate:
        np.add.at(out, idx.reshape(-1), s.reshape(-1))
    else:
        out[idx.reshape(-1)] = s.reshape(-1)
    return out.reshape(x.shape)


def _np_take_along(x, idx, dim=None):
    if dim is None:
        return x.reshape(-1)[idx.reshape(-1)]
    a = list(x.shape)
    b = list(idx.shape)
    a[dim], b[dim] = idx.shape[dim], x.shape[dim]
    return np.take_along_axis(np.broadcast_to(x, np.broadcast_shapes(x.shape, tuple(b))),
                              np.broadcast_to(idx, np.broadcast_shapes(tuple(a), idx.shape)), axis=dim)


def _np_slice_scatter(x, s, dim=0, start=None, end=None, step=1):
    out = x.copy()
    out[(slice(None),) * dim + (slice(start, end, step),)] = s
    return out


def _np_select_scatter(x, s, dim, index):
    out = x.copy()
    out[(slice(None),) * (dim % x.ndim) + (index,)] = s
    return out


def _np_diagonal_scatter(x, s, offset=0, dim1=0, dim2=1):
    out = x.copy()
    v = np.diagonal(out, offset, dim1, dim2)      # read-only view: write through indices
    n = v.shape[-1]
    i = np.arange(n) + max(-offset, 0)
    j = np.arange(n) + max(offset, 0)
    outm = np.moveaxis(out, (dim1, dim2), (-2, -1))
    outm[..., i, j] = s
    return out


def _np_as_strided_scatter(x, s, size, stride, storage_offset=0):
    out = x.copy().reshape(-1)
    for pos in np.ndindex(*size):
        out[storage_offset + sum(p * st for p, st in zip(pos, stride))] = s[pos]
    return out.reshape(x.shape)


def _np_fill_diagonal(x, v, wrap=False):
    out = x.copy()
    np.fill_diagonal(out, v, wrap=wrap)
    return out


def _np_nonzero_static(x, size, fill_value=-1):
    r = np.argwhere(x).astype(np.int64)[:size]
    pad = np.full((size - r.shape[0], x.ndim), fill_value, dtype=np.int64)
    return np.concatenate([r, pad])


def _zeros_in(rng, dt):
    """float64 data with zeros (prod's special cases: one and two zeros per target)."""
    x = arr(rng, (3, 4), dt)
    s = arr(rng, (2, 4), dt)
    if dt not in ("bool",):
        x[0, 1] = 0
        s[0, 2] = 0
        s[1, 3] = 0
        s[0, 3] = 0
    return x, s


NUMERIC = ("int64", "float32", "float64")


def _np_put_ref(x, s, i, accumulate=False):
    return _np_put(x, s, i, accumulate)


I_SR = np.array([[0, 1, 0, 2], [1, 1, 0, 0]])


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
               ([()], lambda r: [[]], {}), ([(0, 2)], lambda r: [[1]], {}),
               ([(3, 70)], lambda r: [[1]], {}), ([(3, 1, 5, 7)], lambda r: [[0, 1, 3]], {})),
            grad_fn="FlipBackward0",
            errors=[(lambda t: t.flip(t.zeros(2, 3), [0, 0]), RuntimeError, "dim 0 appears multiple times in the list of dims")]),
    ShapeOp("flip_method", lambda t, x, *dims: x.flip(*dims), lambda x, *dims: np.flip(x, dims),
            _s(([(2, 3, 4)], lambda r: [0, 2], {}), ([(3, 4)], lambda r: [-1], {})),
            grad_fn="FlipBackward0"),
    ShapeOp("roll", lambda t, x, s, dims=None: t.roll(x, s, dims), lambda x, s, dims=None: np.roll(x, s, dims),
            _s(([(3, 4)], lambda r: [1], {}), ([(3, 4)], lambda r: [[2, -1]], {"dims": [0, 1]}),
               ([(3, 4)], lambda r: [-5], {"dims": 1}),
               ([(2, 3, 4)], lambda r: [[1, -5]], {"dims": [0, 2]}),
               ([(2, 3, 4)], lambda r: [[4, 1, -2]], {"dims": [2, 0, 1]}),
               ([(3, 4)], lambda r: [[1, 2]], {"dims": [1, 1]}),
               ([(4, 1, 3)], lambda r: [[1, 5, 2]], {"dims": [0, 1, -1]}),
               ([(3, 4)], lambda r: [[3, 8]], {"dims": [0, 1]}),
               ([(0, 3)], lambda r: [[1, 2]], {"dims": [0, 1]})),
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
                     "repeats must have the same size as input along dim"),
                    (lambda t: t.zeros(3).repeat_interleave(t.tensor([1, 1, 1], dtype=t.int8)), NotImplementedError,
                     "\"repeat_interleave_cpu\" not implemented for 'Char'"),
                    (lambda t: t.repeat_interleave(t.tensor([1.0, 2.0])), NotImplementedError,
                     "\"repeat_interleave_cpu\" not implemented for 'Float'"),
                    (lambda t: t.zeros(3).repeat_interleave(t.ones(1, 3, dtype=t.int64)), RuntimeError,
                     "repeats must be 0-dim or 1-dim tensor")]),
    # dense copies of views whose rows are short (unfold, expand) or transposed:
    # shapes with both last dims >= 8 reach the tiled transposing copy, rows of
    # 1..8 elements its fixed-length loops
    ShapeOp("transpose_contiguous", lambda t, x: x.transpose(-1, -2).contiguous(),
            lambda x: np.ascontiguousarray(np.swapaxes(x, -1, -2)),
            _s(([(3, 4)], None, {}), ([(19, 37)], None, {}), ([(2, 17, 24)], None, {}),
               ([(8, 8)], None, {}), ([(70, 9)], None, {})),
            grad_fn="CloneBackward0"),
    ShapeOp("unfold_contiguous", lambda t, x, size, step: x.unfold(-1, size, step).contiguous(),
            lambda x, size, step: np.ascontiguousarray(
                np.lib.stride_tricks.sliding_window_view(x, size, axis=-1)[..., ::step, :]),
            _s(([(40,)], lambda r: [8, 4], {}), ([(3, 50)], lambda r: [8, 4], {}),
               ([(30,)], lambda r: [3, 2], {}), ([(2, 100)], lambda r: [5, 1], {}),
               ([(9, 90)], lambda r: [20, 3], {})),
            grad_fn="CloneBackward0"),
    ShapeOp("expand_contiguous",
            lambda t, x, n: x[..., :1].expand(*x.shape[:-1], n).contiguous(),
            lambda x, n: np.broadcast_to(x[..., :1], x.shape[:-1] + (n,)).copy(),
            _s(([(6, 4)], lambda r: [3], {}), ([(5, 2)], lambda r: [20], {}),
               ([(2, 3, 2)], lambda r: [8], {}), ([(40, 1)], lambda r: [70], {})),
            grad_fn="CloneBackward0"),
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
            dtypes=REAL[1:] + ("complex64", "complex128"), grad_fn="ScatterAddBackward0",
            errors=[(lambda t: t.zeros(3, 4).scatter_add(0, t.tensor([[0]]), t.ones(1, 1, dtype=t.int64)), RuntimeError,
                     "scatter(): Expected self.dtype to be equal to src.dtype"),
                    (lambda t: t.zeros(3, 4).scatter_add(0, t.tensor([[0]] * 4), t.ones(3, 4)), RuntimeError,
                     "Expected index [4, 1] to be no larger than self [3, 4] apart from dimension 0 and to be no larger size than src [3, 4]")]),
    ShapeOp("index_add", lambda t, x, s, dim, i, alpha=1: t.index_add(x, dim, i, s, alpha=alpha),
            lambda x, s, dim, i, alpha=1: _np_index_add(x, dim, i, s, alpha),
            _s(([(4, 3), (3, 3)], lambda r: [0, I(np.array([0, 2, 0]))], {}),
               ([(2, 4), (2, 2)], lambda r: [1, I(np.array([3, 3]))], {"alpha": 2})),
            dtypes=REAL[1:], grad_fn="IndexAddBackward0",
            errors=[(lambda t: t.zeros(3, 4).index_add(0, t.tensor([0]), t.zeros(2, 4)), RuntimeError,
                     "index_add_(): Number of indices (1) should be equal to source.size(dim): (2), for dim: 0"),
                    (lambda t: t.zeros(3, 4).index_add(0, t.tensor([3]), t.ones(1, 4)), RuntimeError,
                     "index 3 is out of bounds for dimension 0 with size 3"),
                    (lambda t: t.zeros(3, 4).index_add(0, t.tensor([0]), t.ones(1, 3)), RuntimeError,
                     "source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape = [3, 4] source.shape = [1, 3]"),
                    (lambda t: t.zeros(3, 4).index_add(0, t.tensor([0.]), t.ones(1, 4)), RuntimeError,
                     "index_add_(): Expected dtype int32/int64 for index but got: Float")]),
    ShapeOp("index_select", lambda t, x, dim, i: t.index_select(x, dim, i),
            lambda x, dim, i: np.take(x, i, axis=dim),
            _s(([(4, 3)], (lambda r: [0, I(np.array([3, 0, 0, 1]))]), {}),
               ([(2, 4, 3)], (lambda r: [-2, I(np.array([1, 3]))]), {}),
               ([(3, 2)], (lambda r: [1, I(np.zeros(0, dtype=np.int64))]), {})),
            grad_fn="IndexSelectBackward0",
            errors=[(lambda t: t.zeros(3, 4).index_select(0, t.tensor([[0]])), IndexError,
                     "index_select(): Index is supposed to be a vector"),
                    (lambda t: t.zeros(3, 4).index_select(0, t.tensor([5])), IndexError, "index out of range in self"),
                    (lambda t: t.zeros(3, 4).index_select(1, t.tensor([0, 7])), RuntimeError,
                     "INDICES element is out of DATA bounds, id=7 axis_dim=4"),
                    (lambda t: t.zeros(2, 3, 4).index_select(-2, t.tensor([-1])), RuntimeError,
                     "INDICES element is out of DATA bounds, id=-1 axis_dim=3"),
                    (lambda t: t.zeros(2, 3, 4).index_select(2, t.tensor([4])), IndexError,
                     "index out of range in self"),
                    (lambda t: t.zeros(2, 0).index_select(1, t.tensor([0])), RuntimeError,
                     "index_select(): self indexing axis dim should be positive"),
                    (lambda t: t.zeros(3, 4).index_select(0, t.tensor([0.])), RuntimeError,
                     "index_select(): Expected dtype int32 or int64 for index")]),
    ShapeOp("masked_fill", lambda t, x, m: t.masked_fill(x, m, 1), lambda x, m: np.where(m, np.array(1).astype(x.dtype), x),
            _s(([(3, 4)], _mask((3, 4)), {}), ([(3, 4)], _mask((4,), 2), {}), ([()], _mask((), 3), {})),
            grad_fn="MaskedFillBackward0",
            errors=[(lambda t: t.zeros(3).masked_fill(t.zeros(3), 1.), RuntimeError, "only supports boolean masks"),
                    (lambda t: t.zeros(3).masked_fill(t.zeros(3, dtype=t.bool), t.ones(2)), RuntimeError,
                     "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension(s)."),
                    (lambda t: t.zeros(3).masked_fill_(t.zeros(2, 3, dtype=t.bool), 1.), RuntimeError,
                     "doesn't match the broadcast shape"),
                    (lambda t: t.zeros(3, 4).masked_fill(t.ones(5, dtype=t.bool), 1), RuntimeError,
                     "The size of tensor a (5) must match the size of tensor b (4) at non-singleton dimension 1"),
                    # in place: the last dim that does not broadcast, self's size first
                    (lambda t: t.zeros(3, 2, 3).masked_fill_(t.ones(2, 3, 2, dtype=t.bool), 1), RuntimeError,
                     "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 2")]),
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
                     "out of range: tried to access index 12 on a tensor of 12 elements."),
                    (lambda t: t.zeros(3, 4).take(t.tensor([1], dtype=t.int32)), RuntimeError,
                     "take(): Expected a long tensor for index, but got Int")]),
    ShapeOp("take_out", lambda t, x, i: t.take(x, i, out=t.empty(0, dtype=x.dtype)),
            lambda x, i: np.take(x.reshape(-1), i),
            _s(([(3, 4)], lambda r: [I(np.array([[0, 11], [-1, 5]]))], {})),
            errors=[(lambda t: t.take(t.zeros(3), t.tensor([1]), out=t.empty(1, dtype=t.int64)), RuntimeError,
                     "take(): self and out expected to have the same dtype, but got self.dtype = Float and "
                     "out.dtype = Long"),
                    (lambda t: t.zeros(3).take(t.tensor([1]), out=t.empty(1)), TypeError,
                     "unexpected keyword argument 'out'")]),
    ShapeOp("unique", lambda t, x, **kw: t.unique(x, **kw), _np_unique,
            lambda rng, dt: [([D(rng.integers(0, 5, (4, 6)).astype(dt))], {}),
                             ([D(rng.integers(0, 5, (4, 6)).astype(dt))], {"return_inverse": True, "return_counts": True}),
                             ([D(rng.integers(0, 5, (0,)).astype(dt))], {"return_counts": True}),
                             ([D(rng.integers(-40, 40, (3, 70)).astype(dt))],
                              {"return_inverse": True, "return_counts": True})],
            dtypes=REAL,
            errors=[(lambda t: t.unique(t.zeros(3, dtype=t.complex64)), RuntimeError, "not implemented for 'ComplexFloat'")]),
    # ---- index_put / index_* / scatter_reduce / masked_scatter / put / take_along_dim / view scatters
    ShapeOp("index_put", lambda t, x, v, i, **kw: t.index_put(x, (i,), v, **kw),
            lambda x, v, i, **kw: _np_index_put(x, v, i, **kw),
            _s(([(4, 3), (2, 3)], _idx([3, 0]), {}), ([(4, 3), (3,)], _idx([1, 1, 2]), {"accumulate": True}),
               ([(4, 3), ()], lambda r: [I(np.array([True, False, True, True]))], {}),
               # a 2-d index with negative entries into rows of a 3-d tensor
               ([(5, 2, 3), (2, 2, 2, 3)], _idx([[4, -1], [0, -5]]), {"accumulate": True}),
               ([(5, 2, 3), (2, 3)], _idx([-2, 0, 4]), {})),
            dtypes=("bool", "int64", "float32", "float64", "complex64"), grad_fn="IndexPutBackward0",
            errors=[(lambda t: t.index_put(t.zeros(3, 4), (t.tensor([5]),), t.tensor(1.)), IndexError,
                     "index 5 is out of bounds for dimension 0 with size 3"),
                    (lambda t: t.index_put(t.zeros(3, 4), t.tensor([1]), t.tensor(1.)), TypeError,
                     "index_put(): argument 'indices' (position 2) must be tuple of Tensors, not Tensor"),
                    (lambda t: t.index_put(t.zeros(3, 4), (t.tensor([1]),), 1.0), TypeError,
                     "index_put(): argument 'values' (position 3) must be Tensor, not float"),
                    (lambda t: t.index_put(t.zeros(3, 4), (t.tensor([1]),), t.tensor(1., dtype=t.float64)), RuntimeError,
                     "Index put requires the source and destination dtypes match, got Float for the destination and Double for the source."),
                    (lambda t: t.index_put(t.zeros(3, 4), (t.tensor([1.]),), t.tensor(1.)), IndexError,
                     "tensors used as indices must be long, int, byte or bool tensors"),
                    (lambda t: t.index_put(t.zeros(3, 4), (t.tensor([1, 2]),), t.ones(3)), RuntimeError,
                     "shape mismatch: value tensor of shape [3] cannot be broadcast to indexing result of shape [2, 4]")]),
    ShapeOp("index_put_2d", lambda t, x, v, i, j: t.index_put(x, (i, j), v, accumulate=True),
            lambda x, v, i, j: _np_index_put(x, v, i, j, accumulate=True),
            _s(([(4, 3), (3,)], lambda r: [I(np.array([1, 1, 3])), I(np.array([2, 2, 0]))], {})),
            dtypes=NUMERIC, grad_fn="IndexPutBackward0"),
    ShapeOp("index_copy", lambda t, x, s, dim, i: t.index_copy(x, dim, i, s), _np_index_copy,
            _s(([(4, 3), (2, 3)], lambda r: [0, I(np.array([3, 1]))], {}),
               ([(2, 4), (2, 2)], lambda r: [1, I(np.array([0, 2]))], {})),
            dtypes=("bool", "int64", "float32", "float64", "complex128"), grad_fn="IndexCopyBackward0",
            errors=[(lambda t: t.index_copy(t.zeros(3, 4), 0, t.tensor([5]), t.ones(1, 4)), IndexError,
                     "index_copy_(): index 5 is out of bounds for dimension 0 with size 3"),
                    (lambda t: t.index_copy(t.zeros(3, 4), 0, t.tensor([0, 1]), t.ones(1, 4)), IndexError,
                     "index_copy_(): Number of indices (2) should be equal to source.size(dim) (1)"),
                    (lambda t: t.index_copy(t.zeros(3, 4), 0, t.tensor([0]), t.ones(1, 3)), RuntimeError,
                     "index_copy_(): Source/destination tensor must have same slice shapes. Destination slice shape: 4 at dimension 0 and source slice shape: 3 at dimension 0."),
                    (lambda t: t.index_copy(t.zeros(3, 4), 0, t.tensor([0.]), t.ones(1, 4)), RuntimeError,
                     "index_copy_(): Expected a long tensor for index, but got Float"),
                    (lambda t: t.index_copy(t.zeros(3, 4), 0, t.tensor([0]), t.ones(1, 4, dtype=t.float64)), RuntimeError,
                     "index_copy_(): self and source expected to have the same dtype, but got (self) Float and (source) Double"),
                    (lambda t: t.index_copy(t.zeros(3, 4), 0, t.tensor([[0]]), t.ones(1, 4)), IndexError,
                     "index_copy_(): Index should have dimension 1 or 0 (got 2)")]),
    ShapeOp("index_fill", lambda t, x, dim, i: t.index_fill(x, dim, i, 3),
            lambda x, dim, i: _np_index_fill(x, dim, i, 3),
            _s(([(4, 3)], lambda r: [0, I(np.array([3, -4]))], {}), ([(2, 4)], lambda r: [1, I(np.array(2))], {}),
               # runs of 16 elements or more after the dim: the value as one run
               ([(5, 20)], lambda r: [0, I(np.array([4, -1, 0]))], {}),
               ([(1, 6, 17)], lambda r: [1, I(np.array([2, 5, -6]))], {})),
            dtypes=("int64", "float32", "float64", "complex64"), grad_fn="IndexFillBackward0",
            errors=[(lambda t: t.index_fill(t.zeros(3, 4), 0, t.tensor([5]), 1.), IndexError,
                     "index 5 is out of bounds for dimension 0 with size 3"),
                    (lambda t: t.index_fill(t.zeros(3, 4), 0, t.tensor([0.]), 1.), IndexError,
                     "index_fill_(): Expected dtype int64 for index."),
                    (lambda t: t.index_fill(t.zeros(3, 4), 0, t.tensor([0]), t.ones(2)), RuntimeError,
                     "index_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension(s)."),
                    (lambda t: t.index_fill(t.zeros(3, 4), 0, t.tensor([[0]]), 1.), RuntimeError,
                     "Index has to be a vector/scalar")]),
    ShapeOp("index_fill_tensor_value", lambda t, x, v, dim, i: t.index_fill(x, dim, i, v),
            lambda x, v, dim, i: _np_index_fill(x, dim, i, v),
            _s(([(4, 3), ()], lambda r: [0, I(np.array([1, 1, 2]))], {})),
            dtypes=FLOATS, grad_fn="IndexFillBackward1"),
    ShapeOp("index_reduce_prod", lambda t, x, s, dim, i, **kw: t.index_reduce(x, dim, i, s, "prod", **kw),
            lambda x, s, dim, i, **kw: _np_index_reduce(x, s, dim, i, "prod", **kw),
            _s(([(4, 3), (3, 3)], lambda r: [0, I(np.array([0, 2, 0]))], {}),
               ([(2, 4), (2, 3)], lambda r: [1, I(np.array([3, 3, 1]))], {"include_self": False})),
            dtypes=("int64", "float32", "float64"), grad_fn="IndexReduceBackward0",
            errors=[(lambda t: t.index_reduce(t.zeros(3, 4), 0, t.tensor([5]), t.ones(1, 4), "prod"), IndexError,
                     "index out of range in self"),
                    (lambda t: t.index_reduce(t.zeros(3, 4), 0, t.tensor([0]), t.ones(1, 4), "sum"), RuntimeError,
                     "index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got sum."),
                    (lambda t: t.index_reduce(t.zeros(3, 4), 0, t.tensor([0, 1]), t.ones(1, 4), "prod"), RuntimeError,
                     "index_reduce_(): Number of indices (2) should be equal to source.size(dim): (1), for dim: 0"),
                    (lambda t: t.index_reduce(t.zeros(3, 4), 0, t.tensor([0.]), t.ones(1, 4), "amax"), RuntimeError,
                     "index_reduce_(): Expected dtype int32/int64 for index but got: Float")]),
    ShapeOp("index_reduce_mean", lambda t, x, s, dim, i, **kw: t.index_reduce(x, dim, i, s, "mean", **kw),
            lambda x, s, dim, i, **kw: _np_index_reduce(x, s, dim, i, "mean", **kw),
            _s(([(4, 3), (3, 3)], lambda r: [0, I(np.array([0, 2, 0]))], {}),
               ([(2, 4), (2, 3)], lambda r: [1, I(np.array([3, 3, 1]))], {"include_self": False})),
            dtypes=("int64", "float32", "float64"), grad_fn="IndexReduceBackward0"),
    ShapeOp("index_reduce_amax", lambda t, x, s, dim, i, **kw: t.index_reduce(x, dim, i, s, "amax", **kw),
            lambda x, s, dim, i, **kw: _np_index_reduce(x, s, dim, i, "amax", **kw),
            _s(([(4, 3), (3, 3)], lambda r: [0, I(np.array([0, 2, 0]))], {}),
               ([(2, 4), (2, 3)], lambda r: [1, I(np.array([3, 3, 1]))], {"include_self": False})),
            dtypes=("int64", "float32", "float64"), grad_fn="IndexReduceBackward0"),
    ShapeOp("index_reduce_amin", lambda t, x, s, dim, i, **kw: t.index_reduce(x, dim, i, s, "amin", **kw),
            lambda x, s, dim, i, **kw: _np_index_reduce(x, s, dim, i, "amin", **kw),
            _s(([(4, 3), (3, 3)], lambda r: [0, I(np.array([0, 2, 0]))], {}),
               ([(2, 4), (2, 3)], lambda r: [1, I(np.array([3, 3, 1]))], {"include_self": False})),
            dtypes=("int64", "float32", "float64"), grad_fn="IndexReduceBackward0"),
    ShapeOp("scatter_reduce_sum", lambda t, x, s, dim, i, **kw: t.scatter_reduce(x, dim, i, s, "sum", **kw),
            lambda x, s, dim, i, **kw: _np_scatter_reduce(x, s, dim, i, "sum", **kw),
            lambda rng, dt: [([D(a), D(b), 0, I(I_SR)], kw) for a, b in [_zeros_in(rng, dt)]
                             for kw in ({}, {"include_self": False})]
                            + [([D(arr(rng, (3, 4), dt)), D(arr(rng, (3, 2), dt)), -1, I(np.array([[3, 3], [0, 3], [1, 1]]))], {})],
            dtypes=("bool", "int64", "float32", "float64", "complex64"), grad_fn="ScatterReduceBackward0"),
    ShapeOp("scatter_reduce_prod", lambda t, x, s, dim, i, **kw: t.scatter_reduce(x, dim, i, s, "prod", **kw),
            lambda x, s, dim, i, **kw: _np_scatter_reduce(x, s, dim, i, "prod", **kw),
            lambda rng, dt: [([D(a), D(b), 0, I(I_SR)], kw) for a, b in [_zeros_in(rng, dt)]
                             for kw in ({}, {"include_self": False})]
                            + [([D(arr(rng, (3, 4), dt)), D(arr(rng, (3, 2), dt)), -1, I(np.array([[3, 3], [0, 3], [1, 1]]))], {})],
            dtypes=("int64", "float32", "float64"), grad_fn="ScatterReduceBackward0"),
    ShapeOp("scatter_reduce_mean", lambda t, x, s, dim, i, **kw: t.scatter_reduce(x, dim, i, s, "mean", **kw),
            lambda x, s, dim, i, **kw: _np_scatter_reduce(x, s, dim, i, "mean", **kw),
            lambda rng, dt: [([D(a), D(b), 0, I(I_SR)], kw) for a, b in [_zeros_in(rng, dt)]
                             for kw in ({}, {"include_self": False})]
                            + [([D(arr(rng, (3, 4), dt)), D(arr(rng, (3, 2), dt)), -1, I(np.array([[3, 3], [0, 3], [1, 1]]))], {})],
            dtypes=("int64", "float32", "float64"), grad_fn="ScatterReduceBackward0"),
    ShapeOp("scatter_reduce_amax", lambda t, x, s, dim, i, **kw: t.scatter_reduce(x, dim, i, s, "amax", **kw),
            lambda x, s, dim, i, **kw: _np_scatter_reduce(x, s, dim, i, "amax", **kw),
            lambda rng, dt: [([D(a), D(b), 0, I(I_SR)], kw) for a, b in [_zeros_in(rng, dt)]
                             for kw in ({}, {"include_self": False})]
                            + [([D(arr(rng, (3, 4), dt)), D(arr(rng, (3, 2), dt)), -1, I(np.array([[3, 3], [0, 3], [1, 1]]))], {})],
            dtypes=("int64", "float32", "float64"), grad_fn="ScatterReduceBackward0",
            errors=[(lambda t: t.scatter_reduce(t.zeros(3, 4), 0, t.tensor([[5]]), t.ones(1, 4), "amax"), RuntimeError,
                     "index 5 is out of bounds for dimension 0 with size 3"),
                    (lambda t: t.scatter_reduce(t.zeros(3, 4), 0, t.tensor([[-1]]), t.ones(1, 4), "amax"), RuntimeError,
                     "index -1 is out of bounds for dimension 0 with size 3"),
                    (lambda t: t.scatter_reduce(t.zeros(3, 4), 0, t.tensor([[0]]), t.ones(1, 4), "max"), RuntimeError,
                     "reduce argument must be either sum, prod, mean, amax or amin, got max"),
                    (lambda t: t.scatter_reduce(t.zeros(3, 4), 0, t.tensor([[0]]), t.ones(1, 4, dtype=t.float64), "amax"),
                     RuntimeError, "scatter_reduce(): Expected self.dtype to be equal to src.dtype"),
                    (lambda t: t.scatter_reduce(t.zeros(3, dtype=t.complex64), 0, t.tensor([0]), t.ones(1, dtype=t.complex64), "amax"),
                     NotImplementedError, "not implemented for 'ComplexFloat'"),
                    (lambda t: t.scatter_reduce(t.zeros(3, dtype=t.bool), 0, t.tensor([0]), t.ones(1, dtype=t.bool), "mean"),
                     NotImplementedError, "not implemented for 'Bool'"),
                    (lambda t: t.scatter_reduce(t.zeros(3, 4), 0, t.tensor([[0]]), 1.0, "amax"), TypeError,
                     "scatter_reduce(): argument 'src' (position 4) must be Tensor, not float"),
                    (lambda t: t.scatter_reduce(t.zeros(3, 4), 0, t.tensor([[0] * 5]), t.ones(3, 5), "sum"), RuntimeError,
                     "Expected index [1, 5] to be no larger than self [3, 4] apart from dimension 0 and to be no larger size than src [3, 5]"),
                    (lambda t: t.scatter_reduce(t.zeros(3, 4), 0, t.tensor([[0]]), t.ones(1, 1), "amax", include_self=3),
                     TypeError, "scatter_reduce(): argument 'include_self' must be bool, not int")]),
    ShapeOp("scatter_reduce_amin", lambda t, x, s, dim, i, **kw: t.scatter_reduce(x, dim, i, s, "amin", **kw),
            lambda x, s, dim, i, **kw: _np_scatter_reduce(x, s, dim, i, "amin", **kw),
            lambda rng, dt: [([D(a), D(b), 0, I(I_SR)], kw) for a, b in [_zeros_in(rng, dt)]
                             for kw in ({}, {"include_self": False})]
                            + [([D(arr(rng, (3, 4), dt)), D(arr(rng, (3, 2), dt)), -1, I(np.array([[3, 3], [0, 3], [1, 1]]))], {})],
            dtypes=("int64", "float32", "float64"), grad_fn="ScatterReduceBackward0"),
    ShapeOp("scatter_legacy_reduce", lambda t, x, s, dim, i, reduce: t.scatter(x, dim, i, s, reduce=reduce),
            lambda x, s, dim, i, reduce: _np_scatter_reduce(x, s, dim, i, {"add": "sum", "multiply": "prod"}[reduce]),
            _s(([(3, 4), (2, 4)], lambda r: [0, I(I_SR), "add"], {}), ([(3, 4), (2, 4)], lambda r: [0, I(I_SR), "multiply"], {})),
            dtypes=NUMERIC,
            errors=[(lambda t: t.scatter(t.zeros(3), 0, t.tensor([0]), 2.0, reduce="sum"), RuntimeError,
                     "reduce argument must be either add or multiply.")]),
    ShapeOp("masked_scatter", lambda t, x, s, m: t.masked_scatter(x, m, s), _np_masked_scatter,
            _s(([(3, 4), (12,)], _mask((3, 4)), {}), ([(3, 4), (4, 4)], _mask((4,), 2), {}),
               ([(4,), (2, 5)], _mask((2, 4), 3), {})),
            dtypes=("bool", "int64", "float32", "float64", "complex64"), grad_fn="MaskedScatterBackward0",
            errors=[(lambda t: t.masked_scatter(t.zeros(3, 4), t.ones(3, 4, dtype=t.bool), t.ones(5)), RuntimeError,
                     "Number of elements of source < number of ones in mask"),
                    (lambda t: t.masked_scatter(t.zeros(3, 4), t.ones(3, 4), t.ones(12)), RuntimeError,
                     "masked_scatter_ only supports boolean masks, but got mask with dtype Float"),
                    (lambda t: t.masked_scatter(t.zeros(3, 4), t.ones(4, dtype=t.bool), t.ones(12, dtype=t.float64)),
                     RuntimeError, "masked_scatter: expected self and source to have same dtypes but gotFloat and Double"),
                    (lambda t: t.masked_scatter(t.zeros(3, 4), t.ones(5, dtype=t.bool), t.ones(12)), RuntimeError,
                     "The size of tensor a (5) must match the size of tensor b (4) at non-singleton dimension 1")]),
    ShapeOp("put", lambda t, x, s, i, **kw: t.put(x, i, s, **kw), _np_put_ref,
            _s(([(3, 4), (2, 2)], lambda r: [I(np.array([[0, 10], [-1, 5]]))], {}),
               ([(3, 4), (4,)], lambda r: [I(np.array([2, 2, 7, -10]))], {"accumulate": True})),
            dtypes=("int64", "float32", "float64", "complex64"), grad_fn="PutBackward0",
            errors=[(lambda t: t.put(t.zeros(3, 4), t.tensor([12]), t.ones(1)), IndexError,
                     "out of range: tried to access index 12 on a tensor of 12 elements."),
                    (lambda t: t.put(t.zeros(3, 4), t.tensor([-13]), t.ones(1)), IndexError,
                     "out of range: tried to access index -13 on a tensor of 12 elements."),
                    (lambda t: t.put(t.zeros(3, 4), t.tensor([1, 2]), t.ones(1)), IndexError,
                     "put_(): Expected source and index to have the same number of elements, but got source.numel() = 1, index.numel() = 2"),
                    (lambda t: t.put(t.zeros(0), t.tensor([0]), t.ones(1)), IndexError,
                     "put_(): Tried to put elements into an empty tensor"),
                    (lambda t: t.put(t.zeros(3, 4), t.tensor([1.]), t.ones(1)), RuntimeError,
                     "put_(): Expected a long tensor for index, but got Float"),
                    (lambda t: t.put(t.zeros(3, 4), t.tensor([1]), t.ones(1, dtype=t.float64)), RuntimeError,
                     "put_(): self and source expected to have the same dtype, but got self.dtype = Float and source.dtype = Double")]),
    ShapeOp("take_along_dim", lambda t, x, i, dim=None: t.take_along_dim(x, i, dim), _np_take_along,
            _s(([(3, 4)], lambda r: [I(np.array([[0, 3], [2, 2], [1, 0]]))], {"dim": 1}),
               ([(3, 4)], lambda r: [I(np.array([[2, 0, 1, 1]]))], {"dim": 0}),
               ([(3, 1)], lambda r: [I(np.array([[0, 0, 0]]))], {"dim": 1}),
               ([(3, 4)], lambda r: [I(np.array([11, 0, 5]))], {})),
            dtypes=("bool", "int64", "float32", "float64"), grad_fn="GatherBackward0",
            errors=[(lambda t: t.take_along_dim(t.zeros(3, 4), t.tensor([[1.]]), 1), RuntimeError,
                     "torch.take_along_dim(): dtype of indices should be Long but got Float"),
                    (lambda t: t.take_along_dim(t.zeros(3, 4), t.tensor([1]), 1), RuntimeError,
                     "torch.take_along_dim(): input and indices should have the same number of dimensions, but got 2 dimensions for input, and 1 dimensions for indices"),
                    (lambda t: t.take_along_dim(t.zeros(3, 4), t.tensor([[1]] * 2), 1), RuntimeError,
                     "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0"),
                    (lambda t: t.take_along_dim(t.zeros(3, 4), t.tensor([13])), RuntimeError,
                     "index 13 is out of bounds for dimension 0 with size 12")]),
    ShapeOp("slice_scatter", lambda t, x, s, *a: t.slice_scatter(x, s, *a), _np_slice_scatter,
            _s(([(4, 3), (2, 3)], lambda r: [0, 1, 3], {}), ([(4, 6), (4, 2)], lambda r: [1, 1, None, 3], {}),
               ([(4, 3), (4, 3)], None, {})),
            dtypes=("bool", "int64", "float32", "float64"), grad_fn="SliceScatterBackward0",
            errors=[(lambda t: t.slice_scatter(t.zeros(3, 4), t.ones(2, 4), 0, 0, 3), RuntimeError,
                     "expected src to have a size equal to the slice of self. src size = [2, 4], slice size = [3, 4]")]),
    ShapeOp("select_scatter", lambda t, x, s, dim, i: t.select_scatter(x, s, dim, i), _np_select_scatter,
            _s(([(4, 3), (3,)], lambda r: [0, 2], {}), ([(2, 3, 4), (2, 3)], lambda r: [-1, -1], {})),
            dtypes=("bool", "int64", "float32", "float64"), grad_fn="SelectScatterBackward0",
            errors=[(lambda t: t.select_scatter(t.zeros(3, 4), t.ones(3), 0, 0), RuntimeError,
                     "expected src to have a size equal to the slice of self. src size = [3], slice size = [4]"),
                    (lambda t: t.select_scatter(t.zeros(3, 4), t.ones(4), 0, 5), IndexError,
                     "select(): index 5 out of range for tensor of size [3, 4] at dimension 0")]),
    ShapeOp("diagonal_scatter", lambda t, x, s, *a: t.diagonal_scatter(x, s, *a), _np_diagonal_scatter,
            _s(([(3, 4), (3,)], None, {}), ([(3, 4), (2,)], lambda r: [2], {}), ([(2, 3, 4), (3, 2)], lambda r: [-1, 2, 0], {})),
            dtypes=("bool", "int64", "float32", "float64"), grad_fn="DiagonalScatterBackward0",
            errors=[(lambda t: t.diagonal_scatter(t.zeros(3, 4), t.ones(4), 0), RuntimeError,
                     "expected src to have a size equal to the slice of self. src size = [4], slice size = [3]")]),
    ShapeOp("as_strided_scatter", lambda t, x, s, *a: t.as_strided_scatter(x, s, *a), _np_as_strided_scatter,
            _s(([(3, 4), (3,)], lambda r: [(3,), (5,)], {}), ([(3, 4), (2, 2)], lambda r: [(2, 2), (1, 4), 1], {})),
            dtypes=("int64", "float32", "float64"), grad_fn="AsStridedScatterBackward0",
            errors=[(lambda t: t.as_strided_scatter(t.zeros(3, 4), t.ones(4), (3,), (1,)), RuntimeError,
                     "expected src to have a size equal to the slice of self. src size = [4], slice size = [3]")]),
    ShapeOp("fill_diagonal_", lambda t, x, v, **kw: (x * 1).fill_diagonal_(v, **kw), _np_fill_diagonal,
            _s(([(3, 4)], lambda r: [2], {}), ([(7, 3)], lambda r: [2], {"wrap": True}),
               ([(7, 3)], lambda r: [2], {}), ([(3, 3, 3)], lambda r: [-1], {})),
            dtypes=("int64", "float32", "float64"), grad_fn="CopySlices",
            errors=[(lambda t: t.zeros(2, 3, 4).fill_diagonal_(1), RuntimeError, "all dimensions of input must be of equal length"),
                    (lambda t: t.zeros(2).fill_diagonal_(1), RuntimeError, "dimensions must larger than 1")]),
    ShapeOp("argwhere", lambda t, x: t.argwhere(x), lambda x: np.argwhere(x).astype(np.int64),
            _s(([(3, 4)], None, {}), ([()], None, {}), ([(0, 2)], None, {})),
            dtypes=("bool", "int64", "float32")),
    ShapeOp("isin", lambda t, x, y, **kw: t.isin(x, y, **kw), lambda x, y, **kw: np.isin(x, y, **kw),
            lambda rng, dt: [([D(rng.integers(0, 6, (3, 4)).astype(dt)), I(rng.integers(0, 6, (5,)).astype(dt))], {}),
                             ([D(rng.integers(0, 6, (3, 4)).astype(dt)), I(rng.integers(0, 6, (2, 3)).astype(dt))], {"invert": True}),
                             ([D(rng.integers(0, 6, (4,)).astype(dt)), I(np.zeros(0, dt))], {}),
                             ([D(rng.integers(0, 6, (4,)).astype(dt)), 3], {})],
            dtypes=("uint8", "int32", "int64", "float32", "float64"),
            errors=[(lambda t: t.isin(1, 2), TypeError, "isin() received an invalid combination of arguments"),
                    (lambda t: t.isin(t.tensor([1j]), t.tensor([1j])), RuntimeError,
                     "Unsupported input type encountered for isin(): ComplexFloat"),
                    (lambda t: t.isin(t.tensor([True]), t.tensor([True])), RuntimeError,
                     "Unsupported input type encountered for isin(): Bool")]),
    ShapeOp("nonzero_static", lambda t, x, **kw: t.nonzero_static(x, **kw), _np_nonzero_static,
            _s(([(3, 4)], None, {"size": 4}), ([(3, 4)], None, {"size": 20, "fill_value": -7}), ([(3,)], None, {"size": 0})),
            dtypes=("bool", "int64", "float32"),
            errors=[(lambda t: t.nonzero_static(t.tensor([1, 0]), size=-1), RuntimeError,
                     "nonzero_static: 'size' must be an non-negative integer"),
                    (lambda t: t.nonzero_static(t.tensor([1, 0]), size=2.5), TypeError,
                     "nonzero_static(): argument 'size' must be int, not float")]),
    ShapeOp("unravel_index", lambda t, i, shape: t.unravel_index(i, shape),
            lambda i, shape: tuple(a.astype(np.int64) for a in np.unravel_index(i, shape)),
            lambda rng, dt: [([I(np.array([[0, 5], [3, 4]], dtype=dt)), (2, 3)], {}),
                             ([I(np.array(23, dtype=dt)), (2, 3, 4)], {})],
            dtypes=("int32", "int64"),
            errors=[(lambda t: t.unravel_index(t.tensor([1.]), (2, 3)), TypeError,
                     "expected 'indices' to be integer dtype, but got torch.float32"),
                    (lambda t: t.unravel_index(t.tensor([1]), (2, -3)), ValueError,
                     "'shape' cannot have negative values, but got (2, -3)"),
                    (lambda t: t.unravel_index(t.tensor([1]), 5.0), TypeError,
                     "expected 'shape' to be int or sequence of ints, but got <class 'float'>"),
                    (lambda t: t.unravel_index(t.tensor([1]), (2.5,)), TypeError,
                     "expected 'shape' sequence to only contain ints, but got <class 'float'>")]),
    ShapeOp("masked_select_broadcast_both", lambda t, x, m: t.masked_select(x, m),
            lambda x, m: np.broadcast_to(x, np.broadcast(x, m).shape)[np.broadcast_to(m, np.broadcast(x, m).shape)],
            _s(([(1, 4)], _mask((3, 1), 7), {})), dtypes=("float32", "float64"), grad_fn="MaskedSelectBackward0",
            errors=[(lambda t: t.masked_select(t.zeros(3, 4), t.zeros(5, dtype=t.bool)), RuntimeError,
                     "The size of tensor a (5) must match the size of tensor b (4) at non-singleton dimension 1"),
                    (lambda t: t.take(t.zeros(3), t.tensor([1.])), RuntimeError,
                     "take(): Expected a long tensor for index, but got Float")]),
]
