# Storage: one buffer of bytes, owned (aligned malloc) or borrowed (an ndarray
# or another exporter kept alive by `owner`), plus the version counter that a
# tensor and all its views share.

from cpython.buffer cimport PyBUF_WRITABLE

cdef extern from "alloc.h":
    void *ct_alloc(size_t nbytes)
    void ct_free(void *p, size_t nbytes)
    void ct_empty_cache()


cdef class Storage:
    cdef char *data
    cdef Py_ssize_t nbytes
    cdef object owner
    cdef bint owns
    cdef int device
    cdef public Py_ssize_t version
    cdef Py_ssize_t _shape[1]
    cdef Py_ssize_t _strides[1]

    def __dealloc__(self):
        if self.owns and self.data != NULL:
            ct_free(self.data, self.nbytes)
            self.data = NULL

    def __getbuffer__(self, Py_buffer *view, int flags):
        self._shape[0] = self.nbytes
        self._strides[0] = 1
        view.buf = self.data
        view.obj = self
        view.len = self.nbytes
        view.readonly = 0
        view.itemsize = 1
        view.format = "B"
        view.ndim = 1
        view.shape = self._shape
        view.strides = self._strides
        view.suboffsets = NULL
        view.internal = NULL

    def __releasebuffer__(self, Py_buffer *view):
        pass

    def nbytes_(self):
        return self.nbytes

    def data_ptr(self):
        return <size_t>self.data


cdef Storage _alloc_storage(Py_ssize_t nbytes):
    cdef Storage st = Storage.__new__(Storage)
    st.data = <char *>ct_alloc(<size_t>nbytes)
    if st.data == NULL:
        raise MemoryError(f"DefaultCPUAllocator: not enough memory: you tried to allocate {nbytes} bytes.")
    st.nbytes = nbytes
    st.owns = True
    st.device = -1
    return st


cdef Storage _borrow_storage(char *data, Py_ssize_t nbytes, object owner):
    cdef Storage st = Storage.__new__(Storage)
    st.data = data
    st.nbytes = nbytes
    st.owner = owner
    st.owns = False
    st.device = -1
    return st


def _empty_cache():
    """Returns the cached large CPU blocks to the system."""
    ct_empty_cache()
