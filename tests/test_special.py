"""torch.special beyond its op table (tests/op_db_special.py): the names that
are torch's own functions under another name, and what the table's random
inputs do not reach (degrees of the polynomials, poles, in-place history)."""
import numpy as np
import pytest
import scipy.special as sc

import ctorch as torch
from ctorch.autograd import gradgradcheck
from helpers import assert_close

# torch.special.<name> computes torch.<name> (its grad_fn too)
ALIASES = [("psi", "digamma"), ("digamma", "digamma"), ("gammaln", "lgamma"), ("erf", "erf"),
           ("erfc", "erfc"), ("erfinv", "erfinv"), ("expit", "sigmoid"), ("exp2", "exp2"),
           ("expm1", "expm1"), ("log1p", "log1p"), ("i0", "i0"), ("sinc", "sinc"),
           ("logit", "logit"), ("xlogy", "xlogy"), ("gammainc", "igamma"), ("gammaincc", "igammac")]
BINARY = {"xlogy", "gammainc", "gammaincc"}


@pytest.mark.parametrize("name,base", ALIASES, ids=[a for a, _ in ALIASES])
@pytest.mark.parametrize("dtype", ["int64", "float32", "float64"])
def test_alias_matches_torch_function(name, base, dtype):
    if name in ("gammainc", "gammaincc") and dtype == "int64":
        with pytest.raises(NotImplementedError, match="not implemented for 'Long'"):
            getattr(torch.special, name)(torch.ones(2, dtype=torch.int64), torch.ones(2, dtype=torch.int64))
        return
    rng = np.random.default_rng(0)
    a = (rng.integers(1, 4, (3, 4)) if dtype == "int64" else rng.uniform(0.05, 0.95, (3, 4))).astype(dtype)
    x = torch.tensor(a)
    args = (x, x.exp()) if name in BINARY else (x,)
    got, want = getattr(torch.special, name)(*args), getattr(torch, base)(*args)
    assert got.dtype == want.dtype
    assert_close(got, want.numpy(), str(want.dtype).split(".")[1], (0, 0))
    if dtype == "float64":
        leaf = x.clone().requires_grad_(True)
        fargs = (x, leaf) if name in BINARY else (leaf,)
        g1 = getattr(torch.special, name)(*fargs).grad_fn.name()
        assert g1 == getattr(torch, base)(*fargs).grad_fn.name()
        out = torch.empty(3, 4, dtype=torch.float64)
        assert getattr(torch.special, name)(*args, out=out) is out


def test_polynomial_degrees_are_truncated_and_negative_degrees_give_zero():
    x = torch.tensor([0.5, 0.5, 0.5, 0.5, 0.5, 0.3])
    n = torch.tensor([2.7, -0.5, -1.0, float("inf"), float("nan"), 3.0])
    r = torch.special.chebyshev_polynomial_t(x, n).numpy()
    np.testing.assert_allclose(r, [-0.5, 1.0, 0.0, 0.0, 0.0, sc.eval_chebyt(3, 0.3)], rtol=1e-6)
    # a python number on either side; an integer degree tensor
    assert_close(torch.special.hermite_polynomial_h(0.5, torch.tensor([0, 1, 3])),
                 np.array([1.0, 1.0, -5.0]), "float32", (1e-6, 1e-6))
    assert_close(torch.special.legendre_polynomial_p(torch.tensor([0.2], dtype=torch.float64), 4),
                 sc.eval_legendre(4, np.array([0.2])), "float64", (1e-14, 1e-14))
    # the third and fourth kinds: V_1 = 2x - 1, W_1 = 2x + 1
    assert_close(torch.special.chebyshev_polynomial_v(torch.tensor([0.25]), 1), np.array([-0.5]), "float32")
    assert_close(torch.special.chebyshev_polynomial_w(torch.tensor([0.25]), 1), np.array([1.5]), "float32")


def test_poles_and_limits():
    z = torch.tensor([0.0, -0.0, -2.0, float("-inf")], dtype=torch.float64)
    d = torch.digamma(z).numpy()
    assert d[0] == -np.inf and d[1] == np.inf and np.isnan(d[2])
    assert torch.lgamma(z).numpy()[3] == np.inf
    assert torch.special.spherical_bessel_j0(torch.tensor([0.0, float("inf")])).tolist() == [1.0, 0.0]
    assert torch.sinc(torch.tensor([0.0])).item() == 1.0
    assert torch.special.entr(torch.tensor([-1.0, 0.0])).tolist() == [float("-inf"), 0.0]
    assert torch.special.multigammaln(torch.tensor([2.0]), 1).item() == pytest.approx(0.0, abs=1e-7)


def test_polygamma_orders():
    x = np.array([0.5, 1.0, 3.5])
    for n in range(4):
        assert_close(torch.polygamma(n, torch.tensor(x)), sc.polygamma(n, x), "float64", (1e-13, 1e-13))
        assert_close(torch.tensor(x).polygamma(n), sc.polygamma(n, x), "float64", (1e-13, 1e-13))
    t = torch.tensor(x)
    assert t.polygamma_(1) is t
    assert_close(t, sc.polygamma(1, x), "float64", (1e-13, 1e-13))


@pytest.mark.parametrize("name", ["digamma_", "erfinv_", "lgamma_", "i0_", "erfc_", "sinc_", "logit_"])
def test_inplace_on_a_graph_tensor_takes_the_op_history(name):
    x = torch.tensor([0.3, 0.6], dtype=torch.float64, requires_grad=True)
    y = x * 1.0
    getattr(y, name)()
    assert y.grad_fn.name() == {"digamma_": "DigammaBackward0", "erfinv_": "ErfinvBackward0",
                                "lgamma_": "LgammaBackward0", "i0_": "I0Backward0",
                                "erfc_": "ErfcBackward0", "sinc_": "SincBackward0",
                                "logit_": "LogitBackward0"}[name]
    y.sum().backward()
    fn = getattr(torch, name[:-1])
    x2 = x.detach().clone().requires_grad_(True)
    fn(x2).sum().backward()
    assert_close(x.grad, x2.grad.numpy(), "float64", (1e-14, 1e-14))


@pytest.mark.parametrize("f", [lambda x: torch.digamma(x), lambda x: torch.erfinv(x / 4),
                               lambda x: torch.special.i1e(x), lambda x: torch.xlogy(x, x * 2),
                               lambda x: torch.special.zeta(torch.tensor(2.5), x),
                               lambda x: torch.igamma(torch.tensor(1.5, dtype=torch.float64), x)],
                         ids=["digamma", "erfinv", "i1e", "xlogy", "zeta", "igamma"])
def test_gradgradcheck(f):
    x = torch.tensor(np.random.default_rng(1).uniform(0.3, 3.0, (2, 3)), requires_grad=True)
    assert gradgradcheck(f, (x,))


def test_namespace_is_complete():
    names = ("airy_ai bessel_j0 bessel_j1 bessel_y0 bessel_y1 chebyshev_polynomial_t chebyshev_polynomial_u "
             "chebyshev_polynomial_v chebyshev_polynomial_w digamma entr erf erfc erfcx erfinv exp2 expit "
             "expm1 gammainc gammaincc gammaln hermite_polynomial_h hermite_polynomial_he i0 i0e i1 i1e "
             "laguerre_polynomial_l legendre_polynomial_p log1p log_ndtr log_softmax logit logsumexp "
             "modified_bessel_i0 modified_bessel_i1 modified_bessel_k0 modified_bessel_k1 multigammaln ndtr "
             "ndtri polygamma psi round scaled_modified_bessel_k0 scaled_modified_bessel_k1 "
             "shifted_chebyshev_polynomial_t shifted_chebyshev_polynomial_u shifted_chebyshev_polynomial_v "
             "shifted_chebyshev_polynomial_w sinc softmax spherical_bessel_j0 xlog1py xlogy zeta").split()
    assert sorted(torch.special.__all__) == sorted(names)
    assert all(callable(getattr(torch.special, n)) for n in names)


def test_softmax_family_signatures():
    x = torch.tensor([[1.0, 2.0, 3.0]])
    e = np.exp([1.0, 2.0, 3.0])
    assert_close(torch.special.softmax(x, 1), (e / e.sum())[None], "float32", (1e-6, 1e-7))
    assert_close(torch.special.log_softmax(x, -1, dtype=torch.float64), np.log(e / e.sum())[None],
                 "float64", (1e-6, 1e-7))
    assert_close(torch.special.logsumexp(x, (0, 1), keepdim=True), np.log(e.sum()).reshape(1, 1),
                 "float32", (1e-6, 1e-6))
    with pytest.raises(TypeError):
        torch.special.softmax(x)


def test_erfinv_of_long_float_arrays():
    # long contiguous float inputs take a polynomial approximation of their own
    x = np.random.default_rng(2).uniform(-1, 1, 100000).astype(np.float32)
    x[:8] = [0.0, -0.0, 1.0, -1.0, 1.5, np.nan, np.nextafter(np.float32(1), np.float32(0)), 1e-30]
    got = torch.erfinv(torch.tensor(x)).numpy()
    exp = sc.erfinv(x.astype(np.float64))
    np.testing.assert_allclose(got, exp, rtol=1e-6, atol=0, equal_nan=True)
    got_t = torch.special.erfinv(torch.tensor(x).reshape(100, 1000).t()).numpy()
    np.testing.assert_allclose(got_t, exp.reshape(100, 1000).T, rtol=1e-6, atol=0, equal_nan=True)


# the inputs that take their own paths: negative digamma arguments (the
# reflection formula), erfinv outside [-1, 1] and near +-1, gammaincc for
# x < 1.1 and negative arguments, high-degree polynomials inside (-1, 1)
def test_digamma_over_the_whole_line():
    rng = np.random.default_rng(5)
    x = np.concatenate([rng.uniform(-30, 30, 400), -np.arange(0.0, 6.0), [0.0, -0.0, np.inf, -np.inf, np.nan,
                        1e-300, -1e-300, 1.4616321, 1e30, -2.5, -1e10 - 0.5]])
    for dt in ("float64", "float32"):
        xd = x.astype(dt)
        want = sc.psi(xd.astype(np.float64))
        want[xd == -np.inf] = np.nan
        want[(xd == 0) & np.signbit(xd)] = np.inf
        for f in (torch.digamma, torch.special.psi, lambda t: torch.special.polygamma(0, t)):
            got = f(torch.tensor(xd)).numpy()
            assert got.dtype == xd.dtype
            np.testing.assert_allclose(got, want.astype(dt), rtol=1e-9 if dt == "float64" else 2e-6,
                                       atol=1e-12, equal_nan=True)


def test_trigamma_over_the_whole_line():
    # +inf at the poles (0 and the negative integers), NaN at -inf, 0 at +inf;
    # wide magnitudes in both dtypes (the float kernel and the double one)
    rng = np.random.default_rng(6)
    x = np.concatenate([rng.uniform(-30, 30, 400), np.exp(rng.uniform(-60, 60, 200)), -np.arange(0.0, 6.0),
                        [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-30, 1e-38, -2.5, -1e6 - 0.5, 5.9999, 6.0, 12.0]])
    for dt in ("float64", "float32"):
        xd = x.astype(dt)
        with np.errstate(all="ignore"):
            want = sc.polygamma(1, xd.astype(np.float64))
        want[(xd <= 0) & (xd == np.floor(xd))] = np.inf
        want[xd == -np.inf] = np.nan
        with np.errstate(over="ignore"):
            want = want.astype(dt)
        for f in (lambda t: torch.polygamma(1, t), lambda t: torch.special.polygamma(1, t)):
            got = f(torch.tensor(xd)).numpy()
            assert got.dtype == xd.dtype
            np.testing.assert_allclose(got, want, rtol=1e-13 if dt == "float64" else 1e-6, atol=0,
                                       equal_nan=True)


@pytest.mark.parametrize("name", ["i0", "i0e", "i1", "i1e"])
def test_modified_bessel_over_wide_ranges(name):
    # both sides of the kernels' switch from the power series to the
    # asymptotic series (|x| = 16 for float, 25 for double), up to where I0
    # and I1 overflow; NaN at +-inf for i0 / i1, 0 for the scaled forms
    f = getattr(torch.special, name)
    ref = getattr(sc, name)
    x = np.concatenate([np.linspace(-700, 700, 20001), np.linspace(-30, 30, 6001),
                        [0.0, -0.0, 15.999999, 16.000002, 24.999999, 25.000001, 1e-300]])
    for dt, rtol in (("float64", 1e-13), ("float32", 2e-7)):
        xd = x.astype(dt)
        with np.errstate(all="ignore"):
            want = ref(xd.astype(np.float64)).astype(dt)
        got = f(torch.tensor(xd)).numpy()
        assert got.dtype == xd.dtype
        np.testing.assert_allclose(got, want, rtol=rtol, atol=0)
        assert not np.signbit(got[xd == 0]).any()
    specials = f(torch.tensor([np.inf, -np.inf, np.nan], dtype=torch.float64)).numpy()
    expect = {"i0": [np.nan, np.nan], "i1": [np.nan, np.nan], "i0e": [0.0, 0.0], "i1e": [0.0, -0.0]}[name]
    np.testing.assert_array_equal(specials, expect + [np.nan])
    if name == "i1e":
        assert np.signbit(specials[1])


def test_erfinv_outside_and_at_the_ends_of_its_domain():
    rng = np.random.default_rng(6)
    x = np.concatenate([rng.uniform(-3, 3, 300), 1 - 10.0 ** -rng.uniform(1, 16, 100),
                        [1.0, -1.0, 0.0, -0.0, np.nan, np.inf, -np.inf, 1e-300, np.nextafter(1.0, 0)]])
    want = sc.erfinv(x)
    got = torch.special.erfinv(torch.tensor(x)).numpy()
    np.testing.assert_allclose(got, want, rtol=2e-15, atol=0, equal_nan=True)
    assert np.signbit(got[-6]) and not np.signbit(got[-7])
    xf = x.astype(np.float32)
    got = torch.erfinv(torch.tensor(xf)).numpy()
    np.testing.assert_allclose(got, sc.erfinv(xf.astype(np.float64)).astype(np.float32), rtol=1e-6,
                               atol=0, equal_nan=True)


@pytest.mark.parametrize("dtype,rtol", [("float64", 1e-13), ("float32", 2e-6)])
def test_gammaincc_for_small_and_negative_arguments(dtype, rtol):
    rng = np.random.default_rng(7)
    a = np.concatenate([rng.uniform(-1, 3, 400), rng.uniform(0, 1e-3, 50), [0, 0, 1, 2, np.inf, np.nan]])
    x = np.concatenate([rng.uniform(-0.5, 1.2, 400), rng.uniform(0, 1.2, 50), [0, 1, 0, 1e-30, 1, 0.5]])
    a, x = a.astype(dtype), x.astype(dtype)
    want = sc.gammaincc(a.astype(np.float64), x.astype(np.float64)).astype(dtype)
    np.testing.assert_allclose(torch.special.gammaincc(torch.tensor(a), torch.tensor(x)).numpy(), want,
                               rtol=rtol, atol=0, equal_nan=True)
    # broadcast operands
    got = torch.igammac(torch.tensor(a[:6]).reshape(6, 1), torch.tensor(x[:5])).numpy()
    np.testing.assert_allclose(got, sc.gammaincc(a[:6, None].astype(np.float64), x[:5].astype(np.float64)),
                               rtol=rtol, atol=0, equal_nan=True)


@pytest.mark.parametrize("name,ref", [
    ("chebyshev_polynomial_t", sc.eval_chebyt), ("chebyshev_polynomial_u", sc.eval_chebyu),
    ("chebyshev_polynomial_v", lambda n, x: sc.eval_chebyu(n, x) - sc.eval_chebyu(n - 1, x)),
    ("chebyshev_polynomial_w", lambda n, x: sc.eval_chebyu(n, x) + sc.eval_chebyu(n - 1, x)),
    ("legendre_polynomial_p", sc.eval_legendre), ("hermite_polynomial_he", sc.eval_hermitenorm)])
def test_polynomials_of_high_degree(name, ref):
    rng = np.random.default_rng(8)
    x = np.concatenate([rng.uniform(-1, 1, 60), [-1.0, 1.0, 0.0]])
    n = np.array([40.0, 65.0, 200.0])
    got = getattr(torch.special, name)(torch.tensor(x)[:, None], torch.tensor(n)).numpy()
    want = ref(n[None, :].astype(np.int64), x[:, None])
    np.testing.assert_allclose(got, want, rtol=1e-8, atol=1e-8 * np.abs(want).max())


# Dense float32 accuracy of the Bessel, Airy and K functions against
# scipy's values in double: within 2 ulp of the double value, plus an
# absolute 1e-10 (a few times the kernels' error near the functions' zeros,
# where ulps of the tiny values mean nothing). Each function's arguments
# cover the regions of its kernel (series, asymptotic forms, the borders
# between them) up to where scipy's double values are themselves exact
# enough.
def _grid(lo, hi, n=20001, log=False):
    rng = np.random.default_rng(7)
    if log:
        return np.exp(rng.uniform(np.log(lo), np.log(hi), n))
    return np.concatenate([np.linspace(lo, hi, n), rng.uniform(lo, hi, n)])


DENSE = [
    ("bessel_j0", sc.j0, _grid(-60.0, 60.0), 1e-10),
    ("bessel_j0", sc.j0, _grid(1e-3, 1e4, log=True), 1e-10),
    ("bessel_j1", sc.j1, _grid(-60.0, 60.0), 1e-10),
    ("bessel_j1", sc.j1, -_grid(1e-30, 1e4, log=True), 1e-10),
    ("bessel_y0", sc.y0, _grid(1e-30, 1e4, log=True), 1e-10),
    ("bessel_y0", sc.y0, _grid(0.0, 60.0), 1e-10),
    ("bessel_y1", sc.y1, _grid(1e-30, 1e4, log=True), 1e-10),
    ("bessel_y1", sc.y1, _grid(0.0, 60.0), 1e-10),
    ("airy_ai", lambda x: sc.airy(x)[0], _grid(-60.0, 40.0), 1e-10),
    ("airy_ai", lambda x: sc.airy(x)[0], -_grid(1e-3, 1e3, log=True), 1e-10),
    ("modified_bessel_k0", sc.k0, _grid(1e-30, 120.0, log=True), 0),
    ("modified_bessel_k1", sc.k1, _grid(1e-30, 120.0, log=True), 0),
    ("scaled_modified_bessel_k0", sc.k0e, _grid(1e-30, 1e30, log=True), 0),
    ("scaled_modified_bessel_k1", sc.k1e, _grid(0.0, 30.0), 0),
]


@pytest.mark.parametrize("name,ref,x,atol", DENSE, ids=[f"{d[0]}-{i}" for i, d in enumerate(DENSE)])
def test_dense_float32_accuracy(name, ref, x, atol):
    x = x.astype(np.float32)
    with np.errstate(all="ignore"):
        want = ref(x.astype(np.float64))
    got = getattr(torch.special, name)(torch.tensor(x)).numpy().astype(np.float64)
    fin = np.isfinite(want) & (np.abs(want) < np.finfo(np.float32).max)
    assert np.array_equal(np.isfinite(got[fin]), np.ones(fin.sum(), bool)) and \
        np.array_equal(np.isnan(got), np.isnan(want))
    ulp = np.spacing(np.abs(want[fin]).astype(np.float32)).astype(np.float64)
    err = np.abs(got[fin] - want[fin])
    assert np.all(err <= 2 * ulp + atol), (x[fin][np.argmax(err - 2 * ulp)], err.max())


def test_xlogy_edges_and_dense():
    a = torch.tensor([0.0, 0.0, 0.0, -0.0, 1.0, float("nan"), 2.0, 0.0, 3.0, 3.0])
    b = torch.tensor([0.0, float("nan"), -1.0, float("inf"), float("nan"), 1.0, -1.0, 2.0, 0.0,
                      float("inf")])
    r = torch.xlogy(a, b).numpy()
    np.testing.assert_array_equal(r, np.array([0, np.nan, 0, 0, np.nan, np.nan, np.nan, 0, -np.inf,
                                               np.inf], np.float32))
    rng = np.random.default_rng(3)
    for dt, tol in (("float32", 2e-7), ("float64", 4e-16)):
        x = rng.standard_normal(5000).astype(dt)
        y = np.exp(rng.uniform(-80, 80, 5000)).astype(dt)
        tiny, big = (1e-45, 3.4e38) if dt == "float32" else (5e-324, 1.7e308)
        y[:10] = np.array([tiny, 1.0, 2.0, 0.5, 1e-40, 1e-44, 7.0, 1e38, big, big / 3], dt)
        with np.errstate(all="ignore"):
            want = sc.xlogy(x.astype(np.float64), y.astype(np.float64))
        got = torch.special.xlogy(torch.tensor(x), torch.tensor(y)).numpy().astype(np.float64)
        np.testing.assert_allclose(got, want, rtol=tol, atol=0)
        # a python number and a one-element tensor on either side
        np.testing.assert_allclose(torch.xlogy(2.5, torch.tensor(y)).numpy(),
                                   sc.xlogy(2.5, y.astype(np.float64)), rtol=tol)
        np.testing.assert_allclose(torch.xlogy(torch.tensor(x), torch.tensor(y[:1])).numpy(),
                                   sc.xlogy(x.astype(np.float64), y[:1].astype(np.float64)),
                                   rtol=tol)


@pytest.mark.parametrize("name,ref", [("gammainc", sc.gammainc), ("gammaincc", sc.gammaincc)])
def test_dense_float32_incomplete_gamma(name, ref):
    # both forms (series below x = a + 1, continued fraction above), their
    # border, tiny a (Q = 1 - P loses digits there), a past the kernel's range
    rng = np.random.default_rng(11)
    n = 20000
    a = np.concatenate([np.exp(rng.uniform(np.log(1e-6), np.log(150), n)), rng.uniform(0.1, 5, n)])
    x = np.concatenate([np.exp(rng.uniform(np.log(1e-6), np.log(300), n)), rng.uniform(0, 8, n)])
    x[:500] = a[:500]
    x[500:1000] = a[500:1000] + 1
    a, x = a.astype(np.float32), x.astype(np.float32)
    want = ref(a.astype(np.float64), x.astype(np.float64))
    got = getattr(torch.special, name)(torch.tensor(a), torch.tensor(x)).numpy().astype(np.float64)
    ulp = np.spacing(want.astype(np.float32)).astype(np.float64)
    err = np.abs(got - want)
    assert np.all(err <= 2 * ulp + 1e-37), (a[np.argmax(err - 2 * ulp)], x[np.argmax(err - 2 * ulp)])


def test_ndtri_float32_over_its_domain():
    # the float kernel's central polynomial (|p - 1/2| <= 0.3), its three
    # tail pieces (down to the smallest denormal), and the ends
    rng = np.random.default_rng(9)
    p = np.concatenate([rng.uniform(0, 1, 3000), 10.0 ** -rng.uniform(0, 45, 3000),
                        1 - 10.0 ** -rng.uniform(0.7, 7.2, 1000),
                        [0.0, 1.0, 0.5, 0.2, 0.8, 1e-45, 0.19999999, 0.80000001, -0.5, 1.5, np.nan,
                         np.inf, -np.inf]]).astype(np.float32)
    with np.errstate(all="ignore"):
        want = sc.ndtri(p.astype(np.float64)).astype(np.float32)
    got = torch.special.ndtri(torch.tensor(p)).numpy()
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=1.2e-7, atol=0, equal_nan=True)
    # a strided input
    got_t = torch.special.ndtri(torch.tensor(p[:7000]).reshape(70, 100).t()).numpy()
    np.testing.assert_allclose(got_t, want[:7000].reshape(70, 100).T, rtol=1.2e-7, atol=0)


@pytest.mark.parametrize("p", [2, 3, 5, 10])
def test_multigammaln_fused_sum(p):
    # both sides of the Stirling switch (y = 8) and of the recurrence's
    # pieces, tiny y, huge x, and the values left to libm's lgamma (NaN,
    # +-inf, y <= 0): the sum of the lgamma terms
    rng = np.random.default_rng(10 + p)
    h = (p - 1) / 2
    x = np.concatenate([h + 10.0 ** rng.uniform(-20, 1.5, 1500), rng.uniform(h, h + 12, 1500),
                        10.0 ** rng.uniform(1, 200, 100),
                        [h + 8, h + 7.999999, h + 1, h + 2, h + 3, np.nan, np.inf, -np.inf, h, h - 0.25,
                         -3.0, 0.0]])
    with np.errstate(all="ignore"):
        want = sum(sc.gammaln(x - j / 2) for j in range(p)) + p * (p - 1) / 4 * np.log(np.pi)
    want[x == -np.inf] = np.inf
    for dt, rtol in (("float64", 2e-15), ("float32", 2e-7)):
        with np.errstate(over="ignore"):
            xd = x.astype(dt)
        if dt == "float32":
            with np.errstate(all="ignore"):
                wd = (sum(sc.gammaln(xd.astype(np.float64) - j / 2) for j in range(p)) +
                      p * (p - 1) / 4 * np.log(np.pi))
                wd[xd == -np.inf] = np.inf
                wd = wd.astype(dt)
        else:
            wd = want
        for f in (lambda t: torch.special.multigammaln(t, p), lambda t: torch.mvlgamma(t, p)):
            got = f(torch.tensor(xd)).numpy()
            assert got.dtype == xd.dtype
            np.testing.assert_allclose(got, wd, rtol=rtol, atol=0, equal_nan=True)


def test_gammaincc_float64_kernel_regions():
    # the double kernel's series (x < a + 1) and continued fraction, the
    # elements it leaves to scipy (x near a for a > 10, a > 20, results
    # 1 - s with s > 0.6, e^L near underflow), over a grid of blocks
    rng = np.random.default_rng(12)
    a = np.concatenate([rng.uniform(0.01, 12, 3000), 10.0 ** rng.uniform(-3, 2, 2000), [5.0, 25.0, 3.0]])
    x = np.concatenate([rng.uniform(0, 15, 3000), 10.0 ** rng.uniform(-3, 3.5, 2000), [800.0, 25.0, 0.0]])
    want = sc.gammaincc(a, x)
    got = torch.special.gammaincc(torch.tensor(a), torch.tensor(x)).numpy()
    ok = want > 1e-290
    np.testing.assert_allclose(got[ok], want[ok], rtol=5e-13, atol=0)
    np.testing.assert_allclose(got[~ok], want[~ok], rtol=0, atol=1e-290)
