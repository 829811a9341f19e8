# Storage: one buffer on one device, and the version counter its tensors share.

from ctorch._core.backend cimport ct_backend

cdef class Storage:
    cdef char *data
    cdef Py_ssize_t nbytes
    cdef object owner                   # keeps borrowed memory alive (an ndarray, ...)
    cdef bint owns
    cdef int device                     # -1: the CPU; n >= 0: CUDA device n
    cdef const ct_backend *backend      # the kernels that work on this memory
    cdef public Py_ssize_t version
    cdef Py_ssize_t _shape[1]
    cdef Py_ssize_t _strides[1]

cdef Storage _alloc_storage(Py_ssize_t nbytes, int device=*)
cdef Storage _borrow_storage(char *data, Py_ssize_t nbytes, object owner, Storage like=*)
