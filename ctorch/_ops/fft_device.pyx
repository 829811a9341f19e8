# cython: language_level=3
"""The transform core of ctorch.fft on a device: batched complex-to-complex
transforms of dense rows through the backend's fft_c2c entry (on CUDA, the
kernels of cuda_src/fft.cu). ctorch/fft.py arranges every transform it runs
on a device (the dim moved last, padding and cropping, real inputs, the
one-sided spectra, scaling) around this one call. On the CPU it comes here
only for short unscaled rows whose length has no prime factor above 5 (the
CPU backend's transform, ctorch/_kernels/fft.c); its other transforms run
in scipy's pocketfft."""

from libc.stdint cimport int64_t

from ctorch._core.dtype cimport *
from ctorch._core.backend cimport *
from ctorch._core.tensor cimport *
from ctorch._core.iterator cimport _check_device, _device_error


def c2c_rows(Tensor x, int64_t n, bint inverse):
    """The unnormalised transform (forward: exp(-2 pi i jk / n); inverse:
    exp(+2 pi i jk / n)) of each length-n row of x, a dense complex tensor
    whose last dim is n, as a new tensor of x's shape on x's device."""
    cdef int code = x._dtype._code
    if code != CT_COMPLEX64 and code != CT_COMPLEX128:
        raise TypeError(f"c2c_rows: a complex tensor is needed, not {x._dtype}")
    if not _is_contiguous(x) or x._ndim < 1 or x._shape[x._ndim - 1] != n:
        raise ValueError("c2c_rows: a dense tensor whose last dim is n is needed")
    cdef const ct_backend *B = x._storage.backend
    if B.fft_c2c == NULL:
        raise NotImplementedError(f"Could not run 'fft_c2c' with arguments from the "
                                  f"'{B.name.decode()}' backend: ctorch has no kernel for it there")
    cdef Tensor r = _empty_list(list(x.shape), x._dtype, x._storage.device)
    cdef int64_t rows = x._numel // n if n > 0 else 0
    cdef int rc
    if rows == 0:
        return r
    with nogil:
        rc = B.fft_c2c(code, x._data, r._data, rows, n, inverse)
    _check_device(r)
    if rc == CT_ERR_DEVICE:
        _device_error()
    if rc != 0:
        raise RuntimeError(f"fft_c2c failed (code {rc})")
    return r


def r2c_rows(Tensor x, int64_t n, double scale):
    """The forward one-sided transform (n // 2 + 1 coefficients) of each
    length-n row of x, a dense real tensor whose last dim is n (even),
    multiplied by scale, through the backend's fft_r2c entry; a new complex
    tensor."""
    cdef int code = x._dtype._code
    if code != CT_FLOAT32 and code != CT_FLOAT64:
        raise TypeError(f"r2c_rows: a float32 or float64 tensor is needed, not {x._dtype}")
    if not _is_contiguous(x) or x._ndim < 1 or x._shape[x._ndim - 1] != n or n < 2 or n % 2:
        raise ValueError("r2c_rows: a dense tensor whose last dim is n (even) is needed")
    cdef const ct_backend *B = x._storage.backend
    if B.fft_r2c == NULL:
        raise NotImplementedError(f"Could not run 'fft_r2c' with arguments from the "
                                  f"'{B.name.decode()}' backend: ctorch has no kernel for it there")
    shape = list(x.shape)
    shape[-1] = n // 2 + 1
    cdef Tensor r = _empty_list(shape, t_complex64 if code == CT_FLOAT32 else t_complex128,
                                x._storage.device)
    cdef int64_t rows = x._numel // n
    cdef int rc = 0
    if rows == 0:
        return r
    with nogil:
        rc = B.fft_r2c(code, x._data, r._data, rows, n, scale)
    if rc != 0:
        raise RuntimeError(f"fft_r2c failed (code {rc})")
    return r


def c2r_rows(Tensor x, int64_t n, bint conj, double scale, bint halve=False):
    """The backward transform (n real values) of the Hermitian spectrum that
    each row of x begins (n // 2 + 1 complex values; with conj, of their
    conjugates; with halve, the values between the first and last halved:
    the adjoint of r2c_rows), multiplied by scale, through the backend's
    fft_c2r entry; x dense, n even; a new real tensor."""
    cdef int code = x._dtype._code
    if code != CT_COMPLEX64 and code != CT_COMPLEX128:
        raise TypeError(f"c2r_rows: a complex tensor is needed, not {x._dtype}")
    if (not _is_contiguous(x) or x._ndim < 1 or n < 2 or n % 2
            or x._shape[x._ndim - 1] != n // 2 + 1):
        raise ValueError("c2r_rows: a dense tensor whose last dim is n // 2 + 1 (n even) is needed")
    cdef const ct_backend *B = x._storage.backend
    if B.fft_c2r == NULL:
        raise NotImplementedError(f"Could not run 'fft_c2r' with arguments from the "
                                  f"'{B.name.decode()}' backend: ctorch has no kernel for it there")
    shape = list(x.shape)
    shape[-1] = n
    cdef Tensor r = _empty_list(shape, t_float32 if code == CT_COMPLEX64 else t_float64,
                                x._storage.device)
    cdef int64_t rows = x._numel // (n // 2 + 1)
    cdef int rc = 0
    if rows == 0:
        return r
    with nogil:
        rc = B.fft_c2r(code, x._data, r._data, rows, n, (1 if conj else 0) | (2 if halve else 0), scale)
    if rc != 0:
        raise RuntimeError(f"fft_c2r failed (code {rc})")
    return r
