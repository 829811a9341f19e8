"""torch.special: special functions, elementwise.

Values from scipy.special's compiled ufuncs on the tensors' memory (see
ctorch._special, the engine shared with the torch-level names digamma,
lgamma, erfinv, ...); erf, exp2, expm1, log1p, expit, round, softmax,
log_softmax and logsumexp are ctorch's own ops under their special names.
"""

from ctorch._ops.elementwise import (  # noqa: F401
    erf, exp2, expm1, log1p, sigmoid as expit, _round,
)
from ctorch._ops.reduce import (
    logsumexp, softmax as _softmax, log_softmax as _log_softmax,
)
from ctorch._core.tensor import Tensor  # noqa: F401  (torch.special.Tensor is the class)
from ctorch import _special as _S
from ctorch._special import (
    _unary, _binary, _sc_unary, _K_erfc, _K_i0, _K_xlogy, _K_xlog1py, _K_gammainc,
    _K_gammaincc, _polygamma_kernel, _mvlgamma_kernel, _sinc_kernel,
    _logit_kernel, _check_n, _tensor_arg, _not_implemented, _L, _cdt,
)

__all__ = [
    "airy_ai", "bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1", "chebyshev_polynomial_t",
    "chebyshev_polynomial_u", "chebyshev_polynomial_v", "chebyshev_polynomial_w", "digamma", "entr",
    "erf", "erfc", "erfcx", "erfinv", "exp2", "expit", "expm1", "gammainc", "gammaincc", "gammaln",
    "hermite_polynomial_h", "hermite_polynomial_he", "i0", "i0e", "i1", "i1e",
    "laguerre_polynomial_l", "legendre_polynomial_p", "log1p", "log_ndtr", "log_softmax", "logit",
    "logsumexp", "modified_bessel_i0", "modified_bessel_i1", "modified_bessel_k0",
    "modified_bessel_k1", "multigammaln", "ndtr", "ndtri", "polygamma", "psi", "round",
    "scaled_modified_bessel_k0", "scaled_modified_bessel_k1", "shifted_chebyshev_polynomial_t",
    "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
    "shifted_chebyshev_polynomial_w", "sinc", "softmax", "spherical_bessel_j0", "xlog1py", "xlogy",
    "zeta",
]


# ------------------------------------------------------------ gamma family

def digamma(input, *, out=None):
    return _unary(input, out, "special_digamma", "digamma", _polygamma_kernel(0), grad="digamma")


psi = digamma


def polygamma(n, input, *, out=None):
    n = _check_n(n, "special_polygamma")
    _tensor_arg(input, "special_polygamma", "input", 2)
    kern = ("digamma", "trigamma")[n] if n < 2 else "polygamma"
    return _unary(input, out, "special_polygamma", kern, _polygamma_kernel(n), grad="polygamma",
                  args=(n,))


def gammaln(input, *, out=None):
    return _unary(input, out, "special_gammaln", "lgamma_vml_cpu", _S._lgamma_kernel, grad="lgamma")


def multigammaln(input, p, *, out=None):
    _tensor_arg(input, "special_multigammaln")
    if isinstance(p, bool) or not isinstance(p, int):
        raise TypeError(f"special_multigammaln(): argument 'p' must be int, not {type(p).__name__}")
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    return _unary(input, out, "special_multigammaln", "arange_cpu", _mvlgamma_kernel(p),
                  grad="mvlgamma", args=(p,))


def gammainc(input, other, *, out=None):
    return _binary(input, other, out, "special_gammainc", "igamma_cpu",
                   _K_gammainc, ints=False, grad="igamma", scalars=False)


def gammaincc(input, other, *, out=None):
    return _binary(input, other, out, "special_gammaincc", "igammac_cpu",
                   _K_gammaincc, ints=False, grad="igammac", scalars=False)


def _zeta_kernel(o, x, q):
    _L.sc.zeta(x, q, o)


def zeta(input, other, *, out=None):
    return _binary(input, other, out, "special_zeta", "zeta_cpu", _zeta_kernel, half=False,
                   grad="special_zeta",
                   scalar_grads=("special_zeta.self_scalar", "special_zeta.other_scalar"))


# ------------------------------------------------------------ error function

def erfc(input, *, out=None):
    return _unary(input, out, "special_erfc", "erfc_vml_cpu", _K_erfc, grad="erfc")


def erfinv(input, *, out=None):
    return _unary(input, out, "special_erfinv", "erfinv_vml_cpu", _S._erfinv_kernel,
                  grad="erfinv")


erfcx = _sc_unary("erfcx", "erfcx", half=False, grad="special_erfcx")
ndtr = _sc_unary("ndtr", "ndtr", kern="erf_vml_cpu", grad="special_ndtr")
ndtri = _sc_unary("ndtri", "ndtri", half=False, grad="special_ndtri")
log_ndtr = _sc_unary("log_ndtr", "log_ndtr", half=False, grad="special_log_ndtr")


# ------------------------------------------------------------ Bessel functions

def i0(input, *, out=None):
    return _unary(input, out, "special_i0", "i0_vml_cpu", _K_i0, grad="i0")


i0e = _sc_unary("i0e", "i0e", grad="special_i0e")
i1 = _sc_unary("i1", "i1", grad="special_i1")
i1e = _sc_unary("i1e", "i1e", grad="special_i1e")
bessel_j0 = _sc_unary("j0", "bessel_j0", half=False)
bessel_j1 = _sc_unary("j1", "bessel_j1", half=False)
bessel_y0 = _sc_unary("y0", "bessel_y0", half=False)
bessel_y1 = _sc_unary("y1", "bessel_y1", half=False)
modified_bessel_i0 = _sc_unary("i0", "modified_bessel_i0", half=False)
modified_bessel_i1 = _sc_unary("i1", "modified_bessel_i1", half=False)
modified_bessel_k0 = _sc_unary("k0", "modified_bessel_k0", half=False)
modified_bessel_k1 = _sc_unary("k1", "modified_bessel_k1", half=False)
scaled_modified_bessel_k0 = _sc_unary("k0e", "scaled_modified_bessel_k0", half=False)
scaled_modified_bessel_k1 = _sc_unary("k1e", "scaled_modified_bessel_k1", half=False)


def _airy_kernel(o, x):
    _L.sc.airy(x, out=(o, None, None, None), dtype=_cdt(o))


def airy_ai(input, *, out=None):
    return _unary(input, out, "special_airy_ai", "airy_ai_cpu", _airy_kernel, half=False)


def _spherical_j0_kernel(o, x):
    """sin(x) / x, 1 at 0."""
    np = _L.np
    with np.errstate(all="ignore"):
        np.sin(x, out=o, dtype=_cdt(o))
        np.divide(o, x, out=o, dtype=_cdt(o))
    np.copyto(o, 1, where=(x == 0))
    np.copyto(o, 0, where=np.isinf(x))


def spherical_bessel_j0(input, *, out=None):
    return _unary(input, out, "special_spherical_bessel_j0", "spherical_bessel_j0_cpu",
                  _spherical_j0_kernel, half=False)


# ------------------------------------------------------------ the rest

entr = _sc_unary("entr", "entr", grad="special_entr")


def sinc(input, *, out=None):
    return _unary(input, out, "special_sinc", "sinc_cpu", _sinc_kernel, cplx=True, grad="sinc")


def logit(input, eps=None, *, out=None):
    _tensor_arg(input, "special_logit")
    if eps is not None:
        eps = float(eps)
    return _unary(input, out, "special_logit", "logit_cpu", _logit_kernel(eps), grad="logit",
                  args=(eps,))


def xlogy(input, other, *, out=None):
    return _binary(input, other, out, "special_xlogy", "xlogy_cpu", _K_xlogy,
                   grad="xlogy", scalar_grads=("xlogy.Scalar_Self", "xlogy.Scalar_Other"))


def xlog1py(input, other, *, out=None):
    return _binary(input, other, out, "special_xlog1py", "xlog1py_cpu", _K_xlog1py,
                   grad="special_xlog1py",
                   scalar_grads=("special_xlog1py.self_scalar", "special_xlog1py.other_scalar"))


def round(input, *, decimals=0, out=None):
    _tensor_arg(input, "special_round")
    if not input.dtype.is_floating_point:
        _not_implemented("round_vml_cpu", input.dtype)
    return _round(input, decimals=decimals, out=out)


def softmax(input, dim, *, dtype=None):
    return _softmax(input, dim, dtype)


def log_softmax(input, dim, *, dtype=None):
    return _log_softmax(input, dim, dtype)


# ------------------------------------------------------------ orthogonal polynomials
#
# p(input, n): n is truncated to an integer; a negative (or non-finite)
# degree gives 0, as PyTorch's kernels do.

def _degrees(n):
    np = _L.np
    n = np.asarray(n)
    if n.dtype.kind == "f":
        with np.errstate(invalid="ignore"):
            k = np.trunc(n)
            bad = ~(np.isfinite(k) & (k >= 0))
        return np.where(bad, 0, k).astype(np.int64), bad
    if n.dtype.kind == "b":
        return n.astype(np.int64), None
    return np.maximum(n, 0).astype(np.int64), n < 0


def _poly_kernel(ev_name, shift=False, third=0):
    """ev_name: scipy's eval_<family>; third = -1 / +1: the third / fourth
    kind Chebyshev polynomials, U_n -+ U_(n-1)."""
    def kernel(o, x, n):
        np, sc = _L.np, _L.sc
        ev = getattr(sc, ev_name)
        k, bad = _degrees(n)
        if shift:
            x = np.multiply(x, 2, dtype=np.float64) - 1
        ev(k, x, out=o)
        if third:
            _third(np, ev, o, k, x, third)
        if bad is not None:
            np.copyto(o, 0, where=bad)
    return kernel


def _third(np, ev, o, k, x, third):
    """o (U_n) -+ U_(n-1): the third / fourth kind Chebyshev polynomials."""
    with np.errstate(all="ignore"):
        prev = ev(np.maximum(k - 1, 0), x)
        prev = np.where(k == 0, 0, prev)
        np.add(o, third * prev, out=o, casting="unsafe")


def _polynomial(name, ev_name, shift=False, third=0):
    kernel = _poly_kernel(ev_name, shift, third)

    def f(input, n, *, out=None):
        return _binary(input, n, out, f"special_{name}", f"{name}_cpu", kernel, half=False)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"{name}(input, n, *, out=None) -> Tensor"
    return f


chebyshev_polynomial_t = _polynomial("chebyshev_polynomial_t", "eval_chebyt")
chebyshev_polynomial_u = _polynomial("chebyshev_polynomial_u", "eval_chebyu")
chebyshev_polynomial_v = _polynomial("chebyshev_polynomial_v", "eval_chebyu", third=-1)
chebyshev_polynomial_w = _polynomial("chebyshev_polynomial_w", "eval_chebyu", third=1)
shifted_chebyshev_polynomial_t = _polynomial("shifted_chebyshev_polynomial_t", "eval_chebyt", True)
shifted_chebyshev_polynomial_u = _polynomial("shifted_chebyshev_polynomial_u", "eval_chebyu", True)
shifted_chebyshev_polynomial_v = _polynomial("shifted_chebyshev_polynomial_v", "eval_chebyu", True, -1)
shifted_chebyshev_polynomial_w = _polynomial("shifted_chebyshev_polynomial_w", "eval_chebyu", True, 1)
hermite_polynomial_h = _polynomial("hermite_polynomial_h", "eval_hermite")
hermite_polynomial_he = _polynomial("hermite_polynomial_he", "eval_hermitenorm")
laguerre_polynomial_l = _polynomial("laguerre_polynomial_l", "eval_laguerre")
legendre_polynomial_p = _polynomial("legendre_polynomial_p", "eval_legendre")
