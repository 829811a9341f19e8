"""torch.jit.script and the classes of scripted code, run eagerly.

ctorch has no TorchScript compiler. Scripting keeps the Python code and runs
it, but every call of a scripted function or method is first checked against
the function's schema (built from its signature and annotations by
ctorch.jit._types), as the TorchScript interpreter checks it: a wrong
argument type or count raises PyTorch's RuntimeError naming the declaration.
A `raise` (or `assert`) inside scripted code surfaces as torch.jit.Error, as
in PyTorch. `.code` is the Python source of the function (PyTorch prints the
compiled TorchScript instead); there is no graph.
"""
import dis
import functools
import inspect
import linecache
import os
import textwrap
import threading
import types

import ctorch
from ctorch.jit._types import Error
from ctorch.nn.modules.module import Module

__all__ = ["ScriptFunction", "ScriptMethod", "ScriptObject", "ScriptModule", "RecursiveScriptModule",
           "CompilationUnit", "Error", "ScriptWarning", "ModuleDict", "ParameterDict", "BufferDict",
           "script", "script_method", "ignore", "unused", "export", "is_scripting", "freeze",
           "optimize_for_inference", "save", "load", "Attribute", "interface"]


class ScriptWarning(Warning):
    """A warning about scripted code."""


# ------------------------------------------------------------------ modifiers

_MODIFIER = "_torchscript_modifier"
_IGNORE, _UNUSED, _EXPORT = "ignore", "unused", "export"


def export(fn):
    """Marks a method of an nn.Module as an entry point of the scripted module
    (compiled, i.e. schema-checked, alongside forward)."""
    setattr(fn, _MODIFIER, _EXPORT)
    return fn


def unused(fn):
    """Marks a function or method as left out of scripting: calling it from
    scripted code raises torch.jit.Error; called from Python it runs."""
    if isinstance(fn, property):
        setattr(fn.fget, _MODIFIER, _UNUSED)
        return fn
    setattr(fn, _MODIFIER, _UNUSED)
    return fn


def ignore(drop=False, **kwargs):
    """Marks a function or method to be left as a Python call in scripted code
    (it runs as Python; its arguments are not schema-checked). `ignore(drop=True)`
    is `unused`. Usable as `@ignore` and `@ignore(drop=...)`."""
    if callable(drop):
        setattr(drop, _MODIFIER, _IGNORE)
        return drop
    if not isinstance(drop, bool):
        raise RuntimeError(f"Argument to @torch.jit.ignore must be a bool or a function but got "
                           f"{drop}")
    drop_on_export = kwargs.pop("drop_on_export", None)
    if kwargs:
        raise TypeError(f"ignore() got an unexpected keyword argument '{next(iter(kwargs))}'")
    drop = drop or bool(drop_on_export)

    def decorator(fn):
        setattr(fn, _MODIFIER, _UNUSED if drop else _IGNORE)
        return fn
    return decorator


def _modifier(fn):
    return getattr(fn, _MODIFIER, None)


def is_scripting():
    """False. PyTorch returns True only inside compiled TorchScript; ctorch runs
    scripted code as Python, so the eager branch of
    `if torch.jit.is_scripting(): ... else: ...` is the one that works here."""
    return False


class Attribute(tuple):
    """`torch.jit.Attribute(value, type)`: declares a module attribute's type;
    scripting (and plain Python) sees `value`."""

    __slots__ = ()
    _fields = ("value", "type")

    def __new__(cls, value, type):
        return tuple.__new__(cls, (value, type))

    value = property(lambda self: self[0])
    type = property(lambda self: self[1])

    def __repr__(self):
        return f"Attribute(value={self[0]!r}, type={self[1]!r})"


def interface(obj):
    """Declares a class as a TorchScript interface; here it stays the class
    itself (Python's duck typing gives interfaces' meaning)."""
    if not inspect.isclass(obj):
        raise RuntimeError("interface must be applied to a class")
    obj.__torch_script_interface__ = True
    return obj


# ------------------------------------------------------------------ running scripted code

_state = threading.local()
_RAISE = dis.opmap["RAISE_VARARGS"]


def _depth():
    return getattr(_state, "depth", 0)


def _raised_by_statement(tb):
    # the innermost frame stopped at a `raise` (or a failed `assert`) in Python
    # code: TorchScript turns exactly those into torch.jit.Error
    while tb.tb_next is not None:
        tb = tb.tb_next
    code = tb.tb_frame.f_code
    if code.co_filename.startswith(_PACKAGE_DIR):
        return None
    if 0 <= tb.tb_lasti < len(code.co_code) and code.co_code[tb.tb_lasti] == _RAISE:
        return tb
    return None


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def _jit_error(exc, tb):
    frame = tb.tb_frame
    line = linecache.getline(frame.f_code.co_filename, tb.tb_lineno).rstrip()
    kind = type(exc)
    msg = str(exc)
    return Error("The following operation failed in the TorchScript interpreter.\n"
                 "Traceback of TorchScript (most recent call last):\n"
                 f'  File "{frame.f_code.co_filename}", line {tb.tb_lineno}, in {frame.f_code.co_name}\n'
                 f"    {line.strip()}\n"
                 f"{kind.__module__}.{kind.__qualname__}: {msg}\n")


def _invoke(fn, args, kwargs):
    _state.depth = _depth() + 1
    try:
        return fn(*args, **kwargs)
    except Error:
        raise
    except Exception as exc:
        tb = _raised_by_statement(exc.__traceback__)
        if tb is None:
            raise
        raise _jit_error(exc, tb) from exc
    finally:
        _state.depth -= 1


def _call_layout(fn, skip_self):
    """How a schema's bound positional list maps onto fn's parameters: the
    names of its keyword-only parameters, or None when fn takes *args/**kwargs
    (then the call goes through as given)."""
    params = list(inspect.signature(fn).parameters.values())[1 if skip_self else 0:]
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
        return None
    return [(p.name, p.kind == p.KEYWORD_ONLY) for p in params]


def _checked_call(fn, schema, layout, name, prefix, args, kwargs):
    bound = schema.bind(args, kwargs)
    if layout is None or len(bound) != len(layout):
        return _invoke(fn, prefix + tuple(args), kwargs)
    pos, kw = list(prefix), {}
    for (pname, kwonly), value in zip(layout, bound):
        if kwonly:
            kw[pname] = value
        else:
            pos.append(value)
    return _invoke(fn, pos, kw)


def _source_of(fn):
    try:
        return textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError) as e:
        raise OSError(f"Can't get source for {fn}. TorchScript requires source access in order to "
                      f"carry out compilation, make sure original .py files are available.") from e


def _qualified(obj):
    module = getattr(obj, "__module__", None) or "__main__"
    if module == "ctorch" or module.startswith("ctorch."):
        module = module[1:]
    name = getattr(obj, "__qualname__", obj.__name__).replace(".<locals>", "")
    return "__torch__." + (name if module == "__main__" else f"{module}.{name}")


class ScriptFunction:
    """
    Functionally equivalent to a :class:`ScriptModule`, but represents a single
    function and does not have any attributes or Parameters.
    """

    def __init__(self, *args, **kwargs):
        # as in PyTorch, only scripting and tracing make these
        raise TypeError("ScriptFunction: No constructor defined!")

    @classmethod
    def _create(cls, fn, schema, *, name=None, qualified_name=None, code=None, doc=None,
                source_unit=None, traced_inputs=None, layout=None):
        self = object.__new__(cls)
        self._fn = fn
        self._schema = schema
        self._name = name or fn.__name__
        self._qualified_name = qualified_name or _qualified(fn)
        self._code = code
        self._layout = _call_layout(fn, False) if layout is None else layout
        self._source_unit = source_unit        # the CompilationUnit source it came from
        self._traced_inputs = traced_inputs    # the example inputs' kinds, for a traced function
        if doc is not None:
            self.__doc__ = doc
        return self

    @property
    def __name__(self):
        # PyTorch's ScriptFunction objects answer their class's name
        return "ScriptFunction"

    @property
    def name(self):
        return self._name

    @property
    def qualified_name(self):
        return self._qualified_name

    @property
    def schema(self):
        return self._schema

    @property
    def code(self):
        """The function's Python source (PyTorch shows the compiled TorchScript)."""
        if self._code is None:
            self._code = _source_of(self._fn)
        return self._code

    def __call__(self, *args, **kwargs):
        return _checked_call(self._fn, self._schema, self._layout, self._name, (), args, kwargs)

    def save(self, f, _extra_files=None):
        """Saves the function in ctorch's zip format (see torch.jit.save)."""
        from ctorch.jit import _saving
        _saving.save_function(self, f, _extra_files)

    def save_to_buffer(self, _extra_files=None):
        import io
        buf = io.BytesIO()
        self.save(buf, _extra_files)
        return buf.getvalue()

    def __reduce__(self):
        import pickle
        raise pickle.PickleError("ScriptFunction cannot be pickled")


ScriptFunction.__module__ = "ctorch.jit"


def _script_function(fn, name=None):
    from ctorch.jit._types import schema_from_callable
    code = _source_of(fn)
    schema = schema_from_callable(fn, name=name)
    return ScriptFunction._create(fn, schema, name=name, code=code, doc=fn.__doc__)


# ------------------------------------------------------------------ modules

class ScriptMethod:
    """A method of a scripted module (e.g. `sm.forward`): calling it checks the
    call against the method's schema, then runs the method's Python code."""

    def __init__(self, *args, **kwargs):
        # as in PyTorch, only scripted modules make these
        raise TypeError("torch._C.ScriptMethod: No constructor defined!")

    @classmethod
    def _create(cls, module, fn, name, schema=None):
        self = object.__new__(cls)
        self._module = module
        self._fn = fn
        self._name = name
        self._schema = schema
        self._layout = _call_layout(fn, True)
        return self

    @property
    def name(self):
        return self._name

    @property
    def owner(self):
        """The scripted module's `_c` object (a torch.ScriptModule)."""
        return self._module._c

    raw_owner = owner

    @property
    def schema(self):
        if self._schema is None:
            from ctorch.jit._types import schema_from_callable
            self._schema = schema_from_callable(self._fn, name=self._name, skip_self=True)
        return self._schema

    @property
    def code(self):
        """The method's Python source (PyTorch shows the compiled TorchScript)."""
        return _source_of(self._fn)

    def __call__(self, *args, **kwargs):
        return _checked_call(self._fn, self.schema, self._layout, self._name, (self._module,),
                             args, kwargs)

    def __repr__(self):
        return f"<ScriptMethod {self._name} of {self._module._c.qualified_name}>"


ScriptMethod.__module__ = "ctorch"


class ScriptObject:
    """An object of a TorchScript class: its attributes are reached through
    getattr/hasattr/setattr, its methods through _get_method."""

    def __init__(self, *args, **kwargs):
        # as in PyTorch, only scripting makes these
        raise TypeError(f"torch._C.{type(self).__name__}: No constructor defined!")

    @classmethod
    def _create(cls, obj):
        self = object.__new__(cls)
        object.__setattr__(self, "_obj", obj)
        return self

    def getattr(self, name):
        try:
            return getattr(self._obj, name)
        except AttributeError:
            raise AttributeError(f"{self.qualified_name} does not have a field with name "
                                 f"'{name}'") from None

    def hasattr(self, name):
        try:
            getattr(self._obj, name)
        except AttributeError:
            return False
        return True

    def setattr(self, name, value):
        setattr(self._obj, name, value)

    @property
    def qualified_name(self):
        return _qualified(self._orig_class())

    def _orig_class(self):
        return type(self._obj)

    def _type(self):
        return self._orig_class()

    def _method_names(self):
        return [n for n, v in vars(self._orig_class()).items()
                if inspect.isfunction(v) and _modifier(v) not in (_IGNORE, _UNUSED)]

    def _has_method(self, name):
        return name in self._method_names()

    def _get_method(self, name):
        if not self._has_method(name):
            raise RuntimeError(f"Method '{name}' is not defined")
        return getattr(self._obj, name)

    def _properties(self):
        return [n for n, v in vars(self._orig_class()).items() if isinstance(v, property)]

    def __repr__(self):
        return f"ScriptObject <{self.qualified_name}>"


ScriptObject.__module__ = "ctorch"


class _CScriptModule(ScriptObject):
    """torch.ScriptModule: the `_c` object behind a scripted nn.Module (what
    ScriptMethod.owner is and what torch.ModuleDict/ParameterDict/BufferDict
    view). Its attributes are the scripted module's."""

    def _orig_class(self):
        return self._obj.__dict__["_jit_class"]

    def _method_names(self):
        cls = self._orig_class()
        names = []
        for klass in _user_mro(cls):
            for n, v in vars(klass).items():
                if n in names or not inspect.isfunction(v):
                    continue
                if n == "forward" or _modifier(v) == _EXPORT:
                    names.append(n)
        return names

    def _get_method(self, name):
        if not self._has_method(name):
            raise RuntimeError(f"Method '{name}' is not defined")
        return getattr(self._obj, name)

    @property
    def code(self):
        return self._obj.code

    def save(self, f, _extra_files=None):
        self._obj.save(f, _extra_files)

    def children(self):
        return [(n, m._c) for n, m in self._obj._modules.items() if isinstance(m, ScriptModule)]

    @property
    def training(self):
        return self._obj.training

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(f"'ScriptModule' object has no attribute '{name}'")
        return getattr(self._obj, name)


_CScriptModule.__name__ = _CScriptModule.__qualname__ = "ScriptModule"
_CScriptModule.__module__ = "ctorch"


class _SlotView:
    # what torch.ModuleDict / ParameterDict / BufferDict share: a live view of
    # one kind of slot of a scripted module's `_c`
    _store = None

    def __init__(self, module):
        if not isinstance(module, _CScriptModule):
            raise TypeError(f"__init__(): incompatible constructor arguments. The following argument "
                            f"types are supported:\n    1. {type(self).__module__}."
                            f"{type(self).__name__}(arg0: torch.ScriptModule)\n\nInvoked with: "
                            f"{module!r}")
        self._c = module

    def _values(self):
        return self._c._obj.__dict__[self._store]

    def _value(self, v):
        return v

    def items(self):
        return [(k, self._value(v)) for k, v in self._values().items() if v is not None]

    def keys(self):
        return [k for k, _ in self.items()]

    def contains(self, name):
        return name in self._values() and self._values()[name] is not None

    __contains__ = contains

    def __len__(self):
        return len(self.items())

    def getattr(self, name):
        if not self.contains(name):
            raise RuntimeError(f"{self._c.qualified_name} does not have a field with name '{name}'")
        return self._value(self._values()[name])

    def setattr(self, name, value):
        setattr(self._c._obj, name, value)


class ModuleDict(_SlotView):
    """torch.ModuleDict(sm._c): the submodules of a scripted module, as their
    `_c` objects."""

    _store = "_modules"

    def _value(self, v):
        return v._c if isinstance(v, ScriptModule) else v


class ParameterDict(_SlotView):
    """torch.ParameterDict(sm._c): the parameters of a scripted module."""

    _store = "_parameters"


class BufferDict(_SlotView):
    """torch.BufferDict(sm._c): the buffers of a scripted module."""

    _store = "_buffers"


for _cls in (ModuleDict, ParameterDict, BufferDict):
    _cls.__module__ = "ctorch"


def _user_mro(cls):
    # the classes whose methods a scripted module of `cls` answers: up to
    # (not including) nn.Module itself
    out = []
    for klass in cls.__mro__:
        if klass is Module or klass is object:
            break
        out.append(klass)
    return out


def _raise_unused(name):
    def unused_method(*args, **kwargs):
        raise Error("The following operation failed in the TorchScript interpreter.\n"
                    f"Traceback of TorchScript (most recent call last):\n  in {name}\n"
                    "RuntimeError: This Python function is annotated to be ignored and cannot be run\n")
    return unused_method


class _ScriptModuleMeta(type):
    """Class-level lookups on a scripted module's class (`type(self).name` in
    the original code) reach the original class's attributes."""

    def __getattr__(cls, name):
        orig = cls.__dict__.get("_jit_original")
        if orig is not None and not name.startswith("__"):
            return getattr(orig, name)
        raise AttributeError(f"type object '{cls.__name__}' has no attribute '{name}'")


_CLASSES = {}


def _class_for(cls, orig):
    """The class of a scripted module of kind `cls` over an `orig` module: a
    subclass of `cls` with `cls`'s name that answers class-level lookups from
    `orig` (one per pair)."""
    while "_jit_original" in cls.__dict__:
        cls = cls.__bases__[0]
    key = (cls, orig)
    out = _CLASSES.get(key)
    if out is None:
        out = _CLASSES[key] = _ScriptModuleMeta(cls.__name__, (cls,), {
            "_jit_original": orig, "__module__": cls.__module__, "__qualname__": cls.__qualname__,
            "__doc__": cls.__doc__})
    return out


_MISSING = object()


def _class_attr(cls, name):
    """The attribute `name` of the original class `cls` as its class dict
    holds it (up to nn.Module), or _MISSING; memoised per class."""
    cache = _LOOKUPS.setdefault(cls, {})
    value = cache.get(name, _MISSING)
    if value is _MISSING:
        for klass in _user_mro(cls):
            if name in vars(klass):
                value = vars(klass)[name]
                break
        cache[name] = value
    return value


_LOOKUPS = {}


class ScriptModule(Module, metaclass=_ScriptModuleMeta):
    """The base class of scripted and traced modules: an nn.Module sharing
    the original module's parameters and buffers, whose methods run the
    original class's Python code after a schema check."""

    def __init__(self):
        super().__init__()
        object.__setattr__(self, "_c", _CScriptModule._create(self))
        if "_jit_class" not in self.__dict__:
            object.__setattr__(self, "_jit_class", type(self))

    def __getattr__(self, name):
        d = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            values = d.get(store)
            if values is not None and name in values:
                return values[name]
        cls = d.get("_jit_class")
        if cls is not None and cls is not type(self) and not name.startswith("__"):
            value = _class_attr(cls, name)
            if value is not _MISSING:
                return self._resolve(name, value, cls)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def _resolve(self, name, value, cls):
        if isinstance(value, staticmethod):
            return value.__func__
        if isinstance(value, classmethod):
            return types.MethodType(value.__func__, cls)
        if isinstance(value, property):
            if value.fget is not None and _modifier(value.fget) == _UNUSED and _depth():
                return _raise_unused(name)()
            return value.__get__(self, cls)
        if inspect.isfunction(value):
            mod = _modifier(value)
            if mod == _IGNORE:
                return types.MethodType(value, self)
            if mod == _UNUSED:
                return _raise_unused(name) if _depth() else types.MethodType(value, self)
            if _depth():
                # a call from scripted code: TorchScript checks those when it
                # compiles, not at run time
                return types.MethodType(value, self)
            methods = self.__dict__.setdefault("_jit_methods", {})
            meth = methods.get(name)
            if meth is None or meth._fn is not value:
                meth = methods[name] = self._make_method(name, value)
            return meth
        if hasattr(value, "__get__") and not isinstance(value, (ctorch.Tensor, type)):
            return value.__get__(self, cls)
        return value

    def _make_method(self, name, fn):
        return ScriptMethod._create(self, fn, name)

    @property
    def forward(self):
        cls = self.__dict__.get("_jit_class", type(self))
        if cls is type(self):
            return super().__getattribute__("_own_forward")()
        value = _class_attr(cls, "forward")
        if value is not _MISSING:
            return self._resolve("forward", value, cls)
        return types.MethodType(Module.forward, self)

    def _own_forward(self):
        # a subclass of ScriptModule written directly (the legacy API): its
        # own forward
        for klass in type(self).__mro__:
            if klass is ScriptModule:
                break
            if "forward" in vars(klass):
                return types.MethodType(vars(klass)["forward"], self)
        return types.MethodType(Module.forward, self)

    def _magic(self, name, *args):
        # the original class's special method (Python looks those up on the
        # type, so they are forwarded here), or None when it has none
        cls = self.__dict__.get("_jit_class")
        if cls is None or cls is type(self):
            return None
        for klass in _user_mro(cls):
            if name in vars(klass):
                # the class's own code: its calls of the module's methods are
                # calls from scripted code (unchecked), its errors Python's
                _state.depth = _depth() + 1
                try:
                    return (vars(klass)[name](self, *args),)
                finally:
                    _state.depth -= 1
        return None

    def __iter__(self):
        r = self._magic("__iter__")
        if r is None:
            raise TypeError(f"'{type(self).__name__}' object is not iterable")
        return r[0]

    def __len__(self):
        r = self._magic("__len__")
        if r is None:
            raise TypeError(f"object of type '{type(self).__name__}' has no len()")
        return r[0]

    def __bool__(self):
        for name in ("__bool__", "__len__"):
            r = self._magic(name)
            if r is not None:
                return bool(r[0])
        return True

    def __getitem__(self, idx):
        r = self._magic("__getitem__", idx)
        if r is None:
            raise TypeError(f"'{type(self).__name__}' object is not subscriptable")
        return r[0]

    def __contains__(self, key):
        r = self._magic("__contains__", key)
        if r is None:
            raise TypeError(f"argument of type '{type(self).__name__}' is not iterable")
        return r[0]

    @property
    def original_name(self):
        return self.__dict__["_jit_class"].__name__

    @property
    def code(self):
        """The Python source of forward (PyTorch shows the compiled TorchScript)."""
        fwd = self.forward
        if isinstance(fwd, ScriptMethod):
            return fwd.code
        return _source_of(fwd)

    def extra_repr(self):
        return f"original_name={self.original_name}"

    def save(self, f, _extra_files=None):
        """Saves the module in ctorch's zip format (see torch.jit.save)."""
        from ctorch.jit import _saving
        _saving.save_module(self, f, _extra_files)

    def save_to_buffer(self, _extra_files=None):
        import io
        buf = io.BytesIO()
        self.save(buf, _extra_files)
        return buf.getvalue()

    def __reduce_ex__(self, protocol):
        raise RuntimeError("Tried to serialize object " + self.__dict__["_c"].qualified_name +
                           " which does not have a __getstate__ method defined!")

    def __copy__(self):
        return self._rebuild(_eager_copy(self, deep=False))

    def __deepcopy__(self, memo):
        import copy
        return self._rebuild(copy.deepcopy(_eager_copy(self, deep=False), memo))

    def _rebuild(self, eager):
        return type(self)._construct(eager)

    @classmethod
    def _construct(cls, original, child_factory=None):
        """A scripted module of class `cls` over `original`: the same
        parameters and buffers, submodules made by `child_factory`."""
        jit_class = original.__dict__.get("_jit_class", type(original))
        sm = object.__new__(_class_for(cls, jit_class))
        Module.__init__(sm)
        d = sm.__dict__
        d["_jit_class"] = jit_class
        d["_c"] = _CScriptModule._create(sm)
        child_factory = child_factory or cls._construct
        skip = {"_jit_class", "_c", "_jit_methods", "forward"}
        for k, v in original.__dict__.items():
            if k in skip:
                continue
            if k == "_modules":
                d[k] = {n: (None if m is None else m if isinstance(m, ScriptModule)
                            else child_factory(m)) for n, m in v.items()}
            elif isinstance(v, (dict, set)) and k.startswith("_"):
                d[k] = type(v)(v)
            else:
                d[k] = v
        return sm


class RecursiveScriptModule(ScriptModule):
    """What torch.jit.script returns for an nn.Module: the module's parameters,
    buffers and attributes, its submodules scripted in turn; forward and the
    other methods run the original class's code after their schema check."""

    _disable_script_meta = True

    def __new__(cls, cpp_module):
        if not isinstance(cpp_module, _CScriptModule):
            raise TypeError("RecursiveScriptModule expects the `_c` object of a scripted module")
        return cls._construct(cpp_module._obj)

    def __init__(self, cpp_module):
        pass    # built by __new__


def script_method(fn):
    """Marks a method of a ScriptModule subclass (the legacy scripting API):
    its calls are schema-checked like a scripted module's methods."""
    from ctorch.jit._types import schema_from_callable
    schema = schema_from_callable(fn, skip_self=True)
    layout = _call_layout(fn, True)

    @functools.wraps(fn)
    def method(self, *args, **kwargs):
        return _checked_call(fn, schema, layout, fn.__name__, (self,), args, kwargs)
    method.schema = schema
    return method


def _eager_copy(sm, deep=False):
    """A plain instance of the original class holding the scripted module's
    state (what save() pickles): submodules converted back, the scripting
    attributes and the hooks left out."""
    cls = sm.__dict__["_jit_class"]
    obj = cls.__new__(cls)
    d = obj.__dict__
    for k, v in sm.__dict__.items():
        if k in ("_jit_class", "_c", "_jit_methods", "_jit_traced"):
            continue
        if k == "_modules":
            d[k] = {n: (_eager_copy(m) if isinstance(m, ScriptModule) else m) for n, m in v.items()}
        elif k.endswith("_hooks") or k.endswith("_hooks_with_kwargs") or k.endswith("_always_called"):
            d[k] = type(v)()
        else:
            d[k] = v
    return obj


def _script_module(mod):
    if hasattr(mod, "__prepare_scriptable__"):
        mod = mod.__prepare_scriptable__()
    if isinstance(mod, ScriptModule):
        return mod

    def child(m):
        return _script_module(m) if isinstance(m, Module) else m
    return RecursiveScriptModule._construct(mod, child)


# ------------------------------------------------------------------ script()

def script(obj, optimize=None, _frames_up=0, _rcb=None, example_inputs=None):
    """Scripts a function, an nn.Module, a class, or a list/dict.

    A function becomes a ScriptFunction, a module a RecursiveScriptModule
    (submodules scripted recursively, parameters and buffers shared with the
    original). Calls are checked against the schema TorchScript derives from
    the signature and annotations, then the Python code runs eagerly. A class
    comes back as itself (its instances are plain Python objects), a list or
    dict as a ScriptList/ScriptDict."""
    if optimize is not None:
        import warnings
        warnings.warn("`optimize` is deprecated and has no effect. Use `with torch.jit."
                      "optimized_execution()` instead", FutureWarning, stacklevel=2)
    if isinstance(obj, (ScriptModule, ScriptFunction)):
        return obj
    if isinstance(obj, Module):
        return _script_module(obj)
    if isinstance(obj, (list, dict)):
        from ctorch.jit._types import script_container
        return script_container(obj)
    if inspect.isclass(obj):
        if obj.__module__ == "builtins":
            raise RuntimeError("TorchScript classes must be new-style classes. Please inherit from "
                               "'object'.")
        if issubclass(obj, Module):
            raise RuntimeError(f"Type '{obj}' cannot be compiled since it inherits from nn.Module, "
                               f"pass an instance instead")
        return obj
    if hasattr(obj, "__script_if_tracing_wrapper"):
        obj = obj.__original_fn
    if inspect.isfunction(obj):
        if obj.__name__ == "<lambda>":
            raise RuntimeError("Lambda functions are not supported by TorchScript: use a def")
        return _script_function(obj)
    if inspect.ismethod(obj) and isinstance(obj.__self__, Module):
        return getattr(_script_module(obj.__self__), obj.__name__)
    if type(obj).__module__ == "builtins":
        raise TypeError(f"{type(obj)} is a built-in class")
    raise TypeError(f"torch.jit.script expects a function, an nn.Module, a class, a list or a dict, "
                    f"got an instance of {type(obj).__name__}")


# ------------------------------------------------------------------ CompilationUnit

class CompilationUnit:
    """`torch.jit.CompilationUnit(src)`: the functions defined in TorchScript
    source `src`, each a ScriptFunction (the source is run as Python with
    ctorch bound as `torch`, then each function's calls are schema-checked)."""

    _count = 0

    def __init__(self, lang=None, _frames_up=0):
        self._functions = {}
        self._ns = {"torch": ctorch, "Tensor": ctorch.Tensor, "math": __import__("math")}
        import typing
        for n in ("List", "Dict", "Tuple", "Optional", "Union", "Any"):
            self._ns[n] = getattr(typing, n)
        if lang is not None:
            self.define(lang, _frames_up=_frames_up + 1)

    def define(self, src, rcb=None, _frames_up=0):
        """Compiles the function definitions in `src` into this unit."""
        import ast
        from ctorch.jit._types import schema_from_callable
        src = textwrap.dedent(src)
        CompilationUnit._count += 1
        filename = f"<torch.jit.CompilationUnit {CompilationUnit._count}>"
        lines = src.splitlines(True)
        linecache.cache[filename] = (len(src), None, lines, filename)
        tree = ast.parse(src, filename)
        code = compile(tree, filename, "exec")
        exec(code, self._ns)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                fn = self._ns[node.name]
                segment = textwrap.dedent(ast.get_source_segment(src, node) or "")
                sf = ScriptFunction._create(fn, schema_from_callable(fn), name=node.name,
                                    qualified_name=node.name, code=segment + "\n",
                                    doc=ast.get_docstring(node), source_unit=src)
                self._functions[node.name] = sf
                self._ns[node.name] = sf
        return None

    def find_function(self, name):
        return self._functions.get(name)

    def get_functions(self):
        return list(self._functions.values())

    def drop_all_functions(self):
        for name in self._functions:
            self._ns.pop(name, None)
        self._functions.clear()

    def __getattr__(self, name):
        functions = self.__dict__.get("_functions", {})
        if name in functions:
            return functions[name]
        raise AttributeError(f"'CompilationUnit' has no attribute '{name}'")


CompilationUnit.__module__ = "ctorch.jit"


# ------------------------------------------------------------------ freeze

def _check_script_module(mod, what):
    if not isinstance(mod, ScriptModule):
        raise RuntimeError(f"{what} expects a ScriptModule as input. Please use torch.jit.script or "
                           f"torch.jit.trace to script your 'nn.Module'.")


def freeze(mod, preserved_attrs=None, optimize_numerics=True):
    """A frozen copy of a scripted module in eval mode: its parameters and
    buffers become constants (detached tensors, no longer parameters). No
    graph optimisation happens; the copy runs the same Python code."""
    _check_script_module(mod, "Freezing")
    if mod.training:
        raise RuntimeError("Freezing is currently only implemented for modules in eval mode. Please "
                           "call .eval() on your module before freezing.")
    return _frozen(mod)


def _frozen(sm):
    eager = _eager_copy(sm)

    def constants(m):
        d = m.__dict__
        consts = {n: p.detach() for n, p in d["_parameters"].items() if p is not None}
        consts.update({n: b.detach() for n, b in d["_buffers"].items() if b is not None})
        d["_parameters"], d["_buffers"] = {}, {}
        d["_non_persistent_buffers_set"] = set()
        d.update(consts)
        for child in d["_modules"].values():
            if child is not None:
                constants(child)
    constants(eager)
    frozen = _script_module(eager)

    def mark(m):
        m.__dict__["_jit_frozen"] = True
        for child in m._modules.values():
            if isinstance(child, ScriptModule):
                mark(child)
    mark(frozen)
    return frozen


def optimize_for_inference(mod, other_methods=None):
    """Freezes `mod` (put in eval mode first) when it is not frozen already;
    ctorch applies no further graph rewriting."""
    _check_script_module(mod, "optimize_for_inference")
    if mod.__dict__.get("_jit_frozen"):
        return mod
    return freeze(mod.eval(), preserved_attrs=other_methods)


# ------------------------------------------------------------------ save / load

def save(m, f, _extra_files=None):
    """Saves a scripted or traced module (or a ScriptFunction) to `f` in
    ctorch's zip format: the module pickled with its parameters and buffers
    (the class by reference, so its code must be importable where it is
    loaded), or the function by reference or, for CompilationUnit functions,
    by source; _extra_files maps file names to their contents."""
    # anything but a scripted module or function answers as in PyTorch: it
    # has no attribute 'save'
    return m.save(f, _extra_files=_extra_files)


def load(f, map_location=None, _extra_files=None, _restore_shapes=False):
    """Loads what torch.jit.save wrote: a scripted or traced module, or a
    ScriptFunction; fills the values of `_extra_files` (a dict of names) from
    the saved extra files."""
    from ctorch.jit import _saving
    return _saving.load(f, map_location, _extra_files)
