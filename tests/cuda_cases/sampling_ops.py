"""The sampling ops on the emulated CUDA device against the CPU: bernoulli
(scalar p, tensor p, out=, generator=), Tensor.bernoulli_ (float and tensor
p), dropout / dropout_ / F.dropout with its gradient, and multinomial with and
without replacement, poisson and binomial, with the errors.

One Philox generator serves both devices (ctorch.cuda.manual_seed seeds the
same one), so every case seeds it, runs the op on CPU tensors, seeds it again
and runs the op on CUDA tensors: the draws must be bit for bit the CPU's, and
the generator must have moved on by the same blocks. Cases with generator=
do the same with a torch.Generator of their own.

Without replacement, the order comes from the keys E / p with E computed by
philox_core.h's ct__log_unit on both sides. The "libm weights" cases take
p = E as Python's math.log (the host libm) computes it, so that every key is
1 or an ulp or two away from it, and the order of the sample is decided by
those last bits: a key that differed by an ulp between the CPU and the
device would move its category. The script prints how many of those keys
differ from exactly 1 (where libm and ct__log_unit disagree).

Run by tests/test_cuda_families.py (and tests/cuda/ on a GPU): see _cases.py."""
import math
import sys
import traceback

import numpy as np

import ctorch as torch
import ctorch.nn.functional as F
from ctorch import Tensor

import _cases  # noqa: E402  (tests/cuda_cases/_cases.py: the device)
_cases.setup()


REV = "rev" in sys.argv
TRACE = "trace" in sys.argv
rng = np.random.default_rng(0)
fails, n = [], 0

DTYPES = [torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64,
          torch.float16, torch.float32, torch.float64, torch.complex64, torch.complex128]
FLOATS = [torch.float16, torch.float32, torch.float64]


def to_dev(x):
    if isinstance(x, Tensor):
        return x.to("cuda")
    if isinstance(x, (list, tuple)):
        return type(x)(to_dev(y) for y in x)
    if isinstance(x, dict):
        return {k: to_dev(v) for k, v in x.items()}
    return x


def same(c, d, path="result"):
    if isinstance(c, (tuple, list)):
        assert isinstance(d, (tuple, list)) and len(c) == len(d), f"{path}: structure"
        for i, (a, b) in enumerate(zip(c, d)):
            same(a, b, f"{path}[{i}]")
        return
    if not isinstance(c, Tensor):
        assert c == d, f"{path}: {c!r} != {d!r}"
        return
    assert isinstance(d, Tensor), f"{path}: not a tensor"
    assert d.device.type == "cuda", f"{path}: on {d.device}"
    assert c.dtype == d.dtype, f"{path}: dtype {d.dtype} vs {c.dtype}"
    assert tuple(c.shape) == tuple(d.shape), f"{path}: shape {tuple(d.shape)} vs {tuple(c.shape)}"
    a, b = c.numpy(), d.cpu().numpy()
    if a.dtype == np.float16:       # compare the bits: the draws must be the CPU's exactly
        a, b = a.view(np.uint16), b.view(np.uint16)
    elif a.dtype == np.float32:
        a, b = a.view(np.uint32), b.view(np.uint32)
    elif a.dtype == np.float64:
        a, b = a.view(np.uint64), b.view(np.uint64)
    elif a.dtype.kind == "c":
        a, b = a.view(np.uint8), b.view(np.uint8)
    if not np.array_equal(a, b):
        bad = np.flatnonzero(a.reshape(-1) != b.reshape(-1))
        raise AssertionError(f"{path}: {bad.size} of {a.size} elements differ, first at {bad[0]}")


def case(name, f, *args, seed=0, gen=False, **kw):
    """f(*args, **kw) on the CPU and on the device after the same seed: the same
    result (bitwise) or the same exception (type and message), and the
    generator moved on alike."""
    if not _cases.take():
        return
    global n
    n += 1
    outs = []
    for dev in (False, True):
        a, k = (to_dev(args), to_dev(kw)) if dev else (args, kw)
        if gen:
            g = torch.Generator()
            g.manual_seed(seed)
            k = dict(k, generator=g)
        torch.manual_seed(seed)
        try:
            r, e = f(*a, **k), None
        except Exception as ex:
            r, e = None, ex
        state = (g if gen else torch.default_generator).get_state().numpy().tolist()
        outs.append((r, e, state))
    (c, ce, cs), (d, de, ds) = outs
    try:
        if ce is not None or de is not None:
            assert type(ce) is type(de) and str(ce) == str(de), f"CPU {ce!r} vs device {de!r}"
            return
        same(c, d)
        assert cs == ds, f"generator state {ds} vs {cs}"
    except AssertionError as ex:
        fails.append(f"{name}: {ex}")
        if TRACE:
            traceback.print_exc()


def mk(shape, dt, lo=0.0, hi=1.0):
    a = rng.uniform(lo, hi, size=shape)
    return torch.tensor(a, dtype=dt)


def on_copy(fn):
    """fn applied in place to a copy of its argument (the CPU run must not
    change the tensor the device run copies): the copy afterwards"""
    def run(x):
        y = x.clone()
        fn(y)
        return y
    return run


SIZES = [0, 1, 3, 5, 7, 257, 1023, 1025, 4099, 140001]     # the last: grid-stride over 128 x 256 threads

# ------------------------------------------------------------ bernoulli(x, p)
for dt in DTYPES:
    for size in SIZES:
        for p in ([0.0, 0.3, 1.0] if size != 140001 else [0.7]):
            x = torch.zeros(size, dtype=dt)
            case(f"bernoulli(x, {p}) {dt} n={size}", lambda x, p=p: torch.bernoulli(x, p), x, seed=size)
for p in [1e-12, 1 - 1e-12, 0.5, 2 ** -33, 1 - 2 ** -34]:
    case(f"bernoulli p={p}", lambda x, p=p: torch.bernoulli(x, p), torch.zeros(2001), seed=5)
case("bernoulli(x, p) generator=", lambda x, generator: torch.bernoulli(x, 0.25, generator=generator),
     torch.zeros(777, dtype=torch.float32), seed=11, gen=True)
case("Tensor.bernoulli(p)", lambda x: x.bernoulli(0.4), torch.zeros(5, 9), seed=2)
for bad in [1.5, -0.1, float("nan"), "a"]:
    case(f"bernoulli p={bad!r}", lambda x, bad=bad: torch.bernoulli(x, bad), torch.zeros(4))

# ------------------------------------------------------------ bernoulli(p tensor)
for dt in FLOATS:
    for size in SIZES:
        p = mk((size,), dt)
        case(f"bernoulli(p) {dt} n={size}", torch.bernoulli, p, seed=size + 1)
    p = mk((37, 41), dt)
    case(f"bernoulli(p.t()) {dt}", lambda p: torch.bernoulli(p.t()), p, seed=3)
    case(f"bernoulli(p[:, ::3]) {dt}", lambda p: torch.bernoulli(p[:, ::3]), p, seed=4)
    case(f"Tensor.bernoulli() {dt}", lambda p: p.bernoulli(), p, seed=5)
p = mk((300,), torch.float64)
p[::7] = 0.0
p[3::7] = 1.0
case("bernoulli(p) with 0 and 1", torch.bernoulli, p, seed=6)
case("bernoulli(p) generator=", lambda p, generator: torch.bernoulli(p, generator=generator), mk((999,), torch.float32),
     seed=7, gen=True)
for odt in [torch.float32, torch.float64, torch.uint8, torch.bool, torch.int64, torch.float16]:
    case(f"bernoulli(p, out={odt})", lambda p, o: (torch.bernoulli(p, out=o), o)[1],
         mk((13, 17), torch.float32), torch.empty(13, 17, dtype=odt), seed=8)
case("bernoulli(p, out= resized)", lambda p, o: (torch.bernoulli(p, out=o), o)[1],
     mk((6, 7), torch.float64), torch.empty(0), seed=9)
case("bernoulli(p, out= non-contiguous)", lambda p, o: (torch.bernoulli(p, out=o.t()), o)[1],
     mk((6, 7), torch.float64), torch.zeros(7, 6), seed=10)
for bad in [[0.5, 1.5], [0.2, -1e-300], [0.1, float("nan")], [float("inf"), 0.5]]:
    case(f"bernoulli(p={bad})", torch.bernoulli, torch.tensor(bad))
for dt in [torch.int64, torch.uint8, torch.bool, torch.complex64]:
    case(f"bernoulli(p) {dt}", torch.bernoulli, torch.zeros(3, dtype=dt))
case("bernoulli(p, 0.5, out=)", lambda p, o: torch.bernoulli(p, 0.5, out=o), mk((3,), torch.float32),
     torch.empty(3))
case("bernoulli(p, p tensor)", lambda p: torch.bernoulli(p, p), mk((3,), torch.float32))

# ------------------------------------------------------------ Tensor.bernoulli_
for dt in DTYPES:
    for size in [0, 1, 6, 1027]:
        case(f"bernoulli_(0.35) {dt} n={size}", lambda x: x.bernoulli_(0.35), torch.zeros(size, dtype=dt), seed=size)
    case(f"bernoulli_() {dt} default p", lambda x: x.bernoulli_(), torch.zeros(5, 66, dtype=dt), seed=12)
    case(f"bernoulli_(0.6) {dt} non-contiguous", on_copy(lambda y: y.t().bernoulli_(0.6)),
         torch.zeros(23, 31, dtype=dt), seed=13)
    case(f"bernoulli_(p tensor) {dt}", lambda x, p: x.bernoulli_(p), torch.zeros(17, 29, dtype=dt),
         mk((17, 29), torch.float64), seed=14)
    case(f"bernoulli_(p broadcast) {dt}", lambda x, p: on_copy(lambda y: y[:, 1::2].bernoulli_(p))(x),
         torch.zeros(9, 40, dtype=dt), mk((1, 20), torch.float32), seed=15)
case("bernoulli_(p f16 tensor)", lambda x, p: x.bernoulli_(p), torch.zeros(50), mk((50,), torch.float16), seed=16)
case("bernoulli_(p) generator=", lambda x, generator: x.bernoulli_(0.1, generator=generator), torch.zeros(333),
     seed=17, gen=True)
case("bernoulli_(p tensor) generator=", lambda x, p, generator: x.bernoulli_(p, generator=generator),
     torch.zeros(333), mk((333,), torch.float32), seed=18, gen=True)
case("bernoulli_(p tensor int)", lambda x, p: x.bernoulli_(p), torch.zeros(3), torch.ones(3, dtype=torch.int64))
case("bernoulli_(p tensor invalid)", lambda x, p: x.bernoulli_(p), torch.zeros(3), torch.tensor([0.1, 2.0, 0.3]))
case("bernoulli_(1.5)", lambda x: x.bernoulli_(1.5), torch.zeros(3))
# p on the other device is moved to self's (as PyTorch does)
pc = mk((6, 70), torch.float64)
for self_dev, p_dev in [("cuda", "cpu"), ("cpu", "cuda")]:
    n += 1
    torch.manual_seed(19)
    ref = torch.zeros(6, 70).bernoulli_(pc)
    torch.manual_seed(19)
    got = torch.zeros(6, 70, device=self_dev).bernoulli_(pc.to(p_dev))
    if got.device.type != self_dev or not np.array_equal(got.cpu().numpy(), ref.numpy()):
        fails.append(f"bernoulli_ of a {self_dev} tensor with p on the {p_dev}")

# bernoulli's gradient is zero, on the device
n += 1
pg = torch.tensor(rng.uniform(size=(4, 5)), device="cuda", requires_grad=True)
(torch.bernoulli(pg) * 3).sum().backward()
if pg.grad is None or pg.grad.device.type != "cuda" or pg.grad.abs().sum().item() != 0:
    fails.append("bernoulli's gradient")

# ------------------------------------------------------------ dropout
for dt in FLOATS + [torch.int64, torch.complex64]:
    for size in SIZES:
        for p in ([0.0, 0.2, 0.5, 1.0] if size < 5000 else [0.3]):
            for train in ([True, False] if size in (1025,) else [True]):
                x = mk((size,), dt, -3, 3) if dt.is_floating_point else torch.ones(size, dtype=dt)
                case(f"dropout({p}, {train}) {dt} n={size}", lambda x, p=p, t=train: torch.dropout(x, p, t), x,
                     seed=size)
    x = mk((33, 47), dt, -3, 3) if dt.is_floating_point else torch.ones(33, 47, dtype=dt)
    case(f"F.dropout non-contiguous {dt}", lambda x: F.dropout(x.t()[::2], 0.4), x, seed=20)
    case(f"F.dropout(training=False) {dt}", lambda x: F.dropout(x, 0.4, training=False), x, seed=21)
    case(f"F.dropout(inplace) {dt}", on_copy(lambda y: F.dropout(y, 0.45, inplace=True)), x, seed=22)
    case(f"dropout_ non-contiguous {dt}", on_copy(lambda y: torch.dropout_(y[:, 1:40:3], 0.5, True)), x, seed=23)
    case(f"dropout_(train=False) {dt}", on_copy(lambda y: torch.dropout_(y, 0.5, False)), x, seed=24)
    case(f"nn.Dropout {dt}", lambda x: torch.nn.Dropout(0.25)(x), x, seed=25)
xs = torch.tensor([1.0, float("inf"), float("nan"), -float("inf"), 2.0, 3.0, float("nan"), 1e38] * 9)
for dt in [torch.float32, torch.float64]:
    case(f"dropout of inf / nan {dt}", lambda x: torch.dropout(x, 0.5, True), xs.to(dt), seed=26)
for bad in [1.5, -0.2, float("nan")]:
    case(f"dropout p={bad}", lambda x, bad=bad: torch.dropout(x, bad, True), torch.ones(4))
    case(f"F.dropout p={bad}", lambda x, bad=bad: F.dropout(x, bad), torch.ones(4))
case("dropout without train", lambda x: torch.dropout(x, 0.5), torch.ones(4))

# the gradient (the mask, scaled), on the device equal to the CPU's
for dt in FLOATS:
    for p in [0.0, 0.3, 0.5, 1.0]:
        for shape, view in [((1031,), lambda x: x), ((37, 43), lambda x: x.t()[3:, ::2])]:
            n += 1
            a = rng.standard_normal(shape)
            w = rng.standard_normal(shape)
            grads = []
            for dev in ("cpu", "cuda"):
                x = torch.tensor(a, dtype=dt, device=dev, requires_grad=True)
                wt = torch.tensor(w, dtype=dt, device=dev)
                torch.manual_seed(27)
                y = F.dropout(view(x), p) * view(wt)
                (y.float().sum() if dt == torch.float16 else y.sum()).backward()
                grads.append((y.detach(), x.grad))
            try:
                same(grads[0][0], grads[1][0], f"dropout({p}) {dt} {shape} value")
                same(grads[0][1], grads[1][1], f"dropout({p}) {dt} {shape} gradient")
            except AssertionError as ex:
                fails.append(str(ex))
# dropout_ under autograd (the in-place form records the out-of-place op)
n += 1
a = rng.standard_normal((5, 300))
res = []
for dev in ("cpu", "cuda"):
    x = torch.tensor(a, device=dev, requires_grad=True)
    torch.manual_seed(28)
    y = x * 2
    F.dropout(y, 0.35, inplace=True)
    (y * y).sum().backward()
    res.append((y.detach(), x.grad))
try:
    same(res[0][0], res[1][0], "dropout_ under autograd value")
    same(res[0][1], res[1][1], "dropout_ under autograd gradient")
except AssertionError as ex:
    fails.append(str(ex))

# ------------------------------------------------------------ multinomial


def weights(shape, zeros=0.0, dt=torch.float64):
    a = rng.uniform(0.0, 1.0, size=shape)
    if zeros:
        a[rng.uniform(size=shape) < zeros] = 0.0
        a.reshape(-1, shape[-1])[:, 0] = 0.5          # no zero rows
    return torch.tensor(a, dtype=dt)


MN = [  # (shape, ns list): the race in shared memory up to 2048 categories, in scratch beyond
    ((1,), [1]), ((5,), [1, 3, 5]), ((7,), [2, 7]), ((3, 4), [1, 4]), ((130, 5), [2, 5]), ((100,), [1, 17, 100]),
    ((2, 1000), [10, 1000]), ((2048,), [5, 2048]), ((3, 2049), [1, 16, 17, 300]), ((2, 3000), [3, 3000]),
    ((130, 2100), [2]), ((5000,), [16, 40]),
    ((1025, 2049), [17]),       # 4096 slots a row: two calls of 2^22 slots (the chunks of the race's scratch)
]
for shape, nss in MN:
    for ns in nss:
        for dt in ([torch.float64] if shape[-1] > 500 else FLOATS):
            p = weights(shape, dt=dt)
            case(f"multinomial {shape} {dt} ns={ns}", lambda p, ns=ns: torch.multinomial(p, ns), p, seed=ns)
        p = weights(shape)
        case(f"multinomial repl {shape} ns={ns}", lambda p, ns=ns: torch.multinomial(p, ns, True), p, seed=ns + 1)
for shape, ns in [((4, 6), 1000), ((300, 7), 9), ((1, 3000), 50), ((1,), 77), ((9000,), 70000)]:
    case(f"multinomial repl {shape} ns={ns}", lambda p, ns=ns: torch.multinomial(p, ns, replacement=True),
         weights(shape, zeros=0.3), seed=ns)
# zero weights: their keys are +inf, taken last in increasing order; ties at 1.0
for shape, ns in [((40,), 40), ((3, 50), 50), ((2, 3000), 3000), ((2, 3000), 12), ((4100,), 4100)]:
    case(f"multinomial zeros {shape} ns={ns}", lambda p, ns=ns: torch.multinomial(p, ns),
         weights(shape, zeros=0.6), seed=31)
    case(f"multinomial equal {shape} ns={ns}", lambda p, ns=ns: torch.multinomial(p, ns),
         torch.ones(shape, dtype=torch.float64), seed=32)
    w = np.full(shape, 1e-320)
    w.reshape(-1, shape[-1])[:, ::5] = 1e308
    case(f"multinomial subnormal / huge {shape} ns={ns}", lambda p, ns=ns: torch.multinomial(p, ns),
         torch.tensor(w), seed=33)
    case(f"multinomial repl zeros {shape}", lambda p, ns=ns: torch.multinomial(p, ns, True),
         weights(shape, zeros=0.8), seed=34)
# repl: the last category with a weight when u * total rounds up to the total
w = np.zeros((3, 9))
w[:, 2] = 1e-300
w[1, 6] = 1.0
case("multinomial repl trailing zeros", lambda p: torch.multinomial(p, 500, True), torch.tensor(w), seed=35)
# non-contiguous, generator=, out=
p = weights((60, 9))
case("multinomial of p.t()", lambda p: torch.multinomial(p.t(), 30), p, seed=36)
case("multinomial of p[:, ::2] repl", lambda p: torch.multinomial(p[::3, ::2], 11, True), p, seed=37)
case("multinomial generator=", lambda p, generator: torch.multinomial(p, 4, generator=generator), p, seed=38, gen=True)
case("multinomial repl generator=", lambda p, generator: torch.multinomial(p, 44, True, generator=generator), p,
     seed=39, gen=True)
case("multinomial out=", lambda p, o: (torch.multinomial(p, 5, out=o), o)[1], p, torch.empty(0, dtype=torch.int64),
     seed=40)
case("multinomial out= float", lambda p, o: torch.multinomial(p, 5, out=o), p, torch.empty(0))
case("Tensor.multinomial", lambda p: p.multinomial(6, replacement=True), p, seed=41)
case("multinomial no rows", lambda p: torch.multinomial(p, 3), torch.ones(0, 5))
# the CPU's errors
BAD = {"negative": [[0.2, -0.1, 0.5]], "inf": [[0.2, float("inf"), 0.5]], "nan": [[float("nan"), 1.0, 0.5]],
       "zero row": [[0.2, 0.1, 0.5], [0.0, 0.0, 0.0]], "zero row then nan": [[0.0, 0.0, 0.0], [0.1, float("nan"), 0.3]],
       "-0 row": [[-0.0, 0.0, 0.0]], "max double": [[1.7976931348623157e308, 0.0, 1.0]]}
for name, v in BAD.items():
    for repl in (False, True):
        case(f"multinomial {name} repl={repl}", lambda p, r=repl: torch.multinomial(p, 2, r), torch.tensor(v), seed=42)
big = weights((3, 2500))
big[2, 1777] = -1.0
case("multinomial negative in a long row", lambda p: torch.multinomial(p, 3), big)
case("multinomial too many samples", lambda p: torch.multinomial(p, 4), torch.ones(3))
case("multinomial ns=0", lambda p: torch.multinomial(p, 0), torch.ones(3))
case("multinomial ns=-1", lambda p: torch.multinomial(p, -1, True), torch.ones(3))
case("multinomial 3-d", lambda p: torch.multinomial(p, 1), torch.ones(2, 2, 2))
case("multinomial 0-d", lambda p: torch.multinomial(p, 1), torch.tensor(1.0))
case("multinomial no categories", lambda p: torch.multinomial(p, 1, True), torch.ones(2, 0))
case("multinomial int", lambda p: torch.multinomial(p, 1), torch.ones(3, dtype=torch.int64))
case("multinomial ns float", lambda p: torch.multinomial(p, 1.0), torch.ones(3))

# keys within an ulp of each other: p_k = E_k as libm computes it (E from the
# u64 the race gives category k: rand(float64) element i is (u64 i >> 11) 2^-53)
libm_disagree = 0
for shape, ns in [((700,), 700), ((3, 500), 500), ((2, 2500), 2500), ((2, 2500), 16), ((4500,), 4500)]:
    torch.manual_seed(43)
    m = (torch.rand(int(np.prod(shape)), dtype=torch.float64).numpy() * 2.0 ** 53).astype(np.int64)
    e = np.array([-math.log((float(k) + 1.0) * 2.0 ** -53) for k in m]).reshape(shape)
    case(f"multinomial libm weights {shape} ns={ns}", lambda p, ns=ns: torch.multinomial(p, ns),
         torch.tensor(e), seed=43)
    if ns == shape[-1]:
        torch.manual_seed(43)
        order = torch.multinomial(torch.tensor(e), ns).numpy().reshape(-1, ns)
        for row in order:    # the keys that are exactly 1 come in increasing index order
            libm_disagree += int(np.sum(np.diff(row) < 0))
# ------------------------------------------------------------ poisson, binomial
# a rate per element over both samplers (inversion below 10, PTRS above), the
# counts and probabilities over inversion, BTRS and the p > 1/2 flip
RATES = [0.0, 1e-3, 0.5, 3.0, 9.999, 10.0, 37.5, 100.0, 1e4, 1e9, float("inf")]
for dt in FLOATS:
    for size in [0, 1, 5, 1025, 140001]:
        rates = [v for v in RATES if dt != torch.float16 or v < 6e4 or v == float("inf")]
        r = torch.tensor(np.resize(np.array(rates), size), dtype=dt)
        case(f"poisson {dt} n={size}", torch.poisson, r, seed=size)
case("poisson non-contiguous", lambda r: torch.poisson(r.t()[::2]), mk((40, 30), torch.float32, 0, 50), seed=30)
case("poisson generator=", lambda r, generator: torch.poisson(r, generator=generator),
     mk((999,), torch.float64, 0, 200), seed=31, gen=True)
for bad in [[1.0, -1.0], [float("nan")]]:
    case(f"poisson({bad})", torch.poisson, torch.tensor(bad))
case("poisson int", torch.poisson, torch.ones(3, dtype=torch.int64))
cnt = np.resize(np.array([0.0, 1.0, 10.0, 10.5, 100.0, 1000.0, 1e6, 1e12, -3.0, float("nan")]), 3001)
prb = rng.uniform(size=3001)
prb[::11] = 0.0
prb[5::11] = 1.0
prb[7::13] = 0.97
for dt in [torch.float32, torch.float64]:
    case(f"binomial {dt}", torch.binomial, torch.tensor(cnt, dtype=dt), torch.tensor(prb, dtype=dt), seed=32)
case("binomial broadcast", torch.binomial, torch.full((700, 1), 250.0), torch.tensor([0.01, 0.2, 0.5, 0.93]), seed=33)
case("binomial generator=", lambda c, p, generator: torch.binomial(c, p, generator=generator),
     torch.full((2049,), 40.0), mk((2049,), torch.float32), seed=34, gen=True)
case("binomial dtype mismatch", torch.binomial, torch.ones(3, dtype=torch.float64), torch.ones(3))

# ------------------------------------------------------------ normal, random_
# compositions of the Philox fills with exact IEEE products and sums: the
# device's draws are the CPU's bit for bit
for dt in FLOATS:
    case(f"normal(T, T) {dt}", torch.normal, mk((37, 1), dt, -2, 2), mk((53,), dt, 0, 3), seed=40)
    case(f"normal(T, 2.5) {dt}", lambda m: torch.normal(m, 2.5), mk((1025,), dt, -2, 2), seed=41)
    case(f"normal(1.5, T) {dt}", lambda s: torch.normal(1.5, s), mk((999,), dt, 0, 3), seed=42)
    case(f"normal(-1, 0.5, size) {dt}", lambda x, dt=dt: torch.normal(-1.0, 0.5, (33, 7), dtype=dt, device=x.device),
         torch.zeros(1), seed=43)
for dt in DTYPES[:9]:
    case(f"random_() {dt}", lambda x: x.random_(), torch.zeros(1031, dtype=dt), seed=44)
    case(f"random_(3, 9) {dt} non-contiguous", on_copy(lambda y: y.t()[::2].random_(3, 9)),
         torch.zeros(21, 30, dtype=dt), seed=45)
case("normal(T, T) generator=", lambda m, s, generator: torch.normal(m, s, generator=generator),
     mk((500,), torch.float32), mk((500,), torch.float32), seed=46, gen=True)
case("normal(T, -T)", torch.normal, torch.zeros(3), -torch.ones(3))

print(f"libm weights: ~{libm_disagree} keys of the race differ from 1 (libm's log vs ct__log_unit)")

_cases.finish(n, fails)
