"""Pooling entries of the torch.nn.functional table (tests/op_db_nn.py):
max, average, adaptive, lp pooling and max_unpool in 1-3 dims, and the
torch-level forms. The references are loops over windows in numpy."""
import itertools
import math

import numpy as np

from tests.op_db_nn import NNOp, D, I, randn, FLOATS  # noqa: F401


def F(torch):
    return torch.nn.functional


# ------------------------------------------------------------ references

def _tup(v, nd):
    if v is None:
        return None
    return tuple(v) * (nd if len(tuple(v)) == 1 else 1) if isinstance(v, (tuple, list)) else (v,) * nd


def _osize(n, k, s, p, d, ceil_mode):
    """Output length of one dim: windows over the padded input; in ceil mode
    a last partial window counts when it starts inside the input or the
    left padding."""
    eff = d * (k - 1) + 1
    span = n + 2 * p - eff
    o = (-(-span // s) if ceil_mode else span // s) + 1
    if ceil_mode and (o - 1) * s >= n + p:
        o -= 1
    return o


def _planes(x, nd):
    lead = x.shape[:x.ndim - nd]
    return x.reshape((-1,) + x.shape[x.ndim - nd:]), lead


def _windows(ins, out, k, s, p, d):
    """For every output position, the list of in-range taps (tuples)."""
    for o in itertools.product(*[range(n) for n in out]):
        taps = []
        for t in itertools.product(*[range(kk) for kk in k]):
            pos = tuple(oo * ss - pp + tt * dd for oo, ss, pp, tt, dd in zip(o, s, p, t, d))
            if all(0 <= q < n for q, n in zip(pos, ins)):
                taps.append(pos)
        yield o, taps


def np_max_pool(x, nd, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                return_indices=False):
    k = _tup(kernel_size, nd)
    s = k if stride is None else _tup(stride, nd)
    p, d = _tup(padding, nd), _tup(dilation, nd)
    xp, lead = _planes(np.asarray(x), nd)
    ins = xp.shape[1:]
    out = tuple(_osize(n, kk, ss, pp, dd, ceil_mode) for n, kk, ss, pp, dd in zip(ins, k, s, p, d))
    y = np.zeros((xp.shape[0],) + out, dtype=np.float64)
    idx = np.zeros((xp.shape[0],) + out, dtype=np.int64)
    for o, taps in _windows(ins, out, k, s, p, d):
        for b in range(xp.shape[0]):
            vals = [xp[(b,) + t] for t in taps]
            j = int(np.argmax(vals))
            y[(b,) + o] = vals[j]
            idx[(b,) + o] = np.ravel_multi_index(taps[j], ins)
    y = y.reshape(lead + out)
    return (y, idx.reshape(lead + out)) if return_indices else y


def np_avg_pool(x, nd, kernel_size, stride=None, padding=0, ceil_mode=False,
                count_include_pad=True, divisor_override=None):
    k = _tup(kernel_size, nd)
    s = k if stride is None else _tup(stride, nd)
    p = _tup(padding, nd)
    xp, lead = _planes(np.asarray(x).astype(np.float64), nd)
    ins = xp.shape[1:]
    out = tuple(_osize(n, kk, ss, pp, 1, ceil_mode) for n, kk, ss, pp in zip(ins, k, s, p))
    y = np.zeros((xp.shape[0],) + out)
    for o, taps in _windows(ins, out, k, s, p, (1,) * nd):
        # the window clipped to the padded input counts padding
        size = 1
        for oo, ss, pp, kk, n in zip(o, s, p, k, ins):
            lo = oo * ss - pp
            size *= min(lo + kk, n + pp) - lo
        div = divisor_override or (size if count_include_pad else len(taps))
        for b in range(xp.shape[0]):
            y[(b,) + o] = sum(xp[(b,) + t] for t in taps) / div if taps else 0.0
    return y.reshape(lead + out)


def _adaptive_windows(ins, out):
    for o in itertools.product(*[range(n) for n in out]):
        ranges = [range((oo * n) // m, -(-((oo + 1) * n) // m)) for oo, n, m in zip(o, ins, out)]
        yield o, list(itertools.product(*ranges))


def np_adaptive(x, nd, output_size, kind="avg", return_indices=False):
    out = _tup(output_size, nd)
    xp, lead = _planes(np.asarray(x).astype(np.float64), nd)
    ins = xp.shape[1:]
    out = tuple(n if o is None else o for o, n in zip(out, ins))
    y = np.zeros((xp.shape[0],) + out)
    idx = np.zeros((xp.shape[0],) + out, dtype=np.int64)
    for o, taps in _adaptive_windows(ins, out):
        for b in range(xp.shape[0]):
            vals = [xp[(b,) + t] for t in taps]
            if kind == "avg":
                y[(b,) + o] = np.mean(vals)
            else:
                j = int(np.argmax(vals))
                y[(b,) + o] = vals[j]
                idx[(b,) + o] = np.ravel_multi_index(taps[j], ins)
    y = y.reshape(lead + out)
    return (y, idx.reshape(lead + out)) if return_indices else y


def np_lp_pool(x, nd, norm_type, kernel_size, stride=None, ceil_mode=False):
    k = _tup(kernel_size, nd)
    a = np_avg_pool(np.asarray(x).astype(np.float64) ** norm_type, nd, k, stride, 0, ceil_mode)
    with np.errstate(invalid="ignore"):
        return (a * math.prod(k)) ** (1.0 / norm_type)


def np_unpool(x, idx, nd, out):
    xp, lead = _planes(np.asarray(x).astype(np.float64), nd)
    ip, _ = _planes(np.asarray(idx), nd)
    y = np.zeros((xp.shape[0], math.prod(out)))
    for b in range(xp.shape[0]):
        y[b, ip[b].reshape(-1)] = xp[b].reshape(-1)
    return y.reshape(lead + tuple(out))


def np_fractional(x, nd, kernel_size, output_size, samples):
    """Windows of size k starting at int((i + u) alpha) - int(u alpha),
    alpha = (n - k) / (o - 1), the last at n - k; u: the plane's sample
    (2-d: width sample 0, height 1; 3-d: time 0, height 1, width 2)."""
    k, out = _tup(kernel_size, nd), _tup(output_size, nd)
    xp, lead = _planes(np.asarray(x).astype(np.float64), nd)
    us = np.asarray(samples, dtype=np.float64).reshape(xp.shape[0], nd)
    ins = xp.shape[1:]
    y = np.zeros((xp.shape[0],) + out)
    for b in range(xp.shape[0]):
        starts = []
        for j in range(nd):
            u = us[b, j if nd == 3 else nd - 1 - j]
            n, kk, o = ins[j], k[j], out[j]
            alpha = (n - kk) / (o - 1) if o > 1 else 0.0
            st = [int((i + u) * alpha) - int(u * alpha) for i in range(o - 1)] + [n - kk]
            starts.append(st)
        for o in itertools.product(*[range(m) for m in out]):
            win = tuple(slice(starts[j][o[j]], starts[j][o[j]] + k[j]) for j in range(nd))
            y[(b,) + o] = xp[(b,) + win].max()
    return y.reshape(lead + out)


def _s_frac(nd):
    shapes = {2: [((2, 3, 9, 8), 2, (4, 5)), ((3, 9, 8), (3, 2), (5, 6))],
              3: [((1, 2, 7, 6, 8), 2, (4, 3, 5)), ((2, 7, 6, 8), (2, 3, 2), (3, 3, 4))]}

    def s(rng, dt):
        out = []
        for shape, k, o in shapes[nd]:
            nb = shape[0] if len(shape) == nd + 2 else 1
            u = rng.random((nb, shape[-nd - 1], nd)).astype(dt)
            out.append(((D(randn(rng, shape, dt)), k, o, I(u)), {}))
        return out
    return s


# -------------------------------------------------------------- samples

def _x(rng, shape, dt):
    if np.issubdtype(np.dtype(dt), np.integer):
        return D((rng.standard_normal(shape) * 20).astype(dt))
    return D(randn(rng, shape, dt))


def _s_max2(rng, dt):
    return [
        ((_x(rng, (2, 3, 7, 6), dt), 2), {}),
        ((_x(rng, (2, 2, 7, 6), dt), 3), {"stride": 2, "padding": 1}),
        ((_x(rng, (1, 2, 8, 7), dt), (3, 2)), {"stride": (2, 1), "padding": (1, 0),
                                                "dilation": (2, 1)}),
        ((_x(rng, (2, 2, 7, 7), dt), 3), {"stride": 2, "ceil_mode": True}),
        ((_x(rng, (3, 5, 6), dt), 2), {"stride": 1}),
    ]


def _s_max1(rng, dt):
    return [
        ((_x(rng, (2, 3, 9), dt), 3), {"stride": 2, "padding": 1}),
        ((_x(rng, (2, 3, 9), dt), 2), {}),
        ((_x(rng, (3, 10), dt), 3), {"dilation": 2, "ceil_mode": True, "stride": 2}),
    ]


def _s_max3(rng, dt):
    return [
        ((_x(rng, (2, 2, 4, 5, 4), dt), 2), {}),
        ((_x(rng, (1, 2, 5, 5, 4), dt), 3), {"stride": 2, "padding": 1, "ceil_mode": True}),
        ((_x(rng, (2, 5, 6, 5), dt), (2, 3, 2)), {"stride": 1, "dilation": (1, 2, 1)}),
    ]


def _s_avg2(rng, dt):
    return [
        ((_x(rng, (2, 3, 7, 6), dt), 2), {}),
        ((_x(rng, (2, 2, 7, 6), dt), 3), {"stride": 2, "padding": 1}),
        ((_x(rng, (2, 2, 7, 6), dt), 3), {"stride": 2, "padding": 1, "count_include_pad": False}),
        ((_x(rng, (1, 2, 7, 7), dt), (3, 2)), {"stride": 2, "padding": (1, 1), "ceil_mode": True}),
        ((_x(rng, (3, 6, 5), dt), 2), {"stride": 1, "divisor_override": 3}),
    ]


def _s_avg1(rng, dt):
    return [
        ((_x(rng, (2, 3, 9), dt), 3), {"stride": 2, "padding": 1}),
        ((_x(rng, (2, 3, 9), dt), 2), {"ceil_mode": True}),
        ((_x(rng, (3, 10), dt), 3), {"padding": 1, "count_include_pad": False}),
    ]


def _s_avg3(rng, dt):
    return [
        ((_x(rng, (2, 2, 4, 5, 4), dt), 2), {}),
        ((_x(rng, (1, 2, 5, 5, 4), dt), 3), {"stride": 2, "padding": 1, "ceil_mode": True}),
        ((_x(rng, (2, 5, 6, 5), dt), (2, 3, 2)), {"stride": 1, "count_include_pad": False,
                                                  "padding": 1}),
        ((_x(rng, (2, 4, 4, 4), dt), 2), {"divisor_override": 5}),
    ]


def _s_ada2(rng, dt):
    return [
        ((_x(rng, (2, 3, 7, 6), dt), (3, 4)), {}),
        ((_x(rng, (2, 3, 5, 6), dt), 4), {}),
        ((_x(rng, (3, 5, 7), dt), (None, 3)), {}),
        ((_x(rng, (2, 3, 5, 6), dt), 1), {}),
        ((_x(rng, (2, 3, 4, 5), dt), (6, 7)), {}),
    ]


def _s_ada1(rng, dt):
    return [((_x(rng, (2, 3, 9), dt), 4), {}), ((_x(rng, (3, 7), dt), 3), {}),
            ((_x(rng, (2, 3, 4), dt), 6), {})]


def _s_ada3(rng, dt):
    return [((_x(rng, (2, 2, 5, 4, 6), dt), (2, 3, 4)), {}),
            ((_x(rng, (2, 4, 5, 3), dt), 2), {}),
            ((_x(rng, (2, 4, 5, 3), dt), 1), {})]


def _s_lp(nd):
    shapes = {1: (2, 3, 9), 2: (2, 3, 6, 7), 3: (1, 2, 4, 5, 4)}

    def s(rng, dt):
        x = lambda: D(np.abs(randn(rng, shapes[nd], dt)) + np.asarray(0.5, dt))
        return [((x(), 2, 2), {}), ((x(), 3, 3), {"stride": 2, "ceil_mode": True}),
                ((x(), 1.5, 2), {"stride": 1})]
    return s


def _s_unpool(nd):
    shapes = {1: (2, 3, 8), 2: (2, 3, 6, 4), 3: (1, 2, 4, 4, 6)}

    def s(rng, dt):
        src = randn(rng, shapes[nd], dt)
        v, i = np_max_pool(src, nd, 2, return_indices=True)
        ins = shapes[nd][-nd:]
        return [((D(v.astype(dt)), I(i), 2), {}),
                ((D(v.astype(dt)), I(i), 2), {"output_size": tuple(n + 1 for n in ins)})]
    return s


def _unpool_ref(nd):
    def ref(x, idx, k, output_size=None):
        out = output_size or tuple((n - 1) * k + k for n in x.shape[-nd:])
        return np_unpool(x, idx, nd, out)
    return ref


def _only_x(samples):
    """The first sample's data input alone (the torch-level entries fix the rest)."""
    return lambda rng, dt: [((samples(rng, dt)[0][0][0],), {})]

MAX_REFUSED = (("bool", NotImplementedError, "not implemented for 'Bool'"),
               ("complex64", NotImplementedError, "not implemented for 'ComplexFloat'"))


def _t4(t, *s):
    return t.randn(*(s or (2, 3, 6, 6)))


OPS = [
    NNOp("max_pool2d", lambda t, *a, **k: F(t).max_pool2d(*a, **k),
         lambda x, *a, **k: np_max_pool(x, 2, *a, **k), _s_max2, dtypes=FLOATS,
         refused=MAX_REFUSED, grad_fn="MaxPool2DWithIndicesBackward0",
         errors=[
             (lambda t: F(t).max_pool2d(_t4(t), 4, padding=3), RuntimeError,
              "pad should be at most half of effective kernel size, but got pad=3, kernel_size=4 "
              "and dilation=1"),
             (lambda t: F(t).max_pool2d(_t4(t), 7), RuntimeError,
              "Given input size: (3x6x6). Calculated output size: (3x0x0). Output size is too small"),
             (lambda t: F(t).max_pool2d(_t4(t), 0), RuntimeError, "stride should not be zero"),
             (lambda t: F(t).max_pool2d(_t4(t), 0, 1), RuntimeError,
              "kernel size should be greater than zero, but got kH: 0 kW: 0"),
             (lambda t: F(t).max_pool2d(_t4(t), 2, -1), RuntimeError,
              "stride should be greater than zero, but got dH: -1 dW: -1"),
             (lambda t: F(t).max_pool2d(_t4(t), 2, dilation=0), RuntimeError,
              "dilation should be greater than zero, but got dilationH: 0 dilationW: 0"),
             (lambda t: F(t).max_pool2d(_t4(t), 2, padding=-1), RuntimeError,
              "pad must be non-negative, but got pad: -1"),
             (lambda t: F(t).max_pool2d(_t4(t), (2, 2, 2)), RuntimeError,
              "max_pool2d: kernel_size must either be a single int, or a tuple of two ints"),
             (lambda t: F(t).max_pool2d(_t4(t), 2, (1, 1, 1)), RuntimeError,
              "max_pool2d: stride must either be omitted, a single int, or a tuple of two ints"),
             (lambda t: F(t).max_pool2d(t.randn(3, 6), 2), RuntimeError,
              "non-empty 3D or 4D (batch mode) tensor expected for input"),
             (lambda t: F(t).max_pool2d(t.randn(2, 0, 6, 6), 2), RuntimeError,
              "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, "
              "but got:[2, 0, 6, 6]"),
             (lambda t: F(t).max_pool2d(_t4(t), 2.5), TypeError,
              "max_pool2d(): argument 'kernel_size' (position 2) must be tuple of ints, not float"),
             (lambda t: F(t).max_pool2d([1.0], 2), TypeError,
              "max_pool2d(): argument 'input' (position 1) must be Tensor, not list"),
             (lambda t: F(t).max_pool2d(_t4(t), 2, ceil_mode=1), TypeError,
              "max_pool2d(): argument 'ceil_mode' (position 6) must be bool, not int"),
             (lambda t: F(t).max_pool2d(_t4(t), 2, 2 ** 40), RuntimeError,
              "value cannot be converted to type int without overflow"),
         ]),
    NNOp("max_pool1d", lambda t, *a, **k: F(t).max_pool1d(*a, **k),
         lambda x, *a, **k: np_max_pool(x, 1, *a, **k), _s_max1, grad_fn="SqueezeBackward1",
         refused=(("int64", NotImplementedError, "\"max_pool1d_impl\" not implemented for 'Long'"),),
         errors=[
             (lambda t: F(t).max_pool1d(t.randn(2, 3, 6), 4, padding=3), RuntimeError,
              "max_pool1d() padding should be at most half of kernel size, but got padding=3 and "
              "kernel_size=4"),
             (lambda t: F(t).max_pool1d(t.randn(2, 3, 6), 7), RuntimeError,
              "max_pool1d() Invalid computed output size: 0"),
             (lambda t: F(t).max_pool1d(t.randn(6), 2), RuntimeError,
              "max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for "
              "input, but got:[6]"),
             (lambda t: F(t).max_pool1d(t.randn(2, 3, 6), 0), RuntimeError,
              "max_pool1d() kernel_size must be greater than zero, but got 0"),
             (lambda t: F(t).max_pool1d(t.randn(2, 3, 6), (2, 2)), RuntimeError,
              "max_pool1d() kernel_size must be an int, list of ints or tuple of ints of size 1 but "
              "got size 2"),
             (lambda t: F(t).max_pool1d(t.randn(2, 3, 6), 7, return_indices=True), RuntimeError,
              "Given input size: (3x1x6). Calculated output size: (3x1x0). Output size is too small"),
             (lambda t: F(t).max_pool1d(t.randn(6), 2, return_indices=True), RuntimeError,
              "Expected 2 to 3 dimensions, but got 1-dimensional tensor for argument #1 'self' "
              "(while checking arguments for max_pool1d)"),
         ]),
    NNOp("max_pool3d", lambda t, *a, **k: F(t).max_pool3d(*a, **k),
         lambda x, *a, **k: np_max_pool(x, 3, *a, **k), _s_max3, dtypes=FLOATS,
         refused=MAX_REFUSED[:1], grad_fn="MaxPool3DWithIndicesBackward0",
         errors=[
             (lambda t: F(t).max_pool3d(t.randn(1, 2, 4, 4, 4), 5), RuntimeError,
              "Given input size: (2x4x4x4). Calculated output size: (2x0x0x0). Output size is too "
              "small"),
             (lambda t: F(t).max_pool3d(t.randn(4, 4), 2), RuntimeError,
              "non-empty 4D or 5D (batch mode) tensor expected for input"),
             (lambda t: F(t).max_pool3d(t.randn(1, 2, 4, 4, 4), 2, dilation=0), RuntimeError,
              "dilation should be greater than zero, but got dilationT: 0 dilationH: 0 dilationW: 0"),
             (lambda t: F(t).max_pool3d(t.randn(2, 0, 6, 6, 6), 2), RuntimeError,
              "non-batch dimension 0 has length zero!"),
             (lambda t: F(t).max_pool3d(t.randn(2, 3, 6, 6, 6), (2, 2)), RuntimeError,
              "max_pool3d: kernel_size must either be a single int, or a tuple of three ints"),
         ]),
    NNOp("avg_pool2d", lambda t, *a, **k: F(t).avg_pool2d(*a, **k),
         lambda x, *a, **k: np_avg_pool(x, 2, *a, **k), _s_avg2, grad_fn="AvgPool2DBackward0",
         refused=(("int32", NotImplementedError, "\"avg_pool2d\" not implemented for 'Int'"),
                  ("bool", NotImplementedError, "\"avg_pool2d\" not implemented for 'Bool'")),
         errors=[
             (lambda t: F(t).avg_pool2d(_t4(t), 4, padding=3), RuntimeError,
              "pad should be at most half of effective kernel size, but got pad=3, kernel_size=4 "
              "and dilation=1"),
             (lambda t: F(t).avg_pool2d(_t4(t), 7), RuntimeError,
              "Given input size: (3x6x6). Calculated output size: (3x0x0). Output size is too small"),
             (lambda t: F(t).avg_pool2d(_t4(t), 2, divisor_override=0), RuntimeError,
              "divisor must be not zero"),
             (lambda t: F(t).avg_pool2d(_t4(t), 2, divisor_override=2.5), TypeError,
              "avg_pool2d(): argument 'divisor_override' must be int, not float"),
             (lambda t: F(t).avg_pool2d(t.randn(3, 6), 2), IndexError,
              "Dimension out of range (expected to be in range of [-2, 1], but got -3)"),
             (lambda t: F(t).avg_pool2d(_t4(t), 2, 2, (1, 2, 3)), RuntimeError,
              "avg_pool2d: padding must either be a single int, or a tuple of two ints"),
         ]),
    NNOp("avg_pool1d", lambda t, *a, **k: F(t).avg_pool1d(*a, **k),
         lambda x, *a, **k: np_avg_pool(x, 1, *a, **k), _s_avg1, grad_fn="SqueezeBackward1",
         errors=[
             (lambda t: F(t).avg_pool1d(t.randn(2, 3, 6), 7), RuntimeError,
              "Given input size: (3x1x6). Calculated output size: (3x1x0). Output size is too small"),
             (lambda t: F(t).avg_pool1d(t.randn(6), 2), RuntimeError,
              "Expected 2 to 3 dimensions, but got 1-dimensional tensor for argument #1 'self' "
              "(while checking arguments for avg_pool1d)"),
             (lambda t: F(t).avg_pool1d(t.randn(2, 3, 6), (2, 2)), RuntimeError,
              "avg_pool1d() argument 'kernel_size' should contain one int (got 2)"),
             (lambda t: F(t).avg_pool1d(t.randn(2, 3, 6), 0, 1), RuntimeError,
              "kernel size should be greater than zero, but got kH: 1 kW: 0"),
         ]),
    NNOp("avg_pool3d", lambda t, *a, **k: F(t).avg_pool3d(*a, **k),
         lambda x, *a, **k: np_avg_pool(x, 3, *a, **k), _s_avg3, grad_fn="AvgPool3DBackward0",
         dtypes=("float32", "float64"),
         refused=(("bool", NotImplementedError, "\"avg_pool3d_out_frame\" not implemented for 'Bool'"),
                  ("float16", NotImplementedError,
                   "\"avg_pool3d_out_frame\" not implemented for 'Half'")),
         errors=[
             (lambda t: F(t).avg_pool3d(t.randn(1, 2, 4, 4, 4), 5), RuntimeError,
              "input image (T: 4 H: 4 W: 4) smaller than kernel size (kT: 5 kH: 5 kW: 5)"),
             (lambda t: F(t).avg_pool3d(t.randn(1, 2, 4, 4, 4), 2, divisor_override=0),
              RuntimeError, "divisor must be not zero"),
             (lambda t: F(t).avg_pool3d(t.randn(1, 2, 4, 4, 4), (2, 2)), RuntimeError,
              "avg_pool3d: kernel_size must be a single int, or a tuple of three ints"),
             (lambda t: F(t).avg_pool3d(t.randn(6, 6), 2), RuntimeError,
              "non-empty 4D or 5D (batch mode) tensor expected for input"),
         ]),
    NNOp("adaptive_avg_pool2d", lambda t, *a, **k: F(t).adaptive_avg_pool2d(*a, **k),
         lambda x, o: np_adaptive(x, 2, o), _s_ada2, grad_fn="AdaptiveAvgPool2DBackward0",
         refused=(("int64", NotImplementedError, "\"adaptive_avg_pool2d\" not implemented for 'Long'"),),
         errors=[
             (lambda t: F(t).adaptive_avg_pool2d(_t4(t), (2, 2, 2)), RuntimeError,
              "adaptive_avg_pool2d: output_size must be 2"),
             (lambda t: F(t).adaptive_avg_pool2d(_t4(t), -1), RuntimeError,
              "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but "
              "received {-1, -1}"),
             (lambda t: F(t).adaptive_avg_pool2d(t.randn(3, 6), 2), RuntimeError,
              "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [3, 6]"),
             (lambda t: F(t).adaptive_avg_pool2d(t.randn(2, 3, 0, 6), 2), RuntimeError,
              "adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, "
              "but input has sizes [2, 3, 0, 6] with dimension 2 being empty"),
             (lambda t: F(t).adaptive_avg_pool2d(_t4(t).long(), 1), RuntimeError,
              "mean(): could not infer output dtype"),
         ]),
    NNOp("adaptive_avg_pool1d", lambda t, *a, **k: F(t).adaptive_avg_pool1d(*a, **k),
         lambda x, o: np_adaptive(x, 1, o), _s_ada1, grad_fn="SqueezeBackward1",
         errors=[
             (lambda t: F(t).adaptive_avg_pool1d(t.randn(2, 3, 6), (2, 2)), RuntimeError,
              "adaptive_avg_pool1d() argument 'output_size' should contain one int (got 2)"),
             (lambda t: F(t).adaptive_avg_pool1d(t.randn(6), 2), RuntimeError,
              "Expected 2 to 3 dimensions, but got 1-dimensional tensor for argument #1 'self' "
              "(while checking arguments for adaptive_avg_pool1d)"),
         ]),
    NNOp("adaptive_avg_pool3d", lambda t, *a, **k: F(t).adaptive_avg_pool3d(*a, **k),
         lambda x, o: np_adaptive(x, 3, o), _s_ada3, grad_fn="AdaptiveAvgPool3DBackward0",
         refused=(("int64", NotImplementedError,
                   "\"adaptive_avg_pool3d_cpu\" not implemented for 'Long'"),),
         errors=[
             (lambda t: F(t).adaptive_avg_pool3d(t.randn(1, 2, 4, 4, 4), (2, 2)), RuntimeError,
              "adaptive_avg_pool3d: output_size must be 3"),
             (lambda t: F(t).adaptive_avg_pool3d(t.randn(4, 4), 2), RuntimeError,
              "adaptive_avg_pool3d(): Expected 4D or 5D tensor, but got [4, 4]"),
         ]),
    NNOp("adaptive_max_pool2d", lambda t, *a, **k: F(t).adaptive_max_pool2d(*a, **k),
         lambda x, o: np_adaptive(x, 2, o, "max"), _s_ada2, grad_fn="AdaptiveMaxPool2DBackward0",
         refused=(("int64", NotImplementedError, "\"adaptive_max_pool2d\" not implemented for 'Long'"),),
         errors=[
             (lambda t: F(t).adaptive_max_pool2d(_t4(t), (2, 2, 2)), RuntimeError,
              "adaptive_max_pool2d(): internal error: output_size.size() must be 2"),
             (lambda t: F(t).adaptive_max_pool2d(t.randn(3, 6), 2), RuntimeError,
              "adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: [3, 6]"),
             (lambda t: F(t).adaptive_max_pool2d(t.randn(2, 0, 6, 6), 2), RuntimeError,
              "with dimension 1 being empty"),
             (lambda t: F(t).adaptive_max_pool2d(_t4(t), -1), RuntimeError,
              "Trying to create tensor with negative dimension -1: [2, 3, -1, -1]"),
         ]),
    NNOp("adaptive_max_pool1d", lambda t, *a, **k: F(t).adaptive_max_pool1d(*a, **k),
         lambda x, o: np_adaptive(x, 1, o, "max"), _s_ada1, grad_fn="SqueezeBackward1"),
    NNOp("adaptive_max_pool3d", lambda t, *a, **k: F(t).adaptive_max_pool3d(*a, **k),
         lambda x, o: np_adaptive(x, 3, o, "max"), _s_ada3, grad_fn="AdaptiveMaxPool3DBackward0",
         errors=[(lambda t: F(t).adaptive_max_pool3d(t.randn(6, 6), 2), RuntimeError,
                  "adaptive_max_pool3d(): Expected 4D or 5D tensor, but got: [6, 6]")]),
    NNOp("lp_pool1d", lambda t, *a, **k: F(t).lp_pool1d(*a, **k),
         lambda x, *a, **k: np_lp_pool(x, 1, *a, **k), _s_lp(1), grad_fn="PowBackward0",
         tol={"float16": (1e-2, 1e-2)}),
    NNOp("lp_pool2d", lambda t, *a, **k: F(t).lp_pool2d(*a, **k),
         lambda x, *a, **k: np_lp_pool(x, 2, *a, **k), _s_lp(2), grad_fn="PowBackward0",
         tol={"float16": (1e-2, 1e-2)}),
    NNOp("lp_pool3d", lambda t, *a, **k: F(t).lp_pool3d(*a, **k),
         lambda x, *a, **k: np_lp_pool(x, 3, *a, **k), _s_lp(3), grad_fn="PowBackward0",
         dtypes=("float32", "float64")),
    NNOp("max_unpool1d", lambda t, *a, **k: F(t).max_unpool1d(*a, **k), _unpool_ref(1),
         _s_unpool(1), grad_fn="SqueezeBackward1"),
    NNOp("max_unpool2d", lambda t, *a, **k: F(t).max_unpool2d(*a, **k), _unpool_ref(2),
         _s_unpool(2), grad_fn="MaxUnpool2DBackward0",
         errors=[
             (lambda t: F(t).max_unpool2d(_t4(t), _t4(t).long(), 2), RuntimeError,
              "Found an invalid max index"),
             (lambda t: F(t).max_unpool2d(_t4(t), _t4(t).long(), 2, output_size=(5, 5)), ValueError,
              "invalid output_size"),
         ]),
    NNOp("max_unpool3d", lambda t, *a, **k: F(t).max_unpool3d(*a, **k), _unpool_ref(3),
         _s_unpool(3), grad_fn="MaxUnpool3DBackward0"),
    NNOp("fractional_max_pool2d",
         lambda t, x, k, o, u: F(t).fractional_max_pool2d(x, k, o, None, False, u),
         lambda x, k, o, u: np_fractional(x, 2, k, o, u), _s_frac(2),
         dtypes=("float32", "float64"), grad_fn="FractionalMaxPool2DBackward0",
         errors=[
             (lambda t: F(t).fractional_max_pool2d(_t4(t), 2), ValueError,
              "fractional_max_pool2d requires specifying either an output_size or an output_ratio"),
             (lambda t: F(t).fractional_max_pool2d(_t4(t), 2, (6, 6)), RuntimeError,
              "fractional_max_pool2d(): pool height 2 too large relative to input height 6"),
             (lambda t: F(t).fractional_max_pool2d(_t4(t), 2, 3, _random_samples=t.rand(1, 3, 2)),
              RuntimeError, "Expect _random_samples.size(0) no less then input batch size."),
         ]),
    NNOp("fractional_max_pool3d",
         lambda t, x, k, o, u: F(t).fractional_max_pool3d(x, k, o, None, False, u),
         lambda x, k, o, u: np_fractional(x, 3, k, o, u), _s_frac(3),
         dtypes=("float32", "float64"), grad_fn="FractionalMaxPool3DBackward0",
         errors=[(lambda t: F(t).fractional_max_pool3d(t.randn(1, 2, 5, 6, 7), 2, (4, 5, 6)),
                  RuntimeError, "fractional_max_pool3d_out(): pool time 2 too large relative to "
                  "input time 5")]),
    # torch-level forms (positional flags, tuples out)
    NNOp("torch.max_pool1d", lambda t, x: t.max_pool1d(x, 3, 2, 1, 1, True),
         lambda x: np_max_pool(x, 1, 3, 2, 1, 1, True), _only_x(_s_max1),
         dtypes=("float32", "float64"), grad_fn="SqueezeBackward1"),
    NNOp("torch.max_pool1d_with_indices", lambda t, x: t.max_pool1d_with_indices(x, 3, 2, 1)[0],
         lambda x: np_max_pool(x, 1, 3, 2, 1), _only_x(_s_max1),
         dtypes=("float32",)),
    NNOp("torch.max_pool2d", lambda t, x: t.max_pool2d(x, 3, (), 1, 1, True),
         lambda x: np_max_pool(x, 2, 3, None, 1, 1, True), _only_x(_s_max2),
         dtypes=("float32", "float64"), grad_fn="MaxPool2DWithIndicesBackward0"),
    NNOp("torch.max_pool3d", lambda t, x: t.max_pool3d(x, 2, 1),
         lambda x: np_max_pool(x, 3, 2, 1), _only_x(_s_max3),
         dtypes=("float32",)),
    NNOp("torch.avg_pool1d", lambda t, x: t.avg_pool1d(x, 3, 2, 1, False, False),
         lambda x: np_avg_pool(x, 1, 3, 2, 1, False, False), _only_x(_s_avg1),
         dtypes=("float32", "float64"), grad_fn="SqueezeBackward1"),
    NNOp("torch.adaptive_avg_pool1d", lambda t, x: t.adaptive_avg_pool1d(x, 4),
         lambda x: np_adaptive(x, 1, 4), _only_x(_s_ada1), dtypes=("float32",)),
    NNOp("torch.adaptive_max_pool1d", lambda t, x: t.adaptive_max_pool1d(x, 4)[0],
         lambda x: np_adaptive(x, 1, 4, "max"), _only_x(_s_ada1),
         dtypes=("float32",)),
]
