"""Sorting and searching (tests/op_db_sort.py) against numpy: values and
indices over dtypes and layouts (ties, NaN, +-inf and -0.0 included), refused
dtypes, error cases, gradcheck, and searchsorted/bucketize."""
import zlib
import numpy as np
import pytest

import ctorch as torch
from helpers import gradcheck_first_output, tdt
from op_db_sort import (OPS, SEARCH_SAMPLES, SEARCH_ERRORS, bucketize_ref, searchsorted_ref,
                        kthvalue_ref, sort_ref, topk_ref)


def _array(shape, dtype, rng):
    """Values with many ties; floats also get NaN, +-inf and -0.0."""
    if dtype == "bool":
        return rng.integers(0, 2, size=shape).astype(bool)
    if dtype in ("uint8", "int8", "int16", "int32", "int64"):
        lo, hi = (0, 9) if dtype == "uint8" else (-5, 5)
        a = rng.integers(lo, hi, size=shape).astype(dtype)
        if a.size > 4 and dtype != "uint8":     # the extremes of the type
            info = np.iinfo(dtype)
            a.reshape(-1)[[0, a.size // 2]] = [info.min, info.max]
        return a
    a = (rng.integers(-6, 7, size=shape) / 4).astype(dtype)
    if a.size > 8:
        flat = a.reshape(-1)
        pos = rng.choice(a.size, size=6, replace=False)
        flat[pos] = np.array([np.nan, np.inf, -np.inf, -0.0, np.nan, 0.0], dtype=dtype)
    return a


def _layouts(shape, dtype, rng):
    """(name, ctorch tensor, numpy array with the same values) per layout."""
    a = _array(shape, dtype, rng)
    out = [("contiguous", torch.tensor(a), a)]
    if len(shape) >= 2 and 0 not in shape:
        b = _array(shape[:-2] + (shape[-1], shape[-2]), dtype, rng)
        t = torch.tensor(b).transpose(-1, -2)
        assert not t.is_contiguous()
        out.append(("transposed", t, np.swapaxes(b, -1, -2)))
    if len(shape) >= 1 and 0 not in shape:
        c = _array((2 * shape[0],) + tuple(shape[1:]), dtype, rng)
        out.append(("sliced", torch.tensor(c)[1::2], c[1::2]))
    return out


def _same(t, expected, dtype, msg):
    """Exact equality, NaN equal to NaN and the sign of zeros included."""
    assert t.dtype == tdt(dtype), msg
    got = t.numpy()
    assert got.shape == np.shape(expected), f"{msg}: shape {got.shape} != {np.shape(expected)}"
    exp = np.asarray(expected)
    if got.dtype.kind == "f":
        np.testing.assert_array_equal(np.signbit(got), np.signbit(exp), err_msg=msg)
    np.testing.assert_array_equal(got, exp, err_msg=msg)


VALUE_CASES = [(info, dt, k) for info in OPS for dt in info.dtypes for k in range(len(info.samples))]


@pytest.mark.parametrize("info,dt,k", VALUE_CASES, ids=[f"{i.name}-{d}-{k}" for i, d, k in VALUE_CASES])
def test_values(info, dt, k):
    shape, kw = info.samples[k]
    rng = np.random.default_rng(zlib.crc32(repr((info.name, dt, k)).encode()))
    for layout, t, a in _layouts(shape, dt, rng):
        msg = f"{info.name}{kw} {dt} {layout} shape={shape}"
        r = info.op(t, **kw)
        exp = info.ref(a, **kw)
        if info.pair:
            assert type(r).__name__ == info.name and isinstance(r, tuple) and len(r) == 2, msg
            assert r.values is r[0] and r.indices is r[1]
            _same(r.values, exp[0], dt, msg)
            _same(r.indices, exp[1], "int64", msg)
        else:
            _same(r, exp, "int64" if info.name == "argsort" else dt, msg)


REFUSED = [(info, dt) for info in OPS for dt in info.refused]


@pytest.mark.parametrize("info,dt", REFUSED, ids=[f"{i.name}-{d}" for i, d in REFUSED])
def test_refused_dtypes(info, dt):
    shape, kw = info.samples[0]
    exc, frag = info.refused[dt]
    a = np.arange(np.prod(shape)).reshape(shape) % 2
    with pytest.raises(exc) as e:
        info.op(torch.tensor(a.astype(dt)), **kw)
    assert frag in str(e.value)


ERRORS = [(info.name, call, exc, frag) for info in OPS for call, exc, frag in info.errors]
ERRORS += [("search", call, exc, frag) for call, exc, frag in SEARCH_ERRORS]


@pytest.mark.parametrize("name,call,exc,frag", ERRORS, ids=[f"{e[0]}-{k}" for k, e in enumerate(ERRORS)])
def test_errors(name, call, exc, frag):
    with pytest.raises(exc) as e:
        call(torch)
    assert frag in str(e.value)


GRADS = [(info, k) for info in OPS if info.differentiable for k in range(len(info.grad_samples))]


@pytest.mark.parametrize("info,k", GRADS, ids=[f"{i.name}-{k}" for i, k in GRADS])
def test_gradcheck(info, k):
    shape, kw = info.grad_samples[k]
    assert gradcheck_first_output(info.op, shape, kw, k, info.pair)


def test_every_differentiable_entry_has_grad_samples():
    assert all(i.grad_samples for i in OPS if i.differentiable)


@pytest.mark.parametrize("name,call", [
    ("SortBackward0", lambda x: x.sort(1).values), ("SortBackward0", lambda x: x.msort()),
    ("TopkBackward0", lambda x: x.topk(2)[0]), ("KthvalueBackward0", lambda x: x.kthvalue(2, 0).values),
])
def test_grad_fn_names_and_indices_without_grad(name, call):
    x = torch.randn(3, 4, requires_grad=True)
    assert call(x).grad_fn.name() == name
    for r in (x.sort(), x.topk(2), x.kthvalue(1)):
        assert r.values.requires_grad and not r.indices.requires_grad
    assert not x.argsort().requires_grad


def test_sort_gradient_goes_to_the_source_positions():
    x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
    (x.sort(descending=True).values * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert x.grad.tolist() == [1.0, 100.0, 10.0]
    y = torch.tensor([[5.0, 4.0, 9.0]], requires_grad=True)
    y.topk(2, 1).values.sum().backward()
    assert y.grad.tolist() == [[1.0, 0.0, 1.0]]


def test_nan_inf_and_zero_order():
    nan, inf = float("nan"), float("inf")
    x = torch.tensor([nan, 1.0, inf, -inf, nan, -0.0, 0.0])
    v, i = x.sort()
    assert i.tolist() == [3, 5, 6, 1, 2, 0, 4]
    assert str(v) == "tensor([-inf, -0., 0., 1., inf, nan, nan])"
    assert x.sort(descending=True).indices.tolist() == [0, 4, 2, 1, 5, 6, 3]
    assert x.topk(3, largest=False).indices.tolist() == [3, 5, 6]
    assert x.kthvalue(6).indices.item() == 0 and x.kthvalue(7).indices.item() == 4


@pytest.mark.parametrize("lo,hi", [(-3000, 3000), (0, 2 ** 32 - 1), (-2 ** 31, 2 ** 31), (2 ** 63 - 10 ** 6, 2 ** 63 - 1),
                                   (-2 ** 63, -2 ** 63 + 5000), (-2 ** 62, 2 ** 62), (7, 7)])
@pytest.mark.parametrize("n", [2, 25, 1000, 5000, 70000])
def test_int64_rows_sorted_by_their_span(lo, hi, n):
    # rows whose keys span less than 2^32 sort as (key - least key, index)
    # entries over the span's bits; wider ones as (key, index) pairs: both
    # stable, ascending and descending, one row and several
    rng = np.random.default_rng(n)
    x = rng.integers(lo, hi, size=n, endpoint=True, dtype=np.int64)
    x[: n // 3] = x[n // 3: 2 * (n // 3)]          # ties
    t = torch.from_numpy(x)
    want_i = np.argsort(x, kind="stable")
    got = t.sort(stable=True)
    assert np.array_equal(got.values.numpy(), x[want_i]) and np.array_equal(got.indices.numpy(), want_i)
    down_i = (n - 1 - np.argsort(x[::-1], kind="stable"))[::-1]
    got = t.sort(descending=True, stable=True)
    assert np.array_equal(got.values.numpy(), x[down_i]) and np.array_equal(got.indices.numpy(), down_i)
    rows = np.stack([x, x[::-1]])
    got = torch.from_numpy(rows).sort(dim=1, stable=True)
    assert np.array_equal(got.indices.numpy(), np.argsort(rows, axis=1, kind="stable"))


def test_stable_keyword_forms_and_return_type():
    x = torch.tensor([[2, 1, 2], [0, 0, -1]])
    r = torch.sort(x, stable=True, dim=0, descending=True)
    assert r.values.tolist() == [[2, 1, 2], [0, 0, -1]] and r.indices.tolist() == [[0, 0, 0], [1, 1, 1]]
    assert torch.argsort(x, stable=True).tolist() == [[1, 0, 2], [2, 0, 1]]
    assert repr(torch.sort(torch.tensor([2.0, 1.0]))) == (
        "torch.return_types.sort(\nvalues=tensor([1., 2.]),\nindices=tensor([1, 0]))")
    assert isinstance(x.topk(1), torch.return_types.topk)
    assert isinstance(x.kthvalue(1), torch.return_types.kthvalue)


def test_out_pairs():
    x = torch.tensor([[1.0, 4.0, 2.0], [3.0, 0.0, 5.0]])
    v, i = torch.empty(0), torch.empty(0, dtype=torch.int64)
    r = torch.sort(x, 1, out=(v, i))
    assert r.values is v and r.indices is i and v.tolist() == [[1.0, 2.0, 4.0], [0.0, 3.0, 5.0]]
    r = torch.topk(x, 1, out=(v, i))
    assert r[0] is v and v.tolist() == [[4.0], [5.0]] and i.tolist() == [[1], [2]]
    r = torch.kthvalue(x, 2, 0, out=(v, i))
    assert r[1] is i and v.tolist() == [3.0, 4.0, 5.0] and i.tolist() == [1, 0, 1]
    o = torch.empty(0)
    assert torch.msort(x, out=o) is o and o.tolist() == [[1.0, 0.0, 2.0], [3.0, 4.0, 5.0]]


def test_large_sort_matches_numpy():
    rng = np.random.default_rng(7)
    for a in (rng.standard_normal(1_000_003).astype(np.float32),
              rng.integers(-2**62, 2**62, size=300_001),
              rng.integers(-50, 50, size=300_001).astype(np.int32)):
        t = torch.tensor(a)
        v, i = t.sort()
        np.testing.assert_array_equal(v.numpy(), np.sort(a, kind="stable"))
        np.testing.assert_array_equal(i.numpy(), np.argsort(a, kind="stable"))
        vd, idd = t.sort(descending=True)
        ev, ei = sort_ref(a, descending=True)
        np.testing.assert_array_equal(vd.numpy(), ev)
        np.testing.assert_array_equal(idd.numpy(), ei)
    b = rng.standard_normal((64, 1024)).astype(np.float32)
    np.testing.assert_array_equal(torch.tensor(b).sort(1).indices.numpy(), np.argsort(b, axis=1, kind="stable"))
    np.testing.assert_array_equal(torch.tensor(b).t().sort(0).values.numpy(), np.sort(b.T, axis=0))


SEARCH_DTYPES = ("uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64")


@pytest.mark.parametrize("dt", SEARCH_DTYPES)
@pytest.mark.parametrize("k", range(len(SEARCH_SAMPLES)))
def test_searchsorted_values(dt, k):
    bshape, vshape, kw = SEARCH_SAMPLES[k]
    rng = np.random.default_rng(k)
    hi = 120 if dt in ("uint8", "int8") else 10_000
    b = np.sort(rng.integers(0, hi, size=bshape), axis=-1).astype(dt)
    v = rng.integers(-2 if dt != "uint8" else 0, hi + 2, size=vshape).astype(dt)
    right = kw.get("right", False) or kw.get("side") == "right"
    exp = searchsorted_ref(b, v, right)
    msg = f"{bshape} {vshape} {kw} {dt}"
    r = torch.searchsorted(torch.tensor(b), torch.tensor(v), **kw)
    assert r.dtype == (torch.int32 if kw.get("out_int32") else torch.int64), msg
    np.testing.assert_array_equal(r.numpy(), exp, err_msg=msg)
    if b.ndim == 1 and b.size > 1:
        # non-contiguous operands, and bucketize with the same boundaries
        tb = torch.tensor(np.repeat(b, 2))[::2]
        tv = torch.tensor(np.stack([v, v], -1))[..., 0] if v.ndim else torch.tensor(v)
        np.testing.assert_array_equal(torch.searchsorted(tb, tv, right=right).numpy(), exp, err_msg=msg)
        np.testing.assert_array_equal(torch.bucketize(tv, tb, right=right).numpy(), bucketize_ref(v, b, right))


@pytest.mark.parametrize("right", [False, True])
def test_searchsorted_probes_of_rows_with_nans(right):
    # NaN boundaries (sorted last) make the test non-monotone: the answer is
    # that of PyTorch's binary search, probe for probe
    def classic(b, x):
        lo, hi = 0, len(b)
        while lo < hi:
            mid = lo + (hi - lo) // 2
            go = not (b[mid] > x) if right else not (b[mid] >= x)
            lo, hi = (mid + 1, hi) if go else (lo, mid)
        return lo

    rng = np.random.default_rng(12)
    for m in (1, 2, 3, 7, 8, 9, 31, 64, 100):
        b = np.sort(rng.integers(-5, 6, m).astype(np.float64))
        b[rng.random(m) < 0.3] = np.nan
        b = np.sort(b)
        v = np.concatenate([rng.integers(-7, 8, 37).astype(np.float64), [np.nan, np.inf, -np.inf]])
        got = torch.searchsorted(torch.tensor(b), torch.tensor(v), right=right).tolist()
        assert got == [classic(b, x) for x in v], m


def test_searchsorted_sorter_scalars_promotion_and_nan():
    b = np.array([30, 10, 20, 20, 50])
    s = np.argsort(b, kind="stable")
    v = np.array([5, 10, 20, 25, 50, 60])
    for right in (False, True):
        r = torch.searchsorted(torch.tensor(b), torch.tensor(v), right=right, sorter=torch.tensor(s))
        np.testing.assert_array_equal(r.numpy(), searchsorted_ref(b, v, right, sorter=s))
    b2 = np.stack([b, b[::-1]])
    s2 = np.argsort(b2, axis=1, kind="stable")
    v2 = np.stack([v, v])
    r = torch.searchsorted(torch.tensor(b2), torch.tensor(v2), sorter=torch.tensor(s2))
    np.testing.assert_array_equal(r.numpy(), searchsorted_ref(b2, v2, sorter=s2))
    seq = torch.tensor([1, 2, 3])
    assert torch.searchsorted(seq, 2.5).item() == 2 and torch.searchsorted(seq, 2).dim() == 0
    assert torch.searchsorted(seq, True).item() == 0
    assert torch.searchsorted(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([2])).tolist() == [1]
    assert torch.searchsorted(torch.tensor([1, 2, 3], dtype=torch.uint8),
                              torch.tensor([-1], dtype=torch.int8)).tolist() == [0]
    # a NaN value counts every boundary, as in PyTorch (numpy would give 2)
    nan = float("nan")
    assert torch.searchsorted(torch.tensor([1.0, 2.0, nan]), torch.tensor([2.0, nan])).tolist() == [1, 3]
    assert torch.bucketize(3, torch.tensor([1, 2, 3]), right=True).item() == 3
    o = torch.empty(0, dtype=torch.int32)
    assert torch.bucketize(torch.tensor([2, 3]), seq, out_int32=True, out=o) is o and o.tolist() == [1, 2]
    expanded = torch.tensor([1.0, 2.0, 3.0]).expand(2, 3)
    assert torch.searchsorted(expanded, torch.tensor([[1.0], [2.5]])).tolist() == [[0], [2]]


def test_fewer_rows_than_threads():
    rng = np.random.default_rng(3)
    a = rng.standard_normal((2, 40000)).astype(np.float32)
    old = torch.get_num_threads()
    torch.set_num_threads(4)
    try:
        r = torch.tensor(a).sort(1)
    finally:
        torch.set_num_threads(old)
    np.testing.assert_array_equal(r.values.numpy(), np.sort(a, axis=1))
    np.testing.assert_array_equal(r.indices.numpy(), np.argsort(a, axis=1, kind="stable"))


# topk (and kthvalue) of a few from long dense rows skips runs of keys that
# cannot beat the current k-th best: distinct values, the best ones late in the row, NaN
# (largest) and tied zeros of both signs among the best, rows of lengths
# around the skipped run's multiples, several rows over threads
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dt", ["int8", "int32", "int64", "float16", "float32", "float64"])
def test_topk_of_few_in_long_rows(dt, threads):
    rng = np.random.default_rng(zlib.crc32(dt.encode()))
    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        for n in (129, 1000, 4099, 70_001):
            if dt.startswith("int"):
                a = rng.integers(-100, 100, size=(3, n)).astype(dt)
                a[1, n - 3] = np.iinfo(dt).max
                a[2, n // 2:] = np.iinfo(dt).min
            else:
                a = rng.standard_normal((3, n)).astype(dt)
                a[0, rng.choice(n, size=3, replace=False)] = np.nan
                a[1, n - 2] = 50.0
                a[1, [n // 3, n - 1]] = [-0.0, 0.0]
                a[2] = np.abs(a[2])
                a[2, rng.choice(n, size=4, replace=False)] = [0.0, -0.0, 0.0, -0.0]
            for k in (1, 10, 32):
                for largest in (True, False):
                    t = torch.tensor(a)
                    msg = f"{dt} n={n} k={k} largest={largest}"
                    r = t.topk(k, 1, largest=largest)
                    ev, ei = topk_ref(a, k, 1, largest)
                    _same(r.values, ev, dt, msg)
                    _same(r.indices, ei, "int64", msg)
                    r = t[1].topk(k, largest=largest)
                    _same(r.values, ev[1], dt, msg)
                    _same(r.indices, ei[1], "int64", msg)
                kv, ki = kthvalue_ref(a, k, 1)
                r = t.kthvalue(k, 1)
                _same(r.values, kv, dt, f"kthvalue {dt} n={n} k={k}")
                _same(r.indices, ki, "int64", f"kthvalue {dt} n={n} k={k}")
    finally:
        torch.set_num_threads(old)
