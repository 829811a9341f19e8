"""torch.nn.functional's pooling: max, average, adaptive, power-average
(lp) pooling, max_unpool and fractional max pooling in 1, 2 and 3 dims, and
their torch-level forms.

The kernels are in ctorch._ops.pool (2-d and 3-d; 1-d pooling is 2-d pooling
of an input with a unit height, as PyTorch does it, so its gradient node is
the squeeze's). This module does the argument handling: the int-or-tuple
forms, output sizes (floor or ceil mode), unbatched inputs and PyTorch's
checks and messages, in PyTorch's order.
"""
import math as _math
import operator as _operator

import ctorch as _t
from ctorch._core.tensor import Tensor
from ctorch._ops import pool as _pool_ops
from ctorch.autograd._node import is_grad_enabled as _is_grad_enabled

_FLOATS = None
_DIMS = {1: "", 2: "two", 3: "three"}


def _floats():
    global _FLOATS
    if _FLOATS is None:
        _FLOATS = (_t.float16, _t.float32, _t.float64, _t.bfloat16)
    return _FLOATS


def _dtype_name(dtype):
    """PyTorch's scalar-type name of a dtype ('Long', 'ComplexFloat', ...)."""
    names = {_t.int64: "Long", _t.int32: "Int", _t.int16: "Short", _t.int8: "Char",
             _t.uint8: "Byte", _t.bool: "Bool", _t.float32: "Float", _t.float64: "Double",
             _t.float16: "Half", _t.bfloat16: "BFloat16", _t.complex64: "ComplexFloat", _t.complex128: "ComplexDouble"}
    return names.get(dtype, str(dtype))


def _named(name):
    """Gives a torch-level form the name PyTorch's has."""
    def wrap(fn):
        fn.__name__ = fn.__qualname__ = name
        return fn
    return wrap


def _input(x, fn):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(x).__name__}")
    return x


def _is_int(v):
    """An int, a numpy integer or an integer 0-d tensor; not a bool."""
    if type(v) is int:
        return True
    if isinstance(v, bool):
        return False
    if isinstance(v, Tensor):
        return v.dim() == 0 and not (v.is_floating_point() or v.is_complex() or v.dtype == _t.bool)
    return hasattr(type(v), "__index__")


def _flag(v, fn, name, pos):
    if not isinstance(v, bool):
        raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be bool, not "
                        f"{type(v).__name__}")
    return v


def _int_list(v, fn, name, pos):
    """v as a tuple of python ints (an int gives a 1-tuple)."""
    if _is_int(v):
        return (_operator.index(v) if not isinstance(v, Tensor) else int(v),)
    if isinstance(v, (tuple, list)):
        for i, e in enumerate(v):
            if not _is_int(e):
                raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be tuple of ints, "
                                f"but found element of type {type(e).__name__} at pos {i}")
        return tuple(_operator.index(e) if not isinstance(e, Tensor) else int(e) for e in v)
    raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be tuple of ints, not "
                    f"{type(v).__name__}")


def _expand(v, n, msg):
    if len(v) == 1:
        return v * n
    if len(v) != n:
        raise RuntimeError(msg)
    return v


def _tdiv(a, b):
    """C's integer division (toward zero)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def _out_size(n, k, p, s, d, ceil_mode):
    """PyTorch's pooling output size along one dim, with its checks."""
    if s == 0:
        raise RuntimeError("stride should not be zero")
    if p < 0:
        raise RuntimeError(f"pad must be non-negative, but got pad: {p}")
    if p > _tdiv((k - 1) * d + 1, 2):
        raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={p}, "
                           f"kernel_size={k} and dilation={d}")
    o = (n + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (o - 1) * s >= n + p:
        o -= 1
    return o


def _check_dtype(x, allowed, kernel):
    if x.dtype not in allowed:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_dtype_name(x.dtype)}\'')


# Checked geometries: (op, input shape, dtype, arguments) -> what the op
# computed from them, so that a call repeated with the same plain-int
# arguments (a training loop) skips the checks. Only calls that passed every
# check are kept; a bad call always takes the checking path.
_GEOMETRY = {}
_NOKEY = object()


def _key(v):
    """v as part of a cache key: None, an int, or a tuple of ints; anything
    else (floats, tensors, bools) gives _NOKEY."""
    t = type(v)
    if t is int or v is None:
        return v
    if t is tuple or t is list:
        for e in v:
            if type(e) is not int:
                return _NOKEY
        return tuple(v)
    return _NOKEY


def _remember(key, value):
    if len(_GEOMETRY) > 512:
        _GEOMETRY.clear()
    _GEOMETRY[key] = value


def _max_dtypes():
    return _floats() + (_t.uint8, _t.int8, _t.int16, _t.int32, _t.int64)


# ------------------------------------------------------------- max pooling

def _letters(nd):
    return ("T", "H", "W")[3 - nd:]


def _shape_checks(x, nd, k, s, d, p, out, fn, avg=False):
    """PyTorch's pool2d/pool3d shape checks after the output size."""
    names = _letters(nd)
    if any(v <= 0 for v in k):
        raise RuntimeError("kernel size should be greater than zero, but got "
                           + " ".join(f"k{c}: {v}" for c, v in zip(names, k)))
    if any(v <= 0 for v in s):
        raise RuntimeError("stride should be greater than zero, but got "
                           + " ".join(f"d{c}: {v}" for c, v in zip(names, s)))
    if any(v <= 0 for v in d):
        raise RuntimeError("dilation should be greater than zero, but got "
                           + " ".join(f"dilation{c}: {v}" for c, v in zip(names, d)))
    shape = list(x.shape)
    if nd == 2:
        if x.dim() not in (3, 4) or any(n == 0 for n in shape[-3:]):
            raise RuntimeError("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch "
                               f"size for input, but got:{shape}")
        if any(pv > kv // 2 for pv, kv in zip(p, k)):
            raise RuntimeError("pad should be smaller than or equal to half of kernel size, but got "
                               f"padW = {p[1]}, padH = {p[0]}, kW = {k[1]}, kH = {k[0]}")
    else:
        batched = x.dim() == 5
        for i, n in enumerate(shape[1:] if batched else shape):
            if n == 0:
                raise RuntimeError(f"{fn}(): Expected input's non-batch dimensions to have "
                                   f"positive length, but input has a shape of {shape} and "
                                   f"non-batch dimension {i} has length zero!")
        ins = shape[-3:]
        if avg and any(n < kv for n, kv in zip(ins, k)):
            raise RuntimeError(f"input image (T: {ins[0]} H: {ins[1]} W: {ins[2]}) smaller than "
                               f"kernel size (kT: {k[0]} kH: {k[1]} kW: {k[2]})")
        if any(pv > kv // 2 for pv, kv in zip(p, k)):
            raise RuntimeError(f"pad should be smaller than or equal to half of kernel size, but got "
                               f"kT: {k[0]} kW: {k[2]} kH: {k[1]} padT: {p[0]} padW: {p[2]} "
                               f"padH: {p[1]}")
    if any(o < 1 for o in out):
        planes = shape[-nd - 1]
        ins = "x".join(str(n) for n in [planes] + shape[-nd:])
        outs = "x".join(str(n) for n in [planes] + list(out))
        raise RuntimeError(f"Given input size: ({ins}). Calculated output size: ({outs}). "
                           "Output size is too small")


def _pool_args(nd, fn, kernel_size, stride, padding, dilation, avg=False):
    k = _int_list(kernel_size, fn, "kernel_size", 2)
    word = _DIMS[nd]
    if avg and nd == 3:
        kmsg = f"{fn}: kernel_size must be a single int, or a tuple of three ints"
        smsg = f"{fn}: stride must be omitted, a single int, or a tuple of three ints"
        pmsg = f"{fn}: padding must be a single int, or a tuple of three ints"
    else:
        kmsg = f"{fn}: kernel_size must either be a single int, or a tuple of {word} ints"
        smsg = f"{fn}: stride must either be omitted, a single int, or a tuple of {word} ints"
        pmsg = f"{fn}: padding must either be a single int, or a tuple of {word} ints"
    k = _expand(k, nd, kmsg)
    s = () if stride is None else _int_list(stride, fn, "stride", 3)
    s = k if len(s) == 0 else _expand(s, nd, smsg)
    p = _expand(_int_list(padding, fn, "padding", 4), nd, pmsg)
    d = (1,)
    if dilation is not None:
        d = _int_list(dilation, fn, "dilation", 5)
    d = _expand(d, nd, f"{fn}: dilation must be either a single int, or a tuple of {word} ints")
    if any(not -2 ** 31 <= v < 2 ** 31 for v in k + s + p + d):
        raise RuntimeError("value cannot be converted to type int without overflow")
    return k, s, p, d


def _max_pool_nd(nd, input, kernel_size, stride, padding, dilation, ceil_mode, fn, indices=True):
    """(values, indices) of nd-dim max pooling (nd 2 or 3); without
    `indices`, the indices only when the gradient needs them (else None)."""
    x = _input(input, fn)
    _flag(ceil_mode, fn, "ceil_mode", 6)
    key = (fn, x.shape, x.dtype, _key(kernel_size), _key(stride), _key(padding), _key(dilation),
           ceil_mode is True)
    if _NOKEY not in key and ceil_mode in (True, False):
        g = _GEOMETRY.get(key)
        if g is not None:
            return _pool_ops._max_pool(x, nd, *g, indices)
    k, s, p, d = _pool_args(nd, fn, kernel_size, stride, padding, dilation)
    if x.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"non-empty {nd + 1}D or {nd + 2}D (batch mode) tensor expected for input")
    ins = tuple(x.shape[-nd:])
    out = tuple(_out_size(n, kv, pv, sv, dv, ceil_mode) for n, kv, pv, sv, dv in zip(ins, k, p, s, d))
    _shape_checks(x, nd, k, s, d, p, out,
                  "max_pool3d_with_indices_out_cpu_template" if nd == 3 else fn)
    _check_dtype(x, _max_dtypes(), f"max_pool{nd}d")
    if _NOKEY not in key and ceil_mode in (True, False):
        _remember(key, (out, k, s, p, d))
    return _pool_ops._max_pool(x, nd, out, k, s, p, d, indices)


def max_pool2d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    return tuple(_max_pool_nd(2, input, kernel_size, stride, padding, dilation, ceil_mode,
                              "max_pool2d"))


def max_pool3d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    return tuple(_max_pool_nd(3, input, kernel_size, stride, padding, dilation, ceil_mode,
                              "max_pool3d"))


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    r = _max_pool_nd(2, input, kernel_size, stride, padding, dilation, ceil_mode, "max_pool2d",
                     bool(return_indices))
    return tuple(r) if return_indices else r[0]


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    r = _max_pool_nd(3, input, kernel_size, stride, padding, dilation, ceil_mode, "max_pool3d",
                     bool(return_indices))
    return tuple(r) if return_indices else r[0]


def _check_1d(x, fn):
    if x.dim() not in (2, 3):
        raise RuntimeError(f"Expected 2 to 3 dimensions, but got {x.dim()}-dimensional tensor for "
                           f"argument #1 'self' (while checking arguments for {fn})")


def _one(v, fn, name, pos):
    v = _int_list(v, fn, name, pos)
    if len(v) != 1:
        raise RuntimeError(f"{fn}() argument '{name}' should contain one int (got {len(v)})")
    return v


def _max_pool1d_indices(x, kernel_size, stride, padding, dilation, ceil_mode):
    """1-d max pooling through the 2-d kernel (the unit height is squeezed)."""
    fn = "max_pool1d_with_indices"
    args = [_int_list(v, fn, n, i) for v, n, i in ((kernel_size, "kernel_size", 2),
                                                  (padding, "padding", 4), (dilation, "dilation", 5))]
    s = () if stride is None else _int_list(stride, fn, "stride", 3)
    _check_1d(x, "max_pool1d")
    k, p, d = [_one(v, "max_pool1d", n, 0) for v, n in zip(args, ("kernel_size", "padding",
                                                                   "dilation"))]
    if len(s) > 1:
        raise RuntimeError(f"max_pool1d() argument 'stride' should contain one int (got {len(s)})")
    s = s or k
    v, i = max_pool2d_with_indices(x.unsqueeze(-2), (1,) + k, (1,) + s, (0,) + p, (1,) + d,
                                   ceil_mode)
    return v.squeeze(-2), i.squeeze(-2)


def _max_pool1d_plain(x, kernel_size, stride, padding, dilation, ceil_mode):
    """max_pool1d without indices: PyTorch's own 1-d checks and messages."""
    key = ("max_pool1d", x.shape, x.dtype, _key(kernel_size), _key(stride), _key(padding),
           _key(dilation), ceil_mode is True)
    if _NOKEY not in key and ceil_mode in (True, False):
        g = _GEOMETRY.get(key)
        if g is not None:
            return _pool_ops._max_pool(x.unsqueeze(-2), 2, *g, False)[0].squeeze(-2)
    def one(v, name, what):
        v = _int_list(v, "max_pool1d", name, 2)
        if len(v) != 1:
            raise RuntimeError(f"max_pool1d() {name} must be {what} of size 1 but got size {len(v)}")
        return v[0]
    for v, name, pos in ((kernel_size, "kernel_size", 2), (stride, "stride", 3),
                         (padding, "padding", 4), (dilation, "dilation", 5)):
        if v is not None:
            _int_list(v, "max_pool1d", name, pos)
    if x.dim() not in (2, 3) or any(n == 0 for n in x.shape[1:]):
        raise RuntimeError("max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim "
                           f"batch size for input, but got:{list(x.shape)}")
    k = one(kernel_size, "kernel_size", "an int, list of ints or tuple of ints")
    s = k
    if stride is not None and (not isinstance(stride, (tuple, list)) or len(stride) > 0):
        s = one(stride, "stride", "None, an int, list of ints, or tuple of ints")
    p = one(padding, "padding", "an int, list of ints, or tuple of ints")
    d = one(dilation, "dilation", "an int, list of ints, or tuple of ints")
    if k <= 0:
        raise RuntimeError(f"max_pool1d() kernel_size must be greater than zero, but got {k}")
    if s <= 0:
        raise RuntimeError(f"max_pool1d() stride must be greater than zero, but got {s}")
    if p < 0:
        raise RuntimeError(f"max_pool1d() padding must be non-negative, but got {p}")
    if p > k // 2:
        raise RuntimeError(f"max_pool1d() padding should be at most half of kernel size, but got "
                           f"padding={p} and kernel_size={k}")
    if d <= 0:
        raise RuntimeError(f"max_pool1d() dilation must be greater than zero, but got {d}")
    o = _out_size(x.shape[-1], k, p, s, d, ceil_mode)
    if o <= 0:
        raise RuntimeError(f"max_pool1d() Invalid computed output size: {o}")
    _check_dtype(x, _floats(), "max_pool1d_impl")
    if _NOKEY not in key and ceil_mode in (True, False):
        _remember(key, ((1, o), (1, k), (1, s), (0, p), (1, d)))
    v, _ = _pool_ops._max_pool(x.unsqueeze(-2), 2, (1, o), (1, k), (1, s), (0, p), (1, d), False)
    return v.squeeze(-2)


def max_pool1d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    x = _input(input, "max_pool1d")
    return _max_pool1d_indices(x, kernel_size, stride, padding, dilation, ceil_mode)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    x = _input(input, "max_pool1d")
    if return_indices or (x.requires_grad and _is_grad_enabled()):
        r = _max_pool1d_indices(x, kernel_size, stride, padding, dilation, ceil_mode)
        return r if return_indices else r[0]
    return _max_pool1d_plain(x, kernel_size, stride, padding, dilation, ceil_mode)


# --------------------------------------------------------- average pooling

def _avg_pool_nd(nd, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                 divisor_override, fn):
    x = _input(input, fn)
    _flag(ceil_mode, fn, "ceil_mode", 5)
    _flag(count_include_pad, fn, "count_include_pad", 6)
    if divisor_override is not None:
        if not _is_int(divisor_override) or isinstance(divisor_override, Tensor):
            raise TypeError(f"{fn}(): argument 'divisor_override' must be int, not "
                            f"{type(divisor_override).__name__}")
        if not -2 ** 63 <= _operator.index(divisor_override) < 2 ** 63:
            raise ValueError("Overflow when unpacking long long")
    flags = (ceil_mode, count_include_pad)
    key = (fn, x.shape, x.dtype, _key(kernel_size), _key(stride), _key(padding),
           _key(divisor_override), flags)
    if _NOKEY not in key and all(f is True or f is False for f in flags):
        g = _GEOMETRY.get(key)
        if g is not None:
            return _pool_ops._avg_pool(x, nd, *g)
    k, s, p, _ = _pool_args(nd, fn, kernel_size, stride, padding, None, avg=True)
    if divisor_override is not None:
        divisor_override = int(divisor_override)
        if divisor_override == 0:
            raise RuntimeError("divisor must be not zero")
    if nd == 2 and x.dim() < 3:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-max(x.dim(), 1)}, "
                         f"{max(x.dim(), 1) - 1}], but got -3)")
    if nd == 3:
        if x.dim() not in (4, 5):
            raise RuntimeError("non-empty 4D or 5D (batch mode) tensor expected for input")
    ins = tuple(x.shape[-nd:])
    out = tuple(_out_size(n, kv, pv, sv, 1, ceil_mode) for n, kv, pv, sv in zip(ins, k, p, s))
    _shape_checks(x, nd, k, s, (1,) * nd, p, out, fn, avg=True)
    # (float16 pools in 2-d only, as in PyTorch)
    _check_dtype(x, (_floats() if nd == 2 else _floats()[1:]) + (_t.int64,),
                 "avg_pool2d" if nd == 2 else "avg_pool3d_out_frame")
    if _NOKEY not in key and all(f is True or f is False for f in flags):
        _remember(key, (out, k, s, p, bool(ceil_mode), bool(count_include_pad), divisor_override))
    return _pool_ops._avg_pool(x, nd, out, k, s, p, bool(ceil_mode), bool(count_include_pad),
                               divisor_override)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    return _avg_pool_nd(2, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                        divisor_override, "avg_pool2d")


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    return _avg_pool_nd(3, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                        divisor_override, "avg_pool3d")


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    x = _input(input, "avg_pool1d")
    k = _int_list(kernel_size, "avg_pool1d", "kernel_size", 2)
    s = () if stride is None else _int_list(stride, "avg_pool1d", "stride", 3)
    p = _int_list(padding, "avg_pool1d", "padding", 4)
    _check_1d(x, "avg_pool1d")
    k = _one(k, "avg_pool1d", "kernel_size", 2)
    if len(s) > 1:
        raise RuntimeError(f"avg_pool1d() argument 'stride' should contain one int (got {len(s)})")
    s = s or k
    p = _one(p, "avg_pool1d", "padding", 4)
    return avg_pool2d(x.unsqueeze(-2), (1,) + k, (1,) + s, (0,) + p, ceil_mode,
                      count_include_pad).squeeze(-2)


# -------------------------------------------------------- adaptive pooling

def _output_size(output_size, x, nd, fn):
    """output_size as an nd-tuple of ints (None: the input's size there)."""
    if output_size is None or _is_int(output_size):
        v = (output_size,) * nd
    elif isinstance(output_size, (tuple, list, str)):
        if x.dim() <= len(output_size):
            raise ValueError(f"Input dimension should be at least {len(output_size) + 1}")
        v = tuple(output_size)
        if isinstance(output_size, str):
            raise TypeError(f"{fn}(): argument 'output_size' (position 2) must be tuple of ints, "
                            f"but found element of type str at pos 0")
    else:
        raise TypeError(f"{fn}(): argument 'output_size' (position 2) must be tuple of ints, but "
                        f"found element of type {type(output_size).__name__} at pos 0")
    if len(v) == nd:
        v = tuple(x.shape[x.dim() - nd + i] if e is None else e for i, e in enumerate(v))
    for i, e in enumerate(v):
        if not _is_int(e):
            raise TypeError(f"{fn}(): argument 'output_size' failed to unpack the object at pos "
                            f"{i + 1} with error \"type must be tuple of ints,but got "
                            f"{type(e).__name__}\"")
    return tuple(int(e) for e in v)


def _adaptive_avg_nd(nd, x, out, fn):
    if len(out) != nd:
        raise RuntimeError(f"{fn}: output_size must be {nd}")
    if any(o < 0 for o in out):
        got = ", ".join(str(o) for o in out) if nd == 2 else f"{out[0]}, {out[1]},{out[2]}"
        raise RuntimeError(f"{fn}: elements of output_size must be greater than or equal to 0 but "
                           f"received {{{got}}}")
    if all(o == 1 for o in out):
        # PyTorch takes the mean here (its gradient node is the mean's)
        if not (x.is_floating_point() or x.is_complex()):
            raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a "
                               f"floating point or complex dtype. Got: {_dtype_name(x.dtype)}")
        return x.mean(tuple(range(-1, -nd - 1, -1)), keepdim=True)
    shape = list(x.shape)
    if nd == 3:
        for i in range(1, x.dim()):
            if shape[i] == 0:
                raise RuntimeError(f"{fn}(): Expected input to have non-zero size for non-batch "
                                   f"dimensions, but input has sizes {shape} with dimension {i} "
                                   "being empty")
    if x.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"{fn}(): Expected {nd + 1}D or {nd + 2}D tensor, but got {shape}")
    if nd == 2:
        for i in range(x.dim() - 2, x.dim()):
            if shape[i] == 0:
                raise RuntimeError(f"{fn}(): Expected input to have non-zero size for non-batch "
                                   f"dimensions, but input has sizes {shape} with dimension {i} "
                                   "being empty")
    if x.numel() and all(out):
        _check_dtype(x, _floats(), fn if nd == 2 else "adaptive_avg_pool3d_cpu")
    return _pool_ops._adaptive_avg_pool(x, nd, out)


def _adaptive_cached(nd, input, output_size, fn, pool):
    """adaptive pooling through the geometry cache (see _GEOMETRY)."""
    x = _input(input, fn)
    key = (fn, x.shape, x.dtype, _key(output_size))
    g = _GEOMETRY.get(key) if _NOKEY not in key else None
    if g is not None:
        if pool is _pool_ops._adaptive_avg_pool and all(o == 1 for o in g):
            return x.mean(tuple(range(-1, -nd - 1, -1)), keepdim=True)
        return pool(x, nd, g)
    out = _output_size(output_size, x, nd, fn)
    r = (_adaptive_avg_nd if pool is _pool_ops._adaptive_avg_pool else _adaptive_max_nd)(
        nd, x, out, fn)
    if _NOKEY not in key:
        _remember(key, out)
    return r


def adaptive_avg_pool2d(input, output_size):
    return _adaptive_cached(2, input, output_size, "adaptive_avg_pool2d",
                            _pool_ops._adaptive_avg_pool)


def adaptive_avg_pool3d(input, output_size):
    return _adaptive_cached(3, input, output_size, "adaptive_avg_pool3d",
                            _pool_ops._adaptive_avg_pool)


def adaptive_avg_pool1d(input, output_size):
    x = _input(input, "adaptive_avg_pool1d")
    o = _int_list(output_size, "adaptive_avg_pool1d", "output_size", 2)
    _check_1d(x, "adaptive_avg_pool1d")
    o = _one(o, "adaptive_avg_pool1d", "output_size", 2)
    return _adaptive_avg_nd(2, x.unsqueeze(-2), (1,) + o, "adaptive_avg_pool2d").squeeze(-2)


def _adaptive_max_nd(nd, x, out, fn):
    shape = list(x.shape)
    if x.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"{fn}(): Expected {nd + 1}D or {nd + 2}D tensor, but got: {shape}")
    for i in range(1, x.dim()):
        if shape[i] == 0:
            raise RuntimeError(f"{fn}(): Expected input to have non-zero size for non-batch "
                               f"dimensions, but input has sizes {shape} with dimension {i} being "
                               "empty")
    if len(out) != nd:
        raise RuntimeError(f"{fn}(): internal error: output_size.size() must be {nd}")
    if any(o < 0 for o in out):
        res = shape[:-nd] + list(out)
        neg = next(o for o in out if o < 0)
        raise RuntimeError(f"Trying to create tensor with negative dimension {neg}: {res}")
    _check_dtype(x, _floats(), fn if nd == 2 else "adaptive_max_pool3d_cpu")
    return _pool_ops._adaptive_max_pool(x, nd, out)


def adaptive_max_pool2d_with_indices(input, output_size, return_indices=False):
    return tuple(_adaptive_cached(2, input, output_size, "adaptive_max_pool2d",
                                  _pool_ops._adaptive_max_pool))


def adaptive_max_pool3d_with_indices(input, output_size, return_indices=False):
    return tuple(_adaptive_cached(3, input, output_size, "adaptive_max_pool3d",
                                  _pool_ops._adaptive_max_pool))


def adaptive_max_pool1d_with_indices(input, output_size, return_indices=False):
    x = _input(input, "adaptive_max_pool1d")
    o = _int_list(output_size, "adaptive_max_pool1d", "output_size", 2)
    _check_1d(x, "adaptive_max_pool1d")
    o = _one(o, "adaptive_max_pool1d", "output_size", 2)
    v, i = _adaptive_max_nd(2, x.unsqueeze(-2), (1,) + o, "adaptive_max_pool2d")
    return v.squeeze(-2), i.squeeze(-2)


def adaptive_max_pool1d(input, output_size, return_indices=False):
    r = adaptive_max_pool1d_with_indices(input, output_size)
    return r if return_indices else r[0]


def adaptive_max_pool2d(input, output_size, return_indices=False):
    r = adaptive_max_pool2d_with_indices(input, output_size)
    return r if return_indices else r[0]


def adaptive_max_pool3d(input, output_size, return_indices=False):
    r = adaptive_max_pool3d_with_indices(input, output_size)
    return r if return_indices else r[0]


# ------------------------------------------------------------- lp pooling
# (mean of |x|^p over the window) * window size, to the power 1/p, with the
# sign of the sum kept so that odd p of negative inputs gives PyTorch's NaNs

def _lp(avg, norm_type, ksize):
    return (avg.sign() * avg.abs().relu()).mul(ksize).pow(1.0 / norm_type)


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    x = _input(input, "lp_pool1d")
    k = _one(kernel_size, "avg_pool1d", "kernel_size", 2)[0]
    out = avg_pool1d(x.pow(norm_type), k, stride, 0, ceil_mode)
    return _lp(out, norm_type, k)


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    x = _input(input, "lp_pool2d")
    k = _expand(_int_list(kernel_size, "lp_pool2d", "kernel_size", 3), 2,
                "avg_pool2d: kernel_size must either be a single int, or a tuple of two ints")
    out = avg_pool2d(x.pow(norm_type), k, stride, 0, ceil_mode)
    return _lp(out, norm_type, k[0] * k[1])


def lp_pool3d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    x = _input(input, "lp_pool3d")
    k = _expand(_int_list(kernel_size, "lp_pool3d", "kernel_size", 3), 3,
                "avg_pool3d: kernel_size must be a single int, or a tuple of three ints")
    out = avg_pool3d(x.pow(norm_type), k, stride, 0, ceil_mode)
    return _lp(out, norm_type, k[0] * k[1] * k[2])


# ------------------------------------------------------------- max_unpool

def _unpool_size(x, nd, k, s, p, output_size, fn):
    """The unpooled size: the default from kernel, stride and padding, or
    output_size (the last nd dims, or with the leading dims too), checked
    against the range pooling could have come from."""
    ins = list(x.shape[-nd:])
    default = [(n - 1) * sv + kv - 2 * pv for n, kv, sv, pv in zip(ins, k, s, p)]
    if output_size is None:
        return tuple(default)
    out = output_size.tolist() if isinstance(output_size, Tensor) else output_size
    if len(out) == nd + 2:
        out = out[2:]
    if len(out) != nd:
        raise ValueError(f"output_size should be a sequence containing {nd} or {nd + 2} elements, "
                         f"but it has a length of '{len(out)}'")
    for d in range(nd):
        lo = default[d] - s[d]
        hi = default[d] + s[d]
        if not lo < out[d] < hi:
            raise ValueError(f'invalid output_size "{out}" (dim {d} must be between {lo} and '
                             f'{hi})')
    return tuple(int(o) for o in out)


def _max_unpool_nd(nd, input, indices, kernel_size, stride, padding, output_size, fn):
    x = _input(input, fn)
    if not isinstance(indices, Tensor):
        raise TypeError(f"{fn}(): argument 'indices' (position 2) must be Tensor, not "
                        f"{type(indices).__name__}")
    k = _expand(_int_list(kernel_size, fn, "kernel_size", 3), nd,
                f"{fn}: kernel_size must have {nd} elements")
    s = k if stride is None else _expand(_int_list(stride, fn, "stride", 4), nd,
                                         f"{fn}: stride must have {nd} elements")
    p = _expand(_int_list(padding, fn, "padding", 5), nd, f"{fn}: padding must have {nd} elements")
    out = _unpool_size(x, nd, k, s, p, output_size, fn)
    if indices.dtype != _t.int64:
        raise RuntimeError(f"elements in indices should be type int64 but got: "
                           f"{_dtype_name(indices.dtype)}")
    if tuple(indices.shape) != tuple(x.shape):
        raise RuntimeError(f"Expected shape of indices to be same as that of the input tensor "
                           f"({list(x.shape)}) but got indices tensor with shape: "
                           f"{list(indices.shape)}")
    if x.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"Input to max_unpooling{nd}d should be a {nd + 1}d or {nd + 2}d Tensor, "
                           f"but got a tensor with {x.dim()} dimensions.")
    _check_dtype(x, _floats(), f"max_unpool{nd}d")
    return _pool_ops._max_unpool(x, indices, nd, out)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    return _max_unpool_nd(2, input, indices, kernel_size, stride, padding, output_size,
                          "max_unpool2d")


def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    return _max_unpool_nd(3, input, indices, kernel_size, stride, padding, output_size,
                          "max_unpool3d")


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    x = _input(input, "max_unpool1d")
    k = _one(kernel_size, "max_unpool1d", "kernel_size", 3)
    s = k if stride is None else _one(stride, "max_unpool1d", "stride", 4)
    p = _one(padding, "max_unpool1d", "padding", 5)
    output_size = (1,) + _unpool_size(x, 1, k, s, p, output_size, "max_unpool1d")
    if not isinstance(indices, Tensor):
        raise TypeError("max_unpool1d(): argument 'indices' (position 2) must be Tensor, not "
                        f"{type(indices).__name__}")
    return max_unpool2d(x.unsqueeze(-2), indices.unsqueeze(-2), (1,) + k, (1,) + s, (0,) + p,
                        output_size).squeeze(-2)


# ------------------------------------------------------ torch-level forms

@_named("max_pool1d")
def _torch_max_pool1d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    return max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode)


@_named("max_pool1d_with_indices")
def _torch_max_pool1d_with_indices(input, kernel_size, stride=(), padding=0, dilation=1,
                                   ceil_mode=False):
    return max_pool1d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)


@_named("max_pool2d")
def _torch_max_pool2d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    return max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode)


@_named("max_pool3d")
def _torch_max_pool3d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    return max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode)


@_named("avg_pool1d")
def _torch_avg_pool1d(input, kernel_size, stride=(), padding=0, ceil_mode=False,
                      count_include_pad=True):
    return avg_pool1d(input, kernel_size, stride, padding, ceil_mode, count_include_pad)


@_named("adaptive_avg_pool1d")
def _torch_adaptive_avg_pool1d(input, output_size):
    return adaptive_avg_pool1d(input, output_size)


@_named("adaptive_max_pool1d")
def _torch_adaptive_max_pool1d(input, output_size):
    return adaptive_max_pool1d_with_indices(input, output_size)


# ------------------------------------------------- fractional max pooling
# Windows of a fixed size at pseudo-random starts: along a dim of n inputs
# pooled to o outputs by windows of k, with alpha = (n - k) / (o - 1) and
# the plane's sample u in [0, 1), output i < o - 1 starts at
# int((i + u) alpha) - int(u alpha) and the last at n - k. Each plane has
# its own samples (one per dim, the last dim first).

def _fractional_starts(u, n, o, k):
    """(P, o) int64 starts from the (P,) float64 samples u."""
    if o <= 1:
        return _t.full((u.shape[0], o), n - k, dtype=_t.int64, device=u.device)
    alpha = (n - k) / (o - 1)
    i = _t.arange(o - 1, dtype=_t.float64, device=u.device)
    s = ((i + u.unsqueeze(1)) * alpha).trunc() - (u * alpha).trunc().unsqueeze(1)
    last = _t.full((u.shape[0], 1), float(n - k), dtype=_t.float64, device=u.device)
    return _t.cat([s, last], 1).to(_t.int64)


def _fractional_nd(nd, input, kernel_size, output_size, output_ratio, _random_samples):
    fn = f"fractional_max_pool{nd}d"
    x = _input(input, fn)
    word = "Int"
    k = _int_list(kernel_size, fn, "kernel_size", 2)
    if output_size is None and output_ratio is None:
        raise ValueError(f"{fn} requires specifying either an output_size or an output_ratio")
    if output_size is None:
        ratio = tuple(output_ratio) if len(output_ratio) == nd else tuple(output_ratio) * nd
        output_size = [int(x.shape[x.dim() - nd + i] * ratio[i]) for i in range(nd)]
    out = _int_list(output_size, fn, "output_size", 3)
    k = _expand(k, nd, f"{fn}: kernel_size must either be a single {word} or tuple of {word}s")
    out = _expand(out, nd, f"{fn}: output_size must either be a single {word} or tuple of {word}s")
    if x.dim() < nd + 1:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-max(x.dim(), 1)}, "
                         f"{max(x.dim(), 1) - 1}], but got {-nd - 1})")
    batched = x.dim() == nd + 2
    nb = x.shape[0] if batched else 1
    planes = x.shape[-nd - 1]
    if _random_samples is None:
        if not x.is_floating_point():
            raise NotImplementedError(f'"check_uniform_bounds" not implemented for '
                                      f"'{_dtype_name(x.dtype)}'")
        _random_samples = _t.rand(nb, planes, nd, dtype=x.dtype, device=x.device)
    u = _random_samples
    if u.dtype != x.dtype:
        raise RuntimeError("Expect _random_samples to have the same dtype as input")
    if u.dim() != 3:
        raise RuntimeError(f"Expect _random_samples to have 3 dimensions, got {u.dim()}")
    if u.shape[0] < nb:
        raise RuntimeError("Expect _random_samples.size(0) no less then input batch size.")
    if u.shape[1] != planes:
        raise RuntimeError("Expect _random_samples.size(1) equals to input channel size.")
    if u.shape[2] != nd:
        raise RuntimeError(f"Expect _random_samples.size(2) equals to {nd}; got {u.shape[2]}.")
    ins = list(x.shape[-nd:])
    names = ("time", "height", "width")[3 - nd:]
    order = (0, 2, 1) if nd == 3 else (0, 1)        # PyTorch checks 3-d widths before heights
    for kv, o, n, name in [(k[j], out[j], ins[j], names[j]) for j in order]:
        if (o + kv - 1 >= n) if nd == 3 else (o + kv - 1 > n):
            where = f"{fn}_out()" if nd == 3 else f"{fn}()"
            raise RuntimeError(f"{where}: pool {name} {kv} too large relative to input {name} {n}")
    _check_dtype(x, _floats(), fn)
    shape = list(x.shape[:-nd]) + list(out)
    with _t.no_grad():
        xs = x if batched else x.unsqueeze(0)
        P = nb * planes
        flat = xs.reshape(P, -1)
        uu = u[:nb].reshape(P, nd).to(_t.float64)
        # the flat input index of every tap of every window: (P, outs..., taps)
        idx = _t.zeros([P] + [1] * (2 * nd), dtype=_t.int64, device=x.device)
        step = 1
        for j in range(nd - 1, -1, -1):
            # 2-d: the width takes sample 0; 3-d: time, height, width take 0, 1, 2
            starts = _fractional_starts(uu[:, j if nd == 3 else nd - 1 - j], ins[j], out[j], k[j])
            view = [P] + [1] * (2 * nd)
            view[1 + j] = out[j]
            taps = [1] * (2 * nd + 1)
            taps[1 + nd + j] = k[j]
            pos = starts.reshape(view) + _t.arange(k[j], device=x.device).reshape(taps)
            idx = idx + pos * step
            step *= ins[j]
        idx = idx.reshape(P, _math.prod(out), _math.prod(k))
        vals = flat.gather(1, idx.reshape(P, -1)).reshape(idx.shape)
        if vals.shape[-1] == 0:
            # no taps: nothing to pool, PyTorch's -inf
            v = _t.full(idx.shape[:-1], float("-inf"), dtype=x.dtype, device=x.device)
            i = _t.zeros(idx.shape[:-1], dtype=_t.int64, device=x.device)
        elif vals.numel():
            v, arg = vals.max(-1)
            i = idx.gather(-1, arg.unsqueeze(-1)).squeeze(-1)
        else:
            v = vals.sum(-1)
            i = idx.sum(-1)
        v = v.reshape(shape)
        i = i.reshape(shape)
    from ctorch.autograd._node import _record
    return _record(fn, v, (x,), (i,)), i


def fractional_max_pool2d_with_indices(input, kernel_size, output_size=None, output_ratio=None,
                                       return_indices=False, _random_samples=None):
    return _fractional_nd(2, input, kernel_size, output_size, output_ratio, _random_samples)


def fractional_max_pool3d_with_indices(input, kernel_size, output_size=None, output_ratio=None,
                                       return_indices=False, _random_samples=None):
    return _fractional_nd(3, input, kernel_size, output_size, output_ratio, _random_samples)


def fractional_max_pool2d(input, kernel_size, output_size=None, output_ratio=None,
                          return_indices=False, _random_samples=None):
    r = _fractional_nd(2, input, kernel_size, output_size, output_ratio, _random_samples)
    return r if return_indices else r[0]


def fractional_max_pool3d(input, kernel_size, output_size=None, output_ratio=None,
                          return_indices=False, _random_samples=None):
    r = _fractional_nd(3, input, kernel_size, output_size, output_ratio, _random_samples)
    return r if return_indices else r[0]
