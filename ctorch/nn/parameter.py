"""nn.Parameter (a Tensor that a Module registers as a parameter) and nn.Buffer
(a marker that makes a Module register a tensor as a buffer)."""
import weakref

from ctorch._core.tensor import Tensor


def _empty():
    import ctorch
    return ctorch.empty(0)


class Parameter(Tensor):
    """A Tensor that is a module parameter: assigning one as a Module attribute
    registers it. It shares the memory of `data` and requires grad by default."""

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            data = _empty()
        if not isinstance(data, Tensor):
            # what PyTorch raises for a non-tensor
            raise AttributeError(f"'{type(data).__name__}' object has no attribute 'detach'")
        if requires_grad and not (data.is_floating_point() or data.is_complex()):
            raise RuntimeError("Only Tensors of floating point and complex dtype can require "
                               "gradients")
        r = Tensor.__new__(cls)
        r.data = data          # the same memory, no history
        r.requires_grad_(requires_grad)
        return r

    def __init__(self, data=None, requires_grad=True):
        pass                   # everything is done in __new__

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        r = type(self)(self.data.clone(), self.requires_grad)
        memo[id(self)] = r
        return r

    def __reduce_ex__(self, proto):
        return (_rebuild_parameter, (self.data, self.requires_grad))


def _rebuild_parameter(data, requires_grad):
    return Parameter(data, requires_grad)


# Tensors made by Buffer(...): id -> (weak reference, persistent). A plain Tensor
# cannot carry attributes, so the mark is kept beside it.
_BUFFER_MARKS = {}


def _buffer_mark(t):
    """(is_marked, persistent) for a tensor made by nn.Buffer."""
    e = _BUFFER_MARKS.get(id(t))
    if e is not None and e[0]() is t:
        return True, e[1]
    return False, True


class _BufferMeta(type):
    def __instancecheck__(cls, instance):
        if cls is Buffer:
            return isinstance(instance, Tensor) and _buffer_mark(instance)[0]
        return super().__instancecheck__(instance)


class Buffer(Tensor, metaclass=_BufferMeta):
    """Marks a tensor as a buffer: assigning `Buffer(t)` as a Module attribute
    registers it as a buffer (persistent unless persistent=False). The result is
    a plain detached Tensor sharing t's memory."""

    def __new__(cls, data=None, *, persistent=True):
        if data is None:
            data = _empty()
        t = data.detach().requires_grad_(data.requires_grad)
        key = id(t)

        def _drop(_ref, key=key):
            e = _BUFFER_MARKS.get(key)
            if e is not None and e[0] is _ref:
                del _BUFFER_MARKS[key]
        _BUFFER_MARKS[key] = (weakref.ref(t, _drop), bool(persistent))
        return t


# ---------------------------------------------------------------- uninitialized tensors

# What an uninitialized parameter or buffer still answers: its conversions (they
# keep it uninitialized), size(), the dtype and kind predicates, and what
# copying, hashing and pickling need.
_UNINIT_ALLOWED = frozenset({
    "size", "copy_", "is_complex", "is_floating_point", "half", "float", "double", "char",
    "short", "int", "long", "cuda", "cpu", "to", "get_device", "materialize",
    "cls_to_become", "shape", "share_memory_", "data", "requires_grad", "dtype", "device",
    "grad", "grad_fn", "is_leaf", "ndim", "is_cuda", "layout",
})
_UNINIT_CONVERSIONS = ("half", "float", "double", "char", "short", "int", "long", "cuda",
                       "cpu", "to")


def _uninit_error(name):
    kind = "slot wrapper" if name.startswith("__") else "method"
    return ValueError(
        f"Attempted to use an uninitialized parameter in <{kind} '{name}' of "
        "'torch._C.TensorBase' objects>. This error happens when you "
        "are using a `LazyModule` or explicitly manipulating "
        "`torch.nn.parameter.UninitializedParameter` objects. When using LazyModules Call "
        "`forward` with a dummy batch to initialize the parameters before calling torch "
        "functions")


def _guarded(name):
    def method(self, *args, **kwargs):
        raise _uninit_error(name)
    method.__name__ = name
    return method


def _converting(name):
    # the conversion of the (empty) data: a buffer stays uninitialized, a
    # parameter gives the converted tensor (a module's conversion assigns it to
    # the parameter's .data, which keeps the parameter uninitialized)
    def method(self, *args, **kwargs):
        out = getattr(Tensor, name)(self, *args, **kwargs)
        if out is self or isinstance(self, Parameter):
            return out
        return type(self)._wrap(out.detach(), self.requires_grad)
    method.__name__ = name
    return method


class UninitializedTensorMixin:
    """What UninitializedParameter and UninitializedBuffer share: a placeholder
    whose shape is not known yet. Its tensor methods and operators raise until
    `materialize(shape)` gives it memory and turns it into `cls_to_become`."""

    cls_to_become = None

    def materialize(self, shape, device=None, dtype=None):
        """Gives the placeholder uninitialized memory of `shape` (on its device
        and with its dtype unless given) and turns it into `cls_to_become`."""
        import ctorch
        data = Tensor.__getattribute__(self, "data")
        if device is None:
            device = data.device
        if dtype is None:
            dtype = data.dtype
        self.data = ctorch.empty(shape, device=device, dtype=dtype)
        self.__class__ = self.cls_to_become

    @property
    def shape(self):
        raise RuntimeError(
            "Can't access the shape of an uninitialized parameter or buffer. This error "
            "usually happens in `load_state_dict` when trying to load an uninitialized parameter "
            "into an initialized one. Call `forward` to initialize the parameters before "
            "accessing their attributes.")

    def share_memory_(self):
        raise RuntimeError(
            "Can't share memory on an uninitialized parameter or buffer. Call `forward` to "
            "initialize the parameters before calling `module.share_memory()`.")

    def __repr__(self):
        return f"<{self.__class__.__name__}>"

    __str__ = __repr__

    def __format__(self, spec):
        return format(repr(self), spec)

    def __reduce_ex__(self, proto):
        return (_rebuild_uninitialized,
                (type(self), self.requires_grad, self.data.device, self.data.dtype))

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        r = type(self)(self.requires_grad, self.data.device, self.data.dtype)
        memo[id(self)] = r
        return r

    def __getattribute__(self, name):
        if name[0] != "_" and name not in _UNINIT_ALLOWED:
            attr = getattr(Tensor, name, None)
            if attr is not None and callable(attr) and not isinstance(attr, type):
                return _guarded(name).__get__(self)
        return super().__getattribute__(name)


def _rebuild_uninitialized(cls, requires_grad, device, dtype):
    return cls(requires_grad, device, dtype)


for _name in _UNINIT_CONVERSIONS:
    setattr(UninitializedTensorMixin, _name, _converting(_name))

# Python's operators bypass __getattribute__: each one raises on its own. The
# message names the method the operator stands for, as PyTorch's does.
_OPERATORS = {
    "add": ("__add__", "__radd__", "__iadd__"), "sub": ("__sub__", "__rsub__", "__isub__"),
    "mul": ("__mul__", "__rmul__", "__imul__"), "div": ("__truediv__", "__rtruediv__",
                                                        "__itruediv__"),
    "floor_divide": ("__floordiv__", "__rfloordiv__", "__ifloordiv__"),
    "remainder": ("__mod__", "__rmod__", "__imod__"), "pow": ("__pow__", "__rpow__", "__ipow__"),
    "matmul": ("__matmul__", "__rmatmul__", "__imatmul__"),
    "bitwise_and": ("__and__", "__rand__", "__iand__"),
    "bitwise_or": ("__or__", "__ror__", "__ior__"),
    "bitwise_xor": ("__xor__", "__rxor__", "__ixor__"),
    "bitwise_left_shift": ("__lshift__", "__rlshift__", "__ilshift__"),
    "bitwise_right_shift": ("__rshift__", "__rrshift__", "__irshift__"),
    "neg": ("__neg__",), "positive": ("__pos__",), "abs": ("__abs__",),
    "bitwise_not": ("__invert__",), "lt": ("__lt__",), "le": ("__le__",), "gt": ("__gt__",),
    "ge": ("__ge__",), "eq": ("__eq__",), "ne": ("__ne__",), "__getitem__": ("__getitem__",),
    "__setitem__": ("__setitem__",), "__len__": ("__len__",), "__iter__": ("__iter__",),
    "__bool__": ("__bool__",), "__float__": ("__float__",), "__int__": ("__int__",),
    "__index__": ("__index__",), "__array__": ("__array__",), "__contains__": ("__contains__",),
}
for _method, _dunders in _OPERATORS.items():
    for _d in _dunders:
        setattr(UninitializedTensorMixin, _d, _guarded(_method))
UninitializedTensorMixin.__hash__ = Tensor.__hash__
del _name, _method, _dunders, _d


class UninitializedParameter(UninitializedTensorMixin, Parameter):
    """A parameter whose shape is not known yet (a lazy module's, until its first
    forward): every use of it as a tensor raises; `materialize(shape)` turns it
    into a Parameter."""

    cls_to_become = Parameter

    def __new__(cls, requires_grad=True, device=None, dtype=None):
        import ctorch
        return cls._wrap(ctorch.empty(0, device=device, dtype=dtype), requires_grad)

    def __init__(self, requires_grad=True, device=None, dtype=None):
        pass

    @classmethod
    def _wrap(cls, data, requires_grad):
        r = Parameter(data, requires_grad)
        r.__class__ = cls
        return r


class _MaterializedBuffer(Tensor):
    """What a materialized UninitializedBuffer becomes: a tensor of its own type
    only because a plain Tensor's type cannot be assigned to an object (lazy
    modules store plain Tensors in its place)."""


class UninitializedBuffer(UninitializedTensorMixin, Tensor):
    """A buffer whose shape is not known yet (a lazy module's, until its first
    forward): every use of it as a tensor raises; `materialize(shape)` gives it
    memory."""

    cls_to_become = _MaterializedBuffer

    def __new__(cls, requires_grad=False, device=None, dtype=None):
        import ctorch
        return cls._wrap(ctorch.empty(0, device=device, dtype=dtype), requires_grad)

    def __init__(self, requires_grad=False, device=None, dtype=None):
        pass

    @classmethod
    def _wrap(cls, data, requires_grad):
        r = Tensor.__new__(cls)
        r.data = data
        Tensor.requires_grad_(r, requires_grad)
        return r


def is_lazy(param):
    """Whether `param` is an uninitialized parameter or buffer."""
    return isinstance(param, UninitializedTensorMixin)
