"""torch.linalg: factorizations and solvers.

The factorizations run through numpy.linalg / scipy.linalg's LAPACK on the
tensors' memory (a dense tensor is handed over without a copy); the backward
formulas are written with ctorch ops, so that they can be differentiated again.
"""
from collections import namedtuple

import numpy as _np

import ctorch as _t
from ctorch._C import Tensor, matmul, _conj, _mH  # noqa: F401
from ctorch.autograd.function import Function

__all__ = ["LinAlgError", "inv", "inv_ex", "det", "slogdet", "solve", "cholesky", "cholesky_ex",
           "qr", "svd", "svdvals", "eigh", "eigvalsh", "matmul", "vecdot", "diagonal"]


class LinAlgError(RuntimeError):
    """Raised when a factorization cannot be completed (singular or not
    positive-definite input)."""


_QR = namedtuple("linalg_qr", ["Q", "R"])
_SVD = namedtuple("linalg_svd", ["U", "S", "Vh"])
_EIGH = namedtuple("linalg_eigh", ["eigenvalues", "eigenvectors"])
_SLOGDET = namedtuple("linalg_slogdet", ["sign", "logabsdet"])
_INVEX = namedtuple("linalg_inv_ex", ["inverse", "info"])
_CHOLEX = namedtuple("linalg_cholesky_ex", ["L", "info"])


def _check(A, name, square=True):
    if not isinstance(A, Tensor):
        raise TypeError(f"{name}(): argument 'A' (position 1) must be Tensor, not {type(A).__name__}")
    if A.dim() < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if not (A.dtype.is_floating_point or A.dtype.is_complex):
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. "
                           f"Got {_t._C._scalar_name(A.dtype)}")
    if square and A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")


def _np_in(A):
    """numpy view of A (half is computed in float)."""
    a = A.detach().numpy()
    if a.dtype == _np.float16:
        a = a.astype(_np.float32)
    return a


def _out(arr, like):
    arr = _np.asarray(arr)
    if not arr.flags.c_contiguous:
        arr = arr.copy()
    r = _t.from_numpy(arr)
    return r.to(like.dtype) if r.dtype != like.dtype else r


def _batch_prefix(idx, shape):
    if len(shape) <= 2:
        return ""
    return f"(Batch element {idx}): "


def _lapack(name, a):
    from scipy.linalg import lapack
    return lapack.get_lapack_funcs((name,), (a,))[0]


def _singular_info(a, name):
    """First batch element and 1-based zero pivot of LU."""
    getrf = _lapack("getrf", a)
    flat = a.reshape((-1,) + a.shape[-2:])
    for i in range(flat.shape[0]):
        _, _, info = getrf(flat[i])
        if info > 0:
            return i, info
    return None


# ------------------------------------------------------------------ inv

class LinalgInvEx(Function):
    @staticmethod
    def forward(ctx, A):
        a = _np_in(A)
        try:
            r = _np.linalg.inv(a)
        except _np.linalg.LinAlgError:
            bad = _singular_info(a, "inv")
            b, i = bad if bad is not None else (0, 1)
            raise LinAlgError(f"linalg.inv: {_batch_prefix(b, a.shape)}The diagonal element {i} is zero, "
                              "the inversion could not be completed because the input matrix is singular.")
        ctx.save_for_backward(A)
        return _out(r, A)

    @staticmethod
    def backward(ctx, g):
        A, = ctx.saved_tensors
        Ai = _mH(inv(A))
        return -matmul(matmul(Ai, g), Ai)


LinalgInvEx._backward_name = "LinalgInvExBackward0"


def inv(A, *, out=None):
    _check(A, "linalg.inv")
    r = LinalgInvEx.apply(A)
    if out is not None:
        out.copy_(r)
        return out
    return r


def inv_ex(A, *, check_errors=False, out=None):
    _check(A, "linalg.inv_ex")
    try:
        return _INVEX(inv(A), _t.zeros(A.shape[:-2], dtype=_t.int32))
    except LinAlgError:
        if check_errors:
            raise
        bad = _singular_info(_np_in(A), "inv")
        info = _t.zeros(A.shape[:-2], dtype=_t.int32)
        info.view(-1)[bad[0]] = bad[1]
        return _INVEX(_t.full(A.shape, float("nan"), dtype=A.dtype), info)


# ------------------------------------------------------------------ det

class LinalgDet(Function):
    @staticmethod
    def forward(ctx, A):
        d = _np.linalg.det(_np_in(A))
        ctx.save_for_backward(A)
        return _out(_np.asarray(d), A)

    @staticmethod
    def backward(ctx, g):
        A, = ctx.saved_tensors
        d = det(A)
        return (_conj(g * d)).unsqueeze(-1).unsqueeze(-1) * _mH(inv(A))


LinalgDet._backward_name = "LinalgDetBackward0"


def det(A, *, out=None):
    _check(A, "linalg.det")
    r = LinalgDet.apply(A)
    if out is not None:
        out.copy_(r)
        return out
    return r


def slogdet(A, *, out=None):
    _check(A, "linalg.slogdet")
    s, l = _np.linalg.slogdet(_np_in(A))
    return _SLOGDET(_out(_np.asarray(s), A), _out(_np.asarray(l), A).to(A.dtype.to_real()))


# ------------------------------------------------------------------ solve

def _vector_case(A, B):
    return B.dim() == 1 or (B.dim() == A.dim() - 1 and tuple(B.shape) == tuple(A.shape[:-1]))


class LinalgSolveEx(Function):
    @staticmethod
    def forward(ctx, A, B, vec):
        a, b = _np_in(A), _np_in(B)
        if vec:
            b = b[..., None]
        try:
            x = _np.linalg.solve(a, b)
        except _np.linalg.LinAlgError:
            raise LinAlgError("torch.linalg.solve: The solver failed because the input matrix is singular.")
        if vec:
            x = x[..., 0]
        X = _out(x, A)
        ctx.vec = vec
        ctx.save_for_backward(A, B, X)
        return X

    @staticmethod
    def backward(ctx, g):
        A, B, X = ctx.saved_tensors
        gB = solve(_mH(A), g)
        if ctx.vec:
            gA = -(gB.unsqueeze(-1) * _conj(X).unsqueeze(-2))
        else:
            gA = -matmul(gB, _mH(X))
        if tuple(gA.shape) != tuple(A.shape):
            gA = gA.sum_to_size(A.shape)
        if tuple(gB.shape) != tuple(B.shape):
            gB = gB.sum_to_size(B.shape)
        return gA, gB, None


LinalgSolveEx._backward_name = "LinalgSolveExBackward0"


def solve(A, B, *, left=True, out=None):
    _check(A, "linalg.solve")
    if not isinstance(B, Tensor):
        raise TypeError(f"linalg_solve(): argument 'B' (position 2) must be Tensor, not {type(B).__name__}")
    if A.dtype != B.dtype:
        raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found "
                           f"A of type {_t._C._scalar_name(A.dtype)} and B of type {_t._C._scalar_name(B.dtype)} instead")
    if not left:
        return solve(A.mT, B.mT).mT
    vec = _vector_case(A, B)
    rows = B.shape[-1] if vec else B.shape[-2]
    if rows != A.shape[-1]:
        cols = 1 if vec else B.shape[-1]
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation AX = B "
                           f"({A.shape[-2]}x{A.shape[-1]} and {rows}x{cols})")
    r = LinalgSolveEx.apply(A, B, vec)
    if out is not None:
        out.copy_(r)
        return out
    return r


# ------------------------------------------------------------------ cholesky

class LinalgCholeskyEx(Function):
    @staticmethod
    def forward(ctx, A):
        a = _np_in(A)
        try:
            L = _np.linalg.cholesky(a)
        except _np.linalg.LinAlgError:
            potrf = _lapack("potrf", a)
            flat = a.reshape((-1,) + a.shape[-2:])
            for i in range(flat.shape[0]):
                _, info = potrf(flat[i], lower=1)
                if info > 0:
                    raise LinAlgError(
                        f"linalg.cholesky: {_batch_prefix(i, a.shape)}The factorization could not be completed "
                        f"because the input is not positive-definite (the leading minor of order {info} "
                        "is not positive-definite).")
            raise
        Lt = _out(L, A)
        ctx.save_for_backward(Lt)
        return Lt

    @staticmethod
    def backward(ctx, gL):
        L, = ctx.saved_tensors
        P = matmul(_mH(L), gL)
        P = _t.tril(P) - 0.5 * _t.diag_embed(P.diagonal(0, -2, -1))
        Li = inv(L)
        gA = matmul(matmul(_mH(Li), P), Li)
        return 0.5 * (gA + _mH(gA))


LinalgCholeskyEx._backward_name = "LinalgCholeskyExBackward0"


def cholesky(A, *, upper=False, out=None):
    _check(A, "linalg.cholesky")
    L = LinalgCholeskyEx.apply(A)
    if upper:
        L = _mH(L)
    if out is not None:
        out.copy_(L)
        return out
    return L


def cholesky_ex(A, *, upper=False, check_errors=False, out=None):
    return _CHOLEX(cholesky(A, upper=upper), _t.zeros(A.shape[:-2], dtype=_t.int32))


# ------------------------------------------------------------------ forward-only factorizations

def qr(A, mode="reduced", *, out=None):
    _check(A, "linalg.qr", square=False)
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of 'reduced' "
                           "(default), 'r', or 'complete'")
    a = _np_in(A)
    if mode == "r":
        r = _np.linalg.qr(a, mode="r")
        return _QR(_t.empty(0, dtype=A.dtype), _out(r, A))
    q, r = _np.linalg.qr(a, mode=mode)
    return _QR(_out(q, A), _out(r, A))


def svd(A, full_matrices=True, *, driver=None, out=None):
    _check(A, "linalg.svd", square=False)
    u, s, vh = _np.linalg.svd(_np_in(A), full_matrices=full_matrices)
    return _SVD(_out(u, A), _out(s, A).to(A.dtype.to_real()), _out(vh, A))


def svdvals(A, *, driver=None, out=None):
    _check(A, "linalg.svdvals", square=False)
    return _out(_np.linalg.svd(_np_in(A), compute_uv=False), A).to(A.dtype.to_real())


def eigh(A, UPLO="L", *, out=None):
    _check(A, "linalg.eigh")
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    w, v = _np.linalg.eigh(_np_in(A), UPLO=UPLO)
    return _EIGH(_out(w, A).to(A.dtype.to_real()), _out(v, A))


def eigvalsh(A, UPLO="L", *, out=None):
    _check(A, "linalg.eigvalsh")
    return _out(_np.linalg.eigvalsh(_np_in(A), UPLO=UPLO), A).to(A.dtype.to_real())


def vecdot(x, y, *, dim=-1, out=None):
    return (_conj(x) * y).sum(dim)


def diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    return _t.diagonal(A, offset, dim1, dim2)
