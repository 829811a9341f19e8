"""ctorch from Python threads: ops and backward passes from 8 threads at once
give the single-threaded results, grad mode is per thread, large kernels
release the GIL (two threads overlap), and the OpenMP thread count set by
torch.set_num_threads is the process's, used by kernels launched from any
Python thread (each calling thread gets its own OpenMP team)."""
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import ctorch as torch

N_THREADS = 8
ROUNDS = 3


def _inputs(seed):
    g = torch.Generator().manual_seed(seed)
    # above the size from which kernels run without the GIL and in parallel
    a = torch.randn(256, 300, generator=g)
    b = torch.randn(256, 300, generator=g)
    return a, b


# each returns tensors; every kernel family is represented
OPS = {
    "add": lambda a, b: [a + b, a.t() + b.t()],
    "mul_broadcast": lambda a, b: [a * b[0], a[::2] * 3.5],
    "unary": lambda a, b: [a.exp(), a.tanh(), a.abs().sqrt()],
    "reductions": lambda a, b: [a.sum(), a.sum(0), a.mean(1), a.var(1), a.amax(0), a.argmax(1)],
    "scans": lambda a, b: [a.cumsum(1), a.softmax(1), a.log_softmax(0)],
    "matmul": lambda a, b: [a @ b.t(), a.t() @ b],
    "sort": lambda a, b: [a.sort(1).values, a.argsort(0), a.topk(5, 1).indices],
    "index": lambda a, b: [a[a > 0], a[torch.arange(0, 256, 3)], a.gather(1, b.abs().long() % 300)],
    "shape": lambda a, b: [torch.cat([a, b], 1), torch.stack([a, b]).sum(0), a.t().contiguous()],
    "cast": lambda a, b: [a.double(), (a * 100).int(), a.half().float()],
    "random": lambda a, b: [torch.randn(1000, generator=torch.Generator().manual_seed(int(a[0, 0] * 1e6) % 1000))],
}


def _backward(seed):
    a, b = _inputs(seed)
    x = a.clone().requires_grad_()
    w = b[:64].clone().requires_grad_()
    loss = ((x @ w.t()).tanh() * a[:, :64]).sum() + (x.softmax(1) * b).sum()
    loss.backward()
    return [x.grad, w.grad]


def _run_all(seed):
    a, b = _inputs(seed)
    out = {name: [r.numpy().copy() for r in f(a, b)] for name, f in OPS.items()}
    out["backward"] = [g.numpy().copy() for g in _backward(seed)]
    return out


def _same(x, y):
    for name in x:
        for u, v in zip(x[name], y[name]):
            np.testing.assert_array_equal(u, v, err_msg=name)


def test_ops_and_backward_from_8_threads_match_one_thread():
    seeds = list(range(N_THREADS))
    expected = {s: _run_all(s) for s in seeds}
    start = threading.Barrier(N_THREADS)

    def work(seed):
        start.wait()
        return [_run_all(seed) for _ in range(ROUNDS)]

    with ThreadPoolExecutor(N_THREADS) as pool:
        results = list(pool.map(work, seeds))
    for s, rounds in zip(seeds, results):
        for got in rounds:
            _same(got, expected[s])


def test_shared_inputs_read_from_8_threads():
    # many threads reading the same tensors (and their views) at once
    a, b = _inputs(99)
    expected = {name: [r.numpy().copy() for r in f(a, b)] for name, f in OPS.items()}
    start = threading.Barrier(N_THREADS)

    def work(_):
        start.wait()
        return {name: [r.numpy().copy() for r in f(a, b)] for name, f in OPS.items()}

    with ThreadPoolExecutor(N_THREADS) as pool:
        for got in pool.map(work, range(N_THREADS)):
            _same(got, expected)


def test_grad_mode_is_per_thread():
    x = torch.ones(3, requires_grad=True)
    in_no_grad = threading.Event()
    checked = threading.Event()
    seen = {}

    def other():
        with torch.no_grad():
            in_no_grad.set()
            seen["other_enabled"] = torch.is_grad_enabled()
            seen["other_requires_grad"] = (x * 2).requires_grad
            checked.wait(10)
        seen["other_after"] = torch.is_grad_enabled()

    t = threading.Thread(target=other)
    t.start()
    assert in_no_grad.wait(10)
    # the other thread is inside no_grad; this one is not affected
    assert torch.is_grad_enabled()
    assert (x * 2).requires_grad
    checked.set()
    t.join()
    assert seen == {"other_enabled": False, "other_requires_grad": False, "other_after": True}
    # and the other way round: a fresh thread starts with grad mode on
    torch.set_grad_enabled(False)
    try:
        box = []
        th = threading.Thread(target=lambda: box.append(torch.is_grad_enabled()))
        th.start()
        th.join()
        assert box == [True] and not torch.is_grad_enabled()
    finally:
        torch.set_grad_enabled(True)


def _overlaps(op):
    """True when the main thread runs Python code while another thread is
    inside op. The switch interval is made huge, so the interpreter never takes
    the GIL from a thread: the main thread can only run while the other thread
    has released the GIL of its own accord, i.e. inside a kernel."""
    started, done = threading.Event(), threading.Event()

    def worker():
        started.set()
        op()
        done.set()

    old = sys.getswitchinterval()
    sys.setswitchinterval(100.0)
    try:
        t = threading.Thread(target=worker)
        t.start()
        started.wait()           # wakes once the worker lets go of the GIL
        during = not done.is_set()
        t.join()
    finally:
        sys.setswitchinterval(old)
    return during


BIG = {
    "elementwise": lambda x: (x * 2.0).exp_(),
    "reduction": lambda x: x.sum(1),
    "matmul": lambda x: x[:1500, :1500] @ x[:1500, :1500],
    "sort": lambda x: x.sort(1),
    "cumsum": lambda x: x.cumsum(1),
    "random": lambda x: x.normal_(),
    "cast": lambda x: x.double(),
}


@pytest.mark.parametrize("name", list(BIG))
def test_large_kernels_release_the_gil(name):
    x = torch.rand(2000, 4000)
    f = BIG[name]
    # a few tries: the main thread must get in before the kernel ends
    assert any(_overlaps(lambda: f(x)) for _ in range(3))


def test_small_ops_keep_the_gil():
    # below the threshold a kernel is cheaper than a GIL round trip
    x = torch.rand(10)
    assert not _overlaps(lambda: x + 1)


def test_openmp_thread_count_is_the_process_setting():
    old = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        seen = []
        ts = [threading.Thread(target=lambda: seen.append(torch.get_num_threads())) for _ in range(4)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        assert seen == [2, 2, 2, 2]
        # kernels parallel inside each of several Python threads: same results
        a, b = _inputs(5)
        expected = [r.numpy().copy() for name in ("reductions", "matmul", "scans") for r in OPS[name](a, b)]
        for n in (1, 2, 3):
            torch.set_num_threads(n)
            with ThreadPoolExecutor(4) as pool:
                for got in pool.map(lambda _: [r.numpy().copy() for name in ("reductions", "matmul", "scans")
                                               for r in OPS[name](a, b)], range(4)):
                    for u, v in zip(got, expected):
                        np.testing.assert_allclose(u, v, rtol=1e-5, atol=1e-5)
    finally:
        torch.set_num_threads(old)
