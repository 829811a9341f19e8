"""torch.fft (tests/op_db_fft.py) against numpy.fft: values and result dtypes on
contiguous, transposed and step-sliced inputs, n/s/dim/norm variants, error
cases, grad_fn names, gradcheck in float64 (complex inputs and outputs go
through view_as_complex / view_as_real, so that the finite differences
perturb real and imaginary parts separately), out= and the helpers."""
import warnings

import numpy as np
import pytest

import ctorch as torch
from tests.op_db_fft import OPS, D

LAYOUTS = ("contig", "transposed", "stepped")


def to_ct(a, layout):
    a = np.asarray(a)
    if layout == "transposed" and a.ndim >= 2:
        return torch.tensor(np.ascontiguousarray(a.swapaxes(-1, -2))).transpose(-1, -2)
    if layout == "stepped" and a.ndim >= 1:
        return torch.tensor(np.repeat(a, 2, axis=-1))[..., ::2]
    return torch.tensor(a)


def check_close(res, ref, dtype):
    ref = np.asarray(ref)
    assert str(res.dtype) == "torch." + dtype, (res.dtype, dtype)
    assert tuple(res.shape) == ref.shape, (tuple(res.shape), ref.shape)
    got = res.numpy()
    single = dtype in ("float32", "complex64")
    scale = max(1.0, float(np.max(np.abs(ref)))) if ref.size else 1.0
    np.testing.assert_allclose(got, ref, rtol=1e-4 if single else 1e-10,
                               atol=(1e-5 if single else 1e-12) * scale)


CASES = [(op, dt, layout) for op in OPS for dt in op.dtypes for layout in LAYOUTS
         if layout == "contig" or dt in ("float32", "complex128")]


@pytest.mark.parametrize("op,dt,layout", CASES, ids=[f"{o.name}-{d}-{l}" for o, d, l in CASES])
def test_values(op, dt, layout):
    rng = np.random.default_rng(0)
    for args, kw in op.samples(rng, dt):
        ins = [to_ct(x.a, layout) if isinstance(x, D) else x for x in args]
        res = op.fn(torch, *ins, **kw)
        ref = op.ref(*[x.a if isinstance(x, D) else x for x in args], **kw)
        check_close(res, ref, op.out_dtype(dt))


GRAD = [(op, dt) for op in OPS if op.grad_fn for dt in ("float64", "complex128") if dt in op.dtypes]


def _real_in(x):
    """x as gradcheck's real input: complex x becomes its (..., 2) real view."""
    x = torch.tensor(x)
    if x.is_complex():
        x = torch.view_as_real(x).contiguous()
    return x.requires_grad_(True)


def _real_out(r):
    return torch.view_as_real(r) if r.is_complex() else r


@pytest.mark.parametrize("op,dt", GRAD, ids=[f"{o.name}-{d}" for o, d in GRAD])
def test_gradcheck(op, dt):
    rng = np.random.default_rng(1)
    for args, kw in op.samples(rng, dt)[:3]:
        x = _real_in(args[0].a)
        is_c = dt.startswith("complex")

        def f(xr):
            return _real_out(op.fn(torch, torch.view_as_complex(xr) if is_c else xr, **kw))

        res = op.fn(torch, torch.view_as_complex(x) if is_c else x, **kw)
        name = op.grad_fn
        if op.name in ("fft", "ifft", "fftn", "ifftn", "fft2", "ifft2") and not is_c:
            name = "FftR2CBackward0"          # a real input is transformed as one-sided, as in PyTorch
        assert type(res.grad_fn).__name__ == name
        assert torch.autograd.gradcheck(f, (x,))


@pytest.mark.parametrize("name", ["fft", "rfft", "irfft", "ifft2"])
def test_gradient_of_real_loss(name):
    """A real loss of a transform (abs().sum()) against finite differences."""
    rng = np.random.default_rng(3)
    src = rng.standard_normal(6) if name != "irfft" else rng.standard_normal(4) + 1j * rng.standard_normal(4)
    if name == "ifft2":
        src = rng.standard_normal((2, 3)) + 1j * rng.standard_normal((2, 3))
    x = _real_in(src)
    is_c = np.iscomplexobj(src)

    def f(xr):
        y = getattr(torch.fft, name)(torch.view_as_complex(xr) if is_c else xr)
        return y.abs().sum()

    assert torch.autograd.gradcheck(f, (x,))


def test_gradgradcheck_rfft_irfft():
    x = torch.tensor(np.random.default_rng(4).standard_normal(5), requires_grad=True)
    assert torch.autograd.gradgradcheck(lambda t: torch.fft.irfft(torch.fft.rfft(t) * (1 + 2j), n=5), (x,))


@pytest.mark.parametrize("n", [1024, 1022])
def test_float32_computed_in_float32(n):
    """float32 data is transformed in single precision, not rounded from a
    float64 transform: the result is complex64, within float32's rounding
    of the double transform; pocketfft's (a length with a prime factor
    above 5: 1022 = 2 7 73) matches scipy.fft's own float32 transform
    exactly, the CPU backend's (1024, a real row's one-sided transform and
    its mirror) within float32's rounding."""
    import scipy.fft
    a = np.random.default_rng(5).standard_normal(n).astype(np.float32)
    r = torch.fft.fft(torch.from_numpy(a))
    assert r.dtype == torch.complex64
    ref = np.fft.fft(a.astype(np.float64))
    if n == 1022:
        np.testing.assert_array_equal(r.numpy(), scipy.fft.fft(a))
    assert np.abs(r.numpy() - ref).max() < 1e-5 * np.abs(ref).max()
    assert not np.array_equal(r.numpy(), ref.astype(np.complex64))


def test_out_writes_in_place():
    x = torch.randn(8)
    out = torch.empty(8, dtype=torch.complex64)
    v0 = out._version
    r = torch.fft.fft(x, out=out)
    assert r is out and out._version > v0
    np.testing.assert_allclose(out.numpy(), np.fft.fft(x.numpy()), rtol=1e-5, atol=1e-5)
    # another complex dtype, another shape (resized with a warning, as in PyTorch)
    out2 = torch.empty(3, dtype=torch.complex128)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        torch.fft.rfft(x, out=out2)
    assert out2.shape == (5,) and any("resized" in str(m.message) for m in w)
    np.testing.assert_allclose(out2.numpy(), np.fft.rfft(x.numpy()), rtol=1e-5, atol=1e-5)
    out3 = torch.empty(0)
    torch.fft.irfft(torch.fft.rfft(x), out=out3)
    np.testing.assert_allclose(out3.numpy(), x.numpy(), rtol=1e-5, atol=1e-5)
    with pytest.raises(RuntimeError, match="irfft expects a floating point output tensor, but got ComplexFloat"):
        torch.fft.irfft(x, out=torch.empty(14, dtype=torch.complex64))


def test_zero_size_batch_and_empty_dim_list():
    r = torch.fft.fft(torch.ones(0, 4))
    assert r.shape == (0, 4) and r.dtype == torch.complex64
    r = torch.fft.fftn(torch.tensor([1.0, 2.0]), dim=())
    assert r.dtype == torch.complex64 and r.tolist() == [1 + 0j, 2 + 0j]
    assert torch.fft.fftn(torch.tensor(2.0)).item() == 2 + 0j


def test_round_trips():
    x = torch.randn(3, 8, dtype=torch.float64)
    np.testing.assert_allclose(torch.fft.ifft(torch.fft.fft(x)).real.numpy(), x.numpy(), atol=1e-12)
    np.testing.assert_allclose(torch.fft.irfftn(torch.fft.rfftn(x), s=x.shape).numpy(), x.numpy(), atol=1e-12)
    np.testing.assert_allclose(torch.fft.hfft(torch.fft.ihfft(x), n=8).numpy(), x.numpy(), atol=1e-12)


@pytest.mark.parametrize("n,d,dtype", [(5, 1.0, None), (6, 0.5, "float64"), (1, 2.0, None), (8, 0.1, None)])
def test_fftfreq(n, d, dtype):
    dt = getattr(torch, dtype) if dtype else None
    r = torch.fft.fftfreq(n, d, dtype=dt)
    assert r.dtype == (dt or torch.float32)
    np.testing.assert_allclose(r.numpy(), np.fft.fftfreq(n, d), rtol=1e-6)
    r = torch.fft.rfftfreq(n, d, dtype=dt)
    assert r.dtype == (dt or torch.float32)
    np.testing.assert_allclose(r.numpy(), np.fft.rfftfreq(n, d), rtol=1e-6)


def test_fftfreq_zero_length():
    assert torch.fft.fftfreq(0).shape == (0,)
    r = torch.fft.rfftfreq(0)
    assert r.shape == (1,) and r.isnan().all()     # PyTorch gives tensor([nan])


def test_fftfreq_errors():
    with pytest.raises(RuntimeError, match="fftfreq requires a floating point or complex dtype"):
        torch.fft.fftfreq(4, dtype=torch.int64)
    with pytest.raises(RuntimeError, match="negative dimension -1"):
        torch.fft.fftfreq(-1)
    with pytest.raises(RuntimeError, match="rfftfreq requires a floating point or complex dtype"):
        torch.fft.rfftfreq(4, dtype=torch.bool)
    with pytest.raises(NotImplementedError, match="not implemented for 'ComplexFloat'"):
        torch.fft.fftfreq(4, dtype=torch.complex64)


@pytest.mark.parametrize("n", [1 << 16, 3 * (1 << 15), 65537])
@pytest.mark.parametrize("dt", ["complex64", "complex128", "float32"])
def test_long_1d_transforms(n, dt):
    """Long 1-d transforms are split in two passes of short ones (and shared
    between threads); a prime length falls back to one pocketfft call."""
    rng = np.random.default_rng(6)
    a = rng.standard_normal(n).astype(dt)
    if dt.startswith("complex"):
        a = a + 1j * rng.standard_normal(n).astype(dt)
    t = torch.from_numpy(a)
    for norm in ("backward", "ortho", "forward"):
        for f, ref in ((torch.fft.fft, np.fft.fft), (torch.fft.ifft, np.fft.ifft)):
            r = f(t, norm=norm)
            e = ref(a, norm=norm)
            assert r.numpy().dtype == e.dtype and r.is_contiguous()
            tol = 1e-5 if dt in ("complex64", "float32") else 1e-13
            assert np.abs(r.numpy() - e).max() <= tol * np.abs(e).max()


def test_long_1d_single_thread_and_backward():
    a = np.random.default_rng(7).standard_normal(1 << 16)
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        r = torch.fft.fft(torch.from_numpy(a))
    finally:
        torch.set_num_threads(old)
    np.testing.assert_allclose(r.numpy(), np.fft.fft(a), rtol=1e-10, atol=1e-9)
    # the backward of a long fft is a long ifft: d/dx sum(Re(fft(x)) * w) = Re(conj(F)^T w) = Re(fft(w))
    w = np.random.default_rng(8).standard_normal(1 << 16)
    x = torch.from_numpy(a).requires_grad_(True)
    (torch.fft.fft(x).real * torch.from_numpy(w)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.fft.fft(w).real, rtol=1e-9, atol=1e-8)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("n,rows", [(1 << 15, 3), (76800, 1), (1 << 18, 1)])
@pytest.mark.parametrize("dt", ["complex64", "complex128"])
def test_long_rows_four_step(n, rows, dt, threads):
    """Long rows of a smooth length run the CPU backend's four-step
    transform (columns, twiddles, rows, read transposed, the blocks shared
    between threads), row after row; every kind of transform against
    numpy.fft in double precision."""
    rng = np.random.default_rng(12)
    single = dt == "complex64"
    tol = 3e-6 if single else 1e-13
    rdt = "float32" if single else "float64"
    a = (rng.standard_normal((rows, n)) + 1j * rng.standard_normal((rows, n))).astype(dt)
    x = rng.standard_normal((rows, 2 * n)).astype(rdt)
    h = (rng.standard_normal((rows, n + 1)) + 1j * rng.standard_normal((rows, n + 1))).astype(dt)
    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        for f, ref, arg, kw in ((torch.fft.fft, np.fft.fft, a, {}), (torch.fft.ifft, np.fft.ifft, a, {}),
                                (torch.fft.rfft, np.fft.rfft, x, {}),
                                (torch.fft.irfft, np.fft.irfft, h, {"n": 2 * n}),
                                (torch.fft.hfft, np.fft.hfft, h, {"n": 2 * n})):
            for norm in ("backward", "ortho"):
                r = f(torch.from_numpy(arg), norm=norm, **kw).numpy()
                e = ref(arg.astype("complex128" if arg.dtype.kind == "c" else "float64"), norm=norm, **kw)
                assert r.shape == e.shape and r.dtype == (e.dtype if not single else
                                                          np.dtype(rdt if e.dtype.kind == "f" else dt))
                rms = np.sqrt(np.mean(np.abs(e) ** 2))
                assert np.abs(r - e).max() <= tol * rms * np.log2(n), (f, norm)
    finally:
        torch.set_num_threads(old)


@pytest.mark.parametrize("n", [1 << 17, 3 * (1 << 16), (1 << 17) + 1])
@pytest.mark.parametrize("dt", ["float32", "float64"])
def test_long_rfft(n, dt):
    """A long even-length rfft is one complex transform of half the length
    (even samples as real parts, odd ones as imaginary parts), then the two
    halves' spectra are separated; an odd length falls back to pocketfft's rfft."""
    a = np.random.default_rng(9).standard_normal(n).astype(dt)
    t = torch.from_numpy(a)
    for norm in ("backward", "ortho", "forward"):
        r = torch.fft.rfft(t, norm=norm)
        e = np.fft.rfft(a, norm=norm)
        assert r.numpy().dtype == e.dtype and r.shape == e.shape
        tol = 1e-5 if dt == "float32" else 1e-13
        assert np.abs(r.numpy() - e).max() <= tol * np.abs(e).max()
    out = torch.empty(n // 2 + 1, dtype=torch.complex64 if dt == "float32" else torch.complex128)
    assert torch.fft.rfft(t, out=out) is out
    assert np.abs(out.numpy() - np.fft.rfft(a)).max() <= 1e-5 * np.abs(np.fft.rfft(a)).max()


# (1000 and 1500: past 256, powers of two of at most 8: in vector lanes for
# a batch, 1500 in double too; 1024 and the real 2048: complex rows of 1024
# held in registers as two of 512; 16 and 32: several rows a vector)
ROW_LENGTHS = [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 30, 32, 60, 64, 100, 128, 250, 256, 512, 1000, 1024, 1500,
               2048, 4320]


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dt", ["complex64", "complex128"])
def test_rows_of_smooth_lengths(dt, threads):
    """Rows along the last dim whose length has no prime factor above 5 run
    in the CPU backend's own transforms (one row, a few, and a batch long
    enough to be shared between threads); against numpy.fft in every norm."""
    rng = np.random.default_rng(10)
    single = dt == "complex64"
    tol = 1e-5 if single else 1e-13
    rdt = "float32" if single else "float64"
    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        for n in ROW_LENGTHS:
            # 37 rows: groups of 16 (complex64) or 8 (complex128) rows
            # transformed together in vector lanes, the last one partial
            for rows in (1, 3, 37, 200):
                if rows == 200 and n < 100:
                    continue
                a = (rng.standard_normal((rows, n)) + 1j * rng.standard_normal((rows, n))).astype(dt)
                x = rng.standard_normal((rows, n)).astype(rdt)
                t, tx = torch.from_numpy(a), torch.from_numpy(x)
                for norm in ("backward", "ortho", "forward"):
                    half, thalf = a[:, :n // 2 + 1], t[:, :n // 2 + 1].contiguous()
                    for f, ref, arg, targ in (
                            (torch.fft.fft, np.fft.fft, a, t), (torch.fft.ifft, np.fft.ifft, a, t),
                            (torch.fft.rfft, np.fft.rfft, x, tx),
                            (torch.fft.irfft, np.fft.irfft, half, thalf),
                            (torch.fft.hfft, np.fft.hfft, half, thalf)):
                        one_sided_in = f in (torch.fft.irfft, torch.fft.hfft)
                        if n == 1 and one_sided_in:
                            continue
                        kw = {"n": n} if one_sided_in else {}
                        r = f(targ, norm=norm, **kw)
                        wide = arg.astype("complex128" if arg.dtype.kind == "c" else "float64")
                        e = ref(wide, norm=norm, **kw)
                        assert str(r.dtype) == "torch." + (rdt if one_sided_in else dt)
                        assert tuple(r.shape) == e.shape
                        err = np.abs(r.numpy() - e).max()
                        assert err <= tol * max(1.0, np.abs(e).max()), (f, n, rows, norm)
    finally:
        torch.set_num_threads(old)


@pytest.mark.parametrize("n,dt", [(8, "complex64"), (4, "complex128"), (8, "complex128"),
                                  (16, "complex64"), (32, "complex64"), (16, "complex128"),
                                  (32, "complex128"), (64, "complex64"), (128, "complex64"),
                                  (256, "complex64"), (512, "complex64"), (1024, "complex64"),
                                  (64, "complex128"), (128, "complex128"), (256, "complex128")])
def test_rows_transformed_in_place(n, dt):
    """out= the input itself: rows held whole in registers (a row a lane for
    float rows of 8 and double rows of 4 and 8, four float rows or two
    double rows a vector for 16 and 32, two float rows at a time for 64 and
    128, a step's missing rows read from its first; double rows of 64 to 256
    one at a time) read before they are written; 2051 short rows shared
    between threads."""
    rng = np.random.default_rng(12)
    tol = 1e-5 if dt == "complex64" else 1e-13
    old = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        for rows in (1, 2, 5, 7) + ((2051,) if n <= 32 else ()):
            a = (rng.standard_normal((rows, n)) + 1j * rng.standard_normal((rows, n))).astype(dt)
            for f, ref in ((torch.fft.fft, np.fft.fft), (torch.fft.ifft, np.fft.ifft)):
                t = torch.from_numpy(a.copy())
                r = f(t, out=t)
                e = ref(a.astype("complex128"))
                assert r.data_ptr() == t.data_ptr()
                assert np.abs(t.numpy() - e).max() <= tol * np.abs(e).max()
    finally:
        torch.set_num_threads(old)


def test_one_sided_rows_ignore_imaginary_dc_and_nyquist():
    """irfft / hfft read only the real parts of the first and (even n) last
    coefficients, as PyTorch's do."""
    rng = np.random.default_rng(11)
    for n in (8, 1024, 9):
        h = rng.standard_normal(n // 2 + 1) + 1j * rng.standard_normal(n // 2 + 1)
        clean = h.copy()
        clean[0] = clean[0].real
        if n % 2 == 0:
            clean[-1] = clean[-1].real
        for f, ref in ((torch.fft.irfft, np.fft.irfft), (torch.fft.hfft, np.fft.hfft)):
            np.testing.assert_allclose(f(torch.from_numpy(h), n=n).numpy(), ref(clean, n=n),
                                       rtol=1e-12, atol=1e-12 * n)


@pytest.mark.parametrize("n,size,dim", [(None, 256, -1), (None, 255, -1), (12, 9, 1), (6, 9, 1),
                                        (None, 8, 0)])
def test_rfft_gradient_through_c2r(n, size, dim):
    """The gradient of rfft is a complex-to-real transform of the incoming
    gradient with the bins that stand for a conjugate pair halved; against
    the adjoint of the explicit DFT matrix, and the double backward."""
    rng = np.random.default_rng(12)
    shape = (5, size) if dim in (-1, 1) else (size, 5)
    a = rng.standard_normal(shape)
    length = size if n is None else n
    m = length // 2 + 1
    g = rng.standard_normal((5, m)) + 1j * rng.standard_normal((5, m))
    if dim == 0:
        g = g.T.copy()
    for norm in ("backward", "ortho", "forward"):
        x = torch.from_numpy(a).requires_grad_(True)
        r = torch.fft.rfft(x, n=n, dim=dim, norm=norm)
        r.backward(torch.from_numpy(g))
        # the DFT matrix of the transform (cropped / zero-padded input)
        k = np.arange(m)[:, None]
        j = np.arange(size)[None, :]
        M = np.exp(-2j * np.pi * k * j / length) * (j < length)
        M *= {"backward": 1.0, "ortho": length ** -0.5, "forward": 1.0 / length}[norm]
        gg = g if dim != 0 else g.T
        ref = (gg @ M.conj()).real            # grad = Re(M^H g) per row
        if dim == 0:
            ref = ref.T
        np.testing.assert_allclose(x.grad.numpy(), ref, rtol=1e-10, atol=1e-10)
    x = torch.from_numpy(rng.standard_normal((3, 8))).requires_grad_(True)
    assert torch.autograd.gradgradcheck(lambda t: torch.fft.rfft(t).abs(), (x,))


@pytest.mark.parametrize("threads", [1, 2])
def test_rfftn_rows_then_other_dims(threads):
    """rfftn / rfft2 with an even last dim: the one-sided rows in the CPU
    backend's transform, then the other dims in pocketfft in place."""
    rng = np.random.default_rng(13)
    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        for shape, dims in (((256, 512), None), ((4, 6, 8), (0, 2)), ((3, 5, 8), (1, 2)),
                            ((2, 3, 4, 6), None), ((6, 10), (1, 0)), ((5, 2), None)):
            for dt, tol in (("float32", 1e-5), ("float64", 1e-13)):
                a = rng.standard_normal(shape).astype(dt)
                for norm in ("backward", "ortho", "forward"):
                    r = torch.fft.rfftn(torch.from_numpy(a), dim=dims, norm=norm)
                    e = np.fft.rfftn(a.astype("float64"), axes=dims, norm=norm)
                    assert tuple(r.shape) == e.shape
                    assert str(r.dtype) == ("torch.complex64" if dt == "float32" else "torch.complex128")
                    assert np.abs(r.numpy() - e).max() <= tol * np.abs(e).max()
    finally:
        torch.set_num_threads(old)


@pytest.mark.parametrize("dt", ["complex64", "complex128"])
def test_fftn_rows_then_other_dims(dt):
    """fftn / ifftn over dims ending with the last one: its rows in the CPU
    backend's transform, then the other dims in its transform along a
    middle dim (fft_c2c_dim) where they have enough columns, in pocketfft
    otherwise."""
    rng = np.random.default_rng(14)
    tol = 1e-5 if dt == "complex64" else 1e-13
    for shape, dims in (((16, 16, 64), None), ((4, 6, 8), (0, 2)), ((3, 5, 30), (1, 2)),
                        ((2, 3, 4, 10), None), ((6, 10), (1, 0)), ((5, 7), None)):
        a = (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dt)
        for norm in ("backward", "ortho", "forward"):
            for f, ref in ((torch.fft.fftn, np.fft.fftn), (torch.fft.ifftn, np.fft.ifftn)):
                r = f(torch.from_numpy(a), dim=dims, norm=norm)
                e = ref(a.astype("complex128"), axes=dims, norm=norm)
                assert tuple(r.shape) == e.shape and str(r.dtype) == "torch." + dt
                assert np.abs(r.numpy() - e).max() <= tol * np.abs(e).max()


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dt", ["float32", "float64"])
def test_fftn_of_real_input_by_its_one_sided_half(dt, threads):
    """fftn / fft2 of a real input over several dims: the transform one-sided
    along the last of the dims (the CPU backend's transforms where they take
    it, pocketfft otherwise), the other half its conjugate mirror; against
    numpy.fft in complex128, the mirrored half exactly Hermitian."""
    rng = np.random.default_rng(21)
    tol = 1e-5 if dt == "float32" else 1e-13
    cases = [((64, 64), None, None), ((16, 16, 64), None, None), ((3, 32, 48), (1, 2), None),
             ((16, 4, 40), (0, 2), None), ((1, 40), None, None), ((40, 1), None, None),
             ((20, 2), None, None), ((4, 5, 6), (2, 0), None), ((7, 9), None, None),
             ((2, 3, 4, 6), (0, 1, 3), None), ((6, 8), (0, 1), (4, 10)), ((6, 8), (0, 1), (7, 5))]

    def run():
        for shape, dims, sizes in cases:
            a = rng.standard_normal(shape).astype(dt)
            for norm in ("backward", "ortho", "forward"):
                r = torch.fft.fftn(torch.from_numpy(a), s=sizes, dim=dims, norm=norm).numpy()
                e = np.fft.fftn(a.astype("float64"), s=sizes, axes=dims, norm=norm)
                assert r.shape == e.shape and r.dtype == ("complex64" if dt == "float32" else "complex128")
                assert np.abs(r - e).max() <= tol * np.abs(e).max()
                axes = list(range(a.ndim)) if dims is None else [d % a.ndim for d in dims]
                mirror = np.conj(r)
                for d in axes:
                    mirror = np.roll(np.flip(mirror, d), 1, d)
                last = axes[-1]
                half = (slice(None),) * last + (slice(r.shape[last] // 2 + 1, None),)
                assert np.array_equal(r[half], mirror[half])
        a = rng.standard_normal((64, 64)).astype(dt)
        full = torch.fft.fft2(torch.from_numpy(a)).numpy()
        assert np.array_equal(full[:, :33], torch.fft.rfft2(torch.from_numpy(a)).numpy())
        # a strided input and out=
        b = rng.standard_normal((32, 80)).astype(dt)
        v = torch.from_numpy(b)[:, ::2]
        e = np.fft.fft2(b[:, ::2].astype("float64"))
        assert np.abs(torch.fft.fft2(v).numpy() - e).max() <= tol * np.abs(e).max()
        o = torch.empty(32, 40, dtype=torch.complex64 if dt == "float32" else torch.complex128)
        assert torch.fft.fft2(v, out=o) is o
        assert np.abs(o.numpy() - e).max() <= tol * np.abs(e).max()

    _with_threads(threads, run)


# lengths with every mix of the radices 4, 2, 3 and 5, and lengths with a
# prime factor above 5, which the CPU backend's transforms do not take
DIM_LENGTHS = [1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20, 25, 27, 30, 32, 45, 48, 60, 64, 75, 80,
               100, 120, 125, 243, 256, 360, 1000, 1024]
ODD_LENGTHS = [7, 11, 14, 49, 97]
# columns per outer index: one block of lanes (complex128), a part of one,
# several blocks and a part, several tasks of blocks; with fewer columns than
# a block (16 complex64, 8 complex128) pocketfft takes the dim
DIM_INNER = [8, 17, 40, 16 * 4 * 3 + 5, 3]


def _with_threads(threads, fn):
    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        fn()
    finally:
        torch.set_num_threads(old)


def _c2c_ref(a, axes, norm, inverse):
    wide = a.astype("complex128")
    return (np.fft.ifftn if inverse else np.fft.fftn)(wide, axes=axes, norm=norm)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dt", ["complex64", "complex128"])
def test_transforms_along_a_middle_dim(dt, threads):
    """fft / ifft along a dim other than the last, vectorised across the
    columns of the dims after it (fft_c2c_dim): every radix mix, odd lengths
    that fall back to pocketfft, partial blocks of columns, several outer
    indices, every norm; against numpy.fft in complex128."""
    rng = np.random.default_rng(15)
    tol = 1e-5 if dt == "complex64" else 1e-13

    def run():
        for n in DIM_LENGTHS + ODD_LENGTHS:
            for inner in DIM_INNER:
                outer = 2 if n * inner < 20000 else 1
                shape = (outer, n, inner)
                a = (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dt)
                t = torch.from_numpy(a)
                for norm in ("backward", "ortho", "forward"):
                    for f, inverse in ((torch.fft.fft, False), (torch.fft.ifft, True)):
                        r = f(t, dim=1, norm=norm)
                        e = _c2c_ref(a, (1,), norm, inverse)
                        assert tuple(r.shape) == e.shape and str(r.dtype) == "torch." + dt
                        err = np.abs(r.numpy() - e).max()
                        assert err <= tol * max(1.0, np.abs(e).max()), (n, inner, norm, inverse)
                np.testing.assert_array_equal(t.numpy(), a)      # the input is not written

    _with_threads(threads, run)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("n", [64, 128, 256])
def test_float_columns_of_64_to_256_in_registers(n, threads):
    """complex64 transforms of 128 along a middle dim run in two passes
    through registers, 16 columns a block (on AVX-512; 64 and 256 through
    the lanes' fused passes, checked the same way): blocks in
    chunks whose scratch stays in L1, or all of a task's at once where the
    rows lie a page or more apart (520 columns); a partial last block by the
    lanes' passes; out= the input itself."""
    rng = np.random.default_rng(n)

    def run():
        for inner in (16, 33, 48, 520):
            a = (rng.standard_normal((2, n, inner)) + 1j * rng.standard_normal((2, n, inner))).astype("complex64")
            for f, ref in ((torch.fft.fft, np.fft.fft), (torch.fft.ifft, np.fft.ifft)):
                e = ref(a.astype("complex128"), axis=1)
                r = f(torch.from_numpy(a), dim=1)
                assert np.abs(r.numpy() - e).max() <= 1e-5 * np.abs(e).max(), (n, inner)
                t = torch.from_numpy(a.copy())
                assert f(t, dim=1, out=t).data_ptr() == t.data_ptr()
                assert np.abs(t.numpy() - e).max() <= 1e-5 * np.abs(e).max(), (n, inner)

    _with_threads(threads, run)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dt", ["complex64", "complex128"])
def test_fftn_over_several_middle_dims(dt, threads):
    """fftn / ifftn / fft2 whose dims are all transformed in the CPU
    backend's kernels (the rows of the last dim, fft_c2c_dim along the
    others, the scale in the last pass), dims without the last one, dims in
    any order, and shapes where a dim falls back (an odd length, too few
    columns, a padded or cropped size)."""
    rng = np.random.default_rng(16)
    tol = 1e-5 if dt == "complex64" else 1e-13
    cases = [((64, 64, 64), None, None), ((12, 20, 30), None, None), ((9, 10, 16), (0, 1), None),
             ((5, 25, 8, 8), (2, 0, 1), None), ((4, 6, 6, 12), (1, 3), None), ((256, 256), None, None),
             ((6, 7, 16), None, None), ((16, 3, 4), (0,), None), ((16, 9, 8), (0, 1), (16, 12)),
             ((10, 24), (0,), (9,)), ((3, 8, 40), (0, 1), None)]

    def run():
        for shape, dims, s in cases:
            a = (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dt)
            t = torch.from_numpy(a)
            axes = dims if dims is not None else (tuple(range(len(shape) - len(s), len(shape))) if s else None)
            for norm in ("backward", "ortho", "forward"):
                for f, inverse in ((torch.fft.fftn, False), (torch.fft.ifftn, True)):
                    r = f(t, s=s, dim=dims, norm=norm)
                    wide = a.astype("complex128")
                    e = (np.fft.ifftn if inverse else np.fft.fftn)(wide, s=s, axes=axes, norm=norm)
                    assert tuple(r.shape) == e.shape and str(r.dtype) == "torch." + dt
                    err = np.abs(r.numpy() - e).max()
                    assert err <= tol * max(1.0, np.abs(e).max()), (shape, dims, norm, inverse)
        a = (rng.standard_normal((3, 256, 256)) + 1j * rng.standard_normal((3, 256, 256))).astype(dt)
        r = torch.fft.fft2(torch.from_numpy(a))
        e = np.fft.fft2(a.astype("complex128"))
        assert np.abs(r.numpy() - e).max() <= tol * np.abs(e).max()

    _with_threads(threads, run)


@pytest.mark.parametrize("dt", ["complex64", "complex128"])
def test_middle_dim_strided_inputs(dt):
    """Transposed, step-sliced and offset views along a middle dim (the
    general path copies or hands them to pocketfft): the same values as a
    dense copy's transform."""
    rng = np.random.default_rng(17)
    tol = 1e-5 if dt == "complex64" else 1e-13
    a = (rng.standard_normal((32, 48, 20)) + 1j * rng.standard_normal((32, 48, 20))).astype(dt)
    t = torch.from_numpy(a)
    views = [(t.transpose(0, 2), a.swapaxes(0, 2)), (t[:, ::2], a[:, ::2]), (t[1:, 2:40, 3:], a[1:, 2:40, 3:]),
             (t.permute(1, 0, 2), a.transpose(1, 0, 2))]
    for v, av in views:
        for dims in ((0,), (1,), (0, 1), (0, 1, 2)):
            for norm in ("backward", "ortho"):
                r = torch.fft.fftn(v, dim=dims, norm=norm)
                e = np.fft.fftn(av.astype("complex128"), axes=dims, norm=norm)
                assert np.abs(r.numpy() - e).max() <= tol * np.abs(e).max()
                r = torch.fft.fftn(v.contiguous(), dim=dims, norm=norm)
                assert np.abs(r.numpy() - e).max() <= tol * np.abs(e).max()


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dt", ["float32", "float64"])
def test_rfftn_irfftn_hfftn_middle_dims(dt, threads):
    """rfftn (one-sided rows, then fft_c2c_dim in place), irfftn and hfftn
    (fft_c2c_dim over the other dims, then the one-sided rows) against
    numpy.fft, every norm, a fallback for an odd length and few columns."""
    rng = np.random.default_rng(18)
    tol = 1e-5 if dt == "float32" else 1e-13
    cdt = "complex64" if dt == "float32" else "complex128"
    cases = [((64, 64, 64), None), ((12, 20, 30), None), ((15, 8, 40), (0, 2)), ((25, 16), None),
             ((7, 32), None), ((27, 4), None), ((3, 5, 6), (0, 2)), ((6, 9, 100), (1, 2))]

    def run():
        for shape, dims in cases:
            x = rng.standard_normal(shape).astype(dt)
            axes = dims if dims is not None else tuple(range(len(shape)))
            for norm in ("backward", "ortho", "forward"):
                r = torch.fft.rfftn(torch.from_numpy(x), dim=dims, norm=norm)
                e = np.fft.rfftn(x.astype("float64"), axes=axes, norm=norm)
                assert tuple(r.shape) == e.shape and str(r.dtype) == "torch." + cdt
                assert np.abs(r.numpy() - e).max() <= tol * max(1.0, np.abs(e).max()), (shape, norm)
                h = e.astype(cdt)
                hw = h.astype("complex128")
                s_ = [shape[d] for d in axes]
                for f, ref in ((torch.fft.irfftn, np.fft.irfftn), (torch.fft.hfftn, None)):
                    r = f(torch.from_numpy(h), s=s_, dim=dims, norm=norm)
                    if ref is not None:
                        e2 = ref(hw, s=s_, axes=axes, norm=norm)
                    else:
                        # hfftn: irfftn of the conjugate, scaled the other way
                        other = {"backward": "forward", "forward": "backward", "ortho": "ortho"}[norm]
                        e2 = np.fft.irfftn(np.conj(hw), s=s_, axes=axes, norm=other)
                    assert str(r.dtype) == "torch." + dt and tuple(r.shape) == e2.shape
                    assert np.abs(r.numpy() - e2).max() <= tol * max(1.0, np.abs(e2).max()), (shape, norm)

    _with_threads(threads, run)


@pytest.mark.parametrize("dt", ["float64", "complex128"])
def test_gradcheck_middle_dim_transforms(dt):
    """Gradients through the transforms along a middle dim: fft / ifft along
    dim 0 with enough columns for fft_c2c_dim, fftn, rfftn and irfftn over
    several dims."""
    rng = np.random.default_rng(19)
    is_c = dt == "complex128"
    src = rng.standard_normal((6, 8))
    if is_c:
        src = src + 1j * rng.standard_normal((6, 8))
    x = _real_in(src)

    def as_in(xr):
        return torch.view_as_complex(xr) if is_c else xr

    for fn in (lambda t: torch.fft.fft(t, dim=0), lambda t: torch.fft.ifft(t, dim=0, norm="ortho"),
               lambda t: torch.fft.fftn(t, norm="forward"), lambda t: torch.fft.ifft2(t)):
        assert torch.autograd.gradcheck(lambda xr: _real_out(fn(as_in(xr))), (x,))
    if not is_c:
        assert torch.autograd.gradcheck(lambda xr: _real_out(torch.fft.rfftn(xr, norm="ortho")), (x,))
    else:
        h = _real_in(rng.standard_normal((8, 8, 5)) + 1j * rng.standard_normal((8, 8, 5)))
        assert torch.autograd.gradcheck(
            lambda xr: torch.fft.irfftn(torch.view_as_complex(xr), s=(8, 8, 8)), (h,))


def test_last_dim_fast_path_matches_general_path():
    """The 1-d transforms along the last dim that take the short call
    (dense, no n change, no out=) give what the general path gives (dim
    spelled out, out=), record their gradient and keep PyTorch's errors."""
    rng = np.random.default_rng(20)
    a = (rng.standard_normal((3, 240)) + 1j * rng.standard_normal((3, 240)))
    x = rng.standard_normal((3, 240))
    t, tx = torch.from_numpy(a), torch.from_numpy(x)
    for norm in (None, "backward", "ortho", "forward"):
        for f, arg, kw in ((torch.fft.fft, t, {}), (torch.fft.ifft, t, {}), (torch.fft.rfft, tx, {}),
                           (torch.fft.irfft, t[:, :121].contiguous(), {"n": 240}),
                           (torch.fft.hfft, t[:, :121].contiguous(), {"n": 240}),
                           (torch.fft.irfft, t[:, :121].contiguous(), {}),
                           (torch.fft.hfft, t[:, :121].contiguous(), {})):
            r = f(arg, norm=norm, **kw)
            o = torch.empty(r.shape, dtype=r.dtype)
            g = f(arg, dim=1, norm=norm, out=o, **kw)
            np.testing.assert_allclose(r.numpy(), g.numpy(), rtol=1e-13, atol=1e-12)
    h = torch.from_numpy(a[:, :121].copy())
    np.testing.assert_allclose(torch.fft.hfft(h, norm="forward").numpy(),
                               np.fft.hfft(a[:, :121], norm="forward"), rtol=1e-12, atol=1e-12)
    y = torch.from_numpy(x).requires_grad_(True)
    r = torch.fft.rfft(y)
    assert type(r.grad_fn).__name__ == "FftR2CBackward0"
    r.abs().sum().backward()
    assert y.grad is not None and y.grad.shape == y.shape
    with pytest.raises(RuntimeError, match="Invalid normalization mode"):
        torch.fft.fft(t, norm="bad")
    with pytest.raises(IndexError, match="Dimension out of range"):
        torch.fft.rfft(tx, dim=2)


@pytest.mark.parametrize("dt", ["complex64", "complex128"])
def test_nd_fast_path_matches_general_path(dt):
    """fftn / ifftn / fft2 / ifft2 of a dense complex tensor that take the
    short call (no s, no out=, no gradient) give exactly what the general
    path gives (out=), over every dims spelling (None, an int, negative,
    unordered, without the last dim), each norm; a dim repeated, out of
    range or a bad norm still raise PyTorch's errors, and a tensor that
    needs its gradient records it."""
    rng = np.random.default_rng(21)
    for shape, dims in (((8, 16, 32), None), ((8, 16, 32), (0, 2)), ((8, 16, 32), (-1, 0)),
                        ((8, 16, 32), (1, 0)), ((8, 16, 32), 1), ((6, 10, 12), (0, 1)),
                        ((32, 32), None), ((4, 6, 8, 10), (2, 0, 3)), ((10,), None), ((3, 7, 16), None)):
        a = (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dt)
        t = torch.from_numpy(a)
        for norm in (None, "backward", "ortho", "forward"):
            for f, ref in ((torch.fft.fftn, np.fft.fftn), (torch.fft.ifftn, np.fft.ifftn)):
                r = f(t, dim=dims, norm=norm)
                o = torch.empty(r.shape, dtype=r.dtype)
                g = f(t, dim=dims, norm=norm, out=o)
                np.testing.assert_array_equal(r.numpy(), g.numpy())
                e = ref(a.astype("complex128"), axes=(dims,) if type(dims) is int else dims, norm=norm)
                tol = 1e-5 if dt == "complex64" else 1e-13
                assert np.abs(r.numpy() - e).max() <= tol * np.abs(e).max()
    # real inputs: rfftn, and fftn by the one-sided half and its mirror
    rd = "float32" if dt == "complex64" else "float64"
    for shape, dims in (((8, 16, 32), None), ((8, 16, 32), (0, 2)), ((8, 16, 32), (1, 0, -1)),
                        ((8, 16, 32), -1), ((32, 32), None), ((6, 10, 12), (0, 1)),
                        ((4, 6, 8, 10), (2, 0, 3)), ((8, 16, 30), None), ((8, 16, 31), None)):
        a = rng.standard_normal(shape).astype(rd)
        t = torch.from_numpy(a)
        for norm in (None, "ortho", "forward"):
            for f, ref in ((torch.fft.rfftn, np.fft.rfftn), (torch.fft.fftn, np.fft.fftn)):
                r = f(t, dim=dims, norm=norm)
                o = torch.empty(r.shape, dtype=r.dtype)
                # (one dim of a real input: as fft's short call takes it)
                g = (torch.fft.fft(t, norm=norm) if type(dims) is int and f is torch.fft.fftn
                     else f(t, dim=dims, norm=norm, out=o))
                np.testing.assert_array_equal(r.numpy(), g.numpy())
                e = ref(a.astype("float64"), axes=(dims,) if type(dims) is int else dims, norm=norm)
                assert tuple(r.shape) == e.shape and r.dtype == getattr(torch, dt)
                tol = 1e-5 if dt == "complex64" else 1e-13
                assert np.abs(r.numpy() - e).max() <= tol * np.abs(e).max()
    with pytest.raises(RuntimeError, match="rfftn expects a real-valued input tensor"):
        torch.fft.rfft2(torch.ones(4, 4, dtype=getattr(torch, dt)))
    t = torch.from_numpy((rng.standard_normal((4, 8)) + 1j * rng.standard_normal((4, 8))).astype(dt))
    np.testing.assert_array_equal(torch.fft.fft2(t).numpy(), torch.fft.fftn(t, dim=(-2, -1)).numpy())
    np.testing.assert_array_equal(torch.fft.ifft2(t).numpy(), torch.fft.ifftn(t, dim=(0, 1)).numpy())
    with pytest.raises(RuntimeError, match="FFT dims must be unique"):
        torch.fft.fftn(t, dim=(0, 0))
    with pytest.raises(IndexError, match="Dimension out of range"):
        torch.fft.fftn(t, dim=(0, 2))
    with pytest.raises(RuntimeError, match="Invalid normalization mode"):
        torch.fft.ifft2(t, norm="bad")
    y = t.clone().requires_grad_(True)
    r = torch.fft.fftn(y)
    assert type(r.grad_fn).__name__ == "FftC2CBackward0"
