# cython: language_level=3
"""The transform core of ctorch.fft on a device: batched complex-to-complex
transforms of dense rows through the backend's fft_c2c entry (on CUDA, the
kernels of cuda_src/fft.cu). ctorch/fft.py arranges every transform it runs
on a device (the dim moved last, padding and cropping, real inputs, the
one-sided spectra, scaling) around this one call. On the CPU it comes here
for the transforms whose lengths have no prime factor above 5 (the CPU
backend's transforms, ctorch/_kernels/fft.c): rows along the last dim
(c2c, r2c, c2r, and rows_fast, the short call of a 1-d transform) and
c2c along another dim (c2c_dim; nd_fast, the short call of an n-d complex
transform, runs both); its other transforms run in scipy's pocketfft."""

from libc.stdint cimport int64_t

from ctorch._core.dtype cimport *
from ctorch._core.backend cimport *
from ctorch._core.tensor cimport *
from ctorch._core.iterator cimport _check_device, _device_error


cdef Tensor _checked(Tensor r, int rc, str entry):
    """r, once the backend entry's return code rc is checked (a device's
    error, or another failure) and the device has reported no error."""
    _check_device(r)
    if rc == CT_ERR_DEVICE:
        _device_error()
    if rc != 0:
        raise RuntimeError(f"{entry} failed (code {rc})")
    return r


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
    return _checked(r, rc, "fft_c2c")


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


def c2c_dim(Tensor x, int64_t d, bint inverse, double scale, Tensor out=None):
    """The transform (forward: exp(-2 pi i jk / n); inverse: exp(+2 pi i jk / n))
    along dim d of x, a dense complex tensor, every value multiplied by
    scale, through the backend's fft_c2c_dim entry, written into out (a
    dense tensor of x's shape and dtype on its device: x itself, or one that
    does not overlap it) or into a new tensor; the result."""
    cdef int code = x._dtype._code
    if code != CT_COMPLEX64 and code != CT_COMPLEX128:
        raise TypeError(f"c2c_dim: a complex tensor is needed, not {x._dtype}")
    if not _is_contiguous(x) or d < 0 or d >= x._ndim:
        raise ValueError("c2c_dim: a dense tensor and one of its dims are needed")
    cdef const ct_backend *B = x._storage.backend
    if B.fft_c2c_dim == NULL:
        raise NotImplementedError(f"Could not run 'fft_c2c_dim' with arguments from the "
                                  f"'{B.name.decode()}' backend: ctorch has no kernel for it there")
    cdef Tensor r
    if out is None:
        r = _empty_list(list(x.shape), x._dtype, x._storage.device)
    else:
        r = out
        if (r._dtype._code != code or not _is_contiguous(r) or list(r.shape) != list(x.shape)
                or r._storage.backend != B):
            raise ValueError("c2c_dim: out must be dense, of x's shape, dtype and device")
    cdef int64_t outer = 1, inner = 1, n = x._shape[d]
    cdef int64_t i
    for i in range(d):
        outer *= x._shape[i]
    for i in range(d + 1, x._ndim):
        inner *= x._shape[i]
    cdef int rc = 0
    if x._numel == 0:
        return r
    with nogil:
        rc = B.fft_c2c_dim(code, x._data, r._data, outer, n, inner, inverse, scale)
    return _checked(r, rc, "fft_c2c_dim")


# n -> whether n's prime factors are 2, 3 and 5 (the CPU backend's lengths)
cdef dict _SMOOTH = {}
cdef bint _smooth(int64_t n):
    ok = _SMOOTH.get(n)
    if ok is not None:
        return ok
    cdef int64_t m = n
    while m % 2 == 0:
        m //= 2
    while m % 3 == 0:
        m //= 3
    while m % 5 == 0:
        m //= 5
    if len(_SMOOTH) < 4096:
        _SMOOTH[n] = m == 1
    return m == 1


def hermitian(Tensor half, dims, int64_t n):
    """The full spectrum (last dim n) of a real input over dims (the last of
    them the tensor's last dim) from half, its dense one-sided transform
    (last dim n // 2 + 1), through the backend's fft_hermitian entry: a new
    tensor whose values past the half are X[k] = conj(X[-k mod n_d in every d
    of dims])."""
    cdef int code = half._dtype._code
    if code != CT_COMPLEX64 and code != CT_COMPLEX128:
        raise TypeError(f"hermitian: a complex tensor is needed, not {half._dtype}")
    cdef int nd = half._ndim - 1
    if (not _is_contiguous(half) or nd < 0 or nd > 64 or half._shape[nd] != n // 2 + 1
            or dims[-1] != nd):
        raise ValueError("hermitian: a dense one-sided half whose last dim is n // 2 + 1 is needed")
    cdef const ct_backend *B = half._storage.backend
    if B.fft_hermitian == NULL:
        raise NotImplementedError(f"Could not run 'fft_hermitian' with arguments from the "
                                  f"'{B.name.decode()}' backend: ctorch has no kernel for it there")
    cdef int64_t sizes[64]
    cdef unsigned char mirror[64]
    cdef int i
    for i in range(nd):
        sizes[i] = half._shape[i]
        mirror[i] = 0
    for d in dims[:-1]:
        if not 0 <= d < nd:
            raise ValueError(f"hermitian: dim {d} is not one of the half's first {nd} dims")
        mirror[<int>d] = 1
    shape = list(half.shape)
    shape[nd] = n
    cdef Tensor r = _empty_list(shape, half._dtype, half._storage.device)
    cdef int rc = 0
    if r._numel == 0:
        return r
    with nogil:
        rc = B.fft_hermitian(code, half._data, r._data, nd, sizes, mirror, n)
    return _checked(r, rc, "fft_hermitian")


cdef int _norm_code(norm):
    """0 backward (or None), 1 forward, 2 ortho; -1 for anything else."""
    if norm is None or norm == "backward":
        return 0
    if norm == "forward":
        return 1
    if norm == "ortho":
        return 2
    return -1


# the CPU backend's transforms along a dim other than the last (fft_c2c_dim)
# run blocks of 64 bytes of real parts' worth of columns (16 complex64, 8
# complex128) at once: with fewer columns, pocketfft's are faster
DEF DIM_MIN_INNER_BYTES = 128
DEF DIM_MAX_N = 8192


cdef bint _dim_takes(int64_t inner, int64_t n, int64_t itemsize):
    return inner * itemsize >= DIM_MIN_INNER_BYTES and n <= DIM_MAX_N and _smooth(n)


def dim_ok(shape, int64_t d, int64_t n, int64_t itemsize):
    """Whether the CPU backend's transform along dim d (not the last) of a
    dense complex tensor of this shape and item size takes length n."""
    cdef int64_t inner = 1
    for v in shape[d + 1:]:
        inner *= v
    return _dim_takes(inner, n, itemsize)


def nd_fast(x, int kind, s, dim, norm):
    """An n-d transform of a dense CPU tensor x over `dim` (None: every dim;
    an int or a sequence of ints) in the CPU backend's transforms, as fft.py's
    _own_nd runs them, as a new tensor; kind 0 fftn, 1 ifftn (x complex; fftn
    also of float32 / float64 x: its one-sided transform and the conjugate
    mirror), 2 rfftn (x float32 / float64). Complex x: the rows along the
    last dim first, unscaled, then each other dim in the order given, in
    place, the scale in the last pass; real x: the one-sided rows, scaled,
    then the others (the dims ending with the last one, of even length).
    None for any other call (s given, a length they do not take, a dim
    repeated or out of range...: the general path then runs, and raises the
    errors)."""
    if type(x) is not Tensor or s is not None:
        return None
    cdef Tensor t = <Tensor>x, r = None, src
    cdef int nd = t._ndim, code = t._dtype._code, inorm, i, k, nk = 0
    if nd < 1 or nd > 64 or t._storage.device >= 0 or t._numel == 0 or not _is_contiguous(t):
        return None
    cdef bint real = code == CT_FLOAT32 or code == CT_FLOAT64
    cdef bint cplx = code == CT_COMPLEX64 or code == CT_COMPLEX128
    if not (real if kind == 2 else cplx or (real and kind == 0)):
        return None
    inorm = _norm_code(norm)
    if inorm < 0:
        return None
    cdef int order[64]
    cdef bint on[64]
    for i in range(nd):
        on[i] = False
    if dim is None:
        for i in range(nd):
            order[i] = i
            on[i] = True
        nk = nd
    else:
        seq = (dim,) if type(dim) is int else dim
        if type(seq) is not tuple and type(seq) is not list:
            return None
        for v in seq:
            if type(v) is not int or not -nd <= v < nd or nk >= nd:
                return None
            k = v + nd if v < 0 else v
            if on[k]:
                return None
            on[k] = True
            order[nk] = k
            nk += 1
        if nk == 0:
            return None
    cdef int64_t last = t._shape[nd - 1], half = last // 2 + 1
    if real and (order[nk - 1] != nd - 1 or last % 2 or not _smooth(last // 2)):
        return None
    # the column passes run on the complex result: its last dim the
    # one-sided half for real x
    cdef int64_t itemsize = 8 if code == CT_COMPLEX64 or code == CT_FLOAT32 else 16
    cdef int64_t inner = 1, total = 1, n
    cdef int64_t inners[64]
    for i in range(nd - 1, -1, -1):
        inners[i] = inner
        inner *= half if real and i == nd - 1 else t._shape[i]
    for i in range(nk):
        k = order[i]
        n = t._shape[k]
        total *= n
        if k == nd - 1 and real:
            continue
        if not (_smooth(n) if k == nd - 1 else _dim_takes(inners[k], n, itemsize)):
            return None
    cdef bint inverse = kind == 1
    cdef double scale = 1.0
    if inorm == 2:
        scale = (<double>total) ** -0.5
    elif (inorm == 1) != inverse:
        scale = 1.0 / <double>total
    cdef const ct_backend *B = t._storage.backend
    if B.fft_c2c == NULL or B.fft_c2c_dim == NULL or B.fft_r2c == NULL:
        return None
    cdef Py_ssize_t shape[64]
    for i in range(nd):
        shape[i] = t._shape[i]
    if real:
        shape[nd - 1] = half
    r = _empty(nd, shape, t._dtype if not real else t_complex64 if code == CT_FLOAT32 else t_complex128)
    cdef int rc = 0, left = nk
    cdef int64_t rows = t._numel // last, m = r._numel
    src = t
    if on[nd - 1]:
        left -= 1
        with nogil:
            if real:
                rc = B.fft_r2c(code, t._data, r._data, rows, last, scale)
            elif left == 0:
                rc = B.fft_c2c_dim(code, t._data, r._data, rows, last, 1, inverse, scale)
            else:
                rc = B.fft_c2c(code, t._data, r._data, rows, last, inverse)
        src = r
    code = r._dtype._code
    for i in range(nk):
        k = order[i]
        if k == nd - 1 or rc != 0:
            continue
        left -= 1
        n = t._shape[k]
        with nogil:
            rc = B.fft_c2c_dim(code, src._data, r._data, m // (n * inners[k]), n, inners[k],
                               inverse, scale if left == 0 and not real else 1.0)
        src = r
    _checked(r, rc, "fft_c2c_dim")
    if real and kind == 0:
        return hermitian(r, [order[i] for i in range(nk)], last)
    return r


def smooth_length(int64_t n):
    """Whether the CPU backend's transforms take length n: its prime
    factors 2, 3 and 5 (rows of any count and length: a long row runs a
    four-step transform, short ones several rows to a vector)."""
    return _smooth(n)


def rows_fast(x, int kind, n, dim, norm):
    """The one-dimensional transform along the last dim of a dense CPU tensor
    x in the CPU backend's row transforms, as a new tensor, for the calls
    that need no cropping or padding; None for any other call (the caller
    then takes the general path, which also raises the errors). kind:
    0 fft, 1 ifft (x complex; fft also of float32 / float64 x, n even: its
    one-sided transform and the conjugate mirror), 2 rfft (x float32 /
    float64, n even), 3 irfft (x complex, n even, n // 2 + 1 values in the
    last dim), 4 hfft (as irfft, of the conjugate of x, a forward
    transform)."""
    if type(x) is not Tensor:
        return None
    cdef Tensor t = <Tensor>x, r
    cdef int nd = t._ndim
    if nd < 1 or t._storage.device >= 0 or t._numel == 0:
        return None
    if dim is not None and type(dim) is int:
        if dim != -1 and dim != nd - 1:
            return None
    else:
        return None
    cdef int inorm = _norm_code(norm)
    if inorm < 0:
        return None
    cdef int64_t size = t._shape[nd - 1], length
    cdef int code = t._dtype._code
    cdef bint real = code == CT_FLOAT32 or code == CT_FLOAT64
    if kind == 0 and real:
        # the full spectrum of real rows from their one-sided transform
        r = rows_fast(x, 2, n, dim, norm)
        return None if r is None else hermitian(r, [nd - 1], size)
    if kind <= 1:
        if code != CT_COMPLEX64 and code != CT_COMPLEX128:
            return None
        length = size
    elif kind == 2:
        if code != CT_FLOAT32 and code != CT_FLOAT64:
            return None
        length = size
    else:
        if code != CT_COMPLEX64 and code != CT_COMPLEX128:
            return None
        length = 2 * (size - 1)
    if n is not None:
        if type(n) is not int or n != length:
            return None
    if length < 1 or not _is_contiguous(t):
        return None
    if kind >= 2 and (length < 2 or length % 2):
        return None
    cdef int64_t rows = t._numel // size
    if not _smooth(length if kind <= 1 else length // 2):
        return None
    cdef const ct_backend *B = t._storage.backend
    # the scale of the transform: backward scales the inverse by 1 / n,
    # forward the forward one, ortho both by n^-1/2
    cdef bint inverse = kind == 1 or kind == 3
    cdef double scale = 1.0
    if inorm == 2:
        scale = (<double>length) ** -0.5
    elif (inorm == 1) != inverse:
        scale = 1.0 / <double>length
    cdef Py_ssize_t shape[64]
    cdef int rc, i
    if nd > 64:
        return None
    for i in range(nd):
        shape[i] = t._shape[i]
    if kind <= 1:
        if B.fft_c2c_dim == NULL:
            return None
        r = _empty(nd, shape, t._dtype)
        with nogil:
            rc = B.fft_c2c_dim(code, t._data, r._data, rows, length, 1, inverse, scale)
    elif kind == 2:
        shape[nd - 1] = length // 2 + 1
        r = _empty(nd, shape, t_complex64 if code == CT_FLOAT32 else t_complex128)
        with nogil:
            rc = B.fft_r2c(code, t._data, r._data, rows, length, scale)
    else:
        shape[nd - 1] = length
        r = _empty(nd, shape, t_float32 if code == CT_COMPLEX64 else t_float64)
        with nogil:
            rc = B.fft_c2r(code, t._data, r._data, rows, length, 1 if kind == 4 else 0, scale)
    if rc != 0:
        raise RuntimeError(f"fft transform of rows failed (code {rc})")
    return r
