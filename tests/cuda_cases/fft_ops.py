"""torch.fft on the emulated CUDA device against the CPU (numpy's pocketfft):
every function of ctorch.fft, lengths that are powers of two (the Stockham
kernels, in shared memory and as global passes) and lengths that are not
(Bluestein), complex64/complex128 and float32/float64 (and integer) inputs,
batched rows, non-last and non-contiguous dims, the three norms, n / s
shorter and longer than the input, out=, the errors (same type and message)
and the gradients.

Tolerances are relative to the largest magnitude of the CPU's result:
complex64 / float32 1e-5 * sqrt(log2 n + 1), complex128 / float64 1e-12.

Run by tests/test_cuda_families.py (and tests/cuda/ on a GPU): see _cases.py."""
import math
import warnings

import numpy as np

import ctorch as torch

import _cases  # noqa: E402  (tests/cuda_cases/_cases.py: the device)
_cases.setup()


rng = np.random.default_rng(0)
fails, n_cases = [], 0
F = torch.fft

LENGTHS = [1, 2, 3, 5, 7, 8, 16, 17, 100, 128, 1000, 1024, 2048, 4096, 4097]
DTYPES = [torch.complex64, torch.complex128, torch.float32, torch.float64]
NORMS = [None, "backward", "ortho", "forward"]
SINGLE = (torch.float32, torch.complex64)


def data(shape, dt):
    a = rng.standard_normal(shape)
    if dt.is_complex:
        a = a + 1j * rng.standard_normal(shape)
    return torch.tensor(a).to(dt)


def tol(dt, n):
    return 1e-5 * math.sqrt(math.log2(max(n, 1)) + 1) if dt in SINGLE else 1e-12


def run(f, x):
    try:
        return f(x), None
    except Exception as e:  # noqa: BLE001 - the CPU's exception is the expectation
        return None, e


def compare(name, f, x, n=None, dt=None):
    """f on CPU tensor x and on its device copy: same results (within the
    tolerance for the transform length n) or the same error."""
    if not _cases.take():
        return
    global n_cases
    n_cases += 1
    c, ce = run(f, x)
    d, de = run(f, x.cuda())
    if ce is not None or de is not None:
        if type(ce) is not type(de) or str(ce) != str(de):
            fails.append(f"{name}: CPU {ce!r} vs device {de!r}")
        return
    if d.device.type != "cuda":
        fails.append(f"{name}: result on {d.device}")
        return
    if d.dtype != c.dtype or tuple(d.shape) != tuple(c.shape):
        fails.append(f"{name}: {d.dtype}{tuple(d.shape)} vs {c.dtype}{tuple(c.shape)}")
        return
    cn, dn = c.numpy(), d.cpu().numpy()
    if cn.size == 0:
        return
    if n is None:
        n = max(max(x.shape, default=1), max(c.shape, default=1))
    scale = np.abs(cn).max()
    err = np.abs(dn - cn).max()
    t = tol(dt or c.dtype, n)
    if not (err <= t * max(scale, 1e-300)) and not (scale == 0 and err == 0):
        fails.append(f"{name}: relative error {err / max(scale, 1e-300):.3g} > {t:.3g}")


# ---------------------------------------------------------- 1-d, every length
ONE_D = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft"]
k = 0
for L in LENGTHS:
    for dt in DTYPES:
        x = data((3, L), dt)
        for fname in ONE_D:
            k += 1
            norm = NORMS[k % 4]
            # n: the input's, shorter, longer (rotating)
            choice = k % 3
            n = None if choice == 0 else (max(L - 1, 1) if choice == 1 else L + 3)
            fn = getattr(F, fname)
            compare(f"{fname} L={L} n={n} {dt} norm={norm}",
                    lambda t, fn=fn, n=n, norm=norm: fn(t, n=n, norm=norm), x,
                    n=max(L, n or 0, 2 * L))

# every norm, and n the input's, shorter, longer (over the norms in turn)
for L in (6, 16, 17):
    for dt in DTYPES:
        x = data((5, L), dt)
        for fname in ONE_D:
            for i, norm in enumerate(NORMS):
                n = (None, L // 2, L + 5, 2 * L)[(i + k) % 4]
                k += 1
                fn = getattr(F, fname)
                compare(f"{fname} L={L} n={n} {dt} norm={norm}",
                        lambda t, fn=fn, n=n, norm=norm: fn(t, n=n, norm=norm), x, n=2 * L + 10)

# many rows: several blocks and groups of the shared-memory kernel (more
# groups than blocks: 130 rows of 1024 complex128, a row a group), and the
# global passes over many rows
for dt, shape in [(torch.complex64, (40, 1024)), (torch.complex128, (130, 1024)),
                  (torch.complex64, (3000, 8)), (torch.complex128, (70, 2048)),
                  (torch.complex64, (9, 4097)), (torch.float64, (40, 1000))]:
    x = data(shape, dt)
    compare(f"fft {shape} {dt}", lambda t: F.fft(t), x)
    if shape[0] < 100:
        compare(f"ifft {shape} {dt}", lambda t: F.ifft(t, norm="ortho"), x)

# one long row of each path
for L, dt in [(1 << 14, torch.complex64), (1 << 13, torch.complex128), (12289, torch.complex128),
              (30000, torch.float32)]:
    x = data((L,), dt)
    compare(f"fft L={L} {dt}", lambda t: F.fft(t), x)
    compare(f"rfft L={L} {dt}" if not dt.is_complex else f"ifft L={L} {dt}",
            (lambda t: F.rfft(t)) if not dt.is_complex else (lambda t: F.ifft(t)), x)

# non-last dims, non-contiguous inputs, integer and bool inputs
for dt in DTYPES:
    x = data((4, 7, 6), dt)
    for fname in ONE_D:
        fn = getattr(F, fname)
        compare(f"{fname} dim=1 {dt}", lambda t, fn=fn: fn(t, dim=1), x)
        compare(f"{fname} dim=0 n=9 {dt}", lambda t, fn=fn: fn(t, n=9, dim=0, norm="ortho"), x)
        compare(f"{fname} of a transpose {dt}", lambda t, fn=fn: fn(t.transpose(0, 2), dim=1), x)
        compare(f"{fname} of a slice {dt}", lambda t, fn=fn: fn(t[:, ::2, 1:], dim=-1), x)
        compare(f"{fname} of a 1-d {dt}", lambda t, fn=fn: fn(t[1, 2]), x)
compare("fft of int64", lambda t: F.fft(t), torch.tensor(rng.integers(-9, 9, (3, 10))))
compare("rfft of int32", lambda t: F.rfft(t, dim=0), torch.tensor(rng.integers(-9, 9, (5, 4)), dtype=torch.int32))
compare("irfft of bool", lambda t: F.irfft(t), torch.tensor(rng.integers(0, 2, (3, 6))).bool())
compare("fft of a 0-length batch", lambda t: F.fft(t), data((0, 8), torch.complex64))
compare("rfft n=1", lambda t: F.rfft(t, n=1), data((3, 5), torch.float64))
compare("irfft n=1", lambda t: F.irfft(t, n=1), data((3, 5), torch.complex128))
compare("fft of a scalar-like", lambda t: F.fft(t.reshape(1)), data((1,), torch.complex128))

# ---------------------------------------------------------- n-d
ND = ["fftn", "ifftn", "rfftn", "irfftn", "hfftn", "ihfftn"]
TWO_D = ["fft2", "ifft2", "rfft2", "irfft2", "hfft2", "ihfft2"]
for dt in DTYPES:
    x = data((3, 6, 5, 4), dt)
    for fname in ND:
        fn = getattr(F, fname)
        for s, dim, norm in [(None, None, None), (None, (1, 2), "ortho"), ((4, 7), (0, 3), "forward"),
                             ((8, -1), None, "backward"), ((3, 5, 6), (3, 1, 0), None), (None, -1, "ortho"),
                             ((2,), (2,), None), ((9, 2, 3, 4), None, "forward"), (None, (-1, 1), None)]:
            compare(f"{fname} s={s} dim={dim} norm={norm} {dt}",
                    lambda t, fn=fn, s=s, dim=dim, norm=norm: fn(t, s=s, dim=dim, norm=norm), x, n=400)
    for fname in TWO_D:
        fn = getattr(F, fname)
        for s, dim, norm in [(None, (-2, -1), None), ((5, 9), (0, 2), "ortho"), ((4, 4), (3, 1), "forward"),
                             (None, (0, 1), "backward")]:
            compare(f"{fname} s={s} dim={dim} norm={norm} {dt}",
                    lambda t, fn=fn, s=s, dim=dim, norm=norm: fn(t, s=s, dim=dim, norm=norm), x, n=400)
    compare(f"fft2 of a transpose {dt}", lambda t: F.fft2(t.transpose(1, 3)), x)
    compare(f"irfftn of a slice {dt}", lambda t: F.irfftn(t[:, 1::2], dim=(1, 2)), x)
compare("fft2 of 100 x 17", lambda t: F.fft2(t), data((100, 17), torch.complex64), n=1700)
compare("rfftn of 16 x 1000", lambda t: F.rfftn(t), data((16, 1000), torch.float64))

# ---------------------------------------------------------- errors (as the CPU)
xr, xc, xh = data((4, 6), torch.float64), data((4, 6), torch.complex128), torch.ones(4, 8, dtype=torch.float16)
for name, f, x in [
    ("bad norm", lambda t: F.fft(t, norm="both"), xc),
    ("n=0", lambda t: F.fft(t, n=0), xc),
    ("n=-3", lambda t: F.rfft(t, n=-3), xr),
    ("dim out of range", lambda t: F.ifft(t, dim=2), xc),
    ("rfft of complex", lambda t: F.rfft(t), xc),
    ("ihfft of complex", lambda t: F.ihfft(t), xc),
    ("rfftn of complex", lambda t: F.rfftn(t), xc),
    ("rfft2 of complex", lambda t: F.rfft2(t), xc),
    ("ihfft2 of complex", lambda t: F.ihfft2(t), xc),
    ("ihfftn of complex", lambda t: F.ihfftn(t), xc),
    ("fft of half", lambda t: F.fft(t), xh),
    ("rfft of half", lambda t: F.rfft(t), xh),
    ("irfft of length 1", lambda t: F.irfft(t), data((3, 1), torch.complex64)),
    ("hfft of length 1", lambda t: F.hfft(t), data((3, 1), torch.complex64)),
    ("s and dim lengths", lambda t: F.fftn(t, s=(3, 4), dim=(0,)), xc),
    ("duplicate dims", lambda t: F.fftn(t, dim=(1, 1)), xc),
    ("s longer than ndim", lambda t: F.fftn(t, s=(2, 3, 4)), xc),
    ("s with 0", lambda t: F.rfftn(t, s=(0, 4)), xr),
    ("n not an int", lambda t: F.fft(t, n=2.5), xc),
    ("irfftn no dims", lambda t: F.irfftn(t, dim=()), xc),
    ("rfftn no dims", lambda t: F.rfftn(t, dim=()), xr),
    ("fft of a 0-d", lambda t: F.fft(t[0, 0]), xc),
]:
    compare(f"error: {name}", f, x)

# ---------------------------------------------------------- out=
for fname, x, kw in [("fft", xc, {}), ("rfft", xr, {"n": 10}), ("irfft", xc, {}), ("ihfft", xr, {}),
                     ("fftn", xc, {"s": (3, 5)})]:
    fn = getattr(F, fname)
    c = fn(x, **kw)
    for shape in (tuple(c.shape), (0,)):
        o = torch.empty(shape, dtype=c.dtype, device="cuda")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = fn(x.cuda(), out=o, **kw)
        n_cases += 1
        if r is not o or o.device.type != "cuda" or not np.allclose(o.cpu().numpy(), c.numpy(), rtol=1e-12,
                                                                    atol=1e-12):
            fails.append(f"{fname} out= of shape {shape}")
compare("fft out= of a real dtype", lambda t: F.fft(t, out=torch.empty(4, 6, dtype=torch.float64, device=t.device)),
        xc)

# ---------------------------------------------------------- helpers
for n in (0, 1, 2, 5, 8, 17):
    for d in (1.0, 0.25):
        for fname in ("fftfreq", "rfftfreq"):
            fn = getattr(F, fname)
            n_cases += 1
            c, g = fn(n, d, dtype=torch.float64), fn(n, d, dtype=torch.float64, device="cuda")
            if g.device.type != "cuda" or not np.allclose(g.cpu().numpy(), c.numpy(), rtol=1e-15, atol=0,
                                                          equal_nan=True):
                fails.append(f"{fname}({n}, {d}) on the device")
n_cases += 1
g = F.fftfreq(7, device="cuda", dtype=torch.float32, requires_grad=True)
if g.device.type != "cuda" or not g.requires_grad or g.dtype != torch.float32:
    fails.append("fftfreq with device, dtype and requires_grad")
y = data((5, 6, 7), torch.float32)
for fname in ("fftshift", "ifftshift"):
    fn = getattr(F, fname)
    for dim in (None, 1, (0, 2), -1, ()):
        compare(f"{fname} dim={dim}", lambda t, fn=fn, dim=dim: fn(t, dim=dim), y)
    compare(f"{fname} of a spectrum", lambda t, fn=fn: fn(F.fft2(t)), y)

# ---------------------------------------------------------- gradients (device = CPU)
def loss(y, w):
    if y.dtype.is_complex:
        return (y.real * w[0] + y.imag * w[1]).sum()
    return (y * w[0]).sum()


def grad_of(f, a, dev, create_graph=False):
    """The gradient of a weighted sum of f(x) (with create_graph: of its
    squares, then the gradient of the squared gradient)."""
    x = torch.tensor(a, device=dev, requires_grad=True)
    y = f(x)
    wr = np.random.default_rng(7)
    w = [torch.tensor(wr.standard_normal(tuple(y.shape)), dtype=torch.float64, device=dev).to(
        torch.float32 if y.dtype in SINGLE else torch.float64)
        for _ in range(2)]
    if create_graph:
        y = y * y
    (g,) = torch.autograd.grad(loss(y, w), x, create_graph=create_graph)
    if create_graph:
        (g,) = torch.autograd.grad((g.real ** 2 + g.imag ** 2).sum() if g.dtype.is_complex else (g ** 2).sum(), x)
    return g


GRADS = [
    ("fft", lambda t: F.fft(t), True), ("fft n=5", lambda t: F.fft(t, n=5, norm="ortho"), True),
    ("ifft n=11 dim=0", lambda t: F.ifft(t, n=11, dim=0), True), ("fft of real", lambda t: F.fft(t), False),
    ("rfft", lambda t: F.rfft(t), False), ("rfft n=9 forward", lambda t: F.rfft(t, n=9, norm="forward"), False),
    ("irfft", lambda t: F.irfft(t), True), ("irfft n=7", lambda t: F.irfft(t, n=7, norm="ortho"), True),
    ("irfft of real", lambda t: F.irfft(t, n=10), False),
    ("hfft", lambda t: F.hfft(t, n=9), True), ("ihfft", lambda t: F.ihfft(t), False),
    ("fft2", lambda t: F.fft2(t, s=(3, 16)), True), ("rfft2", lambda t: F.rfft2(t), False),
    ("irfft2", lambda t: F.irfft2(t, s=(5, 7)), True), ("hfftn", lambda t: F.hfftn(t, dim=(0, 1)), True),
    ("ihfftn", lambda t: F.ihfftn(t, s=(4, 5)), False), ("ifftn forward", lambda t: F.ifftn(t, norm="forward"), True),
    ("fft of 17", lambda t: F.fft(t, n=17, dim=1), True), ("rfftn", lambda t: F.rfftn(t, s=(6, 12)), False),
]
for name, f, cplx in GRADS:
    a = rng.standard_normal((4, 6))
    if cplx:
        a = a + 1j * rng.standard_normal((4, 6))
    for create_graph in (False, True):
        n_cases += 1
        try:
            gc = grad_of(f, a, "cpu", create_graph)
            gd = grad_of(f, a, "cuda", create_graph)
        except Exception as e:  # noqa: BLE001
            fails.append(f"gradient of {name} (create_graph={create_graph}): {e!r}")
            continue
        if gd.device.type != "cuda" or gd.dtype != gc.dtype or not np.allclose(
                gd.cpu().numpy(), gc.numpy(), rtol=1e-10, atol=1e-10):
            fails.append(f"gradient of {name} (create_graph={create_graph})")
# complex64 gradients
for name, f, cplx in GRADS[:8]:
    a = rng.standard_normal((3, 8)).astype(np.float32)
    if cplx:
        a = (a + 1j * rng.standard_normal((3, 8))).astype(np.complex64)
    n_cases += 1
    gc, gd = grad_of(f, a, "cpu"), grad_of(f, a, "cuda")
    if gd.device.type != "cuda" or gd.dtype != gc.dtype or not np.allclose(gd.cpu().numpy(), gc.numpy(),
                                                                           rtol=1e-4, atol=1e-4):
        fails.append(f"single-precision gradient of {name}")

# out= on another device is refused, as for every op
n_cases += 1
try:
    torch.fft.fft(torch.ones(4, dtype=torch.complex64, device="cuda"), out=torch.empty(4, dtype=torch.complex64))
    fails.append("fft with a CPU out= for a device input: no error")
except RuntimeError as e:
    if "Expected all tensors to be on the same device" not in str(e):
        fails.append(f"fft with a CPU out=: {e}")

_cases.finish(n_cases, fails)
