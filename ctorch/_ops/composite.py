"""Shape utilities and composite ops: broadcasting helpers, the h/v/d splits
and stacks, meshgrid and its relatives (cartesian_prod, combinations),
block_diag, diagflat, finite differences and integrals (diff, gradient,
trapezoid, cumulative_trapezoid), contractions (tensordot, inner), distances
(cdist, pdist), cov/corrcoef, histogramdd, unique_consecutive, the legacy
constructors and resizes, strided allocation and the spectral windows.

Most are compositions of ctorch ops, as in PyTorch (CompositeImplicit ops):
they run on any device the ops run on and differentiate through the ops they
are made of. block_diag, cdist and pdist are PyTorch primitives: they run
without history and record their own derivatives entries."""

import builtins as _builtins
import math as _math
import operator as _operator
import warnings as _warnings

from ctorch._core.dtype import (
    get_default_dtype as _default_dtype, promote_types as _promote, _dtype_list,
)
from ctorch._core.dispatch import device as _device
from ctorch._core.iterator import _write_out
from ctorch._core.tensor import Tensor, Size, _install_method, _dim_alias
from ctorch._ops.creation import (
    arange as _arange, empty as _empty, full as _full, linspace as _linspace, ones as _ones,
    tensor as _tensor, zeros as _zeros, empty_strided, _strided_alloc,
)
from ctorch._ops.elementwise import where as _where, maximum as _maximum
from ctorch._ops.shape import (
    atleast_3d as _atleast_3d, cat as _cat,
    hstack as _hstack, stack as _stack, tensor_split as _tensor_split, index_select as _index_select,
    _plain_alias, _plain_stack, _same_shapes,
)
from ctorch._ops.products import (diag_embed as _diag_embed, matmul as _matmul, _block_diag_raw, _dist_kernel,
                                  _tri_inplace)
from ctorch._ops.complex import _complex_fn as _complex
from ctorch._ops.reduce import cumsum as _cumsum
from ctorch._ops import nn as _nn_k
from ctorch.autograd._node import (
    _record, _set_grad_enabled, is_grad_enabled as _grad_enabled,
)
from ctorch._ops.products import _autocast_state, _autocast_call

_BOOL, _INT64, _F16, _F32, _F64, _C64 = (_dtype_list()[k] for k in (0, 5, 6, 7, 8, 9))

__all__ = [
    "broadcast_to", "broadcast_tensors", "broadcast_shapes", "hsplit", "vsplit", "dsplit",
    "dstack", "column_stack", "meshgrid", "cartesian_prod",
    "combinations", "block_diag", "diagflat", "diff", "gradient", "trapezoid", "trapz",
    "cumulative_trapezoid", "tensordot", "inner", "cdist", "pdist", "cov", "corrcoef",
    "histogramdd", "is_same_size", "adjoint", "empty_strided", "empty_permuted",
    "bartlett_window", "blackman_window", "hamming_window", "hann_window", "kaiser_window",
    "resize_as_",
]


class _NoGrad:
    """Recording off for a forward computation that records its own node."""

    def __enter__(self):
        self._old = _grad_enabled()
        _set_grad_enabled(False)

    def __exit__(self, *exc):
        _set_grad_enabled(self._old)


def _check_tensor(x, fname, arg="input", pos=1):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fname}(): argument '{arg}' (position {pos}) must be Tensor, "
                        f"not {type(x).__name__}")
    return x


def _tensor_seq(args, fname):
    """*tensors given as separate arguments or as one list/tuple."""
    ts = list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) else list(args)
    for k, x in enumerate(ts):
        if not isinstance(x, Tensor):
            raise TypeError(f"expected Tensor as element {k} in argument 0, but got "
                            f"{type(x).__name__}")
    return ts


def _wrap(dim, ndim):
    dim = _operator.index(dim)
    n = _builtins.max(ndim, 1)
    if dim < -n or dim >= n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {dim})")
    return dim % n


def _mul_scalar(x, s):
    """x * s for a python number s, recorded as PyTorch's mul.Scalar (MulBackward1)."""
    with _NoGrad():
        r = x * s
    return _record("mul.Scalar", r, (x,), (s,))


def _div_scalar(x, s):
    """x / s for a python number s, recorded as PyTorch's div.Scalar (DivBackward1)."""
    with _NoGrad():
        r = x / s
    return _record("div.Scalar", r, (x,), (s,))


def _float_result(t):
    """t itself when floating or complex, else t in the default float dtype
    (what integer inputs of PyTorch's float-valued composites become)."""
    return t if (t.is_floating_point() or t.is_complex()) else t.to(_default_dtype())


# ------------------------------------------------------------- broadcasting

def _infer_size(a, b):
    """The broadcast shape of a and b, with the elementwise ops' message."""
    n = _builtins.max(len(a), len(b))
    out = [0] * n
    for i in range(n - 1, -1, -1):
        off = n - 1 - i
        sa = a[len(a) - 1 - off] if len(a) - 1 - off >= 0 else 1
        sb = b[len(b) - 1 - off] if len(b) - 1 - off >= 0 else 1
        if sa != sb and sa != 1 and sb != 1:
            raise RuntimeError(f"The size of tensor a ({sa}) must match the size of tensor b ({sb}) "
                               f"at non-singleton dimension {i}")
        out[i] = sb if sa == 1 else sa
    return out


def broadcast_shapes(*shapes):
    norm = []
    for s in shapes:
        if isinstance(s, (list, tuple)):
            norm.append(tuple(_operator.index(x) for x in s))
        else:
            norm.append((_operator.index(s),))
    n = _builtins.max((len(s) for s in norm), default=0)
    result = [1] * n
    for k, s in enumerate(norm):
        for i in range(-1, -1 - len(s), -1):
            if s[i] < 0:
                raise ValueError("Attempting to broadcast a dimension with negative length!")
            if s[i] == 1 or s[i] == result[i]:
                continue
            if result[i] != 1:
                raise RuntimeError(f"Attempting to broadcast a dimension of length {s[i]} at {i}! "
                                   f"Mismatching argument at index {k} had {s}; but expected shape "
                                   f"should be broadcastable to {result}")
            result[i] = s[i]
    return Size(result)


def broadcast_to(input, size):
    _check_tensor(input, "broadcast_to")
    if isinstance(size, int):       # (the method takes sizes one by one; the function a tuple)
        raise TypeError(f"broadcast_to(): argument 'size' (position 2) must be tuple of ints, "
                        f"not {type(size).__name__}")
    return input.expand(size)


def broadcast_tensors(*tensors):
    if _same_shapes(tensors):
        return tensors
    for k, x in enumerate(tensors):
        if not isinstance(x, Tensor):
            raise TypeError(f"expected Tensor as element {k} in argument 0, but got "
                            f"{type(x).__name__}")
    if not tensors:
        return ()
    shape = list(tensors[0].shape)
    for x in tensors[1:]:
        shape = _infer_size(shape, list(x.shape))
    return tuple(x if list(x.shape) == shape else x.expand(shape) for x in tensors)


def is_same_size(input, other):
    _check_tensor(input, "is_same_size")
    _check_tensor(other, "is_same_size", "other", 2)
    return tuple(input.shape) == tuple(other.shape)


# ---------------------------------------------------------- splits, stacks

def _dir_split(input, sections, dim, fname, min_dims):
    _check_tensor(input, fname)
    if input.dim() < min_dims:
        raise RuntimeError(f"torch.{fname} requires a tensor with at least {min_dims} dimension, "
                           f"but got a tensor with {input.dim()} dimensions!")
    if isinstance(sections, (list, tuple)):
        return _tensor_split(input, list(sections), dim)
    sections = _operator.index(sections)
    n = input.shape[dim]
    if sections == 0 or n % sections:
        raise RuntimeError(f"torch.{fname} attempted to split along dimension {dim}, but the size "
                           f"of the dimension {n} is not divisible by the split_size {sections}!")
    return _tensor_split(input, sections, dim)


def hsplit(input, indices_or_sections):
    if isinstance(input, Tensor) and input.dim() == 0:
        raise RuntimeError("torch.hsplit requires a tensor with at least 1 dimension, but got a "
                           "tensor with 0 dimensions!")
    dim = 1 if isinstance(input, Tensor) and input.dim() > 1 else 0
    return _dir_split(input, indices_or_sections, dim, "hsplit", 1)


def vsplit(input, indices_or_sections):
    return _dir_split(input, indices_or_sections, 0, "vsplit", 2)


def dsplit(input, indices_or_sections):
    return _dir_split(input, indices_or_sections, 2, "dsplit", 3)


def _stack_list(tensors, fname):
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{fname}(): argument 'tensors' (position 1) must be tuple of Tensors, "
                        f"not {type(tensors).__name__}")
    ts = _tensor_seq((list(tensors),), fname)
    if not ts:
        raise RuntimeError(f"{fname} expects a non-empty TensorList")
    return ts


def dstack(tensors, *, out=None):
    if out is None:
        r = _plain_stack(tensors, True)
        if r is not None:
            return r
    ts = _stack_list(tensors, "dstack")
    return _cat(list(_atleast_3d(tuple(ts))), 2, out=out)


def column_stack(tensors, *, out=None):
    if out is None:
        r = _plain_stack(tensors, False)
        if r is not None:
            return r
    ts = _stack_list(tensors, "column_stack")
    ts = [x.reshape(x.numel(), 1) if x.dim() <= 1 else x for x in ts]
    return _hstack(ts, out=out)


# ------------------------------------------- meshgrid, products of sets

def meshgrid(*tensors, indexing=None):
    ts = _tensor_seq(tensors, "meshgrid")
    if not ts:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    if indexing is None:
        _warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the "
                       "indexing argument.", UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but "
                           f"received: {indexing}")
    for x in ts:
        if x.dim() > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but "
                               f"got: {x.dim()}-D tensor")
    for x in ts[1:]:
        if x.dtype != ts[0].dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
        if x.device != ts[0].device:
            raise RuntimeError("meshgrid expects all tensors to have the same device")
    n = len(ts)
    place = list(range(n))
    if indexing == "xy" and n >= 2:
        place[0], place[1] = 1, 0
    shape = [0] * n
    for k, x in enumerate(ts):
        shape[place[k]] = x.numel()
    out = []
    for k, x in enumerate(ts):
        view = [1] * n
        view[place[k]] = -1
        out.append(x.reshape(view).expand(shape))
    return tuple(out)


def _check_1d(x):
    if x.dim() != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(x.shape)}")


def cartesian_prod(*tensors):
    ts = _tensor_seq(tensors, "cartesian_prod")
    for x in ts:
        _check_1d(x)
    if len(ts) == 1:
        return ts[0]
    t0 = ts[0]
    if not (_grad_enabled() and _builtins.any(x.requires_grad for x in ts)) and _builtins.all(
            x.dtype is t0.dtype and x.device == t0.device for x in ts):
        # each input written once, straight into its column of the result
        # (the column viewed with the grid's shape, the input expanded to it)
        k = len(ts)
        sizes = [x.size(0) for x in ts]
        res = _empty((_prod(sizes), k), dtype=t0.dtype, device=t0.device)
        for i, x in enumerate(ts):
            shape = [1] * k
            shape[i] = sizes[i]
            res.select(1, i).view(sizes).copy_(x.reshape(shape).expand(sizes))
        return res
    grids = meshgrid(*ts, indexing="ij")
    return _stack([g.reshape(-1) for g in grids], 1)


def _combination_index(n, r, with_replacement, device):
    """The r-tuples of positions < n that increase (or never decrease), in
    lexicographic order, as r int64 tensors (one per position in the tuple):
    pairs are the upper triangle's indices; longer tuples grow a position at
    a time, each tuple followed by every position after its last one."""
    from ctorch._ops.shape import triu_indices
    if r == 2:
        iu = triu_indices(n, n, 0 if with_replacement else 1, device=device)
        return [iu[0], iu[1]]
    first = 0 if with_replacement else 1
    idx = _arange(n, device=device).reshape(-1, 1)
    for _ in range(r - 1):
        last = idx.select(1, idx.shape[1] - 1)
        cnt = (n - first) - last
        cnt = cnt.clamp(min=0)
        total = int(cnt.sum())
        starts = _cumsum(cnt, 0) - cnt
        # within each tuple's block: last + first, last + first + 1, ...
        nxt = _arange(total, device=device) + (last + first - starts).repeat_interleave(cnt)
        idx = _cat([idx.repeat_interleave(cnt, 0), nxt.reshape(-1, 1)], 1)
    return list(idx.t().contiguous())


def combinations(input, r=2, with_replacement=False):
    _check_tensor(input, "combinations")
    _check_1d(input)
    r = _operator.index(r)
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return input.new_empty(0)
    n = input.shape[0]
    if n > 1 and (r >= 64 or n ** r > 9223372036854775807):
        raise RuntimeError("numel: integer multiplication overflow")
    if r == 1:
        return _stack([input], 1)
    count = _math.comb(n + r - 1, r) if with_replacement else _math.comb(n, r)
    if count * r <= 1 << 22:
        # the tuples' positions (their count, not n ** r), then one gather
        cols = _combination_index(n, r, with_replacement, input.device)
        return _stack([_index_select(input, 0, c) for c in cols], 1)
    # every r-tuple of positions on the device, kept where they increase
    grids = meshgrid(*([input] * r), indexing="ij")
    pos = meshgrid(*([_arange(n, device=input.device)] * r), indexing="ij")
    mask = None
    for k in range(r - 1):
        m = pos[k] <= pos[k + 1] if with_replacement else pos[k] < pos[k + 1]
        mask = m if mask is None else mask & m
    return _stack([g.masked_select(mask) for g in grids], 1)


# --------------------------------------------------------- block_diag, diagflat

def block_diag(*tensors):
    ts = _tensor_seq(tensors, "block_diag")
    if not ts:
        return _empty(1, 0)
    dev = ts[0].device
    grad = False
    for k, x in enumerate(ts):
        if x.dim() > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer dimensions. "
                               f"Input {k} has {x.dim()} dimensions")
        if k and x.device != dev:
            raise RuntimeError(f"torch.block_diag: input tensors must all be on the same device. "
                               f"Input 0 is on device {dev} and input {k} is on device "
                               f"{x.device}.")
        grad = grad or x.requires_grad
    dtype = ts[0].dtype
    for x in ts[1:]:
        if x.dtype != dtype:
            dtype = _promote(dtype, x.dtype)
    res = _block_diag_raw(ts, dtype)
    if not (grad and _grad_enabled()):
        return res
    return _record("block_diag", res, tuple(ts), (tuple(tuple(x.shape) for x in ts),))


def diagflat(input, offset=0):
    _check_tensor(input, "diagflat")
    return _diag_embed(input.reshape(-1), offset, 0, 1)


# ------------------------------------------- differences and integrals

def _sub_along(x, dim, hi_start, lo_start, length):
    a = x.narrow(dim, hi_start, length)
    b = x.narrow(dim, lo_start, length)
    return a.logical_xor(b) if x.dtype == _BOOL else a - b


def diff(input, n=1, dim=None, prepend=None, append=None, *, out=None, axis=None):
    dim = _dim_alias(dim, axis, "diff", -1)
    _check_tensor(input, "diff")
    if input.dim() == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    n = _operator.index(n)
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    d = _wrap(dim, input.dim())
    parts = []
    for extra in (prepend, append):
        if extra is None:
            continue
        if not isinstance(extra, Tensor):
            raise TypeError(f"diff(): argument '{'prepend' if extra is prepend else 'append'}' "
                            f"must be Tensor, not {type(extra).__name__}")
        if extra.dim() != input.dim():
            raise RuntimeError("diff expects prepend or append to be the same dimension as input")
        for k in range(input.dim()):
            if k != d and extra.shape[k] != input.shape[k]:
                raise RuntimeError(
                    "diff expects the shape of tensor to prepend or append to match that of input "
                    f"except along the differencing dimension; input.size({k}) = {input.shape[k]}, "
                    f"but got tensor.size({k}) = {extra.shape[k]}")
        parts.append(extra)
    x = input
    if parts:
        pi = iter(parts)
        x = _cat(([next(pi)] if prepend is not None else []) + [input] +
                 ([next(pi)] if append is not None else []), d)
    if n == 0:
        x = x.clone()
    for _ in range(n):
        length = x.shape[d]
        if length == 0:
            break
        x = _sub_along(x, d, 1, 0, length - 1)
    return _write_out(out, x, "diff") if out is not None else x


def _spacing_list(input, spacing, dims, dim_given):
    """One entry per dim: a number (uniform step) or a 1-D coordinates tensor."""
    if isinstance(spacing, (list, tuple)):
        sp = list(spacing)
        if len(sp) != len(dims):
            if dim_given:
                raise RuntimeError(
                    "torch.gradient expected spacing to be unspecified, a scalar or it's spacing "
                    f"and dim arguments to have the same length, but got a spacing argument of "
                    f"length {len(sp)} and a dim argument of length {len(dims)}.")
            raise RuntimeError(
                "torch.gradient expected spacing to be unspecified, a scalar, or a list of length "
                f"equal to 'self.dim() = {input.dim()}', since dim argument was not given, but "
                f"got a list of length {len(sp)}")
        return sp
    if isinstance(spacing, Tensor):
        if spacing.dim() != 0:
            raise TypeError("gradient() received an invalid combination of arguments - got "
                            "(Tensor, spacing=Tensor): spacing is a number, or a list of numbers "
                            "or of 1-D coordinate tensors")
        spacing = spacing.item()
    return [spacing] * len(dims)


def gradient(input, *, spacing=1, dim=None, edge_order=1):
    _check_tensor(input, "gradient")
    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    if dim is None:
        dims = list(range(input.dim()))
    elif isinstance(dim, (list, tuple)):
        dims = [_wrap(x, input.dim()) for x in dim]
    else:
        dims = [_wrap(dim, input.dim())]
    seen = set()
    for x in dims:
        if x in seen:
            raise RuntimeError(f"dim {x} appears multiple times in the list of dims")
        seen.add(x)
    for x in dims:
        if input.shape[x] < edge_order + 1:
            raise RuntimeError("torch.gradient expected each dimension size to be at least "
                               "edge_order+1")
    sp = _spacing_list(input, spacing, dims, dim is not None)
    f = _float_result(input)
    out = []
    for d, h in zip(dims, sp):
        n = f.shape[d]
        if isinstance(h, Tensor) and h.dim() == 0:
            h = h.item()
        if isinstance(h, Tensor):
            out.append(_gradient_coords(f, d, h.to(f.device), n, edge_order))
        else:
            out.append(_gradient_uniform(f, d, h, n, edge_order))
    return tuple(out)


def _gradient_uniform(f, d, h, n, edge_order):
    def s(k, length):
        return f.narrow(d, k if k >= 0 else n + k, length)
    inner = (s(2, n - 2) - s(0, n - 2)) / (2 * h)
    if edge_order == 1:
        first = (s(1, 1) - s(0, 1)) / h
        last = (s(-1, 1) - s(-2, 1)) / h
    else:
        first = (-1.5 * s(0, 1) + 2 * s(1, 1) - 0.5 * s(2, 1)) / h
        last = (0.5 * s(-3, 1) - 2 * s(-2, 1) + 1.5 * s(-1, 1)) / h
    return _cat([first, inner, last], d)


def _gradient_coords(f, d, x, n, edge_order):
    """Second-order accurate interior differences on the coordinates x
    (numpy's formulas), first- or second-order one-sided at the edges."""
    shape = [1] * f.dim()
    shape[d] = -1

    def c(t):
        return t.reshape(shape)

    def s(k, length):
        return f.narrow(d, k if k >= 0 else n + k, length)
    dx = x.narrow(0, 1, n - 1) - x.narrow(0, 0, n - 1)
    hl = c(dx.narrow(0, 0, n - 2))
    hr = c(dx.narrow(0, 1, n - 2))
    a = -hr / (hl * (hl + hr))
    b = (hr - hl) / (hl * hr)
    cc = hl / (hr * (hl + hr))
    inner = a * s(0, n - 2) + b * s(1, n - 2) + cc * s(2, n - 2)
    if edge_order == 1:
        first = (s(1, 1) - s(0, 1)) / c(dx.narrow(0, 0, 1))
        last = (s(-1, 1) - s(-2, 1)) / c(dx.narrow(0, n - 2, 1))
    else:
        h1, h2 = c(dx.narrow(0, 0, 1)), c(dx.narrow(0, 1, 1))
        first = (-(2 * h1 + h2) / (h1 * (h1 + h2)) * s(0, 1) + (h1 + h2) / (h1 * h2) * s(1, 1)
                 - h1 / (h2 * (h1 + h2)) * s(2, 1))
        h1, h2 = c(dx.narrow(0, n - 2, 1)), c(dx.narrow(0, n - 3, 1))
        last = (h1 / (h2 * (h1 + h2)) * s(-3, 1) - (h2 + h1) / (h1 * h2) * s(-2, 1)
                + (2 * h1 + h2) / (h1 * (h1 + h2)) * s(-1, 1))
    return _cat([first, inner, last], d)


def _trap_dim(y, dim):
    if y.dim() == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    return _wrap(dim, y.dim())


def _trap_x(x, y, d, fname):
    """The spacings x[i+1] - x[i] shaped to meet y's pieces along d."""
    n = y.shape[d]
    if x.dim() == 1:
        if x.shape[0] != n:
            raise RuntimeError(f"{fname}: There must be one `x` value for each sample point")
        dx = x.narrow(0, 1, n - 1) - x.narrow(0, 0, n - 1)
        shape = [1] * y.dim()
        shape[d] = n - 1
        return dx.reshape(shape)
    if x.dim() == 0:
        raise RuntimeError(f"{fname}: There must be one `x` value for each sample point")
    # x broadcasts against y: a mismatch fails in the product, with its message
    xd = _wrap(d - y.dim(), x.dim())
    m = _builtins.max(x.shape[xd] - 1, 0)
    return x.narrow(xd, 1 if m else 0, m) - x.narrow(xd, 0, m)


def _trap_args(fname, x, dx):
    """PyTorch's two signatures: (y, x: Tensor, *, dim) and (y, *, dx: Number, dim)."""
    if x is None:
        return
    if not isinstance(x, Tensor):
        got = f"(Tensor, {type(x).__name__})"
    elif dx is not None:
        got = f"(Tensor, Tensor, dx={type(dx).__name__})"
    else:
        return
    raise TypeError(f"{fname}() received an invalid combination of arguments - got {got}, but "
                    f"expected one of:\n * (Tensor y, Tensor x, *, int dim = -1)\n"
                    f" * (Tensor y, *, Number dx = 1, int dim = -1)\n")


def _no_bool(fname, y, x=None):
    if x is not None and (y.dtype == _BOOL or x.dtype == _BOOL):
        raise RuntimeError(f"{fname}: received a bool input for `x` or `y`, but bool is not "
                           f"supported")
    if y.dtype == _BOOL:
        raise RuntimeError(f"{fname}: received a bool input for `y`, but bool is not supported")


def _zeros_reduced(y, d):
    """What PyTorch's trapezoid gives for no samples: zeros of y's dtype, dim d removed."""
    shape = list(y.shape)
    del shape[d]
    return _zeros(shape, dtype=y.dtype, device=y.device)


def trapezoid(y, x=None, *, dx=None, dim=None, axis=None):
    dim = _dim_alias(dim, axis, "trapezoid", -1)
    _check_tensor(y, "trapezoid", "y")
    _trap_args("trapezoid", x, dx)
    d = _trap_dim(y, dim)
    n = y.shape[d]
    if x is not None:
        _no_bool("trapezoid", y, x)
        if n == 0:
            return _zeros_reduced(y, d)
        spacing = _trap_x(x, y, d, "trapezoid")
        return _div_scalar(((y.narrow(d, 1, n - 1) + y.narrow(d, 0, n - 1)) * spacing).sum(d), 2)
    h = 1 if dx is None else dx
    if n == 0:
        return _zeros_reduced(y, d)
    _no_bool("trapezoid", y)
    yf = _float_result(y)
    return _mul_scalar(yf.sum(d) - (yf.select(d, 0) + yf.select(d, n - 1)) * 0.5, h)


def trapz(y, x=None, *, dx=None, dim=-1):
    return trapezoid(y, x, dx=dx, dim=dim)


def cumulative_trapezoid(y, x=None, *, dx=None, dim=None, axis=None):
    dim = _dim_alias(dim, axis, "cumulative_trapezoid", -1)
    _check_tensor(y, "cumulative_trapezoid", "y")
    _trap_args("cumulative_trapezoid", x, dx)
    _no_bool("cumulative_trapezoid", y, x)
    if y.dim() == 0:
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    d = _wrap(dim, y.dim())
    n = y.shape[d]
    if n == 0:
        return _float_result(y.narrow(d, 0, 0) * 1)
    pairs = y.narrow(d, 1, n - 1) + y.narrow(d, 0, n - 1)
    if x is not None:
        spacing = _trap_x(x, y, d, "cumulative_trapezoid")
        return _div_scalar(_cumsum(pairs * spacing, d), 2)
    h = 1 if dx is None else dx
    return _cumsum(_float_result(pairs) * (h / 2), d)


# ------------------------------------------------------- contractions

def _dims_list(v, name):
    if isinstance(v, Tensor):
        v = v.tolist()
    if isinstance(v, int) and not isinstance(v, bool):
        raise TypeError(f"tensordot(): argument '{name}' (position 3) must be tuple of ints, "
                        f"not int")
    return [_operator.index(x) for x in v]


# the matrix product behind a tensordot, per (a's sizes, b's sizes, dims of
# a, dims of b) already checked: (permutation of a or None, a's matrix sizes
# or None, the same for b, the result's sizes or None)
_TD_PLANS = {}
_TD_PLANS_MAX = 256


def tensordot(a, b, dims=2, out=None):
    if _autocast_state() & 2 and out is None:
        return _autocast_call("tensordot", tensordot, (a, b, dims), None)
    if not (isinstance(a, Tensor) and isinstance(b, Tensor)):
        _check_tensor(a, "tensordot", "a")
        _check_tensor(b, "tensordot", "b", 2)
    if isinstance(dims, Tensor):
        dims = dims.item() if dims.numel() == 1 and dims.dim() == 0 else dims.tolist()
    if isinstance(dims, (list, tuple)):
        if len(dims) != 2:
            raise RuntimeError("tensordot expects dims to be a pair of lists")
        da = _dims_list(dims[0], "dims_self")
        db = _dims_list(dims[1], "dims_other")
    else:
        nd = _operator.index(dims)
        if nd < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={nd}")
        if nd > _builtins.min(a.dim(), b.dim()):
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={nd}")
        da = list(range(-nd, 0))
        db = list(range(nd))
    sha, shb = a.shape, b.shape
    key = (sha, shb, tuple(da), tuple(db))
    plan = _TD_PLANS.get(key)
    if plan is None:
        plan = _td_plan(a, b, da, db)
        if isinstance(plan, tuple):
            if len(_TD_PLANS) >= _TD_PLANS_MAX:
                _TD_PLANS.clear()
            _TD_PLANS[key] = plan
        else:
            # contracted dims of size 1 against longer ones: summed first
            a, b, plan = plan
    elif a.dtype != b.dtype:
        raise RuntimeError("both inputs should have same dtype")
    perm_a, mat_a, perm_b, mat_b, res = plan
    ma = a if perm_a is None else a.permute(perm_a)
    if mat_a is not None:
        ma = ma.reshape(mat_a)
    mb = b if perm_b is None else b.permute(perm_b)
    if mat_b is not None:
        mb = mb.reshape(mat_b)
    r = _matmul(ma, mb)
    if res is not None or ((a.requires_grad or b.requires_grad) and _grad_enabled()):
        r = r.reshape(res if res is not None else r.shape)      # (recorded as PyTorch's final view)
    return _write_out(out, r, "tensordot") if out is not None else r


def _td_plan(a, b, da, db):
    """tensordot's checks and plan (see _TD_PLANS) for a and b contracted over
    da and db; where a contracted dim of size 1 meets a longer one, the list
    [a, b, plan] with that dim summed out of the other operand instead."""
    if len(da) != len(db):
        raise RuntimeError("both dimension lists should have same length")
    if a.dtype != b.dtype:
        raise RuntimeError("both inputs should have same dtype")
    nda, ndb = a.dim(), b.dim()
    wa = [x % nda if -nda <= x < nda else _wrap(x, nda) for x in da]
    wb = [x % ndb if -ndb <= x < ndb else _wrap(x, ndb) for x in db]
    sha, shb = a.shape, b.shape
    k = 1
    summed = False
    for x, y, ia, ib in zip(wa, wb, da, db):
        sa, sb = sha[x], shb[y]
        if sa != sb:
            if sa == 1:
                b = b.sum(y, keepdim=True)
            elif sb == 1:
                a = a.sum(x, keepdim=True)
                sa = sb
            else:
                raise RuntimeError(f"contracted dimensions need to match, but first has size {sa} "
                                   f"in dim {ia} and second has size {sb} in dim {ib}")
            summed = True
        k *= sa
    free_a = [x for x in range(nda) if x not in wa]
    free_b = [x for x in range(ndb) if x not in wb]
    pa = [sha[x] for x in free_a]
    pb = [shb[x] for x in free_b]
    # the permutes and reshapes are skipped where they would not change the
    # view (one free and one contracted dim: already the matrix)
    order_a, order_b = free_a + wa, wb + free_b
    plan = (None if order_a == list(range(nda)) else order_a,
            (_math.prod(pa), k) if len(pa) != 1 or len(wa) != 1 else None,
            None if order_b == list(range(ndb)) else order_b,
            (k, _math.prod(pb)) if len(pb) != 1 or len(wb) != 1 else None,
            pa + pb if len(pa) != 1 or len(pb) != 1 else None)
    return [a, b, plan] if summed else plan


def _prod(xs):
    p = 1
    for x in xs:
        p *= x
    return p


def inner(input, other, *, out=None):
    if not (isinstance(input, Tensor) and isinstance(other, Tensor)):
        _check_tensor(input, "inner")
        _check_tensor(other, "inner", "other", 2)
    na, nb = input.ndim, other.ndim
    if not na or not nb:
        r = input * other
    else:
        n = input.size(-1)
        if n != other.size(-1):
            raise RuntimeError(f"inner() the last dimension must match on both input tensors but "
                               f"got shapes {list(input.shape)} and {list(other.shape)}")
        if input.dtype != other.dtype or _autocast_state() & 2:
            r = tensordot(input, other, ([-1], [-1]))
        elif na <= 2 and nb == na and not (
                (input.requires_grad or other.requires_grad) and _grad_enabled()):
            # no history to record: the product itself has the result's shape
            # (of two vectors, a dot product)
            r = _matmul(input, other if na == 1 else other.mT)
        else:
            # tensordot over the last dims: rows of one times rows of the other
            sa, sb = input.shape, other.shape
            ma = input.reshape(_math.prod(sa[:-1]), n)
            mb = other.reshape(_math.prod(sb[:-1]), n)
            r = _matmul(ma, mb.mT).reshape(sa[:-1] + sb[:-1])
    return _write_out(out, r, "inner") if out is not None else r


# ------------------------------------------------------------- distances

_CDIST_MODES = ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist",
                "donot_use_mm_for_euclid_dist")


def _dist_raw(a, b, p):
    """The p-norm distances between the rows of a (..., P, M) and of b
    (..., R, M) (no history): the columns' contributions accumulated one
    column at a time, so that no (P, R, M) difference tensor is made."""
    if a.shape[-2] * b.shape[-2] * a.shape[-1] <= 65536:
        # small: one (P, R, M) difference tensor costs fewer launches
        d = a.unsqueeze(-2) - b.unsqueeze(-3)
        if p == 0:
            return (d != 0).sum(-1).to(a.dtype)
        if p == 2:
            return d.mul_(d).sum(-1).sqrt_()
        d = d.abs_()
        if p == 1:
            return d.sum(-1)
        if p == _math.inf:
            return d.amax(-1)
        return d.pow_(p).sum(-1).pow_(1.0 / p)
    acc = None
    for k in range(a.shape[-1]):
        # b's column made contiguous: the broadcast then runs along rows of stride 1
        d = a.narrow(-1, k, 1) - b.narrow(-1, k, 1).mT.contiguous()
        if p == 0:
            d = (d != 0).to(a.dtype)
        elif p == 2:
            d = d.mul_(d)
        elif p == 1 or p == _math.inf:
            d = d.abs_()
        else:
            d = d.abs_().pow_(p)
        if acc is None:
            acc = d
        elif p == _math.inf:
            acc = _maximum(acc, d)
        else:
            acc.add_(d)
    if p == 2:
        acc.sqrt_()
    elif p not in (0, 1, _math.inf):
        acc.pow_(1.0 / p)
    return acc


def _euclid_mm(x1, x2, batch):
    """Euclidean distances through one matrix product of the rows extended
    as [-2a, |a|^2, 1] and [b, 1, |b|^2], the batch dims flattened into one
    (PyTorch's _euclidean_dist, one node: its gradient two products), the
    result viewed with the batch dims."""
    P, R, M = x1.shape[-2], x2.shape[-2], x1.shape[-1]
    a = x1.reshape(-1, P, M)
    b = x2.reshape(-1, R, M)
    with _NoGrad():
        one_a = _ones(a.shape[0], P, 1, dtype=a.dtype, device=a.device)
        one_b = _ones(b.shape[0], R, 1, dtype=b.dtype, device=b.device)
        ea = _cat([a * -2, (a * a).sum(-1, keepdim=True), one_a], -1)
        eb = _cat([b, one_b, (b * b).sum(-1, keepdim=True)], -1)
        # rounding can make a squared distance negative: clamped to 1e-30
        # (where the gradient is zero) before the square root, in place
        r = _matmul(ea, eb.mT)
        if not _nn_k._sqrt_clamp_(r, 1e-30):
            r = r.clamp_min_(1e-30).sqrt_()
    return _record("_euclidean_dist", r, (a, b)).view(batch + [P, R])


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    if _autocast_state():
        return _autocast_call("cdist", cdist, (x1, x2, p, compute_mode), None)
    _check_tensor(x1, "cdist", "x1")
    _check_tensor(x2, "cdist", "x2", 2)
    if compute_mode not in _CDIST_MODES:
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    s1, s2 = list(x1.shape), list(x2.shape)
    for name, s in (("X1", s1), ("X2", s2)):
        if len(s) < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {name} got: {len(s)}D")
    if s1[-1] != s2[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {s1[-1]} "
                           f"X2: {s2[-1]}")
    for name, x in (("X1", x1), ("X2", x2)):
        if not x.is_floating_point():
            from ctorch._core.dtype import _scalar_name
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: "
                               f"{_scalar_name(x.dtype)}")
    if x1.dtype != x2.dtype:
        from ctorch._core.dtype import _scalar_name
        raise RuntimeError(f"expected scalar type {_scalar_name(x1.dtype)} but found "
                           f"{_scalar_name(x2.dtype)}")
    if x1.device != x2.device:
        raise RuntimeError(f"Expected all tensors to be on the same device, but found at least "
                           f"two devices, {x1.device} and {x2.device}!")
    p = float(p)
    if p < 0 or p != p:
        raise RuntimeError("cdist only supports non-negative p values")
    if len(s1) == 2 and len(s2) == 2:
        batch, a, b = [], x1, x2
    else:
        batch = _infer_size(s1[:-2], s2[:-2])
        a = x1.expand(batch + s1[-2:]) if s1[:-2] != batch else x1
        b = x2.expand(batch + s2[-2:]) if s2[:-2] != batch else x2
    P, R = s1[-2], s2[-2]
    if p == 2 and s1[-1] and (compute_mode == "use_mm_for_euclid_dist" or
                   (compute_mode == _CDIST_MODES[0] and (P > 25 or R > 25))):
        # PyTorch's route too: a composition, differentiated through its ops
        return _euclid_mm(a, b, batch)
    with _NoGrad():
        r = _dist_kernel(a, b, p, False)
        if r is None:
            if s1[-1] == 0:
                r = _zeros(batch + [P, R], dtype=x1.dtype, device=x1.device)
            else:
                r = _dist_raw(a, b, p)
    return _record("cdist", r, (x1, x2), (p,))


def pdist(input, p=2):
    if _autocast_state() & 2:
        return _autocast_call("pdist", pdist, (input, p), None)
    _check_tensor(input, "pdist")
    if input.dim() != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.dim()}D")
    if not input.is_floating_point():
        raise RuntimeError("pdist only supports floating-point dtypes")
    p = float(p)
    if p < 0 or p != p:
        raise RuntimeError("pdist only supports non-negative p values")
    r = _dist_kernel(input, input, p, True)
    if r is not None:
        return _record("pdist", r, (input,), (p,))
    n = input.shape[0]
    from ctorch._ops.shape import triu_indices
    with _NoGrad():
        iu = triu_indices(n, n, 1, device=input.device)
        if input.shape[1]:
            r = _dist_raw(input.index_select(0, iu[0]).unsqueeze(-2),
                          input.index_select(0, iu[1]).unsqueeze(-2), p).reshape(-1)
        else:
            r = _zeros(iu.shape[1], dtype=input.dtype, device=input.device)
    return _record("pdist", r, (input,), (p,))


# -------------------------------------------------- covariance, correlation

def cov(input, *, correction=1, fweights=None, aweights=None):
    _check_tensor(input, "cov")
    if input.dtype == _BOOL:
        raise RuntimeError("cov(): bool dtype is not supported for input")
    if input.dim() > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an "
                           f"input with {input.dim()} dimensions")
    for name, w in (("fweights", fweights), ("aweights", aweights)):
        if w is not None and not isinstance(w, Tensor):
            raise TypeError(f"cov(): argument '{name}' must be Tensor, not {type(w).__name__}")
    x = input.reshape(1, -1) if input.dim() < 2 else input
    nobs = x.shape[1]
    from ctorch._core.dtype import _scalar_name
    if fweights is not None:
        if fweights.dim() > 1:
            raise RuntimeError(f"cov(): expected fweights to have one or fewer dimensions but got "
                               f"fweights with {fweights.dim()} dimensions")
        if fweights.is_floating_point() or fweights.is_complex():
            raise RuntimeError(f"cov(): expected fweights to have integral dtype but got fweights "
                               f"with {_scalar_name(fweights.dtype)} dtype")
        if fweights.numel() != nobs:
            raise RuntimeError(f"cov(): expected fweights to have the same numel as there are "
                               f"observations in the input but got {fweights.numel()} != {nobs}")
        if nobs and fweights.min().item() < 0:
            raise RuntimeError("cov(): fweights cannot be negative")
    if aweights is not None:
        if aweights.dim() > 1:
            raise RuntimeError(f"cov(): expected aweights to have one or fewer dimensions but got "
                               f"aweights with {aweights.dim()} dimensions")
        if not aweights.is_floating_point():
            raise RuntimeError(f"cov(): expected aweights to have floating point dtype but got "
                               f"aweights with {_scalar_name(aweights.dtype)} dtype")
        if aweights.numel() != nobs:
            raise RuntimeError(f"cov(): expected aweights to have the same numel as there are "
                               f"observations in the input but got {aweights.numel()} != {nobs}")
        if nobs and aweights.min().item() < 0:
            raise RuntimeError("cov(): aweights cannot be negative")
    w = fweights
    if aweights is not None:
        w = aweights if w is None else w * aweights
    x = _float_result(x)
    if w is None:
        avg = x.mean(1)
        w_sum = nobs
        norm = nobs - correction
    else:
        w_sum = w.sum()
        avg = (x * w).sum(1) / w_sum
        if correction == 0:
            norm = w_sum
        elif aweights is None:
            norm = w_sum - correction
        else:
            norm = w_sum - correction * (w * aweights).sum() / w_sum
    nv = norm.item() if isinstance(norm, Tensor) else norm
    if nv <= 0:
        _warnings.warn("cov(): degrees of freedom is <= 0. Correction should be strictly less than "
                       "the number of observations.", UserWarning, stacklevel=2)
        norm = norm * 0 if isinstance(norm, Tensor) else 0
    xm = x - avg.unsqueeze(1)
    xw = xm if w is None else xm * w
    c = _matmul(xm, xw.mT.conj() if xw.is_complex() else xw.mT)
    return (c / norm).squeeze()


def corrcoef(input):
    _check_tensor(input, "corrcoef")
    if input.dim() > 2:
        raise RuntimeError(f"corrcoef(): expected input to have two or fewer dimensions but got "
                           f"an input with {input.dim()} dimensions")
    c = cov(input)
    if c.dim() == 0:
        return c / c
    d = c.diagonal()
    std = (d.real if d.is_complex() else d).sqrt()
    c = c / std.unsqueeze(1)
    c = c / std.unsqueeze(0)
    if c.is_complex():
        return _complex(c.real.clamp(-1, 1), c.imag.clamp(-1, 1))
    return c.clamp(-1, 1)


# ---------------------------------------------------------- histogramdd

def histogramdd(input, bins=10, *, range=None, weight=None, density=False):
    from ctorch._ops.sort import searchsorted
    from ctorch.return_types import histogramdd as _HDD
    _check_tensor(input, "histogramdd")
    if not input.is_floating_point():
        from ctorch._core.dtype import _scalar_name
        raise NotImplementedError(f"\"histogramdd\" not implemented for "
                                  f"'{_scalar_name(input.dtype)}'")
    if input.dim() < 2:
        raise RuntimeError("torch.histogramdd: input tensor should have at least 2 dimensions")
    D = input.shape[-1]
    pts = input.reshape(-1, D)
    N = pts.shape[0]
    if isinstance(bins, Tensor) and bins.dim() == 0:
        bins = bins.item()
    if isinstance(bins, (list, tuple)):
        if len(bins) != D:
            raise RuntimeError("histogramdd: The size of bins must be equal to the innermost "
                               "dimension of the input.")
        bins = list(bins)
    else:
        bins = [bins] * D
    if weight is not None:
        if not isinstance(weight, Tensor):
            raise TypeError(f"histogramdd(): argument 'weight' must be Tensor, not "
                            f"{type(weight).__name__}")
        if tuple(weight.shape) != tuple(input.shape[:-1]):
            raise RuntimeError("torch.histogramdd: if weight tensor is provided it should have the "
                               "same shape as the input tensor excluding its innermost dimension, "
                               f"but got input with shape {list(input.shape)} and weight with "
                               f"shape {list(weight.shape)}")
        if weight.dtype != input.dtype:
            names = {_F32: "float", _F64: "double", _F16: "c10::Half"}
            raise RuntimeError(f"torch.histogramdd: if weight tensor is provided, input tensor and "
                               f"weight tensor should have the same dtype, but got "
                               f"input({names.get(input.dtype, input.dtype)}), and "
                               f"weight({names.get(weight.dtype, weight.dtype)})")
        weight = weight.reshape(-1)
    if range is not None and len(range) != 2 * D:
        raise RuntimeError(f"torch.histogramdd: for a {D}-dimensional histogram range should have "
                           f"{2 * D} elements, but got {len(range)}")
    edges = []
    for k, b in enumerate(bins):
        if isinstance(b, Tensor):
            if b.dim() != 1:
                raise RuntimeError(f"torch.histogramdd: bins tensor should have one dimension, "
                                   f"but got {b.dim()} dimensions in the bins tensor for "
                                   f"dimension {k}")
            if b.numel() == 0:
                raise RuntimeError(f"torch.histogramdd: bins tensor should have at least 1 "
                                   f"element, but got {b.numel()} elements in the bins tensor "
                                   f"for dimension {k}")
            edges.append(b.to(input.dtype))
            continue
        nb = _operator.index(b)
        if nb <= 0:
            raise RuntimeError(f"torch.histogramdd: bins tensor should have at least 1 element, "
                               f"but got {_builtins.max(nb + 1, 0)} elements in the bins tensor "
                               f"for dimension {k}")
        if range is not None:
            lo, hi = float(range[2 * k]), float(range[2 * k + 1])
        elif N:
            col = pts.select(1, k)
            lo, hi = col.min().item(), col.max().item()
        else:
            lo, hi = 0.0, 1.0       # no points: PyTorch's default range
        if lo > hi:
            raise RuntimeError(f"torch.histogramdd: min should not exceed max, but got min "
                               f"{lo:g} max {hi:g} for dimension {k}")
        if not (_math.isfinite(lo) and _math.isfinite(hi)):
            raise RuntimeError(f"torch.histogramdd: range of [{lo}, {hi}] is not finite")
        if lo == hi:
            lo, hi = lo - 0.5, hi + 0.5
        edges.append(_linspace(lo, hi, nb + 1, dtype=input.dtype, device=input.device))
    shape = [e.numel() - 1 for e in edges]
    from ctorch._ops.hist import _histdd_counts
    hist = _histdd_counts(pts, weight, edges, [not isinstance(b, Tensor) for b in bins])
    if hist is not None:
        return _histdd_result(hist.to(input.dtype).reshape(shape), edges, shape, density, D, _HDD)
    keep = _ones(N, dtype=_BOOL, device=input.device)
    flat = _zeros(N, dtype=_INT64, device=input.device)
    for k, e in enumerate(edges):
        col = pts.select(1, k)
        nb = shape[k]
        idx = searchsorted(e, col.contiguous(), right=True) - 1
        # the last bin holds its right edge
        idx = _where(col == e[-1], _tensor(nb - 1, device=input.device), idx)
        keep = keep & (idx >= 0) & (idx < nb) & (col == col)
        flat = flat * nb + idx.clamp(0, _builtins.max(nb - 1, 0))
    total = _prod(shape)
    w = keep.to(input.dtype) if weight is None else _where(keep, weight.to(input.dtype),
                                                             _zeros((), dtype=input.dtype))
    hist = _zeros(total, dtype=input.dtype, device=input.device).index_add(0, flat, w)
    return _histdd_result(hist.reshape(shape), edges, shape, density, D, _HDD)


def _histdd_result(hist, edges, shape, density, D, _HDD):
    if density:
        s = hist.sum()
        hist = hist / s
        for k, e in enumerate(edges):
            view = [1] * D
            view[k] = -1
            hist = hist / (e.narrow(0, 1, shape[k]) - e.narrow(0, 0, shape[k])).reshape(view)
    return _HDD(hist, tuple(edges))


# ----------------------------------------- adjoint, H, mH, in-place views

def adjoint(input):
    _check_tensor(input, "adjoint")
    if input.dim() == 0:
        _warnings.warn("adjoint() is deprecated on 0-D tensors. Consider using x.conj().",
                       UserWarning, stacklevel=2)
        return input.conj() if input.is_complex() else input
    if input.dim() < 2:
        raise RuntimeError(f"tensor.adjoint() is only supported on matrices or batches of "
                           f"matrices. Got {input.dim()}-D tensor.")
    t = input.transpose(-2, -1)
    return t.conj() if t.is_complex() else t


def _t_H(self):
    if self.dim() == 0:
        _warnings.warn("Tensor.H is deprecated on 0-D tensors. Consider using x.conj().",
                       UserWarning, stacklevel=2)
        return self.conj() if self.is_complex() else self
    if self.dim() != 2:
        extra = " For batches of matrices, consider using tensor.mH" if self.dim() > 2 else ""
        raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got "
                           f"{self.dim()}-D tensor.{extra}")
    t = self.transpose(0, 1)
    return t.conj() if t.is_complex() else t


def _t_mH(self):
    if self.dim() < 2:
        raise RuntimeError(f"tensor.mH is only supported on matrices or batches of matrices. "
                           f"Got {self.dim()}-D tensor.")
    t = self.transpose(-2, -1)
    return t.conj() if t.is_complex() else t


def _t_swapaxes_(self, axis0, axis1):
    return self.transpose_(axis0, axis1)


def _t_swapdims_(self, dim0, dim1):
    return self.transpose_(dim0, dim1)


def _tri_(self, diagonal, lower, name):
    return _tri_inplace(self, diagonal, lower, name)


def _t_tril_(self, diagonal=0):
    return _tri_(self, diagonal, True, "tril")


def _t_triu_(self, diagonal=0):
    return _tri_(self, diagonal, False, "triu")


# ------------------------------------------ resizes, legacy constructors

def _sizes_arg(sizes):
    if len(sizes) == 1 and isinstance(sizes[0], (list, tuple)):
        sizes = tuple(sizes[0])
    return [_operator.index(s) for s in sizes]


def _resize_view(self, sizes, what):
    _warnings.warn(f"non-inplace {what} is deprecated", UserWarning, stacklevel=3)
    n = _prod(sizes)
    if n != self.numel():
        shape = "x".join(str(s) for s in sizes)
        have = "x".join(str(s) for s in self.shape)
        raise RuntimeError(f"requested resize to {shape} ({n} elements in total), but the given "
                           f"tensor has a size of {have} ({self.numel()} elements). autograd's "
                           f"resize can only change the shape of a given tensor, while preserving "
                           f"the number of elements. ")
    return self.contiguous().view(sizes)


def _t_resize(self, *sizes):
    return _resize_view(self, _sizes_arg(sizes), "resize")


def _t_resize_as(self, tensor):
    _check_tensor(tensor, "resize_as", "tensor")
    return _resize_view(self, list(tensor.shape), "resize_as")


def _t_resize_as_(self, the_template, *, memory_format=None):
    _check_tensor(the_template, "resize_as_", "the_template")
    return self.resize_(list(the_template.shape))


def resize_as_(input, the_template, *, memory_format=None):
    """torch.resize_as_: input resized in place to the_template's shape."""
    _check_tensor(input, "resize_as_", "input")
    _check_tensor(the_template, "resize_as_", "the_template", 2)
    return _t_resize_as_(input, the_template, memory_format=memory_format)


def _t_new(self, *args, device=None):
    dev = self.device if device is None else device
    if not args:
        return _empty(0, dtype=self.dtype, device=dev)
    if len(args) == 1 and isinstance(args[0], Tensor):
        other = args[0]
        if other.dtype != self.dtype:
            raise TypeError(f"expected {self.type()} (got {other.type()})")
        return _plain_alias(other, list(other.shape), list(other.stride()), other.storage_offset())
    if _builtins.all(isinstance(a, int) and not isinstance(a, bool) for a in args) or \
            (len(args) == 1 and isinstance(args[0], Size)):
        return _empty(*_sizes_arg(args), dtype=self.dtype, device=dev)
    if len(args) == 1 and isinstance(args[0], (list, tuple)):
        return _tensor(args[0], dtype=self.dtype, device=dev)
    raise TypeError(f"new(): data must be a sequence (got {type(args[0]).__name__})")


def _t_new_empty_strided(self, size, stride, *, dtype=None, layout=None, device=None,
                         requires_grad=False, pin_memory=False):
    return _strided_alloc(size, stride, self.dtype if dtype is None else dtype,
                          self.device if device is None else device, requires_grad)


def empty_permuted(size, physical_layout, *, dtype=None, layout=None, device=None,
                   requires_grad=False, pin_memory=False):
    size = [_operator.index(s) for s in size]
    perm = [_operator.index(p) for p in physical_layout]
    if len(size) != len(perm):
        raise RuntimeError(f"Number of dimensions in size does not match the length of the "
                           f"physical_layout; i.e. len(size) = {len(size)} is not equal to "
                           f"len(physical_layout) = {len(perm)}")
    seen = [False] * len(size)
    for k, p in enumerate(perm):
        if p < 0 or p >= len(size):
            raise RuntimeError(f"Dimension out of range (expected to be between 0 and "
                               f"{len(size) - 1}, but got {p} at index {k}).  NB: negative dims "
                               f"not currently supported; file an issue if you want it.")
        if seen[p]:
            raise RuntimeError("Duplicate dim not allowed")
        seen[p] = True
    stride = [0] * len(size)
    acc = 1
    for p in reversed(perm):
        stride[p] = acc
        acc *= _builtins.max(size[p], 1)
    return _strided_alloc(size, stride, dtype, device, requires_grad)


# ------------------------------------------------------------------ windows

_CXX_TYPE = {"int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
             "uint8": "unsigned char", "bool": "bool"}


def _window(name, window_length, dtype, device, requires_grad, layout=None):
    """(n, dtype) after PyTorch's checks; the caller builds the window in
    float64 and _finish casts it."""
    if not isinstance(window_length, int) or isinstance(window_length, bool):
        raise TypeError(f"{name}(): argument 'window_length' (position 1) must be int, not "
                        f"{type(window_length).__name__}")
    dt = _default_dtype() if dtype is None else dtype
    if not isinstance(dt, type(_F32)):
        raise TypeError(f"{name}(): argument 'dtype' must be torch.dtype, not "
                        f"{type(dt).__name__}")
    if dt.is_complex:
        raise NotImplementedError(f"\"arange_cpu\" not implemented for "
                                  f"'{'ComplexFloat' if dt == _C64 else 'ComplexDouble'}'")
    if not dt.is_floating_point:
        key = str(dt).replace("ctorch.", "").replace("torch.", "")
        dev = "cpu" if device is None else str(_device(device))
        raise RuntimeError(f"{name} expects floating point dtypes, got: TensorOptions(dtype="
                           f"{_CXX_TYPE.get(key, key)}, device={dev}, layout=Strided (default), "
                           f"requires_grad={'true' if requires_grad else 'false (default)'}, "
                           f"pinned_memory=false, memory_format=(nullopt))")
    if window_length < 0:
        raise RuntimeError(f"{name} requires non-negative window_length, got "
                           f"window_length={window_length}")
    return dt


def _finish(w, n, dt, device, requires_grad):
    r = w.narrow(0, 0, n).to(dt)
    if device is not None:
        r = r.to(device)
    if requires_grad:
        r.requires_grad_(True)
    return r


def _trivial(n, dt, device, requires_grad):
    if n > 1:
        return None
    r = _ones(n, dtype=dt, device=device)
    if requires_grad:
        r.requires_grad_(True)
    return r


def hamming_window(window_length, periodic=True, alpha=0.54, beta=0.46, *, dtype=None,
                   layout=None, device=None, requires_grad=False):
    dt = _window("hamming_window", window_length, dtype, device, requires_grad)
    return _hamming("hamming_window", window_length, periodic, alpha, beta, dt, device,
                    requires_grad)


def _hamming(name, n, periodic, alpha, beta, dt, device, requires_grad):
    t = _trivial(n, dt, device, requires_grad)
    if t is not None:
        return t
    m = n + 1 if periodic else n
    k = _arange(m, dtype=_F64)
    w = alpha - beta * (k * (2 * _math.pi / (m - 1))).cos()
    return _finish(w, n, dt, device, requires_grad)


def hann_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                requires_grad=False):
    dt = _window("hann_window", window_length, dtype, device, requires_grad)
    return _hamming("hann_window", window_length, periodic, 0.5, 0.5, dt, device, requires_grad)


def blackman_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    requires_grad=False):
    n = window_length
    dt = _window("blackman_window", n, dtype, device, requires_grad)
    t = _trivial(n, dt, device, requires_grad)
    if t is not None:
        return t
    m = n + 1 if periodic else n
    x = _arange(m, dtype=_F64) * (_math.pi / (m - 1))
    w = 0.42 - 0.5 * (2 * x).cos() + 0.08 * (4 * x).cos()
    return _finish(w, n, dt, device, requires_grad)


def bartlett_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    requires_grad=False):
    n = window_length
    dt = _window("bartlett_window", n, dtype, device, requires_grad)
    t = _trivial(n, dt, device, requires_grad)
    if t is not None:
        return t
    m = n + 1 if periodic else n
    w = 1 - (_arange(m, dtype=_F64) * (2.0 / (m - 1)) - 1).abs()
    return _finish(w, n, dt, device, requires_grad)


def _i0(x, xmax):
    """The modified Bessel function I0 of a float64 tensor x (values at most
    xmax) by its power series sum_k ((x/2)^k / k!)^2, nested (Horner) from
    the last term that still counts at xmax."""
    q = (_builtins.min(xmax, _I0_SERIES_MAX) * 0.5) ** 2
    term, total, k = 1.0, 1.0, 0
    while True:
        k += 1
        term *= q / (k * k)
        total += term
        if k * k > q and term < 1e-17 * total:
            break
    qx = (x * 0.5) ** 2
    acc = _ones(x.shape, dtype=x.dtype, device=x.device)
    for j in range(k, 0, -1):
        acc = acc.mul_(qx).mul_(1.0 / (j * j)).add_(1.0)
    return acc


_I0_SERIES_MAX = 700.0     # past it I0 leaves float64's range (e^700 ~ 1e304)


def _log_i0(x, xmax):
    """log I0(x) of a float64 tensor x >= 0: the series up to _I0_SERIES_MAX,
    Hankel's asymptotic expansion beyond (relative error below 1e-16 there)."""
    small = _i0(x.clamp_max(_I0_SERIES_MAX), xmax).log_()
    if not xmax > _I0_SERIES_MAX:
        return small
    big = x.clamp_min(_I0_SERIES_MAX)
    r = 1 / big
    series = 1 + r * (1 / 8 + r * (9 / 128 + r * (225 / 3072)))
    asym = big - 0.5 * (big * (2 * _math.pi)).log() + series.log()
    return _where(x > _I0_SERIES_MAX, asym, small)


def kaiser_window(window_length, periodic=True, beta=12.0, *, dtype=None, layout=None,
                  device=None, requires_grad=False):
    n = window_length
    dt = _window("kaiser_window", n, dtype, device, requires_grad)
    t = _trivial(n, dt, device, requires_grad)
    if t is not None:
        return t
    m = n + 1 if periodic else n
    a = (m - 1) / 2.0
    r = (_arange(m, dtype=_F64) - a) / a
    beta = _builtins.abs(float(beta))            # I0 is even
    if beta != beta or beta == _math.inf:
        w = _full((m,), _math.nan, dtype=_F64)
    else:
        arg = (1 - r * r).clamp_min_(0).sqrt_().mul_(beta)
        w = (_log_i0(arg, beta) - _log_i0(_tensor([beta], dtype=_F64), beta)).exp_()
    return _finish(w, n, dt, device, requires_grad)


for _name, _fn in (("broadcast_to", broadcast_to), ("hsplit", hsplit), ("vsplit", vsplit),
                   ("dsplit", dsplit),
                   ("diagflat", diagflat), ("diff", diff), ("inner", inner), ("cov", cov),
                   ("corrcoef", corrcoef), ("is_same_size", is_same_size), ("adjoint", adjoint),
                   ("swapaxes_", _t_swapaxes_), ("swapdims_", _t_swapdims_), ("tril_", _t_tril_),
                   ("triu_", _t_triu_), ("resize", _t_resize), ("resize_as", _t_resize_as),
                   ("resize_as_", _t_resize_as_), ("new", _t_new),
                   ("new_empty_strided", _t_new_empty_strided),
                   ("H", property(_t_H)), ("mH", property(_t_mH))):
    _install_method(_name, _fn)
del _name, _fn
