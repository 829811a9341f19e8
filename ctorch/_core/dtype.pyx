# cython: language_level=3
"""Element types: DType objects (torch.float32, ...), PyTorch's promotion
table, the default dtype, and the names torch uses for them in messages.
The bottom layer: it depends on nothing else of ctorch."""


cdef class DType:
    """A tensor element type (torch.float32, torch.int64, ...)."""

    def __init__(self, *args, **kwargs):
        # the dtypes are the module's constants; made internally by DType.__new__
        raise TypeError("cannot create 'torch.dtype' instances")

    def __repr__(self):
        return "torch." + self._name

    def __reduce__(self):
        return self._name

    def to_real(self):
        if self._code == CT_COMPLEX64:
            return _DT[CT_FLOAT32]
        if self._code == CT_COMPLEX128:
            return _DT[CT_FLOAT64]
        return self

    def to_complex(self):
        if self._code in (CT_FLOAT16, CT_BFLOAT16, CT_FLOAT32, CT_COMPLEX64):
            return _DT[CT_COMPLEX64]
        if self._code in (CT_FLOAT64, CT_COMPLEX128):
            return _DT[CT_COMPLEX128]
        raise RuntimeError(f"to_complex is not supported for {self!r}")


cdef DType _new_dtype(int code, str name, str npname, int itemsize, int kind, bint signed):
    cdef DType d = DType.__new__(DType)
    d._code = code
    d._name = name
    d._numpy_name = npname
    d.itemsize = itemsize
    d._kind = kind
    d.is_floating_point = kind == K_FLOAT
    d.is_complex = kind == K_COMPLEX
    d.is_signed = signed
    return d


_DT = [
    _new_dtype(CT_BOOL, "bool", "bool", 1, K_BOOL, False),
    _new_dtype(CT_UINT8, "uint8", "uint8", 1, K_INT, False),
    _new_dtype(CT_INT8, "int8", "int8", 1, K_INT, True),
    _new_dtype(CT_INT16, "int16", "int16", 2, K_INT, True),
    _new_dtype(CT_INT32, "int32", "int32", 4, K_INT, True),
    _new_dtype(CT_INT64, "int64", "int64", 8, K_INT, True),
    _new_dtype(CT_FLOAT16, "float16", "float16", 2, K_FLOAT, True),
    _new_dtype(CT_FLOAT32, "float32", "float32", 4, K_FLOAT, True),
    _new_dtype(CT_FLOAT64, "float64", "float64", 8, K_FLOAT, True),
    _new_dtype(CT_COMPLEX64, "complex64", "complex64", 8, K_COMPLEX, True),
    _new_dtype(CT_COMPLEX128, "complex128", "complex128", 16, K_COMPLEX, True),
    # numpy has no bfloat16: no numpy name (numpy() refuses it, as PyTorch does)
    _new_dtype(CT_BFLOAT16, "bfloat16", "", 2, K_FLOAT, True),
]

t_bool = _DT[CT_BOOL]
t_uint8 = _DT[CT_UINT8]
t_int64 = _DT[CT_INT64]
t_float32 = _DT[CT_FLOAT32]
t_float64 = _DT[CT_FLOAT64]
t_complex64 = _DT[CT_COMPLEX64]
t_complex128 = _DT[CT_COMPLEX128]

# the dtypes by their torch names, for Python code (ctorch re-exports them all)
(_bool, uint8, int8, int16, int32, int64, float16, float32, float64, complex64, complex128,
 bfloat16) = _DT


cdef int _promote_codes(int a, int b):
    """PyTorch's promotion of two tensor dtypes (no weak scalars here)."""
    if a == b:
        return a
    cdef DType da = _DT[a], db = _DT[b]
    if da._kind < db._kind or (da._kind == db._kind and da.itemsize < db.itemsize):
        da, db = db, da
    # now da is of the higher kind (or the larger of one kind)
    if db._kind == K_BOOL:
        return da._code
    if da._kind == K_INT and db._kind == K_INT:
        # uint8 with a signed type: the signed type must hold 0..255
        if da._code == CT_UINT8 or db._code == CT_UINT8:
            other = da._code if db._code == CT_UINT8 else db._code
            return CT_INT16 if other == CT_INT8 else other
        return da._code
    if da._kind == K_FLOAT and db._kind == K_FLOAT and da.itemsize == db.itemsize:
        return CT_FLOAT32       # float16 with bfloat16: neither holds the other
    if da._kind == db._kind:
        return da._code
    if da._kind == K_COMPLEX and db._kind == K_FLOAT and db._code == CT_FLOAT64:
        return CT_COMPLEX128
    return da._code


cdef int _i, _j
for _i in range(CT_NDTYPES):
    for _j in range(CT_NDTYPES):
        _PROMOTE[_i][_j] = _promote_codes(_i, _j)


def promote_types(type1, type2):
    return _DT[_PROMOTE[(<DType?>type1)._code][(<DType?>type2)._code]]


_default_dtype = t_float32


def get_default_dtype():
    return _default_dtype


def set_default_dtype(d):
    global _default_dtype
    if not isinstance(d, DType) or not (<DType>d).is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    _default_dtype = d


cdef DType _default_complex():
    return t_complex128 if _default_dtype._code == CT_FLOAT64 else t_complex64


cdef dict _DTYPE_BY_NAME = {d._name: d for d in _DT}


cdef DType _as_dtype(object d, str argname="dtype"):
    """A dtype argument: a ctorch dtype, a numpy dtype (or its name), or a python type."""
    if d is None or type(d) is DType:
        return <DType>d
    if d is float:
        return t_float64
    if d is int:
        return t_int64
    if d is bool:
        return t_bool
    if d is complex:
        return t_complex128
    name = getattr(d, "name", None) if not isinstance(d, str) else d
    if isinstance(name, str) and name in _DTYPE_BY_NAME:
        return _DTYPE_BY_NAME[name]
    raise TypeError(f"{argname} must be torch.dtype, not {type(d).__name__}")


def _dtype_list():
    return list(_DT)


dtype = DType


# torch's names of scalar types, used in error messages
_SCALAR_NAMES = ["Bool", "Byte", "Char", "Short", "Int", "Long", "Half", "Float",
                 "Double", "ComplexFloat", "ComplexDouble", "BFloat16"]

_TYPE_NAMES = ["BoolTensor", "ByteTensor", "CharTensor", "ShortTensor", "IntTensor",
               "LongTensor", "HalfTensor", "FloatTensor", "DoubleTensor",
               "ComplexFloatTensor", "ComplexDoubleTensor", "BFloat16Tensor"]

_CXX_NAMES = ["bool", "unsigned char", "signed char", "short int", "int", "long int",
              "c10::Half", "float", "double", "c10::complex<float>", "c10::complex<double>",
              "c10::BFloat16"]
_C_TYPE_NAMES = ["bool", "uint8_t", "int8_t", "int16_t", "int", "int64_t", "c10::Half",
                 "float", "double", "c10::complex<float>", "c10::complex<double>", "c10::BFloat16"]


def _scalar_name(dt):
    """torch's scalar type name of a dtype, for messages ("Float")."""
    return _SCALAR_NAMES[(<DType?>dt)._code]
