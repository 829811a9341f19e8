# cython: language_level=3
"""Sorting and searching: sort/argsort/msort, topk, kthvalue, searchsorted and
bucketize; the order statistics that sorting gives (nanmedian, quantile,
nanquantile, mode). The kernels (ctorch/_kernels/sort.h) see the scan layout of the
iterator: the sorted dim moved last, rows dense. Orders are total: NaN goes
after +inf, -0.0 equals 0.0, and ties keep input order (every sort here is
stable). Results, indices and scratch live on the input's device; a device
backend's failure is raised after its launch (_check_device)."""

from libc.stdint cimport int64_t

from ctorch._core.dtype cimport *
from ctorch._core.backend cimport *
from ctorch._core.tensor cimport *
from ctorch._core.iterator cimport *
from ctorch._ops.elementwise cimport _cast, _FUNCTIONS
from ctorch._ops.elementwise import where
from ctorch._ops.views cimport _reshape, _unsqueeze
from ctorch.autograd._node cimport record, _grad_mode
from ctorch._ops.creation import tensor, zeros
from ctorch import return_types as _rt


# the order-statistics members of the backend table (backend.h), under their C names
cdef extern from "backend.h" nogil:
    ctypedef int (*ct_ostat_fn)(const void *x, int64_t outer, int64_t len, int64_t inner, int op,
                                int64_t k, void *val, int64_t *idx, void *scratch) noexcept nogil
    ctypedef struct ct_ostat_table "ct_backend":
        const ct_ostat_fn *ostat
        int64_t (*ostat_scratch_bytes)(int64_t outer, int64_t len, int64_t inner, int64_t k,
                                       int itemsize) noexcept nogil
    enum:
        CT_OS_MODE
        CT_OS_NANMEDIAN
        CT_OS_KTH
        CT_OS_TOPK_LARGEST
        CT_OS_TOPK_SMALLEST

# below this many bytes the kernel allocates its own scratch (cheaper than a tensor)
cdef enum:
    _OS_SCRATCH_MIN = 65536


cdef tuple _ostat(Tensor t, int d, int op, int64_t k, bint keep=False):
    """(values, indices) of the order statistic op along dim d of t (topk: the
    k best, that dim k long; others: that dim reduced, or kept as size 1 when
    keep), contiguous, with no transposed copy; None where t's backend has no
    such kernel. No recording."""
    cdef const ct_ostat_table *OB = <const ct_ostat_table *>t._storage.backend
    if OB.ostat == NULL or OB.ostat[t._dtype._code] == NULL:
        return None
    cdef ct_ostat_fn fn = OB.ostat[t._dtype._code]
    cdef Tensor c = t if _is_contiguous(t) else _dense_copy(t)
    cdef int64_t outer = 1, inner = 1, L = 1
    cdef int j, nd = t._ndim
    cdef list shape = []
    for j in range(nd):
        if j < d:
            outer *= t._shape[j]
        elif j > d:
            inner *= t._shape[j]
        else:
            L = t._shape[j]
            if op == CT_OS_TOPK_LARGEST or op == CT_OS_TOPK_SMALLEST:
                shape.append(k)
            elif keep:
                shape.append(1)
            continue
        shape.append(t._shape[j])
    cdef int dev = t._storage.device
    cdef Tensor v = _empty_list(shape, t._dtype, dev), i = _empty_list(shape, t_int64, dev)
    cdef int64_t nbytes = OB.ostat_scratch_bytes(outer, L, inner, k, t._dtype.itemsize)
    cdef Tensor scratch = None
    cdef void *sp = NULL
    if nbytes >= _OS_SCRATCH_MIN:
        # large blocks from the tensor allocator, which reuses them
        scratch = _empty_list([nbytes], t_uint8, dev)
        sp = scratch._data
    cdef int rc
    with nogil:
        rc = fn(c._data, outer, L, inner, op, k, v._data, <int64_t *>i._data, sp)
    _sort_rc(rc)
    return v, i


cdef int _sort_rc(int rc) except -1:
    if rc == 1:
        raise MemoryError()
    if rc == 2:
        raise RuntimeError("sorting a row of 2^32 or more elements is not supported for this dtype")
    return 0


cdef str _devname(Tensor t):
    """The device in PyTorch's messages: "CPU" or "CUDA"."""
    return "CPU" if t._storage.device < 0 else "CUDA"


cdef str _kname(Tensor t):
    """The device in kernel names: "cpu" or "cuda"."""
    return "cpu" if t._storage.device < 0 else "cuda"


cdef int _no_complex_sort(Tensor t) except -1:
    if t._dtype.is_complex:
        if t._storage.device < 0:
            raise RuntimeError("Sort does not support complex dtypes on CPU")
        raise RuntimeError("Sort currently does not support complex dtypes on CUDA.")
    return 0


cdef int _sort_dim_arg(object dim, str name) except? -1:
    if isinstance(dim, bool) or not isinstance(dim, int):
        raise TypeError(f"{name}(): argument 'dim' must be int, not {type(dim).__name__}")
    return 0


cdef Py_ssize_t _k_arg(object k, str name) except? -1:
    if isinstance(k, bool) or not isinstance(k, int):
        if isinstance(k, Tensor) and (<Tensor>k)._ndim == 0 and not (<Tensor>k)._dtype.is_floating_point:
            return int(k)
        raise TypeError(f"{name}(): argument 'k' (position 2) must be int, not {type(k).__name__}")
    if not -2**63 <= k < 2**63:
        raise ValueError("Overflow when unpacking long long")
    return k


cdef tuple _check_out_pair(object out, Tensor t, str name):
    """(values, indices) out= tensors, checked like PyTorch (dtypes, autograd)."""
    _out_pair(out, name)
    cdef Tensor v = <Tensor>out[0], i = <Tensor>out[1]
    _no_autograd_out(name, i, (t, v))
    if v._dtype is not t._dtype:
        raise RuntimeError(f"Expected out tensor to have dtype {_CXX_NAMES[t._dtype._code]}, "
                           f"but got {_CXX_NAMES[v._dtype._code]} instead")
    if i._dtype is not t_int64:
        raise RuntimeError(f"Expected out tensor to have dtype long int, but got {_CXX_NAMES[i._dtype._code]} instead")
    return v, i


cdef object _pair_result(str name, object out, Tensor v, Tensor i):
    if out is None:
        return getattr(_rt, name)(v, i)
    ov, oi = out
    for o, r in ((ov, v), (oi, i)):
        if list((<Tensor>o).size()) != list(r.size()):
            _resize(<Tensor>o, list(r.size()))
        _copy_into(<Tensor>o, r, False)
        _bump(<Tensor>o)
    return getattr(_rt, name)(ov, oi)


cdef tuple _sort_core(Tensor t, int d, bint descending):
    """(values, indices) of t sorted along d (no recording)."""
    if t._ndim == 0:
        return _alias(t).clone(), zeros((), dtype=t_int64, device=t.device)
    cdef ct_sort_fn fn = t._storage.backend.sort[t._dtype._code]
    if fn == NULL:
        _no_complex_sort(t)
        raise RuntimeError(f"Sort is not available for this dtype on {_devname(t)}")
    p, rows, L, ld, perm = _scan_layout(_alias(t), d)
    cdef Tensor pp = <Tensor>p
    cdef list shape = list(pp.size())
    cdef int dev = t._storage.device
    cdef Tensor v = _empty_list(shape, t._dtype, dev), i = _empty_list(shape, t_int64, dev)
    cdef int64_t r_ = rows, l_ = L, ld_ = ld
    cdef int rc = 0
    cdef Tensor scratch
    if r_ > 0 and l_ > 0:
        # scratch from the tensor allocator, which reuses large blocks
        scratch = _scratch(t, r_, l_, 0)
        with nogil:
            rc = fn(pp._data, r_, l_, ld_, descending, v._data, <int64_t *>i._data, scratch._data)
        _check_device(t)
        _sort_rc(rc)
    return _scan_back(v, perm), _scan_back(i, perm)


cdef object _sort_impl(object input, object dim, object descending, object out, str name):
    cdef Tensor t = _tensor_arg(input, name)
    _sort_dim_arg(dim, name)
    cdef int d = _wrap_dim(dim, t._ndim)
    _no_complex_sort(t)
    if out is not None:
        out = _check_out_pair(out, t, name)
    v, i = _sort_core(t, d, bool(descending))
    if _grad_mode() and _needs_grad(t):
        record("sort", v, (t,), (d, i))
    return v, i, out


def sort(input, dim=-1, descending=False, stable=False, *, out=None, axis=None):
    if axis is not None:
        dim = axis
    # every sort here is stable, so `stable` only has to be a valid flag
    if stable is not None and not isinstance(stable, bool):
        raise TypeError(f"sort(): argument 'stable' must be bool, not {type(stable).__name__}")
    v, i, out = _sort_impl(input, dim, descending, out, "sort")
    return _pair_result("sort", out, v, i)


def argsort(input, dim=-1, descending=False, stable=False, *, axis=None):
    if axis is not None:
        dim = axis
    if not isinstance(stable, bool):
        raise TypeError(f"argsort(): argument 'stable' must be bool, not {type(stable).__name__}")
    cdef Tensor t = _tensor_arg(input, "argsort")
    _sort_dim_arg(dim, "argsort")
    cdef int d = _wrap_dim(dim, t._ndim)
    _no_complex_sort(t)
    return _sort_core(t, d, bool(descending))[1]


def msort(input, *, out=None):
    cdef Tensor t = _tensor_arg(input, "msort")
    if out is not None:
        _no_autograd_out("msort", out, (t,))
    v, _, _ = _sort_impl(t, 0, False, None, "msort")
    return _to_out(out, v, "sort", OUT_SAME)


cdef Tensor _scratch(Tensor t, int64_t rows, int64_t length, int64_t extra):
    """Working memory of sort/topk/kthvalue from the tensor allocator, which
    reuses large blocks (fresh memory would fault its pages in every call)."""
    return _empty_list([t._storage.backend.sort_scratch_bytes(rows, length, extra, t._dtype.itemsize)],
                       t_uint8, t._storage.device)


def topk(input, k, dim=-1, largest=True, sorted=True, *, out=None, axis=None):
    if axis is not None:
        dim = axis
    cdef Tensor t = _tensor_arg(input, "topk")
    cdef Py_ssize_t kk = _k_arg(k, "topk")
    _sort_dim_arg(dim, "topk")
    cdef int d = _wrap_dim(dim, t._ndim)
    if t._dtype.is_complex:
        raise RuntimeError(f"topk does not support complex dtypes on {_devname(t)}")
    if t._dtype._code == CT_BOOL:
        raise RuntimeError(f"topk does not support bool dtypes on {_devname(t)}")
    cdef Py_ssize_t size = t._shape[d] if t._ndim else 1
    if kk < 0 or kk > size:
        raise RuntimeError("selected index k out of range")
    if out is not None:
        out = _check_out_pair(out, t, "topk")
    cdef Tensor v, i, pp, scratch
    cdef list shape
    cdef int64_t r_, l_, ld_, k_ = kk
    cdef int rc = 0, lg = bool(largest)
    cdef ct_topk_fn fn = t._storage.backend.topk[t._dtype._code]
    cdef int dev = t._storage.device
    cdef tuple r
    if t._ndim == 0:
        # PyTorch returns the 0-d input for k = 0 as well as for k = 1
        v = _alias(t).clone()
        i = zeros((), dtype=t_int64, device=t.device)
    elif (r := _ostat(t, d, CT_OS_TOPK_LARGEST if lg else CT_OS_TOPK_SMALLEST, k_)) is not None:
        v, i = r
    else:
        p, rows, L, ld, perm = _scan_layout(_alias(t), d)
        pp = <Tensor>p
        shape = list(pp.size())
        shape[-1] = kk
        v = _empty_list(shape, t._dtype, dev)
        i = _empty_list(shape, t_int64, dev)
        r_, l_, ld_ = rows, L, ld
        if r_ > 0 and k_ > 0:
            scratch = _scratch(t, r_, l_, k_)
            with nogil:
                rc = fn(pp._data, r_, l_, ld_, k_, lg, v._data, <int64_t *>i._data, scratch._data)
            _check_device(t)
            _sort_rc(rc)
        v = _scan_back(v, perm)
        i = _scan_back(i, perm)
    if _grad_mode() and _needs_grad(t):
        record("topk", v, (t,), (d, i))
    return _pair_result("topk", out, v, i)


def kthvalue(input, k, dim=-1, keepdim=False, *, out=None, axis=None, keepdims=None):
    if axis is not None:
        dim = axis
    if keepdims is not None:
        keepdim = keepdims
    cdef Tensor t = _tensor_arg(input, "kthvalue")
    cdef Py_ssize_t kk = _k_arg(k, "kthvalue")
    _sort_dim_arg(dim, "kthvalue")
    cdef int d = _wrap_dim(dim, t._ndim)
    cdef ct_kth_fn fn = t._storage.backend.kth[t._dtype._code]
    if fn == NULL or t._dtype._code == CT_BOOL:
        raise NotImplementedError(f"\"kthvalue_{_kname(t)}\" not implemented for '{_sname(t._dtype)}'")
    cdef Py_ssize_t size = t._shape[d] if t._ndim else 1
    if size == 0:
        raise IndexError(f"kthvalue(): Expected reduction dim {d} to have non-zero size.")
    if kk < 1 or kk > size:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    if out is not None:
        out = _check_out_pair(out, t, "kthvalue")
    cdef Tensor v, i, pp, scratch
    cdef int64_t r_, l_, ld_, k_ = kk
    cdef int rc = 0, dev = t._storage.device
    cdef tuple r
    if t._ndim == 0:
        v = _alias(t).clone()
        i = zeros((), dtype=t_int64, device=t.device)
    elif (r := _ostat(t, d, CT_OS_KTH, k_, keepdim)) is not None:
        v, i = r
    else:
        p, rows, L, ld, perm = _scan_layout(_alias(t), d)
        pp = <Tensor>p
        shape = list(pp.size())[:-1]
        v = _empty_list(shape, t._dtype, dev)
        i = _empty_list(shape, t_int64, dev)
        r_, l_, ld_ = rows, L, ld
        if r_ > 0:
            scratch = _scratch(t, r_, l_, 0)
            with nogil:
                rc = fn(pp._data, r_, l_, ld_, k_, v._data, <int64_t *>i._data, scratch._data)
            _check_device(t)
            _sort_rc(rc)
        if keepdim:
            v = _unsqueeze(v, d)
            i = _unsqueeze(i, d)
    if _grad_mode() and _needs_grad(t):
        record("kthvalue", v, (t,), (d, bool(keepdim), i))
    return _pair_result("kthvalue", out, v, i)


# ------------------------------------------------------------ searchsorted

cdef str _shape_str(Tensor t):
    return "[" + ", ".join(str(s) for s in t.size()) + "]"


def searchsorted(sorted_sequence, values, *, out_int32=False, right=False, side=None, sorter=None, out=None):
    if not isinstance(sorted_sequence, Tensor) or not (isinstance(values, (Tensor, bool, int, float))):
        raise TypeError(f"searchsorted() received an invalid combination of arguments - got "
                        f"({type(sorted_sequence).__name__}, {type(values).__name__}), but expected one of: "
                        f"(Tensor sorted_sequence, Tensor input, ...), (Tensor sorted_sequence, Number self, ...)")
    cdef Tensor b = <Tensor>sorted_sequence, v, s = None, r
    if isinstance(values, Tensor):
        _same_device(b, <Tensor>values)
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}")
        if side == "left" and right:
            raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, got side "
                               "of left while right was True")
        right = side == "right"
    if b._ndim == 0:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 dimension")
    cdef DType res = _result_type((b, values))
    if isinstance(values, Tensor):
        v = <Tensor>values
        if b._ndim > 1 and (v._ndim != b._ndim or list(v.size())[:-1] != list(b.size())[:-1]):
            raise RuntimeError(f"torch.searchsorted(): boundaries tensor should be 1 dimension or the first "
                               f"N-1 dimensions of boundaries tensor and input value tensor must match, but we "
                               f"got boundaries tensor {_shape_str(b)} and input value tensor {_shape_str(v)}")
    else:
        if b._ndim != 1:
            raise RuntimeError(f"torch.searchsorted(): input value can be a scalar only when boundaries tensor "
                               f"dimension is 1, but we got boundaries tensor dim({b._ndim}) and input value's "
                               f"dim(0) numel(1)")
        v = _scalar_tensor(values, res)
        if b._storage.device >= 0:
            v = _to_device(v, b._storage.device)
    if sorter is not None:
        s = _tensor_arg(sorter, "searchsorted")
        _same_device(b, s)
        if s._dtype is not t_int64:
            raise RuntimeError(f"torch.searchsorted(): sorter must be a tensor of long dtype but got dtype "
                               f"{_sname(s._dtype)}")
        if list(s.size()) != list(b.size()):
            raise RuntimeError(f"torch.searchsorted(): boundary and sorter must have the same size, but got "
                               f"boundary tensor {_shape_str(b)}and got sorter tensor {_shape_str(s)}")
    cdef DType odt = _DT[CT_INT32] if out_int32 else t_int64
    if out is not None:
        if not isinstance(out, Tensor):
            raise TypeError(f"searchsorted(): argument 'out' must be Tensor, not {type(out).__name__}")
        _same_device(b, <Tensor>out)
        if (<Tensor>out)._dtype is not odt:
            raise RuntimeError(f"torch.searchsorted(): output tensor's dtype is wrong, it can only be Int(int32) "
                               f"or Long(int64) depending on whether out_int32 flag is True, but we got output "
                               f"tensor's dtype {_sname((<Tensor>out)._dtype)} and out_int32 flag is "
                               f"{'True' if out_int32 else 'False'}")
    cdef ct_search_fn fn = b._storage.backend.search[res._code]
    if fn == NULL:
        raise NotImplementedError(f"\"searchsorted_out_{_kname(b)}\" not implemented for '{_sname(res)}'")
    cdef Py_ssize_t m = b._shape[b._ndim - 1]
    if out_int32 and m >= 2147483647:
        raise RuntimeError("torch.searchsorted(): the size of boundaries' last dimension should be less "
                           "than 2147483647, but we got " + str(m))
    cdef Tensor bc = _dense_copy(_cast(_alias(b), res)) if not (b._dtype is res and b.is_contiguous()) else b
    cdef Tensor vc = _dense_copy(_cast(_alias(v), res)) if not (v._dtype is res and v.is_contiguous()) else v
    cdef Tensor sc = None
    cdef const int64_t *sp = NULL
    cdef int bad = 0
    if s is not None:
        sc = s if s.is_contiguous() else _dense_copy(s)
        sp = <const int64_t *>sc._data
        with nogil:
            bad = sc._storage.backend.sorter_bad(sp, sc._numel, m)
        _check_device(sc)
        if bad:
            raise RuntimeError("torch.searchsorted(): sorter index out of range")
    r = _empty_list(list(v.size()), odt, b._storage.device)
    cdef int64_t brows = 1 if b._ndim == 1 else b._numel // m if m else 0
    cdef int64_t nv = vc._numel if b._ndim == 1 else (v._shape[v._ndim - 1])
    cdef int64_t rows = 1 if b._ndim == 1 else (vc._numel // nv if nv else 0)
    cdef int64_t m_ = m
    cdef int rt = bool(right), o32 = bool(out_int32)
    if vc._numel > 0:
        with nogil:
            fn(bc._data, brows, m_, sp, vc._data, rows, nv, rt, o32, r._data)
        _check_device(b)
    if out is not None:
        if list((<Tensor>out).size()) != list(r.size()):
            _resize(<Tensor>out, list(r.size()))
        _copy_into(<Tensor>out, r, False)
        _bump(<Tensor>out)
        return out
    return r


def bucketize(input, boundaries, *, out_int32=False, right=False, out=None):
    cdef Tensor b = _tensor_arg(boundaries, "bucketize")
    if b._ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({b._ndim})")
    return searchsorted(b, input, out_int32=out_int32, right=right, out=out)


for _m_name, _m_fn in (("sort", sort), ("argsort", argsort), ("msort", msort), ("topk", topk),
                       ("kthvalue", kthvalue)):
    _add_method(_m_name, _m_fn)


# ------------------------------------------------------------ order statistics by sorting
# nanmedian, quantile / nanquantile and mode are compositions over the sort
# (its kernels run on every device): NaN sorts last, so the non-NaN values
# of a row are its first (count) sorted elements. Where the backend has the
# order-statistics kernel (_ostat), nanmedian and mode take it instead: the
# same (key, index) order, so the same values and indices.



cdef tuple _sorted_last(Tensor t, int d):
    """(values, indices) of t sorted along d, that dim moved last (no history)."""
    v, i = _sort_core(t, d, False)
    return v.movedim(d, -1), i.movedim(d, -1)


cdef object _picked_pair(Tensor t, s, si, pos, int d, keepdim, str name, str entry, out):
    """(values, indices) of the sorted rows s / their source indices si at
    positions pos (last dim), moved back to dim d of t (kept or squeezed),
    recorded under the derivatives entry `entry`."""
    v = s.gather(-1, pos).movedim(-1, d)
    i = si.gather(-1, pos).movedim(-1, d)
    if t._ndim == 0:
        v = _reshape(v, [])
        i = _reshape(i, [])
    elif not keepdim:
        v = v.squeeze(d)
        i = i.squeeze(d)
    v = v.contiguous()
    i = i.contiguous()
    if _grad_mode() and _needs_grad(t):
        record(entry, v, (t,), (d, bool(keepdim), i))
    return _pair_result(name, out, v, i)


cdef object _reduced_pair(Tensor t, tuple r, int d, keepdim, str name, str entry, out):
    """The (values, indices) of _ostat, recorded under the derivatives entry
    `entry` (dim d, keepdim, indices)."""
    cdef Tensor v = <Tensor>r[0], i = <Tensor>r[1]
    if _grad_mode() and _needs_grad(t):
        record(entry, v, (t,), (d, bool(keepdim), i))
    return _pair_result(name, out, v, i)


def nanmedian(input, dim=None, keepdim=False, *, out=None, axis=None, keepdims=None):
    """The lower median of the non-NaN values (NaN when a row has none)."""
    cdef Tensor t = _tensor_arg(input, "nanmedian")
    dim = _dim_alias(dim, axis, "nanmedian")
    if keepdims is not None:
        keepdim = keepdims
    if t._dtype.is_complex or t._dtype._code == CT_BOOL:
        raise NotImplementedError(f"\"median_out\" not implemented for '{_sname(t._dtype)}'")
    from ctorch._ops.reduce import median
    if not t._dtype.is_floating_point:
        # integers hold no NaN: the median itself, under nanmedian's names
        with _no_grad():
            r = median(t, dim, keepdim)
        if dim is None:
            return r
        if out is not None:
            return _pair_result("nanmedian", _check_out_pair(out, t, "nanmedian"), r[0], r[1])
        return _rt.nanmedian(r[0], r[1])
    cdef Tensor flat
    if dim is None:
        if t._numel == 0:
            return tensor(float("nan"), dtype=t.dtype, device=t.device)
        flat = _reshape(t.detach(), [t._numel])
        # the order-statistics kernel over the one row (NaN skipped there)
        whole = _ostat(flat, 0, CT_OS_NANMEDIAN, 0, False)
        if whole is not None:
            v, i = whole
            if _grad_mode() and _needs_grad(t):
                record("nanmedian", v, (t,), (i,))
            return v
        # the median kernel's selection (linear time) over the non-NaN values
        v, i = median(flat, 0)
        if v.item() == v.item():             # no NaN: the median itself
            pass
        elif not bool((keep := _FUNCTIONS["eq"](flat, flat)).any()):
            v, i = flat[0].clone(), zeros((), dtype=t_int64, device=t.device)
        else:
            v, j = median(flat[keep], 0)
            i = keep.nonzero()[j, 0]
        if _grad_mode() and _needs_grad(t):
            record("nanmedian", v, (t,), (i,))
        return v
    cdef int d = _wrap_dim(dim, t._ndim)
    cdef Tensor src = _reshape(t, [1]) if t._ndim == 0 else t
    if src._shape[d] == 0:
        raise IndexError(f"median(): Expected reduction dim {d} to have non-zero size.")
    if out is not None:
        out = _check_out_pair(out, t, "nanmedian")
    cdef tuple osr = _ostat(src, d, CT_OS_NANMEDIAN, 0, keepdim and t._ndim > 0)
    if osr is not None:
        return _reduced_pair(t, osr, d, keepdim, "nanmedian", "nanmedian.dim", out)
    s, si = _sorted_last(src, d)
    k = _FUNCTIONS["eq"](s, s).sum(-1, keepdim=True)
    pos = (k - 1).clamp(min=0) // 2
    return _picked_pair(t, s, si, pos, d, keepdim, "nanmedian", "nanmedian.dim", out)


cdef object _no_grad():
    from ctorch.autograd.grad_mode import no_grad
    return no_grad()


_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


cdef object _quantile(object input, object q, object dim, object keepdim, object interpolation,
                      object out, bint ignore_nan, str name):
    cdef Tensor t = _tensor_arg(input, name)
    if t._dtype._code not in (CT_FLOAT32, CT_FLOAT64):
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    cdef bint q_scalar
    cdef Tensor qt
    if isinstance(q, Tensor):
        qt = <Tensor>q
        if qt._ndim > 1:
            raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
        if qt._dtype is not t._dtype:
            raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
        q_scalar = qt._ndim == 0
        if qt._numel and not bool(((qt >= 0) & (qt <= 1)).all()):
            raise RuntimeError(f"{name}() q values must be in the range [0, 1]")
        qt = _reshape(qt, [qt._numel]).to(t.device)
    elif isinstance(q, (float, int)) and not isinstance(q, bool):
        if not (0 <= q <= 1):
            raise RuntimeError(f"{name}() q must be in the range [0, 1] but got {float(q)}")
        q_scalar = True
        qt = tensor([float(q)], dtype=t.dtype, device=t.device)
    else:
        raise TypeError(f"{name}() received an invalid combination of arguments - got "
                        f"(Tensor, {type(q).__name__}), but expected one of:\n"
                        f" * (Tensor input, Tensor q, int dim = None, bool keepdim = False, *, "
                        f"str interpolation = \"linear\", Tensor out = None)\n"
                        f" * (Tensor input, float q, int dim = None, bool keepdim = False, *, "
                        f"str interpolation = \"linear\", Tensor out = None)")
    if not isinstance(interpolation, str):
        raise TypeError(f"{name}() argument 'interpolation' must be str, not {type(interpolation).__name__}")
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(f"{name}() interpolation must be one of linear, lower, higher, midpoint "
                           f"or nearest, but got {interpolation}")
    if t._numel == 0:
        raise RuntimeError(f"{name}() input tensor must be non-empty")
    cdef int nd = t._ndim, d
    src = t
    if dim is None:
        src = t.reshape(-1)
        d = 0
    else:
        d = _wrap_dim(dim, nd)
        if nd == 0:
            src = t.reshape(1)
    # sorted rows, the quantile dim last; sort records its gradient
    s = sort(src, d)[0].movedim(d, -1)
    n = s.shape[-1]
    if ignore_nan:
        k = _FUNCTIONS["eq"](s, s).sum(-1, keepdim=True)
        rank = qt * (k - 1).to(t.dtype)
    else:
        k = None
        rank = (qt * (n - 1)).expand(list(s.shape[:-1]) + [qt._numel])
    if interpolation == "nearest":
        rank = rank.round()
    rank = rank.clamp(min=0)
    lo = rank.floor().long()
    hi = rank.ceil().long().clamp(max=n - 1)
    lo = lo.clamp(max=n - 1)
    if interpolation == "lower":
        r = s.gather(-1, lo)
    elif interpolation in ("higher", "nearest"):
        r = s.gather(-1, hi if interpolation == "higher" else lo)
    else:
        vlo = s.gather(-1, lo)
        vhi = s.gather(-1, hi)
        w = 0.5 if interpolation == "midpoint" else (rank - lo.to(t.dtype))
        r = vlo + (vhi - vlo) * w
    nanv = zeros((), dtype=t.dtype, device=t.device) + float("nan")
    if ignore_nan:
        r = where(k == 0, nanv, r)
    else:
        r = where(_FUNCTIONS["isnan"](s.narrow(-1, n - 1, 1)), nanv, r)
    # r: (..., nq) -> torch's layout: q's dim first, then the kept dims
    if q_scalar:
        r = r.squeeze(-1)
    else:
        r = r.movedim(-1, 0)
    if keepdim and nd:
        lead = 0 if q_scalar else 1
        if dim is None:
            r = r.reshape(([] if q_scalar else [qt._numel]) + [1] * nd)
        else:
            r = r.unsqueeze(d + lead)
    return _to_out_tensor(out, r, name)


cdef object _to_out_tensor(object out, object r, str name):
    if out is None:
        return r
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if (<Tensor>out)._dtype is not (<Tensor>r)._dtype:
        raise RuntimeError(f"{name}() out tensor must be same dtype as the input tensor")
    if list((<Tensor>out).size()) != list((<Tensor>r).size()):
        _resize(<Tensor>out, list((<Tensor>r).size()))
    _copy_into(<Tensor>out, <Tensor>r, False)
    _bump(<Tensor>out)
    return out


def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None, axis=None,
             keepdims=None):
    return _quantile(input, q, _dim_alias(dim, axis, "quantile"),
                     keepdim if keepdims is None else keepdims, interpolation, out, False, "quantile")


def nanquantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None, axis=None,
                keepdims=None):
    return _quantile(input, q, _dim_alias(dim, axis, "nanquantile"),
                     keepdim if keepdims is None else keepdims, interpolation, out, True, "nanquantile")


def mode(input, dim=-1, keepdim=False, *, out=None, axis=None, keepdims=None):
    """The most frequent value of each row (the smallest among ties) and the
    last index where it occurs: runs of equal values in the sorted row, each
    position's count within its run, the first position of the largest count."""
    cdef Tensor t = _tensor_arg(input, "mode")
    if axis is not None:
        dim = axis
    if keepdims is not None:
        keepdim = keepdims
    if t._dtype.is_complex:
        raise NotImplementedError(f"\"mode_{_devname(t)}\" not implemented for '{_sname(t._dtype)}'")
    cdef int d = _wrap_dim(dim, t._ndim)
    cdef Tensor src = _reshape(t, [1]) if t._ndim == 0 else t
    if src._shape[d] == 0:
        raise IndexError(f"mode(): Expected reduction dim {d} to have non-zero size.")
    if out is not None:
        out = _check_out_pair(out, t, "mode")
    cdef tuple osr = _ostat(src, d, CT_OS_MODE, 0, keepdim and t._ndim > 0)
    if osr is not None:
        return _reduced_pair(t, osr, d, keepdim, "mode", "mode", out)
    s, si = _sorted_last(src, d)
    n = s.shape[-1]
    from ctorch._ops.shape import cat
    from ctorch._ops.reduce import cummax
    from ctorch._ops.creation import arange, ones
    head = ones(list(s.shape[:-1]) + [1], dtype=t_bool, device=t.device)
    starts = cat([head, _FUNCTIONS["ne"](s.narrow(-1, 1, n - 1), s.narrow(-1, 0, n - 1))], -1)
    pos = arange(n, device=t.device)
    first = cummax(where(starts, pos, zeros((), dtype=t_int64, device=t.device)), -1)[0]
    best = (pos - first).argmax(-1, keepdim=True)
    return _picked_pair(t, s, si, best, d, keepdim, "mode", "mode", out)


for _m_name, _m_fn in (("nanmedian", nanmedian), ("quantile", quantile),
                       ("nanquantile", nanquantile), ("mode", mode)):
    _add_method(_m_name, _m_fn)
