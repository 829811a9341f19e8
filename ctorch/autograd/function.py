"""torch.autograd.Function: user-defined ops with their own backward."""
from ctorch._core.tensor import Tensor
from ctorch.autograd._node import _function_node, _needs_input_grad, _set_output
from ctorch.autograd.grad_mode import is_grad_enabled, no_grad

__all__ = ["Function", "FunctionCtx", "once_differentiable"]


class FunctionCtx:
    """The `ctx` handed to forward and backward."""

    def __init__(self):
        self._saved = ()
        self._dirty = set()
        self._non_diff = set()
        self.materialize_grads = True
        self.needs_input_grad = ()
        self._released = False

    def save_for_backward(self, *tensors):
        for t in tensors:
            if t is not None and not isinstance(t, Tensor):
                raise TypeError("save_for_backward can only save variables, but argument "
                                f"{tensors.index(t)} is of type {type(t).__name__}")
        self._saved = tuple((t, t._version if t is not None else 0) for t in tensors)

    @property
    def saved_tensors(self):
        if self._released:
            raise RuntimeError("Trying to backward through the graph a second time (or directly access "
                               "saved tensors after they have already been freed). Specify "
                               "retain_graph=True if you need to backward through the graph a second time.")
        out = []
        for t, version in self._saved:
            if t is not None and t._version != version:
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified by an inplace "
                    f"operation: [torch.{t.type().split('.')[-1]} {list(t.shape)}] is at version "
                    f"{t._version}; expected version {version} instead.")
            out.append(t)
        return tuple(out)

    saved_variables = saved_tensors

    def mark_dirty(self, *tensors):
        self._dirty = {id(t) for t in tensors}

    def mark_non_differentiable(self, *tensors):
        self._non_diff = {id(t) for t in tensors}

    def set_materialize_grads(self, value):
        self.materialize_grads = bool(value)


class _FunctionMeta(type):
    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        cls._backward_name = name + "Backward"


class Function(metaclass=_FunctionMeta):
    """Subclass with static forward(ctx, *args) and backward(ctx, *grads); call .apply."""

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    @classmethod
    def apply(cls, *args, **kwargs):
        ctx = FunctionCtx()
        ctx.needs_input_grad = tuple(_needs_input_grad(a) for a in args)
        track = is_grad_enabled() and any(ctx.needs_input_grad)
        with no_grad():
            outputs = cls.forward(ctx, *args, **kwargs)
        if not track:
            return outputs
        single = not isinstance(outputs, tuple)
        outs = (outputs,) if single else outputs
        tensor_args = tuple(a if isinstance(a, Tensor) else None for a in args)
        # what a missing gradient is materialized from: (empty tensor of the output's
        # dtype and device, shape). The outputs themselves must not be held here: they
        # hold the node, which holds this closure, and the graph would become a cycle.
        out_meta = tuple((o.detach().new_empty((0,)), tuple(o.shape)) if isinstance(o, Tensor) else None
                         for o in outs)

        def run_backward(node, grads):
            if isinstance(grads, Tensor):
                grads = [grads]
            if ctx.materialize_grads:
                grads = [g if g is not None or m is None else m[0].new_zeros(m[1])
                         for g, m in zip(grads, out_meta)]
            result = cls.backward(ctx, *grads)
            if not isinstance(result, tuple):
                result = (result,)
            if len(result) < len(args):
                result = result + (None,) * (len(args) - len(result))
            elif len(result) > len(args):
                extra = result[len(args):]
                if any(r is not None for r in extra):
                    raise RuntimeError(f"function {cls._backward_name} returned an incorrect number of "
                                       f"gradients (expected {len(args)}, got {len(result)})")
                result = result[:len(args)]
            return [r if needs else None for r, needs in zip(result, ctx.needs_input_grad)]

        node = _function_node(cls._backward_name, run_backward, tensor_args, len(outs))
        for nr, o in enumerate(outs):
            if isinstance(o, Tensor) and id(o) not in ctx._non_diff:
                if o.is_floating_point() or o.is_complex():
                    if any(o is a for a in args) and id(o) not in ctx._dirty:
                        # an input returned as is: the output is a new alias of it
                        o = o.view_as(o)
                        outs = outs[:nr] + (o,) + outs[nr + 1:]
                    _set_output(o, node, nr)
        return outs[0] if single else outs


def once_differentiable(fn):
    """Marks a backward as not differentiable itself: it runs without grad mode."""
    import functools

    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with no_grad():
            return fn(ctx, *args)
    return wrapper
