# DLPack: tensors handed to and taken from other libraries (NumPy, CuPy,
# Numba, JAX, PyTorch) without a copy, on the CPU and on CUDA devices.
#
# Export (Tensor.__dlpack__): a capsule holding a DLManagedTensor ("dltensor",
# DLPack 0.x) or, when the consumer asks for max_version >= (1, 0), a
# DLManagedTensorVersioned ("dltensor_versioned"). Its manager context keeps a
# reference to the tensor (hence its storage) and the int64 shape and strides
# arrays; the consumer renames the capsule to "used_..." and calls the deleter
# when it is done, and a capsule nobody consumed is deleted with the capsule.
#
# Import (from_dlpack): an object with __dlpack__/__dlpack_device__, or a
# capsule. The memory becomes a borrowed Storage (on the CPU, or on the CUDA
# device the tensor names) whose owner calls the producer's deleter when the
# last tensor over it goes away.
#
# Streams: ctorch's CUDA work runs on the default stream. A consumer that
# names another stream gets the device synchronized before the capsule is
# handed over, so that work queued before the export is finished when it
# reads; stream -1 asks for no synchronization.

from cpython.pycapsule cimport (
    PyCapsule_New, PyCapsule_IsValid, PyCapsule_GetPointer, PyCapsule_SetName, PyCapsule_CheckExact,
    PyCapsule_Destructor,
)
from cpython.ref cimport PyObject, Py_INCREF, Py_DECREF
from libc.stdint cimport int32_t, int64_t, uint8_t, uint16_t, uint32_t, uint64_t
from libc.stdlib cimport malloc, free

from ctorch._core.dtype cimport (DType, _DT, CT_MAXDIM, CT_BOOL, CT_BFLOAT16, K_BOOL, K_INT, K_FLOAT,
                                 K_COMPLEX)
from ctorch._core.storage cimport Storage, _borrow_storage, _alloc_storage
from ctorch._core.tensor cimport Tensor, _make_tensor

cdef extern from *:
    """
    typedef struct { int32_t device_type; int32_t device_id; } ct_DLDevice;
    typedef struct { uint8_t code; uint8_t bits; uint16_t lanes; } ct_DLDataType;
    typedef struct {
        void *data; ct_DLDevice device; int32_t ndim; ct_DLDataType dtype;
        int64_t *shape; int64_t *strides; uint64_t byte_offset;
    } ct_DLTensor;
    typedef struct ct_DLManagedTensor {
        ct_DLTensor dl_tensor; void *manager_ctx;
        void (*deleter)(struct ct_DLManagedTensor *self);
    } ct_DLManagedTensor;
    typedef struct { uint32_t major; uint32_t minor; } ct_DLPackVersion;
    typedef struct ct_DLManagedTensorVersioned {
        ct_DLPackVersion version; void *manager_ctx;
        void (*deleter)(struct ct_DLManagedTensorVersioned *self);
        uint64_t flags; ct_DLTensor dl_tensor;
    } ct_DLManagedTensorVersioned;
    """
    ctypedef struct ct_DLDevice:
        int32_t device_type
        int32_t device_id
    ctypedef struct ct_DLDataType:
        uint8_t code
        uint8_t bits
        uint16_t lanes
    ctypedef struct ct_DLTensor:
        void *data
        ct_DLDevice device
        int32_t ndim
        ct_DLDataType dtype
        int64_t *shape
        int64_t *strides
        uint64_t byte_offset
    ctypedef struct ct_DLManagedTensor:
        ct_DLTensor dl_tensor
        void *manager_ctx
        void (*deleter)(ct_DLManagedTensor *) noexcept nogil
    ctypedef struct ct_DLPackVersion:
        uint32_t major
        uint32_t minor
    ctypedef struct ct_DLManagedTensorVersioned:
        ct_DLPackVersion version
        void *manager_ctx
        void (*deleter)(ct_DLManagedTensorVersioned *) noexcept nogil
        uint64_t flags
        ct_DLTensor dl_tensor

# DLPack's codes
cdef enum:
    kDLCPU = 1
    kDLCUDA = 2
    kDLCUDAHost = 3
    kDLCUDAManaged = 13
    kDLInt = 0
    kDLUInt = 1
    kDLFloat = 2
    kDLBfloat = 4
    kDLComplex = 5
    kDLBool = 6
    FLAG_READ_ONLY = 1
    FLAG_IS_COPIED = 2

cdef const char *NAME = b"dltensor"
cdef const char *USED = b"used_dltensor"
cdef const char *NAME_V = b"dltensor_versioned"
cdef const char *USED_V = b"used_dltensor_versioned"


# ------------------------------------------------------------------ export

cdef struct Export:
    # one block per export: both headers (one is used), the tensor it keeps
    # alive, and the shape and strides the DLTensor points to
    ct_DLManagedTensor legacy
    ct_DLManagedTensorVersioned versioned
    PyObject *owner
    int64_t shape[CT_MAXDIM]
    int64_t strides[CT_MAXDIM]


cdef void _release(Export *e) noexcept nogil:
    with gil:
        Py_DECREF(<object>e.owner)
    free(e)


cdef void _delete_legacy(ct_DLManagedTensor *m) noexcept nogil:
    _release(<Export *>m.manager_ctx)


cdef void _delete_versioned(ct_DLManagedTensorVersioned *m) noexcept nogil:
    _release(<Export *>m.manager_ctx)


cdef void _capsule_gone(object capsule) noexcept:
    """A capsule nobody consumed: its producer deletes what it holds."""
    cdef ct_DLManagedTensor *m
    cdef ct_DLManagedTensorVersioned *v
    if PyCapsule_IsValid(capsule, NAME):
        m = <ct_DLManagedTensor *>PyCapsule_GetPointer(capsule, NAME)
        m.deleter(m)
    elif PyCapsule_IsValid(capsule, NAME_V):
        v = <ct_DLManagedTensorVersioned *>PyCapsule_GetPointer(capsule, NAME_V)
        v.deleter(v)


cdef ct_DLDataType _dl_dtype(DType dt):
    cdef ct_DLDataType r
    r.lanes = 1
    r.bits = dt.itemsize * 8
    if dt._code == CT_BOOL:
        r.code = kDLBool
    elif dt._code == CT_BFLOAT16:
        r.code = kDLBfloat
    elif dt._kind == K_COMPLEX:
        r.code = kDLComplex
    elif dt._kind == K_FLOAT:
        r.code = kDLFloat
    else:
        r.code = kDLInt if dt.is_signed else kDLUInt
    return r


def device_of(Tensor t):
    """(DLPack device type, index) of t's memory."""
    if t._storage.device < 0:
        return (<int>kDLCPU, 0)
    return (<int>kDLCUDA, <int>t._storage.device)


def to_dlpack(Tensor t, stream=None, max_version=None, dl_device=None, copy=None):
    """Tensor.__dlpack__: a capsule sharing t's memory (or a copy's, when
    dl_device names another device or copy is True)."""
    if t._requires_grad:
        raise RuntimeError("Can't export tensors that require gradient, use tensor.detach()")
    cdef uint64_t flags = 0
    if dl_device is not None and tuple(dl_device) != device_of(t):
        if copy is False:
            raise BufferError(f"cannot export a tensor on {t.device} to DLPack device {tuple(dl_device)} "
                              "without a copy (copy=False)")
        if tuple(dl_device) != (kDLCPU, 0):
            raise BufferError(f"unsupported DLPack device {tuple(dl_device)} for a copy")
        t = t.cpu()
        flags |= FLAG_IS_COPIED
    elif copy:
        t = t.clone()
        flags |= FLAG_IS_COPIED
    if t._storage.device >= 0 and stream is not None:
        if isinstance(stream, bool) or not isinstance(stream, int):
            raise TypeError(f"stream must be an int or None, not {type(stream).__name__}")
        if stream == 0:
            raise ValueError("stream 0 is ambiguous in DLPack: pass 1 for the legacy default stream")
        if stream != -1 and stream not in (1, 2):
            from ctorch.cuda import _backend
            _backend.synchronize()
    cdef bint versioned = max_version is not None and tuple(max_version)[0] >= 1
    cdef Export *e = <Export *>malloc(sizeof(Export))
    if e == NULL:
        raise MemoryError()
    cdef ct_DLTensor *dl = &e.versioned.dl_tensor if versioned else &e.legacy.dl_tensor
    cdef int d
    for d in range(t._ndim):
        e.shape[d] = t._shape[d]
        e.strides[d] = t._stride[d]
    dl.data = <void *>t._storage.data
    dl.byte_offset = <uint64_t>(t._data - t._storage.data)
    dl.device.device_type, dl.device.device_id = device_of(t)
    dl.ndim = t._ndim
    dl.dtype = _dl_dtype(t._dtype)
    dl.shape = e.shape
    dl.strides = e.strides
    Py_INCREF(t)
    e.owner = <PyObject *>t
    if versioned:
        e.versioned.version.major = 1
        e.versioned.version.minor = 0
        e.versioned.manager_ctx = e
        e.versioned.deleter = _delete_versioned
        e.versioned.flags = flags
        return PyCapsule_New(&e.versioned, NAME_V, <PyCapsule_Destructor>_capsule_gone)
    e.legacy.manager_ctx = e
    e.legacy.deleter = _delete_legacy
    return PyCapsule_New(&e.legacy, NAME, <PyCapsule_Destructor>_capsule_gone)


# ------------------------------------------------------------------ import

cdef class _Imported:
    """The owner of imported memory: calls the producer's deleter once no
    storage refers to the memory any more."""
    cdef ct_DLManagedTensor *legacy
    cdef ct_DLManagedTensorVersioned *versioned

    def __dealloc__(self):
        if self.legacy != NULL and self.legacy.deleter != NULL:
            self.legacy.deleter(self.legacy)
        if self.versioned != NULL and self.versioned.deleter != NULL:
            self.versioned.deleter(self.versioned)


cdef DType _ct_dtype(ct_DLDataType t):
    if t.lanes != 1:
        raise BufferError(f"DLPack: vector types (lanes={t.lanes}) are not supported")
    cdef int code = -1
    if t.code == kDLBool and t.bits == 8:
        code = CT_BOOL
    elif t.code == kDLUInt and t.bits == 8:
        code = 1
    elif t.code == kDLInt:
        code = {8: 2, 16: 3, 32: 4, 64: 5}.get(t.bits, -1)
    elif t.code == kDLFloat:
        code = {16: 6, 32: 7, 64: 8}.get(t.bits, -1)
    elif t.code == kDLComplex:
        code = {64: 9, 128: 10}.get(t.bits, -1)
    elif t.code == kDLBfloat and t.bits == 16:
        code = CT_BFLOAT16
    if code < 0:
        raise BufferError(f"DLPack: unsupported data type (code {t.code}, {t.bits} bits)")
    return <DType>_DT[code]


cdef Tensor _wrap(ct_DLTensor *dl, _Imported owner):
    cdef DType dt = _ct_dtype(dl.dtype)
    cdef int dev
    if dl.device.device_type in (kDLCPU, kDLCUDAHost):
        dev = -1
    elif dl.device.device_type in (kDLCUDA, kDLCUDAManaged):
        dev = dl.device.device_id
        from ctorch import cuda
        if not cuda.is_available():
            raise RuntimeError("DLPack tensor on a CUDA device, but CUDA is not available")
        if not 0 <= dev < cuda.device_count():
            raise RuntimeError(f"DLPack tensor on cuda:{dev}, but there are {cuda.device_count()} CUDA devices")
    else:
        raise BufferError(f"DLPack: unsupported device type {dl.device.device_type}")
    if dl.ndim < 0 or dl.ndim > CT_MAXDIM:
        raise RuntimeError(f"tensors with more than {CT_MAXDIM} dimensions are not supported (got {dl.ndim})")
    cdef Py_ssize_t sh[CT_MAXDIM]
    cdef Py_ssize_t st[CT_MAXDIM]
    cdef Py_ssize_t extent = 1, acc = 1
    cdef int d
    for d in range(dl.ndim - 1, -1, -1):
        sh[d] = dl.shape[d]
        st[d] = dl.strides[d] if dl.strides != NULL else acc
        acc *= sh[d]
        if st[d] < 0:
            raise BufferError("DLPack: negative strides are not supported")
        if sh[d] == 0:
            extent = 0
    if extent:
        for d in range(dl.ndim):
            extent += (sh[d] - 1) * st[d]
    cdef char *data = <char *>dl.data + dl.byte_offset
    cdef Storage like = None if dev < 0 else _alloc_storage(0, dev)
    cdef Storage s = _borrow_storage(data, extent * dt.itemsize, owner, like)
    return _make_tensor(s, 0, dl.ndim, sh, st, dt)


def from_capsule(capsule):
    """A tensor over the memory of a DLPack capsule, which it consumes."""
    cdef _Imported owner = _Imported.__new__(_Imported)
    cdef ct_DLManagedTensor *m
    cdef ct_DLManagedTensorVersioned *v
    if not PyCapsule_CheckExact(capsule):
        raise TypeError(f"from_dlpack(): expected a DLPack capsule or an object with __dlpack__, "
                        f"got {type(capsule).__name__}")
    if PyCapsule_IsValid(capsule, NAME_V):
        v = <ct_DLManagedTensorVersioned *>PyCapsule_GetPointer(capsule, NAME_V)
        if v.version.major > 1:
            raise BufferError(f"DLPack version {v.version.major}.{v.version.minor} is not supported")
        t = _wrap(&v.dl_tensor, owner)
        PyCapsule_SetName(capsule, USED_V)
        owner.versioned = v
        return t
    if PyCapsule_IsValid(capsule, NAME):
        m = <ct_DLManagedTensor *>PyCapsule_GetPointer(capsule, NAME)
        t = _wrap(&m.dl_tensor, owner)
        PyCapsule_SetName(capsule, USED)
        owner.legacy = m
        return t
    raise RuntimeError("from_dlpack received an invalid capsule. Note that DLTensor capsules can be "
                       "consumed only once, so you might have already constructed a tensor from it once.")


def from_dlpack(ext_tensor):
    """torch.from_dlpack: a tensor sharing the memory of an object that
    implements __dlpack__ (or of a DLPack capsule)."""
    if not hasattr(ext_tensor, "__dlpack__"):
        return from_capsule(ext_tensor)
    dev_type, dev_id = ext_tensor.__dlpack_device__()
    kwargs = {}
    if int(dev_type) in (kDLCUDA, kDLCUDAManaged):
        kwargs["stream"] = 1        # ctorch's work runs on the legacy default stream
    try:
        capsule = ext_tensor.__dlpack__(max_version=(1, 0), **kwargs)
    except TypeError:               # a producer of DLPack 0.x
        capsule = ext_tensor.__dlpack__(**kwargs)
    return from_capsule(capsule)
