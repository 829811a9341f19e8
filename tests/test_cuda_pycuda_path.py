"""ctorch's GPU path — ctorch.cuda._pycuda.Driver and the GPU driver functions
of ctorch.cuda._backend — run end to end without a GPU, against a stand-in
for PyCUDA (tests/fake_pycuda) whose memory and launches are the host build's.
What only a real GPU and the real PyCUDA can show is tests/cuda/'s business."""
import os
import pathlib
import subprocess
import sys
import textwrap

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
FAKE = ROOT / "tests" / "fake_pycuda"

SCRIPT = textwrap.dedent("""
    import numpy as np
    import ctorch as torch
    import pycuda.driver as fake

    assert torch.cuda.is_available() and not torch.cuda._is_emulated()
    assert torch.cuda.device_count() == 1
    assert torch.cuda.get_device_name() == "fake GPU (ctorch host build)"

    # the tutorial's CUDA block
    torch.manual_seed(0)
    x = torch.randn(5, 3).to(torch.device("cuda"))
    y = torch.ones_like(x, device="cuda")
    z = x + y
    assert str(z).endswith("device='cuda:0')"), str(z)
    np.testing.assert_allclose(z.to("cpu", torch.double).numpy(), x.cpu().numpy() + 1, rtol=1e-6)

    # the same random numbers as the CPU
    torch.manual_seed(7)
    g = torch.rand(1001, device="cuda").cpu().numpy()
    torch.manual_seed(7)
    assert np.array_equal(g, torch.rand(1001).numpy())

    # products, indexing and autograd on the device
    a = np.random.default_rng(0).standard_normal((6, 5))
    wc = torch.tensor(a, requires_grad=True)
    wg = torch.tensor(a, device="cuda", requires_grad=True)
    for w in (wc, wg):
        ((w @ w.t()).exp() * w[:, :1]).backward(torch.ones(6, 6, dtype=torch.float64, device=w.device))
    assert wg.grad.device.type == "cuda"
    np.testing.assert_allclose(wg.grad.cpu().numpy(), wc.grad.numpy(), rtol=1e-12)

    # a training loop's steps take their blocks from the cache
    w = torch.zeros(8, 1, device="cuda", requires_grad=True)
    X = torch.randn(32, 8, device="cuda")
    Y = X @ torch.ones(8, 1, device="cuda")
    for step in range(300):
        r = X @ w - Y
        (r * r).backward(torch.ones(32, 1, device="cuda"))
        with torch.no_grad():
            w -= 0.01 * w.grad
        w.grad = None
        if step == 10:
            allocs = fake.calls["mem_alloc"]
    assert fake.calls["mem_alloc"] == allocs, (fake.calls["mem_alloc"], allocs)
    assert torch.cuda.memory_allocated() > 0 and torch.cuda.memory_reserved() >= torch.cuda.memory_allocated()

    # out of memory: the cache goes back, one more try, then OutOfMemoryError; the process goes on
    try:
        torch.empty(1 << 40, dtype=torch.uint8, device="cuda")
        raise SystemExit("no OutOfMemoryError")
    except torch.cuda.OutOfMemoryError as e:
        assert isinstance(e, RuntimeError)
    assert (torch.ones(3, device="cuda") * 2).tolist() == [2.0, 2.0, 2.0]
    torch.cuda.empty_cache()
    torch.cuda.synchronize()

    # events time on the device's clock
    s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    s.record(); (x + 1); e.record(); e.synchronize()
    assert s.elapsed_time(e) >= 0
    print("OK", fake.calls["launch"], "launches")
""")


def test_the_gpu_path_on_a_stand_in_for_pycuda(tmp_path):
    # the stand-in loads no image: one placeholder per kernel file stands for the fatbins
    for src in (ROOT / "cuda_src").glob("*.cu"):
        (tmp_path / (src.stem + ".fatbin")).write_bytes(b"placeholder")
    env = dict(os.environ, CTORCH_CUDA_IMAGES=str(tmp_path),
               PYTHONPATH=os.pathsep.join([str(FAKE), str(ROOT), os.environ.get("PYTHONPATH", "")]))
    r = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=str(ROOT),
                       env=env, timeout=300)
    assert r.returncode == 0 and r.stdout.startswith("OK"), r.stdout + r.stderr[-4000:]


BLAS_SCRIPT = textwrap.dedent("""
    import ctypes, os
    import numpy as np
    import ctorch as torch
    import pycuda.driver as fake
    from ctorch.cuda import _backend

    x = torch.ones(2, device="cuda")            # initializes the GPU path
    assert torch.cuda._blas_library() == os.environ["CTORCH_CUBLAS"], torch.cuda._blas_library()
    fake._LIB.ctk_set_guard(0)                  # the stand-in reads device memory from the host
    counter = ctypes.CDLL(os.environ["CTORCH_CUBLAS"]).fake_cublas_calls
    rng = np.random.default_rng(0)

    def make(shape, dt):
        a = rng.standard_normal(shape) + (1j * rng.standard_normal(shape) if dt.is_complex else 0)
        return torch.tensor(a, dtype=dt)

    # plain and transposed operands (cuBLAS's N and T)
    cases = [lambda a, b: a @ b, lambda a, b: a.mT @ b, lambda a, b: a @ b.mT, lambda a, b: a.mT @ b.mT]
    for dt in (torch.float32, torch.float64, torch.complex64, torch.complex128):
        tol = 1e-4 if dt in (torch.float32, torch.complex64) else 1e-12
        for shapes in [((5, 7), (7, 3)), ((7, 7), (7, 7)), ((4, 5, 6), (4, 6, 3)), ((4, 5, 6), (6, 2)),
                       ((2, 1, 5, 6), (3, 6, 4))]:
            a, b = make(shapes[0], dt), make(shapes[1], dt)
            for f in cases:
                try:
                    want = f(a, b)
                except RuntimeError:
                    continue
                before = counter()
                got = f(a.cuda(), b.cuda())
                assert counter() > before, "cuBLAS was not called"
                np.testing.assert_allclose(got.cpu().numpy(), want.numpy(), rtol=tol, atol=tol)
        # batches whose offsets are not evenly spaced: one call per batch
        base = make((2, 4, 5, 5), dt)[:, :3]
        np.testing.assert_allclose((base.cuda() @ base.cuda()).cpu().numpy(), (base @ base).numpy(),
                                   rtol=tol, atol=tol)
        # addmm's beta and alpha
        c, a, b = make((3, 4), dt), make((3, 5), dt), make((5, 4), dt)
        np.testing.assert_allclose(torch.addmm(c.cuda(), a.cuda(), b.cuda(), beta=0.5, alpha=2).cpu().numpy(),
                                   torch.addmm(c, a, b, beta=0.5, alpha=2).numpy(), rtol=tol, atol=tol)
    calls = _backend.blas_calls()
    assert calls > 0
    # integer products stay in the kernels
    i = torch.arange(6, device="cuda").reshape(2, 3)
    assert (i @ i.T).cpu().tolist() == [[5, 14], [14, 50]] and _backend.blas_calls() == calls
    # a failing cuBLAS call is the CUDA error, and the process goes on
    os.environ["FAKE_CUBLAS_FAIL"] = "13"
    try:
        (torch.ones(3, 3, device="cuda") @ torch.ones(3, 3, device="cuda")).cpu()
        raise SystemExit("no error")
    except RuntimeError as e:
        assert "cuBLAS gemm failed (status 13)" in str(e), str(e)
    del os.environ["FAKE_CUBLAS_FAIL"]
    assert (torch.ones(2, 2, device="cuda") @ torch.ones(2, 2, device="cuda")).cpu().tolist() == [[2.0, 2.0]] * 2
    # a library without cuBLAS's entry points is refused with the reason
    why = _backend.blas_load(os.environ["CTORCH_HOST_LIB"])
    assert why is not None and "lacks the cuBLAS entry points" in why, why
    print("OK", calls, "cuBLAS calls")
""")


def test_float_products_go_to_cublas_when_one_is_found(tmp_path):
    for src in (ROOT / "cuda_src").glob("*.cu"):
        (tmp_path / (src.stem + ".fatbin")).write_bytes(b"placeholder")
    lib = tmp_path / "libcublas_stand_in.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-O1", "-o", str(lib),
                    str(ROOT / "tests" / "fake_cublas" / "fake_cublas.c")], check=True)
    from ctorch.cuda._hostbuild import host_kernels_path
    env = dict(os.environ, CTORCH_CUDA_IMAGES=str(tmp_path), CTORCH_CUBLAS=str(lib),
               CTORCH_HOST_LIB=host_kernels_path(),
               PYTHONPATH=os.pathsep.join([str(FAKE), str(ROOT), os.environ.get("PYTHONPATH", "")]))
    r = subprocess.run([sys.executable, "-c", BLAS_SCRIPT], capture_output=True, text=True, cwd=str(ROOT),
                       env=env, timeout=300)
    assert r.returncode == 0 and r.stdout.startswith("OK"), r.stdout + r.stderr[-4000:]
