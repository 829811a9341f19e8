"""torch.nn.functional: activations, softmax and the losses of a classifier.

The arithmetic is in the op modules (gelu, the nll_loss and mse_loss cores
in ctorch._ops.nn, softmax in ctorch._ops.reduce, products in
ctorch._ops.products); this module does the argument handling PyTorch does in Python:
reduction names, N-d inputs, class-probability targets, label smoothing.
"""
import warnings

from ctorch._core.dtype import promote_types as _promote_types
from ctorch._core.tensor import Tensor
from ctorch._ops import nn as _nn_ops
from ctorch._ops.elementwise import relu as _relu, sigmoid as _sigmoid, tanh as _tanh
from ctorch._ops.products import addmm as _addmm, matmul as _matmul
from ctorch._ops.reduce import log_softmax as _log_softmax, softmax as _softmax
from ctorch._ops.sampling import dropout as _dropout, dropout_ as _dropout_

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
