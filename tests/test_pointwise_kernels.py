"""The vectorised pointwise kernels beyond what the op tables' random inputs
reach: logaddexp / logaddexp2 (the fast forms and the elements past their
range, float64 where the sum cancels), gelu of float32 and float64 (accuracy over the
whole range, forward and derivative; special values), frexp's one-pass loop (denormals, zeros, infinities, layouts), gcd's
lane-blocked binary algorithm (the type's minimum, block tails, broadcast),
float32 exp / exp2 where the results are denormals, zeros or infinities,
binary ops over short rows with a broadcast row, nan_to_num's blocks and half patterns, clamp of half (every value) and of integers in their type, logical ops of half, transposed inputs copied a tile at a time, python scalars with half, number / tensor, every other element copied, and lgamma of float64 (each region of the kernel, the poles and negatives)."""
import math

import numpy as np
import pytest

import ctorch as torch


def _ulps(got, want, dtype):
    got = np.asarray(got, np.float64)
    want = np.asarray(want, np.float64)
    sp = np.spacing(np.abs(want).astype(dtype)).astype(np.float64)
    sp = np.maximum(sp, np.finfo(dtype).smallest_subnormal)
    return np.abs(got - want) / sp


def _same_specials(got, want):
    fin = np.isfinite(want)
    assert np.array_equal(got[~fin], want[~fin], equal_nan=True)
    return fin


# ---------------------------------------------------------------- logaddexp

def _lae_inputs(dtype):
    rng = np.random.default_rng(7)
    parts = [rng.standard_normal((2, 4000)) * s for s in (1e-3, 1, 5, 40, 86, 100, 130, 690, 800, 1e4)]
    sp = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 86.9, -86.9, 125.9, -125.9, 699.0,
                   -701.0, 1e-40, 3e38, -3e38])
    a, b = np.meshgrid(sp, sp)
    parts.append(np.stack([a.ravel(), b.ravel()]))
    with np.errstate(over="ignore"):
        x = np.concatenate(parts, axis=1).astype(dtype)
    return x[0], x[1]


def _lae_ref(name, a, b):
    # m + log1p(t) in float64 (float32 inputs) or in long double steps kept
    # apart, so that the reference does not lose what the formula keeps
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    with np.errstate(all="ignore"):
        return np.logaddexp(a, b) if name == "logaddexp" else np.logaddexp2(a, b)


@pytest.mark.parametrize("name", ["logaddexp", "logaddexp2"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_logaddexp_wide_range(name, dtype):
    a, b = _lae_inputs(dtype)
    f = getattr(torch, name)
    got = f(torch.from_numpy(a), torch.from_numpy(b)).numpy()
    want = _lae_ref(name, a, b)
    fin = _same_specials(got, want)
    # away from the cancellation of max(a, b) against log1p (|result| << max),
    # within a few ulps of the float64 (numpy) value
    m = np.maximum(np.abs(a), np.abs(b)).astype(np.float64)
    ok = fin & (np.abs(want) >= 0.5 * m)
    tol = 2.0 if dtype == np.float32 else 4.0
    assert _ulps(got[ok], want[ok], dtype).max() <= tol
    # strided and broadcast operands take the same values
    A = torch.from_numpy(np.stack([a, a], 1))[:, 1]
    B = torch.from_numpy(np.stack([b, b], 1))[:, 0]
    assert np.array_equal(f(A, B).numpy(), got, equal_nan=True)
    s = torch.tensor(float(a[3]), dtype=getattr(torch, np.dtype(dtype).name))
    want_s = f(torch.from_numpy(np.full_like(b, a[3])), torch.from_numpy(b)).numpy()
    assert np.array_equal(f(s, torch.from_numpy(b)).numpy(), want_s, equal_nan=True)


@pytest.mark.parametrize("name", ["logaddexp", "logaddexp2"])
def test_logaddexp_special_values(name):
    f = getattr(torch, name)
    inf, nan = float("inf"), float("nan")
    for dt in (torch.float32, torch.float64):
        a = torch.tensor([inf, -inf, inf, -inf, nan, 1.0, 0.0, -1e30], dtype=dt)
        b = torch.tensor([inf, -inf, -inf, 2.0, 1.0, nan, -3000.0, 5.0], dtype=dt)
        r = f(a, b).numpy()
        assert r[0] == inf and r[1] == -inf and r[2] == inf and r[3] == 2.0
        assert np.isnan(r[4]) and np.isnan(r[5])
        assert r[6] == 0.0 and r[7] == 5.0


# (a, b, logaddexp(a, b) rounded from 200-bit values (mpmath), deep): where
# max(a, b) < 0 and the sum cancels (results down to 1e-7), a = b (at -ln 2
# too), a ~ -b, tiny and large operands, |a - b| near the fast form's end,
# max(a, b) ~ 0 with a large |a - b| (results e^-|a - b|, down to 1e-275).
# deep = 1: |result| below 1e-2 of max(a, b), where the float64 kernel keeps
# about 2^-64 of absolute accuracy (libm's and PyTorch's way, max + log1p(exp),
# are ~2^-53 off there: 10^4 to 10^7 ulp)
_LAE_F64_TABLE = [
    (-0.6100008580615602, -2.60711230782202, -0.482728085049645, 0),
    (-0.27895114966364976, -0.39370718315142794, 0.35846323011205766, 0),
    (-0.5964517407957808, -4.309295832637259, -0.5723368503217817, 0),
    (-0.6507055966920622, -1.1698013942892542, -0.18379527304552215, 0),
    (-0.0361700826957575, -2.523704453881289, 0.043670737526055, 0),
    (-0.4417048133891463, -2.487264900602197, -0.32009998248100885, 0),
    (-0.2360099332382405, -1.3372451962827578, 0.051017040336914704, 0),
    (-0.6034223489931312, -3.7555807270090984, -0.5615515585504623, 0),
    (-0.23074759112826132, -2.2802768450609032, -0.10959643901306583, 0),
    (-0.12828449482123938, -2.3245855703013447, -0.022831590589843534, 0),
    (-0.013360452491886221, -0.8313982978120658, 0.35218274058000604, 0),
    (-0.3123887459943405, -2.2468875336878913, -0.17742379149621257, 0),
    (-0.4527076014576863, -2.81908881725386, -0.3630317870242436, 0),
    (-0.5352891378326936, -3.7440998729466273, -0.4956794267665651, 0),
    (-5.34938652135042, -0.19899967223637804, -0.19321924945107452, 0),
    (-11.885185891240766, -0.7993901898925933, -0.7993748614945019, 0),
    (-37.21309683341184, -1.3753245033971364, -1.3753245033971362, 0),
    (-6.7627289604120095, -0.855076961928247, -0.8523620879474332, 0),
    (-8.57859757560766, -0.4899564640861338, -0.4896495045414148, 0),
    (-8.833783678708862, -0.14785338196773457, -0.14768445004764172, 0),
    (-9.48114613538263, -1.450387968933857, -1.45006272035018, 0),
    (-19.737704726265928, -0.9813781893665408, -0.9813781822177781, 0),
    (-1.3682291030951732e-08, 1.3658565735173583e-08, 0.6931471805480828, 0),
    (1.6452200607858742e-26, -1.6440045886053816e-26, 0.6931471805599453, 0),
    (1.798580793412894e-08, -1.7997091806979666e-08, 0.6931471805543036, 0),
    (0.00047031941258012156, -0.00046969295660441907, 0.6931476042408359, 0),
    (8.793687724128902e-21, -8.778142958977365e-21, 0.6931471805599453, 0),
    (2.123843867672987e-30, -2.125503699858465e-30, 0.6931471805599453, 0),
    (-0.693214574165539, -0.693214574165539, -6.73936055936898e-05, 0),
    (-0.6938927747278282, -0.6938927747278282, -0.0007455941678828671, 0),
    (-0.6926686868118779, -0.6926686868118779, 0.0004784937480674333, 0),
    (-0.6937558749000546, -0.6937558749000546, -0.0006086943401093271, 0),
    (-0.6940233400896484, -0.6940233400896484, -0.000876159529703079, 0),
    (-0.6929503963452972, -0.6929503963452972, 0.0001967842146481057, 0),
    (-1.0496318852366824e-10, 4.924826236792428e-10, 0.6931471807537051, 0),
    (-5.218375063367879e-10, 1.0862015432775178e-09, 0.6931471808421273, 0),
    (6.052019784294742e-10, -1.7802502471933673e-10, 0.6931471807735338, 0),
    (6.319571570936102e-10, 1.259755161358625e-09, 0.6931471815058015, 0),
    (1.7911755134979889e-09, -1.5735763704402195e-09, 0.6931471806687449, 0),
    (8.831318116225196e-10, 4.650685085133813e-10, 0.6931471812340455, 0),
    (100000.0, 99996.5, 100000.02975041827, 0),
    (-200000000.0, -199999998.75, -199999998.49807093, 0),
    (0.25, -699.5, 0.25, 0),
    (-0.125, -700.5, -0.125, 0),
    (3.0, -3.0, 3.0024756851377306, 0),
    (-0.6931471805599453, -0.6931471805599453, 2.3190468138462996e-17, 0),
    (1.960778944313951e-224, -453.91442417105424, 7.370048167275608e-198, 0),
    (0.0, -40.0, 4.248354255291589e-18, 0),
    (-1.1357474752696181e-17, -38.95544590143026, 7.169042813276005e-19, 0),
    (1.7745607779740894e-219, -42.87348976209995, 2.400379871899125e-19, 0),
    (4.66601346948318e-301, -634.1946012465202, 3.739247619142301e-276, 0),
    (-1e-300, -699.9, -9.998910337222221e-301, 0),
    (-0.05011592363702433, -3.0184097533420804, -1.953009065807027e-06, 1),
    (-0.3935189775572149, -1.1229258689659678, 5.051622387754846e-06, 1),
    (-0.6627910902638305, -0.7244459940641822, 3.729049458986869e-06, 1),
    (-0.41525444052148375, -1.079315870019345, 2.173675275357304e-07, 1),
    (-0.1855711743968027, -1.7756778417407075, -1.6806228174405623e-06, 1),
    (-0.24019665026681958, -1.543741975302775, 5.3575953946859366e-05, 1),
    (-0.05929823396133571, -2.849664872702309, 0.00028933137664614937, 1),
    (-0.26423149273314056, -1.4601356212537586, 5.606294000952689e-07, 1),
    (-0.1553263437358623, -1.9388814124038152, 5.22525170420332e-07, 1),
    (-0.17372485519531977, -1.8546911253645073, -0.002975013689220666, 1),
]


def test_logaddexp_float64_cancellation():
    a, b, want, deep = (np.array(c) for c in zip(*_LAE_F64_TABLE))
    deep = deep.astype(bool)
    for x, y in ((a, b), (b, a)):
        got = torch.logaddexp(torch.from_numpy(x.copy()), torch.from_numpy(y.copy())).numpy()
        err = _ulps(got, want, np.float64)
        assert err[~deep].max() <= 1.0
        assert (np.abs(got - want)[deep] <= 2.0 ** -62).all()
        # strided (every other element) and broadcast (a 0-d operand) take the same values
        X = torch.from_numpy(np.repeat(x, 2))[::2]
        Y = torch.from_numpy(np.repeat(y, 2))[1::2]
        assert np.array_equal(torch.logaddexp(X, Y).numpy(), got)
        for i in (0, 17, len(x) - 1):
            s = torch.logaddexp(torch.tensor(float(x[i]), dtype=torch.float64), torch.from_numpy(y[i:i + 1].copy()))
            assert s.numpy()[0] == got[i]


def _lae_grad_ref(g, a, b):
    # the formulas in long double: g / (1 + e^(b - a)), g / (1 + e^(a - b)),
    # the difference rounded to double first (as the formulas take it)
    d = (b - a).astype(np.longdouble)
    g = np.asarray(g, dtype=np.longdouble)
    with np.errstate(over="ignore", invalid="ignore"):
        return g / (1 + np.exp(d)), g / (1 + np.exp(-d))


def _lae_grads(a, b, g=None, ra=True, rb=True):
    x = torch.from_numpy(a.copy()).requires_grad_(ra)
    y = torch.from_numpy(b.copy()).requires_grad_(rb)
    r = torch.logaddexp(x, y)
    if g is None:
        r.sum().backward()
    else:
        r.backward(torch.from_numpy(g.copy()))
    return x.grad, y.grad


@pytest.mark.parametrize("scale", [1.0, 30.0, 400.0])
def test_logaddexp_float64_gradient_fused(scale):
    # the fused backward loops (one value g: both gradients in one pass; a
    # tensor g: a pass each) against the formulas, within 2 ulp (the formula's
    # own roundings: e^d, 1 + e^d and the quotient)
    rng = np.random.default_rng(3)
    a = rng.standard_normal(50000) * scale
    b = rng.standard_normal(50000) * scale
    for g in (None, rng.standard_normal(50000)):
        ga, gb = _lae_grads(a, b, g)
        ra, rb = _lae_grad_ref(1.0 if g is None else g, a, b)
        for got, want in ((ga, ra), (gb, rb)):
            want = want.astype(np.float64)
            err = np.abs(got.numpy() - want)
            tiny = np.abs(want) < 2.0 ** -1000      # the formula itself underflows there
            assert (err[~tiny] <= 2.5 * np.spacing(np.abs(want[~tiny]))).all()
            assert (err[tiny] <= 2.0 ** -1000).all()


def test_logaddexp_float64_gradient_special_and_layouts():
    sv = np.array([-np.inf, np.inf, np.nan, 0.0, -0.0, 1.0, -3.0, 700.0, -700.0, 709.78, 709.8,
                   -707.5, -745.0, 5e-324, 1e308, -1e308])
    A, B = (v.ravel() for v in np.meshgrid(sv, sv))
    for g in (None, np.array([np.inf, -2.5, np.nan, 0.0] * (A.size // 4))):
        ga, gb = _lae_grads(A, B, g)
        gv = np.ones(A.size) if g is None else g
        with np.errstate(over="ignore", invalid="ignore"):
            wa, wb = gv / (1 + np.exp(B - A)), gv / (1 + np.exp(A - B))
        # the same NaNs and infinities as the formulas (logaddexp(-inf, -inf):
        # e^(-inf - -inf) is NaN, so are both gradients)
        assert np.array_equal(ga.numpy(), wa, equal_nan=True)
        assert np.array_equal(gb.numpy(), wb, equal_nan=True)
    # broadcast operands, one operand without a gradient, a strided one
    rng = np.random.default_rng(4)
    for sa, sb in (((300, 1), (1, 200)), ((200,), (300, 200)), ((), (50,)), ((7, 1, 5), (3, 5))):
        a, b = rng.standard_normal(sa), rng.standard_normal(sb)
        w = rng.standard_normal(np.broadcast_shapes(sa, sb))
        ra, rb = _lae_grad_ref(w, a, b)
        want = (ra.astype(np.float64).reshape(w.shape), rb.astype(np.float64).reshape(w.shape))
        sums = [want[0].sum(axis=tuple(range(w.ndim - len(sa)))), want[1].sum(axis=tuple(range(w.ndim - len(sb))))]
        sums = [s.sum(axis=tuple(i for i, n in enumerate(sh) if n == 1), keepdims=True).reshape(sh)
                for s, sh in zip(sums, (sa, sb))]
        for need in ((True, True), (True, False), (False, True)):
            ga, gb = _lae_grads(a, b, w, *need)
            for got, n, ref, sh in ((ga, need[0], sums[0], sa), (gb, need[1], sums[1], sb)):
                if not n:
                    assert got is None
                    continue
                assert tuple(got.shape) == sh
                np.testing.assert_allclose(got.numpy(), ref, rtol=1e-12, atol=1e-12)
    a, b = rng.standard_normal((40, 30)), rng.standard_normal((30, 40))
    x = torch.from_numpy(a.copy()).requires_grad_(True)
    y = torch.from_numpy(b.copy()).requires_grad_(True)
    torch.logaddexp(x.t(), y).sum().backward()
    ra, rb = _lae_grad_ref(1.0, a.T, b)
    np.testing.assert_allclose(x.grad.numpy(), ra.astype(np.float64).T, rtol=1e-15)
    np.testing.assert_allclose(y.grad.numpy(), rb.astype(np.float64), rtol=1e-15)
    # create_graph records the composed formulas (higher-order gradients)
    x = torch.tensor(rng.standard_normal(6), requires_grad=True)
    y = torch.tensor(rng.standard_normal(6), requires_grad=True)
    assert torch.autograd.gradgradcheck(torch.logaddexp, (x, y))


# ------------------------------------------------------------ gelu float32

def _gelu_refs(x):
    # double: x Phi(x), Phi(x) + x phi(x) and Phi(x) + |x| phi(x) (the size of
    # the derivative's terms), Phi by erfc (no cancellation for x < 0)
    xd = x.astype(np.float64)
    cdf = np.array([0.5 * math.erfc(-v / math.sqrt(2.0)) for v in xd])
    xpdf = xd * np.exp(-0.5 * xd * xd) / math.sqrt(2.0 * math.pi)
    return xd * cdf, cdf + xpdf, cdf + np.abs(xpdf)


def test_gelu_float32_exact_accuracy():
    # every 20011th float of [-15, 6] (as bit patterns: all binades, results
    # down to denormals), and a dense stretch around 0
    pos = np.arange(0, np.float32(6.0).view(np.uint32), 20011, dtype=np.uint32).view(np.float32)
    neg = -np.arange(0, np.float32(15.0).view(np.uint32), 20011, dtype=np.uint32).view(np.float32)
    mid = np.linspace(-4, 4, 40001, dtype=np.float32)
    x = np.concatenate([neg, pos, mid])
    want_y, want_d, size_d = _gelu_refs(x)
    t = torch.from_numpy(x.copy()).requires_grad_()
    y = torch.nn.functional.gelu(t)
    assert _ulps(y.detach().numpy(), want_y, np.float32).max() <= 6.0
    g = np.random.default_rng(3).uniform(0.5, 2.0, x.size).astype(np.float32)
    y.backward(torch.from_numpy(g))
    got_d = t.grad.numpy()
    want_g = want_d * g
    # the derivative's terms cancel around gelu's minimum (x = -0.7518): a
    # few ulps of the result or, there, of its terms' size
    bound = 4.0 * np.maximum(np.spacing(np.abs(want_g).astype(np.float32)), 2.0 ** -149) \
        + 2.0 ** -22 * size_d * g
    assert (np.abs(got_d - want_g) <= bound).all()
    far = np.abs(x + 0.7518) > 0.25
    assert _ulps(got_d[far], want_g[far], np.float32).max() <= 6.0


def test_gelu_float32_special_values_and_layouts():
    inf, nan = float("inf"), float("nan")
    x = torch.tensor([inf, -inf, nan, -0.0, 0.0, -20.0, 20.0, 14.6, -14.6], dtype=torch.float32)
    r = torch.nn.functional.gelu(x).numpy()
    assert r[0] == inf and np.isnan(r[1]) and np.isnan(r[2])
    assert r[3] == 0.0 and np.signbit(r[3]) and r[4] == 0.0 and not np.signbit(r[4])
    assert r[5] == 0.0 and np.signbit(r[5]) and r[6] == 20.0
    assert r[7] == np.float32(14.6) and r[8] == 0.0
    # the derivative past the kernel's clamp: 1 / +0, NaN at the infinities
    for dt in (torch.float32, torch.float16):
        xg = torch.tensor([inf, -inf, nan, -1e4, -20.0, 20.0, 1e4], dtype=dt, requires_grad=True)
        torch.nn.functional.gelu(xg).sum().backward()
        d = xg.grad.float().numpy()
        assert np.isnan(d[:3]).all()
        assert (d[3:5] == 0.0).all() and not np.signbit(d[3:5]).any() and (d[5:] == 1.0).all()
    # a strided view and a float16 input go through the same kernel
    a = np.random.default_rng(4).standard_normal((40, 30)).astype(np.float32) * 4
    want = torch.nn.functional.gelu(torch.from_numpy(np.ascontiguousarray(a.T))).numpy()
    assert np.array_equal(torch.nn.functional.gelu(torch.from_numpy(a).t()).numpy(), want)
    # every length up to 40 (the vector kernels' masked tails), of values
    # below 4 in size (the float32 kernel's short path) and of mixed sizes
    rng = np.random.default_rng(5)
    for v in (rng.standard_normal(40).astype(np.float32),
              rng.standard_normal(40).astype(np.float32) * 5):
        for n in range(1, 41):
            p = torch.from_numpy(v[:n].copy()).requires_grad_()
            yp = torch.nn.functional.gelu(p)
            yp.backward(torch.ones(n))
            want_y, want_d, _ = _gelu_refs(v[:n])
            assert _ulps(yp.detach().numpy(), want_y, np.float32).max() <= 6.0
            far = np.abs(v[:n] + 0.7518) > 0.25
            assert (_ulps(p.grad.numpy()[far], want_d[far], np.float32) <= 6.0).all()
    ah = a.astype(np.float16)
    want_y = _gelu_refs(ah.astype(np.float32).ravel())[0]
    h = torch.nn.functional.gelu(torch.from_numpy(ah)).float().numpy().ravel()
    assert np.allclose(h, want_y, rtol=2.0 ** -11, atol=2.0 ** -25)


def test_gelu_float32_blocks_of_mixed_sizes():
    # groups of 8 with every lane below 4 in size take a short form, the
    # others the full one; blocks of 64 groups mix them in every proportion
    # (none, a few, half, most, all short) and the results stay within the
    # bound whichever form each group took, the last partial group too
    rng = np.random.default_rng(11)
    groups = []
    for frac in (0.0, 0.1, 0.3, 0.5, 0.9, 1.0, 0.5, 0.0, 1.0):
        for _ in range(64):
            g = rng.standard_normal(8).astype(np.float32)
            if rng.random() >= frac:
                g[rng.integers(8)] = rng.uniform(4, 16) * rng.choice([-1, 1])
            groups.append(g)
    x = np.concatenate(groups + [rng.standard_normal(5).astype(np.float32) * 6])
    x[3] = np.nan
    got = torch.nn.functional.gelu(torch.from_numpy(x)).numpy()
    want = _gelu_refs(x)[0]
    assert np.isnan(got[3])
    fin = ~np.isnan(x)
    assert _ulps(got[fin], want[fin], np.float32).max() <= 6.0
    # the same values one at a time (no neighbours) agree within the bound
    for i in rng.integers(0, x.size, 40):
        one = torch.nn.functional.gelu(torch.from_numpy(x[i:i + 1].copy())).numpy()
        assert np.array_equal(np.isnan(one), np.isnan(got[i:i + 1]))
        if fin[i]:
            assert _ulps(one, want[i:i + 1], np.float32).max() <= 6.0


# ------------------------------------------------------------ gelu float64

# (x, gelu(x), gelu'(x)) rounded from 60-digit values (mpmath): the tail down
# to the last denormal results (gelu(-a) rounds to -0 from a = 38.7387 on),
# the derivative's minimum region, |x| from 1e-300 to 0.1, both signs,
# 38.75 (where the kernel's clamp begins) and its neighbours
_GELU_F64_TABLE = [
    (-36.86975841264307, -2.6011977388016726e-296, -9.59054287940179e-295),
    (-35.165496715467725, -1.1847891506036975e-269, -4.1663644712589154e-268),
    (-30.205607792189348, -3.0193176914950236e-199, -9.120010806348053e-198),
    (-38.01768860949646, -5.59767578e-315, -2.12810491584e-313),
    (-34.5822492348144, -8.076472792453518e-261, -2.793022061058561e-259),
    (-30.109555650708504, -5.4692370255841204e-198, -1.6467589805847743e-196),
    (-37.056358416633515, -2.628538010594397e-299, -9.74039436932473e-298),
    (-30.776906399761582, -8.216456188415706e-207, -2.5287654231198143e-205),
    (-33.88739898918045, -1.7307600837560698e-250, -5.865086894634145e-249),
    (-31.9075806774133, -3.343840314087351e-222, -1.0669364972751196e-220),
    (-36.13820601134796, -1.0299361022520589e-284, -3.7219999562265856e-283),
    (-35.30375125732114, -9.079141185955195e-272, -3.2052733102600936e-270),
    (-36.19548763072427, -1.297434321459845e-285, -4.696121342099047e-284),
    (-30.932021543072402, -6.857377551042003e-209, -2.1211208913335335e-207),
    (-38.376059096126895, -6.354e-321, -2.4388e-319),
    (-34.883404743680444, -2.3148103070497856e-265, -8.074835622525089e-264),
    (-17.63833443754708, -1.1032253934365896e-68, -1.9458662674024622e-67),
    (-21.998278134155434, -3.290057426056968e-106, -7.237498651409211e-105),
    (-14.721152241115671, -3.4709277585391725e-48, -5.109392855630723e-47),
    (-9.685902195040388, -1.6763332410137577e-21, -1.6233292828302936e-20),
    (-29.32695251407122, -6.89521527697821e-188, -2.0221510741844693e-186),
    (-27.329080351020256, -2.6163514091568316e-163, -7.15022232263285e-162),
    (-24.89805986250837, -9.721451913703568e-136, -2.4204404204598204e-134),
    (-15.85626710494623, -1.0087376875539247e-55, -1.5994317927354642e-54),
    (-24.80946078299591, -8.791265971462856e-135, -2.181054261859316e-133),
    (-8.72895307052731, -1.1218487397489029e-17, -9.78939374079672e-17),
    (-26.718323072386244, -3.8518214032042685e-156, -1.0291380757285633e-154),
    (-28.96827833105513, -2.3925760130176203e-183, -6.930861218945539e-182),
    (-19.65007477451721, -5.671773043764972e-85, -1.1144928835989222e-83),
    (-14.983295370195663, -7.073392631697156e-50, -1.0597861610008395e-48),
    (-10.653570497846477, -8.938494293561649e-26, -9.521270661755108e-25),
    (-14.975751811977268, -7.919552838010432e-50, -1.1859664367086922e-48),
    (-4.878280259398962, -2.610240850509671e-06, -1.2695834338969542e-05),
    (-5.197966648896014, -5.236438487666587e-07, -2.7155230772829686e-06),
    (-6.45559639934281, -3.479357864102214e-10, -2.243811638433941e-09),
    (-4.951830315800999, -1.8202605820992936e-06, -8.988403767933431e-06),
    (-4.5531812443160105, -1.2029666706909108e-05, -5.456451810535146e-05),
    (-5.0591486859113655, -1.0652857106734738e-06, -5.375512392945746e-06),
    (-6.756919998711469, -4.762140990364514e-11, -3.214945726410998e-10),
    (-5.2946986371551485, -3.1559803927076634e-07, -1.667351197077214e-06),
    (-2.360426835746284, -0.021543519703432754, -0.04895480733346463),
    (-6.129477653344896, -2.7021206818232073e-09, -1.6541749467116515e-08),
    (-7.861984589622838, -1.4862867958963197e-14, -1.1679490228014414e-13),
    (-6.505424950645055, -2.5200082645209867e-10, -1.637727027162905e-09),
    (-6.7340993544226055, -5.553895982236853e-11, -3.7367580028682803e-10),
    (-6.784239666280327, -3.958585607730263e-11, -2.6833023773286904e-10),
    (-3.974015968860064, -0.00014042348715400058, -0.0005545614601850306),
    (-3.546527336151705, -0.0006921832636452617, -0.0024318674720154214),
    (-1.1454476505865432, -0.14434001705932867, -0.11111303942312853),
    (-1.9156512139578015, -0.053072643793729536, -0.09429445867267372),
    (-1.83004045951281, -0.06152951880835914, -0.10319321026513939),
    (-1.0240876379927426, -0.15657986757156606, -0.08893453560880102),
    (-1.997602827162754, -0.04570488950989829, -0.08549065144182633),
    (-1.5423314541615225, -0.09484803960889844, -0.12580481059945786),
    (-1.949574096099619, -0.04993532190980104, -0.09066736559067173),
    (-1.3481792685413796, -0.1197188117036515, -0.12795688546902773),
    (-1.0037006683912195, -0.15834528024268543, -0.08420595743814031),
    (-1.5368174620670199, -0.0955424171166296, -0.1260538140852342),
    (-0.8139308465185545, -0.16916924628725866, -0.02531077929913961),
    (-0.6690637231314576, -0.16842168141612188, 0.03833823355547216),
    (-0.6631861879616527, -0.16818776969364088, 0.041261300810233846),
    (-0.7012144333468016, -0.16940260970259147, 0.022813855199343043),
    (-0.7062460902561348, -0.16951146063268827, 0.020455821711387275),
    (-0.951588478704233, -0.1623912986947648, -0.07074194961832488),
    (-0.5013007681024355, -0.15444060648850422, 0.13170401224771036),
    (-0.6813845125566604, -0.1688566965525777, 0.032295811905013475),
    (-0.8823803355845956, -0.16658068611382912, -0.049718664851654694),
    (-0.5444914862927163, -0.15956412995793548, 0.10575789450648193),
    (-0.9158962872480462, -0.16473369895187442, -0.06035369018274302),
    (-0.8293648892624312, -0.16873344196871873, -0.03113147367388248),
    (-0.7329802496805615, -0.16989400143678032, 0.008254216800746532),
    (-0.8155726080956136, -0.16912717624765125, -0.02593874835212246),
    (-0.7475213807565155, -0.1699672634452425, 0.001849620038719477),
    (-0.7659135315147134, -0.1699285455100244, -0.006016078279539087),
    (-0.23253569464193224, -0.09488874420598055, 0.3177671848540656),
    (0.20596154520973586, 0.11978507727307884, 0.6620318820913833),
    (-0.3929058409580587, -0.13641475237221815, 0.20209149560881312),
    (-0.33376141106537804, -0.12325134791224021, 0.24334182700587367),
    (0.31942107584169543, 0.19973284385073903, 0.7463891336805862),
    (0.2514191948393347, 0.15066420597219024, 0.6964361883690048),
    (-0.22075743410106974, -0.09109349204176329, 0.32669122771571546),
    (0.3556857158422707, 0.2272696664131533, 0.7721621700694321),
    (0.24018151376548869, 0.14288523818794024, 0.687999516180924),
    (0.415527412201121, 0.27471434449951976, 0.8131825844737839),
    (-0.21646162935012558, -0.08968307608552861, 0.32995788055645525),
    (-0.33199340931569987, -0.12282000491266323, 0.24460251433331076),
    (1.0811234606215974, 0.9299595897752484, 1.100602777438216),
    (2.553942932760474, 2.5403418187823834, 1.033736182368408),
    (2.631628971369403, 2.620447626265627, 1.0286581320606865),
    (0.7337283255730858, 0.5638282741187647, 0.9920792682257601),
    (1.9938256502736929, 1.9477970771801856, 1.085898502286726),
    (2.9101149010777805, 2.9048578381009436, 1.0150144672650636),
    (2.2900370779169554, 2.2648247230791667, 1.05536072813892),
    (0.6460864622096933, 0.47867791284521694, 0.9500862715733541),
    (2.001571938452301, 1.9562055202903608, 1.085062060404863),
    (2.936177885859319, 2.9312996653679053, 1.0140652067028733),
    (2.8130055967909944, 2.8061023689738818, 1.0190141011320224),
    (2.0314142147021843, 1.9885381770153152, 1.0818418214365502),
    (9.234188132589818, 9.234188132589818, 1.0),
    (4.418188979575735, 4.418166992153993, 1.0000967313305849),
    (9.524894314035354, 9.524894314035354, 1.0),
    (5.126072439529779, 5.12607168125855, 1.0000038773877264),
    (9.525913569755634, 9.525913569755634, 1.0),
    (6.031962027915159, 6.031962023029847, 1.0000000294286182),
    (5.266720632383407, 5.266720266656248, 1.000001921896922),
    (7.494276201187669, 7.49427620118742, 1.000000000001871),
    (7.467301161294639, 7.467301161294333, 1.0000000000022808),
    (7.640675546012092, 7.64067554601201, 1.0000000000006304),
    (7.177717051903634, 7.17771705190109, 1.0000000000182472),
    (6.282536452146664, 6.282536451100329, 1.0000000065661043),
    (37.546646048342076, 37.546646048342076, 1.0),
    (30.68885510393174, 30.68885510393174, 1.0),
    (22.758778683180182, 22.758778683180182, 1.0),
    (31.15864682382574, 31.15864682382574, 1.0),
    (38.40463572287983, 38.40463572287983, 1.0),
    (11.682104416575458, 11.682104416575458, 1.0),
    (1.4298735649140266e-226, 7.149367824570133e-227, 0.5),
    (2.511896285353746e-199, 1.255948142676873e-199, 0.5),
    (2.7583740514325305e-161, 1.3791870257162652e-161, 0.5),
    (-7.122523570170655e-06, -3.5612415466070016e-06, 0.4999943170484095),
    (5.436722832543853e-245, 2.7183614162719264e-245, 0.5),
    (-5.487233558681197e-156, -2.7436167793405984e-156, 0.5),
    (-1.098969873048903e-67, -5.494849365244515e-68, 0.5),
    (-1.918507772956967e-65, -9.592538864784835e-66, 0.5),
    (-2.7210133612588676e-128, -1.3605066806294338e-128, 0.5),
    (1.303364164394535e-153, 6.516820821972675e-154, 0.5),
    (-3.128471317599377e-98, -1.5642356587996885e-98, 0.5),
    (-1.610114538877696e-212, -8.05057269438848e-213, 0.5),
    (2.775740186667797e-246, 1.3878700933338984e-246, 0.5),
    (-2.5591007071623796e-215, -1.2795503535811898e-215, 0.5),
    (-2.2870864593056428e-97, -1.1435432296528214e-97, 0.5),
    (-3.721144426479348e-212, -1.860572213239674e-212, 0.5),
    (2.2142742682453425e-231, 1.1071371341226712e-231, 0.5),
    (6.867783704882219e-252, 3.4338918524411096e-252, 0.5),
    (4.947527750484555e-51, 2.4737638752422774e-51, 0.5),
    (9.07466891971937e-245, 4.537334459859685e-245, 0.5),
    (-38.75, -0.0, -0.0),
    (-38.7386, -0.0, -0.0),
    (-38.73, -0.0, -0.0),
    (-37.5, -1.7270073785932332e-306, -6.476271143055812e-305),
    (38.75, 38.75, 1.0),
    (38.7, 38.7, 1.0),
    (-38.7497, -0.0, -0.0),
    (5e-324, 0.0, 0.5),
    (-5e-324, -0.0, 0.5),
    (1e-310, 5e-311, 0.5),
    (-1e-310, -5e-311, 0.5),
    (2.2250738585072014e-308, 1.1125369292536007e-308, 0.5),
    (-0.7517915241, -0.16997120747990366, 2.561194748942496e-10),
    (1.0, 0.8413447460685429, 1.0833154705876864),
    (-1.0, -0.15865525393145705, -0.0833154705876863),
    (2.0, 1.9544997361036416, 1.085231801078197),
    (-2.0, -0.04550026389635842, -0.0852318010781969),
    (8.0, 7.999999999999995, 1.0000000000000397),
    (-8.0, -4.976768459417427e-15, -3.979607261086796e-14),
]


def test_gelu_float64_exact_accuracy():
    x = np.array([r[0] for r in _GELU_F64_TABLE])
    want_y = np.array([r[1] for r in _GELU_F64_TABLE])
    want_d = np.array([r[2] for r in _GELU_F64_TABLE])
    t = torch.from_numpy(x.copy()).requires_grad_()
    y = torch.nn.functional.gelu(t)
    got_y = y.detach().numpy()
    assert _ulps(got_y, want_y, np.float64).max() <= 6.0
    assert (np.signbit(got_y) == np.signbit(x)).all()
    y.backward(torch.ones_like(t))
    got_d = t.grad.numpy()
    # the derivative's terms cancel around gelu's minimum (x = -0.7518): a
    # few ulps of the result or, there, of its terms' size
    size = np.array([0.5 * math.erfc(-v / math.sqrt(2.0)) for v in x]) \
        + np.abs(x) * np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
    bound = 6.0 * np.maximum(np.spacing(np.abs(want_d)), 2.0 ** -1074) + 2.0 ** -51 * size
    assert (np.abs(got_d - want_d) <= bound).all()
    far = np.abs(x + 0.7518) > 0.25
    assert _ulps(got_d[far], want_d[far], np.float64).max() <= 6.0


def test_gelu_float64_dense_against_float32_and_shape():
    # dense over [-40, 10] (floats, so that both kernels see the same x):
    # within float32's accuracy of the float32 kernel's results where those
    # are normal floats, monotone where gelu is (x > -0.7518), the signs, and
    # gelu(x) <= x
    xf = np.linspace(-40.0, 10.0, 200001, dtype=np.float32)
    x = xf.astype(np.float64)
    y = torch.nn.functional.gelu(torch.from_numpy(x)).numpy()
    yf = torch.nn.functional.gelu(torch.from_numpy(xf)).numpy().astype(np.float64)
    big = np.abs(yf) > 1e-30
    assert big.sum() > 80000
    assert np.allclose(y[big], yf[big], rtol=1e-6, atol=0)
    inc = x > -0.75
    assert (np.diff(y[inc]) >= 0).all()
    assert (y[x < 0] <= 0).all() and (y[x > 0] > 0).all()
    assert (y[x > 0] <= x[x > 0]).all()


def test_gelu_float64_special_values_and_layouts():
    inf, nan = float("inf"), float("nan")
    v = [inf, -inf, nan, -0.0, 0.0, -40.0, 40.0, 38.76, -38.76, 1e300, -1e300]
    x = torch.tensor(v, dtype=torch.float64, requires_grad=True)
    y = torch.nn.functional.gelu(x)
    r = y.detach().numpy()
    assert r[0] == inf and np.isnan(r[1]) and np.isnan(r[2])
    assert r[3] == 0.0 and np.signbit(r[3]) and r[4] == 0.0 and not np.signbit(r[4])
    assert r[5] == 0.0 and np.signbit(r[5]) and r[6] == 40.0
    assert r[7] == 38.76 and r[8] == 0.0 and np.signbit(r[8])
    assert r[9] == 1e300 and r[10] == 0.0 and np.signbit(r[10])
    y.backward(torch.ones_like(x))
    d = x.grad.numpy()
    assert np.isnan(d[0]) and np.isnan(d[1]) and np.isnan(d[2])
    assert d[3] == 0.5 and d[4] == 0.5 and d[5] == 0.0 and d[6] == 1.0
    assert d[7] == 1.0 and d[8] == 0.0 and d[9] == 1.0 and d[10] == 0.0
    # strided views (forward and backward) give the contiguous results
    a = np.random.default_rng(6).standard_normal((40, 30)) * 6
    want = torch.nn.functional.gelu(torch.from_numpy(np.ascontiguousarray(a.T))).numpy()
    assert np.array_equal(torch.nn.functional.gelu(torch.from_numpy(a).t()).numpy(), want)
    ta = torch.from_numpy(np.ascontiguousarray(a.T)).requires_grad_()
    torch.nn.functional.gelu(ta).sum().backward()
    tb = torch.from_numpy(a.copy()).requires_grad_()
    torch.nn.functional.gelu(tb.t()).sum().backward()
    assert np.array_equal(tb.grad.numpy().T, ta.grad.numpy())
    b = torch.from_numpy(np.repeat(a.ravel(), 3))[1::3]
    assert np.array_equal(torch.nn.functional.gelu(b).numpy(), want.T.ravel())
    # 0-d and empty
    assert torch.nn.functional.gelu(torch.tensor(-1.5, dtype=torch.float64)).item() == \
        torch.nn.functional.gelu(torch.tensor([-1.5], dtype=torch.float64)).numpy()[0]
    assert torch.nn.functional.gelu(torch.zeros(0, dtype=torch.float64)).shape == (0,)


# ------------------------------------------------------- exp / exp2 at the ends

@pytest.mark.parametrize("name,lo,hi", [("exp", -110.0, 95.0), ("exp2", -160.0, 135.0)])
def test_float32_exp_denormal_zero_and_overflow_results(name, lo, hi):
    # past the fast form's range the results are denormals, zeros or
    # infinities; within one ulp (a denormal's spacing there) of float64's
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.uniform(lo, hi, 20000), np.linspace(lo, hi, 4001),
                        [0.0, -0.0, np.inf, -np.inf, np.nan, -149.0, -150.0, -126.0, 127.99, 128.0,
                         -103.97, -87.5, 88.72, 88.73, -1e30, 1e30]]).astype(np.float32)
    f = getattr(torch, name)
    got = f(torch.from_numpy(x)).numpy()
    with np.errstate(over="ignore"):
        want = getattr(np, name)(x.astype(np.float64))
        fin = _same_specials(got, want.astype(np.float32))
    tiny = fin & (want < np.finfo(np.float32).tiny)
    assert tiny.sum() > 1000
    # the polynomial's error and one rounding: under 1 ulp of the exact
    # value; a denormal is p 2^k rounded once to its coarser spacing
    assert _ulps(got[fin & ~tiny], want[fin & ~tiny], np.float32).max() < 1.0
    assert _ulps(got[tiny], want[tiny], np.float32).max() < 0.8
    # an element's value does not depend on its block's other elements
    # (blocks of fast-form elements alone, of the others alone, mixed)
    for keep in (np.abs(x) < 60, ~(np.abs(x) < 60)):
        alone = f(torch.from_numpy(x[keep].copy())).numpy()
        assert np.array_equal(alone, got[keep], equal_nan=True)


# ------------------------------------------- binary ops over short broadcast rows

@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int16", "complex128"])
@pytest.mark.parametrize("rows,n", [(64, 1), (65, 7), (1003, 100), (300, 256), (300, 257), (5, 100)])
def test_binary_ops_over_short_broadcast_rows(dtype, rows, n):
    # groups of rows run as one long row, the broadcast row copied per row
    # of the group; the rows past the last whole group as they were
    rng = np.random.default_rng(rows * n)
    def vals(shape):
        if dtype.startswith("int"):
            return rng.integers(-50, 50, size=shape).astype(dtype)
        a = rng.standard_normal(shape)
        if dtype.startswith("complex"):
            a = a + 1j * rng.standard_normal(shape)
        return a.astype(dtype)
    m, v, w = vals((rows, n)), vals((n,)), vals((1, n))
    M, V, W = torch.from_numpy(m), torch.from_numpy(v), torch.from_numpy(w)
    ops = [("sub", np.subtract), ("mul", np.multiply)]
    if not dtype.startswith("complex"):
        ops += [("lt", np.less), ("maximum", np.maximum)]
    def same(got, want_np, dense):
        # bit for bit the loop's values on materialised operands; numpy's
        # (complex products may round differently: fused multiply-adds)
        assert np.array_equal(got.numpy(), dense.numpy())
        assert np.allclose(got.numpy(), want_np, rtol=1e-14, atol=0)
    Vd = V.expand(rows, n).contiguous()
    Wd = W.expand(rows, n).contiguous()
    for threads in (1, 2):
        old = torch.get_num_threads()
        torch.set_num_threads(threads)
        try:
            for name, ref in ops:
                f = getattr(torch, name)
                same(f(M, V), ref(m, v), f(M, Vd))
                same(f(V, M), ref(v, m), f(Vd, M))
                same(f(W, M), ref(w, m), f(Wd, M))
                # a column block of a wider tensor (rows with gaps) is not of this kind
                wide = torch.from_numpy(np.concatenate([m, m], 1))[:, :n]
                same(f(wide, V), ref(m, v), f(M, Vd))
                # both inputs one broadcast row, into out=
                out = torch.empty(rows, n, dtype=getattr(torch, ref(v, v).dtype.name))
                f(V.expand(rows, n), W, out=out)
                same(out, np.broadcast_to(ref(v, w), (rows, n)), f(Vd, Wd))
        finally:
            torch.set_num_threads(old)


# ------------------------- short rows: an input broadcast along or across them

def _wide_vals(rng, dtype, sh):
    """values of dtype spread over +-20 (complex: both parts; bool: signs)"""
    a = rng.standard_normal(sh) * 20
    if dtype == "complex128":
        a = a + 1j * rng.standard_normal(sh)
    return (a > 0) if dtype == "bool" else a.astype(dtype)


@pytest.mark.parametrize("dtype", ["bool", "int16", "float16", "float32", "float64", "complex128"])
@pytest.mark.parametrize("shape", [(5000, 1), (4097, 8), (1500, 63), (3, 700, 17), (2, 3000, 40),
                                   (1100, 32)])
def test_short_rows_with_a_broadcast_input(dtype, shape, threads):
    # an input whose rows are not adjacent where the output's are (a column
    # broadcast along the rows, one row repeated down a dim, a wider
    # tensor's column block) is copied into blocks of whole rows and the loop
    # runs once a block (a column along rows of 32: copied where a row is
    # one or two cache lines): every element size, block edges, a batch dim, both
    # operand orders, flipped operands, out=, where and masked_fill with a
    # broadcast condition, two threads
    rng = np.random.default_rng(sum(shape))
    vals = lambda sh: _wide_vals(rng, dtype, sh)
    m = vals(shape)
    col = vals(shape[:-1] + (1,))
    row = vals(shape[:-2] + (1,) + shape[-1:])
    M = torch.from_numpy(m)
    others = [torch.from_numpy(col), torch.from_numpy(row),
              torch.from_numpy(np.concatenate([m, m], -1))[..., :shape[-1]],
              torch.from_numpy(col).flip(-2)]
    ops = [("logical_xor", np.logical_xor)] if dtype == "bool" else [("mul", np.multiply), ("sub", np.subtract)]
    for count in (1, 2):
        threads(count)
        for X in others:
            Xd = X.expand(*shape).contiguous()
            for name, ref in ops:
                f = getattr(torch, name)
                for got, dense, want in ((f(M, X), f(M, Xd), ref(m, Xd.numpy())),
                                         (f(X, M.flip(-1)), f(Xd, M.flip(-1).contiguous()),
                                          ref(Xd.numpy(), m[..., ::-1]))):
                    assert np.array_equal(got.numpy(), dense.numpy())
                    assert np.array_equal(got.numpy(), want) or np.allclose(got.numpy(), want,
                                                                            rtol=1e-3 if dtype == "float16" else 1e-14)
                out = torch.empty(shape, dtype=f(M, X).dtype)
                f(M, X, out=out)
                assert np.array_equal(out.numpy(), f(M, Xd).numpy())
            # where: a bool condition (1-byte elements) broadcast the same ways
            C = X if dtype == "bool" else X.real > 0 if dtype == "complex128" else X > 0
            Cd = C.expand(*shape).contiguous()
            assert np.array_equal(torch.where(C, M, M.flip(-1)).numpy(),
                                  np.where(Cd.numpy(), m, m[..., ::-1]))
            assert np.array_equal(torch.where(C, X, M).numpy(), torch.where(Cd, Xd, M).numpy())
            assert np.array_equal(M.masked_fill(C, 1).numpy(), np.where(Cd.numpy(), 1, m).astype(m.dtype))


# --------------------------------------------------------------- nan_to_num

@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
@pytest.mark.parametrize("density", [0.0, 0.001, 0.05, 0.5, 1.0])
def test_nan_to_num_blocks(dtype, density):
    # dense float / double test a block of vectors for NaN and infinities
    # at once and replace only in a block that has one (in place: no store
    # of a clean block); every position, block tails, replacements
    # given or the dtype's extremes, in place, out= and strided
    rng = np.random.default_rng(int(density * 1000))
    for n in (1, 7, 31, 32, 33, 63, 64, 65, 100, 1000, 4099):
        x = rng.standard_normal(n).astype(dtype)
        bad = rng.random(n) < density
        x[bad] = rng.choice(np.array([np.nan, np.inf, -np.inf], dtype), bad.sum())
        for kw in ({}, {"nan": 2.5, "posinf": -7.0, "neginf": 1e4}, {"posinf": np.inf, "nan": np.nan}):
            want = np.nan_to_num(x, **{"nan": 0.0, **kw})
            got = torch.nan_to_num(torch.from_numpy(x), **kw).numpy()
            assert np.array_equal(got, want, equal_nan=True)
            t = torch.from_numpy(x.copy())
            t.nan_to_num_(**kw)
            assert np.array_equal(t.numpy(), want, equal_nan=True)
            out = torch.full((n,), 3.0, dtype=getattr(torch, dtype))
            torch.nan_to_num(torch.from_numpy(x), out=out, **kw)
            assert np.array_equal(out.numpy(), want, equal_nan=True)
            y = np.repeat(x, 2)
            got = torch.nan_to_num(torch.from_numpy(y)[::2], **kw).numpy()
            assert np.array_equal(got, want, equal_nan=True)


def _bf16_bits_of_f32(f):
    # float32 -> bfloat16 patterns, nearest even on the bits, a NaN quieted
    u = np.asarray(f, np.float32).view(np.uint32).astype(np.uint64)
    r = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)
    nan = (u & 0x7FFFFFFF) > 0x7F800000
    return np.where(nan, ((u >> 16) | 0x40).astype(np.uint16), r)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_nan_to_num_half_patterns(dtype):
    # half and bfloat16 work on the 16-bit patterns: every pattern, the
    # replacements rounded to the dtype (half from the double, bfloat16 from
    # float), overflowing ones to infinity, a NaN replacement kept NaN
    bits = np.arange(65536, dtype=np.uint16)
    x = torch.from_numpy(bits.view(np.int16).copy()).view(getattr(torch, dtype))
    for kw in ({}, {"nan": 1.5, "posinf": 1e6, "neginf": -3.3e-5},
               {"nan": float("nan"), "posinf": 65519.0, "neginf": -65521.0}):
        if dtype == "float16":
            with np.errstate(over="ignore"):      # 1e6 rounds to half's infinity
                want = np.nan_to_num(bits.view(np.float16), **{"nan": 0.0, **kw}).view(np.uint16)
        else:
            f = (bits.astype(np.uint32) << 16).view(np.float32)
            big = float(np.float32(3.3895313892515355e38))
            rep = {"nan": 0.0, "posinf": big, "neginf": -big, **kw}
            want = _bf16_bits_of_f32(np.nan_to_num(f, nan=np.float32(rep["nan"]),
                                                   posinf=np.float32(rep["posinf"]),
                                                   neginf=np.float32(rep["neginf"])))
        for got in (x.nan_to_num(**kw), x[::3].nan_to_num(**kw)):
            g = got.view(torch.int16).numpy().view(np.uint16)
            w = want if len(g) == 65536 else want[::3]
            gn = (g & 0x7FFF) > (0x7C00 if dtype == "float16" else 0x7F80)
            wn = (w & 0x7FFF) > (0x7C00 if dtype == "float16" else 0x7F80)
            assert np.array_equal(gn, wn)
            assert np.array_equal(g[~gn], w[~wn])


# -------------------------------------------------------------------- clamp

def _clamp_ref(x, lo, hi):
    # in float64, as a C loop over doubles would, then rounded once
    r = x.astype(np.float64)
    if lo is not None:
        r = np.where(r < lo, lo, r)
    if hi is not None:
        r = np.where(r > hi, hi, r)
    return r.astype(x.dtype)


@pytest.mark.parametrize("lo,hi", [(-0.5, 0.5), (0.1, None), (None, -0.1), (0.1, 0.3), (1.0001, 1.0),
                                   (0.3, 0.1), (-65504.0, 65500.0), (65504.0, None), (None, 1e-8),
                                   (-np.inf, 2.0 ** -20), (1.0 + 2.0 ** -11, 1.0 + 3 * 2.0 ** -11),
                                   (1.0 + 2.0 ** -11 + 2.0 ** -40, None)])
def test_clamp_half_every_value(lo, hi):
    # half runs the float loop with its bounds rounded to half first: every
    # half value against bounds between halves, at ties, past the range,
    # lo > hi; the value of a comparison in double rounded once
    x = np.arange(65536, dtype=np.uint16).view(np.float16)
    want = _clamp_ref(x, lo, hi)
    t = torch.from_numpy(x.copy())
    assert np.array_equal(torch.clamp(t, lo, hi).numpy(), want, equal_nan=True)
    assert np.array_equal(torch.from_numpy(np.repeat(x, 2))[::2].clamp(lo, hi).numpy(), want, equal_nan=True)
    t.clamp_(lo, hi)
    assert np.array_equal(t.numpy(), want, equal_nan=True)


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "int64"])
def test_clamp_integers_in_their_type(dtype):
    # the bounds wrapped to the dtype (as PyTorch converts them), then
    # compared in the dtype itself
    info = np.iinfo(dtype)
    rng = np.random.default_rng(3)
    x = np.concatenate([np.array([info.min, info.max, 0, 1, -1], dtype=np.int64).astype(dtype),
                        rng.integers(info.min, info.max, 1000, endpoint=True).astype(dtype)])
    bounds = [(-5, 5), (3, None), (None, -2), (7, 2), (info.min, info.max), (-2, 3)]
    for lo, hi in bounds:
        wl = None if lo is None else np.array(lo).astype(dtype)
        wh = None if hi is None else np.array(hi).astype(dtype)
        want = x.copy()
        if wl is not None:
            want = np.where(want < wl, wl, want)
        if wh is not None:
            want = np.where(want > wh, wh, want)
        got = torch.clamp(torch.from_numpy(x), lo, hi).numpy()
        assert got.dtype == x.dtype and np.array_equal(got, want), (lo, hi)
        t = torch.from_numpy(x.copy())
        t.clamp_(lo, hi)
        assert np.array_equal(t.numpy(), want)


# ------------------------------------------------------- logical ops of half

@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_logical_ops_of_half(dtype):
    # halves and bfloat16 widened to float: zeros of both signs are false,
    # NaN and the smallest denormal true
    x = np.array([0.0, -0.0, np.nan, 1.0, -2.0, np.inf, -np.inf, 6e-8, 0.0, 3.0], np.float32)
    y = np.roll(x, 3)
    X = torch.from_numpy(x).to(getattr(torch, dtype))
    Y = torch.from_numpy(y).to(getattr(torch, dtype))
    xb = X.float().numpy() != 0
    yb = Y.float().numpy() != 0
    for name, ref in (("logical_and", np.logical_and), ("logical_or", np.logical_or),
                      ("logical_xor", np.logical_xor)):
        got = getattr(torch, name)(X, Y)
        assert got.dtype == torch.bool and np.array_equal(got.numpy(), ref(xb, yb))
        assert np.array_equal(getattr(torch, name)(X[::2], Y[1::2]).numpy(), ref(xb[::2], yb[1::2]))
    assert np.array_equal(torch.logical_not(X).numpy(), ~xb)
    big = torch.from_numpy(np.resize(x, 5000)).to(getattr(torch, dtype))
    assert np.array_equal(torch.logical_not(big).numpy(), ~(big.float().numpy() != 0))


# ---------------------------------------------- transposed inputs, buffered

@pytest.mark.parametrize("dtype", ["bool", "int8", "int16", "float16", "float32", "int64", "float64", "complex128"])
@pytest.mark.parametrize("shape", [(37, 300), (300, 37), (64, 513), (3, 40, 70)])
def test_transposed_inputs_copied_a_tile_at_a_time(dtype, shape):
    # an input that walks its memory across the output's rows is copied a
    # tile at a time into a dense block for the loop (every element size,
    # tile edges, a batch dim, both operand orders, a cast, two threads)
    rng = np.random.default_rng(sum(shape))
    vals = lambda sh: _wide_vals(rng, dtype, sh)
    a = vals(shape[:-2] + shape[-1:] + shape[-2:-1])       # its last two dims swapped
    b = vals(shape)
    at = np.swapaxes(a, -1, -2)
    A, B = torch.from_numpy(a).transpose(-1, -2), torch.from_numpy(b)
    for threads in (1, 2):
        old = torch.get_num_threads()
        torch.set_num_threads(threads)
        try:
            Ad = A.contiguous()
            def same(got, dense, want):
                # bit for bit the loop's values on a dense copy; numpy's
                # (complex products may round differently: fused multiply-adds)
                assert np.array_equal(got.numpy(), dense.numpy())
                assert np.allclose(got.numpy(), want, rtol=1e-14, atol=0)
            if dtype == "bool":
                assert np.array_equal((A ^ B).numpy(), at ^ b)
                assert np.array_equal((B | A).numpy(), b | at)
            else:
                same(A * B, Ad * B, at * b)
                same(B - A, B - Ad, b - at)
                if dtype != "complex128":
                    same(torch.maximum(B, A), torch.maximum(B, Ad), np.maximum(b, at))
            assert np.array_equal((A == B).numpy(), at == b)
            assert np.array_equal(A.to(torch.float64).contiguous().numpy(), at.astype(np.float64)) \
                if dtype != "complex128" else True
            out = torch.empty(shape, dtype=A.dtype)
            torch.neg(A, out=out) if dtype != "bool" else torch.logical_not(A, out=out)
            assert np.array_equal(out.numpy(), -at if dtype != "bool" else ~at)
        finally:
            torch.set_num_threads(old)


# --------------------------------------------- python scalars with half types

def test_half_scalar_operands_every_value():
    # half kernels compute in float: mul and the divisions take a python
    # scalar at its float value, the other binary ops rounded to half first
    # (PyTorch's values); the result rounded to half once
    x = np.arange(65536, dtype=np.uint16).view(np.float16)
    xf = x.astype(np.float32)
    t = torch.from_numpy(x)
    with np.errstate(all="ignore"):
        for s in (0.3, -1.7, 1e-3, 2.0):
            h, f = np.float32(np.float16(s)), np.float32(s)
            cases = [(t + s, xf + h), (s - t, h - xf), (t * s, xf * f), (t / s, xf / f),
                     (torch.div(t, s, rounding_mode="trunc"), np.trunc(xf / f)),
                     (torch.remainder(t, s), np.remainder(xf, h)), (torch.fmod(t, s), np.fmod(xf, h))]
            for got, want in cases:
                assert np.array_equal(got.numpy(), want.astype(np.float16), equal_nan=True), s
            assert np.array_equal((t == s).numpy(), xf == h) and np.array_equal((t < s).numpy(), xf < h)
            # add / sub of two half tensors scale by alpha rounded to half
            y = t.flip(0)
            yf = xf[::-1]
            assert np.array_equal(torch.add(t, y, alpha=s).numpy(), (xf + yf * h).astype(np.float16),
                                  equal_nan=True)
            assert np.array_equal(torch.sub(t, y, alpha=s).numpy(), (xf - yf * h).astype(np.float16),
                                  equal_nan=True)


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int64"])
def test_number_divided_by_a_tensor(dtype):
    # `number / t` is PyTorch's t.reciprocal() * number (its values, and
    # the product's node in the graph)
    rng = np.random.default_rng(4)
    x = (rng.standard_normal(5000) * 30).astype(dtype)
    t = torch.from_numpy(x)
    rec = t.reciprocal()
    for s in (0.3, -1.7, 3):
        got = s / t
        assert got.dtype == rec.dtype and np.array_equal(got.numpy(), (rec * s).numpy(), equal_nan=True)
        if dtype == "float64":
            np.testing.assert_allclose(got.numpy(), s / x, rtol=1e-15)
    w = torch.tensor([2.0, 4.0], requires_grad=True)
    y = 3 / w
    assert type(y.grad_fn).__name__ == "MulBackward0"
    y.sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), [-0.75, -0.1875])


# ------------------------------ rows with one value a row: a bias, a column

@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape,vshape", [((33, 16), (33, 1)), ((5, 7, 49), (7, 1)),
                                          ((3, 37, 100), (37, 1)), ((2, 45, 256), (2, 45, 1)),
                                          ((4, 18, 3, 20), (18, 1, 1))])
def test_rows_with_one_value_a_row(dtype, shape, vshape, threads):
    # add, sub, mul and div with one operand a value a row (inner stride 0)
    # and dense rows of 16 floats up to 1 KB: runs of rows a call, cut
    # between up to three threads mid-dim; both operand orders, rows a
    # step apart (a sliced input), out= and in place
    rng = np.random.default_rng(len(shape) * 100 + shape[-1])
    a = rng.uniform(0.5, 4.0, shape).astype(dtype)
    v = rng.uniform(0.5, 4.0, vshape).astype(dtype)
    wide = rng.uniform(0.5, 4.0, shape[:-1] + (shape[-1] + 5,)).astype(dtype)
    A, V = torch.from_numpy(a), torch.from_numpy(v)
    W = torch.from_numpy(wide)[..., 2:2 + shape[-1]]
    w = wide[..., 2:2 + shape[-1]]
    for count in (1, 2, 3):
        threads(count)
        for name, ref in (("add", np.add), ("sub", np.subtract), ("mul", np.multiply), ("div", np.divide)):
            f = getattr(torch, name)
            np.testing.assert_array_equal(f(A, V).numpy(), ref(a, v))
            np.testing.assert_array_equal(f(V, A).numpy(), ref(v, a))
            np.testing.assert_array_equal(f(W, V).numpy(), ref(w, v))
            out = torch.empty(shape, dtype=A.dtype)
            f(V, W, out=out)
            np.testing.assert_array_equal(out.numpy(), ref(v, w))
            B = A.clone()
            getattr(B, name + "_")(V)
            np.testing.assert_array_equal(B.numpy(), ref(a, v))


# ------------------------------------------------ every other element copied

@pytest.mark.parametrize("dtype", ["int8", "float16", "float32", "int64", "float64", "complex128"])
def test_every_other_element_copied(dtype):
    # a stride-2 row of 4- and 8-byte elements is two vectors' even lanes
    # permuted into one; every length past the whole vectors
    rng = np.random.default_rng(9)
    for n in (1, 7, 8, 15, 16, 17, 33, 100, 1001):
        a = (rng.standard_normal((3, 2 * n + 1)) * 50).astype(dtype)
        t = torch.from_numpy(a)
        assert np.array_equal(t[:, ::2].contiguous().numpy(), a[:, ::2])
        assert np.array_equal(t[:, 1::2].contiguous().numpy(), a[:, 1::2])
        assert np.array_equal(t[:, ::2].clone().numpy(), a[:, ::2])
    c = (rng.standard_normal(999) + 1j * rng.standard_normal(999)).astype(np.complex64)
    assert np.array_equal(torch.from_numpy(c).real.contiguous().numpy(), c.real)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("step", [2, 3, 4, 5, 16])
def test_strided_operands_gathered(dtype, step):
    # a strided operand of a unary or binary loop is gathered a block at a
    # time (every other element by permutes, other strides by the CPU's
    # gather or four loads a step): lengths across the 4-, 8-, 16-value
    # steps and the 256-value blocks, an odd start
    rng = np.random.default_rng(abs(step))
    for n in (1, 3, 4, 5, 15, 16, 17, 255, 256, 257, 1000):
        a = rng.uniform(0.5, 4.0, abs(step) * n + 1).astype(dtype)
        b = rng.uniform(0.5, 4.0, n).astype(dtype)
        t = torch.from_numpy(a)
        for lo in (0, 1):
            x = t[lo::step][:n]
            ref = a[lo::step][:n]
            np.testing.assert_array_equal(torch.sqrt(x).numpy(), np.sqrt(ref))
            np.testing.assert_array_equal(torch.relu(x - 2).numpy(), np.maximum(ref - 2, 0))
            np.testing.assert_array_equal((x * torch.from_numpy(b)).numpy(), ref * b)
            np.testing.assert_array_equal((torch.from_numpy(b) / x).numpy(), b / ref)


# -------------------------------------------------------------------- frexp

@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_frexp_special_values_and_layouts(dtype):
    fi = np.finfo(dtype)
    rng = np.random.default_rng(1)
    x = np.concatenate([rng.standard_normal(1000) * 10.0 ** rng.integers(-30, 30, 1000),
                        [0.0, -0.0, np.inf, -np.inf, np.nan, fi.tiny, -fi.tiny, fi.smallest_subnormal,
                         -fi.smallest_subnormal, fi.tiny / 3, fi.max, -fi.max, 1.0, 0.5, -0.75]]).astype(dtype)
    m, e = torch.frexp(torch.from_numpy(x))
    assert m.dtype == getattr(torch, dtype) and e.dtype == torch.int32
    wm, we = np.frexp(x)
    fin = np.isfinite(x)
    assert np.array_equal(m.numpy()[fin], wm[fin])
    assert np.array_equal(np.signbit(m.numpy()), np.signbit(x))
    assert np.array_equal(e.numpy()[fin], we[fin])
    # an infinity or NaN is its own mantissa, exponent 0 (as PyTorch)
    assert np.array_equal(m.numpy()[~fin], x[~fin], equal_nan=True)
    assert (e.numpy()[~fin] == 0).all()
    # a transposed, a strided and a 0-d input; an empty one
    x2 = x[:1000].reshape(25, 40)
    t = torch.from_numpy(x2).t()
    m2, e2 = torch.frexp(t)
    assert np.array_equal(m2.numpy(), np.frexp(x2.T)[0]) and np.array_equal(e2.numpy(), np.frexp(x2.T)[1])
    m3, e3 = torch.frexp(torch.from_numpy(x)[::3])
    assert np.array_equal(m3.numpy(), m.numpy()[::3], equal_nan=True) and np.array_equal(e3.numpy(), e.numpy()[::3])
    m0, e0 = torch.frexp(torch.tensor(np.array(12.0, dtype=dtype)))
    assert m0.shape == () and float(m0) == 0.75 and int(e0) == 4
    me, ee = torch.frexp(torch.empty(0, 3, dtype=getattr(torch, dtype)))
    assert me.shape == (0, 3) and ee.shape == (0, 3) and ee.dtype == torch.int32


def test_frexp_gradient():
    x = torch.tensor([3.0, -0.3, 1e-3], dtype=torch.float64, requires_grad=True)
    m, e = torch.frexp(x)
    m.sum().backward()
    assert np.allclose(x.grad.numpy(), 1.0 / np.exp2(e.numpy()))


# ---------------------------------------------------------------------- gcd

@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "int64"])
@pytest.mark.parametrize("n", [1, 15, 16, 17, 100, 1001])
def test_gcd_blocks(dtype, n):
    info = np.iinfo(dtype)
    rng = np.random.default_rng(n)
    a = rng.integers(info.min + 1, info.max, n, dtype=dtype, endpoint=True)
    b = rng.integers(info.min + 1, info.max, n, dtype=dtype, endpoint=True)
    a[::7] = 0
    b[::5] = 0
    b[1::3] = a[1::3] * (2 if dtype != "uint8" else 1) // 3
    got = torch.gcd(torch.from_numpy(a), torch.from_numpy(b)).numpy()
    assert got.dtype == a.dtype
    assert np.array_equal(got, np.gcd(a.astype(np.int64), b.astype(np.int64)).astype(dtype))
    # strided operands and a scalar second operand
    A = torch.from_numpy(np.repeat(a, 2))[::2]
    assert np.array_equal(torch.gcd(A, torch.from_numpy(b)).numpy(), got)
    s = torch.tensor(int(b[0]), dtype=getattr(torch, dtype))
    want = np.gcd(a.astype(np.int64), int(b[0])).astype(dtype)
    assert np.array_equal(torch.gcd(torch.from_numpy(a), s).numpy(), want)


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "int64"])
def test_gcd_type_minimum(dtype):
    # the magnitude of the minimum wraps; PyTorch's Euclid on wrapped values
    mn = int(np.iinfo(dtype).min)
    a = np.array([mn, mn, mn, mn, 6, 0, mn] + [12] * 20, dtype=dtype)
    b = np.array([6, 0, mn, -4, mn, mn, 3] + [18] * 20, dtype=dtype)
    got = torch.gcd(torch.from_numpy(a), torch.from_numpy(b)).numpy()
    assert got[:7].tolist() == [-2, mn, mn, 4, -2, mn, 1]
    assert (got[7:] == 6).all()


# ------------------------------------------------------------ lgamma float64

# (x, log|gamma(x)|) rounded from 200-bit values (mpmath): each region of the
# float64 kernel, its edges and their neighbours, the zeros' and the minimum's
# surroundings, and negative x
_LGAMMA_TABLE = [
    (1.2857022215915623e-301, 692.8268079461774),
    (4.992778735815524e-301, 691.470120375549),
    (6.014983664903134e-301, 691.2838593575116),
    (2.868902998433151e-302, 694.3267683580101),
    (1.4792608457745594e-09, 20.331723301603205),
    (9.282110229603696e-09, 18.495176915209512),
    (7.042057615419684e-10, 21.07395052715045),
    (1.2977394939929798e-09, 20.462641936060304),
    (0.474164227162603, 0.6247909550079419),
    (0.31094180017935547, 1.0581910974669366),
    (0.18449656817496426, 1.6093846736252664),
    (0.25569501578773113, 1.2642220772698989),
    (0.6325685905033598, 0.3499313183033029),
    (0.5550617631522259, 0.4712973828307625),
    (0.527593614573391, 0.5200066277818882),
    (0.6576079189007984, 0.3152184642492267),
    (0.9011081752307452, 0.06554082815203158),
    (0.853714694044948, 0.10343247546147168),
    (0.9450209307908974, 0.03429001878516063),
    (0.8647225806610079, 0.094228487276643),
    (1.4904568196486527, -0.12108778020568782),
    (1.1022547306650226, -0.050824254759240184),
    (1.276865181432614, -0.10395456920915275),
    (1.2418123484616939, -0.09636927110495655),
    (1.676637427530224, -0.10046214012757983),
    (1.7957976519745218, -0.07227499223065281),
    (1.6176506158337902, -0.11023387113737933),
    (1.9011013418892417, -0.03859157824889894),
    (2.867333551842415, 0.5742617154364137),
    (2.128759671227851, 0.05964540021103392),
    (2.467073206738271, 0.2617974100487302),
    (2.2771448925337046, 0.14061775458620865),
    (3.415584988676212, 1.1090386684989377),
    (7.479721541251838, 7.4949163466442235),
    (5.149743460239177, 3.406039611979338),
    (3.7384564998104706, 1.4731853254245098),
    (675.9754584177035, 3726.447585588093),
    (208.59829956573384, 903.6513597850212),
    (902.2196300586716, 5234.773423626344),
    (223.41107135917994, 983.2372219461133),
    (3.3074687377428695e+298, 2.270135876584245e+301),
    (2.0076895416121933e+299, 1.3816315660615715e+302),
    (3.4574787375563955e+299, 2.381212221805063e+302),
    (4.689081634224847e+299, 3.2308624913979464e+302),
    (0.5, 0.5723649429247001),
    (0.7, 0.26086724653166654),
    (1.5, -0.12078223763524522),
    (3.0, 0.6931471805599453),
    (8.0, 8.525161361065415),
    (0.49999999999999994, 0.5723649429247002),
    (0.6999999999999998, 0.2608672465316667),
    (0.9999999999999999, 6.408381213480008e-17),
    (1.4999999999999998, -0.12078223763524523),
    (1.9999999999999998, -9.387698065543117e-17),
    (2.9999999999999996, 0.693147180559945),
    (7.999999999999999, 8.525161361065413),
    (0.5000000000000001, 0.5723649429246999),
    (0.7000000000000001, 0.26086724653166643),
    (1.0000000000000002, -1.2816762426960008e-16),
    (1.5000000000000002, -0.12078223763524522),
    (2.0000000000000004, 1.8775396131086244e-16),
    (3.0000000000000004, 0.6931471805599457),
    (8.000000000000002, 8.525161361065418),
    (1.0008122686777912, -0.0004683117719148818),
    (1.0003947221774725, -0.0002277117037892619),
    (0.9996786413214849, 0.00018557821391369876),
    (0.999033754430195, 0.0005585003210428259),
    (1.99931964738821, -0.00028749314195697926),
    (2.0009928717510794, 0.00042008844338395926),
    (1.9999194319597864, -3.406081207573096e-05),
    (2.0003820798326375, 0.000161584439589237),
    (6.321743069344111e-268, 615.2488099501605),
    (2.6925722663594346e-280, 643.733329068771),
    (3.4202973746290897e+207, 1.6310195662860217e+210),
    (5.359995191905469e+52, 6.454151802586951e+54),
    (1.682077194566788e-115, 264.27725623930706),
    (2.6667540836252224e-110, 252.30349819551114),
    (1.4608106194771977, -0.12148596391099126),
    (1.4609774841705794, -0.12148608313157504),
    (1.4606813171832926, -0.12148585298552197),
    (-4.82625454881655, -2.6935044347612576),
    (-16.010904083905046, -26.183619973276365),
    (-26.18391251824409, -60.115491650088536),
    (-7.822593778989237, -8.445071015400622),
    (-24.13041510164037, -53.13707190835203),
    (-28.142392945546423, -66.38436579901598),
    (-12.048236780278856, -17.073689446911214),
    (-3.127267447761554, 0.13435706818664558),
    (-29.191697658458917, -70.19341731486003),
    (-5.8459203032499225, -4.382883741891506),
    (-24.294899498149775, -54.361299617693504),
    (-27.212957350903586, -63.641744747212734),
]


def test_lgamma_float64_regions():
    x = np.array([v for v, _ in _LGAMMA_TABLE])
    want = np.array([r for _, r in _LGAMMA_TABLE])
    got = torch.lgamma(torch.from_numpy(x)).numpy()
    pos = x > 0
    assert _ulps(got[pos], want[pos], np.float64).max() <= 4.0
    assert np.allclose(got[~pos], want[~pos], rtol=1e-14, atol=0)
    # the zeros are exact; a strided input gives the contiguous values
    assert (torch.lgamma(torch.tensor([1.0, 2.0], dtype=torch.float64)).numpy() == 0.0).all()
    xs = torch.from_numpy(np.repeat(x, 2))[::2]
    assert np.allclose(torch.lgamma(xs).numpy(), got, rtol=4e-16, atol=0)


def test_lgamma_float64_poles_and_extremes():
    inf = float("inf")
    x = np.array([0.0, -0.0, -1.0, -2.0, -100.0, -inf, inf, np.nan, 5e-324, -5e-324, 1e306, 1.7e308])
    got = torch.lgamma(torch.from_numpy(x)).numpy()
    assert (got[:7] == inf).all() and np.isnan(got[7])
    assert got[8] == pytest.approx(-math.log(5e-324), rel=1e-15)
    assert got[9] == pytest.approx(-math.log(5e-324), rel=1e-15)
    assert got[10] == pytest.approx(1e306 * (math.log(1e306) - 1), rel=1e-15)
    assert got[11] == inf


@pytest.mark.parametrize("shape", [(3, 700, 37), (2, 5, 4099), (4100, 3), (65, 64, 2)])
def test_strided_rows_walked_whole_between_split_points(shape, threads):
    # the N-d walk steps whole rows along the dim before the last and carries
    # into the outer dims at its end; two threads start mid-row (their split
    # on 64-element boundaries): a strided view, a broadcast column, out=
    rng = np.random.default_rng(sum(shape))
    big = rng.standard_normal(shape[:-2] + (2 * shape[-2], shape[-1] + 3))
    a = big[..., ::2, 1:shape[-1] + 1]
    col = rng.standard_normal(shape[:-1] + (1,))
    A, C = torch.from_numpy(big)[..., ::2, 1:shape[-1] + 1], torch.from_numpy(col)
    for count in (1, 2):
        threads(count)
        assert np.array_equal((A * 3.0).numpy(), a * 3.0)
        assert np.array_equal((A - C).numpy(), a - col)
        out = torch.empty(shape, dtype=torch.float64).transpose(-1, -2).contiguous().transpose(-1, -2)
        torch.add(A, C, out=out)
        assert np.array_equal(out.numpy(), a + col)
