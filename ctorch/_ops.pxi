# Elementwise ops: check arguments -> result dtype (weak python scalars) ->
# broadcast -> allocate or check `out` -> run the C kernel over coalesced
# dimensions. One generic path per arity; the op tables at the bottom turn it
# into torch.xxx functions and Tensor methods.

from libc.stdint cimport int64_t
import struct as _struct

# ---------------------------------------------------------------- iteration

cdef struct Iter:
    int nargs
    int ndim
    int64_t shape[CT_MAXDIM]
    int64_t strides[4 * CT_MAXDIM]     # operand-major byte strides
    char *ptr[4]
    const ct_backend *B                # the output's device backend (set with operand 0)


cdef int _iter_add(Iter *it, int k, Tensor t) except -1:
    """Operand k: t aligned to the right of it.shape; broadcast dims get stride 0."""
    cdef int d, j, lead = it.ndim - t._ndim
    cdef int64_t isz = t._dtype.itemsize
    for d in range(it.ndim):
        j = d - lead
        if j < 0 or t._shape[j] == 1:
            it.strides[k * CT_MAXDIM + d] = 0
        else:
            it.strides[k * CT_MAXDIM + d] = t._stride[j] * isz
    it.ptr[k] = t._data
    if k == 0:
        it.B = t._storage.backend
    return 0


cdef void _iter_scalar(Iter *it, int k, char *buf) noexcept:
    cdef int d
    for d in range(it.ndim):
        it.strides[k * CT_MAXDIM + d] = 0
    it.ptr[k] = buf


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
    cdef const ct_backend *B = it.B
    if total >= NOGIL_ABOVE:
        with nogil:
            B.elementwise(kind, op, dtype, P, &ci)
    else:
        B.elementwise(kind, op, dtype, P, &ci)
    return 0


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

cdef inline int _scalar_kind(object x):
    """kind of a python (or numpy) scalar, or -1 when x is no scalar."""
    if isinstance(x, bool):
        return K_BOOL
    if isinstance(x, int):
        return K_INT
    if isinstance(x, float):
        return K_FLOAT
    if isinstance(x, complex):
        return K_COMPLEX
    return -1


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


def result_type(tensor1, tensor2):
    return _result_type((_operand(tensor1, "result_type"), _operand(tensor2, "result_type")))


def can_cast(from_, to):
    return _can_cast(<DType?>from_, <DType?>to)


cdef bint _can_cast(DType src, DType dst):
    """PyTorch's same-kind rule: no float -> integer, complex -> real, or anything -> bool."""
    if src._kind == K_COMPLEX and dst._kind != K_COMPLEX:
        return False
    if src._kind == K_FLOAT and dst._kind < K_FLOAT:
        return False
    if src._kind != K_BOOL and dst._kind == K_BOOL:
        return False
    return True


cdef object _operand(object x, str fname):
    """A tensor, or a python/numpy scalar kept as a weak scalar."""
    if isinstance(x, Tensor):
        return x
    if _scalar_kind(x) >= 0:
        return x
    if hasattr(x, "__array_interface__") or hasattr(x, "__array__"):
        np = _np()
        if isinstance(x, np.generic):
            return x.item()
        return tensor(x)
    raise TypeError(f"{fname}(): argument 'other' must be Tensor or Number, not {type(x).__name__}")


cdef int _write_scalar(char *buf, object v, DType dt) except -1:
    """Stores python number v into buf as dt (wrapping like a C cast)."""
    cdef int code = dt._code
    cdef double d, d2
    cdef int64_t i
    if code == CT_BOOL:
        (<uint8_t *>buf)[0] = 1 if v else 0
    elif code <= CT_INT64:
        if isinstance(v, float):
            i = <int64_t>(<double>v)
        else:
            try:
                i = v
            except OverflowError:
                raise RuntimeError(f"value cannot be converted to type {_C_TYPE_NAMES[code]} without overflow")
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
    elif code <= CT_FLOAT64:
        if isinstance(v, complex):
            v = v.real
        try:
            d = v
        except OverflowError:
            raise RuntimeError(f"value cannot be converted to type {_C_TYPE_NAMES[code]} without overflow")
        if code == CT_FLOAT16:
            _store_half(buf, d)
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
    """
    void ct_store_half(char *p, double v)


cdef inline void _store_half(char *buf, double d):
    ct_store_half(buf, d)


cdef list _C_TYPE_NAMES = ["bool", "uint8_t", "int8_t", "int16_t", "int", "int64_t", "c10::Half",
                           "float", "double", "c10::complex<float>", "c10::complex<double>"]


# ------------------------------------------------------------- casts, copies

cdef Tensor _cast(Tensor t, DType dt):
    """t converted to dt (t itself when it already is dt)."""
    if t._dtype is dt:
        return t
    cdef Tensor r = _empty_like(t, dt)
    _copy_into(r, t, False)
    _record_cast_grad(r, t)
    return r


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


cdef Tensor _as_operand_tensor(object x, DType dt):
    if isinstance(x, Tensor):
        return <Tensor>x
    return tensor(x, dtype=dt)


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
    _write_scalar(buf, value, t._dtype)
    it.nargs = 2
    it.ndim = t._ndim
    for d in range(t._ndim):
        it.shape[d] = t._shape[d]
    _iter_add(&it, 0, t)
    _iter_scalar(&it, 1, buf)
    _run(&it, CT_EW_CAST, t._dtype._code, t._dtype._code, &P, GRAIN_CHEAP)
    return 0


# ----------------------------------------------------------------- binary

cdef object _binary(int op, int rule, object a, object b, object out, str name, bint inplace=False):
    cdef DType res, comp, outdt
    cdef Tensor ta = None, tb = None, o = None, tmp
    cdef char bufa[16]
    cdef char bufb[16]
    cdef Iter it
    cdef ct_params P
    a = _operand(a, name)
    b = _operand(b, name)
    if op == CT_POW and isinstance(a, Tensor) and (<Tensor>a)._dtype._kind <= K_INT \
            and isinstance(b, int) and not isinstance(b, bool) and b < 0:
        # every call form, not only `**`: an integer result cannot hold x ** -n
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    if type(a) is Tensor and type(b) is Tensor and (<Tensor>a)._dtype is (<Tensor>b)._dtype:
        # the common case needs no promotion: skip building the operand tuple
        res = (<Tensor>a)._dtype
    else:
        res = _result_type((a, b))
    if rule == R_FLOAT and res._kind <= K_INT:
        res = _default_dtype
    comp = res
    if res._code == CT_FLOAT16 and (_inexact_in_half(a) or _inexact_in_half(b)):
        # half kernels compute in float; a scalar operand that half cannot
        # hold keeps its float value (rounded once, at the end, as PyTorch does)
        comp = t_float32
    cdef const ct_backend *B = _backend_of(a, b, out)
    if not B.has_kernel(CT_EW_BINARY, op, comp._code):
        _no_kernel(name, comp, op, B)
    outdt = t_bool if rule == R_CMP else res
    if isinstance(a, Tensor):
        ta = <Tensor>a
    if isinstance(b, Tensor):
        tb = <Tensor>b
    _broadcast_shape(&it, ta, tb, None)
    if out is not None:
        o = <Tensor?>out
        if not _can_cast(outdt, o._dtype):
            if inplace:
                raise RuntimeError(f"result type {_SCALAR_NAMES[outdt._code]} can't be cast to the desired output type {_SCALAR_NAMES[o._dtype._code]}")
            raise RuntimeError(f"result type {_SCALAR_NAMES[outdt._code]} can't be cast to the desired output type {_SCALAR_NAMES[o._dtype._code]}")
        _check_out_shape(o, &it, inplace)
    # operands in the compute dtype
    if ta is not None and ta._dtype is not comp:
        ta = _cast(ta, comp)
    if tb is not None and tb._dtype is not comp:
        tb = _cast(tb, comp)
    cdef Tensor dst
    cdef DType kdt = t_bool if rule == R_CMP else comp    # what the kernel writes
    if o is not None and o._dtype is kdt:
        dst = o
    else:
        dst = _alloc_like_operands(&it, ta, tb, kdt)
    it.nargs = 3
    _iter_add(&it, 0, dst)
    if ta is not None:
        _iter_add(&it, 1, ta)
    else:
        _write_scalar(bufa, a, comp)
        _iter_scalar(&it, 1, bufa)
    if tb is not None:
        _iter_add(&it, 2, tb)
    else:
        _write_scalar(bufb, b, comp)
        _iter_scalar(&it, 2, bufb)
    P.err = 0
    _run(&it, CT_EW_BINARY, op, comp._code, &P, GRAIN_CHEAP if op <= CT_MUL else GRAIN_MATH)
    if P.err:
        raise RuntimeError("ZeroDivisionError")
    if o is not None:
        if dst is not o:
            _copy_into(o, dst, False)
        _bump(o)
        return o
    if kdt is not outdt:
        return _cast(dst, outdt)
    return dst


cdef bint _inexact_in_half(object x) except -1:
    """x is a python number or a 0-d tensor of another dtype whose value half
    does not represent exactly."""
    cdef Tensor t
    if isinstance(x, Tensor):
        t = <Tensor>x
        if t._ndim != 0 or t._dtype._code == CT_FLOAT16 or t._dtype._kind > K_FLOAT:
            return False
        x = t.item()
    elif not isinstance(x, (int, float)):
        return False
    try:
        return _struct.unpack("e", _struct.pack("e", x))[0] != x
    except (OverflowError, _struct.error):
        return True


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
    if o._numel != 0:
        import warnings
        warnings.warn(f"An output with one or more elements was resized since it had shape {_fmt_shape(o.size())}, "
                      f"which does not match the required output shape {_fmt_shape(shape)}. This behavior is "
                      f"deprecated, and in a future PyTorch release outputs will not be resized unless they have "
                      f"zero elements. You can explicitly reuse an out tensor t by resizing it, inplace, to zero "
                      f"elements with t.resize_(0).", UserWarning, stacklevel=3)
    _resize(o, shape)
    return 0


cdef int _resize(Tensor t, list shape) except -1:
    cdef Tensor fresh = _empty_list(shape, t._dtype)
    cdef Py_ssize_t need = fresh._numel * t._dtype.itemsize
    if t._offset * t._dtype.itemsize + need <= t._storage.nbytes:
        t._set_layout(fresh._ndim, fresh._shape, NULL)
    else:
        t._take(fresh)
    return 0


def _resize_(Tensor self, *sizes):
    _resize(self, _parse_size(sizes, "resize_"))
    return self


cdef Tensor _alloc_like_operands(Iter *it, Tensor a, Tensor b, DType dt):
    """The result tensor: C-contiguous, except that when the first full-size
    operand is a dense permutation (a transpose, say) the result takes its
    layout, as PyTorch does, so that streaming through inputs stays linear."""
    cdef Py_ssize_t sh[CT_MAXDIM]
    cdef Py_ssize_t st[CT_MAXDIM]
    cdef int d
    for d in range(it.ndim):
        sh[d] = it.shape[d]
    cdef Tensor like = None
    if a is not None and a._ndim == it.ndim and not _is_contiguous(a) and _same_shape_iter(a, it):
        like = a
    elif b is not None and b._ndim == it.ndim and not _is_contiguous(b) and _same_shape_iter(b, it):
        like = b
    if like is not None and _dense_permuted_strides(like, st):
        return _make_tensor(_alloc_storage(like._numel * dt.itemsize), 0, it.ndim, sh, st, dt)
    return _empty(it.ndim, sh, dt)


cdef bint _same_shape_iter(Tensor t, Iter *it):
    cdef int d
    for d in range(t._ndim):
        if t._shape[d] != it.shape[d]:
            return False
    return True


cdef bint _dense_permuted_strides(Tensor t, Py_ssize_t *out):
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


cdef _no_kernel(str name, DType dt, int op, const ct_backend *B):
    if op == CT_SUB and dt._code == CT_BOOL:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.")
    raise RuntimeError(f"\"{name}_{B.name.decode()}\" not implemented for '{_SCALAR_NAMES[dt._code]}'")


# ------------------------------------------------------------------ unary

cdef object _unary(int op, int rule, object a, object out, str name, ct_params *P=NULL, bint inplace=False):
    cdef Tensor t = _tensor_arg(a, name)
    cdef DType comp = t._dtype, outdt
    cdef ct_params local
    cdef Iter it
    cdef Tensor o = None, dst
    if P == NULL:
        P = &local
    if rule == U_FLOAT and comp._kind <= K_INT:
        comp = _default_dtype
    elif op == CT_SQUARE and comp._code == CT_BOOL:
        comp = t_int64      # square is pow(x, 2): bool promotes with the int 2
    outdt = comp
    if rule == U_PRED:
        outdt = t_bool
    if rule == U_ABS and comp._kind == K_COMPLEX:
        outdt = comp.to_real()
    cdef const ct_backend *B = _backend_of(t, out, None)
    if not B.has_kernel(CT_EW_UNARY, op, comp._code):
        if op == CT_NEG and comp._code == CT_BOOL:
            raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
        raise RuntimeError(f"\"{name}_{B.name.decode()}\" not implemented for '{_SCALAR_NAMES[comp._code]}'")
    it.ndim = t._ndim
    cdef int d
    for d in range(t._ndim):
        it.shape[d] = t._shape[d]
    if out is not None:
        o = <Tensor?>out
        if not _can_cast(outdt, o._dtype):
            raise RuntimeError(f"result type {_SCALAR_NAMES[outdt._code]} can't be cast to the desired output type {_SCALAR_NAMES[o._dtype._code]}")
        _check_out_shape(o, &it, inplace)
    if t._dtype is not comp:
        t = _cast(t, comp)
    if o is not None and o._dtype is outdt:
        dst = o
    else:
        dst = _alloc_like_operands(&it, t, None, outdt)
    it.nargs = 2
    _iter_add(&it, 0, dst)
    _iter_add(&it, 1, t)
    _run(&it, CT_EW_UNARY, op, comp._code, P, GRAIN_CHEAP if op == CT_NEG or op == CT_ABS else GRAIN_MATH)
    if o is not None:
        if dst is not o:
            _copy_into(o, dst, False)
        _bump(o)
        return o
    return dst


cdef Tensor _tensor_arg(object a, str name):
    if isinstance(a, Tensor):
        return <Tensor>a
    raise TypeError(f"{name}(): argument 'input' (position 1) must be Tensor, not {type(a).__name__}")


# ------------------------------------------------------------- ternary

def where(condition, input=None, other=None, *, out=None):
    cdef Tensor c = _tensor_arg(condition, "where")
    if input is None and other is None:
        return nonzero(c, as_tuple=True)
    if c._dtype is not t_bool:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype {_SCALAR_NAMES[c._dtype._code]}")
    x = _operand(input, "where")
    y = _operand(other, "where")
    cdef DType res = _result_type((x, y))
    cdef Tensor tx = x if isinstance(x, Tensor) else _scalar_tensor(x, res)
    cdef Tensor ty = y if isinstance(y, Tensor) else _scalar_tensor(y, res)
    tx = _cast(tx, res)
    ty = _cast(ty, res)
    cdef Iter it
    cdef ct_params P
    _broadcast_shape(&it, c, tx, ty)
    cdef Tensor dst
    if out is not None:
        dst = <Tensor?>out
        _check_out_shape(dst, &it, False)
        if dst._dtype is not res:
            raise RuntimeError(f"Expected out tensor to have dtype {res!r}, but got {dst._dtype!r} instead")
    else:
        dst = _alloc_like_operands(&it, tx, ty, res)
    it.nargs = 4
    _iter_add(&it, 0, dst)
    _iter_add(&it, 1, c)
    _iter_add(&it, 2, tx)
    _iter_add(&it, 3, ty)
    _backend_of(c, tx, ty)
    _run(&it, CT_EW_WHERE, 0, res._code, &P, GRAIN_CHEAP)
    _record_where_grad(dst, c, tx, ty)
    return dst


cdef Tensor _scalar_tensor(object v, DType dt):
    cdef Tensor r = _empty(0, NULL, dt)
    _write_scalar(r._data, v, dt)
    return r


def lerp(input, end, weight, *, out=None):
    cdef Tensor s = _tensor_arg(input, "lerp"), e = _tensor_arg(end, "lerp")
    if s._dtype is not e._dtype:
        raise RuntimeError(f"expected dtype {s._dtype!r} for `end` but got dtype {e._dtype!r}")
    cdef Tensor w = weight if isinstance(weight, Tensor) else _scalar_tensor(weight, s._dtype)
    if w._dtype is not s._dtype:
        if isinstance(weight, Tensor):
            raise RuntimeError(f"expected dtype {s._dtype!r} for `weight` but got dtype {w._dtype!r}")
    cdef const ct_backend *B = _backend_of(s, e, w)
    if not B.has_kernel(CT_EW_LERP, 0, s._dtype._code):
        raise RuntimeError(f"\"lerp_kernel_scalar\" not implemented for '{_SCALAR_NAMES[s._dtype._code]}'")
    cdef Iter it
    cdef ct_params P
    _broadcast_shape(&it, s, e, w)
    cdef Tensor dst
    if out is not None:
        dst = <Tensor?>out
        _check_out_shape(dst, &it, False)
    else:
        dst = _alloc_like_operands(&it, s, e, s._dtype)
    it.nargs = 4
    _iter_add(&it, 0, dst)
    _iter_add(&it, 1, s)
    _iter_add(&it, 2, e)
    _iter_add(&it, 3, w)
    _run(&it, CT_EW_LERP, 0, s._dtype._code, &P, GRAIN_MATH)
    if out is not None:
        _bump(dst)
    else:
        _record_lerp(dst, s, e, weight)
    return dst
