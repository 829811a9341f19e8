"""torch.nn.functional resampling, attention and CTC: interpolate (and its
deprecated upsample aliases), affine_grid, grid_sample, scaled_dot_product_attention,
multi_head_attention_forward and ctc_loss; the torch-level grid_sampler,
grid_sampler_2d/_3d, affine_grid_generator and ctc_loss.

Everything is a composition of ctorch ops, so it runs wherever those ops run;
numpy only builds the small per-dim index and weight tables of interpolate on
the host. The linear, cubic, area and antialiased modes are separable: each
spatial dim is one product with its (out, in) weight matrix (or, for a long
dim, a sum of weighted selections), whose transpose is the backward. Nearest
modes select along each dim. The ops PyTorch gives a node of their own run
without history and record their derivatives entry (ctorch.autograd.derivatives,
block "grid") with a `plan` argument that knows how to go backward: interpolate
applies the transposed steps, affine_grid one product, grid_sample
differentiates its composition again, ctc_loss runs the beta recursion.
"""
import math
import warnings

import ctorch as _t
from ctorch._core.tensor import Tensor
from ctorch.autograd._node import _record
from ctorch._ops import nn as _nn_ops
from ctorch._ops import shape as _shape
from ctorch._ops.products import _autocast_state, _autocast_call

_MODES_MSG = "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact"


def _tensor(x, fn, name="input", pos=1):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be Tensor, not "
                        f"{type(x).__name__}")
    return x


def _dtype_name(dtype):
    names = {_t.int64: "Long", _t.int32: "Int", _t.int16: "Short", _t.int8: "Char",
             _t.uint8: "Byte", _t.bool: "Bool", _t.float32: "Float", _t.float64: "Double",
             _t.float16: "Half", _t.bfloat16: "BFloat16"}
    return names.get(dtype, str(dtype))


def _cpp_name(dtype):
    """The C++ name of a dtype, as PyTorch's messages print it."""
    names = {_t.float32: "float", _t.float64: "double", _t.float16: "c10::Half",
             _t.bfloat16: "c10::BFloat16",
             _t.int64: "long int", _t.int32: "int",
             _t.int16: "short int", _t.int8: "signed char", _t.uint8: "unsigned char",
             _t.bool: "bool"}
    return names.get(dtype, str(dtype))


def _is_int(v):
    return isinstance(v, int) or (isinstance(v, Tensor) and v.dim() == 0 and
                                  not v.is_floating_point() and not v.is_complex())


# ------------------------------------------------------------ interpolate
# Index arithmetic as PyTorch's kernels do it: in float for float32/float16
# inputs, in double for float64 (the nearest indices depend on it).

def _f32(v):
    import struct
    return struct.unpack("f", struct.pack("f", v))[0]


def _scale_value(scale, n_in, n_out, single):
    """The source step per output step: 1 / scale_factor when one was given,
    in / out otherwise."""
    if scale is not None and scale > 0:
        s = 1.0 / scale
    else:
        s = n_in / n_out
    return _f32(s) if single else s


def _area_scale(n_in, n_out, align_corners, scale, single):
    if align_corners:
        s = (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
        return _f32(s) if single else s
    return _scale_value(scale, n_in, n_out, single)


def _nearest_index(n_in, n_out, scale, exact, single):
    import numpy as np
    dst = np.arange(n_out)
    if not exact and n_out == n_in:
        return dst
    if not exact and n_out == 2 * n_in:
        return dst >> 1
    s = _scale_value(scale, n_in, n_out, single)
    if exact:
        src = np.floor((dst + 0.5) * s)
    elif single:
        src = np.floor(dst.astype(np.float32) * np.float32(s))
    else:
        src = np.floor(dst * s)
    return np.minimum(src.astype(np.int64), n_in - 1)


def _cubic_weights(t, a=-0.75):
    x1 = t + 1.0
    w0 = ((a * x1 - 5 * a) * x1 + 8 * a) * x1 - 4 * a
    w1 = ((a + 2) * t - (a + 3)) * t * t + 1
    x2 = 1.0 - t
    w2 = ((a + 2) * x2 - (a + 3)) * x2 * x2 + 1
    x3 = 2.0 - t
    w3 = ((a * x3 - 5 * a) * x3 + 8 * a) * x3 - 4 * a
    return (w0, w1, w2, w3)


def _taps(mode, n_in, n_out, align_corners, scale, single):
    """One dim's linear, cubic or area resampling as taps: (n_out, K) source
    indices and weights (numpy)."""
    import numpy as np
    rows = np.arange(n_out)
    if mode == "area":
        lo = (rows * n_in) // n_out
        hi = -((-(rows + 1) * n_in) // n_out)
        k = int((hi - lo).max())
        idx = np.minimum(lo[:, None] + np.arange(k)[None, :], n_in - 1)
        w = np.where(np.arange(k)[None, :] < (hi - lo)[:, None], 1.0 / (hi - lo)[:, None], 0.0)
        return idx, w
    if mode.endswith("-aa"):
        return _aa_taps(mode[:-3], n_in, n_out, _area_scale(n_in, n_out, align_corners, scale,
                                                            single))
    s = _area_scale(n_in, n_out, align_corners, scale, single)
    cubic = mode == "bicubic"
    if align_corners:
        src = rows * s
    else:
        src = s * (rows + 0.5) - 0.5
        if not cubic:
            src = np.maximum(src, 0.0)
    if single:
        src = src.astype(np.float32).astype(np.float64)
    if cubic:
        i0 = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
        t = np.clip(src - i0, 0.0, 1.0)
        idx = np.stack([np.clip(i0 - 1 + k, 0, n_in - 1) for k in range(4)], 1)
        return idx, np.stack(_cubic_weights(t), 1)
    i0 = np.minimum(src.astype(np.int64), n_in - 1)
    lam = np.clip(src - i0, 0.0, 1.0)
    i1 = i0 + (i0 < n_in - 1)
    return np.stack([i0, i1], 1), np.stack([1.0 - lam, lam], 1)


def _aa_filter(mode, x):
    """The antialiasing filters: a triangle, or Keys' cubic with a = -0.5."""
    import numpy as np
    x = np.abs(x)
    if mode == "bilinear":
        return np.where(x < 1, 1 - x, 0.0)
    a = -0.5
    return np.where(x < 1, ((a + 2) * x - (a + 3)) * x * x + 1,
                    np.where(x < 2, (((x - 5) * x + 8) * x - 4) * a, 0.0))


def _aa_taps(mode, n_in, n_out, scale):
    """Antialiased resampling: when shrinking, the filter is widened by the
    scale so that every input sample contributes; weights normalized per
    output."""
    import numpy as np
    support = (2 if mode == "bilinear" else 4) * 0.5
    inv = 1.0
    if scale >= 1.0:
        support *= scale
        inv = 1.0 / scale
    center = scale * (np.arange(n_out) + 0.5)
    lo = np.maximum((center - support + 0.5).astype(np.int64), 0)
    size = np.minimum((center + support + 0.5).astype(np.int64), n_in) - lo
    k = max(int(size.max()), 1)
    j = np.arange(k)[None, :]
    w = _aa_filter(mode, (j + lo[:, None] - center[:, None] + 0.5) * inv)
    w = np.where(j < size[:, None], w, 0.0)
    tot = w.sum(1, keepdims=True)
    w = np.where(tot != 0, w / np.where(tot != 0, tot, 1.0), w)
    return np.minimum(lo[:, None] + j, n_in - 1), w


def _weight_matrix(idx, w, n_in):
    """The (n_out, n_in) matrix of taps."""
    import numpy as np
    m = np.zeros((idx.shape[0], n_in))
    np.add.at(m, (np.repeat(np.arange(idx.shape[0]), idx.shape[1]), idx.reshape(-1)),
              w.reshape(-1))
    return m


def _weights_along(w, k, nd):
    """Weights of the output positions of dim k, shaped to broadcast there."""
    return w.reshape((w.shape[0],) + (1,) * (nd - 1 - k))


def _along(x, k, mat):
    """mat (out, in) applied along dim k of x."""
    if k == x.dim() - 1:
        return _t.matmul(x, mat.t())
    shape = tuple(x.shape)
    pre = 1
    for d in shape[:k]:
        pre *= d
    post = 1
    for d in shape[k + 1:]:
        post *= d
    y = _t.matmul(mat, x.reshape(pre, shape[k], post))
    return y.reshape(shape[:k] + (mat.shape[0],) + shape[k + 1:])


class _Separable:
    """Per spatial dim an (out, in) matrix, or an index for the nearest modes;
    the forward applies them in turn, the backward their transposes in reverse."""

    def __init__(self, steps, in_shape):
        self.steps = steps          # [(dim, kind, tensor)]
        self.in_shape = in_shape

    def forward(self, x):
        for k, kind, m in self.steps:
            if kind == "kern":
                y = _shape._taps_apply(x, k, m[0], m[1], m[0].shape[0], False)
                if y is not None:
                    x = y
                    continue
                kind, m = "taps", (m[0], m[2])
            if kind == "mat":
                x = _along(x, k, m)
            elif kind == "idx":
                x = x.index_select(k, m)
            else:                       # taps: sum of weighted selections
                idx, w = m
                y = 0
                for j in range(idx.shape[1]):
                    y = y + x.index_select(k, idx[:, j]) * _weights_along(w[:, j], k, x.dim())
                x = y
        return x

    def backward(self, grad):
        g = grad
        for k, kind, m in reversed(self.steps):
            if kind == "kern":
                y = None
                if not (_t.is_grad_enabled() and g.requires_grad):
                    y = _shape._taps_apply(g, k, m[0], m[1], self.in_shape[k], True)
                if y is not None:
                    g = y
                    continue
                kind, m = "taps", (m[0], m[2].to(g.dtype))
            if kind == "mat":
                g = _along(g, k, m.t())
                continue
            if kind == "idx" and m.dtype == _t.int64 and not (_t.is_grad_enabled()
                                                                and g.requires_grad):
                # the adjoint of the selection in one kernel pass (each
                # output's gradient added to its source with weight 1)
                y = _shape._taps_apply(g, k, m.view(-1, 1),
                                       _t.ones((m.shape[0], 1), dtype=_t.float64,
                                               device=m.device),
                                       self.in_shape[k], True)
                if y is not None:
                    g = y
                    continue
            shape = list(g.shape)
            shape[k] = self.in_shape[k]
            acc = _t.zeros(tuple(shape), dtype=g.dtype, device=g.device)
            if kind == "idx":
                g = acc.index_add(k, m, g)
            else:
                idx, w = m
                for j in range(idx.shape[1]):
                    acc = acc.index_add(k, idx[:, j], g * _weights_along(w[:, j], k, g.dim()))
                g = acc
        return g


_NODE_OPS = {("nearest", 1): "upsample_nearest1d", ("nearest", 2): "upsample_nearest2d",
             ("nearest", 3): "upsample_nearest3d",
             ("nearest-exact", 1): "_upsample_nearest_exact1d",
             ("nearest-exact", 2): "_upsample_nearest_exact2d",
             ("nearest-exact", 3): "_upsample_nearest_exact3d",
             ("linear", 1): "upsample_linear1d", ("bilinear", 2): "upsample_bilinear2d",
             ("bicubic", 2): "upsample_bicubic2d", ("trilinear", 3): "upsample_trilinear3d",
             ("bilinear-aa", 2): "_upsample_bilinear2d_aa",
             ("bicubic-aa", 2): "_upsample_bicubic2d_aa",
             ("area", 2): "adaptive_avg_pool2d", ("area", 3): "adaptive_avg_pool3d"}


# above this many entries, one dim's resampling runs as weighted selections
# instead of a product with its (out, in) matrix
_DENSE_LIMIT = 1 << 20


def _check_sizes(in_sizes, out_sizes):
    if all(o > 0 for o in out_sizes) and all(i > 0 for i in in_sizes):
        return
    names = ("D", "H", "W")[3 - len(in_sizes):]
    i = ", ".join(f"{n}: {v}" for n, v in zip(names, in_sizes))
    o = ", ".join(f"{n}: {v}" for n, v in zip(names, out_sizes))
    raise RuntimeError(f"Input and output sizes should be greater than 0, but got input ({i}) "
                       f"output ({o})")


_STEPS = {}


def _step(mode, n_in, n_out, align_corners, scale, single, dt, device):
    """One dim's resampling: ("idx", index), ("mat", matrix) or ("taps",
    (indices, weights)); None when it is the identity. Kept per arguments
    (small tables, built once)."""
    key = (mode, n_in, n_out, align_corners, scale, single, dt, str(device),
           n_in * n_out <= _DENSE_LIMIT)
    if key in _STEPS:
        return _STEPS[key]
    if mode in ("nearest", "nearest-exact"):
        idx = _nearest_index(n_in, n_out, scale, mode == "nearest-exact", single)
        step = None if (n_in == n_out and (idx == range(n_in)).all()) else (
            "idx", _t.tensor(idx, device=device))
    elif mode == "area" and n_in == n_out:
        step = None
    else:
        idx, w = _taps(mode, n_in, n_out, align_corners, scale, single)
        if dt in (_t.float32, _t.float64) and _t.device(device).type == "cpu":
            # one kernel pass over the taps (the composed taps where it cannot run)
            w64 = _t.tensor(w, dtype=_t.float64, device=device)
            step = ("kern", (_t.tensor(idx, dtype=_t.int64, device=device), w64,
                             w64.to(dt)))
        elif n_in * n_out <= _DENSE_LIMIT:
            step = ("mat", _t.tensor(_weight_matrix(idx, w, n_in), dtype=dt, device=device))
        else:
            # a long dim: a dense matrix would be mostly zeros
            step = ("taps", (_t.tensor(idx, device=device), _t.tensor(w, dtype=dt, device=device)))
    if n_in * n_out <= _DENSE_LIMIT or (step is not None and step[0] == "kern"):
        if len(_STEPS) >= 256:
            _STEPS.clear()
        _STEPS[key] = step
    return step


def _resample(input, mode, out_sizes, scales, align_corners):
    nd = len(out_sizes)
    in_sizes = tuple(input.shape[2:])
    _check_sizes(in_sizes, out_sizes)
    dt = input.dtype
    if mode in ("nearest", "nearest-exact"):
        if not (dt.is_floating_point or dt == _t.uint8):
            raise NotImplementedError(f'"upsample_{mode.replace("-", "_")}{nd}d" not implemented '
                                      f"for '{_dtype_name(dt)}'")
    elif not dt.is_floating_point:
        kernel = ("adaptive_avg_pool" if mode == "area" else
                  f"upsample_{mode.replace('-aa', '')}{nd}d{'_aa' if mode.endswith('-aa') else ''}")
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_dtype_name(dt)}'")
    total = input.shape[0] * input.shape[1]
    for o in out_sizes:
        total *= o
    if total > (1 << 26):
        # a huge output: let the allocator refuse it before any index is built
        _t.empty((input.shape[0], input.shape[1]) + tuple(out_sizes), dtype=dt,
                 device=input.device)
    single = dt != _t.float64
    steps = []
    for j in range(nd):
        scale = scales[j] if scales is not None else None
        step = _step(mode, in_sizes[j], out_sizes[j], bool(align_corners), scale, single, dt,
                     input.device)
        if step is not None:
            steps.append((2 + j,) + step)
    plan = _Separable(steps, tuple(input.shape))
    with _t.no_grad():
        out = plan.forward(input)
        if out is input:
            out = input.clone()
    return _record("grid_" + _NODE_OPS[(mode, nd)], out, (input,), (plan,))


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    _tensor(input, "interpolate")
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: "
                             "linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    dim = input.dim() - 2
    in_sp = list(input.shape[2:])
    scales = None
    out_sizes = None
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError("Input and output must have the same number of spatial "
                                 f"dimensions, but got input with spatial dimensions of {in_sp} "
                                 f"and output size of {size}. Please provide input tensor in "
                                 "(N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) "
                                 "format.")
            if not all(_is_int(v) for v in size):
                raise TypeError("expected size to be one of int or Tuple[int] or Tuple[int, int] or "
                                "Tuple[int, int, int], but got size with types "
                                f"{[type(v) for v in size]}")
            out_sizes = [int(v) for v in size]
        else:
            if not _is_int(size):
                raise TypeError("expected size to be one of int or Tuple[int] or Tuple[int, int] or "
                                f"Tuple[int, int, int], but got size with types {[type(size)]}")
            out_sizes = [int(size)] * dim
    elif scale_factor is not None:
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != dim:
                raise ValueError("Input and scale_factor must have the same number of spatial "
                                 f"dimensions, but got input with spatial dimensions of {in_sp} "
                                 f"and scale_factor of shape {scale_factor}. Please provide input "
                                 "tensor in (N, C, d1, d2, ...,dK) format and scale_factor in "
                                 "(s1, s2, ...,sK) format.")
            scales = [float(s) for s in scale_factor]
        else:
            scales = [float(scale_factor)] * dim
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if mode == "area" and out_sizes is None:
        recompute_scale_factor = True
    if scales is not None:
        sizes = [math.floor(float(n) * s) for n, s in zip(in_sp, scales)]
        if recompute_scale_factor:
            scales = None
        out_sizes = sizes
    if antialias and not (mode in ("bilinear", "bicubic") and input.dim() == 4):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes "
                         "and requires a 4-D tensor as input")
    nd = input.dim()
    if antialias:
        return _resample(input, mode + "-aa", out_sizes, scales, align_corners)
    if mode in ("nearest", "nearest-exact") and nd in (3, 4, 5):
        return _resample(input, mode, out_sizes, scales, align_corners)
    if mode == "area" and nd in (3, 4, 5):
        if nd == 3:
            return _resample(input.unsqueeze(-2), mode, [1] + out_sizes, None,
                             False).squeeze(-2)
        return _resample(input, mode, out_sizes, None, False)
    want = {"linear": 3, "bilinear": 4, "trilinear": 5, "bicubic": 4}
    if mode in want and nd == want[mode]:
        return _resample(input, mode, out_sizes, scales, align_corners)
    if mode in ("linear", "bilinear", "trilinear") and nd in (3, 4, 5):
        raise NotImplementedError(f"Got {nd}D input, but {mode} mode needs {want[mode]}D input")
    raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {nd}D) "
                              f"for the modes: {_MODES_MSG} (got {mode})")


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` "
                  "instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use "
                  "`nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    warnings.warn("`nn.functional.upsample_bilinear` is deprecated. Use "
                  "`nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


# ------------------------------------------------------------ affine_grid

def _torch_affine_grid_generator(theta, size, align_corners):
    _tensor(theta, "affine_grid_generator", "theta")
    size = tuple(int(v) for v in size)
    if len(size) not in (4, 5):
        raise RuntimeError("AffineGridGenerator needs 4d (spatial) or 5d (volumetric) inputs.")
    if not theta.is_floating_point():
        raise RuntimeError(f"expected scalar type Float but found {_dtype_name(theta.dtype)}")
    return _affine_grid_generator(theta, size, bool(align_corners))


_torch_affine_grid_generator.__name__ = "affine_grid_generator"
_torch_affine_grid_generator.__qualname__ = "affine_grid_generator"


_ALIGN_WARNING = ("Default grid_sample and affine_grid behavior has changed to align_corners=False "
                  "since 1.3.0. Please specify align_corners=True if the old behavior is desired. "
                  "See the documentation of grid_sample for details.")


def _linspace(n, align_corners, dtype, device):
    if n <= 1:
        return _t.zeros(max(n, 0), dtype=dtype, device=device)
    r = _t.linspace(-1.0, 1.0, n, dtype=dtype, device=device)
    return r if align_corners else r * ((n - 1) / n)


def _base_grid(spatial, align_corners, dtype, device):
    """(prod(spatial), k + 1): the normalized coordinates (x first) and a 1."""
    axes = [_linspace(n, align_corners, dtype, device) for n in spatial]   # (D,) H, W
    mesh = _t.meshgrid(*axes, indexing="ij")
    cols = [m.reshape(-1) for m in reversed(mesh)]                          # x, y (, z)
    cols.append(_t.ones(cols[0].shape[0], dtype=dtype, device=device))
    return _t.stack(cols, 1)


class _AffinePlan:
    def __init__(self, base, n, shape):
        self.base = base
        self.n = n
        self.shape = shape

    def backward(self, grad):
        g = grad.reshape(self.n, -1, grad.shape[-1])
        return _t.matmul(g.transpose(1, 2), self.base)


def affine_grid(theta, size, align_corners=None):
    _tensor(theta, "affine_grid", "theta")
    if align_corners is None:
        warnings.warn(_ALIGN_WARNING, stacklevel=2)
        align_corners = False
    if not theta.is_floating_point():
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    size = tuple(int(s) for s in size)
    if len(size) == 4:
        if theta.dim() != 3 or theta.shape[-2] != 2 or theta.shape[-1] != 3:
            raise ValueError("Expected a batch of 2D affine matrices of shape Nx2x3 for size "
                             f"{size}. Got {theta.shape}.")
        spatial = size[-2:]
    elif len(size) == 5:
        if theta.dim() != 3 or theta.shape[-2] != 3 or theta.shape[-1] != 4:
            raise ValueError("Expected a batch of 3D affine matrices of shape Nx3x4 for size "
                             f"{size}. Got {theta.shape}.")
        spatial = size[-3:]
    else:
        raise NotImplementedError("affine_grid only supports 4D and 5D sizes, for 2D and 3D "
                                  f"affine transforms, respectively. Got size {size}.")
    if align_corners and min(spatial) == 1:
        warnings.warn("Since version 1.3.0, affine_grid behavior has changed for unit-size grids "
                      "when align_corners=True. This is not an intended use case of affine_grid. "
                      "See the documentation of affine_grid for details.", stacklevel=2)
    elif min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    return _affine_grid_generator(theta, size, align_corners)


def _affine_grid_generator(theta, size, align_corners):
    spatial = size[2:]
    n, k = size[0], len(spatial)
    if theta.dim() != 3 or theta.shape[0] != n or theta.shape[2] != k + 1:
        got = list(theta.shape[:1]) + list(theta.shape[2:3]) if theta.dim() == 3 else \
            list(theta.shape)
        raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{n}, {k + 1}] but got: {got}.")
    if theta.shape[1] != k:
        raise RuntimeError(f"shape '{[n] + list(spatial) + [k]}' is invalid for input of size "
                           f"{n * theta.shape[1] * math.prod(spatial)}")
    base = _base_grid(spatial, align_corners, theta.dtype, theta.device)
    with _t.no_grad():
        grid = _t.matmul(base, theta.transpose(1, 2))
        grid = grid.reshape((n,) + tuple(spatial) + (len(spatial),))
    return _record("grid_affine_grid_generator", grid, (theta,), (_AffinePlan(base, n, size),))


# ------------------------------------------------------------ grid_sample

def _unnormalize(c, n, align_corners):
    if align_corners:
        return (c + 1) * ((n - 1) / 2)
    return ((c + 1) * n - 1) / 2


def _reflect(c, twice_lo, twice_hi):
    if twice_lo == twice_hi:
        return c * 0
    lo = twice_lo / 2
    span = (twice_hi - twice_lo) / 2
    c = (c - lo).abs()
    extra = _t.fmod(c, span)
    flips = _t.floor(c / span)
    even = _t.fmod(flips, 2) == 0
    return _t.where(even, extra + lo, span - extra + lo)


def _pad_coord(c, n, padding, align_corners):
    if padding == "border":
        return c.clamp(0, n - 1)
    if padding == "reflection":
        c = _reflect(c, 0, 2 * (n - 1)) if align_corners else _reflect(c, -1, 2 * n - 1)
        return c.clamp(0, n - 1)
    return c


def _grid_sample_compute(input, grid, mode, padding, align_corners):
    """The sampling as differentiable ctorch ops: gathers of the corners around
    each grid point from the flattened spatial dims, times their weights."""
    n, c = input.shape[0], input.shape[1]
    spatial = tuple(input.shape[2:])                    # (D,) H, W
    k = len(spatial)
    out_sp = tuple(grid.shape[1:-1])
    npos = 1
    for d in spatial:
        npos *= d
    # channels first over all batches: a pick is one index_select along the
    # positions, and weights broadcast along the channels
    cols = input.reshape(n, c, npos).transpose(0, 1).reshape(c, n * npos)
    strides = [1] * k
    for j in range(k - 2, -1, -1):
        strides[j] = strides[j + 1] * spatial[j + 1]
    g = grid.reshape(n, -1, k)
    npts = g.shape[1]
    # every tap tensor is (K, N * P): taps along the outer dim, so that the
    # broadcasts run along contiguous rows
    base = (_t.arange(n, device=input.device) * npos).unsqueeze(1).expand(n, npts).reshape(1, -1)
    # coordinate j of the grid indexes spatial dim k - 1 - j
    sizes = [spatial[k - 1 - j] for j in range(k)]
    st = [strides[k - 1 - j] for j in range(k)]
    coords = [_unnormalize(g[..., j].reshape(1, -1), sizes[j], align_corners) for j in range(k)]
    # a NaN coordinate: out of range under zeros padding; padded, the first
    # position in 2-D and the last in 3-D; 2-D bilinear with zeros padding
    # and bicubic give NaN there (the kernel's rules)
    nan_out = None
    if bool(g.isnan().any()):
        isn = [cj.isnan() for cj in coords]
        nan_pt = isn[0]
        for m in isn[1:]:
            nan_pt = nan_pt | m
        coords = [_t.where(m, -3.0 if padding == "zeros" else (0.0 if k == 2 else sizes[j] - 1.0),
                           cj) for j, (m, cj) in enumerate(zip(isn, coords))]
        if mode == "bicubic" or (k == 2 and padding == "zeros" and mode == "bilinear"):
            nan_out = _t.zeros(nan_pt.shape, dtype=input.dtype, device=input.device)
            nan_out = nan_out.masked_fill(nan_pt, float("nan"))

    def pick(idx_list, w):
        """The sum over taps of w times the value at each tap: positions and
        weights (K, N * P) (positions as floats, integral), zero outside;
        (C, N * P)."""
        valid = None
        lin = base
        for j, p in enumerate(idx_list):
            ok = (p >= 0) & (p <= sizes[j] - 1)
            valid = ok if valid is None else valid & ok
            # outside (or NaN): any in-range index, its value is zeroed
            lin = lin + p.masked_fill(~ok, 0).long() * st[j]
        w = w * valid.to(w.dtype)
        acc = None
        for t in range(lin.shape[0]):
            v = cols.index_select(1, lin[t]) * w[t].unsqueeze(0)
            acc = v if acc is None else acc + v
        return acc

    dev, dt = input.device, input.dtype
    if mode == "bicubic":
        x, y = coords
        x0, y0 = _t.floor(x).detach(), _t.floor(y).detach()
        wx = _t.cat(_cubic_weights(x - x0), 0)                  # (4, N * P)
        wy = _t.cat(_cubic_weights(y - y0), 0)
        off = _t.arange(-1, 3, dtype=dt, device=dev).unsqueeze(1)
        # the padded coordinate is truncated toward zero, as an index
        px = _t.trunc(_pad_coord(x0 + off, sizes[0], padding, align_corners))
        py = _t.trunc(_pad_coord(y0 + off, sizes[1], padding, align_corners))
        m = px.shape[1]
        # tap (i, j): row i of y, column j of x
        px = px.unsqueeze(0).expand(4, 4, m).reshape(16, m)
        py = py.unsqueeze(1).expand(4, 4, m).reshape(16, m)
        w = (wy.unsqueeze(1) * wx.unsqueeze(0)).reshape(16, m)
        out = pick([px.detach(), py.detach()], w)
    else:
        coords = [_pad_coord(cj, sizes[j], padding, align_corners) for j, cj in enumerate(coords)]
        if mode == "nearest":
            pos = [_t.round(cj).detach() for cj in coords]
            out = pick(pos, _t.ones_like(coords[0]))
        else:
            corners = 1 << k
            pos, w = [], None
            for j, cj in enumerate(coords):
                lo = _t.floor(cj).detach()
                frac = cj - lo
                hi = _t.tensor([[(cn >> j) & 1] for cn in range(corners)], dtype=dt, device=dev)
                pos.append(lo + hi)
                wj = frac * hi + (1 - frac) * (1 - hi)
                w = wj if w is None else w * wj
            out = pick(pos, w)
    if nan_out is not None:
        out = out + nan_out
    return out.reshape(c, n, npts).transpose(0, 1).reshape((n, c) + out_sp)


class _RecomputePlan:
    """A backward that differentiates the forward's composition again."""

    def __init__(self, fn):
        self.fn = fn

    def backward(self, grad, inputs, needs):
        leaves = [x.detach().requires_grad_(bool(nd)) for x, nd in zip(inputs, needs)]
        want = [x for x, nd in zip(leaves, needs) if nd]
        with _t.enable_grad():
            out = self.fn(*leaves)
            got = list(_t.autograd.grad(out, want, grad, allow_unused=True))
        res = []
        for x, nd in zip(leaves, needs):
            if not nd:
                res.append(None)
                continue
            gx = got.pop(0)
            res.append(_t.zeros_like(x) if gx is None else gx)
        return tuple(res)


class _KernelGridPlan(_RecomputePlan):
    """The backward of the grid_sample kernel: the backward kernel, or under
    create_graph the composition's (which differentiates again)."""

    def __init__(self, fn, mode, padding, align):
        super().__init__(fn)
        self.mode, self.padding, self.align = mode, padding, align

    def backward(self, grad, inputs, needs):
        if _t.is_grad_enabled():
            return super().backward(grad, inputs, needs)
        x, g = inputs
        gx, gg = _nn_ops._grid_sample_backward(grad, x, g, self.mode, self.padding, self.align,
                                               tuple(bool(v) for v in needs))
        return gx, gg


_MODE_CODES = {"bilinear": 0, "nearest": 1, "bicubic": 2}
_PAD_CODES = {"zeros": 0, "border": 1, "reflection": 2}


def _grid_sampler(input, grid, mode, padding, align_corners, want=None):
    if input.shape[0] != grid.shape[0] if input.dim() and grid.dim() else True:
        raise RuntimeError("grid_sampler(): expected grid and input to have same batch size, but "
                           f"got input with sizes {list(input.shape)} and grid with sizes "
                           f"{list(grid.shape)}")
    nd = input.dim() if want is None else want
    if input.dim() != nd or nd not in (4, 5) or grid.dim() != nd:
        raise RuntimeError(f"grid_sampler(): expected {nd}D input and grid with same number of "
                           f"dimensions, but got input with sizes {list(input.shape)} and grid "
                           f"with sizes {list(grid.shape)}")
    if grid.shape[-1] != nd - 2:
        raise RuntimeError(f"grid_sampler(): expected grid to have size {nd - 2} in last dimension, "
                           f"but got grid with sizes {list(grid.shape)}")
    if mode == "bicubic" and nd != 4:
        raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")
    if not input.is_floating_point():
        raise NotImplementedError(f'"grid_sampler_{nd - 2}d_cpu_kernel_impl" not implemented for '
                                  f"'{_dtype_name(input.dtype)}'")
    if grid.dtype != input.dtype:
        raise RuntimeError(f"expected scalar type {_dtype_name(input.dtype)} but found "
                           f"{_dtype_name(grid.dtype)}")
    for j, s in enumerate(input.shape[2:]):
        if s <= 0:
            raise RuntimeError(f"grid_sampler(): expected input to have non-empty spatial "
                               f"dimensions, but input has sizes {list(input.shape)} with "
                               f"dimension {j + 2} being empty")

    def fn(x, g):
        return _grid_sample_compute(x, g, mode, padding, align_corners)

    op = "grid_grid_sampler_2d" if nd == 4 else "grid_grid_sampler_3d"
    plane = 1
    for sz in input.shape[2:]:
        plane *= sz
    # the kernel's taps are 32-bit offsets into one channel's plane
    if _nn_ops._grid_ok(input, _MODE_CODES[mode]) and grid.device == input.device \
            and plane < 2 ** 31:
        plan = _KernelGridPlan(fn, _MODE_CODES[mode], _PAD_CODES[padding], align_corners)
        out = _nn_ops._grid_sample(input, grid, plan.mode, plan.padding, plan.align)
        return _record(op, out, (input, grid), (plan,))
    with _t.no_grad():
        out = fn(input, grid)
    return _record(op, out, (input, grid), (_RecomputePlan(fn),))


def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    if _autocast_state():
        return _autocast_call("grid_sample", grid_sample, (input, grid, mode, padding_mode, align_corners),
                              None)
    _tensor(input, "grid_sample")
    _tensor(grid, "grid_sample", "grid", 2)
    if mode not in _MODE_CODES:
        raise ValueError("nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' "
                         f"or 'bicubic', but got: '{mode}'")
    if padding_mode not in _PAD_CODES:
        raise ValueError("nn.functional.grid_sample(): expected padding_mode to be 'zeros', "
                         f"'border', or 'reflection', but got: '{padding_mode}'")
    if align_corners is None:
        warnings.warn(_ALIGN_WARNING, stacklevel=2)
        align_corners = False
    return _grid_sampler(input, grid, mode, padding_mode, bool(align_corners))


def _grid_sampler_codes(fn, want, input, grid, interpolation_mode, padding_mode, align_corners):
    _tensor(input, fn)
    _tensor(grid, fn, "grid", 2)
    for name, v, pos in (("interpolation_mode", interpolation_mode, 3),
                         ("padding_mode", padding_mode, 4)):
        if isinstance(v, bool) or not isinstance(v, int):
            raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be int, not "
                            f"{type(v).__name__}")
    if not isinstance(align_corners, bool):
        raise TypeError(f"{fn}(): argument 'align_corners' (position 5) must be bool, not "
                        f"{type(align_corners).__name__}")
    modes = {v: k for k, v in _MODE_CODES.items()}
    pads = {v: k for k, v in _PAD_CODES.items()}
    if interpolation_mode not in modes:
        raise RuntimeError(f"grid_sampler(): unknown interpolation mode {interpolation_mode}")
    if padding_mode not in pads:
        raise RuntimeError(f"grid_sampler(): unknown padding mode {padding_mode}")
    return _grid_sampler(input, grid, modes[interpolation_mode], pads[padding_mode],
                         align_corners, want)


def _torch_grid_sampler(input, grid, interpolation_mode, padding_mode, align_corners):
    return _grid_sampler_codes("grid_sampler", None, input, grid, interpolation_mode,
                               padding_mode, align_corners)


def _torch_grid_sampler_2d(input, grid, interpolation_mode, padding_mode, align_corners):
    return _grid_sampler_codes("grid_sampler_2d", 4, input, grid, interpolation_mode,
                               padding_mode, align_corners)


def _torch_grid_sampler_3d(input, grid, interpolation_mode, padding_mode, align_corners):
    return _grid_sampler_codes("grid_sampler_3d", 5, input, grid, interpolation_mode,
                               padding_mode, align_corners)


_torch_grid_sampler.__name__ = _torch_grid_sampler.__qualname__ = "grid_sampler"

_torch_grid_sampler_2d.__name__ = _torch_grid_sampler_2d.__qualname__ = "grid_sampler_2d"
_torch_grid_sampler_3d.__name__ = _torch_grid_sampler_3d.__qualname__ = "grid_sampler_3d"


# ------------------------------------------------------------ attention

_CAUSAL_BLOCK = 32


def _causal_blocks(query, key, value, s):
    """Causal attention by blocks of query rows: the rows r0..r1 see only the
    keys 0..r1 (S >= L: row i sees columns 0..i), so the products skip the
    hidden upper blocks; only each block's last square needs a mask."""
    L, S = query.shape[-2], key.shape[-2]
    nb = min(4, L // _CAUSAL_BLOCK)
    bounds = [L * b // nb for b in range(nb + 1)]
    q = query * s
    outs = []
    for r0, r1 in zip(bounds[:-1], bounds[1:]):
        # slice the keys before transposing: a slice of a transposed view
        # differentiates through a generic (index-scatter) view backward
        attn = _t.matmul(q[..., r0:r1, :], key[..., :r1, :].transpose(-2, -1))
        # row r0 + i sees columns 0..r0 + i
        hide = _t.ones((r1 - r0, r1), dtype=_t.bool, device=query.device).triu(r0 + 1)
        attn = attn + _t.zeros((r1 - r0, r1), dtype=attn.dtype,
                               device=query.device).masked_fill(hide, float("-inf"))
        outs.append(_t.matmul(_t.softmax(attn, -1), value[..., :r1, :]))
    return _t.cat(outs, -2)


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, scale=None, enable_gqa=False):
    """softmax(query @ key^T * scale + bias) @ value; rows that the mask hides
    entirely give zeros, as PyTorch's math path does."""
    if _autocast_state():
        return _autocast_call("scaled_dot_product_attention", scaled_dot_product_attention, (query, key,
                              value, attn_mask, dropout_p, is_causal, scale, enable_gqa), None)
    _tensor(query, "scaled_dot_product_attention", "query")
    _tensor(key, "scaled_dot_product_attention", "key", 2)
    _tensor(value, "scaled_dot_product_attention", "value", 3)
    if not (query.dtype == key.dtype == value.dtype):
        raise RuntimeError("Expected query, key, and value to have the same dtype, but got "
                           f"query.dtype: {_cpp_name(query.dtype)} key.dtype: "
                           f"{_cpp_name(key.dtype)} and value.dtype: {_cpp_name(value.dtype)} "
                           "instead.")
    if not query.is_floating_point():
        raise RuntimeError(f"expected scalar type Float but found {_dtype_name(query.dtype)}")
    if attn_mask is not None:
        _tensor(attn_mask, "scaled_dot_product_attention", "attn_mask", 4)
        if attn_mask.dtype != _t.bool and not attn_mask.is_floating_point():
            raise RuntimeError("Expected attn_mask dtype to be bool or float or to match query "
                               f"dtype, but got attn_mask.dtype: {_cpp_name(attn_mask.dtype)} and "
                               f" query.dtype: {_cpp_name(query.dtype)} instead.")
        if is_causal:
            raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set "
                               "when is_causal=True")
    if not 0.0 <= dropout_p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {dropout_p}")
    if query.dim() < 2 or key.dim() < 2 or value.dim() < 2:
        raise RuntimeError("scaled_dot_product_attention: query, key and value must have at least "
                           "2 dimensions")
    L, S = query.shape[-2], key.shape[-2]
    if enable_gqa and query.dim() >= 3 and key.dim() >= 3:
        hq, hk, hv = query.shape[-3], key.shape[-3], value.shape[-3]
        if hk == 0 or hv == 0 or hq % hk or hq % hv:
            raise RuntimeError("Number of heads in key and value must divide the number of heads "
                               "in query")
        if hk != hq:
            key = key.repeat_interleave(hq // hk, -3)
        if hv != hq:
            value = value.repeat_interleave(hq // hv, -3)
    s = 1.0 / math.sqrt(query.shape[-1]) if scale is None else float(scale)
    # the row blocks save forward work, but their backward (slices and a cat
    # to undo) costs more than the masked products save: only without history
    if is_causal and dropout_p == 0.0 and L >= 2 * _CAUSAL_BLOCK and S >= L and not (
            _t.is_grad_enabled() and (query.requires_grad or key.requires_grad
                                      or value.requires_grad)):
        return _causal_blocks(query, key, value, s)
    attn = _t.matmul(query * s, key.transpose(-2, -1))
    hidden = None                   # rows the mask hides entirely
    # a boolean mask becomes an additive one of the mask's own (small) shape:
    # one broadcast add over the scores is cheaper than a masked fill
    if is_causal:
        # row i sees columns 0..i: no row is hidden
        keep = _t.ones((L, S), dtype=_t.bool, device=query.device).tril()
        attn = attn + _t.zeros((L, S), dtype=attn.dtype, device=query.device).masked_fill(
            ~keep, float("-inf"))
    elif attn_mask is not None:
        if attn_mask.dtype == _t.bool:
            attn = attn + _t.zeros(tuple(attn_mask.shape), dtype=attn.dtype,
                                   device=query.device).masked_fill(~attn_mask, float("-inf"))
            hidden = ~attn_mask.any(-1, keepdim=True)
        else:
            attn = attn + attn_mask.to(attn.dtype)
            hidden = (attn_mask == float("-inf")).all(-1, keepdim=True)
        if not hidden.any().item():
            hidden = None
    attn = _t.softmax(attn, -1)
    if hidden is not None:
        attn = attn.masked_fill(hidden, 0.0)
    if dropout_p > 0.0:
        from ctorch.nn.functional import dropout
        attn = dropout(attn, dropout_p, True)
    return _t.matmul(attn, value)


# ------------------------------------------------------------ ctc_loss
# The forward (alpha) recursion in log space over the extended target
# (blanks between and around the labels), one step per time frame for the
# whole batch; the backward runs the beta recursion and gives PyTorch's
# gradient: exp(log_probs) - (the posterior of each class at each frame),
# the gradient of the logits when log_probs is a log_softmax of them (what
# PyTorch's CtcLossBackward0 returns), zero past each input length.

_NEG_INF = float("-inf")


def _unshift(x, k):
    pad = _t.full(tuple(x.shape[:-1]) + (k,), _NEG_INF, dtype=x.dtype, device=x.device)
    return _t.cat([x[..., k:], pad], -1)


class _CtcPlan:
    def __init__(self, ext, skip, il, tl, alphas, nll, zero_infinity):
        self.ext, self.skip, self.il, self.tl = ext, skip, il, tl
        self.alphas, self.nll, self.zero_infinity = alphas, nll, zero_infinity

    def backward(self, grad, log_probs):
        lp = log_probs.detach()
        T, N, C = lp.shape
        ext, skip, il = self.ext, self.skip, self.il
        S = ext.shape[1]
        lpe = lp.gather(2, ext.unsqueeze(0).expand(T, N, S))
        dt, dev = lp.dtype, lp.device
        s_idx = _t.arange(S, device=dev)
        last = (s_idx == (2 * self.tl).unsqueeze(1)) | (s_idx == (2 * self.tl - 1).unsqueeze(1))
        zero = _t.zeros((), dtype=dt, device=dev)
        ninf = _t.full((), _NEG_INF, dtype=dt, device=dev)
        # s + 2 may be reached from s where s + 2 may skip
        skip_next = _unshift(_t.where(skip, zero, ninf), 2)
        frames = _t.arange(T, device=dev).unsqueeze(1)
        lpe_m = lpe + _t.where(frames < il.unsqueeze(0), zero, ninf).unsqueeze(2)
        # the last frame of each sequence starts at its last two states
        start = (_t.where(last, zero, ninf).unsqueeze(0) +
                 _t.where(frames == (il - 1).unsqueeze(0), zero, ninf).unsqueeze(2))
        # beta_t in row t, two -inf columns after the states; row T is -inf
        buf = _t.full((T + 1, N, S + 2), _NEG_INF, dtype=dt, device=dev)
        for t in range(T - 1, -1, -1):
            nxt = buf[t + 1]
            rec = _t.logaddexp(_t.logaddexp(nxt[:, :S], nxt[:, 1:S + 1]), nxt[:, 2:] + skip_next)
            buf[t, :, :S] = _t.logaddexp(rec, start[t]) + lpe_m[t]
        betas = buf[:T, :, :S]
        lab = self.alphas + betas                              # (T, N, S)
        nll = self.nll.reshape(1, N, 1)
        post = (lab + nll - lpe).exp()
        occ = _t.zeros((T, N, C), dtype=lp.dtype, device=lp.device).scatter_add(
            2, ext.unsqueeze(0).expand(T, N, S), post)
        g = lp.exp() - occ
        valid = (_t.arange(T, device=lp.device).unsqueeze(1) < il.unsqueeze(0)).unsqueeze(2)
        g = _t.where(valid, g, _t.zeros((), dtype=g.dtype, device=g.device))
        if self.zero_infinity:
            inf = (self.nll == float("inf")).reshape(1, N, 1)
            g = _t.where(inf, _t.zeros((), dtype=g.dtype, device=g.device), g)
        return g * grad.reshape(1, N, 1)


def _lengths(v, name, n):
    if isinstance(v, Tensor):
        if v.is_floating_point() or v.is_complex() or v.dtype == _t.bool:
            raise RuntimeError(f"{name} must be integral")
        vals = [int(x) for x in v.reshape(-1).tolist()]
    else:
        vals = [int(x) for x in v]
    if len(vals) != n:
        raise RuntimeError(f"{name} must be of size batch_size")
    return vals


def _ctc(log_probs, targets, input_lengths, target_lengths, blank, code, zero_infinity):
    if log_probs.dtype not in (_t.float32, _t.float64):
        raise NotImplementedError(f"\"ctc_loss_cpu\" not implemented for "
                                  f"'{_dtype_name(log_probs.dtype)}'")
    unbatched = log_probs.dim() == 2
    if unbatched:
        log_probs = log_probs.unsqueeze(1)
        targets = targets.unsqueeze(0)
        if isinstance(input_lengths, Tensor):
            input_lengths = input_lengths.reshape(1)
        if isinstance(target_lengths, Tensor):
            target_lengths = target_lengths.reshape(1)
    if log_probs.dim() != 3:
        raise RuntimeError(f"Expected 3-dimensional tensor, but got {log_probs.dim()}-dimensional "
                           "tensor for argument #1 'log_probs' (while checking arguments for "
                           "ctc_loss_allocate_outputs)")
    T, N, C = log_probs.shape
    if blank < 0 or blank >= C:
        raise RuntimeError("blank must be in label range")
    il = _lengths(input_lengths, "input_lengths", N)
    tl = _lengths(target_lengths, "target_lengths", N)
    where = " (while checking arguments for ctc_loss_allocate_outputs)"
    for name, vals, top in (("input_lengths", il, T), ("target_lengths", tl, None)):
        for v in vals:
            if v < 0:
                raise RuntimeError(f"Expected {name} to have value at least 0, but got value {v}"
                                   + where)
            if top is not None and v > top:
                raise RuntimeError(f"Expected {name} to have value at most {top}, but got value "
                                   f"{v}" + where)
    tg = targets.long() if targets.dtype != _t.int64 else targets
    lmax = max(tl) if tl else 0
    if tg.dim() == 1:
        total = sum(tl)
        if tg.shape[0] != total:
            raise RuntimeError(f"Expected tensor to have size {total} at dimension 0, but got size "
                               f"{tg.shape[0]} for argument #2 'targets'" + where)
        rows, off = [], 0
        flat = tg.tolist()
        for n in range(N):
            rows.append(flat[off:off + tl[n]] + [blank] * (lmax - tl[n]))
            off += tl[n]
        lab = _t.tensor(rows, dtype=_t.int64, device=log_probs.device).reshape(N, lmax)
    else:
        if tg.shape[0] != N:
            raise RuntimeError(f"Expected tensor to have size {N} at dimension 0, but got size "
                               f"{tg.shape[0]} for argument #2 'targets'" + where)
        if lmax > tg.shape[1]:
            raise RuntimeError(f"Expected tensor to have size at least {lmax} at dimension 1, but "
                               f"got size {tg.shape[1]} for argument #2 'targets'" + where)
        lab = tg[:, :lmax]
        # positions past a target's length are never read; keep them in range
        keep = _t.arange(lmax, device=lab.device).unsqueeze(0) < _t.tensor(
            tl, device=lab.device).unsqueeze(1)
        lab = _t.where(keep, lab, _t.full((), blank, dtype=_t.int64, device=lab.device))
    if lab.numel() and ((lab < 0).any().item() or (lab >= C).any().item()):
        raise RuntimeError("ctc_loss: target labels must be in [0, num_classes)")
    S = 2 * lmax + 1
    dev = log_probs.device
    ext = _t.full((N, S), blank, dtype=_t.int64, device=dev)
    if lmax:
        ext[:, 1::2] = lab
    # s may be reached from s - 2: a label that differs from the label two back
    skip = _t.zeros((N, S), dtype=_t.bool, device=dev)
    if lmax > 1:
        skip[:, 3::2] = lab[:, 1:] != lab[:, :-1]
    il_t = _t.tensor(il, dtype=_t.int64, device=dev)
    tl_t = _t.tensor(tl, dtype=_t.int64, device=dev)
    with _t.no_grad():
        lp = log_probs.detach()
        lpe = lp.gather(2, ext.unsqueeze(0).expand(T, N, S))
        ninf = _t.full((N, S), _NEG_INF, dtype=lp.dtype, device=dev)
        s_idx = _t.arange(S, device=dev)
        zero = _t.zeros((), dtype=lp.dtype, device=dev)
        skip_b = _t.where(skip, zero, _t.full((), _NEG_INF, dtype=lp.dtype, device=dev))
        frames = _t.arange(T, device=dev).unsqueeze(1)
        # frames past a sequence's length hold -inf
        lpe_m = lpe + _t.where(frames < il_t.unsqueeze(0), zero, _NEG_INF).unsqueeze(2)
        # alpha_t in row t, two -inf columns before the states
        buf = _t.full((T, N, S + 2), _NEG_INF, dtype=lp.dtype, device=dev)
        if T:
            first = (s_idx == 0) | ((s_idx == 1) & (tl_t > 0).unsqueeze(1))
            buf[0, :, 2:] = _t.where(first, lpe_m[0], ninf)
        for t in range(1, T):
            prev = buf[t - 1]
            buf[t, :, 2:] = _t.logaddexp(_t.logaddexp(prev[:, 2:], prev[:, 1:-1]),
                                         prev[:, :-2] + skip_b) + lpe_m[t]
        stacked = buf[:, :, 2:]                                 # (T, N, S)
        if T:
            # each sequence ends at its own last frame
            t_end = (il_t - 1).clamp(min=0)
            final = stacked.gather(0, t_end.reshape(1, N, 1).expand(1, N, S))[0]
            final = _t.where((il_t > 0).unsqueeze(1), final, ninf)
        else:
            final = ninf
        end1 = final.gather(1, (2 * tl_t).unsqueeze(1))[:, 0]
        end2 = final.gather(1, (2 * tl_t - 1).clamp(min=0).unsqueeze(1))[:, 0]
        end2 = _t.where(tl_t > 0, end2, _t.full((), _NEG_INF, dtype=lp.dtype, device=dev))
        nll = -_t.logaddexp(end1, end2)
        loss = nll
        if zero_infinity:
            loss = _t.where(nll == float("inf"), _t.zeros((), dtype=nll.dtype, device=dev), nll)
    plan = _CtcPlan(ext, skip, il_t, tl_t, stacked, nll, zero_infinity)
    loss = _record("grid_ctc_loss", loss, (log_probs,), (plan,))
    if code == 1:
        loss = (loss / tl_t.clamp(min=1).to(loss.dtype)).mean()
    elif code == 2:
        loss = loss.sum()
    elif unbatched:
        loss = loss.squeeze(0)
    return loss


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean",
             zero_infinity=False):
    from ctorch.nn.functional import _reduction_code
    _tensor(log_probs, "ctc_loss", "log_probs")
    _tensor(targets, "ctc_loss", "targets", 2)
    code = _reduction_code(reduction)
    for name, v, pos in (("input_lengths", input_lengths, 3), ("target_lengths", target_lengths, 4)):
        if not isinstance(v, (Tensor, list, tuple)):
            raise TypeError(f"ctc_loss(): argument '{name}' (position {pos}) must be tuple of ints "
                            f"or Tensor, not {type(v).__name__}")
    return _ctc(log_probs, targets, input_lengths, target_lengths, int(blank), code,
                bool(zero_infinity))


def _torch_ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction=0,
                    zero_infinity=False):
    _tensor(log_probs, "ctc_loss", "log_probs")
    _tensor(targets, "ctc_loss", "targets", 2)
    both_t = isinstance(input_lengths, Tensor) and isinstance(target_lengths, Tensor)
    both_l = (isinstance(input_lengths, (list, tuple)) and
              isinstance(target_lengths, (list, tuple)))
    if not (both_t or both_l) or isinstance(reduction, bool) or not isinstance(reduction, int):
        raise TypeError("ctc_loss() received an invalid combination of arguments - expected "
                        "(Tensor log_probs, Tensor targets, tuple of ints input_lengths, tuple of "
                        "ints target_lengths, int blank, int reduction, bool zero_infinity) or "
                        "(Tensor log_probs, Tensor targets, Tensor input_lengths, Tensor "
                        "target_lengths, int blank, int reduction, bool zero_infinity)")
    code = reduction if reduction in (1, 2) else 0
    return _ctc(log_probs, targets, input_lengths, target_lengths, int(blank), code,
                bool(zero_infinity))


_torch_ctc_loss.__name__ = _torch_ctc_loss.__qualname__ = "ctc_loss"


# ------------------------------------------------------------ multi-head attention

def _additive_mask(mask, dtype, name):
    """A boolean mask (True: not attended) as an additive float mask."""
    if mask is None:
        return None
    if mask.dtype == _t.bool:
        return _t.zeros(tuple(mask.shape), dtype=dtype, device=mask.device).masked_fill(
            mask, float("-inf"))
    if not mask.is_floating_point():
        raise AssertionError(f"only bool and floating types of {name} are supported")
    return mask.to(dtype)


def _pad_last(mask):
    if mask is None:
        return None
    z = _t.zeros(tuple(mask.shape[:-1]) + (1,), dtype=mask.dtype, device=mask.device)
    return _t.cat([mask, z], -1)


def multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads, in_proj_weight,
                                 in_proj_bias, bias_k, bias_v, add_zero_attn, dropout_p,
                                 out_proj_weight, out_proj_bias, training=True,
                                 key_padding_mask=None, need_weights=True, attn_mask=None,
                                 use_separate_proj_weight=False, q_proj_weight=None,
                                 k_proj_weight=None, v_proj_weight=None, static_k=None,
                                 static_v=None, average_attn_weights=True, is_causal=False):
    """Inputs (L, N, E) (or unbatched (L, E)); masks are True where attention
    is not allowed, or additive floats. Returns (output, weights or None)."""
    from ctorch.nn.functional import linear, softmax, dropout
    _tensor(query, "multi_head_attention_forward", "query")
    _tensor(key, "multi_head_attention_forward", "key", 2)
    _tensor(value, "multi_head_attention_forward", "value", 3)
    batched = query.dim() == 3
    if query.dim() not in (2, 3):
        raise AssertionError(f"query should be unbatched 2D or batched 3D tensor but received "
                             f"{query.dim()}-D query tensor")
    if key.dim() != query.dim() or value.dim() != query.dim():
        raise AssertionError(f"For {'batched (3-D)' if batched else 'unbatched (2-D)'} `query`, "
                             f"expected `key` and `value` to be {query.dim()}-D, but found "
                             f"{key.dim()}-D and {value.dim()}-D tensors respectively")
    if not batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    if embed_dim != embed_dim_to_check:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim_to_check}, but got "
                             f"{embed_dim}")
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight:
        if tuple(key.shape[:2]) != tuple(value.shape[:2]):
            raise AssertionError(f"key's sequence and batch dims {key.shape[:2]} do not match "
                                 f"value's {value.shape[:2]}")
    elif tuple(key.shape) != tuple(value.shape):
        raise AssertionError(f"key shape {key.shape} does not match value shape {value.shape}")
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the "
                           "Transformer module method `generate_square_subsequent_mask` to create "
                           "this mask.")
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None            # the mask is the causal one: sdpa builds it
    else:
        is_causal = False
    # the input projections
    if in_proj_bias is not None:
        bq, bk, bv = in_proj_bias.chunk(3)
    else:
        bq = bk = bv = None
    if not use_separate_proj_weight:
        if in_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is False but in_proj_weight is None")
        wq, wk, wv = in_proj_weight.chunk(3)
    else:
        for nm, w in (("q", q_proj_weight), ("k", k_proj_weight), ("v", v_proj_weight)):
            if w is None:
                raise AssertionError(f"use_separate_proj_weight is True but {nm}_proj_weight is "
                                     "None")
        wq, wk, wv = q_proj_weight, k_proj_weight, v_proj_weight
    q = linear(query, wq, bq)
    k = linear(key, wk, bk)
    v = linear(value, wv, bv)
    src_len0 = key.shape[0]
    if attn_mask is not None:
        attn_mask = _additive_mask(attn_mask, q.dtype, "attn_mask")
        if attn_mask.dim() == 2:
            if tuple(attn_mask.shape) != (tgt_len, src_len0):
                raise RuntimeError(f"The shape of the 2D attn_mask is {attn_mask.shape}, but should "
                                   f"be {(tgt_len, src_len0)}.")
            attn_mask = attn_mask.unsqueeze(0)
        elif attn_mask.dim() == 3:
            if tuple(attn_mask.shape) != (bsz * num_heads, tgt_len, src_len0):
                raise RuntimeError(f"The shape of the 3D attn_mask is {attn_mask.shape}, but should "
                                   f"be {(bsz * num_heads, tgt_len, src_len0)}.")
        else:
            raise RuntimeError(f"attn_mask's dimension {attn_mask.dim()} is not supported")
    key_padding_mask = _additive_mask(key_padding_mask, q.dtype, "key_padding_mask")
    if bias_k is not None and bias_v is not None:
        if static_k is not None or static_v is not None:
            raise AssertionError("bias cannot be added to static key." if static_k is not None
                                 else "bias cannot be added to static value.")
        k = _t.cat([k, bias_k.repeat(1, bsz, 1)])
        v = _t.cat([v, bias_v.repeat(1, bsz, 1)])
        attn_mask = _pad_last(attn_mask)
        key_padding_mask = _pad_last(key_padding_mask)
    elif (bias_k is None) != (bias_v is None):
        raise AssertionError("bias_k and bias_v must both be given or both be None")
    q = q.reshape(tgt_len, bsz * num_heads, head_dim).transpose(0, 1)
    if static_k is None:
        k = k.reshape(k.shape[0], bsz * num_heads, head_dim).transpose(0, 1)
    else:
        if static_k.shape[0] != bsz * num_heads or static_k.shape[2] != head_dim:
            raise AssertionError(f"expecting static_k.size(0) of {bsz * num_heads}, and "
                                 f"static_k.size(2) of {head_dim}, but got {static_k.shape}")
        k = static_k
    if static_v is None:
        v = v.reshape(v.shape[0], bsz * num_heads, head_dim).transpose(0, 1)
    else:
        if static_v.shape[0] != bsz * num_heads or static_v.shape[2] != head_dim:
            raise AssertionError(f"expecting static_v.size(0) of {bsz * num_heads}, and "
                                 f"static_v.size(2) of {head_dim}, but got {static_v.shape}")
        v = static_v
    if add_zero_attn:
        z = _t.zeros((bsz * num_heads, 1, head_dim), dtype=k.dtype, device=k.device)
        k = _t.cat([k, z], 1)
        v = _t.cat([v, z], 1)
        attn_mask = _pad_last(attn_mask)
        key_padding_mask = _pad_last(key_padding_mask)
    src_len = k.shape[1]
    if key_padding_mask is not None:
        if tuple(key_padding_mask.shape) != (bsz, src_len):
            raise AssertionError(f"expecting key_padding_mask shape of {(bsz, src_len)}, but got "
                                 f"{key_padding_mask.shape}")
        kpm = key_padding_mask.reshape(bsz, 1, 1, src_len).expand(bsz, num_heads, 1, src_len)
        kpm = kpm.reshape(bsz * num_heads, 1, src_len)
        attn_mask = kpm if attn_mask is None else attn_mask + kpm
    if not training:
        dropout_p = 0.0
    if need_weights:
        scores = _t.matmul(q * math.sqrt(1.0 / head_dim), k.transpose(-2, -1))
        if attn_mask is not None:
            scores = scores + attn_mask
        weights = softmax(scores, -1)
        if dropout_p > 0.0:
            weights = dropout(weights, dropout_p)
        out = _t.matmul(weights, v)
        out = out.transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
        out = linear(out, out_proj_weight, out_proj_bias).reshape(tgt_len, bsz, embed_dim)
        weights = weights.reshape(bsz, num_heads, tgt_len, src_len)
        if average_attn_weights:
            weights = weights.mean(1)
        if not batched:
            out, weights = out.squeeze(1), weights.squeeze(0)
        return out, weights
    if attn_mask is not None:
        if attn_mask.shape[0] == 1 and attn_mask.dim() == 3:
            attn_mask = attn_mask.unsqueeze(0)
        else:
            attn_mask = attn_mask.reshape(bsz, num_heads, -1, src_len)
    q = q.reshape(bsz, num_heads, tgt_len, head_dim)
    k = k.reshape(bsz, num_heads, src_len, head_dim)
    v = v.reshape(bsz, num_heads, src_len, head_dim)
    out = scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal)
    out = out.permute(2, 0, 1, 3).reshape(bsz * tgt_len, embed_dim)
    out = linear(out, out_proj_weight, out_proj_bias).reshape(tgt_len, bsz, embed_dim)
    if not batched:
        out = out.squeeze(1)
    return out, None
