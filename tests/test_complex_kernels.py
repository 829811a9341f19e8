"""The complex loops on real / imaginary pairs (multiply, square, divide,
reciprocal, conj, nan_to_num) and the complex reductions (sum, mean, prod,
var, std) against independent oracles: numpy's real arithmetic on the parts
(each product rounded: PyTorch's multiplication), Smith's scaled division
with fused multiply-adds evaluated exactly in fractions (PyTorch's division),
numpy's complex128 sums / products / variances. Every layout the loops
distinguish: dense, one operand a single value (either side), strided,
broadcast, in place, the vector tails (sizes 1..70, 1000, odd sizes)."""
from fractions import Fraction

import numpy as np
import pytest

import ctorch as torch

CPLX = ("complex64", "complex128")
REAL = {"complex64": np.float32, "complex128": np.float64}
SIZES = list(range(1, 71)) + [127, 1000, 1001]


def crand(n, dt, seed=0, spread=0.0):
    rng = np.random.default_rng(seed)
    re = rng.standard_normal(n) * np.exp(rng.uniform(-spread, spread, n))
    im = rng.standard_normal(n) * np.exp(rng.uniform(-spread, spread, n))
    return (re + 1j * im).astype(dt)


def specials(dt):
    """every pair (re, im) of special and ordinary parts"""
    fi = np.finfo(REAL[dt])
    v = np.array([0.0, -0.0, 1.0, -2.5, np.inf, -np.inf, np.nan, fi.max, -fi.max, fi.tiny,
                  fi.tiny / 4, 3.0e-30, 1.0e30], dtype=REAL[dt])
    z = np.empty((len(v), len(v)), dt)
    z.real, z.imag = v[:, None], v[None, :]
    return z.ravel()


def same_bits(got, want):
    """equal parts (zeros with their sign), NaN where NaN"""
    got, want = np.ascontiguousarray(got), np.ascontiguousarray(want)
    g, w = got.view(got.real.dtype), want.view(want.real.dtype)
    assert g.shape == w.shape
    ok = ((g == w) & (np.signbit(g) == np.signbit(w))) | (np.isnan(g) & np.isnan(w))
    if not ok.all():
        i = np.flatnonzero(~ok)[:5]
        raise AssertionError(f"{len(np.flatnonzero(~ok))} parts differ, e.g. at {i}: {g[i]} vs {w[i]}")


def mul_oracle(a, b):
    a, b = np.broadcast_arrays(a, b)
    ar, ai, br, bi = a.real, a.imag, b.real, b.imag
    with np.errstate(all="ignore"):
        re = ar * br - ai * bi
        im = ar * bi + ai * br
    out = np.empty(a.shape, a.dtype)
    out.real, out.imag = re, im
    return out


def _fma(x, y, z, rt):
    """x * y + z rounded once (exact in fractions; special values as IEEE)"""
    x, y, z = float(x), float(y), float(z)
    if not all(np.isfinite([x, y, z])) or x == 0 or y == 0:
        # the product is exact here: IEEE's sum (and sign of a zero)
        return rt(np.float64(x) * np.float64(y) + np.float64(z))
    exact = Fraction(x) * Fraction(y) + Fraction(z)
    if exact == 0:
        return rt(0.0)
    try:
        return rt(float(exact))
    except OverflowError:
        return rt(np.inf if exact > 0 else -np.inf)


def div_oracle(a, b):
    """Smith's method: p the part of b of larger magnitude, q the other,
    t = q / p, s = 1 / (q t + p), numerators by fused multiply-adds; b = 0
    gives (ar / 0, ai / 0)"""
    a, b = np.broadcast_arrays(a, b)
    rt = a.real.dtype.type
    out = np.empty(a.shape, a.dtype)
    with np.errstate(all="ignore"):
        for k in np.ndindex(a.shape):
            ar, ai, br, bi = rt(a[k].real), rt(a[k].imag), rt(b[k].real), rt(b[k].imag)
            if abs(br) >= abs(bi):
                if br == 0 and bi == 0:
                    out.real[k], out.imag[k] = ar / abs(br), ai / abs(bi)
                    continue
                t = rt(bi / br)
                s = rt(rt(1) / _fma(bi, t, br, rt))
                re, im = _fma(ai, t, ar, rt), _fma(-ar, t, ai, rt)
            else:
                t = rt(br / bi)
                s = rt(rt(1) / _fma(br, t, bi, rt))
                re, im = _fma(ar, t, ai, rt), _fma(ai, t, -ar, rt)
            out.real[k], out.imag[k] = rt(re * s), rt(im * s)
    return out


def layouts(a, b):
    """(name, ctorch a, ctorch b, numpy a, numpy b) for the loops' layouts"""
    n = len(a)
    yield "dense", torch.tensor(a), torch.tensor(b), a, b
    yield "scalar second", torch.tensor(a), torch.tensor(b[:1]), a, b[:1]
    yield "scalar first", torch.tensor(a[:1]), torch.tensor(b), a[:1], b
    yield "zero-dim second", torch.tensor(a), torch.tensor(b[0]), a, b[0]
    yield "strided", torch.tensor(np.repeat(a, 3))[1::3], torch.tensor(np.repeat(b, 2))[::2], a, b
    if n >= 4:
        m = n // 4
        a2, b2 = a[:4 * m].reshape(4, m), b[:4].reshape(4, 1)
        yield "broadcast", torch.tensor(a2), torch.tensor(b2), a2, b2
        a3 = a[:4 * m].reshape(m, 4)
        yield "transposed", torch.tensor(a3).t(), torch.tensor(b[:4 * m].reshape(4, m)), a3.T, b[:4 * m].reshape(4, m)


@pytest.mark.parametrize("dt", CPLX)
def test_mul_rounds_each_product(dt):
    for n in SIZES:
        a, b = crand(n, dt, n), crand(n, dt, n + 1000)
        for name, x, y, an, bn in layouts(a, b):
            same_bits((x * y).numpy(), mul_oracle(an, bn))
            same_bits(torch.mul(y, x).numpy(), mul_oracle(bn, an))


@pytest.mark.parametrize("dt", CPLX)
def test_mul_special_values_every_layout(dt):
    s = specials(dt)
    a, b = np.repeat(s, len(s)), np.tile(s, len(s))
    for name, x, y, an, bn in layouts(a, b):
        same_bits((x * y).numpy(), mul_oracle(an, bn))
    # an infinite operand: the plain formula's NaN parts (no recovery of
    # infinities), as PyTorch multiplies
    big = np.finfo(REAL[dt]).max
    r = (torch.tensor(np.array([big + 1j], dt)) * torch.tensor(np.array([complex(np.inf, -2.25)], dt))).numpy()
    assert np.isinf(r.real[0]) and np.isnan(r.imag[0])


@pytest.mark.parametrize("dt", CPLX)
def test_mul_in_place_and_out(dt):
    for n in (1, 7, 8, 9, 33, 1000):
        a, b = crand(n, dt, 1), crand(n, dt, 2)
        x = torch.tensor(a)
        x *= torch.tensor(b)
        same_bits(x.numpy(), mul_oracle(a, b))
        x = torch.tensor(a)
        x.mul_(x)
        same_bits(x.numpy(), mul_oracle(a, a))
        o = torch.empty(n, dtype=getattr(torch, dt))
        torch.mul(torch.tensor(a), torch.tensor(b), out=o)
        same_bits(o.numpy(), mul_oracle(a, b))


@pytest.mark.parametrize("dt", CPLX)
def test_square_is_self_product(dt):
    for n in SIZES:
        a = crand(n, dt, n, spread=20)
        same_bits(torch.square(torch.tensor(a)).numpy(), mul_oracle(a, a))
        same_bits(torch.square(torch.tensor(np.repeat(a, 2))[::2]).numpy(), mul_oracle(a, a))
    s = specials(dt)
    same_bits(torch.tensor(s).square().numpy(), mul_oracle(s, s))


@pytest.mark.parametrize("dt", CPLX)
def test_div_smith_with_fused_multiply_adds(dt):
    for n in (1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 65, 70, 129):
        a, b = crand(n, dt, n, spread=30), crand(n, dt, n + 7, spread=30)
        for name, x, y, an, bn in layouts(a, b):
            same_bits((x / y).numpy(), div_oracle(an, bn))


@pytest.mark.parametrize("dt", CPLX)
def test_div_special_values(dt):
    s = specials(dt)
    a, b = np.repeat(s, len(s)), np.tile(s, len(s))
    same_bits((torch.tensor(a) / torch.tensor(b)).numpy(), div_oracle(a, b))
    same_bits((torch.tensor(a)[1::2] / torch.tensor(b)[:-1:2]).numpy(), div_oracle(a[1::2], b[:-1:2]))
    # b = 0: (ar / 0, ai / 0)
    z = torch.tensor(np.array([0j], dt))
    r = (torch.tensor(np.array([1 - 2j, 0j], dt)) / z).numpy()
    assert r[0].real == np.inf and r[0].imag == -np.inf and np.isnan(r[1].real) and np.isnan(r[1].imag)


@pytest.mark.parametrize("dt", CPLX)
def test_div_huge_and_tiny_do_not_overflow(dt):
    # the naive (ac + bd) / (c^2 + d^2) overflows or underflows on these
    e = 30 if dt == "complex64" else 300
    a = np.array([10.0 ** e * (1 + 1j), 10.0 ** -e * (1 + 1j), 10.0 ** e * (3 - 4j), 2 + 0j], dt)
    b = np.array([10.0 ** e * (1 + 1j), 10.0 ** -e * (1 - 1j), 10.0 ** e * (1 + 2j), 10.0 ** -e * (1 + 1j)], dt)
    got = (torch.tensor(a) / torch.tensor(b)).numpy()
    want = a.astype(np.complex128) / b.astype(np.complex128)
    np.testing.assert_allclose(got, want, rtol=1e-6 if dt == "complex64" else 1e-14)
    assert np.all(np.isfinite(got.view(REAL[dt])))


def sgn_oracle(z):
    """z / |z| on the parts in long double (its range holds every square,
    its 64 bits round to the dtype within an ulp): 0 at 0; where a part is
    infinite, NaN for it and 0 (with the sign) for a finite other part; NaN
    in both parts where one is NaN"""
    rt = z.real.dtype.type
    re, im = z.real.astype(np.longdouble), z.imag.astype(np.longdouble)
    with np.errstate(all="ignore"):
        a = np.sqrt(re * re + im * im)
        qr, qi = (re / a).astype(rt), (im / a).astype(rt)
    inf = np.isinf(z.real) | np.isinf(z.imag)
    qr[inf] = np.where(np.isinf(z.real[inf]), np.nan, np.copysign(0, z.real[inf]))
    qi[inf] = np.where(np.isinf(z.imag[inf]), np.nan, np.copysign(0, z.imag[inf]))
    nan = np.isnan(z.real) | np.isnan(z.imag)
    qr[nan], qi[nan] = np.nan, np.nan
    zero = (z.real == 0) & (z.imag == 0)
    qr[zero], qi[zero] = 0, 0
    out = np.empty(z.shape, z.dtype)
    out.real, out.imag = qr, qi
    return out


@pytest.mark.parametrize("dt", CPLX)
def test_sgn_within_an_ulp_every_layout(dt):
    # the parts over the whole exponent range (the double kernel scales
    # them; complex64 goes through double) and every special pair
    z = np.concatenate([specials(dt), crand(3000, dt, seed=3, spread=80 if dt == "complex64" else 700)])
    got = torch.sgn(torch.tensor(z)).numpy()
    want = sgn_oracle(z)
    g, w = got.view(REAL[dt]), want.view(REAL[dt])
    fin = np.isfinite(w)
    assert (np.isnan(g) == np.isnan(w)).all()
    assert (np.abs(g[fin] - w[fin]) <= np.spacing(np.abs(w[fin]).astype(REAL[dt]))).all()
    assert (g[w == 0] == 0).all()
    # the same values in place, strided, and at every vector tail
    t = torch.tensor(z)
    t.sgn_()
    same_bits(t.numpy(), got)
    same_bits(torch.sgn(torch.tensor(np.repeat(z, 2))[1::2]).numpy(), got)
    for n in range(1, 20):
        same_bits(torch.sgn(torch.tensor(z[-n:])).numpy(), got[-n:])


@pytest.mark.parametrize("dt", CPLX)
def test_reciprocal_is_one_over(dt):
    for n in SIZES[::3] + [1000]:
        a = crand(n, dt, n, spread=30)
        one = np.ones(n, dt)
        same_bits(torch.reciprocal(torch.tensor(a)).numpy(), div_oracle(one, a))
        same_bits(torch.tensor(np.repeat(a, 2))[::2].reciprocal().numpy(), div_oracle(one, a))
    s = specials(dt)
    same_bits(torch.reciprocal(torch.tensor(s)).numpy(), div_oracle(np.ones_like(s), s))
    x = torch.tensor(s)
    x.reciprocal_()
    same_bits(x.numpy(), div_oracle(np.ones_like(s), s))


@pytest.mark.parametrize("dt", CPLX)
def test_conj_one_pass(dt):
    s = specials(dt)
    for a in (s, crand(1001, dt, 3)):
        same_bits(torch.tensor(a).conj().numpy(), np.conj(a))
        same_bits(torch.tensor(np.repeat(a, 2))[::2].conj().numpy(), np.conj(a))
        same_bits(torch.conj_physical(torch.tensor(a)).numpy(), np.conj(a))
        a2 = a[: len(a) // 7 * 7].reshape(7, -1)
        c = torch.tensor(a2).t().conj()
        same_bits(c.numpy(), np.conj(a2.T))
    for n in (1, 7, 70):
        a, b = crand(n, dt, 4), crand(n, dt, 5)
        same_bits((torch.tensor(a).conj() * torch.tensor(b)).numpy(), mul_oracle(np.conj(a), b))


@pytest.mark.parametrize("dt", CPLX)
def test_nan_to_num_complex(dt):
    s = specials(dt)
    big = np.finfo(REAL[dt]).max
    for a in (s, np.tile(s, 7)[:1001]):
        for kw in ({}, {"nan": 1.5, "posinf": 2.0, "neginf": -3.0}, {"nan": 0.0, "posinf": 1e300}):
            with np.errstate(over="ignore"):
                want = np.nan_to_num(a, nan=kw.get("nan", 0.0), posinf=kw.get("posinf", big),
                                     neginf=kw.get("neginf", -big))
            same_bits(torch.nan_to_num(torch.tensor(a), **kw).numpy(), want)
            same_bits(torch.nan_to_num(torch.tensor(np.repeat(a, 2))[::2], **kw).numpy(), want)
            x = torch.tensor(a)
            x.nan_to_num_(**kw)
            same_bits(x.numpy(), want)


def _rtol(dt):
    return 2e-6 if dt == "complex64" else 1e-14


@pytest.mark.parametrize("dt", CPLX)
def test_sum_mean_against_complex128(dt):
    for n in SIZES + [4095, 4096, 4097, 8193, 100003]:
        a = crand(n, dt, n)
        exact = a.astype(np.complex128).sum()
        scale = np.abs(a.astype(np.complex128)).sum()
        got = torch.tensor(a).sum().item()
        assert abs(got - exact) <= _rtol(dt) * scale, (n, got, exact)
        got = torch.tensor(a).mean().item()
        assert abs(got - exact / n) <= _rtol(dt) * scale / n, (n, got, exact / n)
        # strided, reversed
        assert abs(torch.tensor(np.repeat(a, 2))[::2].sum().item() - exact) <= _rtol(dt) * scale
        assert abs(torch.tensor(a).flip(0).sum().item() - exact) <= _rtol(dt) * scale


@pytest.mark.parametrize("dt", CPLX)
def test_sum_rows_and_columns(dt):
    for shape in ((3, 1), (7, 33), (1000, 65), (65, 1000), (5, 300, 7)):
        a = crand(int(np.prod(shape)), dt, 9).reshape(shape)
        t = torch.tensor(a)
        for dim in list(range(len(shape))) + [tuple(range(len(shape)))]:
            want = a.astype(np.complex128).sum(dim)
            scale = np.abs(a.astype(np.complex128)).sum(dim)
            got = t.sum(dim).numpy()
            assert np.all(np.abs(got - want) <= _rtol(dt) * scale + 1e-30), (shape, dim)
            got = t.sum(dim, keepdim=True).numpy()
            assert got.shape == np.expand_dims(want, dim).shape
        got = t.transpose(0, -1).sum(0).numpy()
        want = a.astype(np.complex128).transpose(*reversed(range(len(shape)))).sum(0)
        assert np.all(np.abs(got - want) <= _rtol(dt) * np.abs(a).sum() + 1e-30)


def test_sum_accuracy_is_pairwise():
    # 2^22 copies of 0.1 + 0.3j: a single float32 accumulator drifts by
    # about 1e-2 relative; the blocked pairwise lanes stay near 1e-6
    n = 1 << 22
    a = np.full(n, 0.1 + 0.3j, np.complex64)
    want = a.astype(np.complex128).sum()
    got = torch.tensor(a).sum().item()
    assert abs(got.real - want.real) <= 1e-5 * abs(want.real)
    assert abs(got.imag - want.imag) <= 1e-5 * abs(want.imag)


@pytest.mark.parametrize("dt", CPLX)
def test_prod_against_complex128(dt):
    rng = np.random.default_rng(0)
    for n in SIZES + [4097]:
        # unit-magnitude factors: the product neither overflows nor underflows
        a = np.exp(1j * rng.uniform(0, 2 * np.pi, n) + rng.normal(0, 0.01, n)).astype(dt)
        want = np.prod(a.astype(np.complex128))
        tol = (4e-7 if dt == "complex64" else 1e-15) * (n + 8) ** 0.5 * 4
        got = torch.tensor(a).prod().item()
        assert abs(got - want) <= tol * abs(want), (n, got, want)
        got = torch.tensor(np.repeat(a, 2))[::2].prod().item()
        assert abs(got - want) <= tol * abs(want), (n, got, want)
    a = np.exp(1j * rng.uniform(0, 2 * np.pi, 6 * 41)).astype(dt).reshape(6, 41)
    for dim in (0, 1):
        want = np.prod(a.astype(np.complex128), dim)
        np.testing.assert_allclose(torch.tensor(a).prod(dim).numpy(), want, rtol=1e-5 if dt == "complex64" else 1e-13)


@pytest.mark.parametrize("dt", CPLX)
def test_prod_special_values(dt):
    for n in (1, 5, 40, 100):
        # an infinite factor times a finite one: NaN parts (PyTorch's plain
        # multiplication), and once NaN the product stays NaN
        a = np.array([np.inf + 0j] + [2 + 1j] * n, dt)
        r = torch.tensor(a).prod().item()
        assert np.isnan(r.real) and np.isnan(r.imag)
        a = np.array([1 + 0j] * n + [np.nan + 0j], dt)
        r = torch.tensor(a).prod().item()
        assert np.isnan(r.real) and np.isnan(r.imag)
        # exact small integers: exact products
        a = np.array([1j] * n, dt)
        assert torch.tensor(a).prod().item() == 1j ** n
        a = np.array([0j] + [3 - 1j] * n, dt)
        assert torch.tensor(a).prod().item() == 0


@pytest.mark.parametrize("dt", CPLX)
def test_var_std_complex(dt):
    for n in (2, 3, 17, 64, 65, 1000, 70001):
        a = crand(n, dt, n) * 3 + (5 - 2j)
        t = torch.tensor(a)
        for corr in (0, 1, 2):
            if corr >= n:
                continue
            want = np.var(a.astype(np.complex128), ddof=corr)
            v = torch.var(t, correction=corr)
            assert v.dtype == (torch.float32 if dt == "complex64" else torch.float64)
            assert abs(v.item() - want) <= 20 * _rtol(dt) * want, (n, corr)
            assert abs(torch.std(t, correction=corr).item() - want ** 0.5) <= 20 * _rtol(dt) * want ** 0.5
        assert abs(torch.tensor(np.repeat(a, 2))[::2].var().item() - np.var(a.astype(np.complex128), ddof=1)) \
            <= 20 * _rtol(dt) * np.var(a.astype(np.complex128))
    a = crand(6 * 35 * 3, dt, 1).reshape(6, 35, 3)
    t = torch.tensor(a)
    for dim in (0, 1, 2, (0, 2)):
        for keep in (False, True):
            want = np.var(a.astype(np.complex128), axis=dim, ddof=1, keepdims=keep)
            got = torch.var(t, dim, keepdim=keep).numpy()
            assert got.shape == want.shape
            np.testing.assert_allclose(got, want, rtol=20 * _rtol(dt))
            v, m = torch.var_mean(t, dim, keepdim=keep)
            np.testing.assert_allclose(m.numpy(), a.astype(np.complex128).mean(dim, keepdims=keep), rtol=1e-5, atol=1e-6)
            np.testing.assert_allclose(v.numpy(), want, rtol=20 * _rtol(dt))
    # one element: nan with a correction of 1, 0 without
    with pytest.warns(UserWarning, match="degrees of freedom"):
        assert np.isnan(torch.var(torch.tensor(a[0, 0, :1])).item())
    assert torch.var(torch.tensor(a[0, 0, :1]), correction=0).item() == 0
    # a NaN or an infinity: NaN
    b = a[0, :, 0].copy()
    b[3] = complex(np.nan, 0)
    assert np.isnan(torch.var(torch.tensor(b)).item())
    b[3] = complex(1, np.inf)
    assert np.isnan(torch.var(torch.tensor(b)).item())
