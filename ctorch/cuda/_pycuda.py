"""The GPU driver of the CUDA backend: PyCUDA.

ctorch.cuda._backend calls these methods from C (with the GIL) for memory,
copies and launches. The kernels are the fatbins that setup.py built with
nvcc (sm_80, sm_90 and compute_90 PTX, in ctorch/cuda/fatbin/), loaded with
`module_from_buffer` into the device's primary context (retained and pushed,
so that ctorch shares the GPU with PyTorch or CuPy in one process); when no
image fits the GPU, the sources in cuda_src/ are compiled through PyCUDA.

A launch hands the kernel its argument struct's bytes as the parameter
buffer: exactly what PyCUDA's prepared_call does after packing the
arguments with the format given to prepare() (here "<size>s", one struct;
tests/test_cuda_kernels.py checks each size against `nvcc -ptx`).
"""
import atexit
import ctypes
import glob
import os
import threading

HERE = os.path.dirname(os.path.abspath(__file__))


def _host_buffer(addr, n):
    return (ctypes.c_char * n).from_address(addr)


class Driver:
    def __init__(self, ordinal=0):
        import pycuda.driver as drv
        drv.init()
        self.drv = drv
        self.device = drv.Device(ordinal)
        self.context = self.device.retain_primary_context()
        self.context.push()
        self.sm_count = self.device.get_attribute(drv.device_attribute.MULTIPROCESSOR_COUNT)
        self.modules = self._load_modules()
        self.functions = []
        self.index = {}
        self.allocations = {}
        self.last_error = None
        self._tls = threading.local()       # the context is current per thread
        self._tls.current = True
        atexit.register(self._release)

    def _release(self):
        """At interpreter exit: the primary context off the exiting thread's
        context stack (PyCUDA aborts the process when its module is cleaned up
        with a context still on it)."""
        if getattr(self._tls, "current", False):
            self._tls.current = False
            self.drv.Context.pop()

    def _current(self):
        """Makes the primary context current in the calling thread (once a thread)."""
        if not getattr(self._tls, "current", False):
            self.context.push()
            self._tls.current = True

    def _load_modules(self):
        mods = []
        where = os.environ.get("CTORCH_CUDA_IMAGES") or os.path.join(HERE, "fatbin")
        images = sorted(glob.glob(os.path.join(where, "*.fatbin")))
        if not images:
            raise RuntimeError(f"ctorch was built without its CUDA kernels: no kernel images in {where} "
                               "(rebuild with nvcc on the PATH and the NVIDIA driver installed)")
        for path in images:
            with open(path, "rb") as f:
                image = f.read()
            try:
                mods.append(self.drv.module_from_buffer(image))
            except self.drv.Error:
                mods.append(self._compile(os.path.basename(path)[:-len(".fatbin")]))
        return mods

    def _compile(self, stem):
        """No image of the fatbin fits this GPU: compile its source for it."""
        from pycuda.compiler import compile as nvcc_compile
        root = os.path.dirname(os.path.dirname(HERE))
        src = os.path.join(root, "cuda_src", stem + ".cu")
        if not os.path.exists(src):
            raise RuntimeError(f"no kernel image for this GPU and no source {src} to compile")
        with open(src) as f:
            code = f.read()
        major, minor = self.device.compute_capability()
        cubin = nvcc_compile(code, no_extern_c=True, arch=f"sm_{major}{minor}",
                             include_dirs=[os.path.join(root, "cuda_src"),
                                           os.path.join(root, "ctorch", "_kernels")])
        return self.drv.module_from_buffer(cubin)

    def find(self, name):
        if name in self.index:
            return self.index[name]
        for m in self.modules:
            try:
                fn = m.get_function(name)
            except self.drv.LogicError:
                continue
            self.index[name] = len(self.functions)
            self.functions.append(fn)
            return self.index[name]
        return -1

    def launch(self, k, grid, block, shmem, args):
        self._current()
        self.functions[k]._launch_kernel(grid, block, args, shmem, None)

    def malloc(self, n):
        self._current()
        try:
            a = self.drv.mem_alloc(n)
        except self.drv.MemoryError:
            return 0
        p = int(a)
        self.allocations[p] = a
        return p

    def free(self, p):
        a = self.allocations.pop(p, None)
        if a is not None:
            a.free()

    def memcpy(self, dst, src, n, kind):
        self._current()
        if kind == 0:
            self.drv.memcpy_htod(dst, _host_buffer(src, n))
        elif kind == 1:
            self.drv.memcpy_dtoh(_host_buffer(dst, n), src)
        else:
            self.drv.memcpy_dtod(dst, src, n)

    def memset(self, dst, v, n):
        self._current()
        self.drv.memset_d8(dst, v, n)

    def synchronize(self):
        self._current()
        self.drv.Context.synchronize()
