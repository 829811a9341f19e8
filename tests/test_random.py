"""Random sampling (tests/op_db_random.py): distributions with fixed seeds,
reproducibility under manual_seed and generator=, independence from the
thread count, error cases; dropout's and bernoulli's autograd; torch.random
(state round trip, fork_rng); the zero gradients of normal and the in-place
fills."""
import numpy as np
import pytest

import ctorch as torch
from tests.op_db_random import RANDOM_OPS


@pytest.mark.parametrize("op", RANDOM_OPS, ids=[o.name for o in RANDOM_OPS])
def test_distribution(op):
    torch.manual_seed(1234)
    op.check(op.draw(torch, None).numpy())
    if op.generator:
        op.check(op.draw(torch, torch.Generator().manual_seed(99)).numpy())


@pytest.mark.parametrize("op", RANDOM_OPS, ids=[o.name for o in RANDOM_OPS])
def test_reproducible(op):
    torch.manual_seed(7)
    a = op.draw(torch, None).numpy()
    b = op.draw(torch, None).numpy()            # the generator moved on
    torch.manual_seed(7)
    np.testing.assert_array_equal(op.draw(torch, None).numpy(), a)
    torch.manual_seed(8)
    assert not np.array_equal(op.draw(torch, None).numpy(), a)
    assert not np.array_equal(b, a)
    if op.generator:
        g1 = op.draw(torch, torch.Generator().manual_seed(5)).numpy()
        state = torch.get_rng_state()
        g2 = op.draw(torch, torch.Generator().manual_seed(5)).numpy()
        np.testing.assert_array_equal(g1, g2)
        assert torch.get_rng_state().tolist() == state.tolist()    # the default generator was not used


@pytest.mark.parametrize("op", RANDOM_OPS, ids=[o.name for o in RANDOM_OPS])
def test_thread_count_does_not_change_values(op):
    old = torch.get_num_threads()
    try:
        res = []
        for nt in (1, 2):
            torch.set_num_threads(nt)
            torch.manual_seed(3)
            res.append(op.draw(torch, None).numpy())
    finally:
        torch.set_num_threads(old)
    np.testing.assert_array_equal(res[0], res[1])


# ------------------------------------------------------------ dropout autograd

def test_dropout_gradcheck():
    x = torch.tensor(np.random.default_rng(0).standard_normal((4, 5)), requires_grad=True)

    def f(x):
        torch.manual_seed(11)             # the same mask on every evaluation
        return torch.dropout(x, 0.4, True)

    assert torch.autograd.gradcheck(f, (x,))


def test_dropout_backward_is_grad_times_mask():
    x = torch.randn(1000, requires_grad=True)
    y = torch.dropout(x, 0.25, True)
    g = torch.randn(1000)
    y.backward(g)
    kept = (y != 0).numpy()
    expect = np.where(kept, g.numpy() * np.float32(1 / 0.75), 0).astype(np.float32)
    np.testing.assert_array_equal(x.grad.numpy(), expect)
    assert type(y.grad_fn).__name__ == "MulBackward0"
    nf = y.grad_fn.next_functions
    assert type(nf[0][0]).__name__ == "AccumulateGrad" and nf[1] == (None, 0)


def test_dropout_edges():
    x = torch.ones(6, requires_grad=True)
    assert torch.dropout(x, 0.5, False) is x
    assert torch.dropout(x, 0.0, True) is x
    z = torch.dropout(x, 1.0, True)
    assert z.tolist() == [0.0] * 6 and type(z.grad_fn).__name__ == "MulBackward0"
    z.sum().backward()
    assert x.grad.tolist() == [0.0] * 6
    assert torch.dropout(torch.ones(3, dtype=torch.int64), 0.0, True).dtype == torch.int64
    with torch.no_grad():
        assert torch.dropout(x, 0.5, True).grad_fn is None
    assert torch.dropout(torch.ones(0, 3), 0.5, True).shape == (0, 3)
    assert torch.dropout(torch.tensor(3.0), 1.0, True).item() == 0.0


def test_dropout_inplace():
    torch.manual_seed(4)
    ref = torch.dropout(torch.arange(10.0), 0.5, True)
    torch.manual_seed(4)
    x = torch.arange(10.0)
    assert torch.dropout_(x, 0.5, True) is x
    assert x.tolist() == ref.tolist()


# ---------------------------------------------------------- bernoulli autograd

def test_bernoulli_gradient_is_zero():
    p = torch.tensor([0.2, 0.9, 0.5], requires_grad=True)
    y = torch.bernoulli(p)
    assert type(y.grad_fn).__name__ == "BernoulliBackward0"
    (y * 3).sum().backward()
    assert p.grad.tolist() == [0.0, 0.0, 0.0]
    assert p.bernoulli().requires_grad


def test_bernoulli_dtypes_and_out():
    for dt in (torch.float16, torch.float32, torch.float64):
        r = torch.bernoulli(torch.full((4,), 0.5, dtype=dt))
        assert r.dtype == dt
    for dt in (torch.uint8, torch.int8, torch.int32, torch.bool, torch.float16):
        r = torch.zeros(50, dtype=dt).bernoulli_(1.0)
        assert r.dtype == dt and r.tolist() == [1] * 50
    o = torch.zeros(3, dtype=torch.int64)
    assert torch.bernoulli(torch.tensor([1.0, 0.0, 1.0]), out=o) is o and o.tolist() == [1, 0, 1]
    assert torch.bernoulli(torch.tensor(1.0)).shape == ()
    assert torch.bernoulli(torch.zeros(0)).shape == (0,)
    assert torch.zeros(3).bernoulli(p=1.0).tolist() == [1.0, 1.0, 1.0]


def test_multinomial_out_and_shapes():
    o = torch.zeros(2, dtype=torch.int64)
    assert torch.multinomial(torch.tensor([0.0, 1.0, 0.0]), 2, True, out=o) is o
    assert o.tolist() == [1, 1]
    assert torch.multinomial(torch.ones(0, 3), 2).shape == (0, 2)
    # without replacement a zero-weight category comes only after the others
    assert sorted(torch.multinomial(torch.tensor([1.0, 2.0, 0.0]), 2).tolist()) == [0, 1]
    r = torch.multinomial(torch.tensor([1.0, 2.0, 0.0]), 3).tolist()
    assert r[2] == 2
    w = torch.tensor([[1.0, 1.0], [1.0, 1.0]]).t()             # transposed weights
    assert torch.multinomial(w, 2).shape == (2, 2)


# ------------------------------------------------------------- torch.random

def test_torch_random_module_is_the_default_generator():
    import ctorch.random as tr
    assert torch.random is tr
    for name in ("manual_seed", "seed", "initial_seed", "get_rng_state", "set_rng_state"):
        assert getattr(tr, name) is getattr(torch, name)
    assert tr.default_generator is torch.default_generator
    assert tr.manual_seed(5) is torch.default_generator and tr.initial_seed() == 5
    tr.manual_seed(-1)
    assert tr.initial_seed() == 2 ** 64 - 1
    s = tr.seed()
    assert tr.initial_seed() == s and 0 <= s < 2 ** 64
    assert tr.thread_safe_generator() is None
    assert set(tr.__all__) == {"set_rng_state", "get_rng_state", "manual_seed", "seed", "initial_seed",
                               "fork_rng", "thread_safe_generator"}


def test_rng_state_round_trip():
    torch.manual_seed(21)
    torch.rand(7)
    state = torch.random.get_rng_state()
    assert state.dtype == torch.uint8 and state.shape == (16,)
    a = torch.randn(10).tolist()
    torch.rand(3)
    torch.random.set_rng_state(state)
    assert torch.randn(10).tolist() == a
    # the state is a copy: drawing does not change a state already taken
    assert torch.random.get_rng_state().tolist() != state.tolist()


@pytest.mark.parametrize("bad, exc, msg", [
    ([1, 2], TypeError, "expected a torch.ByteTensor, but got list"),
    (None, TypeError, "expected a torch.ByteTensor, but got NoneType"),
    (torch.zeros(16), TypeError, "RNG state must be a torch.ByteTensor"),
    (torch.zeros(3, dtype=torch.uint8), RuntimeError,
     "Expected a CPUGeneratorImplState of size 16 but found the input RNG state size to be 3"),
])
def test_set_rng_state_errors(bad, exc, msg):
    before = torch.get_rng_state().tolist()
    with pytest.raises(exc, match=__import__("re").escape(msg)):
        torch.random.set_rng_state(bad)
    assert torch.get_rng_state().tolist() == before


def test_manual_seed_errors():
    with pytest.raises(ValueError, match="Overflow when unpacking long long"):
        torch.random.manual_seed(2 ** 64)
    with pytest.raises(ValueError, match="Overflow when unpacking long long"):
        torch.Generator().manual_seed(-2 ** 63 - 1)
    with pytest.raises(ValueError, match="invalid literal for int"):
        torch.random.manual_seed("a")


def test_fork_rng_restores_the_state():
    torch.manual_seed(3)
    before = torch.get_rng_state().tolist()
    ref = torch.rand(5).tolist()
    torch.manual_seed(3)
    with torch.random.fork_rng():
        torch.rand(100)
        torch.manual_seed(99)
        torch.randn(3)
    assert torch.get_rng_state().tolist() == before
    assert torch.rand(5).tolist() == ref
    # restored when the block raises, with devices given as a one-pass iterable
    torch.manual_seed(3)
    with pytest.raises(KeyError):
        with torch.random.fork_rng(devices=iter([0])):
            torch.rand(10)
            raise KeyError("x")
    assert torch.get_rng_state().tolist() == before
    # enabled=False: not forked
    with torch.random.fork_rng(enabled=False):
        torch.rand(10)
    assert torch.get_rng_state().tolist() != before


# ------------------------------------------------- gradients of the draws

def test_normal_gradients_are_zero_with_pytorchs_nodes():
    mean = torch.zeros(3, 1, dtype=torch.float64, requires_grad=True)
    std = torch.ones(4, dtype=torch.float64, requires_grad=True)
    y = torch.normal(mean, std)
    assert y.shape == (3, 4) and type(y.grad_fn).__name__ == "NormalBackward3"
    y.sum().backward()
    assert mean.grad.tolist() == [[0.0]] * 3 and std.grad.tolist() == [0.0] * 4
    y = torch.normal(mean, 2.0)
    assert type(y.grad_fn).__name__ == "NormalBackward1"
    y = torch.normal(1.0, std)
    assert type(y.grad_fn).__name__ == "NormalBackward2"
    assert torch.normal(0.0, 1.0, (3,), requires_grad=True).requires_grad
    with torch.no_grad():
        assert torch.normal(mean, std).grad_fn is None
    p = torch.poisson(torch.tensor([2.0, 30.0], requires_grad=True))
    assert type(p.grad_fn).__name__ == "PoissonBackward0"


@pytest.mark.parametrize("fill, node", [
    (lambda x: x.exponential_(), "ExponentialBackward0"),
    (lambda x: x.geometric_(0.3), "GeometricBackward0"),
    (lambda x: x.log_normal_(), "LogNormalBackward0"),
    (lambda x: x.cauchy_(), "CauchyBackward0"),
    (lambda x: x.normal_(), "NormalBackward0"),
    (lambda x: x.uniform_(), "UniformBackward0"),
    (lambda x: x.random_(), "RandomBackward2"),
    (lambda x: x.random_(5), "RandomBackward1"),
    (lambda x: x.random_(2, 5), "RandomBackward0"),
])
def test_inplace_fill_in_a_graph_passes_zero_gradient(fill, node):
    a = torch.ones(4, requires_grad=True)
    x = a * 3
    y = fill(x)
    assert y is x and type(x.grad_fn).__name__ == node
    (x * 2 + a).sum().backward()
    assert a.grad.tolist() == [1.0] * 4          # only the direct term


def test_normal_out_and_dtypes():
    o = torch.empty(5, dtype=torch.float64)
    with pytest.warns(UserWarning, match="was resized"):
        r = torch.normal(torch.zeros(3), torch.ones(3), out=o)
    assert r is o and o.shape == (3,) and o.dtype == torch.float64
    assert torch.normal(torch.zeros(3, dtype=torch.float64), torch.ones(3)).dtype == torch.float64
    assert torch.normal(torch.zeros(3), torch.ones(3, dtype=torch.float64)).dtype == torch.float32
    assert torch.normal(torch.zeros(3, dtype=torch.float16), 1.0).dtype == torch.float16
    assert torch.normal(0, 1, [2, 3]).shape == (2, 3)
    assert torch.normal(torch.tensor(0.0), torch.tensor(1.0)).shape == ()
    assert torch.normal(torch.ones(3), 0.0).tolist() == [1.0, 1.0, 1.0]
    z = torch.normal(torch.zeros(2000, dtype=torch.complex128), 1.0)
    assert z.dtype == torch.complex128 and abs((z.abs() ** 2).mean().item() - 1.0) < 0.2


def test_counts_edges():
    assert torch.poisson(torch.tensor(5.0)).shape == ()
    assert torch.poisson(torch.zeros(0, 3)).shape == (0, 3)
    assert torch.poisson(torch.tensor([float("inf")])).tolist() == [float("inf")]
    r = torch.binomial(torch.tensor([10.0, -3.0, 10.0, 10.0, float("nan")]),
                       torch.tensor([1.5, 0.5, -0.5, float("nan"), 0.5]))
    assert r.tolist()[:3] == [10.0, 0.0, 0.0] and all(v != v for v in r.tolist()[3:])
    # a fractional count is truncated
    assert torch.binomial(torch.full((50,), 3.9), torch.full((50,), 1.0)).tolist() == [3.0] * 50
    # binomial of a huge count, rejection branch: the mean within 6 sigma
    big = torch.binomial(torch.full((2000,), 1e12, dtype=torch.float64), torch.full((2000,), 0.25,
                                                                                      dtype=torch.float64))
    sd = (1e12 * 0.25 * 0.75) ** 0.5 / 2000 ** 0.5
    assert abs(big.mean().item() - 2.5e11) < 6 * sd


# half draws stay in [from, to): a float draw rounded to half could reach `to`
@pytest.mark.parametrize("draw, hi", [
    (lambda: torch.rand(200_000, dtype=torch.float16), 1.0),
    (lambda: torch.empty(200_000, dtype=torch.float16).uniform_(), 1.0),
    (lambda: torch.empty(200_000, dtype=torch.float16).uniform_(2, 3), 3.0),
    (lambda: torch.rand_like(torch.empty(200_000, dtype=torch.float16)), 1.0),
])
def test_half_uniform_stays_below_the_upper_bound(draw, hi):
    torch.manual_seed(0)
    x = draw().float()
    assert x.max().item() < hi and x.min().item() >= hi - 1.0


# ------------------------------------------- the stream contract (random.h)

_M = 0xFFFFFFFF


def _philox_block(key, ctr):
    """Philox4x32-10 in plain Python: the oracle of the stream contract."""
    c, k0, k1 = list(ctr), key & _M, key >> 32
    for _ in range(10):
        p0, p1 = 0xD2511F53 * c[0], 0xCD9E8D57 * c[2]
        c = [(p1 >> 32) ^ c[1] ^ k0, p1 & _M, (p0 >> 32) ^ c[3] ^ k1, p0 & _M]
        k0, k1 = (k0 + 0x9E3779B9) & _M, (k1 + 0xBB67AE85) & _M
    return c


def _stream_words(seed, offset, nblocks):
    out = []
    for b in range(nblocks):
        cnt = (offset + b) & ((1 << 64) - 1)
        out += _philox_block(seed, (cnt & _M, cnt >> 32, 0, 0))
    return out


def test_philox_known_answer():
    # Random123's published known-answer vectors for philox4x32-10
    assert _philox_block(0, (0, 0, 0, 0)) == [0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8]
    assert _philox_block(_M | _M << 32, (_M, _M, _M, _M)) == [0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD]


@pytest.mark.parametrize("low, high", [(0, 7), (-5, 1000), (0, 2 ** 32), (-3, 2 ** 32 - 3),
                                       (0, 2 ** 32 + 1), (-2 ** 63, 2 ** 63 - 1), (10, 2 ** 40)])
@pytest.mark.parametrize("n", [1, 37])
def test_randint_follows_the_stream_contract(low, high, n):
    seed = 0x1234_5678_9ABC_DEF0
    g = torch.Generator().manual_seed(seed)
    torch.rand(5, generator=g)                                  # offset 2 blocks
    got = torch.randint(low, high, (n,), generator=g).tolist()
    rng = high - low
    bits = 64 if rng <= 2 ** 32 else 128
    per = bits // 32
    w = _stream_words(seed, 2, (n * per + 3) // 4)
    want = []
    for i in range(n):
        x = sum(w[per * i + j] << (32 * j) for j in range(per))
        want.append(low + (x * rng >> bits))
    assert got == want
    # the generator moved on by the blocks the contract says
    assert g.get_state().numpy().view(np.uint64)[1] == 2 + (n * per + 3) // 4


def test_uniform_follows_the_stream_contract():
    g = torch.Generator().manual_seed(77)
    w = _stream_words(77, 0, 3)
    assert torch.rand(9, generator=g).tolist() == [(v >> 8) * 2.0 ** -24 for v in w[:9]]
    w = _stream_words(77, 3, 3)
    u = [w[2 * i] | w[2 * i + 1] << 32 for i in range(5)]
    assert torch.rand(5, generator=g, dtype=torch.float64).tolist() == [(v >> 11) * 2.0 ** -53 for v in u]
