# cython: language_level=3
"""The kernels' entry of batch normalisation (ctorch/nn/_nnmisc.py does the
argument handling, the running statistics and the autograd record): the
forward (per-channel statistics, then the affine map) and the backward (two
reductions per channel, then the input's gradient), over an input viewed as
dense (N, C, S). Everything here runs without history; the per-channel
coefficients are computed in double precision. A backend without these
kernels (_has_kernels false) leaves the op to a composition of other ops."""

from libc.stdint cimport int64_t
from libc.stdlib cimport malloc, free
from libc.math cimport sqrt

from ctorch._core.dtype cimport *
from ctorch._core.backend cimport *
from ctorch._core.tensor cimport *
from ctorch._core.iterator cimport _dense_copy, _contig, _check_device
from ctorch._ops.elementwise cimport _cast


cdef Tensor _vec64(object t, Py_ssize_t C, double fill):
    """A dense float64 (C,) copy of t, or C copies of fill when t is None."""
    cdef Tensor r
    if t is None:
        r = _empty(1, &C, t_float64)
        r.fill_(fill)
        return r
    return _contig(<Tensor>t, t_float64)


def _has_kernels(Tensor x):
    cdef const ct_backend *B = x._storage.backend
    return (B.bn_stats != NULL and B.bn_apply != NULL and B.bn_bwd_reduce != NULL
            and B.bn_bwd_apply != NULL)


cdef void _dims(Tensor x, int64_t *N, int64_t *C, int64_t *S) noexcept:
    cdef int d
    N[0] = x._shape[0]
    C[0] = x._shape[1]
    S[0] = 1
    for d in range(2, x._ndim):
        S[0] *= x._shape[d]


def _bn_forward(Tensor x, weight, bias, running_mean, running_var, bint use_stats, double eps):
    """(y, mean, invstd, var): x normalised per channel (dim 1) with the batch's
    statistics (use_stats) or the running ones, then scaled and shifted; mean,
    invstd and the biased batch variance are float64 (C,) tensors (var is None
    without use_stats). x is float32 or float64, on a device with the kernels."""
    cdef int64_t N, C, S
    _dims(x, &N, &C, &S)
    cdef Py_ssize_t c_ = C
    cdef DType dt = x._dtype
    cdef Tensor cx = _contig(x, dt)
    cdef Tensor mean, var = None, invstd = _empty(1, &c_, t_float64)
    cdef Tensor scale = _empty(1, &c_, t_float64), shift
    cdef double *scratch
    cdef double *vp
    cdef Tensor var_r
    cdef const ct_backend *B = cx._storage.backend
    cdef ct_bn_stats_fn stats = B.bn_stats[dt._code]
    cdef ct_bn_apply_fn apply = B.bn_apply[dt._code]
    if use_stats:
        mean = _empty(1, &c_, t_float64)
        var = _empty(1, &c_, t_float64)
        scratch = <double *>malloc(sizeof(double) * (3 * N * C + 1))
        if scratch == NULL:
            raise MemoryError()
        with nogil:
            stats(cx._data, N, C, S, <double *>mean._data, <double *>var._data, scratch)
        free(scratch)
        vp = <double *>var._data
    else:
        mean = _vec64(running_mean, C, 0.0)
        var_r = _vec64(running_var, C, 1.0)
        vp = <double *>(<Tensor>var_r)._data
    cdef Tensor w = _vec64(weight, C, 1.0)
    shift = _vec64(bias, C, 0.0)
    cdef double *ip = <double *>invstd._data
    cdef double *sp = <double *>scale._data
    cdef double *wp = <double *>w._data
    cdef int64_t c
    for c in range(C):
        ip[c] = 1.0 / sqrt(vp[c] + eps)
        sp[c] = ip[c] * wp[c]
    cdef Tensor y = _empty(x._ndim, x._shape, dt, x._storage.device)
    with nogil:
        apply(cx._data, y._data, N, C, S, <double *>mean._data, sp, <double *>shift._data)
    _check_device(y)
    return y, mean, invstd, var


def _bn_backward(Tensor g, Tensor x, weight, Tensor mean, Tensor invstd, bint use_stats,
                 tuple needs):
    """The gradients (input, weight, bias) of _bn_forward for the output's
    gradient g; mean and invstd are what the forward used. Entries that
    `needs` does not ask for are None."""
    cdef int64_t N, C, S
    _dims(x, &N, &C, &S)
    cdef Py_ssize_t c_ = C
    cdef DType dt = x._dtype
    cdef Tensor cx = _contig(x, dt)
    cdef Tensor cg = _contig(g, dt)
    cdef Tensor sg = _empty(1, &c_, t_float64), sgx = _empty(1, &c_, t_float64)
    cdef const ct_backend *B = cx._storage.backend
    cdef ct_bn_bwd_reduce_fn red = B.bn_bwd_reduce[dt._code]
    cdef ct_bn_bwd_apply_fn app = B.bn_bwd_apply[dt._code]
    cdef double *scratch = <double *>malloc(sizeof(double) * (2 * N * C + 1))
    if scratch == NULL:
        raise MemoryError()
    cdef double *mp = <double *>mean._data
    with nogil:
        red(cg._data, cx._data, N, C, S, mp, <double *>sg._data, <double *>sgx._data, scratch)
    free(scratch)
    cdef double *ip = <double *>invstd._data
    cdef double *gp = <double *>sg._data
    cdef double *gxp = <double *>sgx._data
    cdef Tensor w = _vec64(weight, C, 1.0)
    cdef double *wp = <double *>w._data
    cdef Tensor dx = None, dw = None, db = None
    cdef Tensor a, b, d
    cdef double *ap
    cdef double *bp
    cdef double *dp
    cdef double M = <double>(N * S)
    cdef int64_t c
    if needs[0]:
        a = _empty(1, &c_, t_float64)
        b = _empty(1, &c_, t_float64)
        d = _empty(1, &c_, t_float64)
        ap, bp, dp = <double *>a._data, <double *>b._data, <double *>d._data
        for c in range(C):
            ap[c] = wp[c] * ip[c]
            if use_stats:
                # dx = w invstd (g - mean(g) - xhat mean(g xhat))
                bp[c] = -ap[c] * ip[c] * ip[c] * gxp[c] / M
                dp[c] = -ap[c] * gp[c] / M
            else:
                bp[c] = 0.0
                dp[c] = 0.0
        dx = _empty(x._ndim, x._shape, dt, x._storage.device)
        with nogil:
            app(cg._data, cx._data, dx._data, N, C, S, mp, ap, bp, dp)
        _check_device(dx)
    if needs[1]:
        dw = _empty(1, &c_, t_float64)
        for c in range(C):
            (<double *>dw._data)[c] = gxp[c] * ip[c]
    if needs[2]:
        db = sg
    return dx, dw, db


# ------------------------------------------------------------ layer normalisation

def _ln_has_kernels(Tensor x):
    cdef const ct_backend *B = x._storage.backend
    return (B.ln_fwd != NULL and B.ln_bwd != NULL and B.ln_fwd[x._dtype._code] != NULL
            and B.ln_bwd[x._dtype._code] != NULL)


def _ln_forward(Tensor x, weight, bias, Py_ssize_t n, double eps):
    """(y, mean, rstd): x's rows of its last n elements normalised, scaled by
    weight and shifted by bias (None: not); mean and rstd float64, one per
    row. x is float32 or float64 on a device with the kernels."""
    cdef DType dt = x._dtype
    cdef Tensor cx = _contig(x, dt)
    cdef Py_ssize_t M = cx._numel // n if n else 0
    cdef Tensor w = None if weight is None else _contig(<Tensor>weight, dt)
    cdef Tensor b = None if bias is None else _contig(<Tensor>bias, dt)
    cdef Tensor y = _empty_like(cx, dt)
    cdef Tensor mean = _empty(1, &M, t_float64), rstd = _empty(1, &M, t_float64)
    cdef ct_ln_fwd_fn f = cx._storage.backend.ln_fwd[dt._code]
    cdef const void *wp = _data_or_null(w)
    cdef const void *bp = _data_or_null(b)
    with nogil:
        f(cx._data, wp, bp, y._data, <double *>mean._data, <double *>rstd._data, M, n, eps)
    _check_device(y)
    return y, mean, rstd


def _ln_backward(Tensor g, Tensor x, weight, Tensor mean, Tensor rstd, Py_ssize_t n, tuple needs):
    """(dx, dw, db) of _ln_forward for the output's gradient g; entries that
    `needs` does not ask for are None. dw and db come back in x's dtype."""
    cdef DType dt = x._dtype
    cdef Tensor cx = _contig(x, dt)
    cdef Tensor cg = _contig(g, dt)
    cdef Py_ssize_t M = cx._numel // n if n else 0
    cdef Tensor w = None if weight is None else _contig(<Tensor>weight, dt)
    cdef Tensor dx, dw, db
    dx, dw, db = _norm_grad_buffers(cx, n, needs)
    cdef ct_ln_bwd_fn f = cx._storage.backend.ln_bwd[dt._code]
    cdef const void *wp = _data_or_null(w)
    cdef void *dxp = _data_or_null(dx)
    cdef double *dwp = <double *>_data_or_null(dw)
    cdef double *dbp = <double *>_data_or_null(db)
    with nogil:
        f(cg._data, cx._data, wp, <double *>mean._data, <double *>rstd._data, dxp, dwp, dbp, M, n)
    _check_device(cx)
    return _norm_grads(dx, dw, db, dt)


cdef tuple _norm_grad_buffers(Tensor cx, Py_ssize_t C, tuple needs):
    """A normalisation backward's (dx, dw, db) buffers: dx like cx, dw and db
    C float64 sums each; None for those `needs` does not ask for."""
    cdef Tensor dx = _empty_like(cx, cx._dtype) if needs[0] else None
    cdef Tensor dw = _empty(1, &C, t_float64) if len(needs) > 1 and needs[1] else None
    cdef Tensor db = _empty(1, &C, t_float64) if len(needs) > 2 and needs[2] else None
    return dx, dw, db


cdef tuple _norm_grads(dx, dw, db, DType dt):
    """(dx, dw, db) with the float64 sums dw and db in dtype dt."""
    return dx, None if dw is None else _cast(dw, dt), None if db is None else _cast(db, dt)


# ------------------------------------------------------------ group normalisation

def _gn_has_kernels(Tensor x):
    cdef const ct_backend *B = x._storage.backend
    return (B.gn_fwd != NULL and B.gn_bwd != NULL and B.gn_fwd[x._dtype._code] != NULL
            and B.gn_bwd[x._dtype._code] != NULL)


def _gn_forward(Tensor x, weight, bias, Py_ssize_t G, double eps):
    """(y, mean, rstd): x (N, C, ...) normalised over each sample's G groups of
    channels, scaled by weight and shifted by bias (C values each; None: not);
    mean and rstd float64, (N, G). x is float32 or float64 on a device with
    the kernels."""
    cdef DType dt = x._dtype
    cdef Tensor cx = _contig(x, dt)
    cdef Py_ssize_t N = cx._shape[0], C = cx._shape[1]
    cdef Py_ssize_t S = cx._numel // (N * C) if N * C else 0
    cdef Py_ssize_t NG = N * G
    cdef Tensor w = None if weight is None else _contig(<Tensor>weight, dt)
    cdef Tensor b = None if bias is None else _contig(<Tensor>bias, dt)
    cdef Tensor y = _empty_like(cx, dt)
    cdef Tensor mean = _empty(1, &NG, t_float64), rstd = _empty(1, &NG, t_float64)
    cdef ct_gn_fwd_fn f = cx._storage.backend.gn_fwd[dt._code]
    cdef const void *wp = _data_or_null(w)
    cdef const void *bp = _data_or_null(b)
    with nogil:
        f(cx._data, wp, bp, y._data, <double *>mean._data, <double *>rstd._data, N, C, S, G, eps)
    _check_device(y)
    return y, mean, rstd


def _gn_backward(Tensor g, Tensor x, weight, Tensor mean, Tensor rstd, Py_ssize_t G, tuple needs):
    """(dx, dw, db) of _gn_forward for the output's gradient g; entries that
    `needs` does not ask for are None. dw and db come back in x's dtype."""
    cdef DType dt = x._dtype
    cdef Tensor cx = _contig(x, dt)
    cdef Tensor cg = _contig(g, dt)
    cdef Py_ssize_t N = cx._shape[0], C = cx._shape[1]
    cdef Py_ssize_t S = cx._numel // (N * C) if N * C else 0
    cdef Py_ssize_t NC2 = 2 * N * C
    cdef Tensor w = None if weight is None else _contig(<Tensor>weight, dt)
    cdef Tensor dx, dw, db
    dx, dw, db = _norm_grad_buffers(cx, C, needs)
    cdef Tensor sums = _empty(1, &NC2, t_float64)
    cdef ct_gn_bwd_fn f = cx._storage.backend.gn_bwd[dt._code]
    cdef const void *wp = _data_or_null(w)
    cdef void *dxp = _data_or_null(dx)
    cdef double *dwp = <double *>_data_or_null(dw)
    cdef double *dbp = <double *>_data_or_null(db)
    with nogil:
        f(cg._data, cx._data, wp, <double *>mean._data, <double *>rstd._data, dxp, dwp, dbp,
          N, C, S, G, <double *>sums._data)
    _check_device(cx)
    return _norm_grads(dx, dw, db, dt)


def _lstm_bwd(Tensor a, Tensor g, Tensor cp, Tensor tc, Tensor dh, Tensor dc):
    """(dg, dcp): an LSTM step's gate gradients (4H, B) and its previous cell
    state's (H, B) from the saved a (4H, B), g, cp, tc and the gradients dh,
    dc (H, B), by the backend's fused kernel; None where it has none for
    a's dtype (the caller then runs the ops one at a time)."""
    cdef DType dt = a._dtype
    cdef const ct_backend *B = a._storage.backend
    if B.lstm_bwd == NULL or B.lstm_bwd[dt._code] == NULL:
        return None
    cdef Tensor ca = _contig(a, dt), cg = _contig(g, dt), ccp = _contig(cp, dt)
    cdef Tensor ctc = _contig(tc, dt), cdh = _contig(dh, dt), cdc = _contig(dc, dt)
    cdef int64_t hb = cg._numel
    if (ca._numel != 4 * hb or ccp._numel != hb or ctc._numel != hb or cdh._numel != hb
            or cdc._numel != hb):
        return None
    cdef Tensor dg = _empty_like(ca, dt), dcp = _empty_like(cg, dt)
    cdef ct_lstm_bwd_fn f = B.lstm_bwd[dt._code]
    with nogil:
        f(hb, ca._data, cg._data, ccp._data, ctc._data, cdh._data, cdc._data, dg._data, dcp._data)
    _check_device(dg)
    return dg, dcp


def _lstm_fwd(Tensor gt, Tensor c):
    """(h', c', (a, g, c, tc)) of an LSTM step from the pre-activation gates
    gt (4H, B) and the cell state c (H, B), by the backend's fused kernel;
    None where it has none for gt's dtype (the caller then runs the ops one
    at a time)."""
    cdef DType dt = gt._dtype
    cdef const ct_backend *B = gt._storage.backend
    if B.lstm_fwd == NULL or B.lstm_fwd[dt._code] == NULL or c._dtype is not dt:
        return None
    cdef Tensor cg = _contig(gt, dt), cc = _contig(c, dt)
    cdef int64_t hb = cc._numel
    if cg._numel != 4 * hb or cg._ndim != 2:
        return None
    cdef Tensor a = _empty_like(cg, dt), g = _empty_like(cc, dt), cy = _empty_like(cc, dt)
    cdef Tensor tc = _empty_like(cc, dt), hy = _empty_like(cc, dt)
    cdef ct_lstm_fwd_fn f = B.lstm_fwd[dt._code]
    with nogil:
        f(hb, cg._data, cc._data, a._data, g._data, cy._data, tc._data, hy._data)
    _check_device(a)
    return hy, cy, (a, g, c, tc)


# ------------------------------------------------------ whole LSTM layers

from ctorch._core.dispatch cimport ensure_gemm


def _lstm_seq_ok(Tensor x):
    """Whether x's backend runs whole LSTM layers for its dtype."""
    cdef const ct_backend *B = x._storage.backend
    cdef int c = x._dtype._code
    return (B.lstm_seq_fwd != NULL and B.lstm_seq_bwd != NULL and B.gemm != NULL
            and (c == CT_FLOAT32 or c == CT_FLOAT64))


def _lstm_seq_fwd(Tensor x, Tensor w_ih, Tensor w_hh, bias, Tensor h0, Tensor c0, bint reverse,
                  bint save):
    """One direction of one LSTM layer over the steps of x (T, B, I) from h0,
    c0 (B, H), bias (4H: b_ih + b_hh) or None: (out, cs, saved) with each
    step's h and c (T, B, H) and, when save, (a, tc) for the backward: the
    activated gates (T, B, 4H: sigmoid of the i, f, o blocks, tanh of the
    cell block) and tanh(c) (else None)."""
    cdef DType dt = x._dtype
    cdef const ct_backend *B = x._storage.backend
    ensure_gemm(B)
    cdef Py_ssize_t T = x._shape[0], Bn = x._shape[1], I = x._shape[2], H = h0._shape[1]
    cdef Tensor cx = _contig(x, dt)
    cdef Tensor wih_t = _dense_copy(w_ih.t()), whh_t = _dense_copy(w_hh.t())
    cdef Tensor ch0 = _contig(h0, dt), cc0 = _contig(c0, dt)
    cdef Tensor cb = None if bias is None else _contig(<Tensor>bias, dt)
    cdef const char *bp = _data_or_null(cb)
    cdef Py_ssize_t s3[3]
    s3[0] = T; s3[1] = Bn; s3[2] = H
    cdef Tensor out = _empty(3, s3, dt, x._storage.device)
    cdef Tensor cs = _empty(3, s3, dt, x._storage.device)
    if not save:
        s3[0] = 1
    cdef Tensor tc = _empty(3, s3, dt, x._storage.device)
    if not save:
        s3[0] = min(T, B.lstm_seq_block(Bn))
    s3[2] = 4 * H
    cdef Tensor gates = _empty(3, s3, dt, x._storage.device)
    cdef int rc
    with nogil:
        rc = B.lstm_seq_fwd(dt._code, T, Bn, H, I, cx._data, wih_t._data, bp, whh_t._data,
                            ch0._data, cc0._data, gates._data, out._data, cs._data, tc._data,
                            save, reverse)
    if rc:
        raise RuntimeError("lstm: no sequence kernel for this dtype")
    _check_device(out)
    return out, cs, ((gates, tc) if save else None)


def _lstm_seq_bwd(Tensor dout, Tensor dhn, Tensor dcn, Tensor a, Tensor tc, Tensor cs, Tensor c0,
                  Tensor w_hh, bint reverse):
    """The backward of _lstm_seq_fwd: (dg (T, B, 4H), dh0, dc0) from the
    gradients of out, h_n and c_n and what the forward left: the activated
    gates a, tc and cs."""
    cdef DType dt = a._dtype
    cdef const ct_backend *B = a._storage.backend
    ensure_gemm(B)
    cdef Py_ssize_t T = a._shape[0], Bn = a._shape[1], H = tc._shape[2]
    cdef Tensor cdo = _contig(dout, dt), cdh = _contig(dhn, dt), cdc = _contig(dcn, dt)
    cdef Tensor cc0 = _contig(c0, dt), cw = _contig(w_hh, dt)
    cdef Tensor dg = _empty_like(a, dt), dh0 = _empty_like(cdh, dt), dc0 = _empty_like(cdc, dt)
    cdef int rc
    with nogil:
        rc = B.lstm_seq_bwd(dt._code, T, Bn, H, cdo._data, cdh._data, cdc._data, a._data,
                            tc._data, cs._data, cc0._data, cw._data, dg._data, dh0._data,
                            dc0._data, reverse)
    if rc:
        raise MemoryError("out of memory in an LSTM backward")
    _check_device(dg)
    return dg, dh0, dc0
