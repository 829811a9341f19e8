"""The op tables on CUDA tensors of the emulated device.

`ctorch.cuda._emulate()` serves "cuda:0" with the host build of cuda_src/
(the same kernels, compiled with g++ and run on the CPU: see
cuda_src/host_shim.h), so the op dispatch, the kernels' logic, the
allocator and autograd on CUDA tensors are checked on every push without a
GPU. The emulated memory is closed to host code between launches: an op
that reads device memory from the host faults here as it would crash on a
GPU. The elementwise tables run in full with the blocks of each launch in
forward order, and again per op with the blocks reversed. These are
emulated results, never GPU results: tests/cuda/ runs the same tables on a
real GPU.

The tests are the op tables' own (imported from their modules): with
helpers.DEVICE = "cuda" their tensors are made on the device, and
assert_close checks that results stay there.
"""
import numpy as np
import pytest

import ctorch as torch
import helpers
from op_db import binary_ops, unary_ops

from test_ops import (  # noqa: F401  (collected here, on the emulated device)
    test_binary, test_binary_broadcast, test_binary_out, test_binary_scalar,
    test_binary_special_values, test_unary, test_unary_out, test_unary_inplace,
    test_unary_special_values, test_ternary)


@pytest.fixture(autouse=True, scope="module")
def emulated_cuda():
    torch.cuda._emulate(True)
    helpers.DEVICE = "cuda"
    yield
    helpers.DEVICE = "cpu"
    torch.cuda._emulate(False)


@pytest.fixture
def reversed_blocks():
    """Launches run their blocks last to first (a kernel must not depend on
    the order in which blocks run)."""
    from ctorch.cuda import _backend
    _backend.host_set_reverse(True)
    yield
    _backend.host_set_reverse(False)


@pytest.mark.parametrize("op", unary_ops, ids=lambda op: op.name)
def test_unary_reversed_blocks(op, reversed_blocks):
    for dtype in op.dtypes:
        for layout in ("contiguous", "sliced"):
            test_unary(op, dtype, layout)


@pytest.mark.parametrize("op", binary_ops, ids=lambda op: op.name)
def test_binary_reversed_blocks(op, reversed_blocks):
    for dtype in op.dtypes:
        for layout in ("contiguous", "transposed", "expanded"):
            test_binary(op, dtype, layout)


# ----------------------------------------------------- the device, end to end

def test_tensors_move_between_devices_with_their_values_and_history():
    a = np.arange(12, dtype=np.float64).reshape(3, 4)
    x = torch.tensor(a, requires_grad=True)
    g = x.to("cuda")
    assert g.device == torch.device("cuda", 0) and g.is_cuda and g.get_device() == 0
    assert g.grad_fn.name() == "ToCopyBackward0"
    h = (g * 2).t().cpu()                       # a strided device tensor comes back dense
    assert h.device.type == "cpu" and h.tolist() == (a * 2).T.tolist()
    h.sum().backward()
    assert x.grad.device.type == "cpu" and x.grad.tolist() == np.full((3, 4), 2.0).tolist()
    assert g.cuda() is g and x.cpu() is x
    assert torch.ones(2, device="cuda", dtype=torch.int32).to("cpu", torch.float64).dtype == torch.float64
    c = torch.zeros(3, 4, device="cuda")
    c.copy_(torch.tensor(a))                    # copy_ crosses devices
    assert c.device.type == "cuda" and c.cpu().tolist() == a.tolist()
    assert torch.tensor(2.5, device="cuda").item() == 2.5


def test_factories_make_their_tensors_on_the_device():
    for t in (torch.zeros(2, 3, device="cuda"), torch.ones(2, device="cuda"), torch.full((2,), 7, device="cuda"),
              torch.arange(5, device="cuda"), torch.linspace(0, 1, 5, device="cuda"), torch.eye(3, device="cuda"),
              torch.empty(4, device="cuda"), torch.rand(3, device="cuda"), torch.randn(3, device="cuda"),
              torch.randint(0, 9, (3,), device="cuda"), torch.randperm(5, device="cuda"),
              torch.tensor([1, 2], device="cuda"), torch.zeros_like(torch.ones(2), device="cuda"),
              torch.ones(2, device="cuda").new_zeros(3), torch.scalar_tensor(3, device="cuda")):
        assert t.device == torch.device("cuda", 0), t
    assert torch.arange(5, device="cuda").tolist() == [0, 1, 2, 3, 4]
    assert torch.eye(2, device="cuda").tolist() == [[1.0, 0.0], [0.0, 1.0]]
    torch.manual_seed(3)
    r = torch.randn(1000, dtype=torch.float64, device="cuda").cpu()
    torch.manual_seed(3)
    assert r.tolist() == torch.randn(1000, dtype=torch.float64).tolist()   # the CPU's numbers
    for low, high in ((-4, 9), (0, 2 ** 32), (5, 2 ** 50)):                  # 64- and 128-bit draws
        torch.manual_seed(4)
        r = torch.randint(low, high, (1001,), device="cuda").cpu()
        torch.manual_seed(4)
        assert r.tolist() == torch.randint(low, high, (1001,)).tolist()


def test_complex_and_polar_make_their_results_on_the_device():
    re = np.array([[1.0, -2.0, 0.0], [3.5, 0.25, -1.0]])
    im = np.array([[0.5, 2.0, 0.0], [-1.0, 4.0, 2.0]])
    x, y = torch.tensor(re, device="cuda"), torch.tensor(im, device="cuda")
    z = torch.complex(x, y)
    assert z.device == torch.device("cuda", 0) and z.dtype == torch.complex128
    np.testing.assert_array_equal(z.cpu().numpy(), re + 1j * im)
    p = torch.polar(x, y)
    assert p.device == torch.device("cuda", 0)
    np.testing.assert_allclose(p.cpu().numpy(), re * np.exp(1j * im), rtol=1e-14, atol=1e-15)


def test_printing_and_errors_as_pytorch_gives_them():
    x = torch.tensor([[1.0, 2.0]], device="cuda")
    assert str(x) == "tensor([[1., 2.]], device='cuda:0')"
    assert repr(torch.tensor([1, 2], device="cuda")) == "tensor([1, 2], device='cuda:0')"
    with pytest.raises(TypeError, match="can't convert cuda:0 device type tensor to numpy"):
        x.numpy()
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device, but found at "
                                           "least two devices, cuda:0 and cpu!"):
        x + torch.ones(1, 2)
    with pytest.raises(RuntimeError, match="Sort currently does not support complex dtypes on CUDA."):
        torch.sort(x.to(torch.complex64))


@pytest.mark.parametrize("dt", [torch.bool, torch.int16, torch.float16, torch.float32, torch.int64,
                                torch.complex128], ids=str)
@pytest.mark.parametrize("order", ["forward", "reversed"])
def test_copies_between_transposed_layouts(dt, order):
    # the tiled transpose kernel takes 2-d and batched copies whose source is
    # dense along the output's rows; thin ones stay elementwise
    from ctorch.cuda import _backend
    _backend.host_set_reverse(order == "reversed")
    try:
        for shape in [(37, 45), (8, 8), (64, 96), (3, 40, 33), (100, 5), (2, 3, 17, 9)]:
            x = (torch.arange(int(np.prod(shape))).reshape(shape) % 7).to(dt)
            g = x.cuda()
            for f in (lambda t: t.transpose(-1, -2).contiguous(), lambda t: t.mT[..., 1:, 2:].clone(),
                      lambda t: t.transpose(0, -1).reshape(-1), lambda t: torch.cat([t.mT, t.mT], -1)):
                assert torch.equal(f(g).cpu(), f(x)), shape
    finally:
        _backend.host_set_reverse(False)


def test_a_zero_dim_cpu_tensor_joins_device_tensors_as_a_value():
    # PyTorch's rule: a 0-dim CPU tensor may meet device tensors in an
    # elementwise op; its gradient comes back to the CPU
    x = torch.tensor([1.0, -2.0, 3.0], device="cuda")
    s = torch.tensor(2.0, requires_grad=True)
    r = x * s + torch.add(x, s) + x / s + torch.lerp(x, 2 * x, s) + torch.where(x > 0, s, x) + s ** x.abs()
    assert r.device.type == "cuda"
    xs, ss = x.cpu(), s.detach().clone().requires_grad_()
    want = xs * ss + torch.add(xs, ss) + xs / ss + torch.lerp(xs, 2 * xs, ss) + torch.where(xs > 0, ss, xs) + ss ** xs.abs()
    assert torch.allclose(r.cpu(), want)
    r.sum().backward()
    want.sum().backward()
    assert s.grad.device.type == "cpu" and torch.allclose(s.grad, ss.grad)
    y = x.clone()
    y.mul_(torch.tensor(3)).sub_(torch.tensor(1.5))
    assert y.cpu().tolist() == [1.5, -7.5, 7.5]
    assert x.masked_fill(x > 0, torch.tensor(0.0)).cpu().tolist() == [0.0, -2.0, 0.0]
    # the type promotion of a 0-dim tensor: an int32 device tensor times a
    # 0-dim float tensor is float32, a 0-dim int64 one stays int32
    i = torch.tensor([1, 2], dtype=torch.int32, device="cuda")
    assert (i * torch.tensor(1.5)).dtype == torch.float32 and (i * torch.tensor(2)).dtype == torch.int32
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        x + torch.ones(1)
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        torch.ones(3) + torch.tensor(1.0, device="cuda")


def test_cuda_array_interface():
    x = torch.arange(12, dtype=torch.float32, device="cuda").reshape(3, 4)
    ai = x.__cuda_array_interface__
    assert ai["typestr"] == "<f4" and ai["shape"] == (3, 4) and ai["strides"] is None
    assert ai["data"] == (x.data_ptr(), False) and ai["version"] == 2
    assert x.t().__cuda_array_interface__["strides"] == (4, 16)
    assert not hasattr(torch.ones(2), "__cuda_array_interface__")


def test_torch_cuda_functions():
    assert torch.cuda.is_available() and torch.cuda.device_count() == 1
    assert torch.cuda.current_device() == 0
    with torch.cuda.device(0):
        assert torch.cuda.current_device() == 0
    assert isinstance(torch.cuda.get_device_name(), str)
    torch.cuda.synchronize()
    s = torch.cuda.current_stream()
    assert s == torch.cuda.default_stream() and s.query()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    torch.ones(100, device="cuda") * 3
    end.record()
    end.synchronize()
    assert start.elapsed_time(end) >= 0
    torch.cuda.reset_peak_memory_stats()
    before = torch.cuda.memory_allocated()
    big = torch.empty(1 << 20, dtype=torch.uint8, device="cuda")
    assert torch.cuda.memory_allocated() >= before + (1 << 20)
    assert torch.cuda.max_memory_allocated() >= torch.cuda.memory_allocated()
    assert torch.cuda.memory_reserved() >= torch.cuda.memory_allocated()
    del big
    assert torch.cuda.memory_allocated() == before
    torch.cuda.empty_cache()


def test_the_allocator_reuses_its_blocks():
    """A loop of ops takes its blocks from the cache: the driver's block count
    stops growing after the first steps."""
    from ctorch.cuda import _backend
    x = torch.randn(64, 32, device="cuda")
    w = torch.randn(32, 16, device="cuda", requires_grad=True)
    for step in range(50):
        y = ((x @ w).relu() * 0.5 - 1).exp()
        y.backward(torch.ones_like(y))
        w.grad = None
        if step == 5:
            live = _backend.host_live_blocks()
    assert _backend.host_live_blocks() == live


_F = torch.nn.functional
_NN_KERNEL_OPS = {
    # ops with CPU-only kernels: on the device they compose other ops, and
    # must give the CPU kernels' values and gradients
    "silu": lambda x, w, g: _F.silu(x),
    "softplus": lambda x, w, g: _F.softplus(x * 4, beta=2.0, threshold=3.0),
    "elu": lambda x, w, g: _F.elu(x, 0.5),
    "selu": lambda x, w, g: _F.selu(x),
    "celu": lambda x, w, g: _F.celu(x, 1.5),
    "mish": lambda x, w, g: _F.mish(x),
    "hardswish": lambda x, w, g: _F.hardswish(x * 4),
    "hardsigmoid": lambda x, w, g: _F.hardsigmoid(x * 4),
    "embedding_bag": lambda x, w, g: _F.embedding_bag(
        torch.tensor([1, 3, 0, 2, 2, 5], device=w.device), w,
        torch.tensor([0, 2, 2], device=w.device), mode="mean"),
    "embedding_bag-max": lambda x, w, g: _F.embedding_bag(
        torch.tensor([[1, 3, 0], [2, 4, 5]], device=w.device), w, mode="max"),
    "grid_sample": lambda x, w, g: _F.grid_sample(x.reshape(1, 2, 3, 4), g, align_corners=False),
    "grid_sample-bicubic": lambda x, w, g: _F.grid_sample(x.reshape(1, 2, 3, 4), g, mode="bicubic",
                                                          padding_mode="reflection",
                                                          align_corners=True),
}


@pytest.mark.parametrize("name", list(_NN_KERNEL_OPS))
def test_nn_kernel_ops_match_the_cpu(name):
    rng = np.random.default_rng(3)
    arrays = (rng.standard_normal(24), rng.standard_normal((6, 3)),
              rng.uniform(-1.1, 1.1, (1, 2, 3, 2)))
    res = []
    for dev in ("cpu", "cuda"):
        leaves = [torch.tensor(a, device=dev).requires_grad_(True) for a in arrays]
        out = _NN_KERNEL_OPS[name](*leaves)
        assert out.device.type == dev
        out.backward(torch.ones_like(out))
        res.append([out.detach().cpu().numpy()] +
                   [lf.grad.cpu().numpy() if lf.grad is not None else None for lf in leaves])
    for a, b in zip(*res):
        if a is None:
            assert b is None
        else:
            np.testing.assert_allclose(b, a, rtol=1e-10, atol=1e-12)
