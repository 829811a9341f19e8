# cython: language_level=3
"""The CUDA backend's table and its driver.

The table (cuda_backend.c and the cu_<family>.c files) launches the kernels
of cuda_src/ through a driver of seven functions: memory, copies, launches,
synchronisation and kernel lookup. Two drivers exist:

- the GPU: PyCUDA, through ctorch.cuda._pycuda (the device's primary
  context, the fatbins loaded with module_from_buffer, launches with the
  kernel's argument struct as the parameter buffer);
- the host build of the same kernels (cuda_src/host_runtime.cpp, built by
  on first use by ctorch.cuda._hostbuild): an emulated device whose
  memory is host memory, closed to host code between launches, which runs
  the op dispatch, allocator and autograd on "CUDA" tensors on any machine.
  Its results are emulated results, never GPU results.
"""
from cpython.pycapsule cimport PyCapsule_New
from cpython.bytes cimport PyBytes_FromStringAndSize
from libc.stdint cimport int64_t, uintptr_t
from ctorch._core.backend cimport ct_backend
from ctorch._core.dispatch cimport backend_for

cdef extern from "cuda_backend.h" nogil:
    ctypedef struct ctc_driver:
        void *(*malloc)(size_t n) noexcept
        void (*free)(void *p) noexcept
        int (*memcpy)(void *dst, const void *src, size_t n, int kind) noexcept
        int (*memset)(void *dst, int v, size_t n) noexcept
        int (*launch)(int kernel, const unsigned *grid, const unsigned *block, unsigned shmem,
                      const void *args, unsigned nbytes) noexcept
        int (*sync)() noexcept
        int (*find)(const char *name) noexcept
        int sm_count
        int (*bind)() noexcept
    ctypedef struct ctc_mem_stats:
        int64_t allocated, max_allocated, reserved, max_reserved, n_device_allocs, n_device_frees
    void ctc_init(const ctc_driver *drv, const ct_backend *cpu)
    ct_backend ctc_backend
    int ctc_error
    char ctc_error_msg[256]
    void ctc_get_stats(ctc_mem_stats *s)
    void ctc_reset_peak()
    void ctc_empty_cache()
    int ctc_sync()

cdef extern from "cu_blas.h" nogil:
    int ctc_blas_load(const char *path, char *msg, int n)
    void ctc_blas_unload()
    int ctc_blas_loaded()
    int64_t ctc_blas_calls()

cdef ctc_driver _drv
cdef object _host_lib = None
cdef object _gpu = None


# ------------------------------------------------------------ host driver

cdef extern from "dlfcn.h" nogil:
    void *dlopen(const char *filename, int flag)
    void *dlsym(void *handle, const char *symbol)
    char *dlerror()
    int RTLD_NOW, RTLD_LOCAL

ctypedef int (*count_fn)() noexcept nogil
ctypedef const char *(*name_fn)(int) noexcept nogil
ctypedef unsigned (*size_fn)(int) noexcept nogil

cdef void *_host_handle = NULL
cdef void (*_host_set_reverse)(int) noexcept nogil
cdef void (*_host_set_guard)(int) noexcept nogil
cdef int64_t (*_host_live_blocks)() noexcept nogil


cdef void *_sym(const char *name) except NULL:
    cdef void *p = dlsym(_host_handle, name)
    if p == NULL:
        raise ImportError(f"the host kernel library lacks {name.decode()}")
    return p


def install_host(str path, int sm_count=4):
    """Serves the emulated device with the host build at `path`; returns the
    table's capsule."""
    global _host_lib, _gpu, _host_handle, _host_set_reverse, _host_set_guard, _host_live_blocks
    if _host_handle == NULL:
        _host_handle = dlopen(path.encode(), RTLD_NOW | RTLD_LOCAL)
        if _host_handle == NULL:
            raise ImportError(f"cannot load the host kernel library {path}: {dlerror().decode()}")
    _drv.malloc = <void *(*)(size_t) noexcept nogil>_sym(b"ctk_malloc")
    _drv.free = <void (*)(void *) noexcept nogil>_sym(b"ctk_free")
    _drv.memcpy = <int (*)(void *, const void *, size_t, int) noexcept nogil>_sym(b"ctk_memcpy")
    _drv.memset = <int (*)(void *, int, size_t) noexcept nogil>_sym(b"ctk_memset")
    _drv.launch = <int (*)(int, const unsigned *, const unsigned *, unsigned, const void *, unsigned) noexcept nogil>_sym(b"ctk_launch")
    _drv.sync = NULL
    _drv.find = <int (*)(const char *) noexcept nogil>_sym(b"ctk_find")
    _drv.sm_count = sm_count
    _drv.bind = NULL
    ctc_blas_unload()           # the emulated device runs its own kernels (tests load a stand-in)
    _host_set_reverse = <void (*)(int) noexcept nogil>_sym(b"ctk_set_reverse")
    _host_set_guard = <void (*)(int) noexcept nogil>_sym(b"ctk_set_guard")
    _host_live_blocks = <int64_t (*)() noexcept nogil>_sym(b"ctk_live_blocks")
    _host_lib = path
    _gpu = None
    ctc_init(&_drv, backend_for(-1))
    return PyCapsule_New(<void *>&ctc_backend, b"ctorch.backend", NULL)


def host_set_reverse(bint on):
    """Emulated device: run the blocks of each launch in reversed order."""
    _host_set_reverse(on)


def host_set_guard(bint on):
    """Emulated device: close its memory to host code between launches."""
    _host_set_guard(on)


def host_kernels():
    """Emulated device: {kernel name: size of its argument struct} of every
    kernel in the host build (the registry CT_KERNEL fills)."""
    cdef count_fn count = <count_fn>_sym(b"ctk_count")
    cdef name_fn name = <name_fn>_sym(b"ctk_name")
    cdef size_fn size = <size_fn>_sym(b"ctk_args_size")
    cdef int i
    out = {}
    for i in range(count()):
        out[name(i).decode()] = size(i)
    return out


def host_live_blocks():
    """Emulated device: the device blocks the allocator holds from the driver."""
    return _host_live_blocks()


# ------------------------------------------------------------- GPU driver
# Each function calls the PyCUDA adapter (ctorch.cuda._pycuda.Driver) with
# the GIL; a Python exception becomes a failure code (the sticky error).

cdef void *_g_malloc(size_t n) noexcept with gil:
    try:
        return <void *><uintptr_t>_gpu.malloc(n)
    except Exception:
        return NULL

cdef void _g_free(void *p) noexcept with gil:
    try:
        _gpu.free(<uintptr_t>p)
    except Exception:
        pass

cdef int _g_memcpy(void *dst, const void *src, size_t n, int kind) noexcept with gil:
    try:
        _gpu.memcpy(<uintptr_t>dst, <uintptr_t>src, n, kind)
        return 0
    except Exception as e:
        _gpu.last_error = e
        return 1

cdef int _g_memset(void *dst, int v, size_t n) noexcept with gil:
    try:
        _gpu.memset(<uintptr_t>dst, v, n)
        return 0
    except Exception as e:
        _gpu.last_error = e
        return 1

cdef int _g_launch(int k, const unsigned *g, const unsigned *b, unsigned shmem, const void *args,
                   unsigned nbytes) noexcept with gil:
    try:
        _gpu.launch(k, (g[0], g[1], g[2]), (b[0], b[1], b[2]), shmem,
                    PyBytes_FromStringAndSize(<const char *>args, nbytes))
        return 0
    except Exception as e:
        _gpu.last_error = e
        return 1

cdef int _g_sync() noexcept with gil:
    try:
        _gpu.synchronize()
        return 0
    except Exception as e:
        _gpu.last_error = e
        return 1

cdef int _g_bind() noexcept with gil:
    try:
        _gpu._current()
        return 0
    except Exception as e:
        _gpu.last_error = e
        return 1

cdef int _g_find(const char *name) noexcept with gil:
    try:
        return _gpu.find(name.decode())
    except Exception:
        return -1


def install_gpu(driver):
    """Serves the GPU through `driver` (ctorch.cuda._pycuda.Driver); returns
    the table's capsule."""
    global _gpu, _host_lib
    _gpu = driver
    _host_lib = None
    _drv.malloc = _g_malloc
    _drv.free = _g_free
    _drv.memcpy = _g_memcpy
    _drv.memset = _g_memset
    _drv.launch = _g_launch
    _drv.sync = _g_sync
    _drv.find = _g_find
    _drv.bind = _g_bind
    _drv.sm_count = driver.sm_count
    ctc_init(&_drv, backend_for(-1))
    return PyCapsule_New(<void *>&ctc_backend, b"ctorch.backend", NULL)


# ---------------------------------------------------------------- cuBLAS

def blas_load(str path):
    """Runs the float products through the cuBLAS library at `path` (None:
    through the kernels again). Returns None, or why the library cannot serve."""
    cdef char msg[512]
    ctc_blas_unload()
    if path is None:
        return None
    if ctc_blas_load(path.encode(), msg, sizeof(msg)) != 0:
        return msg.decode(errors="replace")
    return None


def blas_calls():
    """Products cuBLAS ran since it was loaded (-1: none is loaded)."""
    return ctc_blas_calls() if ctc_blas_loaded() else -1


# ---------------------------------------------------------------- queries

def host_lib():
    return _host_lib


def check():
    """Raises the sticky error of the last failed driver call, once, as
    torch.AcceleratorError (error_code: the failed call's code)."""
    global ctc_error
    if ctc_error != 0:
        msg = ctc_error_msg.decode(errors="replace")
        if _gpu is not None and getattr(_gpu, "last_error", None) is not None:
            msg += f": {_gpu.last_error}"
            _gpu.last_error = None
        code = ctc_error
        ctc_error = 0
        from ctorch.cuda import AcceleratorError
        err = AcceleratorError(f"CUDA error: {msg}")
        err.error_code = code
        raise err


def synchronize():
    with nogil:
        ctc_sync()
    check()


def memory_stats():
    cdef ctc_mem_stats s
    ctc_get_stats(&s)
    return {"allocated_bytes.all.current": s.allocated, "allocated_bytes.all.peak": s.max_allocated,
            "reserved_bytes.all.current": s.reserved, "reserved_bytes.all.peak": s.max_reserved,
            "num_device_alloc": s.n_device_allocs, "num_device_free": s.n_device_frees}


def reset_peak_memory_stats():
    ctc_reset_peak()


def empty_cache():
    ctc_empty_cache()
