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


@pytest.mark.parametrize("dt", ["float32", "float64"])
def test_spherical_bessel_j0_whole_range(dt):
    # the vector pass below the fast sine's limit, the second pass above it
    # (large arguments, the infinities, NaN), in every layout
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.standard_normal(300) * 3, rng.standard_normal(50) * 1e5,
                        [0.0, -0.0, 1e-30, 1e30, -5e3, 1e10, np.inf, -np.inf, np.nan]]).astype(dt)
    want = sc.spherical_jn(0, x.astype(np.float64))
    want[np.isinf(x)] = 0.0
    tol = (2e-6, 1e-7) if dt == "float32" else (1e-13, 1e-15)
    got = torch.special.spherical_bessel_j0(torch.from_numpy(x))
    assert_close(got, want, dt, tol)
    strided = torch.from_numpy(x.reshape(-1, 1)).expand(-1, 2).t()[1]
    assert_close(torch.special.spherical_bessel_j0(strided), want, dt, tol)


def test_polygamma_orders():
    x = np.array([0.5, 1.0, 3.5])
    for n in range(4):
        assert_close(torch.polygamma(n, torch.tensor(x)), sc.polygamma(n, x), "float64", (1e-13, 1e-13))
        assert_close(torch.tensor(x).polygamma(n), sc.polygamma(n, x), "float64", (1e-13, 1e-13))
    t = torch.tensor(x)
    assert t.polygamma_(1) is t
    assert_close(t, sc.polygamma(1, x), "float64", (1e-13, 1e-13))


@pytest.mark.parametrize("n", [2, 3, 7, 30])
def test_polygamma_higher_orders_over_blocks(n):
    # n >= 2: (-1)^(n+1) n! zeta(n + 1, x), PyTorch's formula, by the own
    # zeta kernel; negative x (not poles) too
    import math
    rng = np.random.default_rng(n)
    x = np.concatenate([rng.uniform(0.01, 30, 5000), rng.uniform(-6, 0, 2000)])
    x = x[np.abs(x - np.round(x)) > 1e-3]
    want = (1.0 if n % 2 else -1.0) * math.factorial(n) * sc.zeta(n + 1, x)
    for dt, rtol in (("float64", 1e-11), ("float32", 2e-5)):
        xt = x.astype(dt)
        w = (1.0 if n % 2 else -1.0) * math.factorial(n) * sc.zeta(n + 1, xt.astype(np.float64))
        got = torch.polygamma(n, torch.from_numpy(xt)).numpy()
        assert got.dtype == np.dtype(dt)
        with np.errstate(over="ignore"):
            fin = np.isfinite(w.astype(dt))
        np.testing.assert_allclose(got[fin], w[fin].astype(dt), rtol=rtol, atol=0)
        assert np.array_equal(torch.special.polygamma(n, torch.from_numpy(xt)).numpy(), got, equal_nan=True)
    assert np.isfinite(want).any()


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
    # asymptotic series (|x| = 16 for float, 25 for double; float's scaled
    # forms switch fits at 4), up to where I0 and I1 overflow; NaN at +-inf
    # for i0 / i1, 0 for the scaled forms
    f = getattr(torch.special, name)
    ref = getattr(sc, name)
    x = np.concatenate([np.linspace(-700, 700, 20001), np.linspace(-30, 30, 6001),
                        [0.0, -0.0, 15.999999, 16.000002, 24.999999, 25.000001, 1e-300,
                         3.9999998, 4.0, 4.0000005, -4.0000005, 1e30, -1e30]])
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


@pytest.mark.parametrize("name", ["i0", "i0e", "i1", "i1e"])
def test_modified_bessel_blocks_of_mixed_sides(name):
    # blocks with a few elements on one side of the kernels' switch from the
    # power series to the asymptotic one (|x| = 16 for float, 25 for
    # double) take the other side's form for all and the few gathered: the
    # same values as blocks all on one side, and scipy's to rounding
    f = getattr(torch.special, name)
    rng = np.random.default_rng(13)
    for dt, cut, rtol in (("float32", 16.0, 2e-7), ("float64", 25.0, 1e-13)):
        for frac in (0.02, 0.2, 0.5, 0.8, 0.98):
            n = 4096
            small = rng.random(n) < frac
            x = np.where(small, rng.uniform(-cut, cut, n),
                         np.sign(rng.uniform(-1, 1, n)) * rng.uniform(cut * 1.0001, 600, n)).astype(dt)
            x[rng.integers(0, n, 5)] = np.nan
            x[rng.integers(0, n, 3)] = np.inf
            got = f(torch.tensor(x)).numpy()
            alone = np.empty_like(x)
            sm = np.abs(x) <= cut
            alone[sm] = f(torch.tensor(x[sm])).numpy()
            alone[~sm] = f(torch.tensor(x[~sm])).numpy()
            np.testing.assert_array_equal(got, alone)
            with np.errstate(all="ignore"):
                want = getattr(sc, name)(x.astype(np.float64)).astype(dt)
            fin = np.isfinite(x)
            np.testing.assert_allclose(got[fin], want[fin], rtol=rtol, atol=0)


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


# float64 J0, J1, Y0, Y1 (ctorch's own kernels): values of mpmath's Bessel
# functions at 40 digits, rounded to double: (x, J0, J1, Y0, Y1). Points at
# and near the zeros, both sides of the kernels' switch at x = 8 and of the
# end of their argument reduction at 2^27, and huge arguments.
BESSEL_REF = [
    (1e-300, 1.0, 5e-301, -439.8351636227653, -6.366197723675813e+299),
    (1e-20, 1.0, 5e-21, -29.391228250285796, -6.3661977236758135e+19),
    (1e-05, 0.999999999975, 4.9999999999375e-06, -7.40316028370197, -63661.97727536548),
    (0.125, 0.9960975630419852, 0.062378009134494684, -1.3896806251438405, -5.199936112534775),
    (0.5, 0.9384698072408129, 0.2422684576748739, -0.44451873350670656, -1.471472392670243),
    (0.8935769662791675, 0.8101238593535642, 0.4036537406955804, -2.3389279284062102e-17, -0.8794208024971948),
    (1.0, 0.7651976865579666, 0.4400505857449335, 0.08825696421567696, -0.7812128213002887),
    (2.197141326031017, 0.11195216419049153, 0.5563684384218895, 0.5207864124022675, 2.513306678922122e-17),
    (2.404825557695773, -6.10876525973673e-17, 0.5191474972894667, 0.509924383448479, 0.1027466824382596),
    (3.0, -0.26005195490193345, 0.3390589585259365, 0.3768500100127904, 0.3246744247918),
    (3.8317059702075125, -0.402759395702553, -6.149807356994906e-17, 0.0513976730994109, 0.41251739515882574),
    (3.957678419314858, -0.39960203885530415, -0.04979717456730435, -4.3331064642935194e-17, 0.40254267177502423),
    (5.0, -0.1775967713143383, -0.32757913759146523, -0.30851762524903376, 0.14786314339122683),
    (5.520078110286311, -2.7522649432621832e-17, -0.34026480655836816, -0.3389361307570227, -0.030470321908810286),
    (6.5, 0.2600946055816064, -0.15384130140997185, -0.17324243491898234, -0.27409127395927546),
    (7.015586669815619, 0.30011575252613254, 2.825339409478929e-17, -0.021234455161704944, -0.30236208914434987),
    (7.999999999999999, 0.17165080713755412, 0.2346363468539145, 0.22352148938756608, -0.15806046173124771),
    (8.0, 0.1716508071375539, 0.23463634685391463, 0.22352148938756622, -0.1580604617312475),
    (8.000000000000002, 0.17165080713755348, 0.23463634685391488, 0.2235214893875665, -0.15806046173124705),
    (8.653727912911013, -7.948465570525162e-17, 0.27145229992838193, 0.2710087800098352, 0.01560829004962948),
    (10.5, -0.23664819446234714, -0.07885001422733148, -0.0675303724978764, 0.2337042283572686),
    (25.0, 0.09626678327595811, -0.1253502495802899, -0.12724943226800614, -0.09882996478323741),
    (100.0, 0.019985850304223122, -0.07714535201411216, -0.07724431336508315, -0.020372312002759792),
    (1234.5678, -0.014753414749701852, 0.0172566671251149, 0.01726264084184731, 0.01476040732863272),
    (9999.0, -0.0007645874860391963, 0.007942489709812626, 0.007942527933080007, 0.000764984653107394),
    (123456.789, -0.0015205971298614324, -0.001686542423004578, -0.0016865362645723143, 0.0015205902994019696),
    (30000000.0, 7.19707018937551e-05, 0.0001266525856494139, 0.0001266525844499022, -7.19706997828787e-05),
    (134217727.9, -1.2544468447862576e-05, -6.771870675702341e-05, -6.771870671029162e-05, 1.2544468195590735e-05),
    (134217728.0, -5.7212089019809e-06, -6.863275235079403e-05, -6.863275232948086e-05, 5.721208646303974e-06),
    (250000000.0, -3.0178519866993026e-05, -4.044423361852739e-05, -4.044423355817035e-05, 3.017851978610456e-05),
    (1000000000000000.0, 6.156638646885021e-09, 2.4468665123771328e-08, 2.4468665123771324e-08, -6.15663864688501e-09),
    (1e+22, -1.8561051065108217e-12, -7.759951744073064e-12, -7.759951744073064e-12, 1.8561051065108217e-12),
    (6.02e+23, -4.017554254542105e-13, -9.466258530375165e-13, -9.466258530375165e-13, 4.017554254542105e-13),
    (1e+100, 3.069679402196795e-51, -7.364716260962595e-51, -7.364716260962595e-51, -3.069679402196795e-51),
    (1e+300, -7.860673062724093e-151, -1.3681360450342481e-151, -1.3681360450342481e-151, 7.860673062724093e-151),
    (1.7976931348623157e+308, -4.186986849585373e-155, 4.228745848829995e-155, 4.228745848829995e-155, 4.186986849585373e-155),
]


BESSEL_NAMES = ("bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1")


def _bessel_scale(x, want):
    """The scale errors are measured on: |f(x)|, but near the zeros (x >=
    0.5) at least the amplitude sqrt(2 / (pi x)) of the oscillation."""
    x = np.abs(x)
    env = np.where(x >= 0.5, np.sqrt(2 / np.pi) / np.sqrt(np.maximum(x, 0.5)), 0.0)
    return np.maximum(np.abs(want), env)


@pytest.mark.parametrize("k,name", list(enumerate(BESSEL_NAMES)))
def test_bessel_float64_against_mpmath_values(k, name):
    ref = np.array(BESSEL_REF)
    x, want = ref[:, 0], ref[:, k + 1]
    got = getattr(torch.special, name)(torch.tensor(x)).numpy()
    err = np.abs(got - want) / _bessel_scale(x, want)
    assert err.max() <= 8 * 2.0 ** -52, (x[np.argmax(err)], err.max() / 2.0 ** -52)
    if name in ("bessel_j0", "bessel_j1"):
        # J0 is even, J1 odd (bit for bit)
        neg = getattr(torch.special, name)(torch.tensor(-x)).numpy()
        np.testing.assert_array_equal(neg, got if name == "bessel_j0" else -got)


@pytest.mark.parametrize("name", BESSEL_NAMES)
def test_bessel_float64_dense_against_scipy(name):
    # dense over the kernels' regions; scipy's own error grows with x (about
    # x ulp of the amplitude, from its rounding of x - pi/4), hence the
    # tolerance's second term
    rng = np.random.default_rng(12)
    x = np.concatenate([np.linspace(0, 60, 60001), rng.uniform(7.9, 8.1, 5000),
                        np.exp(rng.uniform(np.log(1e-300), np.log(1e4), 20000)),
                        rng.uniform(0, 2.0 ** 27, 2000), [8.0, np.nextafter(8.0, 0)]])
    if name in ("bessel_j0", "bessel_j1"):
        x = np.concatenate([x, -x[::7]])
    want = getattr(sc, name[-2:])(x)
    got = getattr(torch.special, name)(torch.tensor(x)).numpy()
    fin = np.isfinite(want)
    assert np.array_equal(np.isfinite(got), fin)
    env = np.where(np.abs(x) >= 0.5, np.sqrt(2 / np.pi) / np.sqrt(np.maximum(np.abs(x), 0.5)), 0.0)
    tol = 2.0 ** -52 * (32 * _bessel_scale(x, want) + np.abs(x) * env)
    err = np.abs(got[fin] - want[fin])
    assert np.all(err <= tol[fin]), (x[fin][np.argmax(err / tol[fin])])


def test_bessel_float64_special_values_and_layouts():
    x = torch.tensor([0.0, -0.0, -1.5, -9.0, float("inf"), -float("inf"), float("nan"), 5e-324,
                      4e-309, 1e-300], dtype=torch.float64)
    j0, j1, y0, y1 = (getattr(torch.special, n)(x).numpy() for n in BESSEL_NAMES)
    nan, inf = np.nan, np.inf
    pos = torch.tensor([1.5, 9.0], dtype=torch.float64)
    pj0, pj1 = torch.special.bessel_j0(pos).numpy(), torch.special.bessel_j1(pos).numpy()
    np.testing.assert_array_equal(j0[:7], [1.0, 1.0, pj0[0], pj0[1], nan, nan, nan])
    np.testing.assert_array_equal(j0[7:], [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(j1[:7], [0.0, -0.0, -pj1[0], -pj1[1], nan, nan, nan])
    assert np.signbit(j1[1]) and not np.signbit(j1[0])
    np.testing.assert_allclose(j1[7:], [5e-324 / 2, 4e-309 / 2, 5e-301], rtol=1e-15, atol=0)
    np.testing.assert_array_equal(y0[:7], [-inf, -inf, nan, nan, nan, nan, nan])
    np.testing.assert_allclose(y0[7:], sc.y0(x.numpy()[7:]), rtol=2e-15)
    np.testing.assert_array_equal(y1[:7], [-inf, -inf, nan, nan, nan, nan, nan])
    assert y1[7] == -inf        # -2 / (pi x) overflows
    # -2 / (pi x) (finite at x = 4e-309, where 1 / x overflows)
    np.testing.assert_allclose(y1[8:], -(2 / np.pi) / x.numpy()[8:], rtol=2e-15)
    # strided and transposed inputs get the contiguous kernel's values; empty and 0-d
    rng = np.random.default_rng(13)
    a = torch.tensor(np.exp(rng.uniform(-5, 12, (64, 50))))
    for name in BESSEL_NAMES:
        f = getattr(torch.special, name)
        full = f(a).numpy()
        np.testing.assert_array_equal(f(a[:, ::3]).numpy(), full[:, ::3])
        np.testing.assert_array_equal(f(a.t()).numpy(), full.T)
        assert f(torch.tensor([], dtype=torch.float64)).shape == (0,)
        r0 = f(torch.tensor(3.0, dtype=torch.float64))
        assert r0.shape == () and r0.item() == f(torch.tensor([3.0], dtype=torch.float64)).item()
        out = torch.empty(64, 50, dtype=torch.float64)
        f(a, out=out)
        np.testing.assert_array_equal(out.numpy(), full)


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


def test_xlog1py_edges_and_dense():
    a = torch.tensor([0.0, 0.0, 0.0, -0.0, 1.0, float("nan"), 2.0, 0.0, 3.0, 3.0, 2.0])
    b = torch.tensor([0.0, float("nan"), -1.0, float("inf"), float("nan"), 1.0, -2.0, 2.0, -1.0,
                      float("inf"), -0.0])
    r = torch.special.xlog1py(a, b).numpy()
    np.testing.assert_array_equal(r, np.array([0, np.nan, 0, 0, np.nan, np.nan, np.nan, 0, -np.inf,
                                               np.inf, -0.0], np.float32))
    rng = np.random.default_rng(4)
    for dt, tol in (("float32", 2.5e-7), ("float64", 4e-16)):
        x = rng.standard_normal(5000).astype(dt)
        y = (np.exp(rng.uniform(-80, 80, 5000)) * rng.choice([-1, 1], 5000)).astype(dt)
        y = np.where(y < -1, -1 / y, y).astype(dt)          # (-1, 0) and (0, big)
        y[:6] = np.array([-0.5, -1e-30, 1e-30, 0.4142, -0.2929, 3.0], dt)
        with np.errstate(all="ignore"):
            want = sc.xlog1py(x.astype(np.float64), y.astype(np.float64))
        got = torch.special.xlog1py(torch.tensor(x), torch.tensor(y)).numpy().astype(np.float64)
        np.testing.assert_allclose(got, want, rtol=tol, atol=0)
        np.testing.assert_allclose(torch.special.xlog1py(2.5, torch.tensor(y)).numpy(),
                                   sc.xlog1py(2.5, y.astype(np.float64)), rtol=tol)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_incomplete_gamma_outside_the_domain(dtype):
    # a or x negative (not -0) or NaN: NaN, scattered among ordinary elements
    # in every block
    rng = np.random.default_rng(11)
    a = (rng.standard_normal(3000) * 3).astype(dtype)
    x = (rng.standard_normal(3000) * 3).astype(dtype)
    a[::5], x[1::7], a[2::11], x[3::13] = np.nan, np.nan, -0.0, -0.0
    for f, ref in ((torch.igamma, sc.gammainc), (torch.igammac, sc.gammaincc)):
        got = f(torch.from_numpy(a), torch.from_numpy(x)).numpy()
        want = ref(a.astype(np.float64), x.astype(np.float64))
        assert np.array_equal(np.isnan(got), np.isnan(want))
        np.testing.assert_allclose(got, want, rtol=2e-6 if dtype == "float32" else 1e-13,
                                   atol=1e-30, equal_nan=True)


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


def test_ndtri_float64_over_its_domain():
    # the central polynomial, the float64 kernel's four tail pieces (t =
    # sqrt(-log min(p, 1 - p)) in [1.26, 3], [3, 6], [6, 12], [12, 27.3]:
    # down to the smallest denormal), both sides of the central test and
    # of each piece's ends, the ends of [0, 1] and the values outside
    rng = np.random.default_rng(11)
    ends = np.exp(-np.array([3.0, 6.0, 12.0]) ** 2)
    p = np.concatenate([rng.uniform(0, 1, 4000), 10.0 ** -rng.uniform(0, 323.6, 4000),
                        1 - 10.0 ** -rng.uniform(0.7, 16, 2000),
                        ends * (1 + 1e-12), ends * (1 - 1e-12),
                        [0.0, 1.0, 0.5, 0.2, 0.8, np.nextafter(0.2, 0), np.nextafter(0.2, 1),
                         np.nextafter(0.8, 0), np.nextafter(0.8, 1), 5e-324, 1e-310, 2.2250738585072014e-308,
                         -0.5, 1.5, -5e-324, np.nextafter(1, 2), np.nan, np.inf, -np.inf]])
    with np.errstate(all="ignore"):
        want = sc.ndtri(p)
    got = torch.special.ndtri(torch.tensor(p)).numpy()
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, want, rtol=2e-15, atol=0, equal_nan=True)
    # a strided input takes the same kernel: the same values
    got_t = torch.special.ndtri(torch.tensor(p[:6000]).reshape(60, 100).t()).numpy()
    np.testing.assert_array_equal(got_t, got[:6000].reshape(60, 100).T)


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


# Ai at double inputs across the float64 kernel's regions (power series on
# [-2, 1], modulus and phase for x < -2 with their two fits meeting at -4,
# the scaled form for x > 1 with its fits meeting at 2, the scalar pass past
# -3e5), from 60-digit values (mpmath): (x, Ai(x), envelope), the envelope
# (Ai^2 + Bi^2)^(1/2) for x < 0 and |Ai| for x >= 0, the scale of the error.
_AIRY_REF = [
    (-10000000.0, 0.005418514944210602, 0.010032867197814096),
    (-300001.0, -0.023280343881290525, 0.02410706773020788),
    (-299999.0, 0.007980939463595169, 0.02410710790868758),
    (-12345.678, 0.011457890743303643, 0.0535237245818173),
    (-200.0, 0.14889394248381024, 0.15002635589895622),
    (-50.5, 0.20218238767504867, 0.21164204812404547),
    (-10.0, 0.04024123848644319, 0.3172424190734872),
    (-4.000000001, -0.07026553215866087, 0.39847874405308076),
    (-3.999999999, -0.07026553373991816, 0.3984787441022261),
    (-3.0, -0.37881429367765806, 0.4275734381628622),
    (-2.000000001, 0.2274074275834265, 0.4708583251738797),
    (-1.999999999, 0.22740742881994463, 0.4708583252828243),
    (-1.0, 0.5355608832923521, 0.5455647685977015),
    (-0.0, 0.3550280538878172, 0.3550280538878172),
    (0.5, 0.23169360648083348, 0.23169360648083348),
    (0.999999999, 0.13529241647202886, 0.13529241647202886),
    (1.000000001, 0.13529241615373397, 0.13529241615373397),
    (1.5, 0.07174949700810541, 0.07174949700810541),
    (1.999999999, 0.034924130476364765, 0.034924130476364765),
    (2.000000001, 0.03492413037018399, 0.03492413037018399),
    (5.0, 0.00010834442813607442, 0.00010834442813607442),
    (10.0, 1.1047532552898686e-10, 1.1047532552898686e-10),
    (50.0, 4.5849417240748285e-104, 4.5849417240748285e-104),
    (100.0, 2.6344821520881846e-291, 2.6344821520881846e-291),
    (103.8, 5.723435795366651e-308, 5.723435795366651e-308),
]


def test_airy_ai_float64_reference_values():
    x = np.array([r[0] for r in _AIRY_REF])
    want = np.array([r[1] for r in _AIRY_REF])
    env = np.array([r[2] for r in _AIRY_REF])
    got = torch.special.airy_ai(torch.tensor(x)).numpy()
    assert np.all(np.abs(got - want) <= 2e-15 * env), np.abs(got - want) / env


def test_airy_ai_float64_dense():
    # against scipy, whose own error grows as zeta = 2/3 |x|^(3/2) times a
    # few double epsilons (both axes), relative to the envelope as above, and
    # reaches 3e-14 on its power series' cancellation up to x = 2.09
    rng = np.random.default_rng(21)
    parts = [np.linspace(lo, hi, 20001) for lo, hi in ((-60, -4.5), (-4.5, -1.5), (-2.5, 2.5),
                                                       (0.5, 3), (3, 100))]
    x = np.concatenate(parts + [rng.uniform(-60, 100, 40000), [-4.0, -2.0, 1.0, 2.0]])
    ai, _, bi, _ = sc.airy(x)
    env = np.where(x < 0, np.hypot(ai, bi), np.abs(ai))
    zeta = 2 / 3 * np.abs(x) ** 1.5
    got = torch.special.airy_ai(torch.tensor(x)).numpy()
    err = np.abs(got - ai) / env
    tol = np.where((x > 1) & (x < 2.1), 4e-14, 4e-15) + np.where(x < 0, 1.5e-15, 5e-16) * zeta
    assert np.all(err <= tol), (x[np.argmax(err / tol)], (err / tol).max())
    # a transposed (non-contiguous) input gives the same values
    m = torch.tensor(x[:40000].reshape(200, 200)).t()
    np.testing.assert_allclose(torch.special.airy_ai(m).numpy(), got[:40000].reshape(200, 200).T,
                               rtol=1e-14, atol=1e-15)


def test_airy_ai_float64_special_values():
    x = torch.tensor([float("nan"), float("inf"), -float("inf"), -0.0, 0.0, 103.89, 103.9, 1e10,
                      1.7e308, -1e300, -1.7e308, -1e200], dtype=torch.float64)
    got = torch.special.airy_ai(x).numpy()
    ai0 = 0.3550280538878172
    assert np.isnan(got[:3]).all() and got[3] == ai0 and got[4] == ai0
    assert 0 < got[5] < 1e-307 and (got[6:9] == 0).all()
    assert np.isnan(got[9:11]).all() and np.isfinite(got[11]) and abs(got[11]) < 1e-49
    assert torch.special.airy_ai(torch.empty(0, dtype=torch.float64)).shape == (0,)


# Hurwitz zeta at double inputs over the kernel's forms (vector passes for
# 1 < x <= 40, the scalar pass above, q < 0 with integer x, tiny and huge q),
# from 400-digit values (mpmath): (x, q, zeta(x, q)).
_ZETA_REF = [
    (1.5, 0.5, 4.776537947554833),
    (1.0000000001, 1.0, 9999999173.173574),
    (2.0, 1.0, 1.6449340668482264),
    (3.0, 1.0, 1.2020569031595942),
    (9.0, 0.5, 512.026288734128),
    (9.0, 9.0, 4.4048483516226314e-09),
    (1.5, 9.0, 0.6856986689786074),
    (40.0, 40.0, 1.3297096581034464e-64),
    (40.0, 0.5, 1099511627776.0),
    (39.9, 26.0, 4.503552700145435e-57),
    (45.0, 20.0, 3.2036892460930372e-59),
    (100.0, 3.0, 1.940325217483255e-48),
    (2.0, 10000000000.0, 1.00000000005e-10),
    (1.1, 1e-05, 316238.35044814093),
    (1.01, 1e-300, 1.0000000000000061e+303),
    (2.0, 1e+300, 1e-300),
    (60.0, 0.7, 1968419230.1176074),
    (41.0, 30.0, 3.7295214154668346e-61),
    (7.25, 13.75, 1.5333236392535894e-08),
    (25.0, 1.0, 1.0000000298035034),
    (3.0, -2.5, 0.0541020258208637),
    (4.0, -7.25, 259.75686586723407),
]


def test_zeta_float64_reference_values():
    x = np.array([r[0] for r in _ZETA_REF])
    q = np.array([r[1] for r in _ZETA_REF])
    want = np.array([r[2] for r in _ZETA_REF])
    got = torch.special.zeta(torch.tensor(x), torch.tensor(q)).numpy()
    # q < 0 sums terms of both signs (cancellation, as PyTorch's sum)
    rtol = np.where(q < 0, 2e-14, 2e-15)
    assert np.all(np.abs(got - want) <= rtol * np.abs(want)), np.abs(got - want) / np.abs(want)


def test_zeta_dense():
    rng = np.random.default_rng(22)
    n = 30000
    x = np.concatenate([rng.uniform(1, 40, n), 1 + 10.0 ** rng.uniform(-12, 0, n),
                        rng.uniform(1.5, 9, n)])
    q = np.concatenate([10.0 ** rng.uniform(-3, 4, n), 10.0 ** rng.uniform(-2, 8, n),
                        rng.uniform(0.5, 9, n)])
    want = sc.zeta(x, q)
    got = torch.special.zeta(torch.tensor(x), torch.tensor(q)).numpy()
    np.testing.assert_allclose(got, want, rtol=5e-15, atol=0)
    # float32: the double value rounded once
    x32, q32 = x.astype(np.float32), q.astype(np.float32)
    want32 = sc.zeta(x32.astype(np.float64), q32.astype(np.float64))
    got32 = torch.special.zeta(torch.tensor(x32), torch.tensor(q32)).numpy()
    assert got32.dtype == np.float32
    fin = (np.abs(want32) < 3e38) & (np.abs(want32) > 1.2e-38)
    np.testing.assert_allclose(got32[fin], want32[fin], rtol=1.2e-7, atol=0)


def test_zeta_operand_forms():
    rng = np.random.default_rng(23)
    xs = rng.uniform(1.2, 12, (3, 1))
    qs = rng.uniform(0.1, 30, (1, 5))
    for dt, tol in (("float64", 5e-15), ("float32", 1.2e-7)):
        x, q = xs.astype(dt), qs.astype(dt)
        want = sc.zeta(x.astype(np.float64), q.astype(np.float64))
        tx, tq = torch.tensor(x), torch.tensor(q)
        np.testing.assert_allclose(torch.special.zeta(tx, tq).numpy(), want, rtol=tol)
        # non-contiguous operands, broadcast by expand
        big = torch.tensor(np.repeat(x, 5, axis=1).T.copy()).t()
        np.testing.assert_allclose(torch.special.zeta(big, tq).numpy(), want, rtol=tol)
        # a python number or a one-element tensor on either side
        np.testing.assert_allclose(torch.special.zeta(2.5, tq).numpy(),
                                   sc.zeta(2.5, q.astype(np.float64)), rtol=tol)
        np.testing.assert_allclose(torch.special.zeta(tx, 3).numpy(),
                                   sc.zeta(x.astype(np.float64), 3.0), rtol=tol)
        np.testing.assert_allclose(torch.special.zeta(tx, tq[:, :1]).numpy(), want[:, :1],
                                   rtol=tol)
    # integer operands give the default dtype
    r = torch.special.zeta(torch.tensor([2, 3]), torch.tensor([1, 2]))
    assert r.dtype == torch.float32
    np.testing.assert_allclose(r.numpy(), sc.zeta([2.0, 3.0], [1.0, 2.0]), rtol=1e-7)


def test_zeta_special_values():
    inf, nan = float("inf"), float("nan")
    # (x, q, PyTorch's value)
    cases = [
        (1.0, nan, inf), (1.0, -1.5, inf), (1.0, 2.0, inf), (0.5, 2.0, nan), (-inf, 2.0, nan),
        (0.0, 1.0, nan), (nan, 0.0, inf), (nan, -1.0, inf), (nan, -1.5, nan), (nan, 2.0, nan),
        (2.0, 0.0, inf), (2.0, -0.0, inf), (2.0, -3.0, inf), (2.0, -inf, inf), (2.5, -1.5, nan),
        (2.0, nan, nan), (2.0, inf, nan), (inf, 0.5, inf), (inf, 1.0, 1.0), (inf, 2.0, nan),
        (inf, -1.5, inf), (inf, nan, nan), (inf, inf, nan), (1e10, 2.0, 0.0), (1e10, 1.0, 1.0),
        (1e10, 0.5, inf), (2.0, 5e-324, inf), (41.0, 1e-310, inf), (2.0, 1e-160, inf),
        (1000.0, 1e10, 0.0), (2.0, -1.5, 9.379246644989124),
    ]
    x = torch.tensor([c[0] for c in cases], dtype=torch.float64)
    q = torch.tensor([c[1] for c in cases], dtype=torch.float64)
    want = np.array([c[2] for c in cases])
    for dt in (torch.float64, torch.float32):
        got = torch.special.zeta(x.to(dt), q.to(dt)).numpy().astype(np.float64)
        np.testing.assert_allclose(got, want.astype(got.dtype), rtol=1e-6 if dt is torch.float32
                                   else 1e-15, equal_nan=True)


OUT_FNS = [("erfc", lambda t, **k: torch.erfc(t, **k)), ("digamma", lambda t, **k: torch.digamma(t, **k)),
           ("lgamma", lambda t, **k: torch.lgamma(t, **k)), ("ndtr", lambda t, **k: torch.special.ndtr(t, **k)),
           ("mvlgamma3", lambda t, **k: torch.mvlgamma(t, 3, **k)), ("i0", lambda t, **k: torch.i0(t, **k))]


@pytest.mark.parametrize("name,f", OUT_FNS, ids=[n for n, _ in OUT_FNS])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_out_written_directly_and_in_place(name, f, dtype):
    # an out= of the result's dtype and shape is written by the kernel itself:
    # the same values as without out=, out returned with its version bumped;
    # out= the input itself (read after the first write by mvlgamma's terms)
    # and a view of the input shifted by one (PyTorch's overlap error)
    x = torch.tensor(np.random.default_rng(1).uniform(1.5, 6.0, 1000).astype(dtype))
    want = f(x).numpy()
    out = torch.empty(1000, dtype=getattr(torch, dtype))
    v = out._version
    assert f(x, out=out) is out
    assert out._version > v
    np.testing.assert_array_equal(out.numpy(), want)
    y = x.clone()
    assert f(y, out=y) is y
    np.testing.assert_array_equal(y.numpy(), want)
    z = torch.tensor(np.concatenate([x.numpy(), [2.0]]).astype(dtype))
    with pytest.raises(RuntimeError, match="refer to a single memory location"):
        f(z[:1000], out=z[1:])
    with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
        f(x.clone().requires_grad_(True), out=out)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name,ev,shift", [
    ("chebyshev_polynomial_t", sc.eval_chebyt, False), ("chebyshev_polynomial_u", sc.eval_chebyu, False),
    ("shifted_chebyshev_polynomial_t", sc.eval_chebyt, True), ("hermite_polynomial_h", sc.eval_hermite, False),
    ("hermite_polynomial_he", sc.eval_hermitenorm, False), ("laguerre_polynomial_l", sc.eval_laguerre, False),
    ("legendre_polynomial_p", sc.eval_legendre, False)])
def test_polynomials_with_a_degree_per_element(dtype, name, ev, shift):
    # a tensor of degrees: blocks of mixed degrees (each element's value at
    # its own step of the block's recurrence), a block reaching past the
    # trigonometric forms' degree, negative and fractional degrees, NaN
    # inputs; threaded from 16384 elements on
    rng = np.random.default_rng(5)
    n = rng.integers(-2, 30, size=40000).astype(np.float64)
    n[1000:1010] = 70.0
    n[5:9] = [2.5, -0.5, 0.0, 1.0]
    x = rng.uniform(-0.99, 0.99, size=n.size)
    if shift:
        x = (x + 1) / 2
    x[7777] = np.nan
    got = getattr(torch.special, name)(torch.tensor(x.astype(dtype)), torch.tensor(n.astype(dtype))).numpy()
    xv = x.astype(dtype).astype(np.float64)
    k = np.trunc(n)
    want = np.where(k < 0, 0.0, ev(np.maximum(k, 0).astype(np.int64), 2 * xv - 1 if shift else xv))
    want[7777] = np.nan if k[7777] > 0 else want[7777]
    tol = 1e-5 if dtype == "float32" else 1e-9
    with np.errstate(over="ignore"):     # degree 70 of H past float32's range: inf on both sides
        want = want.astype(dtype)
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol)
