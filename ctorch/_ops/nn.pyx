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
from ctorch._core.iterator cimport _dense_copy, _tensor_arg, _fill, _check_device, _same_device
from ctorch._ops.elementwise cimport _cast, _FUNCTIONS
from ctorch.autograd._node cimport record, _grad_mode, _set_grad_mode
from ctorch._ops.creation import ones_like
from ctorch._ops.reduce import mean, _sum_fn

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
    cdef Tensor c = _dense_copy(_cast(x, comp)) if (x._dtype is not comp or not _is_contiguous(x)) else x
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
    cdef Tensor cx = _dense_copy(_cast(x, comp)) if (x._dtype is not comp or not _is_contiguous(x)) else x
    cdef Tensor cg = _dense_copy(_cast(g, comp)) if (g._dtype is not comp or not _is_contiguous(g)) else g
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
        cw = _dense_copy(_cast(w, comp)) if (w._dtype is not comp or not _is_contiguous(w)) else w
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
        cw = _dense_copy(_cast(w, comp)) if (w._dtype is not comp or not _is_contiguous(w)) else w
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
        d = d * d
        count = (<Tensor>d)._numel
        if reduction == RED_MEAN:
            d = mean(d)
        elif reduction == RED_SUM:
            d = _sum_fn(d)
    finally:
        _set_grad_mode(mode)
    return record("mse_loss", d, (x, t), (reduction, count))

