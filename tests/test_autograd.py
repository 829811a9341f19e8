"""Autograd: gradients of every differentiable op checked against finite
differences (gradcheck in float64), views and indexing, the tutorial's graph
and strings, engine semantics (accumulation, retain_graph, hooks, in-place
and the version counter), grad mode, custom Functions, deep graphs, memory,
and the DOT view of a graph."""
import gc
import math
import operator
import re
import threading
import weakref

import numpy as np
import pytest

import ctorch as torch
from ctorch.autograd import Function, gradcheck, gradgradcheck
from ctorch.autograd.function import once_differentiable
from helpers import random_array
from op_db import OPS, op_db

F64 = torch.float64


def leaf(a):
    """A float64 leaf that requires grad, from a numpy array."""
    return torch.tensor(np.asarray(a, dtype=np.float64)).requires_grad_(True)


def rand_leaf(shape, seed=0, low=-2.0, high=2.0):
    rng = np.random.default_rng(seed)
    return leaf(rng.uniform(low, high, size=shape))


def np_of(t):
    return t.detach().numpy()


# ==================================================== 1. the op table

DIFF_OPS = [op for op in op_db if op.differentiable]
# piecewise constant: PyTorch differentiates them, and every gradient is zero
ZERO_GRAD_OPS = ("sign", "floor", "ceil", "round", "trunc", "div_trunc", "div_floor")
_PYOPS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
          "**": operator.pow, "%": operator.mod}


def _array(op, i, shape, rng):
    dom = op.domains[i]
    a = random_array(shape, "float64", dom, rng)
    if dom.nonzero_int:
        # divisors: keep away from 0, where the slope is too steep for finite differences
        a = np.where(np.abs(a) < 0.5, np.copysign(0.5, a) + a, a)
    return a


def _inputs(op, shapes, seed=0):
    """Leaves for op's tensor arguments (for where: the two value operands)."""
    rng = np.random.default_rng(seed)
    offset = 1 if op.name == "where" else 0
    return tuple(leaf(_array(op, i + offset, s, rng)).requires_grad_(_grads(op, i))
                 for i, s in enumerate(shapes))


def _grads(op, i):
    """Whether gradcheck differentiates op's i-th tensor argument."""
    return op.grad_inputs is None or i in op.grad_inputs


_COND = np.array([[True, False, True, False], [False, False, True, True], [True, True, False, True]])


def _caller(op):
    """f(*tensors) applying op; where's condition is fixed (it takes no gradient)."""
    fn = op.function(torch)
    if op.name == "where":
        cond = torch.tensor(_COND)
        return lambda x, y: fn(cond, x, y)
    if op.output is not None:
        return lambda *a: fn(*a, **op.kwargs)[op.output]
    return lambda *a: fn(*a, **op.kwargs)


def _n_tensor_args(op):
    return op.arity - 1 if op.name == "where" else op.arity


@pytest.mark.parametrize("op", DIFF_OPS, ids=lambda op: op.name)
def test_gradcheck_contiguous(op):
    f = _caller(op)
    ins = _inputs(op, [(3, 4)] * _n_tensor_args(op))
    r = f(*ins)
    assert r.requires_grad and r.grad_fn is not None
    assert gradcheck(f, ins)


@pytest.mark.parametrize("op", [op for op in DIFF_OPS if "complex128" in op.dtypes],
                         ids=lambda op: op.name)
def test_gradcheck_complex(op):
    # PyTorch's convention: the gradient of a real loss L is dL/dre + 1j dL/dim
    f = _caller(op)
    rng = np.random.default_rng(3)
    ins = []
    for i in range(_n_tensor_args(op)):
        re, im = (_array(op, i + (op.name == "where"), (3, 4), rng) for _ in range(2))
        ins.append(torch.tensor(re + 1j * im).requires_grad_(True))
    assert gradcheck(f, ins)


@pytest.mark.parametrize("layout", ["transposed", "sliced"])
@pytest.mark.parametrize("op", DIFF_OPS, ids=lambda op: op.name)
def test_gradcheck_non_contiguous(op, layout):
    f = _caller(op)
    if layout == "transposed":
        shape, view = (4, 3), lambda t: t.t()
    else:
        shape, view = (3, 8), lambda t: t[:, ::2]
    ins = _inputs(op, [shape] * _n_tensor_args(op), seed=1)
    assert not view(ins[0]).is_contiguous()
    assert gradcheck(lambda *a: f(*[view(t) for t in a]), ins)


@pytest.mark.parametrize("second", [(1, 4), (4,)], ids=["1xn", "n"])
@pytest.mark.parametrize("op", [op for op in DIFF_OPS if _n_tensor_args(op) >= 2],
                         ids=lambda op: op.name)
def test_gradcheck_broadcast(op, second):
    f = _caller(op)
    shapes = [(3, 4), second] + [(3, 4)] * (_n_tensor_args(op) - 2)
    ins = _inputs(op, shapes, seed=2)
    assert tuple(f(*ins).shape) == (3, 4)
    assert gradcheck(f, ins)


_SCALAR_CASES = [(op, s) for op in DIFF_OPS for s in op.scalars if type(s) is float and _grads(op, 0)]


@pytest.mark.parametrize("op,scalar", _SCALAR_CASES, ids=[f"{o.name}-{s}" for o, s in _SCALAR_CASES])
def test_gradcheck_python_scalar(op, scalar):
    fn = op.function(torch)
    (x,) = _inputs(op, [(3, 4)], seed=3)
    assert gradcheck(lambda t: fn(t, scalar, **op.kwargs), (x,))
    if op.operator in _PYOPS and not op.kwargs:
        # the scalar on the left (radd, rsub, rtruediv, rpow, rmod): x from the
        # second operand's domain
        rng = np.random.default_rng(4)
        y = leaf(_array(op, 1, (3, 4), rng))
        pyop = _PYOPS[op.operator]
        assert gradcheck(lambda t: pyop(scalar, t), (y,))


@pytest.mark.parametrize("name", ["exp", "sin", "mul", "div", "pow", "tanh", "sigmoid"])
def test_gradgradcheck(name):
    op = OPS[name]
    f = _caller(op)
    ins = _inputs(op, [(2, 3)] * op.arity, seed=5)
    assert gradgradcheck(f, ins)


@pytest.mark.parametrize("name", ZERO_GRAD_OPS)
def test_zero_gradient_ops(name):
    op = OPS[name]
    assert op.differentiable
    f = _caller(op)
    ins = _inputs(op, [(3, 4)] * op.arity, seed=6)
    r = f(*ins)
    assert r.requires_grad and r.grad_fn is not None
    r.sum().backward()
    for t in ins:
        assert t.grad is not None and t.grad.shape == t.shape
        assert np.all(np_of(t.grad) == 0)


def test_lerp_scalar_weight_gradient():
    a, b = _inputs(OPS["lerp"], [(3, 4), (3, 4)], seed=7)
    assert gradcheck(lambda x, y: torch.lerp(x, y, 0.3), (a, b))
    r = torch.lerp(a, b, 0.25)
    r.sum().backward()
    np.testing.assert_allclose(np_of(a.grad), 0.75)
    np.testing.assert_allclose(np_of(b.grad), 0.25)


def test_gradcheck_catches_a_wrong_formula():
    # the oracle itself must be able to fail
    class WrongExp(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.exp()

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * x.exp() * 1.01

    x = rand_leaf((3,))
    assert gradcheck(WrongExp.apply, (x,), raise_exception=False) is False
    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        gradcheck(WrongExp.apply, (x,))


# ============================================= 2. views and indexing

_MASK = torch.tensor(_COND)   # 7 True
_IDX = torch.tensor([[0, 2], [2, 2]])


def _setitem(index, value=5.0):
    def f(x, *v):
        y = x * 1
        y[index] = v[0] if v else value
        return y
    return f


# (id, input shapes, function of the leaves)
VIEW_CASES = [
    ("view", [(3, 4)], lambda x: x.view(2, 6)),
    ("view_-1", [(3, 4)], lambda x: x.view(-1)),
    ("reshape_noncontig", [(3, 4)], lambda x: x.t().reshape(6, 2)),
    ("t", [(3, 4)], lambda x: x.t()),
    ("transpose", [(2, 3, 4)], lambda x: x.transpose(0, 2)),
    ("permute", [(2, 3, 4)], lambda x: x.permute(2, 0, 1)),
    ("squeeze", [(3, 1, 4)], lambda x: x.squeeze()),
    ("squeeze_dim", [(3, 1, 4)], lambda x: x.squeeze(1)),
    ("unsqueeze", [(3, 4)], lambda x: x.unsqueeze(1)),
    ("expand", [(3, 1)], lambda x: x.expand(3, 4)),
    ("expand_newdim", [(4,)], lambda x: x.expand(2, 3, 4)),
    ("flatten", [(2, 3, 4)], lambda x: x.flatten()),
    ("flatten_1", [(2, 3, 4)], lambda x: x.flatten(1)),
    ("narrow", [(5, 4)], lambda x: x.narrow(0, 1, 3)),
    ("select", [(3, 4)], lambda x: x.select(1, 2)),
    ("select_neg", [(3, 4)], lambda x: x.select(0, -1)),
    ("diagonal", [(3, 4)], lambda x: x.diagonal()),
    ("diagonal_offset", [(3, 4)], lambda x: torch.diagonal(x, 1)),
    ("diagonal_3d", [(2, 3, 3)], lambda x: x.diagonal(0, 1, 2)),
    ("unfold", [(7,)], lambda x: x.unfold(0, 3, 2)),
    ("chain", [(4, 6)], lambda x: x.t()[1:, ::2].reshape(-1).unsqueeze(0)),
    ("basic_int", [(3, 4)], lambda x: x[1]),
    ("basic_slice_step", [(5, 4)], lambda x: x[1:, ::2]),
    ("basic_ellipsis_none", [(2, 3, 4)], lambda x: x[..., None, 1]),
    ("basic_negative_step_free", [(3, 4)], lambda x: x[-2:, 1:3]),
    ("adv_list", [(4, 3)], lambda x: x[[0, 2]]),
    ("adv_repeated", [(4, 3)], lambda x: x[[0, 0, 2, 0]]),
    ("adv_tensor_2d", [(3, 4)], lambda x: x[_IDX]),
    ("adv_two_indices", [(3, 4)], lambda x: x[[0, 1, 1], [2, 2, 3]]),
    ("adv_mixed", [(3, 4)], lambda x: x[1:, [0, 0, 3]]),
    ("adv_mask", [(3, 4)], lambda x: x[_MASK]),
    ("setitem_int", [(3, 4)], _setitem(0)),
    ("setitem_slice", [(3, 4)], _setitem((slice(1, None), slice(None, None, 2)))),
    ("setitem_mask", [(3, 4)], _setitem(_MASK)),
    ("setitem_mask_value", [(3, 4), (7,)], _setitem(_MASK)),
    ("setitem_slice_value_bcast", [(3, 4), (2, 1)], _setitem((slice(1, None), slice(None, None, 2)))),
    ("setitem_list_value", [(3, 4), (4,)], _setitem([0, 2])),
    ("clone", [(3, 4)], lambda x: x.clone()),
    ("contiguous", [(3, 4)], lambda x: x.t().contiguous()),
    ("sum", [(2, 3, 4)], lambda x: x.sum()),
    ("sum_dim", [(2, 3, 4)], lambda x: x.sum(1)),
    ("sum_neg_dim_keepdim", [(2, 3, 4)], lambda x: x.sum(-1, keepdim=True)),
    ("sum_dims", [(2, 3, 4)], lambda x: x.sum((0, 2))),
    ("sum_dims_keepdim", [(2, 3, 4)], lambda x: torch.sum(x, (0, 2), keepdim=True)),
    ("mean", [(2, 3, 4)], lambda x: x.mean()),
    ("mean_dim", [(2, 3, 4)], lambda x: x.mean(0)),
    ("mean_dims_keepdim", [(2, 3, 4)], lambda x: x.mean((1, 2), keepdim=True)),
    ("mean_noncontig", [(2, 3, 4)], lambda x: x.transpose(0, 2).mean(1)),
]


@pytest.mark.parametrize("shapes,fn", [c[1:] for c in VIEW_CASES], ids=[c[0] for c in VIEW_CASES])
def test_view_and_index_gradcheck(shapes, fn):
    ins = tuple(rand_leaf(s, seed=i + 10) for i, s in enumerate(shapes))
    out = fn(*ins)
    assert out.requires_grad and out.grad_fn is not None
    assert gradcheck(fn, ins)


def test_repeated_indices_accumulate():
    x = leaf(np.zeros(4))
    x[[0, 0, 2, 0]].sum().backward()
    np.testing.assert_array_equal(np_of(x.grad), [3.0, 0.0, 1.0, 0.0])
    y = leaf(np.zeros((2, 3)))
    (y[[1, 1], [2, 2]] * torch.tensor([2.0, 5.0], dtype=F64)).sum().backward()
    np.testing.assert_array_equal(np_of(y.grad), [[0, 0, 0], [0, 0, 7.0]])


def test_setitem_on_non_leaf_values():
    x = leaf(np.arange(12.0).reshape(3, 4))
    v = leaf([10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0])
    y = x * 1
    y[_MASK] = v
    np.testing.assert_array_equal(np_of(y)[_COND], np_of(v))
    np.testing.assert_array_equal(np_of(y)[~_COND], np.arange(12.0).reshape(3, 4)[~_COND])
    (y * torch.arange(12, dtype=F64).view(3, 4)).sum().backward()
    np.testing.assert_array_equal(np_of(x.grad), np.where(_COND, 0.0, np.arange(12.0).reshape(3, 4)))
    np.testing.assert_array_equal(np_of(v.grad), np.arange(12.0).reshape(3, 4)[_COND])
    x.grad = None
    z = x * 1
    z[0] = 5
    z.sum().backward()
    np.testing.assert_array_equal(np_of(x.grad), [[0, 0, 0, 0], [1, 1, 1, 1], [1, 1, 1, 1]])


@pytest.mark.parametrize("src,dst", [("float64", "float32"), ("float32", "float64"),
                                     ("float64", "float16")])
def test_dtype_cast_gradient(src, dst):
    x = torch.tensor([1.0, -2.0, 3.0], dtype=getattr(torch, src)).requires_grad_(True)
    y = x.to(getattr(torch, dst))
    assert y.dtype == getattr(torch, dst) and y.requires_grad
    assert y.grad_fn.name() == "ToCopyBackward0"
    (y * torch.tensor([1.0, 2.0, 4.0], dtype=y.dtype)).sum().backward()
    assert x.grad.dtype == x.dtype
    np.testing.assert_array_equal(np_of(x.grad), [1.0, 2.0, 4.0])


def test_float_method_of_double_leaf():
    x = leaf([0.5, 1.5])
    y = x.float()
    assert y.dtype == torch.float32 and y.requires_grad
    (y * y).sum().backward()
    assert x.grad.dtype == F64
    np.testing.assert_allclose(np_of(x.grad), [1.0, 3.0])
    # a step that float32 represents exactly keeps finite differences exact
    assert gradcheck(lambda t: t.float().double() * 3, (leaf([0.25, 2.0]),), eps=2.0 ** -10)


def test_cast_to_int_does_not_require_grad():
    x = leaf([1.5, 2.5])
    assert not x.long().requires_grad
    assert x.long().grad_fn is None


# ================================================= 3. the tutorial

def test_tutorial_values_and_strings():
    x = torch.ones(2, 2, requires_grad=True)
    assert repr(x) == "tensor([[1., 1.],\n        [1., 1.]], requires_grad=True)"
    y = x + 2
    assert repr(y) == "tensor([[3., 3.],\n        [3., 3.]], grad_fn=<AddBackward0>)"
    assert repr(y).endswith("grad_fn=<AddBackward0>)")
    assert re.fullmatch(r"<AddBackward0 object at 0x[0-9a-f]+>", repr(y.grad_fn))
    z = y * y * 3
    assert repr(z).endswith("grad_fn=<MulBackward0>)")
    out = z.mean()
    assert repr(out) == "tensor(27., grad_fn=<MeanBackward0>)"
    assert x.grad is None and x.is_leaf and not y.is_leaf
    out.backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.full((2, 2), 4.5, np.float32))
    assert x.grad.dtype == torch.float32 and not x.grad.requires_grad


def test_tutorial_requires_grad_flag_and_sum_node():
    a = torch.randn(2, 2)
    a = ((a * 3) / (a - 1))
    assert a.requires_grad is False
    a.requires_grad_(True)
    assert a.requires_grad is True
    b = (a * a).sum()
    assert re.fullmatch(r"<SumBackward0 object at 0x[0-9a-f]+>", repr(b.grad_fn))
    assert b.grad_fn.name() == "SumBackward0"


def test_tutorial_vector_jacobian_product():
    x = torch.randn(3, generator=torch.Generator().manual_seed(0), requires_grad=True)
    y = x * 2
    k = 1
    while (y.data ** 2).sum().sqrt() < 1000:
        y = y * 2
        k += 1
    assert y.grad_fn.name() == "MulBackward0"
    v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
    y.backward(v)
    np.testing.assert_allclose(x.grad.numpy(), np.array([0.1, 1.0, 0.0001], np.float32) * 2.0 ** k,
                               rtol=1e-6)
    # the stopping rule, checked against numpy
    norm = np.linalg.norm(np_of(x).astype(np.float64) * 2.0 ** k)
    assert norm >= 1000 > np.linalg.norm(np_of(x) * 2.0 ** (k - 1))


def test_no_grad_block_in_tutorial():
    x = torch.ones(3, requires_grad=True)
    assert (x ** 2).requires_grad
    with torch.no_grad():
        assert not (x ** 2).requires_grad
    y = x.detach()
    assert not y.requires_grad
    assert bool(x.eq(y).all())


# ============================================= 4. engine semantics

def test_gradients_accumulate_across_backward_calls():
    x = leaf([1.0, 2.0])
    (x * x).sum().backward()
    (x * 3).sum().backward()
    np.testing.assert_array_equal(np_of(x.grad), [2 + 3, 4 + 3])
    x.grad = None
    (x * 3).sum().backward()
    np.testing.assert_array_equal(np_of(x.grad), [3, 3])


def test_shared_subexpression_sums_paths():
    x = leaf([2.0])
    y = x * x          # used three times
    (y * y + y + y.exp()).backward()
    # d/dx (x^4 + x^2 + e^(x^2)) = 4x^3 + 2x + 2x e^(x^2)
    np.testing.assert_allclose(np_of(x.grad), [32 + 4 + 4 * math.exp(4)], rtol=1e-12)


def test_retain_graph():
    x = leaf([1.0, 2.0])
    out = (x.exp() * x).sum()
    out.backward(retain_graph=True)
    out.backward()
    np.testing.assert_allclose(np_of(x.grad), 2 * (np.exp([1, 2.0]) * (1 + np.array([1, 2.0]))))
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        out.backward()


def test_second_backward_without_retain_graph_raises():
    x = leaf([1.0, 2.0])
    out = (x * x).sum()
    out.backward()
    with pytest.raises(RuntimeError, match=r"^Trying to backward through the graph a second time \("):
        out.backward()


def test_backward_errors():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        (x * 2).backward()
    with pytest.raises(RuntimeError, match=re.escape(
            "Mismatch in shape: grad_output[0] has a shape of torch.Size([3]) and output[0] has a shape "
            "of torch.Size([2]).")):
        (x * 2).backward(torch.ones(3, dtype=F64))
    with pytest.raises(RuntimeError, match="element 0 of tensors does not require grad and does not have "
                                           "a grad_fn"):
        torch.ones(2).sum().backward()
    with torch.no_grad():
        y = (x * 2).sum()
    with pytest.raises(RuntimeError, match="does not require grad"):
        y.backward()


def test_backward_with_explicit_gradient():
    x = leaf([1.0, 2.0, 3.0])
    (x * x).backward(torch.tensor([1.0, 0.5, -1.0], dtype=F64))
    np.testing.assert_array_equal(np_of(x.grad), [2.0, 2.0, -6.0])


def test_autograd_grad_outputs_and_unused():
    x = leaf([1.0, 2.0])
    w = leaf([3.0, 4.0])
    unused = leaf([0.0])
    y = x * w
    (gx, gw) = torch.autograd.grad(y, (x, w), grad_outputs=torch.tensor([1.0, 10.0], dtype=F64),
                                   retain_graph=True)
    np.testing.assert_array_equal(np_of(gx), [3.0, 40.0])
    np.testing.assert_array_equal(np_of(gw), [1.0, 20.0])
    assert x.grad is None and w.grad is None      # grad() fills no .grad
    assert not gx.requires_grad
    with pytest.raises(RuntimeError, match=re.escape(
            "The differentiated Tensor at index 1 appears to not have been used in the graph. "
            "Set allow_unused=True if this is the desired behavior.")):
        torch.autograd.grad(y.sum(), (x, unused), retain_graph=True)
    gx2, gu = torch.autograd.grad(y.sum(), (x, unused), allow_unused=True)
    assert gu is None
    np.testing.assert_array_equal(np_of(gx2), [3.0, 4.0])


def test_autograd_grad_create_graph_higher_order():
    x = leaf([0.5, -1.0, 2.0])
    (g,) = torch.autograd.grad((x ** 3).sum(), x, create_graph=True)
    assert g.requires_grad
    np.testing.assert_allclose(np_of(g), 3 * np.array([0.5, -1.0, 2.0]) ** 2, rtol=1e-12)
    (gg,) = torch.autograd.grad(g.sum(), x, create_graph=True)
    np.testing.assert_allclose(np_of(gg), 6 * np.array([0.5, -1.0, 2.0]), rtol=1e-12)
    (ggg,) = torch.autograd.grad(gg.sum(), x)
    np.testing.assert_allclose(np_of(ggg), [6.0, 6.0, 6.0], rtol=1e-12)
    assert gradgradcheck(lambda t: t ** 3, (rand_leaf((4,), seed=20),))
    # backward(create_graph=True) leaves a differentiable .grad
    x2 = leaf([1.5])
    (x2 ** 3).backward(create_graph=True)
    assert x2.grad.requires_grad
    (h,) = torch.autograd.grad(x2.grad, x2)
    np.testing.assert_allclose(np_of(h), [9.0], rtol=1e-12)


def test_backward_inputs_only_fills_those():
    a = leaf([1.0, 2.0])
    b = leaf([3.0, 4.0])
    (a * b).sum().backward(inputs=[a])
    np.testing.assert_array_equal(np_of(a.grad), [3.0, 4.0])
    assert b.grad is None
    (a * b).sum().backward(inputs=[b])
    np.testing.assert_array_equal(np_of(b.grad), [1.0, 2.0])
    np.testing.assert_array_equal(np_of(a.grad), [3.0, 4.0])


def test_register_hook_modifies_gradient():
    x = leaf([1.0, 2.0])
    y = x * 2
    seen = []
    y.register_hook(lambda g: seen.append(np_of(g).copy()))
    y.register_hook(lambda g: g * 3)
    y.sum().backward()
    np.testing.assert_array_equal(seen[0], [1.0, 1.0])
    np.testing.assert_array_equal(np_of(x.grad), [6.0, 6.0])
    # on a leaf: the hook sees and changes what is accumulated
    z = leaf([1.0])
    h = z.register_hook(lambda g: g + 1)
    (z * 2).backward()
    np.testing.assert_array_equal(np_of(z.grad), [3.0])
    h.remove()
    (z * 2).backward()
    np.testing.assert_array_equal(np_of(z.grad), [5.0])


def test_retain_grad():
    x = leaf([1.0, 2.0])
    y = x * 2
    assert not y.retains_grad and not x.retains_grad
    y.retain_grad()
    assert y.retains_grad
    z = y * y
    z.sum().backward()
    np.testing.assert_array_equal(np_of(y.grad), 2 * np.array([2.0, 4.0]))
    np.testing.assert_array_equal(np_of(x.grad), 2 * 2 * np.array([2.0, 4.0]))
    # retain_grad stores the gradient after the tensor's hooks ran
    a = leaf([1.0])
    b = a * 2
    b.retain_grad()
    b.register_hook(lambda g: g * 3)
    b.backward()
    np.testing.assert_array_equal(np_of(b.grad), [3.0])
    np.testing.assert_array_equal(np_of(a.grad), [6.0])


def test_detach_and_data_share_storage_and_version():
    x = leaf([1.0, 2.0])
    d = x.detach()
    assert not d.requires_grad and d.grad_fn is None and d is not x
    v0 = x._version
    d.add_(1)
    np.testing.assert_array_equal(np_of(x), [2.0, 3.0])
    assert x._version == d._version == v0 + 1
    data = x.data
    assert data is not x and not data.requires_grad and data.is_leaf
    data.mul_(2)
    np.testing.assert_array_equal(np_of(x), [4.0, 6.0])
    assert data.data_ptr() == x.data_ptr()
    # a detached non-leaf is cut from the graph
    y = (x * 3).detach()
    assert y.grad_fn is None and not y.requires_grad


def test_requires_grad_rules():
    with pytest.raises(RuntimeError, match="^only Tensors of floating point dtype can require gradients$"):
        torch.ones(2, dtype=torch.int64).requires_grad_()
    with pytest.raises(RuntimeError, match="only Tensors of floating point"):
        torch.tensor([1, 2], requires_grad=True)
    x = leaf([1.0])
    with pytest.raises(RuntimeError, match="you can only change requires_grad flags of leaf variables"):
        (x * 2).requires_grad_(False)
    assert torch.ones(2, dtype=torch.complex64).requires_grad_().requires_grad


def test_numpy_on_tensor_that_requires_grad_raises():
    x = leaf([1.0])
    with pytest.raises(RuntimeError, match=re.escape(
            "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")):
        x.numpy()
    with pytest.raises(RuntimeError, match="requires grad"):
        (x * 2).numpy()
    assert x.detach().numpy().tolist() == [1.0]


def test_inplace_on_leaf_requiring_grad_raises():
    x = leaf([1.0, 2.0])
    for f in (lambda: x.add_(1), lambda: x.mul_(2), lambda: x.exp_(), lambda: x.zero_(),
              lambda: x.__setitem__(0, 3.0)):
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an "
                                               "in-place operation."):
            f()
    np.testing.assert_array_equal(np_of(x), [1.0, 2.0])
    # allowed under no_grad (how optimizers update parameters)
    with torch.no_grad():
        x.sub_(0.5)
    np.testing.assert_array_equal(np_of(x), [0.5, 1.5])
    assert x.requires_grad and x.is_leaf


def test_inplace_on_non_leaf_rewrites_grad_fn():
    x = leaf([1.0, 2.0])
    y = x * 2
    before = y.grad_fn
    y.mul_(3)
    assert y.grad_fn is not before and y.grad_fn.name() == "MulBackward0"
    # the new node leads straight to the old one
    assert y.grad_fn.next_functions[0] == (before, 0)
    y.sum().backward()
    np.testing.assert_array_equal(np_of(x.grad), [6.0, 6.0])
    # a tensor that retains grad keeps the gradient of its new value
    w = x * 2
    w.retain_grad()
    w.mul_(3)
    assert w.retains_grad
    w.sum().backward()
    np.testing.assert_array_equal(np_of(w.grad), [1.0, 1.0])
    # an in-place op whose gradient reads the old value (sin_), then one that
    # reads its own result (exp_, which saves the tensor it changed)
    a = leaf([0.5, 1.0])
    b = a * 1
    b.sin_()
    b.exp_()
    b.sum().backward()
    av = np.array([0.5, 1.0])
    np.testing.assert_allclose(np_of(a.grad), np.exp(np.sin(av)) * np.cos(av), rtol=1e-12)
    # ... so changing that result again in place is an error at backward, as in PyTorch
    a = leaf([0.5, 1.0])
    b = a * 1
    b.exp_()
    b.sin_()
    with pytest.raises(RuntimeError, match="which is output 0 of Exp, is at version 2; expected version 1"):
        b.sum().backward()
    # in-place with a second operand that requires grad
    p, q = leaf([1.0, 2.0]), leaf([3.0, 5.0])
    r = p * 1
    r.mul_(q)
    r.add_(q, alpha=2)
    r.sum().backward()
    np.testing.assert_array_equal(np_of(p.grad), [3.0, 5.0])
    np.testing.assert_array_equal(np_of(q.grad), [1.0 + 2, 2.0 + 2])
    assert gradcheck(lambda t, u: (t * 1).mul_(u).div_(u + 3).pow_(2), (rand_leaf((3,), 21),
                                                                       rand_leaf((3,), 22, 0.5, 2)))


def test_overwriting_inplace_ops_in_a_graph():
    x = leaf([1.0, 2.0, 3.0])
    y = x * 2
    y.zero_()
    assert y.requires_grad and y.grad_fn.name() == "ZeroBackward0"
    (y + x).sum().backward()
    np.testing.assert_array_equal(np_of(x.grad), [1.0, 1.0, 1.0])
    x.grad = None
    y = x * 2
    y.fill_(7.0)
    np.testing.assert_array_equal(np_of(y), [7.0, 7.0, 7.0])
    (y * x).sum().backward()
    np.testing.assert_array_equal(np_of(x.grad), [7.0, 7.0, 7.0])
    # copy_ sends the gradient to the source, broadcasting reduced
    src = leaf([[10.0, 20.0, 30.0]])
    buf = torch.zeros(2, 3, dtype=F64)
    buf.copy_(src)
    assert buf.requires_grad and buf.grad_fn is not None
    (buf * torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=F64)).sum().backward()
    np.testing.assert_array_equal(np_of(src.grad), [[5.0, 7.0, 9.0]])
    assert gradcheck(lambda a, b: (a * 1).copy_(b * 2) * a, (rand_leaf((2, 3), 23), rand_leaf((3,), 24)))
    for f in (lambda t: t.zero_(), lambda t: t.fill_(1.0), lambda t: t.copy_(torch.ones(3, dtype=F64))):
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
            f(x)


def test_unfold_overlapping_windows_gradient():
    x = leaf(np.zeros(7))
    x.unfold(0, 3, 2).sum().backward()
    np.testing.assert_array_equal(np_of(x.grad), [1, 1, 2, 1, 2, 1, 1])
    assert gradcheck(lambda t: t.unfold(1, 2, 1), (rand_leaf((2, 4, 3), 25),))
    assert gradgradcheck(lambda t: t.unfold(0, 3, 1) ** 2, (rand_leaf((5,), 26),))


def test_modified_saved_tensor_raises():
    x = leaf([1.0, 2.0, 3.0])
    y = x * 2
    z = y * y          # saves y
    y.add_(1)
    with pytest.raises(RuntimeError) as info:
        z.sum().backward()
    msg = str(info.value)
    assert "one of the variables needed for gradient computation has been modified by an inplace " \
           "operation" in msg
    assert "is at version 1; expected version 0 instead" in msg
    assert "[torch.DoubleTensor [3]]" in msg
    # a saved input changed in place through a view or under no_grad counts too
    # (sin saves its input; exp would save its result, which this does not change)
    a = leaf([1.0, 2.0])
    b = a * 1
    c = b.sin()
    with torch.no_grad():
        b[0] = 7
    with pytest.raises(RuntimeError, match="has been modified by an inplace operation"):
        c.sum().backward()


def test_version_counter():
    x = torch.zeros(4)
    assert x._version == 0
    x.add_(1)
    assert x._version == 1
    x[0] = 5
    assert x._version == 2
    v = x[1:3]
    assert v._version == 2
    v.mul_(2)
    assert x._version == v._version == 3
    x.zero_()
    assert v._version == 4
    t = x.view(2, 2).t()
    t.fill_(1)
    assert x._version == 5
    y = x + 1           # out of place: a fresh counter
    assert y._version == 0 and x._version == 5


# ================================================== 5. grad mode

def test_no_grad_enable_grad_nesting():
    x = leaf([1.0])
    assert torch.is_grad_enabled()
    with torch.no_grad():
        assert not torch.is_grad_enabled()
        assert not (x * 2).requires_grad
        with torch.enable_grad():
            assert torch.is_grad_enabled()
            assert (x * 2).requires_grad
            with torch.no_grad():
                assert not (x * 2).requires_grad
            assert torch.is_grad_enabled()
        assert not torch.is_grad_enabled()
    assert torch.is_grad_enabled()


def test_grad_mode_restored_after_exception():
    with pytest.raises(ValueError):
        with torch.no_grad():
            raise ValueError
    assert torch.is_grad_enabled()


def test_set_grad_enabled_function_and_context():
    x = leaf([1.0])
    try:
        torch.set_grad_enabled(False)
        assert not torch.is_grad_enabled() and not (x * 2).requires_grad
        torch.set_grad_enabled(True)
        assert torch.is_grad_enabled() and (x * 2).requires_grad
    finally:
        torch.set_grad_enabled(True)
    with torch.set_grad_enabled(False):
        assert not (x * 2).requires_grad
        with torch.set_grad_enabled(True):
            assert (x * 2).requires_grad
        assert not torch.is_grad_enabled()
    assert torch.is_grad_enabled()


def test_inference_mode():
    x = leaf([1.0])
    with torch.inference_mode():
        assert not torch.is_grad_enabled()
        assert not (x * 2).requires_grad
        with torch.inference_mode(False):
            assert (x * 2).requires_grad
    assert torch.is_grad_enabled()


def test_grad_modes_as_decorators():
    x = leaf([1.0])

    @torch.no_grad()
    def f1():
        return x * 2

    @torch.no_grad
    def f2():
        return x * 2

    @torch.enable_grad()
    def f3():
        return x * 2

    @torch.set_grad_enabled(False)
    def f4():
        return x * 2

    @torch.inference_mode()
    def f5():
        return x * 2

    assert torch.is_grad_enabled()   # decorating changes nothing
    assert not f1().requires_grad and not f2().requires_grad
    assert not f4().requires_grad and not f5().requires_grad
    assert f3().requires_grad
    with torch.no_grad():
        assert f3().requires_grad
        assert not torch.is_grad_enabled()
    assert torch.is_grad_enabled()
    assert f1.__name__ == "f1"


def test_grad_mode_is_thread_local():
    x = leaf([1.0])
    inside_a, inside_b = threading.Event(), threading.Event()
    results = {}

    def thread_a():
        with torch.no_grad():
            inside_a.set()
            inside_b.wait(5)
            results["a_enabled"] = torch.is_grad_enabled()
            results["a_req"] = (x * 2).requires_grad
            results["a_wait"] = inside_b.is_set()

    def thread_b():
        inside_a.wait(5)
        results["b_wait"] = inside_a.is_set()
        with torch.enable_grad():
            results["b_enabled"] = torch.is_grad_enabled()
            results["b_req"] = (x * 2).requires_grad
            inside_b.set()

    ts = [threading.Thread(target=thread_a), threading.Thread(target=thread_b)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(10)
    assert results == {"a_enabled": False, "a_req": False, "a_wait": True,
                       "b_wait": True, "b_enabled": True, "b_req": True}
    assert torch.is_grad_enabled()
    # a no_grad block in this thread leaves a new thread's default alone
    seen = []
    with torch.no_grad():
        t = threading.Thread(target=lambda: seen.append(torch.is_grad_enabled()))
        t.start()
        t.join(10)
        assert not torch.is_grad_enabled()
    assert seen == [True]


# ============================================= 6. custom Function

class MyExp(Function):
    @staticmethod
    def forward(ctx, x):
        r = x.exp()
        ctx.save_for_backward(x)
        return r

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * x.exp()


class ScaledMul(Function):
    """x * y * k; records needs_input_grad."""
    seen = []

    @staticmethod
    def forward(ctx, x, y, k):
        ctx.save_for_backward(x, y)
        ctx.k = k
        ScaledMul.seen.append(ctx.needs_input_grad)
        return x * y * k

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        gx = g * y * ctx.k if ctx.needs_input_grad[0] else None
        gy = g * x * ctx.k if ctx.needs_input_grad[1] else None
        return gx, gy, None


class ProdSum(Function):
    """Two outputs: (x * y, x + y)."""

    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x * y, x + y

    @staticmethod
    def backward(ctx, gp, gs):
        x, y = ctx.saved_tensors
        return gp * y + gs, gp * x + gs


class SortLike(Function):
    """(x * 2, an index-like float output marked non-differentiable)."""

    @staticmethod
    def forward(ctx, x):
        idx = torch.arange(x.numel(), dtype=x.dtype).view(x.shape)
        ctx.mark_non_differentiable(idx)
        return x * 2, idx

    @staticmethod
    def backward(ctx, g, g_idx):
        return g * 2


class OnceDiff(Function):
    mode_in_backward = []

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2

    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        OnceDiff.mode_in_backward.append(torch.is_grad_enabled())
        (x,) = ctx.saved_tensors
        return 2 * x * g


def test_custom_function_basic():
    x = rand_leaf((3,), seed=30)
    y = MyExp.apply(x)
    assert y.requires_grad and y.grad_fn.name() == "MyExpBackward"
    np.testing.assert_allclose(np_of(y), np.exp(np_of(x)), rtol=1e-15)
    y.sum().backward()
    np.testing.assert_allclose(np_of(x.grad), np.exp(np_of(x)), rtol=1e-15)
    assert gradcheck(MyExp.apply, (rand_leaf((2, 3), seed=31),))
    assert gradgradcheck(MyExp.apply, (rand_leaf((2, 2), seed=32),))
    # without inputs that need grad, no graph is made
    assert MyExp.apply(torch.ones(2)).grad_fn is None


def test_custom_function_needs_input_grad():
    ScaledMul.seen.clear()
    x = rand_leaf((3,), seed=33)
    y = torch.tensor([1.0, 2.0, 3.0], dtype=F64)
    out = ScaledMul.apply(x, y, 2.5)
    assert ScaledMul.seen[-1] == (True, False, False)
    out.sum().backward()
    np.testing.assert_allclose(np_of(x.grad), 2.5 * np.array([1.0, 2.0, 3.0]))
    assert y.grad is None
    w = rand_leaf((3,), seed=34)
    assert gradcheck(lambda a, b: ScaledMul.apply(a, b, -1.5), (x, w))
    assert ScaledMul.seen[-1] == (True, True, False)


def test_custom_function_two_outputs():
    x, y = rand_leaf((3,), seed=35), rand_leaf((3,), seed=36)
    p, s = ProdSum.apply(x, y)
    assert p.grad_fn is s.grad_fn
    (p * 2 + s * 3).sum().backward()
    np.testing.assert_allclose(np_of(x.grad), 2 * np_of(y) + 3)
    np.testing.assert_allclose(np_of(y.grad), 2 * np_of(x) + 3)
    assert gradcheck(ProdSum.apply, (rand_leaf((2, 2), 37), rand_leaf((2, 2), 38)))
    # only one output used: the other's gradient is materialized as zeros
    a, b = rand_leaf((2,), 39), rand_leaf((2,), 40)
    ProdSum.apply(a, b)[1].sum().backward()
    np.testing.assert_array_equal(np_of(a.grad), [1.0, 1.0])


def test_custom_function_mark_non_differentiable():
    x = rand_leaf((2, 2), seed=41)
    out, idx = SortLike.apply(x)
    assert out.requires_grad and not idx.requires_grad and idx.grad_fn is None
    np.testing.assert_array_equal(np_of(idx), [[0, 1], [2, 3]])
    out.sum().backward()
    np.testing.assert_array_equal(np_of(x.grad), np.full((2, 2), 2.0))


def test_custom_function_once_differentiable():
    OnceDiff.mode_in_backward.clear()
    x = leaf([1.0, -3.0])
    (g,) = torch.autograd.grad(OnceDiff.apply(x).sum(), x, create_graph=True)
    np.testing.assert_array_equal(np_of(g), [2.0, -6.0])
    assert OnceDiff.mode_in_backward == [False]
    with pytest.raises(RuntimeError):
        g.sum().backward()
    assert gradcheck(OnceDiff.apply, (rand_leaf((3,), 42),))


def test_custom_function_saved_tensor_modified():
    x = leaf([1.0, 2.0])
    y = x * 1
    out = MyExp.apply(y)
    y.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.sum().backward()


# ================================================== 7. deep graph

def test_deep_chain_backward():
    n = 100_000
    x = leaf([1.0])
    y = x
    for i in range(n):
        y = y * 1.00001 if i % 2 else y + 0.5
    y.backward()
    np.testing.assert_allclose(np_of(x.grad), [1.00001 ** (n // 2)], rtol=1e-9)
    del y
    gc.collect()


# ====================================================== 8. memory

def _graph_refs():
    x = leaf([1.0, 2.0])
    w = leaf([0.5, 0.25])
    y = x * w
    z = y.exp()
    v = z[0] + z.sin().sum()
    out = (v * y.sum()).mean()
    nodes = [out.grad_fn, v.grad_fn, z.grad_fn, y.grad_fn, y.grad_fn.next_functions[0][0]]
    assert nodes[-1].name() == "AccumulateGrad"
    refs = [weakref.ref(n) for n in nodes]
    return x, out, refs


def test_graph_freed_after_backward_and_del():
    x, out, refs = _graph_refs()
    out.backward()
    del out
    gc.collect()
    # the AccumulateGrad lives only while the graph does (the leaf holds it weakly)
    assert [r() for r in refs] == [None] * len(refs)
    assert x.grad is not None


def test_graph_leaves_no_reference_cycles():
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        x, out, refs = _graph_refs()
        out.backward()
        del out
        # reference counting alone frees everything: no cycles
        assert [r() for r in refs] == [None] * len(refs)
        # a graph built by the backward pass (create_graph) goes with its gradients
        x, out, refs = _graph_refs()
        grads = torch.autograd.grad(out, [x], create_graph=True)
        assert grads[0].requires_grad
        del out, grads
        assert [r() for r in refs] == [None] * len(refs)
        xs = rand_leaf((2,), seed=50)
        (g,) = torch.autograd.grad(MyExp.apply(xs * 2).sum(), xs)
        ref = weakref.ref(g)
        del g
        assert ref() is None
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()


def test_graph_alive_while_output_alive():
    x, out, refs = _graph_refs()
    gc.collect()
    assert all(r() is not None for r in refs)
    out.backward(retain_graph=True)
    out.backward()
    x1, out1, _ = _graph_refs()
    out1.backward()
    np.testing.assert_allclose(np_of(x.grad), 2 * np_of(x1.grad), rtol=1e-14)


# ====================================================== 9. to_dot

def test_to_dot_names_the_tutorial_graph():
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    out = (y * y * 3).mean()
    dot = torch.autograd.graph.to_dot(out)
    assert dot.lstrip().startswith("digraph")
    labels = dict(re.findall(r'^\s*(\w+) \[label="([^"\\]+)', dot, re.M))
    labels = {k: v for k, v in labels.items() if v != "output"}
    edges = re.findall(r"^\s*(\w+) -> (\w+);", dot, re.M)
    named = [(labels.get(a, a), labels.get(b, b)) for a, b in edges]
    assert sorted(set(labels.values())) == ["AccumulateGrad", "AddBackward0", "MeanBackward0",
                                            "MulBackward0"]
    assert list(labels.values()).count("MulBackward0") == 2
    assert ("MulBackward0", "MeanBackward0") in named
    assert ("MulBackward0", "MulBackward0") in named
    assert named.count(("AddBackward0", "MulBackward0")) == 2   # y * y: two edges
    assert ("AccumulateGrad", "AddBackward0") in named
    with pytest.raises(RuntimeError):
        torch.autograd.graph.to_dot(torch.ones(2))


def test_leaf_grads_own_their_memory():
    # add's backward hands one gradient to both inputs and sum's is an expand():
    # accumulating a second time must not leak between leaves or elements
    a = torch.ones(3, requires_grad=True)
    b = torch.ones(3, requires_grad=True)
    (a + b).sum().backward()
    assert a.grad.data_ptr() != b.grad.data_ptr()
    (a + b).sum().backward()
    assert a.grad.tolist() == [2.0, 2.0, 2.0]
    assert b.grad.tolist() == [2.0, 2.0, 2.0]


def test_user_gradient_is_not_adopted_as_grad():
    g = torch.ones(3)
    x = torch.ones(3, requires_grad=True)
    (x * 1).backward(g)
    x.grad.add_(1)
    assert g.tolist() == [1.0, 1.0, 1.0]


def test_data_has_its_own_version_counter():
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    z = (y * y).sum()
    v = y._version
    y.data.add_(1)            # invisible to autograd's checks, as in PyTorch
    assert y._version == v
    z.backward()
    assert x.grad.tolist() == [12.0, 12.0, 12.0]
    y.detach().add_(1)        # detach() shares the counter
    assert y._version == v + 1


@pytest.mark.parametrize("values", [[2.0, 0.0, 3.0, 4.0], [0.0, 0.0, 3.0, 4.0], [1.5, 2.0, 3.0, 4.0]])
def test_prod_gradient_with_zeros(values):
    x = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    x.prod().backward()
    expected = []
    for i in range(len(values)):
        p = 1.0
        for j, v in enumerate(values):
            if j != i:
                p *= v
        expected.append(p)
    assert x.grad.tolist() == expected
    m = torch.tensor([values, values[::-1]], dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: t.prod(1), (m,))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_cdist_product_route_gradient(dtype):
    # cdist's p=2 route through one product records PyTorch's node
    # (EuclideanDistBackward0 under a view); its gradient, two products, is
    # sum_j g_ij (a_i - b_j) / d_ij with coincident rows contributing nothing
    rng = np.random.default_rng(7)
    a = rng.standard_normal((40, 5))
    b = rng.standard_normal((30, 5))
    b[0], b[1] = a[0], a[3]
    g = rng.standard_normal((40, 30))
    ta = torch.tensor(a.astype(dtype), requires_grad=True)
    tb = torch.tensor(b.astype(dtype), requires_grad=True)
    r = torch.cdist(ta, tb)
    assert type(r.grad_fn).__name__ == "ViewBackward0"
    assert type(r.grad_fn.next_functions[0][0]).__name__ == "EuclideanDistBackward0"
    r.backward(torch.tensor(g.astype(dtype)))
    diff = a[:, None, :] - b[None, :, :]
    d = np.sqrt((diff ** 2).sum(-1))
    w = np.where(d > 0, g / np.where(d > 0, d, 1), 0)[..., None] * diff
    tol = 2e-3 if dtype == "float32" else 1e-9
    np.testing.assert_allclose(ta.grad.numpy(), w.sum(1), rtol=tol, atol=tol)
    np.testing.assert_allclose(tb.grad.numpy(), -w.sum(0), rtol=tol, atol=tol)
