"""torch.jit: TorchScript's front end for an eager library (loaded on first use).

ctorch has no TorchScript compiler, IR or graph optimiser. `torch.jit.script`
returns PyTorch's kinds of objects (ScriptFunction, RecursiveScriptModule with
ScriptMethods, ...) whose calls are checked against the function's schema as
the TorchScript interpreter checks them, then run the Python code eagerly;
`torch.jit.trace` checks the example inputs, runs the function on them (and
again to compare, with check_trace) and returns a callable that runs the
original code. `.code` gives the Python source; there is no `.graph`.
save/load store the module or function in ctorch's zip checkpoint format
(see ctorch/jit/_saving.py for what is stored).
"""
import contextlib
import typing
import warnings

from ctorch.futures import Future, fork, wait
from ctorch.jit._script import (Attribute, CompilationUnit, Error, RecursiveScriptModule,
                                ScriptFunction, ScriptModule, ScriptWarning, export, freeze, ignore,
                                interface, is_scripting, load, optimize_for_inference, save, script,
                                script_method, unused)
from ctorch.jit._trace import (TopLevelTracedModule, TracedModule, TracerWarning, TracingCheckError,
                               is_tracing, script_if_tracing, trace, trace_module)

__all__ = ["Attribute", "CompilationUnit", "Error", "Final", "Future", "Iterator",
           "RecursiveScriptModule", "ScriptFunction", "ScriptModule", "ScriptWarning",
           "TopLevelTracedModule", "TracedModule", "TracerWarning", "TracingCheckError", "annotate",
           "enable_onednn_fusion", "export", "fork", "freeze", "ignore", "interface", "is_scripting",
           "is_tracing", "isinstance", "load", "onednn_fusion_enabled", "optimize_for_inference",
           "optimized_execution", "save", "script", "script_if_tracing", "script_method",
           "set_fusion_strategy", "strict_fusion", "trace", "trace_module", "unused", "wait"]

Final = typing.Final
Iterator = typing.Iterator


def annotate(the_type, the_value):
    """Gives TorchScript the type of `the_value` (e.g. of an empty list);
    returns `the_value`."""
    return the_value


_builtin_isinstance = isinstance


def isinstance(obj, target_type):
    """`isinstance` that also checks the element types of containers, as
    torch.jit.isinstance does: List[int], Dict[str, Tensor], Tuple[...],
    Optional[...] and Union[...] are checked element by element."""
    bare = {typing.List: "Attempted to use List without a contained type. Please add a contained "
                         "type, e.g. List[int]",
            typing.Dict: "Attempted to use Dict without contained types. Please add contained "
                         "type, e.g. Dict[int, int]",
            typing.Tuple: "Attempted to use Tuple without a contained type. Please add a "
                          "contained type, e.g. Tuple[int]"}
    if target_type in bare:
        raise RuntimeError(bare[target_type])
    if _builtin_isinstance(obj, (list, dict, tuple)) and len(obj) == 0:
        warnings.warn("The inner type of a container is lost when calling torch.jit.isinstance in "
                      "eager mode. For example, List[int] would become list and therefore falsely "
                      "return True for List[float] or List[str].", stacklevel=2)
    return _check_type(obj, target_type)


def _check_type(obj, tp):
    if tp is typing.Any:
        return True
    if tp is None or tp is type(None):
        return obj is None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is None:
        if tp is float:
            return _builtin_isinstance(obj, float)
        return _builtin_isinstance(obj, tp)
    if origin is typing.Union:
        return any(_check_type(obj, a) for a in args)
    if origin is list:
        return _builtin_isinstance(obj, list) and all(_check_type(x, args[0]) for x in obj) \
            if args else _builtin_isinstance(obj, list)
    if origin is dict:
        if not _builtin_isinstance(obj, dict):
            return False
        return not args or all(_check_type(k, args[0]) and _check_type(v, args[1])
                               for k, v in obj.items())
    if origin is tuple:
        if not _builtin_isinstance(obj, tuple):
            return False
        if not args:
            return True
        if len(args) == 2 and args[1] is Ellipsis:
            return all(_check_type(x, args[0]) for x in obj)
        return len(obj) == len(args) and all(_check_type(x, a) for x, a in zip(obj, args))
    return _builtin_isinstance(obj, origin)


# ------------------------------------------------------------------ fusion settings
# ctorch fuses nothing: these record the settings PyTorch's fusers read, with
# PyTorch's checks, so code that sets and reads them runs.

_onednn = [False]
_fusion_strategy = [[("STATIC", 2), ("DYNAMIC", 10)]]
_optimized = [True]


def enable_onednn_fusion(enabled):
    """Records whether oneDNN fusion is enabled (ctorch has no fuser)."""
    _onednn[0] = bool(enabled)


def onednn_fusion_enabled():
    """The setting enable_onednn_fusion recorded (False by default)."""
    return _onednn[0]


def set_fusion_strategy(strategy):
    """Records the fusion strategy, a list of ("STATIC" | "DYNAMIC", depth)
    pairs; returns the previous one (ctorch has no fuser to apply it)."""
    for kind, depth in strategy:
        if kind not in ("STATIC", "DYNAMIC"):
            raise ValueError(f"FusionBehavior only supported 'STATIC' or 'DYNAMIC', got: {kind}")
    previous = _fusion_strategy[0]
    _fusion_strategy[0] = [(kind, depth) for kind, depth in strategy]
    return previous


class strict_fusion:
    """In TorchScript, errors when the enclosed code is not fully fused; in
    eager code (everywhere in ctorch) it warns, as PyTorch does outside
    scripting, and does nothing."""

    def __init__(self):
        if not is_scripting():
            warnings.warn("Only works in script mode", stacklevel=2)

    def __enter__(self):
        return None

    def __exit__(self, type, value, tb):
        return None


@contextlib.contextmanager
def optimized_execution(should_optimize):
    """Records whether scripted code should be optimised inside the block
    (ctorch runs it eagerly either way)."""
    previous = _optimized[0]
    _optimized[0] = bool(should_optimize)
    try:
        yield
    finally:
        _optimized[0] = previous
