"""torch.lobpcg: a few extreme eigenpairs of a symmetric positive definite
matrix (optionally of the generalized problem A x = lambda B x) by the
locally optimal block preconditioned conjugate gradient method, as a
composition of ctorch's products and linalg.eigh (so it runs on any device).

Each iteration does a Rayleigh-Ritz step on the basis [X, W, P] (the current
approximations, their preconditioned residuals and the previous directions),
B-orthonormalized through the eigendecomposition of its Gram matrix, where
directions that have become linearly dependent are dropped.

Loaded on first use (ctorch._LAZY)."""
from ctorch._core.tensor import Tensor

__all__ = ["lobpcg"]


def _t():
    import ctorch
    return ctorch


def _sym(M):
    return (M + M.transpose(-2, -1)) * 0.5


def _b_orthonormal(S, bmul, eps):
    """An orthonormal basis (in the B inner product) of S's columns: twice
    S V D^-1/2 from the eigendecomposition of S^T B S, keeping the directions
    whose eigenvalue is not negligible."""
    t = _t()
    for _ in range(2):
        d, V = t.linalg.eigh(_sym(S.transpose(0, 1) @ bmul(S)))
        vals = d.tolist()
        top = max(vals) if vals else 0.0
        keep = [i for i, v in enumerate(vals) if v > top * eps]
        if not keep:
            return S[:, :0]
        idx = t.tensor(keep, device=S.device)
        S = (S @ V.index_select(1, idx)) / d.index_select(0, idx).sqrt()
    return S


def _lobpcg_2d(A, B, X, n, k, iK, niter, tol, largest):
    t = _t()
    eps = 1e-10 if A.dtype == t.float64 else 1e-5

    def bmul(V):
        return V if B is None else B @ V

    X = _b_orthonormal(X, bmul, eps)
    if X.shape[1] < n:
        raise RuntimeError("lobpcg: the initial approximation X has linearly dependent columns")
    vals, C = t.linalg.eigh(_sym(X.transpose(0, 1) @ (A @ X)))
    sel = t.arange(n - 1, -1, -1, device=A.device) if largest else t.arange(n, device=A.device)
    theta = vals.index_select(0, sel)
    X = X @ C.index_select(1, sel)
    P = None
    it = 0
    while niter < 0 or it < niter:
        AX = A @ X
        R = AX - bmul(X) * theta
        rn = t.linalg.vector_norm(R, dim=0)
        scale = theta.abs().clamp_min(t.finfo(A.dtype).tiny)
        if bool(((rn[:k] / scale[:k]) <= tol).all()) or not bool(t.isfinite(rn).all()):
            break
        W = R if iK is None else iK @ R
        # unit columns keep the Gram matrix well conditioned as W and P shrink
        W = W / t.linalg.vector_norm(W, dim=0).clamp_min(t.finfo(A.dtype).tiny)
        if P is not None:
            P = P / t.linalg.vector_norm(P, dim=0).clamp_min(t.finfo(A.dtype).tiny)
        S = t.cat([X, W] if P is None else [X, W, P], 1)
        Q = _b_orthonormal(S, bmul, eps)
        vals, C = t.linalg.eigh(_sym(Q.transpose(0, 1) @ (A @ Q)))
        m = vals.shape[0]
        sel = (t.arange(m - 1, m - n - 1, -1, device=A.device) if largest
               else t.arange(n, device=A.device))
        Xn = Q @ C.index_select(1, sel)
        theta = vals.index_select(0, sel)
        P = Xn - X @ (X.transpose(0, 1) @ bmul(Xn))
        X = Xn
        it += 1
    return theta[:k], X[:, :k]


def lobpcg(A, k=None, B=None, X=None, n=None, iK=None, niter=None, tol=None, largest=None,
           method=None, tracker=None, ortho_iparams=None, ortho_fparams=None, ortho_bparams=None):
    """The k largest (or smallest) eigenpairs (E, X) of a symmetric positive
    definite A (*, m, m), or of A x = E B x with B symmetric positive
    definite; X (*, m, n) is the initial block (random when None), iK a
    preconditioner, niter the iteration limit (-1: until convergence), tol
    the relative residual wanted. Eigenvalues come largest first (smallest
    first when largest=False)."""
    t = _t()
    if not isinstance(A, Tensor):
        raise TypeError(f"lobpcg(): argument 'A' must be Tensor, not {type(A).__name__}")
    if A.dim() < 2 or A.shape[-1] != A.shape[-2]:
        raise ValueError(f"A must be square, got shape {A.shape}")
    if not A.dtype.is_floating_point:
        raise RuntimeError(f"lobpcg: expected a floating point A, got {A.dtype}")
    for name, M in (("B", B), ("iK", iK)):
        if M is not None:
            if not isinstance(M, Tensor):
                raise TypeError(f"lobpcg(): argument '{name}' must be Tensor, not {type(M).__name__}")
            if M.shape != A.shape:
                raise ValueError(f"A and {name} must have the same shapes, got {A.shape} and {M.shape}")
    m = A.shape[-1]
    if X is None:
        k = 1 if k is None else k
        n = k if n is None else max(n, k)
    else:
        if not isinstance(X, Tensor):
            raise TypeError(f"lobpcg(): argument 'X' must be Tensor, not {type(X).__name__}")
        if X.dim() < 2 or X.shape[-2] != m or X.shape[:-2] != A.shape[:-2]:
            raise ValueError(f"X must have shape {tuple(A.shape[:-1])} + (n,), got {tuple(X.shape)}")
        n = X.shape[-1]
        k = n if k is None else k
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise ValueError(f"lobpcg: k must be a positive integer, got {k}")
    if k > n:
        raise ValueError(f"lobpcg: k (={k}) must not exceed the block size n (={n})")
    if m < 3 * n:
        raise ValueError(f"LOBPCG algorithm is not applicable when the number of A rows (={m}) is "
                         f"smaller than 3 x the number of requested eigenpairs (={n})")
    niter = 1000 if niter is None else int(niter)
    tol = float(t.finfo(A.dtype).eps) ** 0.5 if tol is None else float(tol)
    largest = True if largest is None else bool(largest)
    batch = tuple(A.shape[:-2])
    if X is None:
        X = t.randn(batch + (m, n), dtype=A.dtype, device=A.device)
    elif X.dtype != A.dtype:
        X = X.to(A.dtype)
    if not batch:
        return _lobpcg_2d(A, B, X, n, k, iK, niter, tol, largest)
    A2, X2 = A.reshape(-1, m, m), X.reshape(-1, m, n)
    B2 = None if B is None else B.reshape(-1, m, m)
    K2 = None if iK is None else iK.reshape(-1, m, m)
    res = [_lobpcg_2d(A2[i], None if B2 is None else B2[i], X2[i], n, k,
                      None if K2 is None else K2[i], niter, tol, largest) for i in range(A2.shape[0])]
    E = t.stack([r[0] for r in res]).reshape(batch + (k,))
    V = t.stack([r[1] for r in res]).reshape(batch + (m, k))
    return E, V
