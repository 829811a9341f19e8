"""torch.nn.functional: batch and instance normalisation, normalize, one_hot,
softmin, local response normalisation, bilinear, embedding_bag, the
channel-wise and alpha dropouts, and the margin / Gaussian losses; with their
torch-level forms (torch.batch_norm, torch.embedding_bag, ...).

batch_norm runs on the kernels of ctorch/_ops/nnmisc.pyx (statistics, affine
map and the backward's two passes) and records `native_batch_norm`; on a
device without those kernels, and for higher-order gradients, it is a
composition of ctorch ops. embedding_bag and the multi-margin losses record
their own derivatives entries (PyTorch's grad_fn names); the other functions
are compositions of differentiable ctorch ops.
"""
import math
import warnings

import ctorch as _t
from ctorch._core.tensor import Tensor
from ctorch.autograd._node import _record, is_grad_enabled as _is_grad_enabled
from ctorch._ops import nnmisc as _k
from ctorch._ops import nn as _nn_ops
from ctorch._ops.products import _autocast_state, _autocast_call


# ctorch.nn.functional imports this module at its end, so its helpers are
# looked up when first called
def _F():
    import ctorch.nn.functional as functional
    return functional


def _tensor(*a):
    return _F()._tensor(*a)


def _reduction_code(*a):
    return _F()._reduction_code(*a)


def _reduce(loss, code):
    return _F()._reduce(loss, code)


def _dtype_name(dtype):
    return _F()._dtype_name(dtype)


def _implicit_dim(ndim):
    return _F()._implicit_dim(ndim)


def _softmax(input, dim, dtype=None):
    return _F().softmax(input, dim, dtype=dtype)


def _pairwise_distance(x1, x2):
    return _F().pairwise_distance(x1, x2)


def _logsigmoid(x):
    return _F().logsigmoid(x)


def _named(name):
    def wrap(fn):
        fn.__name__ = fn.__qualname__ = name
        return fn
    return wrap


def _size_str(shape):
    return f"torch.Size([{', '.join(str(s) for s in shape)}])"


# ------------------------------------------------------- batch normalisation

def _channel_dims(x):
    return (0,) + tuple(range(2, x.dim()))


def _channel_view(v, nd):
    return v.reshape((-1,) + (1,) * (nd - 2))


def _check_param(t, name, c, pos):
    if t is None:
        return
    if not isinstance(t, Tensor):
        raise TypeError(f"batch_norm(): argument '{name}' (position {pos}) must be Tensor, not "
                        f"{type(t).__name__}")
    if t.numel() != c:
        raise RuntimeError(f"{name} should contain {c} elements not {t.numel()}")


def _check_mixed(input, params):
    dt = input.dtype
    for p in params:
        if p is None or p.dtype == dt:
            continue
        if dt == _t.float64 or p.dtype == _t.float64 or p.dtype != _t.float32:
            if dt in (_t.float16, _t.float32) and p.dtype != _t.float32:
                raise RuntimeError(f"mixed dtype (CPU): expect parameter to have scalar type of "
                                   f"{'Float' if dt == _t.float32 else _dtype_name(dt)}")
            raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")


def _bn_compose(x, weight, bias, mean, invstd):
    """(x - mean) * invstd * weight + bias, per channel (dim 1)."""
    nd = x.dim()
    y = (x - _channel_view(mean, nd)) * _channel_view(invstd, nd)
    if weight is not None:
        y = y * _channel_view(weight, nd)
    if bias is not None:
        y = y + _channel_view(bias, nd)
    return y


def _batch_norm_impl(input, weight, bias, running_mean, running_var, training, momentum, eps):
    _tensor(input, "batch_norm")
    if not input.is_floating_point():
        raise NotImplementedError(f"\"batch_norm\" not implemented for '{_dtype_name(input.dtype)}'")
    if input.dim() < 2:
        input.size(1)                       # PyTorch's IndexError for a missing channel dim
    c = input.shape[1]
    for pos, (name, t) in enumerate((("weight", weight), ("bias", bias),
                                     ("running_mean", running_mean),
                                     ("running_var", running_var)), 2):
        _check_param(t, name, c, pos)
    if not training and (running_mean is None or running_var is None):
        raise RuntimeError(f"{'running_mean' if running_mean is None else 'running_var'} must be "
                           "defined in evaluation mode")
    _check_mixed(input, (weight, bias, running_mean, running_var))
    if input.numel() == 0:
        return _bn_compose(input, weight, bias, _t.zeros(c, dtype=input.dtype, device=input.device),
                           _t.ones(c, dtype=input.dtype, device=input.device))
    comp = _t.float64 if input.dtype == _t.float64 else _t.float32
    x = input.detach()
    if x.dtype != comp:
        x = x.to(comp)
    kernels = _k._has_kernels(x)
    if kernels:
        with _t.no_grad():
            y, mean, invstd, var = _k._bn_forward(x, weight, bias, running_mean, running_var,
                                                  training, float(eps))
    else:
        dims = _channel_dims(x)
        with _t.no_grad():
            if training:
                mean = x.mean(dims).double()
                var = (x - _channel_view(mean.to(comp), x.dim())).square().mean(dims).double()
                invstd = (var + eps).rsqrt()
            else:
                mean = running_mean.double()
                var = None
                invstd = (running_var.double() + eps).rsqrt()
            y = _bn_compose(x, weight, bias, mean.to(comp), invstd.to(comp))
    if y.dtype != input.dtype:
        y = y.to(input.dtype)
    if training and running_mean is not None:
        m = input.numel() // c
        with _t.no_grad():
            unbiased = var * (m / (m - 1)) if m > 1 else var * float("nan")
            running_mean.mul_(1 - momentum).add_(mean.to(running_mean.dtype) * momentum)
            running_var.mul_(1 - momentum).add_(unbiased.to(running_var.dtype) * momentum)
    return _record("native_batch_norm", y, (input, weight, bias),
                   (mean, invstd, bool(training), float(eps)))


def _bn_backward(grad, input, weight, mean, invstd, training, eps, needs):
    """The gradients of batch_norm for (input, weight, bias): the backward
    kernels, or (create_graph, or a device without them) the formula in
    ctorch ops, which recomputes the batch statistics from the input so that
    higher-order gradients are exact."""
    x = input
    comp = _t.float64 if x.dtype == _t.float64 else _t.float32
    if not _is_grad_enabled() and _k._has_kernels(x):
        xd = x.detach() if x.dtype == comp else x.detach().to(comp)
        gd = grad.detach() if grad.dtype == comp else grad.detach().to(comp)
        w = None if weight is None else weight.detach()
        dx, dw, db = _k._bn_backward(gd, xd, w, mean, invstd, training, needs)
        if dx is not None and dx.dtype != x.dtype:
            dx = dx.to(x.dtype)
        if dw is not None:
            dw = dw.to(weight.dtype)
        if db is not None:
            db = db.to(weight.dtype if weight is not None else x.dtype)
        return dx, dw, db
    nd = x.dim()
    dims = _channel_dims(x)
    if training:
        mu = x.mean(dims, keepdim=True)
        xc = x - mu
        inv = (xc.square().mean(dims, keepdim=True) + eps).rsqrt()
    else:
        xc = x - _channel_view(mean.to(x.dtype), nd)
        inv = _channel_view(invstd.to(x.dtype), nd)
    xhat = xc * inv
    gx = grad if weight is None else grad * _channel_view(weight, nd)
    dx = dw = db = None
    if needs[0]:
        if training:
            dx = inv * (gx - gx.mean(dims, keepdim=True)
                        - xhat * (gx * xhat).mean(dims, keepdim=True))
        else:
            dx = gx * inv
    if len(needs) > 1 and needs[1]:
        dw = (grad * xhat).sum(dims)
    if len(needs) > 2 and needs[2]:
        db = grad.sum(dims)
    return dx, dw, db


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    _tensor(input, "batch_norm")
    if momentum is None or isinstance(momentum, bool) or not isinstance(momentum, (int, float)):
        raise TypeError(f"batch_norm(): argument 'momentum' (position 7) must be float, not "
                        f"{type(momentum).__name__}")
    if training:
        shape = tuple(input.shape)
        count = shape[0] if shape else 1
        for s in shape[2:]:
            count *= s
        if count == 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input "
                             f"size {_size_str(shape)}")
    return _batch_norm_impl(input, weight, bias, running_mean, running_var, training,
                            float(momentum), eps)


@_named("batch_norm")
def _torch_batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps,
                      cudnn_enabled):
    return _batch_norm_impl(input, weight, bias, running_mean, running_var, training,
                            float(momentum), eps)


def _instance_norm_impl(input, weight, bias, running_mean, running_var, use_input_stats,
                        momentum, eps):
    _tensor(input, "instance_norm")
    for pos, name, t in ((2, "weight", weight), (3, "bias", bias), (4, "running_mean", running_mean),
                         (5, "running_var", running_var)):
        if t is not None and not isinstance(t, _t.Tensor):
            raise TypeError(f"instance_norm(): argument '{name}' (position {pos}) must be Tensor, "
                            f"not {type(t).__name__}")
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError("Expected running_mean and running_var to be defined when "
                           "use_input_stats is false")
    if input.dim() < 2:
        input.size(1)
    n, c = input.shape[0], input.shape[1]
    rest = tuple(input.shape[2:])
    x = input.reshape((1, n * c) + rest)
    rep = lambda t: None if t is None else t.repeat(n)
    rm, rv = rep(running_mean), rep(running_var)
    out = _batch_norm_impl(x, rep(weight), rep(bias), rm, rv, use_input_stats, momentum, eps)
    if use_input_stats and running_mean is not None:
        with _t.no_grad():
            running_mean.copy_(rm.reshape(n, c).mean(0))
            running_var.copy_(rv.reshape(n, c).mean(0))
    return out.view(tuple(input.shape))


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats=True, momentum=0.1, eps=1e-5):
    _tensor(input, "instance_norm")
    if use_input_stats:
        count = 1
        for s in tuple(input.shape)[2:]:
            count *= s
        if count == 1:
            raise ValueError(f"Expected more than 1 spatial element when training, got input "
                             f"size {_size_str(tuple(input.shape))}")
    return _instance_norm_impl(input, weight, bias, running_mean, running_var, use_input_stats,
                               momentum, eps)


@_named("instance_norm")
def _torch_instance_norm(input, weight, bias, running_mean, running_var, use_input_stats,
                         momentum, eps, cudnn_enabled):
    return _instance_norm_impl(input, weight, bias, running_mean, running_var, use_input_stats,
                               momentum, eps)


# ---------------------------------------------------- small compositions

def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """input / max(||input||_p along dim, eps)."""
    if _autocast_state() & 2 and out is None:
        return _autocast_call("normalize", normalize, (input, p, dim, eps), None)
    _tensor(input, "normalize")
    denom = _t.linalg.vector_norm(input, p, dim=dim, keepdim=True).clamp_min(eps)
    if out is None:
        return input / denom.expand_as(input)
    return _t.div(input, denom.expand_as(input), out=out)


def one_hot(tensor, num_classes=-1):
    _tensor(tensor, "one_hot", "self")
    if tensor.dtype != _t.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    num_classes = int(num_classes)
    if tensor.numel() == 0:
        if num_classes == -1:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        return _t.zeros(tuple(tensor.shape) + (num_classes,), dtype=_t.int64, device=tensor.device)
    if tensor.min().item() < 0:
        raise RuntimeError("Class values must be non-negative.")
    top = tensor.max().item()
    if num_classes == -1:
        num_classes = top + 1
    elif top >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    out = _t.zeros(tuple(tensor.shape) + (num_classes,), dtype=_t.int64, device=tensor.device)
    return out.scatter_(-1, tensor.unsqueeze(-1), 1)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    if _autocast_state() & 2:
        return _autocast_call("softmin", softmin, (input, dim, _stacklevel, dtype), None)
    _tensor(input, "softmin")
    if dim is None:
        dim = _implicit_dim(input.dim())
    return _softmax(-input, dim, dtype=dtype)


def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    """input / (k + alpha / size * sum of input^2 over a window of `size`
    channels around each channel)^beta; the window is zero-padded."""
    _tensor(input, "local_response_norm")
    nd = input.dim()
    if nd < 3:
        raise ValueError(f"Expected 3D or higher dimensionality                          input "
                         f"(got {nd} dimensions)")
    if input.numel() == 0:
        return input
    size = int(size)
    c = input.shape[1]
    sq = input * input
    lo, hi = size // 2, (size - 1) // 2
    padded = _t.constant_pad_nd(sq.movedim(1, -1), [lo, hi]).movedim(-1, 1)
    acc = padded.narrow(1, 0, c)
    for i in range(1, size):
        acc = acc + padded.narrow(1, i, c)
    div = (acc * (alpha / size) + k).pow(beta)
    return input / div


def bilinear(input1, input2, weight, bias=None):
    """y[..., o] = sum_ij input1[..., i] weight[o, i, j] input2[..., j] + bias[o]."""
    if _autocast_state() & 2:
        return _autocast_call("bilinear", bilinear, (input1, input2, weight, bias), None)
    _tensor(input1, "bilinear", "input1")
    _tensor(input2, "bilinear", "input2")
    _tensor(weight, "bilinear", "weight")
    if bias is not None:
        _tensor(bias, "bilinear", "bias")
    d1, d2 = input1.dim(), input2.dim()
    if d1 != d2:
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {d1} and {d2}")
    for i in range(d1 - 1):
        if input1.shape[i] != input2.shape[i]:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {i}: got "
                               f"{input1.shape[i]} and {input2.shape[i]}")
    if input1.shape[-1] != weight.size(1):
        raise RuntimeError(f"bilinear(): input1 size does not match weight size: got "
                           f"{input1.shape[-1]} but expected {weight.shape[1]}")
    if input2.shape[-1] != weight.size(2):
        raise RuntimeError(f"bilinear(): input2 size does not match weight size: got "
                           f"{input2.shape[-1]} but expected {weight.shape[2]}")
    if weight.dim() != 3:
        raise RuntimeError(f"bilinear(): weight must be a 3-D tensor, but got {weight.dim()}-D")
    o, i1, i2 = weight.shape
    if input2.shape[-1] != i2:
        raise RuntimeError(f"bilinear(): input2 size does not match weight size: got "
                           f"{input2.shape[-1]} but expected {i2}")
    if bias is not None and bias.shape[0] != o:
        raise RuntimeError(f"bilinear(): bias size does not match weight size: got "
                           f"{bias.shape[0]} but expected {o}")
    batch = tuple(input1.shape[:-1])
    a = input1.reshape(-1, i1)
    b = input2.reshape(-1, i2)
    # (B, I) @ (I, O*J) -> (B, O, J), then contracted with input2 over J
    t = (a @ weight.permute(1, 0, 2).reshape(i1, o * i2)).reshape(-1, o, i2)
    y = (t @ b.unsqueeze(-1)).reshape(batch + (o,))
    return y if bias is None else y + bias


@_named("bilinear")
def _torch_bilinear(input1, input2, weight, bias=None):
    return bilinear(input1, input2, weight, bias)


def norm_except_dim(v, pow=2, dim=0):
    """The p-norm of v over every dim but `dim`, shaped 1 everywhere except at
    `dim` (dim -1: the norm of all of v)."""
    _tensor(v, "norm_except_dim", "v")
    if dim == -1:
        return _t.linalg.vector_norm(v, pow)
    nd = v.dim()
    d = dim + nd if dim < 0 else dim
    if not 0 <= d < nd:
        v.size(dim)                         # PyTorch's IndexError
    n = v.shape[d]
    flat = v.movedim(d, 0).reshape(n, -1)
    r = _t.linalg.vector_norm(flat, pow, dim=1)
    shape = [1] * nd
    shape[d] = n
    return r.view(tuple(shape))


# --------------------------------------------------------------- dropouts

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946
_ALPHA = _SELU_ALPHA * _SELU_SCALE          # the saturation value of SELU is -_ALPHA


def _check_p(p, exc=ValueError):
    if p < 0.0 or p > 1.0:
        raise exc(f"dropout probability has to be between 0 and 1, but got {p}")


def _noise(input, p, feature):
    """The keep mask (1 with probability 1 - p), per element or (feature)
    per (sample, channel)."""
    shape = tuple(input.shape)
    if feature:
        shape = shape[:2] + (1,) * (len(shape) - 2)
    m = _t.empty(shape, dtype=input.dtype, device=input.device)
    return m.bernoulli_(1 - p)


def _dropout_impl(input, p, train, feature, alpha, inplace, fn):
    _tensor(input, fn)
    if feature and input.dim() < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    _check_p(p, RuntimeError)
    if not (input.is_floating_point() or input.is_complex()):
        if train and p > 0:
            raise RuntimeError(f"result type Float can't be cast to the desired output type "
                               f"{_dtype_name(input.dtype)}")
    if p == 0 or not train or input.numel() == 0:
        return input
    if p == 1:
        out = input * _t.zeros((), dtype=input.dtype, device=input.device)
    else:
        with _t.no_grad():
            keep = _noise(input, p, feature)
            if alpha:
                # kept: a * x + b; dropped: a * (-_ALPHA) + b, with a and b such
                # that zero-mean, unit-variance inputs stay so
                a = 1.0 / math.sqrt((_ALPHA * _ALPHA * p + 1) * (1 - p))
                shift = (keep - 1) * (_ALPHA * a) + _ALPHA * a * p
                scale = keep * a
            else:
                scale = keep / (1 - p)
        out = input * scale
        if alpha:
            out = out + shift
    return input.copy_(out) if inplace else out


@_named("feature_dropout")
def feature_dropout(input, p, train):
    return _dropout_impl(input, p, train, True, False, False, "feature_dropout")


@_named("feature_dropout_")
def feature_dropout_(input, p, train):
    return _dropout_impl(input, p, train, True, False, True, "feature_dropout_")


@_named("alpha_dropout")
def _torch_alpha_dropout(input, p, train):
    return _dropout_impl(input, p, train, False, True, False, "alpha_dropout")


@_named("alpha_dropout_")
def alpha_dropout_(input, p, train):
    return _dropout_impl(input, p, train, False, True, True, "alpha_dropout_")


@_named("feature_alpha_dropout")
def _torch_feature_alpha_dropout(input, p, train):
    return _dropout_impl(input, p, train, True, True, False, "feature_alpha_dropout")


@_named("feature_alpha_dropout_")
def feature_alpha_dropout_(input, p, train):
    return _dropout_impl(input, p, train, True, True, True, "feature_alpha_dropout_")


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    _tensor(input, "alpha_dropout")
    _check_p(p)
    return _dropout_impl(input, p, training, False, True, inplace, "alpha_dropout")


def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    _tensor(input, "feature_alpha_dropout")
    _check_p(p)
    return _dropout_impl(input, p, training, True, True, inplace, "feature_alpha_dropout")


def dropout1d(input, p=0.5, training=True, inplace=False):
    _tensor(input, "dropout1d")
    _check_p(p)
    nd = input.dim()
    if nd not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {nd}D input. Note "
                           "that dropout1d exists to provide channel-wise dropout on inputs with 1 "
                           "spatial dimension, a channel dimension, and an optional batch dimension "
                           "(i.e. 2D or 3D inputs).")
    if nd == 3:
        return _dropout_impl(input, p, training, True, False, inplace, "dropout1d")
    out = _dropout_impl(input.unsqueeze(0), p, training, True, False, False, "dropout1d")
    out = out.squeeze(0)
    return input.copy_(out) if inplace and out is not input else out


def dropout2d(input, p=0.5, training=True, inplace=False):
    _tensor(input, "dropout2d")
    _check_p(p)
    nd = input.dim()
    if nd not in (3, 4):
        warnings.warn(f"dropout2d: Received a {nd}-D input to dropout2d, which is deprecated and "
                      "will result in an error in a future release. To retain the behavior and "
                      "silence this warning, please use dropout instead. Note that dropout2d "
                      "exists to provide channel-wise dropout on inputs with 2 spatial dimensions, "
                      "a channel dimension, and an optional batch dimension (i.e. 3D or 4D "
                      "inputs).", stacklevel=2)
    if nd == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise "
                      "1D dropout behavior is desired - input is interpreted as shape (N, C, L), "
                      "where C is the channel dim. This behavior will change in a future release "
                      "to interpret the input as one without a batch dimension, i.e. shape "
                      "(C, H, W). To maintain the 1D channel-wise dropout behavior, please switch "
                      "to using dropout1d instead.", stacklevel=2)
    return _dropout_impl(input, p, training, True, False, inplace, "dropout2d")


def dropout3d(input, p=0.5, training=True, inplace=False):
    _tensor(input, "dropout3d")
    _check_p(p)
    nd = input.dim()
    if nd not in (4, 5):
        warnings.warn(f"dropout3d: Received a {nd}-D input to dropout3d, which is deprecated and "
                      "will result in an error in a future release. To retain the behavior and "
                      "silence this warning, please use dropout instead. Note that dropout3d "
                      "exists to provide channel-wise dropout on inputs with 3 spatial dimensions, "
                      "a channel dimension, and an optional batch dimension (i.e. 4D or 5D "
                      "inputs).", stacklevel=2)
    if nd == 5:
        return _dropout_impl(input, p, training, True, False, inplace, "dropout3d")
    out = _dropout_impl(input.unsqueeze(0), p, training, True, False, False, "dropout3d")
    out = out.squeeze(0)
    return input.copy_(out) if inplace and out is not input else out


# ----------------------------------------------------------------- losses

def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    _tensor(input, "gaussian_nll_loss")
    _tensor(target, "gaussian_nll_loss", "target")
    if not isinstance(var, Tensor):
        if float(var) < 0:
            raise ValueError("var has negative entry/entries")
        var = _t.full(tuple(input.shape), float(var), dtype=input.dtype, device=input.device)
    in_shape, v_shape = tuple(input.shape), tuple(var.shape)
    if v_shape != in_shape:
        if in_shape[:-1] == v_shape:
            var = var.unsqueeze(-1)         # one variance per sample
        elif not (in_shape[:-1] == v_shape[:-1] and v_shape and v_shape[-1] == 1):
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    if var.numel() and (var < 0).any().item():
        raise ValueError("var has negative entry/entries")
    # clamped for stability; the gradient flows to var as if unclamped
    var = var + (var.clamp_min(eps) - var).detach()
    loss = 0.5 * (_t.log(var) + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, _reduction_code(reduction))


def _margin_check_target(input, target, fn):
    if target.dtype != _t.int64:
        raise RuntimeError(f"expected scalar type Long but found {_dtype_name(target.dtype)}")
    nd = input.dim()
    if nd > 2 or (nd == 2 and input.shape[1] == 0) or (nd == 1 and input.shape[0] == 0):
        raise RuntimeError(f"Expected non-empty vector or matrix with optional 0-dim batch size, "
                           f"but got: {list(input.shape)}")


def _mm_grad(grad, self, target, p, margin, weight, reduction):
    x = self if self.dim() == 2 else self.reshape(1, -1)
    n, c = x.shape
    t = target.reshape(-1, 1)
    h = margin - x.gather(1, t) + x
    other = _t.ones_like(x, dtype=_t.bool).scatter_(1, t, False)
    active = (h > 0) & other
    coef = active.to(x.dtype) if p == 1 else 2 * h * active
    if weight is not None:
        coef = coef * weight.gather(0, target.reshape(-1)).reshape(-1, 1)
    coef = coef / c
    coef = coef - _t.zeros_like(coef).scatter_(1, t, coef.sum(1, keepdim=True))
    if reduction == 1:
        coef = coef * (grad / n)
    elif reduction == 2:
        coef = coef * grad
    else:
        coef = coef * grad.reshape(-1, 1)
    return coef.reshape(tuple(self.shape))


def _mm_loss(x, target, p, margin, weight):
    """Per-sample multi-class margin losses of an (N, C) input."""
    c = x.shape[1]
    t = target.reshape(-1, 1)
    h = (margin - x.gather(1, t) + x).clamp_min(0)
    if p == 2:
        h = h * h
    h = h.scatter(1, t, 0)
    if weight is not None:
        h = h * weight.gather(0, target.reshape(-1)).reshape(-1, 1)
    return h.sum(1) / c


def _multi_margin_impl(input, target, p, margin, weight, reduction):
    _tensor(input, "multi_margin_loss")
    _tensor(target, "multi_margin_loss", "target")
    _margin_check_target(input, target, "multi_margin_loss")
    if not input.is_floating_point():
        raise NotImplementedError(f"\"multi_margin_loss_cpu_kernel\" not implemented for "
                                  f"'{_dtype_name(input.dtype)}'")
    x = input if input.dim() == 2 else input.reshape(1, -1)
    n, c = x.shape
    if target.numel() != n or (input.dim() == 2 and target.dim() != 1):
        raise RuntimeError(f"multi_margin_loss: target tensor should be 1-D with size equal to "
                           f"the number of input samples (batch size). Expected target size "
                           f"[{n}], but got {list(target.shape)}. Input has shape "
                           f"{list(input.shape)}.")
    if weight is not None and weight.numel() != c:
        raise RuntimeError(f"inconsistent weight size, expected {c} but got {list(weight.shape)}")
    if target.numel() and ((target < 0).any().item() or (target >= c).any().item()):
        raise RuntimeError("target out of range")
    with _t.no_grad():
        w = None if weight is None else weight.detach().reshape(-1)
        loss = _mm_loss(x.detach(), target, p, margin, w)
        if reduction == 1:
            loss = loss.mean()
        elif reduction == 2:
            loss = loss.sum()
        elif input.dim() < 2:
            loss = loss.reshape(())
    w = None if weight is None else weight.reshape(-1)
    return _record("multi_margin_loss", loss, (input,), (target, p, margin, w, reduction))


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None, reduce=None,
                      reduction="mean"):
    if _autocast_state():
        return _autocast_call("multi_margin_loss", multi_margin_loss, (input, target, p, margin, weight,
                              size_average, reduce, reduction), None)
    code = _reduction_code(reduction, size_average, reduce)
    if p != 1 and p != 2:
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.dim() != 1:
        raise ValueError("weight must be one-dimensional")
    return _multi_margin_impl(input, target, p, margin, weight, code)




def _mlm_masks(x, target):
    """(is_target, in_list) of an (N, C) problem: the target classes of each
    row are its target entries before the first -1."""
    n, c = x.shape
    valid = (target >= 0).to(_t.int64).cumprod(1).to(_t.bool)
    idx = target.clamp_min(0)
    is_target = _t.zeros((n, c), dtype=_t.int64, device=x.device)
    is_target = is_target.scatter_add(1, idx, valid.to(_t.int64)) > 0
    return is_target, valid, idx


def _mlm_pairs(x, target):
    """hinge[n, j, i] = max(0, 1 - (x[n, y_j] - x[n, i])) over the valid
    targets j and the non-target classes i, and its mask."""
    is_target, valid, idx = _mlm_masks(x, target)
    xy = x.gather(1, idx)                           # (N, C): the target entries' values
    h = 1 - (xy.unsqueeze(2) - x.unsqueeze(1))      # (N, J, I)
    mask = valid.unsqueeze(2) & (~is_target).unsqueeze(1)
    return h, mask, idx


def _mlm_grad(grad, self, target, reduction):
    x = self if self.dim() == 2 else self.reshape(1, -1)
    tg = target if target.dim() == 2 else target.reshape(1, -1)
    n, c = x.shape
    h, mask, idx = _mlm_pairs(x, tg)
    act = ((h > 0) & mask).to(x.dtype) / c          # d loss / d x[i] = +act, d / d x[y_j] = -act
    g = act.sum(1) - _t.zeros_like(x).scatter_add(1, idx, act.sum(2))
    if reduction == 1:
        g = g * (grad / n)
    elif reduction == 2:
        g = g * grad
    else:
        g = g * grad.reshape(-1, 1)
    return g.reshape(tuple(self.shape))


def _multilabel_margin_impl(input, target, reduction):
    _tensor(input, "multilabel_margin_loss")
    _tensor(target, "multilabel_margin_loss", "target")
    _margin_check_target(input, target, "multilabel_margin_loss")
    if not input.is_floating_point():
        raise NotImplementedError(f"\"multilabel_margin_loss_forward_out_frame\" not implemented "
                                  f"for '{_dtype_name(input.dtype)}'")
    if tuple(target.shape) != tuple(input.shape):
        raise RuntimeError(f"inconsistent target size: {list(target.shape)} for input of size: "
                           f"{list(input.shape)}")
    x = input if input.dim() == 2 else input.reshape(1, -1)
    tg = target if target.dim() == 2 else target.reshape(1, -1)
    c = x.shape[1]
    if tg.numel() and ((tg < -1).any().item() or (tg >= c).any().item()):
        raise RuntimeError("argument #2 'target' is out of range")
    with _t.no_grad():
        h, mask, _ = _mlm_pairs(x.detach(), tg)
        loss = (h.clamp_min(0) * mask).sum((1, 2)) / c
        if reduction == 1:
            loss = loss.mean()
        elif reduction == 2:
            loss = loss.sum()
        elif input.dim() < 2:
            loss = loss.reshape(())
    return _record("multilabel_margin_loss", loss, (input,), (target, reduction))


def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    if _autocast_state():
        return _autocast_call("multilabel_margin_loss", multilabel_margin_loss, (input, target,
                              size_average, reduce, reduction), None)
    code = _reduction_code(reduction, size_average, reduce)
    return _multilabel_margin_impl(input, target, code)


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None,
                                reduction="mean"):
    _tensor(input, "multilabel_soft_margin_loss")
    _tensor(target, "multilabel_soft_margin_loss", "target")
    code = _reduction_code(reduction, size_average, reduce)
    loss = -(target * _logsigmoid(input) + (1 - target) * _logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    cdim = input.dim() - 1
    loss = loss.sum(cdim) / input.shape[cdim]
    return _reduce(loss, code)


def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None,
                                      margin=1.0, swap=False, reduction="mean"):
    code = _reduction_code(reduction)
    for name, x in (("anchor", anchor), ("positive", positive), ("negative", negative)):
        _tensor(x, "triplet_margin_with_distance_loss", name)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    a, pz, n = anchor.dim(), positive.dim(), negative.dim()
    if not (a == pz == n):
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the "
                           f"same number of dimensions, but got: anchor {a}D, positive {pz}D, "
                           f"and negative {n}D inputs")
    dist = distance_function if distance_function is not None else _pairwise_distance
    d_pos = dist(anchor, positive)
    d_neg = dist(anchor, negative)
    if swap:
        d_neg = _t.minimum(d_neg, dist(positive, negative))
    return _reduce((margin + d_pos - d_neg).clamp_min(0), code)


def gumbel_softmax(logits, tau=1, hard=False, eps=1e-10, dim=-1):
    """softmax((logits + Gumbel noise) / tau); hard: the one-hot of the argmax
    forward, the soft sample's gradient backward (straight-through)."""
    _tensor(logits, "gumbel_softmax", "logits")
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    with _t.no_grad():
        gumbels = -_t.empty(tuple(logits.shape), dtype=logits.dtype,
                            device=logits.device).exponential_().log()
    y = _softmax((logits + gumbels) / tau, dim)
    if not hard:
        return y
    index = y.argmax(dim, keepdim=True)
    y_hard = _t.zeros_like(logits).scatter_(dim, index, 1.0)
    return y_hard - y.detach() + y


# ------------------------------------------------------------ embedding_bag

_BAG_MODES = {"sum": 0, "mean": 1, "max": 2}


def _check_bag_weights(per_sample_weights, mode):
    if per_sample_weights is not None and mode != 0:
        raise NotImplementedError("embedding_bag: per_sample_weights was not None. "
                                  "per_sample_weights is only supported for mode='sum' (got "
                                  f"mode='{('sum', 'mean', 'max')[mode]}'). Please open a "
                                  "feature request on GitHub.")


def _empty_bags(weight, nbags, n, dim, mode):
    """No bags, or only empty ones: zeros (and no history to record), with the
    offset2bag, bag sizes and max indices PyTorch returns for them."""
    dev = weight.device
    out = _t.zeros((nbags, dim), dtype=weight.dtype, device=dev)
    zeros = _t.zeros(nbags, dtype=_t.int64, device=dev)
    last = _t.zeros((nbags, dim) if mode == 2 else nbags, dtype=_t.int64, device=dev)
    o2b = _t.zeros(0 if mode == 0 else n, dtype=_t.int64, device=dev)
    return out, o2b, zeros, last


def _embedding_bag_impl(weight, input, offsets, mode, per_sample_weights, include_last_offset,
                        padding_idx):
    """(output, offset2bag, bag_size, max_indices) of torch.embedding_bag."""
    for name, t in (("indices", input), ("offsets", offsets)):
        if t.dtype not in (_t.int64, _t.int32):
            raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the "
                               "following scalar types: Long, Int; but got "
                               f"{t.type()} instead (while checking arguments for embedding_bag)")
    if mode not in (0, 1, 2):
        raise RuntimeError("`mode` must be sum, mean, or max.")
    if weight.dim() != 2:
        raise RuntimeError(f"weight has to be a 2D Tensor, but got Tensor of dimension "
                           f"{weight.dim()}")
    rows, dim = weight.shape
    padding_given = padding_idx is not None
    if padding_idx is None:
        padding_idx = -1
    elif padding_idx != -1:
        if not -rows <= padding_idx < rows:
            raise RuntimeError(f"padding_idx must be within the number of embeddings, -{rows} "
                               f"through {rows - 1}, but got {padding_idx}")
        padding_idx = padding_idx % rows
    idx = input.reshape(-1).long()
    off = offsets.reshape(-1).long()
    if _nn_ops._ebag_ok(weight) and idx.device == weight.device and off.device == weight.device:
        return _embedding_bag_kernel(weight, idx.contiguous(), off.contiguous(), mode,
                                     per_sample_weights, include_last_offset, padding_idx,
                                     padding_given)
    n = idx.numel()
    if off.numel() and off[0].item() != 0:
        raise RuntimeError(f"offsets[0] has to be 0, i.e., the first sequence in the mini-batch "
                           f"has to start from position 0. However, got {off[0].item()}")
    if off.numel() and off[-1].item() > n:
        raise RuntimeError(f"offsets[-1] can not be greater than input's length {n} but got "
                           f"offsets[-1] of {off[-1].item()}")
    if off.numel() > 1 and (off[1:] < off[:-1]).any().item():
        raise RuntimeError("offsets must be a non-decreasing sequence")
    if n and (idx.min().item() < 0 or idx.max().item() >= rows):
        bad = ((idx < 0) | (idx >= rows)).nonzero()
        if bad.numel():
            i = bad[0, 0].item()
            raise RuntimeError(f"Index {i} of input takes value {idx[i].item()} which is not in "
                               f"the valid range [0, {rows})")
    nbags = off.numel() - 1 if include_last_offset else off.numel()
    nbags = max(nbags, 0)
    _check_bag_weights(per_sample_weights, mode)
    dev = weight.device
    if nbags == 0 or n == 0:
        return _empty_bags(weight, nbags, n, dim, mode)
    # as PyTorch: with include_last_offset the last bag still runs to the end
    end = n
    # bags of one length that cover the input (a 2-D input's): a reshape
    step = n // nbags
    uniform = (padding_idx < 0 and end == n and step * nbags == n
               and bool((off[:nbags] == _t.arange(0, n, step, device=dev)).all().item()))
    if uniform:
        bag_c = _t.arange(nbags, device=dev).unsqueeze(1).expand(nbags, step).reshape(-1)
        keep = _t.ones(n, dtype=_t.bool, device=dev)
        counts = _t.full((nbags,), step, dtype=_t.int64, device=dev)
    else:
        pos = _t.arange(n, device=dev)
        bag = _t.searchsorted(off[:nbags], pos, right=True) - 1
        keep = (pos < end) & (bag >= 0)
        if padding_idx >= 0:
            keep = keep & (idx != padding_idx)
        bag_c = bag.clamp(0, max(nbags - 1, 0))
        counts = _t.zeros(nbags, dtype=_t.int64, device=dev).index_add_(0, bag_c, keep.long())
    with _t.no_grad():
        w = weight.detach()
        picked = w.index_select(0, idx)
        if uniform and mode == 2:
            out, arg = picked.reshape(nbags, step, dim).max(1)
            max_idx = idx.reshape(nbags, step).gather(1, arg)
            scale = None
        elif uniform:
            scale = _t.ones(n, dtype=w.dtype, device=dev) if mode == 0 else \
                _t.full((n,), 1.0 / step, dtype=w.dtype, device=dev)
            rows = picked.reshape(nbags, step, dim)
            if mode == 0 and per_sample_weights is not None:
                scale = per_sample_weights.detach().reshape(-1).to(w.dtype)
                rows = rows * scale.reshape(nbags, step, 1)
            if w.dtype in (_t.float32, _t.float64):
                # the sum over each bag as a product with a vector (BLAS), much
                # faster than a reduction over the middle dim
                v = _t.full((step,), 1.0 if mode == 0 else 1.0 / step, dtype=w.dtype,
                            device=dev)
                out = _t.matmul(v, rows)
            else:
                out = rows.sum(1) if mode == 0 else rows.mean(1)
        elif mode == 2:
            neg = _t.full((), float("-inf"), dtype=w.dtype, device=dev)
            vals = _t.where(keep.unsqueeze(1), picked, neg)
            bexp = bag_c.unsqueeze(1).expand(n, dim)
            out = _t.full((nbags, dim), float("-inf"), dtype=w.dtype, device=dev)
            out = out.scatter_reduce(0, bexp, vals, "amax")
            hit = (vals == out.gather(0, bexp)) & keep.unsqueeze(1)
            first = _t.full((nbags, dim), n, dtype=_t.int64, device=dev)
            posx = _t.where(hit, pos.unsqueeze(1).expand(n, dim),
                            _t.full((), n, dtype=_t.int64, device=dev))
            first = first.scatter_reduce(0, bexp, posx, "amin")
            empty = (counts == 0).unsqueeze(1)
            ext = _t.cat([idx, _t.full((1,), -1, dtype=_t.int64, device=dev)])
            max_idx = ext[first]
            out = out.masked_fill(empty, 0)
            scale = None
        else:
            if mode == 0:
                scale = keep.to(w.dtype)
                if per_sample_weights is not None:
                    scale = scale * per_sample_weights.detach().reshape(-1)
            else:
                denom = counts.clamp_min(1).to(w.dtype)[bag_c]
                scale = keep.to(w.dtype) / denom
            out = _t.zeros((nbags, dim), dtype=w.dtype, device=dev)
            contrib = picked * scale.unsqueeze(1)
            if padding_idx >= 0:   # padding rows add nothing, not 0 * their values
                contrib = contrib.masked_fill(~keep.unsqueeze(1), 0)
            out = out.index_add_(0, bag_c, contrib)
    empty_long = _t.zeros(0, dtype=_t.int64, device=dev)
    if mode == 0:
        # as PyTorch: no bag map on its fast path (float32 / float16 tables
        # without a padding index), and zeros of the offsets' length
        zeros = _t.zeros(off.numel() if include_last_offset else nbags, dtype=_t.int64, device=dev)
        fast = not padding_given and weight.dtype in (_t.float32, _t.float16)
        extras = (empty_long if fast else bag_c.clone(), zeros, zeros.clone())
    elif mode == 1:
        extras = (bag_c.clone(), counts, counts.clone())
    else:
        extras = (bag_c.clone(), counts, max_idx.clamp_min(0))   # an empty bag's: 0
    psw = per_sample_weights
    out = _record("embedding_bag", out, (weight, psw),
                  (idx, bag_c, keep, scale, mode, max_idx if mode == 2 else None))
    return (out,) + extras


def _embedding_bag_kernel(weight, idx, off, mode, per_sample_weights, include_last_offset,
                          padding_idx, padding_given):
    """_embedding_bag_impl by the bag kernels: idx and off int64 and dense,
    weight float32 / float64 on a device that has them."""
    rows, dim = weight.shape
    n = idx.numel()
    code, bad = _nn_ops._ebag_check(idx, rows, off)
    if code == 1:
        raise RuntimeError(f"offsets[0] has to be 0, i.e., the first sequence in the mini-batch "
                           f"has to start from position 0. However, got {bad}")
    if code == 2:
        raise RuntimeError(f"offsets[-1] can not be greater than input's length {n} but got "
                           f"offsets[-1] of {bad}")
    if code == 3:
        raise RuntimeError("offsets must be a non-decreasing sequence")
    if code == 4:
        raise RuntimeError(f"Index {bad} of input takes value {idx[bad].item()} which is not in "
                           f"the valid range [0, {rows})")
    noff = off.numel()
    nbags = max(noff - 1 if include_last_offset else noff, 0)
    _check_bag_weights(per_sample_weights, mode)
    dev = weight.device
    if nbags == 0 or n == 0:
        return _empty_bags(weight, nbags, n, dim, mode)
    psw = per_sample_weights
    pw = psw.detach().reshape(-1) if psw is not None else None
    out, counts, bag, scale, mx = _nn_ops._ebag_forward(weight, idx, off, nbags, mode, pw,
                                                        padding_idx)
    if mode == 0:
        zeros = _t.zeros(noff if include_last_offset else nbags, dtype=_t.int64, device=dev)
        fast = not padding_given and weight.dtype == _t.float32
        o2b = _t.zeros(0, dtype=_t.int64, device=dev) if fast else bag.clone()
        extras = (o2b, zeros, zeros.clone())
    elif mode == 1:
        extras = (bag.clone(), counts, counts.clone())
    else:
        extras = (bag.clone(), counts, mx.clamp_min(0))
    keep = None
    if psw is not None and padding_idx >= 0:
        keep = (idx != padding_idx).to(weight.dtype)
    out = _record("embedding_bag", out, (weight, psw), (idx, bag, keep, scale, mode, mx))
    return (out,) + extras


def _embedding_bag_backward(grad, weight, per_sample_weights, indices, bags, keep, scale, mode,
                            max_indices, needs):
    gw = gp = None
    if needs[0] and not _is_grad_enabled() and _nn_ops._ebag_ok(weight) \
            and grad.device == weight.device:
        # the index-add kernel (under create_graph the composition below, which
        # differentiates again)
        if mode == 2:
            gw = _nn_ops._ebag_weight_grad(grad, weight, indices, bags, scale, mode,
                                           max_indices.contiguous())
        else:
            gw = _nn_ops._ebag_weight_grad(grad, weight, indices.contiguous(), bags.contiguous(),
                                           scale.contiguous(), mode, None)
        needs = (False,) + tuple(needs[1:])
    if needs[0]:
        if mode == 2:
            valid = max_indices >= 0
            src = grad * valid
            gw = _t.zeros_like(weight).scatter_add(0, max_indices.clamp_min(0), src)
        else:
            rows = grad.index_select(0, bags) * scale.unsqueeze(1)
            gw = _t.zeros_like(weight).index_add(0, indices, rows)
    if len(needs) > 1 and needs[1]:
        gp = (grad.index_select(0, bags) * weight.index_select(0, indices)).sum(1)
        if keep is not None:
            gp = gp * keep
        gp = gp.reshape(tuple(per_sample_weights.shape))
    return gw, gp


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False,
                  mode="mean", sparse=False, per_sample_weights=None, include_last_offset=False,
                  padding_idx=None):
    _tensor(input, "embedding_bag")
    _tensor(weight, "embedding_bag", "weight")
    if scale_grad_by_freq or sparse:
        raise ValueError("embedding_bag: scale_grad_by_freq and sparse gradients are not "
                         "supported")
    if per_sample_weights is not None and not isinstance(per_sample_weights, _t.Tensor):
        raise TypeError(f"embedding_bag(): argument 'per_sample_weights' must be Tensor, not "
                        f"{type(per_sample_weights).__name__}")
    if per_sample_weights is not None and tuple(input.shape) != tuple(per_sample_weights.shape):
        raise ValueError(f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is "
                         f"not None, then it must have the same shape as the input "
                         f"({input.shape})")
    if weight.dim() != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension "
                         f"{weight.dim()}")
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated is "
                             "a mini-batch of fixed length sequences. However, found offsets of "
                             f"type {type(offsets)}")
        offsets = _t.arange(0, input.numel(), max(input.shape[1], 1), dtype=input.dtype,
                            device=input.device)
        input = input.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
    elif input.dim() == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.dim() != 1:
            raise ValueError("offsets has to be a 1D Tensor")
    else:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension "
                         f"{input.dim()}")
    if mode not in _BAG_MODES:
        raise ValueError("mode has to be one of sum, mean or max")
    if max_norm is not None:
        _t.nn.functional.embedding(input, weight, max_norm=max_norm, norm_type=norm_type)
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError("embedding_bag: per_sample_weights was not None. "
                                  "per_sample_weights is only supported for mode='sum' (got "
                                  f"mode='{mode}'). Please open a feature request on GitHub.")
    return _embedding_bag_impl(weight, input, offsets, _BAG_MODES[mode], per_sample_weights,
                               include_last_offset, padding_idx)[0]


@_named("embedding_bag")
def _torch_embedding_bag(weight, indices, offsets, scale_grad_by_freq=False, mode=0,
                         sparse=False, per_sample_weights=None, include_last_offset=False,
                         padding_idx=None):
    _tensor(weight, "embedding_bag", "weight")
    _tensor(indices, "embedding_bag", "indices")
    _tensor(offsets, "embedding_bag", "offsets")
    return _embedding_bag_impl(weight, indices, offsets, mode, per_sample_weights,
                               include_last_offset, padding_idx)
