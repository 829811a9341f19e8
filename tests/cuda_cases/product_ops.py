"""The matrix products on the emulated CUDA device against the CPU: mm, matmul
in every batched and broadcast form, bmm, mv, dot, addmm, baddbmm, outer,
einsum, tril/triu/diag for every dtype.

Run by tests/test_cuda_families.py (and tests/cuda/ on a GPU): see _cases.py."""
import sys, itertools, random
import numpy as np
import ctorch as torch
import _cases  # noqa: E402  (tests/cuda_cases/_cases.py: the device)
_cases.setup()
VERB = "-v" in sys.argv
REV = len(sys.argv) > 1 and "rev" in sys.argv
torch.manual_seed(0)
random.seed(0)

FLOATS = [torch.float32, torch.float64, torch.complex64, torch.complex128]
INTS = [torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64]
TOL = {torch.float32: 2e-5, torch.complex64: 2e-5, torch.float64: 1e-12, torch.complex128: 1e-12,
       torch.float16: 2e-3}
n_ok = 0
fails = []

def rnd(shape, dt):
    if dt in INTS:
        lo, hi = (0, 255) if dt == torch.uint8 else (-120, 120)
        if dt in (torch.int32, torch.int64):
            lo, hi = -10**6, 10**6
        return torch.randint(lo, hi, shape, dtype=dt)
    if dt.is_complex:
        return torch.randn(shape, dtype=dt)
    return torch.randn(shape, dtype=torch.float32).to(dt)

def check(name, cpu, dev):
    global n_ok
    if isinstance(cpu, (tuple, list)):
        for i, (c, d) in enumerate(zip(cpu, dev)):
            check(f"{name}[{i}]", c, d)
        return
    if dev is None or cpu is None:
        if not (dev is None and cpu is None):
            fails.append((name, "None mismatch"))
        return
    if str(dev.device) != "cuda:0":
        fails.append((name, f"device {dev.device}"))
        return
    d = dev.cpu()
    if d.shape != cpu.shape or d.dtype != cpu.dtype:
        fails.append((name, f"shape/dtype {d.shape} {d.dtype} vs {cpu.shape} {cpu.dtype}"))
        return
    c = cpu.numpy(); dn = d.numpy()
    if cpu.dtype in INTS or cpu.dtype == torch.bool:
        ok = np.array_equal(c, dn)
        err = "mismatch"
    else:
        c = c.astype(np.complex128); dn = dn.astype(np.complex128)
        both_nan = np.isnan(c) & np.isnan(dn)
        c = np.where(both_nan, 0, c); dn = np.where(both_nan, 0, dn)
        scale = max(1.0, np.abs(c).max() if c.size else 1.0)
        e = np.abs(c - dn).max() / scale if c.size else 0.0
        nanok = np.array_equal(np.isnan(c), np.isnan(dn))
        ok = (e <= TOL.get(cpu.dtype, 1e-5) * 10) and nanok
        err = f"err {e:.3g} nan {nanok}"
    if ok:
        n_ok += 1
    else:
        fails.append((name, err))

def both(name, fn, *args, **kw):
    if not _cases.take():
        return
    if VERB: print(name, flush=True)
    try:
        c = fn(*args, **kw)
    except Exception as e:
        c = e
    dargs = [a.cuda() if isinstance(a, torch.Tensor) else a for a in args]
    try:
        d = fn(*dargs, **kw)
    except Exception as e:
        d = e
    if isinstance(c, Exception) or isinstance(d, Exception):
        if type(c) is type(d):
            global n_ok
            n_ok += 1
        else:
            fails.append((name, f"cpu: {c!r} / cuda: {d!r}"))
        return
    check(name, c, d)

SIZES = [1, 2, 7, 63, 64, 65, 130]
# mm over shapes, layouts and dtypes
for dt in FLOATS + INTS + [torch.float16]:
    for (m, k, n) in [(1, 1, 1), (2, 3, 4), (64, 64, 64), (65, 63, 130), (130, 7, 65), (1, 70, 33),
                      (33, 70, 1), (3, 1, 5), (128, 16, 128), (5, 300, 6)]:
        a = rnd((m, k), dt); b = rnd((k, n), dt)
        both(f"mm {dt} {m}x{k}x{n}", torch.mm, a, b)
        both(f"mm.tT {dt} {m}x{k}x{n}", lambda x, y: torch.mm(x.t(), y.t()), rnd((k, m), dt), rnd((n, k), dt))
        both(f"mm off {dt} {m}x{k}x{n}", lambda x, y: torch.mm(x[1:, 1:], y[1:, 1:]), rnd((m + 1, k + 1), dt), rnd((k + 1, n + 1), dt))
        both(f"mm strided {dt} {m}x{k}x{n}", lambda x, y: torch.mm(x[:, ::2], y[::2]), rnd((m, 2 * k), dt), rnd((2 * k, n), dt))
    both(f"mm k0 {dt}", torch.mm, rnd((3, 0), dt), rnd((0, 4), dt))
    both(f"mm empty {dt}", torch.mm, rnd((0, 3), dt), rnd((3, 4), dt))
print("mm done", n_ok, len(fails), flush=True)

# big-tile float32 and split-K
for (m, k, n) in [(256, 40, 300), (129, 9, 257), (64, 3000, 64), (70, 1500, 3)]:
    for dt in [torch.float32, torch.float64, torch.complex64, torch.int32]:
        both(f"mm big {dt} {m}x{k}x{n}", torch.mm, rnd((m, k), dt), rnd((k, n), dt))
print("big done", n_ok, len(fails), flush=True)

# vectors
for dt in FLOATS + INTS:
    for k in [1, 5, 64, 1000, 5000]:
        both(f"dot {dt} {k}", torch.dot, rnd((k,), dt), rnd((k,), dt))
        both(f"dot strided {dt} {k}", lambda x, y: torch.dot(x[::3], y[1::2]), rnd((3 * k,), dt), rnd((2 * k,), dt))
        if dt.is_complex:
            both(f"vdot {dt} {k}", torch.vdot, rnd((k,), dt), rnd((k,), dt))
    for (m, k) in [(1, 1), (7, 5), (70, 33), (3, 3000), (100, 1200)]:
        both(f"mv {dt} {m}x{k}", torch.mv, rnd((m, k), dt), rnd((k,), dt))
        both(f"mv.T {dt} {m}x{k}", lambda x, v: torch.mv(x.t(), v), rnd((k, m), dt), rnd((k,), dt))
        both(f"vm {dt} {m}x{k}", torch.matmul, rnd((k,), dt), rnd((k, m), dt))
        both(f"vm.T {dt} {m}x{k}", lambda v, x: torch.matmul(v, x.t()), rnd((k,), dt), rnd((m, k), dt))
print("vec done", n_ok, len(fails), flush=True)

# batched / broadcast
for dt in FLOATS + [torch.int64, torch.int16, torch.float16]:
    both(f"bmm {dt}", torch.bmm, rnd((3, 5, 7), dt), rnd((3, 7, 4), dt))
    both(f"bmm T {dt}", lambda x, y: torch.bmm(x.transpose(1, 2), y), rnd((3, 7, 5), dt), rnd((3, 7, 4), dt))
    both(f"bmm perm {dt}", lambda x, y: torch.bmm(x.permute(1, 0, 2), y), rnd((5, 3, 7), dt), rnd((3, 7, 4), dt))
    both(f"matmul bcast {dt}", torch.matmul, rnd((2, 1, 5, 7), dt), rnd((3, 7, 4), dt))
    both(f"matmul bcast2 {dt}", torch.matmul, rnd((5, 7), dt), rnd((2, 3, 7, 4), dt))
    both(f"matmul 3d@2d {dt}", torch.matmul, rnd((2, 3, 5, 7), dt), rnd((7, 4), dt))
    both(f"matmul 3d@1d {dt}", torch.matmul, rnd((2, 5, 7), dt), rnd((7,), dt))
    both(f"matmul 1d@3d {dt}", torch.matmul, rnd((7,), dt), rnd((2, 7, 4), dt))
    both(f"matmul uneven batch {dt}", lambda x, y: torch.matmul(x[:, :2], y),
         rnd((3, 3, 6, 5), dt), rnd((3, 2, 5, 4), dt))
    both(f"matmul uneven batch gemv {dt}", lambda x, y: torch.matmul(x[:, :2], y),
         rnd((3, 3, 6, 5), dt), rnd((3, 2, 5, 1), dt))
    both(f"matmul big batch {dt}", torch.matmul, rnd((40, 3, 5), dt), rnd((40, 5, 2), dt))
    both(f"bmm long K {dt}", torch.bmm, rnd((2, 9, 2000), dt), rnd((2, 2000, 3), dt))
print("batch done", n_ok, len(fails), flush=True)

# add* and compositions
for dt in FLOATS + [torch.int32]:
    print("dtype", dt, flush=True)
    fl = dt not in INTS
    both(f"addmm {dt}", torch.addmm, rnd((5, 4), dt), rnd((5, 7), dt), rnd((7, 4), dt))
    both(f"addmm bcast {dt}", torch.addmm, rnd((4,), dt), rnd((5, 7), dt), rnd((7, 4), dt))
    if fl:
        both(f"addmm ab {dt}", lambda c, x, y: torch.addmm(c, x, y, beta=0.5, alpha=-2.0), rnd((5, 4), dt), rnd((5, 7), dt), rnd((7, 4), dt))
        both(f"addmm a0 {dt}", lambda c, x, y: torch.addmm(c, x, y, beta=0.5, alpha=0), rnd((5, 4), dt), rnd((5, 7), dt), rnd((7, 4), dt))
        nanin = rnd((5, 4), dt); nanin[1, 1] = float("nan")
        both(f"addmm b0 nan {dt}", lambda c, x, y: torch.addmm(c, x, y, beta=0), nanin, rnd((5, 7), dt), rnd((7, 4), dt))
        both(f"addmm nan {dt}", lambda c, x, y: torch.addmm(c, x, y), nanin, rnd((5, 7), dt), rnd((7, 4), dt))
        both(f"addmm big {dt}", lambda c, x, y: torch.addmm(c, x, y, beta=2, alpha=3), rnd((130, 70), dt), rnd((130, 300), dt), rnd((300, 70), dt))
    both(f"addmv {dt}", torch.addmv, rnd((5,), dt), rnd((5, 7), dt), rnd((7,), dt))
    both(f"baddbmm {dt}", torch.baddbmm, rnd((2, 5, 4), dt), rnd((2, 5, 7), dt), rnd((2, 7, 4), dt))
    if 0: both(f"addbmm {dt}", torch.addbmm, rnd((5, 4), dt), rnd((2, 5, 7), dt), rnd((2, 7, 4), dt))
    both(f"outer {dt}", torch.outer, rnd((5,), dt), rnd((4,), dt))
    both(f"addr {dt}", torch.addr, rnd((5, 4), dt), rnd((5,), dt), rnd((4,), dt))
    both(f"kron {dt}", torch.kron, rnd((2, 3), dt), rnd((3, 2), dt))
    both(f"einsum ij,jk {dt}", lambda x, y: torch.einsum("ij,jk->ik", x, y), rnd((5, 7), dt), rnd((7, 4), dt))
    both(f"einsum bij,bjk {dt}", lambda x, y: torch.einsum("bij,bjk->bik", x, y), rnd((3, 5, 7), dt), rnd((3, 7, 4), dt))
    both(f"einsum i,i {dt}", lambda x, y: torch.einsum("i,i->", x, y), rnd((7,), dt), rnd((7,), dt))
    both(f"einsum ij,kj {dt}", lambda x, y: torch.einsum("ij,kj->ik", x, y), rnd((5, 7), dt), rnd((4, 7), dt))
    both(f"tril {dt}", torch.tril, rnd((5, 4), dt))
    both(f"triu {dt}", lambda x: torch.triu(x, 1), rnd((3, 5, 4), dt))
    both(f"diag 1d {dt}", torch.diag, rnd((5,), dt))
    both(f"diag 2d {dt}", torch.diag, rnd((5, 4), dt))
    both(f"diag_embed {dt}", torch.diag_embed, rnd((2, 3), dt))
    if 0: both(f"trace {dt}", torch.trace, rnd((5, 5), dt))
    if fl:
        both(f"linear {dt}", lambda x, w, b: x @ w.t() + b, rnd((8, 6), dt), rnd((5, 6), dt), rnd((5,), dt))
print("add done", n_ok, len(fails), flush=True)

# errors
both("mm bool", torch.mm, torch.ones(2, 2, dtype=torch.bool), torch.ones(2, 2, dtype=torch.bool))
try:
    torch.mm(torch.ones(2, 2, device="cuda"), torch.ones(2, 2))
    fails.append(("mixed devices", "no error"))
except RuntimeError as e:
    n_ok += 1
    print("mixed:", e)

_cases.finish(n_ok, fails)
