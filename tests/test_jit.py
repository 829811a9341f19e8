"""torch.jit: scripted and traced code runs the Python code eagerly, with
TorchScript's call checks, PyTorch's classes, errors and warnings; save/load
round trips. Values are checked against numpy and against the eager code."""
import copy
import typing
import warnings

import numpy as np
import pytest

import ctorch as torch
import ctorch.nn as nn
from ctorch import jit


def _np(t):
    return t.detach().numpy()


# ------------------------------------------------------------------ functions

def scale(x, n: int = 2):
    """Scales x."""
    return x * n + 1


def _raising(x):
    if bool(x.sum() > 10):
        raise ValueError("too big")
    return x


def test_script_function_values_and_attributes():
    s = jit.script(scale)
    assert isinstance(s, torch.ScriptFunction) and torch.ScriptFunction is jit.ScriptFunction
    x = torch.tensor([1.0, -2.0, 3.5])
    np.testing.assert_allclose(_np(s(x)), _np(x) * 2 + 1)
    np.testing.assert_allclose(_np(s(x, 3)), _np(x) * 3 + 1)
    np.testing.assert_allclose(_np(s(x, n=4)), _np(x) * 4 + 1)
    assert s.name == "scale"
    assert s.qualified_name == f"__torch__.{scale.__module__}.scale"
    assert s.__doc__ == "Scales x."
    assert s.__name__ == "ScriptFunction"          # as PyTorch's objects answer
    assert "return x * n + 1" in s.code and s.code.startswith("def scale(")
    assert str(s.schema).startswith("scale(")
    assert jit.script(s) is s


def test_script_function_checks_its_calls():
    s = jit.script(scale)
    with pytest.raises(RuntimeError):
        s(torch.ones(2), 2, 3)          # more arguments than the schema has
    with pytest.raises(RuntimeError):
        s()


def test_script_decorator_and_nested_calls():
    @jit.script
    def inner(x):
        return x * x

    def outer(x):
        return inner(x) + 1
    so = jit.script(outer)
    x = torch.tensor([1.0, 2.0])
    np.testing.assert_allclose(_np(so(x)), _np(x) ** 2 + 1)


def test_raise_in_scripted_code_is_jit_error():
    s = jit.script(_raising)
    np.testing.assert_allclose(_np(s(torch.ones(2))), [1.0, 1.0])
    with pytest.raises(jit.Error) as info:
        s(torch.full((2,), 10.0))
    assert torch.JITException is jit.Error
    msg = str(info.value)
    assert msg.startswith("The following operation failed in the TorchScript interpreter.\n"
                          "Traceback of TorchScript (most recent call last):\n")
    assert msg.endswith("builtins.ValueError: too big\n")
    assert isinstance(info.value.__cause__, ValueError)


def _bad_shapes(x):
    return x + torch.ones(3)


def test_op_errors_in_scripted_code_keep_their_type():
    # an op's own error is not a `raise` of the scripted code
    with pytest.raises(RuntimeError) as info:
        jit.script(_bad_shapes)(torch.ones(2))
    assert not isinstance(info.value, jit.Error)


def test_is_scripting_is_false_everywhere():
    def f(x):
        return x + (1 if jit.is_scripting() else 2)
    assert not jit.is_scripting()
    np.testing.assert_allclose(_np(jit.script(f)(torch.zeros(1))), [2.0])


@pytest.mark.parametrize("obj, exc, msg", [
    (3, TypeError, "<class 'int'> is a built-in class"),
    ("abc", TypeError, "<class 'str'> is a built-in class"),
    (None, TypeError, "<class 'NoneType'> is a built-in class"),
    (int, RuntimeError, "TorchScript classes must be new-style classes. Please inherit from "
                        "'object'."),
])
def test_script_rejects_what_pytorch_rejects(obj, exc, msg):
    with pytest.raises(exc) as info:
        jit.script(obj)
    assert str(info.value) == msg


@pytest.mark.parametrize("name", ["ScriptFunction", "ScriptMethod", "ScriptObject", "ScriptModule"])
def test_script_classes_have_no_public_constructor(name):
    # only scripting and tracing make these, as in PyTorch
    with pytest.raises(TypeError, match="No constructor defined!"):
        getattr(torch, name)(torch.ones(2), 2 ** 100)


class _Point:
    def __init__(self, x: int):
        self.x = x


def test_script_class_and_containers():
    assert jit.script(_Point) is _Point
    assert list(jit.script([1, 2, 3])) == [1, 2, 3]
    assert dict(jit.script({"a": 1})) == {"a": 1}


# ------------------------------------------------------------------ modules

class Net(nn.Module):
    limit: jit.Final[int]

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(3, 2)
        self.register_buffer("shift", torch.tensor([0.5, -1.0]))
        self.limit = 3
        self.scale = 1.5

    def forward(self, x):
        if bool(x.abs().sum() > 1000):
            raise ValueError("input too large")
        return self.helper(self.lin(x)) + self.shift * self.limit

    def helper(self, y):
        return y * self.scale

    @jit.ignore
    def python_only(self, y):
        return [y, "kept as Python"]

    @jit.unused
    def not_scripted(self, y):
        return y + 100

    @jit.export
    def incr(self, y: int) -> int:
        return y + self.limit


class UsesUnused(nn.Module):
    def forward(self, x):
        return self.not_scripted(x)

    @jit.unused
    def not_scripted(self, y):
        return y


def _net():
    torch.manual_seed(0)
    return Net()


def test_script_module_classes_and_structure():
    m = _net()
    sm = jit.script(m)
    assert isinstance(sm, jit.RecursiveScriptModule) and isinstance(sm, jit.ScriptModule)
    assert isinstance(sm, nn.Module)
    assert type(sm).__name__ == "RecursiveScriptModule"
    assert isinstance(sm.lin, jit.RecursiveScriptModule)
    assert sm.lin.weight is m.lin.weight and sm.shift is m.shift
    assert sm.limit == 3 and sm.scale == 1.5 and sm.original_name == "Net"
    assert repr(sm) == ("RecursiveScriptModule(\n  original_name=Net\n"
                        "  (lin): RecursiveScriptModule(original_name=Linear)\n)")
    assert list(sm.state_dict()) == list(m.state_dict())
    assert [n for n, _ in sm.named_parameters()] == ["lin.weight", "lin.bias"]
    assert [n for n, _ in sm.named_modules()] == ["", "lin"]
    assert jit.script(sm) is sm
    # the C-level side: torch.ScriptModule, a ScriptObject
    assert isinstance(sm._c, torch.ScriptModule) and issubclass(torch.ScriptModule, torch.ScriptObject)
    assert torch.ScriptModule is not jit.ScriptModule
    assert sm._c.qualified_name.endswith("Net")
    assert sm.lin._c.qualified_name == "__torch__.torch.nn.modules.linear.Linear"
    assert sm._c._method_names() == ["forward", "incr"]
    assert sm._c.hasattr("limit") and not sm._c.hasattr("nope")
    with pytest.raises(AttributeError, match="does not have a field with name 'nope'"):
        sm._c.getattr("nope")
    with pytest.raises(AttributeError) as info:
        sm.nope
    assert str(info.value) == "'RecursiveScriptModule' object has no attribute 'nope'"


def test_script_module_values_match_eager_and_numpy():
    m = _net()
    sm = jit.script(m)
    x = torch.randn(4, 3)
    w, b = _np(m.lin.weight), _np(m.lin.bias)
    expected = (_np(x) @ w.T + b) * 1.5 + np.array([0.5, -1.0]) * 3
    np.testing.assert_allclose(_np(sm(x)), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_np(sm(x)), _np(m(x)), rtol=0, atol=0)
    assert sm.incr(4) == 7
    with pytest.raises(RuntimeError):
        sm.forward(x, x)
    with pytest.raises(jit.Error, match="builtins.ValueError: input too large"):
        sm(torch.full((1, 3), 1000.0))


def test_script_method_attributes():
    sm = jit.script(_net())
    fwd = sm.forward
    assert isinstance(fwd, torch.ScriptMethod)
    assert fwd.name == "forward" and fwd.owner is sm._c
    assert "def forward(self, x):" in fwd.code and "def forward(self, x):" in sm.code
    assert str(fwd.schema).startswith("forward(")
    assert isinstance(sm.incr, torch.ScriptMethod) and str(sm.incr.schema).startswith("incr(")


def test_ignore_unused_export():
    sm = jit.script(_net())
    y = torch.ones(1)
    out = sm.python_only(y)           # ignored: a plain Python method
    assert out[1] == "kept as Python"
    np.testing.assert_allclose(_np(sm.not_scripted(y)), [101.0])   # from Python it runs
    su = jit.script(UsesUnused())
    with pytest.raises(jit.Error, match="annotated to be ignored and cannot be run"):
        su(y)                          # from scripted code it raises
    assert "incr" in sm._c._method_names() and "helper" not in sm._c._method_names()

    @jit.ignore(drop=True)
    def dropped(x):
        return x
    assert getattr(dropped, "_torchscript_modifier") == "unused"
    with pytest.raises(RuntimeError, match="must be a bool or a function"):
        jit.ignore(3)


def test_gradients_through_a_scripted_module():
    m = _net()
    eager = copy.deepcopy(m)
    sm = jit.script(m)
    x = torch.randn(5, 3)
    sm(x).pow(2).sum().backward()
    eager(x).pow(2).sum().backward()
    for (n, p), (_, q) in zip(sm.named_parameters(), eager.named_parameters()):
        np.testing.assert_allclose(_np(p.grad), _np(q.grad), rtol=1e-6, atol=1e-7, err_msg=n)
    # the gradient of the linear layer by hand: d/dW sum((1.5 (xW^T+b) + c)^2)
    w, b = _np(eager.lin.weight), _np(eager.lin.bias)
    out = (_np(x) @ w.T + b) * 1.5 + np.array([0.5, -1.0]) * 3
    np.testing.assert_allclose(_np(sm.lin.weight.grad), (2 * out * 1.5).T @ _np(x), rtol=1e-5)


def test_train_eval_hooks_and_containers():
    sm = jit.script(_net())
    assert sm.training and not sm.eval().training and not sm.lin.training
    sm.train()
    seen = []
    sm.register_forward_hook(lambda mod, inp, out: seen.append(tuple(out.shape)))
    sm(torch.ones(2, 3))
    assert seen == [(2, 2)]
    lin = nn.Linear(2, 2)
    lin.register_forward_pre_hook(lambda mod, inp: seen.append("pre"))
    jit.script(lin)(torch.ones(2))
    assert seen[-1] == "pre"
    torch.manual_seed(0)
    seq = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(8, 2))
    ss = jit.script(seq)
    x = torch.randn(2, 1, 4, 4)
    np.testing.assert_allclose(_np(ss(x)), _np(seq(x)), rtol=0, atol=0)
    assert len(ss) == 4 and isinstance(ss[0], jit.RecursiveScriptModule) and bool(ss)


def test_module_parameter_buffer_dicts():
    sm = jit.script(_net())
    md, pd, bd = torch.ModuleDict(sm._c), torch.ParameterDict(sm._c), torch.BufferDict(sm._c)
    assert [k for k, _ in md.items()] == ["lin"] and md.items()[0][1] is sm.lin._c
    assert md.contains("lin") and not md.contains("shift")
    assert [k for k, _ in pd.items()] == [] and len(bd) == 1
    lp = torch.ParameterDict(sm.lin._c)
    assert lp.keys() == ["weight", "bias"] and lp.getattr("bias") is sm.lin.bias
    assert bd.getattr("shift") is sm.shift and "shift" in bd
    with pytest.raises(RuntimeError, match="does not have a field with name 'zz'"):
        lp.getattr("zz")
    with pytest.raises(TypeError):
        torch.ModuleDict(nn.Linear(1, 1))


def test_deepcopy_of_a_scripted_module():
    sm = jit.script(_net())
    cp = copy.deepcopy(sm)
    assert isinstance(cp, jit.RecursiveScriptModule) and cp.lin.weight is not sm.lin.weight
    x = torch.randn(2, 3)
    np.testing.assert_allclose(_np(cp(x)), _np(sm(x)))


# ------------------------------------------------------------------ save / load

def test_save_load_module_round_trip(tmp_path):
    sm = jit.script(_net())
    path = tmp_path / "net.pt"
    jit.save(sm, str(path), _extra_files={"meta.txt": "hello"})
    extra = {"meta.txt": ""}
    loaded = jit.load(str(path), _extra_files=extra)
    assert extra["meta.txt"] == "hello"
    assert isinstance(loaded, jit.RecursiveScriptModule)
    x = torch.randn(3, 3)
    np.testing.assert_array_equal(_np(loaded(x)), _np(sm(x)))
    assert loaded.incr(1) == 4 and list(loaded.state_dict()) == list(sm.state_dict())
    assert loaded.lin.weight is not sm.lin.weight
    sm.save(str(tmp_path / "b.pt"))               # the method form
    np.testing.assert_array_equal(_np(jit.load(tmp_path / "b.pt")(x)), _np(sm(x)))


def test_save_load_functions_round_trip(tmp_path):
    s = jit.script(scale)
    s.save(str(tmp_path / "f.pt"))
    f = jit.load(str(tmp_path / "f.pt"))
    x = torch.tensor([2.0, 3.0])
    assert isinstance(f, jit.ScriptFunction)
    np.testing.assert_array_equal(_np(f(x, 5)), _np(s(x, 5)))
    cu = jit.CompilationUnit("def foo(x):\n    return x + 1\n\ndef bar(x, y: int):\n"
                             "    return foo(x) * y\n")
    cu.bar.save(str(tmp_path / "cu.pt"))
    g = jit.load(str(tmp_path / "cu.pt"))
    np.testing.assert_array_equal(_np(g(x, 3)), (_np(x) + 1) * 3)


def test_save_load_traced(tmp_path):
    torch.manual_seed(0)
    lin = nn.Linear(3, 2)
    t = jit.trace(lin, torch.ones(1, 3))
    t.save(str(tmp_path / "t.pt"))
    lt = jit.load(str(tmp_path / "t.pt"))
    assert isinstance(lt, jit.TopLevelTracedModule)
    x = torch.randn(2, 3)
    np.testing.assert_array_equal(_np(lt(x)), _np(lin(x)))
    with pytest.raises(RuntimeError):
        lt(x, x)
    tf = jit.trace(scale, torch.ones(2))
    tf.save(str(tmp_path / "tf.pt"))
    ltf = jit.load(str(tmp_path / "tf.pt"))
    np.testing.assert_array_equal(_np(ltf(x)), _np(x) * 2 + 1)
    with pytest.raises(RuntimeError):
        ltf(x, 3)                        # the trace took one input


def test_buffers_and_pickling():
    import io
    import pickle
    sm = jit.script(_net())
    loaded = jit.load(io.BytesIO(sm.save_to_buffer()))
    x = torch.randn(2, 3)
    np.testing.assert_array_equal(_np(loaded(x)), _np(sm(x)))
    with pytest.raises(RuntimeError) as info:
        torch.save(sm, io.BytesIO())
    assert str(info.value) == (f"Tried to serialize object {sm._c.qualified_name} which does not "
                               f"have a __getstate__ method defined!")
    with pytest.raises(pickle.PickleError, match="^ScriptFunction cannot be pickled$"):
        pickle.dumps(jit.script(scale))


def test_save_load_errors(tmp_path):
    missing = str(tmp_path / "missing.pt")
    with pytest.raises(ValueError) as info:
        jit.load(missing)
    assert str(info.value) == f"The provided filename {missing} does not exist"
    with pytest.raises(ValueError, match="is a directory"):
        jit.load(str(tmp_path))
    with pytest.raises(AttributeError) as info:
        jit.save(nn.Identity(), str(tmp_path / "x.pt"))
    assert str(info.value) == "'Identity' object has no attribute 'save'"
    with pytest.raises(AttributeError, match="'int' object has no attribute 'save'"):
        jit.save(3, str(tmp_path / "x.pt"))
    torch.save({"a": torch.ones(1)}, str(tmp_path / "ckpt.pt"))
    with pytest.raises(RuntimeError, match="not written by torch.jit.save"):
        jit.load(str(tmp_path / "ckpt.pt"))


# ------------------------------------------------------------------ trace

class ConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 3, 3, padding=1)
        self.fc = nn.Linear(12, 2)

    def forward(self, x):
        return self.fc(self.conv(x).relu().mean((2, 3)).repeat(1, 4))


def test_trace_linear_and_conv_models():
    torch.manual_seed(0)
    lin = nn.Linear(4, 3)
    x = torch.randn(2, 4)
    t = jit.trace(lin, x)
    assert isinstance(t, jit.TopLevelTracedModule) and isinstance(t, jit.TracedModule)
    assert isinstance(t, jit.ScriptModule) and type(t).__name__ == "TopLevelTracedModule"
    assert repr(t) == "Linear(original_name=Linear)"
    assert str(t.forward.schema).startswith("forward(")
    y = torch.randn(5, 4)
    np.testing.assert_allclose(_np(t(y)), _np(y) @ _np(lin.weight).T + _np(lin.bias), rtol=1e-5,
                               atol=1e-6)
    net = ConvNet()
    tn = jit.trace(net, torch.randn(1, 1, 5, 5))
    assert isinstance(tn.conv, jit.TracedModule) and tn.conv.weight is net.conv.weight
    z = torch.randn(2, 1, 5, 5)
    np.testing.assert_array_equal(_np(tn(z)), _np(net(z)))
    tn(z).sum().backward()
    assert net.conv.weight.grad is not None and tuple(net.conv.weight.grad.shape) == (3, 1, 3, 3)
    tm = jit.trace_module(net, {"forward": torch.randn(1, 1, 5, 5)})
    np.testing.assert_array_equal(_np(tm(z)), _np(net(z)))
    sm = jit.script(net)
    with pytest.warns(UserWarning, match="already a ScriptModule, tracing it is a no-op"):
        assert jit.trace(sm, z) is sm


def _pair(x, y):
    return x + y[0] * y[1]


def test_trace_function():
    t = jit.trace(scale, torch.ones(2))
    assert isinstance(t, jit.ScriptFunction) and t.name == "scale"
    assert t.__doc__ == jit.ScriptFunction.__doc__
    x = torch.tensor([1.0, 2.0])
    np.testing.assert_array_equal(_np(t(x)), [3.0, 5.0])
    with pytest.raises(RuntimeError):
        t(x, 3)
    tp = jit.trace(_pair, (torch.ones(2), (torch.ones(2), torch.ones(2))))
    np.testing.assert_array_equal(_np(tp(x, (x, x))), _np(x) + _np(x) ** 2)
    tk = jit.trace(_pair, example_kwarg_inputs={"x": torch.ones(1), "y": [torch.ones(1),
                                                                          torch.ones(1)]})
    np.testing.assert_array_equal(_np(tk(x=x, y=[x, x])), _np(x) + _np(x) ** 2)
    td = jit.trace(lambda d: d["a"] * 2, {"a": torch.ones(1)})
    np.testing.assert_array_equal(_np(td({"a": x})), _np(x) * 2)


def test_is_tracing_and_script_if_tracing():
    seen = []

    def f(x):
        seen.append(jit.is_tracing())
        return x * 2
    t = jit.trace(f, torch.ones(1))
    assert seen == [True, True]           # the trace and the check run
    t(torch.ones(1))
    assert seen[-1] is False and not jit.is_tracing()

    @jit.script_if_tracing
    def g(x):
        return x + 1
    np.testing.assert_array_equal(_np(jit.trace(lambda x: g(x), torch.ones(1))(torch.zeros(1))), [1.0])
    np.testing.assert_array_equal(_np(g(torch.zeros(1))), [1.0])


_TRACE_TYPE_MSG = ("Type '{}' cannot be traced. Only Tensors and (possibly nested) Lists, Dicts, "
                   "and Tuples of Tensors can be traced")


@pytest.mark.parametrize("example, exc, msg", [
    (None, TypeError, "'NoneType' object is not iterable"),
    (3, TypeError, "'int' object is not iterable"),
    ([1, 2], RuntimeError, _TRACE_TYPE_MSG.format("Tuple[int, int]")),
    ((torch.ones(1), 3), RuntimeError, _TRACE_TYPE_MSG.format("Tuple[Tensor, int]")),
    ((torch.ones(1), 2.0, "a", (1, True)), RuntimeError,
     _TRACE_TYPE_MSG.format("Tuple[Tensor, float, str, Tuple[int, bool]]")),
    ((None,), RuntimeError, _TRACE_TYPE_MSG.format("Tuple[NoneType]")),
])
def test_trace_checks_example_inputs(example, exc, msg):
    with pytest.raises(exc) as info:
        jit.trace(lambda *a: a[0], example)
    assert str(info.value) == msg


def test_trace_errors():
    with pytest.raises(TypeError, match=r"missing 1 required positional argument: 'x'"):
        jit.trace(scale, ())
    with pytest.raises(RuntimeError, match="^Could not get name of python class object$"):
        jit.trace(3, torch.ones(1))
    with pytest.raises(RuntimeError, match="^example_kwarg_inputs should be a dict$"):
        jit.trace(nn.Identity())
    with pytest.raises(RuntimeError, match="didn't return any values! Side-effects are not "
                                           "captured in traces, so it would be a no-op."):
        jit.trace(lambda x: None, torch.ones(1))
    with pytest.raises(RuntimeError, match="^Only tensors, lists, tuples of tensors, or dictionary "
                                           "of tensors can be output from traced functions$"):
        jit.trace(lambda x: 3, torch.ones(1))
    with pytest.raises(RuntimeError, match="^Encountering a dict at the output of the tracer"):
        jit.trace(lambda x: {"a": x}, torch.ones(1))
    out = jit.trace(lambda x: {"a": x}, torch.ones(1), strict=False)(torch.ones(1))
    assert list(out) == ["a"]
    with pytest.warns(jit.TracerWarning, match="^Encountering a list at the output"):
        jit.trace(lambda x: [x], torch.ones(1))
    with pytest.raises(AttributeError, match="^expected torch.nn.Module as the first argument$"):
        jit.trace_module(3, {"forward": torch.ones(1)})
    with pytest.raises(AttributeError, match=r"^expected a dictionary of \(method_name, input\) "
                                             r"pairs$"):
        jit.trace_module(nn.Identity(), torch.ones(1))


def _noisy(x):
    return x + torch.rand(3)


def test_check_trace_warns_on_values_and_raises_on_structure():
    with pytest.warns(jit.TracerWarning) as rec:
        jit.trace(_noisy, torch.ones(3))
    msg = str(rec[0].message)
    assert msg.startswith("Output nr 1. of the traced function does not match the corresponding "
                          "output of the Python function. Detailed error:\nTensor-likes are not "
                          "close!\n\nMismatched elements: ")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        jit.trace(_noisy, torch.ones(3), check_trace=False)
        jit.trace(_noisy, torch.ones(3), check_tolerance=2.0)
    calls = []

    def shape_changes(x):
        calls.append(1)
        return x[:len(calls)]
    with pytest.raises(jit.TracingCheckError) as info:
        jit.trace(shape_changes, torch.ones(4))
    assert str(info.value).startswith("Tracing failed sanity checks!\nERROR: Graphs differed "
                                      "across invocations!\n\t")
    seen = []
    jit.trace(lambda x: seen.append(x.shape) or x, torch.ones(1), check_inputs=[(torch.ones(2),)])
    assert [tuple(s) for s in seen] == [(1,), (2,), (2,)]


def test_tracing_check_error_and_warning_classes():
    e = jit.TracingCheckError("gd", "tc", "extra")
    assert str(e) == ("Tracing failed sanity checks!\nextra\nERROR: Graphs differed across "
                      "invocations!\n\tgd\nERROR: Tensor-valued Constant nodes differed in value "
                      "across invocations. This often indicates that the tracer has encountered "
                      "untraceable code.\n\ttc\n")
    assert str(jit.TracingCheckError("gd", None)) == ("Tracing failed sanity checks!\nERROR: Graphs "
                                                      "differed across invocations!\n\tgd\n")
    assert issubclass(jit.TracerWarning, Warning) and issubclass(jit.ScriptWarning, Warning)


# ------------------------------------------------------------------ CompilationUnit

def test_compilation_unit():
    cu = jit.CompilationUnit("def foo(x):\n    return x + 1\n\ndef bar(x, y: int):\n"
                             "    return foo(x) * y\n")
    assert torch.CompilationUnit is jit.CompilationUnit
    x = torch.tensor([1.0, 2.0])
    np.testing.assert_array_equal(_np(cu.foo(x)), _np(x) + 1)
    np.testing.assert_array_equal(_np(cu.bar(x, 3)), (_np(x) + 1) * 3)
    assert isinstance(cu.foo, jit.ScriptFunction) and cu.find_function("foo") is cu.foo
    assert cu.find_function("zz") is None and cu.get_functions() == [cu.foo, cu.bar]
    assert cu.foo.qualified_name == "foo" and cu.bar.name == "bar"
    assert cu.bar.code == "def bar(x, y: int):\n    return foo(x) * y\n"
    assert cu.define("def baz(x):\n    return torch.exp(x) - 1\n") is None
    np.testing.assert_allclose(_np(cu.baz(x)), np.expm1(_np(x)), rtol=1e-6)
    with pytest.raises(AttributeError) as info:
        cu.zz
    assert str(info.value) == "'CompilationUnit' has no attribute 'zz'"
    with pytest.raises(RuntimeError):
        cu.bar(x)
    bad = jit.CompilationUnit("def boom(x):\n    raise ValueError('hi')\n")
    with pytest.raises(jit.Error, match="builtins.ValueError: hi"):
        bad.boom(x)
    assert jit.CompilationUnit().get_functions() == []


# ------------------------------------------------------------------ freeze and the rest

def test_freeze_and_optimize_for_inference():
    m = _net()
    sm = jit.script(m)
    with pytest.raises(RuntimeError) as info:
        jit.freeze(m)
    assert str(info.value) == ("Freezing expects a ScriptModule as input. Please use torch.jit.script "
                               "or torch.jit.trace to script your 'nn.Module'.")
    with pytest.raises(RuntimeError) as info:
        jit.freeze(sm)
    assert str(info.value) == ("Freezing is currently only implemented for modules in eval mode. "
                               "Please call .eval() on your module before freezing.")
    fz = jit.freeze(sm.eval())
    x = torch.randn(2, 3)
    assert list(fz.parameters()) == [] and fz(x).grad_fn is None
    np.testing.assert_array_equal(_np(fz(x)), _np(sm(x)))
    with pytest.raises(RuntimeError, match="^optimize_for_inference expects a ScriptModule"):
        jit.optimize_for_inference(m)
    opt = jit.optimize_for_inference(jit.script(_net()))
    assert not opt.training and list(opt.parameters()) == []
    assert jit.optimize_for_inference(opt) is opt


def test_annotations_and_isinstance():
    assert jit.annotate(typing.List[int], []) == []
    assert jit.Final is typing.Final
    a = jit.Attribute(3, int)
    assert a.value == 3 and a.type is int and repr(a) == "Attribute(value=3, type=<class 'int'>)"
    assert jit.isinstance([1, 2], typing.List[int]) and not jit.isinstance([1], typing.List[str])
    assert jit.isinstance({"a": torch.ones(1)}, typing.Dict[str, torch.Tensor])
    assert jit.isinstance((1, "a"), typing.Tuple[int, str])
    assert not jit.isinstance((1,), typing.Tuple[int, str])
    assert jit.isinstance(None, typing.Optional[int]) and not jit.isinstance(1.0, typing.Optional[int])
    with pytest.warns(UserWarning, match="^The inner type of a container is lost"):
        assert jit.isinstance([], typing.List[int])
    with pytest.raises(RuntimeError, match=r"^Attempted to use List without a contained type\. "):
        jit.isinstance([1], typing.List)

    @jit.interface
    class Iface:
        def run(self, x: int) -> int:
            pass
    assert Iface.__torch_script_interface__


def test_fork_wait_and_fusion_settings():
    fut = jit.fork(lambda a, b: a * b, torch.tensor([2.0]), torch.tensor([3.0]))
    assert isinstance(fut, jit.Future) and jit.wait(fut).tolist() == [6.0]
    assert not jit.onednn_fusion_enabled()
    jit.enable_onednn_fusion(True)
    assert jit.onednn_fusion_enabled()
    jit.enable_onednn_fusion(False)
    prev = jit.set_fusion_strategy([("DYNAMIC", 3)])
    assert prev == [("STATIC", 2), ("DYNAMIC", 10)]
    assert jit.set_fusion_strategy(prev) == [("DYNAMIC", 3)]
    with pytest.raises(ValueError, match="^FusionBehavior only supported 'STATIC' or 'DYNAMIC', "
                                         "got: x$"):
        jit.set_fusion_strategy([("x", 2)])
    with pytest.warns(UserWarning, match="Only works in script mode"):
        with jit.strict_fusion():
            pass
    with jit.optimized_execution(False):
        pass


def test_legacy_script_module_subclass():
    class Legacy(jit.ScriptModule):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(torch.ones(2))

        @jit.script_method
        def forward(self, x):
            return x * self.w

    m = Legacy()
    np.testing.assert_array_equal(_np(m(torch.tensor([2.0, 3.0]))), [2.0, 3.0])
    with pytest.raises(RuntimeError):
        m(torch.ones(2), 1)
    assert isinstance(m._c, torch.ScriptModule) and [n for n, _ in m.named_parameters()] == ["w"]
