"""Behaviour of the nnmisc functions that is not a value of tests/op_db_nn_nnmisc.py:
running statistics, the randomness of the dropouts and gumbel_softmax (fixed
seeds, statistical tolerances), one_hot, the tuple of torch.embedding_bag and
higher-order gradients of batch_norm."""
import warnings

import numpy as np
import pytest

import ctorch as torch

F = torch.nn.functional


def _t(a):
    return torch.tensor(np.asarray(a))


# ------------------------------------------------------- running statistics

@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 5), (2, 3, 4, 4)])
def test_batch_norm_updates_running_stats_with_momentum_and_unbiased_var(shape):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape) * 2 + 1
    rm0, rv0 = rng.standard_normal(3), rng.random(3) + 0.5
    rm, rv = _t(rm0.copy()), _t(rv0.copy())
    F.batch_norm(_t(x), rm, rv, training=True, momentum=0.3)
    dims = (0,) + tuple(range(2, x.ndim))
    np.testing.assert_allclose(rm.numpy(), 0.7 * rm0 + 0.3 * x.mean(dims), rtol=1e-12)
    np.testing.assert_allclose(rv.numpy(), 0.7 * rv0 + 0.3 * x.var(dims, ddof=1), rtol=1e-12)
    # evaluation mode reads them and leaves them alone
    before = rm.numpy().copy()
    F.batch_norm(_t(x), rm, rv, training=False, momentum=0.3)
    np.testing.assert_array_equal(rm.numpy(), before)


def test_torch_batch_norm_float32_running_stats():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((8, 2, 3)).astype(np.float32)
    rm, rv = torch.zeros(2), torch.ones(2)
    # momentum 1.0: the running statistics become the batch's
    y = torch.batch_norm(_t(x), None, None, rm, rv, True, 1.0, 1e-5, False)
    np.testing.assert_allclose(rm.numpy(), x.mean((0, 2)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(rv.numpy(), x.var((0, 2), ddof=1), rtol=1e-5)
    assert y.dtype == torch.float32 and y.grad_fn is None


def test_instance_norm_running_stats_average_the_instances():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((4, 3, 5))
    rm, rv = torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64)
    F.instance_norm(_t(x), rm, rv, momentum=0.5)
    np.testing.assert_allclose(rm.numpy(), 0.5 * x.mean(2).mean(0), rtol=1e-12)
    np.testing.assert_allclose(rv.numpy(), 0.5 + 0.5 * x.var(2, ddof=1).mean(0), rtol=1e-12)


@pytest.mark.parametrize("shape", [(16, 8, 32, 32), (2048, 24), (300, 6, 5)])
def test_batch_norm_large_input_matches_numpy_and_grads(shape):
    # the kernels on sizes where the work is split over threads: long rows,
    # and short ones (run as columns)
    rng = np.random.default_rng(3)
    x = (rng.standard_normal(shape) * 3 + 5).astype(np.float32)
    c = shape[1]
    w = rng.standard_normal(c).astype(np.float32)
    b = rng.standard_normal(c).astype(np.float32)
    g = rng.standard_normal(x.shape).astype(np.float32)
    xt, wt, bt = (_t(a).requires_grad_(True) for a in (x, w, b))
    y = F.batch_norm(xt, None, None, wt, bt, training=True)
    y.backward(_t(g))
    xd, gd = x.astype(np.float64), g.astype(np.float64)
    dims, view = (0,) + tuple(range(2, x.ndim)), (1, -1) + (1,) * (x.ndim - 2)
    m, v = xd.mean(dims), xd.var(dims)
    inv = 1 / np.sqrt(v + 1e-5)
    xhat = (xd - m.reshape(view)) * inv.reshape(view)
    np.testing.assert_allclose(y.detach().numpy(), xhat * w.reshape(view) + b.reshape(view),
                               rtol=1e-4, atol=1e-4)
    gx = gd * w.reshape(view)
    dx = inv.reshape(view) * (gx - gx.mean(dims, keepdims=True)
                              - xhat * (gx * xhat).mean(dims, keepdims=True))
    np.testing.assert_allclose(xt.grad.numpy(), dx, rtol=1e-3, atol=1e-4)
    np.testing.assert_allclose(wt.grad.numpy(), (gd * xhat).sum(dims), rtol=1e-4, atol=1e-2)
    np.testing.assert_allclose(bt.grad.numpy(), gd.sum(dims), rtol=1e-4, atol=1e-2)


@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_gradgradcheck(training):
    rng = np.random.default_rng(4)
    x = _t(rng.standard_normal((4, 2, 3))).requires_grad_(True)
    w = _t(rng.standard_normal(2)).requires_grad_(True)
    b = _t(rng.standard_normal(2)).requires_grad_(True)
    rm, rv = _t(rng.standard_normal(2)), _t(rng.random(2) + 0.5)
    fn = lambda a, c, d: F.batch_norm(a, rm, rv, c, d, training=training)
    assert torch.autograd.gradgradcheck(fn, (x, w, b))


# ----------------------------------------------------------------- dropouts

def test_channel_dropouts_zero_whole_channels_and_rescale():
    x = torch.ones(64, 32, 3, 4)
    torch.manual_seed(0)
    y = F.dropout2d(x, 0.25).numpy()
    per = y.reshape(64, 32, -1)
    # each (sample, channel) is all zero or all 1 / (1 - p)
    assert np.all((per == 0).all(-1) | np.isclose(per, 1 / 0.75).all(-1))
    assert abs((per[..., 0] == 0).mean() - 0.25) < 0.03
    torch.manual_seed(0)
    np.testing.assert_array_equal(F.dropout2d(x, 0.25).numpy(), y)     # the seed decides
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y1 = F.dropout1d(torch.ones(8, 5, 7), 0.5).numpy()
        y3 = F.dropout3d(torch.ones(2, 3, 2, 2, 2), 0.5).numpy()
    assert np.all((y1 == 0).all(-1) | (y1 == 2).all(-1))
    assert np.all((y3.reshape(6, -1) == 0).all(-1) | (y3.reshape(6, -1) == 2).all(-1))
    # unbatched dropout1d: (C, L), one draw per channel
    u = F.dropout1d(torch.ones(40, 6), 0.5).numpy()
    assert np.all((u == 0).all(-1) | (u == 2).all(-1)) and u.shape == (40, 6)


def test_dropout2d_warns_on_3d_input_as_pytorch():
    with pytest.warns(UserWarning, match="Received a 3D input to dropout2d"):
        F.dropout2d(torch.ones(2, 3, 4))
    with pytest.warns(UserWarning, match="Received a 2-D input to dropout3d"):
        F.dropout3d(torch.ones(2, 3))


def test_feature_dropout_gradient_is_the_mask():
    x = torch.ones(16, 8, 5, dtype=torch.float64, requires_grad=True)
    torch.manual_seed(3)
    y = torch.feature_dropout(x, 0.5, True)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.detach().numpy())


@pytest.mark.parametrize("feature", [False, True])
def test_alpha_dropouts_keep_mean_and_variance(feature):
    torch.manual_seed(1)
    x = torch.randn(400, 50, 20, dtype=torch.float64)
    fn = F.feature_alpha_dropout if feature else F.alpha_dropout
    y = fn(x, 0.3, training=True).numpy()
    assert abs(y.mean()) < 0.03 and abs(y.var() - 1) < 0.05
    # dropped positions all take one value: the saturation of SELU, scaled
    xs = x.numpy()
    A = 1.7580993408473766
    a = 1 / np.sqrt((A * A * 0.3 + 1) * 0.7)
    dropped = (0.0 - 1.0) * (A * a) + A * a * 0.3
    hit = y == dropped
    assert abs(hit.mean() - 0.3) < 0.02
    if feature:
        assert np.all(hit.all(-1) | ~hit.any(-1))
    np.testing.assert_allclose(y[~hit], a * xs[~hit] + dropped + A * a, rtol=1e-10, atol=1e-12)


def test_dropout_inplace_forms():
    torch.manual_seed(2)
    x = torch.ones(32, 4, 3)
    r = torch.feature_dropout_(x, 0.5, True)
    assert r is x and set(np.unique(x.numpy())) <= {0.0, 2.0}
    y = torch.randn(100, 10)
    assert torch.alpha_dropout_(y, 0.2, True) is y
    z = torch.ones(6, 4)
    assert F.alpha_dropout(z, 0.5, training=False) is z
    assert (F.alpha_dropout(z, 1.0, training=True) == 0).all().item()


def test_gumbel_softmax_soft_and_hard():
    torch.manual_seed(4)
    logits = torch.tensor([[2.0, 0.0, -1.0]], dtype=torch.float64).repeat(4000, 1)
    y = F.gumbel_softmax(logits, tau=0.5)
    np.testing.assert_allclose(y.sum(-1).numpy(), 1.0, rtol=1e-12)
    # argmax frequencies follow softmax(logits) (the Gumbel-max trick)
    counts = np.bincount(y.argmax(-1).numpy(), minlength=3) / 4000
    p = np.exp([2.0, 0.0, -1.0]) / np.exp([2.0, 0.0, -1.0]).sum()
    np.testing.assert_allclose(counts, p, atol=0.03)
    leaf = logits[:5].clone().requires_grad_(True)
    torch.manual_seed(5)
    h = F.gumbel_softmax(leaf, hard=True)
    hv = h.detach().numpy()
    assert set(np.unique(hv)) == {0.0, 1.0} and (hv.sum(-1) == 1).all()
    # straight-through: the gradient is the soft sample's
    torch.manual_seed(5)
    soft = F.gumbel_softmax(leaf.detach().requires_grad_(True), hard=False)
    assert (soft.argmax(-1) == h.argmax(-1)).all().item()
    w = torch.tensor([1.0, -2.0, 3.0], dtype=torch.float64)
    (h * w).sum().backward()
    ls = leaf.detach().clone().requires_grad_(True)
    torch.manual_seed(5)
    (F.gumbel_softmax(ls) * w).sum().backward()
    np.testing.assert_allclose(leaf.grad.numpy(), ls.grad.numpy(), rtol=1e-12)


# ------------------------------------------------------------------ one_hot

def test_one_hot_values_and_dtype():
    r = F.one_hot(torch.tensor([[0, 2], [1, 0]]))
    assert r.dtype == torch.int64 and tuple(r.shape) == (2, 2, 3)
    np.testing.assert_array_equal(r.numpy(), np.eye(3, dtype=np.int64)[[[0, 2], [1, 0]]])
    assert tuple(F.one_hot(torch.tensor([1]), 5).shape) == (1, 5)
    assert tuple(F.one_hot(torch.zeros(0, dtype=torch.int64), 4).shape) == (0, 4)
    assert F.one_hot(torch.tensor(2), 4).tolist() == [0, 0, 1, 0]


@pytest.mark.parametrize("call,msg", [
    (lambda: F.one_hot(torch.tensor([0, 2, 1]), 2), "Class values must be smaller than num_classes."),
    (lambda: F.one_hot(torch.tensor([0, -1, 1])), "Class values must be non-negative."),
    (lambda: F.one_hot(torch.tensor([0.0, 1.0])),
     "one_hot is only applicable to index tensor of type LongTensor."),
    (lambda: F.one_hot(torch.tensor([0, 1], dtype=torch.int32)),
     "one_hot is only applicable to index tensor of type LongTensor."),
    (lambda: F.one_hot(torch.zeros(0, dtype=torch.int64)),
     "Can not infer total number of classes from empty tensor."),
])
def test_one_hot_errors(call, msg):
    with pytest.raises(RuntimeError) as info:
        call()
    assert msg in str(info.value)


# ------------------------------------------------------------ embedding_bag

def test_torch_embedding_bag_returns_pytorchs_four_tensors():
    w = torch.randn(10, 3)
    i = torch.tensor([1, 2, 4, 5, 4, 3, 2, 9])
    o = torch.tensor([0, 4])
    out, o2b, size, mx = torch.embedding_bag(w, i, o, False, 0)
    assert o2b.tolist() == [] and size.tolist() == [0, 0] and mx.tolist() == [0, 0]
    out, o2b, size, mx = torch.embedding_bag(w, i, o, False, 1, False, None, False, 2)
    assert o2b.tolist() == [0, 0, 0, 0, 1, 1, 1, 1] and size.tolist() == [3, 3]
    assert mx.tolist() == [3, 3]
    out, o2b, size, mx = torch.embedding_bag(w, i, o, False, 2)
    wn = w.numpy()
    expect = [[[1, 2, 4, 5][int(np.argmax(wn[[1, 2, 4, 5], d]))] for d in range(3)],
              [[4, 3, 2, 9][int(np.argmax(wn[[4, 3, 2, 9], d]))] for d in range(3)]]
    assert mx.tolist() == expect and size.tolist() == [4, 4]


def test_embedding_bag_max_gradient_goes_to_the_winners():
    w = torch.tensor([[1.0, 5.0], [3.0, 2.0], [0.0, 0.0]], dtype=torch.float64,
                     requires_grad=True)
    out = F.embedding_bag(torch.tensor([0, 1, 2]), w, torch.tensor([0, 2]), mode="max")
    assert out.tolist() == [[3.0, 5.0], [0.0, 0.0]]
    out.sum().backward()
    assert w.grad.tolist() == [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]


@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_composition_matches_the_kernels(training, monkeypatch):
    # a device without the batch-norm kernels runs the composition of ops
    from ctorch._ops import nnmisc as kernels
    rng = np.random.default_rng(6)
    x0, w0, b0 = rng.standard_normal((5, 3, 4)), rng.standard_normal(3), rng.standard_normal(3)
    g = _t(rng.standard_normal((5, 3, 4)))
    results = []
    for has in (True, False):
        monkeypatch.setattr(kernels, "_has_kernels", lambda x, has=has: has)
        x, w, b = (_t(a).requires_grad_(True) for a in (x0, w0, b0))
        rm, rv = _t(np.zeros(3)), _t(np.ones(3) * 2)
        y = F.batch_norm(x, rm, rv, w, b, training=training, momentum=0.2)
        assert type(y.grad_fn).__name__ == "NativeBatchNormBackward0"
        y.backward(g)
        results.append([a.detach().numpy() for a in (y, x.grad, w.grad, b.grad, rm, rv)])
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
