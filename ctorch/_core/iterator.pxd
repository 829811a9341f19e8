# The elementwise machinery every op shares: result types, broadcasting, the
# strided iteration space launched on a backend, output allocation, and the
# raw (history-free) copy, cast and fill.

from libc.stdint cimport int64_t
from ctorch._core.dtype cimport DType, CT_MAXDIM, K_BOOL, K_INT, K_FLOAT, K_COMPLEX
from ctorch._core.backend cimport ct_backend, ct_params
from ctorch._core.tensor cimport Tensor

cdef enum:
    # work below these many elements stays on one thread
    GRAIN_CHEAP = 32768
    GRAIN_MATH = 2048
    # launches of fewer elements keep the GIL (releasing it costs more)
    NOGIL_ABOVE = 16384

# how an op's result dtype follows its inputs' (each row of the op list,
# ctorch/_kernels/elementwise_ops.def, names its rule)
cdef extern from "elementwise.h":
    enum:
        R_ARITH "CT_R_ARITH"    # result = promoted type
        R_FLOAT "CT_R_FLOAT"    # promoted, integers -> default float (true division, atan2)
        R_CMP "CT_R_CMP"        # computed in the promoted type, bool result
        R_BITS "CT_R_BITS"      # integers and bool only
    enum:
        U_SAME "CT_U_SAME"      # keeps the dtype
        U_FLOAT "CT_U_FLOAT"    # integers and bool -> default float
        U_PRED "CT_U_PRED"      # bool result
        U_ABS "CT_U_ABS"        # keeps the dtype; complex -> its real type


# One elementwise launch being prepared: operands aligned to a broadcast
# shape (byte strides, operand-major, broadcast dims stride 0); operand 0 is
# the output and gives the backend.
cdef struct Iter:
    int nargs
    int ndim
    int64_t shape[CT_MAXDIM]
    int64_t strides[4 * CT_MAXDIM]
    char *ptr[4]
    int host                    # bit k: operand k is a python number in host memory
    const ct_backend *B


cdef inline void _iter_add(Iter *it, int k, Tensor t) noexcept:
    """Operand k: t aligned to the right of it.shape; broadcast dims get stride 0."""
    cdef int d, j, lead = it.ndim - t._ndim
    cdef int64_t isz = t._dtype.itemsize
    for d in range(it.ndim):
        j = d - lead
        if j < 0 or t._shape[j] == 1:
            it.strides[k * CT_MAXDIM + d] = 0
        else:
            it.strides[k * CT_MAXDIM + d] = t._stride[j] * isz
    it.ptr[k] = t._data
    it.host &= ~(1 << k)
    if k == 0:
        it.B = t._storage.backend


cdef inline void _iter_scalar(Iter *it, int k, char *buf) noexcept:
    """Operand k: one value (a python number written in the compute dtype)."""
    cdef int d
    for d in range(it.ndim):
        it.strides[k * CT_MAXDIM + d] = 0
    it.ptr[k] = buf
    it.host |= 1 << k
cdef int _run(Iter *it, int kind, int op, int dtype, ct_params *P, int64_t grain) except -1
cdef int _broadcast_shape(Iter *it, Tensor a, Tensor b, Tensor c) except -1


cdef inline int _scalar_kind(object x):
    """kind of a python (or numpy) scalar, or -1 when x is no scalar."""
    if isinstance(x, bool):
        return K_BOOL
    if isinstance(x, int):
        return K_INT
    if isinstance(x, float):
        return K_FLOAT
    if isinstance(x, complex):
        return K_COMPLEX
    return -1


cdef DType _weak_dtype(int kind)
cdef int _combine(int higher, int lower)
cdef DType _result_type(tuple operands)
cdef bint _can_cast(DType src, DType dst) noexcept
cdef int _check_fits(object v, DType dt, bint half_too, str type_name=*) except -1
cdef int _write_scalar(char *buf, object v, DType dt) except -1

cdef int _copy_into(Tensor dst, Tensor src, bint check) except -1
cdef int _check_broadcast_to(Tensor src, Tensor dst) except -1
cdef const ct_backend *_backend_of(object a, object b, object c) except NULL
cdef int _device_mismatch(Tensor a, Tensor b) except -1
cdef int _fill(Tensor t, object value) except -1

cdef int _check_out_shape(Tensor o, Iter *it, bint inplace) except -1
# out=/in-place target: the shape check above and PyTorch's overlap errors
cdef int _check_out(Tensor o, Iter *it, bint inplace, object a, object b, object c) except -1
cdef bint _mem_apart(Tensor x, Tensor y) noexcept            # no byte of one within the other's span
cdef bint _into_ok(object out, list shape, DType dt, list inputs)   # out= may take the result directly
cdef int _check_no_overlap(Tensor o, object x) except -1
cdef int _check_copy_overlap(Tensor o, object x) except -1
cdef int _resize(Tensor t, list shape) except -1
cdef Tensor _alloc_like_operands(Iter *it, Tensor a, Tensor b, DType dt, Tensor c=*)
cdef bint _same_shape_iter(Tensor t, Iter *it) noexcept
cdef bint _dense_permuted_strides(Tensor t, Py_ssize_t *out) noexcept
cdef Tensor _tensor_arg(object a, str name)
cdef Tensor _scalar_tensor(object v, DType dt)
cdef Tensor _convert(Tensor t, DType dt)
cdef Tensor _raw_clone(Tensor t)

# the "rows" layout of reductions and scans: reduced (or scanned) dims
# innermost, each row a unit-stride run, rows a fixed distance apart
cdef Tensor _permute_raw(Tensor t, list perm)
cdef list _reduce_dims(Tensor t, object dim)
cdef list _red_dims(Tensor t, object dim)
cdef bint _dense_inner(Tensor p, int nkept, Py_ssize_t *ld) noexcept
cdef Tensor _dense_copy(Tensor p)
cdef Tensor _to_device(Tensor t, int code, DType dt=*)
cdef int _device_error() except -1
cdef int _same_device(Tensor a, Tensor b) except -1
cdef object _lift_cpu_scalar(object a, object b, object c)
cdef int _check_device(Tensor t) except -1
cdef int _host_only(Tensor t, str name) except -1
cdef tuple _rows_layout(Tensor t, list red)
cdef tuple _scan_layout(Tensor t, int d)
cdef Tensor _scan_back(Tensor o, list perm)
# out= dtype rules (_to_out): any dtype (r is cast), a dtype r safely casts to, r's own
cdef enum:
    OUT_ANY = 0
    OUT_CAST = 1
    OUT_SAME = 2
cdef int _no_autograd_out(str name, object out, tuple inputs) except -1   # out= refused under autograd
cdef int _out_pair(object out, str name) except -1   # a (values, indices) out= is a pair of tensors
cdef object _to_out(object out, Tensor r, str name, int rule=*, str msg=*)   # r, or r copied into `out=`
cdef Tensor _contig(Tensor t, DType dt)             # t itself when dense in dt, else a dense copy
cdef list _broadcast_list(list shapes)                # the broadcast of several shapes (lists)
cdef list _broadcast_pair(list a, list b)             # the broadcast of two shapes, PyTorch's error
