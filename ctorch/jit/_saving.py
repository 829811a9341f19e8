"""torch.jit.save / load in ctorch's zip checkpoint format.

There is no TorchScript code to store, so the archive (ctorch.save's format,
one `data.pkl` plus the tensors' storages) holds a dict:
  {"ctorch.jit": 1, "kind": "module", "class": <RecursiveScriptModule or
   TopLevelTracedModule>, "module": <the module as an instance of its
   original class, pickled with its parameters and buffers>, "traced": <the
   traced methods' input kinds>, "extra_files": {...}}
or, for a function, {"kind": "function", "module"/"qualname" (where it is
defined), "source" (its Python source, or its CompilationUnit's), ...}.
Classes and functions are stored by reference, as torch.save stores a module,
so the defining code must be importable where the file is loaded; a function
that cannot be found there is rebuilt from its stored source (with ctorch
bound as `torch`).
"""
import importlib
import os

import ctorch
from ctorch.jit import _script

_MARK = "ctorch.jit"


def _payload_extra(extra):
    if extra is None:
        return {}
    return {str(k): (v if isinstance(v, (bytes, str)) else str(v)) for k, v in extra.items()}


def save_module(sm, f, extra):
    traced = sm.__dict__.get("_jit_traced")
    payload = {_MARK: 1, "kind": "module", "class": type(sm).__name__,
               "module": _script._eager_copy(sm), "traced": traced,
               "frozen": bool(sm.__dict__.get("_jit_frozen")), "extra_files": _payload_extra(extra)}
    ctorch.save(payload, f)


def save_function(sf, f, extra):
    fn = sf._fn
    source = sf._source_unit
    if source is None:
        source = sf.code
    payload = {_MARK: 1, "kind": "function", "name": sf.name, "qualified_name": sf.qualified_name,
               "module": None if sf._source_unit is not None else fn.__module__,
               "qualname": fn.__qualname__, "source": source, "traced": sf._traced_inputs,
               "unit": sf._source_unit is not None, "extra_files": _payload_extra(extra)}
    ctorch.save(payload, f)


def _check_path(f):
    if isinstance(f, (str, os.PathLike)):
        f = os.fspath(f)
        if not os.path.exists(f):
            raise ValueError(f"The provided filename {f} does not exist")
        if os.path.isdir(f):
            raise ValueError(f"The provided filename {f} is a directory")


def load(f, map_location, extra):
    _check_path(f)
    payload = ctorch.load(f, map_location=map_location, weights_only=False)
    if not isinstance(payload, dict) or payload.get(_MARK) != 1:
        raise RuntimeError("torch.jit.load: this file was not written by torch.jit.save (a "
                           "torch.save checkpoint is read with torch.load)")
    if extra is not None:
        for k in extra:
            if k in payload["extra_files"]:
                extra[k] = payload["extra_files"][k]
    if payload["kind"] == "function":
        return _load_function(payload)
    eager = payload["module"]
    if payload["traced"] is not None:
        from ctorch.jit import _trace
        out = _trace._traced_module(eager, payload["traced"])
    else:
        out = _script._script_module(eager)
    if payload.get("frozen"):
        out = _script._frozen(out.eval())
    return out


def _lookup(module, qualname):
    obj = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return obj


def _load_function(payload):
    from ctorch.jit import _trace
    fn = None
    if not payload["unit"] and "<locals>" not in payload["qualname"]:
        try:
            fn = _lookup(payload["module"], payload["qualname"])
        except (ImportError, AttributeError):
            fn = None
        if isinstance(fn, _script.ScriptFunction):
            fn = fn._fn
    if fn is None:
        cu = _script.CompilationUnit(payload["source"])
        sf = cu.find_function(payload["name"])
        if sf is None:
            raise RuntimeError(f"torch.jit.load: the stored source does not define "
                               f"'{payload['name']}'")
        fn = sf._fn
    if payload["traced"] is not None:
        return _trace._traced_function(fn, payload["traced"], payload["name"])
    if payload["unit"]:
        return sf
    return _script._script_function(fn, name=payload["name"])
