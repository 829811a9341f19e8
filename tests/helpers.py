"""Shared test helpers: dtype tables, an independent model of PyTorch's type
promotion, input generation per layout, and comparison against numpy."""
import numpy as np

import ctorch as torch

DTYPE_NAMES = ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32",
               "float64", "complex64", "complex128")


def tdt(name):
    """ctorch dtype for a dtype name."""
    return getattr(torch, name)


def npdt(name):
    return np.dtype(name)


def name_of(dtype):
    """dtype name of a ctorch dtype (torch.float32 -> 'float32')."""
    return str(dtype).split(".")[-1]


# ----------------------------------------------------------- promotion model

def kind(name):
    if name == "bool":
        return 0
    if name.startswith("complex"):
        return 3
    if name.startswith("float"):
        return 2
    return 1


_BITS = {"bool": 1, "uint8": 8, "int8": 8, "int16": 16, "int32": 32, "int64": 64,
         "float16": 16, "float32": 32, "float64": 64, "complex64": 32, "complex128": 64}


def _complex_of(float_bits):
    return "complex128" if float_bits > 32 else "complex64"


def promote_types(a, b):
    """PyTorch's promotion of two tensor dtypes (a lattice, not numpy's table)."""
    if a == b:
        return a
    ka, kb = kind(a), kind(b)
    if ka != kb:
        hi, lo = (a, b) if ka > kb else (b, a)
        if kind(hi) == 3 and kind(lo) == 2:
            # complex64 + float64 keeps double precision
            return _complex_of(max(_BITS[hi], _BITS[lo]))
        return hi
    if ka == 1:
        if "uint8" in (a, b):
            other = b if a == "uint8" else a
            return "int16" if other == "int8" else other
        return a if _BITS[a] > _BITS[b] else b
    return a if _BITS[a] > _BITS[b] else b


def scalar_dtype(x, default="float32"):
    """The dtype a python scalar stands for when it is the only operand."""
    if isinstance(x, bool):
        return "bool"
    if isinstance(x, int):
        return "int64"
    if isinstance(x, float):
        return default
    return "complex128" if default == "float64" else "complex64"


def _fold(names):
    r = None
    for n in names:
        r = n if r is None else promote_types(r, n)
    return r


def _merge(higher, lower):
    """A lower-priority category only matters when it is of a higher kind."""
    if higher is None:
        return lower
    if lower is None or kind(lower) <= kind(higher):
        return higher
    if kind(higher) == 2 and kind(lower) == 3:
        return _complex_of(_BITS[higher])
    return lower


def result_type(*operands, default="float32"):
    """Operands: ('dim', name) for a tensor with dims, ('zero', name) for a
    0-dim tensor, or a python scalar. Dimensioned tensors win over 0-dim ones,
    which win over python scalars, unless the lower category is of a higher kind."""
    dims, zeros, scalars = [], [], []
    for o in operands:
        if isinstance(o, tuple):
            (dims if o[0] == "dim" else zeros).append(o[1])
        else:
            scalars.append(scalar_dtype(o, default))
    return _merge(_fold(dims), _merge(_fold(zeros), _fold(scalars)))


def operand_desc(x):
    """The result_type() operand description of a ctorch tensor or scalar."""
    if isinstance(x, torch.Tensor):
        return ("dim" if x.dim() > 0 else "zero", name_of(x.dtype))
    return x


def op_result_dtype(rule, promoted):
    if rule == "same":
        return promoted
    if rule == "float":
        return "float32" if kind(promoted) <= 1 else promoted
    if rule == "bool":
        return "bool"
    if rule == "abs":
        return {"complex64": "float32", "complex128": "float64"}.get(promoted, promoted)
    if rule == "angle":     # a real result: complex -> its real type, integers -> float
        return "float32" if kind(promoted) <= 1 else op_result_dtype("abs", promoted)
    if rule == "bool_to_long":
        return "int64" if promoted == "bool" else promoted
    if rule == "int32":
        return "int32"
    raise ValueError(rule)


def compute_dtype(rule, promoted):
    """The dtype numpy computes in: what torch computes in, with half widened."""
    c = promoted
    if rule in ("float", "angle") and kind(c) <= 1:
        c = "float32"
    if rule == "bool_to_long" and c == "bool":
        c = "int64"
    return "float32" if c == "float16" else c


# ------------------------------------------------------------------ inputs

_INT_RANGE = {"uint8": (0, 255), "int8": (-128, 127), "int16": (-32768, 32767),
              "int32": (-2**31, 2**31 - 1), "int64": (-2**63, 2**63 - 1)}


def random_array(shape, dtype, domain, rng):
    """A numpy array of the given dtype name with values in domain."""
    if dtype == "bool":
        if domain.nonzero_int:
            return np.ones(shape, dtype=bool)
        return rng.integers(0, 2, size=shape).astype(bool)
    if kind(dtype) == 1:
        lo = domain.int_low if domain.int_low is not None else int(np.floor(domain.low))
        hi = domain.int_high if domain.int_high is not None else int(np.ceil(domain.high))
        tlo, thi = _INT_RANGE[dtype]
        lo, hi = max(lo, tlo), min(hi, thi)
        if domain.nonzero_int and lo <= 0 <= hi and lo == hi:
            lo = hi = 1
        a = rng.integers(lo, hi + 1, size=shape).astype(dtype)
        if domain.nonzero_int:
            a[a == 0] = 1 if hi >= 1 else -1
        return a
    if kind(dtype) == 2:
        return rng.uniform(domain.low, domain.high, size=shape).astype(dtype)
    re = rng.uniform(domain.low, domain.high, size=shape)
    im = rng.uniform(domain.low, domain.high, size=shape)
    return (re + 1j * im).astype(dtype)


LAYOUTS = ("contiguous", "transposed", "sliced", "expanded", "zero_dim", "empty")


# The device the op-table tests make their tensors on: "cpu", or "cuda" while
# tests/test_cuda_emulated.py reruns them on the emulated CUDA device (and
# tests/cuda/ on a GPU); assert_close then also checks the result's device.
DEVICE = "cpu"


def on_device(a, **kw):
    """torch.tensor(a) on DEVICE."""
    return torch.tensor(a, device=DEVICE, **kw)


_t = on_device


def with_layout(arr_fn, layout):
    """(ctorch tensor, numpy array of the same values) in the given layout, on
    DEVICE. arr_fn(shape) makes a fresh numpy array of that shape."""
    if layout == "contiguous":
        a = arr_fn((3, 4))
        return _t(a), a
    if layout == "transposed":
        a = arr_fn((4, 3))
        t = _t(a).t()
        assert not t.is_contiguous()
        return t, a.T
    if layout == "sliced":
        a = arr_fn((7, 9))
        t = _t(a)[1::2, ::3]
        assert not t.is_contiguous()
        return t, a[1::2, ::3]
    if layout == "expanded":
        a = arr_fn((1, 4))
        t = _t(a).expand(3, 4)
        assert t.stride()[0] == 0
        return t, np.broadcast_to(a, (3, 4))
    if layout == "zero_dim":
        a = arr_fn(())
        return _t(a), a
    if layout == "empty":
        a = arr_fn((0, 4))
        return _t(a), a
    raise ValueError(layout)


def can_cast(src, dst):
    """PyTorch's rule for writing a result of dtype src into a tensor of dtype dst."""
    if kind(src) > kind(dst) and kind(src) >= 2:
        return False
    if dst == "bool" and src != "bool":
        return False
    return True


def to_numpy(t):
    assert isinstance(t, torch.Tensor), type(t)
    return t.cpu().numpy()


def assert_close(actual, expected, dtype_name, tol=(0, 0), msg=""):
    """actual: ctorch tensor; expected: numpy array. Checks dtype, shape and values."""
    assert isinstance(actual, torch.Tensor), f"{msg}: got {type(actual).__name__}"
    assert name_of(actual.dtype) == dtype_name, f"{msg}: dtype {actual.dtype}, expected {dtype_name}"
    assert actual.device.type == DEVICE, f"{msg}: the result is on {actual.device}, expected {DEVICE}"
    expected = np.asarray(expected)
    assert tuple(actual.shape) == expected.shape, f"{msg}: shape {tuple(actual.shape)} vs {expected.shape}"
    got = to_numpy(actual)
    with np.errstate(all="ignore"):
        exp = expected.astype(dtype_name)
    if kind(dtype_name) <= 1:
        np.testing.assert_array_equal(got, exp, err_msg=msg)
    else:
        rtol, atol = tol
        wide = np.complex128 if kind(dtype_name) == 3 else np.float64
        np.testing.assert_allclose(got.astype(wide), exp.astype(wide), rtol=rtol, atol=atol,
                                   equal_nan=True, err_msg=msg)


def gradcheck_first_output(op, shape, kw, seed, first=False, dtype="float64"):
    """gradcheck of op(x, **kw) (its first output when `first`) at a float64
    (or complex128) x of `shape` whose entries (real and imaginary parts) are
    kept 0.5 to 2 away from zero."""
    rng = np.random.default_rng(seed)

    def part():
        return rng.uniform(0.5, 2.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    a = part() + 1j * part() if dtype == "complex128" else part()
    x = torch.tensor(a, dtype=tdt(dtype), requires_grad=True)

    def f(x):
        r = op(x, **kw)
        return r[0] if first else r
    return torch.autograd.gradcheck(f, (x,))
