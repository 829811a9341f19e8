"""nn.init: gains, fan computations, exact initializers (constant, eye, dirac,
orthogonal) and the random ones checked statistically with fixed seeds."""
import math
import warnings

import numpy as np
import pytest

import ctorch as torch
from ctorch.nn import init


@pytest.mark.parametrize("name,param,gain", [
    ("linear", None, 1), ("conv2d", None, 1), ("conv_transpose3d", None, 1),
    ("sigmoid", None, 1), ("tanh", None, 5.0 / 3), ("relu", None, math.sqrt(2.0)),
    ("leaky_relu", None, math.sqrt(2.0 / (1 + 0.01 ** 2))),
    ("leaky_relu", 0.2, math.sqrt(2.0 / 1.04)), ("leaky_relu", 1, 1.0), ("selu", None, 0.75),
])
def test_calculate_gain(name, param, gain):
    assert init.calculate_gain(name, param) == pytest.approx(gain, rel=1e-15)


def test_calculate_gain_errors():
    with pytest.raises(ValueError, match="negative_slope True not a valid number"):
        init.calculate_gain("leaky_relu", True)
    with pytest.raises(ValueError, match="Unsupported nonlinearity foo"):
        init.calculate_gain("foo")


def test_fans_and_errors():
    assert init._calculate_fan_in_and_fan_out(torch.empty(4, 3, 2, 5)) == (30, 40)
    assert init._calculate_fan_in_and_fan_out(torch.empty(4, 3)) == (3, 4)
    with pytest.raises(ValueError, match="Fan in and fan out can not be computed for tensor "
                                         "with fewer than 2 dimensions"):
        init.xavier_uniform_(torch.empty(3))
    with pytest.raises(ValueError, match=r"Mode fan_foo not supported, please use one of "
                                         r"\['fan_in', 'fan_out'\]"):
        init.kaiming_uniform_(torch.empty(3, 4), mode="fan_foo")


def test_exact_initializers():
    x = torch.ones(2, 3, requires_grad=True)
    assert init.constant_(x, 3.0) is x
    assert x.requires_grad and x.is_leaf and x.grad_fn is None      # filled under no_grad
    np.testing.assert_array_equal(x.detach().numpy(), np.full((2, 3), 3.0))
    np.testing.assert_array_equal(init.ones_(torch.empty(2)).numpy(), [1.0, 1.0])
    np.testing.assert_array_equal(init.zeros_(torch.empty(2)).numpy(), [0.0, 0.0])
    np.testing.assert_array_equal(init.eye_(torch.empty(2, 3)).numpy(), np.eye(2, 3))
    with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
        init.eye_(torch.empty(3))


def test_dirac():
    w = init.dirac_(torch.empty(4, 2, 3), groups=2)
    ref = np.zeros((4, 2, 3))
    for g in range(2):
        for d in range(2):
            ref[g * 2 + d, d, 1] = 1
    np.testing.assert_array_equal(w.numpy(), ref)
    w = init.dirac_(torch.empty(3, 2, 3, 4))
    ref = np.zeros((3, 2, 3, 4))
    ref[0, 0, 1, 2] = ref[1, 1, 1, 2] = 1
    np.testing.assert_array_equal(w.numpy(), ref)
    with pytest.raises(ValueError, match="Only tensors with 3, 4, or 5 dimensions are supported"):
        init.dirac_(torch.empty(2, 2))
    with pytest.raises(ValueError, match="dim 0 must be divisible by groups"):
        init.dirac_(torch.empty(3, 2, 3), groups=2)


@pytest.mark.parametrize("shape", [(6, 4), (4, 6), (5, 2, 3)])
def test_orthogonal(shape):
    torch.manual_seed(0)
    w = init.orthogonal_(torch.empty(*shape, dtype=torch.float64), gain=2.0)
    m = w.numpy().reshape(shape[0], -1)
    if m.shape[0] >= m.shape[1]:
        np.testing.assert_allclose(m.T @ m, 4 * np.eye(m.shape[1]), atol=1e-12)
    else:
        np.testing.assert_allclose(m @ m.T, 4 * np.eye(m.shape[0]), atol=1e-12)
    with pytest.raises(ValueError, match="Only tensors with 2 or more dimensions are supported"):
        init.orthogonal_(torch.empty(3))


def _stats(t):
    a = t.detach().numpy().astype(np.float64).ravel()
    return a, a.mean(), a.std()


N = (200, 500)      # 100000 samples: mean/std within ~1%


@pytest.mark.parametrize("fn,kwargs,lo,hi,std", [
    (init.uniform_, dict(a=-2.0, b=3.0), -2.0, 3.0, 5 / math.sqrt(12)),
    (init.normal_, dict(mean=1.0, std=0.5), None, None, 0.5),
    (init.xavier_uniform_, dict(gain=2.0), -2 * math.sqrt(6 / 700), 2 * math.sqrt(6 / 700),
     2 * math.sqrt(2 / 700)),
    (init.xavier_normal_, dict(), None, None, math.sqrt(2 / 700)),
    (init.kaiming_uniform_, dict(a=math.sqrt(5)), -1 / math.sqrt(500), 1 / math.sqrt(500),
     1 / math.sqrt(1500)),
    (init.kaiming_uniform_, dict(mode="fan_out", nonlinearity="relu"),
     -math.sqrt(6 / 200), math.sqrt(6 / 200), math.sqrt(2 / 200)),
    (init.kaiming_normal_, dict(nonlinearity="relu"), None, None, math.sqrt(2 / 500)),
    (init.trunc_normal_, dict(mean=0.5, std=1.0, a=-1.0, b=1.5), -1.0, 1.5, None),
])
def test_random_initializers(fn, kwargs, lo, hi, std):
    torch.manual_seed(1)
    t = torch.empty(*N)
    assert fn(t, **kwargs) is t
    a, mean, sd = _stats(t)
    if fn is init.trunc_normal_:
        from scipy import stats
        d = stats.truncnorm(-1.5, 1.0, loc=0.5, scale=1.0)
        mean_ref, std_ref = d.mean(), d.std()
    else:
        mean_ref = kwargs.get("mean", 0.0) if lo is None else (lo + hi) / 2
        std_ref = std
    assert abs(mean - mean_ref) < 0.02 * max(std_ref, 0.05)
    assert abs(sd / std_ref - 1) < 0.02
    if lo is not None:
        assert a.min() >= lo and a.max() <= hi
        assert a.min() < lo + 0.01 * (hi - lo) and a.max() > hi - 0.01 * (hi - lo)


def test_generator_makes_draws_reproducible():
    for fn in (init.uniform_, init.normal_, init.xavier_uniform_, init.kaiming_normal_,
               init.trunc_normal_, init.orthogonal_):
        a = fn(torch.empty(5, 4), generator=torch.Generator().manual_seed(3))
        b = fn(torch.empty(5, 4), generator=torch.Generator().manual_seed(3))
        c = fn(torch.empty(5, 4), generator=torch.Generator().manual_seed(4))
        np.testing.assert_array_equal(a.numpy(), b.numpy())
        assert not np.array_equal(a.numpy(), c.numpy())


def test_warnings():
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        t = torch.empty(0, 3)
        assert init.kaiming_uniform_(t) is t
        init.trunc_normal_(torch.empty(3), mean=10.0)
    assert [str(x.message) for x in w] == [
        "Initializing zero-element tensors is a no-op",
        "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of "
        "values may be incorrect."]


def test_init_on_parameter_keeps_leaf():
    p = torch.nn.Parameter(torch.empty(3, 4))
    init.kaiming_uniform_(p, a=math.sqrt(5))
    assert p.is_leaf and p.grad_fn is None and type(p) is torch.nn.Parameter


def test_sparse():
    torch.manual_seed(0)
    t = init.sparse_(torch.empty(10, 4), 0.25, std=0.5)
    a = t.numpy()
    np.testing.assert_array_equal((a == 0).sum(0), [3, 3, 3, 3])     # ceil(0.25 * 10) per column
    assert 0.2 < a[a != 0].std() < 1.0
    with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
        init.sparse_(torch.empty(3), 0.5)


def test_deprecated_names_warn_and_forward():
    with pytest.warns(FutureWarning, match="`nn.init.uniform` is now deprecated in favor of "
                                           "`nn.init.uniform_`."):
        t = init.uniform(torch.empty(50), -1.0, -0.5)
    a = t.numpy()
    assert a.min() >= -1.0 and a.max() <= -0.5
    with pytest.warns(FutureWarning, match="`nn.init.constant`"):
        np.testing.assert_array_equal(init.constant(torch.empty(2), 2.0).numpy(), [2.0, 2.0])
