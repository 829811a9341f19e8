"""Reductions (tests/op_db_reductions.py) against numpy: values and dtypes
over contiguous, transposed and sliced inputs, refused dtypes, error cases,
and gradcheck in float64 for every differentiable entry."""
import re
import zlib
import numpy as np
import pytest

import ctorch as torch
from helpers import assert_close, gradcheck_first_output, tdt
from op_db_reductions import OPS, FLOATS, KEYWORD_CALLS, KEYWORD_ERRORS

DEFAULT_TOL = {"float16": (2e-3, 2e-3), "float32": (2e-5, 2e-5), "float64": (1e-10, 1e-10),
               "complex64": (2e-5, 2e-5), "complex128": (1e-10, 1e-10)}


def _array(shape, dtype, rng):
    if dtype == "bool":
        return rng.integers(0, 2, size=shape).astype(bool)
    if dtype in ("uint8", "int8", "int16", "int32", "int64"):
        lo = 0 if dtype == "uint8" else -4
        return rng.integers(lo, 5, size=shape).astype(dtype)
    if dtype.startswith("complex"):
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


def _layouts(shape, dtype, rng, nan=False):
    """(name, ctorch tensor, numpy array with the same values) per layout."""
    def make(s):
        a = _array(s, dtype, rng)
        if nan and a.size > 3:
            a.reshape(-1)[[1, a.size - 2]] = np.nan
        return a
    a = make(shape)
    out = [("contiguous", torch.tensor(a), a)]
    if len(shape) >= 2 and 0 not in shape:
        b = make(shape[:-2] + (shape[-1], shape[-2]))
        t = torch.tensor(b).transpose(-1, -2)
        assert not t.is_contiguous()
        out.append(("transposed", t, np.swapaxes(b, -1, -2)))
    if len(shape) >= 3 and 0 not in shape:
        # every dim's order reversed in memory (reduced in memory order)
        d = make(tuple(reversed(shape)))
        p = torch.tensor(d).permute(*range(len(shape) - 1, -1, -1))
        out.append(("reversed dims", p, np.transpose(d)))
    if len(shape) >= 1 and 0 not in shape:
        c = make((2 * shape[0],) + tuple(shape[1:]))
        out.append(("sliced", torch.tensor(c)[1::2], c[1::2]))
    return out


def _tol(info, dt):
    return (info.tol or {}).get(dt, DEFAULT_TOL.get(dt, (0, 0)))


def _check_indices(info, t_vals, t_idx, a, kw, msg):
    assert torch.int64 == t_idx.dtype, msg
    idx = t_idx.numpy()
    if info.ref_indices is not None:
        np.testing.assert_array_equal(idx, info.ref_indices(a, **kw), err_msg=msg)
    # the index must point at the value that was returned
    if a.ndim == 0:
        assert idx == 0
        return
    dim = kw["dim"] % a.ndim
    ii = idx if kw.get("keepdim") else np.expand_dims(idx, dim)
    picked = np.take_along_axis(a, ii, axis=dim)
    vals = t_vals.numpy() if kw.get("keepdim") else np.expand_dims(t_vals.numpy(), dim)
    np.testing.assert_array_equal(picked, vals, err_msg=msg)


VALUE_CASES = [(info, dt, k) for info in OPS for dt in info.dtypes for k in range(len(info.samples))]


@pytest.mark.parametrize("info,dt,k", VALUE_CASES,
                         ids=[f"{i.name}-{d}-{k}" for i, d, k in VALUE_CASES])
def test_values(info, dt, k):
    shape, kw = info.samples[k]
    rng = np.random.default_rng(zlib.crc32(repr((info.name, dt, k)).encode()))
    variants = [False] + ([True] if info.nan_samples and dt in FLOATS else [])
    for nan in variants:
        for layout, t, a in _layouts(shape, dt, rng, nan):
            msg = f"{info.name}{kw} {dt} {layout} shape={shape} nan={nan}"
            r = info.op(t, **kw)
            with np.errstate(all="ignore"):
                exp = np.asarray(info.ref(a, **kw))
            if info.indices:
                assert type(r).__name__ in ("max", "min", "median", "nanmedian", "mode"), msg
                assert r.values is r[0] and r.indices is r[1]
                assert_close(r.values, exp, info.res_dtype(dt), _tol(info, info.res_dtype(dt)), msg)
                _check_indices(info, r.values, r.indices, a, kw, msg)
            else:
                assert_close(r, exp, info.res_dtype(dt), _tol(info, info.res_dtype(dt)), msg)


REFUSED = [(info, dt) for info in OPS for dt in info.refused]


@pytest.mark.parametrize("info,dt", REFUSED, ids=[f"{i.name}-{d}" for i, d in REFUSED])
def test_refused_dtypes(info, dt):
    shape, kw = info.samples[0]
    t = torch.tensor(_array(shape, dt, np.random.default_rng(0)))
    with pytest.raises(info.refused_exc):
        info.op(t, **kw)


GRADS = [(info, k, dt) for info in OPS if info.differentiable
         for k in range(len(info.grad_samples or []))
         for dt in ("float64", "complex128") if dt in info.dtypes]


@pytest.mark.parametrize("info,k,dt", GRADS, ids=[f"{i.name}-{k}-{dt}" for i, k, dt in GRADS])
def test_gradcheck(info, k, dt):
    shape, kw = info.grad_samples[k]
    assert gradcheck_first_output(info.op, shape, kw, k, info.indices, dt)


def test_every_differentiable_entry_has_grad_samples():
    assert all(i.grad_samples for i in OPS if i.differentiable)


@pytest.mark.parametrize("name,call", [
    ("MaxBackward1", lambda x: x.max()), ("MaxBackward0", lambda x: x.max(1).values),
    ("MinBackward1", lambda x: x.min()), ("MinBackward0", lambda x: x.min(0)[0]),
    ("AmaxBackward0", lambda x: x.amax(1)), ("AminBackward0", lambda x: x.amin()),
    ("ProdBackward0", lambda x: x.prod()), ("ProdBackward1", lambda x: x.prod(1)),
    ("StdBackward0", lambda x: x.std()), ("VarBackward0", lambda x: x.var(1)),
    ("LogsumexpBackward0", lambda x: x.logsumexp(1)), ("SoftmaxBackward0", lambda x: x.softmax(1)),
    ("LogSoftmaxBackward0", lambda x: x.log_softmax(0)), ("CumsumBackward0", lambda x: x.cumsum(1)),
    ("CumprodBackward0", lambda x: x.cumprod(0)), ("MedianBackward0", lambda x: x.median()),
    ("MedianBackward1", lambda x: x.median(1)[0]),
    ("NansumBackward0", lambda x: x.nansum(1)), ("DivBackward0", lambda x: x.nanmean()),
    ("NanmedianBackward0", lambda x: x.nanmedian()), ("NanmedianBackward1", lambda x: x.nanmedian(0)[0]),
    ("ModeBackward0", lambda x: x.mode(1)[0]), ("AminmaxBackward0", lambda x: x.aminmax().max),
    ("AminmaxBackward0", lambda x: x.aminmax(dim=0).min), ("CummaxBackward0", lambda x: x.cummax(1)[0]),
    ("CumminBackward0", lambda x: x.cummin(0).values), ("LogcumsumexpBackward0", lambda x: x.logcumsumexp(1)),
    ("CumsumBackward0", lambda x: (x * 1).cumsum_(1)), ("CumprodBackward0", lambda x: (x * 1).cumprod_(0)),
])
def test_grad_fn_names(name, call):
    x = torch.randn(3, 4, requires_grad=True)
    assert call(x).grad_fn.name() == name


def test_gradgradcheck_softmax_and_logsumexp():
    x = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradgradcheck(lambda x: x.softmax(1), (x,))
    assert torch.autograd.gradgradcheck(lambda x: x.logsumexp(0), (x,))
    assert torch.autograd.gradgradcheck(lambda x: x.var(1), (x,))


def test_max_ties_share_gradient():
    x = torch.tensor([1.0, 3.0, 3.0, 2.0], requires_grad=True)
    x.max().backward()
    assert x.grad.tolist() == [0.0, 0.5, 0.5, 0.0]
    y = torch.tensor([[1.0, 3.0, 3.0]], requires_grad=True)
    y.max(1).values.sum().backward()
    assert y.grad.tolist() == [[0.0, 1.0, 0.0]]


def test_return_type_repr_and_tuple():
    r = torch.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 1.0]]).max(1)
    assert repr(r) == ("torch.return_types.max(\nvalues=tensor([5., 7.]),\nindices=tensor([1, 0]))")
    v, i = r
    assert v.tolist() == [5.0, 7.0] and i.tolist() == [1, 0] and len(r) == 2
    assert isinstance(r, tuple) and isinstance(r, torch.return_types.max)
    m = torch.median(torch.tensor([3, 1, 2, 4]), 0)
    assert type(m).__name__ == "median" and m.values.item() == 2 and m.indices.item() == 2


def test_max_out_tuple():
    vals, idx = torch.empty(0), torch.empty(0, dtype=torch.int64)
    r = torch.max(torch.tensor([[1.0, 4.0], [3.0, 2.0]]), 1, out=(vals, idx))
    assert r.values is vals and r.indices is idx
    assert vals.tolist() == [4.0, 3.0] and idx.tolist() == [1, 0]


def test_out_arguments():
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    o = torch.empty(0)
    assert torch.cumsum(x, 1, out=o) is o and o.tolist() == [[1.0, 3.0], [3.0, 7.0]]
    o = torch.empty(0)
    assert torch.amax(x, 0, out=o) is o and o.tolist() == [3.0, 4.0]
    o = torch.empty(0, dtype=torch.int64)
    assert torch.argmax(x, 1, out=o) is o and o.tolist() == [1, 1]


@pytest.mark.parametrize("op", ["cumsum", "cumprod"])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_scans_written_into_out(op, dtype):
    # a scan along the last dim into a dense out= of the result: written
    # directly (its old values never read, its version counts the write);
    # an out= that is the input, or of another dtype, takes the copy
    rng = np.random.default_rng(3)
    a = (rng.integers(-3, 4, size=(40, 300)) if dtype == "int64"
         else rng.uniform(0.5, 1.5, size=(40, 300))).astype(dtype)
    ref = getattr(np, op)(a, 1)
    o = torch.full(a.shape, 7, dtype=getattr(torch, dtype))
    v = o._version
    assert getattr(torch, op)(torch.tensor(a), 1, out=o) is o
    assert o._version > v
    np.testing.assert_allclose(o.numpy(), ref, rtol=1e-5 if dtype == "float32" else 1e-12)
    x = torch.tensor(a)
    getattr(torch, op)(x, 1, out=x)
    np.testing.assert_allclose(x.numpy(), ref, rtol=1e-5 if dtype == "float32" else 1e-12)
    o64 = torch.empty(a.shape, dtype=torch.float64)
    getattr(torch, op)(torch.tensor(a), 1, out=o64)
    np.testing.assert_allclose(o64.numpy(), ref.astype(np.float64), rtol=1e-5 if dtype == "float32" else 1e-12)


def test_softmax_is_stable_for_large_inputs():
    x = torch.tensor([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0]])
    s = x.softmax(1).numpy()
    e = np.exp(np.array([0.0, 1.0, 2.0]))
    e /= e.sum()
    np.testing.assert_allclose(s[0], e, rtol=1e-6)
    np.testing.assert_allclose(s[1], e[::-1], rtol=1e-6)
    ls = x.log_softmax(1).numpy()
    assert np.isfinite(ls).all()
    assert np.isfinite(torch.tensor([1e4, 1e4]).logsumexp(0).item())
    assert torch.tensor([float("-inf"), float("-inf")]).logsumexp(0).item() == float("-inf")


def test_float32_sum_accuracy_large():
    n = 10_000_000
    x = torch.full((n,), 0.1)
    assert abs(x.sum().item() - n * np.float32(0.1)) / (n * 0.1) < 1e-5
    rows = torch.full((4, n // 4), 0.1).sum(1).numpy()
    np.testing.assert_allclose(rows, n // 4 * np.float32(0.1), rtol=1e-5)


def test_max_min_binary_and_nan():
    a = torch.tensor([1.0, float("nan"), 3.0])
    b = torch.tensor([2.0, 0.0, float("nan")])
    r = torch.max(a, b).tolist()
    assert r[0] == 2.0 and r[1] != r[1] and r[2] != r[2]
    assert torch.min(a, b).tolist()[0] == 1.0
    assert a.argmax().item() == 1 and a.argmin().item() == 1
    assert a.max().item() != a.max().item()


def test_large_max_and_argmax_threaded():
    rng = np.random.default_rng(5)
    a = rng.standard_normal(1_000_003).astype(np.float32)
    t = torch.tensor(a)
    assert t.max().item() == a.max() and t.min().item() == a.min()
    assert t.argmax().item() == a.argmax()
    a[777_777] = np.nan
    assert np.isnan(torch.tensor(a).max().item()) and torch.tensor(a).argmin().item() == 777_777
    b = rng.standard_normal((300, 501)).astype(np.float32)
    np.testing.assert_array_equal(torch.tensor(b).amax(1).numpy(), b.max(1))
    np.testing.assert_array_equal(torch.tensor(b).softmax(1).numpy().argmax(1), b.argmax(1))


def test_var_degrees_of_freedom_warning():
    with pytest.warns(UserWarning, match="degrees of freedom is <= 0"):
        r = torch.ones(3).var(correction=3)
    assert r.item() != r.item()


@pytest.mark.parametrize("values", [[2.0, 0.0, 3.0, 4.0], [2.0, 0.0, 3.0, 0.0, 5.0], [0.0, 0.0, 1.5],
                                    [[1.5, 0.0, 2.0], [0.0, -1.0, 0.0]]])
def test_cumprod_gradient_with_zeros(values):
    """cumprod's gradient with one and with two zeros in a slice, and its
    second derivative (the elements after a zero have slopes that are 0 but
    whose own derivatives are not)."""
    x = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    f = lambda x: x.cumprod(-1)
    assert torch.autograd.gradcheck(f, (x,))
    assert torch.autograd.gradgradcheck(f, (x,))
    if x.dim() == 2:
        assert torch.autograd.gradgradcheck(lambda x: x.cumprod(0), (x,))


def test_gradgradcheck_new_scans():
    x = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradgradcheck(lambda x: x.logcumsumexp(1), (x,))
    assert torch.autograd.gradgradcheck(lambda x: x.nansum(0), (x,))


def test_logcumsumexp_far_apart_values():
    """Terms far below the running value neither underflow the result to -inf
    nor overflow: each step starts from the larger of the two."""
    r = torch.tensor([-1000.0, 0.0, 1000.0, 2.0, float("-inf")]).logcumsumexp(0).tolist()
    assert r == [-1000.0, 0.0, 1000.0, 1000.0, 1000.0]
    assert torch.tensor([float("-inf")] * 2).logcumsumexp(0).tolist() == [float("-inf")] * 2


def test_new_named_tuples():
    x = torch.tensor([[1.0, 5.0, 5.0], [7.0, float("nan"), 1.0]])
    a = torch.aminmax(x[:, :1], dim=0)
    assert type(a).__name__ == "aminmax" and a.min is a[0] and a.max.tolist() == [7.0]
    assert repr(torch.aminmax(torch.tensor([1.0, 2.0]))) == (
        "torch.return_types.aminmax(\nmin=tensor(1.),\nmax=tensor(2.))")
    m = x.nanmedian(1)
    assert type(m).__name__ == "nanmedian" and m.values.tolist() == [5.0, 1.0] and m.indices.tolist() == [1, 2]
    c = x.cummax(1)
    assert type(c).__name__ == "cummax" and c.indices.tolist() == [[0, 1, 2], [0, 1, 1]]
    assert type(x.cummin(0)).__name__ == "cummin" and type(x.mode(1)).__name__ == "mode"


def test_new_out_arguments():
    x = torch.tensor([[1.0, 4.0], [3.0, 2.0]])
    lo, hi = torch.empty(0), torch.empty(0)
    r = torch.aminmax(x, dim=1, out=(lo, hi))
    assert r.min is lo and r.max is hi and lo.tolist() == [1.0, 2.0] and hi.tolist() == [4.0, 3.0]
    v, i = torch.empty(0), torch.empty(0, dtype=torch.int64)
    r = torch.cummax(x, 0, out=(v, i))
    assert r.values is v and v.tolist() == [[1.0, 4.0], [3.0, 4.0]] and i.tolist() == [[0, 0], [1, 0]]
    for f in (lambda o: torch.nansum(x, 1, out=o), lambda o: torch.logcumsumexp(x, 1, out=o),
              lambda o: torch.quantile(x, 0.5, dim=1, out=o), lambda o: torch.nanmean(x, 0, out=o)):
        o = torch.empty(0)
        assert f(o) is o and o.numel() == 2 * (o.dim())
    with pytest.raises(RuntimeError, match="Expected out tensor to have dtype float, but got double instead"):
        torch.aminmax(x, dim=0, out=(torch.empty(0, dtype=torch.float64), torch.empty(0)))
    with pytest.raises(RuntimeError, match="expected scalar_type Float but found Double"):
        torch.cummax(x, 0, out=(torch.empty(0, dtype=torch.float64), torch.empty(0, dtype=torch.int64)))


def test_inplace_scans():
    x = torch.tensor([[1.0, 2.0, 3.0]])
    assert x.cumsum_(1) is x and x.tolist() == [[1.0, 3.0, 6.0]]
    assert x.cumprod_(1) is x and x.tolist() == [[1.0, 3.0, 18.0]]
    i = torch.tensor([1, 2, 3], dtype=torch.int32)
    assert i.cumsum_(0).dtype == torch.int32 and i.tolist() == [1, 3, 6]
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        torch.ones(2, requires_grad=True).cumsum_(0)


@pytest.mark.parametrize("name,call,positional", KEYWORD_CALLS, ids=[c[0] for c in KEYWORD_CALLS])
def test_keyword_forms(name, call, positional):
    x = torch.tensor(np.random.default_rng(zlib.crc32(name.encode())).standard_normal((3, 4)))
    r, e = call(torch, x), positional(torch, x)
    if isinstance(e, torch.Tensor):
        assert r.dtype == e.dtype and r.shape == e.shape, name
        np.testing.assert_array_equal(r.numpy(), e.numpy(), err_msg=name)
    else:
        assert r == e, name


@pytest.mark.parametrize("name,call,exc,frag", KEYWORD_ERRORS, ids=[c[0] for c in KEYWORD_ERRORS])
def test_keyword_form_errors(name, call, exc, frag):
    with pytest.raises(exc, match=re.escape(frag)):
        call(torch, torch.ones(3, 4))


def _softmax_np(a, dim, log):
    a64 = a.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        m = a64.max(axis=dim, keepdims=True)
        m = np.where(m == -np.inf, 0, m)
        s = np.exp(a64 - m).sum(axis=dim, keepdims=True)
        return (a64 - m) - np.log(s) if log else np.exp(a64 - m) / s


# rows shorter than, equal to and past one block of 16 (the last block
# overlapping the one before), groups of rows past 16, and middle dims with
# one and several column blocks of 64
@pytest.mark.parametrize("shape,dim", [
    ((5, 1), 1), ((3, 15), 1), ((4, 16), 1), ((19, 17), 1), ((3, 31), -1), ((2, 33), 1),
    ((33, 100), 1), ((2, 1000), 1), ((100, 40), 0), ((3, 7, 2), 1), ((2, 9, 70), 1),
    ((3, 20, 130), 1), ((2, 3, 17, 5), 1), ((300, 3), 0)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("log", [False, True])
def test_softmax_row_and_column_kernels_against_numpy(shape, dim, dtype, log):
    rng = np.random.default_rng(zlib.crc32(repr((shape, dim, dtype)).encode()))
    a = (rng.standard_normal(shape) * 4).astype(dtype)
    t = torch.from_numpy(a)
    got = (t.log_softmax(dim) if log else t.softmax(dim)).numpy()
    tol = 2e-6 if dtype == "float32" else 1e-13
    np.testing.assert_allclose(got, _softmax_np(a, dim, log), rtol=tol, atol=tol)
    # the same values through a transposed (non-contiguous) view
    if a.ndim >= 2:
        tt = torch.from_numpy(np.ascontiguousarray(np.swapaxes(a, 0, -1))).transpose(0, -1)
        got = (tt.log_softmax(dim) if log else tt.softmax(dim)).numpy()
        np.testing.assert_allclose(got, _softmax_np(a, dim, log), rtol=tol, atol=tol)


@pytest.mark.parametrize("n", [16, 17, 40, 100])
@pytest.mark.parametrize("dim", [0, 1])
def test_softmax_special_rows_in_long_rows_and_columns(n, dim):
    # -inf rows (NaN, as 0/0), +inf (NaN), NaN (NaN), exp underflowing to 0
    # and denormals, with each special value placed first, in the middle and in
    # the overlapped last block
    inf, nan = float("inf"), float("nan")
    rows = []
    for pos in (0, n // 2, n - 1):
        for v in (inf, nan, -inf, -200.0, -95.0, 80.0):
            r = np.linspace(-3, 3, n).astype(np.float32)
            r[pos] = v
            rows.append(r)
    rows.append(np.full(n, -inf, np.float32))
    rows.append(np.array([-inf] * (n - 1) + [2.0], np.float32))
    a = np.stack(rows)
    if dim == 0:
        a = np.ascontiguousarray(np.repeat(a.T, 3, axis=1))
    t = torch.from_numpy(a)
    for log in (False, True):
        got = (t.log_softmax(dim) if log else t.softmax(dim)).numpy()
        ref = _softmax_np(a, dim, log)
        np.testing.assert_array_equal(np.isnan(got), np.isnan(ref))
        np.testing.assert_allclose(got, ref, rtol=2e-6, atol=1e-37)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("dim", [0, 1])
def test_softmax_half_inputs_in_float32(dtype, dim):
    rng = np.random.default_rng(3)
    a = rng.standard_normal((40, 37)).astype(np.float32)
    t = torch.from_numpy(a).to(tdt(dtype))
    a = t.float().numpy()
    for log in (False, True):
        r = t.log_softmax(dim) if log else t.softmax(dim)
        assert r.dtype == tdt(dtype)
        np.testing.assert_allclose(r.float().numpy(), _softmax_np(a, dim, log), rtol=2e-2, atol=2e-2)
        r = t.log_softmax(dim, dtype=torch.float32) if log else t.softmax(dim, dtype=torch.float32)
        assert r.dtype == torch.float32
        np.testing.assert_allclose(r.numpy(), _softmax_np(a, dim, log), rtol=2e-6, atol=2e-6)


@pytest.mark.parametrize("shape,dim", [((7, 3), 1), ((6, 37), 1), ((20, 100), -1), ((40, 6), 0),
                                       ((2, 33, 70), 1), ((3, 5, 4), 2)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("log", [False, True])
def test_softmax_backward_fused_against_numpy(shape, dim, dtype, log):
    rng = np.random.default_rng(zlib.crc32(repr((shape, dim, dtype, log)).encode()))
    a = rng.standard_normal(shape).astype(dtype)
    w = rng.standard_normal(shape).astype(dtype)
    x = torch.from_numpy(a.copy()).requires_grad_()
    y = x.log_softmax(dim) if log else x.softmax(dim)
    (y * torch.from_numpy(w)).sum().backward()
    yr = _softmax_np(a, dim, log)
    if log:
        ref = w - np.exp(yr) * w.sum(axis=dim, keepdims=True)
    else:
        ref = yr * (w - (w * yr).sum(axis=dim, keepdims=True))
    tol = 2e-6 if dtype == "float32" else 1e-13
    np.testing.assert_allclose(x.grad.numpy(), ref, rtol=tol, atol=tol)
    # a gradient with zero strides (sum's), and one through a transposed view
    x.grad = None
    y = x.log_softmax(dim) if log else x.softmax(dim)
    y.sum().backward()
    ones = np.ones(shape)
    ref = ones - np.exp(yr) * ones.sum(axis=dim, keepdims=True) if log else np.zeros(shape)
    np.testing.assert_allclose(x.grad.numpy(), ref, rtol=tol, atol=tol)
    if len(shape) >= 2:
        x.grad = None
        g = torch.from_numpy(np.ascontiguousarray(w.T)).permute(*range(len(shape) - 1, -1, -1))
        y = x.log_softmax(dim) if log else x.softmax(dim)
        y.backward(g)
        ref = w - np.exp(yr) * w.sum(axis=dim, keepdims=True) if log else \
            yr * (w - (w * yr).sum(axis=dim, keepdims=True))
        np.testing.assert_allclose(x.grad.numpy(), ref, rtol=tol, atol=tol)


def test_softmax_gradgradcheck_long_rows_and_middle_dim():
    x = torch.randn(3, 20, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradgradcheck(lambda x: x.log_softmax(1), (x,))
    x = torch.randn(2, 17, 3, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradgradcheck(lambda x: x.softmax(1), (x,))


def test_cross_entropy_backward_against_numpy():
    rng = np.random.default_rng(4)
    a = rng.standard_normal((50, 37)).astype(np.float32)
    tg = rng.integers(0, 37, size=50)
    x = torch.from_numpy(a.copy()).requires_grad_()
    loss = torch.nn.functional.cross_entropy(x, torch.from_numpy(tg))
    loss.backward()
    p = _softmax_np(a, 1, False)
    np.testing.assert_allclose(loss.item(), -np.log(p[np.arange(50), tg]).mean(), rtol=1e-6)
    ref = p.copy()
    ref[np.arange(50), tg] -= 1
    np.testing.assert_allclose(x.grad.numpy(), ref / 50, rtol=1e-5, atol=1e-7)


def test_softmax_over_empty_and_of_empty_dims():
    for shape, dim in (((3, 0, 4), 1), ((0, 3, 20), 1), ((2, 3, 0), 1), ((4, 0), 1)):
        for fn in (torch.softmax, torch.log_softmax):
            r = fn(torch.zeros(shape), dim)
            assert tuple(r.shape) == shape and r.dtype == torch.float32


def _with_threads(n, fn):
    old = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        fn()
    finally:
        torch.set_num_threads(old)


# rows shorter than 16 go through a kernel that works on 16 rows at a time
# (the rows turned into columns): row counts around the group of 16, every
# short length, rows with -inf / inf / NaN / a huge spread, a strided row
# start (a slice of wider rows), and enough rows to be split between threads
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("rows", [1, 15, 16, 17, 50])
def test_softmax_short_rows_in_groups_of_16(dtype, rows):
    rng = np.random.default_rng(rows)
    inf, nan = float("inf"), float("nan")
    tol = 2e-6 if dtype == "float32" else 1e-13
    for n in range(1, 16):
        a = (rng.standard_normal((rows, n + 3)) * 4).astype(dtype)
        specials = [inf, -inf, nan, -200.0, 90.0]
        for r in range(0, rows, 3):
            a[r, rng.integers(0, n)] = specials[r % len(specials)]
        if rows > 5:
            a[5, :n] = -inf
        for t, ref in ((torch.from_numpy(a)[:, :n], a[:, :n]),
                       (torch.from_numpy(np.ascontiguousarray(a[:, :n])), a[:, :n])):
            for log in (False, True):
                got = (t.log_softmax(1) if log else t.softmax(1)).numpy()
                exp = _softmax_np(ref, 1, log)
                np.testing.assert_array_equal(np.isnan(got), np.isnan(exp))
                np.testing.assert_allclose(got, exp, rtol=tol, atol=tol if log else 1e-37)


@pytest.mark.parametrize("n", [2, 3, 7, 15])
def test_softmax_short_rows_threaded_match_one_thread(n):
    rng = np.random.default_rng(n)
    a = rng.standard_normal((140_000 // n + 21, n)).astype(np.float32)
    a[77, 0] = np.nan
    t = torch.from_numpy(a)
    one = [t.softmax(1).numpy(), t.log_softmax(1).numpy()]
    res = []
    _with_threads(2, lambda: res.extend([t.softmax(1).numpy(), t.log_softmax(1).numpy()]))
    for x, y in zip(one, res):
        np.testing.assert_array_equal(x, y)
    np.testing.assert_allclose(one[1], _softmax_np(a, 1, True), rtol=2e-6, atol=1e-6)


# max/min of rows up to 1024 long: 16 (float32) or 8 (float64) rows reduced
# together on AVX-512, 8 or 4 on AVX2, rows shorter than a vector by a padded load, a NaN anywhere in a
# group sending that group down the row-by-row path
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("n", [2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 48, 100, 1023, 1024, 1025])
def test_amax_amin_short_rows_in_groups(dtype, n):
    rng = np.random.default_rng(n)
    for rows in (1, 7, 8, 9, 16, 17, 40):
        a = rng.standard_normal((rows, n + 5)).astype(dtype)
        a[rows // 2, n // 2] = np.inf
        a[0, n - 1] = -np.inf
        if rows > 20:
            a[20, n // 3] = np.nan
            a[33, :n] = -np.inf
        for t, ref in ((torch.from_numpy(a)[:, :n], a[:, :n]),
                       (torch.from_numpy(np.ascontiguousarray(a[:, :n])), a[:, :n])):
            np.testing.assert_array_equal(t.amax(1).numpy(), ref.max(1))
            np.testing.assert_array_equal(t.amin(1).numpy(), ref.min(1))
            np.testing.assert_array_equal(t.amax(-1, keepdim=True).numpy(), ref.max(1, keepdims=True))
            np.testing.assert_array_equal(t.max(1).values.numpy(), ref.max(1))
            np.testing.assert_array_equal(t.min(1).indices.numpy(),
                                          np.where(np.isnan(ref).any(1), np.isnan(ref).argmax(1),
                                                   ref.argmin(1)))


def test_amax_short_rows_threaded():
    rng = np.random.default_rng(11)
    a = rng.standard_normal((3001, 100)).astype(np.float32)
    a[1234, 50] = np.nan
    t = torch.from_numpy(a)
    res = []
    _with_threads(2, lambda: res.extend([t.amax(1).numpy(), t.amin(1).numpy()]))
    np.testing.assert_array_equal(res[0], a.max(1))
    np.testing.assert_array_equal(res[1], a.min(1))


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("rows,cols", [(2, 1), (15, 255), (16, 257), (17, 3), (40, 1030), (100, 64)])
def test_half_max_min_over_leading_dims(dtype, rows, cols):
    # columns of 16-bit floats: blocks of rows widened to float, each block's
    # values and rows merged into the running ones; equal values (few distinct
    # ones) keep the first row, a NaN wins and its first row is given
    rng = np.random.default_rng(rows * cols)
    a = rng.integers(-3, 4, size=(rows, cols)).astype(np.float32)
    a[rng.random((rows, cols)) < 0.01] = np.nan
    a[:, 0] = 2.0
    t = torch.from_numpy(a).to(getattr(torch, dtype))
    nan = np.isnan(a)
    with np.errstate(invalid="ignore"):
        for name, ref, arg in (("max", np.max, np.argmax), ("min", np.min, np.argmin)):
            want = ref(a, 0)
            want_i = np.where(nan.any(0), nan.argmax(0), arg(np.where(nan, 0, a), 0))
            got = getattr(t, name)(0)
            assert np.array_equal(got.values.float().numpy(), want, equal_nan=True)
            assert np.array_equal(got.indices.numpy(), want_i)
            amax = getattr(t, "a" + name)(0)
            assert np.array_equal(amax.float().numpy(), want, equal_nan=True)
            three = getattr(t.reshape(rows, 1, cols), "a" + name)((0, 1))
            assert np.array_equal(three.float().numpy(), want, equal_nan=True)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("rows,cols", [(3, 5), (300, 16), (700, 130), (600, 300), (2, 1000)])
def test_half_sums_over_leading_dims(dtype, rows, cols):
    # columns of 16-bit floats are widened in registers (128 and 16 columns
    # at a time) or a row of the rest at a time: the float32 sums' additions,
    # in their order, rounded once
    rng = np.random.default_rng(rows + cols)
    t = torch.from_numpy(rng.standard_normal((rows, cols)).astype(np.float32)).to(getattr(torch, dtype))
    want = t.float().sum(0).to(getattr(torch, dtype))
    assert np.array_equal(t.sum(0).float().numpy(), want.float().numpy())
    ref = t.float().numpy().astype(np.float64).sum(0)
    np.testing.assert_allclose(t.sum(0).float().numpy(), ref, rtol=2e-2, atol=1e-1)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("n", [4097, 10000, 70001])
def test_half_max_min_of_long_rows(dtype, n):
    # blocks of 4096 widened in registers: every block's tail, the first NaN
    # (its sign and payload) given back, infinities
    rng = np.random.default_rng(n)
    a = rng.standard_normal(n).astype(np.float32)
    t = torch.from_numpy(a).to(getattr(torch, dtype))
    f = t.float().numpy()
    assert t.max().float().item() == f.max() and t.min().float().item() == f.min()
    mn, mx = torch.aminmax(t)
    assert (mn.float().item(), mx.float().item()) == (f.min(), f.max())
    b = t.clone()
    b[n - 3] = float("inf")
    b[5] = float("-inf")
    assert b.max().float().item() == np.inf and b.min().float().item() == -np.inf
    bits = t.view(torch.int16).numpy().copy()
    nan1, nan2 = (np.int16(-32767), np.int16(0x7e01)) if dtype == "float16" else (np.int16(-32703), np.int16(0x7fc1))
    for pos in (0, min(4100, n - 2), n - 1):
        c = bits.copy()
        c[pos] = nan1               # a negative NaN with a payload, then another NaN
        c[min(pos + 1, n - 1) if pos < n - 1 else 0] = nan2
        ct = torch.from_numpy(c).view(getattr(torch, dtype))
        first = c[np.isnan(torch.from_numpy(c).view(getattr(torch, dtype)).float().numpy())][0]
        for r in (ct.max(), ct.min(), torch.aminmax(ct)[1]):
            assert r.view(torch.int16).item() == first


@pytest.mark.parametrize("n", [7, 8, 15, 16, 17, 31, 49, 63, 64, 65])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sums_of_short_rows(dtype, n):
    # rows shorter than the lanes' 64: one value after another below two
    # vectors (16 floats, 8 doubles), the lanes with their tail from there
    # (a 7 x 7 plane's mean: adaptive_avg_pool2d to 1)
    rng = np.random.default_rng(n)
    a = (rng.standard_normal((300, n)) * 10).astype(dtype)
    ref = a.astype(np.float64).sum(1)
    tol = (1e-5 if dtype == "float32" else 1e-13) * np.abs(a).astype(np.float64).sum(1)
    assert np.all(np.abs(torch.from_numpy(a).sum(1).numpy() - ref) <= tol)
    assert np.all(np.abs(torch.from_numpy(a).mean(1).numpy() - ref / n) <= tol / n)
    if n == 49:
        x = torch.from_numpy(a.reshape(6, 50, 7, 7))
        np.testing.assert_allclose(torch.nn.functional.adaptive_avg_pool2d(x, 1).numpy().reshape(300),
                                   ref / n, rtol=0, atol=float(tol.max()) / n)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "float16", "complex64"])
def test_sums_of_a_slice_of_columns(dtype):
    # leading dims over rows that lie a row stride apart (x[:, a:b],
    # narrow, a slice of a 3-d tensor): the column sums read them in place
    rng = np.random.default_rng(8)
    a = rng.standard_normal((3, 70, 300)) * 10
    if dtype == "complex64":
        a = a + 1j * rng.standard_normal((3, 70, 300))
    a = a.astype(dtype) if dtype != "int64" else np.round(a).astype(dtype)
    t = torch.from_numpy(a)
    # (the rows of t[:, 3:60] over dims 0 and 1 are not one stride apart:
    # summed in another order there, so only close to the dense sums)
    for view, ref, one in ((t[0, :, 5:260], a[0, :, 5:260], True), (t[:, :, 1:], a[:, :, 1:], True),
                           (t[:, 3:60, 7:9], a[:, 3:60, 7:9], False),
                           (t.narrow(2, 17, 200), a[:, :, 17:217], True)):
        for dims in ((0,), (0, 1)) if view.dim() == 3 else ((0,),):
            want = ref.astype(np.complex128 if dtype == "complex64" else np.float64).sum(dims)
            got = view.sum(dims)
            assert got.dtype == t.dtype
            tol = 5e-2 if dtype == "float16" else 1e-5
            np.testing.assert_allclose(got.numpy().astype(want.dtype), want, rtol=tol, atol=tol * 10)
            if one or dims == (0,):
                assert np.array_equal(got.numpy(), view.contiguous().sum(dims).numpy())


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "float16", "bfloat16", "complex64"])
@pytest.mark.parametrize("rows,cols", [(1025, 64), (5000, 13), (3000, 256), (100000, 8)])
def test_column_sums_of_tall_narrow_matrices(dtype, rows, cols, threads):
    # fewer 256-column blocks than threads: each block's rows cut into runs of
    # whole 512-row pieces, one a thread, their sums added in order; one
    # thread sums them all itself
    rng = np.random.default_rng(rows + cols)
    a = rng.standard_normal((rows, cols)) * 4
    if dtype == "complex64":
        a = a + 1j * rng.standard_normal((rows, cols))
    a = np.round(a).astype(np.int64) if dtype == "int64" else a.astype(np.float32 if "16" in dtype else dtype)
    t = torch.from_numpy(a).to(getattr(torch, dtype))
    src = t.float().numpy() if "16" in dtype else a
    want = src.astype(np.complex128 if dtype == "complex64" else np.float64).sum(0)
    for count in (1, 2):
        threads(count)
        got = t.sum(0)
        assert got.dtype == t.dtype
        if dtype == "int64":
            assert np.array_equal(got.numpy(), a.sum(0))
            continue
        g = got.float().numpy() if "16" in dtype else got.numpy()
        tol = 2e-2 if "16" in dtype else 1e-5 if dtype in ("float32", "complex64") else 1e-12
        np.testing.assert_allclose(g, want, rtol=tol, atol=tol * np.abs(src).sum(0).max())
        np.testing.assert_allclose(t.mean(0).float().numpy() if "16" in dtype else t.mean(0).numpy(),
                                   want / rows, rtol=tol, atol=tol * np.abs(src).max())


# products of rows of 64 and more: the part past the last whole block of 64
# goes into the lanes (whole vectors, then a padded last one)
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "complex64", "float16"])
@pytest.mark.parametrize("n", [64, 65, 79, 80, 81, 100, 127, 1000])
def test_prod_rows_past_a_block(dtype, n):
    rng = np.random.default_rng(n)
    if dtype == "int64":
        a = rng.integers(-3, 4, size=(5, n)).astype(dtype)
        got = torch.from_numpy(a).prod(1).numpy()
        np.testing.assert_array_equal(got, a.prod(1))   # wraps as numpy's
        return
    a = rng.uniform(0.9, 1.1, size=(5, n))
    if dtype.startswith("complex"):
        a = a * np.exp(1j * rng.uniform(-0.1, 0.1, size=(5, n)))
    a = a.astype(dtype)
    a[1, n - 1] = 0
    if not dtype.startswith("complex"):   # (a complex product with inf hangs on the order)
        a[2, n - 3] = np.inf
        a[3, 0], a[3, n - 1] = np.inf, 0
    got = torch.from_numpy(a).prod(1).numpy()
    with np.errstate(invalid="ignore"):
        exp = a.astype(np.complex128 if dtype.startswith("complex") else np.float64).prod(1)
    # (float16 rows multiply in float16 lanes)
    tol = 3e-2 if dtype == "float16" else (2e-5 if dtype in ("float32", "complex64") else 1e-13)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(exp))
    np.testing.assert_allclose(got, exp, rtol=tol)


# float32 products that underflow: once a lane falls below 2^-40 (looked at
# every 4096 elements) the lanes go on in double, the result rounded to float
# at the end (no denormal lanes on the way; a double lane below 2^-300 a
# zero, and lanes that are all zeros back in float: the rows of 100000);
# the switch at every place a check falls, the tail of whole and partial
# vectors after it, zeros and their signs, infinities and NaN after it, and
# a product whose value is a float denormal, which comes out to its last bit
@pytest.mark.parametrize("n", [256, 1000, 4096, 4099, 4160, 10000, 100000])
@pytest.mark.parametrize("lo, hi", [(0.1, 0.9), (-0.9, -0.1), (1e-3, 1e-2), (0.5, 0.7)])
def test_prod_rows_that_underflow(n, lo, hi, threads):
    rng = np.random.default_rng(n)
    a = rng.uniform(lo, hi, size=(6, n)).astype("float32")
    a[0, 0] *= -1                                        # lane 0 negative from the start
    a[1, :] = rng.uniform(0.9, 1.1, size=n).astype("float32")                 # stays normal
    a[2, n // 2] = 0
    a[3, n - 1] = np.inf
    a[4, n - 2] = np.nan
    lane = np.where(np.arange(n) < 256, np.arange(n) % 64, -1)   # lanes 0, 1: 4 factors
    a[5, :] = 1
    a[5, lane == 0] = 1e-8
    a[5, lane == 1] = 10.0 ** ((32 - 39.8) / 4)
    for count in (1, 2):
        threads(count)
        got = torch.from_numpy(a).prod(1).numpy()
        with np.errstate(invalid="ignore", over="ignore", under="ignore"):
            exp = a.astype(np.float64).prod(1)
        np.testing.assert_array_equal(np.isnan(got[[0, 1, 2, 4, 5]]), np.isnan(exp[[0, 1, 2, 4, 5]]))
        # row 3: inf times lanes that reached 0 (as floats) or not: inf or NaN
        assert np.isnan(got[3]) or got[3] == np.inf
        ok = [0, 1, 2, 4, 5]
        np.testing.assert_allclose(got[ok], exp[ok], rtol=n * 2.0 ** -23, atol=2.0 ** -148)
        np.testing.assert_array_equal(np.signbit(got[[0, 2]]), np.signbit(exp[[0, 2]]))
        # (rows shorter than 4096 stay in float lanes: a few roundings of
        # the tree's in the denormals)
        assert 1e-41 < got[5] < 1e-39 and abs(got[5] - exp[5]) <= 2.0 ** (-149 if n >= 4096 else -147)


# rows longer than 262144 multiply a block at a time, then the blocks'
# products in order; the blocks of fewer rows than threads go to the
# threads: the same values on one thread or two, a partial last block
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "complex64"])
@pytest.mark.parametrize("shape", [(600001,), (3, 300000), (1, 262145)])
def test_prod_long_rows_in_blocks(dtype, shape, threads):
    rng = np.random.default_rng(len(shape))
    if dtype == "int64":
        a = rng.choice(np.array([-1, 1, 1, 1, 3]), size=shape).astype(dtype)
    else:
        a = rng.uniform(0.9995, 1.0005, size=shape)
        if dtype == "complex64":
            a = a * np.exp(1j * rng.uniform(-1e-3, 1e-3, size=shape))
        a = a.astype(dtype)
    t = torch.from_numpy(a)
    got = []
    for count in (1, 2):
        threads(count)
        got.append((t.prod() if len(shape) == 1 else t.prod(-1)).numpy())
    np.testing.assert_array_equal(got[0], got[1])
    if dtype == "int64":
        np.testing.assert_array_equal(got[0], a.prod(-1))      # wraps as numpy's
    else:
        wide = np.complex128 if dtype == "complex64" else np.float64
        tol = 1e-3 if dtype in ("float32", "complex64") else 1e-10
        np.testing.assert_allclose(got[0], a.astype(wide).prod(-1), rtol=tol)


# count_nonzero and sums of bool tensors count bytes, 64 at a time in byte
# lanes that are added up every 255 steps; big counts are split between
# threads
@pytest.mark.parametrize("n", [1, 63, 64, 65, 16_320, 16_321, 100_003])
def test_count_nonzero_and_bool_sums(n):
    rng = np.random.default_rng(n)
    a = rng.standard_normal(n).astype(np.float32)
    a[rng.random(n) < 0.4] = 0
    a[rng.random(n) < 0.01] = -0.0
    a[0] = np.nan
    t = torch.from_numpy(a)
    assert t.count_nonzero().item() == np.count_nonzero(a)
    assert torch.count_nonzero(t, 0).item() == np.count_nonzero(a)
    m = t > 0
    assert m.sum().dtype == torch.int64 and m.sum().item() == (a > 0).sum()
    assert m.sum(0, keepdim=True).shape == (1,)
    b = a[: n - n % 3].reshape(3, -1) if n >= 3 else a.reshape(1, -1)
    tb = torch.from_numpy(b)
    np.testing.assert_array_equal(tb.count_nonzero(1).numpy(), np.count_nonzero(b, 1))
    np.testing.assert_array_equal(tb.count_nonzero(0).numpy(), np.count_nonzero(b, 0))
    np.testing.assert_array_equal((tb > 0).sum(-1, keepdim=True).numpy(), (b > 0).sum(-1, keepdims=True))
    np.testing.assert_array_equal((tb > 0).sum((0, 1), keepdim=True).numpy(), (b > 0).sum(keepdims=True))
    np.testing.assert_array_equal((tb > 0).t().sum(1).numpy(), (b > 0).T.sum(1))
    np.testing.assert_array_equal(tb[:, ::2].count_nonzero(1).numpy(), np.count_nonzero(b[:, ::2], 1))


def test_count_nonzero_bool_sums_threaded_and_empty():
    rng = np.random.default_rng(2)
    a = rng.random(5 * 2**20 + 17) < 0.3
    m = torch.from_numpy(a)
    got = []
    _with_threads(2, lambda: got.extend([m.sum().item(), torch.count_nonzero(m).item(),
                                         m[: 5 * 2**20].reshape(5, -1)[:, :-1].sum(1).numpy()]))
    assert got[0] == got[1] == a.sum()
    c = a[: 5 * 2**20].reshape(5, -1)[:, :-1]
    np.testing.assert_array_equal(got[2], c.sum(1))
    e = torch.zeros((3, 0), dtype=torch.bool)
    assert e.sum().item() == 0 and e.sum(1).tolist() == [0, 0, 0] and e.count_nonzero().item() == 0


# a full aminmax keeps both running values in one pass (and splits long
# inputs between threads): lengths around the vector loop's start (32) and
# the threads' split, every real dtype, a NaN anywhere makes both NaN
@pytest.mark.parametrize("threads", [1, 2])
def test_aminmax_full_reduction_one_pass(threads):
    rng = np.random.default_rng(threads)

    def check():
        for n in (1, 2, 31, 32, 33, 1000, 1 << 20):
            for dt in ("float16", "float32", "float64", "bool", "uint8", "int8", "int16", "int32", "int64"):
                a = _array((n,), dt, rng)
                if dt not in ("bool", "uint8"):
                    a = a * np.array(37, dtype=a.dtype)
                mn, mx = torch.aminmax(torch.from_numpy(a.copy()))
                assert mn.item() == a.min() and mx.item() == a.max(), (n, dt)
                assert mn.dtype == tdt(dt) and mn.shape == () and mx.is_contiguous()
                if dt.startswith("float") and n > 1:
                    for at in (0, n // 2, n - 1):
                        b = a.copy()
                        b[at] = np.nan
                        mn, mx = torch.aminmax(torch.from_numpy(b))
                        assert np.isnan(mn.item()) and np.isnan(mx.item()), (n, dt, at)
        x = torch.from_numpy(rng.standard_normal(5000).astype(np.float32)).to(torch.bfloat16)
        mn, mx = torch.aminmax(x)
        assert mn.dtype == torch.bfloat16 and (mn.item(), mx.item()) == (x.min().item(), x.max().item())
    _with_threads(threads, check)


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int64"])
def test_order_statistics_of_one_long_row(dtype):
    # rows from 16384 elements pick the k-th key's bucket by a histogram of
    # the keys' top bits first: the values are the sorted row's (NaN last,
    # left out by nanmedian, its lower median), the index points at one
    rng = np.random.default_rng(11)
    for n in (16384, 50001):
        a = np.round(rng.standard_normal(n) * 50) / 4        # ties
        if dtype != "int64":
            a[rng.random(n) < 0.2] = np.nan
        a = a.astype(dtype) if dtype != "int64" else np.nan_to_num(a).astype(np.int64)
        x = torch.from_numpy(a)
        s = np.sort(a)                                       # NaN sorts last, as torch's
        for k in (1, 2, n // 3, n - 1, n):
            v, i = x.kthvalue(k)
            assert np.array_equal(v.numpy(), s[k - 1], equal_nan=True), (n, k)
            assert np.array_equal(a[i.item()], s[k - 1], equal_nan=True), (n, k)
        if dtype != "int64":
            ok = s[~np.isnan(s)]
            want = ok[(len(ok) - 1) // 2]
            v, i = x.nanmedian(0)
            assert v.item() == want and a[i.item()] == want
            assert x.nanmedian().item() == want
            allnan = torch.full((n,), float("nan"), dtype=x.dtype)
            assert np.isnan(allnan.nanmedian().item()) and np.isnan(allnan.nanmedian(0)[0].item())


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16", "int32", "uint8",
                                   "complex64", "complex128"])
def test_equal_compares_values(dtype):
    # NaN is unequal to itself, -0 equal to 0; other shapes or values: False
    dt = getattr(torch, dtype)
    floats = dt.is_floating_point or dt.is_complex
    a = torch.tensor([1.0, -0.0, 3.0] if floats else [1, 0, 3]).to(dt)
    b = torch.tensor([1.0, 0.0, 3.0] if floats else [1, 0, 3]).to(dt)
    assert torch.equal(a, b) and torch.equal(a, a.clone())
    assert not torch.equal(a, torch.tensor([1, 0, 2]).to(dt)) and not torch.equal(a, a[:2])
    assert torch.equal(a[::2], torch.tensor([1, 3]).to(dt))
    if floats:
        n = torch.tensor([1.0, float("nan")]).to(dt)
        assert not torch.equal(n, n)
        assert torch.equal(torch.tensor([float("inf")]).to(dt), torch.tensor([float("inf")]).to(dt))
        assert not torch.equal(torch.tensor([float("inf")]).to(dt), torch.tensor([-float("inf")]).to(dt))
    if dt.is_complex:
        assert not torch.equal(a, a + 1j) and torch.equal(a * 1j, b * 1j)


@pytest.mark.parametrize("nt", [1, 2, 3])
@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int64", "complex64"])
def test_equal_large_finds_every_difference(dtype, nt, threads):
    # enough elements for many blocks and threads: one changed element
    # anywhere (first, a block edge, the middle, the last) makes it unequal
    threads(nt)
    n = 600_001
    rng = np.random.default_rng(3)
    ref = rng.standard_normal(n) * 100
    if dtype == "complex64":
        ref = ref + 1j * rng.standard_normal(n)
    ref = ref.astype(dtype)
    a = torch.from_numpy(ref.copy())
    assert torch.equal(a, torch.from_numpy(ref.copy()))
    for i in (0, 4095, 4096, n // 2, n - 1):
        for part in ((1, 1j) if dtype == "complex64" else (1,)):
            other = ref.copy()
            other[i] += part
            assert not torch.equal(a, torch.from_numpy(other)), (i, part)
    if dtype.startswith("float"):
        other = ref.copy()
        other[n - 1] = np.nan
        assert not torch.equal(torch.from_numpy(other), torch.from_numpy(other.copy()))


@pytest.mark.parametrize("nt", [1, 2])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("step", [2, 3, 4, 8, 64])
def test_sum_of_stepped_views(dtype, step, nt, threads):
    # views whose last dim steps over elements: sums over all dims, the last,
    # the first and a middle one; the elements stepped over (NaN here) never
    # reach a sum
    threads(nt)
    rng = np.random.default_rng(step)
    base = rng.standard_normal((6, 90, 20 * step + 3)).astype(dtype)
    ref = base.copy()
    mask = np.ones(base.shape, bool)
    mask[:, :, ::step] = False
    base[mask] = np.nan
    x = torch.from_numpy(base)[:, :, ::step]
    r = ref[:, :, ::step].astype(np.float64)
    tol = dict(rtol=2e-6 if dtype == "float32" else 1e-12, atol=1e-4 if dtype == "float32" else 1e-10)
    np.testing.assert_allclose(x.sum().item(), r.sum(), **tol)
    for dims in [(2,), (0,), (1,), (0, 2), (1, 2), (0, 1)]:
        got = x.sum(dims)
        assert got.dtype == getattr(torch, dtype)
        np.testing.assert_allclose(got.numpy(), r.sum(dims), **tol)
    np.testing.assert_allclose(x[::2, ::3].mean(2).numpy(), r[::2, ::3].mean(2), **tol)
    np.testing.assert_allclose(x.transpose(0, 1).sum((1, 2)).numpy(), r.sum((0, 2)), **tol)


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "int64", "float64"])
def test_mode_of_long_rows(dtype):
    # rows past the pairwise counts: sorted runs (integer keys relative to
    # the row's smallest, sorted on the bits of their span): the smallest
    # of the most frequent values and its last index, numpy's answer;
    # narrow and full-range values, along the last dim and a middle one
    from op_db_reductions import _mode_pair
    rng = np.random.default_rng(9)
    info = np.iinfo(dtype) if dtype != "float64" else None
    for rows, n, lo, hi in [(30, 40, -100, 100), (20, 300, -3, 3), (4, 5000, None, None)]:
        if info is not None:
            lo = max(info.min, lo if lo is not None else info.min)
            hi = min(info.max, hi if hi is not None else info.max)
            a = rng.integers(lo, hi, size=(rows, n), endpoint=True).astype(dtype)
            if lo is None or n == 5000:
                a[:, :3] = [info.min, info.max, info.min]
        else:
            a = rng.integers(-5, 5, size=(rows, n)).astype(dtype) / 4
        for dim, arr in ((1, a), (0, np.ascontiguousarray(a.T))):
            v, i = torch.tensor(arr).mode(dim)
            rv, ri = _mode_pair(arr, dim)
            np.testing.assert_array_equal(v.numpy(), rv)
            np.testing.assert_array_equal(i.numpy(), ri)


@pytest.mark.parametrize("shape", [(5, 40, 3), (64, 128, 32), (3, 50, 1000), (2, 20, 2500), (7, 33, 17),
                                   (4, 6, 9, 20)])
def test_middle_dim_column_reductions_threaded(shape):
    # a middle dim of a contiguous tensor reduced column by column, every
    # block of the dims before it in one call: the threads take blocks of
    # columns of every block (narrower ones where there are few), one to
    # three threads; max / min with their first indices and a NaN, prod,
    # nansum
    rng = np.random.default_rng(sum(shape))
    a = rng.uniform(0.9, 1.1, shape).astype(np.float32)
    a.reshape(-1)[rng.integers(0, a.size, 3)] = np.nan
    t = torch.from_numpy(a)
    res = {}

    def run():
        got = [t.amax(1), t.amin(1), *t.max(1), *t.min(1), t.prod(1), t.nansum(1)]
        res[torch.get_num_threads()] = [g.numpy() for g in got]
    for count in (1, 2, 3):
        _with_threads(count, run)
    nan = np.isnan(a)
    first_nan = np.where(nan.any(1), nan.argmax(1), -1)
    with np.errstate(invalid="ignore"):
        for count, (mx, mn, mxv, mxi, mnv, mni, pr, ns) in res.items():
            np.testing.assert_array_equal(mx, a.max(1))
            np.testing.assert_array_equal(mn, a.min(1))
            np.testing.assert_array_equal(mxv, a.max(1))
            np.testing.assert_array_equal(mnv, a.min(1))
            np.testing.assert_array_equal(mxi, np.where(first_nan >= 0, first_nan, np.nanargmax(np.where(nan, -np.inf, a), 1)))
            np.testing.assert_array_equal(mni, np.where(first_nan >= 0, first_nan, np.nanargmin(np.where(nan, np.inf, a), 1)))
            np.testing.assert_allclose(pr, np.prod(a.astype(np.float64), 1), rtol=1e-5)
            np.testing.assert_allclose(ns, np.nansum(a.astype(np.float64), 1), rtol=1e-5)


@pytest.mark.parametrize("nt", [1, 2])
@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16", "complex64",
                                   "complex128", "int8", "int16", "int32", "int64", "bool"])
def test_count_nonzero_of_whole_tensors(threads, nt, dtype):
    # the counting pass over a dense tensor: -0 is zero, NaN is not, a
    # complex number with either part nonzero counts; past 1 MiB on the threads
    threads(nt)
    rng = np.random.default_rng(5)
    for n in (0, 1, 33, 70001, 300001):
        a = rng.standard_normal(n) * (rng.random(n) < 0.5)
        if dtype.startswith("complex"):
            a = a + 1j * rng.standard_normal(n) * (rng.random(n) < 0.3)
        if dtype.startswith(("float", "bfloat", "complex")) and n:
            a[::7] = -0.0
            a[3::11] = np.nan
        want = np.count_nonzero(a.astype(np.complex128) if dtype.startswith("complex") else
                                (a != 0) if dtype == "bool" else a.astype(np.float64).astype(
                                    np.float32 if dtype in ("float16", "bfloat16") else np.float64)
                                .astype(np.int64 if dtype.startswith("int") else np.float64))
        x = torch.from_numpy(a.astype(np.float32)).to(torch.bfloat16) if dtype == "bfloat16" else \
            torch.from_numpy(a != 0 if dtype == "bool" else a.astype(dtype))
        r = torch.count_nonzero(x)
        assert r.dtype == torch.int64 and r.shape == () and int(r) == want, (n, int(r), want)
        # a strided view takes the other path: the same count
        assert int(torch.count_nonzero(x[::2])) == int((x[::2] != 0).sum())
