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


def _np_conv_grads(x, w, gy, stride, padding, dilation, groups):
    """gx and gw of y = conv(x, w) for the output gradient gy, in float64:
    per kernel offset, the strided slice of the padded input that the offset
    reads gets gy @ w[..., offset] added, and w[..., offset] gets the sum of
    gy times that slice."""
    import itertools
    x, w, gy = (np.asarray(a, dtype=np.float64) for a in (x, w, gy))
    n = w.ndim - 2
    s, p, d = ((v,) * n if isinstance(v, int) else tuple(v) for v in (stride, padding, dilation))
    k = w.shape[2:]
    xp = np.pad(x, [(0, 0), (0, 0)] + [(p[i], p[i]) for i in range(n)])
    gxp = np.zeros_like(xp)
    gw = np.zeros_like(w)
    out = gy.shape[2:]
    cg, og = x.shape[1] // groups, w.shape[0] // groups
    for g in range(groups):
        cs, os_ = slice(g * cg, (g + 1) * cg), slice(g * og, (g + 1) * og)
        for off in itertools.product(*[range(kk) for kk in k]):
            sl = tuple(slice(off[i] * d[i], off[i] * d[i] + s[i] * (out[i] - 1) + 1, s[i])
                       for i in range(n))
            idx = (slice(None), slice(None)) + off
            N = x.shape[0]
            gw[(os_, slice(None)) + off] += np.einsum(
                "nol,ncl->oc", gy[:, os_].reshape(N, og, -1),
                xp[(slice(None), cs) + sl].reshape(N, cg, -1))
            gxp[(slice(None), cs) + sl] += np.einsum("no...,oc->nc...", gy[:, os_],
                                                     w[os_][idx])
    gx = gxp[(slice(None), slice(None)) + tuple(slice(p[i], p[i] + x.shape[2 + i])
                                                for i in range(n))]
    return gx, gw


# The fused backward over shapes that take its different paths: small
# images (several images per weight-gradient product, a last partial
# chunk), rows shorter than, equal to and longer than a vector, with tails
# (widths 3, 16, 17, 40), a 32 x 32 image (rows 4 KB apart, padded), groups,
# dilation, stride along the last dim, 1-D and 3-D, one and two threads.
_FUSED_CASES = [
    # (x shape, w shape, stride, padding, dilation, groups)
    ((32, 16, 8, 8), (32, 16, 3, 3), 1, 1, 1, 1),
    ((7, 3, 5, 3), (6, 3, 3, 3), 1, 1, 1, 1),
    ((5, 4, 6, 17), (8, 2, 3, 3), 1, (1, 2), (1, 2), 2),
    ((3, 2, 4, 16), (5, 2, 2, 3), 1, 0, 1, 1),
    ((2, 3, 9, 40), (4, 3, 3, 3), (1, 2), 1, 1, 1),
    ((2, 16, 32, 32), (32, 16, 3, 3), 1, 1, 1, 1),
    ((9, 4, 30), (12, 4, 5), 1, 2, 1, 1),
    ((3, 2, 4, 5, 6), (4, 1, 3, 2, 3), 1, 1, 1, 2),
]


def _case_inputs(cases, case, seed, dtype):
    """A case's (x, w, bias) drawn from its seed, its function and its
    (stride, padding, dilation, groups)."""
    xs, ws, *args = cases[case]
    rng = np.random.default_rng(seed + case)
    xn, wn = rng.standard_normal(xs).astype(dtype), rng.standard_normal(ws).astype(dtype)
    bn = rng.standard_normal(ws[0]).astype(dtype)
    return rng, xn, wn, bn, {3: F.conv1d, 4: F.conv2d, 5: F.conv3d}[len(xs)], args


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", range(len(_FUSED_CASES)))
def test_fused_backward_against_numpy(case, dtype, threads):
    rng, xn, wn, bn, fn, (stride, padding, dilation, groups) = _case_inputs(_FUSED_CASES, case, 10, dtype)
    prev = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        x, w = torch.tensor(xn).requires_grad_(True), torch.tensor(wn).requires_grad_(True)
        b = torch.tensor(bn).requires_grad_(True)
        y = fn(x, w, b, stride, padding, dilation, groups)
        ref = _np_conv(xn, wn, bn, stride, padding, dilation, groups)
        gy = rng.standard_normal(ref.shape).astype(dtype)
        y.backward(torch.tensor(gy))
        gx, gw = _np_conv_grads(xn, wn, gy, stride, padding, dilation, groups)
        tol = 1e-4 if dtype == np.float32 else 1e-11
        np.testing.assert_allclose(y.detach().numpy(), ref, rtol=tol, atol=tol)
        np.testing.assert_allclose(x.grad.numpy(), gx, rtol=tol, atol=tol)
        np.testing.assert_allclose(w.grad.numpy(), gw, rtol=tol, atol=tol)
        np.testing.assert_allclose(b.grad.numpy(), gy.astype(np.float64).sum(
            axis=tuple(i for i in range(gy.ndim) if i != 1)), rtol=tol, atol=tol)
        # the input not requiring grad: the weight's gradient alone
        x2, w2 = torch.tensor(xn), torch.tensor(wn).requires_grad_(True)
        fn(x2, w2, None, stride, padding, dilation, groups).backward(torch.tensor(gy))
        np.testing.assert_allclose(w2.grad.numpy(), gw, rtol=tol, atol=tol)
    finally:
        torch.set_num_threads(prev)


# images cut into slabs of output rows: the forward's read in place (64
# channels through 3 x 3), packed in L2 (128 channels of 24 x 24), whole (256
# channels of 7 x 7), along the last dim of a 1-D input, the first of a 3-D
# one, the second of a 3-D one with planes wider than a slab and the last of
# a 2-D one with rows wider than a slab; the input gradient's (two images
# or more, more than 2 MB of columns each) adding each slab into the image;
# with groups, strides, dilation and padding that reach the slabs' borders
_SLAB_CASES = [
    # (x shape, w shape, stride, padding, dilation, groups)
    ((2, 64, 32, 33), (8, 64, 3, 3), 1, 1, 1, 1),
    ((3, 64, 20, 21), (6, 32, 3, 3), (2, 1), 2, (2, 1), 2),
    ((1, 128, 24, 24), (4, 128, 3, 3), 1, 1, 1, 1),
    ((1, 256, 7, 7), (4, 256, 3, 3), 1, 1, 1, 1),
    ((2, 16, 2000), (5, 16, 3), 2, 3, 2, 1),
    ((1, 8, 12, 11, 10), (3, 8, 3, 3, 3), 1, 1, 1, 1),
    ((2, 16, 8, 20, 19), (3, 16, 3, 3, 3), (2, 1, 1), 1, 1, 1),
    ((1, 64, 3, 300), (4, 64, 3, 3), 1, 1, 1, 1),
    ((3, 96, 30, 31), (4, 48, 3, 3), (1, 2), (2, 1), (2, 1), 2),
]


@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", range(len(_SLAB_CASES)))
def test_convolution_in_slabs_against_numpy(case, dtype, threads):
    rng, xn, wn, bn, fn, (stride, padding, dilation, groups) = _case_inputs(_SLAB_CASES, case, 40, dtype)
    ref = _np_conv(xn, wn, bn, stride, padding, dilation, groups)
    gy = rng.standard_normal(ref.shape).astype(dtype)
    prev = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        x = torch.tensor(xn).requires_grad_(True)
        y = fn(x, torch.tensor(wn), torch.tensor(bn), stride, padding, dilation, groups)
        y.backward(torch.tensor(gy))
    finally:
        torch.set_num_threads(prev)
    gx, _ = _np_conv_grads(xn, wn, gy, stride, padding, dilation, groups)
    tol = 1e-4 if dtype == np.float32 else 1e-11
    atol = tol * np.sqrt(wn[0].size)
    np.testing.assert_allclose(y.detach().numpy(), ref, rtol=tol, atol=atol)
    np.testing.assert_allclose(x.grad.numpy(), gx, rtol=tol, atol=atol)


# float32 convolutions with unit dilations, few output channels and long
# output rows (or 3-d), at least an image a thread, run without columns on
# AVX-512 CPUs: each image zero-padded (split into its strides' phase
# planes), tiles of 48 windows of the padded planes times 8 output channels
# (channels past the last whole block, windows past a row's end computed
# and dropped, tiles past a plane's last row); three images on two threads,
# or one large image, share each image's tiles
_DIRECT_CASES = [
    # (x shape, w shape, padding, stride)
    ((3, 8, 30, 45), (13, 8, 3, 3), 1, 1),
    ((3, 5, 29, 33), (7, 5, 5, 5), (0, 2), 1),
    ((3, 6, 28, 64), (32, 6, 1, 7), (0, 3), 1),
    ((4, 4, 40, 40), (9, 4, 5, 5), 0, 1),
    ((3, 4, 6, 10, 20), (40, 4, 3, 3, 3), 1, 1),
    ((3, 16, 9, 9, 16), (16, 16, 3, 3, 3), (2, 0, 1), 1),
    ((1, 32, 50, 100), (32, 32, 3, 3), 1, 1),
    # strided: phases of 2, 3 and 4, one input channel, 3-d, one large image
    ((2, 3, 64, 60), (8, 3, 5, 5), 2, 2),
    ((3, 5, 40, 61), (12, 5, 7, 7), (3, 1), (2, 3)),
    ((3, 4, 30, 61), (10, 4, 3, 3), (1, 0), (3, 2)),
    ((3, 1, 64, 130), (6, 1, 4, 4), 0, 4),
    ((3, 3, 12, 24, 36), (16, 3, 3, 3, 3), 1, (2, 1, 2)),
    ((1, 3, 112, 112), (64, 3, 7, 7), 3, 2),
]


@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("case", range(len(_DIRECT_CASES)))
def test_direct_convolution_against_numpy(case, threads):
    xs, ws, padding, stride = _DIRECT_CASES[case]
    rng = np.random.default_rng(case)
    xn = rng.standard_normal(xs).astype(np.float32)
    wn = rng.standard_normal(ws).astype(np.float32)
    bn = rng.standard_normal(ws[0]).astype(np.float32)
    fn = torch.nn.functional.conv3d if len(xs) == 5 else torch.nn.functional.conv2d
    prev = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        for b in (None, bn):
            y = fn(torch.tensor(xn), torch.tensor(wn), None if b is None else torch.tensor(b),
                   stride=stride, padding=padding)
            ref = _np_conv(xn, wn, b, stride, padding, 1, 1)
            np.testing.assert_allclose(y.numpy(), ref, rtol=1e-4, atol=1e-4 * np.sqrt(wn[0].size))
    finally:
        torch.set_num_threads(prev)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("width", [1, 3, 8, 16, 17, 33, 48, 100, 200, 300])
def test_unfold_fold_short_and_tail_rows(dtype, width):
    # unfold is a copy and fold sums in a fixed order: both are exact against
    # numpy in the input's own dtype
    import itertools
    rng = np.random.default_rng(width)
    x = rng.standard_normal((2, 3, 5, width)).astype(dtype)
    k, p, d = (3, 2), (1, 1), (1, 2)
    if width + 2 * p[1] < d[1] * (k[1] - 1) + 1:
        k = (3, 1)
    out = tuple((x.shape[2 + i] + 2 * p[i] - d[i] * (k[i] - 1) - 1) + 1 for i in range(2))
    xp = np.pad(x, [(0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])])
    rows = []
    for c in range(3):
        for off in itertools.product(range(k[0]), range(k[1])):
            rows.append(xp[:, c, off[0] * d[0]:off[0] * d[0] + out[0],
                           off[1] * d[1]:off[1] * d[1] + out[1]].reshape(2, -1))
    ref = np.stack(rows, 1)
    cols = F.unfold(torch.tensor(x), k, dilation=d, padding=p)
    np.testing.assert_array_equal(cols.numpy(), ref)
    c = rng.standard_normal(ref.shape).astype(dtype)
    yp = np.zeros(xp.shape, dtype)
    j = 0
    for ch in range(3):
        for off in itertools.product(range(k[0]), range(k[1])):
            yp[:, ch, off[0] * d[0]:off[0] * d[0] + out[0],
               off[1] * d[1]:off[1] * d[1] + out[1]] += c[:, j].reshape(2, *out)
            j += 1
    r = F.fold(torch.tensor(c), (5, width), k, dilation=d, padding=p)
    np.testing.assert_array_equal(r.numpy(), yp[:, :, p[0]:p[0] + 5, p[1]:p[1] + width])


# A gradient that repeats one image along the batch (sum()'s, an expanded
# one) is read by the fused kernels as that one image; the bias gradient is
# summed by the weight gradient's driver when both are needed.
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", [0, 2, 4, 5])
def test_fused_backward_batch_repeated_grad_and_bias(case, dtype, threads):
    xs, ws, stride, padding, dilation, groups = _FUSED_CASES[case]
    rng = np.random.default_rng(30 + case)
    xn, wn = rng.standard_normal(xs).astype(dtype), rng.standard_normal(ws).astype(dtype)
    bn = rng.standard_normal(ws[0]).astype(dtype)
    fn = {3: F.conv1d, 4: F.conv2d, 5: F.conv3d}[len(xs)]
    ref = _np_conv(xn, wn, bn, stride, padding, dilation, groups)
    g1 = rng.standard_normal(ref.shape[1:]).astype(dtype)
    gy = np.broadcast_to(g1, ref.shape)
    gx, gw = _np_conv_grads(xn, wn, gy, stride, padding, dilation, groups)
    gb = gy.astype(np.float64).sum(axis=tuple(i for i in range(gy.ndim) if i != 1))
    ones = np.ones(ref.shape)
    gx1, gw1 = _np_conv_grads(xn, wn, ones, stride, padding, dilation, groups)
    tol = 1e-4 if dtype == np.float32 else 1e-11
    prev = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        for need in ((1, 1, 1), (1, 1, 0), (0, 1, 1), (1, 0, 1), (0, 0, 1), (1, 0, 0)):
            x = torch.tensor(xn).requires_grad_(bool(need[0]))
            w = torch.tensor(wn).requires_grad_(bool(need[1]))
            b = torch.tensor(bn).requires_grad_(bool(need[2]))
            y = fn(x, w, b, stride, padding, dilation, groups)
            np.testing.assert_allclose(y.detach().numpy(), ref, rtol=tol, atol=tol)
            g = torch.tensor(g1).expand(*ref.shape)
            assert g.stride(0) == 0
            y.backward(g)
            for t, want, on in ((x, gx, need[0]), (w, gw, need[1]), (b, gb, need[2])):
                if on:
                    np.testing.assert_allclose(t.grad.numpy(), want, rtol=tol, atol=tol)
                else:
                    assert t.grad is None
            # sum(): a gradient expanded from one element
            x.grad = w.grad = b.grad = None
            fn(x, w, b, stride, padding, dilation, groups).sum().backward()
            for t, want, on in ((x, gx1, need[0]), (w, gw1, need[1]),
                                (b, np.full(ws[0], ones[:, 0].size), need[2])):
                if on:
                    np.testing.assert_allclose(t.grad.numpy(), want, rtol=tol, atol=tol)
    finally:
        torch.set_num_threads(prev)


def test_bias_gradients_half_and_empty():
    # float16 computes in float32 through the same drivers; an empty batch or
    # a gradient of zero windows still gives the bias gradient (zeros / sums)
    rng = np.random.default_rng(7)
    xn = rng.standard_normal((3, 2, 5, 6)).astype(np.float16)
    wn = rng.standard_normal((4, 2, 3, 3)).astype(np.float16)
    bn = rng.standard_normal(4).astype(np.float16)
    x, w, b = (torch.tensor(a).requires_grad_(True) for a in (xn, wn, bn))
    y = F.conv2d(x, w, b, padding=1)
    assert y.dtype == torch.float16
    ref = _np_conv(xn.astype(np.float64), wn.astype(np.float64), bn.astype(np.float64), 1, 1)
    np.testing.assert_allclose(y.detach().float().numpy(), ref, rtol=1e-2, atol=2e-2)
    y.sum().backward()
    gx, gw = _np_conv_grads(xn, wn, np.ones(ref.shape), 1, 1, 1, 1)
    np.testing.assert_allclose(b.grad.float().numpy(), np.full(4, 90.0))
    np.testing.assert_allclose(w.grad.float().numpy(), gw, rtol=1e-2, atol=5e-2)
    np.testing.assert_allclose(x.grad.float().numpy(), gx, rtol=1e-2, atol=5e-2)
    x0 = torch.zeros(0, 2, 5, 6).requires_grad_(True)
    w0 = torch.ones(4, 2, 3, 3).requires_grad_(True)
    b0 = torch.ones(4).requires_grad_(True)
    y0 = F.conv2d(x0, w0, b0, padding=1)
    assert tuple(y0.shape) == (0, 4, 5, 6)
    y0.sum().backward()
    np.testing.assert_array_equal(b0.grad.numpy(), np.zeros(4, np.float32))
    np.testing.assert_array_equal(w0.grad.numpy(), np.zeros((4, 2, 3, 3), np.float32))


@pytest.mark.parametrize("transposed", [False, True])
def test_complex_gradients(transposed):
    # a complex product's gradient takes the other operand's conjugate: the
    # fused backward and the recorded one (create_graph) both
    rng = np.random.default_rng(8)
    c = lambda *s: torch.tensor(rng.standard_normal(s) + 1j * rng.standard_normal(s))
    x = c(2, 4, 5, 7).requires_grad_(True)
    if transposed:
        w, b = c(4, 1, 3, 2).requires_grad_(True), c(2).requires_grad_(True)
        fn = lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1, groups=2)
    else:
        w, b = c(6, 2, 3, 3).requires_grad_(True), c(6).requires_grad_(True)
        fn = lambda x, w, b: F.conv2d(x, w, b, padding=1, groups=2)
    assert torch.autograd.gradcheck(fn, (x, w, b))
    assert torch.autograd.gradgradcheck(fn, (x, w, b))
