# cython: language_level=3
"""The transform core of ctorch.fft on a device: batched complex-to-complex
transforms of dense rows through the backend's fft_c2c entry (on CUDA, the
kernels of cuda_src/fft.cu). ctorch/fft.py arranges every transform it runs
on a device (the dim moved last, padding and cropping, real inputs, the
one-sided spectra, scaling) around this one call; CPU tensors never come
here (their transforms run in numpy's pocketfft)."""

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
