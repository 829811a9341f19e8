"""Sorting and searching on the emulated CUDA device against the CPU: sort,
argsort, msort, topk, kthvalue, searchsorted and bucketize over every dtype
they take, rows of every kernel layout (up to 32 elements, one block, several
chunks merged over several launches), many rows, sorted dims that are not the
last, ties, NaNs of both signs and several payloads, -0.0 / +0.0, out=, the
errors, the gradients, and unique on device tensors.

Every result must equal the CPU's bit for bit: values (compared as raw bits,
so -0.0 and NaN payloads count) and indices.

Run by tests/test_cuda_families.py (and tests/cuda/ on a GPU): see _cases.py."""

import numpy as np

import ctorch as torch

import _cases  # noqa: E402  (tests/cuda_cases/_cases.py: the device)
_cases.setup()


torch.manual_seed(0)
rng = np.random.default_rng(0)
fails, n = [], 0

DTYPES = [torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64,
          torch.float16, torch.float32, torch.float64]
NP = {torch.bool: np.bool_, torch.uint8: np.uint8, torch.int8: np.int8, torch.int16: np.int16,
      torch.int32: np.int32, torch.int64: np.int64, torch.float16: np.float16,
      torch.float32: np.float32, torch.float64: np.float64}


def _nan_bits(npdt):
    """NaNs of both signs and several payloads, as values of npdt."""
    u = {np.float16: (np.uint16, [0x7E00, 0xFE00, 0x7C01, 0x7FFF, 0xFC07]),
         np.float32: (np.uint32, [0x7FC00000, 0xFFC00000, 0x7F800001, 0x7FFFFFFF, 0xFF800003]),
         np.float64: (np.uint64, [0x7FF8000000000000, 0xFFF8000000000000, 0x7FF0000000000001,
                                  0x7FFFFFFFFFFFFFFF, 0xFFF0000000000005])}[npdt]
    return np.array(u[1], dtype=u[0]).view(npdt)


def make(dt, shape, kind="ties"):
    """A CPU tensor of dt: many ties ("ties"), all equal ("equal"), or
    spread values ("wide"); floats get NaNs, infinities and zeros of both signs."""
    npdt = NP[dt]
    size = int(np.prod(shape)) if len(shape) else 1
    if dt == torch.bool:
        a = rng.integers(0, 2, size).astype(np.bool_)
        if kind == "equal":
            a[:] = True
    elif np.issubdtype(npdt, np.integer):
        info = np.iinfo(npdt)
        if kind == "wide":
            a = rng.integers(info.min, info.max, size, dtype=npdt, endpoint=True)
        else:
            lo = 0 if info.min == 0 else -4
            a = rng.integers(lo, lo + 9, size).astype(npdt)
            if size > 4:
                a[rng.integers(0, size, 2)] = info.min
                a[rng.integers(0, size, 2)] = info.max
        if kind == "equal":
            a[:] = 3
    else:
        if kind == "wide":
            a = rng.standard_normal(size).astype(npdt) * 100
        else:
            a = (rng.integers(-4, 5, size) * 0.5).astype(npdt)
        if kind == "equal":
            a[:] = 1.5
        elif size > 3:
            specials = np.concatenate([_nan_bits(npdt), np.array([np.inf, -np.inf, 0.0, -0.0], npdt)])
            m = max(1, size // 8)
            a[rng.integers(0, size, m)] = specials[rng.integers(0, len(specials), m)]
    return torch.tensor(a.reshape(shape))


def raw(t):
    a = t.cpu().numpy() if t.device.type == "cuda" else t.numpy()
    if a.dtype.kind == "f":
        a = a.view(f"u{a.itemsize}")
    return a


def values(r):
    return list(r) if isinstance(r, tuple) else [r]


def compare(name, c, d):
    global n
    n += 1
    cs, ds = values(c), values(d)
    if len(cs) != len(ds):
        fails.append(f"{name}: {len(ds)} results vs {len(cs)}")
        return
    for k, (x, y) in enumerate(zip(cs, ds)):
        if not isinstance(x, torch.Tensor):
            if x != y:
                fails.append(f"{name}: result {k} {y!r} vs {x!r}")
            continue
        if y.device.type != "cuda":
            fails.append(f"{name}: result {k} on {y.device}")
            return
        if x.dtype != y.dtype or tuple(x.shape) != tuple(y.shape):
            fails.append(f"{name}: result {k} {y.dtype}{tuple(y.shape)} vs {x.dtype}{tuple(x.shape)}")
            return
        if not np.array_equal(raw(x), raw(y)):
            fails.append(f"{name}: result {k} differs")


def norm_msg(e):
    return str(e).replace("CUDA", "CPU").replace("cuda", "cpu")


def run(name, f, a, *more):
    """f(a, *more) on the CPU and f on device copies: the same results, or
    the same exception (type and message, up to the device's name)."""
    if not _cases.take():
        return
    g = a.cuda()
    gm = [m.cuda() if isinstance(m, torch.Tensor) else m for m in more]
    try:
        c, ce = f(a, *more), None
    except Exception as e:      # noqa: BLE001
        c, ce = None, e
    try:
        d, de = f(g, *gm), None
    except Exception as e:      # noqa: BLE001
        d, de = None, e
    if ce is not None or de is not None:
        global n
        n += 1
        if type(ce) is not type(de):
            fails.append(f"{name}: CPU {ce!r} vs device {de!r}")
        elif norm_msg(ce) != norm_msg(de) and "complex" not in str(ce):
            fails.append(f"{name}: messages differ: CPU {ce} / device {de}")
        return
    compare(name, c, d)


# rows of every layout: up to 32 elements (a thread an element), a chunk
# (one block a row), several chunks (4096 entries for keys of up to 32 bits,
# 2048 for 64-bit keys) merged over several launches
SHAPES = [(), (1,), (2,), (3,), (5, 31), (3, 33), (2, 1000), (2, 2049), (1, 5000),
          (300, 7), (40, 100), (0, 5), (5, 0)]
WIDE = {torch.int8: [(3, 33)], torch.int32: [(3, 33), (2, 2049)], torch.int64: [(3, 33), (2, 2049)],
        torch.float16: [(3, 33)], torch.float32: [(3, 33), (1, 5000)], torch.float64: [(3, 33), (1, 5000)]}

# ---- sort / argsort / msort over every dtype, shape and direction
for dt in DTYPES:
    for shape in SHAPES + ([(1, 4097)] if dt in (torch.float16, torch.float32, torch.int32) else []):
        for kind in ("ties", "wide") if shape in WIDE.get(dt, []) else ("ties",):
            a = make(dt, shape, kind)
            tag = f"{dt} {shape} {kind}"
            run(f"sort {tag}", lambda x: torch.sort(x), a)
            run(f"sort desc {tag}", lambda x: torch.sort(x, descending=True, stable=True), a)
            if shape in ((5, 31), (2, 1000), (300, 7)):
                run(f"argsort {tag}", lambda x: torch.argsort(x, descending=True), a)
                run(f"msort {tag}", lambda x: torch.msort(x), a)
                run(f"sort(0) {tag}", lambda x: torch.sort(x, 0), a)
    # the sorted dim not the last, strided and transposed inputs
    a = make(dt, (1000, 3))
    run(f"sort dim 0 {dt}", lambda x: torch.sort(x, dim=0, descending=True), a)
    run(f"sort of a transpose {dt}", lambda x: x.t().sort(-1), a)
    run(f"sort of a slice {dt}", lambda x: x[::3, 1:].sort(0), a)
    run(f"sort 3-d dim 1 {dt}", lambda x: x.sort(1), make(dt, (3, 70, 4)))
    # all-equal rows keep input order
    for shape in ((4, 9), (2, 300), (1, 5000)):
        run(f"sort all-equal {dt} {shape}", lambda x: torch.sort(x, descending=True), make(dt, shape, "equal"))

# longer rows: more merges over several launches
for dt in (torch.float32, torch.float64, torch.int16):
    run(f"sort 20000 {dt}", lambda x: torch.sort(x), make(dt, (1, 20000), "wide"))
    run(f"topk 9000 {dt}", lambda x: torch.topk(x, 7), make(dt, (2, 9000)))
run("sort many long rows", lambda x: torch.sort(x, descending=True), make(torch.float32, (5, 4500)))

# NaN rows: NaNs of every payload and sign sort last (by the CPU's order)
for dt in (torch.float16, torch.float32, torch.float64):
    npdt = NP[dt]
    nan = np.concatenate([_nan_bits(npdt), np.array([1.0, -0.0, 0.0, -np.inf, np.inf], npdt)])
    for L in (8, 40, 3000):
        a = torch.tensor(np.tile(nan, L // len(nan) + 1)[:L].reshape(1, L))
        run(f"sort NaN {dt} {L}", lambda x: torch.sort(x), a)
        run(f"sort NaN desc {dt} {L}", lambda x: torch.sort(x, descending=True), a)
        run(f"topk NaN {dt} {L}", lambda x: torch.topk(x, 3), a)
        run(f"topk NaN smallest {dt} {L}", lambda x: torch.topk(x, 5, largest=False), a)
        run(f"kthvalue NaN {dt} {L}", lambda x: torch.kthvalue(x, L - 1), a)

# ---- topk / kthvalue
LONG = (torch.int16, torch.int64, torch.float16, torch.float32, torch.float64)
for dt in DTYPES:
    for shape in ((1,), (3,), (4, 5), (3, 33), (300, 7), (2, 1000)) + (((1, 2049), (1, 5000)) if dt in LONG else ()):
        a = make(dt, shape)
        L = shape[-1]
        for k in sorted({0, 1, min(5, L), L} if L < 1000 else {3, L}):
            run(f"topk {dt} {shape} k={k}", lambda x: torch.topk(x, k), a)
            run(f"topk smallest {dt} {shape} k={k}", lambda x: torch.topk(x, k, largest=False, sorted=True), a)
        for k in sorted({1, (L + 1) // 2, L} if L < 1000 else {L // 3}):
            run(f"kthvalue {dt} {shape} k={k}", lambda x: torch.kthvalue(x, k), a)
            run(f"kthvalue keepdim {dt} {shape} k={k}", lambda x: torch.kthvalue(x, k, -1, True), a)
    a = make(dt, (1000, 3))
    run(f"topk dim 0 {dt}", lambda x: torch.topk(x, 4, dim=0), a)
    run(f"kthvalue dim 0 {dt}", lambda x: torch.kthvalue(x, 500, 0), a)
    run(f"topk 0-d {dt}", lambda x: torch.topk(x, 1), make(dt, ()))
    run(f"kthvalue 0-d {dt}", lambda x: torch.kthvalue(x, 1), make(dt, ()))
    run(f"topk all-equal {dt}", lambda x: torch.topk(x, 6), make(dt, (3, 50), "equal"))
    run(f"kthvalue all-equal {dt}", lambda x: torch.kthvalue(x, 17), make(dt, (3, 50), "equal"))

# ---- out=
for dt in (torch.int32, torch.float32, torch.float64):
    a = make(dt, (4, 300))

    def sort_out(x):
        v, i = torch.empty(0, dtype=x.dtype, device=x.device), torch.empty(0, dtype=torch.int64, device=x.device)
        r = torch.sort(x, 1, True, out=(v, i))
        return r.values, r.indices, v, i
    run(f"sort out= {dt}", sort_out, a)

    def topk_out(x):
        v, i = torch.empty(2, 3, dtype=x.dtype, device=x.device), torch.empty(0, dtype=torch.int64, device=x.device)
        torch.topk(x, 3, out=(v, i))
        return v, i
    run(f"topk out= {dt}", topk_out, a)

    def kth_out(x):
        v, i = torch.empty(0, dtype=x.dtype, device=x.device), torch.empty(0, dtype=torch.int64, device=x.device)
        torch.kthvalue(x, 100, 1, out=(v, i))
        return v, i
    run(f"kthvalue out= {dt}", kth_out, a)

    def msort_out(x):
        o = torch.empty(0, dtype=x.dtype, device=x.device)
        torch.msort(x, out=o)
        return o
    run(f"msort out= {dt}", msort_out, a)

# ---- searchsorted / bucketize
for dt in (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64, torch.float16, torch.float32,
           torch.float64):
    b1 = make(dt, (50,)).sort().values
    bw = make(dt, (9,), "wide").sort().values
    v = make(dt, (7, 33))
    for right in (False, True):
        run(f"searchsorted {dt} right={right}", lambda b, x: torch.searchsorted(b, x, right=right), b1, v)
        run(f"searchsorted wide {dt} right={right}",
            lambda b, x: torch.searchsorted(b, x, right=right, out_int32=True), bw, v)
        run(f"bucketize {dt} right={right}", lambda x, b: torch.bucketize(x, b, right=right), v, b1)
    run(f"searchsorted side {dt}", lambda b, x: torch.searchsorted(b, x, side="right"), b1, v)
    run(f"searchsorted scalar {dt}", lambda b: torch.searchsorted(b, 2), b1)
    run(f"bucketize scalar {dt}", lambda b: torch.bucketize(3, b, out_int32=True), b1)
    # N-d boundaries: a row of boundaries for each row of values
    bn = make(dt, (7, 20)).sort(-1).values
    run(f"searchsorted N-d {dt}", lambda b, x: torch.searchsorted(b, x), bn, v)
    run(f"searchsorted N-d right {dt}", lambda b, x: torch.searchsorted(b, x, right=True, out_int32=True), bn, v)
    # an unsorted sequence with its sorter
    u = make(dt, (7, 20))
    s = u.argsort(-1)
    run(f"searchsorted sorter {dt}", lambda b, x, so: torch.searchsorted(b, x, sorter=so), u, v, s)
    run(f"searchsorted sorter 1-d {dt}", lambda b, x, so: torch.searchsorted(b, x, right=True, sorter=so),
        u[0], v, s[0])
    run(f"searchsorted empty values {dt}", lambda b, x: torch.searchsorted(b, x), b1, v[:0])
    run(f"searchsorted empty boundaries {dt}", lambda b, x: torch.searchsorted(b, x), b1[:0], v)
    run(f"searchsorted strided {dt}", lambda b, x: torch.searchsorted(b, x.t()), b1, make(dt, (33, 7)))

# NaN boundaries and values
for dt in (torch.float16, torch.float32, torch.float64):
    b = torch.tensor([-np.inf, -1.0, -0.0, 0.0, 2.0, np.inf, np.nan, np.nan], dtype=dt)
    x = torch.tensor([np.nan, -np.inf, -0.0, 0.0, 2.0, 5.0, np.inf, -7.0], dtype=dt)
    for right in (False, True):
        run(f"searchsorted NaN {dt} right={right}", lambda bb, xx: torch.searchsorted(bb, xx, right=right), b, x)

# mixed dtypes: the result type of both
run("searchsorted int boundaries float values", lambda b, x: torch.searchsorted(b, x),
    torch.arange(10), make(torch.float32, (20,)))


def search_out(b, x):
    o = torch.empty(0, dtype=torch.int32, device=b.device)
    torch.searchsorted(b, x, out_int32=True, out=o)
    return o


run("searchsorted out=", search_out, make(torch.float32, (30,)).sort().values, make(torch.float32, (4, 5)))

# ---- errors: the CPU's exceptions and messages
cx = torch.randn(4, 5, dtype=torch.complex64)
run("sort complex", lambda x: torch.sort(x), cx)
run("argsort complex", lambda x: torch.argsort(x), cx)
run("msort complex", lambda x: torch.msort(x), cx)
run("topk complex", lambda x: torch.topk(x, 1), cx)
run("kthvalue complex", lambda x: torch.kthvalue(x, 1), cx)
run("topk bool", lambda x: torch.topk(x, 1), make(torch.bool, (3, 4)))
run("kthvalue bool", lambda x: torch.kthvalue(x, 1), make(torch.bool, (3, 4)))
a = make(torch.float32, (3, 4))
run("topk k too big", lambda x: torch.topk(x, 5), a)
run("topk k negative", lambda x: torch.topk(x, -1), a)
run("kthvalue k too big", lambda x: torch.kthvalue(x, 5), a)
run("kthvalue k zero", lambda x: torch.kthvalue(x, 0), a)
run("kthvalue empty dim", lambda x: torch.kthvalue(x, 1), make(torch.float32, (3, 0)))
run("sort bad dim", lambda x: torch.sort(x, 2), a)
run("searchsorted bad sorter", lambda b, x, so: torch.searchsorted(b, x, sorter=so),
    make(torch.float32, (6,)), a, torch.tensor([0, 1, 2, 6, 3, 4]))
run("searchsorted negative sorter", lambda b, x, so: torch.searchsorted(b, x, sorter=so),
    make(torch.float32, (2, 6)), make(torch.float32, (2, 3)), torch.tensor([[0, 1, 2, 5, 3, 4], [0, 1, 2, -1, 3, 4]]))
run("searchsorted sorter shape", lambda b, x, so: torch.searchsorted(b, x, sorter=so),
    make(torch.float32, (6,)), a, torch.tensor([0, 1, 2]))
run("searchsorted sorter dtype", lambda b, x, so: torch.searchsorted(b, x, sorter=so),
    make(torch.float32, (6,)), a, torch.tensor([0, 1, 2, 3, 4, 5], dtype=torch.int32))
run("searchsorted shape mismatch", lambda b, x: torch.searchsorted(b, x), make(torch.float32, (2, 6)), a)
run("searchsorted bool", lambda b, x: torch.searchsorted(b, x), make(torch.bool, (6,)), make(torch.bool, (3,)))
run("searchsorted side", lambda b, x: torch.searchsorted(b, x, side="middle"), make(torch.float32, (6,)), a)
run("searchsorted 0-d boundaries", lambda b, x: torch.searchsorted(b, x), make(torch.float32, ()), a)
run("bucketize 2-d boundaries", lambda x, b: torch.bucketize(x, b), a, make(torch.float32, (2, 3)))
run("searchsorted out dtype", lambda b, x: torch.searchsorted(b, x, out=torch.empty(0, dtype=torch.int32, device=b.device)),
    make(torch.float32, (6,)), a)

# mixed devices are refused
for name, f in [("searchsorted", lambda: torch.searchsorted(torch.arange(5.0).cuda(), torch.ones(3))),
                ("searchsorted sorter", lambda: torch.searchsorted(torch.arange(5.0).cuda(), torch.ones(3).cuda(),
                                                                   sorter=torch.arange(5))),
                ("bucketize", lambda: torch.bucketize(torch.ones(3).cuda(), torch.arange(5.0))),
                ("sort out=", lambda: torch.sort(torch.ones(3).cuda(), out=(torch.empty(3), torch.empty(3, dtype=torch.int64))))]:
    n += 1
    try:
        f()
        fails.append(f"mixed devices in {name}: no error")
    except RuntimeError as e:
        if "Expected all tensors to be on the same device" not in str(e):
            fails.append(f"mixed devices in {name}: {e}")

# ---- gradients on the device equal the CPU's
for name, f in [("sort", lambda x: (torch.sort(x, 1, descending=True).values * torch.arange(40.0, device=x.device)).sum()),
                ("sort dim 0", lambda x: (torch.sort(x, 0).values ** 2).sum()),
                ("topk", lambda x: (torch.topk(x, 5).values * torch.arange(5.0, device=x.device)).sum()),
                ("topk smallest dim 0", lambda x: torch.topk(x, 2, 0, largest=False).values.sum()),
                ("kthvalue", lambda x: (torch.kthvalue(x, 7, 1).values ** 2).sum()),
                ("kthvalue keepdim", lambda x: torch.kthvalue(x, 2, 0, keepdim=True).values.sum()),
                ("msort", lambda x: (torch.msort(x) * 3).sum())]:
    a = np.round(np.random.default_rng(1).standard_normal((6, 40)), 1)     # ties
    xc = torch.tensor(a, requires_grad=True)
    xg = torch.tensor(a, device="cuda", requires_grad=True)
    f(xc).backward()
    f(xg).backward()
    n += 1
    if xg.grad is None or xg.grad.device.type != "cuda" or not np.array_equal(xg.grad.cpu().numpy(), xc.grad.numpy()):
        fails.append(f"gradient of {name}")

# ---- unique on device tensors
for dt in (torch.int64, torch.int32, torch.float32, torch.float64, torch.bool):
    a = make(dt, (6, 40))
    run(f"unique {dt}", lambda x: torch.unique(x, return_inverse=True, return_counts=True), a)
    run(f"unique method {dt}", lambda x: x.unique(), a)

_cases.finish(n, fails)
