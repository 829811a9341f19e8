"""The torch namespace's infrastructure: numeric limits of the dtypes
(finfo, iinfo), type predicates (is_tensor, is_storage, is_nonzero, is_signed,
typename), the library-wide switches (matmul precision, deterministic
algorithms, warn-always, flush-denormal, inter-op threads), layouts and
memory formats, and the Tensor methods that go with them (is_nonzero,
is_signed, const_data_ptr, as_subclass, apply_/map_/map2_, volatile).

Loaded on first use of any of these names (ctorch._ON_FIRST_USE)."""
import warnings

from ctorch._core.tensor import Tensor, strided, _install_method
from ctorch._core.dtype import get_default_dtype, _dtype_list
from ctorch._core.dispatch import device, get_num_threads, set_num_threads
from ctorch._ops.creation import _set_fill_uninitialized

__all__ = [
    "finfo", "iinfo", "typename", "is_tensor", "is_storage", "is_nonzero", "is_signed",
    "get_device", "get_device_module", "is_inference",
    "get_float32_matmul_precision", "set_float32_matmul_precision",
    "use_deterministic_algorithms", "are_deterministic_algorithms_enabled",
    "is_deterministic_algorithms_warn_only_enabled", "get_deterministic_debug_mode",
    "set_deterministic_debug_mode", "set_warn_always", "is_warn_always_enabled",
    "get_num_interop_threads", "set_num_interop_threads", "init_num_threads",
    "layout", "memory_format", "contiguous_format", "channels_last", "channels_last_3d",
    "preserve_format", "detach", "detach_",
]

(_bool, _uint8, _int8, _int16, _int32, _int64, _float16, _float32, _float64,
 _complex64, _complex128, _bfloat16) = _dtype_list()


_DTYPE = _float32.__class__


def _name(dt):
    return str(dt).rpartition(".")[2]


def _fmt(v):
    return f"{v:g}"


# ------------------------------------------------------------------ finfo

# per floating dtype: bits, eps, max, tiny (the smallest normal), resolution
_FLOAT_INFO = {
    _float16: (16, 2.0 ** -10, 65504.0, 2.0 ** -14, 0.001),
    _float32: (32, 2.0 ** -23, (2.0 - 2.0 ** -23) * 2.0 ** 127, 2.0 ** -126, 1e-06),
    _float64: (64, 2.0 ** -52, (2.0 - 2.0 ** -52) * 2.0 ** 1023, 2.0 ** -1022, 1e-15),
    # bfloat16: float32's exponent range with 8 significant bits
    _bfloat16: (16, 2.0 ** -7, (2.0 - 2.0 ** -7) * 2.0 ** 127, 2.0 ** -126, 0.01),
}
_COMPLEX_PART = {_complex64: _float32, _complex128: _float64}


def _finfo_attrs(dt):
    bits, eps, max_, tiny, resolution = _FLOAT_INFO[_COMPLEX_PART.get(dt, dt)]
    return {"bits": bits, "eps": eps, "max": max_, "min": -max_, "tiny": tiny,
            "smallest_normal": tiny, "resolution": resolution,
            "dtype": _name(_COMPLEX_PART.get(dt, dt))}


class finfo:
    """Numeric limits of a floating point (or complex: of its parts) dtype;
    the default dtype's without an argument. Read-only: one object per dtype."""

    def __new__(cls, type=None):
        dt = get_default_dtype() if type is None else type
        r = _FINFO.get(dt) if dt.__class__ is _DTYPE else None
        if r is None:
            if not isinstance(type, _DTYPE):
                raise TypeError(f"finfo(): argument 'type' (position 1) must be torch.dtype, "
                                f"not {type.__class__.__name__}")
            raise TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo "
                            "to handle 'torch.finfo'")
        return r

    def __setattr__(self, name, value):
        raise AttributeError(f"attribute '{name}' of 'torch.finfo' objects is not writable")

    def __eq__(self, other):
        if not isinstance(other, finfo):
            return NotImplemented
        return vars(self) == vars(other)

    __hash__ = None

    def __repr__(self):
        return (f"finfo(resolution={_fmt(self.resolution)}, min={_fmt(self.min)}, "
                f"max={_fmt(self.max)}, eps={_fmt(self.eps)}, "
                f"smallest_normal={_fmt(self.smallest_normal)}, tiny={_fmt(self.tiny)}, "
                f"dtype={self.dtype})")

    __str__ = __repr__


def _make_info(cls, attrs):
    r = object.__new__(cls)
    r.__dict__.update(attrs)
    return r


_FINFO = {dt: _make_info(finfo, _finfo_attrs(dt)) for dt in (_float16, _float32, _float64,
                                                              _complex64, _complex128,
                                                              _bfloat16)}


_INT_INFO = {_uint8: (8, 0, 255), _int8: (8, -128, 127), _int16: (16, -32768, 32767),
             _int32: (32, -2 ** 31, 2 ** 31 - 1), _int64: (64, -2 ** 63, 2 ** 63 - 1)}


class iinfo:
    """Numeric limits of an integer dtype. Read-only: one object per dtype."""

    def __new__(cls, type):
        r = _IINFO.get(type) if type.__class__ is _DTYPE else None
        if r is None:
            if not isinstance(type, _DTYPE):
                raise TypeError(f"iinfo(): argument 'type' (position 1) must be torch.dtype, "
                                f"not {type.__class__.__name__}")
            if type is _bool:
                raise TypeError("torch.bool is not supported by torch.iinfo")
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to "
                            "handle 'torch.iinfo'")
        return r

    def __setattr__(self, name, value):
        raise AttributeError(f"attribute '{name}' of 'torch.iinfo' objects is not writable")

    def __eq__(self, other):
        if not isinstance(other, iinfo):
            return NotImplemented
        return vars(self) == vars(other)

    __hash__ = None

    def __repr__(self):
        return f"iinfo(min={_fmt(self.min)}, max={_fmt(self.max)}, dtype={self.dtype})"

    __str__ = __repr__


_IINFO = {dt: _make_info(iinfo, {"bits": b, "min": lo, "max": hi, "dtype": _name(dt)})
          for dt, (b, lo, hi) in _INT_INFO.items()}


# ------------------------------------------------------------- predicates

def _tensor_arg(fname, x):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fname}(): argument 'input' (position 1) must be Tensor, "
                        f"not {type(x).__name__}")
    return x


def is_tensor(obj):
    return isinstance(obj, Tensor)


def is_storage(obj):
    from ctorch._storage import TypedStorage, UntypedStorage
    return isinstance(obj, (TypedStorage, UntypedStorage))


def typename(obj):
    """'torch.FloatTensor' for a float tensor, the qualified class name otherwise."""
    if isinstance(obj, Tensor):
        return obj.type()
    named = obj if isinstance(obj, type) or hasattr(obj, "__qualname__") else type(obj)
    module = getattr(named, "__module__", None)
    name = named.__qualname__ if named is obj else named.__name__
    return name if module in (None, "builtins") else f"{module}.{name}"


def is_nonzero(input):
    return bool(_tensor_arg("is_nonzero", input))


def is_signed(input):
    return _tensor_arg("is_signed", input).dtype not in (_uint8, _bool)


def get_device(input):
    return _tensor_arg("get_device", input).get_device()


def is_inference(input):
    return _tensor_arg("is_inference", input).is_inference()


def get_device_module(device_=None):
    """The module of a device type: ctorch.cpu or ctorch.cuda."""
    import importlib
    if device_ is None:
        from ctorch import cuda
        kind = "cuda" if cuda.is_available() else "cpu"
    elif isinstance(device_, str):
        kind = device(device_).type
    elif isinstance(device_, device):
        kind = device_.type
    else:
        raise RuntimeError(f"Invalid value of device '{device_}', expect torch.device, str, or None")
    if kind not in ("cpu", "cuda"):
        raise RuntimeError(f"Device '{kind}' does not have a corresponding module registered as "
                           f"'torch.{kind}'.")
    return importlib.import_module("ctorch." + kind)


def detach(input):
    return _tensor_arg("detach", input).detach()


def detach_(input):
    return _tensor_arg("detach_", input).detach_()


# ------------------------------------------------------------- switches

_matmul_precision = "highest"


def get_float32_matmul_precision():
    return _matmul_precision


def set_float32_matmul_precision(precision):
    """Recorded for the API: ctorch's CPU float32 products always run in full
    float32 ('highest')."""
    global _matmul_precision
    if not isinstance(precision, str):
        raise RuntimeError(f"set_float32_matmul_precision expects a str, but got "
                           f"{type(precision).__name__}")
    if precision not in ("highest", "high", "medium"):
        warnings.warn(f"{precision} is not one of 'highest', 'high', or 'medium'; the current"
                      f"setFloat32MatmulPrecision call has no effect.", UserWarning, stacklevel=2)
        return
    _matmul_precision = precision


_deterministic = False
_deterministic_warn_only = False


def use_deterministic_algorithms(mode, *, warn_only=False):
    """Deterministic mode. With it on, empty tensors are filled (NaN, or the
    dtype's largest value) instead of holding whatever memory they got, as
    PyTorch does."""
    global _deterministic, _deterministic_warn_only
    if not isinstance(mode, bool):
        raise TypeError(f"_set_deterministic_algorithms(): argument 'mode' (position 1) must be "
                        f"bool, not {type(mode).__name__}")
    if not isinstance(warn_only, bool):
        raise TypeError(f"_set_deterministic_algorithms(): argument 'warn_only' must be bool, "
                        f"not {type(warn_only).__name__}")
    _deterministic = mode
    _deterministic_warn_only = mode and warn_only
    _set_fill_uninitialized(mode)


def are_deterministic_algorithms_enabled():
    return _deterministic


def is_deterministic_algorithms_warn_only_enabled():
    return _deterministic_warn_only


def get_deterministic_debug_mode():
    if not _deterministic:
        return 0
    return 1 if _deterministic_warn_only else 2


def set_deterministic_debug_mode(debug_mode):
    if isinstance(debug_mode, str):
        modes = {"default": 0, "warn": 1, "error": 2}
        if debug_mode not in modes:
            raise RuntimeError(f"invalid value of debug_mode, expected one of `default`, `warn`, "
                               f"`error`, but got {debug_mode}")
        debug_mode = modes[debug_mode]
    elif isinstance(debug_mode, int) and not isinstance(debug_mode, bool):
        if debug_mode not in (0, 1, 2):
            raise RuntimeError(f"invalid value of debug_mode, expected 0, 1, or 2, but got "
                               f"{debug_mode}")
    else:
        raise TypeError(f"debug_mode must be str or int, but got {type(debug_mode)}")
    use_deterministic_algorithms(debug_mode != 0, warn_only=debug_mode == 1)


_warn_always = False


def set_warn_always(b):
    global _warn_always
    _warn_always = bool(b)


def is_warn_always_enabled():
    return _warn_always


# ctorch runs ops in the calling thread (intra-op parallelism is OpenMP's):
# the inter-op count is a setting PyTorch's API has, kept for code that sets it
_interop_threads = None


def get_num_interop_threads():
    return get_num_threads() if _interop_threads is None else _interop_threads


def set_num_interop_threads(n):
    global _interop_threads
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"set_num_interop_threads(): argument 'num' (position 1) must be int, "
                        f"not {type(n).__name__}")
    if n <= 0:
        raise RuntimeError("set_num_interop_threads expects a positive integer")
    _interop_threads = n


def init_num_threads():
    """Applies the intra-op thread count to the calling thread's pool."""
    set_num_threads(get_num_threads())


# -------------------------------------------------- layouts, memory formats

layout = type(strided)


class memory_format:
    """torch.memory_format: how a tensor's dims are laid out in memory."""

    def __init__(self, name):
        self._name = name

    def __repr__(self):
        return "torch." + self._name

    def __reduce__(self):
        return self._name


contiguous_format = memory_format("contiguous_format")
channels_last = memory_format("channels_last")
channels_last_3d = memory_format("channels_last_3d")
preserve_format = memory_format("preserve_format")


# --------------------------------------------------------- Tensor methods

def _t_is_nonzero(self):
    return bool(self)


def _t_is_signed(self):
    return self.dtype not in (_uint8, _bool)


def _t_const_data_ptr(self):
    return self.data_ptr()


def _t_as_subclass(self, cls):
    """The same tensor (memory, autograd history) as an instance of cls."""
    if not (isinstance(cls, type) and issubclass(cls, Tensor)):
        raise TypeError("Creating a Tensor subclass from a class that does not inherit from "
                        "Tensor is not possible. Make sure your class inherits from Tensor.")
    if cls is Tensor:
        return self
    r = cls.__new__(cls)
    r.data = self
    r._grad_fn, r._output_nr, r._requires_grad = self._grad_fn, self._output_nr, self._requires_grad
    return r


def _check_callable_target(self, name):
    if self.requires_grad:
        raise RuntimeError(f"Can't call {name}() on Variable that requires grad. "
                           f"Use var.detach().{name}() instead.")
    if not self.is_cpu:
        raise TypeError(f"{name}() is only implemented on CPU tensors")


def _python_values(t):
    return t.reshape(-1).tolist()


def _write_back(self, values):
    from ctorch import tensor
    self.copy_(tensor(values, dtype=self.dtype).reshape(self.shape))
    return self


def _t_apply_(self, callable):
    """Replaces each element x by callable(x) (CPU, a Python call per element)."""
    _check_callable_target(self, "apply_")
    return _write_back(self, [callable(x) for x in _python_values(self)])


def _other_arg(self, other, name, what):
    if not isinstance(other, Tensor):
        raise TypeError(f"{name}(): argument '{what}' must be Tensor, not {type(other).__name__}")
    if other.dtype is not self.dtype:
        raise TypeError(f"{name}: expected {self.type()} for '{what}' (got {other.type()})")
    return other.expand(self.shape)


def _t_map_(self, tensor, callable):
    """self[i] = callable(self[i], tensor[i]), tensor broadcast to self's shape."""
    _check_callable_target(self, "map_")
    b = _python_values(_other_arg(self, tensor, "map_", "other"))
    return _write_back(self, [callable(x, y) for x, y in zip(_python_values(self), b)])


def _t_map2_(self, x, y, callable):
    """self[i] = callable(self[i], x[i], y[i])."""
    _check_callable_target(self, "map2_")
    a = _python_values(_other_arg(self, x, "map2_", "x"))
    b = _python_values(_other_arg(self, y, "map2_", "y"))
    return _write_back(self, [callable(s, u, v) for s, u, v in zip(_python_values(self), a, b)])


def _t_volatile(self):
    warnings.warn("volatile was removed (Variable.volatile is always False)", UserWarning,
                  stacklevel=2)
    return False


for _n, _f in (("is_nonzero", _t_is_nonzero), ("is_signed", _t_is_signed),
               ("const_data_ptr", _t_const_data_ptr), ("as_subclass", _t_as_subclass),
               ("apply_", _t_apply_), ("map_", _t_map_), ("map2_", _t_map2_)):
    _install_method(_n, _f)
_install_method("volatile", property(_t_volatile))
del _n, _f
