"""Build ctorch's Cython core with OpenMP.

`pip install -e .` and `python setup.py build_ext --inplace` both build the
extension in place. OpenMP is detected by compiling a tiny program; without
it the kernels still build and run on one thread.
"""
import os
import subprocess
import sys
import tempfile

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


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


def _extensions():
    import numpy  # noqa: F401  (build requirement; headers are not needed by the core)
    from Cython.Build import cythonize

    omp_c, omp_l = _openmp_flags()
    # -fno-math-errno / -fno-trapping-math: ctorch never reads errno or the
    # floating-point exception flags, and with them GCC may turn float selects
    # (clamps, NaN checks) into vector blends: without -fno-trapping-math the
    # `omp simd` loops over fastmath.h's expf stay scalar. Neither flag lets
    # the compiler change results (unlike -ffast-math).
    extra = ["-O3", "-std=gnu11", "-fno-strict-aliasing", "-Wno-unused-function",
             "-Wno-maybe-uninitialized", "-fno-math-errno", "-fno-trapping-math"] + omp_c
    ext = Extension("ctorch._C", ["ctorch/_C.pyx"],
                    include_dirs=["ctorch/_kernels"],
                    extra_compile_args=extra, extra_link_args=omp_l + ["-lm"])
    # boundscheck/wraparound stay on: they only guard Python-object indexing
    # (lists, tuples), which is never on a hot path; C arrays are unaffected.
    return cythonize([ext], language_level=3, compiler_directives={
        "boundscheck": True, "wraparound": True, "cdivision": True,
        "initializedcheck": False, "embedsignature": False,
    })


def _nvcc():
    import shutil
    return shutil.which("nvcc") or next(
        (p for p in ("/usr/local/cuda/bin/nvcc",) if os.path.exists(p)), None)


class BuildWithCuda(build_ext):
    """Also compiles cuda_src/*.cu to fatbins next to ctorch/cuda when nvcc is
    present (CTORCH_NO_CUDA=1 skips it). A failure is reported, not fatal: the
    CPU library does not need the GPU kernels."""

    def run(self):
        super().run()
        nvcc = _nvcc()
        if nvcc is None or os.environ.get("CTORCH_NO_CUDA"):
            return
        here = os.path.dirname(os.path.abspath(__file__))
        out_dirs = [os.path.join(here, "ctorch", "cuda", "fatbin")]
        if not self.inplace:
            out_dirs.append(os.path.join(self.build_lib, "ctorch", "cuda", "fatbin"))
        src_dir = os.path.join(here, "cuda_src")
        for name in sorted(os.listdir(src_dir)):
            if not name.endswith(".cu"):
                continue
            for out_dir in out_dirs:
                os.makedirs(out_dir, exist_ok=True)
                target = os.path.join(out_dir, name[:-3] + ".fatbin")
                cmd = [nvcc, "-fatbin", "-O3", "-gencode=arch=compute_80,code=sm_80",
                       "-gencode=arch=compute_90,code=sm_90", "-gencode=arch=compute_90,code=compute_90",
                       os.path.join(src_dir, name), "-o", target]
                r = subprocess.run(cmd, capture_output=True, text=True)
                if r.returncode != 0:
                    print(f"warning: nvcc failed on {name}:\n{r.stderr}", file=sys.stderr)


setup(ext_modules=_extensions(), cmdclass={"build_ext": BuildWithCuda})
