"""torch.autograd for ctorch: backward, grad, grad mode, Function, gradcheck.

The graph nodes (`_node`) load with the ops, which import this package for
them; everything else here loads on first use.
"""
__all__ = ["backward", "grad", "Function", "FunctionCtx", "once_differentiable", "no_grad",
           "enable_grad", "set_grad_enabled", "inference_mode", "is_grad_enabled", "gradcheck",
           "gradgradcheck", "graph", "detect_anomaly", "set_detect_anomaly", "Variable"]

# name -> the module that defines it (None: the submodule of that name)
_ON_FIRST_USE = {
    "backward": "_engine", "grad": "_engine",
    "Function": "function", "FunctionCtx": "function", "once_differentiable": "function",
    "no_grad": "grad_mode", "enable_grad": "grad_mode", "set_grad_enabled": "grad_mode",
    "inference_mode": "grad_mode", "is_grad_enabled": "grad_mode",
    "gradcheck": "_gradcheck", "gradgradcheck": "_gradcheck", "GradcheckError": "_gradcheck",
    "graph": None,
    "detect_anomaly": "anomaly_mode", "set_detect_anomaly": "anomaly_mode",
    "Variable": "variable", "SavedTensor": "_node",
    "is_multithreading_enabled": "grad_mode", "set_multithreading_enabled": "grad_mode",
    "is_view_replay_enabled": "grad_mode",
}


def __getattr__(name):
    if name not in _ON_FIRST_USE:
        raise AttributeError(f"module 'ctorch.autograd' has no attribute '{name}'")
    import importlib
    module = importlib.import_module("ctorch.autograd." + (_ON_FIRST_USE[name] or name))
    value = globals()[name] = module if _ON_FIRST_USE[name] is None else getattr(module, name)
    return value


def __dir__():
    return sorted(set(globals()) | set(_ON_FIRST_USE))
