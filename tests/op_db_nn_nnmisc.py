"""torch.nn.functional entries of tests/test_nn.py: batch and instance
normalisation, normalize, softmin, local response normalisation, bilinear,
embedding_bag, the dropouts' deterministic cases, the Gaussian and margin
losses and the torch-level forms. numpy references written from the
definitions (loops over channels, bags and class pairs)."""
import numpy as np

from tests.op_db_nn import NNOp, D, I, randn, FLOATS  # noqa: F401


def F(torch):
    return torch.nn.functional


def _f64(*xs):
    return [None if x is None else np.asarray(x, dtype=np.float64) for x in xs]


def _reduce(loss, reduction):
    if reduction == "none":
        return loss
    return np.asarray(loss.sum() if reduction == "sum" else loss.mean())


def _x(t, *shape):
    return t.randn(*shape)


_HALF = {"float16": (2e-2, 2e-2)}
_INT = (("int64", NotImplementedError, "not implemented for 'Long'"),)

# ------------------------------------------------------------- batch_norm


def _np_bn(x, rm, rv, w=None, b=None, training=False, momentum=0.1, eps=1e-5):
    x, rm, rv, w, b = _f64(x, rm, rv, w, b)
    dims = (0,) + tuple(range(2, x.ndim))
    view = (1, -1) + (1,) * (x.ndim - 2)
    if training:
        m, v = x.mean(dims), x.var(dims)
    else:
        m, v = rm, rv
    y = (x - m.reshape(view)) / np.sqrt(v.reshape(view) + eps)
    if w is not None:
        y = y * w.reshape(view)
    if b is not None:
        y = y + b.reshape(view)
    return y


def _stats(rng, c, dt):
    return I(randn(rng, (c,), dt)), I((rng.random(c) + 0.5).astype(dt))


def _s_bn(rng, dt):
    p = lambda c: D(randn(rng, (c,), dt))
    return [
        ((D(randn(rng, (4, 3, 5), dt)),) + _stats(rng, 3, dt) + (p(3), p(3)), {"training": True}),
        ((D(randn(rng, (6, 4), dt) * 3 + 1),) + _stats(rng, 4, dt), {"training": True,
                                                                     "momentum": 0.3}),
        ((D(randn(rng, (2, 3, 4, 4), dt)),) + _stats(rng, 3, dt) + (p(3), p(3)),
         {"training": False}),
        ((D(randn(rng, (5, 3), dt)), None, None, p(3)), {"training": True, "eps": 1e-3}),
        ((D(randn(rng, (3, 2, 3), dt)),) + _stats(rng, 2, dt) + (None, p(2)), {"eps": 0.1}),
    ]


def _bn(t, x, rm, rv, w=None, b=None, **k):
    return F(t).batch_norm(x, rm, rv, w, b, **k)


def _np_in(x, rm=None, rv=None, w=None, b=None, use_input_stats=True, momentum=0.1, eps=1e-5):
    x, rm, rv, w, b = _f64(x, rm, rv, w, b)
    view = (1, -1) + (1,) * (x.ndim - 2)
    if use_input_stats:
        dims = tuple(range(2, x.ndim))
        m, v = x.mean(dims, keepdims=True), x.var(dims, keepdims=True)
    else:
        m, v = rm.reshape(view), rv.reshape(view)
    y = (x - m) / np.sqrt(v + eps)
    if w is not None:
        y = y * w.reshape(view)
    if b is not None:
        y = y + b.reshape(view)
    return y


def _s_in(rng, dt):
    p = lambda c: D(randn(rng, (c,), dt))
    return [
        ((D(randn(rng, (2, 3, 5), dt)), None, None, p(3), p(3)), {}),
        ((D(randn(rng, (2, 3, 2, 3), dt)),) + _stats(rng, 3, dt), {"momentum": 0.5}),
        ((D(randn(rng, (2, 3, 4), dt)),) + _stats(rng, 3, dt) + (p(3),),
         {"use_input_stats": False}),
    ]


def _in(t, x, rm, rv, w=None, b=None, **k):
    return F(t).instance_norm(x, rm, rv, w, b, **k)


# ------------------------------------------------------ small compositions

def _np_normalize(x, p=2.0, dim=1, eps=1e-12):
    x = _f64(x)[0]
    n = (np.abs(x) ** p).sum(dim, keepdims=True) ** (1 / p)
    return x / np.maximum(n, eps)


def _s_normalize(rng, dt):
    return [((D(randn(rng, (4, 5), dt)),), {}),
            ((D(randn(rng, (4, 5), dt)),), {"p": 1.0, "dim": 0}),
            ((D(randn(rng, (2, 3, 4), dt)),), {"p": 3.0, "dim": -1, "eps": 0.5})]


def _np_softmin(x, dim):
    x = -_f64(x)[0]
    e = np.exp(x - x.max(dim, keepdims=True))
    return e / e.sum(dim, keepdims=True)


def _s_softmin(rng, dt):
    return [((D(randn(rng, (4, 5), dt)),), {"dim": 1}),
            ((D(randn(rng, (2, 3, 4), dt)),), {"dim": 0})]


def _np_lrn(x, size, alpha=1e-4, beta=0.75, k=1.0):
    x = _f64(x)[0]
    c = x.shape[1]
    out = np.empty_like(x)
    for ch in range(c):
        lo, hi = max(ch - size // 2, 0), min(ch + (size - 1) // 2, c - 1)
        s = (x[:, lo:hi + 1] ** 2).sum(1)
        out[:, ch] = x[:, ch] / (k + alpha / size * s) ** beta
    return out


def _s_lrn(rng, dt):
    return [((D(randn(rng, (2, 5, 4), dt)), 2), {}),
            ((D(randn(rng, (2, 6, 3, 3), dt)), 3), {"alpha": 0.1, "beta": 0.5, "k": 2.0}),
            ((D(randn(rng, (1, 4, 2, 2, 2), dt)), 4), {"alpha": 0.5})]


def _np_bilinear(x1, x2, w, b=None):
    x1, x2, w, b = _f64(x1, x2, w, b)
    y = np.einsum("...i,oij,...j->...o", x1, w, x2)
    return y if b is None else y + b


def _s_bilinear(rng, dt):
    return [((D(randn(rng, (4, 3), dt)), D(randn(rng, (4, 2), dt)), D(randn(rng, (5, 3, 2), dt)),
              D(randn(rng, (5,), dt))), {}),
            ((D(randn(rng, (4, 3), dt)), D(randn(rng, (4, 2), dt)),
              D(randn(rng, (5, 3, 2), dt))), {}),
            ((D(randn(rng, (2, 3, 3), dt)), D(randn(rng, (2, 3, 4), dt)),
              D(randn(rng, (2, 3, 4), dt)), D(randn(rng, (2,), dt))), {})]


def _np_norm_except(v, pw=2, dim=0):
    v = _f64(v)[0]
    if dim == -1:
        return np.asarray((np.abs(v) ** pw).sum() ** (1 / pw))
    axes = tuple(a for a in range(v.ndim) if a != dim % v.ndim)
    return (np.abs(v) ** pw).sum(axes, keepdims=True) ** (1 / pw)


def _s_norm_except(rng, dt):
    v = lambda: D(randn(rng, (2, 3, 4), dt))
    return [((v(), 2, 0), {}), ((v(), 3, 1), {}), ((v(), 2, 2), {}), ((v(), 2, -1), {})]


# ----------------------------------------------------------- embedding_bag

def _np_ebag(w, idx, off=None, mode="mean", per_sample_weights=None, include_last_offset=False,
             padding_idx=None):
    w = _f64(w)[0]
    idx = np.asarray(idx)
    psw = None if per_sample_weights is None else _f64(per_sample_weights)[0].reshape(-1)
    if idx.ndim == 2:
        off = np.arange(0, idx.size, idx.shape[1])
        idx = idx.reshape(-1)
    off = list(np.asarray(off))
    # include_last_offset: the last offset closes the list of bags; the last
    # bag still runs to the end of the input
    bounds = (off[:-1] if include_last_offset else off) + [len(idx)]
    if padding_idx is not None and padding_idx < 0:
        padding_idx += w.shape[0]
    out = []
    for s, e in zip(bounds[:-1], bounds[1:]):
        pos = [i for i in range(s, e) if idx[i] != padding_idx]
        if not pos:
            out.append(np.zeros(w.shape[1]))
            continue
        rows = w[idx[pos]]
        if mode == "sum":
            out.append((rows * (1 if psw is None else psw[pos][:, None])).sum(0))
        elif mode == "mean":
            out.append(rows.mean(0))
        else:
            out.append(rows.max(0))
    return np.array(out).reshape(-1, w.shape[1])


def _s_ebag(rng, dt):
    w = lambda: D(randn(rng, (10, 3), dt))
    idx = I(np.array([1, 2, 4, 5, 4, 3, 2, 9, 0]))
    off = I(np.array([0, 4, 4, 6]))
    return [
        ((w(), idx, off), {}),
        ((w(), idx, off), {"mode": "sum"}),
        ((w(), idx, off), {"mode": "max"}),
        ((w(), idx, I(np.array([0, 3, 9]))), {"mode": "mean", "include_last_offset": True}),
        ((w(), idx, I(np.array([0, 4, 4, 6]))), {"mode": "sum", "include_last_offset": True}),
        ((w(), idx, off), {"mode": "mean", "padding_idx": 4}),
        ((w(), idx, off, D(rng.random(9).astype(dt) + 0.5)), {"mode": "sum", "padding_idx": -8}),
        ((w(), I(np.array([[1, 2, 3], [3, 3, 0]])), None), {"mode": "sum"}),
        ((w(), idx, off), {"mode": "max", "padding_idx": 2}),
        ((w(), idx, I(np.array([0, 3, 9]))), {"mode": "max", "include_last_offset": True}),
        ((w(), idx, off, D(rng.random(9).astype(dt) + 0.5)), {"mode": "sum"}),
        ((w(), I(idx.a.astype(np.int32)), I(off.a.astype(np.int32))), {"mode": "mean"}),
        ((w(), I(np.array([[4, 4], [1, 4], [0, 0]])), None), {"mode": "mean", "padding_idx": 4}),
        # rows wider than the kernel's 16-column blocks (and a remainder)
        ((D(randn(rng, (10, 19), dt)), idx, off, D(rng.random(9).astype(dt) + 0.5)),
         {"mode": "sum", "padding_idx": 4}),
        # 64-column blocks (positions taken in pairs, an odd count, padding
        # positions next to real ones) and a NaN in the padding row, which
        # must not reach any bag
        ((D(_nan_row(randn(rng, (10, 83), dt), 4)), idx, off), {"mode": "sum", "padding_idx": 4}),
        ((D(_nan_row(randn(rng, (10, 83), dt), 4)), idx, off), {"mode": "mean", "padding_idx": 4}),
    ]


def _nan_row(w, r):
    w[r, ::7] = np.nan
    return w


def _ebag(t, w, idx, off, psw=None, **k):
    return F(t).embedding_bag(idx, w, off, per_sample_weights=psw, **k)


def _ebag_ref(w, idx, off, psw=None, **k):
    return _np_ebag(w, idx, off, per_sample_weights=psw, **k)


# --------------------------------------------------------------- dropouts

def _s_drop_id(shape):
    def s(rng, dt):
        return [((D(randn(rng, shape, dt)),), {"p": 0.0, "training": True}),
                ((D(randn(rng, shape, dt)),), {"p": 0.5, "training": False})]
    return s


def _drop(name):
    return lambda t, x, **k: getattr(F(t), name)(x, **k)


_P_ERR = "dropout probability has to be between 0 and 1, but got 1.5"

# ----------------------------------------------------------------- losses


def _np_gnll(x, t, var, full=False, eps=1e-6, reduction="mean"):
    x, t, var = _f64(x, t, var)
    if var.shape != x.shape and var.shape == x.shape[:-1]:
        var = var[..., None]
    var = np.maximum(var, eps)
    loss = 0.5 * (np.log(var) + (x - t) ** 2 / var)
    if full:
        loss = loss + 0.5 * np.log(2 * np.pi)
    return _reduce(loss, reduction)


def _s_gnll(rng, dt):
    v = lambda *s: D((rng.random(s) + 0.2).astype(dt))
    return [((D(randn(rng, (4, 3), dt)), I(randn(rng, (4, 3), dt)), v(4, 3)), {}),
            ((D(randn(rng, (4, 3), dt)), I(randn(rng, (4, 3), dt)), v(4)),
             {"full": True, "reduction": "sum"}),
            ((D(randn(rng, (4, 3), dt)), I(randn(rng, (4, 3), dt)), v(4, 1)),
             {"reduction": "none"})]


def _np_mm(x, t, p=1, margin=1.0, weight=None, reduction="mean"):
    x = _f64(x)[0]
    one = x.ndim == 1
    x2, t2 = (x[None], np.asarray(t).reshape(1)) if one else (x, np.asarray(t))
    n, c = x2.shape
    w = np.ones(c) if weight is None else _f64(weight)[0]
    loss = np.zeros(n)
    for i in range(n):
        y = t2[i]
        for j in range(c):
            if j != y:
                loss[i] += w[y] * max(0.0, margin - x2[i, y] + x2[i, j]) ** p / c
    if reduction == "none":
        return loss.reshape(()) if one else loss
    return _reduce(loss, reduction)


def _s_mm(rng, dt):
    x = lambda *s: D(randn(rng, s, dt))
    t = lambda: I(rng.integers(0, 4, 5))
    return [((x(5, 4), t()), {}),
            ((x(5, 4), t()), {"p": 2, "margin": 0.5, "reduction": "none"}),
            ((x(5, 4), t(), I((rng.random(4) + 0.5).astype(dt))), {"reduction": "sum"}),
            ((x(4), I(np.array(2))), {"reduction": "none"})]


def _mm(t, x, y, weight=None, **k):
    return F(t).multi_margin_loss(x, y, weight=weight, **k)


def _mm_ref(x, y, weight=None, **k):
    return _np_mm(x, y, weight=weight, **k)


def _np_mlm(x, y, reduction="mean"):
    x = _f64(x)[0]
    one = x.ndim == 1
    x2, y2 = (x[None], np.asarray(y)[None]) if one else (x, np.asarray(y))
    n, c = x2.shape
    loss = np.zeros(n)
    for i in range(n):
        tg = []
        for v in y2[i]:
            if v < 0:
                break
            tg.append(v)
        for j in tg:
            for k in range(c):
                if k not in tg:
                    loss[i] += max(0.0, 1 - (x2[i, j] - x2[i, k])) / c
    if reduction == "none":
        return loss.reshape(()) if one else loss
    return _reduce(loss, reduction)


def _s_mlm(rng, dt):
    y = I(np.array([[3, 0, -1, 1], [1, 2, 1, -1], [-1, 0, 0, 0]]))
    return [((D(randn(rng, (3, 4), dt)), y), {}),
            ((D(randn(rng, (3, 4), dt)), y), {"reduction": "none"}),
            ((D(randn(rng, (3, 4), dt)), y), {"reduction": "sum"}),
            ((D(randn(rng, (4,), dt)), I(np.array([2, 0, -1, 3]))), {})]


def _np_mlsm(x, y, weight=None, reduction="mean"):
    x, y = _f64(x, y)
    ls = lambda z: -np.logaddexp(0, -z)
    loss = -(y * ls(x) + (1 - y) * ls(-x))
    if weight is not None:
        loss = loss * weight
    loss = loss.sum(-1) / x.shape[-1]
    return _reduce(loss, reduction)


def _s_mlsm(rng, dt):
    y = lambda: I((rng.random((4, 5)) < 0.5).astype(dt))
    return [((D(randn(rng, (4, 5), dt)), y()), {}),
            ((D(randn(rng, (4, 5), dt)), y(), I((rng.random(5) + 0.5).astype(dt))),
             {"reduction": "none"}),
            ((D(randn(rng, (4, 5), dt)), y()), {"reduction": "sum"})]


def _np_pd(a, b, eps=1e-6):
    return np.sqrt(((a - b + eps) ** 2).sum(-1))


def _np_cosd(a, b):
    return 1 - (a * b).sum(-1) / np.maximum(np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1),
                                            1e-8)


def _np_tmdl(a, p, n, distance_function=None, margin=1.0, swap=False, reduction="mean"):
    a, p, n = _f64(a, p, n)
    d = _np_cosd if distance_function == "cos" else _np_pd
    dp, dn = d(a, p), d(a, n)
    if swap:
        dn = np.minimum(dn, d(p, n))
    return _reduce(np.maximum(margin + dp - dn, 0), reduction)


def _tmdl(t, a, p, n, distance_function=None, **k):
    if distance_function == "cos":
        distance_function = lambda x, y: 1 - F(t).cosine_similarity(x, y, dim=-1)
    return F(t).triplet_margin_with_distance_loss(a, p, n, distance_function=distance_function,
                                                  **k)


def _s_tmdl(rng, dt):
    t = lambda: D(randn(rng, (5, 4), dt))
    return [((t(), t(), t()), {}), ((t(), t(), t()), {"swap": True, "reduction": "none"}),
            ((t(), t(), t()), {"distance_function": "cos", "margin": 0.5, "reduction": "sum"})]


OPS = [
    NNOp("batch_norm", _bn, _np_bn, _s_bn, grad_fn="NativeBatchNormBackward0", refused=(
        ("int64", NotImplementedError, "\"batch_norm\" not implemented for 'Long'"),),
        tol=_HALF, errors=[
            (lambda t: F(t).batch_norm(_x(t, 1, 3), None, None, training=True), ValueError,
             "Expected more than 1 value per channel when training, got input size "
             "torch.Size([1, 3])"),
            (lambda t: F(t).batch_norm(_x(t, 4, 3), t.zeros(4), t.ones(3), training=True),
             RuntimeError, "running_mean should contain 3 elements not 4"),
            (lambda t: F(t).batch_norm(_x(t, 4, 3), t.zeros(3), t.ones(3), t.ones(2)),
             RuntimeError, "weight should contain 3 elements not 2"),
            (lambda t: F(t).batch_norm(_x(t, 4, 3), None, None, None, t.ones(5), True),
             RuntimeError, "bias should contain 3 elements not 5"),
            (lambda t: F(t).batch_norm(_x(t, 4, 3), None, None), RuntimeError,
             "running_mean must be defined in evaluation mode"),
            (lambda t: F(t).batch_norm(_x(t, 4, 3), t.zeros(3), t.ones(3), momentum=None),
             TypeError, "batch_norm(): argument 'momentum' (position 7) must be float, not "
             "NoneType"),
            (lambda t: F(t).batch_norm(_x(t, 4, 3), t.zeros(3).double(), t.ones(3).double()),
             RuntimeError, "mixed dtype (CPU): expect parameter to have scalar type of Float"),
            (lambda t: F(t).batch_norm(_x(t, 4, 3).double(), t.zeros(3), t.ones(3)),
             RuntimeError, "mixed dtype (CPU): all inputs must share same datatype."),
        ]),
    NNOp("instance_norm", _in, _np_in, _s_in, gradcheck=True, tol=_HALF, errors=[
        (lambda t: F(t).instance_norm(_x(t, 3, 5)), ValueError,
         "Expected more than 1 spatial element when training, got input size torch.Size([3, 5])"),
        (lambda t: F(t).instance_norm(_x(t, 4, 3, 5), use_input_stats=False), RuntimeError,
         "Expected running_mean and running_var to be defined when use_input_stats is false"),
        (lambda t: F(t).instance_norm(_x(t, 4, 3, 5), weight=t.ones(4)), RuntimeError,
         "weight should contain 12 elements not 16"),
    ]),
    NNOp("normalize", lambda t, x, **k: F(t).normalize(x, **k), _np_normalize, _s_normalize,
         gradcheck=True, tol=_HALF, errors=[
             (lambda t: F(t).normalize(t.tensor([1, 2])), RuntimeError,
              "linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long"),
             (lambda t: F(t).normalize(_x(t, 4, 3), dim=5), IndexError,
              "Dimension out of range (expected to be in range of [-2, 1], but got 5)")]),
    NNOp("softmin", lambda t, x, **k: F(t).softmin(x, **k), _np_softmin, _s_softmin,
         grad_fn="SoftmaxBackward0", tol=_HALF),
    NNOp("local_response_norm", lambda t, x, s, **k: F(t).local_response_norm(x, s, **k), _np_lrn,
         _s_lrn, grad_fn="DivBackward0", tol=_HALF, errors=[
             (lambda t: F(t).local_response_norm(_x(t, 3), 2), ValueError,
              "Expected 3D or higher dimensionality                          input (got 1 "
              "dimensions)")]),
    NNOp("bilinear", lambda t, *a: F(t).bilinear(*a), _np_bilinear, _s_bilinear,
         grad_fn="AddBackward0", tol={"float16": (3e-2, 3e-2)}, errors=[
             (lambda t: F(t).bilinear(_x(t, 4, 3), _x(t, 4, 2), _x(t, 5, 3, 3)), RuntimeError,
              "bilinear(): input2 size does not match weight size: got 2 but expected 3"),
             (lambda t: F(t).bilinear(_x(t, 4, 3), _x(t, 5, 2), _x(t, 5, 3, 2)), RuntimeError,
              "bilinear(): input batch dimensions do not match at dim 0: got 4 and 5"),
             (lambda t: F(t).bilinear(_x(t, 4, 3), _x(t, 4, 2), _x(t, 5, 3, 2), _x(t, 4)),
              RuntimeError, "bilinear(): bias size does not match weight size: got 4 but "
              "expected 5"),
             (lambda t: F(t).bilinear(_x(t, 4, 2), _x(t, 4, 2), _x(t, 5, 3, 2)), RuntimeError,
              "bilinear(): input1 size does not match weight size: got 2 but expected 3")]),
    NNOp("embedding_bag", _ebag, _ebag_ref, _s_ebag, grad_fn="EmbeddingBagBackward0",
         tol=_HALF, errors=[
             (lambda t: F(t).embedding_bag(t.tensor([1, 2]), _x(t, 10, 3)), ValueError,
              "offsets has to be a 1D Tensor but got None"),
             (lambda t: F(t).embedding_bag(t.tensor([[1, 2]]), _x(t, 10, 3), t.tensor([0])),
              ValueError, "if input is 2D, then offsets has to be None, as input is treated is a "
              "mini-batch of fixed length sequences."),
             (lambda t: F(t).embedding_bag(t.tensor([1, 2]), _x(t, 10, 3), t.tensor([1])),
              RuntimeError, "offsets[0] has to be 0, i.e., the first sequence in the mini-batch "
              "has to start from position 0. However, got 1"),
             (lambda t: F(t).embedding_bag(t.tensor([1, 2]), _x(t, 10, 3), t.tensor([0, 3])),
              RuntimeError, "offsets[-1] can not be greater than input's length 2 but got "
              "offsets[-1] of 3"),
             (lambda t: F(t).embedding_bag(t.tensor([1, 2]), _x(t, 10, 3), t.tensor([0]),
                                           mode="foo"),
              ValueError, "mode has to be one of sum, mean or max"),
             (lambda t: F(t).embedding_bag(t.tensor([1, 2]), _x(t, 10, 3), t.tensor([0]),
                                           mode="max", per_sample_weights=t.ones(2)),
              NotImplementedError, "per_sample_weights is only supported for mode='sum' (got "
              "mode='max')"),
             (lambda t: F(t).embedding_bag(t.tensor([1, 20]), _x(t, 10, 3), t.tensor([0])),
              RuntimeError, "Index 1 of input takes value 20 which is not in the valid range "
              "[0, 10)"),
             (lambda t: F(t).embedding_bag(t.tensor([1.0]), _x(t, 10, 3), t.tensor([0])),
              RuntimeError, "Expected tensor for argument #1 'indices' to have one of the "
              "following scalar types: Long, Int; but got torch.FloatTensor instead"),
             (lambda t: F(t).embedding_bag(t.tensor([1, 2]), _x(t, 10, 3), t.tensor([0]),
                                           padding_idx=10),
              RuntimeError, "padding_idx must be within the number of embeddings, -10 through 9, "
              "but got 10"),
             (lambda t: F(t).embedding_bag(t.tensor([1, 2]), _x(t, 10), t.tensor([0])),
              ValueError, "weight has to be a 2D Tensor, but got Tensor of dimension 1"),
         ]),
    NNOp("dropout1d_identity", _drop("dropout1d"), lambda x, **k: x, _s_drop_id((2, 3, 4)),
         errors=[(lambda t: F(t).dropout1d(_x(t, 2, 3), 1.5), ValueError, _P_ERR),
                 (lambda t: F(t).dropout1d(_x(t, 2, 3, 4, 5)), RuntimeError,
                  "dropout1d: Expected 2D or 3D input, but received a 4D input.")]),
    NNOp("dropout2d_identity", _drop("dropout2d"), lambda x, **k: x, _s_drop_id((2, 3, 4, 2)),
         errors=[(lambda t: F(t).dropout2d(_x(t, 2, 3), -0.5), ValueError,
                  "dropout probability has to be between 0 and 1, but got -0.5")]),
    NNOp("dropout3d_identity", _drop("dropout3d"), lambda x, **k: x, _s_drop_id((2, 3, 2, 2, 2)),
         errors=[(lambda t: F(t).dropout3d(_x(t, 2, 3), 1.5), ValueError, _P_ERR)]),
    NNOp("alpha_dropout_identity", _drop("alpha_dropout"), lambda x, **k: x, _s_drop_id((4, 5)),
         errors=[(lambda t: F(t).alpha_dropout(_x(t, 2, 3), 1.5), ValueError, _P_ERR),
                 (lambda t: t.alpha_dropout(_x(t, 2), 1.5, True), RuntimeError, _P_ERR)]),
    NNOp("feature_alpha_dropout_identity", _drop("feature_alpha_dropout"), lambda x, **k: x,
         _s_drop_id((2, 3, 4)),
         errors=[(lambda t: t.feature_alpha_dropout(_x(t, 3), 0.5, True), RuntimeError,
                  "Feature dropout requires at least 2 dimensions in the input"),
                 (lambda t: t.feature_dropout(_x(t, 3), 0.5, True), RuntimeError,
                  "Feature dropout requires at least 2 dimensions in the input")]),
    NNOp("gaussian_nll_loss", lambda t, *a, **k: F(t).gaussian_nll_loss(*a, **k), _np_gnll,
         _s_gnll, gradcheck=True, tol=_HALF, errors=[
             (lambda t: F(t).gaussian_nll_loss(_x(t, 4, 3), _x(t, 4, 3), t.ones(3)), ValueError,
              "var is of incorrect size"),
             (lambda t: F(t).gaussian_nll_loss(_x(t, 4, 3), _x(t, 4, 3), -t.ones(4, 3)),
              ValueError, "var has negative entry/entries"),
             (lambda t: F(t).gaussian_nll_loss(_x(t, 4, 3), _x(t, 4, 3), t.ones(4, 3),
                                               reduction="x"), ValueError, "x is not valid")]),
    NNOp("multi_margin_loss", _mm, _mm_ref, _s_mm, grad_fn="MultiMarginLossBackward0",
         refused=(("int64", NotImplementedError,
                   "\"multi_margin_loss_cpu_kernel\" not implemented for 'Long'"),),
         tol=_HALF, errors=[
             (lambda t: F(t).multi_margin_loss(_x(t, 4, 3), t.tensor([0, 3, 1, 1])),
              RuntimeError, "target out of range"),
             (lambda t: F(t).multi_margin_loss(_x(t, 4, 3), t.tensor([0, 1, 1]), p=3),
              ValueError, "only p == 1 and p == 2 supported"),
             (lambda t: F(t).multi_margin_loss(_x(t, 4, 3), t.tensor([0, 1, 2])), RuntimeError,
              "multi_margin_loss: target tensor should be 1-D with size equal to the number of "
              "input samples (batch size). Expected target size [4], but got [3]. Input has "
              "shape [4, 3]."),
             (lambda t: F(t).multi_margin_loss(_x(t, 2, 3, 4), t.tensor([0, 1])), RuntimeError,
              "Expected non-empty vector or matrix with optional 0-dim batch size, but got: "
              "[2, 3, 4]"),
             (lambda t: F(t).multi_margin_loss(_x(t, 4, 3), t.tensor([0, 1, 1, 1]),
                                               weight=t.ones(4)), RuntimeError,
              "inconsistent weight size, expected 3 but got [4]"),
             (lambda t: F(t).multi_margin_loss(_x(t, 4, 3), t.tensor([0.0, 1, 1, 1])),
              RuntimeError, "expected scalar type Long but found Float")]),
    NNOp("multilabel_margin_loss", lambda t, *a, **k: F(t).multilabel_margin_loss(*a, **k),
         _np_mlm, _s_mlm, grad_fn="MultilabelMarginLossBackward0", tol=_HALF, errors=[
             (lambda t: F(t).multilabel_margin_loss(_x(t, 4, 3), t.tensor([[0, 3, -1]] * 4)),
              RuntimeError, "argument #2 'target' is out of range"),
             (lambda t: F(t).multilabel_margin_loss(_x(t, 4, 3), t.tensor([[0, 1]] * 4)),
              RuntimeError, "inconsistent target size: [4, 2] for input of size: [4, 3]")]),
    NNOp("multilabel_soft_margin_loss",
         lambda t, *a, **k: F(t).multilabel_soft_margin_loss(*a, **k), _np_mlsm, _s_mlsm,
         gradcheck=True, tol=_HALF),
    NNOp("triplet_margin_with_distance_loss", _tmdl, _np_tmdl, _s_tmdl, gradcheck=True,
         tol=_HALF, errors=[
             (lambda t: F(t).triplet_margin_with_distance_loss(_x(t, 4, 3), _x(t, 4, 3),
                                                               _x(t, 4, 3), margin=0),
              ValueError, "margin must be greater than 0, got 0"),
             (lambda t: F(t).triplet_margin_with_distance_loss(_x(t, 4, 3), _x(t, 4, 3),
                                                               _x(t, 3)),
              RuntimeError, "anchor 2D, positive 2D, and negative 1D inputs")]),
    # the torch-level forms
    NNOp("torch.batch_norm",
         lambda t, x, rm, rv, w, b: t.batch_norm(x, w, b, rm, rv, True, 0.1, 1e-5, True),
         lambda x, rm, rv, w, b: _np_bn(x, rm, rv, w, b, True),
         lambda r, d: [(_s_bn(r, d)[0][0], {})],
         dtypes=("float32", "float64"), grad_fn="NativeBatchNormBackward0"),
    NNOp("torch.instance_norm",
         lambda t, x, rm, rv, w, b: t.instance_norm(x, w, b, rm, rv, True, 0.1, 1e-5, True),
         lambda x, rm, rv, w, b: _np_in(x, rm, rv, w, b), lambda r, d: _s_in(r, d)[:1],
         dtypes=("float64",), grad_fn="ViewBackward0"),
    NNOp("torch.bilinear", lambda t, *a: t.bilinear(*a), _np_bilinear,
         lambda r, d: _s_bilinear(r, d)[:1], dtypes=("float64",), gradcheck=True),
    NNOp("torch.embedding_bag",
         lambda t, w, i, o: t.embedding_bag(w, i, o, False, 2)[0],
         lambda w, i, o: _np_ebag(w, i, o, mode="max"), lambda r, d: _s_ebag(r, d)[:1],
         dtypes=("float64",), grad_fn="EmbeddingBagBackward0",
         errors=[(lambda t: t.embedding_bag(_x(t, 10, 3), t.tensor([1]), t.tensor([0]), False, 3),
                  RuntimeError, "`mode` must be sum, mean, or max.")]),
    NNOp("torch.norm_except_dim", lambda t, v, pw, dim: t.norm_except_dim(v, pw, dim),
         _np_norm_except, _s_norm_except, dtypes=("float32", "float64"), gradcheck=True,
         errors=[(lambda t: t.norm_except_dim(_x(t, 2, 3), 2, 5), IndexError,
                  "Dimension out of range")]),
]
