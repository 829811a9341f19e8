# cython: language_level=3
"""The cores of ctorch.nn.functional's pooling: max, average and adaptive
(average, max) pooling over the last 1-3 dims of a tensor whose leading
dims are planes, their backward kernels, and max_unpool's scatter. The
argument handling PyTorch does (kernel / stride / padding forms, output
sizes, error messages) lives in ctorch/nn/_pool.py; the gradients are the
derivatives table's entries (max_pool2d_with_indices, avg_pool2d,
adaptive_avg_pool2d, ... and their backward ops for higher orders), which
call the backward functions here. float16 computes in float32 (max is
exact; sums round once). A device without pooling kernels (a NULL entry)
pools on a host copy, and the results go back to the device."""

from libc.stdint cimport int64_t
from libc.string cimport memset

from ctorch._core.dtype cimport *
from ctorch._core.backend cimport *
from ctorch._core.tensor cimport *
from ctorch._core.iterator cimport _to_device, _check_device, _same_device
from ctorch.autograd._node cimport record, _grad_mode


cdef extern from "pool.h" nogil:
    ctypedef struct ct_pool_args:
        int64_t planes
        int64_t id, ih, iw
        int64_t od, oh, ow
        int64_t kd, kh, kw
        int64_t sd, sh, sw
        int64_t pd, ph, pw
        int64_t dd, dh, dw
        int count_include_pad
        int64_t divisor
    ctypedef void (*ct_pool_fn)(const ct_pool_args *a, const void *x, void *y, int64_t *idx)
    ctypedef void (*ct_pool_bwd_fn)(const ct_pool_args *a, const void *g, void *dx)
    ctypedef int64_t (*ct_pool_scatter_fn)(int64_t planes, int64_t in_n, int64_t out_n,
                                           const void *x, const int64_t *idx, void *y,
                                           int accumulate)

# the pooling members of the backend table (backend.h), under the table's C name
cdef extern from "backend.h" nogil:
    ctypedef struct ct_pool_table "ct_backend":
        const ct_pool_fn *max_pool
        const ct_pool_fn *avg_pool
        const ct_pool_fn *adaptive_max_pool
        const ct_pool_fn *adaptive_avg_pool
        const ct_pool_bwd_fn *avg_pool_bwd
        const ct_pool_bwd_fn *adaptive_avg_pool_bwd
        const ct_pool_scatter_fn *pool_scatter


cdef enum:
    K_MAX = 0
    K_AVG = 1
    K_AMAX = 2
    K_AAVG = 3
    K_AVG_BWD = 4
    K_AAVG_BWD = 5
    K_SCATTER = 6


cdef const void *_entry(Tensor t, int kind, int code):
    """The kernel of `kind` for dtype `code` on t's device, or NULL."""
    cdef const ct_pool_table *B = <const ct_pool_table *>t._storage.backend
    cdef const void *const *tab
    if kind == K_MAX:
        tab = <const void *const *>B.max_pool
    elif kind == K_AVG:
        tab = <const void *const *>B.avg_pool
    elif kind == K_AMAX:
        tab = <const void *const *>B.adaptive_max_pool
    elif kind == K_AAVG:
        tab = <const void *const *>B.adaptive_avg_pool
    elif kind == K_AVG_BWD:
        tab = <const void *const *>B.avg_pool_bwd
    elif kind == K_AAVG_BWD:
        tab = <const void *const *>B.adaptive_avg_pool_bwd
    else:
        tab = <const void *const *>B.pool_scatter
    if tab == NULL:
        return NULL
    return tab[code]


cdef DType _compute_dtype(DType dt):
    """float16 and bfloat16 pool in float32."""
    if dt._code == CT_FLOAT16 or dt._code == CT_BFLOAT16:
        return t_float32
    return dt


cdef Tensor _dense_in(Tensor t, DType comp, int device):
    """t as a dense tensor of dtype comp on `device` (-1: the host), without
    history (t itself when it already is one)."""
    if t._dtype is comp and t._storage.device == device and _is_contiguous(t):
        return t
    return _to_device(t, device, comp)


cdef int _fill_args(ct_pool_args *a, Tensor x, int nd, tuple out, tuple k, tuple s, tuple p,
                    tuple d) except -1:
    """The geometry of pooling x's last nd dims into `out`; k, s, p, d:
    nd-tuples (None for adaptive pooling); lower dims are unit dims."""
    memset(a, 0, sizeof(ct_pool_args))
    cdef int64_t ins[3]
    cdef int64_t outs[3]
    cdef int64_t ks[3]
    cdef int64_t ss[3]
    cdef int64_t ps[3]
    cdef int64_t ds[3]
    cdef int i, j
    cdef int64_t planes = 1
    for i in range(x._ndim - nd):
        planes *= x._shape[i]
    for i in range(3):
        j = i - (3 - nd)
        if j < 0:
            ins[i] = 1; outs[i] = 1; ks[i] = 1; ss[i] = 1; ps[i] = 0; ds[i] = 1
        else:
            ins[i] = x._shape[x._ndim - nd + j]
            outs[i] = out[j]
            ks[i] = k[j] if k is not None else 1
            ss[i] = s[j] if s is not None else 1
            ps[i] = p[j] if p is not None else 0
            ds[i] = d[j] if d is not None else 1
    a.planes = planes
    a.id, a.ih, a.iw = ins[0], ins[1], ins[2]
    a.od, a.oh, a.ow = outs[0], outs[1], outs[2]
    a.kd, a.kh, a.kw = ks[0], ks[1], ks[2]
    a.sd, a.sh, a.sw = ss[0], ss[1], ss[2]
    a.pd, a.ph, a.pw = ps[0], ps[1], ps[2]
    a.dd, a.dh, a.dw = ds[0], ds[1], ds[2]
    return 0


cdef list _out_shape(Tensor x, int nd, tuple out):
    return [x._shape[i] for i in range(x._ndim - nd)] + list(out)


cdef tuple _forward(int kind, Tensor x, int nd, tuple out, tuple k, tuple s, tuple p, tuple d,
                    int cip, int64_t divisor, bint want_idx):
    """(result, indices or None) of one forward kernel, in x's dtype and on
    its device; the caller has checked the dtype."""
    cdef DType comp = _compute_dtype(x._dtype)
    cdef int dev = x._storage.device
    cdef int run = dev
    cdef const void *fn = _entry(x, kind, comp._code)
    if fn == NULL:
        run = -1                    # no kernel on the device: pool on a host copy
    cdef Tensor cx = _dense_in(x, comp, run)
    if run != dev:
        fn = _entry(cx, kind, comp._code)
    cdef ct_pool_args a
    _fill_args(&a, cx, nd, out, k, s, p, d)
    a.count_include_pad = cip
    a.divisor = divisor
    cdef list shape = _out_shape(x, nd, out)
    cdef Tensor y = _empty_list(shape, comp, run)
    cdef Tensor idx = _empty_list(shape, t_int64, run) if want_idx else None
    cdef int64_t *ip = <int64_t *>idx._data if idx is not None else NULL
    if y._numel > 0 and cx._numel > 0:
        with nogil:
            (<ct_pool_fn>fn)(&a, cx._data, y._data, ip)
        _check_device(y)
    if comp is not x._dtype or run != dev:
        y = _to_device(y, dev, x._dtype)
        if idx is not None and run != dev:
            idx = _to_device(idx, dev, t_int64)
    return y, idx


cdef Tensor _backward(int kind, Tensor g, list in_shape, int nd, tuple out,
                      tuple k, tuple s, tuple p, int cip, int64_t divisor):
    """d input of average / adaptive average pooling from the gradient g of
    its output (shape in_shape, g's dtype and device)."""
    cdef DType comp = _compute_dtype(g._dtype)
    cdef int dev = g._storage.device
    cdef int run = dev
    cdef const void *fn = _entry(g, kind, comp._code)
    if fn == NULL:
        run = -1
    cdef Tensor cg = _dense_in(g, comp, run)
    if run != dev:
        fn = _entry(cg, kind, comp._code)
    cdef Tensor dx = _empty_list(in_shape, comp, run)
    cdef ct_pool_args a
    _fill_args(&a, dx, nd, out, k, s, p, None)
    a.count_include_pad = cip
    a.divisor = divisor
    if dx._numel > 0:
        if cg._numel > 0:
            with nogil:
                (<ct_pool_bwd_fn>fn)(&a, cg._data, dx._data)
            _check_device(dx)
        else:
            dx.zero_()
    if comp is not g._dtype or run != dev:
        dx = _to_device(dx, dev, g._dtype)
    return dx


cdef Tensor _scatter(Tensor v, Tensor idx, list out_shape, int nd, bint accumulate, str op):
    """out (out_shape) zero, then out[plane][idx] (+)= v[plane] over the last
    nd dims; v and idx of the same shape. An index outside a plane raises
    PyTorch's error of max_unpool."""
    cdef DType comp = _compute_dtype(v._dtype)
    cdef int dev = v._storage.device
    cdef int run = dev
    cdef const void *fn = _entry(v, K_SCATTER, comp._code)
    if fn == NULL:
        run = -1
    cdef Tensor cv = _dense_in(v, comp, run)
    cdef Tensor ci = _dense_in(idx, t_int64, run)
    if run != dev:
        fn = _entry(cv, K_SCATTER, comp._code)
    if fn == NULL:
        raise NotImplementedError(f"\"{op}\" not implemented for '{_sname(v._dtype)}'")
    cdef Tensor y = _empty_list(out_shape, comp, run)
    cdef int64_t planes = 1, in_n = 1, out_n = 1, bad = -1
    cdef int i
    for i in range(len(out_shape) - nd):
        planes *= out_shape[i]
    for i in range(nd):
        in_n *= cv._shape[cv._ndim - nd + i]
        out_n *= out_shape[len(out_shape) - nd + i]
    if y._numel > 0:
        if cv._numel > 0:
            with nogil:
                bad = (<ct_pool_scatter_fn>fn)(planes, in_n, out_n, cv._data,
                                               <const int64_t *>ci._data, y._data, accumulate)
            _check_device(y)
        else:
            y.zero_()
    elif cv._numel > 0 and in_n > 0:
        bad = 0
    if bad >= 0:
        sizes = "x".join(str(n) for n in out_shape[len(out_shape) - nd:])
        val = ci.reshape(-1)[bad].item() if ci._numel > bad else 0
        raise RuntimeError(f"Found an invalid max index: {val} (output volumes are of size {sizes})")
    if comp is not v._dtype or run != dev:
        y = _to_device(y, dev, v._dtype)
    return y


# --------------------------------------------------------------- forwards
# Each runs without history and records its derivatives entry; nd is 2 or 3
# (1-d pooling is 2-d pooling of an unsqueezed input, as PyTorch does it).

def _max_pool(input, int nd, tuple out, tuple k, tuple s, tuple p, tuple d, bint indices=True):
    """(values, indices) of max pooling, values recorded under
    max_pool{nd}d_with_indices. Without `indices` the indices are computed
    only when the gradient needs them (else None)."""
    cdef Tensor x = <Tensor?>input
    cdef bint want = indices or (_grad_mode() and (x._requires_grad or x._grad_fn is not None))
    y, idx = _forward(K_MAX, x, nd, out, k, s, p, d, 0, 0, want)
    if idx is None:
        return y, None
    record("max_pool2d_with_indices" if nd == 2 else "max_pool3d_with_indices", y, (x,),
           (k, s, p, d, idx))
    return y, idx


def _avg_pool(input, int nd, tuple out, tuple k, tuple s, tuple p, bint ceil_mode,
              bint count_include_pad, divisor_override):
    cdef Tensor x = <Tensor?>input
    cdef int64_t div = divisor_override if divisor_override is not None else 0
    y, _ = _forward(K_AVG, x, nd, out, k, s, p, None, count_include_pad, div, False)
    return record("avg_pool2d" if nd == 2 else "avg_pool3d", y, (x,),
                  (k, s, p, ceil_mode, count_include_pad, divisor_override))


def _adaptive_avg_pool(input, int nd, tuple out):
    cdef Tensor x = <Tensor?>input
    y, _ = _forward(K_AAVG, x, nd, out, None, None, None, None, 0, 0, False)
    return record("adaptive_avg_pool2d" if nd == 2 else "adaptive_avg_pool3d", y, (x,), (out,))


def _adaptive_max_pool(input, int nd, tuple out):
    cdef Tensor x = <Tensor?>input
    y, idx = _forward(K_AMAX, x, nd, out, None, None, None, None, 0, 0, True)
    record("adaptive_max_pool2d" if nd == 2 else "adaptive_max_pool3d", y, (x,), (idx,))
    return y, idx


def _max_unpool(input, indices, int nd, tuple out):
    """zeros of the leading dims + out, with input's values at their indices
    (flat within each plane of the last nd dims)."""
    cdef Tensor x = <Tensor?>input, i = <Tensor?>indices
    _same_device(x, i)
    cdef list shape = _out_shape(x, nd, out)
    y = _scatter(x, i, shape, nd, False, "max_unpooling2d_forward_out" if nd == 2 else
                 "max_unpooling3d_forward_out")
    return record("max_unpool2d" if nd == 2 else "max_unpool3d", y, (x,), (i,))


# -------------------------------------------------------------- backwards

def _gather_back(grad, indices, int nd):
    """grad (an input-shaped tensor) read at indices (the output's shape):
    the derivative of the index scatter with respect to what it scatters."""
    cdef Tensor i = <Tensor>indices
    lead = list(i.shape[:i.dim() - nd])
    g2 = grad.reshape(lead + [-1]).flatten(0, len(lead) - 1) if lead else grad.reshape(1, -1)
    i2 = i.reshape(lead + [-1]).flatten(0, len(lead) - 1) if lead else i.reshape(1, -1)
    return g2.gather(1, i2).reshape(i.shape)


def _max_pool_backward(grad, self_sizes, indices, int nd, str op):
    """d input of max pooling: each output's gradient added at its index.
    Under create_graph the result records `op` (its gradient reads grad
    back at the indices)."""
    cdef Tensor g = <Tensor>grad
    r = _scatter(g, <Tensor>indices, list(self_sizes), nd, True, "max_pool_backward")
    if _grad_mode():
        record(op, r, (g,), (indices, nd))
    return r


def _avg_pool_backward(grad, self_sizes, tuple k, tuple s, tuple p, bint ceil_mode,
                       bint count_include_pad, divisor_override, int nd):
    cdef Tensor g = <Tensor>grad
    cdef int64_t div = divisor_override if divisor_override is not None else 0
    out = tuple(g.shape[g.dim() - nd:])
    r = _backward(K_AVG_BWD, g, list(self_sizes), nd, out, k, s, p, count_include_pad, div)
    if _grad_mode():
        record("avg_pool2d_backward" if nd == 2 else "avg_pool3d_backward", r, (g,),
               (out, k, s, p, ceil_mode, count_include_pad, divisor_override))
    return r


def _adaptive_avg_pool_backward(grad, self_sizes, int nd):
    cdef Tensor g = <Tensor>grad
    out = tuple(g.shape[g.dim() - nd:])
    r = _backward(K_AAVG_BWD, g, list(self_sizes), nd, out, None, None, None, 0, 0)
    if _grad_mode():
        record("adaptive_avg_pool2d_backward" if nd == 2 else "adaptive_avg_pool3d_backward",
               r, (g,), (out,))
    return r
