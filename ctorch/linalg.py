"""torch.linalg: factorizations and solvers.

The factorizations run through numpy.linalg / scipy.linalg's LAPACK on the
tensors' memory (a dense tensor is handed over without a copy); the backward
formulas are written with ctorch ops, so that they can be differentiated again.
"""

import ctorch as _t
from ctorch._core import dispatch as _dispatch
from ctorch._core.dtype import _scalar_name
from ctorch._core.tensor import Tensor, _install_method  # noqa: F401
from ctorch._ops.products import matmul, _conj, _mH  # noqa: F401
from ctorch.autograd.function import Function
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
    """numpy view of A (half is computed in float)."""
    a = A.detach().numpy()
    if a.dtype == _np.float16:
        a = a.astype(_np.float32)
    return a


def _factor(arr, like, real=False):
    """A LAPACK result as a tensor of A's dtype (or its real counterpart)."""
    dt = like.dtype.to_real() if real else like.dtype
    arr = _np.asarray(arr)
    if not arr.flags.c_contiguous:
        arr = arr.copy()
    r = _t.from_numpy(arr)
    return r.to(dt) if r.dtype != dt else r


def _batch_prefix(idx, shape):
    if len(shape) <= 2:
        return ""
    return f"(Batch element {idx}): "


def _lapack(name, a):
    from scipy.linalg import lapack
    return lapack.get_lapack_funcs((name,), (a,))[0]


def _first_failure(a, name, **kwargs):
    """(batch element, LAPACK info) of the first matrix of `a` that LAPACK's
    `name` (getrf: a zero pivot; potrf: a minor not positive-definite) fails
    on, or None."""
    fn = _lapack(name, a)
    flat = a.reshape((-1,) + a.shape[-2:])
    for i in range(flat.shape[0]):
        info = fn(flat[i], **kwargs)[-1]
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
            bad = _first_failure(a, "getrf")
            b, i = bad if bad is not None else (0, 1)
            raise LinAlgError(f"linalg.inv: {_batch_prefix(b, a.shape)}The diagonal element {i} is zero, "
                              "the inversion could not be completed because the input matrix is singular.")
        ctx.save_for_backward(A)
        return _factor(r, A)

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
        bad = _first_failure(_np_in(A), "getrf")
        info = _t.zeros(A.shape[:-2], dtype=_t.int32)
        info.view(-1)[bad[0]] = bad[1]
        return _INVEX(_t.full(A.shape, float("nan"), dtype=A.dtype), info)


# ------------------------------------------------------------------ det

class LinalgDet(Function):
    @staticmethod
    def forward(ctx, A):
        d = _np.linalg.det(_np_in(A))
        ctx.save_for_backward(A)
        return _factor(d, A)

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
    return _SLOGDET(_factor(s, A), _factor(l, A, real=True))


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
        X = _factor(x, A)
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
                           f"A of type {_scalar_name(A.dtype)} and B of type {_scalar_name(B.dtype)} instead")
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
            bad = _first_failure(a, "potrf", lower=1)
            if bad is not None:
                i, info = bad
                raise LinAlgError(
                    f"linalg.cholesky: {_batch_prefix(i, a.shape)}The factorization could not be completed "
                    f"because the input is not positive-definite (the leading minor of order {info} "
                    "is not positive-definite).")
            raise
        Lt = _factor(L, A)
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


# ------------------------------------------------------------------ qr, svd, eigh
#
# The backward formulas below come from differentiating the factorizations
# (<X, Y> = Re tr(X^H Y), gX the gradient of a real loss with respect to X):
#
# eigh, A = V diag(L) V^H: with P = V^H dA V, dL = diag(P) and dV = V (F o P),
#   F_ij = 1 / (L_j - L_i) off the diagonal, 0 on it. A is Hermitian, so the
#   gradient is the Hermitian part: gA = V (diag(gL) + F o (X - X^H) / 2) V^H,
#   X = V^H gV.
# svd, A = U diag(S) V^H (thin, k = min(m, n)): with P = U^H dA V,
#   dS = Re diag(P), U^H dU = F o (P S + S P^H), V^H dV = F o (S P + P^H S)
#   (F_ij = 1 / (S_j^2 - S_i^2)), plus the parts of dU, dV outside the spans
#   of U, V. Collecting the terms, with J = U^H gU and K = V^H gV:
#   gA = U [diag(gS) + (F o (J - J^H)) S + S (F o (K - K^H)) + i Im diag(J) / S] V^H
#        + (I - U U^H) gU S^-1 V^H + U S^-1 gV^H (I - V V^H).
#   The phases of complex singular vectors are free; the loss may depend on
#   them only through U D, V D together, which makes Im diag(J + K) vanish.
# qr, A = Q R with m >= n: C = Q^H dA R^-1 = Q^H dQ + dR R^-1, the first term
#   skew-Hermitian, the second upper triangular with a real diagonal, so
#   Q^H dQ is the strictly lower part of C mirrored, plus i Im diag(C).
#   With N = Q^H gQ - gR R^H and Y = tril(N - N^H) with its diagonal halved:
#   gA = (gQ + Q (Y - N)) R^-H.
#   For m < n, A = [X | W] and R = [R1 | R2]: X = Q R1 is a square QR and
#   R2 = Q^H W, so gW = Q gR2 and X sees gQ + W gR2^H.

def _refuse_half(A, kernel):
    if A.dtype == _t.float16:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Half'")


def _fill_out(name, out, results, inputs):
    """Copies the results into the out= tensors (resized as needed)."""
    if not isinstance(out, (tuple, list)) or len(out) != len(results) or \
            not all(isinstance(o, Tensor) for o in out):
        raise TypeError(f"{name}(): argument 'out' must be tuple of {len(results)} Tensors")
    if _t.is_grad_enabled() and any(a.requires_grad for a in inputs):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    for o, r in zip(out, results):
        if o.dtype != r.dtype:
            raise RuntimeError(f"Expected out tensor to have dtype {r.dtype}, but got {o.dtype} instead")
        o.resize_(r.shape).copy_(r)
    return type(results)(*out) if hasattr(results, "_fields") else tuple(out)


def _offdiag_inverse(d):
    """F_ij = 1 / (d_j - d_i) off the diagonal, 0 on it (d real, (..., k))."""
    eye = _t.eye(d.shape[-1], dtype=d.dtype)
    return (1 - eye) / (d.unsqueeze(-2) - d.unsqueeze(-1) + eye)


def _i_imag_diag(X):
    """i Im diag(X) of a complex X as a vector."""
    d = X.diagonal(0, -2, -1)
    return 0.5 * (d - _conj(d))


def _phase_dependent(v, scale):
    """Whether the imaginary parts in v (as i Im) are too large to be rounding."""
    return v.numel() > 0 and v.abs().max().item() > 1e-6 * (1.0 + scale)


class LinalgQr(Function):
    @staticmethod
    def forward(ctx, A, mode):
        a = _np_in(A)
        ctx.mode = mode
        ctx.set_materialize_grads(False)
        if mode == "r":
            R = _factor(_np.linalg.qr(a, mode="r"), A)
            return _t.empty(0, dtype=A.dtype), R
        q, r = _np.linalg.qr(a, mode=mode)
        Q, R = _factor(q, A), _factor(r, A)
        ctx.save_for_backward(Q, R)
        return Q, R

    @staticmethod
    def backward(ctx, gQ, gR):
        if ctx.mode == "r":
            raise RuntimeError("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. "
                               "Please use linalg.qr(A, mode='reduced') if you are going to differentiate "
                               "through linalg.qr.")
        Q, R = ctx.saved_tensors
        m, n = Q.shape[-2], R.shape[-1]
        if ctx.mode == "complete" and m > n:
            raise RuntimeError("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.")
        if gQ is None and gR is None:
            return None
        if m >= n:
            return _qr_backward_tall(Q, R, gQ, gR)
        R1, R2 = R[..., :m], R[..., m:]
        gR1 = gR[..., :m] if gR is not None else None
        gQ1 = gQ
        if gR is not None:
            gR2 = gR[..., m:]
            W_gR2h = matmul(Q, matmul(R2, _mH(gR2)))
            gQ1 = W_gR2h if gQ is None else gQ + W_gR2h
        gX = _qr_backward_tall(Q, R1, gQ1, gR1)
        gW = matmul(Q, gR2) if gR is not None else _t.zeros_like(R2)
        return _t.cat([gX, gW], -1)


LinalgQr._backward_name = "LinalgQrBackward0"


def _qr_backward_tall(Q, R, gQ, gR):
    N = None
    if gQ is not None:
        N = matmul(_mH(Q), gQ)
    if gR is not None:
        gRRh = matmul(gR, _mH(R))
        N = -gRRh if N is None else N - gRRh
    D = N - _mH(N)
    Y = _t.tril(D) - 0.5 * _t.diag_embed(D.diagonal(0, -2, -1))
    B = matmul(Q, Y - N)
    if gQ is not None:
        B = B + gQ
    return solve(_mH(R), B, left=False)


def qr(A, mode="reduced", *, out=None):
    _check(A, "linalg.qr", square=False)
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of 'reduced' "
                           "(default), 'r', or 'complete'")
    _refuse_half(A, "geqrf_cpu")
    r = _QR(*LinalgQr.apply(A, mode))
    return r if out is None else _fill_out("linalg_qr", out, r, (A,))


class LinalgSvd(Function):
    @staticmethod
    def forward(ctx, A, full_matrices):
        u, s, vh = _np.linalg.svd(_np_in(A), full_matrices=full_matrices)
        U, S, Vh = _factor(u, A), _factor(s, A, real=True), _factor(vh, A)
        ctx.set_materialize_grads(False)
        ctx.save_for_backward(U, S, Vh)
        return U, S, Vh

    @staticmethod
    def backward(ctx, gU, gS, gVh):
        U, S, Vh = ctx.saved_tensors
        k = S.shape[-1]
        # full_matrices: the columns past k are free (any orthonormal completion);
        # like PyTorch, only the first k take part
        if U.shape[-1] != k:
            U = U[..., :k]
            gU = gU[..., :k] if gU is not None else None
        if Vh.shape[-2] != k:
            Vh = Vh[..., :k, :]
            gVh = gVh[..., :k, :] if gVh is not None else None
        return _svd_backward(U, S, Vh, gU, gS, gVh)


LinalgSvd._backward_name = "LinalgSvdBackward0"


def _svd_backward(U, S, Vh, gU, gS, gVh):
    if gU is None and gVh is None:
        if gS is None:
            return None
        return matmul(U * gS.unsqueeze(-2), Vh)
    m, n, k = U.shape[-2], Vh.shape[-1], S.shape[-1]
    F = _offdiag_inverse(S * S)
    inner = _t.diag_embed(gS) if gS is not None else _t.zeros(tuple(S.shape) + (k,), dtype=S.dtype)
    J = K = None
    if gU is not None:
        J = matmul(_mH(U), gU)
        inner = inner + (F * (J - _mH(J))) * S.unsqueeze(-2)
    if gVh is not None:
        K = matmul(Vh, _mH(gVh))
        inner = inner + S.unsqueeze(-1) * (F * (K - _mH(K)))
    if U.is_complex() and k > 0:
        # the phase of U's columns is taken from the loss through J; V's then follows
        phase = [_i_imag_diag(X) for X in (J, K) if X is not None]
        scale = max(X.abs().max().item() for X in (J, K) if X is not None)
        if _phase_dependent(sum(phase[1:], phase[0]), scale):
            raise RuntimeError("svd_backward: The singular vectors in the complex case are specified up to "
                               "multiplication by e^{i phi}. The specified loss function depends on this phase "
                               "term, making it ill-defined.")
        if J is not None:
            inner = inner + _t.diag_embed(phase[0] / S)
    rhs = matmul(inner, Vh)
    if gVh is not None and n > k:
        rhs = rhs + (gVh - matmul(_mH(K), Vh)) / S.unsqueeze(-1)
    gA = matmul(U, rhs)
    if gU is not None and m > k:
        gA = gA + matmul((gU - matmul(U, J)) / S.unsqueeze(-2), Vh)
    return gA


def _svd_checks(A, name, driver):
    _check(A, name, square=False)
    if driver is not None:
        raise RuntimeError("torch.linalg.svd: keyword argument `driver=` is only supported on CUDA inputs "
                           "with cuSOLVER backend.")
    _refuse_half(A, "linalg_svd_cpu")


def svd(A, full_matrices=True, *, driver=None, out=None):
    _svd_checks(A, "linalg.svd", driver)
    r = _SVD(*LinalgSvd.apply(A, full_matrices))
    return r if out is None else _fill_out("linalg_svd", out, r, (A,))


def _differentiated(A):
    return _t.is_grad_enabled() and A.requires_grad


def svdvals(A, *, driver=None, out=None):
    _svd_checks(A, "linalg.svdvals", driver)
    if _differentiated(A):
        # the gradient needs the singular vectors
        S = LinalgSvd.apply(A, False)[1]
    else:
        S = _factor(_np.linalg.svd(_np_in(A), compute_uv=False), A, real=True)
    return S if out is None else _fill_out("linalg_svdvals", (out,), (S,), (A,))[0]


class LinalgEigh(Function):
    @staticmethod
    def forward(ctx, A, UPLO):
        w, v = _np.linalg.eigh(_np_in(A), UPLO=UPLO)
        L, V = _factor(w, A, real=True), _factor(v, A)
        ctx.set_materialize_grads(False)
        ctx.save_for_backward(L, V)
        return L, V

    @staticmethod
    def backward(ctx, gL, gV):
        L, V = ctx.saved_tensors
        if gV is None:
            if gL is None:
                return None
            return matmul(V * gL.unsqueeze(-2), _mH(V))
        X = matmul(_mH(V), gV)
        if V.is_complex() and X.numel() and _phase_dependent(_i_imag_diag(X), X.abs().max().item()):
            raise RuntimeError("linalg_eigh_backward: The eigenvectors in the complex case are specified up to "
                               "multiplication by e^{i phi}. The specified loss function depends on this "
                               "quantity, so it is ill-defined.")
        inner = _offdiag_inverse(L) * (0.5 * (X - _mH(X)))
        if gL is not None:
            inner = inner + _t.diag_embed(gL)
        return matmul(matmul(V, inner), _mH(V))


LinalgEigh._backward_name = "LinalgEighBackward0"


def _eigh_checks(A, name, UPLO):
    _check(A, name)
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    _refuse_half(A, "linalg_eigh_cpu")


def eigh(A, UPLO="L", *, out=None):
    _eigh_checks(A, "linalg.eigh", UPLO)
    r = _EIGH(*LinalgEigh.apply(A, UPLO))
    return r if out is None else _fill_out("linalg_eigh", out, r, (A,))


def eigvalsh(A, UPLO="L", *, out=None):
    _eigh_checks(A, "linalg.eigvalsh", UPLO)
    if _differentiated(A):
        L = LinalgEigh.apply(A, UPLO)[0]
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
        r = _SVD_LEGACY(_t.zeros(batch + (m, m), dtype=input.dtype), S,
                        _t.zeros(batch + (n, n), dtype=input.dtype))
    else:
        U, S, Vh = svd(input, full_matrices=not some)
        r = _SVD_LEGACY(U, S, _mH(Vh))
    return r if out is None else _fill_out("svd", out, r, (input,))


def _qr_legacy(input, some=True, *, out=None):
    """torch.qr: linalg.qr in 'reduced' (some) or 'complete' mode."""
    r = _QR_LEGACY(*qr(input, "reduced" if some else "complete"))
    return r if out is None else _fill_out("qr", out, r, (input,))


_install_method("svd", _svd_legacy)
_install_method("qr", _qr_legacy)

def vecdot(x, y, *, dim=-1, out=None):
    return (_conj(x) * y).sum(dim)


def diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    return _t.diagonal(A, offset, dim1, dim2)
