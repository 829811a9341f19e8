"""torch.autocast: mixed precision regions, with PyTorch's eager semantics.

Inside an enabled region the ops of the device's lists cast their floating
arguments before they run: the "lower precision" ops (products, convolutions,
linear, prelu, attention) to the region's dtype, the "float32" ops (losses,
normalizations, softmax on CUDA, reductions, distances) to float32, and the
"promote" ops (cat, stack, ...) to the widest floating type among their
arguments. float64 tensors and tensors of another device type are never cast;
calls with out= or an explicit dtype= are not autocast. The casts are
differentiable `to()`s, so gradients reach float32 leaves as float32.
The lists are PyTorch's for the ops ctorch has; on CUDA the operator forms
`**`, `__rpow__` and `__rtruediv__` of its float32 list are not autocast here
(torch.pow and the named functions are).

State is per thread, as in PyTorch: the enabled flag and dtype per device
type, the nesting depth, and the weight-cast cache (casts of float32 leaves
that require grad to the lower precision dtype are cached while a region is
open, and dropped when the outermost region exits).

How the ops see it: ctorch/_ops/products.pyx (and reduce, shape, elementwise) keep
the calling thread's flags in a C thread-local int that each listed op tests
first (one load when autocast is off); Python-level ops read it through
products._autocast_state(). When it is set, the op hands its arguments to
`_dispatch` below, which casts them per the list of the device its tensors are
on and runs the op with autocast suspended (as PyTorch runs an autocast op's
kernel below the autocast dispatch key).
"""
import functools
import threading
import warnings
import weakref

import ctorch as _t
from ctorch._core.tensor import Tensor
from ctorch._ops import (elementwise as _elementwise, products as _products, reduce as _reduce,
                        shape as _shape)

__all__ = ["autocast", "custom_fwd", "custom_bwd", "is_autocast_available"]

_BITS = {"cpu": 1, "cuda": 2}

# PyTorch's device types, in the order its device-string error lists them
_DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve",
                 "fpga", "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia",
                 "privateuseone")


def _device_type(device_type, fn=None, pos=1):
    """The device type named by `device_type` ("cuda:0" names "cuda"), or
    PyTorch's error for a string that names none."""
    if not isinstance(device_type, str):
        raise TypeError(f"{fn}(): argument 'device_type' (position {pos}) must be str, not "
                        f"{type(device_type).__name__}")
    name = device_type.split(":", 1)[0]
    if name not in _DEVICE_TYPES:
        raise RuntimeError(f"Expected one of {', '.join(_DEVICE_TYPES)} device type at start of "
                           f"device string: {device_type}")
    return name


def is_autocast_available(device_type):
    """Whether autocast is available for `device_type` (ctorch: "cpu", "cuda")."""
    return _device_type(device_type, "is_autocast_available") in _BITS


def _check_bool(fn, v, pos):
    if not isinstance(v, bool):
        raise TypeError(f"{fn}(): argument 'enabled' (position {pos}) must be bool, not {type(v).__name__}")


# --------------------------------------------------------------- state

class _State(threading.local):
    def __init__(self):
        self.enabled = {"cpu": False, "cuda": False}
        self.dtype = {"cpu": None, "cuda": None}    # None: the device's default
        self.nesting = 0
        self.cache_enabled = True
        self.cache = {}


_state = _State()


def _reset_thread_state():
    """This thread's autocast state as a new thread starts with it."""
    _state.__init__()
    _push_flags(0)


def _push_flags(flags):
    _products._set_autocast_state(flags)
    _reduce._set_autocast_state(flags)
    _shape._set_autocast_state(flags)
    _elementwise._set_autocast_state(flags)


def _flags():
    return _BITS["cpu"] * _state.enabled["cpu"] | _BITS["cuda"] * _state.enabled["cuda"]


def _default_dtype(device):
    if device == "cuda":
        return _t.float16
    bf16 = getattr(_t, "bfloat16", None)
    if bf16 is None:
        raise RuntimeError("CPU autocast's default dtype is torch.bfloat16, which this build of ctorch "
                           "does not have; pass dtype=torch.float16")
    return bf16


def is_autocast_enabled(device_type=None):
    """Whether autocast is on in this thread for `device_type` (no argument:
    CUDA, PyTorch's legacy form)."""
    device = "cuda" if device_type is None else _device_type(device_type, "is_autocast_enabled")
    return _state.enabled.get(device, False)


_MISSING = object()


def set_autocast_enabled(device_type, enabled=_MISSING):
    """Turns autocast on or off for `device_type` in this thread
    (set_autocast_enabled(enabled): CUDA, PyTorch's legacy form)."""
    if enabled is _MISSING:
        _check_bool("set_autocast_enabled", device_type, 1)
        device_type, enabled = "cuda", device_type
    else:
        _check_bool("set_autocast_enabled", enabled, 2)
    device = _device_type(device_type, "set_autocast_enabled")
    if device in _BITS:
        _state.enabled[device] = bool(enabled)
        _push_flags(_flags())


def get_autocast_dtype(device_type):
    """The dtype autocast casts to on `device_type` in this thread (CPU:
    torch.bfloat16, CUDA: torch.float16 unless set)."""
    device = _device_type(device_type, "get_autocast_dtype")
    if device not in _BITS:
        return _t.float16
    dt = _state.dtype[device]
    return _default_dtype(device) if dt is None else dt


def set_autocast_dtype(device_type, dtype):
    device = _device_type(device_type, "set_autocast_dtype")
    if not isinstance(dtype, _t.dtype):
        raise TypeError(f"set_autocast_dtype(): argument 'dtype' (position 2) must be torch.dtype, not "
                        f"{type(dtype).__name__}")
    if device in _BITS:
        _state.dtype[device] = dtype


def _deprecated(old, new):
    warnings.warn(f"torch.{old} is deprecated. Please use torch.{new} instead.", DeprecationWarning,
                  stacklevel=3)


def get_autocast_cpu_dtype():
    _deprecated("get_autocast_cpu_dtype()", "get_autocast_dtype('cpu')")
    return get_autocast_dtype("cpu")


def get_autocast_gpu_dtype():
    _deprecated("get_autocast_gpu_dtype()", "get_autocast_dtype('cuda')")
    return get_autocast_dtype("cuda")


def set_autocast_cpu_dtype(dtype):
    _deprecated("set_autocast_cpu_dtype(dtype)", "set_autocast_dtype('cpu', dtype)")
    set_autocast_dtype("cpu", dtype)


def set_autocast_gpu_dtype(dtype):
    _deprecated("set_autocast_gpu_dtype(dtype)", "set_autocast_dtype('cuda', dtype)")
    set_autocast_dtype("cuda", dtype)


def is_autocast_cpu_enabled():
    _deprecated("is_autocast_cpu_enabled()", "is_autocast_enabled('cpu')")
    return is_autocast_enabled("cpu")


def set_autocast_cpu_enabled(enabled):
    _deprecated("set_autocast_cpu_enabled(enabled)", "set_autocast_enabled('cpu', enabled)")
    set_autocast_enabled("cpu", enabled)


def is_autocast_cache_enabled():
    return _state.cache_enabled


def set_autocast_cache_enabled(enabled):
    if not isinstance(enabled, bool):
        raise TypeError(f"enabled must be a bool (got {type(enabled).__name__})")
    _state.cache_enabled = enabled


def autocast_increment_nesting():
    _state.nesting += 1
    return _state.nesting


def autocast_decrement_nesting():
    _state.nesting -= 1
    return _state.nesting


def clear_autocast_cache():
    """Drops this thread's cached casts of weights (autocast's exit from the
    outermost region does it)."""
    _state.cache.clear()


# --------------------------------------------------------------- autocast

class autocast:
    """Context manager and decorator: the region's listed ops run in mixed
    precision (see the module's doc). `autocast(device_type, dtype=None,
    enabled=True, cache_enabled=None)`: dtype None takes the thread's current
    autocast dtype of the device (torch.bfloat16 on the CPU, torch.float16 on
    CUDA); cache_enabled None the thread's current setting."""

    def __init__(self, device_type, dtype=None, enabled=True, cache_enabled=None):
        if not isinstance(device_type, str):
            raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
        self.fast_dtype = get_autocast_dtype(device_type) if dtype is None else dtype
        self.device = device_type
        if not is_autocast_available(device_type):
            raise RuntimeError(f"User specified an unsupported autocast device_type '{device_type}'")
        self._device = _device_type(device_type)
        self._cache_enabled = is_autocast_cache_enabled() if cache_enabled is None else cache_enabled
        if enabled:
            if self._device == "cuda":
                if not _cuda_available():
                    warnings.warn("CUDA is not available or torch_xla is imported. Disabling autocast.",
                                  stacklevel=2)
                    enabled = False
            elif self.fast_dtype not in _lower_dtypes():
                name = self._device.upper()
                warnings.warn(f"In {name} autocast, but the target dtype is not supported. Disabling "
                              f"autocast.\n{name} Autocast only supports dtypes of "
                              + ", ".join(map(str, _lower_dtypes_listed())) + " currently.",
                              stacklevel=2)
                enabled = False
        self._enabled = enabled

    def __enter__(self):
        d = self._device
        self.prev_cache_enabled = is_autocast_cache_enabled()
        self.prev = is_autocast_enabled(d)
        self.prev_fastdtype = _state.dtype[d]
        set_autocast_dtype(d, self.fast_dtype)
        set_autocast_enabled(d, self._enabled)
        autocast_increment_nesting()
        set_autocast_cache_enabled(self._cache_enabled)
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        d = self._device
        if autocast_decrement_nesting() == 0:
            clear_autocast_cache()
        set_autocast_enabled(d, self.prev)
        _state.dtype[d] = self.prev_fastdtype
        set_autocast_cache_enabled(self.prev_cache_enabled)
        return False

    def __call__(self, func):
        if not callable(func):
            raise TypeError(f"autocast()(func) requires a callable, but got {type(func).__name__}. "
                            f"Did you mean to use autocast as a context manager? For example:\n"
                            f"    with torch.autocast(device_type=...):\n"
                            f"        output = model(input)")

        @functools.wraps(func)
        def decorate_autocast(*args, **kwargs):
            with self:
                return func(*args, **kwargs)
        return decorate_autocast


def _cuda_available():
    import importlib
    return importlib.import_module("ctorch.cuda").is_available()


def _lower_dtypes():
    return tuple(d for d in (getattr(_t, "bfloat16", None), _t.float16) if d is not None)


def _lower_dtypes_listed():
    # the dtypes PyTorch's message names, as ctorch spells them
    return ["torch.bfloat16", "torch.float16"]


# --------------------------------------------------------------- the op lists
# PyTorch's Autocast Op Reference, for the ops ctorch has (names as the ops
# hand them to _dispatch). "lower": to the region's dtype; "fp32": to float32;
# "fp32_dt": to float32 unless the call gives dtype=; "promote": to the widest;
# "banned": PyTorch's error (binary_cross_entropy in a CUDA region).

def _table(lower=(), fp32=(), fp32_dt=(), promote=(), banned=()):
    t = {}
    for names, policy in ((lower, "lower"), (fp32, "fp32"), (fp32_dt, "fp32_dt"), (promote, "promote"),
                          (banned, "banned")):
        for n in names:
            t[n] = policy
    return t


_LISTS = {
    "cpu": _table(
        lower=("conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
               "convolution", "bmm", "mm", "vecdot", "baddbmm", "addmm", "addbmm", "linear", "matmul",
               "prelu", "scaled_dot_product_attention"),
        fp32=("cdist", "trace", "grid_sample", "mse_loss", "cosine_embedding_loss", "nll_loss",
              "hinge_embedding_loss", "poisson_nll_loss", "smooth_l1_loss", "cross_entropy", "l1_loss",
              "huber_loss", "margin_ranking_loss", "soft_margin_loss", "triplet_margin_loss",
              "multi_margin_loss", "kl_div", "multilabel_margin_loss", "binary_cross_entropy",
              "binary_cross_entropy_with_logits"),
        fp32_dt=("prod",),
        promote=("cat", "stack")),
    "cuda": _table(
        lower=("matmul", "addbmm", "addmm", "addmv", "addr", "baddbmm", "bmm", "multi_dot", "conv1d",
               "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
               "convolution", "linear", "mm", "mv", "prelu", "rnn_tanh_cell", "rnn_relu_cell",
               "lstm_cell", "gru_cell", "einsum", "vecdot", "scaled_dot_product_attention"),
        fp32=("binary_cross_entropy_with_logits", "cosine_embedding_loss", "cdist", "cosine_similarity",
              "cross_entropy", "group_norm", "hinge_embedding_loss", "kl_div", "l1_loss", "layer_norm",
              "margin_ranking_loss", "mse_loss", "multilabel_margin_loss", "multi_margin_loss",
              "nll_loss", "normalize", "pdist", "poisson_nll_loss", "smooth_l1_loss", "huber_loss",
              "soft_margin_loss", "softplus", "triplet_margin_loss", "acos", "asin", "cosh", "erfinv", "exp",
              "expm1", "log", "log10", "log2", "log1p", "reciprocal", "rsqrt", "sinh", "tan", "pow"),
        fp32_dt=("softmax", "log_softmax", "softmin", "sum", "prod", "cumsum", "cumprod", "norm"),
        promote=("atan2", "bilinear", "dot", "grid_sample", "tensordot", "cat", "stack"),
        banned=("binary_cross_entropy",)),
}

_BANNED_MESSAGE = (
    "torch.nn.functional.binary_cross_entropy and torch.nn.BCELoss are unsafe to autocast.\n"
    "Many models use a sigmoid layer right before the binary cross entropy layer.\n"
    "In this case, combine the two layers using torch.nn.functional.binary_cross_entropy_with_logits\n"
    "or torch.nn.BCEWithLogitsLoss.  binary_cross_entropy_with_logits and BCEWithLogits are\n"
    "safe to autocast.")


def _first_device_type(values):
    for v in values:
        if isinstance(v, Tensor):
            return v.device.type
        if type(v) in (list, tuple):
            d = _first_device_type(v)
            if d is not None:
                return d
    return None


def _eligible(v, device):
    return isinstance(v, Tensor) and v.is_floating_point() and v.dtype is not _t.float64 \
        and v.device.type == device


def _to(v, dtype, lower):
    """v cast to dtype; casts of float32 leaves that need a gradient to the
    lower precision dtype are cached for the rest of the outermost region."""
    if (lower and _state.cache_enabled and v.dtype is _t.float32 and v.requires_grad and v.is_leaf
            and v._base is None):
        key = id(v)
        hit = _state.cache.get(key)
        if hit is not None and hit[0]() is v and hit[1].dtype is dtype:
            return hit[1]
        r = v.to(dtype)
        _state.cache[key] = (weakref.ref(v), r)
        return r
    return v.to(dtype)


def _cast(v, device, dtype, lower):
    if isinstance(v, Tensor):
        return _to(v, dtype, lower) if _eligible(v, device) and v.dtype is not dtype else v
    if type(v) in (list, tuple):
        return type(v)(_cast(x, device, dtype, lower) for x in v)
    return v


def _widest(values, device, widest):
    """PyTorch's promotion among an op's eligible floating arguments: float32
    over the lower precision dtype; two different lower precision dtypes are
    an error."""
    for v in values:
        if type(v) in (list, tuple):
            widest = _widest(v, device, widest)
        elif _eligible(v, device) and v.dtype is not widest:
            if widest is _t.float32 or v.dtype is _t.float32:
                widest = _t.float32
            else:
                raise RuntimeError("Unexpected floating ScalarType in at::autocast::prioritize")
    return widest


def _dispatch(name, fn, args, kwargs):
    """Runs a listed op inside a region: its arguments cast per the list of the
    device its tensors are on, then the op with autocast suspended."""
    flags = _flags()
    device = _first_device_type(args)
    if device is None and kwargs:
        device = _first_device_type(kwargs.values())
    policy = _LISTS[device].get(name) if device in _BITS and _state.enabled[device] else None
    if policy is not None:
        if policy == "fp32_dt" and kwargs and kwargs.get("dtype") is not None:
            policy = None
    if policy == "banned":
        raise RuntimeError(_BANNED_MESSAGE)
    if policy is not None:
        if policy == "lower":
            dtype, lower = get_autocast_dtype(device), True
        elif policy == "promote":
            dtype, lower = _widest(args, device, get_autocast_dtype(device)), False
        else:
            dtype, lower = _t.float32, False
        args = _cast(args, device, dtype, lower)
        if kwargs:
            kwargs = {k: _cast(v, device, dtype, lower) for k, v in kwargs.items()}
    _push_flags(0)
    try:
        return fn(*args, **kwargs) if kwargs else fn(*args)
    finally:
        _push_flags(flags)


_products._autocast_hook = _dispatch
_reduce._autocast_hook = _dispatch
_shape._autocast_hook = _dispatch
_elementwise._autocast_hook = _dispatch


# --------------------------------------------------------------- custom Functions

def _cast_inputs(value, device, dtype):
    if isinstance(value, Tensor):
        ok = value.is_floating_point() and value.device.type == device and value.dtype is not _t.float64
        return value.to(dtype) if ok else value
    if isinstance(value, (str, bytes)):
        return value
    if isinstance(value, dict):
        return {_cast_inputs(k, device, dtype): _cast_inputs(v, device, dtype) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cast_inputs(v, device, dtype) for v in value)
    return value


def custom_fwd(fwd=None, *, device_type, cast_inputs=None):
    """Decorator for the forward of a custom autograd.Function: records the
    autocast state for custom_bwd; with cast_inputs, inside an enabled region
    the floating inputs are cast to it and forward runs with autocast off."""
    if not isinstance(device_type, str):
        raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
    if fwd is None:
        return functools.partial(custom_fwd, device_type=device_type, cast_inputs=cast_inputs)

    @functools.wraps(fwd)
    def decorate_fwd(*args, **kwargs):
        args[0]._dtype = get_autocast_dtype(device_type)
        if cast_inputs is None:
            args[0]._fwd_used_autocast = is_autocast_enabled(device_type)
            return fwd(*args, **kwargs)
        args[0]._fwd_used_autocast = False
        if is_autocast_enabled(device_type):
            with autocast(device_type=device_type, enabled=False):
                return fwd(*_cast_inputs(args, device_type, cast_inputs),
                           **_cast_inputs(kwargs, device_type, cast_inputs))
        return fwd(*args, **kwargs)
    return decorate_fwd


def custom_bwd(bwd=None, *, device_type):
    """Decorator for the backward of a custom autograd.Function: runs it with
    the autocast state its forward (decorated with custom_fwd) ran with."""
    if not isinstance(device_type, str):
        raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
    if bwd is None:
        return functools.partial(custom_bwd, device_type=device_type)

    @functools.wraps(bwd)
    def decorate_bwd(*args, **kwargs):
        with autocast(device_type=device_type, enabled=args[0]._fwd_used_autocast, dtype=args[0]._dtype):
            return bwd(*args, **kwargs)
    return decorate_bwd
