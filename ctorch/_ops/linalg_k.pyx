# cython: language_level=3
"""The kernels' entry of torch.linalg's real factorizations and solves
(ctorch/linalg.py does the argument checks, the errors and the autograd
record): LU with partial pivoting, triangular solves, solves with LU
factors, Cholesky, Householder QR, and det / slogdet from the LU factors,
for float32 and float64 tensors of a device whose backend table has the
kernels (backend.h, linalg.h); batches of LAPACK calls in one loop
(gelsy, orgqr, syevd and its steps, syev's values, geev in float32 or
float64 (its Hessenberg QR ctorch's own up to order 200, _kernels/hqr.h),
gesdd with vectors, the
singular values alone and the norms made of them, sytrf; the batches of
geev and syevd split over threads, _kernels/la_batch.h); and the
middle factor of the eigh / svd backward formulas in one pass. Each function
returns None where it does not apply (another dtype, a device without the
kernels); the caller then runs LAPACK (or the tensor formula). Results are
fresh tensors without history."""

from cython cimport floating
from libc.stdint cimport int64_t, int32_t
from libc.string cimport memcpy, memset
from cpython.mem cimport PyMem_Malloc, PyMem_Free
from libc.math cimport log, fabs, sqrt, frexp, ldexp, INFINITY

from ctorch._core.dtype cimport *
from ctorch._core.backend cimport *
from ctorch._core.tensor cimport *
from ctorch._core.iterator cimport _dense_copy, _raw_clone
from ctorch._core.dispatch cimport ensure_gemm
from ctorch.autograd._node cimport _grad_mode


cdef extern from "backend.h" nogil:
    ctypedef struct ct_la_table "ct_backend":
        int (*la_lu)(int dtype, const void *src, void *dst, int64_t nb, int64_t m, int64_t n,
                     int32_t *piv, int32_t *info) noexcept nogil
        int (*la_trsm)(int dtype, const void *T, int64_t tbs, int64_t rs, int64_t cs, int upper,
                       int unit, const void *B, int64_t bbs, void *X, int64_t nb, int64_t n,
                       int64_t k, int xrow) noexcept nogil
        int (*la_lu_solve)(int dtype, const void *LU, int64_t lbs, const int32_t *piv, int64_t pbs,
                           const void *B, int64_t bbs, void *X, int64_t nb, int64_t n, int64_t k,
                           int xrow, int trans) noexcept nogil
        int (*la_cholesky)(int dtype, const void *src, void *dst, int64_t nb, int64_t n,
                           int32_t *info) noexcept nogil
        int (*la_qr)(int dtype, const void *src, void *q, void *r, int64_t nb, int64_t m,
                     int64_t n, int64_t qc, int64_t rr) noexcept nogil
        int (*la_ldl)(int dtype, void *a, int64_t nb, int64_t n, int32_t *piv,
                      int32_t *info) noexcept nogil
        int (*la_orgqr)(int dtype, const void *a, const void *tau, void *q, int64_t nb,
                        int64_t m, int64_t n, int64_t k) noexcept nogil
        int (*la_geqrf)(int dtype, const void *src, void *h, void *tau, int64_t nb, int64_t m,
                        int64_t n) noexcept nogil
        int (*la_ormqr)(int dtype, const void *h, const void *tau, void *c, int64_t nb, int64_t m,
                        int64_t na, int64_t k, int64_t mc, int64_t nc, int left,
                        int trans) noexcept nogil

# matrices from this order on run the blocked kernels, on the table's gemm
DEF BLOCKED = 64


cdef inline const ct_la_table *_table(Tensor t):
    """t's backend table when it has the kernels and t's dtype is theirs."""
    if t._dtype._code != CT_FLOAT32 and t._dtype._code != CT_FLOAT64:
        return NULL
    cdef const ct_la_table *T = <const ct_la_table *>t._storage.backend
    if T.la_lu == NULL or T.la_trsm == NULL or T.la_lu_solve == NULL or T.la_cholesky == NULL:
        return NULL
    return T


cdef int _gemm_for(Tensor t, Py_ssize_t n) except -1:
    if n >= BLOCKED:
        ensure_gemm(t._storage.backend)
    return 0


cdef Py_ssize_t _batch_numel(Tensor t):
    cdef Py_ssize_t nb = 1
    cdef int d
    for d in range(t._ndim - 2):
        nb *= t._shape[d]
    return nb


cdef int64_t _f64_square(Tensor A, int64_t least):
    """n of float64 square matrices A (..., n, n) with n >= least and a
    nonempty batch; 0 for anything else."""
    if A._dtype._code != CT_FLOAT64:
        return 0
    return _real_square(A, least)


cdef inline int _work_len(bint f32, const double *q) noexcept nogil:
    """the workspace length a float (f32) or double LAPACK routine's query
    left at q (a double: room for either)"""
    return <int>(<const float *>q)[0] if f32 else <int>q[0]


cdef int64_t _real_square(Tensor A, int64_t least):
    """_f64_square's n for float32 or float64 matrices"""
    if (A._dtype._code != CT_FLOAT64 and A._dtype._code != CT_FLOAT32) or A._ndim < 2:
        return 0
    cdef int64_t n = A._shape[A._ndim - 1]
    if n < least or A._shape[A._ndim - 2] != n or _batch_numel(A) == 0:
        return 0
    return n


cdef bint _mat_layout(Tensor t, int64_t *bs, int64_t *rs, int64_t *cs):
    """The element strides of t's matrices when they are dense (rows or
    columns) and its batch is dense or broadcast (batch stride 0)."""
    cdef int nd = t._ndim
    cdef Py_ssize_t m = t._shape[nd - 2], n = t._shape[nd - 1], b
    if n == 1 or m == 1:
        # a vector: dense when its one long dim is
        if (m > 1 and t._stride[nd - 2] != 1) or (n > 1 and t._stride[nd - 1] != 1):
            return False
        rs[0], cs[0] = n, 1
    elif t._stride[nd - 1] == 1 and t._stride[nd - 2] == n:
        rs[0], cs[0] = n, 1
    elif t._stride[nd - 2] == 1 and t._stride[nd - 1] == m:
        rs[0], cs[0] = 1, m
    else:
        return False
    b = _batch_stride(t, m * n)
    if b < 0:
        return False
    bs[0] = b
    return True


cdef Tensor _dense(Tensor t):
    return t if _is_contiguous(t) else _dense_copy(t)


cdef tuple _lu(Tensor A):
    """(the dense column-major factors (..., n, m), pivots, info) of A, or
    None."""
    cdef const ct_la_table *T = _table(A)
    if T == NULL:
        return None
    cdef Tensor a = _dense(A)
    cdef int nd = a._ndim
    cdef int64_t m = a._shape[nd - 2], n = a._shape[nd - 1], k = m if m < n else n
    cdef int64_t nb = _batch_numel(a)
    batch = [a._shape[d] for d in range(nd - 2)]
    cdef Tensor lu_t = _empty_list(batch + [n, m], a._dtype, a._storage.device)
    cdef Tensor piv = _empty_list(batch + [k], <DType>_DT[CT_INT32], a._storage.device)
    cdef Tensor info = _empty_list(batch, <DType>_DT[CT_INT32], a._storage.device)
    _gemm_for(a, k)
    cdef int rc = 0, code = a._dtype._code
    if nb and m and n:
        with nogil:
            rc = T.la_lu(code, a._data, lu_t._data, nb, m, n, <int32_t *>piv._data,
                         <int32_t *>info._data)
    elif nb:
        info.zero_()
    if rc != 0:
        return None
    return lu_t, piv, info


def lu(Tensor A):
    """(LU, pivots, info) of A (..., m, n): LU column-major (a transposed
    view of a dense tensor, as LAPACK and PyTorch hold it), pivots int32
    1-based, info int32 (LAPACK's getrf)."""
    r = _lu(A)
    if r is None:
        return None
    # the dense (..., n, m) factors as an (..., m, n) tensor of their own
    # with column-major strides (not a view of a temporary)
    cdef Tensor t = <Tensor>r[0]
    cdef int nd = t._ndim
    cdef Py_ssize_t shape[CT_MAXDIM]
    cdef Py_ssize_t stride[CT_MAXDIM]
    cdef int d
    for d in range(nd):
        shape[d] = t._shape[d]
        stride[d] = t._stride[d]
    shape[nd - 2], shape[nd - 1] = t._shape[nd - 1], t._shape[nd - 2]
    stride[nd - 2], stride[nd - 1] = t._stride[nd - 1], t._stride[nd - 2]
    return _make_tensor(t._storage, t._offset, nd, shape, stride, t._dtype), r[1], r[2]


cdef inline void _put_one(char *p, int code) noexcept nogil:
    """1 of the float / complex dtype `code` at p."""
    if code == CT_FLOAT32 or code == CT_COMPLEX64:
        (<float *>p)[0] = 1
    else:
        (<double *>p)[0] = 1


def lu_unpack(Tensor LU, Tensor piv, bint data, bint pivots):
    """(P, L, U) of lu_factor's LU (..., m, n) and pivots (..., min(m, n)),
    each None where not asked for: LU a dense CPU tensor of a float or
    complex dtype (row- or column-major matrices, batches laid end to end),
    pivots contiguous int32 with every pivot in [1, m]. None for other
    operands."""
    cdef int nd = LU._ndim, d, code = LU._dtype._code
    if nd < 2 or LU._storage.device >= 0 or piv._storage.device >= 0 or piv._dtype._code != CT_INT32:
        return None
    if code != CT_FLOAT32 and code != CT_FLOAT64 and code != CT_COMPLEX64 and code != CT_COMPLEX128:
        return None
    cdef Py_ssize_t m = LU._shape[nd - 2], n = LU._shape[nd - 1], k = m if m < n else n
    cdef Py_ssize_t rs = LU._stride[nd - 2], cs = LU._stride[nd - 1], batch = 1, step = m * n
    if not ((rs == n and cs == 1) or (rs == 1 and cs == m)) or piv._ndim != nd - 1 \
            or piv._shape[nd - 2] != k or not _is_contiguous(piv):
        return None
    for d in range(nd - 3, -1, -1):
        if LU._shape[d] != 1 and LU._stride[d] != step * batch:
            return None
        if piv._shape[d] != LU._shape[d]:
            return None
        batch *= LU._shape[d]
    cdef const int32_t *pv = <const int32_t *>piv._data
    cdef Py_ssize_t b, i, j, q
    for i in range(batch * k):
        if pv[i] < 1 or pv[i] > m:
            return None
    lead = [LU._shape[d] for d in range(nd - 2)]
    cdef Py_ssize_t es = LU._dtype.itemsize
    cdef Tensor P = None, L = None, U = None
    cdef const char *src = LU._data
    cdef char *lp
    cdef char *up
    cdef char *pp
    cdef Py_ssize_t *perm
    if data:
        L = _empty_list(lead + [m, k], LU._dtype)
        U = _empty_list(lead + [k, n], LU._dtype)
        lp = L._data
        up = U._data
        with nogil:
            memset(lp, 0, batch * m * k * es)
            memset(up, 0, batch * k * n * es)
            for b in range(batch):
                for i in range(m):
                    for j in range(i if i < k else k):
                        memcpy(lp + ((b * m + i) * k + j) * es, src + (b * step + i * rs + j * cs) * es, es)
                    if i < k:
                        _put_one(lp + ((b * m + i) * k + i) * es, code)
                        for j in range(i, n):
                            memcpy(up + ((b * k + i) * n + j) * es, src + (b * step + i * rs + j * cs) * es, es)
    if pivots:
        P = _empty_list(lead + [m, m], LU._dtype)
        pp = P._data
        perm = <Py_ssize_t *>PyMem_Malloc(m * sizeof(Py_ssize_t))
        if perm == NULL:
            raise MemoryError()
        with nogil:
            memset(pp, 0, batch * m * m * es)
            for b in range(batch):
                # row i of P^T A is row perm[i] of A: P[perm[i], i] = 1
                for i in range(m):
                    perm[i] = i
                for i in range(k):
                    q = pv[b * k + i] - 1
                    perm[i], perm[q] = perm[q], perm[i]
                for i in range(m):
                    _put_one(pp + ((b * m + perm[i]) * m + i) * es, code)
        PyMem_Free(perm)
    return P, L, U


def det(Tensor A, bint log_abs):
    """det(A) (log_abs false) or (sign, log|det|) of square A, from its LU
    factors."""
    r = _lu(A)
    if r is None:
        return None
    return det_from_lu(r[0], r[1], log_abs)


def lu_solve(Tensor LU, Tensor piv, Tensor B, bint left, bint adjoint):
    """X with op(A) X = B (left) or X op(A) = B, A = P L U as lu() gives it
    (op: A^T when adjoint); LU, pivots and B broadcast against each other
    already (batch strides 0 where broadcast)."""
    cdef const ct_la_table *T = _table(LU)
    if T == NULL or B._dtype is not LU._dtype or piv._dtype._code != CT_INT32:
        return None
    cdef int nd = B._ndim
    cdef int64_t lbs, lrs, lcs, bbs, brs, bcs, pbs
    cdef int64_t n = LU._shape[LU._ndim - 1]
    if not _mat_layout(LU, &lbs, &lrs, &lcs) or lrs != 1:
        LU = LU.mT.contiguous().mT
        _mat_layout(LU, &lbs, &lrs, &lcs)
    if not _mat_layout(B, &bbs, &brs, &bcs) or bcs != 1:
        B = B.contiguous()
        _mat_layout(B, &bbs, &brs, &bcs)
    # the pivots: one row for the whole batch (broadcast), or one per matrix
    cdef int pd
    cdef bint pzero = True
    for pd in range(piv._ndim - 1):
        if piv._shape[pd] != 1 and piv._stride[pd] != 0:
            pzero = False
    if pzero:
        piv = _dense(piv.reshape([-1, n])[0:1])
        pbs = 0
    else:
        piv = _dense(piv)
        pbs = n
    # pivots out of range: left to LAPACK (which does not read out of bounds)
    cdef const int32_t *pv = <const int32_t *>piv._data
    cdef int64_t q
    for q in range(piv._numel):
        if pv[q] < 1 or pv[q] > n:
            return None
    cdef int64_t r = B._shape[nd - 2], c = B._shape[nd - 1]
    cdef int64_t nb = _batch_numel(B)
    cdef Tensor X = _empty_list([B._shape[d] for d in range(nd)], B._dtype, B._storage.device)
    _gemm_for(LU, n)
    cdef int rc = 0, code = B._dtype._code
    cdef int64_t kk = c if left else r
    cdef int xrow = 1 if left else 0
    cdef int trans = (1 if adjoint else 0) if left else (0 if adjoint else 1)
    if nb and r and c:
        with nogil:
            rc = T.la_lu_solve(code, LU._data, lbs, <const int32_t *>piv._data, pbs, B._data, bbs,
                               X._data, nb, n, kk, xrow, trans)
    if rc != 0:
        return None
    return X


def trsm(Tensor A, Tensor B, bint upper, bint left, bint unit, bint trans):
    """X with op(A) X = B (left) or X op(A) = B for triangular A (op: A^T
    when trans); A and B broadcast against each other already (their
    history not read)."""
    cdef const ct_la_table *T = _table(A)
    if T == NULL or B._dtype is not A._dtype:
        return None
    cdef int nd = B._ndim
    cdef int64_t tbs, trs, tcs, bbs, brs, bcs, t
    cdef int64_t n = A._shape[A._ndim - 1]
    if not _mat_layout(A, &tbs, &trs, &tcs):
        A = _dense_copy(A)
        _mat_layout(A, &tbs, &trs, &tcs)
    if not _mat_layout(B, &bbs, &brs, &bcs) or bcs != 1:
        B = _dense_copy(B)
        _mat_layout(B, &bbs, &brs, &bcs)
    cdef int64_t r = B._shape[nd - 2], c = B._shape[nd - 1]
    cdef int64_t nb = _batch_numel(B)
    cdef Tensor X = _empty_list([B._shape[d] for d in range(nd)], B._dtype, B._storage.device)
    # op(A) as strides; a right solve is op(A)^T X^T = B^T on X's memory
    # read column-major
    cdef bint up = upper
    if trans != (not left):
        t = trs
        trs = tcs
        tcs = t
        up = not up
    _gemm_for(A, n)
    cdef int rc = 0, code = B._dtype._code
    cdef int64_t kk = c if left else r
    cdef int xrow = 1 if left else 0
    cdef int u = up, un = unit
    if nb and r and c:
        with nogil:
            rc = T.la_trsm(code, A._data, tbs, trs, tcs, u, un, B._data, bbs, X._data, nb, n, kk,
                           xrow)
    if rc != 0:
        return None
    return X


def cholesky(Tensor A):
    """(L, info) of A (..., n, n): the lower factor (its lower triangle
    read), info int32 (LAPACK's potrf)."""
    cdef const ct_la_table *T = _table(A)
    if T == NULL:
        return None
    cdef Tensor a = _dense(A)
    cdef int nd = a._ndim
    cdef int64_t n = a._shape[nd - 1], nb = _batch_numel(a)
    batch = [a._shape[d] for d in range(nd - 2)]
    cdef Tensor L = _empty_list(batch + [n, n], a._dtype, a._storage.device)
    cdef Tensor info = _empty_list(batch, <DType>_DT[CT_INT32], a._storage.device)
    _gemm_for(a, n)
    cdef int rc = 0, code = a._dtype._code
    if nb and n:
        with nogil:
            rc = T.la_cholesky(code, a._data, L._data, nb, n, <int32_t *>info._data)
    elif nb:
        info.zero_()
    if rc != 0:
        return None
    return L, info


def det_from_lu(Tensor LUt, Tensor piv, bint log_abs):
    """det (log_abs false) or (sign, log|det|) of the square matrices whose
    factors lu() gave (LUt: the dense column-major tensor, i.e. LU.mT)."""
    cdef int nd = LUt._ndim
    cdef int64_t n = LUt._shape[nd - 1], nb = _batch_numel(LUt), b, i
    batch = [LUt._shape[d] for d in range(nd - 2)]
    cdef Tensor out = _empty_list(batch, LUt._dtype, LUt._storage.device)
    cdef Tensor la = _empty_list(batch, LUt._dtype, LUt._storage.device) if log_abs else None
    cdef const int32_t *pv = <const int32_t *>piv._data
    cdef float *f = <float *>LUt._data
    cdef double *g = <double *>LUt._data
    cdef float pf, sf
    cdef double pd, sd, acc, v
    cdef bint f32 = LUt._dtype._code == CT_FLOAT32
    for b in range(nb):
        sd = 1.0
        for i in range(n):
            if pv[b * n + i] != i + 1:
                sd = -sd
        if not log_abs:
            if f32:
                pf = <float>sd
                for i in range(n):
                    pf = pf * f[b * n * n + i * n + i]
                (<float *>out._data)[b] = pf
            else:
                pd = sd
                for i in range(n):
                    pd = pd * g[b * n * n + i * n + i]
                (<double *>out._data)[b] = pd
        else:
            acc = 0.0
            for i in range(n):
                v = f[b * n * n + i * n + i] if f32 else g[b * n * n + i * n + i]
                if v < 0:
                    sd = -sd
                elif v == 0:
                    sd = 0.0
                elif v != v:
                    sd = v
                acc += log(fabs(v))
            if f32:
                (<float *>out._data)[b] = <float>sd
                (<float *>la._data)[b] = <float>acc
            else:
                (<double *>out._data)[b] = sd
                (<double *>la._data)[b] = acc
    return (out, la) if log_abs else out


def first_nonzero(Tensor info):
    """(index, value) of the first nonzero entry of the dense int32 tensor
    info, or None."""
    cdef const int32_t *p = <const int32_t *>info._data
    cdef int64_t i
    if info._dtype._code != CT_INT32 or not _is_contiguous(info):
        raise TypeError("first_nonzero: a dense int32 tensor is expected")
    for i in range(info._numel):
        if p[i] != 0:
            return int(i), int(p[i])
    return None


def lu_inv(Tensor LU, Tensor piv):
    """A^-1 (dense rows) from the factors lu() gave for A (..., n, n)."""
    cdef const ct_la_table *T = _table(LU)
    if T == NULL or piv._dtype._code != CT_INT32 or not _is_contiguous(piv):
        return None
    cdef int64_t lbs, lrs, lcs
    if not _mat_layout(LU, &lbs, &lrs, &lcs) or lrs != 1:
        return None
    cdef int nd = LU._ndim
    cdef int64_t n = LU._shape[nd - 1], nb = _batch_numel(LU)
    cdef Tensor X = _empty_list([LU._shape[d] for d in range(nd)], LU._dtype, LU._storage.device)
    _gemm_for(LU, n)
    cdef int rc = 0, code = LU._dtype._code
    if nb and n:
        with nogil:
            rc = T.la_lu_solve(code, LU._data, lbs, <const int32_t *>piv._data, n, NULL, 0,
                               X._data, nb, n, n, 1, 0)
    if rc != 0:
        return None
    return X


cdef tuple _householder_args(Tensor A):
    """A's dense matrices for the Householder kernels: (a, m, n, min(m, n),
    the batch's count, the batch's sizes)."""
    cdef Tensor a = _dense(A)
    cdef int nd = a._ndim
    cdef int64_t m = a._shape[nd - 2], n = a._shape[nd - 1]
    return a, m, n, (m if m < n else n), _batch_numel(a), [a._shape[d] for d in range(nd - 2)]


def qr(Tensor A, str mode):
    """(Q, R) of A (..., m, n) by Householder reflections (mode "reduced",
    "complete" or "r": Q then empty); None where the kernel declines (a
    column norm that needs LAPACK's scaling: inf, NaN, extreme values)."""
    cdef const ct_la_table *T = _table(A)
    if T == NULL or T.la_qr == NULL:
        return None
    cdef Tensor a
    cdef int64_t m, n, k, nb
    a, m, n, k, nb, batch = _householder_args(A)
    cdef int64_t qc = m if mode == "complete" else k
    cdef int64_t rr = m if mode == "complete" else k
    cdef Tensor R = _empty_list(batch + [rr, n], a._dtype, a._storage.device)
    cdef Tensor Q
    cdef void *qp = NULL
    if mode == "r":
        Q = _empty_list([0], a._dtype, a._storage.device)
    else:
        Q = _empty_list(batch + [m, qc], a._dtype, a._storage.device)
        qp = Q._data
    cdef int rc = 0, code = a._dtype._code
    if m > 32 or n > 32:
        # the blocked kernel runs on the table's gemm
        ensure_gemm(a._storage.backend)
    if nb and m and n:
        with nogil:
            rc = T.la_qr(code, a._data, qp, R._data, nb, m, n, qc, rr)
    else:
        return None
    if rc != 0:
        return None
    return Q, R


def geqrf(Tensor A):
    """LAPACK's (h, tau) of A (..., m, n) by the table's la_geqrf (float32 or
    float64; blocked on its gemm past 32 rows or columns); None where it
    declines (no entry, an empty matrix, a column's norm that needs LAPACK's
    scaling)."""
    cdef const ct_la_table *T = _table(A)
    if T == NULL or T.la_geqrf == NULL:
        return None
    cdef Tensor a
    cdef int64_t m, n, k, nb
    a, m, n, k, nb, batch = _householder_args(A)
    if nb == 0 or k == 0:
        return None
    cdef Tensor H = _empty_list(batch + [m, n], a._dtype, a._storage.device)
    cdef Tensor tau = _empty_list(batch + [k], a._dtype, a._storage.device)
    cdef int rc, code = a._dtype._code
    if m > 32 or n > 32:
        # the blocked kernel runs on the table's gemm
        ensure_gemm(a._storage.backend)
    with nogil:
        rc = T.la_geqrf(code, a._data, H._data, tau._data, nb, m, n)
    return None if rc != 0 else (H, tau)


def ormqr(Tensor H, Tensor tau, Tensor C, bint left, bint trans):
    """LAPACK's ormqr by the table's la_ormqr: op(Q) C (left) or C op(Q) for
    (H, tau) as geqrf leaves them (float32 or float64, one dtype, equal batch
    shapes, tau's length at most min(m, n)); a new tensor, or None where it
    declines (no entry, empty operands)."""
    cdef const ct_la_table *T = _table(H)
    if T == NULL or T.la_ormqr == NULL:
        return None
    cdef Tensor h = _dense(H), t = _dense(tau), c = _raw_clone(C)
    cdef int nd = h._ndim
    cdef int64_t m = h._shape[nd - 2], na = h._shape[nd - 1], k = t._shape[t._ndim - 1]
    cdef int64_t mc = c._shape[nd - 2], nc = c._shape[nd - 1], nb = _batch_numel(h)
    cdef int rc, code = h._dtype._code
    if nb == 0 or k == 0 or mc == 0 or nc == 0:
        return None
    ensure_gemm(h._storage.backend)
    with nogil:
        rc = T.la_ormqr(code, h._data, t._data, c._data, nb, m, na, k, mc, nc, left, trans)
    return None if rc != 0 else c


# ---------------------------------------------------------------- LAPACK loops
#
# Batches of LAPACK calls in one C loop: the routines are scipy's LAPACK
# (the library whose BLAS the CPU gemm binds), reached through the function
# pointers scipy.linalg.cython_lapack exports.

from cpython.pycapsule cimport PyCapsule_GetPointer, PyCapsule_GetName
from libc.stdlib cimport malloc, free
from libc.string cimport memcpy


# A batch of independent matrices shared among threads (la_batch.h): each
# thread runs the matrices it takes with the workspace of its slot
# (the range functions below: matrices lo .. hi - 1, nonzero on a failure).

cdef extern from "la_batch.h" nogil:
    ctypedef int (*_part_fn "ct_la_part_fn")(void *ctx, int64_t lo, int64_t hi,
                                              int slot) noexcept nogil
    int _run_parts "ct_la_run_parts"(_part_fn fn, void *ctx, int64_t nb, int parts)

DEF MAX_PARTS = 8
# the least nb * n^3 shared among threads (about 0.2 ms of LAPACK's work)
DEF PART_WORK = 32768


cdef int _parts_for(int threads, int64_t nb, int64_t n, int64_t least=PART_WORK) noexcept nogil:
    """How many threads (workspace slots) a batch of nb matrices of order n
    is run on: one while nb * n^3 is below `least`."""
    if threads <= 1 or nb <= 1 or nb * n * n * n < least:
        return 1
    cdef int64_t p = threads if threads < MAX_PARTS else MAX_PARTS
    return <int>(p if p < nb else nb)


cdef int _run_batch(_part_fn fn, void *ctx, void **buf, size_t part_bytes, int64_t nb,
                    int parts) except -1:
    """fn over the nb matrices on `parts` threads, each with part_bytes of
    the workspace *buf (allocated here, freed after): 1 when some matrix
    failed, else 0."""
    cdef int bad
    buf[0] = malloc(part_bytes * parts)
    if buf[0] == NULL:
        raise MemoryError()
    with nogil:
        bad = _run_parts(fn, ctx, nb, parts)
    free(buf[0])
    buf[0] = NULL
    return bad


ctypedef void (*_dgelsy_t)(int *m, int *n, int *nrhs, double *a, int *lda, double *b, int *ldb,
                           int *jpvt, double *rcond, int *rank, double *work, int *lwork,
                           int *info) noexcept nogil
ctypedef void (*_sgelsy_t)(int *m, int *n, int *nrhs, float *a, int *lda, float *b, int *ldb,
                           int *jpvt, float *rcond, int *rank, float *work, int *lwork,
                           int *info) noexcept nogil

cdef dict _lapack_caps = {}


cdef void *_lapack_ptr(str name) except NULL:
    cap = _lapack_caps.get(name)
    if cap is None:
        from scipy.linalg import cython_lapack
        cap = _lapack_caps[name] = cython_lapack.__pyx_capi__[name]
    return PyCapsule_GetPointer(cap, PyCapsule_GetName(cap))


cdef void *_blas_ptr(str name) except NULL:
    """A function pointer scipy.linalg.cython_blas exports."""
    key = "blas:" + name
    cap = _lapack_caps.get(key)
    if cap is None:
        from scipy.linalg import cython_blas
        cap = _lapack_caps[key] = cython_blas.__pyx_capi__[name]
    return PyCapsule_GetPointer(cap, PyCapsule_GetName(cap))


cdef inline void _gelsy_pack(const floating *A, const floating *B, floating *a, floating *bb,
                             int64_t b, int64_t m, int64_t n, int64_t k, int ldb) noexcept nogil:
    """A[b] (m, n) and B[b] (m, k), row-major, to column-major a (lda m) and
    bb (ldb rows, zero below m)"""
    cdef int64_t i, j
    for i in range(m):
        for j in range(n):
            a[j * m + i] = A[(b * m + i) * n + j]
    for j in range(k):
        for i in range(m):
            bb[j * ldb + i] = B[(b * m + i) * k + j]
        for i in range(m, ldb):
            bb[j * ldb + i] = 0


cdef inline void _gelsy_unpack(const floating *bb, floating *X, int64_t b, int64_t n, int64_t k,
                               int ldb) noexcept nogil:
    """the first n rows of column-major bb to X[b] (n, k), row-major"""
    cdef int64_t i, j
    for i in range(n):
        for j in range(k):
            X[(b * n + i) * k + j] = bb[j * ldb + i]


def gelsy(Tensor A, Tensor B, double rcond):
    """(X, rank) of the least-squares problems A[b] X[b] = B[b] by LAPACK's
    gelsy (column-pivoted QR, rank by rcond): A (nb, m, n) and B (nb, m, k)
    dense, float32 or float64 (the same), m, n, k > 0; X (nb, n, k), rank
    int64 (nb,). None for another dtype or layout."""
    cdef int code = A._dtype._code
    if (code != CT_FLOAT32 and code != CT_FLOAT64) or B._dtype is not A._dtype \
            or A._ndim != 3 or B._ndim != 3 or not _is_contiguous(A) or not _is_contiguous(B) \
            or A._storage.device != B._storage.device:
        return None
    cdef int64_t nb = A._shape[0], m = A._shape[1], n = A._shape[2], k = B._shape[2]
    if B._shape[0] != nb or B._shape[1] != m or not (nb and m and n and k):
        return None
    cdef bint f64 = code == CT_FLOAT64
    cdef _dgelsy_t dfn = NULL
    cdef _sgelsy_t sfn = NULL
    if f64:
        dfn = <_dgelsy_t>_lapack_ptr("dgelsy")
    else:
        sfn = <_sgelsy_t>_lapack_ptr("sgelsy")
    cdef Tensor X = _empty_list([nb, n, k], A._dtype, A._storage.device)
    cdef Tensor rank = _empty_list([nb], <DType>_DT[CT_INT64], A._storage.device)
    cdef int im = <int>m, inn = <int>n, ik = <int>k, ldb = <int>(m if m > n else n)
    cdef int lwork = -1, info = 0, rk = 0, failed = 0
    cdef double dq = 0, drc = rcond
    cdef float sq = 0, src = <float>rcond
    # the workspace, sized once for the batch
    if f64:
        dfn(&im, &inn, &ik, NULL, &im, NULL, &ldb, NULL, &drc, &rk, &dq, &lwork, &info)
        lwork = <int>dq
    else:
        sfn(&im, &inn, &ik, NULL, &im, NULL, &ldb, NULL, &src, &rk, &sq, &lwork, &info)
        lwork = <int>sq
    if lwork < 1:
        lwork = 1
    cdef size_t es = 8 if f64 else 4
    cdef char *buf = <char *>malloc(es * (m * n + ldb * k + lwork) + sizeof(int) * n)
    if buf == NULL:
        raise MemoryError()
    cdef double *da = <double *>buf
    cdef double *db = da + m * n
    cdef double *dw = db + ldb * k
    cdef float *fa = <float *>buf
    cdef float *fb = fa + m * n
    cdef float *fw = fb + ldb * k
    cdef int *jpvt = <int *>(buf + es * (m * n + ldb * k + lwork))
    cdef const double *dA = <const double *>A._data
    cdef const double *dB = <const double *>B._data
    cdef double *dX = <double *>X._data
    cdef const float *sA = <const float *>A._data
    cdef const float *sB = <const float *>B._data
    cdef float *sX = <float *>X._data
    cdef int64_t *rp = <int64_t *>rank._data
    cdef int64_t b, i, j
    with nogil:
        for b in range(nb):
            for j in range(n):
                jpvt[j] = 0
            if f64:
                _gelsy_pack(dA, dB, da, db, b, m, n, k, ldb)
                dfn(&im, &inn, &ik, da, &im, db, &ldb, jpvt, &drc, &rk, dw, &lwork, &info)
                _gelsy_unpack(db, dX, b, n, k, ldb)
            else:
                _gelsy_pack(sA, sB, fa, fb, b, m, n, k, ldb)
                sfn(&im, &inn, &ik, fa, &im, fb, &ldb, jpvt, &src, &rk, fw, &lwork, &info)
                _gelsy_unpack(fb, sX, b, n, k, ldb)
            if info < 0:
                failed = -info
                break
            rp[b] = rk
    free(buf)
    if failed:
        raise ValueError(f"illegal value in {failed}-th argument of internal gelsy")
    return X, rank


cdef double _sumsq(const floating *p, int64_t cnt) noexcept nogil:
    """sum p[i]^2 in double (nan where one is nan), four sums side by side"""
    cdef double a0 = 0, a1 = 0, a2 = 0, a3 = 0
    cdef int64_t i = 0
    while i + 4 <= cnt:
        a0 += <double>p[i] * <double>p[i]
        a1 += <double>p[i + 1] * <double>p[i + 1]
        a2 += <double>p[i + 2] * <double>p[i + 2]
        a3 += <double>p[i + 3] * <double>p[i + 3]
        i += 4
    while i < cnt:
        a0 += <double>p[i] * <double>p[i]
        i += 1
    return (a0 + a1) + (a2 + a3)


cdef double _cond2_bound(const floating *R, const floating *Ri, float *x, int64_t n,
                         const ct_backend *B) noexcept nogil:
    cdef int64_t nn = n * n, i
    cdef double ri = sqrt(_sumsq(Ri, nn)), fr = sqrt(_sumsq(R, nn))
    cdef int e = 0
    if not (fr > 0 and fr < INFINITY):
        return (fr if fr != fr else INFINITY) * ri
    frexp(fr, &e)
    cdef double s = ldexp(1.0, -e)          # a power of 2: R s is exact, |R s|_F < 1
    for i in range(nn):
        x[i] = <float>(R[i] * s)
    cdef float *g = x + nn
    cdef float *g2 = g + nn
    cdef float one = 1.0, zero = 0.0
    cdef int ni = <int>n
    cdef int64_t off0 = 0
    B.gemm(CT_FLOAT32, b'T', b'N', ni, ni, ni, &one, <char *>x, ni, &off0, <char *>x, ni,
           &off0, &zero, <char *>g, ni, 1)
    B.gemm(CT_FLOAT32, b'N', b'N', ni, ni, ni, &one, <char *>g, ni, &off0, <char *>g, ni,
           &off0, &zero, <char *>g2, ni, 1)
    return sqrt(sqrt(sqrt(_sumsq(g2, nn)))) / s * ri


def cond2_bound(Tensor R, Tensor Rinv):
    """Upper bounds of cond2(R[b]) = |R|_2 |R^-1|_2 for the square matrices
    R (nb, n, n), given their inverses Rinv (both dense, float32 or float64,
    the same): |R^-1|_F |G G|_F^(1/4), G = R^T R (|R|_2^4 = lambda_max(G)^2
    <= |G G|_F). G and G G are float32 products (the backend's GEMM) of R
    scaled by a power of 2 to |R|_F < 1, so that nothing overflows;
    their rounding, and entries of R too small for float32, move the bound
    by some n 2^-24 relative at most. A list of floats (inf or nan where R
    has them); None for another dtype or layout."""
    cdef int code = R._dtype._code
    if (code != CT_FLOAT32 and code != CT_FLOAT64) or Rinv._dtype is not R._dtype \
            or R._ndim != 3 or Rinv._ndim != 3 or not _is_contiguous(R) or not _is_contiguous(Rinv):
        return None
    cdef int64_t nb = R._shape[0], n = R._shape[1], b, nn
    if R._shape[2] != n or Rinv._shape[0] != nb or Rinv._shape[1] != n or Rinv._shape[2] != n or not n:
        return None
    nn = n * n
    cdef const ct_backend *B = R._storage.backend
    ensure_gemm(B)
    cdef float *x = <float *>malloc(3 * nn * sizeof(float))
    if x == NULL:
        raise MemoryError()
    cdef double v
    cdef list out = []
    for b in range(nb):
        with nogil:
            if code == CT_FLOAT64:
                v = _cond2_bound((<const double *>R._data) + b * nn, (<const double *>Rinv._data) + b * nn,
                                 x, n, B)
            else:
                v = _cond2_bound((<const float *>R._data) + b * nn, (<const float *>Rinv._data) + b * nn,
                                 x, n, B)
        out.append(v)
    free(x)
    return out


cdef void _to_cols(const floating *src, int64_t rs, int64_t cs, floating *dst, int64_t m,
                   int64_t n) noexcept nogil:
    """dst (column-major m x n) = the matrix src (element strides rs, cs)."""
    cdef int64_t i, j
    if rs == 1 and cs == m:
        memcpy(dst, src, sizeof(floating) * m * n)
        return
    for j in range(n):
        for i in range(m):
            dst[j * m + i] = src[i * rs + j * cs]


def orgqr(Tensor A, Tensor tau):
    """Q = H_0 ... H_{k-1} I[:, :n] (LAPACK's orgqr) of A (..., m, n), m >= n,
    with k = tau.shape[-1] <= n reflectors (below A's diagonal) and their
    factors tau (..., k), by the table's la_orgqr: float32 or float64 host
    memory of one device, tau's batch dims A's, no history needed (None
    otherwise, and for k = 0). Q column-major, as LAPACK leaves it (the
    transposed view of a dense tensor)."""
    cdef const ct_la_table *T = _table(A)
    cdef int code = A._dtype._code
    if T == NULL or T.la_orgqr == NULL or tau._dtype is not A._dtype \
            or A._ndim < 2 or tau._ndim != A._ndim - 1 \
            or tau._storage.device != A._storage.device \
            or (_grad_mode() and (_needs_grad(A) or _needs_grad(tau))):
        return None
    cdef int nd = A._ndim, d
    for d in range(nd - 2):
        if tau._shape[d] != A._shape[d]:
            return None
    cdef int64_t m = A._shape[nd - 2], n = A._shape[nd - 1], k = tau._shape[tau._ndim - 1]
    cdef int64_t nb = _batch_numel(A)
    if not (nb and m and n and k) or k > n or n > m or m * n > 0x7fffffff:
        return None
    cdef int64_t bs = 0, rs = 0, cs = 0
    if not _mat_layout(A, &bs, &rs, &cs):
        A = _dense_copy(A)
        bs, rs, cs = m * n, n, 1
    tau = _dense(tau)
    cdef Tensor X = _empty_list([A._shape[d] for d in range(nd - 2)] + [n, m], A._dtype,
                                A._storage.device)
    cdef bint f64 = code == CT_FLOAT64
    cdef void *cols = NULL
    cdef int rc = 0
    cdef int64_t b
    # A's columns as they are where they lie one matrix after another
    if m > 32 or n > 32:
        ensure_gemm(A._storage.backend)
    if not (rs == 1 and cs == m and (nb == 1 or bs == m * n)):
        cols = malloc((8 if f64 else 4) * nb * m * n)
        if cols == NULL:
            raise MemoryError()
    with nogil:
        if cols != NULL:
            for b in range(nb):
                if f64:
                    _to_cols(<const double *>A._data + b * bs, rs, cs,
                             <double *>cols + b * m * n, m, n)
                else:
                    _to_cols(<const float *>A._data + b * bs, rs, cs,
                             <float *>cols + b * m * n, m, n)
        rc = T.la_orgqr(code, A._data if cols == NULL else cols, tau._data, X._data, nb, m,
                        n, k)
    free(cols)
    if rc != 0:
        raise MemoryError()
    return _cols_view(X, m, n)


ctypedef void (*_dsyevd_t)(char *jobz, char *uplo, int *n, double *a, int *lda, double *w,
                           double *work, int *lwork, int *iwork, int *liwork,
                           int *info) noexcept nogil


cdef struct _syevd_ctx:
    _dsyevd_t fn
    char uplo
    int n, lwork, liwork
    int64_t part_len
    char *buf
    double *v
    double *w


cdef int _syevd_range(void *p, int64_t lo, int64_t hi, int part) noexcept nogil:
    cdef _syevd_ctx *c = <_syevd_ctx *>p
    cdef int64_t n = c.n, b
    cdef double *work = <double *>(c.buf + part * c.part_len)
    cdef int *iwork = <int *>(<char *>work + sizeof(double) * c.lwork)
    cdef char jobz = b'V'
    cdef int info = 0
    for b in range(lo, hi):
        c.fn(&jobz, &c.uplo, &c.n, c.v + b * n * n, &c.n, c.w + b * n, work, &c.lwork, iwork,
             &c.liwork, &info)
        if info != 0:
            return 1
    return 0


def syevd(Tensor A, bint lower, int threads=1):
    """(eigenvalues (..., n), eigenvectors (..., n, n), column-major) of the
    symmetric float64 matrices A (..., n, n), n > 0, by LAPACK's syevd (one
    call per matrix in one loop, a batch shared among up to `threads`
    threads; the triangle `lower` read). A row-major matrix read
    column-major is its transpose, so each matrix is copied as it is and the
    other triangle named; the eigenvectors come back as the columns of the
    column-major result. None for another dtype, or where LAPACK does not
    converge on some matrix (info != 0)."""
    cdef int64_t n = _f64_square(A, 1)
    if n == 0:
        return None
    cdef int nd = A._ndim
    cdef int64_t nb = _batch_numel(A)
    A = _dense(A)
    batch = [A._shape[d] for d in range(nd - 2)]
    cdef Tensor V = _empty_list(batch + [n, n], A._dtype, A._storage.device)
    cdef Tensor W = _empty_list(batch + [n], A._dtype, A._storage.device)
    cdef _syevd_ctx c
    c.fn = <_dsyevd_t>_lapack_ptr("dsyevd")
    c.uplo = b'U' if lower else b'L'
    c.n = <int>n
    cdef char jobz = b'V'
    cdef int lwork = -1, liwork = -1, info = 0, iq = 0
    cdef double dq = 0
    c.fn(&jobz, &c.uplo, &c.n, NULL, &c.n, NULL, &dq, &lwork, &iq, &liwork, &info)
    c.lwork = <int>dq if <int>dq > 1 else 1
    c.liwork = iq if iq > 1 else 1
    cdef int parts = _parts_for(threads, nb, n)
    # a multiple of 8 bytes: each part's doubles stay aligned
    c.part_len = sizeof(double) * c.lwork + sizeof(int) * (c.liwork + (c.liwork & 1))
    c.v = <double *>V._data
    c.w = <double *>W._data
    with nogil:
        memcpy(c.v, A._data, sizeof(double) * nb * n * n)
    if _run_batch(_syevd_range, &c, <void **>&c.buf, c.part_len, nb, parts):
        return None
    return W, _cols_view(V, n, n)


cdef void _inner_rows(const floating *d, const floating *J, const floating *K, const floating *g,
                      floating *out, int64_t b, int64_t k, bint svd) noexcept nogil:
    # the same operations, in the same order, as the formulas' tensor ops
    # (F = (1 - I) / (d_j - d_i + I), the terms added to diag(g) or zero)
    cdef int64_t i, j
    cdef const floating *db = d + b * k
    cdef const floating *Jb = J + b * k * k if J != NULL else NULL
    cdef const floating *Kb = K + b * k * k if K != NULL else NULL
    cdef floating *ob = out + b * k * k
    cdef floating f, t, si, sj, gi, e
    for i in range(k):
        gi = g[b * k + i] if g != NULL else 0
        si = db[i]
        for j in range(k):
            e = 1 if i == j else 0
            sj = db[j]
            if svd:
                f = (1 - e) / ((sj * sj - si * si) + e)
                t = gi if i == j else 0
                if Jb != NULL:
                    t = t + (f * (Jb[i * k + j] - Jb[j * k + i])) * sj
                if Kb != NULL:
                    t = t + si * (f * (Kb[i * k + j] - Kb[j * k + i]))
            else:
                f = (1 - e) / ((sj - si) + e)
                t = f * (<floating>0.5 * (Jb[i * k + j] - Jb[j * k + i]))
                if g != NULL:
                    t = t + (gi if i == j else 0)
            ob[i * k + j] = t


def eig_inner(Tensor d, Tensor J, Tensor K, Tensor g, bint svd):
    """The middle factor of the eigh / svd backward formulas, in one pass,
    for real float32 / float64 tensors of one dtype: d (..., k) the
    eigenvalues (singular values), J, K (..., k, k) (K svd only; J or K None:
    absent), g (..., k) the gradient of d (None: zero). With
    F_ij = 1 / (d_j - d_i) (svd: d_j^2 - d_i^2) off the diagonal, 0 on it:
    eigh: F o (J - J^T) / 2 + diag(g);
    svd:  diag(g) + (F o (J - J^T)) diag(d) + diag(d) (F o (K - K^T)).
    None where it does not apply (another dtype, shapes that differ)."""
    cdef int code = d._dtype._code
    if code != CT_FLOAT32 and code != CT_FLOAT64 or d._ndim < 1:
        return None
    cdef int nd = d._ndim
    cdef int64_t k = d._shape[nd - 1], nb = 1, b
    cdef int i
    for i in range(nd - 1):
        nb *= d._shape[i]
    mshape = [d._shape[i] for i in range(nd)] + [k]
    for t in (J, K):
        if t is not None and (t._dtype is not d._dtype or t._ndim != nd + 1
                              or [t._shape[i] for i in range(nd + 1)] != mshape):
            return None
    if g is not None and (g._dtype is not d._dtype or g._ndim != nd
                          or [g._shape[i] for i in range(nd)] != mshape[:nd]):
        return None
    if J is None and (K is None or not svd):
        return None
    d = _dense(d)
    J = _dense(J) if J is not None else None
    K = _dense(K) if K is not None and svd else None
    g = _dense(g) if g is not None else None
    cdef Tensor out = _empty_list(mshape, d._dtype, d._storage.device)
    cdef void *jp = J._data if J is not None else NULL
    cdef void *kp = K._data if K is not None else NULL
    cdef void *gp = g._data if g is not None else NULL
    with nogil:
        for b in range(nb):
            if code == CT_FLOAT64:
                _inner_rows(<const double *>d._data, <const double *>jp, <const double *>kp,
                            <const double *>gp, <double *>out._data, b, k, svd)
            else:
                _inner_rows(<const float *>d._data, <const float *>jp, <const float *>kp,
                            <const float *>gp, <float *>out._data, b, k, svd)
    return out


ctypedef void (*_dgesdd_t)(char *jobz, int *m, int *n, double *a, int *lda, double *s, double *u,
                           int *ldu, double *vt, int *ldvt, double *work, int *lwork, int *iwork,
                           int *info) noexcept nogil


ctypedef void (*_dgebrd_t)(int *m, int *n, double *a, int *lda, double *d, double *e,
                           double *tauq, double *taup, double *work, int *lwork,
                           int *info) noexcept nogil
ctypedef void (*_dlasq1_t)(int *n, double *d, double *e, double *work, int *info) noexcept nogil
ctypedef double (*_dlamch_t)(char *cmach) noexcept nogil

# the workspaces LAPACK asks for, by (rows, columns) of the last query
cdef int _brd_m = -1, _brd_n = -1, _brd_lwork = 0
cdef int _sdd_m = -1, _sdd_n = -1, _sdd_lwork = 0
# dgesdd's range of matrix norms it runs unscaled: [smlnum, 1 / smlnum]
cdef double _sdd_smlnum = 0


cdef extern from *:
    """
    #include <stdint.h>
    #include <string.h>
    /* dst[0:n] = src[0:n]; the largest magnitude of the elements: NaN when one
       is NaN, inf when one is infinite and none NaN (the magnitudes' bit
       patterns compared as integers, whose order is theirs) */
    __attribute__((optimize("O3"), target_clones("default", "arch=x86-64-v3")))
    static double ct_copy_amax(const double *restrict src, double *restrict dst, int64_t n)
    {
        uint64_t mx = 0;
        for (int64_t i = 0; i < n; i++) {
            double v = src[i];
            uint64_t u;
            dst[i] = v;
            memcpy(&u, &v, sizeof u);
            u &= 0x7fffffffffffffffULL;
            mx = u > mx ? u : mx;
        }
        double r;
        memcpy(&r, &mx, sizeof r);
        return r;
    }
    """
    double ct_copy_amax(const double *src, double *dst, int64_t n) noexcept nogil


cdef int _gebrd_lwork(_dgebrd_t fn, int m, int n) noexcept nogil:
    global _brd_m, _brd_n, _brd_lwork
    cdef int lwork = -1, info = 0
    cdef double q = 0
    if m != _brd_m or n != _brd_n:
        fn(&m, &n, NULL, &m, NULL, NULL, NULL, NULL, &q, &lwork, &info)
        _brd_lwork = <int>q if info == 0 and q >= 1 else (m + n) * 64
        _brd_m, _brd_n = m, n
    return _brd_lwork


cdef int _gesdd_lwork(_dgesdd_t fn, int m, int n) noexcept nogil:
    global _sdd_m, _sdd_n, _sdd_lwork
    cdef char jobz = b'N'
    cdef int lwork = -1, info = 0, one = 1
    cdef double q = 0, du = 0, dv = 0
    if m != _sdd_m or n != _sdd_n:
        fn(&jobz, &m, &n, NULL, &m, NULL, &du, &one, &dv, &one, &q, &lwork, NULL, &info)
        _sdd_lwork = <int>q if q >= 1 else 1
        _sdd_m, _sdd_n = m, n
    return _sdd_lwork


# sytrd.h's kernels: the tridiagonal reduction and its Q (eigh, below), the
# bidiagonal reduction (svd_values, gesdd_vectors)
cdef extern from "sytrd.h" nogil:
    int64_t ct_dsytrd_work(int64_t n)
    void ct_dsytrd(char uplo, int64_t n, double *a, int64_t lda, double *d, double *e,
                   double *tau, double *work)
    void ct_ssytrd(char uplo, int64_t n, float *a, int64_t lda, float *d, float *e,
                   float *tau, float *work)
    int64_t ct_dormtr_work(int64_t n)
    void ct_dormtr_ql(int64_t n, const double *a, int64_t lda, const double *tau, double *z,
                      int64_t ldz, double *work)
    void ct_sormtr_ql(int64_t n, const float *a, int64_t lda, const float *tau, float *z,
                      int64_t ldz, float *work)
    ctypedef void (*ct_dgemm_f77)(char *ta, char *tb, int *m, int *n, int *k, double *alpha,
                                  double *a, int *lda, double *b, int *ldb, double *beta,
                                  double *c, int *ldc)
    ctypedef void (*ct_sgemm_f77)(char *ta, char *tb, int *m, int *n, int *k, float *alpha,
                                  float *a, int *lda, float *b, int *ldb, float *beta,
                                  float *c, int *ldc)
    int64_t ct_dormtr_blocked_work(int64_t n)
    int64_t ct_dsteqr_work(int64_t n)
    int64_t ct_dsteqr(int64_t n, double *d, double *e, double *z, int64_t ldz, double *work)
    int64_t ct_ssteqr(int64_t n, float *d, float *e, float *z, int64_t ldz, float *work)
    void ct_dormtr_ql_blocked(int64_t n, const double *a, int64_t lda, const double *tau,
                              double *z, int64_t ldz, double *work, ct_dgemm_f77 gemm)
    void ct_sormtr_ql_blocked(int64_t n, const float *a, int64_t lda, const float *tau,
                              float *z, int64_t ldz, float *work, ct_sgemm_f77 gemm)
    int64_t ct_dgebrd_work(int64_t m, int64_t n)
    void ct_dgebrd(int64_t m, int64_t n, const double *a, int64_t lda, int trans, double *d,
                   double *e, double *out, int64_t ldo, double *tauq, double *taup,
                   double *work)
    int ct_trd_fast()

# svd_values's bidiagonal form by ct_dgebrd (sytrd.h) on CPUs with AVX2 and
# FMA (one pass per step, against gebrd's two matrix-vector products: 1.3 to
# 1.7 times the speed of PyTorch's svdvals from 64 x 256 to 2000 x 2000),
# up to this many elements (its workspace: one more copy); LAPACK's gebrd
# otherwise
DEF OWN_BRD = 1 << 30
cdef int64_t _own_brd = OWN_BRD if ct_trd_fast() else 0


# svd_values's reductions of each matrix's singular values
DEF SV_ALL = 0
DEF SV_MAX = 2
DEF SV_MIN = 3
DEF SV_MAX_MIN = 4
DEF SV_MIN_MAX = 5


def svd_values(Tensor A, int mode):
    """The singular values of the float64 matrices A (..., m, n), m, n > 0,
    that need no history, as LAPACK's gesdd without vectors computes them,
    one matrix after another in one loop: mode 0 the values (..., min(m, n))
    in decreasing order; otherwise one number per matrix (...,): 2 the
    largest, 3 the smallest, 4 largest / smallest, 5 smallest / largest. A row-major matrix is read column-major (its transpose, whose
    singular values are the same), so that one copy (LAPACK overwrites it)
    is all it takes. Where gesdd would take its plain path (at least as many
    rows as columns but not 11/6 of them, of the matrix or of its
    transpose, a finite matrix whose largest magnitude needs no scaling) its
    steps are taken directly: the bidiagonal form (ct_dgebrd of sytrd.h, or
    LAPACK's gebrd) and its singular values by dqds (lasq1); where gesdd
    would reduce the matrix by QR first, R from the kernel's QR (qr) and
    then R's values; gesdd itself otherwise. None for another dtype, a tensor that needs
    history, or where LAPACK does not converge on some matrix."""
    if A._dtype._code != CT_FLOAT64 or A._ndim < 2 or (_grad_mode() and _needs_grad(A)):
        return None
    cdef int nd = A._ndim
    cdef int64_t m = A._shape[nd - 2], n = A._shape[nd - 1], nb = _batch_numel(A)
    # (LAPACK's int32 sizes, workspaces of up to 64 (m + n) included)
    if not (m and n and nb) or m * n > 0x7fffffff or m + n > 0xffffff:
        return None
    cdef int64_t bs = 0, rs = 0, cs = 0, b, i
    cdef int64_t lg = m if m > n else n, sm = m if m < n else n
    if _own_brd and lg > sm and lg >= <int64_t>(sm * 11.0 / 6.0) and sm * sm <= _own_brd:
        # 11/6 as many rows as columns or more, either way: gesdd reduces
        # these to R by QR first; here the kernel's QR (of the transpose of
        # a wide matrix), then R's values (LAPACK's QR unless it declines)
        r = qr(A if m >= n else A.mT, "r")
        if r is not None:
            return svd_values(r[1], mode)
    if not _mat_layout(A, &bs, &rs, &cs):
        A = _dense_copy(A)
        bs, rs, cs = m * n, n, 1
    # the column-major matrix LAPACK sees: M x N
    cdef int M = <int>(n if cs == 1 else m), N = <int>(m if cs == 1 else n)
    cdef int64_t k = m if m < n else n
    batch = [A._shape[i] for i in range(nd - 2)]
    cdef Tensor out = _empty_list(batch + [k] if mode == SV_ALL else batch, A._dtype,
                                  A._storage.device)
    cdef _dgebrd_t brd = <_dgebrd_t>_lapack_ptr("dgebrd")
    cdef _dlasq1_t lasq1 = <_dlasq1_t>_lapack_ptr("dlasq1")
    cdef _dgesdd_t sdd = <_dgesdd_t>_lapack_ptr("dgesdd")
    cdef double smlnum = _sdd_small(), bignum = 1 / smlnum
    # gesdd's own path (M >= N, M < int(N * 11 / 6)) or gesdd
    cdef bint direct = M >= N and M < <int>(N * 11.0 / 6.0)
    # ct_dgebrd: of that matrix, or of its transpose (gesdd's path of the
    # transpose, which has the same singular values) where it is the wider
    cdef bint own_t = M < N and N < <int>(M * 11.0 / 6.0) and <int64_t>M * N <= _own_brd
    cdef bint own = own_t or (direct and <int64_t>M * N <= _own_brd)
    cdef int mo = N if own_t else M, no = M if own_t else N
    direct = direct or own_t
    cdef int lwork = <int>ct_dgebrd_work(mo, no) if own else _gebrd_lwork(brd, M, N) if direct else 0
    if lwork < 4 * N:
        lwork = 4 * N
    cdef int64_t mn = m * n
    cdef char *buf = <char *>malloc(sizeof(double) * (mn + 4 * k + lwork))
    if buf == NULL:
        raise MemoryError()
    cdef double *a = <double *>buf
    cdef double *sv = a + mn
    cdef double *e = sv + k
    cdef double *tq = e + k
    cdef double *tp = tq + k
    cdef double *work = tp + k
    cdef double *gwork = NULL
    cdef int *iwork = NULL
    cdef const double *src = <const double *>A._data
    cdef double *o = <double *>out._data
    cdef double mx, lo, hi, dummy = 0
    cdef int info = 0, glwork = 0, one = 1, ik = <int>k
    cdef char jobz = b'N'
    cdef int bad = 0
    with nogil:
        for b in range(nb):
            # the copy, its largest magnitude and whether it is finite
            mx = ct_copy_amax(src + b * bs, a, mn)
            info = 1
            if direct and (mx == 0 or (mx >= smlnum and mx <= bignum)):
                if own:
                    ct_dgebrd(mo, no, a, M, own_t, sv, e, NULL, 0, NULL, NULL, work)
                    info = 0
                else:
                    brd(&M, &N, a, &M, sv, e, tq, tp, work, &lwork, &info)
                if info == 0:
                    lasq1(&ik, sv, e, work, &info)
                if info != 0:
                    # gesdd from the matrix again (it ends dqds's failures by QR steps)
                    for i in range(mn):
                        a[i] = src[b * bs + i]
            if info != 0:
                if gwork == NULL:
                    with gil:
                        glwork = _gesdd_lwork(sdd, M, N)
                    gwork = <double *>malloc(sizeof(double) * glwork + sizeof(int) * 8 * k)
                    if gwork == NULL:
                        bad = 2
                        break
                    iwork = <int *>(gwork + glwork)
                sdd(&jobz, &M, &N, a, &M, sv, &dummy, &one, &dummy, &one, gwork, &glwork, iwork,
                    &info)
                if info != 0:
                    bad = 1
                    break
            if mode == SV_ALL:
                memcpy(o + b * k, sv, sizeof(double) * k)
            else:
                hi = sv[0]
                lo = sv[0]
                for i in range(1, k):
                    if sv[i] != sv[i]:
                        # NaN propagates (as amax / amin)
                        hi = lo = sv[i]
                        break
                    hi = sv[i] if sv[i] > hi else hi
                    lo = sv[i] if sv[i] < lo else lo
                o[b] = hi if mode == SV_MAX else lo if mode == SV_MIN else \
                    hi / lo if mode == SV_MAX_MIN else lo / hi
    free(buf)
    free(gwork)
    if bad == 2:
        raise MemoryError()
    return None if bad else out


ctypedef void (*_sgesdd_t)(char *jobz, int *m, int *n, float *a, int *lda, float *s, float *u,
                           int *ldu, float *vt, int *ldvt, float *work, int *lwork, int *iwork,
                           int *info) noexcept nogil

# gesdd's workspace with vectors by dtype and full_matrices: the (m, n) of
# the last query and its answer
cdef int _sddv_m[4]
cdef int _sddv_n[4]
cdef int _sddv_lwork[4]
_sddv_m[0] = _sddv_m[1] = _sddv_m[2] = _sddv_m[3] = -1


cdef Tensor _cols_view(Tensor X, int64_t rows, int64_t cols):
    """The column-major rows x cols matrices in X (..., cols, rows), dense:
    X's transposed view."""
    cdef Py_ssize_t shape[CT_MAXDIM]
    cdef Py_ssize_t stride[CT_MAXDIM]
    cdef int d, nd = X._ndim
    for d in range(nd):
        shape[d] = X._shape[d]
        stride[d] = X._stride[d]
    shape[nd - 2], shape[nd - 1] = rows, cols
    stride[nd - 2], stride[nd - 1] = 1, rows
    return _make_tensor(X._storage, X._offset, nd, shape, stride, X._dtype)


ctypedef void (*_dbdsdc_t)(char *uplo, char *compq, int *n, double *d, double *e, double *u,
                           int *ldu, double *vt, int *ldvt, double *q, int *iq, double *work,
                           int *iwork, int *info) noexcept nogil
ctypedef void (*_dormbr_t)(char *vect, char *side, char *trans, int *m, int *n, int *k,
                           double *a, int *lda, double *tau, double *c, int *ldc, double *work,
                           int *lwork, int *info) noexcept nogil


cdef double _sdd_small() except -1:
    """dgesdd's smallest matrix norm it runs unscaled (sqrt(safmin) / eps;
    the largest is its inverse)."""
    global _sdd_smlnum
    cdef _dlamch_t lamch
    cdef char cm
    if _sdd_smlnum == 0:
        lamch = <_dlamch_t>_lapack_ptr("dlamch")
        cm = b'S'
        _sdd_smlnum = lamch(&cm)
        cm = b'P'
        _sdd_smlnum = _sdd_smlnum ** 0.5 / lamch(&cm)
    return _sdd_smlnum


cdef struct _BrdSvd:
    # gesdd's path for m >= n, m < 11/6 n, as its steps, with the
    # bidiagonal form by ct_dgebrd: pointers and scratch
    _dbdsdc_t bdsdc
    _dormbr_t ormbr
    double *a           # m x n: the matrix, then gebrd's result
    double *e
    double *tauq
    double *taup
    double *work        # lwork doubles
    int *iwork          # 8 n
    int lwork
    double smlnum


cdef int _brd_svd(_BrdSvd *c, const double *src, int64_t rs, int64_t cs, int m, int n,
                  bint full, double *s, double *u, double *vt) noexcept nogil:
    """(U, S, VT) of the m x n matrix at src (rows rs, columns cs apart),
    m >= n, as dgesdd's path for fewer than 11/6 n rows computes them (jobz 'A'
    with full, else 'S'; U m x m or m x n, VT n x n, column-major): the
    bidiagonal form, its SVD by bdsdc, and Q and P applied by ormbr. 1 where
    the matrix is not finite or needs gesdd's scaling (nothing usable is
    written then), 2 where bdsdc does not converge; 0 done."""
    cdef int64_t mn = <int64_t>m * n, i
    cdef int uc = m if full else n, info = 0
    cdef char up = b'U', ci = b'I', cq = b'Q', cp = b'P', cl = b'L', cr = b'R', cn = b'N', ct = b'T'
    cdef double dum = 0
    cdef int idum = 0
    _to_cols(src, rs, cs, c.work, m, n)
    cdef double mx = ct_copy_amax(c.work, c.a, mn)
    if not (mx == 0 or (mx >= c.smlnum and mx <= 1 / c.smlnum)):
        return 1
    ct_dgebrd(m, n, c.a, m, 0, s, c.e, c.a, m, c.tauq, c.taup, c.work)
    memset(u, 0, sizeof(double) * m * uc)
    for i in range(n, uc):
        u[i + i * m] = 1
    c.bdsdc(&up, &ci, &n, s, c.e, u, &m, vt, &n, &dum, &idum, c.work, c.iwork, &info)
    if info != 0:
        return 2
    c.ormbr(&cq, &cl, &cn, &m, &uc, &n, c.a, &m, c.tauq, u, &m, c.work, &c.lwork, &info)
    c.ormbr(&cp, &cr, &ct, &n, &n, &n, c.a, &m, c.taup, vt, &n, c.work, &c.lwork, &info)
    return 0


def gesdd_vectors(Tensor A, bint full_matrices):
    """(U, S, Vh) of the float32 / float64 matrices A (..., m, n), m, n > 0,
    by LAPACK's gesdd (jobz 'A' with full_matrices, 'S' without) on a
    column-major copy of each matrix, with the workspace it asks for, one
    matrix after another in one loop: U (..., m, m or k) and Vh (..., n or
    k, n) column-major as LAPACK leaves them (transposed views of dense
    tensors), S (..., k), k = min(m, n). None for another dtype, or where
    LAPACK does not converge on some matrix (or reports a NaN)."""
    cdef int code = A._dtype._code
    if (code != CT_FLOAT32 and code != CT_FLOAT64) or A._ndim < 2:
        return None
    cdef int nd = A._ndim
    cdef int64_t m = A._shape[nd - 2], n = A._shape[nd - 1], nb = _batch_numel(A)
    cdef int64_t k = m if m < n else n
    if not (m and n and nb) or m * n > 0x7fffffff or m * m > 0x7fffffff or n * n > 0x7fffffff \
            or m + n > 0xffffff:
        return None
    cdef int64_t bs = 0, rs = 0, cs = 0, b
    if not _mat_layout(A, &bs, &rs, &cs):
        A = _dense_copy(A)
        bs, rs, cs = m * n, n, 1
    cdef int64_t uc = m if full_matrices else k, vr = n if full_matrices else k
    batch = [A._shape[i] for i in range(nd - 2)]
    cdef Tensor U = _empty_list(batch + [uc, m], A._dtype, A._storage.device)
    cdef Tensor V = _empty_list(batch + [n, vr], A._dtype, A._storage.device)
    cdef Tensor S = _empty_list(batch + [k], A._dtype, A._storage.device)
    cdef bint f64 = code == CT_FLOAT64
    cdef int t = (1 if f64 else 0) + (2 if full_matrices else 0)
    cdef _dgesdd_t dfn = NULL
    cdef _sgesdd_t sfn = NULL
    if f64:
        dfn = <_dgesdd_t>_lapack_ptr("dgesdd")
    else:
        sfn = <_sgesdd_t>_lapack_ptr("sgesdd")
    cdef char jobz = b'A' if full_matrices else b'S'
    cdef int im = <int>m, inn = <int>n, ivr = <int>vr, lwork = -1, info = 0
    cdef double dq = 0
    cdef float sq = 0
    if _sddv_m[t] != im or _sddv_n[t] != inn:
        if f64:
            dfn(&jobz, &im, &inn, NULL, &im, NULL, NULL, &im, NULL, &ivr, &dq, &lwork, NULL, &info)
            lwork = <int>dq
        else:
            sfn(&jobz, &im, &inn, NULL, &im, NULL, NULL, &im, NULL, &ivr, &sq, &lwork, NULL, &info)
            # a float32 count can fall short of the integer it rounds
            lwork = <int>(sq * (1 + 1e-6)) + 1
        if info != 0 or lwork < 1:
            return None
        _sddv_lwork[t] = lwork
        _sddv_m[t], _sddv_n[t] = im, inn
    lwork = _sddv_lwork[t]
    cdef size_t es = 8 if f64 else 4
    cdef char *buf = <char *>malloc(es * (m * n + lwork) + sizeof(int) * 8 * k)
    if buf == NULL:
        raise MemoryError()
    cdef int *iwork = <int *>(buf + es * (m * n + lwork))
    cdef int bad = 0, r = 1
    # float64 matrices on gesdd's path for m >= n, m < 11/6 n: its steps,
    # the bidiagonal form by ct_dgebrd (sytrd.h; 256 x 256 0.84 -> 1.0 of
    # PyTorch's speed)
    # (those of its transpose where n > m, whose factors are V and U
    # transposed)
    cdef _BrdSvd c
    cdef char *obuf = NULL
    cdef int64_t ow = 0, mt = m if m >= n else n, nt = n if m >= n else m, i, j
    cdef bint tr = m < n
    cdef double *ut = NULL
    cdef double *vtt = NULL
    cdef double *ub
    cdef double *vb
    if f64 and mt < <int64_t>(nt * 11.0 / 6.0) and m * n <= _own_brd:
        ow = max(ct_dgebrd_work(mt, nt), 3 * nt * nt + 4 * nt, (mt + nt) * 64 + 4160)
        obuf = <char *>malloc(sizeof(double) * (m * n + 3 * nt + ow + (mt * mt + nt * nt) * tr)
                              + sizeof(int) * 8 * nt)
        if obuf == NULL:
            free(buf)
            raise MemoryError()
        c.bdsdc = <_dbdsdc_t>_lapack_ptr("dbdsdc")
        c.ormbr = <_dormbr_t>_lapack_ptr("dormbr")
        c.a = <double *>obuf
        c.e = c.a + m * n
        c.tauq = c.e + nt
        c.taup = c.tauq + nt
        c.work = c.taup + nt
        if tr:
            ut = c.work + ow
            vtt = ut + mt * mt
            c.iwork = <int *>(vtt + nt * nt)
        else:
            c.iwork = <int *>(c.work + ow)
        c.lwork = <int>ow
        c.smlnum = _sdd_small()
    with nogil:
        for b in range(nb):
            if obuf != NULL:
                ub = <double *>U._data + b * m * uc
                vb = <double *>V._data + b * vr * n
                if not tr:
                    r = _brd_svd(&c, <const double *>A._data + b * bs, rs, cs, im, inn,
                                 full_matrices, <double *>S._data + b * k, ub, vb)
                else:
                    # A^T = U' S VT': U = VT'^T (m x m), Vh = U'^T (vr x n)
                    r = _brd_svd(&c, <const double *>A._data + b * bs, cs, rs, inn, im,
                                 full_matrices, <double *>S._data + b * k, ut, vtt)
                    if r == 0:
                        for j in range(m):
                            for i in range(m):
                                ub[i + j * m] = vtt[j + i * m]
                        for j in range(n):
                            for i in range(vr):
                                vb[i + j * vr] = ut[j + i * n]
                if r == 0:
                    continue
            if f64:
                _to_cols(<const double *>A._data + b * bs, rs, cs, <double *>buf, m, n)
                dfn(&jobz, &im, &inn, <double *>buf, &im, <double *>S._data + b * k,
                    <double *>U._data + b * m * uc, &im, <double *>V._data + b * vr * n, &ivr,
                    <double *>buf + m * n, &lwork, iwork, &info)
            else:
                _to_cols(<const float *>A._data + b * bs, rs, cs, <float *>buf, m, n)
                sfn(&jobz, &im, &inn, <float *>buf, &im, <float *>S._data + b * k,
                    <float *>U._data + b * m * uc, &im, <float *>V._data + b * vr * n, &ivr,
                    <float *>buf + m * n, &lwork, iwork, &info)
            if info != 0:
                bad = 1
                break
    free(buf)
    free(obuf)
    if bad:
        return None
    return _cols_view(U, m, uc), S, _cols_view(V, vr, n)


ctypedef void (*_dsytrf_t)(char *uplo, int *n, double *a, int *lda, int *ipiv, double *work,
                           int *lwork, int *info) noexcept nogil
ctypedef void (*_ssytrf_t)(char *uplo, int *n, float *a, int *lda, int *ipiv, float *work,
                           int *lwork, int *info) noexcept nogil

# sytrf's workspace (the one its blocked code runs with) by dtype: the order
# of the last query and its answer
cdef int _trf_n[2]
cdef int _trf_lwork[2]
_trf_n[0] = _trf_n[1] = -1


cdef void _tril_to_cols(const floating *src, int64_t rs, int64_t cs, floating *dst,
                        int64_t n) noexcept nogil:
    """dst (column-major n x n) = the lower triangle of the matrix src (element
    strides rs, cs), zeros above its diagonal."""
    cdef int64_t i, j
    for j in range(n):
        for i in range(j):
            dst[j * n + i] = 0
        for i in range(j, n):
            dst[j * n + i] = src[i * rs + j * cs]


def sytrf(Tensor A):
    """(LD, pivots, info, the first batch element whose info is not 0 or -1)
    of the real symmetric matrices A (..., n, n), n > 0 (their lower
    triangles read), by LAPACK's sytrf (lower) with the workspace of its
    blocked code, one matrix after another in one loop (up to sytrf's block
    size 64, where it runs sytf2, the backend's sytf2 kernel): LD the
    factor's lower triangle (zeros above the diagonal) column-major, as
    LAPACK leaves it (the transposed view of a dense tensor), pivots and
    info int32 as LAPACK returns them. float32 or float64 host memory; None
    for another dtype."""
    cdef int code = A._dtype._code
    if (code != CT_FLOAT32 and code != CT_FLOAT64) or A._ndim < 2:
        return None
    cdef int nd = A._ndim
    cdef int64_t n = A._shape[nd - 1], nb = _batch_numel(A)
    if A._shape[nd - 2] != n or not (n and nb) or n * n > 0x7fffffff:
        return None
    cdef int64_t bs = 0, rs = 0, cs = 0, b
    if not _mat_layout(A, &bs, &rs, &cs):
        A = _dense_copy(A)
        bs, rs, cs = n * n, n, 1
    batch = [A._shape[i] for i in range(nd - 2)]
    cdef Tensor X = _empty_list(batch + [n, n], A._dtype, A._storage.device)
    cdef Tensor P = _empty_list(batch + [n], <DType>_DT[CT_INT32], A._storage.device)
    cdef Tensor I = _empty_list(batch, <DType>_DT[CT_INT32], A._storage.device)
    cdef bint f64 = code == CT_FLOAT64
    cdef int32_t *piv = <int32_t *>P._data
    cdef int32_t *inf = <int32_t *>I._data
    with nogil:
        for b in range(nb):
            if f64:
                _tril_to_cols(<const double *>A._data + b * bs, rs, cs, <double *>X._data + b * n * n, n)
            else:
                _tril_to_cols(<const float *>A._data + b * bs, rs, cs, <float *>X._data + b * n * n, n)
    cdef const ct_la_table *T = <const ct_la_table *>A._storage.backend
    cdef int rc = 0
    if n <= 64 and T.la_ldl != NULL:
        with nogil:
            rc = T.la_ldl(code, X._data, nb, n, piv, inf)
        if rc != 0:
            raise MemoryError()
    else:
        _sytrf_lapack(X, n, nb, f64, piv, inf)
    cdef int64_t first = -1
    for b in range(nb):
        if inf[b] != 0:
            first = b
            break
    return _cols_view(X, n, n), P, I, first


cdef int _sytrf_lapack(Tensor X, int64_t n, int64_t nb, bint f64, int32_t *piv,
                       int32_t *inf) except -1:
    """LAPACK's sytrf (lower) in place on X's nb column-major matrices"""
    cdef int t = 1 if f64 else 0
    cdef _dsytrf_t dfn = NULL
    cdef _ssytrf_t sfn = NULL
    if f64:
        dfn = <_dsytrf_t>_lapack_ptr("dsytrf")
    else:
        sfn = <_ssytrf_t>_lapack_ptr("ssytrf")
    cdef char uplo = b'L'
    cdef int ni = <int>n, lwork = -1, info = 0
    cdef double dq = 0
    cdef float sq = 0
    cdef int64_t b
    if _trf_n[t] != ni:
        if f64:
            dfn(&uplo, &ni, NULL, &ni, NULL, &dq, &lwork, &info)
            lwork = <int>dq
        else:
            sfn(&uplo, &ni, NULL, &ni, NULL, &sq, &lwork, &info)
            lwork = <int>sq
        _trf_lwork[t] = lwork if info == 0 and lwork >= 1 else ni
        _trf_n[t] = ni
    lwork = _trf_lwork[t]
    cdef void *work = malloc((8 if f64 else 4) * lwork)
    if work == NULL:
        raise MemoryError()
    with nogil:
        for b in range(nb):
            if f64:
                dfn(&uplo, &ni, <double *>X._data + b * n * n, &ni, <int *>(piv + b * n), <double *>work,
                    &lwork, &info)
            else:
                sfn(&uplo, &ni, <float *>X._data + b * n * n, &ni, <int *>(piv + b * n), <float *>work,
                    &lwork, &info)
            inf[b] = info
    free(work)
    return 0


# LAPACK's geev steps, one signature for the float and the double routine
# (their real arguments, arrays and scalars alike, passed by address)
ctypedef void (*_xgeev_t)(char *jobvl, char *jobvr, int *n, void *a, int *lda, void *wr,
                          void *wi, void *vl, int *ldvl, void *vr, int *ldvr, void *work,
                          int *lwork, int *info) noexcept nogil
ctypedef void (*_xgebal_t)(char *job, int *n, void *a, int *lda, int *ilo, int *ihi,
                           void *scale, int *info) noexcept nogil
ctypedef void (*_xgehrd_t)(int *n, int *ilo, int *ihi, void *a, int *lda, void *tau,
                           void *work, int *lwork, int *info) noexcept nogil
ctypedef void (*_xtrevc_t)(char *side, char *howmny, int *select, int *n, void *t, int *ldt,
                           void *vl, int *ldvl, void *vr, int *ldvr, int *mm, int *m,
                           void *work, int *info) noexcept nogil
ctypedef void (*_xgebak_t)(char *job, char *side, int *n, int *ilo, int *ihi, void *scale,
                           int *m, void *v, int *ldv, int *info) noexcept nogil
ctypedef void (*_xlascl_t)(char *type, int *kl, int *ku, void *cfrom, void *cto, int *m,
                           int *n, void *a, int *lda, int *info) noexcept nogil
ctypedef void (*_xhseqr_t)(char *job, char *compz, int *n, int *ilo, int *ihi, void *h,
                           int *ldh, void *wr, void *wi, void *z, int *ldz, void *work,
                           int *lwork, int *info) noexcept nogil

cdef extern from "hqr.h" nogil:
    int CT_HQR_OWN
    int64_t ct_dhseqr_small(int wantt, int64_t n, int64_t ilo, int64_t ihi, double *h,
                            int64_t ldh, double *wr, double *wi, double *z, int64_t ldz)
    int64_t ct_shseqr_small(int wantt, int64_t n, int64_t ilo, int64_t ihi, float *h,
                            int64_t ldh, double *wr, double *wi, float *z, int64_t ldz)
    void ct_geev_normalise(int64_t n, double *vr, int64_t ldv, const double *wi, double *work)
    void ct_sgeev_normalise(int64_t n, float *vr, int64_t ldv, const double *wi, double *work)
    int ct_trevc_right(int64_t n, const double *t, int64_t ldt, double *q, int64_t ldq,
                       double *work)
    int ct_strevc_right(int64_t n, const float *t, int64_t ldt, float *q, int64_t ldq,
                        float *work)
    int ct_hqr_own()

# the order up to which geev's Schur form comes from hqr.h's iteration
# (dlahqr's, to the bit: up to order 75 LAPACK's dhseqr runs it too, so
# float64 eigenvalues are numpy's in numpy's order), 0 where the build runs
# LAPACK's hseqr
cdef int64_t _own_hqr = CT_HQR_OWN if ct_hqr_own() else 0


cdef struct _geev_ctx:
    _xgebal_t gebal
    _xgehrd_t gehrd
    _xgehrd_t orghr
    _xtrevc_t trevc
    _xgebak_t gebak
    _xlascl_t lascl         # the element type's
    _xlascl_t dlascl        # double's (for the eigenvalues)
    _xhseqr_t hseqr
    char jr
    bint f32                # float matrices (else double)
    int n, lwork
    int nonfinite           # set where some matrix holds a NaN or an infinity
    int64_t part_len        # bytes
    char *buf
    const void *src
    void *w
    void *v


# geev scales a matrix whose largest magnitude lies outside
# [sqrt(safmin) / eps, its inverse]: dgeev's, sgeev's
DEF GEEV_SMLNUM = 6.717753087876296e-139
DEF GEEV_BIGNUM = 1.4885657073574029e+138
DEF SGEEV_SMLNUM = 9.094947017729282e-13
DEF SGEEV_BIGNUM = 1099511627776.0


cdef struct _geev_mat:
    # one matrix's place in a part's workspace: the eigenvalues wr, wi and
    # a scratch dwork (n doubles each); in the element type the matrix a
    # (n x n, column-major: the pointer the fused steps take) and after it
    # vr (n x n with vectors), fw (2n: LAPACK hseqr's eigenvalues), work
    # (2n + lwork: balancing scales, reflector factors, LAPACK's
    # workspace); balancing's ilo, ihi; the largest magnitude and the
    # factor geev scales it to (0: none)
    double *wr
    double *wi
    double *dwork
    void *vr
    void *fw
    void *work
    int ilo, ihi
    double amax, cscale


cdef int _geev_in(_geev_ctx *c, int64_t b, _geev_mat *s, floating *a) noexcept nogil:
    """a = matrix b, column-major, scaled as geev scales it (the
    factor in s.cscale; the loop runs geev's steps itself: a LAPACK build's
    dgeev was seen to leave the eigenvalues of a scaled matrix scaled). 1
    where the matrix holds a NaN or an infinity (a then unspecified), else
    0."""
    cdef int64_t n = c.n, i, j
    cdef const floating *sb = <const floating *>c.src + b * n * n
    cdef floating amax = 0, cscale = 0, v, nonfinite = 0
    cdef char typ = b'G'
    cdef int zero = 0, info = 0
    for j in range(n):
        for i in range(n):
            v = sb[i * n + j]
            a[j * n + i] = v
            nonfinite += v - v          # NaN where v is NaN or infinite
            if fabs(v) > amax:
                amax = fabs(v)
    if nonfinite != 0:
        return 1
    if floating is float:
        if amax > 0 and amax < SGEEV_SMLNUM:
            cscale = SGEEV_SMLNUM
        elif amax > SGEEV_BIGNUM:
            cscale = SGEEV_BIGNUM
    else:
        if amax > 0 and amax < GEEV_SMLNUM:
            cscale = GEEV_SMLNUM
        elif amax > GEEV_BIGNUM:
            cscale = GEEV_BIGNUM
    if cscale != 0:
        c.lascl(&typ, &zero, &zero, &amax, &cscale, &c.n, &c.n, a, &c.n, &info)
    s.amax = amax
    s.cscale = cscale
    return 0


cdef void _geev_reduce(_geev_ctx *c, _geev_mat *s, floating *a) noexcept nogil:
    """geev's steps before the Schur form: gebal, gehrd, (orghr)"""
    cdef int64_t n = c.n
    cdef int info = 0, lw = c.lwork
    cdef char job = b'B'
    cdef floating *work = <floating *>s.work
    c.gebal(&job, &c.n, a, &c.n, &s.ilo, &s.ihi, work, &info)
    c.gehrd(&c.n, &s.ilo, &s.ihi, a, &c.n, work + n, work + 2 * n, &lw, &info)
    if c.jr == b'V':
        memcpy(s.vr, a, sizeof(floating) * n * n)
        c.orghr(&c.n, &s.ilo, &s.ihi, s.vr, &c.n, work + n, work + 2 * n, &lw, &info)


cdef int _geev_schur(_geev_ctx *c, int64_t b, _geev_mat *s, int64_t info,
                     floating *a) noexcept nogil:
    """Matrix b's Schur form after hqr.h's iteration ended with info (or,
    for an order above _own_hqr, none ran: info -1): where it did not run or
    did not converge, LAPACK's hseqr on the reduced matrix made again (it
    runs the same lahqr arithmetic and then its rescue). 1 where that
    fails too."""
    cdef int64_t n = c.n, j
    cdef int inf = 0, lw = c.lwork
    cdef char job = b'S' if c.jr == b'V' else b'E'
    cdef char compz = b'V' if c.jr == b'V' else b'N'
    cdef floating *fw = <floating *>s.fw
    if info == 0:
        return 0
    if info > 0:
        _geev_in(c, b, s, a)
        _geev_reduce(c, s, a)
    c.hseqr(&job, &compz, &c.n, &s.ilo, &s.ihi, a, &c.n, fw, fw + n, s.vr, &c.n,
            <floating *>s.work + 2 * n, &lw, &inf)
    for j in range(n):
        s.wr[j] = fw[j]
        s.wi[j] = fw[n + j]
    return inf != 0


cdef void _geev_out(_geev_ctx *c, int64_t b, _geev_mat *s, floating *a) noexcept nogil:
    """Matrix b's results from its Schur form (the vectors by back
    substitution as trevc's, gebak and geev's normalisation), unscaled
    and written to c.w, c.v"""
    cdef int64_t n = c.n, i, j
    cdef bint vectors = c.jr == b'V'
    cdef int info = 0, one = 1, m = 0, sel = 0, zero = 0, bad
    cdef char job = b'B', side = b'R', typ = b'G'
    cdef floating dl = 0, x, y
    cdef double *wr = s.wr
    cdef double *wi = s.wi
    cdef floating *vr = <floating *>s.vr
    cdef floating *work = <floating *>s.work
    cdef floating *vb
    cdef floating *wb
    if vectors:
        # the vectors by hqr.h's back substitution; LAPACK's trevc where
        # they would need its scaling against overflow
        if floating is float:
            bad = ct_strevc_right(n, a, n, vr, n, work + 2 * n)
        else:
            bad = ct_trevc_right(n, a, n, vr, n, work + 2 * n)
        if bad:
            c.trevc(&side, &job, &sel, &c.n, a, &c.n, &dl, &one, vr, &c.n, &c.n, &m,
                    work + 2 * n, &info)
        c.gebak(&job, &side, &c.n, &s.ilo, &s.ihi, work, &c.n, vr, &c.n, &info)
        if floating is float:
            ct_sgeev_normalise(n, vr, n, wi, s.dwork)
        else:
            ct_geev_normalise(n, vr, n, wi, s.dwork)
    if s.cscale != 0:
        c.dlascl(&typ, &zero, &zero, &s.cscale, &s.amax, &c.n, &one, wr, &c.n, &info)
        c.dlascl(&typ, &zero, &zero, &s.cscale, &s.amax, &c.n, &one, wi, &c.n, &info)
    wb = <floating *>c.w + 2 * b * n
    for j in range(n):
        wb[2 * j] = <floating>wr[j]
        wb[2 * j + 1] = <floating>wi[j]
    if not vectors:
        return
    # column j of vr (real eigenvalue), or columns j, j + 1 the real and
    # imaginary parts of a conjugate pair; written row by row
    vb = <floating *>c.v + 2 * b * n * n
    for i in range(n):
        j = 0
        while j < n:
            x = vr[j * n + i]
            if wi[j] != 0 and j + 1 < n:
                y = vr[(j + 1) * n + i]
                vb[2 * j] = x
                vb[2 * j + 1] = y
                vb[2 * j + 2] = x
                vb[2 * j + 3] = -y
                j += 2
            else:
                vb[2 * j] = x
                vb[2 * j + 1] = 0
                j += 1
        vb += 2 * n


cdef int _geev_loop(_geev_ctx *c, _geev_mat *s, int64_t lo, int64_t hi,
                    floating *a) noexcept nogil:
    """matrices lo .. hi - 1 in the part whose matrix a is"""
    cdef int64_t n = c.n, b, info
    cdef bint vectors = c.jr == b'V'
    s.vr = a + n * n
    s.fw = <floating *>s.vr + (n * n if vectors else 1)
    s.work = <floating *>s.fw + 2 * n
    for b in range(lo, hi):
        if _geev_in(c, b, s, a):
            c.nonfinite = 1
            return 1
        _geev_reduce(c, s, a)
        info = -1
        if n <= _own_hqr:
            if floating is float:
                info = ct_shseqr_small(vectors, n, s.ilo, s.ihi, a, n, s.wr, s.wi,
                                       <float *>s.vr, n)
            else:
                info = ct_dhseqr_small(vectors, n, s.ilo, s.ihi, a, n, s.wr, s.wi,
                                       <double *>s.vr, n)
        if _geev_schur(c, b, s, info, a):
            return 1
        _geev_out(c, b, s, a)
    return 0


cdef int _geev_range(void *p, int64_t lo, int64_t hi, int part) noexcept nogil:
    cdef _geev_ctx *c = <_geev_ctx *>p
    cdef int64_t n = c.n
    cdef _geev_mat s
    s.wr = <double *>(c.buf + part * c.part_len)
    s.wi = s.wr + n
    s.dwork = s.wi + n
    if c.f32:
        return _geev_loop(c, &s, lo, hi, <float *>(s.dwork + n))
    return _geev_loop(c, &s, lo, hi, <double *>(s.dwork + n))


def geev(Tensor A, bint vectors, int threads=1):
    """(eigenvalues (..., n), right eigenvectors (..., n, n) or None) of the
    float32 or float64 matrices A (..., n, n), n > 0, by LAPACK's geev's
    steps in A's precision (its scaling, gebal, gehrd, orghr, the Schur
    form by hseqr, up to order CT_HQR_OWN by hqr.h's QR iteration, trevc's
    back substitution (hqr.h's where it needs no scaling), gebak, its
    normalisation) in one loop (a batch shared among up to `threads`
    threads); complex64 or complex128 results, eigenvectors normalised as
    LAPACK does (unit norm, the largest component real). False where some
    matrix holds a NaN or an infinity; None for another dtype, or where
    LAPACK does not converge on some matrix."""
    cdef bint f32 = A._dtype._code == CT_FLOAT32
    cdef int64_t n = _real_square(A, 1)
    if n == 0:
        return None
    cdef int nd = A._ndim
    cdef int64_t nb = _batch_numel(A)
    A = _dense(A)
    batch = [A._shape[d] for d in range(nd - 2)]
    cdef DType cdt = <DType>_DT[CT_COMPLEX64 if f32 else CT_COMPLEX128]
    cdef Tensor W = _empty_list(batch + [n], cdt, A._storage.device)
    cdef Tensor V = None
    if vectors:
        V = _empty_list(batch + [n, n], cdt, A._storage.device)
    cdef _geev_ctx c
    c.jr = b'V' if vectors else b'N'
    c.f32 = f32
    c.n = <int>n
    cdef char jl = b'N', jv = b'V'
    cdef int one = 1, lwork = -1, info = 0
    cdef double q = 0, vl = 0
    cdef str x = "s" if f32 else "d"
    # geev's workspace with vectors (it covers its steps': gehrd, orghr,
    # hseqr), also without them: gehrd's blocking follows the workspace,
    # and the same blocks give the same Hessenberg matrix, so that eigvals'
    # eigenvalues are eig's bits
    cdef _xgeev_t query = <_xgeev_t>_lapack_ptr(x + "geev")
    query(&jl, &jv, &c.n, NULL, &c.n, NULL, NULL, &vl, &one, NULL, &c.n, &q, &lwork, &info)
    c.lwork = _work_len(f32, &q)
    if c.lwork < 3 * c.n:
        c.lwork = 3 * c.n
    if vectors and c.lwork < c.n * c.n + 3 * c.n:
        c.lwork = c.n * c.n + 3 * c.n    # (ct_trevc_right's)
    c.gebal = <_xgebal_t>_lapack_ptr(x + "gebal")
    c.gehrd = <_xgehrd_t>_lapack_ptr(x + "gehrd")
    c.orghr = <_xgehrd_t>_lapack_ptr(x + "orghr")
    c.trevc = <_xtrevc_t>_lapack_ptr(x + "trevc")
    c.gebak = <_xgebak_t>_lapack_ptr(x + "gebak")
    c.lascl = <_xlascl_t>_lapack_ptr(x + "lascl")
    c.dlascl = <_xlascl_t>_lapack_ptr("dlascl")
    c.hseqr = <_xhseqr_t>_lapack_ptr(x + "hseqr")
    cdef int parts = _parts_for(threads, nb, n)
    # a matrix's place (_geev_mat) a part, in bytes (a multiple of 64: each
    # part's doubles aligned alike)
    c.part_len = (sizeof(double) * 3 * n + (4 if f32 else 8) * (
        n * n + (n * n if vectors else 1) + 2 * n + 2 * n + c.lwork) + 63) & ~<size_t>63
    c.src = A._data
    c.w = W._data
    c.v = V._data if vectors else NULL
    c.nonfinite = 0
    if _run_batch(_geev_range, &c, <void **>&c.buf, c.part_len, nb, parts):
        return False if c.nonfinite else None
    return W, V


# syevd's steps, one signature for the float and the double routine (as
# _xgeev_t's)
ctypedef void (*_xsytrd_t)(char *uplo, int *n, void *a, int *lda, void *d, void *e,
                           void *tau, void *work, int *lwork, int *info) noexcept nogil
ctypedef void (*_xorgtr_t)(char *uplo, int *n, void *a, int *lda, void *tau, void *work,
                           int *lwork, int *info) noexcept nogil
ctypedef void (*_xstedc_t)(char *compz, int *n, void *d, void *e, void *z, int *ldz,
                           void *work, int *lwork, int *iwork, int *liwork,
                           int *info) noexcept nogil

# ctorch's own tridiagonal reduction (sytrd.h: dsytrd's results, unblocked,
# the lower triangle in an L1/L2-resident scratch), run in place of sytrd
# up to this order
DEF OWN_TRD = 512
# and up to this order eigh's Q applied to stedc's eigenvectors by
# ct_dormtr_ql (in place of orgtr and a product)
DEF OWN_ORM = 256
# and from this order by blocks of reflectors on BLAS's gemm
DEF ORM_BLOCKED = 128
# and up to these orders (float64, float32) the tridiagonal matrix's
# eigenvectors by ct_dsteqr (implicit QL) in place of stedc (divide and
# conquer, which calls LAPACK's steqr below order 26: the two cross near
# these orders on AVX-512)
DEF OWN_QL = 128
DEF OWN_QL_F32 = 96


# (only on CPUs where they beat LAPACK's: AVX2 and FMA)
cdef int64_t _own_trd = OWN_TRD if ct_trd_fast() else 0
cdef int64_t _own_orm = OWN_ORM if ct_trd_fast() else 0
cdef int64_t _own_ql = OWN_QL if ct_trd_fast() else 0
cdef int64_t _own_ql_s = OWN_QL_F32 if ct_trd_fast() else 0


def own_tridiagonal():
    """The largest orders eigh's steps reduce and apply Q in ctorch's own
    kernels (sytrd.h): (sytrd's, ormtr's), 0 where the CPU runs LAPACK's."""
    return _own_trd, _own_orm


cdef bint _sym_in(const floating *sb, floating *a, int64_t n, bint lower,
                  bint keep) noexcept nogil:
    """a (column-major n x n) = the triangle `lower` names of the row-major
    symmetric matrix sb: as a lower triangle (an upper one transposed), or
    with keep as that triangle itself. False where it holds NaN or syevd
    would scale it (max |a_ij| outside [rmin, rmax]: dsyevd's, ssyevd's)."""
    cdef double rmin = 1.0010415475915505e-146, rmax = 9.989595361011175e+145
    cdef double amax = 0
    cdef floating v
    cdef int64_t i, j, i0, i1
    if floating is float:
        rmin, rmax = 3.1401849173675503e-16, 3.1845258e+15
    for j in range(n):
        i0 = j if lower or not keep else 0
        i1 = n if lower or not keep else j + 1
        for i in range(i0, i1):
            v = sb[i * n + j] if keep or lower else sb[j * n + i]
            a[j * n + i] = v
            if v != v:
                return False
            if fabs(v) > amax:
                amax = fabs(v)
    return not ((amax > 0 and amax < rmin) or amax > rmax)


cdef int _tridiag(void *trd, char uplo, int n, floating *a, floating *d, floating *e,
                  floating *tau, floating *work, int lwork) noexcept nogil:
    """sytrd of the column-major a: sytrd.h's own where it applies, else
    LAPACK's (trd, of a's type); LAPACK's info."""
    cdef int info = 0
    if n <= _own_trd:
        if floating is float:
            ct_ssytrd(uplo, n, a, n, d, e, tau, work)
        else:
            ct_dsytrd(uplo, n, a, n, d, e, tau, work)
        return 0
    (<_xsytrd_t>trd)(&uplo, &n, a, &n, d, e, tau, work, &lwork, &info)
    return info


cdef struct _parts_ctx:
    _xsytrd_t trd
    _xorgtr_t org
    _xstedc_t edc
    void *gemm                      # Q applied by blocks (NULL: one reflector at a time)
    bint f32                        # float matrices (else double)
    bint lower, own_q
    bint own_ql                     # Z by sytrd.h's QL (else stedc)
    int n, lwork, liwork
    int64_t part_len                # bytes
    char *buf
    const void *src
    void *q
    void *z
    void *w


cdef int _parts_loop(_parts_ctx *c, int64_t lo, int64_t hi, floating *work,
                     int *iwork) noexcept nogil:
    """matrices lo .. hi - 1 in the part whose workspace work, iwork are"""
    cdef int64_t n = c.n, b
    cdef floating *e = work + c.lwork
    cdef floating *tau = e + n
    cdef floating *qs = tau + n
    cdef floating *qb
    cdef floating *d
    cdef floating *z
    cdef const floating *sb
    cdef char lo_ = b'L', compz = b'I'
    cdef int info = 0
    for b in range(lo, hi):
        qb = qs if c.own_q else <floating *>c.q + b * n * n
        sb = <const floating *>c.src + b * n * n
        d = <floating *>c.w + b * n
        z = <floating *>c.z + b * n * n
        # the lower triangle, column-major: a row-major lower triangle
        # transposed, a row-major upper triangle as it is
        if not _sym_in(sb, qb, n, c.lower, False):
            return 1
        if _tridiag(<void *>c.trd, lo_, c.n, qb, d, e, tau, work, c.lwork) != 0:
            return 1
        if c.own_ql:
            if floating is float:
                info = <int>ct_ssteqr(n, d, e, z, n, work)
            else:
                info = <int>ct_dsteqr(n, d, e, z, n, work)
        else:
            c.edc(&compz, &c.n, d, e, z, &c.n, work, &c.lwork, iwork, &c.liwork, &info)
        if info != 0:
            return 1
        if c.own_q:
            if floating is float:
                if c.gemm != NULL:
                    ct_sormtr_ql_blocked(n, qb, n, tau, z, n, work, <ct_sgemm_f77>c.gemm)
                else:
                    ct_sormtr_ql(n, qb, n, tau, z, n, work)
            else:
                if c.gemm != NULL:
                    ct_dormtr_ql_blocked(n, qb, n, tau, z, n, work, <ct_dgemm_f77>c.gemm)
                else:
                    ct_dormtr_ql(n, qb, n, tau, z, n, work)
            continue
        c.org(&lo_, &c.n, qb, &c.n, tau, work, &c.lwork, &info)
        if info != 0:
            return 1
    return 0


cdef int _parts_range(void *p, int64_t lo, int64_t hi, int part) noexcept nogil:
    cdef _parts_ctx *c = <_parts_ctx *>p
    cdef int64_t n = c.n
    cdef char *base = c.buf + part * c.part_len
    # the part's elements (work, e, tau, Q's scratch), then iwork
    cdef int64_t els = c.lwork + 2 * n + (n * n if c.own_q else 0)
    if c.f32:
        return _parts_loop(c, lo, hi, <float *>base, <int *>(base + sizeof(float) * els))
    return _parts_loop(c, lo, hi, <double *>base, <int *>(base + sizeof(double) * els))


def syevd_parts(Tensor A, bint lower, int threads=1):
    """The pieces of LAPACK's syevd for the symmetric float32 or float64
    matrices A (..., n, n), n > 1 (the triangle `lower` read), in A's
    precision: (eigenvalues (..., n), Qt, Zt), Qt and Zt (..., n, n) the
    transposes of Q (sytrd's orthogonal factor, formed by orgtr) and Z (the
    eigenvectors of the tridiagonal matrix, by stedc, or up to order OWN_QL
    (OWN_QL_F32) by sytrd.h's implicit QL), so that the
    eigenvectors are Q Z = (Zt Qt)^T: the product left to the caller's gemm
    (syevd applies Q by ormtr, level-2 bound for small orders). Up to order
    OWN_ORM, where the CPU runs sytrd.h's kernels, Q is applied to Z here
    (ct_dormtr_ql) and Qt is None: Zt then holds (Q Z)^T. A batch is shared
    among up to `threads` threads. None for another dtype, where syevd
    would scale the matrix (entries near overflow or underflow), for NaN,
    or where LAPACK does not converge."""
    cdef int64_t n = _real_square(A, 2)
    if n == 0:
        return None
    cdef bint f32 = A._dtype._code == CT_FLOAT32
    cdef int nd = A._ndim
    cdef int64_t nb = _batch_numel(A)
    A = _dense(A)
    batch = [A._shape[d] for d in range(nd - 2)]
    cdef bint own_q = n <= _own_orm
    cdef Tensor Qt = None if own_q else _empty_list(batch + [n, n], A._dtype, A._storage.device)
    cdef Tensor Zt = _empty_list(batch + [n, n], A._dtype, A._storage.device)
    cdef Tensor W = _empty_list(batch + [n], A._dtype, A._storage.device)
    cdef _parts_ctx c
    cdef str x = "s" if f32 else "d"
    c.trd = <_xsytrd_t>_lapack_ptr(x + "sytrd")
    c.org = <_xorgtr_t>_lapack_ptr(x + "orgtr")
    c.edc = <_xstedc_t>_lapack_ptr(x + "stedc")
    c.f32 = f32
    c.lower = lower
    c.own_q = own_q
    c.own_ql = n <= (_own_ql_s if f32 else _own_ql)
    c.gemm = NULL
    if own_q and n >= ORM_BLOCKED:
        c.gemm = _blas_ptr(x + "gemm")
    c.n = <int>n
    cdef char lo = b'L', compz = b'I'
    cdef int lw = -1, liw = -1, info = 0, iq = 0
    cdef double q = 0
    cdef int lwork = 1, liwork = 1
    c.trd(&lo, &c.n, NULL, &c.n, NULL, NULL, NULL, &q, &lw, &info)
    lwork = max(lwork, _work_len(f32, &q))
    lw = -1
    c.org(&lo, &c.n, NULL, &c.n, NULL, &q, &lw, &info)
    lwork = max(lwork, _work_len(f32, &q))
    lw = -1
    c.edc(&compz, &c.n, NULL, NULL, NULL, &c.n, &q, &lw, &iq, &liw, &info)
    lwork = max(lwork, _work_len(f32, &q))
    liwork = iq if iq > liwork else liwork
    if n <= _own_trd and ct_dsytrd_work(n) > lwork:
        lwork = <int>ct_dsytrd_work(n)
    if own_q and ct_dormtr_work(n) > lwork:
        lwork = <int>ct_dormtr_work(n)
    if c.own_ql and ct_dsteqr_work(n) > lwork:
        lwork = <int>ct_dsteqr_work(n)
    if c.gemm != NULL and ct_dormtr_blocked_work(n) > lwork:
        lwork = <int>ct_dormtr_blocked_work(n)
    c.lwork, c.liwork = lwork, liwork
    cdef int parts = _parts_for(threads, nb, n)
    # a multiple of 64 bytes: each part's elements aligned alike
    c.part_len = ((4 if f32 else 8) * (lwork + 2 * n + (n * n if own_q else 0))
                  + sizeof(int) * liwork + 63) & ~<size_t>63
    c.src = A._data
    c.q = NULL if own_q else Qt._data
    c.z = Zt._data
    c.w = W._data
    if _run_batch(_parts_range, &c, <void **>&c.buf, c.part_len, nb, parts):
        return None
    return W, Qt, Zt


ctypedef void (*_xsterf_t)(int *n, void *d, void *e, int *info) noexcept nogil


cdef struct _values_ctx:
    _xsytrd_t trd
    _xsterf_t erf
    bint f32                # float matrices (else double)
    bint lower
    int n, lwork
    int64_t part_len        # elements
    char *buf
    const void *src
    void *w


cdef int _values_loop(_values_ctx *c, int64_t lo, int64_t hi, floating *a) noexcept nogil:
    """matrices lo .. hi - 1 in the part whose workspace a is"""
    cdef int64_t n = c.n, b
    cdef floating *e = a + n * n
    cdef floating *tau = e + n
    cdef floating *work = tau + n
    cdef floating *d
    cdef char uplo = b'L' if c.lower else b'U'
    cdef int info = 0
    for b in range(lo, hi):
        d = <floating *>c.w + b * n
        # the triangle read, column-major (a[j * n + i] = A[i, j])
        if not _sym_in(<const floating *>c.src + b * n * n, a, n, c.lower, True):
            return 1
        if _tridiag(<void *>c.trd, uplo, c.n, a, d, e, tau, work, c.lwork) != 0:
            return 1
        c.erf(&c.n, d, e, &info)
        if info != 0:
            return 1
    return 0


cdef int _values_range(void *p, int64_t lo, int64_t hi, int part) noexcept nogil:
    cdef _values_ctx *c = <_values_ctx *>p
    if c.f32:
        return _values_loop(c, lo, hi, <float *>c.buf + part * c.part_len)
    return _values_loop(c, lo, hi, <double *>c.buf + part * c.part_len)


def syev_values(Tensor A, bint lower, int threads=1):
    """The eigenvalues (..., n), ascending, of the symmetric float32 or
    float64 matrices A (..., n, n), n > 1 (the triangle `lower` read, as
    LAPACK reads it of the column-major matrix), by syevd's steps without
    vectors in A's precision: sytrd (blocked, with its optimal workspace)
    and sterf; a batch shared among up to `threads` threads. None for
    another dtype, where syevd would scale the matrix, for NaN, or where
    LAPACK does not converge."""
    cdef int64_t n = _real_square(A, 2)
    if n == 0:
        return None
    cdef bint f32 = A._dtype._code == CT_FLOAT32
    cdef int nd = A._ndim
    cdef int64_t nb = _batch_numel(A)
    A = _dense(A)
    cdef Tensor W = _empty_list([A._shape[d] for d in range(nd - 2)] + [n], A._dtype,
                                A._storage.device)
    cdef _values_ctx c
    cdef str x = "s" if f32 else "d"
    c.trd = <_xsytrd_t>_lapack_ptr(x + "sytrd")
    c.erf = <_xsterf_t>_lapack_ptr(x + "sterf")
    c.f32 = f32
    c.lower = lower
    c.n = <int>n
    cdef char uplo = b'L' if lower else b'U'
    cdef int lw = -1, info = 0
    cdef double q = 0
    c.trd(&uplo, &c.n, NULL, &c.n, NULL, NULL, NULL, &q, &lw, &info)
    c.lwork = max(1, _work_len(f32, &q))
    if n <= _own_trd and ct_dsytrd_work(n) > c.lwork:
        c.lwork = <int>ct_dsytrd_work(n)
    # (without vectors, a third of syevd's work per matrix)
    cdef int parts = _parts_for(threads, nb, n, 4 * PART_WORK)
    c.part_len = n * n + 2 * n + c.lwork
    c.src = A._data
    c.w = W._data
    if _run_batch(_values_range, &c, <void **>&c.buf, (4 if f32 else 8) * c.part_len, nb, parts):
        return None
    return W


# ================================================================== renorm

cdef void _renorm_factors(const floating *n, floating *f, int64_t size,
                          double maxnorm) noexcept nogil:
    cdef int64_t i
    cdef floating v, mx = <floating>maxnorm
    for i in range(size):
        v = n[i]
        # in the dtype, as PyTorch: maxnorm / (norm + 1e-7) above maxnorm, else 1
        f[i] = mx / (v + <floating>1e-7) if v > mx else 1


def renorm_factor(Tensor n, double maxnorm):
    """renorm's factors of the norms n (float32 or float64, dense, on the
    CPU), a fresh tensor of n's shape; None for another dtype or layout."""
    cdef int code = n._dtype._code
    if (code != CT_FLOAT32 and code != CT_FLOAT64) or not _is_contiguous(n) or n._storage.device != -1:
        return None
    cdef Tensor f = _empty(n._ndim, n._shape, n._dtype, -1)
    if code == CT_FLOAT32:
        _renorm_factors(<const float *>n._data, <float *>f._data, n._numel, maxnorm)
    else:
        _renorm_factors(<const double *>n._data, <double *>f._data, n._numel, maxnorm)
    return f


# ================================================================== argument checks

def same_batch(A, B):
    """A and B are tensors of at least 2 dims with the same batch dims (the
    sizes before the last two)."""
    if not isinstance(A, Tensor) or not isinstance(B, Tensor):
        return False
    cdef Tensor a = <Tensor>A, b = <Tensor>B
    if a._ndim != b._ndim or a._ndim < 2:
        return False
    cdef int d
    for d in range(a._ndim - 2):
        if a._shape[d] != b._shape[d]:
            return False
    return True


def solve_shapes_ok(A, B, bint left):
    """A (..., n, n) and B (..., n, k) (left) or (..., k, n) are tensors of
    at least 2 dims: the shape checks of a solve in one call (linalg.py
    raises PyTorch's error where they fail)."""
    if not isinstance(A, Tensor) or not isinstance(B, Tensor):
        return False
    cdef Tensor a = <Tensor>A, b = <Tensor>B
    if a._ndim < 2 or b._ndim < 2:
        return False
    cdef int64_t n = a._shape[a._ndim - 1]
    return (a._shape[a._ndim - 2] == n
            and (b._shape[b._ndim - 2] if left else b._shape[b._ndim - 1]) == n)


def matrices_ok(A, bint square, bint lu=False):
    """A is a tensor of at least 2 dims of a float or complex dtype (square
    matrices when square; lu: not float16 / bfloat16 either): the
    factorizations' argument checks in one call (linalg.py raises PyTorch's
    error where they fail)."""
    if not isinstance(A, Tensor):
        return False
    cdef Tensor t = <Tensor>A
    return (t._ndim >= 2 and t._dtype._kind >= K_FLOAT
            and not (lu and (t._dtype._code == CT_FLOAT16 or t._dtype._code == CT_BFLOAT16))
            and not (square and t._shape[t._ndim - 1] != t._shape[t._ndim - 2]))
