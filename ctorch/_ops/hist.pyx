# cython: language_level=3
"""Histograms: histc, histogram (equal-width or given bin edges, weights,
density) and bincount. Not differentiable. Kernels in
ctorch/_kernels/hist.h count into double or int64 buffers; the result takes
PyTorch's dtype at the end. On a device the counts, the edges and the
results live on the input's device; only the range (min and max) that the
ops decide on comes back to the host."""

from libc.stdint cimport int64_t

from ctorch._core.dtype cimport *
from ctorch._core.backend cimport *
from ctorch._core.tensor cimport *
from ctorch._core.iterator cimport *
from ctorch._ops.elementwise cimport _cast
from ctorch._ops.creation import tensor, zeros
from ctorch import return_types as _rt
import math as _math


cdef str _num_str(double v):
    """A bound as PyTorch's messages print it (1, 2.5, inf, nan)."""
    return f"{v:g}"


cdef Tensor _linear_edges(double lo, double hi, int64_t bins, DType dt, int device=-1):
    """bins + 1 equally spaced edges from lo to hi (both exact) in dt, made
    on the host and moved to `device` (-1: the CPU)."""
    cdef Tensor e = _empty_list([bins + 1], t_float64)
    cdef double *p = <double *>e._data
    cdef double step = (hi - lo) / bins
    cdef int64_t k
    for k in range(bins + 1):
        p[k] = lo + k * step
    p[bins] = hi
    if dt is not t_float64:
        e = _cast(e, dt)
    return _to_device(e, device) if device >= 0 else e


cdef Tensor _hist_counts(Tensor x, Tensor w, Tensor edges, bint linear):
    """Float64 counts (or weight sums) of the flattened x over edges; x, w
    and edges share the float32/float64 dtype of x."""
    cdef int64_t nb = edges._numel - 1
    cdef Tensor xc = _contig(x, x._dtype)
    cdef Tensor wc = _contig(w, x._dtype) if w is not None else None
    cdef Tensor ec = _contig(edges, x._dtype)
    cdef Tensor h = _empty_list([nb], t_float64, xc._storage.device)
    _fill(h, 0)
    cdef int64_t n = xc._numel
    cdef int err
    cdef ct_histogram_fn hist = xc._storage.backend.histogram[xc._dtype._code]
    with nogil:
        err = hist(xc._data, wc._data if wc is not None else NULL, n, ec._data, nb, linear,
                   <double *>h._data)
    _check_device(h)
    if err:
        raise MemoryError("histogram: out of memory")
    return h


cdef tuple _data_range(Tensor t):
    """(min, max) of a float32/float64 tensor, both nan if it holds a nan."""
    if t._numel == 0:
        return 0.0, 0.0
    cdef Tensor c = _contig(t, t._dtype)
    cdef double mn, mx
    cdef int64_t n = c._numel
    cdef ct_minmax_range_fn minmax = c._storage.backend.minmax_range[c._dtype._code]
    with nogil:
        minmax(c._data, n, &mn, &mx)
    _check_device(c)
    return mn, mx


cdef int _check_hist_out(Tensor t, object o, str name) except -1:
    if o is not None and (<Tensor?>o)._dtype is not t._dtype:
        raise RuntimeError(f"torch.histogram: input tensor and {name} tensor should have the same dtype, but got "
                           f"input {_C_TYPE_NAMES[t._dtype._code]} and {name} "
                           f"{_C_TYPE_NAMES[(<Tensor>o)._dtype._code]}")
    return 0


def histc(input, bins=100, min=0, max=0, *, out=None):
    cdef Tensor t = _tensor_arg(input, "histc")
    if not isinstance(bins, int) or isinstance(bins, bool):
        raise TypeError(f"histc(): argument 'bins' (position 2) must be int, not {type(bins).__name__}")
    if t._dtype is t_bool:
        raise NotImplementedError("\"linspace_cpu\" not implemented for 'Bool'")
    if t._dtype._kind != K_FLOAT:
        raise NotImplementedError(f"\"histogram_cpu\" not implemented for '{_sname(t._dtype)}'")
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    _check_hist_out(t, out, "hist")
    cdef double lo = float(min), hi = float(max)
    if lo > hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    cdef DType comp = t_float64 if t._dtype is t_float64 else t_float32
    cdef Tensor x = _cast(t.detach(), comp)
    if lo == hi and t._numel > 0:
        lo, hi = _data_range(x)
    if lo == hi:
        lo -= 1.0
        hi += 1.0
    if not (_math.isfinite(lo) and _math.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{_num_str(lo)}, {_num_str(hi)}] is not finite")
    cdef Tensor h = _hist_counts(x, None, _linear_edges(lo, hi, bins, comp, t._storage.device), True)
    return _to_out(out, _cast(h, t._dtype), "histc", OUT_SAME,
                   "torch.histogram: input tensor and hist tensor should have the same dtype, but got "
                   "input {res_l} and hist {out_l}")


def histogram(input, bins=100, *, range=None, weight=None, density=False, out=None):
    cdef Tensor t = _tensor_arg(input, "histogram")
    cdef bint given_edges = isinstance(bins, Tensor)
    if (not given_edges and (not isinstance(bins, int) or isinstance(bins, bool))) or \
            (given_edges and range is not None) or \
            (range is not None and not isinstance(range, (tuple, list))):
        got = ", ".join([type(input).__name__] + [type(bins).__name__] +
                        (["range=tuple"] if range is not None else []))
        raise TypeError(f"histogram() received an invalid combination of arguments - got ({got}), but expected "
                        f"one of:\n * (Tensor input, Tensor bins, *, Tensor weight = None, bool density = False, "
                        f"tuple of Tensors out = None)\n * (Tensor input, int bins = 100, *, tuple of floats "
                        f"range = None, Tensor weight = None, bool density = False, tuple of Tensors out = None)")
    if t._dtype is not t_float32 and t._dtype is not t_float64:
        raise NotImplementedError(f"\"histogramdd\" not implemented for '{_sname(t._dtype)}'")
    cdef Tensor w = None
    if weight is not None:
        w = <Tensor?>weight
        _same_device(t, w)
        if w._dtype is not t._dtype:
            raise RuntimeError(f"torch.histogramdd: if weight tensor is provided, input tensor and weight tensor "
                               f"should have the same dtype, but got input({_C_TYPE_NAMES[t._dtype._code]}), "
                               f"and weight({_C_TYPE_NAMES[w._dtype._code]})")
        if w._numel != t._numel:
            raise RuntimeError(f"torch.histogramdd: if weight tensor is provided it should have the same shape as "
                               f"the input tensor excluding its innermost dimension, but got input with shape "
                               f"[{t._numel}, 1] and weight with shape {_fmt_shape(w.size())}")
        w = w.detach()
    hist_out = bins_out = None
    if out is not None:
        hist_out, bins_out = out
        _check_hist_out(t, hist_out, "hist")
        _check_hist_out(t, bins_out, "bin_edges")
    cdef Tensor edges
    cdef double lo, hi
    if given_edges:
        edges = <Tensor>bins
        _same_device(t, edges)
        if edges._ndim != 1:
            raise RuntimeError(f"torch.histogramdd: bins tensor should have one dimension, but got {edges._ndim} "
                               f"dimensions in the bins tensor for dimension 0")
        if edges._dtype is not t._dtype:
            raise RuntimeError(f"torch.histogramdd: input tensor and bins tensors should have the same dtype, but "
                               f"got input with dtype {_C_TYPE_NAMES[t._dtype._code]} and bins for dimension 0 "
                               f"with dtype {_C_TYPE_NAMES[edges._dtype._code]}")
        if edges._numel < 2:
            raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {edges._numel - 1} for dimension 0")
        edges = _dense_copy(edges.detach())
    else:
        if bins <= 0:
            raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
        if range is not None:
            if len(range) != 2:
                raise RuntimeError(f"torch.histogramdd: for a 1-dimensional histogram range should have "
                                   f"2 elements, but got {len(range)}")
            lo, hi = float(range[0]), float(range[1])
            if lo > hi:
                raise RuntimeError(f"torch.histogramdd: min should not exceed max, but got min {_num_str(lo)} "
                                   f"max {_num_str(hi)} for dimension 0")
        elif t._numel > 0:
            lo, hi = _data_range(t)
        else:
            lo, hi = 0.0, 1.0
        if not (_math.isfinite(lo) and _math.isfinite(hi)):
            raise RuntimeError(f"torch.histogramdd: dimension 0's range [{_num_str(lo)}, {_num_str(hi)}] "
                               f"is not finite")
        if lo == hi:
            lo -= 0.5
            hi += 0.5
        edges = _linear_edges(lo, hi, bins, t._dtype, t._storage.device)
    cdef Tensor h = _hist_counts(t.detach(), w, edges, not given_edges)
    if density:
        widths = _cast(edges[1:] - edges[:-1], t_float64)
        h = h / (h.sum() * widths)
    h = _cast(h, t._dtype)
    if out is not None:
        return _rt.histogram(_to_out(hist_out, h, "histogram"), _to_out(bins_out, edges, "histogram"))
    return _rt.histogram(h, edges)


def bincount(input, weights=None, minlength=0):
    cdef Tensor t = _tensor_arg(input, "bincount")
    if not isinstance(minlength, int) or isinstance(minlength, bool):
        raise TypeError(f"bincount(): argument 'minlength' must be int, not {type(minlength).__name__}")
    if t._dtype._kind != K_INT:
        raise NotImplementedError(f"\"bincount_cpu\" not implemented for '{_sname(t._dtype)}'")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if t._ndim != 1:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    cdef Tensor w = None
    if weights is not None:
        w = <Tensor?>weights
        _same_device(t, w)
        if w._ndim != 1 or w._numel != t._numel:
            raise RuntimeError("weights should be 1-d and have the same length as input")
    if t._numel == 0:
        return zeros(minlength, dtype=t_int64, device=t.device)
    cdef Tensor x = _contig(t.detach(), t_int64)
    cdef int64_t n = x._numel, mn, mx
    with nogil:
        x._storage.backend.minmax_i64(<int64_t *>x._data, n, &mn, &mx)
    _check_device(x)
    if mn < 0:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    cdef int64_t nbins = mx + 1 if mx + 1 > minlength else minlength
    if nbins > (1 << 59):
        raise RuntimeError(f"Storage size calculation overflowed with sizes=[{nbins}]")
    cdef DType res = (t_float32 if w._dtype is t_float32 else t_float64) if w is not None else t_int64
    cdef Tensor wd = _contig(w.detach(), t_float64) if w is not None else None
    cdef Tensor r = _empty_list([nbins], t_int64 if w is None else t_float64, x._storage.device)
    _fill(r, 0)
    cdef int err
    with nogil:
        err = x._storage.backend.bincount(<int64_t *>x._data, <double *>wd._data if wd is not None else NULL,
                                          n, nbins, <int64_t *>r._data, <double *>r._data)
    _check_device(r)
    if err:
        raise MemoryError("bincount: out of memory")
    return _cast(r, res)


_add_method("histc", histc)
_add_method("histogram", histogram)
_add_method("bincount", bincount)


# the histogramdd member of the backend table (backend.h), under its C name
cdef extern from "backend.h" nogil:
    ctypedef int (*_histdd_fn "ct_histogramdd_fn")(
        int dtype, const void *x, int64_t n, int64_t D, int64_t sp, int64_t sd, const void *w,
        int64_t sw, const void *const *e, const int64_t *nb, const unsigned char *linear,
        double *hist) noexcept nogil
    ctypedef struct _histdd_table "ct_backend":
        _histdd_fn histogramdd


def _histdd_counts(Tensor pts, object weight, list edges, list linear):
    """The float64 counts (or weight sums) of the histogramdd of the (N, D)
    points over the edges (one 1-d tensor per dim, of the points' dtype;
    linear[k]: equally spaced), flat in row-major bin order, in one pass of
    the backend's kernel. None where the device or the dtype has none."""
    cdef const _histdd_table *B = <const _histdd_table *>pts._storage.backend
    cdef int code = pts._dtype._code
    if B.histogramdd == NULL or not (code == CT_FLOAT32 or code == CT_FLOAT64) or pts._ndim != 2:
        return None
    cdef int64_t D = pts._shape[1], n = pts._shape[0], total = 1, k
    if D > 64:
        return None
    cdef Tensor w = None
    if weight is not None:
        w = <Tensor?>weight
        if w._dtype is not pts._dtype or w._ndim != 1 or w._storage.backend != pts._storage.backend:
            return None
    cdef list ecs = []
    cdef Tensor ec
    cdef const void *ep[64]
    cdef int64_t nb[64]
    cdef unsigned char lin[64]
    for k in range(D):
        ec = _contig(<Tensor?>edges[k], pts._dtype)
        if ec._storage.backend != pts._storage.backend:
            return None
        ecs.append(ec)
        ep[k] = ec._data
        nb[k] = ec._numel - 1
        lin[k] = 1 if linear[k] else 0
        total *= nb[k]
    cdef Tensor h = _empty_list([total], t_float64, pts._storage.device)
    _fill(h, 0)
    if total == 0 or n == 0:
        return h
    cdef const char *xp = pts._data
    cdef int64_t sp = pts._stride[0], sd = pts._stride[1]
    cdef const char *wp = w._data if w is not None else NULL
    cdef int64_t sw = w._stride[0] if w is not None else 0
    cdef int err
    with nogil:
        err = B.histogramdd(code, xp, n, D, sp, sd, wp, sw, ep, nb, lin, <double *>h._data)
    if err == -1:
        raise MemoryError("histogramdd: out of memory")
    return h if err == 0 else None
