"""The table of random sampling ops that tests/test_random.py is driven by.

PyTorch's CPU generator is not ctorch's (Philox), so values are not
compared with PyTorch's; each entry instead draws a large sample
(`draw(torch, generator)`; generator None means the default generator) and
checks its distribution with fixed seeds and bounds of about 5 sigma
(`check(array)` on the numpy result), and lists error cases (a call,
exception type and message fragment). `generator`: whether the op takes a
generator= argument (dropout draws from the default generator only).
"""
from dataclasses import dataclass, field
from typing import Callable

import numpy as np


@dataclass
class RandOp:
    name: str
    draw: Callable
    check: Callable
    generator: bool = True
    errors: list = field(default_factory=list)


def _near(mean, p, n):
    """|mean - p| within 5 standard errors of a Bernoulli(p) mean of n draws."""
    assert abs(mean - p) <= 5 * np.sqrt(p * (1 - p) / n) + 1e-12, (mean, p, n)


def _chi2_ok(counts, probs):
    """Pearson's statistic below a bound that a correct sampler exceeds with
    probability < 1e-6 (df + 10 sqrt(2 df) + 10 is far beyond that quantile)."""
    counts = np.asarray(counts, dtype=np.float64)
    probs = np.asarray(probs, dtype=np.float64)
    keep = probs > 0
    assert counts[~keep].sum() == 0, "a zero-probability category was drawn"
    expected = counts.sum() * probs[keep] / probs[keep].sum()
    stat = ((counts[keep] - expected) ** 2 / expected).sum()
    df = keep.sum() - 1
    assert stat < df + 10 * np.sqrt(2 * df) + 10, (stat, df)


def _bern_values(a, dtype):
    assert a.dtype == dtype, a.dtype
    assert set(np.unique(a).tolist()) <= {0, 1}


def _check_bern_scalar(a):
    _bern_values(a, np.float32)
    _near(a.mean(), 0.3, a.size)


P_COLS = np.array([0.0, 0.05, 0.5, 0.9, 1.0])


def _check_bern_columns(a):
    _bern_values(a, np.float64)
    for j, p in enumerate(P_COLS):
        _near(a[:, j].mean(), p, a.shape[0])


def _check_bern_int(a):
    _bern_values(a, np.int64)
    _near(a.mean(), 0.7, a.size)


def _check_bern_bool(a):
    assert a.dtype == np.bool_
    _near(a.mean(), 0.25, a.size)


def _check_bern_tensor_p_(a):
    _bern_values(a, np.float32)
    for j, p in enumerate(P_COLS):
        _near(a[:, j].mean(), p, a.shape[0])


W = np.array([1.0, 2.0, 0.0, 3.0, 4.0])


def _check_multinomial_repl(a):
    assert a.dtype == np.int64 and a.shape == (100_000,)
    _chi2_ok(np.bincount(a, minlength=5), W)


W2 = np.array([[5.0, 1.0, 1.0, 0.0], [0.0, 0.0, 2.0, 1.0], [1.0, 1.0, 1.0, 1.0]])


def _check_multinomial_repl_rows(a):
    assert a.dtype == np.int64 and a.shape == (3, 30_000)
    for r in range(3):
        _chi2_ok(np.bincount(a[r], minlength=4), W2[r])


def _check_multinomial_norepl(a):
    # rows of 3 distinct categories; the first pick follows the weights, and
    # the second follows them among the categories the first left
    assert a.dtype == np.int64 and a.shape == (20_000, 3)
    assert all(len(set(row)) == 3 for row in a.tolist())
    assert not (a == 2).any()
    _chi2_ok(np.bincount(a[:, 0], minlength=5), W)
    first4 = a[a[:, 0] == 4]
    p = W.copy()
    p[4] = 0
    _chi2_ok(np.bincount(first4[:, 1], minlength=5), p)


def _check_multinomial_all(a):
    # every category once, the zero-weight one last
    assert a.shape == (2000, 5)
    assert (np.sort(a, axis=1) == np.arange(5)).all()
    assert (a[:, -1] == 2).all()


def _check_dropout(a):
    assert a.dtype == np.float32
    kept = a != 0
    x = np.arange(1, a.size + 1, dtype=np.float32)
    np.testing.assert_allclose(a[kept], (x * np.float32(1 / 0.7))[kept], rtol=1e-6)
    _near(kept.mean(), 0.7, a.size)


def _check_dropout_f64(a):
    assert a.dtype == np.float64
    kept = a != 0
    assert np.all(a[kept] == 4.0)
    _near(kept.mean(), 0.25, a.size)


def _check_dropout_f16(a):
    assert a.dtype == np.float16
    kept = a != 0
    assert np.all(a[kept] == np.float16(2.0))
    _near(kept.mean(), 0.5, a.size)


N = 200_000

RANDOM_OPS = [
    RandOp("bernoulli_p", lambda t, g: t.bernoulli(t.zeros(N), 0.3, generator=g), _check_bern_scalar,
           errors=[(lambda t: t.bernoulli(t.zeros(3), 1.5), RuntimeError,
                    "bernoulli_ expects p to be in [0, 1], but got p=1.5"),
                   (lambda t: t.bernoulli(t.zeros(3), -0.1), RuntimeError, "but got p=-0.1"),
                   (lambda t: t.bernoulli(t.zeros(3), float("nan")), RuntimeError, "but got p=nan"),
                   (lambda t: t.bernoulli(t.zeros(3, dtype=t.complex64), 0.5), NotImplementedError,
                    "\"bernoulli_scalar_cpu_\" not implemented for 'ComplexFloat'")]),
    RandOp("bernoulli_tensor", lambda t, g: t.bernoulli(t.tensor(np.tile(P_COLS, (N // 5, 1))), generator=g),
           _check_bern_columns,
           errors=[(lambda t: t.bernoulli(t.tensor([1.5])), RuntimeError,
                    "Expected p_in >= 0 && p_in <= 1 to be true, but got false."),
                   (lambda t: t.bernoulli(t.tensor([-0.5, 0.5])), RuntimeError, "Expected p_in >= 0 && p_in <= 1"),
                   (lambda t: t.bernoulli(t.tensor([float("nan")])), RuntimeError, "Expected p_in >= 0"),
                   (lambda t: t.bernoulli(t.tensor([1, 0])), NotImplementedError,
                    "\"bernoulli_tensor_cpu_p_\" not implemented for 'Long'"),
                   (lambda t: t.bernoulli(t.tensor([True])), NotImplementedError, "not implemented for 'Bool'"),
                   (lambda t: t.bernoulli(t.zeros(2, dtype=t.complex64)), NotImplementedError,
                    "\"bernoulli_tensor_cpu_self_\" not implemented for 'ComplexFloat'"),
                   (lambda t: t.bernoulli(t.zeros(2), t.zeros(2)), TypeError, "invalid combination of arguments")]),
    RandOp("bernoulli__int64", lambda t, g: t.zeros(N, dtype=t.int64).bernoulli_(0.7, generator=g),
           _check_bern_int,
           errors=[(lambda t: t.zeros(3).bernoulli_(1.5), RuntimeError, "bernoulli_ expects p to be in [0, 1]"),
                   (lambda t: t.zeros(3, requires_grad=True).bernoulli_(0.5), RuntimeError,
                    "a leaf Variable that requires grad is being used in an in-place operation.")]),
    RandOp("bernoulli__bool_stepped", lambda t, g: t.zeros(2 * N, dtype=t.bool)[::2].bernoulli_(0.25, generator=g),
           _check_bern_bool),
    RandOp("bernoulli__tensor_p", lambda t, g: t.zeros(N // 5, 5).bernoulli_(t.tensor(P_COLS), generator=g),
           _check_bern_tensor_p_,
           errors=[(lambda t: t.zeros(3).bernoulli_(t.tensor([1.5, 0.0, 0.0])), RuntimeError,
                    "Expected p_in >= 0 && p_in <= 1"),
                   (lambda t: t.zeros(3).bernoulli_(t.tensor([1, 0, 0])), NotImplementedError,
                    "\"bernoulli_tensor_cpu_p_\" not implemented for 'Long'"),
                   (lambda t: t.zeros(3).bernoulli_(t.zeros(2, 3)), RuntimeError, "expand")]),
    RandOp("multinomial_replacement", lambda t, g: t.multinomial(t.tensor(W), 100_000, True, generator=g),
           _check_multinomial_repl,
           errors=[(lambda t: t.multinomial(t.tensor([1.0, -2.0, 3.0]), 2), RuntimeError,
                    "probability tensor contains either `inf`, `nan` or element < 0"),
                   (lambda t: t.multinomial(t.tensor([1.0, float("inf")]), 1), RuntimeError,
                    "probability tensor contains either `inf`, `nan` or element < 0"),
                   (lambda t: t.multinomial(t.tensor([1.0, float("nan")]), 1, True), RuntimeError,
                    "probability tensor contains either `inf`, `nan` or element < 0"),
                   (lambda t: t.multinomial(t.zeros(3), 2, True), RuntimeError,
                    "invalid multinomial distribution (sum of probabilities <= 0)"),
                   (lambda t: t.multinomial(t.tensor([[0.0, 0.0], [1.0, 1.0]]), 2, True), RuntimeError,
                    "invalid multinomial distribution (sum of probabilities <= 0)"),
                   (lambda t: t.multinomial(t.ones(3), 0), RuntimeError, "cannot sample n_sample <= 0 samples"),
                   (lambda t: t.multinomial(t.ones(3), -1, True), RuntimeError, "cannot sample n_sample <= 0"),
                   (lambda t: t.multinomial(t.tensor(1.0), 1), RuntimeError, "prob_dist must be 1 or 2 dim"),
                   (lambda t: t.multinomial(t.ones(2, 2, 2), 1), RuntimeError, "prob_dist must be 1 or 2 dim"),
                   (lambda t: t.multinomial(t.ones(3, dtype=t.int64), 1), RuntimeError,
                    "multinomial only supports floating-point dtypes for input, got: Long"),
                   (lambda t: t.multinomial(t.ones(3), 2.0), TypeError,
                    "argument 'num_samples' (position 2) must be int, not float"),
                   (lambda t: t.multinomial(t.ones(3), 2, out=t.zeros(2, dtype=t.int32)), RuntimeError,
                    "multinomial expects Long tensor out, got: Int"),
                   (lambda t: t.multinomial(t.ones(2 ** 24 + 1), 1), RuntimeError,
                    "number of categories cannot exceed 2^24")]),
    RandOp("multinomial_rows", lambda t, g: t.tensor(W2, dtype=t.float32).multinomial(30_000, replacement=True,
                                                                                      generator=g),
           _check_multinomial_repl_rows),
    RandOp("multinomial_no_replacement", lambda t, g: t.multinomial(t.tensor(np.tile(W, (20_000, 1))), 3, generator=g),
           _check_multinomial_norepl,
           errors=[(lambda t: t.multinomial(t.ones(3), 5), RuntimeError,
                    "cannot sample n_sample > prob_dist.size(-1) samples without replacement"),
                   (lambda t: t.multinomial(t.tensor([]), 1), RuntimeError,
                    "cannot sample n_sample > prob_dist.size(-1) samples without replacement"),
                   (lambda t: t.multinomial(t.zeros(3), 2), RuntimeError, "invalid multinomial distribution")]),
    RandOp("multinomial_all_categories",
           lambda t, g: t.multinomial(t.tensor(np.tile(W, (2000, 1)), dtype=t.float16), 5, generator=g),
           _check_multinomial_all),
    RandOp("dropout", lambda t, g: t.dropout(t.arange(1.0, N + 1.0), 0.3, True), _check_dropout, generator=False,
           errors=[(lambda t: t.dropout(t.ones(3), 1.5, True), RuntimeError,
                    "dropout probability has to be between 0 and 1, but got 1.5"),
                   (lambda t: t.dropout(t.ones(3), -0.5, True), RuntimeError, "but got -0.5"),
                   (lambda t: t.dropout(t.ones(3, dtype=t.int64), 0.5, True), RuntimeError,
                    "result type Float can't be cast to the desired output type Long"),
                   (lambda t: t.dropout(t.ones(3, dtype=t.complex64), 0.5, True), NotImplementedError,
                    "not implemented for 'ComplexFloat'"),
                   (lambda t: t.dropout(t.ones(3), 0.5), TypeError, "train")]),
    RandOp("dropout_f64_transposed", lambda t, g: t.dropout(t.ones(500, N // 500, dtype=t.float64).t(), 0.75, True),
           _check_dropout_f64, generator=False),
    RandOp("dropout_f16", lambda t, g: t.dropout(t.ones(N // 4, dtype=t.float16), 0.5, True), _check_dropout_f16,
           generator=False),
]


# ------------------------------------------------ distributions of the draws
# Continuous draws: a Kolmogorov-Smirnov test against scipy.stats' exact
# distribution; discrete ones: Pearson's statistic over bins of about equal
# probability (quantiles of the exact distribution). With fixed seeds the
# outcome is fixed; the bounds are ones a correct sampler crosses with
# probability below 1e-6, so a pass is not luck and a wrong law (a shifted
# mean, a scale off by a few percent, a lost tail) fails by a wide margin at
# these sample sizes.

def _ks_ok(x, dist):
    from scipy import stats
    x = np.asarray(x, dtype=np.float64).ravel()
    p = stats.kstest(x, dist.cdf).pvalue
    assert p > 1e-6, (p, x.size)


def _counts_ok(x, dist, nbins=20):
    """x: integer-valued draws of the scipy.stats discrete law `dist`."""
    x = np.asarray(x, dtype=np.float64).ravel()
    assert np.all(x == np.round(x)), "a draw is not an integer"
    edges = np.unique(dist.ppf(np.linspace(0, 1, nbins + 1)[1:-1]))
    edges = edges[np.isfinite(edges)]
    cdf = np.concatenate([[0.0], dist.cdf(edges), [1.0]])
    probs = np.diff(cdf)
    counts = np.bincount(np.searchsorted(edges, x, side="left"), minlength=len(probs))
    _chi2_ok(counts, probs)


def _stats():
    from scipy import stats
    return stats


MEANS = np.array([-1.0, 0.0, 2.0, 5.0])
STDS = np.array([0.5, 1.0, 2.0, 3.0])


def _check_normal_tt(a):
    assert a.dtype == np.float64 and a.shape == (N // 4, 4)
    for j in range(4):
        _ks_ok(a[:, j], _stats().norm(MEANS[j], STDS[j]))


def _check_normal_bcast(a):
    # mean (4, 1) float32 against std (3,): the broadcast shape, mean's dtype
    assert a.dtype == np.float32 and a.shape == (4, 3, N // 12)
    for i in range(4):
        for j in range(3):
            _ks_ok(a[i, j], _stats().norm(MEANS[i], STDS[j]))


def _check_normal_tf(a):
    assert a.dtype == np.float32 and a.shape == (N,)
    _ks_ok(a[: N // 2], _stats().norm(-1.0, 2.5))
    _ks_ok(a[N // 2:], _stats().norm(3.0, 2.5))


def _check_normal_ft(a):
    assert a.dtype == np.float64 and a.shape == (N // 4, 4)
    for j in range(4):
        _ks_ok(a[:, j], _stats().norm(1.5, STDS[j]))


def _check_normal_ff(a):
    assert a.dtype == np.float64 and a.shape == (N // 4, 4)
    _ks_ok(a, _stats().norm(-3.0, 0.25))


def _check_exponential(a):
    assert a.dtype == np.float32 and a.shape == (N,)
    assert (a >= 0).all()
    _ks_ok(a, _stats().expon(scale=1 / 2.5))


def _check_exponential_f64_strided(a):
    assert a.dtype == np.float64
    _ks_ok(a, _stats().expon(scale=1 / 0.5))


def _check_geometric(a):
    assert a.dtype == np.float32 and (a >= 1).all()
    _counts_ok(a, _stats().geom(0.2))


def _check_geometric_int(a):
    assert a.dtype == np.int64 and (a >= 1).all()
    _counts_ok(a, _stats().geom(0.01))


def _check_log_normal(a):
    assert a.dtype == np.float64 and (a > 0).all()
    _ks_ok(a, _stats().lognorm(s=0.5, scale=np.exp(1.0)))


def _check_log_normal_defaults(a):
    assert a.dtype == np.float32
    _ks_ok(a, _stats().lognorm(s=2.0, scale=np.exp(1.0)))


def _check_cauchy(a):
    assert a.dtype == np.float32
    _ks_ok(a, _stats().cauchy(loc=2.0, scale=0.5))


def _check_random_f16(a):
    # random_() on float16: every integer of the significand, 0 .. 2^11
    assert a.dtype == np.float16 and a.min() >= 0 and a.max() <= 2048
    _chi2_ok(np.bincount(a.astype(np.int64), minlength=2049), np.ones(2049))


def _check_random_u8(a):
    assert a.dtype == np.uint8
    _chi2_ok(np.bincount(a, minlength=256), np.ones(256))


def _check_random_from(a):
    # random_(250, None) on int16: 250 .. 32767
    assert a.dtype == np.int16 and a.min() >= 250
    _counts_ok(a, _stats().randint(250, 32768))


RATES = np.array([0.0, 0.5, 3.0, 9.9, 10.0, 37.0, 1e4])


def _check_poisson(a):
    assert a.dtype == np.float32 and a.shape == (N // 7, 7)
    assert (a[:, 0] == 0).all()
    for j in range(1, 7):
        _counts_ok(a[:, j], _stats().poisson(RATES[j]))


def _check_poisson_rate(rate, dtype):
    def check(a):
        assert a.dtype == dtype and a.shape == (N,)
        _counts_ok(a, _stats().poisson(rate))
    return check


BIN_N = np.array([10.0, 100.0, 1000.0, 50.0, 1e6, 0.0, 7.0, 7.0, 30.0])
BIN_P = np.array([0.5, 0.05, 0.3, 0.9, 0.7, 0.5, 0.0, 1.0, 0.999])


def _check_binomial(a):
    assert a.dtype == np.float64 and a.shape == (N // 9, 9)
    assert (a[:, 5] == 0).all() and (a[:, 6] == 0).all() and (a[:, 7] == 7).all()
    for j in (0, 1, 2, 3, 4, 8):
        _counts_ok(a[:, j], _stats().binom(int(BIN_N[j]), BIN_P[j]))


def _check_binomial_bcast(a):
    # count (N, 1) float32 against prob (2,): inversion (n p = 2) and BTRS (n p = 60)
    assert a.dtype == np.float32 and a.shape == (N // 2, 2)
    _counts_ok(a[:, 0], _stats().binom(200, 0.01))
    _counts_ok(a[:, 1], _stats().binom(200, 0.3))


def _normal_generator(t, g):
    return t.normal(t.tensor(np.tile(MEANS, (N // 4, 1))), t.tensor(STDS), generator=g)


RANDOM_OPS += [
    RandOp("normal_tensor_tensor", _normal_generator, _check_normal_tt,
           errors=[(lambda t: t.normal(t.zeros(3), t.tensor([1.0, -1.0, 1.0])), RuntimeError,
                    "normal expects all elements of std >= 0.0"),
                   (lambda t: t.normal(t.zeros(3), t.tensor([1.0, float("nan"), 1.0])), RuntimeError,
                    "normal expects all elements of std >= 0.0"),
                   (lambda t: t.normal(t.zeros(3), t.ones(4)), RuntimeError,
                    "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0"),
                   (lambda t: t.normal(t.zeros(3, dtype=t.int64), t.ones(3)), NotImplementedError,
                    "\"normal_kernel_cpu\" not implemented for 'Long'"),
                   (lambda t: t.normal(t.zeros(3), t.ones(3), out=t.zeros(3, dtype=t.int64)), NotImplementedError,
                    "\"normal_kernel_cpu\" not implemented for 'Long'"),
                   (lambda t: t.normal(t.zeros(3), "a"), TypeError,
                    "normal() received an invalid combination of arguments - got (Tensor, str)")]),
    RandOp("normal_tensor_tensor_broadcast",
           lambda t, g: t.normal(t.tensor(MEANS, dtype=t.float32).reshape(4, 1, 1),
                                 t.tensor(STDS[:3]).reshape(3, 1).expand(3, N // 12), generator=g),
           _check_normal_bcast),
    RandOp("normal_tensor_float",
           lambda t, g: t.normal(t.cat([t.full((N // 2,), -1.0), t.full((N // 2,), 3.0)]), 2.5, generator=g),
           _check_normal_tf,
           errors=[(lambda t: t.normal(t.zeros(3), -1.0), RuntimeError, "normal expects std >= 0.0, but found std -1"),
                   (lambda t: t.normal(t.zeros(3), float("nan")), RuntimeError,
                    "normal expects std >= 0.0, but found std nan"),
                   (lambda t: t.normal(t.zeros(3, dtype=t.bool), 1.0), NotImplementedError,
                    "\"normal_kernel_cpu\" not implemented for 'Bool'")]),
    RandOp("normal_float_tensor", lambda t, g: t.normal(1.5, t.tensor(np.tile(STDS, (N // 4, 1))), generator=g),
           _check_normal_ft,
           errors=[(lambda t: t.normal(0.0, -t.ones(3)), RuntimeError, "normal expects all elements of std >= 0.0"),
                   (lambda t: t.normal(0.0, t.ones(3, dtype=t.int64)), NotImplementedError,
                    "\"normal_kernel_cpu\" not implemented for 'Long'")]),
    RandOp("normal_float_float", lambda t, g: t.normal(-3.0, 0.25, (N // 4, 4), dtype=t.float64, generator=g),
           _check_normal_ff,
           errors=[(lambda t: t.normal(0.0, -1.0, (3,)), RuntimeError, "normal expects std >= 0.0, but found std -1"),
                   (lambda t: t.normal(0.0, 1.0), TypeError,
                    "normal() received an invalid combination of arguments - got (float, float)"),
                   (lambda t: t.normal(0.0, 1.0, 3), TypeError, "got (float, float, int)"),
                   (lambda t: t.normal(0.0, 1.0, (2,), dtype=t.int64), NotImplementedError,
                    "\"normal_kernel_cpu\" not implemented for 'Long'")]),
    RandOp("exponential_", lambda t, g: t.empty(N).exponential_(2.5, generator=g), _check_exponential,
           errors=[(lambda t: t.empty(3).exponential_(0.0), RuntimeError,
                    "exponential_ expects lambda > 0.0, but found lambda=0"),
                   (lambda t: t.empty(3).exponential_(-1.5), RuntimeError, "but found lambda=-1.5"),
                   (lambda t: t.empty(3).exponential_(float("nan")), RuntimeError, "but found lambda=nan"),
                   (lambda t: t.empty(3, dtype=t.int64).exponential_(), RuntimeError,
                    "Exponential distribution is a continuous probability distribution. dtype must be a floating "
                    "point but you specified Long"),
                   (lambda t: t.empty(3, dtype=t.complex64).exponential_(), RuntimeError,
                    "but you specified ComplexFloat"),
                   (lambda t: t.empty(3, requires_grad=True).exponential_(), RuntimeError,
                    "a leaf Variable that requires grad is being used in an in-place operation.")]),
    RandOp("exponential__f64_strided", lambda t, g: t.empty(N // 500, 1000, dtype=t.float64)[:, ::2]
           .exponential_(lambd=0.5, generator=g), _check_exponential_f64_strided),
    RandOp("geometric_", lambda t, g: t.empty(N).geometric_(0.2, generator=g), _check_geometric,
           errors=[(lambda t: t.empty(3).geometric_(0.0), RuntimeError,
                    "geometric_ expects p to be in (0, 1), but got p=0"),
                   (lambda t: t.empty(3).geometric_(1.0), RuntimeError, "but got p=1"),
                   (lambda t: t.empty(3).geometric_(float("nan")), RuntimeError, "but got p=nan"),
                   (lambda t: t.empty(3, dtype=t.bool).geometric_(0.5), NotImplementedError,
                    "\"geometric_cpu\" not implemented for 'Bool'"),
                   (lambda t: t.empty(3, dtype=t.complex64).geometric_(0.5), NotImplementedError,
                    "\"geometric_cpu\" not implemented for 'ComplexFloat'"),
                   (lambda t: t.empty(3).geometric_(), TypeError,
                    'geometric_() missing 1 required positional arguments: "p"')]),
    RandOp("geometric__int64", lambda t, g: t.empty(N, dtype=t.int64).geometric_(0.01, generator=g),
           _check_geometric_int),
    RandOp("log_normal_", lambda t, g: t.empty(N, dtype=t.float64).log_normal_(1.0, 0.5, generator=g),
           _check_log_normal,
           errors=[(lambda t: t.empty(3).log_normal_(1.0, 0.0), RuntimeError,
                    "log_normal_ expects std > 0.0, but found std=0"),
                   (lambda t: t.empty(3).log_normal_(1.0, -2.0), RuntimeError, "but found std=-2"),
                   (lambda t: t.empty(3, dtype=t.int64).log_normal_(), NotImplementedError,
                    "\"log_normal_cpu\" not implemented for 'Long'"),
                   (lambda t: t.empty(3, dtype=t.complex128).log_normal_(), NotImplementedError,
                    "\"log_normal_cpu\" not implemented for 'ComplexDouble'")]),
    RandOp("log_normal__defaults", lambda t, g: t.empty(N).log_normal_(generator=g), _check_log_normal_defaults),
    RandOp("cauchy_", lambda t, g: t.empty(N).cauchy_(2.0, 0.5, generator=g), _check_cauchy,
           errors=[(lambda t: t.empty(3).cauchy_(1.0, 0.0), RuntimeError,
                    "cauchy_ expects sigma > 0.0, but found sigma=0"),
                   (lambda t: t.empty(3).cauchy_(1.0, -2.0), RuntimeError, "but found sigma=-2"),
                   (lambda t: t.empty(3, dtype=t.int64).cauchy_(), RuntimeError,
                    "Cauchy distribution is a continuous probability distribution. dtype must be a floating point "
                    "but you specified long int"),
                   (lambda t: t.empty(3, dtype=t.int8).cauchy_(), RuntimeError, "but you specified signed char")]),
    RandOp("random__f16", lambda t, g: t.empty(N, dtype=t.float16).random_(generator=g), _check_random_f16,
           errors=[(lambda t: t.empty(3).random_(0), RuntimeError,
                    "random_ expects 'from' to be less than 'to', but got from=0 >= to=0"),
                   (lambda t: t.empty(3).random_(5, 2), RuntimeError,
                    "random_ expects 'from' to be less than 'to', but got from=5 >= to=2")]),
    RandOp("random__u8", lambda t, g: t.empty(N, dtype=t.uint8).random_(generator=g), _check_random_u8),
    RandOp("random__from_none", lambda t, g: t.empty(N, dtype=t.int16).random_(250, None, generator=g),
           _check_random_from),
    RandOp("poisson", lambda t, g: t.poisson(t.tensor(np.tile(RATES, (N // 7, 1)), dtype=t.float32), g),
           _check_poisson,
           errors=[(lambda t: t.poisson(t.tensor([1.0, -1.0])), RuntimeError,
                    "invalid Poisson rate, expected rate to be non-negative"),
                   (lambda t: t.poisson(t.tensor([float("nan")])), RuntimeError, "invalid Poisson rate"),
                   (lambda t: t.poisson(t.tensor([1, 2])), NotImplementedError,
                    "\"poisson_cpu\" not implemented for 'Long'"),
                   (lambda t: t.poisson(t.ones(2, dtype=t.complex64)), NotImplementedError,
                    "\"poisson_cpu\" not implemented for 'ComplexFloat'"),
                   (lambda t: t.poisson([1.0]), TypeError,
                    "poisson(): argument 'input' (position 1) must be Tensor, not list"),
                   (lambda t: t.poisson(t.ones(2), 5), TypeError,
                    "poisson(): argument 'generator' (position 2) must be torch.Generator, not int")]),
    RandOp("poisson_rate3_f64", lambda t, g: t.poisson(t.full((N,), 3.0, dtype=t.float64), generator=g),
           _check_poisson_rate(3.0, np.float64)),
    RandOp("poisson_rate100_f16", lambda t, g: t.poisson(t.full((N,), 100.0, dtype=t.float16), generator=g),
           _check_poisson_rate(100.0, np.float16)),
    RandOp("binomial", lambda t, g: t.binomial(t.tensor(np.tile(BIN_N, (N // 9, 1))), t.tensor(BIN_P), generator=g),
           _check_binomial,
           errors=[(lambda t: t.binomial(t.tensor([10, 5]), t.tensor([0.5, 0.1])), ValueError,
                    "binomial only supports floating-point dtypes for count, got: Long"),
                   (lambda t: t.binomial(t.tensor([10.0]), t.tensor([1])), ValueError,
                    "binomial only supports floating-point dtypes for prob, got: Long"),
                   (lambda t: t.binomial(t.tensor([10.0], dtype=t.float64), t.tensor([0.5])), RuntimeError,
                    "Found dtype Float but expected Double"),
                   (lambda t: t.binomial(t.tensor([10.0], dtype=t.float16), t.tensor([0.5], dtype=t.float16)),
                    NotImplementedError, "\"binomial_cpu\" not implemented for 'Half'"),
                   (lambda t: t.binomial(t.tensor([10.0]), 0.5), TypeError,
                    "binomial(): argument 'prob' (position 2) must be Tensor, not float"),
                   (lambda t: t.binomial(t.ones(2), t.ones(3)), RuntimeError,
                    "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0")]),
    RandOp("binomial_broadcast",
           lambda t, g: t.binomial(t.full((N // 2, 1), 200.0), t.tensor([0.01, 0.3]), generator=g),
           _check_binomial_bcast),
]
