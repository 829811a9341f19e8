"""The fast paths of the shape and product ops against numpy: float32
products with one row or one column (the matrix-vector kernel, in every
transpose and with strided vectors) and tensordot onto them, kron with a
short last dim of its second factor, cartesian_prod written column by
column, block_diag, flip's threaded rows, cat of dense pieces (banded,
short-row, streaming and threaded copies), the one-pass histogramdd kernel,
and multi_dot / matrix_power on matrices. Contiguous, transposed, stepped
and reversed inputs, empty ones, mixed dtypes and gradients."""
import itertools

import numpy as np
import pytest

import ctorch as torch


def T(a):
    return torch.from_numpy(np.array(a, order="C", copy=True))


def _layout(a, how):
    """a ctorch tensor holding a's values in the layout `how`"""
    if how == "contig":
        return T(a)
    if how == "transposed":
        return T(np.ascontiguousarray(a.T)).t() if a.ndim == 2 else T(a)
    if how == "stepped":
        big = np.zeros(a.shape[:-1] + (2 * a.shape[-1],), a.dtype)
        big[..., ::2] = a
        return T(big)[..., ::2]
    if how == "reversed":
        return T(a[..., ::-1]).flip(-1)
    raise ValueError(how)


LAYOUTS = ("contig", "transposed", "stepped", "reversed")


# ---------------------------------------------------- matrix-vector products

MV_SHAPES = [(1, 1, 1), (1, 5, 1), (1, 37, 50), (50, 37, 1), (300, 2000, 1), (1, 2000, 300),
             (3, 17, 1), (1, 17, 3), (2000, 33, 1), (1, 33, 2000), (6, 3, 1), (1, 1, 7), (7, 1, 1)]


@pytest.mark.parametrize("m,k,n", MV_SHAPES)
@pytest.mark.parametrize("la,lb", list(itertools.product(LAYOUTS[:3], LAYOUTS[:3])))
def test_float32_products_with_one_row_or_column(m, k, n, la, lb):
    rng = np.random.default_rng(m * 7 + k * 3 + n)
    a = rng.standard_normal((m, k)).astype(np.float32)
    b = rng.standard_normal((k, n)).astype(np.float32)
    c = rng.standard_normal((m, n)).astype(np.float32)
    A, B = _layout(a, la), _layout(b, lb)
    ref = a.astype(np.float64) @ b.astype(np.float64)
    tol = 1e-5 * np.sqrt(k) * (np.abs(a).max() * np.abs(b).max())
    np.testing.assert_allclose(torch.mm(A, B).numpy(), ref, rtol=1e-5, atol=tol)
    got = torch.addmm(T(c), A, B, beta=0.5, alpha=2.0).numpy()
    np.testing.assert_allclose(got, 0.5 * c + 2.0 * ref, rtol=1e-5, atol=3 * tol)
    # beta = 0 never reads the output: a nan there does not leak
    out = torch.full((m, n), float("nan"))
    torch.addmm(out, A, B, beta=0.0, alpha=1.0, out=out)
    np.testing.assert_allclose(out.numpy(), ref, rtol=1e-5, atol=tol)


@pytest.mark.parametrize("m,k", [(100, 3000), (7, 3), (1, 1), (33, 65), (0, 5), (5, 0)])
@pytest.mark.parametrize("lv", LAYOUTS[:1] + LAYOUTS[2:])
def test_mv_and_vector_matrix(m, k, lv):
    rng = np.random.default_rng(m + k)
    a = rng.standard_normal((m, k)).astype(np.float32)
    v = rng.standard_normal(k).astype(np.float32)
    V = _layout(v, lv)
    ref = a.astype(np.float64) @ v
    np.testing.assert_allclose(torch.mv(T(a), V).numpy(), ref, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(torch.mv(_layout(a, "transposed"), V).numpy(), ref, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose((V @ T(a.T)).numpy(), ref, rtol=1e-4, atol=1e-4)


def test_tensordot_onto_a_vector():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((20, 30, 40)).astype(np.float32)
    b = rng.standard_normal((30, 40)).astype(np.float32)
    ref = np.tensordot(a.astype(np.float64), b.astype(np.float64), ([1, 2], [0, 1]))
    for A in (T(a), T(a[:, :, ::-1]).flip(2), T(a.transpose(1, 2, 0)).permute(2, 0, 1)):
        got = torch.tensordot(A, T(b), dims=([1, 2], [0, 1]))
        assert got.shape == (20,)
        np.testing.assert_allclose(got.numpy(), ref, rtol=1e-4, atol=1e-3)
    # the other side: a vector of contracted dims against a matrix
    got = torch.tensordot(T(b), T(a.transpose(1, 2, 0).copy()), dims=([0, 1], [0, 1]))
    np.testing.assert_allclose(got.numpy(), ref, rtol=1e-4, atol=1e-3)
    # gradients
    A = torch.tensor(a[:4, :5, :6].astype(np.float64), requires_grad=True)
    B = torch.tensor(b[:5, :6].astype(np.float64), requires_grad=True)
    g = rng.standard_normal(4)
    torch.tensordot(A, B, dims=([1, 2], [0, 1])).backward(torch.tensor(g))
    np.testing.assert_allclose(A.grad.numpy(), g[:, None, None] * B.detach().numpy()[None], rtol=1e-12)
    np.testing.assert_allclose(B.grad.numpy(), np.tensordot(g, A.detach().numpy(), 1), rtol=1e-12)


def test_tensordot_repeated_shapes():
    """The same sizes and dims a second time reuse the first call's plan:
    the results, grad_fn and errors are those of a first call."""
    rng = np.random.default_rng(2)
    cases = [((3, 4, 5), (4, 5, 2), ([1, 2], [0, 1])), ((3, 4), (4, 3), ([1, 0], [0, 1])),
             ((2, 3, 4), (4, 2), ([0, 2], [1, 0])), ((2, 3), (4,), 0), ((3, 4), (4, 5), 1),
             ((5,), (5,), 1), ((2, 0, 3), (3, 0), ([1, 2], [1, 0])), ((3, 4, 5), (5, 4), ([-1, -2], [0, 1])),
             ((6,), (6, 7), ([0], [0]))]
    for sa, sb, dims in cases:
        for _ in range(3):
            a = rng.standard_normal(sa)
            b = rng.standard_normal(sb)
            got = torch.tensordot(T(a), T(b), dims)
            np.testing.assert_allclose(got.numpy(), np.tensordot(a, b, dims), rtol=1e-12, atol=1e-12)
            A = torch.tensor(a, requires_grad=True)
            r = torch.tensordot(A, T(b), dims)
            assert r.grad_fn is not None and type(r.grad_fn).__name__ == "ViewBackward0"
        with pytest.raises(RuntimeError, match="both inputs should have same dtype"):
            torch.tensordot(T(a), T(b.astype(np.float32)), dims)
    # a contracted dim of size 1 against a longer one: the other side summed
    for _ in range(2):
        a = rng.standard_normal((3, 1))
        b = rng.standard_normal((4, 5))
        got = torch.tensordot(T(a), T(b), ([1], [0]))
        np.testing.assert_allclose(got.numpy(), np.tensordot(a, b.sum(0, keepdims=True), ([1], [0])),
                                   rtol=1e-12)
        got = torch.tensordot(T(b), T(a), ([0], [1]))
        np.testing.assert_allclose(got.numpy(), np.tensordot(b.sum(0, keepdims=True), a, ([0], [1])),
                                   rtol=1e-12)
    with pytest.raises(RuntimeError, match="contracted dimensions need to match"):
        torch.tensordot(T(np.zeros((3, 4))), T(np.zeros((5, 6))), 1)
    with pytest.raises(IndexError, match="Dimension out of range"):
        torch.tensordot(T(np.zeros((3, 4))), T(np.zeros((4, 6))), ([2], [0]))


# ------------------------------------------------------------------- kron

KRON_SHAPES = [((100, 100), (10, 10)), ((5, 7), (3, 4)), ((64, 3), (2, 80)), ((3, 4, 5), (2, 3, 6)),
               ((4, 5), (7,)), ((70,), (6, 5)), ((2, 3, 4, 5), (3, 2)), ((64, 64), (1, 3)),
               ((3, 0), (4, 5)), ((80, 3), (3, 2, 100)), ((40, 50), (2, 300))]


@pytest.mark.parametrize("sa,sb", KRON_SHAPES)
@pytest.mark.parametrize("dts", [("float32", "float32"), ("float64", "float32"), ("int64", "int32"),
                                 ("float32", "bool")])
@pytest.mark.parametrize("how", ("contig", "transposed", "reversed"))
def test_kron(sa, sb, dts, how):
    rng = np.random.default_rng(len(sa) * 10 + len(sb))
    a = (rng.standard_normal(sa) * 5).astype(dts[0])
    b = (rng.standard_normal(sb) * 5).astype(dts[1])
    A = _layout(a, how) if a.ndim and a.size else T(a)
    B = _layout(b, "reversed" if how == "transposed" else how) if b.size else T(b)
    got = torch.kron(A, B)
    ref = np.kron(a, b)
    assert got.numpy().dtype == ref.dtype and got.shape == ref.shape
    np.testing.assert_array_equal(got.numpy(), ref)


@pytest.mark.parametrize("sa,sb", [((6, 7), (3, 4)), ((3, 4, 5), (2, 3, 6)), ((4, 5), (7,)),
                                   ((70,), (6, 5)), ((9, 9), (2, 3))])
def test_kron_gradients(sa, sb):
    rng = np.random.default_rng(2)
    a, b = rng.standard_normal(sa), rng.standard_normal(sb)
    A = torch.tensor(a, requires_grad=True)
    B = torch.tensor(b, requires_grad=True)
    r = torch.kron(A, B)
    g = rng.standard_normal(tuple(r.shape))
    r.backward(torch.tensor(g))
    # kron(a, b) is linear in each factor: the gradient is the contraction of
    # g, seen as (a0, b0, a1, b1, ..), with the other factor
    n = max(a.ndim, b.ndim)
    a2 = a.reshape((1,) * (n - a.ndim) + a.shape)
    b2 = b.reshape((1,) * (n - b.ndim) + b.shape)
    g2 = g.reshape(tuple(x for d in range(n) for x in (a2.shape[d], b2.shape[d])))
    ga = np.einsum(g2, list(range(2 * n)), b2, list(range(1, 2 * n, 2)), list(range(0, 2 * n, 2)))
    gb = np.einsum(g2, list(range(2 * n)), a2, list(range(0, 2 * n, 2)), list(range(1, 2 * n, 2)))
    np.testing.assert_allclose(A.grad.numpy(), ga.reshape(a.shape), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(B.grad.numpy(), gb.reshape(b.shape), rtol=1e-10, atol=1e-10)


def test_kron_out():
    o = torch.empty(0)
    torch.kron(torch.ones(10, 10), torch.full((10, 10), 2.0), out=o)
    assert o.shape == (100, 100) and o.sum().item() == 20000


# -------------------------------------------------- cartesian_prod, block_diag

@pytest.mark.parametrize("sizes", [(1000, 100), (3, 4, 5), (0, 4), (4, 0), (1, 1), (2, 3, 4, 2)])
@pytest.mark.parametrize("dt", ["float32", "int64", "bool", "float64"])
def test_cartesian_prod(sizes, dt):
    rng = np.random.default_rng(3)
    arrs = [(rng.standard_normal(n) * 4).astype(dt) for n in sizes]
    ts = [_layout(a, how) for a, how in zip(arrs, itertools.cycle(("stepped", "reversed", "contig")))]
    got = torch.cartesian_prod(*ts)
    ref = np.array(list(itertools.product(*arrs)), dtype=dt).reshape(-1, len(sizes))
    assert got.numpy().dtype == ref.dtype
    np.testing.assert_array_equal(got.numpy(), ref)


def test_cartesian_prod_gradient_and_errors():
    a = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    torch.cartesian_prod(a, torch.ones(3)).sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), [3.0, 3.0, 3.0, 3.0])
    with pytest.raises(RuntimeError, match="meshgrid expects all tensors to have the same dtype"):
        torch.cartesian_prod(torch.ones(3), torch.ones(3, dtype=torch.int64))


def test_block_diag_layouts_and_dtypes():
    rng = np.random.default_rng(4)
    blocks = [rng.standard_normal((3, 4)).astype(np.float32), rng.standard_normal((2, 2)),
              np.array(5.0, np.float32), np.arange(3), np.zeros((0, 2), np.float32),
              np.zeros((2, 0), np.float32), rng.standard_normal((3, 4)).astype(np.float32)]
    ts = [T(blocks[0]), _layout(blocks[1], "transposed"), T(blocks[2]), T(blocks[3]), T(blocks[4]),
          T(blocks[5]), _layout(blocks[6], "reversed")]
    import scipy.linalg
    got = torch.block_diag(*ts)
    ref = scipy.linalg.block_diag(*blocks)
    assert got.dtype == torch.float64
    np.testing.assert_array_equal(got.numpy(), ref)
    big = [rng.standard_normal((100, 100)).astype(np.float32) for _ in range(8)]
    np.testing.assert_array_equal(torch.block_diag(*[T(b) for b in big]).numpy(), scipy.linalg.block_diag(*big))


# ------------------------------------------------------------------- flip

@pytest.mark.parametrize("nt", [1, 2])
@pytest.mark.parametrize("dt", ["uint8", "int16", "float32", "float64", "complex128"])
@pytest.mark.parametrize("shape,dims", [((300, 1000), (1,)), ((300, 1000), (0,)), ((40, 50, 60), (0, 2)),
                                        ((40, 50, 60), (1,)), ((1000, 300), (0, 1)), ((0, 5), (1,)),
                                        # fewer rows than tasks: rows split in parts
                                        ((3, 300, 400), (1,)), ((300001,), (0,)),
                                        # short rows, one or two vectors a row, outer dims stepped
                                        ((100000, 3), (1,)), ((20000, 16), (1,)), ((20000, 17), (1,)),
                                        ((9000, 32), (1,)), ((9000, 33), (1,)), ((7, 9, 13, 5), (0, 3)),
                                        ((64, 3, 32, 32), (1, 3)), ((5, 7, 31), (0, 2))])
def test_flip_threads(threads, nt, dt, shape, dims):
    threads(nt)
    rng = np.random.default_rng(5)
    a = (rng.standard_normal(shape) * 50).astype(dt)
    np.testing.assert_array_equal(torch.flip(T(a), dims).numpy(), np.flip(a, dims))
    if a.ndim == 2:
        np.testing.assert_array_equal(torch.flip(_layout(a, "transposed"), dims).numpy(), np.flip(a, dims))


# -------------------------------------------------------------- index_add

@pytest.mark.parametrize("nt", [1, 2, 3])
@pytest.mark.parametrize("dt", ["int32", "int64", "float32", "float64", "int16"])
@pytest.mark.parametrize("shape,dim,n", [((3000, 64), 0, 3000), ((40, 3, 1000), 1, 50),
                                         ((1, 1000, 256), 1, 1500), ((2, 3, 3000), 1, 400),
                                         ((600, 2), 1, 3000), ((3, 200, 70), 2, 300), ((50,), 0, 100000)])
@pytest.mark.parametrize("layout", ["contig", "transposed", "spread"])
def test_index_add_rows_threads(threads, nt, dt, shape, dim, n, layout):
    # every destination element takes its adds in index order however the
    # threads split the work (slices, destination rows or columns): equal to
    # numpy's unbuffered add.at in the same dtype, element for element
    threads(nt)
    rng = np.random.default_rng(11)
    idx = rng.integers(0, shape[dim], n)
    sshape = list(shape)
    sshape[dim] = n
    a = (rng.standard_normal(shape) * 10).astype(dt)
    s = (rng.standard_normal(sshape) * 10).astype(dt)
    src = T(s)
    if layout == "transposed" and s.ndim > 1:
        src = src.mT.contiguous().mT
    elif layout == "spread":
        # a gradient spread from one value: zero strides everywhere
        s = np.broadcast_to(s.reshape(-1)[:1].reshape([1] * s.ndim), sshape)
        src = T(np.ascontiguousarray(s.reshape(-1)[:1])).reshape([1] * s.ndim).expand(sshape)
    ref = a.copy()
    np.add.at(ref, (slice(None),) * dim + (idx,), s)
    np.testing.assert_array_equal(T(a).index_add(dim, T(idx), src).numpy(), ref)
    inplace = T(a.copy())
    inplace.index_add_(dim, T(idx), src)
    np.testing.assert_array_equal(inplace.numpy(), ref)


# -------------------------------------------------------------------- cat

CAT_CASES = [([(1000, 1000)] * 8, 1), ([(1000, 100)] * 2, 1), ([(3, 70, 5), (3, 0, 5), (3, 20, 5)], 1),
             ([(2, 3), (2, 300)], 1), ([(5, 64), (5, 1)], -1), ([(10, 2, 80), (10, 3, 80)], 1),
             ([(7, 33), (7, 129), (7, 512), (7, 600)], 1), ([(2000, 1100), (2000, 1000), (2000, 900)], 1)]


@pytest.mark.parametrize("shapes,dim", CAT_CASES)
@pytest.mark.parametrize("dt", ["float32", "int16", "float64", "uint8"])
def test_cat_dense_pieces(shapes, dim, dt):
    rng = np.random.default_rng(6)
    arrs = [(rng.standard_normal(s) * 10).astype(dt) for s in shapes]
    np.testing.assert_array_equal(torch.cat([T(a) for a in arrs], dim).numpy(), np.concatenate(arrs, dim))


# pieces whose rows are 128..2048 bytes go through a 32-byte row copy whose
# last partial move re-copies the row's final 32 bytes: every tail length
# 0..31, the piece first, in the middle and last in the output row
def test_cat_row_copy_tails():
    rng = np.random.default_rng(8)
    for w in list(range(128, 197)) + [255, 256, 257, 1000, 2047, 2048]:
        arrs = [rng.integers(0, 256, size=(9, k)).astype(np.uint8) for k in (w, 130 + w % 7, w + 1)]
        np.testing.assert_array_equal(torch.cat([T(a) for a in arrs], 1).numpy(), np.concatenate(arrs, 1))
    for dt, w in (("float32", 33), ("float32", 100), ("float64", 17), ("int16", 77), ("complex64", 19)):
        arrs = [(rng.standard_normal((6, k)) * 100).astype(dt) for k in (w, 3, w + 5)]
        np.testing.assert_array_equal(torch.cat([T(a) for a in arrs], 1).numpy(), np.concatenate(arrs, 1))


@pytest.mark.parametrize("nt", [1, 2])
def test_cat_large_results_threads(threads, nt):
    # results past the streaming size (16 MiB)
    threads(nt)
    rng = np.random.default_rng(7)
    for rows, cols in (((3000, 2000), (3000, 700)), ((4096, 2048), (4096, 2051))):
        arrs = [rng.standard_normal((rows[0], rows[1] if k == 0 else cols[1])).astype(np.float32)
                for k in range(2)]
        np.testing.assert_array_equal(torch.cat([T(a) for a in arrs], 1).numpy(), np.concatenate(arrs, 1))


@pytest.mark.parametrize("nt", [1, 2, 3])
def test_copies_and_reductions_split_between_threads(threads, nt):
    # past the threading size (256 KiB moved): cat / stack row copies, roll's
    # two strided copies, index_select's chunks of 4096 indices of one slice;
    # rows' products in chunks of rows and columns' reductions in narrower
    # blocks than 1024 where the threads would else share one: the values of
    # one thread (each row's or column's result is its own)
    threads(nt)
    rng = np.random.default_rng(17)
    a = rng.standard_normal((1000, 300)).astype(np.float32)
    b = rng.standard_normal((1000, 77)).astype(np.float32)
    np.testing.assert_array_equal(torch.cat([T(a), T(b)], 1).numpy(), np.concatenate([a, b], 1))
    np.testing.assert_array_equal(torch.stack([T(a), T(a * 2)]).numpy(), np.stack([a, a * 2]))
    np.testing.assert_array_equal(torch.roll(T(a), 7, 1).numpy(), np.roll(a, 7, 1))
    for n in (4095, 4096, 4097, 20000):
        i = rng.integers(0, 1000, n)
        for w in (8, 20, 300):
            np.testing.assert_array_equal(torch.index_select(T(a[:, :w]), 0, T(i)).numpy(), a[i, :w])
    for rows, cols in ((1000, 100), (7, 9000), (3000, 17)):
        x = rng.uniform(0.95, 1.05, (rows, cols)).astype(np.float32)
        y = x.astype(np.float64)
        torch.set_num_threads(1)
        one = T(x).prod(1).numpy()
        torch.set_num_threads(nt)
        np.testing.assert_array_equal(T(x).prod(1).numpy(), one)
        np.testing.assert_allclose(one, y.prod(1), rtol=1e-5)
        for t, ar in ((T(x), x), (T(y), y)):
            np.testing.assert_array_equal(t.amax(0).numpy(), ar.max(0))
            np.testing.assert_array_equal(t.amin(0).numpy(), ar.min(0))
            np.testing.assert_allclose(t.prod(0).numpy(), ar.prod(0), rtol=1e-5)
    z = rng.standard_normal((500, 1000))
    z[3, 5] = np.nan
    r = T(z).amax(0).numpy()
    assert np.isnan(r[5]) and np.array_equal(np.delete(r, 5), np.delete(z.max(0), 5))


def test_cat_mixed_strided_and_gradients():
    a, b, c = torch.randn(5, 4), torch.randn(4, 5).t(), torch.arange(10).reshape(5, 2)
    r = torch.cat([a, b, c], 1)
    assert r.dtype == torch.float32
    np.testing.assert_array_equal(r.numpy(), np.concatenate([a.numpy(), b.numpy(), c.numpy().astype(np.float32)], 1))
    x = torch.randn(300, 100, requires_grad=True)
    y = torch.randn(300, 200, requires_grad=True)
    torch.cat([x, y], 1).pow(2).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * x.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(y.grad.numpy(), 2 * y.detach().numpy(), rtol=1e-6)


# ------------------------------------------------------------ histogramdd

def _np_hdd(x, bins, rng=None, weight=None, density=False):
    r = None if rng is None else [rng[2 * k:2 * k + 2] for k in range(x.shape[-1])]
    h, e = np.histogramdd(x.reshape(-1, x.shape[-1]).astype(np.float64), bins, r, density=density,
                          weights=None if weight is None else weight.reshape(-1))
    return h, e


@pytest.mark.parametrize("nt", [1, 2])
@pytest.mark.parametrize("dt", ["float32", "float64"])
@pytest.mark.parametrize("how", ["contig", "transposed"])
def test_histogramdd_kernel(threads, nt, dt, how):
    threads(nt)
    rng = np.random.default_rng(8)
    for n, d in ((100_000, 2), (1000, 3), (50, 1), (7, 4)):
        # values on a grid of quarters: many fall exactly on edges
        x = (np.round(rng.standard_normal((n, d)) * 4) / 4).astype(dt)
        X = _layout(x, how) if how == "contig" else T(np.ascontiguousarray(x.T)).t()
        for kw in ({"bins": 8}, {"bins": [3] * d, "range": [-1.0, 1.0] * d}, {"bins": 5, "density": True}):
            r = torch.histogramdd(X, **kw)
            bins = kw["bins"]
            h, e = _np_hdd(x, bins if isinstance(bins, list) else [bins] * d, kw.get("range"),
                           density=kw.get("density", False))
            assert r.hist.dtype == X.dtype
            np.testing.assert_allclose(r.hist.numpy(), h, rtol=1e-5, atol=1e-6)
            for got, ref in zip(r.bin_edges, e):
                np.testing.assert_allclose(got.numpy(), ref, rtol=1e-6, atol=1e-6)
        w = rng.random(n).astype(dt)
        edges = [np.sort(rng.standard_normal(5)).astype(dt) for _ in range(d)]
        r = torch.histogramdd(X, bins=[T(e) for e in edges], weight=T(w))
        h, _ = _np_hdd(x, [e.astype(np.float64) for e in edges], weight=w.astype(np.float64))
        np.testing.assert_allclose(r.hist.numpy(), h, rtol=1e-5, atol=1e-5)


def test_histogramdd_nan_and_empty():
    x = np.array([[0, 0], [1, 1], [0.5, np.nan], [1, 0], [0.25, 0.75], [2, 2]], np.float32)
    r = torch.histogramdd(T(x), bins=[4, 4], range=[0.0, 1.0, 0.0, 1.0])
    h, _ = _np_hdd(x[[0, 1, 3, 4, 5]], [4, 4], [0.0, 1.0, 0.0, 1.0])
    np.testing.assert_array_equal(r.hist.numpy(), h)
    with pytest.raises(RuntimeError, match="is not finite"):
        torch.histogramdd(T(x), bins=[4, 4])
    # no points: zero counts over the default range [0, 1]
    r = torch.histogramdd(torch.empty(0, 2), bins=[5, 2])
    np.testing.assert_array_equal(r.hist.numpy(), np.zeros((5, 2)))
    np.testing.assert_allclose(r.bin_edges[0].numpy(), np.linspace(0, 1, 6), atol=1e-7)
    # a bins tensor of one edge: no bins
    r = torch.histogramdd(torch.ones(3, 2), bins=[torch.tensor([0.0]), torch.tensor([0.0, 1.0])])
    assert tuple(r.hist.shape) == (0, 1)


# ------------------------------------------------- multi_dot, matrix_power

def test_multi_dot_and_matrix_power():
    rng = np.random.default_rng(9)
    mats = [rng.standard_normal(s) for s in ((4, 6), (6, 3), (3, 5), (5, 2))]
    for k in (2, 3, 4):
        ts = [T(m) for m in mats[:k]]
        ts[1] = _layout(mats[1], "transposed")
        np.testing.assert_allclose(torch.linalg.multi_dot(ts).numpy(), np.linalg.multi_dot(mats[:k]), rtol=1e-12)
    v, w = rng.standard_normal(4), rng.standard_normal(2)
    np.testing.assert_allclose(torch.linalg.multi_dot([T(v)] + [T(m) for m in mats] + [T(w)]).numpy(),
                               np.linalg.multi_dot([v] + mats + [w]), rtol=1e-12)
    with pytest.raises(RuntimeError, match="cannot be multiplied"):
        torch.linalg.multi_dot([T(mats[0]), T(mats[0])])
    with pytest.raises(RuntimeError, match="must have be the same dtype"):
        torch.linalg.multi_dot([T(mats[0]), T(mats[1].astype(np.float32))])
    A = rng.standard_normal((3, 5, 5))
    for n in (0, 1, 2, 3, 7, -2):
        np.testing.assert_allclose(torch.linalg.matrix_power(T(A), n).numpy(), np.linalg.matrix_power(A, n),
                                   rtol=1e-9, atol=1e-9)
    with pytest.raises(TypeError, match="argument 'input' \\(position 1\\) must be Tensor, not int"):
        torch.linalg.matrix_power(5, 3)
    with pytest.raises(TypeError, match="argument 'n' \\(position 2\\) must be int, not bool"):
        torch.linalg.matrix_power(T(A), True)
    with pytest.raises(RuntimeError, match="A must be batches of square matrices"):
        torch.linalg.matrix_power(torch.ones(2, 3), 2)
