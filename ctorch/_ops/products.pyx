# cython: language_level=3
"""Matrix products and matrix structure: mm/bmm/mv/dot/vdot/matmul (BLAS
for float/double/complex through the backend's gemm, a blocked loop for the
integers), addmm and friends, outer/kron, einsum, trace, tril/triu,
diag/diag_embed (torch.linalg, the factorizations, is ctorch.linalg).

Row-major operands reach BLAS (column-major) as transposes: C = A B is
computed as C^T = B^T A^T, and an operand whose rows or whose columns are
dense is passed with the matching transpose flag and leading dimension;
only an operand that is neither is copied. Gradients are in the derivatives
table (ctorch.autograd.derivatives: mm, bmm, mv, dot, vdot, addmm,
diag_embed); every other product is composed of these."""

from libc.stdlib cimport malloc, free
from libc.string cimport memcpy
from libc.stdint cimport int64_t, uint16_t, uint32_t, uint64_t

from ctorch._core.dtype cimport *
from ctorch._core.backend cimport *
from ctorch._core.dispatch cimport ensure_gemm
from ctorch._core.tensor cimport *
from ctorch._core.iterator cimport (_copy_into, _tensor_arg, _to_out, _raw_clone, OUT_SAME, OUT_CAST, _contig,
                                    _into_ok, _fill, _same_device, _check_device, _broadcast_pair)
from ctorch._ops.elementwise cimport _cast
from ctorch._ops.views cimport _unsqueeze, _expand
from ctorch._ops.complex cimport _conj_raw
from ctorch._ops.reduce cimport _sum, _acc_dtype
from ctorch.autograd._node cimport record, _grad_mode, _check_inplace, _inplace_needs_graph
from ctorch._ops.elementwise cimport _inplace_with_graph
from ctorch._core.dtype import promote_types
from ctorch._core.tensor import _bump_version
from ctorch._ops.creation import zeros, zeros_like, arange
from ctorch._ops.creation cimport _zero_fill
from ctorch._ops.elementwise import where, _clone_contig, mul as _mul, addcmul as _addcmul
from ctorch._ops.views import diagonal
_diagonal = diagonal
from ctorch._ops.reduce import _sum_fn
from ctorch._ops.complex import conj


# ---------------------------------------------------------------- autocast
# The calling thread's autocast regions (ctorch.amp): bit 0 a CPU region, bit 1
# a CUDA region, 0 outside any, so that a product pays one load when autocast
# is off. Inside a region, the ops of the autocast lists hand their arguments
# to the hook ctorch.amp installs (casts per the device's list, then the op
# runs with autocast suspended). Python modules read the flags through
# _autocast_state() and call _autocast_call.
cdef extern from *:
    """
    static __thread int ct_autocast = 0;
    """
    int ct_autocast

_autocast_hook = None


def _autocast_state():
    return ct_autocast


def _set_autocast_state(int flags):
    global ct_autocast
    ct_autocast = flags


def _autocast_call(name, fn, args, kwargs=None):
    return _autocast_hook(name, fn, args, kwargs)


cdef list _CTYPE_NAMES = ["bool", "unsigned char", "signed char", "short", "int", "long int",
                          "c10::Half", "float", "double", "c10::complex<float>", "c10::complex<double>"]

cdef bint _blas_layout(Py_ssize_t r, Py_ssize_t c, Py_ssize_t sr, Py_ssize_t sc,
                       char *trans, int *ld):
    """How BLAS reads the r x c row-major matrix with strides (sr, sc) as its
    transpose: 'N' when rows are dense, 'T' when columns are; False if neither."""
    if (sc == 1 or c == 1) and (r == 1 or sr >= max(1, c)) and sr < 2147483647:
        trans[0] = b'N'
        ld[0] = <int>(sr if r > 1 else max(1, c))
        return True
    if (sr == 1 or r == 1) and (c == 1 or sc >= max(1, r)) and sc < 2147483647:
        trans[0] = b'T'
        ld[0] = <int>(sc if c > 1 else max(1, r))
        return True
    return False


cdef int64_t *_batch_offsets(Tensor t, int nbd, Py_ssize_t nb) except NULL:
    """Element offsets (from t._data) of each matrix of t's leading nbd dims."""
    cdef int64_t *off = <int64_t *>malloc(max(nb, 1) * sizeof(int64_t))
    cdef Py_ssize_t idx[CT_MAXDIM]
    cdef Py_ssize_t i, o = 0
    cdef int d
    if off == NULL:
        raise MemoryError()
    for d in range(nbd):
        idx[d] = 0
    for i in range(nb):
        off[i] = o
        d = nbd - 1
        while d >= 0:
            idx[d] += 1
            o += t._stride[d]
            if idx[d] < t._shape[d]:
                break
            o -= t._stride[d] * t._shape[d]
            idx[d] = 0
            d -= 1
    return off


cdef int64_t *_pair_offsets(Tensor a, Tensor b, int nbd, Py_ssize_t nb,
                            int64_t **offb) except NULL:
    """_batch_offsets of a (returned) and of b (into offb): both to free."""
    cdef int64_t *offa = _batch_offsets(a, nbd, nb)
    try:
        offb[0] = _batch_offsets(b, nbd, nb)
    except MemoryError:
        free(offa)
        raise
    return offa


cdef Tensor _bmm_raw(Tensor a, Tensor b):
    """(..., m, k) x (..., k, n) -> new dense (..., m, n); the batch shapes of a
    and b are equal (strides are free, 0 included); one dtype; no autograd."""
    return _bmm_acc(a, b, None, 1.0, 0.0)


cdef bint _acc_layout(Tensor s):
    """Whether a product can accumulate straight into s: dense, or (a 2-D
    tensor on the CPU) rows of adjacent elements a row stride apart (the
    gemm's leading dimension: a block of a wider matrix, an RNN step's gates
    in its input projection)."""
    if _is_contiguous(s):
        return True
    return (s._ndim == 2 and s._storage.device < 0 and s._shape[0] > 1 and s._shape[1] > 1
            and s._stride[1] == 1 and s._stride[0] >= s._shape[1] and s._stride[0] <= 2147483647)


cdef Tensor _bmm_acc(Tensor a, Tensor b, Tensor acc, double alpha, double beta):
    """_bmm_raw, or for float/double with `acc` (a dense (..., m, n) tensor of
    the result's dtype): acc = alpha * a b + beta * acc, in one gemm per batch."""
    cdef int nd = a._ndim, nbd = a._ndim - 2, d, code = a._dtype._code
    cdef Py_ssize_t m = a._shape[nd - 2], k = a._shape[nd - 1], n = b._shape[nd - 1]
    cdef Py_ssize_t nb = 1, i
    cdef DType dt = a._dtype
    _same_device(a, b)
    if acc is not None:
        _same_device(a, acc)
    cdef int device = a._storage.device
    if code == CT_FLOAT16 or code == CT_BFLOAT16:
        # products of halves: float32 products rounded once, on the
        # backend's own kernel where it has one
        if acc is None:
            own = _bmm_half(a, b)
            if own is not None:
                return own
        return _cast(_bmm_raw(_cast(a, t_float32), _cast(b, t_float32)), dt)
    if code == CT_BOOL:
        raise NotImplementedError("\"addmm_impl_cpu_\" not implemented for 'Bool'" if device < 0 else
                                  "\"addmm_cuda\" not implemented for 'Bool'")
    for d in range(nbd):
        nb *= a._shape[d]
    cdef Tensor out = acc if acc is not None else _empty_list([a._shape[d] for d in range(nbd)] + [m, n], dt, device)
    cdef const ct_backend *B = out._storage.backend
    cdef bint blas = code in (CT_FLOAT32, CT_FLOAT64, CT_COMPLEX64, CT_COMPLEX128)
    if (B.gemm == NULL) if blas else (B.mm[code] == NULL):
        raise NotImplementedError(f"\"addmm_impl_{B.name.decode()}_\" not implemented for "
                                  f"'{_SCALAR_NAMES[code]}'")
    if out._numel == 0:
        return out
    if k == 0:
        if acc is None or beta == 0:
            _zero_fill(out)
        elif beta != 1:
            out.mul_(beta)
        return out
    cdef char ta, tb
    cdef int lda, ldb, M = <int>m, N = <int>n, K = <int>k, ldc = <int>n
    if acc is not None and nbd == 0 and not _is_contiguous(acc):
        ldc = <int>acc._stride[0]      # _acc_layout's rows a row stride apart
    if blas:
        ensure_gemm(out._storage.backend)
        if not _blas_layout(m, k, a._stride[nd - 2], a._stride[nd - 1], &ta, &lda):
            a = _raw_clone(a)
            _blas_layout(m, k, a._stride[nd - 2], a._stride[nd - 1], &ta, &lda)
        if not _blas_layout(k, n, b._stride[nd - 2], b._stride[nd - 1], &tb, &ldb):
            b = _raw_clone(b)
            _blas_layout(k, n, b._stride[nd - 2], b._stride[nd - 1], &tb, &ldb)
    else:
        if not ((a._stride[nd - 1] == 1 or k == 1) and (a._stride[nd - 2] == k or m == 1)):
            a = _raw_clone(a)
        if not ((b._stride[nd - 1] == 1 or n == 1) and (b._stride[nd - 2] == n or k == 1)):
            b = _raw_clone(b)
    cdef int64_t *offb
    cdef int64_t *offa = _pair_offsets(a, b, nbd, nb, &offb)
    cdef ct_mm_fn fn = B.mm[code]
    with nogil:
        if blas:
            _gemm_batches(B, code, tb, ta, N, M, K, b._data, ldb, offb, a._data, lda, offa,
                          out._data, ldc, nb, alpha, beta)
        else:
            fn(nb, offa, offb, a._data, b._data, out._data, m, n, k)
    free(offa)
    free(offb)
    _check_device(out)
    return out


cdef Tensor _bmm_half(Tensor a, Tensor b):
    """_bmm_raw of float16 / bfloat16 operands (any strides) on the backend's
    gemm_half; None where it has none or declines (the float32 route runs
    then)."""
    cdef const ct_backend *B = a._storage.backend
    cdef int nd = a._ndim, nbd = a._ndim - 2, d, rc
    cdef Py_ssize_t m = a._shape[nd - 2], k = a._shape[nd - 1], n = b._shape[nd - 1], nb = 1
    for d in range(nbd):
        nb *= a._shape[d]
    if B.gemm_half == NULL or m == 0 or n == 0 or k == 0 or nb == 0:
        return None
    cdef Tensor out = _empty_list([a._shape[d] for d in range(nbd)] + [m, n], a._dtype,
                                  a._storage.device)
    cdef int64_t *offb
    cdef int64_t *offa = _pair_offsets(a, b, nbd, nb, &offb)
    with nogil:
        rc = B.gemm_half(a._dtype._code, nb, m, n, k, <const uint16_t *>a._data, offa, a._stride[nd - 2],
                         a._stride[nd - 1], <const uint16_t *>b._data, offb, b._stride[nd - 2],
                         b._stride[nd - 1], <uint16_t *>out._data)
    free(offa)
    free(offb)
    return out if rc == 0 else None


cdef void _gemm_batches(const ct_backend *B, int code, char t1, char t2, int M, int N, int K,
                        char *P, int ld1, int64_t *off1, char *Q, int ld2, int64_t *off2,
                        char *C, int ldc, Py_ssize_t nb, double alpha, double beta) noexcept nogil:
    """Column-major C[b] (M x N, ld ldc) = alpha op1(P[b]) op2(Q[b]) + beta C[b]
    for each batch b, on the backend's gemm (alpha and beta in the dtype)."""
    cdef float fa = <float>alpha, fb = <float>beta
    cdef double da = alpha, db = beta
    cdef float complex ca = <float>alpha, cb = <float>beta
    cdef double complex za = alpha, zb = beta
    cdef const void *pa
    cdef const void *pb
    if code == CT_FLOAT32:
        pa = &fa
        pb = &fb
    elif code == CT_FLOAT64:
        pa = &da
        pb = &db
    elif code == CT_COMPLEX64:
        pa = &ca
        pb = &cb
    else:
        pa = &za
        pb = &zb
    B.gemm(code, t1, t2, M, N, K, pa, P, ld1, off1, Q, ld2, off2, pb, C, ldc, nb)


# ------------------------------------------------------------ small helpers

cdef Tensor _rawview(Tensor t, list shape, list stride):
    return _make_view(t, t._offset, shape, stride)


cdef Tensor _raw_unsq(Tensor t, int dim):
    """t with a dim of size 1 inserted at dim (0 <= dim <= t's ndim)."""
    cdef Py_ssize_t sh[CT_MAXDIM]
    cdef Py_ssize_t st[CT_MAXDIM]
    cdef int d, k = 0
    if t._ndim >= CT_MAXDIM:
        shape = list(t.size())
        shape.insert(dim, 1)
        stride = list(t.stride())
        stride.insert(dim, 1)
        return _rawview(t, shape, stride)       # (_make_view's error)
    for d in range(t._ndim + 1):
        if d == dim:
            sh[d] = 1
            st[d] = 1
        else:
            sh[d] = t._shape[k]
            st[d] = t._stride[k]
            k += 1
    return _view_raw(t, t._offset, t._ndim + 1, sh, st)


cdef Tensor _raw_sq_last(Tensor t, int dim):
    """t without its dim `dim` (of size 1)."""
    cdef Py_ssize_t sh[CT_MAXDIM]
    cdef Py_ssize_t st[CT_MAXDIM]
    cdef int d, k = 0
    for d in range(t._ndim):
        if d != dim:
            sh[k] = t._shape[d]
            st[k] = t._stride[d]
            k += 1
    return _view_raw(t, t._offset, k, sh, st)


def _conj(t):
    """The complex conjugate, with history; a real tensor as it is."""
    return conj(t)


def _mH(t):
    """The conjugate transpose of the last two dims, with history."""
    return conj(t.transpose(-2, -1))


cdef int _same_dtype_mm(Tensor a, Tensor b) except -1:
    if a._dtype is not b._dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_CTYPE_NAMES[a._dtype._code]} != {_CTYPE_NAMES[b._dtype._code]}")
    return 0


# ------------------------------------------------------------ products

def _mm_like(sizes, strides, left, right):
    """left @ right, laid out like a matrix of these sizes and strides: when
    it is a real matrix stored by columns (a transposed view, like the weight
    in `input @ weight.t()`), the product is computed as (right^T left^T)^T,
    so that the gradient already has its leaf's layout and accumulating it
    needs no transposing copy. (The gradient formulas of mm and addmm.)"""
    if (len(sizes) == 2 and strides[0] == 1 and strides[1] > 1 and sizes[0] > 1
            and not (<Tensor>left)._dtype.is_complex):
        return matmul(right.transpose(-2, -1), left.transpose(-2, -1)).transpose(-2, -1)
    return matmul(left, right)


cdef object _mm_into(Tensor a, Tensor b, object out):
    """a b (batches equal) written by the gemm straight into out= where out
    already is the result's tensor: float or double on the CPU, dense, of the
    result's shape and dtype, apart from a's and b's memory, with no
    autograd to refuse; None otherwise (the product then computed and
    copied in by _to_out, with its checks and messages)."""
    if out is None:
        return None
    cdef int nd = a._ndim, code = a._dtype._code
    if ((code != CT_FLOAT32 and code != CT_FLOAT64) or b._dtype is not a._dtype
            or a._shape[nd - 1] == 0 or a._storage.device >= 0
            or not _into_ok(out, list(a.size())[:-1] + [b._shape[nd - 1]], a._dtype, [a, b])
            or (<Tensor>out)._numel == 0):
        return None
    cdef Tensor o = <Tensor>out
    _bmm_acc(a, b, o, 1.0, 0.0)
    _bump(o)
    return o


cdef Tensor _mm_prim(Tensor a, Tensor b, str name):
    """Batched product of (..., m, k) and (..., k, n) with equal batch shapes."""
    return record(name, _bmm_raw(a, b), (a, b))


def mm(input, mat2, *, out=None):
    if ct_autocast and out is None:
        return _autocast_hook("mm", mm, (input, mat2), None)
    cdef Tensor a = _tensor_arg(input, "mm"), b = _tensor_arg(mat2, "mm")
    if a._ndim != 2:
        raise RuntimeError("self must be a matrix")
    if b._ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    if a._shape[1] != b._shape[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied "
                           f"({a._shape[0]}x{a._shape[1]} and {b._shape[0]}x{b._shape[1]})")
    _same_dtype_mm(a, b)
    r = _mm_into(a, b, out)
    return r if r is not None else _to_out(out, _mm_prim(a, b, "mm"), "mm", OUT_SAME)


def bmm(input, mat2, *, out=None):
    if ct_autocast and out is None:
        return _autocast_hook("bmm", bmm, (input, mat2), None)
    cdef Tensor a = _tensor_arg(input, "bmm"), b = _tensor_arg(mat2, "bmm")
    if a._ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if b._ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if b._shape[0] != a._shape[0] or b._shape[1] != a._shape[2]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{a._shape[0]}, {a._shape[2]}] but got: [{b._shape[0]}, {b._shape[1]}].")
    _same_dtype_mm(a, b)
    r = _mm_into(a, b, out)
    return r if r is not None else _to_out(out, _mm_prim(a, b, "bmm"), "bmm", OUT_SAME)


def mv(input, vec, *, out=None):
    if ct_autocast & 2 and out is None:
        return _autocast_hook("mv", mv, (input, vec), None)
    cdef Tensor a = _tensor_arg(input, "mv"), v = _tensor_arg(vec, "mv")
    if a._ndim != 2 or v._ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {a._ndim}, {v._ndim}")
    if a._shape[1] != v._shape[0]:
        raise RuntimeError(f"size mismatch, got input ({a._shape[0]}), mat ({a._shape[0]}x{a._shape[1]}), vec ({v._shape[0]})")
    _same_dtype_mm(a, v)
    cdef Tensor r = _raw_sq_last(_bmm_raw(a, _raw_unsq(v, 1)), 1)
    return _to_out(out, record("mv", r, (a, v)), "mv", OUT_SAME)


cdef Tensor _dot_impl(Tensor a, Tensor b, str name):
    if a._ndim != 1 or b._ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {a._ndim}D and {b._ndim}D tensors")
    if a._shape[0] != b._shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{a._shape[0]}] and src [{b._shape[0]}] "
                           f"to have the same number of elements, but got {a._shape[0]} and {b._shape[0]} elements respectively")
    if a._dtype is not b._dtype:
        raise RuntimeError(f"{name} : expected both vectors to have same dtype, but found "
                           f"{_SCALAR_NAMES[a._dtype._code]} and {_SCALAR_NAMES[b._dtype._code]}")
    cdef int code = a._dtype._code
    cdef Py_ssize_t k = a._shape[0]
    cdef int64_t off = 0
    cdef float f1 = 1, f0 = 0
    cdef double d1 = 1, d0 = 0
    cdef Tensor out
    if ((code == CT_FLOAT32 or code == CT_FLOAT64) and a._storage.device < 0
            and b._storage.device < 0 and 0 < k <= 2147483647
            and (a._stride[0] == 1 or k == 1) and (b._stride[0] == 1 or k == 1)):
        # adjacent vectors on the CPU: one 1 x k times k x 1 product on the
        # backend's gemm, without the batch machinery's views and offsets
        out = _empty(0, NULL, a._dtype)
        ensure_gemm(out._storage.backend)
        with nogil:
            out._storage.backend.gemm(code, b'N', b'N', 1, 1, <int>k,
                                      <const void *>&f1 if code == CT_FLOAT32 else <const void *>&d1,
                                      a._data, 1, &off, b._data, <int>k, &off,
                                      <const void *>&f0 if code == CT_FLOAT32 else <const void *>&d0,
                                      out._data, 1, 1)
        return out
    return _rawview(_bmm_raw(_raw_unsq(a, 0), _raw_unsq(b, 1)), [], [])


def dot(input, tensor, *, out=None):
    if ct_autocast & 2 and out is None:
        return _autocast_hook("dot", dot, (input, tensor), None)
    cdef Tensor a = _tensor_arg(input, "dot"), b = _tensor_arg(tensor, "dot")
    return _to_out(out, record("dot", _dot_impl(a, b, "dot"), (a, b)), "dot", OUT_SAME,
                   "result dtype {out} does not match input dtype {res}")


def vdot(input, other, *, out=None):
    cdef Tensor a = _tensor_arg(input, "vdot"), b = _tensor_arg(other, "vdot")
    cdef Tensor ca = _conj_raw(a) if a._dtype.is_complex else a
    return _to_out(out, record("vdot", _dot_impl(ca, b, "vdot"), (a, b)), "vdot", OUT_SAME,
                   "result dtype {out} does not match input dtype {res}")


def matmul(input, other, *, out=None):
    if ct_autocast and out is None:
        return _autocast_hook("matmul", matmul, (input, other), None)
    cdef Tensor a = _tensor_arg(input, "matmul"), b = _tensor_arg(other, "matmul")
    cdef int na = a._ndim, nb = b._ndim
    if na == 0 or nb == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {na}D and {nb}D")
    if na == 1 and nb == 1:
        return dot(a, b, out=out)
    if na == 2 and nb == 1:
        return mv(a, b, out=out)
    if na == 1 and nb == 2:
        return _to_out(out, mm(_unsqueeze(a, 0), b).squeeze(0), "matmul", OUT_SAME)
    if na == 2 and nb == 2:
        return mm(a, b, out=out)
    _same_dtype_mm(a, b)
    cdef Py_ssize_t k = a._shape[na - 1]
    if na >= 3 and nb <= 2:
        # fold the batch of a into its rows: one product
        lead = list(a.size())[:-1]
        a2 = a.reshape(-1, k)
        if nb == 1:
            if b._shape[0] != k:
                raise RuntimeError(f"size mismatch, got input ({a2.shape[0]}), mat ({a2.shape[0]}x{k}), vec ({b._shape[0]})")
            return _to_out(out, mv(a2, b).reshape(lead), "matmul", OUT_SAME)
        if b._shape[0] != k:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({a2.shape[0]}x{k} and {b._shape[0]}x{b._shape[1]})")
        return _to_out(out, mm(a2, b).reshape(lead + [b._shape[1]]), "matmul", OUT_SAME)
    cdef Tensor aa = _unsqueeze(a, 0) if na == 1 else a
    cdef Tensor bb = _unsqueeze(b, 1) if nb == 1 else b
    cdef Py_ssize_t m = aa._shape[aa._ndim - 2], n = bb._shape[bb._ndim - 1]
    if bb._shape[bb._ndim - 2] != k:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{_prod(aa.shape[:-2])}, {k}] but got: [{_prod(bb.shape[:-2])}, {bb._shape[bb._ndim - 2]}].")
    batch = _broadcast_pair(list(aa.size())[:-2], list(bb.size())[:-2])
    cdef Tensor ea = _expand(aa, batch + [m, k]), eb = _expand(bb, batch + [k, n])
    if na >= 2 and nb >= 2:
        into = _mm_into(ea, eb, out)
        if into is not None:
            return into
    cdef Tensor r = _mm_prim(ea, eb, "bmm")
    if na == 1:
        r = r.squeeze(-2)
    if nb == 1:
        r = r.squeeze(-1)
    return _to_out(out, r, "matmul", OUT_SAME)


cdef Tensor _mm2(Tensor a, Tensor b, str name="mm"):
    """The product of two matrices (batches of them: name "bmm") whose
    sizes chain, checked by the caller: mm's primitive, or matmul with its
    casts in an autocast region"""
    if ct_autocast:
        return <Tensor>matmul(a, b)
    _same_dtype_mm(a, b)
    return _mm_prim(a, b, name)


def _multi_dot_2d(tensors):
    """linalg.multi_dot's common case: a list or tuple of two or three
    matrices of one dtype whose sizes chain; their product, three in the
    order of fewer flops, or None for linalg.py's general path and its
    messages"""
    cdef Py_ssize_t n = len(tensors)
    if n < 2 or n > 3:
        return None
    t0, t1 = tensors[0], tensors[1]
    if not isinstance(t0, Tensor) or not isinstance(t1, Tensor):
        return None
    cdef Tensor a = <Tensor>t0, b = <Tensor>t1, c
    if a._ndim != 2 or b._ndim != 2 or b._dtype is not a._dtype or a._shape[1] != b._shape[0]:
        return None
    if n == 2:
        return _mm2(a, b)
    t2 = tensors[2]
    if not isinstance(t2, Tensor):
        return None
    c = <Tensor>t2
    if c._ndim != 2 or c._dtype is not a._dtype or b._shape[1] != c._shape[0]:
        return None
    cdef Py_ssize_t p = a._shape[0], q = a._shape[1], r = b._shape[1], w = c._shape[1]
    if p * q * r + p * r * w <= q * r * w + p * q * w:
        return _mm2(_mm2(a, b), c)
    return _mm2(a, _mm2(b, c))


def _matrix_power_pos(A, Py_ssize_t n):
    """A^n for n >= 1: the product of the powers A^(2^i) over n's set
    bits, by repeated squaring (A^1 a copy); None unless A is a tensor of
    square matrices (linalg.py's checks then give the messages)"""
    if not isinstance(A, Tensor):
        return None
    cdef Tensor z = <Tensor>A, r = None
    if z._ndim < 2 or z._shape[z._ndim - 1] != z._shape[z._ndim - 2]:
        return None
    if n == 1:
        return z.clone()
    cdef str name = "mm" if z._ndim == 2 else "bmm"
    while True:
        if n & 1:
            r = z if r is None else _mm2(r, z, name)
        n >>= 1
        if not n:
            return r
        z = _mm2(z, z, name)


cdef Py_ssize_t _prod(object shape):
    cdef Py_ssize_t p = 1
    for s in shape:
        p *= s
    return p


def outer(input, vec2, *, out=None):
    cdef Tensor a = _tensor_arg(input, "outer"), b = _tensor_arg(vec2, "outer")
    if a._ndim != 1:
        raise RuntimeError(f"outer: Expected 1-D argument self, but got {a._ndim}-D")
    if b._ndim != 1:
        raise RuntimeError(f"outer: Expected 1-D argument vec2, but got {b._ndim}-D")
    if out is None:
        return _unsqueeze(a, 1) * b
    # PyTorch's outer(out=) is mul's: the product written by mul's kernel
    return _mul(_unsqueeze(a, 1), b, out=out)


ger = outer


def _addlike(input, prod, beta, alpha):
    r = prod if alpha == 1 else prod * alpha
    if beta == 0:
        return r + zeros_like(input).expand_as(r) if isinstance(input, Tensor) else r
    return (input if beta == 1 else input * beta) + r


def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    if ct_autocast and out is None:
        return _autocast_hook("addmm", addmm, (input, mat1, mat2), {"beta": beta, "alpha": alpha})
    cdef Tensor c = _tensor_arg(input, "addmm"), a = _tensor_arg(mat1, "addmm")
    cdef Tensor b = _tensor_arg(mat2, "addmm"), r
    cdef int code = a._dtype._code
    if (a._ndim == 2 and b._ndim == 2 and a._shape[1] == b._shape[0]
            and (code == CT_FLOAT32 or code == CT_FLOAT64) and a._dtype is b._dtype
            and c._dtype is a._dtype and c._ndim <= 2
            and isinstance(beta, (int, float)) and isinstance(alpha, (int, float))):
        # one gemm: the (broadcast) input is copied into the result first
        _same_device(c, a)
        ce = c.expand(a._shape[0], b._shape[1])
        r = _empty_list([a._shape[0], b._shape[1]], a._dtype, a._storage.device)
        if beta != 0:
            _copy_into(r, <Tensor>ce, False)
        _bmm_acc(a, b, r, alpha, beta)
        return _to_out(out, record("addmm", r, (c, a, b), (beta, alpha)), "addmm", OUT_SAME)
    if (a._ndim == 2 and b._ndim == 2 and a._shape[1] == b._shape[0]
            and (code == CT_FLOAT16 or code == CT_BFLOAT16) and a._dtype is b._dtype
            and c._dtype is a._dtype and c._ndim <= 2
            and isinstance(beta, (int, float)) and isinstance(alpha, (int, float))):
        # halves as PyTorch computes them: beta c + alpha a b in float32, rounded once
        _same_device(c, a)
        ce = c.expand(a._shape[0], b._shape[1])
        r = _empty_list([a._shape[0], b._shape[1]], t_float32, a._storage.device)
        if beta != 0:
            _copy_into(r, <Tensor>ce, False)
        _bmm_acc(_cast(a, t_float32), _cast(b, t_float32), r, alpha, beta)
        r = _cast(r, a._dtype)
        return _to_out(out, record("addmm", r, (c, a, b), (beta, alpha)), "addmm", OUT_SAME)
    return _to_out(out, _addlike(input, mm(mat1, mat2), beta, alpha), "addmm", OUT_SAME)


def addmv(input, mat, vec, *, beta=1, alpha=1, out=None):
    if ct_autocast & 2 and out is None:
        return _autocast_hook("addmv", addmv, (input, mat, vec), {"beta": beta, "alpha": alpha})
    cdef Tensor c, a, v, r
    cdef int code
    if isinstance(input, Tensor) and isinstance(mat, Tensor) and isinstance(vec, Tensor):
        c, a, v = <Tensor>input, <Tensor>mat, <Tensor>vec
        code = a._dtype._code
        if (a._ndim == 2 and v._ndim == 1 and a._shape[1] == v._shape[0]
                and (c._ndim == 0 or (c._ndim == 1 and (c._shape[0] == 1 or c._shape[0] == a._shape[0])))
                and (code == CT_FLOAT32 or code == CT_FLOAT64) and v._dtype is a._dtype
                and c._dtype is a._dtype and isinstance(beta, (int, float))
                and isinstance(alpha, (int, float))
                and not (_grad_mode() and (_needs_grad(c) or _needs_grad(a) or _needs_grad(v)))):
            # no graph: one gemm into the (broadcast) input's copy
            _same_device(c, a)
            _same_device(v, a)
            r = _empty_list([a._shape[0]], a._dtype, a._storage.device)
            if beta != 0:
                _copy_into(r, _expand(c, [a._shape[0]]), False)
            _bmm_acc(a, _raw_unsq(v, 1), _raw_unsq(r, 1), alpha, beta)
            return _to_out(out, r, "addmv", OUT_SAME)
    return _to_out(out, _addlike(input, mv(mat, vec), beta, alpha), "addmv", OUT_SAME)


def addbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    if ct_autocast and out is None:
        return _autocast_hook("addbmm", addbmm, (input, batch1, batch2), {"beta": beta, "alpha": alpha})
    return _to_out(out, _addlike(input, _sum_fn(bmm(batch1, batch2), 0), beta, alpha), "addbmm", OUT_SAME)


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    if ct_autocast and out is None:
        return _autocast_hook("baddbmm", baddbmm, (input, batch1, batch2), {"beta": beta, "alpha": alpha})
    return _to_out(out, _addlike(input, bmm(batch1, batch2), beta, alpha), "baddbmm", OUT_SAME)


def addr(input, vec1, vec2, *, beta=1, alpha=1, out=None):
    if ct_autocast & 2 and out is None:
        return _autocast_hook("addr", addr, (input, vec1, vec2), {"beta": beta, "alpha": alpha})
    if (isinstance(input, Tensor) and isinstance(vec1, Tensor) and isinstance(vec2, Tensor)
            and (<Tensor>vec1)._ndim == 1 and (<Tensor>vec2)._ndim == 1 and beta != 0
            and (<Tensor>input)._dtype._code in (CT_FLOAT32, CT_FLOAT64)
            and (<Tensor>vec1)._dtype is (<Tensor>input)._dtype
            and (<Tensor>vec2)._dtype is (<Tensor>input)._dtype
            and isinstance(beta, (int, float)) and isinstance(alpha, (int, float))):
        # input + alpha vec1 vec2^T in one broadcast pass (addcmul), not an
        # outer product written out and added
        return _to_out(out, _addcmul(input if beta == 1 else input * beta, (<Tensor>vec1).unsqueeze(1),
                                     (<Tensor>vec2).unsqueeze(0), value=alpha), "addr", OUT_CAST)
    return _to_out(out, _addlike(input, outer(vec1, vec2), beta, alpha), "addr", OUT_CAST)


# ------------------------------------------------------------ in-place products

cdef str _dtname(Tensor t):
    return _CTYPE_NAMES_SHORT[t._dtype._code].lower()


cdef str _Dtname(Tensor t):
    return _CTYPE_NAMES_SHORT[t._dtype._code]


cdef list _CTYPE_NAMES_SHORT = ["Bool", "Byte", "Char", "Short", "Int", "Long", "Half", "Float",
                                "Double", "ComplexFloat", "ComplexDouble"]


cdef object _product_(object self, str name, object fn, tuple mats, object beta, object alpha):
    """self.<name>_(...): the product computed out of place by fn(self),
    written back into self; self must already have the result's shape (no
    broadcasting of self in place), and its dtype is checked as PyTorch does
    for each op."""
    cdef Tensor s = _tensor_arg(self, name + "_")
    cdef Tensor a = _tensor_arg(mats[0], name + "_"), b = _tensor_arg(mats[1], name + "_")
    _check_inplace(s)
    cdef tuple want = None
    # the result's shape where the operands fit together (else the product raises)
    if name == "addmm" and a._ndim == 2 and b._ndim == 2 and a.shape[1] == b.shape[0]:
        want = (a.shape[0], b.shape[1])
    elif name == "addmv" and a._ndim == 2 and b._ndim == 1 and a.shape[1] == b.shape[0]:
        want = (a.shape[0],)
    elif (name == "addbmm" or name == "baddbmm") and not (
            a._ndim == 3 and b._ndim == 3 and a.shape[0] == b.shape[0] and a.shape[2] == b.shape[1]):
        pass
    elif name == "addbmm":
        want = (a.shape[1], b.shape[2])
    elif name == "baddbmm":
        want = (a.shape[0], a.shape[1], b.shape[2])
    elif name == "addr" and a._ndim == 1 and b._ndim == 1:
        if s._ndim != 2:
            raise RuntimeError(f"2D tensor expected, got {s._ndim}D tensor for input")
        want = (a.shape[0], b.shape[0])
        if tuple(s.shape) != want:
            raise RuntimeError(f"size mismatch, input: {list(s.shape)}, v1: [{a.shape[0]}], "
                               f"v2: [{b.shape[0]}]")
    if name == "addmm" or name == "addbmm":
        if s._dtype is not a._dtype or s._dtype is not b._dtype:
            other = a if a._dtype is not s._dtype else b
            raise RuntimeError(f"self and mat2 must have the same dtype, but got "
                               f"{_Dtname(s)} and {_Dtname(other)}")
    elif name == "addmv":
        if s._dtype is not a._dtype or s._dtype is not b._dtype:
            raise RuntimeError(f"addmv input tensors must have the same dtype, but got "
                               f"{_Dtname(s)}, {_Dtname(a)}, and {_Dtname(b)}")
    elif name == "baddbmm":
        if s._dtype is not a._dtype or s._dtype is not b._dtype:
            raise RuntimeError(f"Input dtypes must be the same, got: input {_dtname(s)}, "
                               f"batch1: {_dtname(a)}, batch2: {_dtname(b)}")
    else:
        rdt = promote_types(promote_types(s._dtype, a._dtype), b._dtype)
        from ctorch._core.iterator import can_cast
        if not can_cast(rdt, s._dtype):
            raise RuntimeError(f"result type {_CTYPE_NAMES_SHORT[(<DType>rdt)._code]} can't be "
                               f"cast to the desired output type {_Dtname(s)}")
    if want is not None and tuple(s.shape) != want:
        raise RuntimeError(f"Bad in-place call: input tensor size {list(s.shape)} and output "
                           f"tensor size {list(want)} should match")
    if _grad_mode() and (_needs_grad(s) or _needs_grad(a) or _needs_grad(b)):
        return _inplace_with_graph(s, fn)
    cdef int code = s._dtype._code
    if ((name == "addmm" or name == "baddbmm") and want is not None
            and (code == CT_FLOAT32 or code == CT_FLOAT64) and _acc_layout(s)
            and s._storage is not a._storage and s._storage is not b._storage
            and s._storage.device == a._storage.device == b._storage.device
            and isinstance(beta, (int, float)) and isinstance(alpha, (int, float))):
        # one gemm accumulating straight into self
        _bmm_acc(a, b, s, alpha, beta)
        _bump_version(s)
        return self
    cdef Tensor r = fn(s)
    if r._dtype is not s._dtype:
        r = _cast(r, s._dtype)
    _copy_into(s, r, True)
    return self


def _addmm_(self, mat1, mat2, *, beta=1, alpha=1):
    return _product_(self, "addmm", lambda s: addmm(s, mat1, mat2, beta=beta, alpha=alpha),
                     (mat1, mat2), beta, alpha)


def addmv_(input, mat, vec, *, beta=1, alpha=1):
    return _product_(input, "addmv", lambda s: addmv(s, mat, vec, beta=beta, alpha=alpha),
                     (mat, vec), beta, alpha)


def _addbmm_(self, batch1, batch2, *, beta=1, alpha=1):
    return _product_(self, "addbmm", lambda s: addbmm(s, batch1, batch2, beta=beta, alpha=alpha),
                     (batch1, batch2), beta, alpha)


def _baddbmm_(self, batch1, batch2, *, beta=1, alpha=1):
    return _product_(self, "baddbmm", lambda s: baddbmm(s, batch1, batch2, beta=beta, alpha=alpha),
                     (batch1, batch2), beta, alpha)


def _addr_(self, vec1, vec2, *, beta=1, alpha=1):
    return _product_(self, "addr", lambda s: addr(s, vec1, vec2, beta=beta, alpha=alpha),
                     (vec1, vec2), beta, alpha)


# ------------------------------------------------------------ einsum

cdef tuple _sublist_equation(tuple args):
    """einsum(op1, sublist1, op2, sublist2, ..., [out_sublist]): the same call as
    an equation string (subscripts 0..51 name a-z then A-Z; Ellipsis is ...)."""
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

    def term(sub):
        if not isinstance(sub, (list, tuple)):
            raise TypeError(f"einsum(): subscripts must be a list of integers, not {type(sub).__name__}")
        out = []
        for s in sub:
            if s is Ellipsis:
                out.append("...")
            elif isinstance(s, int) and not isinstance(s, bool) and 0 <= s < 52:
                out.append(letters[s])
            else:
                raise ValueError("einsum(): subscript in subscript list is not within the valid "
                                 "range [0, 52)")
        return "".join(out)
    ops, terms = [], []
    cdef Py_ssize_t i = 0
    while i + 1 < len(args) and isinstance(args[i], Tensor):
        ops.append(args[i])
        terms.append(term(args[i + 1]))
        i += 2
    eq = ",".join(terms)
    if i < len(args):
        eq += "->" + term(args[i])
    return eq, tuple(ops)


def einsum(equation, *operands):
    """Einstein summation over one or more operands: repeated subscripts in one
    operand take its diagonal, subscripts absent from the output are summed,
    and each pair of operands is contracted with one batched product."""
    if ct_autocast & 2:
        return _autocast_hook("einsum", einsum, (equation,) + operands, None)
    if isinstance(equation, Tensor):
        equation, operands = _sublist_equation((equation,) + operands)
    elif not isinstance(equation, str):
        raise ValueError("einsum(): must specify the equation string and at least one operand, or "
                         "at least one operand and its subscripts list")
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    ops = [_tensor_arg(o, "einsum") for o in operands]
    eq = equation.replace(" ", "")
    if "->" in eq:
        lhs, rhs = eq.split("->")
    else:
        lhs, rhs = eq, None
    terms = lhs.split(",")
    if len(terms) != len(ops):
        raise ValueError("einsum(): more operands were provided than specified in the equation"
                         if len(ops) > len(terms) else
                         "einsum(): fewer operands were provided than specified in the equation")
    # '...' becomes fresh upper-case letters (right-aligned)
    ell_n = 0
    for t, x in zip(terms, ops):
        if "..." in t:
            ell_n = max(ell_n, (<Tensor>x)._ndim - (len(t) - 3))
    ell = "".join(chr(0x3b1 + i) for i in range(ell_n))
    subs = []
    for i, (t, x) in enumerate(zip(terms, ops)):
        if "..." in t:
            nd = (<Tensor>x)._ndim - (len(t) - 3)
            t = t.replace("...", ell[ell_n - nd:] if nd > 0 else "")
        if len(t) != (<Tensor>x)._ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({len(t)}) does not match "
                               f"the number of dimensions ({(<Tensor>x)._ndim}) for operand {i}"
                               + ("" if "..." in terms[i] else " and no ellipsis was given"))
        subs.append(t)
    if rhs is None:
        counts = {}
        for t in subs:
            for c in t:
                counts[c] = counts.get(c, 0) + 1
        rhs = ell + "".join(sorted(c for c in counts if counts[c] == 1 and c not in ell))
    else:
        rhs = rhs.replace("...", ell)
    sizes = {}
    for i, (t, x) in enumerate(zip(subs, ops)):
        for d, c in enumerate(t):
            s = (<Tensor>x)._shape[d]
            if c in sizes and sizes[c] != s and s != 1 and sizes[c] != 1:
                raise RuntimeError(f"einsum(): subscript {c} has size {s} for operand {i} which does not "
                                   f"broadcast with previously seen size {sizes[c]}")
            if c not in sizes or sizes[c] == 1:
                sizes[c] = s
    for c in rhs:
        if not any(c in t for t in subs):
            raise RuntimeError(f"einsum(): output subscript {c} does not appear in the equation for any input operand")
    # one operand at a time: diagonals, then sum what no one else needs
    items = []
    for i in range(len(ops)):
        x, t = _ein_diag(ops[i], subs[i])
        others = rhs + "".join(subs[j] for j in range(len(ops)) if j != i)
        x, t = _ein_sum_private(x, t, others)
        items.append((x, t))
    x, t = items[0]
    for j in range(1, len(items)):
        y, u = items[j]
        keep = rhs + "".join(s for _, s in items[j + 1:])
        x, t = _ein_pair(x, t, y, u, keep, sizes)
    x, t = _ein_sum_private(x, t, rhs)
    if t != rhs:
        x = x.permute(*[t.index(c) for c in rhs])
    if len(items) == 1 and x is ops[0]:
        x = x.view(x.shape)
    return x


def _ein_diag(x, t):
    while len(set(t)) != len(t):
        for d, c in enumerate(t):
            e = t.find(c, d + 1)
            if e >= 0:
                x = diagonal(x, 0, d, e)
                t = t[:d] + t[d + 1:e] + t[e + 1:] + c
                break
    return x, t


def _ein_sum_private(x, t, others):
    dims = [d for d, c in enumerate(t) if c not in others]
    if dims:
        x = _sum_fn(x, dims)
        t = "".join(c for d, c in enumerate(t) if d not in dims)
    return x, t


def _ein_pair(x, t, y, u, keep, sizes):
    batch = [c for c in t if c in u and c in keep]
    contr = [c for c in t if c in u and c not in keep]
    left = [c for c in t if c not in u]
    right = [c for c in u if c not in t]
    # broadcast size-1 subscripts
    sx = [sizes[c] for c in batch]
    xp = x.permute(*[t.index(c) for c in batch + left + contr])
    yp = y.permute(*[u.index(c) for c in batch + contr + right])
    xs = [sizes[c] for c in batch + left + contr]
    ys = [sizes[c] for c in batch + contr + right]
    if list(xp.shape) != xs:
        xp = xp.expand(xs)
    if list(yp.shape) != ys:
        yp = yp.expand(ys)
    L = _prod([sizes[c] for c in left])
    K = _prod([sizes[c] for c in contr])
    R = _prod([sizes[c] for c in right])
    B = _prod(sx)
    dt = promote_types(x.dtype, y.dtype)
    xp = xp.reshape(B, L, K)
    yp = yp.reshape(B, K, R)
    if xp.dtype != dt:
        xp = xp.to(dt)
    if yp.dtype != dt:
        yp = yp.to(dt)
    r = bmm(xp, yp).reshape(sx + [sizes[c] for c in left] + [sizes[c] for c in right])
    return r, "".join(batch + left + right)


# ------------------------------------------------------------ structure

def trace(input):
    if ct_autocast & 1:
        return _autocast_hook("trace", trace, (input,), None)
    cdef Tensor t = _tensor_arg(input, "trace")
    if t._ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {t._ndim}")
    if t._dtype._code == CT_BOOL:
        raise NotImplementedError("\"trace\" not implemented for 'Bool'")
    cdef Py_ssize_t k, step, i, es
    cdef Tensor d
    cdef DType acc = _acc_dtype(t._dtype)
    if t._dtype._kind != K_COMPLEX and not (_grad_mode() and _needs_grad(t)):
        # the diagonal summed without the functions' argument handling: on
        # the host, a float or int64 one copied into a dense row first (the
        # row sum's own path; the general one makes the same copy)
        k = t._shape[0] if t._shape[0] < t._shape[1] else t._shape[1]
        step = t._stride[0] + t._stride[1]
        if t._storage.device < 0 and acc is t._dtype and k > 0:
            es = t._dtype.itemsize
            d = _empty(1, &k, t._dtype)
            if es == 4:
                for i in range(k):
                    (<uint32_t *>d._data)[i] = (<const uint32_t *>t._data)[i * step]
            elif es == 8:
                for i in range(k):
                    (<uint64_t *>d._data)[i] = (<const uint64_t *>t._data)[i * step]
            else:
                for i in range(k):
                    memcpy(d._data + i * es, t._data + i * step * es, es)
            return _sum(d, None, False, acc)
        return _sum(_view_raw(t, t._offset, 1, &k, &step), None, False, acc)
    return _sum_fn(diagonal(t, 0, 0, 1))


# the tril / triu member of the backend table (backend.h), under its C name
cdef extern from "backend.h" nogil:
    ctypedef struct ct_tri_table "ct_backend":
        void (*tri)(char *dst, const char *src, int64_t batch, int64_t m, int64_t n, int64_t k,
                    int lower, int es) noexcept nogil


cdef void _tri_rows(Tensor t, char *dp, const char *sp, int64_t k, bint lower,
                    bint transposed) noexcept:
    """The triangle kernel over t's matrices (dense, or with transposed
    their dense transposes: rows of t's columns, the other triangle from -k),
    written from sp to dp (in place when they are one)."""
    cdef const ct_tri_table *B = <const ct_tri_table *>t._storage.backend
    cdef int64_t m = t._shape[t._ndim - 2], n = t._shape[t._ndim - 1]
    cdef int64_t batch = (t._numel // (m * n)) if m * n else 0
    cdef int es = t._dtype.itemsize, low = lower
    if transposed:
        m, n, k, low = n, m, -k, 1 - low
    if batch:
        with nogil:
            B.tri(dp, sp, batch, m, n, k, low, es)


cdef _tri(input, diagonal, bint lower, str name, object out=None):
    """tril / triu; out (out=) written by the kernel in place of a new
    result where it already is one (dense, of t's shape, dtype and device,
    apart from t's memory, no autograd about)."""
    cdef Tensor t = _tensor_arg(input, name)
    if t._ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    cdef Py_ssize_t m = t._shape[t._ndim - 2], n = t._shape[t._ndim - 1]
    cdef const ct_tri_table *B = <const ct_tri_table *>t._storage.backend
    cdef Tensor src, r
    if B.tri != NULL and isinstance(diagonal, int) and not isinstance(diagonal, bool):
        # one pass over each row: copy the kept triangle, zero the rest
        src = _contig(t, t._dtype)
        into = out is not None and _into_ok(out, list(t.size()), t._dtype, [t, src])
        r = <Tensor>out if into else _empty_list(list(t.size()), t._dtype, t._storage.device)
        _tri_rows(t, r._data, src._data, diagonal, lower, False)
        if into:
            _bump(r)
            return r
        return record(name, r, (t,), (diagonal,))
    dev = t.device
    diff = arange(n, device=dev).unsqueeze(0) - arange(m, device=dev).unsqueeze(1)
    mask = (diff <= diagonal) if lower else (diff >= diagonal)
    r = where(mask, t.detach(), zeros((), dtype=t.dtype, device=dev))
    return record(name, r, (t,), (diagonal,))


def _tri_inplace(input, diagonal, bint lower, str name):
    """tril_ / triu_: on a dense tensor that autograd does not follow, the
    kernel over its rows in place (zeroing the other triangle; the kept one
    is not copied onto itself); in a graph, tril / triu's result and history
    written into it; otherwise the out-of-place result copied in."""
    cdef Tensor t = _tensor_arg(input, name)
    if t._ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    _check_inplace(t)
    if _inplace_needs_graph(t, None):
        return _inplace_with_graph(t, lambda c: _tri(c, diagonal, lower, name))
    cdef const ct_tri_table *B = <const ct_tri_table *>t._storage.backend
    if B.tri != NULL and type(diagonal) is int and _is_contiguous(t):
        _tri_rows(t, t._data, t._data, diagonal, lower, False)
    elif B.tri != NULL and type(diagonal) is int and _is_contiguous(<Tensor>t.mT):
        # a transposed dense batch: its rows are t's columns, and t's lower
        # triangle (j - i <= k) their upper one from -k (r - c >= -k)
        _tri_rows(t, t._data, t._data, diagonal, lower, True)
    else:
        _copy_into(t, <Tensor>_tri(t, diagonal, lower, name), False)
    _bump(t)
    return t


def tril(input, diagonal=0, *, out=None):
    r = _tri(input, diagonal, True, "tril", out)
    return r if r is out else _to_out(out, r, "tril", OUT_SAME)


def triu(input, diagonal=0, *, out=None):
    r = _tri(input, diagonal, False, "triu", out)
    return r if r is out else _to_out(out, r, "triu", OUT_SAME)


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    cdef Tensor t = _tensor_arg(input, "diag_embed")
    cdef int nd = t._ndim + 1
    cdef int a = _wrap_dim(dim1, nd), b = _wrap_dim(dim2, nd)
    if a == b:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    cdef Py_ssize_t size = (t._shape[t._ndim - 1] if t._ndim else 1) + abs(offset)
    shape = list(t.size())[:-1]
    lo, hi = (a, b) if a < b else (b, a)
    shape.insert(lo, size)
    shape.insert(hi, size)
    cdef Tensor r = _empty_list(shape, t._dtype, t._storage.device)
    _zero_fill(r)
    cdef Tensor dv = diagonal(r, offset, a, b)
    _copy_into(dv, _rawview(t, list(t.size()), list(t.stride())) if t._ndim else _rawview(t, [1], [1]), False)
    return record("diag_embed", r, (t,), (offset, a, b))


def diag(input, diagonal=0, *, out=None):
    cdef Tensor t = _tensor_arg(input, "diag")
    if t._ndim == 1:
        return _to_out(out, diag_embed(t, diagonal, 0, 1), "diag", OUT_SAME)
    if t._ndim == 2:
        return _to_out(out, _clone_contig(_diagonal(t, diagonal, 0, 1)), "diag", OUT_SAME)
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {t._ndim}D")


def kron(input, other, *, out=None):
    cdef Tensor a = _tensor_arg(input, "kron"), b = _tensor_arg(other, "kron")
    cdef int n = max(a._ndim, b._ndim), d, k
    cdef Py_ssize_t sh[64]
    cdef Py_ssize_t st[64]
    cdef Tensor va, vb, r
    cdef bint grad = (_needs_grad(a) or _needs_grad(b)) and _grad_mode()
    cdef Py_ssize_t la = a._shape[a._ndim - 1] if a._ndim else 1
    cdef Py_ssize_t lb = b._shape[b._ndim - 1] if b._ndim else 1
    cdef Py_ssize_t ab_last = la * lb
    if (n <= 32 and 2 <= lb < 256 and la >= 2 and a._numel * b._numel >= 4096
            and a._storage.backend == b._storage.backend):
        # a short last dim of b would make the product's inner loop short.
        # Instead: a dense copy of a whose last dim has each element repeated
        # lb times (la * lb long) and one of b whose last dim is repeated la
        # times; these multiply along rows of la * lb elements, which are
        # the rows of the result
        if not grad:
            for d in range(n - 1):
                k = d - (n - a._ndim)
                sh[2 * d] = a._shape[k] if k >= 0 else 1
                st[2 * d] = a._stride[k] if k >= 0 else 0
                sh[2 * d + 1] = 1
                st[2 * d + 1] = 0
            sh[2 * n - 2] = la
            st[2 * n - 2] = a._stride[a._ndim - 1]
            sh[2 * n - 1] = lb
            st[2 * n - 1] = 0
            va = _contig(_view_raw(a, a._offset, 2 * n, sh, st), a._dtype)
            sh[2 * n - 2] = ab_last
            _contiguous_strides(2 * n - 1, sh, st)
            va = _view_raw(va, va._offset, 2 * n - 1, sh, st)
            for d in range(n - 1):
                k = d - (n - b._ndim)
                sh[2 * d] = 1
                st[2 * d] = 0
                sh[2 * d + 1] = b._shape[k] if k >= 0 else 1
                st[2 * d + 1] = b._stride[k] if k >= 0 else 0
            sh[2 * n - 2] = la
            st[2 * n - 2] = 0
            sh[2 * n - 1] = lb
            st[2 * n - 1] = b._stride[b._ndim - 1]
            vb = _contig(_view_raw(b, b._offset, 2 * n, sh, st), b._dtype)
            sh[2 * n - 2] = ab_last
            _contiguous_strides(2 * n - 1, sh, st)
            vb = _view_raw(vb, vb._offset, 2 * n - 1, sh, st)
            r = va * vb
            if _is_contiguous(r):
                for d in range(n - 1):
                    sh[d] = r._shape[2 * d] * r._shape[2 * d + 1]
                sh[n - 1] = ab_last
                _contiguous_strides(n, sh, st)
                return _to_out(out, _view_raw(r, r._offset, n, sh, st), "mul", OUT_CAST)
        else:
            sa = [1] * (n - a._ndim) + list(a.size())
            sb = [1] * (n - b._ndim) + list(b.size())
            ia, ib = [], []
            for d in range(n - 1):
                ia += [sa[d], 1]
                ib += [1, sb[d]]
            ra = a.reshape(sa + [1]).expand(sa + [lb]).reshape(ia + [ab_last])
            rb = b.reshape(sb[:-1] + [1, lb]).expand(sb[:-1] + [la, lb]).reshape(ib + [ab_last])
            r = ra * rb
            return _to_out(out, r.reshape([sa[d] * sb[d] for d in range(n)]), "mul", OUT_CAST)
    if n <= 32 and not grad:
        # no history: a viewed as (a0, 1, a1, 1, ..) times b as (1, b0, 1, b1, ..),
        # the dense product viewed as the (a0 b0, a1 b1, ..) result
        for d in range(n):
            k = d - (n - a._ndim)
            sh[2 * d] = a._shape[k] if k >= 0 else 1
            st[2 * d] = a._stride[k] if k >= 0 else 0
            sh[2 * d + 1] = 1
            st[2 * d + 1] = 0
        va = _view_raw(a, a._offset, 2 * n, sh, st)
        for d in range(n):
            k = d - (n - b._ndim)
            sh[2 * d] = 1
            st[2 * d] = 0
            sh[2 * d + 1] = b._shape[k] if k >= 0 else 1
            st[2 * d + 1] = b._stride[k] if k >= 0 else 0
        vb = _view_raw(b, b._offset, 2 * n, sh, st)
        r = va * vb
        if _is_contiguous(r):
            for d in range(n):
                sh[d] = r._shape[2 * d] * r._shape[2 * d + 1]
            _contiguous_strides(n, sh, st)
            return _to_out(out, _view_raw(r, r._offset, n, sh, st), "mul", OUT_CAST)
    sa = [1] * (n - a._ndim) + list(a.size())
    sb = [1] * (n - b._ndim) + list(b.size())
    ia, ib = [], []
    for d in range(n):
        ia += [sa[d], 1]
        ib += [1, sb[d]]
    r = a.reshape(ia) * b.reshape(ib)
    return _to_out(out, r.reshape([sa[d] * sb[d] for d in range(n)]), "mul", OUT_CAST)


# the cross-product member of the backend table (backend.h), under its C name
cdef extern from "backend.h" nogil:
    ctypedef struct ct_cross_table "ct_backend":
        int (*cross)(int dtype, int ndim, const int64_t *shape, const int64_t *strides,
                     char *const *ptr, const int64_t *cstride, int64_t grain) noexcept nogil


def _cross_kernel(Tensor a, Tensor b, int d):
    """a x b along dim d in one pass of the backend's kernel, without
    history: a and b of equal ndim with size 3 at d, their other dims
    broadcast. None when the device or the dtype has no kernel, or the
    shapes do not broadcast (the caller then composes other ops, which raise
    PyTorch's error)."""
    cdef const ct_cross_table *B = <const ct_cross_table *>a._storage.backend
    cdef int code = a._dtype._code, nd = a._ndim, k, m = 0, n
    if (B.cross == NULL or b._dtype is not a._dtype or b._storage.backend != a._storage.backend
            or b._ndim != nd or not (code == CT_FLOAT32 or code == CT_FLOAT64 or code == CT_INT64
                                     or code == CT_INT32 or code == CT_INT16 or code == CT_INT8
                                     or code == CT_UINT8)):
        return None
    cdef list shape = []
    cdef Py_ssize_t sa, sb
    for k in range(nd):
        sa = a._shape[k]
        sb = b._shape[k]
        if sa != sb and sa != 1 and sb != 1:
            return None
        shape.append(sa if sb == 1 else sb)
    cdef Tensor out = _empty_list(shape, a._dtype, a._storage.device)
    if out._numel == 0:
        return out
    cdef int64_t sh[64]
    cdef int64_t st[3 * 64]
    cdef int64_t cs[3]
    cdef char *ptr[3]
    cdef int64_t es = a._dtype.itemsize
    n = nd - 1
    for k in range(nd):
        if k == d:
            continue
        sh[m] = out._shape[k]
        st[m] = out._stride[k] * es
        st[n + m] = 0 if a._shape[k] == 1 else a._stride[k] * es
        st[2 * n + m] = 0 if b._shape[k] == 1 else b._stride[k] * es
        m += 1
    cs[0] = out._stride[d] * es
    cs[1] = a._stride[d] * es
    cs[2] = b._stride[d] * es
    ptr[0] = out._data
    ptr[1] = a._data
    ptr[2] = b._data
    cdef int rc
    if out._numel >= 16384:
        with nogil:
            rc = B.cross(code, n, sh, st, ptr, cs, 8192)
    else:
        rc = B.cross(code, n, sh, st, ptr, cs, 8192)
    return out if rc == 0 else None


# the distance member of the backend table (backend.h), under its C name
cdef extern from "backend.h" nogil:
    ctypedef struct ct_dist_table "ct_backend":
        int (*dist)(int dtype, const void *x1, int64_t b1, const void *x2, int64_t b2,
                    void *out, int64_t nb, int64_t P, int64_t R, int64_t M, double p,
                    int pairs) noexcept nogil


cdef int64_t _rows_batch_stride(Tensor t):
    """The element stride between t's (..., P, M) matrices when their rows
    are dense (M apart, stride 1 along them) and its batch is dense or
    broadcast (0); -1 for another layout."""
    cdef int nd = t._ndim
    cdef Py_ssize_t P = t._shape[nd - 2], M = t._shape[nd - 1]
    if (M > 1 and t._stride[nd - 1] != 1) or (P > 1 and t._stride[nd - 2] != M):
        return -1
    return _batch_stride(t, P * M)


def _dist_kernel(Tensor x1, Tensor x2, double p, bint pairs):
    """The p-norm distances between the rows of x1 (..., P, M) and of x2
    (..., R, M) (the same batch shape) in one pass of the backend's kernel,
    without history: (..., P, R), or with pairs (x2 ignored) pdist's
    (P * (P - 1) / 2,) of the 2-d x1. None when the device or the dtype has
    no kernel (the caller then composes other ops)."""
    cdef const ct_dist_table *B = <const ct_dist_table *>x1._storage.backend
    cdef int code = x1._dtype._code, nd = x1._ndim, d
    if pairs:
        x2 = x1
    if (B.dist == NULL or not (code == CT_FLOAT32 or code == CT_FLOAT64)
            or x2._dtype is not x1._dtype or x2._storage.backend != x1._storage.backend
            or x2._ndim != nd or nd < 2):
        return None
    cdef int64_t nb = 1, P = x1._shape[nd - 2], M = x1._shape[nd - 1]
    cdef int64_t R = x2._shape[nd - 2]
    for d in range(nd - 2):
        nb *= x1._shape[d]
    cdef int64_t b1 = _rows_batch_stride(x1), b2
    if b1 < 0:
        x1 = _contig(x1, x1._dtype)
        b1 = P * M
    if pairs:
        x2, b2 = x1, b1
    else:
        b2 = _rows_batch_stride(x2)
        if b2 < 0:
            x2 = _contig(x2, x2._dtype)
            b2 = R * M
    cdef list shape = [x1._shape[d] for d in range(nd - 2)]
    shape += [P * (P - 1) // 2] if pairs else [P, R]
    cdef Tensor out = _empty_list(shape, x1._dtype, x1._storage.device)
    if out._numel == 0:
        return out
    if M == 0:
        _zero_fill(out)
        return out
    cdef int rc
    cdef const void *p1 = x1._data
    cdef const void *p2 = x2._data
    if out._numel * M >= 16384:
        with nogil:
            rc = B.dist(code, p1, b1, p2, b2, out._data, nb, P, R, M, p, pairs)
    else:
        rc = B.dist(code, p1, b1, p2, b2, out._data, nb, P, R, M, p, pairs)
    if rc == -2:
        raise MemoryError("cdist: out of memory for the transposed rows")
    return out if rc == 0 else None


def _block_diag_raw(list ts, DType dt):
    """The block-diagonal matrix of ts (tensors of at most 2 dims, on one
    device; a 0-d tensor is a 1 x 1 block, a 1-d one a row) in dtype dt,
    without history: the matrix zeroed in one pass, then each block copied
    (and cast) into its place."""
    cdef Tensor t, res, v
    cdef Py_ssize_t rows = 0, cols = 0, r = 0, c = 0, h, w
    cdef Py_ssize_t sh[2]
    cdef Py_ssize_t st[2]
    cdef Py_ssize_t dst_st[2]
    for x in ts:
        t = <Tensor>x
        rows += t._shape[0] if t._ndim == 2 else 1
        cols += t._shape[t._ndim - 1] if t._ndim else 1
    res = _empty_list([rows, cols], dt, (<Tensor>ts[0])._storage.device)
    if res._numel == 0:
        return res
    dst_st[0] = cols
    dst_st[1] = 1
    _fill(res, 0)
    for x in ts:
        t = <Tensor>x
        if t._ndim == 2:
            h, w = t._shape[0], t._shape[1]
            st[0], st[1] = t._stride[0], t._stride[1]
        else:
            h, w = 1, (t._shape[0] if t._ndim else 1)
            st[0], st[1] = 0, (t._stride[0] if t._ndim else 0)
        if h:
            if w:
                sh[0], sh[1] = h, w
                v = _view_raw(res, res._offset + r * cols + c, 2, sh, dst_st)
                _copy_into(v, _view_raw(t, t._offset, 2, sh, st), False)
        r += h
        c += w
    return res


cdef object _tensor_matmul(object a, object b):
    return matmul(a, b)


_slots.matmul = _tensor_matmul


# torch.svd / torch.qr as methods: ctorch.linalg's, imported on first use
def _t_svd(self, some=True, compute_uv=True):
    from ctorch.linalg import _svd_legacy
    return _svd_legacy(self, some, compute_uv)


def _t_qr(self, some=True):
    from ctorch.linalg import _qr_legacy
    return _qr_legacy(self, some)


_add_method("svd", _t_svd)
_add_method("qr", _t_qr)
_add_method("matmul", matmul)
_add_method("mm", mm)
_add_method("bmm", bmm)
_add_method("mv", mv)
_add_method("dot", dot)
_add_method("vdot", vdot)
_add_method("outer", outer)
_add_method("ger", outer)
_add_method("addmm", addmm)
_add_method("addmv", addmv)
_add_method("addbmm", addbmm)
_add_method("baddbmm", baddbmm)
_add_method("addr", addr)
_add_method("addmm_", _addmm_)
_add_method("addmv_", addmv_)
_add_method("addbmm_", _addbmm_)
_add_method("baddbmm_", _baddbmm_)
_add_method("addr_", _addr_)
_add_method("trace", trace)
_add_method("tril", tril)
_add_method("triu", triu)
_add_method("diag", diag)
_add_method("diag_embed", diag_embed)
_add_method("kron", kron)

