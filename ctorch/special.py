"""torch.special: special functions, elementwise.

Values from ctorch's own kernels where they have one, else scipy.special's
compiled ufuncs on the tensors' memory (see ctorch._special, the engine
shared with the torch-level names digamma, lgamma, erfinv, ...); erf, exp2, expm1, log1p, expit, round, softmax,
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
    _K_gammaincc, _mvlgamma_kernel, _sinc_kernel,
    _logit_kernel, _logit_tkernel, _tensor_arg, _not_implemented, _L, _cdt,
    _binary_args, _result_type, _float_of, _check_dtype, _broadcast, _device_of, _finish,
    _FLOAT, _DOUBLE,
)
from ctorch._ops.creation import empty as _empty, empty_like as _empty_like, tensor as _tensor
from ctorch._ops.special_k import poly as _poly

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
    return _unary(input, out, "special_digamma", "digamma", _S._K_digamma, grad="digamma",
                  tkernel=_S._digamma_t)


psi = digamma


def polygamma(n, input, *, out=None):
    return _S._polygamma(n, input, out, "special_polygamma")


def gammaln(input, *, out=None):
    return _unary(input, out, "special_gammaln", "lgamma_vml_cpu", _S._lgamma_kernel, grad="lgamma",
                  tkernel=_S._lgamma_t)


def multigammaln(input, p, *, out=None):
    _tensor_arg(input, "special_multigammaln")
    if isinstance(p, bool) or not isinstance(p, int):
        raise TypeError(f"special_multigammaln(): argument 'p' must be int, not {type(p).__name__}")
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    return _unary(input, out, "special_multigammaln", "arange_cpu", _mvlgamma_kernel(p),
                  grad="mvlgamma", args=(p,), tkernel=_S._mvlgamma_tkernel(p))


def gammainc(input, other, *, out=None):
    return _binary(input, other, out, "special_gammainc", "igamma_cpu",
                   _K_gammainc, ints=False, grad="igamma", scalars=False, tkernel=_S._igamma_tk)


def gammaincc(input, other, *, out=None):
    return _binary(input, other, out, "special_gammaincc", "igammac_cpu",
                   _K_gammaincc, ints=False, grad="igammac", scalars=False,
                   tkernel=_S._igammac_tk)


def _zeta_kernel(o, x, q):
    _L.sc.zeta(x, q, o)


def _zeta_t(x, q, rdt):
    """zeta by ctorch's own kernel (special_k.zeta) for float32 / float64
    results: operands of another dtype are converted, python numbers become
    one-element tensors, operands that neither have the result's elements in
    order nor are one element are expanded to contiguous copies, and device
    tensors go through host copies; None (scipy's ufunc then) for other
    results."""
    if rdt is not _FLOAT and rdt is not _DOUBLE:
        return None
    dev = _device_of((x, q))
    ops = []
    for v in (x, q):
        if isinstance(v, Tensor):
            v = v.detach()
            ops.append(v.cpu() if v.is_cuda else v)
        elif isinstance(v, (int, float)):
            ops.append(_tensor(float(v), dtype=rdt))
        else:
            return None
    a, b = ops
    shape = a.shape if a.shape == b.shape else _broadcast((a, b))
    r = _empty(shape, dtype=rdt)
    if r.numel() == 0:
        return r.to(dev) if dev.type != "cpu" else r
    fixed = []
    for v in (a, b):
        if v.dtype is not rdt:
            v = v.to(rdt)
        if v.numel() != 1 and (tuple(v.shape) != tuple(shape) or not v.is_contiguous()):
            v = v.expand(shape).contiguous()
        elif v.numel() == 1 and not v.is_contiguous():
            v = v.contiguous()
        fixed.append(v)
    from ctorch._ops.special_k import zeta as k
    if not k(r, fixed[0], fixed[1]):
        return None
    return r.to(dev) if dev.type != "cpu" else r


def zeta(input, other, *, out=None):
    return _binary(input, other, out, "special_zeta", "zeta_cpu", _zeta_kernel, half=False,
                   grad="special_zeta",
                   scalar_grads=("special_zeta.self_scalar", "special_zeta.other_scalar"),
                   tkernel=_zeta_t)


# ------------------------------------------------------------ error function

def erfc(input, *, out=None):
    return _unary(input, out, "special_erfc", "erfc_vml_cpu", _K_erfc, grad="erfc",
                  tkernel=lambda r, x: _S._erfc_t(r, x))


def erfinv(input, *, out=None):
    return _unary(input, out, "special_erfinv", "erfinv_vml_cpu", _S._erfinv_kernel,
                  grad="erfinv", tkernel=_S._erfinv_t)


erfcx = _sc_unary("erfcx", "erfcx", half=False, grad="special_erfcx",
                  tkernel=_S._su_tkernel("ERFCX"))
ndtr = _sc_unary("ndtr", "ndtr", kern="erf_vml_cpu", grad="special_ndtr",
                 tkernel=_S._su_tkernel("NDTR"))
ndtri = _sc_unary("ndtri", "ndtri", half=False, grad="special_ndtri",
                  tkernel=_S._sb_tkernel("NDTRI", True))
log_ndtr = _sc_unary("log_ndtr", "log_ndtr", half=False, grad="special_log_ndtr",
                     tkernel=_S._su_tkernel("LOG_NDTR"))


# ------------------------------------------------------------ Bessel functions

def i0(input, *, out=None):
    return _unary(input, out, "special_i0", "i0_vml_cpu", _K_i0, grad="i0", tkernel=_S._i0_t)


i0e = _sc_unary("i0e", "i0e", grad="special_i0e", tkernel=_S._su_tkernel("I0E"))
i1 = _sc_unary("i1", "i1", grad="special_i1", tkernel=_S._su_tkernel("I1"))
i1e = _sc_unary("i1e", "i1e", grad="special_i1e", tkernel=_S._su_tkernel("I1E"))
bessel_j0 = _sc_unary("j0", "bessel_j0", half=False, tkernel=_S._sb_tkernel("J0", True))
bessel_j1 = _sc_unary("j1", "bessel_j1", half=False, tkernel=_S._sb_tkernel("J1", True))
bessel_y0 = _sc_unary("y0", "bessel_y0", half=False, tkernel=_S._sb_tkernel("Y0", True))
bessel_y1 = _sc_unary("y1", "bessel_y1", half=False, tkernel=_S._sb_tkernel("Y1", True))
modified_bessel_i0 = _sc_unary("i0", "modified_bessel_i0", half=False, tkernel=_S._i0_t)
modified_bessel_i1 = _sc_unary("i1", "modified_bessel_i1", half=False,
                               tkernel=_S._su_tkernel("I1"))
modified_bessel_k0 = _sc_unary("k0", "modified_bessel_k0", half=False,
                                tkernel=_S._sb_tkernel("K0"))
modified_bessel_k1 = _sc_unary("k1", "modified_bessel_k1", half=False,
                                tkernel=_S._sb_tkernel("K1"))
scaled_modified_bessel_k0 = _sc_unary("k0e", "scaled_modified_bessel_k0", half=False,
                                       tkernel=_S._sb_tkernel("K0E"))
scaled_modified_bessel_k1 = _sc_unary("k1e", "scaled_modified_bessel_k1", half=False,
                                       tkernel=_S._sb_tkernel("K1E"))


_AIRY_K = _S._sb_tkernel("AIRY_AI")


def _AIRY_T(r, x):
    """Ai by ctorch's own kernel (float32 / float64 CPU results); integer
    inputs converted to the result's dtype and other layouts through
    contiguous copies, so that every input gets the kernel's values."""
    if not r.is_cuda and x.dtype is not r.dtype and not x.dtype.is_floating_point:
        x = x.to(r.dtype)
    if r.is_cuda or (r.is_contiguous() and x.is_contiguous()):
        return _AIRY_K(r, x)
    xc = x.contiguous()
    rc = _empty_like(xc, dtype=r.dtype)
    if not _AIRY_K(rc, xc):
        return False
    r.copy_(rc)
    return True


def _airy_kernel(o, x):
    _L.sc.airy(x, out=(o, None, None, None), dtype=_cdt(o))
    # Ai underflows to 0 from x ~ 105 on; scipy's airy gives NaN past ~1e9
    # (PyTorch 0; NaN at +inf)
    big = (x > 200) & (x < float("inf"))
    if big.any():
        o[big] = 0


def airy_ai(input, *, out=None):
    return _unary(input, out, "special_airy_ai", "airy_ai_cpu", _airy_kernel, half=False,
                  tkernel=_AIRY_T)


def _spherical_j0_kernel(o, x):
    """sin(x) / x, 1 at 0."""
    np = _L.np
    with np.errstate(all="ignore"):
        np.sin(x, out=o, dtype=_cdt(o))
        np.divide(o, x, out=o, dtype=_cdt(o))
    np.copyto(o, 1, where=(x == 0))
    np.copyto(o, 0, where=np.isinf(x))


_SPH_J0_T = _S._su_tkernel("SPH_J0", any_layout=True)


def spherical_bessel_j0(input, *, out=None):
    return _unary(input, out, "special_spherical_bessel_j0", "spherical_bessel_j0_cpu",
                  _spherical_j0_kernel, half=False, tkernel=_SPH_J0_T)


# ------------------------------------------------------------ the rest

entr = _sc_unary("entr", "entr", grad="special_entr", tkernel=_S._su_tkernel("ENTR"))


def sinc(input, *, out=None):
    return _unary(input, out, "special_sinc", "sinc_cpu", _sinc_kernel, cplx=True, grad="sinc",
                  tkernel=_S._SINC_T)


def logit(input, eps=None, *, out=None):
    _tensor_arg(input, "special_logit")
    if eps is not None:
        eps = float(eps)
    return _unary(input, out, "special_logit", "logit_cpu", _logit_kernel(eps), grad="logit",
                  args=(eps,), tkernel=_logit_tkernel(eps))


def xlogy(input, other, *, out=None):
    return _binary(input, other, out, "special_xlogy", "xlogy_cpu", _K_xlogy,
                   grad="xlogy", scalar_grads=("xlogy.Scalar_Self", "xlogy.Scalar_Other"),
                   tkernel=_S._xlogy_t)


def xlog1py(input, other, *, out=None):
    if out is None:
        r = _S._fresh_xlogy(input, other, True)
        if r is not None:
            return r
    return _binary(input, other, out, "special_xlog1py", "xlog1py_cpu", _K_xlog1py,
                   grad="special_xlog1py",
                   scalar_grads=("special_xlog1py.self_scalar", "special_xlog1py.other_scalar"),
                   tkernel=_S._xlog1py_t)


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
# degree gives 0, as PyTorch's kernels do. Computed in double by the
# recurrences of ctorch/_kernels/special.c (device tensors through a host
# copy).

_POLY_KINDS = {"chebyshev_polynomial_t": 0, "chebyshev_polynomial_u": 1,
               "chebyshev_polynomial_v": 2, "chebyshev_polynomial_w": 3,
               "hermite_polynomial_h": 4, "hermite_polynomial_he": 5,
               "laguerre_polynomial_l": 6, "legendre_polynomial_p": 7}


def _poly_operand(x, shape, numel, rdt):
    """x as the kernel reads it: a contiguous CPU tensor of dtype rdt with
    numel elements or one element (a python number stays as it is)."""
    if not isinstance(x, Tensor):
        return x
    if x.requires_grad:
        x = x.detach()
    if x.is_cuda:
        x = x.cpu()
    if x.dtype is not rdt:
        x = x.to(rdt)
    n = x.numel()
    if n == 1:
        return x if x.is_contiguous() else x.reshape(())
    if tuple(x.shape) != shape:
        x = x.expand(shape)
    return x if x.is_contiguous() else x.contiguous()


def _poly_compute(kind, shift, a, b, rdt):
    """p_b(a) (a: the input, b: the degree) by the polynomials' kernel."""
    if isinstance(a, Tensor) and isinstance(b, Tensor) and a.shape == b.shape:
        shape = tuple(a.shape)
    else:
        shape = tuple(_broadcast((a, b)))
    dev = _device_of((a, b))
    r = _empty(shape, dtype=rdt)
    numel = r.numel()
    if numel:
        x = _poly_operand(a, shape, numel, rdt)
        if not isinstance(x, Tensor):
            x = _tensor(x, dtype=rdt)
        _poly(kind, shift, r, x, _poly_operand(b, shape, numel, rdt))
    return r.to(dev) if dev.type != "cpu" else r


def _polynomial(name, shift=False):
    kind = _POLY_KINDS[name.replace("shifted_", "")]
    fname = f"special_{name}"
    kern = f"{name}_cpu"

    def f(input, n, *, out=None):
        if isinstance(input, Tensor) and isinstance(n, Tensor):
            dt = input.dtype
            # the common case in few steps: float CPU tensors of one shape and dtype
            if ((dt is _FLOAT or dt is _DOUBLE) and n.dtype is dt and input.shape == n.shape and
                    not input.is_cuda and not n.is_cuda and input.is_contiguous() and
                    n.is_contiguous()):
                r = _empty_like(input)
                _poly(kind, shift, r, input, n)
                return r if out is None else _finish(r, out, fname, (input, n))
        _binary_args(input, n, fname)
        rdt = _float_of(_result_type(input, n))
        _check_dtype(rdt, kern, False, False)
        r = _poly_compute(kind, shift, input, n, rdt)
        return r if out is None else _finish(r, out, fname, (input, n))
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"{name}(input, n, *, out=None) -> Tensor"
    return f


chebyshev_polynomial_t = _polynomial("chebyshev_polynomial_t")
chebyshev_polynomial_u = _polynomial("chebyshev_polynomial_u")
chebyshev_polynomial_v = _polynomial("chebyshev_polynomial_v")
chebyshev_polynomial_w = _polynomial("chebyshev_polynomial_w")
shifted_chebyshev_polynomial_t = _polynomial("shifted_chebyshev_polynomial_t", True)
shifted_chebyshev_polynomial_u = _polynomial("shifted_chebyshev_polynomial_u", True)
shifted_chebyshev_polynomial_v = _polynomial("shifted_chebyshev_polynomial_v", True)
shifted_chebyshev_polynomial_w = _polynomial("shifted_chebyshev_polynomial_w", True)
hermite_polynomial_h = _polynomial("hermite_polynomial_h")
hermite_polynomial_he = _polynomial("hermite_polynomial_he")
laguerre_polynomial_l = _polynomial("laguerre_polynomial_l")
legendre_polynomial_p = _polynomial("legendre_polynomial_p")
