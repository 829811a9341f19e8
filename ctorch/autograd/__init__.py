"""torch.autograd for ctorch: backward, grad, grad mode, Function, gradcheck."""
from ctorch.autograd import graph  # noqa: F401
from ctorch.autograd.function import Function, FunctionCtx, once_differentiable  # noqa: F401
from ctorch.autograd.grad_mode import (  # noqa: F401
    enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled,
)
from ctorch.autograd.gradcheck import GradcheckError, gradcheck, gradgradcheck  # noqa: F401

__all__ = ["backward", "grad", "Function", "FunctionCtx", "once_differentiable", "no_grad",
           "enable_grad", "set_grad_enabled", "inference_mode", "is_grad_enabled", "gradcheck",
           "gradgradcheck", "graph"]


def __getattr__(name):
    # the engine sits above the ops, which import this package first
    if name in ("backward", "grad"):
        from ctorch.autograd import _engine
        return getattr(_engine, name)
    raise AttributeError(f"module 'ctorch.autograd' has no attribute '{name}'")
