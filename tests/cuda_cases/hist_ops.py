"""The histogram ops on the emulated CUDA device against the CPU: histc,
histogram (a bin count or given edges, range=, weight=, density=) and
bincount (weights=, minlength=), over every dtype they take, contiguous and
strided inputs, sizes around the block size and sizes that need many blocks,
bin counts on both sides of the shared-memory limit, values on the edges,
outside them and nan, and their errors.

Counts and edges must equal the CPU's exactly (the bin of every value is the
CPU's); weight sums and densities within rounding.

Run by tests/test_cuda_families.py (and tests/cuda/ on a GPU): see _cases.py."""

import numpy as np

import ctorch as torch

import _cases  # noqa: E402  (tests/cuda_cases/_cases.py: the device)
_cases.setup()


torch.manual_seed(0)
rng = np.random.default_rng(0)
fails, n = [], 0


def values(a):
    return list(a) if isinstance(a, tuple) else [a]


def compare(name, c, d, exact):
    global n
    n += 1
    for x, y in zip(values(c), values(d)):
        if y.device.type != "cuda":
            fails.append(f"{name}: result on {y.device}")
            return
        if x.dtype != y.dtype or tuple(x.shape) != tuple(y.shape):
            fails.append(f"{name}: {y.dtype}{tuple(y.shape)} vs {x.dtype}{tuple(x.shape)}")
            return
        xn, yn = x.numpy(), y.cpu().numpy()
        if exact:
            ok = np.array_equal(xn, yn, equal_nan=True) and np.array_equal(np.signbit(xn), np.signbit(yn))
        else:
            tol = 1e-3 if x.dtype == torch.float16 else (1e-5 if x.dtype == torch.float32 else 1e-12)
            ok = np.allclose(xn.astype(np.float64), yn.astype(np.float64), rtol=tol, atol=tol, equal_nan=True)
        if not ok:
            xf, yf = xn.astype(np.float64).ravel(), yn.astype(np.float64).ravel()
            bad = np.flatnonzero(~np.isclose(xf, yf, rtol=0, atol=0, equal_nan=True)
                                 | (np.signbit(xf) != np.signbit(yf)))[:5]
            fails.append(f"{name}: values (or signs of zeros) differ at {bad.tolist()}: {xf[bad]} vs {yf[bad]}")


def case(name, f, *args, exact=True):
    """f(*args) on the CPU and f(*device args): the same values, or the same
    exception type and message."""
    if not _cases.take():
        return
    dargs = [a.cuda() if isinstance(a, torch.Tensor) else a for a in args]
    try:
        c, ce = f(*args), None
    except Exception as e:
        c, ce = None, e
    try:
        d, de = f(*dargs), None
    except Exception as e:
        d, de = None, e
    if ce is not None or de is not None:
        global n
        n += 1
        if type(ce) is not type(de) or str(ce) != str(de):
            fails.append(f"{name}: CPU {ce!r} vs device {de!r}")
        return
    compare(name, c, d, exact)


FLOATS = [torch.float32, torch.float64]
SIZES = [0, 1, 7, 255, 256, 257, 1000, 4099, 70001]


def data(size, dt, kind="normal"):
    if kind == "normal":
        a = rng.standard_normal(size) * 3
    elif kind == "grid":           # values on the edges of integer-spaced bins, the max included
        a = rng.integers(-5, 6, size).astype(np.float64)
    elif kind == "special":        # nan, inf, zeros of both signs among ordinary values
        a = rng.standard_normal(size)
        a[rng.integers(0, max(size, 1), size // 5)] = np.nan
        a[rng.integers(0, max(size, 1), size // 7)] = np.inf
        a[rng.integers(0, max(size, 1), size // 7)] = -0.0
        a[rng.integers(0, max(size, 1), size // 7)] = 0.0
    return torch.tensor(a).to(dt)


# ---- histc ----------------------------------------------------------------
for dt in FLOATS + [torch.float16]:
    for size in SIZES:
        x = data(size, dt)
        case(f"histc {dt} n={size}", lambda t: torch.histc(t, 17), x)
        case(f"histc {dt} n={size} range", lambda t: torch.histc(t, 100, -2, 3), x)
    for bins in [1, 3, 10, 1024, 1025, 5000]:
        x = data(20000, dt)
        case(f"histc {dt} bins={bins}", lambda t: torch.histc(t, bins), x)
    g = data(3001, dt, "grid")
    for bins in [1, 2, 5, 10, 11, 20, 33, 1000]:
        case(f"histc {dt} values on edges, bins={bins}", lambda t: torch.histc(t, bins, -5, 5), g)
        case(f"histc {dt} grid data range, bins={bins}", lambda t: torch.histc(t, bins), g)
    sp = data(2000, dt, "special")
    case(f"histc {dt} nan/inf skipped in a given range", lambda t: torch.histc(t, 7, -1, 1), sp)
    case(f"histc {dt} nan in the data range", lambda t: torch.histc(t, 7), sp)
    case(f"histc {dt} inf in the data range", lambda t: torch.histc(t, 7), torch.tensor([1.0, np.inf]).to(dt))
    case(f"histc {dt} zeros of both signs", lambda t: torch.histc(t, 4), torch.tensor([-0.0, 0.0, 1.0, -0.0]).to(dt))
    case(f"histc {dt} one value", lambda t: torch.histc(t, 4), torch.tensor([2.5] * 9).to(dt))
    case(f"histc {dt} min == max != 0", lambda t: torch.histc(t, 6, 1, 1), data(500, dt))
    x2 = data(6 * 401, dt).reshape(6, 401)
    case(f"histc {dt} transposed", lambda t: torch.histc(t.t(), 13), x2)
    case(f"histc {dt} strided", lambda t: torch.histc(t[:, ::3], 13), x2)
    case(f"histc {dt} out=", lambda t: torch.histc(t, 5, out=torch.empty(0, dtype=dt, device=t.device)), x2)
for dt in [torch.int32, torch.int64, torch.bool]:
    case(f"histc {dt} refused", lambda t: torch.histc(t, 4), torch.tensor([1, 0, 1]).to(dt))
case("histc bins=0", lambda t: torch.histc(t, 0), data(10, torch.float32))
case("histc min > max", lambda t: torch.histc(t, 5, 3, 1), data(10, torch.float32))
case("histc nan range", lambda t: torch.histc(t, 5, float("nan"), 1), data(10, torch.float32))
case("histc infinite range", lambda t: torch.histc(t, 5, 0, float("inf")), data(10, torch.float32))
case("histc out= of another dtype", lambda t: torch.histc(t, 5, out=torch.empty(5, device=t.device)),
     data(10, torch.float64))

# ---- histogram --------------------------------------------------------------
for dt in FLOATS:
    for size in SIZES:
        x = data(size, dt)
        w = data(size, dt).abs()
        case(f"histogram {dt} n={size}", lambda t: torch.histogram(t, 9), x)
        case(f"histogram {dt} n={size} range", lambda t: torch.histogram(t, 50, range=(-1.5, 2.0)), x)
        case(f"histogram {dt} n={size} weight", lambda t, u: torch.histogram(t, 9, weight=u), x, w, exact=False)
        case(f"histogram {dt} n={size} density", lambda t: torch.histogram(t, 9, density=True), x, exact=False)
    for bins in [1, 1024, 1025, 3000]:
        x = data(30000, dt)
        case(f"histogram {dt} bins={bins}", lambda t: torch.histogram(t, bins), x)
        case(f"histogram {dt} bins={bins} weight",
             lambda t, u: torch.histogram(t, bins, weight=u), x, x * x, exact=False)
    x = data(5000, dt)
    # given edges: uneven, with repeated edges, wider than the data, one bin, many bins
    for name, e in [("uneven", [-4.0, -1.0, -0.5, 0.0, 0.1, 2.0, 3.0]), ("repeated", [-1.0, 0.0, 0.0, 0.5, 0.5, 1.0]),
                    ("wide", [-100.0, 100.0]), ("inside", [-0.3, 0.3]),
                    ("many", sorted(rng.standard_normal(1500).tolist()))]:
        edges = torch.tensor(e).to(dt)
        case(f"histogram {dt} edges {name}", lambda t, b: torch.histogram(t, b), x, edges)
        case(f"histogram {dt} edges {name} weight density",
             lambda t, b, u: torch.histogram(t, b, weight=u, density=True), x, edges, x.abs(), exact=False)
    g = data(3001, dt, "grid")
    case(f"histogram {dt} values on given edges", lambda t, b: torch.histogram(t, b), g,
         torch.arange(-5, 6).to(dt))
    case(f"histogram {dt} values on linear edges", lambda t: torch.histogram(t, 10, range=(-5, 5)), g)
    case(f"histogram {dt} values on linear edges (3 bins)", lambda t: torch.histogram(t, 3, range=(-5, 5)), g)
    sp = data(2000, dt, "special")
    case(f"histogram {dt} nan/inf skipped", lambda t: torch.histogram(t, 6, range=(-2, 2)), sp)
    case(f"histogram {dt} nan/inf skipped, edges", lambda t, b: torch.histogram(t, b), sp,
         torch.tensor([-2.0, 0.0, 2.0]).to(dt))
    case(f"histogram {dt} nan in the data range", lambda t: torch.histogram(t, 6), sp)
    case(f"histogram {dt} one value", lambda t: torch.histogram(t, 3), torch.tensor([1.5] * 5).to(dt))
    # the range's ends are the first of equal extremes (the sign of a zero
    # shows in the edges), whatever block holds them
    for v in [[0.0, -0.0, 1.0], [-0.0, 0.0, 1.0], [-1.0, 0.0, -0.0], [-1.0, -0.0, 0.0]]:
        case(f"histogram {dt} signed zero extremes {v}", lambda t: torch.histogram(t, 2), torch.tensor(v).to(dt))
    for k1, k2 in [(10, 19000), (19000, 10), (300, 301)]:
        a = rng.random(20000) + 0.5
        a[k1], a[k2] = 0.0, -0.0
        case(f"histogram {dt} signed zero minima at {k1}, {k2}", lambda t: torch.histogram(t, 4),
             torch.tensor(a).to(dt))
        case(f"histogram {dt} signed zero maxima at {k1}, {k2}", lambda t: torch.histogram(t, 4),
             torch.tensor(-a).to(dt))
    case(f"histogram {dt} empty", lambda t: torch.histogram(t, 4), torch.tensor([]).to(dt))
    x2 = data(5 * 333, dt).reshape(5, 333)
    case(f"histogram {dt} transposed", lambda t: torch.histogram(t.t(), 11), x2)
    case(f"histogram {dt} strided weight", lambda t, u: torch.histogram(t[:, 1::2], 11, weight=u[:, ::2]),
         x2, x2.abs(), exact=False)
    case(f"histogram {dt} strided edges", lambda t, b: torch.histogram(t, b[::2]), x2,
         torch.linspace(-6, 6, 21).to(dt))
    case(f"histogram {dt} out=", lambda t: torch.histogram(t, 4, out=(torch.empty(0, dtype=dt, device=t.device),
                                                                     torch.empty(0, dtype=dt, device=t.device))), x2)
f32, f64 = torch.float32, torch.float64
x = data(100, f32)
case("histogram int input", lambda t: torch.histogram(t, 4), torch.tensor([1, 2, 3]))
case("histogram bins=0", lambda t: torch.histogram(t, 0), x)
case("histogram range of 3", lambda t: torch.histogram(t, 4, range=(0, 1, 2)), x)
case("histogram min > max", lambda t: torch.histogram(t, 4, range=(2.0, 1.0)), x)
case("histogram nan range", lambda t: torch.histogram(t, 4, range=(float("nan"), 1.0)), x)
case("histogram inf range", lambda t: torch.histogram(t, 4, range=(0.0, float("inf"))), x)
case("histogram weight dtype", lambda t, u: torch.histogram(t, 4, weight=u), x, data(100, f64))
case("histogram weight shape", lambda t, u: torch.histogram(t, 4, weight=u), x, data(99, f32))
case("histogram 2-d edges", lambda t, b: torch.histogram(t, b), x, torch.zeros(2, 2))
case("histogram edges dtype", lambda t, b: torch.histogram(t, b), x, torch.tensor([0.0, 1.0], dtype=f64))
case("histogram one edge", lambda t, b: torch.histogram(t, b), x, torch.tensor([0.0]))
case("histogram edges and range", lambda t, b: torch.histogram(t, b, range=(0, 1)), x, torch.tensor([0.0, 1.0]))

# ---- bincount ---------------------------------------------------------------
for dt in [torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64]:
    for size in SIZES:
        hi = 100 if dt in (torch.uint8, torch.int8) else 3000
        i = torch.tensor(rng.integers(0, hi, size)).to(dt)
        case(f"bincount {dt} n={size}", lambda t: torch.bincount(t), i)
        case(f"bincount {dt} n={size} minlength", lambda t: torch.bincount(t, minlength=2000), i)
    i = torch.tensor(rng.integers(0, 50, 9000)).to(dt)
    for wdt in [torch.float32, torch.float64, torch.int32]:
        w = torch.tensor(rng.standard_normal(9000)).to(wdt)
        case(f"bincount {dt} weights {wdt}", lambda t, u: torch.bincount(t, u), i, w, exact=False)
    case(f"bincount {dt} strided", lambda t: torch.bincount(t[::3]), i)
    case(f"bincount {dt} strided weights", lambda t, u: torch.bincount(t[1::2], u[::2]), i,
         torch.tensor(rng.standard_normal(9000)), exact=False)
for nb in [1, 1023, 1024, 1025, 100000]:
    i = torch.tensor(rng.integers(0, nb, 20000))
    case(f"bincount up to {nb}", lambda t: torch.bincount(t), i)
    case(f"bincount up to {nb} weights", lambda t, u: torch.bincount(t, u), i, torch.rand(20000), exact=False)
case("bincount all zeros", lambda t: torch.bincount(t), torch.zeros(700, dtype=torch.int64))
case("bincount one large value", lambda t: torch.bincount(t), torch.tensor([123456]))
case("bincount empty", lambda t: torch.bincount(t), torch.tensor([], dtype=torch.int64))
case("bincount empty minlength", lambda t: torch.bincount(t, minlength=5), torch.tensor([], dtype=torch.int64))
case("bincount negative", lambda t: torch.bincount(t), torch.tensor([3, 1, -1, 2]))
case("bincount negative (many blocks)", lambda t: torch.bincount(t),
     torch.tensor(np.r_[rng.integers(0, 9, 50000), -3, rng.integers(0, 9, 50)]))
case("bincount 2-d", lambda t: torch.bincount(t), torch.zeros(2, 3, dtype=torch.int64))
case("bincount float", lambda t: torch.bincount(t), torch.tensor([1.0, 2.0]))
case("bincount minlength < 0", lambda t: torch.bincount(t, minlength=-1), torch.tensor([1, 2]))
case("bincount weights length", lambda t, u: torch.bincount(t, u), torch.tensor([1, 2]), torch.ones(3))

# ---- mixed devices ------------------------------------------------------------
for name, f in [("histogram weight on the CPU", lambda: torch.histogram(data(10, f32).cuda(), 3, weight=torch.ones(10))),
                ("histogram edges on the CPU", lambda: torch.histogram(data(10, f32).cuda(), torch.tensor([0.0, 1.0]))),
                ("bincount weights on the CPU", lambda: torch.bincount(torch.tensor([1, 2]).cuda(), torch.ones(2)))]:
    n += 1
    try:
        f()
        fails.append(f"{name}: no error")
    except RuntimeError as e:
        if "Expected all tensors to be on the same device" not in str(e):
            fails.append(f"{name}: {e!r}")

_cases.finish(n, fails)
