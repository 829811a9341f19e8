"""Pooling behaviour that is not a value of the op table (tests/op_db_nn_pool.py):
return_indices tuples and their indices, NaN propagation, integer and
float16 inputs, empty batches, torch-level tuple returns, higher-order
gradients and the index checks of max_unpool."""
import numpy as np
import pytest

import ctorch as torch
from tests import op_db_nn  # noqa: F401  (the main table loads the pooling entries first)
from tests.op_db_nn_pool import np_adaptive, np_max_pool

F = torch.nn.functional


@pytest.mark.parametrize("nd,shape,kw", [
    (1, (2, 3, 9), {"kernel_size": 3, "stride": 2, "padding": 1}),
    (2, (2, 3, 7, 6), {"kernel_size": 3, "stride": 2, "padding": 1, "dilation": 1}),
    (2, (3, 7, 6), {"kernel_size": (2, 3), "stride": 1, "dilation": (2, 1), "ceil_mode": True}),
    (3, (1, 2, 5, 4, 5), {"kernel_size": 2, "stride": 2, "ceil_mode": True}),
])
def test_return_indices_are_flat_plane_indices(nd, shape, kw):
    rng = np.random.default_rng(0)
    a = rng.standard_normal(shape)
    fn = getattr(F, f"max_pool{nd}d")
    v, i = fn(torch.tensor(a), return_indices=True, **kw)
    ev, ei = np_max_pool(a, nd, return_indices=True, **kw)
    assert i.dtype == torch.int64 and isinstance(fn(torch.tensor(a), return_indices=True, **kw), tuple)
    np.testing.assert_array_equal(i.numpy(), ei)
    np.testing.assert_allclose(v.numpy(), ev)
    # the *_with_indices forms give the same pair
    v2, i2 = getattr(F, f"max_pool{nd}d_with_indices")(torch.tensor(a), **kw)
    assert (i2 == i).all().item() and (v2 == v).all().item()


@pytest.mark.parametrize("nd,shape,out", [(1, (2, 3, 9), 4), (2, (2, 3, 7, 6), (3, 4)),
                                          (3, (1, 2, 5, 4, 5), (2, 3, 2))])
def test_adaptive_max_return_indices(nd, shape, out):
    a = np.random.default_rng(1).standard_normal(shape)
    v, i = getattr(F, f"adaptive_max_pool{nd}d")(torch.tensor(a), out, return_indices=True)
    ev, ei = np_adaptive(a, nd, out, "max", return_indices=True)
    np.testing.assert_array_equal(i.numpy(), ei)
    np.testing.assert_allclose(v.numpy(), ev)


def test_nan_propagates_and_the_last_nan_wins():
    nan, inf = float("nan"), float("inf")
    x = torch.tensor([[[nan, 1.0, nan, 2.0, -inf, -inf, 3.0, nan]]])
    v, i = F.max_pool1d(x, 4, return_indices=True)
    assert np.isnan(v.numpy()).all() and i.tolist() == [[[2, 7]]]
    v, i = F.adaptive_max_pool1d(x, 2, return_indices=True)
    assert np.isnan(v.numpy()).all() and i.tolist() == [[[2, 7]]]
    # a window of -inf keeps its first element
    v, i = F.max_pool1d(torch.full((1, 1, 4), -inf), 2, return_indices=True)
    assert i.tolist() == [[[0, 2]]]
    v = F.max_pool2d(torch.tensor([[[1.0, nan], [0.0, 5.0]]]), 2)
    assert np.isnan(v.item())


def test_integer_and_half_inputs():
    a = np.arange(-8, 8).reshape(1, 4, 4)
    for dt in (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64):
        src = np.abs(a) if dt == torch.uint8 else a
        r = F.max_pool2d(torch.tensor(src).to(dt), 2)
        assert r.dtype == dt
        np.testing.assert_array_equal(r.numpy(), np_max_pool(src, 2, 2))
    # int64 averages divide truncating toward zero, as C does
    r = F.avg_pool1d(torch.tensor([[[-3, -2, 5, 2, 7]]]), 2, ceil_mode=True)
    assert r.dtype == torch.int64 and r.tolist() == [[[-2, 3, 7]]]
    h = torch.randn(2, 3, 6, 6).half()
    assert F.max_pool2d(h, 2).dtype == torch.float16
    np.testing.assert_allclose(F.avg_pool2d(h, 2).float().numpy(),
                               F.avg_pool2d(h.float(), 2).numpy(), rtol=1e-3, atol=1e-3)
    assert F.adaptive_avg_pool2d(h, 3).dtype == torch.float16


def test_empty_batch_and_zero_output_size():
    assert tuple(F.max_pool2d(torch.randn(0, 3, 6, 6), 2).shape) == (0, 3, 3, 3)
    assert tuple(F.avg_pool2d(torch.randn(0, 3, 6, 6), 2).shape) == (0, 3, 3, 3)
    assert tuple(F.adaptive_avg_pool2d(torch.randn(2, 3, 6, 6), 0).shape) == (2, 3, 0, 0)
    assert tuple(F.adaptive_max_pool1d(torch.randn(2, 3, 6), 0).shape) == (2, 3, 0)
    assert tuple(F.adaptive_avg_pool2d(torch.randn(2, 0, 6, 6), 2).shape) == (2, 0, 2, 2)


def test_torch_level_forms_return_tuples():
    x = torch.randn(1, 2, 7)
    v, i = torch.max_pool1d_with_indices(x, 2)
    assert i.dtype == torch.int64 and tuple(v.shape) == (1, 2, 3)
    v2, i2 = torch.adaptive_max_pool1d(x, 3)
    assert tuple(i2.shape) == (1, 2, 3)
    assert (torch.max_pool1d(x, 2, []) == v).all().item()
    assert torch.max_pool2d.__name__ == "max_pool2d"


def test_adaptive_avg_to_one_is_a_mean():
    x = torch.randn(2, 3, 5, 4, requires_grad=True)
    r = F.adaptive_avg_pool2d(x, 1)
    assert type(r.grad_fn).__name__ == "MeanBackward1" and tuple(r.shape) == (2, 3, 1, 1)
    # float32 sums of 20 values in another order: a near-zero mean differs in
    # its last bits, hence the absolute tolerance
    np.testing.assert_allclose(r.detach().numpy(), x.detach().numpy().mean((2, 3), keepdims=True),
                               rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", ["max_pool2d", "avg_pool2d", "adaptive_avg_pool2d",
                                  "adaptive_max_pool2d", "avg_pool3d", "max_pool3d", "max_unpool2d"])
def test_gradgradcheck(name):
    rng = np.random.default_rng(2)
    x = torch.tensor(rng.standard_normal((1, 2, 4, 5))).requires_grad_(True)
    x3 = torch.tensor(rng.standard_normal((1, 2, 3, 4, 3))).requires_grad_(True)
    _, idx = F.max_pool2d(torch.randn(1, 2, 4, 4), 2, return_indices=True)
    fns = {
        "max_pool2d": (lambda a: F.max_pool2d(a, 2, 1), x),
        "avg_pool2d": (lambda a: F.avg_pool2d(a, 3, 2, 1, count_include_pad=False), x),
        "adaptive_avg_pool2d": (lambda a: F.adaptive_avg_pool2d(a, (3, 2)), x),
        "adaptive_max_pool2d": (lambda a: F.adaptive_max_pool2d(a, (3, 2)), x),
        "avg_pool3d": (lambda a: F.avg_pool3d(a, 2, 1), x3),
        "max_pool3d": (lambda a: F.max_pool3d(a, 2, 1), x3),
        "max_unpool2d": (lambda a: F.max_unpool2d(a, idx, 2), torch.tensor(
            rng.standard_normal((1, 2, 2, 2))).requires_grad_(True)),
    }
    fn, inp = fns[name]
    assert torch.autograd.gradgradcheck(fn, (inp,))


def test_max_unpool_round_trip_and_index_checks():
    x = torch.randn(2, 3, 6, 4)
    v, i = F.max_pool2d(x, 2, return_indices=True)
    u = F.max_unpool2d(v, i, 2)
    assert tuple(u.shape) == (2, 3, 6, 4)
    back = u.reshape(2, 3, -1).gather(2, i.reshape(2, 3, -1)).reshape(v.shape)
    assert (back == v).all().item() and int((u != 0).sum().item()) == v.numel()
    with pytest.raises(RuntimeError, match="Found an invalid max index: 99"):
        F.max_unpool2d(v, torch.full(v.shape, 99, dtype=torch.int64), 2)
    with pytest.raises(RuntimeError, match="elements in indices should be type int64"):
        F.max_unpool2d(v, i.int(), 2)


def test_max_pool_backward_sends_each_gradient_to_its_index():
    x = torch.tensor([[[[1.0, 3.0, 2.0], [0.0, 5.0, 4.0], [6.0, 1.0, 0.5]]]], requires_grad=True)
    F.max_pool2d(x, 2, 1).sum().backward()
    assert x.grad.tolist() == [[[[0.0, 0.0, 0.0], [0.0, 3.0, 0.0], [1.0, 0.0, 0.0]]]]


def test_fractional_max_pool_draws_from_the_default_generator():
    x = torch.randn(2, 3, 9, 8)
    torch.manual_seed(3)
    v, i = F.fractional_max_pool2d(x, 2, output_ratio=(0.5, 0.5), return_indices=True)
    assert tuple(v.shape) == (2, 3, 4, 4) and i.dtype == torch.int64
    # every value is the input's element at its index
    flat = x.reshape(2, 3, -1)
    assert (flat.gather(2, i.reshape(2, 3, -1)).reshape(v.shape) == v).all().item()
    torch.manual_seed(3)
    assert (F.fractional_max_pool2d(x, 2, output_ratio=(0.5, 0.5)) == v).all().item()


@pytest.mark.parametrize("call", [
    lambda x: F.max_pool2d(x, 3, 2, 1), lambda x: F.avg_pool2d(x, 2, ceil_mode=True),
    lambda x: F.adaptive_avg_pool2d(x, (3, 2)), lambda x: F.adaptive_avg_pool2d(x, 1),
    lambda x: F.adaptive_max_pool2d(x, 2), lambda x: F.max_pool1d(x.flatten(2), 3),
    lambda x: F.max_pool1d(x.flatten(2).detach(), 3, 2)])
def test_repeated_calls_give_the_same_results_and_nodes(call):
    # a repeated call with the same arguments skips the argument checks
    x = torch.randn(2, 3, 5, 6, requires_grad=True)
    a, b = call(x), call(x)
    assert (a == b).all().item()
    assert type(a.grad_fn).__name__ == type(b.grad_fn).__name__
    with pytest.raises((RuntimeError, IndexError, ValueError)):
        call(torch.randn(5))
