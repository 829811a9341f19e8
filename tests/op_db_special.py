"""The special functions (torch.special and their torch / Tensor names) as
entries of the elementwise op table (tests/op_db.py), driven by
tests/test_ops.py and tests/test_autograd.py.

References are scipy.special's (and numpy's) values; `func` "special.<f>"
calls torch.special.<f>. Dtypes outside an entry's list must raise (PyTorch's
NotImplementedError, a RuntimeError); gradients are gradcheck'ed for the
`differentiable` entries, for the inputs in `grad_inputs`.
"""
import math

import numpy as np
import scipy.special as sc

from op_db import BOOL, COMPLEX, FLOATS, INTS, REAL, SMALL, UNIT, POS, ROUNDING, Domain, OpInfo

NOHALF = BOOL + INTS + ("float32", "float64")
OPEN_UNIT = Domain(0.05, 0.95, int_low=0, int_high=0)
# away from the poles of the gamma functions at 0, -1, -2, ...
GAMMA = Domain(0.2, 6.0, int_low=1, int_high=20)
POS_SMALL = Domain(0.2, 4.0, int_low=1, int_high=8)
DEGREE = Domain(0.0, 6.0, int_low=0, int_high=6)
F32_LOOSE = {"float16": (3e-3, 2e-3), "float32": (1e-5, 1e-5)}


def S(name, ref, dtypes, **kw):
    """An entry for torch.special.<name> (no method form unless given)."""
    kw.setdefault("method", None)
    kw.setdefault("inplace", False)
    kw.setdefault("func", "special." + name)
    return OpInfo(name="special_" + name, arity=kw.pop("arity", 1), ref=ref, dtypes=dtypes,
                  result=kw.pop("result", "float"), **kw)


def T(name, ref, dtypes, **kw):
    """An entry for torch.<name> / Tensor.<name> / Tensor.<name>_."""
    kw.setdefault("method", name)
    return OpInfo(name=name, arity=kw.pop("arity", 1), ref=ref, dtypes=dtypes,
                  result=kw.pop("result", "float"), **kw)


def _not_impl(call, kern):
    return (call, NotImplementedError, kern)


# ------------------------------------------------------------ references

def _lgamma(x):
    # log|gamma|; C's lgamma (and PyTorch) give +inf at -inf
    return np.where(np.isneginf(x), np.inf, sc.gammaln(x)).astype(x.dtype)


def _sinc(x):
    return np.sinc(x)


def _spherical_j0(x):
    return sc.spherical_jn(0, x)


def _logit_eps(x):
    return sc.logit(np.clip(x, 0.1, 0.9))


def _airy_ai(x):
    # Ai underflows to 0 for large x (scipy's airy gives NaN there past ~1e9)
    return np.where((x > 200) & (x < np.inf), 0, sc.airy(x)[0]).astype(x.dtype)


def _zeta(x, q):
    # scipy's values with PyTorch's special values: inf at x = 1, NaN for
    # x < 1, inf at q a non-positive integer (or -inf), NaN for q < 0 with x
    # not an integer (x NaN included), NaN at q = +inf; at x = +inf 1 for
    # q = 1, NaN for q > 1, inf for the rest
    x, q = np.broadcast_arrays(np.asarray(x), np.asarray(q))
    with np.errstate(all="ignore"):
        r = np.asarray(sc.zeta(x, q), dtype=np.result_type(x, q, np.float32))
        xi = np.isposinf(x)
        r = np.where(xi, np.where(q == 1, 1.0, np.where(q > 1, np.nan, np.inf)), r)
        r = np.where(np.isposinf(q) | np.isnan(q) | np.isnan(x), np.nan, r)
        nonpos = q <= 0
        r = np.where(nonpos & (x != np.floor(x)), np.nan, r)
        r = np.where(nonpos & (q == np.floor(q)), np.inf, r)
        r = np.where(x < 1, np.nan, r)
        r = np.where(x == 1, np.inf, r)
    return r.astype(np.result_type(x, q, np.float32))


def _polygamma(n):
    return lambda x: sc.polygamma(n, x).astype(x.dtype)


def _mvlgamma(p):
    return lambda x: sc.multigammaln(x.astype(np.float64), p).astype(x.dtype) if np.all(
        x > (p - 1) / 2) else _mvlgamma_sum(x, p)


def _mvlgamma_sum(x, p):
    x = x.astype(np.float64)
    r = p * (p - 1) / 4 * math.log(math.pi) + sum(sc.gammaln(x - j / 2) for j in range(p))
    return r


def _poly(ev, shift=False, third=0):
    """torch's polynomial p(x, n): n truncated; negative n gives 0."""
    def ref(x, n):
        x64, n = np.asarray(x, np.float64), np.trunc(np.asarray(n, np.float64))
        k = np.where(n < 0, 0, n).astype(np.int64)
        xs = 2 * x64 - 1 if shift else x64
        r = ev(k, xs)
        if third:
            r = r + third * np.where(k == 0, 0, ev(np.maximum(k - 1, 0), xs))
        return np.where(n < 0, 0, r).astype(np.result_type(x, np.float32))
    return ref


# ------------------------------------------------------------ the table

unary_special = [
    # the torch-level names (with their Tensor methods and in-place forms)
    T("digamma", sc.psi, REAL, domains=(GAMMA,), differentiable=True,
      errors=(_not_impl(lambda t: t.digamma(t.ones(2, dtype=t.complex64)), "\"digamma\" not implemented"),)),
    T("lgamma", _lgamma, REAL, domains=(GAMMA,), differentiable=True),
    T("erfc", sc.erfc, REAL, differentiable=True, domains=(SMALL,),
      errors=(_not_impl(lambda t: t.erfc(t.ones(2, dtype=t.complex128)),
                        "\"erfc_vml_cpu\" not implemented for 'ComplexDouble'"),)),
    # scipy's erfinv gives +0 at -0; the function is odd (PyTorch: -0)
    T("erfinv", lambda x: np.copysign(sc.erfinv(x), x), REAL, domains=(UNIT,), differentiable=True),
    T("i0", sc.i0, REAL, domains=(SMALL,), differentiable=True),
    # (the wide domain: pi x past the fast sine's range, 8192, in float)
    T("sinc", _sinc, REAL + COMPLEX, domains=(SMALL, Domain(-2e4, 2e4, int_low=-100, int_high=100)),
      differentiable=True, specials=False),
    T("logit", sc.logit, REAL, domains=(OPEN_UNIT,), differentiable=True),
    T("logit_eps", _logit_eps, REAL, func="logit", method="logit", kwargs={"eps": 0.1},
      domains=(Domain(0.0, 1.0, int_low=0, int_high=1),), differentiable=True, specials=False),
    T("polygamma_1", _polygamma(1), REAL, func="polygamma", method="polygamma", kwargs={"n": 1},
      fn=lambda t: lambda x, n, **kw: t.polygamma(n, x, **kw), domains=(GAMMA,), differentiable=True,
      specials=False,
      errors=((lambda t: t.polygamma(-1, t.ones(2)), RuntimeError, "polygamma(n, x) does not support negative n."),
              (lambda t: t.special.polygamma(1.5, t.ones(2)), TypeError, "argument 'n' (position 1) must be int"))),
    T("polygamma_3", _polygamma(3), REAL, func="special.polygamma", method="polygamma", kwargs={"n": 3},
      fn=lambda t: lambda x, n, **kw: t.special.polygamma(n, x, **kw), domains=(GAMMA,),
      differentiable=True, specials=False),
    T("mvlgamma", _mvlgamma(3), REAL, kwargs={"p": 3}, domains=(Domain(1.2, 6.0, int_low=2, int_high=20),),
      differentiable=True, specials=False,
      errors=((lambda t: t.mvlgamma(t.ones(2), p=0), RuntimeError, "p has to be greater than or equal to 1"),
              (lambda t: t.mvlgamma(t.ones(2), p=1.5), TypeError, "argument 'p' must be int"))),
    # torch.special (its names that are torch's own functions are checked as
    # aliases in tests/test_special.py)
    S("multigammaln", _mvlgamma(2), REAL, kwargs={"p": 2},
      domains=(Domain(0.8, 6.0, int_low=1, int_high=20),), differentiable=True, specials=False),
    S("erfcx", sc.erfcx, NOHALF, domains=(SMALL,), differentiable=True,
      errors=(_not_impl(lambda t: t.special.erfcx(t.ones(2, dtype=t.float16)),
                        "\"erfcx_cpu\" not implemented for 'Half'"),
              _not_impl(lambda t: t.special.erfcx(t.ones(2, dtype=t.bfloat16)),
                        "\"erfcx_cpu\" not implemented for 'BFloat16'"))),
    S("ndtr", sc.ndtr, REAL, differentiable=True),
    S("ndtri", sc.ndtri, NOHALF, domains=(OPEN_UNIT,), differentiable=True),
    S("log_ndtr", sc.log_ndtr, NOHALF, differentiable=True),
    S("entr", sc.entr, REAL, domains=(POS,), differentiable=True),
    S("i0e", sc.i0e, REAL, domains=(SMALL,), differentiable=True),
    S("i1", sc.i1, REAL, domains=(SMALL,), differentiable=True),
    S("i1e", sc.i1e, REAL, domains=(SMALL,), differentiable=True),
    S("round", np.round, FLOATS, result="same", domains=(ROUNDING,), exact_out=True,
      errors=(_not_impl(lambda t: t.special.round(t.ones(2, dtype=t.int64)),
                        "\"round_vml_cpu\" not implemented for 'Long'"),)),
    S("airy_ai", _airy_ai, NOHALF, domains=(SMALL,)),
    S("bessel_j0", sc.j0, NOHALF,
      errors=(_not_impl(lambda t: t.special.bessel_j0(t.ones(2, dtype=t.bfloat16)),
                        "\"bessel_j0_cpu\" not implemented for 'BFloat16'"),)),
    S("bessel_j1", sc.j1, NOHALF),
    S("bessel_y0", sc.y0, NOHALF, domains=(POS,)),
    S("bessel_y1", sc.y1, NOHALF, domains=(POS,),
      errors=(_not_impl(lambda t: t.special.bessel_y1(t.ones(2, dtype=t.complex64)),
                        "\"bessel_y1_cpu\" not implemented for 'ComplexFloat'"),)),
    S("modified_bessel_i0", sc.i0, NOHALF, domains=(SMALL,)),
    S("modified_bessel_i1", sc.i1, NOHALF, domains=(SMALL,)),
    S("modified_bessel_k0", sc.k0, NOHALF, domains=(POS,)),
    S("modified_bessel_k1", sc.k1, NOHALF, domains=(POS,)),
    S("scaled_modified_bessel_k0", sc.k0e, NOHALF, domains=(POS,)),
    S("scaled_modified_bessel_k1", sc.k1e, NOHALF, domains=(POS,),
      errors=(_not_impl(lambda t: t.special.scaled_modified_bessel_k1(t.ones(2, dtype=t.float16)),
                        "\"scaled_modified_bessel_k1_cpu\" not implemented for 'Half'"),)),
    S("spherical_bessel_j0", _spherical_j0, NOHALF, specials=False),
]

binary_special = [
    T("xlogy", sc.xlogy, REAL, arity=2, domains=(Domain(), POS), scalars=(2, 2.5), differentiable=True,
      errors=(_not_impl(lambda t: t.xlogy(t.ones(2, dtype=t.complex64), t.ones(2)),
                        "\"xlogy_cpu\" not implemented for 'ComplexFloat'"),
              (lambda t: t.xlogy(2, 3), TypeError, "received an invalid combination of arguments"))),
    T("igamma", sc.gammainc, FLOATS, arity=2, domains=(POS_SMALL, POS_SMALL), differentiable=True,
      grad_inputs=(1,), tol=F32_LOOSE,
      errors=(_not_impl(lambda t: t.igamma(t.ones(2, dtype=t.int64), t.ones(2, dtype=t.int64)),
                        "\"igamma_cpu\" not implemented for 'Long'"),
              (lambda t: t.igamma(t.ones(2), 2.0), TypeError, "argument 'other' (position 2) must be Tensor"),
              (lambda t: t.igamma(t.ones(2, dtype=t.float64).requires_grad_(), t.ones(2)).sum().backward(),
               NotImplementedError, "the derivative for 'igamma: input' is not implemented."))),
    T("igammac", sc.gammaincc, FLOATS, arity=2, domains=(POS_SMALL, POS_SMALL), differentiable=True,
      grad_inputs=(1,), tol=F32_LOOSE),
    S("xlog1py", sc.xlog1py, REAL, arity=2, domains=(Domain(), POS), scalars=(2, 2.5), differentiable=True),
    S("zeta", _zeta, NOHALF, arity=2, domains=(Domain(1.5, 5.0, int_low=2, int_high=6), POS_SMALL),
      scalars=(2, 2.5), differentiable=True, grad_inputs=(1,), tol=F32_LOOSE,
      errors=((lambda t: t.special.zeta(t.full((2,), 2.0, dtype=t.float64).requires_grad_(),
                                         t.ones(2)).sum().backward(),
               NotImplementedError, "the derivative for 'zeta' is not implemented."),
              _not_impl(lambda t: t.special.zeta(t.ones(2, dtype=t.bfloat16), 2.0),
                        "\"zeta_cpu\" not implemented for 'BFloat16'"))),
]

_POLYS = [
    ("chebyshev_polynomial_t", _poly(sc.eval_chebyt)),
    ("chebyshev_polynomial_u", _poly(sc.eval_chebyu)),
    ("chebyshev_polynomial_v", _poly(sc.eval_chebyu, third=-1)),
    ("chebyshev_polynomial_w", _poly(sc.eval_chebyu, third=1)),
    ("shifted_chebyshev_polynomial_t", _poly(sc.eval_chebyt, shift=True)),
    ("shifted_chebyshev_polynomial_u", _poly(sc.eval_chebyu, shift=True)),
    ("shifted_chebyshev_polynomial_v", _poly(sc.eval_chebyu, shift=True, third=-1)),
    ("shifted_chebyshev_polynomial_w", _poly(sc.eval_chebyu, shift=True, third=1)),
    ("hermite_polynomial_h", _poly(sc.eval_hermite)),
    ("hermite_polynomial_he", _poly(sc.eval_hermitenorm)),
    ("laguerre_polynomial_l", _poly(sc.eval_laguerre)),
    ("legendre_polynomial_p", _poly(sc.eval_legendre)),
]

binary_special += [
    S(name, ref, NOHALF, arity=2, domains=(Domain(-1.0, 1.0, int_low=-1, int_high=1), DEGREE),
      scalars=(3, 2.5), specials=False, tol={"float32": (2e-5, 2e-5)},
      errors=(_not_impl(lambda t, name=name: getattr(t.special, name)(t.ones(2, dtype=t.float16), 2),
                        f"\"{name}_cpu\" not implemented for 'Half'"),))
    for name, ref in _POLYS
]
