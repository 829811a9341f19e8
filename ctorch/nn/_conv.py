"""The convolutions of torch.nn.functional (conv1d/2d/3d, conv_transpose1d/2d/3d,
unfold, fold) and torch.convolution.

A convolution is im2col (every window of the padded, strided, dilated input
as a column; ctorch/_ops/conv.pyx) followed by one batched product with the
weight per group; a transposed convolution is the adjoint: the product first,
then col2im, which sums the columns back into the volume. float16 computes in
float32. The gradients are the derivatives entries convolution
(ConvolutionBackward0), im2col (Im2ColBackward0) and col2im
(Col2ImBackward0), whose formulas are written with these same ops, so that
higher-order gradients work too.
"""
import math as _math
import warnings

import ctorch as _t
from ctorch._core.tensor import Tensor
from ctorch._ops import conv as _conv_ops
from ctorch._ops.products import matmul as _matmul
from ctorch.autograd._node import _record, is_grad_enabled as _is_grad_enabled, _set_grad_enabled
from ctorch._ops.products import _autocast_state, _autocast_call


# ------------------------------------------------------------ arguments

def _type_name(t):
    names = {_t.float32: "Float", _t.float64: "Double", _t.float16: "Half", _t.int64: "Long",
             _t.int32: "Int", _t.int16: "Short", _t.int8: "Char", _t.uint8: "Byte",
             _t.bool: "Bool", _t.complex64: "ComplexFloat", _t.complex128: "ComplexDouble",
             _t.bfloat16: "BFloat16"}
    return names.get(t.dtype, str(t.dtype))


def _tensor(x, fn, name, pos):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be Tensor, "
                        f"not {type(x).__name__}")
    return x


def _int_arg(v, fn, name):
    if isinstance(v, bool) or not isinstance(v, int):
        if hasattr(v, "__index__") and not isinstance(v, (bool, float, Tensor)):
            return int(v)
        raise TypeError(f"{fn}(): argument '{name}' must be tuple of ints, but found element of "
                        f"type {type(v).__name__}")
    return v


def _tuple(v, n, name, fn):
    """An int, or a list of 1 or n ints, as a tuple of n ints."""
    if isinstance(v, (tuple, list)):
        vals = [_int_arg(x, fn, name) for x in v]
    elif isinstance(v, int) and not isinstance(v, bool):
        vals = [v]
    elif isinstance(v, str):
        raise TypeError(f"{fn}(): argument '{name}' must be tuple of ints, not str")
    else:
        vals = [_int_arg(v, fn, name)]
    if len(vals) == 1:
        vals = vals * n
    if len(vals) != n:
        raise RuntimeError(f"expected {name} to be a single integer value or a list of {n} values "
                           f"to match the convolution dimensions, but got {name}={vals}")
    return tuple(vals)


def _weight_dims(weight, stride):
    """The weight's dims say how many spatial dims the convolution has."""
    wd = weight.dim() - 2
    if wd != len(stride) and len(stride) != 1:
        raise RuntimeError(f"expected stride to be a single integer value or a list of {wd} "
                           "values to match the convolution dimensions, but got "
                           f"stride={list(stride)}")


def _groups(groups, fn):
    if isinstance(groups, bool) or not isinstance(groups, int):
        raise TypeError(f"{fn}(): argument 'groups' must be int, not {type(groups).__name__}")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    return groups


def _size(t):
    return list(t.shape)


def _check(x, w, b, nsp, stride, pad_lo, pad_hi, dilation, transposed, output_padding, groups):
    """PyTorch's checks of a convolution's shapes, in its order and words."""
    xd, wd = x.dtype, w.dtype
    if xd != wd:
        if x.is_floating_point() and w.is_floating_point() and xd != _t.float64 \
                and wd != _t.float64:
            raise RuntimeError(f"Input type ({x.type()}) and weight type ({w.type()}) should be "
                               "the same")
        raise RuntimeError(f"expected scalar type {_type_name(x)} but found {_type_name(w)}")
    if b is not None and b.dtype != xd:
        raise RuntimeError(f"expected scalar type {_type_name(x)} but found {_type_name(b)}")
    if x.device != w.device or (b is not None and b.device != x.device):
        raise RuntimeError("Input and weight (and bias) must be on the same device, but got "
                           f"{x.device} and {w.device}")
    if xd == _t.bool:
        raise NotImplementedError("\"slow_conv2d_cpu\" not implemented for 'Bool'")
    if min(stride) <= 0:
        raise RuntimeError("non-positive stride is not supported")
    if min(pad_lo) < 0:
        raise RuntimeError("negative padding is not supported")
    if min(dilation) <= 0:
        raise RuntimeError("non-positive dilation is not supported")
    if min(output_padding) < 0:
        raise RuntimeError("negative output_padding is not supported")
    xs, ws = list(x.shape), list(w.shape)
    if len(ws) != len(xs):
        raise RuntimeError(f"Expected {len(ws)}-dimensional input for {len(ws)}-dimensional "
                           f"weight {ws}, but got {len(xs)}-dimensional input of size "
                           f"{xs} instead")
    if ws[0] < groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be at least {groups} at "
                           f"dimension 0, but got weight of size [{ws}] instead")
    if ws[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} "
                           f"at dimension 0, but got weight of size [{ws}] instead")
    if not transposed:
        if xs[1] != ws[1] * groups:
            raise RuntimeError(f"Given groups={groups}, weight of size {ws}, expected "
                               f"input{xs} to have {ws[1] * groups} channels, but got "
                               f"{xs[1]} channels instead")
    elif xs[1] != ws[0]:
        raise RuntimeError(f"Given transposed=1, weight of size {ws}, expected "
                           f"input{xs} to have {ws[0]} channels, but got "
                           f"{xs[1]} channels instead")
    if b is not None:
        bs = list(b.shape)
        nb = ws[0] if not transposed else ws[1] * groups
        if len(bs) != 1 or bs[0] != nb:
            raise RuntimeError(("Given transposed=1, weight" if transposed else "Given weight")
                               + f" of size {ws}, expected bias to be 1-dimensional with {nb} "
                               f"elements, but got bias of size {bs} instead")
    k = ws[2:]
    if k and min(k) <= 0:
        names = ("depth", "height", "width")[3 - nsp:] if nsp <= 3 else ()
        raise RuntimeError("kernel size should be greater than zero, but got "
                           + " ".join(f"kernel_{n}: {v}" for n, v in zip(names, k)))
    if not transposed:
        for i in range(nsp):
            if dilation[i] * (k[i] - 1) + 1 > xs[2 + i] + pad_lo[i] + pad_hi[i]:
                padded = [xs[2 + j] + pad_lo[j] + pad_hi[j] for j in range(nsp)]
                dk = [dilation[j] * (k[j] - 1) + 1 for j in range(nsp)]
                raise RuntimeError("Calculated padded input size per channel: ("
                                   + " x ".join(str(v) for v in padded) + "). Kernel size: ("
                                   + " x ".join(str(v) for v in dk) + "). Kernel size can't be "
                                   "greater than actual input size")
    else:
        for i in range(nsp):
            if output_padding[i] >= stride[i] and output_padding[i] >= dilation[i]:
                names = ("depth", "height", "width")[3 - nsp:]
                raise RuntimeError(
                    "output padding must be smaller than either stride or dilation, but got "
                    + " ".join(f"output_padding_{n}: {v}" for n, v in zip(names, output_padding))
                    + " " + " ".join(f"stride_{n}: {v}" for n, v in zip(names, stride))
                    + " " + " ".join(f"dilation_{n}: {v}" for n, v in zip(names, dilation)))


# ------------------------------------------------------- im2col / col2im

def _windows(vol, k, s, p, d, p_hi=None):
    p_hi = p if p_hi is None else p_hi
    return tuple((vol[i] + p[i] + p_hi[i] - d[i] * (k[i] - 1) - 1) // s[i] + 1
                 for i in range(len(vol)))


def _compute_dtype(dt):
    return _t.float32 if dt == _t.float16 or dt == _t.bfloat16 else dt


def _im2col(x, out, k, s, p, d):
    """(N, C, *vol) -> (N, C * prod(k), prod(out)), recorded as im2col."""
    with _no_history():
        cd = _compute_dtype(x.dtype)
        r = _conv_ops._im2col(x.detach().to(cd) if cd != x.dtype else x.detach(), out, k, s, p, d)
        if cd != x.dtype:
            r = r.to(x.dtype)
    return _record("im2col", r, (x,), (out, k, s, p, d))


def _col2im(cols, C, vol, out, k, s, p, d):
    """(N, C * prod(k), prod(out)) -> (N, C, *vol), recorded as col2im."""
    with _no_history():
        cd = _compute_dtype(cols.dtype)
        c = cols.detach().to(cd) if cd != cols.dtype else cols.detach()
        r = _conv_ops._col2im(c, C, vol, out, k, s, p, d)
        if cd != cols.dtype:
            r = r.to(cols.dtype)
    return _record("col2im", r, (cols,), (C, vol, out, k, s, p, d))


def _im2col_backward(grad, self_sizes, out, k, s, p, d):
    return _col2im(grad.reshape(self_sizes[0], -1, grad.shape[-1]), self_sizes[1],
                   tuple(self_sizes[2:]), out, k, s, p, d)


def _col2im_backward(grad, C, vol, out, k, s, p, d):
    return _im2col(grad, out, k, s, p, d)


class _no_history:
    """Grad mode off for the raw compute of a recorded op."""

    def __enter__(self):
        self.prev = _is_grad_enabled()
        _set_grad_enabled(False)

    def __exit__(self, *exc):
        _set_grad_enabled(self.prev)
        return False


# ------------------------------------------------------------ the core

def _raw_conv(x, w, b, stride, pad_lo, out, dilation, groups):
    """y (N, Cout, *out) of a convolution, without history."""
    N, cin = x.shape[0], x.shape[1]
    cout = w.shape[0]
    k = tuple(w.shape[2:])
    K = _math.prod(k)
    L = _math.prod(out)
    cg = cin // groups
    cols = _im2col(x, out, k, stride, pad_lo, dilation).view(N, groups, cg * K, L)
    y = _matmul(w.reshape(groups, cout // groups, cg * K), cols)
    y = y.view((N, cout) + tuple(out))
    if b is not None:
        y += b.view((cout,) + (1,) * len(out))
    return y


def _raw_conv_t(x, w, b, stride, pad_lo, out, dilation, groups):
    """y (N, Cout, *out) of a transposed convolution, without history."""
    N, cin = x.shape[0], x.shape[1]
    og = w.shape[1]
    cout = og * groups
    k = tuple(w.shape[2:])
    K = _math.prod(k)
    vol = tuple(x.shape[2:])
    L = _math.prod(vol)
    cg = cin // groups
    wm = w.reshape(groups, cg, og * K).transpose(1, 2)
    cols = _matmul(wm, x.reshape(N, groups, cg, L)).reshape(N, cout * K, L)
    y = _col2im(cols, cout, tuple(out), vol, k, stride, pad_lo, dilation)
    if b is not None:
        y += b.view((cout,) + (1,) * len(out))
    return y


def _convolution(x, w, b, stride, pad_lo, pad_hi, dilation, transposed, output_padding, groups):
    """The recorded convolution of a batched input (N, C, *spatial)."""
    nsp = x.dim() - 2
    k = tuple(w.shape[2:])
    if transposed:
        out = tuple((x.shape[2 + i] - 1) * stride[i] - pad_lo[i] - pad_hi[i]
                    + dilation[i] * (k[i] - 1) + output_padding[i] + 1 for i in range(nsp))
        if any(o <= 0 for o in out):
            raise RuntimeError(f"Given input size per channel: {list(x.shape[2:])}. Calculated "
                               f"output size per channel: {list(out)}. Output size is too small")
    else:
        out = _windows(tuple(x.shape[2:]), k, stride, pad_lo, dilation, pad_hi)
    cd = _compute_dtype(x.dtype)
    vol = tuple(x.shape[2:])
    if cd == x.dtype and _conv_ops._fusable_py(x):
        # the kernels record nothing: no detached copies needed
        if transposed:
            y = _conv_ops._mm_col2im(x, w, groups, out, vol, k, stride, pad_lo, dilation)
            if b is not None:
                y += b.detach().view((y.shape[1],) + (1,) * nsp)
        else:
            # the bias added by the driver, image by image
            y = _conv_ops._im2col_mm(x, w, groups, vol, out, k, stride, pad_lo, dilation,
                                     None if b is None else b.detach())
        return _record("convolution", y, (x, w, b),
                       (stride, pad_lo, dilation, transposed, output_padding, groups))
    with _no_history():
        xc, wc = x.detach(), w.detach()
        bc = b.detach() if b is not None else None
        if cd != x.dtype:
            xc, wc = xc.to(cd), wc.to(cd)
            bc = bc.to(cd) if bc is not None else None
        if _conv_ops._fusable_py(xc):
            if transposed:
                y = _conv_ops._mm_col2im(xc, wc, groups, out, vol, k, stride, pad_lo, dilation)
                if bc is not None:
                    y += bc.view((y.shape[1],) + (1,) * nsp)
            else:
                y = _conv_ops._im2col_mm(xc, wc, groups, vol, out, k, stride, pad_lo, dilation,
                                         bc)
        elif transposed:
            y = _raw_conv_t(xc, wc, bc, stride, pad_lo, out, dilation, groups)
        else:
            y = _raw_conv(xc, wc, bc, stride, pad_lo, out, dilation, groups)
        if cd != x.dtype:
            y = y.to(x.dtype)
    return _record("convolution", y, (x, w, b),
                   (stride, pad_lo, dilation, transposed, output_padding, groups))


def _convolution_backward(grad, input, weight, stride, padding, dilation, transposed,
                          output_padding, groups, needs):
    """The gradients of input, weight and bias of a convolution, written with
    the recorded ops (im2col, col2im, matmul), so they differentiate again."""
    dt = input.dtype
    cd = _compute_dtype(dt)
    if cd != dt:
        grad, input, weight = grad.to(cd), input.to(cd), weight.to(cd)
    if input.is_complex():
        # the gradient of a complex product: the products with the other
        # operand's conjugate
        input, weight = input.conj_physical(), weight.conj_physical()
    N, cin = input.shape[0], input.shape[1]
    vol = tuple(input.shape[2:])
    out = tuple(grad.shape[2:])
    k = tuple(weight.shape[2:])
    K = _math.prod(k)
    G = groups
    cg = cin // G
    gx = gw = gb = None
    if not _is_grad_enabled() and _conv_ops._fusable_py(input):
        # no graph to record (no create_graph): the fused kernels. A grad
        # that is not dense is made dense once, not once per kernel, unless
        # it repeats one image along the batch (sum's, expanded): the
        # non-transposed kernels read that image for every batch element
        bcast = not transposed and N > 1 and grad.stride(0) == 0
        if needs[0] and needs[1] and not bcast and not grad.is_contiguous():
            grad = grad.contiguous()
        if not transposed:
            if needs[0]:
                gx = _conv_ops._mm_col2im(grad, weight, G, vol, out, k, stride, padding, dilation)
            if needs[1] and needs[2]:
                # the bias gradient summed by the weight gradient's driver
                gw, gb = _conv_ops._wgrad(grad, input, G, tuple(weight.shape), vol, out, k,
                                          stride, padding, dilation, True)
            elif needs[1]:
                gw = _conv_ops._wgrad(grad, input, G, tuple(weight.shape), vol, out, k, stride,
                                      padding, dilation)
        else:
            if needs[0]:
                gx = _conv_ops._im2col_mm(grad, weight, G, out, vol, k, stride, padding, dilation)
            if needs[1]:
                gw = _conv_ops._wgrad(input, grad, G, tuple(weight.shape), out, vol, k, stride,
                                      padding, dilation)
    elif not transposed:
        cout = weight.shape[0]
        og = cout // G
        L = _math.prod(out)
        g = grad.reshape(N, G, og, L)
        wm = weight.reshape(G, og, cg * K)
        if needs[0]:
            gcols = _matmul(wm.transpose(1, 2), g).reshape(N, cin * K, L)
            gx = _col2im(gcols, cin, vol, out, k, stride, padding, dilation)
        if needs[1]:
            cols = _im2col(input, out, k, stride, padding, dilation).view(N, G, cg * K, L)
            gw = _matmul(g, cols.transpose(2, 3)).sum(0).reshape(weight.shape)
    else:
        og = weight.shape[1]
        cout = og * G
        L = _math.prod(vol)
        gcols = _im2col(grad, vol, k, stride, padding, dilation).view(N, G, og * K, L)
        if needs[0]:
            wm = weight.reshape(G, cg, og * K)
            gx = _matmul(wm, gcols).reshape(input.shape)
        if needs[1]:
            xm = input.reshape(N, G, cg, L)
            gw = _matmul(xm, gcols.transpose(2, 3)).sum(0).reshape(weight.shape)
    if needs[2] and gb is None:
        gb = grad.sum([0] + list(range(2, grad.dim())))
    if cd != dt:
        gx, gw, gb = (None if v is None else v.to(dt) for v in (gx, gw, gb))
    return gx, gw, gb


# ------------------------------------------------------- the functions

_SAME_WARNING = ("Using padding='same' with even kernel lengths and odd dilation may require a "
                 "zero-padded copy of the input be created")


def _follow_format(y, x, weight, nsp):
    """y laid out channels last (channels_last_3d) where x or the weight is
    (and not also contiguous), as PyTorch's convolutions lay out theirs."""
    if nsp == 1:
        return y
    mf = _t.channels_last if nsp == 2 else _t.channels_last_3d
    if any(t.is_contiguous(memory_format=mf) and not t.is_contiguous() for t in (x, weight)):
        return y.contiguous(memory_format=mf)
    return y


def _conv_nd(nsp, fn, input, weight, bias, stride, padding, dilation, groups):
    _tensor(input, fn, "input", 1)
    _tensor(weight, fn, "weight", 2)
    if bias is not None:
        _tensor(bias, fn, "bias", 3)
    groups = _groups(groups, fn)
    if input.dim() not in (nsp + 1, nsp + 2):
        raise RuntimeError(f"Expected {nsp + 1}D (unbatched) or {nsp + 2}D (batched) input to "
                           f"{fn}, but got input of size: {_size(input)}")
    n = nsp
    stride = _tuple(stride, n, "stride", fn)
    dilation = _tuple(dilation, n, "dilation", fn)
    _weight_dims(weight, stride)
    if isinstance(padding, str):
        if padding == "valid":
            pad_lo = pad_hi = (0,) * n
        elif padding == "same":
            if any(s != 1 for s in stride):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            k = tuple(weight.shape[2:]) if weight.dim() == n + 2 else (1,) * n
            total = [dilation[i] * (k[i] - 1) for i in range(min(n, len(k)))]
            if any(t % 2 for t in total):
                warnings.warn(_SAME_WARNING, UserWarning, stacklevel=3)
            pad_lo = tuple(t // 2 for t in total)
            pad_hi = tuple(t - t // 2 for t in total)
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}'")
    else:
        pad_lo = pad_hi = _tuple(padding, n, "padding", fn)
    batched = input.dim() == nsp + 2
    x = input if batched else input.unsqueeze(0)
    _check(x, weight, bias, nsp, stride, pad_lo, pad_hi, dilation, False, (0,) * n, groups)
    y = _convolution(x, weight, bias, stride, pad_lo, pad_hi, dilation, False, (0,) * n, groups)
    return _follow_format(y, x, weight, nsp) if batched else y.squeeze(0)


def _conv_t_nd(nsp, fn, input, weight, bias, stride, padding, output_padding, groups, dilation):
    _tensor(input, fn, "input", 1)
    _tensor(weight, fn, "weight", 2)
    if bias is not None:
        _tensor(bias, fn, "bias", 3)
    groups = _groups(groups, fn)
    if input.dim() not in (nsp + 1, nsp + 2):
        raise RuntimeError(f"Expected {nsp + 1}D (unbatched) or {nsp + 2}D (batched) input to "
                           f"{fn}, but got input of size: {_size(input)}")
    n = nsp
    stride = _tuple(stride, n, "stride", fn)
    _weight_dims(weight, stride)
    padding = _tuple(padding, n, "padding", fn)
    output_padding = _tuple(output_padding, n, "output_padding", fn)
    dilation = _tuple(dilation, n, "dilation", fn)
    batched = input.dim() == nsp + 2
    x = input if batched else input.unsqueeze(0)
    _check(x, weight, bias, nsp, stride, padding, padding, dilation, True, output_padding, groups)
    y = _convolution(x, weight, bias, stride, padding, padding, dilation, True, output_padding,
                     groups)
    return _follow_format(y, x, weight, nsp) if batched else y.squeeze(0)


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    if _autocast_state():
        return _autocast_call("conv1d", conv1d, (input, weight, bias, stride, padding, dilation, groups),
                              None)
    return _conv_nd(1, "conv1d", input, weight, bias, stride, padding, dilation, groups)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    if _autocast_state():
        return _autocast_call("conv2d", conv2d, (input, weight, bias, stride, padding, dilation, groups),
                              None)
    return _conv_nd(2, "conv2d", input, weight, bias, stride, padding, dilation, groups)


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    if _autocast_state():
        return _autocast_call("conv3d", conv3d, (input, weight, bias, stride, padding, dilation, groups),
                              None)
    return _conv_nd(3, "conv3d", input, weight, bias, stride, padding, dilation, groups)


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    if _autocast_state():
        return _autocast_call("conv_transpose1d", conv_transpose1d, (input, weight, bias, stride, padding,
                              output_padding, groups, dilation), None)
    return _conv_t_nd(1, "conv_transpose1d", input, weight, bias, stride, padding,
                      output_padding, groups, dilation)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    if _autocast_state():
        return _autocast_call("conv_transpose2d", conv_transpose2d, (input, weight, bias, stride, padding,
                              output_padding, groups, dilation), None)
    return _conv_t_nd(2, "conv_transpose2d", input, weight, bias, stride, padding,
                      output_padding, groups, dilation)


def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    if _autocast_state():
        return _autocast_call("conv_transpose3d", conv_transpose3d, (input, weight, bias, stride, padding,
                              output_padding, groups, dilation), None)
    return _conv_t_nd(3, "conv_transpose3d", input, weight, bias, stride, padding,
                      output_padding, groups, dilation)


def convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding,
                groups):
    """torch.convolution: the one entry behind every convolution (a batched
    input; every argument given, the sizes as lists)."""
    if _autocast_state():
        return _autocast_call("convolution", convolution, (input, weight, bias, stride, padding, dilation,
                              transposed, output_padding, groups), None)
    fn = "convolution"
    _tensor(input, fn, "input", 1)
    _tensor(weight, fn, "weight", 2)
    if bias is not None:
        _tensor(bias, fn, "bias", 3)
    for name, v, pos in (("stride", stride, 4), ("padding", padding, 5),
                         ("dilation", dilation, 6), ("output_padding", output_padding, 8)):
        if not isinstance(v, (list, tuple)):
            raise TypeError(f"convolution(): argument '{name}' (position {pos}) must be tuple of "
                            f"ints, not {type(v).__name__}")
    groups = _groups(groups, fn)
    if weight.dim() < 3:
        raise RuntimeError("weight should have at least three dimensions")
    n = weight.dim() - 2
    stride = _tuple(stride, n, "stride", fn)
    padding = _tuple(padding, n, "padding", fn)
    dilation = _tuple(dilation, n, "dilation", fn)
    output_padding = _tuple(output_padding, n, "output_padding", fn)
    transposed = bool(transposed)
    _check(input, weight, bias, n, stride, padding, padding, dilation, transposed,
           output_padding, groups)
    return _convolution(input, weight, bias, stride, padding, padding, dilation, transposed,
                        output_padding, groups)


# ------------------------------------------------------- unfold / fold

def _pair(v, name, fn):
    return _tuple(v, 2, name, fn)


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """Extracts sliding local blocks: (N, C, H, W) -> (N, C * kh * kw, L)."""
    fn = "unfold"
    _tensor(input, fn, "input", 1)
    k = _pair(kernel_size, "kernel_size", fn)
    d = _pair(dilation, "dilation", fn)
    p = _pair(padding, "padding", fn)
    s = _pair(stride, "stride", fn)
    nd = input.dim()
    if nd not in (3, 4) or any(v == 0 for v in input.shape[1:]) or \
            (nd == 3 and input.shape[0] == 0):
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and "
                           f"other non-zero dimensions for input, but got: {_size(input)}")
    if k[0] <= 0 or k[1] <= 0:
        raise RuntimeError("kernel size should be greater than zero, but got kernel_height: "
                           f"{k[0]} kernel_width: {k[1]}")
    if s[0] <= 0 or s[1] <= 0:
        raise RuntimeError("stride should be greater than zero, but got stride_height: "
                           f"{s[0]} stride_width: {s[1]}")
    if d[0] <= 0 or d[1] <= 0:
        raise RuntimeError("dilation should be greater than zero, but got dilation_height: "
                           f"{d[0]} dilation_width: {d[1]}")
    if p[0] < 0 or p[1] < 0:
        raise RuntimeError("padding should be non-negative, but got pad_height: "
                           f"{p[0]} pad_width: {p[1]}")
    _float_or_complex(input, "im2col")
    vol = tuple(input.shape[-2:])
    out = _windows(vol, k, s, p, d)
    if out[0] < 1 or out[1] < 1:
        raise RuntimeError(f"Given input with spatial size ({vol[0]}, {vol[1]}), "
                           f"kernel_size=({k[0]}, {k[1]}), dilation=({d[0]}, {d[1]}), "
                           f"padding=({p[0]}, {p[1]}), calculated shape of the array of sliding "
                           f"blocks as ({out[0]}, {out[1]}), but its components must be at least "
                           "one.")
    x = input if nd == 4 else input.unsqueeze(0)
    r = _im2col(x, out, k, s, p, d)
    return r if nd == 4 else r.squeeze(0)


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Combines sliding local blocks: (N, C * kh * kw, L) -> (N, C, H, W)."""
    fn = "fold"
    _tensor(input, fn, "input", 1)
    size = _pair(output_size, "output_size", fn)
    k = _pair(kernel_size, "kernel_size", fn)
    d = _pair(dilation, "dilation", fn)
    p = _pair(padding, "padding", fn)
    s = _pair(stride, "stride", fn)
    nd = input.dim()
    if nd not in (2, 3) or any(v == 0 for v in input.shape[-2:]):
        raise RuntimeError("Expected 2D or 3D (batch mode) tensor with possibly 0 batch size and "
                           f"non-zero dimensions for input, but got: {_size(input)}")
    if size[0] <= 0 or size[1] <= 0:
        raise RuntimeError("Expected output spatial size to be positive, but got: "
                           f"output_size=({size[0]}, {size[1]}).")
    if k[0] <= 0 or k[1] <= 0:
        raise RuntimeError("kernel size should be greater than zero, but got kernel_height: "
                           f"{k[0]} kernel_width: {k[1]}")
    if s[0] <= 0 or s[1] <= 0:
        raise RuntimeError("stride should be greater than zero, but got stride_height: "
                           f"{s[0]} stride_width: {s[1]}")
    if d[0] <= 0 or d[1] <= 0:
        raise RuntimeError("dilation should be greater than zero, but got dilation_height: "
                           f"{d[0]} dilation_width: {d[1]}")
    if p[0] < 0 or p[1] < 0:
        raise RuntimeError("padding should be non-negative, but got pad_height: "
                           f"{p[0]} pad_width: {p[1]}")
    _float_or_complex(input, "col2im")
    K = k[0] * k[1]
    ck = input.shape[-2]
    if ck % K:
        raise RuntimeError("Expected size of input's dimension 1 to be divisible by the product "
                           f"of kernel_size, but got input.size(1)={ck} and "
                           f"kernel_size=({k[0]}, {k[1]}).")
    out = _windows(size, k, s, p, d)
    if out[0] < 1 or out[1] < 1 or out[0] * out[1] != input.shape[-1]:
        raise RuntimeError(f"Given output_size=({size[0]}, {size[1]}), kernel_size=({k[0]}, "
                           f"{k[1]}), dilation=({d[0]}, {d[1]}), padding=({p[0]}, {p[1]}), "
                           f"stride=({s[0]}, {s[1]}), expected size of input's dimension 2 to "
                           f"match the calculated number of sliding blocks {out[0]} * {out[1]} = "
                           f"{out[0] * out[1]}, but got input.size(2)={input.shape[-1]}.")
    x = input if nd == 3 else input.unsqueeze(0)
    r = _col2im(x, ck // K, size, out, k, s, p, d)
    return r if nd == 3 else r.squeeze(0)


def _float_or_complex(x, kernel):
    if not (x.is_floating_point() or x.is_complex()):
        raise NotImplementedError(f"\"{kernel}_out_cpu\" not implemented for '{_type_name(x)}'")
