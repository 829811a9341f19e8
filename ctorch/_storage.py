"""Storages and the legacy tensor types: torch.UntypedStorage (a device
buffer's bytes), torch.TypedStorage (the same memory seen as elements of one
dtype; Tensor.storage()), the FloatStorage/... and FloatTensor/... classes
(constructors, and isinstance checks by dtype), set_default_tensor_type, and
the Tensor methods over storages: storage, untyped_storage, set_, is_set_to.

Every storage is a view of a ctorch._core Storage (the tensor's own memory):
reads and writes go through tensors made over it, so they run in ctorch's
kernels on any device. Loaded on first use (ctorch._ON_FIRST_USE)."""
import warnings

from ctorch._core.tensor import (Tensor, Size, _install_method, _tensor_over, _storage_of,
                                 _set_to)
from ctorch._core.dtype import _dtype_list, set_default_dtype
from ctorch._core.dispatch import device as _device

__all__ = [
    "UntypedStorage", "TypedStorage", "FloatStorage", "DoubleStorage", "HalfStorage",
    "LongStorage", "IntStorage", "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage",
    "ComplexFloatStorage", "ComplexDoubleStorage", "FloatTensor", "DoubleTensor", "HalfTensor",
    "LongTensor", "IntTensor", "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor",
    "set_default_tensor_type", "StorageBase", "Storage", "BFloat16Storage", "BFloat16Tensor",
]

(_bool, _uint8, _int8, _int16, _int32, _int64, _float16, _float32, _float64,
 _complex64, _complex128, _bfloat16) = _dtype_list()

# dtype -> the legacy name stem (FloatStorage, FloatTensor)
_STEMS = {_float32: "Float", _float64: "Double", _float16: "Half", _int64: "Long",
          _int32: "Int", _int16: "Short", _int8: "Char", _uint8: "Byte", _bool: "Bool",
          _complex64: "ComplexFloat", _complex128: "ComplexDouble", _bfloat16: "BFloat16"}


def _bytes_over(core):
    """A uint8 tensor over all of a core Storage."""
    return _tensor_over(core, _uint8, 0, [core.nbytes_()], [1])


def _new_core(nbytes, device):
    from ctorch import empty
    return _storage_of(empty(nbytes, dtype=_uint8, device=device))


def _fmt_elements(values, device_desc, cls_desc, n):
    lines = "".join(f" {v}\n" for v in values)
    return f"{lines}[{cls_desc}{device_desc} of size {n}]"


class StorageBase:
    """The base class of UntypedStorage (PyTorch's torch._C.StorageBase):
    isinstance(s, torch.StorageBase) holds for every untyped storage."""

    __slots__ = ()


class UntypedStorage(StorageBase):
    """A buffer of bytes on one device (Tensor.untyped_storage())."""

    def __init__(self, *args, device=None, _core=None):
        if _core is not None:
            self._core = _core
            return
        if len(args) > 1:
            raise TypeError(f"UntypedStorage(): expected at most 1 argument, got {len(args)}")
        arg = args[0] if args else 0
        if isinstance(arg, int) and not isinstance(arg, bool):
            if arg < 0:
                raise RuntimeError(f"Trying to create tensor with negative dimension {arg}")
            self._core = _new_core(arg, device)
        elif isinstance(arg, (list, tuple)):
            from ctorch import tensor
            self._core = _storage_of(tensor(list(arg), dtype=_uint8, device=device))
        else:
            raise TypeError(f"UntypedStorage(): could not infer a storage from "
                            f"{type(arg).__name__}")

    def _bytes(self):
        return _bytes_over(self._core)

    def size(self):
        return self._core.nbytes_()

    nbytes = size

    def __len__(self):
        return self._core.nbytes_()

    def element_size(self):
        return 1

    def data_ptr(self):
        return self._core.data_ptr()

    @property
    def device(self):
        return self._bytes().device

    @property
    def is_cuda(self):
        return self._core.device_code() >= 0

    def is_shared(self):
        return False

    def type(self):
        return "torch.UntypedStorage"

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            raise TypeError("UntypedStorage: slices are not supported, index with an int")
        return self._bytes()[_check_index(idx, len(self))].item()

    def __setitem__(self, idx, value):
        self._bytes()[idx] = value

    def __iter__(self):
        return iter(self.tolist())

    def tolist(self):
        return self._bytes().tolist()

    def fill_(self, value):
        self._bytes().fill_(value)
        return self

    def copy_(self, source, non_blocking=False):
        src = source._bytes() if isinstance(source, (UntypedStorage, TypedStorage)) else source
        self._bytes().copy_(src)
        return self

    def clone(self):
        return UntypedStorage(_core=_storage_of(self._bytes().clone()))

    def cpu(self):
        return self if not self.is_cuda else UntypedStorage(_core=_storage_of(self._bytes().cpu()))

    def cuda(self, device=None):
        return UntypedStorage(_core=_storage_of(self._bytes().cuda(device)))

    def untyped(self):
        return self

    def __repr__(self):
        return _fmt_elements(self.tolist(), f"(device={self.device})",
                             "torch.storage.UntypedStorage", len(self))

    __str__ = __repr__


def _check_index(idx, n):
    if not isinstance(idx, int) or isinstance(idx, bool):
        raise TypeError(f"can't index a storage with {type(idx).__name__}")
    if not -n <= idx < n:
        raise IndexError(f"index {idx} out of range for storage of size {n}")
    return idx + n if idx < 0 else idx


_warned_typed = False


def _user_stacklevel():
    """The stacklevel of the first caller outside ctorch."""
    import os
    import sys
    root = os.path.dirname(os.path.abspath(__file__))
    f, level = sys._getframe(1), 1
    while f is not None and os.path.abspath(f.f_code.co_filename).startswith(root):
        f, level = f.f_back, level + 1
    return level


def _warn_typed_storage():
    global _warned_typed
    if not _warned_typed:
        _warned_typed = True
        warnings.warn("TypedStorage is deprecated. It will be removed in the future and "
                      "UntypedStorage will be the only storage class. This should only matter to "
                      "you if you are using storages directly.  To access UntypedStorage "
                      "directly, use tensor.untyped_storage() instead of tensor.storage()",
                      UserWarning, stacklevel=_user_stacklevel())


class _LegacyStorageMeta(type):
    """FloatStorage(...) makes a float32 TypedStorage; isinstance(s, FloatStorage)
    is true for every float32 TypedStorage on the CPU."""

    def __call__(cls, *args, **kwargs):
        if cls.dtype is None:
            return super().__call__(*args, **kwargs)
        if "dtype" in kwargs or "device" in kwargs:
            raise TypeError(f"{cls.__name__}.__new__ received an invalid combination of "
                            f"arguments: dtype and device are fixed by the class")
        if args and isinstance(args[0], UntypedStorage):
            raise TypeError(f"{cls.__name__}.__new__ received an invalid combination of "
                            f"arguments. Argument type not recognized: "
                            f"{type(args[0]).__name__}")
        return TypedStorage(*args, dtype=cls.dtype, **kwargs)

    def __instancecheck__(cls, obj):
        if cls.dtype is None:
            return type.__instancecheck__(cls, obj)
        return (type.__instancecheck__(TypedStorage, obj) and obj.dtype is cls.dtype
                and not obj.is_cuda)

    def __repr__(cls):
        return f"<class 'ctorch.{cls.__name__}'>" if cls.dtype is not None else \
            type.__repr__(cls)


class TypedStorage(metaclass=_LegacyStorageMeta):
    """A storage seen as elements of one dtype (Tensor.storage(); deprecated
    in PyTorch in favour of UntypedStorage, as here)."""

    dtype = None

    def __init__(self, *args, dtype=None, device=None, wrap_storage=None):
        _warn_typed_storage()
        from ctorch import get_default_dtype, tensor
        from ctorch import dtype as _dtype_type
        if dtype is not None and not isinstance(dtype, _dtype_type):
            raise TypeError(f"TypedStorage(): argument 'dtype' must be torch.dtype, not "
                            f"{type(dtype).__name__}")
        self.dtype = get_default_dtype() if dtype is None else dtype
        if wrap_storage is not None:
            if args:
                raise TypeError("TypedStorage.__init__: wrap_storage cannot be given with "
                                "positional arguments")
            if not isinstance(wrap_storage, UntypedStorage):
                raise TypeError(f"TypedStorage.__init__: expected wrap_storage to be an "
                                f"UntypedStorage, but got {type(wrap_storage).__name__}")
            self._untyped_storage = wrap_storage
            return
        if len(args) > 1:
            raise TypeError(f"TypedStorage.__init__: expected at most 1 argument, got {len(args)}")
        arg = args[0] if args else 0
        if isinstance(arg, int) and not isinstance(arg, bool):
            core = _new_core(arg * self.dtype.itemsize, device)
        elif isinstance(arg, (list, tuple)):
            core = _storage_of(tensor(list(arg), dtype=self.dtype, device=device))
        else:
            raise TypeError(f"TypedStorage.__init__ received an invalid combination of "
                            f"arguments. Argument type not recognized: {type(arg)}")
        self._untyped_storage = UntypedStorage(_core=core)

    def _storage_tensor(self):
        """The whole storage as a 1-D tensor of its dtype (shares memory)."""
        return _tensor_over(self._untyped_storage._core, self.dtype, 0, [self.size()], [1])

    def _bytes(self):
        return self._untyped_storage._bytes()

    def size(self):
        return self._untyped_storage.size() // self.dtype.itemsize

    def __len__(self):
        return self.size()

    def nbytes(self):
        return self._untyped_storage.size()

    def element_size(self):
        return self.dtype.itemsize

    def data_ptr(self):
        return self._untyped_storage.data_ptr()

    @property
    def device(self):
        return self._untyped_storage.device

    @property
    def is_cuda(self):
        return self._untyped_storage.is_cuda

    def is_shared(self):
        return False

    def untyped(self):
        return self._untyped_storage

    def type(self, dtype=None, non_blocking=False):
        if dtype is None:
            prefix = "torch.cuda." if self.is_cuda else "torch."
            return f"{prefix}{_STEMS[self.dtype]}Storage"
        return self._to(dtype if not isinstance(dtype, str) else _LEGACY_BY_NAME[dtype].dtype)

    def pickle_storage_type(self):
        return f"{_STEMS[self.dtype]}Storage"

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            raise RuntimeError("slices are only supported in UntypedStorage.__getitem__")
        return self._storage_tensor()[_check_index(idx, self.size())].item()

    def __setitem__(self, idx, value):
        self._storage_tensor()[idx] = value

    def __iter__(self):
        return iter(self.tolist())

    def tolist(self):
        return self._storage_tensor().tolist()

    def fill_(self, value):
        self._storage_tensor().fill_(value)
        return self

    def copy_(self, source, non_blocking=False):
        src = source._storage_tensor() if isinstance(source, TypedStorage) else source
        self._storage_tensor().copy_(src)
        return self

    def _to(self, dtype):
        t = self._storage_tensor().to(dtype, copy=True)
        return TypedStorage(wrap_storage=UntypedStorage(_core=_storage_of(t)), dtype=dtype)

    def clone(self):
        return self._to(self.dtype)

    def cpu(self):
        if not self.is_cuda:
            return self
        t = self._storage_tensor().cpu()
        return TypedStorage(wrap_storage=UntypedStorage(_core=_storage_of(t)), dtype=self.dtype)

    def cuda(self, device=None):
        t = self._storage_tensor().cuda(device)
        return TypedStorage(wrap_storage=UntypedStorage(_core=_storage_of(t)), dtype=self.dtype)

    def float(self):
        return self._to(_float32)

    def double(self):
        return self._to(_float64)

    def half(self):
        return self._to(_float16)

    def bfloat16(self):
        return self._to(_bfloat16)

    def long(self):
        return self._to(_int64)

    def int(self):
        return self._to(_int32)

    def short(self):
        return self._to(_int16)

    def char(self):
        return self._to(_int8)

    def byte(self):
        return self._to(_uint8)

    def bool(self):
        return self._to(_bool)

    def complex_float(self):
        return self._to(_complex64)

    def complex_double(self):
        return self._to(_complex128)

    def __repr__(self):
        return _fmt_elements(self.tolist(), f"(dtype={self.dtype}, device={self.device})",
                             "torch.storage.TypedStorage", self.size())

    __str__ = __repr__


def _legacy_storage(dt):
    return _LegacyStorageMeta(f"{_STEMS[dt]}Storage", (TypedStorage,),
                              {"dtype": dt, "__module__": __name__,
                               "__doc__": f"The {dt} TypedStorage of the legacy API."})


FloatStorage = _legacy_storage(_float32)
Storage = FloatStorage          # torch.Storage: the legacy float storage class
DoubleStorage = _legacy_storage(_float64)
HalfStorage = _legacy_storage(_float16)
LongStorage = _legacy_storage(_int64)
IntStorage = _legacy_storage(_int32)
ShortStorage = _legacy_storage(_int16)
CharStorage = _legacy_storage(_int8)
ByteStorage = _legacy_storage(_uint8)
BoolStorage = _legacy_storage(_bool)
ComplexFloatStorage = _legacy_storage(_complex64)
ComplexDoubleStorage = _legacy_storage(_complex128)
BFloat16Storage = _legacy_storage(_bfloat16)


# ------------------------------------------------------ legacy tensor types

class _LegacyTensorMeta(type):
    """torch.FloatTensor & co: calling one makes a CPU tensor of its dtype
    (sizes, data, a tensor or a storage); isinstance(t, FloatTensor) is true
    for every float32 CPU tensor."""

    def __call__(cls, *args, device=None, **kwargs):
        from ctorch import empty, tensor
        if kwargs:
            raise TypeError(f"new() received an invalid combination of arguments - got "
                            f"unexpected keyword argument '{next(iter(kwargs))}'")
        dt = cls.dtype
        if device is not None and _device(device).type != "cpu":
            raise RuntimeError(f"legacy constructor expects device type: cpu but device type: "
                               f"{_device(device).type} was passed")
        if not args:
            return empty(0, dtype=dt)
        if len(args) == 1 and isinstance(args[0], Tensor):
            t = args[0]
            if t.dtype is not dt:
                raise TypeError(f"expected {cls.__name__[:-6].lower()} tensor of dtype {dt} "
                                f"(got {t.dtype})")
            return t.detach()
        if len(args) == 1 and isinstance(args[0], TypedStorage):
            s = args[0]
            if s.dtype is not dt:
                raise RuntimeError(f"Expected a Storage of type {_STEMS[dt]} or an "
                                   f"UntypedStorage, but got {_STEMS[s.dtype]}")
            return s._storage_tensor()
        if len(args) == 1 and isinstance(args[0], UntypedStorage):
            s = args[0]
            n = s.size() // dt.itemsize
            return _tensor_over(s._core, dt, 0, [n], [1])
        if all(isinstance(a, int) and not isinstance(a, bool) for a in args) or \
                (len(args) == 1 and isinstance(args[0], Size)):
            return empty(*args, dtype=dt)
        if len(args) == 1:
            return tensor(args[0], dtype=dt)
        raise TypeError(f"new() received an invalid combination of arguments - got "
                        f"({', '.join(type(a).__name__ for a in args)})")

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj.dtype is cls.dtype and obj.is_cpu

    def __subclasscheck__(cls, sub):
        return type.__subclasscheck__(cls, sub)

    def __repr__(cls):
        return f"<class 'ctorch.{cls.__name__}'>"


def _legacy_tensor(dt):
    return _LegacyTensorMeta(f"{_STEMS[dt]}Tensor", (), {
        "dtype": dt, "is_cuda": False, "is_sparse": False, "__module__": __name__,
        "__doc__": f"The legacy constructor of {dt} CPU tensors."})


FloatTensor = _legacy_tensor(_float32)
DoubleTensor = _legacy_tensor(_float64)
HalfTensor = _legacy_tensor(_float16)
LongTensor = _legacy_tensor(_int64)
IntTensor = _legacy_tensor(_int32)
ShortTensor = _legacy_tensor(_int16)
CharTensor = _legacy_tensor(_int8)
ByteTensor = _legacy_tensor(_uint8)
BoolTensor = _legacy_tensor(_bool)
BFloat16Tensor = _legacy_tensor(_bfloat16)

_LEGACY_BY_NAME = {f"torch.{c.__name__}": c for c in (
    FloatTensor, DoubleTensor, HalfTensor, LongTensor, IntTensor, ShortTensor, CharTensor,
    ByteTensor, BoolTensor, FloatStorage, DoubleStorage, HalfStorage, LongStorage, IntStorage,
    ShortStorage, CharStorage, ByteStorage, BoolStorage, ComplexFloatStorage,
    ComplexDoubleStorage, BFloat16Tensor, BFloat16Storage)}


def set_default_tensor_type(t):
    """Deprecated: sets the default dtype from a legacy type (a class or its name)."""
    warnings.warn("torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use "
                  "torch.set_default_dtype() and torch.set_default_device() as alternatives.",
                  UserWarning, stacklevel=2)
    if isinstance(t, str):
        if t not in _LEGACY_BY_NAME or not t.endswith("Tensor"):
            raise TypeError(f"invalid type: '{t}'")
        t = _LEGACY_BY_NAME[t]
    if not isinstance(t, _LegacyTensorMeta):
        raise TypeError(f"invalid type object: {t!r}")
    if not t.dtype.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    set_default_dtype(t.dtype)


# --------------------------------------------------------- Tensor methods

def _t_untyped_storage(self):
    r = object.__new__(UntypedStorage)
    r._core = _storage_of(self)
    return r


def _t_storage(self):
    """The tensor's memory as a TypedStorage of its dtype (all of it, from
    element 0 of the storage, whatever the tensor's offset)."""
    return TypedStorage(wrap_storage=_t_untyped_storage(self), dtype=self.dtype)


def _t_set_(self, source=None, storage_offset=0, size=None, stride=None):
    """Makes self a view of source (a tensor or a storage), with the given
    offset (in elements), sizes and strides; without a source, of an empty
    storage."""
    from ctorch import empty
    if self.requires_grad and self.grad_fn is None:
        from ctorch.autograd._node import is_grad_enabled
        if is_grad_enabled():
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                               "operation.")
    if source is None:
        return _set_to(self, empty(0, dtype=self.dtype, device=self.device))
    if isinstance(source, Tensor):
        if source.dtype is not self.dtype:
            raise RuntimeError(f"Could not set tensor of type {_c_name(source.dtype)} to a tensor "
                               f"of type {_c_name(self.dtype)}")
        if size is None:
            if storage_offset != 0 or stride is not None:
                raise TypeError("set_(): size is required when storage_offset or stride is given")
            return _set_to(self, source)
        core = _storage_of(source)
    elif isinstance(source, TypedStorage):
        if source.dtype is not self.dtype:
            raise RuntimeError(f"Expected a Storage of type {_c_name(self.dtype)} or an "
                               f"UntypedStorage, but got type {_STEMS[source.dtype]} for argument "
                               f"1 'storage'")
        core = source._untyped_storage._core
    elif isinstance(source, UntypedStorage):
        core = source._core
    else:
        raise TypeError(f"set_() received an invalid combination of arguments - got "
                        f"({type(source).__name__}), but expected one of: (), (Storage source), "
                        f"(Storage source, int storage_offset, tuple of ints size, tuple of ints "
                        f"stride), (Tensor source), (Tensor source, int storage_offset, tuple of "
                        f"ints size, tuple of ints stride)")
    isz = self.dtype.itemsize
    if size is None:
        size = [core.nbytes_() // isz - storage_offset]
    size = list(size)
    if stride is None or len(stride) == 0:
        stride, acc = [0] * len(size), 1
        for d in range(len(size) - 1, -1, -1):
            stride[d] = acc
            acc *= max(size[d], 1)
    stride = list(stride)
    if len(stride) != len(size):
        raise RuntimeError(f"mismatch in length of strides and shape")
    if storage_offset < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {storage_offset}")
    need = 0 if 0 in size else (storage_offset + 1 + sum((s - 1) * st for s, st in
                                                          zip(size, stride))) * isz
    if need > core.nbytes_():
        raise RuntimeError(f"setStorage: sizes {size}, strides {stride}, storage offset "
                           f"{storage_offset}, and itemsize {isz} requiring a storage size of "
                           f"{need} are out of bounds for storage of size {core.nbytes_()}")
    return _set_to(self, _tensor_over(core, self.dtype, storage_offset, size, stride))


_C_NAMES = {_float32: "float", _float64: "double", _float16: "c10::Half", _int64: "long int",
            _int32: "int", _int16: "short int", _int8: "signed char", _uint8: "unsigned char",
            _bool: "bool", _complex64: "c10::complex<float>", _complex128: "c10::complex<double>",
            _bfloat16: "c10::BFloat16"}


def _c_name(dt):
    return _C_NAMES[dt]


def _t_is_set_to(self, tensor):
    """True when both tensors are the same view of the same memory."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"is_set_to(): argument 'tensor' (position 1) must be Tensor, not "
                        f"{type(tensor).__name__}")
    return (_storage_of(self) is _storage_of(tensor) and self.dtype is tensor.dtype
            and self.storage_offset() == tensor.storage_offset()
            and self.shape == tensor.shape and self.stride() == tensor.stride())


_install_method("untyped_storage", _t_untyped_storage)
_install_method("storage", _t_storage)
_install_method("set_", _t_set_)
_install_method("is_set_to", _t_is_set_to)
