"""Lazy modules and uninitialized parameters: the life cycle (repr and
uninitialized state before the first forward, shapes inferred from it, the
layer's own initialization, the switch to the non-lazy class), state_dict
round trips, conversions before initialization, and PyTorch's errors for using
an uninitialized parameter."""
import copy
import pickle
import re

import numpy as np
import pytest

import ctorch as torch
import ctorch.nn as nn
import ctorch.nn.functional as F
from ctorch.autograd import gradcheck


def _x(*shape, seed=0):
    rng = np.random.default_rng(seed)
    return torch.tensor(rng.standard_normal(shape))


# (lazy constructor, repr before, input shape, class it becomes, repr after,
#  {parameter/buffer: shape after}, equivalent non-lazy constructor)
LAZY = [
    (lambda: nn.LazyLinear(4), "LazyLinear(in_features=0, out_features=4, bias=True)", (2, 3),
     nn.Linear, "Linear(in_features=3, out_features=4, bias=True)",
     {"weight": (4, 3), "bias": (4,)}, lambda: nn.Linear(3, 4)),
    (lambda: nn.LazyLinear(2, bias=False), "LazyLinear(in_features=0, out_features=2, bias=False)",
     (5, 2, 3), nn.Linear, "Linear(in_features=3, out_features=2, bias=False)",
     {"weight": (2, 3)}, lambda: nn.Linear(3, 2, bias=False)),
    (lambda: nn.LazyConv1d(4, 3), "LazyConv1d(0, 4, kernel_size=(3,), stride=(1,))", (2, 2, 6),
     nn.Conv1d, "Conv1d(2, 4, kernel_size=(3,), stride=(1,))",
     {"weight": (4, 2, 3), "bias": (4,)}, lambda: nn.Conv1d(2, 4, 3)),
    (lambda: nn.LazyConv2d(4, 3, stride=2, groups=2, bias=False),
     "LazyConv2d(0, 4, kernel_size=(3, 3), stride=(2, 2), groups=2, bias=False)", (4, 5, 5),
     nn.Conv2d, "Conv2d(4, 4, kernel_size=(3, 3), stride=(2, 2), groups=2, bias=False)",
     {"weight": (4, 2, 3, 3)}, lambda: nn.Conv2d(4, 4, 3, stride=2, groups=2, bias=False)),
    (lambda: nn.LazyConv3d(2, 2, padding=1),
     "LazyConv3d(0, 2, kernel_size=(2, 2, 2), stride=(1, 1, 1), padding=(1, 1, 1))",
     (1, 3, 2, 2, 2), nn.Conv3d,
     "Conv3d(3, 2, kernel_size=(2, 2, 2), stride=(1, 1, 1), padding=(1, 1, 1))",
     {"weight": (2, 3, 2, 2, 2), "bias": (2,)}, lambda: nn.Conv3d(3, 2, 2, padding=1)),
    (lambda: nn.LazyConvTranspose1d(3, 2, stride=2, output_padding=1),
     "LazyConvTranspose1d(0, 3, kernel_size=(2,), stride=(2,), output_padding=(1,))",
     (1, 2, 4), nn.ConvTranspose1d,
     "ConvTranspose1d(2, 3, kernel_size=(2,), stride=(2,), output_padding=(1,))",
     {"weight": (2, 3, 2), "bias": (3,)},
     lambda: nn.ConvTranspose1d(2, 3, 2, stride=2, output_padding=1)),
    (lambda: nn.LazyConvTranspose2d(4, 3, groups=2),
     "LazyConvTranspose2d(0, 4, kernel_size=(3, 3), stride=(1, 1), groups=2)", (6, 3, 3),
     nn.ConvTranspose2d, "ConvTranspose2d(6, 4, kernel_size=(3, 3), stride=(1, 1), groups=2)",
     {"weight": (6, 2, 3, 3), "bias": (4,)}, lambda: nn.ConvTranspose2d(6, 4, 3, groups=2)),
    (lambda: nn.LazyConvTranspose3d(2, 1),
     "LazyConvTranspose3d(0, 2, kernel_size=(1, 1, 1), stride=(1, 1, 1))", (1, 3, 2, 2, 2),
     nn.ConvTranspose3d, "ConvTranspose3d(3, 2, kernel_size=(1, 1, 1), stride=(1, 1, 1))",
     {"weight": (3, 2, 1, 1, 1), "bias": (2,)}, lambda: nn.ConvTranspose3d(3, 2, 1)),
    (lambda: nn.LazyBatchNorm1d(),
     "LazyBatchNorm1d(0, eps=1e-05, momentum=0.1, affine=True, bias=True, "
     "track_running_stats=True)", (4, 3), nn.BatchNorm1d,
     "BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)",
     {"weight": (3,), "bias": (3,), "running_mean": (3,), "running_var": (3,),
      "num_batches_tracked": ()}, lambda: nn.BatchNorm1d(3)),
    (lambda: nn.LazyBatchNorm2d(affine=False),
     "LazyBatchNorm2d(0, eps=1e-05, momentum=0.1, affine=False, bias=False, "
     "track_running_stats=True)", (2, 3, 2, 2), nn.BatchNorm2d,
     "BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=False, bias=False, "
     "track_running_stats=True)",
     {"running_mean": (3,), "running_var": (3,), "num_batches_tracked": ()},
     lambda: nn.BatchNorm2d(3, affine=False)),
    (lambda: nn.LazyBatchNorm3d(momentum=None, bias=False),
     "LazyBatchNorm3d(0, eps=1e-05, momentum=None, affine=True, bias=False, "
     "track_running_stats=True)", (2, 2, 2, 1, 2), nn.BatchNorm3d,
     "BatchNorm3d(2, eps=1e-05, momentum=None, affine=True, bias=False, "
     "track_running_stats=True)",
     {"weight": (2,), "running_mean": (2,), "running_var": (2,), "num_batches_tracked": ()},
     lambda: nn.BatchNorm3d(2, momentum=None, bias=False)),
    (lambda: nn.LazyInstanceNorm1d(),
     "LazyInstanceNorm1d(0, eps=1e-05, momentum=0.1, affine=True, bias=True, "
     "track_running_stats=True)", (2, 3, 4), nn.InstanceNorm1d,
     "InstanceNorm1d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, "
     "track_running_stats=True)",
     {"weight": (3,), "bias": (3,), "running_mean": (3,), "running_var": (3,),
      "num_batches_tracked": ()},
     lambda: nn.InstanceNorm1d(3, affine=True, track_running_stats=True)),
    (lambda: nn.LazyInstanceNorm2d(affine=False),
     "LazyInstanceNorm2d(0, eps=1e-05, momentum=0.1, affine=False, bias=False, "
     "track_running_stats=True)", (2, 3, 2, 2), nn.InstanceNorm2d,
     "InstanceNorm2d(3, eps=1e-05, momentum=0.1, affine=False, bias=False, "
     "track_running_stats=True)",
     {"running_mean": (3,), "running_var": (3,), "num_batches_tracked": ()},
     lambda: nn.InstanceNorm2d(3, track_running_stats=True)),
    (lambda: nn.LazyInstanceNorm3d(track_running_stats=False),
     "LazyInstanceNorm3d(0, eps=1e-05, momentum=0.1, affine=True, bias=True, "
     "track_running_stats=False)", (1, 2, 2, 2, 2), nn.InstanceNorm3d,
     "InstanceNorm3d(2, eps=1e-05, momentum=0.1, affine=True, bias=True, "
     "track_running_stats=False)",
     {"weight": (2,), "bias": (2,)}, lambda: nn.InstanceNorm3d(2, affine=True)),
]


def _ids():
    return [c[1].split("(")[0] + str(i) for i, c in enumerate(LAZY)]


def _state(m):
    return {k: tuple(v.shape) for k, v in m.state_dict().items()}


@pytest.mark.parametrize("case", LAZY, ids=_ids())
def test_life_cycle(case):
    ctor, rep, shape, cls, rep_after, shapes, eager = case
    m = ctor()
    assert repr(m) == rep
    assert isinstance(m, nn.modules.lazy.LazyModuleMixin)
    # the lazy Linear and convolutions derive from their layer, the norms do not
    assert isinstance(m, cls) == ("Norm" not in rep)
    lazy = {k: v for k, v in m.state_dict().items()
            if isinstance(v, nn.parameter.UninitializedTensorMixin)}
    assert m.has_uninitialized_params() == bool(lazy)
    for k, v in lazy.items():
        kind = nn.UninitializedBuffer if k.startswith("running") else nn.UninitializedParameter
        assert type(v) is kind and repr(v) == f"<{kind.__name__}>"
    x = _x(*shape).float()
    torch.manual_seed(3)
    y = m(x)
    assert type(m) is cls and repr(m) == rep_after
    assert not m._forward_pre_hooks
    assert _state(m) == shapes
    assert all(type(p) is nn.Parameter and p.requires_grad for p in m.parameters())
    assert all(type(b) is torch.Tensor for b in m.buffers())
    # the layer's own initialization, drawn as the non-lazy layer draws it
    torch.manual_seed(3)
    ref = eager()
    for k, v in ref.named_parameters():
        np.testing.assert_array_equal(m.get_parameter(k).detach().numpy(), v.detach().numpy())
    # and the same forward (in a fresh module: running statistics move in training)
    torch.manual_seed(3)
    np.testing.assert_allclose(y.detach().numpy(), eager()(x).detach().numpy())
    y2 = m(x)           # a second call only runs forward
    assert tuple(y2.shape) == tuple(y.shape)


def test_lazy_linear_values_and_gradcheck():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 5))
    m = nn.LazyLinear(2, dtype=torch.float64)
    y = m(torch.tensor(x))
    w, b = m.weight.detach().numpy(), m.bias.detach().numpy()
    assert w.dtype == np.float64
    bound = 1 / np.sqrt(5)
    assert np.all(np.abs(w) <= bound) and np.all(np.abs(b) <= bound)
    np.testing.assert_allclose(y.detach().numpy(), x @ w.T + b, rtol=1e-12)
    xt = torch.tensor(x, requires_grad=True)
    assert gradcheck(lambda a, wt, bt: F.linear(a, wt, bt), (xt, m.weight, m.bias))
    assert gradcheck(m, (xt,))


def test_lazy_batch_norm_running_stats():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((6, 3))
    m = nn.LazyBatchNorm1d(momentum=0.5, dtype=torch.float64)
    y = m(torch.tensor(x))
    np.testing.assert_allclose(m.running_mean.numpy(), 0.5 * x.mean(0), rtol=1e-12)
    np.testing.assert_allclose(m.running_var.numpy(), 0.5 + 0.5 * x.var(0, ddof=1), rtol=1e-12)
    assert m.num_batches_tracked.item() == 1
    np.testing.assert_allclose(y.detach().numpy(),
                               (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-5), rtol=1e-10)


def test_initialize_parameters_directly_and_in_a_network():
    m = nn.LazyLinear(3)
    m.initialize_parameters(torch.zeros(2, 7))
    assert tuple(m.weight.shape) == (3, 7) and m.in_features == 7
    assert type(m) is nn.LazyLinear and not m.has_uninitialized_params()
    m(torch.zeros(1, 7))
    assert type(m) is nn.Linear
    net = nn.Sequential(nn.LazyConv2d(4, 3), nn.ReLU(), nn.Flatten(), nn.LazyLinear(2))
    assert tuple(net(torch.zeros(2, 3, 5, 5)).shape) == (2, 2)
    assert tuple(net[3].weight.shape) == (2, 36)
    assert sum(p.numel() for p in net.parameters()) == 4 * 27 + 4 + 2 * 36 + 2


def test_state_dict_loads_into_lazy_modules():
    src = nn.Linear(4, 3)
    m = nn.LazyLinear(3)
    assert repr(m.load_state_dict(src.state_dict())) == "<All keys matched successfully>"
    # materialized with the loaded shapes; the class changes on the first forward
    assert type(m) is nn.LazyLinear and not m.has_uninitialized_params()
    assert repr(m) == "LazyLinear(in_features=0, out_features=3, bias=True)"
    np.testing.assert_array_equal(m.weight.detach().numpy(), src.weight.detach().numpy())
    x = torch.ones(2, 4)
    np.testing.assert_array_equal(m(x).detach().numpy(), src(x).detach().numpy())
    assert type(m) is nn.Linear
    np.testing.assert_array_equal(m.weight.detach().numpy(), src.weight.detach().numpy())
    # buffers too, and into an uninitialized module from an uninitialized one
    bn = nn.BatchNorm1d(3)
    bn(_x(4, 3).float())
    lb = nn.LazyBatchNorm1d()
    lb.load_state_dict(bn.state_dict())
    assert type(lb.running_mean) is torch.Tensor
    np.testing.assert_array_equal(lb.running_var.numpy(), bn.running_var.numpy())
    assert lb.num_batches_tracked.item() == 1
    empty = nn.LazyLinear(3)
    assert not any(nn.LazyLinear(3).load_state_dict(empty.state_dict()))
    with pytest.raises(RuntimeError, match="Can't access the shape of an uninitialized "
                                           "parameter or buffer"):
        nn.Linear(4, 3).load_state_dict(empty.state_dict())


def test_conversions_copies_and_optimizers_before_initialization():
    m = nn.LazyBatchNorm1d().double()
    assert m.has_uninitialized_params()
    assert {k: str(v.dtype) for k, v in m.state_dict().items()} == {
        "weight": "torch.float64", "bias": "torch.float64", "running_mean": "torch.float64",
        "running_var": "torch.float64", "num_batches_tracked": "torch.int64"}
    m(_x(4, 2))
    assert m.running_var.dtype == torch.float64 and m.weight.dtype == torch.float64
    lin = nn.LazyLinear(3)
    c = copy.deepcopy(lin)
    assert repr(c) == repr(lin) and c.weight is not lin.weight
    c(torch.zeros(1, 5))
    assert type(c) is nn.Linear and type(lin) is nn.LazyLinear and lin.has_uninitialized_params()
    p = pickle.loads(pickle.dumps(nn.LazyLinear(3)))
    assert type(p.weight) is nn.UninitializedParameter
    p(torch.zeros(1, 2))
    assert tuple(p.weight.shape) == (3, 2)
    # an optimizer may hold uninitialized parameters and step once they exist
    lin = nn.LazyLinear(1, bias=False)
    opt = torch.optim.SGD(lin.parameters(), lr=0.5)
    lin(torch.ones(1, 2)).sum().backward()
    w = lin.weight.detach().numpy().copy()
    opt.step()
    np.testing.assert_allclose(lin.weight.detach().numpy(), w - 0.5)


def test_uninitialized_parameter_and_buffer():
    p = nn.UninitializedParameter()
    assert isinstance(p, nn.Parameter) and p.requires_grad and p.dtype == torch.float32
    assert repr(p) == str(p) == "<UninitializedParameter>"
    assert p.is_floating_point() and tuple(p.size()) == (0,)
    q = p.double()
    assert type(q) is torch.Tensor and q.dtype == torch.float64 and q.numel() == 0
    q = nn.UninitializedBuffer().double()
    assert type(q) is nn.UninitializedBuffer and q.dtype == torch.float64
    p.materialize((2, 3), dtype=torch.float64)
    assert type(p) is nn.Parameter and tuple(p.shape) == (2, 3) and p.dtype == torch.float64
    b = nn.UninitializedBuffer()
    assert not b.requires_grad and repr(b) == "<UninitializedBuffer>"
    assert nn.UninitializedBuffer(requires_grad=True).requires_grad
    b.materialize((4,))
    assert tuple(b.zero_().shape) == (4,) and isinstance(b, torch.Tensor)
    assert not isinstance(b, nn.parameter.UninitializedTensorMixin)


_USE = ("Attempted to use an uninitialized parameter in <method '{}' of 'torch._C.TensorBase' "
        "objects>")
_SHAPE = "Can't access the shape of an uninitialized parameter or buffer"

ERRORS = [
    (lambda: nn.UninitializedParameter().shape, RuntimeError, _SHAPE),
    (lambda: nn.UninitializedBuffer().shape, RuntimeError, _SHAPE),
    (lambda: nn.UninitializedParameter() + 1, ValueError, _USE.format("add")),
    (lambda: 2 * nn.UninitializedParameter(), ValueError, _USE.format("mul")),
    (lambda: nn.UninitializedParameter().sum(), ValueError, _USE.format("sum")),
    (lambda: nn.UninitializedParameter().numel(), ValueError, _USE.format("numel")),
    (lambda: nn.UninitializedBuffer().dim(), ValueError, _USE.format("dim")),
    (lambda: nn.UninitializedParameter().detach(), ValueError, _USE.format("detach")),
    (lambda: nn.UninitializedParameter()[0], ValueError,
     _USE.format("__getitem__").replace("<method", "<slot wrapper")),
    (lambda: nn.UninitializedParameter().share_memory_(), RuntimeError,
     "Can't share memory on an uninitialized parameter or buffer"),
    (lambda: nn.LazyLinear(3)(torch.zeros(2, 4), 5), TypeError, "positional argument"),
    (lambda: nn.LazyConv2d(3, 2)(torch.zeros(2, 4)), RuntimeError,
     "Expected 3D (unbatched) or 4D (batched) input to LazyConv2d, but got input of "
     "size: torch.Size([2, 4])"),
    (lambda: nn.LazyConv1d(3, 2, groups=3)(torch.zeros(2, 4, 5)), ValueError,
     "in_channels must be divisible by groups"),
    (lambda: nn.modules.lazy.LazyModuleMixin.initialize_parameters(nn.LazyLinear(2)),
     NotImplementedError, "initialize_parameters is not implemented for LazyLinear"),
]


@pytest.mark.parametrize("fn,exc,msg", ERRORS)
def test_errors(fn, exc, msg):
    with pytest.raises(exc, match=re.escape(msg)):
        fn()


def test_not_fully_initialized():
    class Half(nn.LazyLinear):
        def initialize_parameters(self, input):
            self.weight.materialize((self.out_features, input.shape[-1]))

    m = Half(2)
    with pytest.raises(RuntimeError, match="module Half has not been fully initialized"):
        m(torch.zeros(1, 3))


def test_save_and_load_uninitialized_state():
    import io
    buf = io.BytesIO()
    torch.save(nn.LazyLinear(3).state_dict(), buf)
    buf.seek(0)
    # as in PyTorch, the class is not on the weights-only allowlist
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        torch.load(buf)
    buf.seek(0)
    sd = torch.load(buf, weights_only=False)
    assert [type(v) for v in sd.values()] == [nn.UninitializedParameter] * 2
    m = nn.LazyLinear(3)
    m.load_state_dict(sd)
    assert m.has_uninitialized_params()
    m(torch.zeros(2, 4))
    assert tuple(m.weight.shape) == (3, 4)
