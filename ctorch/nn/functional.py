"""torch.nn.functional: activations, softmax, losses, distances, normalization,
embedding, padding and pixel shuffles.

The arithmetic is in the op modules (gelu, the nll_loss and mse_loss cores
in ctorch._ops.nn, softmax in ctorch._ops.reduce, products in
ctorch._ops.products); this module does the argument handling PyTorch does in Python:
reduction names, N-d inputs, class-probability targets, label smoothing. The other
ops are compositions of differentiable ctorch ops, which give their gradients.
"""
import warnings

from ctorch._core.dtype import promote_types as _promote_types
import ctorch as _t
from ctorch._core.tensor import Tensor, _install_method
from ctorch._ops import nn as _nn_ops
from ctorch._ops.elementwise import relu as _relu, sigmoid as _sigmoid, tanh as _tanh
from ctorch._ops.products import addmm as _addmm, matmul as _matmul
from ctorch._ops.reduce import log_softmax as _log_softmax, softmax as _softmax
from ctorch._ops.sampling import dropout as _dropout, dropout_ as _dropout_
from ctorch._ops import nnmisc as _nnmisc_ops
from ctorch._ops import shape as _shape_ops
from ctorch.autograd._node import _record
from ctorch._ops.products import _autocast_state, _autocast_call

_REDUCTIONS = {"none": 0, "mean": 1, "sum": 2}


def _reduction_code(reduction, size_average=None, reduce=None):
    if size_average is not None or reduce is not None:
        # the legacy pair of flags, as PyTorch maps them
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = ("mean" if size_average else "sum") if reduce else "none"
        warnings.warn("size_average and reduce args will be deprecated, please use "
                      f"reduction='{reduction}' instead.", stacklevel=3)
    code = _REDUCTIONS.get(reduction) if isinstance(reduction, str) else None
    if code is None:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return code


def _tensor(x, fn, name="input"):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}(): argument '{name}' (position 1) must be Tensor, not {type(x).__name__}")
    return x


# ----------------------------------------------------------- activations

def relu(input, inplace=False):
    _tensor(input, "relu")
    return input.relu_() if inplace else _relu(input)


def relu_(input):
    return _tensor(input, "relu_").relu_()


def gelu(input, approximate="none"):
    return _nn_ops._gelu(_tensor(input, "gelu"), approximate)


def sigmoid(input):
    return _sigmoid(input)


def tanh(input):
    return _tanh(input)


def _implicit_dim(ndim):
    warnings.warn("Implicit dimension choice for softmax has been deprecated. "
                  "Change the call to include dim=X as an argument.", stacklevel=3)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    _tensor(input, "softmax")
    if dim is None:
        dim = _implicit_dim(input.dim())
    return _softmax(input, dim, dtype=dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    _tensor(input, "log_softmax")
    if dim is None:
        dim = _implicit_dim(input.dim())
    return _log_softmax(input, dim, dtype=dtype)


def dropout(input, p=0.5, training=True, inplace=False):
    _tensor(input, "dropout")
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if inplace:
        return _dropout_(input, p, training)
    return _dropout(input, p, training)


# ---------------------------------------------------------------- linear

def linear(input, weight, bias=None):
    """input @ weight.T + bias; a 2-D input with a bias is one addmm."""
    if _autocast_state():
        return _autocast_call("linear", linear, (input, weight, bias), None)
    _tensor(input, "linear")
    _tensor(weight, "linear", "weight")
    if bias is not None:
        _tensor(bias, "linear", "bias")
    if input.dim() == 2 and bias is not None:
        return _addmm(bias, input, weight.t())
    out = _matmul(input, weight.t())
    return out if bias is None else out + bias


# ---------------------------------------------------------------- losses

def _nll_shapes(input, target):
    """(N, C) view of the input, (N,) target, and the shape of an unreduced loss."""
    nd = input.dim()
    if nd < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {nd})")
    if nd == 1:
        if target.dim() != 0:
            raise RuntimeError(f"0D or 1D target tensor expected, multi-target not supported")
        return input.unsqueeze(0), target.reshape(1), ()
    n = input.shape[0]
    if target.dim() == 0 or target.shape[0] != n:
        raise ValueError(f"Expected input batch_size ({n}) to match target batch_size "
                         f"({target.shape[0] if target.dim() else 0}).")
    if nd == 2:
        if target.dim() != 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        return input, target, (n,)
    if tuple(target.shape) != (n,) + tuple(input.shape[2:]):
        raise RuntimeError(f"Expected target size {list((n,) + tuple(input.shape[2:]))}, "
                           f"got {list(target.shape)}")
    c = input.shape[1]
    x2 = input.movedim(1, -1).reshape(-1, c)
    return x2, target.reshape(-1), tuple(target.shape)


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    if _autocast_state():
        return _autocast_call("nll_loss", nll_loss, (input, target, weight, size_average, ignore_index,
                              reduce, reduction), None)
    _tensor(input, "nll_loss")
    _tensor(target, "nll_loss", "target")
    code = _reduction_code(reduction, size_average, reduce)
    x2, t1, shape = _nll_shapes(input, target)
    c = x2.shape[1]
    if weight is not None:
        _tensor(weight, "nll_loss", "weight")
        if weight.dim() != 1 or weight.shape[0] != c:
            raise RuntimeError(f"weight tensor should be defined either for all {c} classes or no "
                               f"classes but got weight tensor of shape: {list(weight.shape)}")
    out = _nn_ops._nll_loss2d(x2, t1, weight, int(ignore_index), code)
    if code == 0 and tuple(out.shape) != shape:
        out = out.reshape(shape)
    return out


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    if _autocast_state():
        return _autocast_call("cross_entropy", cross_entropy, (input, target, weight, size_average,
                              ignore_index, reduce, reduction, label_smoothing), None)
    _tensor(input, "cross_entropy")
    _tensor(target, "cross_entropy", "target")
    if weight is not None and not isinstance(weight, Tensor):
        raise TypeError(f"cross_entropy_loss(): argument 'weight' (position 3) must be Tensor, not "
                        f"{type(weight).__name__}")
    code = _reduction_code(reduction, size_average, reduce)
    reduction = ("none", "mean", "sum")[code]
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    cdim = 0 if input.dim() == 1 else 1
    logp = _log_softmax(input, cdim)
    if target.is_floating_point():
        return _soft_target_loss(logp, target, weight, code, label_smoothing, cdim)
    loss = nll_loss(logp, target, weight, None, ignore_index, None, reduction)
    if label_smoothing == 0.0:
        return loss
    # (1 - eps) * nll + eps * (the loss against the uniform distribution)
    c = input.shape[cdim]
    w = 1 if weight is None else _class_view(weight, input.dim(), cdim)
    smooth = -(logp * w).sum(cdim)
    valid = target != ignore_index
    smooth = smooth * valid
    if code == 1:
        if weight is None:
            smooth = smooth.sum() / valid.sum()
        else:
            smooth = smooth.sum() / weight[target.masked_fill(~valid, 0)].mul(valid).sum()
    elif code == 2:
        smooth = smooth.sum()
    return (1 - label_smoothing) * loss + (label_smoothing / c) * smooth


def linear_cross_entropy(input, linear_weight, target, *, linear_bias=None, weight=None,
                         reduction="mean", ignore_index=-100, label_smoothing=0.0, options=None):
    """cross_entropy(linear(input, linear_weight, linear_bias), target, ...);
    ignore_index=None ignores no class. `options` chooses how PyTorch chunks
    the product (memory, not values): every choice gives these values."""
    _tensor(input, "linear_cross_entropy")
    _tensor(linear_weight, "linear_cross_entropy", "linear_weight")
    if input.dim() >= 1 and linear_weight.dim() >= 1 and input.shape[-1] != linear_weight.shape[-1]:
        raise RuntimeError(f"expected equal input and linear_weight last dimensions "
                           f"(in_features), got {input.shape[-1]} and {linear_weight.shape[-1]}, "
                           f"respectively")
    if linear_weight.dim() > 2:
        # a K-dimensional loss: weight (C, d1..dK, in) gives logits (N, C, d1..dK)
        out = tuple(linear_weight.shape[:-1])
        flat = linear_weight.reshape(-1, linear_weight.shape[-1])
        logits = linear(input, flat, None if linear_bias is None else linear_bias.reshape(-1))
        logits = logits.reshape(*input.shape[:-1], *out)
    else:
        logits = linear(input, linear_weight, linear_bias)
    return cross_entropy(logits, target, weight=weight, reduction=reduction,
                         ignore_index=-(1 << 63) if ignore_index is None else ignore_index,
                         label_smoothing=label_smoothing)


def _class_view(weight, nd, cdim):
    shape = [1] * nd
    shape[cdim] = weight.shape[0]
    return weight.reshape(shape)


def _soft_target_loss(logp, target, weight, code, eps, cdim):
    if tuple(target.shape) != tuple(logp.shape):
        raise RuntimeError(f"Expected target size {list(logp.shape)}, got {list(target.shape)}")
    c = logp.shape[cdim]
    if eps > 0:
        target = target * (1 - eps) + eps / c
    prod = logp * target
    if weight is not None:
        prod = prod * _class_view(weight, logp.dim(), cdim)
    loss = -prod.sum(cdim)
    if code == 1:
        n = loss.numel()
        return loss.sum() / n if logp.dim() > 1 else loss.sum()
    if code == 2:
        return loss.sum()
    return loss


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    if _autocast_state():
        return _autocast_call("mse_loss", mse_loss, (input, target, size_average, reduce, reduction,
                              weight), None)
    _tensor(input, "mse_loss")
    _tensor(target, "mse_loss", "target")
    code = _reduction_code(reduction, size_average, reduce)
    if tuple(target.shape) != tuple(input.shape):
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input size "
                      f"({input.shape}). This will likely lead to incorrect results due to "
                      "broadcasting. Please ensure they have the same size.", stacklevel=2)
        if input.dtype != target.dtype:
            # broadcast first, as PyTorch: a 0-d target then promotes like a full one
            res = _promote_types(input.dtype, target.dtype)
            input, target = input.to(res), target.to(res)
    if weight is not None:
        loss = (input - target) ** 2 * weight
        return loss.mean() if code == 1 else loss.sum() if code == 2 else loss
    return _nn_ops._mse_loss(input, target, code)


# ------------------------------------------------ more activations
# Each is a composition of differentiable elementwise ops; the gradient
# comes from the composition.

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _float_only(x, kernel):
    if not (x.is_floating_point() or x.is_complex()):
        raise NotImplementedError(f'"{kernel}" not implemented for '
                                  f"'{_dtype_name(x.dtype)}'")
    return x


def _dtype_name(dtype):
    """PyTorch's scalar-type name of a dtype ('Long', 'Float', ...)."""
    names = {_t.int64: "Long", _t.int32: "Int", _t.int16: "Short", _t.int8: "Char",
             _t.uint8: "Byte", _t.bool: "Bool", _t.float32: "Float", _t.float64: "Double",
             _t.float16: "Half", _t.bfloat16: "BFloat16", _t.complex64: "ComplexFloat",
             _t.complex128: "ComplexDouble"}
    return names.get(dtype, str(dtype))


def _act(input, inplace, op, *params):
    """The fused activation kernel's result, or None where the op composes
    other ops: no kernel for the input, or an in-place form on an input that
    needs a gradient (the kernel's node saves the input, which the write-back
    would overwrite)."""
    if inplace and input.requires_grad and _t.is_grad_enabled():
        return None
    return _nn_ops._act(input, op, *params)


def _inplace(input, out, inplace):
    """The in-place form writes the composed result back into the input."""
    if not inplace:
        return out
    return input.copy_(out)


def _softplus_stable(z, relative=True):
    # log(1 + exp(z)) without overflow: max(z, 0) + log1p(exp(-|z|)); -|z| is
    # written as z - 2 max(z, 0) (exact) so that the derivative at z == 0 is
    # sigmoid(0) = 1/2. relative=False (a loss, where only the absolute error
    # counts) takes log(1 + e) instead of the slower log1p(e), as PyTorch's losses do.
    r = _relu(z)
    e = _t.exp(z - 2 * r)
    return r + (_t.log1p(e) if relative else _t.log(e + 1))


def _elu(x, alpha, inner):
    # max(x, 0) + alpha * expm1(inner * min(x, 0)); min(x, 0) = x - max(x, 0), which
    # is cheaper than a where and has the derivative of each side away from 0
    r = _relu(x)
    return r + alpha * _t.expm1((x - r) * inner if inner != 1.0 else x - r)


def elu(input, alpha=1.0, inplace=False):
    _float_only(_tensor(input, "elu"), "elu_cpu")
    out = _act(input, inplace, 2, alpha, 1.0, 1.0)
    if out is None:
        out = _elu(input, alpha, 1.0)
    return _inplace(input, out, inplace)


def elu_(input, alpha=1.0):
    return elu(input, alpha, True)


def selu(input, inplace=False):
    _float_only(_tensor(input, "selu"), "elu_cpu")
    out = _act(input, inplace, 2, _SELU_ALPHA, _SELU_SCALE, 1.0)
    if out is None:
        out = _SELU_SCALE * _elu(input, _SELU_ALPHA, 1.0)
    return _inplace(input, out, inplace)


def selu_(input):
    return selu(input, True)


def celu(input, alpha=1.0, inplace=False):
    _float_only(_tensor(input, "celu"), "elu_cpu")
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    out = _act(input, inplace, 2, alpha, 1.0, 1.0 / alpha, "celu")
    if out is None:
        out = _elu(input, alpha, 1.0 / alpha)
    return _inplace(input, out, inplace)


def celu_(input, alpha=1.0):
    return celu(input, alpha, True)


def threshold(input, threshold, value, inplace=False):
    _tensor(input, "threshold")
    out = None
    if input.dtype in (_t.float32, _t.float64):
        out = _act(input, inplace, 10, float(threshold), float(value))
    if out is None:
        # value where input <= threshold (a NaN stays, as PyTorch's)
        fill = _t.full((), value, dtype=input.dtype, device=input.device)
        out = _t.where(input <= threshold, fill, input)
    return _inplace(input, out, inplace)


def threshold_(input, threshold, value):
    return globals()["threshold"](input, threshold, value, True)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    _float_only(_tensor(input, "leaky_relu"), "leaky_relu_cpu")
    out = _act(input, inplace, 6, negative_slope)
    if out is None:
        out = _t.where(input > 0, input, input * negative_slope)
    return _inplace(input, out, inplace)


def leaky_relu_(input, negative_slope=0.01):
    return leaky_relu(input, negative_slope, True)


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    _float_only(_tensor(input, "rrelu"), "rrelu_with_noise_cpu" if training else "leaky_relu_cpu")
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    if not training:
        return leaky_relu(input, (lower + upper) / 2, inplace)
    # one slope per element drawn from U(lower, upper) on the default generator
    slopes = _t.empty(tuple(input.shape), dtype=input.dtype, device=input.device)
    slopes.uniform_(lower, upper)
    out = _t.where(input > 0, input, input * slopes)
    return _inplace(input, out, inplace)


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False):
    return rrelu(input, lower, upper, training, True)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    _tensor(input, "hardtanh")
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if not (input.is_floating_point() or input.is_complex()):
        # an integer input keeps its dtype: the bounds are truncated to integers
        min_val, max_val = int(min_val), int(max_val)
    out = _t.clamp(input, min_val, max_val)
    return _inplace(input, out, inplace)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    return hardtanh(input, min_val, max_val, True)


def relu6(input, inplace=False):
    return hardtanh(_tensor(input, "relu6"), 0.0, 6.0, inplace)


def _up(x):
    """bfloat16 computed in float32 (as PyTorch's kernels compute it), anything
    else as it is; _down rounds the result back once."""
    return x.float() if isinstance(x, Tensor) and x.dtype is _t.bfloat16 else x


def _down(out, like):
    return out.to(_t.bfloat16) if like.dtype is _t.bfloat16 and out.dtype is not _t.bfloat16 else out


def _bf16_args(input, *others):
    """input is bfloat16 and every other tensor is absent or bfloat16."""
    return input.dtype is _t.bfloat16 and all(o is None or o.dtype is _t.bfloat16 for o in others)


def hardsigmoid(input, inplace=False):
    _float_only(_tensor(input, "hardsigmoid"), "hardsigmoid_cpu")
    out = _act(input, inplace, 5)
    if out is None:
        out = _t.clamp(input + 3, 0.0, 6.0) / 6
    return _inplace(input, out, inplace)


def hardswish(input, inplace=False):
    _float_only(_tensor(input, "hardswish"), "hardswish_cpu")
    out = _act(input, inplace, 4)
    if out is None:
        x = _up(input)
        out = _down(x * _t.clamp(x + 3, 0.0, 6.0) / 6, input)
    return _inplace(input, out, inplace)


def silu(input, inplace=False):
    _float_only(_tensor(input, "silu"), "silu_cpu")
    out = _act(input, inplace, 0)
    if out is None:
        x = _up(input)
        out = _down(x * _sigmoid(x), input)
    return _inplace(input, out, inplace)


def mish(input, inplace=False):
    _float_only(_tensor(input, "mish"), "mish_cpu")
    out = _act(input, inplace, 3)
    if out is None:
        x = _up(input)
        out = _down(x * _tanh(_softplus_stable(x)), input)
    return _inplace(input, out, inplace)


def softplus(input, beta=1.0, threshold=20.0):
    if _autocast_state() & 2:
        return _autocast_call("softplus", softplus, (input, beta, threshold), None)
    _float_only(_tensor(input, "softplus"), "softplus_cpu")
    out = _act(input, False, 1, beta, threshold)
    if out is not None:
        return out
    x = _up(input)
    z = x * beta
    # above the threshold the function is linear, as in PyTorch
    return _down(_t.where(z > threshold, x, _softplus_stable(z) / beta), input)


def softsign(input):
    _tensor(input, "softsign")
    return input / (input.abs() + 1)


def _check_lambd(input, lambd):
    if lambd < 0:
        raise RuntimeError(f"lambda must be in range [0, 3.40282e+38] for input dtype "
                           f"{_dtype_name(input.dtype)}, "
                           f"but found {lambd:g}")




def softshrink(input, lambd=0.5):
    _float_only(_tensor(input, "softshrink"), "softshrink_check")
    _check_lambd(input, lambd)
    out = _act(input, False, 7, lambd)
    if out is None:
        # a NaN stays NaN, as PyTorch's
        zero = _t.zeros((), dtype=input.dtype, device=input.device)
        out = _t.where((input >= -lambd) & (input <= lambd), zero,
                       _t.where(input > lambd, input - lambd, input + lambd))
    return out


def hardshrink(input, lambd=0.5):
    _float_only(_tensor(input, "hardshrink"), "hardshrink_cpu")
    out = _act(input, False, 8, lambd)
    if out is None:
        zero = _t.zeros((), dtype=input.dtype, device=input.device)
        out = _t.where((input >= -lambd) & (input <= lambd), zero, input)
    return out


def tanhshrink(input):
    _tensor(input, "tanhshrink")
    return input - _tanh(input)


def logsigmoid(input):
    _float_only(_tensor(input, "logsigmoid"), "log_sigmoid_cpu")
    out = _act(input, False, 9)
    if out is None:
        out = _down(-_softplus_stable(-_up(input)), input)
    return out


def glu(input, dim=-1):
    _tensor(input, "glu")
    if input.dim():
        _float_only(input, "glu_cpu")
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = dim % input.dim()
    n = input.shape[d]
    if n % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size {n}")
    fused = _nn_ops._glu(input, d)
    if fused is not None:
        return fused
    a, b = input.narrow(d, 0, n // 2), input.narrow(d, n // 2, n // 2)
    return a * _sigmoid(b)


def prelu(input, weight):
    if _autocast_state():
        return _autocast_call("prelu", prelu, (input, weight), None)
    _tensor(input, "prelu")
    _tensor(weight, "prelu", "weight")
    _float_only(input, "prelu_cpu")
    if weight.dim() > 1:
        raise RuntimeError(f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: "
                           f"ndim = {weight.dim()}")
    n = weight.numel()
    if n != 1:
        c = input.shape[1] if input.dim() >= 2 else (input.shape[0] if input.dim() == 1 else 1)
        if input.dim() == 0 or n != c:
            raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found "
                               f"parameter numbers = {n} and channel size = {c}.")
        if input.dim() >= 2:
            weight = weight.reshape((n,) + (1,) * (input.dim() - 2))
    elif weight.dim() == 1 and input.dim() == 0:
        weight = weight.reshape(())
    if n == 1 or input.dim() >= 2:
        fused = _nn_ops._prelu(input, weight)
        if fused is not None:
            return fused
    return _t.where(input > 0, input, weight * input)


def _sum_last(x, k, scale=1.0):
    """scale * (the sum over the last k dims), kept as size-1 dims. For many short
    float32/64 rows the sum is a matrix-vector product, which runs in BLAS and is
    several times faster than the reduction kernel on short innermost rows."""
    n = 1
    for s in x.shape[x.dim() - k:]:
        n *= s
    if x.dtype in (_t.float32, _t.float64) and 0 < n < 256 and x.numel() >= 4096:
        v = _t.full((n, 1), scale, dtype=x.dtype, device=x.device)
        out = _matmul(x.reshape(-1, n), v)
        return out.reshape(tuple(x.shape[:x.dim() - k]) + (1,) * k)
    dims = tuple(range(x.dim() - k, x.dim()))
    return x.sum(dims, keepdim=True) * scale if scale != 1.0 else x.sum(dims, keepdim=True)


# --------------------------------------------------- distances

def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    if _autocast_state() & 2:
        return _autocast_call("cosine_similarity", cosine_similarity, (x1, x2, dim, eps), None)
    _tensor(x1, "cosine_similarity", "x1")
    _tensor(x2, "cosine_similarity", "x2")
    common = _promote_types(x1.dtype, x2.dtype)
    if not common.is_floating_point:
        raise RuntimeError(f"expected common dtype to be floating point, yet common dtype is "
                           f"{_dtype_name(common)}")
    x1, x2 = _t.broadcast_tensors(x1, x2)
    # sum(x1 / max(|x1|, eps) * x2 / max(|x2|, eps)): each side scaled by its
    # norm before the products, so that neither a norm's square nor the dot
    # product over- or underflows where the quotient would not (a norm that
    # overflows to inf makes its side 0); a zero side's gradient is finite
    n1 = _t.linalg.vector_norm(x1, 2, dim, keepdim=True).clamp_min(eps)
    n2 = _t.linalg.vector_norm(x2, 2, dim, keepdim=True).clamp_min(eps)
    return _t.linalg.vecdot(x1 / n1, x2 / n2, dim=dim)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    _tensor(x1, "pairwise_distance", "x1")
    _tensor(x2, "pairwise_distance", "x2")
    d = x1 - x2 + eps
    if max(x1.dim(), x2.dim()) == 0:
        return _t.linalg.vector_norm(d, p)
    return _t.linalg.vector_norm(d, p, dim=-1, keepdim=keepdim)


# ------------------------------------------------- more losses

def _reduce(loss, code):
    return loss if code == 0 else loss.mean() if code == 1 else loss.sum()


def _same_size(input, target, fn):
    if tuple(target.shape) != tuple(input.shape):
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input size "
                      f"({input.shape}). This will likely lead to incorrect results due to "
                      "broadcasting. Please ensure they have the same size.", stacklevel=3)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    if _autocast_state():
        return _autocast_call("l1_loss", l1_loss, (input, target, size_average, reduce, reduction), None)
    _tensor(input, "l1_loss")
    _tensor(target, "l1_loss", "target")
    code = _reduction_code(reduction, size_average, reduce)
    _same_size(input, target, "l1_loss")
    return _reduce((input - target).abs(), code)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    if _autocast_state():
        return _autocast_call("smooth_l1_loss", smooth_l1_loss, (input, target, size_average, reduce,
                              reduction, beta), None)
    _tensor(input, "smooth_l1_loss")
    _tensor(target, "smooth_l1_loss", "target")
    code = _reduction_code(reduction, size_average, reduce)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    _same_size(input, target, "smooth_l1_loss")
    if beta > 0:
        fused = _nn_ops._ploss(_nn_ops.PL_SMOOTH_L1, float(beta), input, target, None, None, code)
        if fused is not None:
            return fused
    d = (input - target).abs()
    if beta == 0:
        return _reduce(d, code)
    return _reduce(_t.where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta), code)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    if _autocast_state():
        return _autocast_call("huber_loss", huber_loss, (input, target, reduction, delta, weight), None)
    _tensor(input, "huber_loss")
    _tensor(target, "huber_loss", "target")
    code = _reduction_code(reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    _same_size(input, target, "huber_loss")
    fused = _nn_ops._ploss(_nn_ops.PL_HUBER, float(delta), input, target, None, weight, code)
    if fused is not None:
        return fused
    d = (input - target).abs()
    loss = _t.where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta))
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, code)


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    if _autocast_state():
        return _autocast_call("soft_margin_loss", soft_margin_loss, (input, target, size_average, reduce,
                              reduction), None)
    _tensor(input, "soft_margin_loss")
    _tensor(target, "soft_margin_loss", "target")
    if target.requires_grad and _t.is_grad_enabled():
        # PyTorch's derivative formula has no target term
        raise RuntimeError("The function 'soft_margin_loss' is not differentiable with respect to argument "
                           "'target'. This input cannot have requires_grad True.")
    code = _reduction_code(reduction, size_average, reduce)
    fused = _nn_ops._ploss(_nn_ops.PL_SOFT_MARGIN, 0.0, input, target, None, None, code)
    if fused is not None:
        return fused
    return _reduce(_softplus_stable(-target * input, relative=False), code)


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    if _autocast_state():
        return _autocast_call("binary_cross_entropy", binary_cross_entropy, (input, target, weight,
                              size_average, reduce, reduction), None)
    _tensor(input, "binary_cross_entropy")
    _tensor(target, "binary_cross_entropy", "target")
    code = _reduction_code(reduction, size_average, reduce)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input "
                         f"size ({input.shape}) is deprecated. Please ensure they have the same "
                         "size.")
    if input.numel() and ((input < 0).any().item() or (input > 1).any().item()):
        raise RuntimeError("all elements of input should be between 0 and 1")
    # the logs are clamped at -100 so that a saturated input gives a finite loss
    loss = -(target * _t.log(input).clamp_min(-100)
             + (1 - target) * _t.log1p(-input).clamp_min(-100))
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, code)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    if _autocast_state():
        return _autocast_call("binary_cross_entropy_with_logits", binary_cross_entropy_with_logits, (input,
                              target, weight, size_average, reduce, reduction, pos_weight), None)
    _tensor(input, "binary_cross_entropy_with_logits")
    _tensor(target, "binary_cross_entropy_with_logits", "target")
    code = _reduction_code(reduction, size_average, reduce)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Target size ({target.shape}) must be the same as input size "
                         f"({input.shape})")
    fused = _nn_ops._ploss(_nn_ops.PL_BCEL, 0.0, input, target, pos_weight, weight, code)
    if fused is not None:
        return fused
    # -log(sigmoid(-x)) = softplus(-x), computed without overflow
    sp = _softplus_stable(-input, relative=False)
    if pos_weight is not None:
        loss = (1 - target) * input + ((pos_weight - 1) * target + 1) * sp
    else:
        loss = (1 - target) * input + sp
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, code)


def margin_ranking_loss(input1, input2, target, margin=0.0, size_average=None, reduce=None,
                        reduction="mean"):
    if _autocast_state():
        return _autocast_call("margin_ranking_loss", margin_ranking_loss, (input1, input2, target, margin,
                              size_average, reduce, reduction), None)
    code = _reduction_code(reduction, size_average, reduce)
    _tensor(input1, "margin_ranking_loss", "input1")
    _tensor(input2, "margin_ranking_loss", "input2")
    _tensor(target, "margin_ranking_loss", "target")
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension "
                           f"but got sizes: input1: {input1.shape}, input2: {input2.shape}, "
                           f"target: {target.shape} ")
    return _reduce((-target * (input1 - input2) + margin).clamp_min(0), code)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None,
                         reduction="mean"):
    if _autocast_state():
        return _autocast_call("hinge_embedding_loss", hinge_embedding_loss, (input, target, margin,
                              size_average, reduce, reduction), None)
    _tensor(input, "hinge_embedding_loss")
    _tensor(target, "hinge_embedding_loss", "target")
    code = _reduction_code(reduction, size_average, reduce)
    zero = _t.zeros((), dtype=input.dtype, device=input.device)
    loss = (_t.where(target != 1, (margin - input).clamp_min(0), zero)
            + _t.where(target != -1, input, zero))
    return _reduce(loss, code)


def cosine_embedding_loss(input1, input2, target, margin=0.0, size_average=None, reduce=None,
                          reduction="mean"):
    if _autocast_state():
        return _autocast_call("cosine_embedding_loss", cosine_embedding_loss, (input1, input2, target,
                              margin, size_average, reduce, reduction), None)
    code = _reduction_code(reduction, size_average, reduce)
    _tensor(input1, "cosine_embedding_loss", "input1")
    _tensor(input2, "cosine_embedding_loss", "input2")
    _tensor(target, "cosine_embedding_loss", "target")
    if input1.dim() != input2.dim() or input1.dim() not in (1, 2):
        raise RuntimeError(f"{input1.dim()}D target tensor expects {input1.dim() + 1}D input "
                           "tensors, but found inputs with sizes "
                           f"{list(input1.shape)} and {list(input2.shape)}.")
    eps = 1e-12
    prod = (input1 * input2).sum(-1)
    m1 = (input1 * input1).sum(-1) + eps
    m2 = (input2 * input2).sum(-1) + eps
    cos = prod / (m1 * m2).sqrt()
    zero = _t.zeros((), dtype=cos.dtype, device=cos.device)
    loss = (_t.where(target == 1, 1 - cos, zero)
            + _t.where(target == -1, (cos - margin).clamp_min(0), zero))
    return _reduce(loss, code)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False,
                        size_average=None, reduce=None, reduction="mean"):
    if _autocast_state():
        return _autocast_call("triplet_margin_loss", triplet_margin_loss, (anchor, positive, negative,
                              margin, p, eps, swap, size_average, reduce, reduction), None)
    code = _reduction_code(reduction, size_average, reduce)
    for name, x in (("anchor", anchor), ("positive", positive), ("negative", negative)):
        _tensor(x, "triplet_margin_loss", name)
    a, pz, n = anchor.dim(), positive.dim(), negative.dim()
    if not (a == pz == n):
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the "
                           f"same number of dimensions, but got: anchor {a}D, positive {pz}D, "
                           f"and negative {n}D inputs")
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = _t.minimum(d_neg, pairwise_distance(positive, negative, p, eps))
    return _reduce((margin + d_pos - d_neg).clamp_min(0), code)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    if _autocast_state():
        return _autocast_call("kl_div", kl_div, (input, target, size_average, reduce, reduction,
                              log_target), None)
    _tensor(input, "kl_div")
    _tensor(target, "kl_div", "target")
    if size_average is not None or reduce is not None:
        reduction = ("none", "mean", "sum")[_reduction_code(reduction, size_average, reduce)]
    elif reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the "
                      "support size.'batchmean' divides only by the batch size, and aligns with "
                      "the KL div math definition.'mean' will be changed to behave the same as "
                      "'batchmean' in the next major release.", stacklevel=2)
    if log_target:
        loss = _t.exp(target) * (target - input)
    else:
        loss = _t.xlogy(target, target) - target * input
    if reduction == "batchmean":
        return loss.sum() / input.shape[0] if input.dim() else loss.sum()
    return _reduce(loss, _reduction_code(reduction))


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8,
                     reduce=None, reduction="mean"):
    if _autocast_state():
        return _autocast_call("poisson_nll_loss", poisson_nll_loss, (input, target, log_input, full,
                              size_average, eps, reduce, reduction), None)
    _tensor(input, "poisson_nll_loss")
    _tensor(target, "poisson_nll_loss", "target")
    code = _reduction_code(reduction, size_average, reduce)
    if log_input:
        loss = _t.exp(input) - target * input
    else:
        loss = input - target * _t.log(input + eps)
    if full:
        # Stirling's approximation of log(target!), where target > 1
        stir = target * _t.log(target) - target + 0.5 * _t.log(2 * 3.141592653589793 * target)
        loss = loss + stir.masked_fill(target <= 1, 0)
    return _reduce(loss, code)


# ------------------------------------------------ normalization

def _norm_dims(input, normalized_shape, star=", "):
    if isinstance(normalized_shape, int):
        normalized_shape = (normalized_shape,)
    ns = tuple(int(s) for s in normalized_shape)
    k = len(ns)
    if k == 0 or input.dim() < k or tuple(input.shape[input.dim() - k:]) != ns:
        raise RuntimeError(f"Given normalized_shape={list(ns)}, expected input with shape "
                           f"[*{star}{', '.join(map(str, ns))}], but got input of size"
                           f"{list(input.shape)}")
    return ns, tuple(range(input.dim() - k, input.dim()))


def _check_affine(t, ns, name, fn):
    if t is not None:
        _tensor(t, fn, name)
        if tuple(t.shape) != ns:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but got "
                               f"{name} of shape {list(t.shape)} and normalized_shape = {list(ns)}")


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    if _autocast_state() & 2:
        return _autocast_call("layer_norm", layer_norm, (input, normalized_shape, weight, bias, eps), None)
    _float_only(_tensor(input, "layer_norm"), "LayerNormKernelImpl")
    if _bf16_args(input, weight, bias):
        return _down(layer_norm(_up(input), normalized_shape, _up(weight), _up(bias), eps), input)
    ns, dims = _norm_dims(input, normalized_shape)
    _check_affine(weight, ns, "weight", "layer_norm")
    _check_affine(bias, ns, "bias", "layer_norm")
    k, n = len(ns), 1
    for d in ns:
        n *= d
    if (n > 0 and input.dtype in (_t.float32, _t.float64) and _nnmisc_ops._ln_has_kernels(input)
            and all(a is None or (a.dtype == input.dtype and a.device == input.device)
                    for a in (weight, bias))):
        # the kernels: statistics and the affine map in one pass per row
        y, mean, rstd = _nnmisc_ops._ln_forward(input.detach(), _plain(weight), _plain(bias),
                                               n, float(eps))
        return _record("native_layer_norm", y, (input, weight, bias), (mean, rstd, n, float(eps)))
    inv = 1.0 / n if n else float("nan")
    xc = input - _sum_last(input, k, inv)
    out = xc * _t.rsqrt(_sum_last(xc * xc, k, inv) + eps)
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return out


def _plain(t):
    return None if t is None else t.detach()


def _layer_norm_backward(grad, input, weight, bias, mean, rstd, n, eps, needs):
    """The gradients of layer_norm for (input, weight, bias): the backward
    kernel, or (create_graph) the formula in ctorch ops, which recomputes the
    row statistics from the input so that higher-order gradients are exact."""
    if not _t.is_grad_enabled():
        dx, dw, db = _nnmisc_ops._ln_backward(grad.detach(), input.detach(), _plain(weight),
                                              mean, rstd, n, tuple(needs))
        return (dx.view(input.shape) if dx is not None else None,
                dw.view(weight.shape) if dw is not None else None,
                db.view(bias.shape) if db is not None else None)
    x = input.reshape(-1, n)
    g = grad.reshape(-1, n)
    mu = x.mean(1, keepdim=True)
    xc = x - mu
    r = _t.rsqrt((xc * xc).mean(1, keepdim=True) + eps)
    xhat = xc * r
    gw = g * weight.reshape(n) if weight is not None else g
    dx = r * (gw - gw.mean(1, keepdim=True) - xhat * (gw * xhat).mean(1, keepdim=True))
    return (dx.reshape(input.shape) if needs[0] else None,
            (g * xhat).sum(0).reshape(weight.shape) if weight is not None and needs[1] else None,
            g.sum(0).reshape(bias.shape) if bias is not None and needs[2] else None)


def _group_norm_backward(grad, input, weight, bias, mean, rstd, groups, eps, needs):
    """The gradients of group_norm for (input, weight, bias): the backward
    kernel, or (create_graph) the formula in ctorch ops, which recomputes the
    groups' statistics from the input so that higher-order gradients are
    exact."""
    if not _t.is_grad_enabled():
        dx, dw, db = _nnmisc_ops._gn_backward(grad.detach(), input.detach(), _plain(weight),
                                              mean, rstd, groups, tuple(needs))
        return (dx.view(input.shape) if dx is not None else None,
                dw.view(weight.shape) if dw is not None else None,
                db.view(bias.shape) if bias is not None and db is not None else None)
    n, c = input.shape[0], input.shape[1]
    x = input.reshape(n, groups, -1)
    mu = x.mean(-1, keepdim=True)
    xc = x - mu
    r = _t.rsqrt((xc * xc).mean(-1, keepdim=True) + eps)
    xhat = (xc * r).reshape(n, c, -1)
    g = grad.reshape(n, c, -1)
    gw = (g * weight.reshape(c, 1) if weight is not None else g).reshape(n, groups, -1)
    xh = xhat.reshape(n, groups, -1)
    dx = r * (gw - gw.mean(-1, keepdim=True) - xh * (gw * xh).mean(-1, keepdim=True))
    return (dx.reshape(input.shape) if needs[0] else None,
            (g * xhat).sum((0, 2)) if weight is not None and needs[1] else None,
            g.sum((0, 2)) if bias is not None and needs[2] else None)


def rms_norm(input, normalized_shape, weight=None, eps=None):
    _float_only(_tensor(input, "rms_norm"), "rms_norm")
    ns, dims = _norm_dims(input, normalized_shape, star="")
    _check_affine(weight, ns, "weight", "rms_norm")
    if eps is None:
        eps = _t.finfo(input.dtype).eps
    n = 1
    for d in ns:
        n *= d
    inv = 1.0 / n if n else float("nan")
    out = input * _t.rsqrt(_sum_last(input * input, len(ns), inv) + eps)
    return out if weight is None else out * weight


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    if _autocast_state() & 2:
        return _autocast_call("group_norm", group_norm, (input, num_groups, weight, bias, eps), None)
    _float_only(_tensor(input, "group_norm"), "GroupNormKernelImpl")
    if _bf16_args(input, weight, bias):
        return _down(group_norm(_up(input), num_groups, _up(weight), _up(bias), eps), input)
    if input.dim() < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received "
                           f"{input.dim()}")
    n, c = input.shape[0], input.shape[1]
    if num_groups <= 0 or c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, "
                           f"but got input of shape {list(input.shape)} and "
                           f"num_groups={num_groups}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.dim() != 1 or t.numel() != c):
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of "
                               f"channels in input, but got {name} of shape {list(t.shape)} and "
                               f"input of shape {list(input.shape)}")
    g = input.reshape(n, num_groups, -1)
    if (g.numel() > 0 and input.dtype in (_t.float32, _t.float64) and _nnmisc_ops._gn_has_kernels(input)
            and all(a is None or (a.dtype == input.dtype and a.device == input.device)
                    for a in (weight, bias))):
        # the kernels: each (sample, group)'s statistics and its output while
        # it is in cache
        y, mean, rstd = _nnmisc_ops._gn_forward(input.detach(), _plain(weight), _plain(bias),
                                               num_groups, float(eps))
        return _record("native_group_norm", y, (input, weight, bias), (mean, rstd, num_groups, float(eps)))
    mean = g.mean(-1, keepdim=True)
    gc = g - mean
    var = (gc * gc).mean(-1, keepdim=True)
    out = (gc * _t.rsqrt(var + eps)).reshape(tuple(input.shape))
    view = (c,) + (1,) * (input.dim() - 2)
    if weight is not None:
        out = out * weight.reshape(view)
    if bias is not None:
        out = out + bias.reshape(view)
    return out


# ------------------------------------------------ lookup and layout

def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    _tensor(input, "embedding")
    _tensor(weight, "embedding", "weight")
    if scale_grad_by_freq or sparse:
        raise ValueError("embedding: scale_grad_by_freq and sparse gradients are not supported")
    if input.dtype not in (_t.int64, _t.int32):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the "
                           "following scalar types: Long, Int; but got "
                           f"{input.type()} instead (while checking arguments for embedding)")
    if weight.dim() != 2:
        raise RuntimeError("'weight' must be 2-D")
    rows = weight.shape[0]
    if padding_idx is not None:
        if padding_idx > 0 and padding_idx >= rows:
            raise AssertionError("Padding_idx must be within num_embeddings")
        if padding_idx < 0:
            if padding_idx < -rows:
                raise AssertionError("Padding_idx must be within num_embeddings")
            padding_idx += rows
    # (index_select checks the indices in its kernel: PyTorch's IndexError)
    flat = input.reshape(-1).long()
    if max_norm is not None:
        # as PyTorch: the looked-up rows whose norm exceeds max_norm are rescaled
        # in place (outside autograd) before the lookup
        with _t.no_grad():
            rows = _t.unique(flat)
            picked = weight.index_select(0, rows)
            norms = _t.linalg.vector_norm(picked, norm_type, dim=1, keepdim=True)
            scale = _t.where(norms > max_norm, max_norm / (norms + 1e-7),
                             _t.ones((), dtype=norms.dtype, device=norms.device))
            weight.index_copy_(0, rows, picked * scale)
    out = weight.index_select(0, flat)
    if padding_idx is not None:
        # the padding row takes no gradient
        pad = (flat == padding_idx).unsqueeze(1)
        out = _t.where(pad, out.detach(), out)
    return out.reshape(tuple(input.shape) + (weight.shape[1],))


def pixel_shuffle(input, upscale_factor):
    _tensor(input, "pixel_shuffle")
    r = int(upscale_factor)
    if input.dim() < 3:
        raise RuntimeError(f"pixel_shuffle expects input to have at least 3 dimensions, but got "
                           f"input with {input.dim()} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    *b, c, h, w = input.shape
    if c % (r * r):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be divisible "
                           f"by the square of upscale_factor, but input.size(-3)={c} is not "
                           f"divisible by {r * r}")
    k = len(b)
    x = input.reshape(tuple(b) + (c // (r * r), r, r, h, w))
    x = x.permute(tuple(range(k)) + (k, k + 3, k + 1, k + 4, k + 2))
    return x.reshape(tuple(b) + (c // (r * r), h * r, w * r))


def pixel_unshuffle(input, downscale_factor):
    _tensor(input, "pixel_unshuffle")
    r = int(downscale_factor)
    if input.dim() < 3:
        raise RuntimeError(f"pixel_unshuffle expects input to have at least 3 dimensions, but "
                           f"got input with {input.dim()} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_unshuffle expects a positive downscale_factor, but got {r}")
    *b, c, h, w = input.shape
    if h % r:
        raise RuntimeError(f"pixel_unshuffle expects height to be divisible by downscale_factor, "
                           f"but input.size(-2)={h} is not divisible by {r}")
    if w % r:
        raise RuntimeError(f"pixel_unshuffle expects width to be divisible by downscale_factor, "
                           f"but input.size(-1)={w} is not divisible by {r}")
    k = len(b)
    x = input.reshape(tuple(b) + (c, h // r, r, w // r, r))
    x = x.permute(tuple(range(k)) + (k, k + 2, k + 4, k + 1, k + 3))
    return x.reshape(tuple(b) + (c * r * r, h // r, w // r))


def channel_shuffle(input, groups):
    _tensor(input, "channel_shuffle")
    if input.dim() <= 2:
        raise RuntimeError(f"channel_shuffle expects input to have at least 3 dimensions, but got "
                           f"input with {input.dim()} dimension(s)")
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of "
                           f"groups:{groups}")
    n, c = input.shape[0], input.shape[1]
    if c % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels and "
                           f"{groups} groups.")
    rest = tuple(input.shape[2:])
    x = input.reshape((n, groups, c // groups) + rest).transpose(1, 2)
    return x.reshape(tuple(input.shape))


def constant_pad_nd(input, pad, value=0):
    """Pads the last len(pad) // 2 dims, pairs from the last dim; negative amounts crop."""
    _tensor(input, "constant_pad_nd")
    pad = [int(p) for p in pad]
    if len(pad) % 2:
        raise RuntimeError(f"Length of pad must be even but instead it equals {len(pad)}")
    if len(pad) // 2 > input.dim():
        raise RuntimeError(f"Length of pad should be no more than twice the number of dimensions "
                           f"of the input. Pad length is {len(pad)} while the input has "
                           f"{input.dim()} dimensions.")
    if not (input.requires_grad and _t.is_grad_enabled()) and input.device.type == "cpu":
        # no history to record: the input cropped where an amount is
        # negative, then each output row written whole in one pass of the
        # backend's kernel
        src = input
        for i in range(len(pad) // 2):
            d = input.dim() - 1 - i
            lo, hi, size = pad[2 * i], pad[2 * i + 1], input.shape[d]
            if size + lo + hi < 0:
                break                      # (the general path below raises)
            if lo < 0 or hi < 0:
                start = max(-lo, 0)
                src = src.narrow(d, start, max(size - max(-hi, 0) - start, 0))
        else:
            r = _shape_ops._pad_constant(src, [max(p, 0) for p in pad[0::2]],
                                         [max(p, 0) for p in pad[1::2]],
                                         _t.full((), value, dtype=input.dtype))
            if r is not None:
                return r
    out = input
    for i in range(len(pad) // 2):
        d = input.dim() - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        size = out.shape[d]
        if size + lo + hi < 0:
            raise RuntimeError(f"The input size {size}, plus negative padding {lo} and {hi} "
                               f"resulted in a negative output size, which is invalid. Check "
                               f"dimension {d} of your input.")
        start, stop = max(-lo, 0), size - max(-hi, 0)
        if start or stop != size:
            out = out.narrow(d, start, max(stop - start, 0))
        parts = []
        for amount in (max(lo, 0), max(hi, 0)):
            shape = list(out.shape)
            shape[d] = amount
            parts.append(_t.full(tuple(shape), value, dtype=input.dtype, device=input.device)
                         if amount else None)
        if parts[0] is not None or parts[1] is not None:
            out = _t.cat([p for p in (parts[0], out, parts[1]) if p is not None], d)
    return out if out is not input else input.clone()


_PAD_COMBINATIONS = ("Supported combinations for non-constant padding:\n"
                     "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
                     "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
                     "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")


def _pad_index(mode, lo, hi, n):
    """The source position of each output position along one padded dim."""
    idx = range(-lo, n + hi)
    if mode == "reflect":
        return [(n - 1) - abs((n - 1) - abs(i)) for i in idx]
    if mode == "replicate":
        return [min(max(i, 0), n - 1) for i in idx]
    return [i % n for i in idx]


def pad(input, pad, mode="constant", value=None):
    """constant: constant_pad_nd; reflect, replicate, circular: a gather of
    source positions along each padded dim (index_select, so it differentiates)."""
    _tensor(input, "pad")
    pad = [int(p) for p in pad]
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if mode == "constant":
        return constant_pad_nd(input, pad, 0 if value is None else value)
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    k, nd = len(pad) // 2, input.dim()
    if k not in (1, 2, 3) or nd not in (k + 1, k + 2):
        raise NotImplementedError(f"Padding size {len(pad)} is not supported for {nd}D input "
                                  f"tensor.\n{_PAD_COMBINATIONS}")
    out, maps, grad = input, [], input.requires_grad and _t.is_grad_enabled()
    for i in range(k):
        d = nd - 1 - i
        lo, hi = pad[2 * i], pad[2 * i + 1]
        n = out.shape[d]
        if mode == "reflect" and (lo >= n or hi >= n):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding "
                               f"input dimension, but got: padding ({lo}, {hi}) at dimension {d} "
                               f"of input {list(input.shape)}")
        if mode == "circular" and (lo > n or hi > n):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        if n + lo + hi < 0 or (n == 0 and lo + hi > 0):
            raise RuntimeError(f"input tensor has an empty or negative output size along "
                               f"dimension {d} after padding")
        if mode == "circular" and (lo < 0 or hi < 0):
            # a negative amount crops first; the wrap then reads the cropped dim
            start = max(-lo, 0)
            out = out.narrow(d, start, max(n - start - max(-hi, 0), 0))
            lo, hi, n = max(lo, 0), max(hi, 0), out.shape[d]
        if not grad and input.device.type == "cpu" and (maps if i else lo >= 0 and hi >= 0):
            # no history to record: all the dims' maps in one pass of the
            # backend's kernel below (its last dim's map the identity in the
            # middle: amounts of at least 0 there)
            maps.append(_pad_index(mode, lo, hi, n))
            if i == 0:
                first_lo = lo
            continue
        index = _t.tensor(_pad_index(mode, lo, hi, n), dtype=_t.int64, device=input.device)
        out = out.index_select(d, index)
    return _shape_ops._pad_map(out, maps, first_lo) if maps else out

_install_method("hardshrink", hardshrink)
_install_method("prelu", prelu)


# ---------------------------------------------- torch-level forms
# torch.<name> takes the reduction as an int (0 none, 1 mean, 2 sum) and, for
# some ops, its arguments in another order than torch.nn.functional.<name>.

def _int_reduction(reduction, fn):
    if isinstance(reduction, bool) or not isinstance(reduction, int):
        raise TypeError(f"{fn}(): argument 'reduction' must be int, not "
                        f"{type(reduction).__name__}")
    if reduction not in (0, 1, 2):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return ("none", "mean", "sum")[reduction]


def _named(name):
    def wrap(fn):
        fn.__name__ = fn.__qualname__ = name
        return fn
    return wrap


@_named("selu")
def _torch_selu(input):
    return selu(input)


@_named("celu")
def _torch_celu(input, alpha=1.0):
    return celu(input, alpha)


@_named("threshold")
def _torch_threshold(input, threshold, value):
    return globals()["threshold"](input, threshold, value)


@_named("rrelu")
def _torch_rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, generator=None):
    return rrelu(input, lower, upper, training)


@_named("margin_ranking_loss")
def _torch_margin_ranking_loss(input1, input2, target, margin=0.0, reduction=1):
    red = _int_reduction(reduction, "margin_ranking_loss")
    return margin_ranking_loss(input1, input2, target, margin, reduction=red)


@_named("hinge_embedding_loss")
def _torch_hinge_embedding_loss(input, target, margin=1.0, reduction=1):
    red = _int_reduction(reduction, "hinge_embedding_loss")
    return hinge_embedding_loss(input, target, margin, reduction=red)


@_named("cosine_embedding_loss")
def _torch_cosine_embedding_loss(input1, input2, target, margin=0.0, reduction=1):
    red = _int_reduction(reduction, "cosine_embedding_loss")
    return cosine_embedding_loss(input1, input2, target, margin, reduction=red)


@_named("triplet_margin_loss")
def _torch_triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False,
                               reduction=1):
    red = _int_reduction(reduction, "triplet_margin_loss")
    return triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap, reduction=red)


@_named("kl_div")
def _torch_kl_div(input, target, reduction=1, *, log_target=False):
    red = _int_reduction(reduction, "kl_div")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return kl_div(input, target, reduction=red, log_target=log_target)


@_named("poisson_nll_loss")
def _torch_poisson_nll_loss(input, target, log_input, full, eps, reduction):
    red = _int_reduction(reduction, "poisson_nll_loss")
    return poisson_nll_loss(input, target, log_input, full, eps=eps, reduction=red)


@_named("binary_cross_entropy_with_logits")
def _torch_bce_with_logits(input, target, weight=None, pos_weight=None, reduction=1):
    red = _int_reduction(reduction, "binary_cross_entropy_with_logits")
    return binary_cross_entropy_with_logits(input, target, weight, reduction=red,
                                            pos_weight=pos_weight)


@_named("layer_norm")
def _torch_layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5,
                      cudnn_enable=True):
    return layer_norm(input, normalized_shape, weight, bias, eps)


@_named("group_norm")
def _torch_group_norm(input, num_groups, weight=None, bias=None, eps=1e-5, cudnn_enabled=True):
    return group_norm(input, num_groups, weight, bias, eps)


@_named("embedding")
def _torch_embedding(weight, input, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    # the torch-level form takes the table first; -1 means no padding row
    return embedding(input, weight, None if padding_idx == -1 else padding_idx,
                     scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)
from ctorch.nn._pool import (max_pool1d, max_pool2d, max_pool3d, max_pool1d_with_indices, max_pool2d_with_indices, max_pool3d_with_indices, avg_pool1d, avg_pool2d, avg_pool3d, adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d, adaptive_max_pool1d, adaptive_max_pool2d, adaptive_max_pool3d, adaptive_max_pool1d_with_indices, adaptive_max_pool2d_with_indices, adaptive_max_pool3d_with_indices, lp_pool1d, lp_pool2d, lp_pool3d, max_unpool1d, max_unpool2d, max_unpool3d, fractional_max_pool2d, fractional_max_pool3d, fractional_max_pool2d_with_indices, fractional_max_pool3d_with_indices)  # noqa: E402,F401
from ctorch.nn._grid import (interpolate, upsample, upsample_nearest, upsample_bilinear, affine_grid, grid_sample, scaled_dot_product_attention, ctc_loss, multi_head_attention_forward)  # noqa: E402,F401
from ctorch.nn._nnmisc import (batch_norm, instance_norm, normalize, one_hot, softmin, local_response_norm, bilinear, embedding_bag, dropout1d, dropout2d, dropout3d, alpha_dropout, feature_alpha_dropout, gaussian_nll_loss, multi_margin_loss, multilabel_margin_loss, multilabel_soft_margin_loss, triplet_margin_with_distance_loss, gumbel_softmax)  # noqa: E402,F401
from ctorch.nn._conv import conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, unfold, fold  # noqa: E402,F401
from ctorch._ops.composite import pdist  # noqa: E402,F401  (torch.pdist itself, as in PyTorch)
