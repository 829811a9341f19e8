"""Regression tests for wrong answers and unchecked inputs found in ctorch,
each named after what it was. The oracle is numpy for values and PyTorch's
documented behaviour for errors."""
import atexit
import importlib.util
import inspect
import math
import os
import tempfile
import warnings

import numpy as np
import pytest

import ctorch as torch
import ctorch.fft

NO_PYCUDA = importlib.util.find_spec("pycuda") is None
# PyTorch's CPU build refuses a CUDA device with AssertionError; with PyCUDA
# present but no GPU the error names the driver or the missing backend
CUDA_EXC = AssertionError if NO_PYCUDA else RuntimeError


# ---------------------------------------------------------------- numpy bridge

def test_np_array_of_a_tensor_shared_its_memory():
    t = torch.ones(3)
    a = np.array(t)
    a[0] = 5
    assert t.tolist() == [1.0, 1.0, 1.0]
    b = np.asarray(t)                      # asarray shares, as with PyTorch
    b[1] = 7
    assert t.tolist() == [1.0, 7.0, 1.0]
    c = np.array(t, dtype=np.float64)      # a converted copy
    c[2] = 9
    assert t.tolist() == [1.0, 7.0, 1.0] and c.dtype == np.float64


def test_np_array_copy_false_converting_dtype_is_refused():
    t = torch.ones(2)
    assert np.shares_memory(np.array(t, copy=False), np.asarray(t))
    with pytest.raises(ValueError, match="Unable to avoid copy"):
        np.array(t, dtype=np.float64, copy=False)


@pytest.mark.parametrize("convert", [np.asarray, np.array, lambda t: t.numpy()],
                         ids=["asarray", "array", "numpy"])
def test_numpy_of_a_tensor_requiring_grad_was_allowed(convert):
    t = torch.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"Can't call numpy\(\) on Tensor that requires grad"):
        convert(t)
    assert convert(t.detach()).tolist() == [1.0, 1.0, 1.0]


# ------------------------------------------------------------- device checks

# every public function with a `device` parameter, called with device="cuda"
DEVICE_CALLS = {
    "arange": lambda d: torch.arange(3, device=d),
    "as_tensor": lambda d: torch.as_tensor([1.0], device=d),
    "asarray": lambda d: torch.asarray([1.0], device=d),
    "empty": lambda d: torch.empty(2, device=d),
    "empty_like": lambda d: torch.empty_like(torch.ones(2), device=d),
    "eye": lambda d: torch.eye(2, device=d),
    "full": lambda d: torch.full((2,), 1.0, device=d),
    "full_like": lambda d: torch.full_like(torch.ones(2), 1.0, device=d),
    "linspace": lambda d: torch.linspace(0, 1, 3, device=d),
    "logspace": lambda d: torch.logspace(0, 1, 3, device=d),
    "ones": lambda d: torch.ones(2, device=d),
    "ones_like": lambda d: torch.ones_like(torch.ones(2), device=d),
    "rand": lambda d: torch.rand(2, device=d),
    "rand_like": lambda d: torch.rand_like(torch.ones(2), device=d),
    "randint": lambda d: torch.randint(0, 3, (2,), device=d),
    "randint_like": lambda d: torch.randint_like(torch.ones(2), 3, device=d),
    "randn": lambda d: torch.randn(2, device=d),
    "randn_like": lambda d: torch.randn_like(torch.ones(2), device=d),
    "randperm": lambda d: torch.randperm(3, device=d),
    "range": lambda d: torch.range(0, 2, device=d),
    "scalar_tensor": lambda d: torch.scalar_tensor(1.0, device=d),
    "tensor": lambda d: torch.tensor([1.0], device=d),
    "tril_indices": lambda d: torch.tril_indices(3, 3, device=d),
    "triu_indices": lambda d: torch.triu_indices(3, 3, device=d),
    "zeros": lambda d: torch.zeros(2, device=d),
    "zeros_like": lambda d: torch.zeros_like(torch.ones(2), device=d),
    "bartlett_window": lambda d: torch.bartlett_window(4, device=d),
    "blackman_window": lambda d: torch.blackman_window(4, device=d),
    "hamming_window": lambda d: torch.hamming_window(4, device=d),
    "hann_window": lambda d: torch.hann_window(4, device=d),
    "kaiser_window": lambda d: torch.kaiser_window(4, device=d),
    "empty_strided": lambda d: torch.empty_strided((2, 3), (1, 2), device=d),
    "empty_permuted": lambda d: torch.empty_permuted((2, 3), (1, 0), device=d),
    "normal": lambda d: torch.normal(0.0, 1.0, (2,), device=d),
    "from_file": lambda d: torch.from_file(_small_file(), size=2, device=d),
    "fft.fftfreq": lambda d: torch.fft.fftfreq(4, device=d),
    "fft.rfftfreq": lambda d: torch.fft.rfftfreq(4, device=d),
    "Tensor": lambda d: torch.Tensor([1.0], device=d),
    "Tensor.new_zeros": lambda d: torch.ones(2).new_zeros(2, device=d),
    "Tensor.new_tensor": lambda d: torch.ones(2).new_tensor([1.0], device=d),
}


def _small_file():
    """A file of 8 zero bytes (torch.from_file's input), made on first use."""
    path = os.path.join(tempfile.gettempdir(), f"ctorch_from_file_{os.getpid()}.bin")
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(bytes(8))
        atexit.register(os.remove, path)
    return path


def _functions_with_device(module, prefix=""):
    names = set()
    for n in dir(module):
        f = getattr(module, n)
        if n.startswith("_") or isinstance(f, type) or not callable(f):
            continue
        try:
            params = inspect.signature(f).parameters
        except (TypeError, ValueError):
            continue
        if "device" in params:
            names.add(prefix + n)
    return names


def test_device_calls_cover_every_function_with_a_device_parameter():
    found = _functions_with_device(torch) | _functions_with_device(torch.fft, "fft.")
    assert found - set(DEVICE_CALLS) == set()


@pytest.mark.parametrize("name", sorted(DEVICE_CALLS))
def test_device_was_silently_ignored(name):
    warnings.simplefilter("ignore")             # torch.range's deprecation
    with pytest.raises(CUDA_EXC, match="CUDA"):
        DEVICE_CALLS[name]("cuda")
    assert DEVICE_CALLS[name]("cpu").device.type == "cpu"
    assert DEVICE_CALLS[name](None).device.type == "cpu"


def test_cuda_generator_was_accepted():
    with pytest.raises(RuntimeError, match="CUDA"):
        torch.Generator(device="cuda")
    assert torch.Generator(device="cpu").device.type == "cpu"


# ---------------------------------------------------------- factories' out=

def _perm_ok(v, n):
    return sorted(v.tolist()) == list(range(n))


# name -> (call(out, **kw), out's dtype, expected values (numpy) or a check)
FACTORIES_OUT = {
    "zeros": (lambda o, **k: torch.zeros(2, 3, out=o, **k), torch.int64, np.zeros((2, 3))),
    "ones": (lambda o, **k: torch.ones(3, out=o, **k), torch.float32, np.ones(3)),
    "full": (lambda o, **k: torch.full((3,), 1.5, out=o, **k), torch.int64, np.full(3, 1)),
    "empty": (lambda o, **k: torch.empty(0, 2, out=o, **k), torch.float64, np.empty((0, 2))),
    "eye": (lambda o, **k: torch.eye(2, 3, out=o, **k), torch.int32, np.eye(2, 3)),
    "arange": (lambda o, **k: torch.arange(5, out=o, **k), torch.int64, np.arange(5)),
    "range": (lambda o, **k: torch.range(1, 3, out=o, **k), torch.float64, np.arange(1.0, 4.0)),
    "linspace": (lambda o, **k: torch.linspace(0, 1, 5, out=o, **k), torch.float32,
                 np.linspace(0, 1, 5)),
    "linspace_int": (lambda o, **k: torch.linspace(0, 10, 5, out=o, **k), torch.int64,
                     np.array([0, 2, 5, 7, 10])),
    "logspace": (lambda o, **k: torch.logspace(0, 2, 3, out=o, **k), torch.float64,
                 np.logspace(0, 2, 3)),
    "randperm": (lambda o, **k: torch.randperm(6, out=o, **k), torch.float32,
                 lambda v: _perm_ok(v, 6)),
    "randint": (lambda o, **k: torch.randint(2, 5, (50,), out=o, **k), torch.int16,
                lambda v: v.shape == (50,) and 2 <= v.min().item() and v.max().item() < 5),
    "rand": (lambda o, **k: torch.rand(50, out=o, **k), torch.float64,
             lambda v: v.shape == (50,) and 0 <= v.min().item() and v.max().item() < 1),
    "randn": (lambda o, **k: torch.randn(4, 5, out=o, **k), torch.float32,
              lambda v: v.shape == (4, 5) and v.std().item() > 0),
}


@pytest.mark.parametrize("name", sorted(FACTORIES_OUT))
def test_factory_out_was_ignored(name):
    call, dt, expect = FACTORIES_OUT[name]
    warnings.simplefilter("ignore")
    out = torch.full((2, 2), 7, dtype=dt)            # another shape: resized
    r = call(out)
    assert r is out and out.dtype == dt
    if callable(expect):
        assert expect(out)
    else:
        assert out.shape == expect.shape
        if out.numel():
            np.testing.assert_array_equal(out.numpy(), expect.astype(out.numpy().dtype))


@pytest.mark.parametrize("name", sorted(FACTORIES_OUT))
def test_factory_out_is_checked(name):
    call, dt, _ = FACTORIES_OUT[name]
    warnings.simplefilter("ignore")
    other = torch.complex64                          # no factory's out dtype here
    with pytest.raises(RuntimeError, match=r"dtype ComplexFloat does not match dtype of out parameter"):
        call(torch.zeros(2, dtype=dt), dtype=other)
    with pytest.raises(RuntimeError, match="functions with out=... arguments don't support automatic"):
        call(torch.zeros(2, dtype=torch.float64, requires_grad=True))
    with pytest.raises(TypeError, match="argument 'out' must be Tensor, not list"):
        call([1, 2])


def test_arange_out_keeps_a_shape_with_as_many_elements():
    out = torch.zeros(2, 3)
    assert torch.arange(6, out=out) is out
    assert out.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    with pytest.warns(UserWarning, match="The out tensor will be resized to a tensor of shape"):
        torch.arange(4, out=out)
    assert out.tolist() == [0.0, 1.0, 2.0, 3.0]


def test_factory_out_into_a_view_writes_the_base():
    base = torch.zeros(4, 2)
    torch.ones(4, out=base[:, 0])
    assert base.tolist() == [[1.0, 0.0]] * 4


def test_factory_requires_grad_with_out():
    out = torch.zeros(3)
    r = torch.ones(3, out=out, requires_grad=True)
    assert r is out and out.requires_grad


@pytest.mark.parametrize("fn", ["linspace", "logspace"])
def test_bool_linspace_returned_values(fn):
    with pytest.raises(NotImplementedError, match=f'"{fn}_cpu" not implemented for \'Bool\''):
        getattr(torch, fn)(0, 1, 3, dtype=torch.bool)


@pytest.mark.parametrize("fn,kernel", [("rand", "check_uniform_bounds"), ("randn", "normal_kernel_cpu")])
def test_random_fill_of_an_integer_dtype_error_type(fn, kernel):
    with pytest.raises(NotImplementedError, match=f'"{kernel}" not implemented for \'Long\''):
        getattr(torch, fn)(3, dtype=torch.int64)


# --------------------------------------------------------------- wrong values

def test_isclose_said_true_for_opposite_infinities():
    inf = float("inf")
    a = torch.tensor([inf, -inf, 0.0, 0.0, inf, -inf, 1.0])
    b = torch.tensor([-inf, inf, inf, -inf, inf, -inf, 1.0 + 1e-9])
    got = torch.isclose(a, b).tolist()
    assert got == np.isclose(a.numpy(), b.numpy()).tolist()
    assert got == [False, False, False, False, True, True, True]
    assert not torch.allclose(torch.tensor([inf]), torch.tensor([-inf]))


def test_isclose_of_bools_and_of_mismatched_dtypes():
    # bool tensors compare equal-or-not (their subtraction raised); operands
    # of two dtypes, or a number as `other`, raise as in PyTorch
    a, b = torch.tensor([True, False, True]), torch.tensor([True, True, True])
    assert torch.isclose(a, b).tolist() == [True, False, True]
    assert torch.isclose(a, b, equal_nan=True).tolist() == [True, False, True]
    assert torch.allclose(a, a) and not torch.allclose(a, b)
    with pytest.raises(RuntimeError, match="Long did not match Float"):
        torch.isclose(torch.tensor([1, 2]), torch.tensor([1.0, 2.0]))
    with pytest.raises(RuntimeError, match="Float did not match Double"):
        torch.allclose(torch.ones(2), torch.ones(2, dtype=torch.float64))
    with pytest.raises(TypeError, match="argument 'other' \\(position 2\\) must be Tensor, not float"):
        torch.isclose(torch.ones(2), 1.0)


def test_gradient_of_zero_to_the_x_was_nan():
    # d(0 ** x)/dx: -inf for x < 0 (0 ** x * log 0), 0 for x >= 0 (as PyTorch)
    x = torch.tensor([-2.0, 0.0, 0.5, 2.0], dtype=torch.float64, requires_grad=True)
    (0 ** x).sum().backward()
    assert x.grad.tolist() == [float("-inf"), 0.0, 0.0, 0.0]
    # a positive base: finite differences
    y = torch.tensor([-1.5, 0.0, 0.7], dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: 2.5 ** t, (y,))


@pytest.mark.parametrize("values", [
    [[2.0, 0.0, 3.0, 0.0, 5.0], [1.5, 2.0, 0.0, 4.0, 0.5]],   # one zero, two zeros
    [[0.0, 2.0, 3.0, 4.0, 5.0], [1.0, 2.0, 3.0, 4.0, 0.0]],   # first and last
    [[0.0, 0.0, 0.0, 1.0, 2.0], [1.0, -2.0, 0.5, 4.0, 1.5]],  # all-but-two, none
])
def test_cumprod_gradient_refused_inputs_with_zeros(values):
    # the slopes at and after a zero are products of the other elements
    x = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    for dim in (0, 1):
        assert torch.autograd.gradcheck(lambda t: t.cumprod(dim), (x,))
    x.cumprod(1).sum().backward()
    a = np.array(values)
    expected = np.zeros_like(a)
    for r in range(a.shape[0]):
        for i in range(a.shape[1]):
            for j in range(i, a.shape[1]):
                expected[r, i] += np.prod(np.delete(a[r, :j + 1], i))
    assert np.array_equal(x.grad.numpy(), expected)
    z = (torch.randn(3, 4, dtype=torch.complex128) * torch.tensor([1, 0, 1, 1])).requires_grad_()
    assert torch.autograd.gradcheck(lambda t: t.cumprod(1), (z,))


def test_cumprod_gradient_lost_float32_accuracy():
    # the sum over j >= i was taken as total - cumsum + term: in float32 that
    # cancelled to 44% error on some entries of a (20, 30, 40) input
    rng = np.random.default_rng(0)
    a = rng.standard_normal((20, 30, 40))
    for dim in (0, 1, 2):
        g = rng.standard_normal(a.shape)
        grads = []
        for dt in (torch.float32, torch.float64):
            x = torch.tensor(a, dtype=dt, requires_grad=True)
            x.cumprod(dim).backward(torch.tensor(g, dtype=dt))
            grads.append(x.grad.double().numpy())
        scale = np.abs(grads[1]).max()
        assert (np.abs(grads[0] - grads[1]) / (np.abs(grads[1]) + 1e-3 * scale)).max() < 1e-4


@pytest.mark.parametrize("leaf_dtype", [torch.float32, torch.float16])
def test_gradient_had_the_reduction_dtype_not_the_leafs(leaf_dtype):
    x = torch.ones(3, dtype=leaf_dtype, requires_grad=True)
    x.sum(dtype=torch.float64).backward()
    assert x.grad.dtype == leaf_dtype and x.grad.tolist() == [1.0, 1.0, 1.0]
    x.grad = None
    (x.to(torch.float64) * 2).sum().backward()
    assert x.grad.dtype == leaf_dtype and x.grad.tolist() == [2.0, 2.0, 2.0]


def test_float16_mean_and_var_overflowed():
    # PyTorch accumulates half reductions in float32; a half sum itself overflows
    h = torch.full((100,), 1000.0, dtype=torch.float16)
    assert h.mean().item() == 1000.0 and h.mean().dtype == torch.float16
    assert h.var().item() == 0.0 and h.std().item() == 0.0
    assert h.sum().item() == float("inf")
    x = np.random.default_rng(0).normal(0, 100, (64, 50)).astype(np.float16)
    t = torch.from_numpy(x)
    np.testing.assert_allclose(t.mean(1).numpy(), x.astype(np.float32).mean(1).astype(np.float16))
    np.testing.assert_allclose(t.var(0).float().numpy(), x.astype(np.float32).var(0, ddof=1),
                               rtol=1e-3)
    v, m = torch.var_mean(t)
    assert v.dtype == m.dtype == torch.float16
    assert abs(m.item() - x.astype(np.float32).mean()) < 1e-2


# ------------------------------------------------------------ memory overlap

INTERNAL = "more than one element of the written-to tensor refers to a single memory location"
PARTIAL = "some elements of the input tensor and the written-to tensor refer to a single memory"

# (id, call on a fresh x = arange(4.), expected error or None and the values)
OVERLAP_CASES = [
    ("inplace_into_expanded", lambda x: torch.zeros(1).expand(3).add_(1), INTERNAL),
    ("unary_inplace_into_expanded", lambda x: torch.zeros(3, 1).expand(3, 2).exp_(), INTERNAL),
    ("out_expanded", lambda x: torch.add(torch.ones(3), 1, out=torch.zeros(1).expand(3)), INTERNAL),
    ("unary_out_expanded", lambda x: torch.neg(torch.ones(3), out=torch.zeros(1).expand(3)), INTERNAL),
    ("out_shifted_input", lambda x: torch.add(x[:3], 1, out=x[1:]), PARTIAL),
    ("unary_out_shifted_input", lambda x: torch.exp(x[:3], out=x[1:]), PARTIAL),
    ("inplace_shifted_input", lambda x: x[1:].add_(x[:3]), PARTIAL),
    ("inplace_transposed_self", lambda x: x.reshape(2, 2).add_(x.reshape(2, 2).t()), PARTIAL),
    ("where_out_shifted", lambda x: torch.where(x[:3] > 0, x[:3], x[:3], out=x[1:]), PARTIAL),
    ("lerp_out_shifted", lambda x: torch.lerp(x[:3], x[:3], 0.5, out=x[1:]), PARTIAL),
    ("complex_out_over_its_inputs",
     lambda x: torch.complex(x[:2], x[2:], out=torch.view_as_complex(x.view(2, 2))), PARTIAL),
    # indexed writes that read a source sharing memory with what they write
    # (any sharing, the same elements included, as PyTorch's rule for them)
    ("setitem_index_self", lambda x: x.__setitem__(torch.tensor([3, 2, 1, 0]), x), PARTIAL),
    ("setitem_index_shifted", lambda x: x.__setitem__(torch.tensor([1, 0]), x[1:3]), PARTIAL),
    ("setitem_index_0d_element", lambda x: x.__setitem__(torch.tensor([3, 2]), x[0]), PARTIAL),
    ("setitem_mask_rows", lambda x: x.__setitem__(x > 1, x[:2]), PARTIAL),
    ("setitem_index_2d", lambda x: x.view(2, 2).__setitem__(torch.tensor([1]), x.view(2, 2)[0]), PARTIAL),
    ("index_put_self", lambda x: x.index_put_((torch.tensor([3, 2, 1, 0]),), x), PARTIAL),
    ("index_put_accumulate_shifted",
     lambda x: x[:2].index_put_((torch.tensor([1, 0]),), x[1:3], accumulate=True), PARTIAL),
    ("index_add_self", lambda x: x.index_add_(0, torch.tensor([3, 2, 1, 0]), x), PARTIAL),
    ("index_copy_self", lambda x: x.index_copy_(0, torch.tensor([3, 2, 1, 0]), x), PARTIAL),
    ("index_reduce_self", lambda x: x.index_reduce_(0, torch.tensor([3, 2, 1, 0]), x, "amax"), PARTIAL),
    ("scatter_self", lambda x: x.scatter_(0, torch.tensor([3, 2, 1, 0]), x), PARTIAL),
    ("scatter_add_self", lambda x: x.scatter_add_(0, torch.tensor([3, 2, 1, 0]), x), PARTIAL),
    ("scatter_reduce_self", lambda x: x.scatter_reduce_(0, torch.tensor([3, 2, 1, 0]), x, "amax"), PARTIAL),
    ("put_self", lambda x: x.put_(torch.tensor([3, 2, 1, 0]), x), PARTIAL),
    # copies: copy_ and basic-index assignment refuse a source that partly
    # overlaps what they write (dense layouts only, as PyTorch judges it)
    ("copy_shifted", lambda x: x[:3].copy_(x[1:]), PARTIAL),
    ("setitem_slice_shifted", lambda x: x.__setitem__(slice(0, 3), x[1:]), PARTIAL),
    ("copy_transposed_self", lambda x: x.view(2, 2).copy_(x.view(2, 2).t()), PARTIAL),
    ("setitem_ellipsis_transposed", lambda x: x.view(2, 2).__setitem__(Ellipsis, x.view(2, 2).t()), PARTIAL),
    # allowed: the same elements, disjoint elements, an expanded input
    ("copy_same", lambda x: x.copy_(x), [0.0, 1.0, 2.0, 3.0]),
    ("setitem_slice_same", lambda x: x.__setitem__(slice(None), x) or x, [0.0, 1.0, 2.0, 3.0]),
    ("copy_strided_interleaved", lambda x: x[0::2].copy_(x[1::2]), [1.0, 3.0]),
    ("copy_expanded_element", lambda x: x[1:].copy_(x[0].expand(3)), [0.0, 0.0, 0.0]),
    ("copy_cast_of_shifted", lambda x: x[:3].copy_(x[1:].long()), [1.0, 2.0, 3.0]),
    ("setitem_index_disjoint", lambda x: x[:2].__setitem__(torch.tensor([1, 0]), x[2:]) or x,
     [3.0, 2.0, 2.0, 3.0]),
    ("setitem_mask_0d_element", lambda x: x.__setitem__(x > 1, x[0]) or x, [0.0, 1.0, 0.0, 0.0]),
    ("masked_fill_0d_element", lambda x: x.masked_fill_(x > 1, x[1]), [0.0, 1.0, 1.0, 1.0]),
    ("setitem_int_element", lambda x: x.__setitem__(0, x[1]) or x, [1.0, 1.0, 2.0, 3.0]),
    ("scatter_expanded_element", lambda x: x.scatter_(0, torch.tensor([3, 2]), x[0].expand(2)),
     [0.0, 1.0, 0.0, 0.0]),
    ("out_is_input", lambda x: torch.add(x, 1, out=x), [1.0, 2.0, 3.0, 4.0]),
    ("out_disjoint_steps", lambda x: torch.add(x[::2], 10, out=x[1::2]) is not None and x,
     [0.0, 10.0, 2.0, 12.0]),
    ("inplace_expanded_input", lambda x: x.add_(torch.ones(1).expand(4)), [1.0, 2.0, 3.0, 4.0]),
]


@pytest.mark.parametrize("case", OVERLAP_CASES, ids=[c[0] for c in OVERLAP_CASES])
def test_overlapping_write_was_silent(case):
    _, call, expect = case
    x = torch.arange(4.0)
    if isinstance(expect, str):
        with pytest.raises(RuntimeError, match=expect):
            call(x)
        assert x.tolist() == [0.0, 1.0, 2.0, 3.0]          # nothing was written
    else:
        assert call(x).tolist() == expect


# ------------------------------------------------- sizes, allocation, out=

@pytest.mark.parametrize("call", [
    lambda: torch.empty(2 ** 62), lambda: torch.zeros(2 ** 62), lambda: torch.ones(2 ** 62),
    lambda: torch.ones(2 ** 33, 2 ** 33), lambda: torch.arange(2 ** 62), lambda: torch.rand(2 ** 62),
    lambda: torch.randperm(2 ** 62), lambda: torch.eye(2 ** 31), lambda: torch.full((2 ** 62,), 1.0),
    lambda: torch.linspace(0, 1, 2 ** 62), lambda: torch.ones(2).new_zeros(2 ** 62),
    lambda: torch.ones(2).resize_(2 ** 62), lambda: torch.ones(2, 1).expand(2, 2 ** 62),
    lambda: torch.ones(3).view(2, 2 ** 62), lambda: torch.fft.fft2(torch.ones(2, 2), s=(2 ** 62, 4)),
])
def test_size_overflow_crashed_or_returned_garbage(call):
    # the element count wrapped: segfaults, or tensors over a too small storage
    with pytest.raises(RuntimeError, match="overflow|invalid for input of size"):
        call()


def test_failed_allocation_raised_memory_error():
    # PyTorch's allocator error is a RuntimeError, and the process goes on
    with pytest.raises(RuntimeError, match="can't allocate memory"):
        torch.empty(2 ** 45)
    assert torch.ones(3).sum().item() == 3.0


def test_empty_view_past_its_storage_had_no_numpy():
    x = torch.from_numpy(np.zeros((2, 0), np.float32))
    assert x[1].numpy().shape == (0,)


def test_lerp_out_of_another_dtype_wrote_raw_bytes():
    # the kernel ran in the inputs' dtype over out's memory
    a, b = torch.ones(3), torch.full((3,), 3.0)
    o = torch.lerp(a, b, 0.5, out=torch.zeros(3, dtype=torch.float64))
    assert o.dtype == torch.float64 and o.tolist() == [2.0, 2.0, 2.0]
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type Bool"):
        torch.lerp(a, b, 0.5, out=torch.zeros(3, dtype=torch.bool))
    with pytest.raises(RuntimeError, match="Found dtype Double but expected Float"):
        torch.lerp(a, b, torch.ones(3), out=torch.zeros(3, dtype=torch.float64))


def test_nan_to_num_of_integers_ignored_out_rules():
    with pytest.warns(UserWarning, match="was resized"):
        r = torch.nan_to_num(torch.ones(3, dtype=torch.int32), out=torch.zeros(2, dtype=torch.int32))
    assert r.tolist() == [1, 1, 1]
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        torch.nan_to_num(torch.tensor(5, dtype=torch.int32).expand(3),
                         out=torch.zeros(1, dtype=torch.int32).expand(3))


def test_refused_where_out_was_resized_first():
    o = torch.zeros(1, 3, dtype=torch.float16)
    with pytest.raises(RuntimeError, match="Expected out type to be ComplexDouble but got Half"):
        torch.where(torch.tensor([True]), torch.tensor(1.0, dtype=torch.float64),
                    torch.tensor(2 + 1j, dtype=torch.complex64), out=o)
    assert tuple(o.shape) == (1, 3)


def test_add_alpha_with_a_scalar_changed_a_0d_tensors_dtype():
    assert torch.add(torch.tensor(1, dtype=torch.uint8), 3, alpha=2).dtype == torch.uint8
    assert torch.sub(torch.tensor(1.0, dtype=torch.float16), 2.5, alpha=2).dtype == torch.float16
    assert torch.add(torch.ones(1), -2 ** 63, alpha=2).item() == -2.0 ** 64 + 1
    with pytest.raises(RuntimeError, match="Boolean alpha only supported for Boolean results"):
        torch.add(torch.tensor(1, dtype=torch.int32), True, alpha=True)


_F = torch.arange(6.0).reshape(2, 3)
# (call with out, the dtype PyTorch refuses, the message fragment)
OUT_DTYPE_RULES = [
    (lambda o: torch.mean(_F, 0, out=o), torch.int64, "result type Float can't be cast to the desired output type Long"),
    (lambda o: torch.var(_F, 0, out=o), torch.bool, "can't be cast to the desired output type Bool"),
    (lambda o: torch.sum(_F, 0, dtype=torch.float64, out=o), torch.float32, "Expected out tensor to have dtype double, but got float instead"),
    (lambda o: torch.amax(_F, 0, out=o), torch.float64, "Expected the dtype for input and out to match"),
    (lambda o: torch.argmax(_F, 0, out=o), torch.float32, "Expected out tensor to have dtype long int, but got float instead"),
    (lambda o: torch.any(_F, 0, out=o), torch.float32, "any only supports bool tensor for result, got: Float"),
    (lambda o: torch.mm(_F, _F.t(), out=o), torch.float64, "Expected out tensor to have dtype float, but got double instead"),
    (lambda o: torch.matmul(_F, _F[0], out=o), torch.int64, "Expected out tensor to have dtype float, but got long int instead"),
    (lambda o: torch.dot(_F[0], _F[1], out=o), torch.int64, "result dtype Long does not match input dtype Float"),
    (lambda o: torch.outer(_F[0], _F[1], out=o), torch.int64, "can't be cast to the desired output type Long"),
    (lambda o: torch.cat([_F, _F], out=o), torch.int64, "input types can't be cast to the desired output type Long"),
    (lambda o: torch.index_select(_F, 0, torch.tensor([0]), out=o), torch.float64, "self and result must have the same scalar type"),
    (lambda o: torch.gather(_F, 1, torch.tensor([[0], [1]]), out=o), torch.float64, "Expected out tensor to have dtype float"),
    (lambda o: torch.nonzero(_F, out=o), torch.float32, "Expected out tensor to have scalar type Long"),
    (lambda o: torch.tril(_F, out=o), torch.int64, "Expected out tensor to have dtype float"),
    (lambda o: torch.neg(torch.arange(3), out=o), torch.float32, "Found dtype Float but expected Long"),
    (lambda o: torch.clamp(_F, torch.zeros(3), 1, out=o), torch.float64, "Found dtype Double but expected Float"),
    (lambda o: torch.logsumexp(_F, 0, out=o), torch.int64, "Expected floating point type for result tensor"),
    (lambda o: torch.float_power(_F, 2, out=o), torch.float32, "result requires dtype Double"),
]


@pytest.mark.parametrize("k", range(len(OUT_DTYPE_RULES)))
def test_out_of_the_wrong_dtype_was_cast_into(k):
    call, bad, msg = OUT_DTYPE_RULES[k]
    with pytest.raises((RuntimeError, TypeError), match=msg):
        call(torch.zeros(3, dtype=bad))


# the calls whose result can require grad (an integer tensor cannot)
_FLOAT_OUT = [k for k, (call, _, _) in enumerate(OUT_DTYPE_RULES) if call(None).dtype.is_floating_point]


@pytest.mark.parametrize("k", _FLOAT_OUT)
def test_out_requiring_grad_was_written(k):
    call = OUT_DTYPE_RULES[k][0]
    r = call(None)
    with pytest.raises(RuntimeError, match="functions with out=... arguments don't support automatic "
                                           "differentiation, but one of the arguments requires grad"):
        call(torch.zeros(0, dtype=r.dtype, requires_grad=True))
    with torch.no_grad():                  # without autograd PyTorch writes it
        o = torch.zeros(0, dtype=r.dtype, requires_grad=True)
        assert call(o) is o and o.shape == r.shape


@pytest.mark.parametrize("call", [
    lambda o: torch.add(torch.ones(3, requires_grad=True), 1, out=o),
    lambda o: torch.exp(torch.ones(3, requires_grad=True), out=o),
    lambda o: torch.sum(torch.ones(2, 3, requires_grad=True), 0, out=o),
    lambda o: torch.mv(torch.ones(3, 3, requires_grad=True), torch.ones(3), out=o),
    lambda o: torch.where(torch.tensor([True, False, True]), torch.ones(3, requires_grad=True), 0.0, out=o),
    lambda o: torch.cat([torch.ones(1, requires_grad=True), torch.ones(2)], out=o),
])
def test_out_with_an_input_requiring_grad_was_written(call):
    with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
        call(torch.zeros(3))
    with torch.no_grad():
        call(torch.zeros(3))               # no autograd: PyTorch writes it


# ------------------------------------------------- wrong values found by the argument fuzzer

def test_clamp_ignored_a_nan_bound():
    x = torch.tensor([1.0, 2.0, float("nan")])
    for r in (x.clamp(min=float("nan")), x.clamp(max=float("nan")), x.clamp(0.0, float("nan")),
              torch.clip(x, float("nan"))):
        assert all(v != v for v in r.tolist())


def test_var_of_nothing_with_negative_correction_was_zero():
    assert torch.zeros(0).var(correction=-1).item() != torch.zeros(0).var(correction=-1).item()


def test_repeat_interleave_changed_the_repeats_dtype():
    r = torch.repeat_interleave(torch.tensor([1, 2], dtype=torch.int32))
    assert r.dtype == torch.int32 and r.tolist() == [0, 1, 1]


def test_mse_loss_with_a_0d_target_kept_the_narrower_dtype():
    with pytest.warns(UserWarning, match="target size"):
        r = torch.nn.functional.mse_loss(torch.ones(2, dtype=torch.float16), torch.tensor(3.0))
    assert r.dtype == torch.float32 and r.item() == 4.0


def test_empty_tensor_constructor_gave_a_0d_tensor_of_garbage():
    assert torch.Tensor().shape == (0,) and torch.Tensor().dtype == torch.float32
    with pytest.raises(TypeError, match="data must be a sequence"):
        torch.Tensor(2.5)
    assert torch.Tensor([1, 2]).tolist() == [1.0, 2.0] and torch.Tensor(2, 3).shape == (2, 3)


def test_linalg_out_was_broadcast_not_resized():
    with pytest.warns(UserWarning, match="was resized"):
        r = torch.linalg.det(2 * torch.eye(3), out=torch.zeros(4, 3))
    assert r.shape == () and r.item() == 8.0


def test_dtype_instances_could_be_made():
    with pytest.raises(TypeError, match="cannot create 'torch.dtype' instances"):
        torch.dtype("float")


def test_clamp_min_and_clamp_max_in_place_always_raised():
    assert torch.ones(3).clamp_min_(1.5).tolist() == [1.5, 1.5, 1.5]
    assert torch.ones(3).clamp_max_(0.5).tolist() == [0.5, 0.5, 0.5]
    assert torch.ones(3).clamp(np.int64(2)).tolist() == [2.0, 2.0, 2.0]   # a numpy bound


def test_flip_and_movedim_of_a_0d_tensor_leaked_index_errors():
    assert torch.flip(torch.tensor(3), (0,)).item() == 3
    assert torch.movedim(torch.tensor(2.5), -1, -1).item() == 2.5


def test_fftfreq_with_zero_spacing_divided_by_zero():
    assert str(torch.fft.fftfreq(3, 0).tolist()) == "[nan, inf, -inf]"


@pytest.mark.parametrize("args,match", [((0, 1, 0), "step must be nonzero"),
                                        ((2, float("inf")), "unsupported range"),
                                        ((3, 0, 1), "inconsistent with step sign")])
def test_range_leaked_python_errors(args, match):
    with pytest.warns(UserWarning, match="deprecated"), pytest.raises(RuntimeError, match=match):
        torch.range(*args)


@pytest.mark.parametrize("call", [
    lambda: torch.ones(2).bitwise_not(), lambda: torch.ones(2, dtype=torch.int64).frac(),
    lambda: torch.ones(2, dtype=torch.complex64).max(), lambda: torch.tensor([True]) // torch.tensor([True]),
    lambda: torch.ones(2, dtype=torch.bool).lerp(torch.ones(2, dtype=torch.bool), 0.5),
])
def test_missing_kernels_raised_runtime_error_not_not_implemented_error(call):
    # PyTorch: '"<kernel>" not implemented for <dtype>' is a NotImplementedError
    with pytest.raises(NotImplementedError, match="not implemented for"):
        call()


def test_shape_errors_came_before_missing_kernel_errors():
    # PyTorch checks broadcasting and the out= cast before it looks for a kernel
    with pytest.raises(RuntimeError, match="must match the size"):
        torch.bitwise_and(torch.ones(2, 3), torch.ones(4))
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type Byte"):
        torch.ones(2, dtype=torch.uint8).bitwise_or_(float("nan"))


@pytest.mark.parametrize("call,exc,match", [
    (lambda: torch.einsum(-6), ValueError, "must specify the equation string"),
    (lambda: torch.atleast_1d(0), TypeError, "must be tuple of Tensors"),
    (lambda: torch.atleast_2d(1.5), TypeError, "must be tuple of Tensors"),
    (lambda: torch.fft.fftfreq(3, dtype=1), TypeError, "argument 'dtype' must be torch.dtype"),
    (lambda: torch.ones(3).histogram(range={}), TypeError, "invalid combination of arguments"),
    (lambda: torch.ones(3).histogram(range=(0,)), RuntimeError, "range should have 2 elements"),
    (lambda: torch.set_num_threads(float("nan")), RuntimeError, "expects an int, but got float"),
    (lambda: torch.manual_seed("abc"), ValueError, "invalid literal"),
    (lambda: torch.masked_fill(torch.ones(2, 3), torch.ones(4, dtype=torch.bool), 1.0), RuntimeError,
     "must match the size"),
])
def test_python_internal_errors_leaked(call, exc, match):
    # AttributeError / KeyError / IndexError / ValueError from the implementation
    with pytest.raises(exc, match=match):
        call()


def test_an_integer_device_raised_assertion_error():
    # without an accelerator, PyTorch's RuntimeError (with PyCUDA, the driver's error)
    match = "Cannot access accelerator device when none is available" if NO_PYCUDA else ""
    with pytest.raises(RuntimeError, match=match):
        torch.ones(2, device=1)


def test_einsum_sublist_form():
    a, b = torch.randn(2, 3), torch.randn(3, 4)
    assert torch.allclose(torch.einsum(a, [0, 1], b, [1, 2], [0, 2]), a @ b)
    assert torch.allclose(torch.einsum(a, [0, 1], b, [1, 2]), a @ b)
    assert torch.allclose(torch.einsum(a, [Ellipsis, 1], [Ellipsis]), a.sum(1))


def test_abs_of_complex_into_complex_out_was_refused():
    c = torch.tensor([3 + 4j], dtype=torch.complex128)
    assert torch.abs(c, out=torch.zeros(1, dtype=torch.complex128)).tolist() == [5 + 0j]
    assert torch.abs(c, out=torch.zeros(1, dtype=torch.float32)).tolist() == [5.0]
    with pytest.raises(RuntimeError, match="Found dtype ComplexFloat but expected ComplexDouble"):
        torch.abs(c, out=torch.zeros(1, dtype=torch.complex64))


def test_nan_to_num_in_place_on_an_expanded_integer_tensor_was_refused():
    # nothing to replace in an integer tensor: PyTorch copies it onto itself
    assert torch.tensor([True]).expand(3).nan_to_num_().tolist() == [True, True, True]


def test_fft_out_with_a_cropping_size_leaked_a_numpy_error():
    r = torch.fft.ifft2(torch.eye(3), s=(2, 3), out=torch.ones(2, 3, dtype=torch.complex64))
    np.testing.assert_allclose(r.numpy(), np.fft.ifft2(np.eye(3), s=(2, 3)), rtol=1e-6, atol=1e-7)


def test_where_with_a_scalar_outside_the_dtype_wrapped():
    c = torch.tensor([True, False])
    with pytest.raises(RuntimeError, match="type uint8_t without overflow"):
        torch.where(c, torch.ones(2, dtype=torch.uint8), 300)
    assert torch.where(c, torch.ones(2, dtype=torch.uint8), -1).tolist() == [1, 255]
    assert torch.where(c, torch.ones(2, dtype=torch.float16), 1e6).tolist() == [1.0, float("inf")]


@pytest.mark.parametrize("args", [(2 ** 62, 1), (2 ** 31, 2 ** 31), (3, 2 ** 62)])
def test_tril_indices_of_huge_sizes_hung(args):
    # the indices were counted row by row: 2**62 rows never ended
    with pytest.raises(RuntimeError, match="overflow"):
        torch.tril_indices(*args) if args != (3, 2 ** 62) else torch.triu_indices(*args)


def test_tril_and_triu_indices_match_numpy():
    for r in range(5):
        for c in range(5):
            for o in range(-6, 7):
                for ours, ref in ((torch.tril_indices, np.tril_indices), (torch.triu_indices, np.triu_indices)):
                    exp = np.array(ref(r, o, c)) if r and c else np.zeros((2, 0), dtype=np.int64)
                    assert np.array_equal(ours(r, c, o).numpy(), exp), (r, c, o, ours.__name__)
    assert torch.tril_indices(2 ** 62, 3, -2 ** 62).shape == (2, 0)     # no rows visited


@pytest.mark.parametrize("call,match", [
    (lambda: torch.nn.functional.cross_entropy(torch.ones(2, 3), torch.ones(2, 3), 5),
     "argument 'weight' \\(position 3\\) must be Tensor, not int"),
    (lambda: torch.median(torch.tensor(2.5), -1, out={}), "argument 'out' must be tuple of Tensors"),
    (lambda: torch.max(torch.ones(2, 3), 1, out=[torch.zeros(2)]), "argument 'out' must be tuple of Tensors"),
])
def test_bad_weight_and_out_leaked_attribute_and_key_errors(call, match):
    with pytest.raises(TypeError, match=match):
        call()


def test_python_ints_from_2_63_to_2_64_were_refused_in_arithmetic():
    # PyTorch reads them as uint64 and wraps (comparisons included)
    assert (torch.tensor([0, 1]) + 2 ** 63).tolist() == [-2 ** 63, -2 ** 63 + 1]
    assert (torch.tensor([0, 1]) == 2 ** 63).tolist() == [False, False]
    assert (torch.tensor([0, 1], dtype=torch.int32) == 2 ** 63).tolist() == [True, False]
    with pytest.raises(OverflowError, match="int too big to convert"):
        torch.tensor([0, 1]) + 2 ** 64
    assert [c.tolist() for c in torch.chunk(torch.arange(4), torch.tensor(2))] == [[0, 1], [2, 3]]


@pytest.mark.parametrize("call", [lambda: torch.tensor_split(torch.ones(2, 3), 2 ** 62),
                                  lambda: torch.chunk(torch.empty(0, 3), 2 ** 62)])
def test_split_into_2_62_pieces_hung(call):
    with pytest.raises(RuntimeError, match="cannot create std::vector larger than max_size"):
        call()


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_isinf_of_negative_infinity_wrote_255_into_bool(dtype):
    """glibc's isinf gives -1 for -inf; the bool result held 255 (its sum was 510)."""
    t = torch.isinf(torch.tensor([-math.inf, -math.inf, math.inf, 1.0], dtype=getattr(torch, dtype)))
    assert t.to(torch.uint8).tolist() == [1, 1, 1, 0]
    assert t.sum().item() == 3


_TWO_PASS_X = [10.0, 1.0, 0.5, 1.5707964, 100.0, 0.99, -3.0, 0.0, 1e30, 1e-30] * 150


@pytest.mark.parametrize("name, args", [
    ("exp", ()), ("exp2", ()), ("sinh", ()), ("cosh", ()), ("tan", ()), ("sin", ()), ("log", ()),
    ("log2", ()), ("log10", ()), ("logit", ()), ("pow", (-2.0,)), ("pow", (2.5,)), ("fmod", (0.3,)),
    ("remainder", (0.3,)), ("floor_divide", (0.3,)),
])
def test_in_place_two_pass_kernels_redid_finished_elements(name, args):
    """The float loops with a fast vector pass and a second pass for the rest
    chose the second pass's elements by testing them again: in place, those
    already finished held results, and exp_(10.) became exp(22026.) = inf."""
    x = torch.tensor(_TWO_PASS_X).abs() if name in ("logit", "pow") else torch.tensor(_TWO_PASS_X)
    want = getattr(x, name)(*args).numpy()
    got = x.clone()
    getattr(got, name + "_")(*args)
    np.testing.assert_array_equal(got.numpy(), want)
