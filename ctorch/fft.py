"""torch.fft: discrete Fourier transforms.

The transforms run in pocketfft (scipy.fft, which computes float32 and
complex64 natively and shares a batch of transforms between threads) on the
tensors' memory: the input goes in as a numpy view, and the array pocketfft
returns becomes the result tensor's storage (or is copied into a dense `out=`
tensor). Long 1-d transforms
are split in two passes of short ones, shared between threads (a long rfft
goes through a complex transform of half its length).

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
from ctorch._ops.creation import arange as _arange, empty as _empty, full as _full, zeros as _zeros
from ctorch._ops.shape import cat as _cat, roll as _roll
from ctorch.autograd.grad_mode import no_grad as _no_grad
from ctorch.autograd._node import _record

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
    d = _wrap(_int_arg(dim, fname, "dim"), x.dim())
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


# ------------------------------------------------- long 1-d transforms, in parallel
#
# pocketfft runs one transform on one thread. A long one is split the
# "four-step" way, n = n1 * n2: n2 transforms of length n1 down the columns of
# x seen as an (n1, n2) matrix, a twiddle factor per element, n1 transforms of
# length n2 along the rows, written transposed. The short transforms stay in
# cache, and each step is shared between threads (scipy.fft lets go of the
# GIL). The twiddle multiply and the transposed write belong to the transform:
# they run in the same worker, on the block it has just computed.

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


def _parallel(fn, n):
    """fn(lo, hi) over [0, n) cut into one piece per thread."""
    threads = _get_num_threads()
    if threads <= 1:
        fn(0, n)
        return
    if not _POOL or _POOL[0][0] != threads:
        from concurrent.futures import ThreadPoolExecutor
        _POOL[:] = [(threads, ThreadPoolExecutor(threads))]
    cuts = [n * i // threads for i in range(threads + 1)]
    for f in [_POOL[0][1].submit(fn, cuts[i], cuts[i + 1]) for i in range(threads)]:
        f.result()


def _four_step(a, forward, norm, dtype):
    """The c2c transform of contiguous 1-d array a (length n, split by _split)
    as a new tensor."""
    import numpy as np
    n = a.shape[0]
    n1, n2 = _split(n)
    scale = {"backward": 1.0 if forward else 1.0 / n, "forward": 1.0 / n if forward else 1.0,
             "ortho": n ** -0.5}[norm]
    import scipy.fft
    step = scipy.fft.fft if forward else scipy.fft.ifft
    plain = "backward" if forward else "forward"      # no scaling inside: it rides on the twiddles
    w = _twiddles(np, n1, n2, forward, scale, str(dtype).rsplit(".", 1)[-1])
    cols = a.reshape(n1, n2)
    b = np.empty((n1, n2), dtype=w.dtype)

    def columns(lo, hi):
        np.multiply(step(cols[:, lo:hi], axis=0, norm=plain), w[:, lo:hi], out=b[:, lo:hi])

    _parallel(columns, n2)
    res = _empty((n2, n1), dtype=dtype)
    c = res.numpy()                                   # X[k1 + n1 * k2] = c[k2, k1]

    def rows(lo, hi):
        c[:, lo:hi] = step(b[lo:hi], axis=1, norm=plain).T

    _parallel(rows, n1)
    return res.view(n)


def _rfft_by_half(a, norm, dtype):
    """rfft of contiguous real a (even length n = 2m, m split by _split): the
    even and odd samples are the real and imaginary parts of one complex
    signal of length m, transformed four-step; the spectra of both halves are
    then separated and combined, X[k] = A[k] Z[k] + B[k] conj(Z[m - k])."""
    import numpy as np
    n = a.shape[0]
    m = n // 2
    scale = {"backward": 1.0, "forward": 1.0 / n, "ortho": n ** -0.5}[norm]
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
    z = _four_step(a.view(np.complex64 if a.dtype == np.float32 else np.complex128), True, "backward",
                   dtype).numpy()
    res = _empty(m + 1, dtype=dtype)
    X = res.numpy()

    def combine(lo, hi):
        # k in [lo, hi) of 1 .. m-1; conj(Z[m - k]) read backwards
        lo, hi = lo + 1, hi + 1
        X[lo:hi] = A[lo:hi] * z[lo:hi] + B[lo:hi] * np.conj(z[m - hi + 1:m - lo + 1][::-1])

    _parallel(combine, m - 1)
    X[0] = A[0] * z[0] + B[0] * np.conj(z[0])
    X[m] = A[m] * z[0] + B[m] * np.conj(z[0])
    return res


def _compute(name, x, dims, sizes, norm, res_dtype, out):
    """scipy.fft.<name> (n-d form for several dims) over x's memory, or on a
    device its kernels (_run_device); the result tensor (out itself when
    the transform was copied into it)."""
    shape = list(x.shape)
    kind_c2r = name == "irfft"
    for k, (d, n) in enumerate(zip(dims, sizes)):
        if n is not None:
            shape[d] = n
        elif kind_c2r and k == len(dims) - 1:
            shape[d] = 2 * (shape[d] - 1)
    for d in dims:
        _check_n(shape[d])
    full = list(shape)
    if name == "rfft":
        full[dims[-1]] = full[dims[-1]] // 2 + 1
    if x.numel() == 0 or 0 in full:
        r = _zeros(full, dtype=res_dtype, device=x.device)
        return r, [shape[d] for d in dims]
    nbytes = res_dtype.itemsize
    for n in full:
        nbytes *= n
    if nbytes > _sys.maxsize:
        raise RuntimeError(f"Storage size calculation overflowed with sizes={full}")
    if x.device.type != "cpu":
        return _run_device(name, x.detach(), dims, [shape[d] for d in dims], norm, res_dtype)
    import scipy.fft as spfft          # not at import time: `import ctorch` stays light
    a = x.detach().numpy()
    try:
        return _run_pocketfft(name, a, x, dims, full, shape, norm, res_dtype, out, spfft)
    except MemoryError:
        # numpy's allocation failed: PyTorch's allocator error (a RuntimeError)
        raise RuntimeError(f"DefaultCPUAllocator: can't allocate memory: you tried to allocate "
                           f"{nbytes} bytes.") from None


def _fft_of_real(a, n, d, norm, workers, spfft):
    """fft of real a along d as PyTorch computes it: the one-sided transform,
    then the other half as the conjugate mirror X[n - k] = conj(X[k]) (half
    the work of a complex transform, and PyTorch's signs of zero)."""
    import numpy as np
    half = spfft.rfft(a, n=n, axis=d, norm=norm, workers=workers)
    shape = list(half.shape)
    shape[d] = n
    full = np.empty(shape, dtype=half.dtype)
    h = half.shape[d]
    lead = (slice(None),) * d
    full[lead + (slice(0, h),)] = half
    k = n - h
    if k:
        np.conjugate(half[lead + (slice(k, 0, -1),)], out=full[lead + (slice(h, n),)])
    return full


def _run_pocketfft(name, a, x, dims, full, shape, norm, res_dtype, out, spfft):
    n_list = [shape[d] for d in dims]
    o = _numpy_out(out, full, res_dtype)
    if (name in ("fft", "ifft") and a.ndim == 1 and n_list[0] == a.shape[0] and a.shape[0] >= _FOUR_STEP_MIN
            and a.flags.c_contiguous and _split(a.shape[0]) is not None):
        r = _four_step(a, name == "fft", norm, res_dtype)
        if out is not None and o is not None:
            out.copy_(r)
            return out, n_list
        return r, n_list
    if (name == "rfft" and a.ndim == 1 and n_list[0] == a.shape[0] and a.shape[0] % 2 == 0
            and a.shape[0] >= 2 * _FOUR_STEP_MIN and a.flags.c_contiguous and _split(a.shape[0] // 2) is not None):
        r = _rfft_by_half(a, norm, res_dtype)
        if out is not None and o is not None:
            out.copy_(r)
            return out, n_list
        return r, n_list
    # scipy.fft's pocketfft: its vectorised kernels, and a batch of transforms
    # shared between `workers` threads
    workers = _get_num_threads()
    if name == "fft" and len(dims) == 1 and a.dtype.kind == "f":
        arr = _fft_of_real(a, n_list[0], dims[0], norm, workers, spfft)
    elif len(dims) == 1:
        arr = getattr(spfft, name)(a, n=n_list[0], axis=dims[0], norm=norm, workers=workers)
    else:
        arr = getattr(spfft, name + "n")(a, s=n_list, axes=dims, norm=norm, workers=workers)
    if o is not None and arr.dtype == o.dtype:
        o[...] = arr
        return out, n_list
    r = _from_numpy(arr)
    if r.dtype != res_dtype:
        r = r.to(res_dtype)
    return r, n_list


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
    inverse = name in ("ifft", "irfft")
    scale = {"backward": 1.0 / total if inverse else 1.0, "forward": 1.0 if inverse else 1.0 / total,
             "ortho": total ** -0.5}[norm]
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
        n_list = []
    else:
        r, n_list = _compute("fft" if forward else "ifft", x, dims, sizes, norm, dt, out)
    in_sizes = [x.shape[d] for d in dims]
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
    r, n_list = _compute("rfft", x, dims, sizes, norm, x.dtype.to_complex(), out)
    in_sizes = [x.shape[d] for d in dims]
    return _finish(r, out, fname, "fft_r2c", x, (dims, n_list, norm, in_sizes, fname))


def _r2c_adjoint(g, dims, n_list, norm, in_sizes, fname):
    full = _resized(g, dims[-1:], n_list[-1:])
    gx = _c2c(full, dims, n_list, _SWAP[norm], False, None, fname).real
    return _resized(gx, dims, in_sizes)


def _c2r(x, dims, sizes, norm, out, fname):
    """Complex-to-real transform over dims: the last one holds the one-sided
    half of a Hermitian spectrum."""
    norm = _norm(norm)
    if not dims:
        raise RuntimeError(f"{fname} must transform at least one axis")
    rdt = _float32 if x.dtype in (_float32, _complex64) else _float64
    r, n_list = _compute("irfft", x, dims, sizes, norm, rdt, out)
    in_sizes = [x.shape[d] for d in dims]
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

def fft(input, n=None, dim=-1, norm=None, *, out=None):
    x = _input(input, "fft")
    d, n = _dims_1d(x, n, dim, "fft")
    return _c2c(x, [d], [n], norm, True, out, "fft")


def ifft(input, n=None, dim=-1, norm=None, *, out=None):
    x = _input(input, "ifft")
    d, n = _dims_1d(x, n, dim, "ifft")
    return _c2c(x, [d], [n], norm, False, out, "ifft")


def rfft(input, n=None, dim=-1, norm=None, *, out=None):
    x = _input(input, "rfft", real_only=True)
    d, n = _dims_1d(x, n, dim, "rfft")
    return _r2c(x, [d], [n], norm, out, "rfft")


def irfft(input, n=None, dim=-1, norm=None, *, out=None):
    x = _input(input, "irfft")
    d, n = _dims_1d(x, n, dim, "irfft")
    return _c2r(x, [d], [n], norm, out, "irfft")


def hfft(input, n=None, dim=-1, norm=None, *, out=None):
    """The transform of a Hermitian signal given by its one-sided half: irfft of
    the conjugate, scaled the other way."""
    x = _input(input, "hfft")
    d, n = _dims_1d(x, n, dim, "hfft")
    return _c2r(_conj(x), [d], [n], _SWAP[_norm(norm)], out, "hfft")


def ihfft(input, n=None, dim=-1, norm=None, *, out=None):
    x = _input(input, "ihfft", real_only=True)
    d, n = _dims_1d(x, n, dim, "ihfft")
    r = _conj(_r2c(x, [d], [n], _SWAP[_norm(norm)], None, "ihfft"))
    return _finish(r, out, "ihfft", None, (r,), None) if out is not None else r


# ------------------------------------------------------------ n dimensions

def fftn(input, s=None, dim=None, norm=None, *, out=None):
    x = _input(input, "fftn")
    dims, sizes = _dims_nd(x, s, dim, "fftn")
    return _c2c(x, dims, sizes, norm, True, out, "fftn")


def ifftn(input, s=None, dim=None, norm=None, *, out=None):
    x = _input(input, "ifftn")
    dims, sizes = _dims_nd(x, s, dim, "ifftn")
    return _c2c(x, dims, sizes, norm, False, out, "ifftn")


def rfftn(input, s=None, dim=None, norm=None, *, out=None):
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
