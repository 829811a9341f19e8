"""The table of torch.nn.functional ops that tests/test_nn.py is driven by.

Each entry: how to call the op (`fn(torch, *args, **kw)`, where F is
`torch.nn.functional`), the numpy/scipy reference on the same inputs
(`ref(*arrays, **kw)`), the float dtypes it is checked on, the dtypes it must
refuse (exception type, message fragment), sample inputs (a function of
(rng, dtype) giving a list of (args, kwargs); arrays wrapped in D(...) are
data inputs, fed dense and as transposed/sliced views and differentiated by
gradcheck; I(...) marks targets and indices that stay as they are), the
grad_fn name PyTorch records, and error cases (a call, exception type,
message fragment). Dtypes are strings so that this module needs no ctorch.
"""
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np
import scipy.special

from tests.op_db_shape import D, I  # noqa: F401  (data inputs; targets passed as they are)

FLOATS = ("float16", "float32", "float64")


@dataclass
class NNOp:
    name: str
    fn: Callable
    ref: Callable
    samples: Callable
    dtypes: tuple = FLOATS
    refused: tuple = ()                 # ((dtype, exception type, fragment), ...)
    grad_fn: Optional[str] = None       # None: not differentiable
    errors: list = field(default_factory=list)
    tol: dict = field(default_factory=dict)
    gradcheck: bool = False             # gradcheck a composition that has no grad_fn name
    grad_samples: Optional[int] = None  # gradcheck the first this many samples (None: all)


def F(torch):
    return torch.nn.functional


def randn(rng, shape, dt):
    return rng.standard_normal(shape).astype(dt)


# ------------------------------------------------------------ references

def _softmax(x, dim):
    x = x.astype(np.float64)
    e = np.exp(x - x.max(axis=dim, keepdims=True))
    return e / e.sum(axis=dim, keepdims=True)


def _log_softmax(x, dim):
    x = x.astype(np.float64)
    m = x.max(axis=dim, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=dim, keepdims=True))


def _gelu(x, approximate="none"):
    x = x.astype(np.float64)
    if approximate == "tanh":
        return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))
    return 0.5 * x * (1 + scipy.special.erf(x / np.sqrt(2)))


def _reduce(loss, reduction, denom=None):
    if reduction == "none":
        return loss
    if reduction == "sum":
        return np.asarray(loss.sum())
    return np.asarray(loss.sum() / (loss.size if denom is None else denom))


def _nll(logp, target, weight=None, ignore_index=-100, reduction="mean"):
    """logp (N, C, d...) or (C,); the loss picks -w[t] * logp[t] per position."""
    logp = logp.astype(np.float64)
    if logp.ndim == 1:
        logp, target = logp[None], np.asarray(target).reshape(1)
    c = logp.shape[1]
    w = np.ones(c) if weight is None else weight.astype(np.float64)
    lp = np.moveaxis(logp, 1, -1).reshape(-1, c)
    t = target.reshape(-1).astype(np.int64)
    keep = t != ignore_index
    ts = np.where(keep, t, 0)
    wt = w[ts] * keep
    loss = -wt * lp[np.arange(len(t)), ts]
    if reduction == "none":
        return loss.reshape(target.shape) if target.ndim else loss.reshape(())
    return _reduce(loss, reduction, wt.sum())


def _cross_entropy(x, target, weight=None, ignore_index=-100, reduction="mean",
                   label_smoothing=0.0):
    cdim = 0 if x.ndim == 1 else 1
    logp = _log_softmax(x, cdim)
    c = x.shape[cdim]
    w = np.ones(c) if weight is None else weight.astype(np.float64)
    wshape = [1] * x.ndim
    wshape[cdim] = c
    wv = w.reshape(wshape)
    if np.issubdtype(target.dtype, np.floating):
        q = target.astype(np.float64) * (1 - label_smoothing) + label_smoothing / c
        loss = -(logp * q * wv).sum(cdim)
        if reduction == "mean":
            return np.asarray(loss.sum() / (loss.size if x.ndim > 1 else 1))
        return _reduce(loss, reduction)
    # class indices: the smoothed target puts 1 - eps + eps / C on the class
    # and eps / C on every other class; ignored positions count nothing
    tt = target if target.ndim else target.reshape(())
    keep = tt != ignore_index
    ts = np.where(keep, tt, 0)
    onehot = np.moveaxis(np.eye(c)[ts], -1, cdim)
    q = (1 - label_smoothing) * onehot + label_smoothing / c
    loss = -(logp * q * wv).sum(cdim) * keep
    # the mean divides both parts by the total weight of the targets
    if reduction == "mean":
        return np.asarray(loss.sum() / (w[ts] * keep).sum())
    return _reduce(loss, reduction)


def _mse(x, t, reduction="mean"):
    d = (x.astype(np.float64) - t.astype(np.float64)) ** 2
    return _reduce(d, reduction)


def _linear(x, w, b=None):
    y = x.astype(np.float64) @ w.astype(np.float64).T
    return y if b is None else y + b


# -------------------------------------------------------------- samples

def _targets(rng, n, c, ignore=False):
    t = rng.integers(0, c, n)
    if ignore:
        t[::3] = -100
    return t


def _s_linear(rng, dt):
    return [
        ((D(randn(rng, (5, 4), dt)), D(randn(rng, (3, 4), dt)), D(randn(rng, (3,), dt))), {}),
        ((D(randn(rng, (5, 4), dt)), D(randn(rng, (3, 4), dt))), {}),
        ((D(randn(rng, (2, 5, 4), dt)), D(randn(rng, (3, 4), dt)), D(randn(rng, (3,), dt))), {}),
        ((D(randn(rng, (4,), dt)), D(randn(rng, (3, 4), dt)), D(randn(rng, (3,), dt))), {}),
    ]


def _s_act(rng, dt):
    return [((D(randn(rng, (4, 6), dt) * 3),), {}), ((D(randn(rng, (3, 2, 5), dt)),), {}),
            ((D(np.array(0.7, dtype=dt)),), {})]


def _s_softmax(rng, dt):
    return [((D(randn(rng, (4, 6), dt) * 3),), {"dim": 1}),
            ((D(randn(rng, (4, 6), dt)),), {"dim": 0}),
            ((D(randn(rng, (2, 3, 5), dt)),), {"dim": -1})]


def _s_nll(rng, dt):
    lp = lambda *s: D(_log_softmax(randn(rng, s, dt), 1 if len(s) > 1 else 0).astype(dt))
    return [
        ((lp(6, 4), I(_targets(rng, 6, 4))), {}),
        ((lp(6, 4), I(_targets(rng, 6, 4))), {"reduction": "sum"}),
        ((lp(6, 4), I(_targets(rng, 6, 4))), {"reduction": "none"}),
        ((lp(6, 4), I(_targets(rng, 6, 4, ignore=True))), {}),
        ((lp(6, 4), I(_targets(rng, 6, 4, ignore=True))), {"reduction": "none"}),
        ((lp(6, 4), I(_targets(rng, 6, 4)), I(rng.random(4).astype(dt) + 0.5)), {}),
        ((lp(6, 4), I(_targets(rng, 6, 4))), {"ignore_index": 2}),
        ((lp(2, 3, 5), I(rng.integers(0, 3, (2, 5)))), {}),
        ((lp(2, 3, 5), I(rng.integers(0, 3, (2, 5)))), {"reduction": "none"}),
        ((lp(4), I(np.array(2))), {}),
    ]


def _s_ce(rng, dt):
    x = lambda *s: D(randn(rng, s, dt) * 2)
    probs = lambda *s: I(_softmax(randn(rng, s, dt), 1).astype(dt))
    return [
        ((x(6, 4), I(_targets(rng, 6, 4))), {}),
        ((x(6, 4), I(_targets(rng, 6, 4))), {"reduction": "sum"}),
        ((x(6, 4), I(_targets(rng, 6, 4))), {"reduction": "none"}),
        ((x(6, 4), I(_targets(rng, 6, 4, ignore=True))), {}),
        ((x(6, 4), I(_targets(rng, 6, 4)), I(rng.random(4).astype(dt) + 0.5)), {}),
        ((x(6, 4), I(_targets(rng, 6, 4))), {"label_smoothing": 0.1}),
        ((x(6, 4), I(_targets(rng, 6, 4, ignore=True)), I(rng.random(4).astype(dt) + 0.5)),
         {"label_smoothing": 0.2}),
        ((x(6, 4), I(_targets(rng, 6, 4))), {"label_smoothing": 0.3, "reduction": "sum"}),
        ((x(2, 3, 5), I(rng.integers(0, 3, (2, 5)))), {}),
        ((x(6, 4), probs(6, 4)), {}),
        ((x(6, 4), probs(6, 4)), {"reduction": "none"}),
        ((x(6, 4), probs(6, 4)), {"label_smoothing": 0.2}),
        ((x(4), I(np.array(1))), {}),
    ]


def _s_lce(rng, dt):
    x = lambda *s: D(randn(rng, s, dt))
    return [
        ((x(6, 4), x(5, 4), I(_targets(rng, 6, 5))), {}),
        ((x(6, 4), x(5, 4), I(_targets(rng, 6, 5, ignore=True))), {"reduction": "sum"}),
        ((x(6, 4), x(5, 4), I(_targets(rng, 6, 5))), {"ignore_index": None,
                                                       "label_smoothing": 0.1}),
        ((x(3, 4), x(5, 2, 4), I(rng.integers(0, 5, (3, 2)))), {"reduction": "none"}),
    ]


def _s_mse(rng, dt):
    return [
        ((D(randn(rng, (5, 4), dt)), D(randn(rng, (5, 4), dt))), {}),
        ((D(randn(rng, (5, 4), dt)), D(randn(rng, (5, 4), dt))), {"reduction": "sum"}),
        ((D(randn(rng, (5, 4), dt)), D(randn(rng, (5, 4), dt))), {"reduction": "none"}),
        ((D(np.array(1.5, dtype=dt)), D(np.array(-0.5, dtype=dt))), {}),
    ]


def _s_dropout_id(rng, dt):
    # the deterministic cases: p=0, and evaluation mode
    return [((D(randn(rng, (4, 6), dt)),), {"p": 0.0}),
            ((D(randn(rng, (4, 6), dt)),), {"p": 0.5, "training": False})]


def _x(torch, shape=(4, 3)):
    return torch.randn(*shape)


INT_REFUSED = (("int64", NotImplementedError, "not implemented for 'Long'"),)

OPS = [
    NNOp("linear", lambda t, *a, **k: F(t).linear(*a, **k), _linear, _s_linear,
         grad_fn="AddmmBackward0",
         errors=[(lambda t: F(t).linear(_x(t), t.randn(5, 4)), RuntimeError,
                  "mat1 and mat2 shapes cannot be multiplied (4x3 and 4x5)"),
                 (lambda t: F(t).linear(_x(t), t.randn(5, 3), t.randn(4)), RuntimeError,
                  "expanded size"),
                 (lambda t: F(t).linear([1.0], t.randn(5, 3)), TypeError, "must be Tensor")],
         tol={"float16": (1e-2, 1e-2)}),
    NNOp("relu", lambda t, x: F(t).relu(x), lambda x: np.maximum(x, 0), _s_act,
         grad_fn="ReluBackward0"),
    NNOp("gelu", lambda t, x: F(t).gelu(x), _gelu, _s_act, grad_fn="GeluBackward0",
         refused=INT_REFUSED,
         errors=[(lambda t: F(t).gelu(_x(t), approximate="foo"), RuntimeError,
                  "approximate argument must be either none or tanh")]),
    NNOp("gelu_tanh", lambda t, x: F(t).gelu(x, approximate="tanh"),
         lambda x: _gelu(x, "tanh"), _s_act, grad_fn="GeluBackward0", refused=INT_REFUSED),
    NNOp("softmax", lambda t, x, dim: F(t).softmax(x, dim), _softmax, _s_softmax,
         grad_fn="SoftmaxBackward0"),
    NNOp("log_softmax", lambda t, x, dim: F(t).log_softmax(x, dim), _log_softmax, _s_softmax,
         grad_fn="LogSoftmaxBackward0"),
    NNOp("nll_loss", lambda t, *a, **k: F(t).nll_loss(*a, **k), _nll, _s_nll,
         grad_fn="NllLossBackward0", refused=(("int64", NotImplementedError, "nll_loss"),),
         errors=[
             (lambda t: F(t).nll_loss(_x(t), t.tensor([0, 3, 1, 2])), IndexError,
              "Target 3 is out of bounds."),
             (lambda t: F(t).nll_loss(_x(t), t.tensor([0, -1, 1, 2])), IndexError,
              "Target -1 is out of bounds."),
             (lambda t: F(t).nll_loss(_x(t), t.tensor([0, 2, 1, 2], dtype=t.int32)),
              RuntimeError, "expected target dtype to be Long or Byte, but got Int"),
             (lambda t: F(t).nll_loss(_x(t), t.tensor([0.0, 2, 1, 1])), RuntimeError,
              "expected target dtype to be Long or Byte, but got Float"),
             (lambda t: F(t).nll_loss(_x(t), t.tensor([0, 2, 1])), ValueError,
              "Expected input batch_size (4) to match target batch_size (3)."),
             (lambda t: F(t).nll_loss(_x(t), t.tensor([0, 2, 1, 1]), reduction="foo"),
              ValueError, "foo is not a valid value for reduction"),
             (lambda t: F(t).nll_loss(_x(t), t.tensor([0, 2, 1, 1]), weight=t.ones(4)),
              RuntimeError, "weight tensor should be defined either for all 3 classes"),
             (lambda t: F(t).nll_loss(_x(t).double(), t.tensor([0, 2, 1, 1]), weight=t.ones(3)),
              RuntimeError, "expected scalar type Double but found Float"),
         ]),
    NNOp("cross_entropy", lambda t, *a, **k: F(t).cross_entropy(*a, **k), _cross_entropy, _s_ce,
         grad_fn=None, tol={"float16": (2e-2, 2e-2)},
         errors=[
             (lambda t: F(t).cross_entropy(_x(t), t.tensor([0, 2, 1, 1]), label_smoothing=1.5),
              RuntimeError, "label_smoothing must be between 0.0 and 1.0. Got: 1.5"),
             (lambda t: F(t).cross_entropy(_x(t), t.tensor([0, 5, 1, 1])), IndexError,
              "Target 5 is out of bounds."),
             (lambda t: F(t).cross_entropy(_x(t), t.rand(4, 2)), RuntimeError,
              "Expected target size [4, 3], got [4, 2]"),
         ]),
    NNOp("linear_cross_entropy", lambda t, *a, **k: F(t).linear_cross_entropy(*a, **k),
         lambda x, w, target, **k: _cross_entropy(
             # a weight (C, d1.., in) gives logits (N, C, d1..)
             np.tensordot(x.astype(np.float64), w.astype(np.float64), axes=([-1], [-1])), target,
             **{n: (-(1 << 63) if v is None else v) for n, v in k.items()}),
         _s_lce, grad_fn=None, gradcheck=True, tol={"float16": (2e-2, 2e-2)},
         errors=[(lambda t: F(t).linear_cross_entropy(t.randn(4, 3), t.randn(5, 2),
                                                      t.tensor([0, 1, 2, 3])),
                  RuntimeError, "expected equal input and linear_weight last dimensions "
                                "(in_features), got 3 and 2, respectively")]),
    NNOp("mse_loss", lambda t, *a, **k: F(t).mse_loss(*a, **k), _mse, _s_mse,
         grad_fn="MseLossBackward0",
         errors=[(lambda t: F(t).mse_loss(_x(t), t.randn(5)), RuntimeError,
                  "The size of tensor a (3) must match the size of tensor b (5)"),
                 (lambda t: F(t).mse_loss(_x(t), _x(t), reduction="avg"), ValueError,
                  "avg is not a valid value for reduction")]),
    NNOp("dropout_identity", lambda t, x, **k: F(t).dropout(x, **k), lambda x, **k: x,
         _s_dropout_id, grad_fn=None,
         errors=[(lambda t: F(t).dropout(_x(t), 1.5), ValueError,
                  "dropout probability has to be between 0 and 1, but got 1.5"),
                 (lambda t: F(t).dropout(_x(t), -0.1), ValueError,
                  "dropout probability has to be between 0 and 1, but got -0.1")]),
]

# ------------------------------------------- activations, distances, losses, norms
# Compositions of differentiable ops: no PyTorch grad_fn name is asserted
# (gradcheck=True runs gradcheck on every sample instead).

SELU_A, SELU_S = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def _f64(*xs):
    return [np.asarray(x, dtype=np.float64) for x in xs]


def _sp(z):
    return np.logaddexp(0, z)


def _unary(name, ref, kw=None, **extra):
    kw = kw or {}

    def fn(t, x):
        return getattr(F(t), name)(x, **kw)

    def r(x):
        return ref(np.asarray(x, dtype=np.float64), **kw)
    return NNOp(name if not kw else f"{name}-{'-'.join(map(str, kw.values()))}", fn, r, _s_act,
                gradcheck=True, **extra)


def _s_wide(rng, dt):
    # both sides of every kink and threshold (none hit exactly), down to where
    # exp underflows and up to where it overflows in float16 / float32
    x = np.arange(-39.75, 40, 2.5)
    return [((D(x.astype(dt)),), {}),
            ((D(np.array([-100.0, -60.0, -17.25, 9.5, 21.0, 60.0, 100.0]).astype(dt)),), {})]


def _wide(name, ref, kw=None):
    kw = kw or {}

    def fn(t, x):
        return getattr(F(t), name)(x, **kw)
    return NNOp(f"{name}-wide" + "".join(f"-{v}" for v in kw.values()), fn,
                lambda x: ref(np.asarray(x, dtype=np.float64)), _s_wide, gradcheck=True,
                tol={"float16": (5e-3, 2e-2)})


def _np_glu(x, dim):
    a, b = np.split(x.astype(np.float64), 2, axis=dim)
    return a / (1 + np.exp(-b))


def _np_prelu(x, w):
    x, w = _f64(x, w)
    if w.size > 1 and x.ndim >= 2:
        w = w.reshape((-1,) + (1,) * (x.ndim - 2))
    return np.where(x > 0, x, w * x)


def _s_prelu(rng, dt):
    return [((D(randn(rng, (2, 3, 4), dt)), D(rng.random(3).astype(dt))), {}),
            ((D(randn(rng, (4, 5), dt)), D(np.array([0.25], dtype=dt))), {}),
            ((D(randn(rng, (3,), dt)), D(rng.random(3).astype(dt))), {}),
            # long: the kernel's blocks on threads, one slope's block in parts
            ((D(randn(rng, (8, 16, 30, 30), dt)), D(rng.random(16).astype(dt))), {}),
            ((D(randn(rng, (2, 70000), dt)), D(np.array([0.25], dtype=dt))), {})]


def _s_glu(rng, dt):
    return [((D(randn(rng, (4, 6), dt)),), {"dim": -1}), ((D(randn(rng, (4, 6), dt)),), {"dim": 0}),
            ((D(randn(rng, (3, 4, 5), dt)),), {"dim": 1}),
            # long: the kernel's chunks on threads, crossing the halves' blocks
            ((D(randn(rng, (70, 6, 400), dt)),), {"dim": 1})]


def _np_cos(x1, x2, dim=1, eps=1e-8):
    x1, x2 = _f64(x1, x2)
    n1 = np.maximum(np.sqrt((x1 * x1).sum(dim, keepdims=True)), eps)
    n2 = np.maximum(np.sqrt((x2 * x2).sum(dim, keepdims=True)), eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


def _np_pdist(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    d = np.abs(_f64(x1)[0] - _f64(x2)[0] + eps)
    return (d ** p).sum(-1, keepdims=keepdim) ** (1 / p)


def _s_pair(rng, dt):
    return [((D(randn(rng, (5, 4), dt)), D(randn(rng, (5, 4), dt))), {}),
            ((D(randn(rng, (5, 4), dt)), D(randn(rng, (1, 4), dt))), {}),
            ((D(randn(rng, (3, 4, 2), dt)), D(randn(rng, (3, 4, 2), dt))), {"dim": 0})]


def _s_pdist(rng, dt):
    return [((D(randn(rng, (5, 4), dt)), D(randn(rng, (5, 4), dt))), {}),
            ((D(randn(rng, (5, 4), dt)), D(randn(rng, (5, 4), dt))), {"p": 1.0}),
            ((D(randn(rng, (5, 4), dt)), D(randn(rng, (5, 4), dt))), {"p": 3.0, "keepdim": True})]


def _np_mrl(x1, x2, t, margin=0.0, reduction="mean"):
    x1, x2, t = _f64(x1, x2, t)
    return _reduce(np.maximum(-t * (x1 - x2) + margin, 0), reduction)


def _signs(rng, shape, dt):
    return np.where(rng.random(shape) < 0.5, -1.0, 1.0).astype(dt)


def _s_mrl(rng, dt):
    return [((D(randn(rng, (6,), dt)), D(randn(rng, (6,), dt)), I(_signs(rng, 6, dt))), {}),
            ((D(randn(rng, (6,), dt)), D(randn(rng, (6,), dt)), I(_signs(rng, 6, dt))),
             {"margin": 0.5, "reduction": "none"}),
            ((D(randn(rng, (6,), dt)), D(randn(rng, (6,), dt)), I(_signs(rng, 6, dt))),
             {"reduction": "sum"})]


def _np_hel(x, t, margin=1.0, reduction="mean"):
    x, t = _f64(x, t)
    loss = np.where(t != 1, np.maximum(margin - x, 0), 0) + np.where(t != -1, x, 0)
    return _reduce(loss, reduction)


def _s_hel(rng, dt):
    return [((D(randn(rng, (4, 5), dt)), I(_signs(rng, (4, 5), dt))), {}),
            ((D(randn(rng, (4, 5), dt)), I(_signs(rng, (4, 5), dt))),
             {"margin": 0.3, "reduction": "none"})]


def _np_cel(x1, x2, t, margin=0.0, reduction="mean"):
    x1, x2, t = _f64(x1, x2, t)
    cos = (x1 * x2).sum(-1) / np.sqrt(((x1 * x1).sum(-1) + 1e-12) * ((x2 * x2).sum(-1) + 1e-12))
    loss = np.where(t == 1, 1 - cos, 0) + np.where(t == -1, np.maximum(cos - margin, 0), 0)
    return _reduce(loss, reduction)


def _s_cel(rng, dt):
    return [((D(randn(rng, (5, 4), dt)), D(randn(rng, (5, 4), dt)), I(_signs(rng, 5, dt))), {}),
            ((D(randn(rng, (5, 4), dt)), D(randn(rng, (5, 4), dt)), I(_signs(rng, 5, dt))),
             {"margin": -0.2, "reduction": "none"}),
            ((D(randn(rng, (4,), dt)), D(randn(rng, (4,), dt)), I(np.array(-1.0, dtype=dt))),
             {"reduction": "sum"})]


def _np_tml(anc, pos, neg, margin=1.0, p=2, eps=1e-6, swap=False, reduction="mean"):
    dp, dn = _np_pdist(anc, pos, p, eps), _np_pdist(anc, neg, p, eps)
    if swap:
        dn = np.minimum(dn, _np_pdist(pos, neg, p, eps))
    return _reduce(np.maximum(margin + dp - dn, 0), reduction)


def _s_tml(rng, dt):
    t = lambda: D(randn(rng, (5, 4), dt))
    return [((t(), t(), t()), {}), ((t(), t(), t()), {"swap": True, "reduction": "none"}),
            ((t(), t(), t()), {"margin": 0.5, "p": 1, "reduction": "sum"})]


def _np_kl(x, t, reduction="mean", log_target=False):
    x, t = _f64(x, t)
    loss = np.exp(t) * (t - x) if log_target else scipy.special.xlogy(t, t) - t * x
    if reduction == "batchmean":
        return np.asarray(loss.sum() / x.shape[0])
    return _reduce(loss, reduction)


def _s_kl(rng, dt):
    lp = lambda: D(_log_softmax(randn(rng, (4, 5), dt), 1).astype(dt))
    q = lambda: I(_softmax(randn(rng, (4, 5), dt), 1).astype(dt))
    return [((lp(), q()), {"reduction": "batchmean"}), ((lp(), q()), {"reduction": "sum"}),
            ((lp(), q()), {"reduction": "none"}), ((lp(), lp()), {"log_target": True,
                                                                  "reduction": "batchmean"})]


def _np_pnll(x, t, log_input=True, full=False, eps=1e-8, reduction="mean"):
    x, t = _f64(x, t)
    loss = np.exp(x) - t * x if log_input else x - t * np.log(x + eps)
    if full:
        with np.errstate(divide="ignore", invalid="ignore"):
            st = t * np.log(t) - t + 0.5 * np.log(2 * np.pi * t)
        loss = loss + np.where(t > 1, st, 0)
    return _reduce(loss, reduction)


def _s_pnll(rng, dt):
    cnt = lambda: I(rng.integers(0, 5, (4, 5)).astype(dt))
    return [((D(randn(rng, (4, 5), dt)), cnt()), {}),
            ((D(randn(rng, (4, 5), dt)), cnt()), {"full": True, "reduction": "sum"}),
            ((D((rng.random((4, 5)) + 0.5).astype(dt)), cnt()), {"log_input": False,
                                                                 "reduction": "none"})]


def _np_bcel(x, t, weight=None, reduction="mean", pos_weight=None):
    x, t = _f64(x, t)
    sp = _sp(-x)
    lw = 1 if pos_weight is None else (np.asarray(pos_weight, np.float64) - 1) * t + 1
    loss = (1 - t) * x + lw * sp
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def _s_bcel(rng, dt):
    x = lambda: D((randn(rng, (4, 5), dt) * 4).astype(dt))
    t = lambda: I(rng.random((4, 5)).astype(dt))
    return [((x(), t()), {}), ((x(), t()), {"reduction": "none"}),
            ((x(), t(), I(rng.random(5).astype(dt))), {"reduction": "sum"}),
            ((D(np.array([40.0, -40.0, 0.0], dtype=dt)), I(np.array([0.0, 1.0, 0.5], dtype=dt))),
             {"reduction": "none"}),
            # long: several of the kernel's chunks, a partial 64-lane block at the end
            ((D((randn(rng, (301, 257), dt) * 4).astype(dt)), I(rng.random((301, 257)).astype(dt)),
              I(rng.random(257).astype(dt))), {"reduction": "mean"}),
            ((D((randn(rng, (301, 257), dt) * 4).astype(dt)), I(rng.random((301, 257)).astype(dt))),
             {"reduction": "none"})]


def _s_bcel_target(rng, dt):
    x = lambda: D((randn(rng, (4, 5), dt) * 4).astype(dt))
    t = lambda: D(rng.random((4, 5)).astype(dt))
    pw = lambda: I((rng.random((4, 5)) * 3).astype(dt))
    return [((x(), t(), pw(), pw()), {}), ((x(), t(), pw(), pw()), {"reduction": "none"}),
            ((x(), t(), pw(), pw()), {"reduction": "sum"})]


def _np_l1(x, t, reduction="mean"):
    return _reduce(np.abs(_f64(x)[0] - t), reduction)


def _np_sl1(x, t, reduction="mean", beta=1.0):
    d = np.abs(_f64(x)[0] - t)
    return _reduce(np.where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta), reduction)


def _np_huber(x, t, reduction="mean", delta=1.0):
    d = np.abs(_f64(x)[0] - t)
    return _reduce(np.where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta)), reduction)


def _np_bce(x, t, weight=None, reduction="mean"):
    x, t = _f64(x, t)
    with np.errstate(divide="ignore"):
        loss = -(t * np.maximum(np.log(x), -100) + (1 - t) * np.maximum(np.log1p(-x), -100))
    return _reduce(loss if weight is None else loss * weight, reduction)


def _np_sml(x, t, reduction="mean"):
    x, t = _f64(x, t)
    return _reduce(_sp(-t * x), reduction)


def _s_reg(extra):
    def s(rng, dt):
        x = lambda: D((randn(rng, (4, 5), dt) * 2).astype(dt))
        return [((x(), I(randn(rng, (4, 5), dt))), {}),
                ((x(), I(randn(rng, (4, 5), dt))), {"reduction": "none", **extra}),
                ((x(), I(randn(rng, (4, 5), dt))), {"reduction": "sum"})]
    return s


def _s_bce(rng, dt):
    p = lambda: D((rng.random((4, 5)) * 0.9 + 0.05).astype(dt))
    return [((p(), I(rng.random((4, 5)).astype(dt))), {}),
            ((p(), I(rng.random((4, 5)).astype(dt)), I(rng.random(5).astype(dt))),
             {"reduction": "none"}),
            ((p(), I(rng.random((4, 5)).astype(dt))), {"reduction": "sum"})]


def _s_sml(rng, dt):
    return [((D(randn(rng, (4, 5), dt)), I(_signs(rng, (4, 5), dt))), {}),
            ((D(randn(rng, (4, 5), dt)), I(_signs(rng, (4, 5), dt))), {"reduction": "none"})]


def _np_ln(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    x = _f64(x)[0]
    ax = tuple(range(x.ndim - len(normalized_shape), x.ndim))
    y = (x - x.mean(ax, keepdims=True)) / np.sqrt(x.var(ax, keepdims=True) + eps)
    return y * (1 if weight is None else weight) + (0 if bias is None else bias)


def _s_ln(rng, dt):
    return [((D(randn(rng, (3, 4, 5), dt)), (5,), D(randn(rng, (5,), dt)),
              D(randn(rng, (5,), dt))), {}),
            ((D(randn(rng, (3, 4, 5), dt)), (4, 5)), {"eps": 1e-3}),
            ((D(randn(rng, (6,), dt)), [6], D(randn(rng, (6,), dt))), {})]


def _np_rms(x, normalized_shape, weight=None, eps=None):
    x = _f64(x)[0]
    ax = tuple(range(x.ndim - len(normalized_shape), x.ndim))
    eps = np.finfo(np.float32).eps if eps is None else eps
    y = x / np.sqrt((x * x).mean(ax, keepdims=True) + eps)
    return y * (1 if weight is None else weight)


def _s_rms(rng, dt):
    return [((D(randn(rng, (3, 4, 5), dt)), (5,), D(randn(rng, (5,), dt))), {"eps": 1e-6}),
            ((D(randn(rng, (3, 4, 5), dt)), (4, 5)), {"eps": 1e-5})]


def _np_gn(x, g, weight=None, bias=None, eps=1e-5):
    x = _f64(x)[0]
    n, c = x.shape[:2]
    r = x.reshape(n, g, -1)
    y = ((r - r.mean(-1, keepdims=True)) / np.sqrt(r.var(-1, keepdims=True) + eps)).reshape(x.shape)
    view = (c,) + (1,) * (x.ndim - 2)
    if weight is not None:
        y = y * np.asarray(weight).reshape(view)
    if bias is not None:
        y = y + np.asarray(bias).reshape(view)
    return y


def _s_gn(rng, dt):
    return [((D(randn(rng, (2, 6, 3), dt)), 3, D(randn(rng, (6,), dt)),
              D(randn(rng, (6,), dt))), {}),
            ((D(randn(rng, (2, 4, 2, 3), dt)), 2), {}),
            ((D(randn(rng, (3, 4), dt)), 4), {"eps": 1e-3}),
            # long: the kernel's (sample, group) rows on threads
            ((D(randn(rng, (4, 32, 20, 20), dt) * 3 + 1), 8, D(randn(rng, (32,), dt)),
              D(randn(rng, (32,), dt))), {})]


def _np_emb(idx, w, padding_idx=None):
    return w.astype(np.float64)[idx]


def _s_emb(rng, dt):
    return [((I(rng.integers(0, 5, (2, 3))), D(randn(rng, (5, 4), dt))), {}),
            ((I(np.array(3)), D(randn(rng, (5, 4), dt))), {})]


def _np_ps(x, r):
    *b, c, h, w = x.shape
    y = x.reshape(*b, c // (r * r), r, r, h, w)
    k = len(b)
    y = y.transpose(*range(k), k, k + 3, k + 1, k + 4, k + 2)
    return y.reshape(*b, c // (r * r), h * r, w * r).astype(np.float64)


def _np_pus(x, r):
    *b, c, h, w = x.shape
    k = len(b)
    y = x.reshape(*b, c, h // r, r, w // r, r).transpose(*range(k), k, k + 2, k + 4, k + 1, k + 3)
    return y.reshape(*b, c * r * r, h // r, w // r).astype(np.float64)


def _np_cs(x, g):
    n, c = x.shape[:2]
    return x.reshape(n, g, c // g, *x.shape[2:]).swapaxes(1, 2).reshape(x.shape).astype(np.float64)


def _s_ps(rng, dt):
    return [((D(randn(rng, (2, 8, 2, 3), dt)), 2), {}), ((D(randn(rng, (9, 2, 2), dt)), 3), {})]


def _s_pus(rng, dt):
    return [((D(randn(rng, (2, 2, 4, 6), dt)), 2), {}), ((D(randn(rng, (1, 3, 3), dt)), 3), {})]


def _s_cs(rng, dt):
    return [((D(randn(rng, (2, 6, 3), dt)), 3), {}), ((D(randn(rng, (1, 4, 2, 2), dt)), 2), {})]


def _np_cpad(x, pad, value=0):
    y = x.astype(np.float64)
    for i in range(len(pad) // 2):
        d = y.ndim - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        sl = [slice(None)] * y.ndim
        sl[d] = slice(max(-lo, 0), y.shape[d] - max(-hi, 0))
        y = y[tuple(sl)]
        widths = [(0, 0)] * y.ndim
        widths[d] = (max(lo, 0), max(hi, 0))
        y = np.pad(y, widths, constant_values=value)
    return y


def _s_cpad(rng, dt):
    return [((D(randn(rng, (3, 4), dt)), [1, 2]), {}),
            ((D(randn(rng, (2, 3, 4), dt)), [1, -2, 2, 1]), {"value": 3.5}),
            ((D(randn(rng, (2, 3, 4), dt)), [-1, -1, 0, 1, 1, 0]), {"value": -1.0}),
            # rows of a vector or more (whole stores), shorter ones (masked), padded
            # planes, one dim, and past the threading size (runs split mid-plane)
            ((D(randn(rng, (2, 3, 5, 40), dt)), [1, 2, 1, 1]), {"value": 2.0}),
            ((D(randn(rng, (3, 4, 20), dt)), [0, 0, 1, 1, 1, 0]), {}),
            ((D(randn(rng, (2, 3, 10), dt)), [2, 5]), {"value": 0.5}),
            ((D(randn(rng, (2, 5), dt)), [20, 3, 0, 2]), {}),
            ((D(randn(rng, (100,), dt)), [3, 4]), {"value": 1.0}),
            ((D(randn(rng, (5, 9, 61, 61), dt)), [1, 2, 3, 0, 1, 0]), {"value": -1.0})]


_NP_PAD_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def _np_pad(x, pad, mode="constant", value=None):
    if mode == "constant":
        return _np_cpad(x, pad, 0 if value is None else value)
    widths = [(0, 0)] * x.ndim
    for i in range(len(pad) // 2):
        widths[x.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    return np.pad(x.astype(np.float64), widths, mode=_NP_PAD_MODES[mode])


def _s_pad(rng, dt):
    return [((D(randn(rng, (2, 3, 5), dt)), (2, 1)), {"mode": "reflect"}),
            ((D(randn(rng, (1, 2, 3, 4), dt)), (1, 2, 3, 0)), {"mode": "replicate"}),
            ((D(randn(rng, (2, 3, 4), dt)), (1, 3, 2, 2)), {"mode": "circular"}),
            ((D(randn(rng, (1, 2, 3, 3, 2), dt)), (1, 1, 2, 0, 1, 2)), {"mode": "reflect"}),
            ((D(randn(rng, (2, 3), dt)), (1, 2, 0, 1)), {"value": 1.5}),
            # past the kernels' threading size; a constant pad that crops
            ((D(randn(rng, (4, 8, 70, 70), dt)), (3, 1, 2, 2)), {"mode": "reflect"}),
            ((D(randn(rng, (4, 8, 70, 70), dt)), (-2, 3, 1, -1)), {"value": -2.0})]


def _xs(torch, *shape):
    return torch.randn(*shape)


def _pdf(name):
    return lambda t, *a, **k: getattr(F(t), name)(*a, **k)


_REDUCED_HALF = {"float16": (2e-2, 2e-2)}

OPS += [
    _unary("elu", lambda x, alpha=1.0: np.where(x > 0, x, alpha * np.expm1(x)), {"alpha": 0.7},
           grad_fn="EluBackward0", refused=(("int64", NotImplementedError, "not implemented for 'Long'"),)),
    _unary("selu", lambda x: SELU_S * np.where(x > 0, x, SELU_A * np.expm1(x)),
           grad_fn="EluBackward0", refused=(("int64", NotImplementedError, "\"elu_cpu\" not implemented for 'Long'"),)),
    _unary("celu", lambda x, alpha: np.where(x > 0, x, alpha * np.expm1(x / alpha)),
           {"alpha": 1.5}, grad_fn="CeluBackward0",
           errors=[(lambda t: F(t).celu(_x(t), alpha=0.0), RuntimeError,
                    "ZeroDivisionError: alpha cannot be 0 for CELU")]),
    _unary("threshold", lambda x, threshold, value: np.where(x <= threshold, value, x),
           {"threshold": 0.3, "value": -2.0}, grad_fn="ThresholdBackward0"),
    _unary("hardshrink", lambda x, lambd: np.where((x >= -lambd) & (x <= lambd), 0, x), {"lambd": 0.6},
           grad_fn="HardshrinkBackward0", refused=(("int64", NotImplementedError,
                     "\"hardshrink_cpu\" not implemented for 'Long'"),)),
    _unary("softshrink", lambda x, lambd: np.where((x >= -lambd) & (x <= lambd), 0,
                                                   np.where(x > lambd, x - lambd, x + lambd)),
           {"lambd": 0.6}, grad_fn="SoftshrinkBackward0",
           errors=[(lambda t: F(t).softshrink(_x(t), -1.0), RuntimeError,
                    "lambda must be in range [0, 3.40282e+38] for input dtype Float, "
                    "but found -1")]),
    _unary("leaky_relu", lambda x, negative_slope: np.where(x > 0, x, negative_slope * x),
           {"negative_slope": 0.2}, grad_fn="LeakyReluBackward0"),
    _unary("rrelu", lambda x, lower, upper: np.where(x > 0, x, (lower + upper) / 2 * x),
           {"lower": 0.1, "upper": 0.3},
           refused=(("int64", NotImplementedError, "\"leaky_relu_cpu\" not implemented"),),
           errors=[(lambda t: F(t).rrelu(_x(t), 0.5, 0.1), RuntimeError,
                    "Lower bound should be less than or equal to the upper bound")]),
    _unary("hardtanh", lambda x, min_val, max_val: np.clip(x, min_val, max_val),
           {"min_val": -0.5, "max_val": 1.5}),
    _unary("relu6", lambda x: np.clip(x * 1.0, 0, 6)),
    _unary("hardsigmoid", lambda x: np.clip(x + 3, 0, 6) / 6, grad_fn="HardsigmoidBackward0"),
    _unary("hardswish", lambda x: x * np.clip(x + 3, 0, 6) / 6, grad_fn="HardswishBackward0"),
    _unary("silu", lambda x: x / (1 + np.exp(-x)), grad_fn="SiluBackward0",
           refused=(("int64", NotImplementedError, "\"silu_cpu\" not implemented"),)),
    _unary("mish", lambda x: x * np.tanh(_sp(x)), grad_fn="MishBackward0"),
    _unary("softplus", lambda x, beta, threshold: np.where(x * beta > threshold, x,
                                                           _sp(beta * x) / beta),
           {"beta": 2.0, "threshold": 3.0}, grad_fn="SoftplusBackward0"),
    # the fused kernels' far ends: saturation, the thresholds, overflow of exp
    _wide("silu", lambda x: x / (1 + np.exp(-x))),
    _wide("softplus", lambda x: np.where(x > 20, x, _sp(x))),
    _wide("softplus", lambda x: np.where(x * 0.5 > 4, x, _sp(0.5 * x) / 0.5),
          {"beta": 0.5, "threshold": 4.0}),
    _wide("elu", lambda x: np.where(x > 0, x, 1.5 * np.expm1(x)), {"alpha": 1.5}),
    _wide("selu", lambda x: SELU_S * np.where(x > 0, x, SELU_A * np.expm1(x))),
    _wide("celu", lambda x: np.where(x > 0, x, 0.5 * np.expm1(x / 0.5)), {"alpha": 0.5}),
    _wide("mish", lambda x: x * np.tanh(_sp(x))),
    _wide("hardswish", lambda x: x * np.clip(x + 3, 0, 6) / 6),
    _wide("hardsigmoid", lambda x: np.clip(x + 3, 0, 6) / 6),
    _wide("logsigmoid", lambda x: -_sp(-x)),
    _unary("softsign", lambda x: x / (1 + np.abs(x))),
    _unary("tanhshrink", lambda x: x - np.tanh(x)),
    _unary("logsigmoid", lambda x: -_sp(-x), grad_fn="LogSigmoidBackward0",
           refused=(("int64", NotImplementedError, "\"log_sigmoid_cpu\" not implemented"),)),
    NNOp("glu", _pdf("glu"), _np_glu, _s_glu, gradcheck=True, grad_samples=3,
         refused=(("int64", NotImplementedError, "\"glu_cpu\" not implemented for 'Long'"),),
         errors=[(lambda t: F(t).glu(_x(t), 1), RuntimeError,
                  "Halving dimension must be even, but dimension 1 is size 3")]),
    NNOp("prelu", _pdf("prelu"), _np_prelu, _s_prelu, gradcheck=True, grad_samples=3,
         errors=[(lambda t: F(t).prelu(_x(t), t.ones(2)), RuntimeError,
                  "Mismatch of parameter numbers and input channel size. Found parameter "
                  "numbers = 2 and channel size = 3.")]),
    NNOp("Tensor.prelu", lambda t, x, w: x.prelu(w), _np_prelu, _s_prelu, dtypes=("float32",)),
    NNOp("Tensor.hardshrink", lambda t, x: x.hardshrink(0.6),
         lambda x: np.where(np.abs(x) > 0.6, x, 0), _s_act, dtypes=("float32",)),
    NNOp("cosine_similarity", _pdf("cosine_similarity"), _np_cos, _s_pair, gradcheck=True,
         refused=(("int64", RuntimeError,
                   "expected common dtype to be floating point, yet common dtype is Long"),),
         errors=[(lambda t: F(t).cosine_similarity(_xs(t, 4, 3), _xs(t, 5, 3)), RuntimeError,
                  "The size of tensor a (4) must match the size of tensor b (5)")]),
    NNOp("pairwise_distance", _pdf("pairwise_distance"), _np_pdist, _s_pdist, gradcheck=True),
    NNOp("margin_ranking_loss", _pdf("margin_ranking_loss"), _np_mrl, _s_mrl, gradcheck=True,
         errors=[(lambda t: F(t).margin_ranking_loss(_xs(t, 4), _xs(t, 4), _xs(t, 4),
                                                     reduction="x"),
                  ValueError, "x is not a valid value for reduction")]),
    NNOp("hinge_embedding_loss", _pdf("hinge_embedding_loss"), _np_hel, _s_hel, gradcheck=True),
    NNOp("cosine_embedding_loss", _pdf("cosine_embedding_loss"), _np_cel, _s_cel,
         gradcheck=True, tol=_REDUCED_HALF),
    NNOp("triplet_margin_loss", _pdf("triplet_margin_loss"), _np_tml, _s_tml, gradcheck=True,
         tol=_REDUCED_HALF,
         errors=[(lambda t: F(t).triplet_margin_loss(_xs(t, 4, 3), _xs(t, 4, 3), _xs(t, 3)),
                  RuntimeError, "anchor 2D, positive 2D, and negative 1D inputs")]),
    NNOp("kl_div", _pdf("kl_div"), _np_kl, _s_kl, gradcheck=True, tol=_REDUCED_HALF),
    NNOp("poisson_nll_loss", _pdf("poisson_nll_loss"), _np_pnll, _s_pnll, gradcheck=True,
         tol=_REDUCED_HALF),
    NNOp("binary_cross_entropy_with_logits", _pdf("binary_cross_entropy_with_logits"), _np_bcel,
         _s_bcel, gradcheck=True, tol=_REDUCED_HALF, grad_samples=4,
         errors=[(lambda t: F(t).binary_cross_entropy_with_logits(_x(t), t.rand(4)), ValueError,
                  "Target size (torch.Size([4])) must be the same as input size "
                  "(torch.Size([4, 3]))")]),
    NNOp("binary_cross_entropy_with_logits-pos_weight",
         lambda t, x, y, pw: F(t).binary_cross_entropy_with_logits(x, y, pos_weight=pw),
         lambda x, y, pw: _np_bcel(x, y, pos_weight=pw),
         lambda r, d: [((_s_bcel(r, d)[0][0]) + (I((r.random(5) * 3).astype(d)),), {})],
         gradcheck=True, tol=_REDUCED_HALF),
    # the target differentiated too, with pos_weight and weight of the input's shape
    NNOp("binary_cross_entropy_with_logits-target_grad",
         lambda t, x, y, pw, w, **kw: F(t).binary_cross_entropy_with_logits(x, y, w, pos_weight=pw, **kw),
         lambda x, y, pw, w, **kw: _np_bcel(x, y, w, pos_weight=pw, **kw), _s_bcel_target,
         gradcheck=True, tol=_REDUCED_HALF),
    NNOp("l1_loss", _pdf("l1_loss"), _np_l1, _s_reg({}), gradcheck=True, tol=_REDUCED_HALF),
    NNOp("smooth_l1_loss", _pdf("smooth_l1_loss"), _np_sl1, _s_reg({"beta": 0.5}),
         gradcheck=True, tol=_REDUCED_HALF),
    NNOp("huber_loss", _pdf("huber_loss"), _np_huber, _s_reg({"delta": 0.5}), gradcheck=True,
         tol=_REDUCED_HALF),
    NNOp("binary_cross_entropy", _pdf("binary_cross_entropy"), _np_bce, _s_bce, gradcheck=True,
         tol=_REDUCED_HALF,
         errors=[(lambda t: F(t).binary_cross_entropy(_x(t), t.rand(4, 3)), RuntimeError,
                  "all elements of input should be between 0 and 1"),
                 (lambda t: F(t).binary_cross_entropy(_x(t).sigmoid(), t.rand(4)), ValueError,
                  "Using a target size (torch.Size([4])) that is different to the input size")]),
    NNOp("soft_margin_loss", _pdf("soft_margin_loss"), _np_sml, _s_sml, gradcheck=True,
         tol=_REDUCED_HALF),
    NNOp("layer_norm", _pdf("layer_norm"), _np_ln, _s_ln, gradcheck=True, tol=_REDUCED_HALF,
         refused=(("int64", NotImplementedError, "\"LayerNormKernelImpl\" not implemented"),),
         errors=[(lambda t: F(t).layer_norm(_x(t), (4,)), RuntimeError,
                  "Given normalized_shape=[4], expected input with shape [*, 4], but got input "
                  "of size[4, 3]")]),
    NNOp("rms_norm", _pdf("rms_norm"), _np_rms, _s_rms, gradcheck=True, tol=_REDUCED_HALF,
         refused=(("int64", NotImplementedError, "\"rms_norm\" not implemented for 'Long'"),),
         errors=[(lambda t: F(t).rms_norm(_x(t), (4,)), RuntimeError,
                  "Given normalized_shape=[4], expected input with shape [*4], but got input "
                  "of size[4, 3]")]),
    NNOp("group_norm", _pdf("group_norm"), _np_gn, _s_gn, gradcheck=True, tol=_REDUCED_HALF, grad_samples=3,
         refused=(("int64", NotImplementedError, "\"GroupNormKernelImpl\" not implemented"),),
         errors=[(lambda t: F(t).group_norm(_xs(t, 2, 6), 4), RuntimeError,
                  "Expected number of channels in input to be divisible by num_groups, but got "
                  "input of shape [2, 6] and num_groups=4")]),
    NNOp("embedding", _pdf("embedding"), _np_emb, _s_emb, gradcheck=True,
         errors=[(lambda t: F(t).embedding(t.tensor([5]), _x(t)), IndexError,
                  "index out of range in self"),
                 (lambda t: F(t).embedding(t.tensor([1.0]), _x(t)), RuntimeError,
                  "Expected tensor for argument #1 'indices' to have one of the following scalar "
                  "types: Long, Int; but got torch.FloatTensor instead")]),
    NNOp("pixel_shuffle", _pdf("pixel_shuffle"), _np_ps, _s_ps, gradcheck=True,
         errors=[(lambda t: F(t).pixel_shuffle(_xs(t, 1, 3, 2, 2), 2), RuntimeError,
                  "pixel_shuffle expects its input's 'channel' dimension to be divisible by the "
                  "square of upscale_factor, but input.size(-3)=3 is not divisible by 4")]),
    NNOp("pixel_unshuffle", _pdf("pixel_unshuffle"), _np_pus, _s_pus, gradcheck=True,
         errors=[(lambda t: F(t).pixel_unshuffle(_xs(t, 1, 1, 3, 2), 2), RuntimeError,
                  "pixel_unshuffle expects height to be divisible by downscale_factor, but "
                  "input.size(-2)=3 is not divisible by 2")]),
    NNOp("channel_shuffle", _pdf("channel_shuffle"), _np_cs, _s_cs, gradcheck=True,
         errors=[(lambda t: F(t).channel_shuffle(_xs(t, 1, 3, 2, 2), 2), RuntimeError,
                  "Number of channels must be divisible by groups. Got 3 channels and 2 groups.")]),
    NNOp("constant_pad_nd", lambda t, *a, **k: t.constant_pad_nd(*a, **k), _np_cpad, _s_cpad,
         gradcheck=True, grad_samples=4,
         errors=[(lambda t: t.constant_pad_nd(_x(t), [1]), RuntimeError,
                  "Length of pad must be even but instead it equals 1"),
                 (lambda t: t.constant_pad_nd(_x(t), [-2, -2]), RuntimeError,
                  "resulted in a negative output size")]),
    NNOp("pad", _pdf("pad"), _np_pad, _s_pad, gradcheck=True, grad_samples=5,
         errors=[(lambda t: F(t).pad(_xs(t, 1, 2, 3), (3, 0), mode="reflect"), RuntimeError,
                  "Padding size should be less than the corresponding input dimension, but got: "
                  "padding (3, 0) at dimension 2 of input [1, 2, 3]"),
                 (lambda t: F(t).pad(_xs(t, 3), (1, 1), mode="replicate"), NotImplementedError,
                  "Padding size 2 is not supported for 1D input tensor."),
                 (lambda t: F(t).pad(_xs(t, 1, 2, 3), (1, 1), mode="foo"), NotImplementedError,
                  "Unrecognised padding mode foo"),
                 (lambda t: F(t).pad(_xs(t, 1, 2, 3), (4, 4), mode="circular"), RuntimeError,
                  "Padding value causes wrapping around more than once."),
                 (lambda t: F(t).pad(_xs(t, 1, 2, 3), (1, 1), mode="reflect", value=2.0),
                  RuntimeError, "Padding mode \"reflect\" doesn't take in value argument")]),
    # the torch-level forms: an int reduction, and torch.embedding takes the table first
    NNOp("torch.kl_div", lambda t, x, y: t.kl_div(x, y, 2),
         lambda x, y: _np_kl(x, y, "sum"), lambda r, d: [(_s_kl(r, d)[0][0], {})],
         dtypes=("float64",),
         gradcheck=True,
         errors=[(lambda t: t.kl_div(_x(t), _x(t), reduction="mean"), TypeError,
                  "kl_div(): argument 'reduction' must be int, not str")]),
    NNOp("torch.binary_cross_entropy_with_logits",
         lambda t, x, y: t.binary_cross_entropy_with_logits(x, y, None, None, 0),
         lambda x, y: _np_bcel(x, y, reduction="none"), lambda r, d: _s_bcel(r, d)[:1],
         dtypes=("float64",), gradcheck=True),
    NNOp("torch.margin_ranking_loss", lambda t, a, b, y: t.margin_ranking_loss(a, b, y, 0.2, 2),
         lambda a, b, y: _np_mrl(a, b, y, 0.2, "sum"), lambda r, d: _s_mrl(r, d)[:1],
         dtypes=("float64",), gradcheck=True),
    NNOp("torch.triplet_margin_loss",
         lambda t, a, p, n: t.triplet_margin_loss(a, p, n, 1.0, 2, 1e-6, True, 0),
         lambda a, p, n: _np_tml(a, p, n, swap=True, reduction="none"),
         lambda r, d: _s_tml(r, d)[:1], dtypes=("float64",), gradcheck=True),
    NNOp("torch.poisson_nll_loss", lambda t, x, y: t.poisson_nll_loss(x, y, True, True, 1e-8, 1),
         lambda x, y: _np_pnll(x, y, full=True), lambda r, d: _s_pnll(r, d)[:1],
         dtypes=("float64",), gradcheck=True),
    NNOp("torch.hinge_embedding_loss", lambda t, x, y: t.hinge_embedding_loss(x, y, 0.5, 0),
         lambda x, y: _np_hel(x, y, 0.5, "none"), lambda r, d: _s_hel(r, d)[:1],
         dtypes=("float64",), gradcheck=True),
    NNOp("torch.cosine_embedding_loss",
         lambda t, a, b, y: t.cosine_embedding_loss(a, b, y, 0.1, 1),
         lambda a, b, y: _np_cel(a, b, y, 0.1), lambda r, d: _s_cel(r, d)[:1],
         dtypes=("float64",), gradcheck=True),
    NNOp("torch.layer_norm", lambda t, x, w, b: t.layer_norm(x, [5], w, b, 1e-5, True),
         lambda x, w, b: _np_ln(x, (5,), w, b),
         lambda r, d: [(s[0][:1] + s[0][2:], s[1]) for s in _s_ln(r, d)[:1]],
         dtypes=("float64",), gradcheck=True),
    NNOp("torch.group_norm", lambda t, x: t.group_norm(x, 2), lambda x: _np_gn(x, 2),
         lambda r, d: [((D(randn(r, (2, 4, 3), d)),), {})], dtypes=("float64",), gradcheck=True),
    NNOp("torch.embedding", lambda t, w, i: t.embedding(w, i), lambda w, i: w[i],
         lambda r, d: [((D(randn(r, (5, 3), d)), I(np.array([4, 0, 4]))), {})],
         dtypes=("float64",), gradcheck=True),
    NNOp("torch.selu", lambda t, x: t.selu(x),
         lambda x: SELU_S * np.where(x > 0, x, SELU_A * np.expm1(x)), _s_act,
         dtypes=("float32",)),
    NNOp("torch.celu", lambda t, x: t.celu(x, 0.5),
         lambda x: np.where(x > 0, x, 0.5 * np.expm1(x / 0.5)), _s_act, dtypes=("float32",)),
    NNOp("torch.threshold", lambda t, x: t.threshold(x, 0.1, 20.0),
         lambda x: np.where(x > 0.1, x, 20.0), _s_act, dtypes=("float32",)),
    NNOp("torch.rrelu", lambda t, x: t.rrelu(x, 0.2, 0.4),
         lambda x: np.where(x > 0, x, 0.3 * x), _s_act, dtypes=("float32",)),
]
from tests.op_db_nn_pool import OPS as _POOL; OPS += _POOL  # noqa: E402
from tests.op_db_nn_grid import OPS as _GRID; OPS += _GRID  # noqa: E402
from tests.op_db_nn_rnn import OPS as _RNN; OPS += _RNN  # noqa: E402
from tests.op_db_nn_nnmisc import OPS as _NNMISC; OPS += _NNMISC  # noqa: E402
from tests.op_db_nn_conv import OPS as _CONV; OPS += _CONV  # noqa: E402
