"""The reductions on the emulated CUDA device against the CPU: sum, mean,
prod, max/min with indices, amin/amax, argmax, cumsum/cumprod, var/std,
softmax/log_softmax, logsumexp, median, all/any, norm, nansum/nanmean,
nanmedian, quantile/nanquantile, mode, aminmax, cummax/cummin, logcumsumexp,
cumsum_, over every dtype they take, whole-tensor and per dim, with their
gradients.

Run by tests/test_cuda_families.py (and tests/cuda/ on a GPU): see _cases.py."""

import numpy as np

import ctorch as torch

import _cases  # noqa: E402  (tests/cuda_cases/_cases.py: the device)
_cases.setup()
torch.manual_seed(0)
fails, n = [], 0

DTYPES = [torch.bool, torch.uint8, torch.int32, torch.int64, torch.float16, torch.float32, torch.float64,
          torch.complex64, torch.complex128]
CASES = [
    ("sum", lambda x: x.sum()), ("sum(1)", lambda x: x.sum(1)), ("sum(0, keepdim)", lambda x: x.sum(0, keepdim=True)),
    ("sum((0, 2))", lambda x: x.sum((0, 2))), ("sum(dtype=f64)", lambda x: x.sum(-1, dtype=torch.float64)),
    ("mean", lambda x: x.mean(-1)), ("prod(2)", lambda x: x.prod(2)), ("prod", lambda x: x.prod()),
    ("max(1)", lambda x: x.max(1)), ("min", lambda x: x.min()), ("amin(0)", lambda x: x.amin(0)),
    ("amax((1, 2))", lambda x: x.amax((1, 2))), ("argmax", lambda x: x.argmax()), ("argmin(2)", lambda x: x.argmin(2)),
    ("cumsum(1)", lambda x: x.cumsum(1)), ("cumprod(2)", lambda x: x.cumprod(2)),
    ("var(1)", lambda x: x.var(1)), ("std", lambda x: x.std()), ("std_mean(0)", lambda x: torch.std_mean(x, 0)),
    ("softmax(-1)", lambda x: x.softmax(-1)), ("log_softmax(1)", lambda x: x.log_softmax(1)),
    ("logsumexp(1)", lambda x: x.logsumexp(1)), ("median(1)", lambda x: x.median(1)), ("median", lambda x: x.median()),
    ("all(1)", lambda x: x.all(1)), ("any", lambda x: x.any()), ("norm", lambda x: x.norm()),
    ("count_nonzero(0)", lambda x: torch.count_nonzero(x, 0)),
    ("sum of a transpose", lambda x: x.transpose(0, 2).sum(1)), ("max of a slice", lambda x: x[:, ::3].max(1)),
    ("nansum", lambda x: with_nan(x).nansum()), ("nansum(1)", lambda x: with_nan(x).nansum(1)),
    ("nansum((0, 2))", lambda x: with_nan(x).nansum((0, 2), keepdim=True)), ("nanmean(2)", lambda x: with_nan(x).nanmean(2)),
    ("nanmedian(1)", lambda x: with_nan(x).nanmedian(1)), ("nanmedian", lambda x: with_nan(x).nanmedian()),
    ("quantile(1)", lambda x: x.quantile(0.3, 1)), ("nanquantile", lambda x: with_nan(x).nanquantile(0.7)),
    ("mode(1)", lambda x: x.mode(1)), ("aminmax", lambda x: torch.aminmax(x)),
    ("aminmax(dim=2)", lambda x: torch.aminmax(x, dim=2)), ("cummax(1)", lambda x: with_nan(x).cummax(1)),
    ("cummin(0)", lambda x: x.cummin(0)), ("logcumsumexp(1)", lambda x: with_nan(x).logcumsumexp(1)),
    ("logcumsumexp(2)", lambda x: x.logcumsumexp(2)), ("cumsum_(1)", lambda x: x.clone().cumsum_(1)),
]


def with_nan(x):
    """x with NaN in some places (floating dtypes; others as they are)."""
    return x.masked_fill(x > 2, float("nan")) if x.is_floating_point() else x


def values(a):
    return [a] if not isinstance(a, tuple) else list(a)


def compare(name, c, d, dt):
    global n
    n += 1
    for x, y in zip(values(c), values(d)):
        if y.device.type != "cuda":
            fails.append(f"{name} {dt}: result on {y.device}")
            return
        if x.dtype != y.dtype or tuple(x.shape) != tuple(y.shape):
            fails.append(f"{name} {dt}: {y.dtype}{tuple(y.shape)} vs {x.dtype}{tuple(x.shape)}")
            return
        xn, yn = x.numpy().astype(np.complex128), y.cpu().numpy().astype(np.complex128)
        rd = x.dtype          # the tolerance of the result's dtype (summation order differs)
        tol = 2e-3 if rd == torch.float16 else (2e-5 if rd in (torch.float32, torch.complex64) else 1e-12)
        if not np.allclose(xn, yn, rtol=tol, atol=tol, equal_nan=True):
            fails.append(f"{name} {dt}: values differ")


for dt in DTYPES:
    base = torch.randn(6, 33, 5, dtype=torch.float64) * 3
    a = (base > 0) if dt == torch.bool else base.to(dt)
    g = a.cuda()
    for name, f in CASES:
        try:
            c, ce = f(a), None
        except Exception as e:
            c, ce = None, e
        try:
            d, de = f(g), None
        except Exception as e:
            d, de = None, e
        if ce is not None or de is not None:
            if type(ce) is not type(de):
                fails.append(f"{name} {dt}: CPU {ce!r} vs device {de!r}")
            continue
        compare(name, c, d, dt)

# gradients on the device equal the CPU's
for name, f in [("sum/mean", lambda x: x.sum(1).mean()), ("softmax", lambda x: x.softmax(-1)[:, 0].sum()),
                ("log_softmax", lambda x: x.log_softmax(0).sum()), ("max", lambda x: x.max(1)[0].sum()),
                ("var", lambda x: x.var(1).sum()), ("cumsum", lambda x: (x.cumsum(1) ** 2).sum()),
                ("prod", lambda x: x.prod(1).sum()), ("logsumexp", lambda x: x.logsumexp(1).sum()),
                ("broadcast", lambda x: (x * x[:, :1]).sum()), ("nansum", lambda x: (x.nansum(1) ** 2).sum()),
                ("aminmax", lambda x: (torch.aminmax(x, dim=1).max * 2 + torch.aminmax(x).min).sum()),
                ("cummax", lambda x: (x.cummax(1).values ** 2).sum()),
                ("logcumsumexp", lambda x: (x.logcumsumexp(1) * x).sum()),
                ("quantile", lambda x: x.quantile(0.4, 0).sum()), ("mode", lambda x: x.mode(1)[0].sum())]:
    a = np.random.default_rng(1).standard_normal((4, 7))
    xc = torch.tensor(a, requires_grad=True)
    xg = torch.tensor(a, device="cuda", requires_grad=True)
    f(xc).backward()
    f(xg).backward()
    n += 1
    if xg.grad is None or xg.grad.device.type != "cuda" or not np.allclose(xg.grad.cpu().numpy(), xc.grad.numpy(),
                                                                           rtol=1e-10, atol=1e-12):
        fails.append(f"gradient of {name}")

# long rows: the scans' and the sums' segments (partial results combined in a second launch)
for name, f in [("logcumsumexp of a long row", lambda x: x.logcumsumexp(0)),
                ("nansum of a long row", lambda x: with_nan(x).nansum()),
                ("cummax of a long row", lambda x: x.cummax(0))]:
    a = torch.randn(70000, dtype=torch.float64) * 3
    compare(name, f(a), f(a.cuda()), torch.float64)

_cases.finish(n, fails)
