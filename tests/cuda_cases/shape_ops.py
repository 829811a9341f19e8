"""The shape and indexing ops on the emulated CUDA device against the CPU: joins,
index_select, gather/scatter/scatter_add, index_add, take, indexing and index
assignment, index_put/index_copy/index_fill/index_reduce, scatter_reduce,
masked_scatter, put, take_along_dim, the view scatters, isin, masks, flips/rolls/repeats, splits, unique, and the errors.

Run by tests/test_cuda_families.py (and tests/cuda/ on a GPU): see _cases.py."""
import sys, traceback
import numpy as np
import ctorch as torch
from ctorch import Tensor
import _cases  # noqa: E402  (tests/cuda_cases/_cases.py: the device)
_cases.setup()
TRACE = "trace" in sys.argv
REV = len(sys.argv) > 1 and sys.argv[1] == "rev"

DT = [torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64,
      torch.float16, torch.float32, torch.float64, torch.complex64, torch.complex128]
rng = np.random.default_rng(0)
stats = {"ok": 0, "fail": 0}


def mk(shape, dt, lo=-5, hi=6):
    a = rng.integers(lo, hi, size=shape)
    if dt == torch.bool:
        return torch.tensor(a > 0)
    if dt.is_complex:
        b = rng.integers(lo, hi, size=shape)
        return torch.tensor(a + 1j * b, dtype=dt)
    if dt.is_floating_point:
        return torch.tensor(a + rng.random(size=shape) * 0.5, dtype=dt)
    if dt == torch.uint8:
        return torch.tensor(np.abs(a), dtype=dt)
    return torch.tensor(a, dtype=dt)


def to_dev(x):
    if isinstance(x, Tensor):
        return x.to("cuda")
    if isinstance(x, (list, tuple)):
        return type(x)(to_dev(y) for y in x)
    return x


def same(c, d, tol, path=""):
    if isinstance(c, (tuple, list)):
        assert isinstance(d, (tuple, list)) and len(c) == len(d), f"{path} structure"
        for i, (a, b) in enumerate(zip(c, d)):
            same(a, b, tol, f"{path}[{i}]")
        return
    if not isinstance(c, Tensor):
        assert c == d, f"{path} {c} != {d}"
        return
    assert isinstance(d, Tensor), f"{path} not a tensor"
    assert d.device.type == "cuda", f"{path} result on {d.device}"
    assert c.dtype == d.dtype, f"{path} dtype {c.dtype} vs {d.dtype}"
    assert tuple(c.shape) == tuple(d.shape), f"{path} shape {tuple(c.shape)} vs {tuple(d.shape)}"
    a = c.numpy()
    b = d.cpu().numpy()
    if tol and (c.dtype.is_floating_point or c.dtype.is_complex):
        assert np.allclose(a, b, rtol=tol, atol=tol, equal_nan=True), f"{path} values differ\n{a}\n{b}"
    else:
        assert np.array_equal(a, b, equal_nan=(c.dtype.is_floating_point or c.dtype.is_complex)), f"{path} values differ\n{a}\n{b}"


def check(name, f, *args, tol=0, inplace_arg=None):
    if TRACE: print("..", name, flush=True)
    cargs = [a.clone() if isinstance(a, Tensor) else a for a in args]
    dargs = [to_dev(a) for a in args]
    try:
        c = f(*cargs)
        cerr = None
    except Exception as e:
        cerr = e
    try:
        d = f(*dargs)
        derr = None
    except Exception as e:
        derr = e
        dtb = traceback.format_exc()
    try:
        if cerr is not None:
            assert derr is not None, f"CPU raised {type(cerr).__name__}: {cerr}; device did not"
            assert type(cerr) is type(derr) and str(cerr) == str(derr), \
                f"errors differ: CPU {type(cerr).__name__}: {cerr} | device {type(derr).__name__}: {derr}"
        else:
            assert derr is None, f"device raised {type(derr).__name__}: {derr}\n{dtb}"
            same(c, d, tol)
            if inplace_arg is not None:
                same(cargs[inplace_arg], dargs[inplace_arg], tol, "inplace")
        stats["ok"] += 1
    except AssertionError as e:
        stats["fail"] += 1
        print(f"FAIL {name}: {str(e)[:300]}")


# ------------------------------------------------------------------ joins
for dt in DT:
    a, b = mk((2, 3, 4), dt), mk((2, 5, 4), dt)
    check(f"cat1 {dt}", lambda x, y: torch.cat([x, y], 1), a, b)
    check(f"cat0 {dt}", lambda x, y: torch.cat([x, x, x], 0), a, b)
    check(f"cat-1 {dt}", lambda x, y: torch.cat([x, x], -1), a, b)
    check(f"cat nc {dt}", lambda x, y: torch.cat([x.transpose(0, 2), y.transpose(0, 2)], 1), a, b)
    check(f"cat empty {dt}", lambda x, y: torch.cat([x, torch.empty(0, dtype=x.dtype, device=x.device), x], 0), a, b)
    check(f"stack {dt}", lambda x: torch.stack([x, x + 0 if x.dtype != torch.bool else x], 1), a)
    check(f"stack-1 {dt}", lambda x: torch.stack([x, x], -1), a)
    check(f"hstack {dt}", lambda x, y: torch.hstack([x, y]), a, b)
    check(f"vstack {dt}", lambda x: torch.vstack([x[0], x[1]]), a)
    check(f"cat bad {dt}", lambda x, y: torch.cat([x, y], 0), a, b)
check("cat promo", lambda x, y: torch.cat([x, y]), mk((3,), torch.int32), mk((2,), torch.float32))
check("cat promo2", lambda x, y: torch.cat([x, y], 1), mk((3, 2), torch.int8), mk((3, 4), torch.float64))
check("cat out", lambda x, y, o: torch.cat([x, y], out=o), mk((3,), torch.int64), mk((2,), torch.int64), mk((5,), torch.float32))
check("cat 1d", lambda x, y: torch.cat([x, y]), mk((7,), torch.float32), mk((1,), torch.float32))
check("cat odd", lambda x, y: torch.cat([x, y], 1), mk((5, 3), torch.int16), mk((5, 7), torch.int16))
check("cat odd8", lambda x, y: torch.cat([x, y], 1), mk((5, 3), torch.uint8), mk((5, 1), torch.uint8))
check("cat big", lambda x, y: torch.cat([x, y], 1), mk((300, 33), torch.float32), mk((300, 17), torch.float32))

# ------------------------------------------------------------------ index_select
for dt in DT:
    x = mk((4, 5, 3), dt)
    for d in (0, 1, 2, -1):
        idx = torch.tensor(rng.integers(0, x.shape[d], size=6))
        check(f"isel {dt} {d}", lambda t, i: t.index_select(d, i), x, idx)
    check(f"isel0d {dt}", lambda t: t[0, 0, 0].index_select(0, torch.tensor([0, 0], device=t.device)), x)
    check(f"isel bad {dt}", lambda t: t.index_select(1, torch.tensor([1, 5, -1], device=t.device)), x)
    check(f"isel neg {dt}", lambda t: t.index_select(1, torch.tensor([1, -1, 9], device=t.device)), x)
    check(f"isel empty {dt}", lambda t: t.index_select(1, torch.tensor([], dtype=torch.int64, device=t.device)), x)
    check(f"isel nc {dt}", lambda t: t.transpose(0, 2).index_select(1, torch.tensor([4, 0, 2], device=t.device)), x)
check("isel i32", lambda t, i: t.index_select(0, i), mk((5, 2), torch.float32), torch.tensor([3, 1], dtype=torch.int32))
check("isel empty-src bad", lambda t: t.index_select(1, torch.tensor([3], device=t.device)), mk((0, 2), torch.float32))
check("isel big", lambda t, i: t.index_select(0, i), mk((100, 37), torch.float64), torch.tensor(rng.integers(0, 100, 500)))

# ------------------------------------------------------------------ gather / scatter
for dt in DT:
    x = mk((4, 5, 3), dt)
    for d in (0, 1, 2):
        ishape = [3, 4, 2]
        idx = torch.tensor(rng.integers(-x.shape[d] if False else 0, x.shape[d], size=ishape))
        check(f"gather {dt} {d}", lambda t, i: t.gather(d, i), x, idx)
        check(f"gather nc {dt} {d}", lambda t, i: t.transpose(0, 1).gather(d, i.transpose(0, 1)), x, idx)
        # scatter with unique targets: a permutation along d
        perm = np.stack([np.stack([rng.permutation(x.shape[d]) for _ in range(1)])])
        shp = list(x.shape)
        src = mk(shp, dt)
        pidx = np.argsort(rng.random(size=shp), axis=d)
        pidx = torch.tensor(pidx)
        check(f"scatter {dt} {d}", lambda t, i, s: t.scatter(d, i, s), x, pidx, src)
        check(f"scatter_ {dt} {d}", lambda t, i, s: t.scatter_(d, i, s), x, pidx, src, inplace_arg=0)
        val = True if dt == torch.bool else (2 + 1j if dt.is_complex else (3.5 if dt.is_floating_point else 7))
        check(f"scatter val {dt} {d}", lambda t, i: t.scatter(d, i, val), x, pidx)
        check(f"scatter val kw {dt} {d}", lambda t, i: t.scatter(d, i, value=val), x, pidx)
        # scatter_add with duplicates
        didx = torch.tensor(rng.integers(0, x.shape[d], size=[4, 5, 3]))
        src2 = mk([4, 5, 3], dt, -3, 4)
        tol = 1e-2 if dt == torch.float16 else 1e-6
        check(f"scatter_add {dt} {d}", lambda t, i, s: t.scatter_add(d, i, s), x, didx, src2, tol=tol)
        check(f"scatter_add_ {dt} {d}", lambda t, i, s: t.scatter_add_(d, i, s), x, didx, src2, tol=tol, inplace_arg=0)
        check(f"scatter_add part {dt} {d}", lambda t, i, s: t.scatter_add(d, i[:2, :3, :2], s), x, didx, src2, tol=tol)
    check(f"gather bad {dt}", lambda t: t.gather(1, torch.tensor([[[0], [5]]], device=t.device)), x)
    check(f"gather neg {dt}", lambda t: t.gather(1, torch.tensor([[[7], [-1]]], device=t.device)), x)
    check(f"scatter bad {dt}", lambda t, s: t.scatter_(1, torch.tensor([[[0], [1], [9], [2]]], device=t.device), s), x, mk((4, 5, 3), dt), inplace_arg=0)
    check(f"scatter_add bad {dt}", lambda t, s: t.scatter_add_(1, torch.tensor([[[0, 1], [1, 1], [2, 9], [2, 0]]], device=t.device), s), x, mk((4, 5, 3), dt), inplace_arg=0)
    check(f"scatter neg {dt}", lambda t, s: t.scatter(1, torch.tensor([[[0], [-1]]], device=t.device), s), x, mk((4, 5, 3), dt))
# int exactness of scatter_add with many duplicates
for dt in (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64, torch.bool):
    z = torch.zeros(7, dtype=dt)
    i = torch.tensor(rng.integers(0, 7, size=3000))
    s = mk((3000,), dt, -100, 100)
    check(f"scatter_add many {dt}", lambda t, i, s: t.scatter_add(0, i, s), z, i, s)
for dt in (torch.float16, torch.float32, torch.float64, torch.complex64, torch.complex128):
    z = torch.zeros(7, dtype=dt)
    i = torch.tensor(rng.integers(0, 7, size=3000))
    s = mk((3000,), dt, -3, 3)
    check(f"scatter_add many {dt}", lambda t, i, s: t.scatter_add(0, i, s), z, i, s, tol=(3e-2 if dt == torch.float16 else 1e-4))
check("gather 0d", lambda t: t.gather(0, torch.tensor(0, device=t.device)), torch.tensor(3.0))
check("scatter 0d", lambda t: t.scatter(0, torch.tensor(0, device=t.device), 5.0), torch.tensor(3.0))
check("gather i32", lambda t, i: t.gather(0, i), mk((5,), torch.float32), torch.tensor([1, 4], dtype=torch.int32))
check("gather out", lambda t, i, o: torch.gather(t, 0, i, out=o), mk((5,), torch.float32), torch.tensor([1, 4]), mk((2,), torch.float32))

# ------------------------------------------------------------------ index_add / take
for dt in DT:
    x = mk((4, 5), dt)
    if dt == torch.bool:
        continue
    for d in (0, 1):
        n = 7
        idx = torch.tensor(rng.integers(0, x.shape[d], size=n))
        shp = list(x.shape)
        shp[d] = n
        src = mk(shp, dt, -3, 4)
        tol = 1e-2 if dt == torch.float16 else 1e-6
        check(f"index_add {dt} {d}", lambda t, i, s: t.index_add(d, i, s), x, idx, src, tol=tol)
        check(f"index_add_ {dt} {d}", lambda t, i, s: t.index_add_(d, i, s), x, idx, src, tol=tol, inplace_arg=0)
        check(f"index_add alpha {dt} {d}", lambda t, i, s: t.index_add(d, i, s, alpha=2), x, idx, src, tol=tol)
    check(f"index_add bad {dt}", lambda t, s: t.index_add(0, torch.tensor([0, 4], device=t.device), s), x, mk((2, 5), dt))
    check(f"take {dt}", lambda t, i: torch.take(t, i), x, torch.tensor([[0, -1, 19], [5, -20, 3]]))
    check(f"take bad {dt}", lambda t, i: torch.take(t, i), x, torch.tensor([0, 20, -21]))
    check(f"take bad2 {dt}", lambda t, i: torch.take(t, i), x, torch.tensor([0, -21, 20]))

# ------------------------------------------------------------------ indexing
for dt in DT:
    x = mk((4, 5, 6), dt)
    cases = [
        lambda t: t[torch.tensor([0, 2, -1])],
        lambda t: t[[1, 3]],
        lambda t: t[:, [4, 0, 0]],
        lambda t: t[..., torch.tensor([[1, 5], [0, 0]])],
        lambda t: t[torch.tensor([0, 1]), torch.tensor([2, 3])],
        lambda t: t[torch.tensor([0, 1]), :, torch.tensor([2, 3])],
        lambda t: t[1:3, torch.tensor([[0], [4]]), torch.tensor([1, 2, 5])],
        lambda t: t[t.real > 0 if t.dtype.is_complex else (t > 0 if t.dtype != torch.bool else t)],
        lambda t: t[torch.tensor([True, False, True, True], device=t.device)],
        lambda t: t[torch.tensor([True, False, True, True])],
        lambda t: t[None, torch.tensor([0, 3]), None, 2],
        lambda t: t[torch.tensor([[0, 1], [2, 3]]), 1:4:2],
        lambda t: t[torch.tensor([4])],
        lambda t: t[torch.tensor([-5])],
        lambda t: t[:, torch.tensor([-6])],
        lambda t: t[torch.tensor([], dtype=torch.int64)],
        lambda t: t[torch.tensor([0, 1], dtype=torch.int32)],
        lambda t: t[torch.tensor([1, 0, 1, 0], dtype=torch.uint8)],
        lambda t: t[0, torch.tensor([1, 2]), torch.tensor(3)],
        lambda t: t[torch.tensor(2)],
        lambda t: t[torch.tensor([[True, False, True, True, False]] * 3 + [[False] * 5], device=t.device)],
        lambda t: t[torch.tensor([[True, False, True, True, False]] * 3 + [[False] * 5])],
    ]
    for k, f in enumerate(cases):
        check(f"getitem {dt} #{k}", f, x)
    val = True if dt == torch.bool else (2 - 1j if dt.is_complex else (1.5 if dt.is_floating_point else 9))

    v2, v4, v5, v7, v8, v12 = mk((4, 2, 6), dt), mk((6,), dt), mk((2, 3), dt), mk((6,), dt), mk((6,), dt), mk((6,), dt)

    def s1(t):
        t[torch.tensor([0, 2])] = val
        return t
    def s2(t):
        t[:, [4, 1]] = v2.to(t.device)
        return t
    def s3(t):
        m = t.real > 0 if t.dtype.is_complex else (t > 0 if t.dtype != torch.bool else t)
        t[m] = val
        return t
    def s4(t):
        t[torch.tensor([0, 1]), torch.tensor([2, 3])] = v4.to(t.device)
        return t
    def s5(t):
        t[1:3, torch.tensor([[0], [4]]), torch.tensor([1, 2, 5])] = v5.to(t.device)
        return t
    def s6(t):
        t[torch.tensor([0, 9])] = val
        return t
    def s7(t):
        t[0, 1] = v7     # a CPU value into a device tensor
        return t
    def s8(t):
        t[torch.tensor([True, False, True, True])] = v8.to(t.device)
        return t
    def s9(t):
        m = t.real > 0 if t.dtype.is_complex else (t > 0 if t.dtype != torch.bool else t)
        n = int(m.sum().item()) if m.device.type == "cpu" else int(m.cpu().sum().item())
        t[m] = torch.arange(n).to(t.dtype).to(t.device)
        return t
    def s10(t):
        t[torch.tensor([1, 2]), 0, torch.tensor([[0], [3]])] = val
        return t
    def s11(t):
        t[...] = val
        return t
    def s12(t):
        t[:, 1] = v12.to(t.device)
        return t
    for k, f in enumerate([s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12]):
        check(f"setitem {dt} #{k + 1}", f, x)

# ------------------------------------------------------------------ masks
for dt in DT:
    x = mk((3, 4), dt)
    m = mk((3, 4), torch.bool)
    m1 = mk((4,), torch.bool)
    val = True if dt == torch.bool else (2 - 1j if dt.is_complex else (1.5 if dt.is_floating_point else 9))
    check(f"masked_fill {dt}", lambda t, m: t.masked_fill(m, val), x, m)
    check(f"masked_fill b {dt}", lambda t, m: t.masked_fill(m, val), x, m1)
    check(f"masked_fill_ {dt}", lambda t, m: t.masked_fill_(m, val), x, m, inplace_arg=0)
    check(f"masked_fill t {dt}", lambda t, m: t.masked_fill(m, torch.tensor(val, device=t.device)), x, m)
    check(f"masked_fill cpu0d {dt}", lambda t, m: t.masked_fill(m, torch.tensor(val)), x, m)
    check(f"masked_select {dt}", lambda t, m: t.masked_select(m), x, m)
    check(f"masked_select b {dt}", lambda t, m: torch.masked_select(t, m), x, m1)
    check(f"nonzero {dt}", lambda t: t.nonzero(), x)
    check(f"nonzero tuple {dt}", lambda t: t.nonzero(as_tuple=True), x)
    check(f"nonzero 0d {dt}", lambda t: t[0, 0].nonzero(), x)
    check(f"where1 {dt}", lambda t: torch.where(t.real != 0 if t.dtype.is_complex else t != 0), x)

# ------------------------------------------------------------------ rearranging
for dt in DT:
    x = mk((3, 4, 5), dt)
    check(f"flip {dt}", lambda t: t.flip(0, 2), x)
    check(f"flip all {dt}", lambda t: torch.flip(t, [0, 1, 2]), x)
    check(f"fliplr {dt}", lambda t: t.fliplr(), x)
    check(f"flipud {dt}", lambda t: t.flipud(), x)
    check(f"roll {dt}", lambda t: t.roll(2), x)
    check(f"roll d {dt}", lambda t: t.roll((1, -2), (0, 2)), x)
    check(f"rot90 {dt}", lambda t: t.rot90(1, (1, 2)), x)
    check(f"rot90 3 {dt}", lambda t: t.rot90(3), x)
    check(f"repeat {dt}", lambda t: t.repeat(2, 1, 1, 3), x)
    check(f"tile {dt}", lambda t: t.tile((2,)), x)
    check(f"repeat_interleave {dt}", lambda t: t.repeat_interleave(2, dim=1), x)
    check(f"repeat_interleave t {dt}", lambda t: t.repeat_interleave(torch.tensor([1, 0, 3], device=t.device), dim=0), x)
    check(f"repeat_interleave flat {dt}", lambda t: t.repeat_interleave(2), x)
    check(f"split {dt}", lambda t: t.split(2, 1), x)
    check(f"split sizes {dt}", lambda t: t.split([1, 3], 1), x)
    check(f"chunk {dt}", lambda t: t.chunk(3, 2), x)
    check(f"unbind {dt}", lambda t: t.unbind(1), x)
    check(f"tensor_split {dt}", lambda t: torch.tensor_split(t, [1, 3], 2), x)
    check(f"tensor_split t {dt}", lambda t: torch.tensor_split(t, torch.tensor([1, 3]), 2), x)
    check(f"movedim {dt}", lambda t: t.movedim(0, 2).contiguous(), x)
    check(f"narrow t {dt}", lambda t: t.narrow(1, torch.tensor(1), 2), x)
    if not dt.is_complex:
        check(f"unique {dt}", lambda t: torch.unique(t), x)
        check(f"unique all {dt}", lambda t: torch.unique(t, return_inverse=True, return_counts=True), x)
check("repeat_interleave r", lambda r: torch.repeat_interleave(r), torch.tensor([2, 0, 3]))
r = torch.tril_indices(4, 5, 1, device="cuda")
assert r.device.type == "cuda" and r.cpu().tolist() == torch.tril_indices(4, 5, 1).tolist()
r = torch.triu_indices(4, 3, -1, device="cuda")
assert r.device.type == "cuda" and r.cpu().tolist() == torch.triu_indices(4, 3, -1).tolist()
check("unique f nan", lambda t: torch.unique(t, return_inverse=True, return_counts=True), torch.tensor([3.0, float("nan"), 1.0, 3.0, float("nan")]))

# ---- index_put / index_* / scatter_reduce / masked_scatter / put / take_along_dim / view scatters
for dt in (torch.bool, torch.int32, torch.int64, torch.float16, torch.float32, torch.float64, torch.complex64):
    x = mk((4, 5), dt)
    tol = 1e-2 if dt == torch.float16 else 1e-6
    i0 = torch.tensor([3, 0, 3])
    check(f"index_put acc {dt}", lambda t, i, v: t.index_put((i,), v, accumulate=True), x, i0, mk((3, 5), dt), tol=tol)
    check(f"index_put_ 2d {dt}", lambda t, i, v: t.index_put_((i, i), v), x, torch.tensor([1, 2]), mk((2,), dt), inplace_arg=0)
    check(f"index_copy {dt}", lambda t, i, s: t.index_copy(1, i, s), x, torch.tensor([4, 0]), mk((4, 2), dt))
    check(f"index_fill {dt}", lambda t, i: t.index_fill(0, i, True if dt == torch.bool else 2), x, torch.tensor([-1, 1]))
    check(f"masked_scatter {dt}", lambda t, m, s: t.masked_scatter(m, s), x, mk((5,), torch.bool), mk((20,), dt))
    check(f"masked_scatter_ {dt}", lambda t, m, s: t.masked_scatter_(m, s), x, mk((4, 5), torch.bool), mk((20,), dt), inplace_arg=0)
    check(f"put {dt}", lambda t, i, s: t.put(i, s, accumulate=dt != torch.bool), x, torch.tensor([0, -1, 0]), mk((3,), dt), tol=tol)
    check(f"take_along_dim {dt}", lambda t, i: torch.take_along_dim(t, i, 1), x, torch.tensor([[0, -1], [2, 2], [4, 1], [3, 3]]))
    check(f"take_along_dim flat {dt}", lambda t, i: torch.take_along_dim(t, i), x, torch.tensor([19, 0, 7]))
    check(f"slice_scatter {dt}", lambda t, s: torch.slice_scatter(t, s, 1, 0, 5, 2), x, mk((4, 3), dt))
    check(f"select_scatter {dt}", lambda t, s: torch.select_scatter(t, s, 0, -1), x, mk((5,), dt))
    check(f"diagonal_scatter {dt}", lambda t, s: torch.diagonal_scatter(t, s, 1), x, mk((4,), dt))
    check(f"as_strided_scatter {dt}", lambda t, s: torch.as_strided_scatter(t, s, (2, 2), (5, 1), 1), x, mk((2, 2), dt))
    check(f"fill_diagonal_ {dt}", lambda t: t.t().clone().fill_diagonal_(1, wrap=True), x)
    check(f"argwhere {dt}", lambda t: torch.argwhere(t), x)
    check(f"nonzero_static {dt}", lambda t: torch.nonzero_static(t, size=25, fill_value=-2), x)
    reds = ("sum", "prod", "amax", "amin") if dt != torch.complex64 else ("sum", "prod")
    for red in reds + (("mean",) if dt != torch.bool else ()):
        for inc in (True, False):
            check(f"scatter_reduce {red} {inc} {dt}", lambda t, i, s: t.scatter_reduce(0, i, s, red, include_self=inc),
                  x, torch.tensor(rng.integers(0, 4, (6, 5))), mk((6, 5), dt), tol=tol)
        if red != "sum":
            check(f"index_reduce {red} {dt}", lambda t, i, s: t.index_reduce(1, i, s, red, include_self=False),
                  x, torch.tensor([0, 4, 0]), mk((4, 3), dt), tol=tol)
    check(f"scatter_reduce_ amax bad {dt}", lambda t, s: t.scatter_reduce_(0, torch.tensor([[4]], device=t.device), s, "amax"), x, mk((1, 1), dt), inplace_arg=0)
for dt in (torch.int64, torch.float32):
    check(f"isin {dt}", lambda e, s: torch.isin(e, s), mk((4, 5), dt), mk((7,), dt))
    check(f"isin invert scalar {dt}", lambda e: torch.isin(e, 2, invert=True), mk((6,), dt))
check("unravel_index", lambda i: torch.unravel_index(i, (3, 4)), torch.tensor([[0, 11], [5, -1]]))
check("index_put bad", lambda t: t.index_put((torch.tensor([7], device=t.device),), torch.ones((), device=t.device)), mk((4,), torch.float32))
check("put bad", lambda t: t.put(torch.tensor([9], device=t.device), torch.ones(1, device=t.device)), mk((4,), torch.float32))

# device mismatches raise PyTorch's error
def expect_mismatch(name, f):
    try:
        f()
    except RuntimeError as e:
        if "Expected all tensors to be on the same device" in str(e):
            stats["ok"] += 1
            return
        print(f"FAIL {name}: {e}")
    else:
        print(f"FAIL {name}: no error")
    stats["fail"] += 1
xd = mk((4,), torch.float32).cuda()
expect_mismatch("cat", lambda: torch.cat([xd, xd.cpu()]))
expect_mismatch("gather", lambda: xd.gather(0, torch.tensor([0])))
expect_mismatch("scatter", lambda: xd.scatter(0, torch.tensor([0]), 1.0))
expect_mismatch("scatter src", lambda: xd.scatter(0, torch.tensor([0], device="cuda"), torch.ones(1)))
expect_mismatch("scatter_add", lambda: xd.scatter_add(0, torch.tensor([0], device="cuda"), torch.ones(1)))
expect_mismatch("index_select", lambda: xd.index_select(0, torch.tensor([0])))
expect_mismatch("index_add", lambda: xd.index_add(0, torch.tensor([0]), torch.ones(1, device="cuda")))
expect_mismatch("take", lambda: torch.take(xd, torch.tensor([0])))
expect_mismatch("masked_fill", lambda: xd.masked_fill(torch.tensor([True, False, True, True]), 1.0))
try:
    xd.cpu()[torch.tensor([0], device="cuda")]
    print("FAIL cpu[cuda idx]: no error"); stats["fail"] += 1
except RuntimeError as e:
    assert str(e) == "indices should be either on cpu or on the same device as the indexed tensor (cpu)", e
    stats["ok"] += 1

print(("REV " if REV else "FWD ") + str(stats))

sys.exit(1 if stats["fail"] else 0)
