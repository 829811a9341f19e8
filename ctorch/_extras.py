"""Short-time Fourier transforms (stft, istft, as compositions of framing,
windowing and ctorch.fft, so that they differentiate and run on any device),
the Vandermonde matrix, tensors over foreign memory (frombuffer, from_file),
and small Tensor methods that follow from ctorch's tensors all being strided
and local (is_distributed, to_dense, as_strided_).

Loaded on first use of any of these names (ctorch._ON_FIRST_USE)."""
import warnings

from ctorch._core.tensor import Tensor, _install_method
from ctorch._core.dtype import get_default_dtype, _dtype_list
from ctorch._core.dlpack import to_dlpack as _to_dlpack

__all__ = ["stft", "istft", "vander", "frombuffer", "from_file", "is_distributed",
           "as_strided_", "conj_physical_", "to_dlpack", "svd_lowrank", "pca_lowrank"]

(_bool, _uint8, _int8, _int16, _int32, _int64, _float16, _float32, _float64,
 _complex64, _complex128, _bfloat16) = _dtype_list()


def _torch():
    import ctorch
    return ctorch


# ------------------------------------------------------------------ stft / istft

def _type_name(t):
    base = {_float32: "Float", _float64: "Double", _float16: "Half", _complex64: "ComplexFloat",
            _complex128: "ComplexDouble", _bfloat16: "BFloat16"}.get(t.dtype, "Tensor")
    return f"torch.{base}Tensor"


def _pad_signal(x, p, mode):
    """x (..., L) padded by p on both ends of its last dimension."""
    torch = _torch()
    n = x.shape[-1]
    if mode == "constant":
        z = torch.zeros(*x.shape[:-1], p, dtype=x.dtype, device=x.device)
        return torch.cat([z, x, z], -1)
    if mode == "reflect":
        if p >= n:
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding "
                               f"input dimension, but got: padding ({p}, {p}) at dimension "
                               f"2 of input {[1] * (3 - x.dim()) + list(x.shape)}")
        left, right = x[..., 1:p + 1].flip(-1), x[..., n - 1 - p:n - 1].flip(-1)
    elif mode == "replicate":
        edge = list(x.shape[:-1]) + [p]
        left, right = x[..., :1].expand(*edge), x[..., n - 1:].expand(*edge)
    elif mode == "circular":
        if p > n:
            raise RuntimeError("Padding value causes wrapping around more than once.")
        left, right = x[..., n - p:], x[..., :p]
    else:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    return torch.cat([left, x, right], -1)


def _full_window(window, win_length, n_fft, dtype, device):
    """The window as n_fft taps: centred, zero on both sides when shorter."""
    torch = _torch()
    if window is None:
        window = torch.ones(win_length, dtype=dtype, device=device)
    if win_length == n_fft:
        return window
    left = (n_fft - win_length) // 2
    z = torch.zeros(n_fft, dtype=window.dtype, device=window.device)
    return torch.cat([z[:left], window, z[left + win_length:]])


def _check_window(window, fn):
    if window is not None and not isinstance(window, Tensor):
        raise TypeError(f"{fn}(): argument 'window' must be Tensor, not {type(window).__name__}")


def stft(input, n_fft, hop_length=None, win_length=None, window=None, center=True,
         pad_mode="reflect", normalized=False, onesided=None, return_complex=None,
         align_to_window=None):
    torch = _torch()
    if not isinstance(input, Tensor):
        raise TypeError(f"stft(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    _check_window(window, "stft")
    complex_in = input.is_complex() or (window is not None and window.is_complex())
    if return_complex is None:
        if not complex_in:
            raise RuntimeError("stft requires the return_complex parameter be given for real "
                               "inputs, and will further require that return_complex=True in a "
                               "future PyTorch release.")
        return_complex = True
    if not return_complex:
        warnings.warn("stft with return_complex=False is deprecated. In a future pytorch "
                      "release, stft will return complex tensors for all inputs, and "
                      "return_complex=False will raise an error.\nNote: you can still call "
                      "torch.view_as_real on the complex output to recover the old return "
                      "format.", UserWarning, stacklevel=2)
    if window is None:
        warnings.warn("A window was not provided. A rectangular window will be applied,which is "
                      "known to cause spectral leakage. Other windows such as torch.hann_window "
                      "or torch.hamming_window are recommended to reduce spectral leakage.To "
                      "suppress this warning and use a rectangular window, explicitly set "
                      "`window=torch.ones(n_fft, device=<device>)`.", UserWarning, stacklevel=2)
    x = input
    hop = n_fft // 4 if hop_length is None else hop_length
    wl = n_fft if win_length is None else win_length
    if x.dim() not in (1, 2):
        shape = list(x.shape)
        if center:
            shape[-1] += 2 * (n_fft // 2)
        raise RuntimeError(_stft_msg(x, n_fft, hop, wl, window, normalized, onesided,
                                     return_complex, "expected a 1D or 2D tensor", shape))
    if center:
        x = _pad_signal(x, n_fft // 2, pad_mode)

    def fail(what):
        raise RuntimeError(_stft_msg(x, n_fft, hop, wl, window, normalized, onesided,
                                     return_complex, what))
    n = x.shape[-1]
    if n_fft <= 0 or n_fft > n:
        fail(f"expected 0 < n_fft < {n}, but got n_fft={n_fft}")
    if hop <= 0:
        fail(f"expected hop_length > 0, but got hop_length={hop}")
    if wl <= 0 or wl > n_fft:
        fail(f"expected 0 < win_length <= n_fft, but got win_length={wl}")
    if window is not None and (window.dim() != 1 or window.shape[0] != wl):
        fail(f"expected a 1D window tensor of size equal to win_length={wl}, but got window "
             f"with size {list(window.shape)}")
    if onesided is None:
        onesided = not complex_in
    elif onesided and complex_in:
        raise RuntimeError("Cannot have onesided output if window or input is complex")
    w = _full_window(window, wl, n_fft, x.dtype if x.is_floating_point() else get_default_dtype(),
                     x.device)
    frames = x.unfold(-1, n_fft, hop)                        # (..., frames, n_fft)
    if window is not None or wl != n_fft:
        frames = frames * w
    norm = "ortho" if normalized else "backward"
    if onesided:
        spec = torch.fft.rfft(frames, dim=-1, norm=norm)
    else:
        spec = torch.fft.fft(frames, dim=-1, norm=norm)
    spec = spec.transpose(-1, -2)                            # (..., freq, frames)
    return spec if return_complex else torch.view_as_real(spec)


def _stft_msg(x, n_fft, hop, wl, window, normalized, onesided, return_complex, what,
              shape=None):
    win = "None" if window is None else f"{_type_name(window)}{{{list(window.shape)}}}"
    shape = list(x.shape) if shape is None else shape
    return (f"stft({_type_name(x)}{shape}, n_fft={n_fft}, hop_length={hop}, "
            f"win_length={wl}, window={win}, normalized={int(bool(normalized))}, "
            f"onesided={'None' if onesided is None else int(bool(onesided))}, "
            f"return_complex={int(bool(return_complex))}, align_to_window=None) : {what}")


def istft(input, n_fft, hop_length=None, win_length=None, window=None, center=True,
          normalized=False, onesided=None, length=None, return_complex=False):
    torch = _torch()
    if not isinstance(input, Tensor):
        raise TypeError(f"istft(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    _check_window(window, "istft")
    if not input.is_complex():
        raise RuntimeError("istft requires a complex-valued input tensor matching the output "
                           "from stft with return_complex=True.")
    hop = n_fft // 4 if hop_length is None else hop_length
    wl = n_fft if win_length is None else win_length

    given_onesided = onesided

    def fail(what, sep=" : "):
        win = "None" if window is None else f"{_type_name(window)}{{{list(window.shape)}}}"
        cpu = {_complex64: "ComplexFloat", _complex128: "ComplexDouble"}[input.dtype]
        raise RuntimeError(
            f"istft(CPU{cpu}Type{list(input.shape)}, n_fft={n_fft}, hop_length={hop}, "
            f"win_length={wl}, window={win}, center={int(bool(center))}, "
            f"normalized={int(bool(normalized))}, "
            f"onesided={'None' if given_onesided is None else int(bool(given_onesided))}, "
            f"length={length}, return_complex={int(bool(return_complex))}){sep}{what}")
    if input.dim() < 2:
        raise IndexError(f"Dimension out of range (expected to be in range of "
                         f"[{-input.dim() - 1}, {input.dim()}], but got -3)")
    if input.dim() not in (2, 3):
        fail(f"Expected a tensor with 2 or 3 dimensions of complex dtype, but got "
             f"{input.dim()}")
    if window is None:
        warnings.warn("A window was not provided. A rectangular window will be applied.Please "
                      "provide the same window used by stft to make the inversion lossless.To "
                      "suppress this warning and use a rectangular window, explicitly set "
                      "`window=torch.ones(n_fft, device=<device>)`.", UserWarning, stacklevel=2)
    if hop <= 0 or hop > wl:
        fail(f"expected 0 < hop_length <= win_length")
    if wl <= 0 or wl > n_fft:
        fail(f"expected 0 < win_length <= n_fft")
    if window is not None and (window.dim() != 1 or window.shape[0] != wl):
        fail(f"Invalid window shape. window has to be 1D and length of `win_length`")
    if onesided is None:
        onesided = input.shape[-2] != n_fft
    n_freq = input.shape[-2]
    if onesided and n_freq != n_fft // 2 + 1:
        fail(f"expected the frequency dimension (3rd to the last) of the input tensor to match "
             f"n_fft / 2 + 1 when onesided=True, but got {n_freq}")
    if not onesided and n_freq != n_fft:
        fail(f"expected the frequency dimension (3rd to the last) of the input tensor to match "
             f"n_fft when onesided=False, but got {n_freq}")
    real_dt = _float64 if input.dtype is _complex128 else _float32
    w = _full_window(window, wl, n_fft, real_dt, input.device)
    norm = "ortho" if normalized else "backward"
    spec = input.transpose(-1, -2)                           # (..., frames, freq)
    if onesided:
        if return_complex:
            fail("cannot have onesided output if window or input is complex")
        frames = torch.fft.irfft(spec, n=n_fft, dim=-1, norm=norm)
    else:
        frames = torch.fft.ifft(spec, n=n_fft, dim=-1, norm=norm)
        if not return_complex:
            if window is not None and window.is_complex():
                fail("Complex windows are incompatible with return_complex=False")
            frames = frames.real
    frames = frames * w
    n_frames = spec.shape[-2]
    total = n_fft + hop * (n_frames - 1)
    idx = (torch.arange(n_frames, device=input.device) * hop).unsqueeze(1) + \
        torch.arange(n_fft, device=input.device)
    idx = idx.reshape(-1)
    lead = frames.shape[:-2]
    y = torch.zeros(*lead, total, dtype=frames.dtype, device=input.device)
    y = y.index_add(-1, idx, frames.reshape(*lead, -1))
    env = torch.zeros(total, dtype=w.real.dtype if w.is_complex() else w.dtype,
                      device=input.device)
    wsq = (w.abs() ** 2) if w.is_complex() else w * w
    env = env.index_add(0, idx, wsq.repeat(n_frames))
    start = n_fft // 2 if center else 0
    if length is not None:
        end = start + length
    elif center:
        end = total - n_fft // 2
    else:
        end = total
    stop = min(end, total)
    y = y[..., start:stop]
    env = env[start:stop]
    if bool((env.abs() < 1e-11).any()):
        fail(f"window overlap add min: {float(env.abs().min()):g}", " ")
    y = y / env
    if end > total:
        z = torch.zeros(*lead, end - total, dtype=y.dtype, device=input.device)
        y = torch.cat([y, z], -1)
    return y


def _t_stft(self, n_fft, hop_length=None, win_length=None, window=None, center=True,
            pad_mode="reflect", normalized=False, onesided=None, return_complex=None,
            align_to_window=None):
    return stft(self, n_fft, hop_length, win_length, window, center, pad_mode, normalized,
                onesided, return_complex, align_to_window)


def _t_istft(self, n_fft, hop_length=None, win_length=None, window=None, center=True,
             normalized=False, onesided=None, length=None, return_complex=False):
    return istft(self, n_fft, hop_length, win_length, window, center, normalized, onesided,
                 length, return_complex)


# ------------------------------------------------------------------ vander

def vander(x, N=None, increasing=False):
    """Columns x**(N-1), ..., x**0 (x**0 ... x**(N-1) when increasing)."""
    torch = _torch()
    if not isinstance(x, Tensor):
        raise TypeError(f"vander(): argument 'x' (position 1) must be Tensor, not "
                        f"{type(x).__name__}")
    if x.dim() != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    n = x.shape[0] if N is None else N
    if n < 0:
        raise RuntimeError("N must be non-negative.")
    dt = torch.promote_types(x.dtype, _int64)
    if n == 0:
        return torch.empty(x.shape[0], 0, dtype=dt, device=x.device)
    cols = [torch.ones(x.shape[0], dtype=dt, device=x.device)]
    if n > 1:
        rest = x.to(dt).unsqueeze(1).expand(x.shape[0], n - 1).cumprod(1)
        r = torch.cat([cols[0].unsqueeze(1), rest], 1)
    else:
        r = cols[0].unsqueeze(1)
    return r if increasing else r.flip(1)


# ------------------------------------------------------------------ randomized low-rank SVD

def _range_basis(A, q, niter, M):
    """An orthonormal (m, q) basis whose span approximates the range of A - M
    (A tall): a Gaussian sketch refined by niter power iterations, each
    re-orthonormalized (Halko, Martinsson & Tropp 2009, algorithm 4.4)."""
    torch = _torch()

    def apply(X, adjoint):
        if adjoint:
            return A.mH @ X if M is None else A.mH @ X - M.mH @ X
        return A @ X if M is None else A @ X - M @ X
    sketch = torch.randn(*A.shape[:-2], A.shape[-1], q, dtype=A.dtype, device=A.device)
    Q = torch.linalg.qr(apply(sketch, False)).Q
    for _ in range(niter):
        Q = torch.linalg.qr(apply(Q, True)).Q
        Q = torch.linalg.qr(apply(Q, False)).Q
    return Q


def svd_lowrank(A, q=6, niter=2, M=None):
    """U, S, V with A - M ~ U diag(S) V^H, from a randomized range finder
    (Halko et al. 2009, algorithm 5.1): rank at most q."""
    if not isinstance(A, Tensor):
        raise TypeError(f"svd_lowrank(): argument 'A' (position 1) must be Tensor, not "
                        f"{type(A).__name__}")
    torch = _torch()
    q = 6 if q is None else q
    niter = 2 if niter is None else niter
    m, n = A.shape[-2:]
    if M is not None:
        if not isinstance(M, Tensor):
            raise TypeError(f"svd_lowrank(): argument 'M' must be Tensor or None, not {type(M).__name__}")
        M = M.broadcast_to(A.shape)
    wide = m < n
    if wide:
        A = A.mH
        M = None if M is None else M.mH
    Q = _range_basis(A, q, niter, M)
    B = Q.mH @ A if M is None else Q.mH @ A - Q.mH @ M
    U, S, Vh = torch.linalg.svd(B, full_matrices=False)
    U, V = Q @ U, Vh.mH
    return (V, S, U) if wide else (U, S, V)


def pca_lowrank(A, q=None, center=True, niter=2):
    """svd_lowrank of A, centred on its column means when center is true."""
    if not isinstance(A, Tensor):
        raise TypeError(f"pca_lowrank(): argument 'A' (position 1) must be Tensor, not "
                        f"{type(A).__name__}")
    m, n = A.shape[-2:]
    if q is None:
        q = min(6, m, n)
    elif not (isinstance(q, int) and 0 <= q <= min(m, n)):
        raise ValueError(f"q(={q}) must be non-negative integer and not greater than min(m, n)="
                         f"{min(m, n)}")
    if not (isinstance(niter, int) and niter >= 0):
        raise ValueError(f"niter(={niter}) must be non-negative integer")
    if center:
        A = A - A.mean(dim=-2, keepdim=True)
    return svd_lowrank(A, q, niter)


# ------------------------------------------------------------------ foreign memory

def frombuffer(buffer, *, dtype, count=-1, offset=0, requires_grad=False):
    """A 1-D tensor over an object's buffer (the memory is shared)."""
    import numpy as np
    torch = _torch()
    try:
        mv = memoryview(buffer)
    except TypeError:
        raise ValueError("object does not implement Python buffer protocol.") from None
    nbytes = mv.nbytes
    isz = dtype.itemsize
    if nbytes == 0:
        raise ValueError(f"both buffer length (0) and count ({count}) must not be 0")
    if offset < 0 or offset >= nbytes:
        raise ValueError(f"offset ({offset} bytes) must be non-negative and no greater than "
                         f"buffer length ({nbytes} bytes) minus 1")
    if count <= 0 and count != -1 or count == 0:
        raise ValueError(f"both buffer length ({nbytes}) and count ({count}) must not be 0")
    if count == -1:
        if (nbytes - offset) % isz != 0:
            raise ValueError(f"buffer length ({nbytes - offset} bytes) after offset ({offset} "
                             f"bytes) must be a multiple of element size ({isz})")
        count = (nbytes - offset) // isz
    if offset + count * isz > nbytes:
        raise ValueError(f"requested buffer length ({count} * {isz} bytes) after offset "
                         f"({offset} bytes) must not be greater than actual buffer length "
                         f"({nbytes} bytes)")
    npdt = np.dtype(str(dtype).rpartition(".")[2]) if dtype is not _bool else np.dtype(bool)
    arr = np.frombuffer(buffer, dtype=npdt, count=count, offset=offset)
    if not arr.flags.writeable:
        warnings.warn("The given buffer is not writable, and PyTorch does not support "
                      "non-writable tensors. This means you can write to the underlying "
                      "(supposedly non-writable) buffer using the tensor. You may want to copy "
                      "the buffer to protect its data or make it writable before converting it "
                      "to a tensor. This type of warning will be suppressed for the rest of this "
                      "program.", UserWarning, stacklevel=2)
        _try_writeable(arr)
    t = torch.from_numpy(arr)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _try_writeable(arr):
    try:
        arr.flags.writeable = True
        return True
    except ValueError:
        return False


def from_file(filename, shared=None, size=0, *, dtype=None, layout=None, device=None,
              pin_memory=False, requires_grad=False):
    """size elements of dtype read from a file; shared=True maps the file, so
    that writes to the tensor reach it."""
    import os
    if not isinstance(filename, (str, os.PathLike)):
        raise TypeError(f"from_file(): argument 'filename' (position 1) must be str, not "
                        f"{type(filename).__name__}")
    import numpy as np
    torch = _torch()
    dt = get_default_dtype() if dtype is None else dtype
    npdt = np.dtype(str(dt).rpartition(".")[2]) if dt is not _bool else np.dtype(bool)
    import os
    have = os.path.getsize(filename) if os.path.exists(filename) else None
    if have is None:
        if not shared:
            raise RuntimeError(f"unable to open file <{filename}> in read-only mode: No such "
                               f"file or directory (2)")
        with open(filename, "wb"):
            pass
        have = 0
    need = size * npdt.itemsize
    if shared:
        if have < need:
            with open(filename, "r+b") as f:
                f.truncate(need)
        if size == 0:
            t = torch.empty(0, dtype=dt)
        else:
            arr = np.memmap(filename, dtype=npdt, mode="r+", shape=(size,))
            t = torch.from_numpy(arr)
    else:
        if have < need:
            raise RuntimeError(f"file <{filename}> size <{have}> is smaller than the required "
                               f"mapping size <{need}>")
        arr = np.fromfile(filename, dtype=npdt, count=size)
        t = torch.from_numpy(arr)
    if device is not None:
        t = t.to(device)
    if requires_grad:
        t.requires_grad_(True)
    return t


def to_dlpack(tensor):
    """A DLPack capsule over the tensor's memory."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"to_dlpack(): argument 'tensor' (position 1) must be Tensor, not "
                        f"{type(tensor).__name__}")
    return _to_dlpack(tensor)


# ------------------------------------------------------------------ small methods

def is_distributed(input):
    """False: every ctorch tensor is local."""
    if not isinstance(input, Tensor):
        raise TypeError(f"is_distributed(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    return False


def _t_to_dense(self, dtype=None, *, masked_grad=None):
    """A strided tensor is already dense: itself (converted when dtype is given)."""
    return self if dtype is None or dtype is self.dtype else self.to(dtype)


def as_strided_(input, size, stride, storage_offset=None):
    """Gives input the sizes, strides and storage offset given, over its own
    storage (the checks are as_strided's)."""
    torch = _torch()
    if not isinstance(input, Tensor):
        raise TypeError(f"as_strided_(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    if input.requires_grad and torch.is_grad_enabled():
        if input.grad_fn is None:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                               "operation.")
        raise RuntimeError("as_strided_ on a tensor that requires grad is not supported by "
                           "ctorch's autograd; use as_strided")
    off = input.storage_offset() if storage_offset is None else storage_offset
    torch.as_strided(input, size, stride, off)              # the checks
    return input.set_(input.untyped_storage(), off, tuple(size), tuple(stride))


def conj_physical_(input):
    if not isinstance(input, Tensor):
        raise TypeError(f"conj_physical_(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    return input.conj_physical_()


_install_method("stft", _t_stft)
_install_method("istft", _t_istft)
_install_method("is_distributed", is_distributed)
_install_method("to_dense", _t_to_dense)
_install_method("as_strided_", as_strided_)
