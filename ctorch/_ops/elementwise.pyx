# cython: language_level=3
"""Elementwise ops: check arguments -> result dtype (weak python scalars) ->
broadcast -> allocate or check `out` -> launch the backend's kernel over the
coalesced dimensions -> record (one call, naming the op's derivatives entry).
One generic path per arity; the op tables turn it into torch.xxx functions,
Tensor methods, in-place methods and Tensor's operators. Also: casts and
copies (clone, to, copy_, fill_, zero_, type conversions) and the in-place
machinery every op family shares (an op on a tensor in a graph computes out
of place and hands its history over)."""

from libc.stdint cimport int64_t

from ctorch._core.dtype cimport *
from ctorch._core.backend cimport *
from ctorch._core.dispatch cimport device, _device_code, backend_for, _CPU
from ctorch._core.storage cimport Storage
from ctorch._core.tensor cimport *
from ctorch._core.iterator cimport *
from ctorch.autograd._node cimport (
    record, record1, record2, _grad_mode, _set_grad_mode, _edge, _check_inplace, _inplace_needs_graph, _rebase_history,
)
from ctorch._core.iterator import _resize_
from ctorch._ops.creation import tensor
from ctorch._core.storage import _InferenceStorage
from ctorch.autograd._node import _check_inference_write


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
        return tensor(x, device=_CPU)
    raise TypeError(f"{fname}(): argument 'other' must be Tensor or Number, not {type(x).__name__}")


def result_type(tensor1, tensor2):
    return _result_type((_operand(tensor1, "result_type"), _operand(tensor2, "result_type")))


# ------------------------------------------------------------- casts, copies

cdef Tensor _cast_to(Tensor t, DType dt, bint preserve):
    """t converted to dt (t itself when it already is dt): contiguous, or
    (preserve) laid out as PyTorch's conversions (to, type, float, ...)
    return it, a permuted dense t's strides kept, its values converted in
    memory order."""
    if t._dtype is dt:
        return t
    cdef Tensor r = _empty_preserve(t, dt) if preserve else _empty_like(t, dt)
    _copy_into(r, t, False)
    record1("_to_copy", r, t)
    return r


cdef Tensor _cast(Tensor t, DType dt):
    return _cast_to(t, dt, False)


cdef Tensor _cast_preserve(Tensor t, DType dt):
    return _cast_to(t, dt, True)


cdef Tensor _as_operand_tensor(object x, DType dt):
    if isinstance(x, Tensor):
        return <Tensor>x
    return tensor(x, dtype=dt, device=_CPU)


# ----------------------------------------------------------------- binary

# unary ops whose out= must have the result's dtype exactly (the others take any
# dtype the result casts to)
cdef frozenset _EXACT_OUT = frozenset(["neg", "negative", "abs", "absolute", "sign", "floor", "ceil",
                                       "round", "trunc", "fix", "frac", "bitwise_not", "clamp", "clip"])


cdef inline bint _devices_differ(object a, object b):
    return isinstance(a, Tensor) and isinstance(b, Tensor) and \
        (<Tensor>a)._storage.device != (<Tensor>b)._storage.device


cdef tuple _lift2(object a, object b):
    """(a, b) with a 0-dim CPU tensor among them copied to the other's device
    (_lift_cpu_scalar); callers record the op with the pair this returns, so
    that the copy carries the gradient back to the CPU."""
    a = _lift_cpu_scalar(a, b, None)
    return a, _lift_cpu_scalar(b, a, None)


cdef extern from "elementwise.h":
    enum:
        CT_P_F32_1, CT_P_F32_2


cdef int _run_ternary(Iter *it, Tensor dst, Tensor a, Tensor b, Tensor c, int kind, int op,
                      int code, ct_params *P, int64_t grain) except -1:
    """Runs a (kind, op) launch of three inputs into dst over the broadcast
    space it already holds."""
    it.nargs = 4
    _iter_add(it, 0, dst)
    _iter_add(it, 1, a)
    _iter_add(it, 2, b)
    _iter_add(it, 3, c)
    return _run(it, kind, op, code, P, grain)


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
    if (op == CT_POW and out is None and not inplace and type(b) is Tensor
            and (<Tensor>b)._dtype._kind >= K_FLOAT and (<Tensor>b)._dtype._kind < K_COMPLEX
            and (type(a) is float or type(a) is int) and a == 2):
        # 2 ** x by the vector exp2 kernel, within an ulp of pow's value (pow
        # an element at a time ran at 0.48x PyTorch's speed)
        return _unary(CT_EXP2, U_FLOAT, b, None, "pow")
    if type(a) is Tensor and type(b) is Tensor and (<Tensor>a)._dtype is (<Tensor>b)._dtype:
        # the common case needs no promotion: skip building the operand tuple
        res = (<Tensor>a)._dtype
    else:
        res = _result_type((a, b))
    if rule == R_FLOAT and res._kind <= K_INT:
        res = _default_dtype
    comp = res
    cdef int fscal = 0      # CT_P_F32_1 / _2: that Python number goes to the kernel as a float32
    if (res._code == CT_FLOAT16 or res._code == CT_BFLOAT16) and (op == CT_MUL or op == CT_DIV or op == CT_DIV_FLOOR or op == CT_DIV_TRUNC) and (
            _inexact_in_half(a, res._code) or _inexact_in_half(b, res._code)):
        # half kernels compute in float; a scalar factor or divisor that half
        # cannot hold keeps its float value (rounded once, at the end, as
        # PyTorch's mul and divisions do); the other ops take the scalar
        # rounded to half / bfloat16 first, as PyTorch's do. A Python number
        # with a tensor of the dtype on the CPU: the half launch takes it as
        # a float32 value; otherwise the launch is float32's
        if type(a) is Tensor and (<Tensor>a)._dtype is res and (<Tensor>a)._storage.device < 0 \
                and not isinstance(b, Tensor):
            fscal = CT_P_F32_2
        elif type(b) is Tensor and (<Tensor>b)._dtype is res and (<Tensor>b)._storage.device < 0 \
                and not isinstance(a, Tensor):
            fscal = CT_P_F32_1
        else:
            comp = t_float32
    cdef const ct_backend *B = _backend_of(a, b, out)
    outdt = t_bool if rule == R_CMP else res
    if isinstance(a, Tensor):
        ta = <Tensor>a
    if isinstance(b, Tensor):
        tb = <Tensor>b
    _broadcast_shape(&it, ta, tb, None)
    if out is not None:
        o = <Tensor?>out
        if not inplace:
            _no_autograd_out(name, o, (ta, tb))
        if not _can_cast(outdt, o._dtype):
            raise RuntimeError(f"result type {_SCALAR_NAMES[outdt._code]} can't be cast to the desired output type {_SCALAR_NAMES[o._dtype._code]}")
        _check_out(o, &it, inplace, ta, tb, None)
    # a missing kernel is reported after the shape and cast errors (PyTorch's order)
    if not B.has_kernel(CT_EW_BINARY, op, comp._code):
        _no_kernel(name, comp, op, B)
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
        _write_scalar(bufa, a, t_float32 if fscal == CT_P_F32_1 else comp)
        _iter_scalar(&it, 1, bufa)
    if tb is not None:
        _iter_add(&it, 2, tb)
    else:
        _write_scalar(bufb, b, t_float32 if fscal == CT_P_F32_2 else comp)
        _iter_scalar(&it, 2, bufb)
    P.err = 0
    P.flags = fscal
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


cdef extern from *:
    """
    /* v rounded to half (nearest, ties to even) is not v: inexact, overflowing or NaN */
    static int ct_inexact_in_half(double v) { return (double)(_Float16)v != v; }
    static int ct_inexact_in_bf16(double v) {
        float f = (float)v;
        uint32_t u;
        if ((double)f != v) return v == v;
        memcpy(&u, &f, 4);
        return (u & 0xffffu) != 0 && f == f;
    }
    """
    bint ct_inexact_in_half(double v) nogil
    bint ct_inexact_in_bf16(double v) nogil


cdef extern from *:
    """
    /* v as a half / bfloat16 holds it: through float first (nearest, ties
     * to even), as PyTorch converts a scalar */
    static double ct_round_half(double v) { return (double)(_Float16)(float)v; }
    static double ct_round_bf16(double v) {
        float f = (float)v;
        uint32_t u;
        memcpy(&u, &f, 4);
        if (f == f) u = (u + 0x7fffu + ((u >> 16) & 1u)) & 0xffff0000u;
        memcpy(&f, &u, 4);
        return (double)f;
    }
    """
    double ct_round_half(double v) nogil
    double ct_round_bf16(double v) nogil


cdef object _alpha_of(object input, object other, object alpha):
    """The alpha that add / sub of two half or bfloat16 tensors scale by:
    a python float alpha rounded to that dtype first, as PyTorch's do (x +
    0.3 y of halves differed in 8294 of 65536 values at its float value);
    alpha itself otherwise."""
    if type(alpha) is not float or not isinstance(input, Tensor) or not isinstance(other, Tensor):
        return alpha
    cdef int code = (<Tensor>input)._dtype._code
    if (<Tensor>other)._dtype._code != code:
        return alpha
    if code == CT_FLOAT16:
        return ct_round_half(alpha)
    if code == CT_BFLOAT16:
        return ct_round_bf16(alpha)
    return alpha


cdef bint _inexact_in_half(object x, int code) except -1:
    """x is a python number or a 0-d tensor of another dtype whose value half
    (code: float16 or bfloat16) does not represent exactly."""
    cdef Tensor t
    if isinstance(x, Tensor):
        t = <Tensor>x
        if t._ndim != 0 or t._dtype._code == code or t._dtype._kind > K_FLOAT:
            return False
        x = t.item()
    elif not isinstance(x, (int, float)):
        return False
    try:
        return ct_inexact_in_half(x) if code == CT_FLOAT16 else ct_inexact_in_bf16(x)
    except OverflowError:                       # an int beyond double's range
        return True


cdef _no_kernel(str name, DType dt, int op, const ct_backend *B):
    if dt._kind == K_COMPLEX and name in _COMPLEX_MSG:
        raise _COMPLEX_MSG[name][0](_COMPLEX_MSG[name][1])
    if op == CT_SUB and dt._code == CT_BOOL:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.")
    raise NotImplementedError(f"\"{name}_{B.name.decode()}\" not implemented for '{_SCALAR_NAMES[dt._code]}'")


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
        if comp._kind == K_COMPLEX and name in _COMPLEX_MSG:
            raise _COMPLEX_MSG[name][0](_COMPLEX_MSG[name][1])
        raise NotImplementedError(f"\"{name}_{B.name.decode()}\" not implemented for '{_SCALAR_NAMES[comp._code]}'")
    it.ndim = t._ndim
    cdef int d
    for d in range(t._ndim):
        it.shape[d] = t._shape[d]
    if out is not None:
        o = <Tensor?>out
        if not inplace:
            _no_autograd_out(name, o, (t,))
            # (not x.op_(); abs of complex: a complex out must be the input's dtype,
            # a real one anything its real result casts to)
            if o._dtype is not outdt and name in _EXACT_OUT and out is not a and \
                    (rule != U_ABS or comp._kind != K_COMPLEX or
                     (o._dtype._kind == K_COMPLEX and o._dtype is not comp)):
                raise RuntimeError(f"Found dtype {_SCALAR_NAMES[o._dtype._code]} but expected "
                                   f"{_SCALAR_NAMES[(comp if comp._kind == K_COMPLEX else outdt)._code]}")
        if not _can_cast(outdt, o._dtype):
            raise RuntimeError(f"result type {_SCALAR_NAMES[outdt._code]} can't be cast to the desired output type {_SCALAR_NAMES[o._dtype._code]}")
        _check_out(o, &it, inplace, t, None, None)
    if t._dtype is not comp:
        t = _cast(t, comp)
    if o is not None and o._dtype is outdt:
        dst = o
    else:
        dst = _alloc_like_operands(&it, t, None, outdt)
    it.nargs = 2
    _iter_add(&it, 0, dst)
    _iter_add(&it, 1, t)
    _run(&it, CT_EW_UNARY, op, comp._code, P, GRAIN_CHEAP if op == CT_NEG or op == CT_ABS or op == CT_CONJ else GRAIN_MATH)
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
        return c.nonzero(as_tuple=True)
    if c._dtype is not t_bool:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype {_SCALAR_NAMES[c._dtype._code]}")
    x = _operand(input, "where")
    y = _operand(other, "where")
    cdef DType res = _result_type((x, y))
    # a python number takes the result dtype: it must fit (PyTorch's overflow rule)
    if not isinstance(x, Tensor):
        _check_fits(x, res, False)
    if not isinstance(y, Tensor):
        _check_fits(y, res, False)
    cdef Tensor tx = x if isinstance(x, Tensor) else _scalar_tensor(x, res)
    cdef Tensor ty = y if isinstance(y, Tensor) else _scalar_tensor(y, res)
    if c._storage.device != tx._storage.device or c._storage.device != ty._storage.device:
        c = <Tensor>_lift_cpu_scalar(c, tx, ty)
        tx = <Tensor>_lift_cpu_scalar(tx, c, ty)
        ty = <Tensor>_lift_cpu_scalar(ty, c, tx)
    tx = _cast(tx, res)
    ty = _cast(ty, res)
    cdef Iter it
    cdef ct_params P
    _broadcast_shape(&it, c, tx, ty)
    cdef Tensor dst
    if out is not None:
        dst = <Tensor?>out
        _no_autograd_out("where", dst, (x, y))
        if dst._dtype is not res:
            raise RuntimeError(f"Expected out type to be {_SCALAR_NAMES[res._code]} but got "
                               f"{_SCALAR_NAMES[dst._dtype._code]}")
        _check_out(dst, &it, False, c, tx, ty)
    else:
        dst = _alloc_like_operands(&it, c, tx, res, ty)
    _backend_of(c, tx, ty)
    _run_ternary(&it, dst, c, tx, ty, CT_EW_WHERE, 0, res._code, &P, GRAIN_CHEAP)
    record("where", dst, (tx, ty), (c,))
    return dst


def lerp(input, end, weight, *, out=None):
    cdef Tensor s = _tensor_arg(input, "lerp"), e = _tensor_arg(end, "lerp")
    if s._dtype is not e._dtype:
        raise RuntimeError(f"expected dtype {s._dtype!r} for `end` but got dtype {e._dtype!r}")
    cdef Tensor w = weight if isinstance(weight, Tensor) else _scalar_tensor(weight, s._dtype)
    if s._storage.device != e._storage.device or s._storage.device != w._storage.device:
        s = <Tensor>_lift_cpu_scalar(s, e, w)
        e = <Tensor>_lift_cpu_scalar(e, s, w)
        w = <Tensor>_lift_cpu_scalar(w, s, e)
    if w._dtype is not s._dtype:
        if isinstance(weight, Tensor):
            raise RuntimeError(f"expected dtype {s._dtype!r} for `weight` but got dtype {w._dtype!r}")
    cdef const ct_backend *B = _backend_of(s, e, w)
    cdef int top = 0        # CT_T_LERP
    if (not isinstance(weight, Tensor) and (s._dtype._code == CT_FLOAT16 or s._dtype._code == CT_BFLOAT16)
            and B.has_kernel(CT_EW_LERP, CT_T_LERP_W32, s._dtype._code)):
        # a Python weight keeps its float value (PyTorch computes half and
        # bfloat16 in float): a float32 weight
        w = _scalar_tensor(weight, t_float32)
        top = CT_T_LERP_W32
    if not B.has_kernel(CT_EW_LERP, top, s._dtype._code):
        raise NotImplementedError(f"\"lerp_kernel_scalar\" not implemented for '{_SCALAR_NAMES[s._dtype._code]}'")
    cdef Iter it
    cdef ct_params P
    _broadcast_shape(&it, s, e, w)
    cdef Tensor dst, o = None
    if out is not None:
        o = <Tensor?>out
        _no_autograd_out("lerp", o, (s, e, w))
        if o._dtype is not s._dtype:
            # the kernel writes the inputs' dtype: another out dtype takes a cast
            # copy (PyTorch: exact with a tensor weight, castable with a scalar)
            if isinstance(weight, Tensor):
                raise RuntimeError(f"Found dtype {_SCALAR_NAMES[o._dtype._code]} but expected "
                                   f"{_SCALAR_NAMES[s._dtype._code]}")
            if not _can_cast(s._dtype, o._dtype):
                raise RuntimeError(f"result type {_SCALAR_NAMES[s._dtype._code]} can't be cast to the "
                                   f"desired output type {_SCALAR_NAMES[o._dtype._code]}")
        _check_out(o, &it, False, s, e, w)
    if o is not None and o._dtype is s._dtype:
        dst = o
    else:
        dst = _alloc_like_operands(&it, s, e, s._dtype)
    _run_ternary(&it, dst, s, e, w, CT_EW_LERP, top, s._dtype._code, &P, GRAIN_MATH)
    if o is not None:
        if dst is not o:
            _copy_into(o, dst, False)
        _bump(o)
        return o
    elif isinstance(weight, Tensor):
        record("lerp.Tensor", dst, (s, e, w))
    else:
        record("lerp.Scalar", dst, (s, e), (weight,))
    return dst


# autocast (ctorch.amp; see ctorch/_ops/products.pyx): the calling thread's
# regions (bit 1: a CUDA region). The elementwise ops of CUDA's float32 and
# promote lists hand their arguments to the hook ctorch.amp installs.
cdef extern from *:
    """
    static __thread int ct_autocast = 0;
    """
    int ct_autocast

_autocast_hook = None
cdef frozenset _AUTOCAST_CUDA = frozenset([
    "acos", "asin", "cosh", "erfinv", "exp", "expm1", "log", "log10", "log2", "log1p", "reciprocal",
    "rsqrt", "sinh", "tan", "pow", "atan2"])


def _set_autocast_state(int flags):
    global ct_autocast
    ct_autocast = flags


# the op list (ctorch/_kernels/elementwise_ops.def) as rows of data
cdef extern from "elementwise_ops.h":
    ctypedef struct ct_op_row:
        int code
        const char *name
        int rule
        int inplace
        const char *aliases
    const ct_op_row ct_unary_op_rows[]
    const ct_op_row ct_binary_op_rows[]
    int CT_N_UNARY_ROWS
    int CT_N_BINARY_ROWS


cdef object _make_unary(int op, int rule, str name, bint inplace):
    if inplace:
        def method_(self):
            return _unary_inplace(op, rule, <Tensor?>self, name)
        method_.__name__ = name + "_"
        return method_

    cdef bint amp = name in _AUTOCAST_CUDA

    def function(input, *, out=None):
        if amp and ct_autocast & 2 and out is None:
            return _autocast_hook(name, function, (input,), None)
        return _unary_graded(op, rule, input, out, name)
    function.__name__ = name
    return function


cdef object _unary_graded(int op, int rule, object input, object out, str name):
    cdef object r = _unary(op, rule, input, out, name)
    if out is None:
        record1(name, r, input)
    return r


cdef object _unary_inplace(int op, int rule, Tensor self, str name):
    _check_inplace(self)
    cdef DType comp = self._dtype
    if rule == U_ABS and comp._kind == K_COMPLEX:
        raise RuntimeError("In-place abs is not supported for complex tensors.")
    if rule == U_FLOAT and comp._kind <= K_INT:
        raise RuntimeError(f"result type {_SCALAR_NAMES[_default_dtype._code]} can't be cast to the desired output type {_SCALAR_NAMES[comp._code]}")
    if _inplace_needs_graph(self, None):
        return _inplace_with_graph(self, lambda s: _unary_graded(op, rule, s, None, name))
    return _unary(op, rule, self, self, name, NULL, True)


cdef object _make_binary(int op, int rule, str name, bint inplace):
    cdef bint tensor_other = name in _TENSOR_OTHER
    if inplace:
        def method_(self, other):
            if tensor_other and not isinstance(other, Tensor):
                raise TypeError(f"{name}_(): argument 'other' (position 1) must be Tensor, not {type(other).__name__}")
            _check_inplace(<Tensor?>self)
            if _devices_differ(self, other):
                other = _lift_cpu_scalar(other, self, None)
            if _inplace_needs_graph(<Tensor>self, other):
                return _inplace_with_graph(<Tensor>self, lambda s: _FUNCTIONS[name](s, other))
            return _binary(op, rule, self, other, self, name, True)
        method_.__name__ = name + "_"
        return method_

    cdef bint amp = name in _AUTOCAST_CUDA

    def function(input, other, *, out=None):
        if amp and ct_autocast & 2 and out is None:
            return _autocast_hook(name, function, (input, other), None)
        if tensor_other and not isinstance(other, Tensor):
            raise TypeError(f"{name}(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}")
        if _devices_differ(input, other):
            input, other = _lift2(input, other)
        r = _binary(op, rule, input, other, out, name)
        if out is None:
            _record_binary(r, input, other, name, 1)
        return r
    function.__name__ = name
    return function


cdef dict _FUNCTIONS = {}

# PyTorch's own messages for complex inputs of ops that have no complex loop
cdef dict _COMPLEX_MSG = {
    "deg2rad": (RuntimeError, "deg2rad is not supported for complex tensors."),
    "rad2deg": (RuntimeError, "rad2deg is not supported for complex tensors."),
    "signbit": (NotImplementedError, "signbit is not implemented for complex tensors."),
    "isposinf": (RuntimeError, "isposinf does not support complex inputs."),
    "isneginf": (RuntimeError, "isneginf does not support complex inputs."),
    "fmax": (RuntimeError, "fmax not implemented for complex tensors."),
    "fmin": (RuntimeError, "fmin not implemented for complex tensors."),
}
# binary ops whose second operand must be a tensor (no python-number overload)
cdef frozenset _TENSOR_OTHER = frozenset(["hypot", "logaddexp", "logaddexp2", "nextafter", "gcd", "lcm",
                                          "fmax", "fmin"])


cdef _install_tables():
    """Every op of the list with a torch name gets its function, Tensor
    method, in-place method (unless its result dtype differs) and aliases."""
    cdef int i
    cdef const ct_op_row *row
    for i in range(CT_N_UNARY_ROWS):
        row = &ct_unary_op_rows[i]
        name = row.name.decode()
        if not name:
            continue
        f = _make_unary(row.code, row.rule, name, False)
        fi = _make_unary(row.code, row.rule, name, True) if row.inplace else None
        for n in [name] + row.aliases.decode().split():
            _FUNCTIONS[n] = f
            _add_method(n, f)
            if fi is not None:
                _add_method(n + "_", fi)
    for i in range(CT_N_BINARY_ROWS):
        row = &ct_binary_op_rows[i]
        name = row.name.decode()
        if not name:
            continue
        f = _make_binary(row.code, row.rule, name, False)
        fi = _make_binary(row.code, row.rule, name, True)
        for n in [name] + row.aliases.decode().split():
            _FUNCTIONS[n] = f
            _add_method(n, f)
            _add_method(n + "_", fi)


_install_tables()
globals().update(_FUNCTIONS)


# ------------------------------------------------- ops with extra arguments

cdef object _scaled(object input, object other, object alpha, str name):
    if alpha is None or (not isinstance(alpha, bool) and alpha == 1):
        return other
    cdef DType res = _result_type((_operand(input, name), _operand(other, name)))
    if res._kind <= K_INT and isinstance(alpha, float):
        raise RuntimeError(f"For integral input tensors, argument alpha must not be a floating point number.")
    # alpha * other is computed in the result dtype of input + other: scaling
    # first in other's own dtype would let the weak alpha widen the result
    # (int32 + 2 * bool must stay int32), and for bool results alpha is a truth value
    if res is t_bool:
        return other if alpha else _binary(CT_LOGAND, R_CMP, other, False, None, name)
    if isinstance(alpha, bool):
        raise RuntimeError("Boolean alpha only supported for Boolean results.")
    if isinstance(other, Tensor):
        other = _cast(<Tensor>other, res)
    elif _scalar_kind(other) >= 0 and _scalar_kind(alpha) >= 0:
        # a python number stays one (weak): a 0-d int64 product would outrank a
        # 0-d uint8 input, and python integers do not wrap
        return other * alpha
    return _binary(CT_MUL, R_ARITH, other, alpha, None, name)


cdef bint _fused_scaled(object input, object other, object alpha, object out):
    """Whether input + alpha * other runs as one pass (addcmul's loop with a
    third operand of 1: the same roundings as scaling first): two float
    tensors of one dtype and a python number alpha, into a new result or
    in place."""
    if alpha is None or isinstance(alpha, bool) or not isinstance(alpha, (int, float)):
        return False
    if not isinstance(input, Tensor) or not isinstance(other, Tensor) or (out is not None and out is not input):
        return False
    return ((<Tensor>input)._dtype is (<Tensor>other)._dtype and (<Tensor>input)._dtype._kind == K_FLOAT
            and (<Tensor>input)._dtype._code != CT_BFLOAT16
            and (<Tensor>input)._storage.device == (<Tensor>other)._storage.device)


cdef bint _bf16_pair(object a, object b, object alpha, object out):
    """Two bfloat16 tensors combined with a scale alpha != 1: PyTorch computes
    a + alpha * b in float and rounds once."""
    return (out is None and type(a) is Tensor and type(b) is Tensor
            and (<Tensor>a)._dtype._code == CT_BFLOAT16 and (<Tensor>b)._dtype._code == CT_BFLOAT16
            and isinstance(alpha, (int, float)) and not isinstance(alpha, bool) and alpha != 1)


cdef Tensor _bf16_scaled(int op, Tensor a, Tensor b, object alpha, str name):
    """(a op alpha * b) in float32, rounded once to bfloat16; no history (the
    caller records the op)."""
    cdef Tensor fb = _binary(CT_MUL, R_ARITH, _cast(b.detach(), t_float32), alpha, None, name)
    cdef Tensor r = _binary(op, R_ARITH, _cast(a.detach(), t_float32), fb, None, name)
    return _cast(r, a._dtype)


def add(input, other, *, alpha=1, out=None):
    if _devices_differ(input, other):
        input, other = _lift2(input, other)
    fa = _alpha_of(input, other, alpha)
    if _bf16_pair(input, other, fa, out):
        r = _bf16_scaled(CT_ADD, input, other, fa, "add")
        record2("add", r, input, other, (alpha,))
        return r
    if _fused_scaled(input, other, fa, out) and fa != 1:
        r = _addc(CT_MUL, "add", input, other, _scalar_tensor(1, (<Tensor>input)._dtype), fa, out, False)
        if out is None:
            record2("add", r, input, other, (alpha,))
        return r
    r = _binary(CT_ADD, R_ARITH, input, _scaled(input, other, fa, "add"), out, "add")
    if out is None:
        record2("add", r, input, other, (alpha,))
    return r


cdef int _check_sub_bool(object a, object b) except -1:
    """torch refuses `-` whenever an operand (a python bool included) is boolean,
    even when the promoted type would be numeric."""
    cdef bint ba = isinstance(a, bool) or (isinstance(a, Tensor) and (<Tensor>a)._dtype is t_bool)
    cdef bint bb = isinstance(b, bool) or (isinstance(b, Tensor) and (<Tensor>b)._dtype is t_bool)
    if ba and bb:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.")
    if ba or bb:
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
    return 0


def sub(input, other, *, alpha=1, out=None):
    _check_sub_bool(input, other)
    if _devices_differ(input, other):
        input, other = _lift2(input, other)
    fa = _alpha_of(input, other, alpha)
    if _bf16_pair(input, other, fa, out):
        r = _bf16_scaled(CT_SUB, input, other, fa, "sub")
        record2("sub", r, input, other, (alpha,))
        return r
    if _fused_scaled(input, other, fa, out) and fa != 1:
        # a - alpha b = a + (-alpha) b exactly (negation rounds nothing)
        r = _addc(CT_MUL, "sub", input, other, _scalar_tensor(1, (<Tensor>input)._dtype), -fa, out, False)
        if out is None:
            record2("sub", r, input, other, (alpha,))
        return r
    r = _binary(CT_SUB, R_ARITH, input, _scaled(input, other, fa, "sub"), out, "sub")
    if out is None:
        record2("sub", r, input, other, (alpha,))
    return r


subtract = sub


def rsub(input, other, *, alpha=1):
    return sub(other, input, alpha=alpha)


cdef int _rounding(object rounding_mode) except -2:
    if rounding_mode is None:
        return CT_DIV
    if rounding_mode == "trunc":
        return CT_DIV_TRUNC
    if rounding_mode == "floor":
        return CT_DIV_FLOOR
    raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '{rounding_mode}'")


def div(input, other, *, rounding_mode=None, out=None):
    cdef int op = _rounding(rounding_mode)
    if _devices_differ(input, other):
        input, other = _lift2(input, other)
    r = _binary(op, R_FLOAT if op == CT_DIV else R_ARITH, input, other, out, "div")
    if out is None:
        record("div" if op == CT_DIV else "div.rounding_mode", r, (input, other))
    return r


divide = div
true_divide = div


def clamp(input, min=None, max=None, *, out=None):
    cdef Tensor t = _tensor_arg(input, "clamp")
    # numpy scalars are numbers like python's
    if min is not None and not isinstance(min, Tensor) and _scalar_kind(min) < 0 and hasattr(min, "item"):
        min = min.item()
    if max is not None and not isinstance(max, Tensor) and _scalar_kind(max) < 0 and hasattr(max, "item"):
        max = max.item()
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        return _clamp_tensors(t, min, max, out)
    cdef ct_params P
    P.flags = (1 if min is not None else 0) | (2 if max is not None else 0)
    cdef DType res = _result_type((t, min, max))
    if res is not t._dtype:
        t = _cast(t, res)
    if min is not None:
        _check_fits(min, res, True)
    if max is not None:
        _check_fits(max, res, True)
    if res._kind <= K_INT:
        # the bounds are converted to the tensor's dtype first, wrapping as a C
        # cast does (torch: clamp(uint8, -2, 3) clamps to [254, 3]; past -255
        # or 255 it refuses, see _check_fits)
        P.ia = _wrap_int(int(min), res) if min is not None else 0
        P.ib = _wrap_int(int(max), res) if max is not None else 0
    else:
        P.a = float(min) if min is not None else 0.0
        P.b = float(max) if max is not None else 0.0
    r = _unary(CT_CLAMP, U_SAME, t, out, "clamp", &P, out is input)   # out is input: x.clamp_()
    if res._kind >= K_FLOAT and (P.a != P.a or P.b != P.b):
        _fill(<Tensor>r, float("nan"))   # a NaN bound makes every element NaN (as PyTorch)
    if out is None:
        record("clamp", r, (input,), (min, max))
    return r


clip = clamp


cdef int64_t _wrap_int(object v, DType dt) except? -1:
    if dt._code == CT_BOOL:
        return 1 if v else 0
    if dt._code == CT_UINT8:
        return v % 256
    # python integers throughout: a C shift by 63 would overflow
    half = _PY_TWO ** (8 * dt.itemsize - 1)
    return (v + half) % (2 * half) - half


_PY_TWO = 2


def clamp_min(input, min, *, out=None):
    return clamp(input, min=min, out=out)


def clamp_max(input, max, *, out=None):
    return clamp(input, max=max, out=out)


def _round(input, *, decimals=0, out=None):
    cdef ct_params P
    if decimals == 0:
        r = _unary(CT_ROUND, U_SAME, input, out, "round")
    else:
        # as PyTorch: 10^|decimals| once, the products in the dtype's compute
        # type (float for float32 and the halves)
        P.a = decimals
        P.b = 10.0 ** abs(decimals)
        r = _unary(CT_ROUND_DEC, U_SAME, input, out, "round", &P)
    if out is None:
        record("round", r, (input,))
    return r


def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None):
    cdef Tensor t = _tensor_arg(input, "nan_to_num")
    if out is not None and (<Tensor?>out)._dtype is not t._dtype:
        raise RuntimeError(f"nan_to_num: dtype of out: {_SCALAR_NAMES[(<Tensor>out)._dtype._code]} should be same as input: {_SCALAR_NAMES[t._dtype._code]}")
    cdef Iter it
    cdef int d
    if t._dtype._kind <= K_INT:           # nothing to replace: a copy
        if out is None:
            return clone(t)
        it.ndim = t._ndim
        for d in range(t._ndim):
            it.shape[d] = t._shape[d]
        _no_autograd_out("nan_to_num", out, (t,))
        if out is not input:            # in place: self onto itself, nothing to refuse
            _check_out(<Tensor>out, &it, False, t, None, None)
            _copy_into(<Tensor>out, t, False)
        _bump(<Tensor>out)
        return out
    cdef ct_params P
    finfo_max = {CT_FLOAT16: 65504.0, CT_FLOAT32: 3.4028234663852886e38, CT_BFLOAT16: 3.3895313892515355e38,
                 CT_COMPLEX64: 3.4028234663852886e38}.get(t._dtype._code, 1.7976931348623157e308)
    P.a = nan
    P.b = finfo_max if posinf is None else posinf
    P.c = -finfo_max if neginf is None else neginf
    r = _unary(CT_NAN_TO_NUM, U_SAME, t, out, "nan_to_num", &P)
    if out is None:
        record("nan_to_num", r, (input,))
    return r


def float_power(input, exponent, *, out=None):
    a = input.to(t_complex128 if input.is_complex() else t_float64) if isinstance(input, Tensor) else input
    b = exponent.to(t_complex128 if exponent.is_complex() else t_float64) if isinstance(exponent, Tensor) else exponent
    if out is not None and isinstance(out, Tensor):
        cplx = (isinstance(input, Tensor) and input.is_complex()) or isinstance(input, complex) or \
            (isinstance(exponent, Tensor) and exponent.is_complex()) or isinstance(exponent, complex)
        need = t_complex128 if cplx else t_float64
        if (<Tensor>out)._dtype is not need:
            raise RuntimeError(f"the output given to float_power has dtype {_SCALAR_NAMES[(<Tensor>out)._dtype._code]} "
                               f"but the operation's result requires dtype {_SCALAR_NAMES[need._code]}")
    return _FUNCTIONS["pow"](a, b, out=out)


def logical_not(input, *, out=None):
    return _unary(CT_LOGNOT, U_PRED, input, out, "logical_not")


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    cdef Tensor a = _tensor_arg(input, "isclose")
    if not isinstance(other, Tensor):
        raise TypeError(f"isclose(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}")
    if a._dtype is not (<Tensor>other)._dtype:
        raise RuntimeError(f"{_SCALAR_NAMES[a._dtype._code]} did not match {_SCALAR_NAMES[(<Tensor>other)._dtype._code]}")
    if a._dtype is t_bool:
        return input == other
    diff = abs(input - other)
    tol = atol + rtol * abs(other)
    # equal values (infinities included), or a finite difference within tol:
    # inf - -inf is inf, and so is the tolerance next to an infinite `other`
    r = (input == other) | (_FUNCTIONS["isfinite"](diff) & (diff <= tol))
    if equal_nan:
        r = r | (_FUNCTIONS["isnan"](input) & _FUNCTIONS["isnan"](other))
    return r


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(isclose(input, other, rtol, atol, equal_nan).all())


def equal(input, other):
    cdef Tensor a = <Tensor?>input, b = <Tensor?>other
    if not _same_shape(a, b):
        return False
    cdef int r
    cdef const ct_backend *be = a._storage.backend
    if (a._dtype is b._dtype and a._storage.device == b._storage.device
            and be.equal_dense != NULL and _is_contiguous(a) and _is_contiguous(b)):
        with nogil:
            r = be.equal_dense(a._dtype._code, a._data, b._data, a._numel)
        if r >= 0:
            return r == 1
    return bool((a == b).all())


def positive(input):
    if (<Tensor?>input)._dtype is t_bool:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


def _inplace_method(fn_name):
    f = _FUNCTIONS[fn_name] if fn_name in _FUNCTIONS else globals()["_round" if fn_name == "round" else fn_name]
    def method_(self, *args, **kwargs):
        _check_inplace(<Tensor?>self)
        # an in-place result must keep self's shape (out= alone would resize it)
        for other in list(args) + list(kwargs.values()):
            _check_inplace_shape(<Tensor>self, other)
        if _inplace_needs_graph(<Tensor>self, args[0] if args else None):
            return _inplace_with_graph(<Tensor>self, lambda s: f(s, *args, **kwargs))
        f(self, *args, out=self, **kwargs)
        return self
    method_.__name__ = fn_name + "_"
    return method_


cdef int _check_inplace_shape(Tensor self, object other) except -1:
    cdef Iter it
    if isinstance(other, Tensor):
        _broadcast_shape(&it, self, <Tensor>other, None)
        _check_out_shape(self, &it, True)
    return 0


def _method(f):
    def method(self, *args, **kwargs):
        return f(self, *args, **kwargs)
    method.__name__ = f.__name__
    return method


cdef _install_extras():
    for name, fn in (("add", add), ("sub", sub), ("subtract", sub), ("div", div), ("divide", div),
                     ("true_divide", div), ("clamp", clamp), ("clip", clip), ("clamp_min", clamp_min),
                     ("clamp_max", clamp_max), ("round", _round), ("nan_to_num", nan_to_num),
                     ("lerp", lerp), ("float_power", float_power), ("isclose", isclose),
                     ("allclose", allclose), ("equal", equal), ("where", _where_method),
                     ("logical_not", logical_not), ("rsub", rsub)):
        _add_method(name, fn)
    for name in ("add", "sub", "subtract", "div", "divide", "true_divide", "clamp", "clip",
                 "clamp_min", "clamp_max", "round", "nan_to_num", "lerp", "logical_not"):
        _add_method(name + "_", _inplace_method(name))
    _add_method("resize_", _resize_)


def _where_method(self, condition, y):
    return where(condition, self, y)


_install_extras()


# --------------------------------------------------- logaddexp of complex

cdef object _logaddexp_real = _FUNCTIONS["logaddexp"]


def logaddexp(input, other, *, out=None):
    """Of complex operands as PyTorch computes it: the operand of the larger
    real part (the first on a tie) plus log1p(exp(the other minus it));
    where both real parts are the same infinity, NaN if an imaginary part
    is NaN, else the second operand (-inf) or log(exp(a) + exp(b)) (+inf).
    Of real ones the op table's kernel."""
    if not (isinstance(input, Tensor) and isinstance(other, Tensor) and
            ((<Tensor>input)._dtype._kind == K_COMPLEX or (<Tensor>other)._dtype._kind == K_COMPLEX)):
        return _logaddexp_real(input, other, out=out)
    cdef DType dt = _result_type((input, other))
    a = input.to(dt)
    b = other.to(dt)
    are, bre = a.real.detach(), b.real.detach()
    first = are >= bre
    hi = where(first, a, b)
    r = hi + _FUNCTIONS["log1p"](_FUNCTIONS["exp"](where(first, b, a) - hi))
    same_inf = _FUNCTIONS["isinf"](are) & (are == bre)
    if bool(same_inf.any()):
        nan_im = _FUNCTIONS["isnan"](a.imag.detach()) | _FUNCTIONS["isnan"](b.imag.detach())
        r = where(same_inf & (are > 0), _FUNCTIONS["log"](_FUNCTIONS["exp"](a) + _FUNCTIONS["exp"](b)), r)
        r = where(same_inf & (are < 0), b, r)
        r = where(same_inf & nan_im, tensor(complex(float("nan"), float("nan")), dtype=dt), r)
    return _to_out(out, <Tensor>r, "logaddexp", OUT_CAST)


_FUNCTIONS["logaddexp"] = logaddexp
_add_method("logaddexp", logaddexp)



# ------------------------------------------------------------ in place

cdef object _record_binary(object r, object a, object b, str name, object alpha):
    """The derivatives entry of a binary op of the op table, by its operands."""
    if r is NotImplemented or not (_needs_grad(a) or _needs_grad(b)) or not _grad_mode():
        return r
    if name == "add" or name == "sub":
        return record(name, r, (a, b), (alpha,))
    if name == "pow":
        if not isinstance(b, Tensor):
            return record("pow.Tensor_Scalar", r, (a, b))
        if not isinstance(a, Tensor):
            return record("pow.Scalar", r, (a, b))
        return record("pow.Tensor_Tensor", r, (a, b))
    if name == "floor_divide":
        return r         # PyTorch defines no derivative for floor_divide
    if name == "copysign" and not isinstance(b, Tensor):
        return record("copysign.Scalar", r, (a, b))
    return record(name, r, (a, b))


cdef Tensor _stand_in(Tensor self, bint with_values):
    """A tensor with self's history (a view's made current first) that an
    in-place op computes from, out of place: a copy of self's value, or, when
    no formula reads it, an alias."""
    e = _edge(self)
    cdef Tensor c = _raw_clone(self) if with_values else _alias(self)
    c._grad_fn = e[0]
    c._output_nr = e[1]
    return c


cdef object _inplace_with_graph(Tensor self, object fn):
    """An in-place op on a tensor in a graph: computes fn(stand-in) out of
    place (so that a saved old value stays intact), writes the result into
    self, and hands self the result's history (its base's, for a view:
    CopySlices)."""
    cdef Tensor c = _stand_in(self, True)
    cdef Tensor r = fn(c)
    if r._dtype is not self._dtype:
        r = _cast(r, self._dtype)
    _copy_into(self, r, True)
    _rebase_history(self, r, c)
    return self


def _inplace_from(self, fn, tuple others=()):
    """self.<op>_() for the op modules written in Python (ctorch.special):
    fn(t) computes the op out of place (the caller has checked that its
    result dtype casts to self's). The result must keep self's shape; a
    tensor in a graph gets the op's history as the table's in-place ops do."""
    _check_inplace(<Tensor?>self)
    cdef Iter it
    other = others[0] if others else None
    _broadcast_shape(&it, <Tensor>self, other if isinstance(other, Tensor) else None, None)
    _check_out(<Tensor>self, &it, True, other, None, None)
    if _grad_mode() and (_needs_grad(self) or any([_needs_grad(o) for o in others])):
        return _inplace_with_graph(<Tensor>self, fn)
    cdef Tensor r = fn(self)
    if r._dtype is not (<Tensor>self)._dtype:
        r = _cast(r, (<Tensor>self)._dtype)
    _copy_into(<Tensor>self, r, True)
    return self


cdef object _overwrite_with_graph(Tensor self, object value, str op):
    """fill_ / zero_ / copy_ on a tensor in a graph: the old value gets a zero
    gradient, a tensor value the gradient of what it was written over."""
    _check_inplace(self)
    cdef Tensor r = _empty_like(self, None)
    if isinstance(value, Tensor):
        _check_broadcast_to(<Tensor>value, self)
        _copy_into(r, <Tensor>value, False)
    else:
        _fill(r, value)
    cdef Tensor old = _stand_in(self, False)
    record(op, r, (old, value) if isinstance(value, Tensor) else (old,))
    _copy_into(self, r, True)
    _rebase_history(self, r, old)
    return self


# ---------------------------------------------------------------- operators
# (Tensor's operator slots forward to these: see ctorch._core.tensor._slots)

cdef object _op_binary(int op, int rule, object a, object b, str name):
    if not _is_operand(b):
        return NotImplemented
    if _devices_differ(a, b):
        a, b = _lift2(a, b)
    r = _binary(op, rule, a, b, None, name)
    _record_binary(r, a, b, name, 1)
    return r


cdef object _op_add(object a, object b):
    return _op_binary(CT_ADD, R_ARITH, a, b, "add")


cdef object _op_sub(object a, object b):
    if _is_operand(b):
        _check_sub_bool(a, b)
    return _op_binary(CT_SUB, R_ARITH, a, b, "sub")


cdef extern from "elementwise_codes.h":
    enum:
        CT_RECIPROCAL, CT_EXP2, CT_HEAVISIDE, CT_FREXP_MANT, CT_FREXP_EXP, CT_T_ADDCMUL, CT_T_ADDCDIV, CT_T_FREXP, CT_T_LERP_W32,
        CT_SIGN, CT_SGN,
        CT_T_CLAMP


cdef object _op_div(object a, object b):
    if not isinstance(a, Tensor) and isinstance(b, Tensor):
        # `number / tensor` is PyTorch's b.reciprocal() * number (its
        # Tensor.__rtruediv__): the values and the graph of that product
        return _op_mul(_unary_graded(CT_RECIPROCAL, U_FLOAT, b, None, "reciprocal"), a)
    return _op_binary(CT_DIV, R_FLOAT, a, b, "div")


cdef object _op_pow(object a, object b):
    return _op_binary(CT_POW, R_ARITH, a, b, "pow")


cdef object _op_inplace(object a, object b, str name):
    if not _is_operand(b):
        return NotImplemented
    return getattr(a, name + "_")(b)


cdef object _op_mul(object a, object b):
    return _op_binary(CT_MUL, R_ARITH, a, b, "mul")


cdef object _op_floordiv(object a, object b):
    return _op_binary(CT_DIV_FLOOR, R_ARITH, a, b, "floor_divide")


cdef object _op_mod(object a, object b):
    return _op_binary(CT_REMAINDER, R_ARITH, a, b, "remainder")


cdef object _op_and(object a, object b):
    return _op_binary(CT_BITAND, R_BITS, a, b, "bitwise_and")


cdef object _op_or(object a, object b):
    return _op_binary(CT_BITOR, R_BITS, a, b, "bitwise_or")


cdef object _op_xor(object a, object b):
    return _op_binary(CT_BITXOR, R_BITS, a, b, "bitwise_xor")


cdef object _op_lshift(object a, object b):
    return _op_binary(CT_SHL, R_BITS, a, b, "bitwise_left_shift")


cdef object _op_rshift(object a, object b):
    return _op_binary(CT_SHR, R_BITS, a, b, "bitwise_right_shift")


cdef object _op_eq(object a, object b):
    return _op_binary(CT_EQ, R_CMP, a, b, "eq")


cdef object _op_ne(object a, object b):
    return _op_binary(CT_NE, R_CMP, a, b, "ne")


cdef object _op_lt(object a, object b):
    return _op_binary(CT_LT, R_CMP, a, b, "lt")


cdef object _op_le(object a, object b):
    return _op_binary(CT_LE, R_CMP, a, b, "le")


cdef object _op_gt(object a, object b):
    return _op_binary(CT_GT, R_CMP, a, b, "gt")


cdef object _op_ge(object a, object b):
    return _op_binary(CT_GE, R_CMP, a, b, "ge")


cdef object _op_neg(object a):
    return _unary_graded(CT_NEG, U_SAME, a, None, "neg")


cdef object _op_abs(object a):
    return _unary_graded(CT_ABS, U_ABS, a, None, "abs")


cdef object _op_invert(object a):
    if (<Tensor>a)._dtype._kind > K_INT:
        raise TypeError("ufunc 'invert' not supported for the input types, and the inputs could not be safely coerced")
    return _unary_graded(CT_BITNOT, U_SAME, a, None, "bitwise_not")


_slots.add = _op_add
_slots.sub = _op_sub
_slots.mul = _op_mul
_slots.truediv = _op_div
_slots.floordiv = _op_floordiv
_slots.mod = _op_mod
_slots.pow = _op_pow
_slots.and_ = _op_and
_slots.or_ = _op_or
_slots.xor = _op_xor
_slots.lshift = _op_lshift
_slots.rshift = _op_rshift
_slots.eq = _op_eq
_slots.ne = _op_ne
_slots.lt = _op_lt
_slots.le = _op_le
_slots.gt = _op_gt
_slots.ge = _op_ge
_slots.neg = _op_neg
_slots.abs = _op_abs
_slots.invert = _op_invert
_slots.inplace = _op_inplace


# ------------------------------------------------- clamp with tensor bounds

def _clamp_tensors(Tensor t, min, max, out):
    """clamp with tensor (or mixed) bounds: min(max(t, min), max), promoted
    like torch, with torch's ClampBackward0 node (ties pass the gradient to
    the input)."""
    cdef int mode = _grad_mode()
    cdef DType res
    cdef Iter it
    cdef Tensor lo_t, hi_t
    cdef ct_params P
    if out is None and isinstance(min, Tensor) and isinstance(max, Tensor):
        res = _result_type((t, min, max))
        lo_t, hi_t = <Tensor>min, <Tensor>max
        if (t._storage.device < 0 and lo_t._storage.device < 0 and hi_t._storage.device < 0
                and (res is t_float32 or res is t_float64 or (K_BOOL < res._kind <= K_INT))):
            # both bounds tensors: one pass of the fused kernel
            t2, lo_t, hi_t = _cast(t, res), _cast(lo_t, res), _cast(hi_t, res)
            _broadcast_shape(&it, t2, lo_t, hi_t)
            r = _alloc_like_operands(&it, t2, lo_t, res, hi_t)
            _run_ternary(&it, r, t2, lo_t, hi_t, CT_EW_LERP, CT_T_CLAMP, res._code, &P, GRAIN_CHEAP)
            record("clamp.Tensor", r, (t, min, max), (min, max))
            return r
    _set_grad_mode(0)
    try:
        r = _alias(t)
        if min is not None:
            r = _FUNCTIONS["maximum"](r, _alias(min) if isinstance(min, Tensor) else min)
        if max is not None:
            hi = _alias(max) if isinstance(max, Tensor) else max
            if (min is not None and _result_type((r, hi)) is (<Tensor>r)._dtype
                    and _broadcast_list([list(r.size()), list(hi.size()) if isinstance(hi, Tensor) else []]) == list(r.size())):
                # the second bound into maximum's fresh result, in place
                r = _FUNCTIONS["minimum"](r, hi, out=r)
            else:
                r = _FUNCTIONS["minimum"](r, hi)
    finally:
        _set_grad_mode(mode)
    if out is not None:
        _no_autograd_out("clamp", out, (t, min, max))
        return _to_out(out, r, "clamp", OUT_SAME, "Found dtype {out} but expected {res}")
    lo = min if isinstance(min, Tensor) else (None if min is None else _scalar_tensor(min, t._dtype))
    hi = max if isinstance(max, Tensor) else (None if max is None else _scalar_tensor(max, t._dtype))
    record("clamp.Tensor", r, (t, min if isinstance(min, Tensor) else None,
                               max if isinstance(max, Tensor) else None), (lo, hi))
    return r


# ------------------------------------------------------- copies and casts

def _t_contiguous(Tensor self, memory_format=None):
    cdef int rank = _format_rank(memory_format)
    if rank:
        if _is_channels_last(self, rank):
            return self
        return _clone_into(self, _empty_channels_last(self, None, rank))
    if _is_contiguous(self):
        return self
    return _clone_contig(self)


def _t_clone(Tensor self, *, memory_format=None):
    return clone(self, memory_format=memory_format)


def _t_copy_(Tensor self, src, non_blocking=False):
    if type(self._storage) is _InferenceStorage:
        _check_inference_write(self)
    cdef Tensor s = _as_operand_tensor(src, self._dtype)
    if s._storage.device != self._storage.device:
        s = _move(s, self._storage.device, s._dtype)     # copy_ crosses devices, as PyTorch's does
    _check_copy_overlap(self, s)
    if _inplace_needs_graph(self, s):
        return _overwrite_with_graph(self, s, "copy_")
    _copy_into(self, s, True)
    return self


def _t_fill_(Tensor self, value):
    if type(self._storage) is _InferenceStorage:
        _check_inference_write(self)
    if isinstance(value, Tensor):
        if (<Tensor>value)._ndim != 0:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with {(<Tensor>value)._ndim} dimensions.")
        if _inplace_needs_graph(self, value):
            return _overwrite_with_graph(self, value, "fill_.Tensor")
        _copy_into(self, <Tensor>value, True)   # a cast: wraps like copy_
        _bump(self)
        return self
    if _inplace_needs_graph(self, None):
        return _overwrite_with_graph(self, value, "fill_.Scalar")
    _fill(self, value)
    _bump(self)
    return self


def _t_zero_(Tensor self):
    if type(self._storage) is _InferenceStorage:
        _check_inference_write(self)
    if _inplace_needs_graph(self, None):
        return _overwrite_with_graph(self, 0, "zero_")
    _fill(self, 0)
    _bump(self)
    return self

# ---------------------------------------------------------- dtype / device


def _t_to(Tensor self, *args, **kwargs):
    return _to(self, args, kwargs)


def _t_type(Tensor self, dtype=None, non_blocking=False):
    if dtype is None:
        return "torch." + _TYPE_NAMES[self._dtype._code]
    if isinstance(dtype, type) and isinstance(getattr(dtype, "dtype", None), DType):
        dtype = dtype.dtype            # a legacy type: t.type(torch.DoubleTensor)
    if isinstance(dtype, str):
        name = dtype.replace("torch.", "")
        for i, n in enumerate(_TYPE_NAMES):
            if n == name:
                return _cast_preserve(self, _DT[i])
        raise ValueError(f"invalid type: '{dtype}'")
    return _cast_preserve(self, _as_dtype(dtype))


def _t_type_as(Tensor self, other):
    return _cast_preserve(self, (<Tensor?>other)._dtype)


def _t_cpu(Tensor self, memory_format=None):
    if self._storage.device < 0:
        return self
    return _move(self, -1, self._dtype)


def _t_cuda(Tensor self, device=None, non_blocking=False, memory_format=None):
    if device is None:
        device = "cuda"
    elif isinstance(device, int) and not isinstance(device, bool):
        device = f"cuda:{device}"
    cdef int code = _device_code(device)
    if code < 0:
        raise RuntimeError(f"Invalid device, must be cuda device")
    if code == self._storage.device:
        return self
    return _move(self, code, self._dtype)


def _t_float(Tensor self):
    return _cast_preserve(self, t_float32)


def _t_double(Tensor self):
    return _cast_preserve(self, t_float64)


def _t_half(Tensor self):
    return _cast_preserve(self, _DT[CT_FLOAT16])


def _t_bfloat16(Tensor self):
    return _cast_preserve(self, _DT[CT_BFLOAT16])


def _t_long(Tensor self):
    return _cast_preserve(self, t_int64)


def _t_int(Tensor self):
    return _cast_preserve(self, _DT[CT_INT32])


def _t_short(Tensor self):
    return _cast_preserve(self, _DT[CT_INT16])


def _t_char(Tensor self):
    return _cast_preserve(self, _DT[CT_INT8])


def _t_byte(Tensor self):
    return _cast_preserve(self, t_uint8)


def _t_bool(Tensor self):
    return _cast_preserve(self, t_bool)


def _t_cfloat(Tensor self):
    return _cast_preserve(self, t_complex64)


def _t_cdouble(Tensor self):
    return _cast_preserve(self, t_complex128)

# ------------------------------------------------------------ new_*


cdef Tensor _clone_into(Tensor t, Tensor r):
    """r (new, t's shape) holding a copy of t, recorded as t's clone."""
    _copy_into(r, t, False)
    record1("clone", r, t)
    return r


def clone(input, *, memory_format=None):
    """torch.clone: preserve_format (the default) keeps a permuted dense
    tensor's strides, contiguous_format makes the copy contiguous."""
    cdef Tensor t = <Tensor?>input
    return _clone_into(t, _empty_format(t, None, memory_format))


def _clone_contig(input):
    """A contiguous copy of input, recorded as a clone (contiguous(), and the
    ops that view their copy in another shape)."""
    cdef Tensor t = <Tensor?>input
    return _clone_into(t, _empty_like(t, None))


# ------------------------------------------------------------ .to()

cdef object _to(Tensor t, tuple args, dict kwargs):
    dt = kwargs.pop("dtype", None)
    dev = kwargs.pop("device", None)
    copy = kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    mf = kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() got an unexpected keyword argument '{next(iter(kwargs))}'")
    if mf is not None and getattr(mf, "_name", None) != "preserve_format":
        # the conversion, then the layout asked for (no copy where it holds)
        return _t_contiguous(<Tensor>_to(t, args, {"dtype": dt, "device": dev, "copy": copy}), mf)
    for a in args:
        if isinstance(a, DType):
            dt = a
        elif isinstance(a, (str, device)) or (isinstance(a, int) and not isinstance(a, bool)):
            dev = a
        elif isinstance(a, Tensor):
            dt = (<Tensor>a)._dtype
            dev = (<Tensor>a).device
        elif a is None:
            pass
        else:
            raise TypeError(f"to() received an invalid combination of arguments - got ({type(a).__name__})")
    cdef int code = t._storage.device
    if dev is not None:
        code = _device_code(dev)
    cdef DType target = t._dtype if dt is None else _as_dtype(dt)
    if code != t._storage.device:
        return _move(t, code, target)
    if target is t._dtype:
        return clone(t) if copy else t
    return _cast_preserve(t, target)


cdef Tensor _move(Tensor t, int code, DType dt):
    """t copied to device `code` in dtype dt (differentiable, as PyTorch's _to_copy)."""
    cdef Tensor r = _to_device(t, code, dt)
    record1("_to_copy", r, t)
    return r


cdef _install_copy_methods():
    _add_method("contiguous", _t_contiguous)
    _add_method("clone", _t_clone)
    _add_method("copy_", _t_copy_)
    _add_method("fill_", _t_fill_)
    _add_method("zero_", _t_zero_)
    _add_method("to", _t_to)
    _add_method("type", _t_type)
    _add_method("type_as", _t_type_as)
    _add_method("cpu", _t_cpu)
    _add_method("cuda", _t_cuda)
    _add_method("float", _t_float)
    _add_method("double", _t_double)
    _add_method("half", _t_half)
    _add_method("bfloat16", _t_bfloat16)
    _add_method("long", _t_long)
    _add_method("int", _t_int)
    _add_method("short", _t_short)
    _add_method("char", _t_char)
    _add_method("byte", _t_byte)
    _add_method("bool", _t_bool)
    _add_method("cfloat", _t_cfloat)
    _add_method("cdouble", _t_cdouble)


_install_copy_methods()


# ------------------------------------------------------- pointwise math
# (the ops of the op list with a hand-written signature, the ternary
# addcmul / addcdiv, frexp's two results, and torch's in-place functions)

cdef object _return_type(str name):
    """The torch.return_types type `name` (that module loads on first use)."""
    import importlib
    return getattr(importlib.import_module("ctorch.return_types"), name)


def heaviside(input, values, *, out=None):
    cdef Tensor t = _tensor_arg(input, "heaviside")
    if not isinstance(values, Tensor):
        raise TypeError(f"heaviside(): argument 'values' (position 2) must be Tensor, not {type(values).__name__}")
    if t._dtype._kind == K_COMPLEX or (<Tensor>values)._dtype._kind == K_COMPLEX:
        raise RuntimeError("heaviside is not yet implemented for complex tensors.")
    if t._dtype is not (<Tensor>values)._dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    if _devices_differ(t, values):
        t, values = _lift2(t, values)
    r = _binary(CT_HEAVISIDE, R_ARITH, t, values, out, "heaviside", out is input)
    if out is None:
        record("heaviside", r, (t, values))
    return r


def ldexp(input, other, *, out=None):
    cdef Tensor t = _tensor_arg(input, "ldexp")
    if not isinstance(other, Tensor):
        raise TypeError(f"ldexp(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}")
    if _devices_differ(t, other):
        t, other = _lift2(t, other)
    cdef DType res = _result_type((t, other))
    if res._kind <= K_INT:
        res = _default_dtype
    if out is not None:
        _no_autograd_out("ldexp", out, (t, other))
    # input * 2 ** other, in the result dtype
    cdef int mode = _grad_mode()
    _set_grad_mode(0)
    try:
        p = _unary(CT_EXP2, U_FLOAT, _cast(<Tensor>other, res), None, "ldexp")
        r = _binary(CT_MUL, R_ARITH, _cast(t, res), p, out, "ldexp", out is input)
    finally:
        _set_grad_mode(mode)
    if out is None:
        record("ldexp", r, (t, other))
    return r


def _t_ldexp_(self, other):
    cdef Tensor s = <Tensor?>self
    _check_inplace(s)
    if not isinstance(other, Tensor):
        raise TypeError(f"ldexp_(): argument 'other' (position 1) must be Tensor, not {type(other).__name__}")
    cdef DType res = _result_type((s, other))
    if res._kind <= K_INT:
        res = _default_dtype
    if not _can_cast(res, s._dtype):
        raise RuntimeError(f"ldexp can't be cast to the desired output type {_SCALAR_NAMES[s._dtype._code]}")
    _check_inplace_shape(s, other)
    if _inplace_needs_graph(s, other):
        return _inplace_with_graph(s, lambda x: ldexp(x, other))
    ldexp(s, other, out=s)
    return s


def frexp(input, *, out=None):
    cdef Tensor t = _tensor_arg(input, "frexp")
    if t._dtype._kind != K_FLOAT:
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    cdef Tensor m, e
    if out is not None:
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            raise TypeError("frexp(): argument 'out' must be tuple of Tensors")
        m, e = <Tensor?>out[0], <Tensor?>out[1]
        if m._dtype is not t._dtype:
            raise RuntimeError(f"torch.frexp() expects mantissa to have dtype {_CXX_LOWER(t._dtype)} "
                               f"but got {_CXX_LOWER(m._dtype)}")
        if e._dtype._code != CT_INT32:
            raise RuntimeError(f"torch.frexp() expects exponent to have int dtype but got {_CXX_LOWER(e._dtype)}")
        _no_autograd_out("frexp", m, (t,))
        _unary(CT_FREXP_MANT, U_SAME, t, m, "frexp")
        _to_out(e, _cast(<Tensor>_unary(CT_FREXP_EXP, U_SAME, t, None, "frexp"), _DT[CT_INT32]), "frexp")
        return _return_type("frexp_out")(m, e)
    cdef Iter it
    cdef ct_params P
    cdef int d
    if t._storage.device < 0 and (t._dtype._code == CT_FLOAT32 or t._dtype._code == CT_FLOAT64):
        # the CPU's fused loop: mantissa and int32 exponent in one pass
        it.ndim = t._ndim
        for d in range(t._ndim):
            it.shape[d] = t._shape[d]
        m = _alloc_like_operands(&it, t, None, t._dtype)
        e = _alloc_like_operands(&it, t, None, _DT[CT_INT32])
        it.nargs = 3
        it.host = 0
        _iter_add(&it, 0, m)
        _iter_add(&it, 1, t)
        _iter_add(&it, 2, e)
        _run(&it, CT_EW_LERP, CT_T_FREXP, t._dtype._code, &P, GRAIN_CHEAP)
        record("frexp", m, (t,), (e,))
        return _return_type("frexp")(m, e)
    m = _unary(CT_FREXP_MANT, U_SAME, t, None, "frexp")
    cdef int mode = _grad_mode()
    _set_grad_mode(0)
    try:
        e = _cast(<Tensor>_unary(CT_FREXP_EXP, U_SAME, t, None, "frexp"), _DT[CT_INT32])
    finally:
        _set_grad_mode(mode)
    record("frexp", m, (t,), (e,))
    return _return_type("frexp")(m, e)


cdef str _CXX_LOWER(DType dt):
    return _SCALAR_NAMES[dt._code].lower()


def isreal(input):
    cdef Tensor t = _tensor_arg(input, "isreal")
    if t._dtype._kind != K_COMPLEX:
        r = _empty_like(t, t_bool)
        _fill(r, True)
        return r
    return _binary(CT_EQ, R_CMP, t.imag, 0, None, "isreal")


cdef object _addc(int op, str name, object input, object tensor1, object tensor2, object value, object out,
                  bint rec=True):
    """input + value * (tensor1 op tensor2), computed in the three tensors'
    promoted dtype (value converted to it first, as PyTorch does); rec: record
    the result's node (callers recording their own pass False)."""
    cdef Tensor t = _tensor_arg(input, name), a = _tensor_arg(tensor1, name), b = _tensor_arg(tensor2, name)
    if op == CT_DIV and a._dtype._kind <= K_INT and b._dtype._kind <= K_INT:
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future  release addcdiv will "
            "perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be "
            "implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer "
            "inputs and as (input + value * tensor1 / tensor2) for float inputs. The future addcdiv "
            "behavior is just the latter implementation: (input + value * tensor1 / tensor2), for all dtypes.")
    if isinstance(value, Tensor):
        value = value.item()
    if t._storage.device != a._storage.device or t._storage.device != b._storage.device:
        t = <Tensor>_lift_cpu_scalar(t, a, b)
        a = <Tensor>_lift_cpu_scalar(a, t, b)
        b = <Tensor>_lift_cpu_scalar(b, t, a)
    cdef DType res = _result_type((t, a, b))
    cdef const ct_backend *B = _backend_of(t, a, b)
    if res is t_bool:
        raise NotImplementedError(f"\"{name}_{B.name.decode()}_out\" not implemented for 'Bool'")
    _check_fits(value, res, False)
    if res._kind <= K_INT:
        value = int(value.real if isinstance(value, complex) else value)
    elif res._kind == K_FLOAT:
        value = float(value.real if isinstance(value, complex) else value)
    cdef int top = CT_T_ADDCMUL if op == CT_MUL else CT_T_ADDCDIV
    if not B.has_kernel(CT_EW_LERP, top, res._code):
        raise NotImplementedError(f"\"{name}_{B.name.decode()}_out\" not implemented for '{_SCALAR_NAMES[res._code]}'")
    cdef ct_params P
    P.a = P.b = 0.0
    P.ia = 0
    if res._kind <= K_INT:
        P.ia = _wrap_int(value, res)
    elif isinstance(value, complex):
        P.a, P.b = value.real, value.imag
    else:
        P.a = value
    t, a, b = _cast(t, res), _cast(a, res), _cast(b, res)
    cdef Iter it
    _broadcast_shape(&it, t, a, b)
    cdef Tensor dst, o = None
    if out is not None:
        o = <Tensor?>out
        if out is not input:
            _no_autograd_out(name, o, (t, a, b))
        if not _can_cast(res, o._dtype):
            raise RuntimeError(f"result type {_SCALAR_NAMES[res._code]} can't be cast to the desired output "
                               f"type {_SCALAR_NAMES[o._dtype._code]}")
        _check_out(o, &it, out is input, t, a, b)
    if o is not None and o._dtype is res:
        dst = o
    else:
        dst = _alloc_like_operands(&it, t, a, res)
    _run_ternary(&it, dst, t, a, b, CT_EW_LERP, top, res._code, &P, GRAIN_MATH)
    if o is not None:
        if dst is not o:
            _copy_into(o, dst, False)
        _bump(o)
        return o
    r = dst
    if out is None and rec:
        record(name, r, (t, a, b), (value,))
    return r


def addcmul(input, tensor1, tensor2, *, value=1, out=None):
    return _addc(CT_MUL, "addcmul", input, tensor1, tensor2, value, out)


def addcdiv(input, tensor1, tensor2, *, value=1, out=None):
    return _addc(CT_DIV, "addcdiv", input, tensor1, tensor2, value, out)


def _t_float_power_(self, exponent):
    cdef Tensor s = <Tensor?>self
    cdef DType need = t_complex128 if (s._dtype._kind == K_COMPLEX or isinstance(exponent, complex) or
                                       (isinstance(exponent, Tensor) and (<Tensor>exponent)._dtype._kind == K_COMPLEX)) \
        else t_float64
    if s._dtype is not need:
        raise RuntimeError(f"the base given to float_power_ has dtype {_SCALAR_NAMES[s._dtype._code]} but the "
                           f"operation's result requires dtype {_SCALAR_NAMES[need._code]}")
    return s.pow_(exponent.to(need) if isinstance(exponent, Tensor) else exponent)


def _t_sgn_(self):
    cdef Tensor s = <Tensor?>self
    _check_inplace(s)
    if _inplace_needs_graph(s, None):
        return _inplace_with_graph(s, lambda x: x.sgn())
    if s._dtype._kind == K_COMPLEX:
        return _unary(CT_SGN, U_SAME, s, s, "sgn", NULL, True)
    if s._dtype._kind == K_INT or s._dtype._kind == K_FLOAT:
        return _unary(CT_SIGN, U_SAME, s, s, "sign", NULL, True)   # a real sgn is sign
    r = s.sgn()
    _copy_into(s, <Tensor>r, True)
    _bump(s)
    return s


def fill(input, value):
    cdef Tensor t = _tensor_arg(input, "fill")
    return _t_fill_(clone(t), value)


def fill_(input, value):
    return _t_fill_(<Tensor?>input, value)


def zero_(input):
    return _t_zero_(<Tensor?>input)


# torch.<name>_(t, ...): the in-place method as a function
_TORCH_INPLACE = (
    "abs acos acosh arccos arccosh arcsin arcsinh arctan arctanh asin asinh atan atanh ceil clamp "
    "clamp_max clamp_min clip cos cosh deg2rad erf exp exp2 expm1 fix floor frac gcd lcm ldexp log "
    "log10 log1p log2 nan_to_num neg negative rad2deg reciprocal relu round rsqrt sigmoid sin sinh "
    "sqrt square tan tanh trunc").split()


def _torch_inplace(str name):
    method = name + "_"

    def function(input, *args, **kwargs):
        if not isinstance(input, Tensor):
            raise TypeError(f"{method}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
        return getattr(input, method)(*args, **kwargs)
    function.__name__ = method
    return function


cdef _install_pointwise():
    for name, fn in (("heaviside", heaviside), ("ldexp", ldexp), ("frexp", frexp), ("isreal", isreal),
                     ("addcmul", addcmul), ("addcdiv", addcdiv), ("positive", positive)):
        _add_method(name, fn)
    for name in ("heaviside", "addcmul", "addcdiv"):
        _add_method(name + "_", _inplace_method(name))
    _add_method("ldexp_", _t_ldexp_)
    _add_method("float_power_", _t_float_power_)
    _add_method("sgn_", _t_sgn_)
    for name in _TORCH_INPLACE:
        globals()[name + "_"] = _torch_inplace(name)


_install_pointwise()
