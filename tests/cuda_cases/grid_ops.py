"""interpolate (every mode, antialiasing, long dims), grid_sample (2-d and
3-d, every mode and padding), affine_grid, scaled_dot_product_attention and
ctc_loss (ctorch/nn/_grid.py: compositions of ops) on the emulated CUDA
device against the CPU: values, results on the device, and the gradients of
the inputs.

Run by tests/test_cuda_families.py (and tests/cuda/ on a GPU): see _cases.py."""

import numpy as np

import ctorch as torch
import ctorch.nn.functional as F

import _cases  # noqa: E402  (tests/cuda_cases/_cases.py: the device)
_cases.setup()


rng = np.random.default_rng(0)
fails, n = [], 0


def case(name, f, *xs, grad=True):
    """f on CPU float64 tensors and on their device copies: same values and
    input gradients, results on the device."""
    global n
    if not _cases.take():
        return
    n += 1
    try:
        cpu = [x.clone().requires_grad_(grad and x.is_floating_point()) for x in xs]
        dev = [x.cuda().requires_grad_(grad and x.is_floating_point()) for x in xs]
        rc, rd = f(*cpu), f(*dev)
        if rd.device.type != "cuda":
            fails.append(f"{name}: result on {rd.device}")
            return
        if not np.allclose(rc.detach().numpy(), rd.detach().cpu().numpy(), rtol=1e-10, atol=1e-12,
                           equal_nan=True):
            fails.append(f"{name}: values differ")
            return
        if grad:
            w = torch.tensor(rng.standard_normal(tuple(rc.shape)))
            rc.backward(w)
            rd.backward(w.cuda())
            for a, b in zip(cpu, dev):
                if a.grad is not None and not np.allclose(a.grad.numpy(), b.grad.cpu().numpy(),
                                                          rtol=1e-9, atol=1e-11):
                    fails.append(f"{name}: gradients differ")
                    return
    except Exception as e:  # noqa: BLE001 - any error is a failure here
        fails.append(f"{name}: {e!r}")


def T(*shape):
    return torch.tensor(rng.standard_normal(shape))


for mode, shape, kw in [("nearest", (1, 2, 5), {"scale_factor": 1.7}),
                        ("nearest-exact", (1, 2, 4, 5), {"size": (7, 3)}),
                        ("linear", (1, 2, 5), {"size": 9, "align_corners": True}),
                        ("bilinear", (2, 2, 4, 5), {"scale_factor": 2}),
                        ("bicubic", (1, 2, 4, 5), {"size": (6, 9)}),
                        ("bicubic", (1, 2, 9, 8), {"size": (4, 3), "antialias": True}),
                        ("trilinear", (1, 1, 3, 4, 3), {"scale_factor": 1.5}),
                        ("area", (1, 2, 7, 5), {"size": (3, 2)})]:
    case(f"interpolate {mode} {kw}", lambda x: F.interpolate(x, mode=mode, **kw), T(*shape))
case("interpolate linear, a long dim", lambda x: F.interpolate(x, size=1100, mode="linear"),
     T(1, 1, 1000))

for mode in ("bilinear", "nearest", "bicubic"):
    for pad in ("zeros", "border", "reflection"):
        g = torch.tensor(rng.random((2, 3, 4, 2)) * 2.4 - 1.2)
        case(f"grid_sample {mode} {pad}",
             lambda x, g: F.grid_sample(x, g, mode=mode, padding_mode=pad, align_corners=False),
             T(2, 2, 4, 5), g)
g3 = torch.tensor(rng.random((1, 2, 3, 2, 3)) * 2.4 - 1.2)
case("grid_sample 3-d", lambda x, g: F.grid_sample(x, g, align_corners=True), T(1, 2, 3, 4, 3), g3)
case("affine_grid", lambda th: F.affine_grid(th, (2, 1, 3, 4), align_corners=False), T(2, 2, 3))

mask = torch.tensor(rng.random((3, 4)) > 0.5)
case("sdpa", lambda q, k, v: F.scaled_dot_product_attention(q, k, v), T(2, 3, 4), T(2, 4, 4),
     T(2, 4, 5))
case("sdpa causal", lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True),
     T(2, 3, 4), T(2, 4, 4), T(2, 4, 5))
case("sdpa bool mask", lambda q, k, v, m: F.scaled_dot_product_attention(q, k, v, m),
     T(2, 3, 4), T(2, 4, 4), T(2, 4, 5), mask)

tg = torch.tensor(rng.integers(1, 5, (3, 4)))
il, tl = torch.tensor([7, 6, 5]), torch.tensor([4, 2, 0])
for red in ("none", "mean", "sum"):
    case(f"ctc_loss {red}", lambda x, a, b, c: F.ctc_loss(x.log_softmax(2), a, b, c, reduction=red),
         T(7, 3, 5), tg, il, tl)

_cases.finish(n, fails)
