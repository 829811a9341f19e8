"""Table entries (tests/op_db_nn.py's NNOp) for interpolate, affine_grid,
grid_sample, scaled_dot_product_attention and ctc_loss, with numpy references
written from the documented definitions: loops over output positions for the
resampling, a probability-space dynamic programme for CTC."""
import math

import numpy as np

from tests.op_db_nn import NNOp, D, I, randn, FLOATS  # noqa: F401


def F(torch):
    return torch.nn.functional


# ------------------------------------------------------------ interpolate

def _taps(mode, n_in, n_out, align_corners, scale, single):
    """For each output position of one dim: [(input index, weight), ...]."""
    cast = np.float32 if single else np.float64
    res = []
    for i in range(n_out):
        if mode in ("nearest", "nearest-exact"):
            s = cast(1.0 / scale) if scale else cast(n_in / n_out)
            if mode == "nearest":
                src = math.floor(cast(i) * s) if n_out not in (n_in, 2 * n_in) else (
                    i if n_out == n_in else i // 2)
            else:
                src = math.floor((i + 0.5) * float(s))
            res.append([(min(src, n_in - 1), 1.0)])
            continue
        if mode == "area":
            lo = math.floor(i * n_in / n_out)
            hi = math.ceil((i + 1) * n_in / n_out)
            res.append([(j, 1.0 / (hi - lo)) for j in range(lo, hi)])
            continue
        if align_corners:
            step = (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
            x = float(cast(step)) * i
        else:
            step = float(cast(1.0 / scale)) if scale else float(cast(n_in / n_out))
            x = step * (i + 0.5) - 0.5
        if mode == "bicubic":
            x0 = min(math.floor(x), n_in - 1)
            t = min(max(x - x0, 0.0), 1.0)
            a = -0.75

            def near(d):
                return ((a + 2) * d - (a + 3)) * d * d + 1

            def far(d):
                return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a
            ws = [far(t + 1), near(t), near(1 - t), far(2 - t)]
            res.append([(min(max(x0 - 1 + k, 0), n_in - 1), ws[k]) for k in range(4)])
        else:
            x = max(x, 0.0)
            x0 = min(int(x), n_in - 1)
            lam = x - x0
            x1 = x0 + 1 if x0 < n_in - 1 else x0
            res.append([(x0, 1 - lam), (x1, lam)])
    return res


def _aa_row_weights(mode, n_in, n_out, align_corners, scale_factor):
    """Antialiased taps (PIL's scheme): the filter widened by the scale when
    shrinking, weights normalized per output."""
    if align_corners:
        scale = (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
    else:
        scale = 1 / scale_factor if scale_factor else n_in / n_out

    def filt(d):
        d = abs(d)
        if mode == "bilinear":
            return 1 - d if d < 1 else 0.0
        a = -0.5
        if d < 1:
            return ((a + 2) * d - (a + 3)) * d * d + 1
        return (((d - 5) * d + 8) * d - 4) * a if d < 2 else 0.0
    support = (2 if mode == "bilinear" else 4) * 0.5 * (scale if scale >= 1 else 1)
    inv = 1 / scale if scale >= 1 else 1.0
    res = []
    for i in range(n_out):
        center = scale * (i + 0.5)
        lo = max(int(center - support + 0.5), 0)
        hi = min(int(center + support + 0.5), n_in)
        w = [filt((j - center + 0.5) * inv) for j in range(lo, hi)]
        tot = sum(w)
        res.append([(j, wj / tot if tot else wj) for j, wj in zip(range(lo, hi), w)])
    return res


def np_interpolate(x, size=None, scale_factor=None, mode="nearest", align_corners=None,
                   recompute_scale_factor=None, antialias=False):
    x = np.asarray(x)
    single = x.dtype != np.float64
    out = x.astype(np.float64)
    nd = x.ndim - 2
    for j in range(nd):
        n_in = x.shape[2 + j]
        if size is not None:
            n_out = size[j] if isinstance(size, (list, tuple)) else size
            scale = None
        else:
            s = scale_factor[j] if isinstance(scale_factor, (list, tuple)) else scale_factor
            n_out = math.floor(n_in * s)
            scale = None if (recompute_scale_factor or mode == "area") else s
        if antialias:
            taps = _aa_row_weights(mode, n_in, n_out, bool(align_corners), scale)
        else:
            taps = _taps(mode, n_in, n_out, bool(align_corners), scale, single)
        moved = np.moveaxis(out, 2 + j, -1)
        new = np.zeros(moved.shape[:-1] + (n_out,))
        for i, tap in enumerate(taps):
            for src, w in tap:
                new[..., i] += w * moved[..., src]
        out = np.moveaxis(new, -1, 2 + j)
    return out


def _s_interp(rng, dt):
    x3 = lambda: D(randn(rng, (2, 3, 5), dt))
    x4 = lambda: D(randn(rng, (2, 2, 4, 5), dt))
    x5 = lambda: D(randn(rng, (1, 2, 3, 4, 3), dt))
    return [
        ((x4(),), {"scale_factor": 2, "mode": "bilinear"}),
        ((x4(),), {"size": (7, 3), "mode": "bilinear"}),
        ((x4(),), {"scale_factor": 1.7, "mode": "bilinear", "align_corners": True}),
        ((x4(),), {"scale_factor": (0.6, 2.5), "mode": "bilinear"}),
        ((x4(),), {"scale_factor": 1.7, "mode": "bilinear", "recompute_scale_factor": True}),
        ((x3(),), {"size": 8, "mode": "linear"}),
        ((x3(),), {"scale_factor": 0.5, "mode": "linear", "align_corners": True}),
        ((x4(),), {"size": (6, 9), "mode": "bicubic"}),
        ((x4(),), {"scale_factor": 1.5, "mode": "bicubic", "align_corners": True}),
        ((x4(),), {"scale_factor": 0.6, "mode": "bicubic"}),
        ((x5(),), {"scale_factor": 1.5, "mode": "trilinear"}),
        ((x5(),), {"size": (2, 5, 4), "mode": "trilinear", "align_corners": True}),
        ((x4(),), {"size": (3, 3), "mode": "area"}),
        ((x4(),), {"scale_factor": 1.5, "mode": "area"}),
        ((x3(),), {"size": 3, "mode": "area"}),
        ((x5(),), {"size": (2, 2, 5), "mode": "area"}),
        ((D(randn(rng, (1, 2, 9, 7), dt)),), {"size": (4, 3), "mode": "bilinear", "antialias": True}),
        ((D(randn(rng, (1, 2, 9, 7), dt)),), {"scale_factor": 0.45, "mode": "bicubic",
                                               "antialias": True}),
        ((x4(),), {"size": (6, 3), "mode": "bicubic", "antialias": True, "align_corners": True}),
        # long (values only): the kernel's slices on threads, both passes
        ((D(randn(rng, (4, 8, 40, 40), dt)),), {"scale_factor": 2, "mode": "bilinear"}),
        ((D(randn(rng, (4, 8, 2000), dt)),), {"scale_factor": 2, "mode": "linear"}),
    ]


def _s_nearest(rng, dt):
    x3 = lambda: D(randn(rng, (2, 3, 5), dt))
    x4 = lambda: D(randn(rng, (2, 2, 4, 5), dt))
    x5 = lambda: D(randn(rng, (1, 2, 3, 4, 3), dt))
    return [
        ((x4(),), {"scale_factor": 2}),
        ((x4(),), {"size": (7, 3)}),
        ((x4(),), {"scale_factor": (1.7, 0.5)}),
        ((x4(),), {"scale_factor": 2.5, "recompute_scale_factor": True}),
        ((x3(),), {"size": 11}),
        ((x5(),), {"scale_factor": 1.5}),
        ((x4(),), {"scale_factor": 2, "mode": "nearest-exact"}),
        ((x4(),), {"size": (3, 7), "mode": "nearest-exact"}),
        ((x3(),), {"scale_factor": 0.7, "mode": "nearest-exact"}),
        ((x5(),), {"size": (2, 5, 4), "mode": "nearest-exact"}),
    ]


def _interp(t, x, **k):
    return F(t).interpolate(x, **k)


def _x4(t):
    return t.randn(1, 2, 3, 4)


_INTERP_ERRORS = [
    (lambda t: F(t).interpolate(_x4(t), scale_factor=2, mode="nearest", align_corners=True),
     ValueError, "align_corners option can only be set with the interpolating modes"),
    (lambda t: F(t).interpolate(_x4(t), size=(3, 4), scale_factor=2), ValueError,
     "only one of size or scale_factor should be defined"),
    (lambda t: F(t).interpolate(_x4(t)), ValueError, "either size or scale_factor should be defined"),
    (lambda t: F(t).interpolate(_x4(t), size=(3,)), ValueError,
     "Input and output must have the same number of spatial dimensions, but got input with "
     "spatial dimensions of [3, 4] and output size of (3,)"),
    (lambda t: F(t).interpolate(_x4(t), scale_factor=(2,)), ValueError,
     "Input and scale_factor must have the same number of spatial dimensions"),
    (lambda t: F(t).interpolate(_x4(t), scale_factor=2, mode="foo"), NotImplementedError,
     "Input Error: Only 3D, 4D and 5D input Tensors supported (got 4D) for the modes: nearest | "
     "linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact (got foo)"),
    (lambda t: F(t).interpolate(_x4(t), scale_factor=2, mode="linear"), NotImplementedError,
     "Got 4D input, but linear mode needs 3D input"),
    (lambda t: F(t).interpolate(t.randn(1, 2, 3), scale_factor=2, mode="trilinear"),
     NotImplementedError, "Got 3D input, but trilinear mode needs 5D input"),
    (lambda t: F(t).interpolate(_x4(t), scale_factor=2, antialias=True), ValueError,
     "Anti-alias option is restricted to bilinear, bicubic, and lanczos modes"),
    (lambda t: F(t).interpolate(_x4(t), size=4, recompute_scale_factor=True), ValueError,
     "recompute_scale_factor is not meaningful with an explicit size."),
    (lambda t: F(t).interpolate(_x4(t), size=(0, 3)), RuntimeError,
     "Input and output sizes should be greater than 0, but got input (H: 3, W: 4) output "
     "(H: 0, W: 3)"),
    (lambda t: F(t).interpolate(_x4(t), size=(2.5, 3)), TypeError,
     "expected size to be one of int or Tuple[int]"),
    (lambda t: F(t).interpolate(t.ones(1, 2, 3, 4, dtype=t.int64), scale_factor=2,
                                mode="bilinear"), NotImplementedError, "not implemented for 'Long'"),
]


# ------------------------------------------------------------ affine_grid

def np_affine_grid(theta, size, align_corners=False):
    theta = np.asarray(theta, dtype=np.float64)
    spatial = size[2:]

    def axis(n):
        if n == 1:
            return np.zeros(1)
        r = np.linspace(-1, 1, n)
        return r if align_corners else r * (n - 1) / n
    out = np.zeros((size[0],) + tuple(spatial) + (len(spatial),))
    for idx in np.ndindex(*spatial):
        # idx is (d,) h, w; the homogeneous point is (x, y(, z), 1)
        p = [axis(spatial[j])[idx[j]] for j in range(len(spatial))][::-1] + [1.0]
        out[(slice(None),) + idx] = theta @ np.array(p)
    return out


def _s_affine(rng, dt):
    return [((D(randn(rng, (2, 2, 3), dt)), (2, 3, 4, 5)), {"align_corners": False}),
            ((D(randn(rng, (2, 2, 3), dt)), (2, 1, 3, 4)), {"align_corners": True}),
            ((D(randn(rng, (1, 3, 4), dt)), (1, 2, 3, 2, 4)), {"align_corners": False}),
            ((D(randn(rng, (2, 3, 4), dt)), (2, 2, 2, 3, 2)), {"align_corners": True})]


# ------------------------------------------------------------ grid_sample

def _reflect(c, lo2, hi2):
    if lo2 == hi2:
        return 0.0
    lo, span = lo2 / 2, (hi2 - lo2) / 2
    c = abs(c - lo)
    flips = math.floor(c / span)
    extra = math.fmod(c, span)
    return extra + lo if flips % 2 == 0 else span - extra + lo


def _coord(c, n, padding, align):
    if padding == "border":
        return min(max(c, 0), n - 1)
    if padding == "reflection":
        c = _reflect(c, 0, 2 * (n - 1)) if align else _reflect(c, -1, 2 * n - 1)
        return min(max(c, 0), n - 1)
    return c


def np_grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False):
    x = np.asarray(x, dtype=np.float64)
    grid = np.asarray(grid, dtype=np.float64)
    k = x.ndim - 2
    sizes = x.shape[2:][::-1]           # W, H (, D): the grid's coordinate order
    out = np.zeros(x.shape[:2] + grid.shape[1:-1])

    def value(b, pos):
        if all(0 <= p < n for p, n in zip(pos, sizes)):
            return x[(b, slice(None)) + tuple(int(p) for p in pos[::-1])]
        return np.zeros(x.shape[1])

    for b in range(x.shape[0]):
        for idx in np.ndindex(*grid.shape[1:-1]):
            g = grid[(b,) + idx]
            u = [((g[j] + 1) / 2 * (sizes[j] - 1)) if align_corners else
                 (((g[j] + 1) * sizes[j] - 1) / 2) for j in range(k)]
            if mode == "bicubic":
                a = -0.75
                cw = lambda d: ((a + 2) * d - (a + 3)) * d * d + 1
                fw = lambda d: ((a * d - 5 * a) * d + 8 * a) * d - 4 * a
                x0, y0 = math.floor(u[0]), math.floor(u[1])
                tx, ty = u[0] - x0, u[1] - y0
                wx = [fw(tx + 1), cw(tx), cw(1 - tx), fw(2 - tx)]
                wy = [fw(ty + 1), cw(ty), cw(1 - ty), fw(2 - ty)]
                acc = np.zeros(x.shape[1])
                for i in range(4):
                    for j in range(4):
                        px = _coord(x0 - 1 + j, sizes[0], padding_mode, align_corners)
                        py = _coord(y0 - 1 + i, sizes[1], padding_mode, align_corners)
                        acc += wx[j] * wy[i] * value(b, [math.trunc(px), math.trunc(py)])
                out[(b, slice(None)) + idx] = acc
                continue
            u = [_coord(u[j], sizes[j], padding_mode, align_corners) for j in range(k)]
            if mode == "nearest":
                out[(b, slice(None)) + idx] = value(b, [np.round(c) for c in u])
                continue
            acc = np.zeros(x.shape[1])
            for corner in np.ndindex(*([2] * k)):
                w, pos = 1.0, []
                for j in range(k):
                    lo = math.floor(u[j])
                    pos.append(lo + corner[j])
                    w *= (u[j] - lo) if corner[j] else (1 - (u[j] - lo))
                acc += w * value(b, pos)
            out[(b, slice(None)) + idx] = acc
    return out


def _grid_pts(rng, shape, dt, spread=1.2):
    return (rng.random(shape) * 2 - 1) * spread


def _s_grid(rng, dt):
    x = lambda: D(randn(rng, (2, 2, 4, 5), dt))
    g = lambda: D(_grid_pts(rng, (2, 3, 4, 2), dt).astype(dt))
    cases = [((x(), g()), {"align_corners": False})]
    for mode in ("bilinear", "nearest", "bicubic"):
        for pad in ("zeros", "border", "reflection"):
            for align in (False, True):
                if (mode, pad, align) != ("bilinear", "zeros", False):
                    cases.append(((x(), g()), {"mode": mode, "padding_mode": pad,
                                               "align_corners": align}))
    return cases


def _s_grid3d(rng, dt):
    x = lambda: D(randn(rng, (1, 2, 3, 4, 3), dt))
    g = lambda: D(_grid_pts(rng, (1, 2, 3, 2, 3), dt).astype(dt))
    return [((x(), g()), {"mode": mode, "padding_mode": pad, "align_corners": align})
            for mode in ("bilinear", "nearest") for pad in ("zeros", "border", "reflection")
            for align in (False, True)]


def _xg(t, x=(1, 1, 3, 4), g=(1, 2, 2, 2)):
    return t.randn(*x), t.rand(*g)


_GRID_ERRORS = [
    (lambda t: F(t).grid_sample(*_xg(t), mode="foo"), ValueError,
     "nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but "
     "got: 'foo'"),
    (lambda t: F(t).grid_sample(*_xg(t), padding_mode="foo"), ValueError,
     "expected padding_mode to be 'zeros', 'border', or 'reflection', but got: 'foo'"),
    (lambda t: F(t).grid_sample(*_xg(t, g=(1, 2, 2, 1)), align_corners=True), RuntimeError,
     "grid_sampler(): expected grid to have size 2 in last dimension, but got grid with sizes "
     "[1, 2, 2, 1]"),
    (lambda t: F(t).grid_sample(*_xg(t, g=(2, 2, 2, 2)), align_corners=True), RuntimeError,
     "grid_sampler(): expected grid and input to have same batch size"),
    (lambda t: F(t).grid_sample(*_xg(t, g=(1, 2, 2, 2, 2)), align_corners=True), RuntimeError,
     "grid_sampler(): expected 4D input and grid with same number of dimensions"),
    (lambda t: F(t).grid_sample(t.randn(1, 1, 2, 2, 2), t.rand(1, 2, 2, 2, 3), mode="bicubic",
                                align_corners=True), RuntimeError,
     "grid_sampler(): bicubic interpolation only supports 4D input"),
    (lambda t: F(t).grid_sample(t.randn(1, 1, 2, 2), t.rand(1, 2, 2, 2).double(),
                                align_corners=True), RuntimeError,
     "expected scalar type Float but found Double"),
    (lambda t: F(t).grid_sample(t.ones(1, 1, 2, 2, dtype=t.int64), t.rand(1, 2, 2, 2),
                                align_corners=True), NotImplementedError,
     "\"grid_sampler_2d_cpu_kernel_impl\" not implemented for 'Long'"),
]

_AFFINE_ERRORS = [
    (lambda t: F(t).affine_grid(t.randn(2, 2, 3), (2, 3, 4, 5, 6), align_corners=True), ValueError,
     "Expected a batch of 3D affine matrices of shape Nx3x4 for size (2, 3, 4, 5, 6)."),
    (lambda t: F(t).affine_grid(t.randn(2, 2, 4), (2, 3, 5, 6), align_corners=True), ValueError,
     "Expected a batch of 2D affine matrices of shape Nx2x3 for size (2, 3, 5, 6)."),
    (lambda t: F(t).affine_grid(t.ones(2, 2, 3, dtype=t.int64), (2, 3, 5, 6), align_corners=True),
     ValueError, "Expected theta to have floating point type, but got torch.int64"),
    (lambda t: F(t).affine_grid(t.randn(2, 2, 3), (2, 3, 5), align_corners=True),
     NotImplementedError, "affine_grid only supports 4D and 5D sizes, for 2D and 3D affine "
     "transforms, respectively. Got size (2, 3, 5)."),
    (lambda t: F(t).affine_grid(t.randn(2, 2, 3), (2, 3, 0, 4), align_corners=False), ValueError,
     "Expected non-zero, positive output size. Got (2, 3, 0, 4)"),
]


# ------------------------------------------------------------ attention

def np_sdpa(q, k, v, attn_mask=None, is_causal=False, scale=None, enable_gqa=False,
            dropout_p=0.0):
    q, k, v = (np.asarray(a, dtype=np.float64) for a in (q, k, v))
    if enable_gqa:
        k = np.repeat(k, q.shape[-3] // k.shape[-3], axis=-3)
        v = np.repeat(v, q.shape[-3] // v.shape[-3], axis=-3)
    s = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    a = q @ np.swapaxes(k, -1, -2) * s
    L, S = a.shape[-2:]
    if is_causal:
        a = np.where(np.tril(np.ones((L, S), bool)), a, -np.inf)
    if attn_mask is not None:
        m = np.asarray(attn_mask)
        a = np.where(m, a, -np.inf) if m.dtype == bool else a + m
    mx = a.max(-1, keepdims=True)
    e = np.exp(a - np.where(np.isfinite(mx), mx, 0))
    tot = e.sum(-1, keepdims=True)
    w = np.where(tot > 0, e / np.where(tot > 0, tot, 1), 0)
    return w @ v


def _s_sdpa(rng, dt):
    q = lambda *s: D(randn(rng, s, dt))
    mask = rng.random((3, 4)) > 0.4
    mask[:, 0] = True
    hidden = mask.copy()
    hidden[1] = False
    return [
        ((q(2, 2, 3, 4), q(2, 2, 4, 4), q(2, 2, 4, 5)), {}),
        ((q(2, 2, 3, 4), q(2, 2, 3, 4), q(2, 2, 3, 2)), {"is_causal": True}),
        ((q(2, 2, 3, 4), q(2, 2, 4, 4), q(2, 2, 4, 5), I(mask)), {}),
        ((q(2, 2, 3, 4), q(2, 2, 4, 4), q(2, 2, 4, 5), I(hidden)), {}),
        ((q(2, 2, 3, 4), q(2, 2, 4, 4), q(2, 2, 4, 5), I(randn(rng, (2, 1, 3, 4), dt))),
         {"scale": 0.3}),
        ((q(1, 4, 3, 2), q(1, 2, 5, 2), q(1, 2, 5, 3)), {"enable_gqa": True}),
        ((q(3, 4), q(5, 4), q(5, 2)), {}),
        # long enough for the causal product by row blocks (and more keys than queries)
        ((q(1, 70, 3), q(1, 75, 3), q(1, 75, 2)), {"is_causal": True, "scale": 0.8}),
    ]


def _sdpa(t, *a, **k):
    if len(a) == 4:
        k = dict(k, attn_mask=a[3])
        a = a[:3]
    return F(t).scaled_dot_product_attention(*a, **k)


def _ref_sdpa(*a, **k):
    if len(a) == 4:
        k = dict(k, attn_mask=a[3])
        a = a[:3]
    return np_sdpa(*a, **k)


def _qkv(t, lk=4, e=4, dt=None):
    return t.randn(1, 2, 3, 4), t.randn(1, 2, lk, e, dtype=dt), t.randn(1, 2, lk, 5)


_SDPA_ERRORS = [
    (lambda t: F(t).scaled_dot_product_attention(*_qkv(t, dt=t.float64)), RuntimeError,
     "Expected query, key, and value to have the same dtype, but got query.dtype: float "
     "key.dtype: double and value.dtype: float instead."),
    (lambda t: F(t).scaled_dot_product_attention(*_qkv(t), attn_mask=t.ones(3, 4, dtype=t.int64)),
     RuntimeError, "Expected attn_mask dtype to be bool or float or to match query dtype, but got "
     "attn_mask.dtype: long int and  query.dtype: float instead."),
    (lambda t: F(t).scaled_dot_product_attention(*_qkv(t), attn_mask=t.ones(3, 4, dtype=t.bool),
                                                 is_causal=True), RuntimeError,
     "_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True"),
    (lambda t: F(t).scaled_dot_product_attention(t.randn(1, 3, 2, 4), t.randn(1, 2, 2, 4),
                                                 t.randn(1, 2, 2, 4), enable_gqa=True),
     RuntimeError, "Number of heads in key and value must divide the number of heads in"),
]


# ------------------------------------------------------------ ctc_loss

def _np_log_softmax(x, axis):
    x = np.asarray(x, dtype=np.float64)
    m = x.max(axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis, keepdims=True))


def np_ctc(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean",
           zero_infinity=False):
    """-log of the total probability of the alignments, by the forward
    recursion over the blank-extended target in probability space (float64,
    short sequences)."""
    lp = np.asarray(log_probs, dtype=np.float64)
    unbatched = lp.ndim == 2
    if unbatched:
        lp = lp[:, None]
        targets = np.asarray(targets)[None]
    il = np.asarray(input_lengths).reshape(-1)
    tl = np.asarray(target_lengths).reshape(-1)
    targets = np.asarray(targets)
    losses = []
    off = 0
    for n in range(lp.shape[1]):
        if targets.ndim == 1:
            lab = list(targets[off:off + tl[n]])
            off += tl[n]
        else:
            lab = list(targets[n, :tl[n]])
        ext = [blank]
        for c in lab:
            ext += [int(c), blank]
        p = np.exp(lp[:, n])
        a = np.zeros(len(ext))
        a[0] = p[0, ext[0]]
        if len(ext) > 1:
            a[1] = p[0, ext[1]]
        for t in range(1, il[n]):
            new = np.zeros_like(a)
            for s in range(len(ext)):
                tot = a[s] + (a[s - 1] if s >= 1 else 0)
                if s >= 2 and ext[s] != blank and ext[s] != ext[s - 2]:
                    tot += a[s - 2]
                new[s] = tot * p[t, ext[s]]
            a = new
        prob = a[-1] + (a[-2] if len(ext) > 1 else 0)
        loss = -np.log(prob) if prob > 0 else np.inf
        if zero_infinity and np.isinf(loss):
            loss = 0.0
        losses.append(loss)
    losses = np.array(losses)
    if reduction == "mean":
        return np.asarray((losses / np.maximum(tl, 1)).mean())
    if reduction == "sum":
        return np.asarray(losses.sum())
    return losses[0] if unbatched else losses


def _ctc_fn(t, x, *a, **k):
    lp = x.log_softmax(x.dim() - 1)
    return F(t).ctc_loss(lp, *a, **k)


def _ctc_ref(x, *a, **k):
    return np_ctc(_np_log_softmax(x, -1), *a, **k)


def _s_ctc(rng, dt):
    x = lambda *s: D(randn(rng, s, dt))
    t2 = rng.integers(1, 5, (3, 4))
    return [
        ((x(7, 3, 5), I(t2), I(np.array([7, 6, 5])), I(np.array([4, 2, 3]))),
         {"reduction": "none"}),
        ((x(7, 3, 5), I(t2), I(np.array([7, 6, 5])), I(np.array([4, 2, 3]))), {}),
        ((x(7, 3, 5), I(t2), I(np.array([7, 7, 4])), I(np.array([3, 0, 1]))),
         {"reduction": "sum"}),
        ((x(6, 2, 4), I(np.array([1, 1, 2, 3, 3])), I(np.array([6, 5])), I(np.array([3, 2]))),
         {"reduction": "none"}),
        ((x(6, 2, 4), I(np.array([[1, 2, 0], [3, 3, 3]])), I(np.array([6, 6])),
          I(np.array([2, 3]))), {"blank": 0}),
        ((x(5, 2, 4), I(np.array([[0, 1, 2], [1, 2, 1]])), I(np.array([5, 5])),
          I(np.array([3, 3]))), {"blank": 3, "reduction": "none"}),
        ((x(6, 4), I(np.array([2, 1, 2])), I(np.array(6)), I(np.array(3))), {"reduction": "none"}),
        # input too short for the target: infinite, or zero with zero_infinity
        ((x(3, 2, 4), I(np.array([[1, 1, 1], [2, 3, 0]])), I(np.array([3, 3])),
          I(np.array([3, 2]))), {"reduction": "none", "zero_infinity": True}),
    ]


def _lp(t, T=5, N=2, C=3):
    return t.randn(T, N, C).log_softmax(2)


_CTC_ERRORS = [
    (lambda t: F(t).ctc_loss(_lp(t), t.tensor([[1, 2], [2, 1]]), t.tensor([5, 5]),
                             t.tensor([2, 2]), blank=3), RuntimeError,
     "blank must be in label range"),
    (lambda t: F(t).ctc_loss(_lp(t), t.tensor([[1, 2], [2, 1]]), t.tensor([6, 5]),
                             t.tensor([2, 2])), RuntimeError,
     "Expected input_lengths to have value at most 5, but got value 6 (while checking arguments "
     "for ctc_loss_allocate_outputs)"),
    (lambda t: F(t).ctc_loss(_lp(t), t.tensor([[1, 2], [2, 1]]), t.tensor([5, 5]),
                             t.tensor([3, 2])), RuntimeError,
     "Expected tensor to have size at least 3 at dimension 1, but got size 2 for argument #2 "
     "'targets'"),
    (lambda t: F(t).ctc_loss(_lp(t), t.tensor([1, 2, 1]), t.tensor([5, 5]), t.tensor([2, 2])),
     RuntimeError, "Expected tensor to have size 4 at dimension 0, but got size 3 for argument #2 "
     "'targets'"),
    (lambda t: F(t).ctc_loss(_lp(t), t.tensor([[1, 2], [2, 1]]), t.tensor([5.0, 5.0]),
                             t.tensor([2, 2])), RuntimeError, "input_lengths must be integral"),
    (lambda t: F(t).ctc_loss(_lp(t), t.tensor([[1, 2], [2, 1]]), t.tensor([5]),
                             t.tensor([2, 2])), RuntimeError,
     "input_lengths must be of size batch_size"),
    (lambda t: F(t).ctc_loss(_lp(t), t.tensor([[1, 2], [2, 1]]), t.tensor([5, 5]),
                             t.tensor([2, -1])), RuntimeError,
     "Expected target_lengths to have value at least 0, but got value -1"),
    (lambda t: F(t).ctc_loss(_lp(t), t.tensor([[1, 2], [2, 1]]), t.tensor([5, 5]),
                             t.tensor([2, 2]), reduction="foo"), ValueError,
     "foo is not a valid value for reduction"),
    (lambda t: F(t).ctc_loss(_lp(t).half(), t.tensor([[1, 2], [2, 1]]), t.tensor([5, 5]),
                             t.tensor([2, 2])), NotImplementedError,
     "\"ctc_loss_cpu\" not implemented for 'Half'"),
]


def _gs(t, x, g, **k):
    return F(t).grid_sample(x, g, **k)


OPS = [
    NNOp("interpolate", _interp, np_interpolate, _s_interp, grad_fn="UpsampleBilinear2DBackward0",
         errors=_INTERP_ERRORS, tol={"float16": (2e-2, 2e-2)}, grad_samples=19),
    NNOp("interpolate-nearest", _interp, np_interpolate, _s_nearest,
         grad_fn="UpsampleNearest2DBackward0", tol={"float16": (1e-3, 1e-3)}),
    NNOp("affine_grid", lambda t, th, size, **k: F(t).affine_grid(th, size, **k), np_affine_grid,
         _s_affine, dtypes=("float32", "float64"), grad_fn="AffineGridGeneratorBackward0",
         errors=_AFFINE_ERRORS),
    NNOp("grid_sample", _gs, np_grid_sample, _s_grid, dtypes=("float32", "float64"),
         grad_fn="GridSampler2DBackward0", errors=_GRID_ERRORS,
         refused=(("int64", NotImplementedError, "not implemented for 'Long'"),)),
    NNOp("grid_sample-3d", _gs, np_grid_sample, _s_grid3d, dtypes=("float32", "float64"),
         grad_fn="GridSampler3DBackward0"),
    NNOp("torch.grid_sampler", lambda t, x, g, m, p, a: t.grid_sampler(x, g, m, p, a),
         lambda x, g, m, p, a: np_grid_sample(x, g, ("bilinear", "nearest", "bicubic")[m],
                                              ("zeros", "border", "reflection")[p], a),
         lambda r, d: [((D(randn(r, (1, 2, 3, 4), d)), D(_grid_pts(r, (1, 2, 3, 2), d).astype(d)),
                         m, p, a), {}) for m, p, a in ((0, 0, False), (1, 1, True), (2, 2, False))],
         dtypes=("float32", "float64"), grad_fn="GridSampler2DBackward0"),
    NNOp("torch.grid_sampler_2d", lambda t, x, g: t.grid_sampler_2d(x, g, 0, 2, False),
         lambda x, g: np_grid_sample(x, g, "bilinear", "reflection", False),
         lambda r, d: [((D(randn(r, (2, 2, 3, 4), d)), D(_grid_pts(r, (2, 2, 3, 2), d).astype(d))),
                        {})], dtypes=("float64",), grad_fn="GridSampler2DBackward0",
         errors=[(lambda t: t.grid_sampler_2d(t.randn(1, 1, 2, 3, 4), t.rand(1, 2, 2, 2, 3), 0, 0,
                                              False), RuntimeError,
                  "grid_sampler(): expected 4D input and grid with same number of dimensions")]),
    NNOp("torch.grid_sampler_3d", lambda t, x, g: t.grid_sampler_3d(x, g, 1, 1, True),
         lambda x, g: np_grid_sample(x, g, "nearest", "border", True),
         lambda r, d: [((D(randn(r, (1, 2, 3, 2, 4), d)),
                         D(_grid_pts(r, (1, 2, 2, 3, 3), d).astype(d))), {})],
         dtypes=("float64",), grad_fn="GridSampler3DBackward0"),
    NNOp("torch.affine_grid_generator",
         lambda t, th: t.affine_grid_generator(th, (2, 1, 3, 4), False),
         lambda th: np_affine_grid(th, (2, 1, 3, 4), False),
         lambda r, d: [((D(randn(r, (2, 2, 3), d)),), {})], dtypes=("float32", "float64"),
         grad_fn="AffineGridGeneratorBackward0",
         errors=[(lambda t: t.affine_grid_generator(t.randn(2, 2, 3), (2, 3, 4), False),
                  RuntimeError, "AffineGridGenerator needs 4d (spatial) or 5d (volumetric) inputs."),
                 (lambda t: t.affine_grid_generator(t.randn(2, 2, 3), (2, 3, 4, 5, 6), False),
                  RuntimeError, "Expected size for first two dimensions of batch2 tensor to be: "
                  "[2, 4] but got: [2, 3].")]),
    NNOp("scaled_dot_product_attention", _sdpa, _ref_sdpa, _s_sdpa, gradcheck=True,
         errors=_SDPA_ERRORS, tol={"float16": (1e-2, 1e-2)}),
    NNOp("ctc_loss", _ctc_fn, _ctc_ref, _s_ctc, dtypes=("float32", "float64"),
         grad_fn="CtcLossBackward0", errors=_CTC_ERRORS, tol={"float32": (1e-4, 1e-4)}),
    NNOp("torch.ctc_loss", lambda t, x, tg, il, tl, *a: t.ctc_loss(x.log_softmax(2), tg, il, tl, *a),
         lambda x, tg, il, tl, *a: np_ctc(_np_log_softmax(x, -1), tg, il, tl,
                                          *((a[0], ("none", "mean", "sum")[a[1]]) if a
                                            else (0, "none"))),
         lambda r, d: [((D(randn(r, (5, 2, 4), d)), I(np.array([[1, 2], [3, 3]])), I(np.array([5, 4])),
                         I(np.array([2, 2]))), {}),
                       ((D(randn(r, (5, 2, 4), d)), I(np.array([[1, 2], [3, 3]])), (5, 4), (2, 1),
                         0, 1), {}),
                       ((D(randn(r, (5, 2, 4), d)), I(np.array([[1, 2], [3, 3]])), I(np.array([5, 4])),
                         I(np.array([2, 2])), 0, 2), {})],
         dtypes=("float32", "float64"), grad_fn="CtcLossBackward0", tol={"float32": (1e-4, 1e-4)}),
]
