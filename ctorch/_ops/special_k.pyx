# cython: language_level=3
"""The entry to the special-function kernels of ctorch/_kernels/special.h
(used by ctorch.special): the orthogonal polynomials, digamma, erfinv, erfc,
logit and the other unary functions of unary(), on CPU tensors."""

from libc.stdint cimport int64_t, uint8_t

from ctorch._core.dtype cimport *
from ctorch._core.backend cimport *
from ctorch._core.tensor cimport *
from ctorch._ops.elementwise cimport _cast


def poly(int kind, int shift, Tensor out, Tensor x, n):
    """out = p_n(x) of the family `kind` (shift: of 2x - 1). out: a
    contiguous float32 / float64 CPU tensor; x: a contiguous tensor of out's
    dtype with out's number of elements, or one element; n: the same, or a
    python number. Returns False (nothing written) where the backend has no
    such kernel."""
    cdef ct_special_poly_fn f = out._storage.backend.special_poly
    if f == NULL or out._storage.device >= 0:
        return False
    cdef int dt
    if out._dtype is t_float32:
        dt = 0
    elif out._dtype is t_float64:
        dt = 1
    else:
        raise TypeError("poly: float32 or float64 result expected")
    cdef int64_t count = out._numel
    if not _is_contiguous(out):
        raise ValueError("poly: contiguous result expected")
    if x._dtype is not out._dtype or x._storage.device >= 0 or not _is_contiguous(x) or (
            x._numel != count and x._numel != 1):
        raise ValueError("poly: input of the result's dtype and size expected")
    cdef int64_t sx = 0 if x._numel == 1 else 1
    cdef int64_t sn = 0
    cdef float nf
    cdef double nd
    cdef const void *np
    cdef Tensor tn
    if isinstance(n, Tensor):
        tn = <Tensor>n
        if tn._dtype is not out._dtype or tn._storage.device >= 0 or not _is_contiguous(tn) or (
                tn._numel != count and tn._numel != 1):
            raise ValueError("poly: degree of the result's dtype and size expected")
        sn = 0 if tn._numel == 1 else 1
        np = tn._data
    else:
        nd = float(n)
        nf = <float>nd
        np = <const void *>&nf if dt == 0 else <const void *>&nd
    cdef int err
    with nogil:
        err = f(kind, shift, dt, x._data, sx, np, sn, out._data, count)
    if err:
        raise ValueError(f"poly: unknown kind {kind}")
    return True


cdef int _unary_dtype(Tensor out, Tensor x):
    """0 / 1: contiguous float32 / float64 CPU operands of one dtype and
    size; -1 otherwise."""
    if out._storage.device >= 0 or x._storage.device >= 0:
        return -1
    if x._dtype is not out._dtype or x._numel != out._numel or not _is_contiguous(x) or \
            not _is_contiguous(out):
        return -1
    if out._dtype is t_float32:
        return 0
    if out._dtype is t_float64:
        return 1
    return -1


def fresh(tkernel, x, bint low=False):
    """tkernel(r, x) into a new tensor r for x a contiguous float32 / float64
    CPU tensor that autograd does not follow: r, or None where x is another
    operand or tkernel does not take it (nothing else to check for these:
    the result is x's dtype and layout, and no graph is recorded). low: x
    float16 / bfloat16 instead, computed in float32 and rounded once (the
    caller has checked that the function takes them)."""
    if type(x) is not Tensor:
        return None
    cdef Tensor t = <Tensor>x
    cdef int code = t._dtype._code
    if t._storage.device >= 0 or _needs_grad(t) or not _is_contiguous(t):
        return None
    if low:
        if code != CT_FLOAT16 and code != CT_BFLOAT16:
            return None
        t = _cast(t, t_float32)
    elif t._dtype is not t_float32 and t._dtype is not t_float64:
        return None
    cdef Tensor r = _empty(t._ndim, t._shape, t._dtype)
    if t._numel and not tkernel(r, t):
        return None
    return _cast(r, (<Tensor>x)._dtype) if low else r


def fresh_xlogy(x, y, bint log1p):
    """xlogy(x, y) (xlog1py with log1p) into a new tensor for two contiguous
    CPU tensors of one floating dtype and shape that autograd does not
    follow (float16 / bfloat16 computed in float32 and rounded once, as the
    general path does); None for other operands."""
    if type(x) is not Tensor or type(y) is not Tensor:
        return None
    cdef Tensor a = <Tensor>x, b = <Tensor>y
    cdef DType dt = a._dtype
    cdef bint low = dt._code == CT_FLOAT16 or dt._code == CT_BFLOAT16
    if (a._storage.device >= 0 or b._storage.device >= 0 or b._dtype is not dt
            or (dt is not t_float32 and dt is not t_float64 and not low)
            or not _same_shape(a, b) or _needs_grad(a) or _needs_grad(b)
            or not _is_contiguous(a) or not _is_contiguous(b)):
        return None
    if low:
        a = _cast(a, t_float32)
        b = _cast(b, t_float32)
    cdef Tensor r = _empty(a._ndim, a._shape, a._dtype)
    if a._numel and not _binary_table(r._storage.backend.special_xlogy, log1p, r, a, b):
        return None
    return _cast(r, dt) if low else r


def digamma(Tensor out, Tensor x):
    """out = digamma(x) for contiguous CPU tensors of one dtype, float32 or
    float64, with as many elements. Returns False (nothing written) for any
    other operands, or where the backend has no such kernel."""
    cdef ct_special_digamma_fn f = out._storage.backend.special_digamma
    cdef int dt = _unary_dtype(out, x)
    if f == NULL or dt < 0:
        return False
    cdef int64_t count = out._numel
    with nogil:
        f(dt, x._data, out._data, count)
    return True


def erfinv(Tensor out, Tensor x):
    """out = erfinv(x), as digamma above."""
    cdef ct_special_erfinv_fn f = out._storage.backend.special_erfinv
    cdef int dt = _unary_dtype(out, x)
    if f == NULL or dt < 0:
        return False
    cdef int64_t count = out._numel
    with nogil:
        f(dt, x._data, out._data, count)
    return True


def erfc(Tensor out, Tensor x):
    """out = erfc(x) for contiguous float32 / float64 CPU tensors of one
    dtype with as many elements. Returns False (nothing written) for any
    other operands, or where the backend has no such kernel."""
    cdef int dt = _unary_dtype(out, x)
    if dt < 0:
        return False
    cdef ct_special_erfc_fn f = out._storage.backend.special_erfc
    if f == NULL:
        return False
    cdef int64_t count = out._numel
    with nogil:
        f(dt, x._data, out._data, count)
    return True


# the functions of unary() below (special.h's CT_SU_*)
SU_NDTR = 1
SU_TRIGAMMA = 2
SU_ENTR = 3
SU_LGAMMA = 4
SU_I0 = 5
SU_I0E = 6
SU_I1 = 7
SU_I1E = 8
SU_ERFCX = 9
SU_LOG_NDTR = 10
SU_SINC = 11
SU_SPH_J0 = 12


def unary(int fn, Tensor out, Tensor x):
    """out = f(x), f the special.h function CT_SU_<fn>, for contiguous
    float32 / float64 CPU tensors of one dtype with as many elements.
    Returns False (nothing written) for any other operands, or where the
    backend has no kernel for that function and dtype."""
    return _table_unary(out._storage.backend.special_erfc, fn, out, x)


cdef bint _table_unary(ct_special_erfc_fn f, int fn, Tensor out, Tensor x):
    """out = f's function `fn` of x (a table entry taking code fn * 2 +
    dtype); False where the operands or the table do not serve."""
    cdef int dt = _unary_dtype(out, x)
    if dt < 0 or f == NULL:
        return False
    cdef int64_t count = out._numel
    cdef int err
    with nogil:
        err = f(fn * 2 + dt, x._data, out._data, count)
    return err == 0


def logit(Tensor out, Tensor x, eps):
    """out = logit(x) (x clamped to [eps, 1 - eps] first unless eps is None),
    as erfc above."""
    cdef int dt = _unary_dtype(out, x)
    if dt < 0:
        return False
    cdef ct_special_logit_fn f = out._storage.backend.special_logit
    if f == NULL:
        return False
    cdef int64_t count = out._numel
    cdef double e = -1.0 if eps is None else float(eps)
    with nogil:
        f(dt, x._data, out._data, count, e)
    return True


# ---- Bessel, Airy, K0 / K1 and xlogy (ctorch/_kernels/special_bessel.h)

# the functions of bessel() (special_bessel.h's CT_SB_*)
SB_J0 = 0
SB_J1 = 1
SB_Y0 = 2
SB_Y1 = 3
SB_AIRY_AI = 4
SB_K0 = 5
SB_K0E = 6
SB_K1 = 7
SB_K1E = 8
SB_NDTRI = 9


def bessel(int fn, Tensor out, Tensor x):
    """out = f(x), f the special_bessel.h function CT_SB_<fn>, for contiguous
    CPU tensors of one dtype with as many elements. Returns False (nothing
    written) for any other operands, or where the backend has no kernel for
    that function and dtype (float64: the J, Y and K functions; ndtri:
    float32 only)."""
    return _table_unary(<ct_special_erfc_fn>out._storage.backend.special_bessel, fn, out, x)


cdef bint _binary_table(ct_special_xlogy_fn f, int fn, Tensor out, Tensor a, Tensor b):
    """out = f(a, b) for contiguous float32 / float64 CPU tensors of out's
    dtype, a and b each with out's number of elements or one element (f's
    code: the dtype + 2 fn); False (nothing written) for any other operands
    or where f is NULL."""
    if out._storage.device >= 0 or a._storage.device >= 0 or b._storage.device >= 0:
        return False
    cdef int dt
    if out._dtype is t_float32:
        dt = 0
    elif out._dtype is t_float64:
        dt = 1
    else:
        return False
    cdef int64_t count = out._numel
    if a._dtype is not out._dtype or b._dtype is not out._dtype or not _is_contiguous(out):
        return False
    if (a._numel != count and a._numel != 1) or (b._numel != count and b._numel != 1):
        return False
    if not _is_contiguous(a) or not _is_contiguous(b) or f == NULL:
        return False
    cdef int64_t sa = 0 if a._numel == 1 else 1
    cdef int64_t sb = 0 if b._numel == 1 else 1
    with nogil:
        f(dt + 2 * fn, a._data, sa, b._data, sb, out._data, count)
    return True


def xlogy(Tensor out, Tensor a, Tensor b, bint log1p=False):
    """out = xlogy(a, b) (xlog1py with log1p) for contiguous float32 /
    float64 CPU tensors of out's dtype, a and b each with out's number of
    elements or one element. Returns False (nothing written) for any other
    operands."""
    return _binary_table(out._storage.backend.special_xlogy, log1p, out, a, b)


def zeta(Tensor out, Tensor x, Tensor q):
    """out = zeta(x, q), the Hurwitz zeta function, for contiguous float32 /
    float64 CPU tensors of out's dtype, x and q each with out's number of
    elements or one element. Returns False (nothing written) for any other
    operands, or where the backend has no such kernel."""
    return _binary_table(<ct_special_xlogy_fn>out._storage.backend.special_zeta, 0, out, x, q)


def igamma(int upper, Tensor out, Tensor a, Tensor x, Tensor flag):
    """out = P(a, x) (upper = 0) or Q(a, x) (upper = 1) for contiguous
    float32 or float64 CPU tensors a, x, out of one size and dtype; flag (uint8, as many
    elements) is set to 1 where an element was left for the caller (see
    special_bessel.h). Returns the number of those, or -1 (nothing written)
    for any other operands or where the backend has no such kernel."""
    if out._storage.device >= 0 or a._storage.device >= 0 or x._storage.device >= 0:
        return -1
    if (out._dtype is not t_float32 and out._dtype is not t_float64) or \
            a._dtype is not out._dtype or x._dtype is not out._dtype:
        return -1
    cdef int dt = 0 if out._dtype is t_float32 else 1
    cdef int64_t count = out._numel
    if a._numel != count or x._numel != count or flag._numel != count or flag._dtype is not t_uint8:
        return -1
    if not (_is_contiguous(out) and _is_contiguous(a) and _is_contiguous(x) and
            _is_contiguous(flag)):
        return -1
    cdef ct_special_igamma_fn f = out._storage.backend.special_igamma
    if f == NULL:
        return -1
    cdef int64_t r
    with nogil:
        r = f(upper, dt, a._data, x._data, out._data, <uint8_t *>flag._data, count)
    return r


def mvlgamma(Tensor out, Tensor x, int64_t p):
    """out = mvlgamma(x, p) for contiguous float32 / float64 CPU tensors of
    one dtype with as many elements (special_bessel.h). Returns False
    (nothing written) for any other operands, or where the backend has no
    such kernel."""
    cdef int dt = _unary_dtype(out, x)
    if dt < 0 or p < 1:
        return False
    cdef ct_special_mvlgamma_fn f = out._storage.backend.special_mvlgamma
    if f == NULL:
        return False
    cdef int64_t count = out._numel
    cdef int err
    with nogil:
        err = f(dt, x._data, out._data, count, p)
    return err == 0
