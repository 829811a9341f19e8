"""TorchScript's type system for an eager library: the Type classes (their
str()/annotation_str/kind(), equality, subtyping, unification and Union
standardisation as TorchScript defines them), type inference from Python
values, Python annotations to types, FunctionSchema/Argument with the schema
parser, the checked conversion of call arguments (FunctionSchema.bind)
that a scripted function's call goes through, and the typed containers
torch.jit.script makes of a list or a dict (ScriptList, ScriptDict;
script_container)."""
import functools
import inspect
import math
import re
import types
import typing

from ctorch._core.dispatch import device as _Device
from ctorch._core.dtype import DType as _DType
from ctorch._core.tensor import Tensor as _Tensor, _Layout

__all__ = [
    "Type", "AnyType", "NumberType", "IntType", "FloatType", "ComplexType", "BoolType",
    "StringType", "NoneType", "TensorType", "DeviceObjType", "StreamObjType", "ListType",
    "DictType", "TupleType", "OptionalType", "UnionType", "FutureType", "RRefType", "AwaitType",
    "PyObjectType", "ClassType", "EnumType", "InterfaceType", "SymIntType", "SymBoolType",
    "InferredType", "FunctionSchema", "Argument", "ScriptList", "ScriptDict",
    "ScriptListIterator", "ScriptDictIterator", "ScriptDictKeyIterator",
]


class Error(Exception):
    """torch.jit.Error (also torch.JITException): what scripting a value whose
    type cannot be inferred raises, and what a `raise` or failed `assert` in
    scripted code becomes."""


Error.__module__ = "ctorch.jit"


# TorchScript's TypeKind order: a Union's members are sorted by it (then by str)
_KIND_ORDER = {k: i for i, k in enumerate((
    "AnyType", "EnumType", "AnyEnumType", "TensorType", "StorageType", "TupleType", "ListType",
    "DictType", "NumberType", "FloatType", "ComplexType", "FutureType", "AwaitType", "RRefType",
    "IntType", "NoneType", "StringType", "GeneratorType", "QuantizerType", "BoolType",
    "OptionalType", "VarType", "DeviceObjType", "StreamObjType", "FunctionType", "ClassType",
    "PyObjectType", "CapsuleType", "InterfaceType", "QSchemeType", "ScalarTypeType", "LayoutType",
    "MemoryFormatType", "AnyListType", "AnyTupleType", "AnyClassType", "SymIntType", "SymFloatType",
    "SymBoolType", "UnionType", "DynamicType"))}


def _expect_type(t, what):
    if not isinstance(t, Type):
        raise TypeError(f"{what}: expected a ctorch.Type, but got {type(t).__name__}")
    return t


class Type:
    """Base of TorchScript's types. str(t) and repr(t) give the annotation
    form (List[int]); t.str() the schema form (int[])."""
    _kind = None
    __hash__ = None                     # TorchScript types are not hashable

    def __init__(self, *args, **kwargs):
        raise TypeError(f"ctorch.{type(self).__name__}: No constructor defined!")

    @classmethod
    def _new(cls):
        return object.__new__(cls)

    # -- printing
    def kind(self):
        return self._kind

    def str(self):
        return self._fmt("str")

    @property
    def annotation_str(self):
        return self._fmt("ann")

    def repr_str(self):
        return self._fmt("ann")

    def __str__(self):
        return self._fmt("ann")

    def __repr__(self):
        return self._fmt("ann")

    # -- structure
    def containedTypes(self):
        return []

    def requires_grad(self):
        return any(t.requires_grad() for t in self.containedTypes())

    def is_interface_type(self):
        return False

    def _key(self):
        return (self._kind,)

    def __eq__(self, other):
        _expect_type(other, "__eq__()")
        return _equal(self, other)

    def __ne__(self, other):
        return not self.__eq__(other)

    def isSubtypeOf(self, other):
        _expect_type(other, "isSubtypeOf()")
        return _subtype(self, other)

    def _sub_ext(self, rhs):
        # what a kind adds to the common rules (Any, equality, Unions)
        return False


def _equal(a, b):
    if a is b:
        return True
    ua, ub = isinstance(a, UnionType), isinstance(b, UnionType)
    if ua or ub:
        if ua and ub:
            oa, ob = isinstance(a, OptionalType), isinstance(b, OptionalType)
            if oa and ob:
                return _equal(a._elem, b._elem)
            if oa or ob:
                return False             # a Union with None never stays a plain Union of two
            return (len(a._types) == len(b._types)
                    and all(any(_equal(x, y) for y in b._types) for x in a._types))
        u, other = (a, b) if ua else (b, a)
        if isinstance(other, NumberType) and not isinstance(u, OptionalType):
            return len(u._types) == 3 and _holds_numbers(u._types)
        return False
    return type(a) is type(b) and a._key() == b._key()


def _members(t):
    """The flat members of a Union/Optional (numbers spelled out), else [t]."""
    if isinstance(t, OptionalType):
        return _members(t._elem) + [NoneType.get()]
    if isinstance(t, UnionType):
        return list(t._types)
    return [t]


def _subtype(a, b):
    if a is b or isinstance(b, AnyType) or _equal(a, b):
        return True
    if isinstance(a, UnionType):
        return all(_subtype(m, b) for m in _members(a))
    if isinstance(b, UnionType):
        return any(_subtype(a, m) for m in _members(b))
    if isinstance(b, NumberType):
        return isinstance(a, (IntType, FloatType, ComplexType))
    return a._sub_ext(b)


def _holds_numbers(types):
    kinds = {t._kind for t in types}
    return {"IntType", "FloatType", "ComplexType"} <= kinds


class _Singleton(Type):
    _name = None
    _str_name = None

    @classmethod
    def get(cls):
        inst = cls.__dict__.get("_instance")
        if inst is None:
            inst = cls._new()
            cls._instance = inst
        return inst

    def _fmt(self, style):
        return self._str_name if style in ("str", "schema") and self._str_name else self._name


class AnyType(_Singleton):
    _kind, _name = "AnyType", "Any"


class NumberType(_Singleton):
    _kind, _name, _str_name = "NumberType", "number", "Scalar"


class IntType(_Singleton):
    _kind, _name = "IntType", "int"


class FloatType(_Singleton):
    _kind, _name = "FloatType", "float"


class ComplexType(_Singleton):
    _kind, _name = "ComplexType", "complex"


class BoolType(_Singleton):
    _kind, _name = "BoolType", "bool"


class StringType(_Singleton):
    _kind, _name = "StringType", "str"


class NoneType(_Singleton):
    _kind, _name = "NoneType", "NoneType"


class DeviceObjType(_Singleton):
    _kind, _name = "DeviceObjType", "Device"


class StreamObjType(_Singleton):
    _kind, _name = "StreamObjType", "Stream"


class PyObjectType(_Singleton):
    _kind, _name = "PyObjectType", "PyObject"


class SymIntType(_Singleton):
    _kind, _name, _str_name = "SymIntType", "int", "SymInt"


class SymBoolType(_Singleton):
    _kind, _name, _str_name = "SymBoolType", "bool", "SymBool"


class _OpaqueType(Type):
    """The schema-only types (Generator, Storage, QScheme, ...) and type
    variables (t): printed by name, equal by name."""

    @classmethod
    def _make(cls, name, kind):
        t = cls._new()
        t._name, t._kind = name, kind
        return t

    def _fmt(self, style):
        return self._name

    def _key(self):
        return (self._kind, self._name)


_GENERATOR = _OpaqueType._make("Generator", "GeneratorType")
_OPAQUE = {"Generator": _GENERATOR, "Storage": _OpaqueType._make("Storage", "StorageType"),
           "QScheme": _OpaqueType._make("QScheme", "QSchemeType"),
           "Quantizer": _OpaqueType._make("Quantizer", "QuantizerType"),
           "Capsule": _OpaqueType._make("Capsule", "CapsuleType")}
# schema types that TorchScript passes as int (Argument.real_type keeps the name)
_INT_LIKE = {"ScalarType": "ScalarTypeType", "Layout": "LayoutType",
             "MemoryFormat": "MemoryFormatType"}


# ---------------------------------------------------------------- tensors
_SCALAR_NAMES = {
    "torch.float32": "Float", "torch.float64": "Double", "torch.float16": "Half",
    "torch.bfloat16": "BFloat16", "torch.int64": "Long", "torch.int32": "Int",
    "torch.int16": "Short", "torch.int8": "Char", "torch.uint8": "Byte", "torch.bool": "Bool",
    "torch.complex64": "ComplexFloat", "torch.complex128": "ComplexDouble",
    "torch.complex32": "ComplexHalf",
}


def _contiguous_strides(sizes):
    strides, acc = [], 1
    for s in reversed(sizes):
        strides.append(acc)
        acc *= max(s, 1)
    return strides[::-1]


class TensorType(Type):
    """Tensor, optionally specialised: dtype, sizes (None for an unknown
    rank, None entries for unknown sizes), strides, device, requires_grad."""
    _kind = "TensorType"

    @classmethod
    def _make(cls, dtype=None, sizes=None, strides=None, device=None, requires_grad=None,
              undefined=False, inferred=False):
        t = cls._new()
        t._dtype, t._sizes, t._strides = dtype, sizes, strides
        t._device, t._rg, t._undefined, t._inferred = device, requires_grad, undefined, inferred
        return t

    @classmethod
    def get(cls):
        inst = cls.__dict__.get("_instance")
        if inst is None:
            inst = cls._instance = cls._make()
        return inst

    @classmethod
    def getInferred(cls):
        """Tensor, marked as the type of an unannotated parameter."""
        inst = cls.__dict__.get("_inferred_instance")
        if inst is None:
            inst = cls._inferred_instance = cls._make(inferred=True)
        return inst

    @classmethod
    def create_from_tensor(cls, t):
        if not isinstance(t, _Tensor):
            raise TypeError(f"create_from_tensor(): expected a Tensor, but got {type(t).__name__}")
        return cls._make(t.dtype, list(t.shape), list(t.stride()), t.device, bool(t.requires_grad))

    def _key(self):
        return (self._kind, None if self._dtype is None else str(self._dtype),
                None if self._sizes is None else tuple(self._sizes),
                None if self._strides is None else tuple(self._strides),
                None if self._device is None else str(self._device), self._rg, self._undefined)

    def _fmt(self, style):
        if style == "ann" or style == "schema":
            return "Tensor"
        return self._full_str()

    def _full_str(self):
        out = []
        dt = _SCALAR_NAMES.get(str(self._dtype)) if self._dtype is not None else None
        if dt is not None:
            out.append(dt)
            if self._sizes is None:
                out.append("Tensor")
        else:
            out.append("Tensor")
        parts = []
        if self._sizes is not None:
            nd = len(self._sizes)
            parts = ["*" if s is None else str(s) for s in self._sizes]
            if nd > 0 and self._strides is not None and len(self._strides) == nd \
                    and all(s is not None for s in self._strides):
                parts.append("strides=[" + ", ".join(str(s) for s in self._strides) + "]")
        if self._rg is not None:
            parts.append(f"requires_grad={int(self._rg)}")
        if self._device is not None:
            parts.append(f"device={self._device}")
        if self._sizes is not None or parts:
            out.append("(" + ", ".join(parts) + ")")
        if self._undefined:
            out.append("[Undefined]")
        return "".join(out)

    def _repr_for_mismatch(self):
        return "Tensor (inferred)" if self._inferred else self._fmt("ann")

    def _sub_ext(self, rhs):
        if not isinstance(rhs, TensorType):
            return False
        # a specialised tensor is a Tensor of every less specialised kind
        mine, theirs = self._key(), rhs._key()
        if theirs[6] and not mine[6]:
            return False
        return all(b is None or a == b for a, b in zip(mine[1:6], theirs[1:6]))

    # -- the TensorType queries
    def dim(self):
        return None if self._sizes is None else len(self._sizes)

    def sizes(self):
        if self._sizes is None or any(s is None for s in self._sizes):
            return None
        return list(self._sizes)

    def varyingSizes(self):
        return None if self._sizes is None else list(self._sizes)

    def strides(self):
        if self._strides is None or any(s is None for s in self._strides):
            return None
        return list(self._strides)

    def scalarType(self):
        return None if self._dtype is None else _SCALAR_NAMES.get(str(self._dtype))

    def dtype(self):
        return self._dtype

    def device(self):
        return self._device

    def undefined(self):
        return self._undefined

    def requires_grad(self):
        return True if self._rg is None else self._rg

    def contiguous(self):
        sizes = self.sizes()
        if sizes is None:
            raise RuntimeError("contiguous(): the tensor type's sizes are not all known")
        return self._replace(_strides=_contiguous_strides(sizes))

    def _replace(self, **fields):
        t = TensorType._make(self._dtype, self._sizes, self._strides, self._device, self._rg,
                             self._undefined)
        for k, v in fields.items():
            setattr(t, k, v)
        return t

    def with_dtype(self, dtype):
        return self._replace(_dtype=dtype)

    def with_sizes(self, sizes):
        return self._replace(_sizes=None if sizes is None else list(sizes))

    def with_device(self, device):
        if not isinstance(device, _Device):
            raise TypeError("Expected device")
        return self._replace(_device=device)


def _merge_tensors(a, b):
    ka, kb = a._key()[1:], b._key()[1:]
    fields = []
    for x, y in zip(ka, kb):
        fields.append(x if x == y else None)
    return TensorType._make(a._dtype if fields[0] is not None else None,
                            None if fields[1] is None else list(fields[1]),
                            None if fields[2] is None else list(fields[2]),
                            a._device if fields[3] is not None else None, fields[4],
                            bool(fields[5]))


# ---------------------------------------------------------------- containers
class ListType(Type):
    _kind = "ListType"

    def __init__(self, elem):
        if elem is None:
            raise RuntimeError("Can not create ListType with None type")
        self._elem = _expect_type(elem, "ListType()")

    @classmethod
    def _of(cls, elem):
        t = cls._new()
        t._elem = elem
        return t

    @classmethod
    def ofInts(cls):
        return cls._of(IntType.get())

    @classmethod
    def ofFloats(cls):
        return cls._of(FloatType.get())

    @classmethod
    def ofComplexDoubles(cls):
        return cls._of(ComplexType.get())

    @classmethod
    def ofBools(cls):
        return cls._of(BoolType.get())

    @classmethod
    def ofStrings(cls):
        return cls._of(StringType.get())

    @classmethod
    def ofTensors(cls):
        return cls._of(TensorType.get())

    def getElementType(self):
        return self._elem

    def containedTypes(self):
        return [self._elem]

    def _key(self):
        return (self._kind, _key_of(self._elem))

    def _fmt(self, style):
        if style == "ann":
            return f"List[{self._elem._fmt(style)}]"
        return f"{self._elem._fmt(style)}[]"


def _key_of(t):
    # Unions compare as sets: give them an order-free key
    if isinstance(t, OptionalType):
        return ("OptionalType", _key_of(t._elem))
    if isinstance(t, UnionType):
        return ("UnionType", tuple(sorted(repr(_key_of(m)) for m in t._types)))
    return t._key()


_DICT_KEY_KINDS = {"AnyType", "IntType", "FloatType", "ComplexType", "BoolType", "TensorType",
                   "DeviceObjType", "StringType"}


class DictType(Type):
    _kind = "DictType"

    def __init__(self, key, value):
        _expect_type(key, "DictType()")
        _expect_type(value, "DictType()")
        if key._kind not in _DICT_KEY_KINDS:
            raise RuntimeError(f"Cannot create dict for key type '{key.str()}', only int, float, "
                               "complex, Tensor, device and string keys are supported")
        self._k, self._v = key, value

    def getKeyType(self):
        return self._k

    def getValueType(self):
        return self._v

    def containedTypes(self):
        return [self._k, self._v]

    def _key(self):
        return (self._kind, _key_of(self._k), _key_of(self._v))

    def _fmt(self, style):
        if style == "str":
            style = "schema"              # TorchScript prints a Dict's contents unspecialised
        k, v = self._k._fmt(style), self._v._fmt(style)
        return f"Dict[{k}, {v}]" if style == "ann" else f"Dict({k}, {v})"


class TupleType(Type):
    _kind = "TupleType"

    def __init__(self, elements):
        elements = list(elements)
        for e in elements:
            if e is None:
                raise RuntimeError("Can not create tuple with None type")
            _expect_type(e, "TupleType()")
        self._elems = elements

    def elements(self):
        return list(self._elems)

    def containedTypes(self):
        return list(self._elems)

    def _key(self):
        return (self._kind, tuple(_key_of(e) for e in self._elems))

    def _fmt(self, style):
        inner = ", ".join(e._fmt(style) for e in self._elems)
        if style == "ann":
            return f"Tuple[{inner or '()'}]"
        return f"({inner})"

    def _sub_ext(self, rhs):
        # tuples are immutable, hence covariant
        return (isinstance(rhs, TupleType) and len(rhs._elems) == len(self._elems)
                and all(_subtype(a, b) for a, b in zip(self._elems, rhs._elems)))


class _SingleElementType(Type):
    _ann_name = _str_open = _str_close = None
    _covariant = True

    def __init__(self, elem):
        self._elem = _expect_type(elem, f"{type(self).__name__}()")

    def getElementType(self):
        return self._elem

    def containedTypes(self):
        return [self._elem]

    def _key(self):
        return (self._kind, _key_of(self._elem))

    def _fmt(self, style):
        inner = self._elem._fmt(style)
        if style == "ann":
            return f"{self._ann_name}[{inner}]"
        if style == "schema":
            return f"{self._ann_name}({inner})"
        return f"{self._ann_name}{self._str_open}{inner}{self._str_close}"

    def _sub_ext(self, rhs):
        return (self._covariant and type(rhs) is type(self)
                and _subtype(self._elem, rhs._elem))


class FutureType(_SingleElementType):
    _kind, _ann_name, _str_open, _str_close = "FutureType", "Future", "[", "]"


class AwaitType(_SingleElementType):
    _kind, _ann_name, _str_open, _str_close = "AwaitType", "Await", "(", ")"

    def _fmt(self, style):
        return super()._fmt("schema" if style == "str" else style)


class RRefType(_SingleElementType):
    _kind, _ann_name, _str_open, _str_close = "RRefType", "RRef", "[", "]"
    _covariant = False


# ---------------------------------------------------------------- unions
def _flatten(t, out):
    if isinstance(t, OptionalType):
        _flatten(t._elem, out)
        out.append(NoneType.get())
    elif isinstance(t, UnionType):
        for m in t._types:
            _flatten(m, out)
    elif isinstance(t, NumberType):
        out.extend([IntType.get(), FloatType.get(), ComplexType.get()])
    else:
        out.append(t)


def _standardize(types):
    flat = []
    for t in types:
        _flatten(t, flat)
    kept = []
    for t in flat:
        while True:
            for j, k in enumerate(kept):
                # None is kept apart so that it is not folded into an Optional early
                if isinstance(t, NoneType) != isinstance(k, NoneType):
                    continue
                u = _unify(k, t)
                if u is not None:
                    # the merged type may subsume more of the kept ones: merge it again
                    del kept[j]
                    t = u
                    break
            else:
                kept.append(t)
                break
    kept.sort(key=lambda t: (_KIND_ORDER.get(t._kind, 99), t.str()))
    return kept


def _union_or_optional(types):
    """UnionType(types), or the OptionalType it standardises to."""
    types = list(types)
    for t in types:
        _expect_type(t, "UnionType()")
    if not types:
        raise RuntimeError("Cannot create an empty Union")
    std = _standardize(types)
    if len(std) == 1:
        listed = types[0].repr_str() + " " + "".join(t.repr_str() + ", " for t in types[1:])
        raise RuntimeError(
            "After type unification was performed, the Union with the original types {" + listed +
            "} has the single type " + std[0].repr_str() +
            ". Use the common supertype instead of creating a Uniontype")
    has_none = any(isinstance(t, NoneType) for t in std)
    if has_none:
        if len(std) == 4 and _holds_numbers(std):
            return OptionalType(NumberType.get())
        if len(std) == 2:
            return OptionalType(std[0] if not isinstance(std[0], NoneType) else std[1])
    u = object.__new__(UnionType)
    u._types = std
    return u


class UnionType(Type):
    """Union[...]: members flattened, merged where one subsumes the other,
    and sorted; a Union of T and None is an OptionalType."""
    _kind = "UnionType"

    def __new__(cls, types=None):
        if cls is UnionType:
            return _union_or_optional(types if types is not None else [])
        return object.__new__(cls)

    def __init__(self, types=None):
        pass                               # __new__ built it

    def containedTypes(self):
        return list(self._types)

    def _key(self):
        return _key_of(self)

    def _fmt(self, style):
        if style == "str":
            style = "schema"              # as a Dict, a Union prints its members unspecialised
        nums = _holds_numbers(self._types)
        out, printed = [], False
        for i, t in enumerate(self._types):
            if not nums or t._kind not in ("IntType", "FloatType", "ComplexType"):
                # TorchScript prints the separator by position, numbers skipped or not
                if i > 0:
                    out.append(", ")
                    printed = True
                out.append(t._fmt(style))
        if nums:
            if printed:
                out.append(", ")
            out.append(NumberType.get()._fmt(style))
        o, c = ("[", "]") if style == "ann" else ("(", ")")
        return "Union" + o + "".join(out) + c


class OptionalType(UnionType):
    _kind = "OptionalType"

    def __new__(cls, elem=None):
        return object.__new__(cls)

    def __init__(self, elem):
        if "_elem" in self.__dict__:
            return        # built by UnionType([T, None]), which Python initialises again
        _expect_type(elem, "OptionalType()")
        if isinstance(elem, NoneType):
            _union_or_optional([elem, elem])          # raises TorchScript's error
        if isinstance(elem, OptionalType):
            elem = elem._elem
        self._elem = elem
        self._types = _standardize([elem, NoneType.get()])

    @classmethod
    def ofTensor(cls):
        return cls(TensorType.get())

    def getElementType(self):
        return self._elem

    def containedTypes(self):
        return [self._elem]

    def _fmt(self, style):
        if style == "ann":
            return f"Optional[{self._elem._fmt(style)}]"
        return f"{self._elem._fmt(style)}?"


# ---------------------------------------------------------------- named types
class ClassType(Type):
    """A TorchScript class, by its qualified name (__torch__.Foo); the script
    front end records its attributes and methods."""
    _kind = "ClassType"

    def __init__(self, qualified_name):
        if not isinstance(qualified_name, str):
            raise TypeError("ClassType(): expected a qualified name (str)")
        self._qname = qualified_name
        self._attributes = {}            # name -> Type
        self._methods = []

    def _add_attribute(self, name, t):
        self._attributes[name] = _expect_type(t, "ClassType attribute")

    def _add_method(self, name):
        self._methods.append(name)

    def name(self):
        return self._qname.rsplit(".", 1)[-1]

    def qualified_name(self):
        return self._qname

    def method_names(self):
        return list(self._methods)

    def containedTypes(self):
        return list(self._attributes.values())

    def _key(self):
        return (self._kind, self._qname)

    def _fmt(self, style):
        return self._qname


class InterfaceType(Type):
    """A TorchScript interface, by its qualified name; its methods are
    FunctionSchemas the script front end records."""
    _kind = "InterfaceType"

    def __init__(self, qualified_name):
        if not isinstance(qualified_name, str):
            raise TypeError("InterfaceType(): expected a qualified name (str)")
        self._qname = qualified_name
        self._methods = {}

    def _add_method(self, schema):
        self._methods[schema.name] = schema

    def getMethodNames(self):
        return list(self._methods)

    def getMethod(self, name):
        return self._methods.get(name)

    def is_interface_type(self):
        return True

    def _key(self):
        return (self._kind, self._qname)

    def _fmt(self, style):
        if style == "str":
            return "InterfaceType<" + self._qname.rsplit(".", 1)[-1] + ">"
        return self._qname


class EnumType(Type):
    """A TorchScript enum: qualified name, the type of its values, and its
    members (enum members, or (name, value) pairs)."""
    _kind = "EnumType"

    def __init__(self, qualified_name, value_type, enum_names_values):
        _expect_type(value_type, "EnumType()")
        if value_type._kind not in ("IntType", "FloatType", "StringType"):
            raise RuntimeError(f"Cannot create Enum with value type '{value_type.str()}', only int,"
                               " float and string are supported")
        self._qname = qualified_name
        self._value_type = value_type
        self._values = [(m.name, m.value) if hasattr(m, "name") else tuple(m)
                        for m in enum_names_values]

    def containedTypes(self):
        return [self._value_type]

    def _key(self):
        return (self._kind, self._qname)

    def _fmt(self, style):
        return "Enum<" + self._qname + ">" if style == "str" else self._qname


# ---------------------------------------------------------------- unification
def _unify(a, b):
    """TorchScript's unifyTypes without falling back to a Union: the common
    type of a and b, or None."""
    if _subtype(a, b):
        return b
    if _subtype(b, a):
        return a
    if isinstance(a, TensorType) and isinstance(b, TensorType):
        return _merge_tensors(a, b)
    if isinstance(a, NoneType) and not isinstance(b, NoneType):
        return OptionalType(b)
    if isinstance(b, NoneType) and not isinstance(a, NoneType):
        return OptionalType(a)
    if isinstance(a, OptionalType) and not isinstance(b, UnionType):
        u = _unify(a._elem, b)
        return None if u is None else OptionalType(u)
    if isinstance(b, OptionalType) and not isinstance(a, UnionType):
        u = _unify(a, b._elem)
        return None if u is None else OptionalType(u)
    if isinstance(a, TupleType) and isinstance(b, TupleType) and len(a._elems) == len(b._elems):
        elems = [_unify(x, y) for x, y in zip(a._elems, b._elems)]
        return None if any(e is None for e in elems) else TupleType(elems)
    if isinstance(a, FutureType) and isinstance(b, FutureType):
        u = _unify(a._elem, b._elem)
        return None if u is None else FutureType(u)
    ua, ub = _unshaped(a), _unshaped(b)
    if _subtype(ua, ub):
        return ub
    if _subtype(ub, ua):
        return ua
    return None


def _unshaped(t):
    if isinstance(t, TensorType):
        return TensorType.get()
    if isinstance(t, ListType):
        return ListType(_unshaped(t._elem))
    if isinstance(t, DictType):
        return DictType(_unshaped(t._k), _unshaped(t._v))
    if isinstance(t, TupleType):
        return TupleType([_unshaped(e) for e in t._elems])
    if isinstance(t, OptionalType):
        return OptionalType(_unshaped(t._elem))
    return t


# ---------------------------------------------------------------- inference
class InferredType:
    """The result of inferring a value's type: the type, or why it failed."""

    def __init__(self, type_or_reason):
        if isinstance(type_or_reason, Type):
            self._type, self._reason = type_or_reason, None
        elif isinstance(type_or_reason, str):
            self._type, self._reason = None, type_or_reason
        else:
            raise TypeError("InferredType(): expected a Type or a reason (str)")

    def success(self):
        return self._type is not None

    def type(self):
        if self._type is None:
            raise RuntimeError("Tried to get the type from an InferredType but the type is null. "
                               f"Reason: {self._reason}")
        return self._type

    def reason(self):
        if self._type is not None:
            raise RuntimeError("Tried to get the reason from an InferredType that holds a type")
        return self._reason


_NOT_SUPPORTED = ("Only tensors and (possibly nested) tuples of tensors, lists, or dicts are "
                  "supported as inputs or outputs of traced functions, but instead got value of "
                  "type {}.")


def _is_module(value):
    import sys
    nn = sys.modules.get("ctorch.nn")
    return nn is not None and isinstance(value, nn.Module)


_SIMPLE_TYPES = {bool: BoolType, int: IntType, float: FloatType, complex: ComplexType,
                 str: StringType, type(None): NoneType, _Tensor: TensorType}


def try_infer_type(value):
    """torch._C._jit_try_infer_type: the TorchScript type of a Python value,
    as an InferredType (its reason says why when it has none)."""
    simple = _SIMPLE_TYPES.get(type(value))
    if simple is not None:
        return InferredType(simple.get())
    if isinstance(value, bool):
        return InferredType(BoolType.get())
    if isinstance(value, int):
        return InferredType(IntType.get())
    if isinstance(value, float):
        return InferredType(FloatType.get())
    if isinstance(value, complex):
        return InferredType(ComplexType.get())
    if isinstance(value, str):
        return InferredType(StringType.get())
    if value is None:
        return InferredType(NoneType.get())
    if isinstance(value, _Tensor):
        return InferredType(TensorType.get())
    if isinstance(value, _Device):
        return InferredType(DeviceObjType.get())
    if isinstance(value, (_DType, _Layout)):
        return InferredType(IntType.get())
    if isinstance(value, (ScriptList, ScriptDict)):
        return InferredType(value._jit_type)
    if isinstance(value, tuple):
        elems = []
        for v in value:
            r = try_infer_type(v)
            if not r.success():
                return r
            elems.append(r.type())
        return InferredType(TupleType(elems))
    if isinstance(value, dict):
        if not value:
            return InferredType("Dictionary inputs must have entries")
        kt = vt = None
        for k, v in value.items():
            rk = try_infer_type(k)
            if not rk.success():
                return rk
            rv = try_infer_type(v)
            if not rv.success():
                return rv
            kt, err = _unify_step(kt, rk.type())
            if err:
                return InferredType("Dictionary inputs to traced functions must have consistent "
                                    f"type. Found {err[0]} and {err[1]}")
            vt, err = _unify_step(vt, rv.type())
            if err:
                return InferredType("Dictionary inputs to traced functions must have consistent "
                                    f"type. Found {err[0]} and {err[1]}")
        return InferredType(DictType(kt, vt))
    if isinstance(value, list):
        if not value:
            return InferredType("List trace inputs must have elements")
        first = type(value[0])
        simple = _SIMPLE_TYPES.get(first)
        if simple is not None and all(type(v) is first for v in value):
            return InferredType(ListType(simple.get()))
        et = None
        for v in value:
            r = try_infer_type(v)
            if not r.success():
                return InferredType(f"Could not infer type of list element: {r.reason()}")
            et, err = _unify_step(et, r.type())
            if err:
                return InferredType("List inputs to traced functions must have consistent element "
                                    f"type. Found {err[0]} and {err[1]}")
        return InferredType(ListType(et))
    if _is_module(value):
        return InferredType("Cannot infer concrete type of torch.nn.Module")
    return InferredType(_NOT_SUPPORTED.format(type(value).__name__))


def _unify_step(acc, t):
    if acc is None or acc is t:
        return t, None
    u = _unify(acc, t)
    if u is None:
        return acc, (acc.repr_str(), t.repr_str())
    return u, None


# dtypes, layouts and memory formats pass as the int of their ATen enum
_ENUM_CODES = {
    "torch.uint8": 0, "torch.int8": 1, "torch.int16": 2, "torch.int32": 3, "torch.int64": 4,
    "torch.float16": 5, "torch.float32": 6, "torch.float64": 7, "torch.complex32": 8,
    "torch.complex64": 9, "torch.complex128": 10, "torch.bool": 11, "torch.bfloat16": 15,
    "torch.strided": 0, "torch.sparse_coo": 1, "torch.sparse_csr": 2, "torch.sparse_csc": 3,
    "torch.sparse_bsr": 4, "torch.sparse_bsc": 5, "torch._mkldnn": 6,
    "torch.contiguous_format": 0, "torch.preserve_format": 1, "torch.channels_last": 2,
    "torch.channels_last_3d": 3,
}


def _enum_code(value):
    """The int a dtype, layout or memory format passes as, or None."""
    kind = type(value)
    if isinstance(value, (_DType, _Layout)) or (kind.__name__ == "memory_format"
                                               and kind.__module__.startswith("ctorch")):
        return _ENUM_CODES.get(str(value))
    return None


# ---------------------------------------------------------------- annotations
_PipeUnion = getattr(types, "UnionType", None)       # int | None


def annotation_to_type(ann, loc=None):
    """The TorchScript type of a Python annotation (int, List[int],
    Optional[Tensor], int | None, ...); ValueError for what TorchScript
    does not know, naming the annotation (and loc, a source location)."""
    if ann is None or ann is type(None):
        return NoneType.get()
    if isinstance(ann, Type):
        return ann
    simple = {int: IntType, float: FloatType, bool: BoolType, str: StringType,
              complex: ComplexType}
    if ann in simple:
        return simple[ann].get()
    if ann is _Tensor:
        return TensorType.get()
    if ann is _Device:
        return DeviceObjType.get()
    if ann is typing.Any:
        return AnyType.get()
    if ann is _DType:
        return IntType.get()
    origin = typing.get_origin(ann)
    args = typing.get_args(ann)
    if ann is typing.Dict:
        raise RuntimeError("Attempted to use Dict without contained types. Please add contained "
                           "type, e.g. Dict[int, int]")
    bare = {typing.List: "List", typing.Tuple: "Tuple", typing.Optional: "Optional",
            typing.Union: "Union"}
    if ann in bare:
        name = bare[ann]
        raise RuntimeError(f"Attempted to use {name} without a contained type. Please add a "
                           f"contained type, e.g. {name}[int]")
    if origin is list and len(args) == 1:
        return ListType(annotation_to_type(args[0], loc))
    if origin is dict and len(args) == 2:
        return DictType(annotation_to_type(args[0], loc), annotation_to_type(args[1], loc))
    if origin is tuple:
        if args == ((),):
            return TupleType([])
        if len(args) == 2 and args[1] is Ellipsis:
            raise RuntimeError("Can not create tuple with None type")
        return TupleType([annotation_to_type(a, loc) for a in args])
    if origin is typing.Union or origin is _PipeUnion:
        members = [annotation_to_type(a, loc) for a in args]
        kinds = sorted(m._kind for m in members)
        if kinds == ["ComplexType", "FloatType", "IntType"]:
            return NumberType.get()
        return UnionType(members)
    fut = _future_class()
    if fut is not None and origin is fut and len(args) == 1:
        return FutureType(annotation_to_type(args[0], loc))
    if _is_stream_class(ann):
        return StreamObjType.get()
    if ann is _generator_class():
        return _GENERATOR
    where = "" if loc is None else str(loc)
    raise ValueError(f"Unknown type annotation: '{ann}' at {where}")


def _generator_class():
    import sys
    mod = sys.modules.get("ctorch._ops.random")
    return None if mod is None else mod.Generator


def _future_class():
    import sys
    mod = sys.modules.get("ctorch.futures")
    return None if mod is None else mod.Future


def _is_stream_class(ann):
    import sys
    mod = sys.modules.get("ctorch._streams")
    return mod is not None and ann is mod.Stream


# ---------------------------------------------------------------- printing IValues
def _fmt_float(d):
    # an integral double (in int64's range) prints as "2."; others with 17
    # significant digits
    if math.isfinite(d) and d == int(d) and -2.0 ** 63 <= d < 2.0 ** 63:
        if d == 0 and math.copysign(1.0, d) < 0:
            return "-0."
        return f"{int(d)}."
    return format(d, ".17g")


def _fmt_value(v, quote=False):
    """A value as TorchScript prints an IValue (1., [a, b], {a: 1}, (1,))."""
    if v is None:
        return "None"
    if isinstance(v, bool):
        return "True" if v else "False"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return _fmt_float(v)
    if isinstance(v, complex):
        sign = "-" if math.copysign(1.0, v.imag) < 0 else "+"
        return f"{_fmt_float(v.real)}{sign}{_fmt_float(abs(v.imag))}j"
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' if quote else v
    if isinstance(v, (list, ScriptList)):
        return "[" + ", ".join(_fmt_value(x, quote) for x in v) + "]"
    if isinstance(v, tuple):
        inner = ", ".join(_fmt_value(x, quote) for x in v)
        return "(" + inner + ("," if len(v) == 1 else "") + ")"
    if isinstance(v, (dict, ScriptDict)):
        items = v._data.items() if isinstance(v, ScriptDict) else v.items()
        return "{" + ", ".join(f"{_fmt_value(k, quote)}: {_fmt_value(x, quote)}"
                               for k, x in items) + "}"
    if isinstance(v, _Tensor):
        return repr(v)
    return str(v)


# ---------------------------------------------------------------- conversion
class _CastError(Exception):
    pass


def _pybind_cast_error(value):
    return _CastError(f"Unable to cast Python instance of type {type(value)} to C++ type '?' "
                      "(#define PYBIND11_DETAILED_ERROR_MESSAGES or compile in debug mode for "
                      "details)")


def _scalar_tensor_item(value):
    if isinstance(value, _Tensor) and value.numel() == 1:
        return value.item()
    return None


# values that are already what a type holds
_EXACT = {int: "IntType", float: "FloatType", str: "StringType", bool: "BoolType",
          complex: "ComplexType", _Tensor: "TensorType"}


def _convert(value, t):
    """value as an argument of TorchScript type t (int -> float, a
    one-element tensor -> number, ...); _CastError says why not."""
    if _EXACT.get(type(value)) == t._kind:
        return value
    k = t._kind
    if k == "AnyType":
        return value
    if k == "TensorType":
        if value is None or isinstance(value, _Tensor):
            return value
        raise _CastError(f"Unable to cast {value} to Tensor")
    if k in ("IntType", "SymIntType", "ScalarTypeType", "LayoutType", "MemoryFormatType"):
        if isinstance(value, int):
            return int(value)
        code = _enum_code(value)
        if code is not None:
            return code
        item = _scalar_tensor_item(value)
        if item is not None:
            return int(item)
        raise _pybind_cast_error(value)
    if k == "FloatType":
        if isinstance(value, (int, float)):
            return float(value)
        item = _scalar_tensor_item(value)
        if item is not None and not isinstance(item, complex):
            return float(item)
        raise _pybind_cast_error(value)
    if k == "ComplexType":
        if isinstance(value, (int, float, complex)):
            return complex(value)
        item = _scalar_tensor_item(value)
        if item is not None:
            return complex(item)
        raise _pybind_cast_error(value)
    if k in ("BoolType", "SymBoolType"):
        if isinstance(value, int):
            return bool(value)
        item = _scalar_tensor_item(value)
        if item is not None and not isinstance(item, complex):
            return bool(item)
        raise _pybind_cast_error(value)
    if k == "NumberType":
        if isinstance(value, (int, float, complex)):
            return value
        item = _scalar_tensor_item(value)
        if item is not None:
            return item
        raise _pybind_cast_error(value)
    if k == "StringType":
        if isinstance(value, str):
            return value
        raise _pybind_cast_error(value)
    if k == "NoneType":
        if value is None:
            return None
        raise _pybind_cast_error(value)
    if k == "DeviceObjType":
        if isinstance(value, _Device):
            return value
        if isinstance(value, str):
            return _Device(value)
        raise _pybind_cast_error(value)
    if k == "ListType":
        if isinstance(value, ScriptList):
            if value._jit_type == t or _subtype(value._jit_type, t):
                return value
            value = list(value._data)
        if isinstance(value, (list, tuple)):
            try:
                return [_convert(v, t._elem) for v in value]
            except _CastError:
                raise _pybind_cast_error(value) from None
        raise _pybind_cast_error(value)
    if k == "TupleType":
        if not isinstance(value, tuple):
            raise _pybind_cast_error(value)
        if len(value) != len(t._elems):
            raise _CastError(f"Object {value!r} had a different number of elements than type "
                             f"{t.repr_str()}")
        return tuple(_convert(v, e) for v, e in zip(value, t._elems))
    if k == "DictType":
        if isinstance(value, ScriptDict):
            if value._jit_type == t:
                return value
            value = dict(value._data)
        if isinstance(value, dict):
            return {_convert(a, t._k): _convert(b, t._v) for a, b in value.items()}
        raise _pybind_cast_error(value)
    if k == "OptionalType":
        return None if value is None else _convert(value, t._elem)
    if k == "UnionType":
        # a Union takes a value as it is, if its inferred type is a member's
        r = try_infer_type(value)
        if not r.success():
            raise _CastError(f"Tracer cannot infer type of {value}\n:{r.reason()}")
        if not _subtype(r.type(), t):
            raise _CastError(f"Expected a member of {t.repr_str()} but instead found type "
                             f"{r.type().repr_str()}")
        return value
    if k == "FutureType":
        fut = _future_class()
        if fut is not None and isinstance(value, fut):
            return value
        raise _pybind_cast_error(value)
    if k == "GeneratorType":
        gen = _generator_class()
        if gen is not None and isinstance(value, gen):
            return value
        raise _pybind_cast_error(value)
    raise _pybind_cast_error(value)


# ---------------------------------------------------------------- schemas
class _AliasInfo:
    """An argument's alias annotation: Tensor(a!) writes alias set a."""

    def __init__(self, is_write, before_set, after_set, contained=()):
        self.is_write = bool(is_write)
        self.before_set = set(before_set)
        self.after_set = set(after_set)
        self._contained = list(contained)

    def _text(self):
        before = "|".join(sorted(self.before_set))
        s = before + ("!" if self.is_write else "")
        if self.after_set != self.before_set:
            s += " -> " + "|".join(sorted(self.after_set))
        return "(" + s + ")"

    def __eq__(self, other):
        return (isinstance(other, _AliasInfo) and self.is_write == other.is_write
                and self.before_set == other.before_set and self.after_set == other.after_set
                and self._contained == other._contained)

    __hash__ = None


_NO_DEFAULT = object()


class Argument:
    """One argument (or return) of a FunctionSchema. As in PyTorch, a
    default_value of None means no default (a parsed schema's `=None` is a
    default of None)."""

    def __init__(self, name, type, N=None, default_value=None, kwarg_only=False,
                 alias_info=None):
        self.name = name
        self.type = _expect_type(type, "Argument()")
        self.N = N
        self._default = _NO_DEFAULT if default_value is None else default_value
        self.kwarg_only = bool(kwarg_only)
        self.alias_info = alias_info
        self._real_type = None
        self._text = None

    @property
    def default_value(self):
        return None if self._default is _NO_DEFAULT else self._default

    def has_default_value(self):
        return self._default is not _NO_DEFAULT

    @property
    def real_type(self):
        return self._real_type if self._real_type is not None else self.type

    @property
    def is_write(self):
        return self.alias_info is not None and self.alias_info.is_write

    @property
    def is_out(self):
        return self.kwarg_only and self.is_write

    def _type_text(self):
        if self._text is not None:
            return self._text
        t = self.type
        if self.N is not None and isinstance(t, ListType):
            return f"{t._elem._fmt('schema')}[{self.N}]"
        if (self.N is not None and isinstance(t, OptionalType)
                and isinstance(t._elem, ListType)):
            return f"{t._elem._elem._fmt('schema')}[{self.N}]?"
        return t._fmt("schema")

    def _default_text(self):
        d = self._default
        if (self.N is not None and isinstance(d, list) and d and len(d) == self.N
                and all(x == d[0] for x in d)):
            d = d[0]
        if isinstance(d, str) and self.type._kind == "DeviceObjType":
            return d
        if isinstance(d, _Device):
            return str(d)
        return _fmt_value(d, quote=True)

    def _schema_text(self, is_return=False):
        s = self._type_text()
        if self.name:
            s += " " + self.name
        if self.has_default_value() and not is_return:
            s += "=" + self._default_text()
        return s

    def _same(self, other):
        return (self.name == other.name and self.type == other.type and self.N == other.N
                and self.kwarg_only == other.kwarg_only
                and self.has_default_value() == other.has_default_value()
                and _same_value(self._default, other._default)
                and self.alias_info == other.alias_info)


def _make_argument(name, t, N=None, default=_NO_DEFAULT, kwarg_only=False, alias_info=None):
    a = Argument(name, t, N, None, kwarg_only, alias_info)
    a._default = default
    return a


def _same_value(a, b):
    try:
        return a is b or bool(a == b)
    except Exception:
        return False


class FunctionSchema:
    """An operator's or a scripted function's signature:
    name[.overload](arguments) -> returns."""

    def __init__(self, name, overload_name, arguments, returns, is_vararg=False,
                 is_varret=False):
        self.name = name
        self.overload_name = overload_name
        self.arguments = list(arguments)
        self.returns = list(returns)
        # not exposed by PyTorch's Python binding (its C++ schema has them)
        self.is_vararg = bool(is_vararg)
        self.is_varret = bool(is_varret)

    @property
    def is_mutable(self):
        return any(a.is_write for a in self.arguments)

    def __str__(self):
        name = self.name + ("." + self.overload_name if self.overload_name else "")
        args, kw_seen = [], False
        for a in self.arguments:
            if a.kwarg_only and not kw_seen:
                args.append("*")
                kw_seen = True
            args.append(a._schema_text())
        if self.is_vararg:
            args.append("...")
        rets = [r._schema_text(True) for r in self.returns]
        if self.is_varret:
            rets.append("...")
        single = (len(self.returns) == 1 and not self.is_varret and not self.returns[0].name
                  and not isinstance(self.returns[0].type, TupleType))
        if self.is_varret and not self.returns:
            ret = "..."
        elif single:
            ret = rets[0]
        else:
            ret = "(" + ", ".join(rets) + ")"
        return f"{name}({', '.join(args)}) -> {ret}"

    __repr__ = __str__

    def __eq__(self, other):
        return (isinstance(other, FunctionSchema) and self.name == other.name
                and self.overload_name == other.overload_name
                and len(self.arguments) == len(other.arguments)
                and all(a._same(b) for a, b in zip(self.arguments, other.arguments))
                and len(self.returns) == len(other.returns)
                and all(a._same(b) for a, b in zip(self.returns, other.returns))
                and self.is_vararg == other.is_vararg and self.is_varret == other.is_varret)

    def __hash__(self):
        return hash(str(self))

    # -- versioning
    def _same_signature_shape(self, old):
        return (self.name == old.name and self.overload_name == old.overload_name
                and self.is_vararg == old.is_vararg and self.is_varret == old.is_varret
                and len(self.returns) == len(old.returns))

    def is_backward_compatible_with(self, old):
        """Whether every call of `old` still works with this schema: argument
        types as or more general, return types as or more specific, new
        arguments (before the out= ones) with defaults."""
        if not (self._same_signature_shape(old) and len(self.arguments) >= len(old.arguments)):
            return False
        for new_r, old_r in zip(self.returns, old.returns):
            if not _arg_compatible(old_r, new_r, backward=True):
                return False
        old_out, new_out = _first_out(old.arguments), _first_out(self.arguments)
        for i in range(old_out):
            if not _arg_compatible(self.arguments[i], old.arguments[i], backward=True):
                return False
        for i in range(old_out, new_out):
            if not self.arguments[i].has_default_value():
                return False
        for i in range(old_out, len(old.arguments)):
            if not _arg_compatible(self.arguments[i - old_out + new_out], old.arguments[i],
                                   backward=True):
                return False
        return True

    def check_forward_compatible_with(self, old):
        """(whether a call made for this schema works with `old`, why not)."""
        if not self._same_signature_shape(old):
            return False, ""
        old_out, new_out = _first_out(old.arguments), _first_out(self.arguments)
        if len(old.arguments) - old_out != len(self.arguments) - new_out:
            return False, "Function schema should have the same number of out arguments"
        for i in range(min(old_out, new_out)):
            if not _arg_compatible(self.arguments[i], old.arguments[i], backward=False):
                return False, (f"'{self.arguments[i].name}' is not forward compatible with the "
                               "older version of the schema")
        for i in range(old_out, new_out):
            a = self.arguments[i]
            if not a.has_default_value():
                return False, ("Function schema is not forward compatible since the new argument "
                               f"'{a.name}' of type {a.type.str()} did not provide a default "
                               "value.")
            if isinstance(a.default_value, (list, dict)):
                return False, ("Function schema is not forward compatible since the new argument "
                               f"'{a.name}' of type {a.type.str()} has a container type as its "
                               "default value.")
        for i in range(old_out, len(old.arguments)):
            if not _arg_compatible(self.arguments[i - old_out + new_out], old.arguments[i],
                                   backward=False):
                return False, (f"Out argument '{self.arguments[i - old_out + new_out].name}' is "
                               "not FC with the older version of the schema")
        return True, ""

    def bind(self, args, kwargs=None):
        """Check a call (args, kwargs) against this schema as a scripted
        function's call is checked, and return the argument values in schema
        order (converted: int -> float, one-element tensor -> number, defaults
        filled in). Raises RuntimeError with TorchScript's messages."""
        kwargs = {} if kwargs is None else kwargs
        params = self.arguments
        name = self.name
        if len(args) + len(kwargs) > len(params):
            raise RuntimeError(f"{name}() expected at most {len(params)} argument(s) but received "
                               f"{len(args) + len(kwargs)} argument(s). Declaration: {self}")
        out = []
        for i, v in enumerate(args):
            if params[i].kwarg_only:
                raise RuntimeError(f"{name}() takes {i} positional argument(s) but {len(args)} "
                                   f"was/were given.  Declaration: {self}")
            out.append(self._arg_value(i, v))
        consumed = 0
        for i in range(len(out), len(params)):
            p = params[i]
            if p.name in kwargs:
                out.append(self._arg_value(i, kwargs[p.name]))
                consumed += 1
            elif p.has_default_value():
                out.append(p.default_value)
            else:
                raise RuntimeError(f"{name}() is missing value for argument '{p.name}'. "
                                   f"Declaration: {self}")
        if consumed != len(kwargs):
            names = {p.name for p in params}
            for k in kwargs:
                if k not in names:
                    raise RuntimeError(f"Unknown keyword argument '{k}' for operator '{name}'. "
                                       f"Schema: {self}")
            for p in params:
                if p.name in kwargs:
                    raise RuntimeError(f"Argument '{p.name}' specified both as positional and "
                                       f"keyword argument. Schema: {self}")
        return out

    def _arg_value(self, i, value):
        p = self.arguments[i]
        try:
            return _convert(value, p.real_type if p._real_type is not None else p.type)
        except _CastError as e:
            t = p.type
            expected = t._repr_for_mismatch() if isinstance(t, TensorType) else t.repr_str()
            hint = ""
            if isinstance(t, TensorType) and t._inferred:
                hint = (f"Inferred '{p.name}' to be of type 'Tensor' because it was not annotated "
                        "with an explicit type.\n")
            raise RuntimeError(
                f"{self.name}() Expected a value of type '{expected}' for argument '{p.name}' but "
                f"instead found type '{type(value).__name__}'.\n{hint}Position: {i}\n"
                f"Value: {value!r}\nDeclaration: {self}\nCast error details: {e}") from None


def _first_out(arguments):
    for i, a in enumerate(arguments):
        if a.is_out:
            return i
    return len(arguments)


def _arg_compatible(new, old, backward):
    """Argument::isBackwardCompatibleWith / isForwardCompatibleWith."""
    if not (new.name == old.name and new.N == old.N and new.alias_info == old.alias_info):
        return False
    if new.kwarg_only and not old.kwarg_only:
        return False
    if backward:
        if not _subtype(old.type, new.type):
            return False
    elif not _subtype(new.type, old.type):
        return False
    if old.has_default_value() and (not new.has_default_value()
                                    or not _same_value(new._default, old._default)):
        return False
    if not backward and new.has_default_value() and not old.has_default_value():
        return False
    return True


# -- the schema parser
_TOKEN = re.compile(r"""\s*(?:
    (?P<ident>[A-Za-z_]\w*)
  | (?P<number>-?(?:\d|\.\d)(?:[eE][+-]|[\w.])*)
  | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<punct>->|::|\.\.\.|[()\[\],?!*|=.+])
)""", re.X)
_UNESCAPE = re.compile(r"\\(.)")


@functools.lru_cache(maxsize=1024)
def _tokenize(text):
    """The (kind, text, offset) tokens of a schema text (cached: the same
    schema texts are parsed again and again)."""
    toks = []
    i, n = 0, len(text)
    match = _TOKEN.match
    while True:
        m = match(text, i)
        if m is None or m.lastgroup is None:
            rest = text[i:].lstrip()
            if not rest:
                break
            raise RuntimeError(f"unexpected character '{rest[0]}' here:\n{text}")
        kind, tok = m.lastgroup, m.group(m.lastgroup)
        start = m.start(kind)
        if kind == "punct":
            toks.append((tok, tok, start))
        elif kind == "string":
            toks.append(("string", _UNESCAPE.sub(r"\1", tok[1:-1]), start))
        else:
            toks.append((kind, tok, start))
        i = m.end()
    toks.append(("eof", "", n))
    return tuple(toks)


class _Lexer:
    def __init__(self, text):
        self.text = text
        self.toks = _tokenize(text)
        self.pos = 0

    def cur(self):
        return self.toks[self.pos]

    def next(self):
        t = self.toks[self.pos]
        self.pos += 1
        return t

    def nextif(self, kind):
        if self.cur()[0] == kind:
            return self.next()
        return None

    def expect(self, kind):
        t = self.cur()
        if t[0] != kind:
            raise self.unexpected(t, {"->": "arrow"}.get(kind, kind))
        return self.next()

    def unexpected(self, t, what):
        if t[0] == "eof":
            return RuntimeError(f"expected {what} but found 'eof' here:\n{self.text}")
        return RuntimeError(f"expected {what} but found '{t[1]}' here:\n{self.text}\n" +
                            " " * t[2] + "~" * len(t[1]) + " <--- HERE\n")

    def error_at(self, tok, msg, width=None):
        width = width or max(len(tok[1]), 1)
        line = self.text + "\n" + " " * tok[2] + "~" * width + " <--- HERE\n"
        return RuntimeError(f"\n{msg}:\n{line}")


_BASE_TYPES = {
    "Tensor": TensorType.get, "int": IntType.get, "float": FloatType.get, "bool": BoolType.get,
    "str": StringType.get, "complex": ComplexType.get, "Scalar": NumberType.get,
    "Device": DeviceObjType.get, "Stream": StreamObjType.get, "Any": AnyType.get,
    "NoneType": NoneType.get,
    "None": NoneType.get, "number": NumberType.get,
}


def _parse_alias(lx):
    # after '(' of an alias annotation: a|b [!] [-> c|d] ')'
    def alias_set():
        names = []
        while True:
            if lx.nextif("*"):
                names.append("*")
            else:
                names.append(lx.expect("ident")[1])
            if not lx.nextif("|"):
                return names
    before = alias_set()
    write = bool(lx.nextif("!"))
    after = before
    if lx.nextif("->"):
        after = alias_set()
    lx.expect(")")
    return _AliasInfo(write, before, after)


def _parse_type(lx):
    """-> (type, real type or None, alias info, N, printed text)"""
    tok = lx.cur()
    real = None
    if tok[0] == "(":
        lx.next()
        elems, texts = [], []
        if not lx.nextif(")"):
            while True:
                t, _, _, _, txt = _parse_type(lx)
                elems.append(t)
                texts.append(txt)
                if not lx.nextif(","):
                    lx.expect(")")
                    break
        t, text = TupleType(elems), "(" + ", ".join(texts) + ")"
    elif tok[0] == "ident" and tok[1] in ("Dict", "Future", "Await", "RRef", "Union") \
            and lx.toks[lx.pos + 1][0] == "(":
        lx.next()
        lx.next()
        inner, texts = [], []
        while True:
            t, _, _, _, txt = _parse_type(lx)
            inner.append(t)
            texts.append(txt)
            if not lx.nextif(","):
                lx.expect(")")
                break
        name = tok[1]
        ctor = {"Dict": lambda a: DictType(*a), "Future": lambda a: FutureType(*a),
                "Await": lambda a: AwaitType(*a), "RRef": lambda a: RRefType(*a),
                "Union": UnionType}[name]
        t = ctor(inner)
        text = f"{name}(" + ", ".join(texts) + ")"
    elif tok[0] == "ident":
        lx.next()
        name = tok[1]
        if name in _BASE_TYPES:
            t = _BASE_TYPES[name]()
        elif name in _INT_LIKE:
            t, real = IntType.get(), _OpaqueType._make(name, _INT_LIKE[name])
        elif name in ("SymInt", "SymBool"):
            # passed as int / bool; Argument.real_type keeps the symbolic type
            t = IntType.get() if name == "SymInt" else BoolType.get()
            real = SymIntType.get() if name == "SymInt" else SymBoolType.get()
        elif name in _OPAQUE:
            t = _OPAQUE[name]
        elif name[0].islower():
            t = _OpaqueType._make(name, "VarType")
        else:
            raise lx.error_at(tok, "unknown type specifier. Common valid schema types include "
                              "Tensor, SymInt, int, float, bool, Scalar; for a full list, please "
                              "see https://github.com/pytorch/pytorch/blob/main/aten/src/ATen/"
                              "native/README.md#func ")
        text = name
    else:
        raise lx.unexpected(tok, "ident")
    alias, N = None, None
    if lx.cur()[0] == "(":
        lx.next()
        alias = _parse_alias(lx)
        text += alias._text()
    while True:
        if lx.cur()[0] == "[":
            lx.next()
            n = lx.nextif("number")
            lx.expect("]")
            if n is not None:
                N = int(n[1])
            t = ListType(t)
            if real is not None:
                real = ListType(real)
            text += f"[{N if n is not None else ''}]"
            inner = alias
            if lx.cur()[0] == "(":
                lx.next()
                alias = _parse_alias(lx)
                text += alias._text()
                if inner is not None:
                    alias._contained.append(inner)
            elif inner is not None:
                alias = _AliasInfo(inner.is_write, (), (), [inner])
        elif lx.cur()[0] == "?":
            lx.next()
            t = OptionalType(t)
            if real is not None:
                real = OptionalType(real)
            text += "?"
        else:
            break
    return t, real, alias, N, text


def _parse_number(tok, lx):
    s = tok[1]
    try:
        if s.endswith("j"):
            return complex(s)
        if any(c in s for c in ".eE") and not s.lower().startswith(("0x", "-0x")):
            return float(s)
        return int(s, 0)
    except ValueError:
        raise lx.error_at(tok, "invalid numeric default value") from None


def _parse_default(lx, t, N):
    tok = lx.cur()
    base = t._elem if isinstance(t, OptionalType) else t
    if tok[0] == "ident" and tok[1] == "None":
        lx.next()
        return None
    if tok[0] == "ident" and tok[1] in ("True", "False"):
        lx.next()
        value = tok[1] == "True"
    elif tok[0] == "number":
        lx.next()
        value = _parse_number(tok, lx)
    elif tok[0] == "string":
        lx.next()
        value = tok[1]
    elif tok[0] == "[":
        lx.next()
        value = []
        elem = base._elem if isinstance(base, ListType) else AnyType.get()
        if not lx.nextif("]"):
            while True:
                value.append(_parse_default(lx, elem, None))
                if not lx.nextif(","):
                    lx.expect("]")
                    break
        return value
    elif tok[0] == "ident":
        lx.next()
        if base._kind in ("IntType", "FloatType", "ComplexType", "NumberType"):
            # (TorchScript points past the word)
            raise lx.error_at(lx.cur(), "invalid numeric default value", 1)
        # enum-like defaults (long, strided, contiguous_format, cpu) stay as written
        return tok[1]
    else:
        raise lx.error_at(tok, "invalid default value")
    k = base._kind
    if k == "FloatType" and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    elif k == "ComplexType" and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = complex(value)
    elif k == "ListType" and N is not None:
        value = [value] * N
    return value


def _parse_argument(lx, is_return, kwarg_only):
    t, real, alias, N, text = _parse_type(lx)
    name = ""
    if lx.cur()[0] == "ident":
        name = lx.next()[1]
    elif not is_return:
        lx.expect("ident")
    default = _NO_DEFAULT
    if not is_return and lx.nextif("="):
        default = _parse_default(lx, t, N)
    a = _make_argument(name, t, N, default, kwarg_only, alias)
    a._real_type = real
    a._text = text
    return a


def parse_schema(text):
    """torch._C.parse_schema: a FunctionSchema from PyTorch's schema syntax."""
    lx = _Lexer(text)
    name = lx.expect("ident")[1]
    if lx.nextif("::"):
        name += "::" + lx.expect("ident")[1]
    overload = ""
    if lx.nextif("."):
        overload = lx.expect("ident")[1]
    lx.expect("(")
    args, kwarg_only, vararg = [], False, False
    if not lx.nextif(")"):
        while True:
            if vararg:
                raise RuntimeError(f"... must be the last element of the argument list:\n{text}")
            if lx.nextif("*"):
                kwarg_only = True
            elif lx.nextif("..."):
                vararg = True
            else:
                args.append(_parse_argument(lx, False, kwarg_only))
            if not lx.nextif(","):
                lx.expect(")")
                break
    lx.expect("->")
    rets, varret = [], False
    if lx.cur()[0] == "(":
        lx.next()
        if not lx.nextif(")"):
            while True:
                if lx.nextif("..."):
                    varret = True
                else:
                    rets.append(_parse_argument(lx, True, False))
                if not lx.nextif(","):
                    lx.expect(")")
                    break
    elif lx.nextif("..."):
        varret = True
    else:
        rets.append(_parse_argument(lx, True, False))
    if lx.cur()[0] != "eof":
        raise RuntimeError(f"expected eof but found '{lx.cur()[1]}' here:\n{text}")
    return FunctionSchema(name, overload, args, rets, vararg, varret)


# -- schemas of Python functions
_VARARG_ERR = ("Compiled functions can't take variable number of arguments or use keyword-only "
               "arguments with defaults")
_MUTABLE_DEFAULT_ERR = (
    "Mutable default parameters are not supported because Python binds them to the function and "
    "they persist across function calls.\n As a workaround, make the default None and instantiate "
    "the default parameter within the body of the function. Found {} on parameter {}")


def schema_from_callable(fn, name=None, skip_self=False):
    """The FunctionSchema TorchScript gives a Python function: annotated
    parameters get their annotation's type, unannotated ones Tensor; the
    return type is the return annotation's, else Tensor."""
    sig = inspect.signature(fn)
    try:
        hints = typing.get_type_hints(fn)
    except Exception:
        hints = {}
    params = list(sig.parameters.values())
    if skip_self and params:
        params = params[1:]
    args = []
    for p in params:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            raise RuntimeError(_VARARG_ERR)
        kw = p.kind == p.KEYWORD_ONLY
        if kw and p.default is not p.empty:
            raise RuntimeError(_VARARG_ERR)
        if p.name in hints:
            t = annotation_to_type(hints[p.name])
        elif p.annotation is not p.empty:
            t = annotation_to_type(p.annotation)
        else:
            t = TensorType.getInferred()
        default = _NO_DEFAULT
        if p.default is not p.empty:
            if isinstance(p.default, (list, dict, set)):
                raise RuntimeError(_MUTABLE_DEFAULT_ERR.format(type(p.default), p.name))
            try:
                default = _convert(p.default, t)
            except _CastError:
                default = p.default
        args.append(_make_argument(p.name, t, None, default, kw))
    if "return" in hints:
        ret = annotation_to_type(hints["return"])
    elif sig.return_annotation is not sig.empty:
        ret = annotation_to_type(sig.return_annotation)
    else:
        ret = TensorType.get()
    return FunctionSchema(name or fn.__name__, "", args, [Argument("", ret)])


# ---------------------------------------------------------------- script containers
# What torch.jit.script returns for a list or a dict (ScriptList, ScriptDict)
# and their iterators: every value stored is checked and converted against
# the element type, as TorchScript's List[T]/Dict[K, V] do; values read back
# are plain Python values (nested containers as copies).
def _to_py(v):
    """A stored value as Python gets it back (containers as fresh copies)."""
    if isinstance(v, ScriptList):
        return [_to_py(x) for x in v._data]
    if isinstance(v, ScriptDict):
        return {k: _to_py(x) for k, x in v._data.items()}
    if isinstance(v, list):
        return [_to_py(x) for x in v]
    if isinstance(v, dict):
        return {k: _to_py(x) for k, x in v.items()}
    if isinstance(v, tuple):
        return tuple(_to_py(x) for x in v)
    return v


def _same_element(a, b):
    if isinstance(a, _Tensor) or isinstance(b, _Tensor):
        if a is b:
            return True
        if not (isinstance(a, _Tensor) and isinstance(b, _Tensor)) or a.shape != b.shape:
            return False
        return bool((a == b).all())
    return a == b


def _checked(value, t, owner, what="an element"):
    try:
        return _convert(value, t)
    except _CastError as e:
        detail = str(e)
        if detail.startswith("Unable to cast Python instance"):
            detail = f"found type '{type(value).__name__}'"
        raise TypeError(f"{value!r} cannot be {what} of a {type(owner).__name__} of type "
                        f"{owner._jit_type.repr_str()}: {detail}") from None


def _infer(value, what):
    r = try_infer_type(value)
    if not r.success():
        raise Error(f"Unable to infer type of {what}: {r.reason()}")
    return r.type()


_CONTAINER_TYPES = None          # filled in below, once the classes exist


class ScriptList:
    """torch.ScriptList: a mutable list whose elements all have one
    TorchScript type (inferred from the values, List[Tensor] when empty)."""

    def __init__(self, data):
        if not isinstance(data, list):
            raise TypeError(f"ScriptList(): expected a list, but got {type(data).__name__}")
        t = ListType.ofTensors() if not data else _infer(data, "list")
        self._init(t, data)

    def _init(self, list_type, data):
        self._jit_type = list_type
        kind = list_type._elem._kind
        if data and all(_EXACT.get(type(v)) == kind for v in data):
            self._data = list(data)            # already what the list holds
        else:
            self._data = [_checked(v, list_type._elem, self) for v in data]

    @classmethod
    def _create(cls, list_type, data=()):
        obj = object.__new__(cls)
        obj._init(list_type, list(data))
        return obj

    def _elem(self, value):
        return _checked(value, self._jit_type._elem, self)

    def _index(self, i):
        n = len(self._data)
        i = i.__index__()
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("list index out of range")
        return i

    def __len__(self):
        return len(self._data)

    def __getitem__(self, i):
        if type(i) is int:
            try:
                v = self._data[i]
            except IndexError:
                raise IndexError("list index out of range") from None
        elif isinstance(i, slice):
            return ScriptList._create(self._jit_type, self._data[i])
        else:
            v = self._data[self._index(i)]
        return _to_py(v) if type(v) in _CONTAINER_TYPES else v

    def __setitem__(self, i, value):
        if isinstance(i, slice):
            idx = range(*i.indices(len(self._data)))
            values = list(value)
            if len(idx) != len(values):
                raise RuntimeError("Left and right hand size of slice assignment have different "
                                   "sizes")
            converted = [self._elem(v) for v in values]
            for j, v in zip(idx, converted):
                self._data[j] = v
            return
        self._data[self._index(i)] = self._elem(value)

    def __delitem__(self, i):
        if isinstance(i, slice) or not hasattr(i, "__index__"):
            raise TypeError(f"ScriptList indices must be integers, not {type(i).__name__}")
        del self._data[self._index(i)]

    def __iter__(self):
        return ScriptListIterator._create(self)

    def __contains__(self, value):
        v = self._elem(value)
        return any(_same_element(x, v) for x in self._data)

    def append(self, value):
        self._data.append(self._elem(value))

    def extend(self, values):
        if isinstance(values, ScriptList):
            values = values._data
        try:
            values = list(values)
        except TypeError:
            raise TypeError(f"extend(): expected an iterable, but got {type(values).__name__}") \
                from None
        self._data.extend([self._elem(v) for v in values])

    def insert(self, i, value):
        v = self._elem(value)
        n = len(self._data)
        i = i.__index__()
        if i < 0:
            i += n
        if not 0 <= i <= n:
            raise IndexError("list index out of range")
        self._data.insert(i, v)

    def pop(self, i=-1):
        if not self._data:
            raise IndexError("pop from empty list")
        return _to_py(self._data.pop(self._index(i)))

    def remove(self, value):
        v = self._elem(value)
        for j, x in enumerate(self._data):
            if _same_element(x, v):
                del self._data[j]
                return
        raise ValueError("list.remove(x): x not in list")

    def count(self, value):
        v = self._elem(value)
        return sum(1 for x in self._data if _same_element(x, v))

    def clear(self):
        self._data.clear()

    def __str__(self):
        return _fmt_value(self._data)

    __repr__ = __str__


class ScriptDict:
    """torch.ScriptDict: a mutable, insertion-ordered dict with one key type
    and one value type (inferred from the entries, Dict[str, Tensor] when
    empty)."""

    def __init__(self, data):
        if not isinstance(data, dict):
            raise TypeError(f"ScriptDict(): expected a dict, but got {type(data).__name__}")
        if data:
            t = _infer(data, "dictionary")
        else:
            t = DictType(StringType.get(), TensorType.get())
        self._init(t, data)

    def _init(self, dict_type, data):
        self._jit_type = dict_type
        self._data = {self._key(k): self._value(v) for k, v in data.items()}

    def _key(self, key):
        return _checked(key, self._jit_type._k, self, "a key")

    def _value(self, value):
        return _checked(value, self._jit_type._v, self, "a value")

    def _lookup_key(self, key):
        # a key of the wrong type is simply not there
        try:
            return _convert(key, self._jit_type._k)
        except _CastError:
            raise KeyError(key) from None

    @classmethod
    def _create(cls, dict_type, data=None):
        obj = object.__new__(cls)
        obj._init(dict_type, dict(data or {}))
        return obj

    def __len__(self):
        return len(self._data)

    def __getitem__(self, key):
        k = self._lookup_key(key)
        try:
            return _to_py(self._data[k])
        except KeyError:
            raise KeyError(key) from None

    def __setitem__(self, key, value):
        k = self._key(key)
        self._data[k] = self._value(value)

    def __delitem__(self, key):
        k = self._key(key)
        try:
            del self._data[k]
        except KeyError:
            raise KeyError(key) from None

    def __contains__(self, key):
        return self._lookup_key(key) in self._data

    def __iter__(self):
        return ScriptDictKeyIterator._create(self)

    def keys(self):
        return ScriptDictKeyIterator._create(self)

    def items(self):
        return ScriptDictIterator._create(self)

    def __str__(self):
        return _fmt_value(self._data)

    __repr__ = __str__


class _NoConstructor:
    def __init__(self, *args, **kwargs):
        raise TypeError(f"ctorch.{type(self).__name__}: No constructor defined!")


class ScriptListIterator(_NoConstructor):
    """Iterator over a ScriptList's elements."""

    @classmethod
    def _create(cls, lst):
        it = object.__new__(cls)
        it._list, it._pos = lst, 0
        return it

    def __iter__(self):
        return self

    def __next__(self):
        data = self._list._data
        if self._pos >= len(data):
            raise StopIteration
        v = data[self._pos]
        self._pos += 1
        return _to_py(v)


class _DictIterator(_NoConstructor):
    @classmethod
    def _create(cls, d):
        it = object.__new__(cls)
        it._it = iter(list(d._data.items()))
        return it

    def __iter__(self):
        return self



class ScriptDictKeyIterator(_DictIterator):
    """Iterator over a ScriptDict's keys (iter(d), d.keys())."""

    def __next__(self):
        return _to_py(next(self._it)[0])


class ScriptDictIterator(_DictIterator):
    """Iterator over a ScriptDict's (key, value) pairs (d.items())."""

    def __next__(self):
        k, v = next(self._it)
        return (_to_py(k), _to_py(v))


def script_container(obj, jit_type=None):
    """What torch.jit.script returns for a list or a dict: a ScriptList or
    ScriptDict of the type inferred from its values (or of jit_type, a
    ListType/DictType, against which the values are checked). torch.jit.Error
    when the values have no common type."""
    if isinstance(obj, list):
        if jit_type is None:
            return ScriptList(obj)
        if not isinstance(jit_type, ListType):
            raise TypeError(f"script_container(): a list needs a ListType, not {jit_type}")
        return ScriptList._create(jit_type, obj)
    if isinstance(obj, dict):
        if jit_type is None:
            return ScriptDict(obj)
        if not isinstance(jit_type, DictType):
            raise TypeError(f"script_container(): a dict needs a DictType, not {jit_type}")
        return ScriptDict._create(jit_type, obj)
    raise TypeError(f"script_container(): expected a list or a dict, but got "
                    f"{type(obj).__name__}")


_CONTAINER_TYPES = frozenset((list, dict, tuple, ScriptList, ScriptDict))
