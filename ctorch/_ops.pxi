# Elementwise ops: check arguments -> result dtype (weak python scalars) ->
# broadcast -> allocate or check `out` -> run the C kernel over coalesced
# dimensions. One generic path per arity; the op tables at the bottom turn it
# into torch.xxx functions and Tensor methods.

from libc.stdint cimport int64_t
import struct as _struct

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


def result_type(tensor1, tensor2):
    return _result_type((_operand(tensor1, "result_type"), _operand(tensor2, "result_type")))


# ------------------------------------------------------------- casts, copies

cdef Tensor _cast(Tensor t, DType dt):
    """t converted to dt (t itself when it already is dt)."""
    if t._dtype is dt:
        return t
    cdef Tensor r = _empty_like(t, dt)
    _copy_into(r, t, False)
    _record_cast_grad(r, t)
    return r


cdef Tensor _as_operand_tensor(object x, DType dt):
    if isinstance(x, Tensor):
        return <Tensor>x
    return tensor(x, dtype=dt)


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
