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
