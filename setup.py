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
    return cythonize([ext], language_level=3, compiler_directives={
        "boundscheck": False, "wraparound": False, "cdivision": True,
        "initializedcheck": False, "embedsignature": False,
    })


setup(ext_modules=_extensions())
