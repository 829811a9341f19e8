"""Memory over long runs: 1e5 op calls and 1e3 forward/backward passes of a
small model leave the resident set and the number of live Python objects flat;
owners live exactly as long as needed (a view keeps its base, an array from
.numpy() keeps the storage, a tensor from from_numpy keeps the array); freed
large buffers are reused, and the cache of freed blocks stays bounded."""
import gc
import os
import weakref

import numpy as np
import pytest

import ctorch as torch
from ctorch._core.dispatch import _empty_cache

MiB = 1 << 20
_STATM = "/proc/self/statm"
needs_proc = pytest.mark.skipif(not os.path.exists(_STATM), reason="reads the resident set from /proc")


def rss():
    with open(_STATM) as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _trim_libc():
    """Returns the C library heap's free pages to the system (glibc), so that
    the resident set counts the blocks still held: glibc keeps freed blocks
    below its mmap threshold, which it raises after unmapping larger ones."""
    try:
        import ctypes
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def live_objects():
    gc.collect()
    return len(gc.get_objects())


def _op_calls(x, y, idx, mask, n):
    """n op calls over the families a program uses (about 25 per round)."""
    calls = 0
    while calls < n:
        z = x + y
        z = z * 2.5 - y
        z.add_(1).mul_(0.5)
        s = z.sum() + z.mean(0).sum()
        m = x @ y.t()
        v = x.t()[1:, ::2].reshape(-1)
        w = x[idx] + x[mask].sum()
        c = torch.cat([x, y]).softmax(1)
        i = z.argmax(1)
        o = torch.zeros(4, 5).fill_(2.0)
        a = z.numpy()
        b = torch.from_numpy(a)
        t = torch.tensor([1.0, 2.0, 3.0])
        e = x.exp().log1p().clamp(0, 1)
        q = torch.where(x > 0, x, y)
        r = x.sort(1).values.cumsum(1)
        del z, s, m, v, w, c, i, o, a, b, t, e, q, r
        calls += 25
    return calls


@needs_proc
def test_1e5_op_calls_keep_memory_and_objects_flat():
    x = torch.randn(4, 5)
    y = torch.randn(4, 5)
    idx = torch.tensor([0, 2, 3])
    mask = x > 0
    _op_calls(x, y, idx, mask, 2000)          # warm-up: caches, lazy imports
    objs0, rss0 = live_objects(), rss()
    n = _op_calls(x, y, idx, mask, 100_000)
    grown_objects = live_objects() - objs0
    grown_rss = rss() - rss0
    assert n >= 100_000
    assert grown_objects <= 50, grown_objects
    assert grown_rss < 8 * MiB, grown_rss


def _model(gen):
    w1 = (torch.randn(32, 16, generator=gen) * 0.1).requires_grad_()
    b1 = torch.zeros(16, requires_grad=True)
    w2 = (torch.randn(16, 10, generator=gen) * 0.1).requires_grad_()
    b2 = torch.zeros(10, requires_grad=True)
    return [w1, b1, w2, b2]


def _step(params, x, target):
    w1, b1, w2, b2 = params
    h = (x @ w1 + b1).relu()
    logp = (h @ w2 + b2).log_softmax(1)
    loss = -logp.gather(1, target.unsqueeze(1)).mean()
    loss.backward()
    with torch.no_grad():
        for p in params:
            p -= 0.1 * p.grad
            p.grad = None
    return loss.item()


@needs_proc
def test_1e3_forward_backward_passes_keep_memory_and_objects_flat():
    gen = torch.Generator().manual_seed(0)
    params = _model(gen)
    x = torch.randn(64, 32, generator=gen)
    target = torch.randint(0, 10, (64,), generator=gen)
    first = [_step(params, x, target) for _ in range(50)]
    objs0, rss0 = live_objects(), rss()
    losses = [_step(params, x, target) for _ in range(1000)]
    grown_objects = live_objects() - objs0
    grown_rss = rss() - rss0
    assert losses[-1] < first[0]                # it trains
    assert grown_objects <= 50, grown_objects
    assert grown_rss < 8 * MiB, grown_rss


# ------------------------------------------------------------- owners

def test_a_view_keeps_its_base_alive():
    base = torch.arange(12.0)
    ref = weakref.ref(base)
    v = base.view(3, 4)[1:, ::2]
    del base
    gc.collect()
    assert ref() is not None                  # the view holds its base
    assert v.tolist() == [[4.0, 6.0], [8.0, 10.0]]
    del v
    gc.collect()
    assert ref() is None                      # and nothing else does


def test_numpy_array_keeps_the_storage_after_the_tensor_is_gone():
    t = torch.arange(1 << 18, dtype=torch.float64)   # 2 MiB: a cached block size
    a = t.numpy()
    ref = weakref.ref(t)
    del t
    gc.collect()
    assert ref() is None
    # the block must not go back to the allocator while the array lives
    others = [torch.full((1 << 18,), -1.0, dtype=torch.float64) for _ in range(4)]
    assert a[0] == 0.0 and a[-1] == (1 << 18) - 1 and a.sum() == (1 << 18) * ((1 << 18) - 1) / 2
    del others


def test_from_numpy_keeps_the_array_alive():
    class Owned(np.ndarray):   # a subclass: plain ndarrays take no weak references
        pass
    arr = np.arange(10.0).view(Owned)
    ref = weakref.ref(arr)
    t = torch.from_numpy(arr)
    del arr
    gc.collect()
    assert ref() is not None
    assert t.sum().item() == 45.0
    v = t[2:5]
    del t
    gc.collect()
    assert ref() is not None and v.tolist() == [2.0, 3.0, 4.0]
    del v
    gc.collect()
    assert ref() is None


# ------------------------------------------------- large buffers and the cache

@needs_proc
def test_freed_large_buffers_are_reused():
    size = 16 * MiB // 4
    torch.ones(size)                          # warm
    rss0 = rss()
    for _ in range(30):
        t = torch.ones(size)
        t.add_(1)
        del t
    assert rss() - rss0 < 2 * 16 * MiB


@needs_proc
def test_the_cache_of_freed_blocks_stays_bounded():
    # 64 distinct large sizes (4 to 12 MiB), each freed at once: at most 16
    # blocks stay cached
    _empty_cache()
    rss0 = rss()
    for k in range(64):
        t = torch.ones((4 * MiB + k * 128 * 1024) // 4)
        del t
    _trim_libc()
    cached = rss() - rss0
    # 16 blocks of at most 12 MiB and some slack; keeping all 64 would hold
    # about 512 MiB
    assert cached <= 16 * 12 * MiB + 32 * MiB, cached
    # emptying the cache gives the blocks back, whatever glibc's threshold
    _empty_cache()
    assert rss() - rss0 < 16 * MiB


@needs_proc
def test_empty_cache_returns_heap_blocks_after_larger_frees():
    # freeing blocks past glibc's mmap threshold raises it (to 32 MiB), so the
    # next blocks of a few MiB come from its heap: _empty_cache still returns
    # their pages
    for s in (20, 24, 28, 31):
        t = torch.ones(s * MiB // 4)
        del t
    _empty_cache()
    rss0 = rss()
    for k in range(64):
        t = torch.ones((4 * MiB + k * 128 * 1024) // 4)
        del t
    _empty_cache()
    assert rss() - rss0 < 16 * MiB


@needs_proc
def test_the_cache_of_mid_sized_blocks_stays_bounded():
    # 64 distinct sizes of 128 KiB to 1 MiB: at most 16 of them stay cached
    _empty_cache()
    rss0 = rss()
    for k in range(64):
        t = torch.ones((128 * 1024 + k * 14 * 1024) // 4)
        del t
    _trim_libc()
    assert rss() - rss0 <= 16 * MiB + 8 * MiB
    _empty_cache()
    assert rss() - rss0 < 8 * MiB
