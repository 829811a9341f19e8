"""torch.fft: discrete Fourier transforms.

On the CPU, transforms whose lengths have no prime factor above 5 run in the
backend's own kernels (ctorch/_kernels/fft.c, through
ctorch._ops.fft_device), in the tensors' precision: rows along the last dim
(a 1-d transform of a dense tensor without n or out= takes one short call,
fft_device.rows_fast; with n the rows are first cropped or zero-padded to
the transform's input length; a long row runs the backend's four-step
transform, a batch of short ones goes several rows to a vector), and the other dims of an
n-d transform (or a 1-d one along another dim) along the middle dim of the
tensor seen as (outer, n, inner), the inner columns vectorised (the
backend's fft_c2c_dim, which also applies the norm's scale), when nothing is
cropped or padded and the inner dims have enough columns (fftn / ifftn /
rfftn of a dense tensor without s, out= or a gradient take all their passes
in one short call, fft_device.nd_fast). The other
transforms run in pocketfft (scipy.fft's binding, which computes float32 and
complex64 natively and shares a batch of transforms between threads) on the
tensors' memory: the input goes in as a numpy view, and the result is
written into the memory of a new tensor (or of a dense `out=` tensor that
does not overlap the input). Long 1-d transforms there (a length with a
larger prime factor) are split in two passes of short ones, shared between
threads (a long rfft goes through a complex transform of half its length).

Three kinds of transform, as in PyTorch: complex-to-complex (FftC2C),
real-to-complex one-sided (FftR2C) and complex-to-real (FftC2R). Their
backward formulas (the derivatives table's fft_* entries, which call the
adjoints below) are transforms themselves, written with these functions, so
that they can be differentiated again. With the gradient convention
grad = dL/dRe + i dL/dIm, the gradient of a linear map is its adjoint:
- C2C: the transform in the other direction with the same scale factor;
- R2C: zero-fill the missing half of the spectrum, C2C adjoint, real part;
- C2R: R2C of the gradient, entries that stand for a conjugate pair counted twice.

On a device (a CUDA tensor) the transforms run in the device's own kernels
(the backend's fft_c2c entry, reached through ctorch._ops.fft_device): each
dim in turn is moved last and made dense, padded or cropped to its length,
and its rows transformed complex-to-complex; a one-sided (R2C) spectrum is
the full one cropped to n // 2 + 1, a C2R transform rebuilds the Hermitian
full spectrum (the conjugate mirror of the given half) and keeps the real
part of its inverse, and the normalisation is a multiply. Everything stays
on the device, and the backward formulas above are the same calls.
"""
import operator as _operator
import sys as _sys
import warnings as _warnings

from ctorch._core.dispatch import get_num_threads as _get_num_threads
from ctorch._core.dtype import (
    _scalar_name, get_default_dtype as _get_default_dtype, complex64 as _complex64, float32 as _float32,
    float64 as _float64,
)
from ctorch._core.tensor import Tensor, _bump_version, from_numpy as _from_numpy
from ctorch._core.iterator import _same_device_py
from ctorch._ops.complex import conj as _conj
from ctorch._ops.fft_device import (
    c2c_rows as _c2c_rows, r2c_rows as _r2c_rows, c2r_rows as _c2r_rows, c2c_dim as _c2c_dim,
    rows_fast as _rows_fast, smooth_length as _smooth_length, hermitian as _hermitian,
    nd_fast as _nd_fast, dim_ok as _dim_ok,
)
from ctorch._ops.creation import arange as _arange, empty as _empty, full as _full, zeros as _zeros
from ctorch._ops.shape import cat as _cat, roll as _roll
from ctorch.autograd.grad_mode import no_grad as _no_grad
from ctorch.autograd._node import _record, is_grad_enabled as _is_grad_enabled

__all__ = ["fft", "ifft", "rfft", "irfft", "fft2", "ifft2", "rfft2", "irfft2", "fftn", "ifftn",
           "rfftn", "irfftn", "hfft", "ihfft", "hfft2", "ihfft2", "hfftn", "ihfftn",
           "fftfreq", "rfftfreq", "fftshift", "ifftshift"]

_NORMS = ("backward", "forward", "ortho")
# the adjoint of a transform scaled one way is the opposite transform scaled the same way
_SWAP = {"backward": "forward", "forward": "backward", "ortho": "ortho"}


# ------------------------------------------------------------ argument checks

_REAL_ONLY_MSG = {
    "rfftn": "rfftn expects a real-valued input tensor, but got {t}",
    "rfft2": "rfftn expects a real-valued input tensor, but got {t}",
    "ihfftn": "Only supports floating-point dtypes, but found: {t}",
    "ihfft2": "Only supports floating-point dtypes, but found: {t}",
}

def _input(x, fname, real_only=False):
    """x as a float or complex tensor (integers and bool go to the default dtype)."""
    if not isinstance(x, Tensor):
        raise TypeError(f"fft_{fname}(): argument 'input' (position 1) must be Tensor, "
                        f"not {type(x).__name__}")
    dt = x.dtype
    if _scalar_name(dt) in ("Half", "BFloat16"):
        raise RuntimeError(f"Unsupported dtype {_scalar_name(dt)}")
    if dt.is_complex:
        if real_only:
            raise RuntimeError(_REAL_ONLY_MSG.get(fname, "{f} expects a real input tensor, but got {t}")
                               .format(f=fname, t=_scalar_name(dt)))
        return x
    if not dt.is_floating_point:
        return x.to(_get_default_dtype())
    return x


def _norm(norm):
    if norm is None:
        return "backward"
    if norm not in _NORMS:
        raise RuntimeError(f'Invalid normalization mode: "{norm}"')
    return norm


def _int_arg(v, fname, argname):
    if isinstance(v, bool) or not hasattr(v, "__index__"):
        raise TypeError(f"fft_{fname}(): argument '{argname}' must be int, not {type(v).__name__}")
    v = _operator.index(v)
    if not -2**63 <= v < 2**63:
        raise ValueError("Overflow when unpacking long long")
    return v


def _wrap(d, ndim):
    d = _operator.index(d)
    if not -2**63 <= d < 2**63:
        raise ValueError("Overflow when unpacking long long")
    if ndim == 0:
        raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
    if d < -ndim or d >= ndim:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-ndim}, {ndim - 1}], "
                         f"but got {d})")
    return d + ndim if d < 0 else d


def _check_n(n):
    if not n < 2**63:
        raise ValueError("Overflow when unpacking long long")
    if n < 1:
        raise RuntimeError(f"Invalid number of data points ({n}) specified")
    return n


def _dims_1d(x, n, dim, fname):
    ndim = x.dim()
    if type(dim) is int and -ndim <= dim < ndim:
        d = dim + ndim if dim < 0 else dim
    else:
        d = _wrap(_int_arg(dim, fname, "dim"), ndim)
    if n is not None:
        n = _check_n(_int_arg(n, fname, "n"))
    return d, n


def _dims_nd(x, s, dim, fname):
    """(dims, sizes) of an n-d transform; a size is None where the input's is kept."""
    ndim = x.dim()
    if s is not None:
        s = [_int_arg(v, fname, "s") for v in (s if isinstance(s, (list, tuple)) else [s])]
    if dim is not None:
        dims = [_wrap(d, ndim) for d in (dim if isinstance(dim, (list, tuple)) else [dim])]
        if s is not None and len(s) != len(dims):
            raise RuntimeError("When given, dim and shape arguments must have the same length")
    elif s is not None:
        if len(s) > ndim:
            raise RuntimeError(f"Got shape with {len(s)} values but input tensor only has {ndim} dimensions.")
        dims = list(range(ndim - len(s), ndim))
    else:
        dims = list(range(ndim))
    if len(set(dims)) != len(dims):
        raise RuntimeError("FFT dims must be unique")
    sizes = [None] * len(dims) if s is None else [None if v == -1 else _check_n(v) for v in s]
    return dims, sizes


# ------------------------------------------------------------ the transforms

def _resized(t, dims, sizes):
    """t cropped or zero-padded at the end of each dim in dims to sizes."""
    for d, n in zip(dims, sizes):
        have = t.shape[d]
        if n < have:
            t = t.narrow(d, 0, n)
        elif n > have:
            shape = list(t.shape)
            shape[d] = n - have
            t = _cat([t, _zeros(shape, dtype=t.dtype, device=t.device)], d)
    return t


def _numpy_out(out, shape, dtype):
    """out's memory as an array pocketfft can write into, or None."""
    if (not isinstance(out, Tensor) or tuple(out.shape) != tuple(shape) or out.dtype != dtype
            or not out.is_contiguous()):
        return None
    return out.detach().numpy()


# ------------------------------------------------- long 1-d transforms
#
# (in pocketfft: the lengths the backend's transforms do not take, whose
# own long rows run the same steps in ctorch/_kernels/fft.c)
# A long transform is split the "four-step" way, n = n1 * n2: n2 transforms
# of length n1 down the columns of x seen as an (n1, n2) matrix, a twiddle
# factor per element, n1 transforms of length n2 along the rows, and the
# matrix read transposed. The short transforms stay in cache, and each pass
# is shared between threads (pocketfft lets go of the GIL). The matrix is
# worked on in place in a buffer whose rows are a little longer than n2: with
# a power-of-two row stride the column pass would read addresses that compete
# for the same cache sets.

_FOUR_STEP_MIN = 1 << 16
_TWIDDLES = {}
_POOL = []


def _split(n):
    """(n1, n2) with n1 * n2 = n, n1 the largest divisor <= sqrt(n); None when
    n1 would be too short to pay."""
    n1 = int(n ** 0.5)
    while n1 > 1 and n % n1:
        n1 -= 1
    return (n1, n // n1) if n1 >= 64 else None


def _twiddles(np, n1, n2, forward, scale, dtype):
    """w[k1, j2] = exp(-+2 pi i k1 j2 / n) * scale, computed in double."""
    key = (n1, n2, forward, scale, dtype)
    w = _TWIDDLES.get(key)
    if w is None:
        k = np.outer(np.arange(n1, dtype=np.float64), np.arange(n2, dtype=np.float64))
        w = (scale * np.exp(((-2j if forward else 2j) * np.pi / (n1 * n2)) * k)).astype(dtype)
        if len(_TWIDDLES) >= 8:
            _TWIDDLES.clear()
        _TWIDDLES[key] = w
    return w


def _parallel(fn, n, threads):
    """fn(lo, hi) over [0, n) cut into one piece per thread (numpy lets go
    of the GIL)."""
    if threads <= 1:
        fn(0, n)
        return
    if not _POOL or _POOL[0][0] != threads:
        from concurrent.futures import ThreadPoolExecutor
        _POOL[:] = [(threads, ThreadPoolExecutor(threads))]
    cuts = [n * i // threads for i in range(threads + 1)]
    for f in [_POOL[0][1].submit(fn, cuts[i], cuts[i + 1]) for i in range(threads)]:
        f.result()


def _four_step(pp, a, forward, norm, dtype, workers, out=None):
    """The c2c transform of 1-d complex array a (length n, split by _split)
    as a new tensor, or written into out (dense, not overlapping a)."""
    import numpy as np
    n = a.shape[0]
    n1, n2 = _split(n)
    scale = _norm_scale(norm, not forward, n)
    w = _twiddles(np, n1, n2, forward, scale, str(dtype).rsplit(".", 1)[-1])
    pad = 128 // w.itemsize
    m = np.empty((n1, n2 + pad), dtype=w.dtype)[:, :n2]
    src = a.reshape(n1, n2)

    def columns(lo, hi):
        # no scaling inside: it rides on the twiddles
        c = m[:, lo:hi]
        np.copyto(c, src[:, lo:hi])
        pp.c2c(c, (0,), forward, 0, c, 1)
        np.multiply(c, w[:, lo:hi], out=c)

    def rows(lo, hi):
        pp.c2c(m[lo:hi], (1,), forward, 0, m[lo:hi], 1)

    _parallel(columns, n2, workers)
    _parallel(rows, n1, workers)
    res = _empty(n, dtype=dtype) if out is None else out
    with _no_grad():
        res.view(n2, n1).copy_(_from_numpy(m).t())    # X[k1 + n1 * k2] = m[k1, k2]
    return res


def _rfft_by_half(pp, a, norm, dtype, workers):
    """rfft of real a (even length n = 2m, m split by _split): the even and
    odd samples are the real and imaginary parts of one complex signal of
    length m, transformed four-step; the spectra of both halves are then
    separated and combined, X[k] = A[k] Z[k] + B[k] conj(Z[m - k])."""
    import numpy as np
    n = a.shape[0]
    m = n // 2
    scale = _norm_scale(norm, False, n)
    name = str(dtype).rsplit(".", 1)[-1]
    key = ("rfft", n, scale, name)
    ab = _TWIDDLES.get(key)
    if ab is None:
        tw = np.exp((-2j * np.pi / n) * np.arange(m + 1))
        ab = ((0.5 * scale * (1 - 1j * tw)).astype(name), (0.5 * scale * (1 + 1j * tw)).astype(name))
        if len(_TWIDDLES) >= 8:
            _TWIDDLES.clear()
        _TWIDDLES[key] = ab
    A, B = ab
    if not a.flags.c_contiguous:
        a = np.ascontiguousarray(a)
    z = _four_step(pp, a.view(np.complex64 if a.dtype == np.float32 else np.complex128), True, "backward",
                   dtype, workers).numpy()
    res = _empty(m + 1, dtype=dtype)
    X = res.numpy()

    def combine(lo, hi):
        # k in [lo, hi) of 1 .. m-1; conj(Z[m - k]) read backwards
        lo, hi = lo + 1, hi + 1
        X[lo:hi] = A[lo:hi] * z[lo:hi] + B[lo:hi] * np.conj(z[m - hi + 1:m - lo + 1][::-1])

    _parallel(combine, m - 1, workers)
    X[0] = A[0] * z[0] + B[0] * np.conj(z[0])
    X[m] = A[m] * z[0] + B[m] * np.conj(z[0])
    return res


def _compute(name, x, dims, sizes, norm, res_dtype, out, conj=False):
    """The transform `name` (fft, ifft, rfft, irfft) of x over dims, in
    pocketfft over x's memory, or on a device its kernels (_run_device); the
    result tensor (out itself when the transform was written into it), the
    transform lengths and x's sizes along dims.
    conj (irfft on the CPU only): transform the conjugate of x."""
    shape = list(x.size())
    in_sizes = [shape[d] for d in dims]
    kind_c2r = name == "irfft"
    last = len(dims) - 1
    for k, d in enumerate(dims):
        n = sizes[k]
        if n is not None:
            shape[d] = n
        elif kind_c2r and k == last:
            shape[d] = 2 * (shape[d] - 1)
    n_list = [_check_n(shape[d]) for d in dims]
    full = shape
    if name == "rfft":
        full = list(shape)
        full[dims[-1]] = full[dims[-1]] // 2 + 1
    total = 1
    for n in full:
        total *= n
    if total == 0 or x.numel() == 0:
        return _zeros(full, dtype=res_dtype, device=x.device), n_list, in_sizes
    if total * res_dtype.itemsize > _sys.maxsize:
        raise RuntimeError(f"Storage size calculation overflowed with sizes={full}")
    if x.device.type != "cpu":
        r, n_list = _run_device(name, x.detach(), dims, n_list, norm, res_dtype)
        return r, n_list, in_sizes
    if len(dims) == 1 and dims[0] == len(shape) - 1:
        # dense rows: the CPU backend's own transforms, the input first
        # cropped or zero-padded to the transform's length (n given) where
        # it differs
        n = n_list[0]
        c2c = name == "fft" or name == "ifft"
        if (_smooth_length(n) and x.dtype is res_dtype) if c2c else (
                n % 2 == 0 and _smooth_length(n // 2) and (name == "rfft" or x.dtype.is_complex)):
            want = n // 2 + 1 if name == "irfft" else n
            xin = x
            if in_sizes[0] != want:
                with _no_grad():
                    xin = _resized(x.detach(), dims, [want]).contiguous()
            if xin.is_contiguous():
                scale = _norm_scale(norm, name == "irfft" or name == "ifft", n)
                if c2c:
                    # fft_c2c_dim with no columns after the dim: scaled rows
                    return _c2c_dim(xin, len(shape) - 1, name == "ifft", scale), n_list, in_sizes
                if name == "rfft":
                    return _r2c_rows(xin, n, scale), n_list, in_sizes
                return _c2r_rows(xin, n, conj, scale), n_list, in_sizes
    if (name == "fft" and len(dims) > 1 and n_list == in_sizes and x.dtype in (_float32, _float64)
            and res_dtype is x.dtype.to_complex()):
        # a real input: the one-sided transform in the CPU backend's
        # transforms, the other half its conjugate mirror
        h = _own_nd("rfft", x, dims, n_list, in_sizes, shape, norm, res_dtype, False)
        if h is not None:
            return _hermitian(h, dims, n_list[-1]), n_list, in_sizes
    if len(dims) > 1 or dims[0] != len(shape) - 1:
        r = _own_nd(name, x, dims, n_list, in_sizes, shape, norm, res_dtype, conj)
        if r is not None:
            return r, n_list, in_sizes
    if (name == "rfft" and len(dims) > 1 and dims[-1] == len(shape) - 1 and n_list == in_sizes
            and n_list[-1] % 2 == 0 and _smooth_length(n_list[-1] // 2)
            and x.is_contiguous()):
        pp = _pocketfft()
        if pp is not None:
            # the one-sided rows in the CPU backend's transform (scaled for
            # all the dims), then pocketfft over the other dims in place
            prod = 1
            for n in n_list:
                prod *= n
            scale = _norm_scale(norm, False, prod)
            r = _r2c_rows(x, n_list[-1], scale)
            o = r.numpy()
            pp.c2c(o, dims[:-1], True, 0, o, _get_num_threads())
            return r, n_list, in_sizes
    a = x.numpy(force=True)
    try:
        pp = _pocketfft()
        if pp is None:
            import scipy.fft as spfft          # not at import time: `import ctorch` stays light
            if conj:
                a = a.conj()
            return _run_scipy(name, a, x, dims, full, shape, norm, res_dtype, out, spfft), n_list, in_sizes
        return _run_pocketfft(pp, name, a, dims, full, n_list, norm, res_dtype, out, conj), n_list, in_sizes
    except MemoryError:
        # numpy's allocation failed: PyTorch's allocator error (a RuntimeError)
        raise RuntimeError(f"DefaultCPUAllocator: can't allocate memory: you tried to allocate "
                           f"{total * res_dtype.itemsize} bytes.") from None


def _own_nd(name, x, dims, n_list, in_sizes, shape, norm, res_dtype, conj):
    """The transform `name` of dense CPU tensor x over dims, wholly in the CPU
    backend's transforms (rows along the last dim, fft_c2c_dim along the
    others, the scale applied in the last pass), or None where they do not
    take it: no cropping or padding, every length's prime factors 2, 3
    and 5, every other dim with enough columns. The 1-d transforms along
    the last dim are not taken here."""
    nd = len(shape)
    last = nd - 1
    if not x.is_contiguous():
        return None
    if name == "fft" or name == "ifft":
        if n_list != in_sizes or x.dtype is not res_dtype:
            return None
        others = [d for d in dims if d != last]
        if not others:
            return None
        rows_n = n_list[dims.index(last)] if last in dims else 0
    else:
        others = dims[:-1]
        n = n_list[-1]
        if not others or dims[-1] != last:
            return None
        if n % 2 or n_list[:-1] != in_sizes[:-1]:
            return None
        if name == "rfft":
            if in_sizes[-1] != n:
                return None
        elif not x.dtype.is_complex or in_sizes[-1] != n // 2 + 1:
            return None
        rows_n = n
    total = 1
    for v in n_list:
        total *= v
    if rows_n:
        if not _smooth_length(rows_n if name == "fft" or name == "ifft" else rows_n // 2):
            return None
    # the dims' sizes where the column transforms run: the one-sided last
    # dim of an rfft's result, the input's for the others
    cols = list(shape)
    if name != "fft" and name != "ifft":
        cols[last] = n_list[-1] // 2 + 1
    itemsize = (res_dtype if res_dtype.is_complex else x.dtype).itemsize
    for d in others:
        if not _dim_ok(cols, d, shape[d], itemsize):
            return None
    inverse = name == "ifft" or name == "irfft"
    scale = _norm_scale(norm, inverse, total)
    if name == "rfft":
        r = _r2c_rows(x, n_list[-1], scale)
        for d in others:
            _c2c_dim(r, d, False, 1.0, r)
        return r
    if name == "irfft":
        # the column transforms of the conjugate (conj) are the conjugates
        # of the forward ones, which c2r's conj flag takes back
        t, src = None, x
        for d in others:
            t = _c2c_dim(src, d, not conj, 1.0, t)
            src = t
        return _c2r_rows(t, n_list[-1], conj, scale)
    r, src = None, x
    if rows_n:
        r = src = _c2c_rows(x, rows_n, inverse)
    for i, d in enumerate(others):
        r = _c2c_dim(src, d, inverse, scale if i == len(others) - 1 else 1.0, r)
        src = r
    return r


_PP = []


def _load_pocketfft():
    """scipy.fft's pocketfft binding (its c2c / r2c / c2r entries, which
    write into a given array), or None where this scipy has none."""
    try:
        from scipy.fft._pocketfft import pypocketfft as pp
        if not all(hasattr(pp, f) for f in ("c2c", "r2c", "c2r")):
            pp = None
    except ImportError:
        pp = None
    _PP[:] = [pp]
    return pp


def _inorm(norm, inverse):
    """pocketfft's normalisation code: 0 none, 1 1/sqrt(N), 2 1/N."""
    if norm == "ortho":
        return 1
    return 2 if (norm == "forward") != inverse else 0


def _norm_scale(norm, inverse, n):
    """The factor of a transform of n points under norm: 1, n^-1/2 or 1/n."""
    return (1.0, n ** -0.5, 1.0 / n)[_inorm(norm, inverse)]


def _pocketfft():
    """scipy.fft's pocketfft binding, looked up once (None without one)."""
    return _PP[0] if _PP else _load_pocketfft()


def _fit(a, dims, lens):
    """numpy array a cropped (a view) or zero-padded (a copy) at the end of
    each dim in dims to lens."""
    for d, n in zip(dims, lens):
        have = a.shape[d]
        if n < have:
            a = a[(slice(None),) * d + (slice(0, n),)]
        elif n > have:
            import numpy as np
            shape = list(a.shape)
            shape[d] = n
            z = np.zeros(shape, dtype=a.dtype)
            z[(slice(None),) * d + (slice(0, have),)] = a
            a = z
    return a


def _run_pocketfft(pp, name, a, dims, full, n_list, norm, res_dtype, out, conj=False):
    """The transform written into a new tensor or into out's memory (out
    dense, of the result's shape and dtype, apart from a's); the tensor."""
    workers = _get_num_threads()
    o = None
    if out is not None:
        o = _numpy_out(out, full, res_dtype)
        if o is not None:
            import numpy as np
            if np.may_share_memory(o, a):
                o = None
    complex_in = a.dtype.kind == "c"
    if name == "fft" or name == "ifft":
        forward = name == "fft"
        if not complex_in and forward:
            return _fft_of_real(pp, a, dims, n_list, norm, res_dtype, out, o, workers)
        if (complex_in and a.ndim == 1 and n_list[0] == a.shape[0] and n_list[0] >= _FOUR_STEP_MIN
                and _split(n_list[0]) is not None):
            r = _four_step(pp, a, forward, norm, res_dtype, workers, out if o is not None else None)
            return r
        a = _fit(a, dims, n_list)
        if o is None:
            r = _empty(full, dtype=res_dtype)
            pp.c2c(a, dims, forward, _inorm(norm, not forward), r.numpy(), workers)
            return r
        pp.c2c(a, dims, forward, _inorm(norm, not forward), o, workers)
        return out
    if name == "rfft":
        if (a.ndim == 1 and n_list[0] == a.shape[0] and n_list[0] % 2 == 0
                and n_list[0] >= 2 * _FOUR_STEP_MIN and _split(n_list[0] // 2) is not None):
            r = _rfft_by_half(pp, a, norm, res_dtype, workers)
            if o is not None:
                out.copy_(r)
                return out
            return r
        a = _fit(a, dims, n_list)
        if o is None:
            r = _empty(full, dtype=res_dtype)
            pp.r2c(a, dims, True, _inorm(norm, False), r.numpy(), workers)
            return r
        pp.r2c(a, dims, True, _inorm(norm, False), o, workers)
        return out
    # irfft: the last dim holds n // 2 + 1 entries of the one-sided spectrum
    if not complex_in:
        a = a.astype("complex64" if a.dtype.itemsize == 4 else "complex128")
    lens = list(n_list)
    lens[-1] = lens[-1] // 2 + 1
    a = _fit(a, dims, lens)
    if o is None:
        r = _empty(full, dtype=res_dtype)
        pp.c2r(a, dims, n_list[-1], conj, _inorm(norm, True), r.numpy(), workers)
        return r
    pp.c2r(a, dims, n_list[-1], conj, _inorm(norm, True), o, workers)
    return out


def _fft_of_real(pp, a, dims, n_list, norm, res_dtype, out, o, workers):
    """fft of real a over dims as PyTorch computes it: the transform
    one-sided along the last of dims, then the other half as the conjugate
    mirror X[-k] = conj(X[k]) (half the work of a complex transform, and
    PyTorch's signs of zero)."""
    a = _fit(a, dims, n_list)
    if o is None:
        r = _empty(list(a.shape), dtype=res_dtype)
        o = r.numpy()
    else:
        r = out
    d, n = dims[-1], n_list[-1]
    pp.r2c(a, tuple(dims), True, _inorm(norm, False),
           o[(slice(None),) * d + (slice(0, n // 2 + 1),)], workers)
    _mirror_fill(o, dims, n)
    return r


def _mirror_fill(o, dims, n):
    """o (a numpy array) holds the transform of a real input over dims in its
    first n // 2 + 1 entries along the last of them (of length n): the rest
    written as X[k] = conj(X[-k mod n_d in every d of dims]). Along each other
    dim, index 0 mirrors to itself and 1.. to the reversed n_d - 1.., so the
    fill is one conjugating copy per choice of those two parts."""
    import numpy as np
    d = dims[-1]
    h = n // 2 + 1
    k = n - h
    if not k:
        return
    others = list(dims[:-1])
    for mask in range(1 << len(others)):
        dst = [slice(None)] * o.ndim
        src = [slice(None)] * o.ndim
        dst[d] = slice(h, n)
        src[d] = slice(k, 0, -1)
        empty = False
        for j, e in enumerate(others):
            if mask >> j & 1:
                if o.shape[e] < 2:
                    empty = True
                    break
                dst[e] = slice(1, None)
                src[e] = slice(None, 0, -1)
            else:
                dst[e] = slice(0, 1)
                src[e] = slice(0, 1)
        if not empty:
            np.conjugate(o[tuple(src)], out=o[tuple(dst)])


def _run_scipy(name, a, x, dims, full, shape, norm, res_dtype, out, spfft):
    """The transform through scipy.fft's public functions (a scipy without
    the pocketfft binding)."""
    n_list = [shape[d] for d in dims]
    o = _numpy_out(out, full, res_dtype)
    workers = _get_num_threads()
    if len(dims) == 1:
        arr = getattr(spfft, name)(a, n=n_list[0], axis=dims[0], norm=norm, workers=workers)
    else:
        arr = getattr(spfft, name + "n")(a, s=n_list, axes=dims, norm=norm, workers=workers)
    if o is not None and arr.dtype == o.dtype:
        o[...] = arr
        return out
    r = _from_numpy(arr)
    if r.dtype != res_dtype:
        r = r.to(res_dtype)
    return r


# ------------------------------------------------------------ on a device

def _device_c2c(t, d, n, inverse):
    """The unnormalised c2c transform of complex t along dim d, cropped or
    zero-padded to n first (a device tensor; the result may be a view)."""
    from ctorch._ops.fft_device import c2c_rows
    t = _resized(t, [d], [n])
    last = t.dim() - 1
    if d != last:
        t = t.transpose(d, last)
    r = c2c_rows(t.contiguous(), n, inverse)
    return r.transpose(d, last) if d != last else r


def _hermitian_full(t, d, n):
    """The length-n spectrum whose first n // 2 + 1 entries along d are t's,
    the rest their conjugate mirror: X[n - k] = conj(X[k])."""
    k = n - (n // 2 + 1)
    if k == 0:
        return t
    return _cat([t, _conj(t.narrow(d, 1, k).flip(d))], d)


def _run_device(name, x, dims, n_list, norm, res_dtype):
    """numpy.fft.<name>n's transform of device tensor x, in the device's
    kernels: (the result, the transform lengths). Dims go in numpy's order:
    a one-sided transform is taken along the last dim first (rfft) or last
    (irfft)."""
    if name in ("fft", "ifft"):
        t = x.to(res_dtype)
        for d, n in zip(dims, n_list):
            t = _device_c2c(t, d, n, name == "ifft")
    elif name == "rfft":
        d, n = dims[-1], n_list[-1]
        t = _device_c2c(x.to(res_dtype), d, n, False).narrow(d, 0, n // 2 + 1)
        for d, n in zip(dims[:-1], n_list[:-1]):
            t = _device_c2c(t, d, n, False)
    else:
        t = x.to(res_dtype.to_complex())
        for d, n in zip(dims[:-1], n_list[:-1]):
            t = _device_c2c(t, d, n, True)
        d, n = dims[-1], n_list[-1]
        t = _hermitian_full(_resized(t, [d], [n // 2 + 1]), d, n)
        t = _device_c2c(t, d, n, True).real
    total = 1
    for n in n_list:
        total *= n
    scale = _norm_scale(norm, name in ("ifft", "irfft"), total)
    t = t.contiguous()
    if scale != 1.0:
        t.mul_(scale)
    return t, list(n_list)


def _finish(r, out, fname, op, x, args):
    """Writes r to out (checked) or records r's node (derivatives entry op)."""
    if out is not None:
        if not isinstance(out, Tensor):
            raise TypeError(f"fft_{fname}(): argument 'out' must be Tensor, not {type(out).__name__}")
        _same_device_py(r, out)
        if r is out:
            _bump_version(out)
            return out
        if r.dtype.is_complex and not out.dtype.is_complex:
            raise RuntimeError(f"{fname} expects a complex output tensor, but got {_scalar_name(out.dtype)}")
        if not r.dtype.is_complex and not out.dtype.is_floating_point:
            raise RuntimeError(f"{fname} expects a floating point output tensor, but got "
                               f"{_scalar_name(out.dtype)}")
        if tuple(out.shape) != tuple(r.shape):
            if out.numel() != 0:
                _warnings.warn(
                    f"An output with one or more elements was resized since it had shape {list(out.shape)}, "
                    f"which does not match the required output shape {list(r.shape)}. This behavior is "
                    "deprecated, and in a future PyTorch release outputs will not be resized unless they have "
                    "zero elements. You can explicitly reuse an out tensor t by resizing it, inplace, to zero "
                    "elements with t.resize_(0).", UserWarning, stacklevel=3)
            out.resize_(r.shape)
        with _no_grad():
            out.copy_(r)
        return out
    return _record(op, r, (x,), args)


def _c2c(x, dims, sizes, norm, forward, out, fname):
    """Complex-to-complex transform over dims (real x is taken as complex)."""
    norm = _norm(norm)
    dt = x.dtype if x.dtype.is_complex else x.dtype.to_complex()
    if not dims:
        r = x.to(dt, copy=True).detach()
        n_list = in_sizes = []
    else:
        r, n_list, in_sizes = _compute("fft" if forward else "ifft", x, dims, sizes, norm, dt, out)
    return _finish(r, out, fname, "fft_c2c" if x.dtype.is_complex else "fft_c2c_real", x,
                   (dims, n_list, norm, forward, in_sizes, fname))


def _c2c_adjoint(g, dims, n_list, norm, forward, in_sizes, fname, was_real):
    gx = _c2c(g, dims, n_list, _SWAP[norm], not forward, None, fname) if dims else g
    gx = _resized(gx, dims, in_sizes)
    return gx.real if was_real else gx


def _r2c(x, dims, sizes, norm, out, fname):
    """Real-to-complex transform over dims, one-sided along the last of them."""
    norm = _norm(norm)
    if not dims:
        raise RuntimeError(f"{fname} must transform at least one axis")
    r, n_list, in_sizes = _compute("rfft", x, dims, sizes, norm, x.dtype.to_complex(), out)
    return _finish(r, out, fname, "fft_r2c", x, (dims, n_list, norm, in_sizes, fname))


def _r2c_adjoint(g, dims, n_list, norm, in_sizes, fname):
    # Re(inverse c2c of g zero-filled to the full length) is the c2r of g
    # with every bin but DC (and Nyquist for even n) halved: c2r counts those
    # bins twice, for themselves and their conjugate mirror
    n = n_list[-1]
    m = n // 2 + 1
    if (len(dims) == 1 and dims[0] == g.dim() - 1 and n % 2 == 0 and g.dtype.is_complex
            and g.device.type == "cpu" and not (g.requires_grad and _is_grad_enabled())
            and _smooth_length(n // 2) and g.is_contiguous()):
        # no graph to record: the halving inside the CPU backend's transform
        norm = _SWAP[norm]
        scale = _norm_scale(norm, True, n)
        return _resized(_c2r_rows(g, n, False, scale, True), dims, in_sizes)
    if m > 1 and g.dtype.is_complex:
        w = _full((m,), 0.5, dtype=g.dtype.to_real(), device=g.device)
        w[0] = 1.0
        if n % 2 == 0:
            w[m - 1] = 1.0
        shape = [1] * g.dim()
        shape[dims[-1]] = m
        gx = _c2r(g * w.view(shape), dims, n_list, _SWAP[norm], None, fname)
    else:
        full = _resized(g, dims[-1:], n_list[-1:])
        gx = _c2c(full, dims, n_list, _SWAP[norm], False, None, fname).real
    return _resized(gx, dims, in_sizes)


def _c2r(x, dims, sizes, norm, out, fname, conj=False):
    """Complex-to-real transform over dims: the last one holds the one-sided
    half of a Hermitian spectrum (with conj, of its conjugate: x is on the
    CPU and needs no gradient)."""
    norm = _norm(norm)
    if not dims:
        raise RuntimeError(f"{fname} must transform at least one axis")
    rdt = _float32 if x.dtype in (_float32, _complex64) else _float64
    r, n_list, in_sizes = _compute("irfft", x, dims, sizes, norm, rdt, out, conj)
    return _finish(r, out, fname, "fft_c2r" if x.dtype.is_complex else "fft_c2r_real", x,
                   (dims, n_list, norm, in_sizes, fname))


def _c2r_adjoint(g, dims, n_list, norm, in_sizes, fname, was_real):
    gx = _r2c(g, dims, n_list, _SWAP[norm], None, fname)
    # every bin but DC (and Nyquist for even n) stands for itself and its conjugate
    n = n_list[-1]
    m = n // 2 + 1
    w = _full((m,), 2.0, dtype=g.dtype, device=g.device)
    w[0] = 1.0
    if n % 2 == 0:
        w[m - 1] = 1.0
    shape = [1] * gx.dim()
    shape[dims[-1]] = m
    gx = _resized(gx * w.view(shape), dims, in_sizes)
    return gx.real if was_real else gx


# ------------------------------------------------------------ one dimension

def _conj_in_transform(x):
    """Whether hfft's conjugate can be taken inside the transform (pocketfft's
    c2r with the forward sign) rather than as a copy: x complex, on the CPU,
    and recorded by no graph."""
    return (x.dtype.is_complex and x.device.type == "cpu"
            and not (x.requires_grad and _is_grad_enabled()))


def _short_call(x, out):
    """Whether a transform may take fft_device's short calls: no out=, no
    gradient to record."""
    return out is None and not (isinstance(x, Tensor) and x.requires_grad and _is_grad_enabled())


def _fast_node(r, x, kind, norm):
    """Records the node of transform r of x that took fft_device.rows_fast
    (kind 0 fft, 1 ifft, 2 rfft, 3 irfft), as the general path does."""
    nm = "backward" if norm is None else norm
    d = r.dim() - 1
    if kind <= 1:
        n = r.shape[-1]
        return _record("fft_c2c" if x.dtype.is_complex else "fft_c2c_real", r, (x,),
                       ([d], [n], nm, kind == 0, [n], "ifft" if kind else "fft"))
    if kind == 2:
        n = x.shape[-1]
        return _record("fft_r2c", r, (x,), ([d], [n], nm, [n], "rfft"))
    return _record("fft_c2r", r, (x,), ([d], [r.shape[-1]], nm, [x.shape[-1]], "irfft"))


def fft(input, n=None, dim=-1, norm=None, *, out=None):
    r = _rows_fast(input, 0, n, dim, norm) if out is None else None
    if r is not None:
        return _fast_node(r, input, 0, norm) if input.requires_grad else r
    x = _input(input, "fft")
    d, n = _dims_1d(x, n, dim, "fft")
    return _c2c(x, [d], [n], norm, True, out, "fft")


def ifft(input, n=None, dim=-1, norm=None, *, out=None):
    r = _rows_fast(input, 1, n, dim, norm) if out is None else None
    if r is not None:
        return _fast_node(r, input, 1, norm) if input.requires_grad else r
    x = _input(input, "ifft")
    d, n = _dims_1d(x, n, dim, "ifft")
    return _c2c(x, [d], [n], norm, False, out, "ifft")


def rfft(input, n=None, dim=-1, norm=None, *, out=None):
    r = _rows_fast(input, 2, n, dim, norm) if out is None else None
    if r is not None:
        return _fast_node(r, input, 2, norm) if input.requires_grad else r
    x = _input(input, "rfft", real_only=True)
    d, n = _dims_1d(x, n, dim, "rfft")
    return _r2c(x, [d], [n], norm, out, "rfft")


def irfft(input, n=None, dim=-1, norm=None, *, out=None):
    r = _rows_fast(input, 3, n, dim, norm) if out is None else None
    if r is not None:
        return _fast_node(r, input, 3, norm) if input.requires_grad else r
    x = _input(input, "irfft")
    d, n = _dims_1d(x, n, dim, "irfft")
    return _c2r(x, [d], [n], norm, out, "irfft")


def hfft(input, n=None, dim=-1, norm=None, *, out=None):
    """The transform of a Hermitian signal given by its one-sided half: irfft of
    the conjugate, scaled the other way."""
    if _short_call(input, out):
        r = _rows_fast(input, 4, n, dim, norm)
        if r is not None:
            return r
    x = _input(input, "hfft")
    d, n = _dims_1d(x, n, dim, "hfft")
    if _conj_in_transform(x):
        return _c2r(x, [d], [n], _SWAP[_norm(norm)], out, "hfft", True)
    return _c2r(_conj(x), [d], [n], _SWAP[_norm(norm)], out, "hfft")


def ihfft(input, n=None, dim=-1, norm=None, *, out=None):
    x = _input(input, "ihfft", real_only=True)
    d, n = _dims_1d(x, n, dim, "ihfft")
    r = _conj(_r2c(x, [d], [n], _SWAP[_norm(norm)], None, "ihfft"))
    return _finish(r, out, "ihfft", None, (r,), None) if out is not None else r


# ------------------------------------------------------------ n dimensions

def fftn(input, s=None, dim=None, norm=None, *, out=None):
    if _short_call(input, out):
        r = _nd_fast(input, 0, s, dim, norm)
        if r is not None:
            return r
    x = _input(input, "fftn")
    dims, sizes = _dims_nd(x, s, dim, "fftn")
    return _c2c(x, dims, sizes, norm, True, out, "fftn")


def ifftn(input, s=None, dim=None, norm=None, *, out=None):
    if _short_call(input, out):
        r = _nd_fast(input, 1, s, dim, norm)
        if r is not None:
            return r
    x = _input(input, "ifftn")
    dims, sizes = _dims_nd(x, s, dim, "ifftn")
    return _c2c(x, dims, sizes, norm, False, out, "ifftn")


def rfftn(input, s=None, dim=None, norm=None, *, out=None):
    if _short_call(input, out):
        r = _nd_fast(input, 2, s, dim, norm)
        if r is not None:
            return r
    x = _input(input, "rfftn", real_only=True)
    dims, sizes = _dims_nd(x, s, dim, "rfftn")
    return _r2c(x, dims, sizes, norm, out, "rfftn")


def irfftn(input, s=None, dim=None, norm=None, *, out=None):
    x = _input(input, "irfftn")
    dims, sizes = _dims_nd(x, s, dim, "irfftn")
    return _c2r(x, dims, sizes, norm, out, "irfftn")


def hfftn(input, s=None, dim=None, norm=None, *, out=None):
    x = _input(input, "hfftn")
    dims, sizes = _dims_nd(x, s, dim, "hfftn")
    if _conj_in_transform(x):
        return _c2r(x, dims, sizes, _SWAP[_norm(norm)], out, "hfftn", True)
    return _c2r(_conj(x), dims, sizes, _SWAP[_norm(norm)], out, "hfftn")


def ihfftn(input, s=None, dim=None, norm=None, *, out=None):
    x = _input(input, "ihfftn", real_only=True)
    dims, sizes = _dims_nd(x, s, dim, "ihfftn")
    r = _conj(_r2c(x, dims, sizes, _SWAP[_norm(norm)], None, "ihfftn"))
    return _finish(r, out, "ihfftn", None, (r,), None) if out is not None else r


def fft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    return fftn(input, s, dim, norm, out=out)


def ifft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    return ifftn(input, s, dim, norm, out=out)


def rfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    _input(input, "rfft2", real_only=True)
    return rfftn(input, s, dim, norm, out=out)


def irfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    return irfftn(input, s, dim, norm, out=out)


def hfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    return hfftn(input, s, dim, norm, out=out)


def ihfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    _input(input, "ihfft2", real_only=True)
    return ihfftn(input, s, dim, norm, out=out)


# ------------------------------------------------------------ helpers

def _freq_dtype(dtype, fname):
    dt = _get_default_dtype() if dtype is None else dtype
    if not hasattr(dt, "is_floating_point") or not hasattr(dt, "is_complex"):
        raise TypeError(f"fft_{fname}(): argument 'dtype' must be torch.dtype, not {type(dt).__name__}")
    if not (dt.is_floating_point or dt.is_complex):
        raise RuntimeError(f"{fname} requires a floating point or complex dtype")
    if dt.is_complex:
        # PyTorch accepts the dtype, then its arange refuses it
        raise NotImplementedError(f'"arange_cpu" not implemented for \'{_scalar_name(dt)}\'')
    return dt


def fftfreq(n, d=1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """Sample frequencies [0, 1, ..., -2, -1] / (d * n) of a length-n transform."""
    dt = _freq_dtype(dtype, "fftfreq")
    n = _int_arg(n, "fftfreq", "n")
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    r = _arange(n, dtype=dt, device=device)
    if n > 0:
        neg = r.narrow(0, (n + 1) // 2, n // 2)
        neg -= n
        r *= 1.0 / (n * d) if n * d else float("inf")     # d = 0: [nan, inf, -inf], as PyTorch
    r.requires_grad_(requires_grad)
    return r if out is None else _finish(r, out, "fftfreq", None, (r,), None)


def rfftfreq(n, d=1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """Sample frequencies [0, 1, ..., n // 2] / (d * n) of a length-n rfft."""
    dt = _freq_dtype(dtype, "rfftfreq")
    n = _int_arg(n, "rfftfreq", "n")
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    r = _arange(n // 2 + 1, dtype=dt, device=device)
    # n = 0: [nan]; d = 0: [nan, inf, ...], as in PyTorch
    r *= (1.0 / (n * d) if n * d else float("inf")) if n > 0 else float("nan")
    r.requires_grad_(requires_grad)
    return r if out is None else _finish(r, out, "rfftfreq", None, (r,), None)


def _shift(x, dim, fname, inverse):
    if not isinstance(x, Tensor):
        raise TypeError(f"fft_{fname}(): argument 'input' (position 1) must be Tensor, not {type(x).__name__}")
    if dim is None:
        dims = list(range(x.dim()))
    else:
        dims = [_wrap(d, x.dim()) for d in (dim if isinstance(dim, (list, tuple)) else [dim])]
    if not dims:
        return x.clone()
    shifts = [(x.shape[d] + 1) // 2 if inverse else x.shape[d] // 2 for d in dims]
    return _roll(x, shifts, dims)


def fftshift(input, dim=None):
    """Moves the zero-frequency term to the centre."""
    return _shift(input, dim, "fftshift", False)


def ifftshift(input, dim=None):
    """The inverse of fftshift."""
    return _shift(input, dim, "ifftshift", True)
