# Reductions and scans.

from ctorch._core.dtype cimport DType
from ctorch._core.tensor cimport Tensor

cdef Tensor _sum(Tensor t, object dim, bint keepdim, DType res)      # no history
cdef tuple _minmax(Tensor t, list red, bint keepdim, bint is_max, bint want_vals, bint want_idx)
cdef DType _acc_dtype(DType dt)
