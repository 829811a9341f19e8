# Indexing and index assignment.

from ctorch._core.tensor cimport Tensor

cdef Tensor _getitem(Tensor t, object index)
cdef int _setitem(Tensor t, object index, object value) except -1
cdef int _index_put(Tensor t, object index, object value, bint accumulate) except -1
cdef tuple _nonzero_tuple(Tensor mask)
cdef bint _any_nonzero(Tensor t)
