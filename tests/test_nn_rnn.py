"""The recurrent functions' behaviour that is not one value (the values and
gradients of the cells and of the padded multi-layer forms are table entries,
tests/op_db_nn_rnn.py): return tuples and layouts, LSTM projections, the
packed form against per-sequence runs, unbatched Elman RNNs, dropout between
layers, and gradients through the packed and projected forms."""
import numpy as np
import pytest

import ctorch as torch
from tests import op_db_nn  # noqa: F401  (the main table, which appends this family's)
from tests.op_db_nn_rnn import np_lstm_cell, np_stacked

RNG = np.random.default_rng(7)


def arr(*s):
    return RNG.standard_normal(s) * 0.5


def params(gates, I, H, layers=1, ndir=1, biases=True, proj=0):
    ps = []
    out = proj or H
    for layer in range(layers):
        for _ in range(ndir):
            ps += [arr(gates * H, I if layer == 0 else out * ndir), arr(gates * H, out)]
            if biases:
                ps += [arr(gates * H), arr(gates * H)]
            if proj:
                ps.append(arr(proj, H))
    return ps


def T(a, grad=False):
    return torch.tensor(a).requires_grad_(grad)


@pytest.mark.parametrize("mode,gates", [("rnn_tanh", 1), ("rnn_relu", 1), ("gru", 3), ("lstm", 4)])
def test_return_tuples_shapes_and_batch_first_layout(mode, gates):
    x = arr(5, 3, 4)
    ps = [T(p) for p in params(gates, 4, 2, layers=2, ndir=2)]
    h0 = T(arr(4, 3, 2))
    hx = (h0, T(arr(4, 3, 2))) if mode == "lstm" else h0
    fn = getattr(torch, mode)
    r = fn(T(x), hx, ps, True, 2, 0.0, True, True, False)
    assert isinstance(r, tuple) and len(r) == (3 if mode == "lstm" else 2)
    assert tuple(r[0].shape) == (5, 3, 4) and tuple(r[1].shape) == (4, 3, 2)
    assert r[0].is_contiguous() and r[1].is_contiguous()
    rb = fn(T(x.swapaxes(0, 1).copy()), hx, ps, True, 2, 0.0, True, True, True)
    assert tuple(rb[0].shape) == (3, 5, 4)
    np.testing.assert_allclose(rb[0].numpy(), r[0].numpy().swapaxes(0, 1), rtol=1e-12, atol=1e-12)
    for a, b in zip(r[1:], rb[1:]):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-12, atol=1e-12)


def test_lstm_cell_returns_contiguous_pair_and_gradient_of_h_alone():
    x, h, c = T(arr(3, 4), True), T(arr(3, 5)), T(arr(3, 5), True)
    w_ih, w_hh = T(arr(20, 4), True), T(arr(20, 5), True)
    hy, cy = torch.lstm_cell(x, [h, c], w_ih, w_hh)
    assert hy.is_contiguous() and cy.is_contiguous()
    assert torch.autograd.gradcheck(lambda *a: torch.lstm_cell(a[0], (h, a[1]), a[2], a[3])[0],
                                    (x, c, w_ih, w_hh))
    assert torch.autograd.gradcheck(lambda *a: torch.lstm_cell(a[0], (h, a[1]), a[2], a[3])[1],
                                    (x, c, w_ih, w_hh))


def np_lstm_proj(x, h0, c0, ps, ndir):
    """One LSTM layer with projections, each direction: h = w_hr (o tanh(c))."""
    outs, hs, cs = [], [], []
    for d in range(ndir):
        wi, wh, bi, bh, wr = ps[d * 5:(d + 1) * 5]
        h, c = h0[d], c0[d]
        seq = [None] * x.shape[0]
        for t in (range(x.shape[0] - 1, -1, -1) if d else range(x.shape[0])):
            h, c = np_lstm_cell(x[t], h, c, wi, wh, bi, bh)
            h = h @ wr.T
            seq[t] = h
        outs.append(np.stack(seq))
        hs.append(h)
        cs.append(c)
    return np.concatenate(outs, -1), np.stack(hs), np.stack(cs)


def test_lstm_with_projections():
    x, h0, c0 = arr(4, 2, 3), arr(2, 2, 2), arr(2, 2, 5)
    ps = params(4, 3, 5, ndir=2, proj=2)
    out, hn, cn = torch.lstm(T(x), (T(h0), T(c0)), [T(p) for p in ps], True, 1, 0.0, True, True, False)
    ref = np_lstm_proj(x, h0, c0, ps, 2)
    assert tuple(out.shape) == (4, 2, 4) and tuple(hn.shape) == (2, 2, 2) and tuple(cn.shape) == (2, 2, 5)
    for got, want in zip((out, hn, cn), ref):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-12, atol=1e-12)
    leaves = [T(a, True) for a in [x, h0, c0] + ps]

    def f(x, h, c, *p):
        return torch.lstm(x, (h, c), list(p), True, 1, 0.0, True, True, False)[0]
    assert torch.autograd.gradcheck(f, tuple(leaves))


@pytest.mark.parametrize("mode,gates", [("rnn_tanh", 1), ("gru", 3), ("lstm", 4)])
def test_packed_form_equals_each_sequence_run_alone(mode, gates):
    # three sequences of lengths 3, 2, 1, packed time-major
    lengths, I, H, L = [3, 2, 1], 3, 2, 2
    seqs = [arr(n, I) for n in lengths]
    batch_sizes = [sum(1 for n in lengths if n > t) for t in range(max(lengths))]
    data = np.concatenate([np.stack([s[t] for s in seqs if len(s) > t]) for t in range(len(batch_sizes))])
    ps = params(gates, I, H, layers=L, ndir=2)
    h0, c0 = arr(2 * L, 3, H), arr(2 * L, 3, H)
    fn = getattr(torch, mode)
    tps = [T(p) for p in ps]
    hx = (T(h0), T(c0)) if mode == "lstm" else T(h0)
    r = fn(T(data), torch.tensor(batch_sizes), hx, tps, True, L, 0.0, True, True)
    assert tuple(r[0].shape) == (data.shape[0], 2 * H)
    rows = np.cumsum([0] + batch_sizes)
    for b, s in enumerate(seqs):
        want = np_stacked(mode, s[:, None], h0[:, b:b + 1], c0[:, b:b + 1] if mode == "lstm" else None,
                          ps, True, L, True, False)
        got_out = np.stack([r[0].numpy()[rows[t] + b] for t in range(len(s))])[:, None]
        got = np.concatenate([got_out.reshape(-1), r[1].numpy()[:, b].reshape(-1)]
                             + ([r[2].numpy()[:, b].reshape(-1)] if mode == "lstm" else []))
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_packed_lstm_gradcheck():
    bs = torch.tensor([2, 2, 1])
    leaves = [T(a, True) for a in [arr(5, 2), arr(2, 2, 2), arr(2, 2, 2)] + params(4, 2, 2, ndir=2)]

    def f(x, h, c, *p):
        out, hn, cn = torch.lstm(x, bs, (h, c), list(p), True, 1, 0.0, True, True)
        return out, hn, cn
    assert torch.autograd.gradcheck(f, tuple(leaves))


def test_packed_errors():
    p = [torch.randn(2, 3), torch.randn(2, 2)]
    with pytest.raises(RuntimeError, match="batch_sizes must be positive and non-increasing"):
        torch.rnn_tanh(torch.randn(3, 3), torch.tensor([1, 2]), torch.zeros(1, 2, 2), p, False, 1, 0.0,
                       True, False)
    with pytest.raises(RuntimeError, match="sum"):
        torch.rnn_tanh(torch.randn(4, 3), torch.tensor([2, 1]), torch.zeros(1, 2, 2), p, False, 1, 0.0,
                       True, False)


def test_unbatched_elman_rnn_is_the_batch_of_one():
    x, h0 = arr(4, 3), arr(2, 2)
    ps = [T(p) for p in params(1, 3, 2, ndir=2)]
    out, hn = torch.rnn_tanh(T(x), T(h0), ps, True, 1, 0.0, True, True, False)
    out1, hn1 = torch.rnn_tanh(T(x[:, None]), T(h0[:, None]), ps, True, 1, 0.0, True, True, False)
    assert tuple(out.shape) == (4, 4) and tuple(hn.shape) == (2, 2)
    np.testing.assert_allclose(out.numpy(), out1.numpy()[:, 0], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(hn.numpy(), hn1.numpy()[:, 0], rtol=1e-12, atol=1e-12)
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-2, 1\]"):
        torch.lstm(T(x), (T(h0), T(h0)), [T(p) for p in params(4, 3, 2, ndir=2)], True, 1, 0.0, True,
                   True, False)


def test_dropout_between_layers_only_when_training():
    x, h0 = T(arr(4, 2, 3)), T(arr(2, 2, 2))
    ps = [T(p) for p in params(3, 3, 2, layers=2)]
    base = torch.gru(x, h0, ps, True, 2, 0.0, True, False, False)
    ev = torch.gru(x, h0, ps, True, 2, 0.9, False, False, False)
    for a, b in zip(base, ev):
        assert (a == b).all().item()
    # p = 1 zeroes the second layer's input: it then sees only its biases
    dropped = torch.gru(x, h0, ps, True, 2, 1.0, True, False, False)
    zero_in = np.zeros((4, 2, 2))
    want = np_stacked("gru", zero_in, h0.numpy()[1:], None, [p.numpy() for p in ps[4:]], True, 1,
                      False, False)
    got = np.concatenate([dropped[0].numpy().reshape(-1), dropped[1].numpy()[1:].reshape(-1)])
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    # the first layer's final state does not depend on the dropout
    np.testing.assert_allclose(dropped[1].numpy()[0], base[1].numpy()[0], rtol=1e-12)


def test_keyword_arguments_and_bad_combinations():
    x, h0 = T(arr(4, 2, 3)), T(arr(1, 2, 2))
    ps = [T(p) for p in params(1, 3, 2)]
    a = torch.rnn_relu(x, h0, ps, True, 1, 0.0, True, False, False)
    b = torch.rnn_relu(input=x, hx=h0, params=ps, has_biases=True, num_layers=1, dropout=0.0,
                       train=True, bidirectional=False, batch_first=False)
    assert (a[0] == b[0]).all().item()
    with pytest.raises(TypeError, match="received an invalid combination of arguments"):
        torch.rnn_relu(x, h0, ps, True, 1.0, 0.0, True, False, False)
    with pytest.raises(TypeError, match="received an invalid combination of arguments"):
        torch.lstm(x, (h0, h0), ps, 1, 1, 0.0, True, False, False)
    with pytest.raises(TypeError, match="unexpected keyword argument 'b_h'"):
        torch.lstm_cell(x[0], (h0[0], h0[0]), torch.randn(8, 3), torch.randn(8, 2), b_h=None)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("bidirectional,batch_first", [(False, False), (True, True)])
def test_lstm_sequence_kernel_and_the_steps_one_at_a_time_agree(monkeypatch, dtype, bidirectional,
                                                                batch_first):
    # a padded LSTM layer on the CPU runs as one sequence kernel; the steps
    # one at a time (what other devices run) must give the same values and
    # gradients, and both the numpy reference's
    from ctorch.nn import _rnn
    ndir = 2 if bidirectional else 1
    x, h0, c0 = arr(6, 3, 4), arr(2 * ndir, 3, 5), arr(2 * ndir, 3, 5)
    ps = params(4, 4, 5, layers=2, ndir=ndir)
    want = np_stacked("lstm", x, h0, c0, ps, True, 2, bidirectional, False)

    def run():
        xt = T(x.swapaxes(0, 1) if batch_first else x, True).to(getattr(torch, dtype))
        st = [T(h0, True).to(xt.dtype), T(c0, True).to(xt.dtype)]
        pt = [T(p, True).to(xt.dtype) for p in ps]
        for t in [xt] + st + pt:
            t.retain_grad()
        out, hn, cn = torch.lstm(xt, tuple(st), pt, True, 2, 0.0, False, bidirectional, batch_first)
        ((out * out).sum() + (hn * 1.5).sum() + (cn * cn).sum()).backward()
        return [out.transpose(0, 1) if batch_first else out, hn, cn], [t.grad for t in [xt] + st + pt]

    fused, gfused = run()
    monkeypatch.setattr(_rnn, "_lstm_seq_ok", lambda t: False)
    steps, gsteps = run()
    tol = 1e-5 if dtype == "float32" else 1e-12
    got = np.concatenate([a.detach().numpy().reshape(-1) for a in fused])
    np.testing.assert_allclose(got, want, rtol=tol * 10, atol=tol * 10)
    for a, b in zip(fused, steps):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=tol, atol=tol)
    for a, b in zip(gfused, gsteps):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=tol * 10, atol=tol * 10)


def test_lstm_steps_one_at_a_time_gradcheck(monkeypatch):
    from ctorch.nn import _rnn
    monkeypatch.setattr(_rnn, "_lstm_seq_ok", lambda t: False)
    x, h0, c0 = T(arr(3, 2, 3), True), T(arr(1, 2, 4), True), T(arr(1, 2, 4), True)
    ps = [T(p, True) for p in params(4, 3, 4)]
    assert torch.autograd.gradcheck(
        lambda *a: torch.lstm(a[0], (a[1], a[2]), list(a[3:]), True, 1, 0.0, False, False, False)[0],
        (x, h0, c0, *ps))


def test_lstm_output_modified_in_place_keeps_the_layers_gradients():
    # the sequence kernel's backward does not read the returned output: an
    # in-place change of it is the caller's op, with its own gradient
    x, h0, c0 = T(arr(5, 2, 3)), T(arr(1, 2, 4)), T(arr(1, 2, 4))
    ps = [T(p, True) for p in params(4, 3, 4)]
    grads = []
    for inplace in (False, True):
        for p in ps:
            p.grad = None
        out, hn, cn = torch.lstm(x, (h0, c0), ps, True, 1, 0.0, False, False, False)
        if inplace:
            out.mul_(1.0).add_(1.0)
        (out.sum() + cn.sum()).backward()
        grads.append([p.grad.numpy().copy() for p in ps])
    for a, b in zip(*grads):
        np.testing.assert_array_equal(a, b)
