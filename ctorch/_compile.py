"""torch.compile and torch.compiler, eagerly.

ctorch has no graph compiler: torch.compile checks its arguments as PyTorch
does (the same errors for a bad mode, mode together with options, an unknown
backend or a non-callable model) and returns a callable that runs the
original function or module unchanged, which is what PyTorch's own "eager"
backend does. A module comes back wrapped in an OptimizedModule, as in
PyTorch: the original is its `_orig_mod` submodule (so its state_dict keys
carry the "_orig_mod." prefix), attributes are read from and written to the
original, and calling it calls the original module (its hooks run).
"""
import functools

__all__ = ["compile", "OptimizedModule", "InvalidBackend", "disable", "is_compiling",
           "is_dynamo_compiling", "is_exporting", "reset", "list_backends", "allow_in_graph",
           "assume_constant_result"]

_MODES = ("default", "lite", "reduce-overhead", "max-autotune-no-cudagraphs", "max-autotune")
# the backend names PyTorch registers; list_backends() leaves out the debug
# and experimental ones, as PyTorch's does
_BACKENDS = ("cudagraphs", "inductor", "openxla", "tvm")
_OTHER_BACKENDS = ("aot_eager", "aot_eager_decomp_partition", "aot_eager_default_partitioner",
                   "aot_ts", "eager", "eager_debug", "eager_noexcept", "openxla_eval",
                   "pre_dispatch_eager", "ts")


class InvalidBackend(RuntimeError):
    """torch.compile was given a backend name that no backend is registered under."""

    def __init__(self, name):
        super().__init__(f"Invalid backend: {name!r}, see `torch._dynamo.list_backends()` for "
                         f"available backends.")


def list_backends(exclude_tags=("debug", "experimental")):
    """The backend names torch.compile accepts (all run eagerly in ctorch)."""
    return sorted(_BACKENDS if exclude_tags else _BACKENDS + _OTHER_BACKENDS)


def _check_backend(backend, mode):
    if backend is None or backend == "inductor":
        if mode is not None and mode not in _MODES:
            raise RuntimeError(f"Unrecognized mode={mode}, should be one of: {', '.join(_MODES)}")
        return
    if isinstance(backend, str) and backend not in _BACKENDS + _OTHER_BACKENDS:
        raise InvalidBackend(backend)


def _optimized_module_class():
    from ctorch.nn.modules.module import Module

    class OptimizedModule(Module):
        """A compiled module: runs `_orig_mod` (eagerly in ctorch)."""

        _opt_mod_attributes = {"_orig_mod", "forward", "_torchdynamo_orig_callable",
                               "get_compiler_config", "dynamo_ctx", "__dict__"}

        def __init__(self, mod):
            super().__init__()
            self._orig_mod = mod
            object.__setattr__(self, "_torchdynamo_orig_callable", mod.forward)
            object.__setattr__(self, "forward", mod.__call__)
            object.__setattr__(self, "get_compiler_config", lambda: None)

        def __call__(self, *args, **kwargs):
            return self._orig_mod(*args, **kwargs)

        @property
        def training(self):
            return self._orig_mod.training

        @training.setter
        def training(self, value):
            if "_modules" in self.__dict__ and "_orig_mod" in self._modules:
                self._orig_mod.training = value

        def __getattr__(self, name):
            if name == "_orig_mod":
                return self._modules["_orig_mod"]
            return getattr(self._orig_mod, name)

        def __setattr__(self, name, value):
            if name in type(self)._opt_mod_attributes or "_modules" not in self.__dict__ \
                    or "_orig_mod" not in self._modules:
                return super().__setattr__(name, value)
            if name == "training":
                self._orig_mod.training = value
                return
            return setattr(self._orig_mod, name, value)

        def __delattr__(self, name):
            if name in type(self)._opt_mod_attributes:
                return super().__delattr__(name)
            return delattr(self._orig_mod, name)

    OptimizedModule.__module__ = __name__
    return OptimizedModule


def _opt_module_cls():
    cls = globals().get("OptimizedModule")
    if cls is None:
        cls = globals()["OptimizedModule"] = _optimized_module_class()
    return cls


def __getattr__(name):
    # OptimizedModule subclasses nn.Module: made when first asked for
    if name == "OptimizedModule":
        return _opt_module_cls()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def compile(model=None, *, fullgraph=False, dynamic=None, backend="inductor", mode=None, options=None,
            name=None, disable=False, recompile_limit=None, isolate_recompiles=False, shapes_spec=None):
    """Optimizes `model` (a function or an nn.Module) with the given backend.

    ctorch has no compiler: this checks the arguments as torch.compile does
    and returns a callable that runs `model` eagerly, unchanged (a module
    comes back as an OptimizedModule over it). Usable as `torch.compile(fn)`,
    `@torch.compile` and `@torch.compile(...)`. disable=True returns `model`
    itself."""
    if model is None:
        def fn(model):
            if model is None:
                raise RuntimeError("Model can't be None")
            return compile(model, fullgraph=fullgraph, dynamic=dynamic, backend=backend, mode=mode,
                           options=options, name=name, disable=disable, recompile_limit=recompile_limit,
                           isolate_recompiles=isolate_recompiles, shapes_spec=shapes_spec)
        return fn
    if mode is not None and options is not None:
        raise RuntimeError("Either mode or options can be specified, but both can't be specified at "
                           "the same time.")
    _check_backend(backend, mode)
    if dynamic is not None and not isinstance(dynamic, bool):
        raise AssertionError(f"Expected enable to be a bool, got {type(dynamic)}")
    if disable or isinstance(model, type):
        return model
    from ctorch.nn.modules.module import Module
    if isinstance(model, Module):
        return _opt_module_cls()(model)
    if not callable(model):
        raise AssertionError(f"A callable function is expected, but {type(model)} is provided.")

    @functools.wraps(model)
    def compiled(*args, **kwargs):
        return model(*args, **kwargs)
    compiled._torchdynamo_orig_callable = model
    return compiled


# ---------------------------------------------------------------- torch.compiler

def disable(fn=None, recursive=True, *, reason=None):
    """Marks fn to be left out of compilation: in ctorch, where nothing is
    compiled, a wrapper that calls fn (without fn, a decorator making one)."""
    if fn is None:
        return functools.partial(disable, recursive=recursive, reason=reason)

    @functools.wraps(fn)
    def disabled(*args, **kwargs):
        return fn(*args, **kwargs)
    return disabled


def is_compiling():
    """False: ctorch runs every function eagerly, never while tracing it."""
    return False


def is_dynamo_compiling():
    return False


def is_exporting():
    return False


def reset():
    """Clears compilation caches: ctorch keeps none."""
    return None


def allow_in_graph(fn):
    return fn


def assume_constant_result(fn):
    return fn
