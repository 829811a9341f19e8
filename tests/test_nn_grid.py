"""Behaviour of the resampling, attention and CTC functions that is not a
table value (tests/op_db_nn_grid.py holds those): deprecation and
align_corners warnings, the torch-level forms, CTC's infinite losses and
gradients, attention dropout, multi_head_attention_forward against numpy."""
import math

import numpy as np
import pytest

import ctorch as torch
import tests.op_db_nn  # noqa: F401  (the main table loads this family's entries)
from ctorch.nn._grid import _grid_sample_compute
from tests.op_db_nn_grid import np_ctc, np_grid_sample, np_interpolate, np_sdpa, _np_log_softmax

F = torch.nn.functional


@pytest.mark.parametrize("name,kw,mode,align", [
    ("upsample", {"scale_factor": 2}, "nearest", None),
    ("upsample_nearest", {"scale_factor": 2}, "nearest", None),
    ("upsample_bilinear", {"size": (5, 7)}, "bilinear", True),
])
def test_upsample_aliases_warn_and_match_interpolate(name, kw, mode, align):
    x = torch.randn(1, 2, 3, 4)
    with pytest.warns(UserWarning, match=f"`nn.functional.{name}` is deprecated. Use "
                                         "`nn.functional.interpolate` instead."):
        r = getattr(F, name)(x, **kw)
    ref = np_interpolate(x.numpy(), mode=mode, align_corners=align, **kw)
    np.testing.assert_allclose(r.numpy(), ref, rtol=1e-5, atol=1e-6)


def test_interpolate_grad_fn_names_per_mode():
    names = {("nearest", 3): "UpsampleNearest1DBackward0", ("nearest", 5): "UpsampleNearest3DBackward0",
             ("nearest-exact", 4): "UpsampleNearestExact2DBackward0",
             ("linear", 3): "UpsampleLinear1DBackward0", ("bicubic", 4): "UpsampleBicubic2DBackward0",
             ("trilinear", 5): "UpsampleTrilinear3DBackward0",
             ("area", 4): "AdaptiveAvgPool2DBackward0", ("area", 5): "AdaptiveAvgPool3DBackward0"}
    for (mode, nd), name in names.items():
        x = torch.randn(*((1, 2) + (3,) * (nd - 2)), requires_grad=True)
        assert type(F.interpolate(x, scale_factor=2, mode=mode).grad_fn).__name__ == name
    x = torch.randn(1, 2, 6, 6, requires_grad=True)
    for mode, name in (("bilinear", "UpsampleBilinear2DAaBackward0"),
                       ("bicubic", "UpsampleBicubic2DAaBackward0")):
        r = F.interpolate(x, size=(3, 4), mode=mode, antialias=True)
        assert type(r.grad_fn).__name__ == name


def test_interpolate_gradgradcheck_bilinear():
    x = torch.randn(1, 1, 3, 3, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradgradcheck(
        lambda a: F.interpolate(a, scale_factor=1.5, mode="bilinear") ** 2, (x,))


def test_grid_sample_and_affine_grid_warn_without_align_corners():
    theta = torch.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
    with pytest.warns(UserWarning, match="Default grid_sample and affine_grid behavior has changed"):
        g = F.affine_grid(theta, (1, 1, 3, 4))
    x = torch.randn(1, 1, 3, 4)
    with pytest.warns(UserWarning, match="Default grid_sample and affine_grid behavior has changed"):
        r = F.grid_sample(x, g)
    # the identity transform samples the input back
    np.testing.assert_allclose(r.numpy(), x.numpy(), rtol=1e-5, atol=1e-6)


def test_torch_grid_sampler_takes_codes():
    x, g = torch.randn(1, 2, 3, 4), torch.rand(1, 2, 2, 2) * 2 - 1
    for m, mode in enumerate(("bilinear", "nearest", "bicubic")):
        for p, pad in enumerate(("zeros", "border", "reflection")):
            a = torch.grid_sampler(x, g, m, p, True)
            b = F.grid_sample(x, g, mode=mode, padding_mode=pad, align_corners=True)
            assert (a == b).all().item()
    with pytest.raises(TypeError, match="must be int"):
        torch.grid_sampler(x, g, "bilinear", 0, True)


@pytest.mark.parametrize("nd", [2, 3])
@pytest.mark.parametrize("mode", ["bilinear", "nearest", "bicubic"])
@pytest.mark.parametrize("padding", ["zeros", "border", "reflection"])
@pytest.mark.parametrize("align", [False, True])
@pytest.mark.parametrize("path", ["kernel", "composite"])
def test_grid_sample_nan_coordinates(nd, mode, padding, align, path):
    """A NaN grid coordinate: out of range under zeros padding, padded to the
    first position in 2-D and the last in 3-D; 2-D bilinear with zeros padding
    and bicubic give NaN at that point; the input's gradient stays finite but
    for bicubic with border or reflection padding."""
    if nd == 3 and mode == "bicubic":
        return
    rng = np.random.default_rng(nd)
    x = rng.standard_normal((2, 3) + (4,) * nd)
    grid = rng.uniform(-1.1, 1.1, (2, 5, 1) + (1,) * (nd - 2) + (nd,))
    nan = np.zeros(grid.shape, bool)
    nan[0, 0, ..., 0] = nan[0, 1, ..., nd - 1] = nan[1, 2] = True
    grid[nan] = np.nan
    point_nan = nan.any(-1)
    sub = np.where(nan, -3.0 if padding == "zeros" else (-1.0 if nd == 2 else 1.0), grid)
    if padding != "zeros" and not align:
        # -1 / 1 map to -0.5 / n - 0.5 without align_corners; the padded
        # first / last position is what a NaN gives
        sub = np.where(nan, -1.0 + 1.0 / 4 if nd == 2 else 1.0 - 1.0 / 4, grid)
    want = np_grid_sample(x, sub, mode=mode, padding_mode=padding, align_corners=align)
    if mode == "bicubic" or (nd == 2 and padding == "zeros" and mode == "bilinear"):
        want[np.broadcast_to(point_nan[:, None], want.shape)] = np.nan
    xt = torch.tensor(x, requires_grad=True)
    gt = torch.tensor(grid)
    if path == "kernel":
        got = F.grid_sample(xt, gt, mode=mode, padding_mode=padding, align_corners=align)
    else:
        got = _grid_sample_compute(xt, gt, mode, padding, align)
    np.testing.assert_allclose(got.detach().numpy(), want, rtol=1e-10, atol=1e-12)
    got.nan_to_num(0.0).sum().backward()
    if mode != "bicubic" or padding == "zeros":
        # (bicubic's padded taps carry the NaN weights into the input's
        # gradient, as PyTorch's do)
        assert np.isfinite(xt.grad.numpy()).all()


def _ctc_case():
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((6, 2, 4))
    tg = np.array([[1, 2, 2], [3, 1, 0]])
    return logits, tg, np.array([6, 5]), np.array([3, 2])


def test_ctc_reductions_and_torch_level_codes():
    logits, tg, il, tl = _ctc_case()
    lp = torch.tensor(_np_log_softmax(logits, -1))
    args = (lp, torch.tensor(tg), torch.tensor(il), torch.tensor(tl))
    none = np_ctc(lp.numpy(), tg, il, tl, reduction="none")
    np.testing.assert_allclose(torch.ctc_loss(*args).numpy(), none, rtol=1e-12)
    np.testing.assert_allclose(torch.ctc_loss(*args, 0, 1).item(), (none / tl).mean(), rtol=1e-12)
    np.testing.assert_allclose(torch.ctc_loss(lp, args[1], [6, 5], [3, 2], 0, 2).item(),
                               none.sum(), rtol=1e-12)
    np.testing.assert_allclose(F.ctc_loss(lp, args[1], (6, 5), (3, 2)).item(), (none / tl).mean(),
                               rtol=1e-12)
    with pytest.raises(TypeError, match="invalid combination of arguments"):
        torch.ctc_loss(lp, args[1], args[2], args[3], 0, "mean")


def test_ctc_infinite_loss_and_zero_infinity():
    lp = torch.randn(2, 1, 4, dtype=torch.float64).log_softmax(2).requires_grad_(True)
    tg, il, tl = torch.tensor([[1, 2, 3]]), torch.tensor([2]), torch.tensor([3])
    loss = F.ctc_loss(lp, tg, il, tl, reduction="sum")
    assert loss.item() == math.inf
    loss.backward()
    assert np.isnan(lp.grad.numpy()).all()
    lp.grad = None
    loss = F.ctc_loss(lp, tg, il, tl, reduction="sum", zero_infinity=True)
    assert loss.item() == 0.0
    loss.backward()
    assert (lp.grad.numpy() == 0).all()


def test_ctc_gradient_is_pytorchs_logit_gradient():
    # the gradient of log_probs is exp(log_probs) - the class posteriors, zero
    # past the input length; through log_softmax it is the exact gradient of
    # the logits (finite differences of the numpy loss)
    logits, tg, il, tl = _ctc_case()
    lp = torch.tensor(_np_log_softmax(logits, -1)).requires_grad_(True)
    F.ctc_loss(lp, torch.tensor(tg), torch.tensor(il), torch.tensor(tl), reduction="sum").backward()
    g = lp.grad.numpy()
    assert (g[5, 1] == 0).all()                 # sequence 1 has 5 frames
    eps, num = 1e-6, np.zeros_like(logits)
    for idx in np.ndindex(*logits.shape):
        up, dn = logits.copy(), logits.copy()
        up[idx] += eps
        dn[idx] -= eps
        num[idx] = (np_ctc(_np_log_softmax(up, -1), tg, il, tl, reduction="sum") -
                    np_ctc(_np_log_softmax(dn, -1), tg, il, tl, reduction="sum")) / (2 * eps)
    np.testing.assert_allclose(g, num, rtol=1e-5, atol=1e-7)


def test_sdpa_dropout():
    q = torch.randn(2, 3, 4)
    assert (F.scaled_dot_product_attention(q, q, q, dropout_p=1.0) == 0).all().item()
    torch.manual_seed(3)
    a = F.scaled_dot_product_attention(q, q, q, dropout_p=0.5)
    torch.manual_seed(3)
    b = F.scaled_dot_product_attention(q, q, q, dropout_p=0.5)
    assert (a == b).all().item()
    assert not np.allclose(a.numpy(), np_sdpa(q.numpy(), q.numpy(), q.numpy()))


def _np_mha(q, k, v, heads, w_in, b_in, w_out, b_out, kpm=None, mask=None):
    L, N, E = q.shape
    hd = E // heads
    wq, wk, wv = np.split(w_in, 3)
    bq, bk, bv = np.split(b_in, 3)
    outs, weights = np.zeros((L, N, E)), np.zeros((N, heads, L, k.shape[0]))
    for n in range(N):
        qp, kp, vp = q[:, n] @ wq.T + bq, k[:, n] @ wk.T + bk, v[:, n] @ wv.T + bv
        heads_out = []
        for h in range(heads):
            sl = slice(h * hd, (h + 1) * hd)
            s = qp[:, sl] @ kp[:, sl].T / math.sqrt(hd)
            if mask is not None:
                s = np.where(mask, -np.inf, s)
            if kpm is not None:
                s = np.where(kpm[n][None, :], -np.inf, s)
            e = np.exp(s - s.max(-1, keepdims=True))
            w = e / e.sum(-1, keepdims=True)
            weights[n, h] = w
            heads_out.append(w @ vp[:, sl])
        outs[:, n] = np.concatenate(heads_out, -1) @ w_out.T + b_out
    return outs, weights.mean(1)


@pytest.mark.parametrize("need_weights", [True, False])
def test_multi_head_attention_forward_matches_numpy(need_weights):
    rng = np.random.default_rng(5)
    L, S, N, E, H = 3, 4, 2, 6, 2
    q, k, v = (rng.standard_normal(s) for s in ((L, N, E), (S, N, E), (S, N, E)))
    w_in, b_in = rng.standard_normal((3 * E, E)) * 0.3, rng.standard_normal(3 * E) * 0.1
    w_out, b_out = rng.standard_normal((E, E)) * 0.3, rng.standard_normal(E) * 0.1
    kpm = np.array([[False, False, True, False], [False, True, False, False]])
    mask = np.zeros((L, S), bool)
    mask[0, 3] = True
    T = lambda a: torch.tensor(a)
    out, w = F.multi_head_attention_forward(
        T(q), T(k), T(v), E, H, T(w_in), T(b_in), None, None, False, 0.0, T(w_out), T(b_out),
        training=False, key_padding_mask=T(kpm), need_weights=need_weights, attn_mask=T(mask))
    ref_out, ref_w = _np_mha(q, k, v, H, w_in, b_in, w_out, b_out, kpm, mask)
    np.testing.assert_allclose(out.numpy(), ref_out, rtol=1e-10, atol=1e-12)
    if need_weights:
        np.testing.assert_allclose(w.numpy(), ref_w, rtol=1e-10, atol=1e-12)
    else:
        assert w is None
    with pytest.raises(AssertionError, match="was expecting embedding dimension of 8, but got 6"):
        F.multi_head_attention_forward(T(q), T(k), T(v), 8, H, T(w_in), T(b_in), None, None, False,
                                       0.0, T(w_out), T(b_out))


def test_multi_head_attention_forward_gradients():
    rng = np.random.default_rng(6)
    E, H = 4, 2
    q = torch.tensor(rng.standard_normal((3, 2, E))).requires_grad_(True)
    w_in = torch.tensor(rng.standard_normal((3 * E, E)) * 0.3).requires_grad_(True)
    w_out = torch.tensor(rng.standard_normal((E, E)) * 0.3).requires_grad_(True)

    def f(q, w_in, w_out):
        return F.multi_head_attention_forward(q, q, q, E, H, w_in, None, None, None, False, 0.0,
                                              w_out, None, need_weights=False)[0]
    assert torch.autograd.gradcheck(f, (q, w_in, w_out))


@pytest.mark.parametrize("mode,shape,kw", [
    ("linear", (1, 2, 7), {"size": 12}),
    ("bilinear", (1, 1, 4, 5), {"scale_factor": 1.5, "align_corners": True}),
    ("bicubic", (1, 1, 4, 5), {"size": (3, 8)}),
    ("area", (1, 1, 7, 5), {"size": (3, 2)}),
    ("trilinear", (1, 1, 2, 3, 4), {"scale_factor": 0.7}),
])
def test_interpolate_long_dims_take_weighted_selections(monkeypatch, mode, shape, kw):
    # past a size limit a dim resamples by weighted index_select instead of a
    # dense matrix product; force that path on small inputs
    from ctorch.nn import _grid
    monkeypatch.setattr(_grid, "_DENSE_LIMIT", 0)
    rng = np.random.default_rng(7)
    a = rng.standard_normal(shape)
    x = torch.tensor(a).requires_grad_(True)
    np.testing.assert_allclose(F.interpolate(x, mode=mode, **kw).detach().numpy(),
                               np_interpolate(a, mode=mode, **kw), rtol=1e-12, atol=1e-12)
    assert torch.autograd.gradcheck(lambda t: F.interpolate(t, mode=mode, **kw), (x,))


def test_interpolate_huge_output_is_refused_cleanly():
    with pytest.raises(RuntimeError):
        F.interpolate(torch.randn(1, 1, 4), size=1 << 50)


@pytest.mark.parametrize("nt", [1, 2, 3])
@pytest.mark.parametrize("N", [1, 5])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("mode,padding", [("bilinear", "zeros"), ("bilinear", "border"),
                                          ("nearest", "zeros"), ("bicubic", "reflection")])
def test_grid_sample_large_batches_and_threads(mode, padding, dtype, N, nt, threads):
    # enough points and channels to split the work (an image per thread when
    # there are as many images as threads, channels otherwise), a point count
    # that is not a multiple of the vector width (NaN coordinates: above)
    threads(nt)
    rng = np.random.default_rng(N + nt)
    x = rng.standard_normal((N, 7, 13, 17)).astype(dtype)
    g = (rng.random((N, 37, 29, 2)) * 2.4 - 1.2).astype(dtype)
    got = F.grid_sample(torch.from_numpy(x), torch.from_numpy(g), mode=mode, padding_mode=padding,
                        align_corners=False)
    ref = np_grid_sample(x, g, mode=mode, padding_mode=padding, align_corners=False)
    np.testing.assert_allclose(got.numpy(), ref, rtol=1e-4 if dtype == "float32" else 1e-10,
                               atol=1e-4 if dtype == "float32" else 1e-10)
