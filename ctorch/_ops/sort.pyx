# cython: language_level=3
"""Sorting and searching: sort/argsort/msort, topk, kthvalue, searchsorted and
bucketize. The kernels (ctorch/_kernels/sort.h) see the scan layout of the
iterator: the sorted dim moved last, rows dense. Orders are total: NaN goes
after +inf, -0.0 equals 0.0, and ties keep input order (every sort here is
stable). Results, indices and scratch live on the input's device; a device
backend's failure is raised after its launch (_check_device)."""

from libc.stdint cimport int64_t

from ctorch._core.dtype cimport *
from ctorch._core.backend cimport *
from ctorch._core.tensor cimport *
from ctorch._core.iterator cimport *
from ctorch._ops.elementwise cimport _cast
from ctorch._ops.views cimport _reshape, _unsqueeze
from ctorch.autograd._node cimport record, _grad_mode
from ctorch._ops.creation import tensor, zeros
from ctorch import return_types as _rt


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


def sort(input, dim=-1, descending=False, stable=False, *, out=None):
    # every sort here is stable, so `stable` only has to be a valid flag
    if stable is not None and not isinstance(stable, bool):
        raise TypeError(f"sort(): argument 'stable' must be bool, not {type(stable).__name__}")
    v, i, out = _sort_impl(input, dim, descending, out, "sort")
    return _pair_result("sort", out, v, i)


def argsort(input, dim=-1, descending=False, stable=False):
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


def topk(input, k, dim=-1, largest=True, sorted=True, *, out=None):
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
    if t._ndim == 0:
        # PyTorch returns the 0-d input for k = 0 as well as for k = 1
        v = _alias(t).clone()
        i = zeros((), dtype=t_int64, device=t.device)
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


def kthvalue(input, k, dim=-1, keepdim=False, *, out=None):
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
    if t._ndim == 0:
        v = _alias(t).clone()
        i = zeros((), dtype=t_int64, device=t.device)
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
