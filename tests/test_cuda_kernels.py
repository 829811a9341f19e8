"""The CUDA kernels as sources: nvcc compiles each one cleanly, each kernel's
parameter buffer is exactly its argument struct, and the host-build tests
notice a deliberately broken kernel.

nvcc runs where it is installed (CI has it); running kernels on a GPU is
tests/cuda/'s business. The host build (cuda_src/host_shim.h) runs the same
sources on the CPU: tests/test_cuda_emulated.py compares its results with
the CPU backend's.
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

import ctorch as torch

ROOT = pathlib.Path(__file__).resolve().parent.parent
CUDA_SRC = ROOT / "cuda_src"
KERNELS = ROOT / "ctorch" / "_kernels"
NVCC = shutil.which("nvcc") or ("/usr/local/cuda/bin/nvcc" if pathlib.Path("/usr/local/cuda/bin/nvcc").exists() else None)
SOURCES = sorted(p.name for p in CUDA_SRC.glob("*.cu"))
needs_nvcc = pytest.mark.skipif(NVCC is None, reason="nvcc is not installed on this machine")

NVCC_FLAGS = ["-fatbin", "-O3", "-Werror", "all-warnings", "--resource-usage",
              "-gencode=arch=compute_80,code=sm_80", "-gencode=arch=compute_90,code=sm_90",
              "-gencode=arch=compute_90,code=compute_90"]


def _stale(path):
    deps = list(CUDA_SRC.iterdir()) + list(KERNELS.iterdir())
    return not path.exists() or any(d.stat().st_mtime > path.stat().st_mtime for d in deps)


@pytest.fixture(scope="module")
def nvcc_products(tmp_path_factory):
    """{source: (fatbin or None, nvcc's output, the compute_90 PTX)}: the
    build's (setup.py runs nvcc with these flags, keeping its output and the
    PTX in build/cache/fatbin/, when a CUDA driver is present or
    CTORCH_BUILD_CUDA=1), else compiled here, all sources at once."""
    built = ROOT / "build" / "cache" / "fatbin"
    tmp = tmp_path_factory.mktemp("nvcc")
    found, procs = {}, {}
    for source in SOURCES:
        stem = source[:-3]
        fatbin, log, keep = built / f"{stem}.fatbin", built / f"{stem}.log", built / f"{stem}.keep"
        if _stale(log) or (fatbin.exists() and _stale(fatbin)):
            fatbin, log, keep = tmp / f"{stem}.fatbin", tmp / f"{stem}.log", tmp / f"{stem}.keep"
            keep.mkdir()
            procs[source] = subprocess.Popen(
                [NVCC, *NVCC_FLAGS, "--keep", "--keep-dir", str(keep), "-I", str(KERNELS),
                 str(CUDA_SRC / source), "-o", str(fatbin)],
                stdout=open(log, "w"), stderr=subprocess.STDOUT)
        found[source] = (fatbin, log, keep / f"{stem}.compute_90.ptx")
    for p in procs.values():
        p.wait()
    return {source: ((fatbin if fatbin.exists() else None), log.read_text(),
                     (ptx.read_text() if ptx.exists() else ""))
            for source, (fatbin, log, ptx) in found.items()}


@needs_nvcc
@pytest.mark.parametrize("source", SOURCES)
def test_nvcc_compiles_without_warnings_or_spills(source, nvcc_products):
    fatbin, log, _ = nvcc_products[source]
    assert fatbin is not None and fatbin.stat().st_size > 0, f"nvcc failed:\n{log}"
    assert "warning" not in log.lower(), log
    spills = [line for line in log.splitlines() if re.search(r"[1-9]\d* bytes spill (stores|loads)", line)]
    assert not spills, "\n".join(spills)


def host_kernels():
    from ctorch.cuda import _backend
    torch.cuda._emulate(True)
    try:
        return _backend.host_kernels()
    finally:
        torch.cuda._emulate(False)


@needs_nvcc
@pytest.mark.parametrize("source", SOURCES)
def test_parameter_buffer_is_the_argument_struct(source, nvcc_products):
    """A launch hands a kernel sizeof(Args) bytes (PyCUDA's prepared call with
    format "<size>s"): nvcc's .entry must take exactly one parameter of the
    size the host compiler gives the kernel's argument struct."""
    _, log, ptx = nvcc_products[source]
    assert ptx, f"no PTX for {source}:\n{log}"
    registry = host_kernels()
    entries = {}
    for m in re.finditer(r"\.entry\s+(\w+)\s*\(([^)]*)\)", ptx):
        entries[m.group(1)] = re.findall(r"\.param\s+(?:\.align\s+\d+\s+)?\.(\w+)\s+\w+(?:\[(\d+)\])?",
                                         m.group(2))
    assert entries, f"{source} has no kernels"
    for name, params in entries.items():
        # (CT_KERNEL registers a kernel in the host build; a kernel declared
        # any other way would be missing there)
        assert name in registry, f"{name} is missing from the host build"
        assert len(params) == 1, f"{name} takes {len(params)} parameters"
        kind, n = params[0]
        assert kind == "b8" and int(n) == registry[name], \
            f"{name}: a parameter of {n} bytes, its argument struct has {registry[name]}"


# ------------------------------------------- a broken kernel must be noticed

BROKEN_CHECK = textwrap.dedent("""
    import numpy as np
    import ctorch as torch
    torch.cuda._emulate()
    a = np.arange(1000, dtype=np.int16).reshape(40, 25)
    x = torch.tensor(a, device="cuda").t()          # a strided launch: the generic loop
    got = (x + 1).cpu().numpy()
    print("SAME" if np.array_equal(got, a.T + 1) else "DIFFERENT")
""")


def _host_build(src_dir, out):
    cxx = os.environ.get("CXX", "g++")
    sources = [str(p) for p in sorted(src_dir.glob("*.cu"))] + [str(src_dir / "host_runtime.cpp")]
    subprocess.run([cxx, "-shared", "-fPIC", "-pthread", "-x", "c++", "-std=c++20", "-O0",
                    f"-I{KERNELS}", *sources, "-o", str(out)], check=True, capture_output=True)


def _emulated_add_with(lib):
    env = dict(os.environ, CTORCH_HOST_KERNELS=str(lib))
    r = subprocess.run([sys.executable, "-c", BROKEN_CHECK], env=env, capture_output=True, text=True,
                       cwd=str(ROOT), timeout=300)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


@pytest.mark.skipif(shutil.which(os.environ.get("CXX", "g++")) is None, reason="no C++ compiler")
def test_a_wrong_index_in_a_kernel_is_noticed(tmp_path):
    """The same sources, built for the host, give the CPU's answer; with the
    grid-stride index off by one in block 1 of every kernel they do not."""
    src = tmp_path / "cuda_src"
    shutil.copytree(CUDA_SRC, src)
    shutil.copytree(KERNELS, tmp_path / "ctorch" / "_kernels")
    for p in src.glob("*.cu"):             # only the sources the test needs
        if p.name not in ("elementwise.cu", "random.cu", "shape.cu"):
            p.unlink()
    _host_build(src, tmp_path / "good.so")
    assert _emulated_add_with(tmp_path / "good.so") == "SAME"
    cuh = src / "ct_cuda.cuh"
    text = cuh.read_text()
    start = "blockIdx.x * (int64_t)blockDim.x + threadIdx.x;"
    assert start in text
    cuh.write_text(text.replace(start, "blockIdx.x * (int64_t)blockDim.x + threadIdx.x + (blockIdx.x == 1);"))
    _host_build(src, tmp_path / "broken.so")
    assert _emulated_add_with(tmp_path / "broken.so") == "DIFFERENT"
