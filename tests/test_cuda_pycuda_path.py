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
