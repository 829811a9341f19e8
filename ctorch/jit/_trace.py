"""torch.jit.trace, eagerly.

ctorch records no graph: trace() checks the example inputs as PyTorch does
(Tensors and nested tuples/lists/dicts of Tensors), runs the function once on
them (torch.jit.is_tracing() is True meanwhile), checks its outputs as
PyTorch does, and with check_trace runs it again on the example (or
check_inputs) and compares: outputs of a different structure (what a
different graph would give) raise TracingCheckError, values further apart
than check_tolerance warn with TracerWarning. The result (a ScriptFunction,
or a TopLevelTracedModule for a module) checks each call against the schema
the example inputs give, then runs the original Python code: unlike a
PyTorch trace, it follows the data-dependent branches of each call.
"""
import inspect
import threading
import typing
import warnings

import ctorch
from ctorch.nn.modules.module import Module
from ctorch.jit import _script

__all__ = ["trace", "trace_module", "is_tracing", "script_if_tracing", "TracerWarning",
           "TracingCheckError", "TracedModule", "TopLevelTracedModule"]


class TracerWarning(Warning):
    """A warning that a trace may not be correct for other inputs."""

    @staticmethod
    def ignore_lib_warnings():
        warnings.filterwarnings("ignore", category=TracerWarning, module="torch.(?!jit)")
        warnings.filterwarnings("ignore", "torch::jit::fuser::cuda")


class TracingCheckError(Exception):
    """trace()'s check_trace found that two runs on the same inputs differ."""

    def __init__(self, graph_diff_error, tensor_compare_error, extra_msg=None):
        self.message = "Tracing failed sanity checks!\n"
        if extra_msg is not None:
            self.message += extra_msg + "\n"
        if graph_diff_error is not None:
            self.message += "ERROR: Graphs differed across invocations!\n"
            self.message += _indent(graph_diff_error) + "\n"
        if tensor_compare_error is not None:
            self.message += ("ERROR: Tensor-valued Constant nodes differed in value across "
                             "invocations. This often indicates that the tracer has encountered "
                             "untraceable code.\n")
            self.message += _indent(tensor_compare_error) + "\n"
        super().__init__(self.message)


def _indent(s):
    return "\n".join("\t" + line for line in s.splitlines())


_state = threading.local()


def is_tracing():
    """True while torch.jit.trace runs the traced function (on the example
    inputs and for its check); False otherwise, also when a traced function
    is called afterwards."""
    return getattr(_state, "tracing", 0) > 0


def script_if_tracing(fn):
    """`fn`, scripted when it is called during tracing (PyTorch compiles it
    lazily then); called eagerly otherwise."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if not is_tracing():
            return fn(*args, **kwargs)
        return _script.script(fn)(*args, **kwargs)
    wrapper.__original_fn = fn
    wrapper.__script_if_tracing_wrapper = True
    return wrapper


# ------------------------------------------------------------------ value kinds

def _type_name(v):
    if isinstance(v, ctorch.Tensor):
        return "Tensor"
    if v is None:
        return "NoneType"
    if isinstance(v, tuple):
        return "Tuple[" + ", ".join(_type_name(x) for x in v) + "]"
    if isinstance(v, list):
        return "List[" + (_type_name(v[0]) if v else "Tensor") + "]"
    if isinstance(v, dict):
        k, x = next(iter(v.items())) if v else ("", None)
        return f"Dict[{_type_name(k)}, {_type_name(x) if v else 'Tensor'}]"
    return type(v).__name__


def _traceable(v):
    if isinstance(v, ctorch.Tensor):
        return True
    if isinstance(v, (tuple, list)):
        return all(_traceable(x) for x in v)
    if isinstance(v, dict):
        return all(_traceable(x) for x in v.values())
    return False


def _kind(v):
    # a picklable description of an input's TorchScript type
    if isinstance(v, ctorch.Tensor):
        return "Tensor"
    if isinstance(v, tuple):
        return ("tuple", [_kind(x) for x in v])
    if isinstance(v, list):
        return ("list", _kind(v[0]) if v else "Tensor")
    if isinstance(v, dict):
        return ("dict", type(next(iter(v))).__name__ if v else "str",
                _kind(next(iter(v.values()))) if v else "Tensor")
    return type(v).__name__


def _annotation(kind):
    if kind == "Tensor":
        return ctorch.Tensor
    if isinstance(kind, tuple):
        if kind[0] == "tuple":
            return typing.Tuple[tuple(_annotation(k) for k in kind[1])]
        if kind[0] == "list":
            return typing.List[_annotation(kind[1])]
        return typing.Dict[{"str": str, "int": int, "float": float}.get(kind[1], str),
                           _annotation(kind[2])]
    return {"int": int, "float": float, "bool": bool, "str": str}.get(kind, typing.Any)


def _check_inputs_traceable(inputs):
    if not _traceable(inputs):
        raise RuntimeError(f"Type '{_type_name(inputs)}' cannot be traced. Only Tensors and "
                           f"(possibly nested) Lists, Dicts, and Tuples of Tensors can be traced")


def _as_tuple(example_inputs):
    if isinstance(example_inputs, (ctorch.Tensor, dict)):
        return (example_inputs,)
    if isinstance(example_inputs, tuple):
        return example_inputs
    return tuple(example_inputs)     # a non-iterable raises Python's TypeError


_CONTAINER_MSG = ("Encountering a {} at the output of the tracer might cause the trace to be "
                  "incorrect, this is only valid if the container structure does not change based "
                  "on the module's inputs. Consider using a constant container instead (e.g. for "
                  "`list`, use a `tuple` instead. for `dict`, use a `NamedTuple` instead). If you "
                  "absolutely need this and know the side effects, pass strict=False to trace() to "
                  "allow this behavior.")


def _check_outputs(out, strict):
    if out is None:
        raise RuntimeError("The traced function didn't return any values! Side-effects are not "
                           "captured in traces, so it would be a no-op.")
    if not _traceable(out):
        raise RuntimeError("Only tensors, lists, tuples of tensors, or dictionary of tensors can be "
                           "output from traced functions")
    if strict:
        if isinstance(out, dict):
            raise RuntimeError(_CONTAINER_MSG.format("dict"))
        if isinstance(out, list):
            warnings.warn(_CONTAINER_MSG.format("list"), TracerWarning, stacklevel=4)


def _structure(v):
    if isinstance(v, ctorch.Tensor):
        return ("Tensor", tuple(v.shape), str(v.dtype), str(v.device))
    if isinstance(v, (tuple, list)):
        return (type(v).__name__, tuple(_structure(x) for x in v))
    if isinstance(v, dict):
        return ("dict", tuple((k, _structure(x)) for k, x in v.items()))
    return (type(v).__name__,)


def _leaves(v):
    if isinstance(v, (tuple, list)):
        return [y for x in v for y in _leaves(x)]
    if isinstance(v, dict):
        return [y for x in v.values() for y in _leaves(x)]
    return [v]


def _compare_values(a, b, tol):
    """None when the tensors agree within tol (rtol = atol = tol), else the
    description of the difference."""
    if a.dtype.is_floating_point or a.dtype.is_complex:
        with ctorch.no_grad():
            x, y = a.detach().cpu().double(), b.detach().cpu().double()
            diff = (x - y).abs()
            allowed = tol + tol * y.abs()
            bad = (diff > allowed) | (x.isnan() != y.isnan())
            bad = bad & ~(x.isnan() & y.isnan())
            n_bad = int(bad.sum().item())
            if n_bad == 0:
                return None
            rel = diff / y.abs()
            flat = diff.reshape(-1)
            i = int(flat.argmax().item())
            j = int(rel.reshape(-1).nan_to_num(posinf=float("inf")).argmax().item())
            idx_a = _unravel(i, a.shape)
            idx_r = _unravel(j, a.shape)
            return (f"Tensor-likes are not close!\n\nMismatched elements: {n_bad} / {a.numel()} "
                    f"({100.0 * n_bad / max(a.numel(), 1):.1f}%)\n"
                    f"Greatest absolute difference: {flat[i].item()} at index {idx_a} (up to "
                    f"{tol} allowed)\n"
                    f"Greatest relative difference: {rel.reshape(-1)[j].item()} at index {idx_r} "
                    f"(up to {tol} allowed)")
    if not bool(ctorch.equal(a.detach().cpu(), b.detach().cpu())):
        n_bad = int((a.detach().cpu() != b.detach().cpu()).sum().item())
        return (f"Tensor-likes are not equal!\n\nMismatched elements: {n_bad} / {a.numel()} "
                f"({100.0 * n_bad / max(a.numel(), 1):.1f}%)")
    return None


def _unravel(i, shape):
    idx = []
    for s in reversed(tuple(shape)):
        idx.append(i % s)
        i //= s
    return tuple(reversed(idx))


def _clone(v):
    if isinstance(v, ctorch.Tensor):
        c = v.detach().clone()
        return c.requires_grad_(v.requires_grad) if v.requires_grad else c
    if isinstance(v, tuple):
        return tuple(_clone(x) for x in v)
    if isinstance(v, list):
        return [_clone(x) for x in v]
    if isinstance(v, dict):
        return {k: _clone(x) for k, x in v.items()}
    return v


def _run(fn, args, kwargs):
    _state.tracing = getattr(_state, "tracing", 0) + 1
    try:
        return fn(*args, **kwargs)
    finally:
        _state.tracing -= 1


def _check(fn, first, args, kwargs, check_inputs, tol, kw_inputs):
    """Runs fn again on each check input (or the example) and compares with a
    first run on the same input: a different output structure raises
    TracingCheckError, different values warn."""
    runs = []
    if check_inputs is None:
        runs.append((first, args, kwargs))
    else:
        for inp in check_inputs:
            if kw_inputs:
                a, k = (), dict(_clone(inp))
            else:
                a, k = _clone(_as_tuple(inp)), {}
            runs.append((_run(fn, a, k), a, k))
    for expected, a, k in runs:
        got = _run(fn, _clone(a), _clone(k))
        if _structure(expected) != _structure(got):
            raise TracingCheckError(
                f"The outputs' structure differed across invocations on the same inputs:\n"
                f"{_structure(expected)}\n{_structure(got)}", None)
        for n, (x, y) in enumerate(zip(_leaves(expected), _leaves(got)), 1):
            if isinstance(x, ctorch.Tensor):
                diff = _compare_values(x, y, tol)
                if diff is not None:
                    warnings.warn(f"Output nr {n}. of the traced function does not match the "
                                  f"corresponding output of the Python function. Detailed error:\n"
                                  f"{diff}", TracerWarning, stacklevel=4)


def _signature(fn, args, kwargs, skip_self=False):
    """(names, kinds, by_keyword) of the traced inputs."""
    if kwargs:
        return list(kwargs), [_kind(v) for v in kwargs.values()], True
    try:
        params = [p for p in inspect.signature(fn).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        params = []
    if skip_self:
        params = params[1:]
    names = [p.name for p in params[:len(args)]]
    names += [f"x{i}" for i in range(len(names), len(args))]
    return names, [_kind(v) for v in args], False


def _schema_for(name, spec, out_kind):
    from ctorch.jit._types import schema_from_callable
    names, kinds, _ = spec

    # a function with exactly the traced parameters, annotated with the
    # examples' types: its schema is the trace's
    ns = {}
    exec(f"def traced({', '.join(names)}):\n    return None\n", ns)
    traced = ns["traced"]
    traced.__annotations__ = {n: _annotation(k) for n, k in zip(names, kinds)}
    if out_kind is not None:
        traced.__annotations__["return"] = _annotation(out_kind)
    traced.__name__ = traced.__qualname__ = name
    return schema_from_callable(traced, name=name)


def _layout(spec):
    names, _, by_kw = spec
    return [(n, by_kw) for n in names]


def _out_kind(out):
    return _kind(out) if out is not None and _traceable(out) else None


def _traced_function(fn, spec, name):
    """A ScriptFunction over fn with the traced schema; spec is (names, kinds,
    by_keyword, output kind)."""
    code = None
    try:
        code = _script._source_of(fn)
    except OSError:
        pass
    return _script.ScriptFunction._create(fn, _schema_for(name, spec[:3], spec[3]), name=name,
                                  qualified_name="__torch__." + name, code=code,
                                  traced_inputs=tuple(spec), layout=_layout(spec[:3]))


def trace(func, example_inputs=None, optimize=None, check_trace=True, check_inputs=None,
          check_tolerance=1e-05, strict=True, _force_outplace=False, _module_class=None,
          _compilation_unit=None, example_kwarg_inputs=None, _store_inputs=True):
    """Traces a function or an nn.Module on example inputs.

    Runs `func` once on the inputs (checked as PyTorch checks them) and, with
    check_trace, once more to compare; returns a ScriptFunction, or for a
    module a TopLevelTracedModule, that checks each call against the traced
    schema and runs the original code eagerly (no graph is recorded)."""
    if isinstance(func, _script.ScriptModule):
        warnings.warn("The input to trace is already a ScriptModule, tracing it is a no-op. "
                      "Returning the object as is.", stacklevel=2)
        return func
    if isinstance(func, Module) or (inspect.ismethod(func) and isinstance(func.__self__, Module)
                                    and func.__name__ == "forward"):
        mod = func if isinstance(func, Module) else func.__self__
        checks = None if check_inputs is None else [{"forward": ci} for ci in check_inputs]
        if example_inputs is None:
            if not isinstance(example_kwarg_inputs, dict):
                raise RuntimeError("example_kwarg_inputs should be a dict")
            return trace_module(mod, {"forward": example_kwarg_inputs}, optimize, check_trace,
                                checks, check_tolerance, strict, example_inputs_is_kwarg=True)
        return trace_module(mod, {"forward": example_inputs}, optimize, check_trace, checks,
                            check_tolerance, strict)
    if isinstance(func, _script.ScriptFunction):
        func = func._fn
    if not callable(func):
        raise RuntimeError("Could not get name of python class object")
    if example_inputs is None and example_kwarg_inputs is None:
        raise TypeError("'NoneType' object is not iterable")
    if example_kwarg_inputs is not None:
        if not isinstance(example_kwarg_inputs, dict):
            raise RuntimeError("example_kwarg_inputs should be a dict")
        args, kwargs = (), example_kwarg_inputs
        _check_inputs_traceable(tuple(kwargs.values()))
    else:
        args, kwargs = _as_tuple(example_inputs), {}
        _check_inputs_traceable(args)
    out = _run(func, args, kwargs)
    _check_outputs(out, strict)
    if check_trace:
        _check(func, out, args, kwargs, check_inputs, check_tolerance, bool(kwargs))
    name = getattr(func, "__name__", type(func).__name__)
    spec = _signature(func, args, kwargs) + (_out_kind(out),)
    return _traced_function(func, spec, name)


# ------------------------------------------------------------------ modules

class TracedModule(_script.ScriptModule):
    """A module inside a traced module: its parameters, buffers and
    attributes are the original's; its methods run the original code."""

    _disable_script_meta = True

    def __new__(cls, orig, id_set=None, _compilation_unit=None):
        if not isinstance(orig, Module):
            raise TypeError("TracedModule expects an nn.Module")
        return cls._construct(orig, _traced_child)

    def __init__(self, orig, id_set=None, _compilation_unit=None):
        pass    # built by __new__

    def _get_name(self):
        return self.original_name

    def _resolve(self, name, value, cls):
        traced = self.__dict__.get("_jit_traced") or {}
        if inspect.isfunction(value) and name not in traced and \
                _script._modifier(value) not in (_script._UNUSED, _script._EXPORT):
            import types
            return types.MethodType(value, self)
        return super()._resolve(name, value, cls)

    def _make_method(self, name, fn):
        traced = self.__dict__.get("_jit_traced") or {}
        if name in traced:
            spec = traced[name]
            return _TracedMethod._create(self, fn, name, _schema_for(name, spec[:3], spec[3]),
                                 _layout(spec[:3]))
        return super()._make_method(name, fn)

    def _rebuild(self, eager):
        out = type(self)._construct(eager, _traced_child)
        out.__dict__["_jit_traced"] = self.__dict__.get("_jit_traced")
        return out


class TopLevelTracedModule(TracedModule):
    """What torch.jit.trace returns for an nn.Module."""


def _traced_child(m):
    if not isinstance(m, Module) or isinstance(m, _script.ScriptModule):
        return m
    return TracedModule._construct(m, _traced_child)


class _TracedMethod(_script.ScriptMethod):
    @classmethod
    def _create(cls, module, fn, name, schema, layout):
        self = super()._create(module, fn, name, schema)
        self._layout = layout
        return self


def _traced_module(eager, traced):
    tm = TopLevelTracedModule._construct(eager, _traced_child)
    tm.__dict__["_jit_traced"] = dict(traced)
    return tm


def trace_module(mod, inputs, optimize=None, check_trace=True, check_inputs=None,
                 check_tolerance=1e-05, strict=True, _force_outplace=False, _module_class=None,
                 _compilation_unit=None, example_inputs_is_kwarg=False, _store_inputs=True):
    """Traces the methods of `mod` named in `inputs` (method name -> example
    inputs); returns a TopLevelTracedModule whose traced methods check their
    calls against the traced schemas and run the original code."""
    if not isinstance(mod, Module):
        raise AttributeError("expected torch.nn.Module as the first argument")
    if not isinstance(inputs, dict):
        raise AttributeError("expected a dictionary of (method_name, input) pairs")
    traced = {}
    for n, (method_name, example) in enumerate(inputs.items()):
        method = getattr(mod, method_name)
        if example_inputs_is_kwarg:
            if not isinstance(example, dict):
                raise RuntimeError("example_kwarg_inputs should be a dict")
            args, kwargs = (), example
            _check_inputs_traceable(tuple(kwargs.values()))
        else:
            args, kwargs = _as_tuple(example), {}
            _check_inputs_traceable(args)
        call = mod if method_name == "forward" else method
        out = _run(call, args, kwargs)
        _check_outputs(out, strict)
        if check_trace:
            checks = None
            if check_inputs is not None:
                checks = [ci[method_name] if isinstance(ci, dict) else ci for ci in check_inputs]
            _check(call, out, args, kwargs, checks, check_tolerance, bool(kwargs))
        traced[method_name] = _signature(method, args, kwargs) + (_out_kind(out),)
    return _traced_module(mod, traced)
