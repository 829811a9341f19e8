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
        lambda a, dim=None, keepdim=False: _first_arg(np.argmax, a, dim, keepdim), REAL,
        DIM_SAMPLES + [(S3, {"keepdim": True}), ((3, 0), {"dim": 0})], res_dtype=lambda n: "int64",
        nan_samples=True, refused=COMPLEX,
        errors=[(lambda m: m.empty(0).argmax(), IndexError, "argmax(): " + EMPTY_MAX),
                (lambda m: m.empty(2, 0).argmax(1), IndexError, "argmax(): Expected reduction dim 1 to have non-zero size"),
                (lambda m: m.ones(2, dtype=m.complex64).argmax(), RuntimeError, "does not support complex")]),
    ReductionInfo(
        "argmin", lambda x, **kw: __import__("ctorch").argmin(x, **kw),
        lambda a, dim=None, keepdim=False: _first_arg(np.argmin, a, dim, keepdim), REAL,
        DIM_SAMPLES, res_dtype=lambda n: "int64", nan_samples=True, refused=COMPLEX,
        errors=[(lambda m: m.empty(0).argmin(), IndexError, "argmin(): " + EMPTY_MAX)]),
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
        [(S2, {"dim": 1}), (S2, {"dim": 0}), (S3, {"dim": -2}), ((), {"dim": 0}), ((0, 3), {"dim": 1})],
        refused=BOOL + INTS, refused_exc=NotImplementedError, differentiable=True,
        grad_samples=[(S2, {"dim": 1}), (S3, {"dim": 0})], tol={"float16": (1e-2, 1e-3)},
        errors=[(lambda m: m.ones(2, 3).softmax(2), IndexError, "Dimension out of range"),
                (lambda m: m.ones(2, 3).softmax(), TypeError, "dim")]),
    ReductionInfo(
        "softmax_dtype", lambda x, dim: __import__("ctorch").softmax(x, dim, dtype=__import__("ctorch").float64),
        lambda a, dim: _softmax_ref(a, dim), REAL, [(S2, {"dim": -1})], res_dtype=lambda n: "float64"),
    ReductionInfo(
        "log_softmax", lambda x, **kw: __import__("ctorch").log_softmax(x, **kw),
        lambda a, dim: _softmax_ref(a, dim, log=True), FLOATS,
        [(S2, {"dim": 1}), (S3, {"dim": 0}), ((), {"dim": 0})], refused=BOOL + INTS,
        refused_exc=NotImplementedError, differentiable=True, grad_samples=[(S3, {"dim": -1})],
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
