# Views: new sizes, strides or offset over the same storage, with history.

from ctorch._core.dtype cimport DType
from ctorch._core.tensor cimport Tensor

cdef Tensor _view(Tensor t, list shape, str fname)
cdef Tensor _reshape(Tensor t, list shape)
cdef Tensor _transpose(Tensor t, int a, int b, str name=*)
cdef Tensor _permute(Tensor t, list dims)
cdef Tensor _squeeze(Tensor t, object dim)
cdef Tensor _unsqueeze(Tensor t, int dim)
cdef Tensor _expand(Tensor t, list sizes)
cdef Tensor _select(Tensor t, int dim, Py_ssize_t i)
cdef Tensor _view_dtype(Tensor t, DType dt)
