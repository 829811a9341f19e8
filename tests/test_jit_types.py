"""TorchScript's type layer (ctorch.jit._types): the Type classes' printing,
equality and subtyping, Union standardisation, type inference from values,
annotations to types, FunctionSchema parsing/printing, call binding with
TorchScript's messages, and ScriptList/ScriptDict. Expected strings are
PyTorch's documented output."""
import re
import typing
from typing import Any, Dict, List, Optional, Tuple, Union

import pytest

import ctorch
from ctorch.jit import _types as J

I, F, C, B, S = (ctorch.IntType.get(), ctorch.FloatType.get(), ctorch.ComplexType.get(),
                 ctorch.BoolType.get(), ctorch.StringType.get())
N, T, A, NUM = (ctorch.NoneType.get(), ctorch.TensorType.get(), ctorch.AnyType.get(),
                ctorch.NumberType.get())

def _x():
    return ctorch.TensorType.create_from_tensor(ctorch.ones(2))


# (constructor, str()/repr()/annotation_str, kind(), schema-form .str())
TYPES = [
    (lambda: A, "Any", "AnyType", "Any"),
    (lambda: NUM, "number", "NumberType", "Scalar"),
    (lambda: I, "int", "IntType", "int"),
    (lambda: F, "float", "FloatType", "float"),
    (lambda: C, "complex", "ComplexType", "complex"),
    (lambda: B, "bool", "BoolType", "bool"),
    (lambda: S, "str", "StringType", "str"),
    (lambda: N, "NoneType", "NoneType", "NoneType"),
    (lambda: T, "Tensor", "TensorType", "Tensor"),
    (lambda: ctorch.DeviceObjType.get(), "Device", "DeviceObjType", "Device"),
    (lambda: ctorch.StreamObjType.get(), "Stream", "StreamObjType", "Stream"),
    (lambda: ctorch.PyObjectType.get(), "PyObject", "PyObjectType", "PyObject"),
    (lambda: ctorch.SymIntType.get(), "int", "SymIntType", "SymInt"),
    (lambda: ctorch.SymBoolType.get(), "bool", "SymBoolType", "SymBool"),
    (lambda: ctorch.ListType(I), "List[int]", "ListType", "int[]"),
    (lambda: ctorch.ListType.ofInts(), "List[int]", "ListType", "int[]"),
    (lambda: ctorch.ListType.ofFloats(), "List[float]", "ListType", "float[]"),
    (lambda: ctorch.ListType.ofBools(), "List[bool]", "ListType", "bool[]"),
    (lambda: ctorch.ListType.ofStrings(), "List[str]", "ListType", "str[]"),
    (lambda: ctorch.ListType.ofComplexDoubles(), "List[complex]", "ListType", "complex[]"),
    (lambda: ctorch.ListType.ofTensors(), "List[Tensor]", "ListType", "Tensor[]"),
    (lambda: ctorch.DictType(S, T), "Dict[str, Tensor]", "DictType", "Dict(str, Tensor)"),
    (lambda: ctorch.TupleType([I, T]), "Tuple[int, Tensor]", "TupleType", "(int, Tensor)"),
    (lambda: ctorch.TupleType([]), "Tuple[()]", "TupleType", "()"),
    (lambda: ctorch.TupleType([ctorch.TupleType([I]), ctorch.ListType(F)]),
     "Tuple[Tuple[int], List[float]]", "TupleType", "((int), float[])"),
    (lambda: ctorch.OptionalType(I), "Optional[int]", "OptionalType", "int?"),
    (lambda: ctorch.OptionalType.ofTensor(), "Optional[Tensor]", "OptionalType", "Tensor?"),
    (lambda: ctorch.OptionalType(ctorch.ListType(I)), "Optional[List[int]]", "OptionalType",
     "int[]?"),
    (lambda: ctorch.ListType(ctorch.OptionalType(T)), "List[Optional[Tensor]]", "ListType",
     "Tensor?[]"),
    (lambda: ctorch.OptionalType(ctorch.OptionalType(I)), "Optional[int]", "OptionalType",
     "int?"),
    (lambda: ctorch.OptionalType(ctorch.UnionType([I, F])), "Optional[Union[float, int]]",
     "OptionalType", "Union(float, int)?"),
    (lambda: ctorch.UnionType([I, F]), "Union[float, int]", "UnionType", "Union(float, int)"),
    (lambda: ctorch.UnionType([I, N]), "Optional[int]", "OptionalType", "int?"),
    (lambda: ctorch.UnionType([N, I]), "Optional[int]", "OptionalType", "int?"),
    (lambda: ctorch.UnionType([I, F, N]), "Union[float, int, NoneType]", "UnionType",
     "Union(float, int, NoneType)"),
    (lambda: ctorch.UnionType([S, N, I]), "Union[int, NoneType, str]", "UnionType",
     "Union(int, NoneType, str)"),
    (lambda: ctorch.UnionType([I, ctorch.UnionType([F, S])]), "Union[float, int, str]",
     "UnionType", "Union(float, int, str)"),
    (lambda: ctorch.UnionType([I, I, F]), "Union[float, int]", "UnionType", "Union(float, int)"),
    (lambda: ctorch.UnionType([I, NUM]), "Union[number]", "UnionType", "Union(Scalar)"),
    (lambda: ctorch.UnionType([I, F, C]), "Union[number]", "UnionType", "Union(Scalar)"),
    (lambda: ctorch.UnionType([I, F, C, S]), "Union[, str, number]", "UnionType",
     "Union(, str, Scalar)"),
    (lambda: ctorch.UnionType([I, F, C, N]), "Optional[number]", "OptionalType", "Scalar?"),
    (lambda: ctorch.UnionType([ctorch.OptionalType(I), ctorch.OptionalType(F)]),
     "Union[float, int, NoneType]", "UnionType", "Union(float, int, NoneType)"),
    (lambda: ctorch.UnionType([I, B]), "Union[int, bool]", "UnionType", "Union(int, bool)"),
    (lambda: ctorch.UnionType([ctorch.ListType(I), ctorch.ListType(A)]),
     "Union[List[Any], List[int]]", "UnionType", "Union(Any[], int[])"),
    (lambda: ctorch.UnionType([T, I, S, ctorch.ListType(I), B]),
     "Union[Tensor, List[int], int, str, bool]", "UnionType",
     "Union(Tensor, int[], int, str, bool)"),
    (lambda: ctorch.UnionType([ctorch.ListType(F), ctorch.ListType(I), N, ctorch.TupleType([I])]),
     "Union[Tuple[int], List[float], List[int], NoneType]", "UnionType",
     "Union((int), float[], int[], NoneType)"),
    (lambda: ctorch.UnionType([ctorch.ListType(I), ctorch.DictType(S, I), ctorch.FutureType(I),
                               ctorch.DeviceObjType.get(), S, T, N, B, C]),
     "Union[Tensor, List[int], Dict[str, int], complex, Future[int], NoneType, str, bool, Device]",
     "UnionType",
     "Union(Tensor, int[], Dict(str, int), complex, Future(int), NoneType, str, bool, Device)"),
    (lambda: ctorch.FutureType(I), "Future[int]", "FutureType", "Future[int]"),
    # Dict, Union and Await print their contents unspecialised (Tensor, Future(int))
    (lambda: ctorch.ListType(ctorch.FutureType(I)), "List[Future[int]]", "ListType",
     "Future[int][]"),
    (lambda: ctorch.DictType(S, ctorch.RRefType(I)), "Dict[str, RRef[int]]", "DictType",
     "Dict(str, RRef(int))"),
    (lambda: ctorch.UnionType([ctorch.FutureType(I), I]), "Union[Future[int], int]", "UnionType",
     "Union(Future(int), int)"),
    (lambda: ctorch.ListType(_x()), "List[Tensor]", "ListType",
     "Float(2, strides=[1], requires_grad=0, device=cpu)[]"),
    (lambda: ctorch.OptionalType(_x()), "Optional[Tensor]", "OptionalType",
     "Float(2, strides=[1], requires_grad=0, device=cpu)?"),
    (lambda: ctorch.TupleType([_x()]), "Tuple[Tensor]", "TupleType",
     "(Float(2, strides=[1], requires_grad=0, device=cpu))"),
    (lambda: ctorch.FutureType(_x()), "Future[Tensor]", "FutureType",
     "Future[Float(2, strides=[1], requires_grad=0, device=cpu)]"),
    (lambda: ctorch.RRefType(_x()), "RRef[Tensor]", "RRefType",
     "RRef[Float(2, strides=[1], requires_grad=0, device=cpu)]"),
    (lambda: ctorch.DictType(S, _x()), "Dict[str, Tensor]", "DictType", "Dict(str, Tensor)"),
    (lambda: ctorch.UnionType([ctorch.ListType(_x()), I]), "Union[List[Tensor], int]",
     "UnionType", "Union(Tensor[], int)"),
    (lambda: ctorch.AwaitType(_x()), "Await[Tensor]", "AwaitType", "Await(Tensor)"),
    (lambda: ctorch.DictType(S, ctorch.AwaitType(ctorch.FutureType(I))),
     "Dict[str, Await[Future[int]]]", "DictType", "Dict(str, Await(Future(int)))"),
    (lambda: ctorch.ListType(ctorch.DictType(S, ctorch.FutureType(I))),
     "List[Dict[str, Future[int]]]", "ListType", "Dict(str, Future(int))[]"),
    (lambda: ctorch.AwaitType(I), "Await[int]", "AwaitType", "Await(int)"),
    (lambda: ctorch.RRefType(I), "RRef[int]", "RRefType", "RRef[int]"),
    (lambda: ctorch.DictType(F, I), "Dict[float, int]", "DictType", "Dict(float, int)"),
    (lambda: ctorch.DictType(A, I), "Dict[Any, int]", "DictType", "Dict(Any, int)"),
    (lambda: ctorch.DictType(ctorch.DeviceObjType.get(), I), "Dict[Device, int]", "DictType",
     "Dict(Device, int)"),
]


@pytest.mark.parametrize("make, text, kind, schema_text", TYPES)
def test_type_strings(make, text, kind, schema_text):
    t = make()
    assert isinstance(t, ctorch.Type)
    assert str(t) == repr(t) == t.annotation_str == t.repr_str() == text
    assert t.kind() == kind
    assert t.str() == schema_text


# (constructor, error type, message)
TYPE_ERRORS = [
    (lambda: ctorch.UnionType([]), RuntimeError, "Cannot create an empty Union"),
    (lambda: ctorch.UnionType([I]), RuntimeError,
     "After type unification was performed, the Union with the original types {int } has the "
     "single type int. Use the common supertype instead of creating a Uniontype"),
    (lambda: ctorch.UnionType([A, F]), RuntimeError,
     "the Union with the original types {Any float, } has the single type Any."),
    (lambda: ctorch.UnionType([T, ctorch.TensorType.create_from_tensor(ctorch.ones(2))]),
     RuntimeError, "{Tensor Tensor, } has the single type Tensor."),
    (lambda: ctorch.OptionalType(N), RuntimeError,
     "{NoneType NoneType, } has the single type NoneType."),
    (lambda: ctorch.DictType(ctorch.ListType(I), I), RuntimeError,
     "Cannot create dict for key type 'int[]', only int, float, complex, Tensor, device and "
     "string keys are supported"),
    (lambda: ctorch.DictType(ctorch.TupleType([I]), I), RuntimeError,
     "Cannot create dict for key type '(int)'"),
    (lambda: ctorch.DictType(ctorch.OptionalType(I), I), RuntimeError,
     "Cannot create dict for key type 'int?'"),
    (lambda: ctorch.ListType(None), RuntimeError, "Can not create ListType with None type"),
    (lambda: ctorch.ListType(int), TypeError, "ListType"),
    (lambda: ctorch.TupleType([I, None]), RuntimeError, "Can not create tuple with None type"),
    (lambda: ctorch.IntType(), TypeError, "IntType: No constructor defined!"),
    (lambda: ctorch.Type(), TypeError, "Type: No constructor defined!"),
    (lambda: I == 1, TypeError, "__eq__"),
    (lambda: I.isSubtypeOf(int), TypeError, "isSubtypeOf"),
    (lambda: hash(ctorch.ListType(I)), TypeError, "unhashable"),
]


@pytest.mark.parametrize("make, exc, msg", TYPE_ERRORS)
def test_type_errors(make, exc, msg):
    with pytest.raises(exc, match=re.escape(msg)):
        make()


def test_singletons_equality_and_contained_types():
    assert ctorch.IntType.get() is ctorch.IntType.get()
    assert ctorch.TensorType.get() is ctorch.TensorType.get()
    assert I == ctorch.IntType.get() and I != F and not (I != I)
    assert ctorch.ListType(I) == ctorch.ListType.ofInts()
    assert ctorch.ListType(I) != ctorch.ListType(F)
    assert ctorch.OptionalType(I) == ctorch.UnionType([I, N])
    assert ctorch.OptionalType(ctorch.UnionType([I, F])) != ctorch.UnionType([I, F, N])
    assert ctorch.UnionType([I, NUM]) == NUM
    assert ctorch.UnionType([F, I]) == ctorch.UnionType([I, F])
    assert [str(t) for t in ctorch.DictType(S, T).containedTypes()] == ["str", "Tensor"]
    assert [str(t) for t in ctorch.UnionType([I, F, C, S]).containedTypes()] == \
        ["float", "complex", "int", "str"]
    assert [str(t) for t in ctorch.UnionType([I, NUM]).containedTypes()] == \
        ["float", "complex", "int"]
    assert [str(t) for t in ctorch.UnionType([I, N]).containedTypes()] == ["int"]
    assert [str(t) for t in ctorch.OptionalType(NUM).containedTypes()] == ["number"]
    assert I.containedTypes() == []
    assert [str(t) for t in ctorch.TupleType([I, F]).elements()] == ["int", "float"]
    assert ctorch.ListType(F).getElementType() == F
    assert ctorch.DictType(S, I).getKeyType() == S and ctorch.DictType(S, I).getValueType() == I
    assert ctorch.OptionalType(ctorch.OptionalType(I)).getElementType() == I
    assert ctorch.FutureType(I).getElementType() == I
    assert ctorch.AwaitType(F).getElementType() == F
    assert ctorch.RRefType(S).getElementType() == S
    assert not I.requires_grad() and T.requires_grad()
    assert ctorch.ListType(T).requires_grad() and not ctorch.ListType(I).requires_grad()
    assert not I.is_interface_type() and not T.is_interface_type()


def _list(t):
    return ctorch.ListType(t)


X = ctorch.TensorType.create_from_tensor(ctorch.ones(2))
# (a, b, a.isSubtypeOf(b))
SUBTYPES = [
    (I, NUM, True), (F, NUM, True), (C, NUM, True), (B, NUM, False), (B, I, False),
    (I, F, False), (I, A, True), (T, A, True), (N, A, True), (ctorch.OptionalType(I), A, True),
    (ctorch.DeviceObjType.get(), A, True), (ctorch.PyObjectType.get(), A, True),
    (I, ctorch.OptionalType(I), True), (N, ctorch.OptionalType(I), True),
    (ctorch.OptionalType(I), I, False), (I, ctorch.OptionalType(NUM), True),
    (ctorch.OptionalType(I), ctorch.OptionalType(NUM), True),
    (_list(I), _list(F), False), (_list(I), _list(NUM), False), (_list(I), _list(A), False),
    (_list(I), ctorch.ListType.ofInts(), True), (_list(X), _list(T), False),
    (_list(I), ctorch.OptionalType(_list(I)), True),
    (ctorch.TupleType([I]), ctorch.TupleType([NUM]), True),
    (ctorch.TupleType([I]), ctorch.TupleType([I, F]), False),
    (ctorch.TupleType([I, F]), ctorch.TupleType([ctorch.OptionalType(I), A]), True),
    (ctorch.DictType(S, I), ctorch.DictType(S, NUM), False),
    (ctorch.DictType(S, I), ctorch.DictType(S, I), True),
    (I, ctorch.UnionType([I, F]), True), (ctorch.UnionType([I, F]), NUM, True),
    (ctorch.UnionType([I, F]), ctorch.UnionType([I, F, S]), True),
    (ctorch.UnionType([I, F, S]), ctorch.UnionType([I, F]), False),
    (ctorch.OptionalType(I), ctorch.UnionType([I, F, N]), True),
    (NUM, ctorch.UnionType([I, F, C]), True), (NUM, I, False),
    (X, T, True), (T, X, False), (I, T, False), (T, NUM, False),
    (ctorch.FutureType(I), ctorch.FutureType(NUM), True),
    (ctorch.AwaitType(I), ctorch.AwaitType(NUM), True),
    (ctorch.RRefType(I), ctorch.RRefType(NUM), False),
    (I, ctorch.SymIntType.get(), False), (ctorch.SymIntType.get(), I, False),
    (B, ctorch.SymBoolType.get(), False),
    (A, ctorch.OptionalType(A), True), (T, ctorch.OptionalType.ofTensor(), True),
]


@pytest.mark.parametrize("a, b, expected", SUBTYPES, ids=lambda v: str(v))
def test_subtyping(a, b, expected):
    assert a.isSubtypeOf(b) is expected


# tensors: (tensor, TensorType.create_from_tensor(t).str())
TENSORS = [
    (lambda: ctorch.ones(2, 3), "Float(2, 3, strides=[3, 1], requires_grad=0, device=cpu)"),
    (lambda: ctorch.ones(3, dtype=ctorch.int64), "Long(3, strides=[1], requires_grad=0, device=cpu)"),
    (lambda: ctorch.ones(3, requires_grad=True),
     "Float(3, strides=[1], requires_grad=1, device=cpu)"),
    (lambda: ctorch.tensor(1.0), "Float(requires_grad=0, device=cpu)"),
    (lambda: ctorch.ones(2, 3).t(), "Float(3, 2, strides=[1, 3], requires_grad=0, device=cpu)"),
    (lambda: ctorch.ones(2, 3)[:, ::2], "Float(2, 2, strides=[3, 2], requires_grad=0, device=cpu)"),
    (lambda: ctorch.ones(0, 3), "Float(0, 3, strides=[3, 1], requires_grad=0, device=cpu)"),
    (lambda: ctorch.ones(2, dtype=ctorch.float64),
     "Double(2, strides=[1], requires_grad=0, device=cpu)"),
    (lambda: ctorch.ones(1, dtype=ctorch.bool), "Bool(1, strides=[1], requires_grad=0, device=cpu)"),
    (lambda: ctorch.ones(1, dtype=ctorch.uint8), "Byte(1, strides=[1], requires_grad=0, device=cpu)"),
    (lambda: ctorch.ones(1, dtype=ctorch.int8), "Char(1, strides=[1], requires_grad=0, device=cpu)"),
    (lambda: ctorch.ones(1, dtype=ctorch.int16),
     "Short(1, strides=[1], requires_grad=0, device=cpu)"),
    (lambda: ctorch.ones(1, dtype=ctorch.int32), "Int(1, strides=[1], requires_grad=0, device=cpu)"),
    (lambda: ctorch.ones(1, dtype=ctorch.float16),
     "Half(1, strides=[1], requires_grad=0, device=cpu)"),
    (lambda: ctorch.ones(1, dtype=ctorch.bfloat16),
     "BFloat16(1, strides=[1], requires_grad=0, device=cpu)"),
    (lambda: ctorch.ones(1, dtype=ctorch.complex64),
     "ComplexFloat(1, strides=[1], requires_grad=0, device=cpu)"),
    (lambda: ctorch.ones(1, dtype=ctorch.complex128),
     "ComplexDouble(1, strides=[1], requires_grad=0, device=cpu)"),
]


@pytest.mark.parametrize("make, text", TENSORS)
def test_complete_tensor_type(make, text):
    x = make()
    t = ctorch.TensorType.create_from_tensor(x)
    assert t.str() == text
    assert str(t) == repr(t) == t.annotation_str == "Tensor" and t.kind() == "TensorType"
    assert t.dim() == x.dim() and t.sizes() == list(x.shape) == t.varyingSizes()
    assert t.strides() == list(x.stride())
    assert t.dtype() == x.dtype and t.device() == x.device
    assert t.scalarType() == text.split("(")[0]
    assert t.requires_grad() == x.requires_grad and t.undefined() is False
    assert t.isSubtypeOf(T) and not T.isSubtypeOf(t) and t != T


def test_tensor_type_queries_and_specialisation():
    assert (T.dim(), T.sizes(), T.strides(), T.scalarType(), T.dtype(), T.device()) == \
        (None,) * 6
    assert T.varyingSizes() is None and T.undefined() is False and T.requires_grad() is True
    assert T.with_dtype(ctorch.float32).str() == "FloatTensor"
    assert T.with_sizes([2, 3]).str() == "Tensor(2, 3)"
    s = T.with_sizes([2, None])
    assert s.str() == "Tensor(2, *)" and s.sizes() is None and s.varyingSizes() == [2, None]
    assert s.dim() == 2 and T.with_sizes(None).dim() is None
    assert T.with_sizes([2, 3]).with_dtype(ctorch.float32).str() == "Float(2, 3)"
    assert T.with_dtype(ctorch.float32).with_sizes([2, 3]).str() == "Float(2, 3)"
    assert T.with_device(ctorch.device("cpu")).str() == "Tensor(device=cpu)"
    with pytest.raises(TypeError, match="Expected device"):
        T.with_device(None)
    c = ctorch.TensorType.create_from_tensor(ctorch.ones(2, 3))
    assert c.with_dtype(ctorch.int64).str() == \
        "Long(2, 3, strides=[3, 1], requires_grad=0, device=cpu)"
    assert c.with_sizes([4]).str() == "Float(4, requires_grad=0, device=cpu)"
    t = ctorch.TensorType.create_from_tensor(ctorch.ones(2, 3).t())
    assert t.contiguous().str() == "Float(3, 2, strides=[2, 1], requires_grad=0, device=cpu)"
    assert T.with_sizes([2, 3]) == T.with_sizes([2, 3])
    assert c == ctorch.TensorType.create_from_tensor(ctorch.zeros(2, 3))
    assert ctorch.TensorType.getInferred() == T


# inference: (value, expected type str, or None and the reason)
INFER = [
    (1, "int", None), (1.5, "float", None), (1 + 2j, "complex", None), (True, "bool", None),
    ("a", "str", None), (None, "NoneType", None), (2 ** 70, "int", None),
    ([1, 2], "List[int]", None), ((1, "a"), "Tuple[int, str]", None), ((), "Tuple[()]", None),
    ({"a": 1}, "Dict[str, int]", None), ({1: "a", 2: "b"}, "Dict[int, str]", None),
    ({1.5: 1}, "Dict[float, int]", None), ({True: 1}, "Dict[bool, int]", None),
    ({1 + 1j: 2}, "Dict[complex, int]", None), ({"a": None}, "Dict[str, NoneType]", None),
    ([[1], [2]], "List[List[int]]", None), ([None], "List[NoneType]", None),
    ([None, 1], "List[Optional[int]]", None), ([1, None], "List[Optional[int]]", None),
    ((None,), "Tuple[NoneType]", None), (["a", "b"], "List[str]", None),
    ([(1, 2), (3, 4)], "List[Tuple[int, int]]", None),
    ([{"a": 1}, {"a": 2}], "List[Dict[str, int]]", None),
    ([], None, "List trace inputs must have elements"),
    ({}, None, "Dictionary inputs must have entries"),
    ([1, 2.0], None,
     "List inputs to traced functions must have consistent element type. Found int and float"),
    ([1.0, 2], None,
     "List inputs to traced functions must have consistent element type. Found float and int"),
    ([1, "a"], None,
     "List inputs to traced functions must have consistent element type. Found int and str"),
    ([True, 1], None,
     "List inputs to traced functions must have consistent element type. Found bool and int"),
    ([1 + 1j, 1], None,
     "List inputs to traced functions must have consistent element type. Found complex and int"),
    ([(1, 2), (3, 4.0)], None,
     "List inputs to traced functions must have consistent element type. Found Tuple[int, int] "
     "and Tuple[int, float]"),
    ([[1], [2.0]], None,
     "List inputs to traced functions must have consistent element type. Found List[int] and "
     "List[float]"),
    ([{"a": 1}, {"b": 1.0}], None,
     "List inputs to traced functions must have consistent element type. Found Dict[str, int] "
     "and Dict[str, float]"),
    ({"a": 1, "b": 2.0}, None,
     "Dictionary inputs to traced functions must have consistent type. Found int and float"),
    ({"a": [1], "b": [1.0]}, None,
     "Dictionary inputs to traced functions must have consistent type. Found List[int] and "
     "List[float]"),
    ([[1], []], None, "Could not infer type of list element: List trace inputs must have elements"),
    ([[]], None, "Could not infer type of list element: List trace inputs must have elements"),
    ([{"a": 1}, {}], None, "Could not infer type of list element: Dictionary inputs must have "
                           "entries"),
    (object(), None, "Only tensors and (possibly nested) tuples of tensors, lists, or dicts are "
                     "supported as inputs or outputs of traced functions, but instead got value "
                     "of type object."),
    (int, None, "Only tensors and (possibly nested) tuples of tensors, lists, or dicts are "
                "supported as inputs or outputs of traced functions, but instead got value of "
                "type type."),
    (slice(1), None, "Only tensors and (possibly nested) tuples of tensors, lists, or dicts are "
                     "supported as inputs or outputs of traced functions, but instead got value "
                     "of type slice."),
    ([object()], None, "Could not infer type of list element: Only tensors and (possibly nested) "
                       "tuples of tensors, lists, or dicts are supported as inputs or outputs of "
                       "traced functions, but instead got value of type object."),
    ((object(),), None, "Only tensors and (possibly nested) tuples of tensors, lists, or dicts "
                        "are supported as inputs or outputs of traced functions, but instead got "
                        "value of type object."),
    ({"a": object()}, None, "Only tensors and (possibly nested) tuples of tensors, lists, or "
                            "dicts are supported as inputs or outputs of traced functions, but "
                            "instead got value of type object."),
]


@pytest.mark.parametrize("value, text, reason", INFER, ids=lambda v: repr(v)[:30])
def test_try_infer_type(value, text, reason):
    r = J.try_infer_type(value)
    assert isinstance(r, ctorch.InferredType)
    if text is None:
        assert not r.success() and r.reason() == reason
        with pytest.raises(RuntimeError, match="Tried to get the type from an InferredType but "
                                               "the type is null. Reason: "):
            r.type()
    else:
        assert r.success() and str(r.type()) == text
        with pytest.raises(RuntimeError):
            r.reason()


def test_try_infer_type_of_library_values():
    cases = [(ctorch.ones(2), "Tensor", "TensorType"),
             (ctorch.device("cpu"), "Device", "DeviceObjType"),
             (ctorch.float32, "int", "IntType"), (ctorch.strided, "int", "IntType"),
             ([ctorch.ones(1), ctorch.ones(2, dtype=ctorch.int64)], "List[Tensor]", "ListType"),
             ({ctorch.ones(1): 1}, "Dict[Tensor, int]", "DictType"),
             ({ctorch.device("cpu"): 1}, "Dict[Device, int]", "DictType"),
             ([ctorch.device("cpu")], "List[Device]", "ListType")]
    for value, text, kind in cases:
        t = J.try_infer_type(value).type()
        assert (str(t), t.kind()) == (text, kind)
    from ctorch import nn
    r = J.try_infer_type(nn.Linear(1, 1))
    assert r.reason() == "Cannot infer concrete type of torch.nn.Module"
    # a dict key type TorchScript has no dict for: raised, not returned
    with pytest.raises(RuntimeError, match=re.escape("Cannot create dict for key type '(int)'")):
        J.try_infer_type({(1,): 1})
    with pytest.raises(RuntimeError, match="Cannot create dict for key type 'NoneType'"):
        J.try_infer_type({None: 1})
    assert ctorch.InferredType(I).type() == I and ctorch.InferredType("bad").reason() == "bad"
    assert not ctorch.InferredType("bad").success()


# annotations: (annotation, expected str, kind)
ANNOTATIONS = [
    (int, "int", "IntType"), (float, "float", "FloatType"), (bool, "bool", "BoolType"),
    (str, "str", "StringType"), (complex, "complex", "ComplexType"),
    (ctorch.Tensor, "Tensor", "TensorType"), (None, "NoneType", "NoneType"),
    (type(None), "NoneType", "NoneType"), (List[int], "List[int]", "ListType"),
    (list[int], "List[int]", "ListType"), (Dict[str, int], "Dict[str, int]", "DictType"),
    (dict[str, float], "Dict[str, float]", "DictType"),
    (Tuple[int, str], "Tuple[int, str]", "TupleType"), (tuple[int], "Tuple[int]", "TupleType"),
    (Tuple[()], "Tuple[()]", "TupleType"), (Optional[int], "Optional[int]", "OptionalType"),
    (Union[int, str], "Union[int, str]", "UnionType"),
    (Union[int, None], "Optional[int]", "OptionalType"),
    (int | None, "Optional[int]", "OptionalType"), (int | str, "Union[int, str]", "UnionType"),
    (Any, "Any", "AnyType"), (ctorch.device, "Device", "DeviceObjType"),
    (type(ctorch.float32), "int", "IntType"),
    (List[Optional[ctorch.Tensor]], "List[Optional[Tensor]]", "ListType"),
    (Optional[Union[int, str]], "Union[int, NoneType, str]", "UnionType"),
    (Union[int, float, complex], "number", "NumberType"),
    (Union[int, float], "Union[float, int]", "UnionType"),
    (dict[str, int] | None, "Optional[Dict[str, int]]", "OptionalType"),
    (tuple[()], "Tuple[()]", "TupleType"), (Optional[Any], "Optional[Any]", "OptionalType"),
]


@pytest.mark.parametrize("ann, text, kind", ANNOTATIONS, ids=lambda v: str(v))
def test_annotation_to_type(ann, text, kind):
    t = J.annotation_to_type(ann)
    assert (str(t), t.kind()) == (text, kind)


@pytest.mark.parametrize("ann, exc, msg", [
    (list, ValueError, "Unknown type annotation: '<class 'list'>'"),
    (dict, ValueError, "Unknown type annotation: '<class 'dict'>'"),
    (set, ValueError, "Unknown type annotation: '<class 'set'>'"),
    (object, ValueError, "Unknown type annotation: '<class 'object'>'"),
    (bytes, ValueError, "Unknown type annotation: '<class 'bytes'>'"),
    (typing.Set[int], ValueError, "Unknown type annotation: 'typing.Set[int]'"),
    (typing.Callable, ValueError, "Unknown type annotation: 'typing.Callable'"),
    ("int", ValueError, "Unknown type annotation: 'int'"),
    (List, RuntimeError, "Attempted to use List without a contained type. Please add a contained "
                         "type, e.g. List[int]"),
    (Tuple, RuntimeError, "Attempted to use Tuple without a contained type. Please add a "
                          "contained type, e.g. Tuple[int]"),
    (Tuple[int, ...], RuntimeError, "Can not create tuple with None type"),
    (Dict[List[int], int], RuntimeError, "Cannot create dict for key type 'int[]'"),
    (Dict, RuntimeError, "Attempted to use Dict without contained types. Please add contained "
                         "type, e.g. Dict[int, int]"),
    (Optional, RuntimeError, "Attempted to use Optional without a contained type. Please add a "
                             "contained type, e.g. Optional[int]"),
    (Union, RuntimeError, "Attempted to use Union without a contained type. Please add a "
                          "contained type, e.g. Union[int]"),
])
def test_annotation_errors(ann, exc, msg):
    with pytest.raises(exc, match=re.escape(msg)):
        J.annotation_to_type(ann)


# schemas: (text, what str() prints)
SCHEMAS = [
    ("aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor", None),
    ("aten::add_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) -> Tensor(a!)", None),
    ("aten::sum(Tensor self, *, ScalarType? dtype=None) -> Tensor", None),
    ("aten::max_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, "
     "int[2] dilation=1, bool ceil_mode=False) -> Tensor", None),
    ("aten::split(Tensor(a -> *) self, int split_size, int dim=0) -> Tensor(a)[]", None),
    ("aten::sort(Tensor self, int dim=-1, bool descending=False) -> (Tensor values, "
     "Tensor indices)", None),
    ("aten::foo(float x=1.5, str s=\"hi\", str t='a', bool? b=None, Device? d=None, "
     "int[]? l=None, float[] f=[1., 2.]) -> ()",
     "aten::foo(float x=1.5, str s=\"hi\", str t=\"a\", bool? b=None, Device? d=None, "
     "int[]? l=None, float[] f=[1., 2.]) -> ()"),
    ("foo(int x) -> int", None),
    ("aten::format(str self, ...) -> str", None),
    ("aten::bar(Tensor[] xs) -> (Tensor, Tensor)", None),
    ("prim::TupleUnpack(Any tup) -> ...", None),
    ("aten::t(Tensor(a) self) -> Tensor(a)", None),
    ("aten::d(Dict(str, Tensor) d, (int, float) t, Generator? g=None, Layout? l=None, "
     "MemoryFormat? m=None, SymInt n=0, SymInt[] sz=[], Scalar? s=None, complex c=1j) -> "
     "Dict(str, Tensor)",
     "aten::d(Dict(str, Tensor) d, (int, float) t, Generator? g=None, Layout? l=None, "
     "MemoryFormat? m=None, SymInt n=0, SymInt[] sz=[], Scalar? s=None, complex c=0.+1.j) -> "
     "Dict(str, Tensor)"),
    ("aten::e(Tensor self, *, Tensor(a!) out) -> Tensor(a!)", None),
    ("aten::f(Tensor self, float eps=1e-05, int x=-1, bool flag=True, float y=-0.5) -> Tensor",
     "aten::f(Tensor self, float eps=1.0000000000000001e-05, int x=-1, bool flag=True, "
     "float y=-0.5) -> Tensor"),
    ("f(float a=0.123456789, float b=1e20, float c=1e-7, float d=123456.5, float e=0.1) -> ()",
     "f(float a=0.123456789, float b=1e+20, float c=9.9999999999999995e-08, float d=123456.5, "
     "float e=0.10000000000000001) -> ()"),
    ("aten::g(Tensor self, int[1] dim, bool keepdim=False) -> Tensor", None),
    ("aten::h(Tensor? self=None) -> Tensor?", None),
    ("aten::i(Any? x, t[] y, t z) -> t", None),
    ("aten::j(Tensor(a!)[] xs) -> ()", None),
    ("aten::k(Future(int) f, Await(int) a, RRef(int) r, Union(int, str) u, Storage s, "
     "ScalarType st, QScheme q, Stream st2) -> int", None),
    ("h(int[] a, Dict(str, float) b, (int, str) c, Union(int, str) d, Tensor? e=None, "
     "str s=\"x\", bool bb=True, float[]? l=None) -> ((int, float))", None),
]


@pytest.mark.parametrize("text, printed", SCHEMAS)
def test_schema_round_trip(text, printed):
    s = J.parse_schema(text)
    assert isinstance(s, ctorch.FunctionSchema)
    assert str(s) == repr(s) == (printed or text)
    if "complex c=" in text:
        return                            # see test_schema_parse_errors
    again = J.parse_schema(str(s))
    assert again == s and str(again) == str(s) and hash(again) == hash(s)


def test_schema_and_argument_constructors():
    x = ctorch.Argument("x", I, None, None, False, None)
    assert not x.has_default_value() and x.default_value is None
    y = ctorch.Argument("y", I, None, 3, True, None)
    assert y.has_default_value() and y.default_value == 3 and y.kwarg_only
    r = ctorch.Argument("", I, None, None, False, None)
    s = ctorch.FunctionSchema("ns::f", "ov", [x, y], [r], False, False)
    assert str(s) == "ns::f.ov(int x, *, int y=3) -> int"
    assert (s.name, s.overload_name) == ("ns::f", "ov")
    assert str(ctorch.FunctionSchema("f", "", [], [], True, True)) == "f(...) -> ..."
    lst = ctorch.Argument("l", ctorch.ListType(I), 2, [1, 1], False, None)
    assert str(ctorch.FunctionSchema("g", "", [lst], [], False, False)) == "g(int[2] l=1) -> ()"
    # arguments compare by identity, schemas by value
    assert x != ctorch.Argument("x", I, None, None, False, None) and hash(x) == hash(x)
    assert s == ctorch.FunctionSchema("ns::f", "ov", [x, y], [r], False, False)


def _arg(a):
    return (a.name, str(a.type), str(a.real_type), a.N, a.default_value, a.has_default_value(),
            a.kwarg_only, a.is_out, a.is_write)


def test_schema_attributes():
    s = J.parse_schema("aten::add_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) "
                       "-> Tensor(a!)")
    assert (s.name, s.overload_name, s.is_mutable) == ("aten::add_", "Tensor", True)
    assert [_arg(a) for a in s.arguments] == [
        ("self", "Tensor", "Tensor", None, None, False, False, False, True),
        ("other", "Tensor", "Tensor", None, None, False, False, False, False),
        ("alpha", "number", "number", None, 1, True, True, False, False)]
    info = s.arguments[0].alias_info
    assert (info.is_write, info.before_set, info.after_set) == (True, {"a"}, {"a"})
    assert s.arguments[1].alias_info is None
    assert [_arg(r) for r in s.returns] == [("", "Tensor", "Tensor", None, None, False, False,
                                             False, True)]
    s = J.parse_schema("aten::max_pool2d(Tensor self, int[2] kernel_size, int[2] stride=[], "
                       "int[2] padding=0, bool ceil_mode=False) -> Tensor")
    assert [(a.name, str(a.type), a.N, a.default_value) for a in s.arguments] == [
        ("self", "Tensor", None, None), ("kernel_size", "List[int]", 2, None),
        ("stride", "List[int]", 2, []), ("padding", "List[int]", 2, [0, 0]),
        ("ceil_mode", "bool", None, False)]
    s = J.parse_schema("aten::d(ScalarType? dtype=None, Layout l, SymInt n=0, SymInt[] sz=[], "
                       "complex c=1j, float x=2, str s='a') -> Dict(str, Tensor)")
    assert [(str(a.type), str(a.real_type), a.default_value) for a in s.arguments] == [
        ("Optional[int]", "Optional[ScalarType]", None), ("int", "Layout", None),
        ("int", "int", 0), ("List[int]", "List[int]", []), ("complex", "complex", 1j),
        ("float", "float", 2.0), ("str", "str", "a")]
    assert s.arguments[2].type.str() == "int" and str(s.returns[0].type) == "Dict[str, Tensor]"
    s = J.parse_schema("aten::split(Tensor(a -> *) self, int split_size) -> Tensor(a)[]")
    info = s.arguments[0].alias_info
    assert (info.is_write, info.before_set, info.after_set) == (False, {"a"}, {"*"})
    info = s.returns[0].alias_info
    assert (info.is_write, info.before_set, info.after_set) == (False, set(), set())
    s = J.parse_schema("aten::e(Tensor self, *, Tensor(a!) out) -> Tensor(a!)")
    assert s.arguments[1].is_out and s.arguments[1].kwarg_only
    assert J.parse_schema("aten::format(str self, ...) -> str").is_vararg
    assert J.parse_schema("prim::TupleUnpack(Any tup) -> ...").is_varret


@pytest.mark.parametrize("text, msg", [
    ("aten::add(Tensor self", "expected ) but found 'eof' here:\naten::add(Tensor self"),
    ("add(Tensor self) ->", "expected ident but found 'eof' here:\nadd(Tensor self) ->"),
    ("aten::add(Tensor self, Tensor) -> Tensor",
     "expected ident but found ')' here:\naten::add(Tensor self, Tensor) -> Tensor\n"
     "                             ~ <--- HERE\n"),
    ("aten::add(Foo self) -> Tensor",
     "\nunknown type specifier. Common valid schema types include Tensor, SymInt, int, float, "
     "bool, Scalar; for a full list, please see "
     "https://github.com/pytorch/pytorch/blob/main/aten/src/ATen/native/README.md#func :\n"
     "aten::add(Foo self) -> Tensor\n          ~~~ <--- HERE\n"),
    ("aten::add(Tensor self)", "expected arrow but found 'eof' here:\naten::add(Tensor self)"),
    ("aten::f(Tensor self, float z=inf) -> Tensor",
     "\ninvalid numeric default value:\naten::f(Tensor self, float z=inf) -> Tensor\n"
     "                                ~ <--- HERE\n"),
    # a complex default prints as 0.+1.j, which the parser (as PyTorch's) does not read back
    ("aten::d(complex c=0.+1.j) -> int",
     "expected ) but found '+' here:\naten::d(complex c=0.+1.j) -> int\n"
     "                    ~ <--- HERE\n"),
])
def test_schema_parse_errors(text, msg):
    with pytest.raises(RuntimeError) as info:
        J.parse_schema(text)
    assert str(info.value) == msg


def f_annotated(x: ctorch.Tensor, y: int, z: float = 2.0,
                w: Optional[List[int]] = None) -> ctorch.Tensor:
    return x


def g_plain(x, y):
    return x


def h_many(a: List[int], b: Dict[str, float], c: Tuple[int, str], d: Union[int, str],
           e: Optional[ctorch.Tensor] = None, s: str = "x", bb: bool = True,
           l: Optional[list[float]] = None, cpx: complex = 1j) -> Tuple[int, float]:
    return 1, 2.0


def kw_only(x: int, y: Optional[int] = None, *, z: int) -> int:
    return x


def none_ret(x: Optional[int]) -> None:
    pass


def num_args(x: float, y: complex, z: bool, s: str, d: ctorch.device, n: List[float],
             t: Tuple[float, int]) -> None:
    pass


@pytest.mark.parametrize("fn, text", [
    (f_annotated, "f_annotated(Tensor x, int y, float z=2., int[]? w=None) -> Tensor"),
    (g_plain, "g_plain(Tensor x, Tensor y) -> Tensor"),
    (h_many, "h_many(int[] a, Dict(str, float) b, (int, str) c, Union(int, str) d, "
             "Tensor? e=None, str s=\"x\", bool bb=True, float[]? l=None, complex cpx=0.+1.j) -> "
             "((int, float))"),
    (kw_only, "kw_only(int x, int? y=None, *, int z) -> int"),
    (none_ret, "none_ret(int? x) -> NoneType"),
    (num_args, "num_args(float x, complex y, bool z, str s, Device d, float[] n, "
               "(float, int) t) -> NoneType"),
])
def test_schema_from_callable(fn, text):
    s = J.schema_from_callable(fn)
    assert str(s) == text


def test_schema_from_callable_names_and_errors():
    assert str(J.schema_from_callable(g_plain, name="m.g")) == "m.g(Tensor x, Tensor y) -> Tensor"

    class M:
        def forward(self, x: int) -> int:
            return x
    assert str(J.schema_from_callable(M.forward, skip_self=True)) == "forward(int x) -> int"

    def varargs(x, *args):
        return x

    def kw_default(x, *, y: int = 1):
        return x

    def mutable_default(x: List[int] = [1]):           # noqa: B006
        return x
    for fn in (varargs, kw_default):
        with pytest.raises(RuntimeError, match="Compiled functions can't take variable number of "
                                               "arguments or use keyword-only arguments with "
                                               "defaults"):
            J.schema_from_callable(fn)
    with pytest.raises(RuntimeError, match="Mutable default parameters are not supported"):
        J.schema_from_callable(mutable_default)


F_DECL = "f_annotated(Tensor x, int y, float z=2., int[]? w=None) -> Tensor"
H_DECL = ("h_many(int[] a, Dict(str, float) b, (int, str) c, Union(int, str) d, Tensor? e=None, "
          "str s=\"x\", bool bb=True, float[]? l=None, complex cpx=0.+1.j) -> ((int, float))")
NUM_DECL = ("num_args(float x, complex y, bool z, str s, Device d, float[] n, (float, int) t) "
            "-> NoneType")
PYBIND = ("Unable to cast Python instance of type <class '{}'> to C++ type '?' (#define "
          "PYBIND11_DETAILED_ERROR_MESSAGES or compile in debug mode for details)")


def _mismatch(fn, expected, arg, found, pos, value, decl, details, hint=""):
    return (f"{fn}() Expected a value of type '{expected}' for argument '{arg}' but instead found "
            f"type '{found}'.\n{hint}Position: {pos}\nValue: {value}\nDeclaration: {decl}\n"
            f"Cast error details: {details}")


_t = ctorch.ones(1)
# (function, args, kwargs, expected message)
BIND_ERRORS = [
    (f_annotated, (1,), {}, _mismatch("f_annotated", "Tensor", "x", "int", 0, "1", F_DECL,
                                      "Unable to cast 1 to Tensor")),
    (f_annotated, (_t,), {}, f"f_annotated() is missing value for argument 'y'. Declaration: "
                             f"{F_DECL}"),
    (f_annotated, (_t, 1.5), {}, _mismatch("f_annotated", "int", "y", "float", 1, "1.5", F_DECL,
                                           PYBIND.format("float"))),
    (f_annotated, (_t, 1, "a"), {}, _mismatch("f_annotated", "float", "z", "str", 2, "'a'",
                                              F_DECL, PYBIND.format("str"))),
    (f_annotated, (_t, 1, 2.0, 3), {}, _mismatch("f_annotated", "Optional[List[int]]", "w", "int",
                                                 3, "3", F_DECL, PYBIND.format("int"))),
    (f_annotated, (_t, 1), {"q": 3}, f"Unknown keyword argument 'q' for operator 'f_annotated'. "
                                     f"Schema: {F_DECL}"),
    (f_annotated, (_t, 1), {"y": 1}, f"Argument 'y' specified both as positional and keyword "
                                     f"argument. Schema: {F_DECL}"),
    (f_annotated, (_t, 1), {"w": [1.5]}, _mismatch("f_annotated", "Optional[List[int]]", "w",
                                                   "list", 3, "[1.5]", F_DECL,
                                                   PYBIND.format("list"))),
    (f_annotated, (_t, [1]), {}, _mismatch("f_annotated", "int", "y", "list", 1, "[1]", F_DECL,
                                           PYBIND.format("list"))),
    (f_annotated, (_t, 1, 2.0, [1], 5), {}, f"f_annotated() expected at most 4 argument(s) but "
                                            f"received 5 argument(s). Declaration: {F_DECL}"),
    (f_annotated, (_t, 1, 2.0, [1], 5), {"q": 1}, f"f_annotated() expected at most 4 argument(s) "
                                                  f"but received 6 argument(s). Declaration: "
                                                  f"{F_DECL}"),
    (g_plain, (1, 2), {}, _mismatch("g_plain", "Tensor (inferred)", "x", "int", 0, "1",
                                    "g_plain(Tensor x, Tensor y) -> Tensor",
                                    "Unable to cast 1 to Tensor",
                                    "Inferred 'x' to be of type 'Tensor' because it was not "
                                    "annotated with an explicit type.\n")),
    (h_many, ([1.5], {}, (1, "a"), 1), {}, _mismatch("h_many", "List[int]", "a", "list", 0,
                                                     "[1.5]", H_DECL, PYBIND.format("list"))),
    (h_many, ([1], {"a": 1.0}, (1, 2), 1), {}, _mismatch("h_many", "Tuple[int, str]", "c",
                                                         "tuple", 2, "(1, 2)", H_DECL,
                                                         PYBIND.format("int"))),
    (h_many, ([1], {"a": 1.0}, (1, "a"), 1.5), {},
     _mismatch("h_many", "Union[int, str]", "d", "float", 3, "1.5", H_DECL,
               "Expected a member of Union[int, str] but instead found type float")),
    (h_many, ([1], {"a": 1.0}, (1, "a"), 1), {"e": 1},
     _mismatch("h_many", "Optional[Tensor]", "e", "int", 4, "1", H_DECL,
               "Unable to cast 1 to Tensor")),
    (h_many, ([1], {1: 1.0}, (1, "a"), 1), {}, _mismatch("h_many", "Dict[str, float]", "b",
                                                         "dict", 1, "{1: 1.0}", H_DECL,
                                                         PYBIND.format("int"))),
    (h_many, ([1], {"a": 1.0}, (1, "a", 3), 1), {},
     _mismatch("h_many", "Tuple[int, str]", "c", "tuple", 2, "(1, 'a', 3)", H_DECL,
               "Object (1, 'a', 3) had a different number of elements than type "
               "Tuple[int, str]")),
    (kw_only, (1, 2, 3), {}, "kw_only() takes 2 positional argument(s) but 3 was/were given.  "
                             "Declaration: kw_only(int x, int? y=None, *, int z) -> int"),
    (kw_only, (1, 2), {}, "kw_only() is missing value for argument 'z'. Declaration: "
                          "kw_only(int x, int? y=None, *, int z) -> int"),
    (none_ret, (2.5,), {}, _mismatch("none_ret", "Optional[int]", "x", "float", 0, "2.5",
                                     "none_ret(int? x) -> NoneType", PYBIND.format("float"))),
    (num_args, (ctorch.ones(2), 1j, True, "a", ctorch.device("cpu"), [1.0], (1.0, 1)), {},
     _mismatch("num_args", "float", "x", "Tensor", 0, "tensor([1., 1.])", NUM_DECL,
               PYBIND.format(f"{ctorch.Tensor.__module__}.Tensor"))),
    (num_args, (1.0, 1j, True, "a", ctorch.device("cpu"), ctorch.ones(2), (1.0, 1)), {},
     _mismatch("num_args", "List[float]", "n", "Tensor", 5, "tensor([1., 1.])", NUM_DECL,
               PYBIND.format(f"{ctorch.Tensor.__module__}.Tensor"))),
]


def u_float_int(x: Union[float, int]) -> str:
    return str(x)


def u_int_str(x: Union[int, str]) -> int:
    return 1


def u_list_int(x: Union[List[float], int]) -> int:
    return 1


# a Union takes a value whose inferred type is one of its members, unconverted
UNION_ERRORS = [
    (u_float_int, True, "Union[float, int]", "bool"),
    (u_int_str, [1.5], "Union[int, str]", "List[float]"),
    (u_int_str, ctorch.ones(1), "Union[int, str]", "Tensor"),
    (u_int_str, None, "Union[int, str]", "NoneType"),
    (u_list_int, [1], "Union[List[float], int]", "List[int]"),
    (u_list_int, 1.5, "Union[List[float], int]", "float"),
]


@pytest.mark.parametrize("fn, value, union, found", UNION_ERRORS)
def test_bind_union(fn, value, union, found):
    s = J.schema_from_callable(fn)
    with pytest.raises(RuntimeError) as info:
        s.bind((value,), {})
    assert str(info.value) == (
        f"{fn.__name__}() Expected a value of type '{union}' for argument 'x' but instead found "
        f"type '{type(value).__name__}'.\nPosition: 0\nValue: {value!r}\nDeclaration: {s}\n"
        f"Cast error details: Expected a member of {union} but instead found type {found}")


def test_bind_union_keeps_values_and_enums_pass_as_ints():
    s = J.schema_from_callable(u_float_int)
    assert _same(s.bind((1,), {})[0], 1) and _same(s.bind((1.5,), {})[0], 1.5)
    assert J.schema_from_callable(u_list_int).bind(([1.0],), {}) == [[1.0]]
    with pytest.raises(RuntimeError, match="Cast error details: Tracer cannot infer type of "):
        J.schema_from_callable(u_int_str).bind((object(),), {})

    def as_int(x: int) -> int:
        return x
    s = J.schema_from_callable(as_int)
    codes = [(ctorch.strided, 0), (ctorch.contiguous_format, 0), (ctorch.preserve_format, 1),
             (ctorch.channels_last, 2), (ctorch.channels_last_3d, 3), (ctorch.uint8, 0),
             (ctorch.int8, 1), (ctorch.int16, 2), (ctorch.int32, 3), (ctorch.int64, 4),
             (ctorch.float16, 5), (ctorch.float32, 6), (ctorch.float64, 7), (ctorch.complex64, 9),
             (ctorch.complex128, 10), (ctorch.bool, 11), (ctorch.bfloat16, 15)]
    for value, code in codes:
        assert s.bind((value,), {}) == [code]
    sch = J.parse_schema("aten::sum(Tensor self, *, ScalarType? dtype=None) -> Tensor")
    assert sch.bind((ctorch.ones(1),), {"dtype": ctorch.float64})[1] == 7
    assert not J.try_infer_type(ctorch.contiguous_format).success()


@pytest.mark.parametrize("fn, args, kwargs, msg", BIND_ERRORS)
def test_bind_errors(fn, args, kwargs, msg):
    s = J.schema_from_callable(fn)
    with pytest.raises(RuntimeError) as info:
        s.bind(args, kwargs)
    assert str(info.value) == msg


def _same(a, b):
    return type(a) is type(b) and a == b


def test_bind_converts_and_fills_defaults():
    s = J.schema_from_callable(f_annotated)
    t = ctorch.ones(1)
    out = s.bind((t, True), {})
    assert out[0] is t and _same(out[1], 1) and _same(out[2], 2.0) and out[3] is None
    out = s.bind((t, 1, 3), {"w": (1, 2)})
    assert _same(out[2], 3.0) and out[3] == [1, 2]
    out = s.bind((None, ctorch.tensor(3)), {})           # an undefined tensor; a scalar tensor
    assert out[0] is None and _same(out[1], 3)
    out = s.bind((), {"x": t, "y": 1, "z": ctorch.tensor(2.5)})
    assert _same(out[2], 2.5)
    s = J.schema_from_callable(num_args)
    out = s.bind((True, 1, 1, "a", "cpu", [1], (1, 1)), {})
    assert _same(out[0], 1.0) and _same(out[1], 1 + 0j) and _same(out[2], True)
    assert out[4] == ctorch.device("cpu") and _same(out[5][0], 1.0) and _same(out[6][0], 1.0)
    assert _same(s.bind((1.0, 1.5, ctorch.tensor(True), "a", ctorch.device("cpu"), [1.0],
                         (1.0, 1)), {})[2], True)
    s = J.schema_from_callable(h_many)
    lst = J.script_container([1])
    out = s.bind((lst, {"a": 1}, (1, "a"), "u"), {})
    assert out[0] is lst and _same(out[1]["a"], 1.0) and out[3] == "u"
    assert out[4:] == [None, "x", True, None, 1j]
    s = J.schema_from_callable(kw_only)
    assert s.bind((1,), {"z": 2}) == [1, None, 2]


def test_script_list():
    SC = J.script_container
    lst = SC([1, 2, 3])
    assert type(lst) is ctorch.ScriptList and str(lst) == repr(lst) == "[1, 2, 3]"
    assert str(J.try_infer_type(lst).type()) == "List[int]"
    lst.append(True)
    lst.append(4)
    assert list(lst) == [1, 2, 3, 1, 4] and len(lst) == 5
    for bad in (1.5, "a"):
        with pytest.raises(TypeError, match=re.escape("cannot be an element of a ScriptList of "
                                                      "type List[int]")):
            lst.append(bad)
    with pytest.raises(TypeError):
        lst[0] = "x"
    lst[0] = 10
    assert lst[0] == 10 and lst[-1] == 4
    with pytest.raises(IndexError):
        lst[10]
    with pytest.raises(IndexError):
        lst[-10]
    assert type(lst[1:3]) is ctorch.ScriptList and str(lst[1:3]) == "[2, 3]"
    assert str(lst[::2]) == "[10, 3, 4]"
    lst[0:2] = [7, 8]
    assert str(lst) == "[7, 8, 3, 1, 4]"
    with pytest.raises(RuntimeError, match="Left and right hand size of slice assignment have "
                                           "different sizes"):
        lst[0:1] = [5, 6]
    with pytest.raises(TypeError):
        del lst[0:1]
    del lst[0]
    with pytest.raises(IndexError):
        del lst[100]
    lst.extend([5, 6])
    with pytest.raises(TypeError):
        lst.extend([5, "a"])                        # nothing is added
    lst.extend(SC([9]))
    lst.insert(0, 0)
    with pytest.raises(TypeError):
        lst.insert(0, "a")
    with pytest.raises(IndexError, match="list index out of range"):
        lst.insert(100, 1)
    assert str(lst) == "[0, 8, 3, 1, 4, 5, 6, 9]"
    assert lst.pop() == 9 and lst.pop(0) == 0
    with pytest.raises(IndexError, match="list index out of range"):
        lst.pop(100)
    lst.remove(5)
    with pytest.raises(ValueError):
        lst.remove(555)
    with pytest.raises(TypeError):
        lst.remove("a")
    assert lst.count(1) == 1 and 1 in lst and 555 not in lst
    with pytest.raises(TypeError):
        lst.count("a")
    with pytest.raises(TypeError):
        "a" in lst
    it = iter(lst)
    assert type(it) is ctorch.ScriptListIterator and list(it) == [8, 3, 1, 4, 6]
    assert lst == lst and lst != SC(list(lst)) and lst != list(lst)   # identity, as PyTorch
    assert hash(lst) == hash(lst)
    lst.clear()
    assert str(lst) == "[]" and len(lst) == 0
    with pytest.raises(IndexError):
        lst.pop()
    with pytest.raises(TypeError, match="No constructor defined!"):
        ctorch.ScriptListIterator()
    x = SC([1, 2])
    x.insert(-1, 9)
    x.insert(3, 7)
    assert str(x) == "[1, 9, 2, 7]"
    with pytest.raises(IndexError):
        x.insert(-10, 9)
    assert x.pop(-2) == 2


def test_script_list_element_types():
    SC = J.script_container
    floats = SC([1.0])
    floats.append(ctorch.tensor(3.0))
    floats.append(2)
    floats.append(True)
    assert str(floats) == "[1., 3., 2., 1.]" and all(type(v) is float for v in floats)
    ints = SC([1])
    ints.append(ctorch.tensor(3.5))
    assert list(ints) == [1, 3]
    with pytest.raises(TypeError):
        ints.append(ctorch.ones(2))
    empty = SC([])
    assert str(J.try_infer_type(empty).type()) == "List[Tensor]"
    with pytest.raises(TypeError):
        empty.append(1)
    empty.append(ctorch.ones(1))
    with pytest.raises(TypeError, match="Unable to cast 1.0 to Tensor"):
        SC([ctorch.ones(1)]).append(1.0)
    opt = SC([None, 1])
    opt.append(None)
    assert str(opt) == "[None, 1, None]"
    nested = SC([[1], [2]])
    inner = nested[0]
    assert type(inner) is list and inner == [1]
    inner.append(3)                        # a copy: the script list is unchanged
    assert str(nested) == "[[1], [2]]"
    nested[0] = [5]
    assert str(nested) == "[[5], [2]]"
    t = ctorch.ones(1)
    assert t in SC([t]) and ctorch.ones(1) in SC([ctorch.ones(1)])
    assert SC([1.0, 1.0]).count(1) == 2
    assert SC(["a"])[0] == "a"
    assert str(SC([0.1, -0.0, float("inf"), float("nan"), 1e10, 123456789.0, 1.5e-7, -2.0,
                   1 / 3])) == ("[0.10000000000000001, -0., inf, nan, 10000000000., 123456789., "
                                "1.4999999999999999e-07, -2., 0.33333333333333331]")
    assert str(SC([1e18, 9.2e18, 1e19, 10000000000.5])) == \
        "[1000000000000000000., 9200000000000000000., 1e+19, 10000000000.5]"
    assert str(SC([1.5 - 2j, 1j, -1 + 0j, complex(0.1, 3)])) == \
        "[1.5-2.j, 0.+1.j, -1.+0.j, 0.10000000000000001+3.j]"
    assert str(SC([True, False])) == "[True, False]" and str(SC(["a", "b"])) == "[a, b]"
    assert str(SC([(1, "a")])) == "[(1, a)]" and str(SC([(1,)])) == "[(1,)]"
    assert str(SC([{"a": 1}])) == "[{a: 1}]"
    with pytest.raises(TypeError):
        SC([1]) + [2]


def test_script_dict():
    SC = J.script_container
    d = SC({"a": 1, "b": 2})
    assert type(d) is ctorch.ScriptDict and str(d) == repr(d) == "{a: 1, b: 2}"
    assert str(J.try_infer_type(d).type()) == "Dict[str, int]"
    assert d["a"] == 1
    with pytest.raises(KeyError):
        d["z"]
    with pytest.raises(KeyError):
        d[1]
    with pytest.raises(TypeError, match=re.escape("cannot be a key of a ScriptDict of type "
                                                  "Dict[str, int]")):
        d[1] = 1
    with pytest.raises(TypeError, match="cannot be a value"):
        d["c"] = "x"
    d["c"] = 3
    assert str(d) == "{a: 1, b: 2, c: 3}"
    del d["c"]
    with pytest.raises(KeyError):
        del d["zz"]
    with pytest.raises(TypeError):
        del d[1]
    assert "a" in d and "z" not in d
    with pytest.raises(KeyError):
        1 in d
    assert type(iter(d)) is ctorch.ScriptDictKeyIterator and list(iter(d)) == ["a", "b"]
    assert type(d.keys()) is ctorch.ScriptDictKeyIterator and list(d.keys()) == ["a", "b"]
    assert type(d.items()) is ctorch.ScriptDictIterator
    assert list(d.items()) == [("a", 1), ("b", 2)]
    assert type(iter(d.items())) is ctorch.ScriptDictIterator
    assert len(d) == 2 and d == d and d != {"a": 1, "b": 2}
    assert not hasattr(d, "values") and not hasattr(d, "get")
    e = SC({})
    assert str(e) == "{}" and str(J.try_infer_type(e).type()) == "Dict[str, Tensor]"
    e["a"] = ctorch.ones(1)
    with pytest.raises(TypeError):
        e["b"] = 1
    o = SC({"b": 1, "a": 2})
    o["b"] = 5
    assert list(o.items()) == [("b", 5), ("a", 2)]
    assert str(SC({1: [1.0]})) == "{1: [1.]}" and str(SC({1.5: "x"})) == "{1.5: x}"
    assert str(SC({"a": [1.0, 2.0], "b": [3.0]})) == "{a: [1., 2.], b: [3.]}"
    assert str(SC({"a": ("x", 1.0)})) == "{a: (x, 1.)}"
    with pytest.raises(TypeError, match="No constructor defined!"):
        ctorch.ScriptDictIterator()


def test_script_container_errors_and_explicit_types():
    with pytest.raises(J.Error, match=re.escape(
            "Unable to infer type of list: List inputs to traced functions must have consistent "
            "element type. Found int and float")):
        J.script_container([1, 2.0])
    with pytest.raises(J.Error, match=re.escape(
            "Unable to infer type of dictionary: Dictionary inputs to traced functions must have "
            "consistent type. Found int and float")):
        J.script_container({"a": 1, "b": 2.0})
    with pytest.raises(J.Error, match="Could not infer type of list element"):
        ctorch.ScriptList([[1], []])
    with pytest.raises(TypeError):
        ctorch.ScriptList(3)
    with pytest.raises(TypeError):
        J.script_container((1, 2))
    lst = J.script_container([1, 2], ctorch.ListType(F))
    assert str(lst) == "[1., 2.]" and str(J.try_infer_type(lst).type()) == "List[float]"
    with pytest.raises(TypeError):
        J.script_container(["a"], ctorch.ListType(F))
    d = J.script_container({}, ctorch.DictType(I, ctorch.ListType(S)))
    d[1] = ["x"]
    assert str(d) == "{1: [x]}"
    assert str(ctorch.ScriptList([1, 2])) == "[1, 2]"
    assert str(ctorch.ScriptDict({"a": 1})) == "{a: 1}"


def test_named_types():
    c = ctorch.ClassType("__torch__.Foo")
    c._add_attribute("x", I)
    c._add_method("__init__")
    c._add_method("get")
    assert (str(c), c.str(), c.annotation_str, c.kind()) == \
        ("__torch__.Foo", "__torch__.Foo", "__torch__.Foo", "ClassType")
    assert (c.name(), c.qualified_name(), c.method_names(), c.containedTypes()) == \
        ("Foo", "__torch__.Foo", ["__init__", "get"], [I])
    assert c == ctorch.ClassType("__torch__.Foo") and c != ctorch.ClassType("__torch__.Bar")
    assert c.isSubtypeOf(A) and not c.is_interface_type()
    i = ctorch.InterfaceType("__torch__.Iface")
    schema = J.parse_schema("f(Tensor self, int x) -> int")
    i._add_method(schema)
    assert (str(i), i.str(), i.annotation_str, i.kind()) == \
        ("__torch__.Iface", "InterfaceType<Iface>", "__torch__.Iface", "InterfaceType")
    assert i.is_interface_type() and i.getMethodNames() == ["f"] and i.getMethod("f") is schema
    assert not c.isSubtypeOf(i)
    e = ctorch.EnumType("__torch__.Color", I, [("RED", 1)])
    assert (str(e), e.str(), e.annotation_str, e.kind(), e.containedTypes()) == \
        ("__torch__.Color", "Enum<__torch__.Color>", "__torch__.Color", "EnumType", [I])


# (new schema, old schema, new.is_backward_compatible_with(old),
#  new.check_forward_compatible_with(old))
_NOT_FC = "'{}' is not forward compatible with the older version of the schema"
_NO_DEFAULT_FC = ("Function schema is not forward compatible since the new argument 'y' of type "
                  "int did not provide a default value.")
COMPATIBILITY = [
    ("f(int x) -> int", "f(int x) -> int", True, (True, "")),
    ("f(int x, int y=1) -> int", "f(int x) -> int", True, (True, "")),
    ("f(int x, int y) -> int", "f(int x) -> int", False, (False, _NO_DEFAULT_FC)),
    ("f(Scalar x) -> int", "f(int x) -> int", True, (False, _NOT_FC.format("x"))),
    ("f(int x) -> int", "f(Scalar x) -> int", False, (True, "")),
    ("f(int x) -> int", "f(int x) -> Scalar", True, (True, "")),
    ("f(int x) -> Scalar", "f(int x) -> int", False, (True, "")),
    ("f(int x=2) -> int", "f(int x=1) -> int", False, (False, _NOT_FC.format("x"))),
    ("f(int x=1) -> int", "f(int x) -> int", True, (False, _NOT_FC.format("x"))),
    ("f(int z) -> int", "f(int x) -> int", False, (False, _NOT_FC.format("z"))),
    ("f(int x, *, int y) -> int", "f(int x, int y) -> int", False, (False, _NOT_FC.format("y"))),
    ("f(int x, int y) -> int", "f(int x, *, int y) -> int", True, (True, "")),
    ("g(int x) -> int", "f(int x) -> int", False, (False, "")),
    ("f(Tensor x, int y=1, *, Tensor(a!) out) -> Tensor(a!)",
     "f(Tensor x, *, Tensor(a!) out) -> Tensor(a!)", True, (True, "")),
    ("f(Tensor x, int y, *, Tensor(a!) out) -> Tensor(a!)",
     "f(Tensor x, *, Tensor(a!) out) -> Tensor(a!)", False, (False, _NO_DEFAULT_FC)),
    ("f(Tensor(a) x) -> Tensor", "f(Tensor x) -> Tensor", False, (False, _NOT_FC.format("x"))),
    ("f(int x) -> (int, int)", "f(int x) -> int", False, (False, "")),
    ("f.o(int x) -> int", "f(int x) -> int", False, (False, "")),
    ("f(int? x) -> int", "f(int x) -> int", True, (False, _NOT_FC.format("x"))),
    ("f(int[2] x) -> int", "f(int[] x) -> int", False, (False, _NOT_FC.format("x"))),
]


@pytest.mark.parametrize("new, old, bc, fc", COMPATIBILITY)
def test_schema_compatibility(new, old, bc, fc):
    new, old = J.parse_schema(new), J.parse_schema(old)
    assert new.is_backward_compatible_with(old) is bc
    assert new.check_forward_compatible_with(old) == fc
