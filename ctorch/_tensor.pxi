# Tensor methods that run ops -- views, copies, conversions, autograd -- and
# the operators (Tensor's slots, filled in ctorch._core.tensor._slots).

from libc.string cimport memcpy, memset
from libc.stdint cimport int64_t, uint8_t, int8_t, int16_t, int32_t, uint16_t


# ---------------------------------------------------------------- methods

def _t_backward(Tensor self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    _backward(self, gradient, retain_graph, create_graph, inputs)


def _t_register_hook(Tensor self, hook):
    """hook(grad) runs when the gradient of this tensor is computed; its
    return value, if not None, replaces that gradient."""
    if not _needs_grad(self):
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    cdef Node node
    cdef int nr = self._output_nr if self._grad_fn is not None else 0
    node = self._grad_fn if self._grad_fn is not None else _grad_acc(self)
    if self._grad_fn is None:
        # a leaf's AccumulateGrad lives only while a graph uses it: the hooks
        # stay on the tensor and every AccumulateGrad made for it shares them
        if self._backward_hooks is None:
            self._backward_hooks = node._pre_hooks if node._pre_hooks is not None else []
        node._pre_hooks = self._backward_hooks

    def prehook(grads):
        g = grads[nr]
        if g is None:
            return None
        r = hook(g)
        if r is None:
            return None
        out = list(grads)
        out[nr] = r
        return tuple(out)
    return node.register_prehook(prehook)


def _t_retain_grad(Tensor self):
    if self._grad_fn is None:
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        return
    cdef Node node = self._grad_fn
    if node._retain is None:
        node._retain = {}
    node._retain[self._output_nr] = _weakref(self)


def _t_retains_grad(Tensor self):
    if self._grad_fn is None:
        return False
    cdef Node node = self._grad_fn
    return node._retain is not None and self._output_nr in node._retain


# ------------------------------------------------------- conversions


def _t___reduce_ex__(Tensor self, proto):
    return (_rebuild_tensor, (self.detach().clone().numpy(), self._requires_grad))


# ------------------------------------------------------------- copying


# ---------------------------------------------------------- Tensor's slots

cdef int _tensor_init(object self, tuple args, dict kwargs) except -1:
    # torch.Tensor(2, 3) -> uninitialised float tensor; torch.Tensor([1, 2]) -> data
    kwargs.pop("device", None)
    kwargs.pop("dtype", None)
    if kwargs:
        raise TypeError(f"Tensor() got an unexpected keyword argument '{next(iter(kwargs))}'")
    cdef Tensor src
    if len(args) == 1 and not isinstance(args[0], int) and not isinstance(args[0], Size):
        src = tensor(args[0], dtype=_default_dtype)
    else:
        src = empty(*args, dtype=_default_dtype)
    (<Tensor>self)._take(src)
    return 0


cdef int _tensor_contains(object self, object element) except -1:
    if isinstance(element, (Tensor, int, float, bool, complex)):
        return bool((self == element).any().item())
    raise RuntimeError(f"Tensor.__contains__ only supports Tensor or scalar, but you passed in a {type(element)}.")


cdef object _tensor_repr(object self):
    from ctorch._printing import tensor_repr
    return tensor_repr(self)


cdef object _tensor_matmul(object a, object b):
    return matmul(a, b)


_slots.init = _tensor_init
_slots.contains = _tensor_contains
_slots.repr = _tensor_repr
_slots.matmul = _tensor_matmul


cdef _install_tensor_methods():
    _add_method("backward", _t_backward)
    _add_method("register_hook", _t_register_hook)
    _add_method("retain_grad", _t_retain_grad)
    _add_method("__reduce_ex__", _t___reduce_ex__)
    _add_method("retains_grad", property(_t_retains_grad))


_install_tensor_methods()


def _rebuild_tensor(arr, requires_grad):
    t = tensor(arr)
    t.requires_grad_(requires_grad)
    return t



