"""Elementwise ops against numpy, driven by tests/op_db.py."""
import itertools
import operator as pyop
import zlib

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ctorch as torch
import helpers
from helpers import (DTYPE_NAMES, LAYOUTS, assert_close, to_numpy, can_cast, compute_dtype, kind, name_of, npdt,
                     op_result_dtype, operand_desc, random_array, result_type, tdt, with_layout)
from op_db import OPS, binary_ops, op_db, ternary_ops, unary_ops

OPERATORS = {"+": pyop.add, "-": pyop.sub, "*": pyop.mul, "/": pyop.truediv, "//": pyop.floordiv,
             "%": pyop.mod, "**": pyop.pow, "==": pyop.eq, "!=": pyop.ne, "<": pyop.lt,
             "<=": pyop.le, ">": pyop.gt, ">=": pyop.ge, "&": pyop.and_, "|": pyop.or_,
             "^": pyop.xor, "<<": pyop.lshift, ">>": pyop.rshift}
INPLACE_OPERATORS = {"+": pyop.iadd, "-": pyop.isub, "*": pyop.imul, "/": pyop.itruediv,
                     "//": pyop.ifloordiv, "%": pyop.imod, "**": pyop.ipow, "&": pyop.iand,
                     "|": pyop.ior, "^": pyop.ixor, "<<": pyop.ilshift, ">>": pyop.irshift}


def rng_for(*key):
    return np.random.default_rng(zlib.crc32(repr(key).encode()))


def _params(ops, dtypes=DTYPE_NAMES, layouts=(None,)):
    out = []
    for op in ops:
        for d in dtypes:
            for lay in layouts:
                args = (op, d) if lay is None else (op, d, lay)
                ident = f"{op.name}-{d}" + ("" if lay is None else f"-{lay}")
                out.append(pytest.param(*args, id=ident))
    return out


def call(op, *args, **kw):
    return pick(op, op.function(torch)(*args, **{**op.kwargs, **kw}))


def pick(op, r):
    """The result an op's row checks (one item of a tuple result)."""
    return r if op.output is None else r[op.output]


def expected_of(op, arrays, operands):
    """(numpy expected value, result dtype name) for the op applied to the given
    numpy arrays / python scalars, whose ctorch counterparts are `operands`."""
    promoted = result_type(*[operand_desc(o) for o in operands])
    res = op_result_dtype(op.result, promoted)
    comp = compute_dtype(op.result, promoted)
    if promoted not in op.dtypes:
        return None, res, promoted      # the op must raise; there is no reference value
    with np.errstate(all="ignore"):
        conv = [np.asarray(a).astype(comp) for a in arrays]
        exp = op.ref(*conv)
    return np.asarray(exp), res, promoted


def _make(op, dtype, layout, argi, key):
    rng = rng_for(op.name, dtype, layout, argi, key)
    return with_layout(lambda shape: random_array(shape, dtype, op.domains[argi], rng), layout)


def _accepts(op, promoted):
    return promoted in op.dtypes


# ------------------------------------------------------------------ unary

@pytest.mark.parametrize("op,dtype,layout", _params(unary_ops, layouts=LAYOUTS))
def test_unary(op, dtype, layout):
    t, a = _make(op, dtype, layout, 0, "u")
    if dtype not in op.dtypes:
        with pytest.raises(RuntimeError):
            call(op, t)
        return
    exp, res, _ = expected_of(op, [a], [t])
    before = a.copy()
    r = call(op, t)
    assert_close(r, exp, res, op.tolerance(res), f"torch.{op.func}")
    np.testing.assert_array_equal(to_numpy(t), before)     # input untouched
    if op.method:
        r2 = pick(op, getattr(t, op.method)(**op.kwargs))
        assert_close(r2, exp, res, op.tolerance(res), f"Tensor.{op.method}")


@pytest.mark.parametrize("op,dtype", _params(unary_ops))
def test_unary_out(op, dtype):
    t, a = _make(op, dtype, "contiguous", 0, "out")
    if dtype not in op.dtypes:
        return
    exp, res, _ = expected_of(op, [a], [t])
    if not op.supports_out:
        return
    out = torch.empty(3, 4, dtype=tdt(res), device=helpers.DEVICE)
    r = call(op, t, out=out)
    assert r is out
    assert_close(out, exp, res, op.tolerance(res), "out=")
    # a bool out cannot hold a non-bool result; an int out cannot hold a float one
    if res != "bool":
        bad = "int64" if kind(res) >= 2 else "bool"
        with pytest.raises(RuntimeError) as ei:
            call(op, t, out=torch.empty(3, 4, dtype=tdt(bad), device=helpers.DEVICE))
        if op.name == "nan_to_num":
            assert "should be same as input" in str(ei.value)
        elif op.exact_out and not (op.result == "abs" and kind(dtype) == 3):   # abs of complex: cast rule
            assert f"Found dtype {({'int64': 'Long', 'bool': 'Bool'})[bad]} but expected" in str(ei.value)
        else:
            assert "can't be cast to the desired output type" in str(ei.value)


@pytest.mark.parametrize("op,dtype", _params([o for o in unary_ops if o.inplace]))
def test_unary_inplace(op, dtype):
    t, a = _make(op, dtype, "contiguous", 0, "inpl")
    if dtype not in op.dtypes:
        with pytest.raises(RuntimeError):
            getattr(t, op.method + "_")(**op.kwargs)
        return
    if op.result == "abs" and kind(dtype) == 3:
        # PyTorch refuses to write a complex tensor's absolute values into it
        with pytest.raises(RuntimeError, match="In-place abs is not supported for complex tensors"):
            getattr(t, op.method + "_")(**op.kwargs)
        np.testing.assert_array_equal(to_numpy(t), a)
        return
    exp, res, _ = expected_of(op, [a], [t])
    ptr, ver = t.data_ptr(), t._version
    if not can_cast(res, dtype):
        with pytest.raises(RuntimeError, match="can't be cast to the desired output type"):
            getattr(t, op.method + "_")(**op.kwargs)
        np.testing.assert_array_equal(to_numpy(t), a)
        return
    t2 = t.clone()
    r = getattr(t, op.method + "_")(**op.kwargs)
    assert r is t
    assert t.data_ptr() == ptr
    assert t._version > ver
    assert_close(t, exp.astype(dtype) if kind(dtype) <= 1 else exp, dtype, op.tolerance(dtype), "in place")
    if op.torch_inplace:
        # the function form, torch.<name>_(t)
        assert getattr(torch, op.func + "_")(t2, **op.kwargs) is t2
        assert_close(t2, exp.astype(dtype) if kind(dtype) <= 1 else exp, dtype, op.tolerance(dtype),
                     f"torch.{op.func}_")


@pytest.mark.parametrize("op", [pytest.param(o, id=o.name) for o in unary_ops if o.inplace])
def test_unary_inplace_through_view(op):
    """An in-place op on a transposed / strided view writes through to the base."""
    dtype = "float64" if "float64" in op.dtypes else "int64"
    rng = rng_for(op.name, "view")
    a = random_array((6, 5), dtype, op.domains[0], rng)
    base = torch.tensor(a)
    v = base.t()[1::2]
    getattr(v, op.method + "_")(**op.kwargs)
    exp = a.copy()
    with np.errstate(all="ignore"):
        exp.T[1::2] = op.ref(a.T[1::2])
    assert_close(base, exp, dtype, op.tolerance(dtype), "base after in-place on view")


@pytest.mark.parametrize("op,dtype", _params(unary_ops, dtypes=("float32", "float64")))
def test_unary_strided_views_match_dense(op, dtype):
    """Long strided rows (the kernels' gathered vector blocks, tails of every
    length) give the values of the same elements made dense, to the op's
    tolerance (a strided row may take another form of the function)."""
    if dtype not in op.dtypes:
        return
    rng = rng_for(op.name, dtype, "strided")
    a = random_array((7, 613), dtype, op.domains[0], rng)
    t = torch.tensor(a)
    for view in (t[:, ::3], t[:, 5::2], t.t(), t[1:, 17:600:5]):
        want = to_numpy(call(op, view.contiguous()))
        assert_close(call(op, view), want, want.dtype.name, op.tolerance(want.dtype.name),
                     f"{op.name} on a view of strides {view.stride()}")


def test_unary_operators():
    x = torch.tensor([[1, -2], [3, 4]], dtype=torch.int32)
    assert_close(-x, np.array([[-1, 2], [-3, -4]]), "int32")
    assert_close(~x, ~np.array([[1, -2], [3, 4]], dtype=np.int32), "int32")
    assert_close(abs(x), np.array([[1, 2], [3, 4]]), "int32")
    assert_close(~torch.tensor([True, False]), np.array([False, True]), "bool")
    assert +x is x or torch.equal(+x, x)


SPECIALS = [np.nan, np.inf, -np.inf, -0.0, 0.0, 1.0, -1.0, 0.5, -2.5, 1e30, -1e-30, 100.0]


@pytest.mark.parametrize("op,dtype", _params([o for o in unary_ops if o.specials],
                                             dtypes=("float32", "float64")))
def test_unary_special_values(op, dtype):
    if dtype not in op.dtypes:
        return
    a = np.array(SPECIALS, dtype=dtype)
    t = helpers.on_device(a)
    exp, res, _ = expected_of(op, [a], [t])
    assert_close(call(op, t), exp, res, op.tolerance(res), f"{op.name} on special values")


@pytest.mark.parametrize("op,dtype", _params([o for o in unary_ops if o.specials],
                                             dtypes=("float32", "float64")))
def test_unary_signed_zeros(op, dtype):
    """A zero result carries the reference's sign (sin(-0) is -0), dense and strided."""
    if dtype not in op.dtypes:
        return
    a = np.array([-0.0, 0.0] * 40, dtype=dtype)
    for t in (torch.from_numpy(a.copy()), torch.from_numpy(np.repeat(a, 2))[::2]):
        exp, res, _ = expected_of(op, [a], [t])
        got = to_numpy(call(op, t))
        zero = np.asarray(exp) == 0
        assert np.array_equal(np.signbit(got[zero]), np.signbit(exp[zero])), f"{op.name}: sign of zero"


def test_sign_and_relu_of_nan():
    t = torch.tensor([float("nan"), -0.0, 2.0, -3.0])
    s = torch.sign(t).numpy()
    assert s[0] == 0 and s[2] == 1 and s[3] == -1
    r = torch.relu(t).numpy()
    assert np.isnan(r[0]) and r[3] == 0


def test_nan_to_num_arguments():
    a = np.array([np.nan, np.inf, -np.inf, 1.5], dtype=np.float32)
    t = torch.tensor(a)
    assert_close(torch.nan_to_num(t, nan=1.0, posinf=2.0, neginf=-3.0),
                 np.nan_to_num(a, nan=1.0, posinf=2.0, neginf=-3.0), "float32")
    assert_close(t.nan_to_num(), np.nan_to_num(a, posinf=np.finfo(np.float32).max,
                                               neginf=np.finfo(np.float32).min), "float32")
    h = torch.tensor(a.astype(np.float16))
    assert h.nan_to_num().numpy()[1] == np.float16(65504)


def test_clamp_forms():
    a = np.arange(-5, 6, dtype=np.float32)
    t = torch.tensor(a)
    assert_close(torch.clamp(t, min=-1.5), np.maximum(a, -1.5), "float32")
    assert_close(torch.clamp(t, max=2), np.minimum(a, 2), "float32")
    assert_close(t.clip(-1, 1), np.clip(a, -1, 1), "float32")
    assert_close(torch.clamp(t, torch.tensor(-1.0), torch.tensor(1.0)), np.clip(a, -1, 1), "float32")
    i = torch.tensor(np.arange(-5, 6))
    assert_close(torch.clamp(i, -1.5, 2.5), np.clip(np.arange(-5, 6), -1.5, 2.5).astype(np.float32),
                 "float32")
    with pytest.raises(RuntimeError, match="At least one of 'min' or 'max' must not be None"):
        torch.clamp(t)


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16", "int32", "uint8", "int64"])
@pytest.mark.parametrize("bshape", [(40, 50), (50,), (40, 1), ()])
def test_clamp_tensor_bounds_values(dtype, bshape):
    # minimum(maximum(x, lo), hi): broadcast bounds, lo > hi giving hi, NaN
    # in any of the three giving NaN
    rng = np.random.default_rng(len(bshape))
    floats = dtype in ("float32", "float64", "float16", "bfloat16")
    npdt = "float32" if dtype == "bfloat16" else dtype
    def draw(shape):
        v = rng.integers(0, 30, size=shape) - (0 if dtype == "uint8" else 15)
        v = (v / 2 if floats else v).astype(npdt)
        if floats and v.ndim:
            v.flat[rng.integers(0, v.size, size=max(1, v.size // 20))] = np.nan
        return v
    x, lo = draw((40, 50)), draw(bshape)
    hi = lo + np.asarray(rng.integers(-3, 8, size=bshape)).astype(npdt) if dtype != "uint8" else lo + 3
    hi = np.asarray(hi, dtype=npdt)
    dt = getattr(torch, dtype)
    got = torch.clamp(torch.tensor(x).to(dt), torch.tensor(lo).to(dt), torch.tensor(hi).to(dt))
    assert got.dtype == dt and tuple(got.shape) == (40, 50)
    ref = np.minimum(np.maximum(x, lo), hi)
    np.testing.assert_array_equal(got.float().numpy() if dtype == "bfloat16" else got.numpy(), ref)
    if not floats:
        # float bounds promote an integer input
        got = torch.clamp(torch.tensor(x), torch.tensor(lo.astype(np.float32) + 0.5), torch.tensor(hi.astype(np.float64)))
        assert got.dtype == torch.float64
        np.testing.assert_array_equal(got.numpy(), np.minimum(np.maximum(x, lo + 0.5), hi.astype(np.float64)))


def test_round_decimals():
    a = np.array([1.2345, -2.5551, 123.456, 0.5, 1.5], dtype=np.float64)
    t = torch.tensor(a)
    assert_close(torch.round(t, decimals=2), np.round(a, 2), "float64", (1e-12, 1e-12))
    assert_close(torch.round(t, decimals=-1), np.round(a, -1), "float64", (1e-12, 1e-12))
    assert_close(torch.round(t), np.round(a), "float64")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("base", [2, 2.0])
def test_pow_of_two_as_exp2(dtype, base):
    # a base of 2 runs the exp2 kernel: within an ulp of 2^x, PyTorch's dtype
    # and gradient (the pow.Scalar node); an integer exponent stays integer
    x = (np.random.default_rng(14).standard_normal(10_000) * 20).astype(dtype)
    got = torch.pow(base, torch.tensor(x))
    assert got.dtype == getattr(torch, dtype)
    np.testing.assert_allclose(got.numpy(), np.exp2(x.astype(np.float64)),
                               rtol=2.4e-7 if dtype == "float32" else 4.5e-16)
    np.testing.assert_array_equal((base ** torch.tensor(x)).numpy(), got.numpy())
    t = torch.tensor(x[:6].astype(np.float64) / 10).requires_grad_(True)
    assert torch.autograd.gradcheck(lambda v: base ** v, (t,))
    assert type((base ** t).grad_fn).__name__ == "PowBackward2"
    ints = torch.tensor([1, 2, 3])
    r = base ** ints
    assert r.dtype == (torch.int64 if isinstance(base, int) else torch.float32)
    assert r.tolist() == [2, 4, 8]


@pytest.mark.parametrize("base", [3.0, 0.5, 1.0, 1e-30, 7e30, -3.0, 0.0, -0.0,
                                  float("inf"), float("-inf"), float("nan")])
def test_pow_scalar_base_float32(base):
    # a scalar base with a float32 exponent tensor: within an ulp of the
    # float32 of the power in double, special values as C's pow gives them
    rng = np.random.default_rng(15)
    x = np.concatenate([rng.standard_normal(20_000) * 30, np.arange(-200, 200, 0.5),
                        [np.inf, -np.inf, np.nan, 0.0, -0.0]]).astype(np.float32)
    with np.errstate(all="ignore"):
        ref = (np.float64(np.float32(base)) ** x.astype(np.float64)).astype(np.float32)
    got = torch.pow(base, torch.tensor(x))
    assert got.dtype == torch.float32
    g, fin = got.numpy(), np.isfinite(ref)
    np.testing.assert_array_equal(g[~fin], ref[~fin])
    np.testing.assert_array_max_ulp(g[fin], ref[fin], maxulp=1)
    np.testing.assert_array_equal((base ** torch.tensor(x)).numpy(), g)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("decimals", [-2, -1, 1, 2, 3, 5])
def test_round_decimals_in_the_dtype(dtype, decimals):
    # PyTorch's formula: 10^|decimals| once in the dtype, the scaled value
    # rounded half to even in the dtype and scaled back (float32 in float32)
    a = (np.random.default_rng(13).standard_normal(100_000) * 1000).astype(dtype)
    m = np.array(10.0 ** abs(decimals), dtype=dtype)
    ref = np.rint(a * m) / m if decimals > 0 else np.rint(a / m) * m
    np.testing.assert_array_equal(torch.tensor(a).round(decimals=decimals).numpy(), ref)


# ----------------------------------------------------------------- binary

def _binary_case(op, dtype, layout, key=""):
    ta, a = _make(op, dtype, layout, 0, "a" + key)
    tb, b = _make(op, dtype, layout, 1, "b" + key)
    return ta, a, tb, b


@pytest.mark.parametrize("op,dtype,layout", _params(binary_ops, layouts=LAYOUTS))
def test_binary(op, dtype, layout):
    ta, a, tb, b = _binary_case(op, dtype, layout)
    if dtype not in op.dtypes:
        with pytest.raises(RuntimeError):
            call(op, ta, tb)
        return
    exp, res, _ = expected_of(op, [a, b], [ta, tb])
    r = call(op, ta, tb)
    assert_close(r, exp, res, op.tolerance(res), f"torch.{op.func}")
    if op.method:
        assert_close(getattr(ta, op.method)(tb, **op.kwargs), exp, res, op.tolerance(res),
                     f"Tensor.{op.method}")
    if op.operator:
        assert_close(OPERATORS[op.operator](ta, tb), exp, res, op.tolerance(res), op.operator)


MIXED_OPS = [OPS[n] for n in ("add", "sub", "mul", "div", "floor_divide", "remainder", "pow",
                              "atan2", "maximum", "eq", "lt", "logical_xor", "bitwise_or",
                              "bitwise_left_shift")]


def _mixed_params():
    out = []
    for op in MIXED_OPS:
        for d1, d2 in itertools.product(DTYPE_NAMES, DTYPE_NAMES):
            if d1 != d2:
                out.append(pytest.param(op, d1, d2, id=f"{op.name}-{d1}-{d2}"))
    return out


@pytest.mark.parametrize("op,d1,d2", _mixed_params())
def test_binary_mixed_dtypes(op, d1, d2):
    """Tensors of two dtypes: the result dtype follows torch's promotion lattice."""
    rng = rng_for(op.name, d1, d2)
    a = random_array((2, 3), d1, op.domains[0], rng)
    b = random_array((2, 3), d2, op.domains[1], rng)
    ta, tb = helpers.on_device(a), helpers.on_device(b)
    exp, res, promoted = expected_of(op, [a, b], [ta, tb])
    bool_sub = op.name == "sub" and "bool" in (d1, d2)
    if promoted not in op.dtypes or bool_sub:
        with pytest.raises(RuntimeError):
            call(op, ta, tb)
        return
    assert_close(call(op, ta, tb), exp, res, op.tolerance(res), f"{op.name}({d1}, {d2})")


CATEGORY_CASES = [
    # (dims dtype, zero-dim dtype) -> the 0-dim tensor only wins across kinds
    ("int8", "int64"), ("uint8", "int8"), ("float16", "float64"), ("int32", "float64"),
    ("bool", "int16"), ("bool", "float64"), ("float32", "complex128"), ("float64", "complex64"),
    ("int64", "complex64"), ("uint8", "bool"), ("int16", "float16"),
]


@pytest.mark.parametrize("dim_dt,zero_dt", CATEGORY_CASES, ids=[f"{a}-{b}" for a, b in CATEGORY_CASES])
@pytest.mark.parametrize("swap", [False, True], ids=["dim_first", "zero_first"])
def test_promotion_zero_dim_vs_dims(dim_dt, zero_dt, swap):
    op = OPS["add"]
    rng = rng_for(dim_dt, zero_dt)
    a = random_array((3,), dim_dt, op.domains[0], rng)
    b = random_array((), zero_dt, op.domains[0], rng)
    ta, tb = helpers.on_device(a), helpers.on_device(b)
    assert tb.dim() == 0
    args = (tb, ta) if swap else (ta, tb)
    arrs = (b, a) if swap else (a, b)
    exp, res, _ = expected_of(op, arrs, args)
    if res == "float16":
        # PyTorch's add takes each operand rounded to the result's half
        # (a 0-dim or python float included), then adds in float
        exp, res, _ = expected_of(op, [np.asarray(x).astype(np.float16) for x in arrs], args)
    assert_close(torch.add(*args), exp, res, op.tolerance(res))


def test_promotion_examples():
    """Hand-checked corner cases of the promotion model itself (guards the helper)."""
    assert result_type(("dim", "int64"), 2.5) == "float32"
    assert result_type(("dim", "float32"), 1.0) == "float32"
    assert result_type(("dim", "int32"), True) == "int32"
    assert result_type(("dim", "bool"), 3) == "int64"
    assert result_type(("dim", "uint8"), ("dim", "int8")) == "int16"
    assert result_type(("dim", "float32"), ("dim", "float64")) == "float64"
    assert result_type(("dim", "int8"), ("zero", "int64")) == "int8"
    assert result_type(("dim", "int8"), ("zero", "float64")) == "float64"
    assert result_type(("dim", "float64"), 1j) == "complex128"
    assert result_type(("dim", "complex64"), ("dim", "float64")) == "complex128"
    assert result_type(("zero", "int32"), 2.5) == "float32"
    assert result_type(2, 2.5) == "float32"


def test_result_type_and_can_cast_functions():
    i8, u8 = torch.tensor([1], dtype=torch.int8), torch.tensor([1], dtype=torch.uint8)
    assert torch.result_type(i8, u8) == torch.int16
    assert torch.result_type(i8, 2.5) == torch.float32
    assert torch.result_type(torch.tensor(1.0, dtype=torch.float64), i8) == torch.float64
    assert torch.can_cast(torch.int64, torch.float16)
    assert not torch.can_cast(torch.float32, torch.int64)
    assert not torch.can_cast(torch.int8, torch.bool)
    assert not torch.can_cast(torch.complex64, torch.float64)


def _scalar_params():
    out = []
    for op in binary_ops:
        for d in DTYPE_NAMES:
            for s in op.scalars:
                out.append(pytest.param(op, d, s, id=f"{op.name}-{d}-{s!r}"))
    return out


def _scalar_expectation(op, t, a, s, reflected=False):
    operands = [s, t] if reflected else [t, s]
    arrays = [np.asarray(s), a] if reflected else [a, np.asarray(s)]
    exp, res, promoted = expected_of(op, arrays, operands)
    ok = promoted in op.dtypes and not (op.name.startswith("sub") and (
        name_of(t.dtype) == "bool" or isinstance(s, bool)))
    return exp, res, ok


@pytest.mark.parametrize("op,dtype,scalar", _scalar_params())
def test_binary_scalar(op, dtype, scalar):
    """tensor op python-scalar: weak scalars do not widen the tensor's dtype within a kind."""
    if dtype == "float16" and isinstance(scalar, complex):
        return   # would be complex32 (chalf), which ctorch does not have; see the report
    t, a = _make(op, dtype, "contiguous", 0, "s")
    exp, res, ok = _scalar_expectation(op, t, a, scalar)
    if not ok:
        with pytest.raises(RuntimeError):
            call(op, t, scalar)
        return
    assert_close(call(op, t, scalar), exp, res, op.tolerance(res), f"{op.name}(t, {scalar!r})")
    if op.operator:
        assert_close(OPERATORS[op.operator](t, scalar), exp, res, op.tolerance(res), op.operator)


@pytest.mark.parametrize("op,dtype,scalar", [p for p in _scalar_params() if p.values[0].operator])
def test_binary_reflected_operator(op, dtype, scalar):
    """scalar op tensor (`2 - x`, `2 ** x`, `1 / x`) goes through the reflected methods."""
    if dtype == "float16" and isinstance(scalar, complex):
        return
    rng = rng_for(op.name, dtype, "refl")
    # the tensor is now the right operand: draw it from the right operand's domain
    a = random_array((3, 4), dtype, op.domains[1], rng)
    t = torch.tensor(a)
    exp, res, ok = _scalar_expectation(op, t, a, scalar, reflected=True)
    if op.name == "pow" and dtype != "bool" and kind(dtype) == 1 and isinstance(scalar, int):
        ok = True   # int scalar ** int tensor: nonnegative exponents are fine
    f = OPERATORS[op.operator]
    if not ok:
        with pytest.raises(RuntimeError):
            f(scalar, t)
        return
    assert_close(f(scalar, t), exp, res, op.tolerance(res), f"{scalar!r} {op.operator} tensor")


def test_reflected_examples():
    x = torch.tensor([1.0, 2.0, 4.0])
    assert_close(2 - x, np.array([1.0, 0.0, -2.0]), "float32")
    assert_close(2 ** x, np.array([2.0, 4.0, 16.0]), "float32")
    assert_close(1 / x, np.array([1.0, 0.5, 0.25]), "float32")
    i = torch.tensor([1, 2, 3])
    assert_close(2 ** i, np.array([2, 4, 8]), "int64")
    assert_close(1 / i, np.array([1.0, 0.5, 1 / 3], dtype=np.float32), "float32", (1e-6, 0))
    assert_close(7 // i, np.array([7, 3, 2]), "int64")
    assert_close(7 % i, np.array([0, 1, 1]), "int64")
    assert_close(1.5 - i, np.array([0.5, -0.5, -1.5]), "float32")
    assert_close(torch.rsub(i, 10), np.array([9, 8, 7]), "int64")


@pytest.mark.parametrize("op,dtype", _params([o for o in binary_ops if o.inplace]))
def test_binary_inplace(op, dtype):
    ta, a, tb, b = _binary_case(op, dtype, "contiguous", "inpl")
    m = getattr(ta, op.method + "_")
    if dtype not in op.dtypes:
        with pytest.raises(RuntimeError):
            m(tb, **op.kwargs)
        return
    exp, res, _ = expected_of(op, [a, b], [ta, tb])
    ptr, ver = ta.data_ptr(), ta._version
    if not can_cast(res, dtype):
        with pytest.raises(RuntimeError, match="can't be cast to the desired output type"):
            m(tb, **op.kwargs)
        np.testing.assert_array_equal(to_numpy(ta), a)
        return
    ta2 = ta.clone()
    r = m(tb, **op.kwargs)
    assert r is ta and ta.data_ptr() == ptr and ta._version > ver
    with np.errstate(all="ignore"):
        exp = exp.astype(dtype)
    assert_close(ta, exp, dtype, op.tolerance(dtype), f"{op.method}_")
    if op.torch_inplace:
        assert getattr(torch, op.func + "_")(ta2, tb, **op.kwargs) is ta2
        assert_close(ta2, exp, dtype, op.tolerance(dtype), f"torch.{op.func}_")
    # the in-place result must keep x's shape: a larger broadcast shape is an error
    with pytest.raises(RuntimeError):
        getattr(torch.tensor(a[:1]), op.method + "_")(tb, **op.kwargs)


INPLACE_PROMOTION = [("int64", 2.5, False), ("int32", ("dim", "float32"), False),
                     ("float32", ("dim", "float64"), True), ("float16", 2, True),
                     ("int8", ("dim", "int64"), True), ("bool", ("dim", "int8"), False),
                     ("float32", 1j, False), ("complex64", ("dim", "float64"), True),
                     ("uint8", ("dim", "int8"), True)]


@pytest.mark.parametrize("dtype,other,ok", INPLACE_PROMOTION,
                         ids=[f"{d}-{o}" for d, o, _ in INPLACE_PROMOTION])
def test_inplace_cast_rule(dtype, other, ok):
    x = torch.ones(3, dtype=tdt(dtype))
    y = torch.ones(3, dtype=tdt(other[1])) if isinstance(other, tuple) else other
    if ok:
        r = x.add_(y)
        assert r is x and x.dtype == tdt(dtype)
        assert_close(x, np.full(3, 2), dtype, (1e-3, 1e-3)) if isinstance(other, tuple) else \
            assert_close(x, np.full(3, 1 + other), dtype, (1e-3, 1e-3))
    else:
        with pytest.raises(RuntimeError, match="can't be cast to the desired output type"):
            x.add_(y)


@pytest.mark.parametrize("op", [pytest.param(o, id=o.name) for o in binary_ops if o.operator in INPLACE_OPERATORS])
def test_augmented_assignment(op):
    dtype = "int32" if "int32" in op.dtypes else "float32"
    if op.result == "float":
        dtype = "float32"
    ta, a, tb, b = _binary_case(op, dtype, "contiguous", "aug")
    exp, res, _ = expected_of(op, [a, b], [ta, tb])
    x = ta
    ptr = x.data_ptr()
    x = INPLACE_OPERATORS[op.operator](x, tb)
    assert x is ta and x.data_ptr() == ptr
    assert_close(x, exp.astype(dtype), dtype, op.tolerance(dtype), f"{op.operator}=")


def test_augmented_true_division_of_int_raises():
    x = torch.tensor([1, 2])
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        x /= 2
    np.testing.assert_array_equal(x.numpy(), [1, 2])


@pytest.mark.parametrize("op,dtype", _params([o for o in binary_ops if o.supports_out],
                                             dtypes=("int32", "float32", "bool", "complex128")))
def test_binary_out(op, dtype):
    ta, a, tb, b = _binary_case(op, dtype, "contiguous", "out")
    if dtype not in op.dtypes:
        return
    exp, res, _ = expected_of(op, [a, b], [ta, tb])
    out = torch.empty(3, 4, dtype=tdt(res), device=helpers.DEVICE)
    r = call(op, ta, tb, out=out)
    assert r is out
    assert_close(out, exp, res, op.tolerance(res), "out=")
    wide = {"bool": "bool", "int32": "int64", "float32": "float64", "complex128": "complex128",
            "int8": "int64", "uint8": "int64", "int16": "int64", "int64": "int64", "float16": "float64",
            "float64": "float64", "complex64": "complex128"}[res]
    out2 = torch.zeros(3, 4, dtype=tdt(wide), device=helpers.DEVICE)
    call(op, ta, tb, out=out2)
    assert_close(out2, exp, wide, op.tolerance(res), "wider out=")
    if kind(res) >= 2:
        with pytest.raises(RuntimeError, match="can't be cast to the desired output type"):
            call(op, ta, tb, out=torch.empty(3, 4, dtype=torch.int64, device=helpers.DEVICE))


def test_out_resizes_empty_tensor():
    out = torch.empty(0)
    torch.add(torch.ones(2, 3), 1, out=out)
    assert out.shape == (2, 3)
    assert_close(out, np.full((2, 3), 2.0), "float32")


BROADCAST_SHAPES = [((3, 1), (1, 4)), ((4,), (3, 4)), ((2, 1, 4), (3, 1)), ((), (2, 3)),
                    ((0, 1), (1, 5)), ((1,), (0,)), ((5, 1, 1), (1, 1, 1))]


@pytest.mark.parametrize("op", [pytest.param(OPS[n], id=n) for n in
                                ("add", "mul", "div", "pow", "eq", "maximum", "bitwise_xor", "atan2")])
@pytest.mark.parametrize("s1,s2", BROADCAST_SHAPES, ids=[f"{a}-{b}" for a, b in BROADCAST_SHAPES])
def test_binary_broadcast(op, s1, s2):
    dtype = "int16" if "int16" in op.dtypes else "float64"
    rng = rng_for(op.name, s1, s2)
    a = random_array(s1, dtype, op.domains[0], rng)
    b = random_array(s2, dtype, op.domains[1], rng)
    ta, tb = helpers.on_device(a), helpers.on_device(b)
    exp, res, _ = expected_of(op, [a, b], [ta, tb])
    assert_close(call(op, ta, tb), exp, res, op.tolerance(res))
    if op.domains[0] == op.domains[1]:
        assert_close(call(op, tb, ta), expected_of(op, [b, a], [tb, ta])[0], res, op.tolerance(res))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=0, max_size=4), st.data())
def test_broadcast_hypothesis(shape, data):
    """Random broadcast-compatible shape pairs, checked against numpy broadcasting."""
    other = [data.draw(st.sampled_from([1, d])) for d in shape]
    drop = data.draw(st.integers(0, len(other)))
    other = other[drop:]
    rng = np.random.default_rng(len(shape))
    a = rng.standard_normal(shape).astype(np.float32)
    b = rng.standard_normal(other).astype(np.float32)
    ta, tb = helpers.on_device(a), helpers.on_device(b)
    assert_close(ta * tb, a * b, "float32", (1e-6, 1e-6))
    assert_close(tb - ta, b - a, "float32", (1e-6, 1e-6))
    assert_close(torch.maximum(ta, tb), np.maximum(a, b), "float32")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(2, 4), min_size=2, max_size=2), st.lists(st.integers(2, 4), min_size=2, max_size=2))
def test_broadcast_mismatch_hypothesis(s1, s2):
    if s1 == s2:
        return
    ta, tb = torch.ones(*s1), torch.ones(*s2)
    with pytest.raises(RuntimeError, match="must match the size of tensor b"):
        ta + tb


@pytest.mark.parametrize("op,dtype", _params([o for o in binary_ops if o.specials],
                                             dtypes=("float32", "float64")))
def test_binary_special_values(op, dtype):
    if dtype not in op.dtypes:
        return
    vals = np.array([np.nan, np.inf, -np.inf, -0.0, 0.0, 1.0, -2.5, 3.0], dtype=dtype)
    a, b = np.meshgrid(vals, vals, indexing="ij")
    ta, tb = helpers.on_device(a.copy()), helpers.on_device(b.copy())
    exp, res, _ = expected_of(op, [a, b], [ta, tb])
    assert_close(call(op, ta, tb), exp, res, op.tolerance(res), f"{op.name} on special values")


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "int64"])
@pytest.mark.parametrize("name", ["div_trunc", "div_floor", "floor_divide", "remainder", "fmod"])
def test_integer_division_by_zero_raises(name, dtype):
    op = OPS[name]
    x = torch.tensor(np.array([5, 3, 1], dtype=dtype))
    z = torch.tensor(np.array([1, 0, 2], dtype=dtype))
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        call(op, x, z)
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        call(op, x, 0)
    # a large tensor goes through the threaded path
    big = torch.ones(100000, dtype=tdt(dtype))
    bz = torch.ones(100000, dtype=tdt(dtype))
    bz[77777] = 0
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        call(op, big, bz)


def test_float_division_by_zero_gives_inf():
    r = torch.tensor([1.0, -1.0, 0.0]) / 0
    assert np.isposinf(r.numpy()[0]) and np.isneginf(r.numpy()[1]) and np.isnan(r.numpy()[2])
    assert_close(torch.tensor([1, 0]) / torch.tensor([0, 0]), np.array([np.inf, np.nan]), "float32")


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "int64"])
def test_integer_min_divided_by_minus_one_does_not_crash(dtype):
    lo = np.iinfo(dtype).min
    x = torch.tensor(np.array([lo, 7], dtype=dtype))
    m = torch.tensor(np.array([-1, -1], dtype=dtype))
    np.testing.assert_array_equal(torch.div(x, m, rounding_mode="trunc").numpy(), np.array([lo, -7], dtype=dtype))
    np.testing.assert_array_equal(torch.remainder(x, m).numpy(), [0, 0])
    np.testing.assert_array_equal(torch.fmod(x, m).numpy(), [0, 0])


def test_integer_pow_negative_exponent_tensor():
    """A negative exponent *tensor* is allowed for integers: 1 -> 1, -1 -> +-1, else 0."""
    base = torch.tensor([1, -1, -1, 2, 0])
    e = torch.tensor([-3, -3, -2, -1, 2])
    np.testing.assert_array_equal((base ** e).numpy(), [1, -1, 1, 0, 0])
    with pytest.raises(RuntimeError, match="Integers to negative integer powers are not allowed"):
        torch.pow(base, -2)


# --------------------------------------------------------------- ternary

@pytest.mark.parametrize("dtype,layout", [pytest.param(d, l, id=f"{d}-{l}") for d in DTYPE_NAMES for l in LAYOUTS])
def test_where(dtype, layout):
    op = OPS["where"]
    rng = rng_for("where", dtype, layout)
    tc, c = with_layout(lambda s: rng.integers(0, 2, size=s).astype(bool), layout)
    tx, x = with_layout(lambda s: random_array(s, dtype, op.domains[0], rng), layout)
    ty, y = with_layout(lambda s: random_array(s, dtype, op.domains[0], rng), layout)
    r = torch.where(tc, tx, ty)
    assert_close(r, np.where(c, x, y), dtype, (0, 0))
    assert_close(tx.where(tc, ty), np.where(c, x, y), dtype, (0, 0))


def test_where_promotion_and_scalars():
    c = torch.tensor([True, False, True])
    i = torch.tensor([1, 2, 3])
    assert_close(torch.where(c, i, 2.5), np.array([1, 2.5, 3]), "float32")
    assert_close(torch.where(c, i.to(torch.int8), torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)),
                 np.array([1, 2.0, 3]), "float64")
    assert_close(torch.where(c, 1, 0), np.array([1, 0, 1]), "int64")
    assert_close(torch.where(c.reshape(3, 1), i, -i), np.where(np.array([[1], [0], [1]], bool),
                                                              [1, 2, 3], [-1, -2, -3]), "int64")
    with pytest.raises(RuntimeError, match="where expected condition to be a boolean tensor"):
        torch.where(i, i, i)


@pytest.mark.parametrize("dtype,layout", [pytest.param(d, l, id=f"{d}-{l}") for d in DTYPE_NAMES for l in LAYOUTS])
def test_lerp(dtype, layout):
    op = OPS["lerp"]
    rng = rng_for("lerp", dtype, layout)
    ts, s = with_layout(lambda sh: random_array(sh, dtype, op.domains[0], rng), layout)
    te, e = with_layout(lambda sh: random_array(sh, dtype, op.domains[1], rng), layout)
    tw, w = with_layout(lambda sh: random_array(sh, dtype if kind(dtype) >= 2 else "float32",
                                                op.domains[2], rng), layout)
    if dtype not in op.dtypes:
        with pytest.raises(RuntimeError):
            torch.lerp(ts, te, 0.5)
        return
    comp = "float32" if dtype == "float16" else dtype
    tol = op.tolerance(dtype)
    with np.errstate(all="ignore"):
        exp = op.ref(s.astype(comp), e.astype(comp), w.astype(comp))
        exp_s = op.ref(s.astype(comp), e.astype(comp), np.asarray(0.25).astype(comp))
    assert_close(torch.lerp(ts, te, tw), exp, dtype, tol)
    assert_close(ts.lerp(te, 0.25), exp_s, dtype, tol)
    out = torch.empty(ts.shape, dtype=tdt(dtype))
    assert torch.lerp(ts, te, 0.25, out=out) is out
    assert_close(out, exp_s, dtype, tol)
    x = ts.clone()
    assert x.lerp_(te, 0.25) is x
    assert_close(x, exp_s, dtype, tol)


# the ternary rows without a test of their own (where and lerp have theirs)
GENERIC_TERNARY = [o for o in ternary_ops if o.name not in ("where", "lerp")]


@pytest.mark.parametrize("op,dtype,layout", _params(GENERIC_TERNARY, layouts=LAYOUTS))
def test_ternary(op, dtype, layout):
    made = [_make(op, dtype, layout, i, "t") for i in range(3)]
    ts, arrays = [m[0] for m in made], [m[1] for m in made]
    if dtype not in op.dtypes:
        with pytest.raises(RuntimeError):
            call(op, *ts)
        return
    exp, res, _ = expected_of(op, arrays, ts)
    tol = op.tolerance(res)
    assert_close(call(op, *ts), exp, res, tol, f"torch.{op.func}")
    for t, a in zip(ts, arrays):
        np.testing.assert_array_equal(to_numpy(t), a)       # inputs untouched
    if op.method:
        assert_close(getattr(ts[0], op.method)(*ts[1:], **op.kwargs), exp, res, tol, f"Tensor.{op.method}")
    if op.supports_out:
        out = torch.empty(ts[0].shape, dtype=tdt(res), device=helpers.DEVICE)
        assert call(op, *ts, out=out) is out
        assert_close(out, exp, res, tol, "out=")
    if op.inplace:
        x = ts[0].clone()
        ptr = x.data_ptr()
        assert getattr(x, op.method + "_")(*ts[1:], **op.kwargs) is x and x.data_ptr() == ptr
        assert_close(x, exp, dtype, tol, f"{op.method}_")


TERNARY_BROADCAST = [((30, 70), (30, 1), (1, 70)), ((30, 70), (1, 70), (30, 1)), ((70,), (30, 1), (1, 70)),
                     ((30, 70), (30, 70), (1, 70)), ((3, 30, 70), (30, 1), (70,)), ((30, 1), (1, 70), ())]
_TERNARY_BCAST_CASES = [(o, dt) for o in GENERIC_TERNARY for dt in ("float32", "float64", "int64")
                        if dt in o.dtypes]


@pytest.mark.parametrize("op,dtype", _TERNARY_BCAST_CASES, ids=[f"{o.name}-{d}" for o, d in _TERNARY_BCAST_CASES])
@pytest.mark.parametrize("shapes", TERNARY_BROADCAST, ids=["-".join(map(str, s)) for s in TERNARY_BROADCAST])
def test_ternary_broadcast(op, dtype, shapes):
    # broadcast operands, among them one column per row of the output (each
    # row's inner loop then sees a single value in it)
    rng = rng_for(op.name, dtype, shapes)
    arrays = [random_array(s, dtype, op.domains[i], rng) for i, s in enumerate(shapes)]
    ts = [helpers.on_device(a) for a in arrays]
    exp, res, _ = expected_of(op, arrays, ts)
    assert_close(call(op, *ts), exp, res, op.tolerance(res))


def test_lerp_dtype_mismatch():
    with pytest.raises(RuntimeError, match="expected dtype"):
        torch.lerp(torch.ones(2), torch.ones(2, dtype=torch.float64), 0.5)


# ----------------------------------------------------------- error table

def _error_params():
    return [pytest.param(op, i, id=f"{op.name}-{i}") for op in op_db for i in range(len(op.errors))]


@pytest.mark.parametrize("op,i", _error_params())
def test_op_errors(op, i):
    fn, exc, msg = op.errors[i]
    with pytest.raises(exc) as ei:
        fn(torch)
    assert msg in str(ei.value)


def test_unsupported_dtype_message():
    with pytest.raises(RuntimeError, match="not implemented for 'Float'"):
        torch.bitwise_and(torch.ones(2), torch.ones(2))
    with pytest.raises(RuntimeError, match="not implemented for 'Long'"):
        torch.frac(torch.ones(2, dtype=torch.int64))


def test_non_tensor_input_type_error():
    with pytest.raises(TypeError):
        torch.exp([1.0, 2.0])
    with pytest.raises(TypeError):
        torch.add(torch.ones(2), "a")
    with pytest.raises(TypeError):
        torch.ones(2) + "a"


def test_op_db_is_complete():
    names = {o.name for o in op_db}
    for n in ("neg abs sign exp exp2 expm1 log log2 log10 log1p sqrt rsqrt reciprocal sin cos tan asin "
              "acos atan sinh cosh tanh sigmoid relu erf floor ceil round trunc frac square bitwise_not "
              "isnan isinf isfinite logical_not nan_to_num clamp add sub mul div floor_divide remainder "
              "fmod pow atan2 maximum minimum eq ne lt le gt ge logical_and logical_or logical_xor "
              "bitwise_and bitwise_or bitwise_xor bitwise_left_shift bitwise_right_shift where lerp").split():
        assert n in names
    for o in op_db:
        assert set(o.dtypes) <= set(DTYPE_NAMES)
        assert isinstance(o.differentiable, bool)
