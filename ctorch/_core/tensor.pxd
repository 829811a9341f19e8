# Tensor: a storage + offset + sizes/strides (in elements) + dtype, with the
# autograd fields; the layout helpers every op uses. The public Tensor class
# (ctorch._tensor) derives from it and adds the methods that run ops.

from ctorch._core.dtype cimport DType
from ctorch._core.storage cimport Storage

cdef enum:
    SMALL = 8           # tensors up to this many dims keep sizes/strides inline


cdef class Tensor:
    cdef Storage _storage
    cdef char *_data
    cdef Py_ssize_t _offset
    cdef int _ndim
    cdef Py_ssize_t _numel
    cdef Py_ssize_t *_shape
    cdef Py_ssize_t *_stride
    cdef Py_ssize_t _small[2 * SMALL]
    cdef DType _dtype
    cdef object _base
    # autograd state
    cdef public bint _requires_grad
    cdef public object _grad
    cdef public object _grad_fn
    cdef public int _output_nr
    cdef public bint _retains_grad
    cdef public object _backward_hooks
    cdef object _grad_acc_ref
    cdef Py_ssize_t _attr_version       # a view: the storage version its grad_fn was made at
    cdef object __weakref__

    cdef void _take(self, Tensor src)
    cdef int _set_layout(self, int ndim, const Py_ssize_t *shape, const Py_ssize_t *stride) except -1
    cdef object _scalar_value(self, str what)
    cdef int _check_cpu(self, str what) except -1


# The operators of Tensor forward to these C functions. Each is filled by the
# module that implements it, when it is imported (ctorch imports them all):
# arithmetic, comparisons and the unary operators by the elementwise ops,
# matmul by the products, [] by indexing, `in` by the reductions, Tensor(...)
# and repr by creation. Binary entries take the operands in the order Python wrote them
# and may return NotImplemented.
ctypedef object (*binaryfunc)(object, object)
ctypedef object (*unaryfunc)(object)

cdef struct TensorSlots:
    binaryfunc add, sub, mul, truediv, floordiv, mod, pow, matmul
    binaryfunc and_, or_, xor, lshift, rshift
    binaryfunc eq, ne, lt, le, gt, ge
    unaryfunc neg, abs, invert
    object (*inplace)(object self, object other, str name)     # x op= y, name "add", "mul", ...
    binaryfunc getitem
    int (*setitem)(object self, object index, object value) except -1
    int (*init)(object self, tuple args, dict kwargs) except -1   # torch.Tensor(...)
    unaryfunc iter
    unaryfunc repr
    int (*contains)(object self, object element) except -1

cdef TensorSlots _slots

# grad mode (per thread); autograd/_node wraps these as _grad_mode/_set_grad_mode
cdef int _core_grad_mode() noexcept nogil
cdef void _core_set_grad_mode(int on) noexcept nogil

cdef int _add_method(str name, object fn) except -1       # installs Tensor.<name>
cdef bint _is_operand_slow(object x) except -1

cdef inline bint _is_operand(object x) except -1:
    """A tensor, a number, or array-like: what the operators take."""
    if type(x) is Tensor or type(x) is float or type(x) is int:
        return True
    return _is_operand_slow(x)

cdef inline void _bump(Tensor t) noexcept:
    """An in-place write: every tensor on the storage sees a new version."""
    t._storage.version += 1


cdef inline bint _needs_grad(object x) noexcept:
    """x is a tensor that autograd follows: a leaf that requires grad, a result,
    or a view of a result (whose history follows its base's)."""
    if not isinstance(x, Tensor):
        return False
    cdef Tensor t = <Tensor>x
    if t._requires_grad or t._grad_fn is not None:
        return True
    return t._base is not None and (<Tensor>t._base)._grad_fn is not None


cdef inline char *_data_or_null(object t) noexcept:
    """A tensor's data pointer, NULL for None (an optional kernel operand)."""
    return NULL if t is None else (<Tensor>t)._data


cdef inline bint _is_contiguous(Tensor t) noexcept:
    cdef Py_ssize_t acc = 1
    cdef int d
    for d in range(t._ndim - 1, -1, -1):
        if t._shape[d] != 1:
            if t._stride[d] != acc:
                return t._numel == 0
            acc *= t._shape[d]
    return True


cdef inline bint _stride_after(Tensor t, int a, int b) noexcept:
    """dim a goes after dim b in _perm_dense's order."""
    if t._shape[a] == 1:
        return t._shape[b] != 1
    if t._shape[b] == 1:
        return False
    return t._stride[a] < t._stride[b]


cdef inline bint _perm_dense(Tensor t, int *order) noexcept:
    """order[k]: t's dims by decreasing stride (size-1 dims last; in
    order when t is contiguous), when t is a permutation of a dense tensor
    (positive strides, no gaps, no overlap); False otherwise."""
    cdef int nd = t._ndim, k, j, d
    cdef Py_ssize_t acc = 1
    for k in range(nd):
        order[k] = k
    if _is_contiguous(t):
        return True
    # insertion sort: larger strides first, size-1 dims after all others
    for k in range(1, nd):
        d = order[k]
        j = k - 1
        while j >= 0 and _stride_after(t, order[j], d):
            order[j + 1] = order[j]
            j -= 1
        order[j + 1] = d
    for k in range(nd - 1, -1, -1):
        d = order[k]
        if t._shape[d] == 1:
            continue
        if t._stride[d] != acc:
            return False
        acc *= t._shape[d]
    return True


cdef inline Py_ssize_t _batch_stride(Tensor t, Py_ssize_t mat) noexcept:
    """The element stride between the matrices (the last two dims, `mat`
    elements each) of t's batch: 0 when the batch is broadcast (or one
    matrix), mat when it is dense, -1 for another layout."""
    cdef Py_ssize_t acc = mat
    cdef bint zero = True, dense = True
    cdef int d
    for d in range(t._ndim - 3, -1, -1):
        if t._shape[d] == 1:
            continue
        if t._stride[d] != 0:
            zero = False
        if t._stride[d] != acc:
            dense = False
        acc *= t._shape[d]
    return 0 if zero else (mat if dense else -1)


cdef inline bint _same_shape(Tensor a, Tensor b) noexcept:
    if a._ndim != b._ndim:
        return False
    cdef int d
    for d in range(a._ndim):
        if a._shape[d] != b._shape[d]:
            return False
    return True


# -------------------------------------------------------------- making tensors
cdef Tensor _make_tensor(Storage st, Py_ssize_t offset, int ndim, const Py_ssize_t *shape,
                             const Py_ssize_t *stride, DType dt)
cdef Tensor _empty(int ndim, const Py_ssize_t *shape, DType dt, int device=*)
cdef Tensor _empty_like(Tensor t, DType dt)
cdef Tensor _empty_preserve(Tensor t, DType dt)
cdef Tensor _empty_format(Tensor t, DType dt, object memory_format)
cdef int _format_rank(object memory_format) except -1
cdef bint _is_channels_last(Tensor t, int rank) noexcept
cdef Tensor _empty_channels_last(Tensor t, DType dt, int rank)
cdef Tensor _empty_list(list shape, DType dt, int device=*)
cdef Tensor _make_view(Tensor src, Py_ssize_t offset, list shape, list stride)
cdef Tensor _make_view_plain(Tensor src, Py_ssize_t offset, list shape, list stride)
cdef Tensor _view_raw(Tensor src, Py_ssize_t offset, int ndim, const Py_ssize_t *shape,
                          const Py_ssize_t *stride)
cdef Tensor _alias(Tensor src)
cdef Tensor _alias_view(Tensor src)

# --------------------------------------------------------------- layout helpers
cdef void _contiguous_strides(int ndim, const Py_ssize_t *shape, Py_ssize_t *out) noexcept
cdef bint _compute_view_strides(Tensor t, int n, const Py_ssize_t *sh, Py_ssize_t *st) noexcept
cdef int _wrap_dim(object dim, int ndim) except -1
cpdef object _dim_alias(object dim, object axis, str name, object default=*)   # dim= or axis=
cpdef object _required(object value, str name, str arg)   # an argument a dim= default put after
cdef object _int_of_tensor(object v)   # a one-element integer tensor as its int (else v)
cdef Py_ssize_t _check_index(object index, Py_ssize_t size, int dim) except? -1
cdef list _parse_size(tuple args, str fname, bint allow_neg=*)
cdef list _parse_dims(tuple args, str fname)
cdef list _infer_size(list shape, Py_ssize_t numel)
cdef str _fmt_shape(object shape)

# --------------------------------------------------------- elements and numpy
cdef object _read_scalar(const char *p, int code)
cdef object _tolist(const char *p, int ndim, const Py_ssize_t *shape, const Py_ssize_t *stride, DType dt)
cdef object _np_mod                     # numpy once imported, else None
cdef object _np()                       # numpy, imported on first use
cdef object _to_numpy(Tensor t)
cdef dict _NP_KIND                      # numpy type string ("f4") -> dtype code
