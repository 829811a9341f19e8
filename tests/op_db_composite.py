"""The table of shape utilities and composite ops (broadcasting helpers,
h/v/d splits and stacks, meshgrid, cartesian_prod, combinations, block_diag,
diagflat, diff, gradient, trapezoid, cumulative_trapezoid, tensordot, inner,
cdist, pdist, cov, corrcoef, histogramdd, unique_consecutive, unique(dim=),
adjoint/H/mH, strided allocation, the spectral windows), in
tests/op_db_shape.py's format and run by tests/test_shape.py's driver.

The references are numpy's, scipy's and itertools'. `close` marks ops whose
float results are compared within tolerances (their sums run in another
order than numpy's). Ops that return sizes, flags or strides give them as
int64 tensors here, so that the driver compares them as values."""
import itertools
import warnings
from dataclasses import dataclass

import numpy as np
import scipy.integrate
import scipy.linalg
import scipy.signal.windows as windows
import scipy.spatial.distance as distance

from tests.op_db_shape import ALL, REAL, FLOATS, D, I, ShapeOp, arr, _s, _np_split, _np_chunk


@dataclass
class CompositeOp(ShapeOp):
    close: bool = False                 # float results compared within tolerances


OPS = []


def op(*a, **kw):
    OPS.append(CompositeOp(*a, **kw))


def _i(a):
    return np.array(a, dtype=np.int64)


# ------------------------------------------------------------ broadcasting

def _np_broadcast_to(x, size):
    size = tuple(x.shape[i - len(size) + x.ndim] if s == -1 else s for i, s in enumerate(size))
    return np.broadcast_to(x, size)


op("broadcast_to", lambda t, x, s: t.broadcast_to(x, s), _np_broadcast_to,
   _s(([(3,)], lambda r: [(2, 3)], {}), ([(3, 1)], lambda r: [(3, 4)], {}),
      ([()], lambda r: [(2, 2)], {}), ([(2, 1, 3)], lambda r: [(4, 2, -1, 3)], {})),
   grad_fn="ExpandBackward0",
   errors=[(lambda t: t.broadcast_to(t.zeros(3), 3), TypeError,
            "broadcast_to(): argument 'size' (position 2) must be tuple of ints, not int"),
           (lambda t: t.broadcast_to(t.zeros(3), (2, 4)), RuntimeError,
            "The expanded size of the tensor (4) must match the existing size (3) at non-singleton "
            "dimension 1.  Target sizes: [2, 4].  Tensor sizes: [3]"),
           (lambda t: t.zeros(3, 1).broadcast_to((3,)), RuntimeError,
            "the number of sizes provided (1) must be greater or equal to the number of dimensions "
            "in the tensor (2)")])
op("broadcast_tensors", lambda t, *xs: t.broadcast_tensors(*xs), lambda *xs: tuple(np.broadcast_arrays(*xs)),
   _s(([(3, 1), (1, 4)], None, {}), ([(2, 1, 3), (4, 1)], None, {}), ([(3, 1), (1, 2), (2, 1, 1)], None, {})),
   grad_fn="ExpandBackward0",
   errors=[(lambda t: t.broadcast_tensors(t.zeros(3), t.zeros(4)), RuntimeError,
            "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0"),
           (lambda t: t.broadcast_tensors([t.zeros(3)]), TypeError,
            "expected Tensor as element 0 in argument 0, but got list")])
op("broadcast_shapes", lambda t, *s: t.tensor(list(t.broadcast_shapes(*s)), dtype=t.int64),
   lambda *s: _i(np.broadcast_shapes(*[(x,) if isinstance(x, int) else x for x in s])),
   lambda rng, dt: [([(3, 1), (4,)], {}), ([(2, 1, 3), (5, 1), 3], {}), ([3, 1], {}), ([(0, 1), (4,)], {}),
                    ([], {})],
   dtypes=("int64",),
   errors=[(lambda t: t.broadcast_shapes((3,), (4,)), RuntimeError,
            "Attempting to broadcast a dimension of length 4 at -1! Mismatching argument at index 1 "
            "had (4,); but expected shape should be broadcastable to [3]"),
           (lambda t: t.broadcast_shapes((-1,), (3,)), ValueError,
            "Attempting to broadcast a dimension with negative length!")])
op("is_same_size", lambda t, x, y: t.tensor(x.is_same_size(y)), lambda x, y: np.array(x.shape == y.shape),
   _s(([(2, 3), (2, 3)], None, {}), ([(2, 3), (3, 2)], None, {}), ([(), (1,)], None, {})),
   dtypes=("float32",))

# --------------------------------------------------------- splits, stacks

op("hsplit", lambda t, x, s: t.hsplit(x, s), lambda x, s: tuple(np.hsplit(x, s)),
   _s(([(4, 6)], lambda r: [3], {}), ([(6,)], lambda r: [2], {}), ([(4, 6)], lambda r: [[1, 4]], {}),
      ([(2, 5, 3)], lambda r: [[2, 7]], {})),
   grad_fn="SliceBackward0", view=True,
   errors=[(lambda t: t.hsplit(t.zeros(3, 3), 2), RuntimeError,
            "torch.hsplit attempted to split along dimension 1, but the size of the dimension 3 is "
            "not divisible by the split_size 2!"),
           (lambda t: t.hsplit(t.zeros(()), 2), RuntimeError,
            "torch.hsplit requires a tensor with at least 1 dimension, but got a tensor with 0 dimensions!")])
op("vsplit", lambda t, x, s: x.vsplit(s), lambda x, s: tuple(np.vsplit(x, s)),
   _s(([(6, 2)], lambda r: [3], {}), ([(4, 3)], lambda r: [[1]], {})),
   grad_fn="SliceBackward0", view=True,
   errors=[(lambda t: t.vsplit(t.zeros(3), 2), RuntimeError,
            "torch.vsplit requires a tensor with at least 2 dimension, but got a tensor with 1 dimensions!")])
op("dsplit", lambda t, x, s: t.dsplit(x, s), lambda x, s: tuple(np.dsplit(x, s)),
   _s(([(2, 2, 4)], lambda r: [2], {}), ([(2, 1, 4)], lambda r: [[3]], {})),
   grad_fn="SliceBackward0", view=True,
   errors=[(lambda t: t.dsplit(t.zeros(3, 3), 2), RuntimeError,
            "torch.dsplit requires a tensor with at least 3 dimension, but got a tensor with 2 dimensions!"),
           (lambda t: t.dsplit(t.zeros(3, 3, 3), 2), RuntimeError,
            "torch.dsplit attempted to split along dimension 2, but the size of the dimension 3 is not "
            "divisible by the split_size 2!")])
op("dstack", lambda t, *xs: t.dstack(xs), lambda *xs: np.dstack(xs),
   _s(([(2, 3), (2, 3)], None, {}), ([(3,), (3,)], None, {}), ([(2, 3, 1), (2, 3, 2)], None, {}),
      ([(), ()], None, {})),
   grad_fn="CatBackward0",
   errors=[(lambda t: t.dstack([]), RuntimeError, "dstack expects a non-empty TensorList"),
           (lambda t: t.dstack([t.zeros(3), t.zeros(4)]), RuntimeError,
            "Sizes of tensors must match except in dimension 2. Expected size 3 but got size 4 for "
            "tensor number 1 in the list.")])
op("column_stack", lambda t, *xs: t.column_stack(xs), lambda *xs: np.column_stack(xs),
   _s(([(3,), (3, 2)], None, {}), ([(2,), (2,)], None, {}), ([(), ()], None, {})),
   grad_fn="CatBackward0",
   errors=[(lambda t: t.column_stack([]), RuntimeError, "column_stack expects a non-empty TensorList"),
           (lambda t: t.column_stack([t.zeros(3), t.zeros(4)]), RuntimeError,
            "Sizes of tensors must match except in dimension 1. Expected size 3 but got size 4 for "
            "tensor number 1 in the list.")])
op("atleast_3d", lambda t, *xs: t.atleast_3d(*xs),
   lambda *xs: np.atleast_3d(*xs) if len(xs) == 1 else tuple(np.atleast_3d(*xs)),
   _s(([(3,)], None, {}), ([(2, 3)], None, {}), ([(2,), (2, 2)], None, {})),
   grad_fn="UnsqueezeBackward0", view=True)
op("atleast_3d_0d", lambda t, *xs: t.atleast_3d(xs), lambda *xs: (np.atleast_3d(*xs),),
   _s(([()], None, {}),), grad_fn="ViewBackward0")
op("atleast_3d_high", lambda t, x: t.atleast_3d(x), np.atleast_3d,
   _s(([(2, 3, 4, 1)], None, {}),), dtypes=("float32",))
op("split_with_sizes", lambda t, x, s, dim=0: t.split_with_sizes(x, s, dim), _np_split,
   _s(([(5, 3)], lambda r: [[1, 4]], {}), ([(2, 6)], lambda r: [(3, 0, 3)], {"dim": 1})),
   grad_fn="SplitWithSizesBackward0", view=True,
   errors=[(lambda t: t.zeros(4, 3).split_with_sizes([1, 1]), RuntimeError,
            "split_with_sizes expects split_sizes to sum exactly to 4 (input tensor's size at dimension 0), "
            "but got split_sizes=[1, 1]"),
           (lambda t: t.split_with_sizes(t.zeros(4), 2), TypeError, "must be tuple of ints, not int")])
op("unsafe_split", lambda t, x, s, dim=0: t.unsafe_split(x, s, dim), _np_split,
   _s(([(5, 3)], lambda r: [2], {}), ([(2, 6)], lambda r: [3], {"dim": 1})),
   grad_fn="UnsafeSplitBackward0",
   errors=[(lambda t: t.unsafe_split(t.zeros(4, 3), 0), RuntimeError,
            "split_size can only be 0 if dimension size is 0, but got dimension size of 4")])
op("unsafe_chunk", lambda t, x, c, dim=0: x.unsafe_chunk(c, dim), _np_chunk,
   _s(([(5, 3)], lambda r: [3], {}), ([(2, 6)], lambda r: [4], {"dim": -1})),
   grad_fn="UnsafeSplitBackward0",
   errors=[(lambda t: t.zeros(3).unsafe_chunk(0), RuntimeError, "chunk expects `chunks` to be greater than 0, got: 0")])
op("unsafe_split_with_sizes", lambda t, x, s, dim=0: x.unsafe_split_with_sizes(s, dim), _np_split,
   _s(([(5, 3)], lambda r: [[1, 4]], {}), ([(2, 6)], lambda r: [[3, 0, 3]], {"dim": 1})),
   grad_fn="UnsafeSplitWithSizesBackward0")

# ----------------------------------------------------------------- unique

def _np_unique_consecutive(x, return_inverse=False, return_counts=False, dim=None):
    if dim is None:
        rows, shape = x.reshape(-1, 1), x.shape
    else:
        rows = np.moveaxis(x, dim, 0).reshape(x.shape[dim], -1)
    starts = [i for i in range(len(rows)) if i == 0 or not np.array_equal(rows[i], rows[i - 1])]
    if dim is None:
        vals = x.reshape(-1)[starts]
    else:
        vals = np.take(x, starts, axis=dim)
    out = [vals]
    if return_inverse:
        inv = _i(np.cumsum([i in starts for i in range(len(rows))]) - 1) if len(rows) else _i([])
        out.append(inv.reshape(shape) if dim is None else inv)
    if return_counts:
        out.append(_i(np.diff(starts + [len(rows)])) if starts else _i([]))
    return out[0] if len(out) == 1 else tuple(out)


def _runs(rng, shape, dt):
    return np.repeat(rng.integers(0, 3, shape), 2, axis=0).astype(dt)


op("unique_consecutive", lambda t, x, **kw: t.unique_consecutive(x, **kw), _np_unique_consecutive,
   lambda rng, dt: [([D(_runs(rng, (5,), dt))], {}),
                    ([D(_runs(rng, (3, 4), dt))], {"return_inverse": True, "return_counts": True}),
                    ([D(_runs(rng, (3, 2), dt))], {"dim": 0, "return_inverse": True, "return_counts": True}),
                    ([D(_runs(rng, (3, 2), dt).T.copy())], {"dim": 1, "return_counts": True}),
                    ([D(_runs(rng, (1, 3), dt)[:1])], {"dim": 0, "return_inverse": True, "return_counts": True}),
                    ([D(np.zeros(0, dt))], {"return_inverse": True, "return_counts": True})],
   dtypes=REAL,
   errors=[(lambda t: t.unique_consecutive(t.zeros(3, dtype=t.complex64)), NotImplementedError,
            "\"unique\" not implemented for 'ComplexFloat'"),
           (lambda t: t.zeros(3, 3).unique_consecutive(dim=2), IndexError,
            "Dimension out of range (expected to be in range of [-2, 1], but got 2)"),
           (lambda t: t.unique_consecutive(t.zeros(0, 3), dim=1), RuntimeError,
            "There are 0 sized dimensions, and they aren't selected, so unique cannot be applied")])


def _np_unique_dim(x, dim, **kw):
    r = np.unique(x, axis=dim, **kw)
    if not kw:
        return r
    return tuple([r[0]] + [_i(a).reshape(-1) for a in r[1:]])


op("unique_dim", lambda t, x, dim, **kw: t.unique(x, dim=dim, **kw), _np_unique_dim,
   lambda rng, dt: [([D(rng.integers(0, 2, (6, 2)).astype(dt)), 0], {}),
                    ([D(rng.integers(0, 2, (6, 3)).astype(dt)), 0], {"return_inverse": True, "return_counts": True}),
                    ([D(rng.integers(0, 2, (2, 5, 2)).astype(dt)), 1], {"return_inverse": True}),
                    ([D(rng.integers(0, 2, (3, 4)).astype(dt)), -1], {"return_counts": True}),
                    # past the sort's runs of 8: merges of runs, many equal rows
                    ([D(rng.integers(0, 3, (70, 3)).astype(dt)), 0], {"return_inverse": True, "return_counts": True}),
                    ([D(rng.integers(-1, 2, (2, 45, 2)).astype(dt)), 1], {"return_inverse": True})],
   dtypes=REAL,
   errors=[(lambda t: t.unique(t.zeros(3, dtype=t.complex64), dim=0), NotImplementedError,
            "\"unique_dim\" not implemented for 'ComplexFloat'"),
           (lambda t: t.unique(t.zeros(()), dim=0), IndexError,
            "Dimension specified as 0 but tensor has no dimensions")])

# ----------------------------------------------- meshgrid, products of sets

op("meshgrid", lambda t, *xs, indexing="ij": t.meshgrid(*xs, indexing=indexing),
   lambda *xs, indexing="ij": tuple(np.meshgrid(*xs, indexing=indexing)),
   _s(([(3,), (4,)], None, {}), ([(3,), (4,)], None, {"indexing": "xy"}),
      ([(2,), (3,), (4,)], None, {"indexing": "xy"}), ([(2,), (1,), (3,)], None, {}), ([(3,)], None, {})),
   grad_fn="ExpandBackward0",
   errors=[(lambda t: t.meshgrid(t.zeros(3), t.zeros(2, 2), indexing="ij"), RuntimeError,
            "torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got"),
           (lambda t: t.meshgrid(t.zeros(3), t.zeros(2), indexing="foo"), RuntimeError,
            "torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: foo"),
           (lambda t: t.meshgrid(t.zeros(3), t.zeros(2, dtype=t.float64), indexing="ij"), RuntimeError,
            "meshgrid expects all tensors to have the same dtype"),
           (lambda t: t.meshgrid([], indexing="ij"), RuntimeError, "meshgrid expects a non-empty TensorList")])
op("cartesian_prod", lambda t, *xs: t.cartesian_prod(*xs),
   lambda *xs: np.array(list(itertools.product(*xs)), dtype=xs[0].dtype).reshape(-1, len(xs)),
   _s(([(3,), (2,)], None, {}), ([(2,), (2,), (3,)], None, {}), ([(2,), (0,)], None, {})),
   grad_fn="StackBackward0",
   errors=[(lambda t: t.cartesian_prod(t.zeros(3), t.zeros(2, 2)), RuntimeError,
            "Expect a 1D vector, but got shape [2, 2]")])
op("combinations",
   lambda t, x, r=2, with_replacement=False: t.combinations(x, r, with_replacement),
   lambda x, r=2, with_replacement=False: np.array(
       list((itertools.combinations_with_replacement if with_replacement else itertools.combinations)(x, r)),
       dtype=x.dtype).reshape(-1, r),
   _s(([(4,)], None, {}), ([(4,)], None, {"r": 3, "with_replacement": True}), ([(3,)], None, {"r": 1}),
      ([(2,)], None, {"r": 3})),
   grad_fn="StackBackward0",
   errors=[(lambda t: t.combinations(t.zeros(3, 3)), RuntimeError, "Expect a 1D vector, but got shape [3, 3]"),
           (lambda t: t.combinations(t.zeros(3), -1), RuntimeError, "Expect a non-negative number, but got -1")])

# ------------------------------------------------------- block_diag, diagflat

op("block_diag", lambda t, *xs: t.block_diag(*xs), lambda *xs: scipy.linalg.block_diag(*xs),
   _s(([(2, 3), (1, 2)], None, {}), ([(2,), (), (2, 2)], None, {}), ([(2, 0), (1, 1)], None, {})),
   grad_fn="BlockDiagBackward0",
   errors=[(lambda t: t.block_diag(t.zeros(2, 2, 2)), RuntimeError,
            "torch.block_diag: Input tensors must have 2 or fewer dimensions. Input 0 has 3 dimensions")])
op("diagflat", lambda t, x, offset=0: t.diagflat(x, offset), lambda x, offset=0: np.diagflat(x, offset),
   _s(([(2, 2)], None, {}), ([(3,)], None, {"offset": 1}), ([(3,)], None, {"offset": -2}), ([()], None, {})),
   grad_fn="DiagEmbedBackward0")

# --------------------------------------------- differences and integrals

op("diff", lambda t, x, *ex, n=1, dim=-1, pre=False: x.diff(n, dim, *((ex[0], ex[1]) if pre else ex)),
   lambda x, *ex, n=1, dim=-1, pre=False: np.diff(x, n, dim, **({"prepend": ex[0], "append": ex[1]} if pre else {})),
   _s(([(5,)], None, {}), ([(3, 4)], None, {"n": 2, "dim": 0}), ([(3, 4), (3, 1), (3, 2)], None, {"pre": True}),
      ([(2, 3)], None, {"n": 5})),
   dtypes=ALL, grad_fn="SubBackward0",
   errors=[(lambda t: t.diff(t.zeros(())), RuntimeError, "diff expects input to be at least one-dimensional"),
           (lambda t: t.diff(t.zeros(3), -1), RuntimeError, "order must be non-negative but got -1"),
           (lambda t: t.diff(t.zeros(3), prepend=t.zeros(2, 2)), RuntimeError,
            "diff expects prepend or append to be the same dimension as input"),
           (lambda t: t.diff(t.zeros(3, 2), dim=1, prepend=t.zeros(2, 3)), RuntimeError,
            "diff expects the shape of tensor to prepend or append to match that of input except along the "
            "differencing dimension; input.size(0) = 3, but got tensor.size(0) = 2")])


def _np_gradient(x, *coords, spacing=None, dim=None, edge_order=1):
    sp = list(coords) if coords else ([] if spacing is None else
                                      (spacing if isinstance(spacing, list) else [spacing]))
    r = np.gradient(x, *sp, axis=dim, edge_order=edge_order)
    return tuple(r) if isinstance(r, (list, tuple)) else (r,)


def _gradient_samples(rng, dt):
    coords = np.cumsum(rng.random(5) + 0.5).astype(dt)
    return [([D(arr(rng, (5,), dt))], {}),
            ([D(arr(rng, (4, 5), dt))], {"spacing": 2.0}),
            ([D(arr(rng, (4, 5), dt))], {"spacing": [0.5, 3.0], "edge_order": 2}),
            ([D(arr(rng, (4, 5), dt)), I(coords)], {"dim": 1}),
            ([D(arr(rng, (3, 5), dt)), I(coords)], {"dim": -1, "edge_order": 2})]


op("gradient",
   lambda t, x, *coords, **kw: t.gradient(x, **({**kw, "spacing": list(coords)} if coords else kw)),
   _np_gradient, _gradient_samples, dtypes=FLOATS, grad_fn="CatBackward0", close=True,
   errors=[(lambda t: t.gradient(t.zeros(1)), RuntimeError,
            "torch.gradient expected each dimension size to be at least edge_order+1"),
           (lambda t: t.gradient(t.zeros(3), edge_order=3), RuntimeError,
            "torch.gradient only supports edge_order=1 and edge_order=2."),
           (lambda t: t.gradient(t.zeros(3), spacing=[1., 2.]), RuntimeError,
            "torch.gradient expected spacing to be unspecified, a scalar, or a list of length equal to "
            "'self.dim() = 1', since dim argument was not given, but got a list of length 2"),
           (lambda t: t.gradient(t.zeros(3, 3), dim=[0, 0]), RuntimeError,
            "dim 0 appears multiple times in the list of dims"),
           (lambda t: t.gradient(t.zeros(3), spacing=t.ones(3)), TypeError,
            "gradient() received an invalid combination of arguments")])
op("gradient_int", lambda t, x: t.gradient(x), lambda x: (np.gradient(x).astype(np.float32),),
   _s(([(5,)], None, {}),), dtypes=("int64", "int32"))


def _np_trapezoid(y, x=None, dx=1.0, dim=-1):
    return np.trapezoid(y, x, dx=dx, axis=dim)


op("trapezoid", lambda t, y, dx=None, dim=-1: t.trapezoid(y, dim=dim, **({} if dx is None else {"dx": dx})),
   lambda y, dx=None, dim=-1: _np_trapezoid(y, dx=1.0 if dx is None else dx, dim=dim),
   _s(([(5,)], None, {}), ([(3, 4)], None, {"dx": 0.5, "dim": 0}), ([(2, 3, 4)], None, {"dim": 1})),
   dtypes=FLOATS, grad_fn="MulBackward1", close=True,
   errors=[(lambda t: t.trapezoid(t.zeros(())), IndexError, "Dimension specified as -1 but tensor has no dimensions"),
           (lambda t: t.trapezoid(t.zeros(3), t.zeros(4)), RuntimeError,
            "trapezoid: There must be one `x` value for each sample point"),
           (lambda t: t.trapezoid(t.zeros(4, 5), t.zeros(5, 1)), RuntimeError,
            "The size of tensor a (4) must match the size of tensor b (0) at non-singleton dimension 1"),
           (lambda t: t.trapezoid(t.zeros(3), 2), TypeError,
            "trapezoid() received an invalid combination of arguments - got (Tensor, int)"),
           (lambda t: t.trapezoid(t.zeros(3), t.zeros(3), dx=2), TypeError,
            "trapezoid() received an invalid combination of arguments - got (Tensor, Tensor, dx=int)")])
op("trapezoid_x", lambda t, y, x, dim=-1: t.trapezoid(y, x, dim=dim),
   lambda y, x, dim=-1: _np_trapezoid(y, x, dim=dim),
   _s(([(5,), (5,)], None, {}), ([(3, 4), (3,)], None, {"dim": 0}), ([(3, 4), (3, 4)], None, {})),
   dtypes=FLOATS, grad_fn="DivBackward1", close=True)
op("trapz", lambda t, y, x: t.trapz(y, x), lambda y, x: _np_trapezoid(y, x),
   _s(([(4,), (4,)], None, {}),), dtypes=FLOATS, grad_fn="DivBackward1", close=True)
op("trapezoid_int", lambda t, y: t.trapezoid(y), lambda y: _np_trapezoid(y).astype(np.float32 if y.size else y.dtype),
   _s(([(4,)], None, {}), ([(0,)], None, {}), ([(2, 0)], None, {})), dtypes=("int64",))
op("trapezoid_bool_empty", lambda t, y: t.trapezoid(y), lambda y: np.zeros(y.shape[:-1], y.dtype),
   _s(([(0,)], None, {}), ([(2, 0)], None, {})), dtypes=("bool",),
   errors=[(lambda t: t.trapezoid(t.tensor([True, False])), RuntimeError,
            "trapezoid: received a bool input for `y`, but bool is not supported"),
           (lambda t: t.trapezoid(t.ones(2), t.tensor([True, False])), RuntimeError,
            "trapezoid: received a bool input for `x` or `y`, but bool is not supported"),
           (lambda t: t.cumulative_trapezoid(t.zeros(0, dtype=t.bool)), RuntimeError,
            "cumulative_trapezoid: received a bool input for `y`, but bool is not supported")])
op("cumulative_trapezoid",
   lambda t, y, dx=None, dim=-1: t.cumulative_trapezoid(y, dim=dim, **({} if dx is None else {"dx": dx})),
   lambda y, dx=None, dim=-1: scipy.integrate.cumulative_trapezoid(y, dx=1.0 if dx is None else dx, axis=dim).astype(y.dtype),
   _s(([(5,)], None, {}), ([(3, 4)], None, {"dx": 0.5, "dim": 0})),
   dtypes=FLOATS, grad_fn="CumsumBackward0", close=True,
   errors=[(lambda t: t.cumulative_trapezoid(t.zeros(())), IndexError,
            "slice() cannot be applied to a 0-dim tensor.")])
op("cumulative_trapezoid_x", lambda t, y, x, dim=-1: t.cumulative_trapezoid(y, x, dim=dim),
   lambda y, x, dim=-1: scipy.integrate.cumulative_trapezoid(y, x, axis=dim).astype(y.dtype),
   _s(([(5,), (5,)], None, {}), ([(3, 4), (3, 4)], None, {"dim": 0})),
   dtypes=FLOATS, grad_fn="DivBackward1", close=True)

# ---------------------------------------------------------- contractions

MM = ("float32", "float64", "complex128", "int64")
op("tensordot", lambda t, a, b, dims=2: t.tensordot(a, b, dims), lambda a, b, dims=2: np.tensordot(a, b, dims),
   _s(([(3, 4, 5), (4, 5, 2)], None, {}), ([(3, 4), (4, 5)], None, {"dims": 1}),
      ([(3, 4), (4, 3)], None, {"dims": ([1, 0], [0, 1])}), ([(2, 3), (4,)], None, {"dims": 0}),
      ([(2, 3, 4), (4, 2)], None, {"dims": ([0, 2], [1, 0])})),
   dtypes=MM, grad_fn="ViewBackward0", close=True,
   errors=[(lambda t: t.tensordot(t.zeros(3, 4), t.zeros(5, 6), 1), RuntimeError,
            "contracted dimensions need to match, but first has size 4 in dim -1 and second has size 5 in dim 0"),
           (lambda t: t.tensordot(t.zeros(3, 4), t.zeros(4, 6), -1), RuntimeError,
            "tensordot expects dims >= 0, but got dims=-1"),
           (lambda t: t.tensordot(t.zeros(3, 4), t.zeros(4, 6), ([0], [0, 1])), RuntimeError,
            "both dimension lists should have same length"),
           (lambda t: t.tensordot(t.zeros(3, 4), t.zeros(4, 6, dtype=t.float64), 1), RuntimeError,
            "both inputs should have same dtype"),
           (lambda t: t.tensordot(t.zeros(3, 4), t.zeros(4, 6), 3), RuntimeError,
            "tensordot expects dims < ndim_a or ndim_b, but got dims=3")])
op("inner", lambda t, a, b: t.inner(a, b), np.inner,
   _s(([(3, 4), (5, 4)], None, {}), ([(4,), (4,)], None, {}), ([(2, 3, 4), (4,)], None, {})),
   dtypes=MM, grad_fn="ViewBackward0", close=True,
   errors=[(lambda t: t.inner(t.zeros(3, 4), t.zeros(5)), RuntimeError,
            "inner() the last dimension must match on both input tensors but got shapes [3, 4] and [5]")])
op("inner_scalar", lambda t, a, b: a.inner(b), np.inner,
   _s(([(), (3, 2)], None, {}),), dtypes=FLOATS, grad_fn="MulBackward0", close=True)

# -------------------------------------------------------------- distances

def _np_cdist(a, b, p=2.0, **_):
    if a.ndim == 2:
        if p >= 1 and p != np.inf:
            return distance.cdist(a, b, "minkowski", p=p).astype(a.dtype)
    return np.linalg.norm(a[..., :, None, :] - b[..., None, :, :], ord=p, axis=-1).astype(a.dtype)


op("cdist", lambda t, a, b, **kw: t.cdist(a, b, **kw), _np_cdist,
   _s(([(4, 3), (5, 3)], None, {}), ([(4, 3), (5, 3)], None, {"p": 1.0}), ([(4, 3), (2, 3)], None, {"p": 3.0}),
      ([(4, 2), (3, 2)], None, {"p": 0.5}), ([(3, 2), (4, 2)], None, {"p": float("inf")}),
      ([(3, 2), (2, 2)], None, {"p": 0.0}), ([(2, 3, 2), (1, 4, 2)], None, {}),
      ([(3, 2), (4, 2)], None, {"compute_mode": "donot_use_mm_for_euclid_dist"}),
      # eight rows of x2 and more: the kernel's blocked loops
      ([(4, 3), (10, 3)], None, {"p": 1.0}), ([(3, 5), (12, 5)], None, {"p": 0.5}),
      ([(3, 4), (9, 4)], None, {"p": float("inf")}), ([(3, 2), (9, 2)], None, {"p": 0.0}),
      ([(2, 3, 2), (1, 9, 2)], None, {}), ([(5, 3), (8, 3)], None, {"p": 2.5})),
   dtypes=FLOATS, grad_fn="CdistBackward0", close=True,
   errors=[(lambda t: t.cdist(t.zeros(3), t.zeros(3)), RuntimeError, "cdist only supports at least 2D tensors, X1 got: 1D"),
           (lambda t: t.cdist(t.zeros(3, 2), t.zeros(3, 3)), RuntimeError,
            "X1 and X2 must have the same number of columns. X1: 2 X2: 3"),
           (lambda t: t.cdist(t.zeros(3, 2), t.zeros(3, 2), p=-1), RuntimeError, "cdist only supports non-negative p values"),
           (lambda t: t.cdist(t.zeros(3, 2, dtype=t.int64), t.zeros(3, 2, dtype=t.int64)), RuntimeError,
            "cdist only supports floating-point dtypes, X1 got: Long"),
           (lambda t: t.cdist(t.zeros(3, 2), t.zeros(3, 2, dtype=t.float64)), RuntimeError,
            "expected scalar type Float but found Double"),
           (lambda t: t.cdist(t.zeros(3, 2), t.zeros(3, 2), compute_mode="x"), ValueError,
            "x is not a valid value for compute_mode")])
op("cdist_mm", lambda t, a, b, **kw: t.cdist(a, b, **kw), _np_cdist,
   _s(([(26, 2), (3, 2)], None, {}), ([(4, 3), (5, 3)], None, {"compute_mode": "use_mm_for_euclid_dist"}),
      ([(2, 4, 3), (5, 3)], None, {"compute_mode": "use_mm_for_euclid_dist"})),
   dtypes=FLOATS, grad_fn="ViewBackward0", close=True)
def _np_pdist(x, p=2):
    return _np_cdist(x, x, p)[np.triu_indices(x.shape[0], 1)]


op("pdist", lambda t, x, p=2: t.pdist(x, p), _np_pdist,
   _s(([(5, 3)], None, {}), ([(4, 2)], None, {"p": 1}), ([(4, 3)], None, {"p": 3.5}), ([(1, 3)], None, {}),
      ([(10, 3)], None, {}), ([(9, 2)], None, {"p": 3.5}), ([(11, 3)], None, {"p": float("inf")}),
      ([(8, 2)], None, {"p": 0})),
   dtypes=FLOATS, grad_fn="PdistBackward0", close=True,
   errors=[(lambda t: t.pdist(t.zeros(3)), RuntimeError, "pdist only supports 2D tensors, got: 1D"),
           (lambda t: t.pdist(t.zeros(3, 2), p=-1), RuntimeError, "pdist only supports non-negative p values"),
           (lambda t: t.pdist(t.zeros(3, 2, dtype=t.int64)), RuntimeError, "pdist only supports floating-point dtypes")])

# --------------------------------------------------- covariance, correlation

def _cov_samples(rng, dt):
    wdt = "float32" if dt in ("float32", "complex64") else "float64"
    return [([D(arr(rng, (3, 6), dt))], {}),
            ([D(arr(rng, (6,), dt))], {"correction": 0}),
            ([D(arr(rng, (2, 5), dt)), I(rng.integers(0, 4, 5))], {}),
            ([D(arr(rng, (2, 5), dt)), None, I((rng.random(5) + 0.1).astype(wdt))], {"correction": 2}),
            ([D(arr(rng, (2, 5), dt)), I(rng.integers(1, 4, 5)), I((rng.random(5) + 0.1).astype(wdt))], {})]


def _ct_cov(t, x, fw=None, aw=None, **kw):
    return t.cov(x, fweights=fw, aweights=aw, **kw)


def _np_cov(x, fw=None, aw=None, correction=1):
    return np.asarray(np.cov(x, ddof=correction, fweights=fw, aweights=aw)).astype(x.dtype)


op("cov", _ct_cov, _np_cov, _cov_samples, dtypes=("float32", "float64", "complex64", "complex128"),
   grad_fn="SqueezeBackward0", close=True,
   errors=[(lambda t: t.cov(t.zeros(2, 2, 2)), RuntimeError,
            "cov(): expected input to have two or fewer dimensions but got an input with 3 dimensions"),
           (lambda t: t.corrcoef(t.ones(2, 3, dtype=t.bool)), RuntimeError,
            "cov(): bool dtype is not supported for input"),
           (lambda t: t.cov(t.zeros(2, 3), fweights=t.tensor([1., 2, 3])), RuntimeError,
            "cov(): expected fweights to have integral dtype but got fweights with Float dtype"),
           (lambda t: t.cov(t.zeros(2, 3), fweights=t.tensor([1, -2, 3])), RuntimeError,
            "cov(): fweights cannot be negative"),
           (lambda t: t.cov(t.zeros(2, 3), fweights=t.tensor([1, 2])), RuntimeError,
            "cov(): expected fweights to have the same numel as there are observations in the input but got 2 != 3"),
           (lambda t: t.cov(t.zeros(2, 3), aweights=t.tensor([1, 2, -3.])), RuntimeError,
            "cov(): aweights cannot be negative"),
           (lambda t: t.cov(t.zeros(2, 3), aweights=t.tensor([1, 2, 3])), RuntimeError,
            "cov(): expected aweights to have floating point dtype but got aweights with Long dtype")])
op("cov_int", lambda t, x: t.cov(x), lambda x: np.cov(x).astype(np.float32),
   _s(([(2, 5)], None, {}),), dtypes=("int64",), close=True)
op("corrcoef", lambda t, x: x.corrcoef(), lambda x: np.corrcoef(x).astype(x.dtype),
   _s(([(3, 6)], None, {}), ([(2, 4)], None, {})), dtypes=("float32", "float64", "complex128"),
   grad_fn="ClampBackward1", close=True,
   errors=[(lambda t: t.corrcoef(t.zeros(2, 2, 2)), RuntimeError,
            "corrcoef(): expected input to have two or fewer dimensions but got an input with 3 dimensions")])
op("corrcoef_1d", lambda t, x: t.corrcoef(x), lambda x: np.asarray(np.corrcoef(x)).astype(x.dtype),
   _s(([(6,)], None, {}),), dtypes=FLOATS, grad_fn="DivBackward0", close=True)

# ----------------------------------------------------------- histogramdd

def _ct_hdd(t, x, *edges, **kw):
    if edges:
        kw["bins"] = list(edges)
    r = t.histogramdd(x, **kw)
    assert type(r).__name__ == "histogramdd" and r.hist is r[0] and r.bin_edges is r[1]
    return (r.hist,) + tuple(r.bin_edges)


def _np_hdd(x, *edges, bins=10, range=None, weight=None, density=False):
    if edges:
        bins = list(edges)
    rng = None if range is None else [range[2 * k:2 * k + 2] for k in builtins_range(x.shape[-1])]
    h, e = np.histogramdd(x.reshape(-1, x.shape[-1]), bins, rng, density=density,
                          weights=None if weight is None else weight.reshape(-1))
    return (h.astype(x.dtype),) + tuple(a.astype(x.dtype) for a in e)


builtins_range = range


def _hdd_samples(rng, dt):
    x = rng.standard_normal((40, 2)).astype(dt)
    return [([D(x)], {"bins": 3}),
            ([D(rng.standard_normal((5, 6, 3)).astype(dt))], {"bins": [2, 3, 4], "range": [-1., 1., -2., 2., 0., 1.]}),
            ([D(x)], {"bins": [4, 2], "weight": rng.random(40).astype(dt), "density": True}),
            ([D(x), I(np.array([-1., 0., 2.], dt)), I(np.array([-3., 3.], dt))], {})]


def _ct_hdd_w(t, x, *edges, weight=None, **kw):
    if weight is not None:
        kw["weight"] = t.tensor(weight)
    return _ct_hdd(t, x, *edges, **kw)


op("histogramdd", _ct_hdd_w, _np_hdd, _hdd_samples, dtypes=FLOATS, close=True,
   errors=[(lambda t: t.histogramdd(t.zeros(5, 2, dtype=t.int64), bins=2), NotImplementedError,
            "\"histogramdd\" not implemented for 'Long'"),
           (lambda t: t.histogramdd(t.zeros(5, 2), bins=[2]), RuntimeError,
            "histogramdd: The size of bins must be equal to the innermost dimension of the input."),
           (lambda t: t.histogramdd(t.zeros(5, 2), bins=2, range=[0., 1.]), RuntimeError,
            "torch.histogramdd: for a 2-dimensional histogram range should have 4 elements, but got 2"),
           (lambda t: t.histogramdd(t.zeros(5, 2), bins=2, weight=t.ones(4)), RuntimeError,
            "torch.histogramdd: if weight tensor is provided it should have the same shape as the input tensor "
            "excluding its innermost dimension, but got input with shape [5, 2] and weight with shape [4]"),
           (lambda t: t.histogramdd(t.zeros(5, 2), bins=2, weight=t.ones(5, dtype=t.float64)), RuntimeError,
            "torch.histogramdd: if weight tensor is provided, input tensor and weight tensor should have the "
            "same dtype, but got input(float), and weight(double)"),
           (lambda t: t.histogramdd(t.zeros(5), bins=2), RuntimeError,
            "torch.histogramdd: input tensor should have at least 2 dimensions"),
           (lambda t: t.histogramdd(t.zeros(5, 2), bins=2, range=[1., 0., 0., 1.]), RuntimeError,
            "torch.histogramdd: min should not exceed max, but got min 1 max 0 for dimension 0")])

# ------------------------------------------------ adjoint, H, mH, in place

def _np_adj(x):
    x = np.swapaxes(x, -1, -2)
    return np.conj(x) if x.dtype.kind == "c" else x


op("adjoint", lambda t, x: t.adjoint(x), _np_adj, _s(([(2, 3)], None, {}), ([(2, 3, 4)], None, {})),
   grad_fn="TransposeBackward0",
   errors=[(lambda t: t.zeros(3).adjoint(), RuntimeError,
            "tensor.adjoint() is only supported on matrices or batches of matrices. Got 1-D tensor.")])
op("H", lambda t, x: x.H, _np_adj, _s(([(2, 3)], None, {}),), grad_fn="TransposeBackward0",
   errors=[(lambda t: t.zeros(3).H, RuntimeError, "tensor.H is only supported on matrices (2-D tensors). Got 1-D tensor."),
           (lambda t: t.zeros(2, 2, 2).H, RuntimeError,
            "tensor.H is only supported on matrices (2-D tensors). Got 3-D tensor. For batches of matrices, "
            "consider using tensor.mH")])
op("mH", lambda t, x: x.mH, _np_adj, _s(([(2, 3)], None, {}), ([(4, 2, 3)], None, {})),
   grad_fn="TransposeBackward0",
   errors=[(lambda t: t.zeros(3).mH, RuntimeError,
            "tensor.mH is only supported on matrices or batches of matrices. Got 1-D tensor.")])
op("tril_", lambda t, x, k=0: x.clone().tril_(k), lambda x, k=0: np.tril(x, k),
   _s(([(3, 4)], None, {}), ([(2, 3, 3)], None, {"k": -1})), dtypes=("float32", "int64", "bool"),
   errors=[(lambda t: t.zeros(3).tril_(), RuntimeError, "tril: input tensor must have at least 2 dimensions")])
op("triu_", lambda t, x, k=0: x.clone().triu_(k), lambda x, k=0: np.triu(x, k),
   _s(([(3, 4)], None, {}), ([(4, 3)], None, {"k": 2})), dtypes=("float32", "complex64"))
# a transposed dense batch (the kernel on its rows, the other triangle) and
# a strided one (the out-of-place result copied in)
op("tril_transposed", lambda t, x, k=0: x.mT.contiguous().mT.tril_(k), lambda x, k=0: np.tril(x, k),
   _s(([(3, 4)], None, {"k": 1}), ([(2, 4, 3)], None, {"k": -2})), dtypes=("float32", "int64"))
op("triu_strided", lambda t, x, k=0: t.stack([x, x], -1).flatten(-2)[..., ::2].triu_(k), lambda x, k=0: np.triu(x, k),
   _s(([(3, 4)], None, {"k": -1}),), dtypes=("float32",))
op("swapaxes_", lambda t, x, a, b: x.clone().swapaxes_(a, b), np.swapaxes,
   _s(([(2, 3, 4)], lambda r: [0, 2], {}),), dtypes=("float32",))
op("swapdims_", lambda t, x, a, b: x.clone().swapdims_(a, b), np.swapaxes,
   _s(([(2, 3)], lambda r: [-1, 0], {}),), dtypes=("float32",))

# --------------------------------------- resizes, legacy constructors, strides

def _layout(t, r, base):
    """A tensor's shape, strides and whether it is a view of `base`, as one int64 tensor."""
    return t.tensor(list(r.shape) + list(r.stride()) + [int(r._base is base)], dtype=t.int64)


op("resize_as_", lambda t, x, y: _layout(t, x.clone().resize_as_(y), None),
   lambda x, y: _i(list(y.shape) + [s // y.itemsize for s in np.ascontiguousarray(y).strides] + [1]),
   _s(([(2, 3), (3, 2)], None, {}), ([(4,), (2, 1)], None, {})), dtypes=("float32",))
op("torch.resize_as_", lambda t, x, y: _layout(t, t.resize_as_(x.clone(), y), None),
   lambda x, y: _i(list(y.shape) + [s // y.itemsize for s in np.ascontiguousarray(y).strides] + [1]),
   _s(([(2, 3), (3, 2)], None, {}), ([(4,), (2, 1)], None, {})), dtypes=("float32",),
   errors=[(lambda t: t.resize_as_(t.ones(2), 3), TypeError,
            "resize_as_(): argument 'the_template' (position 2) must be Tensor, not int"),
           (lambda t: t.resize_as_(3, t.ones(2)), TypeError,
            "resize_as_(): argument 'input' (position 1) must be Tensor, not int")])


def _warns(f, msg):
    """f, checked to warn with msg (PyTorch's deprecation warning)."""
    def call(*a, **kw):
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            r = f(*a, **kw)
        assert any(msg in str(w.message) for w in seen), [str(w.message) for w in seen]
        return r
    return call


op("resize", _warns(lambda t, x, s: x.resize(*s), "non-inplace resize is deprecated"), lambda x, s: x.reshape(s),
   _s(([(2, 3)], lambda r: [(3, 2)], {}), ([(6,)], lambda r: [(1, 2, 3)], {})), dtypes=("float32", "int64"),
   errors=[(lambda t: t.arange(6.).resize(2, 2), RuntimeError,
            "requested resize to 2x2 (4 elements in total), but the given tensor has a size of 6 (6 elements)")])
op("resize_as", _warns(lambda t, x, y: x.resize_as(y), "non-inplace resize_as is deprecated"),
   lambda x, y: x.reshape(y.shape),
   _s(([(2, 3), (3, 2)], None, {}),), dtypes=("float32",))
op("new_from_data", lambda t, x, data: x.new(data), lambda x, data: np.array(data, dtype=x.dtype),
   _s(([(2,)], lambda r: [[1, 2, 3]], {}), ([(2,)], lambda r: [[[1, 0], [0, 1]]], {})),
   dtypes=("float32", "int64", "bool"))
op("new_sizes", lambda t, x, *s: _layout(t, x.new(*s), None),
   lambda x, *s: _i(list(s or (0,)) + [q // 8 for q in np.empty(s or (0,)).strides] + [1]),
   _s(([(2,)], lambda r: [2, 3], {}), ([(2,)], lambda r: [4], {})), dtypes=("float32",))
op("new_no_args", lambda t, x: x.new(), lambda x: np.zeros(0, x.dtype), _s(([(2,)], None, {}),),
   dtypes=("float32", "int64"))
op("new_alias", lambda t, x: _layout(t, x.new(x), x),
   lambda x: _i(list(x.shape) + [s // x.itemsize for s in x.strides] + [0]),
   _s(([(2, 3)], None, {}),), dtypes=("float64",),       # contiguous inputs only: the ref reads numpy's strides
   errors=[(lambda t: t.zeros(2).new(t.zeros(2, dtype=t.int64)), TypeError, "expected"),
           (lambda t: t.zeros(2).new(2.5), TypeError, "new(): data must be a sequence (got float)")])
op("empty_strided", lambda t, size, stride: _layout(t, t.empty_strided(size, stride), None),
   lambda size, stride: _i(list(size) + list(stride) + [1]),
   lambda rng, dt: [([(2, 3), (1, 2)], {}), ([(2, 0), (5, 1)], {}), ([(), ()], {})], dtypes=("float32",),
   errors=[(lambda t: t.empty_strided((2, 3), (1,)), RuntimeError,
            "dimensionality of sizes (2) must match dimensionality of strides (1)"),
           (lambda t: t.empty_strided((2, -3), (1, 2)), RuntimeError,
            "Trying to create tensor with negative dimension -3: [2, -3]")])
op("new_empty_strided", lambda t, x, size, stride: _layout(t, x.new_empty_strided(size, stride), None),
   lambda x, size, stride: _i(list(size) + list(stride) + [1]),
   _s(([(2,)], lambda r: [(3, 2), (1, 4)], {}),), dtypes=("float64", "int32"))


def _np_permuted_layout(size, perm):
    phys = np.empty([size[p] for p in perm], dtype=np.float32)
    inv = np.argsort(perm)
    logical = phys.transpose(inv)
    return _i(list(logical.shape) + [s // 4 for s in logical.strides] + [1])


op("empty_permuted", lambda t, size, perm: _layout(t, t.empty_permuted(size, perm), None), _np_permuted_layout,
   lambda rng, dt: [([(2, 3, 4), (2, 0, 1)], {}), ([(2, 3), (0, 1)], {}), ([(5, 3), (1, 0)], {})],
   dtypes=("float32",),
   errors=[(lambda t: t.empty_permuted((2, 3, 4), (2, 0)), RuntimeError,
            "Number of dimensions in size does not match the length of the physical_layout; i.e. len(size) = 3 "
            "is not equal to len(physical_layout) = 2"),
           (lambda t: t.empty_permuted((2, 3, 4), (2, 0, 0)), RuntimeError, "Duplicate dim not allowed")])

# ------------------------------------------------------------------ windows

def _win(name, **fixed):
    def fn(t, n, dtype, periodic=True, **kw):
        # alpha/beta follow periodic positionally, as PyTorch's signatures have them
        return getattr(t, name)(n, periodic, *fixed.values(), dtype=getattr(t, dtype), **kw)
    return fn


def _win_samples(rng, dt):
    return [([n, dt], kw) for n in (0, 1, 2, 7, 16) for kw in ({}, {"periodic": False})]


def _sc(f):
    def ref(n, dtype, periodic=True, **kw):
        return np.asarray(f(n, not periodic, **kw) if n else np.zeros(0)).astype(dtype)
    return ref


def _hamming_ref(n, dtype, periodic=True, alpha=0.54, beta=0.46):
    if n <= 1:
        return np.ones(n, dtype)
    m = n + 1 if periodic else n
    return (alpha - beta * np.cos(2 * np.pi * np.arange(m) / (m - 1)))[:n].astype(dtype)


_WINDOW_DTYPES = ("float32", "float64")
op("hann_window", _win("hann_window"), _sc(lambda n, sym: windows.hann(n, sym)), _win_samples,
   dtypes=_WINDOW_DTYPES, close=True,
   errors=[(lambda t: t.hann_window(5, dtype=t.int64), RuntimeError, "hann_window expects floating point dtypes, got: "),
           (lambda t: t.hann_window(-1), RuntimeError, "hann_window requires non-negative window_length, got window_length=-1"),
           (lambda t: t.hann_window(5.0), TypeError, "hann_window(): argument 'window_length' (position 1) must be int, not float")])
op("hamming_window", _win("hamming_window"), _sc(lambda n, sym: windows.hamming(n, sym)), _win_samples,
   dtypes=_WINDOW_DTYPES, close=True,
   errors=[(lambda t: t.hamming_window(-2), RuntimeError, "hamming_window requires non-negative window_length, got window_length=-2")])
op("hamming_window_ab", _win("hamming_window", alpha=0.6, beta=0.3), lambda n, dtype, **kw: _hamming_ref(n, dtype, alpha=0.6, beta=0.3, **kw),
   _win_samples, dtypes=_WINDOW_DTYPES, close=True)
op("blackman_window", _win("blackman_window"), _sc(lambda n, sym: windows.blackman(n, sym)), _win_samples,
   dtypes=_WINDOW_DTYPES, close=True,
   errors=[(lambda t: t.blackman_window(3, dtype=t.int32), RuntimeError, "blackman_window expects floating point dtypes")])
op("bartlett_window", _win("bartlett_window"), _sc(lambda n, sym: windows.bartlett(n, sym)), _win_samples,
   dtypes=_WINDOW_DTYPES, close=True,
   errors=[(lambda t: t.bartlett_window(-1), RuntimeError, "bartlett_window requires non-negative window_length, got window_length=-1")])
op("kaiser_window", _win("kaiser_window"), _sc(lambda n, sym: windows.kaiser(n, 12.0, sym)), _win_samples,
   dtypes=_WINDOW_DTYPES, close=True,
   errors=[(lambda t: t.kaiser_window(5, dtype=t.int64), RuntimeError, "kaiser_window expects floating point dtypes, got: "),
           (lambda t: t.kaiser_window(-1), RuntimeError, "kaiser_window requires non-negative window_length, got window_length=-1")])
op("kaiser_window_beta", _win("kaiser_window", beta=30.0), _sc(lambda n, sym: windows.kaiser(n, 30.0, sym)), _win_samples,
   dtypes=("float64",), close=True)
