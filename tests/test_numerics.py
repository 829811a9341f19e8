"""Numerical robustness as PyTorch has it: long float32 sums, softmax and
logsumexp of large inputs, float16 reductions accumulated in float32, integer
overflow that wraps, fill values outside a dtype's range refused, division by
zero, float16 overflow to inf. Values are checked against numpy (float64
references, numpy's own wrapping integer arithmetic); errors against PyTorch's
documented types and messages."""
import math

import numpy as np
import pytest

import ctorch as torch
from helpers import npdt, tdt

INF, NAN = math.inf, math.nan


# ------------------------------------------------------------ long sums

def test_float32_sum_of_1e8_elements_lost_precision_adding_chunk_totals():
    # pairwise summation: the error of a float32 sum grows with log(n), not n
    a = np.random.default_rng(0).random(10 ** 8, dtype=np.float32)
    ref = a.sum(dtype=np.float64)
    t = torch.from_numpy(a)
    assert abs(t.sum().item() - ref) / ref < 5e-8
    assert abs(t.mean().item() - ref / a.size) / (ref / a.size) < 5e-8
    assert torch.ones(10 ** 8).sum().item() == 1e8


def test_float32_cumsum_of_1e7_elements_drifted_by_6_percent():
    # a running float32 sum accumulates in double precision (as PyTorch's)
    a = np.random.default_rng(1).random(10 ** 7, dtype=np.float32) + 10
    got = torch.from_numpy(a).cumsum(0).numpy()
    ref = np.cumsum(a, dtype=np.float64)
    assert np.max(np.abs(got - ref) / ref) < 1e-6


# ------------------------------------------- softmax / logsumexp, large inputs

LARGE = [
    [1000.0, 1000.0, -1000.0],
    [-1000.0, -1000.0],
    [89.0, 0.0],                 # exp(89) overflows float32
    [3e38, 3e38, -3e38],
    [-INF, 0.0, 1.0],
    [-INF, -INF],                # logsumexp -inf; softmax nan (0/0) as PyTorch
    [INF, 0.0],                  # logsumexp inf; softmax nan
    [NAN, 1.0],
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("values", LARGE, ids=str)
def test_log_softmax_of_large_inputs_lost_float32_digits(values, dtype):
    a = np.array([values, values[::-1]], dtype=npdt(dtype))
    t = torch.tensor(a)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        a64 = a.astype(np.float64)
        mx = np.max(a64, axis=-1, keepdims=True)
        # logsumexp shifts by a finite max only; (log_)softmax by any max but -inf
        # (so a row holding +inf is all nan, as PyTorch's)
        m = np.where(np.isfinite(mx), mx, 0)
        lse = np.log(np.exp(a64 - m).sum(axis=-1)) + m[:, 0]
        m = np.where(mx == -np.inf, 0, mx)
        log_s = np.log(np.exp(a64 - m).sum(axis=-1, keepdims=True))
        refs = {"logsumexp": lse, "softmax": np.exp(a64 - m) / np.exp(log_s),
                "log_softmax": (a64 - m) - log_s}
        refs = {k: v.astype(npdt(dtype)) for k, v in refs.items()}
    rtol = 1e-6 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(t.logsumexp(1).numpy(), refs["logsumexp"], rtol=rtol)
    # the same values as columns (their own kernel)
    np.testing.assert_allclose(t.t().contiguous().logsumexp(0).numpy(), refs["logsumexp"], rtol=rtol)
    np.testing.assert_allclose(t.softmax(1).numpy(), refs["softmax"], rtol=rtol, atol=1e-30)
    np.testing.assert_allclose(t.log_softmax(1).numpy(), refs["log_softmax"], rtol=rtol)


def test_float16_softmax_and_logsumexp_compute_in_float32():
    a = np.array([60000.0, 0.0, -60000.0], dtype=np.float16)
    t = torch.from_numpy(a)
    assert t.softmax(0).tolist() == [1.0, 0.0, 0.0]
    assert t.logsumexp(0).item() == 60000.0
    np.testing.assert_allclose(torch.tensor([11.0, 11.0], dtype=torch.float16).logsumexp(0).item(),
                               11.0 + math.log(2), rtol=1e-3)


# --------------------------------------------------- float16 accumulation

HALF_REDUCTIONS = [
    # name, call, expected (PyTorch accumulates half sums in float32 and rounds once)
    ("sum", lambda t: t.sum(), 60000.0),
    ("mean", lambda t: t[:2].mean(), 60000.0),
    ("cumsum", lambda t: t.cumsum(0).tolist(), [60000.0, INF, 60000.0]),
    ("prod", lambda t: t.prod(), -INF),       # a product accumulates in float16
    ("var", lambda t: t[:2].var(), 0.0),
    # the 2-norm: squares summed in float32 (7500^2 overflows half), one rounding
    ("norm", lambda t: (t / 8).norm(), float(np.float16(math.sqrt(3) * 7500))),
    ("vector_norm", lambda t: torch.linalg.vector_norm((t / 8).reshape(3, 1), dim=0).tolist(),
     [float(np.float16(math.sqrt(3) * 7500))]),
    ("norm bfloat16", lambda t: (t / 8).bfloat16().norm(dim=0, keepdim=True).float().tolist(),
     [float(torch.tensor(math.sqrt(3) * 7500).bfloat16().float())]),
]


@pytest.mark.parametrize("name,call,expected", HALF_REDUCTIONS, ids=[c[0] for c in HALF_REDUCTIONS])
def test_float16_reductions(name, call, expected):
    t = torch.tensor([60000.0, 60000.0, -60000.0], dtype=torch.float16)
    r = call(t)
    assert (r if isinstance(r, list) else r.item()) == expected


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("op", ["cumsum", "cumprod"])
@pytest.mark.parametrize("shape,dim", [((3000,), 0), ((11, 700), 1), ((700, 11), 0), ((5, 300, 3), 1)])
def test_half_scans_run_in_float_rounded_once(dtype, op, shape, dim):
    # PyTorch's half and bfloat16 scans: a float running value along the dim,
    # in order, each partial rounded once (numpy's float32 accumulate is that
    # order); long rows cross the kernels' blocks, 11 rows a partial group
    rng = np.random.default_rng(7)
    x = rng.standard_normal(shape).astype(np.float32)
    if op == "cumprod":
        x = 1 + x / 64
    t = torch.from_numpy(x).to(getattr(torch, dtype))
    xf = t.float().numpy()
    ref = getattr(np, op)(xf, axis=dim, dtype=np.float32)
    want = torch.from_numpy(np.ascontiguousarray(ref)).to(getattr(torch, dtype)).float().numpy()
    got = getattr(torch, op)(t, dim).float().numpy()
    np.testing.assert_array_equal(got, want)


# --------------------------------------------------- integer overflow wraps

WRAPS = [
    # (op, dtype, a, b) computed with numpy's wrapping integer arithmetic
    ("add", "int8", [127, -128], [1, -1]),
    ("add", "int64", [2 ** 63 - 1], [1]),
    ("sub", "uint8", [0, 1], [1, 2]),
    ("mul", "int8", [100, -100], [3, 3]),
    ("mul", "int32", [2 ** 20, 65537], [2 ** 12, 65537]),
    ("mul", "int64", [2 ** 62], [4]),
    ("neg", "int8", [-128], None),
    ("neg", "uint8", [1, 200], None),
    ("abs", "int8", [-128], None),
    ("pow", "int16", [300, 7], [2, 9]),
    ("matmul", "int8", [[100, 100]], [[2], [2]]),
]
_NP = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "neg": np.negative, "abs": np.abs,
       "pow": np.power, "matmul": np.matmul}


@pytest.mark.parametrize("op,dtype,a,b", WRAPS, ids=[f"{w[0]}-{w[1]}" for w in WRAPS])
def test_integer_overflow_wraps(op, dtype, a, b):
    na = np.array(a, dtype=npdt(dtype))
    args = (na,) if b is None else (na, np.array(b, dtype=npdt(dtype)))
    with np.errstate(over="ignore"):
        expected = _NP[op](*args)
    got = getattr(torch, op)(*(torch.from_numpy(x) for x in args))
    assert got.dtype == tdt(dtype)
    np.testing.assert_array_equal(got.numpy(), expected)


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "int64"])
@pytest.mark.parametrize("layout", ["contiguous", "scalar", "strided"])
def test_integer_division_family_exact(dtype, layout):
    # floor / trunc division, remainder and fmod against Python's integers,
    # wrapped to the dtype (MIN // -1 is MIN, MIN % -1 is 0), every size of
    # quotient (the 8- to 32-bit loops divide in float / double)
    info = np.iinfo(dtype)
    rng = np.random.default_rng(12)
    a = rng.integers(info.min, int(info.max) + 1, 3000, dtype=np.int64)
    b = rng.integers(info.min, int(info.max) + 1, 3000, dtype=np.int64)
    b[::2] = rng.integers(-9 if info.min < 0 else 1, 10, 1500)
    b[b == 0] = 1
    a[:6] = [info.min, info.min, info.max, info.max, info.min, 0]
    b[:6] = [-1 if info.min < 0 else 1, 1, info.min if info.min < 0 else 3, 1, info.max, 5]
    if layout == "scalar":
        b[:] = b[7]
    ta, tb = torch.from_numpy(a.astype(dtype)), torch.from_numpy(b.astype(dtype))
    if layout == "scalar":
        tb = tb[:1].expand(3000)
    if layout == "strided":            # every other element of a (3000, 2) block
        ta, tb = torch.stack([ta, ta]).t()[:, 0], torch.stack([tb, tb]).t()[:, 1]
    wrap = lambda v: np.array([((x - info.min) % (int(info.max) - info.min + 1)) + info.min for x in v],
                              np.int64)
    fl = [x // y for x, y in zip(a.tolist(), b.tolist())]
    tr = [(abs(x) // abs(y)) * (1 if (x < 0) == (y < 0) else -1) for x, y in zip(a.tolist(), b.tolist())]
    got = {"floor": torch.floor_divide(ta, tb), "trunc": torch.div(ta, tb, rounding_mode="trunc"),
           "remainder": torch.remainder(ta, tb), "fmod": torch.fmod(ta, tb)}
    want = {"floor": wrap(fl), "trunc": wrap(tr),
            "remainder": wrap([x - q * y for x, y, q in zip(a.tolist(), b.tolist(), fl)]),
            "fmod": wrap([x - q * y for x, y, q in zip(a.tolist(), b.tolist(), tr)])}
    for k in got:
        np.testing.assert_array_equal(got[k].numpy().astype(np.int64), want[k], err_msg=k)


def test_integer_sums_accumulate_in_int64():
    t = torch.tensor([2 ** 31 - 1, 1], dtype=torch.int32)
    assert t.sum().item() == 2 ** 31 and t.sum().dtype == torch.int64
    assert t.cumsum(0).tolist() == [2 ** 31 - 1, 2 ** 31]
    assert torch.tensor([2 ** 62, 2 ** 62]).sum().item() == -2 ** 63   # int64 itself wraps


# ------------------------------------- fill values outside a dtype's range

# (dtype, value, the result or None where PyTorch refuses)
FILLS = [
    ("uint8", 300, None), ("uint8", -1, 255), ("uint8", -255, 1), ("uint8", -256, None),
    ("uint8", 255.5, None), ("uint8", -0.5, None), ("uint8", NAN, None), ("uint8", 2 + 0j, 2),
    ("int8", 127, 127), ("int8", -129, None), ("int8", 255.5, None), ("int8", -0.5, 0),
    ("int8", 1 + 1j, None),
    ("int16", 32768, None), ("int16", 255.5, 255), ("int16", INF, None),
    ("int32", 2 ** 31, None), ("int32", 1e10, None), ("int32", NAN, None),
    ("int64", 2 ** 63 - 1, 2 ** 63 - 1), ("int64", -2 ** 63, -2 ** 63), ("int64", 1e39, None),
    ("float16", 1e6, INF), ("float32", 1e39, None), ("float32", INF, INF), ("float32", 1 + 1j, None),
    ("float64", 1e300, 1e300), ("complex64", 1e39, None), ("complex64", 1 + 1j, 1 + 1j),
    ("bool", 300, True), ("bool", -0.5, True),
]
_C_NAMES = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int",
            "int64": "int64_t", "float16": "c10::Half", "float32": "float", "float64": "double",
            "complex64": "c10::complex<float>"}


def _setitem(dt, v, index=0):
    t = torch.zeros(1, dtype=dt)
    t[index] = v
    return t


FILLERS = {
    "fill_": lambda dt, v: torch.zeros(1, dtype=dt).fill_(v),
    "full": lambda dt, v: torch.full((1,), v, dtype=dt),
    "full_like": lambda dt, v: torch.full_like(torch.zeros(1, dtype=dt), v),
    "new_full": lambda dt, v: torch.zeros(1, dtype=dt).new_full((1,), v),
    "setitem": _setitem,
    "setitem_mask": lambda dt, v: _setitem(dt, v, torch.ones(1, dtype=torch.bool)),
}


@pytest.mark.parametrize("how", list(FILLERS))
@pytest.mark.parametrize("dtype,value,expected", FILLS, ids=[f"{f[0]}-{f[1]}" for f in FILLS])
def test_fill_value_outside_the_dtype_range_wrapped(dtype, value, expected, how):
    make = FILLERS[how]
    if expected is None:
        with pytest.raises(RuntimeError, match=f"value cannot be converted to type "
                                               f"{_C_NAMES[dtype]} without overflow"):
            make(tdt(dtype), value)
    else:
        assert make(tdt(dtype), value).tolist() == [expected]


@pytest.mark.parametrize("call", [
    lambda: torch.zeros(2, dtype=torch.uint8).masked_fill(torch.tensor([True, False]), 300),
    lambda: torch.zeros(2, dtype=torch.float16).masked_fill(torch.tensor([True, False]), 1e6),
    lambda: torch.zeros(2, dtype=torch.uint8).scatter(0, torch.tensor([0]), 300),
    lambda: torch.zeros(2, dtype=torch.uint8).clamp(max=300),
    lambda: torch.zeros(2, dtype=torch.uint8).clamp(min=-256),
    lambda: torch.zeros(2, dtype=torch.float16).clamp(max=1e6),
    lambda: torch.scalar_tensor(300, dtype=torch.uint8),
])
def test_scalar_arguments_outside_the_dtype_range_wrapped(call):
    with pytest.raises(RuntimeError, match="without overflow"):
        call()


def test_fill_from_a_tensor_and_arithmetic_wrap():
    # a tensor value is a cast (wraps); a scalar operand of arithmetic too
    assert torch.zeros(1, dtype=torch.uint8).fill_(torch.tensor(300)).tolist() == [44]
    assert (torch.zeros(1, dtype=torch.uint8) + 300).tolist() == [44]
    assert torch.zeros(2, dtype=torch.uint8).clamp(min=-1).tolist() == [255, 255]


@pytest.mark.parametrize("data,dtype,exc,match", [
    ([300], torch.uint8, RuntimeError, "value cannot be converted to type uint8 without overflow"),
    ([-0.5], torch.uint8, RuntimeError, "type uint8 without overflow"),
    ([200.0], torch.int8, RuntimeError, "type int8 without overflow"),
    ([NAN], torch.int32, RuntimeError, "type int32 without overflow"),
    ([2 ** 63], None, ValueError, "Overflow when unpacking long long"),
    ([1 + 1j], torch.int8, TypeError, "'complex' object cannot be interpreted as an integer"),
    ([1 + 1j], torch.float32, TypeError, "must be real number, not complex"),
])
def test_tensor_data_outside_the_dtype_range(data, dtype, exc, match):
    with pytest.raises(exc, match=match):
        torch.tensor(data, dtype=dtype)


def test_tensor_data_that_wraps_or_rounds_as_pytorch():
    assert torch.tensor([-1, -255], dtype=torch.uint8).tolist() == [255, 1]
    assert torch.tensor([1e6], dtype=torch.float16).tolist() == [INF]
    assert torch.tensor([2 ** 64], dtype=torch.float32).item() == float(2 ** 64)


def test_python_integers_past_64_bits():
    with pytest.raises(OverflowError, match="int too big to convert"):
        torch.zeros(1).fill_(2 ** 64)
    for fill in (lambda: torch.full((1,), 2 ** 63), lambda: torch.zeros(1, dtype=torch.int64).fill_(2 ** 63)):
        with pytest.raises(RuntimeError, match="type int64_t without overflow"):
            fill()
    for index in (0, torch.tensor([True])):
        with pytest.raises(ValueError, match="Overflow when unpacking long long"):
            torch.zeros(1)[index] = 2 ** 63


# ------------------------------------------------------ division by zero

INT_DIVS = [
    lambda a, z: a // z, lambda a, z: a % z, lambda a, z: torch.floor_divide(a, z),
    lambda a, z: torch.remainder(a, z), lambda a, z: torch.fmod(a, z),
    lambda a, z: torch.div(a, z, rounding_mode="trunc"), lambda a, z: torch.div(a, z, rounding_mode="floor"),
    lambda a, z: a.remainder_(z),
]


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int32", "int64"])
@pytest.mark.parametrize("k", range(len(INT_DIVS)))
@pytest.mark.parametrize("zero", ["scalar", "tensor"])
def test_integer_division_by_zero_raises(dtype, k, zero):
    a = torch.tensor([3, 4], dtype=tdt(dtype))
    z = 0 if zero == "scalar" else torch.tensor([1, 0], dtype=tdt(dtype))
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        INT_DIVS[k](a, z)
    # nothing to divide: no error
    assert INT_DIVS[k](torch.tensor([], dtype=tdt(dtype)), 0).numel() == 0


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int64"])
def test_true_and_float_division_by_zero(dtype):
    a = np.array([1, 0, -1], dtype=npdt(dtype))
    t = torch.from_numpy(a)
    with np.errstate(divide="ignore", invalid="ignore"):
        af = a.astype(np.float64)
        np.testing.assert_array_equal((t / 0).double().numpy(), af / 0)
        if dtype != "int64":
            np.testing.assert_array_equal((t // 0).double().numpy(), np.floor_divide(af, 0))
            np.testing.assert_array_equal((t % 0).double().numpy(), np.remainder(af, 0))


# ------------------------------------------------------- float16 overflow

HALF_OVERFLOWS = [
    lambda: torch.tensor([60000.0], dtype=torch.float16) * 2,
    lambda: torch.tensor([65504.0], dtype=torch.float16) + torch.tensor([16.0], dtype=torch.float16),
    lambda: torch.tensor([70000.0], dtype=torch.float16),
    lambda: torch.tensor([65520.0]).half(),
    lambda: torch.tensor([12.0], dtype=torch.float16).exp(),
    lambda: torch.full((10,), 10000.0, dtype=torch.float16).sum(),
    lambda: torch.tensor([300.0], dtype=torch.float16) ** 2,
]


@pytest.mark.parametrize("k", range(len(HALF_OVERFLOWS)))
def test_float16_overflow_is_inf(k):
    r = HALF_OVERFLOWS[k]()
    assert r.dtype == torch.float16 and r.reshape(-1)[0].item() == INF
    # and just below the largest half stays finite
    assert torch.tensor([65519.0]).half().item() == 65504.0


# ------------------------------- float32 transcendental kernels, ulp by ulp

def _ulps(got, ref64):
    """Error of float32 results in units in the last place of the float32
    rounding of the float64 reference (NaN and infinities must match)."""
    with np.errstate(over="ignore"):
        ref = ref64.astype(np.float32)
    special = ~np.isfinite(ref)
    assert np.array_equal(np.isnan(got), np.isnan(ref))
    assert np.array_equal(got[special & ~np.isnan(ref)], ref[special & ~np.isnan(ref)])
    fin = ~special
    r, g = ref[fin], got[fin]
    spacing = np.spacing(np.abs(r))                     # ulp of |ref| in float32
    return np.abs(g.astype(np.float64) - ref64[fin]) / spacing.astype(np.float64)


def _every_float32(step):
    """Every step-th float32 bit pattern (both signs, denormals, inf, NaN)."""
    bits = np.arange(0, 2 ** 32, step, dtype=np.uint64).astype(np.uint32)
    extra = np.array([0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 1e-45, -1e-45,
                      88.72, 88.73, -103.9, -17.5, 10.0, 0.5, 4.0, 524287.9, 524288.0],
                     dtype=np.float32)
    return np.concatenate([bits.view(np.float32), extra])


def _lgamma_ref(x):
    """log|gamma(x)|, +inf at -inf as C's lgamma (scipy's gammaln: -inf)."""
    import scipy.special
    return np.where(np.isneginf(x), np.inf, scipy.special.gammaln(x))

FLOAT32_ULPS = [  # (op, float64 reference, ulp bound), bounds from a sweep of every 13th float
    ("exp", np.exp, 1), ("log", np.log, 1), ("log2", np.log2, 1.5), ("log1p", np.log1p, 3),
    ("expm1", np.expm1, 2), ("tanh", np.tanh, 3), ("sin", np.sin, 1), ("cos", np.cos, 1),
    ("erf", None, 1.5), ("atan", np.arctan, 1), ("tan", np.tan, 1.5), ("asin", np.arcsin, 1),
    ("acos", np.arccos, 1), ("sinh", np.sinh, 2.5), ("cosh", np.cosh, 2), ("atanh", np.arctanh, 2.5),
    ("exp2", np.exp2, 1.5), ("log10", np.log10, 1.5), ("erfc", "erfc", 2), ("erfinv", "erfinv", 4),
    ("lgamma", _lgamma_ref, 1), ("i0", "i0", 1), ("special.i0e", "i0e", 1),
    ("special.i1", "i1", 1), ("special.i1e", "i1e", 1), ("special.ndtr", "ndtr", 1.5),
    ("special.entr", "entr", 2), ("digamma", "psi", 1), ("asinh", np.arcsinh, 1), ("acosh", np.arccosh, 1),
]
NO_SIGNED_ZERO = ("exp", "log", "log2", "cos", "acos", "cosh", "exp2", "log10", "erfc", "lgamma",
                  "i0", "special.i0e", "special.ndtr", "special.entr",
                  "special.i1", "special.i1e",  # i1(-0) = +0, as PyTorch and scipy
                  "digamma",                     # digamma(-0) = +inf
                  "acosh")                       # NaN below 1


def _fn(op):
    """torch.<op>, op a dotted path below torch ("special.ndtr")."""
    f = torch
    for part in op.split("."):
        f = getattr(f, part)
    return f


@pytest.mark.parametrize("op,ref,bound", FLOAT32_ULPS, ids=[u[0] for u in FLOAT32_ULPS])
def test_float32_transcendentals_within_ulps_of_float64(op, ref, bound):
    if ref is None or isinstance(ref, str):
        import scipy.special      # None: erf; a name: that scipy.special function
        ref = getattr(scipy.special, ref or "erf")
    x = _every_float32(4099)
    with np.errstate(all="ignore"):
        x64 = x.astype(np.float64)
        if op == "erfinv":       # scipy's erfinv takes a slow error path outside [-1, 1]
            x64 = np.where(np.abs(x64) > 1, np.nan, x64)
        ref64 = ref(x64)
    got = _fn(op)(torch.from_numpy(x)).numpy()
    assert got.dtype == np.float32
    err = _ulps(got, ref64)
    worst = int(np.argmax(err))
    assert err[worst] <= bound, (op, x[np.isfinite(ref64.astype(np.float32))][worst], err[worst])
    # signed zeros stay signed where the function is odd
    if op not in NO_SIGNED_ZERO:
        assert np.signbit(_fn(op)(torch.tensor([-0.0])).numpy()[0])
    # the same values through float16 (computed in float32, rounded once)
    h = np.linspace(-8, 8, 4001).astype(np.float16)
    with np.errstate(all="ignore"):
        href = ref(h.astype(np.float64)).astype(np.float16)
    hgot = _fn(op)(torch.from_numpy(h)).numpy()
    ok = np.isclose(hgot.astype(np.float64), href.astype(np.float64), rtol=1e-3, atol=1e-3,
                    equal_nan=True)
    assert ok.all(), (op, h[~ok][:5], hgot[~ok][:5], href[~ok][:5])


def test_float32_lgamma_where_it_crosses_zero():
    # between -2 and -5 lgamma(x) = log(pi / |sin(pi x)|) - lgamma(1 - x)
    # cancels to 0 four times; the float results must stay within an ulp
    x = _floats_between(-5.0, -2.0, 61)
    zeros = np.array([-2.4570247382208006, -2.7476826467274127, -3.143505, -3.955294], np.float32)
    near = (zeros.view(np.int32)[:, None] + np.arange(-3000, 3001)).ravel().view(np.float32)
    x = np.concatenate([x, near])
    x = x[x != np.round(x)]
    got = torch.lgamma(torch.from_numpy(x)).numpy()
    err = _ulps(got, _lgamma_ref(x.astype(np.float64)))
    assert err.max() <= 1, (x[np.argmax(err)], err.max())


def test_float32_lgamma_blocks_with_few_near_one_or_two():
    # blocks where few x have y (x, or 1 - x below 0) near 1 or 2 take the
    # far form for all and the series for those few, gathered: the same
    # values as blocks where most are near (each element by its form)
    rng = np.random.default_rng(14)
    near = np.concatenate([rng.uniform(0.8, 1.2, 300), rng.uniform(1.75, 2.25, 300),
                           rng.uniform(-0.2, 0, 200), rng.uniform(-1.25, -0.75, 200)]).astype(np.float32)
    far = np.concatenate([rng.uniform(2.3, 40, 3000), -rng.uniform(1.3, 40, 3000),
                          rng.uniform(0.01, 0.75, 2000)]).astype(np.float32)
    for with_neg in (False, True):
        fa = far if with_neg else np.abs(far)
        ne = near if with_neg else np.abs(near)
        x = np.concatenate([fa, ne])
        idx = rng.permutation(x.size)
        got = torch.lgamma(torch.from_numpy(x[idx])).numpy()       # about 1 in 9 near
        dense = torch.lgamma(torch.from_numpy(ne)).numpy()          # all near
        np.testing.assert_array_equal(got[np.argsort(idx)][fa.size:], dense)
        err = _ulps(got, _lgamma_ref(x[idx].astype(np.float64)))
        assert err.max() <= 1, err.max()


def test_float32_lgamma_blocks_mostly_below_eight():
    # blocks where most y (x, or 1 - x below 0) are below 8 take Gamma's
    # product form with one logarithm; the y >= 8 and the x within 0.02 of
    # 1 or 2 (too little relative accuracy there) by the other forms, gathered
    rng = np.random.default_rng(8)
    x = np.concatenate([rng.standard_normal(60000) * 3, rng.uniform(0.97, 1.03, 1500),
                        rng.uniform(1.97, 2.03, 1500), rng.uniform(-7.5, 8.5, 20000),
                        [1.0, 2.0, 0.98, 1.02, 1.98, 2.02, 7.999999, 8.0, -6.999999, -7.0, 1e-30, -0.5]])
    x = rng.permutation(x.astype(np.float32))
    x = x[(x > 0) | (x != np.round(x))]           # no poles
    got = torch.lgamma(torch.from_numpy(x)).numpy()
    err = _ulps(got, _lgamma_ref(x.astype(np.float64)))
    # correctly rounded but for the reference's own error, away from the
    # negative x where lgamma crosses 0 (scipy's reflection cancels there)
    clean = x > -2.0
    assert err[clean].max() <= 0.501 and err.max() <= 1, (err[clean].max(), err.max())
    assert (got[(x == 1) | (x == 2)] == 0).all()


def test_float32_lgamma_blocks_of_integers():
    # a block of integers below 4096 is a table lookup: the values of the
    # same x in a block with other x (each by its form), poles +inf; integer
    # tensors are computed in float32, as PyTorch computes them
    n = np.arange(-40, 4200).astype(np.float32)
    ints = np.concatenate([n, [-np.inf, -0.0, 1e30, -1e30, 2.0 ** 24]]).astype(np.float32)
    got = torch.lgamma(torch.from_numpy(ints)).numpy()
    mixed = np.full(2 * ints.size, 0.5, np.float32)              # no block all integers
    mixed[::2] = ints
    want = torch.lgamma(torch.from_numpy(mixed)).numpy()[::2]
    np.testing.assert_array_equal(got, want)
    # and in blocks of mostly y < 8 (their own form), of either sign
    for other in (2.5, -2.5):
        small = np.full(1024, other, np.float32)
        small[:7] = np.arange(1, 8)
        np.testing.assert_array_equal(torch.lgamma(torch.from_numpy(small)).numpy()[:7],
                                      got[(ints >= 1) & (ints <= 7)])
    assert (got[ints <= 0] == np.inf).all() and (got[(ints == 1) | (ints == 2)] == 0).all()
    fin = np.isfinite(got)
    assert _ulps(got[fin], _lgamma_ref(ints[fin].astype(np.float64))).max() <= 0.5 + 1e-3
    # an integer tensor: its values as float32, the same numbers
    for dt in (torch.int64, torch.int32, torch.int16, torch.uint8):
        k = torch.arange(-5, 250).to(dt) if dt is not torch.uint8 else torch.arange(0, 250).to(dt)
        r = torch.lgamma(k)
        assert r.dtype == torch.float32
        np.testing.assert_array_equal(r.numpy(), torch.lgamma(k.float()).numpy())


def test_float64_lgamma_of_negative_x():
    # the reflection lgamma(x) = log(pi / |sin(pi x)|) - lgamma(1 - x), the
    # sine in long double and lgamma(1 - x > 1) by scipy as the reference
    # (1 - x rounded: under an ulp of lgamma(1 - x) for these x)
    import scipy.special
    rng = np.random.default_rng(8)
    x = -np.concatenate([rng.random(20000) * 6, rng.random(20000) * 300, np.exp(rng.uniform(-600, 30, 5000))])
    x = x[x != np.floor(x)]
    xl = x.astype(np.longdouble)
    r = xl - np.floor(xl + 0.5)
    ref = (np.log(np.longdouble(np.pi) / np.abs(np.sin(np.longdouble(np.pi) * r)))
           - scipy.special.gammaln(1 - x).astype(np.longdouble)).astype(np.float64)
    got = torch.lgamma(torch.from_numpy(x)).numpy()
    far = np.abs(ref) > 0.3        # near lgamma's zeros the reference cancels too
    np.testing.assert_allclose(got[far], ref[far], rtol=1e-14, atol=0)
    assert np.isfinite(got).all()
    poles = np.array([-1.0, -2.0, -7.0, -1e6, -2.0**52, -2.0**53, -1e300, -np.inf, -0.0, 0.0])
    assert (torch.lgamma(torch.from_numpy(poles)).numpy() == np.inf).all()


# lgamma's twelve zeros in (-8, -2), as hi + lo (to about 1e-32)
_LGAMMA_NEG_ZEROS = [
    (-2.4570247382208006, -3.7075610815513266e-17), (-2.7476826467274127, 9.055340329338315e-17),
    (-3.14358088834998, -2.1818179852331714e-16), (-3.955294284858598, -1.999428391746348e-17),
    (-4.039361839740537, 2.1143995503980602e-16), (-4.991544640560048, 1.5174411760571722e-16),
    (-5.0082181683225935, -4.3926353491015815e-17), (-5.998607480080875, -3.311862478893795e-16),
    (-6.001385294453155, 6.415847287933042e-17), (-6.999801507890638, 1.0550130037400023e-17),
    (-7.000198333407325, 2.504354173632409e-16), (-7.999975197095821, -5.261737128572354e-17)]


def test_float64_lgamma_relative_near_its_negative_zeros():
    # x within 40 ulp and 1e-10 of each zero z: relative accuracy where the
    # reflection cancels to nothing. The reference: the Taylor series about
    # z to the cubic term, in long double, its derivatives by the reflection
    # (psi(z) = psi(1 - z) - pi cot(pi z), and the two after; the next term
    # is below 1e-16 relative this close)
    import scipy.special as sc
    rng = np.random.default_rng(12)
    L = np.longdouble
    pi = L(np.pi) + L(1.2246467991473532e-16)
    for zh, zl in _LGAMMA_NEG_ZEROS:
        x = np.concatenate([zh + np.arange(-40, 41) * np.spacing(zh), zh + rng.uniform(-1e-10, 1e-10, 100)])
        r = (L(zh) - np.round(zh)) + L(zl)
        s, c = np.sin(pi * r), np.cos(pi * r)
        w = float(1 - (L(zh) + L(zl)))
        d0 = sc.digamma(w) - pi * c / s
        d1 = -sc.polygamma(1, w) + (pi / s) ** 2
        d2 = sc.polygamma(2, w) - 2 * pi ** 3 * c / s ** 3
        d = (L(x) - L(zh)) - L(zl)
        ref = (d * (d0 + d * (d1 / 2 + d * d2 / 6))).astype(np.float64)
        got = torch.lgamma(torch.from_numpy(x)).numpy()
        np.testing.assert_allclose(got, ref, rtol=1.5e-15, atol=0, err_msg=str(zh))


def _floats_between(lo, hi, step):
    """Every step-th float32 in [lo, hi] (by bit pattern, each sign apart)."""
    bits = lambda v: int(np.array(v, np.float32).view(np.uint32))
    parts = []
    if hi >= 0:
        parts.append(np.arange(bits(max(lo, 0.0)), bits(hi) + 1, step, dtype=np.uint64))
    if lo < 0:
        parts.append(np.arange(bits(-0.0), bits(lo) + 1, step, dtype=np.uint64))
    return np.concatenate(parts).astype(np.uint32).view(np.float32)


# the error-function family's own kernels, densely over the range where the
# result is neither 0 nor its limit: (op, scipy.special name, lo, hi, float32
# ulp bound, float64 relative bound; scipy's double values are themselves
# good to about 1e-14 there)
ERF_FAMILY = [
    ("erfc", "erfc", -4.0, 10.1, 2, 1e-13),
    ("special.ndtr", "ndtr", -14.3, 5.7, 2, 1e-13),
    ("special.erfcx", "erfcx", -9.4, 1e4, 2.5, 1e-13),
    ("special.log_ndtr", "log_ndtr", -30.0, 6.0, 2.5, 1e-13),
    ("erfinv", "erfinv", -1.0, 1.0, 4, 1e-15),
]


@pytest.mark.parametrize("op,ref,lo,hi,bound,rel", ERF_FAMILY, ids=[u[0] for u in ERF_FAMILY])
def test_error_function_family_dense(op, ref, lo, hi, bound, rel):
    import scipy.special
    ref = getattr(scipy.special, ref)
    x = _floats_between(lo, hi, 2039)
    with np.errstate(all="ignore"):
        ref64 = ref(x.astype(np.float64))
    err = _ulps(_fn(op)(torch.from_numpy(x)).numpy(), ref64)
    worst = int(np.argmax(err))
    assert err[worst] <= bound, (op, x[worst], err[worst])
    # float64: a spread of arguments over the same range
    # (and points closing in on both ends, where erfinv takes its tails)
    near = (hi - lo) * 10.0 ** -np.linspace(1, 15, 300)
    x64 = np.concatenate([np.linspace(lo, hi, 5001), np.linspace(-1, 1, 1001), hi - near, lo + near])
    got = _fn(op)(torch.from_numpy(x64)).numpy()
    with np.errstate(all="ignore"):
        want = ref(x64)
    np.testing.assert_allclose(got, want, rtol=rel, atol=0)


def test_float64_erfc_close_to_libm():
    # libm's erfc (within about 3 ulp) is a closer oracle for doubles than
    # scipy's: the two agree to 1e-15 wherever the result is normal, and
    # to a few units of the smallest denormal past that
    import math
    x = np.concatenate([np.linspace(-6.0, 26.5, 20001), np.linspace(-1.0, 1.0, 2001),
                        np.random.default_rng(3).standard_normal(4000)])
    want = np.array([math.erfc(v) for v in x])
    got = torch.erfc(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-15, atol=0)
    tiny = np.linspace(26.5, 27.3, 2001)
    want = np.array([math.erfc(v) for v in tiny])
    got = torch.erfc(torch.from_numpy(tiny)).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-15, atol=4 * 5e-324)


def _remainder_ref(a, b):
    """PyTorch's remainder: fmod, then b added where the signs differ (a zero
    keeps a's sign, where numpy's remainder gives it b's)"""
    r = np.fmod(a, b)
    return np.where((r != 0) & ((r < 0) != (b < 0)), r + b, r)


FLOAT32_BINARY_ULPS = [("atan2", np.arctan2, 1), ("hypot", np.hypot, 1), ("pow", np.power, 1),
                       ("fmod", np.fmod, 0), ("remainder", _remainder_ref, 0.5),
                       ("floor_divide", np.floor_divide, 2)]


@pytest.mark.parametrize("op,ref,bound", FLOAT32_BINARY_ULPS, ids=[u[0] for u in FLOAT32_BINARY_ULPS])
def test_float32_binary_transcendentals_within_ulps_of_float64(op, ref, bound):
    # every 4099th float32 pattern against a shuffled copy, then every pair of
    # the special values (signed zeros, infinities, NaN, extremes), which must
    # be C's values exactly
    y = _every_float32(4099)
    x = np.random.default_rng(5).permutation(y)
    with np.errstate(all="ignore"):
        ref64 = ref(y.astype(np.float64), x.astype(np.float64))
    got = getattr(torch, op)(torch.from_numpy(y), torch.from_numpy(x)).numpy()
    err = _ulps(got, ref64)
    worst = int(np.argmax(err))
    assert err[worst] <= bound, (op, err[worst])
    # denormals against small normals (atan2's quotients lose their residual
    # to underflow there unless scaled)
    rng = np.random.default_rng(6)
    y = rng.integers(1, 2**23, 20000).astype(np.uint32).view(np.float32) * rng.choice(
        np.array([-1, 1], np.float32), 20000)
    x = (10.0 ** rng.uniform(-37, -5, 20000) * rng.choice([-1, 1], 20000)).astype(np.float32)
    with np.errstate(all="ignore"):
        ref64 = ref(y.astype(np.float64), x.astype(np.float64))
    got = getattr(torch, op)(torch.from_numpy(y), torch.from_numpy(x)).numpy()
    err = _ulps(got, ref64)
    assert err.max() <= bound, (op, y[np.argmax(err)], x[np.argmax(err)], err.max())
    sp = np.array([0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 1e-45, -3e38, 0.41421356],
                  dtype=np.float32)
    a, b = np.repeat(sp, len(sp)), np.tile(sp, len(sp))
    with np.errstate(all="ignore"):
        want64 = ref(a.astype(np.float64), b.astype(np.float64))
    got = getattr(torch, op)(torch.from_numpy(a), torch.from_numpy(b)).numpy()
    assert _ulps(got, want64).max() <= bound
    want = want64.astype(np.float32)
    exact = ~np.isfinite(a) | ~np.isfinite(b) | (a == 0) | (b == 0)
    same = (got == want) | (np.isnan(got) & np.isnan(want))
    assert same[exact].all(), (a[exact & ~same], b[exact & ~same])
    assert np.array_equal(np.signbit(got[~np.isnan(want)]), np.signbit(want[~np.isnan(want)]))


HALF_VIA_FLOAT_UNARY = ["neg", "abs", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p",
                        "sqrt", "rsqrt", "reciprocal", "sin", "cos", "tan", "asin", "acos",
                        "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "sigmoid",
                        "relu", "erf", "floor", "ceil", "round", "trunc", "frac", "square",
                        "deg2rad", "rad2deg"]
HALF_VIA_FLOAT_BINARY = ["add", "sub", "mul", "div", "maximum", "minimum", "copysign",
                         "eq", "ne", "lt", "le", "gt", "ge"]
HALF_PREDICATES = ["isnan", "isinf", "isfinite", "signbit", "isposinf", "isneginf"]


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("layout", ["contiguous", "strided", "broadcast", "scalar", "scalar_first"])
def test_float16_ops_are_the_float32_result_rounded_once(layout, dtype):
    # float16 / bfloat16 launches run in float32 (blocks converted, or 16
    # lanes widened and rounded back in registers): every element, in every
    # layout and across block and vector ends, is the float32 result rounded
    # once
    rng = np.random.default_rng(3)
    a = (rng.standard_normal(2600) * 3).astype(np.float16)
    a[:6] = [0.0, -0.0, np.inf, -np.inf, np.nan, 65504]
    b = (rng.standard_normal(2600) * 3).astype(np.float16)
    dt = getattr(torch, dtype)
    x, y = torch.from_numpy(a).to(dt), torch.from_numpy(b).to(dt)
    if layout == "strided":
        x, y = x[::2], y[1::2]
    elif layout == "broadcast":
        x, y = x[:1300].reshape(1300, 1), y[:7].reshape(1, 7)
    elif layout == "scalar":
        y = y[5].reshape(())
    elif layout == "scalar_first":
        x, y = x[7].reshape(()), x
    def as_x(r):
        return r if r.dtype == torch.bool else r.to(dt)
    def npy(r):
        return r.numpy() if r.dtype == torch.bool else r.float().numpy()

    for op in HALF_VIA_FLOAT_UNARY + HALF_PREDICATES:
        got = npy(getattr(torch, op)(x))
        ref = npy(as_x(getattr(torch, op)(x.float())))
        assert np.array_equal(got, ref, equal_nan=got.dtype != bool), op
    for op in HALF_PREDICATES:       # and against numpy
        ref = getattr(np, op, None) or {"isposinf": np.isposinf, "isneginf": np.isneginf}[op]
        assert np.array_equal(npy(getattr(torch, op)(x)), ref(npy(x))), op
    for op in HALF_VIA_FLOAT_BINARY:
        got = npy(getattr(torch, op)(x, y))
        ref = npy(as_x(getattr(torch, op)(x.float(), y.float())))
        assert np.array_equal(got, ref, equal_nan=got.dtype != bool), op
        shape = torch.broadcast_shapes(x.shape, y.shape)
        out = torch.empty(shape, dtype=torch.bool if got.dtype == bool else dt)
        if layout != "broadcast":
            getattr(torch, op)(x, y, out=out)
            assert np.array_equal(npy(out), ref, equal_nan=True), op
    # the ternary ops: a tensor weight, Python weights kept in float (not
    # rounded to the dtype first, as PyTorch's), addcmul / addcdiv's values
    c = torch.from_numpy(rng.uniform(-1, 2, y.numel()).astype(np.float32).reshape(y.shape)).to(dt)
    for name, f in [("lerp tensor", lambda u, v: torch.lerp(u, v, c.to(u.dtype))),
                    ("lerp 0.3", lambda u, v: torch.lerp(u, v, 0.3)),
                    ("lerp 0.7", lambda u, v: torch.lerp(u, v, 0.7)),
                    ("addcmul", lambda u, v: torch.addcmul(u, v, c.to(u.dtype), value=0.3)),
                    ("addcdiv", lambda u, v: torch.addcdiv(u, v, c.to(u.dtype), value=-1.7))]:
        got, ref = npy(f(x, y)), npy(f(x.float(), y.float()).to(dt))
        assert np.array_equal(got, ref, equal_nan=True), name


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("layout", ["contiguous", "strided", "scalar", "scalar_first"])
def test_half_copysign_on_bits(layout, dtype):
    # copysign of halves moves the sign bit alone, as PyTorch's and numpy's
    # float16 copysign do: a NaN's payload (a signalling one too) is kept
    bits = np.arange(2 ** 16, dtype=np.uint32).astype(np.uint16)
    signs = np.random.default_rng(4).permutation(bits)
    dt = getattr(torch, dtype)
    x = torch.from_numpy(bits.view(np.int16)).view(dt)
    y = torch.from_numpy(signs.view(np.int16)).view(dt)
    a, b = bits, signs
    if layout == "strided":
        x, y, a, b = x[:-1:3], y[1::3], a[:-1:3], b[1::3]
    elif layout == "scalar":
        y, b = y[7].reshape(()), b[7]
    elif layout == "scalar_first":
        x, a = x[0x7c01].reshape(()), a[0x7c01]
    want = (a & 0x7fff) | (b & 0x8000)
    got = torch.copysign(x, y).view(torch.int16).numpy().view(np.uint16)
    np.testing.assert_array_equal(got, np.broadcast_to(want, got.shape))
    if dtype == "float16":
        ref = np.copysign(np.broadcast_to(a, got.shape).view(np.float16),
                          np.broadcast_to(b, got.shape).view(np.float16))
        np.testing.assert_array_equal(got, ref.view(np.uint16))


@pytest.mark.parametrize("layout", ["contiguous", "strided"])
def test_float16_float32_casts_bit_exact(layout):
    # every half bit pattern to float, and a sweep of float bit patterns to
    # half (round to nearest even, overflow to inf, NaN kept), as numpy does
    h = np.arange(2 ** 16, dtype=np.uint32).astype(np.uint16).view(np.float16)
    f = np.arange(0, 2 ** 32, 997, dtype=np.uint64).astype(np.uint32).view(np.float32)
    if layout == "strided":
        h, f = np.repeat(h, 2)[::2], np.repeat(f, 2)[::2]
        th, tf = torch.from_numpy(np.repeat(h, 2))[::2], torch.from_numpy(np.repeat(f, 2))[::2]
    else:
        th, tf = torch.from_numpy(h), torch.from_numpy(f)
    got = th.float().numpy()
    assert np.array_equal(got.view(np.uint32)[~np.isnan(got)],
                          h.astype(np.float32).view(np.uint32)[~np.isnan(got)])
    assert np.array_equal(np.isnan(got), np.isnan(h))
    with np.errstate(over="ignore"):
        ref = f.astype(np.float16)
    got = tf.half().numpy()
    assert np.array_equal(np.isnan(got), np.isnan(ref))
    keep = ~np.isnan(ref)
    assert np.array_equal(got.view(np.uint16)[keep], ref.view(np.uint16)[keep])


@pytest.mark.parametrize("exponent", [1 / 3, 2.5, -1.7, 7.0, 0.5, -1.0])
def test_float32_pow_with_a_scalar_exponent_within_an_ulp(exponent):
    # the scalar-exponent loops (PyTorch's special cases and the general
    # 2^(b log2 a) pass) against float64 with the exponent as the float32 it
    # becomes, over every 4099th float32 pattern
    x = _every_float32(4099)
    with np.errstate(all="ignore"):
        x64, b = x.astype(np.float64), float(np.float32(exponent))
        ref64 = np.sqrt(x64) if exponent == 0.5 else np.power(x64, b)   # PyTorch: sqrt(-0) = -0
    got = torch.pow(torch.from_numpy(x), exponent).numpy()
    assert _ulps(got, ref64).max() <= 1


@pytest.mark.parametrize("exponent,formula", [
    (2.0, lambda x: x * x), (3.0, lambda x: x * x * x),
    (-0.5, lambda x: np.float32(1) / np.sqrt(x)), (-2.0, lambda x: np.float32(1) / (x * x))])
def test_float32_pow_special_exponents_are_pytorchs_formulas(exponent, formula):
    # PyTorch computes these powers by the formula, rounding at each step
    # (so (1.8e19)^-2 is 0, not a denormal): the same values bit for bit
    x = _every_float32(4099)
    with np.errstate(all="ignore"):
        want = formula(x)
    got = torch.pow(torch.from_numpy(x), exponent).numpy()
    assert np.array_equal(got, want, equal_nan=True)


# ------------------------------- float64 exp / log family kernels

def _float64_spread(rng, lo, hi, n):
    """n doubles spread over [lo, hi] by their bit patterns (each sign
    apart), so that every binade of the range is reached."""
    bits = lambda v: int(np.array(v, np.float64).view(np.int64))
    parts = []
    if hi > 0:
        parts.append(rng.integers(bits(max(lo, 0.0)), bits(hi), n))
    if lo < 0:
        parts.append(rng.integers(bits(-0.0), bits(lo), n))
    return np.concatenate(parts).astype(np.int64).view(np.float64)


FLOAT64_ULPS = [  # (op, long double reference, argument range, ulp bound)
    ("exp", np.exp, (-745.2, 709.79), 1.0), ("expm1", np.expm1, (-50.0, 709.79), 1.1),
    ("log", np.log, (0.0, 1.7e308), 1.0), ("log1p", np.log1p, (-1.0, 1.7e308), 1.0),
    ("exp2", np.exp2, (-1080.0, 1025.0), 1.0), ("log2", np.log2, (0.0, 1.7e308), 1.5),
    ("log10", np.log10, (0.0, 1.7e308), 1.5),
    ("asin", np.arcsin, (-1.0, 1.0), 1.0), ("acos", np.arccos, (-1.0, 1.0), 1.0),
    ("atan", np.arctan, (-1.7e308, 1.7e308), 1.0),
    # libm's erf (within an ulp) as the reference: no long double erf here
    ("erf", np.vectorize(math.erf, otypes=[np.float64]), (-30.0, 30.0), 1.5),
    # formulas over those: their errors and a few more roundings
    ("sigmoid", lambda x: 1 / (1 + np.exp(-x)), (-745.0, 40.0), 2.0),
    ("tanh", np.tanh, (-30.0, 30.0), 1.6), ("sinh", np.sinh, (-711.0, 711.0), 1.6),
    ("cosh", np.cosh, (-711.0, 711.0), 1.3), ("atanh", np.arctanh, (-1.0, 1.0), 1.7),
    ("asinh", np.arcsinh, (-1.7e308, 1.7e308), 1.5), ("acosh", np.arccosh, (1.0, 1.7e308), 2.5),
    # the vector forms below 2^19 pi/2, libm's above (the second pass)
    ("sin", np.sin, (-1e300, 1e300), 1.0), ("cos", np.cos, (-1e300, 1e300), 1.0),
    ("tan", np.tan, (-1e300, 1e300), 2.5),
    # sqrt rounded to the nearest (the AVX-512 form as vsqrtpd), rsqrt within about an ulp
    ("sqrt", np.sqrt, (0.0, 1.7e308), 0.501), ("rsqrt", lambda x: 1 / np.sqrt(x), (0.0, 1.7e308), 1.5),
]


@pytest.mark.parametrize("op,ref,rng_,bound", FLOAT64_ULPS, ids=[u[0] for u in FLOAT64_ULPS])
def test_float64_exp_log_family_within_ulps(op, ref, rng_, bound):
    # the vector forms (fastmath_d.h) against the long double functions, in
    # ulps of the double result, over the whole range and densely near 0
    # and 1; then the special values, which must be libm's exactly
    rng = np.random.default_rng(len(op))
    x = np.concatenate([_float64_spread(rng, rng_[0], rng_[1], 20000),
                        rng.uniform(max(rng_[0], -2.0), 2.0, 20000)])
    if op in ("log", "log2", "log1p", "atanh"):
        x = np.abs(x) if op in ("log", "log2") else np.maximum(x, -1.0)
    with np.errstate(all="ignore"):
        want = ref(x.astype(np.longdouble))
    got = getattr(torch, op)(torch.from_numpy(x)).numpy()
    w64 = want.astype(np.float64)
    fin = np.isfinite(w64) & (w64 != 0)
    np.testing.assert_array_equal(got[~fin], w64[~fin])
    tiny = np.finfo(np.float64).smallest_subnormal
    err = np.abs(got[fin].astype(np.longdouble) - want[fin]) / np.maximum(np.spacing(np.abs(w64[fin])), tiny)
    worst = int(np.argmax(err))
    assert float(err[worst]) <= bound, (op, x[fin][worst], float(err[worst]))
    sp = np.array([0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 5e-324, -5e-324, 1e308, -1e308,
                   709.782712893384, 709.7827128933841, -745.1332191019411, -745.1332191019412,
                   2.0 ** -60, -(2.0 ** -60), 0.5, -0.5])
    with np.errstate(all="ignore"):
        npname = {"atanh": "arctanh", "asin": "arcsin", "acos": "arccos", "atan": "arctan",
                  "asinh": "arcsinh", "acosh": "arccosh"}.get(op, op)
        want = (1 / (1 + np.exp(-sp)) if op == "sigmoid" else ref(sp).astype(np.float64) if op == "erf"
                else 1 / np.sqrt(sp) if op == "rsqrt" else getattr(np, npname)(sp))
    got = getattr(torch, op)(torch.from_numpy(sp)).numpy()
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    with np.errstate(invalid="ignore"):
        close = np.abs(got - want) <= np.spacing(np.abs(want))
    assert (close | np.isnan(want) | (got == want)).all(), (sp, got, want)


@pytest.mark.parametrize("op", ["exp", "exp2", "log", "log2", "log10", "tanh", "asin", "acos"])
def test_float64_block_kernels_strided_and_exact_points(op):
    # a strided input (gathered into blocks for the vector kernel) gives the
    # contiguous result bit for bit; the exact points are exact: powers of
    # the base, log(1) = 0, exp(0) = 1, tanh(0) = 0, 2^k for every integer k
    rng = np.random.default_rng(3)
    lo, hi = {"exp": (-745.2, 709.79), "exp2": (-1080.0, 1025.0),
              "tanh": (-30.0, 30.0), "asin": (-1.0, 1.0), "acos": (-1.0, 1.0)}.get(op, (0.0, 1.7e308))
    x = _float64_spread(rng, lo, hi, 3001)
    f = getattr(torch, op)
    full = f(torch.from_numpy(x)).numpy()
    np.testing.assert_array_equal(f(torch.from_numpy(x)[::3]).numpy(), full[::3])
    if op in ("log2", "log10"):
        k = np.arange(-22, 23) if op == "log10" else np.arange(-1074, 1024)
        p = np.array([float(f"1e{v}") for v in k]) if op == "log10" else np.ldexp(1.0, k)
        np.testing.assert_array_equal(f(torch.from_numpy(p)).numpy(), k.astype(np.float64))
    if op == "exp2":
        k = np.arange(-1080, 1030)
        with np.errstate(over="ignore"):
            want = np.ldexp(1.0, k)
        np.testing.assert_array_equal(f(torch.from_numpy(k.astype(np.float64))).numpy(), want)
    at, want = {"exp": (0.0, 1.0), "exp2": (0.0, 1.0), "tanh": (0.0, 0.0),
                "asin": (0.0, 0.0)}.get(op, (1.0, 0.0))
    assert f(torch.tensor([at], dtype=torch.float64)).item() == want


def test_float64_sqrt_is_rounded_to_the_nearest():
    # squares of doubles, the products of neighbours (the midpoints' squares
    # lie between them) and their neighbours, powers of two: numpy's sqrt is
    # IEEE's, rounded to the nearest, bit for bit
    rng = np.random.default_rng(9)
    s = np.concatenate([rng.uniform(1, 2, 4000), np.exp(rng.uniform(-600, 600, 4000))])
    sq, mid = s * s, s * np.nextafter(s, np.inf)
    p = np.ldexp(1.0, rng.integers(-1070, 1020, 2000))
    x = np.concatenate([sq, mid, p, np.ldexp(1.0, np.arange(-1074, 1024))])
    x = np.concatenate([x, np.nextafter(x, 0), np.nextafter(x, np.inf)])
    got = torch.sqrt(torch.from_numpy(x)).numpy()
    np.testing.assert_array_equal(got.view(np.int64), np.sqrt(x).view(np.int64))
    np.testing.assert_array_equal(torch.sqrt(torch.from_numpy(x)[::3]).numpy(), got[::3])


def test_float32_sqrt_is_rounded_to_the_nearest():
    # every 97th float pattern of [2^-100, 2^127] (below 2^-96 the kernel
    # defers to vsqrtps: the residual tests would lose bits there) and its
    # neighbours: IEEE's sqrt, bit for bit
    bits = np.arange(0x0D800000, 0x7F800000, 97, dtype=np.uint32)
    bits = np.concatenate([bits, bits + 1, bits - 1])
    x = bits.view(np.float32)
    got = torch.sqrt(torch.from_numpy(x)).numpy()
    np.testing.assert_array_equal(got.view(np.uint32), np.sqrt(x).view(np.uint32))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_pow_of_negative_bases(dtype):
    # C's rules: |a|^b negated for odd integer b, NaN for b not an integer;
    # within an ulp of libm's (numpy's) values, with the same signs
    rng = np.random.default_rng(9)
    a = -np.abs(rng.standard_normal(20000) * 3).astype(dtype)
    b = (rng.standard_normal(20000) * 3).astype(dtype)
    b[::2] = np.round(b[::2] * 5)
    b[:8] = np.array([3, -3, 2, -2, 2.0**30, 2.0**30 + 1 if dtype == "float64" else 2.0**24, 1, -1], dtype)
    a[:3] = np.array([-1e-30, -1e30, -1], dtype)
    with np.errstate(all="ignore"):
        ref64 = np.power(a.astype(np.float64), b.astype(np.float64))
        want = np.power(a, b)
    got = torch.pow(torch.from_numpy(a), torch.from_numpy(b)).numpy()
    assert np.array_equal(np.isnan(got), np.isnan(want))
    fin = ~np.isnan(want)
    assert np.array_equal(np.signbit(got[fin]), np.signbit(want[fin]))
    if dtype == "float32":
        assert _ulps(got, ref64).max() <= 1
    else:
        np.testing.assert_allclose(got[fin], want[fin], rtol=3e-16, atol=0)


def test_float64_pow_within_an_ulp():
    # pow512.h's e^(y log x) against powl in ulps of the double result: x
    # over every binade of the positive doubles and near 1, y such that
    # y log x spans the range where the result is finite and nonzero
    # (denormal results included); tensor, scalar and strided operands
    rng = np.random.default_rng(11)
    n = 20000
    x = np.concatenate([_float64_spread(rng, 0.0, 1.7e308, n), 1 + rng.uniform(-0.02, 0.02, n),
                        rng.uniform(0.0, 10.0, n)])
    x = x[x > 0]
    with np.errstate(all="ignore"):
        y = rng.uniform(-1, 1, x.size) * 740 / np.maximum(np.abs(np.log(x)), 1e-300)
    y[-n:] = rng.uniform(-30, 30, n)
    with np.errstate(all="ignore"):
        want = np.power(x.astype(np.longdouble), y.astype(np.longdouble))
    w64 = want.astype(np.float64)
    fin = np.isfinite(w64) & (w64 != 0)
    tiny = np.finfo(np.float64).smallest_subnormal
    got = torch.pow(torch.from_numpy(x), torch.from_numpy(y)).numpy()
    err = np.abs(got[fin].astype(np.longdouble) - want[fin]) / np.maximum(np.spacing(np.abs(w64[fin])), tiny)
    worst = int(np.argmax(err))
    assert float(err[worst]) <= 0.8, (x[fin][worst], y[fin][worst], float(err[worst]))
    assert np.array_equal(got[~fin], w64[~fin])
    # one exponent, one base, every other element, in place
    e = float(y[7])
    np.testing.assert_array_equal(torch.pow(torch.from_numpy(x[:999]), e).numpy(),
                                  torch.pow(torch.from_numpy(x[:999]), torch.full((999,), e, dtype=torch.float64)).numpy())
    b = float(x[5])
    np.testing.assert_array_equal(torch.pow(b, torch.from_numpy(y[:999])).numpy(),
                                  torch.pow(torch.full((999,), b, dtype=torch.float64), torch.from_numpy(y[:999])).numpy())
    np.testing.assert_array_equal(torch.pow(torch.from_numpy(x)[::3], torch.from_numpy(y)[::3]).numpy(), got[::3])
    t = torch.from_numpy(x.copy())
    t.pow_(torch.from_numpy(y))
    np.testing.assert_array_equal(t.numpy(), got)
    # exact points: integral powers, 1^y, x^0
    k = np.arange(-1074, 1024, dtype=np.float64)
    np.testing.assert_array_equal(torch.pow(torch.full((k.size,), 2.0, dtype=torch.float64), torch.from_numpy(k)).numpy(),
                                  np.ldexp(1.0, k.astype(int)))
    np.testing.assert_array_equal(torch.pow(torch.from_numpy(np.arange(1.0, 40.0)), 7.0).numpy(),
                                  np.arange(1, 40, dtype=object) ** 7 * 1.0)
    assert (torch.pow(torch.ones(9, dtype=torch.float64), torch.from_numpy(y[:9])).numpy() == 1).all()
    assert (torch.pow(torch.from_numpy(x[:9]), 0.0).numpy() == 1).all()


def test_float64_pow_special_values_are_cs():
    # every pair of special bases and exponents: C's pow (numpy's) exactly,
    # whether a vector's lanes are all special or mixed with ordinary ones
    xs = [0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, INF, -INF, NAN, 5e-324, 1e308, -3.0]
    ys = [0.0, -0.0, 1.0, -1.0, 2.0, 3.0, -3.0, 0.5, -0.5, INF, -INF, NAN, 1e300, -1e300, 2.5]
    a = np.repeat(np.array(xs), len(ys))
    b = np.tile(np.array(ys), len(xs))
    with np.errstate(all="ignore"):
        want = np.array([math.nan if (u != u or v != v) and not (u == 1 or v == 0) else np.float64(u) ** np.float64(v)
                         for u, v in zip(a, b)])
    for perm in (np.arange(a.size), np.random.default_rng(2).permutation(a.size)):
        got = torch.pow(torch.from_numpy(a[perm]), torch.from_numpy(b[perm])).numpy()
        assert np.array_equal(got, want[perm], equal_nan=True), [(u, v, g, w) for u, v, g, w in
                                                                 zip(a[perm], b[perm], got, want[perm]) if not (g == w or g != g and w != w)]
