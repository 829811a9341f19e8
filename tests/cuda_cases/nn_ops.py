"""The nn kernels on the emulated CUDA device against the CPU: gelu (exact
and tanh) and its gradient, nll_loss (class weights, ignore_index, the
reductions none / mean / sum, 1-d and N-d inputs, int64 and uint8 targets)
and cross_entropy (which runs log_softmax and nll_loss) with their
gradients, over float16 / float32 / float64, contiguous and strided inputs,
row counts around the block size and counts that need many blocks, and
their errors (an out-of-range target reports the CPU's row and value); the
convolutions (conv1d/2d/3d, the transposed ones, unfold and fold) with their
gradients, whose im2col/col2im run on a host copy.

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


FLOATS = [torch.float16, torch.float32, torch.float64]

# ---- gelu --------------------------------------------------------------------
special = torch.tensor([0.0, -0.0, 1e-8, -1e-8, 0.5, -0.5, 3.0, -3.0, 10.0, -10.0, 30.0, -30.0, 1e4, -1e4,
                        float("inf"), float("-inf"), float("nan")])
for dt in FLOATS:
    for approx in ["none", "tanh"]:
        for size in [0, 1, 255, 257, 5000, 70001]:
            x = torch.tensor(rng.standard_normal(size) * 4).to(dt)
            case(f"gelu {approx} {dt} n={size}", lambda t: F.gelu(t, approximate=approx), x, grad=size < 6000)
        case(f"gelu {approx} {dt} special", lambda t: F.gelu(t, approximate=approx), special.to(dt), grad=True)
        x2 = torch.tensor(rng.standard_normal((37, 29))).to(dt)
        case(f"gelu {approx} {dt} transposed", lambda t: F.gelu(t.t(), approximate=approx), x2, grad=True)
        case(f"gelu {approx} {dt} strided", lambda t: F.gelu(t[:, ::3], approximate=approx), x2, grad=True)
        case(f"gelu {approx} {dt} 0-d", lambda t: F.gelu(t, approximate=approx), torch.tensor(0.7).to(dt))
case("gelu int", lambda t: F.gelu(t), torch.tensor([1, 2]))
case("gelu bad approximate", lambda t: F.gelu(t, approximate="fast"), torch.randn(3))
for approx in ["none", "tanh"]:      # second derivative (create_graph)
    n += 1
    a = rng.standard_normal(50)
    gs = []
    for dev in ["cpu", "cuda"]:
        x = torch.tensor(a, device=dev, requires_grad=True)
        (g,) = torch.autograd.grad(F.gelu(x, approximate=approx).sum(), x, create_graph=True)
        (gg,) = torch.autograd.grad(g.sum(), x)
        gs.append(gg)
    close(f"gelu {approx} second derivative", gs[0], gs[1])

# ---- nll_loss ------------------------------------------------------------------
for dt in FLOATS:
    for N, C in [(1, 1), (1, 5), (7, 3), (255, 10), (257, 4), (3000, 17), (40000, 3)]:
        lp = torch.tensor(rng.standard_normal((N, C))).to(dt)
        tg = torch.tensor(rng.integers(0, C, N))
        w = torch.tensor(rng.random(C) + 0.5).to(dt)
        small = N <= 3000
        for red in ["none", "mean", "sum"]:
            case(f"nll {dt} {N}x{C} {red}", lambda x, t: F.nll_loss(x, t, reduction=red), lp, tg, grad=small)
            case(f"nll {dt} {N}x{C} {red} weight", lambda x, t, u: F.nll_loss(x, t, u, reduction=red),
                 lp, tg, w, grad=small)
            case(f"nll {dt} {N}x{C} {red} ignore 0", lambda x, t, u: F.nll_loss(x, t, u, ignore_index=0,
                                                                                  reduction=red),
                 lp, tg, w, grad=small)
        if N > 1:
            tg2 = tg.clone()
            tg2[::3] = -100
            case(f"nll {dt} {N}x{C} default ignore_index", lambda x, t: F.nll_loss(x, t), lp, tg2, grad=small)
            case(f"nll {dt} {N}x{C} uint8 target", lambda x, t: F.nll_loss(x, t, reduction="sum"), lp,
                 tg.to(torch.uint8), grad=small)
    lp = torch.tensor(rng.standard_normal((60, 9))).to(dt)
    tg = torch.tensor(rng.integers(0, 60, 9))
    case(f"nll {dt} transposed input", lambda x, t: F.nll_loss(x.t(), t), lp, tg, grad=True)
    tg = torch.tensor(rng.integers(0, 9, 120))
    case(f"nll {dt} strided target", lambda x, t: F.nll_loss(x, t[::2], reduction="none"), lp, tg, grad=True)
    case(f"nll {dt} 1-d input", lambda x, t: F.nll_loss(x, t), lp[0], torch.tensor(4), grad=True)
    x4 = torch.tensor(rng.standard_normal((3, 5, 4, 6))).to(dt)
    t4 = torch.tensor(rng.integers(0, 5, (3, 4, 6)))
    for red in ["none", "mean", "sum"]:
        case(f"nll {dt} 4-d {red}", lambda x, t: F.nll_loss(x, t, reduction=red), x4, t4, grad=True)
    allign = torch.full((10,), 2, dtype=torch.int64)
    case(f"nll {dt} every row ignored (mean: nan)", lambda x, t: F.nll_loss(x, t, ignore_index=2),
         lp[:10], allign)
    case(f"nll {dt} every row ignored (sum)", lambda x, t: F.nll_loss(x, t, ignore_index=2, reduction="sum"),
         lp[:10], allign, grad=True)
    case(f"nll {dt} empty", lambda x, t: F.nll_loss(x, t, reduction="sum"), lp[:0], tg[:0])
    case(f"nll {dt} empty (mean: nan)", lambda x, t: F.nll_loss(x, t), lp[:0], tg[:0])

# out-of-range targets: the CPU's first bad row and its value
for N, bad_rows, vals in [(10, [7], [9]), (10, [3, 8], [-1, 100]), (5000, [4097, 300, 4999], [20, -5, 11]),
                          (70000, [69999, 65537], [50, 51])]:
    lp = torch.randn(N, 10)
    tg = torch.tensor(rng.integers(0, 10, N))
    for r, v in zip(bad_rows, vals):
        tg[r] = v
    case(f"nll out of range, {N} rows, bad {bad_rows}", lambda x, t: F.nll_loss(x, t), lp, tg)
    case(f"nll out of range, {N} rows, bad {bad_rows}, none", lambda x, t: F.nll_loss(x, t, reduction="none"), lp, tg)
tg = torch.tensor([1, 200, 2], dtype=torch.uint8)
case("nll out of range uint8", lambda x, t: F.nll_loss(x, t), torch.randn(3, 5), tg)
case("nll bad target ignored", lambda x, t: F.nll_loss(x, t, ignore_index=-7), torch.randn(3, 5),
     torch.tensor([1, -7, 2]))
case("nll target dtype", lambda x, t: F.nll_loss(x, t), torch.randn(3, 5), torch.tensor([1, 2, 3], dtype=torch.int32))
case("nll int input", lambda x, t: F.nll_loss(x, t), torch.ones(3, 5, dtype=torch.int64), torch.tensor([1, 2, 3]))
case("nll weight dtype", lambda x, t, u: F.nll_loss(x, t, u), torch.randn(3, 5), torch.tensor([1, 2, 3]),
     torch.ones(5, dtype=torch.float64))
case("nll weight shape", lambda x, t, u: F.nll_loss(x, t, u), torch.randn(3, 5), torch.tensor([1, 2, 3]),
     torch.ones(4))

# ---- cross_entropy --------------------------------------------------------------
for dt in [torch.float32, torch.float64]:
    for N, C in [(5, 3), (300, 11), (2000, 7)]:
        x = torch.tensor(rng.standard_normal((N, C)) * 2).to(dt)
        t = torch.tensor(rng.integers(0, C, N))
        t[::5] = -100
        w = torch.tensor(rng.random(C) + 0.5).to(dt)
        for red in ["none", "mean", "sum"]:
            case(f"cross_entropy {dt} {N}x{C} {red}", lambda a, b: F.cross_entropy(a, b, reduction=red), x, t,
                 grad=True)
            case(f"cross_entropy {dt} {N}x{C} {red} weight",
                 lambda a, b, u: F.cross_entropy(a, b, u, reduction=red), x, t, w, grad=True)
            case(f"cross_entropy {dt} {N}x{C} {red} smoothing",
                 lambda a, b, u: F.cross_entropy(a, b, u, reduction=red, label_smoothing=0.1), x, t, w, grad=True)
        p = torch.tensor(rng.random((N, C))).to(dt).softmax(1)
        case(f"cross_entropy {dt} {N}x{C} probabilities", lambda a, b: F.cross_entropy(a, b), x, p, grad=True)
    x4 = torch.tensor(rng.standard_normal((2, 4, 3, 5))).to(dt)
    t4 = torch.tensor(rng.integers(0, 4, (2, 3, 5)))
    case(f"cross_entropy {dt} 4-d", lambda a, b: F.cross_entropy(a, b), x4, t4, grad=True)
    case(f"cross_entropy {dt} 1-d", lambda a, b: F.cross_entropy(a, b), x4[0, :, 0, 0], torch.tensor(2), grad=True)
case("cross_entropy out of range", lambda a, b: F.cross_entropy(a, b), torch.randn(4, 3), torch.tensor([0, 1, 3, 5]))

# ---- mixed devices ------------------------------------------------------------------
for name, f in [("nll target on the CPU", lambda: F.nll_loss(torch.randn(3, 4).cuda(), torch.tensor([0, 1, 2]))),
                ("nll weight on the CPU", lambda: F.nll_loss(torch.randn(3, 4).cuda(), torch.tensor([0, 1, 2]).cuda(),
                                                             torch.ones(4)))]:
    n += 1
    try:
        f()
        fails.append(f"{name}: no error")
    except RuntimeError as e:
        if "Expected all tensors to be on the same device" not in str(e):
            fails.append(f"{name}: {e!r}")

# ---- convolutions: no im2col/col2im kernels on the device (they run on a host
# copy), the products on the device

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
