"""Reductions, scans and index ops on rows long enough for their blocked
paths (argmax/max by blocks, cummax by chunks, cumsum's vector scan, the
sampled median, the
counting unique, unique_consecutive by blocks, index_select with row
prefetch, the scatter family's in-kernel sign check), against numpy."""
import numpy as np
import pytest

import ctorch as torch

INTS = ["uint8", "int8", "int16", "int32", "int64"]
FLOATS = ["float16", "float32", "float64"]


def _vals(n, dt, rng, nan=0):
    if dt == "bool":
        return rng.integers(0, 2, size=n).astype(bool)
    if dt in INTS:
        return rng.integers(0 if dt == "uint8" else -100, 100, size=n).astype(dt)
    a = rng.standard_normal(n).astype(dt)
    if nan:
        a[rng.choice(n, size=nan, replace=False)] = np.nan
    return a


@pytest.mark.parametrize("dt", INTS + FLOATS)
@pytest.mark.parametrize("n", [33, 2047, 2048, 2049, 10_000])
def test_argmax_argmin_and_max_dim_blocks(dt, n):
    rng = np.random.default_rng(n)
    for nan in ([0, 1, 3] if dt in FLOATS else [0]):
        a = np.stack([_vals(n, dt, rng, nan) for _ in range(3)])
        t = torch.tensor(a)
        for name, npf in (("argmax", np.argmax), ("argmin", np.argmin)):
            # numpy's argmax/argmin also give the first NaN, or the first extreme
            np.testing.assert_array_equal(getattr(t, name)(1).numpy(), npf(a, axis=1))
            assert getattr(t[1], name)().item() == npf(a[1])
        r = t.max(1)
        np.testing.assert_array_equal(r.indices.numpy(), np.argmax(a, axis=1))
        np.testing.assert_array_equal(r.values.numpy(), a[np.arange(3), np.argmax(a, axis=1)])
        # a strided row
        s = torch.tensor(a)[:, ::3]
        np.testing.assert_array_equal(s.argmin(1).numpy(), np.argmin(a[:, ::3], axis=1))


def test_argmax_ties_and_signed_zeros():
    a = np.zeros(5000, np.float32)
    a[::2] = -0.0
    a[4000] = 1.0
    a[4500] = 1.0
    assert torch.tensor(a).argmax().item() == 4000
    assert torch.tensor(a).argmin().item() == 0
    b = np.full(4096, 7, np.int64)
    assert torch.tensor(b).argmax().item() == 0


def _cum_ref(a, is_max):
    """cummax/cummin: an element takes over when >= (<=) the running value or
    NaN; a NaN holds until the next NaN."""
    v = np.empty_like(a)
    ix = np.empty(a.shape, np.int64)
    for r in range(a.shape[0]):
        b, bi = a[r, 0], 0
        for i, x in enumerate(a[r]):
            if x != x or (x >= b if is_max else x <= b):
                b, bi = x, i
            v[r, i], ix[r, i] = b, bi
    return v, ix


@pytest.mark.parametrize("shape, dim", [((1, 1), 1), ((3, 7), 1), ((9, 8), 1), ((5, 23), 1),
                                        ((2, 100_003), 1), ((17, 11), 0), ((40, 2), 0)])
def test_cumsum_float32_vector_scan(shape, dim):
    """float32 rows of 8 and more take the vector scan in double: every result
    is the double running sum rounded once (numpy in double as the oracle),
    within one float ulp of it; NaN and inf propagate from where they are."""
    rng = np.random.default_rng(shape[1])
    a = (rng.standard_normal(shape) * 10).astype(np.float32)
    ref = np.cumsum(a.astype(np.float64), axis=dim)
    r = torch.tensor(a).cumsum(dim).numpy()
    assert r.dtype == np.float32
    np.testing.assert_array_less(np.abs(r - ref), np.spacing(np.abs(ref).astype(np.float32)) + 1e-30)
    # overwhelmingly the same float as the rounded double scan
    assert (r == ref.astype(np.float32)).mean() > 0.999
    b = a.copy()
    b.flat[b.size // 2] = np.nan
    b.flat[b.size // 3] = np.inf
    rb = torch.tensor(b).cumsum(dim).numpy()
    refb = np.cumsum(b.astype(np.float64), axis=dim).astype(np.float32)
    np.testing.assert_array_equal(np.isnan(rb), np.isnan(refb))
    np.testing.assert_array_equal(np.isinf(rb), np.isinf(refb))


@pytest.mark.parametrize("dt", ["bool"] + INTS + FLOATS)
def test_cummax_cummin_chunks(dt):
    rng = np.random.default_rng(1)
    rows = [_vals(301, dt, rng, nan=2 if dt in FLOATS else 0) for _ in range(3)]
    rows.append(np.sort(_vals(301, dt, rng)))
    rows.append(np.sort(_vals(301, dt, rng))[::-1])
    a = np.ascontiguousarray(np.stack(rows))
    for name, is_max in (("cummax", True), ("cummin", False)):
        v, ix = _cum_ref(a, is_max)
        r = getattr(torch, name)(torch.tensor(a), 1)
        np.testing.assert_array_equal(r.values.numpy(), v)
        np.testing.assert_array_equal(r.indices.numpy(), ix)


@pytest.mark.parametrize("dt", ["int16", "int32", "int64", "float32", "float64"])
@pytest.mark.parametrize("n", [16_383, 16_384, 100_001])
def test_median_long_rows(dt, n):
    rng = np.random.default_rng(n)
    cases = [_vals(n, dt, rng), np.sort(_vals(n, dt, rng)), np.sort(_vals(n, dt, rng))[::-1].copy(),
             np.zeros(n, dt), np.tile(np.arange(5, dtype=dt), n // 5 + 1)[:n]]
    lop = _vals(n, dt, rng)
    lop[: n // 3] = lop.min()
    cases.append(lop)
    # every 4th element the largest: an evenly spaced sample of 16384 sees
    # only those, and the median lies outside its bounds (the whole-row path)
    per = _vals(n, dt, rng)
    per[::4] = per.max()
    cases.append(per)
    if dt.startswith("float"):
        cases.append(_vals(n, dt, rng, nan=2))
    for a in cases:
        exp = np.nan if np.isnan(a.astype(np.float64)).any() else np.sort(a)[(n - 1) // 2]
        got = torch.median(torch.tensor(a)).item()
        assert got == exp or (np.isnan(exp) and np.isnan(got))
        r = torch.tensor(a[None]).median(1)
        assert np.array_equal(r.values.numpy(), np.array([exp], dt), equal_nan=True)
        i = r.indices.item()
        assert a[i] == exp or (np.isnan(exp) and np.isnan(a[i]) and i == np.flatnonzero(np.isnan(a))[0])


@pytest.mark.parametrize("dt", ["bool"] + INTS)
def test_unique_counting_path(dt):
    rng = np.random.default_rng(2)
    for lo, hi, n in ((0, 10, 1000), (-50, 50, 777), (0, 2, 1), (-1000, 1000, 50)):
        if dt == "uint8":
            lo = 0
        a = rng.integers(lo, hi, size=n)
        a = (a > 0) if dt == "bool" else a.astype(dt)
        u, inv, cnt = torch.unique(torch.tensor(a), return_inverse=True, return_counts=True)
        eu, einv, ecnt = np.unique(a, return_inverse=True, return_counts=True)
        assert u.dtype == torch.tensor(a).dtype
        np.testing.assert_array_equal(u.numpy(), eu)
        np.testing.assert_array_equal(inv.numpy(), einv.reshape(a.shape))
        np.testing.assert_array_equal(cnt.numpy(), ecnt)
    # a span wider than the count (the sorting path) and the int64 extremes
    a = np.array([-2 ** 63, 2 ** 63 - 1, 0, 5, 5], np.int64)
    u, cnt = torch.unique(torch.tensor(a), return_counts=True)
    np.testing.assert_array_equal(u.numpy(), np.unique(a))
    np.testing.assert_array_equal(cnt.numpy(), [1, 1, 2, 1])
    # a non-contiguous 2-d input: the inverse keeps its shape
    b = rng.integers(0, 7, size=(6, 9))
    u, inv = torch.unique(torch.tensor(b).t(), return_inverse=True)
    eu, einv = np.unique(b.T, return_inverse=True)
    np.testing.assert_array_equal(inv.numpy(), einv.reshape(9, 6))


@pytest.mark.parametrize("dt", ["bool", "uint8", "int32", "int64", "float32", "float64"])
@pytest.mark.parametrize("n", [31, 32, 33, 64, 1000])
@pytest.mark.parametrize("runs", ["sorted", "many"])
def test_unique_consecutive_blocks(dt, n, runs):
    # sorted data (long runs: the blocks without a boundary) and unsorted
    # (a run at almost every element: the walk, on vector lanes for 8 bytes)
    rng = np.random.default_rng(n)
    a = np.sort(_vals(n, dt, rng)) if runs == "sorted" else _vals(n, dt, rng)
    if dt.startswith("float"):
        a[n // 2] = np.nan     # a NaN is a run of its own
        a[n // 3] = -0.0       # equal to 0.0
        a[n // 3 + 1] = 0.0
    starts = np.r_[True, ~(a[1:] == a[:-1])]
    exp_vals = a[starts]
    exp_inv = np.cumsum(starts) - 1
    exp_cnt = np.diff(np.r_[np.flatnonzero(starts), n])
    for ri in (False, True):
        for rc in (False, True):
            r = torch.unique_consecutive(torch.tensor(a), return_inverse=ri, return_counts=rc)
            r = r if isinstance(r, tuple) else (r,)
            assert np.array_equal(r[0].numpy(), exp_vals, equal_nan=True)
            k = 1
            if ri:
                np.testing.assert_array_equal(r[k].numpy(), exp_inv)
                k += 1
            if rc:
                np.testing.assert_array_equal(r[k].numpy(), exp_cnt)


@pytest.mark.parametrize("dt", ["uint8", "int16", "float32", "float64"])
def test_index_select_last_dim_long_rows(dt):
    rng = np.random.default_rng(3)
    a = _vals(40 * 3000, dt, rng).reshape(40, 3000)
    for k in (10, 1500, 4000):
        i = rng.integers(0, 3000, size=k)
        np.testing.assert_array_equal(torch.index_select(torch.tensor(a), 1, torch.tensor(i)).numpy(),
                                      a[:, i])
        np.testing.assert_array_equal(torch.index_select(torch.tensor(a)[::2], 1, torch.tensor(i)).numpy(),
                                      a[::2][:, i])


def test_scatter_family_rejects_negative_indices():
    rng = np.random.default_rng(4)
    a = rng.standard_normal(100).astype(np.float32)
    s = rng.standard_normal(3000).astype(np.float32)
    for pos in (0, 700, 2999):
        i = rng.integers(0, 100, size=3000)
        i[pos] = -1
        ti, ta, ts = torch.tensor(i), torch.tensor(a), torch.tensor(s)
        msg = "index -1 is out of bounds for dimension 0 with size 100"
        with pytest.raises(RuntimeError, match=msg):
            ta.scatter_add(0, ti, ts)
        with pytest.raises(RuntimeError, match=msg):
            ta.scatter(0, ti, ts)
        with pytest.raises(RuntimeError, match=msg):
            torch.gather(ta, 0, ti)
        for red in ("amax", "prod", "mean"):
            for inc in (True, False):
                with pytest.raises(RuntimeError, match=msg):
                    ta.scatter_reduce(0, ti, ts, red, include_self=inc)
        i2 = i.reshape(30, 100)
        with pytest.raises(RuntimeError, match="index -1 is out of bounds for dimension 1 with size 100"):
            torch.gather(torch.tensor(a[None].repeat(30, 0)), 1, torch.tensor(i2))
    # in bounds: the sums and maxima as numpy's
    i = rng.integers(0, 100, size=3000)
    exp = a.astype(np.float64).copy()
    np.add.at(exp, i, s)
    np.testing.assert_allclose(torch.tensor(a).scatter_add(0, torch.tensor(i), torch.tensor(s)).numpy(),
                               exp, rtol=1e-5, atol=1e-5)
    emax = a.copy()
    np.maximum.at(emax, i, s)
    np.testing.assert_array_equal(
        torch.tensor(a).scatter_reduce(0, torch.tensor(i), torch.tensor(s), "amax").numpy(), emax)


def test_scatter_amax_amin_nan():
    a = np.array([np.nan, 0.0, 1.0, 5.0], np.float32)
    s = np.array([1.0, np.nan, 2.0, -1.0, np.nan, 7.0], np.float32)
    i = np.array([0, 1, 2, 3, 3, 2])
    for red, f in (("amax", np.fmax), ("amin", np.fmin)):
        r = torch.tensor(a).scatter_reduce(0, torch.tensor(i), torch.tensor(s), red).numpy()
        # a NaN on either side propagates
        assert np.isnan(r[0]) and np.isnan(r[1]) and np.isnan(r[3])
        assert r[2] == (7.0 if red == "amax" else 1.0)


@pytest.mark.parametrize("dt", ["float32", "float64", "int64"])
def test_scatter_add_of_a_broadcast_value_and_gather_grad(dt):
    rng = np.random.default_rng(5)
    i = rng.integers(0, 100, size=(30, 100))
    one = torch.ones((), dtype=getattr(torch, dt)).expand(30, 100)     # zero strides
    r = torch.zeros(30, 100, dtype=getattr(torch, dt)).scatter_add(1, torch.tensor(i), one)
    exp = np.zeros((30, 100))
    for row in range(30):
        np.add.at(exp[row], i[row], 1)
    np.testing.assert_array_equal(r.numpy(), exp.astype(dt))
    if dt != "int64":
        x = torch.tensor(rng.standard_normal((30, 100)).astype(dt), requires_grad=True)
        torch.gather(x, 1, torch.tensor(i)).sum().backward()
        np.testing.assert_array_equal(x.grad.numpy(), exp.astype(dt))
        x.grad = None
        torch.gather(x, 1, torch.tensor(i))[:, ::2].sum().backward()
        exp2 = np.zeros((30, 100))
        for row in range(30):
            np.add.at(exp2[row], i[row, ::2], 1)
        np.testing.assert_array_equal(x.grad.numpy(), exp2.astype(dt))


def test_median_rows_threaded_match_one_thread():
    rng = np.random.default_rng(8)
    for dt in ["int16", "int64", "float32", "float64"]:
        a = _vals(300 * 400, dt, rng).reshape(300, 400)
        if dt.startswith("float"):
            a[7, 33] = np.nan
        t = torch.tensor(a)
        v1, i1 = t.median(1)
        w1 = t.median(0).values
        old = torch.get_num_threads()
        torch.set_num_threads(2)
        try:
            v2, i2 = t.median(1)
            w2 = t.median(0).values
        finally:
            torch.set_num_threads(old)
        assert np.array_equal(v1.numpy(), v2.numpy(), equal_nan=True)
        assert np.array_equal(i1.numpy(), i2.numpy())
        assert np.array_equal(w1.numpy(), w2.numpy(), equal_nan=True)
        s = np.sort(a.astype(np.float64), 1)[:, (400 - 1) // 2]
        s[np.isnan(a.astype(np.float64)).any(1)] = np.nan
        assert np.array_equal(v2.numpy().astype(np.float64), s, equal_nan=True)


# a cat along the first dim is one long row: with several threads and a
# result from a quarter of a MiB (streamed from 16 MiB), each thread copies
# its own span of bytes, pieces cut at any byte
@pytest.mark.parametrize("threads", [1, 2, 3])
def test_cat_first_dim_spans(threads):
    rng = np.random.default_rng(threads)
    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        cases = [([(1_000_001,), (2_000_000,), (3,), (1_500_000,)], 0),
                 ([(3, 700_001), (2, 700_001)], 0),
                 ([(1, 2_100_001), (1, 3)], 1),
                 ([(70_001,), (3,), (100_000,)], 0), ([(2, 33_333), (1, 33_333)], 0),
                 ([(4,), (0,), (5,)], 0), ([(2, 0), (3, 0)], 0), ([(1,), (1,), (1,)], 0)]
        for shapes, d in cases:
            arrs = [rng.standard_normal(s).astype(np.float32) for s in shapes]
            got = torch.cat([torch.tensor(a) for a in arrs], d).numpy()
            assert np.array_equal(got, np.concatenate(arrs, d))
        ints = [rng.integers(0, 100, size=n).astype(np.int16) for n in (3_000_001, 5_000_000)]
        assert np.array_equal(torch.cat([torch.tensor(a) for a in ints]).numpy(), np.concatenate(ints))
    finally:
        torch.set_num_threads(old)


# pieces that are rows one stride apart (slices along the cat dim, roll's
# two parts) are copied row by row from their strided rows; other views
# (steps, transposes, size-1 dims) go through the strided copy
def test_cat_of_sliced_pieces_and_roll():
    rng = np.random.default_rng(4)
    b = rng.standard_normal((4, 300, 70)).astype(np.float32)
    y = torch.tensor(b)
    for d in range(3):
        for sl in [(slice(None), slice(5, 200), slice(None)), (slice(1, 3), slice(None), slice(None)),
                   (slice(None), slice(None), slice(3, 68)), (slice(None), slice(None, None, 2), slice(None)),
                   (slice(2, 3), slice(7, 9), slice(None))]:
            p, q = y[sl], b[sl]
            got = torch.cat([p, y[sl].flip(d), p], d).numpy()
            assert np.array_equal(got, np.concatenate([q, np.flip(q, d), q], d))
    for shape in [(1000, 1000), (3, 4, 500), (2, 1, 700), (1, 900), (700, 1)]:
        a = rng.standard_normal(shape).astype(np.float32)
        t = torch.tensor(a)
        for d in range(len(shape)):
            for s in (1, 7, -3):
                assert np.array_equal(torch.roll(t, s, d).numpy(), np.roll(a, s, d))
                assert np.array_equal(torch.roll(t.transpose(0, -1), s, d).numpy(),
                                      np.roll(np.swapaxes(a, 0, -1), s, d))


# rolls of dense tensors with rows (the dims from the last moving one on) of
# 1 KiB or more run in one pass: one moving dim row by row, several as runs
# of rows per line of the dim before the last moving one; every dtype size,
# moving and still dims in between, size-1 dims, repeated dims, shifts of
# whole turns, and a large single-dim roll (the pieces' cat)
def test_roll_in_one_pass():
    rng = np.random.default_rng(6)
    for dt in ["bool", "uint8", "int16", "float32", "float64", "complex128"]:
        a = _vals(4 * 3 * 1100, dt, rng).reshape(4, 3, 1100) if dt != "complex128" else \
            (rng.standard_normal((4, 3, 1100)) + 1j * rng.standard_normal((4, 3, 1100)))
        t = torch.tensor(a)
        for shifts, dims in [(7, 2), (-2, 1), (1, 0), ((1, -5), (0, 2)), ((2, 3), (1, 2)),
                             ((1, 1), (0, 1)), ((4, 1, -1), (2, 0, 1)), ((3, 5), (2, 2)),
                             ((4, 6), (0, 1)), ((1, 2, 1100), (0, 1, 2)), ((3, 0), (0, 2))]:
            assert np.array_equal(torch.roll(t, shifts, dims).numpy(), np.roll(a, shifts, dims)), \
                (dt, shifts, dims)
    a = rng.standard_normal((5, 1, 2, 300)).astype(np.float32)
    t = torch.tensor(a)
    for shifts, dims in [((2, 1, 7), (0, 1, 3)), ((1, 1), (2, 3)), ((-1, 4), (0, 2)), (9, 3)]:
        assert np.array_equal(torch.roll(t, shifts, dims).numpy(), np.roll(a, shifts, dims))
    a = rng.standard_normal((1100, 4000)).astype(np.float32)
    for d in (0, 1):
        assert np.array_equal(torch.roll(torch.tensor(a), 13, d).numpy(), np.roll(a, 13, d))
    # backward: the gradient rolled back
    x = torch.tensor(rng.standard_normal((3, 2, 200)), requires_grad=True)
    g = rng.standard_normal((3, 2, 200))
    torch.roll(x, (1, 5), (0, 2)).backward(torch.tensor(g))
    assert np.array_equal(x.grad.numpy(), np.roll(g, (-1, -5), (0, 2)))


# a large gather splits its first dim into bands, one per thread: every
# element size, gathers along each dim, strided inputs and indices, and the
# error for bad indices names the first one in C order whichever band holds it
@pytest.mark.parametrize("threads", [1, 2, 3])
def test_gather_bands_of_rows(threads):
    rng = np.random.default_rng(11)
    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        for dt in ["bool", "uint8", "int16", "float16", "float32", "int64", "float64", "complex128"]:
            if dt == "complex128":
                a = (rng.standard_normal((301, 180)) + 1j * rng.standard_normal((301, 180))).astype(dt)
            else:
                a = _vals(301 * 180, dt, rng).reshape(301, 180)
            t = torch.tensor(a)
            for d in (0, 1):
                i = rng.integers(0, a.shape[d], size=(301, 180))
                assert np.array_equal(torch.gather(t, d, torch.tensor(i)).numpy(),
                                      np.take_along_axis(a, i, d))
        a = rng.standard_normal((40, 60, 50)).astype(np.float32)
        t = torch.tensor(a)
        for d in range(3):
            i = rng.integers(0, a.shape[d], size=(37, 55, 48))
            sub = tuple(slice(None) if k == d else slice(0, i.shape[k]) for k in range(3))
            assert np.array_equal(torch.gather(t, d, torch.tensor(i)).numpy(),
                                  np.take_along_axis(a[sub], i, d))
            # strided index and input: a transposed index, a flipped input
            i2 = rng.integers(0, a.shape[d], size=(48, 55, 37))
            it = torch.tensor(i2).permute(2, 1, 0)
            ts = torch.tensor(np.ascontiguousarray(a[::-1])).flip(0)
            i2t = np.ascontiguousarray(i2.transpose(2, 1, 0))
            assert np.array_equal(torch.gather(ts, d, it).numpy(), np.take_along_axis(a[sub], i2t, d))
        # one long row (1-d) and a first dim of 1
        a = rng.standard_normal(70_000).astype(np.float32)
        i = rng.integers(-70_000, 70_000, size=50_000)
        assert np.array_equal(torch.take(torch.tensor(a), torch.tensor(i)).numpy(), a[i])
        i = np.abs(i) % 70_000
        assert np.array_equal(torch.gather(torch.tensor(a), 0, torch.tensor(i)).numpy(), a[i])
        assert np.array_equal(torch.gather(torch.tensor(a[None]), 1, torch.tensor(i[None])).numpy(),
                              a[None][:, i])
        # bad indices: the first in C order is named
        a = rng.standard_normal((1000, 100)).astype(np.float32)
        for bads in [((300, 5, 150), (800, 7, 170)), ((800, 7, 170),), ((999, 99, 100),),
                     ((0, 0, 101), (999, 0, 102))]:
            i = rng.integers(0, 100, size=(1000, 100))
            for r, c, v in bads:
                i[r, c] = v
            with pytest.raises(RuntimeError, match=f"index {bads[0][2]} is out of bounds for "
                                                   "dimension 1 with size 100"):
                torch.gather(torch.tensor(a), 1, torch.tensor(i))
        i = rng.integers(0, 100, size=(1000, 100))
        i[900, 3] = -1
        with pytest.raises(RuntimeError, match="index -1 is out of bounds for dimension 1 with size 100"):
            torch.gather(torch.tensor(a), 1, torch.tensor(i))
        # an index broadcast along the first dim still gathers into distinct rows
        i = torch.tensor(rng.integers(0, 100, size=(1, 100))).expand(1000, 100)
        assert np.array_equal(torch.gather(torch.tensor(a), 1, i).numpy(),
                              np.take_along_axis(a, np.broadcast_to(i.numpy(), (1000, 100)), 1))
    finally:
        torch.set_num_threads(old)


@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("dt", ["int64", "float16", "float32", "float64", "complex64"])
def test_row_parts_and_middle_dims_between_threads(dt, threads):
    """The row reductions cut their rows into equal parts per thread, and a
    middle dim's sum splits its blocks' column pieces: every row and column
    once, on any thread count, against numpy."""
    rng = np.random.default_rng(threads)
    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        for shape in [(10, 10_000), (7, 9_999), (1000, 70), (3, 5)]:
            a = _vals(shape, "int64" if dt == "int64" else "float64", rng)
            if dt == "complex64":
                a = a + 1j * _vals(shape, "float64", rng)
            a = a.astype(dt)
            t = torch.tensor(a)
            wide = a.astype(np.complex128 if dt == "complex64" else np.float64)
            tol = {"float16": 2e-2, "float32": 1e-4, "complex64": 1e-4}.get(dt, 1e-12)
            np.testing.assert_allclose(t.sum(1).numpy().astype(wide.dtype), wide.sum(1), rtol=tol, atol=tol * 50)
            np.testing.assert_array_equal(t.count_nonzero(1).numpy(), np.count_nonzero(a, 1))
            if dt != "complex64":
                np.testing.assert_array_equal(t.amax(1).numpy(), a.max(1))
                np.testing.assert_array_equal(torch.cummax(t, 1).values.numpy(), np.maximum.accumulate(a, 1))
            if dt != "int64":
                f = 1 + 5e-4 * (np.abs(a) % 1)
                np.testing.assert_allclose(torch.tensor(f).prod(1).numpy(), np.prod(f, 1), rtol=1e-4)
                np.testing.assert_allclose(t.var(1).numpy(), wide.var(1, ddof=1), rtol=tol * 10, atol=tol)
        for shape, dims in [((64, 128, 32), 1), ((3, 700, 513), 1), ((5, 6, 7, 300), (1, 2)), ((2, 40_000, 3), 1)]:
            a = _vals(shape, "int64" if dt == "int64" else "float64", rng)
            if dt == "complex64":
                a = a + 1j * _vals(shape, "float64", rng)
            a = a.astype(dt)
            got = torch.tensor(a).sum(dims).numpy()
            assert got.dtype == a.dtype
            wide = a.astype({"int64": np.int64, "complex64": np.complex128}.get(dt, np.float64)).sum(dims)
            tol = {"float16": 2e-2, "float32": 1e-5, "complex64": 1e-5}.get(dt, 1e-12)
            np.testing.assert_allclose(got.astype(wide.dtype), wide, rtol=tol, atol=tol * 100)
    finally:
        torch.set_num_threads(old)


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_pdist_cdist_rows_between_threads(threads):
    """pdist's shrinking rows cut into runs of equal pair counts per thread,
    cdist's rows into equal runs: every pair once, against numpy."""
    rng = np.random.default_rng(threads)
    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        for P, M in [(300, 16), (501, 7), (2, 40_000)]:
            a = rng.standard_normal((P, M))
            b = rng.standard_normal((P // 2 + 3, M))
            iu = np.triu_indices(P, 1)
            for p in (1.0, 0.5, np.inf):
                d = np.abs(a[:, None, :] - a[None, :, :])
                ref = d.max(-1) if p == np.inf else (d ** p).sum(-1) ** (1 / p)
                np.testing.assert_allclose(torch.pdist(torch.tensor(a), p=p).numpy(), ref[iu], rtol=1e-10)
                d = np.abs(a[:, None, :] - b[None, :, :])
                ref = d.max(-1) if p == np.inf else (d ** p).sum(-1) ** (1 / p)
                np.testing.assert_allclose(torch.cdist(torch.tensor(a), torch.tensor(b), p=p).numpy(), ref,
                                           rtol=1e-10)
    finally:
        torch.set_num_threads(old)


@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("dt", ["int64", "float32", "complex64"])
def test_scatter_bands_between_threads(dt, threads):
    """A large scatter / scatter_add along a dim other than the first runs in
    bands of the first dim between threads: the same result as numpy's, a
    bad index in a late band reported as the first bad one, and a
    destination whose rows overlap left to one pass."""
    rng = np.random.default_rng(threads)
    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        for shape, size in [((1000, 100), 100), ((64, 50, 30), 40)]:
            idx = rng.integers(0, size, size=shape)
            src = _vals(shape, "int64" if dt == "int64" else "float64", rng).astype(dt)
            base = np.zeros(shape[:1] + (size,) + shape[2:], dt)
            want = base.copy()
            pos = np.indices(shape)
            np.add.at(want, (pos[0], idx) + tuple(pos[2:]), src)
            got = torch.tensor(base).scatter_add(1, torch.tensor(idx), torch.tensor(src)).numpy()
            if dt == "complex64":
                np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-4)
            else:
                np.testing.assert_array_equal(got, want)
            # scatter: the last write of each destination wins (C order)
            want = base.copy()
            want[(pos[0], idx) + tuple(pos[2:])] = src
            got = torch.tensor(base).scatter(1, torch.tensor(idx), torch.tensor(src)).numpy()
            np.testing.assert_array_equal(got, want)
        idx = rng.integers(0, 100, size=(1000, 100))
        idx[700, 5], idx[900, 1] = 107, 108
        with pytest.raises(RuntimeError, match="index 107 is out of bounds"):
            torch.zeros(1000, 100).scatter_add_(1, torch.tensor(idx), torch.ones(1000, 100))
        # rows of the destination that overlap (a stride of 1 along dim 0)
        flat = torch.zeros(1100)
        view = flat.as_strided((1000, 100), (1, 1))
        ones = torch.ones(1000, 100)
        view.scatter_add_(1, torch.zeros(1000, 100, dtype=torch.int64), ones)
        np.testing.assert_array_equal(flat.numpy()[:1000], np.full(1000, 100.0))
    finally:
        torch.set_num_threads(old)
