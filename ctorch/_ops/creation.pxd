# Creating tensors from data and from sizes.

from ctorch._core.dtype cimport DType
from ctorch._core.tensor cimport Tensor

cdef Tensor _sized(tuple size, object dtype_, object device, str fname, DType fallback=*)
cdef Tensor _finish(Tensor r, object requires_grad)
cdef Tensor _like(object input, object dtype_, object device)
cdef bint _is_ndarray(object x)
