"""The host build of the CUDA kernels, made when the emulated device is first
asked for (ctorch.cuda._emulate(), which the tests use), not at install time:
a user without a GPU never needs it, and it costs a minute of g++.

Every cuda_src/*.cu and cuda_src/host_runtime.cpp is compiled with g++ as
C++20 (cuda_src/host_shim.h stands in for the CUDA headers), all at once on
every core, into build/cache/host_kernels/ of the source tree; a source is
compiled again only when it or a header it reads (g++ -MMD) is newer than
its object. CTORCH_SANITIZE (as for setup.py) builds with the sanitizers.
"""
import fcntl
import os
import shlex
import subprocess
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CUDA_SRC = os.path.join(ROOT, "cuda_src")
KERNELS = os.path.join(ROOT, "ctorch", "_kernels")
OUT = os.path.join(ROOT, "build", "cache", "host_kernels")


def _flags():
    san = os.environ.get("CTORCH_SANITIZE", "")
    san = {"0": "", "1": "address,undefined"}.get(san, san)
    extra = [f"-fsanitize={san}", "-fno-omit-frame-pointer", "-g"] if san else []
    return ["-x", "c++", "-std=c++20", "-O1", "-g0", "-Wall", "-Werror", "-fPIC", "-pthread",
            "-fvisibility=hidden", f"-I{KERNELS}"] + extra, extra[:1]


def _deps(depfile):
    try:
        with open(depfile) as f:
            text = f.read().replace("\\\n", " ")
    except OSError:
        return None
    return shlex.split(text.partition(":")[2])


def _fresh(obj):
    deps = _deps(obj[:-2] + ".d")
    if deps is None or not os.path.exists(obj):
        return False
    t = os.path.getmtime(obj)
    return all(os.path.exists(d) and os.path.getmtime(d) <= t for d in deps)


def host_kernels_path():
    """The host build's library, compiled first when it is missing or stale."""
    if not os.path.isdir(CUDA_SRC):
        raise RuntimeError(f"the emulated CUDA device needs ctorch's source tree (no {CUDA_SRC})")
    cxx = shlex.split(os.environ.get("CXX", "g++"))
    cflags, lflags = _flags()
    tag = "san" if lflags else "opt"
    out = os.path.join(OUT, tag)
    os.makedirs(out, exist_ok=True)
    sources = sorted(os.path.join(CUDA_SRC, f) for f in os.listdir(CUDA_SRC)
                     if f.endswith(".cu") or f == "host_runtime.cpp")
    lib = os.path.join(out, "_host_kernels.so")
    with open(os.path.join(out, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)       # one build at a time (test processes)
        objs = [os.path.join(out, os.path.basename(s) + ".o") for s in sources]
        todo = [(s, o) for s, o in zip(sources, objs) if not _fresh(o)]

        def compile_one(job):
            src, obj = job
            r = subprocess.run(cxx + cflags + ["-c", src, "-o", obj, "-MMD", "-MF", obj[:-2] + ".d"],
                               capture_output=True, text=True)
            if r.returncode != 0:
                raise RuntimeError(f"the host build of {os.path.basename(src)} failed:\n{r.stderr[-4000:]}")

        if todo:
            # the biggest sources first: they set the wall time
            todo.sort(key=lambda j: -os.path.getsize(j[0]))
            with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
                list(pool.map(compile_one, todo))
        listing = "\n".join(objs)
        try:
            with open(lib + ".objects") as f:
                same_list = f.read() == listing
        except OSError:
            same_list = False
        stale = (not same_list or not os.path.exists(lib)
                 or any(os.path.getmtime(o) > os.path.getmtime(lib) for o in objs))
        if stale:
            subprocess.run(cxx + ["-shared", "-pthread"] + lflags + objs + ["-o", lib + ".tmp"], check=True)
            os.replace(lib + ".tmp", lib)
            with open(lib + ".objects", "w") as f:
                f.write(listing)
    return lib
