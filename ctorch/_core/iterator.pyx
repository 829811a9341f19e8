# cython: language_level=3
"""The elementwise machinery every op shares: PyTorch's result-type rules
(python scalars are "weak"), broadcasting, the strided iteration space
(operands aligned and coalesced, then launched on the backend of the
output's device), output allocation and `out=` checks, and the raw copy /
cast / fill that the ops build on. Nothing here records autograd history."""

from libc.stdint cimport int64_t, uint64_t, uint8_t, int8_t, int16_t, int32_t, INT64_MIN, INT64_MAX

from ctorch._core.dtype cimport *
from ctorch._core.backend cimport ct_backend, ct_params, ct_iter, CT_EW_CAST, CT_ERR_DEVICE
from ctorch._core.dispatch cimport backend_for
from ctorch._core.storage cimport Storage, _alloc_storage
from ctorch._core.tensor cimport *


cdef int _run(Iter *it, int kind, int op, int dtype, ct_params *P, int64_t grain) except -1:
    """Coalesces the iteration space and runs fn over it. Dims are ordered by
    the output's strides (so writes stream), size-1 dims dropped, and
    neighbours merged when every operand steps through them as one."""
    cdef int64_t shape[CT_MAXDIM]
    cdef int64_t strides[4 * CT_MAXDIM]
    cdef int order[CT_MAXDIM]
    cdef int n = 0, d, k, i, j, tmp, nargs = it.nargs
    cdef int64_t total = 1
    for d in range(it.ndim):
        total *= it.shape[d]
        if it.shape[d] != 1:
            order[n] = d
            n += 1
    if total == 0:
        return 0
    # insertion sort: larger |output stride| outermost (stable, so C order stays)
    for i in range(1, n):
        tmp = order[i]
        j = i - 1
        while j >= 0 and _abs64(it.strides[order[j]]) < _abs64(it.strides[tmp]):
            order[j + 1] = order[j]
            j -= 1
        order[j + 1] = tmp
    cdef int m = 0
    for i in range(n):
        d = order[i]
        if m > 0:
            # merge with the previous (outer) dim when contiguous for all operands
            ok = True
            for k in range(nargs):
                if strides[k * CT_MAXDIM + m - 1] != it.strides[k * CT_MAXDIM + d] * it.shape[d]:
                    ok = False
                    break
            if ok:
                shape[m - 1] *= it.shape[d]
                for k in range(nargs):
                    strides[k * CT_MAXDIM + m - 1] = it.strides[k * CT_MAXDIM + d]
                continue
        shape[m] = it.shape[d]
        for k in range(nargs):
            strides[k * CT_MAXDIM + m] = it.strides[k * CT_MAXDIM + d]
        m += 1
    if m == 0:
        m = 1
        shape[0] = 1
        for k in range(nargs):
            strides[k * CT_MAXDIM] = 0
    # pack strides operand-major with row length m
    cdef int64_t packed[4 * CT_MAXDIM]
    for k in range(nargs):
        for d in range(m):
            packed[k * m + d] = strides[k * CT_MAXDIM + d]
    cdef ct_iter ci
    ci.nargs = nargs
    ci.ndim = m
    ci.shape = shape
    ci.strides = packed
    ci.ptr = it.ptr
    ci.grain = grain
    ci.host = it.host & ((1 << nargs) - 1)
    cdef const ct_backend *B = it.B
    cdef int rc
    if total >= NOGIL_ABOVE:
        with nogil:
            rc = B.elementwise(kind, op, dtype, P, &ci)
    else:
        rc = B.elementwise(kind, op, dtype, P, &ci)
    if rc == CT_ERR_DEVICE:
        _device_error()
    return 0


cdef int _same_device(Tensor a, Tensor b) except -1:
    if a._storage.device != b._storage.device:
        _device_mismatch(a, b)
    return 0


cdef object _lift_cpu_scalar(object a, object b, object c):
    """a on the device of b or c when a is a 0-dim CPU tensor and one of them
    is a device tensor, else a itself. PyTorch lets a 0-dim CPU tensor join
    device tensors in an elementwise op as a value; it keeps its place in type
    promotion (a 0-dim tensor's), and its gradient flows back to the CPU
    through the copy."""
    if not isinstance(a, Tensor) or (<Tensor>a)._ndim != 0 or (<Tensor>a)._storage.device >= 0:
        return a
    for o in (b, c):
        if isinstance(o, Tensor) and (<Tensor>o)._storage.device >= 0:
            return a.to((<Tensor>o).device)
    return a


def _same_device_py(Tensor a, Tensor b):
    """_same_device for Python modules (torch.linalg)."""
    _same_device(a, b)


cdef int _check_device(Tensor t) except -1:
    """After a backend entry that returns nothing: raises the error a device
    backend recorded during it (the CUDA backend's sticky error); nothing on
    the CPU."""
    if t._storage.device >= 0:
        from ctorch.cuda import _backend
        _backend.check()
    return 0


cdef int _device_error() except -1:
    """Raises the error a device backend recorded (the CUDA backend's sticky error)."""
    from ctorch.cuda import _backend
    _backend.check()
    from ctorch.cuda import AcceleratorError
    raise AcceleratorError("CUDA error: unknown failure")


cdef inline int64_t _abs64(int64_t x) noexcept nogil:
    return -x if x < 0 else x


cdef int _broadcast_shape(Iter *it, Tensor a, Tensor b, Tensor c) except -1:
    """it.shape/ndim := broadcast of the given tensors (None ones skipped).
    Hot for small tensors: plain C on the three arguments, no tuple walk.
    Dims are checked from the last, as PyTorch does, so errors name the same dim."""
    cdef int nd = 0, d
    if a is not None and a._ndim > nd:
        nd = a._ndim
    if b is not None and b._ndim > nd:
        nd = b._ndim
    if c is not None and c._ndim > nd:
        nd = c._ndim
    it.ndim = nd
    for d in range(nd):
        it.shape[d] = 1
    if a is not None:
        _broadcast_into(it, a)
    if b is not None:
        _broadcast_into(it, b)
    if c is not None:
        _broadcast_into(it, c)
    return 0


cdef inline int _broadcast_into(Iter *it, Tensor t) except -1:
    cdef int j, d
    cdef int64_t s, o
    for j in range(t._ndim - 1, -1, -1):
        d = it.ndim - t._ndim + j
        s = t._shape[j]
        o = it.shape[d]
        if s == o or s == 1:
            continue
        if o == 1:
            it.shape[d] = s
        else:
            raise RuntimeError(f"The size of tensor a ({o}) must match the size of tensor b ({s}) at non-singleton dimension {d}")
    return 0


# --------------------------------------------------------- dtypes of operands

cdef DType _weak_dtype(int kind):
    """the dtype a python scalar of this kind stands for on its own."""
    if kind == K_BOOL:
        return t_bool
    if kind == K_INT:
        return t_int64
    if kind == K_FLOAT:
        return _default_dtype
    return _default_complex()


cdef int _combine(int higher, int lower):
    """PyTorch's rule for combining the dimensioned, zero-dim and scalar results."""
    if higher < 0:
        return lower
    if lower < 0:
        return higher
    cdef DType h = _DT[higher], l = _DT[lower]
    if h._kind == K_COMPLEX:
        return higher
    if l._kind == K_COMPLEX:
        if h._kind == K_FLOAT:
            return h.to_complex()._code
        return lower
    if h._kind == K_FLOAT:
        return higher
    if h._kind == K_BOOL or l._kind == K_FLOAT:
        return _PROMOTE[higher][lower]
    return higher


cdef DType _result_type(tuple operands):
    cdef int dim_r = -1, zero_r = -1, wrap_r = -1, code, kind
    cdef Tensor t
    for x in operands:
        if x is None:
            continue
        if isinstance(x, Tensor):
            t = <Tensor>x
            code = t._dtype._code
            if t._ndim > 0:
                dim_r = code if dim_r < 0 else _PROMOTE[dim_r][code]
            else:
                zero_r = code if zero_r < 0 else _PROMOTE[zero_r][code]
        else:
            kind = _scalar_kind(x)
            code = _weak_dtype(kind)._code
            wrap_r = code if wrap_r < 0 else _PROMOTE[wrap_r][code]
    return _DT[_combine(dim_r, _combine(zero_r, wrap_r))]


def can_cast(from_, to):
    return _can_cast(<DType?>from_, <DType?>to)


cdef bint _can_cast(DType src, DType dst) noexcept:
    """PyTorch's same-kind rule: no float -> integer, complex -> real, or anything -> bool."""
    if src._kind == K_COMPLEX and dst._kind != K_COMPLEX:
        return False
    if src._kind == K_FLOAT and dst._kind < K_FLOAT:
        return False
    if src._kind != K_BOOL and dst._kind == K_BOOL:
        return False
    return True


# the range a python integer may take for an integer dtype (uint8 takes
# -255..255: negative values wrap, as PyTorch allows `a - b` written `a + 255 b`)
cdef int64_t _INT_LO[5]
cdef int64_t _INT_HI[5]
_INT_LO[:] = [-255, -128, -32768, -2147483648, INT64_MIN]
_INT_HI[:] = [255, 127, 32767, 2147483647, INT64_MAX]


cdef int _check_fits(object v, DType dt, bint half_too, str type_name=None) except -1:
    """PyTorch's rule for a python number written into a tensor (fill_, full,
    masked_fill, index assignment, tensor()): a value outside the dtype's range
    raises "value cannot be converted to type ... without overflow" instead of
    wrapping. Floats into integers: nan, inf and values past the bounds; complex
    into a real dtype: a nonzero imaginary part; float32 (and float16 when
    half_too): finite values past the largest. bool takes anything."""
    cdef int code = dt._code
    cdef double d, lo, hi
    cdef int64_t i
    cdef bint bad = False
    if isinstance(v, int) and not -9223372036854775808 <= v <= 18446744073709551615:
        raise OverflowError("int too big to convert")
    if code == CT_BOOL or isinstance(v, bool):
        return 0
    if isinstance(v, complex):
        if code >= CT_COMPLEX64:
            if code == CT_COMPLEX64:
                _check_fits(v.real, dt, half_too, type_name)
                _check_fits(v.imag, dt, half_too, type_name)
            return 0
        bad = v.imag != 0
        v = v.real
    if bad:
        pass
    elif code <= CT_INT64:
        if isinstance(v, int):
            try:
                i = v
            except OverflowError:
                i = 0
                bad = True
            bad = bad or i < _INT_LO[code - CT_UINT8] or i > _INT_HI[code - CT_UINT8]
        else:
            d = v
            lo = 0.0 if code == CT_UINT8 else <double>_INT_LO[code - CT_UINT8]
            bad = not (d >= lo and d <= <double>_INT_HI[code - CT_UINT8])
    elif code == CT_FLOAT32 or code == CT_COMPLEX64 or (code == CT_FLOAT16 and half_too):
        try:
            d = v
        except OverflowError:
            return 0            # the write reports it
        hi = 65504.0 if code == CT_FLOAT16 else 3.4028234663852886e38
        bad = d - d == 0 and (d > hi or d < -hi)
    if bad:
        raise RuntimeError(f"value cannot be converted to type "
                           f"{type_name or _C_TYPE_NAMES[code]} without overflow")
    return 0


cdef int _write_scalar(char *buf, object v, DType dt) except -1:
    """Stores python number v into buf as dt (wrapping like a C cast)."""
    cdef int code = dt._code
    cdef double d, d2
    cdef int64_t i
    if code == CT_BOOL:
        (<uint8_t *>buf)[0] = 1 if v else 0
    elif code <= CT_INT64:
        if isinstance(v, complex):
            v = v.real
        if isinstance(v, float):
            i = <int64_t>(<double>v)
        else:
            try:
                i = v
            except OverflowError:
                # PyTorch reads a python int up to 2**64 - 1 as a uint64 and wraps it
                # (t + 2**63, t == 2**63); past that it is too big for any scalar
                if not 0 <= v < 18446744073709551616:
                    raise OverflowError("int too big to convert") from None
                i = <int64_t>(<uint64_t>v)
        if code == CT_UINT8:
            (<uint8_t *>buf)[0] = <uint8_t>i
        elif code == CT_INT8:
            (<int8_t *>buf)[0] = <int8_t>i
        elif code == CT_INT16:
            (<int16_t *>buf)[0] = <int16_t>i
        elif code == CT_INT32:
            (<int32_t *>buf)[0] = <int32_t>i
        else:
            (<int64_t *>buf)[0] = i
    elif code <= CT_FLOAT64 or code == CT_BFLOAT16:
        if isinstance(v, complex):
            v = v.real
        try:
            d = v
        except OverflowError:
            raise RuntimeError(f"value cannot be converted to type {_C_TYPE_NAMES[code]} without overflow")
        if code == CT_FLOAT16:
            _store_half(buf, d)
        elif code == CT_BFLOAT16:
            ct_store_bf16(buf, d)
        elif code == CT_FLOAT32:
            (<float *>buf)[0] = <float>d
        else:
            (<double *>buf)[0] = d
    else:
        # the parts are read one by one: building a C complex as re + im * I
        # turns inf imaginary parts into nan real parts and loses -0.0
        pz = complex(v)
        d = pz.real
        d2 = pz.imag
        if code == CT_COMPLEX64:
            (<float *>buf)[0] = <float>d
            (<float *>buf)[1] = <float>d2
        else:
            (<double *>buf)[0] = d
            (<double *>buf)[1] = d2
    return 0


cdef extern from *:
    """
    static void ct_store_half(char *p, double v) { *(_Float16 *)p = (_Float16)v; }
    /* through float (PyTorch's conversion), then to nearest even; NaN stays quiet NaN */
    static void ct_store_bf16(char *p, double v) {
        float f = (float)v;
        uint32_t u; uint16_t h;
        memcpy(&u, &f, 4);
        h = (u & 0x7fffffffu) > 0x7f800000u ? (uint16_t)((u >> 16) | 0x40u)
                                            : (uint16_t)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
        memcpy(p, &h, 2);
    }
    """
    void ct_store_half(char *p, double v)
    void ct_store_bf16(char *p, double v)


cdef inline void _store_half(char *buf, double d):
    ct_store_half(buf, d)


cdef int _copy_into(Tensor dst, Tensor src, bint check) except -1:
    """dst[...] = src with broadcasting and dtype conversion."""
    cdef Iter it
    cdef ct_params P
    if check:
        _check_broadcast_to(src, dst)
    if src._storage.device != dst._storage.device:
        _device_mismatch(dst, src)
    it.nargs = 2
    it.ndim = dst._ndim
    cdef int d
    for d in range(dst._ndim):
        it.shape[d] = dst._shape[d]
    _iter_add(&it, 0, dst)
    _iter_add(&it, 1, src)
    _run(&it, CT_EW_CAST, src._dtype._code, dst._dtype._code, &P, GRAIN_CHEAP)
    if check:
        _bump(dst)
    return 0


cdef int _check_broadcast_to(Tensor src, Tensor dst) except -1:
    cdef int j, d
    if src._ndim > dst._ndim:
        # leading size-1 dims of src are fine
        for j in range(src._ndim - dst._ndim):
            if src._shape[j] != 1:
                raise RuntimeError(f"output with shape {_fmt_shape(dst.size())} doesn't match the broadcast shape {_fmt_shape(src.size())}")
    for j in range(src._ndim):
        d = dst._ndim - src._ndim + j
        if d < 0:
            continue
        if src._shape[j] != 1 and src._shape[j] != dst._shape[d]:
            raise RuntimeError(f"The size of tensor a ({dst._shape[d]}) must match the size of tensor b ({src._shape[j]}) at non-singleton dimension {d}")
    return 0


cdef const ct_backend *_backend_of(object a, object b, object c) except NULL:
    """The backend of the tensors among a, b, c (python scalars have none);
    they must all be on one device, as PyTorch requires."""
    cdef Tensor first = None
    cdef const ct_backend *B
    if isinstance(a, Tensor):
        first = <Tensor>a
    if isinstance(b, Tensor):
        if first is None:
            first = <Tensor>b
        elif (<Tensor>b)._storage.backend != first._storage.backend:
            _device_mismatch(first, <Tensor>b)
    if c is not None and isinstance(c, Tensor):
        if first is None:
            first = <Tensor>c
        elif (<Tensor>c)._storage.backend != first._storage.backend:
            _device_mismatch(first, <Tensor>c)
    if first is None:
        return backend_for(-1)
    return first._storage.backend


cdef int _device_mismatch(Tensor a, Tensor b) except -1:
    da, db = str(a.device), str(b.device)
    if db < da:
        da, db = db, da
    raise RuntimeError(f"Expected all tensors to be on the same device, but found at least two devices, {db} and {da}!")


cdef int _fill(Tensor t, object value) except -1:
    cdef char buf[16]
    cdef Iter it
    cdef ct_params P
    cdef int d
    if _scalar_kind(value) < 0:
        try:
            value = value.item() if hasattr(value, "item") else float(value)
        except Exception:
            raise TypeError(f"fill_(): argument 'value' must be Number, not {type(value).__name__}")
    else:
        _check_fits(value, t._dtype, False)
    _write_scalar(buf, value, t._dtype)
    it.nargs = 2
    it.ndim = t._ndim
    for d in range(t._ndim):
        it.shape[d] = t._shape[d]
    _iter_add(&it, 0, t)
    _iter_scalar(&it, 1, buf)
    _run(&it, CT_EW_CAST, t._dtype._code, t._dtype._code, &P, GRAIN_CHEAP)
    return 0


cdef int _check_out_shape(Tensor o, Iter *it, bint inplace) except -1:
    cdef int d
    cdef bint same = o._ndim == it.ndim
    if same:
        for d in range(it.ndim):
            if o._shape[d] != it.shape[d]:
                same = False
                break
    if same:
        return 0
    shape = [it.shape[d] for d in range(it.ndim)]
    if inplace:
        raise RuntimeError(f"output with shape {_fmt_shape(o.size())} doesn't match the broadcast shape {_fmt_shape(shape)}")
    return _resize_out(o, shape)


cdef int _resize_out(Tensor o, list shape) except -1:
    """out= of another shape takes the result's (PyTorch warns when it had elements)."""
    if o._numel != 0:
        import warnings
        warnings.warn(f"An output with one or more elements was resized since it had shape {_fmt_shape(o.size())}, "
                      f"which does not match the required output shape {_fmt_shape(shape)}. This behavior is "
                      f"deprecated, and in a future PyTorch release outputs will not be resized unless they have "
                      f"zero elements. You can explicitly reuse an out tensor t by resizing it, inplace, to zero "
                      f"elements with t.resize_(0).", UserWarning, stacklevel=1)
    _resize(o, shape)
    return 0


cdef bint _same_layout(Tensor a, Tensor b) noexcept:
    cdef int d
    if a._ndim != b._ndim or a._dtype.itemsize != b._dtype.itemsize:
        return False
    for d in range(a._ndim):
        if a._shape[d] != b._shape[d] or (a._shape[d] > 1 and a._stride[d] != b._stride[d]):
            return False
    return True


cdef bint _partial_overlap(Tensor o, Tensor x) noexcept:
    """o and x share some memory but not element for element (PyTorch's rule:
    judged only when both fill a block without gaps; otherwise left alone)."""
    cdef Py_ssize_t scratch[CT_MAXDIM]
    if o is x or o._numel == 0 or x._numel == 0:
        return False
    if not _dense_permuted_strides(o, scratch) or not _dense_permuted_strides(x, scratch):
        return False
    cdef char *ob = o._data
    cdef char *oe = o._data + o._numel * o._dtype.itemsize
    cdef char *xb = x._data
    cdef char *xe = x._data + x._numel * x._dtype.itemsize
    if ob == xb and oe == xe:
        return not _same_layout(o, x)
    return ob < xe and xb < oe


cdef inline void _span(Tensor t, char **lo, char **hi) noexcept:
    """The first byte of t's lowest element and the byte after its highest."""
    cdef Py_ssize_t down = 0, up = 0, s
    cdef int d
    for d in range(t._ndim):
        s = t._stride[d] * (t._shape[d] - 1)
        if s < 0:
            down += s
        else:
            up += s
    lo[0] = t._data + down * t._dtype.itemsize
    hi[0] = t._data + (up + 1) * t._dtype.itemsize


cdef bint _mem_apart(Tensor x, Tensor y) noexcept:
    """Whether the bytes x and y can reach are apart (judged by the span
    from each one's lowest to highest element): a kernel may then write x
    while it reads y."""
    cdef char *xlo
    cdef char *xhi
    cdef char *ylo
    cdef char *yhi
    if x._numel == 0 or y._numel == 0:
        return True
    _span(x, &xlo, &xhi)
    _span(y, &ylo, &yhi)
    return xhi <= ylo or yhi <= xlo


cdef bint _into_ok(object out, list shape, DType dt, list inputs):
    """Whether an op may write its result (of shape and dtype dt) straight
    into out= instead of a new tensor: out a dense tensor of that shape and
    dtype on the inputs' device, apart from every input's memory, and no
    autograd about (grad mode on with out or an input requiring grad: the
    caller's _to_out then gives PyTorch's refusal; the other out= rules are
    the caller's)."""
    if type(out) is not Tensor:
        return False
    cdef Tensor o = <Tensor>out, t
    cdef int j
    if o._dtype is not dt or not _is_contiguous(o) or o._ndim != len(shape):
        return False
    if _core_grad_mode() and (_needs_grad(o) or any(_needs_grad(x) for x in inputs)):
        return False
    for j in range(o._ndim):
        if o._shape[j] != shape[j]:
            return False
    for x in inputs:
        t = <Tensor>x
        if t._storage.device != o._storage.device or not _mem_apart(o, t):
            return False
    return True


cdef int _check_no_overlap(Tensor o, object x) except -1:
    """PyTorch's rule for the ops that write o at indexed places while they
    read the source x (index_put_, scatter_, index_copy_, put_, ...): the two
    may share no memory at all, the same memory included (judged only when
    both fill a block without gaps, as _partial_overlap)."""
    cdef Py_ssize_t scratch[CT_MAXDIM]
    if not isinstance(x, Tensor):
        return 0
    cdef Tensor t = <Tensor>x
    if o._numel == 0 or t._numel == 0:
        return 0
    if not _dense_permuted_strides(o, scratch) or not _dense_permuted_strides(t, scratch):
        return 0
    if o._data < t._data + t._numel * t._dtype.itemsize and t._data < o._data + o._numel * o._dtype.itemsize:
        raise RuntimeError("unsupported operation: some elements of the input tensor and the "
                           "written-to tensor refer to a single memory location. Please clone() "
                           "the tensor before performing the operation.")
    return 0


cdef inline bint _overlaps(Tensor o, object x) noexcept:
    return isinstance(x, Tensor) and _partial_overlap(o, <Tensor>x)


cdef int _check_copy_overlap(Tensor o, object x) except -1:
    """copy_ and t[basic index] = x: o and the source x may not partly
    overlap (PyTorch's rule, as _partial_overlap judges it; tensors on two
    devices never do)."""
    if _overlaps(o, x) and (<Tensor>x)._storage.device == o._storage.device:
        raise RuntimeError("unsupported operation: some elements of the input tensor and the "
                           "written-to tensor refer to a single memory location. Please clone() "
                           "the tensor before performing the operation.")
    return 0


cdef int _check_out(Tensor o, Iter *it, bint inplace, object a, object b, object c) except -1:
    """The written-to tensor o (out=, or self of an in-place op): its shape
    against the broadcast shape (resized where that is allowed), and PyTorch's
    overlap rules: o may neither repeat an element (a stride-0 dim) nor partly
    overlap an input (a, b, c: tensors, numbers or None). A repeated element
    is refused before any resize (an expanded out= is never resized)."""
    cdef int d
    for d in range(o._ndim):
        if o._stride[d] == 0 and o._shape[d] > 1:
            raise RuntimeError("unsupported operation: more than one element of the written-to tensor "
                               "refers to a single memory location. Please clone() the tensor before "
                               "performing the operation.")
    _check_out_shape(o, it, inplace)
    _check_copy_overlap(o, a)
    _check_copy_overlap(o, b)
    _check_copy_overlap(o, c)
    return 0


cdef int _resize(Tensor t, list shape) except -1:
    cdef Tensor fresh = _empty_list(shape, t._dtype, t._storage.device)
    cdef Py_ssize_t need = fresh._numel * t._dtype.itemsize
    if t._offset * t._dtype.itemsize + need <= t._storage.nbytes:
        t._set_layout(fresh._ndim, fresh._shape, NULL)
    else:
        t._take(fresh)
    return 0


def _resize_(Tensor self, *sizes):
    _resize(self, _parse_size(sizes, "resize_"))
    return self


cdef Tensor _alloc_like_operands(Iter *it, Tensor a, Tensor b, DType dt, Tensor c=None):
    """The result tensor, its dims laid out in the order the operands' strides
    give (PyTorch's rule for a new output): two dims are compared by the
    first operand (a, b, then c) whose strides in both are nonzero; the dim
    with the larger stride goes outside, equal strides put the longer dim
    outside, and a pair no operand orders keeps its place. Dense in that
    order: C-contiguous for row-major inputs, a transpose's layout for
    x.t() + y; a broadcast operand (a zero stride) leaves the pair to the
    next one."""
    cdef Py_ssize_t sh[CT_MAXDIM]
    cdef Py_ssize_t st[CT_MAXDIM]
    cdef int64_t ost[3 * CT_MAXDIM]
    cdef int perm[CT_MAXDIM]
    cdef int n = it.ndim, d, i, j, k, nops = 0, swap, d0, d1, tmp, t_i
    cdef int64_t s0, s1
    cdef Tensor t
    for d in range(n):
        sh[d] = it.shape[d]
    cdef int dev = a._storage.device if a is not None else (b._storage.device if b is not None else -1)
    # the operands' strides over the iteration's dims (broadcast dims: 0)
    for t in (a, b, c):
        if t is None or t._ndim > n:
            continue
        for d in range(n):
            ost[nops * n + d] = 0
        for d in range(t._ndim):
            if t._shape[d] == it.shape[n - t._ndim + d] and t._shape[d] != 1:
                ost[nops * n + n - t._ndim + d] = t._stride[d]
        nops += 1
    # perm[0] the innermost dim; insertion sort by the comparison above
    for d in range(n):
        perm[d] = n - 1 - d
    for i in range(1, n):
        j = i
        for k in range(i - 1, -1, -1):
            d0 = perm[k]
            d1 = perm[j]
            swap = 0
            for t_i in range(nops):
                s0 = ost[t_i * n + d0]
                s1 = ost[t_i * n + d1]
                if s0 == 0 or s1 == 0:
                    continue
                if s0 < 0:
                    s0 = -s0
                if s1 < 0:
                    s1 = -s1
                if s0 < s1:
                    swap = -1
                elif s0 > s1:
                    swap = 1
                elif it.shape[d0] > it.shape[d1]:
                    swap = 1
                else:
                    continue
                break
            if swap > 0:
                tmp = perm[k]
                perm[k] = perm[j]
                perm[j] = tmp
                j = k
            elif swap < 0:
                break
    for d in range(n):
        if perm[d] != n - 1 - d:
            break
    else:
        return _empty(n, sh, dt, dev)
    cdef Py_ssize_t acc = 1
    for d in range(n):
        st[perm[d]] = acc
        acc *= sh[perm[d]]
    return _make_tensor(_alloc_storage(acc * dt.itemsize, dev), 0, n, sh, st, dt)


cdef bint _same_shape_iter(Tensor t, Iter *it) noexcept:
    cdef int d
    for d in range(t._ndim):
        if t._shape[d] != it.shape[d]:
            return False
    return True


cdef bint _dense_permuted_strides(Tensor t, Py_ssize_t *out) noexcept:
    """If t's elements fill a block without gaps in some dim order, the
    contiguous strides for that order."""
    cdef int order[CT_MAXDIM]
    cdef int n = t._ndim, i, j, tmp
    for i in range(n):
        order[i] = i
    for i in range(1, n):
        tmp = order[i]
        j = i - 1
        while j >= 0 and t._stride[order[j]] < t._stride[tmp]:
            order[j + 1] = order[j]
            j -= 1
        order[j + 1] = tmp
    cdef Py_ssize_t acc = 1
    for i in range(n - 1, -1, -1):
        j = order[i]
        if t._shape[j] != 1 and t._stride[j] != acc:
            return False
        out[j] = acc
        acc *= t._shape[j]
    return True


cdef Tensor _tensor_arg(object a, str name):
    if isinstance(a, Tensor):
        return <Tensor>a
    raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {type(a).__name__}")


cdef int _host_only(Tensor t, str name) except -1:
    """Refuses a device tensor in an op whose family has no device kernels yet
    (PyTorch's error for an op a backend lacks)."""
    if t is not None and t._storage.device >= 0:
        raise NotImplementedError(f"Could not run '{name}' with arguments from the 'CUDA' backend: "
                                  f"ctorch has no CUDA kernel for it yet")
    return 0


cdef Tensor _scalar_tensor(object v, DType dt):
    cdef Tensor r = _empty(0, NULL, dt)
    _write_scalar(r._data, v, dt)
    return r


cdef Tensor _convert(Tensor t, DType dt):
    """t in dtype dt (t itself when it already is), without history."""
    if t._dtype is dt:
        return t
    cdef Tensor r = _empty_like(t, dt)
    _copy_into(r, t, False)
    return r


cdef Tensor _raw_clone(Tensor t):
    """A dense copy of t, without history."""
    cdef Tensor r = _empty_like(t, None)
    _copy_into(r, t, False)
    return r


cdef Tensor _permute_raw(Tensor t, list perm):
    """t's dims in the order perm, as a view without history (a kernel's layout)."""
    cdef Py_ssize_t sh[CT_MAXDIM]
    cdef Py_ssize_t st[CT_MAXDIM]
    cdef int d
    for d in range(t._ndim):
        sh[d] = t._shape[perm[d]]
        st[d] = t._stride[perm[d]]
    return _view_raw(t, t._offset, t._ndim, sh, st)


# ------------------------------------------------------------ layouts of reductions and scans

cdef list _reduce_dims(Tensor t, object dim):
    """Sorted distinct dims to reduce (all of them for None or ())."""
    cdef int n = t._ndim
    if n == 0:
        # a 0-d tensor accepts dim 0 / -1 (and () / None): nothing to reduce
        if dim is not None:
            for d in (dim if isinstance(dim, (tuple, list)) else (dim,)):
                _wrap_dim(d, 0)
        return []
    if dim is None:
        return list(range(n))
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    if len(dims) == 0:
        return list(range(n))
    out = set()
    for d in dims:
        k = _wrap_dim(d, n)
        if k in out:
            raise RuntimeError(f"dim {k} appears multiple times in the list of dims")
        out.add(k)
    return sorted(out)


cdef bint _dense_inner(Tensor p, int nkept, Py_ssize_t *ld) noexcept:
    """True when p's trailing (reduced) dims form one unit-stride run and its
    leading (kept) dims step through rows with one stride ld."""
    cdef int d
    cdef Py_ssize_t expect = 1
    for d in range(p._ndim - 1, nkept - 1, -1):
        if p._shape[d] != 1:
            if p._stride[d] != expect:
                return False
            expect *= p._shape[d]
    cdef Py_ssize_t row = -1
    for d in range(nkept - 1, -1, -1):
        if p._shape[d] != 1:
            if row < 0:
                row = p._stride[d]
                expect = row * p._shape[d]
            elif p._stride[d] != expect:
                return False
            else:
                expect *= p._shape[d]
    ld[0] = row if row >= 0 else expect
    return True


cdef Tensor _dense_copy(Tensor p):
    cdef Tensor r = _empty_list(list(p.size()), p._dtype, p._storage.device)
    _copy_into(r, p, False)
    return r


cdef Tensor _to_device(Tensor t, int code, DType dt=None):
    """A dense copy of t on device `code` (-1: the CPU) in dtype dt (default
    t's), without history. Bytes cross between devices through the host, in
    the dtype of the side that has no conversion kernel to run: a CPU source
    is converted on the CPU, a device source after it arrives."""
    if dt is None:
        dt = t._dtype
    cdef Tensor src = t, r, host
    cdef const ct_backend *B
    cdef int rc = 0
    cdef size_t nbytes
    if t._storage.device == code:
        r = _empty(t._ndim, t._shape, dt, code)
        _copy_into(r, t, False)
        return r
    if t._storage.device < 0:
        if src._dtype is not dt or not _is_contiguous(src):
            src = _empty(t._ndim, t._shape, dt, -1)
            _copy_into(src, t, False)
        r = _empty(t._ndim, t._shape, dt, code)
        B = r._storage.backend
        nbytes = <size_t>(r._numel * dt.itemsize)
        with nogil:
            rc = B.from_host(r._data, src._data, nbytes)
    else:
        if not _is_contiguous(src):
            src = _empty(t._ndim, t._shape, t._dtype, t._storage.device)
            _copy_into(src, t, False)
        host = _empty(t._ndim, t._shape, t._dtype, -1)
        B = src._storage.backend
        nbytes = <size_t>(host._numel * t._dtype.itemsize)
        with nogil:
            rc = B.to_host(host._data, src._data, nbytes)
        if rc == 0:
            r = host if code < 0 else _to_device(host, code, None)
            if r._dtype is not dt:
                r = _convert(r, dt)
    if rc != 0:
        _device_error()
    return r


cdef tuple _rows_layout(Tensor t, list red):
    """(p, rows, L, ld, out_shape, keep_shape): p has the red dims innermost,
    each row a unit-stride run of L elements, rows ld apart."""
    cdef int nd = t._ndim, d
    cdef list kept = [d for d in range(nd) if d not in red]
    out_shape = [t._shape[d] for d in kept]
    keep_shape = [1 if d in red else t._shape[d] for d in range(nd)]
    cdef Py_ssize_t rows = 1, L = 1, ld = 0
    for d in kept:
        rows *= t._shape[d]
    for d in red:
        L *= t._shape[d]
    cdef Tensor p = _permute_raw(t, kept + red) if nd else t
    if rows > 0 and L > 0 and not _dense_inner(p, len(kept), &ld):
        p = _dense_copy(p)
        ld = L
    return p, rows, L, ld, out_shape, keep_shape


cdef list _red_dims(Tensor t, object dim):
    """dims to reduce; a 0-d tensor accepts dim 0/-1 and reduces nothing."""
    if t._ndim == 0:
        if dim is not None:
            for d in (dim if isinstance(dim, (tuple, list)) else (dim,)):
                _wrap_dim(d, 0)
        return []
    return _reduce_dims(t, dim)


cdef object _to_out(object out, Tensor r, str name, int rule=OUT_ANY, str msg=None):
    """Writes op `name`'s result r into out= as PyTorch does: refused while
    autograd would have to follow it (grad mode on and r or out requiring
    grad); out's dtype by the op's rule (OUT_ANY: r is cast to it; OUT_CAST:
    only a dtype r casts to safely; OUT_SAME: r's dtype exactly; msg, when
    given, is the op's own message, formatted with res= and out=, the scalar
    type names, res_l= and out_l= in lower case); out resized to r's shape (with PyTorch's warning when it had
    elements)."""
    if out is None:
        return r
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    cdef Tensor o = <Tensor>out
    _no_autograd_out(name, o, (r,))
    cdef int rc = r._dtype._code, oc = o._dtype._code
    if rc != oc and (rule == OUT_SAME or (rule == OUT_CAST and not _can_cast(r._dtype, o._dtype))):
        if msg is not None:
            raise RuntimeError(msg.format(res=_SCALAR_NAMES[rc], out=_SCALAR_NAMES[oc],
                                          res_l=_SCALAR_NAMES[rc].lower(), out_l=_SCALAR_NAMES[oc].lower()))
        if rule == OUT_SAME:
            raise RuntimeError(f"Expected out tensor to have dtype {_CXX_NAMES[rc]}, but got "
                               f"{_CXX_NAMES[oc]} instead")
        raise RuntimeError(f"result type {_SCALAR_NAMES[rc]} can't be cast to the desired output "
                           f"type {_SCALAR_NAMES[oc]}")
    cdef int d
    cdef bint same = o._ndim == r._ndim
    for d in range(r._ndim if same else 0):
        same = same and o._shape[d] == r._shape[d]
    if not same:
        _resize_out(o, list(r.size()))
    _copy_into(o, r, False)
    _bump(o)
    return o


cdef int _no_autograd_out(str name, object out, tuple inputs) except -1:
    """out= is not differentiable: PyTorch refuses it while grad mode is on and
    out or an input (or a result already recorded) requires grad."""
    if _core_grad_mode() and (_needs_grad(out) or any(_needs_grad(x) for x in inputs)):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic "
                           f"differentiation, but one of the arguments requires grad.")
    return 0


cdef int _out_pair(object out, str name) except -1:
    """A (values, indices) out=: a tuple of two tensors (PyTorch's TypeError otherwise)."""
    if not isinstance(out, (tuple, list)) or len(out) != 2 or not all(isinstance(o, Tensor) for o in out):
        raise TypeError(f"{name}(): argument 'out' must be tuple of Tensors, not {type(out).__name__}")
    return 0


def _write_out(out, Tensor r, str name, int rule=OUT_ANY):
    """_to_out for the Python modules (linalg, fft)."""
    return _to_out(out, r, name, rule)


cdef tuple _scan_layout(Tensor t, int d):
    """(p, rows, L, ld, perm): p = t with dim d moved last, rows dense."""
    cdef int nd = t._ndim, k
    perm = [k for k in range(nd) if k != d] + [d]
    cdef Tensor p = _permute_raw(t, perm)
    cdef Py_ssize_t L = t._shape[d], rows = t._numel // L if L else 0, ld = 0
    if rows > 0 and L > 0 and not _dense_inner(p, nd - 1, &ld):
        p = _dense_copy(p)
        ld = L
    return p, rows, L, ld, perm


cdef Tensor _scan_back(Tensor o, list perm):
    """o laid out as t.permute(perm), back in t's dim order (contiguous)."""
    cdef int nd = len(perm), k
    if perm == list(range(nd)):
        return o
    inv = [0] * nd
    for k in range(nd):
        inv[perm[k]] = k
    return _dense_copy(_permute_raw(o, inv))


cdef Tensor _contig(Tensor t, DType dt):
    """t as a C-contiguous tensor of dtype dt (t itself when it already is)."""
    if t._dtype is dt and _is_contiguous(t):
        return t
    cdef Tensor r = _empty_like(t, dt)
    _copy_into(r, t, False)
    return r


cdef list _broadcast_pair(list a, list b):
    """The broadcast of two shapes (lists), with PyTorch's error when they do
    not broadcast."""
    cdef int n = max(len(a), len(b)), k
    cdef list out = []
    for k in range(n):
        x = a[k - n + len(a)] if k - n + len(a) >= 0 else 1
        y = b[k - n + len(b)] if k - n + len(b) >= 0 else 1
        if x != y and x != 1 and y != 1:
            raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b ({y}) at "
                               f"non-singleton dimension {k}")
        out.append(y if x == 1 else x)
    return out


cdef list _broadcast_list(list shapes):
    cdef int nd = max([len(s) for s in shapes]) if shapes else 0
    out = [1] * nd
    for s in shapes:
        for j, x in enumerate(s):
            d = nd - len(s) + j
            if x != 1:
                if out[d] != 1 and out[d] != x:
                    raise IndexError("shape mismatch: indexing tensors could not be broadcast together with shapes " + ", ".join(_fmt_shape(z) for z in shapes))
                out[d] = x
    return out
