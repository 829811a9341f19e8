"""The convolutions beyond the op table (tests/op_db_nn_conv.py): second-order
gradients, the two backward paths (the fused kernels, and the recorded ops
under create_graph) agreeing, integer and complex inputs, the padding='same'
warning and the torch-level names."""
import warnings

import numpy as np
import pytest

import ctorch as torch
import tests.op_db_nn  # noqa: F401  (the main table first: it appends this family's)
from tests.op_db_nn_conv import _np_conv, _np_conv_t

F = torch.nn.functional


def _t(rng, *shape):
    return torch.tensor(rng.standard_normal(shape)).requires_grad_(True)


@pytest.mark.parametrize("transposed", [False, True])
def test_gradgradcheck(transposed):
    rng = np.random.default_rng(0)
    x = _t(rng, 1, 4, 4, 3)
    if transposed:
        w, b = _t(rng, 4, 1, 2, 2), _t(rng, 2)
        fn = lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1,
                                                groups=2)
    else:
        w, b = _t(rng, 4, 2, 2, 2), _t(rng, 4)
        fn = lambda x, w, b: F.conv2d(x, w, b, stride=(1, 2), padding=1, dilation=(2, 1),
                                      groups=2)
    assert torch.autograd.gradgradcheck(fn, (x, w, b))


def test_unfold_fold_gradgradcheck():
    rng = np.random.default_rng(1)
    x = _t(rng, 1, 2, 4, 5)
    assert torch.autograd.gradgradcheck(lambda a: F.unfold(a, 2, padding=1, stride=(1, 2)), (x,))
    c = _t(rng, 1, 8, 6)
    assert torch.autograd.gradgradcheck(lambda a: F.fold(a, (3, 4), 2), (c,))


@pytest.mark.parametrize("transposed", [False, True])
def test_fused_and_recorded_backward_agree(transposed):
    # backward() runs the fused kernels; create_graph=True the recorded ops
    rng = np.random.default_rng(2)
    x = torch.tensor(rng.standard_normal((3, 6, 7, 5)).astype(np.float32)).requires_grad_(True)
    if transposed:
        w = torch.tensor(rng.standard_normal((6, 2, 3, 2)).astype(np.float32)).requires_grad_(True)
        fn = lambda: F.conv_transpose2d(x, w, stride=2, groups=3, output_padding=1)
    else:
        w = torch.tensor(rng.standard_normal((4, 3, 3, 2)).astype(np.float32)).requires_grad_(True)
        fn = lambda: F.conv2d(x, w, stride=2, padding=(1, 0), groups=2)
    g = torch.tensor(rng.standard_normal(tuple(fn().shape)).astype(np.float32))
    fn().backward(g)
    gx, gw = torch.autograd.grad(fn(), (x, w), g, create_graph=True)
    np.testing.assert_allclose(gx.detach().numpy(), x.grad.numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(gw.detach().numpy(), w.grad.numpy(), rtol=1e-5, atol=1e-5)


def test_integer_convolutions_are_exact():
    rng = np.random.default_rng(3)
    x = rng.integers(-5, 5, (2, 4, 6, 5))
    w = rng.integers(-5, 5, (4, 2, 3, 2))
    r = F.conv2d(torch.tensor(x), torch.tensor(w), stride=(2, 1), padding=1, groups=2)
    assert r.dtype == torch.int64
    np.testing.assert_array_equal(r.numpy(), _np_conv(x, w, None, (2, 1), 1, 1, 2).astype(np.int64))
    wt = rng.integers(-5, 5, (4, 2, 2, 2))
    r = F.conv_transpose2d(torch.tensor(x), torch.tensor(wt), stride=2)
    np.testing.assert_array_equal(r.numpy(), _np_conv_t(x, wt, None, 2).astype(np.int64))


def _np_conv_complex(x, w, **kw):
    rr = lambda a, b: _np_conv(a, b, **kw)
    return (rr(x.real, w.real) - rr(x.imag, w.imag)) + 1j * (rr(x.real, w.imag) + rr(x.imag, w.real))


def test_complex_convolution():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((2, 3, 5, 6)) + 1j * rng.standard_normal((2, 3, 5, 6))
    w = rng.standard_normal((2, 3, 2, 3)) + 1j * rng.standard_normal((2, 3, 2, 3))
    r = F.conv2d(torch.tensor(x), torch.tensor(w), padding=1)
    assert r.dtype == torch.complex128
    np.testing.assert_allclose(r.numpy(), _np_conv_complex(x, w, padding=1), rtol=1e-12,
                               atol=1e-12)
    r = F.conv2d(torch.tensor(x.astype(np.complex64)), torch.tensor(w.astype(np.complex64)))
    assert r.dtype == torch.complex64
    np.testing.assert_allclose(r.numpy(), _np_conv_complex(x, w), rtol=1e-4, atol=1e-4)


def test_same_padding_with_an_even_kernel_warns():
    x, w = torch.randn(1, 2, 5, 5), torch.randn(3, 2, 2, 2)
    with pytest.warns(UserWarning, match="padding='same' with even kernel lengths"):
        r = F.conv2d(x, w, padding="same")
    assert tuple(r.shape) == (1, 3, 5, 5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        F.conv2d(x, torch.randn(3, 2, 3, 3), padding="same")      # odd kernel: no warning


def test_torch_level_names_and_unbatched_grad_fn():
    for name in ("conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                 "conv_transpose3d"):
        assert getattr(torch, name) is getattr(F, name)
    x = torch.randn(2, 5, 5, requires_grad=True)
    y = F.conv2d(x, torch.randn(3, 2, 3, 3))
    assert tuple(y.shape) == (3, 3, 3) and type(y.grad_fn).__name__ == "SqueezeBackward1"
    y = torch.convolution(torch.randn(1, 2, 5, 5), torch.randn(3, 2, 3, 3, requires_grad=True),
                          None, [1, 1], [0, 0], [1, 1], False, [0, 0], 1)
    assert y.grad_fn.name() == "ConvolutionBackward0"


def test_empty_batch_and_half():
    w = torch.randn(3, 2, 3, 3)
    assert tuple(F.conv2d(torch.randn(0, 2, 5, 5), w).shape) == (0, 3, 3, 3)
    x = np.random.default_rng(5).standard_normal((1, 2, 5, 5)).astype(np.float16)
    r = F.conv2d(torch.tensor(x), w.half())
    assert r.dtype == torch.float16
    ref = _np_conv(x.astype(np.float64), w.half().float().numpy())
    np.testing.assert_allclose(r.float().numpy(), ref, rtol=1e-2, atol=1e-2)
