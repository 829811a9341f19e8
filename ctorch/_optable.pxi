# The elementwise op tables: each row becomes torch.<name>(...), Tensor.<name>(...)
# and Tensor.<name>_(...) (and the aliases). The Python operators are at the end.

# name, kernel, rule, aliases
cdef list _UNARY_TABLE = [
    ("neg", CT_NEG, U_SAME, ("negative",)),
    ("abs", CT_ABS, U_ABS, ("absolute",)),
    ("sign", CT_SIGN, U_SAME, ()),
    ("exp", CT_EXP, U_FLOAT, ()),
    ("exp2", CT_EXP2, U_FLOAT, ()),
    ("expm1", CT_EXPM1, U_FLOAT, ()),
    ("log", CT_LOG, U_FLOAT, ()),
    ("log2", CT_LOG2, U_FLOAT, ()),
    ("log10", CT_LOG10, U_FLOAT, ()),
    ("log1p", CT_LOG1P, U_FLOAT, ()),
    ("sqrt", CT_SQRT, U_FLOAT, ()),
    ("rsqrt", CT_RSQRT, U_FLOAT, ()),
    ("reciprocal", CT_RECIPROCAL, U_FLOAT, ()),
    ("sin", CT_SIN, U_FLOAT, ()),
    ("cos", CT_COS, U_FLOAT, ()),
    ("tan", CT_TAN, U_FLOAT, ()),
    ("asin", CT_ASIN, U_FLOAT, ("arcsin",)),
    ("acos", CT_ACOS, U_FLOAT, ("arccos",)),
    ("atan", CT_ATAN, U_FLOAT, ("arctan",)),
    ("sinh", CT_SINH, U_FLOAT, ()),
    ("cosh", CT_COSH, U_FLOAT, ()),
    ("tanh", CT_TANH, U_FLOAT, ()),
    ("sigmoid", CT_SIGMOID, U_FLOAT, ()),
    ("relu", CT_RELU, U_SAME, ()),
    ("erf", CT_ERF, U_FLOAT, ()),
    ("floor", CT_FLOOR, U_SAME, ()),
    ("ceil", CT_CEIL, U_SAME, ()),
    ("trunc", CT_TRUNC, U_SAME, ("fix",)),
    ("frac", CT_FRAC, U_SAME, ()),
    ("square", CT_SQUARE, U_SAME, ()),
    ("bitwise_not", CT_BITNOT, U_SAME, ()),
    ("isnan", CT_ISNAN, U_PRED, ()),
    ("isinf", CT_ISINF, U_PRED, ()),
    ("isfinite", CT_ISFINITE, U_PRED, ()),
    ("logical_not", CT_LOGNOT, U_PRED, ()),
]

# ops whose result is never written in place (their result dtype differs)
cdef set _NO_INPLACE = {"isnan", "isinf", "isfinite"}

cdef list _BINARY_TABLE = [
    ("mul", CT_MUL, R_ARITH, ("multiply",)),
    ("floor_divide", CT_DIV_FLOOR, R_ARITH, ()),
    ("remainder", CT_REMAINDER, R_ARITH, ()),
    ("fmod", CT_FMOD, R_ARITH, ()),
    ("pow", CT_POW, R_ARITH, ()),
    ("atan2", CT_ATAN2, R_FLOAT, ("arctan2",)),
    ("maximum", CT_MAXIMUM, R_ARITH, ()),
    ("minimum", CT_MINIMUM, R_ARITH, ()),
    ("bitwise_and", CT_BITAND, R_BITS, ()),
    ("bitwise_or", CT_BITOR, R_BITS, ()),
    ("bitwise_xor", CT_BITXOR, R_BITS, ()),
    ("bitwise_left_shift", CT_SHL, R_BITS, ()),
    ("bitwise_right_shift", CT_SHR, R_BITS, ()),
    ("eq", CT_EQ, R_CMP, ()),
    ("ne", CT_NE, R_CMP, ("not_equal",)),
    ("lt", CT_LT, R_CMP, ("less",)),
    ("le", CT_LE, R_CMP, ("less_equal",)),
    ("gt", CT_GT, R_CMP, ("greater",)),
    ("ge", CT_GE, R_CMP, ("greater_equal",)),
    ("logical_and", CT_LOGAND, R_CMP, ()),
    ("logical_or", CT_LOGOR, R_CMP, ()),
    ("logical_xor", CT_LOGXOR, R_CMP, ()),
]


cdef object _make_unary(int op, int rule, str name, bint inplace):
    if inplace:
        def method_(self):
            return _unary_inplace(op, rule, <Tensor?>self, name)
        method_.__name__ = name + "_"
        return method_

    def function(input, *, out=None):
        return _unary_graded(op, rule, input, out, name)
    function.__name__ = name
    return function


cdef object _unary_graded(int op, int rule, object input, object out, str name):
    cdef object r = _unary(op, rule, input, out, name)
    if out is None:
        _record_unary_op(r, input, name)
    return r


cdef object _unary_inplace(int op, int rule, Tensor self, str name):
    _check_inplace(self)
    cdef DType comp = self._dtype
    if rule == U_FLOAT and comp._kind <= K_INT:
        raise RuntimeError(f"result type {_SCALAR_NAMES[_default_dtype._code]} can't be cast to the desired output type {_SCALAR_NAMES[comp._code]}")
    if _inplace_needs_graph(self, None):
        return _inplace_with_graph(self, lambda s: _unary_graded(op, rule, s, None, name))
    return _unary(op, rule, self, self, name, NULL, True)


cdef object _make_binary(int op, int rule, str name, bint inplace):
    if inplace:
        def method_(self, other):
            _check_inplace(<Tensor?>self)
            if _inplace_needs_graph(<Tensor>self, other):
                return _inplace_with_graph(<Tensor>self, lambda s: _FUNCTIONS[name](s, other))
            return _binary(op, rule, self, other, self, name, True)
        method_.__name__ = name + "_"
        return method_

    def function(input, other, *, out=None):
        r = _binary(op, rule, input, other, out, name)
        if out is None:
            _record_binary_op(r, input, other, name)
        return r
    function.__name__ = name
    return function


cdef dict _FUNCTIONS = {}


cdef _install_tables():
    for name, op, rule, aliases in _UNARY_TABLE:
        f = _make_unary(op, rule, name, False)
        _FUNCTIONS[name] = f
        _add_method(name, f)
        if name not in _NO_INPLACE:
            _add_method(name + "_", _make_unary(op, rule, name, True))
        for al in aliases:
            _FUNCTIONS[al] = f
            _add_method(al, f)
            if name not in _NO_INPLACE:
                _add_method(al + "_", _make_unary(op, rule, name, True))
    for name, op, rule, aliases in _BINARY_TABLE:
        f = _make_binary(op, rule, name, False)
        _FUNCTIONS[name] = f
        _add_method(name, f)
        fi = _make_binary(op, rule, name, True)
        _add_method(name + "_", fi)
        for al in aliases:
            _FUNCTIONS[al] = f
            _add_method(al, f)
            _add_method(al + "_", fi)


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
    if isinstance(other, Tensor):
        other = _cast(<Tensor>other, res)
    return _binary(CT_MUL, R_ARITH, other, alpha, None, name)


def add(input, other, *, alpha=1, out=None):
    r = _binary(CT_ADD, R_ARITH, input, _scaled(input, other, alpha, "add"), out, "add")
    if out is None:
        _record_binary_op(r, input, other, "add", alpha)
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
    r = _binary(CT_SUB, R_ARITH, input, _scaled(input, other, alpha, "sub"), out, "sub")
    if out is None:
        _record_binary_op(r, input, other, "sub", alpha)
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
    r = _binary(op, R_FLOAT if op == CT_DIV else R_ARITH, input, other, out, "div")
    if out is None:
        _record_binary_op(r, input, other, "div" if op == CT_DIV else "div_rounded")
    return r


divide = div
true_divide = div


def clamp(input, min=None, max=None, *, out=None):
    cdef Tensor t = _tensor_arg(input, "clamp")
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        return _clamp_tensors(t, min, max, out)
    cdef ct_params P
    P.flags = (1 if min is not None else 0) | (2 if max is not None else 0)
    cdef DType res = _result_type((t, min, max))
    if res is not t._dtype:
        t = _cast(t, res)
    if res._kind <= K_INT:
        # the bounds are converted to the tensor's dtype first, wrapping as a C
        # cast does (torch: clamp(uint8, -2, 3) clamps to [254, 3])
        P.ia = _wrap_int(int(min), res) if min is not None else 0
        P.ib = _wrap_int(int(max), res) if max is not None else 0
    else:
        P.a = float(min) if min is not None else 0.0
        P.b = float(max) if max is not None else 0.0
    r = _unary(CT_CLAMP, U_SAME, t, out, "clamp", &P)
    if out is None:
        _record_clamp(r, input, min, max)
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


def clamp_min(input, min):
    return clamp(input, min=min)


def clamp_max(input, max):
    return clamp(input, max=max)


def _round(input, *, decimals=0, out=None):
    cdef ct_params P
    if decimals == 0:
        r = _unary(CT_ROUND, U_SAME, input, out, "round")
    else:
        P.a = decimals
        r = _unary(CT_ROUND_DEC, U_SAME, input, out, "round", &P)
    if out is None:
        _record_unary_op(r, input, "round")
    return r


def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None):
    cdef Tensor t = _tensor_arg(input, "nan_to_num")
    if out is not None and (<Tensor?>out)._dtype is not t._dtype:
        raise RuntimeError(f"nan_to_num: dtype of out: {_SCALAR_NAMES[(<Tensor>out)._dtype._code]} should be same as input: {_SCALAR_NAMES[t._dtype._code]}")
    if t._dtype._kind <= K_INT:
        return clone(t) if out is None else (<Tensor?>out).copy_(t)
    cdef ct_params P
    finfo_max = {CT_FLOAT16: 65504.0, CT_FLOAT32: 3.4028234663852886e38,
                 CT_COMPLEX64: 3.4028234663852886e38}.get(t._dtype._code, 1.7976931348623157e308)
    P.a = nan
    P.b = finfo_max if posinf is None else posinf
    P.c = -finfo_max if neginf is None else neginf
    r = _unary(CT_NAN_TO_NUM, U_SAME, t, out, "nan_to_num", &P)
    if out is None:
        _record_unary_op(r, input, "nan_to_num")
    return r


def float_power(input, exponent, *, out=None):
    a = input.to(t_complex128 if input.is_complex() else t_float64) if isinstance(input, Tensor) else input
    b = exponent.to(t_complex128 if exponent.is_complex() else t_float64) if isinstance(exponent, Tensor) else exponent
    return _FUNCTIONS["pow"](a, b, out=out)


def logical_not(input, *, out=None):
    return _unary(CT_LOGNOT, U_PRED, input, out, "logical_not")


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    diff = abs(input - other)
    tol = atol + rtol * abs(other)
    r = (diff <= tol) | (input == other)
    if equal_nan:
        r = r | (_FUNCTIONS["isnan"](input) & _FUNCTIONS["isnan"](other))
    return r


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    return bool(isclose(input, other, rtol, atol, equal_nan).all())


def equal(input, other):
    cdef Tensor a = <Tensor?>input, b = <Tensor?>other
    if not _same_shape(a, b):
        return False
    return bool((a == b).all())


def positive(input):
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


# ---------------------------------------------------------------- operators
# (Tensor's operator slots forward to these: see ctorch._core.tensor._slots)

cdef object _op_binary(int op, int rule, object a, object b, str name):
    if not _is_operand(b):
        return NotImplemented
    r = _binary(op, rule, a, b, None, name)
    _record_binary_op(r, a, b, name)
    return r


cdef object _op_add(object a, object b):
    if not _is_operand(b):
        return NotImplemented
    r = _binary(CT_ADD, R_ARITH, a, b, None, "add")
    _record_binary_op(r, a, b, "add", 1)
    return r


cdef object _op_sub(object a, object b):
    if not _is_operand(b):
        return NotImplemented
    _check_sub_bool(a, b)
    r = _binary(CT_SUB, R_ARITH, a, b, None, "sub")
    _record_binary_op(r, a, b, "sub", 1)
    return r


cdef object _op_div(object a, object b):
    if not _is_operand(b):
        return NotImplemented
    r = _binary(CT_DIV, R_FLOAT, a, b, None, "div")
    _record_binary_op(r, a, b, "div")
    return r


cdef object _op_pow(object a, object b):
    if not _is_operand(b):
        return NotImplemented
    if isinstance(a, Tensor) and (<Tensor>a)._dtype._kind <= K_INT and isinstance(b, int) \
            and not isinstance(b, bool) and b < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
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
