"""The convolutions on the emulated CUDA device against the CPU: conv1d/2d/3d
and the transposed convolutions (strides, padding, dilation, groups, bias),
unfold and fold, with their gradients, in float32 and float64, and their
errors. The device has no im2col/col2im kernels: they run on a host copy,
the products on the device.

Run by tests/test_cuda_families.py (and tests/cuda/ on a GPU): see _cases.py."""

import numpy as np

import ctorch as torch
import ctorch.nn.functional as F

import _cases  # noqa: E402  (tests/cuda_cases/_cases.py: the device)
_cases.setup()


torch.manual_seed(0)
rng = np.random.default_rng(0)
fails, n = [], 0


def tol_of(dt):
    return 2e-3 if dt == torch.float16 else (1e-5 if dt == torch.float32 else 1e-12)


def close(name, x, y):
    """x (CPU) and y (device) have the same dtype, shape and values."""
    if y is None or y.device.type != "cuda":
        fails.append(f"{name}: result on {None if y is None else y.device}")
        return False
    if x.dtype != y.dtype or tuple(x.shape) != tuple(y.shape):
        fails.append(f"{name}: {y.dtype}{tuple(y.shape)} vs {x.dtype}{tuple(x.shape)}")
        return False
    tol = tol_of(x.dtype)
    xn, yn = x.detach().numpy().astype(np.float64), y.detach().cpu().numpy().astype(np.float64)
    if not np.allclose(xn, yn, rtol=tol, atol=tol, equal_nan=True):
        i = np.flatnonzero(~np.isclose(xn.ravel(), yn.ravel(), rtol=tol, atol=tol, equal_nan=True))[:5]
        fails.append(f"{name}: values differ at {i.tolist()}: {xn.ravel()[i]} vs {yn.ravel()[i]}")
        return False
    return True


def case(name, f, *args, grad=False):
    """f(*args) on the CPU and on device copies: the same values (and, with
    grad, the same gradients of the float arguments), or the same error."""
    if not _cases.take():
        return
    global n
    n += 1

    def prep(dev):
        out = []
        for a in args:
            if isinstance(a, torch.Tensor):
                b = a.to(dev) if dev == "cuda" else a.clone()
                if grad and b.is_floating_point() and b.dim() > 0:
                    b = b.detach().requires_grad_(True)
                out.append(b)
            else:
                out.append(a)
        return out

    ca, da = prep("cpu"), prep("cuda")
    try:
        c, ce = f(*ca), None
    except Exception as e:
        c, ce = None, e
    try:
        d, de = f(*da), None
    except Exception as e:
        d, de = None, e
    if ce is not None or de is not None:
        if type(ce) is not type(de) or str(ce) != str(de):
            fails.append(f"{name}: CPU {ce!r} vs device {de!r}")
        return
    if not close(name, c, d) or not grad:
        return
    # the gradient of a weighted sum of the result
    wt = torch.tensor(rng.standard_normal(tuple(c.shape))).to(c.dtype)
    (c * wt).sum().backward()
    (d * wt.cuda()).sum().backward()
    for k, (x, y) in enumerate(zip(ca, da)):
        if isinstance(x, torch.Tensor) and x.requires_grad:
            if (x.grad is None) != (y.grad is None):
                fails.append(f"{name}: gradient of argument {k}: CPU {x.grad is not None}, "
                             f"device {y.grad is not None}")
            elif x.grad is not None:
                close(f"{name}: gradient of argument {k}", x.grad, y.grad)


def r(*s, dt=torch.float64):
    return torch.tensor(rng.standard_normal(s)).to(dt)


for dt in [torch.float32, torch.float64]:
    case(f"conv2d {dt}", lambda x, w, b: F.conv2d(x, w, b, stride=(2, 1), padding=1, groups=2),
         r(2, 4, 7, 6, dt=dt), r(6, 2, 3, 2, dt=dt), r(6, dt=dt), grad=True)
    case(f"conv2d same {dt}", lambda x, w: F.conv2d(x, w, padding="same", dilation=2),
         r(1, 3, 6, 5, dt=dt), r(2, 3, 3, 3, dt=dt), grad=True)
    case(f"conv1d {dt}", lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=2),
         r(2, 3, 11, dt=dt), r(4, 3, 4, dt=dt), r(4, dt=dt), grad=True)
    case(f"conv3d {dt}", lambda x, w: F.conv3d(x, w, padding=1),
         r(1, 2, 4, 3, 4, dt=dt), r(3, 2, 2, 2, 2, dt=dt), grad=True)
    case(f"conv_transpose2d {dt}",
         lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1, groups=2),
         r(2, 4, 3, 4, dt=dt), r(4, 3, 3, 3, dt=dt), r(6, dt=dt), grad=True)
    case(f"conv_transpose1d {dt}", lambda x, w: F.conv_transpose1d(x, w, stride=3, dilation=2),
         r(2, 3, 5, dt=dt), r(3, 2, 3, dt=dt), grad=True)
    case(f"unfold {dt}", lambda x: F.unfold(x, (2, 3), padding=1, stride=(2, 1)), r(2, 3, 5, 6, dt=dt),
         grad=True)
    case(f"fold {dt}", lambda x: F.fold(x, (4, 5), (2, 3)), r(2, 12, 9, dt=dt), grad=True)
case("conv2d unbatched", lambda x, w: F.conv2d(x, w), r(3, 5, 5), r(2, 3, 2, 2), grad=True)
case("conv2d channels", lambda x, w: F.conv2d(x, w), r(1, 3, 5, 5), r(2, 4, 2, 2))
case("fold blocks", lambda x: F.fold(x, (5, 5), 2), r(1, 8, 15))

_cases.finish(n, fails)
