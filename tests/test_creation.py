"""Tensor creation: from data, from sizes, ranges, *_like / new_*, random."""
import numpy as np
import pytest

import ctorch as torch
from helpers import DTYPE_NAMES, assert_close, name_of, tdt

# (data, expected dtype name, expected shape)
INFERENCE = [
    ([1, 2, 3], "int64", (3,)),
    ([1.0, 2], "float32", (2,)),
    ([True, False], "bool", (2,)),
    ([True, 2], "int64", (2,)),
    ([1, 2.5j], "complex64", (2,)),
    ([[1, 2], [3, 4]], "int64", (2, 2)),
    ([[[1.5]]], "float32", (1, 1, 1)),
    ([], "float32", (0,)),
    ([[], []], "float32", (2, 0)),
    (3, "int64", ()),
    (2.5, "float32", ()),
    (False, "bool", ()),
    (1 + 2j, "complex64", ()),
    ((1, 2), "int64", (2,)),
    # numpy scalars keep their dtype, and python numbers in a list are not weak
    ([np.float64(1.5), 2], "float64", (2,)),
    ([np.int32(3)], "int32", (1,)),
    ([np.int32(3), 2], "int64", (2,)),
    ([np.float32(1.5), 2.0], "float32", (2,)),
    (np.float64(2.5), "float64", ()),
]


@pytest.mark.parametrize("data,dtype,shape", INFERENCE, ids=[repr(d)[:30] for d, _, _ in INFERENCE])
def test_tensor_dtype_inference(data, dtype, shape):
    t = torch.tensor(data)
    assert name_of(t.dtype) == dtype
    assert tuple(t.shape) == shape
    np.testing.assert_array_equal(t.numpy(), np.array(data, dtype=dtype))


@pytest.mark.parametrize("dtype", DTYPE_NAMES)
def test_tensor_explicit_dtype(dtype):
    t = torch.tensor([[0, 1], [1, 0]], dtype=tdt(dtype))
    assert t.dtype == tdt(dtype)
    np.testing.assert_array_equal(t.numpy(), np.array([[0, 1], [1, 0]], dtype=dtype))


@pytest.mark.parametrize("dtype", DTYPE_NAMES)
@pytest.mark.parametrize("shape", [(), (0,), (3,), (2, 3), (2, 1, 2)], ids=str)
def test_tensor_from_numpy_array_keeps_dtype_and_copies(dtype, shape):
    a = (np.arange(int(np.prod(shape))).reshape(shape) % 3).astype(dtype)
    t = torch.tensor(a)
    assert t.dtype == tdt(dtype)
    assert tuple(t.shape) == shape
    np.testing.assert_array_equal(t.numpy(), a)
    if a.size:
        a.reshape(-1)[0] = 1
        b = t.numpy().reshape(-1)[0]
        assert b == (0 if dtype != "bool" else False)     # a copy


def test_tensor_from_noncontiguous_and_negative_stride_arrays():
    a = np.arange(20.0).reshape(4, 5)
    np.testing.assert_array_equal(torch.tensor(a.T).numpy(), a.T)
    np.testing.assert_array_equal(torch.tensor(a[::-1, ::2]).numpy(), a[::-1, ::2])
    t = torch.tensor(a, dtype=torch.float32)
    assert t.dtype == torch.float32


def test_tensor_from_tensor_copies():
    x = torch.tensor([1.0, 2.0])
    y = torch.tensor(x)
    y[0] = 5
    assert x[0].item() == 1.0
    assert torch.tensor(x, dtype=torch.int32).dtype == torch.int32


def test_as_tensor_and_from_numpy_share_memory():
    a = np.array([1.0, 2.0, 3.0])
    for t in (torch.as_tensor(a), torch.from_numpy(a), torch.asarray(a)):
        a[0] = 7
        assert t[0].item() == 7
        t[1] = -1
        assert a[1] == -1
    x = torch.ones(2)
    assert torch.as_tensor(x) is x
    assert torch.as_tensor(x, dtype=torch.float64).dtype == torch.float64
    assert torch.as_tensor([1, 2]).dtype == torch.int64
    c = torch.as_tensor(a, dtype=torch.float32)
    a[2] = 100
    assert c[2].item() != 100            # converted: a copy


SIZE_FORMS = [((2, 3),), (2, 3), ([2, 3],), (torch.Size([2, 3]),)]


@pytest.mark.parametrize("fn", ["empty", "zeros", "ones"])
@pytest.mark.parametrize("size", SIZE_FORMS, ids=["tuple", "varargs", "list", "Size"])
def test_sized_constructors(fn, size):
    t = getattr(torch, fn)(*size)
    assert t.shape == (2, 3) and t.dtype == torch.float32 and t.is_contiguous()
    if fn != "empty":
        np.testing.assert_array_equal(t.numpy(), np.full((2, 3), 1.0 if fn == "ones" else 0.0))


@pytest.mark.parametrize("dtype", DTYPE_NAMES)
@pytest.mark.parametrize("fn", ["zeros", "ones", "empty"])
def test_sized_constructors_dtype(fn, dtype):
    t = getattr(torch, fn)(3, 2, dtype=tdt(dtype))
    assert t.dtype == tdt(dtype) and t.shape == (3, 2)
    if fn != "empty":
        np.testing.assert_array_equal(t.numpy(), np.full((3, 2), fn == "ones", dtype=dtype))


def test_zero_size_and_scalar_shapes():
    assert torch.zeros(()).shape == () and torch.zeros(()).numel() == 1
    assert torch.zeros(0, 3).numel() == 0
    assert torch.ones([]).item() == 1.0


@pytest.mark.parametrize("value,dtype", [(2, "int64"), (2.5, "float32"), (True, "bool"), (1j, "complex64")])
def test_full_infers_dtype(value, dtype):
    t = torch.full((2, 2), value)
    assert name_of(t.dtype) == dtype
    np.testing.assert_array_equal(t.numpy(), np.full((2, 2), value, dtype=dtype))
    if isinstance(value, complex):      # an imaginary part does not fit a real dtype
        with pytest.raises(RuntimeError, match="cannot be converted to type double without overflow"):
            torch.full((3,), value, dtype=torch.float64)
    else:
        assert torch.full((3,), value, dtype=torch.float64).dtype == torch.float64


ARANGE = [((5,), {}, np.arange(5), "int64"),
          ((2, 7), {}, np.arange(2, 7), "int64"),
          ((10, 0, -3), {}, np.arange(10, 0, -3), "int64"),
          ((0, 1, 0.25), {}, np.arange(0, 1, 0.25), "float32"),
          ((1, 2.5, 0.5), {}, np.arange(1, 2.5, 0.5), "float32"),
          ((5.0,), {}, np.arange(5.0), "float32"),
          ((5,), {"dtype": torch.float64}, np.arange(5.0), "float64"),
          ((0, -1, -0.3), {}, np.arange(0, -1, -0.3), "float32"),
          ((3, 3), {}, np.arange(3, 3), "int64")]


@pytest.mark.parametrize("args,kw,exp,dtype", ARANGE, ids=[str(a[0]) + str(a[1]) for a in ARANGE])
def test_arange(args, kw, exp, dtype):
    t = torch.arange(*args, **kw)
    assert_close(t, exp, dtype, (1e-6, 1e-6))


def test_arange_errors():
    with pytest.raises(RuntimeError, match="step must be nonzero"):
        torch.arange(0, 5, 0)
    with pytest.raises(RuntimeError, match="upper bound and larger bound inconsistent with step sign"):
        torch.arange(0, 10, -1)
    with pytest.raises(RuntimeError, match="upper bound and larger bound inconsistent with step sign"):
        torch.arange(0, -1, 0.3)


LINSPACE = [(0, 1, 5), (-2, 2, 7), (0, 10, 1), (3, 3, 4), (0, 1, 0), (10, 0, 6)]


@pytest.mark.parametrize("start,end,steps", LINSPACE, ids=str)
def test_linspace(start, end, steps):
    t = torch.linspace(start, end, steps)
    assert_close(t, np.linspace(start, end, steps), "float32", (1e-6, 1e-6))
    assert_close(torch.linspace(start, end, steps, dtype=torch.float64), np.linspace(start, end, steps),
                 "float64", (1e-12, 1e-12))


@pytest.mark.parametrize("nt", [1, 2])
def test_long_sequences_on_threads(nt):
    """Past the kernels' threading size (65536 values): arange in int64,
    int32 (wrapped from 64 bits), int16 (converted) and in double (d0 + i ds,
    a product then a sum, rounded to float32 for float32); linspace in
    float32 (each value one fused multiply-add from the nearer end: exact
    in double for these ends) and float64."""
    old = torch.get_num_threads()
    torch.set_num_threads(nt)
    try:
        n = 200001
        i = np.arange(n, dtype=np.int64)
        assert np.array_equal(torch.arange(-7, 3 * n - 7, 3).numpy(), -7 + 3 * i)
        big = torch.arange(2 ** 31 - 5, 2 ** 31 - 5 + n, dtype=torch.int32).numpy()
        assert np.array_equal(big, (2 ** 31 - 5 + i).astype(np.int32))
        assert np.array_equal(torch.arange(n, dtype=torch.int16).numpy(), i.astype(np.int16))
        d = torch.arange(0.1, 0.1 + 0.3 * (n - 0.5), 0.3, dtype=torch.float64).numpy()
        assert np.array_equal(d, 0.1 + i.astype(np.float64) * 0.3)
        f = torch.arange(0.1, 0.1 + 0.3 * (n - 0.5), 0.3, dtype=torch.float32).numpy()
        assert np.array_equal(f, (0.1 + i.astype(np.float64) * 0.3).astype(np.float32))
        a, b = np.float32(-1.5), np.float32(2.25)
        st = np.float32(np.float32(b - a) / np.float32(n - 1))
        up = a.astype(np.float64) + st.astype(np.float64) * i
        down = b.astype(np.float64) - st.astype(np.float64) * (n - 1 - i)
        want = np.where(i < n // 2, up, down).astype(np.float32)
        assert np.array_equal(torch.linspace(-1.5, 2.25, n).numpy(), want)
        np.testing.assert_allclose(torch.linspace(-1.5, 2.25, n, dtype=torch.float64).numpy(),
                                   np.linspace(-1.5, 2.25, n), rtol=0, atol=1e-15)
    finally:
        torch.set_num_threads(old)


def test_linspace_int_and_errors():
    assert_close(torch.linspace(0, 10, 5, dtype=torch.int64), np.array([0, 2, 5, 7, 10]), "int64")
    with pytest.raises(RuntimeError, match="number of steps must be non-negative"):
        torch.linspace(0, 1, -1)


def _exact_linspace(start, end, n, single):
    """PyTorch's linspace values: the step (end - start) / (n - 1) and each
    value start + step * i (first half) or end - step * (n - 1 - i), the
    product and sum rounded once, all in the dtype (float32: single)."""
    from fractions import Fraction
    rnd = (lambda v: float(np.float32(v))) if single else float
    a, b = rnd(start), rnd(end)
    st = rnd(np.float32(np.float32(b) - np.float32(a)) / np.float32(n - 1)) if single else (b - a) / (n - 1)
    half = n // 2
    return [rnd(Fraction(a) + Fraction(st) * i) if i < half else rnd(Fraction(b) - Fraction(st) * (n - 1 - i))
            for i in range(n)]


@pytest.mark.parametrize("start,end,steps", [(-1, 1, 101), (-3.3, 7.1, 1000), (1, -1, 7), (0.0, 1e-3, 33)],
                         ids=str)
def test_linspace_values_exact(start, end, steps):
    for dt, single in ((torch.float32, True), (torch.float64, False)):
        want = np.array(_exact_linspace(start, end, steps, single))
        assert np.array_equal(torch.linspace(start, end, steps, dtype=dt).numpy().astype(np.float64), want)
    # complex: the real and imaginary parts each a real linspace
    z = torch.linspace(complex(start, end), complex(end, -start), steps, dtype=torch.complex128).numpy()
    assert np.array_equal(z.real, _exact_linspace(start, end, steps, False))
    assert np.array_equal(z.imag, _exact_linspace(end, -start, steps, False))


def test_linspace_integer_and_half_rules():
    # integer ends are converted to the dtype first (trunc; an unsigned type
    # wraps small negative ints), the step in double between them
    assert torch.linspace(0.5, 300.7, 6, dtype=torch.int64).tolist() == [0, 60, 120, 180, 240, 300]
    assert torch.linspace(-3.3, 7.1, 5, dtype=torch.int32).tolist() == [-3, 0, 2, 4, 7]
    assert torch.linspace(-1, 1, 3, dtype=torch.uint8).tolist() == [255, 128, 1]
    with pytest.raises(RuntimeError, match="value cannot be converted to type uint8_t without overflow"):
        torch.linspace(-3.3, 1, 3, dtype=torch.uint8)
    with pytest.raises(RuntimeError, match="value cannot be converted to type int8_t without overflow"):
        torch.linspace(0, 200, 3, dtype=torch.int8)
    with pytest.raises(RuntimeError, match="type c10::Half without overflow"):
        torch.linspace(0, 1e5, 3, dtype=torch.float16)
    with pytest.raises(RuntimeError, match="type c10::BFloat16 without overflow"):
        torch.linspace(0, 1e39, 3, dtype=torch.bfloat16)
    with pytest.raises(RuntimeError, match="can't be safely cast to passed dtype Float"):
        torch.linspace(1j, 5, 3, dtype=torch.float32)
    # float16 arithmetic: the count past 65504 is inf in float16, so the step is 0
    h = torch.linspace(-1, 1, 70001, dtype=torch.float16).float().numpy()
    assert (h[:35000] == -1).all() and (h[35000:] == 1).all()
    np.testing.assert_allclose(torch.linspace(0, 1, 9, dtype=torch.bfloat16).float().numpy(),
                               np.linspace(0, 1, 9), atol=4e-3)


@pytest.mark.parametrize("start,end,steps,base", [(0, 2, 3, 10.0), (0, 4, 5, 2.0), (-1, 1, 3, 10.0)], ids=str)
def test_logspace(start, end, steps, base):
    assert_close(torch.logspace(start, end, steps, base=base), np.logspace(start, end, steps, base=base),
                 "float32", (1e-6, 1e-6))


@pytest.mark.parametrize("args", [(3,), (2, 4), (4, 2), (0,)], ids=str)
def test_eye(args):
    assert_close(torch.eye(*args), np.eye(*args), "float32")
    assert_close(torch.eye(*args, dtype=torch.int32), np.eye(*args), "int32")


LIKE_FNS = [("empty_like", ()), ("zeros_like", ()), ("ones_like", ()), ("full_like", (7,)),
            ("rand_like", ()), ("randn_like", ())]


@pytest.mark.parametrize("fn,args", LIKE_FNS, ids=[f for f, _ in LIKE_FNS])
def test_like_functions(fn, args):
    x = torch.ones(2, 3, dtype=torch.float64).t()
    r = getattr(torch, fn)(x, *args)
    assert r.shape == (3, 2) and r.dtype == torch.float64
    r2 = getattr(torch, fn)(x, *args, dtype=torch.float32)
    assert r2.dtype == torch.float32
    if fn == "zeros_like":
        assert (r.numpy() == 0).all()
    if fn == "ones_like":
        assert (r.numpy() == 1).all()
    if fn == "full_like":
        assert (r.numpy() == 7).all()
    if fn == "rand_like":
        assert ((r.numpy() >= 0) & (r.numpy() < 1)).all()


def test_full_like_int_tensor_keeps_dtype():
    r = torch.full_like(torch.zeros(3, dtype=torch.int32), 2.7)
    assert r.dtype == torch.int32 and (r.numpy() == 2).all()
    r = torch.randint_like(torch.zeros(50, dtype=torch.int16), 3, 6)
    assert r.dtype == torch.int16 and r.numpy().min() >= 3 and r.numpy().max() < 6


def test_new_methods():
    x = torch.ones(2, dtype=torch.int16)
    for r, shape, val in ((x.new_zeros(2, 3), (2, 3), 0), (x.new_ones((4,)), (4,), 1),
                          (x.new_full((2, 2), 5), (2, 2), 5), (x.new_empty(3), (3,), None)):
        assert r.dtype == torch.int16 and r.shape == shape
        if val is not None:
            assert (r.numpy() == val).all()
    t = x.new_tensor([1, 2, 3])
    assert t.dtype == torch.int16                 # new_tensor takes self's dtype
    f = torch.ones(1).new_tensor([1, 2])
    assert f.dtype == torch.float32
    assert x.new_zeros(2, dtype=torch.float64).dtype == torch.float64


# ---------------------------------------------------------------- random

@pytest.mark.parametrize("dtype", [None, torch.float64, torch.float16])
def test_rand_range_and_dtype(dtype):
    t = torch.rand(1000, dtype=dtype) if dtype else torch.rand(1000)
    assert t.dtype == (dtype or torch.float32)
    a = t.numpy().astype(np.float64)
    assert a.min() >= 0 and a.max() < 1
    assert 0.4 < a.mean() < 0.6


def test_randn_statistics():
    a = torch.randn(20000, dtype=torch.float64).numpy()
    assert abs(a.mean()) < 0.05 and abs(a.std() - 1) < 0.05
    assert torch.randn(2, 3).shape == (2, 3) and torch.randn(2, 3).dtype == torch.float32


def test_randint_forms():
    t = torch.randint(0, 10, (500,))
    assert t.dtype == torch.int64 and t.shape == (500,)
    assert t.numpy().min() >= 0 and t.numpy().max() <= 9 and len(np.unique(t.numpy())) == 10
    t = torch.randint(5, (3, 4))
    assert t.shape == (3, 4) and t.numpy().max() < 5
    t = torch.randint(-3, 3, (200,), dtype=torch.int8)
    assert t.dtype == torch.int8 and t.numpy().min() >= -3 and t.numpy().max() < 3
    with pytest.raises(RuntimeError, match="random_ expects 'from' to be less than 'to'"):
        torch.randint(5, 5, (2,))


def test_randperm():
    p = torch.randperm(50)
    assert p.dtype == torch.int64
    assert sorted(p.tolist()) == list(range(50))
    assert torch.randperm(0).shape == (0,)
    assert torch.randperm(5, dtype=torch.int32).dtype == torch.int32


@pytest.mark.parametrize("fn", [lambda: torch.rand(5), lambda: torch.randn(5),
                                lambda: torch.randint(0, 100, (5,)), lambda: torch.randperm(8)],
                         ids=["rand", "randn", "randint", "randperm"])
def test_manual_seed_reproducible(fn):
    torch.manual_seed(123)
    a = fn().tolist()
    b = fn().tolist()
    torch.manual_seed(123)
    assert fn().tolist() == a
    assert fn().tolist() == b
    assert a != b
    torch.manual_seed(124)
    assert fn().tolist() != a


def test_generator_objects():
    g = torch.Generator()
    assert g.manual_seed(7) is g
    a = torch.rand(4, generator=g).tolist()
    g2 = torch.Generator().manual_seed(7)
    assert torch.rand(4, generator=g2).tolist() == a
    # a private generator leaves the global one alone
    torch.manual_seed(1)
    x = torch.rand(3).tolist()
    torch.manual_seed(1)
    torch.rand(3, generator=g)
    assert torch.rand(3).tolist() == x
    state = g.get_state()
    u = torch.rand(3, generator=g).tolist()
    g.set_state(state)
    assert torch.rand(3, generator=g).tolist() == u
    assert g.initial_seed() == 7
    assert isinstance(torch.default_generator, torch.Generator)


def test_global_rng_state_roundtrip():
    s = torch.get_rng_state()
    a = torch.randn(3).tolist()
    torch.set_rng_state(s)
    assert torch.randn(3).tolist() == a
    torch.manual_seed(5)
    assert torch.initial_seed() == 5


def test_inplace_random_methods():
    x = torch.empty(1000)
    assert x.uniform_(2, 3) is x
    assert x.numpy().min() >= 2 and x.numpy().max() < 3
    x.normal_(10, 0.1)
    assert abs(x.numpy().mean() - 10) < 0.05


# ----------------------------------------------------------------- dtypes

def test_dtype_aliases():
    assert torch.float is torch.float32 and torch.double is torch.float64
    assert torch.long is torch.int64 and torch.int is torch.int32 and torch.half is torch.float16
    assert torch.short is torch.int16 and torch.cfloat is torch.complex64
    assert repr(torch.float32) == "torch.float32"


@pytest.mark.parametrize("dtype", DTYPE_NAMES)
def test_itemsize_and_kind(dtype):
    d = tdt(dtype)
    assert d.itemsize == np.dtype(dtype).itemsize
    t = torch.zeros(2, dtype=d)
    assert t.element_size() == d.itemsize and t.itemsize == d.itemsize
    assert t.nbytes == 2 * d.itemsize
    assert d.is_floating_point == dtype.startswith("float")
    assert t.is_floating_point() == dtype.startswith("float")
    assert torch.is_floating_point(t) == dtype.startswith("float")
    assert d.is_complex == dtype.startswith("complex")
    assert t.is_complex() == dtype.startswith("complex")


def test_default_dtype():
    assert torch.get_default_dtype() == torch.float32
    try:
        torch.set_default_dtype(torch.float64)
        assert torch.get_default_dtype() == torch.float64
        assert torch.tensor([1.5]).dtype == torch.float64
        assert torch.ones(2).dtype == torch.float64
        assert torch.arange(0, 1, 0.5).dtype == torch.float64
        assert (torch.tensor([1, 2]) * 2.5).dtype == torch.float64
        assert torch.tensor([1j]).dtype == torch.complex128
        assert torch.tensor([1]).exp().dtype == torch.float64
    finally:
        torch.set_default_dtype(torch.float32)
    assert torch.tensor([1.5]).dtype == torch.float32
    with pytest.raises(TypeError, match="only floating-point types are supported as the default type"):
        torch.set_default_dtype(torch.int64)
    assert torch.get_default_dtype() == torch.float32


def test_promote_types_function():
    assert torch.promote_types(torch.uint8, torch.int8) == torch.int16
    assert torch.promote_types(torch.float16, torch.int64) == torch.float16
    assert torch.promote_types(torch.complex64, torch.float64) == torch.complex128
    assert torch.promote_types(torch.bool, torch.bool) == torch.bool


def test_sizes_from_one_element_integer_tensors():
    # PyTorch's argument parser takes a one-element integer tensor as an int
    assert torch.zeros(torch.tensor(3)).shape == (3,)
    assert torch.ones(torch.tensor([2])).shape == (2,)
    assert torch.empty(torch.tensor(2), torch.tensor(3)).shape == (2, 3)
    assert torch.zeros((torch.tensor(2), 3)).shape == (2, 3)
    assert torch.arange(6).view(torch.tensor(2), 3).shape == (2, 3)
    assert torch.eye(torch.tensor(2)).tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert torch.eye(2, torch.tensor([3])).shape == (2, 3)
    with pytest.raises(TypeError, match=r"zeros\(\): argument 'size' \(position 1\) must be tuple of ints, not Tensor"):
        torch.zeros(torch.tensor([2, 3]))
    with pytest.raises(TypeError, match="must be tuple of ints, not Tensor"):
        torch.zeros(torch.tensor(3.0))
    with pytest.raises(TypeError, match=r"eye\(\): argument 'n' \(position 1\) must be int, not float"):
        torch.eye(2.0)
    with pytest.raises(TypeError, match=r"eye\(\): argument 'm' \(position 2\) must be int, not Tensor"):
        torch.eye(2, torch.tensor(3.0))
