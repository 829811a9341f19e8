# cython: language_level=3
"""The cores of ctorch.nn.functional that have kernels of their own: gelu
(and its derivative), the negative log-likelihood loss over (N, C) rows and
the mean squared error. The argument handling PyTorch does in Python
(reductions by name, N-d inputs, class-probability targets) lives in
ctorch/nn/functional.py; the gradients are the derivatives table's entries
gelu, nll_loss and mse_loss, which call the backward kernels here. Results
and scratch live on the input's device; of nll_loss only the total loss and
weight (and a bad target's row) come back to the host."""

import math as _math
from libc.stdint cimport int64_t

from ctorch._core.dtype cimport *
from ctorch._core.backend cimport *
from ctorch._core.tensor cimport *
from ctorch._core.iterator cimport _dense_copy, _contig, _tensor_arg, _fill, _check_device, _same_device
from ctorch._ops.elementwise cimport _cast, _FUNCTIONS
from ctorch.autograd._node cimport record, _grad_mode, _set_grad_mode
from ctorch._ops.creation import ones_like
from ctorch._ops.reduce import mean, _sum_fn
from ctorch._ops.products import dot as _dot
from ctorch._ops.shape import cat as _cat_fn

cdef enum:              # the reduction codes of ctorch.nn.functional
    RED_NONE = 0
    RED_MEAN = 1
    RED_SUM = 2


cdef DType _nn_compute_dtype(DType dt):
    """float32 kernels serve float16 (computed in float, rounded once)."""
    return t_float64 if dt is t_float64 else t_float32


# ------------------------------------------------------------------ gelu

cdef Tensor _gelu_raw(Tensor x, int approx):
    cdef DType comp = _nn_compute_dtype(x._dtype)
    cdef Tensor c = _contig(x, comp)
    cdef Tensor r = _empty_like(c, comp)
    cdef int64_t n = c._numel
    cdef ct_gelu_fn gelu = c._storage.backend.gelu[comp._code]
    with nogil:
        gelu(c._data, r._data, n, approx)
    _check_device(r)
    return r if comp is x._dtype else _cast(r, x._dtype)


cdef Tensor _gelu_bwd_raw(Tensor g, Tensor x, int approx):
    _same_device(x, g)
    cdef DType comp = _nn_compute_dtype(x._dtype)
    cdef Tensor cx = _contig(x, comp)
    cdef Tensor cg = _contig(g, comp)
    cdef Tensor r = _empty_like(cx, comp)
    cdef int64_t n = cx._numel
    cdef ct_gelu_bwd_fn gelu_bwd = cx._storage.backend.gelu_bwd[comp._code]
    with nogil:
        gelu_bwd(cg._data, cx._data, r._data, n, approx)
    _check_device(r)
    return r if comp is x._dtype else _cast(r, x._dtype)


def _gelu_deriv(x, int approx):
    """gelu'(x) as a differentiable expression (for higher-order gradients)."""
    if approx:
        k = _math.sqrt(2.0 / _math.pi)
        t = _FUNCTIONS["tanh"](k * (x + 0.044715 * x * x * x))
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * (k * (1 + 3 * 0.044715 * x * x))
    return 0.5 * (1 + _FUNCTIONS["erf"](x * _math.sqrt(0.5))) + x * _FUNCTIONS["exp"](-0.5 * x * x) / _math.sqrt(2 * _math.pi)


def _gelu_backward(grad, self, int approximate):
    """The gradient of gelu: the backward kernel, or under create_graph a
    differentiable expression (for higher-order gradients)."""
    if _grad_mode():
        return grad * _gelu_deriv(self, approximate)
    return _gelu_bwd_raw(<Tensor>grad, <Tensor>self, approximate)


def _gelu(input, approximate="none"):
    cdef Tensor x = _tensor_arg(input, "gelu")
    cdef int approx
    if approximate == "none":
        approx = 0
    elif approximate == "tanh":
        approx = 1
    else:
        raise RuntimeError("approximate argument must be either none or tanh.")
    if not x._dtype.is_floating_point:
        raise NotImplementedError(f"\"GeluKernelImpl\" not implemented for '{_sname(x._dtype)}'")
    return record("gelu", _gelu_raw(x, approx), (x,), (approx,))


# ------------------------------------------------------------- nll_loss

cdef int _nll_check(Tensor x, Tensor t, Tensor w) except -1:
    _same_device(x, t)
    if w is not None:
        _same_device(x, w)
    if t._dtype._code != CT_INT64 and t._dtype._code != CT_UINT8:
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {_sname(t._dtype)}")
    if not x._dtype.is_floating_point:
        raise NotImplementedError(f"\"nll_loss_out_frame\" not implemented for '{_sname(x._dtype)}'")
    if w is not None and w._dtype is not x._dtype:
        raise RuntimeError(f"expected scalar type {_sname(x._dtype)} but found {_sname(w._dtype)}")
    return 0


cdef Tensor _nll_grad_raw(Tensor x, Tensor t, Tensor w, int64_t ignore, int red, double total,
                          Tensor g):
    """d loss / d x for an (N, C) input, in x's compute dtype."""
    cdef DType comp = _nn_compute_dtype(x._dtype)
    cdef int64_t N = x._shape[0], C = x._shape[1]
    cdef Tensor dx = _empty(2, x._shape, comp, x._storage.device)
    _fill(dx, 0)
    cdef Tensor cg = _cast(g, comp) if g._dtype is not comp else g
    cdef int64_t sg = cg._stride[0] if cg._ndim == 1 else 0
    cdef double scale = 1.0 / total if red == RED_MEAN else 1.0
    cdef Tensor cw = None
    if w is not None:
        cw = _contig(w, comp)
    cdef void *wp = cw._data if cw is not None else NULL
    cdef int tbyte = t._dtype._code == CT_UINT8
    cdef int64_t st = t._stride[0]
    cdef ct_nll_bwd_fn nll_bwd = dx._storage.backend.nll_bwd[comp._code]
    with nogil:
        nll_bwd(dx._data, N, C, t._data, tbyte, st, wp, ignore, cg._data, sg, scale)
    _check_device(dx)
    return dx if comp is x._dtype else _cast(dx, x._dtype)


def _nll_backward(grad, self, target, weight, int64_t ignore_index, int reduction, double total_weight):
    """The gradient of nll_loss; under create_graph, linear in grad (a
    constant matrix times grad keeps higher orders exact)."""
    cdef Tensor tg = <Tensor>grad
    if _grad_mode():
        m = _nll_grad_raw(<Tensor>self, <Tensor>target, weight, ignore_index, reduction, total_weight,
                          ones_like(tg))
        return m * (grad.unsqueeze(1) if tg._ndim == 1 else grad)
    return _nll_grad_raw(<Tensor>self, <Tensor>target, weight, ignore_index, reduction, total_weight, tg)


def _nll_loss2d(input, target, weight, int64_t ignore_index, int reduction):
    """nll_loss of an (N, C) input and (N,) target; reduction 0 none, 1 mean, 2 sum."""
    cdef Tensor x = <Tensor?>input, t = <Tensor?>target
    cdef Tensor w = <Tensor?>weight if weight is not None else None
    _nll_check(x, t, w)
    cdef DType comp = _nn_compute_dtype(x._dtype)
    cdef Tensor cx = _cast(x, comp) if x._dtype is not comp else x
    cdef Tensor cw = None
    if w is not None:
        cw = _contig(w, comp)
    cdef void *wp = cw._data if cw is not None else NULL
    cdef int64_t N = x._shape[0], C = x._shape[1], bad
    cdef double s = 0, ws = 0
    cdef int dev = x._storage.device
    cdef Tensor rows = _empty(1, x._shape, comp, dev) if reduction == RED_NONE else None
    cdef void *rp = rows._data if rows is not None else NULL
    cdef int tbyte = t._dtype._code == CT_UINT8
    cdef int64_t st = t._stride[0] if N > 0 else 0
    cdef ct_nll_fn nll = cx._storage.backend.nll[comp._code]
    with nogil:
        bad = nll(cx._data, N, C, cx._stride[0], cx._stride[1], t._data, tbyte, st, wp, ignore_index,
                  rp, &s, &ws)
    _check_device(cx)
    if bad >= 0:
        raise IndexError(f"Target {t[bad].item()} is out of bounds.")
    cdef Tensor r
    if reduction == RED_NONE:
        r = rows
    else:
        r = _empty(0, NULL, comp, dev)
        v = s / ws if reduction == RED_MEAN else s
        if reduction == RED_MEAN and ws == 0:
            v = _math.nan
        r.fill_(v)
    if comp is not x._dtype:
        r = _cast(r, x._dtype)
    return record("nll_loss", r, (x,), (t, w, ignore_index, reduction, ws))


# ------------------------------------------------------------- mse_loss

def _mse_backward(grad, self, target, int reduction, Py_ssize_t count):
    """d loss / d self (the target's gradient is its negative)."""
    return (self - target) * (grad * (2.0 / count if reduction == RED_MEAN else 2.0))


def _mse_loss(input, target, int reduction):
    cdef Tensor x = <Tensor?>input, t = <Tensor?>target
    cdef object d
    cdef int mode = _grad_mode()
    _set_grad_mode(0)
    try:
        d = x - t
        count = (<Tensor>d)._numel
        if (reduction != RED_NONE and count > 0
                and ((<Tensor>d)._dtype is t_float32 or (<Tensor>d)._dtype is t_float64)):
            # the squares' sum as the differences' dot product with
            # themselves: one pass, no tensor of squares
            d = (<Tensor>d).reshape(-1)
            d = _dot(d, d)
            if reduction == RED_MEAN:
                d = d / count
        else:
            d = d * d
            if reduction == RED_MEAN:
                d = mean(d)
            elif reduction == RED_SUM:
                d = _sum_fn(d)
    finally:
        _set_grad_mode(mode)
    return record("mse_loss", d, (x, t), (reduction, count))



# ------------------------------------------------------ fused activations
# silu, softplus, elu (selu, celu), mish, hardswish, hardsigmoid, leaky_relu,
# softshrink, hardshrink, logsigmoid: one kernel
# each way (nn.c, the backend's act / act_bwd tables), float16 computed in
# float32. A device without them (a NULL table) or a complex input gets None
# from _act, and ctorch.nn.functional composes other ops instead.

cdef extern from "nn.h" nogil:
    ctypedef void (*ct_act_fn)(const void *x, void *y, int64_t n, int op, const double *p)
    ctypedef void (*ct_act_bwd_fn)(const void *g, const void *x, void *dx, int64_t n, int op,
                                   const double *p)

# the activation members of the backend table (backend.h), under its C name
cdef extern from "backend.h" nogil:
    ctypedef struct ct_act_table "ct_backend":
        const ct_act_fn *act
        const ct_act_bwd_fn *act_bwd

ACT_SILU = 0
ACT_SOFTPLUS = 1
ACT_ELU = 2
ACT_MISH = 3
ACT_HARDSWISH = 4
ACT_HARDSIGMOID = 5
ACT_LEAKY_RELU = 6
ACT_SOFTSHRINK = 7
ACT_HARDSHRINK = 8
ACT_LOGSIGMOID = 9
ACT_THRESHOLD = 10
ACT_SQRT_CLAMP = 11

# the derivatives-table entry each activation records under
_ACT_OPS = ("silu", "softplus", "elu", "mish", "hardswish", "hardsigmoid", "leaky_relu",
            "softshrink", "hardshrink", "logsigmoid", "threshold")


cdef inline DType _act_dtype(Tensor x, const ct_act_table *B):
    # the input's own dtype where the kernel takes it (float16 / bfloat16
    # widened a block at a time), else the compute dtype
    return x._dtype if B.act[x._dtype._code] != NULL else _nn_compute_dtype(x._dtype)


cdef Tensor _act_raw(Tensor x, int op, double p0, double p1, double p2):
    cdef const ct_act_table *B = <const ct_act_table *>x._storage.backend
    cdef DType comp = _act_dtype(x, B)
    cdef ct_act_fn fn = B.act[comp._code]
    cdef Tensor c = _contig(x, comp)
    cdef Tensor r = _empty_like(c, comp)
    cdef double p[3]
    p[0] = p0; p[1] = p1; p[2] = p2
    cdef int64_t n = c._numel
    with nogil:
        fn(c._data, r._data, n, op, p)
    return r if comp is x._dtype else _cast(r, x._dtype)


cdef Tensor _act_bwd_raw(Tensor g, Tensor x, int op, double p0, double p1, double p2):
    _same_device(x, g)
    cdef const ct_act_table *B = <const ct_act_table *>x._storage.backend
    cdef DType comp = _act_dtype(x, B)
    cdef ct_act_bwd_fn fn = B.act_bwd[comp._code]
    cdef Tensor cx = _contig(x, comp)
    cdef Tensor cg = _contig(g, comp)
    cdef Tensor r = _empty_like(cx, comp)
    cdef double p[3]
    p[0] = p0; p[1] = p1; p[2] = p2
    cdef int64_t n = cx._numel
    with nogil:
        fn(cg._data, cx._data, r._data, n, op, p)
    return r if comp is x._dtype else _cast(r, x._dtype)


def _sqrt_clamp_(Tensor x, double lo):
    """x = sqrt(max(x, lo)) in place by the activation kernel (a dense float32 /
    float64 x without history); False where there is no kernel for it."""
    cdef const ct_act_table *B = <const ct_act_table *>x._storage.backend
    if (B.act == NULL or (x._dtype is not t_float32 and x._dtype is not t_float64)
            or B.act[x._dtype._code] == NULL or not _is_contiguous(x)):
        return False
    cdef ct_act_fn fn = B.act[x._dtype._code]
    cdef double p[3]
    p[0] = lo; p[1] = 0; p[2] = 0
    cdef int64_t n = x._numel
    cdef int op = ACT_SQRT_CLAMP
    with nogil:
        fn(x._data, x._data, n, op, p)
    return True


def _act(input, int op, double p0=0.0, double p1=0.0, double p2=0.0, str name=None):
    """f(input) by the fused kernel, recorded under `name` (default: the
    activation's own entry); None where there is no kernel for the input."""
    cdef Tensor x = <Tensor>input
    cdef const ct_act_table *B = <const ct_act_table *>x._storage.backend
    if (B.act == NULL or B.act_bwd == NULL or not x._dtype.is_floating_point
            or x._dtype.is_complex):
        return None
    cdef DType comp = _act_dtype(x, B)
    if B.act[comp._code] == NULL or B.act_bwd[comp._code] == NULL:
        return None
    return record(name if name is not None else _ACT_OPS[op], _act_raw(x, op, p0, p1, p2),
                  (x,), (op, p0, p1, p2))


def _act_deriv(x, int op, double p0, double p1, double p2):
    """f'(x) as a differentiable expression (for higher-order gradients)."""
    sigmoid = _FUNCTIONS["sigmoid"]
    if op == ACT_SILU:
        s = sigmoid(x)
        return s * (1 + x * (1 - s))
    if op == ACT_SOFTPLUS:
        z = x * p0
        above = (z > p1).to(x.dtype)
        return above + (1 - above) * sigmoid(z)
    if op == ACT_ELU:
        pos = (x > 0).to(x.dtype)
        m = x - _FUNCTIONS["relu"](x)
        return pos * p1 + (1 - pos) * (p0 * p1 * p2) * _FUNCTIONS["exp"](m * p2)
    if op == ACT_MISH:
        r = _FUNCTIONS["relu"](x)
        sp = r + _FUNCTIONS["log1p"](_FUNCTIONS["exp"](x - 2 * r))
        t = _FUNCTIONS["tanh"](sp)
        return t + x * sigmoid(x) * (1 - t * t)
    if op == ACT_HARDSWISH:
        mid = ((x >= -3) & (x <= 3)).to(x.dtype)
        return mid * (x / 3 + 0.5) + (x > 3).to(x.dtype)
    if op == ACT_LEAKY_RELU:
        pos = (x > 0).to(x.dtype)
        return pos + (1 - pos) * p0
    if op == ACT_SOFTSHRINK or op == ACT_HARDSHRINK:
        return 1 - ((x >= -p0) & (x <= p0)).to(x.dtype)
    if op == ACT_LOGSIGMOID:
        return sigmoid(-x)
    if op == ACT_THRESHOLD:
        return 1 - (x <= p0).to(x.dtype)
    return ((x > -3) & (x < 3)).to(x.dtype) / 6


def _act_backward(grad, self, int op, double p0, double p1, double p2):
    """The gradient of a fused activation: the backward kernel, or under
    create_graph a differentiable expression."""
    if _grad_mode():
        return grad * _act_deriv(self, op, p0, p1, p2)
    return _act_bwd_raw(<Tensor>grad, <Tensor>self, op, p0, p1, p2)


# ------------------------------------------------------------ pointwise losses
# binary_cross_entropy_with_logits, smooth_l1_loss, huber_loss and
# soft_margin_loss in one pass each way (nn.c, the backend's ploss tables) for
# float32 / float64 inputs and targets of one shape and dtype, pos_weight and
# weight (optional) of that dtype broadcasting to it; None elsewhere
# (ctorch.nn.functional then composes other ops). Recorded under the loss's
# own entry with inputs (input, target); pos_weight and weight are arguments,
# so the kernel serves only where they need no gradient.

cdef extern from "nn.h" nogil:
    ctypedef int (*ct_ploss_fn)(int op, double p, const void *x, const void *t, const void *pw,
                                const void *w, void *out, int64_t n, double *sum)
    ctypedef void (*ct_ploss_bwd_fn)(int op, double p, const void *g, double gs, const void *x,
                                     const void *t, const void *pw, const void *w, void *dx,
                                     int64_t n)
    ctypedef void (*ct_glu_fn)(const void *g, const void *x, void *y, int64_t outer, int64_t h)
    ctypedef void (*ct_prelu_fn)(const void *g, const void *x, const void *w, void *y, double *dwb,
                                 int64_t nb, int64_t C, int64_t S)

cdef extern from "backend.h" nogil:
    ctypedef struct ct_nnk_table "ct_backend":
        const ct_ploss_fn *ploss
        const ct_ploss_bwd_fn *ploss_bwd
        const ct_glu_fn *glu
        const ct_prelu_fn *prelu

PL_BCEL = 0
PL_SMOOTH_L1 = 1
PL_HUBER = 2
PL_SOFT_MARGIN = 3
_PL_OPS = ("binary_cross_entropy_with_logits", "smooth_l1_loss", "huber_loss", "soft_margin_loss")


cdef object _pl_operand(object o, Tensor x):
    """pos_weight / weight as n contiguous values of x's dtype (broadcast to
    x's shape), None for none; False where the kernel cannot take it."""
    if o is None:
        return None
    if not isinstance(o, Tensor):
        return False
    cdef Tensor t = <Tensor>o
    cdef int d, k
    if (t._dtype is not x._dtype or t._ndim > x._ndim or t._storage.device != x._storage.device
            or (_needs_grad(t) and _grad_mode())):
        return False
    for d in range(t._ndim):
        k = d + x._ndim - t._ndim
        if t._shape[d] != x._shape[k] and t._shape[d] != 1:
            return False
    if t._numel == x._numel and _is_contiguous(t):
        return t
    return _dense_copy(t.expand(x.size()))


def _ploss(int op, double p, input, target, pos_weight, weight, int reduction):
    """The loss op (PL_*, parameter p) of input and target by the fused kernel,
    reduced; None where the kernel cannot serve."""
    cdef Tensor x = <Tensor>input, t = <Tensor>target
    cdef const ct_nnk_table *B = <const ct_nnk_table *>x._storage.backend
    if (B.ploss == NULL or B.ploss_bwd == NULL or (x._dtype is not t_float32 and x._dtype is not t_float64)
            or t._dtype is not x._dtype or t._storage.device != x._storage.device or x._numel == 0
            or not _same_shape(x, t) or B.ploss[x._dtype._code] == NULL):
        return None
    pw = _pl_operand(pos_weight, x)
    w = _pl_operand(weight, x)
    if pw is False or w is False:
        return None
    cdef Tensor cx = _contig(x, x._dtype), ct = _contig(t, x._dtype), r
    cdef ct_ploss_fn fn = B.ploss[x._dtype._code]
    cdef void *ppw = _data_or_null(pw)
    cdef void *pww = _data_or_null(w)
    cdef int64_t n = x._numel
    cdef double total = 0
    cdef int rc
    if reduction == RED_NONE:
        r = _empty_like(cx, x._dtype)
        with nogil:
            rc = fn(op, p, cx._data, ct._data, ppw, pww, r._data, n, &total)
    else:
        with nogil:
            rc = fn(op, p, cx._data, ct._data, ppw, pww, NULL, n, &total)
        r = _empty_list([], x._dtype, x._storage.device)
        _fill(r, total / n if reduction == RED_MEAN else total)
    if rc == -2:
        raise MemoryError(f"{_PL_OPS[op]}: out of memory")
    return record(_PL_OPS[op], r, (x, t), (op, p, pw, w, reduction, n))


def _pl_deriv(int op, double p, x, t, pw):
    """d loss / d input as a differentiable expression (for higher-order
    gradients), before the weight."""
    sigmoid = _FUNCTIONS["sigmoid"]
    if op == PL_BCEL:
        lw = 1 if pw is None else 1 + (pw - 1) * t
        return (1 - t) - lw * sigmoid(-x)
    if op == PL_SOFT_MARGIN:
        return -t * sigmoid(-t * x)
    if op == PL_SMOOTH_L1:
        return ((x - t) / p).clamp(-1, 1)
    return (x - t).clamp(-p, p)


def _ploss_backward(grad, self, target, int op, double p, pos_weight, weight, int reduction,
                    int64_t count):
    """d loss / d input: the backward kernel, or under create_graph a
    differentiable expression."""
    cdef Tensor x = <Tensor>self, g = <Tensor>grad
    cdef double gs = 1.0 / count if reduction == RED_MEAN else 1.0
    cdef int d
    cdef bint spread = reduction != RED_NONE
    if _grad_mode():
        dl = _pl_deriv(op, p, x, target, pos_weight)
        if weight is not None:
            dl = dl * weight
        return grad * gs * dl
    _same_device(x, g)
    if not spread:
        # a gradient spread from one value (loss.sum()'s) is read as that value
        spread = True
        for d in range(g._ndim):
            if g._stride[d] != 0 and g._shape[d] != 1:
                spread = False
                break
    cdef Tensor cx = _contig(x, x._dtype), ct = _contig(<Tensor>target, x._dtype), cg = None
    if spread:
        gs *= float(g.reshape(-1)[0]) if g._numel else 0.0
    else:
        cg = _contig(g, x._dtype)
    cdef const ct_nnk_table *B = <const ct_nnk_table *>x._storage.backend
    cdef ct_ploss_bwd_fn fn = B.ploss_bwd[x._dtype._code]
    cdef Tensor r = _empty_like(cx, x._dtype)
    cdef void *pg = _data_or_null(cg)
    cdef void *ppw = _data_or_null(pos_weight)
    cdef void *pww = _data_or_null(weight)
    cdef int64_t n = cx._numel
    with nogil:
        fn(op, p, pg, gs, cx._data, ct._data, ppw, pww, r._data, n)
    return r


def _ploss_target_backward(grad, self, target, int op, double p, pos_weight, weight,
                           int reduction, int64_t count):
    """d loss / d target, a composition: bce_with_logits' w (-x + (pw - 1)
    softplus(-x)); the negative of the input's for smooth_l1 and huber
    (soft_margin_loss refuses a target that requires grad, as PyTorch's)."""
    if op == PL_SMOOTH_L1 or op == PL_HUBER:
        return -_ploss_backward(grad, self, target, op, p, pos_weight, weight, reduction, count)
    dl = -self
    if pos_weight is not None:
        # softplus(-x) = relu(-x) + log1p(exp(-|x|)), without overflow
        sp = _FUNCTIONS["relu"](-self) + _FUNCTIONS["log1p"](_FUNCTIONS["exp"](-_FUNCTIONS["abs"](self)))
        dl = dl + (pos_weight - 1) * sp
    if weight is not None:
        dl = dl * weight
    return grad * (1.0 / count if reduction == RED_MEAN else 1.0) * dl


# ------------------------------------------------------------------ glu
# a * sigmoid(b) of the halves of a dim in one kernel pass each way (nn.c,
# the backend's glu table), float32 / float64; None elsewhere (composed).

cdef Tensor _glu_raw(Tensor g, Tensor x, int d):
    cdef const ct_nnk_table *B = <const ct_nnk_table *>x._storage.backend
    cdef Tensor cx = _contig(x, x._dtype)
    cdef int k
    cdef int64_t outer = 1, h = cx._shape[d] // 2
    for k in range(d):
        outer *= cx._shape[k]
    for k in range(d + 1, cx._ndim):
        h *= cx._shape[k]
    shape = list(cx.size())
    if g is None:
        shape[d] //= 2
    cdef Tensor r = _empty_list(shape, x._dtype, x._storage.device)
    cdef Tensor cg = None if g is None else _contig(g, x._dtype)
    cdef void *gp = _data_or_null(cg)
    cdef ct_glu_fn fn = B.glu[x._dtype._code]
    with nogil:
        fn(gp, cx._data, r._data, outer, h)
    return r


def _glu(input, int d):
    cdef Tensor x = <Tensor>input
    cdef const ct_nnk_table *B = <const ct_nnk_table *>x._storage.backend
    if (B.glu == NULL or (x._dtype is not t_float32 and x._dtype is not t_float64)
            or B.glu[x._dtype._code] == NULL or x._numel == 0):
        return None
    return record("glu", _glu_raw(None, x, d), (x,), (d,))


def _glu_backward(grad, self, int dim):
    """The gradient of glu: the backward kernel, or under create_graph a
    differentiable expression."""
    cdef Tensor x = <Tensor>self
    if _grad_mode():
        n = x._shape[dim] // 2
        a, b = x.narrow(dim, 0, n), x.narrow(dim, n, n)
        s = _FUNCTIONS["sigmoid"](b)
        return _cat_fn([grad * s, grad * a * s * (1 - s)], dim)
    _same_device(x, <Tensor>grad)
    return _glu_raw(<Tensor>grad, x, dim)


# ------------------------------------------------------------------ prelu
# x where x > 0, else the channel's slope times x, in one kernel pass each way
# (nn.c, the backend's prelu table), float32 / float64 with a weight of the
# same dtype; None elsewhere (composed). The channels: dim 1 (dim 0 of a 1-d
# input); one slope serves every element.

cdef tuple _prelu_geometry(Tensor x, Tensor w):
    """(blocks, C, S) of x for w's C slopes: blocks of S values, block b's
    slope w[b % C]."""
    cdef int64_t C = w._numel, S, k
    if C == 1:
        return (1, 1, x._numel)
    S = 1
    for k in range(2, x._ndim):
        S *= x._shape[k]
    return (x._numel // S if S else 0, C, S)


def _prelu(input, weight):
    cdef Tensor x = <Tensor>input, w = <Tensor>weight
    cdef const ct_nnk_table *B = <const ct_nnk_table *>x._storage.backend
    if (B.prelu == NULL or (x._dtype is not t_float32 and x._dtype is not t_float64)
            or B.prelu[x._dtype._code] == NULL or w._dtype is not x._dtype
            or w._storage.device != x._storage.device or x._numel == 0):
        return None
    return record("_prelu_kernel", _prelu_raw(None, x, w)[0], (x, w), ())


cdef tuple _prelu_raw(Tensor g, Tensor x, Tensor w):
    cdef const ct_nnk_table *B = <const ct_nnk_table *>x._storage.backend
    cdef Tensor cx = _contig(x, x._dtype), cw = _contig(w, x._dtype)
    nb, C, S = _prelu_geometry(cx, cw)
    cdef int64_t nb_ = nb, C_ = C, S_ = S
    cdef Tensor r = _empty_like(cx, x._dtype)
    cdef Tensor cg = None if g is None else _contig(g, x._dtype)
    cdef Tensor dwb = None if g is None else _empty_list([nb_], t_float64, x._storage.device)
    cdef void *gp = _data_or_null(cg)
    cdef double *dp = <double *>_data_or_null(dwb)
    cdef ct_prelu_fn fn = B.prelu[x._dtype._code]
    with nogil:
        fn(gp, cx._data, cw._data, r._data, dp, nb_, C_, S_)
    return r, dwb


def _prelu_backward(grad, self, weight, needs):
    """(d input, d weight) of prelu: the backward kernel, or under
    create_graph a differentiable expression."""
    cdef Tensor x = <Tensor>self, w = <Tensor>weight
    if _grad_mode():
        pos = (x > 0).to(x.dtype)
        nb, C, S = _prelu_geometry(x, w)
        wv = w.reshape(-1)[0] if C == 1 else w.reshape([C] + [1] * max(x._ndim - 2, 0))
        dx = grad * (pos + (1 - pos) * wv)
        gxn = grad * x * (1 - pos)
        dw = gxn.sum() if C == 1 else gxn.reshape(-1, C, S).sum((0, 2))
        return dx, dw.reshape(w.size())
    dx, dwb = _prelu_raw(<Tensor>grad, x, w)
    dw = None
    if needs[1]:
        nb, C, S = _prelu_geometry(x, w)
        dw = _cast(_sum_fn(dwb.reshape(-1, C), 0), x._dtype).reshape(w.size())
    return dx if needs[0] else None, dw


# ------------------------------------------------------------ embedding_bag
# The bags' sums / means / maxima (nnsample.c, the backend's ebag tables) and
# the index-add of the backward; float32 and float64 on a device that has the
# kernels (the caller composes other ops elsewhere).

cdef extern from "nnsample.h" nogil:
    ctypedef void (*ct_ebag_fn)(const void *w, int64_t dim, int64_t ws0, int64_t ws1,
                                const int64_t *idx, int64_t n, const int64_t *off, int64_t nbags,
                                int mode, const void *psw, int64_t pad, void *out,
                                int64_t *counts, int64_t *bag, void *scale, int64_t *max_idx)
    ctypedef void (*ct_ebag_bwd_fn)(const void *g, int64_t gs0, int64_t gs1, int64_t dim,
                                    const int64_t *idx, const int64_t *bag, const void *scale,
                                    int64_t n, int mode, const int64_t *max_idx, int64_t nbags,
                                    void *gw)
    ctypedef struct ct_grid_args:
        int64_t N, C, ID, IH, IW, OD, OH, OW
        int64_t xs[5]
        int64_t gs[5]
        int nd, mode, padding, align
    ctypedef void (*ct_grid_fn)(const ct_grid_args *a, const void *x, const void *grid, void *y)
    ctypedef void (*ct_grid_bwd_fn)(const ct_grid_args *a, const void *g, const void *x,
                                    const void *grid, void *gx, void *ggrid)

cdef extern from "backend.h" nogil:
    ctypedef struct ct_sample_table "ct_backend":
        int64_t (*ebag_check)(const int64_t *idx, int64_t n, int64_t rows, const int64_t *off,
                              int64_t noff, int64_t *bad)
        const ct_ebag_fn *ebag
        const ct_ebag_bwd_fn *ebag_bwd
        const ct_grid_fn *grid_sample
        const ct_grid_bwd_fn *grid_sample_bwd


cdef inline bint _sample_kernels(Tensor t, int which):
    """Whether t's device has the embedding_bag (0) / grid_sample (1) kernels
    for t's dtype (float32, float64)."""
    cdef const ct_sample_table *B = <const ct_sample_table *>t._storage.backend
    cdef int code = t._dtype._code
    if code != CT_FLOAT32 and code != CT_FLOAT64:
        return False
    if which == 0:
        return B.ebag != NULL and B.ebag_bwd != NULL and B.ebag_check != NULL and B.ebag[code] != NULL
    return B.grid_sample != NULL and B.grid_sample_bwd != NULL and B.grid_sample[code] != NULL


def _ebag_ok(Tensor weight):
    return _sample_kernels(weight, 0)


def _ebag_check(Tensor idx, int64_t rows, Tensor off):
    """(code, value) of what is wrong with int64 contiguous indices / offsets
    (nnsample.h CT_EBAG_*), (0, 0) when nothing is."""
    cdef const ct_sample_table *B = <const ct_sample_table *>idx._storage.backend
    cdef int64_t bad = 0, code
    code = B.ebag_check(<const int64_t *>idx._data, idx._numel, rows,
                        <const int64_t *>off._data, off._numel, &bad)
    return code, bad


def _ebag_forward(Tensor weight, Tensor idx, Tensor off, int64_t nbags, int mode, psw,
                  int64_t pad):
    """(out, counts, bag, scale, max_idx or None) of the bags of idx (int64,
    contiguous) at offsets off (int64, contiguous) into weight's rows."""
    cdef const ct_sample_table *B = <const ct_sample_table *>weight._storage.backend
    cdef DType dt = weight._dtype
    cdef int64_t dim = weight._shape[1], n = idx._numel
    cdef int dev = weight._storage.device
    cdef Tensor out = _empty_list([nbags, dim], dt, dev)
    cdef Tensor counts = _empty_list([nbags], t_int64, dev)
    cdef Tensor bag = _empty_list([n], t_int64, dev)
    cdef Tensor scale = _empty_list([n], dt, dev)
    cdef Tensor mx = _empty_list([nbags, dim], t_int64, dev) if mode == 2 else None
    cdef Tensor p = None
    if psw is not None:
        p = <Tensor>psw
        p = _contig(p, dt)
    cdef const void *pp = p._data if p is not None else NULL
    cdef int64_t *mp = <int64_t *>mx._data if mx is not None else NULL
    cdef ct_ebag_fn fn = B.ebag[dt._code]
    cdef int64_t ws0 = weight._stride[0], ws1 = weight._stride[1]
    with nogil:
        fn(weight._data, dim, ws0, ws1, <const int64_t *>idx._data, n,
           <const int64_t *>off._data, nbags, mode, pp, pad, out._data,
           <int64_t *>counts._data, <int64_t *>bag._data, scale._data, mp)
    return out, counts, bag, scale, mx


def _ebag_weight_grad(Tensor grad, Tensor weight, Tensor idx, Tensor bag, Tensor scale, int mode,
                      max_idx):
    """d weight of embedding_bag by the index-add kernel (grad: (nbags, dim))."""
    cdef const ct_sample_table *B = <const ct_sample_table *>weight._storage.backend
    cdef DType dt = weight._dtype
    cdef Tensor g = _cast(grad, dt) if grad._dtype is not dt else grad
    cdef Tensor gw = _empty_list([weight._shape[0], weight._shape[1]], dt, weight._storage.device)
    _fill(gw, 0)
    cdef Tensor mx = <Tensor>max_idx if max_idx is not None else None
    cdef const int64_t *mp = <const int64_t *>mx._data if mx is not None else NULL
    cdef ct_ebag_bwd_fn fn = B.ebag_bwd[dt._code]
    cdef int64_t gs0 = g._stride[0], gs1 = g._stride[1], dim = weight._shape[1]
    cdef int64_t n = idx._numel, nbags = g._shape[0]
    with nogil:
        fn(g._data, gs0, gs1, dim, <const int64_t *>idx._data, <const int64_t *>bag._data,
           scale._data, n, mode, mp, nbags, gw._data)
    return gw


# ------------------------------------------------------------ grid_sample

def _grid_ok(Tensor x, int mode):
    return _sample_kernels(x, 1)


cdef int _grid_fill(ct_grid_args *a, Tensor x, Tensor grid, int mode, int padding,
                    bint align) except -1:
    cdef int nd = x._ndim - 2, i
    a.nd = nd
    a.mode = mode
    a.padding = padding
    a.align = align
    a.N = x._shape[0]
    a.C = x._shape[1]
    a.ID = x._shape[2] if nd == 3 else 1
    a.IH = x._shape[x._ndim - 2]
    a.IW = x._shape[x._ndim - 1]
    a.OD = grid._shape[1] if nd == 3 else 1
    a.OH = grid._shape[grid._ndim - 3]
    a.OW = grid._shape[grid._ndim - 2]
    for i in range(5):
        a.xs[i] = 0
        a.gs[i] = 0
    a.xs[0] = x._stride[0]
    a.xs[1] = x._stride[1]
    a.gs[0] = grid._stride[0]
    if nd == 3:
        a.gs[1] = grid._stride[1]
    a.gs[2] = grid._stride[grid._ndim - 3]
    a.gs[3] = grid._stride[grid._ndim - 2]
    a.gs[4] = grid._stride[grid._ndim - 1]
    return 0


def _grid_sample(Tensor x, Tensor grid, int mode, int padding, bint align):
    """grid_sample's output by the kernel; x's planes are made dense."""
    cdef const ct_sample_table *B = <const ct_sample_table *>x._storage.backend
    cdef Tensor cx = _contig(x, x._dtype)
    cdef ct_grid_args a
    _grid_fill(&a, cx, grid, mode, padding, align)
    cdef list shape = [a.N, a.C] + ([a.OD] if a.nd == 3 else []) + [a.OH, a.OW]
    cdef Tensor y = _empty_list(shape, x._dtype, x._storage.device)
    cdef ct_grid_fn fn = B.grid_sample[x._dtype._code]
    if y._numel > 0:
        with nogil:
            fn(&a, cx._data, grid._data, y._data)
    return y


def _grid_sample_backward(grad, Tensor x, Tensor grid, int mode, int padding, bint align,
                          needs):
    """(d input or None, d grid or None) of grid_sample by the kernel."""
    cdef const ct_sample_table *B = <const ct_sample_table *>x._storage.backend
    cdef Tensor cx = _contig(x, x._dtype)
    cdef Tensor g = <Tensor>grad
    g = _contig(g, x._dtype)
    cdef ct_grid_args a
    _grid_fill(&a, cx, grid, mode, padding, align)
    cdef Tensor gx = None, gg = None
    if needs[0]:
        gx = _empty_list(list(x.shape), x._dtype, x._storage.device)
        _fill(gx, 0)
    if len(needs) > 1 and needs[1]:
        gg = _empty_list(list(grid.shape), grid._dtype, grid._storage.device)
    cdef void *gxp = gx._data if gx is not None else NULL
    cdef void *ggp = gg._data if gg is not None else NULL
    cdef ct_grid_bwd_fn fn = B.grid_sample_bwd[x._dtype._code]
    if g._numel > 0 and (gxp != NULL or ggp != NULL):
        with nogil:
            fn(&a, g._data, cx._data, grid._data, gxp, ggp)
    elif gg is not None:
        _fill(gg, 0)
    return gx, gg
