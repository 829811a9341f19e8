# cython: language_level=3
"""The derivatives table: the one place where backward formulas live.

One entry per differentiable op, as PyTorch's tools/autograd/derivatives.yaml
has: the name the op records under, the grad_fn class users see, and for
each differentiable input a formula. A formula's parameters say what it
reads, and that is what the op saves, for the inputs that need a gradient:

    grad (grads for several outputs)   the gradient of the output
    an input or argument by name       self, other, exponent, alpha, ...
    result (result0, result1, ...)     the op's output, saved without history
    <input>_sizes, <input>_dtype,      an input's shape, dtype or strides only
    <input>_strides

So `add` saves no tensor, `exp` saves its result, `mul` saves the other
operand of each input that needs a gradient; an in-place change of anything
else is fine, and of a saved value fails at backward with PyTorch's message.

Flags: broadcast (the op broadcasts or promotes its inputs: each gradient is
summed to its input's shape and cast to its dtype); holomorphic (for complex
dtypes the formula is the real one, and the input gradient is
conj(formula(conj(grad))), PyTorch's convention for complex autograd).

Formulas are written with ctorch's ops, so that backward with
create_graph=True records a graph of its own (higher-order gradients).
"""

import math as _math

from libc.stdint cimport int64_t, uint8_t

from ctorch._core.dtype cimport t_bool, t_int64, CT_MAXDIM, CT_FLOAT64
from ctorch._core.backend cimport ct_backend, ct_iter, ct_params, CT_EW_LERP
from ctorch._core.tensor cimport Tensor, _empty_list, _alias
from ctorch._ops.index cimport _index_put
from ctorch.autograd._node cimport record, _grad_mode, _set_grad_mode
from ctorch._ops.elementwise cimport _FUNCTIONS
from ctorch.autograd._node import derivative, AccumulateGrad

from ctorch._ops.creation import zeros, zeros_like, ones_like, arange, ones
from ctorch._ops.elementwise import where, div
from ctorch._ops import shape as _shape
from ctorch._ops import complex as _complex
from ctorch._ops import products as _products
from ctorch._ops.products import matmul, _mH
from ctorch._ops.views import diagonal
from ctorch._core.iterator cimport _broadcast_list
from ctorch._ops import nn as _nn
from ctorch._ops import reduce as _reduce_ops


class _OnFirstUse:
    """A module imported when a formula first reads from it (the fft and
    linalg formulas run only after those modules made a graph)."""

    def __init__(self, name):
        self._name = name

    def __getattr__(self, attr):
        import importlib
        return getattr(importlib.import_module(self._name), attr)


_fft = _OnFirstUse("ctorch.fft")
_linalg = _OnFirstUse("ctorch.linalg")
_linalg_k = _OnFirstUse("ctorch._ops.linalg_k")

cdef double _LN2 = _math.log(2.0)
cdef double _LN10 = _math.log(10.0)
cdef double _TWO_OVER_SQRT_PI = 2.0 / _math.sqrt(_math.pi)


def _zeros(grad, *_):
    return zeros_like(grad)


def _same(grad, *_):
    return grad


# ================================================================ unary ops

derivative("neg", "NegBackward0", {"self": lambda grad: -grad}, holomorphic=True)
derivative("abs", "AbsBackward0",
           {"self": lambda grad, self: grad * (self.sgn() if self.is_complex() else self.sign())})
derivative("sign", "SignBackward0", {"self": _zeros})
derivative("exp", "ExpBackward0", {"self": lambda grad, result: grad * result}, holomorphic=True)
derivative("exp2", "Exp2Backward0", {"self": lambda grad, result: grad * result * _LN2},
           holomorphic=True)
derivative("expm1", "Expm1Backward0", {"self": lambda grad, result: grad * (result + 1)},
           holomorphic=True)
derivative("log", "LogBackward0", {"self": lambda grad, self: grad / self}, holomorphic=True)
derivative("log2", "Log2Backward0", {"self": lambda grad, self: grad / (self * _LN2)},
           holomorphic=True)
derivative("log10", "Log10Backward0", {"self": lambda grad, self: grad / (self * _LN10)},
           holomorphic=True)
derivative("log1p", "Log1PBackward0", {"self": lambda grad, self: grad / (self + 1)},
           holomorphic=True)
derivative("sqrt", "SqrtBackward0", {"self": lambda grad, result: grad / (2 * result)},
           holomorphic=True)
derivative("rsqrt", "RsqrtBackward0", {"self": lambda grad, result: grad * (-0.5) * result ** 3},
           holomorphic=True)
derivative("reciprocal", "ReciprocalBackward0",
           {"self": lambda grad, result: -grad * result * result}, holomorphic=True)
derivative("sin", "SinBackward0", {"self": lambda grad, self: grad * self.cos()}, holomorphic=True)
derivative("cos", "CosBackward0", {"self": lambda grad, self: -grad * self.sin()}, holomorphic=True)
derivative("tan", "TanBackward0", {"self": lambda grad, result: grad * (result * result + 1)},
           holomorphic=True)
derivative("asin", "AsinBackward0", {"self": lambda grad, self: grad / (1 - self * self).sqrt()},
           holomorphic=True)
derivative("acos", "AcosBackward0", {"self": lambda grad, self: -grad / (1 - self * self).sqrt()},
           holomorphic=True)
derivative("atan", "AtanBackward0", {"self": lambda grad, self: grad / (self * self + 1)},
           holomorphic=True)
derivative("sinh", "SinhBackward0", {"self": lambda grad, self: grad * self.cosh()}, holomorphic=True)
derivative("cosh", "CoshBackward0", {"self": lambda grad, self: grad * self.sinh()}, holomorphic=True)
derivative("tanh", "TanhBackward0", {"self": lambda grad, result: grad * (1 - result * result)},
           holomorphic=True)
derivative("asinh", "AsinhBackward0", {"self": lambda grad, self: grad * (self * self + 1).rsqrt()},
           holomorphic=True)
def _acosh_backward(grad, self):
    # 1 / sqrt(z^2 - 1) is acosh' only on the real line; off it the branches
    # of sqrt(z - 1) sqrt(z + 1) are the ones that match acosh's
    if self.is_complex():
        return grad * (self - 1).rsqrt() * (self + 1).rsqrt()
    return grad * (self * self - 1).rsqrt()


derivative("acosh", "AcoshBackward0", {"self": _acosh_backward}, holomorphic=True)
derivative("atanh", "AtanhBackward0", {"self": lambda grad, self: grad / (1 - self * self)},
           holomorphic=True)
derivative("sigmoid", "SigmoidBackward0",
           {"self": lambda grad, result: grad * result * (1 - result)}, holomorphic=True)
derivative("relu", "ReluBackward0", {"self": lambda grad, result: grad * (result > 0)})
derivative("erf", "ErfBackward0",
           {"self": lambda grad, self: grad * _TWO_OVER_SQRT_PI * (-(self * self)).exp()})
derivative("floor", "FloorBackward0", {"self": _zeros})
derivative("ceil", "CeilBackward0", {"self": _zeros})
derivative("round", "RoundBackward0", {"self": _zeros})
derivative("trunc", "TruncBackward0", {"self": _zeros})
derivative("frac", "FracBackward0", {"self": _same})
derivative("square", "PowBackward0", {"self": lambda grad, self: grad * 2 * self}, holomorphic=True)
derivative("nan_to_num", "NanToNumBackward0", {"self": lambda grad, self: grad * self.isfinite()},
           holomorphic=True)


def _clamp_mask(grad, self, min, max):
    mask = ones_like(self, dtype=t_bool)
    if min is not None:
        mask = mask & (self >= min)
    if max is not None:
        mask = mask & (self <= max)
    return grad * mask


derivative("clamp", "ClampBackward1", {"self": _clamp_mask}, args=("min", "max"))


def _clamp_tensor(grad, self, lo, hi, needs):
    """clamp with tensor bounds: the input keeps the gradient where it was
    kept (ties included); a bound gets it where it won."""
    zero = zeros((), dtype=grad.dtype, device=grad.device)
    keep = ones_like(self, dtype=t_bool)
    glo = ghi = None
    if lo is not None:
        keep = keep & (self >= lo)
        if needs[1]:
            m = self < lo
            if hi is not None:
                m = m & (lo <= hi)
            glo = where(m, grad, zero)
    if hi is not None:
        keep = keep & (self <= hi)
        if needs[2]:
            m = self > hi
            if lo is not None:
                m = m | (lo > hi)
            ghi = where(m, grad, zero)
    if lo is not None and hi is not None:
        keep = keep & (lo <= hi)
    return where(keep, grad, zero), glo, ghi


derivative("clamp.Tensor", "ClampBackward0", joint=_clamp_tensor, inputs=("self", "min", "max"),
           args=("lo", "hi"), broadcast=True)


# =============================================================== binary ops

derivative("add", "AddBackward0",
           {"self": _same, "other": lambda grad, alpha: grad if alpha == 1 else grad * alpha},
           args=("alpha",), broadcast=True, holomorphic=True)
derivative("sub", "SubBackward0",
           {"self": _same, "other": lambda grad, alpha: -grad if alpha == 1 else -grad * alpha},
           args=("alpha",), broadcast=True, holomorphic=True)
derivative("mul", "MulBackward0",
           {"self": lambda grad, other: grad * other, "other": lambda grad, self: grad * self},
           broadcast=True, holomorphic=True)
derivative("div", "DivBackward0",
           {"self": lambda grad, other: grad / other,
            "other": lambda grad, self, other: -grad * self / (other * other)},
           broadcast=True, holomorphic=True)
derivative("div.rounding_mode", "DivBackward2", {"self": _zeros, "other": _zeros}, broadcast=True)


def _pow_base(grad, self, exponent):
    if not isinstance(exponent, Tensor):
        return zeros_like(grad) if exponent == 0 else grad * exponent * _FUNCTIONS["pow"](self, exponent - 1)
    g = grad * exponent * _FUNCTIONS["pow"](self, exponent - 1)
    return where(exponent == 0, zeros_like(g), g)


def _pow_tensor_exponent(grad, self, exponent, result):
    g = grad * result * self.log()
    # 0 ** b has no slope in b where b >= 0 (PyTorch's convention; re(b) for complex b)
    real_b = _complex.real(exponent) if exponent.is_complex() else exponent
    return where((self == 0) & (real_b >= 0), zeros_like(g), g)


def _pow_scalar_exponent(grad, self, result):
    if self == 0:
        # d(0 ** b)/db: 0 where b >= 0, result * log(0) = -inf where b < 0 (as PyTorch)
        # (b >= 0 exactly where 0 ** b is finite: 0 or 1)
        g = grad * (result * float("-inf"))
        return where(_FUNCTIONS["isfinite"](result), zeros_like(g), g)
    if isinstance(self, complex):
        import cmath
        return grad * result * cmath.log(self)
    return grad * result * (_math.log(self) if self > 0 else float("nan"))


derivative("pow.Tensor_Scalar", "PowBackward0", {"self": _pow_base, "exponent": None},
           broadcast=True, holomorphic=True)
derivative("pow.Tensor_Tensor", "PowBackward1",
           {"self": _pow_base, "exponent": _pow_tensor_exponent}, broadcast=True, holomorphic=True)
derivative("pow.Scalar", "PowBackward2", {"self": None, "exponent": _pow_scalar_exponent},
           broadcast=True, holomorphic=True)


def _atan2_self(grad, self, other):
    return grad * other / (self * self + other * other)


def _atan2_other(grad, self, other):
    return -grad * self / (self * self + other * other)


derivative("atan2", "Atan2Backward0", {"self": _atan2_self, "other": _atan2_other}, broadcast=True)


def _maxmin(bint is_max):
    def self_grad(grad, self, other):
        win = (self > other) if is_max else (self < other)
        return grad * win + grad * (self == other) * 0.5

    def other_grad(grad, self, other):
        win = (self > other) if is_max else (self < other)
        tie = self == other
        return grad * (~win & ~tie) + grad * tie * 0.5
    return {"self": self_grad, "other": other_grad}


derivative("maximum", "MaximumBackward0", _maxmin(True), broadcast=True)
derivative("minimum", "MinimumBackward0", _maxmin(False), broadcast=True)
derivative("remainder", "RemainderBackward0",
           {"self": _same,
            "other": lambda grad, self, other: -grad * _FUNCTIONS["floor_divide"](self, other)},
           broadcast=True)
derivative("fmod", "FmodBackward0",
           {"self": _same,
            "other": lambda grad, self, other: -grad * div(self, other, rounding_mode="trunc")},
           broadcast=True)


# ============================================================= ternary ops

derivative("where", "WhereBackward0",
           {"self": lambda grad, condition: where(condition, grad, zeros_like(grad)),
            "other": lambda grad, condition: where(condition, zeros_like(grad), grad)},
           args=("condition",), broadcast=True)
derivative("lerp.Scalar", "LerpBackward0",
           {"self": lambda grad, weight: grad * (1 - weight), "end": lambda grad, weight: grad * weight},
           args=("weight",), broadcast=True, holomorphic=True)
derivative("lerp.Tensor", "LerpBackward1",
           {"self": lambda grad, weight: grad * (1 - weight), "end": lambda grad, weight: grad * weight,
            "weight": lambda grad, self, end: grad * (end - self)},
           broadcast=True, holomorphic=True)


# ========================================================== copies and casts

derivative("_to_copy", "ToCopyBackward0",
           {"self": lambda grad, self_dtype, self_device: grad.to(self_device, self_dtype)})
derivative("clone", "CloneBackward0", {"self": _same})
derivative("fill_.Scalar", "FillBackward0", {"self": _zeros})
derivative("fill_.Tensor", "FillBackward1", {"self": _zeros, "value": _same}, broadcast=True)
derivative("zero_", "ZeroBackward0", {"self": _zeros})
derivative("copy_", "CopyBackwards", {"self": _zeros, "src": _same}, broadcast=True)


# ============================================ views and in-place ops on views

cdef Tensor _positions(object sizes, object strides, Py_ssize_t offset):
    """The storage position of each element of a strided layout, in row-major
    order (a flat int64 tensor)."""
    cdef int nd = len(sizes), d
    cdef Py_ssize_t sz[CT_MAXDIM]
    cdef Py_ssize_t st[CT_MAXDIM]
    cdef Py_ssize_t idx[CT_MAXDIM]
    cdef Py_ssize_t n = 1, i, pos
    for d in range(nd):
        sz[d] = sizes[d]
        st[d] = strides[d]
        idx[d] = 0
        n *= sz[d]
    cdef Tensor out = _empty_list([n], t_int64)
    cdef int64_t *o = <int64_t *>out._data
    for i in range(n):
        pos = offset
        for d in range(nd):
            pos += idx[d] * st[d]
        o[i] = pos
        d = nd - 1
        while d >= 0:
            idx[d] += 1
            if idx[d] < sz[d]:
                break
            idx[d] = 0
            d -= 1
    return out


cdef Tensor _view_index(tuple geometry):
    """For each element of a view (in its shape), the position of that element
    in its base's logical (row-major) order."""
    base_sizes, base_strides, base_off, view_sizes, view_strides, view_off = geometry[:6]
    cdef Tensor out = _empty_list(list(view_sizes), t_int64)
    if out._numel == 0:
        return out
    cdef Tensor base_pos = _positions(base_sizes, base_strides, base_off)
    cdef Tensor view_pos = _positions(view_sizes, view_strides, view_off)
    cdef int64_t *bp = <int64_t *>base_pos._data
    cdef int64_t *vp = <int64_t *>view_pos._data
    cdef int64_t *o = <int64_t *>out._data
    cdef Py_ssize_t i, lo = bp[0], hi = bp[0]
    for i in range(base_pos._numel):
        lo = min(lo, bp[i])
        hi = max(hi, bp[i])
    # storage position -> logical position in the base
    cdef Tensor inv_t = _empty_list([hi - lo + 1], t_int64)
    cdef int64_t *inv = <int64_t *>inv_t._data
    for i in range(base_pos._numel):
        inv[bp[i] - lo] = i
    for i in range(view_pos._numel):
        o[i] = inv[vp[i] - lo]
    return out


cdef Tensor _outside_mask(tuple geometry):
    """A bool tensor of the base's shape (in the narrower dtype's units):
    True outside the view."""
    base_sizes = geometry[0]
    cdef Tensor idx = _view_index(geometry)
    cdef Py_ssize_t n = 1, i
    for s in base_sizes:
        n *= s
    cdef Tensor mask = _empty_list(list(base_sizes), t_bool)
    cdef uint8_t *mp = <uint8_t *>mask._data
    cdef int64_t *ip = <int64_t *>idx._data
    for i in range(n):
        mp[i] = 1
    for i in range(idx._numel):
        mp[ip[i]] = 0
    return mask


# A view of another dtype (geometry[6]): 1 a real view of a complex base, 2 a
# complex view of a real base. Its geometry counts real elements, so complex
# gradients pass through their real pairs.

cdef bint _row_major(sizes, strides):
    """Whether a base's elements sit in its storage in row-major order (its
    storage positions are then its logical positions, plus its offset)."""
    cdef int64_t expect = 1
    for d in range(len(sizes) - 1, -1, -1):
        if sizes[d] != 1 and strides[d] != expect:
            return False
        expect *= sizes[d]
    return True


cdef bint _no_overlap(sizes, strides):
    """Whether no two elements of a strided layout share a storage position
    (dims by increasing stride, each stride past the reach of the ones below;
    an unfold's windows overlap)."""
    dims = sorted((strides[d], sizes[d]) for d in range(len(sizes)) if sizes[d] > 1)
    cdef int64_t reach = 0
    for st, sz in dims:
        if st <= reach:
            return False
        reach += st * (sz - 1)
    return True


cdef bint _direct_view(tuple geometry):
    """A view of a row-major base of its own dtype, outside a graph being
    recorded: its gradient moves by a strided copy, without the index of
    every element that the general path builds (a slice of a long tensor
    taken many times, as a recurrent network does, stays linear)."""
    return (geometry[6] == 0 and not _grad_mode() and _row_major(geometry[0], geometry[1])
            and _no_overlap(geometry[3], geometry[4]))


def _view_to_base(grad, geometry):
    """A view's gradient placed in its base's shape (zeros elsewhere)."""
    base_sizes = geometry[0]
    if _direct_view(geometry):
        out = grad.new_zeros(base_sizes)
        out.as_strided(geometry[3], geometry[4], geometry[5] - geometry[2]).copy_(grad)
        return out
    idx = _view_index(geometry).reshape(-1).to(grad.device)
    n = 1
    for s in base_sizes:
        n *= s
    if geometry[6] == 2:
        grad = _complex.view_as_real(grad)
    out = grad.new_zeros(n).index_add(0, idx, grad.reshape(-1)).reshape(base_sizes)
    return _complex.view_as_complex(out) if geometry[6] == 1 else out


def _base_to_view(grad, geometry):
    """The part of a base's gradient that belongs to a view of it."""
    if _direct_view(geometry):
        return grad.contiguous().as_strided(geometry[3], geometry[4],
                                            geometry[5] - geometry[2]).clone()
    idx = _view_index(geometry).reshape(-1).to(grad.device)
    if geometry[6] == 1:
        grad = _complex.view_as_real(grad)
    out = grad.reshape(-1).index_select(0, idx).reshape(geometry[3])
    return _complex.view_as_complex(out) if geometry[6] == 2 else out


def _outside_view(grad, geometry):
    """A base's gradient with the view's part zeroed."""
    if geometry[6] == 1:
        return _complex.view_as_complex(_complex.view_as_real(grad) * _outside_mask(geometry))
    return grad * _outside_mask(geometry)


# A view's grad_fn remade after its base's history changed (PyTorch's name).
derivative("as_strided_view", "AsStridedBackward0", {"self": _view_to_base}, args=("geometry",))

def _copy_slices(grad, geometry, fn):
    """An in-place op through a view rewrote its base (PyTorch's CopySlices):
    the base's old history gets the gradient outside the view, and inside it
    what the op's node `fn` gives the view's old value; the op's other inputs
    get what fn gives them."""
    res = fn(_base_to_view(grad, geometry))
    g = _outside_view(grad, geometry)
    if res[0] is not None:
        g = g + _view_to_base(res[0], geometry)
    return (g,) + tuple(res[1:])


derivative("copy_slices", "CopySlices", joint=_copy_slices, inputs=(), args=("geometry", "fn"),
           name="torch::autograd::CopySlices")
# the same when the op's node does not take the old value first (a cast wraps it)
derivative("copy_slices.wrapped", "CopySlices",
           {"self": _outside_view,
            "src": _base_to_view},
           args=("geometry",), name="torch::autograd::CopySlices")


# ==================================================================== views

def _reshape_back(grad, self_sizes):
    return grad.reshape(self_sizes)


derivative("view", "ViewBackward0", {"self": _reshape_back})
derivative("t", "TBackward0",
           {"self": lambda grad, self_sizes: grad.t() if len(self_sizes) == 2 else grad.reshape(self_sizes)})
derivative("transpose", "TransposeBackward0",
           {"self": lambda grad, dim0, dim1: grad.transpose(dim0, dim1)}, args=("dim0", "dim1"))
derivative("permute", "PermuteBackward0", {"self": lambda grad, inverse: grad.permute(*inverse)},
           args=("inverse",))
derivative("squeeze", "SqueezeBackward0", {"self": _reshape_back})
derivative("squeeze.dim", "SqueezeBackward1", {"self": _reshape_back})
derivative("unsqueeze", "UnsqueezeBackward0", {"self": _reshape_back})
derivative("expand", "ExpandBackward0", {"self": lambda grad, self_sizes: grad.sum_to_size(self_sizes)})
# views that pick elements: the gradient goes back to where they sit
derivative("select", "SelectBackward0", {"self": _view_to_base}, args=("geometry",))
derivative("narrow", "SliceBackward0", {"self": _view_to_base}, args=("geometry",))
derivative("diagonal", "DiagonalBackward0", {"self": _view_to_base}, args=("geometry",))
derivative("as_strided", "AsStridedBackward0", {"self": _view_to_base}, args=("geometry",))
derivative("unfold", "UnfoldBackward0", {"self": _view_to_base}, args=("geometry",))


# ================================================================= sampling

# sampling has no slope: PyTorch's formulas for the input and the probabilities are zero
derivative("bernoulli", "BernoulliBackward0", {"self": _zeros})
derivative("bernoulli_.Tensor", "BernoulliBackward1",
           {"self": _zeros, "p": lambda grad, p_sizes, p_dtype: zeros(p_sizes, dtype=p_dtype, device=grad.device)})
derivative("bernoulli_.float", "BernoulliBackward2", {"self": _zeros})
# dropout is x * mask (mask already scaled by 1 / (1 - p)), as PyTorch's node says
derivative("dropout", "MulBackward0", {"self": lambda grad, mask: grad * mask, "other": None},
           args=("mask",))


# =============================================================== reductions

def _unsqueeze_dims(g, dims, keepdim):
    """g with the reduced dims back (as size 1) when they were dropped."""
    if dims is not None and not keepdim:
        for d in sorted(dims):
            g = g.unsqueeze(d)
    return g


def _sum_backward(grad, self_sizes, dims, keepdim, count):
    g = _unsqueeze_dims(grad, dims, keepdim).expand(self_sizes)
    return g if count == 1 else g / count


derivative("sum", "SumBackward0", {"self": _sum_backward}, args=("dims", "keepdim", "count"))
derivative("sum.dim", "SumBackward1", {"self": _sum_backward}, args=("dims", "keepdim", "count"))
derivative("mean", "MeanBackward0", {"self": _sum_backward}, args=("dims", "keepdim", "count"))
derivative("mean.dim", "MeanBackward1", {"self": _sum_backward}, args=("dims", "keepdim", "count"))


def _even_split(grad, self, result, dims, keepdim):
    """max()/amax: the gradient is shared evenly between the tied extremes."""
    g = _unsqueeze_dims(grad, dims, keepdim)
    r = _unsqueeze_dims(result, dims, keepdim)
    mask = _FUNCTIONS["eq"](self, r) | (_FUNCTIONS["isnan"](self) & _FUNCTIONS["isnan"](r))
    cnt = mask.sum(dims, keepdim=True) if dims is not None else mask.sum(None, True)
    return where(mask, g / cnt, zeros((), dtype=self.dtype, device=self.device))


def _pick(grad, self_sizes, dim, keepdim, indices):
    """max(dim)/median(dim): the gradient goes to the chosen index."""
    nd = len(self_sizes)
    if nd == 0:
        return grad.reshape(())
    idx = indices
    if not keepdim:
        grad = grad.unsqueeze(dim)
        idx = idx.unsqueeze(dim)
    shp = [1] * nd
    shp[dim] = self_sizes[dim]
    ar = arange(self_sizes[dim], device=grad.device).reshape(shp)
    return where(_FUNCTIONS["eq"](ar, idx), grad, zeros((), dtype=grad.dtype, device=grad.device)).expand(self_sizes).contiguous()


def _pick_flat(grad, self_sizes, indices):
    """median(): the gradient goes to the flat index of the median."""
    n = 1
    for s in self_sizes:
        n *= s
    m = _FUNCTIONS["eq"](arange(n, device=indices.device), indices)
    return where(m, grad, zeros((), dtype=grad.dtype, device=grad.device)).reshape(self_sizes)


derivative("max", "MaxBackward1", {"self": _even_split}, args=("dims", "keepdim"))
derivative("min", "MinBackward1", {"self": _even_split}, args=("dims", "keepdim"))
derivative("amax", "AmaxBackward0", {"self": _even_split}, args=("dims", "keepdim"))
derivative("amin", "AminBackward0", {"self": _even_split}, args=("dims", "keepdim"))
derivative("max.dim", "MaxBackward0", {"self": _pick}, args=("dim", "keepdim", "indices"))
derivative("min.dim", "MinBackward0", {"self": _pick}, args=("dim", "keepdim", "indices"))
derivative("median", "MedianBackward0", {"self": _pick_flat}, args=("indices",))
derivative("median.dim", "MedianBackward1", {"self": _pick}, args=("dim", "keepdim", "indices"))


def _prod_backward(grad, self, result, dim, keepdim):
    """d prod / d x_i is the product of the other elements: r / x_i when the
    slice has no zero; when it has exactly one, that zero's slope is the
    product of the nonzeros and every other slope is 0; with two or more
    zeros every slope is 0."""
    if dim is not None and not keepdim:
        grad = grad.unsqueeze(dim)
        result = result.unsqueeze(dim)
    nz = self != 0
    if bool(nz.all()):
        return grad * result / self
    safe = where(nz, self, ones_like(self))
    if dim is None:
        p_nz = safe.prod()
        nzeros = (~nz).sum()
    else:
        p_nz = safe.prod(dim, True)
        nzeros = (~nz).sum(dim, keepdim=True)
    others = where(nzeros == 0, result / safe,
                   where((nzeros == 1) & ~nz, p_nz * ones_like(self), zeros_like(self)))
    return grad * others


derivative("prod", "ProdBackward0", {"self": _prod_backward}, args=("dim", "keepdim"),
           holomorphic=True)
derivative("prod.dim_int", "ProdBackward1", {"self": _prod_backward}, args=("dim", "keepdim"),
           holomorphic=True)


def _var_backward(grad, self, dims, keepdim, denom):
    g = _unsqueeze_dims(grad, dims, keepdim)
    m = self.mean(dims if dims else None, True)
    return g * 2 * (self - m) / denom


def _std_backward(grad, self, result, dims, keepdim, denom):
    g = _unsqueeze_dims(grad, dims, keepdim)
    std = _unsqueeze_dims(result, dims, keepdim)
    m = self.mean(dims if dims else None, True)
    return g * (self - m) / (std * denom)


derivative("var", "VarBackward0", {"self": _var_backward}, args=("dims", "keepdim", "denom"))
derivative("std", "StdBackward0", {"self": _std_backward}, args=("dims", "keepdim", "denom"))


def _logsumexp_backward(grad, self, result, dims, keepdim):
    g = _unsqueeze_dims(grad, dims, keepdim)
    r = _unsqueeze_dims(result, dims, keepdim)
    return g * (self - r).exp()


derivative("logsumexp", "LogsumexpBackward0", {"self": _logsumexp_backward}, args=("dims", "keepdim"))


def _reverse_cumsum(t, dim):
    """sum_{j >= i} t_j along dim, summed from the far end (no cancellation)."""
    return _shape.flip(_shape.flip(t, (dim,)).cumsum(dim), (dim,))


def _cumprod_backward(grad, self, result, dim):
    """d y_j / d x_i (y = cumprod x, j >= i) is the product of x_0..x_j but x_i.
    Without zeros that is y_j / x_i, so g_i = (sum_{j>=i} g_j y_j) / x_i. In a
    slice whose first zero sits at k: before k the same formula holds (y_j is 0
    from k on); at k, g_k = sum_{j>=k} g_j y'_j with y' the cumprod of x with x_k
    replaced by 1; after k every slope is 0 (each product keeps x_k)."""
    if self.dim() == 0:
        return grad
    nz = self != 0
    if bool(nz.all()):
        return _reverse_cumsum(grad * result, dim) / self
    if _grad_mode():
        # a graph of the gradient itself (create_graph): the formula below
        # is exact in value but constant in the elements after a zero, whose
        # second derivatives are not 0
        return _cumprod_backward_products(grad, self, dim)
    nzeros = (~nz).cumsum(dim)
    before = nzeros == 0
    first = (~nz) & (nzeros == 1)
    one = ones_like(self)
    head = _reverse_cumsum(grad * result, dim) / where(before, self, one)
    at_zero = _reverse_cumsum(grad * where(first, one, self).cumprod(dim), dim)
    return where(before, head, where(first, at_zero, zeros_like(self)))


def _cumprod_backward_products(grad, self, dim):
    """The same gradient as products only (no division, so exact with any
    zeros and differentiable again): g_i = E_i sum_{j>=i} grad_j Q_ij, with
    E_i = x_0..x_{i-1} (an exclusive cumprod) and Q_ij = x_{i+1}..x_j, built
    as an n x n cumprod per slice (O(n^2), taken only for inputs with zeros
    under create_graph)."""
    n = self.shape[dim]
    x = self.movedim(dim, -1)
    g = grad.movedim(dim, -1)
    one = ones((), dtype=self.dtype, device=self.device)
    ar = arange(n, device=self.device)
    later = ar.unsqueeze(0) > ar.unsqueeze(1)              # [i, l]: l > i
    # M[..., i, l] = x_l for l > i, else 1; its cumprod over l is Q_il for l >= i
    M = where(later, x.unsqueeze(-2), one)
    Q = M.cumprod(-1)
    upper = ar.unsqueeze(0) >= ar.unsqueeze(1)             # [i, j]: j >= i
    S = where(upper, Q * g.unsqueeze(-2), zeros((), dtype=self.dtype, device=self.device)).sum(-1)
    shifted = _shape.cat([ones_like(x.narrow(-1, 0, 1)), x.narrow(-1, 0, n - 1)], -1) if n > 1 else ones_like(x)
    E = shifted.cumprod(-1)
    return (E * S).movedim(-1, dim)


derivative("cumsum", "CumsumBackward0",
           {"self": lambda grad, dim: grad.sum(dim, True) - grad.cumsum(dim) + grad}, args=("dim",))
derivative("cumprod", "CumprodBackward0", {"self": _cumprod_backward}, args=("dim",),
           holomorphic=True)
def _softmax_backward(grad, result, dim):
    # result (grad - sum(grad result)): one fused kernel, or (under
    # create_graph, or where the kernel does not apply) as g - result sum(g),
    # g = grad result, with the subtraction and its product fused in addcmul
    if not _grad_mode():
        r = _reduce_ops._softmax_backward_dense(grad, result, dim, False)
        if r is not None:
            return r
    g = grad * result
    return g.addcmul(result, g.sum(dim, True), value=-1)


def _log_softmax_backward(grad, result, dim):
    # grad - exp(result) sum(grad)
    if not _grad_mode():
        r = _reduce_ops._softmax_backward_dense(grad, result, dim, True)
        if r is not None:
            return r
    return grad.addcmul(result.exp(), grad.sum(dim, True), value=-1)


derivative("softmax", "SoftmaxBackward0", {"self": _softmax_backward}, args=("dim",))
derivative("log_softmax", "LogSoftmaxBackward0", {"self": _log_softmax_backward}, args=("dim",))


# ================================================================== sorting

def _sort_backward(grad, self_sizes, dim, indices):
    """sort/topk: each value's gradient goes back to the index it came from."""
    if len(self_sizes) == 0:
        return grad.reshape(())
    return zeros(self_sizes, dtype=grad.dtype, device=grad.device).scatter(dim, indices, grad)


derivative("sort", "SortBackward0", {"self": _sort_backward}, args=("dim", "indices"))
derivative("topk", "TopkBackward0", {"self": _sort_backward}, args=("dim", "indices"))
derivative("kthvalue", "KthvalueBackward0", {"self": _pick}, args=("dim", "keepdim", "indices"))


# ================================================================= indexing

def _index_backward(grad, self_sizes, self_dtype, index):
    """t[index] with advanced indices: the gradient is added back where each
    element came from (repeated indices add up)."""
    cdef int mode = _grad_mode()
    _set_grad_mode(0)
    try:
        z = zeros(self_sizes, dtype=self_dtype, device=grad.device)
        _index_put(<Tensor>z, index, _alias(<Tensor>grad), True)
    finally:
        _set_grad_mode(mode)
    # differentiating this again (create_graph): z depends on grad by the same index
    record("index_backward", z, (grad,), (index,))
    return z


derivative("index", "IndexBackward0", {"self": _index_backward}, args=("index",))
derivative("index_backward", "IndexPutBackward0", {"self": lambda grad, index: grad[index]},
           args=("index",))


def _index_put_self(grad, index):
    cdef int mode = _grad_mode()
    _set_grad_mode(0)
    try:
        keep = ones_like(grad)
        keep[index] = 0
    finally:
        _set_grad_mode(mode)
    return grad * keep


# t[index] = value out of place: the old values where value went get no gradient
derivative("index_put", "IndexPutBackward0",
           {"self": _index_put_self, "values": lambda grad, index: grad[index]},
           args=("index",), broadcast=True)


# ============================================================ shape and join

def _cat_backward(grad, dim, sizes, needs):
    outs = []
    off = 0
    for s, need in zip(sizes, needs):
        if len(s) == 1 and s[0] == 0 and grad.dim() != 1:
            outs.append(zeros(s, dtype=grad.dtype, device=grad.device) if need else None)   # a skipped empty input
            continue
        outs.append(grad.narrow(dim, off, s[dim]) if need else None)
        off += s[dim]
    return tuple(outs)


def _stack_backward(grad, dim, count, needs):
    return tuple(grad.select(dim, i) if needs[i] else None for i in range(count))


derivative("cat", "CatBackward0", joint=_cat_backward, args=("dim", "sizes"))
derivative("stack", "StackBackward0", joint=_stack_backward, args=("dim", "count"))
derivative("split", "SplitBackward0", {"self": _view_to_base}, args=("geometry",))
derivative("split_with_sizes", "SplitWithSizesBackward0", {"self": _view_to_base}, args=("geometry",))
derivative("unbind", "UnbindBackward0", {"self": _view_to_base}, args=("geometry",))
derivative("flip", "FlipBackward0", {"self": lambda grad, dims: _shape.flip(grad, dims)}, args=("dims",))
derivative("roll", "RollBackward0",
           {"self": lambda grad, shifts, dims: _shape.roll(grad, [-s for s in shifts], dims)},
           args=("shifts", "dims"))
derivative("rot90", "Rot90Backward0", {"self": lambda grad, k, dims: _shape.rot90(grad, -k, dims)},
           args=("k", "dims"))


def _repeat_backward(grad, self_sizes, repeats):
    lead = len(repeats) - len(self_sizes)
    src = [1] * lead + list(self_sizes)
    big = []
    for j in range(len(repeats)):
        big += [repeats[j], src[j]]
    return grad.reshape(big).sum(tuple(range(0, 2 * len(repeats), 2))).reshape(self_sizes)


derivative("repeat", "RepeatBackward0", {"self": _repeat_backward}, args=("repeats",))
# gather/scatter and friends: the index is an input without a gradient (no edge formula)
derivative("gather", "GatherBackward0",
           {"self": lambda grad, self_sizes, dim, index:
                zeros(self_sizes, dtype=grad.dtype, device=grad.device).scatter_add(dim, index, grad),
            "_index": None}, args=("dim", "index"))
derivative("scatter.src", "ScatterBackward0",
           {"self": lambda grad, dim, index: grad.scatter(dim, index, 0), "_index": None,
            "src": lambda grad, dim, index: grad.gather(dim, index)}, args=("dim", "index"))
derivative("scatter.value", "ScatterBackward1",
           {"self": lambda grad, dim, index: grad.scatter(dim, index, 0), "_index": None},
           args=("dim", "index"))
derivative("scatter_add", "ScatterAddBackward0",
           {"self": _same, "_index": None, "src": lambda grad, dim, index: grad.gather(dim, index)},
           args=("dim", "index"))
derivative("index_select", "IndexSelectBackward0",
           {"self": lambda grad, self_sizes, dim, index:
                zeros(self_sizes, dtype=grad.dtype, device=grad.device).index_add_(dim, index, grad),
            "_index": None}, args=("dim", "index"))


def _index_add_source(grad, source_sizes, dim, index, alpha):
    gs = grad.index_select(dim, index)
    if alpha != 1:
        gs = gs * alpha
    return gs.reshape(source_sizes)


derivative("index_add", "IndexAddBackward0",
           {"self": _same, "_index": None, "source": _index_add_source}, args=("dim", "index", "alpha"))


def _take_backward(grad, self_sizes, index):
    n = 1
    for s in self_sizes:
        n *= s
    flat = zeros(n, dtype=grad.dtype, device=grad.device)
    return flat.scatter_add(0, index.reshape(-1), grad.reshape(-1)).reshape(self_sizes)


derivative("take", "TakeBackward0", {"self": _take_backward, "_index": None}, args=("index",))
derivative("masked_fill.Scalar", "MaskedFillBackward0",
           {"self": lambda grad, mask: grad.masked_fill(mask, 0), "_mask": None}, args=("mask",))
derivative("masked_fill.Tensor", "MaskedFillBackward1",
           {"self": lambda grad, mask: grad.masked_fill(mask, 0), "_mask": None,
            "value": lambda grad, mask: where(mask, grad, zeros((), dtype=grad.dtype, device=grad.device)).sum()},
           args=("mask",))


def _masked_select_backward(grad, self_sizes, mask):
    bshape = _broadcast_list([list(self_sizes), list(mask.size())])
    z = zeros(bshape, dtype=grad.dtype, device=grad.device)
    z[mask.expand(bshape)] = grad
    return z.sum_to_size(self_sizes) if list(bshape) != list(self_sizes) else z


derivative("masked_select", "MaskedSelectBackward0",
           {"self": _masked_select_backward, "_mask": None}, args=("mask",))


# ================================================================== complex

derivative("view_as_real", "ViewAsRealBackward0",
           {"self": lambda grad: _complex.view_as_complex(grad.contiguous())})
derivative("view_as_complex", "ViewAsComplexBackward0",
           {"self": lambda grad: _complex.view_as_real(grad.contiguous())})
derivative("complex", "ComplexBackward0",
           {"real": lambda grad: _complex.real(grad), "imag": lambda grad: _complex.imag(grad)},
           broadcast=True)


def _polar_grads(grad, abs, angle, needs):
    w = grad * _complex.conj(_complex._complex_fn(angle.cos(), angle.sin()))
    return (_complex.real(w) if needs[0] else None,
            _complex.imag(w) * abs if needs[1] else None)


derivative("polar", "PolarBackward0", joint=_polar_grads, inputs=("abs", "angle"), broadcast=True)
derivative("conj", "ConjBackward0", {"self": lambda grad: _complex.conj(grad)})
derivative("conj_physical", "ConjPhysicalBackward0", {"self": lambda grad: _complex.conj(grad)})


def _angle_backward(grad, self):
    if not self.is_complex():
        return zeros_like(self)
    a2 = self.abs() ** 2
    zero = a2 == 0
    # d angle / d(re, im) = (-im, re) / |z|^2, that is i z / |z|^2
    gz = grad * self * complex(0, 1) / where(zero, ones((), dtype=a2.dtype, device=a2.device), a2)
    return where(zero, zeros((), dtype=self.dtype, device=self.device), gz)


derivative("angle", "AngleBackward0", {"self": _angle_backward})


# ================================================================= products

def _mm_self(grad, mat2, self_sizes, self_strides):
    return _products._mm_like(self_sizes, self_strides, grad, _mH(mat2))


def _mm_mat2(grad, self, mat2_sizes, mat2_strides):
    return _products._mm_like(mat2_sizes, mat2_strides, _mH(self), grad)


derivative("mm", "MmBackward0", {"self": _mm_self, "mat2": _mm_mat2})
derivative("bmm", "BmmBackward0", {"self": lambda grad, mat2: matmul(grad, _mH(mat2)),
                                   "mat2": lambda grad, self: matmul(_mH(self), grad)})
derivative("mv", "MvBackward0", {"self": lambda grad, vec: grad.unsqueeze(-1) * _complex.conj(vec),
                                 "vec": lambda grad, self: matmul(_mH(self), grad)})
derivative("dot", "DotBackward0", {"self": lambda grad, tensor: grad * _complex.conj(tensor),
                                   "tensor": lambda grad, self: grad * _complex.conj(self)})
# vdot(a, b) = sum(conj(a) b)
derivative("vdot", "VdotBackward0", {"self": lambda grad, other: _complex.conj(grad) * other,
                                     "other": lambda grad, self: grad * self})


def _addmm_self(grad, beta):
    return grad * beta if beta != 1 else grad


def _addmm_mat1(grad, mat2, alpha, mat1_sizes, mat1_strides):
    g = _products._mm_like(mat1_sizes, mat1_strides, grad, _mH(mat2))
    return g * alpha if alpha != 1 else g


def _addmm_mat2(grad, mat1, alpha, mat2_sizes, mat2_strides):
    g = _products._mm_like(mat2_sizes, mat2_strides, _mH(mat1), grad)
    return g * alpha if alpha != 1 else g


derivative("addmm", "AddmmBackward0", {"self": _addmm_self, "mat1": _addmm_mat1, "mat2": _addmm_mat2},
           args=("beta", "alpha"), broadcast=True)
derivative("diag_embed", "DiagEmbedBackward0",
           {"self": lambda grad, offset, dim1, dim2: diagonal(grad, offset, dim1, dim2)},
           args=("offset", "dim1", "dim2"))


# ============================================================ nn functions

derivative("gelu", "GeluBackward0", {"self": _nn._gelu_backward}, args=("approximate",))
derivative("nll_loss", "NllLossBackward0", {"self": _nn._nll_backward},
           args=("target", "weight", "ignore_index", "reduction", "total_weight"))
derivative("mse_loss", "MseLossBackward0",
           {"self": _nn._mse_backward,
            "target": lambda grad, self, target, reduction, count: -_nn._mse_backward(grad, self, target, reduction, count)},
           args=("reduction", "count"), broadcast=True)
derivative("glu", "GluBackward0", {"self": _nn._glu_backward}, args=("dim",))
derivative("_prelu_kernel", "PreluKernelBackward0",
           joint=lambda grad, self, weight, needs: _nn._prelu_backward(grad, self, weight, needs),
           inputs=("self", "weight"))
# ---- pointwise losses (ctorch/_ops/nn.pyx _ploss): args (op code, parameter, ...)
for _pl_op, _pl_node in (("binary_cross_entropy_with_logits", "BinaryCrossEntropyWithLogitsBackward0"),
                         ("smooth_l1_loss", "SmoothL1LossBackward0"), ("huber_loss", "HuberLossBackward0")):
    derivative(_pl_op, _pl_node, {"self": _nn._ploss_backward, "target": _nn._ploss_target_backward},
               args=("op", "p", "pos_weight", "weight", "reduction", "count"))
# soft_margin_loss's target is not differentiable (functional.py refuses one
# that requires grad, as PyTorch does)
derivative("soft_margin_loss", "SoftMarginLossBackward0", {"self": _nn._ploss_backward, "target": None},
           args=("op", "p", "pos_weight", "weight", "reduction", "count"))


# ===================================================================== fft
# The gradient of a transform is its adjoint, itself a transform
# (ctorch.fft's _*_adjoint); arguments: the dims, their transform sizes, the
# norm, the input's sizes along the dims, the function's name for messages.

derivative("fft_c2c", "FftC2CBackward0",
           {"self": lambda grad, dims, sizes, norm, forward, in_sizes, fname:
                _fft._c2c_adjoint(grad, dims, sizes, norm, forward, in_sizes, fname, False)},
           args=("dims", "sizes", "norm", "forward", "in_sizes", "fname"))
# a real input is taken as complex: the gradient is the real part
derivative("fft_c2c_real", "FftR2CBackward0",
           {"self": lambda grad, dims, sizes, norm, forward, in_sizes, fname:
                _fft._c2c_adjoint(grad, dims, sizes, norm, forward, in_sizes, fname, True)},
           args=("dims", "sizes", "norm", "forward", "in_sizes", "fname"))
derivative("fft_r2c", "FftR2CBackward0",
           {"self": lambda grad, dims, sizes, norm, in_sizes, fname:
                _fft._r2c_adjoint(grad, dims, sizes, norm, in_sizes, fname)},
           args=("dims", "sizes", "norm", "in_sizes", "fname"))
derivative("fft_c2r", "FftC2RBackward0",
           {"self": lambda grad, dims, sizes, norm, in_sizes, fname:
                _fft._c2r_adjoint(grad, dims, sizes, norm, in_sizes, fname, False)},
           args=("dims", "sizes", "norm", "in_sizes", "fname"))
derivative("fft_c2r_real", "FftC2RBackward0",
           {"self": lambda grad, dims, sizes, norm, in_sizes, fname:
                _fft._c2r_adjoint(grad, dims, sizes, norm, in_sizes, fname, True)},
           args=("dims", "sizes", "norm", "in_sizes", "fname"))


# ================================================================== linalg
#
# The formulas come from differentiating the factorizations (<X, Y> =
# Re tr(X^H Y), gX the gradient of a real loss with respect to X):
#
# inv, X = A^-1: gA = -X^H gX X^H.   det: gA = g conj(det) A^-H.
# solve, A X = B: gB = A^-H gX, gA = -gB X^H.
# cholesky, A = L L^H: with P = L^H gL, its lower part with the diagonal
#   halved, gA is the Hermitian part of L^-H P L^-1.
# eigh, A = V diag(L) V^H: with P = V^H dA V, dL = diag(P) and dV = V (F o P),
#   F_ij = 1 / (L_j - L_i) off the diagonal, 0 on it. A is Hermitian, so the
#   gradient is the Hermitian part: gA = V (diag(gL) + F o (X - X^H) / 2) V^H,
#   X = V^H gV.
# svd, A = U diag(S) V^H (thin, k = min(m, n)): with P = U^H dA V,
#   dS = Re diag(P), U^H dU = F o (P S + S P^H), V^H dV = F o (S P + P^H S)
#   (F_ij = 1 / (S_j^2 - S_i^2)), plus the parts of dU, dV outside the spans
#   of U, V. Collecting the terms, with J = U^H gU and K = V^H gV:
#   gA = U [diag(gS) + (F o (J - J^H)) S + S (F o (K - K^H)) + i Im diag(J) / S] V^H
#        + (I - U U^H) gU S^-1 V^H + U S^-1 gV^H (I - V V^H).
#   The phases of complex singular vectors are free; the loss may depend on
#   them only through U D, V D together, which makes Im diag(J + K) vanish.
# qr, A = Q R with m >= n: C = Q^H dA R^-1 = Q^H dQ + dR R^-1, the first term
#   skew-Hermitian, the second upper triangular with a real diagonal, so
#   Q^H dQ is the strictly lower part of C mirrored, plus i Im diag(C).
#   With N = Q^H gQ - gR R^H and Y = tril(N - N^H) with its diagonal halved:
#   gA = (gQ + Q (Y - N)) R^-H.
#   For m < n, A = [X | W] and R = [R1 | R2]: X = Q R1 is a square QR and
#   R2 = Q^H W, so gW = Q gR2 and X sees gQ + W gR2^H.

from ctorch._ops.creation import eye
from ctorch._ops.products import tril, diag_embed


derivative("linalg_inv_ex", "LinalgInvExBackward0",
           {"A": lambda grad, result: -matmul(matmul(_mH(result), grad), _mH(result))})
derivative("linalg_det", "LinalgDetBackward0",
           {"A": lambda grad, A, result:
                (grad * _complex.conj(result)).unsqueeze(-1).unsqueeze(-1) * _mH(_linalg.inv(A))})


def _solve_grads(grad, A, result, vec, needs):
    gB = _linalg.solve(_mH(A), grad)
    gA = None
    if needs[0]:
        if vec:
            gA = -(gB.unsqueeze(-1) * _complex.conj(result).unsqueeze(-2))
        else:
            gA = -matmul(gB, _mH(result))
    return gA, gB


derivative("linalg_solve_ex", "LinalgSolveExBackward0", joint=_solve_grads, inputs=("A", "B"),
           args=("vec",), broadcast=True)


def _cholesky_backward(grad, result):
    # L^-H pi*(tril(L^H gL)) L^-1 with pi*(X) = (X + tril(X, -1)^H) / 2: the
    # lower triangle and its conjugate mirror, the diagonal halved (complex
    # diagonals keep their imaginary parts, as PyTorch's do)
    L = result
    P = tril(matmul(_mH(L), grad))
    if _grad_mode():
        # a recorded backward (create_graph): differentiable operations only
        P = 0.5 * (P + _mH(tril(P, -1)))
        Li = _linalg.inv(L)
        return matmul(matmul(_mH(Li), P), Li)
    # two triangular solves on L itself (the left one with L^H as its op,
    # the right one X L^-1)
    P = P.add_(_mH(tril(P, -1))).mul_(0.5)
    return _linalg._trsm_raw(L, _linalg._trsm_raw(L, P, False, True, False, 2), False, False, False, 0)


derivative("linalg_cholesky_ex", "LinalgCholeskyExBackward0", {"A": _cholesky_backward})


def _offdiag_inverse(d):
    """F_ij = 1 / (d_j - d_i) off the diagonal, 0 on it (d real, (..., k))."""
    e = eye(d.shape[-1], dtype=d.dtype, device=d.device)
    return (1 - e) / (d.unsqueeze(-2) - d.unsqueeze(-1) + e)


def _i_imag_diag(X):
    """i Im diag(X) of a complex X as a vector."""
    d = X.diagonal(0, -2, -1)
    return 0.5 * (d - _complex.conj(d))


def _phase_dependent(v, scale):
    """Whether the imaginary parts in v (as i Im) are too large to be rounding."""
    return v.numel() > 0 and v.abs().max().item() > 1e-6 * (1.0 + scale)


def _qr_backward_tall(Q, R, gQ, gR):
    N = None
    if gQ is not None:
        N = matmul(_mH(Q), gQ)
    if gR is not None:
        gRRh = matmul(gR, _mH(R))
        N = -gRRh if N is None else N - gRRh
    D = N - _mH(N)
    Y = tril(D) - 0.5 * diag_embed(D.diagonal(0, -2, -1))
    B = matmul(Q, Y - N)
    if gQ is not None:
        B = B + gQ
    # B R^{-H}: R^H is lower triangular, a triangular solve needs no LU
    return _linalg.solve_triangular(_mH(R), B, upper=False, left=False)


def _qr_backward(grads, result0, result1, mode):
    gQ, gR = grads
    if mode == "r":
        raise RuntimeError("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. "
                           "Please use linalg.qr(A, mode='reduced') if you are going to differentiate "
                           "through linalg.qr.")
    Q, R = result0, result1
    m, n = Q.shape[-2], R.shape[-1]
    if mode == "complete" and m > n:
        raise RuntimeError("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.")
    if m >= n:
        return _qr_backward_tall(Q, R, gQ, gR)
    R1, R2 = R[..., :m], R[..., m:]
    gR1 = gR[..., :m] if gR is not None else None
    gQ1 = gQ
    if gR is not None:
        gR2 = gR[..., m:]
        W_gR2h = matmul(Q, matmul(R2, _mH(gR2)))
        gQ1 = W_gR2h if gQ is None else gQ + W_gR2h
    gX = _qr_backward_tall(Q, R1, gQ1, gR1)
    gW = matmul(Q, gR2) if gR is not None else zeros_like(R2)
    return _shape.cat([gX, gW], -1)


derivative("linalg_qr", "LinalgQrBackward0", {"A": _qr_backward}, args=("mode",), outputs=2)


def _svd_backward(grads, result0, result1, result2):
    U, S, Vh = result0, result1, result2
    gU, gS, gVh = grads
    k = S.shape[-1]
    # full_matrices: the columns past k are free (any orthonormal completion);
    # like PyTorch, only the first k take part
    if U.shape[-1] != k:
        U = U[..., :k]
        gU = gU[..., :k] if gU is not None else None
    if Vh.shape[-2] != k:
        Vh = Vh[..., :k, :]
        gVh = gVh[..., :k, :] if gVh is not None else None
    if gU is None and gVh is None:
        return matmul(U * gS.unsqueeze(-2), Vh)
    m, n = U.shape[-2], Vh.shape[-1]
    J = matmul(_mH(U), gU) if gU is not None else None
    K = matmul(Vh, _mH(gVh)) if gVh is not None else None
    inner = None
    if not _grad_mode() and not U.is_complex() and not S.is_cuda:
        # the middle factor in one pass (no history needed)
        inner = _linalg_k.eig_inner(S, J, K, gS, True)
    if inner is None:
        F = _offdiag_inverse(S * S)
        inner = diag_embed(gS) if gS is not None else zeros(tuple(S.shape) + (k,), dtype=S.dtype, device=S.device)
        if J is not None:
            inner = inner + (F * (J - _mH(J))) * S.unsqueeze(-2)
        if K is not None:
            inner = inner + S.unsqueeze(-1) * (F * (K - _mH(K)))
    if U.is_complex() and k > 0:
        # the phase of U's columns is taken from the loss through J; V's then follows
        phase = [_i_imag_diag(X) for X in (J, K) if X is not None]
        scale = max(X.abs().max().item() for X in (J, K) if X is not None)
        if _phase_dependent(sum(phase[1:], phase[0]), scale):
            raise RuntimeError("svd_backward: The singular vectors in the complex case are specified up to "
                               "multiplication by e^{i phi}. The specified loss function depends on this phase "
                               "term, making it ill-defined.")
        if J is not None:
            inner = inner + diag_embed(phase[0] / S)
    rhs = matmul(inner, Vh)
    if gVh is not None and n > k:
        rhs = rhs + (gVh - matmul(_mH(K), Vh)) / S.unsqueeze(-1)
    gA = matmul(U, rhs)
    if gU is not None and m > k:
        gA = gA + matmul((gU - matmul(U, J)) / S.unsqueeze(-2), Vh)
    return gA


derivative("linalg_svd", "LinalgSvdBackward0", {"A": _svd_backward}, outputs=3)


def _eigh_backward(grads, result0, result1):
    L, V = result0, result1
    gL, gV = grads
    if gV is None:
        return matmul(V * gL.unsqueeze(-2), _mH(V))
    X = matmul(_mH(V), gV)
    if V.is_complex() and X.numel() and _phase_dependent(_i_imag_diag(X), X.abs().max().item()):
        raise RuntimeError("linalg_eigh_backward: The eigenvectors in the complex case are specified up to "
                           "multiplication by e^{i phi}. The specified loss function depends on this "
                           "quantity, so it is ill-defined.")
    inner = None
    if not _grad_mode() and not V.is_complex() and not V.is_cuda:
        # the middle factor in one pass (no history needed)
        inner = _linalg_k.eig_inner(L, X, None, gL, False)
    if inner is None:
        inner = _offdiag_inverse(L) * (0.5 * (X - _mH(X)))
        if gL is not None:
            inner = inner + diag_embed(gL)
    return matmul(matmul(V, inner), _mH(V))


derivative("linalg_eigh", "LinalgEighBackward0", {"A": _eigh_backward}, outputs=2)


# ---- torch.linalg: norms, triangular and LU solves, matrix functions, eig, lstsq, Cholesky, Householder
#
# The formulas live in ctorch.linalg next to their ops (written with ctorch
# ops, so that they differentiate again):
# vector_norm: g x / |x| (2), g sgn(x) (1), spread over the ties (inf),
#   g sgn(x) |x|^(p-1) / n^(p-1) (p), nothing (0).
# solve_triangular, X = A^-1 B: gB = A^-H gX, gA = -gB X^H on A's triangle.
# lu, A = P L U (square): gA = P L^-H (tril_-1(L^H gL) + triu(gU U^H)) U^-H;
#   a tall or wide A splits off the rows or columns past min(m, n).
# matrix_exp: gA is the upper right block of exp([[A^H, g], [0, A^H]]).
# pinv, P = A^+: gA = -P^H g P^H + (I - A P) g^H P P^H + P^H P g^H (I - P A).
# eig, A = V diag(L) V^-1 (V's columns of unit norm): with W = V^H gV,
#   gA = V^-H (diag(gL) + conj(F) o (W - V^H V Re diag(W))) V^H.
# lstsq: X = A^+ B, through pinv's formula.
# cholesky_inverse / cholesky_solve: M = L L^H, gL = (gM + gM^H) L.
# householder_product: reverse mode through the product of reflectors.

derivative("linalg_vector_norm", "LinalgVectorNormBackward0",
           {"self": lambda grad, self, result, ord, dim, keepdim:
                _linalg._vector_norm_backward(grad, self, result, ord, dim, keepdim)},
           args=("ord", "dim", "keepdim"))
derivative("dist", "DistBackward0",
           joint=lambda grad, self, other, result, p, needs: _linalg._dist_grads(grad, self, other, result, p, needs),
           inputs=("self", "other"), args=("p",), broadcast=True)
derivative("linalg_solve_triangular", "LinalgSolveTriangularBackward0",
           joint=lambda grad, A, result, upper, left, unitriangular, needs:
                _linalg._solve_triangular_backward(grad, A, result, upper, left, unitriangular, needs),
           inputs=("A", "B"), args=("upper", "left", "unitriangular"), broadcast=True)
derivative("triangular_solve", "TriangularSolveBackward0",
           joint=lambda grads, A, result0, upper, transpose, unitriangular, needs:
                _linalg._triangular_solve_grads(grads, A, result0, upper, transpose, unitriangular, needs),
           inputs=("self", "A"), args=("upper", "transpose", "unitriangular"), outputs=2, broadcast=True)
derivative("linalg_lu_factor_ex", "LinalgLuFactorExBackward0",
           {"A": lambda grads, result0, result1: _linalg._lu_factor_backward(grads, result0, result1)}, outputs=2)
derivative("linalg_lu", "LinalgLuBackward0",
           {"A": lambda grads, result0, result1, result2:
                _linalg._lu_backward(result0, result1, result2, grads[1], grads[2])}, outputs=3)
derivative("lu_unpack", "LuUnpackBackward0",
           {"LU_data": lambda grads, LU_data_sizes: _linalg._lu_unpack_backward(grads, LU_data_sizes)}, outputs=2)
derivative("linalg_lu_solve", "LinalgLuSolveBackward0",
           joint=lambda grad, LU, result, pivots, left, adjoint, needs:
                _linalg._lu_solve_grads(grad, LU, result, pivots, left, adjoint, needs),
           inputs=("LU", "B"), args=("pivots", "left", "adjoint"), broadcast=True)
derivative("linalg_matrix_exp", "LinalgMatrixExpBackward0",
           {"self": lambda grad, self: _linalg._matrix_exp_backward(grad, self)})
derivative("linalg_pinv", "LinalgPinvBackward0",
           {"self": lambda grad, self, result: _linalg._pinv_backward(grad, self, result)})
derivative("linalg_cross", "LinalgCrossBackward0",
           joint=lambda grad, self, other, dim, needs: _linalg._cross_grads(grad, self, other, dim, needs),
           inputs=("self", "other"), args=("dim",), broadcast=True)
derivative("linalg_eig", "LinalgEigBackward0",
           {"self": lambda grads, self_dtype, result0, result1:
                _linalg._eig_backward(grads, self_dtype, result0, result1)}, outputs=2)
derivative("linalg_lstsq", "LinalgLstsqBackward0",
           joint=lambda grad, self, b, vec, needs: _linalg._lstsq_grads(grad, self, b, vec, needs),
           inputs=("self", "b"), args=("vec",), broadcast=True)
derivative("cholesky", "CholeskyBackward0",
           {"self": lambda grad, result, upper:
                _cholesky_backward(_mH(grad), _mH(result)) if upper else _cholesky_backward(grad, result)},
           args=("upper",))
derivative("cholesky_inverse", "CholeskyInverseBackward0",
           {"self": lambda grad, self, result, upper: _linalg._cholesky_inverse_backward(grad, self, result, upper)},
           args=("upper",))
derivative("cholesky_solve", "CholeskySolveBackward0",
           joint=lambda grad, self, input2, result, upper, needs:
                _linalg._cholesky_solve_grads(grad, self, input2, result, upper, needs),
           inputs=("self", "input2"), args=("upper",), broadcast=True)
derivative("linalg_slogdet", "LinalgSlogdetBackward0",
           {"A": lambda grads, A, result0, result1: _linalg._slogdet_backward(grads, A, result0, result1)}, outputs=2)
derivative("linalg_householder_product", "LinalgHouseholderProductBackward0",
           joint=lambda grad, input, tau, needs: _linalg._householder_grads(grad, input, tau, needs),
           inputs=("input", "tau"))
derivative("renorm", "RenormBackward0",
           {"self": lambda grad, self, p, dim, maxnorm: _linalg._renorm_backward(grad, self, p, dim, maxnorm)},
           args=("p", "dim", "maxnorm"))


def _geqrf_backward(grads):
    raise NotImplementedError("the derivative for 'geqrf' is not implemented.")


derivative("geqrf", "GeqrfBackward0", {"self": _geqrf_backward}, outputs=2)


# ---- special functions (ctorch.special and their torch / Tensor names)
# The formulas call back into ctorch.special (loaded by the op that recorded).

_special = _OnFirstUse("ctorch.special")
cdef double _SQRT_PI = _math.sqrt(_math.pi)
cdef double _SQRT_2PI = _math.sqrt(2.0 * _math.pi)


def _not_implemented(what):
    def formula(grad):
        raise NotImplementedError(f"the derivative for '{what}' is not implemented.")
    return formula


def _i1_backward(grad, self, result):
    return grad * where(self == 0, 0.5, _special.i0(self) - result / self)


def _i1e_backward(grad, self, result):
    return grad * where(self == 0, 0.5, _special.i0e(self) - result * (self.sgn() + 1 / self))


def _logit_backward(grad, self, eps):
    if eps is None:
        return where((self < 0) | (self > 1), float("nan"), grad / (self * (1 - self)))
    return where((self < eps) | (self > 1 - eps), 0.0, grad / (self * (1 - self)))


def _sinc_backward(grad, self):
    y = self * _math.pi
    d = (y * y.cos() - y.sin()) / (y * self)
    return grad * where(self == 0, 0.0, d)


def _mvlgamma_backward(grad, self, p):
    s = _special.digamma(self)
    for j in range(1, p):
        s = s + _special.digamma(self - j / 2)
    return grad * s


def _nonzero(x):
    return (x != 0).to(x.dtype)


def _igamma_other(grad, self, other):
    return grad * ((self - 1) * other.log() - other - _special.gammaln(self)).exp()


derivative("digamma", "DigammaBackward0", {"self": lambda grad, self: grad * _special.polygamma(1, self)})
derivative("polygamma", "PolygammaBackward0",
           {"self": lambda grad, self, n: grad * _special.polygamma(n + 1, self)}, args=("n",))
derivative("lgamma", "LgammaBackward0", {"self": lambda grad, self: grad * _special.digamma(self)})
derivative("mvlgamma", "MvlgammaBackward0", {"self": _mvlgamma_backward}, args=("p",))
derivative("erfc", "ErfcBackward0",
           {"self": lambda grad, self: grad * (-_TWO_OVER_SQRT_PI) * (-(self * self)).exp()})
derivative("erfinv", "ErfinvBackward0",
           {"self": lambda grad, result: grad * (0.5 * _SQRT_PI) * (result * result).exp()})
derivative("special_erfcx", "SpecialErfcxBackward0",
           {"self": lambda grad, self, result: grad * (2 * self * result - _TWO_OVER_SQRT_PI)})
derivative("i0", "I0Backward0", {"self": lambda grad, self: grad * _special.i1(self)})
derivative("special_i0e", "SpecialI0EBackward0",
           {"self": lambda grad, self, result: grad * (_special.i1e(self) - self.sgn() * result)})
derivative("special_i1", "SpecialI1Backward0", {"self": _i1_backward})
derivative("special_i1e", "SpecialI1EBackward0", {"self": _i1e_backward})
# PyTorch composes ndtr of erf (its grad_fn is that of the final product)
derivative("special_ndtr", "MulBackward1",
           {"self": lambda grad, self: grad * (-0.5 * self * self).exp() / _SQRT_2PI})
derivative("special_ndtri", "SpecialNdtriBackward0",
           {"self": lambda grad, result: grad * _SQRT_2PI * (0.5 * result * result).exp()})
derivative("special_log_ndtr", "SpecialLogNdtrBackward0",
           {"self": lambda grad, self, result: grad / _SQRT_2PI * (-(result + 0.5 * self * self)).exp()})
derivative("special_entr", "SpecialEntrBackward0", {"self": lambda grad, self: grad * -(1 + self.log())})
derivative("logit", "LogitBackward0", {"self": _logit_backward}, args=("eps",))
derivative("sinc", "SincBackward0", {"self": _sinc_backward}, holomorphic=True)
for _op, _node in (("xlogy", "XlogyBackward0"), ("xlogy.Scalar_Self", "XlogyBackward1"),
                   ("xlogy.Scalar_Other", "XlogyBackward2")):
    derivative(_op, _node, {
        "self": lambda grad, self, other: grad * _special.xlogy(_nonzero(self), other),
        "other": lambda grad, self, other: grad * self / other}, broadcast=True)
for _op, _node in (("special_xlog1py", "SpecialXlog1PyBackward0"),
                   ("special_xlog1py.self_scalar", "SpecialXlog1PyBackward1"),
                   ("special_xlog1py.other_scalar", "SpecialXlog1PyBackward2")):
    derivative(_op, _node, {
        "self": lambda grad, self, other: grad * _special.xlog1py(_nonzero(self), other),
        "other": lambda grad, self, other: grad * self / (other + 1)}, broadcast=True)
for _op, _node in (("special_zeta", "SpecialZetaBackward0"),
                   ("special_zeta.self_scalar", "SpecialZetaBackward1"),
                   ("special_zeta.other_scalar", "SpecialZetaBackward2")):
    derivative(_op, _node, {
        "self": _not_implemented("zeta"),
        "other": lambda grad, self, other: grad * -self * _special.zeta(self + 1.0, other)}, broadcast=True)
derivative("igamma", "IgammaBackward0",
           {"self": _not_implemented("igamma: input"), "other": _igamma_other}, broadcast=True)
derivative("igammac", "IgammacBackward0",
           {"self": _not_implemented("igammac: input"),
            "other": lambda grad, self, other: -_igamma_other(grad, self, other)}, broadcast=True)


# ---- shape utilities and composite ops
derivative("unsafe_split", "UnsafeSplitBackward0", {"self": _view_to_base}, args=("geometry",))
derivative("unsafe_split_with_sizes", "UnsafeSplitWithSizesBackward0", {"self": _view_to_base},
           args=("geometry",))


def _block_diag_backward(grad, shapes, needs):
    outs = []
    r = c = 0
    for s, need in zip(shapes, needs):
        h, w = (1, 1) if len(s) == 0 else (1, s[0]) if len(s) == 1 else s
        outs.append(grad.narrow(0, r, h).narrow(1, c, w).reshape(s) if need else None)
        r += h
        c += w
    return tuple(outs)


derivative("block_diag", "BlockDiagBackward0", joint=_block_diag_backward, args=("shapes",),
           broadcast=True)


def _dist_terms(g, diff, d, p):
    """grad * d(dist)/d(diff) for the p-norm distances d of the differences
    diff (one more dim than g and d): the terms that cdist and pdist sum."""
    g = g.unsqueeze(-1)
    d = d.unsqueeze(-1)
    if p == 0:
        return zeros_like(diff)
    if p == 1:
        return g * diff.sgn()
    zero = zeros((), dtype=diff.dtype, device=diff.device)
    if p == 2:
        return where(d == 0, zero, g * diff / d)
    if p == _math.inf:
        return g * diff.sgn() * (diff.abs() == d)
    a = diff.abs()
    return where((d == 0) | (a == 0), zero, g * diff.sgn() * a.pow(p - 1) / d.pow(p - 1))


def _cdist_backward(grad, x1, x2, p, result, needs):
    t = _dist_terms(grad, x1.unsqueeze(-2) - x2.unsqueeze(-3), result, p)
    return (t.sum(-2) if needs[0] else None, -t.sum(-3) if needs[1] else None)


def _pdist_backward(grad, self, p, result):
    n = self.size(0)
    iu = _shape.triu_indices(n, n, 1, device=grad.device)
    flat = iu[0] * n + iu[1]
    g = grad.new_zeros(n * n).index_add(0, flat, grad).reshape(n, n)
    d = result.new_zeros(n * n).index_add(0, flat, result).reshape(n, n)
    t = _dist_terms(g, self.unsqueeze(1) - self.unsqueeze(0), d + d.mT, p)
    return t.sum(1) - t.sum(0)


derivative("cdist", "CdistBackward0", joint=_cdist_backward, inputs=("x1", "x2"), args=("p",),
           broadcast=True)


def _euclidean_dist_backward(grad, x1, x2, result, needs):
    """The distances d of x1's rows to x2's through one product (cdist's
    p=2 route): w = grad / d (zero where the squared distance was clamped
    to 1e-30), x1's gradient x1 times w's row sums less w x2, x2's likewise"""
    floor = zeros((), dtype=result.dtype, device=result.device).add_(1e-30).sqrt_()
    w = where(result > floor, grad / result, zeros((), dtype=grad.dtype, device=grad.device))
    return (x1 * w.sum(-1, keepdim=True) - matmul(w, x2) if needs[0] else None,
            x2 * w.sum(-2).unsqueeze(-1) - matmul(w.mT, x1) if needs[1] else None)


derivative("_euclidean_dist", "EuclideanDistBackward0", joint=_euclidean_dist_backward,
           inputs=("x1", "x2"))
derivative("pdist", "PdistBackward0", {"self": _pdist_backward}, args=("p",))
# a tensor times or over a number (PyTorch's Scalar overloads, which its
# composite ops use: trapezoid, cumulative_trapezoid)
derivative("mul.Scalar", "MulBackward1", {"self": lambda grad, other: grad * other},
           args=("other",), holomorphic=True)
derivative("div.Scalar", "DivBackward1", {"self": lambda grad, other: grad / other},
           args=("other",), holomorphic=True)


# ---- indexing and scatter ops (index_put, index_copy/fill/reduce, scatter_reduce, masked_scatter, put, view scatters)

def _index_put_acc_values(grad, index):
    return grad[index]


derivative("index_put.accumulate", "IndexPutBackward0",
           {"self": _same, "values": _index_put_acc_values}, args=("index",), broadcast=True)
derivative("index_copy", "IndexCopyBackward0",
           {"self": lambda grad, dim, index: grad.index_fill(dim, index, 0), "_index": None,
            "source": lambda grad, source_sizes, dim, index: grad.index_select(dim, index).reshape(source_sizes)},
           args=("dim", "index"))
derivative("index_fill.Scalar", "IndexFillBackward0",
           {"self": lambda grad, dim, index: grad.index_fill(dim, index, 0), "_index": None},
           args=("dim", "index"))
derivative("index_fill.Tensor", "IndexFillBackward1",
           {"self": lambda grad, dim, index: grad.index_fill(dim, index, 0), "_index": None,
            "value": lambda grad, dim, index: grad.index_select(dim, _shape.unique(index)).sum()},
           args=("dim", "index"), broadcast=True)


def _scatter_reduce_grads(grad, self, src, result, dim, index, reduce, include_self):
    """The gradients of scatter_reduce for self and src (index: src-shaped)."""
    if reduce == "sum":
        gs = grad
        gsrc = grad.gather(dim, index)
    elif reduce == "mean":
        n = (ones_like(self) if include_self else zeros_like(self)).scatter_add(dim, index, ones_like(src))
        gs = grad / n.masked_fill(n == 0, 1)
        gsrc = gs.gather(dim, index)
    elif reduce == "prod":
        # d result / d x is the product of the other elements at x's target:
        # result / x where x != 0, else the product with that zero left out
        ms = self.masked_fill(self == 0, 1)
        gs = grad * ms.scatter_reduce(dim, index, src, "prod", include_self=include_self) / ms
        src_zero = src == 0
        nz = zeros_like(grad).scatter_add(dim, index, src_zero.to(grad.dtype)).gather(dim, index)
        single = src_zero.logical_and(nz == 1)
        others = self.scatter_reduce(dim, index, src.masked_fill(single, 1), "prod", include_self=include_self)
        gsrc = where(single, (grad * others).gather(dim, index),
                     (grad * result).gather(dim, index) / src.masked_fill(src_zero, 1))
    else:
        # amax / amin: the gradient is shared evenly by the elements equal to the result
        self_is = (self == result).to(grad.dtype)
        if not include_self:
            self_is = self_is.scatter(dim, index, 0)
        src_is = (src == result.gather(dim, index)).to(grad.dtype)
        n = self_is.scatter_add(dim, index, src_is)
        share = grad / n.masked_fill(n == 0, 1)
        gs = self_is * share
        gsrc = src_is * share.gather(dim, index)
    if not include_self:
        gs = gs.scatter(dim, index, 0)
    return gs, gsrc


def _scatter_reduce_joint(grad, self, src, result, dim, index, reduce, include_self, needs):
    gs, gsrc = _scatter_reduce_grads(grad, self, src, result, dim, index, reduce, include_self)
    return (gs if needs[0] else None, None, gsrc if needs[2] else None)


derivative("scatter_reduce", "ScatterReduceBackward0", joint=_scatter_reduce_joint,
           inputs=("self", "_index", "src"), args=("dim", "index", "reduce", "include_self"),
           holomorphic=True)


def _index_reduce_joint(grad, self, source, result, dim, index, reduce, include_self, needs):
    nd = max(self.dim(), 1)
    sshape = list(source.shape) if source.dim() else [1] * nd
    g = grad.reshape(list(self.shape) if self.dim() else [1])
    shp = [1] * nd
    shp[dim] = index.numel()
    ie = index.reshape(shp).expand(sshape)
    gs, gsrc = _scatter_reduce_grads(g, self.reshape(g.shape), source.reshape(sshape),
                                     result.reshape(g.shape), dim, ie, reduce, include_self)
    return (gs.reshape(self.shape) if needs[0] else None, None,
            gsrc.reshape(source.shape) if needs[2] else None)


derivative("index_reduce", "IndexReduceBackward0", joint=_index_reduce_joint,
           inputs=("self", "_index", "source"), args=("dim", "index", "reduce", "include_self"),
           holomorphic=True)


def _scatter_reduce_legacy(grad):
    raise RuntimeError("derivative for aten::scatter is not implemented")


derivative("scatter.reduce", "NotImplemented",
           {"self": _scatter_reduce_legacy, "_index": None, "src": _scatter_reduce_legacy})


def _masked_scatter_source(grad, source_sizes, mask):
    sel = grad[mask]
    n = 1
    for s in source_sizes:
        n *= s
    z = zeros(n, dtype=grad.dtype, device=grad.device)
    if sel.numel():
        z = z.slice_scatter(sel, 0, 0, sel.numel())
    return z.reshape(source_sizes)


derivative("masked_scatter", "MaskedScatterBackward0",
           {"self": lambda grad, mask: grad.masked_fill(mask, 0), "_mask": None,
            "source": _masked_scatter_source}, args=("mask",), broadcast=True)


def _put_self(grad, index, accumulate):
    if accumulate:
        return grad
    return grad.put(index, zeros(index.numel(), dtype=grad.dtype, device=grad.device))


derivative("put", "PutBackward0",
           {"self": _put_self, "_index": None,
            "source": lambda grad, source_sizes, index: grad.take(index).reshape(source_sizes)},
           args=("index", "accumulate"))
derivative("slice_scatter", "SliceScatterBackward0",
           {"self": lambda grad, src, dim, start, end, step:
                grad.slice_scatter(zeros_like(src, dtype=grad.dtype), dim, start, end, step),
            "src": lambda grad, dim, start, end, step: grad[(slice(None),) * dim + (slice(start, end, step),)]},
           args=("dim", "start", "end", "step"), broadcast=True)
derivative("select_scatter", "SelectScatterBackward0",
           {"self": lambda grad, src, dim, index: grad.select_scatter(zeros_like(src, dtype=grad.dtype), dim, index),
            "src": lambda grad, dim, index: grad.select(dim, index)},
           args=("dim", "index"), broadcast=True)
derivative("diagonal_scatter", "DiagonalScatterBackward0",
           {"self": lambda grad, src, offset, dim1, dim2:
                grad.diagonal_scatter(zeros_like(src, dtype=grad.dtype), offset, dim1, dim2),
            "src": lambda grad, offset, dim1, dim2: grad.diagonal(offset, dim1, dim2)},
           args=("offset", "dim1", "dim2"), broadcast=True)
derivative("as_strided_scatter", "AsStridedScatterBackward0",
           {"self": lambda grad, src, size, stride, storage_offset:
                grad.contiguous().as_strided_scatter(zeros_like(src, dtype=grad.dtype), size, stride, storage_offset),
            "src": lambda grad, size, stride, storage_offset:
                grad.contiguous().as_strided(size, stride, storage_offset)},
           args=("size", "stride", "storage_offset"), broadcast=True)


# ---- reductions and scans: nansum, aminmax, cummax/cummin, logcumsumexp, mode, nanmedian

def _nansum_backward(grad, self, dims, keepdim):
    """The gradient of every non-NaN element; NaNs were skipped (slope 0)."""
    g = _unsqueeze_dims(grad, dims, keepdim)
    return where(_FUNCTIONS["isnan"](self), zeros((), dtype=grad.dtype, device=grad.device), g)


def _aminmax_backward(grads, self, result0, result1, dims, keepdim):
    """min's and max's gradients, each shared evenly between its tied extremes."""
    gmin, gmax = grads
    out = None
    for g, r in ((gmin, result0), (gmax, result1)):
        if g is None:
            continue
        part = _even_split(g, self, r, dims, keepdim)
        out = part if out is None else out + part
    return out


def _cumext_backward(grad, self_sizes, dim, indices):
    """cummax/cummin: each running value's gradient goes to the element it came from."""
    if len(self_sizes) == 0:
        return grad
    return zeros(self_sizes, dtype=grad.dtype, device=grad.device).scatter_add(dim, indices, grad)


def _logcumsumexp_backward(grad, self, result, dim):
    """g_i = sum_{j>=i} grad_j exp(x_i - r_j), accumulated in log space from
    the far end, the positive and negative parts of grad apart, so that
    nothing overflows (r_j >= x_i for every term)."""
    if self.dim() == 0:
        return grad
    ninf = zeros((), dtype=self.dtype, device=self.device) - _math.inf
    lg = _FUNCTIONS["log"](_FUNCTIONS["abs"](grad)) - result
    pos = where(grad > 0, lg, ninf)
    neg = where(grad < 0, lg, ninf)
    rp = _shape.flip(_shape.flip(pos, (dim,)).logcumsumexp(dim), (dim,))
    rn = _shape.flip(_shape.flip(neg, (dim,)).logcumsumexp(dim), (dim,))
    return (rp + self).exp() - (rn + self).exp()


derivative("nansum", "NansumBackward0", {"self": _nansum_backward}, args=("dims", "keepdim"))
derivative("aminmax", "AminmaxBackward0", {"self": _aminmax_backward}, args=("dims", "keepdim"),
           outputs=2)
derivative("cummax", "CummaxBackward0", {"self": _cumext_backward}, args=("dim", "indices"))
derivative("cummin", "CumminBackward0", {"self": _cumext_backward}, args=("dim", "indices"))
derivative("logcumsumexp", "LogcumsumexpBackward0", {"self": _logcumsumexp_backward}, args=("dim",))
derivative("mode", "ModeBackward0", {"self": _pick}, args=("dim", "keepdim", "indices"))
derivative("nanmedian", "NanmedianBackward0", {"self": _pick_flat}, args=("indices",))
derivative("nanmedian.dim", "NanmedianBackward1", {"self": _pick}, args=("dim", "keepdim", "indices"))


# ---- pointwise math

derivative("hypot", "HypotBackward0",
           {"self": lambda grad, self, result: grad * self / result,
            "other": lambda grad, other, result: grad * other / result}, broadcast=True)


def _copysign_self(grad, self, result):
    # d copysign(x, y) / dx = sign(x) sign(y): result / self, 0 where self is 0
    return where(self == 0, zeros_like(grad), grad * (result / self))


derivative("copysign", "CopysignBackward0", {"self": _copysign_self, "other": _zeros}, broadcast=True)
derivative("copysign.Scalar", "CopysignBackward1", {"self": _copysign_self, "other": None}, broadcast=True)
cdef extern from "elementwise_grad.h":
    enum:
        CT_T_LAE_GRAD, CT_T_LAE_GRAD1


cdef object _lae_fused(Tensor g, Tensor a, Tensor b, bint both):
    """logaddexp's gradients from the backend's fused loops, in g's shape:
    g / (1 + e^(b - a)), and with both also g / (1 + e^(a - b)) (in one
    pass when g is one value, as a sum's gradient, else one pass each);
    None where the backend has no such loop (another dtype or device) or
    the backward is being recorded (create_graph)."""
    cdef const ct_backend *B = g._storage.backend
    cdef int d
    cdef bint single = g._numel >= 1          # every element the same one
    for d in range(g._ndim):
        if g._shape[d] != 1 and g._stride[d] != 0:
            single = False
            break
    cdef int op = CT_T_LAE_GRAD if both and single else CT_T_LAE_GRAD1
    if (_grad_mode() or g._numel == 0 or g._dtype._code != CT_FLOAT64
            or a._dtype is not g._dtype or b._dtype is not g._dtype
            or a._storage.backend != B or b._storage.backend != B or g._storage.device >= 0
            or a._ndim > g._ndim or b._ndim > g._ndim
            or not B.has_kernel(CT_EW_LERP, op, CT_FLOAT64)):
        return None
    if both and not single:
        ra = _lae_launch(B, CT_T_LAE_GRAD1, g, a, b, 0.0)
        rb = _lae_launch(B, CT_T_LAE_GRAD1, g, b, a, 0.0)
        return None if ra is None or rb is None else (ra, rb)
    if both:
        return _lae_launch(B, op, g, a, b, (<double *>g._data)[0])
    return _lae_launch(B, op, g, a, b, 0.0)


cdef object _lae_launch(const ct_backend *B, int op, Tensor g, Tensor a, Tensor b, double gv):
    """One launch of a fused loop over g's shape: (ga, gb) for CT_T_LAE_GRAD
    (gv the gradient's one value), ga for CT_T_LAE_GRAD1."""
    cdef int nd = g._ndim if g._ndim > 0 else 1
    cdef int two = op == CT_T_LAE_GRAD, k, d, j
    cdef int64_t shape[CT_MAXDIM]
    cdef int64_t strides[4 * CT_MAXDIM]
    cdef char *ptr[4]
    cdef Tensor t
    outs = [_empty_list(list(g.shape), g._dtype) for k in range(2 if two else 1)]
    ops = outs + [a, b] + ([] if two else [g])
    for d in range(nd):
        shape[d] = g._shape[d] if g._ndim > 0 else 1
    for k in range(4):
        t = <Tensor>ops[k]
        for d in range(nd):
            j = d - (nd - t._ndim)
            strides[k * nd + d] = 0 if j < 0 or t._shape[j] == 1 else t._stride[j] * 8
        ptr[k] = t._data
    cdef ct_iter it
    it.nargs = 4
    it.ndim = nd
    it.shape = shape
    it.strides = strides
    it.ptr = ptr
    it.grain = 2048
    it.host = 0
    cdef ct_params P
    P.a = gv
    P.err = 0
    with nogil:
        k = B.elementwise(CT_EW_LERP, op, CT_FLOAT64, &P, &it)
    if k != 0:
        return None
    return tuple(outs) if two else outs[0]


def _logaddexp_grads(grad, self, other, needs):
    """g / (1 + e^(other - self)) and g / (1 + e^(self - other)): one fused
    pass where the backend has it, else the composed formulas."""
    cdef Tensor g = <Tensor?>grad
    if needs[0] and needs[1]:
        r = _lae_fused(g, <Tensor?>self, <Tensor?>other, True)
        if r is not None:
            return r
    elif needs[0] or needs[1]:
        r = (_lae_fused(g, <Tensor?>self, <Tensor?>other, False) if needs[0]
             else _lae_fused(g, <Tensor?>other, <Tensor?>self, False))
        if r is not None:
            return (r, None) if needs[0] else (None, r)
    return (grad / (1 + (other - self).exp()) if needs[0] else None,
            grad / (1 + (self - other).exp()) if needs[1] else None)


derivative("logaddexp", "LogaddexpBackward0", joint=_logaddexp_grads, inputs=("self", "other"),
           broadcast=True)
derivative("logaddexp2", "Logaddexp2Backward0",
           {"self": lambda grad, self, other: grad / (1 + (other - self).exp2()),
            "other": lambda grad, self, other: grad / (1 + (self - other).exp2())}, broadcast=True)


def _not_differentiable(op):
    def formula(grad):
        raise RuntimeError(f"derivative for aten::{op} is not implemented")
    return formula


derivative("heaviside", "NotImplemented",
           {"self": _not_differentiable("heaviside"), "values": _not_differentiable("heaviside")})
derivative("nextafter", "NextafterBackward0", {"self": _same, "other": _zeros}, broadcast=True)


def _fmaxmin(bint is_max):
    def self_wins(self, other):
        return ((self >= other) if is_max else (self <= other)) | other.isnan()
    return {"self": lambda grad, self, other: grad * self_wins(self, other),
            "other": lambda grad, self, other: grad * ~self_wins(self, other)}


derivative("fmax", "FmaxBackward0", _fmaxmin(True), broadcast=True)
derivative("fmin", "FminBackward0", _fmaxmin(False), broadcast=True)
derivative("deg2rad", "Deg2RadBackward0", {"self": lambda grad: grad * (_math.pi / 180)})
derivative("rad2deg", "Rad2DegBackward0", {"self": lambda grad: grad * (180 / _math.pi)})
derivative("ldexp", "LdexpBackward0",
           {"self": lambda grad, other: grad * other.to(grad.dtype).exp2(),
            "other": lambda grad, result: grad * result * _LN2}, broadcast=True, holomorphic=True)
derivative("frexp", "FrexpBackward0",
           {"self": lambda grad, exponent: grad * (-exponent).to(grad.dtype).exp2()}, args=("exponent",))
derivative("addcmul", "AddcmulBackward0",
           {"self": _same, "tensor1": lambda grad, tensor2, value: grad * tensor2 * value,
            "tensor2": lambda grad, tensor1, value: grad * tensor1 * value},
           args=("value",), broadcast=True, holomorphic=True)
derivative("addcdiv", "AddcdivBackward0",
           {"self": _same, "tensor1": lambda grad, tensor2, value: grad * value / tensor2,
            "tensor2": lambda grad, tensor1, tensor2, value: -grad * value * tensor1 / (tensor2 * tensor2)},
           args=("value",), broadcast=True, holomorphic=True)


# ---- random: draws have no slope; PyTorch's formulas give zero gradients
derivative("normal.Tensor_float", "NormalBackward1", {"mean": _zeros})
derivative("normal.float_Tensor", "NormalBackward2", {"std": _zeros})
derivative("normal.Tensor_Tensor", "NormalBackward3", {"mean": _zeros, "std": _zeros}, broadcast=True)
derivative("normal_", "NormalBackward0", {"self": _zeros})
derivative("uniform_", "UniformBackward0", {"self": _zeros})
derivative("random_", "RandomBackward0", {"self": _zeros})
derivative("random_.to", "RandomBackward1", {"self": _zeros})
derivative("random_.plain", "RandomBackward2", {"self": _zeros})
derivative("exponential_", "ExponentialBackward0", {"self": _zeros})
derivative("geometric_", "GeometricBackward0", {"self": _zeros})
derivative("log_normal_", "LogNormalBackward0", {"self": _zeros})
derivative("cauchy_", "CauchyBackward0", {"self": _zeros})
derivative("poisson", "PoissonBackward0", {"self": _zeros})


# ---- pool
# Pooling (ctorch._ops.pool). Max pooling's gradient scatters into the
# input at the saved indices; the averages spread each gradient over its
# window. Each backward records an op of its own under create_graph, whose
# gradient is the forward op again (average) or a gather at the indices (max).
from ctorch._ops import pool as _pool_ops


def _pool_entries():
    cdef int nd
    for nd in (2, 3):
        derivative(f"max_pool{nd}d_with_indices", f"MaxPool{nd}DWithIndicesBackward0",
                   {"self": (lambda nd: lambda grad, self_sizes, indices: _pool_ops._max_pool_backward(
                       grad, self_sizes, indices, nd, f"max_pool{nd}d_with_indices_backward"))(nd)},
                   args=("kernel_size", "stride", "padding", "dilation", "indices"))
        derivative(f"max_pool{nd}d_with_indices_backward", f"MaxPool{nd}DWithIndicesBackwardBackward0",
                   {"grad_output": lambda grad, indices, nd: _pool_ops._gather_back(grad, indices, nd)},
                   args=("indices", "nd"))
        derivative(f"adaptive_max_pool{nd}d", f"AdaptiveMaxPool{nd}DBackward0",
                   {"self": (lambda nd: lambda grad, self_sizes, indices: _pool_ops._max_pool_backward(
                       grad, self_sizes, indices, nd, f"adaptive_max_pool{nd}d_backward"))(nd)},
                   args=("indices",))
        derivative(f"adaptive_max_pool{nd}d_backward", f"AdaptiveMaxPool{nd}DBackwardBackward0",
                   {"grad_output": lambda grad, indices, nd: _pool_ops._gather_back(grad, indices, nd)},
                   args=("indices", "nd"))
        derivative(f"avg_pool{nd}d", f"AvgPool{nd}DBackward0",
                   {"self": (lambda nd: lambda grad, self_sizes, kernel_size, stride, padding, ceil_mode,
                             count_include_pad, divisor_override: _pool_ops._avg_pool_backward(
                                 grad, self_sizes, kernel_size, stride, padding, ceil_mode,
                                 count_include_pad, divisor_override, nd))(nd)},
                   args=("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad",
                         "divisor_override"))
        derivative(f"avg_pool{nd}d_backward", f"AvgPool{nd}DBackwardBackward0",
                   {"grad_output": (lambda nd: lambda grad, output_size, kernel_size, stride, padding,
                                    ceil_mode, count_include_pad, divisor_override: _pool_ops._avg_pool(
                                        grad, nd, output_size, kernel_size, stride, padding, ceil_mode,
                                        count_include_pad, divisor_override))(nd)},
                   args=("output_size", "kernel_size", "stride", "padding", "ceil_mode",
                         "count_include_pad", "divisor_override"))
        derivative(f"adaptive_avg_pool{nd}d", f"AdaptiveAvgPool{nd}DBackward0",
                   {"self": (lambda nd: lambda grad, self_sizes, output_size:
                             _pool_ops._adaptive_avg_pool_backward(grad, self_sizes, nd))(nd)},
                   args=("output_size",))
        derivative(f"adaptive_avg_pool{nd}d_backward", f"AdaptiveAvgPool{nd}DBackwardBackward0",
                   {"grad_output": (lambda nd: lambda grad, output_size:
                                    _pool_ops._adaptive_avg_pool(grad, nd, output_size))(nd)},
                   args=("output_size",))
        derivative(f"fractional_max_pool{nd}d", f"FractionalMaxPool{nd}DBackward0",
                   {"self": (lambda nd: lambda grad, self_sizes, indices: _pool_ops._max_pool_backward(
                       grad, self_sizes, indices, nd, f"fractional_max_pool{nd}d_backward"))(nd)},
                   args=("indices",))
        derivative(f"fractional_max_pool{nd}d_backward", f"FractionalMaxPool{nd}DBackwardBackward0",
                   {"grad_output": lambda grad, indices, nd: _pool_ops._gather_back(grad, indices, nd)},
                   args=("indices", "nd"))
        derivative(f"max_unpool{nd}d", f"MaxUnpool{nd}DBackward0",
                   {"self": (lambda nd: lambda grad, indices: _pool_ops._gather_back(grad, indices, nd))(nd)},
                   args=("indices",))


_pool_entries()
# ---- grid: resampling, grid sampling and CTC (ctorch/nn/_grid.py). Their
# forwards run without history; `plan` knows the backward (transposed
# resampling matrices, a recomputation, the beta recursion).
def _grid_plan_entry(str op, str node):
    derivative(op, node, {"self": lambda grad, plan: plan.backward(grad)}, args=("plan",))


for _grid_op, _grid_node in (("upsample_nearest1d", "UpsampleNearest1DBackward0"),
                   ("upsample_nearest2d", "UpsampleNearest2DBackward0"),
                   ("upsample_nearest3d", "UpsampleNearest3DBackward0"),
                   ("_upsample_nearest_exact1d", "UpsampleNearestExact1DBackward0"),
                   ("_upsample_nearest_exact2d", "UpsampleNearestExact2DBackward0"),
                   ("_upsample_nearest_exact3d", "UpsampleNearestExact3DBackward0"),
                   ("upsample_linear1d", "UpsampleLinear1DBackward0"),
                   ("upsample_bilinear2d", "UpsampleBilinear2DBackward0"),
                   ("upsample_bicubic2d", "UpsampleBicubic2DBackward0"),
                   ("_upsample_bilinear2d_aa", "UpsampleBilinear2DAaBackward0"),
                   ("_upsample_bicubic2d_aa", "UpsampleBicubic2DAaBackward0"),
                   ("upsample_trilinear3d", "UpsampleTrilinear3DBackward0"),
                   ("adaptive_avg_pool2d", "AdaptiveAvgPool2DBackward0"),
                   ("adaptive_avg_pool3d", "AdaptiveAvgPool3DBackward0"),
                   ("affine_grid_generator", "AffineGridGeneratorBackward0")):
    _grid_plan_entry("grid_" + _grid_op, _grid_node)
for _grid_op, _grid_node in (("grid_sampler_2d", "GridSampler2DBackward0"),
                   ("grid_sampler_3d", "GridSampler3DBackward0")):
    derivative("grid_" + _grid_op, _grid_node, joint=lambda grad, input, grid, plan, needs:
               plan.backward(grad, (input, grid), needs), inputs=("input", "grid"), args=("plan",))
derivative("grid_ctc_loss", "CtcLossBackward0",
           {"log_probs": lambda grad, log_probs, plan: plan.backward(grad, log_probs)},
           args=("plan",))
# ---- nnmisc: batch normalisation, embedding_bag, the multi-class margin losses
_nnmisc = _OnFirstUse("ctorch.nn._nnmisc")
derivative("native_batch_norm", "NativeBatchNormBackward0",
           joint=lambda grad, input, weight, mean, invstd, training, eps, needs:
                _nnmisc._bn_backward(grad, input, weight, mean, invstd, training, eps, needs),
           inputs=("input", "weight", "bias"), args=("mean", "invstd", "training", "eps"))
_functional = _OnFirstUse("ctorch.nn.functional")
derivative("native_layer_norm", "NativeLayerNormBackward0",
           joint=lambda grad, input, weight, bias, mean, rstd, n, eps, needs:
                _functional._layer_norm_backward(grad, input, weight, bias, mean, rstd, n, eps,
                                                 needs),
           inputs=("input", "weight", "bias"), args=("mean", "rstd", "n", "eps"))
derivative("native_group_norm", "NativeGroupNormBackward0",
           joint=lambda grad, input, weight, bias, mean, rstd, groups, eps, needs:
                _functional._group_norm_backward(grad, input, weight, bias, mean, rstd, groups, eps,
                                                 needs),
           inputs=("input", "weight", "bias"), args=("mean", "rstd", "groups", "eps"))
derivative("embedding_bag", "EmbeddingBagBackward0",
           joint=lambda grad, weight, per_sample_weights, indices, bags, keep, scale, mode,
                        max_indices, needs:
                _nnmisc._embedding_bag_backward(grad, weight, per_sample_weights, indices, bags,
                                                keep, scale, mode, max_indices, needs),
           inputs=("weight", "per_sample_weights"),
           args=("indices", "bags", "keep", "scale", "mode", "max_indices"))
derivative("multi_margin_loss", "MultiMarginLossBackward0",
           {"self": lambda grad, self, target, p, margin, weight, reduction:
                _nnmisc._mm_grad(grad, self, target, p, margin, weight, reduction)},
           args=("target", "p", "margin", "weight", "reduction"))
derivative("multilabel_margin_loss", "MultilabelMarginLossBackward0",
           {"self": lambda grad, self, target, reduction:
                _nnmisc._mlm_grad(grad, self, target, reduction)},
           args=("target", "reduction"))
# ---- conv
# The formulas are in ctorch/nn/_conv.py, written with its recorded ops
# (im2col, col2im, matmul), so that they differentiate again.
_conv = _OnFirstUse("ctorch.nn._conv")
derivative("convolution", "ConvolutionBackward0", inputs=("input", "weight", "bias"),
           joint=lambda grad, input, weight, stride, padding, dilation, transposed, output_padding,
           groups, needs: _conv._convolution_backward(grad, input, weight, stride, padding,
                                                      dilation, transposed, output_padding,
                                                      groups, needs),
           args=("stride", "padding", "dilation", "transposed", "output_padding", "groups"))
derivative("im2col", "Im2ColBackward0",
           {"self": lambda grad, self_sizes, out, kernel_size, stride, padding, dilation:
            _conv._im2col_backward(grad, self_sizes, out, kernel_size, stride, padding, dilation)},
           args=("out", "kernel_size", "stride", "padding", "dilation"))
derivative("col2im", "Col2ImBackward0",
           {"self": lambda grad, channels, output_size, out, kernel_size, stride, padding, dilation:
            _conv._col2im_backward(grad, channels, output_size, out, kernel_size, stride, padding,
                                   dilation)},
           args=("channels", "output_size", "out", "kernel_size", "stride", "padding", "dilation"))
# ---- fused activations (ctorch/_ops/nn.pyx _act): args (op code, parameters)
for _act_op, _act_node in (("silu", "SiluBackward0"), ("softplus", "SoftplusBackward0"),
                           ("elu", "EluBackward0"), ("celu", "CeluBackward0"),
                           ("mish", "MishBackward0"), ("hardswish", "HardswishBackward0"),
                           ("hardsigmoid", "HardsigmoidBackward0"),
                           ("leaky_relu", "LeakyReluBackward0"),
                           ("softshrink", "SoftshrinkBackward0"),
                           ("hardshrink", "HardshrinkBackward0"),
                           ("logsigmoid", "LogSigmoidBackward0"),
                           ("threshold", "ThresholdBackward0")):
    derivative(_act_op, _act_node, {"self": _nn._act_backward}, args=("op", "p0", "p1", "p2"))
# ---- rearranging copies (tril / triu in one kernel pass): args (diagonal)
derivative("tril", "TrilBackward0",
           {"self": lambda grad, diagonal: _products.tril(grad, diagonal)}, args=("diagonal",))
derivative("triu", "TriuBackward0",
           {"self": lambda grad, diagonal: _products.triu(grad, diagonal)}, args=("diagonal",))
