"""The recurrent networks' functions at torch level: one step of an Elman
(tanh/relu), LSTM or GRU cell (rnn_tanh_cell, rnn_relu_cell, lstm_cell,
gru_cell) and the multi-layer, optionally bidirectional, sequence forms
(rnn_tanh, rnn_relu, lstm, gru) with PyTorch's signatures: the padded
(input, hx, params, has_biases, num_layers, dropout, train, bidirectional,
batch_first) one and the packed (data, batch_sizes, hx, params, ...) one.

Everything is a composition of ctorch's products and elementwise ops, so it
differentiates and runs on any device. The gates are in PyTorch's order
(LSTM: input, forget, cell, output; GRU: reset, update, new, with the hidden
bias of the new gate inside the reset product). A sequence form projects the
inputs of all time steps with one product per layer and direction, so that a
step costs one product with the hidden state plus a few elementwise ops. The
LSTM and GRU steps' pointwise parts are single graph nodes with their
backward written out, and a padded LSTM layer that records a graph is one
node whose backward forms the weights' gradients with one product over all
steps. On the CPU (float32, float64) a padded LSTM layer runs whole in C,
both ways (the backend's sequence kernels: the steps' products with the
hidden state, their pointwise parts, the inputs' projections a block of
steps at a time); the steps one at a time are the other devices' path.

Loaded on first use (ctorch._LAZY)."""
from ctorch._core.tensor import Tensor
from ctorch._ops.elementwise import relu as _relu, sigmoid as _sigmoid
from ctorch._ops.elementwise import tanh as _tanh_op
from ctorch._ops.products import addmm as _addmm, mm as _mm
from ctorch._ops.sampling import dropout as _dropout
from ctorch._ops.nnmisc import _lstm_bwd, _lstm_fwd, _lstm_seq_bwd, _lstm_seq_fwd, _lstm_seq_ok
from ctorch._ops.shape import cat as _cat, stack as _stack
from ctorch.autograd._node import _record, is_grad_enabled as _is_grad_enabled
from ctorch.autograd.function import Function
from ctorch._ops.products import _autocast_state, _autocast_call

__all__ = ["rnn_tanh_cell", "rnn_relu_cell", "lstm_cell", "gru_cell",
           "rnn_tanh", "rnn_relu", "lstm", "gru"]

_TYPE_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16",
               "complex64": "ComplexFloat", "complex128": "ComplexDouble", "int64": "Long",
               "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def _type_name(dt):
    return _TYPE_NAMES.get(str(dt).split(".")[-1], str(dt))


# ------------------------------------------------------------ argument checks

def _tensor(x, fn, name, pos):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be Tensor, "
                        f"not {type(x).__name__}")
    return x


def _opt_tensor(x, fn, name, pos):
    return None if x is None else _tensor(x, fn, name, pos)


def _tensor_list(x, fn, name, pos):
    if not isinstance(x, (tuple, list)):
        raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be tuple of Tensors, "
                        f"not {type(x).__name__}")
    for i, t in enumerate(x):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument {pos - 1}, "
                            f"but got {type(t).__name__}")
    return tuple(x)


def _same_dtype(ref, others):
    """The weights, biases and states must have the input's dtype (as the
    products they enter require)."""
    dt = ref.dtype
    for role, t in others:
        if t is not None and t.dtype != dt:
            raise RuntimeError(f"{role} must have the same dtype as input, but got "
                               f"{_type_name(t.dtype)} and {_type_name(dt)}")


def _float_gates(x):
    """LSTM and GRU gates are computed in place in PyTorch: integer inputs
    cannot hold their sigmoid."""
    dt = x.dtype
    if not (dt.is_floating_point or dt.is_complex):
        raise RuntimeError(f"result type Float can't be cast to the desired output type "
                           f"{_type_name(dt)}")


def _same_device(input, tensors):
    dev = input.device
    for t in tensors:
        if t is not None and t.device != dev:
            raise RuntimeError(f"Input and parameter tensors are not at the same device, found "
                               f"input tensor at {dev} and parameter tensor at {t.device}")


def _check_cell(input, hxs, w_ih, w_hh, b_ih, b_hh, gates):
    """PyTorch's cell checks, in its order: the weights' first dims against the
    hidden size (w_hh's second dim), the input's size, then each hidden state's
    batch and size."""
    hidden_size = w_hh.size(1)
    if w_ih.shape[0] != gates * hidden_size:
        raise RuntimeError(f"weight_ih first dim must be {gates} * hidden_size = "
                           f"{gates * hidden_size}, but got {w_ih.shape[0]}")
    if w_hh.shape[0] != gates * hidden_size:
        raise RuntimeError(f"weight_hh first dim must be {gates} * hidden_size = "
                           f"{gates * hidden_size}, but got {w_hh.shape[0]}")
    for w in (w_ih, w_hh):
        if w.dim() > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {w.dim()}D")
    if input.size(1) != w_ih.size(1):
        raise RuntimeError(f"input has inconsistent input_size: got {input.size(1)} "
                           f"expected {w_ih.size(1)}")
    if input.dim() > 2:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied "
                           f"({input.numel() // max(input.shape[-1], 1)}x{input.shape[-1]} and "
                           f"{w_ih.shape[1]}x{w_ih.shape[0]})")
    for k, hx in enumerate(hxs):
        if input.size(0) != hx.size(0):
            raise RuntimeError(f"Input batch size {input.size(0)} doesn't match hidden{k} "
                               f"batch size {hx.size(0)}")
        if hx.size(1) != hidden_size:
            raise RuntimeError(f"hidden{k} has inconsistent hidden_size: got {hx.size(1)}, "
                               f"expected {hidden_size}")
        if hx.dim() > 2:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied "
                               f"({hx.numel() // max(hx.shape[-1], 1)}x{hx.shape[-1]} and "
                               f"{w_hh.shape[1]}x{w_hh.shape[0]})")
    rows, cols = input.shape[0], gates * hidden_size
    for b in (b_ih, b_hh):
        if b is not None:
            b.expand(rows, cols)        # PyTorch's message for a bias that does not fit
    _same_dtype(input, [("weight_ih", w_ih), ("weight_hh", w_hh), ("bias_ih", b_ih),
                        ("bias_hh", b_hh)] + [(f"hidden{k}", h) for k, h in enumerate(hxs)])
    _same_device(input, (w_ih, w_hh, b_ih, b_hh) + tuple(hxs))
    return hidden_size


# -------------------------------------------------------------- one step

def _col(b):
    """A bias as a column of the transposed gates (G*H, 1), or the transpose
    of a 2-D one."""
    if b.dim() == 0:
        return b.reshape(1, 1)
    return b.unsqueeze(1) if b.dim() == 1 else b.t()


def _proj_t(w, xt, b):
    """(x @ w.T + b).T = w @ x.T + b as one gemm. The products run in this
    transposed orientation, (gates, batch): for the RNNs' short batches BLAS
    is markedly faster so, and each gate becomes a block of whole rows."""
    return _mm(w, xt) if b is None else _addmm(_col(b), w, xt)


def _bias_sum(b_ih, b_hh):
    if b_ih is None:
        return b_hh
    return b_ih if b_hh is None else b_ih + b_hh


# The steps' pointwise parts are single nodes with their backward written out:
# gates sliced into blocks inside a graph would each send back a gradient of
# the whole gates tensor, and slicing is what a step does most.

def _lstm_raw(gt, ct):
    """The LSTM step without history: (h', c', what the backward reads), by
    the backend's fused kernel or the same operations one at a time."""
    r = _lstm_fwd(gt, ct)
    if r is not None:
        return r
    hidden = gt.size(0) // 4
    a = _sigmoid(gt)
    g = _tanh_op(gt.narrow(0, 2 * hidden, hidden))
    cy = a.narrow(0, hidden, hidden) * ct
    cy.add_(a.narrow(0, 0, hidden) * g)
    tc = _tanh_op(cy)
    return a.narrow(0, 3 * hidden, hidden) * tc, cy, (a, g, ct, tc)


def _gru_raw(it, hgt, ht):
    """The GRU step without history: (h', what the backward reads)."""
    hidden = it.size(0) // 3
    rz = _sigmoid(it.narrow(0, 0, 2 * hidden) + hgt.narrow(0, 0, 2 * hidden))
    hn = hgt.narrow(0, 2 * hidden, hidden)
    n = _tanh_op(it.narrow(0, 2 * hidden, hidden) + rz.narrow(0, 0, hidden) * hn)
    d = ht - n
    return d * rz.narrow(0, hidden, hidden) + n, (rz, n, hn, d)


def _lstm_step_grads(a, g, ct, tc, dh, dc):
    """The gradients of an LSTM step's pre-activation gates (4H, B) and of
    its previous cell state ct (H, B) from what _lstm_raw saved and the
    gradients dh, dc of h', c': the backend's fused kernel, or the same
    operations one at a time."""
    r = _lstm_bwd(a, g, ct, tc, dh, dc)
    if r is not None:
        return r
    hidden = g.size(0)
    i, f, o = a.narrow(0, 0, hidden), a.narrow(0, hidden, hidden), a.narrow(0, 3 * hidden, hidden)
    dcy = dh * o * (1 - tc * tc) + dc
    di = dcy * g * i * (1 - i)
    df = dcy * ct * f * (1 - f)
    dg = dcy * i * (1 - g * g)
    do = dh * tc * o * (1 - o)
    return _cat([di, df, dg, do], 0), dcy * f


class _LSTMStep(Function):
    """(h', c') transposed, (H, B), from the pre-activation gates (4H, B) and
    c (H, B): i, f, o = sigmoid, g = tanh of their blocks; c' = f c + i g,
    h' = o tanh(c')."""

    @staticmethod
    def forward(ctx, gt, ct):
        hy, cy, saved = _lstm_raw(gt, ct)
        ctx.save_for_backward(*saved)
        return hy, cy

    @staticmethod
    def backward(ctx, dh, dc):
        return _lstm_step_grads(*ctx.saved_tensors, dh, dc)


class _GRUStep(Function):
    """h' transposed (H, B) from the input part (3H, B, with b_ih) and the
    hidden part (3H, B, with b_hh) of the gates and h (H, B): r, z =
    sigmoid(i + h) on the first 2H rows, n = tanh(i_n + r h_n),
    h' = (h - n) z + n."""

    @staticmethod
    def forward(ctx, it, hgt, ht):
        hy, saved = _gru_raw(it, hgt, ht)
        ctx.save_for_backward(*saved)
        return hy

    @staticmethod
    def backward(ctx, dh):
        rz, n, hn, d = ctx.saved_tensors
        hidden = n.size(0)
        r, z = rz.narrow(0, 0, hidden), rz.narrow(0, hidden, hidden)
        dpn = dh * (1 - z) * (1 - n * n)
        dpr = dpn * hn * r * (1 - r)
        dpz = dh * d * z * (1 - z)
        return _cat([dpr, dpz, dpn], 0), _cat([dpr, dpz, dpn * r], 0), dh * z


class _Steps(Function):
    """The columns of the projected inputs (G*H, N) split into the steps'
    blocks of `sizes` columns; the backward joins the steps' gradients with
    one concatenation."""

    @staticmethod
    def forward(ctx, proj, sizes):
        d = proj.detach()
        out, at = [], 0
        for b in sizes:
            out.append(d.narrow(1, at, b))
            at += b
        return tuple(out)

    @staticmethod
    def backward(ctx, *grads):
        return _cat(grads, 1), None


class _LSTMLayer(Function):
    """One direction of one LSTM layer (no projections) over a padded sequence
    xs (T, B, I) from h0, c0 (B, H): (outputs (T, B, H), h_n, c_n). The steps
    run without history; the backward walks them in reverse for the gates'
    gradients and then forms the weights' and the inputs' gradients with one
    product each over all steps."""

    @staticmethod
    def forward(ctx, xs, h0, c0, w_ih, w_hh, b_ih, b_hh, reverse):
        n, batch = xs.size(0), xs.size(1)
        x2 = xs.reshape(n * batch, xs.size(2))
        proj = _proj_t(w_ih, x2.t(), _bias_sum(b_ih, b_hh))
        steps = proj.reshape(proj.size(0), n, batch).unbind(1)
        ht, ct = h0.t(), c0.t()
        outs, saved, prev = [None] * n, [None] * n, [None] * n
        for t in (range(n - 1, -1, -1) if reverse else range(n)):
            prev[t] = ht
            ht, ct, saved[t] = _lstm_raw(_addmm(steps[t], w_hh, ht), ct)
            outs[t] = ht.t()
        ctx.save_for_backward(x2, w_ih, w_hh)
        ctx.steps, ctx.prev, ctx.reverse = saved, prev, reverse
        return _stack(outs, 0), ht.t(), ct.t()

    @staticmethod
    def backward(ctx, dout, dhn, dcn):
        x2, w_ih, w_hh = ctx.saved_tensors
        saved, prev = ctx.steps, ctx.prev
        n = len(saved)
        dht, dct = dhn.t(), dcn.t()
        w_hh_t = w_hh.t()
        dgs = [None] * n
        for t in (range(n) if ctx.reverse else range(n - 1, -1, -1)):
            a, g, c_prev, tc = saved[t]
            dgt, dct = _lstm_step_grads(a, g, c_prev, tc, dht + dout[t].t(), dct)
            dgs[t] = dgt
            dht = _mm(w_hh_t, dgt)
        dg = _cat(dgs, 1)                       # (4H, T * B), the steps in time order
        need = ctx.needs_input_grad
        dx = _mm(dg.t(), w_ih).reshape(dout.shape[:2] + (w_ih.size(1),)) if need[0] else None
        dw_ih = _mm(dg, x2) if need[3] else None
        dw_hh = _mm(dg, _cat(prev, 1).t()) if need[4] else None
        db = dg.sum(1) if (need[5] or need[6]) else None
        return dx, dht.t(), dct.t(), dw_ih, dw_hh, db, db, None


def _lstm_seq(xs, h0, c0, w_ih, w_hh, b_ih, b_hh, reverse, save):
    """One direction of one LSTM layer by the backend's sequence kernel (the
    inputs' projections a block of steps at a time, every step's product
    with the hidden state and pointwise part in C). Returns (out, h_n, c_n,
    cs, saved)."""
    out, cs, saved = _lstm_seq_fwd(xs, w_ih, w_hh, _bias_sum(b_ih, b_hh), h0, c0, reverse, save)
    last = 0 if reverse else xs.size(0) - 1
    return out, out[last].clone(), cs[last].clone(), cs, saved


class _LSTMSeq(Function):
    """_LSTMLayer's forward and backward by the backend's sequence kernels,
    the states and gates as rows (B, H) and (B, 4H). The output is not kept:
    the backward forms the steps' h again as o tanh(c) from the saved gates
    (the same products), so that the output stays the caller's to modify."""

    @staticmethod
    def forward(ctx, xs, h0, c0, w_ih, w_hh, b_ih, b_hh, reverse):
        out, hn, cn, cs, saved = _lstm_seq(xs, h0, c0, w_ih, w_hh, b_ih, b_hh, reverse, True)
        ctx.save_for_backward(xs, w_ih, w_hh, h0, c0)
        ctx.seq = (cs, saved, reverse)
        return out, hn, cn

    @staticmethod
    def backward(ctx, dout, dhn, dcn):
        xs, w_ih, w_hh, h0, c0 = ctx.saved_tensors
        cs, (a, tc), reverse = ctx.seq
        dg, dh0, dc0 = _lstm_seq_bwd(dout, dhn, dcn, a, tc, cs, c0, w_hh, reverse)
        n, batch, hidden = tc.size(0), tc.size(1), tc.size(2)
        dg2 = dg.reshape(n * batch, dg.size(2))
        need = ctx.needs_input_grad
        dx = _mm(dg2, w_ih).reshape(n, batch, w_ih.size(1)) if need[0] else None
        dw_ih = _mm(dg2.t(), xs.reshape(n * batch, xs.size(2))) if need[3] else None
        dw_hh = None
        if need[4]:
            # each step's previous h, in the steps' order
            hs = a.narrow(2, 3 * hidden, hidden) * tc
            h0r = h0.unsqueeze(0)
            hp = (_cat([hs.narrow(0, 1, n - 1), h0r], 0) if reverse
                  else _cat([h0r, hs.narrow(0, 0, n - 1)], 0))
            dw_hh = _mm(dg2.t(), hp.reshape(n * batch, hp.size(2)))
        db = dg2.sum(0) if (need[5] or need[6]) else None
        return dx, dh0, dc0, dw_ih, dw_hh, db, db, None


def _tracks(*tensors):
    """Whether a step's node is needed: grad mode on and an input needing a
    gradient (else the step runs as plain ops)."""
    return _is_grad_enabled() and any(t.requires_grad for t in tensors)


def _lstm_step(gt, ct, track=True):
    if track:
        return _LSTMStep.apply(gt, ct)
    return _lstm_raw(gt, ct)[:2]


def _gru_step(it, hgt, ht, track=True):
    if track:
        return _GRUStep.apply(it, hgt, ht)
    return _gru_raw(it, hgt, ht)[0]


# ------------------------------------------------------------------- cells

def rnn_tanh_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One step of an Elman RNN: tanh(input W_ih^T + b_ih + hx W_hh^T + b_hh)."""
    if _autocast_state() & 2:
        return _autocast_call("rnn_tanh_cell", rnn_tanh_cell, (input, hx, w_ih, w_hh, b_ih, b_hh), None)
    return _rnn_cell("rnn_tanh_cell", _tanh_op, input, hx, w_ih, w_hh, b_ih, b_hh)


def rnn_relu_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One step of an Elman RNN: relu(input W_ih^T + b_ih + hx W_hh^T + b_hh)."""
    if _autocast_state() & 2:
        return _autocast_call("rnn_relu_cell", rnn_relu_cell, (input, hx, w_ih, w_hh, b_ih, b_hh), None)
    return _rnn_cell("rnn_relu_cell", _relu, input, hx, w_ih, w_hh, b_ih, b_hh)


def _cell_args(fn, input, w_ih, w_hh, b_ih, b_hh):
    _tensor(input, fn, "input", 1)
    _tensor(w_ih, fn, "w_ih", 3)
    _tensor(w_hh, fn, "w_hh", 4)
    return _opt_tensor(b_ih, fn, "b_ih", 5), _opt_tensor(b_hh, fn, "b_hh", 6)


def _rnn_cell(fn, act, input, hx, w_ih, w_hh, b_ih, b_hh):
    b_ih, b_hh = _cell_args(fn, input, w_ih, w_hh, b_ih, b_hh)
    _tensor(hx, fn, "hx", 2)
    _check_cell(input, (hx,), w_ih, w_hh, b_ih, b_hh, 1)
    gt = _addmm(_proj_t(w_ih, input.t(), _bias_sum(b_ih, b_hh)), w_hh, hx.t())
    return act(gt.t().contiguous())


def lstm_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One LSTM step; hx is (h, c); returns (h', c') with gates i, f, g, o:
    c' = f c + i g, h' = o tanh(c')."""
    if _autocast_state() & 2:
        return _autocast_call("lstm_cell", lstm_cell, (input, hx, w_ih, w_hh, b_ih, b_hh), None)
    b_ih, b_hh = _cell_args("lstm_cell", input, w_ih, w_hh, b_ih, b_hh)
    hx = _tensor_list(hx, "lstm_cell", "hx", 2)
    if len(hx) != 2:
        raise RuntimeError("lstm_cell expects two hidden states")
    _check_cell(input, hx, w_ih, w_hh, b_ih, b_hh, 4)
    _float_gates(input)
    gt = _addmm(_proj_t(w_ih, input.t(), _bias_sum(b_ih, b_hh)), w_hh, hx[0].t())
    ht, ct = _lstm_step(gt, hx[1].t(), _tracks(gt, hx[1]))
    return ht.t().contiguous(), ct.t().contiguous()


def gru_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One GRU step: r, z = sigmoid(.), n = tanh(i_n + b_in + r (h_n + b_hn)),
    h' = (1 - z) n + z hx."""
    if _autocast_state() & 2:
        return _autocast_call("gru_cell", gru_cell, (input, hx, w_ih, w_hh, b_ih, b_hh), None)
    b_ih, b_hh = _cell_args("gru_cell", input, w_ih, w_hh, b_ih, b_hh)
    _tensor(hx, "gru_cell", "hx", 2)
    _check_cell(input, (hx,), w_ih, w_hh, b_ih, b_hh, 3)
    _float_gates(input)
    ht = hx.t()
    it, hgt = _proj_t(w_ih, input.t(), b_ih), _proj_t(w_hh, ht, b_hh)
    return _gru_step(it, hgt, ht, _tracks(it, hgt, hx)).t().contiguous()


# --------------------------------------------------------------- sequences

_SIGNATURES = {
    "lstm": (" * (Tensor data, Tensor batch_sizes, tuple of Tensors hx, tuple of Tensors params, "
             "bool has_biases, int num_layers, float dropout, bool train, bool bidirectional)\n"
             " * (Tensor input, tuple of Tensors hx, tuple of Tensors params, bool has_biases, "
             "int num_layers, float dropout, bool train, bool bidirectional, bool batch_first)\n"),
    "rnn": (" * (Tensor data, Tensor batch_sizes, Tensor hx, tuple of Tensors params, "
            "bool has_biases, int num_layers, float dropout, bool train, bool bidirectional)\n"
            " * (Tensor input, Tensor hx, tuple of Tensors params, bool has_biases, "
            "int num_layers, float dropout, bool train, bool bidirectional, bool batch_first)\n"),
}


def _bad_args(fn, args, kwargs):
    got = ", ".join([type(a).__name__ for a in args] + [f"{k}={type(v).__name__}" for k, v in kwargs.items()])
    sig = _SIGNATURES["lstm" if fn == "lstm" else "rnn"]
    return TypeError(f"{fn}() received an invalid combination of arguments - got ({got}), "
                     f"but expected one of:\n{sig}")


_PADDED = ("input", "hx", "params", "has_biases", "num_layers", "dropout", "train",
           "bidirectional", "batch_first")
_PACKED = ("data", "batch_sizes", "hx", "params", "has_biases", "num_layers", "dropout", "train",
           "bidirectional")


def _is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def _bind(fn, args, kwargs):
    """Picks the overload (padded or packed) and checks its argument types;
    returns (packed, {name: value})."""
    is_lstm = fn == "lstm"
    if "batch_sizes" in kwargs or "data" in kwargs:
        packed = True
    else:
        a1 = args[1] if len(args) > 1 else None
        a2 = args[2] if len(args) > 2 else kwargs.get("hx")
        packed = isinstance(a1, Tensor) and (is_lstm or isinstance(a2, Tensor))
    names = _PACKED if packed else _PADDED
    if len(args) > len(names) or any(k not in names for k in kwargs):
        raise _bad_args(fn, args, kwargs)
    bound = dict(zip(names, args))
    for k, v in kwargs.items():
        if k in bound:
            raise _bad_args(fn, args, kwargs)
        bound[k] = v
    if len(bound) != len(names):
        raise _bad_args(fn, args, kwargs)

    def seq(x):
        return isinstance(x, (tuple, list)) and all(isinstance(t, Tensor) for t in x)

    ok = (isinstance(bound[names[0]], Tensor) and seq(bound["params"])
          and (seq(bound["hx"]) if is_lstm else isinstance(bound["hx"], Tensor))
          and isinstance(bound["has_biases"], bool) and _is_int(bound["num_layers"])
          and isinstance(bound["dropout"], (int, float)) and not isinstance(bound["dropout"], bool)
          and isinstance(bound["train"], bool) and isinstance(bound["bidirectional"], bool)
          and (packed or isinstance(bound["batch_first"], bool))
          and (not packed or isinstance(bound["batch_sizes"], Tensor)))
    if not ok:
        raise _bad_args(fn, args, kwargs)
    return packed, bound


def _gather(params, has_biases, has_proj):
    """The flat parameter list as one (w_ih, w_hh, b_ih, b_hh, w_hr) per layer
    and direction, in PyTorch's order."""
    stride = (4 if has_biases else 2) + (1 if has_proj else 0)
    if len(params) % stride:
        raise RuntimeError("got an incorrect number of RNN parameters")
    out = []
    for k in range(0, len(params), stride):
        p = params[k:k + stride]
        if has_biases:
            out.append((p[0], p[1], p[2], p[3], p[4] if has_proj else None))
        else:
            out.append((p[0], p[1], None, None, p[2] if has_proj else None))
    return out


def _dropout_p(p):
    p = float(p)
    if not (0.0 <= p <= 1.0):
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p:g}")
    return p


def _layer(mode, xs, h, c, p, reverse, sizes=None):
    """One direction of one layer over the steps xs (T, B, I), or the packed
    rows xs (N, I) with `sizes` (the batch size of each step, non-increasing:
    step t runs on the first sizes[t] rows), from the states h, c (B, H).
    Returns (outputs (T, B, H_out) or (N, H_out), h_n, c_n). Inside, states
    and gates are transposed: (H, B) and (G*H, B)."""
    w_ih, w_hh, b_ih, b_hh, w_hr = p
    track = _is_grad_enabled() and any(
        t is not None and t.requires_grad for t in (xs, h, c, w_ih, w_hh, b_ih, b_hh, w_hr))
    if mode == "lstm" and sizes is None and w_hr is None:
        if _lstm_seq_ok(xs) and xs.numel() > 0 and h.numel() > 0:
            if track:
                return _LSTMSeq.apply(xs, h, c, w_ih, w_hh, b_ih, b_hh, reverse)
            return _lstm_seq(xs, h, c, w_ih, w_hh, b_ih, b_hh, reverse, False)[:3]
        if track:
            return _LSTMLayer.apply(xs, h, c, w_ih, w_hh, b_ih, b_hh, reverse)
    x2t = xs.reshape(-1, xs.size(-1)).t()
    proj = _proj_t(w_ih, x2t, b_ih if mode == "gru" else _bias_sum(b_ih, b_hh))
    if sizes is None:
        steps = (_Steps.apply(proj, [xs.size(1)] * xs.size(0)) if track else
                 proj.reshape(proj.size(0), xs.size(0), xs.size(1)).unbind(1))
    else:
        steps = _Steps.apply(proj, sizes) if track else proj.split(sizes, 1)
    n = len(steps)
    outs = [None] * n
    order = range(n - 1, -1, -1) if reverse else range(n)
    h0t, c0t = h.t(), (None if c is None else c.t())
    ht, ct = h0t, c0t
    # packed: rows leave the batch (forward) or join it (reverse) between steps
    done_h, done_c, cur = [], [], None
    for t in order:
        x = steps[t]
        if sizes is not None:
            b = sizes[t]
            if cur is None:
                cur = b
                ht = h0t.narrow(1, 0, b)
                ct = None if c0t is None else c0t.narrow(1, 0, b)
            elif b < cur:               # forward: the last rows end here
                done_h.append(ht.narrow(1, b, cur - b))
                ht = ht.narrow(1, 0, b)
                if ct is not None:
                    done_c.append(ct.narrow(1, b, cur - b))
                    ct = ct.narrow(1, 0, b)
                cur = b
            elif b > cur:               # reverse: new rows start from their initial state
                ht = _cat([ht, h0t.narrow(1, cur, b - cur)], 1)
                if ct is not None:
                    ct = _cat([ct, c0t.narrow(1, cur, b - cur)], 1)
                cur = b
        if mode == "lstm":
            ht, ct = _lstm_step(_addmm(x, w_hh, ht), ct, track)
            if w_hr is not None:
                ht = _mm(w_hr, ht)
        elif mode == "gru":
            ht = _gru_step(x, _proj_t(w_hh, ht, b_hh), ht, track)
        else:
            g = _addmm(x, w_hh, ht)
            ht = _tanh_op(g) if mode == "rnn_tanh" else _relu(g)
        outs[t] = ht.t()
    if sizes is not None:
        if done_h:
            ht = _cat([ht] + done_h[::-1], 1)
            if ct is not None:
                ct = _cat([ct] + done_c[::-1], 1)
        out = _cat(outs, 0)
    else:
        out = _stack(outs, 0)
    return out, ht.t(), (None if ct is None else ct.t())


def _stacked(fn, mode, x, hs, cs, params, has_biases, num_layers, dropout, train,
             bidirectional, sizes=None):
    """The layers in turn (a bidirectional layer concatenates its two
    directions' outputs); dropout between layers when training. Returns the
    last layer's output and the final states of every layer and direction."""
    if not isinstance(params, (tuple, list)):
        params = tuple(params)
    has_proj = cs is not None and hs[0].shape[-1] != cs[0].shape[-1] if hs else False
    layers = _gather(params, has_biases, has_proj)
    ndir = 2 if bidirectional else 1
    if bidirectional and (len(layers) % 2 or len(hs) % 2):
        raise RuntimeError("Odd number of params or hiddens given to a bidirectional RNN")
    if num_layers != len(hs) // ndir:
        raise RuntimeError("Expected more hidden states in stacked_rnn")
    if num_layers != len(layers) // ndir:
        raise RuntimeError("Expected more weights in stacked_rnn")
    if x.shape[0] == 0:
        raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
    flat = [t for p in layers for t in p]
    _same_dtype(x, [("hx", h) for h in hs] + [("cx", c) for c in (cs or ())]
                + [("parameter", t) for t in flat])
    _same_device(x, flat + list(hs) + list(cs or ()))
    if mode in ("lstm", "gru"):
        _float_gates(x)
    p = float(dropout)
    if p != 0 and train and num_layers > 1:
        p = _dropout_p(p)
    out_h, out_c = [], []
    for layer in range(num_layers):
        results = []
        for d in range(ndir):
            k = layer * ndir + d
            o, h, c = _layer(mode, x, hs[k], None if cs is None else cs[k], layers[k], d == 1, sizes)
            results.append(o)
            out_h.append(h)
            out_c.append(c)
        x = results[0] if ndir == 1 else _cat(results, -1)
        if p != 0 and train and layer < num_layers - 1:
            x = _dropout(x, p, True)
    hn = _stack(out_h, 0)
    return x, hn, (None if cs is None else _stack(out_c, 0))


def _sequence(fn, mode, args, kwargs):
    packed, a = _bind(fn, args, kwargs)
    hx = a["hx"]
    if mode == "lstm":
        if len(hx) != 2:
            raise RuntimeError("lstm expects two hidden states")
        h0, c0 = hx
    else:
        h0, c0 = hx, None
    if packed:
        return _packed(fn, mode, a, h0, c0)
    x = a["input"]
    batch_first = a["batch_first"]
    if x.dim() == 2 and mode in ("rnn_tanh", "rnn_relu") and h0.dim() == 2:
        # an unbatched sequence (T, I) with hx (layers * directions, H)
        r = _sequence(fn, mode, (x.unsqueeze(1), h0.unsqueeze(1)) + tuple(
            a[k] for k in _PADDED[2:8]) + (False,), {})
        return (r[0].squeeze(1), r[1].squeeze(1))
    if x.dim() != 3:
        if x.dim() == 2:
            hi = 1 if mode == "lstm" else 0
            raise IndexError(f"Dimension out of range (expected to be in range of "
                             f"[{-hi - 1}, {hi}], but got {hi + 1})")
        raise RuntimeError(f"{fn}: expected input of 3 dimensions (seq_len, batch, input_size), "
                           f"got {x.dim()}")
    for name, t in (("hx", h0), ("cx", c0)):
        if t is not None and t.dim() != 3:
            raise RuntimeError(f"{fn}: expected {name} of 3 dimensions (num_layers * num_directions, "
                               f"batch, hidden_size), got {t.dim()}")
    if batch_first:
        x = x.transpose(0, 1)
    hs = h0.unbind(0)
    cs = None if c0 is None else c0.unbind(0)
    if cs is not None and len(cs) != len(hs):
        raise RuntimeError("Expected more hidden states in stacked_rnn")
    out, hn, cn = _stacked(fn, mode, x, hs, cs, a["params"], a["has_biases"], a["num_layers"],
                           a["dropout"], a["train"], a["bidirectional"])
    if batch_first:
        out = out.transpose(0, 1)
    return (out, hn) if cn is None else (out, hn, cn)


def _packed(fn, mode, a, h0, c0):
    """The packed form: data (sum(batch_sizes), I), the steps' batch sizes
    (a non-increasing 1-D int64 CPU tensor), states for the largest batch."""
    data, bs = a["data"], a["batch_sizes"]
    if bs.dim() != 1 or bs.dtype.is_floating_point or bs.dtype.is_complex:
        raise RuntimeError("batch_sizes should always be a 1D int64 tensor")
    if bs.device.type != "cpu":
        raise RuntimeError(f"batch_sizes should always be on CPU. Instead got {bs.device}")
    sizes = [int(v) for v in bs.tolist()]
    if not sizes:
        raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
    if any(s <= 0 for s in sizes) or any(sizes[i] < sizes[i + 1] for i in range(len(sizes) - 1)):
        raise RuntimeError("batch_sizes must be positive and non-increasing")
    if data.dim() != 2 or data.shape[0] != sum(sizes):
        raise RuntimeError(f"{fn}: expected data of shape (sum(batch_sizes) = {sum(sizes)}, "
                           f"input_size), got {list(data.shape)}")
    for name, t in (("hx", h0), ("cx", c0)):
        if t is not None and (t.dim() != 3 or t.shape[1] != sizes[0]):
            raise RuntimeError(f"{fn}: expected {name} of shape (num_layers * num_directions, "
                               f"{sizes[0]}, hidden_size), got {list(t.shape)}")
    hs = h0.unbind(0)
    cs = None if c0 is None else c0.unbind(0)
    if cs is not None and len(cs) != len(hs):
        raise RuntimeError("Expected more hidden states in stacked_rnn")
    out, hn, cn = _stacked(fn, mode, data, hs, cs, a["params"], a["has_biases"], a["num_layers"],
                           a["dropout"], a["train"], a["bidirectional"], sizes)
    return (out, hn) if cn is None else (out, hn, cn)


def rnn_tanh(*args, **kwargs):
    """rnn_tanh(input, hx, params, has_biases, num_layers, dropout, train,
    bidirectional, batch_first) -> (output, h_n); or
    rnn_tanh(data, batch_sizes, hx, params, has_biases, num_layers, dropout,
    train, bidirectional) for a packed sequence."""
    return _sequence("rnn_tanh", "rnn_tanh", args, kwargs)


def rnn_relu(*args, **kwargs):
    """rnn_relu(input, hx, params, has_biases, num_layers, dropout, train,
    bidirectional, batch_first) -> (output, h_n); or the packed form."""
    return _sequence("rnn_relu", "rnn_relu", args, kwargs)


def lstm(*args, **kwargs):
    """lstm(input, (h_0, c_0), params, has_biases, num_layers, dropout, train,
    bidirectional, batch_first) -> (output, h_n, c_n); or the packed form.
    Per layer and direction params holds w_ih, w_hh[, b_ih, b_hh][, w_hr]:
    w_hr (projections) is there when h_0's size differs from c_0's."""
    return _sequence("lstm", "lstm", args, kwargs)


def gru(*args, **kwargs):
    """gru(input, hx, params, has_biases, num_layers, dropout, train,
    bidirectional, batch_first) -> (output, h_n); or the packed form."""
    return _sequence("gru", "gru", args, kwargs)
