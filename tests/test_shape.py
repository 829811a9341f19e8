"""Shape, joining and gather/scatter ops (tests/op_db_shape.py) against
numpy: values and dtypes on contiguous, transposed and step-sliced inputs,
error cases, grad_fn names, view semantics and gradcheck in float64."""
import numpy as np
import pytest

import ctorch as torch
from tests.op_db_shape import OPS, D, I
from tests.op_db_composite import OPS as COMPOSITE_OPS

OPS = OPS + COMPOSITE_OPS

LAYOUTS = ("contig", "transposed", "stepped")


def to_ct(a, layout, dtype=None, requires_grad=False):
    a = np.asarray(a)
    if layout == "transposed" and a.ndim >= 2:
        t = torch.tensor(np.ascontiguousarray(a.swapaxes(-1, -2))).transpose(-1, -2)
    elif layout == "stepped" and a.ndim >= 1:
        big = np.repeat(a, 2, axis=-1)
        t = torch.tensor(big)[..., ::2]
    else:
        t = torch.tensor(a)
    if requires_grad:
        t.requires_grad_(True)
    return t


def build(args, layout, requires_grad=False):
    out = []
    for x in args:
        if isinstance(x, D):
            out.append(to_ct(x.a, layout, requires_grad=requires_grad))
        elif isinstance(x, I):
            out.append(torch.tensor(x.a))
        else:
            out.append(x)
    return out


def np_args(args):
    return [x.a if isinstance(x, (D, I)) else x for x in args]


def check_same(res, ref, close=False):
    """res (a tensor or a tuple of them) has ref's shapes and dtypes and its
    values: exactly, or within float tolerances when `close`."""
    if isinstance(ref, (tuple, list)):
        assert isinstance(res, tuple), type(res)
        assert len(res) == len(ref)
        for a, b in zip(res, ref):
            check_same(a, b, close)
        return
    ref = np.asarray(ref)
    got = res.numpy()
    assert tuple(res.shape) == ref.shape, (tuple(res.shape), ref.shape)
    assert got.dtype == ref.dtype, (got.dtype, ref.dtype)
    if close:
        np.testing.assert_allclose(got, ref, rtol=1e-5 if ref.dtype != np.float16 else 1e-3, atol=1e-6)
    else:
        np.testing.assert_array_equal(got, ref)


CASES = [(op, dt, layout) for op in OPS for dt in op.dtypes for layout in LAYOUTS
         if layout == "contig" or dt in ("float32", "int64", "bool")]


@pytest.mark.parametrize("op,dt,layout", CASES, ids=[f"{o.name}-{d}-{l}" for o, d, l in CASES])
def test_values(op, dt, layout):
    rng = np.random.default_rng(0)
    for args, kw in op.samples(rng, dt):
        res = op.fn(torch, *build(args, layout), **kw)
        ref = op.ref(*np_args(args), **kw)
        check_same(res, ref, getattr(op, "close", False))


GRAD = [op for op in OPS if op.grad_fn]


def _outs(r):
    return r if isinstance(r, tuple) else (r,)


@pytest.mark.parametrize("op", GRAD, ids=[o.name for o in GRAD])
def test_gradcheck(op):
    rng = np.random.default_rng(1)
    for args, kw in op.samples(rng, "float64"):
        ins = build(args, "contig", requires_grad=True)
        data = [x for x in ins if isinstance(x, torch.Tensor) and x.requires_grad]
        if not data or any(x.numel() == 0 for x in data):
            continue
        res = _outs(op.fn(torch, *ins, **kw))
        for r in res:
            assert type(r.grad_fn).__name__ == op.grad_fn

        def f(*xs):
            it = iter(xs)
            full = [next(it) if isinstance(x, torch.Tensor) and x.requires_grad else x for x in ins]
            return op.fn(torch, *full, **kw)

        assert torch.autograd.gradcheck(f, tuple(data))


VIEWS = [op for op in OPS if op.view]


@pytest.mark.parametrize("op", VIEWS, ids=[o.name for o in VIEWS])
def test_views_share_memory(op):
    rng = np.random.default_rng(2)
    args, kw = op.samples(rng, "float32")[0]
    ins = build(args, "contig")
    base = ins[0]
    outs = _outs(op.fn(torch, *ins, **kw))
    for r in outs:
        if r.numel():
            assert r._base is base
    first = next(r for r in outs if r.numel())
    first.fill_(123.0)
    assert (base == 123.0).sum().item() == first.numel()


def test_copies_do_not_share_memory():
    x = torch.arange(12.).reshape(3, 4)
    for r in (torch.cat([x, x]), torch.flip(x, [0]), torch.roll(x, 1), torch.rot90(x),
              x.repeat(1, 1), x.index_select(0, torch.tensor([0, 1, 2]))):
        r.fill_(-1)
    assert (x >= 0).all().item()


def test_cat_promotes_and_skips_empty_1d():
    r = torch.cat([torch.zeros(2, dtype=torch.int32), torch.zeros(0, dtype=torch.float64),
                   torch.ones(2, dtype=torch.int64)])
    assert r.dtype == torch.float64 and r.tolist() == [0, 0, 1, 1]
    assert torch.cat([torch.zeros(2, 2), torch.zeros(0)]).shape == (2, 2)
    assert torch.cat([torch.zeros(2, 2, dtype=torch.int32), torch.ones(2, 1, dtype=torch.bool)], 1).dtype == torch.int32
    assert torch.concat([torch.ones(1), torch.ones(1)]).tolist() == [1.0, 1.0]
    out = torch.empty(0)
    assert torch.cat([torch.ones(2), torch.zeros(1)], out=out) is out and out.tolist() == [1, 1, 0]
    x = torch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
        torch.cat([x, x], out=torch.empty(4))


@pytest.mark.parametrize("dim", [0, 1])
def test_cat_written_into_out(dim):
    # a dense out= of the result's shape and dtype is written directly (its
    # NaNs never read; its version counts the write); an out= inside an
    # input's memory, of another dtype or shape takes the copy
    rng = np.random.default_rng(dim)
    a, b = rng.standard_normal((300, 70)).astype(np.float32), rng.standard_normal((300, 70)).astype(np.float32)
    ref = np.concatenate([a, b], dim)
    o = torch.full(ref.shape, float("nan"))
    v = o._version
    assert torch.cat([torch.tensor(a), torch.tensor(b)], dim, out=o) is o
    assert o._version > v
    np.testing.assert_array_equal(o.numpy(), ref)
    o64 = torch.empty(ref.shape, dtype=torch.float64)
    torch.cat([torch.tensor(a), torch.tensor(b)], dim, out=o64)
    np.testing.assert_array_equal(o64.numpy(), ref.astype(np.float64))
    big = torch.tensor(np.concatenate([a, b, a], dim))
    parts = [big.narrow(dim, 70 * (dim == 1) + 300 * (dim == 0), a.shape[dim]), big.narrow(dim, 0, a.shape[dim])]
    want = np.concatenate([parts[0].numpy(), parts[1].numpy()], dim)
    dst = big.narrow(dim, 0, 2 * a.shape[dim])
    torch.cat(parts, dim, out=dst)
    np.testing.assert_array_equal(dst.numpy(), want)


def test_stack_index_select_outer_tri_gather_take_written_into_out():
    # the same direct writes into a dense out= of the result (NaNs never
    # read, the version counts the write), an out= sharing an input's memory
    # computed first; index_select's dtype message unchanged
    rng = np.random.default_rng(5)
    a, b = rng.standard_normal((200, 30)).astype(np.float32), rng.standard_normal((200, 30)).astype(np.float32)
    o = torch.full((2, 200, 30), float("nan"))
    v = o._version
    assert torch.stack([torch.tensor(a), torch.tensor(b)], out=o) is o and o._version > v
    np.testing.assert_array_equal(o.numpy(), np.stack([a, b]))
    idx = rng.integers(0, 200, size=150)
    o = torch.full((150, 30), float("nan"))
    v = o._version
    assert torch.index_select(torch.tensor(a), 0, torch.tensor(idx), out=o) is o and o._version > v
    np.testing.assert_array_equal(o.numpy(), a[idx])
    x = torch.tensor(a)
    torch.index_select(x, 0, torch.arange(199, -1, -1), out=x)
    np.testing.assert_array_equal(x.numpy(), a[::-1])
    with pytest.raises(RuntimeError, match="self and result must have the same scalar type"):
        torch.index_select(torch.tensor(a), 0, torch.tensor(idx), out=torch.empty(150, 30, dtype=torch.float64))
    o = torch.full((200, 200), float("nan"))
    assert torch.outer(torch.tensor(a[:, 0]), torch.tensor(b[:, 0]), out=o) is o
    np.testing.assert_allclose(o.numpy(), np.outer(a[:, 0], b[:, 0]), rtol=1e-6)
    for fn, ref in ((torch.tril, np.tril), (torch.triu, np.triu)):
        o = torch.full((200, 30), float("nan"))
        v = o._version
        assert fn(torch.tensor(a), -3, out=o) is o and o._version > v
        np.testing.assert_array_equal(o.numpy(), ref(a, -3))
        x = torch.tensor(a)
        fn(x, 2, out=x)
        np.testing.assert_array_equal(x.numpy(), ref(a, 2))
    gi = rng.integers(0, 30, size=(200, 45))
    o = torch.full((200, 45), float("nan"))
    v = o._version
    assert torch.gather(torch.tensor(a), 1, torch.tensor(gi), out=o) is o and o._version > v
    np.testing.assert_array_equal(o.numpy(), np.take_along_axis(a, gi, 1))
    x = torch.tensor(a)
    torch.gather(x, 1, torch.tensor(gi[:, :30]), out=x)
    np.testing.assert_array_equal(x.numpy(), np.take_along_axis(a, gi[:, :30], 1))
    ti = rng.integers(-6000, 6000, size=(70, 40))
    o = torch.full((70, 40), float("nan"))
    v = o._version
    assert torch.take(torch.tensor(a), torch.tensor(ti), out=o) is o and o._version > v
    np.testing.assert_array_equal(o.numpy(), a.reshape(-1)[ti])
    x, ti = torch.tensor(a), rng.integers(-6000, 6000, size=(200, 30))
    torch.take(x, torch.tensor(ti), out=x)
    np.testing.assert_array_equal(x.numpy(), a.reshape(-1)[ti])


def test_cat_large_and_noncontiguous():
    a = np.random.default_rng(0).standard_normal((300, 700)).astype(np.float32)
    xs = [torch.tensor(a), torch.tensor(a).t().contiguous().t(), torch.tensor(a)[:, ::1]]
    r = torch.cat(xs, 1)
    np.testing.assert_array_equal(r.numpy(), np.concatenate([a, a, a], 1))
    r0 = torch.cat([torch.tensor(a)] * 8)
    np.testing.assert_array_equal(r0.numpy(), np.concatenate([a] * 8))


def test_index_select_large_rows():
    a = np.random.default_rng(0).standard_normal((5000, 8)).astype(np.float32)
    i = np.random.default_rng(1).integers(0, 5000, 200000)
    np.testing.assert_array_equal(torch.tensor(a).index_select(0, torch.tensor(i)).numpy(), a[i])
    np.testing.assert_array_equal(torch.tensor(a[:, 0].copy()).index_select(0, torch.tensor(i)).numpy(), a[i, 0])
    i32 = torch.tensor(i[:10].astype(np.int32))
    np.testing.assert_array_equal(torch.tensor(a).index_select(0, i32).numpy(), a[i[:10]])
    # each fixed row size copied by one constant-size move (8 to 256 bytes)
    for width in (2, 4, 6, 8, 12, 16, 32, 64):
        w = np.random.default_rng(width).standard_normal((700, width)).astype(np.float32)
        j = np.random.default_rng(width + 1).integers(0, 700, 3000)
        np.testing.assert_array_equal(torch.tensor(w).index_select(0, torch.tensor(j)).numpy(), w[j])
    # rows of 512 bytes (an embedding's), chunks of rows about four a thread
    old = torch.get_num_threads()
    try:
        for nt in (1, 2, 3):
            torch.set_num_threads(nt)
            w = np.random.default_rng(2).standard_normal((3000, 128)).astype(np.float32)
            for n in (10000, 4097, 100):
                j = np.random.default_rng(n).integers(0, 3000, n)
                np.testing.assert_array_equal(torch.tensor(w).index_select(0, torch.tensor(j)).numpy(), w[j])
    finally:
        torch.set_num_threads(old)


@pytest.mark.parametrize("dtype", ["bool", "int8", "float16", "float32", "float64", "complex128"])
def test_index_select_flat_checks_bounds_in_its_pass(dtype):
    # a 1-d gather checks each index as it reads it: one index out of range
    # anywhere (first, last, negative, == size, among threads) is refused
    # and nothing else is affected
    rng = np.random.default_rng(2)
    a = (rng.standard_normal(5000) * 10).astype(dtype)
    t = torch.from_numpy(a)
    i = rng.integers(0, 5000, 300000)
    np.testing.assert_array_equal(t.index_select(0, torch.from_numpy(i)).numpy(), a[i])
    np.testing.assert_array_equal(t[torch.from_numpy(i)].numpy(), a[i])
    for pos, bad in ((0, 5000), (len(i) - 1, -1), (123456, 10 ** 12), (200000, -5001)):
        j = i.copy()
        j[pos] = bad
        for threads in (1, 2):
            old = torch.get_num_threads()
            torch.set_num_threads(threads)
            try:
                with pytest.raises(IndexError, match="index out of range in self"):
                    t.index_select(0, torch.from_numpy(j))
            finally:
                torch.set_num_threads(old)
    # along dim 1 the first index out of range is named
    with pytest.raises(RuntimeError, match="id=7 axis_dim=3"):
        torch.from_numpy(a[:12].reshape(4, 3)).index_select(1, torch.tensor([0, 7, 2, 9]))


def test_inplace_variants():
    x = torch.zeros(3, 4)
    assert x.scatter_(1, torch.tensor([[1], [2], [3]]), 5.0) is x
    assert x.sum().item() == 15
    y = torch.zeros(3)
    assert y.scatter_add_(0, torch.tensor([0, 0, 2]), torch.ones(3)) is y
    assert y.tolist() == [2, 0, 1]
    z = torch.zeros(3, dtype=torch.int64)
    assert z.index_add_(0, torch.tensor([0, 0]), torch.ones(2, dtype=torch.int64), alpha=2) is z
    assert z.tolist() == [4, 0, 0]
    m = torch.zeros(2, 3)
    assert m.masked_fill_(torch.tensor([True, False, True]), 7) is m
    assert m.tolist() == [[7, 0, 7], [7, 0, 7]]
    # graph: in-place ops on non-leaf tensors record the node
    a = torch.ones(3, requires_grad=True)
    b = a * 2
    b.masked_fill_(torch.tensor([True, False, False]), 0.0)
    b.sum().backward()
    assert a.grad.tolist() == [0, 2, 2]


def test_masked_fill_dtype_and_value_grad():
    r = torch.zeros(2, 3).masked_fill(torch.tensor([True, False, True]), torch.tensor(3, dtype=torch.int64))
    assert r.dtype == torch.float32 and r.tolist() == [[3, 0, 3], [3, 0, 3]]
    r = torch.zeros(3, dtype=torch.int64).masked_fill(torch.tensor([True, False, True]), 2)
    assert r.dtype == torch.int64 and r.tolist() == [2, 0, 2]


def test_where_one_arg_and_nonzero():
    c = torch.tensor([[1, 0], [0, 2]])
    w = torch.where(c)
    assert isinstance(w, tuple) and [t.tolist() for t in w] == [[0, 1], [0, 1]]
    assert torch.nonzero(c).tolist() == [[0, 0], [1, 1]]
    assert [t.tolist() for t in torch.nonzero(c, as_tuple=True)] == [[0, 1], [0, 1]]


@pytest.mark.parametrize("shape", [(300, 400), (3, 4, 5), (1, 7), (7, 1), (0, 3), (3, 0), (2, 3, 1, 4),
                                   (40, 30, 20), (5,), ()])
@pytest.mark.parametrize("density", [0.0, 0.15, 0.5, 1.0])
def test_nonzero_of_random_masks(shape, density):
    # the rows along the last dim written without a branch per element, up
    # to each row's last set one: numpy's argwhere / nonzero
    a = np.random.default_rng(12).random(shape) < density
    t = torch.tensor(a)
    ref = np.argwhere(a) if a.ndim else np.zeros((int(a), 0), np.int64)
    got = torch.nonzero(t).numpy()
    assert got.shape == ref.shape and np.array_equal(got, ref)
    for x, y in zip(torch.nonzero(t, as_tuple=True), np.nonzero(np.atleast_1d(a))):
        np.testing.assert_array_equal(x.numpy(), y)


@pytest.mark.parametrize("n", [0, 1, 7, 9, 1000])
@pytest.mark.parametrize("hi", [1, 2, 5, 9, 17, 40])
def test_repeat_interleave_of_random_counts(n, hi):
    # the index written eight copies at a time where there is room for the
    # surplus, the end one at a time: numpy's repeat
    rng = np.random.default_rng(15)
    r = rng.integers(0, hi, n)
    np.testing.assert_array_equal(torch.repeat_interleave(torch.tensor(r)).numpy(), np.repeat(np.arange(n), r))
    a = rng.standard_normal((n, 3)).astype(np.float32)
    np.testing.assert_array_equal(torch.tensor(a).repeat_interleave(torch.tensor(r), 0).numpy(),
                                  np.repeat(a, r, 0))


def test_unique_variants():
    v, inv, cnt = torch.unique(torch.tensor([3, 1, 2, 1, 3]), return_inverse=True, return_counts=True)
    assert v.tolist() == [1, 2, 3] and inv.tolist() == [2, 0, 1, 0, 2] and cnt.tolist() == [2, 1, 2]
    assert torch.tensor([3., 1]).unique(sorted=False).tolist() == [1.0, 3.0]
    v, inv = torch.unique(torch.tensor([[2, 1], [1, 1], [2, 1]]), dim=0, return_inverse=True)
    assert v.tolist() == [[1, 1], [2, 1]] and inv.tolist() == [1, 0, 1]


def test_edge_cases_like_torch():
    assert torch.chunk(torch.zeros(0, 2), 3)[2].shape == (0, 2)
    assert torch.cat([torch.zeros(0), torch.zeros(0, dtype=torch.int64)]).shape == (0,)
    assert torch.masked_select(torch.tensor(1.), torch.tensor(True)).tolist() == [1.0]
    assert torch.index_select(torch.tensor(5.), 0, torch.tensor([0])).shape == ()
    assert torch.gather(torch.tensor(5.), 0, torch.tensor(0)).item() == 5.0
    assert torch.flip(torch.arange(6).reshape(2, 3)[:, ::2], [0, 1]).tolist() == [[5, 3], [2, 0]]
    assert torch.tile(torch.arange(3), (2, 0)).shape == (2, 0)
    assert torch.zeros(3, dtype=torch.int64).masked_fill(torch.tensor([True, False, True]), 2.7).tolist() == [2, 0, 2]
    assert torch.take(torch.arange(4), torch.tensor([-1, -4])).tolist() == [3, 0]
    u = torch.unique(torch.tensor([float("nan"), 1.0, float("nan")]))
    assert u.shape == (3,) and u[0].item() == 1.0 and (u != u).sum().item() == 2
    with pytest.raises(RuntimeError, match="index -1 is out of bounds for dimension 0 with size 3"):
        torch.zeros(3).index_add(0, torch.tensor([-1]), torch.ones(1))
    r = torch.zeros(3, requires_grad=True).repeat_interleave(torch.tensor([2]))
    assert r.shape == (6,) and type(r.grad_fn).__name__ == "IndexSelectBackward0"
    assert [t.shape[0] for t in torch.tensor_split(torch.arange(7), torch.tensor([1, 5]))] == [1, 4, 2]


def test_repeat_interleave_repeats_only():
    assert torch.repeat_interleave(torch.tensor([2, 1])).tolist() == [0, 0, 1]
    assert torch.tensor([1, 2]).repeat_interleave(torch.tensor([0, 3])).tolist() == [2, 2, 2]


@pytest.mark.parametrize("fn,npfn", [(torch.tril_indices, np.tril_indices), (torch.triu_indices, np.triu_indices)])
@pytest.mark.parametrize("r,c,off", [(3, 3, 0), (3, 4, 1), (4, 3, -1), (0, 0, 0), (3, 5, -5), (2, 3, 7)])
def test_tri_indices(fn, npfn, r, c, off):
    got = fn(r, c, off)
    assert got.dtype == torch.int64 and tuple(got.shape)[0] == 2
    ref = np.stack(npfn(r, off, c)) if r and c else np.zeros((2, 0), dtype=np.int64)
    np.testing.assert_array_equal(got.numpy(), ref)


def test_tri_indices_errors():
    with pytest.raises(NotImplementedError, match="not implemented for 'Float'"):
        torch.tril_indices(3, 3, dtype=torch.float32)
    assert torch.triu_indices(3, 3, dtype=torch.int32).dtype == torch.int32


def test_clamp_tensor_bounds():
    x = torch.tensor([-2.0, 0.5, 3.0, 1.0], dtype=torch.float64, requires_grad=True)
    lo = torch.tensor([-1.0, 0.0, 0.0, 1.0], dtype=torch.float64, requires_grad=True)
    hi = torch.tensor([1.0, 1.0, 2.0, 2.0], dtype=torch.float64, requires_grad=True)
    r = torch.clamp(x, lo, hi)
    assert r.tolist() == [-1.0, 0.5, 2.0, 1.0]
    assert type(r.grad_fn).__name__ == "ClampBackward0"
    r.sum().backward()
    # a tie (x == min) passes the gradient to x, as torch does
    assert x.grad.tolist() == [0, 1, 0, 1]
    assert lo.grad.tolist() == [1, 0, 0, 0]
    assert hi.grad.tolist() == [0, 0, 1, 0]
    assert torch.clamp(torch.tensor([1, 5, 9]), torch.tensor([2., 2., 2.])).dtype == torch.float32
    assert torch.clamp(torch.tensor([1., 5, 9]), torch.tensor([2., 6., 2.]), torch.tensor([1., 7., 3.])).tolist() == [1, 6, 3]
    assert torch.clamp(torch.tensor([1., 5.]), max=torch.tensor(2.)).tolist() == [1, 2]
    x2 = torch.tensor([0.3, -0.7, 2.7], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([0.0, 0.0, 1.0], dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda a, m: torch.clamp(a, m, m + 1.5), (x2, b))


def test_higher_order_gather():
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64, requires_grad=True)
    i = torch.tensor([[1, 1], [0, 1]])
    y = (torch.gather(x, 1, i) ** 2).sum()
    g, = torch.autograd.grad(y, x, create_graph=True)
    assert g.tolist() == [[0, 8], [6, 8]]
    g.sum().backward()
    assert x.grad.tolist() == [[0, 4], [2, 2]]


# ---- in-place forms and autograd of the index_put / index_* / scatter_reduce / put family

def test_index_family_inplace_forms():
    x = torch.zeros(3, 4)
    assert x.index_put_((torch.tensor([0, 0]), torch.tensor([1, 1])), torch.tensor(2.), accumulate=True) is x
    assert x[0, 1].item() == 4.0
    assert torch.index_put_(x, (torch.tensor([True, False, True]),), torch.tensor(1.)) is x
    assert x.sum().item() == 8.0
    y = torch.zeros(3, 2)
    assert y.index_copy_(0, torch.tensor([2, 0]), torch.tensor([[1., 2], [3, 4]])) is y
    assert y.tolist() == [[3, 4], [0, 0], [1, 2]]
    assert y.index_fill_(1, torch.tensor([-1]), -1) is y and y[:, 1].tolist() == [-1, -1, -1]
    z = torch.ones(3)
    assert z.index_reduce_(0, torch.tensor([0, 0, 2]), torch.tensor([2., 3, 4]), "prod") is z
    assert z.tolist() == [6, 1, 4]
    w = torch.tensor([1., 5, 2])
    assert w.scatter_reduce_(0, torch.tensor([0, 0, 2]), torch.tensor([7., 3, -1]), "amin", include_self=False) is w
    assert w.tolist() == [3, 5, -1]
    m = torch.zeros(2, 3)
    assert m.masked_scatter_(torch.tensor([True, False, True]), torch.arange(6.)) is m
    assert m.tolist() == [[0, 0, 1], [2, 0, 3]]
    p = torch.zeros(2, 3).t()                      # a non-contiguous self
    assert p.put_(torch.tensor([0, 5, 5]), torch.tensor([1., 2, 3]), accumulate=True) is p
    assert p.tolist() == [[1, 0], [0, 0], [0, 5]]
    s = torch.ones(3)
    assert s.scatter_(0, torch.tensor([0, 0]), torch.tensor([2., 3]), reduce="multiply") is s
    assert s.tolist() == [6, 1, 1]
    assert torch.scatter(torch.ones(3), 0, torch.tensor([0, 2]), 2.0, reduce="add").tolist() == [3, 1, 3]


def test_index_family_inplace_autograd():
    a = torch.tensor([1., 2, 3, 4], dtype=torch.float64, requires_grad=True)
    v = torch.tensor([5., 6], dtype=torch.float64, requires_grad=True)
    b = a * 2
    b.index_copy_(0, torch.tensor([3, 0]), v)
    assert type(b.grad_fn).__name__ == "IndexCopyBackward0"
    (b * torch.arange(1., 5, dtype=torch.float64)).sum().backward()
    assert a.grad.tolist() == [0, 4, 6, 0] and v.grad.tolist() == [4, 1]
    c = torch.ones(3, dtype=torch.float64, requires_grad=True)
    d = c * 1
    d.scatter_reduce_(0, torch.tensor([1, 1]), torch.tensor([2., 3], dtype=torch.float64), "prod")
    d.sum().backward()
    assert c.grad.tolist() == [1, 6, 1]
    r = torch.scatter(c, 0, torch.tensor([0]), torch.ones(1, dtype=torch.float64), reduce="add")
    assert type(r.grad_fn).__name__ == "NotImplemented"
    with pytest.raises(RuntimeError, match="derivative for aten::scatter is not implemented"):
        r.sum().backward()


@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
def test_scatter_reduce_gradgrad(reduce):
    x = torch.tensor([[1., 0, 2], [3, 4, 0.5]], dtype=torch.float64, requires_grad=True)
    s = torch.tensor([[0., 2, 5], [1.5, 0, 7]], dtype=torch.float64, requires_grad=True)
    i = torch.tensor([[0, 1, 1], [1, 1, 0]])
    assert torch.autograd.gradgradcheck(lambda a, b: torch.scatter_reduce(a, 0, i, b, reduce, include_self=True), (x, s))


def test_amax_ties_share_the_gradient():
    x = torch.tensor([2., 1.], dtype=torch.float64, requires_grad=True)
    s = torch.tensor([2., 2., 0.], dtype=torch.float64, requires_grad=True)
    torch.scatter_reduce(x, 0, torch.tensor([0, 0, 1]), s, "amax").sum().backward()
    assert x.grad.tolist() == [1 / 3, 1] and s.grad.tolist() == [1 / 3, 1 / 3, 0]
    nan = float("nan")
    r = torch.scatter_reduce(torch.tensor([1., nan, 2]), 0, torch.tensor([0, 0, 2]), torch.tensor([nan, 1., 4]), "amax")
    assert np.isnan(r[0].item()) and np.isnan(r[1].item()) and r[2].item() == 4


def test_index_put_accumulate_large():
    rng = np.random.default_rng(0)
    i = rng.integers(0, 1000, 20000)
    v = rng.standard_normal(20000)
    ref = np.zeros(1000)
    np.add.at(ref, i, v)
    got = torch.zeros(1000, dtype=torch.float64).index_put_((torch.tensor(i),), torch.tensor(v), accumulate=True)
    np.testing.assert_allclose(got.numpy(), ref, rtol=1e-12, atol=1e-12)
    x = torch.zeros(4, 3, dtype=torch.int64)
    x.index_put_((torch.tensor([0, 0, 3]),), torch.tensor([[1, 2, 3]]), accumulate=True)
    assert x.tolist() == [[2, 4, 6], [0, 0, 0], [0, 0, 0], [1, 2, 3]]


def test_index_family_out_and_methods():
    x = torch.arange(6.).reshape(2, 3)
    o = torch.empty(0)
    assert torch.slice_scatter(x, torch.zeros(2, 1), 1, 2, out=o) is o and o.tolist() == [[0, 1, 0], [3, 4, 0]]
    oi = torch.empty(0, dtype=torch.int64)
    assert torch.nonzero_static(x, size=2, out=oi) is oi and oi.tolist() == [[0, 1], [0, 2]]
    o2 = torch.empty(0)
    r = torch.scatter_reduce(x, 1, torch.tensor([[0, 0]]), torch.ones(1, 2), "sum", out=o2)
    assert r is o2 and o2.tolist() == [[2, 1, 2], [3, 4, 5]]
    o3 = torch.empty(0, dtype=torch.bool)
    assert torch.isin(x, torch.tensor([4., 1]), out=o3) is o3 and o3.sum().item() == 2
    assert torch.take_along_dim(x, torch.tensor([[2], [0]]), dim=1, out=torch.empty(0)).tolist() == [[2], [3]]
    assert x.argwhere().tolist() == torch.nonzero(x).tolist()
    assert torch.index_copy(x, 0, torch.tensor([1]), torch.zeros(1, 3), out=torch.empty(0)).tolist() == [[0, 1, 2], [0, 0, 0]]
