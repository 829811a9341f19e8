"""The recurrent, attention and transformer layer classes: RNNCell, LSTMCell,
GRUCell, RNN, LSTM, GRU, MultiheadAttention, TransformerEncoderLayer,
TransformerDecoderLayer, TransformerEncoder, TransformerDecoder, Transformer.
Forwards are checked against numpy recurrences / attention written from the
documented equations, reprs against PyTorch's documented format, parameter
names, shapes and init bounds against the documentation, gradients with
gradcheck."""
import copy
import math
import warnings

import numpy as np
import pytest

import ctorch as torch
import ctorch.nn as nn
import ctorch.nn.functional as F


def _np(t):
    return t.detach().numpy()


def _sig(x):
    return 1.0 / (1.0 + np.exp(-x))


# ------------------------------------------------------- numpy references

def _cell_ref(mode, x, h, c, w_ih, w_hh, b_ih, b_hh, w_hr=None):
    """One step of the documented cell equations; x (N, I), h (N, Hout)."""
    gi = x @ w_ih.T + (0 if b_ih is None else b_ih)
    gh = h @ w_hh.T + (0 if b_hh is None else b_hh)
    if mode == "rnn_tanh":
        return np.tanh(gi + gh), None
    if mode == "rnn_relu":
        return np.maximum(gi + gh, 0), None
    if mode == "gru":
        H = h.shape[1]
        r = _sig(gi[:, :H] + gh[:, :H])
        z = _sig(gi[:, H:2 * H] + gh[:, H:2 * H])
        n = np.tanh(gi[:, 2 * H:] + r * gh[:, 2 * H:])
        return (1 - z) * n + z * h, None
    g = gi + gh
    H = c.shape[1]
    i, f, gg, o = _sig(g[:, :H]), _sig(g[:, H:2 * H]), np.tanh(g[:, 2 * H:3 * H]), _sig(g[:, 3 * H:])
    c2 = f * c + i * gg
    h2 = o * np.tanh(c2)
    if w_hr is not None:
        h2 = h2 @ w_hr.T
    return h2, c2


def _seq_ref(m, mode, x, h0, c0):
    """The stacked (bi)directional recurrence over x (T, N, I) with the
    module's parameters; returns output, h_n, c_n."""
    ndir = 2 if m.bidirectional else 1
    hs, cs = [], []
    inp = x
    for layer in range(m.num_layers):
        outs = []
        for d in range(ndir):
            sfx = f"_l{layer}" + ("_reverse" if d else "")
            get = lambda n: None if getattr(m, n + sfx, None) is None else _np(getattr(m, n + sfx))
            k = layer * ndir + d
            h, c = h0[k], (None if c0 is None else c0[k])
            steps = range(inp.shape[0] - 1, -1, -1) if d else range(inp.shape[0])
            out = [None] * inp.shape[0]
            for t in steps:
                h, c = _cell_ref(mode, inp[t], h, c, get("weight_ih"), get("weight_hh"),
                                 get("bias_ih"), get("bias_hh"), get("weight_hr"))
                out[t] = h
            outs.append(np.stack(out))
            hs.append(h)
            cs.append(c)
        inp = np.concatenate(outs, -1)
    return inp, np.stack(hs), (None if c0 is None else np.stack(cs))


def _mha_ref(m, q, k, v, attn_mask=None, key_padding_mask=None, average=True):
    """Multi-head attention from its definition; q (L, N, E), k, v (S, N, *);
    boolean masks True where attention is not allowed."""
    E, H = m.embed_dim, m.num_heads
    hd = E // H
    if m.in_proj_weight is not None:
        w = _np(m.in_proj_weight)
        wq, wk, wv = w[:E], w[E:2 * E], w[2 * E:]
    else:
        wq, wk, wv = _np(m.q_proj_weight), _np(m.k_proj_weight), _np(m.v_proj_weight)
    b = np.zeros(3 * E) if m.in_proj_bias is None else _np(m.in_proj_bias)
    Q, K, V = q @ wq.T + b[:E], k @ wk.T + b[E:2 * E], v @ wv.T + b[2 * E:]
    L, N, _ = Q.shape
    S = K.shape[0]
    heads = lambda a, n: a.reshape(n, N, H, hd).transpose(1, 2, 0, 3)   # (N, H, n, hd)
    Qh, Kh, Vh = heads(Q, L), heads(K, S), heads(V, S)
    sc = Qh @ Kh.transpose(0, 1, 3, 2) / math.sqrt(hd)
    if attn_mask is not None:
        sc = np.where(attn_mask[None, None], -np.inf, sc)
    if key_padding_mask is not None:
        sc = np.where(key_padding_mask[:, None, None, :], -np.inf, sc)
    sc = np.exp(sc - sc.max(-1, keepdims=True))
    a = sc / sc.sum(-1, keepdims=True)
    o = (a @ Vh).transpose(2, 0, 1, 3).reshape(L, N, E)
    ob = 0 if m.out_proj.bias is None else _np(m.out_proj.bias)
    o = o @ _np(m.out_proj.weight).T + ob
    return o, (a.mean(1) if average else a)


def _ln_ref(x, mod):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    y = (x - mu) / np.sqrt(var + mod.eps) * _np(mod.weight)
    return y if mod.bias is None else y + _np(mod.bias)


def _lin_ref(x, mod):
    y = x @ _np(mod.weight).T
    return y if mod.bias is None else y + _np(mod.bias)


def _enc_layer_ref(layer, x, mask=None):
    sa = lambda y: _mha_ref(layer.self_attn, y, y, y, attn_mask=mask)[0]
    ff = lambda y: _lin_ref(np.maximum(_lin_ref(y, layer.linear1), 0), layer.linear2)
    if layer.norm_first:
        x = x + sa(_ln_ref(x, layer.norm1))
        return x + ff(_ln_ref(x, layer.norm2))
    x = _ln_ref(x + sa(x), layer.norm1)
    return _ln_ref(x + ff(x), layer.norm2)


def _dec_layer_ref(layer, x, mem, mask=None):
    sa = lambda y: _mha_ref(layer.self_attn, y, y, y, attn_mask=mask)[0]
    ca = lambda y: _mha_ref(layer.multihead_attn, y, mem, mem)[0]
    ff = lambda y: _lin_ref(np.maximum(_lin_ref(y, layer.linear1), 0), layer.linear2)
    x = _ln_ref(x + sa(x), layer.norm1)
    x = _ln_ref(x + ca(x), layer.norm2)
    return _ln_ref(x + ff(x), layer.norm3)


# ----------------------------------------------------------------- cells

CELL_CASES = [
    # (class, args, kwargs, mode, chunks, repr)
    ("RNNCell", (3, 4), {}, "rnn_tanh", 1, "RNNCell(3, 4)"),
    ("RNNCell", (3, 4), {"nonlinearity": "relu", "bias": False}, "rnn_relu", 1,
     "RNNCell(3, 4, bias=False, nonlinearity=relu)"),
    ("LSTMCell", (3, 4), {}, "lstm", 4, "LSTMCell(3, 4)"),
    ("LSTMCell", (3, 4), {"bias": False}, "lstm", 4, "LSTMCell(3, 4, bias=False)"),
    ("GRUCell", (3, 4), {}, "gru", 3, "GRUCell(3, 4)"),
]


@pytest.mark.parametrize("name,args,kwargs,mode,chunks,rep", CELL_CASES)
def test_cell(name, args, kwargs, mode, chunks, rep):
    torch.manual_seed(0)
    m = getattr(nn, name)(*args, **kwargs)
    assert isinstance(m, nn.RNNCellBase)
    assert repr(m) == rep
    I, H = args
    bias = kwargs.get("bias", True)
    shapes = {"weight_ih": (chunks * H, I), "weight_hh": (chunks * H, H)}
    if bias:
        shapes.update(bias_ih=(chunks * H,), bias_hh=(chunks * H,))
    assert {n: tuple(p.shape) for n, p in m.named_parameters()} == shapes
    assert list(m.state_dict()) == list(shapes)
    bound = 1 / math.sqrt(H)
    for p in m.parameters():
        assert float(p.abs().max()) <= bound
    x = np.random.RandomState(1).randn(2, I).astype(np.float32)
    h = np.random.RandomState(2).randn(2, H).astype(np.float32)
    c = np.random.RandomState(3).randn(2, H).astype(np.float32)
    w = [_np(m.weight_ih), _np(m.weight_hh), None if m.bias_ih is None else _np(m.bias_ih),
         None if m.bias_hh is None else _np(m.bias_hh)]
    for hx_given in (True, False):
        hh = h if hx_given else np.zeros_like(h)
        cc = c if hx_given else np.zeros_like(c)
        eh, ec = _cell_ref(mode, x, hh, cc if mode == "lstm" else None, *w)
        if mode == "lstm":
            hx = (torch.from_numpy(h), torch.from_numpy(c)) if hx_given else None
            gh, gc = m(torch.from_numpy(x), hx)
            np.testing.assert_allclose(_np(gc), ec, rtol=1e-5, atol=1e-6)
            # unbatched: 1-D input and states
            uh, uc = m(torch.from_numpy(x[0]), None if hx is None else (hx[0][0], hx[1][0]))
            assert tuple(uh.shape) == (H,) and tuple(uc.shape) == (H,)
            np.testing.assert_allclose(_np(uh), eh[0], rtol=1e-5, atol=1e-6)
        else:
            hx = torch.from_numpy(h) if hx_given else None
            gh = m(torch.from_numpy(x), hx)
            uh = m(torch.from_numpy(x[0]), None if hx is None else hx[0])
            assert tuple(uh.shape) == (H,)
            np.testing.assert_allclose(_np(uh), eh[0], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(_np(gh), eh, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["RNNCell", "LSTMCell", "GRUCell"])
def test_cell_gradcheck(name):
    torch.manual_seed(0)
    m = getattr(nn, name)(2, 3).double()
    x = torch.randn(2, 2, dtype=torch.float64, requires_grad=True)
    h = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
    c = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
    params = list(m.parameters())

    def f(x, h, c, *ps):
        if name == "LSTMCell":
            return m(x, (h, c))
        return m(x, h)
    assert torch.autograd.gradcheck(f, (x, h, c) + tuple(params))


CELL_ERRORS = [
    ("RNNCell", lambda m: m(torch.randn(2, 2, 3)), ValueError,
     "RNNCell: Expected input to be 1D or 2D, got 3D instead"),
    ("RNNCell", lambda m: m(torch.randn(3), torch.randn(2, 2, 4)), ValueError,
     "RNNCell: Expected hidden to be 1D or 2D, got 3D instead"),
    ("LSTMCell", lambda m: m(torch.randn(2, 2, 3)), ValueError,
     "LSTMCell: Expected input to be 1D or 2D, got 3D instead"),
    ("LSTMCell", lambda m: m(torch.randn(3), (torch.randn(2, 2, 4), torch.randn(4))), ValueError,
     "LSTMCell: Expected hx[0] to be 1D or 2D, got 3D instead"),
    ("GRUCell", lambda m: m(torch.randn(2, 2, 3)), ValueError,
     "GRUCell: Expected input to be 1D or 2D, got 3D instead"),
    ("GRUCell", lambda m: m(torch.randn(3), torch.randn(1, 1, 4)), ValueError,
     "GRUCell: Expected hidden to be 1D or 2D, got 3D instead"),
    ("RNNCell", lambda m: m(torch.randn(2, 2)), RuntimeError,
     "input has inconsistent input_size: got 2 expected 3"),
]


@pytest.mark.parametrize("name,call,exc,msg", CELL_ERRORS)
def test_cell_errors(name, call, exc, msg):
    m = getattr(nn, name)(3, 4)
    with pytest.raises(exc) as e:
        call(m)
    assert str(e.value) == msg


def test_rnncell_unknown_nonlinearity():
    m = nn.RNNCell(3, 4, nonlinearity="x")    # accepted here, rejected when run
    with pytest.raises(RuntimeError, match="Unknown nonlinearity: x"):
        m(torch.randn(3))


# ------------------------------------------------------ RNN / LSTM / GRU

RNN_CASES = [
    # (class, args, kwargs, mode, repr)
    ("RNN", (3, 4), {}, "rnn_tanh", "RNN(3, 4)"),
    ("RNN", (3, 4, 2), {"nonlinearity": "relu", "bias": False, "batch_first": True,
                        "bidirectional": True}, "rnn_relu",
     "RNN(3, 4, num_layers=2, bias=False, batch_first=True, bidirectional=True)"),
    ("RNN", (3, 4, 2, "relu"), {}, "rnn_relu", "RNN(3, 4, num_layers=2)"),
    ("LSTM", (3, 4), {}, "lstm", "LSTM(3, 4)"),
    ("LSTM", (3, 4), {"proj_size": 2, "num_layers": 2, "bidirectional": True}, "lstm",
     "LSTM(3, 4, proj_size=2, num_layers=2, bidirectional=True)"),
    ("LSTM", (3, 4), {"batch_first": True, "dropout": 0.5, "num_layers": 2}, "lstm",
     "LSTM(3, 4, num_layers=2, batch_first=True, dropout=0.5)"),
    ("GRU", (3, 4), {}, "gru", "GRU(3, 4)"),
    ("GRU", (3, 4), {"num_layers": 2, "bidirectional": True, "batch_first": True}, "gru",
     "GRU(3, 4, num_layers=2, batch_first=True, bidirectional=True)"),
]


def _expected_names(m, gates):
    ndir = 2 if m.bidirectional else 1
    hout = m.proj_size or m.hidden_size
    out = {}
    for layer in range(m.num_layers):
        for d in range(ndir):
            s = f"_l{layer}" + ("_reverse" if d else "")
            inp = m.input_size if layer == 0 else hout * ndir
            out["weight_ih" + s] = (gates * m.hidden_size, inp)
            out["weight_hh" + s] = (gates * m.hidden_size, hout)
            if m.bias:
                out["bias_ih" + s] = (gates * m.hidden_size,)
                out["bias_hh" + s] = (gates * m.hidden_size,)
            if m.proj_size:
                out["weight_hr" + s] = (m.proj_size, m.hidden_size)
    return out


@pytest.mark.parametrize("name,args,kwargs,mode,rep", RNN_CASES)
def test_rnn(name, args, kwargs, mode, rep):
    torch.manual_seed(0)
    m = getattr(nn, name)(*args, **kwargs).eval()
    assert isinstance(m, nn.RNNBase)
    assert repr(m) == rep
    gates = {"lstm": 4, "gru": 3}.get(mode, 1)
    names = _expected_names(m, gates)
    assert [(n, tuple(p.shape)) for n, p in m.named_parameters()] == list(names.items())
    assert list(m.state_dict()) == list(names)
    assert m._flat_weights_names == list(names)
    assert [[tuple(p.shape) for p in ws] for ws in m.all_weights] == [
        [names[n] for n in ws] for ws in m._all_weights]
    bound = 1 / math.sqrt(m.hidden_size)
    allw = torch.cat([p.reshape(-1) for p in m.parameters()])
    assert float(allw.abs().max()) <= bound and float(allw.abs().max()) > 0.5 * bound
    assert m.flatten_parameters() is None

    ndir = 2 if m.bidirectional else 1
    hout = m.proj_size or m.hidden_size
    rs = np.random.RandomState(0)
    x = rs.randn(5, 2, 3).astype(np.float32)
    h0 = rs.randn(m.num_layers * ndir, 2, hout).astype(np.float32)
    c0 = rs.randn(m.num_layers * ndir, 2, m.hidden_size).astype(np.float32)
    bf = m.batch_first
    xin = torch.from_numpy(np.ascontiguousarray(x.swapaxes(0, 1)) if bf else x)
    for given in (True, False):
        hh = h0 if given else np.zeros_like(h0)
        cc = c0 if given else np.zeros_like(c0)
        eo, eh, ec = _seq_ref(m, mode, x, hh, cc if mode == "lstm" else None)
        if mode == "lstm":
            out, (hn, cn) = m(xin, (torch.from_numpy(h0), torch.from_numpy(c0)) if given else None)
            np.testing.assert_allclose(_np(cn), ec, rtol=1e-4, atol=1e-5)
        else:
            out, hn = m(xin, torch.from_numpy(h0) if given else None)
        got = _np(out).swapaxes(0, 1) if bf else _np(out)
        np.testing.assert_allclose(got, eo, rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(_np(hn), eh, rtol=1e-4, atol=1e-5)
    # unbatched (T, I): the batch dimension is added and removed
    eo, eh, ec = _seq_ref(m, mode, x[:, :1], h0[:, :1], c0[:, :1] if mode == "lstm" else None)
    if mode == "lstm":
        out, (hn, cn) = m(torch.from_numpy(x[:, 0].copy()),
                          (torch.from_numpy(h0[:, 0].copy()), torch.from_numpy(c0[:, 0].copy())))
        np.testing.assert_allclose(_np(cn), ec[:, 0], rtol=1e-4, atol=1e-5)
    else:
        out, hn = m(torch.from_numpy(x[:, 0].copy()), torch.from_numpy(h0[:, 0].copy()))
    np.testing.assert_allclose(_np(out), eo[:, 0], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(_np(hn), eh[:, 0], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name,kwargs", [("RNN", {}), ("LSTM", {"proj_size": 2}),
                                         ("GRU", {"bidirectional": True})])
def test_rnn_gradcheck(name, kwargs):
    torch.manual_seed(0)
    m = getattr(nn, name)(2, 3, **kwargs).double()
    x = torch.randn(3, 2, 2, dtype=torch.float64, requires_grad=True)
    params = list(m.parameters())

    def f(x, *ps):
        out = m(x)
        return out[0]
    assert torch.autograd.gradcheck(f, (x,) + tuple(params))


def test_rnn_dropout_between_layers():
    torch.manual_seed(0)
    m = nn.GRU(3, 4, num_layers=2, dropout=1.0)
    x = torch.randn(4, 2, 3)
    out_train, _ = m(x)
    # with every first-layer output dropped the second layer only sees its biases
    m2 = nn.GRU(4, 4)
    m2.load_state_dict({k.replace("_l1", "_l0"): v for k, v in m.state_dict().items()
                        if "_l1" in k})
    np.testing.assert_allclose(_np(out_train), _np(m2(torch.zeros(4, 2, 4))[0]), rtol=1e-5,
                               atol=1e-6)
    out_eval, _ = m.eval()(x)
    assert not np.allclose(_np(out_eval), _np(out_train))


def test_rnn_conversion_keeps_weights_in_use():
    m = nn.LSTM(3, 4).double()
    assert all(w.dtype == torch.float64 for w in m._flat_weights)
    out, (h, c) = m(torch.randn(2, 1, 3, dtype=torch.float64))
    assert out.dtype == torch.float64
    # replacing a parameter is seen by forward
    m.weight_hh_l0 = nn.Parameter(torch.zeros(16, 4, dtype=torch.float64))
    assert m._flat_weights[1] is m.weight_hh_l0


RNN_CTOR_ERRORS = [
    (lambda: nn.RNN(3, 0), ValueError, "hidden_size must be greater than zero"),
    (lambda: nn.RNN(3, 4, num_layers=0), ValueError, "num_layers must be greater than zero"),
    (lambda: nn.RNN(3, 4.0), TypeError, "hidden_size should be of type int, got: float"),
    (lambda: nn.LSTM(3, 4, proj_size=4), ValueError, "proj_size has to be smaller than hidden_size"),
    (lambda: nn.LSTM(3, 4, proj_size=-1), ValueError,
     "proj_size should be a positive integer or zero to disable projections"),
    (lambda: nn.RNN(3, 4, dropout=2), ValueError,
     "dropout should be a number in range [0, 1] representing the probability of an element "
     "being zeroed"),
    (lambda: nn.RNN(3, 4, nonlinearity="x"), ValueError,
     "Unknown nonlinearity 'x'. Select from 'tanh' or 'relu'."),
    (lambda: nn.GRU(3, 4, proj_size=1), ValueError,
     "proj_size argument is only supported for LSTM, not RNN or GRU"),
    (lambda: nn.RNN(3, 4, proj_size=1), ValueError,
     "proj_size argument is only supported for LSTM, not RNN or GRU"),
]


@pytest.mark.parametrize("make,exc,msg", RNN_CTOR_ERRORS)
def test_rnn_constructor_errors(make, exc, msg):
    with pytest.raises(exc) as e:
        make()
    assert str(e.value) == msg


def test_rnn_dropout_warning():
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        nn.RNN(3, 4, dropout=0.5)
    assert [str(x.message) for x in w] == [
        "dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
        "expects num_layers greater than 1, but got dropout=0.5 and num_layers=1"]


RNN_FORWARD_ERRORS = [
    ("RNN", lambda m: m(torch.randn(2, 2, 2)), RuntimeError,
     "input.size(-1) must be equal to input_size. Expected 3, got 2"),
    ("RNN", lambda m: m(torch.randn(2)), ValueError,
     "RNN: Expected input to be 2D or 3D, got 1D tensor instead"),
    ("GRU", lambda m: m(torch.randn(2, 2, 2, 3)), ValueError,
     "GRU: Expected input to be 2D or 3D, got 4D instead"),
    ("LSTM", lambda m: m(torch.randn(5)), ValueError,
     "LSTM: Expected input to be 2D or 3D, got 1D instead"),
    ("RNN", lambda m: m(torch.randn(2, 2, 3), torch.randn(1, 3, 4)), RuntimeError,
     "Expected hidden size (1, 2, 4), got [1, 3, 4]"),
    ("RNN", lambda m: m(torch.randn(2, 3), torch.randn(1, 2, 4)), RuntimeError,
     "For unbatched 2-D input, hx should also be 2-D but got 3-D tensor"),
    ("GRU", lambda m: m(torch.randn(2, 2, 3), torch.randn(2, 4)), RuntimeError,
     "For batched 3-D input, hx should also be 3-D but got 2-D tensor"),
    ("RNN", lambda m: m(torch.randn(2, 2, 3, dtype=torch.float64)), ValueError,
     "RNN input dtype (torch.float64) does not match weight dtype (torch.float32). Convert "
     "input: input.to(torch.float32), or convert model: model.to(torch.float64)"),
    ("LSTM", lambda m: m(torch.randn(2, 2, 3), (torch.randn(1, 2, 4), torch.randn(1, 2, 3))),
     RuntimeError, "Expected hidden[1] size (1, 2, 4), got [1, 2, 3]"),
    ("LSTM", lambda m: m(torch.randn(2, 2, 3), (torch.randn(1, 3, 4), torch.randn(1, 2, 4))),
     RuntimeError, "Expected hidden[0] size (1, 2, 4), got [1, 3, 4]"),
    ("LSTM", lambda m: m(torch.randn(2, 3), (torch.randn(1, 2, 4), torch.randn(1, 2, 4))),
     RuntimeError,
     "For unbatched 2-D input, hx and cx should also be 2-D but got (3-D, 3-D) tensors"),
    ("LSTM", lambda m: m(torch.randn(2, 2, 3), (torch.randn(2, 4), torch.randn(2, 4))),
     RuntimeError,
     "For batched 3-D input, hx and cx should also be 3-D but got (2-D, 2-D) tensors"),
]


@pytest.mark.parametrize("name,call,exc,msg", RNN_FORWARD_ERRORS)
def test_rnn_forward_errors(name, call, exc, msg):
    m = getattr(nn, name)(3, 4)
    with pytest.raises(exc) as e:
        call(m)
    assert str(e.value) == msg


# ---------------------------------------------------- MultiheadAttention

MHA_CASES = [
    # (ctor kwargs, forward kwargs (masks as numpy), parameter names/shapes)
    ({}, {}, [("in_proj_weight", (12, 4)), ("in_proj_bias", (12,)), ("out_proj.weight", (4, 4)),
              ("out_proj.bias", (4,))]),
    ({"batch_first": True}, {"average_attn_weights": False}, None),
    ({"kdim": 3, "vdim": 5, "bias": False}, {},
     [("q_proj_weight", (4, 4)), ("k_proj_weight", (4, 3)), ("v_proj_weight", (4, 5)),
      ("out_proj.weight", (4, 4))]),
    ({}, {"attn_mask": "causal"}, None),
    ({}, {"key_padding_mask": True}, None),
    ({}, {"attn_mask": "causal", "is_causal": True}, None),
    ({}, {"need_weights": False}, None),
]


def _mha_inputs(ctor, rs):
    L, S, N = 3, 3, 2
    q = rs.randn(L, N, 4).astype(np.float32)
    k = rs.randn(S, N, ctor.get("kdim", 4)).astype(np.float32)
    v = rs.randn(S, N, ctor.get("vdim", 4)).astype(np.float32)
    return q, k, v


@pytest.mark.parametrize("ctor,fwd,names", MHA_CASES)
def test_multihead_attention(ctor, fwd, names):
    torch.manual_seed(0)
    m = nn.MultiheadAttention(4, 2, **ctor)
    bias = ctor.get("bias", True)
    assert repr(m) == ("MultiheadAttention(\n  (out_proj): NonDynamicallyQuantizableLinear("
                       f"in_features=4, out_features=4, bias={bias})\n)")
    if names is not None:
        assert [(n, tuple(p.shape)) for n, p in m.named_parameters()] == names
        assert list(m.state_dict()) == [n for n, _ in names]
    if bias:
        assert float(m.in_proj_bias.abs().sum()) == 0 and float(m.out_proj.bias.abs().sum()) == 0
    rs = np.random.RandomState(0)
    q, k, v = _mha_inputs(ctor, rs)
    fwd = dict(fwd)
    am = kpm = None
    if fwd.get("attn_mask") == "causal":
        am = np.triu(np.ones((3, 3), bool), 1)
        fwd["attn_mask"] = torch.from_numpy(am)
    if fwd.get("key_padding_mask"):
        kpm = np.zeros((2, 3), bool)
        kpm[1, 2] = True
        fwd["key_padding_mask"] = torch.from_numpy(kpm)
    eo, ew = _mha_ref(m, q, k, v, am, kpm, fwd.get("average_attn_weights", True))
    bf = ctor.get("batch_first", False)
    tr = (lambda a: np.ascontiguousarray(a.swapaxes(0, 1))) if bf else (lambda a: a)
    out, w = m(torch.from_numpy(tr(q)), torch.from_numpy(tr(k)), torch.from_numpy(tr(v)), **fwd)
    np.testing.assert_allclose(tr(_np(out)), eo, rtol=1e-4, atol=1e-5)
    if fwd.get("need_weights", True):
        np.testing.assert_allclose(_np(w), ew, rtol=1e-4, atol=1e-5)
    else:
        assert w is None
    # unbatched query/key/value
    out1, w1 = m(torch.from_numpy(q[:, 0].copy()), torch.from_numpy(k[:, 0].copy()),
                 torch.from_numpy(v[:, 0].copy()))
    eo1, ew1 = _mha_ref(m, q[:, :1], k[:, :1], v[:, :1])
    np.testing.assert_allclose(_np(out1), eo1[:, 0], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(_np(w1), ew1[0], rtol=1e-4, atol=1e-5)


def test_multihead_attention_matches_functional():
    """The module passes its parameters to F.multi_head_attention_forward
    (here with bias_k/bias_v and add_zero_attn, which the reference above
    does not model)."""
    torch.manual_seed(0)
    m = nn.MultiheadAttention(4, 2, add_bias_kv=True, add_zero_attn=True)
    assert tuple(m.bias_k.shape) == (1, 1, 4) and tuple(m.bias_v.shape) == (1, 1, 4)
    q = torch.randn(3, 2, 4)
    out, w = m(q, q, q)
    eo, ew = F.multi_head_attention_forward(
        q, q, q, 4, 2, m.in_proj_weight, m.in_proj_bias, m.bias_k, m.bias_v, True, 0.0,
        m.out_proj.weight, m.out_proj.bias, training=True)
    np.testing.assert_allclose(_np(out), _np(eo), rtol=1e-6)
    np.testing.assert_allclose(_np(w), _np(ew), rtol=1e-6)
    assert tuple(w.shape) == (2, 3, 5)


def test_multihead_attention_init_and_gradcheck():
    torch.manual_seed(0)
    m = nn.MultiheadAttention(4, 2)
    a = math.sqrt(6 / (4 + 12))      # xavier_uniform_ bound of the packed (12, 4) weight
    assert float(m.in_proj_weight.abs().max()) <= a
    assert float(m.out_proj.weight.abs().max()) <= 1 / math.sqrt(4)   # kaiming(a=sqrt(5))
    m = m.double()
    q = torch.randn(2, 1, 4, dtype=torch.float64, requires_grad=True)
    params = list(m.parameters())
    assert torch.autograd.gradcheck(lambda q, *ps: m(q, q, q)[0], (q,) + tuple(params))


MHA_ERRORS = [
    (lambda: nn.MultiheadAttention(4, 3), AssertionError, "embed_dim must be divisible by num_heads"),
    (lambda: nn.MultiheadAttention(0, 3), ValueError,
     "embed_dim and num_heads must be greater than 0, got embed_dim=0 and num_heads=3 instead"),
]


@pytest.mark.parametrize("make,exc,msg", MHA_ERRORS)
def test_multihead_attention_errors(make, exc, msg):
    with pytest.raises(exc) as e:
        make()
    assert str(e.value) == msg


# ------------------------------------------------------------ Transformer

ENC_LAYER_REPR = """TransformerEncoderLayer(
  (self_attn): MultiheadAttention(
    (out_proj): NonDynamicallyQuantizableLinear(in_features=4, out_features=4, bias=True)
  )
  (linear1): Linear(in_features=4, out_features=8, bias=True)
  (dropout): Dropout(p=0.1, inplace=False)
  (linear2): Linear(in_features=8, out_features=4, bias=True)
  (norm1): LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)
  (norm2): LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)
  (dropout1): Dropout(p=0.1, inplace=False)
  (dropout2): Dropout(p=0.1, inplace=False)
)"""

DEC_LAYER_REPR = """TransformerDecoderLayer(
  (self_attn): MultiheadAttention(
    (out_proj): NonDynamicallyQuantizableLinear(in_features=4, out_features=4, bias=False)
  )
  (multihead_attn): MultiheadAttention(
    (out_proj): NonDynamicallyQuantizableLinear(in_features=4, out_features=4, bias=False)
  )
  (linear1): Linear(in_features=4, out_features=8, bias=False)
  (dropout): Dropout(p=0.1, inplace=False)
  (linear2): Linear(in_features=8, out_features=4, bias=False)
  (norm1): LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=False)
  (norm2): LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=False)
  (norm3): LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=False)
  (dropout1): Dropout(p=0.1, inplace=False)
  (dropout2): Dropout(p=0.1, inplace=False)
  (dropout3): Dropout(p=0.1, inplace=False)
)"""


def test_layer_reprs():
    assert repr(nn.TransformerEncoderLayer(4, 2, 8)) == ENC_LAYER_REPR
    assert repr(nn.TransformerDecoderLayer(4, 2, 8, bias=False)) == DEC_LAYER_REPR
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8), 2)
    body = "\n".join("    " + line for line in ENC_LAYER_REPR.split("\n")[1:])
    assert repr(enc) == ("TransformerEncoder(\n  (layers): ModuleList(\n    (0-1): 2 x "
                         "TransformerEncoderLayer(\n" + body + "\n  )\n)")


ENC_CASES = [
    # (kwargs, mask)
    ({}, None),
    ({}, "causal"),
    ({"norm_first": True}, None),
    ({"batch_first": True}, "causal"),
]


@pytest.mark.parametrize("kwargs,mask", ENC_CASES)
def test_encoder_layer(kwargs, mask):
    torch.manual_seed(0)
    layer = nn.TransformerEncoderLayer(4, 2, 8, **kwargs).eval()
    x = np.random.RandomState(0).randn(3, 2, 4).astype(np.float32)
    bf = kwargs.get("batch_first", False)
    tr = (lambda a: np.ascontiguousarray(a.swapaxes(0, 1))) if bf else (lambda a: a)
    m = None if mask is None else np.triu(np.ones((3, 3), bool), 1)
    got = layer(torch.from_numpy(tr(x)), src_mask=None if m is None else torch.from_numpy(m))
    np.testing.assert_allclose(tr(_np(got)), _enc_layer_ref(layer, x, m), rtol=1e-4, atol=1e-5)


def test_decoder_layer():
    torch.manual_seed(0)
    layer = nn.TransformerDecoderLayer(4, 2, 8).eval()
    rs = np.random.RandomState(0)
    x, mem = rs.randn(3, 2, 4).astype(np.float32), rs.randn(5, 2, 4).astype(np.float32)
    m = np.triu(np.ones((3, 3), bool), 1)
    got = layer(torch.from_numpy(x), torch.from_numpy(mem), tgt_mask=torch.from_numpy(m))
    np.testing.assert_allclose(_np(got), _dec_layer_ref(layer, x, mem, m), rtol=1e-4, atol=1e-5)


@pytest.mark.filterwarnings("ignore:enable_nested_tensor")
def test_transformer():
    torch.manual_seed(0)
    model = nn.Transformer(4, 2, 2, 1, 8).eval()
    names = [n for n, _ in model.named_parameters()]
    assert names[:4] == ["encoder.layers.0.self_attn.in_proj_weight",
                         "encoder.layers.0.self_attn.in_proj_bias",
                         "encoder.layers.0.self_attn.out_proj.weight",
                         "encoder.layers.0.self_attn.out_proj.bias"]
    assert "decoder.layers.0.multihead_attn.in_proj_weight" in names
    assert names[-2:] == ["decoder.norm.weight", "decoder.norm.bias"]
    # every weight with more than one dimension starts xavier_uniform_
    w = model.encoder.layers[0].linear1.weight
    assert float(w.abs().max()) <= math.sqrt(6 / (4 + 8))
    rs = np.random.RandomState(0)
    src, tgt = rs.randn(5, 2, 4).astype(np.float32), rs.randn(3, 2, 4).astype(np.float32)
    mask = nn.Transformer.generate_square_subsequent_mask(3)
    expect_mask = np.triu(np.full((3, 3), -np.inf, np.float32), 1)
    np.testing.assert_array_equal(_np(mask), expect_mask)
    got = model(torch.from_numpy(src), torch.from_numpy(tgt), tgt_mask=mask)
    mem = src
    for layer in model.encoder.layers:
        mem = _enc_layer_ref(layer, mem)
    mem = _ln_ref(mem, model.encoder.norm)
    out = tgt
    for layer in model.decoder.layers:
        out = _dec_layer_ref(layer, out, mem, np.isinf(expect_mask))
    out = _ln_ref(out, model.decoder.norm)
    np.testing.assert_allclose(_np(got), out, rtol=1e-4, atol=1e-5)


@pytest.mark.filterwarnings("ignore:enable_nested_tensor")
def test_transformer_errors():
    model = nn.Transformer(4, 2, 1, 1, 8)
    with pytest.raises(RuntimeError, match="the batch number of src and tgt must be equal"):
        model(torch.randn(5, 2, 4), torch.randn(3, 3, 4))
    with pytest.raises(RuntimeError,
                       match="the feature number of src and tgt must be equal to d_model"):
        model(torch.randn(5, 2, 4), torch.randn(3, 2, 5))
    with pytest.raises(RuntimeError, match="activation should be relu/gelu, not tanh"):
        nn.TransformerEncoderLayer(4, 2, activation="tanh")


def test_encoder_nested_tensor_warning_and_padding():
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8), 2)
    assert [str(x.message) for x in w] == [
        "enable_nested_tensor is True, but self.use_nested_tensor is False because "
        "encoder_layer.self_attn.batch_first was not True(use batch_first for better inference "
        "performance)"]
    torch.manual_seed(0)
    enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8, batch_first=True), 2).eval()
    assert enc.use_nested_tensor
    x = torch.randn(2, 3, 4)
    kpm = torch.tensor([[False, False, False], [False, False, True]])
    with torch.no_grad():
        out = enc(x, src_key_padding_mask=kpm)
    # inference with a padding mask: padded positions come out as zeros
    assert float(out[1, 2].abs().sum()) == 0
    # with autograd recording, the padded positions are computed densely
    dense = enc(x, src_key_padding_mask=kpm)
    np.testing.assert_allclose(_np(dense[:, :2]), _np(out[:, :2]), rtol=1e-5, atol=1e-6)
    assert float(dense[1, 2].abs().sum()) > 0


def test_encoder_layers_are_copies():
    layer = nn.TransformerEncoderLayer(4, 2, 8)
    enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
    assert enc.layers[0] is not layer and enc.layers[0] is not enc.layers[1]
    assert enc.layers[0].linear1.weight is not enc.layers[1].linear1.weight
    np.testing.assert_array_equal(_np(enc.layers[1].linear1.weight), _np(layer.linear1.weight))
    copy.deepcopy(enc)
