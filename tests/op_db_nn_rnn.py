"""Table entries for the recurrent networks' functions (torch.rnn_tanh_cell,
rnn_relu_cell, lstm_cell, gru_cell and the multi-layer rnn_tanh, rnn_relu,
lstm, gru), against numpy references written step by step from the
equations (gates in PyTorch's order: LSTM i, f, g, o; GRU r, z, n with the
hidden bias of n inside the reset product). A function with several results
is checked through the concatenation of their flattened values."""
import numpy as np

from tests.op_db_nn import NNOp, D, randn

B, I, H, T = 2, 3, 4, 3


# ------------------------------------------------------------ references

def _sig(x):
    return 1 / (1 + np.exp(-x))


def _lin(x, w, b):
    r = x.astype(np.float64) @ w.astype(np.float64).T
    return r if b is None else r + b


def np_rnn_cell(x, h, wi, wh, bi=None, bh=None, act=np.tanh):
    return act(_lin(x, wi, bi) + _lin(h, wh, bh))


def _relu(x):
    return np.maximum(x, 0)


def np_lstm_cell(x, h, c, wi, wh, bi=None, bh=None):
    g = _lin(x, wi, bi) + _lin(h, wh, bh)
    n = g.shape[1] // 4
    i, f, gg, o = _sig(g[:, :n]), _sig(g[:, n:2 * n]), np.tanh(g[:, 2 * n:3 * n]), _sig(g[:, 3 * n:])
    c2 = f * c + i * gg
    return o * np.tanh(c2), c2


def np_gru_cell(x, h, wi, wh, bi=None, bh=None):
    gi, gh = _lin(x, wi, bi), _lin(h, wh, bh)
    n = gi.shape[1] // 3
    r = _sig(gi[:, :n] + gh[:, :n])
    z = _sig(gi[:, n:2 * n] + gh[:, n:2 * n])
    nn = np.tanh(gi[:, 2 * n:] + r * gh[:, 2 * n:])
    return (1 - z) * nn + z * h


def np_stacked(mode, x, h0, c0, params, has_biases, layers, bidirectional, batch_first):
    """The multi-layer recurrence, one time step at a time."""
    if batch_first:
        x = x.swapaxes(0, 1)
    ndir = 2 if bidirectional else 1
    stride = 4 if has_biases else 2
    hs, cs = [], []
    for layer in range(layers):
        outs = []
        for d in range(ndir):
            k = layer * ndir + d
            p = params[k * stride:(k + 1) * stride]
            wi, wh = p[0], p[1]
            bi, bh = (p[2], p[3]) if has_biases else (None, None)
            h = h0[k].astype(np.float64)
            c = None if c0 is None else c0[k].astype(np.float64)
            seq = [None] * x.shape[0]
            for t in (range(x.shape[0] - 1, -1, -1) if d else range(x.shape[0])):
                if mode == "lstm":
                    h, c = np_lstm_cell(x[t], h, c, wi, wh, bi, bh)
                elif mode == "gru":
                    h = np_gru_cell(x[t], h, wi, wh, bi, bh)
                else:
                    h = np_rnn_cell(x[t], h, wi, wh, bi, bh, np.tanh if mode == "rnn_tanh" else _relu)
                seq[t] = h
            outs.append(np.stack(seq))
            hs.append(h)
            cs.append(c)
        x = np.concatenate(outs, -1)
    out = x.swapaxes(0, 1) if batch_first else x
    parts = [out, np.stack(hs)] + ([np.stack(cs)] if mode == "lstm" else [])
    return np.concatenate([a.reshape(-1) for a in parts])


# ----------------------------------------------------------------- samples

def _s_cell(gates, lstm=False):
    def samples(rng, dt):
        def arr(*s):
            return D(randn(rng, s, dt) * 0.5)
        head = [arr(B, I), arr(B, H)] + ([arr(B, H)] if lstm else [])
        w = [arr(gates * H, I), arr(gates * H, H)]
        return [(tuple(head + w + [arr(gates * H), arr(gates * H)]), {}),
                (tuple(head + w), {})]
    return samples


def _s_seq(gates, lstm, has_biases, layers, bidirectional, batch_first):
    ndir = 2 if bidirectional else 1

    def samples(rng, dt):
        def arr(*s):
            return D(randn(rng, s, dt) * 0.5)
        x = arr(B, T, I) if batch_first else arr(T, B, I)
        states = [arr(layers * ndir, B, H) for _ in range(2 if lstm else 1)]
        params = []
        for layer in range(layers):
            for _ in range(ndir):
                params += [arr(gates * H, I if layer == 0 else H * ndir), arr(gates * H, H)]
                if has_biases:
                    params += [arr(gates * H), arr(gates * H)]
        return [(tuple([x] + states + params), {})]
    return samples


def _flat(t, res):
    return t.cat([r.reshape(-1) for r in res])


def _seq_entry(mode, gates, has_biases, layers, bidirectional, batch_first, tag):
    lstm = mode == "lstm"
    cfg = (has_biases, layers, 0.0, True, bidirectional, batch_first)

    def fn(t, x, *rest):
        states, params = rest[:2 if lstm else 1], list(rest[2 if lstm else 1:])
        hx = tuple(states) if lstm else states[0]
        return _flat(t, getattr(t, mode)(x, hx, params, *cfg))

    def ref(x, *rest):
        n = 2 if lstm else 1
        states, params = rest[:n], rest[n:]
        return np_stacked(mode, x, states[0], states[1] if lstm else None, params, has_biases,
                          layers, bidirectional, batch_first)

    return NNOp(f"torch.{mode}_{tag}", fn, ref,
                _s_seq(gates, lstm, has_biases, layers, bidirectional, batch_first),
                dtypes=("float32", "float64"), gradcheck=True,
                tol={"float32": (2e-5, 2e-5), "float64": (1e-10, 1e-10)})


def _w(t, *s):
    return t.randn(*s)


def _i(t, *s):
    return t.ones(*s, dtype=t.int64)


OPS = [
    NNOp("torch.rnn_tanh_cell", lambda t, *a: t.rnn_tanh_cell(*a), np_rnn_cell, _s_cell(1),
         dtypes=("float32", "float64"), grad_fn="TanhBackward0",
         tol={"float32": (2e-5, 2e-5), "float64": (1e-10, 1e-10)},
         errors=[(lambda t: t.rnn_tanh_cell(_w(t, 3, 4), _w(t, 3, 5), _w(t, 6, 4), _w(t, 5, 5)),
                  RuntimeError, "weight_ih first dim must be 1 * hidden_size = 5, but got 6"),
                 (lambda t: t.rnn_tanh_cell(_w(t, 3, 4), _w(t, 3, 5), _w(t, 5, 4), _w(t, 6, 5)),
                  RuntimeError, "weight_hh first dim must be 1 * hidden_size = 5, but got 6"),
                 (lambda t: t.rnn_tanh_cell(_w(t, 3, 4), _w(t, 3, 5), _w(t, 5, 3), _w(t, 5, 5)),
                  RuntimeError, "input has inconsistent input_size: got 4 expected 3"),
                 (lambda t: t.rnn_tanh_cell(_w(t, 3, 4), _w(t, 2, 5), _w(t, 5, 4), _w(t, 5, 5)),
                  RuntimeError, "Input batch size 3 doesn't match hidden0 batch size 2"),
                 (lambda t: t.rnn_tanh_cell(_w(t, 3, 4), None, _w(t, 5, 4), _w(t, 5, 5)),
                  TypeError, "argument 'hx' (position 2) must be Tensor, not NoneType"),
                 (lambda t: t.rnn_tanh_cell(_w(t, 4), _w(t, 5), _w(t, 5, 4), _w(t, 5, 5)),
                  IndexError, "Dimension out of range"),
                 (lambda t: t.rnn_tanh_cell(_w(t, 3, 4), _w(t, 3, 5), _w(t, 5, 4), _w(t, 5, 5),
                                            _w(t, 6)),
                  RuntimeError, "The expanded size of the tensor (5) must match the existing size (6)")]),
    NNOp("torch.rnn_relu_cell", lambda t, *a: t.rnn_relu_cell(*a),
         lambda *a: np_rnn_cell(*a, act=_relu), _s_cell(1), dtypes=("float32", "float64"),
         grad_fn="ReluBackward0", tol={"float32": (2e-5, 2e-5), "float64": (1e-10, 1e-10)},
         errors=[(lambda t: t.rnn_relu_cell(_w(t, 3, 4), _w(t, 3, 4), _w(t, 5, 4), _w(t, 5, 5)),
                  RuntimeError, "hidden0 has inconsistent hidden_size: got 4, expected 5"),
                 (lambda t: t.rnn_relu_cell(_w(t, 3, 4), _w(t, 3, 5), _w(t, 5, 4), _w(t, 5, 5).double()),
                  RuntimeError, "dtype")]),
    NNOp("torch.lstm_cell", lambda t, x, h, c, *w: _flat(t, t.lstm_cell(x, (h, c), *w)),
         lambda x, h, c, *w: np.concatenate([r.reshape(-1) for r in np_lstm_cell(x, h, c, *w)]),
         _s_cell(4, lstm=True), dtypes=("float32", "float64"), gradcheck=True,
         tol={"float32": (2e-5, 2e-5), "float64": (1e-10, 1e-10)},
         errors=[(lambda t: t.lstm_cell(_w(t, 3, 4), (_w(t, 3, 5),), _w(t, 20, 4), _w(t, 20, 5)),
                  RuntimeError, "lstm_cell expects two hidden states"),
                 (lambda t: t.lstm_cell(_w(t, 3, 4), _w(t, 3, 5), _w(t, 20, 4), _w(t, 20, 5)),
                  TypeError, "argument 'hx' (position 2) must be tuple of Tensors, not Tensor"),
                 (lambda t: t.lstm_cell(_w(t, 3, 4), (_w(t, 3, 5), 1), _w(t, 20, 4), _w(t, 20, 5)),
                  TypeError, "expected Tensor as element 1 in argument 1, but got int"),
                 (lambda t: t.lstm_cell(_w(t, 3, 4), (_w(t, 3, 5), _w(t, 3, 5)), _w(t, 16, 4),
                                        _w(t, 16, 5)),
                  RuntimeError, "weight_ih first dim must be 4 * hidden_size = 20, but got 16"),
                 (lambda t: t.lstm_cell(_w(t, 3, 4), (_w(t, 3, 5), _w(t, 2, 5)), _w(t, 20, 4),
                                        _w(t, 20, 5)),
                  RuntimeError, "Input batch size 3 doesn't match hidden1 batch size 2"),
                 (lambda t: t.lstm_cell(_w(t, 3, 4), (_w(t, 3, 5), _w(t, 3, 4)), _w(t, 20, 4),
                                        _w(t, 20, 5)),
                  RuntimeError, "hidden1 has inconsistent hidden_size: got 4, expected 5")]),
    NNOp("torch.gru_cell", lambda t, *a: t.gru_cell(*a), np_gru_cell, _s_cell(3),
         dtypes=("float32", "float64"), gradcheck=True,
         tol={"float32": (2e-5, 2e-5), "float64": (1e-10, 1e-10)},
         errors=[(lambda t: t.gru_cell(_w(t, 3, 4), _w(t, 3, 5), _w(t, 15, 4), _w(t, 15, 5),
                                       _w(t, 14)),
                  RuntimeError, "The expanded size of the tensor (15) must match the existing size (14)"),
                 (lambda t: t.gru_cell(1, _w(t, 3, 5), _w(t, 15, 4), _w(t, 15, 5)),
                  TypeError, "gru_cell(): argument 'input' (position 1) must be Tensor, not int"),
                 (lambda t: t.gru_cell(_i(t, 3, 4), _i(t, 3, 5), _i(t, 15, 4), _i(t, 15, 5)),
                  RuntimeError, "result type Float can't be cast to the desired output type Long")]),
    _seq_entry("lstm", 4, True, 2, True, False, "2layer_bidir"),
    _seq_entry("lstm", 4, False, 1, False, True, "nobias_batch_first"),
    _seq_entry("gru", 3, True, 2, True, False, "2layer_bidir"),
    _seq_entry("gru", 3, True, 1, False, True, "batch_first"),
    _seq_entry("rnn_tanh", 1, True, 2, True, True, "2layer_bidir_batch_first"),
    _seq_entry("rnn_relu", 1, False, 2, False, False, "2layer_nobias"),
]

# the multi-layer functions' argument and shape errors
_SEQ = lambda t: t.randn(5, 3, 4)          # noqa: E731


def _rnn_params(t, layers=1, ndir=1, gates=1, biases=True):
    ps = []
    for layer in range(layers):
        for _ in range(ndir):
            ps += [t.randn(gates * 2, 4 if layer == 0 else 2 * ndir), t.randn(gates * 2, 2)]
            if biases:
                ps += [t.randn(gates * 2), t.randn(gates * 2)]
    return ps


OPS[-1].errors = [
    (lambda t: t.rnn_relu(_SEQ(t), t.zeros(1, 3, 2), _rnn_params(t)[:3], True, 1, 0.0, True,
                          False, False), RuntimeError, "got an incorrect number of RNN parameters"),
    (lambda t: t.rnn_relu(_SEQ(t), t.zeros(1, 3, 2), _rnn_params(t), False, 1, 0.0, True,
                          False, False), RuntimeError, "Expected more weights in stacked_rnn"),
    (lambda t: t.rnn_relu(_SEQ(t), t.zeros(1, 3, 2), _rnn_params(t), True, 2, 0.0, True,
                          False, False), RuntimeError, "Expected more hidden states in stacked_rnn"),
    (lambda t: t.rnn_relu(_SEQ(t), t.zeros(1, 3, 2), _rnn_params(t), True, 1, 0.0, True,
                          True, False), RuntimeError,
     "Odd number of params or hiddens given to a bidirectional RNN"),
    (lambda t: t.rnn_relu(t.randn(0, 3, 4), t.zeros(1, 3, 2), _rnn_params(t), True, 1, 0.0, True,
                          False, False), RuntimeError,
     "Expected sequence length to be larger than 0 in RNN"),
    (lambda t: t.rnn_relu(_SEQ(t), t.zeros(2, 3, 2), _rnn_params(t, 2), True, 2, 1.5, True,
                          False, False), RuntimeError,
     "dropout probability has to be between 0 and 1, but got 1.5"),
    (lambda t: t.rnn_relu(_SEQ(t), t.zeros(1, 3, 2), _rnn_params(t), True, 1, 0.0, True, False),
     TypeError, "rnn_relu() received an invalid combination of arguments"),
    (lambda t: t.lstm(_SEQ(t), (t.zeros(1, 3, 2),), _rnn_params(t, gates=4), True, 1, 0.0, True,
                      False, False), RuntimeError, "lstm expects two hidden states"),
    (lambda t: t.gru(t.randn(5, 4), t.zeros(1, 2), _rnn_params(t, gates=3), True, 1, 0.0, True,
                     False, False), IndexError, "Dimension out of range"),
    (lambda t: t.lstm(_i(t, 5, 3, 4), (_i(t, 1, 3, 2), _i(t, 1, 3, 2)),
                      [_i(t, 8, 4), _i(t, 8, 2)], False, 1, 0.0, True, False, False),
     RuntimeError, "result type Float can't be cast to the desired output type Long"),
]
