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
from ctorch._core.dtype import (_scalar_name, float16 as _float16, int32 as _int32, int64 as _int64,
                                promote_types as _promote_types, bfloat16 as _bfloat16,
                                float32 as _float32, float64 as _float64)
from ctorch._core.iterator import _write_out, _same_device_py
from ctorch._core.tensor import Tensor, from_numpy as _from_numpy, _dim_alias, _required
from ctorch._ops.creation import empty as _empty, full as _full, zeros as _zeros, eye as _eye
from ctorch._ops.elementwise import where as _where
from ctorch._ops.views import diagonal as _diagonal
from ctorch._ops.reduce import _norm2, _norm_p
from ctorch._ops.products import matmul, _conj, _mH  # noqa: F401  (matmul: torch.linalg.matmul)
from ctorch._ops.products import _cross_kernel
from ctorch.autograd._node import _record, is_grad_enabled as _is_grad_enabled
from ctorch.return_types import (
    linalg_qr as _QR, linalg_svd as _SVD, linalg_eigh as _EIGH, linalg_slogdet as _SLOGDET,
    linalg_inv_ex as _INVEX, linalg_cholesky_ex as _CHOLEX, qr as _QR_LEGACY, svd as _SVD_LEGACY,
    linalg_lu_factor as _LUF, linalg_lu_factor_ex as _LUFEX, linalg_lu as _LU, lu_unpack as _LU_UNPACK,
    linalg_solve_ex as _SOLVEX, linalg_eig as _EIG, linalg_lstsq as _LSTSQ, geqrf as _GEQRF,
    linalg_ldl_factor as _LDL, linalg_ldl_factor_ex as _LDLEX, triangular_solve as _TRISOLVE,
)
from ctorch._ops.products import _autocast_state, _autocast_call, _multi_dot_2d, _matrix_power_pos
from ctorch._ops import linalg_k as _lk


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
           "qr", "svd", "svdvals", "eigh", "eigvalsh", "matmul", "vecdot", "diagonal",
           "vector_norm", "matrix_norm", "norm", "cond", "solve_triangular", "lu_factor", "lu_factor_ex",
           "lu", "lu_solve", "solve_ex", "matrix_power", "matrix_exp", "pinv", "matrix_rank", "multi_dot",
           "cross", "eig", "eigvals", "lstsq", "householder_product", "ldl_factor", "ldl_factor_ex",
           "ldl_solve", "tensorinv", "tensorsolve", "vander"]


_MISSING = object()


def _takes_tensors(fname, *names):
    """Checks that the arguments `names` of the decorated function are
    tensors, with PyTorch's TypeError otherwise."""
    def deco(f):
        import functools
        import inspect
        params = list(inspect.signature(f).parameters)
        idx = tuple((params.index(n), n) for n in names)

        @functools.wraps(f)
        def call(*args, **kwargs):
            for i, n in idx:
                v = args[i] if i < len(args) else kwargs.get(n, _MISSING)
                if v is not _MISSING and not isinstance(v, Tensor):
                    raise TypeError(f"{fname}(): argument '{n}' (position {i + 1}) must be Tensor, "
                                    f"not {type(v).__name__}")
            return f(*args, **kwargs)
        return call
    return deco


class LinAlgError(RuntimeError):
    """Raised when a factorization cannot be completed (singular or not
    positive-definite input)."""


def _check_solve_shapes(A, B, left, name, a_name, square_name):
    """The shape checks of a solve with a square (batched) A: both at least
    2-d, A square, B's rows (left) or columns (right) matching; PyTorch's
    messages (square_name: the prefix its squareness message uses)."""
    if _lk.solve_shapes_ok(A, B, left):
        return
    if B.dim() < 2:
        raise RuntimeError(f"{name}: The input tensor B must have at least 2 dimensions.")
    if A.dim() < 2:
        raise RuntimeError(f"{name}: The input tensor {a_name} must have at least 2 dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"{square_name}: A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")
    n = A.shape[-1]
    if (B.shape[-2] if left else B.shape[-1]) != n:
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(f"{name}: Incompatible shapes of A and B for the equation {eq} "
                           f"({n}x{n} and {B.shape[-2]}x{B.shape[-1]})")


def _check(A, name, square=True):
    if not _lk.matrices_ok(A, square):
        _raise_check(A, name, square)


def _raise_check(A, name, square):
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
    if A.dtype == _bfloat16:
        # LAPACK has no bfloat16, and PyTorch refuses it here too
        raise RuntimeError("Low precision dtypes not supported. Got BFloat16")
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


_SCIPY_BLAS_LOCAL = []


def _scipy_blas_local():
    """OpenBLAS's per-thread thread count setter of scipy's BLAS (None when
    scipy's BLAS is not OpenBLAS)."""
    if not _SCIPY_BLAS_LOCAL:
        fn = None
        try:
            import ctypes
            import os
            from scipy.linalg import _fblas
            lib = ctypes.CDLL(_fblas.__file__, mode=os.RTLD_NOLOAD | os.RTLD_LAZY)
            fn = lib.openblas_set_num_threads_local
            fn.restype, fn.argtypes = ctypes.c_int, [ctypes.c_int]
        except (OSError, AttributeError, ImportError):
            fn = None
        _SCIPY_BLAS_LOCAL.append(fn)
    return _SCIPY_BLAS_LOCAL[0]


def _serial(f):
    """f runs scipy's BLAS/LAPACK on the calling thread only (as numpy's, see
    _SerialLinalg): these are small factorizations, and a threaded BLAS leaves
    workers spinning that take the cores from the ops that follow."""
    def call(*args, **kwargs):
        local = _scipy_blas_local()
        if local is None:
            return f(*args, **kwargs)
        prev = local(1)
        try:
            return f(*args, **kwargs)
        finally:
            local(prev)
    import functools
    return functools.wraps(f)(call)


def _serial_call(f, *args):
    """f(*args) with scipy's BLAS on the calling thread only (as _serial)."""
    local = _scipy_blas_local()
    if local is None:
        return f(*args)
    prev = local(1)
    try:
        return f(*args)
    finally:
        local(prev)


_ROUTINES = {}


def _routine(lib, name, a):
    """scipy's routine `name` of scipy.linalg.<lib> ("lapack" or "blas") for
    a's dtype (looked up once per dtype)."""
    key = (lib, name, a.dtype.char)
    fn = _ROUTINES.get(key)
    if fn is None:
        import importlib
        mod = importlib.import_module("scipy.linalg." + lib)
        getter = mod.get_lapack_funcs if lib == "lapack" else mod.get_blas_funcs
        fn = _ROUTINES[key] = getter((name,), (a,))[0]
    return fn


def _lapack(name, a):
    return _routine("lapack", name, a)


@_serial
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

def _first_info(info):
    """(batch element, info) of the first nonzero entry of the int32 info
    tensor, or None."""
    return _lk.first_nonzero(info)


def _inv_kernel(A):
    """inv(A) by ctorch's LU kernels (None where they do not apply)."""
    n = A.shape[-1]
    f = _lk.lu(A) if n else None
    if f is None:
        return None
    LU, piv, info = f
    bad = _first_info(info)
    if bad is not None:
        b, i = bad
        raise LinAlgError(f"linalg.inv: {_batch_prefix(b, A.shape)}The diagonal element {i} is zero, "
                          "the inversion could not be completed because the input matrix is singular.")
    return _lk.lu_inv(LU, piv)


def _inv_raw(A):
    if not A.is_cuda:
        r = _inv_kernel(A.detach())
        if r is not None:
            return r
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
    r = None if A.is_cuda or not A.shape[-1] else _lk.det(A.detach(), False)
    if r is None:
        r = _factor(_np.linalg.det(_np_in(A)), A)
    return _to_out(_record("linalg_det", r, (A,)), out, "linalg_det")


def slogdet(A, *, out=None):
    _check(A, "linalg.slogdet")
    r = None if A.is_cuda or not A.shape[-1] else _lk.det(A.detach(), True)
    if r is None:
        s, l = _np.linalg.slogdet(_np_in(A))
        r = (_factor(s, A), _factor(l, A, real=True))
    r = _record("linalg_slogdet", r, (A,))
    return _SLOGDET(*r)


# ------------------------------------------------------------------ solve

def _vector_case(A, B):
    return B.dim() == 1 or (B.dim() == A.dim() - 1 and tuple(B.shape) == tuple(A.shape[:-1]))


def _solve_kernel(A, B, vec):
    """A^-1 B by ctorch's LU kernels (None where they do not apply)."""
    f = _lk.lu(A) if A.shape[-1] else None
    if f is None:
        return None
    LU, piv, info = f
    bad = _first_info(info)
    if bad is not None:
        raise LinAlgError(f"torch.linalg.solve: {_batch_prefix(bad[0], A.shape)}The solver failed because "
                          "the input matrix is singular.")
    if vec:
        B = B.unsqueeze(-1)
    if tuple(LU.shape[:-2]) != tuple(B.shape[:-2]):
        batch = _broadcast_shape(tuple(LU.shape[:-2]), tuple(B.shape[:-2]))
        n = LU.shape[-1]
        LU, piv = LU.expand(*batch, n, n), piv.expand(*batch, n)
        B = B.expand(*batch, *B.shape[-2:])
    X = _lk.lu_solve(LU, piv, B, True, False)
    if X is not None and vec:
        X = X.squeeze(-1)
    return X


def _solve_raw(A, B, vec):
    if not A.is_cuda and A.dtype == B.dtype:
        X = _solve_kernel(A.detach(), B.detach(), vec)
        if X is not None:
            return X
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

@_serial
def _potrf_each(a):
    """(L, info) of each matrix of `a` by LAPACK's potrf: where it stops,
    the partial factor it leaves (the failing minor's diagonal entry, the
    columns after it unfactored)."""
    fn = _lapack("potrf", a)
    flat = a.reshape((-1,) + a.shape[-2:])
    Ls = _np.empty_like(flat)
    infos = _np.zeros(flat.shape[0], _np.int32)
    for i in range(flat.shape[0]):
        Ls[i], infos[i] = fn(flat[i], lower=1, clean=1)
    return Ls.reshape(a.shape), infos.reshape(a.shape[:-2])


def _cholesky_info(A):
    """(L, info) of A without raising: L the lower factor (partial where the
    factorization stops), info int32 on the CPU (potrf's, per matrix)."""
    r = None if A.is_cuda or not A.shape[-1] else _lk.cholesky(A)
    if r is not None:
        return r
    a = _np_in(A)
    try:
        return _factor(_np.linalg.cholesky(a), A), _zeros(A.shape[:-2], dtype=_int32)
    except _np.linalg.LinAlgError:
        L, info = _potrf_each(a)
        return _factor(L, A), _from_numpy(info)


def _check_cholesky_info(info, shape, name):
    bad = _first_info(info)
    if bad is not None:
        i, v = bad
        raise LinAlgError(
            f"{name}: {_batch_prefix(i, shape)}The factorization could not be completed "
            f"because the input is not positive-definite (the leading minor of order {v} "
            "is not positive-definite).")


def _cholesky_raw(A):
    L, info = _cholesky_info(A)
    _check_cholesky_info(info, A.shape, "linalg.cholesky")
    return L


def cholesky(A, *, upper=False, out=None):
    _check(A, "linalg.cholesky")
    L = _record("linalg_cholesky_ex", _cholesky_raw(A), (A,))
    if upper:
        L = _mH(L)
    return _to_out(L, out, "linalg_cholesky")


def cholesky_ex(A, *, upper=False, check_errors=False, out=None):
    _check(A, "linalg.cholesky")
    L, info = _cholesky_info(A)
    if check_errors:
        _check_cholesky_info(info, A.shape, "linalg.cholesky_ex")
    L = _record("linalg_cholesky_ex", L, (A,))
    if upper:
        L = _mH(L)
    r = _CHOLEX(L, info.to(A.device) if A.is_cuda else info)
    return r if out is None else _fill_out("linalg_cholesky_ex", out, r, (A,))


# ------------------------------------------------------------------ qr, svd, eigh

def _refuse_half(A, kernel):
    if A.dtype == _float16 or A.dtype == _bfloat16:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_scalar_name(A.dtype)}'")


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


@_serial
def _qr_lapack(a):
    """Q, R of one tall or square matrix (m >= n): LAPACK's geqrf and
    orgqr / ungqr called directly (numpy's qr adds copies and layout
    changes around the same two routines)."""
    n = a.shape[1]
    # a Fortran-ordered copy, always (the input's memory must stay untouched)
    h, tau, _, info = _lapack("geqrf", a)(_np.array(a, order="F"), overwrite_a=True)
    r = _np.triu(h[:n])
    gqr = "ungqr" if _np.iscomplexobj(h) else "orgqr"
    q, _, info2 = _lapack(gqr, h)(h, tau, overwrite_a=True)
    if info or info2:
        raise RuntimeError("linalg.qr: LAPACK failed")
    return q, r


def _qr_raw(A, mode):
    if not A.is_cuda:
        # ctorch's Householder kernels (unblocked for small matrices, where
        # a LAPACK call per matrix costs more than its arithmetic; blocked
        # on the gemm otherwise); LAPACK where they decline
        r = _lk.qr(A.detach(), mode)
        if r is not None:
            return r
    a = _np_in(A)
    if (a.ndim == 2 and a.shape[0] >= a.shape[1] > 0 and a.dtype.char in "fdFD"
            and (mode == "reduced" or a.shape[0] == a.shape[1])):
        q, r = _qr_lapack(a)
        return _factor(q, A), _factor(r, A)
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


@_serial
def _gesdd(a, full_matrices, compute_uv):
    """(u, s, vh) or s of one matrix by LAPACK's gesdd in a's own precision
    (numpy.linalg computes float32 in float64), or None where LAPACK
    reports no convergence."""
    r = _lapack("gesdd", a)(_np.array(a, order="F"), compute_uv=int(compute_uv),
                            full_matrices=int(full_matrices), overwrite_a=True)
    if r[-1] != 0:
        return None
    return r[:3] if compute_uv else r[1]


def _svd_tall(A):
    """(U, S, Vh) reduced of a tall real matrix (rows at least 11/6 of its
    columns, where LAPACK's gesdd itself first reduces A to R by QR): the
    QR by ctorch's kernel, gesdd on R, U = Q U_R; None where it does not
    apply."""
    if A.is_cuda or A.dim() != 2 or A.dtype not in (_float32, _float64):
        return None
    m, n = A.shape
    if not (0 < n and m >= n * 11 // 6 and m > 32):
        return None
    r = _lk.qr(A.detach(), "reduced")
    if r is None:
        return None
    Q, R = r
    f = _serial_call(_lk.gesdd_vectors, R, False)
    if f is None:
        return None
    u, s, vh = f
    return matmul(Q, u), s, vh


def _svd_raw(A, full_matrices):
    if not full_matrices:
        r = _svd_tall(A)
        if r is not None:
            return r
    if not A.is_cuda:
        # real float host matrices: the kernel's gesdd loop (U, Vh column-major)
        r = _serial_call(_lk.gesdd_vectors, A.detach(), full_matrices)
        if r is not None:
            return r
    a = _np_in(A)
    if a.ndim == 2 and min(a.shape) > 0 and a.dtype.char in "fFdD":
        r = _gesdd(a, full_matrices, True)
        if r is not None:
            u, s, vh = r
            return _factor(u, A), _factor(s, A, real=True), _factor(vh, A)
    u, s, vh = _np.linalg.svd(a, full_matrices=full_matrices)
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
    if not A.is_cuda:
        # float64 matrices that need no history (None: the paths below); small
        # float32 ones in float64 too (the kernel there, over twice as fast
        # as float32 gesdd for 8x8; larger ones keep LAPACK's float32 flops)
        S = None
        if A.dtype == _float32 and A.dim() >= 2 and A.shape[-1] * A.shape[-2] <= 4096 \
                and not _differentiated(A):
            S = _serial_call(_lk.svd_values, A.detach().to(_float64), 0)
            if S is not None:
                S = S.to(_float32)
        if S is None:
            S = _serial_call(_lk.svd_values, A, 0)
        if S is not None:
            return S if out is None else _fill_out("linalg_svdvals", (out,), (S,), (A,))[0]
    if _differentiated(A):
        # the gradient needs the singular vectors
        S = _record("linalg_svd", _svd_raw(A, False), (A,), (False,))[1]
    else:
        a = _np_in(A)
        S = None
        if a.ndim == 2 and min(a.shape) > 0 and a.dtype.char in "fF":
            S = _gesdd(a, False, False)
        if S is None:
            S = _np.linalg.svd(a, compute_uv=False)
        S = _factor(S, A, real=True)
    return S if out is None else _fill_out("linalg_svdvals", (out,), (S,), (A,))[0]


@_serial
def _eigh_syevd(A, UPLO):
    """(w, V) of real A by LAPACK's syevd, V column-major as LAPACK leaves
    it; None where this does not apply. syevd's steps (sytrd, stedc) in A's
    precision with the orthogonal factor
    applied to stedc's vectors in the kernel (up to order 256, where the CPU
    runs the kernels of _kernels/sytrd.h), or formed (orgtr) and applied by
    ctorch's gemm, where they apply (no scaling needed, no NaN) and pay (up
    to order 256 on one thread with those kernels, 128 without: beyond,
    syevd's blocked sytrd and ormtr do fewer flops), dsyevd itself
    otherwise (float32 in float64)."""
    n = A.shape[-1] if A.dim() >= 2 else 0
    if A.is_cuda or A.dtype not in (_float32, _float64) or not n:
        return None
    a = A.detach()
    threads = _dispatch.get_num_threads()
    small = 256 if _lk.own_tridiagonal()[1] >= 256 else 128
    # in A's precision, as PyTorch's ssyevd / dsyevd computes
    r = _lk.syevd_parts(a, UPLO == "L", threads) if n <= small or threads > 1 else None
    if r is not None:
        w, Qt, Zt = r
        return w, (Zt if Qt is None else matmul(Zt, Qt)).mT
    r = _lk.syevd(a.to(_float64) if A.dtype == _float32 else a, UPLO == "L", threads)
    if r is None or A.dtype == _float64:
        return r
    return r[0].to(_float32), r[1].to(_float32)


def _eigh_raw(A, UPLO):
    r = _eigh_syevd(A, UPLO)
    if r is not None:
        return r
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
        L = None
        if A.dtype in (_float64, _float32) and not A.is_cuda:
            # syevd's steps without vectors (sytrd and sterf) in one loop,
            # in A's precision as PyTorch's ssyevd / dsyevd computes
            L = _serial_call(_lk.syev_values, A.detach(), UPLO == "L", _dispatch.get_num_threads())
        if L is None:
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
    if _autocast_state() and out is None:
        return _autocast_call("vecdot", vecdot, (x, y), {"dim": dim})
    return (_conj(x) * y).sum(dim)


def diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    return _diagonal(A, offset, dim1, dim2)


# ================================================================== norms
#
# vector_norm computes without history and records linalg_vector_norm (the
# formula is _vector_norm_backward); matrix_norm and norm are compositions of
# it, of amax/amin and of svdvals, as PyTorch's are.

_INF = float("inf")


def _real_dtype(dt):
    return dt.to_real() if dt.is_complex else dt


def _ord_str(o):
    if isinstance(o, float) and abs(o) != _INF and o == int(o):
        return str(int(o))
    return str(o)


def _norm_dims(dim, ndim):
    """dim as a tuple of distinct non-negative dims; () for all of them."""
    if dim is None:
        return ()
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    lo, hi = -max(ndim, 1), max(ndim, 1) - 1
    out = []
    for d in dims:
        if not lo <= d <= hi:
            raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {d})")
        d = d % max(ndim, 1)
        if d in out:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
        out.append(d)
    return tuple(out)


def _check_norm_dtype(x, dtype, name):
    if dtype is None:
        return x
    if not isinstance(dtype, type(x.dtype)):
        raise TypeError(f"{name}(): argument 'dtype' must be torch.dtype, not {type(dtype).__name__}")
    if not (dtype.is_floating_point or dtype.is_complex):
        raise RuntimeError(f"{name}: dtype should be floating point or complex, but got {_scalar_name(dtype)}")
    if x.dtype.is_complex and not dtype.is_complex:
        raise RuntimeError(f"{name}: dtype should be complex for complex inputs, but got {_scalar_name(dtype)}")
    if not x.dtype.is_complex and dtype.is_complex:
        raise RuntimeError(f"{name}: dtype should be real for real inputs, but got {_scalar_name(dtype)}")
    if _promote_types(x.dtype, dtype) != dtype:
        raise RuntimeError(f"{name}: the dtype of the input ({_scalar_name(x.dtype)}) should be convertible "
                           f"without narrowing to the specified dtype ({_scalar_name(dtype)})")
    return x.to(dtype)


def _vector_norm_raw(x, ord, dims, keepdim):
    """The norm of x (no history) over dims (() for all)."""
    full = not dims or len(dims) == x.dim()
    rd = list(range(x.dim())) if full else list(dims)
    if ord == 2:
        # the squares' pairwise sum (BLAS's dot through numpy costs thousands
        # of times more where its threads and another library's compete):
        # one fused pass for the real float types (half ones in float)
        r = _norm2(x, rd, keepdim)
        if r is not None:
            return r
    if x.dtype == _bfloat16:
        # accumulated in float32 and rounded once, as PyTorch does
        return _vector_norm_raw(x.to(_float32), ord, dims, keepdim).to(_bfloat16)
    if ord == 2:
        a = x.abs() if x.is_complex() else x
        return (a * a).sum(rd, keepdim).sqrt()
    a = x.abs()
    if ord == 1:
        return a.sum(rd, keepdim)
    if ord == _INF:
        return a.amax(rd, keepdim)
    if ord == -_INF:
        return a.amin(rd, keepdim)
    if ord == 0:
        return (x != 0).sum(rd, keepdim).to(a.dtype)
    return a.pow(ord).sum(rd, keepdim).pow(1.0 / ord)


def _vector_norm_backward(grad, self, result, ord, dims, keepdim):
    rd = sorted(dims) if dims else list(range(self.dim()))
    if not keepdim and dims:
        for d in rd:
            grad = grad.unsqueeze(d)
            result = result.unsqueeze(d)
    if ord == 0:
        return self.abs() * 0
    if ord == 2:
        return self * _where(result == 0, 0.0, grad / result)
    sgn = self.sgn()
    if ord == 1:
        return sgn * grad
    if ord == _INF or ord == -_INF:
        mask = (self.abs() == result)
        count = mask.sum(rd, True)
        return sgn * mask * (grad / count)
    a = self.abs()
    scale = _where(result == 0, 0.0, grad / result.pow(ord - 1))
    g = sgn * a.pow(ord - 1) * scale
    return _where(self == 0, 0.0, g) if ord < 1 else g


@_takes_tensors("linalg_vector_norm", "x")
def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    if dtype is None and out is None and (type(ord) is int or type(ord) is float) and ord == 2:
        # the 2-norm of a float tensor that needs no history: the fused kernel
        r = _norm2(x, dim, keepdim)
        if r is not None:
            return r
    elif dtype is None and out is None and (type(ord) is int or type(ord) is float):
        # another ord of a float tensor that needs no history: a few kernels
        r = _norm_p(x, ord, dim, keepdim)
        if r is not None:
            return r
    if dim is None and dtype is None and out is None and ord == 2 and type(x) is Tensor and \
            (x.dtype.is_floating_point or x.dtype.is_complex):
        # the common case: the 2-norm of all elements
        return _record("linalg_vector_norm", _vector_norm_raw(x.detach(), 2, (), keepdim), (x,), (2, (), keepdim))
    if not isinstance(x, Tensor):
        raise TypeError(f"linalg_vector_norm(): argument 'input' (position 1) must be Tensor, not {type(x).__name__}")
    if isinstance(ord, Tensor) and ord.dim() == 0 and not ord.is_complex():
        ord = ord.item()
    if not isinstance(ord, (int, float)):
        raise TypeError(f"linalg_vector_norm(): argument 'ord' (position 2) must be Number, not {type(ord).__name__}")
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as input. "
                           f"Got {_scalar_name(x.dtype)}")
    x = _check_norm_dtype(x, dtype, "linalg.vector_norm")
    dims = _norm_dims(dim, x.dim())
    if (ord < 0 or ord == _INF) and x.numel() == 0:
        if not dims:
            raise RuntimeError(f"linalg.vector_norm cannot compute the {_ord_str(ord)} norm on an empty tensor "
                               "because the operation does not have an identity")
        for d in dims:
            if x.shape[d] == 0:
                raise RuntimeError(f"linalg.vector_norm cannot compute the {_ord_str(ord)} norm on the dimension "
                                   f"{d}because this dimension is empty and the operation does not have an identity")
    r = _vector_norm_raw(x.detach(), ord, dims, keepdim)
    r = _record("linalg_vector_norm", r, (x,), (ord, dims, keepdim))
    return _to_out(r, out, "linalg_vector_norm")


_MATRIX_ORDS = ("fro", "nuc", _INF, -_INF, 1, -1, 2, -2)


def _matrix_dims(A, dim, name="linalg.matrix_norm"):
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    if len(dims) != 2:
        raise RuntimeError(f"{name}: dim must be a 2-tuple. Got {' '.join(str(d) for d in dims)}")
    d = _norm_dims(dims, A.dim()) if dims[0] % max(A.dim(), 1) != dims[1] % max(A.dim(), 1) else None
    if d is None:
        raise RuntimeError(f"{name}: dims must be different. Got ({dims[0]}, {dims[1]})")
    return d


# svd_values's modes by matrix norm order: the values (nuc sums them), largest, smallest
_SV_MODES = {"nuc": 0, 2: 2, -2: 3}


@_takes_tensors("linalg_matrix_norm", "A")
def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):
    if dtype is None and out is None and type(A) is Tensor and A.dim() >= 2 \
            and (type(dim) is tuple or type(dim) is list) and len(dim) == 2:
        if type(ord) is str and ord == "fro":
            # the Frobenius norm of a float matrix that needs no history: the
            # fused 2-norm kernel (None for anything else: the general path)
            r = _norm2(A, dim, keepdim)
            if r is not None:
                return r
        elif (type(ord) is str or type(ord) is int or type(ord) is float) and ord in _SV_MODES \
                and type(dim[0]) is int and type(dim[1]) is int and dim[0] == -2 and dim[1] == -1 \
                and not A.is_cuda:
            # nuc, 2, -2 of float64 matrices that need no history: the
            # singular values reduced in the kernel (None: the general path)
            r = _serial_call(_lk.svd_values, A, _SV_MODES[ord])
            if r is not None:
                if ord == "nuc":
                    r = r.sum(-1)
                return r.unsqueeze(-1).unsqueeze(-1) if keepdim else r
        elif (type(ord) is int or type(ord) is float) and (ord == 1 or ord == -1 or ord == _INF
                                                          or ord == -_INF) \
                and type(dim[0]) is int and type(dim[1]) is int and dim[0] == -2 and dim[1] == -1 \
                and (A.dtype.is_floating_point or A.dtype.is_complex) and A.numel():
            # 1 / inf of the last two dims: the column / row sums of |A|,
            # their largest (-1 / -inf: smallest); the general path's ops
            # without its argument handling
            s = vector_norm(A, 1, -2 if abs(ord) == 1 else -1, keepdim)
            last = -2 if keepdim and abs(ord) != 1 else -1
            return s.amax(last, keepdim) if ord > 0 else s.amin(last, keepdim)
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg_matrix_norm(): argument 'input' (position 1) must be Tensor, not {type(A).__name__}")
    if A.dim() < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
    if not (A.dtype.is_floating_point or A.dtype.is_complex):
        raise RuntimeError(f"linalg.matrix_norm: Expected a floating point or complex tensor as input. "
                           f"Got {_scalar_name(A.dtype)}")
    d0, d1 = _matrix_dims(A, dim)
    if isinstance(ord, str) or not isinstance(ord, (int, float)):
        if ord not in ("fro", "nuc"):
            raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    elif ord not in _MATRIX_ORDS:
        raise RuntimeError(f"linalg.matrix_norm: Order {_ord_str(ord)} not supported.")
    if ord == "fro":
        return vector_norm(A, 2, None if A.dim() == 2 else (d0, d1), keepdim, dtype=dtype, out=out)
    A = _check_norm_dtype(A, dtype, "linalg.matrix_norm")
    if ord in ("nuc", 2, -2):
        M = A.movedim((d0, d1), (-2, -1))
        if M.numel() == 0 and ord != -2:
            r = _zeros(M.shape[:-2], dtype=_real_dtype(A.dtype), device=A.device)
        else:
            s = svdvals(M)
            r = s.sum(-1) if ord == "nuc" else (s.amax(-1) if ord == 2 else s.amin(-1))
        if keepdim:
            for d in sorted((d0, d1)):
                r = r.unsqueeze(d)
    else:
        # 1: the largest column sum, inf: the largest row sum
        inner, outer = (d0, d1) if abs(ord) == 1 else (d1, d0)
        s = vector_norm(A, 1, inner, keepdim)
        if not keepdim and outer > inner:
            outer -= 1
        if s.shape[outer] == 0 and ord > 0:
            # (the smallest of no sums is an error: amin's)
            r = _zeros(s.shape, dtype=s.dtype, device=s.device).sum(outer, keepdim)
        else:
            r = s.amax(outer, keepdim) if ord > 0 else s.amin(outer, keepdim)
    return _to_out(r, out, "linalg_matrix_norm")


@_takes_tensors("linalg_norm", "A")
def norm(A, ord=None, dim=None, keepdim=False, *, out=None, dtype=None):
    if dim is None and ord is None and out is None and dtype is None:
        # the 2-norm of all elements: the fused kernel where it applies
        r = _norm2(A, None, keepdim)
        if r is not None:
            return r
    if dim is None and (ord is None or ord == "fro" and type(A) is Tensor and A.dim() == 2):
        return vector_norm(A, 2, None, keepdim, dtype=dtype, out=out)
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg_norm(): argument 'input' (position 1) must be Tensor, not {type(A).__name__}")
    if dim is not None:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        if len(dims) not in (1, 2):
            raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got {list(dims)}")
        if len(dims) == 1 and not isinstance(ord, str):
            return vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype, out=out)
        return matrix_norm(A, "fro" if ord is None else ord, dims, keepdim, dtype=dtype, out=out)
    if ord is None:
        return vector_norm(A, 2, None, keepdim, dtype=dtype, out=out)
    if A.dim() not in (1, 2):
        raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. "
                           f"Got {A.dim()}D.")
    if A.dim() == 2 or isinstance(ord, str):
        return matrix_norm(A, ord, (-2, -1), keepdim, dtype=dtype, out=out)
    return vector_norm(A, ord, None, keepdim, dtype=dtype, out=out)


@_takes_tensors("norm", "input")
def _norm_legacy(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """torch.norm: a vector norm for numeric p (over dim, all elements by
    default), the Frobenius or nuclear norm for 'fro' / 'nuc'."""
    if not isinstance(input, Tensor):
        raise TypeError(f"norm(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if isinstance(p, str):
        dims = None if dim is None else ((dim,) if isinstance(dim, int) else tuple(dim))
        if p == "fro" and (dims is None or len(dims) <= 2):
            return vector_norm(input, 2, dims, keepdim, dtype=dtype, out=out)
        if dims is None:
            dims = tuple(range(input.dim()))
        return matrix_norm(input, p, dims, keepdim, dtype=dtype, out=out)
    return vector_norm(input, 2 if p is None else p, dim, keepdim, dtype=dtype, out=out)


@_takes_tensors("dist", "input", "other")
def _dist(input, other, p=2):
    """torch.dist: the p-norm of input - other."""
    if not isinstance(p, (int, float)):
        raise TypeError(f"dist(): argument 'p' (position 3) must be Number, not {type(p).__name__}")
    d = input.detach() - other.detach()
    if not (d.dtype.is_floating_point or d.dtype.is_complex):
        raise RuntimeError(f"norm(): input dtype should be either floating point or complex. "
                           f"Got {_scalar_name(d.dtype)} instead.")
    r = _vector_norm_raw(d, p, (), False)
    return _record("dist", r, (input, other), (p,))


def _dist_grads(grad, self, other, result, p, needs):
    g = _vector_norm_backward(grad, self - other, result, p, (), False)
    return (g if needs[0] else None), (-g if needs[1] else None)


@_takes_tensors("frobenius_norm", "input")
def _frobenius_norm(input, dim, keepdim=False, *, out=None):
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    if len(dims) > 2:
        raise RuntimeError(f"Expected at most 2 dimensions, but got {len(dims)} dimensions instead.")
    return vector_norm(input, 2, dims, keepdim, out=out)


@_takes_tensors("nuclear_norm", "input")
def _nuclear_norm(input, dim=None, keepdim=False, *, out=None):
    import warnings
    warnings.warn("at::nuclear_norm is deprecated and it is just left for JIT compatibility. It will be "
                  "removed in a future PyTorch release. Please use `linalg.matrix_norm(A, 'nuc', dim, "
                  "keepdim)` instead", UserWarning, stacklevel=2)
    if isinstance(dim, bool):
        dim, keepdim = None, dim
    return matrix_norm(input, "nuc", (-2, -1) if dim is None else dim, keepdim, out=out)


@_takes_tensors("linalg_cond", "A")
def cond(A, p=None, *, out=None):
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg_cond(): argument 'input' (position 1) must be Tensor, not {type(A).__name__}")
    if A.dim() < 2:
        raise RuntimeError("linalg.cond: The input tensor must have at least 2 dimensions.")
    if p is None or p == 2 or p == -2:
        if out is None and type(A) is Tensor and not A.is_cuda:
            # float64 matrices that need no history: the ratio of the
            # extreme singular values in the kernel (None: the general path)
            r = _serial_call(_lk.svd_values, A, 5 if p == -2 else 4)
            if r is not None:
                return r
        if not (A.dtype.is_floating_point or A.dtype.is_complex):
            raise RuntimeError(f"linalg.svd: Expected a floating point or complex tensor as input. "
                               f"Got {_scalar_name(A.dtype)}")
        s = svdvals(A)
        if s.shape[-1] == 0:
            r = _zeros(s.shape[:-1], dtype=s.dtype, device=s.device)
        else:
            hi, lo = s.amax(-1), s.amin(-1)
            r = lo / hi if p == -2 else hi / lo
        return _to_out(r, out, "linalg_cond")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"linalg.cond(ord={p}): A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")
    if isinstance(p, str) and p not in ("fro", "nuc") or not isinstance(p, str) and p not in _MATRIX_ORDS:
        raise RuntimeError(f"linalg.cond got an invalid norm type: {p}")
    _check(A, "linalg.cond")
    if A.numel() == 0:
        return _to_out(_zeros(A.shape[:-2], dtype=_real_dtype(A.dtype), device=A.device), out, "linalg_cond")
    Ainv, info = inv_ex(A)
    r = matrix_norm(A, p) * matrix_norm(Ainv, p)
    if info.any().item():
        r = _where(info != 0, _INF, r)
    return _to_out(r, out, "linalg_cond")


# ================================================================== triangular solves

def _blas(name, a):
    return _routine("blas", name, a)


def _batch_broadcast(A, B, name):
    """A, B expanded to their common batch shape (the matrices untouched)."""
    if _lk.same_batch(A, B):
        return A, B
    ba, bb = tuple(A.shape[:-2]), tuple(B.shape[:-2])
    if ba == bb:
        return A, B
    batch = _broadcast_shape(ba, bb)
    return A.expand(*batch, *A.shape[-2:]), B.expand(*batch, *B.shape[-2:])


def _broadcast_shape(a, b):
    n = max(len(a), len(b))
    a, b = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)
    out = []
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y and x != 1 and y != 1:
            raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b ({y}) at "
                               f"non-singleton dimension {i}")
        out.append(y if x == 1 else x)
    return tuple(out)


def _batches(arr):
    """arr (..., m, n) as (batch, m, n)."""
    return arr.reshape((_prod(arr.shape[:-2]),) + arr.shape[-2:])


def _trsm_raw(A, B, upper, left, unitriangular, trans=0):
    """op(A)^-1 B (left) or B op(A)^-1 (right) (trans 0: A, 1: A^T, 2: A^H);
    no check for a zero diagonal, as PyTorch."""
    A, B = _batch_broadcast(A, B, "")
    if not A.is_cuda and A.shape[-1]:
        X = _lk.trsm(A, B, upper, left, unitriangular, trans != 0)
        if X is not None:
            return X
    return _trsm_lapack(A, B, upper, left, unitriangular, trans)


@_serial
def _trsm_lapack(A, B, upper, left, unitriangular, trans=0):
    """_trsm_raw with BLAS trsm, batch by batch."""
    a, b = _np_in(A), _np_in(B)
    out = _np.empty(_np.broadcast_shapes(b.shape), dtype=_np.result_type(a, b))
    fa, fb = _batches(a), _batches(b)
    fo = _batches(out)
    n = fa.shape[-1]
    if fo.shape[0] > 1 and 0 < n <= 16 and fo.shape[-1] and fo.shape[-2]:
        # many small systems: substitution a row at a time over the whole batch
        # (a trsm call per matrix costs far more than its arithmetic)
        if left:
            M = fa if trans == 0 else _np.swapaxes(fa, -1, -2)
            M = _np.conj(M) if trans == 2 else M
            up = upper != (trans != 0)
            fo[...] = _subst_batched(M, fb, up, unitriangular)
        else:
            # X op(A) = B: op(A)^T X^T = B^T
            M = _np.swapaxes(fa, -1, -2) if trans == 0 else fa
            M = _np.conj(M) if trans == 2 else M
            up = upper == (trans != 0)
            fo[...] = _np.swapaxes(_subst_batched(M, _np.swapaxes(fb, -1, -2), up, unitriangular),
                                   -1, -2)
    elif fo.shape[0] and fo.shape[-1] and fo.shape[-2]:
        _trsm_batches(fa, fb, fo, left, upper, unitriangular, trans)
    return _factor(out, A)


@_serial
def _trsm_batches(fa, fb, fo, left, upper, unitriangular, trans):
    trsm = _blas("trsm", fa[:1])
    # BLAS is column-major: hand it the transposes (row-major memory read as
    # column-major, no copy) and solve X^T = B^T op(A)^-T (or op(A)^-T B^T)
    for i in range(fo.shape[0]):
        xt = fo[i].T                    # column-major X^T, solved in place
        xt[...] = fb[i].T
        r = trsm(1.0, _np.ascontiguousarray(fa[i]).T, xt, side=1 if left else 0, lower=1 if upper else 0,
                 trans_a=trans, diag=1 if unitriangular else 0, overwrite_b=1)
        if not _np.may_share_memory(r, xt):
            xt[...] = r


def _subst_batched(M, b, upper, unit):
    """X with M[i] X[i] = b[i] for triangular M (nb, n, n) (upper or lower,
    unit diagonal or not) and b (nb, n, k), by substitution: row i of X from
    the rows already solved. A zero diagonal gives inf/NaN, as trsm does."""
    n = M.shape[-1]
    x = _np.empty(b.shape, dtype=_np.result_type(M, b))
    with _np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for i in (range(n - 1, -1, -1) if upper else range(n)):
            done = slice(i + 1, n) if upper else slice(0, i)
            acc = b[:, i, :]
            if (n - i - 1 if upper else i):
                acc = acc - _np.matmul(M[:, i:i + 1, done], x[:, done, :])[:, 0, :]
            x[:, i, :] = acc if unit else acc / M[:, i, i][:, None]
    return x


def _check_pair(A, B, name, what="A and B"):
    if A.dtype != B.dtype:
        x, y = what.split(" and ")
        raise RuntimeError(f"{name}: Expected {x} and {y} to have the same dtype, but found {x} of type "
                           f"{_scalar_name(A.dtype)} and {y} of type {_scalar_name(B.dtype)} instead")
    _same_device_py(A, B)


def _float_kernel(A, kernel):
    if not (A.dtype.is_floating_point or A.dtype.is_complex) or A.dtype in (_float16, _bfloat16):
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_scalar_name(A.dtype)}'")


_REQUIRED = object()


@_takes_tensors("linalg_solve_triangular", "A", "B")
def solve_triangular(A, B, *, upper=_REQUIRED, left=True, unitriangular=False, out=None):
    if upper is _REQUIRED:
        raise TypeError('linalg_solve_triangular() missing 1 required positional arguments: "upper"')
    for n, t in (("self", A), ("B", B)):
        if not isinstance(t, Tensor):
            raise TypeError(f"linalg_solve_triangular(): argument '{n}' must be Tensor, not {type(t).__name__}")
    _check_solve_shapes(A, B, left, "linalg.solve_triangular", "A", "linalg.solve_triangular")
    _same_device_py(A, B)
    _float_kernel(A, "triangular_solve_cpu")
    if A.dtype != B.dtype:
        B = B.to(A.dtype)           # as PyTorch: the solution has A's dtype
    X = _trsm_raw(A, B, upper, left, unitriangular)
    X = _record("linalg_solve_triangular", X, (A, B), (upper, left, unitriangular))
    return _to_out(X, out, "linalg_solve_triangular")


def _triangle(G, upper, unitriangular):
    from ctorch._ops.products import triu, tril
    k = 1 if unitriangular else 0
    return triu(G, k) if upper else tril(G, -k)


def _solve_triangular_backward(grad, A, result, upper, left, unitriangular, needs):
    Ah = _mH(A)
    gB = solve_triangular(Ah, grad, upper=not upper, left=left, unitriangular=unitriangular)
    gA = None
    if needs[0]:
        gA = -matmul(gB, _mH(result)) if left else -matmul(_mH(result), gB)
        gA = _triangle(gA, upper, unitriangular)
    return gA, (gB if needs[1] else None)


@_takes_tensors("triangular_solve", "b", "A")
def _triangular_solve_legacy(b, A, upper=True, transpose=False, unitriangular=False, *, out=None):
    """torch.triangular_solve: (solution, cloned_coefficient)."""
    import warnings
    warnings.warn("torch.triangular_solve is deprecated in favor of torch.linalg.solve_triangular"
                  "and will be removed in a future PyTorch release.\ntorch.linalg.solve_triangular has its "
                  "arguments reversed and does not return a copy of one of the inputs.\nX = "
                  "torch.triangular_solve(B, A).solution\nshould be replaced with\nX = "
                  "torch.linalg.solve_triangular(A, B).", UserWarning, stacklevel=2)
    if b.dim() < 2:
        raise RuntimeError(f"torch.triangular_solve: Expected b to have at least 2 dimensions, but it has "
                           f"{b.dim()} dimensions instead")
    if A.dim() < 2:
        raise RuntimeError(f"torch.triangular_solve: Expected A to have at least 2 dimensions, but it has "
                           f"{A.dim()} dimensions instead")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"A must be batches of square matrices, but they are {A.shape[-2]} by "
                           f"{A.shape[-1]} matrices")
    if b.dtype != A.dtype:
        raise RuntimeError(f"Expected b and A to have the same dtype, but found b of type "
                           f"{_scalar_name(b.dtype)} and A of type {_scalar_name(A.dtype)} instead.")
    if b.shape[-2] != A.shape[-1]:
        raise RuntimeError(f"Incompatible matrix sizes for triangular_solve: each A matrix is {A.shape[-1]} by "
                           f"{A.shape[-1]} but each b matrix is {b.shape[-2]} by {b.shape[-1]}")
    _same_device_py(A, b)
    _float_kernel(A, "triangular_solve_cpu")
    Ab, bb = _batch_broadcast(A, b, "")
    X = _trsm_raw(Ab, bb, upper, True, unitriangular, 1 if transpose else 0)
    M = Ab.detach().clone()
    r = _TRISOLVE(*_record("triangular_solve", (X, M), (b, A), (upper, transpose, unitriangular)))
    return r if out is None else _fill_out("triangular_solve", out, r, (b, A))


def _triangular_solve_grads(grads, A, result0, upper, transpose, unitriangular, needs):
    gX, gM = grads
    gb = gA = None
    if gX is not None:
        # X = op(A)^-1 b with op(A) = A^T when transpose: gb = op(A)^-H gX
        opA = A.mT if transpose else A
        gb = solve_triangular(_mH(opA), gX, upper=(upper == transpose), unitriangular=unitriangular)
        if needs[1]:
            gAt = -matmul(gb, _mH(result0))
            gA = _triangle(gAt.mT if transpose else gAt, upper, unitriangular)
    if gM is not None and needs[1]:
        gA = gM if gA is None else gA + gM
    return gb, gA


# ================================================================== LU

@_serial
def _lu_getrf(a):
    """(LU, pivots (1-based, int32), info) of each matrix of the numpy array a."""
    flat = _batches(a)
    # column-major factors, as LAPACK (and PyTorch) hold them: lu_t[i] is LU^T
    lu_t = _np.empty((flat.shape[0], a.shape[-1], a.shape[-2]), dtype=a.dtype)
    k = min(a.shape[-2], a.shape[-1])
    piv = _np.empty((flat.shape[0], k), dtype=_np.int32)
    info = _np.zeros(flat.shape[0], dtype=_np.int32)
    if flat.shape[0] and a.shape[-1] and a.shape[-2]:
        getrf = _lapack("getrf", flat[:1])
        for i in range(flat.shape[0]):
            f = lu_t[i].T
            f[...] = flat[i]
            r, p, info[i] = getrf(f, overwrite_a=1)
            if not _np.may_share_memory(r, f):
                f[...] = r
            piv[i] = p[:k] + 1
    return (lu_t.reshape(a.shape[:-2] + lu_t.shape[-2:]), piv.reshape(a.shape[:-2] + (k,)),
            info.reshape(a.shape[:-2]))


def _check_lu(A, name):
    if _lk.matrices_ok(A, False, True):
        return
    if not isinstance(A, Tensor):
        raise TypeError(f"{name}(): argument 'A' (position 1) must be Tensor, not {type(A).__name__}")
    if A.dim() < 2:
        raise RuntimeError(f"torch.lu_factor: Expected tensor with 2 or more dimensions. Got size: "
                           f"{list(A.shape)} instead")
    _float_kernel(A, "lu_cpu")


def _lu_factor_raw(A, pivot):
    if not pivot and not A.is_cuda:
        raise RuntimeError("linalg.lu_factor: LU without pivoting is not implemented on the CPU")
    if pivot and not A.is_cuda:
        r = _lk.lu(A)
        if r is not None:
            return r
    lu_t, piv, info = _lu_getrf(_np_in(A)) if pivot else _lu_no_pivoting(_np_in(A))
    LU = _from_numpy(_np.swapaxes(lu_t, -1, -2))        # column-major, not a view
    if LU.dtype != A.dtype or A.is_cuda:
        LU = LU.to(A.device, A.dtype)
    piv_t = _from_numpy(piv)
    return LU, piv_t.to(A.device) if A.is_cuda else piv_t, info


def _lu_no_pivoting(a):
    """LU without row exchanges (what PyTorch offers on CUDA), eliminating
    column by column on the whole batch; the same outputs as _lu_getrf."""
    m, n = a.shape[-2], a.shape[-1]
    k = min(m, n)
    lu = _np.array(a, dtype=a.dtype, copy=True)
    info = _np.zeros(a.shape[:-2], dtype=_np.int32)
    with _np.errstate(divide="ignore", invalid="ignore"):
        for j in range(k):
            piv = lu[..., j, j]
            zero = (piv == 0) & (info == 0)
            info[zero] = j + 1
            lu[..., j + 1:, j] /= piv[..., None]
            lu[..., j + 1:, j + 1:] -= lu[..., j + 1:, j:j + 1] * lu[..., j:j + 1, j + 1:]
    pivots = _np.broadcast_to(_np.arange(1, k + 1, dtype=_np.int32), a.shape[:-2] + (k,)).copy()
    return _np.ascontiguousarray(_np.swapaxes(lu, -1, -2)), pivots, info


def _info_tensor(info, like):
    t = info if isinstance(info, Tensor) else _from_numpy(info)
    return t.to(like.device) if like.is_cuda else t


def lu_factor_ex(A, *, pivot=True, check_errors=False, out=None):
    _check_lu(A, "linalg_lu_factor_ex")
    LU, piv, info = _lu_factor_raw(A, pivot)
    if check_errors:
        _raise_lu_info(info, A.shape, "torch.linalg.lu_factor_ex")
    LU, piv = _record("linalg_lu_factor_ex", (LU, piv), (A,))
    r = _LUFEX(LU, piv, _info_tensor(info, A))
    return r if out is None else _fill_out("linalg_lu_factor_ex", out, r, (A,))


def _raise_lu_info(info, shape, name="torch.linalg.lu_factor"):
    """Raises for the first matrix that LAPACK's info (numpy, or an int32
    tensor on the CPU) says is singular."""
    if isinstance(info, Tensor):
        bad = _lk.first_nonzero(info)
        b, i = bad if bad is not None and bad[1] > 0 else (None, 0)
    else:
        flat = info.reshape(-1)
        b = int(_np.argmax(flat > 0)) if flat.size and flat.max() > 0 else None
        i = int(flat[b]) if b is not None else 0
    if b is not None:
        raise RuntimeError(f"{name}: {_batch_prefix(b, shape)}U[{i},{i}] is zero and using it "
                          "on lu_solve would result in a division by zero. If you still want to perform the "
                          "factorization, consider calling linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)")


def lu_factor(A, *, pivot=True, out=None):
    _check_lu(A, "linalg_lu_factor")
    LU, piv, info = _lu_factor_raw(A, pivot)
    _raise_lu_info(info, A.shape)
    LU, piv = _record("linalg_lu_factor_ex", (LU, piv), (A,))
    r = _LUF(LU, piv)
    return r if out is None else _fill_out("linalg_lu_factor", out, r, (A,))


def _perm_np(piv, m):
    """The row permutation (as indices: row i of P^T A is row perm[i] of A)
    that LAPACK's 1-based pivots describe."""
    flat = piv.reshape(_prod(piv.shape[:-1]), piv.shape[-1])
    perm = _np.tile(_np.arange(m), (flat.shape[0], 1))
    for b in range(flat.shape[0]):
        p = perm[b]
        for i, j in enumerate(flat[b] - 1):
            if j != i:
                p[i], p[j] = p[j], p[i]
    return perm.reshape(piv.shape[:-1] + (m,))


def _unpack_raw(LU, piv, like, unpack_data=True, unpack_pivots=True):
    from ctorch._ops.products import triu, tril
    if not LU.is_cuda and not piv.is_cuda:
        r = _lk.lu_unpack(LU, piv, unpack_data, unpack_pivots)
        if r is not None:
            return r
    m, n = LU.shape[-2], LU.shape[-1]
    k = min(m, n)
    L = U = P = None
    if unpack_data:
        L = tril(LU[..., :, :k], -1) + _eye(m, k, dtype=LU.dtype, device=LU.device)
        U = triu(LU[..., :k, :])
    if unpack_pivots:
        perm = _perm_np(piv.detach().cpu().numpy(), m)
        Pn = _np.zeros(perm.shape + (m,), dtype=_np.float64)
        _np.put_along_axis(Pn, perm[..., :, None], 1.0, axis=-1)
        # P^T has the rows perm; A = P L U
        P = _from_numpy(_np.ascontiguousarray(_np.swapaxes(Pn, -1, -2))).to(LU.device, LU.dtype)
    return P, L, U


@_takes_tensors("linalg_lu", "A")
def lu(A, *, pivot=True, out=None):
    _check_lu(A, "linalg_lu")
    LU, piv, _ = _lu_factor_raw(A, pivot)
    P, L, U = _unpack_raw(LU, piv, A)
    r = _LU(*_record("linalg_lu", (P, L, U), (A,)))
    return r if out is None else _fill_out("linalg_lu", out, r, (A,))


@_takes_tensors("lu_unpack", "LU_data", "LU_pivots")
def _lu_unpack(LU_data, LU_pivots, unpack_data=True, unpack_pivots=True, *, out=None):
    """torch.lu_unpack: (P, L, U) of lu_factor's result."""
    if LU_data.dim() < 2:
        raise RuntimeError(f"torch.lu_unpack: Expected tensor with 2 or more dimensions. Got size: "
                           f"{list(LU_data.shape)} instead")
    if LU_pivots.dtype != _int32:
        raise RuntimeError("torch.lu_unpack: LU_pivots is expected to be a contiguous tensor of torch.int32 dtype.\n"
                           "Note: this function is intended to be used with the output produced by torch.linalg.lu_factor")
    P, L, U = _unpack_raw(LU_data.detach(), LU_pivots, LU_data, unpack_data, unpack_pivots)
    e = _empty(0, dtype=LU_data.dtype, device=LU_data.device)
    if unpack_data:
        L, U = _record("lu_unpack", (L, U), (LU_data,))
    r = _LU_UNPACK(P if P is not None else e, L if L is not None else e, U if U is not None else e)
    return r if out is None else _fill_out("lu_unpack", out, r, (LU_data,))


def _lu_unpack_backward(grads, LU_data_sizes):
    from ctorch._ops.products import triu, tril
    gL, gU = grads
    m, n = LU_data_sizes[-2], LU_data_sizes[-1]
    if gL is not None:
        gL = tril(gL, -1)
    if gU is not None:
        gU = triu(gU)
    ref = gL if gL is not None else gU
    z = _zeros(tuple(LU_data_sizes), dtype=ref.dtype, device=ref.device)
    g = z
    if gL is not None:
        g = g + _pad_to(gL, m, n)
    if gU is not None:
        g = g + _pad_to(gU, m, n)
    return g


def _pad_to(X, m, n):
    from ctorch._ops.shape import cat
    r, c = X.shape[-2], X.shape[-1]
    if c < n:
        X = cat([X, _zeros(tuple(X.shape[:-1]) + (n - c,), dtype=X.dtype, device=X.device)], -1)
    if r < m:
        X = cat([X, _zeros(tuple(X.shape[:-2]) + (m - r, n), dtype=X.dtype, device=X.device)], -2)
    return X


def _lu_backward(P, L, U, gL, gU):
    """gA for A = P L U (L m x k unit lower, U k x n upper)."""
    from ctorch._ops.products import triu, tril
    from ctorch._ops.shape import cat
    m, n = L.shape[-2], U.shape[-1]
    k = min(m, n)
    if gL is None:
        gL = _zeros(tuple(L.shape), dtype=L.dtype, device=L.device)
    if gU is None:
        gU = _zeros(tuple(U.shape), dtype=U.dtype, device=U.device)
    if m == n:
        phi = tril(matmul(_mH(L), gL), -1) + triu(matmul(gU, _mH(U)))
        X = solve_triangular(_mH(L), phi, upper=True, unitriangular=True)
        gA = solve_triangular(_mH(U), X, upper=False, left=False)
        return matmul(P, gA)
    if m > n:
        L1, L2 = L[..., :k, :], L[..., k:, :]
        gL1, gL2 = gL[..., :k, :], gL[..., k:, :]
        gA2 = solve_triangular(_mH(U), gL2, upper=False, left=False)
        gU1 = gU - matmul(_mH(L2), gA2)
        phi = tril(matmul(_mH(L1), gL1), -1) + triu(matmul(gU1, _mH(U)))
        X = solve_triangular(_mH(L1), phi, upper=True, unitriangular=True)
        gA1 = solve_triangular(_mH(U), X, upper=False, left=False)
        return matmul(P, cat([gA1, gA2], -2))
    U1, U2 = U[..., :, :k], U[..., :, k:]
    gU1, gU2 = gU[..., :, :k], gU[..., :, k:]
    gA2 = solve_triangular(_mH(L), gU2, upper=True, unitriangular=True)
    gL1 = gL - matmul(gA2, _mH(U2))
    phi = tril(matmul(_mH(L), gL1), -1) + triu(matmul(gU1, _mH(U1)))
    X = solve_triangular(_mH(L), phi, upper=True, unitriangular=True)
    gA1 = solve_triangular(_mH(U1), X, upper=False, left=False)
    return matmul(P, cat([gA1, gA2], -1))


def _lu_factor_backward(grads, result0, result1):
    from ctorch._ops.products import triu, tril
    gLU = grads[0]
    LU = result0
    P, L, U = _unpack_raw(LU, result1, LU)
    gL = tril(gLU[..., :, :L.shape[-1]], -1)
    gU = triu(gLU[..., :U.shape[-2], :])
    return _lu_backward(P, L, U, gL, gU)


@_takes_tensors("linalg_lu_solve", "LU", "pivots", "B")
def lu_solve(LU, pivots, B, *, left=True, adjoint=False, out=None):
    _check_solve_shapes(LU, B, left, "linalg.lu_solve", "LU", "torch.linalg.lu_solve")
    _check_pair(LU, B, "linalg.lu_solve", "LU and B")
    if pivots.dtype != _int32:
        raise RuntimeError("linalg.lu_solve: pivots should be a Tensor of scalar type torch.int32")
    _float_kernel(LU, "lu_solve_cpu")
    X = _lu_solve_raw(LU, pivots, B, left, adjoint)
    X = _record("linalg_lu_solve", X, (LU, B), (pivots, left, adjoint))
    return _to_out(X, out, "linalg_lu_solve")


def _lu_solve_raw(LU, pivots, B, left, adjoint):
    n = LU.shape[-1]
    if not LU.is_cuda and not pivots.is_cuda and n and pivots.dim() >= 1 and pivots.shape[-1] == n \
            and pivots.dim() - 1 <= LU.dim() - 2:
        LUb, Bb = _batch_broadcast(LU, B, "")
        X = _lk.lu_solve(LUb.detach(), pivots.expand(*LUb.shape[:-2], n), Bb.detach(), left, adjoint)
        if X is not None:
            return X
    return _lu_solve_lapack(LU, pivots, B, left, adjoint)


@_serial
def _lu_solve_lapack(LU, pivots, B, left, adjoint):
    if not left:
        # X A = B  <=>  A^H X^H = B^H
        return _mH(_lu_solve_lapack(LU, pivots, _mH(B), True, not adjoint))
    LUb, Bb = _batch_broadcast(LU, B, "")
    lu_, b = _np_in(LUb), _np_in(Bb)
    piv = pivots.detach().cpu().numpy()
    piv = _np.broadcast_to(piv, lu_.shape[:-2] + piv.shape[-1:])
    out = _np.empty(b.shape, dtype=b.dtype)
    fl, fb, fp = _batches(lu_), _batches(b), piv.reshape(_prod(piv.shape[:-1]), piv.shape[-1])
    fo = _batches(out)
    trans = (2 if LU.is_complex() else 1) if adjoint else 0
    if fo.shape[0] and fo.shape[-1] and fo.shape[-2]:
        getrs = _lapack("getrs", fl[:1])
        for i in range(fo.shape[0]):
            fo[i] = getrs(fl[i], fp[i] - 1, fb[i], trans=trans)[0]
    return _factor(out, LU)


def _lu_solve_grads(grad, LU, result, pivots, left, adjoint, needs):
    from ctorch._ops.products import triu, tril
    # X = op(A)^-1 B (left): gB = op(A)^-H gX
    gB = lu_solve(LU, pivots, grad, left=left, adjoint=not adjoint)
    gLU = None
    if needs[0]:
        # gA for A = P L U, then the same split as lu_factor's backward
        if left:
            gA = -matmul(gB, _mH(result))
        else:
            gA = -matmul(_mH(result), gB)
        if adjoint:
            gA = _mH(gA)
        P, L, U = _unpack_raw(LU, pivots, LU)
        # A = P L U: gL = P^T gA U^H, gU = L^H P^T gA
        PtgA = matmul(P.mT, gA)
        gLU = tril(matmul(PtgA, _mH(U)), -1) + triu(matmul(_mH(L), PtgA))
    return gLU, gB


@_takes_tensors("lu", "A")
def _lu_legacy(A, pivot=True, get_infos=False, out=None):
    """torch.lu: (LU, pivots) or (LU, pivots, infos); like PyTorch's, it
    returns the factors of a singular matrix without raising."""
    r = lu_factor_ex(A, pivot=pivot)
    if not get_infos:
        res = (r.LU, r.pivots)
    else:
        res = (r.LU, r.pivots, r.info)
    return res if out is None else _fill_out("lu", out, res, (A,))


@_takes_tensors("lu_solve", "b", "LU_data", "LU_pivots")
def _lu_solve_legacy(b, LU_data, LU_pivots, *, out=None):
    """torch.lu_solve(b, LU_data, LU_pivots)."""
    r = lu_solve(LU_data, LU_pivots, b)
    return r if out is None else _fill_out("lu_solve", (out,), (r,), (b, LU_data))[0]


# ================================================================== solve_ex

@_takes_tensors("linalg_solve_ex", "A", "B")
def solve_ex(A, B, *, left=True, check_errors=False, out=None):
    _check(A, "linalg.solve_ex")
    try:
        X = solve(A, B, left=left)
        info = _zeros(A.shape[:-2], dtype=_int32, device=A.device)
    except LinAlgError as e:
        if check_errors:
            raise LinAlgError(str(e).replace("torch.linalg.solve:", "torch.linalg.solve_ex:", 1)) from None
        info = _zeros(A.shape[:-2], dtype=_int32)
        for i, v in _failures(_np_in(A), "getrf"):
            info.view(-1)[i] = v
        info = info.to(A.device)
        vec = left and _vector_case(A, B)
        LU, piv, _ = _lu_factor_raw(A, True)
        Bm = B.unsqueeze(-1) if vec else B
        with _NoGrad():
            X = _lu_solve_raw(LU, piv, Bm, left, False)
        if vec:
            X = X.squeeze(-1)
        X = _record("linalg_solve_ex", X, (A, B), (vec,))
    r = _SOLVEX(X, info)
    return r if out is None else _fill_out("linalg_solve_ex", out, r, (A, B))


class _NoGrad:
    def __enter__(self):
        from ctorch.autograd.grad_mode import no_grad
        self._ng = no_grad()
        self._ng.__enter__()

    def __exit__(self, *a):
        self._ng.__exit__(*a)


# ================================================================== matrix functions

def matrix_power(A, n, *, out=None):
    if type(n) is int and 0 < n < 4611686018427387904:
        r = _matrix_power_pos(A, n)
        if r is not None:
            return r if out is None else _to_out(r, out, "linalg_matrix_power")
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg_matrix_power(): argument 'input' (position 1) must be Tensor, not {type(A).__name__}")
    if type(n) is not int and (not isinstance(n, int) or isinstance(n, bool)):
        raise TypeError(f"linalg_matrix_power(): argument 'n' (position 2) must be int, not {type(n).__name__}")
    if A.dim() < 2:
        raise RuntimeError("linalg.matrix_power: The input tensor A must have at least 2 dimensions.")
    if A.size(-1) != A.size(-2):
        raise RuntimeError(f"linalg.matrix_power: A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")
    if n == 0:
        r = _eye(A.shape[-1], dtype=A.dtype, device=A.device).expand(*A.shape).clone()
        return _to_out(r, out, "linalg_matrix_power")
    if n < 0:
        A = inv(A)
        n = -n
    r = A if n == 1 else _matrix_power_pos(A, n)
    return _to_out(r, out, "linalg_matrix_power")


@_takes_tensors("linalg_matrix_exp", "A")
def matrix_exp(A):
    _check(A, "linalg.matrix_exp")
    _float_kernel(A, "linalg_matrix_exp") if A.dtype != _float16 else None
    if A.dim() > 2 and 0 < A.shape[-1] <= 32 and A.numel() and A.dtype != _float16 \
            and A.dtype != _bfloat16:
        # a batch of small matrices: the same approximant on the whole batch
        # in batched products (scipy's expm works matrix by matrix)
        return _record("linalg_matrix_exp", _expm_batched(A.detach()), (A,))
    a = _np_in(A)
    r = _expm(a) if a.size else a.copy()
    return _record("linalg_matrix_exp", _factor(r, A), (A,))


# Higham's degree-13 Pade approximant (SIAM J. Matrix Anal. Appl. 26(4), 2005):
# its coefficients and the 1-norm below which it needs no scaling
_PADE13 = (64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
           129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0,
           40840800.0, 960960.0, 16380.0, 182.0, 1.0)
_THETA13 = 5.371920351148152


def _expm_batched(A):
    """exp of each matrix of A (..., n, n): scaling by 2^-s (s from each
    matrix's 1-norm), the degree-13 Pade approximant, s squarings (a matrix
    that needs fewer keeps its value through the extra ones)."""
    b = _PADE13
    n = A.shape[-1]
    norm1 = A.abs().sum(-2).amax(-1)
    s = (norm1 / _THETA13).log2().ceil().clamp(min=0)
    s = _where(s == s, s, _zeros((), dtype=s.dtype, device=s.device))   # NaN input: no scaling
    s = s.clamp(max=1000)
    X = A * (0.5 ** s).to(A.dtype)[..., None, None]
    eye = _eye(n, dtype=A.dtype, device=A.device)
    X2 = matmul(X, X)
    X4 = matmul(X2, X2)
    X6 = matmul(X4, X2)
    U = matmul(X, matmul(X6, b[13] * X6 + b[11] * X4 + b[9] * X2) + b[7] * X6 + b[5] * X4
               + b[3] * X2 + b[1] * eye)
    V = matmul(X6, b[12] * X6 + b[10] * X4 + b[8] * X2) + b[6] * X6 + b[4] * X4 + b[2] * X2 \
        + b[0] * eye
    R = _solve_raw(V - U, V + U, False)
    steps = int(s.max().item())
    if steps:
        keep = s[..., None, None]
        for j in range(steps):
            R = _where(keep > j, matmul(R, R), R)
    return R


@_serial
def _expm(a):
    from scipy.linalg import expm
    return expm(a)


def _matrix_exp_backward(grad, self):
    from ctorch._ops.shape import cat
    Ah = _mH(self)
    n = self.shape[-1]
    top = cat([Ah, grad], -1)
    bottom = cat([_zeros(tuple(grad.shape), dtype=grad.dtype, device=grad.device), Ah], -1)
    return matrix_exp(cat([top, bottom], -2))[..., :n, n:]


def _pinv_svd_real(A, atol, rtol):
    """pinv of one real float32 / float64 matrix from its SVD (gesdd), the
    products on ctorch's gemm: for a tall matrix (rows at least 11/6 of its
    columns, where gesdd itself first reduces it to R by QR) the QR by
    ctorch's kernel and gesdd on R, pinv = (V S^+ U_R^T) Q^T; a wide one as
    the transpose of its transpose's. None where this does not apply."""
    if A.is_cuda or A.dim() != 2 or A.dtype not in (_float32, _float64):
        return None
    m, n = A.shape
    if not (m and n):
        return None
    wide = m < n
    At = A.detach().mT if wide else A.detach()
    p, q = (n, m) if wide else (m, n)
    Q = None
    if p >= q * 11 // 6 and p > 32:
        if A.dtype == _float32:
            # float32 in float64 here: the QR's rounding and gesdd's on R
            # would add up to some four times PyTorch's error
            At = At.to(_float64)
        r = _lk.qr(At, "reduced")
        if r is not None:
            Q, R = r
    # gesdd (the kernel's loop) on R or At
    f = _serial_call(_lk.gesdd_vectors, At if Q is None else R, False)
    if f is None:
        return None
    U, S, Vh = f
    # the threshold max(atol, rtol s_max) of _pinv_threshold, for one matrix
    # and python numbers or one-element tensors
    atol_ = None if atol is None else float(atol)
    rtol_ = None if rtol is None else float(rtol)
    if rtol_ is None:
        rtol_ = float(_default_rtol(_np.float32 if A.dtype == _float32 else _np.float64, m, n,
                                    atol_ is not None and atol_ > 0))
    smax = S.max().item()
    thr = smax if smax != smax else max(0.0 if atol_ is None else atol_, rtol_ * smax)
    Vs = Vh.mT * _where(S > thr, S.reciprocal(), 0.0)      # V S^+, q x k
    if not wide:
        M = matmul(Vs, U.mT)                               # q x (p or q)
        r = M if Q is None else matmul(M, Q.mT)
    else:
        # pinv(A) = pinv(A^T)^T = (Q) U S^+ V^T
        M = matmul(U, Vs.mT)
        r = M if Q is None else matmul(Q, M)
    return r.to(A.dtype) if r.dtype != A.dtype else r


def _pinv_eigh_real(A, atol, rtol):
    """pinv of real float32 / float64 symmetric matrices (their lower
    triangles) from eigh's kernels, V (1 / w where |w| passes the
    threshold) V^T on ctorch's gemm; None where this does not apply."""
    n = A.shape[-1]
    if A.is_cuda or A.dtype not in (_float32, _float64) or not n or not A.numel():
        return None
    r = _eigh_syevd(A, "L")
    if r is None:
        return None
    w, V = r
    atol_ = 0.0 if atol is None else float(atol)
    rtol_ = float(_default_rtol(_np.float32 if A.dtype == _float32 else _np.float64, n, n,
                                atol is not None and atol_ > 0)) if rtol is None else float(rtol)
    s = w.abs()
    thr = (s.amax(-1, keepdim=True) * rtol_).clamp_min(atol_)
    return matmul(V * _where(s > thr, w.reciprocal(), 0.0).unsqueeze(-2), V.mT)


@_serial
def _pinv_raw(A, atol, rtol, hermitian):
    if (atol is None or not isinstance(atol, Tensor) or atol.dim() == 0) and \
            (rtol is None or not isinstance(rtol, Tensor) or rtol.dim() == 0):
        r = _pinv_eigh_real(A, atol, rtol) if hermitian else _pinv_svd_real(A, atol, rtol)
        if r is not None:
            return r
    a = _np_in(A)
    m, n = a.shape[-2], a.shape[-1]
    if a.size == 0:
        return _zeros(tuple(A.shape[:-2]) + (n, m), dtype=A.dtype, device=A.device)
    if hermitian:
        w, v = _np.linalg.eigh(a)
        s = _np.abs(w)
    else:
        u, s, vh = _np.linalg.svd(a, full_matrices=False)
    thr = _pinv_threshold(s, a, atol, rtol)
    with _np.errstate(divide="ignore"):
        sinv = _np.where(s > thr, 1.0 / _np.where(s > thr, s if not hermitian else w, 1), 0)
    # the products on ctorch's gemm (numpy's matmul would run a threaded BLAS)
    if hermitian:
        p, q = v * sinv[..., None, :].astype(v.dtype), _np.conj(_np.swapaxes(v, -1, -2))
    else:
        p = _np.conj(_np.swapaxes(vh, -1, -2)) * sinv[..., None, :].astype(vh.dtype)
        q = _np.conj(_np.swapaxes(u, -1, -2))
    r = matmul(_from_numpy(_np.ascontiguousarray(p)), _from_numpy(_np.ascontiguousarray(q)))
    return r.to(A.device, A.dtype) if r.dtype != A.dtype or A.is_cuda else r


def _tol_array(t, like):
    if t is None:
        return None
    if isinstance(t, Tensor):
        t = t.detach().cpu().numpy()
    return _np.asarray(t, dtype=_np.float64)


def _default_rtol(dtype, m, n, atol_positive):
    """PyTorch's rtol when none is given: eps * max(m, n), or 0 where a
    positive atol is."""
    return 0.0 if atol_positive else _np.finfo(dtype).eps * max(m, n)


def _pinv_threshold(s, a, atol, rtol):
    """max(atol, rtol * s_max) per matrix (broadcast against s's batch)."""
    atol_, rtol_ = _tol_array(atol, a), _tol_array(rtol, a)
    if rtol_ is None:
        rtol_ = _np.asarray(_default_rtol(a.dtype, a.shape[-2], a.shape[-1],
                                          atol_ is not None and bool(_np.any(atol_ > 0))))
    if atol_ is None:
        atol_ = _np.asarray(0.0)
    smax = s.max(axis=-1) if s.shape[-1] else _np.zeros(s.shape[:-1])
    return _np.maximum(atol_, rtol_ * smax)[..., None]


@_takes_tensors("linalg_pinv", "A")
def pinv(A, *, atol=None, rtol=None, hermitian=False, out=None):
    if not isinstance(A, Tensor) or A.dim() < 2 or not (A.dtype.is_floating_point or A.dtype.is_complex) \
            or A.dtype in (_float16, _bfloat16):
        what = f"{_scalar_name(A.dtype)}{list(A.shape)}" if isinstance(A, Tensor) else type(A).__name__
        raise RuntimeError(f"linalg.pinv({what.replace('[', '{[').replace(']', ']}')}): expected a tensor with 2 or "
                           "more dimensions of float, double, cfloat or cdouble types")
    if hermitian:
        _eigh_checks(A, "linalg.eigh", "L")
    r = _record("linalg_pinv", _pinv_raw(A, atol, rtol, hermitian), (A,))
    return _to_out(r, out, "linalg_pinv")


@_takes_tensors("pinverse", "input")
def _pinverse(input, rcond=1e-15):
    """torch.pinverse: pinv with rtol=rcond."""
    return pinv(input, rtol=rcond)


def _pinv_backward(grad, self, result):
    P, A = result, self
    Ph, gh = _mH(P), _mH(grad)
    gA = -matmul(matmul(Ph, grad), Ph)
    # (I - A P) g^H P P^H + P^H P g^H (I - P A)
    t1 = matmul(gh, matmul(P, Ph))
    gA = gA + t1 - matmul(A, matmul(P, t1))
    t2 = matmul(matmul(Ph, P), gh)
    gA = gA + t2 - matmul(matmul(t2, P), A)
    return gA


@_takes_tensors("linalg_matrix_rank", "A")
def matrix_rank(A, tol=None, hermitian=False, *, atol=None, rtol=None, out=None):
    if not isinstance(A, Tensor):
        raise TypeError(f"linalg_matrix_rank(): argument 'input' (position 1) must be Tensor, not {type(A).__name__}")
    if A.dim() < 2:
        raise RuntimeError("torch.linalg.matrix_rank: The input tensor input must have at least 2 dimensions.")
    if not (A.dtype.is_floating_point or A.dtype.is_complex) or A.dtype in (_float16, _bfloat16):
        raise RuntimeError("This function doesn't handle types other than float and double")
    if tol is not None:
        atol, rtol = tol, 0.0
    a = _np_in(A)
    if a.size == 0:
        r = _np.zeros(a.shape[:-2], dtype=_np.int64)
    else:
        s = None
        if A.dtype in (_float32, _float64) and not A.is_cuda:
            # the kernels' syevd / gesdd values, in float64 (as numpy.linalg
            # computes float32)
            a64 = A.detach().to(_float64)
            t = _serial_call(_lk.syev_values, a64, True, _dispatch.get_num_threads()) if hermitian \
                else _serial_call(_lk.svd_values, a64, 0)
            if t is not None:
                s = _np.abs(t.numpy()) if hermitian else t.numpy()
        if s is None:
            s = _np.abs(_np.linalg.eigvalsh(a)) if hermitian else _np.linalg.svd(a, compute_uv=False)
        r = (s > _pinv_threshold(s, a, atol, rtol)).sum(-1).astype(_np.int64)
    return _to_out(_from_numpy(_np.array(r, dtype=_np.int64)).to(A.device), out, "linalg_matrix_rank")


def _tensor_list(tensors, fname):
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{fname}(): argument 'tensors' (position 1) must be tuple of Tensors, "
                        f"not {type(tensors).__name__}")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    return list(tensors)


def multi_dot(tensors, *, out=None):
    if _autocast_state() & 2 and out is None:
        return _autocast_call("multi_dot", multi_dot, (tensors,), None)
    if type(tensors) is list or type(tensors) is tuple:
        # matrices only, of one dtype, that chain: straight to the products
        # (the checks below give the messages of everything else)
        r = _multi_dot_2d(tensors)
        if r is not None:
            return r if out is None else _to_out(r, out, "linalg_multi_dot")
        n = len(tensors)
        t = tensors[0] if n >= 2 else None
        if isinstance(t, Tensor) and t.dim() == 2:
            dt = t.dtype
            p = [t.size(0), t.size(1)]
            for i in range(1, n):
                u = tensors[i]
                if not isinstance(u, Tensor) or u.dtype is not dt or u.dim() != 2 or u.size(0) != p[-1]:
                    p = None
                    break
                p.append(u.size(1))
            if p is not None:
                r = _chain(list(tensors))
                return r if out is None else _to_out(r, out, "linalg_multi_dot")
    ts = _tensor_list(tensors, "linalg_multi_dot")
    n = len(ts)
    if n < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {n}")
    for i, t in enumerate(ts):
        if i == 0 and t.dim() not in (1, 2):
            raise RuntimeError(f"multi_dot(): the first tensor must be 1D or 2D but got {t.dim()}D")
        if i == n - 1 and t.dim() not in (1, 2):
            raise RuntimeError(f"multi_dot(): the last tensor must be 1D or 2D but got {t.dim()}D")
        if 0 < i < n - 1 and t.dim() != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {t.dim()}D")
        if t.dtype != ts[0].dtype:
            raise RuntimeError(f"multi_dot(): all tensors must have be the same dtype but tensor 0 is "
                               f"{_c_type_name(ts[0].dtype)} and tensor {i} {_c_type_name(t.dtype)}")
    first_vec, last_vec = ts[0].dim() == 1, ts[-1].dim() == 1
    if first_vec:
        ts[0] = ts[0].unsqueeze(0)
    if last_vec:
        ts[-1] = ts[-1].unsqueeze(-1)
    for i in range(n - 1):
        if ts[i].shape[-1] != ts[i + 1].shape[0]:
            sa = list(ts[i].shape) if not (i == 0 and first_vec) else [ts[i].shape[-1]]
            sb = list(ts[i + 1].shape) if not (i + 1 == n - 1 and last_vec) else [ts[i + 1].shape[0]]
            raise RuntimeError(f"multi_dot(): tensors {i} and {i + 1} with shapes {sa} and {sb} cannot be multiplied")
    r = _chain(ts)
    if first_vec and last_vec:
        r = r.reshape(())
    elif first_vec:
        r = r.squeeze(0)
    elif last_vec:
        r = r.squeeze(-1)
    return _to_out(r, out, "linalg_multi_dot")


_C_TYPE_NAMES = {"bool": "bool", "uint8": "unsigned char", "int8": "signed char", "int16": "short",
                 "int32": "int", "int64": "long int", "float16": "c10::Half", "bfloat16": "c10::BFloat16",
                 "float32": "float", "float64": "double", "complex64": "c10::complex<float>",
                 "complex128": "c10::complex<double>"}


def _c_type_name(dt):
    """The C++ name PyTorch's messages give a dtype (float, double, long int)."""
    n = str(dt).replace("torch.", "")
    return _C_TYPE_NAMES.get(n, n)


def _chain(ts):
    """The product of the matrices ts in the order with the fewest flops."""
    n = len(ts)
    if n <= 3:
        return _multi_dot_2d(ts)
    p = [ts[0].shape[0]] + [t.shape[1] for t in ts]
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = None
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + p[i] * p[k + 1] * p[j + 1]
                if cost[i][j] is None or c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k

    def prod(i, j):
        if i == j:
            return ts[i]
        k = split[i][j]
        return matmul(prod(i, k), prod(k + 1, j))
    return prod(0, n - 1)


def _chain_matmul(*matrices, out=None):
    """torch.chain_matmul: multi_dot of 2-D tensors given as arguments."""
    import warnings
    warnings.warn("torch.chain_matmul is deprecated and will be removed in a future PyTorch release. Use "
                  "torch.linalg.multi_dot instead, which accepts a list of two or more tensors rather than "
                  "multiple parameters.", UserWarning, stacklevel=2)
    if len(matrices) == 1 and isinstance(matrices[0], (list, tuple)):
        matrices = tuple(matrices[0])
    matrices = tuple(_tensor_list(matrices, "chain_matmul"))
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    for t in matrices:
        if t.dim() != 2:
            raise RuntimeError(f"Tensor dimension is {t.dim()}, expected 2 instead.")
    if len(matrices) == 1:
        r = matrices[0].clone()
        return r if out is None else _to_out(r, out, "chain_matmul")
    return multi_dot(matrices, out=out)


# ================================================================== cross

def _tensor_args(fname, input, other):
    """PyTorch's TypeError for a non-tensor input (position 1) or other (2)."""
    for i, n, v in ((1, "input", input), (2, "other", other)):
        if not isinstance(v, Tensor):
            raise TypeError(f"{fname}(): argument '{n}' (position {i}) must be Tensor, "
                            f"not {type(v).__name__}")


def cross(input, other, *, dim=None, out=None, axis=None):
    dim = _dim_alias(dim, axis, "linalg_cross", -1)
    if not (isinstance(input, Tensor) and isinstance(other, Tensor)):
        _tensor_args("linalg_cross", input, other)
    nd = input.dim()
    if nd != other.dim():
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    if input.dtype != other.dtype:
        raise RuntimeError(f"expected scalar type {_scalar_name(input.dtype)} but found {_scalar_name(other.dtype)}")
    if type(dim) is int and -nd <= dim < nd:
        d = dim % nd
    else:
        (d,) = _norm_dims(dim, nd)
    if input.shape[d] != 3 or other.shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. "
                           f"Got {input.shape[d]} and {other.shape[d]}")
    _same_device_py(input, other)
    # one kernel pass where the device and dtype have one, else a composition
    r = _cross_kernel(input, other, d)
    if r is None:
        r = _cross_raw(input.detach(), other.detach(), d)
    r = _record("linalg_cross", r, (input, other), (d,))
    return r if out is None else _write_out(out, r, "linalg_cross", 2)


def _cross_raw(a, b, d):
    from ctorch._ops.shape import stack
    a0, a1, a2 = a.select(d, 0), a.select(d, 1), a.select(d, 2)
    b0, b1, b2 = b.select(d, 0), b.select(d, 1), b.select(d, 2)
    return stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], d)


def _cross_grads(grad, self, other, dim, needs):
    ga = cross(_conj(other).expand_as(grad) if tuple(other.shape) != tuple(grad.shape) else _conj(other),
               grad, dim=dim) if needs[0] else None
    gb = cross(grad, _conj(self).expand_as(grad) if tuple(self.shape) != tuple(grad.shape) else _conj(self),
               dim=dim) if needs[1] else None
    return ga, gb


def _cross_legacy(input, other, dim=None, *, out=None, axis=None):
    """torch.cross: dim defaults to the first dim of size 3."""
    dim = _dim_alias(dim, axis, "cross")
    if not (isinstance(input, Tensor) and isinstance(other, Tensor)):
        _tensor_args("cross", input, other)
    if dim is None:
        import warnings
        warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass the "
                      "dim explicitly or simply use torch.linalg.cross.\nThe default value of dim will change "
                      "to agree with that of linalg.cross in a future release.", UserWarning, stacklevel=2)
        shape = _broadcast_shape(tuple(input.shape), tuple(other.shape))
        dim = next((i for i, s in enumerate(shape) if s == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    return cross(input, other, dim=dim, out=out)


# ================================================================== eig

def _eig_checks(A, name):
    if isinstance(A, Tensor) and not (A.dtype.is_floating_point or A.dtype.is_complex):
        raise RuntimeError(f"Unknown Complex ScalarType for {_scalar_name(A.dtype)}")
    _check(A, name)
    if A.dtype == _float16 or A.dtype == _bfloat16:
        raise NotImplementedError(f"\"linalg_eig_out_cpu\" not implemented for '{_scalar_name(A.dtype)}'")


def _eig_raw(A, vectors=True):
    nonfinite = "torch.linalg.eig: input tensor should not contain infs or NaNs."
    cdt = A.dtype if A.is_complex() else A.dtype.to_complex()
    if not A.is_cuda and A.dtype in (_float32, _float64) and A.shape[-1]:
        # LAPACK's geev steps in ctorch's loop, in A's precision (as
        # PyTorch computes); the loop checks for NaN and infinity as it
        # copies
        r = _serial_call(_lk.geev, A.detach(), vectors, _dispatch.get_num_threads())
        if r is False:
            raise RuntimeError(nonfinite)
        if r is not None:
            return r if vectors else r[0]
    a = _np_in(A)
    if not _np.isfinite(a).all():
        raise RuntimeError(nonfinite)
    if vectors:
        w, v = _np.linalg.eig(a)
        return _factor(w.astype(_np.result_type(w, _np.complex64)), _Like(cdt, A.device)), \
            _factor(v.astype(_np.result_type(v, _np.complex64)), _Like(cdt, A.device))
    w = _np.linalg.eigvals(a)
    return _factor(w.astype(_np.result_type(w, _np.complex64)), _Like(cdt, A.device))


class _Like:
    """What _factor reads of a tensor: a dtype and a device."""

    def __init__(self, dtype, device):
        self.dtype, self.device = dtype, device
        self.is_cuda = device.type == "cuda"


@_takes_tensors("linalg_eig", "A")
def eig(A, *, out=None):
    _eig_checks(A, "linalg.eig")
    r = _EIG(*_record("linalg_eig", _eig_raw(A), (A,)))
    return r if out is None else _fill_out("linalg_eig", out, r, (A,))


@_takes_tensors("linalg_eigvals", "A")
def eigvals(A, *, out=None):
    _eig_checks(A, "linalg.eigvals")
    if _differentiated(A):
        L = _record("linalg_eig", _eig_raw(A), (A,))[0]
    else:
        L = _eig_raw(A, False)
    return L if out is None else _fill_out("linalg_eigvals", (out,), (L,), (A,))[0]


def _eig_backward(grads, self_dtype, result0, result1):
    L, V = result0, result1
    gL, gV = grads
    Vh = _mH(V)
    if gV is None:
        inner = diag_embed_(gL)
    else:
        W = matmul(Vh, gV)
        d = W.diagonal(0, -2, -1)
        if d.numel() and d.imag.abs().max().item() > 1e-6 * (1.0 + W.abs().max().item()):
            raise RuntimeError("linalg_eig_backward: The eigenvectors in the complex case are specified up to "
                               "multiplication by e^{i phi}. The specified loss function depends on this "
                               "quantity, so it is ill-defined.")
        VhV = matmul(Vh, V)
        inner = W - VhV * d.real.unsqueeze(-2)
        n = L.shape[-1]
        e = _eye(n, dtype=L.dtype, device=L.device)
        F = (1 - e) / (_conj(L).unsqueeze(-2) - _conj(L).unsqueeze(-1) + e)
        inner = F * inner
        if gL is not None:
            inner = inner + diag_embed_(gL)
    gA = solve(Vh, matmul(inner, Vh))
    return gA if self_dtype.is_complex else gA.real


def diag_embed_(v):
    from ctorch._ops.products import diag_embed
    return diag_embed(v)


# ================================================================== lstsq

_LSTSQ_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


@_takes_tensors("linalg_lstsq", "A", "B")
def lstsq(A, B, rcond=None, *, driver=None):
    for n, t in (("self", A), ("b", B)):
        if not isinstance(t, Tensor):
            raise TypeError(f"linalg_lstsq(): argument '{n}' must be Tensor, not {type(t).__name__}")
    if A.dtype != B.dtype:
        raise RuntimeError(f"torch.linalg.lstsq: Expected input and other to have the same dtype, but got "
                           f"input's dtype {_scalar_name(A.dtype)} and other's dtype {_scalar_name(B.dtype)}")
    if not (A.dtype.is_floating_point or A.dtype.is_complex) or A.dtype in (_float16, _bfloat16):
        raise RuntimeError("This function doesn't handle types other than float and double")
    if A.dim() < 2:
        raise RuntimeError("torch.linalg.lstsq: input must have at least 2 dimensions.")
    if not (A.dim() >= B.dim() >= 1 and A.dim() - B.dim() <= 1):
        raise RuntimeError("torch.linalg.lstsq: input.dim() must be greater or equal to other.dim() and "
                           "(input.dim() - other.dim()) <= 1")
    if driver is None:
        driver = "gels" if A.is_cuda else "gelsy"
    if driver not in _LSTSQ_DRIVERS:
        raise RuntimeError("torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)")
    vec = B.dim() == A.dim() - 1
    Bm = B.unsqueeze(-1) if vec else B
    Ab, Bb = _batch_broadcast(A, Bm, "")
    if Bm.shape[-2] != A.shape[-2]:
        raise RuntimeError("torch.linalg.lstsq: input.size(-2) should match other.size(-2)")
    _same_device_py(A, B)
    X, res, rank, sv = _lstsq_raw(Ab, Bb, rcond, driver)
    if vec:
        X = X.squeeze(-1)
    X = _record("linalg_lstsq", X, (A, B), (vec,))
    return _LSTSQ(X, res, rank, sv)


def _lstsq_gelsy(A, B, rcond):
    """gelsy's (X, residuals, rank, singular values) in one loop of LAPACK
    calls over the batch (real float32 / float64 on the CPU), or None."""
    m, n, k = A.shape[-2], A.shape[-1], B.shape[-1]
    batch = tuple(A.shape[:-2])
    if A.is_cuda or A.dtype not in (_float32, _float64) or not (m and n and k) or 0 in batch:
        return None
    r = _lk.gelsy(A.detach().reshape(-1, m, n).contiguous(), B.detach().reshape(-1, m, k).contiguous(),
                  float(rcond))
    if r is None:
        return None
    X, rank = r
    empty = _empty(0, dtype=A.dtype, device=A.device)
    return X.reshape(batch + (n, k)), empty, rank.reshape(batch), empty


def _lstsq_full_rank(A, B, rcond):
    """gelsy's (X, residuals, rank, singular values) for tall A (m >= n,
    real float32 / float64 on the CPU, larger than the small QR kernel's
    matrices) that is certainly of full rank, by the QR of [A | B] (whose R
    holds Q^T B beside A's R); None otherwise. gelsy's rank is n exactly when
    its estimates of sigma_min / sigma_max of the leading blocks of its
    column-pivoted R stay above rcond; those estimates are bounded below by
    1 / cond2(A') = 1 / (|R'|_2 |R'^-1|_2), A' = A + E the matrix whose
    exact factor gelsy's computed R' is. This asks 1 / cond2(A) to exceed
    rcond by a factor M = 4 (1 + sqrt(max(m, n))): a perturbation E of
    about max(m, n) eps |A|_2 (Householder QR's, both for gelsy's R' and
    ours) moves the condition number by a factor 1 / (1 - sqrt(max(m, n)) /
    M) at most there, well below M. The bound on cond2(A) is
    _lk.cond2_bound's, |R^-1|_F |G G|_F^(1/4) (G = R^T R): at most n^(5/8)
    times cond2, and close to it where one singular value stands apart (a
    few percent above it for a random 64 x 64 A, where |R|_F |R^-1|_F is
    some four times it)."""
    m, n, k = A.shape[-2], A.shape[-1], B.shape[-1]
    batch = tuple(A.shape[:-2])
    if A.is_cuda or A.dtype not in (_float32, _float64) or not (0 < n <= m and k) or 0 in batch \
            or max(m, n + k) <= 32 or not rcond > 0:
        return None
    from ctorch._ops.shape import cat
    r = _lk.qr(cat([A.detach(), B.detach()], -1), "r")
    if r is None:
        return None
    R = r[1][..., :n, :]
    R11 = R[..., :n].contiguous()
    eye = _eye(n, dtype=A.dtype, device=A.device)
    Rinv = _lk.trsm(R11, eye.expand(R11.shape) if batch else eye, True, True, False, False)
    if Rinv is None:
        return None
    kub = _lk.cond2_bound(R11.reshape(-1, n, n), Rinv.reshape(-1, n, n))
    margin = rcond * 4.0 * (1.0 + max(m, n) ** 0.5)
    if kub is None or not all(k * margin < 1.0 for k in kub):
        return None
    X = _lk.trsm(R11, R[..., n:].contiguous(), True, True, False, False)
    if X is None:
        return None
    empty = _empty(0, dtype=A.dtype, device=A.device)
    return X, empty, _full(batch, n, dtype=_int64, device=A.device), empty


@_serial
def _lstsq_raw(A, B, rcond, driver):
    if driver == "gelsy" and A.dtype in (_float32, _float64):
        if rcond is None:
            # PyTorch's default: the dtype's machine epsilon times max(m, n)
            rcond = _np.finfo(_np.float32 if A.dtype == _float32 else _np.float64).eps * \
                max(A.shape[-2], A.shape[-1])
        r = _lstsq_full_rank(A, B, rcond)
        if r is None:
            r = _lstsq_gelsy(A, B, rcond)
        if r is not None:
            return r
    from scipy.linalg import lstsq as _sl
    a, b = _np_in(A), _np_in(B)
    m, n, k = a.shape[-2], a.shape[-1], b.shape[-1]
    batch = a.shape[:-2]
    fa, fb = _batches(a), _batches(b)
    nb = fa.shape[0]
    X = _np.zeros((nb, n, k), dtype=a.dtype)
    ranks = _np.zeros(nb, dtype=_np.int64)
    svs = _np.zeros((nb, min(m, n)), dtype=_np.finfo(a.dtype).dtype)
    res = _np.zeros((nb, k), dtype=svs.dtype)
    full = True
    if rcond is None:
        rcond = _np.finfo(a.dtype).eps * max(m, n)
    gelsy = None
    if driver == "gelsy" and nb and m and n and k:
        # LAPACK's routine itself, its workspace sized once for the batch
        # (scipy.linalg.lstsq checks and sizes again for every matrix)
        gelsy = _lapack("gelsy", fa)
        lwork = int(_np.real(_lapack("gelsy_lwork", fa)(m, n, k, rcond)[0]))
        rows = max(m, n)
    for i in range(nb):
        if driver == "gels":
            x, r_, rk, s = _gels(fa[i], fb[i])
        elif gelsy is not None:
            bb = _np.zeros((rows, k), dtype=a.dtype)
            bb[:m] = fb[i]
            res_ = gelsy(fa[i], bb, _np.zeros((n, 1), dtype=_np.int32), rcond, lwork, False, True)
            if res_[-1] < 0:
                raise ValueError(f"illegal value in {-res_[-1]}-th argument of internal gelsy")
            x, rk, s = res_[1][:n], res_[3], None
        else:
            x, r_, rk, s = _sl(fa[i], fb[i], cond=rcond, lapack_driver=driver, check_finite=False)
        X[i] = x
        ranks[i] = rk if rk is not None else min(m, n)
        if s is not None:
            svs[i] = s
        if driver == "gelsy":
            full = False            # gelsy gives no residuals
        elif m > n and ranks[i] == n:
            res[i] = _np.sum(_np.abs(fa[i] @ x - fb[i]) ** 2, axis=0)
        else:
            full = False
    X = X.reshape(batch + (n, k))
    if m > n and full and driver != "gelsy":
        residuals = _factor(res.reshape(batch + (k,)), A, real=True)
    else:
        residuals = _empty(0, dtype=_real_dtype(A.dtype), device=A.device)
    if driver == "gels":
        rank = _empty(0, dtype=_int64, device=A.device)
    else:
        rank = _from_numpy(_np.array(ranks.reshape(batch))).to(A.device)
    if driver in ("gelsd", "gelss"):
        sv = _factor(svs.reshape(batch + (min(m, n),)), A, real=True)
    else:
        sv = _empty(0, dtype=_real_dtype(A.dtype), device=A.device)
    return _factor(X, A), residuals, rank, sv


def _gels(a, b):
    """QR least squares (full-rank A) as LAPACK's gels."""
    fn = _lapack("gels", a)
    m, n = a.shape
    bb = _np.zeros((max(m, n), b.shape[1]), dtype=a.dtype)
    bb[:m] = b
    r = fn(a, bb)
    return r[1][:n], None, None, None


def _lstsq_grads(grad, A, B, vec, needs):
    P = pinv(A)
    Bm = B.unsqueeze(-1) if vec else B
    g = grad.unsqueeze(-1) if vec else grad
    gA = gB = None
    if needs[0]:
        gA = _pinv_backward(matmul(g, _mH(Bm)), A, P)
    if needs[1]:
        gB = matmul(_mH(P), g)
        if vec:
            gB = gB.squeeze(-1)
    return gA, gB


# ================================================================== Cholesky family

@_takes_tensors("cholesky", "input")
def _cholesky_legacy(input, upper=False, *, out=None):
    """torch.cholesky (deprecated): L, or U = L^H when upper."""
    import warnings
    warnings.warn("torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed in a "
                  "future PyTorch release.\nL = torch.cholesky(A)\nshould be replaced with\nL = "
                  "torch.linalg.cholesky(A)\nand\nU = torch.cholesky(A, upper=True)\nshould be replaced with\n"
                  "U = torch.linalg.cholesky(A).mH\nThis transform will produce equivalent results for all "
                  "valid (symmetric positive definite) inputs.", UserWarning, stacklevel=2)
    _check(input, "cholesky")
    try:
        L = _cholesky_raw(input)
    except LinAlgError as e:
        raise LinAlgError(str(e).replace("linalg.cholesky: ", "cholesky: ", 1)) from None
    if upper:
        L = _mH(L).contiguous()
    r = _record("cholesky", L, (input,), (upper,))
    return _to_out(r, out, "cholesky")


@_takes_tensors("cholesky_inverse", "L")
def _cholesky_inverse(L, upper=False, *, out=None):
    if L.dim() < 2:
        raise RuntimeError("cholesky_inverse: The input tensor A must have at least 2 dimensions.")
    if L.shape[-1] != L.shape[-2]:
        raise RuntimeError(f"cholesky_inverse: A must be batches of square matrices, but they are "
                           f"{L.shape[-2]} by {L.shape[-1]} matrices")
    _float_kernel(L, "cholesky_inverse_out_cpu")
    n = L.shape[-1]
    eye = _eye(n, dtype=L.dtype, device=L.device)
    with _NoGrad():
        Ld = L.detach()
        # A = L L^H (or U^H U): A^-1 = L^-H L^-1
        Li = _trsm_raw(Ld, eye.expand(*Ld.shape), upper, True, False)
        X = matmul(_mH(Li), Li) if not upper else matmul(Li, _mH(Li))
    r = _record("cholesky_inverse", X, (L,), (upper,))
    return _to_out(r, out, "cholesky_inverse")


def _sym_factor_grad(gM, F, upper):
    """The gradient of F for M = F F^H (lower) or F^H F (upper), given gM."""
    S = gM + _mH(gM)
    return matmul(S, F) if not upper else matmul(F, S)


def _cholesky_inverse_backward(grad, self, result, upper):
    gM = -matmul(matmul(result, grad), result)
    return _sym_factor_grad(gM, self, upper)


@_takes_tensors("cholesky_solve", "B", "L")
def _cholesky_solve(B, L, upper=False, *, out=None):
    if B.dim() < 2:
        raise RuntimeError(f"b should have at least 2 dimensions, but has {B.dim()} dimensions instead")
    if L.dim() < 2:
        raise RuntimeError(f"u should have at least 2 dimensions, but has {L.dim()} dimensions instead")
    if B.dtype != L.dtype:
        raise RuntimeError(f"Expected b and A to have the same dtype, but found b of type {_scalar_name(B.dtype)} "
                           f"and A of type {_scalar_name(L.dtype)} instead.")
    if L.shape[-1] != L.shape[-2]:
        raise RuntimeError(f"A must be batches of square matrices, but they are {L.shape[-2]} by "
                           f"{L.shape[-1]} matrices")
    if B.shape[-2] != L.shape[-1]:
        raise RuntimeError(f"Incompatible matrix sizes for cholesky_solve: each A matrix is {L.shape[-1]} by "
                           f"{L.shape[-1]} but each b matrix is {B.shape[-2]} by {B.shape[-1]}")
    _same_device_py(B, L)
    _float_kernel(L, "cholesky_solve_cpu")
    Lb, Bb = _batch_broadcast(L.detach(), B.detach(), "")
    with _NoGrad():
        # L L^H X = B: L Y = B, L^H X = Y  (upper: U^H U X = B)
        Y = _trsm_raw(Lb, Bb, upper, True, False, 0 if not upper else 2)
        X = _trsm_raw(Lb, Y, upper, True, False, 2 if not upper else 0)
    r = _record("cholesky_solve", X, (B, L), (upper,))
    return _to_out(r, out, "cholesky_solve")


def _cholesky_solve_grads(grad, self, input2, result, upper, needs):
    gB = _cholesky_solve(grad, input2, upper)
    gL = None
    if needs[1]:
        gM = -matmul(gB, _mH(result))
        gL = _sym_factor_grad(gM, input2, upper)
    return (gB if needs[0] else None), gL


# ================================================================== slogdet / logdet

def _slogdet_backward(grads, A, result0, result1):
    gsign, glog = grads
    sign = result0
    if glog is None:
        glog = _zeros(tuple(result1.shape), dtype=result1.dtype, device=result1.device)
    if A.is_complex():
        c = glog.to(A.dtype)
        if gsign is not None:
            c = c - 1j * (_conj(gsign) * sign).imag
    else:
        c = glog
    return c.unsqueeze(-1).unsqueeze(-1) * _mH(inv(A))


@_takes_tensors("logdet", "A")
def _logdet(A):
    """torch.logdet: log det A (nan for a negative real determinant)."""
    _check(A, "logdet")
    s, l = slogdet(A)
    if A.is_complex():
        return s.log() + l
    return _where(s < 0, float("nan"), l)


# ================================================================== Householder

def _hh_names(dt_complex):
    return ("ungqr", "unmqr") if dt_complex else ("orgqr", "ormqr")


def householder_product(A, tau, *, out=None):
    if out is None and type(A) is Tensor and type(tau) is Tensor and not A.is_cuda:
        # float matrices of one host device that need no history, shapes
        # that _householder_product accepts: the kernel's orgqr loop (None:
        # the checks and the general path)
        q = _serial_call(_lk.orgqr, A, tau)
        if q is not None:
            return q
    return _householder_product(A, tau, out=out)


@_takes_tensors("linalg_householder_product", "A", "tau")
@_serial
def _householder_product(A, tau, *, out=None):
    name = "torch.linalg.householder_product"
    if A.dim() < 2:
        raise RuntimeError(f"{name}: input must have at least 2 dimensions.")
    if A.shape[-2] < A.shape[-1]:
        raise RuntimeError(f"{name}: input.shape[-2] must be greater than or equal to input.shape[-1]")
    if A.shape[-1] < tau.shape[-1]:
        raise RuntimeError(f"{name}: input.shape[-1] must be greater than or equal to tau.shape[-1]")
    if A.dim() - tau.dim() != 1:
        raise RuntimeError(f"{name}: Expected tau to have one dimension less than input, but got "
                           f"tau.ndim equal to {tau.dim()} and input.ndim is equal to {A.dim()}")
    if tuple(tau.shape[:-1]) != tuple(A.shape[:-2]):
        raise RuntimeError(f"{name}: Expected batch dimensions of tau to be equal to input.shape[:-2], but "
                           f"got {list(tau.shape[:-1])}")
    if tau.dtype != A.dtype:
        raise RuntimeError(f"{name}: tau dtype {_scalar_name(tau.dtype)} does not match input dtype "
                           f"{_scalar_name(A.dtype)}")
    _same_device_py(A, tau)
    _float_kernel(A, "orgqr_cpu")
    if not A.is_cuda:
        # real matrices: the kernels' orgqr over the batch
        q = _lk.orgqr(A.detach(), tau.detach())
        if q is not None:
            return _to_out(_record("linalg_householder_product", q, (A, tau)), out,
                           "linalg_householder_product")
    a, t = _np_in(A), _np_in(tau)
    out_ = _np.array(a, copy=True)
    fa, ft = _batches(out_), t.reshape(_prod(t.shape[:-1]), t.shape[-1])
    if fa.shape[0] and a.shape[-1]:
        fn = _lapack(_hh_names(A.is_complex())[0], fa[:1])
        for i in range(fa.shape[0]):
            k = ft.shape[-1]
            fa[i] = fn(fa[i], ft[i])[0] if k else _np.eye(a.shape[-2], a.shape[-1], dtype=a.dtype)
    r = _record("linalg_householder_product", _factor(out_, A), (A, tau))
    return _to_out(r, out, "linalg_householder_product")


def _householder_grads(grad, input, tau, needs):
    """Reverse mode through Q = H_1 ... H_k I[:, :n], H_i = I - tau_i v_i v_i^H
    (v_i: column i of input below the diagonal, 1 on it, 0 above)."""
    from ctorch._ops.products import tril
    from ctorch._ops.shape import stack
    m, n = input.shape[-2], input.shape[-1]
    k = tau.shape[-1]
    V = tril(input, -1) + _eye(m, n, dtype=input.dtype, device=input.device)
    X = _eye(m, n, dtype=input.dtype, device=input.device).expand(*input.shape)
    Xs = []
    for i in reversed(range(k)):
        # X_{i} = H_{i+1} X_{i+1}: keep the inputs of each step
        Xs.append(X)
        v = V[..., :, i:i + 1]
        t = tau[..., i:i + 1].unsqueeze(-1)
        X = X - t * matmul(v, matmul(_mH(v), X))
    Xs.reverse()
    G = grad
    gV_cols = [None] * k
    gtau = [None] * k
    for i in range(k):
        v = V[..., :, i:i + 1]
        t = tau[..., i:i + 1].unsqueeze(-1)
        Xi = Xs[i]
        w = matmul(_mH(v), Xi)                      # 1 x n
        vhG = matmul(_mH(v), G)                     # 1 x n
        gtau[i] = -matmul(vhG, _mH(w)).squeeze(-1).squeeze(-1)
        gV_cols[i] = (-_conj(t) * matmul(G, _mH(w)) - t * matmul(Xi, _mH(vhG))).squeeze(-1)
        G = G - _conj(t) * matmul(v, vhG)
    ginput = gt = None
    if needs[0]:
        gv = stack(gV_cols, -1)
        if k < n:
            gv = _pad_to(gv, m, n)
        ginput = tril(gv, -1)
    if needs[1]:
        gt = stack(gtau, -1) if k else _zeros(tuple(tau.shape), dtype=tau.dtype, device=tau.device)
    return ginput, gt


@_takes_tensors("geqrf", "input")
@_serial
def _geqrf(input, *, out=None):
    """torch.geqrf: LAPACK's (a, tau)."""
    if input.dim() < 2:
        raise RuntimeError("torch.geqrf: input must have at least 2 dimensions.")
    _float_kernel(input, "geqrf_cpu")
    if not input.is_cuda and input.dtype in (_float32, _float64):
        # ctorch's Householder kernels (blocked on the gemm past 32 rows or
        # columns: LAPACK's geqrf through scipy took 2.3x PyTorch's time)
        hr = _lk.geqrf(input.detach())
        if hr is not None:
            r = _GEQRF(*_record("geqrf", hr, (input,)))
            return r if out is None else _fill_out("geqrf", out, r, (input,))
    a = _np_in(input)
    fa = _np.array(_batches(a), copy=True)
    k = min(a.shape[-2], a.shape[-1])
    taus = _np.zeros((fa.shape[0], k), dtype=a.dtype)
    if fa.shape[0] and k:
        fn = _lapack("geqrf", fa[:1])
        for i in range(fa.shape[0]):
            qr_, tau_, _, _ = fn(fa[i])
            fa[i], taus[i] = qr_, tau_[:k]
    r = _GEQRF(*_record("geqrf", (_factor(fa.reshape(a.shape), input),
                                   _factor(taus.reshape(a.shape[:-2] + (k,)), input)), (input,)))
    return r if out is None else _fill_out("geqrf", out, r, (input,))


@_takes_tensors("ormqr", "input", "tau", "other")
def _ormqr(input, tau, other, left=True, transpose=False, *, out=None):
    """torch.ormqr: op(Q) other (left) or other op(Q), Q from geqrf's (input, tau)."""
    name = "torch.ormqr"
    if input.dim() < 2:
        raise RuntimeError(f"{name}: input must have at least 2 dimensions.")
    if other.dim() < 2:
        raise RuntimeError(f"{name}: other must have at least 2 dimensions.")
    left_dim = -2 if left else -1
    if other.shape[left_dim] != input.shape[-2]:
        raise RuntimeError(f"{name}: other.shape[{left_dim}] must be equal to input.shape[-2]")
    if tau.shape[-1] > input.shape[-1]:
        raise RuntimeError(f"{name}: tau.shape[-1] must be less than or equal to input.shape[-1]")
    for t, what in ((tau, "tau"), (other, "other")):
        if t.dtype != input.dtype:
            raise RuntimeError(f"{name}: Expected input and {what} to have the same dtype, but input has dtype "
                               f"{_scalar_name(input.dtype)} and {what} has dtype {_scalar_name(t.dtype)}")
    _float_kernel(input, "ormqr_cpu")
    m = input.shape[-2]
    k = tau.shape[-1]
    if (not (input.requires_grad or tau.requires_grad or other.requires_grad) and not input.is_cuda
            and input.dtype in (_float32, _float64) and k <= m and k <= input.shape[-1]
            and input.shape[:-2] == other.shape[:-2] == tau.shape[:-1] and other.numel()):
        # no history to record: the reflectors applied to other as they lie,
        # by blocks through the gemm (forming Q first took 2.7x PyTorch's
        # time, LAPACK's ormqr through scipy 2.6x)
        r = _lk.ormqr(input.detach(), tau.detach(), other.detach(), left, transpose)
        if r is not None:
            return _to_out(r, out, "ormqr")
        a = _batches(_np_in(input)[..., :, :k])
        t = _np_in(tau).reshape(-1, k)
        c = _np.array(_batches(_np_in(other)), order="C", copy=True)
        fn = _lapack("ormqr", a[:1])
        side, trans = (b"L" if left else b"R"), (b"T" if transpose else b"N")
        # a blocked pass's workspace: 64 columns of reflectors times C's other side
        lw = 64 * (c.shape[2] if left else c.shape[1])
        for i in range(c.shape[0]):
            c[i] = fn(side, trans, _np.asfortranarray(a[i]), t[i], _np.asfortranarray(c[i]), max(1, lw),
                      overwrite_c=True)[0]
        return _to_out(_factor(c.reshape(other.shape), other), out, "ormqr")
    # Q is the m x m product of the reflectors: form it (differentiably) and multiply
    A = input
    if A.shape[-1] < m:
        from ctorch._ops.shape import cat
        A = cat([A, _zeros(tuple(A.shape[:-1]) + (m - A.shape[-1],), dtype=A.dtype, device=A.device)], -1)
    else:
        A = A[..., :, :m]
    Q = householder_product(A, tau)
    if transpose:
        Q = _mH(Q)
    r = matmul(Q, other) if left else matmul(other, Q)
    return _to_out(r, out, "ormqr")


@_takes_tensors("orgqr", "input", "tau")
def _orgqr(input, tau, *, out=None):
    return householder_product(input, tau, out=out)


# ================================================================== LDL

_TRF_LWORK = {}


def _trf_lwork(name, a, n):
    """The workspace LAPACK's sytrf / hetrf asks for at order n (its blocked
    code runs only with it; scipy's wrappers default to the unblocked one)."""
    key = (name, a.dtype.char, n)
    lw = _TRF_LWORK.get(key)
    if lw is None:
        r = _lapack(name + "_lwork", a)(n, lower=1)
        lw = _TRF_LWORK[key] = max(int(_np.real(r[0])), 1) if r[-1] == 0 else max(n, 1)
    return lw


@_takes_tensors("linalg_ldl_factor_ex", "A")
@_serial
def ldl_factor_ex(A, *, hermitian=False, check_errors=False, out=None):
    name = "torch.linalg.ldl_factor_ex"
    if A.dim() < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are {A.shape[-2]} by "
                           f"{A.shape[-1]} matrices")
    if not (A.dtype.is_floating_point or A.dtype.is_complex):
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. Got {_scalar_name(A.dtype)}")
    _float_kernel(A, "ldl_factor_cpu")
    r = _ldl_kernel(A)
    if r is not None:
        LD, piv, info_t, first = r
        if check_errors and first >= 0:
            _raise_ldl(A, first, info_t.view(-1)[first].item())
        r = _LDLEX(LD, piv, info_t)
        return r if out is None else _fill_out("linalg_ldl_factor_ex", out, r, (A,))
    a = _np_in(A)
    fa = _np.array(_batches(a), copy=True)
    n = a.shape[-1]
    piv = _np.zeros((fa.shape[0], n), dtype=_np.int32)
    info = _np.zeros(fa.shape[0], dtype=_np.int32)
    if fa.shape[0] and n:
        name = "hetrf" if hermitian and A.is_complex() else "sytrf"
        fn = _lapack(name, fa[:1])
        lwork = _trf_lwork(name, fa[:1], n)
        for i in range(fa.shape[0]):
            ld, p, info[i] = fn(fa[i], lower=1, lwork=lwork)
            fa[i] = _np.tril(ld)
            piv[i] = p
    LD = _factor(fa.reshape(a.shape), A)
    info_t = _from_numpy(info.reshape(a.shape[:-2])).to(A.device)
    if check_errors and info.any():
        b = int(_np.nonzero(info)[0][0])
        _raise_ldl(A, b, info[b])
    r = _LDLEX(LD, _from_numpy(piv.reshape(a.shape[:-2] + (n,))).to(A.device), info_t)
    return r if out is None else _fill_out("linalg_ldl_factor_ex", out, r, (A,))


def _ldl_kernel(A):
    """(LD, pivots, info, first failing batch element or -1) of real host
    matrices by the kernel's sytrf loop; None where it does not apply."""
    if A.is_cuda or A.is_complex():
        return None
    return _serial_call(_lk.sytrf, A.detach())


def _raise_ldl(A, b, i):
    raise LinAlgError(f"torch.linalg.ldl_factor: {_batch_prefix(b, A.shape)}The factorization could not "
                      f"be completed because the input is singular (D[{i},{i}] is zero).")


@_takes_tensors("linalg_ldl_factor", "A")
def ldl_factor(A, *, hermitian=False, out=None):
    if type(A) is Tensor and A.dim() >= 2 and A.shape[-1] == A.shape[-2]:
        # real float matrices: the kernel's sytrf loop (None: ldl_factor_ex)
        r = _ldl_kernel(A)
        if r is not None:
            LD, piv, info, first = r
            if first >= 0:
                _raise_ldl(A, first, info.view(-1)[first].item())
            r = _LDL(LD, piv)
            return r if out is None else _fill_out("linalg_ldl_factor", out, r, (A,))
    LD, piv, info = ldl_factor_ex(A, hermitian=hermitian)
    if info.any().item():
        bad = info.view(-1).nonzero()[0, 0].item()
        _raise_ldl(A, bad, info.view(-1)[bad].item())
    r = _LDL(LD, piv)
    return r if out is None else _fill_out("linalg_ldl_factor", out, r, (A,))


@_takes_tensors("linalg_ldl_solve", "LD", "pivots", "B")
@_serial
def ldl_solve(LD, pivots, B, *, hermitian=False, out=None):
    name = "torch.linalg.ldl_solve"
    if LD.dim() < 2:
        raise RuntimeError(f"{name}: The input tensor LD must have at least 2 dimensions.")
    if B.dim() < 2:
        raise RuntimeError(f"{name}: The input tensor B must have at least 2 dimensions.")
    if LD.shape[-1] != LD.shape[-2]:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are {LD.shape[-2]} by "
                           f"{LD.shape[-1]} matrices")
    if B.shape[-2] != LD.shape[-1]:
        raise RuntimeError(f"Incompatible matrix sizes for {name}: each A matrix is {LD.shape[-1]} by "
                           f"{LD.shape[-1]} but each b matrix is {B.shape[-2]} by {B.shape[-1]}")
    if pivots.dtype != _int32:
        raise RuntimeError(f"{name}: Expected pivots to be integers. Got {_scalar_name(pivots.dtype)}")
    if LD.dtype != B.dtype:
        raise RuntimeError(f"{name}: LD dtype {_scalar_name(LD.dtype)} does not match b dtype "
                           f"{_scalar_name(B.dtype)}")
    _float_kernel(LD, "ldl_solve_cpu")
    LDb, Bb = _batch_broadcast(LD, B, "")
    ld, b = _np_in(LDb), _np_in(Bb)
    piv = _np.broadcast_to(pivots.detach().cpu().numpy(), ld.shape[:-1])
    out_ = _np.empty(b.shape, dtype=b.dtype)
    fl, fb, fp = _batches(ld), _batches(b), piv.reshape(_prod(piv.shape[:-1]), piv.shape[-1])
    fo = _batches(out_)
    if fo.shape[0] and fo.shape[-1] and fo.shape[-2]:
        fn = _lapack("hetrs" if hermitian and LD.is_complex() else "sytrs", fl[:1])
        for i in range(fo.shape[0]):
            fo[i] = fn(fl[i], fp[i], fb[i], lower=1)[0]
    return _to_out(_factor(out_, LD), out, "linalg_ldl_solve")


# ================================================================== tensor and Vandermonde

@_takes_tensors("linalg_tensorinv", "A")
def tensorinv(A, ind=2, *, out=None):
    if ind <= 0:
        raise RuntimeError(f"Expected a strictly positive integer for 'ind', but got {ind}")
    shape = tuple(A.shape)
    lead, rest = shape[:ind], shape[ind:]
    p, q = _prod(lead), _prod(rest)
    if p != q:
        raise RuntimeError(f"Expected self to satisfy the requirement prod(self.shape[ind:]) == "
                           f"prod(self.shape[:ind]), but got {q} != {p}")
    r = inv(A.reshape(p, q)).reshape(*rest, *lead)
    return _to_out(r, out, "linalg_tensorinv")


def _prod(s):
    p = 1
    for x in s:
        p *= x
    return p


@_takes_tensors("linalg_tensorsolve", "A", "B")
def tensorsolve(A, B, dims=None, *, out=None):
    if dims is not None:
        nd = A.dim()
        ds = list(_norm_dims(dims, nd))
        A = A.movedim(ds, list(range(nd - len(ds), nd)))
    rest = tuple(A.shape[B.dim():])
    p, q = B.numel(), _prod(rest)
    if p != q:
        raise RuntimeError(f"Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == "
                           f"prod(self.shape[:other.ndim]), but got {q} != {p}")
    r = solve(A.reshape(p, q), B.reshape(p)).reshape(*rest)
    return _to_out(r, out, "linalg_tensorsolve")


@_takes_tensors("linalg_vander", "x")
def vander(x, *, N=None):
    if str(x.dtype) == "torch.bool":
        raise RuntimeError("linalg.vander supports floating point, complex, and integer tensors, but got Bool")
    n = x.shape[-1] if x.dim() else 0
    if N is None:
        N = n
    if N <= 1 or x.dim() == 0:
        raise RuntimeError("N must be greater than 1.")
    from ctorch._ops.shape import cat
    ones = _full(tuple(x.shape) + (1,), 1, dtype=x.dtype, device=x.device)
    powers = x.unsqueeze(-1).expand(*x.shape, N - 1).cumprod(-1)
    return cat([ones, powers], -1)


# ================================================================== renorm

def _renorm(input, p, dim=None, maxnorm=None, *, out=None, axis=None):
    dim = _dim_alias(dim, axis, "renorm", ...)
    maxnorm = _required(maxnorm, "renorm", "maxnorm")
    if not isinstance(input, Tensor):
        raise TypeError(f"renorm(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if isinstance(maxnorm, (int, float)) and maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {_ord_str(maxnorm)}")
    if p <= 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    nd = input.dim()
    if nd <= 1:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {nd} dimensions")
    if type(dim) is int and -nd <= dim < nd:
        d = dim % nd
    else:
        (d,) = _norm_dims(dim, nd)
    others = tuple(range(d)) + tuple(range(d + 1, nd))
    x = input.detach()
    n = None
    if type(p) is int or type(p) is float:
        n = _norm2(x, others, True) if p == 2 else _norm_p(x, p, others, True)
    if n is None:
        n = vector_norm(x, p, others, True)
    f = _lk.renorm_factor(n, maxnorm) if isinstance(maxnorm, (int, float)) else None
    if f is None:
        f = _renorm_factor(n, maxnorm).to(x.dtype)
    r = _record("renorm", x * f, (input,), (p, others, maxnorm))
    return _to_out(r, out, "renorm")


def _renorm_factor(n, maxnorm):
    return _where(n > maxnorm, maxnorm / (n + 1e-7), 1.0)


def _renorm_backward(grad, self, p, others, maxnorm):
    n = vector_norm(self, p, others, True)
    f = _renorm_factor(n, maxnorm)
    df = _where(n > maxnorm, -maxnorm / ((n + 1e-7) * (n + 1e-7)), 0.0)
    s = (_conj(grad) * self).sum(others, True)
    h = (s.real if s.is_complex() else s) * df
    return grad * f.to(grad.dtype) + _vector_norm_backward(h, self, n, p, others, True)


@_takes_tensors("renorm_", "self")
def _renorm_(self, p, dim=None, maxnorm=None, *, axis=None):
    dim = _dim_alias(dim, axis, "renorm_", ...)
    maxnorm = _required(maxnorm, "renorm_", "maxnorm")
    # from a copy: renorm's backward reads the old value, which copy_ overwrites
    return self.copy_(_renorm(self.clone() if self.requires_grad else self, p, dim, maxnorm))


# ================================================================== removed functions
#
# PyTorch removed these in 1.9 and raises, telling the replacement.

def _removed_symeig(input, eigenvectors=False, upper=True, *, out=None):
    raise RuntimeError(
        "This function was deprecated since version 1.9 and is now removed. The default behavior has changed "
        "from using the upper triangular portion of the matrix by default to using the lower triangular "
        "portion.\n\nL, _ = torch.symeig(A, upper=upper) should be replaced with:\nL = "
        "torch.linalg.eigvalsh(A, UPLO='U' if upper else 'L')\n\nand\n\nL, V = torch.symeig(A, "
        "eigenvectors=True) should be replaced with:\nL, V = torch.linalg.eigh(A, UPLO='U' if upper else 'L')")


def _removed_eig(self, eigenvectors=False, *, e=None, v=None):
    raise RuntimeError(
        "This function was deprecated since version 1.9 and is now removed. `torch.linalg.eig` returns complex "
        "tensors of dtype `cfloat` or `cdouble` rather than real tensors mimicking complex tensors.\n\nL, _ = "
        "torch.eig(A) should be replaced with:\nL_complex = torch.linalg.eigvals(A)\n\nand\n\nL, V = "
        "torch.eig(A, eigenvectors=True) should be replaced with:\nL_complex, V_complex = torch.linalg.eig(A)")


def _removed_matrix_rank(input, tol=None, symmetric=False, *, out=None):
    raise RuntimeError(
        "This function was deprecated since version 1.9 and is now removed.\nPlease use the "
        "`torch.linalg.matrix_rank` function instead. The parameter 'symmetric' was renamed in "
        "`torch.linalg.matrix_rank()` to 'hermitian'.")


def _removed_solve(input, A, *, out=None):
    raise RuntimeError(
        "This function was deprecated since version 1.9 and is now removed. `torch.solve` is deprecated in "
        "favor of `torch.linalg.solve`. `torch.linalg.solve` has its arguments reversed and does not return "
        "the LU factorization.\n\nTo get the LU factorization see `torch.lu`, which can be used with "
        "`torch.lu_solve` or `torch.lu_unpack`.\nX = torch.solve(B, A).solution should be replaced with:\n"
        "X = torch.linalg.solve(A, B)")


def _removed_lstsq(input, A, *, out=None):
    raise RuntimeError(
        "This function was deprecated since version 1.9 and is now removed. `torch.lstsq` is deprecated in "
        "favor of `torch.linalg.lstsq`.\n`torch.linalg.lstsq` has reversed arguments and does not return the "
        "QR decomposition in the returned tuple (although it returns other information about the problem).\n\n"
        "To get the QR decomposition consider using `torch.linalg.qr`.\n\nThe returned solution in "
        "`torch.lstsq` stored the residuals of the solution in the last m - n columns of the returned value "
        "whenever m > n. In torch.linalg.lstsq, the residuals are in the field 'residuals' of the returned "
        "named tuple.\n\nThe unpacking of the solution, as in\nX, _ = torch.lstsq(B, A).solution[:A.size(1)]\n"
        "should be replaced with:\nX = torch.linalg.lstsq(A, B).solution")
