# cython: language_level=3
"""The device dispatch point: `torch.device`, and which backend table runs
the kernels of each device.

Every op reaches kernels through a `ct_backend` table (ctorch/_kernels/
backend.h), the one of the device its tensors live on: each Storage holds
the pointer it was allocated with. This module hands those tables out. The
CPU table is built in (this extension links the CPU kernels, compiled once);
another device registers its table with `register_backend`, and until one
is registered a request for that device fails here, with PyTorch's message,
before any memory exists. So an op never runs one device's kernels on
another device's memory.

It also holds what is the CPU backend's own business: its thread count and
the BLAS it runs float products on (scipy's, bound on the first product:
importing scipy.linalg costs ~0.3 s, which `import ctorch` should not pay).
"""

from cpython.pycapsule cimport PyCapsule_GetPointer, PyCapsule_GetName, PyCapsule_IsValid
from ctorch._core.backend cimport ct_backend, ct_gemm_fn, ct_blas_local_fn

# The CPU backend's own entry points: this module is the one that links the
# CPU kernels, so only it may name them (everyone else goes through a table).
cdef extern from "backend.h" nogil:
    const ct_backend ct_cpu_backend
    int ct_get_num_threads()
    void ct_set_num_threads(int n)
    void ct_cpu_set_blas(ct_gemm_fn sgemm, ct_gemm_fn dgemm, ct_gemm_fn cgemm, ct_gemm_fn zgemm)
    ct_blas_local_fn ct_blas_local_in(const char *path)

# the backend of each CUDA ordinal; NULL until a CUDA backend registers
cdef enum:
    MAX_CUDA = 64
cdef const ct_backend *_cuda_backends[MAX_CUDA]


cdef class device:
    """torch.device("cpu"), torch.device("cuda"), torch.device("cuda", 0), torch.device("cuda:1")."""

    def __init__(self, type, index=None):
        if isinstance(type, device):
            self.type = (<device>type).type
            self.index = (<device>type).index
            return
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got ({type.__class__.__name__})")
        t = type
        if ":" in t:
            if index is not None:
                raise RuntimeError(f"type (string) must not include an index because index was passed explicitly: {t}")
            t, _, idx = t.partition(":")
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}'")
            index = int(idx)
        if t not in ("cpu", "cuda", "meta"):
            raise RuntimeError(f"Expected one of cpu, cuda, meta device type at start of device string: {type}")
        if index is not None and (not isinstance(index, int) or index < 0):
            raise RuntimeError(f"Device index must not be negative")
        self.type = t
        self.index = index

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        if not isinstance(other, device):
            return NotImplemented
        return self.type == (<device>other).type and self.index == (<device>other).index

    def __hash__(self):
        return hash((self.type, self.index))

    def __reduce__(self):
        return (device, (self.type, self.index))

    def __enter__(self):
        # `with torch.device(...)`: the factories inside make their results here
        global _default_device
        _device_stack.append(_default_device)
        _default_device = None if self.type == "cpu" else self
        return self

    def __exit__(self, *exc):
        global _default_device
        _default_device = _device_stack.pop()
        return False


_CPU = device("cpu")

# the device factories make tensors on when given none (None: the CPU), and
# the ones that `with device(...)` blocks replaced
cdef object _default_device = None
cdef list _device_stack = []


def set_default_device(d):
    """torch.set_default_device: where factories without device= allocate."""
    global _default_device
    if d is None:
        _default_device = None
        return
    if isinstance(d, int) and not isinstance(d, bool):
        d = device("cuda", d)
    dev = d if isinstance(d, device) else device(d)
    _default_device = None if (<device>dev).type == "cpu" else dev


def get_default_device():
    if _default_device is None:
        return _CPU
    dev = <device>_default_device
    if dev.type == "cuda" and dev.index is None:
        return device("cuda", 0)
    return dev


cdef int _device_code(object d) except -2:
    """-1 for the CPU, the CUDA ordinal otherwise; fails for a device that has
    no backend. None: the default device (set_default_device)."""
    if d is None:
        if _default_device is None:
            return -1
        d = _default_device
    if isinstance(d, int) and not isinstance(d, bool):
        # a bare index names the accelerator; PyTorch's error when there is none
        try:
            backend_for(d)
        except AssertionError:
            raise RuntimeError("Cannot access accelerator device when none is available.") from None
        return d
    else:
        dev = d if isinstance(d, device) else device(d)
    if (<device>dev).type == "cpu":
        return -1
    if (<device>dev).type == "cuda":
        code = 0 if (<device>dev).index is None else (<device>dev).index
        backend_for(code)
        return code
    raise RuntimeError(f"unsupported device {dev}")


cdef object _device_object(int code):
    return _CPU if code < 0 else device("cuda", code)


cdef const ct_backend *backend_for(int code) except NULL:
    """The kernels of device `code`, or the error PyTorch gives when it has none."""
    if code < 0:
        return &ct_cpu_backend
    if code < MAX_CUDA and _cuda_backends[code] != NULL:
        return _cuda_backends[code]
    from ctorch import cuda as _cuda
    _cuda._lazy_init(code)      # registers the GPU's table, or raises PyTorch's error
    if code < MAX_CUDA and _cuda_backends[code] != NULL:
        return _cuda_backends[code]
    raise _cuda.AcceleratorError("CUDA error: invalid device ordinal")


def register_backend(int ordinal, capsule):
    """Registers the backend table (a PyCapsule named "ctorch.backend" holding a
    `const ct_backend *`) that serves CUDA device `ordinal`; None removes it."""
    if not 0 <= ordinal < MAX_CUDA:
        raise ValueError(f"CUDA device ordinal must be in [0, {MAX_CUDA}), got {ordinal}")
    if capsule is None:
        _cuda_backends[ordinal] = NULL
        return
    if not PyCapsule_IsValid(capsule, b"ctorch.backend"):
        raise TypeError("register_backend expects a PyCapsule named 'ctorch.backend'")
    _cuda_backends[ordinal] = <const ct_backend *>PyCapsule_GetPointer(capsule, b"ctorch.backend")


def backend_name(int code):
    """The name of the backend that serves device code `code` (-1: the CPU)."""
    return backend_for(code).name.decode()


# ------------------------------------------------------------- CPU threads

def get_num_threads():
    return ct_get_num_threads()


def set_num_threads(n):
    if not isinstance(n, int) or isinstance(n, bool):
        raise RuntimeError(f"set_num_threads expects an int, but got {type(n).__name__}")
    if n <= 0:
        raise RuntimeError(f"set_num_threads expects a positive integer, but got {n}")
    ct_set_num_threads(n)


cdef extern from *:
    """
    #if defined(__x86_64__) || defined(__i386__) || defined(_M_X64)
    #include <xmmintrin.h>
    #ifdef _OPENMP
    #include <omp.h>
    #endif
    /* flush-to-zero (MXCSR bit 15) and denormals-are-zero (bit 6), in this
     * thread and in the OpenMP workers that run the kernels */
    static int ct_set_flush_denormal(int on) {
        const unsigned int bits = 0x8040u;
        #ifdef _OPENMP
        #pragma omp parallel num_threads(omp_get_max_threads())
        #endif
        {
            unsigned int csr = _mm_getcsr();
            _mm_setcsr(on ? (csr | bits) : (csr & ~bits));
        }
        unsigned int csr = _mm_getcsr();
        _mm_setcsr(on ? (csr | bits) : (csr & ~bits));
        return 1;
    }
    #else
    static int ct_set_flush_denormal(int on) { (void)on; return 0; }
    #endif
    """
    int ct_set_flush_denormal(int on) nogil


def set_flush_denormal(mode):
    """Denormal floats read and computed as zero on the CPU (x86's FTZ/DAZ);
    False where the CPU has no such mode."""
    if not isinstance(mode, bool):
        raise RuntimeError(f"flush_denormal expects a bool, but got {type(mode).__name__}")
    return ct_set_flush_denormal(1 if mode else 0) != 0


def _empty_cache():
    """Returns the cached large CPU blocks to the system."""
    ct_cpu_backend.empty_cache()


# ---------------------------------------------------------------- CPU BLAS

cdef ct_gemm_fn _capi_fn(dict capi, str name) except NULL:
    cap = capi[name]
    return <ct_gemm_fn>PyCapsule_GetPointer(cap, PyCapsule_GetName(cap))


cdef int ensure_gemm(const ct_backend *B) except -1:
    """Makes B.gemm ready: the CPU binds scipy's BLAS on the first product."""
    if B.gemm_ready() == 0:
        return 0
    if B == &ct_cpu_backend:
        from scipy.linalg import cython_blas
        capi = cython_blas.__pyx_capi__
        ct_cpu_set_blas(_capi_fn(capi, "sgemm"), _capi_fn(capi, "dgemm"),
                        _capi_fn(capi, "cgemm"), _capi_fn(capi, "zgemm"))
        if B.gemm_ready() == 0:
            return 0
    raise RuntimeError(f"matrix products are not available on the {B.name.decode()} backend")


cdef ct_blas_local_fn _np_blas_local = NULL
cdef bint _np_blas_looked = False


def _numpy_blas_threads(int n):
    """Sets how many threads numpy's OpenBLAS uses for calls made from this
    thread (0: its global setting) and returns the previous value, or -1 when
    numpy's BLAS is not OpenBLAS. torch.linalg runs numpy's LAPACK with 1: a
    threaded BLAS leaves its workers spinning after each call, and they take
    the cores from ctorch's OpenMP workers in the ops that follow."""
    global _np_blas_local, _np_blas_looked
    if not _np_blas_looked:
        _np_blas_looked = True
        import numpy.linalg._umath_linalg as m
        _np_blas_local = ct_blas_local_in(m.__file__.encode())
    if _np_blas_local == NULL:
        return -1
    return _np_blas_local(n)
