"""Conversions to python and numpy, dtype conversion methods, device plumbing."""
import gc
import importlib.util

import numpy as np
import pytest

import ctorch as torch
from helpers import DTYPE_NAMES, assert_close, tdt


@pytest.mark.parametrize("dtype,value,pytype", [("float32", 2.5, float), ("int64", -3, int), ("bool", True, bool),
                                                ("complex64", 1 + 2j, complex), ("uint8", 200, int),
                                                ("float16", 0.5, float)])
def test_item(dtype, value, pytype):
    t = torch.tensor([value], dtype=tdt(dtype))
    v = t.item()
    assert type(v) is pytype and v == value
    assert torch.tensor(value, dtype=tdt(dtype)).item() == value


def test_item_requires_one_element():
    with pytest.raises(RuntimeError, match="a Tensor with 2 elements cannot be converted to Scalar"):
        torch.ones(2).item()


def test_tolist():
    a = np.arange(6).reshape(2, 3)
    t = torch.tensor(a)
    assert t.tolist() == a.tolist()
    assert t.t().tolist() == a.T.tolist()
    assert torch.tensor(3.5).tolist() == 3.5
    assert torch.tensor([True, False]).tolist() == [True, False]
    assert torch.zeros(2, 0).tolist() == [[], []]
    assert type(torch.tensor([1.5], dtype=torch.float16).tolist()[0]) is float


def test_python_number_conversions():
    t = torch.tensor([2.7])
    assert float(t) == pytest.approx(2.7) and int(t) == 2 and bool(t) is True
    assert int(torch.tensor(-2.7)) == -2
    assert bool(torch.tensor([0])) is False
    assert complex(torch.tensor(1 + 1j)) == 1 + 1j
    assert [1, 2, 3][torch.tensor(1)] == 2              # __index__ of an integer tensor
    with pytest.raises(RuntimeError, match="Boolean value of Tensor with more than one value is ambiguous"):
        bool(torch.ones(2))
    with pytest.raises(RuntimeError):
        bool(torch.ones(0))
    with pytest.raises((TypeError, ValueError, RuntimeError)):
        float(torch.ones(3))
    with pytest.raises(TypeError):
        [1, 2][torch.tensor(1.0)]


def test_len_and_iter():
    t = torch.arange(6).view(3, 2)
    assert len(t) == 3
    rows = list(t)
    assert len(rows) == 3 and rows[1].tolist() == [2, 3]
    rows[0][0] = 9
    assert t[0, 0].item() == 9                          # rows are views
    with pytest.raises(TypeError, match="len\\(\\) of a 0-d tensor"):
        len(torch.tensor(1))
    with pytest.raises(TypeError, match="iteration over a 0-d tensor"):
        iter(torch.tensor(1))


CONVERSIONS = [("float", "float32"), ("double", "float64"), ("long", "int64"), ("int", "int32"),
               ("half", "float16"), ("bool", "bool"), ("short", "int16"), ("char", "int8"), ("byte", "uint8")]


@pytest.mark.parametrize("method,dtype", CONVERSIONS)
@pytest.mark.parametrize("src", ["float64", "int32", "bool"])
def test_conversion_methods(method, dtype, src):
    a = np.array([[0, 1.5], [-2.5, 3]], dtype=np.float64).astype(src)
    t = torch.tensor(a)
    r = getattr(t, method)()
    assert r.dtype == tdt(dtype)
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(r.numpy(), a.astype(dtype))
    if src == dtype:
        assert r is t


@pytest.mark.parametrize("dst", DTYPE_NAMES)
def test_to_dtype(dst):
    a = np.array([0.0, 1.0, -1.5, 2.75])
    t = torch.tensor(a)
    for r in (t.to(tdt(dst)), t.to(dtype=tdt(dst)), t.to("cpu", tdt(dst)), t.type(tdt(dst))):
        assert r.dtype == tdt(dst)
        with np.errstate(all="ignore"):
            np.testing.assert_array_equal(r.numpy(), a.astype(dst))
    assert t.to(torch.float64) is t
    assert t.to(torch.float64, copy=True) is not t


@pytest.mark.parametrize("other", [d for d in DTYPE_NAMES if d not in ("float16", "bfloat16")])
def test_half_casts_through_float(other):
    # casts with half go through float32 blocks: a value narrowed to half is
    # rounded to float first (as PyTorch rounds it: a double just above a
    # tie of halves after that rounding goes to the even half); widening is
    # exact. Every layout: dense, strided, broadcast, into strided out
    rng = np.random.default_rng(5)
    big = rng.standard_normal(3000) * np.array([1e-6, 1, 300, 7e4])[rng.integers(0, 4, 3000)]
    ties = np.array([1 + 2.0 ** -11 + 2.0 ** -40, -(1 + 2.0 ** -11 + 2.0 ** -40), 2049.0 + 2.0 ** -30,
                     65519.0, 65520.0, -65536.0, 6e-8, 3e-8 + 1e-20, 0.0, -0.0])
    a = np.concatenate([ties, big])
    if other.startswith("complex"):
        a = a + 1j * a[::-1]
    with np.errstate(all="ignore"):
        a = np.round(a).astype(other) if other.startswith(("int", "uint")) else a.astype(other)
        want = np.real(a).astype(np.float32).astype(np.float16)
    for src in (a, np.repeat(a, 2)[::2]):
        got = torch.from_numpy(src).to(torch.float16).numpy()
        assert np.array_equal(got.view(np.uint16), want.view(np.uint16))
    one = torch.from_numpy(a[11:12]).expand(5)
    assert np.array_equal(one.to(torch.float16).numpy(), np.repeat(want[11:12], 5))
    # widening: the half values (finite only for integer outputs)
    h = want[np.isfinite(want)] if other.startswith(("int", "uint")) else want
    with np.errstate(all="ignore"):
        back = h.astype(np.float32).astype(other)
    got = torch.from_numpy(h).to(tdt(other)).numpy()
    assert np.array_equal(got, back, equal_nan=True)
    out = torch.zeros(2 * len(h), dtype=tdt(other))[::2]
    out.copy_(torch.from_numpy(np.repeat(h, 3))[::3])
    assert np.array_equal(out.numpy(), back, equal_nan=True)


def test_to_device_and_type_string():
    t = torch.ones(2)
    assert t.to("cpu") is t
    assert t.to(torch.device("cpu")) is t
    assert t.to("cpu", torch.double).dtype == torch.float64
    assert t.type() == "torch.FloatTensor"
    assert t.long().type() == "torch.LongTensor"
    assert t.to(torch.zeros(1, dtype=torch.int16)).dtype == torch.int16


def test_float_to_int_conversion_truncates():
    t = torch.tensor([2.9, -2.9, 0.5])
    np.testing.assert_array_equal(t.long().numpy(), [2, -2, 0])
    assert torch.tensor([1.5, 0.0]).bool().tolist() == [True, False]
    c = torch.tensor([1.5 + 2j])
    assert c.float().tolist() == [1.5]


@pytest.mark.parametrize("src", ["float32", "float64"])
@pytest.mark.parametrize("dst", ["int32", "int16", "int8", "uint8"])
def test_float_to_narrow_int_truncates_through_int64(src, dst):
    # the vector loops (values within int32) and the values past it (the low
    # bits of the truncated int64), in dense and strided layouts, across
    # vector ends
    rng = np.random.default_rng(2)
    x = np.concatenate([rng.standard_normal(300) * 200, rng.standard_normal(300) * 3e9,
                        [2**31 - 0.5, -2**31, -2**31 - 1, 2**31, 255.5, -128.9, -0.0]])
    x = x.astype(src)
    want = x.astype(np.int64).astype(dst)
    t = torch.from_numpy(x)
    np.testing.assert_array_equal(t.to(getattr(torch, dst)).numpy(), want)
    np.testing.assert_array_equal(t[1::3].to(getattr(torch, dst)).numpy(), want[1::3])


# ----------------------------------------------------------------- numpy bridge

@pytest.mark.parametrize("dtype", DTYPE_NAMES)
def test_numpy_shares_memory_both_ways(dtype):
    t = torch.zeros(2, 3, dtype=tdt(dtype))
    a = t.numpy()
    assert a.dtype == np.dtype(dtype) and a.shape == (2, 3)
    a[0, 1] = 1
    assert t[0, 1].item() == 1
    t[1, 2] = 1
    assert a[1, 2] == 1


def test_numpy_of_views_keeps_strides():
    t = torch.arange(12).view(3, 4)
    v = t.t()[1:, ::2]
    a = v.numpy()
    np.testing.assert_array_equal(a, np.arange(12).reshape(3, 4).T[1:, ::2])
    assert a.strides == tuple(8 * s for s in v.stride())
    a[0, 0] = -1
    assert t[0, 1].item() == -1


def test_from_numpy_keeps_array_alive_and_strides():
    a = np.arange(20.0).reshape(4, 5)[:, 1::2]
    t = torch.from_numpy(a)
    assert t.stride() == (5, 2)
    expected = a.copy()
    del a
    gc.collect()
    _ = [np.ones(1000) for _ in range(50)]
    np.testing.assert_array_equal(t.numpy(), expected)
    b = np.arange(6.0)
    t = torch.from_numpy(b)
    del t
    gc.collect()
    b[0] = 1                   # the array outlives the tensor too


def test_from_numpy_errors():
    with pytest.raises(ValueError, match="At least one stride in the given numpy array is negative"):
        torch.from_numpy(np.arange(5)[::-1])
    with pytest.raises(TypeError, match="can't convert np.ndarray of type numpy.object_"):
        torch.from_numpy(np.array([object()]))
    with pytest.raises(TypeError):
        torch.from_numpy([1, 2])
    with pytest.raises(TypeError, match="can't convert np.ndarray of type numpy.uint16"):
        torch.from_numpy(np.zeros(2, dtype=np.uint16))
    with pytest.raises(ValueError, match="byte order different from the native byte order"):
        torch.from_numpy(np.zeros(2, dtype=">f8"))
    with pytest.raises(ValueError, match="strides not a multiple of the element byte size"):
        torch.from_numpy(np.lib.stride_tricks.as_strided(np.zeros(4, dtype=np.int32), (2,), (6,)))
    # every native dtype by its numpy type, a zero-size array, a transposed view
    for dt in ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64",
               "complex64", "complex128"):
        a = np.arange(6).reshape(2, 3).astype(dt)
        t = torch.from_numpy(a.T)
        assert t.dtype == getattr(torch, dt) and t.shape == (3, 2)
        np.testing.assert_array_equal(t.numpy(), a.T)
    assert torch.from_numpy(np.zeros((3, 0, 2))).shape == (3, 0, 2)
    assert torch.from_numpy(np.array(2.5)).item() == 2.5 and torch.from_numpy(np.array(2.5)).dim() == 0


def test_tensor_from_ndarray_copies():
    a = np.ones(3)
    t = torch.tensor(a)
    a[0] = 5
    assert t[0].item() == 1


def test_np_asarray_and_array():
    t = torch.arange(6.0).view(2, 3)
    a = np.asarray(t)
    assert a.dtype == np.float32 and a.shape == (2, 3)
    a[0, 0] = 7
    assert t[0, 0].item() == 7
    np.testing.assert_array_equal(np.array(t.t()), np.arange(6.0).reshape(2, 3).T * [[1, 1], [1, 1], [1, 1]]
                                  + np.array([[7, 0], [0, 0], [0, 0]]))


def test_ndarray_and_tensor_mix_gives_tensor():
    t = torch.tensor([1.0, 2.0])
    a = np.array([10.0, 20.0])
    for r in (t + a, a + t, t * a, a * t, a - t):
        assert isinstance(r, torch.Tensor), type(r)
    assert_close(t + a, np.array([11.0, 22.0]), "float64")
    assert_close(a - t, np.array([9.0, 18.0]), "float64")
    assert_close(t + np.float64(1.5), np.array([2.5, 3.5]), "float32")


# ------------------------------------------------------------------- devices

def test_devices():
    d = torch.device("cpu")
    assert d.type == "cpu" and str(d) == "cpu" and repr(d) == "device(type='cpu')"
    c = torch.device("cuda")
    assert c.type == "cuda" and c.index is None
    c0 = torch.device("cuda", 0)
    assert c0.index == 0 and str(c0) == "cuda:0"
    assert torch.device("cuda:1").index == 1
    assert torch.device("cpu") == torch.device("cpu")
    assert torch.device("cpu") != c0
    with pytest.raises(RuntimeError):
        torch.device("tpu")


def test_tensor_device_attributes():
    t = torch.ones(2)
    assert t.device == torch.device("cpu")
    assert t.is_cuda is False
    assert t.cpu() is t
    assert torch.ones(2, device="cpu").device.type == "cpu"


def test_cuda_unavailable_here():
    assert torch.cuda.is_available() is False
    # PyTorch's CPU build raises AssertionError; with PyCUDA but no GPU the
    # error is a RuntimeError naming the driver
    exc = AssertionError if importlib.util.find_spec("pycuda") is None else RuntimeError
    with pytest.raises(exc):
        torch.ones(2, device="cuda")
    with pytest.raises(exc):
        torch.ones(2).to("cuda")
    with pytest.raises(exc):
        torch.ones(2).cuda()
    with pytest.raises(exc):
        torch.tensor([1.0], device=torch.device("cuda", 0))


@pytest.mark.parametrize("perm", [(1, 0, 2), (2, 0, 1), (2, 1, 0)])
def test_copies_and_conversions_preserve_a_permuted_dense_layout(perm):
    """preserve_format (the default of clone, the conversions and the *_like
    functions): a permutation of a dense tensor keeps its strides;
    contiguous_format and contiguous() do not."""
    a = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    t = torch.from_numpy(a).permute(*perm)
    ref = a.transpose(perm)
    for r, dtype in ((t.clone(), np.float32), (torch.clone(t), np.float32), (t.double(), np.float64),
                     (t.to(torch.int32), np.int32), (t.half(), np.float16),
                     (t.type(torch.float64), np.float64)):
        assert r.stride() == t.stride()
        np.testing.assert_array_equal(r.numpy(), ref.astype(dtype))
    contig = tuple(int(np.prod(ref.shape[k + 1:])) for k in range(3))
    for r in (t.contiguous(), t.clone(memory_format=torch.contiguous_format)):
        assert r.is_contiguous() and r.stride() == contig
        np.testing.assert_array_equal(r.numpy(), ref)
    for r in (torch.empty_like(t), torch.zeros_like(t), torch.ones_like(t, dtype=torch.int64),
              torch.full_like(t, 2.0), torch.rand_like(t)):
        assert r.stride() == t.stride()
    np.testing.assert_array_equal(torch.full_like(t, 2.0).numpy(), np.full(ref.shape, 2.0, np.float32))
    assert torch.zeros_like(t, memory_format=torch.contiguous_format).stride() == contig
    g = torch.from_numpy(a)[:, :, ::2].permute(*perm)
    np.testing.assert_array_equal(g.clone().numpy(), a[:, :, ::2].transpose(perm))
    np.testing.assert_array_equal(g.double().numpy(), a[:, :, ::2].transpose(perm).astype(np.float64))


@pytest.mark.parametrize("dtype", ["bool", "uint8", "int8", "int16", "int32", "int64", "float16",
                                   "bfloat16", "float32", "float64", "complex64", "complex128"])
def test_tolist_of_large_and_small_tensors(dtype):
    # the same Python types and values on either side of the size where the
    # conversion goes through numpy, for a transposed view too
    dt = getattr(torch, dtype)
    t = (torch.arange(-300, 300).reshape(20, 30) / 7).to(dt)
    small = t[:3, :4]
    for x in (t, t.t(), small):
        got = x.tolist()
        flat = [v for row in got for v in row]
        want = [x[i, j].item() for i in range(x.shape[0]) for j in range(x.shape[1])]
        assert flat == want
        assert all(type(a) is type(b) for a, b in zip(flat, want))
