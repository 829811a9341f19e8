"""torch.nn.functional (tests/op_db_nn.py) against numpy/scipy: values and
dtypes on dense, transposed and step-sliced inputs, refused dtypes, error
cases, grad_fn names and gradcheck in float64; plus the behaviour that is not
a value (warnings, in-place relu, dropout's scaling)."""
import warnings

import numpy as np
import pytest

import ctorch as torch
from tests.op_db_nn import OPS, D, I

F = torch.nn.functional
LAYOUTS = ("contig", "transposed", "stepped")
TOL = {"float16": (5e-3, 5e-3), "float32": (1e-5, 1e-5), "float64": (1e-12, 1e-12)}


def to_ct(a, layout, requires_grad=False):
    a = np.asarray(a)
    if layout == "transposed" and a.ndim >= 2:
        t = torch.tensor(np.ascontiguousarray(a.swapaxes(-1, -2))).transpose(-1, -2)
    elif layout == "stepped" and a.ndim >= 1:
        t = torch.tensor(np.repeat(a, 2, axis=-1))[..., ::2]
    else:
        t = torch.tensor(a)
    return t.requires_grad_(True) if requires_grad else t


def build(args, layout):
    return [to_ct(x.a, layout) if isinstance(x, D) else torch.tensor(x.a) if isinstance(x, I) else x
            for x in args]


def np_args(args):
    return [x.a if isinstance(x, (D, I)) else x for x in args]


CASES = [(op, dt, layout) for op in OPS for dt in op.dtypes for layout in LAYOUTS
         if layout == "contig" or dt == "float32"]


@pytest.mark.parametrize("op,dt,layout", CASES, ids=[f"{o.name}-{d}-{l}" for o, d, l in CASES])
def test_values(op, dt, layout):
    rng = np.random.default_rng(0)
    rtol, atol = op.tol.get(dt, TOL[dt])
    for args, kw in op.samples(rng, dt):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = op.fn(torch, *build(args, layout), **kw)
        ref = np.asarray(op.ref(*np_args(args), **kw))
        got = res.numpy()
        assert got.dtype == np.dtype(dt), (got.dtype, dt, kw)
        assert got.shape == ref.shape, (got.shape, ref.shape, kw)
        np.testing.assert_allclose(got.astype(np.float64), ref, rtol=rtol, atol=atol, err_msg=str(kw))


REFUSED = [(op, dt, exc, frag) for op in OPS for dt, exc, frag in op.refused]


@pytest.mark.parametrize("op,dt,exc,frag", REFUSED, ids=[f"{o.name}-{d}" for o, d, _, _ in REFUSED])
def test_refused_dtypes(op, dt, exc, frag):
    rng = np.random.default_rng(0)
    args, kw = op.samples(rng, "float64")[0]
    args = [D((x.a * 3).astype(dt)) if isinstance(x, D) else x for x in args]
    with pytest.raises(exc) as info:
        op.fn(torch, *build(args, "contig"), **kw)
    assert frag in str(info.value)


GRADS = [op for op in OPS if op.grad_fn is not None or op.name == "cross_entropy"]


@pytest.mark.parametrize("op", GRADS, ids=[o.name for o in GRADS])
def test_gradcheck(op):
    rng = np.random.default_rng(1)
    for k, (args, kw) in enumerate(op.samples(rng, "float64")):
        leaves = [torch.tensor(x.a).requires_grad_(True) for x in args if isinstance(x, D)]

        def f(*xs, args=args, kw=kw):
            it = iter(xs)
            call = [next(it) if isinstance(x, D) else torch.tensor(x.a) if isinstance(x, I) else x
                    for x in args]
            return op.fn(torch, *call, **kw)

        assert torch.autograd.gradcheck(f, tuple(leaves)), kw
        if op.grad_fn is not None and k == 0:
            # the first sample is the op's plain form (linear: with a bias)
            out = f(*leaves)
            assert type(out.grad_fn).__name__ == op.grad_fn


@pytest.mark.parametrize("name", ["gelu", "nll_loss", "mse_loss", "linear", "cross_entropy"])
def test_gradgradcheck(name):
    rng = np.random.default_rng(2)
    x = torch.tensor(rng.standard_normal((5, 4))).requires_grad_(True)
    t = torch.tensor(rng.integers(0, 4, 5))
    y = torch.tensor(rng.standard_normal((5, 4))).requires_grad_(True)
    w = torch.tensor(rng.standard_normal((3, 4))).requires_grad_(True)
    fns = {
        "gelu": (lambda a: F.gelu(a), (x,)),
        "nll_loss": (lambda a: F.nll_loss(a, t), (x,)),
        "mse_loss": (lambda a, b: F.mse_loss(a, b), (x, y)),
        "linear": (lambda a, b: F.linear(a, b, torch.ones(3, dtype=torch.float64)), (x, w)),
        "cross_entropy": (lambda a: F.cross_entropy(a, t, label_smoothing=0.1), (x,)),
    }
    fn, inputs = fns[name]
    assert torch.autograd.gradgradcheck(fn, inputs)


def test_mse_loss_warns_on_broadcast_and_grads_both_sides():
    x = torch.randn(4, 3, requires_grad=True)
    t = torch.randn(3, requires_grad=True)
    with pytest.warns(UserWarning, match="Using a target size"):
        loss = F.mse_loss(x, t)
    loss.backward()
    d = x.detach().numpy() - t.detach().numpy()
    np.testing.assert_allclose(x.grad.numpy(), 2 * d / 12, rtol=1e-5)
    np.testing.assert_allclose(t.grad.numpy(), -(2 * d / 12).sum(0), rtol=1e-5)


def test_softmax_without_dim_warns_and_picks_torchs_dim():
    x = torch.randn(2, 3)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        r = F.softmax(x)
    np.testing.assert_allclose(r.sum(1).numpy(), np.ones(2), rtol=1e-6)


def test_relu_inplace():
    x = torch.tensor([-1.0, 2.0, -3.0])
    r = F.relu(x, inplace=True)
    assert r is x and x.tolist() == [0.0, 2.0, 0.0]
    leaf = torch.randn(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        F.relu(leaf, inplace=True)


def test_nll_loss_all_ignored_is_nan_and_byte_targets():
    x = torch.randn(3, 4)
    assert np.isnan(F.nll_loss(x, torch.tensor([-100, -100, -100])).item())
    a = F.nll_loss(x, torch.tensor([1, 2, 3], dtype=torch.uint8)).item()
    b = F.nll_loss(x, torch.tensor([1, 2, 3])).item()
    assert a == b


def test_legacy_size_average_flags():
    x, t = torch.randn(4, 3), torch.tensor([0, 1, 2, 1])
    with pytest.warns(UserWarning, match="reduction='sum'"):
        s = F.nll_loss(x, t, size_average=False)
    assert s.item() == pytest.approx(F.nll_loss(x, t, reduction="sum").item())


def test_cross_entropy_step_decreases_loss():
    # one gradient step on a small classifier lowers its loss
    rng = np.random.default_rng(3)
    x = torch.tensor(rng.standard_normal((32, 8)).astype(np.float32))
    y = torch.tensor(rng.integers(0, 3, 32))
    w = torch.zeros(3, 8, requires_grad=True)
    b = torch.zeros(3, requires_grad=True)
    l0 = F.cross_entropy(F.linear(x, w, b), y)
    l0.backward()
    with torch.no_grad():
        w -= 0.5 * w.grad
        b -= 0.5 * b.grad
    l1 = F.cross_entropy(F.linear(x, w, b), y)
    assert l0.item() == pytest.approx(np.log(3), rel=1e-6)
    assert l1.item() < l0.item()
