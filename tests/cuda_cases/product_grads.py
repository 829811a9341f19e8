"""Gradients through the matrix products on the emulated CUDA device, against
the CPU's.

Run by tests/test_cuda_families.py (and tests/cuda/ on a GPU): see _cases.py."""
import sys
import numpy as np
import ctorch as torch
import _cases  # noqa: E402  (tests/cuda_cases/_cases.py: the device)
_cases.setup()

torch.manual_seed(0)
n_ok, fails = 0, []

def rnd(shape, dt):
    return torch.randn(shape, dtype=dt) if dt.is_complex else torch.randn(shape).to(dt)

def close(a, b, dt):
    a = a.numpy().astype(np.complex128); b = b.numpy().astype(np.complex128)
    tol = 1e-4 if dt in (torch.float32, torch.complex64) else 1e-11
    return np.abs(a - b).max() / max(1.0, np.abs(a).max()) <= tol if a.size else True

def grad_case(name, fn, shapes, dt):
    global n_ok
    if ("[reduce]" in name) != ("reduce" in sys.argv):
        return
    xs = [rnd(s, dt) for s in shapes]
    cpu = [x.clone().requires_grad_() for x in xs]
    dev = [x.cuda().requires_grad_() for x in xs]
    try:
        rc = fn(*cpu)
        g = rnd(tuple(rc.shape), dt)
        rc.backward(g)
        rd = fn(*dev)
        if str(rd.device) != "cuda:0":
            fails.append((name, "result on " + str(rd.device))); return
        rd.backward(g.cuda())
    except Exception as e:
        fails.append((name, f"{type(e).__name__}: {e}")); return
    if not close(rc.detach(), rd.detach().cpu(), dt):
        fails.append((name, "forward")); return
    for i, (c, d) in enumerate(zip(cpu, dev)):
        if d.grad is None or str(d.grad.device) != "cuda:0" or not close(c.grad, d.grad.cpu(), dt):
            fails.append((name, f"grad {i}")); return
    n_ok += 1

for dt in [torch.float32, torch.float64, torch.complex64, torch.complex128]:
    grad_case(f"mm {dt}", torch.mm, [(5, 7), (7, 4)], dt)
    grad_case(f"mm big {dt}", torch.mm, [(70, 65), (65, 66)], dt)
    grad_case(f"mm t {dt}", lambda a, b: torch.mm(a.t(), b), [(7, 5), (7, 4)], dt)
    grad_case(f"matmul 2d {dt}", torch.matmul, [(5, 7), (7, 4)], dt)
    grad_case(f"matmul 3d@2d {dt}", torch.matmul, [(2, 5, 7), (7, 4)], dt)
    grad_case(f"bmm {dt}", torch.bmm, [(3, 5, 7), (3, 7, 4)], dt)
    grad_case(f"matmul batched {dt}", torch.matmul, [(3, 5, 7), (3, 7, 4)], dt)
    grad_case(f"mv {dt}", torch.mv, [(5, 7), (7,)], dt)
    grad_case(f"matmul 1d@2d {dt}", torch.matmul, [(7,), (7, 4)], dt)
    grad_case(f"dot {dt}", torch.dot, [(7,), (7,)], dt)
    grad_case(f"dot long {dt}", torch.dot, [(3000,), (3000,)], dt)
    if dt.is_complex:
        grad_case(f"vdot {dt}", torch.vdot, [(7,), (7,)], dt)
    grad_case(f"addmm {dt}", lambda c, a, b: torch.addmm(c, a, b, beta=0.5, alpha=2), [(5, 4), (5, 7), (7, 4)], dt)
    grad_case(f"addmv {dt}", torch.addmv, [(5,), (5, 7), (7,)], dt)
    grad_case(f"baddbmm {dt}", torch.baddbmm, [(2, 5, 4), (2, 5, 7), (2, 7, 4)], dt)
    grad_case(f"[reduce] outer {dt}", torch.outer, [(5,), (4,)], dt)
    grad_case(f"einsum {dt}", lambda a, b: torch.einsum("bij,bjk->bik", a, b), [(2, 5, 7), (2, 7, 4)], dt)
    grad_case(f"chain {dt}", lambda a, b, c: torch.mm(torch.mm(a, b), c), [(5, 7), (7, 4), (4, 3)], dt)
    grad_case(f"linear nobias {dt}", lambda x, w: x @ w.t(), [(8, 6), (5, 6)], dt)
    grad_case(f"tril {dt}", torch.tril, [(5, 4)], dt)
    grad_case(f"diag_embed {dt}", torch.diag_embed, [(2, 3)], dt)
    # need the reduce family (sum over broadcast dims)
    grad_case(f"[reduce] linear bias {dt}", lambda x, w, b: x @ w.t() + b, [(8, 6), (5, 6), (5,)], dt)
    grad_case(f"[reduce] matmul bcast {dt}", torch.matmul, [(2, 1, 5, 7), (3, 7, 4)], dt)
    grad_case(f"[reduce] addmm bcast {dt}", torch.addmm, [(4,), (5, 7), (7, 4)], dt)
_cases.finish(n_ok, fails)
