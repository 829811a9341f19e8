# Shape, joining and gather/scatter ops.

from ctorch._core.dtype cimport DType
from ctorch._core.tensor cimport Tensor

cdef list _tensor_list(object tensors, str fname, str argname=*)
cdef Tensor _cat_impl(list ts, int dim_arg, object dim, DType res, object into=*)
cdef Tensor _narrow_view(Tensor t, int d, Py_ssize_t start, Py_ssize_t length, str name)
cdef list _unpack_seq(tuple args, str name)
