# Reductions: sum and mean over any set of dims. The reduced dims are moved
# innermost (a view), so that each output is the sum of one dense run (the
# rows kernel); a reduction over the leading dims of a contiguous tensor uses
# the columns kernel instead of copying. Anything else is copied dense first.


cdef Tensor _sum(Tensor t, object dim, bint keepdim, DType res):
    """Sum of t over dim in dtype res (t is converted to res first)."""
    cdef list red = _reduce_dims(t, dim)
    cdef DType comp = t_int64 if res._kind <= K_INT else res
    if t._dtype is not comp:
        t = _cast(t, comp)
    cdef int nd = t._ndim, d
    cdef list kept = [d for d in builtins_range(nd) if d not in red]
    out_shape = [t._shape[d] for d in kept]
    keep_shape = [1 if d in red else t._shape[d] for d in builtins_range(nd)]
    cdef Tensor out = _empty_list(out_shape, comp)
    cdef Py_ssize_t rows = out._numel, L = 1
    for d in red:
        L *= t._shape[d]
    if rows == 0:
        pass
    elif L == 0:
        memset(out._data, 0, rows * comp.itemsize)
    elif nd == 0:
        memcpy(out._data, t._data, comp.itemsize)
    else:
        _sum_kernel(t, kept, red, rows, L, out)
    if keepdim:
        out = _reshape(out, keep_shape)
    if res is not comp:
        out = _cast(out, res)
    return out


cdef int _sum_kernel(Tensor t, list kept, list red, Py_ssize_t rows, Py_ssize_t L, Tensor out) except -1:
    cdef ct_sum_rows_fn rfn = t._storage.backend.sum_rows[t._dtype._code]
    cdef ct_sum_cols_fn cfn = t._storage.backend.sum_cols[t._dtype._code]
    cdef int k = len(red)
    cdef Tensor p
    cdef Py_ssize_t ld
    # leading dims of a contiguous tensor: column sums, no copy
    if _is_contiguous(t) and red == list(builtins_range(k)) and rows > 1:
        with nogil:
            cfn(t._data, L, rows, rows, out._data)
        return 0
    p = _permute(t, kept + red)
    if not _dense_inner(p, len(kept), &ld):
        p = clone(p)
        ld = L
    with nogil:
        rfn(p._data, rows, L, ld, out._data)
    return 0


cdef DType _sum_dtype(Tensor t, object dtype):
    cdef DType dt = _as_dtype(dtype)
    if dt is not None:
        return dt
    return t_int64 if t._dtype._kind <= K_INT else t._dtype


def _sum_fn(input, dim=None, keepdim=False, *, dtype=None, out=None):
    cdef Tensor t = _tensor_arg(input, "sum")
    cdef Tensor r = _sum(t, dim, keepdim, _sum_dtype(t, dtype))
    _record_reduce(r, t, "sum", dim, keepdim)
    if out is not None:
        (<Tensor?>out).copy_(r)
        return out
    return r


def mean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    cdef Tensor t = _tensor_arg(input, "mean")
    cdef DType dt = _as_dtype(dtype)
    if dt is None:
        dt = t._dtype
    if dt._kind <= K_INT:
        raise RuntimeError(f"mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: {_SCALAR_NAMES[dt._code]}")
    cdef Py_ssize_t count = 1
    for d in _reduce_dims(t, dim):
        count *= t._shape[d]
    cdef Tensor s = _sum(t, dim, keepdim, dt)
    cdef Tensor r = _binary(CT_DIV, R_FLOAT, s, count if count else float("nan"), None, "div")
    _record_reduce(r, t, "mean", dim, keepdim)
    if out is not None:
        (<Tensor?>out).copy_(r)
        return out
    return r


def sum_to_size(input, *size):
    """Sums broadcast dims away so that input gets `size` (the adjoint of expand)."""
    cdef Tensor t = _tensor_arg(input, "sum_to_size")
    cdef list target = _parse_size(size, "sum_to_size")
    cdef int lead = t._ndim - len(target), d
    if lead < 0:
        raise RuntimeError(f"size {{{_fmt_shape(target)}}} is not expandable to size {{{_fmt_shape(t.size())}}}.")
    dims = list(builtins_range(lead))
    for d in builtins_range(len(target)):
        if target[d] == 1 and t._shape[lead + d] != 1:
            dims.append(lead + d)
        elif target[d] != t._shape[lead + d]:
            raise RuntimeError(f"size {{{_fmt_shape(target)}}} is not expandable to size {{{_fmt_shape(t.size())}}}.")
    if not dims:
        return t
    return _reshape(_sum(t, dims, True, t._dtype), target)


_add_method("sum", _sum_fn)
_add_method("mean", mean)
_add_method("sum_to_size", sum_to_size)


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """Vector p-norms over dim (all elements by default), written with sum so
    that autograd differentiates it through its parts."""
    cdef Tensor t = _tensor_arg(input, "norm")
    if not (t._dtype.is_floating_point or t._dtype.is_complex):
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got {_SCALAR_NAMES[t._dtype._code]}")
    if dtype is not None:
        t = t.to(dtype)
    a = _FUNCTIONS["abs"](t)
    if p == "fro" or p == 2 or p is None:
        return _FUNCTIONS["sqrt"](_sum_fn(a * a, dim, keepdim))
    if p == 1:
        return _sum_fn(a, dim, keepdim)
    if isinstance(p, (int, float)) and p not in (0, float("inf"), float("-inf")) and p == p:
        return _FUNCTIONS["pow"](_sum_fn(_FUNCTIONS["pow"](a, p), dim, keepdim), 1.0 / p)
    raise NotImplementedError(f"norm with p={p!r} is not available yet in ctorch")


_add_method("norm", norm)
