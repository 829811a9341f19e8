"""pycuda.driver as ctorch uses it, over the host build's C interface."""
import atexit
import ctypes
import os
import sys


from ctorch.cuda._hostbuild import host_kernels_path

_LIB = ctypes.CDLL(host_kernels_path())
_LIB.ctk_malloc.restype = ctypes.c_void_p
_LIB.ctk_malloc.argtypes = [ctypes.c_size_t]
_LIB.ctk_free.argtypes = [ctypes.c_void_p]
_LIB.ctk_memcpy.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
_LIB.ctk_memset.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]
_LIB.ctk_find.argtypes = [ctypes.c_char_p]
_LIB.ctk_launch.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint,
                            ctypes.c_char_p, ctypes.c_uint]
_LIB.ctk_set_guard(1)

# the fake device's memory: allocations beyond this many bytes fail, as on a full GPU
LIMIT = int(os.environ.get("FAKE_PYCUDA_MEMORY", str(1 << 30)))
_used = [0]
calls = {"mem_alloc": 0, "launch": 0}


class Error(Exception):
    pass


class LogicError(Error):
    pass


class MemoryError(Error):
    pass


def init(flags=0):
    pass


def get_driver_version():
    return 13000


class device_attribute:
    MULTIPROCESSOR_COUNT = "MULTIPROCESSOR_COUNT"


class event_flags:
    DISABLE_TIMING = 2


# the context stack of the thread that imported this module; like PyCUDA,
# exit aborts the process when a context is left on it
_stack = []


def _check_stack_at_exit():
    if _stack:
        sys.stderr.write("PyCUDA ERROR: The context stack was not empty upon module cleanup.\n")
        sys.stderr.flush()
        os._exit(134)


atexit.register(_check_stack_at_exit)


class Context:
    def push(self):
        _stack.append(self)

    @staticmethod
    def pop():
        if not _stack:
            raise LogicError("cuCtxPopCurrent failed: invalid context")
        _stack.pop()

    @staticmethod
    def synchronize():
        pass


class Device:
    def __init__(self, i):
        self.i = i

    @staticmethod
    def count():
        return 1

    def name(self):
        return "fake GPU (ctorch host build)"

    def compute_capability(self):
        return (9, 0)

    def total_memory(self):
        return LIMIT

    def get_attribute(self, a):
        return 4

    def get_attributes(self):
        return {device_attribute.MULTIPROCESSOR_COUNT: 4}

    def retain_primary_context(self):
        return Context()


class DeviceAllocation:
    def __init__(self, p, n):
        self.p, self.n = p, n

    def __int__(self):
        return self.p

    def free(self):
        if self.p:
            _LIB.ctk_free(self.p)
            _used[0] -= self.n
            self.p = 0


def mem_alloc(n):
    calls["mem_alloc"] += 1
    if _used[0] + n > LIMIT:
        raise MemoryError("cuMemAlloc failed: out of memory")
    p = _LIB.ctk_malloc(n)
    if not p:
        raise MemoryError("cuMemAlloc failed: out of memory")
    _used[0] += n
    return DeviceAllocation(p, n)


def _addr(buf):
    return ctypes.addressof(ctypes.c_char.from_buffer(buf))


def memcpy_htod(dst, src):
    n = memoryview(src).nbytes
    _LIB.ctk_memcpy(dst, _addr(src), n, 0)


def memcpy_dtoh(dst, src):
    n = memoryview(dst).nbytes
    _LIB.ctk_memcpy(_addr(dst), src, n, 1)


def memcpy_dtod(dst, src, n):
    _LIB.ctk_memcpy(dst, src, n, 2)


def memset_d8(dst, v, n):
    _LIB.ctk_memset(dst, v, n)


class Function:
    def __init__(self, k):
        self.k = k

    def _launch_kernel(self, grid, block, args, shared, stream):
        calls["launch"] += 1
        g = (ctypes.c_uint * 3)(*grid)
        b = (ctypes.c_uint * 3)(*block)
        rc = _LIB.ctk_launch(self.k, g, b, shared, bytes(args), len(args))
        if rc != 0:
            raise LogicError(f"cuLaunchKernel failed ({rc})")


class Module:
    def get_function(self, name):
        k = _LIB.ctk_find(name.encode())
        if k < 0:
            raise LogicError(f"cuModuleGetFunction failed: named symbol not found ({name})")
        return Function(k)


def module_from_buffer(image, options=None):
    if not image:
        raise Error("cuModuleLoadData failed: empty image")
    return Module()


class Event:
    def __init__(self, flags=0):
        self.t = None

    def record(self, stream=None):
        import time
        self.t = time.perf_counter()

    def synchronize(self):
        pass

    def query(self):
        return True

    def time_till(self, end):
        return (end.t - self.t) * 1000.0
