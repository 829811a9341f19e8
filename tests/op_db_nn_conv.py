"""The convolutions of torch.nn.functional (conv1d/2d/3d, conv_transpose1d/2d/3d,
unfold, fold) and torch.convolution, for tests/test_nn.py. The numpy
references are direct sums over kernel offsets (a strided slice of the
zero-padded input per offset), independent of im2col."""
import itertools

import numpy as np

from tests.op_db_nn import NNOp, D, I, randn, FLOATS  # noqa: F401


def F(torch):
    return torch.nn.functional


def _nt(v, n):
    return tuple(v) if isinstance(v, (tuple, list)) else (v,) * n


def _np_conv(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    n = w.ndim - 2
    unbatched = x.ndim == n + 1
    if unbatched:
        x = x[None]
    s, d = _nt(stride, n), _nt(dilation, n)
    k = w.shape[2:]
    if padding == "valid":
        lo = hi = (0,) * n
    elif padding == "same":
        tot = [d[i] * (k[i] - 1) for i in range(n)]
        lo = tuple(t // 2 for t in tot)
        hi = tuple(t - t // 2 for t in tot)
    else:
        lo = hi = _nt(padding, n)
    xp = np.pad(x, [(0, 0), (0, 0)] + [(lo[i], hi[i]) for i in range(n)])
    out = [(xp.shape[2 + i] - d[i] * (k[i] - 1) - 1) // s[i] + 1 for i in range(n)]
    N, cin = x.shape[:2]
    cout = w.shape[0]
    cg, og = cin // groups, cout // groups
    y = np.zeros((N, cout) + tuple(out))
    for g in range(groups):
        xg = xp[:, g * cg:(g + 1) * cg]
        wg = w[g * og:(g + 1) * og]
        for off in itertools.product(*[range(kk) for kk in k]):
            sl = tuple(slice(off[i] * d[i], off[i] * d[i] + s[i] * (out[i] - 1) + 1, s[i])
                       for i in range(n))
            patch = xg[(slice(None), slice(None)) + sl]
            y[:, g * og:(g + 1) * og] += np.einsum("nc...,oc->no...", patch,
                                                   wg[(slice(None), slice(None)) + off])
    if b is not None:
        y += np.asarray(b, dtype=np.float64).reshape((cout,) + (1,) * n)
    return y[0] if unbatched else y


def _np_conv_t(x, w, b=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    n = w.ndim - 2
    unbatched = x.ndim == n + 1
    if unbatched:
        x = x[None]
    s, p, op, d = _nt(stride, n), _nt(padding, n), _nt(output_padding, n), _nt(dilation, n)
    k = w.shape[2:]
    N, cin = x.shape[:2]
    vol = x.shape[2:]
    og = w.shape[1]
    cg = cin // groups
    cout = og * groups
    full = [(vol[i] - 1) * s[i] + d[i] * (k[i] - 1) + 1 + op[i] for i in range(n)]
    y = np.zeros((N, cout) + tuple(full))
    for g in range(groups):
        xg = x[:, g * cg:(g + 1) * cg]
        wg = w[g * cg:(g + 1) * cg]
        for off in itertools.product(*[range(kk) for kk in k]):
            sl = tuple(slice(off[i] * d[i], off[i] * d[i] + s[i] * (vol[i] - 1) + 1, s[i])
                       for i in range(n))
            y[(slice(None), slice(g * og, (g + 1) * og)) + sl] += np.einsum(
                "nc...,co->no...", xg, wg[(slice(None), slice(None)) + off])
    out = [full[i] - 2 * p[i] for i in range(n)]
    y = y[(slice(None), slice(None)) + tuple(slice(p[i], p[i] + out[i]) for i in range(n))]
    if b is not None:
        y = y + np.asarray(b, dtype=np.float64).reshape((cout,) + (1,) * n)
    return y[0] if unbatched else y


def _np_unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    x = np.asarray(x, dtype=np.float64)
    k, d, p, s = (_nt(v, 2) for v in (kernel_size, dilation, padding, stride))
    unbatched = x.ndim == 3
    if unbatched:
        x = x[None]
    xp = np.pad(x, [(0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])])
    oh = (xp.shape[2] - d[0] * (k[0] - 1) - 1) // s[0] + 1
    ow = (xp.shape[3] - d[1] * (k[1] - 1) - 1) // s[1] + 1
    N, C = x.shape[:2]
    r = np.zeros((N, C, k[0], k[1], oh, ow))
    for i in range(oh):
        for j in range(ow):
            for a in range(k[0]):
                for c in range(k[1]):
                    r[:, :, a, c, i, j] = xp[:, :, i * s[0] + a * d[0], j * s[1] + c * d[1]]
    r = r.reshape(N, C * k[0] * k[1], oh * ow)
    return r[0] if unbatched else r


def _np_fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    x = np.asarray(x, dtype=np.float64)
    size, k, d, p, s = (_nt(v, 2) for v in (output_size, kernel_size, dilation, padding, stride))
    unbatched = x.ndim == 2
    if unbatched:
        x = x[None]
    oh = (size[0] + 2 * p[0] - d[0] * (k[0] - 1) - 1) // s[0] + 1
    ow = (size[1] + 2 * p[1] - d[1] * (k[1] - 1) - 1) // s[1] + 1
    N = x.shape[0]
    C = x.shape[1] // (k[0] * k[1])
    cols = x.reshape(N, C, k[0], k[1], oh, ow)
    yp = np.zeros((N, C, size[0] + 2 * p[0], size[1] + 2 * p[1]))
    for i in range(oh):
        for j in range(ow):
            for a in range(k[0]):
                for c in range(k[1]):
                    yp[:, :, i * s[0] + a * d[0], j * s[1] + c * d[1]] += cols[:, :, a, c, i, j]
    y = yp[:, :, p[0]:p[0] + size[0], p[1]:p[1] + size[1]]
    return y[0] if unbatched else y


# -------------------------------------------------------------- samples

def _s_conv2d(rng, dt):
    x = lambda *s: D(randn(rng, s, dt))
    return [
        ((x(2, 4, 6, 5), x(6, 4, 3, 2), x(6)), {}),
        ((x(2, 4, 7, 6), x(6, 4, 3, 3)), {"stride": 2, "padding": 1}),
        ((x(1, 4, 7, 7), x(4, 2, 3, 2), x(4)), {"padding": (2, 1), "dilation": (2, 1), "groups": 2}),
        ((x(2, 6, 5, 6), x(3, 2, 2, 2)), {"stride": (1, 2), "groups": 3}),
        ((x(1, 2, 5, 6), x(3, 2, 2, 3), x(3)), {"padding": "same"}),
        ((x(1, 2, 5, 6), x(3, 2, 3, 3)), {"padding": "same", "dilation": 2}),
        ((x(1, 2, 5, 6), x(3, 2, 3, 3)), {"padding": "valid"}),
        ((x(2, 5, 6), x(3, 2, 3, 3), x(3)), {"padding": 1}),          # unbatched
        # depthwise (one input channel a group): the direct kernel, with a
        # channel multiplier, strides (the last dim's by phases), dilation
        ((x(2, 4, 9, 11), x(8, 1, 3, 2), x(8)), {"stride": (2, 3), "padding": (1, 0), "groups": 4}),
        ((x(1, 3, 8, 9), x(3, 1, 3, 3)), {"padding": 2, "dilation": 2, "groups": 3}),
        ((x(3, 16, 12, 13), x(16, 1, 5, 5), x(16)), {"stride": 2, "padding": 2, "groups": 16}),
        # rows made in registers a chunk at a time: a long row (a whole chunk
        # and a part), short rows in pairs (an odd count), a 7 x 7 kernel,
        # the last dim strided and dilated
        ((x(1, 2, 7, 70), x(2, 1, 3, 3), x(2)), {"padding": 1, "groups": 2}),
        ((x(2, 3, 9, 20), x(3, 1, 7, 7)), {"padding": 3, "groups": 3}),
        ((x(1, 2, 6, 30), x(4, 1, 2, 4)), {"stride": (1, 3), "dilation": (1, 2), "padding": (0, 3), "groups": 2}),
        # stride 1 down the rows: up to four output rows from each loaded
        # input row (rows of two vectors and the 3 x 3 form, fewer kernel
        # rows than output rows, rows of one vector dilated, eight vectors)
        ((x(2, 3, 14, 14), x(3, 1, 3, 3), x(3)), {"padding": 1, "groups": 3}),
        ((x(1, 2, 7, 5), x(4, 1, 2, 3)), {"padding": (1, 2), "dilation": (1, 2), "groups": 2}),
        ((x(1, 2, 10, 40), x(2, 1, 5, 3), x(2)), {"padding": (0, 1), "groups": 2}),
        # a stride down the rows only (the input's gradient: the rows gathered)
        ((x(2, 3, 9, 10), x(3, 1, 3, 3), x(3)), {"stride": (2, 1), "padding": 1, "groups": 3}),
    ]


def _s_conv1d(rng, dt):
    x = lambda *s: D(randn(rng, s, dt))
    return [
        ((x(2, 4, 9), x(6, 4, 3), x(6)), {}),
        ((x(2, 4, 9), x(4, 2, 3)), {"stride": 2, "padding": 2, "dilation": 2, "groups": 2}),
        ((x(2, 3, 8), x(2, 3, 4)), {"padding": "same"}),
        ((x(3, 7), x(2, 3, 2), x(2)), {"stride": 3}),                  # unbatched
        ((x(2, 6, 40), x(6, 1, 5), x(6)), {"stride": 2, "padding": 2, "groups": 6}),   # depthwise
        ((x(2, 4, 30), x(4, 1, 7), x(4)), {"padding": 3, "groups": 4}),   # its gradient depthwise too
    ]


def _s_conv3d(rng, dt):
    x = lambda *s: D(randn(rng, s, dt))
    return [
        ((x(1, 2, 4, 5, 4), x(3, 2, 2, 3, 2), x(3)), {}),
        ((x(1, 4, 5, 4, 5), x(2, 2, 3, 2, 2)), {"stride": (2, 1, 2), "padding": 1, "groups": 2}),
        ((x(2, 4, 3, 4), x(2, 2, 2, 2, 2)), {"dilation": (1, 2, 1), "padding": "same"}),
        ((x(1, 3, 5, 6, 7), x(6, 1, 2, 3, 2)), {"stride": 2, "padding": 1, "groups": 3}),  # depthwise
    ]


def _s_conv_t2d(rng, dt):
    x = lambda *s: D(randn(rng, s, dt))
    return [
        ((x(2, 4, 4, 3), x(4, 3, 3, 2), x(3)), {}),
        ((x(2, 4, 3, 4), x(4, 2, 3, 3)), {"stride": 2, "padding": 1, "output_padding": 1}),
        ((x(1, 4, 3, 3), x(4, 2, 2, 3), x(4)), {"stride": (3, 2), "output_padding": (2, 1),
                                                "groups": 2}),
        ((x(1, 2, 4, 3), x(2, 2, 3, 2)), {"dilation": 2, "padding": (2, 1)}),
        ((x(2, 3, 4), x(2, 3, 2, 2)), {"stride": 2}),                  # unbatched
        # one channel a group, stride 1: a depthwise correlation with the
        # kernel flipped
        ((x(2, 3, 5, 6), x(3, 1, 3, 2), x(3)), {"groups": 3, "padding": 1, "dilation": (1, 2)}),
        # and with a stride: each row's two phases gathered and interleaved
        ((x(1, 3, 4, 5), x(3, 1, 3, 3)), {"stride": 2, "padding": 1, "output_padding": 1,
                                          "dilation": (2, 1), "groups": 3}),
    ]


def _s_conv_t1d(rng, dt):
    x = lambda *s: D(randn(rng, s, dt))
    return [
        ((x(2, 4, 5), x(4, 3, 3), x(3)), {"stride": 2, "output_padding": 1}),
        ((x(2, 4, 6), x(4, 1, 2)), {"padding": 1, "groups": 2, "dilation": 3}),
    ]


def _s_conv_t3d(rng, dt):
    x = lambda *s: D(randn(rng, s, dt))
    return [
        ((x(1, 2, 3, 2, 3), x(2, 3, 2, 2, 2), x(3)), {"stride": (2, 1, 2), "padding": (1, 0, 0)}),
    ]


def _s_unfold(rng, dt):
    x = lambda *s: D(randn(rng, s, dt))
    return [
        ((x(2, 3, 5, 6), (2, 3)), {}),
        ((x(1, 2, 6, 5), 2), {"dilation": (2, 1), "padding": 1, "stride": (2, 1)}),
        ((x(2, 4, 5), 3), {"padding": (0, 1)}),                        # unbatched
    ]


def _s_fold(rng, dt):
    x = lambda *s: D(randn(rng, s, dt))
    return [
        ((x(2, 12, 9), (4, 5), (2, 3)), {}),
        ((x(1, 8, 12), (5, 6), 2), {"stride": 2, "padding": 1}),
        ((x(4, 6), (3, 5), 2), {"dilation": (1, 2)}),                  # unbatched
    ]


def _x(torch, *shape):
    return torch.randn(*shape)


def _call(name):
    return lambda t, *a, **k: getattr(F(t), name)(*a, **k)


OPS = [
    NNOp("conv2d", _call("conv2d"), _np_conv, _s_conv2d, grad_fn="ConvolutionBackward0",
         tol={"float16": (1e-2, 1e-2)},
         errors=[
             (lambda t: F(t).conv2d(_x(t, 2, 4, 8, 8), _x(t, 6, 3, 3, 3)), RuntimeError,
              "Given groups=1, weight of size [6, 3, 3, 3], expected input[2, 4, 8, 8] to have 3 "
              "channels, but got 4 channels instead"),
             (lambda t: F(t).conv2d(_x(t, 2, 4, 8, 8), _x(t, 5, 2, 3, 3), groups=2), RuntimeError,
              "Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight "
              "of size [[5, 2, 3, 3]] instead"),
             (lambda t: F(t).conv2d(_x(t, 2, 4, 8, 8), _x(t, 6, 4, 3, 3), stride=2,
                                    padding="same"), RuntimeError,
              "padding='same' is not supported for strided convolutions"),
             (lambda t: F(t).conv2d(_x(t, 2, 4, 8, 8), _x(t, 6, 4, 3, 3), padding="foo"),
              RuntimeError, "Invalid padding string: 'foo'"),
             (lambda t: F(t).conv2d(_x(t, 4, 8), _x(t, 6, 4, 3, 3)), RuntimeError,
              "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: "
              "[4, 8]"),
             (lambda t: F(t).conv2d(_x(t, 2, 4, 8, 8), _x(t, 6, 4, 10, 10)), RuntimeError,
              "Calculated padded input size per channel: (8 x 8). Kernel size: (10 x 10). Kernel "
              "size can't be greater than actual input size"),
             (lambda t: F(t).conv2d(_x(t, 2, 4, 8, 8), _x(t, 6, 4, 3, 3), _x(t, 5)), RuntimeError,
              "Given weight of size [6, 4, 3, 3], expected bias to be 1-dimensional with 6 "
              "elements, but got bias of size [5] instead"),
             (lambda t: F(t).conv2d(_x(t, 2, 4, 8, 8), _x(t, 6, 4, 3, 3), stride=0), RuntimeError,
              "non-positive stride is not supported"),
             (lambda t: F(t).conv2d(_x(t, 2, 4, 8, 8), _x(t, 6, 4, 3, 3), padding=-1),
              RuntimeError, "negative padding is not supported"),
             (lambda t: F(t).conv2d(_x(t, 2, 4, 8, 8), _x(t, 6, 4, 3, 3), dilation=0),
              RuntimeError, "non-positive dilation is not supported"),
             (lambda t: F(t).conv2d(_x(t, 2, 4, 8, 8), _x(t, 6, 4, 3, 3), groups=0),
              RuntimeError, "non-positive groups is not supported"),
             (lambda t: F(t).conv2d(_x(t, 2, 4, 8, 8), _x(t, 6, 4, 3, 3), stride=(1, 1, 1)),
              RuntimeError, "expected stride to be a single integer value or a list of 2 values "
              "to match the convolution dimensions, but got stride=[1, 1, 1]"),
             (lambda t: F(t).conv2d(_x(t, 2, 4, 8, 8).double(), _x(t, 6, 4, 3, 3)), RuntimeError,
              "expected scalar type Double but found Float"),
             (lambda t: F(t).conv2d([1.0], _x(t, 6, 4, 3, 3)), TypeError, "conv2d()"),
         ]),
    NNOp("conv1d", _call("conv1d"), _np_conv, _s_conv1d, grad_fn="ConvolutionBackward0",
         tol={"float16": (1e-2, 1e-2)},
         errors=[(lambda t: F(t).conv1d(_x(t, 2, 4, 8), _x(t, 6, 4, 3, 3)), RuntimeError,
                  "Expected 4-dimensional input for 4-dimensional weight [6, 4, 3, 3], but got "
                  "3-dimensional input of size [2, 4, 8] instead"),
                 (lambda t: F(t).conv1d(_x(t, 2, 4, 8), _x(t, 6, 4, 3), stride=(1, 2)),
                  RuntimeError, "expected stride to be a single integer value or a list of 1 "
                  "values to match the convolution dimensions, but got stride=[1, 2]")]),
    NNOp("conv3d", _call("conv3d"), _np_conv, _s_conv3d, grad_fn="ConvolutionBackward0",
         tol={"float16": (1e-2, 1e-2)}),
    NNOp("conv_transpose2d", _call("conv_transpose2d"), _np_conv_t, _s_conv_t2d,
         grad_fn="ConvolutionBackward0", tol={"float16": (1e-2, 1e-2)},
         errors=[
             (lambda t: F(t).conv_transpose2d(_x(t, 2, 4, 8, 8), _x(t, 4, 3, 3, 3), stride=2,
                                              output_padding=2), RuntimeError,
              "output padding must be smaller than either stride or dilation, but got "
              "output_padding_height: 2 output_padding_width: 2 stride_height: 2 stride_width: 2 "
              "dilation_height: 1 dilation_width: 1"),
             (lambda t: F(t).conv_transpose2d(_x(t, 2, 4, 8, 8), _x(t, 5, 3, 3, 3)), RuntimeError,
              "Given transposed=1, weight of size [5, 3, 3, 3], expected input[2, 4, 8, 8] to "
              "have 5 channels, but got 4 channels instead"),
             (lambda t: F(t).conv_transpose2d(_x(t, 2, 4, 8, 8), _x(t, 4, 3, 3, 3), padding="same"),
              TypeError, "conv_transpose2d(): argument 'padding' must be tuple of ints, not str"),
             (lambda t: F(t).conv_transpose2d(_x(t, 2, 4, 8, 8), _x(t, 4, 3, 3, 3), _x(t, 4)),
              RuntimeError, "Given transposed=1, weight of size [4, 3, 3, 3], expected bias to be "
              "1-dimensional with 3 elements, but got bias of size [4] instead"),
         ]),
    NNOp("conv_transpose1d", _call("conv_transpose1d"), _np_conv_t, _s_conv_t1d,
         grad_fn="ConvolutionBackward0", tol={"float16": (1e-2, 1e-2)}),
    NNOp("conv_transpose3d", _call("conv_transpose3d"), _np_conv_t, _s_conv_t3d,
         grad_fn="ConvolutionBackward0", tol={"float16": (1e-2, 1e-2)}),
    NNOp("unfold", _call("unfold"), _np_unfold, _s_unfold, grad_fn="Im2ColBackward0",
         errors=[
             (lambda t: F(t).unfold(_x(t, 1, 2, 3, 4, 5), 2), RuntimeError,
              "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other "
              "non-zero dimensions for input, but got: [1, 2, 3, 4, 5]"),
             (lambda t: F(t).unfold(_x(t, 2, 4, 8, 8), 9), RuntimeError,
              "Given input with spatial size (8, 8), kernel_size=(9, 9), dilation=(1, 1), "
              "padding=(0, 0), calculated shape of the array of sliding blocks as (0, 0), but "
              "its components must be at least one."),
             (lambda t: F(t).unfold(_x(t, 2, 4, 8, 8), 2, stride=0), RuntimeError,
              "stride should be greater than zero, but got stride_height: 0 stride_width: 0"),
         ]),
    NNOp("fold", _call("fold"), _np_fold, _s_fold, grad_fn="Col2ImBackward0",
         errors=[
             (lambda t: F(t).fold(_x(t, 1, 7, 16), (5, 5), 2), RuntimeError,
              "Expected size of input's dimension 1 to be divisible by the product of "
              "kernel_size, but got input.size(1)=7 and kernel_size=(2, 2)."),
             (lambda t: F(t).fold(_x(t, 1, 8, 15), (5, 5), 2), RuntimeError,
              "Given output_size=(5, 5), kernel_size=(2, 2), dilation=(1, 1), padding=(0, 0), "
              "stride=(1, 1), expected size of input's dimension 2 to match the calculated number "
              "of sliding blocks 4 * 4 = 16, but got input.size(2)=15."),
         ]),
    # the torch-level forms
    NNOp("torch.conv2d", lambda t, *a, **k: t.conv2d(*a, **k), _np_conv,
         lambda r, d: _s_conv2d(r, d)[:2], dtypes=("float64",), grad_fn="ConvolutionBackward0"),
    NNOp("torch.conv_transpose1d", lambda t, *a, **k: t.conv_transpose1d(*a, **k), _np_conv_t,
         lambda r, d: _s_conv_t1d(r, d)[:1], dtypes=("float64",),
         grad_fn="ConvolutionBackward0"),
    NNOp("torch.convolution",
         lambda t, x, w, b: t.convolution(x, w, b, [2, 1], [1, 0], [1, 2], False, [0, 0], 2),
         lambda x, w, b: _np_conv(x, w, b, (2, 1), (1, 0), (1, 2), 2),
         lambda r, d: [((D(randn(r, (2, 4, 6, 7), d)), D(randn(r, (4, 2, 3, 2), d)),
                         D(randn(r, (4,), d))), {})],
         dtypes=("float32", "float64"), grad_fn="ConvolutionBackward0"),
    NNOp("torch.convolution_transposed",
         lambda t, x, w, b: t.convolution(x, w, b, [2, 2], [1, 0], [1, 1], True, [1, 0], 1),
         lambda x, w, b: _np_conv_t(x, w, b, (2, 2), (1, 0), (1, 0), 1, 1),
         lambda r, d: [((D(randn(r, (2, 3, 4, 3), d)), D(randn(r, (3, 2, 3, 2), d)),
                         D(randn(r, (2,), d))), {})],
         dtypes=("float64",), grad_fn="ConvolutionBackward0"),
]
