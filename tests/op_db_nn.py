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
