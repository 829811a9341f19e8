"""Build ctorch: many small Cython modules plus the C kernels, in parallel.

`pip install -e .`, `pip wheel .` and `python setup.py build_ext --inplace`
all come here. What the build does:

- every `ctorch/**/*.pyx` is one extension module (found, not listed);
- the CPU kernels `ctorch/_kernels/*.c` are compiled once, at -O3, and linked
  into the one module that owns the backend table (ctorch._core.dispatch);
  Cython modules are glue and compile at a cheaper level (GLUE_OPT);
- all compiles of all modules run at once on every core, and nvcc builds the
  CUDA fatbins beside them when it is present;
- objects are kept in build/cache/ with the headers each one read (-MMD), so a
  rebuild compiles only what changed: pip's editable builds run in a fresh
  temporary folder every time, and without this cache every `pip install -e`
  would compile everything again.

OpenMP is detected by compiling a tiny program; without it the kernels still
build and run on one thread.
"""
import hashlib
import os
import platform
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from concurrent.futures import ThreadPoolExecutor

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
KERNELS = os.path.join("ctorch", "_kernels")
CACHE = os.path.join(HERE, "build", "cache")
BACKEND_MODULE = "ctorch._core.dispatch"     # links the CPU kernels
CUDA_MODULE = "ctorch.cuda._backend"         # links the CUDA backend's C side
CUDA_GLUE = os.path.join("ctorch", "cuda")

# -O1 compiles the Cython glue ~2.5x faster than -O3; the modules on the
# path of every small op (x + y, views, graph recording) keep -O2.
GLUE_OPT = "-O1"
HOT_MODULES = {"ctorch._core.tensor", "ctorch._core.iterator", "ctorch._ops.elementwise",
               "ctorch._ops.views", "ctorch.autograd._node"}
HOT_OPT = "-O3"
KERNEL_OPT = "-O3"

# CTORCH_SANITIZE=1 (or a list such as address,undefined) builds every module
# with those sanitizers, at -O1 with debug info and frame pointers so that the
# reports point at source lines (README, "Reliability"). The flags are part of
# each object's cache key, so sanitized and normal objects never mix.
SANITIZE = os.environ.get("CTORCH_SANITIZE", "")
SANITIZE = {"0": "", "1": "address,undefined"}.get(SANITIZE, SANITIZE)
SANITIZE_FLAGS = []
if SANITIZE:
    SANITIZE_FLAGS = [f"-fsanitize={SANITIZE}", "-fno-omit-frame-pointer", "-g"]
    GLUE_OPT = HOT_OPT = KERNEL_OPT = "-O1"

# Python's CFLAGS carry -fwrapv, and the kernels keep it: integer tensors'
# arithmetic wraps around in two's complement, as PyTorch's does
KERNEL_FLAGS = [KERNEL_OPT, "-fvisibility=hidden"]   # only the extension that links them sees them
# the x86-64-v4 clones of the hot loops (common.h) run 16 float lanes: GCC's
# default tuning keeps AVX-512 code at 256 bits, half the width the
# transcendental loops (fastmath.h) can use
if platform.machine().lower() in ("x86_64", "amd64") and sys.platform != "win32":
    KERNEL_FLAGS.append("-mprefer-vector-width=512")

# -fno-math-errno / -fno-trapping-math: ctorch never reads errno or the
# floating-point exception flags, and with them GCC may turn float selects
# (clamps, NaN checks) into vector blends: without -fno-trapping-math the
# `omp simd` loops over fastmath.h's expf stay scalar. Neither flag lets the
# compiler change results (unlike -ffast-math).
COMMON_FLAGS = ["-std=gnu11", "-g0", "-fno-strict-aliasing", "-Wno-unused-function",
                "-Wno-maybe-uninitialized", "-fno-math-errno", "-fno-trapping-math"]


def _openmp_flags():
    if sys.platform == "win32":
        return ["/openmp"], []
    probe = "#include <omp.h>\nint main(void){return omp_get_max_threads() > 0 ? 0 : 1;}\n"
    cc = os.environ.get("CC", "cc")
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "probe.c")
        with open(src, "w") as f:
            f.write(probe)
        try:
            ok = subprocess.run([cc, "-fopenmp", src, "-o", os.path.join(tmp, "probe")],
                                capture_output=True).returncode == 0
        except OSError:
            ok = False
    return (["-fopenmp"], ["-fopenmp"]) if ok else ([], [])


def _pyx_modules():
    """(module name, .pyx path) of every Cython module of the package."""
    found = []
    for root, dirs, files in os.walk("ctorch"):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")))
        for f in sorted(files):
            if f.endswith(".pyx"):
                path = os.path.join(root, f)
                found.append((path[:-4].replace(os.sep, "."), path))
    return found


def _kernel_sources():
    return sorted(os.path.join(KERNELS, f) for f in os.listdir(KERNELS) if f.endswith(".c"))


def _cuda_glue_sources():
    return sorted(os.path.join(CUDA_GLUE, f) for f in os.listdir(CUDA_GLUE) if f.endswith(".c"))


def _extensions():
    omp_c, omp_l = _openmp_flags()
    exts = []
    for name, path in _pyx_modules():
        # only the module that links the kernels runs OpenMP; the glue
        # modules load a little faster without libgomp among their needs
        backend = name == BACKEND_MODULE
        ext = Extension(name, [path], include_dirs=[KERNELS, CUDA_GLUE],
                        extra_compile_args=COMMON_FLAGS + SANITIZE_FLAGS + (omp_c if backend else []),
                        extra_link_args=SANITIZE_FLAGS[:1] + (
                            (omp_l + ["-lm", "-ldl"]) if backend else ["-lm"]))
        exts.append(ext)
    return exts


def _cythonize(exts):
    """Cython -> C for the modules whose sources changed; the others keep
    their C file. cythonize's own check counts Cython's bundled .pxd files
    (libc, cpython) as dependencies, and pip's isolated build installs a new
    copy of Cython each time, so every pip run would translate and compile
    those modules again: here only our sources count, and a C file made by
    another Cython version is made again."""
    import Cython
    from Cython.Build import cythonize
    from Cython.Build.Dependencies import create_dependency_tree
    from Cython.Utils import file_generated_by_this_cython

    out_dir = os.path.join("build", "cython")
    cython_dir = os.path.dirname(os.path.abspath(Cython.__file__))
    tree = create_dependency_tree()
    stale, fresh = [], []
    for ext in exts:
        pyx = ext.sources[0]
        c_file = os.path.join(out_dir, pyx[:-4] + ".c")
        deps = [d for d in tree.all_dependencies(pyx)
                if not os.path.abspath(d).startswith(cython_dir)]
        if file_generated_by_this_cython(c_file) and _newer_than(c_file, deps):
            ext.sources = [c_file] + ext.sources[1:]
            fresh.append(ext)
        else:
            stale.append(ext)
    if not stale:
        return fresh
    # boundscheck/wraparound stay on: they only guard Python-object indexing
    # (lists, tuples), which is never on a hot path; C arrays are unaffected.
    return fresh + cythonize(stale, language_level=3, nthreads=os.cpu_count() or 1, quiet=True,
                             build_dir=out_dir, force=True,
                             compiler_directives={
                                 "boundscheck": True, "wraparound": True, "cdivision": True,
                                 "initializedcheck": False, "embedsignature": False,
                             })


def _cuda_driver_present():
    """True when the NVIDIA driver's library loads (a GPU can run the kernels)."""
    import ctypes
    try:
        ctypes.CDLL("libcuda.so.1")
        return True
    except OSError:
        return False


def _newer_than(target, deps):
    """True when target exists and no dependency is newer (or missing)."""
    try:
        t = os.path.getmtime(target)
    except OSError:
        return False
    for d in deps:
        try:
            if os.path.getmtime(d) > t:
                return False
        except OSError:
            return False
    return True


def _read_depfile(path):
    """The prerequisites listed in a gcc -MMD dependency file."""
    try:
        with open(path) as f:
            text = f.read().replace("\\\n", " ")
    except OSError:
        return None
    _, _, deps = text.partition(":")
    return shlex.split(deps)


class BuildExt(build_ext):
    """Compiles every source of every extension at once (one job per core),
    from the object cache where it can, then links; nvcc runs alongside."""

    def finalize_options(self):
        super().finalize_options()
        self.parallel = os.cpu_count() or 1
        # setuptools clears `inplace` while it builds (and copies only the
        # extension modules to the source tree afterwards): keep it for the
        # files this build puts beside them
        self._to_source = bool(self.inplace)

    def _source_too(self):
        return self._to_source or getattr(self, "editable_mode", False)

    def build_extensions(self):
        self.check_extensions_list(self.extensions)
        cc = self.compiler
        compiler_so = list(cc.compiler_so)
        include = [sysconfig.get_paths()["include"]] + list(cc.include_dirs)
        jobs = {}                      # object path -> (source, flags)
        ext_objects = {}
        for ext in self.extensions:
            objs = []
            opt = HOT_OPT if ext.name in HOT_MODULES else GLUE_OPT
            incs = [f"-I{d}" for d in ext.include_dirs + include]
            for src in ext.sources:
                objs.append(self._job(jobs, src, compiler_so, incs, ext.extra_compile_args + [opt]))
            for src in (_kernel_sources() if ext.name == BACKEND_MODULE else ()):
                objs.append(self._job(jobs, src, compiler_so, incs, ext.extra_compile_args + KERNEL_FLAGS))
            for src in (_cuda_glue_sources() if ext.name == CUDA_MODULE else ()):
                objs.append(self._job(jobs, src, compiler_so, incs, ext.extra_compile_args + ["-O2"]))
            ext_objects[ext.name] = objs
        cuda = self._start_cuda()
        todo = [(obj, src, cmd) for obj, (src, cmd) in jobs.items() if not self._fresh(obj)]
        # longest first: the big kernel files and modules set the wall time
        todo.sort(key=lambda j: -os.path.getsize(j[1]))
        if todo:
            print(f"compiling {len(todo)} of {len(jobs)} sources on {self.parallel} cores", flush=True)
        with ThreadPoolExecutor(self.parallel) as pool:
            for _ in pool.map(self._compile, todo):
                pass
        with ThreadPoolExecutor(self.parallel) as pool:
            for _ in pool.map(lambda e: self._link(e, ext_objects[e.name]), self.extensions):
                pass
        self._finish_cuda(cuda)

    # ------------------------------------------------------------ compiling

    def _job(self, jobs, src, compiler_so, incs, flags):
        cmd = compiler_so + incs + flags
        key = hashlib.sha1(" ".join(cmd).encode()).hexdigest()[:10]
        rel = os.path.relpath(os.path.abspath(src), HERE)
        obj = os.path.join(CACHE, key, os.path.splitext(rel)[0] + ".o")
        jobs[obj] = (src, cmd)
        return obj

    @staticmethod
    def _fresh(obj):
        deps = _read_depfile(obj[:-2] + ".d")
        return deps is not None and _newer_than(obj, deps)

    @staticmethod
    def _compile(job):
        obj, src, cmd = job
        os.makedirs(os.path.dirname(obj), exist_ok=True)
        full = cmd + ["-c", src, "-o", obj, "-MMD", "-MF", obj[:-2] + ".d"]
        r = subprocess.run(full, capture_output=True, text=True)
        if r.stdout or r.stderr:
            print(r.stdout + r.stderr, file=sys.stderr, flush=True)
        if r.returncode != 0:
            raise RuntimeError(f"compiling {src} failed:\n{shlex.join(full)}")

    def _link(self, ext, objects):
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
        self.compiler.link_shared_object(
            objects, target, libraries=self.get_libraries(ext), library_dirs=ext.library_dirs,
            extra_postargs=ext.extra_link_args, target_lang="c")

    # ------------------------------------------------------------ CUDA

    def _start_cuda(self):
        """nvcc for each cuda_src/*.cu whose fatbin is missing or older, started
        now so that it runs beside the C compiles. CTORCH_NO_CUDA=1 skips it;
        a failure is reported, not fatal: the CPU library does not need it."""
        nvcc = shutil.which("nvcc") or next(
            (p for p in ("/usr/local/cuda/bin/nvcc",) if os.path.exists(p)), None)
        if nvcc is None or os.environ.get("CTORCH_NO_CUDA"):
            return []
        if not (_cuda_driver_present() or os.environ.get("CTORCH_BUILD_CUDA")):
            # no GPU to run them: the fatbins would cost minutes of nvcc for
            # nothing (CTORCH_BUILD_CUDA=1 builds them anyway)
            print("nvcc found but no CUDA driver: the CUDA kernels are not built "
                  "(CTORCH_BUILD_CUDA=1 builds them)", flush=True)
            return []
        src_dir = os.path.join(HERE, "cuda_src")
        out_dir = os.path.join(CACHE, "fatbin")
        os.makedirs(out_dir, exist_ok=True)
        deps = [os.path.join(src_dir, f) for f in os.listdir(src_dir)] + [
            os.path.join(HERE, KERNELS, f) for f in os.listdir(os.path.join(HERE, KERNELS))]
        procs = []
        for name in sorted(os.listdir(src_dir)):
            if not name.endswith(".cu"):
                continue
            target = os.path.join(out_dir, name[:-3] + ".fatbin")
            if not _newer_than(target, deps):
                # warnings are errors; --resource-usage reports registers and
                # spills, and --keep the PTX: tests/test_cuda_kernels.py reads
                # both (<stem>.log, <stem>.keep/) instead of compiling again
                keep = target[:-len(".fatbin")] + ".keep"
                shutil.rmtree(keep, ignore_errors=True)
                os.makedirs(keep)
                cmd = [nvcc, "-fatbin", "-O3", "-I", os.path.join(HERE, KERNELS),
                       "-Werror", "all-warnings", "--resource-usage", "--keep", "--keep-dir", keep,
                       "-gencode=arch=compute_80,code=sm_80",
                       "-gencode=arch=compute_90,code=sm_90",
                       "-gencode=arch=compute_90,code=compute_90",
                       os.path.join(src_dir, name), "-o", target]
                procs.append((name, subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                                     stderr=subprocess.STDOUT, text=True)))
            else:
                procs.append((name, None))
        return procs

    def _finish_cuda(self, procs):
        out_dirs = [os.path.join(self.build_lib, "ctorch", "cuda", "fatbin")]
        if self._source_too():
            out_dirs.append(os.path.join(HERE, "ctorch", "cuda", "fatbin"))
        for name, p in procs:
            built = os.path.join(CACHE, "fatbin", name[:-3] + ".fatbin")
            if p is not None:
                log = p.stdout.read()
                with open(built[:-len(".fatbin")] + ".log", "w") as f:
                    f.write(log)
                if p.wait() != 0:
                    print(f"warning: nvcc failed on {name}:\n{log}", file=sys.stderr)
                    if os.path.exists(built):
                        os.remove(built)
                    continue
            for d in out_dirs:
                os.makedirs(d, exist_ok=True)
                shutil.copy2(built, d)


setup(ext_modules=_cythonize(_extensions()), cmdclass={"build_ext": BuildExt})
