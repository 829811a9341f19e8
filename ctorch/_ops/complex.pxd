# Complex tensors: views of their parts, construction, conj, angle, sgn.

from ctorch._core.dtype cimport DType
from ctorch._core.tensor cimport Tensor

cdef Tensor _part_raw(Tensor t, int part)
cdef Tensor _as_real_raw(Tensor t)
cdef Tensor _conj_raw(Tensor t)
cdef object _cj(object x)
