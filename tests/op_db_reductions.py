"""The registry of reductions that tests/test_reductions.py is driven by.

Each ReductionInfo says how to call the op in ctorch (`op(x, **kw)`), how
numpy computes the same thing (`ref(a, **kw)`, on the same data), which
dtypes PyTorch accepts, what dtype the result has, the sample calls
(shape + keyword arguments: dims incl. negative ones and tuples, keepdim,
empty and 0-d inputs), whether PyTorch differentiates it, and the error
cases (call, exception type, message fragment).

Dtypes are named by strings so that this module does not depend on ctorch.
"""
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

BOOL = ("bool",)
INTS = ("uint8", "int8", "int16", "int32", "int64")
FLOATS = ("float16", "float32", "float64")
COMPLEX = ("complex64", "complex128")
REAL = BOOL + INTS + FLOATS
ALL = REAL + COMPLEX


def acc_dtype(name):
    """sum/prod/cumsum result dtype: integers and bool accumulate in int64."""
    return "int64" if name in BOOL + INTS else name


def same_dtype(name):
    return name


def real_dtype(name):
    return {"complex64": "float32", "complex128": "float64"}.get(name, name)


def float_dtype(name):
    return name if name in FLOATS + COMPLEX else "float32"


@dataclass
class ReductionInfo:
    name: str
    op: Callable                       # op(ctorch_tensor, **kw)
    ref: Callable                      # ref(numpy_array, **kw) -> numpy result
    dtypes: tuple                      # accepted input dtypes
    samples: list                      # [(shape, kw)]
    res_dtype: Callable = same_dtype   # input dtype name -> result dtype name
    refused: tuple = ()                # dtypes PyTorch refuses
    refused_exc: type = RuntimeError
    differentiable: bool = False
    grad_samples: Optional[list] = None  # [(shape, kw)] for gradcheck (float64)
    errors: list = field(default_factory=list)  # [(call(mod), exc, fragment)]
    indices: bool = False              # result is (values, indices)
    ref_indices: Optional[Callable] = None
    nan_samples: bool = False          # also run the float samples with NaN inside
    tol: Optional[dict] = None         # result dtype -> (rtol, atol)
    positive: bool = False             # inputs kept away from 0 (for grad of prod)


def _ax(dim):
    if dim is None:
        return None
    if isinstance(dim, (tuple, list)):
        return tuple(dim) if len(dim) else None
    return dim


def _np_red(fn):
    def ref(a, dim=None, keepdim=False, **kw):
        if a.ndim == 0:
            return fn(a, axis=None, **kw)
        return fn(a, axis=_ax(dim), keepdims=keepdim, **kw)
    return ref


def _first_arg(fn, a, dim, keepdim):
    """argmax/argmin as torch does it: the first extreme, NaN counting as one."""
    if a.ndim == 0:
        return np.array(0)
    if dim is None:
        r = fn(a.reshape(-1))
        return np.array(r).reshape([1] * a.ndim) if keepdim else np.array(r)
    return fn(a, axis=dim, keepdims=keepdim)


def _lower_median(a, dim=None, keepdim=False):
    if a.ndim == 0:
        return a.copy()
    if dim is None:
        a = a.reshape(-1)
        dim = 0
    srt = np.sort(a, axis=dim)
    n = a.shape[dim]
    r = np.take(srt, [(n - 1) // 2], axis=dim)
    if a.dtype.kind == "f":
        r = np.where(np.isnan(a).any(axis=dim, keepdims=True), np.nan, r).astype(a.dtype)
    return r if keepdim else np.squeeze(r, axis=dim)


def _var_ref(a, dim=None, keepdim=False, correction=1, unbiased=None, std=False):
    if unbiased is not None:
        correction = 1 if unbiased else 0
    a64 = a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)
    ax = _ax(dim) if a.ndim else None
    n = a64.size if ax is None else int(np.prod([a.shape[d] for d in (ax if isinstance(ax, tuple) else (ax,))]))
    m = a64.mean(axis=ax, keepdims=True)
    s = (np.abs(a64 - m) ** 2).sum(axis=ax, keepdims=keepdim and a.ndim > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        v = s / max(0, n - correction)
    return np.sqrt(v) if std else v


def _logsumexp_ref(a, dim, keepdim=False):
    a64 = a.astype(np.float64)
    if a.ndim == 0:
        return a64
    ax = _ax(dim)
    m = np.max(a64, axis=ax, keepdims=True) if a.size else np.zeros([1] * a.ndim)
    m = np.where(np.isinf(m), 0, m)
    r = np.log(np.exp(a64 - m).sum(axis=ax, keepdims=True)) + m
    return r if keepdim else np.squeeze(r, axis=ax)


def _softmax_ref(a, dim, log=False):
    a64 = a.astype(np.float64)
    if a.ndim == 0:
        return np.zeros(()) if log else np.ones(())
    m = a64.max(axis=dim, keepdims=True)
    e = np.exp(a64 - m)
    s = e.sum(axis=dim, keepdims=True)
    return (a64 - m - np.log(s)) if log else e / s


def _cum_ref(fn):
    def ref(a, dim, dtype=None):
        if a.ndim == 0:
            return a.astype(np.int64) if a.dtype.kind in "biu" else a.copy()
        acc = np.int64 if a.dtype.kind in "biu" else a.dtype
        return fn(a.astype(acc), axis=dim)
    return ref


# shapes: 2-d and 3-d, empty rows/cols, 0-d
S2, S3 = (4, 5), (3, 4, 5)
DIM_SAMPLES = [(S2, {}), (S2, {"dim": 1}), (S2, {"dim": 0, "keepdim": True}), (S3, {"dim": -1}),
               (S3, {"dim": 1, "keepdim": True}), ((), {}), ((), {"dim": 0})]
MULTI_SAMPLES = DIM_SAMPLES + [(S3, {"dim": (0, 2)}), (S3, {"dim": (-1, -3), "keepdim": True}),
                               (S3, {"dim": (0, 1)}),     # leading dims: reduced column by column
                               # a trailing run after other reduced dims (a
                               # batch norm's (0, 2, 3)): rows first, then the rest
                               ((2, 3, 4, 5), {"dim": (0, 2, 3)}), ((2, 3, 4, 5), {"dim": (0, 1, 3)}),
                               (S3, {"dim": ()}), ((0, 3), {"dim": 0}), ((0, 3), {})]
ONE_DIM = [(S2, {"dim": 1}), (S2, {"dim": 0}), (S3, {"dim": -2}), ((), {"dim": 0}), ((0, 3), {"dim": 1})]

EMPTY_MAX = "Expected reduction dim to be specified for input.numel() == 0"

OPS = [
    ReductionInfo(
        "max", lambda x, **kw: x.max(), lambda a: np.max(a), REAL,
        [(S2, {}), (S3, {}), ((), {}), ((1,), {})], differentiable=True,
        grad_samples=[(S2, {})], nan_samples=True, refused=COMPLEX, refused_exc=NotImplementedError,
        errors=[(lambda m: m.empty(0).max(), RuntimeError, "max(): " + EMPTY_MAX),
                (lambda m: m.empty(0, 3).max(0), IndexError, "Expected reduction dim 0 to have non-zero size"),
                (lambda m: m.ones(2, 3).max(2), IndexError, "Dimension out of range"),
                (lambda m: m.ones(2, 3).max(keepdim=True), TypeError, "invalid combination of arguments")]),
    ReductionInfo(
        "min", lambda x, **kw: x.min(), lambda a: np.min(a), REAL,
        [(S2, {}), (S3, {}), ((), {})], differentiable=True, grad_samples=[(S2, {})],
        nan_samples=True, refused=COMPLEX, refused_exc=NotImplementedError,
        errors=[(lambda m: m.min(m.empty(0)), RuntimeError, "min(): " + EMPTY_MAX)]),
    ReductionInfo(
        "max_dim", lambda x, dim, keepdim=False: x.max(dim, keepdim=keepdim),
        lambda a, dim, keepdim=False: np.max(a, axis=dim, keepdims=keepdim) if a.ndim else a.copy(),
        REAL, ONE_DIM[:4] + [(S2, {"dim": -1, "keepdim": True}), ((3, 0), {"dim": 0})],
        indices=True, ref_indices=lambda a, dim, keepdim=False: _first_arg(np.argmax, a, dim, keepdim),
        differentiable=True, grad_samples=[(S2, {"dim": 1}), (S3, {"dim": 0, "keepdim": True})],
        nan_samples=True, refused=COMPLEX, refused_exc=NotImplementedError),
    ReductionInfo(
        "min_dim", lambda x, dim, keepdim=False: __import__("ctorch").min(x, dim, keepdim),
        lambda a, dim, keepdim=False: np.min(a, axis=dim, keepdims=keepdim) if a.ndim else a.copy(),
        REAL, ONE_DIM[:4], indices=True,
        ref_indices=lambda a, dim, keepdim=False: _first_arg(np.argmin, a, dim, keepdim),
        differentiable=True, grad_samples=[(S2, {"dim": 0})], nan_samples=True,
        refused=COMPLEX, refused_exc=NotImplementedError),
    ReductionInfo(
        "max_binary", lambda x: __import__("ctorch").max(x, __import__("ctorch").full_like(x, 2)),
        lambda a: np.maximum(a, np.array(2, dtype=a.dtype)), INTS + FLOATS, [(S2, {}), ((), {})]),
    ReductionInfo(
        "amax", lambda x, **kw: x.amax(**kw), _np_red(np.max), REAL, MULTI_SAMPLES[:-2],
        differentiable=True, grad_samples=[(S3, {"dim": (0, 2)}), (S2, {})], nan_samples=True,
        refused=COMPLEX, refused_exc=NotImplementedError,
        errors=[(lambda m: m.empty(0).amax(), RuntimeError, "amax(): " + EMPTY_MAX),
                (lambda m: m.empty(0, 3).amin(0), IndexError, "amin(): Expected reduction dim 0 to have non-zero size"),
                (lambda m: m.ones(2, 3).amax((0, 0)), RuntimeError, "appears multiple times")]),
    ReductionInfo(
        "amin", lambda x, **kw: __import__("ctorch").amin(x, **kw), _np_red(np.min), REAL,
        MULTI_SAMPLES[:-2], differentiable=True, grad_samples=[(S3, {"dim": -1})], nan_samples=True,
        refused=COMPLEX, refused_exc=NotImplementedError),
    ReductionInfo(
        "argmax", lambda x, **kw: x.argmax(**kw),
        lambda a, dim=None, keepdim=False: _first_arg(np.argmax, a, dim, keepdim), INTS + FLOATS,
        DIM_SAMPLES + [(S3, {"keepdim": True}), ((3, 0), {"dim": 0})], res_dtype=lambda n: "int64",
        nan_samples=True, refused=COMPLEX + BOOL,
        errors=[(lambda m: m.empty(0).argmax(), IndexError, "argmax(): " + EMPTY_MAX),
                (lambda m: m.empty(2, 0).argmax(1), IndexError, "argmax(): Expected reduction dim 1 to have non-zero size"),
                (lambda m: m.ones(2, dtype=m.complex64).argmax(), RuntimeError, "does not support complex"),
                (lambda m: m.ones(2, 3, dtype=m.bool).argmax(0), RuntimeError, "argmax(): does not support bool input")]),
    ReductionInfo(
        "argmin", lambda x, **kw: __import__("ctorch").argmin(x, **kw),
        lambda a, dim=None, keepdim=False: _first_arg(np.argmin, a, dim, keepdim), INTS + FLOATS,
        DIM_SAMPLES, res_dtype=lambda n: "int64", nan_samples=True, refused=COMPLEX + BOOL,
        errors=[(lambda m: m.empty(0).argmin(), IndexError, "argmin(): " + EMPTY_MAX),
                (lambda m: m.ones(2, dtype=m.bool).argmin(), RuntimeError, "argmin(): does not support bool input")]),
    ReductionInfo(
        "prod", lambda x, **kw: x.prod(**kw),
        lambda a, dim=None, keepdim=False: (np.prod(a.astype(np.int64) if a.dtype.kind in "biu" else a,
                                                   axis=dim if a.ndim else None,
                                                   keepdims=keepdim and a.ndim > 0 and dim is not None)),
        ALL, [(S2, {}), (S2, {"dim": 1}), (S3, {"dim": -2, "keepdim": True}), ((), {}), ((0, 3), {}),
              ((0, 3), {"dim": 1}), ((), {"dim": 0})],
        res_dtype=acc_dtype, differentiable=True, grad_samples=[(S2, {}), (S3, {"dim": 1})],
        tol={"float16": (1e-2, 1e-2), "float32": (1e-5, 1e-5)},
        errors=[(lambda m: m.ones(2, 3).prod((0, 1)), TypeError, "must be int")]),
    ReductionInfo(
        "prod_dtype", lambda x: x.prod(dtype=__import__("ctorch").float64),
        lambda a: np.prod(a.astype(np.float64)), REAL, [(S2, {})], res_dtype=lambda n: "float64"),
    ReductionInfo(
        "var", lambda x, **kw: x.var(**kw), lambda a, **kw: _var_ref(a, **kw), FLOATS + COMPLEX,
        MULTI_SAMPLES[:5] + [(S3, {"dim": (0, 2)}), (S2, {"dim": 1, "correction": 0}),
                             (S2, {"dim": 0, "unbiased": False, "keepdim": True}), (S2, {"correction": 2})],
        res_dtype=real_dtype, refused=BOOL + INTS, differentiable=True,
        grad_samples=[(S2, {}), (S3, {"dim": (0, 2), "correction": 0})],
        tol={"float16": (1e-2, 1e-2)},
        errors=[(lambda m: m.ones(2, 3, dtype=m.int64).var(), RuntimeError, "std and var only support floating point and complex dtypes"),
                (lambda m: m.ones(3).var(correction=1, unbiased=True), RuntimeError, "Cannot pass both")]),
    ReductionInfo(
        "std", lambda x, **kw: __import__("ctorch").std(x, **kw), lambda a, **kw: _var_ref(a, std=True, **kw),
        FLOATS + COMPLEX, MULTI_SAMPLES[:5] + [(S3, {"dim": (-1, 0), "keepdim": True}),
                                               (S2, {"dim": 1, "unbiased": False})],
        res_dtype=real_dtype, refused=BOOL + INTS, differentiable=True,
        grad_samples=[(S2, {"dim": 1}), (S3, {})], tol={"float16": (1e-2, 1e-2)}),
    ReductionInfo(
        "var_mean.var", lambda x, **kw: __import__("ctorch").var_mean(x, **kw)[0],
        lambda a, **kw: _var_ref(a, **kw), ("float32", "float64"), [(S2, {"dim": 1}), (S3, {"dim": (0, 1), "keepdim": True})],
        differentiable=True, grad_samples=[(S2, {"dim": 0})]),
    ReductionInfo(
        "std_mean.mean", lambda x, **kw: __import__("ctorch").std_mean(x, **kw)[1],
        _np_red(np.mean), ("float32", "float64"), [(S2, {"dim": 1}), (S3, {"dim": (0, 1), "keepdim": True}), (S2, {})],
        differentiable=True, grad_samples=[(S2, {"dim": 0})]),
    ReductionInfo(
        "logsumexp", lambda x, **kw: x.logsumexp(**kw), _logsumexp_ref, INTS + FLOATS,
        [(S2, {"dim": 1}), (S3, {"dim": (0, 2)}), (S3, {"dim": -1, "keepdim": True}), ((), {"dim": 0}),
         ((0, 3), {"dim": 0})],
        res_dtype=float_dtype, differentiable=True, grad_samples=[(S2, {"dim": 1}), (S3, {"dim": (0, 2), "keepdim": True})],
        tol={"float16": (1e-2, 1e-2)}),
    ReductionInfo(
        "softmax", lambda x, **kw: x.softmax(**kw), lambda a, dim: _softmax_ref(a, dim), FLOATS,
        [(S2, {"dim": 1}), (S2, {"dim": 0}), (S3, {"dim": -2}), ((), {"dim": 0}), ((0, 3), {"dim": 1}),
         ((5, 37), {"dim": 1}), ((2, 19, 70), {"dim": 1}), ((0, 3, 20), {"dim": 1})],
        refused=BOOL + INTS, refused_exc=NotImplementedError, differentiable=True,
        grad_samples=[(S2, {"dim": 1}), (S3, {"dim": 0}), ((3, 21), {"dim": 1}), ((2, 17, 3), {"dim": 1})],
        tol={"float16": (1e-2, 1e-3)},
        errors=[(lambda m: m.ones(2, 3).softmax(2), IndexError, "Dimension out of range"),
                (lambda m: m.ones(2, 3).softmax(), TypeError, "dim")]),
    ReductionInfo(
        "softmax_dtype", lambda x, dim: __import__("ctorch").softmax(x, dim, dtype=__import__("ctorch").float64),
        lambda a, dim: _softmax_ref(a, dim), REAL, [(S2, {"dim": -1})], res_dtype=lambda n: "float64"),
    ReductionInfo(
        "log_softmax", lambda x, **kw: __import__("ctorch").log_softmax(x, **kw),
        lambda a, dim: _softmax_ref(a, dim, log=True), FLOATS,
        [(S2, {"dim": 1}), (S3, {"dim": 0}), ((), {"dim": 0}), ((4, 40), {"dim": 1}),
         ((30, 2, 20), {"dim": 0})], refused=BOOL + INTS,
        refused_exc=NotImplementedError, differentiable=True,
        grad_samples=[(S3, {"dim": -1}), ((3, 18), {"dim": 1}), ((17, 2, 3), {"dim": 0})],
        tol={"float16": (1e-2, 1e-2)}),
    ReductionInfo(
        "cumsum", lambda x, **kw: x.cumsum(**kw), _cum_ref(np.cumsum), ALL,
        [(S2, {"dim": 1}), (S2, {"dim": 0}), (S3, {"dim": -2}), ((), {"dim": 0}), ((0, 3), {"dim": 0})],
        res_dtype=acc_dtype, differentiable=True, grad_samples=[(S2, {"dim": 1}), (S3, {"dim": 0})],
        tol={"float16": (1e-2, 1e-2)},
        errors=[(lambda m: m.ones(2, 3).cumsum(2), IndexError, "Dimension out of range")]),
    ReductionInfo(
        "cumsum_dtype", lambda x, dim: x.cumsum(dim, dtype=__import__("ctorch").float64),
        lambda a, dim: np.cumsum(a.astype(np.float64), axis=dim), REAL, [(S2, {"dim": 0})],
        res_dtype=lambda n: "float64"),
    ReductionInfo(
        "cumprod", lambda x, **kw: __import__("ctorch").cumprod(x, **kw), _cum_ref(np.cumprod), ALL,
        [(S2, {"dim": 1}), (S3, {"dim": 0}), ((), {"dim": 0})], res_dtype=acc_dtype,
        differentiable=True, grad_samples=[(S2, {"dim": 1})], tol={"float16": (1e-2, 1e-2)}),
    ReductionInfo(
        "any", lambda x, **kw: x.any(**kw), _np_red(np.any), ALL, MULTI_SAMPLES,
        res_dtype=lambda n: "uint8" if n == "uint8" else "bool"),
    ReductionInfo(
        "all", lambda x, **kw: __import__("ctorch").all(x, **kw), _np_red(np.all), ALL, MULTI_SAMPLES,
        res_dtype=lambda n: "uint8" if n == "uint8" else "bool"),
    ReductionInfo(
        "count_nonzero", lambda x, **kw: x.count_nonzero(**kw),
        lambda a, dim=None: np.array(np.count_nonzero(a, axis=_ax(dim) if a.ndim else None)), ALL,
        [(S2, {}), (S2, {"dim": 1}), (S3, {"dim": (0, -1)}), ((0, 3), {"dim": 0}), ((), {})],
        res_dtype=lambda n: "int64"),
    ReductionInfo(
        "median", lambda x: x.median(), lambda a: _lower_median(a), INTS + FLOATS,
        [(S2, {}), ((6,), {}), ((7,), {}), ((), {})], differentiable=True, grad_samples=[(S2, {})],
        nan_samples=True, refused=COMPLEX, refused_exc=NotImplementedError),
    ReductionInfo(
        "median_dim", lambda x, dim, keepdim=False: __import__("ctorch").median(x, dim, keepdim=keepdim),
        _lower_median, INTS + FLOATS, ONE_DIM[:4] + [(S3, {"dim": 1, "keepdim": True})], indices=True,
        differentiable=True, grad_samples=[(S2, {"dim": 1}), (S3, {"dim": 0, "keepdim": True})],
        nan_samples=True, refused=COMPLEX, refused_exc=NotImplementedError,
        errors=[(lambda m: m.empty(0, 3).median(0), IndexError, "median(): Expected reduction dim 0 to have non-zero size")]),
    ReductionInfo(
        "sum", lambda x, **kw: x.sum(**kw), lambda a, dim=None, keepdim=False: np.array(
            np.sum(a.astype(np.int64) if a.dtype.kind in "biu" else a, axis=_ax(dim) if a.ndim else None,
                   keepdims=keepdim and a.ndim > 0)),
        ALL, MULTI_SAMPLES, res_dtype=acc_dtype, differentiable=True,
        grad_samples=[(S3, {"dim": (-1, 0)})], tol={"float16": (1e-2, 1e-2)}),
    ReductionInfo(
        "sum_dtype", lambda x, **kw: __import__("ctorch").sum(x, dtype=__import__("ctorch").float64, **kw),
        lambda a, dim=None, keepdim=False: np.array(np.sum(a.astype(np.float64), axis=_ax(dim) if a.ndim else None,
                                                           keepdims=keepdim and a.ndim > 0)),
        REAL, MULTI_SAMPLES, res_dtype=lambda n: "float64"),
    ReductionInfo(
        "mean", lambda x, **kw: x.mean(**kw), lambda a, dim=None, keepdim=False: np.array(
            np.mean(a, axis=_ax(dim) if a.ndim else None, keepdims=keepdim and a.ndim > 0)),
        FLOATS + COMPLEX, MULTI_SAMPLES[:-2], refused=BOOL + INTS, differentiable=True,
        grad_samples=[(S3, {"dim": (0, -1), "keepdim": True})], tol={"float16": (1e-2, 1e-2)},
        errors=[(lambda m: m.ones(2, dtype=m.int64).mean(), RuntimeError, "mean(): could not infer output dtype")]),
    ReductionInfo(
        "mean_dtype", lambda x, **kw: x.mean(dtype=__import__("ctorch").float64, **kw),
        lambda a, dim=None, keepdim=False: np.array(np.mean(a.astype(np.float64), axis=_ax(dim) if a.ndim else None,
                                                            keepdims=keepdim and a.ndim > 0)),
        REAL, MULTI_SAMPLES[:5], res_dtype=lambda n: "float64"),
]


# ---- NaN-aware reductions, order statistics, running max/min and log-sum-exp
# (nansum, nanmean, nanmedian, quantile, nanquantile, mode, aminmax, cummax,
# cummin, logcumsumexp, cumsum_, cumprod_)

def _nan_lower_median(a, dim=None, keepdim=False):
    """torch.nanmedian: the lower median of the non-NaN values, NaN for a row without any."""
    if a.ndim == 0:
        return a.copy()
    if dim is None:
        a, dim, keepdim = a.reshape(-1), 0, False
    srt = np.sort(a, axis=dim)                       # NaN sorts last
    k = (~np.isnan(srt)).sum(axis=dim, keepdims=True) if a.dtype.kind == "f" else \
        np.full([1 if d == dim % a.ndim else s for d, s in enumerate(a.shape)], a.shape[dim])
    r = np.take_along_axis(srt, np.maximum(k - 1, 0) // 2, axis=dim)
    return r if keepdim else np.squeeze(r, axis=dim)


def _quantile_ref(fn):
    def ref(a, q=0.5, dim=None, keepdim=False, interpolation="linear"):
        q = np.asarray(q, dtype=a.dtype)
        if a.ndim == 0:
            r = fn(a.reshape(1), q, axis=0, method=interpolation)
            return np.asarray(r, dtype=a.dtype)
        return np.asarray(fn(a, q, axis=dim, keepdims=keepdim, method=interpolation), dtype=a.dtype)
    return ref


def _quantile_op(name):
    def op(x, q=0.5, **kw):
        m = __import__("ctorch")
        qq = m.tensor(q, dtype=x.dtype) if isinstance(q, list) else q
        return getattr(m, name)(x, qq, **kw)
    return op


def _mode_pair(a, dim=-1, keepdim=False):
    """(values, indices): the smallest of the most frequent values of each row
    and the last index where it occurs."""
    if a.ndim == 0:
        return a.copy(), np.array(0)
    if a.shape[dim] == 0:
        raise IndexError("empty dim")
    b = np.moveaxis(a, dim, -1)
    flat = b.reshape(-1, b.shape[-1])
    vals, idx = np.empty(flat.shape[0], a.dtype), np.empty(flat.shape[0], np.int64)
    for r, row in enumerate(flat):
        u, c = np.unique(row, return_counts=True)
        vals[r] = u[np.argmax(c)]
        idx[r] = np.nonzero(row == vals[r])[0][-1]
    vals, idx = vals.reshape(b.shape[:-1]), idx.reshape(b.shape[:-1])
    if keepdim:
        vals, idx = np.expand_dims(vals, dim), np.expand_dims(idx, dim)
    return vals, idx


def _cumext_pair(a, dim, is_max):
    """cummax/cummin as PyTorch: an element takes over when >= (<=) the running
    value or NaN (ties: the latest index; a NaN holds until the next NaN)."""
    if a.ndim == 0:
        return a.copy(), np.array(0)
    b = np.moveaxis(a, dim, -1)
    v, i = np.empty_like(b), np.zeros(b.shape, np.int64)
    for pos in np.ndindex(*b.shape[:-1]):
        row = b[pos]
        best, bi = (row[0], 0) if row.size else (None, 0)
        for j, x in enumerate(row):
            if x != x or (x >= best if is_max else x <= best):
                best, bi = x, j
            v[pos + (j,)], i[pos + (j,)] = best, bi
    return np.moveaxis(v, -1, dim), np.moveaxis(i, -1, dim)


def _logcumsumexp_ref(a, dim):
    if a.ndim == 0:
        return a.copy()
    return np.logaddexp.accumulate(a, axis=dim)


def _int64_if_int(a):
    return a.astype(np.int64) if a.dtype.kind in "biu" else a


Q_SAMPLES = [(S2, {"q": 0.3}), (S2, {"q": 0.5, "dim": 1}), (S3, {"q": [0.1, 0.5, 1.0], "dim": -1, "keepdim": True}),
             (S2, {"q": 0.25, "dim": 0, "interpolation": "lower"}), (S2, {"q": 0.6, "dim": 1, "interpolation": "higher"}),
             (S3, {"q": 0.4, "dim": 1, "interpolation": "midpoint"}), (S2, {"q": [0.0, 0.45], "dim": 0, "interpolation": "nearest"}),
             (S3, {"q": [0.2, 0.8]}), (S3, {"q": 0.7, "keepdim": True}), ((), {"q": 0.7})]
Q_GRAD = [(S2, {"q": 0.3, "dim": 1}), (S3, {"q": [0.2, 0.9]}), (S2, {"q": 0.5, "dim": 0, "interpolation": "midpoint"})]
Q_ERRORS = [
    (lambda m: m.quantile(m.ones(3), 1.5), RuntimeError, "quantile() q must be in the range [0, 1] but got 1.5"),
    (lambda m: m.quantile(m.ones(3), m.tensor([0.1, 1.2])), RuntimeError, "quantile() q values must be in the range [0, 1]"),
    (lambda m: m.quantile(m.ones(3), m.tensor([0.1], dtype=m.float64)), RuntimeError, "q tensor must be same dtype as the input tensor"),
    (lambda m: m.quantile(m.ones(3), m.ones(2, 2) / 2), RuntimeError, "q must be a scalar or 1D tensor"),
    (lambda m: m.quantile(m.ones(3), 0.5, interpolation="foo"), RuntimeError, "interpolation must be one of linear, lower, higher, midpoint or nearest, but got foo"),
    (lambda m: m.quantile(m.ones(3, dtype=m.int64), 0.5), RuntimeError, "quantile() input tensor must be either float or double dtype"),
    (lambda m: m.nanquantile(m.empty(0, 3), 0.5, dim=1), RuntimeError, "nanquantile() input tensor must be non-empty"),
    (lambda m: m.quantile(m.ones(3), [0.5]), TypeError, "invalid combination of arguments"),
]

OPS += [
    ReductionInfo(
        "nansum", lambda x, **kw: x.nansum(**kw),
        lambda a, dim=None, keepdim=False: np.array(np.nansum(_int64_if_int(a), axis=_ax(dim) if a.ndim else None,
                                                              keepdims=keepdim and a.ndim > 0)),
        REAL, MULTI_SAMPLES, res_dtype=acc_dtype, refused=COMPLEX, nan_samples=True, differentiable=True,
        grad_samples=[(S3, {"dim": (0, 2)}), (S2, {})], tol={"float16": (1e-2, 1e-2)},
        errors=[(lambda m: m.nansum(m.ones(2, dtype=m.complex64)), RuntimeError, "does not support complex inputs"),
                (lambda m: m.ones(2, 3).nansum(2), IndexError, "Dimension out of range")]),
    ReductionInfo(
        "nansum_dtype", lambda x, **kw: __import__("ctorch").nansum(x, dtype=__import__("ctorch").float64, **kw),
        lambda a, dim=None, keepdim=False: np.array(np.nansum(a.astype(np.float64), axis=_ax(dim) if a.ndim else None,
                                                              keepdims=keepdim and a.ndim > 0)),
        REAL, MULTI_SAMPLES[:5], res_dtype=lambda n: "float64", nan_samples=True),
    ReductionInfo(
        "nanmean", lambda x, **kw: __import__("ctorch").nanmean(x, **kw),
        lambda a, dim=None, keepdim=False: np.array(np.nanmean(a, axis=_ax(dim) if a.ndim else None,
                                                               keepdims=keepdim and a.ndim > 0)),
        FLOATS, MULTI_SAMPLES[:-2], refused=BOOL + INTS, nan_samples=True, differentiable=True,
        grad_samples=[(S3, {"dim": (0, -1), "keepdim": True})], tol={"float16": (1e-2, 1e-2)},
        errors=[(lambda m: m.ones(2, dtype=m.int64).nanmean(), RuntimeError,
                 "nanmean(): expected input to have floating point or complex dtype but got Long")]),
    ReductionInfo(
        "nanmedian", lambda x: x.nanmedian(), lambda a: _nan_lower_median(a), INTS + FLOATS,
        [(S2, {}), ((6,), {}), ((7,), {}), ((), {})], differentiable=True, grad_samples=[(S2, {})],
        nan_samples=True, refused=COMPLEX, refused_exc=NotImplementedError),
    ReductionInfo(
        "nanmedian_dim", lambda x, dim, keepdim=False: __import__("ctorch").nanmedian(x, dim, keepdim=keepdim),
        _nan_lower_median, INTS + FLOATS, ONE_DIM[:4] + [(S3, {"dim": 1, "keepdim": True})], indices=True,
        differentiable=True, grad_samples=[(S2, {"dim": 1}), (S3, {"dim": 0, "keepdim": True})],
        nan_samples=True, refused=COMPLEX, refused_exc=NotImplementedError,
        errors=[(lambda m: m.empty(0, 3).nanmedian(0), IndexError, "median(): Expected reduction dim 0 to have non-zero size")]),
    ReductionInfo(
        "quantile", _quantile_op("quantile"), _quantile_ref(np.quantile), ("float32", "float64"), Q_SAMPLES,
        refused=BOOL + INTS + ("float16",), nan_samples=True, differentiable=True, grad_samples=Q_GRAD,
        errors=Q_ERRORS),
    ReductionInfo(
        "nanquantile", _quantile_op("nanquantile"), _quantile_ref(np.nanquantile), ("float32", "float64"),
        Q_SAMPLES, refused=BOOL + INTS, nan_samples=True, differentiable=True, grad_samples=Q_GRAD[:2]),
    ReductionInfo(
        "mode", lambda x, dim=-1, keepdim=False: x.mode(dim, keepdim),
        lambda a, dim=-1, keepdim=False: _mode_pair(a, dim, keepdim)[0], REAL,
        ONE_DIM[:4] + [(S3, {"dim": 1, "keepdim": True}), ((7,), {"dim": -1})], indices=True,
        ref_indices=lambda a, dim=-1, keepdim=False: _mode_pair(a, dim, keepdim)[1],
        refused=COMPLEX, refused_exc=NotImplementedError, differentiable=True, grad_samples=[(S2, {"dim": 1})],
        errors=[(lambda m: m.empty(0, 3).mode(0), IndexError, "mode(): Expected reduction dim 0 to have non-zero size")]),
    ReductionInfo(
        "aminmax.min", lambda x, **kw: __import__("ctorch").aminmax(x, **kw).min, _np_red(np.min), REAL,
        [(S2, {}), (S2, {"dim": 1}), (S3, {"dim": -1, "keepdim": True}), ((), {}), ((), {"dim": 0}), ((3, 0), {"dim": 0})],
        refused=COMPLEX, refused_exc=NotImplementedError, nan_samples=True, differentiable=True,
        grad_samples=[(S2, {"dim": 0})],
        errors=[(lambda m: m.aminmax(m.empty(0)), RuntimeError, "aminmax(): cannot compute aminmax over an empty dimension"),
                (lambda m: m.aminmax(m.empty(0, 3), dim=0), IndexError, "aminmax: Expected reduction dim 0 to have non-zero size")]),
    ReductionInfo(
        "aminmax.max", lambda x, **kw: x.aminmax(**kw).max, _np_red(np.max), REAL,
        [(S2, {}), (S3, {"dim": 1}), (S2, {"dim": 0, "keepdim": True})],
        refused=COMPLEX, refused_exc=NotImplementedError, nan_samples=True, differentiable=True,
        grad_samples=[(S3, {"dim": -1, "keepdim": True}), (S2, {})]),
    ReductionInfo(
        "cummax", lambda x, dim: __import__("ctorch").cummax(x, dim).values,
        lambda a, dim: _cumext_pair(a, dim, True)[0], REAL, ONE_DIM, refused=COMPLEX,
        refused_exc=NotImplementedError, nan_samples=True, differentiable=True,
        grad_samples=[(S2, {"dim": 1}), (S3, {"dim": 0})],
        errors=[(lambda m: m.ones(2, 3).cummax(2), IndexError, "Dimension out of range")]),
    ReductionInfo(
        "cummax.indices", lambda x, dim: x.cummax(dim).indices,
        lambda a, dim: _cumext_pair(a, dim, True)[1], REAL, ONE_DIM, res_dtype=lambda n: "int64",
        refused=COMPLEX, refused_exc=NotImplementedError, nan_samples=True),
    ReductionInfo(
        "cummin", lambda x, dim: x.cummin(dim).values,
        lambda a, dim: _cumext_pair(a, dim, False)[0], REAL, ONE_DIM, refused=COMPLEX,
        refused_exc=NotImplementedError, nan_samples=True, differentiable=True, grad_samples=[(S2, {"dim": 0})]),
    ReductionInfo(
        "cummin.indices", lambda x, dim: __import__("ctorch").cummin(x, dim)[1],
        lambda a, dim: _cumext_pair(a, dim, False)[1], REAL, ONE_DIM, res_dtype=lambda n: "int64",
        refused=COMPLEX, refused_exc=NotImplementedError, nan_samples=True),
    ReductionInfo(
        "logcumsumexp", lambda x, dim: x.logcumsumexp(dim), _logcumsumexp_ref, FLOATS, ONE_DIM,
        refused=BOOL + INTS, refused_exc=NotImplementedError, nan_samples=True, differentiable=True,
        grad_samples=[(S2, {"dim": 1}), (S3, {"dim": 0})], tol={"float16": (1e-2, 1e-2)},
        errors=[(lambda m: m.logcumsumexp(m.ones(2, dtype=m.int64), 0), NotImplementedError,
                 "\"logcumsumexp_out_cpu\" not implemented for 'Long'")]),
    ReductionInfo(
        "cumsum_", lambda x, dim: x.clone().cumsum_(dim), lambda a, dim: np.cumsum(a, axis=dim).astype(a.dtype)
        if a.ndim else a.copy(), FLOATS + ("int32", "int64"), ONE_DIM, refused=BOOL,
        refused_exc=NotImplementedError, differentiable=True, grad_samples=[(S2, {"dim": 1})],
        tol={"float16": (1e-2, 1e-2)},
        errors=[(lambda m: m.ones(2).cumsum_(0, dtype=m.float64), RuntimeError,
                 "Bad in-place call: input tensor dtype float and output tensor dtype double should match")]),
    ReductionInfo(
        "cumprod_", lambda x, dim: x.clone().cumprod_(dim), lambda a, dim: np.cumprod(a, axis=dim).astype(a.dtype)
        if a.ndim else a.copy(), FLOATS + ("int64",), ONE_DIM, differentiable=True,
        grad_samples=[(S3, {"dim": -1})], tol={"float16": (1e-2, 1e-2)}),
]

# numpy's spellings of dim and keepdim, and keyword calls of positional-looking
# signatures: each call against the same call written positionally (whose
# values the entries above check against numpy); `m` is ctorch, `x` a 3 x 4
# float64 tensor. (name, keyword call, positional call)
KEYWORD_CALLS = [
    ("sum", lambda m, x: m.sum(x, axis=1, keepdims=True), lambda m, x: m.sum(x, 1, True)),
    ("Tensor.sum", lambda m, x: x.sum(axis=(0, 1)), lambda m, x: x.sum((0, 1))),
    ("mean", lambda m, x: m.mean(x, axis=0, keepdims=True), lambda m, x: m.mean(x, 0, True)),
    ("nansum", lambda m, x: x.nansum(axis=1, keepdims=True), lambda m, x: x.nansum(1, True)),
    ("nanmean", lambda m, x: m.nanmean(x, axis=0), lambda m, x: m.nanmean(x, 0)),
    ("prod", lambda m, x: x.prod(axis=1, keepdims=True), lambda m, x: x.prod(1, True)),
    ("max", lambda m, x: m.max(x, axis=1, keepdims=True).values, lambda m, x: m.max(x, 1, True).values),
    ("min", lambda m, x: x.min(axis=0).indices, lambda m, x: x.min(0).indices),
    ("amax", lambda m, x: m.amax(x, axis=1, keepdims=True), lambda m, x: m.amax(x, 1, True)),
    ("amin", lambda m, x: x.amin(axis=(0, 1)), lambda m, x: x.amin((0, 1))),
    ("argmax", lambda m, x: m.argmax(x, axis=1, keepdims=True), lambda m, x: m.argmax(x, 1, True)),
    ("argmin", lambda m, x: x.argmin(axis=0), lambda m, x: x.argmin(0)),
    ("all", lambda m, x: m.all(x > 0, axis=1, keepdims=True), lambda m, x: m.all(x > 0, 1, True)),
    ("any", lambda m, x: (x > 1).any(axis=0), lambda m, x: (x > 1).any(0)),
    ("std", lambda m, x: m.std(x, axis=1, keepdims=True), lambda m, x: m.std(x, 1, keepdim=True)),
    ("var", lambda m, x: x.var(axis=0, correction=0), lambda m, x: x.var(0, correction=0)),
    ("std_mean", lambda m, x: m.std_mean(x, axis=1, keepdims=True)[1], lambda m, x: m.std_mean(x, 1, keepdim=True)[1]),
    ("var_mean", lambda m, x: m.var_mean(x, axis=0)[0], lambda m, x: m.var_mean(x, 0)[0]),
    ("logsumexp", lambda m, x: m.logsumexp(x, axis=1, keepdims=True), lambda m, x: m.logsumexp(x, 1, True)),
    ("cumsum", lambda m, x: m.cumsum(x, axis=1), lambda m, x: m.cumsum(x, 1)),
    ("cumprod", lambda m, x: x.cumprod(axis=0), lambda m, x: x.cumprod(0)),
    ("softmax", lambda m, x: m.softmax(x, axis=1), lambda m, x: m.softmax(x, 1)),
    ("log_softmax", lambda m, x: x.log_softmax(axis=0), lambda m, x: x.log_softmax(0)),
    ("median", lambda m, x: m.median(x, axis=1, keepdims=True).values, lambda m, x: m.median(x, 1, True).values),
    ("nanmedian", lambda m, x: x.nanmedian(axis=0, keepdims=True).indices, lambda m, x: x.nanmedian(0, True).indices),
    ("count_nonzero", lambda m, x: m.count_nonzero(x, axis=1), lambda m, x: m.count_nonzero(x, 1)),
    ("mode", lambda m, x: m.mode(x, axis=0, keepdims=True).values, lambda m, x: m.mode(x, 0, True).values),
    ("aminmax", lambda m, x: x.aminmax(axis=1, keepdims=True).max, lambda m, x: x.aminmax(dim=1, keepdim=True).max),
    ("cummax", lambda m, x: m.cummax(x, axis=1).indices, lambda m, x: m.cummax(x, 1).indices),
    ("cummin", lambda m, x: x.cummin(axis=0).values, lambda m, x: x.cummin(0).values),
    ("logcumsumexp", lambda m, x: m.logcumsumexp(x, axis=1), lambda m, x: m.logcumsumexp(x, 1)),
    ("quantile", lambda m, x: m.quantile(x, 0.3, axis=1, keepdims=True), lambda m, x: m.quantile(x, 0.3, 1, True)),
    ("nanquantile", lambda m, x: x.nanquantile(q=0.3, axis=0), lambda m, x: x.nanquantile(0.3, 0)),
    ("kthvalue", lambda m, x: m.kthvalue(x, 2, axis=1, keepdims=True).values, lambda m, x: m.kthvalue(x, 2, 1, True).values),
    ("sort", lambda m, x: x.sort(axis=0).values, lambda m, x: x.sort(0).values),
    ("argsort", lambda m, x: m.argsort(x, axis=0), lambda m, x: m.argsort(x, 0)),
    ("topk", lambda m, x: x.topk(2, axis=0).values, lambda m, x: x.topk(2, 0).values),
    ("squeeze", lambda m, x: m.squeeze(x[None], axis=0), lambda m, x: m.squeeze(x[None], 0)),
    ("Tensor.squeeze", lambda m, x: x[:, None].squeeze(axis=1), lambda m, x: x[:, None].squeeze(1)),
    ("unsqueeze", lambda m, x: m.unsqueeze(x, axis=1), lambda m, x: m.unsqueeze(x, 1)),
    ("Tensor.unsqueeze", lambda m, x: x.unsqueeze(axis=-1), lambda m, x: x.unsqueeze(-1)),
    ("Tensor.cumsum_", lambda m, x: x.clone().cumsum_(axis=1), lambda m, x: x.clone().cumsum_(1)),
    # axis= for the dim of the shape and index functions (PyTorch's parser
    # takes it wherever an op has a dim)
    ("cat", lambda m, x: m.cat([x, x], axis=1), lambda m, x: m.cat([x, x], 1)),
    ("concat", lambda m, x: m.concat((x, x), axis=0), lambda m, x: m.concat((x, x), 0)),
    ("stack", lambda m, x: m.stack([x, x], axis=2), lambda m, x: m.stack([x, x], 2)),
    ("Tensor.chunk", lambda m, x: x.chunk(2, axis=1)[1], lambda m, x: x.chunk(2, 1)[1]),
    ("tensor_split", lambda m, x: m.tensor_split(x, 3, axis=1)[2], lambda m, x: m.tensor_split(x, 3, 1)[2]),
    ("Tensor.unbind", lambda m, x: x.unbind(axis=1)[3], lambda m, x: x.unbind(1)[3]),
    ("narrow", lambda m, x: m.narrow(x, axis=1, start=1, length=2), lambda m, x: m.narrow(x, 1, 1, 2)),
    ("Tensor.narrow", lambda m, x: x.narrow(axis=0, start=1, length=1), lambda m, x: x.narrow(0, 1, 1)),
    ("Tensor.select", lambda m, x: x.select(axis=1, index=2), lambda m, x: x.select(1, 2)),
    ("select", lambda m, x: m.select(x, axis=0, index=-1), lambda m, x: m.select(x, 0, -1)),
    ("diff", lambda m, x: m.diff(x, axis=0), lambda m, x: m.diff(x, 1, 0)),
    ("Tensor.diff", lambda m, x: x.diff(n=2, axis=1), lambda m, x: x.diff(2, 1)),
    ("Tensor.gather", lambda m, x: x.gather(axis=1, index=m.tensor([[0, 3]] * 3)),
     lambda m, x: x.gather(1, m.tensor([[0, 3]] * 3))),
    ("index_select", lambda m, x: m.index_select(x, axis=1, index=m.tensor([3, 0])),
     lambda m, x: m.index_select(x, 1, m.tensor([3, 0]))),
    ("take_along_dim", lambda m, x: m.take_along_dim(x, m.tensor([[1], [0], [2]]), axis=1),
     lambda m, x: m.take_along_dim(x, m.tensor([[1], [0], [2]]), 1)),
    ("Tensor.repeat_interleave", lambda m, x: x.repeat_interleave(2, axis=0), lambda m, x: x.repeat_interleave(2, 0)),
    ("trapezoid", lambda m, x: m.trapezoid(x, axis=0), lambda m, x: m.trapezoid(x, dim=0)),
    ("cumulative_trapezoid", lambda m, x: m.cumulative_trapezoid(x, axis=0),
     lambda m, x: m.cumulative_trapezoid(x, dim=0)),
    ("linalg.cross", lambda m, x: m.linalg.cross(x[:, :3], x[:, 1:], axis=1),
     lambda m, x: m.linalg.cross(x[:, :3], x[:, 1:], dim=1)),
    ("cross", lambda m, x: m.cross(x[:, :3], x[:, 1:], axis=0), lambda m, x: m.cross(x[:, :3], x[:, 1:], 0)),
    ("Tensor.renorm", lambda m, x: x.renorm(2, axis=0, maxnorm=1.0), lambda m, x: x.renorm(2, 0, 1.0)),
    ("Tensor.index_add", lambda m, x: x.index_add(axis=1, index=m.tensor([0, 2]), source=x[:, :2]),
     lambda m, x: x.index_add(1, m.tensor([0, 2]), x[:, :2])),
    ("Tensor.index_add_", lambda m, x: x.clone().index_add_(axis=0, index=m.tensor([2]), source=x[:1]),
     lambda m, x: x.clone().index_add_(0, m.tensor([2]), x[:1])),
    ("scatter", lambda m, x: m.scatter(x, axis=1, index=m.tensor([[1], [0], [3]]), value=2.0),
     lambda m, x: m.scatter(x, 1, m.tensor([[1], [0], [3]]), value=2.0)),
    ("Tensor.scatter_add", lambda m, x: x.scatter_add(axis=0, index=m.zeros(2, 4, dtype=m.int64), src=x[:2]),
     lambda m, x: x.scatter_add(0, m.zeros(2, 4, dtype=m.int64), x[:2])),
    ("Tensor.index_fill", lambda m, x: x.index_fill(axis=1, index=m.tensor([2]), value=-1.0),
     lambda m, x: x.index_fill(1, m.tensor([2]), -1.0)),
    ("index_copy", lambda m, x: m.index_copy(x, axis=0, index=m.tensor([2, 0]), source=x[:2]),
     lambda m, x: m.index_copy(x, 0, m.tensor([2, 0]), x[:2])),
    ("Tensor.scatter_reduce", lambda m, x: x.scatter_reduce(axis=1, index=m.tensor([[1, 1, 0, 2]] * 3), src=x,
                                                              reduce="amax"),
     lambda m, x: x.scatter_reduce(1, m.tensor([[1, 1, 0, 2]] * 3), x, "amax")),
    ("Tensor.index_reduce", lambda m, x: x.index_reduce(axis=0, index=m.tensor([1, 1]), source=x[:2], reduce="prod"),
     lambda m, x: x.index_reduce(0, m.tensor([1, 1]), x[:2], "prod")),
    # every argument by its name
    ("sum(input=)", lambda m, x: m.sum(input=x, dim=0, keepdim=True), lambda m, x: m.sum(x, 0, True)),
    ("clamp(input=)", lambda m, x: m.clamp(input=x, min=0.5), lambda m, x: m.clamp(x, 0.5)),
    ("quantile(input=)", lambda m, x: m.quantile(input=x, q=0.5, dim=1), lambda m, x: m.quantile(x, 0.5, 1)),
    ("cumsum(input=)", lambda m, x: m.cumsum(input=x, dim=1), lambda m, x: m.cumsum(x, 1)),
    ("arange", lambda m, x: m.arange(start=0, end=5, step=2), lambda m, x: m.arange(0, 5, 2)),
    ("arange(end=)", lambda m, x: m.arange(end=4), lambda m, x: m.arange(4)),
    ("full", lambda m, x: m.full(size=(2,), fill_value=1.5), lambda m, x: m.full((2,), 1.5)),
    ("zeros", lambda m, x: m.zeros(size=(2, 3)), lambda m, x: m.zeros(2, 3)),
    ("ones", lambda m, x: m.ones(size=[3]), lambda m, x: m.ones(3)),
    ("empty", lambda m, x: m.empty(size=(2,)).shape, lambda m, x: m.empty(2).shape),
    ("linspace", lambda m, x: m.linspace(start=0, end=1, steps=3), lambda m, x: m.linspace(0, 1, 3)),
    ("eye", lambda m, x: m.eye(n=2, m=3), lambda m, x: m.eye(2, 3)),
    ("full_like", lambda m, x: m.full_like(input=x, fill_value=2.0), lambda m, x: m.full_like(x, 2.0)),
    ("randint", lambda m, x: (m.manual_seed(3), m.randint(low=0, high=9, size=(5,)))[1],
     lambda m, x: (m.manual_seed(3), m.randint(0, 9, (5,)))[1]),
    ("randint(high=)", lambda m, x: (m.manual_seed(4), m.randint(high=9, size=(5,)))[1],
     lambda m, x: (m.manual_seed(4), m.randint(9, (5,)))[1]),
    ("randint(size=)", lambda m, x: (m.manual_seed(5), m.randint(2, 9, size=(5,)))[1],
     lambda m, x: (m.manual_seed(5), m.randint(2, 9, (5,)))[1]),
    ("rand", lambda m, x: (m.manual_seed(6), m.rand(size=(4,)))[1], lambda m, x: (m.manual_seed(6), m.rand(4))[1]),
    ("randn", lambda m, x: (m.manual_seed(7), m.randn(size=(2, 2)))[1], lambda m, x: (m.manual_seed(7), m.randn(2, 2))[1]),
    ("randperm", lambda m, x: (m.manual_seed(8), m.randperm(n=6))[1], lambda m, x: (m.manual_seed(8), m.randperm(6))[1]),
]

# keyword calls PyTorch refuses: (name, call, exception, message fragment)
KEYWORD_ERRORS = [
    ("dim and axis", lambda m, x: m.sum(x, dim=0, axis=1), TypeError, "sum()"),
    ("axis and dim (method)", lambda m, x: x.cumsum(0, axis=1), TypeError, "cumsum()"),
    ("cumsum without dim", lambda m, x: m.cumsum(x), TypeError, "dim"),
    ("keepdims on a scan", lambda m, x: m.cumsum(x, axis=0, keepdims=True), TypeError, "keepdims"),
    ("size twice", lambda m, x: m.zeros(2, size=(2,)), TypeError, "zeros()"),
    ("randint without high", lambda m, x: m.randint(low=1, size=(2,)), TypeError, "randint()"),
    ("cat with dim and axis", lambda m, x: m.cat([x], dim=0, axis=1), TypeError, "got both 'dim' and its alias 'axis'"),
    ("gather without dim", lambda m, x: m.gather(x, index=m.zeros(3, 1, dtype=m.int64)), TypeError,
     'gather() missing 1 required positional arguments: "dim"'),
    ("gather without index", lambda m, x: x.gather(axis=1), TypeError,
     'gather() missing 1 required positional arguments: "index"'),
    ("narrow without length", lambda m, x: x.narrow(0, 1), TypeError, '"length"'),
    ("argmax of a tuple of dims", lambda m, x: m.argmax(x, dim=(0, 1)), TypeError,
     "argmax(): argument 'dim' must be int, not tuple"),
    ("median of a tuple of dims", lambda m, x: x.median(axis=(0, 1)), TypeError,
     "median(): argument 'dim' must be int, not tuple"),
]
