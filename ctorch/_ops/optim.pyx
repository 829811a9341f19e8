# cython: language_level=3
"""The kernels' entry of the fused optimizer updates (ctorch/optim/sgd.py and
adam.py do the argument handling, the state and the step count): SGD and
Adam/AdamW applied in one pass over a parameter, its gradient and its state,
all updated in place. Each entry updates and returns True when every tensor is
a dense tensor of the parameter's dtype and shape on a device whose backend
has the kernel (float32, float64); otherwise it touches nothing and returns
False, and the optimizer composes other ops instead. Nothing is recorded for
autograd: the callers use these only outside a differentiable update."""

from libc.stdint cimport int64_t

from ctorch._core.dtype cimport *
from ctorch._core.tensor cimport *


cdef extern from "optim.h" nogil:
    ctypedef struct ct_sgd_args:
        double lr, weight_decay, momentum, dampening
        int nesterov, maximize, first
    ctypedef void (*ct_sgd_fn)(void *p, const void *g, void *buf, int64_t n, const ct_sgd_args *a)
    ctypedef struct ct_adam_args:
        double lr, beta1, beta2, eps, weight_decay, bc1, bc2_sqrt
        int decoupled, amsgrad, maximize
    ctypedef void (*ct_adam_fn)(void *p, const void *g, void *m, void *v, void *vmax, int64_t n,
                                const ct_adam_args *a)

# the optimizer members of the backend table (backend.h), under its C name
cdef extern from "backend.h" nogil:
    ctypedef struct ct_optim_table "ct_backend":
        const ct_sgd_fn *sgd_update
        const ct_adam_fn *adam_update


cdef inline bint _fits(Tensor p, object t):
    """t is a dense tensor of p's dtype, shape and device (None: absent)."""
    if t is None:
        return True
    if not isinstance(t, Tensor):
        return False
    cdef Tensor x = <Tensor>t
    return (x._dtype is p._dtype and x._storage.backend == p._storage.backend
            and x._storage.device == p._storage.device and _same_shape(x, p)
            and _is_contiguous(x))


cdef inline bint _dense_float(object t):
    if not isinstance(t, Tensor):
        return False
    cdef Tensor p = <Tensor>t
    return (p._dtype is t_float32 or p._dtype is t_float64) and _is_contiguous(p)


def _sgd_fits(p, grad, buf):
    """Whether _sgd_update can run on these tensors (buf may be None)."""
    if not _dense_float(p):
        return False
    cdef Tensor x = <Tensor>p
    cdef const ct_optim_table *B = <const ct_optim_table *>x._storage.backend
    return (B.sgd_update != NULL and B.sgd_update[x._dtype._code] != NULL
            and _fits(x, grad) and grad is not None and _fits(x, buf))


def _sgd_update(p, grad, buf, double lr, double weight_decay, double momentum,
                double dampening, bint nesterov, bint maximize, bint first):
    """One SGD step on p (and buf, the momentum buffer, None without momentum;
    first: buf is set to the step's direction rather than updated)."""
    if not _sgd_fits(p, grad, buf):
        return False
    cdef Tensor x = <Tensor>p, g = <Tensor>grad, b = <Tensor>buf if buf is not None else None
    cdef const ct_optim_table *B = <const ct_optim_table *>x._storage.backend
    cdef ct_sgd_fn fn = B.sgd_update[x._dtype._code]
    cdef ct_sgd_args a
    a.lr = lr
    a.weight_decay = weight_decay
    a.momentum = momentum
    a.dampening = dampening
    a.nesterov = nesterov
    a.maximize = maximize
    a.first = first
    cdef void *bp = NULL
    if b is not None:
        bp = b._data
    cdef int64_t n = x._numel
    with nogil:
        fn(x._data, g._data, bp, n, &a)
    _bump(x)
    if b is not None:
        _bump(b)
    return True


def _adam_fits(p, grad, exp_avg, exp_avg_sq, max_exp_avg_sq):
    """Whether _adam_update can run on these tensors (max_exp_avg_sq may be None)."""
    if not _dense_float(p):
        return False
    cdef Tensor x = <Tensor>p
    cdef const ct_optim_table *B = <const ct_optim_table *>x._storage.backend
    return (B.adam_update != NULL and B.adam_update[x._dtype._code] != NULL
            and grad is not None and exp_avg is not None and exp_avg_sq is not None
            and _fits(x, grad) and _fits(x, exp_avg) and _fits(x, exp_avg_sq)
            and _fits(x, max_exp_avg_sq))


def _adam_update(p, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, double lr, double beta1,
                 double beta2, double eps, double weight_decay, bint decoupled, bint maximize,
                 double bias_correction1, double bias_correction2_sqrt):
    """One Adam step (AdamW's with decoupled) on p, exp_avg, exp_avg_sq and,
    with amsgrad, max_exp_avg_sq (None without)."""
    if not _adam_fits(p, grad, exp_avg, exp_avg_sq, max_exp_avg_sq):
        return False
    cdef Tensor x = <Tensor>p, g = <Tensor>grad, m = <Tensor>exp_avg, v = <Tensor>exp_avg_sq
    cdef Tensor vm = <Tensor>max_exp_avg_sq if max_exp_avg_sq is not None else None
    cdef const ct_optim_table *B = <const ct_optim_table *>x._storage.backend
    cdef ct_adam_fn fn = B.adam_update[x._dtype._code]
    cdef ct_adam_args a
    a.lr = lr
    a.beta1 = beta1
    a.beta2 = beta2
    a.eps = eps
    a.weight_decay = weight_decay
    a.bc1 = bias_correction1
    a.bc2_sqrt = bias_correction2_sqrt
    a.decoupled = decoupled
    a.amsgrad = vm is not None
    a.maximize = maximize
    cdef void *vmp = NULL
    if vm is not None:
        vmp = vm._data
    cdef int64_t n = x._numel
    with nogil:
        fn(x._data, g._data, m._data, v._data, vmp, n, &a)
    _bump(x)
    _bump(m)
    _bump(v)
    if vm is not None:
        _bump(vm)
    return True
