"""The torch namespace's infrastructure: dtype limits (finfo/iinfo, against
numpy's), type predicates, the library-wide switches, torch.Size, scalar
conversions, asarray's memory sharing, storages and the legacy tensor types,
the default device, inference tensors, anomaly detection and the legacy
autograd names. Each topic is a table of (call, expected) cases; expected
values come from numpy and PyTorch's documented behaviour and messages."""
import platform
import re
import warnings

import numpy as np
import pytest

import ctorch as torch


def _raises(fn, exc, match):
    with pytest.raises(exc, match=match):
        fn()


# ------------------------------------------------------------ finfo / iinfo

FLOATS = [("float16", "float16"), ("float32", "float32"), ("float64", "float64"),
          ("complex64", "float32"), ("complex128", "float64")]


@pytest.mark.parametrize("name,part", FLOATS)
def test_finfo_matches_numpy(name, part):
    f, ref = torch.finfo(getattr(torch, name)), np.finfo(np.dtype(part))
    assert (f.bits, f.eps, f.max, f.min, f.tiny, f.smallest_normal, f.resolution, f.dtype) == (
        ref.bits, float(ref.eps), float(ref.max), float(ref.min), float(ref.tiny),
        float(ref.smallest_normal), 10.0 ** -ref.precision, part)
    assert all(type(v) is float for v in (f.eps, f.max, f.min, f.tiny, f.resolution))
    assert repr(f) == (f"finfo(resolution={10.0 ** -ref.precision:g}, min={float(ref.min):g}, "
                       f"max={float(ref.max):g}, eps={float(ref.eps):g}, "
                       f"smallest_normal={float(ref.smallest_normal):g}, "
                       f"tiny={float(ref.tiny):g}, dtype={part})")


@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "int64"])
def test_iinfo_matches_numpy(name):
    i, ref = torch.iinfo(getattr(torch, name)), np.iinfo(np.dtype(name))
    assert (i.bits, i.min, i.max, i.dtype) == (ref.bits, int(ref.min), int(ref.max), name)
    assert repr(i) == f"iinfo(min={ref.min:g}, max={ref.max:g}, dtype={name})"


def test_finfo_defaults_and_equality():
    assert repr(torch.finfo()) == ("finfo(resolution=1e-06, min=-3.40282e+38, max=3.40282e+38, "
                                   "eps=1.19209e-07, smallest_normal=1.17549e-38, "
                                   "tiny=1.17549e-38, dtype=float32)")
    assert torch.finfo(torch.float32) == torch.finfo(torch.complex64)
    assert torch.finfo(torch.float32) != torch.finfo(torch.float64)
    assert torch.iinfo(torch.int8) == torch.iinfo(torch.int8)
    _raises(lambda: hash(torch.finfo()), TypeError, "unhashable")
    _raises(lambda: setattr(torch.finfo(), "eps", 1.0), AttributeError, "not writable")
    assert torch.finfo().eps == np.finfo(np.float32).eps


INFO_ERRORS = [
    (lambda: torch.finfo(torch.int32), TypeError,
     r"torch.finfo\(\) requires a floating point input type. Use torch.iinfo"),
    (lambda: torch.finfo(torch.bool), TypeError, r"requires a floating point input type"),
    (lambda: torch.iinfo(torch.float32), TypeError,
     r"torch.iinfo\(\) requires an integer input type. Use torch.finfo"),
    (lambda: torch.iinfo(torch.complex64), TypeError, r"requires an integer input type"),
    (lambda: torch.iinfo(torch.bool), TypeError, r"torch.bool is not supported by torch.iinfo"),
    (lambda: torch.finfo("float32"), TypeError, r"must be torch.dtype, not str"),
]


@pytest.mark.parametrize("fn,exc,match", INFO_ERRORS)
def test_info_errors(fn, exc, match):
    _raises(fn, exc, match)


# -------------------------------------------------------------- predicates

class _Sub(torch.Tensor):
    pass


PREDICATES = [
    ("is_tensor(tensor)", lambda: torch.is_tensor(torch.zeros(1)), True),
    ("is_tensor(int)", lambda: torch.is_tensor(1), False),
    ("is_storage(storage)", lambda: torch.is_storage(torch.zeros(1).storage()), True),
    ("is_storage(untyped)", lambda: torch.is_storage(torch.zeros(1).untyped_storage()), True),
    ("is_storage(tensor)", lambda: torch.is_storage(torch.zeros(1)), False),
    ("typename float", lambda: torch.typename(torch.zeros(2)), "torch.FloatTensor"),
    ("typename long", lambda: torch.typename(torch.zeros(2, dtype=torch.int64)),
     "torch.LongTensor"),
    ("typename cfloat", lambda: torch.typename(torch.zeros(2, dtype=torch.complex64)),
     "torch.ComplexFloatTensor"),
    ("typename int", lambda: torch.typename(1), "int"),
    ("typename class", lambda: torch.typename(_Sub), "test_api_misc._Sub"),
    ("is_nonzero 1", lambda: torch.is_nonzero(torch.tensor([1.0])), True),
    ("is_nonzero 0", lambda: torch.is_nonzero(torch.tensor([0.0])), False),
    ("is_nonzero nan", lambda: torch.tensor(float("nan")).is_nonzero(), True),
    ("is_nonzero 0j", lambda: torch.tensor(0j).is_nonzero(), False),
    ("is_signed uint8", lambda: torch.is_signed(torch.zeros(1, dtype=torch.uint8)), False),
    ("is_signed bool", lambda: torch.is_signed(torch.zeros(1, dtype=torch.bool)), False),
    ("is_signed int8", lambda: torch.zeros(1, dtype=torch.int8).is_signed(), True),
    ("is_signed complex", lambda: torch.zeros(1, dtype=torch.complex64).is_signed(), True),
    ("get_device", lambda: torch.get_device(torch.zeros(1)), -1),
    ("is_inference", lambda: torch.is_inference(torch.zeros(1)), False),
    ("is_inference_mode_enabled", lambda: torch.is_inference_mode_enabled(), False),
    ("get_device_module cpu", lambda: torch.get_device_module("cpu").current_device(), "cpu"),
    ("get_device_module device",
     lambda: torch.get_device_module(torch.device("cpu")) is torch.cpu, True),
    ("get_device_module cuda", lambda: torch.get_device_module("cuda") is torch.cuda, True),
    ("detach", lambda: torch.detach(torch.ones(2, requires_grad=True)).requires_grad, False),
    ("detach_", lambda: torch.detach_((torch.ones(2, requires_grad=True) * 2)).grad_fn, None),
    ("strided layout", lambda: isinstance(torch.strided, torch.layout), True),
    ("memory formats", lambda: [repr(f) for f in (torch.contiguous_format, torch.channels_last,
                                                  torch.channels_last_3d,
                                                  torch.preserve_format)],
     ["torch.contiguous_format", "torch.channels_last", "torch.channels_last_3d",
      "torch.preserve_format"]),
    ("memory_format type", lambda: isinstance(torch.channels_last, torch.memory_format), True),
    ("OutOfMemoryError", lambda: torch.OutOfMemoryError is torch.cuda.OutOfMemoryError
     and issubclass(torch.OutOfMemoryError, RuntimeError), True),
]


@pytest.mark.filterwarnings("ignore:TypedStorage is deprecated")
@pytest.mark.parametrize("call,fn,expected", PREDICATES, ids=[p[0] for p in PREDICATES])
def test_predicates(call, fn, expected):
    assert fn() == expected


PREDICATE_ERRORS = [
    (lambda: torch.is_nonzero(torch.tensor([])), RuntimeError,
     "Boolean value of Tensor with no values is ambiguous"),
    (lambda: torch.is_nonzero(torch.tensor([1, 2])), RuntimeError,
     "Boolean value of Tensor with more than one value is ambiguous"),
    (lambda: torch.is_nonzero(1), TypeError,
     r"is_nonzero\(\): argument 'input' \(position 1\) must be Tensor, not int"),
    (lambda: torch.is_signed(1), TypeError, r"is_signed\(\): argument 'input'"),
    (lambda: torch.get_device(1), TypeError, r"get_device\(\): argument 'input'"),
    (lambda: torch.get_device_module(1), RuntimeError,
     "Invalid value of device '1', expect torch.device, str, or None"),
]


@pytest.mark.parametrize("fn,exc,match", PREDICATE_ERRORS)
def test_predicate_errors(fn, exc, match):
    _raises(fn, exc, match)


def test_const_data_ptr_and_as_subclass():
    t = torch.arange(4.0)
    assert t[1:].const_data_ptr() == t.data_ptr() + 4
    s = t.as_subclass(_Sub)
    assert type(s) is _Sub and s.data_ptr() == t.data_ptr() and s.tolist() == t.tolist()
    _raises(lambda: t.as_subclass(int), TypeError,
            "Creating a Tensor subclass from a class that does not inherit from Tensor")


# ------------------------------------------------------- apply_ / map_ / map2_

CALLABLE_METHODS = [
    ("apply_", lambda: torch.arange(4.0).apply_(lambda x: x * 2), [0.0, 2.0, 4.0, 6.0]),
    ("apply_ int truncates", lambda: torch.arange(4).apply_(lambda x: x + 0.5), [0, 1, 2, 3]),
    ("map_", lambda: torch.arange(4.0).map_(torch.ones(4), lambda a, b: a + b),
     [1.0, 2.0, 3.0, 4.0]),
    ("map_ broadcast", lambda: torch.arange(4.0).map_(torch.ones(1), lambda a, b: a - b),
     [-1.0, 0.0, 1.0, 2.0]),
    ("map2_", lambda: torch.arange(4.0).map2_(torch.ones(4), torch.full((4,), 2.0),
                                              lambda a, b, c: a + b * c), [2.0, 3.0, 4.0, 5.0]),
]


@pytest.mark.parametrize("name,fn,expected", CALLABLE_METHODS,
                         ids=[c[0] for c in CALLABLE_METHODS])
def test_callable_methods(name, fn, expected):
    assert fn().tolist() == expected


CALLABLE_ERRORS = [
    (lambda: torch.ones(2, requires_grad=True).apply_(lambda v: v), RuntimeError,
     r"Can't call apply_\(\) on Variable that requires grad. Use var.detach\(\).apply_\(\)"),
    (lambda: torch.ones(4).map_(torch.ones(3), lambda a, b: a), RuntimeError,
     "The expanded size of the tensor"),
    (lambda: torch.ones(4).map_(torch.ones(4, dtype=torch.int64), lambda a, b: a), TypeError,
     r"map_: expected torch.FloatTensor for 'other' \(got torch.LongTensor\)"),
]


@pytest.mark.parametrize("fn,exc,match", CALLABLE_ERRORS)
def test_callable_method_errors(fn, exc, match):
    _raises(fn, exc, match)


def test_volatile_warns_and_is_false():
    with pytest.warns(UserWarning, match=r"volatile was removed \(Variable.volatile is always"):
        assert torch.ones(1).volatile is False


# ------------------------------------------------------------------ switches

@pytest.fixture
def restore_switches():
    yield
    torch.set_float32_matmul_precision("highest")
    torch.use_deterministic_algorithms(False)
    torch.set_warn_always(False)


SWITCHES = [
    (lambda: torch.set_float32_matmul_precision("high"), torch.get_float32_matmul_precision,
     "high"),
    (lambda: torch.set_float32_matmul_precision("medium"), torch.get_float32_matmul_precision,
     "medium"),
    (lambda: torch.use_deterministic_algorithms(True),
     lambda: (torch.are_deterministic_algorithms_enabled(),
              torch.is_deterministic_algorithms_warn_only_enabled(),
              torch.get_deterministic_debug_mode()), (True, False, 2)),
    (lambda: torch.use_deterministic_algorithms(True, warn_only=True),
     lambda: (torch.are_deterministic_algorithms_enabled(),
              torch.is_deterministic_algorithms_warn_only_enabled(),
              torch.get_deterministic_debug_mode()), (True, True, 1)),
    (lambda: torch.set_deterministic_debug_mode("warn"),
     lambda: (torch.are_deterministic_algorithms_enabled(),
              torch.is_deterministic_algorithms_warn_only_enabled()), (True, True)),
    (lambda: torch.set_deterministic_debug_mode(2), torch.get_deterministic_debug_mode, 2),
    (lambda: torch.set_deterministic_debug_mode("default"),
     torch.are_deterministic_algorithms_enabled, False),
    (lambda: torch.set_warn_always(True), torch.is_warn_always_enabled, True),
    (lambda: torch.init_num_threads(), torch.get_num_threads, torch.get_num_threads()),
]


@pytest.mark.parametrize("setter,getter,expected", SWITCHES)
def test_switches(setter, getter, expected, restore_switches):
    assert setter() is None
    assert getter() == expected


EMPTY_FILL = [("float32", np.nan), ("float64", np.nan), ("complex64", np.nan),
              ("int32", np.iinfo(np.int32).max), ("int64", np.iinfo(np.int64).max),
              ("uint8", 255), ("bool", True)]


@pytest.mark.parametrize("dtype,value", EMPTY_FILL)
def test_deterministic_mode_fills_empty(dtype, value, restore_switches):
    torch.use_deterministic_algorithms(True)
    dt = getattr(torch, dtype)
    for t in (torch.empty(3, dtype=dt), torch.empty_like(torch.ones(2, dtype=dt)),
              torch.ones(1, dtype=dt).new_empty(2)):
        got = t.numpy().real if dtype.startswith("complex") else t.numpy()
        np.testing.assert_array_equal(got, np.full(got.shape, value, dtype=got.dtype))


def test_defaults_of_switches():
    assert torch.get_float32_matmul_precision() == "highest"
    assert torch.get_deterministic_debug_mode() == 0
    assert torch.is_warn_always_enabled() is False
    assert torch.get_num_interop_threads() >= 1


SWITCH_ERRORS = [
    (lambda: torch.set_float32_matmul_precision(1), RuntimeError,
     "set_float32_matmul_precision expects a str, but got int"),
    (lambda: torch.use_deterministic_algorithms(1), TypeError,
     r"argument 'mode' \(position 1\) must be bool, not int"),
    (lambda: torch.set_deterministic_debug_mode("foo"), RuntimeError,
     "invalid value of debug_mode, expected one of `default`, `warn`, `error`, but got foo"),
    (lambda: torch.set_deterministic_debug_mode(3), RuntimeError,
     "invalid value of debug_mode, expected 0, 1, or 2, but got 3"),
    (lambda: torch.set_deterministic_debug_mode(1.0), TypeError,
     "debug_mode must be str or int, but got <class 'float'>"),
    (lambda: torch.set_num_interop_threads(0), RuntimeError,
     "set_num_interop_threads expects a positive integer"),
    (lambda: torch.set_flush_denormal(1), RuntimeError, "flush_denormal expects a bool, but got int"),
    (lambda: torch.set_default_tensor_type("torch.Foo"), TypeError, "invalid type: 'torch.Foo'"),
]


@pytest.mark.filterwarnings("ignore:torch.set_default_tensor_type")
@pytest.mark.parametrize("fn,exc,match", SWITCH_ERRORS)
def test_switch_errors(fn, exc, match):
    _raises(fn, exc, match)


def test_matmul_precision_unknown_value_warns_and_keeps():
    with pytest.warns(UserWarning, match="foo is not one of 'highest', 'high', or 'medium'"):
        torch.set_float32_matmul_precision("foo")
    assert torch.get_float32_matmul_precision() == "highest"


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64", "i686"),
                    reason="FTZ/DAZ are x86's")
def test_flush_denormal():
    tiny = 1e-310                                 # a float64 denormal
    x = torch.full((300000,), tiny, dtype=torch.float64)     # large: the threaded path too
    try:
        assert torch.set_flush_denormal(True) is True
        assert (x * 1.0).eq(0).all().item()
    finally:
        assert torch.set_flush_denormal(False) is True
    assert (x * 1.0).eq(tiny).all().item()


# ---------------------------------------------------------------- torch.Size

SIZES = [
    (lambda: torch.Size([2, 3]) + (4,), (2, 3, 4)),
    (lambda: (4,) + torch.Size([2, 3]), (4, 2, 3)),
    (lambda: torch.Size([2, 3]) + torch.Size([4]), (2, 3, 4)),
    (lambda: torch.Size([2, 3, 4])[1:], (3, 4)),
    (lambda: torch.Size([2, 3]) * 2, (2, 3, 2, 3)),
    (lambda: 2 * torch.Size([2, 3]), (2, 3, 2, 3)),
    (lambda: torch.Size([torch.tensor(2), 3]), (2, 3)),
    (lambda: torch.zeros(2, 3).shape[::-1], (3, 2)),
]


@pytest.mark.parametrize("fn,expected", SIZES)
def test_size_ops_return_size(fn, expected):
    r = fn()
    assert type(r) is torch.Size and r == expected


def test_size_scalars_and_repr():
    s = torch.Size([2, 3])
    assert (s[0], s.numel(), torch.Size([]).numel(), s.count(2), s.index(3)) == (2, 6, 1, 1, 1)
    assert (repr(s), str(torch.Size([]))) == ("torch.Size([2, 3])", "torch.Size([])")
    _raises(lambda: s + [4], TypeError,
            r"can only concatenate tuple \(not list\) to torch.Size")
    _raises(lambda: torch.Size([2.0]), TypeError,
            r"torch.Size\(\) takes an iterable of 'int' \(item 0 is 'float'\)")


# ------------------------------------------------------ scalar conversions

CONVERSIONS = [
    (lambda: float(torch.tensor(1 + 0j)), 1.0),
    (lambda: int(torch.tensor(1.5 + 0j)), 1),
    (lambda: complex(torch.tensor(1.5)), 1.5 + 0j),
    (lambda: torch.tensor(1 + 2j).item(), 1 + 2j),
]


@pytest.mark.parametrize("fn,expected", CONVERSIONS)
def test_scalar_conversions(fn, expected):
    r = fn()
    assert r == expected and type(r) is type(expected)


CONVERSION_ERRORS = [
    (lambda: float(torch.tensor(1 + 2j)), RuntimeError,
     "value cannot be converted to type double without overflow"),
    (lambda: int(torch.tensor(1 + 2j)), RuntimeError,
     "value cannot be converted to type int64_t without overflow"),
    (lambda: float(torch.tensor([1, 2])), ValueError,
     "only one element tensors can be converted to Python scalars"),
    (lambda: int(torch.tensor(float("nan"))), ValueError, "cannot convert float NaN to integer"),
]


@pytest.mark.parametrize("fn,exc,match", CONVERSION_ERRORS)
def test_scalar_conversion_errors(fn, exc, match):
    _raises(fn, exc, match)


# ------------------------------------------------------------------ asarray

_A = np.arange(4, dtype=np.float32)

# (call, shares _A's / the source tensor's memory, expected dtype name)
ASARRAY = [
    ("ndarray", lambda t: torch.asarray(_A), True, "float32"),
    ("ndarray same dtype copy=False", lambda t: torch.asarray(_A, dtype=torch.float32,
                                                             copy=False), True, "float32"),
    ("ndarray strided", lambda t: torch.asarray(_A[::2]), True, "float32"),
    ("ndarray copy=True", lambda t: torch.asarray(_A, copy=True), False, "float32"),
    ("ndarray dtype", lambda t: torch.asarray(_A, dtype=torch.float64), False, "float64"),
    ("memoryview", lambda t: torch.asarray(memoryview(_A)), True, "float32"),
    ("tensor", lambda t: torch.asarray(t), True, "float32"),
    ("tensor copy=True", lambda t: torch.asarray(t, copy=True), False, "float32"),
    ("tensor dtype", lambda t: torch.asarray(t, dtype=torch.float64), False, "float64"),
    ("list", lambda t: torch.asarray([1, 2]), False, "int64"),
    ("numpy scalar", lambda t: torch.asarray(np.float64(2.0)), False, "float64"),
]


@pytest.mark.parametrize("name,fn,shares,dtype", ASARRAY, ids=[a[0] for a in ASARRAY])
def test_asarray_sharing(name, fn, shares, dtype):
    t = torch.arange(4.0)
    r = fn(t)
    source = t.data_ptr() if "tensor" in name else _A.ctypes.data
    assert (r.data_ptr() == source) == shares
    assert str(r.dtype) == "torch." + dtype
    if name == "tensor":
        assert r is t


ASARRAY_ERRORS = [
    (lambda: torch.asarray(_A, dtype=torch.float64, copy=False), ValueError,
     "can't alias tensor with dtype 'Float' into dtype 'Double'."),
    (lambda: torch.asarray(torch.ones(2), dtype=torch.float64, copy=False), ValueError,
     "can't alias tensor with dtype 'Float' into dtype 'Double'."),
    (lambda: torch.asarray([1, 2], copy=False), ValueError,
     "can't alias arbitrary sequence into a tensor."),
    (lambda: torch.asarray(np.float64(2.0), copy=False), RuntimeError,
     "can't alias NumPy scalars."),
    (lambda: torch.asarray(_A.astype(">f4")), ValueError,
     "given numpy array has byte order different from the native byte order"),
    (lambda: torch.asarray(torch.ones(2, dtype=torch.int64), requires_grad=True), RuntimeError,
     "Tensors of floating point"),
]


@pytest.mark.parametrize("fn,exc,match", ASARRAY_ERRORS)
def test_asarray_errors(fn, exc, match):
    _raises(fn, exc, re.escape(match) if "'" in match else match)


def test_asarray_requires_grad():
    leaf = torch.ones(2, requires_grad=True)
    with pytest.warns(UserWarning, match="unspecified requires_grad now defaults to obj"):
        assert torch.asarray(leaf) is leaf
    with pytest.warns(UserWarning):
        assert torch.asarray(leaf, copy=True).grad_fn.name() == "CloneBackward0"
    r = torch.asarray(_A, requires_grad=True)
    assert r.requires_grad and r.is_leaf and r.data_ptr() == _A.ctypes.data
    assert not torch.asarray(leaf * 2, requires_grad=False).requires_grad


# -------------------------------------------------- storages, legacy types

def test_typed_storage_views_the_tensor():
    t = torch.arange(4.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = t[1:].storage()
    assert (s.size(), len(s), s.dtype, s.tolist(), s[1], s[-1]) == (
        4, 4, torch.float32, [0.0, 1.0, 2.0, 3.0], 1.0, 3.0)
    assert (s.data_ptr(), s.nbytes(), s.element_size(), s.device) == (
        t.data_ptr(), 16, 4, torch.device("cpu"))
    assert (s.type(), s.pickle_storage_type(), isinstance(s, torch.FloatStorage),
            isinstance(s, torch.DoubleStorage), isinstance(s, torch.TypedStorage)) == (
        "torch.FloatStorage", "FloatStorage", True, False, True)
    s[0] = 7.0
    assert t[0].item() == 7.0                       # a view of the tensor's memory
    assert torch.tensor(s).tolist() == [7.0, 1.0, 2.0, 3.0]
    assert s.double().dtype is torch.float64 and s.clone().data_ptr() != s.data_ptr()
    assert repr(torch.FloatStorage([1, 2])) == (
        " 1.0\n 2.0\n[torch.storage.TypedStorage(dtype=torch.float32, device=cpu) of size 2]")
    u = t.untyped_storage()
    assert (type(u) is torch.UntypedStorage, u.size(), u.nbytes(), u.data_ptr()) == (
        True, 16, 16, t.data_ptr())
    assert u.tolist()[4:8] == list(np.float32(1.0).tobytes())
    assert isinstance(u, torch.StorageBase) and not isinstance(s, torch.StorageBase)
    assert torch.Storage is torch.FloatStorage and isinstance(s, torch.Storage)
    _raises(lambda: s[1:3], RuntimeError, "slices are only supported in UntypedStorage")
    _raises(lambda: s[4], IndexError, "index 4 out of range for storage of size 4")


STORAGE_CLASSES = [("FloatStorage", "float32"), ("DoubleStorage", "float64"),
                   ("HalfStorage", "float16"), ("LongStorage", "int64"),
                   ("IntStorage", "int32"), ("ShortStorage", "int16"), ("CharStorage", "int8"),
                   ("ByteStorage", "uint8"), ("BoolStorage", "bool"),
                   ("ComplexFloatStorage", "complex64"), ("ComplexDoubleStorage", "complex128")]


@pytest.mark.parametrize("cls,dtype", STORAGE_CLASSES)
def test_legacy_storage_classes(cls, dtype):
    C = getattr(torch, cls)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = C([1, 0])
        assert (C.dtype, s.dtype, s.size(), C(3).size(), s.type()) == (
            getattr(torch, dtype), getattr(torch, dtype), 2, 3, "torch." + cls)
        assert s.element_size() == np.dtype(dtype).itemsize
        assert isinstance(torch.zeros(1, dtype=getattr(torch, dtype)).storage(), C)


TENSOR_TYPES = [("FloatTensor", "float32"), ("DoubleTensor", "float64"),
                ("HalfTensor", "float16"), ("LongTensor", "int64"), ("IntTensor", "int32"),
                ("ShortTensor", "int16"), ("CharTensor", "int8"), ("ByteTensor", "uint8"),
                ("BoolTensor", "bool")]


@pytest.mark.parametrize("cls,dtype", TENSOR_TYPES)
def test_legacy_tensor_types(cls, dtype):
    C, dt = getattr(torch, cls), getattr(torch, dtype)
    assert C(2, 3).shape == (2, 3) and C(2, 3).dtype is dt
    assert C(torch.Size([4])).shape == (4,)
    assert C([1, 0]).tolist() == np.array([1, 0], dtype=dtype).tolist()
    assert C().shape == (0,) and type(C([1])) is torch.Tensor
    assert isinstance(torch.zeros(2, dtype=dt), C)
    assert not isinstance(torch.zeros(2, dtype=torch.complex64), C)
    assert torch.zeros(2, dtype=torch.complex64).type("torch." + cls).dtype is dt or \
        dt is torch.bool
    assert torch.zeros(2).type(C).dtype is dt


def test_set_default_tensor_type():
    try:
        with pytest.warns(UserWarning, match=r"set_default_tensor_type\(\) is deprecated"):
            torch.set_default_tensor_type(torch.DoubleTensor)
        assert torch.get_default_dtype() is torch.float64 and torch.ones(1).dtype is torch.float64
        with pytest.warns(UserWarning):
            torch.set_default_tensor_type("torch.FloatTensor")
        assert torch.get_default_dtype() is torch.float32
        with pytest.warns(UserWarning):
            _raises(lambda: torch.set_default_tensor_type(torch.LongTensor), TypeError,
                    "only floating-point types are supported as the default type")
    finally:
        torch.set_default_dtype(torch.float32)


def test_set_and_is_set_to():
    t = torch.arange(6.0)
    u = t.untyped_storage()
    cases = [
        (lambda e: e.set_(t), [0.0, 1.0, 2.0, 3.0, 4.0, 5.0], (6,), 0),
        (lambda e: e.set_(u, 1, (2,), (1,)), [1.0, 2.0], (2,), 1),
        (lambda e: e.set_(u, 0, (2, 2), (2, 1)), [[0.0, 1.0], [2.0, 3.0]], (2, 2), 0),
        (lambda e: e.set_(t.storage(), 2, (2,)), [2.0, 3.0], (2,), 2),
        (lambda e: e.set_(u), [0.0, 1.0, 2.0, 3.0, 4.0, 5.0], (6,), 0),
        (lambda e: e.set_(), [], (0,), 0),
    ]
    for fn, values, shape, offset in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            e = fn(torch.empty(3))
        assert (e.tolist(), e.shape, e.storage_offset()) == (values, shape, offset)
        if shape != (0,):
            assert e.untyped_storage().data_ptr() == t.data_ptr()
    e = torch.empty(0).set_(t)
    e[0] = 9.0                                           # shares t's memory
    assert t[0].item() == 9.0
    assert e.is_set_to(t) and not torch.empty(0).set_(t[1:]).is_set_to(t)
    _raises(lambda: torch.empty(0).set_(t.to(torch.int64)), RuntimeError,
            "Could not set tensor of type long int to a tensor of type float")
    _raises(lambda: torch.empty(0).set_(u, 0, (10,), (1,)), RuntimeError,
            r"setStorage: sizes \[10\], strides \[1\], storage offset 0, and itemsize 4 "
            r"requiring a storage size of 40 are out of bounds for storage of size 24")
    _raises(lambda: torch.empty(0, requires_grad=True).set_(t), RuntimeError,
            "a leaf Variable that requires grad is being used in an in-place operation.")
    _raises(lambda: torch.empty(0).set_(1), TypeError,
            r"set_\(\) received an invalid combination of arguments - got \(int\)")


# ------------------------------------------------------------ default device

@pytest.fixture
def emulated_cuda():
    torch.cuda._emulate(True)
    yield
    torch.set_default_device(None)
    torch.cuda._emulate(False)


FACTORIES = [
    lambda: torch.zeros(2), lambda: torch.ones(2, 2), lambda: torch.empty(3),
    lambda: torch.full((2,), 1.5), lambda: torch.arange(3), lambda: torch.tensor([1, 2]),
    lambda: torch.linspace(0, 1, 3), lambda: torch.eye(2), lambda: torch.rand(2),
]


def test_device_context_and_default_device(emulated_cuda):
    cuda0 = torch.device("cuda", 0)
    with torch.device("cuda"):
        assert torch.get_default_device() == cuda0
        assert [f().device for f in FACTORIES] == [cuda0] * len(FACTORIES)
        assert torch.zeros(2, device="cpu").device == torch.device("cpu")
        with torch.device("cpu"):
            assert torch.zeros(1).device == torch.device("cpu")
        assert torch.zeros(1).device == cuda0
    assert torch.zeros(1).device == torch.device("cpu")
    assert torch.get_default_device() == torch.device("cpu")
    torch.set_default_device("cuda")
    assert torch.ones(3).device == cuda0 and torch.ones(3).tolist() == [1.0, 1.0, 1.0]
    torch.set_default_device(None)
    assert torch.ones(1).device == torch.device("cpu")


# -------------------------------------------------------- inference tensors

def test_inference_mode_tensors():
    normal = torch.ones(2, requires_grad=True)
    with torch.inference_mode():
        assert torch.is_inference_mode_enabled() and not torch.is_grad_enabled()
        x = torch.ones(2)
        flags = (x.is_inference(), x[:1].is_inference(), normal[:1].is_inference(),
                 torch.from_numpy(np.ones(2)).is_inference(), normal.detach().is_inference())
        x.add_(1)                                         # fine inside
        with torch.inference_mode(False):
            assert torch.is_grad_enabled() and not torch.is_inference_mode_enabled()
            assert not torch.ones(1).is_inference()
    assert flags == (True, True, False, True, False)
    assert not torch.is_inference_mode_enabled() and torch.is_grad_enabled()
    assert x.is_inference() and x.detach().is_inference() and torch.is_inference(x)
    assert not x.clone().is_inference()
    inplace = "Inplace update to inference tensor outside InferenceMode is not allowed"
    for fn in (lambda: x.add_(1), lambda: x.mul_(2), lambda: x.zero_(), lambda: x.fill_(1),
               lambda: x.copy_(torch.ones(2)), lambda: x.__setitem__(0, 5.0)):
        _raises(fn, RuntimeError, inplace)
    _raises(lambda: x.requires_grad_(), RuntimeError,
            "Setting requires_grad=True on inference tensor outside InferenceMode")
    _raises(lambda: (x * normal).sum().backward(), RuntimeError,
            "Inference tensors cannot be saved for backward")
    (x + normal).sum().backward()                          # add saves nothing
    assert normal.grad.tolist() == [1.0, 1.0]


# --------------------------------------------------------------- autograd

def test_detect_anomaly_nan_and_trace():
    x = torch.tensor([0.0, 1.0], requires_grad=True)
    with pytest.warns(UserWarning) as record:
        with pytest.raises(RuntimeError,
                           match=r"Function 'SqrtBackward0' returned nan values in its 0th output."):
            with torch.autograd.detect_anomaly():
                assert torch.is_anomaly_enabled() and torch.is_anomaly_check_nan_enabled()
                y = torch.sqrt(x)  # the forward call named in the trace
                (y * 0).sum().backward()
    messages = [str(w.message) for w in record]
    assert any(m.startswith("Anomaly Detection has been enabled") for m in messages)
    trace = [m for m in messages if m.startswith("Error detected in SqrtBackward0. Traceback of "
                                                  "forward call that caused the error:")]
    assert trace and "y = torch.sqrt(x)  # the forward call named in the trace" in trace[0]
    assert not torch.is_anomaly_enabled()


def test_anomaly_switches_and_decorator():
    x = torch.tensor([0.0, 1.0], requires_grad=True)
    with pytest.warns(UserWarning):
        @torch.autograd.detect_anomaly(check_nan=False)
        def run():
            assert torch.is_anomaly_enabled() and not torch.is_anomaly_check_nan_enabled()
            (torch.sqrt(x) * 0).sum().backward()           # NaN gradient, not checked
    with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"):
        run()
    assert np.isnan(x.grad.tolist()[0])
    torch.autograd.set_detect_anomaly(True)
    try:
        assert torch.is_anomaly_enabled() and torch.is_anomaly_check_nan_enabled()
    finally:
        torch.autograd.set_detect_anomaly(False)
    torch.set_anomaly_enabled(True, False)
    assert torch.is_anomaly_enabled() and not torch.is_anomaly_check_nan_enabled()
    torch.set_anomaly_enabled(False)
    assert not torch.is_anomaly_enabled() and torch.is_anomaly_check_nan_enabled()
    with torch.autograd.set_detect_anomaly(True):
        assert torch.is_anomaly_enabled()
    assert not torch.is_anomaly_enabled()


def test_variable_and_autograd_switches():
    V = torch.autograd.Variable
    t = torch.ones(2)
    v = V(t, requires_grad=True)
    assert type(v) is torch.Tensor and v.requires_grad and v is not t
    assert v.data_ptr() == t.data_ptr() and not V(t).requires_grad
    assert isinstance(t, V) and V().shape == (0,)
    _raises(lambda: V(3), TypeError, "Variable data has to be a tensor, but got int")
    with pytest.warns(UserWarning, match="volatile was removed and now has no effect"):
        V(t, volatile=True)
    assert torch.autograd.is_multithreading_enabled()
    with torch.autograd.set_multithreading_enabled(False):
        assert not torch.autograd.is_multithreading_enabled()
    assert torch.autograd.is_multithreading_enabled()
    assert torch.autograd.is_view_replay_enabled() is False
    a = torch.ones(2, requires_grad=True)
    assert isinstance(a, torch.Tensor) and torch.autograd.SavedTensor.__name__ == "SavedTensor"


def test_post_accumulate_grad_hook():
    a = torch.ones(2, requires_grad=True)
    seen = []
    h = a.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.tolist()))
    (a * a).sum().backward()
    (a * 3).sum().backward()
    assert seen == [[2.0, 2.0], [5.0, 5.0]]                # after each accumulation
    h.remove()
    (a * 3).sum().backward()
    assert len(seen) == 2
    b = torch.ones(2, requires_grad=True)
    b.register_post_accumulate_grad_hook(lambda p: seen.append("b"))
    (a * b).sum().backward(inputs=[b])
    assert seen[-1] == "b"
    b.register_post_accumulate_grad_hook(lambda p: 5)
    _raises(lambda: (b * 2).sum().backward(), TypeError,
            "expected Variable, but hook returned 'int'")
    _raises(lambda: (a * 2).register_post_accumulate_grad_hook(lambda p: None), RuntimeError,
            "post accumulate grad hooks cannot be registered on non-leaf tensors")
    _raises(lambda: torch.ones(2).register_post_accumulate_grad_hook(lambda p: None),
            RuntimeError, "cannot register a hook on a tensor that doesn't require gradient")


def test_saved_tensors_on_grad_fn():
    a = torch.ones(2, requires_grad=True)
    b = a * a
    assert b.grad_fn._saved_self is a and b.grad_fn._saved_other is a
    assert isinstance(b.grad_fn._raw_saved_self, torch.autograd.SavedTensor)
    e = a.exp()
    assert e.grad_fn._saved_result.tolist() == np.exp([1.0, 1.0]).astype(np.float32).tolist()
    b.sum().backward()
    _raises(lambda: b.grad_fn._saved_self, RuntimeError,
            "Trying to backward through the graph a second time")
    _raises(lambda: b.grad_fn._saved_nothing, AttributeError,
            "'MulBackward0' object has no attribute '_saved_nothing'")


# ------------------------------------------------------------ in-place products

def _f64(*shape, seed=0):
    return np.random.default_rng(seed + len(shape)).standard_normal(shape)


# (method, self shape, operand shapes, numpy reference of the product)
INPLACE_PRODUCTS = [
    ("addmm_", (2, 4), [(2, 3), (3, 4)], lambda a, b: a @ b),
    ("addmv_", (2,), [(2, 3), (3,)], lambda a, b: a @ b),
    ("addbmm_", (2, 4), [(5, 2, 3), (5, 3, 4)], lambda a, b: (a @ b).sum(0)),
    ("baddbmm_", (5, 2, 4), [(5, 2, 3), (5, 3, 4)], lambda a, b: a @ b),
    ("addr_", (2, 4), [(2,), (4,)], np.outer),
]


@pytest.mark.parametrize("name,shape,ops,ref", INPLACE_PRODUCTS, ids=[p[0] for p in INPLACE_PRODUCTS])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_inplace_products(name, shape, ops, ref, dtype):
    c, a, b = _f64(*shape), _f64(*ops[0], seed=1), _f64(*ops[1], seed=2)
    t = torch.tensor(c, dtype=getattr(torch, dtype))
    ptr = t.data_ptr()
    r = getattr(t, name)(torch.tensor(a, dtype=t.dtype), torch.tensor(b, dtype=t.dtype),
                         beta=0.5, alpha=2)
    assert r is t and t.data_ptr() == ptr
    tol = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(t.numpy(), 0.5 * c + 2 * ref(a, b), rtol=tol, atol=tol)


@pytest.mark.parametrize("name,shape,ops,ref", INPLACE_PRODUCTS, ids=[p[0] for p in INPLACE_PRODUCTS])
def test_inplace_products_gradcheck(name, shape, ops, ref):
    args = [torch.tensor(_f64(*s, seed=i), requires_grad=True)
            for i, s in enumerate([shape] + ops)]
    assert torch.autograd.gradcheck(
        lambda c, a, b: getattr(c.clone(), name)(a, b, beta=0.5, alpha=2), tuple(args))
    out = getattr(args[0].clone(), name)(args[1], args[2])
    grad_fn = {"addmm_": "AddmmBackward0"}.get(name)
    if grad_fn:
        assert type(out.grad_fn).__name__ == grad_fn


def test_addmm_into_strided_or_aliased_self():
    a, b = _f64(2, 3, seed=1), _f64(3, 2, seed=2)
    t = torch.tensor(np.ones((2, 2))).t()
    t.addmm_(torch.tensor(a), torch.tensor(b), beta=2)
    np.testing.assert_allclose(t.numpy(), 2 + a @ b, atol=1e-12)
    m = _f64(3, 3)
    t = torch.tensor(m)
    t.addmm_(t, t)
    np.testing.assert_allclose(t.numpy(), m + m @ m, atol=1e-12)


def test_torch_addmv_():
    c = torch.zeros(2)
    r = torch.addmv_(c, torch.ones(2, 3), torch.ones(3), alpha=2)
    assert r is c and c.tolist() == [6.0, 6.0]


INPLACE_PRODUCT_ERRORS = [
    (lambda: torch.zeros(2, 1).addmm_(torch.ones(2, 3), torch.ones(3, 4)), RuntimeError,
     re.escape("Bad in-place call: input tensor size [2, 1] and output tensor size [2, 4] should match")),
    (lambda: torch.zeros(2, 4).addmm_(torch.ones(2, 3), torch.ones(2, 3)), RuntimeError,
     "mat1 and mat2 shapes cannot be multiplied"),
    (lambda: torch.zeros(2, 4, dtype=torch.float64).addmm_(torch.ones(2, 3), torch.ones(3, 4)),
     RuntimeError, "self and mat2 must have the same dtype, but got Double and Float"),
    (lambda: torch.zeros(1).addmv_(torch.ones(3, 4), torch.ones(4)), RuntimeError,
     re.escape("input tensor size [1] and output tensor size [3] should match")),
    (lambda: torch.zeros(3, dtype=torch.float64).addmv_(torch.ones(3, 4), torch.ones(4)),
     RuntimeError, "addmv input tensors must have the same dtype, but got Double, Float, and Float"),
    (lambda: torch.zeros(2, 3, 1).baddbmm_(torch.ones(2, 3, 5), torch.ones(2, 5, 4)), RuntimeError,
     re.escape("input tensor size [2, 3, 1] and output tensor size [2, 3, 4] should match")),
    (lambda: torch.zeros(2, 3, 4, dtype=torch.float64).baddbmm_(torch.ones(2, 3, 5),
                                                                torch.ones(2, 5, 4)),
     RuntimeError, "Input dtypes must be the same, got: input double, batch1: float, batch2: float"),
    (lambda: torch.zeros(3).addr_(torch.ones(3), torch.ones(4)), RuntimeError,
     "2D tensor expected, got 1D tensor for input"),
    (lambda: torch.zeros(3, 1).addr_(torch.ones(3), torch.ones(4)), RuntimeError,
     re.escape("size mismatch, input: [3, 1], v1: [3], v2: [4]")),
    (lambda: torch.zeros(3, 4, dtype=torch.int64).addr_(torch.ones(3), torch.ones(4)), RuntimeError,
     "result type Float can't be cast to the desired output type Long"),
    (lambda: torch.zeros(2, 4, requires_grad=True).addmm_(torch.ones(2, 3), torch.ones(3, 4)),
     RuntimeError, "a leaf Variable that requires grad is being used in an in-place operation"),
]


@pytest.mark.parametrize("fn,exc,match", INPLACE_PRODUCT_ERRORS)
def test_inplace_product_errors(fn, exc, match):
    _raises(fn, exc, match)


# ------------------------------------------------------------ stft / istft

def _np_stft(x, n_fft, hop, window, center, pad_mode, normalized, onesided):
    if center:
        x = np.pad(x, [(0, 0)] * (x.ndim - 1) + [(n_fft // 2, n_fft // 2)],
                   mode={"replicate": "edge", "circular": "wrap"}.get(pad_mode, pad_mode))
    n_frames = 1 + (x.shape[-1] - n_fft) // hop
    frames = np.stack([x[..., i * hop:i * hop + n_fft] for i in range(n_frames)], -2) * window
    spec = np.fft.rfft(frames, axis=-1) if onesided else np.fft.fft(frames, axis=-1)
    if normalized:
        spec = spec / np.sqrt(n_fft)
    return np.swapaxes(spec, -1, -2)


# (input shape, n_fft, hop_length, win_length, window, center, pad_mode, normalized, onesided)
STFTS = [
    ((300,), 32, None, None, None, True, "reflect", False, None),
    ((2, 300), 32, 5, 20, "hann", True, "reflect", False, None),
    ((2, 300), 32, None, None, None, False, "reflect", True, None),
    ((300,), 16, None, None, "hann", True, "constant", False, False),
    ((300,), 16, 3, None, None, True, "replicate", False, None),
    ((300,), 16, None, None, None, True, "circular", False, None),
    ((2, 301), 31, 7, 31, "hann", True, "reflect", False, None),
]


def _window(kind, wl, n_fft):
    w = np.ones(wl) if kind is None else 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(wl) / wl)
    left = (n_fft - wl) // 2
    return w, np.concatenate([np.zeros(left), w, np.zeros(n_fft - wl - left)])


@pytest.mark.filterwarnings("ignore:A window was not provided")
@pytest.mark.parametrize("shape,n_fft,hop,wl,win,center,pad_mode,normalized,onesided", STFTS)
def test_stft_matches_numpy_and_inverts(shape, n_fft, hop, wl, win, center, pad_mode, normalized,
                                        onesided):
    x = _f64(*shape)
    w, full = _window(win, wl or n_fft, n_fft)
    window = None if win is None else torch.tensor(w)
    kw = dict(hop_length=hop, win_length=wl, window=window, center=center,
              normalized=normalized, onesided=onesided)
    s = torch.stft(torch.tensor(x), n_fft, pad_mode=pad_mode, return_complex=True, **kw)
    ref = _np_stft(x, n_fft, hop or n_fft // 4, full, center, pad_mode, normalized,
                   onesided is not False)
    assert s.shape == ref.shape and s.dtype == torch.complex128
    np.testing.assert_allclose(s.numpy(), ref, atol=1e-10)
    assert torch.tensor(x).stft(n_fft, pad_mode=pad_mode, return_complex=True, **kw).shape == s.shape
    if center:
        y = torch.istft(s, n_fft, length=shape[-1], **kw)
        np.testing.assert_allclose(y.numpy(), x, atol=1e-10)
        assert s.istft(n_fft, length=shape[-1], **kw).shape == y.shape


def test_stft_complex_input_and_real_output():
    x = _f64(2, 100)
    xc = x[0] + 1j * x[1]
    s = torch.stft(torch.tensor(xc), 16, window=torch.ones(16, dtype=torch.float64))
    np.testing.assert_allclose(s.numpy(), _np_stft(xc, 16, 4, np.ones(16), True, "reflect",
                                                   False, False), atol=1e-10)
    with pytest.warns(UserWarning, match="return_complex=False is deprecated"):
        r = torch.stft(torch.tensor(x[0]), 16, window=torch.ones(16, dtype=torch.float64),
                       return_complex=False)
    ref = _np_stft(x[0], 16, 4, np.ones(16), True, "reflect", False, True)
    np.testing.assert_allclose(r.numpy(), np.stack([ref.real, ref.imag], -1), atol=1e-10)
    with pytest.warns(UserWarning, match="A window was not provided"):
        torch.stft(torch.tensor(x[0]), 16, return_complex=True)


def test_istft_length_beyond_signal_pads_with_zeros():
    w = torch.ones(16, dtype=torch.float64)
    x = _f64(64)
    y = torch.istft(torch.stft(torch.tensor(x), 16, window=w, center=False, return_complex=True),
                    16, window=w, center=False, length=70)
    assert y.shape == (70,) and y[64:].tolist() == [0.0] * 6
    np.testing.assert_allclose(y[:64].numpy(), x, atol=1e-12)


def test_stft_istft_gradcheck():
    x = torch.tensor(_f64(2, 40), requires_grad=True)
    w = torch.tensor(_window("hann", 16, 16)[0], requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda x, w: torch.view_as_real(torch.stft(x, 16, hop_length=4, window=w,
                                                   return_complex=True)), (x, w))
    s = torch.stft(x.detach(), 16, hop_length=4, window=w.detach(), return_complex=True)
    s = s.contiguous().requires_grad_()
    assert torch.autograd.gradcheck(
        lambda s: torch.istft(s, 16, hop_length=4, window=w.detach(), length=40), (s,))


_ONES = torch.ones(100)
STFT_ERRORS = [
    (lambda: torch.stft(_ONES, 16), RuntimeError,
     "stft requires the return_complex parameter be given for real inputs"),
    (lambda: torch.stft(_ONES, 16, window=torch.ones(8), return_complex=True), RuntimeError,
     re.escape("expected a 1D window tensor of size equal to win_length=16, but got window "
               "with size [8]")),
    (lambda: torch.stft(_ONES, 16, win_length=20, return_complex=True), RuntimeError,
     "expected 0 < win_length <= n_fft, but got win_length=20"),
    (lambda: torch.stft(_ONES, 16, hop_length=0, return_complex=True), RuntimeError,
     "expected hop_length > 0, but got hop_length=0"),
    (lambda: torch.stft(torch.ones(2, 5, 10), 16, return_complex=True), RuntimeError,
     "expected a 1D or 2D tensor"),
    (lambda: torch.stft(torch.ones(10), 200, return_complex=True), RuntimeError,
     "Padding size should be less than the corresponding input dimension"),
    (lambda: torch.stft(_ONES, 200, center=False, return_complex=True), RuntimeError,
     "expected 0 < n_fft < 100, but got n_fft=200"),
    (lambda: torch.stft(_ONES + 0j, 16, onesided=True), RuntimeError,
     "Cannot have onesided output if window or input is complex"),
    (lambda: torch.istft(torch.ones(9, 5), 16), RuntimeError,
     "istft requires a complex-valued input tensor"),
    (lambda: torch.istft(torch.ones(9, 5) + 0j, 16, window=torch.zeros(16)), RuntimeError,
     "window overlap add min"),
    (lambda: torch.istft(torch.ones(8, 5) + 0j, 16, window=torch.ones(16)), RuntimeError,
     re.escape("match n_fft / 2 + 1 when onesided=True, but got 8")),
    (lambda: torch.istft(torch.ones(9, 5) + 0j, 16, hop_length=20, window=torch.ones(16)),
     RuntimeError, "expected 0 < hop_length <= win_length"),
    (lambda: torch.stft(_ONES, 16, window=3, return_complex=True), TypeError,
     "argument 'window' must be Tensor, not int"),
    (lambda: torch.stft(_ONES, 16, window=[1.0] * 16, return_complex=True), TypeError,
     "argument 'window' must be Tensor, not list"),
    (lambda: torch.istft(torch.ones(9, 5) + 0j, 16, window=3), TypeError,
     "argument 'window' must be Tensor, not int"),
    (lambda: torch.from_file(0, size=3), TypeError,
     "argument 'filename' \\(position 1\\) must be str, not int"),
    (lambda: torch.TypedStorage(dtype=1.5), TypeError, "argument 'dtype' must be torch.dtype"),
]


@pytest.mark.filterwarnings("ignore:A window was not provided")
@pytest.mark.parametrize("fn,exc,match", STFT_ERRORS)
def test_stft_errors(fn, exc, match):
    _raises(fn, exc, match)


# ------------------------------------------------------------ vander, buffers, small methods

VANDERS = [
    ([1, 2, 3], None, False, "int64"), ([1, 2, 3], 4, False, "int64"),
    ([1.5, -2.0], 3, True, "float32"), ([2, 3], 0, False, "int64"),
]


@pytest.mark.parametrize("x,N,increasing,dtype", VANDERS)
def test_vander_matches_numpy(x, N, increasing, dtype):
    t = torch.tensor(x)
    r = torch.vander(t, N, increasing)
    assert r.dtype is getattr(torch, dtype)
    np.testing.assert_allclose(r.numpy(), np.vander(np.array(x), N, increasing))


def test_vander_gradcheck_and_errors():
    x = torch.tensor([0.5, -1.5, 2.0], dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda x: torch.vander(x, 4), (x,))
    _raises(lambda: torch.vander(torch.ones(2, 2)), RuntimeError, "x must be a one-dimensional")
    _raises(lambda: torch.vander(torch.ones(2), -1), RuntimeError, "N must be non-negative")


def test_frombuffer_shares_memory():
    b = bytearray(range(8))
    t = torch.frombuffer(b, dtype=torch.int16, count=2, offset=2)
    assert t.tolist() == np.frombuffer(bytes(b), np.int16, 2, 2).tolist()
    t[0] = -1
    assert b[2:4] == b"\xff\xff"
    assert torch.frombuffer(b, dtype=torch.float32, requires_grad=True).requires_grad


FROMBUFFER_ERRORS = [
    (lambda: torch.frombuffer(bytearray(8), dtype=torch.int32, offset=1), ValueError,
     re.escape("buffer length (7 bytes) after offset (1 bytes) must be a multiple of element size (4)")),
    (lambda: torch.frombuffer(bytearray(8), dtype=torch.int32, count=3), ValueError,
     re.escape("requested buffer length (3 * 4 bytes) after offset (0 bytes) must not be greater")),
    (lambda: torch.frombuffer(bytearray(8), dtype=torch.int32, count=0), ValueError,
     re.escape("both buffer length (8) and count (0) must not be 0")),
    (lambda: torch.frombuffer(bytearray(8), dtype=torch.int32, offset=8), ValueError,
     re.escape("offset (8 bytes) must be non-negative and no greater than buffer length")),
    (lambda: torch.frombuffer([1, 2], dtype=torch.int32), ValueError,
     "object does not implement Python buffer protocol"),
]


@pytest.mark.parametrize("fn,exc,match", FROMBUFFER_ERRORS)
def test_frombuffer_errors(fn, exc, match):
    _raises(fn, exc, match)


def test_from_file(tmp_path):
    path = str(tmp_path / "data.bin")
    np.arange(6, dtype=np.float32).tofile(path)
    assert torch.from_file(path, size=4).tolist() == [0.0, 1.0, 2.0, 3.0]
    assert torch.from_file(path, size=3, dtype=torch.float64).tolist() == \
        np.fromfile(path, np.float64, 3).tolist()
    y = torch.from_file(path, shared=True, size=6)
    y[0] = 42
    del y
    assert np.fromfile(path, np.float32).tolist() == [42.0, 1, 2, 3, 4, 5]
    assert torch.from_file(path, shared=True, size=8).tolist() == [42.0, 1, 2, 3, 4, 5, 0, 0]
    _raises(lambda: torch.from_file(path, size=9), RuntimeError,
            re.escape("size <32> is smaller than the required mapping size <36>"))
    _raises(lambda: torch.from_file(str(tmp_path / "none.bin"), size=1), RuntimeError,
            "No such file or directory")


def test_small_methods():
    x = torch.arange(10.0)
    assert torch.is_distributed(x) is False and x.is_distributed() is False
    assert x.to_dense() is x and x.to_dense(masked_grad=True) is x
    assert torch.special.Tensor is torch.Tensor
    c = torch.tensor([1 + 2j, 3 - 1j])
    assert torch.conj_physical_(c) is c and c.tolist() == [1 - 2j, 3 + 1j]
    assert torch.from_dlpack(torch.to_dlpack(x)).tolist() == x.tolist()
    r = x.as_strided_((2, 2), (1, 2), 1)
    assert r is x and x.shape == (2, 2) and x.stride() == (1, 2) and x.storage_offset() == 1
    np.testing.assert_array_equal(x.numpy(), np.array([[1.0, 3.0], [2.0, 4.0]]))
    y = torch.arange(4.0)
    torch.as_strided_(y, (2,), (2,))
    assert y.tolist() == [0.0, 2.0]
    _raises(lambda: torch.arange(4.0).as_strided_((3,), (2,)), RuntimeError, "out of bounds")
    _raises(lambda: torch.ones(2, requires_grad=True).as_strided_((1,), (1,)), RuntimeError,
            "a leaf Variable that requires grad")


# ------------------------------------------------------------ randomized low-rank SVD

def _low_rank(m, n, r, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((m, r)) @ rng.standard_normal((r, n))


# (A's shape, its rank, q, with a mean M)
LOWRANK = [((20, 12), 3, 5, False), ((12, 20), 3, 4, False), ((20, 12), 2, 6, True),
           ((3, 10, 8), 2, 3, False)]


@pytest.mark.parametrize("shape,rank,q,with_m", LOWRANK)
def test_svd_lowrank_recovers_low_rank(shape, rank, q, with_m):
    a = np.stack([_low_rank(*shape[-2:], rank, s) for s in range(shape[0])]) \
        if len(shape) == 3 else _low_rank(*shape, rank)
    m = np.ones(shape) if with_m else None
    torch.manual_seed(0)
    U, S, V = torch.svd_lowrank(torch.tensor(a if m is None else a + m), q=q,
                                M=None if m is None else torch.tensor(m))
    k = min(q, *shape[-2:])
    assert U.shape == shape[:-1] + (k,) and V.shape == shape[:-2] + (shape[-1], k)
    np.testing.assert_allclose((U.numpy() * S.numpy()[..., None, :]) @ np.swapaxes(V.numpy(), -1, -2),
                               a, atol=1e-9)
    np.testing.assert_allclose(S.numpy()[..., :rank], np.linalg.svd(a, compute_uv=False)[..., :rank],
                               rtol=1e-9)
    np.testing.assert_allclose(np.swapaxes(U.numpy(), -1, -2) @ U.numpy(),
                               np.broadcast_to(np.eye(k), shape[:-2] + (k, k)), atol=1e-9)


def test_pca_lowrank_matches_centred_svd():
    a = _low_rank(30, 6, 2) + 3.0
    torch.manual_seed(0)
    U, S, V = torch.pca_lowrank(torch.tensor(a), q=3)
    c = a - a.mean(0, keepdims=True)
    np.testing.assert_allclose(S.numpy()[:2], np.linalg.svd(c, compute_uv=False)[:2], rtol=1e-9)
    np.testing.assert_allclose((U.numpy() * S.numpy()) @ V.numpy().T, c, atol=1e-9)
    assert torch.pca_lowrank(torch.tensor(a), center=False)[1].shape == (6,)


def test_svd_lowrank_gradcheck():
    a = torch.tensor(_low_rank(6, 4, 4), requires_grad=True)

    def singular_values(a):
        torch.manual_seed(0)
        return torch.svd_lowrank(a, q=4)[1]
    assert torch.autograd.gradcheck(singular_values, (a,))


LOWRANK_ERRORS = [
    (lambda: torch.pca_lowrank(torch.ones(5, 8), q=6), ValueError,
     re.escape("q(=6) must be non-negative integer and not greater than min(m, n)=5")),
    (lambda: torch.pca_lowrank(torch.ones(5, 8), q=-1), ValueError, re.escape("q(=-1) must be")),
    (lambda: torch.pca_lowrank(torch.ones(5, 8), niter=-1), ValueError,
     re.escape("niter(=-1) must be non-negative integer")),
    (lambda: torch.svd_lowrank(torch.ones(5)), ValueError, "not enough values to unpack"),
]


@pytest.mark.parametrize("fn,exc,match", LOWRANK_ERRORS)
def test_lowrank_errors(fn, exc, match):
    _raises(fn, exc, match)


def test_deepcopy_of_tensors_as_pytorch():
    import copy
    a = torch.randn(3, 4).t()
    b = copy.deepcopy(a)
    # a copy of the values with the layout kept, not a view
    assert b.stride() == a.stride() and torch.equal(a, b) and b.data_ptr() != a.data_ptr()
    p = torch.randn(3, requires_grad=True)
    (p * 2).sum().backward()
    q = copy.deepcopy(p)
    assert q.requires_grad and q.is_leaf and q.grad.tolist() == [2.0, 2.0, 2.0]
    assert q.grad.data_ptr() != p.grad.data_ptr()
    twice = copy.deepcopy([p, p])
    assert twice[0] is twice[1]                 # the memo: one copy of one tensor
    h = torch.randn(4).to(torch.bfloat16)
    assert copy.deepcopy(h).dtype == torch.bfloat16 and torch.equal(copy.deepcopy(h), h)
    with pytest.raises(RuntimeError, match="Only Tensors created explicitly by the user"):
        copy.deepcopy(p * 2)


def test_memory_formats_lay_out_channels_last():
    # PyTorch's strides and contiguity for channels_last / channels_last_3d:
    # C densest, then the spatial dims from the last, then N
    x = torch.randn(2, 3, 4, 5)
    cl = torch.channels_last
    assert x.is_contiguous() and not x.is_contiguous(memory_format=cl)
    assert not x.is_contiguous(memory_format=torch.channels_last_3d)
    y = x.contiguous(memory_format=cl)
    assert y.stride() == (60, 1, 15, 3) and y.is_contiguous(memory_format=cl) and not y.is_contiguous()
    assert torch.equal(y, x) and y.contiguous(memory_format=cl) is y
    assert y.contiguous().stride() == (60, 20, 5, 1)
    assert y.clone().stride() == (60, 1, 15, 3) and (y + 1).stride() == (60, 1, 15, 3)
    assert x.clone(memory_format=cl).stride() == (60, 1, 15, 3)
    assert torch.empty_like(x, memory_format=cl).stride() == (60, 1, 15, 3)
    z = torch.zeros_like(x, memory_format=cl)
    assert z.stride() == (60, 1, 15, 3) and z.abs().sum().item() == 0
    assert torch.empty(2, 3, 4, 5, memory_format=cl).stride() == (60, 1, 15, 3)
    for like in (torch.rand_like, torch.randn_like, lambda a, **k: torch.randint_like(a, 10, **k)):
        assert like(x, memory_format=cl).stride() == (60, 1, 15, 3)
    t = x.to(torch.float64, memory_format=cl)
    assert t.dtype == torch.float64 and t.stride() == (60, 1, 15, 3) and torch.equal(t, x.double())
    assert x.to(memory_format=torch.contiguous_format) is x
    assert x[:, :1].contiguous(memory_format=cl).stride() == (20, 1, 5, 1)
    # dims of one element do not count
    assert torch.randn(2, 3, 1, 1).is_contiguous(memory_format=cl)
    v = torch.randn(2, 3, 4, 5, 6).contiguous(memory_format=torch.channels_last_3d)
    assert v.stride() == (360, 1, 90, 18, 3) and v.is_contiguous(memory_format=torch.channels_last_3d)
    with pytest.raises(RuntimeError, match="required rank 4 tensor to use channels_last format"):
        torch.randn(2, 3).contiguous(memory_format=cl)
    with pytest.raises(RuntimeError, match="required rank 4 tensor to use channels_last format"):
        torch.empty(2, 3, memory_format=cl)
    with pytest.raises(RuntimeError, match="required rank 5 tensor to use channels_last_3d format"):
        x.contiguous(memory_format=torch.channels_last_3d)
    with pytest.raises(TypeError, match="memory_format"):
        x.is_contiguous(memory_format="channels_last")
    # convolutions lay out their result as a channels-last input or weight is
    F = torch.nn.functional
    xc, w = torch.randn(2, 3, 8, 8).contiguous(memory_format=cl), torch.randn(4, 3, 3, 3)
    assert F.conv2d(xc, w).stride() == (144, 1, 24, 4)
    assert F.conv2d(xc.contiguous(), w.contiguous(memory_format=cl)).stride() == (144, 1, 24, 4)
    assert F.conv2d(xc.contiguous(), w).stride() == (144, 36, 6, 1)
    assert torch.allclose(F.conv2d(xc, w), F.conv2d(xc.contiguous(), w), atol=1e-5)
    assert F.conv_transpose2d(xc, torch.randn(3, 4, 3, 3)).stride() == (400, 1, 40, 4)
    x3 = torch.randn(2, 3, 4, 4, 4).contiguous(memory_format=torch.channels_last_3d)
    assert F.conv3d(x3, torch.randn(4, 3, 3, 3, 3)).stride() == (32, 1, 16, 8, 4)
    # one channel: channels last is also contiguous, and the result stays contiguous
    x1 = torch.randn(2, 1, 8, 8).contiguous(memory_format=cl)
    assert F.conv2d(x1, torch.randn(4, 1, 3, 3)).stride() == (144, 36, 6, 1)
    # the copy keeps its history
    g = torch.randn(2, 3, 4, 5, requires_grad=True)
    (g.contiguous(memory_format=cl) * 2).sum().backward()
    assert torch.equal(g.grad, torch.full((2, 3, 4, 5), 2.0))
