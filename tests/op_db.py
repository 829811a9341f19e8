"""The registry of elementwise ops that tests/test_ops.py is driven by.

Each OpInfo says how to call the op in ctorch, how numpy computes the same
thing, which dtypes PyTorch accepts (the others must raise RuntimeError),
which inputs are in the op's domain, how close float results must be, which
call forms exist (method, in-place `_` method, out=, python operator), and
whether PyTorch differentiates it (for the autograd tests to come).

Dtypes are named by strings ("int8", "float32", ...) so that this module
does not depend on ctorch; `tests/helpers.py` maps them to ctorch / numpy.
"""
import math
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np
import scipy.special

BOOL = ("bool",)
UINTS = ("uint8",)
SINTS = ("int8", "int16", "int32", "int64")
INTS = UINTS + SINTS
FLOATS = ("float16", "float32", "float64")
COMPLEX = ("complex64", "complex128")
ALL = BOOL + INTS + FLOATS + COMPLEX
NUMERIC = INTS + FLOATS + COMPLEX          # everything but bool
REAL = BOOL + INTS + FLOATS                # everything but complex
INTREAL = INTS + FLOATS                    # neither bool nor complex
BITS = BOOL + INTS
FLOATC = FLOATS + COMPLEX

# default tolerances by result dtype: (rtol, atol). Half results are computed
# in float and rounded once (as PyTorch does), so they may sit one half-ulp
# away from a float64 reference rounded to half.
DEFAULT_TOL = {
    "float16": (2e-3, 1e-3),
    "float32": (1.3e-6, 1e-5),
    "float64": (1e-12, 1e-12),
    "complex64": (1.3e-6, 1e-5),
    "complex128": (1e-12, 1e-12),
}


@dataclass
class Domain:
    """Values an input is drawn from: [low, high] (clipped to the dtype's
    range for integers); `nonzero` drops zeros (integer division)."""
    low: float = -10.0
    high: float = 10.0
    nonzero_int: bool = False      # integer inputs must not contain 0
    int_low: Optional[int] = None  # a separate range for integer inputs
    int_high: Optional[int] = None


@dataclass
class OpInfo:
    name: str                       # test id
    arity: int
    ref: Callable                   # numpy reference, on inputs already in the compute dtype
    dtypes: tuple                   # accepted input dtypes; the rest must raise RuntimeError
    # how the result dtype derives: same | float (ints -> default float) | bool |
    # abs (complex -> real) | bool_to_long (square, clamp with int bounds: bool -> int64)
    result: str
    func: Optional[str] = None      # torch.<func>; defaults to name
    method: Optional[str] = None    # Tensor.<method>; None -> no method form
    inplace: bool = True            # Tensor.<method>_ exists
    supports_out: bool = True
    kwargs: dict = field(default_factory=dict)
    domains: tuple = (Domain(),)    # one per tensor argument
    tol: dict = field(default_factory=dict)   # overrides of DEFAULT_TOL
    operator: Optional[str] = None  # python operator for binary ops, e.g. "+"
    scalars: tuple = ()             # python scalars tried as the second operand
    differentiable: bool = False
    errors: tuple = ()              # (callable(torch), exception type, message fragment)
    # the reference is IEEE-exact on nan / inf / -0 (checked on special values)
    specials: bool = True
    # out= must have the result's dtype exactly (PyTorch: "Found dtype X but
    # expected Y"); otherwise any dtype the result casts to
    exact_out: bool = False
    # the tensor arguments gradcheck differentiates (None: all); PyTorch
    # defines no derivative for the others
    grad_inputs: Optional[tuple] = None
    # fn(torch) -> the function, when it is not torch.<func> with the tensors
    # first (func may also be a dotted path: "special.erfcx")
    fn: Optional[Callable] = None
    # the op returns a tuple: the tests check this item of it
    output: Optional[int] = None
    # torch.<func>_(t, ...) exists beside Tensor.<method>_
    torch_inplace: bool = False

    def __post_init__(self):
        self.func = self.func or self.name
        if len(self.domains) < self.arity:
            self.domains = tuple(self.domains) + (self.domains[-1],) * (self.arity - len(self.domains))

    def function(self, torch):
        """The function this entry calls, reached from the torch module."""
        if self.fn is not None:
            return self.fn(torch)
        f = torch
        for part in self.func.split("."):
            f = getattr(f, part)
        return f

    def tolerance(self, dtype):
        return self.tol.get(dtype, DEFAULT_TOL.get(dtype, (0, 0)))

    def __repr__(self):
        return f"OpInfo({self.name})"


# ----------------------------------------------------------------- references

def _sign(x):
    if x.dtype == np.bool_:
        return x.copy()
    r = np.sign(x)
    # torch.sign(nan) is 0, numpy's is nan
    return np.where(np.isnan(r), 0, r).astype(x.dtype) if x.dtype.kind == "f" else r


def _sgn(x):
    """sign for real x; z / |z| (0 at 0) for complex x"""
    if x.dtype.kind != "c":
        return _sign(x)
    a = np.abs(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(a == 0, 0, x / np.where(a == 0, 1, a)).astype(x.dtype)


def _relu(x):
    # nan < 0 is false, so nan survives, as in torch
    return np.where(x < 0, np.zeros((), x.dtype), x)


def _frac(x):
    return x - np.trunc(x)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _rsqrt(x):
    return 1 / np.sqrt(x)


def _nan_to_num(x):
    if x.dtype.kind in "biu":
        return x.copy()
    return np.nan_to_num(x, nan=0.0, posinf=np.finfo(x.dtype).max, neginf=np.finfo(x.dtype).min)


def _clamp(x):
    # the bounds are converted to the tensor's dtype first (so -2 wraps for uint8,
    # as in torch); nan stays nan
    lo, hi = np.asarray(-2).astype(x.dtype), np.asarray(3).astype(x.dtype)
    return np.where(np.isnan(x), x, np.minimum(np.maximum(x, lo), hi)) if x.dtype.kind == "f" \
        else np.minimum(np.maximum(x, lo), hi)


def _erf(x):
    return scipy.special.erf(x)


def _lshift(a, b):
    return np.left_shift(a, b)


def _div_trunc(a, b):
    if a.dtype.kind in "iu":
        q = np.abs(a.astype(np.int64)) // np.abs(b.astype(np.int64))
        return (q * np.sign(a.astype(np.int64)) * np.sign(b.astype(np.int64))).astype(a.dtype)
    return np.trunc(a / b)


def _maximum(a, b):
    return np.maximum(a, b)   # numpy propagates nan like torch


def _lerp(a, b, w):
    return a + w * (b - a)


def _where(c, a, b):
    return np.where(c, a, b)


def _pow(a, b):
    return np.power(a, b)


def _logical(f):
    return lambda a, b: f(a != 0, b != 0)


def _tan_tol():
    return {"float16": (5e-3, 2e-3), "float32": (1e-5, 1e-5)}


# ---------------------------------------------------------------- the table

def U(name, ref, dtypes, result, **kw):
    kw.setdefault("method", name)
    return OpInfo(name=name, arity=1, ref=ref, dtypes=dtypes, result=result, **kw)


def B(name, ref, dtypes, result, **kw):
    kw.setdefault("method", name)
    return OpInfo(name=name, arity=2, ref=ref, dtypes=dtypes, result=result, **kw)


POS = Domain(0.1, 10.0, int_low=1, int_high=100)
UNIT = Domain(-0.95, 0.95, int_low=0, int_high=0)
SMALL = Domain(-3.0, 3.0, int_low=-3, int_high=3)
ROUNDING = Domain(-5.0, 5.0)
NONZERO = Domain(-10.0, 10.0, nonzero_int=True)
SHIFT = Domain(0, 7, int_low=0, int_high=7)
POWEXP = Domain(-2.0, 2.0, int_low=0, int_high=3)
POWBASE = Domain(0.5, 3.0, int_low=-4, int_high=4)

unary_ops = [
    U("neg", np.negative, NUMERIC, "same", operator="-", differentiable=True,
      errors=((lambda t: -t.tensor([True]), RuntimeError, "Negation, the `-` operator, on a bool tensor"),), exact_out=True),
    U("abs", np.abs, INTREAL + COMPLEX, "abs", differentiable=True, exact_out=True),
    U("sign", _sign, REAL, "same", differentiable=True, exact_out=True),
    U("sgn", _sgn, REAL + COMPLEX, "same", differentiable=True, exact_out=True),
    U("exp", np.exp, ALL, "float", domains=(SMALL,), differentiable=True),
    U("exp2", np.exp2, REAL + COMPLEX, "float", domains=(SMALL,), differentiable=True),
    U("expm1", np.expm1, REAL + COMPLEX, "float", domains=(SMALL,), differentiable=True),
    U("log", np.log, ALL, "float", domains=(POS,), differentiable=True),
    U("log2", np.log2, ALL, "float", domains=(POS,), differentiable=True),
    U("log10", np.log10, ALL, "float", domains=(POS,), differentiable=True),
    U("log1p", np.log1p, REAL + COMPLEX, "float", domains=(POS,), differentiable=True),
    U("sqrt", np.sqrt, ALL, "float", domains=(POS,), differentiable=True),
    U("rsqrt", _rsqrt, ALL, "float", domains=(POS,), differentiable=True),
    U("reciprocal", np.reciprocal, ALL, "float", domains=(POS,), differentiable=True),
    U("sin", np.sin, ALL, "float", differentiable=True),
    U("cos", np.cos, ALL, "float", differentiable=True),
    U("tan", np.tan, ALL, "float", domains=(Domain(-1.4, 1.4, int_low=-1, int_high=1),),
      tol=_tan_tol(), differentiable=True),
    U("asin", np.arcsin, ALL, "float", domains=(UNIT,), differentiable=True),
    U("acos", np.arccos, ALL, "float", domains=(UNIT,), differentiable=True),
    U("atan", np.arctan, ALL, "float", differentiable=True),
    U("sinh", np.sinh, ALL, "float", domains=(SMALL,), differentiable=True),
    U("cosh", np.cosh, ALL, "float", domains=(SMALL,), differentiable=True),
    U("tanh", np.tanh, ALL, "float", differentiable=True),
    U("asinh", np.arcsinh, ALL, "float", differentiable=True),
    U("acosh", np.arccosh, ALL, "float", domains=(Domain(1.1, 10.0, int_low=1, int_high=100),),
      differentiable=True),
    U("atanh", np.arctanh, ALL, "float", domains=(UNIT,), differentiable=True),
    U("sigmoid", _sigmoid, ALL, "float", differentiable=True),
    U("relu", _relu, INTREAL, "same", differentiable=True),
    U("erf", _erf, REAL, "float", differentiable=True),
    U("floor", np.floor, INTREAL, "same", domains=(ROUNDING,), differentiable=True, exact_out=True),
    U("ceil", np.ceil, INTREAL, "same", domains=(ROUNDING,), differentiable=True, exact_out=True),
    U("round", np.round, INTREAL, "same", domains=(ROUNDING,), differentiable=True, exact_out=True),
    U("trunc", np.trunc, INTREAL, "same", domains=(ROUNDING,), differentiable=True, exact_out=True),
    U("frac", _frac, FLOATS, "same", domains=(ROUNDING,), differentiable=True, exact_out=True),
    U("square", np.square, ALL, "bool_to_long", differentiable=True),
    U("bitwise_not", np.invert, BITS, "same", operator="~", exact_out=True),
    U("isnan", np.isnan, ALL, "bool", inplace=False),
    U("isinf", np.isinf, ALL, "bool", inplace=False),
    U("isfinite", np.isfinite, ALL, "bool", inplace=False),
    U("logical_not", np.logical_not, ALL, "bool"),
    U("nan_to_num", _nan_to_num, ALL, "same", differentiable=True),
    U("clamp", _clamp, REAL, "bool_to_long", kwargs={"min": -2, "max": 3}, differentiable=True,
      errors=((lambda t: t.clamp(t.ones(3)), RuntimeError, "At least one of 'min' or 'max'"),), exact_out=True),
]

_INTDIV_ERR = lambda f: ((f, RuntimeError, "ZeroDivisionError"),)

binary_ops = [
    B("add", np.add, ALL, "same", operator="+", scalars=(2, 2.5, True, 1j), differentiable=True),
    B("add_alpha", lambda a, b: a + b * np.asarray(2).astype(a.dtype) if a.dtype != np.bool_ else a | b,
      ALL, "same", func="add", method="add", kwargs={"alpha": 2}, scalars=(3,), differentiable=True,
      tol={"float16": (4e-3, 2e-3)},
      errors=((lambda t: t.add(t.ones(2, dtype=t.int64), t.ones(2, dtype=t.int64), alpha=0.5),
               RuntimeError, "alpha must not be a floating point"),)),
    B("sub", np.subtract, NUMERIC, "same", operator="-", scalars=(2, 2.5, 1j), differentiable=True,
      errors=((lambda t: t.ones(2, dtype=t.bool) - t.ones(2, dtype=t.bool), RuntimeError,
               "Subtraction, the `-` operator, with two bool tensors"),)),
    B("sub_alpha", lambda a, b: a - b * np.asarray(3).astype(a.dtype), NUMERIC, "same", func="sub",
      method="sub", kwargs={"alpha": 3}, scalars=(2,), differentiable=True, tol={"float16": (4e-3, 2e-3)}),
    # a float alpha: float tensors run it as one fused pass
    B("add_alpha_float", lambda a, b: a + b * np.asarray(-0.75).astype(a.dtype), FLOATC, "same",
      func="add", method="add", kwargs={"alpha": -0.75}, scalars=(3,), differentiable=True,
      tol={"float16": (4e-3, 2e-3)}),
    B("sub_alpha_float", lambda a, b: a - b * np.asarray(1.5).astype(a.dtype), FLOATC, "same",
      func="sub", method="sub", kwargs={"alpha": 1.5}, scalars=(2,), differentiable=True,
      tol={"float16": (4e-3, 2e-3)}),
    B("mul", np.multiply, ALL, "same", operator="*", scalars=(2, 2.5, True, 1j), differentiable=True),
    B("div", np.true_divide, ALL, "float", operator="/", domains=(Domain(), NONZERO),
      scalars=(2, 2.5), differentiable=True),
    B("div_trunc", _div_trunc, INTREAL, "same", func="div", method="div",
      kwargs={"rounding_mode": "trunc"}, domains=(Domain(), NONZERO), scalars=(3, 2.5),
      differentiable=True, specials=False,
      errors=_INTDIV_ERR(lambda t: t.div(t.ones(2, dtype=t.int32), 0, rounding_mode="trunc")) + (
          (lambda t: t.div(t.ones(2), 2, rounding_mode="round"), RuntimeError,
           "expected rounding_mode to be one of None, 'trunc', or 'floor'"),)),
    B("div_floor", np.floor_divide, INTREAL, "same", func="div", method="div",
      kwargs={"rounding_mode": "floor"}, domains=(Domain(), NONZERO), scalars=(3, 2.5),
      differentiable=True, specials=False,
      errors=_INTDIV_ERR(lambda t: t.div(t.ones(2, dtype=t.int64), t.zeros(2, dtype=t.int64),
                                         rounding_mode="floor"))),
    B("floor_divide", np.floor_divide, INTREAL, "same", operator="//", domains=(Domain(), NONZERO),
      scalars=(3, 2.5), specials=False,
      errors=_INTDIV_ERR(lambda t: t.ones(2, dtype=t.int64) // 0)),
    B("remainder", np.remainder, INTREAL, "same", operator="%", domains=(Domain(), NONZERO),
      scalars=(3, 2.5, -3), differentiable=True, specials=False,
      errors=_INTDIV_ERR(lambda t: t.ones(2, dtype=t.uint8) % t.zeros(2, dtype=t.uint8))),
    B("fmod", np.fmod, INTREAL, "same", domains=(Domain(), NONZERO), scalars=(3, 2.5, -3),
      differentiable=True,
      errors=_INTDIV_ERR(lambda t: t.fmod(t.ones(2, dtype=t.int16), 0))),
    B("pow", _pow, NUMERIC, "same", operator="**", domains=(POWBASE, POWEXP), scalars=(2, 0.5),
      differentiable=True, tol={"float16": (3e-3, 1e-3), "float32": (2e-6, 1e-5)},
      errors=((lambda t: t.ones(2, dtype=t.int64) ** -1, RuntimeError,
               "Integers to negative integer powers are not allowed"),)),
    B("atan2", np.arctan2, REAL, "float", scalars=(2, 0.5), differentiable=True),
    B("maximum", _maximum, REAL, "same", inplace=False, differentiable=True),
    B("minimum", np.minimum, REAL, "same", inplace=False, differentiable=True),
    B("eq", np.equal, ALL, "bool", operator="==", scalars=(2, 2.5, True)),
    B("ne", np.not_equal, ALL, "bool", operator="!=", scalars=(2, 2.5, True)),
    B("lt", np.less, REAL, "bool", operator="<", scalars=(2, 2.5)),
    B("le", np.less_equal, REAL, "bool", operator="<=", scalars=(2, 2.5)),
    B("gt", np.greater, REAL, "bool", operator=">", scalars=(2, 2.5)),
    B("ge", np.greater_equal, REAL, "bool", operator=">=", scalars=(2, 2.5)),
    B("logical_and", _logical(np.logical_and), ALL, "bool", scalars=()),
    B("logical_or", _logical(np.logical_or), ALL, "bool", scalars=()),
    B("logical_xor", _logical(np.logical_xor), ALL, "bool", scalars=()),
    B("bitwise_and", np.bitwise_and, BITS, "same", operator="&", scalars=(3, True, 2.5)),
    B("bitwise_or", np.bitwise_or, BITS, "same", operator="|", scalars=(3, True, 2.5)),
    B("bitwise_xor", np.bitwise_xor, BITS, "same", operator="^", scalars=(3, True, 2.5)),
    B("bitwise_left_shift", _lshift, INTS, "same", operator="<<", domains=(SMALL, SHIFT), scalars=(2,)),
    B("bitwise_right_shift", np.right_shift, INTS, "same", operator=">>", domains=(Domain(-100, 100), SHIFT),
      scalars=(2,)),
]

ternary_ops = [
    OpInfo("where", 3, _where, ALL, "same", method=None, inplace=False,
           differentiable=True),
    OpInfo("lerp", 3, _lerp, FLOATC, "same", method="lerp", differentiable=True,
           domains=(Domain(), Domain(), Domain(0.0, 1.0)),
           errors=((lambda t: t.lerp(t.ones(2), t.ones(2, dtype=t.float64), 0.5), RuntimeError,
                    "expected dtype"),)),
]

from op_db_special import binary_special, unary_special  # noqa: E402  (torch.special's entries)
unary_ops += unary_special
binary_ops += binary_special
# ---- pointwise math: hypot ... fmin, deg2rad ... frexp, addcmul / addcdiv,
# and the torch.<name>_ in-place functions of the table's unary ops


def _heaviside(a, b):
    # PyTorch: x == 0 -> values, else x > 0 (so NaN gives 0, where numpy's gives NaN)
    return np.where(a == 0, b, (a > 0).astype(a.dtype))


def _as_f64(f):
    return lambda x: f(x.astype(np.float64))


def _ldexp(a, b):
    return a * np.exp2(b)


def _addcmul(a, b, c):
    return a + np.asarray(2).astype(a.dtype) * b * c


def _addcdiv(a, b, c):
    return a + np.asarray(2).astype(a.dtype) * b / c


def _logaddexp(a, b):
    """log(e^a + e^b); of complex operands with PyTorch's branch: the
    imaginary part within pi/2 of that of the operand of the larger real
    part (the first on a tie), whose exponential dominates the sum"""
    if a.dtype.kind != "c":
        return np.logaddexp(a, b)
    r = np.log(np.exp(a) + np.exp(b))
    near = np.where(a.real >= b.real, a.imag, b.imag)
    return (r + 2j * np.pi * np.round((near - r.imag) / (2 * np.pi))).astype(a.dtype)


_NOT_TENSOR = lambda name: ((lambda t: getattr(t, name)(t.ones(2), 2), TypeError,
                             f"{name}(): argument 'other' (position 2) must be Tensor, not int"),)

def _angle(a):
    if a.dtype.kind == "c":
        return np.angle(a)
    # pi below zero; -0 and NaN as themselves (np.angle gives pi for -0)
    return np.where(np.isnan(a), a, np.where(a < 0, np.pi, 0.0)).astype(a.dtype)


unary_ops += [
    U("angle", _angle, ALL, "angle", differentiable=True, inplace=False),
    U("deg2rad", np.deg2rad, REAL, "float", differentiable=True,
      errors=((lambda t: t.deg2rad(t.ones(2, dtype=t.complex64)), RuntimeError,
               "deg2rad is not supported for complex tensors."),)),
    U("rad2deg", np.rad2deg, REAL, "float", differentiable=True),
    U("signbit", _as_f64(np.signbit), REAL, "bool", inplace=False,
      errors=((lambda t: t.signbit(t.ones(2, dtype=t.complex64)), NotImplementedError,
               "signbit is not implemented for complex tensors."),)),
    U("isposinf", _as_f64(np.isposinf), REAL, "bool", inplace=False,
      errors=((lambda t: t.isposinf(t.ones(2, dtype=t.complex128)), RuntimeError,
               "isposinf does not support complex inputs."),)),
    U("isneginf", _as_f64(np.isneginf), REAL, "bool", inplace=False),
    U("isreal", np.isreal, ALL, "bool", inplace=False, supports_out=False),
    U("positive", np.positive, NUMERIC, "same", inplace=False, supports_out=False,
      errors=((lambda t: t.positive(t.tensor([True])), RuntimeError,
               "The `+` operator, on a bool tensor is not supported."),)),
    U("frexp_mantissa", lambda x: np.frexp(x)[0], FLOATS, "same", func="frexp", method="frexp", output=0,
      inplace=False, supports_out=False, differentiable=True,
      errors=((lambda t: t.frexp(t.ones(2, dtype=t.int32)), RuntimeError,
               "torch.frexp() only supports floating-point dtypes"),
              (lambda t: t.frexp(t.ones(2), out=(t.empty(2), t.empty(2))), RuntimeError,
               "torch.frexp() expects exponent to have int dtype but got float"))),
    U("frexp_exponent", lambda x: np.frexp(x)[1], FLOATS, "int32", func="frexp", method="frexp", output=1,
      inplace=False, supports_out=False),
]

binary_ops += [
    B("hypot", np.hypot, FLOATS, "same", differentiable=True, errors=_NOT_TENSOR("hypot")),
    B("copysign", np.copysign, REAL, "float", scalars=(-2, 1.5), differentiable=True),
    B("logaddexp", _logaddexp, FLOATC, "same", inplace=False, differentiable=True,
      errors=_NOT_TENSOR("logaddexp")),
    B("logaddexp2", np.logaddexp2, FLOATS, "same", inplace=False, differentiable=True),
    B("nextafter", np.nextafter, FLOATS, "same", differentiable=True, errors=_NOT_TENSOR("nextafter")),
    B("heaviside", _heaviside, REAL, "same",
      errors=((lambda t: t.heaviside(t.ones(2), t.ones(2, dtype=t.float64)), RuntimeError,
               "heaviside is not yet implemented for tensors with different dtypes."),
              (lambda t: t.heaviside(t.ones(2), 0.5), TypeError,
               "heaviside(): argument 'values' (position 2) must be Tensor, not float"),
              (lambda t: t.heaviside(t.ones(2, dtype=t.complex64), t.ones(2, dtype=t.complex64)),
               RuntimeError, "heaviside is not yet implemented for complex tensors."))),
    B("gcd", np.gcd, INTS, "same", domains=(Domain(-100, 100),),
      errors=((lambda t: t.gcd(t.ones(2), t.ones(2)), NotImplementedError,
               "\"gcd_cpu\" not implemented for 'Float'"),) + _NOT_TENSOR("gcd")),
    B("lcm", np.lcm, INTS, "same", domains=(Domain(-10, 10),)),
    B("ldexp", _ldexp, ALL, "float", domains=(Domain(), SMALL), differentiable=True,
      errors=_NOT_TENSOR("ldexp") + ((lambda t: t.ones(2, dtype=t.int64).ldexp_(t.ones(2, dtype=t.int64)),
                                      RuntimeError, "can't be cast to the desired output type Long"),)),
    B("fmax", np.fmax, REAL, "same", inplace=False, differentiable=True,
      errors=((lambda t: t.fmax(t.ones(2, dtype=t.complex64), t.ones(2, dtype=t.complex64)), RuntimeError,
               "fmax not implemented for complex tensors."),)),
    B("fmin", np.fmin, REAL, "same", inplace=False, differentiable=True),
]

ternary_ops += [
    OpInfo("addcmul", 3, _addcmul, NUMERIC, "same", method="addcmul", kwargs={"value": 2},
           domains=(SMALL,), differentiable=True,
           errors=((lambda t: t.addcmul(t.ones(2), t.ones(2), t.ones(2), value=1j), RuntimeError,
                    "value cannot be converted to type float without overflow"),)),
    OpInfo("addcdiv", 3, _addcdiv, FLOATC, "same", method="addcdiv", kwargs={"value": 2},
           domains=(SMALL, SMALL, POS), differentiable=True,
           errors=((lambda t: t.addcdiv(t.ones(2), t.ones(2, dtype=t.int64), t.ones(2, dtype=t.int64)),
                    RuntimeError, "Integer division with addcdiv is no longer supported"),)),
]

# torch.<name>_(t, ...) exists for these (the driver calls it beside Tensor.<name>_)
_TORCH_INPLACE = set(("abs acos acosh asin asinh atan atanh ceil clamp cos cosh deg2rad erf exp exp2 "
                      "expm1 floor frac gcd lcm ldexp log log10 log1p log2 nan_to_num neg rad2deg "
                      "reciprocal relu round rsqrt sigmoid sin sinh sqrt square tan tanh trunc").split())
for _o in unary_ops + binary_ops:
    _o.torch_inplace = _o.name in _TORCH_INPLACE

op_db = unary_ops + binary_ops + ternary_ops
OPS = {op.name: op for op in op_db}
