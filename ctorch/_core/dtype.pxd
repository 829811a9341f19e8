# Element types: the DType objects, PyTorch's promotion table and the default
# dtype. Module variables declared here are shared with every module that
# cimports them (Cython passes their addresses), so there is one of each.

cdef extern from "common.h":
    enum:
        CT_BOOL, CT_UINT8, CT_INT8, CT_INT16, CT_INT32, CT_INT64
        CT_FLOAT16, CT_FLOAT32, CT_FLOAT64, CT_COMPLEX64, CT_COMPLEX128, CT_BFLOAT16
        CT_NDTYPES
        CT_MAXDIM

# kinds of dtype, ordered: a higher kind wins promotion
cdef enum:
    K_BOOL = 0
    K_INT = 1
    K_FLOAT = 2
    K_COMPLEX = 3


cdef class DType:
    cdef readonly int _code
    cdef readonly int itemsize
    cdef readonly int _kind
    cdef readonly bint is_floating_point
    cdef readonly bint is_complex
    cdef readonly bint is_signed
    cdef readonly str _name
    cdef readonly str _numpy_name


cdef list _DT                           # the dtypes, indexed by code
cdef int _PROMOTE[CT_NDTYPES][CT_NDTYPES]   # PyTorch's promotion of two tensor dtypes
cdef DType _default_dtype
cdef DType t_bool, t_uint8, t_int64, t_float32, t_float64, t_complex64, t_complex128

cdef list _SCALAR_NAMES                 # torch's scalar type names, for messages ("Float")
cdef list _TYPE_NAMES                   # torch's tensor type names ("FloatTensor")
cdef list _C_TYPE_NAMES                 # C++ type names, as in overflow messages
cdef list _CXX_NAMES                    # C++ type names, as out= dtype messages print them

cdef DType _default_complex()
cdef DType _as_dtype(object d, str argname=*)


cdef inline str _sname(DType dt):
    """torch's scalar type name ("Float"), for messages."""
    return _SCALAR_NAMES[dt._code]
