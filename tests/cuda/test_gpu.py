"""CUDA tensors on a real GPU: the op tables against the CPU, autograd, the
tutorial's CUDA block, the random-number identity with the CPU, recovery
from out-of-memory, and the allocator over a long training loop."""
import numpy as np
import pytest

import ctorch as torch
import helpers
import test_cuda_families
from test_ops import (  # noqa: F401  (collected here, on the GPU)
    test_binary, test_binary_broadcast, test_binary_out, test_binary_scalar,
    test_binary_special_values, test_unary, test_unary_out, test_unary_inplace,
    test_unary_special_values)


@pytest.fixture(autouse=True, scope="module")
def on_gpu():
    helpers.DEVICE = "cuda"
    yield
    helpers.DEVICE = "cpu"


def test_tutorial_cuda_block():
    torch.manual_seed(0)
    device = torch.device("cuda")
    x = torch.randn(5, 3)
    x = x.to(device)
    y = torch.ones_like(x, device=device)
    z = x + y
    assert z.device == torch.device("cuda", 0)
    assert str(z).endswith("device='cuda:0')")
    back = z.to("cpu", torch.double)
    assert back.dtype == torch.float64 and back.device.type == "cpu"
    np.testing.assert_allclose(back.numpy(), x.cpu().numpy().astype(np.float64) + 1, rtol=1e-6)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("normal", [False, True])
def test_random_numbers_are_the_cpus(dtype, normal):
    fn = torch.randn if normal else torch.rand
    torch.manual_seed(1234)
    g = fn(10007, dtype=dtype, device="cuda").cpu().numpy()
    torch.manual_seed(1234)
    c = fn(10007, dtype=dtype).numpy()
    np.testing.assert_array_equal(g, c)


def test_autograd_on_the_gpu():
    a = np.random.default_rng(0).standard_normal((4, 5))
    xc = torch.tensor(a, requires_grad=True)
    xg = torch.tensor(a, device="cuda", requires_grad=True)
    for x in (xc, xg):
        ((x * x).exp() * 3 - x).sigmoid().backward(torch.ones(4, 5, dtype=torch.float64, device=x.device))
    assert xg.grad.device.type == "cuda"
    np.testing.assert_allclose(xg.grad.cpu().numpy(), xc.grad.numpy(), rtol=1e-12)


def test_out_of_memory_is_an_error_and_the_process_goes_on():
    with pytest.raises(torch.cuda.OutOfMemoryError) as e:
        torch.empty(1 << 50, dtype=torch.uint8, device="cuda")
    assert isinstance(e.value, RuntimeError)
    x = torch.ones(10, device="cuda")
    assert (x + 1).cpu().tolist() == [2.0] * 10


def test_the_allocator_stops_growing_in_a_training_loop():
    """10,000 steps of a small regression fitted by hand: after the first
    steps every block comes from the cache (no new device allocations)."""
    torch.manual_seed(0)
    X = torch.randn(64, 8, device="cuda")
    y = X @ torch.randn(8, 1, device="cuda")
    w = torch.zeros(8, 1, device="cuda", requires_grad=True)
    allocs = None
    for step in range(10000):
        loss = ((X @ w - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w -= 0.05 * w.grad
        w.grad = None
        if step == 100:
            torch.cuda.synchronize()
            allocs = torch.cuda.memory_stats()["num_device_alloc"]
            reserved = torch.cuda.memory_reserved()
    torch.cuda.synchronize()
    assert torch.cuda.memory_stats()["num_device_alloc"] == allocs
    assert torch.cuda.memory_reserved() == reserved
    assert loss.item() < 1e-3



@pytest.fixture(scope="module")
def gpu_runs():
    yield from test_cuda_families.start_all(["forward"], CTORCH_CASES_ON_GPU="1")


@pytest.mark.parametrize("script", test_cuda_families.SCRIPTS)
def test_kernel_families_match_the_cpu_on_the_gpu(gpu_runs, script):
    # the scripts tests/test_cuda_families.py runs on the emulated device
    test_cuda_families.check(gpu_runs[(script, "forward")].result())
