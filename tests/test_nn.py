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


GRADS = [op for op in OPS if op.grad_fn is not None or op.gradcheck or op.name == "cross_entropy"]


@pytest.mark.parametrize("op", GRADS, ids=[o.name for o in GRADS])
def test_gradcheck(op):
    rng = np.random.default_rng(1)
    for k, (args, kw) in enumerate(op.samples(rng, "float64")[:op.grad_samples]):
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


@pytest.mark.parametrize("name", ["gelu", "nll_loss", "mse_loss", "linear", "cross_entropy",
                                  "silu", "softplus", "celu", "mish", "hardswish", "bce_with_logits",
                                  "glu", "smooth_l1", "huber", "soft_margin"])
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
        "silu": (lambda a: F.silu(a), (x,)),
        "softplus": (lambda a: F.softplus(a * 3, beta=2.0, threshold=3.0), (x,)),
        "celu": (lambda a: F.celu(a, alpha=0.7), (x,)),
        "mish": (lambda a: F.mish(a), (x,)),
        "hardswish": (lambda a: F.hardswish(a * 4), (x,)),
        "glu": (lambda a: F.glu(a, 1), (x,)),
        "smooth_l1": (lambda a, b: F.smooth_l1_loss(a, b, beta=0.3), (x, y)),
        "huber": (lambda a, b: F.huber_loss(a, b, delta=0.3), (x, y)),
        "soft_margin": (lambda a: F.soft_margin_loss(a, y.detach()), (x,)),
        "bce_with_logits": (lambda a, b: F.binary_cross_entropy_with_logits(
            a * 3, b.sigmoid(), torch.full((4,), 0.5, dtype=torch.float64),
            pos_weight=torch.full((4,), 2.0, dtype=torch.float64)), (x, y)),
    }
    fn, inputs = fns[name]
    assert torch.autograd.gradgradcheck(fn, inputs)


def _np_softplus(z):
    return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


# each pointwise loss with its parameters, (loss, d loss / d input) in float64
# numpy, and how its target is drawn
PLOSSES = {
    "bce_with_logits": (lambda x, t, pw, r: F.binary_cross_entropy_with_logits(x, t, pos_weight=pw, reduction=r),
                        lambda x, t, pw: ((1 - t) * x + (1 + (pw - 1) * t) * _np_softplus(-x),
                                          (1 - t) - (1 + (pw - 1) * t) / (1 + np.exp(x))), "unit"),
    "smooth_l1": (lambda x, t, pw, r: F.smooth_l1_loss(x, t, beta=0.7, reduction=r),
                  lambda x, t, pw: (np.where(np.abs(x - t) < 0.7, 0.5 * (x - t) ** 2 / 0.7,
                                             np.abs(x - t) - 0.35), np.clip((x - t) / 0.7, -1, 1)), "normal"),
    "huber": (lambda x, t, pw, r: F.huber_loss(x, t, delta=1.3, reduction=r),
              lambda x, t, pw: (np.where(np.abs(x - t) < 1.3, 0.5 * (x - t) ** 2,
                                         1.3 * (np.abs(x - t) - 0.65)), np.clip(x - t, -1.3, 1.3)), "normal"),
    "huber_weighted": (lambda x, t, pw, r: F.huber_loss(x, t, delta=1.3, weight=pw, reduction=r),
                       lambda x, t, pw: (pw * np.where(np.abs(x - t) < 1.3, 0.5 * (x - t) ** 2,
                                                       1.3 * (np.abs(x - t) - 0.65)),
                                         pw * np.clip(x - t, -1.3, 1.3)), "normal"),
    "soft_margin": (lambda x, t, pw, r: F.soft_margin_loss(x, t, reduction=r),
                    lambda x, t, pw: (_np_softplus(-t * x), -t / (1 + np.exp(t * x))), "sign"),
}


def test_soft_margin_loss_refuses_a_target_that_requires_grad():
    # PyTorch's message; without grad mode the loss is computed
    x = torch.randn(5, requires_grad=True)
    t = torch.randn(5, requires_grad=True)
    with pytest.raises(RuntimeError, match="'soft_margin_loss' is not differentiable with respect "
                                           "to argument 'target'"):
        F.soft_margin_loss(x, t)
    with torch.no_grad():
        assert F.soft_margin_loss(x, t).item() > 0
    assert F.soft_margin_loss(x, t.detach()).requires_grad


@pytest.mark.parametrize("nt", [1, 2, 3])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none", "none-sum"])
@pytest.mark.parametrize("loss", sorted(PLOSSES))
def test_pointwise_losses_long_inputs_on_threads(threads, nt, dtype, reduction, loss):
    # the fused kernel's chunks split between threads, each way; "none-sum":
    # the elementwise loss summed, whose gradient arrives spread from one value
    threads(nt)
    call, ref, tkind = PLOSSES[loss]
    rng = np.random.default_rng(7)
    n = 3 * 32768 + 1001
    x = (rng.standard_normal(n) * 6).astype(dtype)
    t = {"unit": rng.random(n), "normal": rng.standard_normal(n) * 3,
         "sign": np.sign(rng.standard_normal(n))}[tkind].astype(dtype)
    pw = (rng.random(n) * 3).astype(dtype)
    val, dval = ref(x.astype(np.float64), t.astype(np.float64), pw.astype(np.float64))
    xt = torch.tensor(x).requires_grad_(True)
    red = reduction.split("-")[0]
    out = call(xt, torch.tensor(t), torch.tensor(pw), red)
    rtol = 1e-5 if dtype == "float32" else 1e-12
    scale = 1.0 / n if red == "mean" else 1.0
    if red == "none":
        # each loss to rounding of its terms' size ((1 - t) x and the softplus cancel)
        assert np.all(np.abs(out.detach().numpy() - val) <= rtol * (np.abs(x.astype(np.float64)) + np.abs(t) + 1))
        if reduction == "none-sum":
            out.sum().backward()
        else:
            out.backward(torch.tensor(np.full(n, 0.5, dtype)))
            scale = 0.5
    else:
        np.testing.assert_allclose(out.item(), val.sum() * scale, rtol=rtol)
        out.backward()
    np.testing.assert_allclose(xt.grad.numpy(), dval * scale, rtol=rtol, atol=rtol * scale)


@pytest.mark.parametrize("nt", [1, 2, 3])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_group_norm_backward_on_threads(threads, nt, dtype):
    # the backward kernel's (sample, group) rows split between threads, against
    # numpy's formula: dx = rstd (dy - mean(dy) - xhat mean(dy xhat)), dy = g w
    threads(nt)
    rng = np.random.default_rng(3)
    n, c, groups, s = 4, 32, 8, 400
    x = (rng.standard_normal((n, c, s)) * 3 + 1).astype(dtype)
    w, b = rng.standard_normal(c).astype(dtype), rng.standard_normal(c).astype(dtype)
    g = rng.standard_normal((n, c, s)).astype(dtype)
    xt, wt, bt = (torch.tensor(a).requires_grad_(True) for a in (x, w, b))
    F.group_norm(xt, groups, wt, bt).backward(torch.tensor(g))
    xg = x.astype(np.float64).reshape(n, groups, -1)
    r = 1 / np.sqrt(xg.var(-1, keepdims=True) + 1e-5)
    xhat = ((xg - xg.mean(-1, keepdims=True)) * r).reshape(n, c, s)
    dy = (g * w[:, None]).reshape(n, groups, -1)
    xh = xhat.reshape(n, groups, -1)
    dx = r * (dy - dy.mean(-1, keepdims=True) - xh * (dy * xh).mean(-1, keepdims=True))
    tol = 2e-4 if dtype == "float32" else 1e-10
    np.testing.assert_allclose(xt.grad.numpy(), dx.reshape(n, c, s), rtol=tol, atol=tol)
    np.testing.assert_allclose(wt.grad.numpy(), (g * xhat).sum((0, 2)), rtol=tol, atol=tol * 100)
    np.testing.assert_allclose(bt.grad.numpy(), g.sum((0, 2)), rtol=tol, atol=tol * 100)


@pytest.mark.parametrize("nt", [1, 2, 3])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape,dim", [((70, 6, 400), 1), ((1000, 200), 0), ((300, 500), 1)])
def test_glu_backward_on_threads(threads, nt, dtype, shape, dim):
    # the kernel's chunks of the halves split between threads: g sigmoid(b)
    # and g a sigmoid(b) (1 - sigmoid(b)), against numpy
    threads(nt)
    rng = np.random.default_rng(4)
    x = (rng.standard_normal(shape) * 3).astype(dtype)
    a, b = np.split(x.astype(np.float64), 2, axis=dim)
    s = 1 / (1 + np.exp(-b))
    g = rng.standard_normal(a.shape).astype(dtype)
    xt = torch.tensor(x).requires_grad_(True)
    y = F.glu(xt, dim)
    # (1 - sigmoid(b)) keeps float32's absolute rounding of sigmoid(b) near 1
    tol = 2e-5 if dtype == "float32" else 1e-13
    np.testing.assert_allclose(y.detach().numpy(), a * s, rtol=tol, atol=tol)
    y.backward(torch.tensor(g))
    ref = np.concatenate([g * s, g * a * s * (1 - s)], axis=dim)
    np.testing.assert_allclose(xt.grad.numpy(), ref, rtol=tol, atol=tol)


@pytest.mark.parametrize("nt", [1, 2, 3])
@pytest.mark.parametrize("kw", [{"scale_factor": 2, "mode": "bilinear"},
                                {"size": (50, 70), "mode": "bicubic", "align_corners": True},
                                {"scale_factor": 0.5, "mode": "bilinear", "antialias": True}])
def test_interpolate_backward_is_the_adjoint_on_threads(threads, nt, kw):
    # the gradient of a linear map is its adjoint: <f(x), g> = <x, f'(g)>,
    # with the slices of both passes split between threads
    threads(nt)
    rng = np.random.default_rng(6)
    x = torch.tensor(rng.standard_normal((4, 8, 40, 40))).requires_grad_(True)
    y = F.interpolate(x, **kw)
    g = rng.standard_normal(tuple(y.shape))
    y.backward(torch.tensor(g))
    lhs = float((y.detach().numpy() * g).sum())
    rhs = float((x.detach().numpy() * x.grad.numpy()).sum())
    assert abs(lhs - rhs) <= 1e-9 * (abs(lhs) + 1)
    # and the forward's slices agree with one thread's
    threads(1)
    np.testing.assert_array_equal(F.interpolate(x.detach(), **kw).numpy(), y.detach().numpy())


@pytest.mark.parametrize("nt", [1, 2, 3])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape,c", [((8, 16, 30, 30), 16), ((2, 70000), 1), ((3, 2, 40000), 2)])
def test_prelu_backward_on_threads(threads, nt, dtype, shape, c):
    # the kernel's blocks (or one block's parts) split between threads: dx =
    # g where x > 0, else w g; dw = the sum of g x where x <= 0, per channel
    threads(nt)
    rng = np.random.default_rng(8)
    x = rng.standard_normal(shape).astype(dtype)
    w = rng.random(c).astype(dtype)
    g = rng.standard_normal(shape).astype(dtype)
    xt, wt = torch.tensor(x).requires_grad_(True), torch.tensor(w).requires_grad_(True)
    F.prelu(xt, wt).backward(torch.tensor(g))
    wb = (w.reshape((c,) + (1,) * (len(shape) - 2)) if c > 1 else w[0]).astype(np.float64)
    tol = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(xt.grad.numpy(), np.where(x > 0, g, wb * g), rtol=tol, atol=tol)
    gx = np.where(x > 0, 0, g.astype(np.float64) * x)
    dw = gx.sum() if c == 1 else gx.swapaxes(0, 1).reshape(c, -1).sum(1)
    np.testing.assert_allclose(wt.grad.numpy(), np.reshape(dw, (c,)), rtol=tol * 10, atol=tol * 10)


@pytest.mark.parametrize("dt", ["float32", "float64"])
def test_depthwise_weight_grad_ignores_unread_inputs(dt):
    # a stride of 2 over 14 columns and 12 rows (3 x 3, no padding) never
    # reads the last column or row: inf and nan there leave the weight's and
    # the bias's gradients finite, the same as with zeros there (numpy:
    # the sums of the gradient times each tap's window)
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 3, 12, 14)).astype(dt)
    gy = rng.standard_normal((2, 3, 5, 6)).astype(dt)
    want = np.zeros((3, 1, 3, 3))
    for a in range(3):
        for b in range(3):
            want[:, 0, a, b] = (gy * x[:, :, a:a + 10:2, b:b + 12:2]).sum((0, 2, 3))
    x[:, :, :, 13] = np.inf
    x[:, :, 11, :] = np.nan
    xt = torch.tensor(x)
    w = torch.tensor(rng.standard_normal((3, 1, 3, 3)).astype(dt)).requires_grad_(True)
    b = torch.zeros(3, dtype=getattr(torch, dt)).requires_grad_(True)
    F.conv2d(xt, w, b, stride=2, groups=3).backward(torch.tensor(gy))
    tol = TOL[dt][0] * 10
    np.testing.assert_allclose(w.grad.numpy(), want, rtol=tol, atol=tol)
    np.testing.assert_allclose(b.grad.numpy(), gy.sum((0, 2, 3)), rtol=tol, atol=tol)


@pytest.mark.parametrize("nt", [2, 3])
@pytest.mark.parametrize("kw", [{"padding": 1}, {"stride": 2, "padding": 1}, {"stride": (1, 3), "dilation": 2}])
def test_depthwise_conv_planes_on_threads(threads, nt, kw):
    # the direct kernel's planes are independent: split between threads they
    # come out as on one thread, bit for bit (the values: the op table's
    # small depthwise samples against numpy)
    rng = np.random.default_rng(9)
    x = torch.tensor(rng.standard_normal((4, 16, 40, 41)).astype(np.float32))
    w = torch.tensor(rng.standard_normal((32, 1, 3, 3)).astype(np.float32))
    b = torch.tensor(rng.standard_normal(32).astype(np.float32))
    threads(1)
    one = F.conv2d(x, w, b, groups=16, **kw).numpy()
    threads(nt)
    np.testing.assert_array_equal(F.conv2d(x, w, b, groups=16, **kw).numpy(), one)


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


def test_rrelu_training_draws_slopes_in_range_from_the_default_generator():
    x = -torch.rand(1000, dtype=torch.float64) - 0.1
    torch.manual_seed(5)
    a = F.rrelu(x, 0.1, 0.3, training=True)
    slopes = (a / x).numpy()
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3 and slopes.std() > 0.03
    torch.manual_seed(5)
    assert (F.rrelu(x, 0.1, 0.3, training=True) == a).all().item()
    pos = torch.rand(5, dtype=torch.float64)
    assert (F.rrelu(pos, training=True) == pos).all().item()
    leaf = x.clone().requires_grad_(True)
    torch.manual_seed(5)
    F.rrelu(leaf, 0.1, 0.3, training=True).sum().backward()
    np.testing.assert_allclose(leaf.grad.numpy(), slopes, rtol=1e-12)


@pytest.mark.parametrize("name,args", [("selu_", ()), ("celu_", (0.5,)), ("threshold_", (0.1, 9.0)),
                                       ("rrelu_", (0.2, 0.4))])
def test_torch_level_inplace_activations(name, args):
    x = torch.tensor([-1.5, -0.2, 0.0, 0.3, 2.0], dtype=torch.float64)
    expected = getattr(torch, name[:-1])(x, *args)
    y = x.clone()
    r = getattr(torch, name)(y, *args)
    assert r is y and (y == expected).all().item()
    # on a non-leaf the gradient goes through the in-place write
    leaf = torch.tensor([-1.5, 0.3], dtype=torch.float64, requires_grad=True)
    h = leaf * 1
    getattr(torch, name)(h, *args).sum().backward()
    assert leaf.grad is not None and np.isfinite(leaf.grad.numpy()).all()


def test_inplace_functional_forms_write_into_the_input():
    for fn in (F.elu, F.leaky_relu, F.hardtanh, F.relu6, F.silu, F.hardswish, F.hardsigmoid,
               F.mish):
        x = torch.tensor([-2.0, -0.5, 0.5, 7.0])
        expected = fn(x)
        assert fn(x, inplace=True) is x and (x == expected).all().item(), fn.__name__


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16"])
def test_shrinks_and_leaky_relu_keep_nan_and_meet_the_bounds(dtype):
    # the fused kernels on their special values, past the vector loops'
    # width: a NaN stays NaN (PyTorch's), +-lambd itself is in the zeroed
    # middle, and the gradient is 1 outside it (a NaN included)
    dt = getattr(torch, dtype)
    sp = np.array([np.nan, 0.5, -0.5, 0.3, -0.7, 2.0, -0.0, 0.0, np.inf, -np.inf, -1e-3, 0.51])
    xs = np.tile(sp, 40)
    x = torch.from_numpy(xs).to(dt).requires_grad_()
    xv = x.detach().double().numpy()
    mid = (xv >= -0.5) & (xv <= 0.5)
    cases = [(F.softshrink, np.where(mid, 0, np.where(xv > 0.5, xv - 0.5, xv + 0.5)),
              np.where(mid, 0.0, 1.0), "SoftshrinkBackward0"),
             (F.hardshrink, np.where(mid, 0, xv), np.where(mid, 0.0, 1.0), "HardshrinkBackward0"),
             (lambda t: F.leaky_relu(t, 0.25), np.where(xv > 0, xv, 0.25 * xv),
              np.where(xv > 0, 1.0, 0.25), "LeakyReluBackward0")]
    for fn, want, dwant, node in cases:
        y = fn(x)
        assert type(y.grad_fn).__name__ == node
        np.testing.assert_array_equal(y.detach().double().numpy(),
                                      torch.from_numpy(want).to(dt).double().numpy())
        x.grad = None
        y.sum().backward()
        np.testing.assert_array_equal(x.grad.double().numpy(), dwant)


def test_hardsigmoid_rounds_as_pytorch():
    # clamp(x + 3, 0, 6) / 6 in the input's precision (x / 6 + 1/2 rounds
    # otherwise in about a quarter of float32 inputs)
    x = (np.random.default_rng(5).standard_normal(5000) * 4).astype(np.float32)
    want = np.clip(x + np.float32(3), np.float32(0), np.float32(6)) / np.float32(6)
    np.testing.assert_array_equal(F.hardsigmoid(torch.from_numpy(x)).numpy(), want)


def test_embedding_padding_row_gets_no_gradient():
    w = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
    idx = torch.tensor([[0, 2], [2, 4]])
    out = F.embedding(idx, w, padding_idx=2)
    np.testing.assert_array_equal(out.detach().numpy(), w.detach().numpy()[idx.numpy()])
    out.sum().backward()
    np.testing.assert_array_equal(w.grad.numpy()[:, 0], [1.0, 0.0, 0.0, 0.0, 1.0])
    g = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
    torch.embedding(g, torch.tensor([1, 1])).sum().backward()
    np.testing.assert_array_equal(g.grad.numpy()[:, 0], [0.0, 2.0, 0.0, 0.0, 0.0])


def test_kl_div_mean_warns_and_batchmean_divides_by_batch():
    x = torch.log_softmax(torch.randn(4, 5), 1)
    t = torch.softmax(torch.randn(4, 5), 1)
    with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
        m = F.kl_div(x, t)
    s = F.kl_div(x, t, reduction="sum").item()
    assert m.item() == pytest.approx(s / 20, rel=1e-5)
    assert F.kl_div(x, t, reduction="batchmean").item() == pytest.approx(s / 4, rel=1e-5)


def test_torch_level_names_are_the_functional_ones():
    for name in ("hardshrink", "prelu", "cosine_similarity", "pairwise_distance", "rms_norm",
                 "pixel_shuffle", "pixel_unshuffle", "channel_shuffle"):
        assert getattr(torch, name) is getattr(F, name)
    x = torch.randn(4, 3)
    assert (x.hardshrink(0.3) == F.hardshrink(x, 0.3)).all().item()
    assert torch.layer_norm.__name__ == "layer_norm"


def test_cosine_similarity_scales_each_side_first():
    # each side divided by max(its norm, eps) before the products, in the
    # dtype (numpy float32 as the oracle): a norm that overflows makes its
    # side 0, tiny vectors keep a tiny (denormal) result instead of 0, a zero
    # side gives 0 with a finite gradient; complex inputs are refused
    a = np.array([[1e20, 1e20], [0, 0], [1e-30, 2e-30], [3, 4]], np.float32)
    b = np.array([[1e20, -1e19], [1, 2], [1e-30, 1e-30], [4, 3]], np.float32)
    with np.errstate(over="ignore"):
        na = np.maximum(np.sqrt((a * a).sum(1, keepdims=True)), np.float32(1e-8))
        nb = np.maximum(np.sqrt((b * b).sum(1, keepdims=True)), np.float32(1e-8))
    want = ((a / na) * (b / nb)).sum(1)
    got = F.cosine_similarity(torch.from_numpy(a), torch.from_numpy(b))
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-6, atol=0)
    assert got[0].item() == 0 and 0 < got[2].item() < 1e-43
    x = torch.tensor([[0.0, 0.0], [3.0, 4.0]], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([[1.0, 2.0], [4.0, 3.0]], dtype=torch.float64, requires_grad=True)
    F.cosine_similarity(x, y).sum().backward()
    np.testing.assert_allclose(x.grad[0].numpy(), np.array([1, 2]) / np.sqrt(5) / 1e-8)
    np.testing.assert_allclose(x.grad[1].numpy(), [0.0448, -0.0336])
    assert y.grad[0].tolist() == [0.0, 0.0]
    with pytest.raises(RuntimeError, match="yet common dtype is ComplexFloat"):
        F.cosine_similarity(torch.ones(3, dtype=torch.complex64), torch.ones(3), dim=0)


def test_integer_inputs_where_pytorch_keeps_them():
    # threshold and hardtanh keep an integer dtype (hardtanh truncates its bounds);
    # softsign and tanhshrink compute in the default float dtype
    assert F.threshold(torch.tensor([1, 2, 3]), 1, 5).tolist() == [5, 2, 3]
    r = F.hardtanh(torch.tensor([1, -2, 3]), -0.5, 1.5)
    assert r.dtype == torch.int64 and r.tolist() == [1, 0, 1]
    assert F.softsign(torch.tensor([1, -3])).tolist() == [0.5, -0.75]
    assert F.tanhshrink(torch.tensor([0])).dtype == torch.float32


def test_embedding_max_norm_renormalizes_the_looked_up_rows_in_place():
    rng = np.random.default_rng(4)
    w0 = rng.standard_normal((5, 3)) * 2
    w = torch.tensor(w0.copy())
    out = F.embedding(torch.tensor([[0, 2], [2, 4]]), w, max_norm=1.5)
    expected = w0.copy()
    for r in (0, 2, 4):
        n = np.linalg.norm(w0[r])
        if n > 1.5:
            expected[r] = w0[r] * (1.5 / (n + 1e-7))
    np.testing.assert_allclose(w.numpy(), expected, rtol=1e-12)     # rows 1, 3 untouched
    np.testing.assert_allclose(out.numpy(), expected[[[0, 2], [2, 4]]], rtol=1e-12)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_piecewise_activations_of_halves_are_the_float32_result_rounded_once(dtype):
    # computed in vector registers a vector at a time (8 halves, 16 bfloat16
    # on AVX2), the tail by blocks: every element, at every length, is the
    # float32 activation of the widened value rounded once
    dt = getattr(torch, dtype)
    rng = np.random.default_rng(5)
    sp = [np.nan, np.inf, -np.inf, 0.0, -0.0, -3.0, 3.0, 2.9, -2.9, 0.5, -0.5, 65504.0]
    for n in (1, 7, 8, 15, 16, 17, 100, 1000):
        x = torch.from_numpy(np.concatenate([sp, rng.standard_normal(n) * 4])).to(dt)
        for f in (F.hardswish, F.hardsigmoid, F.leaky_relu, lambda t: F.leaky_relu(t, 0.3),
                  F.hardshrink, F.softshrink, lambda t: F.softshrink(t, 2.0)):
            got = f(x).float().numpy()
            want = f(x.float()).to(dt).float().numpy()
            assert np.array_equal(got, want, equal_nan=True), (n, f)
