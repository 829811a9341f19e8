"""Pooling on the emulated CUDA device against the CPU: max (with indices),
average, adaptive, lp pooling and max_unpool in 1-3 dims, values, indices,
gradients and errors. The CUDA backend has no pooling kernels: the ops pool
on a host copy, and results and gradients come back to the device.

Run by tests/test_cuda_families.py (and tests/cuda/ on a GPU): see _cases.py."""

import numpy as np

import ctorch as torch
import ctorch.nn.functional as F

import _cases  # noqa: E402  (tests/cuda_cases/_cases.py: the device)
_cases.setup()

rng = np.random.default_rng(0)
fails, n = [], 0


def same(name, x, y):
    """x (CPU) and y (device): same dtype, shape and values, y on the device."""
    if y.device.type != "cuda":
        fails.append(f"{name}: result on {y.device}")
    elif x.dtype != y.dtype or tuple(x.shape) != tuple(y.shape):
        fails.append(f"{name}: {y.dtype}{tuple(y.shape)} vs {x.dtype}{tuple(x.shape)}")
    elif not np.allclose(x.detach().numpy().astype(np.float64),
                         y.detach().cpu().numpy().astype(np.float64), rtol=1e-6, atol=1e-6,
                         equal_nan=True):
        fails.append(f"{name}: values differ")


def case(name, f, a, dt=torch.float64, grad=True):
    """f on a CPU tensor and on its device copy: the same results (a tuple's
    every member) and gradients, or the same error."""
    if not _cases.take():
        return
    global n
    n += 1
    outs, errs, leaves = [], [], []
    for dev in ("cpu", "cuda"):
        x = torch.tensor(a).to(dt).to(dev)
        if grad:
            x.requires_grad_(True)
        leaves.append(x)
        try:
            r = f(x)
            outs.append(r if isinstance(r, tuple) else (r,))
            errs.append(None)
        except Exception as e:
            outs.append(None)
            errs.append(e)
    if errs[0] is not None or errs[1] is not None:
        if type(errs[0]) is not type(errs[1]) or str(errs[0]) != str(errs[1]):
            fails.append(f"{name}: CPU {errs[0]!r} vs device {errs[1]!r}")
        return
    for c, d in zip(*outs):
        same(name, c, d)
    if grad:
        w = torch.tensor(rng.standard_normal(tuple(outs[0][0].shape))).to(dt)
        (outs[0][0] * w).sum().backward()
        (outs[1][0] * w.cuda()).sum().backward()
        same(f"{name}: gradient", leaves[0].grad, leaves[1].grad)


x4 = rng.standard_normal((2, 3, 7, 6))
x3 = rng.standard_normal((2, 3, 9))
x5 = rng.standard_normal((1, 2, 5, 4, 5))
for dt in (torch.float32, torch.float64):
    case(f"max_pool2d {dt}", lambda t: F.max_pool2d(t, 3, 2, 1, return_indices=True), x4, dt)
    case(f"max_pool2d ceil {dt}", lambda t: F.max_pool2d(t, 2, ceil_mode=True), x4, dt)
    case(f"max_pool1d {dt}", lambda t: F.max_pool1d(t, 3, 2, 1, return_indices=True), x3, dt)
    case(f"max_pool3d {dt}", lambda t: F.max_pool3d(t, 2, 1, return_indices=True), x5, dt)
    case(f"avg_pool2d {dt}", lambda t: F.avg_pool2d(t, 3, 2, 1, count_include_pad=False), x4, dt)
    case(f"avg_pool1d {dt}", lambda t: F.avg_pool1d(t, 3, 2, 1, ceil_mode=True), x3, dt)
    case(f"avg_pool3d {dt}", lambda t: F.avg_pool3d(t, 2, 1, divisor_override=3), x5, dt)
    case(f"adaptive_avg_pool2d {dt}", lambda t: F.adaptive_avg_pool2d(t, (4, 5)), x4, dt)
    case(f"adaptive_avg_pool3d {dt}", lambda t: F.adaptive_avg_pool3d(t, (2, 3, 2)), x5, dt)
    case(f"adaptive_max_pool2d {dt}", lambda t: F.adaptive_max_pool2d(t, 3, return_indices=True), x4, dt)
    case(f"adaptive_max_pool1d {dt}", lambda t: F.adaptive_max_pool1d(t, 4), x3, dt)
    case(f"lp_pool2d {dt}", lambda t: F.lp_pool2d(t.abs() + 0.1, 2, 2), x4, dt)
    case(f"max_unpool2d {dt}", lambda t: F.max_unpool2d(*F.max_pool2d(t, 2, return_indices=True), 2),
         x4[..., :6, :], dt)
case("max_pool2d float16", lambda t: F.max_pool2d(t, 2), x4, torch.float16, grad=False)
case("avg_pool2d float16", lambda t: F.avg_pool2d(t, 2), x4, torch.float16, grad=False)
case("max_pool2d int64", lambda t: F.max_pool2d(t, 2, return_indices=True), (x4 * 9).astype(np.int64),
     torch.int64, grad=False)
case("avg_pool2d int64", lambda t: F.avg_pool2d(t, 2), (x4 * 9).astype(np.int64), torch.int64, grad=False)
case("max_pool2d too small", lambda t: F.max_pool2d(t, 9), x4)
case("adaptive_avg_pool2d int", lambda t: F.adaptive_avg_pool2d(t, 2), x4.astype(np.int64), torch.int64,
     grad=False)
case("max_unpool2d bad index", lambda t: F.max_unpool2d(t, torch.full(t.shape, 99, dtype=torch.int64,
                                                                      device=t.device), 2), x4)

_cases.finish(n, fails)
