"""Gradients through the shape and indexing ops on the emulated CUDA device,
against the CPU's.

Run by tests/test_cuda_families.py (and tests/cuda/ on a GPU): see _cases.py."""
import sys, traceback
import numpy as np
import ctorch as torch
import _cases  # noqa: E402  (tests/cuda_cases/_cases.py: the device)
_cases.setup()

rng = np.random.default_rng(1)
stats = {"ok": 0, "fail": 0}


def grads(f, xs, dev):
    ts = [torch.tensor(x, dtype=torch.float64, device=dev, requires_grad=True) for x in xs]
    out = f(*ts)
    outs = out if isinstance(out, (tuple, list)) else (out,)
    w = [torch.tensor(rng_w.normal(size=tuple(o.shape)), dtype=torch.float64, device=dev) for o in outs]
    loss = None
    for o, ww in zip(outs, w):
        term = (o * ww).sum() if dev == "cpu" else (o * ww).cpu().sum()
        loss = term if loss is None else loss + term
    if dev != "cpu":
        # the reductions of the device are not this family's: reduce on the CPU
        pass
    loss.backward()
    return [o.detach().cpu().numpy() for o in outs], [None if t.grad is None else t.grad.cpu().numpy() for t in ts], [t.grad.device.type if t.grad is not None else None for t in ts]


def check(name, f, *shapes):
    global rng_w
    xs = [rng.normal(size=s) for s in shapes]
    try:
        rng_w = np.random.default_rng(5)
        oc, gc, _ = grads(f, xs, "cpu")
        rng_w = np.random.default_rng(5)
        od, gd, devs = grads(f, xs, "cuda")
        for a, b in zip(oc, od):
            assert np.allclose(a, b), "outputs differ"
        for a, b, dv in zip(gc, gd, devs):
            assert (a is None) == (b is None), "grad presence"
            if a is not None:
                assert dv == "cuda", f"grad on {dv}"
                assert np.allclose(a, b, atol=1e-12), f"grads differ\n{a}\n{b}"
        stats["ok"] += 1
    except Exception as e:
        stats["fail"] += 1
        print(f"FAIL {name}: {type(e).__name__}: {str(e)[:400]}")


I = lambda t, v: torch.tensor(v, device=t.device)
check("index_select", lambda x: x.index_select(1, I(x, [2, 0, 2])), (3, 4))
check("gather", lambda x: x.gather(1, I(x, [[0, 0, 3], [1, 2, 2], [3, 3, 3]])), (3, 4))
check("scatter src", lambda x, s: x.scatter(1, I(x, [[0, 1], [2, 3], [1, 0]]), s), (3, 4), (3, 2))
check("scatter value", lambda x: x.scatter(1, I(x, [[0, 1], [2, 3], [1, 0]]), 2.0), (3, 4))
check("scatter_add", lambda x, s: x.scatter_add(1, I(x, [[0, 0], [2, 2], [1, 0]]), s), (3, 4), (3, 2))
check("index_add", lambda x, s: x.index_add(0, I(x, [0, 2, 0]), s, alpha=3), (3, 4), (3, 4))
check("take", lambda x: torch.take(x, I(x, [[0, -1], [5, 5]])), (3, 4))
check("cat", lambda x, y: torch.cat([x, y, x], 1), (3, 4), (3, 2))
check("cat empty", lambda x, y: torch.cat([x, y]), (3,), (0,))
check("stack", lambda x, y: torch.stack([x, y], 1), (3, 4), (3, 4))
check("getitem adv", lambda x: x[I(x, [0, 2, 0])], (3, 4))
check("getitem adv2", lambda x: x[I(x, [0, 2, 0]), I(x, [1, 1, 3])], (3, 4))
check("getitem adv cpu idx", lambda x: x[torch.tensor([0, 2, 0]), 1:3], (3, 4))
check("getitem mask", lambda x: x[x > 0], (3, 4))
check("getitem basic", lambda x: x[1:, ::2], (3, 4))
check("masked_select", lambda x: x.masked_select(I(x, [True, False, True, True])), (3, 4))
check("masked_fill", lambda x: x.masked_fill(I(x, [True, False, True, True]), 1.0), (3, 4))
# needs device sum: check("masked_fill t", lambda x, v: x.masked_fill(I(x, [True, False, True, True]), v.reshape(())), (3, 4), (1,))
check("split", lambda x: x.split(2, 1), (3, 4))
check("chunk", lambda x: x.chunk(2, 0), (3, 4))
check("unbind", lambda x: x.unbind(1), (3, 4))
check("flip", lambda x: x.flip(1), (3, 4))
check("roll", lambda x: x.roll(1, 0), (3, 4))
check("rot90", lambda x: x.rot90(), (3, 4))
# needs device sum: check("repeat", lambda x: x.repeat(2, 3), (3, 4))
check("repeat_interleave", lambda x: x.repeat_interleave(I(x, [1, 0, 2]), dim=0), (3, 4))
check("narrow", lambda x: x.narrow(1, 1, 2), (3, 4))


def setitem_fn(x, v):
    y = x * 1
    y[I(x, [0, 2])] = v
    return y


check("setitem adv", setitem_fn, (3, 4), (2, 4))


def setitem_mask(x, v):
    y = x * 1
    y[x > 0] = 5.0
    y[:, 1] = v
    return y


check("setitem mask", setitem_mask, (3, 4), (3,))
# ---- index_put / index_* / scatter_reduce / masked_scatter / put / view scatters
check("index_put acc", lambda x, v: x.index_put((I(x, [0, 2, 0]),), v, accumulate=True), (3, 4), (3, 4))
check("index_put", lambda x, v: x.index_put((I(x, [0, 2]), I(x, [1, 3])), v), (3, 4), (2,))
check("index_copy", lambda x, s: x.index_copy(1, I(x, [3, 0]), s), (3, 4), (3, 2))
check("index_fill tensor", lambda x, v: x.index_fill(0, I(x, [2, 0]), v.sum()), (3, 4), (2,))
for red in ("sum", "prod", "mean", "amax", "amin"):
    check(f"scatter_reduce {red}", lambda x, s: x.scatter_reduce(1, I(x, [[0, 0], [2, 2], [1, 3]]), s, red, include_self=red != "mean"),
          (3, 4), (3, 2))
for red in ("prod", "mean", "amax", "amin"):
    check(f"index_reduce {red}", lambda x, s: x.index_reduce(0, I(x, [0, 2, 0]), s, red), (3, 4), (3, 4))
check("masked_scatter", lambda x, s: x.masked_scatter(I(x, [True, False, True, True]), s), (3, 4), (12,))
check("put acc", lambda x, s: x.put(I(x, [0, -1, 0]), s, accumulate=True), (3, 4), (3,))
check("take_along_dim", lambda x: torch.take_along_dim(x, I(x, [[0, 3], [2, 2], [1, 1]]), 1), (3, 4))
check("slice_scatter", lambda x, s: torch.slice_scatter(x, s, 1, 0, 4, 2), (3, 4), (3, 2))
check("select_scatter", lambda x, s: torch.select_scatter(x, s, 0, 1), (3, 4), (4,))
check("diagonal_scatter", lambda x, s: torch.diagonal_scatter(x, s, -1), (3, 4), (2,))
check("as_strided_scatter", lambda x, s: torch.as_strided_scatter(x, s, (2,), (5,)), (3, 4), (2,))
print(stats)

sys.exit(1 if stats["fail"] else 0)
