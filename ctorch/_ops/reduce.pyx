# cython: language_level=3
"""Reductions: sum/mean over any set of dims, max/min (whole, per dim with
indices, amax/amin, aminmax), argmax/argmin, prod, var/std (and *_mean),
logsumexp, nansum/nanmean, softmax/log_softmax, cumsum/cumprod (and in place),
cummax/cummin, logcumsumexp, all/any, count_nonzero, median, norm. Every
function that takes dim/keepdim also takes numpy's spellings axis=/keepdims=,
as PyTorch does.

Every kernel sees the "rows" layout: the reduced dims permuted innermost (a
view when they are dense, a dense copy otherwise; a sum over the leading
dims of a contiguous tensor uses the columns kernel instead of copying);
scans along one dim move that dim last the same way. Forward results of
composite ops (var, std, logsumexp) are computed on a detached input and get
one backward node with torch's name, recorded with its derivatives entry."""

from libc.stdint cimport int64_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.string cimport memcpy
from libc.math cimport INFINITY

from ctorch._core.dtype cimport *
from ctorch._core.backend cimport *
from ctorch._core.tensor cimport *
from ctorch._core.iterator cimport *
from ctorch._ops.elementwise cimport _cast, _binary, _FUNCTIONS, _inplace_with_graph
from ctorch._ops.views cimport _reshape
from ctorch.autograd._node cimport record, _grad_mode
from ctorch._ops.creation import zeros, ones_like, zeros_like, arange
from ctorch._ops.elementwise import where

import builtins as _builtins


# autocast (ctorch.amp; see ctorch/_ops/products.pyx): the calling thread's
# regions, bit 0 CPU, bit 1 CUDA; the listed ops hand their arguments to the hook
cdef extern from *:
    """
    static __thread int ct_autocast = 0;
    """
    int ct_autocast

_autocast_hook = None


def _set_autocast_state(int flags):
    global ct_autocast
    ct_autocast = flags
_brange = _builtins.range


cdef str _dev(Tensor t):
    """The name of t's device in kernel names ("cpu", "cuda")."""
    return (<bytes>t._storage.backend.name).decode()



# ------------------------------------------------------------ numpy-style keywords



cdef object _keep(object keepdim, object keepdims):
    """keepdim, or numpy's spelling `keepdims=` of it."""
    return keepdim if keepdims is None else keepdims


cdef int _need_dim(object dim, str name) except -1:
    if dim is None:
        raise TypeError(f'{name}() missing 1 required positional arguments: "dim"')
    return 0



cdef object _mem_order(Tensor t, list red):
    """(q, rq) for a reduction of t over red where t, on the CPU, is a
    permutation of a dense tensor but not contiguous (a transpose) and its
    kept dims (those longer than 1) lie in memory in their own order: q the
    contiguous view of t's memory (its dims by decreasing stride), rq red's
    dims in q. The reduction of q over rq holds the result's elements in
    order (t.sum(1) of a transposed matrix: the column sums of its memory,
    not a transposing copy); None otherwise."""
    cdef int nd = t._ndim, k
    cdef int order[64]
    if t._storage.device >= 0 or nd < 2 or nd > 64 or _is_contiguous(t) or not _perm_dense(t, order):
        return None
    cdef list pos = [0] * nd
    for k in range(nd):
        pos[order[k]] = k
    cdef list kept = [pos[d] for d in range(nd) if d not in red and t._shape[d] != 1]
    if kept != sorted(kept):
        return None
    return _permute_raw(t, [order[k] for k in range(nd)]), sorted([pos[d] for d in red])


cdef list _red_shape(Tensor t, list red, bint keepdim):
    """The shape of t reduced over red: the reduced dims 1 (keepdim) or left out."""
    return ([1 if d in red else t._shape[d] for d in range(t._ndim)] if keepdim
            else [t._shape[d] for d in range(t._ndim) if d not in red])


cdef Tensor _sum(Tensor t, object dim, bint keepdim, DType res):
    """Sum of t over dim in dtype res (t is converted to res first)."""
    cdef Tensor flat
    cdef ct_sum_rows_fn f
    cdef ct_sum_cols_fn fc
    cdef int k
    if (dim is None and not keepdim and t._dtype is res and t._ndim > 0 and t._numel > 0
            and (res._kind > K_INT or res is t_int64) and _is_contiguous(t)):
        # the whole of a dense tensor: one row of the row-sum kernel (the
        # common `x.sum()`, without the general path's dim bookkeeping)
        f = t._storage.backend.sum_rows[res._code]
        if f != NULL:
            flat = _empty_list([], res, t._storage.device)
            with nogil:
                f(t._data, 1, t._numel, t._numel, flat._data)
            _check_device(t)
            return flat
    cdef int nd = t._ndim, d
    cdef Py_ssize_t n_out, n_in, k_len
    cdef list bred
    cdef Tensor r
    if t._numel > 0 and not _is_contiguous(t):
        bred = _reduce_dims(t, dim)
        mo = _mem_order(t, bred)
        if mo is not None:
            rq = mo[1]
            r = _sum(<Tensor>mo[0], None if len(rq) == nd else rq, False, res)
            return _reshape(r, _red_shape(t, bred, keepdim))
    if (type(dim) is list or type(dim) is tuple) and len(dim) == 1 and type(dim[0]) is int:
        # one dim in a list: the one-dim paths below
        dim = dim[0]
    if t._dtype is t_bool and res is t_int64 and t._ndim > 0 and t._numel > 0 and _is_contiguous(t):
        # a count of the true elements of a dense bool tensor over all dims or
        # the last (count_nonzero, mask.sum()): the bool row kernel, where the
        # backend has one, without an int64 copy
        f = t._storage.backend.sum_rows[CT_BOOL]
        bred = _reduce_dims(t, dim)
        if f != NULL and (len(bred) == nd or bred == [nd - 1]):
            k_len = t._numel if len(bred) == nd else t._shape[nd - 1]
            n_out = t._numel // k_len
            if len(bred) == nd:
                flat = _empty_list([1] * nd if keepdim else [], res, t._storage.device)
            else:
                flat = _empty_list([t._shape[k] for k in range(nd - 1)] + ([1] if keepdim else []),
                                   res, t._storage.device)
            with nogil:
                f(t._data, n_out, k_len, k_len, flat._data)
            _check_device(t)
            return flat
    if (type(dim) is int and t._dtype is res and (res._kind > K_INT or res is t_int64)
            and nd > 0 and -nd <= dim < nd and t._numel > 0 and _is_contiguous(t)):
        # one dim of a dense tensor: the last dims' rows, or the first dim's
        # columns (the kernels the general path below picks for them)
        d = dim + nd if dim < 0 else dim
        n_out = 1
        n_in = 1
        for k in range(d):
            n_out *= t._shape[k]
        for k in range(d + 1, nd):
            n_in *= t._shape[k]
        k_len = t._shape[d]
        if d == nd - 1 or d == 0:
            f = t._storage.backend.sum_rows[res._code]
            fc = t._storage.backend.sum_cols[res._code]
            if f != NULL and fc != NULL:
                flat = _empty_list([1 if k == d else t._shape[k] for k in range(nd)] if keepdim
                                   else [t._shape[k] for k in range(nd) if k != d],
                                   res, t._storage.device)
                if n_in > 1:
                    with nogil:
                        fc(t._data, k_len, n_in, n_in, flat._data)
                else:
                    with nogil:
                        f(t._data, n_out, k_len, k_len, flat._data)
                _check_device(t)
                return flat
    cdef list red = _reduce_dims(t, dim)
    cdef DType comp = t_int64 if res._kind <= K_INT else res
    if t._dtype is not comp:
        t = _cast(t, comp)
    cdef list kept = [d for d in _brange(nd) if d not in red]
    out_shape = [t._shape[d] for d in kept]
    keep_shape = [1 if d in red else t._shape[d] for d in _brange(nd)]
    cdef Tensor out = _empty_list(out_shape, comp, t._storage.device)
    cdef Py_ssize_t rows = out._numel, L = 1
    for d in red:
        L *= t._shape[d]
    if rows == 0:
        pass
    elif L == 0:
        _fill(out, 0)
    elif nd == 0:
        _copy_into(out, t, False)
    else:
        _sum_kernel(t, kept, red, rows, L, out)
    if keepdim:
        out = _reshape(out, keep_shape)
    if res is not comp:
        out = _cast(out, res)
    return out


cdef int _trailing_run(Tensor t, list red, Py_ssize_t *lt):
    """j > 0 where the sorted dims red end with a run red[j:] of t's last
    dims after other reduced dims, t contiguous on the CPU (its elements'
    count in lt); 0 otherwise."""
    cdef int k = len(red), j = k - 1, q
    if k < 2 or red[k - 1] != t._ndim - 1 or t._storage.device >= 0 or not _is_contiguous(t):
        return 0
    while j > 0 and red[j - 1] == red[j] - 1:
        j -= 1
    lt[0] = 1
    for q in red[j:]:
        lt[0] *= t._shape[q]
    return j


cdef bint _cols_stride(Tensor t, int k, Py_ssize_t *ld):
    """Whether t's dims from k on are dense (row-major, unit stride) and its
    first k dims step through rows of them with one stride, set in ld (> 0)"""
    cdef int d, nd = t._ndim
    cdef Py_ssize_t expect = 1, step = 0
    for d in range(nd - 1, k - 1, -1):
        if t._shape[d] != 1 and t._stride[d] != expect:
            return False
        expect *= t._shape[d]
    for d in range(k - 1, -1, -1):
        if t._shape[d] == 1:
            continue
        if step == 0:
            step = t._stride[d]
            if step <= 0:
                return False
            expect = step * t._shape[d]
        elif t._stride[d] != expect:
            return False
        else:
            expect *= t._shape[d]
    if step == 0:
        return False
    ld[0] = step
    return True


cdef int _sum_kernel(Tensor t, list kept, list red, Py_ssize_t rows, Py_ssize_t L, Tensor out) except -1:
    cdef ct_sum_rows_fn rfn = t._storage.backend.sum_rows[t._dtype._code]
    cdef ct_sum_cols_fn cfn = t._storage.backend.sum_cols[t._dtype._code]
    cdef const ct_sum_mid_fn *mfn
    cdef ct_sum_mid_fn mf
    cdef int k = len(red)
    cdef Tensor p
    cdef Py_ssize_t ld
    if rfn == NULL or cfn == NULL:
        raise NotImplementedError(f"\"sum_{_dev(t)}\" not implemented for '{_sname(t._dtype)}'")
    cdef Py_ssize_t o, outer, inner
    cdef char *src
    cdef char *dst
    cdef Py_ssize_t es = t._dtype.itemsize
    # leading dims of a contiguous tensor: column sums, no copy
    if _is_contiguous(t) and red == list(_brange(k)) and rows > 1:
        with nogil:
            cfn(t._data, L, rows, rows, out._data)
        return _check_device(t)
    # leading dims whose rows (the kept dims, dense) lie ld apart: a slice of
    # columns, x[:, a:b].sum(0), the same column sums with the rows' stride
    if red == list(_brange(k)) and rows > 1 and t._storage.device < 0 and _cols_stride(t, k, &ld):
        with nogil:
            cfn(t._data, L, rows, ld, out._data)
        return _check_device(t)
    # a run of middle dims of a contiguous tensor: the column sums of each
    # outer block (a transposing copy costs several times the sum itself)
    if (_is_contiguous(t) and red == list(range(red[0], red[0] + k)) and red[0] > 0
            and red[-1] < t._ndim - 1 and t._storage.device < 0):
        inner = 1
        for d in range(red[-1] + 1, t._ndim):
            inner *= t._shape[d]
        outer = rows // inner
        src, dst = t._data, out._data
        mfn = t._storage.backend.sum_mid
        mf = mfn[t._dtype._code] if mfn != NULL else NULL
        with nogil:
            if mf != NULL:
                mf(src, outer, L, inner, dst)
            else:
                for o in range(outer):
                    cfn(src + o * L * inner * es, L, inner, inner, dst + o * inner * es)
        return _check_device(t)
    # a trailing run of reduced dims of a contiguous tensor after other
    # reduced dims (x.sum((0, 2)), a batch norm's mean over (0, 2, 3)): the
    # rows' sums over the run first, then the rest of the reduction over
    # those (without this, a transposing copy of the whole tensor); not in
    # float16 / bfloat16, whose partial sums would be rounded to them
    cdef Py_ssize_t lt
    cdef int j = 0
    cdef Tensor part
    if t._dtype._code != CT_FLOAT16 and t._dtype._code != CT_BFLOAT16:
        j = _trailing_run(t, red, &lt)
    if j > 0:
        part = _empty_list([t._shape[q] for q in range(<int>red[j])], t._dtype, t._storage.device)
        with nogil:
            rfn(t._data, part._numel, lt, lt, part._data)
        return _sum_kernel(part, kept, red[:j], rows, L // lt, out)
    p = _permute_raw(t, kept + red)
    if not _dense_inner(p, len(kept), &ld):
        if _sum_step(p, len(kept), out):
            return _check_device(t)
        p = _dense_copy(p)
        ld = L
    with nogil:
        rfn(p._data, rows, L, ld, out._data)
    return _check_device(t)


cdef bint _sum_step(Tensor p, int nk, Tensor out):
    """The row sums of p (its first nk dims kept, the rest summed) into
    dense out without a copy where the last summed dim of more than one
    element steps by 2 to 64 (a dividend of 64: x[..., ::2]); False where
    that does not apply."""
    cdef int64_t shape[CT_MAXDIM]
    cdef int64_t stride[CT_MAXDIM]
    cdef int d, n = 0, rc
    if p._storage.backend.sum_step == NULL:
        return False
    for d in range(p._ndim):
        if d < nk or p._shape[d] != 1:
            shape[n] = p._shape[d]
            stride[n] = p._stride[d]
            n += 1
    if n <= nk or not (2 <= stride[n - 1] <= 64) or 64 % stride[n - 1] != 0 or shape[n - 1] < 8:
        return False
    with nogil:
        rc = p._storage.backend.sum_step(p._dtype._code, n, shape, stride, p._data, nk, out._data)
    return rc == 0


cdef object _return_types = None


cdef dict _named_types = {}


cdef object _named(str name):
    """The torch.return_types type `name` (that module loads on first use)."""
    global _return_types
    cls = _named_types.get(name)
    if cls is not None:
        return cls
    if _return_types is None:
        from ctorch import return_types
        _return_types = return_types
    cls = _named_types[name] = getattr(_return_types, name)
    return cls


cdef object _named2(str name, object a, object b):
    """The torch.return_types `name`(a, b), built as the tuple it is (its
    __new__ only checks the item count)."""
    return tuple.__new__(_named(name), (a, b))


cdef object _record_reduce(Tensor r, Tensor t, str name, object dim, bint keepdim, Py_ssize_t count):
    """sum/mean's entries: SumBackward0/MeanBackward0 over everything,
    SumBackward1/MeanBackward1 over dims."""
    if not _grad_mode() or not _needs_grad(t):
        return r
    dims = None
    if dim is not None and not (isinstance(dim, (tuple, list)) and len(dim) == 0):
        dims = _reduce_dims(t, dim)
    if dims is None:
        return record(name, r, (t,), (None, False, count))
    return record(name + ".dim", r, (t,), (tuple(dims), keepdim, count))


cdef DType _sum_dtype(Tensor t, object dtype):
    cdef DType dt = _as_dtype(dtype)
    if dt is not None:
        return dt
    return t_int64 if t._dtype._kind <= K_INT else t._dtype


def _sum_fn(input, dim=None, keepdim=False, *, dtype=None, out=None, axis=None, keepdims=None):
    if ct_autocast & 2 and out is None:
        return _autocast_hook("sum", _sum_fn, (input, dim, keepdim), {"dtype": dtype, "axis": axis,
                              "keepdims": keepdims})
    dim = _dim_alias(dim, axis, "sum")
    keepdim = _keep(keepdim, keepdims)
    cdef Tensor t = _tensor_arg(input, "sum")
    cdef Tensor r = _sum(t, dim, keepdim, _sum_dtype(t, dtype))
    _record_reduce(r, t, "sum", dim, keepdim, 1)
    return _to_out(out, r, "sum", OUT_ANY if dtype is None else OUT_SAME)


def mean(input, dim=None, keepdim=False, *, dtype=None, out=None, axis=None, keepdims=None):
    dim = _dim_alias(dim, axis, "mean")
    keepdim = _keep(keepdim, keepdims)
    cdef Tensor t = _tensor_arg(input, "mean")
    cdef DType dt = _as_dtype(dtype)
    if dt is None:
        dt = t._dtype
    if dt._kind <= K_INT:
        raise RuntimeError(f"mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: {_SCALAR_NAMES[dt._code]}")
    cdef Py_ssize_t count = 1
    for d in _reduce_dims(t, dim):
        count *= t._shape[d]
    # a half mean accumulates and divides in float32 (as PyTorch): the sum of
    # halves overflows long before their mean does
    cdef bint half = dt._code == CT_FLOAT16 or dt._code == CT_BFLOAT16
    cdef Tensor s = _sum(t, dim, keepdim, t_float32 if half else dt)
    cdef Tensor r = _binary(CT_DIV, R_FLOAT, s, count if count else float("nan"), None, "div")
    if half:
        r = _cast(r, dt)
    _record_reduce(r, t, "mean", dim, keepdim, count)
    return _to_out(out, r, "mean", OUT_CAST)


def sum_to_size(input, *size):
    """Sums broadcast dims away so that input gets `size` (the adjoint of expand)."""
    cdef Tensor t = _tensor_arg(input, "sum_to_size")
    cdef list target = _parse_size(size, "sum_to_size")
    cdef int lead = t._ndim - len(target), d
    if lead < 0:
        raise RuntimeError(f"size {{{_fmt_shape(target)}}} is not expandable to size {{{_fmt_shape(t.size())}}}.")
    dims = list(_brange(lead))
    for d in _brange(len(target)):
        if target[d] == 1 and t._shape[lead + d] != 1:
            dims.append(lead + d)
        elif target[d] != t._shape[lead + d]:
            raise RuntimeError(f"size {{{_fmt_shape(target)}}} is not expandable to size {{{_fmt_shape(t.size())}}}.")
    if not dims:
        return t
    cdef Tensor r = _sum(t, dims, True, t._dtype)
    record("sum.dim", r, (t,), (tuple(dims), True, 1))
    return _reshape(r, target)


_add_method("sum", _sum_fn)
_add_method("mean", mean)
_add_method("sum_to_size", sum_to_size)


cdef int _tensor_contains(object self, object element) except -1:
    """`element in t`: any element equal to it."""
    if isinstance(element, (Tensor, int, float, bool, complex)):
        return bool(_any_fn(self == element).item())
    raise RuntimeError(f"Tensor.__contains__ only supports Tensor or scalar, but you passed in a {type(element)}.")


_slots.contains = _tensor_contains


def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """torch.norm: ctorch.linalg's vector_norm / matrix_norm, as PyTorch's
    torch.norm chooses between them (p numeric, 'fro' or 'nuc')."""
    if ct_autocast & 2 and out is None:
        return _autocast_hook("norm", norm, (input, p, dim, keepdim), {"dtype": dtype})
    if out is None and dtype is None and ((type(p) is str and p == "fro") or
                                          ((type(p) is int or type(p) is float) and p == 2)):
        # the 2-norm of a float tensor over all dims, one dim or (Frobenius)
        # two: the fused kernel, without the general path's argument handling
        if type(p) is not str or dim is None or type(dim) is int or \
                ((type(dim) is tuple or type(dim) is list) and len(dim) <= 2):
            r = _norm2(input, dim, keepdim)
            if r is not None:
                return r
    from ctorch.linalg import _norm_legacy
    return _norm_legacy(input, p, dim, keepdim, out, dtype)


_add_method("norm", norm)




# ------------------------------------------------------------ max / min core

# the column reductions of the backend table (backend.h), under its C name
cdef extern from "backend.h" nogil:
    ctypedef struct ct_reduce_cols_table "ct_backend":
        int (*reduce_cols)(int op, int dtype, const void *x, int64_t outer, int64_t n,
                           int64_t cols, int64_t ld, void *out, int64_t *idx) noexcept nogil


cdef tuple _cols_reduce(int op, Tensor t, list red, DType dt, bint want_vals, bint want_idx):
    """(values, indices) of t reduced over red column by column when red is
    a run of dims of a contiguous t short of its last (the leading dims: one
    block of columns; a run of middle dims: a block for each index of the
    dims before it), without a transposing copy; None when the layout or
    the backend does not allow it. Values are in dt (t's dtype); shapes
    without the reduced dims."""
    cdef int k = len(red), d, r0
    if k == 0 or t._numel == 0 or not _is_contiguous(t):
        return None
    r0 = red[0]
    if r0 + k >= t._ndim or red != list(range(r0, r0 + k)) or (r0 > 0 and t._storage.device >= 0):
        return None
    cdef const ct_reduce_cols_table *RC = <const ct_reduce_cols_table *>t._storage.backend
    if RC.reduce_cols == NULL:
        return None
    cdef Py_ssize_t n = 1, cols = 1, outer = 1
    for d in range(r0):
        outer *= t._shape[d]
    for d in range(r0, r0 + k):
        n *= t._shape[d]
    for d in range(r0 + k, t._ndim):
        cols *= t._shape[d]
    if n < 2:
        return None
    out_shape = [t._shape[d] for d in range(t._ndim) if d not in red]
    cdef Tensor vals = _empty_list(out_shape, dt, t._storage.device)
    cdef Tensor idx = _empty_list(out_shape, t_int64, t._storage.device) if want_idx else None
    cdef int64_t *ip = <int64_t *>idx._data if want_idx else NULL
    cdef int rc = 0, code = t._dtype._code
    with nogil:
        rc = RC.reduce_cols(op, code, t._data, outer, n, cols, cols, vals._data, ip)
    if rc != 0:
        return None
    return (vals if want_vals else None), idx


# the fused row reductions of the backend table (backend.h), under its C name
cdef extern from "backend.h" nogil:
    ctypedef struct ct_reduce_rows_table "ct_backend":
        int (*reduce_rows)(int op, int dtype, const void *x, int64_t rows, int64_t len, int64_t ld,
                           void *out) noexcept nogil


cdef object _fused_reduce(int op, Tensor t, list red, bint keepdim):
    """op 0: the 2-norm (also of float16 / bfloat16), 1: logsumexp of t
    (float32 / float64) over the
    sorted dims red, in one pass of the fused kernels (column by column when
    red are the leading dims of a contiguous tensor); None where they do not
    apply (the caller composes other ops). No history."""
    if (t._dtype is not t_float32 and t._dtype is not t_float64 and
            (op != 0 or (t._dtype._code != CT_FLOAT16 and t._dtype._code != CT_BFLOAT16))) \
            or t._numel == 0 or not red:
        return None
    cdef const ct_reduce_rows_table *RR = <const ct_reduce_rows_table *>t._storage.backend
    cdef const ct_reduce_cols_table *RC = <const ct_reduce_cols_table *>t._storage.backend
    if RR.reduce_rows == NULL:
        return None
    cdef int k = len(red), nd = t._ndim, d, rc = -1, code = t._dtype._code
    cdef Py_ssize_t n = 1, cols
    cdef Tensor out
    cdef bint lead = k < nd and RC.reduce_cols != NULL and _is_contiguous(t)
    for d in range(k):
        if red[d] != d:
            lead = False
            break
    if lead:
        for d in range(k):
            n *= t._shape[d]
        if n >= 2:
            cols = t._numel // n
            out = _empty_list([t._shape[d] for d in range(k, nd)], t._dtype, t._storage.device)
            with nogil:
                rc = RC.reduce_cols(4 + op, code, t._data, 1, n, cols, cols, out._data, NULL)
            if rc == 0:
                _check_device(t)
                if keepdim:
                    out = _reshape(out, [1 if d < k else t._shape[d] for d in range(nd)])
                return out
    return _rows_call(RR, op, t, red, keepdim, None)


cdef object _rows_call(const ct_reduce_rows_table *RR, int op, Tensor t, list red, bint keepdim,
                       Tensor init):
    """The fused row kernel op over the dims red of t (rows made innermost),
    its output filled with init first when given (CT_RROWS_SQDEV's means);
    None where the kernel declines."""
    p, rows_, L_, ld_, out_shape, keep_shape = _rows_layout(t, red)
    cdef Tensor pp = <Tensor>p
    cdef Py_ssize_t rows = rows_, L = L_, ld = ld_
    cdef Tensor out = _empty_list(out_shape, t._dtype, t._storage.device)
    if init is not None:
        out.copy_(_reshape(init, out_shape))
    cdef int rc, code = t._dtype._code
    with nogil:
        rc = RR.reduce_rows(op, code, pp._data, rows, L, ld, out._data)
    if rc != 0:
        return None
    _check_device(t)
    if keepdim:
        out = _reshape(out, keep_shape)
    return out


def _norm2(x, dim, keepdim):
    """The 2-norm of x over dim (None or (): all dims; an int; a tuple or
    list of ints) in one pass, when x is a float32 / float64 tensor that
    needs no history and dim names distinct dims in range; None otherwise
    (the caller's general path, which also raises PyTorch's errors)."""
    if type(x) is not Tensor:
        return None
    cdef Tensor t = <Tensor>x
    if (t._dtype is not t_float32 and t._dtype is not t_float64 and t._dtype._code != CT_FLOAT16
            and t._dtype._code != CT_BFLOAT16) or t._ndim == 0 or (_grad_mode() and _needs_grad(t)):
        return None
    cdef list red = _norm_red(t, dim)
    return None if red is None else _fused_reduce(0, t, red, bool(keepdim))


cdef list _norm_red(Tensor t, object dim):
    """dim (None, an int, a tuple or list of ints; none or all: every dim)
    as sorted distinct dims of t; None where dim is anything else or out of
    range (the caller's general path raises PyTorch's errors)."""
    cdef int nd = t._ndim
    cdef list red
    if dim is None:
        red = list(_brange(nd))
    elif type(dim) is int:
        if not -nd <= dim < nd:
            return None
        red = [dim % nd]
    elif type(dim) is tuple or type(dim) is list:
        red = []
        for d in dim:
            if type(d) is not int or not -nd <= d < nd or d % nd in red:
                return None
            red.append(d % nd)
        if not red:
            red = list(_brange(nd))
        red.sort()
    else:
        return None
    return red


def _norm_p(x, double ord, dim, keepdim):
    """The ord-norm (any ord but 2) of a nonempty float32 / float64 tensor
    that needs no history over dim, as the general path composes it (|x|
    summed, its max or min, the nonzero count, or sum(|x|^ord)^(1/ord)) but
    without its argument handling; None where it does not apply."""
    if type(x) is not Tensor:
        return None
    cdef Tensor t = <Tensor>x
    if ((t._dtype is not t_float32 and t._dtype is not t_float64) or t._ndim == 0
            or t._numel == 0 or (_grad_mode() and _needs_grad(t))):
        return None
    cdef list red = _norm_red(t, dim)
    if red is None:
        return None
    cdef bint keep = bool(keepdim)
    if ord == 0:
        return _cast(_sum(_FUNCTIONS["ne"](t, 0), red, keep, t_int64), t._dtype)
    a = _FUNCTIONS["abs"](t)
    if ord == 1:
        return _sum(a, red, keep, t._dtype)
    if ord == INFINITY or ord == -INFINITY:
        return _minmax(a, red, keep, ord > 0, True, False)[0]
    return _FUNCTIONS["pow"](_sum(_FUNCTIONS["pow"](a, ord), red, keep, t._dtype), 1.0 / ord)


cdef tuple _minmax(Tensor t, list red, bint keepdim, bint is_max, bint want_vals, bint want_idx):
    """(values or None, indices or None) of t reduced over red."""
    # in t's memory order (_mem_order); indices only over one dim (a flat
    # index over several counts in t's own order)
    mo = _mem_order(t, red) if t._numel > 0 and (not want_idx or len(red) == 1) else None
    if mo is not None:
        shape = _red_shape(t, red, keepdim)
        return tuple(None if x is None else _reshape(x, shape)
                     for x in _minmax(<Tensor>mo[0], mo[1], False, is_max, want_vals, want_idx))
    cdef tuple cr = _cols_reduce(0 if is_max else 1, t, red, t._dtype, want_vals, want_idx)
    if cr is not None:
        if keepdim:
            keep_shape = [1 if d in red else t._shape[d] for d in _brange(t._ndim)]
            return tuple(None if x is None else _reshape(x, keep_shape) for x in cr)
        return cr
    cdef ct_minmax_fn fn = t._storage.backend.minmax[t._dtype._code]
    # values over a trailing run of dims of a contiguous tensor after other
    # reduced dims: the rows' over the run first, then the rest (as _sum_kernel)
    cdef Py_ssize_t lt
    cdef int j = _trailing_run(t, red, &lt) if not want_idx and fn != NULL and t._numel > 0 else 0
    cdef Tensor part
    if j > 0:
        part = _empty_list([t._shape[q] for q in range(<int>red[j])], t._dtype, t._storage.device)
        with nogil:
            fn(t._data, part._numel, lt, lt, is_max, part._data, NULL)
        part = _minmax(part, red[:j], False, is_max, True, False)[0]
        return (_reshape(part, _red_shape(t, red, keepdim)) if keepdim else part), None
    p, rows, L, ld, out_shape, keep_shape = _rows_layout(t, red)
    cdef Tensor pp = <Tensor>p
    cdef Tensor vals = _empty_list(out_shape, t._dtype, t._storage.device) if want_vals else None
    cdef Tensor idx = _empty_list(out_shape, t_int64, t._storage.device) if want_idx else None
    if fn == NULL:
        kern = "all" if t._storage.device < 0 else _dev(t)
        raise NotImplementedError(f"\"{'max' if is_max else 'min'}_{kern}\" not implemented for '{_sname(t._dtype)}'")
    cdef void *vp = vals._data if want_vals else NULL
    cdef int64_t *ip = <int64_t *>idx._data if want_idx else NULL
    cdef Py_ssize_t r_ = rows, l_ = L, ld_ = ld
    if r_ > 0 and l_ > 0:
        with nogil:
            fn(pp._data, r_, l_, ld_, is_max, vp, ip)
        _check_device(t)
    if keepdim:
        if want_vals:
            vals = _reshape(vals, keep_shape)
        if want_idx:
            idx = _reshape(idx, keep_shape)
    return vals, idx


cdef tuple _minmax_both(Tensor t, list red, bint keepdim):
    """(min, max) of t over red: two passes of the column kernel, or of the
    rows kernel over one layout; one pass of it that keeps both for a single
    row on the CPU (a full reduction: half the reads)."""
    mo = _mem_order(t, red) if t._numel > 0 else None
    if mo is not None:
        shape = _red_shape(t, red, keepdim)
        return tuple(_reshape(x, shape) for x in _minmax_both(<Tensor>mo[0], mo[1], False))
    cdef tuple cmin = _cols_reduce(1, t, red, t._dtype, True, False)
    cdef tuple cmax
    if cmin is not None:
        cmax = _cols_reduce(0, t, red, t._dtype, True, False)
        if cmax is not None:
            if keepdim:
                keep_shape = [1 if d in red else t._shape[d] for d in _brange(t._ndim)]
                return _reshape(cmin[0], keep_shape), _reshape(cmax[0], keep_shape)
            return cmin[0], cmax[0]
    cdef ct_minmax_fn fn = t._storage.backend.minmax[t._dtype._code]
    if fn == NULL:
        kern = "all" if t._storage.device < 0 else _dev(t)
        raise NotImplementedError(f"\"min_{kern}\" not implemented for '{_sname(t._dtype)}'")
    p, rows, L, ld, out_shape, keep_shape = _rows_layout(t, red)
    cdef Tensor pp = <Tensor>p
    cdef Tensor mn = _empty_list(out_shape, t._dtype, t._storage.device)
    cdef Tensor mx = _empty_list(out_shape, t._dtype, t._storage.device)
    cdef Py_ssize_t r_ = rows, l_ = L, ld_ = ld
    cdef int64_t pair[2]          # 16 bytes: two values of any dtype
    cdef size_t es = t._dtype.itemsize
    if r_ == 1 and l_ > 0 and t._storage.device < 0:
        # one row on the CPU (a full reduction): both in one pass (is_max 2)
        with nogil:
            fn(pp._data, 1, l_, ld_, 2, pair, NULL)
            memcpy(mn._data, pair, es)
            memcpy(mx._data, (<char *>pair) + es, es)
    elif r_ > 0 and l_ > 0:
        with nogil:
            fn(pp._data, r_, l_, ld_, 0, mn._data, NULL)
            fn(pp._data, r_, l_, ld_, 1, mx._data, NULL)
        _check_device(t)
    if keepdim:
        mn = _reshape(mn, keep_shape)
        mx = _reshape(mx, keep_shape)
    return mn, mx


cdef int _check_nonempty_dims(Tensor t, list red, str name) except -1:
    for d in red:
        if t._shape[d] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    return 0


cdef int _check_real(Tensor t, str what) except -1:
    if t._dtype.is_complex:
        raise NotImplementedError(f'"{what}" not implemented for \'{_sname(t._dtype)}\'')
    return 0


cdef object _minmax_fn(object input, object dim, object keepdim, object out, bint is_max):
    cdef str name = "max" if is_max else "min"
    if isinstance(dim, Tensor):
        if keepdim is not False:
            raise TypeError(f"{name}() received an invalid combination of arguments")
        return _FUNCTIONS["maximum" if is_max else "minimum"](input, dim, out=out)
    cdef Tensor t = _tensor_arg(input, name)
    cdef list red
    if dim is None:
        if out is not None:
            raise TypeError(f"{name}() got an unexpected keyword argument 'out'")
        if keepdim is not False:
            raise TypeError(f"{name}() received an invalid combination of arguments - got (keepdim=bool, ), but expected one of: (), (int dim, bool keepdim), (Tensor other)")
        _check_real(t, f"{name}_all")
        if t._numel == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.")
        red = list(_brange(t._ndim))
        v, _ = _minmax(t, red, False, is_max, True, False)
        record("max" if is_max else "min", v, (t,), (None, False))
        return v
    if isinstance(dim, (tuple, list)):
        raise TypeError(f"{name}(): argument 'dim' must be int, not {type(dim).__name__}")
    _check_real(t, f"{name}_cpu")
    red = _red_dims(t, dim)
    _check_nonempty_dims(t, red, name)
    v, i = _minmax(t, red, keepdim, is_max, True, True)
    record("max.dim" if is_max else "min.dim", v, (t,), (red[0] if red else 0, bool(keepdim), i))
    if out is not None:
        _out_pair(out, name)
        _to_out(out[0], v, name, OUT_SAME)
        _to_out(out[1], i, name, OUT_SAME)
        return _named2(name, out[0], out[1])
    return _named2(name, v, i)


def _max_fn(input, dim=None, keepdim=False, *, out=None, axis=None, keepdims=None):
    dim = _dim_alias(dim, axis, "max")
    keepdim = _keep(keepdim, keepdims)
    return _minmax_fn(input, dim, keepdim, out, True)


def _min_fn(input, dim=None, keepdim=False, *, out=None, axis=None, keepdims=None):
    dim = _dim_alias(dim, axis, "min")
    keepdim = _keep(keepdim, keepdims)
    return _minmax_fn(input, dim, keepdim, out, False)


cdef object _aminmax(object input, object dim, bint keepdim, object out, bint is_max):
    cdef str name = "amax" if is_max else "amin"
    cdef Tensor t = _tensor_arg(input, name)
    _check_real(t, "max_values_cpu" if is_max else "min_values_cpu")
    cdef list red = _red_dims(t, dim)
    if t._numel == 0 and (len(red) == t._ndim):
        if t._ndim == 0 or dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0):
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.")
    _check_nonempty_dims(t, red, name)
    v, _ = _minmax(t, red, keepdim, is_max, True, False)
    record("amax" if is_max else "amin", v, (t,), (red, bool(keepdim)))
    return _to_out(out, v, "amax" if is_max else "amin", OUT_SAME,
                   "Expected the dtype for input and out to match, but got {res} for input's dtype "
                   "and {out} for out's dtype.")


def amax(input, dim=(), keepdim=False, *, out=None, axis=None, keepdims=None):
    dim = _dim_alias(dim, axis, "amax")
    keepdim = _keep(keepdim, keepdims)
    return _aminmax(input, dim, keepdim, out, True)


def amin(input, dim=(), keepdim=False, *, out=None, axis=None, keepdims=None):
    dim = _dim_alias(dim, axis, "amin")
    keepdim = _keep(keepdim, keepdims)
    return _aminmax(input, dim, keepdim, out, False)


cdef object _argminmax(object input, object dim, bint keepdim, object out, bint is_max):
    cdef str name = "argmax" if is_max else "argmin"
    cdef Tensor t = _tensor_arg(input, name)
    if t._dtype.is_complex:
        raise RuntimeError(f"{name}(): does not support complex input")
    if t._dtype._code == CT_BOOL:
        raise RuntimeError(f"{name}(): does not support bool input")
    cdef list red
    cdef Tensor i
    if dim is None:
        if t._numel == 0:
            raise IndexError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
        _, i = _minmax(_reshape(t, [t._numel]), [0], False, is_max, False, True)
        if keepdim:
            i = _reshape(i, [1] * t._ndim)
        return _to_out(out, i, "argmax" if is_max else "argmin", OUT_SAME)
    if isinstance(dim, (tuple, list)):
        raise TypeError(f"{name}(): argument 'dim' must be int, not {type(dim).__name__}")
    red = _red_dims(t, dim)
    _check_nonempty_dims(t, red, name)
    _, i = _minmax(t, red, keepdim, is_max, False, True)
    return _to_out(out, i, "argmax" if is_max else "argmin", OUT_SAME)


def argmax(input, dim=None, keepdim=False, *, out=None, axis=None, keepdims=None):
    dim = _dim_alias(dim, axis, "argmax")
    keepdim = _keep(keepdim, keepdims)
    return _argminmax(input, dim, keepdim, out, True)


def argmin(input, dim=None, keepdim=False, *, out=None, axis=None, keepdims=None):
    dim = _dim_alias(dim, axis, "argmin")
    keepdim = _keep(keepdim, keepdims)
    return _argminmax(input, dim, keepdim, out, False)


# ------------------------------------------------------------ all / any / count_nonzero

cdef object _anyall(object input, object dim, bint keepdim, object out, bint is_any):
    cdef Tensor t = _tensor_arg(input, "any" if is_any else "all")
    cdef DType res = t._dtype if t._dtype._code == CT_UINT8 else t_bool
    # uint8: its own max (any) or min (all) is nonzero exactly when the
    # answer is true: no cast to bool of the whole tensor first
    cdef bint u8 = t._dtype._code == CT_UINT8 and t._storage.device < 0
    cdef Tensor b = t if u8 else _cast(t, t_bool)
    cdef list red = _red_dims(t, dim)
    cdef Py_ssize_t L = 1
    cdef int d
    for d in red:
        L *= t._shape[d]
    cdef Tensor v
    if L == 0:
        v = _empty_list([1 if d in red else t._shape[d] for d in _brange(t._ndim)] if keepdim
                        else [t._shape[d] for d in _brange(t._ndim) if d not in red],
                        t_bool, t._storage.device)
        if v._numel:
            _fill(v, not is_any)
    else:
        v, _ = _minmax(b, red, keepdim, is_any, True, False)
        if u8:
            v = _cast(v, t_bool)
    if res is not t_bool:
        v = _cast(v, res)
    cdef str name = "any" if is_any else "all"
    return _to_out(out, v, name, OUT_SAME, name + " only supports bool tensor for result, got: {out}")


def _any_fn(input, dim=None, keepdim=False, *, out=None, axis=None, keepdims=None):
    dim = _dim_alias(dim, axis, "any")
    keepdim = _keep(keepdim, keepdims)
    return _anyall(input, dim, keepdim, out, True)


def _all_fn(input, dim=None, keepdim=False, *, out=None, axis=None, keepdims=None):
    dim = _dim_alias(dim, axis, "all")
    keepdim = _keep(keepdim, keepdims)
    return _anyall(input, dim, keepdim, out, False)


def count_nonzero(input, dim=None, *, axis=None):
    dim = _dim_alias(dim, axis, "count_nonzero")
    cdef Tensor t = _tensor_arg(input, "count_nonzero")
    cdef const ct_backend *B = t._storage.backend
    cdef int64_t c
    cdef Tensor r
    if dim is None and B.count_nonzero_dense != NULL and _is_contiguous(t):
        # all of a dense tensor: one counting pass, no bool copy
        with nogil:
            c = B.count_nonzero_dense(t._dtype._code, t._data, t._numel)
        if c >= 0:
            r = _empty_list([], t_int64, t._storage.device)
            (<int64_t *>r._data)[0] = c
            return r
    return _sum(_cast(t, t_bool), _red_dims(t, dim) if t._ndim else None, False, t_int64)


# ------------------------------------------------------------ median

cdef int64_t _first_equal(Tensor p, Tensor v) except -1:
    """The first element of p (dense, on the host) equal to v, an element of
    it (0-d, same dtype): the first one with v's bits, where v is a float
    zero the first zero of either sign (v a NaN: the first NaN, as v is)."""
    cdef int es = p._dtype.itemsize
    cdef uint64_t vb = 0, mask = <uint64_t>-1, sign
    memcpy(&vb, v._data, es)
    if es < 8:
        mask = (<uint64_t>1 << (8 * es)) - 1
    if p._dtype._kind == K_FLOAT:
        sign = <uint64_t>1 << (8 * es - 1)
        if vb & ~sign & mask == 0:
            mask &= ~sign
            vb = 0
    cdef int64_t n = p._numel, k
    cdef const char *d = p._data
    with nogil:
        if es == 1:
            for k in range(n):
                if ((<const uint8_t *>d)[k] & mask) == vb:
                    return k
        elif es == 2:
            for k in range(n):
                if ((<const uint16_t *>d)[k] & mask) == vb:
                    return k
        elif es == 4:
            for k in range(n):
                if ((<const uint32_t *>d)[k] & mask) == vb:
                    return k
        else:
            for k in range(n):
                if ((<const uint64_t *>d)[k] & mask) == vb:
                    return k
    return 0


def median(input, dim=None, keepdim=False, *, out=None, axis=None, keepdims=None):
    dim = _dim_alias(dim, axis, "median")
    if isinstance(dim, (tuple, list)):
        raise TypeError(f"median(): argument 'dim' must be int, not {type(dim).__name__}")
    keepdim = _keep(keepdim, keepdims)
    cdef Tensor t = _tensor_arg(input, "median")
    if t._dtype.is_complex or t._dtype._code == CT_BOOL:
        raise NotImplementedError(f'"median_{_dev(t)}" not implemented for \'{_sname(t._dtype)}\'')
    cdef list red
    cdef Tensor v, i
    cdef ct_median_fn fn = t._storage.backend.median[t._dtype._code]
    if fn == NULL:
        raise NotImplementedError(f'"median_{_dev(t)}" not implemented for \'{_sname(t._dtype)}\'')
    cdef int rc = 0
    cdef int64_t *ip = NULL
    cdef int dev = t._storage.device
    if dim is None:
        v = _empty(0, NULL, t._dtype, dev)
        i = _empty(0, NULL, t_int64, dev)
        if t._numel == 0:
            if not t._dtype.is_floating_point:
                raise RuntimeError("median() input tensor cannot be empty")
            _fill(v, float("nan"))
            return v
        p = _dense_copy(_reshape(t, [t._numel]))
        ip = NULL if dev < 0 else <int64_t *>i._data
        with nogil:
            # on the host the value alone (the kernel's faster path); the
            # index the gradient goes to is then the first element equal to it
            rc = fn((<Tensor>p)._data, 1, (<Tensor>p)._numel, (<Tensor>p)._numel, v._data, ip)
        if rc:
            raise MemoryError()
        _check_device(t)
        if ip == NULL:
            (<int64_t *>i._data)[0] = _first_equal(<Tensor>p, v)
        record("median", v, (t,), (i,))
        return v
    red = _red_dims(t, dim)
    _check_nonempty_dims(t, red, "median")
    p, rows, L, ld, out_shape, keep_shape = _rows_layout(t, red)
    v = _empty_list(out_shape, t._dtype, dev)
    i = _empty_list(out_shape, t_int64, dev)
    cdef Py_ssize_t r_ = rows, l_ = L, ld_ = ld
    if r_ > 0:
        with nogil:
            rc = fn((<Tensor>p)._data, r_, l_, ld_, v._data, <int64_t *>i._data)
        if rc:
            raise MemoryError()
        _check_device(t)
    if keepdim:
        v = _reshape(v, keep_shape)
        i = _reshape(i, keep_shape)
    record("median.dim", v, (t,), (red[0] if red else 0, bool(keepdim), i))
    if out is not None:
        _out_pair(out, "median")
        _to_out(out[0], v, "median", OUT_SAME)
        _to_out(out[1], i, "median", OUT_SAME)
        return _named("median")(out[0], out[1])
    return _named("median")(v, i)


# ------------------------------------------------------------ prod

cdef DType _acc_dtype(DType dt):
    return t_int64 if dt._kind <= K_INT else dt


def prod(input, dim=None, keepdim=False, *, dtype=None, out=None, axis=None, keepdims=None):
    if ct_autocast and out is None:
        return _autocast_hook("prod", prod, (input, dim, keepdim), {"dtype": dtype, "axis": axis,
                              "keepdims": keepdims})
    dim = _dim_alias(dim, axis, "prod")
    keepdim = _keep(keepdim, keepdims)
    cdef Tensor t = _tensor_arg(input, "prod")
    cdef DType res = _as_dtype(dtype)
    if res is None:
        res = _acc_dtype(t._dtype)
    cdef DType comp = _acc_dtype(res)
    cdef Tensor c = _cast(t, comp) if t._dtype is not comp else t
    if isinstance(dim, (tuple, list)):
        raise TypeError(f"prod(): argument 'dim' must be int, not {type(dim).__name__}")
    cdef list red = _red_dims(t, dim) if dim is not None else list(_brange(t._ndim))
    cdef tuple cr = _cols_reduce(2, c, red, comp, True, False)
    cdef Tensor v
    cdef ct_prod_fn fn
    cdef Py_ssize_t r_, l_, ld_
    if cr is not None:
        v = cr[0]
        keep_shape = [1 if d in red else c._shape[d] for d in _brange(c._ndim)]
    else:
        p, rows, L, ld, out_shape, keep_shape = _rows_layout(c, red)
        v = _empty_list(out_shape, comp, c._storage.device)
        fn = c._storage.backend.prod[comp._code]
        if fn == NULL:
            raise NotImplementedError(f"\"prod_{_dev(c)}\" not implemented for '{_sname(comp)}'")
        r_, l_, ld_ = rows, L, ld
        if r_ > 0:
            with nogil:
                fn((<Tensor>p)._data, r_, l_, ld_, v._data)
            _check_device(c)
    if keepdim and dim is not None:
        v = _reshape(v, keep_shape)
    if res is not comp:
        v = _cast(v, res)
    if dim is None:
        record("prod", v, (t,), (None, False))
    else:
        record("prod.dim_int", v, (t,), (red[0] if red else None, bool(keepdim)))
    return _to_out(out, v, "prod", OUT_ANY if dtype is None else OUT_SAME)


# ------------------------------------------------------------ var / std

cdef tuple _var_args(object dim, object unbiased, object correction):
    if isinstance(dim, bool):
        unbiased, dim = dim, None
    if correction is not None and unbiased is not None:
        raise RuntimeError("Cannot pass both correction and unbiased arguments")
    cdef double c = 1.0
    if correction is not None:
        c = correction
    elif unbiased is not None:
        c = 1.0 if unbiased else 0.0
    return dim, c


cdef tuple _var_core(Tensor t, object dim, double c, bint keepdim, str name):
    """(var, mean) of t detached; mean is kept-dim shaped like the result."""
    if not (t._dtype.is_floating_point or t._dtype.is_complex):
        raise RuntimeError("std and var only support floating point and complex dtypes")
    cdef Tensor td = t.detach()
    cdef list red = _red_dims(t, dim)
    cdef Py_ssize_t n = 1
    for d in red:
        n *= t._shape[d]
    if n - c <= 0:
        import warnings
        warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction factor (input numel divided by output numel).", UserWarning, stacklevel=3)
    dims = red if t._ndim else None
    m = mean(td, dims, True)
    # nothing to average (n == 0) is nan whatever the correction, as PyTorch
    denom = n - c if n - c > 0 and n > 0 else 0.0
    ss = _sqdev_rows(td, red, <Tensor>m, keepdim) if n > 0 else None
    if ss is None:
        dv = td - m
        sq = dv * dv if not t._dtype.is_complex else _FUNCTIONS["abs"](dv) ** 2
        ss = _sum_fn(sq, dims, keepdim)
    v = ss / denom
    if not keepdim and t._ndim:
        m = _reshape(m, [t._shape[d] for d in _brange(t._ndim) if d not in red])
    return v, m, red, denom


cdef object _sqdev_rows(Tensor t, list red, Tensor m, bint keepdim):
    """sum((t - m)^2) over the dims red in one pass of the fused row kernel
    (CT_RROWS_SQDEV: each row's mean put in the output first), no
    temporaries; None where it does not apply (float32 / float64, and
    complex64 / complex128: both parts' squared deviations, the kernel's sum
    in the real part of a complex result, returned as a real view)."""
    if (t._dtype is not t_float32 and t._dtype is not t_float64 and
            t._dtype._kind != K_COMPLEX) or t._numel == 0:
        return None
    cdef const ct_reduce_rows_table *RR = <const ct_reduce_rows_table *>t._storage.backend
    if RR.reduce_rows == NULL:
        return None
    r = _rows_call(RR, 2, t, red if t._ndim else [], keepdim, m)
    if r is not None and t._dtype._kind == K_COMPLEX:
        r = r.real
    return r


cdef object _var_whole(Tensor t, double c, bint is_std, bint with_mean):
    """var / std (and the mean) of all of a dense float32 / float64 host
    tensor that needs no history, n - c > 0: _var_core's steps (the sum, the
    mean, the fused squared deviations seeded with it, the division) on raw
    0-d results, without its dim bookkeeping; None where the kernel
    declines."""
    cdef const ct_reduce_rows_table *RR = <const ct_reduce_rows_table *>t._storage.backend
    if RR.reduce_rows == NULL:
        return None
    cdef Py_ssize_t n = t._numel
    cdef Tensor m = <Tensor>_binary(CT_DIV, R_FLOAT, _sum(t, None, False, t._dtype), n, None, "div")
    cdef Tensor ss = _empty_list([], t._dtype, t._storage.device)
    memcpy(ss._data, m._data, t._dtype.itemsize)
    cdef int rc, code = t._dtype._code
    with nogil:
        rc = RR.reduce_rows(2, code, t._data, 1, n, n, ss._data)
    if rc != 0:
        return None
    v = ss / (n - c)
    if is_std:
        v = _FUNCTIONS["sqrt"](v)
    return (v, m) if with_mean else v


cdef object _var_dims(Tensor t, object dim, double c, bint keepdim, bint is_std, bint with_mean):
    """var / std (and the mean) over the dims `dim` of a float32 / float64
    host tensor that needs no history: the mean, the fused squared
    deviations seeded with it, the division, on fresh results without
    _var_core's steps; None where it does not apply (no reduced element,
    n - c <= 0, the kernel declines)."""
    cdef const ct_reduce_rows_table *RR = <const ct_reduce_rows_table *>t._storage.backend
    if RR.reduce_rows == NULL or t._numel == 0:
        return None
    cdef list red = _red_dims(t, dim)
    cdef Py_ssize_t n = 1
    for d in red:
        n *= t._shape[d]
    if n - c <= 0:
        return None
    cdef Tensor m = <Tensor>_binary(CT_DIV, R_FLOAT, _sum(t, red, False, t._dtype), n, None, "div")
    ss = _rows_call(RR, 2, t, red, keepdim, m)
    if ss is None:
        return None
    _binary(CT_DIV, R_FLOAT, ss, n - c, ss, "div", True)
    if is_std:
        ss = _FUNCTIONS["sqrt"](ss, out=ss)
    if not with_mean:
        return ss
    return ss, (_reshape(m, [1 if d in red else t._shape[d] for d in range(t._ndim)]) if keepdim else m)


cdef object _var_std(object input, object dim, object unbiased, bint keepdim, object correction,
                     object out, bint is_std, bint with_mean):
    cdef str name = "std" if is_std else "var"
    cdef Tensor t = _tensor_arg(input, name)
    dim, c = _var_args(dim, unbiased, correction)
    # half accumulates in float32 (as PyTorch): its squares overflow at 256
    cdef Tensor tc = t
    cdef bint low = t._dtype._code == CT_FLOAT16 or t._dtype._code == CT_BFLOAT16
    if (dim is None and out is None and not keepdim and t._ndim > 0 and t._numel > 0 and t._numel - c > 0
            and (t._dtype is t_float32 or t._dtype is t_float64 or low) and t._storage.device < 0
            and _is_contiguous(t) and not (_grad_mode() and _needs_grad(t))):
        r = _var_whole(_cast(t, t_float32) if low else t, c, is_std, with_mean)
        if r is not None:
            if not low:
                return r
            if with_mean:
                return (_cast(r[0], t._dtype), _cast(r[1], t._dtype))
            return _cast(r, t._dtype)
    if (dim is not None and out is None and t._ndim > 0 and t._storage.device < 0
            and (t._dtype is t_float32 or t._dtype is t_float64)
            and not (_grad_mode() and _needs_grad(t))):
        r = _var_dims(t, dim, c, keepdim, is_std, with_mean)
        if r is not None:
            return r
    if low:
        tc = _cast(t.detach(), t_float32)
    v, m, red, denom = _var_core(tc, dim, c, keepdim, name)
    if is_std:
        v = _FUNCTIONS["sqrt"](v)
    if tc is not t:
        v = _cast(v, t._dtype)
        m = _cast(m, t._dtype) if m is not None else None
    if _grad_mode() and _needs_grad(t):
        record("std" if is_std else "var", v, (t,), (red, bool(keepdim), denom))
        if with_mean:
            m = mean(t, red if t._ndim else None, keepdim)
    if with_mean:
        return (v, m)
    return _to_out(out, v, name, OUT_CAST)


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None, axis=None, keepdims=None):
    dim = _dim_alias(dim, axis, "var")
    keepdim = _keep(keepdim, keepdims)
    return _var_std(input, dim, unbiased, keepdim, correction, out, False, False)


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None, axis=None, keepdims=None):
    dim = _dim_alias(dim, axis, "std")
    keepdim = _keep(keepdim, keepdims)
    return _var_std(input, dim, unbiased, keepdim, correction, out, True, False)


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None, keepdims=None):
    dim = _dim_alias(dim, axis, "var_mean")
    keepdim = _keep(keepdim, keepdims)
    return _var_std(input, dim, unbiased, keepdim, correction, None, False, True)


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None, keepdims=None):
    dim = _dim_alias(dim, axis, "std_mean")
    keepdim = _keep(keepdim, keepdims)
    return _var_std(input, dim, unbiased, keepdim, correction, None, True, True)


# ------------------------------------------------------------ logsumexp

def logsumexp(input, dim=None, keepdim=False, *, out=None, axis=None, keepdims=None):
    dim = _dim_alias(dim, axis, "logsumexp")
    keepdim = _keep(keepdim, keepdims)
    _need_dim(dim, "logsumexp")
    cdef Tensor t = _tensor_arg(input, "logsumexp")
    if not (t._dtype.is_floating_point or t._dtype.is_complex):
        t = _cast(t, t_float32)
    cdef Tensor td = t.detach()
    cdef bint bf16 = t._dtype._code == CT_BFLOAT16
    if bf16:
        # computed in float32 and rounded once, as PyTorch does
        td = _cast(td, t_float32)
    cdef list red = _red_dims(t, dim)
    dims = red if t._ndim else None
    # float32 / float64: max, exp(x - max), their sum and log in one pass
    r = _fused_reduce(1, td, red, True)
    if r is None:
        if t._numel == 0 or t._dtype.is_complex:
            # complex numbers have no order: no max to shift by
            m = zeros([1 if d in red else t._shape[d] for d in _brange(t._ndim)], dtype=td.dtype,
                      device=t.device)
        else:
            m, _ = _minmax(td, red, True, True, True, False)
            m = where(_FUNCTIONS["isinf"](m), zeros((), dtype=td.dtype, device=t.device), m)
        s = _sum_fn(_FUNCTIONS["exp"](td - m), dims, True)
        r = _FUNCTIONS["log"](s) + m
    if bf16:
        r = _cast(r, t._dtype)
    if not keepdim and t._ndim:
        r = _reshape(r, [t._shape[d] for d in _brange(t._ndim) if d not in red])
    record("logsumexp", r, (t,), (red, bool(keepdim)))
    if out is not None and isinstance(out, Tensor) and not (<Tensor>out)._dtype.is_floating_point:
        raise RuntimeError(f"logsumexp(): Expected floating point type for result tensor, but got: "
                           f"{_SCALAR_NAMES[(<Tensor>out)._dtype._code]}")
    return _to_out(out, r, "logsumexp")


# ------------------------------------------------------------ scans along one dim

# the middle-dim scan member of the backend table (backend.h), under its C name
cdef extern from "backend.h" nogil:
    ctypedef struct ct_cum_inner_table "ct_backend":
        int (*cum_inner)(int dtype, const char *x, int64_t outer, int64_t len, int64_t inner,
                         int is_prod, char *out) noexcept nogil
        int (*softmax_dim)(int op, int dtype, const void *a, const void *b, int64_t outer,
                           int64_t len, int64_t inner, void *out) noexcept nogil


cdef Tensor _scan(Tensor t, int d, int kind, int is_log_or_prod, DType comp, object into=None):
    """kind 0: cumsum/cumprod in comp; kind 1: (log_)softmax in comp. into:
    a tensor (out=) that a scan along the last dim of a dense tensor writes
    in place of a new result where it already is one (dense, of t's shape,
    comp and device, apart from t's memory)."""
    if t._dtype is not comp:
        t = _cast(t, comp)
    if t._ndim == 0:
        t = _reshape(t, [1])
        r = _scan(t, 0, kind, is_log_or_prod, comp)
        return _reshape(r, [])
    cdef Py_ssize_t f_len = t._shape[t._ndim - 1], f_rows
    cdef Tensor f_out
    cdef ct_cum_fn f_cf
    cdef ct_softmax_fn f_sf
    if d == t._ndim - 1 and t._numel > 0 and _is_contiguous(t):
        # along the last dim of a dense tensor: its rows as they lie (what
        # the layout below gives it), without the layout's bookkeeping
        f_rows = t._numel // f_len
        f_cf = t._storage.backend.cum[comp._code]
        f_sf = t._storage.backend.softmax[comp._code]
        if (kind == 0 and f_cf != NULL) or (kind != 0 and f_sf != NULL):
            if into is not None and _into_ok(into, list(t.size()), comp, [t]):
                f_out = <Tensor>into
            else:
                f_out = _empty(t._ndim, t._shape, comp, t._storage.device)
            with nogil:
                if kind == 0:
                    f_cf(t._data, f_rows, f_len, f_len, is_log_or_prod, f_out._data)
                else:
                    f_sf(t._data, f_rows, f_len, f_len, is_log_or_prod, f_out._data)
            _check_device(t)
            return f_out
    cdef const ct_cum_inner_table *CB = <const ct_cum_inner_table *>t._storage.backend
    cdef int64_t c_outer = 1, c_inner = 1, c_len
    cdef int c_code = comp._code, c_prod = is_log_or_prod, c_rc, c_k
    cdef Tensor c_src, c_out
    cdef const char *c_sp
    cdef char *c_dp
    if (kind == 0 and is_log_or_prod in (0, 1) and CB.cum_inner != NULL and d < t._ndim - 1
            and (comp is t_float32 or comp is t_float64 or comp is t_int64
                 or comp._code == CT_FLOAT16 or comp._code == CT_BFLOAT16) and t._numel > 0):
        # a scan along a middle dim runs down the rows in place of a permuted copy
        for c_k in range(d):
            c_outer *= t._shape[c_k]
        for c_k in range(d + 1, t._ndim):
            c_inner *= t._shape[c_k]
        if c_inner > 1:
            c_len = t._shape[d]
            c_src = _contig(t, comp)
            c_out = _empty_list(list(t.size()), comp, t._storage.device)
            c_sp = c_src._data
            c_dp = c_out._data
            with nogil:
                c_rc = CB.cum_inner(c_code, c_sp, c_outer, c_len, c_inner, c_prod, c_dp)
            if c_rc == -2:
                raise MemoryError("cumulative scan: out of memory")
            if c_rc == 0:
                return c_out
    if (kind == 1 and CB.softmax_dim != NULL and d < t._ndim - 1 and t._numel > 0
            and (comp is t_float32 or comp is t_float64) and _is_contiguous(t)):
        # (log_)softmax along a middle dim of a dense tensor runs down the
        # columns in place of a permuted copy
        for c_k in range(d):
            c_outer *= t._shape[c_k]
        for c_k in range(d + 1, t._ndim):
            c_inner *= t._shape[c_k]
        # (narrower columns go faster as rows of a permuted copy)
        if c_inner >= 16:
            c_len = t._shape[d]
            c_out = _empty_list(list(t.size()), comp, t._storage.device)
            c_sp = t._data
            c_dp = c_out._data
            with nogil:
                c_rc = CB.softmax_dim(is_log_or_prod, c_code, c_sp, NULL, c_outer, c_len, c_inner,
                                      c_dp)
            if c_rc == 0:
                _check_device(t)
                return c_out
    p, rows, L, ld, perm = _scan_layout(t, d)
    cdef Tensor pp = <Tensor>p
    cdef Tensor o = _empty_list(list(pp.size()), comp, pp._storage.device)
    cdef Py_ssize_t r_ = rows, l_ = L, ld_ = ld
    cdef ct_cum_fn cf = pp._storage.backend.cum[comp._code]
    cdef ct_softmax_fn sf = pp._storage.backend.softmax[comp._code]
    if (kind == 0 and cf == NULL) or (kind != 0 and sf == NULL):
        raise NotImplementedError(f"\"{'cumsum' if kind == 0 else 'softmax'}_{_dev(pp)}\" not implemented for '{_sname(comp)}'")
    if r_ > 0 and l_ > 0:
        if kind == 0:
            with nogil:
                cf(pp._data, r_, l_, ld_, is_log_or_prod, o._data)
        else:
            with nogil:
                sf(pp._data, r_, l_, ld_, is_log_or_prod, o._data)
        _check_device(pp)
    return _scan_back(o, perm)


cdef object _cum(object input, object dim, object dtype, object out, bint is_prod):
    cdef str name = "cumprod" if is_prod else "cumsum"
    cdef Tensor t = _tensor_arg(input, name)
    cdef int d = _wrap_dim(dim, t._ndim)
    cdef DType res = _as_dtype(dtype)
    if res is None:
        res = _acc_dtype(t._dtype)
    cdef DType comp = _acc_dtype(res)
    # an out= of the result's dtype taken as the result where the scan can
    # write it (_scan's _into_ok)
    into = out if res is comp else None
    cdef Tensor r = _scan(t, d, 0, is_prod, comp, into)
    if r is out:
        _bump(r)
        return r
    if res is not comp:
        r = _cast(r, res)
    record("cumprod" if is_prod else "cumsum", r, (t,), (d,))
    return _to_out(out, r, name, OUT_ANY if dtype is None else OUT_SAME)


def cumsum(input, dim=None, *, dtype=None, out=None, axis=None):
    if ct_autocast & 2 and out is None:
        return _autocast_hook("cumsum", cumsum, (input, dim), {"dtype": dtype, "axis": axis})
    dim = _dim_alias(dim, axis, "cumsum")
    _need_dim(dim, "cumsum")
    return _cum(input, dim, dtype, out, False)


def cumprod(input, dim=None, *, dtype=None, out=None, axis=None):
    if ct_autocast & 2 and out is None:
        return _autocast_hook("cumprod", cumprod, (input, dim), {"dtype": dtype, "axis": axis})
    dim = _dim_alias(dim, axis, "cumprod")
    _need_dim(dim, "cumprod")
    return _cum(input, dim, dtype, out, True)


cdef object _softmax(object input, object dim, object dtype, bint is_log):
    cdef str name = "log_softmax" if is_log else "softmax"
    cdef Tensor t = _tensor_arg(input, name)
    if dim is None:
        raise TypeError(f'{name}() missing 1 required positional arguments: "dim"')
    cdef int d = _wrap_dim(dim, t._ndim)
    cdef DType res = _as_dtype(dtype)
    if res is None:
        res = t._dtype
    if not res.is_floating_point:
        kern = "log_softmax_lastdim_kernel_impl" if is_log else "softmax_kernel_impl"
        raise NotImplementedError(f'"{kern}" not implemented for \'{_sname(res)}\'')
    cdef DType comp = t_float64 if res is t_float64 else t_float32
    cdef Tensor r = _scan(t.detach(), d, 1, is_log, comp)
    if res is not comp:
        r = _cast(r, res)
    record("log_softmax" if is_log else "softmax", r, (t,), (d,))
    return r


def _softmax_backward_dense(grad, result, int dim, bint is_log):
    """The gradient of softmax (is_log 0) or log_softmax along dim from the
    output's gradient and the output, in one kernel: None where the kernel
    does not apply (dtypes other than float32/float64, mixed dtypes or
    shapes, a device without it)."""
    if not isinstance(grad, Tensor) or not isinstance(result, Tensor):
        return None
    cdef Tensor g = <Tensor>grad, y = <Tensor>result
    cdef DType dt = y._dtype
    if (g._dtype is not dt or (dt is not t_float32 and dt is not t_float64)
            or g._storage.device != y._storage.device or g._ndim != y._ndim):
        return None
    cdef const ct_cum_inner_table *CB = <const ct_cum_inner_table *>y._storage.backend
    if CB.softmax_dim == NULL:
        return None
    cdef int nd = y._ndim, k, rc
    cdef int d = _wrap_dim(dim, nd) if nd else 0
    for k in range(nd):
        if g._shape[k] != y._shape[k]:
            return None
    cdef int64_t outer = 1, inner = 1, L = y._shape[d] if nd else 1
    for k in range(d):
        outer *= y._shape[k]
    for k in range(d + 1, nd):
        inner *= y._shape[k]
    g = _contig(g, dt)
    y = _contig(y, dt)
    cdef Tensor o = _empty_list(list(y.size()), dt, y._storage.device)
    cdef const char *gp = g._data
    cdef const char *yp = y._data
    cdef char *op = o._data
    cdef int code = dt._code, kop = 3 if is_log else 2
    if y._numel > 0:
        with nogil:
            rc = CB.softmax_dim(kop, code, gp, yp, outer, L, inner, op)
        if rc != 0:
            return None
        _check_device(y)
    return o


def softmax(input, dim=None, dtype=None, *, _stacklevel=3, axis=None):
    if ct_autocast & 2:
        return _autocast_hook("softmax", softmax, (input, dim), {"dtype": dtype, "axis": axis})
    dim = _dim_alias(dim, axis, "softmax")
    return _softmax(input, dim, dtype, False)


def log_softmax(input, dim=None, dtype=None, *, _stacklevel=3, axis=None):
    if ct_autocast & 2:
        return _autocast_hook("log_softmax", log_softmax, (input, dim), {"dtype": dtype, "axis": axis})
    dim = _dim_alias(dim, axis, "log_softmax")
    return _softmax(input, dim, dtype, True)


for _m_name, _m_fn in (("max", _max_fn), ("min", _min_fn), ("amax", amax), ("amin", amin),
                       ("argmax", argmax), ("argmin", argmin), ("any", _any_fn), ("all", _all_fn),
                       ("count_nonzero", count_nonzero), ("median", median), ("prod", prod),
                       ("var", var), ("std", std), ("logsumexp", logsumexp), ("cumsum", cumsum),
                       ("cumprod", cumprod), ("softmax", softmax), ("log_softmax", log_softmax)):
    _add_method(_m_name, _m_fn)


# ------------------------------------------------------------ nansum / nanmean

cdef Tensor _nansum(Tensor t, object dim, bint keepdim, DType res, str name):
    """Sum of t's non-NaN elements over dim, in dtype res."""
    if t._dtype.is_complex:
        raise RuntimeError(f"nansum on {_dev(t).upper()} does not support complex inputs")
    if not t._dtype.is_floating_point:
        return _sum(t, dim, keepdim, res)           # integers hold no NaN
    cdef DType comp = res if res.is_floating_point else t._dtype
    cdef Tensor c = _cast(t, comp) if t._dtype is not comp else t
    cdef list red = _reduce_dims(c, dim)
    cdef tuple cr = _cols_reduce(3, c, red, comp, True, False)
    cdef Tensor out
    if cr is not None:
        out = cr[0]
        if keepdim:
            out = _reshape(out, [1 if d in red else c._shape[d] for d in _brange(c._ndim)])
        return _cast(out, res) if res is not comp else out
    p, rows, L, ld, out_shape, keep_shape = _rows_layout(c, red)
    cdef Tensor pp = <Tensor>p
    out = _empty_list(out_shape, comp, c._storage.device)
    cdef ct_sum_rows_fn fn = c._storage.backend.nansum_rows[comp._code]
    if fn == NULL:
        raise NotImplementedError(f"\"{name}_{_dev(c)}\" not implemented for '{_sname(comp)}'")
    cdef Py_ssize_t r_ = rows, l_ = L, ld_ = ld
    if r_ > 0:
        if l_ == 0:
            _fill(out, 0)
        else:
            with nogil:
                fn(pp._data, r_, l_, ld_, out._data)
            _check_device(c)
    if keepdim:
        out = _reshape(out, keep_shape)
    if res is not comp:
        out = _cast(out, res)
    return out


def nansum(input, dim=None, keepdim=False, *, dtype=None, out=None, axis=None, keepdims=None):
    cdef Tensor t = _tensor_arg(input, "nansum")
    dim = _dim_alias(dim, axis, "nansum")
    keepdim = bool(_keep(keepdim, keepdims))
    cdef DType res = _sum_dtype(t, dtype)
    if out is not None and isinstance(out, Tensor) and dtype is None and t._dtype.is_floating_point \
            and not (<Tensor>out)._dtype.is_floating_point:
        raise NotImplementedError(f"\"nansum_{_dev(t)}\" not implemented for '{_sname((<Tensor>out)._dtype)}'")
    cdef Tensor r = _nansum(t, dim, keepdim, res, "nansum")
    if _grad_mode() and _needs_grad(t):
        dims = None
        if dim is not None and not (isinstance(dim, (tuple, list)) and len(dim) == 0):
            dims = _reduce_dims(t, dim)
        record("nansum", r, (t,), (tuple(dims) if dims is not None else None, keepdim))
    return _to_out(out, r, "nansum", OUT_ANY if dtype is None else OUT_SAME)


def nanmean(input, dim=None, keepdim=False, *, dtype=None, out=None, axis=None, keepdims=None):
    """nansum over the count of non-NaN elements (PyTorch composes it so too:
    its gradient is the division's)."""
    cdef Tensor t = _tensor_arg(input, "nanmean")
    dim = _dim_alias(dim, axis, "nanmean")
    keepdim = bool(_keep(keepdim, keepdims))
    if not (t._dtype.is_floating_point or t._dtype.is_complex):
        raise RuntimeError(f"nanmean(): expected input to have floating point or complex dtype but got "
                           f"{_SCALAR_NAMES[t._dtype._code]}")
    cdef DType dt = _as_dtype(dtype)
    if dt is None:
        dt = t._dtype
    s = nansum(t, dim, keepdim, dtype=dt)
    cnt = _sum(_FUNCTIONS["eq"](t.detach(), t.detach()), dim, keepdim, t_int64)
    r = s / cnt
    return _to_out(out, r, "nanmean", OUT_CAST)


# ------------------------------------------------------------ aminmax

def aminmax(input, *, dim=None, keepdim=False, out=None, axis=None, keepdims=None):
    """(min, max) in one call: amin and amax in one pass over a full
    reduction's values, in two passes of the max/min kernels otherwise."""
    cdef Tensor t = _tensor_arg(input, "aminmax")
    dim = _dim_alias(dim, axis, "aminmax")
    keepdim = bool(_keep(keepdim, keepdims))
    if t._dtype.is_complex:
        raise NotImplementedError(f'"aminmax_{_dev(t)}" not implemented for \'{_sname(t._dtype)}\'')
    cdef list red
    if dim is None:
        if t._numel == 0:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the "
                               "operation has no identity.")
        red = list(_brange(t._ndim))
    else:
        if isinstance(dim, (tuple, list)):
            raise TypeError(f"aminmax(): argument 'dim' must be int, not {type(dim).__name__}")
        red = _red_dims(t, dim)
        for d in red:
            if t._shape[d] == 0:
                raise IndexError(f"aminmax: Expected reduction dim {d} to have non-zero size.")
    mn, mx = _minmax_both(t, red, keepdim)
    if _grad_mode() and _needs_grad(t):
        record("aminmax", (mn, mx), (t,), (red, keepdim))
    if out is not None:
        _out_pair(out, "aminmax")
        for o in out:
            if (<Tensor>o)._dtype is not t._dtype:
                raise RuntimeError(f"Expected out tensor to have dtype {_CXX_NAMES[t._dtype._code]}, "
                                   f"but got {_CXX_NAMES[(<Tensor>o)._dtype._code]} instead")
        _to_out(out[0], mn, "aminmax", OUT_SAME)
        _to_out(out[1], mx, "aminmax", OUT_SAME)
        return _named2("aminmax", out[0], out[1])
    return _named2("aminmax", mn, mx)


# ------------------------------------------------------------ cummax / cummin / logcumsumexp

# the middle-dim cummax / cummin member of the backend table (backend.h), under its C name
cdef extern from "backend.h" nogil:
    ctypedef struct ct_cumext_inner_table "ct_backend":
        int (*cumext_inner)(int dtype, const void *x, int64_t outer, int64_t len, int64_t inner,
                            int is_max, void *val, int64_t *idx) noexcept nogil


cdef tuple _cumext_inner(Tensor t, int d, bint is_max):
    """(values, indices) of cummax / cummin along a middle dim d of t, down the
    rows in place of a permuted copy; None where the backend has no kernel for
    t's dtype."""
    cdef const ct_cumext_inner_table *CB = <const ct_cumext_inner_table *>t._storage.backend
    if CB.cumext_inner == NULL:
        return None
    cdef int64_t outer = 1, inner = 1, L = t._shape[d]
    cdef int k, rc
    for k in range(d):
        outer *= t._shape[k]
    for k in range(d + 1, t._ndim):
        inner *= t._shape[k]
    cdef Tensor c = _contig(t, t._dtype)
    cdef Tensor v = _empty_list(list(t.size()), t._dtype, t._storage.device)
    cdef Tensor i = _empty_list(list(t.size()), t_int64, t._storage.device)
    cdef int code = t._dtype._code
    with nogil:
        rc = CB.cumext_inner(code, c._data, outer, L, inner, is_max, v._data, <int64_t *>i._data)
    return None if rc else (v, i)


cdef object _cumext(object input, object dim, object out, bint is_max):
    cdef str name = "cummax" if is_max else "cummin"
    cdef Tensor t = _tensor_arg(input, name)
    _need_dim(dim, name)
    cdef int d = _wrap_dim(dim, t._ndim)
    cdef ct_cumext_fn fn = t._storage.backend.cumext[t._dtype._code]
    if fn == NULL:
        raise NotImplementedError(f"\"{name}_{_dev(t)}\" not implemented for '{_sname(t._dtype)}'")
    if out is not None:
        _out_pair(out, name)
        if (<Tensor>out[0])._dtype is not t._dtype or (<Tensor>out[1])._dtype is not t_int64:
            bad = out[0] if (<Tensor>out[0])._dtype is not t._dtype else out[1]
            want = t._dtype if bad is out[0] else t_int64
            raise RuntimeError(f"expected scalar_type {_SCALAR_NAMES[want._code]} but found "
                               f"{_SCALAR_NAMES[(<Tensor>bad)._dtype._code]}")
    cdef Tensor src = _reshape(t, [1]) if t._ndim == 0 else t
    cdef tuple vi = None
    if d < t._ndim - 1 and t._numel > 0:
        vi = _cumext_inner(t, d, is_max)
    cdef Tensor pp, v, i
    cdef list shape
    cdef int dev = t._storage.device
    cdef Py_ssize_t r_, l_, ld_
    if vi is not None:
        v, i = vi
    else:
        p, rows, L, ld, perm = _scan_layout(src, 0 if t._ndim == 0 else d)
        pp = <Tensor>p
        shape = list(pp.size())
        v = _empty_list(shape, t._dtype, dev)
        i = _empty_list(shape, t_int64, dev)
        r_, l_, ld_ = rows, L, ld
        if r_ > 0 and l_ > 0:
            with nogil:
                fn(pp._data, r_, l_, ld_, is_max, v._data, <int64_t *>i._data)
            _check_device(t)
        v = _scan_back(v, perm)
        i = _scan_back(i, perm)
    if t._ndim == 0:
        v = _reshape(v, [])
        i = _reshape(i, [])
    if _grad_mode() and _needs_grad(t):
        record(name, v, (t,), (d, i))
    if out is not None:
        _to_out(out[0], v, name, OUT_SAME)
        _to_out(out[1], i, name, OUT_SAME)
        return _named2(name, out[0], out[1])
    return _named2(name, v, i)


def cummax(input, dim=None, *, out=None, axis=None):
    return _cumext(input, _dim_alias(dim, axis, "cummax"), out, True)


def cummin(input, dim=None, *, out=None, axis=None):
    return _cumext(input, _dim_alias(dim, axis, "cummin"), out, False)


def logcumsumexp(input, dim=None, *, out=None, axis=None):
    cdef Tensor t = _tensor_arg(input, "logcumsumexp")
    dim = _dim_alias(dim, axis, "logcumsumexp")
    _need_dim(dim, "logcumsumexp")
    cdef int d = _wrap_dim(dim, t._ndim)
    if not t._dtype.is_floating_point:
        if t._dtype.is_complex:
            raise NotImplementedError(f"\"logcumsumexp_{_dev(t)}\" not implemented for '{_sname(t._dtype)}'")
        raise NotImplementedError(f"\"logcumsumexp_out_{_dev(t)}\" not implemented for '{_sname(t._dtype)}'")
    cdef Tensor r = _scan(t.detach(), d, 0, 2, t._dtype)
    record("logcumsumexp", r, (t,), (d,))
    return _to_out(out, r, "logcumsumexp")


cdef object _cum_inplace(Tensor self, object dim, object dtype, bint is_prod):
    """cumsum_/cumprod_: the scan written back into self (same dtype only)."""
    cdef str name = "cumprod" if is_prod else "cumsum"
    cdef DType dt = _as_dtype(dtype)
    if dt is not None and dt is not self._dtype:
        raise RuntimeError(f"Bad in-place call: input tensor dtype {_CXX_NAMES[self._dtype._code]} and "
                           f"output tensor dtype {_CXX_NAMES[dt._code]} should match")
    if self._dtype._code == CT_BOOL:
        raise NotImplementedError(f"\"{name}_out_{_dev(self)}\" not implemented for 'Bool'")
    if _grad_mode() and _needs_grad(self):
        if self._grad_fn is None:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
        return _inplace_with_graph(self, lambda s: _cum(s, dim, None, None, is_prod))
    return self.copy_(_cum(self, dim, None, None, is_prod))


def _cumsum_(self, dim=None, *, dtype=None, axis=None):
    dim = _dim_alias(dim, axis, "cumsum_")
    _need_dim(dim, "cumsum_")
    return _cum_inplace(_tensor_arg(self, "cumsum_"), dim, dtype, False)


def _cumprod_(self, dim=None, *, dtype=None, axis=None):
    dim = _dim_alias(dim, axis, "cumprod_")
    _need_dim(dim, "cumprod_")
    return _cum_inplace(_tensor_arg(self, "cumprod_"), dim, dtype, True)


for _m_name, _m_fn in (("nansum", nansum), ("nanmean", nanmean), ("aminmax", aminmax),
                       ("cummax", cummax), ("cummin", cummin), ("logcumsumexp", logcumsumexp),
                       ("cumsum_", _cumsum_), ("cumprod_", _cumprod_)):
    _add_method(_m_name, _m_fn)
