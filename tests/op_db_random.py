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
