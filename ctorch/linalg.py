"""torch.linalg: factorizations and solvers.

The factorizations run through numpy.linalg / scipy.linalg's LAPACK on the
tensors' memory (a dense tensor is handed over without a copy); the backward
formulas are entries of the derivatives table (ctorch.autograd.derivatives),
written with ctorch ops, so that they can be differentiated again.

CUDA tensors: the factorization runs in LAPACK on a host copy of the input
and its results are copied back to the input's device (small matrices are
what these functions mostly see, and there is no device LAPACK here); the
history and the backward formulas stay on the device.
"""

from ctorch._core import dispatch as _dispatch
from ctorch._core.dtype import _scalar_name, float16 as _float16, int32 as _int32
from ctorch._core.iterator import _write_out, _same_device_py
from ctorch._core.tensor import Tensor, from_numpy as _from_numpy
from ctorch._ops.creation import empty as _empty, full as _full, zeros as _zeros
from ctorch._ops.views import diagonal as _diagonal
from ctorch._ops.products import matmul, _conj, _mH  # noqa: F401  (matmul: torch.linalg.matmul)
from ctorch.autograd._node import _record, is_grad_enabled as _is_grad_enabled
from ctorch.return_types import (
    linalg_qr as _QR, linalg_svd as _SVD, linalg_eigh as _EIGH, linalg_slogdet as _SLOGDET,
    linalg_inv_ex as _INVEX, linalg_cholesky_ex as _CHOLEX, qr as _QR_LEGACY, svd as _SVD_LEGACY,
)


class _SerialLinalg:
    """numpy.linalg whose functions run numpy's BLAS on the calling thread
    only (see ctorch._core.dispatch._numpy_blas_threads)."""

    def __init__(self, linalg):
        self._linalg = linalg

    def __getattr__(self, name):
        f = getattr(self._linalg, name)
        if isinstance(f, type) or not callable(f):
            return f

        def call(*args, **kwargs):
            prev = _dispatch._numpy_blas_threads(1)
            try:
                return f(*args, **kwargs)
            finally:
                if prev >= 0:
                    _dispatch._numpy_blas_threads(prev)
        return call


class _LazyNumpy:
    """numpy, imported on first use (keeps `import ctorch` fast)."""

    def __getattr__(self, name):
        import numpy
        self.__dict__.update(vars(numpy))
        self.linalg = _SerialLinalg(numpy.linalg)
        return getattr(self, name)


_np = _LazyNumpy()

__all__ = ["LinAlgError", "inv", "inv_ex", "det", "slogdet", "solve", "cholesky", "cholesky_ex",
           "qr", "svd", "svdvals", "eigh", "eigvalsh", "matmul", "vecdot", "diagonal"]


class LinAlgError(RuntimeError):
    """Raised when a factorization cannot be completed (singular or not
    positive-definite input)."""


def _check(A, name, square=True):
    if not isinstance(A, Tensor):
        raise TypeError(f"{name}(): argument 'A' (position 1) must be Tensor, not {type(A).__name__}")
    if A.dim() < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if not (A.dtype.is_floating_point or A.dtype.is_complex):
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. "
                           f"Got {_scalar_name(A.dtype)}")
    if square and A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")


def _np_in(A):
    """numpy view of A (half is computed in float); a host copy of a device
    tensor."""
    a = A.detach()
    a = (a.cpu() if a.is_cuda else a).numpy()
    if a.dtype == _np.float16:
        a = a.astype(_np.float32)
    return a


def _factor(arr, like, real=False):
    """A LAPACK result as a tensor of A's dtype (or its real counterpart)."""
    dt = like.dtype.to_real() if real else like.dtype
    arr = _np.asarray(arr)
    if not arr.flags.c_contiguous:
        arr = arr.copy()
    r = _from_numpy(arr)
    return r.to(like.device, dt) if r.dtype != dt or like.is_cuda else r


def _batch_prefix(idx, shape):
    if len(shape) <= 2:
        return ""
    return f"(Batch element {idx}): "


def _lapack(name, a):
    from scipy.linalg import lapack
    return lapack.get_lapack_funcs((name,), (a,))[0]


def _failures(a, name, **kwargs):
    """(batch element, LAPACK info) of each matrix of `a` that LAPACK's
    `name` (getrf: a zero pivot; potrf: a minor not positive-definite) fails
    on, in order."""
    fn = _lapack(name, a)
    flat = a.reshape((-1,) + a.shape[-2:])
    for i in range(flat.shape[0]):
        info = fn(flat[i], **kwargs)[-1]
        if info > 0:
            yield i, info


def _first_failure(a, name, **kwargs):
    return next(_failures(a, name, **kwargs), None)


# ------------------------------------------------------------------ inv
#
# Each factorization runs without history and then records the entry of the
# derivatives table that PyTorch's function has (linalg_inv_ex, linalg_det,
# linalg_solve_ex, linalg_cholesky_ex, linalg_qr, linalg_svd, linalg_eigh);
# their formulas are in ctorch.autograd.derivatives.

def _inv_raw(A):
    a = _np_in(A)
    try:
        r = _np.linalg.inv(a)
    except _np.linalg.LinAlgError:
        bad = _first_failure(a, "getrf")
        b, i = bad if bad is not None else (0, 1)
        raise LinAlgError(f"linalg.inv: {_batch_prefix(b, a.shape)}The diagonal element {i} is zero, "
                          "the inversion could not be completed because the input matrix is singular.")
    return _factor(r, A)


def _to_out(r, out, name):
    """r written into out= by PyTorch's rules (its dtype exactly, resized)."""
    return r if out is None else _write_out(out, r, name, 2)


def inv(A, *, out=None):
    _check(A, "linalg.inv")
    return _to_out(_record("linalg_inv_ex", _inv_raw(A), (A,)), out, "linalg_inv")


def inv_ex(A, *, check_errors=False, out=None):
    _check(A, "linalg.inv_ex")
    try:
        return _INVEX(inv(A), _zeros(A.shape[:-2], dtype=_int32, device=A.device))
    except LinAlgError:
        if check_errors:
            raise
        info = _zeros(A.shape[:-2], dtype=_int32)
        for i, v in _failures(_np_in(A), "getrf"):
            info.view(-1)[i] = v
        return _INVEX(_full(A.shape, float("nan"), dtype=A.dtype, device=A.device), info.to(A.device))


# ------------------------------------------------------------------ det

def det(A, *, out=None):
    _check(A, "linalg.det")
    r = _factor(_np.linalg.det(_np_in(A)), A)
    return _to_out(_record("linalg_det", r, (A,)), out, "linalg_det")


def slogdet(A, *, out=None):
    _check(A, "linalg.slogdet")
    s, l = _np.linalg.slogdet(_np_in(A))
    return _SLOGDET(_factor(s, A), _factor(l, A, real=True))


# ------------------------------------------------------------------ solve

def _vector_case(A, B):
    return B.dim() == 1 or (B.dim() == A.dim() - 1 and tuple(B.shape) == tuple(A.shape[:-1]))


def _solve_raw(A, B, vec):
    a, b = _np_in(A), _np_in(B)
    if vec:
        b = b[..., None]
    try:
        x = _np.linalg.solve(a, b)
    except _np.linalg.LinAlgError:
        raise LinAlgError("torch.linalg.solve: The solver failed because the input matrix is singular.")
    if vec:
        x = x[..., 0]
    return _factor(x, A)


def solve(A, B, *, left=True, out=None):
    _check(A, "linalg.solve")
    if not isinstance(B, Tensor):
        raise TypeError(f"linalg_solve(): argument 'B' (position 2) must be Tensor, not {type(B).__name__}")
    if A.dtype != B.dtype:
        raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found "
                           f"A of type {_scalar_name(A.dtype)} and B of type {_scalar_name(B.dtype)} instead")
    _same_device_py(A, B)
    if not left:
        return solve(A.mT, B.mT).mT
    vec = _vector_case(A, B)
    rows = B.shape[-1] if vec else B.shape[-2]
    if rows != A.shape[-1]:
        cols = 1 if vec else B.shape[-1]
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation AX = B "
                           f"({A.shape[-2]}x{A.shape[-1]} and {rows}x{cols})")
    return _to_out(_record("linalg_solve_ex", _solve_raw(A, B, vec), (A, B), (vec,)), out, "linalg_solve")


# ------------------------------------------------------------------ cholesky

def _cholesky_raw(A):
    a = _np_in(A)
    try:
        L = _np.linalg.cholesky(a)
    except _np.linalg.LinAlgError:
        bad = _first_failure(a, "potrf", lower=1)
        if bad is not None:
            i, info = bad
            raise LinAlgError(
                f"linalg.cholesky: {_batch_prefix(i, a.shape)}The factorization could not be completed "
                f"because the input is not positive-definite (the leading minor of order {info} "
                "is not positive-definite).")
        raise
    return _factor(L, A)


def cholesky(A, *, upper=False, out=None):
    _check(A, "linalg.cholesky")
    L = _record("linalg_cholesky_ex", _cholesky_raw(A), (A,))
    if upper:
        L = _mH(L)
    return _to_out(L, out, "linalg_cholesky")


def cholesky_ex(A, *, upper=False, check_errors=False, out=None):
    return _CHOLEX(cholesky(A, upper=upper), _zeros(A.shape[:-2], dtype=_int32, device=A.device))


# ------------------------------------------------------------------ qr, svd, eigh

def _refuse_half(A, kernel):
    if A.dtype == _float16:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Half'")


def _fill_out(name, out, results, inputs):
    """Copies the results into the out= tensors (resized as needed)."""
    if not isinstance(out, (tuple, list)) or len(out) != len(results) or \
            not all(isinstance(o, Tensor) for o in out):
        raise TypeError(f"{name}(): argument 'out' must be tuple of {len(results)} Tensors")
    if _is_grad_enabled() and any(a.requires_grad for a in inputs):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    for o, r in zip(out, results):
        if o.dtype != r.dtype:
            raise RuntimeError(f"Expected out tensor to have dtype {r.dtype}, but got {o.dtype} instead")
        o.resize_(r.shape).copy_(r)
    return type(results)(*out) if hasattr(results, "_fields") else tuple(out)


def _qr_raw(A, mode):
    a = _np_in(A)
    if mode == "r":
        return _empty(0, dtype=A.dtype, device=A.device), _factor(_np.linalg.qr(a, mode="r"), A)
    q, r = _np.linalg.qr(a, mode=mode)
    return _factor(q, A), _factor(r, A)


def qr(A, mode="reduced", *, out=None):
    _check(A, "linalg.qr", square=False)
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of 'reduced' "
                           "(default), 'r', or 'complete'")
    _refuse_half(A, "geqrf_cpu")
    r = _QR(*_record("linalg_qr", _qr_raw(A, mode), (A,), (mode,)))
    return r if out is None else _fill_out("linalg_qr", out, r, (A,))


def _svd_raw(A, full_matrices):
    u, s, vh = _np.linalg.svd(_np_in(A), full_matrices=full_matrices)
    return _factor(u, A), _factor(s, A, real=True), _factor(vh, A)


def _svd_checks(A, name, driver):
    _check(A, name, square=False)
    if A.is_cuda and driver in (None, "gesvd", "gesvdj", "gesvda"):
        pass            # cuSOLVER's drivers: all give the same factorization here
    elif A.is_cuda:
        raise RuntimeError(f"torch.linalg.svd: unknown svd driver {driver} in svd_cusolver "
                           "computation. Available drivers: gesvd, gesvdj, and gesvda.")
    elif driver is not None:
        raise RuntimeError("torch.linalg.svd: keyword argument `driver=` is only supported on CUDA inputs "
                           "with cuSOLVER backend.")
    _refuse_half(A, "linalg_svd_cpu")


def svd(A, full_matrices=True, *, driver=None, out=None):
    _svd_checks(A, "linalg.svd", driver)
    r = _SVD(*_record("linalg_svd", _svd_raw(A, full_matrices), (A,), (full_matrices,)))
    return r if out is None else _fill_out("linalg_svd", out, r, (A,))


def _differentiated(A):
    return _is_grad_enabled() and A.requires_grad


def svdvals(A, *, driver=None, out=None):
    _svd_checks(A, "linalg.svdvals", driver)
    if _differentiated(A):
        # the gradient needs the singular vectors
        S = _record("linalg_svd", _svd_raw(A, False), (A,), (False,))[1]
    else:
        S = _factor(_np.linalg.svd(_np_in(A), compute_uv=False), A, real=True)
    return S if out is None else _fill_out("linalg_svdvals", (out,), (S,), (A,))[0]


def _eigh_raw(A, UPLO):
    w, v = _np.linalg.eigh(_np_in(A), UPLO=UPLO)
    return _factor(w, A, real=True), _factor(v, A)


def _eigh_checks(A, name, UPLO):
    _check(A, name)
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    _refuse_half(A, "linalg_eigh_cpu")


def eigh(A, UPLO="L", *, out=None):
    _eigh_checks(A, "linalg.eigh", UPLO)
    r = _EIGH(*_record("linalg_eigh", _eigh_raw(A, UPLO), (A,), (UPLO,)))
    return r if out is None else _fill_out("linalg_eigh", out, r, (A,))


def eigvalsh(A, UPLO="L", *, out=None):
    _eigh_checks(A, "linalg.eigvalsh", UPLO)
    if _differentiated(A):
        L = _record("linalg_eigh", _eigh_raw(A, UPLO), (A,), (UPLO,))[0]
    else:
        L = _factor(_np.linalg.eigvalsh(_np_in(A), UPLO=UPLO), A, real=True)
    return L if out is None else _fill_out("linalg_eigvalsh", (out,), (L,), (A,))[0]


# ------------------------------------------------------------------ torch.svd / torch.qr

def _svd_legacy(input, some=True, compute_uv=True, *, out=None):
    """torch.svd: (U, S, V) with V, not V^H; zero U and V without compute_uv."""
    if not compute_uv:
        S = svdvals(input)
        m, n = input.shape[-2], input.shape[-1]
        batch = tuple(input.shape[:-2])
        r = _SVD_LEGACY(_zeros(batch + (m, m), dtype=input.dtype, device=input.device), S,
                        _zeros(batch + (n, n), dtype=input.dtype, device=input.device))
    else:
        U, S, Vh = svd(input, full_matrices=not some)
        r = _SVD_LEGACY(U, S, _mH(Vh))
    return r if out is None else _fill_out("svd", out, r, (input,))


def _qr_legacy(input, some=True, *, out=None):
    """torch.qr: linalg.qr in 'reduced' (some) or 'complete' mode."""
    r = _QR_LEGACY(*qr(input, "reduced" if some else "complete"))
    return r if out is None else _fill_out("qr", out, r, (input,))



def vecdot(x, y, *, dim=-1, out=None):
    return (_conj(x) * y).sum(dim)


def diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    return _diagonal(A, offset, dim1, dim2)
