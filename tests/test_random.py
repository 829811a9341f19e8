"""Random sampling (tests/op_db_random.py): distributions with fixed seeds,
reproducibility under manual_seed and generator=, independence from the
thread count, error cases; dropout's and bernoulli's autograd."""
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
