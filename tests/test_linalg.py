"""Linear-algebra ops against numpy, driven by tests/op_db_linalg.py:
values and dtypes over every accepted dtype and layout, refused dtypes, the
error cases, and gradcheck in float64 for every differentiable entry."""
import numpy as np
import pytest

import ctorch as torch
from op_db_linalg import ops

TOL = {"float16": (1e-2, 1e-2), "float32": (1e-4, 1e-4), "float64": (1e-10, 1e-10),
       "complex64": (1e-4, 1e-4), "complex128": (1e-10, 1e-10)}


def _values(shape, dtype, rng, domain):
    if dtype == "bool":
        return rng.integers(0, 2, size=shape).astype(bool)
    if dtype in ("uint8",):
        v = rng.integers(0, 4, size=shape)
    elif dtype.startswith("int"):
        v = rng.integers(-3, 4, size=shape)
    else:
        v = rng.uniform(-1, 1, size=shape)
        if dtype.startswith("complex"):
            v = v + 1j * rng.uniform(-1, 1, size=shape)
        if domain == "wellcond" and len(shape) >= 2 and shape[-1] == shape[-2]:
            v = v + shape[-1] * np.eye(shape[-1])
    return v.astype(dtype)


def _make(shape, layout, dtype, rng, domain):
    """(ctorch tensor in the given layout, numpy array of its values)."""
    v = _values(shape, dtype, rng, domain)
    if layout == "t" and len(shape) >= 2:
        t = torch.tensor(np.ascontiguousarray(np.swapaxes(v, -1, -2))).mT
        assert not t.is_contiguous() or min(shape[-2:]) <= 1
    elif layout == "s" and len(shape) >= 1 and shape[-1] > 0:
        big = np.zeros(shape[:-1] + (2 * shape[-1],), dtype=v.dtype)
        big[..., ::2] = v
        t = torch.tensor(big)[..., ::2]
    else:
        t = torch.tensor(v)
    return t, v


def _params(with_dtype=True):
    out = []
    for op in ops:
        for i, s in enumerate(op.samples):
            if with_dtype:
                for dt in op.dtypes:
                    out.append(pytest.param(op, s, dt, id=f"{op.name}-{i}-{dt}"))
            else:
                out.append(pytest.param(op, s, id=f"{op.name}-{i}"))
    return out


@pytest.mark.parametrize("op,sample,dtype", _params())
def test_values(op, sample, dtype):
    rng = np.random.default_rng(0)
    made = [_make(sh, lay, dtype, rng, op.domain) for sh, lay in sample.inputs]
    got = op.fn(torch, *[m[0] for m in made], **sample.kwargs)
    arrays = [m[1] for m in made]
    if dtype == "float16":
        exp = np.asarray(op.ref(*[a.astype(np.float32) for a in arrays], **sample.kwargs)).astype(np.float16)
    else:
        exp = np.asarray(op.ref(*arrays, **sample.kwargs))
    assert isinstance(got, torch.Tensor)
    assert tuple(got.shape) == exp.shape, (tuple(got.shape), exp.shape)
    assert str(got.dtype) == "torch." + str(exp.dtype), (got.dtype, exp.dtype)
    g = got.numpy()
    if exp.dtype.kind in "biu":
        np.testing.assert_array_equal(g, exp)
    else:
        rtol, atol = op.tol or TOL[str(exp.dtype)]
        np.testing.assert_allclose(g, exp, rtol=rtol, atol=atol)


_REFUSED = [pytest.param(op, dt, exc, frag, id=f"{op.name}-{dt}") for op in ops for dt, exc, frag in op.refused]


@pytest.mark.parametrize("op,dtype,exc,frag", _REFUSED)
def test_refused_dtypes(op, dtype, exc, frag):
    rng = np.random.default_rng(0)
    made = [_make(sh, lay, dtype, rng, "any")[0] for sh, lay in op.samples[0].inputs]
    with pytest.raises(exc) as info:
        op.fn(torch, *made, **op.samples[0].kwargs)
    assert frag in str(info.value)


_ERRORS = [pytest.param(make, exc, frag, id=f"{op.name}-{i}")
           for op in ops for i, (make, exc, frag) in enumerate(op.errors)]


@pytest.mark.parametrize("make,exc,frag", _ERRORS)
def test_errors(make, exc, frag):
    with pytest.raises(exc) as info:
        make(torch)
    assert frag in str(info.value)


_GRAD = [p for p in _params(False) if p.values[0].grad and
         all(np.prod(sh) > 0 for sh, _ in p.values[1].inputs)]


@pytest.mark.parametrize("op,sample", _GRAD)
def test_gradcheck(op, sample):
    rng = np.random.default_rng(1)
    xs, lays = [], []
    for sh, lay in sample.inputs:
        t, _ = _make(sh, "c", "float64", rng, op.domain)
        xs.append(t.requires_grad_(True))
        lays.append(lay)

    def f(*a):
        # gradcheck perturbs dense leaves: the layouts are views made inside
        views = [_layout_view(x, lay) for x, lay in zip(a, lays)]
        if op.grad_wrap is not None:
            views = [op.grad_wrap(torch, v) for v in views]
        return op.fn(torch, *views, **sample.kwargs)
    assert torch.autograd.gradcheck(f, tuple(xs))


_CVJP = [p for p in _GRAD if p.values[0].complex_vjp is not None]


@pytest.mark.parametrize("op,sample", _CVJP)
def test_complex_vjp(op, sample):
    """The backward on complex inputs: Re<gA, dA> against central differences of
    Re<G, outputs(A)> along random complex directions dA (Hermitian ones for
    "hermitian" entries), for random cotangents G."""
    outputs, cotangents = op.complex_vjp
    rng = np.random.default_rng(4)

    def z(shape):
        return rng.uniform(-1, 1, shape) + 1j * rng.uniform(-1, 1, shape)

    def herm(x):
        return x + np.conj(np.swapaxes(x, -1, -2)) if op.domain == "hermitian" else x
    a = herm(z(sample.inputs[0][0]))
    A = torch.tensor(a).requires_grad_(True)
    outs = outputs(torch, A)
    G = cotangents([o.detach().numpy() for o in outs], z)
    torch.autograd.backward(list(outs), [torch.tensor(g) for g in G])
    gA = A.grad.numpy()

    def phi(x):
        return sum(np.real(np.vdot(g, o.numpy())) for g, o in zip(G, outputs(torch, torch.tensor(x))))
    for _ in range(2):
        d = herm(z(a.shape))
        eps = 1e-6
        fd = (phi(a + eps * d) - phi(a - eps * d)) / (2 * eps)
        assert abs(fd - np.real(np.vdot(gA, d))) <= 1e-6 * (1 + abs(fd))


_PRODUCTS_2 = {
    "mm": (lambda T, x, y: T.mm(x, y), (3, 2), (2, 4)),
    "bmm": (lambda T, x, y: T.bmm(x, y), (2, 3, 2), (2, 2, 4)),
    "mv": (lambda T, x, y: T.mv(x, y), (3, 2), (2,)),
    "dot": (lambda T, x, y: T.dot(x, y), (4,), (4,)),
    "vdot": (lambda T, x, y: T.vdot(x, y), (4,), (4,)),
    "addmm": (lambda T, x, y: T.addmm(x[:1, :1], x, y, beta=0.5, alpha=2.0), (3, 2), (2, 4)),
    "matmul_batched": (lambda T, x, y: T.matmul(x, y), (2, 3, 2), (2, 4)),
}


@pytest.mark.parametrize("name", list(_PRODUCTS_2))
def test_complex_vjp_of_products(name):
    """Both operands complex: Re<g, d> against central differences of
    Re<G, f(x, y)> along random complex directions, for each operand."""
    fn, sx, sy = _PRODUCTS_2[name]
    rng = np.random.default_rng(7)

    def z(shape):
        return rng.uniform(-1, 1, shape) + 1j * rng.uniform(-1, 1, shape)
    x, y = z(sx), z(sy)
    X, Y = torch.tensor(x).requires_grad_(True), torch.tensor(y).requires_grad_(True)
    out = fn(torch, X, Y)
    G = z(tuple(out.shape))
    out.backward(torch.tensor(G))

    def phi(a, b):
        return np.real(np.vdot(G, fn(torch, torch.tensor(a), torch.tensor(b)).numpy()))
    eps = 1e-6
    for which, grad in ((0, X.grad.numpy()), (1, Y.grad.numpy())):
        d = z(sx if which == 0 else sy)
        if which == 0:
            fd = (phi(x + eps * d, y) - phi(x - eps * d, y)) / (2 * eps)
        else:
            fd = (phi(x, y + eps * d) - phi(x, y - eps * d)) / (2 * eps)
        assert abs(fd - np.real(np.vdot(grad, d))) <= 1e-6 * (1 + abs(fd))


def _layout_view(x, lay):
    if lay == "t" and x.dim() >= 2:
        return x.mT.contiguous().mT
    if lay == "s" and x.dim() >= 1:
        shape = list(x.shape)
        return x.unsqueeze(-1).expand(*shape, 2).reshape(*shape[:-1], 2 * shape[-1])[..., ::2]
    return x


def test_gradgradcheck_matmul_inv():
    rng = np.random.default_rng(2)
    a = torch.tensor(rng.uniform(-1, 1, (3, 3)) + 3 * np.eye(3)).requires_grad_(True)
    b = torch.tensor(rng.uniform(-1, 1, (3, 2))).requires_grad_(True)
    assert torch.autograd.gradgradcheck(lambda x, y: torch.matmul(x, y), (a, b))
    assert torch.autograd.gradgradcheck(lambda x: torch.linalg.inv(x), (a,))


@pytest.mark.parametrize("fn,name", [
    (lambda a, b, v: torch.mm(a, b), "MmBackward0"),
    (lambda a, b, v: a @ b, "MmBackward0"),
    (lambda a, b, v: torch.mv(a, v), "MvBackward0"),
    (lambda a, b, v: torch.dot(v, v), "DotBackward0"),
    (lambda a, b, v: torch.vdot(v, v), "VdotBackward0"),
    (lambda a, b, v: torch.bmm(a.unsqueeze(0), b.unsqueeze(0)), "BmmBackward0"),
    (lambda a, b, v: torch.outer(v, v), "MulBackward0"),
    (lambda a, b, v: torch.diag(v), "DiagEmbedBackward0"),
    (lambda a, b, v: torch.diag_embed(a), "DiagEmbedBackward0"),
    (lambda a, b, v: torch.tril(b, 1), "TrilBackward0"),
    (lambda a, b, v: b.triu(-1), "TriuBackward0"),
    (lambda a, b, v: torch.linalg.inv(a), "LinalgInvExBackward0"),
    (lambda a, b, v: torch.linalg.det(a), "LinalgDetBackward0"),
    (lambda a, b, v: torch.linalg.solve(a, v), "LinalgSolveExBackward0"),
    (lambda a, b, v: torch.linalg.qr(b).Q, "LinalgQrBackward0"),
    (lambda a, b, v: torch.linalg.qr(b, mode="r").R, "LinalgQrBackward0"),
    (lambda a, b, v: torch.qr(b).R, "LinalgQrBackward0"),
    (lambda a, b, v: torch.linalg.svd(b).Vh, "LinalgSvdBackward0"),
    (lambda a, b, v: torch.linalg.svdvals(b), "LinalgSvdBackward0"),
    (lambda a, b, v: torch.svd(b).U, "LinalgSvdBackward0"),
    (lambda a, b, v: torch.linalg.eigh(a).eigenvalues, "LinalgEighBackward0"),
    (lambda a, b, v: torch.linalg.eigvalsh(a), "LinalgEighBackward0"),
])
def test_grad_fn_names(fn, name):
    a = (torch.eye(3) * 2).requires_grad_(True)
    b = torch.ones(3, 3).requires_grad_(True)
    v = torch.ones(3).requires_grad_(True)
    assert type(fn(a, b, v).grad_fn).__name__ == name


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "complex64"])
def test_large_and_batched(dtype):
    """Sizes past the threading thresholds: threaded BLAS, a batch of many
    small products, a broadcast 2-D operand folded into one product, and the
    threaded integer kernel."""
    rng = np.random.default_rng(3)
    for sa, sb in [((70, 80), (80, 90)), ((64, 8, 8), (64, 8, 8)), ((64, 8, 8), (8, 5))]:
        a = _values(sa, dtype, rng, "any")
        b = _values(sb, dtype, rng, "any")
        got = (torch.tensor(a) @ torch.tensor(b)).numpy()
        exp = a @ b
        if dtype == "int32":
            np.testing.assert_array_equal(got, exp)
        else:
            np.testing.assert_allclose(got, exp, rtol=1e-4, atol=1e-4)


def test_expanded_operands_are_not_copied_wrongly():
    a = torch.tensor(np.arange(6.0).reshape(1, 2, 3)).expand(4, 2, 3)
    b = torch.tensor(np.arange(12.0).reshape(4, 3, 1)).expand(4, 3, 5)
    exp = np.broadcast_to(np.arange(6.0).reshape(1, 2, 3), (4, 2, 3)) @ \
        np.broadcast_to(np.arange(12.0).reshape(4, 3, 1), (4, 3, 5))
    np.testing.assert_allclose(torch.bmm(a, b).numpy(), exp)


def test_matmul_out_and_method():
    a, b = torch.ones(2, 3), torch.ones(3, 4)
    out = torch.empty(2, 4)
    r = torch.matmul(a, b, out=out)
    assert r is out and out.tolist() == [[3.0] * 4] * 2
    assert a.matmul(b).tolist() == [[3.0] * 4] * 2
    assert a.mm(b).shape == (2, 4)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("m,k,n", [(1, 1, 1), (3, 5, 7), (64, 18, 100), (257, 33, 129)])
def test_products_written_into_out(dtype, m, k, n):
    # mm / matmul / bmm into a dense out= of the result's shape: the gemm
    # writes it directly (its NaNs never read), a transposed operand too;
    # an out= that shares memory with an operand gets the product computed
    # first; its version counts the write
    rng = np.random.default_rng(m * k * n)
    A, B = rng.standard_normal((m, k)).astype(dtype), rng.standard_normal((k, n)).astype(dtype)
    tol = 1e-4 if dtype == "float32" else 1e-12
    ref = A.astype(np.float64) @ B.astype(np.float64)
    for a in (torch.tensor(A), torch.tensor(np.ascontiguousarray(A.T)).mT):
        for fn in (torch.mm, torch.matmul):
            o = torch.full((m, n), float("nan"), dtype=getattr(torch, dtype))
            v = o._version
            assert fn(a, torch.tensor(B), out=o) is o
            assert o._version > v
            np.testing.assert_allclose(o.numpy(), ref, rtol=tol, atol=tol * k)
    X = rng.standard_normal((3, m, m)).astype(dtype)
    for fn in (torch.bmm, torch.matmul):
        o = torch.full((3, m, m), float("nan"), dtype=getattr(torch, dtype))
        assert fn(torch.tensor(X), torch.tensor(X), out=o) is o
        np.testing.assert_allclose(o.numpy(), X.astype(np.float64) @ X.astype(np.float64), rtol=tol, atol=tol * m)
    # matmul's broadcast batches
    o = torch.full((2, 3, m, n), float("nan"), dtype=getattr(torch, dtype))
    P = rng.standard_normal((2, 1, m, k)).astype(dtype)
    Q = rng.standard_normal((3, k, n)).astype(dtype)
    assert torch.matmul(torch.tensor(P), torch.tensor(Q), out=o) is o
    np.testing.assert_allclose(o.numpy(), P.astype(np.float64) @ Q.astype(np.float64), rtol=tol, atol=tol * k)
    y = torch.tensor(X[0])
    torch.mm(y, y, out=y)
    np.testing.assert_allclose(y.numpy(), X[0].astype(np.float64) @ X[0].astype(np.float64), rtol=tol, atol=tol * m)
    z = torch.tensor(X[1])
    torch.mm(torch.tensor(X[0]), z.mT, out=z[:, :])
    np.testing.assert_allclose(z.numpy(), X[0].astype(np.float64) @ X[1].T.astype(np.float64), rtol=tol, atol=tol * m)


@pytest.mark.parametrize("nt", [1, 2, 3])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_long_dot_products(threads, nt, dtype):
    # one element of C from two adjacent vectors: the dot form (four
    # accumulators), its length split between the threads from 32768 on;
    # a strided vector gathered first; matmul and mv's one-element case
    threads(nt)
    rng = np.random.default_rng(11)
    tol = 1e-4 if dtype == "float32" else 1e-12
    for n in (7, 100, 32768, 100001):
        a = rng.standard_normal(2 * n).astype(dtype)
        b = rng.standard_normal(n).astype(dtype)
        ta, tb = torch.tensor(a), torch.tensor(b)
        for x, tx in ((a[:n], ta[:n]), (a[::2], ta[::2])):
            ref = np.dot(x.astype(np.float64), b.astype(np.float64))
            scale = np.abs(x).astype(np.float64) @ np.abs(b).astype(np.float64)
            assert abs(torch.dot(tx, tb).item() - ref) <= tol * scale
            assert abs((tx @ tb).item() - ref) <= tol * scale
            assert abs(torch.vdot(tx, tb).item() - ref) <= tol * scale
            assert abs(torch.inner(tx, tb).item() - ref) <= tol * scale
            assert abs(torch.mv(tx.reshape(1, n), tb).item() - ref) <= tol * scale


@pytest.mark.parametrize("nt", [1, 2, 3])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("m,k", [(2, 64), (33, 64), (100, 700), (131, 96), (300, 128)])
def test_products_of_a_matrix_with_its_transpose(threads, nt, dtype, m, k):
    # X X^T and X^T X (one operand the other's transpose, the same
    # elements): the lower triangle's tiles are computed, the upper one
    # mirrored: numpy's values, exactly symmetric, on slabs for 1-3
    # threads, batched and into out=; an offset view, addmm's beta and a
    # different matrix of the same shape take the whole product
    threads(nt)
    rng = np.random.default_rng(m + k)
    X = rng.standard_normal((3, m, k)).astype(dtype)
    tol = 1e-4 if dtype == "float32" else 1e-12
    x = torch.tensor(X)
    X64 = X.astype(np.float64)
    for got, want in ((x[0] @ x[0].mT, X64[0] @ X64[0].T), (x[1].mT @ x[1], X64[1].T @ X64[1]),
                      (torch.mm(x[2], x[2].t()), X64[2] @ X64[2].T),
                      (x @ x.mT, X64 @ X64.transpose(0, 2, 1)), (torch.bmm(x.mT, x), X64.transpose(0, 2, 1) @ X64)):
        g = got.numpy()
        np.testing.assert_allclose(g, want, rtol=tol, atol=tol * k)
        np.testing.assert_array_equal(g, np.swapaxes(g, -1, -2))
    o = torch.full((m, m), float("nan"), dtype=getattr(torch, dtype))
    assert torch.mm(x[0], x[0].mT, out=o) is o
    np.testing.assert_allclose(o.numpy(), X64[0] @ X64[0].T, rtol=tol, atol=tol * k)
    np.testing.assert_allclose((x[0, 1:] @ x[0, :-1].mT).numpy(), X64[0, 1:] @ X64[0, :-1].T,
                               rtol=tol, atol=tol * k)
    np.testing.assert_allclose((x[0] @ x[1].mT).numpy(), X64[0] @ X64[1].T, rtol=tol, atol=tol * k)
    C = rng.standard_normal((m, m)).astype(dtype)
    np.testing.assert_allclose(torch.addmm(torch.tensor(C), x[0], x[0].mT).numpy(),
                               C + X64[0] @ X64[0].T, rtol=tol, atol=tol * k)


@pytest.mark.parametrize("nt", [2, 3])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_short_products_cut_into_column_slabs(threads, nt, dtype):
    # a short k loop on a C whose columns are off cache lines (a row length
    # not a multiple of 64 bytes, or a view off the buffer's start) is cut
    # between the threads by columns, not rows: numpy's values, the rows
    # of every slab and the elements around a view's block untouched
    threads(nt)
    rng = np.random.default_rng(17)
    tol = 1e-5 if dtype == "float32" else 1e-12
    for m, k, n in [(1000, 18, 1000), (300, 18, 1001), (2000, 7, 100), (129, 64, 700), (200, 65, 300)]:
        a = rng.standard_normal((m, k)).astype(dtype)
        b = rng.standard_normal((k, n)).astype(dtype)
        want = a.astype(np.float64) @ b
        got = (torch.tensor(a) @ torch.tensor(b)).numpy()
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol * k)
        big = rng.standard_normal((m, n + 3)).astype(dtype)
        t = torch.tensor(big)
        blk = t[:, 1:n + 1]
        blk.addmm_(torch.tensor(a), torch.tensor(b), beta=0.5)
        np.testing.assert_allclose(blk.numpy(), 0.5 * big[:, 1:n + 1] + want, rtol=tol, atol=tol * k)
        assert (t.numpy()[:, 0] == big[:, 0]).all() and (t.numpy()[:, n + 1:] == big[:, n + 1:]).all()


@pytest.mark.parametrize("nt", [1, 2, 3])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_small_products_with_long_sums(threads, nt, dtype):
    # C of a micro-tile or less with a long k loop: the k range cut between
    # the threads (parts added in order), and for operands adjacent along k
    # a dot product per element; numpy's values, addmm's alpha and beta, a
    # batch, and X X^T exactly symmetric
    threads(nt)
    rng = np.random.default_rng(23)
    tol = 1e-4 if dtype == "float32" else 1e-12
    for m, k, n in [(10, 10000, 10), (3, 5000, 12), (12, 3001, 7), (20, 4000, 30)]:
        a = rng.standard_normal((m, k)).astype(dtype)
        b = rng.standard_normal((k, n)).astype(dtype)
        c = rng.standard_normal((m, n)).astype(dtype)
        a64, b64 = a.astype(np.float64), b.astype(np.float64)
        ta, tb = torch.tensor(a), torch.tensor(b)
        scale = np.abs(a64) @ np.abs(b64)
        for got, want in ((ta @ tb, a64 @ b64), (ta @ tb.mT.contiguous().mT, a64 @ b64),
                          (torch.addmm(torch.tensor(c), ta, tb, beta=0.5, alpha=2.0),
                           0.5 * c + 2.0 * (a64 @ b64))):
            assert np.all(np.abs(got.numpy() - want) <= tol * (scale + 1))
        g = (ta @ ta.mT).numpy()
        np.testing.assert_array_equal(g, g.T)
        assert np.all(np.abs(g - a64 @ a64.T) <= tol * (np.abs(a64) @ np.abs(a64).T))
        batch = torch.tensor(np.stack([a, 2 * a]))
        np.testing.assert_allclose((batch @ tb)[1].numpy(), 2 * (a64 @ b64), rtol=tol,
                                   atol=tol * scale.max())


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_small_products_and_batches(dtype):
    # products of at most a vector of rows and 16 k (the small kernel, the
    # operand's columns in registers) next to ones just past those bounds:
    # numpy's values for batches, transposed and strided operands, addmm's
    # alpha and beta and outputs that are views
    rng = np.random.default_rng(31)
    tol = 1e-5 if dtype == "float32" else 1e-13
    for m, k, n in [(4, 4, 4), (3, 3, 3), (8, 8, 8), (16, 16, 16), (2, 16, 64), (17, 5, 9),
                    (5, 17, 65), (1, 3, 7), (7, 1, 2)]:
        a = rng.standard_normal((6, m, k)).astype(dtype)
        b = rng.standard_normal((6, k, n)).astype(dtype)
        want = a.astype(np.float64) @ b.astype(np.float64)
        ta, tb = torch.tensor(a), torch.tensor(b)
        for x, y in ((ta, tb), (ta.mT.contiguous().mT, tb), (ta, tb.mT.contiguous().mT),
                     (torch.tensor(np.concatenate([a, a], 2))[..., :k], tb)):
            np.testing.assert_allclose(torch.bmm(x, y).numpy(), want, rtol=tol, atol=tol * k)
        c = rng.standard_normal((n, m)).astype(dtype)
        big = torch.tensor(np.zeros((n + 2, m + 3), dtype=dtype))
        view = big[1:n + 1, 2:m + 2]
        view.copy_(torch.tensor(c))
        torch.addmm(view, tb[0].mT, ta[0].mT, beta=0.5, alpha=-2.0, out=view)
        np.testing.assert_allclose(view.numpy(), 0.5 * c - 2.0 * want[0].T, rtol=tol, atol=tol * k)
        assert (big.numpy()[0] == 0).all() and (big.numpy()[:, :2] == 0).all()


@pytest.mark.parametrize("beta", [0.0, 1.0])
def test_float32_products_write_nothing_past_their_output(beta):
    """A float32 product into out= that shares a longer buffer: the elements
    after the output keep their sentinel, for products whose last tile of
    columns or rows is partial (a tile written whole past the output's end
    would overwrite them)."""
    rng = np.random.default_rng(4)
    for m, k, n in [(33, 2, 65), (65, 2, 33), (9, 5, 7), (40, 18, 45), (13, 64, 100), (100, 7, 13)]:
        a = rng.standard_normal((m, k)).astype(np.float32)
        b = rng.standard_normal((k, n)).astype(np.float32)
        c0 = rng.standard_normal((m, n)).astype(np.float32)
        buf = np.full(m * n + 4096, 7.0, dtype=np.float32)
        buf[:m * n] = c0.ravel()
        out = torch.from_numpy(buf[:m * n].reshape(m, n))
        torch.addmm(torch.from_numpy(c0.copy()), torch.from_numpy(a), torch.from_numpy(b),
                    beta=beta, out=out)
        np.testing.assert_allclose(buf[:m * n].reshape(m, n), beta * c0 + a.astype(np.float64) @ b,
                                   rtol=1e-5, atol=1e-4)
        assert (buf[m * n:] == 7.0).all(), (m, k, n)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_addmm_inplace_into_a_block_of_a_wider_matrix(dtype):
    """addmm_ on a block of columns of a wider matrix (rows a row stride
    apart) accumulates into the block alone: the other columns keep their
    values, and the result is the block itself."""
    rng = np.random.default_rng(6)
    big = rng.standard_normal((40, 90)).astype(dtype)
    a = rng.standard_normal((40, 33)).astype(dtype)
    b = rng.standard_normal((33, 25)).astype(dtype)
    t = torch.from_numpy(big.copy())
    blk = t[:, 30:55]
    r = blk.addmm_(torch.from_numpy(a), torch.from_numpy(b), beta=0.5, alpha=2.0)
    exp = big.copy()
    exp[:, 30:55] = 0.5 * big[:, 30:55] + 2.0 * (a.astype(np.float64) @ b)
    assert r is blk
    np.testing.assert_allclose(t.numpy(), exp, rtol=1e-5, atol=1e-4)
    assert (t.numpy()[:, :30] == big[:, :30]).all() and (t.numpy()[:, 55:] == big[:, 55:]).all()


def test_addmm_beta_zero_ignores_nan():
    c = torch.full((2, 2), float("nan"))
    r = torch.addmm(c, torch.ones(2, 2), torch.ones(2, 2), beta=0)
    assert r.tolist() == [[2.0, 2.0], [2.0, 2.0]]


@pytest.mark.parametrize("dtype,env", [("float32", "CTORCH_BLAS_SGEMM"), ("float64", "CTORCH_BLAS_DGEMM")])
def test_float_products_on_the_blas_path(dtype, env):
    """CTORCH_BLAS_SGEMM=1 (CTORCH_BLAS_DGEMM=1) runs the float32 (float64)
    products on the BLAS, as CPUs without ctorch's own kernel for the type
    do: the same values, threaded and not, with alpha, beta = 0 over NaN,
    and transposed operands."""
    import os
    import subprocess
    import sys
    code = (
        "import numpy as np, ctorch as torch\n"
        f"dt = np.{dtype}\n"
        "rng = np.random.default_rng(0)\n"
        "a = rng.uniform(-1, 1, (130, 65)).astype(dt)\n"
        "b = rng.uniform(-1, 1, (65, 70)).astype(dt)\n"
        "bt = torch.tensor(np.ascontiguousarray(b.T)).T\n"
        "for nt in (1, 2):\n"
        "    torch.set_num_threads(nt)\n"
        "    c = torch.full((130, 70), float('nan'), dtype=torch.tensor(a).dtype)\n"
        "    r = torch.addmm(c, torch.tensor(a), bt, beta=0, alpha=2)\n"
        "    exp = 2 * (a.astype(np.float64) @ b)\n"
        "    np.testing.assert_allclose(r.numpy(), exp, rtol=1e-5, atol=1e-4)\n"
        "    s = torch.tensor(a[:5, :7]) @ torch.tensor(b[:7, :3])\n"
        "    np.testing.assert_allclose(s.numpy(), a[:5, :7].astype(np.float64) @ b[:7, :3],\n"
        "                               rtol=1e-5, atol=1e-5)\n")
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, env: "1"})


_AVX2_SGEMM_CODE = r"""
import numpy as np, ctorch as torch
rng = np.random.default_rng(1)
LAYS = (("c", "c"), ("t", "c"), ("c", "t"), ("t", "t"), ("s", "c"), ("c", "s"))


def mat(shape, lay):
    x = rng.uniform(-1, 1, shape).astype(np.float32)
    if lay == "t":      # column-major: the kernel's other op
        return x, torch.tensor(np.ascontiguousarray(np.swapaxes(x, -1, -2))).mT
    if lay == "s":      # every other column of a wider tensor
        return x, torch.tensor(np.repeat(x, 2, axis=-1))[..., ::2]
    return x, torch.tensor(x)


def check(got, exp, k, what):
    np.testing.assert_allclose(got, exp, rtol=1e-5, atol=1e-5 + 1e-6 * k, err_msg=str(what))


# m, k, n: the 16 x 6 tile (and its 8-row halves) and the blocks (KC 256,
# MC 192, B read in place up to 4 MC = 768 rows, NC 4080, A read in place
# up to 65536 elements, columns 4 KB apart), matrix-vector products
CASES = [(m, k, n) for m in (1, 5, 8, 9, 15, 16, 17, 24, 33) for k, n in ((1, 6), (7, 5), (9, 13), (8, 1), (40, 12), (257, 7))]
CASES += [(191, 255, 31), (192, 256, 36), (193, 257, 37), (385, 513, 11), (769, 70, 25),
          (770, 300, 50), (50, 300, 770), (20, 40, 4081), (7, 9, 4086), (256, 256, 30),
          (257, 256, 30), (33, 1024, 20), (1024, 33, 17), (1, 1025, 300), (300, 1025, 1),
          (1, 9, 1), (2, 3000, 2), (600, 600, 600)]
for nt in (1, 2):
    torch.set_num_threads(nt)
    for i, (m, k, n) in enumerate(CASES):
        for la, lb in LAYS if m * k * n < 10 ** 6 else LAYS[i % 6:i % 6 + 1]:
            a, A = mat((m, k), la)
            b, B = mat((k, n), lb)
            exp = a.astype(np.float64) @ b
            check((A @ B).numpy(), exp, k, (nt, m, k, n, la, lb))
        c = rng.uniform(-1, 1, (m, n)).astype(np.float32)
        got = torch.addmm(torch.tensor(c), A, B, beta=0.5, alpha=2.0).numpy()
        check(got, 0.5 * c + 2.0 * exp, k, ("beta", nt, m, k, n))
        got = torch.addmm(torch.full((m, n), float("nan")), A, B, beta=0, alpha=-1.5).numpy()
        check(got, -1.5 * exp, k, ("beta0", nt, m, k, n))
        # alpha == 0 reads neither operand (a NaN there does not reach C)
        A2 = A.clone()
        A2[0, 0] = float("nan")
        got = torch.addmm(torch.tensor(c), A2, B, beta=2.0, alpha=0).numpy()
        check(got, 2.0 * c, 0, ("alpha0", nt, m, k, n))
    got = torch.addmm(torch.full((9, 13), float("nan")), torch.ones(9, 0), torch.ones(0, 13), beta=0)
    assert (got.numpy() == 0).all()
    # batches: fewer and more products than threads, broadcast operands
    for sa, sb in (((5, 17, 33), (5, 33, 7)), ((3, 1, 20, 9), (4, 9, 13)), ((64, 32, 32), (64, 32, 32)),
                   ((2, 300, 200), (2, 200, 100)), ((65, 16), (4, 16, 33)), ((40, 8, 8), (8, 6))):
        for la, lb in LAYS[:4]:
            a, A = mat(sa, la)
            b, B = mat(sb, lb)
            check((A @ B).numpy(), np.matmul(a.astype(np.float64), b), sa[-1], (nt, sa, sb, la, lb))
    a, A = mat((4, 31, 63), "c")
    b, B = mat((4, 63, 33), "t")
    got = torch.baddbmm(torch.full((4, 31, 33), float("nan")), A, B, beta=0, alpha=0.5).numpy()
    check(got, 0.5 * np.matmul(a.astype(np.float64), b), 63, "baddbmm")
    # einsum and tensordot go through the same products
    a, A = mat((6, 20, 30), "c")
    b, B = mat((6, 30, 10), "c")
    check(torch.einsum("bij,bjk->bik", A, B).numpy(), np.matmul(a.astype(np.float64), b), 30, "einsum")
    a, A = mat((10, 20, 30), "c")
    b, B = mat((20, 30), "c")
    check(torch.tensordot(A, B, dims=([1, 2], [0, 1])).numpy(),
          np.tensordot(a.astype(np.float64), b, axes=([1, 2], [0, 1])), 600, "tensordot")
    # complex64 products: the real kernel packing each element's 2 x 2 block
    for m, k, n in ((7, 9, 5), (16, 40, 12), (33, 257, 13), (100, 300, 70)):
        for la, lb in LAYS[:4]:
            a, A = mat((m, k), la)
            a2, A2 = mat((m, k), la)
            b, B = mat((k, n), lb)
            b2, B2 = mat((k, n), lb)
            got = torch.complex(A, A2) @ torch.complex(B, B2)
            exp = (a + 1j * a2).astype(np.complex128) @ (b + 1j * b2)
            check(got.numpy(), exp, 2 * k, ("complex", m, k, n, la, lb))
print("ok")
"""


def test_float32_products_on_the_avx2_kernel():
    """CTORCH_SGEMM_AVX2=1 runs the float32 products on the AVX2 + FMA kernel
    (16 x 6 tiles, the one of CPUs without AVX-512) wherever the CPU has
    AVX2: sizes on either side of its tile and block edges, transposed and
    strided operands, alpha and beta (beta = 0 over NaN, alpha = 0 over NaN,
    k = 0), batches, one and two threads, complex64 products through it,
    against float64 numpy."""
    import os
    import subprocess
    import sys
    r = subprocess.run([sys.executable, "-c", _AVX2_SGEMM_CODE], capture_output=True, text=True,
                       env={**os.environ, "CTORCH_SGEMM_AVX2": "1"})
    assert r.returncode == 0 and r.stdout.strip().endswith("ok"), r.stdout + r.stderr


@pytest.mark.parametrize("call,name,fields", [
    (lambda a: torch.linalg.qr(a), "linalg_qr", ("Q", "R")),
    (lambda a: torch.linalg.svd(a), "linalg_svd", ("U", "S", "Vh")),
    (lambda a: torch.linalg.eigh(a), "linalg_eigh", ("eigenvalues", "eigenvectors")),
    (lambda a: torch.svd(a), "svd", ("U", "S", "V")),
    (lambda a: a.svd(), "svd", ("U", "S", "V")),
    (lambda a: torch.qr(a), "qr", ("Q", "R")),
    (lambda a: a.qr(), "qr", ("Q", "R")),
])
def test_factor_return_types(call, name, fields):
    r = call(torch.eye(3) * 2)
    assert type(r) is getattr(torch.return_types, name)
    assert type(r).__module__ == "ctorch.return_types" and type(r).__name__ == name
    assert r._fields == fields and len(r) == len(fields)
    assert repr(r).startswith(f"torch.return_types.{name}(\n{fields[0]}=tensor(")


def test_legacy_svd_qr_shapes():
    a = torch.ones(2, 4, 3)
    assert [tuple(t.shape) for t in torch.svd(a)] == [(2, 4, 3), (2, 3), (2, 3, 3)]
    assert [tuple(t.shape) for t in torch.svd(a, some=False)] == [(2, 4, 4), (2, 3), (2, 3, 3)]
    U, S, V = torch.svd(a, compute_uv=False)
    assert tuple(U.shape) == (2, 4, 4) and tuple(V.shape) == (2, 3, 3)
    assert not U.any().item() and not V.any().item()
    np.testing.assert_allclose(S.numpy(), np.linalg.svd(np.ones((2, 4, 3)), compute_uv=False), atol=1e-6)
    assert [tuple(t.shape) for t in a.qr(some=False)] == [(2, 4, 4), (2, 4, 3)]


def test_linalg_error_type_and_namespace():
    import ctorch.linalg
    assert torch.linalg is ctorch.linalg
    with pytest.raises(torch.linalg.LinAlgError):
        torch.linalg.inv(torch.zeros(2, 2))
    assert issubclass(torch.linalg.LinAlgError, RuntimeError)


# ---- torch.linalg: the grad_fn names and named results of the factorizations and solvers

@pytest.mark.parametrize("fn,name", [
    (lambda a, b, v: torch.linalg.vector_norm(v, 3), "LinalgVectorNormBackward0"),
    (lambda a, b, v: torch.linalg.norm(b), "LinalgVectorNormBackward0"),
    (lambda a, b, v: torch.norm(b, float("inf")), "LinalgVectorNormBackward0"),
    (lambda a, b, v: torch.linalg.matrix_norm(b, 1), "AmaxBackward0"),
    (lambda a, b, v: torch.dist(v, v * 2), "DistBackward0"),
    (lambda a, b, v: torch.linalg.solve_triangular(a, b, upper=True), "LinalgSolveTriangularBackward0"),
    (lambda a, b, v: torch.triangular_solve(b, a).solution, "TriangularSolveBackward0"),
    (lambda a, b, v: torch.linalg.lu_factor(a).LU, "LinalgLuFactorExBackward0"),
    (lambda a, b, v: torch.linalg.lu(a).U, "LinalgLuBackward0"),
    (lambda a, b, v: torch.lu_unpack(*torch.linalg.lu_factor(a)).L, "LuUnpackBackward0"),
    (lambda a, b, v: torch.linalg.lu_solve(*torch.linalg.lu_factor(a), b), "LinalgLuSolveBackward0"),
    (lambda a, b, v: torch.linalg.matrix_exp(a), "LinalgMatrixExpBackward0"),
    (lambda a, b, v: torch.linalg.matrix_power(a, -1), "LinalgInvExBackward0"),
    (lambda a, b, v: torch.linalg.pinv(b), "LinalgPinvBackward0"),
    (lambda a, b, v: torch.pinverse(b), "LinalgPinvBackward0"),
    (lambda a, b, v: torch.linalg.eig(a).eigenvalues, "LinalgEigBackward0"),
    (lambda a, b, v: torch.linalg.eigvals(a), "LinalgEigBackward0"),
    (lambda a, b, v: torch.linalg.lstsq(a, b).solution, "LinalgLstsqBackward0"),
    (lambda a, b, v: torch.linalg.cross(b, b), "LinalgCrossBackward0"),
    (lambda a, b, v: torch.cholesky(a), "CholeskyBackward0"),
    (lambda a, b, v: torch.cholesky_inverse(a), "CholeskyInverseBackward0"),
    (lambda a, b, v: torch.cholesky_solve(b, a), "CholeskySolveBackward0"),
    (lambda a, b, v: torch.slogdet(a).logabsdet, "LinalgSlogdetBackward0"),
    (lambda a, b, v: torch.det(a), "LinalgDetBackward0"),
    (lambda a, b, v: a.inverse(), "LinalgInvExBackward0"),
    (lambda a, b, v: torch.linalg.householder_product(b, v[:2]), "LinalgHouseholderProductBackward0"),
    (lambda a, b, v: torch.renorm(b, 2, 0, 1.0), "RenormBackward0"),
    (lambda a, b, v: torch.linalg.solve_ex(a, v).result, "LinalgSolveExBackward0"),
])
def test_linalg_grad_fn_names(fn, name):
    a = (torch.eye(3) * 2).requires_grad_(True)
    b = (torch.ones(3, 3) + torch.eye(3)).requires_grad_(True)
    v = torch.ones(3).requires_grad_(True)
    assert type(fn(a, b, v).grad_fn).__name__ == name


@pytest.mark.parametrize("call,name,fields", [
    (lambda a: torch.linalg.lu_factor(a), "linalg_lu_factor", ("LU", "pivots")),
    (lambda a: torch.linalg.lu_factor_ex(a), "linalg_lu_factor_ex", ("LU", "pivots", "info")),
    (lambda a: torch.linalg.lu(a), "linalg_lu", ("P", "L", "U")),
    (lambda a: torch.lu_unpack(*torch.linalg.lu_factor(a)), "lu_unpack", ("P", "L", "U")),
    (lambda a: torch.linalg.solve_ex(a, a), "linalg_solve_ex", ("result", "info")),
    (lambda a: torch.linalg.eig(a), "linalg_eig", ("eigenvalues", "eigenvectors")),
    (lambda a: torch.linalg.lstsq(a, a), "linalg_lstsq", ("solution", "residuals", "rank", "singular_values")),
    (lambda a: torch.linalg.ldl_factor(a), "linalg_ldl_factor", ("LD", "pivots")),
    (lambda a: torch.linalg.ldl_factor_ex(a), "linalg_ldl_factor_ex", ("LD", "pivots", "info")),
    (lambda a: torch.geqrf(a), "geqrf", ("a", "tau")),
    (lambda a: a.triangular_solve(a), "triangular_solve", ("solution", "cloned_coefficient")),
    (lambda a: torch.slogdet(a), "slogdet", ("sign", "logabsdet")),
    (lambda a: a.slogdet(), "slogdet", ("sign", "logabsdet")),
    (lambda a: torch.linalg.slogdet(a), "linalg_slogdet", ("sign", "logabsdet")),
])
def test_linalg_return_types(call, name, fields):
    r = call(torch.eye(3) * 2)
    assert type(r) is getattr(torch.return_types, name)
    assert r._fields == fields and len(r) == len(fields)
    assert repr(r).startswith(f"torch.return_types.{name}(\n{fields[0]}=tensor(")


def test_lu_and_ldl_integer_outputs():
    """Pivots are int32 LAPACK (1-based) pivots, info int32, lstsq's rank int64."""
    a = torch.tensor([[0.0, 1.0, 2.0], [1.0, 0.0, 1.0], [2.0, 1.0, 0.0]])
    LU, piv, info = torch.linalg.lu_factor_ex(a)
    assert piv.dtype == torch.int32 and info.dtype == torch.int32 and piv.tolist() == [3, 3, 3]
    assert info.item() == 0
    r = torch.linalg.lstsq(a, a, driver="gelsd")
    assert r.rank.dtype == torch.int64 and r.rank.item() == 3
    assert torch.linalg.lstsq(a, a, driver="gels").rank.shape == (0,)
    assert torch.linalg.lstsq(a, a).singular_values.shape == (0,)
    LD, piv, info = torch.linalg.ldl_factor_ex(a)
    assert piv.dtype == torch.int32 and info.dtype == torch.int32


def test_linalg_out_and_check_errors():
    a = torch.tensor([[2.0, 1.0], [1.0, 3.0]])
    out = torch.empty(0)
    r = torch.linalg.vector_norm(a, out=out)
    assert r is out and abs(out.item() - np.sqrt(15.0)) < 1e-6
    out = torch.empty(0)
    assert torch.linalg.matrix_exp(a) is not None
    assert torch.linalg.solve_triangular(a.triu(), a, upper=True, out=out) is out
    with pytest.raises(RuntimeError, match="U\\[2,2\\] is zero"):
        torch.linalg.lu_factor_ex(torch.ones(2, 2), check_errors=True)
    with pytest.raises(torch.linalg.LinAlgError,
                       match="torch.linalg.solve_ex: The solver failed because the input matrix is singular"):
        torch.linalg.solve_ex(torch.zeros(2, 2), a, check_errors=True)
    r = torch.linalg.solve_ex(torch.zeros(2, 2), a)
    assert r.info.item() == 1


def test_gradgradcheck_linalg_solvers():
    rng = np.random.default_rng(5)
    a = torch.tensor(rng.uniform(-1, 1, (3, 3)) + 3 * np.eye(3)).requires_grad_(True)
    b = torch.tensor(rng.uniform(-1, 1, (3, 2))).requires_grad_(True)
    assert torch.autograd.gradgradcheck(lambda x, y: torch.linalg.solve_triangular(x, y, upper=False), (a, b))
    assert torch.autograd.gradgradcheck(lambda x: torch.linalg.matrix_exp(x * 0.3), (a,))
    assert torch.autograd.gradgradcheck(lambda x: torch.linalg.vector_norm(x, 3), (b,))
    assert torch.autograd.gradgradcheck(lambda x, y: torch.linalg.lu_solve(*torch.linalg.lu_factor(x), y), (a, b))


_SPD = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])
_L = np.linalg.cholesky(_SPD)


@pytest.mark.parametrize("method,function", [
    (lambda a: a.det(), lambda a: torch.det(a)),
    (lambda a: a.logdet(), lambda a: torch.logdet(a)),
    (lambda a: a.cholesky(), lambda a: torch.linalg.cholesky(a)),
    (lambda a: a.cholesky(upper=True), lambda a: torch.linalg.cholesky(a, upper=True)),
    (lambda a: torch.tensor(_L).cholesky_inverse(), lambda a: torch.linalg.inv(a)),
    (lambda a: a.cholesky_solve(torch.tensor(_L)), lambda a: torch.linalg.solve(a, a)),
    (lambda a: a.matrix_power(3), lambda a: a @ a @ a),
    (lambda a: a.pinverse(), lambda a: torch.linalg.inv(a)),
    (lambda a: (lambda r: r.a.orgqr(r.tau))(a.geqrf()), lambda a: torch.linalg.householder_product(*torch.geqrf(a))),
    (lambda a: (lambda r: r.a.ormqr(r.tau, a))(a.geqrf()),
     lambda a: torch.linalg.householder_product(*torch.geqrf(a)) @ a),
    (lambda a: a.triangular_solve(a.triu()).solution, lambda a: torch.linalg.solve_triangular(a.triu(), a, upper=True)),
    (lambda a: a.lu_solve(*torch.linalg.lu_factor(a)), lambda a: torch.linalg.solve(a, a)),
    (lambda a: a.renorm(2, 0, 1.0), lambda a: a / torch.linalg.vector_norm(a, dim=1, keepdim=True).clamp(min=1.0)),
    (lambda a: a.dist(a * 2, 3), lambda a: torch.linalg.vector_norm(a, 3)),
])
def test_linalg_methods_match_functions(method, function):
    a = torch.tensor(_SPD)
    np.testing.assert_allclose(method(a).numpy(), function(a).numpy(), rtol=1e-6, atol=1e-9)


# ---- the blocked QR kernel, the batched gelsy loop and its full-rank QR path,
# row-major right-hand sides of triangular solves, single-precision SVD

def _rel(x, ref):
    return float(np.abs(np.asarray(x) - ref).max()) / max(float(np.abs(ref).max()), 1e-300)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(40, 33), (33, 70), (100, 40), (70, 70), (2, 45, 36), (130, 97)])
@pytest.mark.parametrize("mode", ["reduced", "complete", "r"])
@pytest.mark.parametrize("layout", ["c", "t"])
def test_qr_blocked_matches_lapack(dtype, shape, mode, layout):
    rng = np.random.default_rng(sum(shape))
    a = rng.standard_normal(shape).astype(dtype)
    t = torch.tensor(a) if layout == "c" else torch.tensor(np.ascontiguousarray(np.swapaxes(a, -1, -2))).mT
    q, r = torch.linalg.qr(t, mode=mode)
    nq, nr = np.linalg.qr(a.astype(np.float64), mode="reduced" if mode == "r" else mode)
    tol = 2e-5 if dtype == "float32" else 1e-12
    assert r.dtype == t.dtype and r.shape == nr.shape
    assert _rel(r.numpy(), nr) < tol
    if mode == "r":
        assert q.shape == (0,)
    else:
        assert q.shape == nq.shape and _rel(q.numpy(), nq) < tol


@pytest.mark.parametrize("dtype,big,small", [("float64", 1e200, 1e-200), ("float32", 1e30, 1e-30)])
@pytest.mark.parametrize("shape", [(60, 40), (14, 10)])
def test_qr_blocked_extreme_and_special_columns(dtype, big, small, shape):
    # (14 x 10: the unblocked kernel, whose sums of squares once overflowed
    # to NaN and underflowed to 1e-5 relative errors)
    rng = np.random.default_rng(7)
    n = shape[1]
    a = rng.standard_normal(shape)
    a[:, 3] *= big
    a[:, 5] *= small
    a[:, 7] = 0
    a[10:, 9] = 0
    a = a.astype(dtype)
    q, r = torch.linalg.qr(torch.tensor(a))
    nq, nr = np.linalg.qr(a)
    assert np.isfinite(r.numpy()).all() and np.isfinite(q.numpy()).all()
    # each column of R against LAPACK's, relative to its own scale
    for c in range(n):
        ref = nr[:, c]
        assert np.abs(r.numpy()[:, c] - ref).max() <= 1e-4 * max(np.abs(ref).max(), 1e-300) + 1e-30
    np.testing.assert_allclose(q.numpy().T @ q.numpy(), np.eye(n), atol=1e-4 if dtype == "float32" else 1e-10)
    a[4, 4] = np.nan
    q, r = torch.linalg.qr(torch.tensor(a))
    assert np.isnan(r.numpy()).any()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_lstsq_gelsy_batch_and_rank(dtype):
    rng = np.random.default_rng(3)
    a = rng.standard_normal((16, 8, 4)).astype(dtype)
    b = rng.standard_normal((16, 8, 2)).astype(dtype)
    a[3, :, 3] = a[3, :, 1]                 # rank 3
    a[5] = 0                                # rank 0
    r = torch.linalg.lstsq(torch.tensor(a), torch.tensor(b))
    assert r.rank.dtype == torch.int64
    assert r.rank.tolist() == [int(np.linalg.matrix_rank(m)) for m in a]
    assert r.residuals.shape == (0,) and r.singular_values.shape == (0,)
    ref = np.stack([np.linalg.lstsq(x.astype(np.float64), y.astype(np.float64), rcond=None)[0]
                    for x, y in zip(a, b)])
    assert _rel(r.solution.numpy(), ref) < (1e-4 if dtype == "float32" else 1e-10)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("deficient", [False, True])
@pytest.mark.parametrize("batch", [(), (3,)])
def test_lstsq_gelsy_large_full_rank_and_deficient(dtype, deficient, batch):
    rng = np.random.default_rng(4)
    a = rng.standard_normal(batch + (100, 40))
    b = rng.standard_normal(batch + (100, 3))
    a, b = a.astype(dtype), b.astype(dtype)
    if deficient:
        a[..., 39] = a[..., 0]
    r = torch.linalg.lstsq(torch.tensor(a), torch.tensor(b))
    assert r.rank.shape == batch
    assert (r.rank.numpy() == (39 if deficient else 40)).all()
    ref = np.linalg.lstsq(a.astype(np.float64).reshape(-1, 100, 40)[0], b.astype(np.float64).reshape(-1, 100, 3)[0],
                          rcond=None)[0]
    assert _rel(r.solution.numpy().reshape(-1, 40, 3)[0], ref) < (1e-3 if dtype == "float32" else 1e-9)
    # an explicit large rcond: a rank decided by it
    r = torch.linalg.lstsq(torch.tensor(a), torch.tensor(b), rcond=0.5)
    assert (r.rank.numpy() < 40).all()


def test_cond2_bound_is_above_the_condition_number():
    # the full-rank path's certificate: an upper bound of cond2, at most n^(5/8) times it
    from ctorch._ops import linalg_k
    rng = np.random.default_rng(8)
    for n in (1, 3, 40, 64, 100):
        for dtype in ("float32", "float64"):
            big = 1e15 if dtype == "float32" else 1e150
            for scale in (1 / big, 1.0, big):
                r = np.triu(rng.standard_normal((3, n, n))) / np.sqrt(n) + np.eye(n)
                r[1] *= np.logspace(0, -3, n)           # graded rows: cond some 1e3 and up
                r = (r * scale).astype(dtype)
                ri = np.linalg.inv(r.astype(np.float64)).astype(dtype)
                got = linalg_k.cond2_bound(torch.tensor(r), torch.tensor(ri))
                for g, m, mi in zip(got, r.astype(np.float64), ri.astype(np.float64)):
                    # cond2 of the inverse as given: |R|_2 |Rinv|_2
                    c = np.linalg.norm(m, 2) * np.linalg.norm(mi, 2)
                    assert c * (1 - 1e-4) <= g <= c * n ** 0.625 * 1.01, (n, dtype, scale, g, c)
    nan = np.full((1, 4, 4), np.nan, dtype=np.float32)
    assert np.isnan(linalg_k.cond2_bound(torch.tensor(nan), torch.tensor(nan))[0])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_lstsq_gelsy_rank_across_the_threshold(dtype):
    # square matrices of condition 10 .. 1e18: the full-rank path may only
    # answer where gelsy (scipy's LAPACK) finds full rank too, and the
    # solutions agree wherever the rank is full
    import scipy.linalg
    rng = np.random.default_rng(9)
    n = 64
    eps = np.finfo(dtype).eps
    for lc in np.linspace(1, 18, 35):
        u, _ = np.linalg.qr(rng.standard_normal((n, n)))
        v, _ = np.linalg.qr(rng.standard_normal((n, n)))
        a = ((u * np.logspace(0, -lc, n)) @ v.T).astype(dtype)
        b = rng.standard_normal((n, 3)).astype(dtype)
        r = torch.linalg.lstsq(torch.tensor(a), torch.tensor(b))
        ref = scipy.linalg.lstsq(a, b, cond=eps * n, lapack_driver="gelsy")
        assert r.rank.item() == ref[2], (lc, r.rank.item(), ref[2])
        if ref[2] == n:
            assert _rel(r.solution.numpy(), ref[0]) < 10 ** lc * eps * 50


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("n,k", [(5, 8), (40, 9), (100, 33)])
@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("unit", [False, True])
@pytest.mark.parametrize("layout", ["c", "t"])
def test_solve_triangular_row_major_rhs(dtype, n, k, upper, unit, layout):
    rng = np.random.default_rng(n + k)
    a = rng.standard_normal((2, n, n)) / n + 2 * np.eye(n)      # well conditioned, unit or not
    b = rng.standard_normal((2, n, k))
    a, b = a.astype(dtype), b.astype(dtype)
    t = torch.tensor(a) if layout == "c" else torch.tensor(np.ascontiguousarray(np.swapaxes(a, -1, -2))).mT
    x = torch.linalg.solve_triangular(t, torch.tensor(b), upper=upper, unitriangular=unit)
    m = np.triu(a) if upper else np.tril(a)
    if unit:
        m = m - m * np.eye(n) + np.eye(n)
    ref = np.linalg.solve(m.astype(np.float64), b.astype(np.float64))
    assert x.dtype == t.dtype
    assert _rel(x.numpy(), ref) < (1e-4 if dtype == "float32" else 1e-11)
    # one matrix for a batch of right-hand sides
    x = torch.linalg.solve_triangular(t[0], torch.tensor(b), upper=upper, unitriangular=unit)
    assert _rel(x.numpy(), np.linalg.solve(m[0].astype(np.float64), b.astype(np.float64))) < \
        (1e-4 if dtype == "float32" else 1e-11)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("n,k", [(9, 40), (13, 70), (16, 130), (40, 33), (100, 200)])
def test_lu_solve_and_inverse_of_many_columns(dtype, n, k):
    # the LU solves' blocks of few rows and many columns (solved along rows
    # of a transposed block) and the inverse as U^-1 L^-1 P^T, against numpy
    # in double; a matrix that needs row swaps (a small leading entry)
    rng = np.random.default_rng(n * k)
    a = rng.standard_normal((n, n))
    a[0, 0] = 1e-3
    b = rng.standard_normal((n, k))
    tol = 1e-4 if dtype == "float32" else 1e-11
    ta, tb = torch.tensor(a.astype(dtype)), torch.tensor(b.astype(dtype))
    a64 = a.astype(dtype).astype(np.float64)
    x = torch.linalg.solve(ta, tb)
    assert _rel(x.numpy(), np.linalg.solve(a64, b.astype(dtype).astype(np.float64))) < tol * np.linalg.cond(a64)
    inv = torch.linalg.inv(ta)
    assert _rel(inv.numpy(), np.linalg.inv(a64)) < tol * np.linalg.cond(a64)
    lu, piv = torch.linalg.lu_factor(ta)
    x = torch.linalg.lu_solve(lu, piv, tb)
    assert _rel(x.numpy(), np.linalg.solve(a64, b.astype(dtype).astype(np.float64))) < tol * np.linalg.cond(a64)


@pytest.mark.parametrize("nt", [1, 2, 3])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("n,k", [(130, 70), (200, 9), (257, 300)])
@pytest.mark.parametrize("layout", ["c", "t"])
def test_solves_and_factors_shared_between_threads(threads, nt, dtype, n, k, layout):
    # past the threading work: the solves' columns in blocks per thread, each
    # block solved in memory of the thread's own (the inverse's cut where L's
    # and U's work halves), getrf's trailing columns brought up to date per
    # thread; B row-major (solved as it lies) or column-major; against numpy
    # in double
    threads(nt)
    rng = np.random.default_rng(n + k)
    a = rng.standard_normal((n, n))
    a[0, 0] = 1e-3                                   # row swaps
    b = rng.standard_normal((n, k))
    tol = (1e-4 if dtype == "float32" else 1e-11) * np.linalg.cond(a)
    a64, b64 = a.astype(dtype).astype(np.float64), b.astype(dtype).astype(np.float64)
    ta = torch.tensor(a.astype(dtype))
    tb = torch.tensor(b.astype(dtype)) if layout == "c" else torch.tensor(np.ascontiguousarray(b.T.astype(dtype))).mT
    assert _rel(torch.linalg.solve(ta, tb).numpy(), np.linalg.solve(a64, b64)) < tol
    assert _rel(torch.linalg.inv(ta).numpy(), np.linalg.inv(a64)) < tol
    lu, piv = torch.linalg.lu_factor(ta)
    p_, l_, u_ = torch.lu_unpack(lu, piv)
    assert _rel((p_ @ l_ @ u_).numpy(), a64) < (1e-5 if dtype == "float32" else 1e-13)
    assert _rel(torch.linalg.lu_solve(lu, piv, tb).numpy(), np.linalg.solve(a64, b64)) < tol
    assert _rel(torch.linalg.lu_solve(lu, piv, tb, adjoint=True).numpy(), np.linalg.solve(a64.T, b64)) < tol
    sign, logdet = torch.linalg.slogdet(ta)
    ref = np.linalg.slogdet(a64)
    assert sign.item() == ref[0]
    np.testing.assert_allclose(logdet.item(), ref[1], rtol=tol)
    t = np.tril(rng.standard_normal((n, n)) / n) + 2 * np.eye(n)
    for upper, unit in ((False, False), (True, False), (False, True)):
        m = (t.T if upper else t).astype(dtype)
        x = torch.linalg.solve_triangular(torch.tensor(m), tb, upper=upper, unitriangular=unit)
        m64 = m.astype(np.float64) - (m * np.eye(n) - np.eye(n) if unit else 0)
        assert _rel(x.numpy(), np.linalg.solve(m64, b64)) < (1e-4 if dtype == "float32" else 1e-11)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(256, 256), (300, 430), (430, 300), (520, 520)])
def test_lu_look_ahead_on_threads(threads, dtype, shape):
    # getrf on several threads by panels with look-ahead (from order 256):
    # P L U = A, the pivots and factors the same on 2 and 3 threads (each
    # column's arithmetic is fixed), a zero column's info the first zero pivot
    rng = np.random.default_rng(shape[0] + shape[1])
    a = rng.standard_normal(shape).astype(dtype)
    a[0, 0] = 1e-3
    ta = torch.tensor(a)
    res = []
    for nt in (2, 3):
        threads(nt)
        lu, piv = torch.linalg.lu_factor(ta)
        p_, l_, u_ = torch.lu_unpack(lu, piv)
        assert _rel((p_ @ l_ @ u_).numpy().astype(np.float64), a.astype(np.float64)) < (1e-5 if dtype == "float32" else 1e-13)
        res.append((lu.numpy().copy(), piv.numpy().copy()))
    np.testing.assert_array_equal(res[0][0], res[1][0])
    np.testing.assert_array_equal(res[0][1], res[1][1])
    # the pivots are LAPACK's: 1-based rows, each the largest of its column
    # below the diagonal in the matrix as the earlier steps left it
    assert (res[0][1] >= np.arange(1, min(shape) + 1)).all() and (res[0][1] <= shape[0]).all()
    s = a.copy()
    s[:, 100] = 0
    s[:, 150] = 0
    threads(2)
    lu, piv, info = torch.linalg.lu_factor_ex(torch.tensor(s))
    assert info.item() == 101
    p_, l_, u_ = torch.lu_unpack(lu, piv)
    assert _rel((p_ @ l_ @ u_).numpy().astype(np.float64), s.astype(np.float64)) < (1e-5 if dtype == "float32" else 1e-13)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("k", [32, 40])
def test_triangular_solve_by_a_tiny_or_huge_diagonal(dtype, k):
    # the rows' solve multiplies by the diagonal's reciprocal only where that
    # is a normal number: a subnormal diagonal entry (whose reciprocal
    # overflows) and a huge one (whose reciprocal is subnormal) are divided
    # by, as forward substitution does
    info = np.finfo(dtype)
    n = 40
    t = np.tril(np.full((n, n), 0.01)) + np.eye(n)
    t[30, :30] = 0
    t[30, 30] = info.tiny / 64                       # subnormal
    t[20, 20] = info.max / 4
    b = np.ones((n, k))
    b[30] = info.tiny
    t, b = t.astype(dtype), b.astype(dtype)
    x = torch.linalg.solve_triangular(torch.tensor(t), torch.tensor(b), upper=False).numpy()
    ref = np.zeros((n, k), dtype)
    for i in range(n):
        ref[i] = (b[i] - t[i, :i] @ ref[:i]) / t[i, i]
    assert np.isfinite(x).all()
    np.testing.assert_allclose(x, ref, rtol=1e-5 if dtype == "float32" else 1e-12)


@pytest.mark.parametrize("shape", [(256, 64), (30, 50), (7, 7)])
@pytest.mark.parametrize("full", [False, True])
def test_svd_float32_computed_in_float32(shape, full):
    rng = np.random.default_rng(5)
    a = rng.standard_normal(shape).astype(np.float32)
    u, s, vh = torch.linalg.svd(torch.tensor(a), full_matrices=full)
    assert u.dtype == s.dtype == vh.dtype == torch.float32
    k = min(shape)
    ref = np.linalg.svd(a.astype(np.float64), compute_uv=False)
    assert _rel(s.numpy(), ref) < 1e-5
    assert _rel((u.numpy()[:, :k] * s.numpy()) @ vh.numpy()[:k], a) < 1e-5
    np.testing.assert_allclose(u.numpy().T @ u.numpy(), np.eye(u.shape[1]), atol=1e-5)
    assert _rel(torch.linalg.svdvals(torch.tensor(a)).numpy(), ref) < 1e-5


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape,k", [((64, 32), 32), ((3, 40, 20), 20), ((2, 9, 5), 3), ((6, 6), 0),
                                     ((1000, 8), 8), ((128, 64), 50), ((2, 300, 40), 40)])
def test_householder_product_batched_loop(dtype, shape, k):
    # one reflector at a time up to 128 x 48 and for 16 columns or fewer, by
    # blocks of reflectors on gemm beyond
    rng = np.random.default_rng(11)
    a = rng.standard_normal(shape).astype(dtype)
    h, tau = torch.geqrf(torch.tensor(a))
    tau = tau[..., :k].contiguous()
    q = torch.linalg.householder_product(h, tau)
    assert q.dtype == h.dtype and q.shape == shape
    # the product of the first k reflectors, one by one in float64
    hn, tn = h.numpy().astype(np.float64).reshape((-1,) + shape[-2:]), tau.numpy().astype(np.float64)
    tn = tn.reshape(hn.shape[0], k)
    m, n = shape[-2:]
    for b in range(hn.shape[0]):
        ref = np.eye(m)
        for i in range(k):
            v = np.concatenate([np.zeros(i), [1.0], hn[b, i + 1:, i]])
            ref = ref @ (np.eye(m) - tn[b, i] * np.outer(v, v))
        got = q.numpy().reshape((-1, m, n))[b]
        assert np.abs(got - ref[:, :n]).max() < (1e-5 if dtype == "float32" else 1e-12)


def _spectrum_matrix(rng, m, n, s):
    u, _ = np.linalg.qr(rng.standard_normal((m, len(s))))
    v, _ = np.linalg.qr(rng.standard_normal((n, len(s))))
    return (u * s) @ v.T


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(256, 64), (64, 256), (100, 70), (70, 100), (40, 40), (200, 3),
                                   (1, 5), (5, 1)])
@pytest.mark.parametrize("kind", ["random", "deficient", "graded"])
@pytest.mark.parametrize("layout", ["c", "t"])
def test_pinv_svd_paths(dtype, shape, kind, layout):
    # tall and wide matrices (the QR-reduced SVD), near-square ones (gesdd
    # on the matrix), rank-deficient and graded spectra, both layouts
    rng = np.random.default_rng(17)
    m, n = shape
    k = min(m, n)
    if kind == "random":
        a = rng.standard_normal(shape)
    elif kind == "deficient":
        r = max(1, k // 3)
        a = rng.standard_normal((m, r)) @ rng.standard_normal((r, n))
    else:
        # singular values from 1 to 1e-3 and two far below any threshold
        s = np.concatenate([np.logspace(0, -3, max(k - 2, 1)), [1e-17, 1e-18]])[:k]
        a = _spectrum_matrix(rng, m, n, s)
    a = a.astype(dtype)
    t = torch.tensor(np.ascontiguousarray(a.T)).mT if layout == "t" else torch.tensor(a)
    u, s, vh = np.linalg.svd(a.astype(np.float64), full_matrices=False)

    def ref(atol=0.0, rtol=None):
        # PyTorch's rule: max(atol, rtol * s_max), rtol eps * max(m, n) by default
        if rtol is None:
            rtol = np.finfo(dtype).eps * max(m, n) if not atol else 0.0
        keep = s > max(float(atol), rtol * s[0])
        return (vh[keep].T / s[keep]) @ u[:, keep].T

    small = 1e-4 if dtype == "float32" else 1e-9
    for kw in ({}, {"rtol": small}, {"atol": small}, {"atol": torch.tensor(small), "rtol": 0.0}):
        p = torch.linalg.pinv(t, **kw)
        assert p.dtype == t.dtype and p.shape == (n, m) and p.is_contiguous()
        assert _rel(p.numpy(), ref(**{key: float(v) for key, v in kw.items()})) < \
            (1e-4 if dtype == "float32" else 1e-9)
    # a threshold that drops the smaller singular values
    if kind == "graded" and k > 3:
        cut = np.sqrt(s[k // 2 - 1] * s[k // 2])
        assert _rel(torch.linalg.pinv(t, atol=cut).numpy(), ref(atol=cut)) < (1e-4 if dtype == "float32" else 1e-9)


def test_pinv_zero_and_batched_inputs():
    z = torch.linalg.pinv(torch.zeros(70, 20, dtype=torch.float64))
    assert z.shape == (20, 70) and not z.numpy().any()
    rng = np.random.default_rng(3)
    a = rng.standard_normal((3, 50, 20))
    np.testing.assert_allclose(torch.linalg.pinv(torch.tensor(a)).numpy(), np.linalg.pinv(a), atol=1e-12)
    # a batch of tolerances broadcasts against one matrix
    p = torch.linalg.pinv(torch.tensor(a[0]), atol=torch.tensor([0.0, 1e300]))
    assert p.shape == (2, 20, 50)
    np.testing.assert_allclose(p[0].numpy(), np.linalg.pinv(a[0]), atol=1e-12)
    assert not p[1].numpy().any()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(1, 1), (2, 2), (17, 17), (64, 64), (96, 96), (97, 97), (100, 100),
                                   (3, 2, 9, 9)])
@pytest.mark.parametrize("uplo", ["L", "U"])
@pytest.mark.parametrize("layout", ["c", "t"])
def test_eigh_syevd_loop(dtype, shape, uplo, layout):
    rng = np.random.default_rng(23)
    a = rng.standard_normal(shape).astype(dtype)          # only one triangle is read
    t = torch.tensor(np.ascontiguousarray(np.swapaxes(a, -1, -2))).mT if layout == "t" else torch.tensor(a)
    w, v = torch.linalg.eigh(t, UPLO=uplo)
    assert w.dtype == v.dtype == t.dtype and w.shape == shape[:-1] and v.shape == shape
    a64 = a.astype(np.float64)
    tri = np.tril(a64) if uplo == "L" else np.triu(a64)
    sym = tri + np.swapaxes(tri, -1, -2) - tri * np.eye(shape[-1])
    wn, vn = w.numpy().astype(np.float64), v.numpy().astype(np.float64)
    tol = 1e-5 if dtype == "float32" else 1e-12
    assert _rel(wn, np.linalg.eigvalsh(sym)) < tol
    assert _rel(sym @ vn, vn * wn[..., None, :]) < 10 * tol
    np.testing.assert_allclose(np.swapaxes(vn, -1, -2) @ vn, np.broadcast_to(np.eye(shape[-1]), shape),
                               atol=10 * tol)
    assert _rel(torch.linalg.eigvalsh(t, UPLO=uplo).numpy(), np.linalg.eigvalsh(sym)) < tol


def test_eigh_special_inputs():
    for a in (np.zeros((5, 5)), np.eye(6), np.diag([2.0, 2.0, 1.0, 1.0])):
        w, v = torch.linalg.eigh(torch.tensor(a))
        np.testing.assert_allclose(w.numpy(), np.linalg.eigvalsh(a), atol=1e-15)
        np.testing.assert_allclose(v.numpy() @ np.diag(w.numpy()) @ v.numpy().T, a, atol=1e-14)
    a = np.eye(4)
    a[2, 1] = np.nan
    assert np.isnan(torch.linalg.eigh(torch.tensor(a)).eigenvalues.numpy()).any()
    # entries near underflow and overflow (syevd scales them itself)
    rng = np.random.default_rng(41)
    b = rng.standard_normal((20, 20))
    b = b + b.T
    for scale in (1e-150, 1e150, 1e-300):
        w, v = torch.linalg.eigh(torch.tensor(b * scale))
        assert _rel(w.numpy(), np.linalg.eigvalsh(b) * scale) < 1e-12
        np.testing.assert_allclose(v.numpy().T @ v.numpy(), np.eye(20), atol=1e-12)
    # the ignored triangle may hold anything
    a[1, 2] = np.inf
    a[2, 1] = 0.0
    np.testing.assert_allclose(torch.linalg.eigh(torch.tensor(a)).eigenvalues.numpy(), np.ones(4))


def _in_order_of(w, wr, vr=None):
    """eigenvalues wr (..., n) (and vectors vr (..., n, n)) put in the order
    of w: each of w's matched to one of wr's, nearest overall"""
    from scipy.optimize import linear_sum_assignment
    wr = wr.copy()
    vr = np.zeros(wr.shape + wr.shape[-1:]) if vr is None else vr.copy()
    for i in np.ndindex(w.shape[:-1]):
        _, p = linear_sum_assignment(np.abs(w[i][:, None] - wr[i][None, :]))
        wr[i], vr[i] = wr[i][p], vr[i][:, p]
    return wr, vr


# (up to order 200 the Hessenberg QR is ctorch's own, _kernels/hqr.h: in
# float64 up to 75 dlahqr's arithmetic as LAPACK runs it, numpy's
# eigenvalues in numpy's order; above it, where LAPACK runs its multishift
# QR, and in float32, as PyTorch computes, the eigenvalues to rounding in
# an order of their own; from 201 LAPACK's)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(1, 1), (2, 2), (3, 3), (7, 7), (16, 16), (64, 64), (65, 65),
                                   (75, 75), (76, 76), (128, 128), (200, 200), (201, 201),
                                   (2, 3, 8, 8), (5, 16, 16)])
@pytest.mark.parametrize("kind", ["random", "skew", "triangular", "defective", "blocks", "graded",
                                  "sparse", "tiny", "huge"])
def test_eig_geev_loop(dtype, shape, kind):
    rng = np.random.default_rng(29)
    n = shape[-1]
    a = rng.standard_normal(shape)
    if kind == "skew":
        a = a - np.swapaxes(a, -1, -2)          # eigenvalues in conjugate pairs
    elif kind == "triangular":
        a = np.triu(a)
    elif kind == "defective":
        a = np.broadcast_to(2 * np.eye(n) + np.eye(n, k=1), shape).copy()
    elif kind == "blocks":
        # decoupled blocks: subdiagonal zeros, deflation in the middle
        a[..., : n // 2, n // 2:] = 0
        a[..., n // 2:, : n // 2] = 0
    elif kind == "graded":
        # rows and columns of very different sizes (balancing scales them)
        d = np.exp(np.linspace(-20, 20, n))
        a = a * d[:, None] / d[None, :]
    elif kind == "sparse":
        a = np.round(a) * (rng.random(shape) < 0.3)
    elif kind == "tiny":
        a = a * 1e-150                          # geev scales it first
    elif kind == "huge":
        a = a * 1e150
    if dtype == "float32" and kind in ("graded", "tiny", "huge"):
        a = np.clip(a, -1e30, 1e30)
        a[np.abs(a) < 1e-30] = 0
    a = a.astype(dtype)
    w, v = torch.linalg.eig(torch.tensor(a))
    cdt = torch.complex64 if dtype == "float32" else torch.complex128
    assert w.dtype == v.dtype == cdt and w.shape == shape[:-1] and v.shape == shape
    wr, vr = np.linalg.eig(a.astype(np.float64))
    tol = 1e-5 if dtype == "float32" else 1e-12
    numpys = dtype == "float64" and n <= 75
    if not numpys:
        wr, vr = _in_order_of(w.numpy(), wr, vr)
    # in float64 up to 75 the same routine as numpy's: the same eigenvalues
    # in the same order; in float32 float32's rounding (PyTorch's float32
    # eigenvalues of the sparse and huge matrices here lie up to 2e-4 off)
    assert _rel(w.numpy(), wr) < (1e-3 if dtype == "float32" else tol)
    # the eigenvectors of simple eigenvalues (a repeated one's come out of a
    # perturbed solve: rounding decides them): numpy's up to a unit factor
    # each, and with numpy's signs but where geev scales the matrix (LAPACK
    # builds differ there)
    gaps = np.abs(wr[..., :, None] - wr[..., None, :]) + np.where(np.eye(n, dtype=bool), np.inf, 0)
    simple = (gaps.min(axis=-1) > 1e-6 * (1 + np.abs(wr).max()))[..., None, :]
    vn = np.where(simple, v.numpy(), 0)
    vr = np.where(simple, vr, 0)
    ph = np.sum(np.conj(vr) * vn, axis=-2, keepdims=True)
    ph = np.where(ph == 0, 1, ph)
    assert _rel(vn * np.conj(ph / np.abs(ph)), vr) < 1e3 * tol
    if kind not in ("tiny", "huge") and numpys:
        # (LAPACK makes a vector's largest component real: where two tie in
        # size, rounding picks one; its sign comes out of the iteration)
        top2 = np.sort(np.abs(vr), axis=-2)[..., -2:, :]
        clear = top2[..., :1, :] < (1 - 1e-8) * top2[..., -1:, :] if n > 1 else True
        assert _rel(np.where(clear, vn, 0), np.where(clear, vr, 0)) < 1e3 * tol
    # every eigenvector: A v = lambda v
    a64 = a.astype(np.float64)
    vall = v.numpy()
    res = np.abs(a64 @ vall - vall * w.numpy()[..., None, :]).max()
    assert res <= 1e3 * tol * max(np.abs(a64).max(), 1e-300) * max(n, 1)
    np.testing.assert_allclose(np.linalg.norm(v.numpy(), axis=-2), 1, atol=tol)
    # eigvals: eig's eigenvalues, to the bit where hqr.h's iteration runs
    # (LAPACK's multishift one rounds and orders otherwise without the
    # Schur form)
    e = torch.linalg.eigvals(torch.tensor(a)).numpy()
    if n <= 200:
        assert np.array_equal(e, w.numpy())
    else:
        assert _rel(_in_order_of(w.numpy(), e)[0], w.numpy()) < tol
    # one NaN or infinity anywhere in the batch: PyTorch's error
    for bad in (np.nan, np.inf, -np.inf):
        b = a.copy()
        b.reshape(-1)[b.size // 2] = bad
        for f in (torch.linalg.eig, torch.linalg.eigvals):
            with pytest.raises(RuntimeError, match="input tensor should not contain infs or NaNs"):
                f(torch.tensor(b))


@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (5, 3), (64, 64), (100, 7), (2, 3, 10, 4),
                                   (9, 8), (8, 9), (130, 97), (97, 130), (256, 256), (2, 1),
                                   (1, 6), (300, 40), (40, 300), (4, 70, 33)])
@pytest.mark.parametrize("layout", ["c", "t"])
def test_svdvals_float64_loop(shape, layout):
    rng = np.random.default_rng(31)
    a = rng.standard_normal(shape)
    t = torch.tensor(np.ascontiguousarray(np.swapaxes(a, -1, -2))).mT if layout == "t" else torch.tensor(a)
    s = torch.linalg.svdvals(t)
    assert s.dtype == torch.float64 and s.shape == shape[:-2] + (min(shape[-2:]),)
    assert _rel(s.numpy(), np.linalg.svd(a, compute_uv=False)) < 1e-13
    if len(shape) == 2:
        for o in (2, -2, "nuc"):
            assert abs(torch.linalg.matrix_norm(t, o).item() - np.linalg.norm(a, o)) <= 1e-13 * np.linalg.norm(a, 2)


@pytest.mark.parametrize("kind", ["zero_columns", "rank_one", "graded", "zero", "tiny_rows"])
@pytest.mark.parametrize("shape", [(17, 17), (40, 29), (29, 40)])
def test_svdvals_float64_structured(kind, shape):
    # the bidiagonal reduction where reflectors are the identity (a zero
    # column or row to reduce), of a rank-one matrix (all later rows and
    # columns reduce to zero) and of columns of very different scales
    rng = np.random.default_rng(41)
    m, n = shape
    a = rng.standard_normal(shape)
    if kind == "zero_columns":
        a[:, ::3] = 0
    elif kind == "rank_one":
        a = np.outer(rng.standard_normal(m), rng.standard_normal(n))
    elif kind == "graded":
        a *= np.logspace(-100, 100, n)[None, :]
    elif kind == "zero":
        a[:] = 0
    else:
        a[1::2] *= 1e-150
    s = torch.linalg.svdvals(torch.tensor(a)).numpy()
    ref = np.linalg.svd(a, compute_uv=False)
    assert np.all(np.diff(s) <= 0) and np.all(s >= 0)
    assert np.abs(s - ref).max() <= 1e-13 * max(ref[0], 1e-300)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(1,), (6,), (40,), (2, 3, 5)])
def test_eigh_svd_backward_fused_middle_factor(dtype, shape):
    # without history (grad mode off) the backward formulas build their
    # middle factor in one pass; with it, from tensor ops: the same numbers
    from ctorch.autograd import derivatives as D
    rng = np.random.default_rng(37)
    k = shape[-1]

    def T(shp):
        return torch.tensor(rng.standard_normal(shp).astype(dtype))

    def both(f):
        with torch.no_grad():
            x = f().numpy()
        with torch.enable_grad():
            y = f().numpy()
        np.testing.assert_array_equal(x, y)

    L = torch.tensor(np.sort(rng.standard_normal(shape)).astype(dtype))
    Ld = L.clone()
    Ld[..., 0] = Ld[..., -1]                        # a repeated eigenvalue: inf / nan as the formula
    V, gV, gL = T(shape + (k,)), T(shape + (k,)), T(shape)
    for lam in (L, Ld):
        both(lambda: D._eigh_backward((gL, gV), lam, V))
        both(lambda: D._eigh_backward((None, gV), lam, V))
    for m in (k, k + 3):
        U, Vh = T(shape[:-1] + (m, k)), T(shape + (k,))
        S = torch.tensor((np.abs(rng.standard_normal(shape)) + 0.1).astype(dtype))
        gU, gS, gVh = T(U.shape), T(shape), T(Vh.shape)
        for g in ((gU, gS, gVh), (gU, None, gVh), (None, gS, gVh), (gU, gS, None), (gU, None, None),
                  (None, None, gVh)):
            both(lambda: D._svd_backward(g, U, S, Vh))


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("n", [100, 150, 256, 257, 300])
def test_eigh_order_and_threads(threads, n):
    # up to order 256 (or on several threads): sytrd, stedc and Q applied to
    # stedc's vectors in the kernel (orgtr and the product on the gemm beyond
    # 256); larger ones on one thread: syevd
    rng = np.random.default_rng(43)
    a = rng.standard_normal((2, n, n))
    prev = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        w, v = torch.linalg.eigh(torch.tensor(a))
    finally:
        torch.set_num_threads(prev)
    sym = np.tril(a) + np.swapaxes(np.tril(a, -1), -1, -2)
    wn, vn = w.numpy(), v.numpy()
    assert _rel(wn, np.linalg.eigvalsh(sym)) < 1e-12
    assert _rel(sym @ vn, vn * wn[..., None, :]) < 1e-12
    np.testing.assert_allclose(np.swapaxes(vn, -1, -2) @ vn, np.broadcast_to(np.eye(n), a.shape), atol=1e-12)



@pytest.mark.parametrize("threads", [2, 3, 8])
def test_eig_eigh_batch_split_over_threads(threads):
    # a batch of LAPACK calls split over threads gives the numbers one
    # thread gives, in the same places (7 matrices: unequal parts)
    rng = np.random.default_rng(47)
    a = rng.standard_normal((7, 20, 20))
    s = a + np.swapaxes(a, -1, -2)
    s_nan = s.copy()
    s_nan[5, 3, 2] = np.nan
    prev = torch.get_num_threads()
    out = {}
    try:
        for t in (1, threads):
            torch.set_num_threads(t)
            r = list(torch.linalg.eig(torch.tensor(a))) + [torch.linalg.eigvals(torch.tensor(a))]
            r += list(torch.linalg.eigh(torch.tensor(s))) + list(torch.linalg.eigh(torch.tensor(s), UPLO="U"))
            out[t] = [x.numpy() for x in r]
            # a NaN in one matrix: the batch ends as on one thread
            try:
                out[t].append(torch.linalg.eigh(torch.tensor(s_nan))[0].numpy())
            except Exception as e:
                out[t].append(type(e).__name__)
    finally:
        torch.set_num_threads(prev)
    assert len(out[1]) == len(out[threads]) == 8
    for x, y in zip(out[1], out[threads]):
        if isinstance(x, str):
            assert x == y
        else:
            np.testing.assert_array_equal(x, y)
    w, v, wv = out[threads][:3]
    assert _rel(w, np.linalg.eigvals(a)) < 1e-12
    assert _rel(a @ v, v * w[..., None, :]) < 1e-12
    assert np.array_equal(wv, w)
    w, v = out[threads][3:5]
    assert _rel(w, np.linalg.eigvalsh(s)) < 1e-12
    assert _rel(s @ v, v * w[..., None, :]) < 1e-12


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("uplo", ["L", "U"])
@pytest.mark.parametrize("layout", ["c", "t"])
def test_eigvalsh_float64_loop(threads, uplo, layout):
    # float64 eigvalsh by syevd's steps without vectors (sytrd, sterf) in
    # one loop, as numpy.linalg.eigvalsh computes them; entries syevd would
    # scale and NaN take numpy's path
    rng = np.random.default_rng(53)
    prev = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        for shape in ((2, 2), (5, 40, 40), (2, 3, 17, 17), (70, 70)):
            a = rng.standard_normal(shape)
            for x in (a, a * 1e-150, a * 1e150):
                t = torch.tensor(np.ascontiguousarray(np.swapaxes(x, -1, -2))).mT if layout == "t" \
                    else torch.tensor(x)
                w = torch.linalg.eigvalsh(t, UPLO=uplo)
                assert w.dtype == torch.float64 and w.shape == shape[:-1]
                assert _rel(w.numpy(), np.linalg.eigvalsh(x, UPLO=uplo)) < 1e-13
        a = rng.standard_normal((3, 6, 6))
        a[1, 4, 4] = np.nan
        try:
            ref = np.linalg.eigvalsh(a, UPLO=uplo)
        except np.linalg.LinAlgError:
            with pytest.raises(Exception):
                torch.linalg.eigvalsh(torch.tensor(a), UPLO=uplo)
        else:
            np.testing.assert_array_equal(np.isnan(torch.linalg.eigvalsh(torch.tensor(a), UPLO=uplo).numpy()),
                                          np.isnan(ref))
    finally:
        torch.set_num_threads(prev)


def _sym_cases(n, rng):
    """Symmetric float64 matrices of order n: random, ill-conditioned,
    repeated eigenvalues, diagonal, tridiagonal, zero, a zero row/column,
    tiny off-diagonal blocks, and random ones near the ends of the unscaled
    range and beyond them (where LAPACK's syevd takes over)."""
    x = rng.standard_normal((n, n))
    r = x + x.T
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    cases = [r, (q * np.logspace(0, -14, n)) @ q.T,
             (q * np.where(np.arange(n) < n // 2, 1.0, -2.0)) @ q.T,
             np.diag(rng.standard_normal(n)), np.zeros((n, n))]
    t = np.diag(rng.standard_normal(n)) + np.diag(rng.standard_normal(n - 1), 1)
    cases.append(t + t.T - np.diag(np.diag(t)))
    z = r.copy()
    z[n // 2, :] = z[:, n // 2] = 0
    cases.append(z)
    b = r.copy()
    k = (n + 2) // 3
    b[k:, :k] *= 1e-250
    b[:k, k:] *= 1e-250
    cases.append(b)
    # tridiagonal ones that test the QL iteration: Wilkinson's W+ (close
    # pairs of eigenvalues), a zero diagonal (eigenvalues in +- pairs) and a
    # graded one (entries from 1 down to 1e-30)
    i = np.arange(n)
    for diag, off in ((np.abs(i - (n - 1) / 2), np.ones(n - 1)), (np.zeros(n), np.ones(n - 1)),
                      (10.0 ** (-30 * i / max(n - 1, 1)), 10.0 ** (-30 * (i[:-1] + 0.5) / max(n - 1, 1)))):
        cases.append(np.diag(diag) + np.diag(off, 1) + np.diag(off, -1))
    cases += [r * 1e-140, r * 1e140, r * 1e-300, r * 1e300]
    return [(c + c.T) / 2 for c in cases]


@pytest.mark.parametrize("threads", [1, 2])
def test_eigh_eigvalsh_tridiagonal_reduction(threads):
    # float64 eigh / eigvalsh reduce to tridiagonal form by ctorch's own
    # Householder reduction up to order 512 and by LAPACK's sytrd beyond,
    # and eigh applies its Q to the tridiagonal matrix's eigenvectors in the
    # kernel up to order 256 (from 128 by blocks of 32 reflectors, the last
    # block partial for 129, 130, 161): eigenvalues within a few eps * ||A|| of
    # numpy's, orthonormal eigenvectors and A V = V diag(w) to ~ n eps ||A||,
    # for both triangles, either layout and batches
    rng = np.random.default_rng(59)
    prev = torch.get_num_threads()
    torch.set_num_threads(threads)
    eps = np.finfo(np.float64).eps
    try:
        for n in list(range(1, 20)) + [24, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 130, 161, 256]:
            for k, a in enumerate(_sym_cases(n, rng)):
                for uplo in ("L", "U"):
                    # the ignored triangle holds other values
                    x = a.copy()
                    if uplo == "L":
                        x[np.triu_indices(n, 1)] = rng.standard_normal(n * (n - 1) // 2)
                    else:
                        x[np.tril_indices(n, -1)] = rng.standard_normal(n * (n - 1) // 2)
                    t = torch.tensor(x) if k % 2 else torch.tensor(np.ascontiguousarray(x.T)).mT
                    nrm = max(np.linalg.norm(a, 2), 1e-300)
                    ref = np.linalg.eigvalsh(a)
                    w = torch.linalg.eigvalsh(t, UPLO=uplo).numpy()
                    assert np.abs(w - ref).max() <= 8 * n * eps * nrm, (n, k, uplo)
                    w, v = torch.linalg.eigh(t, UPLO=uplo)
                    w, v = w.numpy(), v.numpy()
                    assert np.abs(w - ref).max() <= 8 * n * eps * nrm, (n, k, uplo)
                    assert np.abs(v.T @ v - np.eye(n)).max() <= 4 * n * eps, (n, k, uplo)
                    assert np.abs(a @ v - v * w).max() <= 4 * n * eps * nrm, (n, k, uplo)
        # batches, both sides of the order where LAPACK's sytrd takes over
        for shape in ((3, 16, 16), (2, 2, 65, 65), (2, 256, 256), (1, 257, 257), (2, 512, 512),
                      (1, 513, 513)):
            a = rng.standard_normal(shape)
            a = a + np.swapaxes(a, -1, -2)
            n = shape[-1]
            nrm = np.linalg.norm(a, 2, axis=(-2, -1))[..., None]
            for uplo in ("L", "U"):
                ref = np.linalg.eigvalsh(a, UPLO=uplo)
                w = torch.linalg.eigvalsh(torch.tensor(a), UPLO=uplo).numpy()
                assert (np.abs(w - ref) <= 8 * n * eps * nrm).all()
                if n > 257:
                    continue
                w, v = torch.linalg.eigh(torch.tensor(a), UPLO=uplo)
                w, v = w.numpy(), v.numpy()
                assert (np.abs(w - ref) <= 8 * n * eps * nrm).all()
                np.testing.assert_allclose(np.swapaxes(v, -1, -2) @ v, np.broadcast_to(np.eye(n), shape),
                                           rtol=0, atol=4 * n * eps)
                assert (np.abs(a @ v - v * w[..., None, :]) <= 4 * n * eps * nrm[..., None]).all()
        # NaN and inf in the triangle read never reach the reduction: an
        # error where numpy gives one, and never finite eigenvalues from eigh
        for n in (5, 64, 200):
            a = rng.standard_normal((n, n))
            a = a + a.T
            for bad in (np.nan, np.inf, -np.inf):
                for pos in ((n - 1, 1), (2, 2)):
                    b = a.copy()
                    b[pos] = bad
                    try:
                        ref = np.linalg.eigvalsh(b)
                    except np.linalg.LinAlgError:
                        with pytest.raises(np.linalg.LinAlgError):
                            torch.linalg.eigvalsh(torch.tensor(b))
                    else:
                        np.testing.assert_array_equal(torch.linalg.eigvalsh(torch.tensor(b)).numpy(), ref)
                    try:
                        w = torch.linalg.eigh(torch.tensor(b))[0].numpy()
                    except np.linalg.LinAlgError:
                        continue
                    assert np.isnan(w).any()
    finally:
        torch.set_num_threads(prev)


def _cholesky_grad_ref(A, G):
    # L^-H pi*(tril(L^H G)) L^-1 through explicit inverses
    L = np.linalg.cholesky(A)
    P = np.tril(np.swapaxes(L.conj(), -1, -2) @ G)
    # (X + tril(X, -1)^H) / 2: PyTorch's projection (a complex diagonal keeps
    # its imaginary part)
    P = 0.5 * (P + np.swapaxes(np.tril(P, -1).conj(), -1, -2))
    Li = np.linalg.inv(L)
    return np.swapaxes(Li.conj(), -1, -2) @ P @ Li


@pytest.mark.parametrize("n,batch,cplx,upper", [(64, (), False, False), (64, (), False, True),
                                                (8, (5,), False, False), (1, (), False, False),
                                                (33, (2, 3), True, False), (16, (), True, True),
                                                (130, (), False, False)])
def test_cholesky_backward_solves(n, batch, cplx, upper):
    # the backward's two triangular solves on L (no inverse), Phi in place
    rng = np.random.default_rng(44)
    M = rng.standard_normal(batch + (n, n))
    G = rng.standard_normal(batch + (n, n))
    if cplx:
        M = M + 1j * rng.standard_normal(M.shape)
        G = G + 1j * rng.standard_normal(G.shape)
    A = M @ np.swapaxes(M.conj(), -1, -2) + n * np.eye(n)
    a = torch.tensor(A, requires_grad=True)
    torch.linalg.cholesky(a, upper=upper).backward(torch.tensor(G))
    want = _cholesky_grad_ref(A, np.swapaxes(G.conj(), -1, -2) if upper else G)
    got = a.grad.numpy()
    assert _rel(got, want) < 1e-13
    if not cplx:
        assert _rel(got, np.swapaxes(got, -1, -2)) < 1e-13


def test_cholesky_backward_float32_and_create_graph():
    rng = np.random.default_rng(45)
    M = rng.standard_normal((12, 12))
    A = M @ M.T + 12 * np.eye(12)
    a = torch.tensor(A.astype(np.float32), requires_grad=True)
    torch.linalg.cholesky(a).sum().backward()
    want = _cholesky_grad_ref(A, np.ones((12, 12)))
    assert a.grad.dtype == torch.float32
    assert _rel(a.grad.numpy(), want) < 1e-5
    # a recorded backward (the differentiable formula)
    x = torch.tensor(A[:4, :4], requires_grad=True)
    assert torch.autograd.gradgradcheck(lambda t: torch.linalg.cholesky(0.5 * (t + t.mT)), (x,))


def _layout(a, layout):
    """a (numpy) as a ctorch tensor: c row-major, t column-major, s strided
    (every other column of a wider tensor), b a batch broadcast from one
    matrix (a's first)."""
    if layout == "t":
        return torch.tensor(np.ascontiguousarray(np.swapaxes(a, -1, -2))).mT
    if layout == "s":
        big = np.zeros(a.shape[:-1] + (2 * a.shape[-1],), dtype=a.dtype)
        big[..., ::2] = a
        return torch.tensor(big)[..., ::2]
    if layout == "b":
        return torch.tensor(a.reshape((-1,) + a.shape[-2:])[0]).expand(*a.shape)
    return torch.tensor(a)


def _layout_values(a, layout):
    return np.broadcast_to(a.reshape((-1,) + a.shape[-2:])[0], a.shape) if layout == "b" else a


@pytest.mark.parametrize("shape", [(64, 64), (5, 3), (3, 5), (10, 6), (6, 10), (11, 6), (1, 1), (7, 7),
                                   (2, 3, 10, 4), (3, 65, 65)])
@pytest.mark.parametrize("layout", ["c", "t", "s", "b"])
@pytest.mark.parametrize("scale", [1.0, 1e-160, 1e160])
def test_singular_value_norms_kernel(shape, layout, scale):
    # nuc / 2 / -2 norms and cond of float64 matrices without history: the
    # singular values reduced in the kernel, the same numbers as the
    # general path's svdvals and reductions (dims given as non-negative
    # indices take that path); scale: norms that gesdd scales itself
    rng = np.random.default_rng(51)
    a = rng.standard_normal(shape) * scale
    t = _layout(a, layout)
    v = _layout_values(a, layout)
    nd = len(shape)
    s = np.linalg.svd(v, compute_uv=False)
    refs = {"nuc": s.sum(-1), 2: s.max(-1), -2: s.min(-1)}
    for o in ("nuc", 2, -2, 2.0):
        for keep in (False, True):
            got = torch.linalg.matrix_norm(t, o, keepdim=keep)
            gen = torch.linalg.matrix_norm(t, o, dim=(nd - 2, nd - 1), keepdim=keep)
            assert got.dtype == torch.float64 and got.shape == gen.shape
            assert np.array_equal(got.numpy(), gen.numpy())
            ref = refs[o]
            assert _rel(got.numpy().reshape(ref.shape), ref) < 1e-13
    sv = torch.linalg.svdvals(t)
    for p in (None, 2, -2):
        got = torch.linalg.cond(t, p)
        want = sv.amin(-1) / sv.amax(-1) if p == -2 else sv.amax(-1) / sv.amin(-1)
        assert got.shape == shape[:-2] and np.array_equal(got.numpy(), want.numpy())
    assert np.array_equal(torch.linalg.norm(t, "nuc", dim=(-2, -1)).numpy(),
                          torch.linalg.matrix_norm(t, "nuc").numpy())


def test_singular_value_norms_kernel_special():
    # zero and singular matrices, non-finite entries (gesdd's own path and
    # its errors), history (the general path, differentiable)
    z = torch.zeros(3, 4, 4, dtype=torch.float64)
    assert torch.linalg.matrix_norm(z, "nuc").tolist() == [0.0] * 3
    assert all(np.isnan(torch.linalg.cond(z).numpy()))
    sing = torch.tensor([[1.0, 2.0], [2.0, 4.0]], dtype=torch.float64)
    assert torch.linalg.cond(sing).item() > 1e15 and torch.linalg.cond(sing, -2).item() < 1e-15
    a = np.ones((4, 4))
    a[1, 2] = np.nan
    for f in (lambda t: torch.linalg.matrix_norm(t, "nuc"), lambda t: torch.linalg.cond(t),
              lambda t: torch.linalg.svdvals(t)):
        with pytest.raises(Exception, match="converge"):
            f(torch.tensor(a))
    a[1, 2] = np.inf
    gen = torch.linalg.matrix_norm(torch.tensor(a), 2, dim=(0, 1))
    assert np.array_equal(torch.linalg.matrix_norm(torch.tensor(a), 2).numpy(), gen.numpy(), equal_nan=True)
    rng = np.random.default_rng(52)
    x = torch.tensor(rng.standard_normal((5, 5)), requires_grad=True)
    y = torch.linalg.matrix_norm(x, "nuc")
    assert y.grad_fn is not None
    y.backward()
    u, _, vh = np.linalg.svd(x.detach().numpy())
    assert _rel(x.grad.numpy(), u @ vh) < 1e-12
    assert torch.linalg.cond(x).grad_fn is not None


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(128, 128), (1, 1), (5, 5), (65, 65), (3, 7, 7), (2, 2, 16, 16)])
@pytest.mark.parametrize("layout", ["c", "t", "s", "b"])
def test_ldl_factor_kernel_layouts(dtype, shape, layout):
    # the kernel's sytrf loop: the same factors in every layout (the lower
    # triangle read, zeros above the diagonal, column-major like LAPACK's),
    # and factors that solve the system
    rng = np.random.default_rng(53)
    m = rng.standard_normal(shape)
    a = (m + np.swapaxes(m, -1, -2)).astype(dtype)
    a_low = np.tril(a) + np.triu(rng.standard_normal(shape), 1).astype(dtype)   # upper ignored
    t = _layout(a_low, layout)
    LD, piv = torch.linalg.ldl_factor(t)
    ref_LD, ref_piv, info = torch.linalg.ldl_factor_ex(torch.tensor(_layout_values(a_low, layout)))
    assert LD.dtype == t.dtype and piv.dtype == torch.int32 and info.dtype == torch.int32
    assert LD.shape == shape and piv.shape == shape[:-1] and info.shape == shape[:-2]
    assert np.array_equal(LD.numpy(), ref_LD.numpy()) and np.array_equal(piv.numpy(), ref_piv.numpy())
    assert not np.triu(LD.numpy(), 1).any()
    b = rng.standard_normal(shape[:-1] + (2,)).astype(dtype)
    x = torch.linalg.ldl_solve(LD, piv, torch.tensor(b)).numpy()
    full = _layout_values(a, layout)
    tol = 1e-3 if dtype == "float32" else 1e-10
    assert _rel(full @ x, b) < tol


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kind", ["indefinite", "zero_diagonal", "zero_column", "ties", "spd", "diagonal"])
def test_ldl_factor_kernel_matches_lapack(dtype, kind):
    # up to sytrf's block size the kernel runs its own sytf2: LAPACK's pivots
    # (1x1 and 2x2 blocks, ties broken alike), info and factors
    from scipy.linalg import lapack
    rng = np.random.default_rng(61)
    f = lapack.ssytrf if dtype == "float32" else lapack.dsytrf
    for n in (1, 2, 3, 5, 8, 17, 33, 64):
        m = rng.standard_normal((n, n))
        if kind == "zero_diagonal":
            np.fill_diagonal(m, 0)
        elif kind == "zero_column":
            m[n // 2] = 0
            m[:, n // 2] = 0
        elif kind == "ties":
            m = rng.integers(-2, 3, (n, n)).astype(float)
        elif kind == "spd":
            m = m @ m.T
        elif kind == "diagonal":
            m = np.diag(rng.standard_normal(n))
        a = ((m + m.T) / 2).astype(dtype)
        ld, piv, info = f(a, lower=1)
        r = torch.linalg.ldl_factor_ex(torch.tensor(a))
        assert r.pivots.tolist() == piv.tolist() and r.info.item() == info, (n, kind)
        err = np.abs(r.LD.numpy() - np.tril(ld)).max() / max(np.abs(ld).max(), 1e-30)
        assert err < (1e-4 if dtype == "float32" else 1e-12), (n, kind)


def test_ldl_factor_kernel_errors_and_out():
    a = np.zeros((2, 3, 3))
    a[1] = np.eye(3)
    LD, piv, info = torch.linalg.ldl_factor_ex(torch.tensor(a))
    assert info.tolist() == [1, 0]
    with pytest.raises(torch.linalg.LinAlgError, match=r"\(Batch element 0\).*D\[1,1\] is zero"):
        torch.linalg.ldl_factor(torch.tensor(a))
    with pytest.raises(torch.linalg.LinAlgError, match=r"\(Batch element 0\).*D\[1,1\] is zero"):
        torch.linalg.ldl_factor_ex(torch.tensor(a), check_errors=True)
    out = (torch.empty(0, dtype=torch.float64), torch.empty(0, dtype=torch.int32))
    r = torch.linalg.ldl_factor(torch.tensor(a[1]), out=out)
    assert r[0] is out[0] and r[1] is out[1] and np.array_equal(out[0].numpy(), np.eye(3))
    assert out[1].tolist() == [1, 2, 3]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("layout", ["c", "t", "s", "b"])
def test_householder_product_kernel_layouts(dtype, layout):
    rng = np.random.default_rng(54)
    a = rng.standard_normal((3, 9, 5)).astype(dtype)
    tau = rng.uniform(0.5, 1.5, (3, 4)).astype(dtype)
    q = torch.linalg.householder_product(_layout(a, layout), torch.tensor(tau))
    ref = torch.linalg.householder_product(torch.tensor(np.ascontiguousarray(_layout_values(a, layout))),
                                           torch.tensor(tau))
    assert q.dtype == ref.dtype and q.shape == (3, 9, 5)
    assert np.array_equal(q.numpy(), ref.numpy())
    # with history: the recorded path, the same numbers
    h = _layout(a, layout).clone().requires_grad_()
    qg = torch.linalg.householder_product(h, torch.tensor(tau))
    assert qg.grad_fn is not None and np.array_equal(qg.detach().numpy(), q.numpy())
    # tau's batch must be A's, even where the element counts agree
    with pytest.raises(RuntimeError, match="Expected batch dimensions of tau"):
        torch.linalg.householder_product(torch.tensor(rng.standard_normal((2, 3, 5, 4)).astype(dtype)),
                                         torch.tensor(np.ones((3, 2, 4), dtype=dtype)))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(6, 6), (5, 3), (3, 5), (64, 64), (2, 3, 6, 4), (4, 3, 7),
                                   (7, 9), (40, 29), (29, 40)])
@pytest.mark.parametrize("layout", ["c", "t", "s", "b"])
@pytest.mark.parametrize("full", [False, True])
def test_svd_vectors_kernel(dtype, shape, layout, full):
    # the kernel's gesdd loop with vectors: a factorization of A with
    # orthonormal factors, the singular values numpy's
    rng = np.random.default_rng(55)
    a = rng.standard_normal(shape).astype(dtype)
    v = _layout_values(a, layout).astype(np.float64)
    U, S, Vh = torch.linalg.svd(_layout(a, layout), full_matrices=full)
    m, n = shape[-2:]
    k = min(m, n)
    assert U.shape == shape[:-2] + ((m, m) if full else (m, k))
    assert Vh.shape == shape[:-2] + ((n, n) if full else (k, n)) and S.shape == shape[:-2] + (k,)
    assert U.dtype == S.dtype == Vh.dtype == torch.tensor(a).dtype
    u, s, vh = (x.numpy().astype(np.float64) for x in (U, S, Vh))
    tol = 1e-5 if dtype == "float32" else 1e-13
    assert _rel((u[..., :k] * s[..., None, :]) @ vh[..., :k, :], v) < tol
    assert np.abs(np.swapaxes(u, -1, -2) @ u - np.eye(u.shape[-1])).max() < tol
    assert np.abs(vh @ np.swapaxes(vh, -1, -2) - np.eye(vh.shape[-2])).max() < tol
    assert _rel(s, np.linalg.svd(v, compute_uv=False)) < tol


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape,kk", [((3, 7, 4), None), ((2, 70, 40), None), ((9, 20, 20), None),
                                      ((2, 40, 70), None), ((2, 50, 30), 10)])
def test_ormqr_batched_and_with_history(dtype, shape, kk):
    # without history ctorch's kernel applies the reflectors as they lie, by
    # blocks of 16 through the gemm (partial last blocks, wide inputs, the
    # first kk reflectors only, a batch shared between the threads); with
    # history Q is formed and multiplied: both give scipy's Q applied on
    # either side, transposed or not
    import scipy.linalg as sl
    rng = np.random.default_rng(12)
    nb, m, n = shape
    a = rng.standard_normal(shape).astype(dtype)
    c = rng.standard_normal((nb, m, 5)).astype(dtype)
    cr = rng.standard_normal((nb, 2, m)).astype(dtype)
    tol = 1e-4 if dtype == "float32" else 1e-11
    h, tau = torch.geqrf(torch.tensor(a))
    if kk is not None:
        tau = tau[..., :kk].contiguous()
    k = tau.shape[-1]
    for i in range(nb):
        hq = np.tril(h[i].numpy().astype(np.float64), -1)[:, :k]
        Q = np.eye(m)
        for j in range(k):
            v = np.concatenate([np.zeros(j), [1.0], hq[j + 1:, j]])
            Q = Q @ (np.eye(m) - tau[i, j].item() * np.outer(v, v))
        if kk is None:
            want_q = sl.qr(a[i].astype(np.float64), mode="full")[0]
            np.testing.assert_allclose(np.abs(Q), np.abs(want_q), rtol=tol * 10, atol=tol * 10)
        for left, tr, other, want in ((True, False, c, Q @ c[i]), (True, True, c, Q.T @ c[i]),
                                      (False, False, cr, cr[i] @ Q), (False, True, cr, cr[i] @ Q.T)):
            got = torch.ormqr(h, tau, torch.tensor(other), left=left, transpose=tr)
            np.testing.assert_allclose(got[i].numpy(), want, rtol=tol, atol=tol)
            if i == 0:
                g = torch.ormqr(h[i], tau[i], torch.tensor(other[i]).requires_grad_(True), left=left,
                                transpose=tr)
                np.testing.assert_allclose(g.detach().numpy(), want, rtol=tol, atol=tol)
                assert g.requires_grad


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", [(100, 70), (70, 100), (2, 65, 40), (33, 33), (5, 3)])
def test_geqrf_matches_lapack(dtype, shape):
    # ctorch's Householder kernels (blocked past 32 rows or columns) leave
    # LAPACK's geqrf: R on and above the diagonal, the reflectors below it,
    # their factors in tau
    import scipy.linalg as sl
    rng = np.random.default_rng(sum(shape))
    a = rng.standard_normal(shape).astype(dtype)
    h, tau = torch.geqrf(torch.tensor(a))
    flat = a.reshape((-1,) + shape[-2:]).astype(np.float64)
    tol = 2e-4 if dtype == "float32" else 1e-10
    for i, x in enumerate(flat):
        (hr, taur), _ = sl.qr(x, mode="raw")
        got_h = h.numpy().reshape(flat.shape)[i]
        got_t = tau.numpy().reshape(flat.shape[0], -1)[i]
        assert _rel(got_h, hr) < tol and _rel(got_t, taur) < tol
