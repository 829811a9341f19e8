# cython: language_level=3
"""Storage: one buffer of bytes on one device, owned (allocated by the
device's backend) or borrowed (an ndarray or another exporter kept alive by
`owner`), plus the version counter that a tensor and all its views share.
Each storage keeps the backend table it was allocated from, so every op on
its tensors finds the right device's kernels in one pointer."""

from ctorch._core.backend cimport ct_backend
from ctorch._core.dispatch cimport backend_for

cdef extern from *:
    """
    /* inference mode is per thread, like grad mode */
    static __thread int ct_inference_mode = 0;
    static int ct_get_inference_mode(void) { return ct_inference_mode; }
    static void ct_put_inference_mode(int on) { ct_inference_mode = on; }
    """
    int ct_get_inference_mode() noexcept nogil
    void ct_put_inference_mode(int on) noexcept nogil


cdef class Storage:

    def __dealloc__(self):
        if self.owns and self.data != NULL:
            self.backend.free(self.data, self.nbytes)
            self.data = NULL

    def __getbuffer__(self, Py_buffer *view, int flags):
        if self.device >= 0:
            raise BufferError("the memory of a CUDA storage cannot be exported as a buffer")
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

    def device_code(self):
        """-1 for the CPU, the CUDA ordinal otherwise."""
        return self.device


cdef class _InferenceStorage(Storage):
    """Memory allocated in inference mode: the tensors on it are inference
    tensors (a view of a normal tensor made in inference mode is not)."""


cdef inline Storage _new_storage(bint inference):
    if inference:
        return _InferenceStorage.__new__(_InferenceStorage)
    return Storage.__new__(Storage)


def _set_inference_mode(bint on):
    ct_put_inference_mode(on)


def _is_inference_mode():
    return ct_get_inference_mode() != 0


cdef Storage _alloc_storage(Py_ssize_t nbytes, int device=-1):
    cdef const ct_backend *B = backend_for(device)
    cdef Storage st = _new_storage(ct_get_inference_mode())
    st.data = <char *>B.alloc(<size_t>nbytes)
    if st.data == NULL:
        # a RuntimeError, as PyTorch's (the process stays usable)
        if device < 0:
            raise RuntimeError(f"DefaultCPUAllocator: can't allocate memory: you tried to allocate "
                               f"{nbytes} bytes.")
        from ctorch.cuda import OutOfMemoryError     # a RuntimeError, as PyTorch's
        raise OutOfMemoryError(f"CUDA out of memory. Tried to allocate {_fmt_bytes(nbytes)}. "
                               f"GPU {device} has no free memory left after the caching "
                               f"allocator returned its cache and tried again.")
    st.nbytes = nbytes
    st.owns = True
    st.device = device
    st.backend = B
    return st


cdef str _fmt_bytes(Py_ssize_t n):
    if n >= 1 << 30:
        return f"{n / (1 << 30):.2f} GiB"
    if n >= 1 << 20:
        return f"{n / (1 << 20):.2f} MiB"
    return f"{n} bytes"


cdef Storage _borrow_storage(char *data, Py_ssize_t nbytes, object owner, Storage like=None):
    """Memory that someone else owns: on the CPU, or on the device of `like`
    (an inference storage when `like` is one, or when made in inference mode)."""
    cdef Storage st = _new_storage(ct_get_inference_mode() or type(like) is _InferenceStorage)
    st.data = data
    st.nbytes = nbytes
    st.owner = owner
    st.owns = False
    st.device = -1 if like is None else like.device
    st.backend = backend_for(-1) if like is None else like.backend
    return st
