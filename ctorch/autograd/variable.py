"""torch.autograd.Variable: the pre-0.4 wrapper, now a tensor. Variable(t)
is t's data as a new tensor (requires_grad as asked); every tensor is an
instance of Variable."""
import warnings

from ctorch._core.tensor import Tensor

__all__ = ["Variable"]


class _VariableMeta(type):
    def __call__(cls, data=None, requires_grad=False, volatile=False):
        if volatile:
            warnings.warn("volatile was removed and now has no effect. Use `with torch.no_grad():` "
                          "instead.", UserWarning, stacklevel=2)
        if data is None:
            from ctorch import empty
            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        r = data.detach()
        if requires_grad:
            r.requires_grad_(True)
        return r

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor)


class Variable(metaclass=_VariableMeta):
    """Variable(data, requires_grad=False): a tensor (legacy API)."""
