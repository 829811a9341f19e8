"""torch.cuda for ctorch.

CUDA tensors run the kernels of cuda_src/ through the CUDA backend
(ctorch.cuda._backend): on a GPU with PyCUDA (the optional extra
`pip install -e .[cuda]`), launched in the device's primary context; without
PyCUDA or a driver, `is_available()` is False (decided without importing
anything heavy) and every CPU feature works as usual.

`_emulate()` serves "cuda:0" with the host build of the same kernels (an
emulated device whose memory is host memory), so the tests exercise the
op dispatch, the allocator and autograd on CUDA tensors on any machine.
Its results are emulated results, never GPU results.
"""
import os
import time

from ctorch._core.dispatch import device as _device_type, register_backend as _register

__all__ = ["is_available", "device_count", "current_device", "set_device", "device",
           "get_device_name", "get_device_properties", "get_device_capability", "synchronize",
           "Stream", "current_stream", "default_stream", "stream", "Event", "memory_allocated",
           "max_memory_allocated", "memory_reserved", "max_memory_reserved", "memory_stats",
           "reset_peak_memory_stats", "empty_cache", "manual_seed", "manual_seed_all", "seed",
           "seed_all", "initial_seed", "is_initialized", "init", "OutOfMemoryError", "AcceleratorError"]


class OutOfMemoryError(RuntimeError):
    """Raised when the device has no memory left for an allocation (after the
    allocator returned its cache to the driver and tried once more)."""


class AcceleratorError(RuntimeError):
    """Exception raised while executing on device: an error the CUDA runtime
    or driver reported (torch.AcceleratorError). Raised by the backend, it
    carries the failed call's code as `error_code`."""


# "kind": None (not decided), "none", "gpu" or "emulated"
_state = {"kind": None, "count": 0, "current": 0, "driver": None, "emulated_props": None, "blas": None}


def _pycuda_present():
    import importlib.util
    return importlib.util.find_spec("pycuda") is not None


def _probe():
    """Decides once whether a GPU is there: PyCUDA importable and a driver
    that sees at least one device."""
    if _state["kind"] is None:
        kind, count = "none", 0
        if _pycuda_present():
            try:
                import pycuda.driver as drv
                drv.init()
                count = drv.Device.count()
                kind = "gpu" if count > 0 else "none"
            except Exception:
                kind, count = "none", 0
        _state["kind"], _state["count"] = kind, count
    return _state["kind"]


def is_available():
    return _probe() in ("gpu", "emulated")


def device_count():
    _probe()
    return _state["count"]


def _is_emulated():
    return _state["kind"] == "emulated"


def is_initialized():
    return _state["driver"] is not None


def _lazy_init(ordinal=0):
    """Registers the backend of device `ordinal` (ctorch._core.dispatch calls
    this on the first use of a CUDA device), or raises PyTorch's error."""
    kind = _probe()
    if kind == "none":
        if not _pycuda_present():
            raise AssertionError("Torch not compiled with CUDA enabled")   # PyTorch's type
        raise RuntimeError("Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU "
                           "and installed a driver from http://www.nvidia.com/Download/index.aspx")
    if not 0 <= ordinal < _state["count"]:
        raise AcceleratorError("CUDA error: invalid device ordinal")
    if kind == "gpu" and _state["driver"] is None:
        from ctorch.cuda import _backend, _pycuda
        drv = _pycuda.Driver(ordinal)
        _register(ordinal, _backend.install_gpu(drv))
        _state["driver"] = drv
        _state["blas"] = _load_cublas(_backend)


def _cublas_candidates():
    """Paths of a libcublas to try, best first: CTORCH_CUBLAS ("0": none),
    the CUDA toolkit's, the nvidia-cublas wheel's (a dependency of PyTorch's
    CUDA wheels), then the names the dynamic loader searches for."""
    env = os.environ.get("CTORCH_CUBLAS")
    if env is not None:
        return [] if env in ("", "0") else [env]
    import glob
    import sys
    dirs = [os.path.join(os.environ[v], "lib64") for v in ("CUDA_HOME", "CUDA_PATH") if os.environ.get(v)]
    dirs.append("/usr/local/cuda/lib64")
    dirs += [os.path.join(p, "nvidia", "cublas", "lib") for p in sys.path if p]
    found = []
    for d in dirs:
        found += sorted(glob.glob(os.path.join(d, "libcublas.so.*")), reverse=True)
    return found + ["libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so"]


def _load_cublas(backend):
    """The path of the cuBLAS library the float products now run in, or None
    (the tiled kernels of cuda_src/matmul.cu run them)."""
    for path in _cublas_candidates():
        if backend.blas_load(path) is None:
            return path
    return None


def _blas_library():
    """The cuBLAS library behind float products on the GPU, or None."""
    return _state["blas"]


def init():
    if not is_available():
        _lazy_init(0)
    _lazy_init(_state["current"])


def _require():
    if not is_available():
        _lazy_init(0)       # raises PyTorch's error


def _emulate(on=True, guard=True, sm_count=4):
    """Serves cuda:0 with the host build of the kernels (on=True) or stops
    (on=False). guard: the emulated memory is closed to host code between
    launches, so host code that reads a device pointer faults. The build is
    made on first use (ctorch.cuda._hostbuild), or is the library
    CTORCH_HOST_KERNELS names (the tests' deliberately broken builds)."""
    from ctorch.cuda import _backend
    if on:
        path = os.environ.get("CTORCH_HOST_KERNELS")
        if not path:
            from ctorch.cuda._hostbuild import host_kernels_path
            path = host_kernels_path()
        capsule = _backend.install_host(path, sm_count)
        _backend.host_set_guard(guard)
        _register(0, capsule)
        _state.update(kind="emulated", count=1, current=0, driver="emulated")
    else:
        _register(0, None)
        _state.update(kind=None, count=0, current=0, driver=None)


def _ordinal(d):
    if d is None:
        return _state["current"]
    if isinstance(d, int) and not isinstance(d, bool):
        return d
    d = d if isinstance(d, _device_type) else _device_type(d)
    if d.type != "cuda":
        raise ValueError(f"Expected a cuda device, but got: {d}")
    return _state["current"] if d.index is None else d.index


def current_device():
    _require()
    return _state["current"]


def set_device(device):
    i = _ordinal(device)
    if i < 0:
        return
    _require()
    if i >= _state["count"]:
        raise AcceleratorError("CUDA error: invalid device ordinal")
    _state["current"] = i


class device:
    """Context manager that makes `device` the current CUDA device."""

    def __init__(self, device):
        self.idx = _ordinal(device) if device is not None else -1
        self.prev = -1

    def __enter__(self):
        if self.idx >= 0:
            self.prev = current_device()
            set_device(self.idx)

    def __exit__(self, *exc):
        if self.prev >= 0:
            set_device(self.prev)
        return False


class _Properties:
    def __init__(self, name, major, minor, total_memory, multi_processor_count):
        self.name = name
        self.major = major
        self.minor = minor
        self.total_memory = total_memory
        self.multi_processor_count = multi_processor_count

    def __repr__(self):
        return (f"_CudaDeviceProperties(name='{self.name}', major={self.major}, minor={self.minor}, "
                f"total_memory={self.total_memory // (1024 * 1024)}MB, "
                f"multi_processor_count={self.multi_processor_count})")


def get_device_properties(device=None):
    _require()
    i = _ordinal(device)
    if not 0 <= i < _state["count"]:
        raise AssertionError("Invalid device id")
    if _state["kind"] == "emulated":
        return _Properties("ctorch host emulator", 0, 0, 0, 4)
    import pycuda.driver as drv
    d = drv.Device(i)
    a = d.get_attributes()
    major, minor = d.compute_capability()
    return _Properties(d.name(), major, minor, d.total_memory(),
                       a[drv.device_attribute.MULTIPROCESSOR_COUNT])


def get_device_name(device=None):
    return get_device_properties(device).name


def get_device_capability(device=None):
    p = get_device_properties(device)
    return (p.major, p.minor)


def synchronize(device=None):
    _require()
    from ctorch.cuda import _backend
    _backend.synchronize()


# ------------------------------------------------------- streams, events

class Stream:
    """A CUDA stream. ctorch orders every launch on the device's default
    stream; a Stream object here is that stream (its methods synchronise)."""

    def __init__(self, device=None, priority=0, **kwargs):
        _require()
        self.device = _device_type("cuda", _ordinal(device))
        self.priority = priority

    def synchronize(self):
        synchronize()

    def wait_stream(self, stream):
        synchronize()

    def wait_event(self, event):
        event.synchronize()

    def record_event(self, event=None):
        event = event if event is not None else Event()
        event.record(self)
        return event

    def query(self):
        synchronize()
        return True

    def __eq__(self, other):
        return isinstance(other, Stream) and other.device == self.device

    def __hash__(self):
        return hash(self.device)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def current_stream(device=None):
    return Stream(device)


def default_stream(device=None):
    return Stream(device)


def stream(s):
    """Context manager: launches inside go to stream `s` (the default stream)."""
    return s if s is not None else Stream()


class Event:
    """A CUDA event: record(), synchronize(), query(), elapsed_time() in ms."""

    def __init__(self, enable_timing=False, blocking=False, interprocess=False):
        _require()
        self.enable_timing = enable_timing
        self._ev = None
        self._t = None
        if _state["kind"] == "gpu":
            import pycuda.driver as drv
            flags = 0 if enable_timing else drv.event_flags.DISABLE_TIMING
            self._ev = drv.Event(flags)

    def record(self, stream=None):
        if self._ev is not None:
            self._ev.record()
        else:
            self._t = time.perf_counter()

    def synchronize(self):
        if self._ev is not None:
            self._ev.synchronize()

    def query(self):
        return self._ev.query() if self._ev is not None else True

    def wait(self, stream=None):
        self.synchronize()

    def elapsed_time(self, end_event):
        if not (self.enable_timing and end_event.enable_timing):
            raise RuntimeError("Both events must be created with argument 'enable_timing=True'.")
        if self._ev is not None:
            return self._ev.time_till(end_event._ev)
        if self._t is None or end_event._t is None:
            raise RuntimeError("Both events must be recorded before calculating elapsed time.")
        return (end_event._t - self._t) * 1000.0


# ----------------------------------------------------------------- memory

def _stats():
    if not is_initialized():
        return {}
    from ctorch.cuda import _backend
    return _backend.memory_stats()


def memory_stats(device=None):
    return dict(_stats())


def memory_allocated(device=None):
    return _stats().get("allocated_bytes.all.current", 0)


def max_memory_allocated(device=None):
    return _stats().get("allocated_bytes.all.peak", 0)


def memory_reserved(device=None):
    return _stats().get("reserved_bytes.all.current", 0)


def max_memory_reserved(device=None):
    return _stats().get("reserved_bytes.all.peak", 0)


def reset_peak_memory_stats(device=None):
    if is_initialized():
        from ctorch.cuda import _backend
        _backend.reset_peak_memory_stats()


def empty_cache():
    if is_initialized():
        from ctorch.cuda import _backend
        _backend.empty_cache()


# ----------------------------------------------------------------- random
# One Philox generator serves both devices (the same seed gives the same
# numbers on the CPU and on a GPU).

def manual_seed(seed):
    from ctorch import manual_seed as _ms
    _ms(seed)


def manual_seed_all(seed):
    manual_seed(seed)


def seed():
    from ctorch import seed as _seed
    return _seed()


def seed_all():
    seed()


def initial_seed():
    from ctorch import initial_seed as _is
    return _is()


def __getattr__(name):
    # torch.cuda.amp: the deprecated CUDA forms of torch.amp's, loaded on first use
    if name == "amp":
        from ctorch.amp._device_amp import cuda_amp
        globals()["amp"] = cuda_amp
        return cuda_amp
    raise AttributeError(f"module 'ctorch.cuda' has no attribute '{name}'")
