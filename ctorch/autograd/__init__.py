"""torch.autograd for ctorch: backward, grad, grad mode, Function, gradcheck."""
from ctorch.autograd import graph  # noqa: F401
from ctorch.autograd.function import Function, FunctionCtx, once_differentiable  # noqa: F401
from ctorch.autograd.grad_mode import (  # noqa: F401
    enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled,
)

__all__ = ["backward", "grad", "Function", "FunctionCtx", "once_differentiable", "no_grad",
           "enable_grad", "set_grad_enabled", "inference_mode", "is_grad_enabled", "gradcheck",
           "gradgradcheck", "graph"]


def __getattr__(name):
    # the engine and gradcheck sit above the ops, which import this package
    # (for its graph nodes) before they exist
    if name in ("backward", "grad"):
        from ctorch.autograd import _engine as module
    elif name in ("gradcheck", "gradgradcheck", "GradcheckError"):
        from ctorch.autograd import _gradcheck as module
    else:
        raise AttributeError(f"module 'ctorch.autograd' has no attribute '{name}'")
    value = globals()[name] = getattr(module, name)
    return value
