"""torch.linalg on the emulated CUDA device against the CPU: every function
with CUDA inputs gives the CPU's values on the device, records its history on
the device (gradients equal the CPU's, on the device), keeps the CPU's errors,
and refuses inputs on two devices.

Run by tests/test_cuda_families.py (and tests/cuda/ on a GPU): see _cases.py."""

import numpy as np

import ctorch as torch

import _cases  # noqa: E402  (tests/cuda_cases/_cases.py: the device)
_cases.setup()
fails, n = [], 0
rng = np.random.default_rng(0)


def spd(batch, k, dtype):
    a = rng.standard_normal(batch + (k, k))
    if dtype.is_complex:
        a = a + 1j * rng.standard_normal(batch + (k, k))
    a = a @ np.conj(np.swapaxes(a, -1, -2)) + k * np.eye(k)
    return torch.tensor(a, dtype=dtype)


def leaves(x):
    return [x] if isinstance(x, torch.Tensor) else [v for v in x if isinstance(v, torch.Tensor)]


def loss(r):
    """A real scalar of the results that does not depend on the factors' sign
    conventions (q/r, u/v are unique up to signs or phases)."""
    return sum((v.abs() ** 2).sum() if v.numel() else v.sum().abs() for v in leaves(r))


CASES = [  # name, function, inputs, differentiable
    ("inv", lambda A: torch.linalg.inv(A), ("A",), True),
    ("inv_ex", lambda A: torch.linalg.inv_ex(A), ("A",), True),
    ("det", lambda A: torch.linalg.det(A), ("A",), True),
    ("slogdet", lambda A: torch.linalg.slogdet(A), ("A",), False),
    ("solve", lambda A, B: torch.linalg.solve(A, B), ("A", "B"), True),
    ("solve vector", lambda A, b: torch.linalg.solve(A, b), ("A", "b"), True),
    ("solve right", lambda A, B: torch.linalg.solve(A, B.mT, left=False), ("A", "B"), True),
    ("cholesky", lambda A: torch.linalg.cholesky(A), ("A",), True),
    ("cholesky upper", lambda A: torch.linalg.cholesky(A, upper=True), ("A",), True),
    ("cholesky_ex", lambda A: torch.linalg.cholesky_ex(A), ("A",), True),
    ("qr", lambda A: torch.linalg.qr(A), ("A",), True),
    ("qr complete", lambda A: torch.linalg.qr(A, mode="complete"), ("A",), False),
    ("qr r", lambda A: torch.linalg.qr(A, mode="r"), ("A",), False),
    ("svd", lambda A: torch.linalg.svd(A, full_matrices=False), ("A",), True),
    ("svdvals", lambda A: torch.linalg.svdvals(A), ("A",), True),
    ("eigh", lambda A: torch.linalg.eigh(A), ("A",), True),
    ("eigvalsh", lambda A: torch.linalg.eigvalsh(A, UPLO="U"), ("A",), True),
    ("torch.svd", lambda A: torch.svd(A), ("A",), False),
    ("torch.svd no uv", lambda A: torch.svd(A, compute_uv=False), ("A",), False),
    ("torch.qr", lambda A: torch.qr(A), ("A",), False),
    ("vecdot", lambda A: torch.linalg.vecdot(A, A), ("A",), True),
    ("diagonal", lambda A: torch.linalg.diagonal(A), ("A",), True),
]


def inputs(names, dtype):
    made = {"A": spd((2, 3), 4, dtype), "B": torch.tensor(rng.standard_normal((2, 3, 4, 2)), dtype=dtype),
            "b": torch.tensor(rng.standard_normal((2, 3, 4)), dtype=dtype)}
    return [made[k] for k in names]


for dtype in (torch.float32, torch.float64, torch.complex128):
    tol = 1e-4 if dtype == torch.float32 else 1e-9
    for name, f, names, diff in CASES:
        if f.__code__.co_argcount != len(names):
            names = names + ("B",)
        cpu = inputs(names, dtype)
        dev = [x.cuda() for x in cpu]
        want_grad = diff and dtype != torch.float32
        if want_grad:
            cpu = [x.requires_grad_() for x in cpu]
            dev = [x.detach().requires_grad_() for x in dev]
        n += 1
        try:
            rc, rd = f(*cpu), f(*dev)
        except Exception as e:  # noqa: BLE001
            fails.append(f"{name} {dtype}: {e!r}")
            continue
        for c, d in zip(leaves(rc), leaves(rd)):
            if d.device.type != "cuda" or d.dtype != c.dtype or d.shape != c.shape:
                fails.append(f"{name} {dtype}: {d.device} {d.dtype} {tuple(d.shape)} vs "
                             f"{c.device} {c.dtype} {tuple(c.shape)}")
            elif not np.allclose(np.abs(d.detach().cpu().numpy()), np.abs(c.detach().numpy()), rtol=tol, atol=tol):
                fails.append(f"{name} {dtype}: values differ")
        if want_grad:
            loss(rc).backward()
            loss(rd).backward()
            for c, d in zip(cpu, dev):
                if d.grad is None or d.grad.device.type != "cuda" or \
                        not np.allclose(d.grad.cpu().numpy(), c.grad.numpy(), rtol=1e-7, atol=1e-9):
                    fails.append(f"{name} {dtype}: gradient differs")

# the CPU's errors, on the device
for name, f in [("singular inv", lambda d: torch.linalg.inv(torch.zeros(2, 3, 3, device=d))),
                ("not positive-definite", lambda d: torch.linalg.cholesky(-torch.eye(3, device=d))),
                ("singular solve", lambda d: torch.linalg.solve(torch.zeros(3, 3, device=d), torch.ones(3, device=d))),
                ("not square", lambda d: torch.linalg.det(torch.ones(2, 3, device=d))),
                ("integer", lambda d: torch.linalg.inv(torch.ones(2, 2, dtype=torch.int64, device=d))),
                ("qr mode", lambda d: torch.linalg.qr(torch.ones(2, 2, device=d), mode="full")),
                ("eigh UPLO", lambda d: torch.linalg.eigh(torch.eye(2, device=d), UPLO="X"))]:
    n += 1
    errs = []
    for d in ("cpu", "cuda"):
        try:
            f(d)
            errs.append(None)
        except Exception as e:  # noqa: BLE001
            errs.append((type(e), str(e)))
    if errs[0] is None or errs[0] != errs[1]:
        fails.append(f"error {name}: CPU {errs[0]} vs device {errs[1]}")

n += 1
A = torch.tensor(spd((3,), 4, torch.float64))
# (the CPU's own bidiagonal reduction and the device's LAPACK round apart)
if not torch.allclose(torch.linalg.svd(A.cuda(), driver="gesvdj").S.cpu(), torch.linalg.svd(A).S,
                      rtol=1e-13, atol=0):
    fails.append("svd with a cuSOLVER driver name")
n += 1
info = torch.linalg.inv_ex(torch.zeros(2, 2, 2, device="cuda")).info
if info.device.type != "cuda" or info.cpu().tolist() != [1, 1]:
    fails.append(f"inv_ex info {info}")
for name, f in [("solve", lambda: torch.linalg.solve(torch.eye(2, device="cuda"), torch.ones(2))),
                ("svd driver", lambda: torch.linalg.svd(torch.eye(2), driver="gesvdj"))]:
    n += 1
    try:
        f()
        fails.append(f"{name}: no error")
    except RuntimeError:
        pass

_cases.finish(n, fails)
