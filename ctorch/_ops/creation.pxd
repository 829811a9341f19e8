# Creating tensors from data and from sizes.

from ctorch._core.dtype cimport DType
from ctorch._core.tensor cimport Tensor

cdef DType _factory_dtype(object dtype_, object out, str fname)   # checks out=, too
cdef tuple _size_kw(tuple sizes, object size, str fname)   # f(2, 3), f((2, 3)), f(size=...)
cdef Tensor _sized(tuple size, object dtype_, object device, str fname, DType fallback=*,
                   object out=*)
cdef Tensor _finish(Tensor r, object requires_grad, object out=*, int device=*)   # r (moved to device), or r written to out=
cdef Tensor _like(object input, object dtype_, object device, object memory_format=*)
cdef int _factory_device(object device, object out) except -2
cdef bint _is_ndarray(object x)
cdef int _zero_fill(Tensor r) except -1   # r (dense) set to zeros on its device
