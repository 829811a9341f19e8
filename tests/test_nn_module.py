"""nn.Module, nn.Parameter, nn.Buffer and the module containers: registration,
iteration orders, state_dict round trips and strict-loading errors, hooks,
modes, conversions and reprs (PyTorch's documented formats and messages)."""
import copy
from collections import OrderedDict

import numpy as np
import pytest

import ctorch as torch
import ctorch.nn as nn


class Lin(nn.Module):
    """A small affine layer with a persistent and a non-persistent buffer."""

    def __init__(self, i, o):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(o, i))
        self.bias = nn.Parameter(torch.zeros(o))
        self.register_buffer("count", torch.zeros(o))
        self.register_buffer("scratch", torch.zeros(1), persistent=False)

    def forward(self, x):
        return x @ self.weight.T + self.bias

    def extra_repr(self):
        return f"in={self.weight.shape[1]}, out={self.weight.shape[0]}"


class Id(nn.Module):
    def forward(self, x):
        return x


# ---------------------------------------------------------------- Parameter

def test_parameter_basics():
    t = torch.tensor([1.0, 2.0])
    p = nn.Parameter(t)
    assert isinstance(p, torch.Tensor) and isinstance(p, nn.Parameter)
    assert p.requires_grad and p.is_leaf and p.grad_fn is None
    assert p.data_ptr() == t.data_ptr()          # no copy
    assert not t.requires_grad
    assert repr(p) == "Parameter containing:\ntensor([1., 2.], requires_grad=True)"
    assert type(p.data) is torch.Tensor and type(p.detach()) is torch.Tensor
    assert type(p + 1) is torch.Tensor
    q = nn.Parameter(torch.ones(2, dtype=torch.int64), requires_grad=False)
    assert repr(q) == "Parameter containing:\ntensor([1, 1])"
    assert nn.Parameter().shape == (0,)
    with pytest.raises(AttributeError, match="'int' object has no attribute 'detach'"):
        nn.Parameter(3)
    with pytest.raises(RuntimeError, match="Only Tensors of floating point and complex dtype"):
        nn.Parameter(torch.ones(2, dtype=torch.int64))
    d = copy.deepcopy(p)
    assert type(d) is nn.Parameter and d.requires_grad and d.data_ptr() != p.data_ptr()
    np.testing.assert_array_equal(d.detach().numpy(), [1.0, 2.0])
    (p * p).sum().backward()
    np.testing.assert_array_equal(p.grad.numpy(), [2.0, 4.0])


def test_buffer_marker():
    m = nn.Module()
    b = nn.Buffer(torch.ones(2), persistent=False)
    assert type(b) is torch.Tensor and isinstance(b, nn.Buffer)
    assert not isinstance(torch.ones(2), nn.Buffer)
    m.b = b
    m.c = nn.Buffer(torch.zeros(1))
    assert list(m._buffers) == ["b", "c"]
    assert list(m.state_dict()) == ["c"]


# ---------------------------------------------------------------- registration

def test_registration_orders_and_attribute_semantics():
    m = Lin(2, 3)
    assert list(m._parameters) == ["weight", "bias"]
    assert list(dict(m.named_buffers())) == ["count", "scratch"]
    assert "weight" not in m.__dict__
    m.child = Id()
    m.register_module("other", Id())
    m.add_module("third", Id())
    assert [n for n, _ in m.named_children()] == ["child", "other", "third"]
    # a Parameter assigned over a submodule name moves it to the parameters
    m.other = nn.Parameter(torch.ones(1))
    assert "other" not in m._modules and "other" in m._parameters
    # None keeps the slot
    m.bias = None
    assert m.bias is None and [n for n, _ in m.named_parameters()] == ["weight", "other"]
    m.register_parameter("extra", None)
    assert list(m._parameters) == ["weight", "bias", "other", "extra"]
    m.count = torch.full((3,), 2.0)
    assert "count" in m._buffers and m.count[0].item() == 2.0
    del m.child, m.count, m.weight
    assert "child" not in m._modules and "count" not in m._buffers
    assert "weight" not in m._parameters
    m.plain = 3
    assert m.plain == 3 and "plain" in m.__dict__
    del m.plain
    with pytest.raises(AttributeError, match="'Lin' object has no attribute 'plain'"):
        m.plain
    names = dir(m)
    assert "third" in names and "scratch" in names and "forward" in names
    assert names == sorted(names)


@pytest.mark.parametrize("call,exc,msg", [
    (lambda m: m.register_buffer(1, None), TypeError, "buffer name should be a string. Got int"),
    (lambda m: m.register_buffer("a.b", None), KeyError, 'buffer name can\'t contain "."'),
    (lambda m: m.register_buffer("", None), KeyError, 'buffer name can\'t be empty string ""'),
    (lambda m: m.register_buffer("x", 3), TypeError,
     "cannot assign 'int' object to buffer 'x' (torch Tensor or None required)"),
    (lambda m: m.register_buffer("foo", None), KeyError, "attribute 'foo' already exists"),
    (lambda m: m.register_parameter("x", torch.ones(1)), TypeError,
     "cannot assign 'torch.FloatTensor' object to parameter 'x' "
     "(torch.nn.Parameter or None required)"),
    (lambda m: m.register_parameter("x.y", None), KeyError, 'parameter name can\'t contain "."'),
    (lambda m: m.register_parameter("x", nn.Parameter(torch.ones(1)) * 2), TypeError,
     "cannot assign 'torch.FloatTensor' object to parameter 'x'"),
    (lambda m: m.add_module("x", 3), TypeError, "int is not a Module subclass"),
    (lambda m: m.add_module("a.b", nn.Module()), KeyError, 'module name can\'t contain ".", got: a.b'),
    (lambda m: m.add_module("", nn.Module()), KeyError, 'module name can\'t be empty string ""'),
    (lambda m: m.add_module(3, nn.Module()), TypeError, "module name should be a string. Got int"),
    (lambda m: setattr(m, "p", torch.ones(1)), TypeError,
     "cannot assign 'torch.FloatTensor' as parameter 'p' (torch.nn.Parameter or None expected)"),
    (lambda m: setattr(m, "c", torch.ones(1)), TypeError,
     "cannot assign 'torch.FloatTensor' as child module 'c' (torch.nn.Module or None expected)"),
    (lambda m: setattr(m, "b", 3), TypeError,
     "cannot assign 'int' as buffer 'b' (torch.nn.Buffer, torch.Tensor or None expected)"),
    (lambda m: m.train(1), ValueError, "training mode is expected to be boolean"),
    (lambda m: m(1), NotImplementedError, 'Module [Module] is missing the required "forward" function'),
])
def test_registration_errors(call, exc, msg):
    m = nn.Module()
    m.foo = 5
    m.p = nn.Parameter(torch.ones(1))
    m.c = nn.Module()
    m.register_buffer("b", torch.ones(1))
    with pytest.raises(exc) as info:
        call(m)
    text = info.value.args[0]
    assert text.startswith(msg), text


def test_registration_before_init_and_bad_init_args():
    class Early(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(torch.ones(1))
    with pytest.raises(AttributeError, match=r"cannot assign parameters before Module.__init__\(\) call"):
        Early()
    with pytest.raises(TypeError, match=r"Module.__init__\(\) takes 1 positional argument but 2 were given"):
        nn.Module(3)
    with pytest.raises(TypeError, match=r"got an unexpected keyword argument 'a'"):
        nn.Module(a=3)


def test_non_leaf_parameter_rejected():
    m = nn.Module()
    p = nn.Parameter(torch.ones(1))
    non_leaf = (p * 2).as_subclass(nn.Parameter)      # a Parameter with a grad_fn
    with pytest.raises(ValueError, match="Cannot assign non-leaf Tensor to parameter 'x'"):
        m.register_parameter("x", non_leaf)


def test_get_submodule_parameter_buffer():
    m = nn.Module()
    m.c = Lin(1, 1)
    assert m.get_submodule("") is m and m.get_submodule("c") is m.c
    assert m.get_parameter("c.weight") is m.c.weight
    assert m.get_buffer("c.count") is m.c.count
    with pytest.raises(AttributeError, match="Module has no attribute `zz`"):
        m.get_submodule("zz")
    with pytest.raises(AttributeError, match="`weight` is not an nn.Module"):
        m.get_submodule("c.weight")
    with pytest.raises(AttributeError, match="Lin has no attribute `zz`"):
        m.get_parameter("c.zz")
    with pytest.raises(AttributeError, match="`count` is not an nn.Parameter"):
        m.get_parameter("c.count")
    with pytest.raises(AttributeError, match="`weight` is not a buffer"):
        m.get_buffer("c.weight")


# ---------------------------------------------------------------- iteration

def test_iteration_orders_and_sharing():
    s = nn.Sequential(Lin(2, 2))
    s.append(s[0])
    s.append(nn.Sequential(s[0]))
    assert [n for n, _ in s.named_modules()] == ["", "0", "2"]
    assert [n for n, _ in s.named_modules(remove_duplicate=False)] == ["", "0", "1", "2", "2.0"]
    assert [n for n, _ in s.named_parameters()] == ["0.weight", "0.bias"]
    assert [n for n, _ in s.named_parameters(remove_duplicate=False)] == [
        "0.weight", "0.bias", "1.weight", "1.bias", "2.0.weight", "2.0.bias"]
    assert [n for n, _ in s.named_parameters(prefix="pre")] == ["pre.0.weight", "pre.0.bias"]
    assert list(s.named_parameters(recurse=False)) == []
    assert [n for n, _ in s.named_buffers()] == ["0.count", "0.scratch"]
    assert [n for n, _ in s.named_children()] == ["0", "2"]
    assert len(list(s.modules())) == 3 and len(list(s.children())) == 2
    assert len(list(s.parameters())) == 2 and len(list(s.buffers())) == 2
    assert list(s.state_dict()) == ["0.weight", "0.bias", "0.count", "1.weight", "1.bias",
                                    "1.count", "2.0.weight", "2.0.bias", "2.0.count"]


# ---------------------------------------------------------------- state dict

def _net():
    return nn.Sequential(Lin(2, 3), Id(), nn.Sequential(Lin(3, 1)))


def test_state_dict_keys_detach_and_round_trip():
    m = _net()
    sd = m.state_dict()
    assert type(sd) is OrderedDict
    assert list(sd) == ["0.weight", "0.bias", "0.count", "2.0.weight", "2.0.bias", "2.0.count"]
    assert not sd["0.weight"].requires_grad and type(sd["0.weight"]) is torch.Tensor
    assert sd["0.weight"].data_ptr() == m[0].weight.data_ptr()
    assert m.state_dict(keep_vars=True)["0.weight"] is m[0].weight
    assert list(m.state_dict(prefix="net."))[0] == "net.0.weight"
    dest = OrderedDict()
    assert m.state_dict(destination=dest) is dest and len(dest) == 6
    other = _net()
    with torch.no_grad():
        for p in other.parameters():
            p.uniform_(-1, 1)
    r = m.load_state_dict(other.state_dict())
    assert r.missing_keys == [] and r.unexpected_keys == []
    assert repr(r) == "<All keys matched successfully>"
    for (n1, a), (n2, b) in zip(m.state_dict().items(), other.state_dict().items()):
        assert n1 == n2
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert m[0].weight.requires_grad and type(m[0].weight) is nn.Parameter


def test_load_state_dict_errors():
    m = _net()
    with pytest.raises(RuntimeError) as info:
        m.load_state_dict({"0.weight": torch.ones(3, 3), "zz": torch.ones(1)})
    assert str(info.value) == (
        'Error(s) in loading state_dict for Sequential:\n\t'
        'Missing key(s) in state_dict: "0.bias", "0.count", "2.0.weight", "2.0.bias", '
        '"2.0.count". \n\tUnexpected key(s) in state_dict: "zz". \n\t'
        "size mismatch for 0.weight: copying a param with shape torch.Size([3, 3]) from "
        "checkpoint, the shape in current model is torch.Size([3, 2]).")
    r = m.load_state_dict({"0.weight": torch.ones(3, 2), "x.y": torch.ones(1)}, strict=False)
    assert r.missing_keys == ["0.bias", "0.count", "2.0.weight", "2.0.bias", "2.0.count"]
    assert r.unexpected_keys == ["x.y"]
    assert repr(r).startswith("_IncompatibleKeys(missing_keys=['0.bias'")
    with pytest.raises(TypeError, match="Expected state_dict to be dict-like, got <class 'int'>."):
        m.load_state_dict(3)
    with pytest.raises(RuntimeError, match='While copying the parameter named "0.bias", expected '
                                           "torch.Tensor or Tensor-like object from checkpoint"):
        m.load_state_dict({"0.bias": 3}, strict=False)


def test_load_state_dict_assign_and_scalar():
    class Z(nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("s", torch.tensor(1.0))
            self.w = nn.Parameter(torch.ones(2))
    z = Z()
    w0 = z.w
    z.load_state_dict({"s": torch.tensor([5.0]), "w": torch.full((2,), 3.0)})
    assert z.s.item() == 5.0 and z.w is w0 and z.w[0].item() == 3.0
    new = torch.full((2,), 4.0)
    z.load_state_dict({"s": torch.tensor(2.0), "w": new}, assign=True)
    assert z.w is not w0 and type(z.w) is nn.Parameter and z.w.requires_grad
    assert z.w.data_ptr() == new.data_ptr()


# ---------------------------------------------------------------- modes, grads, conversion

def test_train_eval_zero_grad_requires_grad():
    m = _net()
    assert m.training and all(c.training for c in m.modules())
    assert m.eval() is m and not any(c.training for c in m.modules())
    m.train()
    assert all(c.training for c in m.modules())
    m(torch.ones(4, 2)).sum().backward()
    g = m[0].weight.grad
    np.testing.assert_array_equal(g.numpy(), np.full((3, 2), 4.0))
    m.zero_grad(set_to_none=False)
    assert m[0].weight.grad is g and float(g.abs().sum()) == 0.0
    m.zero_grad()
    assert m[0].weight.grad is None
    assert m.requires_grad_(False) is m and not any(p.requires_grad for p in m.parameters())


def test_to_and_casts_keep_parameter_objects():
    m = Lin(2, 2)
    m.register_buffer("idx", torch.ones(1, dtype=torch.int64))
    w = m.weight
    assert m.double() is m and m.weight is w and w.dtype == torch.float64
    assert type(w) is nn.Parameter and w.requires_grad
    assert m.count.dtype == torch.float64 and m.idx.dtype == torch.int64
    m.to(torch.float32)
    assert w.dtype == torch.float32 and m.idx.dtype == torch.int64
    m.to("cpu", torch.float16)
    assert w.dtype == torch.float16
    m.float().to(torch.ones(1, dtype=torch.float64))
    assert w.dtype == torch.float64
    m.to(dtype=torch.float32)
    m.type(torch.float64)
    assert w.dtype == torch.float64 and m.idx.dtype == torch.float64
    m.half()                      # idx is floating point now, so it converts too
    assert w.dtype == torch.float16 and m.idx.dtype == torch.float16
    m.cpu()
    assert w.device.type == "cpu"
    with pytest.raises(TypeError, match="nn.Module.to only accepts floating point or complex "
                                        "dtypes, but got desired dtype=torch.int32"):
        m.to(torch.int32)


def test_apply_order():
    seen = []
    m = nn.Sequential(Id(), nn.Sequential(Id()))
    assert m.apply(lambda mod: seen.append(type(mod).__name__)) is m
    assert seen == ["Id", "Id", "Sequential", "Sequential"]


# ---------------------------------------------------------------- hooks

def test_forward_hooks():
    calls = []
    lin = Lin(2, 2)
    lin.register_forward_pre_hook(lambda mod, a: calls.append("pre1"))
    lin.register_forward_pre_hook(lambda mod, a: calls.append("pre0"), prepend=True)
    h3 = lin.register_forward_pre_hook(lambda mod, a, k: ((a[0] * 2,), k), with_kwargs=True)
    h4 = lin.register_forward_hook(lambda mod, a, out: out + 1)
    lin.register_forward_hook(lambda mod, a, k, out: calls.append(("kw", k)), with_kwargs=True)
    out = lin(torch.ones(1, 2))
    np.testing.assert_array_equal(out.detach().numpy(), [[5.0, 5.0]])
    assert calls == ["pre0", "pre1", ("kw", {})]
    h3.remove()
    h4.remove()
    np.testing.assert_array_equal(lin(torch.ones(1, 2)).detach().numpy(), [[2.0, 2.0]])
    # a non-tuple result of a plain pre-hook becomes the single argument
    with lin.register_forward_pre_hook(lambda mod, a: torch.zeros(1, 2)):
        np.testing.assert_array_equal(lin(torch.ones(1, 2)).detach().numpy(), [[0.0, 0.0]])
    np.testing.assert_array_equal(lin(torch.ones(1, 2)).detach().numpy(), [[2.0, 2.0]])
    h = lin.register_forward_pre_hook(lambda mod, a, k: 5, with_kwargs=True)
    with pytest.raises(RuntimeError, match=r"forward pre-hook must return None or a tuple of "
                                           r"\(new_args, new_kwargs\), but got 5."):
        lin(torch.ones(1, 2))
    h.remove()
    seen = []

    class Bad(nn.Module):
        def forward(self, x):
            raise ValueError("boom")
    b = Bad()
    b.register_forward_hook(lambda mod, a, out: seen.append(out), always_call=True)
    with pytest.raises(ValueError, match="boom"):
        b(1)
    assert seen == [None]


# ---------------------------------------------------------------- repr

def test_module_repr():
    assert repr(_net()) == (
        "Sequential(\n"
        "  (0): Lin(in=2, out=3)\n"
        "  (1): Id()\n"
        "  (2): Sequential(\n"
        "    (0): Lin(in=3, out=1)\n"
        "  )\n"
        ")")
    assert repr(nn.Sequential()) == "Sequential()"
    m = nn.Module()
    m.l = Lin(1, 1)
    assert repr(m) == "Module(\n  (l): Lin(in=1, out=1)\n)"

    class Multi(nn.Module):
        def __init__(self):
            super().__init__()
            self.c = Id()

        def extra_repr(self):
            return "a=1\nb=2"
    assert repr(Multi()) == "Multi(\n  a=1\n  b=2\n  (c): Id()\n)"


def test_container_reprs():
    ml = nn.ModuleList([Lin(2, 2), Lin(2, 2), Lin(2, 2), Id()])
    assert repr(ml) == "ModuleList(\n  (0-2): 3 x Lin(in=2, out=2)\n  (3): Id()\n)"
    assert repr(nn.ModuleList()) == "ModuleList()"
    assert repr(nn.ModuleDict({"a": Id(), "b": Lin(1, 1)})) == (
        "ModuleDict(\n  (a): Id()\n  (b): Lin(in=1, out=1)\n)")
    pl = nn.ParameterList([nn.Parameter(torch.ones(2)), torch.zeros(3, dtype=torch.float64)])
    pl.append("x")
    assert repr(pl) == (
        "ParameterList(\n"
        "    (0): Parameter containing: [torch.float32 of size 2]\n"
        "    (1): Parameter containing: [torch.float64 of size 3]\n"
        "    (2): Object of type: str\n"
        ")")
    pd = nn.ParameterDict([("z", torch.ones(2, 3)), ("y", 3)])
    assert repr(pd) == (
        "ParameterDict(\n"
        "    (z): Parameter containing: [torch.FloatTensor of size 2x3]\n"
        "    (y): Object of type: int\n"
        ")")


# ---------------------------------------------------------------- containers

def test_sequential():
    a, b, c = Lin(1, 2), Id(), Lin(2, 1)
    s = nn.Sequential(a, b, c)
    assert len(s) == 3 and list(s) == [a, b, c] and s[-1] is c
    np.testing.assert_array_equal(s(torch.ones(1, 1)).detach().numpy(), [[2.0]])
    t = s[1:]
    assert type(t) is nn.Sequential and list(t._modules) == ["1", "2"] and t[0] is b
    with pytest.raises(IndexError, match="index 3 is out of range"):
        s[3]
    with pytest.raises(IndexError, match="index -4 is out of range"):
        s[-4]
    d = nn.Sequential(OrderedDict([("first", a), ("second", b)]))
    assert list(d._modules) == ["first", "second"] and d.first is a
    d[1] = c
    assert d.second is c
    del s[0]
    assert list(s._modules) == ["0", "1"] and s[0] is b
    s.insert(0, a)
    assert list(s) == [a, b, c]
    s.insert(-1, Id())
    assert isinstance(s[2], Id) and s[3] is c
    with pytest.raises(IndexError, match="Index out of range: 6"):
        s.insert(6, Id())
    with pytest.raises(AssertionError, match="module should be of type"):
        s.insert(0, 3)
    assert s.pop(2) is not c and len(s) == 3
    s.extend(nn.Sequential(Id()))
    assert len(s) == 4 and len(s + s) == 8 and len(s * 2) == 8
    assert s.append(Id()) is s and list(s._modules)[-1] == "4"


def test_module_list():
    a, b = Id(), Lin(1, 1)
    ml = nn.ModuleList([a])
    ml.append(b)
    ml += [Id()]
    assert len(ml) == 3 and ml[1] is b and ml[-3] is a
    assert [n for n, _ in ml.named_parameters()] == ["1.weight", "1.bias"]
    assert type(ml[:2]) is nn.ModuleList and list(ml[:2]) == [a, b]
    ml.insert(0, b)
    assert list(ml._modules) == ["0", "1", "2", "3"] and ml[0] is b and ml[1] is a
    del ml[0]
    assert ml[0] is a and list(ml._modules) == ["0", "1", "2"]
    ml[2] = b
    assert ml[2] is b and ml.pop(0) is a and len(ml) == 2
    with pytest.raises(IndexError, match="index 2 is out of range"):
        ml[2]
    with pytest.raises(TypeError, match="ModuleList.extend should be called with an iterable, "
                                        "but got int"):
        ml.extend(3)
    assert "0" not in dir(ml)


def test_module_dict():
    a, b = Id(), Lin(1, 1)
    md = nn.ModuleDict({"b": a, "a": b})
    assert list(md.keys()) == ["b", "a"] and md["a"] is b and "b" in md and len(md) == 2
    md.update([("c", Id())])
    assert list(md) == ["b", "a", "c"]
    assert md.pop("b") is a and list(md) == ["a", "c"]
    del md["c"]
    assert list(md.values()) == [b] and [n for n, _ in md.named_parameters()] == ["a.weight", "a.bias"]
    md.clear()
    assert len(md) == 0
    with pytest.raises(TypeError, match="ModuleDict.update should be called with an iterable "
                                        "of key/value pairs, but got int"):
        md.update(3)
    with pytest.raises(TypeError, match="ModuleDict update sequence element #0 should be "
                                        "Iterable; isint"):
        md.update([3])
    with pytest.raises(ValueError, match="ModuleDict update sequence element #0 has length 3; "
                                         "2 is required"):
        md.update([(1, 2, 3)])


def test_parameter_list_and_dict():
    pl = nn.ParameterList([torch.ones(1), nn.Parameter(torch.zeros(2))])
    assert type(pl[0]) is nn.Parameter and pl[0].requires_grad
    assert [n for n, _ in pl.named_parameters()] == ["0", "1"]
    assert len(pl) == 2 and [p.shape for p in pl] == [(1,), (2,)]
    assert len(pl[::-1]) == 2 and pl[::-1][0] is pl[1]
    pl[0] = torch.full((3,), 2.0)
    assert type(pl[0]) is nn.Parameter and pl[0].shape == (3,)
    with pytest.raises(RuntimeError, match="ParameterList should not be called."):
        pl(1)
    with pytest.raises(TypeError, match="ParameterList.extend should be called with an "
                                        "iterable, but got Tensor"):
        pl.extend(torch.ones(2))
    pd = nn.ParameterDict({"b": torch.ones(1), "a": torch.ones(2)})
    assert list(pd.keys()) == ["a", "b"]                # a plain dict goes in key order
    assert [n for n, _ in pd.named_parameters()] == ["a", "b"]
    assert type(pd["a"]) is nn.Parameter
    pd2 = nn.ParameterDict(OrderedDict([("b", torch.ones(1)), ("a", torch.ones(2))]))
    assert list(pd2) == ["b", "a"]
    assert pd.get("zz") is None and "a" in pd
    k, v = pd.popitem()
    assert k == "b" and list(pd) == ["a"]
    assert pd.setdefault("c", torch.zeros(1)).shape == (1,) and list(pd) == ["a", "c"]
    assert list(pd | pd2) == ["a", "c", "b"]
    with pytest.raises(TypeError, match="Index given to ParameterDict cannot be used as a key "
                                        r"as it is not a string \(type is 'int'\)"):
        pd[1]
    with pytest.raises(TypeError, match="ParametersDict.update should be called with an "
                                        "iterable of key/value pairs, but got int"):
        pd.update(3)
    assert list(nn.Sequential(Lin(1, 1)).state_dict()) == ["0.weight", "0.bias", "0.count"]


def test_deepcopy_module():
    m = _net()
    c = copy.deepcopy(m)
    assert repr(c) == repr(m)
    assert c[0].weight is not m[0].weight and type(c[0].weight) is nn.Parameter
    with torch.no_grad():
        c[0].weight.fill_(7.0)
    assert m[0].weight[0, 0].item() == 1.0


def test_extra_state():
    class X(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(torch.ones(1))
            self.state = 5

        def get_extra_state(self):
            return {"state": self.state}

        def set_extra_state(self, st):
            self.state = st["state"]

    m = nn.Module()
    m.x = X()
    m.y = nn.Sequential()
    sd = m.state_dict()
    assert list(sd) == ["x.w", "x._extra_state"] and sd["x._extra_state"] == {"state": 5}
    sd["x._extra_state"] = {"state": 9}
    m.load_state_dict(sd)
    assert m.x.state == 9
    with pytest.raises(RuntimeError, match='Missing key\\(s\\) in state_dict: "x._extra_state". '):
        m.load_state_dict({"x.w": torch.ones(1)})
    r = m.load_state_dict({"x.w": torch.ones(1), "y._extra_state": 2}, strict=False)
    assert r.missing_keys == ["x._extra_state"] and r.unexpected_keys == ["y._extra_state"]
    with pytest.raises(RuntimeError, match=r"Reached a code path in Module.get_extra_state\(\)"):
        nn.Module().get_extra_state()


def test_set_submodule_and_to_empty():
    m = nn.Module()
    m.x = Lin(1, 1)
    m.y = nn.Sequential(Id())
    new = Id()
    m.set_submodule("y.0", new)
    assert m.y[0] is new
    m.set_submodule("y.extra", Id())
    assert list(m.y._modules) == ["0", "extra"]
    with pytest.raises(AttributeError, match="Sequential has no attribute `zz`"):
        m.set_submodule("y.zz", Id(), strict=True)
    with pytest.raises(AttributeError, match="`weight` is not an nn.Module"):
        m.set_submodule("x.weight", Id())
    with pytest.raises(ValueError, match="Cannot set the submodule without a target name!"):
        m.set_submodule("", Id())
    with pytest.raises(ValueError, match="`module` is not an nn.Module, found <class 'int'>"):
        m.set_submodule("x", 3)
    w = m.x.weight
    assert m.to_empty(device="cpu") is m
    assert m.x.weight is w and w.shape == (1, 1) and type(w) is nn.Parameter


class Two(nn.Module):
    def forward(self, x, k, y):
        return x * 2 * k, y * 3


def test_full_backward_hooks():
    m = Two()
    log = []
    m.register_full_backward_pre_hook(lambda mod, go: log.append(("pre", go)))
    m.register_full_backward_hook(lambda mod, gi, go: log.append(("full", gi, go)))
    x = torch.ones(2, requires_grad=True)
    y = torch.ones(2)
    a, b = m(x, 5, y)
    assert a.grad_fn.name() == "BackwardHookFunctionBackward"
    a.sum().backward()
    assert [e[0] for e in log] == ["pre", "full"]
    (_, go), (_, gi, go2) = log
    assert go2 is go and go[1] is None and len(gi) == 3 and gi[1] is None
    np.testing.assert_array_equal(go[0].numpy(), [1.0, 1.0])
    np.testing.assert_array_equal(gi[0].numpy(), [10.0, 10.0])
    np.testing.assert_array_equal(gi[2].numpy(), [0.0, 0.0])     # y needs no gradient
    np.testing.assert_array_equal(x.grad.numpy(), [10.0, 10.0])


def test_full_backward_hooks_replace_gradients():
    m = Two()
    m.register_full_backward_pre_hook(lambda mod, go: (go[0] * 10, go[1]))
    m.register_full_backward_hook(lambda mod, gi, go: (gi[0] + 1, None, None))
    x = torch.ones(2, requires_grad=True)
    y = torch.ones(2, requires_grad=True)
    a, b = m(x, 5, y)
    (a.sum() + b.sum()).backward()
    np.testing.assert_array_equal(x.grad.numpy(), [101.0, 101.0])
    assert y.grad is None


def test_full_backward_hooks_without_input_grads_and_errors():
    class P(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(torch.ones(2))

        def forward(self, x):
            return x * self.w
    p = P()
    log = []
    h = p.register_full_backward_hook(lambda mod, gi, go: log.append((gi, go)))
    with pytest.warns(UserWarning, match="Full backward hook is firing when gradients are "
                                         "computed with respect to module outputs"):
        p(torch.ones(2)).sum().backward()
    assert log[0][0] == (None,) and len(log[0][1]) == 1
    np.testing.assert_array_equal(p.w.grad.numpy(), [1.0, 1.0])
    h.remove()
    with torch.no_grad():
        assert p(torch.ones(2)).grad_fn is None
    p.register_full_backward_hook(lambda mod, gi, go: (torch.ones(2),))
    with pytest.warns(UserWarning), pytest.raises(
            RuntimeError, match="Backward hook for Modules where no input requires gradient "
                                "should always return None or None for all gradients."):
        p(torch.ones(2)).sum().backward()
    p = P()
    p.register_full_backward_pre_hook(lambda mod, go: (go[0], go[0]))
    with pytest.raises(RuntimeError, match="Backward pre hook returned an invalid number of "
                                           "grad_output, got 2, but expected 1"):
        p(torch.ones(2)).sum().backward()
    p = P()
    p.register_full_backward_hook(lambda mod, gi, go: (gi[0], gi[0]))
    with pytest.raises(RuntimeError, match="Backward hook returned an invalid number of "
                                           "grad_input, got 2, but expected 1"):
        p(torch.ones(2, requires_grad=True)).sum().backward()
