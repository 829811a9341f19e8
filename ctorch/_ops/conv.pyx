# cython: language_level=3
"""The kernels of the convolutions: im2col (every window of a padded,
strided, dilated input as a column) and col2im (its adjoint). The argument
handling, the products around them and the records of the gradients are in
ctorch/nn/_conv.py. Inputs are (N, C, *spatial) with 1 to 3 spatial dims;
a device without these kernels runs them on a host copy."""

from libc.stdint cimport int64_t

from ctorch._core.dtype cimport *
from ctorch._core.backend cimport *
from ctorch._core.tensor cimport *
from ctorch._core.iterator cimport _dense_copy, _to_device, _check_device


cdef int _geom(ct_conv_geom *g, tuple vol, tuple out, tuple k, tuple s, tuple p,
               tuple d) except -1:
    """The geometry over three dims: missing leading dims are size 1."""
    cdef int n = len(vol), lead = 3 - n, i
    for i in range(3):
        if i < lead:
            g.in_[i] = 1; g.out[i] = 1; g.k[i] = 1; g.s[i] = 1; g.p[i] = 0; g.d[i] = 1
        else:
            g.in_[i] = vol[i - lead]; g.out[i] = out[i - lead]; g.k[i] = k[i - lead]
            g.s[i] = s[i - lead]; g.p[i] = p[i - lead]; g.d[i] = d[i - lead]
    return 0


cdef Tensor _on_host_or_self(Tensor t, bint host):
    t = t if _is_contiguous(t) else _dense_copy(t)
    return _to_device(t, -1) if host else t


def _im2col(Tensor x, tuple out, tuple k, tuple s, tuple p, tuple d):
    """x (N, C, *vol) -> (N, C * prod(k), prod(out)); no history."""
    cdef ct_conv_geom g
    cdef int nsp = x._ndim - 2, i
    cdef tuple vol = tuple(x.shape[2:])
    _geom(&g, vol, out, k, s, p, d)
    cdef int dev = x._storage.device
    cdef const ct_backend *B = x._storage.backend
    cdef bint host = B.im2col == NULL or B.im2col[x._dtype._code] == NULL
    cdef Tensor c = _on_host_or_self(x, host and dev >= 0)
    cdef const ct_im2col_fn *tab = c._storage.backend.im2col
    cdef ct_im2col_fn fn = tab[c._dtype._code] if tab != NULL else NULL
    if fn == NULL:
        raise RuntimeError(f"im2col: no kernel for {x._dtype}")
    cdef int64_t K = 1, L = 1
    for i in range(nsp):
        K *= k[i]
        L *= out[i]
    cdef int64_t planes = x._shape[0] * x._shape[1]
    cdef Tensor r = _empty_list([x._shape[0], x._shape[1] * K, L], c._dtype, c._storage.device)
    if r._numel > 0:
        with nogil:
            fn(c._data, r._data, planes, &g)
        _check_device(r)
    return _to_device(r, dev) if (host and dev >= 0) else r


def _col2im(Tensor cols, int64_t C, tuple vol, tuple out, tuple k, tuple s, tuple p, tuple d):
    """cols (N, C * prod(k), prod(out)) -> (N, C, *vol), each element summed
    into the positions its windows read; no history."""
    cdef ct_conv_geom g
    _geom(&g, vol, out, k, s, p, d)
    cdef int dev = cols._storage.device
    cdef const ct_backend *B = cols._storage.backend
    cdef bint host = B.col2im == NULL or B.col2im[cols._dtype._code] == NULL
    cdef Tensor c = _on_host_or_self(cols, host and dev >= 0)
    cdef const ct_col2im_fn *tab = c._storage.backend.col2im
    cdef ct_col2im_fn fn = tab[c._dtype._code] if tab != NULL else NULL
    if fn == NULL:
        raise RuntimeError(f"col2im: no kernel for {cols._dtype}")
    cdef int64_t planes = cols._shape[0] * C
    cdef Tensor r = _empty_list([cols._shape[0], C] + list(vol), c._dtype, c._storage.device)
    if r._numel > 0:
        with nogil:
            fn(c._data, r._data, planes, &g)
        _check_device(r)
    return _to_device(r, dev) if (host and dev >= 0) else r


# ------------------------------------------------------ fused products
# A convolution's products run in the backend's fused drivers (conv.h): one
# batch element per thread, its columns made and consumed in a buffer of its
# own (in cache) instead of the whole batch's columns going through memory.

from ctorch._core.dispatch cimport ensure_gemm


cdef bint _fusable(Tensor t):
    cdef const ct_backend *B = t._storage.backend
    cdef int c = t._dtype._code
    return (B.gemm != NULL and B.conv_im2col_mm != NULL and B.conv_mm_col2im != NULL
            and B.conv_wgrad != NULL
            and (c == CT_FLOAT32 or c == CT_FLOAT64 or c == CT_COMPLEX64 or c == CT_COMPLEX128))


def _fusable_py(Tensor t):
    return _fusable(t)


cdef Tensor _dense(Tensor t):
    return t if _is_contiguous(t) else _dense_copy(t)


cdef int64_t _prod(tuple v):
    cdef int64_t r = 1
    for x in v:
        r *= <int64_t>x
    return r


cdef Tensor _batch_one(Tensor t):
    """t's first image, dense, when t (N > 1, ...) repeats one image along
    its batch dim (stride 0, an expanded gradient); else None."""
    if t._ndim < 1 or t._shape[0] < 2 or t._stride[0] != 0:
        return None
    return _dense(t[0])


def _im2col_mm(Tensor src, Tensor w, int64_t G, tuple vol, tuple out, tuple k, tuple s, tuple p,
               tuple d, Tensor bias=None):
    """out[n, g] (R x L) = w[g] (R x Q) @ im2col(src)[n, g] (Q x L) (plus
    bias[g R + r] on row r when bias is given): src (N, C, *vol), w (G * R,
    C / G, *k) read as G matrices R x Q (Q = C / G prod(k)); returns
    (N, G * R, *out)."""
    src = _dense(src)
    w = _dense(w)
    cdef ct_conv_geom g
    _geom(&g, vol, out, k, s, p, d)
    cdef const ct_backend *B = src._storage.backend
    ensure_gemm(B)
    cdef int code = src._dtype._code, rc = 0
    cdef int64_t es = src._dtype.itemsize
    cdef int64_t N = src._shape[0], C = src._shape[1], R = w._shape[0] // G
    cdef Tensor y = _empty_list([N, G * R] + list(out), src._dtype, src._storage.device)
    if y._numel == 0:
        return y
    if C * _prod(k) == 0:
        y.zero_()
        if bias is not None:
            y += bias.view([G * R] + [1] * len(out))
        return y
    cdef const char *bp = NULL
    if bias is not None and B.conv_im2col_mm_bias != NULL:
        bias = _dense(bias)
        bp = bias._data
    with nogil:
        if bp != NULL:
            rc = B.conv_im2col_mm_bias(code, es, src._data, w._data, bp, y._data, N, C, G, R, &g)
        else:
            rc = B.conv_im2col_mm(code, es, src._data, w._data, y._data, N, C, G, R, &g)
    if rc:
        raise MemoryError("out of memory in a convolution")
    if bias is not None and bp == NULL:
        y += bias.view([G * R] + [1] * len(out))
    return y


def _mm_col2im(Tensor src, Tensor w, int64_t G, tuple vol, tuple out, tuple k, tuple s,
               tuple p, tuple d):
    """col2im(cols) with cols[n, g] (Q x L) = w[g]^T (Q x R) @ src[n, g] (R x L):
    src (N, G * R, *out), w (G * R, Cq, *k) read as G matrices R x Q
    (Q = Cq prod(k)); returns (N, G * Cq, *vol). A src that repeats one
    image along its batch dim is read as that image."""
    cdef const ct_backend *B = src._storage.backend
    cdef Tensor one = _batch_one(src) if B.conv_mm_col2im_bs != NULL else None
    cdef int64_t N = src._shape[0]
    src = _dense(src) if one is None else one
    w = _dense(w)
    cdef ct_conv_geom g
    _geom(&g, vol, out, k, s, p, d)
    ensure_gemm(B)
    cdef int code = src._dtype._code, rc = 0
    cdef int64_t es = src._dtype.itemsize
    cdef int64_t R = w._shape[0] // G, Cq = w._shape[1]
    cdef Tensor y = _empty_list([N, G * Cq] + list(vol), src._dtype, src._storage.device)
    if y._numel == 0:
        return y
    if R == 0 or _prod(out) == 0:
        y.zero_()
        return y
    with nogil:
        if one is not None:
            rc = B.conv_mm_col2im_bs(code, es, src._data, 0, w._data, y._data, N, Cq, G, R, &g)
        else:
            rc = B.conv_mm_col2im(code, es, src._data, w._data, y._data, N, Cq, G, R, &g)
    if rc:
        raise MemoryError("out of memory in a convolution")
    return y


def _wgrad(Tensor a, Tensor src, int64_t G, tuple wshape, tuple vol, tuple out, tuple k,
           tuple s, tuple p, tuple d, bint bias=False):
    """gw[g] (R x Q) = sum over n of a[n, g] (R x L) @ im2col(src)[n, g]^T
    (L x Q): a (N, G * R, *out), src (N, C, *vol); returns a tensor of shape
    wshape (G * R, C / G, *k), or with bias the pair (gw, gb), gb (G * R,)
    the sums of a over all but dim 1. An `a` that repeats one image along its
    batch dim is read as that image."""
    cdef const ct_backend *B = src._storage.backend
    cdef bint ext = B.conv_wgrad_bias != NULL
    cdef Tensor one = _batch_one(a) if ext else None
    cdef int64_t N = src._shape[0], C = src._shape[1], R = a._shape[1] // G
    cdef int64_t an = 0
    if one is not None:
        a = one
    else:
        a = _dense(a)
        an = a._numel // N if N > 0 else 0
    src = _dense(src)
    cdef ct_conv_geom g
    _geom(&g, vol, out, k, s, p, d)
    ensure_gemm(B)
    cdef int code = src._dtype._code, rc = 0
    cdef int64_t es = src._dtype.itemsize
    cdef Tensor gw = _empty_list(list(wshape), src._dtype, src._storage.device)
    cdef Tensor gb = None
    cdef char *gbp = NULL
    if bias:
        gb = _empty_list([G * R], src._dtype, src._storage.device)
        gbp = gb._data
    if gw._numel == 0 or N == 0 or _prod(out) == 0:
        gw.zero_()
        if bias:
            gb = a.sum([0] + list(range(2, a._ndim))) if one is None else \
                a.sum(list(range(1, a._ndim))) * N
        return (gw, gb) if bias else gw
    with nogil:
        if ext:
            rc = B.conv_wgrad_bias(code, es, a._data, an, src._data, gw._data, gbp, N, C, G, R,
                                   &g)
        else:
            rc = B.conv_wgrad(code, es, a._data, src._data, gw._data, N, C, G, R, &g)
    if rc:
        raise MemoryError("out of memory in a convolution")
    if bias and not ext:
        gb = a.sum([0] + list(range(2, a._ndim)))
    return (gw, gb) if bias else gw
