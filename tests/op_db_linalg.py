"""The registry of linear-algebra ops that tests/test_linalg.py is driven by.

Each entry says how to call the op in ctorch (`fn(torch, *tensors)`), how
numpy computes the same thing (`ref(*arrays)`), which dtypes are accepted and
which must be refused (with the exception type and a message fragment), the
sample inputs (shapes with a layout each: "c" dense, "t" a transposed view,
"s" a view sliced with a step of 2 on the last dim), whether PyTorch
differentiates it (gradcheck in float64), and error cases.
"""
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

INTS = ("uint8", "int8", "int16", "int32", "int64")
FLOATS = ("float16", "float32", "float64")
COMPLEX = ("complex64", "complex128")
NUMERIC = INTS + FLOATS + COMPLEX


@dataclass
class Sample:
    inputs: tuple                    # ((shape, layout), ...)
    kwargs: dict = field(default_factory=dict)


@dataclass
class LinalgOp:
    name: str
    fn: Callable                     # fn(torch, *tensors, **kwargs)
    ref: Callable                    # ref(*arrays, **kwargs) -> array
    dtypes: tuple
    samples: list
    refused: tuple = ()              # ((dtype, exc type, message fragment), ...)
    grad: bool = True
    errors: list = field(default_factory=list)   # (make(torch), exc type, fragment)
    domain: str = "any"              # "any", "wellcond", "hermitian" (complex_vjp inputs)
    tol: Optional[tuple] = None
    grad_wrap: Optional[Callable] = None          # grad_wrap(torch, x): maps each gradcheck input before fn
    # (outputs(torch, *tensors) -> tuple, cotangents(outputs as numpy, z) -> list, z(shape) random complex):
    # the backward on complex128 inputs against finite differences of <cotangents, outputs>
    complex_vjp: Optional[tuple] = None


def S(*inputs, **kwargs):
    return Sample(tuple(inputs), kwargs)


def _np_einsum(eq):
    return lambda *a: np.einsum(eq, *a)


def _tri(a, k, lower):
    return np.tril(a, k) if lower else np.triu(a, k)


def _diag_embed(a, offset=0, dim1=-2, dim2=-1):
    n = a.shape[-1] + abs(offset)
    out = np.zeros(a.shape[:-1] + (n, n), dtype=a.dtype)
    i = np.arange(a.shape[-1])
    r, c = (i, i + offset) if offset >= 0 else (i - offset, i)
    out[..., r, c] = a
    return np.moveaxis(out, (-2, -1), (dim1, dim2)) if (dim1, dim2) != (-2, -1) else out


def _spd(T, a):
    n = a.shape[-1]
    return T.matmul(a, a.mT) + n * T.eye(n, dtype=a.dtype)


def _spd_np(a):
    n = a.shape[-1]
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n, dtype=a.dtype)


def _leaf(T, m, n, dtype="float64"):
    """A seeded leaf that requires grad (Hermitian when complex and square)."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((m, n))
    if dtype == "complex128":
        a = a + 1j * rng.standard_normal((m, n))
        if m == n:
            a = a + np.conj(a.T)
    return T.tensor(a).requires_grad_(True)


def _sym(T, a):
    return (a + a.mT) / 2


def _usv(T, a, **k):
    """U S Vh from linalg.svd (the first min(m, n) columns when full_matrices)."""
    U, s, Vh = T.linalg.svd(a, **k)
    n = s.shape[-1]
    return T.matmul(U[..., :n] * s.unsqueeze(-2), Vh[..., :n, :])


def _eigh_fn(T, a, **k):
    """V exp(L) V^T of eigh (real inputs)."""
    w, v = T.linalg.eigh(a, **k)
    return T.matmul(v * w.exp().unsqueeze(-2), v.mT)


def _eigh_fn_np(a, **k):
    w, v = np.linalg.eigh(a, **k)
    return (v * np.exp(w)[..., None, :]) @ np.conj(np.swapaxes(v, -1, -2))


QR_SAMPLES = [S(((4, 3), "c")), S(((3, 5), "t")), S(((2, 3, 3), "s")), S(((3, 3), "c"), mode="complete"),
              S(((2, 5), "c"), mode="complete")]


# cotangents for the complex backward check: random, except that a loss through
# singular vectors or eigenvectors may not depend on their phases (Im diag(V^H gV) = 0)

def _without_phase(V, gV):
    """gV less V diag(i Im diag(V^H gV))."""
    d = np.einsum("...ji,...ji->...i", np.conj(V), gV)
    return gV - V * (1j * d.imag)[..., None, :]


def _cot_any(outs, z):
    return [z(o.shape) for o in outs]


def _cot_svd(outs, z):
    """Phases of U and V may move together (U D, V D): Im diag(U^H gU + V^H gV) = 0."""
    U, s, Vh = outs
    V = np.conj(np.swapaxes(Vh, -1, -2))
    c = 1j * z(s.shape).real
    gU = _without_phase(U, z(U.shape)) + U * c[..., None, :]
    gV = _without_phase(V, z(V.shape)) - V * c[..., None, :]
    return [gU, z(s.shape).real, np.conj(np.swapaxes(gV, -1, -2))]


def _cot_eigh(outs, z):
    w, V = outs
    return [z(w.shape).real, _without_phase(V, z(V.shape))]


MATMUL_SAMPLES = [
    S(((3,), "c"), ((3,), "c")),
    S(((2, 3), "c"), ((3,), "c")),
    S(((3,), "c"), ((3, 4), "c")),
    S(((2, 3), "c"), ((3, 4), "c")),
    S(((2, 3), "t"), ((3, 4), "t")),
    S(((2, 3), "s"), ((3, 4), "s")),
    S(((2, 3), "t"), ((3, 4), "s")),
    S(((2, 2, 3), "c"), ((3, 4), "c")),
    S(((2, 2, 3), "t"), ((3, 4), "c")),
    S(((2, 3), "c"), ((4, 3, 5), "c")),
    S(((2, 1, 2, 3), "c"), ((3, 3, 4), "t")),
    S(((2, 2, 3), "c"), ((3,), "c")),
    S(((3,), "c"), ((2, 3, 4), "c")),
    S(((0, 3), "c"), ((3, 4), "c")),
    S(((2, 0), "c"), ((0, 3), "c")),
    S(((2, 0, 3), "c"), ((2, 3, 1), "c")),
]

ops = [
    LinalgOp("matmul", lambda T, a, b: T.matmul(a, b), np.matmul, NUMERIC, MATMUL_SAMPLES,
             refused=(("bool", NotImplementedError, "not implemented for 'Bool'"),),
             errors=[
                 (lambda T: T.matmul(T.ones(2, 3), T.ones(4, 5)), RuntimeError,
                  "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"),
                 (lambda T: T.matmul(T.tensor(1.), T.ones(3)), RuntimeError,
                  "both arguments to matmul need to be at least 1D, but they are 0D and 1D"),
                 (lambda T: T.matmul(T.ones(3), T.ones(4)), RuntimeError, "inconsistent tensor size"),
                 (lambda T: T.matmul(T.ones(2, 3), T.ones(3, 2, dtype=T.float64)), RuntimeError,
                  "expected m1 and m2 to have the same dtype, but got: float != double"),
                 (lambda T: T.matmul(T.ones(2, 3, 4), T.ones(5, 4, 2)), RuntimeError,
                  "The size of tensor a (2) must match the size of tensor b (5) at non-singleton dimension 0"),
                 (lambda T: T.matmul(T.ones(2, 3, 4), T.ones(3)), RuntimeError,
                  "size mismatch, got input (6), mat (6x4), vec (3)"),
             ]),
    LinalgOp("matmul_operator", lambda T, a, b: a @ b, np.matmul, ("float32", "float64", "int64"),
             [S(((2, 3), "c"), ((3, 4), "t")), S(((5, 2, 3), "s"), ((5, 3, 2), "c"))]),
    LinalgOp("mm", lambda T, a, b: T.mm(a, b), np.matmul, NUMERIC,
             [S(((2, 3), "c"), ((3, 4), "c")), S(((5, 7), "t"), ((7, 3), "s")), S(((1, 1), "c"), ((1, 1), "c")),
              S(((4, 1), "t"), ((1, 5), "t")), S(((3, 0), "c"), ((0, 2), "c"))],
             refused=(("bool", NotImplementedError, "Bool"),),
             errors=[(lambda T: T.mm(T.ones(2, 3), T.ones(3)), RuntimeError, "mat2 must be a matrix"),
                     (lambda T: T.mm(T.ones(3), T.ones(3, 2)), RuntimeError, "self must be a matrix"),
                     (lambda T: T.mm(T.ones(2, 3, dtype=T.uint8), T.ones(3, 2, dtype=T.int8)), RuntimeError,
                      "unsigned char != signed char")]),
    LinalgOp("bmm", lambda T, a, b: T.bmm(a, b), np.matmul, NUMERIC,
             [S(((2, 2, 3), "c"), ((2, 3, 4), "c")), S(((3, 4, 2), "t"), ((3, 2, 5), "s")),
              S(((0, 2, 3), "c"), ((0, 3, 4), "c"))],
             errors=[(lambda T: T.bmm(T.ones(2, 3), T.ones(2, 3)), RuntimeError, "batch1 must be a 3D tensor"),
                     (lambda T: T.bmm(T.ones(2, 2, 3), T.ones(2, 4, 5)), RuntimeError,
                      "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4].")]),
    LinalgOp("mv", lambda T, a, b: T.mv(a, b), np.matmul, NUMERIC,
             [S(((2, 3), "c"), ((3,), "c")), S(((4, 3), "t"), ((3,), "s")), S(((0, 3), "c"), ((3,), "c"))],
             errors=[(lambda T: T.mv(T.ones(2, 3), T.ones(4)), RuntimeError,
                      "size mismatch, got input (2), mat (2x3), vec (4)"),
                     (lambda T: T.mv(T.ones(2, 3), T.ones(3, 1)), RuntimeError,
                      "vector + matrix @ vector expected, got 1, 2, 2")]),
    LinalgOp("dot", lambda T, a, b: T.dot(a, b), np.dot, NUMERIC,
             [S(((5,), "c"), ((5,), "s")), S(((0,), "c"), ((0,), "c"))],
             errors=[(lambda T: T.dot(T.ones(3, 1), T.ones(4)), RuntimeError, "1D tensors expected, but got 2D and 1D tensors"),
                     (lambda T: T.dot(T.ones(3), T.ones(3, dtype=T.float64)), RuntimeError,
                      "dot : expected both vectors to have same dtype, but found Float and Double")]),
    LinalgOp("vdot", lambda T, a, b: T.vdot(a, b), np.vdot, NUMERIC, [S(((5,), "s"), ((5,), "c"))]),
    LinalgOp("outer", lambda T, a, b: T.outer(a, b), np.outer, NUMERIC + ("bool",),
             [S(((3,), "c"), ((4,), "s")), S(((0,), "c"), ((2,), "c"))],
             errors=[(lambda T: T.outer(T.ones(3, 1), T.ones(4)), RuntimeError,
                      "outer: Expected 1-D argument self, but got 2-D")]),
    LinalgOp("addmm", lambda T, c, a, b, **k: T.addmm(c, a, b, **k),
             lambda c, a, b, beta=1, alpha=1: beta * c + alpha * (a @ b), ("float32", "float64", "int64"),
             [S(((2, 4), "c"), ((2, 3), "c"), ((3, 4), "t")),
              S(((4,), "c"), ((2, 3), "s"), ((3, 4), "c"), beta=2, alpha=3)]),
    LinalgOp("addmv", lambda T, c, a, b, **k: T.addmv(c, a, b, **k),
             lambda c, a, b, beta=1, alpha=1: beta * c + alpha * (a @ b), ("float32", "float64"),
             [S(((2,), "c"), ((2, 3), "t"), ((3,), "c"), beta=0.5, alpha=2)]),
    LinalgOp("baddbmm", lambda T, c, a, b, **k: T.baddbmm(c, a, b, **k),
             lambda c, a, b, beta=1, alpha=1: beta * c + alpha * (a @ b), ("float32", "float64"),
             [S(((2, 2, 4), "c"), ((2, 2, 3), "c"), ((2, 3, 4), "t"), beta=2, alpha=0.5)]),
    LinalgOp("einsum_mm", lambda T, a, b: T.einsum("ij,jk->ik", a, b), _np_einsum("ij,jk->ik"),
             ("float32", "float64", "int64"), [S(((2, 3), "t"), ((3, 4), "c"))],
             errors=[(lambda T: T.einsum("ij,jk->ik", T.ones(2, 3), T.ones(2, 3)), RuntimeError,
                      "einsum(): subscript j has size 2 for operand 1 which does not broadcast with previously seen size 3")]),
    LinalgOp("einsum_implicit", lambda T, a, b: T.einsum("ij,jk", a, b), _np_einsum("ij,jk"),
             ("float64",), [S(((2, 3), "c"), ((3, 4), "s"))]),
    LinalgOp("einsum_bmm", lambda T, a, b: T.einsum("bij,bjk->bik", a, b), _np_einsum("bij,bjk->bik"),
             ("float32", "float64"), [S(((2, 2, 3), "c"), ((2, 3, 4), "t"))]),
    LinalgOp("einsum_outer", lambda T, a, b: T.einsum("i,j->ij", a, b), _np_einsum("i,j->ij"),
             ("float64",), [S(((3,), "c"), ((4,), "c"))]),
    LinalgOp("einsum_dot", lambda T, a, b: T.einsum("i,i->", a, b), _np_einsum("i,i->"),
             ("float64",), [S(((3,), "c"), ((3,), "s"))]),
    LinalgOp("einsum_mixed", lambda T, a, b: T.einsum("bij,kj->bki", a, b), _np_einsum("bij,kj->bki"),
             ("float64",), [S(((2, 3, 4), "c"), ((5, 4), "c"))]),
    LinalgOp("einsum_ellipsis", lambda T, a, b: T.einsum("...ij,...jk->...ik", a, b),
             _np_einsum("...ij,...jk->...ik"), ("float64",), [S(((2, 2, 3), "c"), ((2, 3, 4), "c"))]),
    LinalgOp("einsum_trace", lambda T, a: T.einsum("ii", a), _np_einsum("ii"), ("float64", "int64"),
             [S(((3, 3), "t"))]),
    LinalgOp("einsum_diag", lambda T, a: T.einsum("ii->i", a), _np_einsum("ii->i"), ("float64",),
             [S(((3, 3), "c"))]),
    LinalgOp("einsum_transpose", lambda T, a: T.einsum("ijk->kji", a), _np_einsum("ijk->kji"), ("float64",),
             [S(((2, 3, 4), "c"))]),
    LinalgOp("einsum_sum", lambda T, a: T.einsum("ij->j", a), _np_einsum("ij->j"), ("float64",),
             [S(((2, 3), "s"))]),
    LinalgOp("einsum_three", lambda T, a, b, c: T.einsum("ij,jk,kl->il", a, b, c), _np_einsum("ij,jk,kl->il"),
             ("float64",), [S(((2, 3), "c"), ((3, 4), "c"), ((4, 2), "c"))]),
    LinalgOp("trace", lambda T, a: T.trace(a), np.trace, ("float32", "float64", "int32", "int64"),
             [S(((3, 3), "c")), S(((3, 5), "t")), S(((4, 2), "s"))],
             errors=[(lambda T: T.trace(T.ones(3)), RuntimeError, "trace: expected a matrix, but got tensor with dim 1"),
                     (lambda T: T.trace(T.ones(2, 2, dtype=T.bool)), NotImplementedError,
                      "\"trace\" not implemented for 'Bool'")]),
    LinalgOp("tril", lambda T, a, **k: T.tril(a, **k), lambda a, diagonal=0: np.tril(a, diagonal),
             ("bool",) + NUMERIC,
             [S(((3, 4), "c")), S(((3, 4), "t"), diagonal=1), S(((2, 3, 3), "s"), diagonal=-1)],
             errors=[(lambda T: T.tril(T.ones(3)), RuntimeError, "tril: input tensor must have at least 2 dimensions")]),
    LinalgOp("triu", lambda T, a, **k: T.triu(a, **k), lambda a, diagonal=0: np.triu(a, diagonal),
             ("bool",) + NUMERIC,
             [S(((3, 4), "c")), S(((4, 3), "t"), diagonal=-2), S(((2, 3, 3), "s"), diagonal=2),
              S(((2, 3), "c"), diagonal=5), S(((3, 2), "c"), diagonal=-4)]),
    LinalgOp("diag", lambda T, a, **k: T.diag(a, **k), lambda a, diagonal=0: np.diag(a, diagonal),
             ("float32", "float64", "int64", "complex64"),
             [S(((3,), "c")), S(((3,), "s"), diagonal=2), S(((3,), "c"), diagonal=-1),
              S(((3, 4), "t")), S(((3, 4), "c"), diagonal=1), S(((4, 3), "s"), diagonal=-1)],
             errors=[(lambda T: T.diag(T.ones(3, 4, 5)), RuntimeError, "diag(): Supports 1D or 2D tensors. Got 3D")]),
    LinalgOp("diag_embed", lambda T, a, **k: T.diag_embed(a, **k), _diag_embed, ("float32", "float64", "int64"),
             [S(((2, 3), "c")), S(((2, 3), "s"), offset=1), S(((3,), "c"), offset=-2)]),
    LinalgOp("kron", lambda T, a, b: T.kron(a, b), np.kron, ("float32", "float64", "int64", "complex128"),
             [S(((2, 3), "c"), ((2, 2), "t")), S(((3,), "c"), ((2, 2), "c")), S(((2, 2, 2), "c"), ((3,), "s"))]),
    LinalgOp("linalg_inv", lambda T, a: T.linalg.inv(a), np.linalg.inv, ("float32", "float64", "complex128"),
             [S(((3, 3), "c")), S(((2, 4, 4), "t")), S(((1, 1), "c"))], domain="wellcond",
             refused=(("int64", RuntimeError, "linalg.inv: Expected a floating point or complex tensor as input. Got Long"),),
             complex_vjp=(lambda T, a: (T.linalg.inv(a),), _cot_any),
             errors=[(lambda T: T.linalg.inv(T.zeros(3, 3)), RuntimeError,
                      "linalg.inv: The diagonal element 1 is zero, the inversion could not be completed because the input matrix is singular."),
                     (lambda T: T.linalg.inv(T.tensor([[1., 2, 3], [2, 4, 6], [1, 1, 1]])), RuntimeError,
                      "The diagonal element 3 is zero"),
                     (lambda T: T.linalg.inv(T.ones(3, 4)), RuntimeError,
                      "linalg.inv: A must be batches of square matrices, but they are 3 by 4 matrices"),
                     (lambda T: T.linalg.inv(T.ones(3)), RuntimeError,
                      "linalg.inv: The input tensor A must have at least 2 dimensions.")]),
    LinalgOp("linalg_det", lambda T, a: T.linalg.det(a), np.linalg.det, ("float32", "float64"),
             [S(((3, 3), "c")), S(((2, 4, 4), "t"))], domain="wellcond",
             complex_vjp=(lambda T, a: (T.linalg.det(a),), _cot_any),
             errors=[(lambda T: T.linalg.det(T.ones(3, 4)), RuntimeError,
                      "linalg.det: A must be batches of square matrices, but they are 3 by 4 matrices")]),
    LinalgOp("linalg_solve", lambda T, a, b: T.linalg.solve(a, b),
             lambda a, b: np.linalg.solve(a, b[..., None])[..., 0] if b.ndim == 1 else np.linalg.solve(a, b),
             ("float32", "float64"),
             [S(((3, 3), "c"), ((3,), "c")), S(((3, 3), "t"), ((3, 2), "s")), S(((2, 3, 3), "c"), ((3, 2), "c"))],
             domain="wellcond",
             errors=[(lambda T: T.linalg.solve(T.ones(3, 3), T.ones(4)), RuntimeError,
                      "linalg.solve: Incompatible shapes of A and B for the equation AX = B (3x3 and 4x1)"),
                     (lambda T: T.linalg.solve(T.zeros(3, 3), T.ones(3)), RuntimeError,
                      "torch.linalg.solve: The solver failed because the input matrix is singular.")]),
    LinalgOp("linalg_cholesky", lambda T, a: T.linalg.cholesky(_spd(T, a)),
             lambda a: np.linalg.cholesky(_spd_np(a)), ("float32", "float64"),
             [S(((3, 3), "c")), S(((2, 4, 4), "t"))],
             errors=[(lambda T: T.linalg.cholesky(-T.eye(3)), RuntimeError,
                      "linalg.cholesky: The factorization could not be completed because the input is not "
                      "positive-definite (the leading minor of order 1 is not positive-definite).")]),
    LinalgOp("linalg_cholesky_upper", lambda T, a: T.linalg.cholesky(_spd(T, a), upper=True),
             lambda a: np.swapaxes(np.linalg.cholesky(_spd_np(a)), -1, -2), ("float64",), [S(((3, 3), "c"))]),
    LinalgOp("linalg_qr", lambda T, a, **k: (lambda q, r: T.matmul(q, r))(*T.linalg.qr(a, **k)),
             lambda a, **k: a, ("float32", "float64", "complex128"),
             [S(((4, 3), "c")), S(((3, 5), "t")), S(((2, 4, 4), "s")), S(((3, 3), "c"), mode="complete"),
              S(((2, 4), "t"), mode="complete"), S(((0, 3), "c"))],
             refused=(("float16", NotImplementedError, "\"geqrf_cpu\" not implemented for 'Half'"),
                      ("int64", RuntimeError, "linalg.qr: Expected a floating point or complex tensor as input. Got Long")),
             complex_vjp=(lambda T, a: tuple(T.linalg.qr(a)), _cot_any),
             errors=[(lambda T: T.linalg.qr(T.ones(3, 2), mode="x"), RuntimeError,
                      "qr received unrecognized mode 'x' but expected one of 'reduced' (default), 'r', or 'complete'"),
                     (lambda T: T.linalg.qr(T.ones(3)), RuntimeError,
                      "linalg.qr: The input tensor A must have at least 2 dimensions."),
                     (lambda T: T.linalg.qr(_leaf(T, 3, 2), mode="r").R.sum().backward(), RuntimeError,
                      "The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use "
                      "linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr."),
                     (lambda T: T.linalg.qr(_leaf(T, 3, 2), mode="complete").R.sum().backward(), RuntimeError,
                      "The QR decomposition is not differentiable when mode='complete' and nrows > ncols."),
                     (lambda T: T.linalg.qr(_leaf(T, 3, 2), out=(T.empty(0, dtype=T.float64),
                                                                  T.empty(0, dtype=T.float64))),
                      RuntimeError, "linalg_qr(): functions with out=... arguments don't support automatic "
                                    "differentiation, but one of the arguments requires grad.")]),
    LinalgOp("linalg_qr_Q", lambda T, a, **k: T.linalg.qr(a, **k).Q,
             lambda a, mode="reduced": np.linalg.qr(a, mode)[0], ("float32", "float64"), QR_SAMPLES),
    LinalgOp("linalg_qr_R", lambda T, a, **k: T.linalg.qr(a, **k).R,
             lambda a, mode="reduced": np.linalg.qr(a, mode)[1], ("float32", "float64"), QR_SAMPLES),
    LinalgOp("linalg_qr_r", lambda T, a: T.linalg.qr(a, mode="r").R.abs(), lambda a: np.abs(np.linalg.qr(a)[1]),
             ("float64",), [S(((4, 3), "c"))], grad=False),
    LinalgOp("linalg_qr_out",
             lambda T, a: (lambda q, r: T.matmul(q, r))(
                 *T.linalg.qr(a, out=(T.empty(0, dtype=a.dtype), T.empty(0, dtype=a.dtype)))),
             lambda a: a, ("float64",), [S(((4, 3), "t"))], grad=False),
    LinalgOp("qr", lambda T, a, **k: T.qr(a, **k).Q, lambda a, some=True: np.linalg.qr(a, "reduced" if some else "complete")[0],
             ("float32", "float64"), [S(((4, 3), "c")), S(((3, 3), "t"), some=False)]),
    LinalgOp("linalg_svd", _usv, lambda a, **k: a, ("float32", "float64", "complex128"),
             [S(((4, 3), "c"), full_matrices=False), S(((2, 3, 5), "t"), full_matrices=False), S(((3, 3), "s")),
              S(((4, 3), "c")), S(((2, 3, 5), "c")), S(((0, 3), "c"))],
             refused=(("float16", NotImplementedError, "\"linalg_svd_cpu\" not implemented for 'Half'"),
                      ("int64", RuntimeError, "linalg.svd: Expected a floating point or complex tensor as input. Got Long")),
             complex_vjp=(lambda T, a: tuple(T.linalg.svd(a, full_matrices=False)), _cot_svd),
             errors=[(lambda T: T.linalg.svd(T.ones(3)), RuntimeError,
                      "linalg.svd: The input tensor A must have at least 2 dimensions."),
                     (lambda T: T.linalg.svd(T.ones(3, 3), driver="gesvd"), RuntimeError,
                      "torch.linalg.svd: keyword argument `driver=` is only supported on CUDA inputs with cuSOLVER backend."),
                     (lambda T: T.linalg.svd(_leaf(T, 3, 3, "complex128")).U.sum().abs().backward(), RuntimeError,
                      "svd_backward: The singular vectors in the complex case are specified up to multiplication "
                      "by e^{i phi}. The specified loss function depends on this phase term, making it ill-defined.")]),
    LinalgOp("linalg_svd_polar", lambda T, a: (lambda r: T.matmul(r.U, r.Vh))(T.linalg.svd(a, full_matrices=False)),
             lambda a: (lambda u, s, vh: u @ vh)(*np.linalg.svd(a, full_matrices=False)), ("float64",),
             [S(((4, 3), "c")), S(((3, 5), "t")), S(((2, 3, 3), "s"))]),
    LinalgOp("linalg_svd_U_abs", lambda T, a: T.linalg.svd(a, full_matrices=False).U.abs(),
             lambda a: np.abs(np.linalg.svd(a, full_matrices=False)[0]), ("float32", "float64"),
             [S(((4, 3), "c")), S(((2, 3, 5), "t"))]),
    LinalgOp("linalg_svd_Vh_abs", lambda T, a: T.linalg.svd(a, full_matrices=False).Vh.abs(),
             lambda a: np.abs(np.linalg.svd(a, full_matrices=False)[2]), ("float32", "float64"),
             [S(((4, 3), "s")), S(((3, 5), "c"))]),
    LinalgOp("linalg_svdvals", lambda T, a: T.linalg.svdvals(a), lambda a: np.linalg.svd(a, compute_uv=False),
             ("float32", "float64", "complex128"), [S(((4, 3), "s")), S(((2, 3, 5), "t")), S(((0, 3), "c"))],
             refused=(("float16", NotImplementedError, "\"linalg_svd_cpu\" not implemented for 'Half'"),)),
    LinalgOp("svd", lambda T, a, **k: (lambda r, n: T.matmul(r.U[..., :n] * r.S.unsqueeze(-2), r.V[..., :n].mT))(
                 T.svd(a, **k), min(a.shape[-2:])),
             lambda a, **k: a, ("float32", "float64"), [S(((4, 3), "c")), S(((3, 5), "t"), some=False)]),
    LinalgOp("svd_values_only", lambda T, a: T.svd(a, compute_uv=False).S,
             lambda a: np.linalg.svd(a, compute_uv=False), ("float64",), [S(((2, 4, 3), "c"))]),
    LinalgOp("linalg_eigh_values", lambda T, a, **k: T.linalg.eigh(_spd(T, a), **k).eigenvalues,
             lambda a, **k: np.linalg.eigvalsh(_spd_np(a)), ("float32", "float64"),
             [S(((4, 4), "c")), S(((2, 3, 3), "t"), UPLO="U")],
             refused=(("float16", NotImplementedError, "\"linalg_eigh_cpu\" not implemented for 'Half'"),
                      ("int64", RuntimeError, "linalg.eigh: Expected a floating point or complex tensor as input. Got Long")),
             errors=[(lambda T: T.linalg.eigh(T.ones(3, 2)), RuntimeError,
                      "linalg.eigh: A must be batches of square matrices, but they are 3 by 2 matrices"),
                     (lambda T: T.linalg.eigh(T.ones(3, 3), UPLO="x"), RuntimeError,
                      "Expected UPLO argument to be 'L' or 'U', but got x"),
                     (lambda T: T.linalg.eigh(_leaf(T, 3, 3, "complex128")).eigenvectors.sum().abs().backward(),
                      RuntimeError, "linalg_eigh_backward: The eigenvectors in the complex case are specified up to "
                                    "multiplication by e^{i phi}. The specified loss function depends on this "
                                    "quantity, so it is ill-defined.")]),
    LinalgOp("linalg_eigh_vectors",
             lambda T, a: (lambda w, v: T.matmul(v * w.unsqueeze(-2), v.mT))(*T.linalg.eigh(_spd(T, a))),
             _spd_np, ("float64",), [S(((4, 4), "t"))]),
    # a function of A through both factors that is not A itself; the input is read through
    # one triangle (UPLO), so gradcheck sees it symmetrised
    LinalgOp("linalg_eigh_fn", _eigh_fn, _eigh_fn_np, ("float32", "float64"),
             [S(((3, 3), "c")), S(((2, 4, 4), "t"), UPLO="U"), S(((4, 4), "s"), UPLO="L")],
             grad_wrap=_sym, domain="hermitian",
             complex_vjp=(lambda T, a: tuple(T.linalg.eigh(a)), _cot_eigh)),
    LinalgOp("linalg_eigh_abs", lambda T, a: T.linalg.eigh(a).eigenvectors.abs(),
             lambda a: np.abs(np.linalg.eigh(a)[1]), ("float64",), [S(((4, 4), "c")), S(((2, 3, 3), "s"))],
             grad_wrap=_sym),
    LinalgOp("linalg_eigh_complex_abs", lambda T, a, **k: T.linalg.eigh(a, **k).eigenvectors.abs(),
             lambda a, **k: np.abs(np.linalg.eigh(a, **k)[1]), ("complex64", "complex128"),
             [S(((3, 3), "c")), S(((2, 3, 3), "t"), UPLO="U")], grad=False),
    LinalgOp("linalg_eigvalsh", lambda T, a, **k: T.linalg.eigvalsh(a, **k),
             lambda a, **k: np.linalg.eigvalsh(a, **k), ("float32", "float64", "complex128"),
             [S(((3, 3), "c")), S(((3, 3), "t"), UPLO="U"), S(((2, 4, 4), "s"), UPLO="L"), S(((0, 0), "c"))],
             grad_wrap=_sym,
             refused=(("float16", NotImplementedError, "\"linalg_eigh_cpu\" not implemented for 'Half'"),)),
]


# ---- torch.linalg: norms, triangular and LU solves, matrix functions, eig, lstsq, Cholesky,
# Householder, LDL, and the linear-algebra names of the torch namespace

import scipy.linalg as _sl

INF = float("inf")


def _batched(f):
    """f over the last two dims of each argument (numpy arrays), stacked."""
    def g(*arrays, **k):
        a0 = arrays[0]
        if a0.ndim == 2:
            return f(*arrays, **k)
        outs = [g(*[x[i] for x in arrays], **k) for i in range(a0.shape[0])]
        return np.stack(outs)
    return g


def _np_vector_norm(a, ord=2, dim=None, keepdim=False, dtype=None):
    x = np.abs(a.astype(dtype) if dtype is not None else a)
    axes = tuple(range(a.ndim)) if dim is None else ((dim,) if isinstance(dim, int) else tuple(dim))
    if ord == INF:
        r = x.max(axis=axes, keepdims=keepdim)
    elif ord == -INF:
        r = x.min(axis=axes, keepdims=keepdim)
    elif ord == 0:
        r = (x != 0).sum(axis=axes, keepdims=keepdim).astype(x.dtype)
    else:
        r = (x ** ord).sum(axis=axes, keepdims=keepdim) ** (1.0 / ord)
    return np.asarray(r, dtype=x.real.dtype)


def _np_matrix_norm(a, ord="fro", dim=(-2, -1), keepdim=False):
    return np.asarray(np.linalg.norm(a, ord, axis=dim, keepdims=keepdim), dtype=np.abs(a).dtype)


def _np_lu_factor(a):
    return _sl.lu_factor(a)[0]


def _np_lu(a, which):
    P, L, U = _sl.lu(a)
    return {"P": P, "L": L, "U": U}[which]


def _np_householder(a, tau):
    """Q = H_1 ... H_k I[:, :n] (LAPACK's orgqr), H_i = I - tau_i v_i v_i^H."""
    m, n = a.shape
    Q = np.eye(m, n, dtype=a.dtype)
    for i in reversed(range(tau.shape[-1])):
        v = np.zeros(m, dtype=a.dtype)
        v[i] = 1
        v[i + 1:] = a[i + 1:, i]
        Q = Q - tau[i] * np.outer(v, np.conj(v) @ Q)
    return Q


def _np_renorm(a, p, dim, maxnorm):
    axes = tuple(i for i in range(a.ndim) if i != dim)
    n = (np.abs(a) ** p).sum(axis=axes, keepdims=True) ** (1.0 / p) if p != INF else \
        np.abs(a).max(axis=axes, keepdims=True)
    f = np.where(n > maxnorm, maxnorm / (n + 1e-7), 1.0)
    return (a * f).astype(a.dtype)


def _tri_t(T, a, upper):
    """A well-conditioned triangular matrix made of a."""
    n = a.shape[-1]
    t = T.triu(a) if upper else T.tril(a)
    return t + n * T.eye(n, dtype=a.dtype)


def _tri_np(a, upper):
    n = a.shape[-1]
    return (np.triu(a) if upper else np.tril(a)) + n * np.eye(n, dtype=a.dtype)


def _cast(f):
    """f's result in the dtype of its first argument (numpy/scipy promote float32 at times)."""
    return lambda *a, **k: np.asarray(f(*a, **k)).astype(a[0].dtype)


def _np_cross(a, b, dim=-1):
    return np.cross(a, b, axis=dim)


def _vander_np(x, N=None):
    N = x.shape[-1] if N is None else N
    return (x[..., None] ** np.arange(N)).astype(x.dtype)


def _np_lstsq(a, b):
    return np.linalg.lstsq(a, b, rcond=None)[0]


def _cot_real(outs, z):
    """Real cotangents for real outputs, complex ones for complex outputs."""
    return [z(o.shape) if np.iscomplexobj(o) else z(o.shape).real for o in outs]


def _cot_eig(outs, z):
    """Eigenvector phases are free: Im diag(V^H gV) = 0."""
    L, V = outs
    return [z(L.shape), _without_phase(V, z(V.shape))]


REMOVED = {
    "symeig": "This function was deprecated since version 1.9 and is now removed. The default behavior has changed "
              "from using the upper triangular portion of the matrix by default to using the lower triangular portion.",
    "eig": "This function was deprecated since version 1.9 and is now removed. `torch.linalg.eig` returns complex "
           "tensors of dtype `cfloat` or `cdouble` rather than real tensors mimicking complex tensors.",
    "matrix_rank": "This function was deprecated since version 1.9 and is now removed.\nPlease use the "
                   "`torch.linalg.matrix_rank` function instead.",
    "solve": "This function was deprecated since version 1.9 and is now removed. `torch.solve` is deprecated in "
             "favor of `torch.linalg.solve`.",
    "lstsq": "This function was deprecated since version 1.9 and is now removed. `torch.lstsq` is deprecated in "
             "favor of `torch.linalg.lstsq`.",
}

ops += [
    # ------------------------------------------------------------ norms
    LinalgOp("linalg_vector_norm", lambda T, a, **k: T.linalg.vector_norm(a, **k), _np_vector_norm,
             ("float16", "float32", "float64", "complex64", "complex128"),
             [S(((3, 4), "c")), S(((3, 4), "t"), ord=1, dim=1), S(((2, 3, 4), "s"), ord=INF, dim=(0, 2)),
              S(((3, 4), "c"), ord=-INF, dim=0, keepdim=True), S(((5,), "s"), ord=3), S(((3, 4), "t"), ord=0.5),
              S(((3, 4), "c"), ord=0), S(((3, 4), "c"), ord=-1, dim=-1), S(((0, 3), "c"), ord=2, dim=1)],
             refused=(("int64", RuntimeError,
                       "linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long"),),
             complex_vjp=(lambda T, a: (T.linalg.vector_norm(a),), _cot_real),
             errors=[(lambda T: T.linalg.vector_norm(T.ones(0), INF), RuntimeError,
                      "linalg.vector_norm cannot compute the inf norm on an empty tensor because the operation "
                      "does not have an identity"),
                     (lambda T: T.linalg.vector_norm(T.ones(0, 3), -1, dim=0), RuntimeError,
                      "linalg.vector_norm cannot compute the -1 norm on the dimension 0because this dimension is empty"),
                     (lambda T: T.linalg.vector_norm(T.ones(3), "fro"), TypeError,
                      "argument 'ord' (position 2) must be Number, not str"),
                     (lambda T: T.linalg.vector_norm(T.ones(3), dtype=T.complex64), RuntimeError,
                      "linalg.vector_norm: dtype should be real for real inputs, but got ComplexFloat"),
                     (lambda T: T.linalg.vector_norm(T.ones(3, dtype=T.complex64), dtype=T.float64), RuntimeError,
                      "linalg.vector_norm: dtype should be complex for complex inputs, but got Double"),
                     (lambda T: T.linalg.vector_norm(T.ones(3), dtype=T.float16), RuntimeError,
                      "the dtype of the input (Float) should be convertible without narrowing to the specified "
                      "dtype (Half)"),
                     (lambda T: T.linalg.vector_norm(T.ones(3, 4), dim=(0, 0)), RuntimeError,
                      "dim 0 appears multiple times in the list of dims"),
                     (lambda T: T.linalg.vector_norm(T.ones(3, 4), dim=5), IndexError,
                      "Dimension out of range (expected to be in range of [-2, 1], but got 5)")]),
    LinalgOp("linalg_vector_norm_dtype", lambda T, a: T.linalg.vector_norm(a, 3, dtype=T.float64),
             lambda a: _np_vector_norm(a.astype(np.float64), 3), ("float32",), [S(((3, 4), "s"))], grad=False),
    LinalgOp("linalg_matrix_norm", lambda T, a, **k: T.linalg.matrix_norm(a, **k), _np_matrix_norm,
             ("float32", "float64", "complex128"),
             [S(((3, 4), "c")), S(((3, 4), "t"), ord="nuc"), S(((2, 3, 4), "s"), ord=INF),
              S(((3, 4), "c"), ord=-INF, keepdim=True), S(((4, 3), "c"), ord=1), S(((3, 3), "t"), ord=-1),
              S(((2, 4, 3), "c"), ord=2, dim=(0, 2)), S(((3, 4), "c"), ord=-2, keepdim=True),
              S(((4, 2, 3), "t"), ord=1, dim=(2, 0), keepdim=True)],
             complex_vjp=(lambda T, a: (T.linalg.matrix_norm(a, "nuc", dim=(0, -1)),), _cot_real),
             errors=[(lambda T: T.linalg.matrix_norm(T.ones(3, 4), "abc"), RuntimeError,
                      "linalg.matrix_norm: Order abc not supported."),
                     (lambda T: T.linalg.matrix_norm(T.ones(3, 4), 3), RuntimeError,
                      "linalg.matrix_norm: Order 3 not supported."),
                     (lambda T: T.linalg.matrix_norm(T.ones(3)), RuntimeError,
                      "linalg.matrix_norm: The input tensor A must have at least 2 dimensions."),
                     (lambda T: T.linalg.matrix_norm(T.ones(3, 4), dim=(0, 0)), RuntimeError,
                      "linalg.matrix_norm: dims must be different. Got (0, 0)"),
                     (lambda T: T.linalg.matrix_norm(T.ones(3, 4), dim=(0,)), RuntimeError,
                      "linalg.matrix_norm: dim must be a 2-tuple. Got 0"),
                     (lambda T: T.linalg.matrix_norm(T.ones(3, 4, dtype=T.int64)), RuntimeError,
                      "linalg.matrix_norm: Expected a floating point or complex tensor as input. Got Long"),
                     # the smallest row sum of no rows
                     (lambda T: T.linalg.matrix_norm(T.zeros(0, 3), -INF), IndexError,
                      "amin(): Expected reduction dim 0 to have non-zero size.")]),
    LinalgOp("linalg_norm", lambda T, a, **k: T.linalg.norm(a, **k),
             lambda a, ord=None, dim=None, keepdim=False: np.asarray(
                 np.linalg.norm(a, ord, axis=dim, keepdims=keepdim), dtype=np.abs(a).dtype),
             ("float32", "float64", "complex128"),
             [S(((2, 3, 4), "c")), S(((3, 4), "t"), ord=INF), S(((5,), "s"), ord=-INF), S(((3, 4), "c"), ord="nuc"),
              S(((3, 4), "c"), ord=0, dim=1), S(((3, 4), "s"), ord="fro", dim=(1, 0), keepdim=True)],
             errors=[(lambda T: T.linalg.norm(T.ones(3, 4), dim=(0, 1, 1)), RuntimeError,
                      "linalg.norm: If dim is specified, it must be of length 1 or 2. Got [0, 1, 1]"),
                     (lambda T: T.linalg.norm(T.ones(2, 2, 2), 2), RuntimeError,
                      "linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got 3D."),
                     (lambda T: T.linalg.norm(T.ones(3, 4), 3), RuntimeError, "linalg.matrix_norm: Order 3 not supported."),
                     (lambda T: T.linalg.norm(T.ones(3, 4), "fro", dim=0), RuntimeError,
                      "linalg.matrix_norm: dim must be a 2-tuple. Got 0")]),
    LinalgOp("norm", lambda T, a, **k: T.norm(a, **k),
             lambda a, p="fro", dim=None, keepdim=False: (
                 _np_matrix_norm(a, "nuc", dim or (0, 1), keepdim) if p == "nuc" else
                 _np_vector_norm(a, 2 if p == "fro" else p, dim, keepdim)),
             ("float32", "float64", "complex128"),
             [S(((3, 4), "c")), S(((2, 3, 4), "t"), p="fro"), S(((3, 4), "c"), p=INF, dim=1), S(((3, 4), "s"), p="nuc"),
              S(((3, 4), "c"), p=0), S(((3, 4), "t"), p=-INF, dim=0, keepdim=True),
              S(((2, 3, 4), "c"), p=2.5, dim=(0, 2)), S(((3, 4), "c"), p="fro", dim=0)],
             errors=[(lambda T: T.norm(T.ones(2, 2, 2), "nuc"), RuntimeError,
                      "linalg.matrix_norm: dim must be a 2-tuple. Got 0 1 2"),
                     (lambda T: T.norm(T.ones(3, 4), "abc"), RuntimeError, "linalg.matrix_norm: Order abc not supported."),
                     (lambda T: T.norm(T.ones(3, dtype=T.int64)), RuntimeError,
                      "linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long")]),
    LinalgOp("norm_method_dtype", lambda T, a: a.norm(3, dtype=T.float64),
             lambda a: _np_vector_norm(a.astype(np.float64), 3), ("float32",), [S(((3, 4), "t"))], grad=False),
    LinalgOp("frobenius_norm", lambda T, a, dim: T.frobenius_norm(a, dim),
             lambda a, dim: _np_vector_norm(a, 2, dim), ("float32", "float64"),
             [S(((3, 4), "c"), dim=(0, 1)), S(((2, 3, 4), "t"), dim=(2,))],
             errors=[(lambda T: T.frobenius_norm(T.ones(3, 4), (0, 1, 1)), RuntimeError,
                      "Expected at most 2 dimensions, but got 3 dimensions instead.")]),
    LinalgOp("nuclear_norm", lambda T, a, **k: T.nuclear_norm(a, **k),
             lambda a, dim=(-2, -1): _np_matrix_norm(a, "nuc", dim), ("float32", "float64"),
             [S(((3, 4), "c")), S(((2, 3, 4), "t"), dim=(0, 2))],
             errors=[(lambda T: T.nuclear_norm(T.ones(3, 4), (0,)), RuntimeError,
                      "linalg.matrix_norm: dim must be a 2-tuple. Got 0")]),
    LinalgOp("dist", lambda T, a, b, **k: T.dist(a, b, **k),
             lambda a, b, p=2: _np_vector_norm(a - b, p), ("float32", "float64", "complex128"),
             [S(((3, 4), "c"), ((4,), "s")), S(((3, 4), "t"), ((3, 4), "c"), p=3),
              S(((2, 3), "c"), ((2, 3), "c"), p=INF), S(((2, 3), "c"), ((1, 3), "t"), p=0)],
             errors=[(lambda T: T.dist(T.ones(3), T.ones(3), "fro"), TypeError,
                      "dist(): argument 'p' (position 3) must be Number, not str"),
                     (lambda T: T.dist(T.ones(3, dtype=T.int64), T.ones(3, dtype=T.int64)), RuntimeError,
                      "norm(): input dtype should be either floating point or complex. Got Long instead."),
                     (lambda T: T.dist(T.ones(3, 4), T.ones(5)), RuntimeError,
                      "The size of tensor a (4) must match the size of tensor b (5) at non-singleton dimension 1")]),
    LinalgOp("dist_method_promotes", lambda T, a, b: a.dist(b.double()), lambda a, b: _np_vector_norm(
        a.astype(np.float64) - b.astype(np.float64)), ("float32",), [S(((3, 4), "c"), ((3, 4), "c"))], grad=False),
    LinalgOp("linalg_cond", lambda T, a, **k: T.linalg.cond(a, **k),
             lambda a, p=None: np.asarray(np.linalg.cond(a, p), dtype=np.abs(a).dtype), ("float32", "float64"),
             [S(((3, 3), "c")), S(((4, 3), "t")), S(((2, 3, 3), "c"), p="fro"), S(((3, 3), "s"), p="nuc"),
              S(((3, 3), "c"), p=INF), S(((3, 3), "t"), p=-1), S(((3, 3), "c"), p=-2)],
             domain="wellcond",
             errors=[(lambda T: T.linalg.cond(T.ones(3, 4), "fro"), RuntimeError,
                      "linalg.cond(ord=fro): A must be batches of square matrices, but they are 3 by 4 matrices"),
                     (lambda T: T.linalg.cond(T.ones(3)), RuntimeError,
                      "linalg.cond: The input tensor must have at least 2 dimensions."),
                     (lambda T: T.linalg.cond(T.ones(3, 3, dtype=T.int64)), RuntimeError,
                      "linalg.svd: Expected a floating point or complex tensor as input. Got Long")]),
    LinalgOp("linalg_cond_singular", lambda T, a: T.linalg.cond(a * 0, 1), lambda a: np.asarray(INF, a.dtype),
             ("float32",), [S(((3, 3), "c"))], grad=False),
    LinalgOp("renorm", lambda T, a, p, dim, maxnorm: T.renorm(a, p, dim, maxnorm), _np_renorm,
             ("float32", "float64", "complex128"),
             [S(((3, 4), "c"), p=2, dim=0, maxnorm=1.0), S(((3, 4), "t"), p=1, dim=1, maxnorm=0.8),
              S(((2, 3, 4), "s"), p=3, dim=2, maxnorm=0.9), S(((3, 4), "c"), p=INF, dim=0, maxnorm=0.5)],
             errors=[(lambda T: T.renorm(T.ones(3, 4), 2, 0, -1), RuntimeError,
                      "renorm: expected maxnorm to be >= 0 but got -1"),
                     (lambda T: T.renorm(T.ones(3, 4), 0, 0, 1), RuntimeError, "renorm: non-positive-norm not supported"),
                     (lambda T: T.renorm(T.tensor(1.), 2, 0, 1), RuntimeError,
                      "renorm: input needs at least 2 dimensions, got 0 dimensions"),
                     (lambda T: T.renorm(T.ones(3, 4), 2, 5, 1), IndexError,
                      "Dimension out of range (expected to be in range of [-2, 1], but got 5)")]),
    LinalgOp("renorm_", lambda T, a: a.clone().renorm_(2, 1, 0.5), lambda a: _np_renorm(a, 2, 1, 0.5),
             ("float32", "float64"), [S(((3, 4), "t"))]),
    # ------------------------------------------------------------ triangular solves
    LinalgOp("linalg_solve_triangular",
             lambda T, a, b, upper=True, **k: T.linalg.solve_triangular(_tri_t(T, a, upper), b, upper=upper, **k),
             lambda a, b, upper=True, left=True, unitriangular=False: (lambda A: (
                 np.linalg.solve(A, b) if left else np.swapaxes(np.linalg.solve(
                     np.swapaxes(A, -1, -2), np.swapaxes(b, -1, -2)), -1, -2)))(
                 _tri_np(a, upper) if not unitriangular else
                 _tri_np(a, upper) - np.diag(np.diag(_tri_np(a, upper)).copy()) + np.eye(a.shape[-1], dtype=a.dtype)),
             ("float32", "float64", "complex128"),
             [S(((3, 3), "c"), ((3, 2), "c")), S(((3, 3), "t"), ((3, 4), "s"), upper=False),
              S(((2, 3, 3), "s"), ((3, 2), "t"), upper=True), S(((3, 3), "c"), ((2, 3), "c"), upper=False, left=False),
              S(((3, 3), "c"), ((3, 2), "c"), upper=True, unitriangular=True), S(((3, 3), "c"), ((3, 0), "c"))],
             complex_vjp=(lambda T, a: (T.linalg.solve_triangular(_tri_t(T, a, True), a[..., :2], upper=True),),
                          _cot_any),
             refused=(("int64", NotImplementedError, "\"triangular_solve_cpu\" not implemented for 'Long'"),),
             errors=[(lambda T: T.linalg.solve_triangular(T.eye(3), T.ones(3, 2)), TypeError,
                      "missing 1 required positional arguments: \"upper\""),
                     (lambda T: T.linalg.solve_triangular(T.eye(3), T.ones(4, 2), upper=True), RuntimeError,
                      "linalg.solve_triangular: Incompatible shapes of A and B for the equation AX = B (3x3 and 4x2)"),
                     (lambda T: T.linalg.solve_triangular(T.eye(3), T.ones(2, 4), upper=True, left=False), RuntimeError,
                      "linalg.solve_triangular: Incompatible shapes of A and B for the equation XA = B (3x3 and 2x4)"),
                     (lambda T: T.linalg.solve_triangular(T.eye(3), T.ones(3), upper=True), RuntimeError,
                      "linalg.solve_triangular: The input tensor B must have at least 2 dimensions."),
                     (lambda T: T.linalg.solve_triangular(T.ones(3, 4), T.ones(3, 2), upper=True), RuntimeError,
                      "linalg.solve_triangular: A must be batches of square matrices, but they are 3 by 4 matrices")]),
    LinalgOp("triangular_solve",
             lambda T, b, a, upper=True, transpose=False, **k:
                 T.triangular_solve(b, _tri_t(T, a, upper), upper, transpose, **k).solution,
             lambda b, a, upper=True, transpose=False: np.linalg.solve(
                 np.swapaxes(_tri_np(a, upper), -1, -2) if transpose else _tri_np(a, upper), b),
             ("float32", "float64", "complex128"),
             [S(((3, 2), "c"), ((3, 3), "c")), S(((3, 2), "t"), ((2, 3, 3), "s"), upper=False),
              S(((3, 4), "c"), ((3, 3), "t"), upper=False, transpose=True)],
             complex_vjp=(lambda T, b: tuple(T.triangular_solve(b, _tri_t(T, b @ b.mT, True), transpose=True)),
                          _cot_any),
             errors=[(lambda T: T.triangular_solve(T.ones(4, 2), T.eye(3)), RuntimeError,
                      "Incompatible matrix sizes for triangular_solve: each A matrix is 3 by 3 but each b matrix is 4 by 2"),
                     (lambda T: T.triangular_solve(T.ones(3, 2), T.eye(3, dtype=T.float64)), RuntimeError,
                      "Expected b and A to have the same dtype, but found b of type Float and A of type Double instead."),
                     (lambda T: T.triangular_solve(T.ones(3, 2), T.ones(3, 4)), RuntimeError,
                      "A must be batches of square matrices, but they are 3 by 4 matrices")]),
    LinalgOp("triangular_solve_coefficient", lambda T, b, a: T.triangular_solve(b, a, upper=False).cloned_coefficient,
             lambda b, a: a, ("float64",), [S(((3, 2), "c"), ((3, 3), "t"))]),
    # ------------------------------------------------------------ LU
    LinalgOp("linalg_lu_factor", lambda T, a: T.linalg.lu_factor(a).LU, _batched(_np_lu_factor),
             ("float32", "float64", "complex128"),
             [S(((3, 3), "c")), S(((2, 4, 4), "t")), S(((4, 3), "c")), S(((3, 5), "s"))],
             complex_vjp=(lambda T, a: (T.linalg.lu_factor(a).LU,), _cot_any),
             refused=(("int64", NotImplementedError, "\"lu_cpu\" not implemented for 'Long'"),),
             errors=[(lambda T: T.linalg.lu_factor(T.zeros(3, 3)), RuntimeError,
                      "torch.linalg.lu_factor: U[1,1] is zero and using it on lu_solve would result in a division "
                      "by zero. If you still want to perform the factorization, consider calling linalg.lu(A, pivot) "
                      "or linalg.lu_factor_ex(A, pivot)"),
                     (lambda T: T.linalg.lu_factor(T.zeros(2, 3, 3)), RuntimeError,
                      "torch.linalg.lu_factor: (Batch element 0): U[1,1] is zero"),
                     (lambda T: T.linalg.lu_factor(T.ones(3)), RuntimeError,
                      "torch.lu_factor: Expected tensor with 2 or more dimensions. Got size: [3] instead"),
                     (lambda T: T.linalg.lu_factor(T.eye(3), pivot=False), RuntimeError,
                      "linalg.lu_factor: LU without pivoting is not implemented on the CPU"),
                     (lambda T: T.linalg.lu_factor_ex(T.zeros(3, 3), check_errors=True), RuntimeError,
                      "torch.linalg.lu_factor_ex: U[1,1] is zero")]),
    LinalgOp("linalg_lu_factor_pivots", lambda T, a: T.linalg.lu_factor(a).pivots,
             _batched(lambda a: (_sl.lu_factor(a)[1] + 1).astype(np.int32)), ("float64",),
             [S(((4, 4), "c")), S(((2, 3, 5), "t"))], grad=False),
    LinalgOp("linalg_lu_factor_ex_info", lambda T, a: T.linalg.lu_factor_ex(a * T.tensor([1.0, 0.0, 1.0])).info,
             lambda a: np.full(a.shape[:-2], 2, dtype=np.int32), ("float64",), [S(((2, 3, 3), "c"))], grad=False),
    LinalgOp("linalg_lu_P", lambda T, a: T.linalg.lu(a).P, _batched(lambda a: _np_lu(a, "P")), ("float32", "float64"),
             [S(((4, 4), "c")), S(((2, 5, 3), "t")), S(((3, 5), "c"))], grad=False),
    LinalgOp("linalg_lu_L", lambda T, a: T.linalg.lu(a).L, _batched(lambda a: _np_lu(a, "L")),
             ("float32", "float64", "complex128"),
             [S(((4, 4), "c")), S(((2, 5, 3), "t")), S(((3, 5), "s"))],
             complex_vjp=(lambda T, a: tuple(T.linalg.lu(a))[1:], _cot_any)),
    LinalgOp("linalg_lu_U", lambda T, a: T.linalg.lu(a).U, _batched(lambda a: _np_lu(a, "U")),
             ("float32", "float64"), [S(((4, 4), "c")), S(((5, 3), "t")), S(((2, 3, 5), "c"))]),
    LinalgOp("lu_unpack", lambda T, a: (lambda P, L, U: T.matmul(P, T.matmul(L, U)))(*T.lu_unpack(*T.linalg.lu_factor(a))),
             lambda a: a, ("float32", "float64", "complex128"),
             [S(((4, 4), "c")), S(((2, 5, 3), "t")), S(((3, 5), "s"))],
             errors=[(lambda T: T.lu_unpack(T.eye(3), T.ones(3, dtype=T.int64)), RuntimeError,
                      "torch.lu_unpack: LU_pivots is expected to be a contiguous tensor of torch.int32 dtype.")]),
    LinalgOp("lu_legacy", lambda T, a: a.lu()[0], _batched(_np_lu_factor), ("float64",), [S(((3, 3), "t"))]),
    LinalgOp("lu_legacy_singular_infos", lambda T, a: T.lu(a * 0, get_infos=True)[2],
             lambda a: np.asarray(1, dtype=np.int32), ("float64",), [S(((3, 3), "c"))], grad=False),
    LinalgOp("linalg_lu_solve", lambda T, a, b, **k: T.linalg.lu_solve(*T.linalg.lu_factor(a), b, **k),
             lambda a, b, left=True, adjoint=False: (lambda A: np.linalg.solve(A, b) if left else np.swapaxes(
                 np.linalg.solve(np.swapaxes(A, -1, -2), np.swapaxes(b, -1, -2)), -1, -2))(
                 np.conj(np.swapaxes(a, -1, -2)) if adjoint else a),
             ("float32", "float64", "complex128"),
             [S(((3, 3), "c"), ((3, 2), "c")), S(((2, 3, 3), "t"), ((3, 4), "s")),
              S(((3, 3), "c"), ((2, 3), "t"), left=False), S(((3, 3), "s"), ((3, 2), "c"), adjoint=True),
              S(((3, 3), "c"), ((2, 2, 3), "c"), left=False, adjoint=True)],
             domain="wellcond",
             complex_vjp=(lambda T, a: (T.linalg.lu_solve(*T.linalg.lu_factor(a), a[..., :2], adjoint=True),),
                          _cot_any),
             errors=[(lambda T: T.linalg.lu_solve(*T.linalg.lu_factor(T.eye(3)), T.ones(4, 2)), RuntimeError,
                      "linalg.lu_solve: Incompatible shapes of A and B for the equation AX = B (3x3 and 4x2)"),
                     (lambda T: T.linalg.lu_solve(*T.linalg.lu_factor(T.eye(3)), T.ones(3)), RuntimeError,
                      "linalg.lu_solve: The input tensor B must have at least 2 dimensions."),
                     (lambda T: T.linalg.lu_solve(*T.linalg.lu_factor(T.eye(3)), T.ones(3, 2, dtype=T.float64)),
                      RuntimeError, "linalg.lu_solve: Expected LU and B to have the same dtype, but found LU of type "
                                    "Float and B of type Double instead"),
                     (lambda T: T.linalg.lu_solve(T.eye(3), T.ones(3, dtype=T.int64), T.ones(3, 2)), RuntimeError,
                      "linalg.lu_solve: pivots should be a Tensor of scalar type torch.int32")]),
    LinalgOp("lu_solve_legacy", lambda T, a, b: b.lu_solve(*T.linalg.lu_factor(a)), lambda a, b: np.linalg.solve(a, b),
             ("float64",), [S(((3, 3), "c"), ((3, 2), "t"))], domain="wellcond"),
    LinalgOp("linalg_solve_ex", lambda T, a, b: T.linalg.solve_ex(a, b).result,
             lambda a, b: np.linalg.solve(a, b[..., None])[..., 0] if b.ndim == 1 else np.linalg.solve(a, b),
             ("float32", "float64"), [S(((3, 3), "c"), ((3,), "c")), S(((2, 3, 3), "t"), ((3, 2), "s"))],
             domain="wellcond"),
    LinalgOp("linalg_solve_ex_info", lambda T, a: T.linalg.solve_ex(a * T.tensor([1.0, 1.0, 0.0]), a[..., 0]).info,
             lambda a: np.full(a.shape[:-2], 3, dtype=np.int32), ("float64",), [S(((2, 3, 3), "c"))], grad=False),
    # ------------------------------------------------------------ matrix functions
    LinalgOp("linalg_matrix_power", lambda T, a, n: T.linalg.matrix_power(a, n), np.linalg.matrix_power,
             ("float32", "float64", "int64", "complex128"),
             [S(((3, 3), "c"), n=5), S(((2, 3, 3), "t"), n=2), S(((3, 3), "s"), n=1), S(((3, 3), "c"), n=0)],
             errors=[(lambda T: T.linalg.matrix_power(T.ones(3, 4), 2), RuntimeError,
                      "linalg.matrix_power: A must be batches of square matrices, but they are 3 by 4 matrices"),
                     (lambda T: T.linalg.matrix_power(T.ones(3), 2), RuntimeError,
                      "linalg.matrix_power: The input tensor A must have at least 2 dimensions."),
                     (lambda T: T.linalg.matrix_power(T.eye(3), 2.0), TypeError,
                      "argument 'n' (position 2) must be int, not float"),
                     (lambda T: T.linalg.matrix_power(T.ones(3, 3, dtype=T.int64), -1), RuntimeError,
                      "linalg.inv: Expected a floating point or complex tensor as input. Got Long"),
                     (lambda T: T.linalg.matrix_power(T.zeros(3, 3), -1), RuntimeError,
                      "linalg.inv: The diagonal element 1 is zero")]),
    LinalgOp("linalg_matrix_power_negative", lambda T, a, n: a.matrix_power(n), np.linalg.matrix_power,
             ("float32", "float64"), [S(((3, 3), "c"), n=-3), S(((2, 3, 3), "t"), n=-2)], domain="wellcond"),
    LinalgOp("linalg_matrix_exp", lambda T, a: T.linalg.matrix_exp(a), _cast(_sl.expm),
             ("float32", "float64", "complex128"), [S(((3, 3), "c")), S(((2, 4, 4), "t")), S(((1, 1), "c"))],
             complex_vjp=(lambda T, a: (T.linalg.matrix_exp(a),), _cot_any),
             errors=[(lambda T: T.linalg.matrix_exp(T.ones(3, 4)), RuntimeError,
                      "linalg.matrix_exp: A must be batches of square matrices, but they are 3 by 4 matrices"),
                     (lambda T: T.linalg.matrix_exp(T.ones(3, 3, dtype=T.int64)), RuntimeError,
                      "linalg.matrix_exp: Expected a floating point or complex tensor as input. Got Long")]),
    LinalgOp("matrix_exp_method", lambda T, a: a.matrix_exp(), _cast(_sl.expm), ("float64",), [S(((3, 3), "s"))]),
    LinalgOp("linalg_pinv", lambda T, a, **k: T.linalg.pinv(a, **k),
             lambda a, **k: np.linalg.pinv(a, hermitian=k.get("hermitian", False)),
             ("float32", "float64", "complex128"),
             [S(((3, 4), "c")), S(((2, 4, 3), "t")), S(((3, 3), "s"))],
             complex_vjp=(lambda T, a: (T.linalg.pinv(a),), _cot_any),
             errors=[(lambda T: T.linalg.pinv(T.ones(3, 3, dtype=T.int64)), RuntimeError,
                      "linalg.pinv(Long{[3, 3]}): expected a tensor with 2 or more dimensions of float, double, "
                      "cfloat or cdouble types"),
                     (lambda T: T.linalg.pinv(T.ones(3, 4), hermitian=True), RuntimeError,
                      "linalg.eigh: A must be batches of square matrices, but they are 3 by 4 matrices")]),
    LinalgOp("linalg_pinv_hermitian", lambda T, a, **k: T.linalg.pinv(a, hermitian=True, **k),
             lambda a, **k: np.linalg.pinv(a, hermitian=True), ("float32", "float64", "complex128"),
             [S(((3, 3), "c")), S(((2, 4, 4), "t")), S(((3, 3), "s"), atol=1e-9, rtol=1e-12)],
             grad_wrap=_sym, domain="wellcond"),
    LinalgOp("linalg_pinv_hermitian_rank_deficient",
             lambda T, a, **k: T.linalg.pinv(a[..., :1] @ a[..., :1].mT, hermitian=True, **k),
             lambda a, **k: np.linalg.pinv(a[..., :1] @ np.swapaxes(a[..., :1], -1, -2), hermitian=True,
                                           rcond=1e-8),
             ("float64",), [S(((3, 3), "c")), S(((2, 4, 4), "c"), atol=1e-8), S(((4, 4), "c"), rtol=1e-8)],
             grad=False),
    LinalgOp("linalg_pinv_rank_deficient", lambda T, a: T.linalg.pinv(a[..., :1] * a[..., :1, :], atol=1e-8),
             lambda a: np.linalg.pinv(a[..., :1] * a[..., :1, :], rcond=1e-8), ("float64",), [S(((3, 4), "c"))],
             grad=False),
    LinalgOp("pinverse", lambda T, a: T.pinverse(a), np.linalg.pinv, ("float64",), [S(((4, 3), "c"))]),
    LinalgOp("linalg_matrix_rank", lambda T, a, **k: T.linalg.matrix_rank(a[..., :2] @ a[..., :2, :], **k),
             lambda a, **k: np.asarray(np.linalg.matrix_rank(a[..., :2] @ a[..., :2, :], hermitian=k.get(
                 "hermitian", False), tol=k.get("atol"))).astype(np.int64), ("float32", "float64", "complex128"),
             [S(((4, 4), "c")), S(((2, 4, 5), "t")), S(((3, 3), "c"), atol=100.0)], grad=False,
             errors=[(lambda T: T.linalg.matrix_rank(T.ones(3)), RuntimeError,
                      "torch.linalg.matrix_rank: The input tensor input must have at least 2 dimensions."),
                     (lambda T: T.linalg.matrix_rank(T.ones(3, 3, dtype=T.int64)), RuntimeError,
                      "This function doesn't handle types other than float and double")]),
    LinalgOp("linalg_multi_dot", lambda T, *ts: T.linalg.multi_dot(ts), lambda *ts: np.linalg.multi_dot(ts),
             ("float32", "float64", "int64", "complex128"),
             [S(((3,), "c"), ((3, 4), "t"), ((4,), "s")), S(((2, 3), "c"), ((3, 4), "c")),
              S(((2, 5), "c"), ((5, 3), "t"), ((3, 6), "c"), ((6, 2), "s")), S(((3,), "c"), ((3,), "c"))],
             errors=[(lambda T: T.linalg.multi_dot([T.eye(3)]), RuntimeError,
                      "multi_dot(): expected at least 2 tensors but got 1"),
                     (lambda T: T.linalg.multi_dot([T.ones(2, 2, 2), T.eye(2)]), RuntimeError,
                      "multi_dot(): the first tensor must be 1D or 2D but got 3D"),
                     (lambda T: T.linalg.multi_dot([T.eye(3), T.ones(3), T.eye(3)]), RuntimeError,
                      "multi_dot(): tensor 1 must be 2D but got 1D"),
                     (lambda T: T.linalg.multi_dot([T.eye(3), T.ones(4, 3)]), RuntimeError,
                      "multi_dot(): tensors 0 and 1 with shapes [3, 3] and [4, 3] cannot be multiplied"),
                     (lambda T: T.linalg.multi_dot([T.eye(3), T.eye(3, dtype=T.float64)]), RuntimeError,
                      "multi_dot(): all tensors must have be the same dtype but tensor 0 is float and tensor 1 double")]),
    LinalgOp("chain_matmul", lambda T, *ts: T.chain_matmul(*ts), lambda *ts: np.linalg.multi_dot(ts),
             ("float32", "float64"), [S(((2, 3), "c"), ((3, 4), "t"), ((4, 2), "c"))],
             errors=[(lambda T: T.chain_matmul(), RuntimeError, "chain_matmul(): Expected one or more matrices"),
                     (lambda T: T.chain_matmul(T.ones(3), T.eye(3)), RuntimeError,
                      "Tensor dimension is 1, expected 2 instead.")]),
    LinalgOp("linalg_cross", lambda T, a, b, **k: T.linalg.cross(a, b, **k), _np_cross,
             ("float32", "float64", "int64", "int32", "int8", "complex128"),
             [S(((3,), "c"), ((3,), "s")), S(((2, 3), "t"), ((1, 3), "c")), S(((3, 4), "c"), ((3, 4), "s"), dim=0)],
             complex_vjp=(lambda T, a: (T.linalg.cross(a, a.flip(0), dim=-1 if a.shape[-1] == 3 else 0),), _cot_any),
             errors=[(lambda T: T.linalg.cross(T.ones(4), T.ones(4)), RuntimeError,
                      "linalg.cross: inputs dimension -1 must have length 3. Got 4 and 4"),
                     (lambda T: T.linalg.cross(T.ones(3), T.ones(2, 3)), RuntimeError,
                      "linalg.cross: inputs must have the same number of dimensions."),
                     (lambda T: T.cross(T.ones(2, 4), T.ones(2, 4)), RuntimeError, "no dimension of size 3 in input")]),
    LinalgOp("cross", lambda T, a, b: T.cross(a, b), lambda a, b: np.cross(a, b, axis=0), ("float64",),
             [S(((3, 3), "c"), ((3, 3), "t"))]),
    LinalgOp("cross_method", lambda T, a, b: a.cross(b, dim=1), lambda a, b: np.cross(a, b, axis=1), ("float64",),
             [S(((2, 3), "c"), ((2, 3), "s"))]),
    # ------------------------------------------------------------ eig
    LinalgOp("linalg_eigvals", lambda T, a: T.linalg.eigvals(a),
             lambda a: np.linalg.eigvals(a).astype(np.result_type(a.dtype, np.complex64)),
             ("float32", "float64", "complex128"), [S(((3, 3), "c")), S(((2, 4, 4), "t")), S(((0, 0), "c"))],
             refused=(("float16", NotImplementedError, "\"linalg_eig_out_cpu\" not implemented for 'Half'"),),
             complex_vjp=(lambda T, a: (T.linalg.eigvals(a),), _cot_any),
             errors=[(lambda T: T.linalg.eigvals(T.ones(3, 4)), RuntimeError,
                      "linalg.eigvals: A must be batches of square matrices, but they are 3 by 4 matrices"),
                     (lambda T: T.linalg.eig(T.full((3, 3), float("nan"))), RuntimeError,
                      "torch.linalg.eig: input tensor should not contain infs or NaNs."),
                     (lambda T: T.linalg.eig(T.ones(3, 3, dtype=T.int64)), RuntimeError,
                      "Unknown Complex ScalarType for Long")]),
    LinalgOp("linalg_eig_vectors_abs", lambda T, a: T.linalg.eig(a).eigenvectors.abs(),
             lambda a: np.abs(np.linalg.eig(a)[1]), ("float64", "complex128"), [S(((3, 3), "c")), S(((2, 3, 3), "s"))],
             complex_vjp=(lambda T, a: tuple(T.linalg.eig(a)), _cot_eig)),
    LinalgOp("linalg_eig_reconstruct", lambda T, a: (lambda L, V: T.matmul(V * L.unsqueeze(-2), T.linalg.inv(V)))(
        *T.linalg.eig(a)), lambda a: a.astype(np.result_type(a, np.complex64)), ("float32", "complex128"),
             [S(((4, 4), "t"))], grad=False),
    # ------------------------------------------------------------ lstsq
    LinalgOp("linalg_lstsq", lambda T, a, b, **k: T.linalg.lstsq(a, b, **k).solution,
             _batched(lambda a, b, driver=None: _np_lstsq(a, b)),
             ("float32", "float64", "complex128"),
             [S(((5, 3), "c"), ((5, 2), "c")), S(((2, 4, 3), "t"), ((2, 4, 2), "s")), S(((3, 3), "c"), ((3, 2), "c")),
              S(((5, 3), "c"), ((5, 2), "t"), driver="gelsd"), S(((5, 3), "s"), ((5, 1), "c"), driver="gelss"),
              S(((5, 3), "c"), ((5, 2), "c"), driver="gels")],
             domain="wellcond",
             complex_vjp=(lambda T, a: (T.linalg.lstsq(a, a[..., :2]).solution,), _cot_any),
             errors=[(lambda T: T.linalg.lstsq(T.ones(5, 3), T.ones(4, 2)), RuntimeError,
                      "torch.linalg.lstsq: input.size(-2) should match other.size(-2)"),
                     (lambda T: T.linalg.lstsq(T.ones(5, 3), T.ones(5, 2), driver="abc"), RuntimeError,
                      "torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)"),
                     (lambda T: T.linalg.lstsq(T.ones(5, 3), T.ones(5, 2, dtype=T.float64)), RuntimeError,
                      "torch.linalg.lstsq: Expected input and other to have the same dtype, but got input's dtype "
                      "Float and other's dtype Double"),
                     (lambda T: T.linalg.lstsq(T.ones(5, 3, dtype=T.int64), T.ones(5, 2, dtype=T.int64)),
                      RuntimeError, "This function doesn't handle types other than float and double")]),
    LinalgOp("linalg_lstsq_vector", lambda T, a, b: T.linalg.lstsq(a, b).solution, _np_lstsq, ("float64",),
             [S(((5, 3), "c"), ((5,), "c"))]),
    LinalgOp("linalg_lstsq_residuals", lambda T, a, b: T.linalg.lstsq(a, b, driver="gelsd").residuals,
             lambda a, b: np.linalg.lstsq(a, b, rcond=None)[1], ("float64",), [S(((5, 3), "c"), ((5, 2), "c"))],
             grad=False),
    LinalgOp("linalg_lstsq_singular_values", lambda T, a, b: T.linalg.lstsq(a, b, driver="gelsd").singular_values,
             lambda a, b: np.linalg.svd(a, compute_uv=False), ("float64",), [S(((5, 3), "t"), ((5, 2), "c"))],
             grad=False),
    LinalgOp("linalg_lstsq_rank", lambda T, a, b: T.linalg.lstsq(a[..., :1] * a[..., :1, :], b).rank,
             lambda a, b: np.asarray(1), ("float64",), [S(((5, 3), "c"), ((5, 2), "c"))], grad=False),
    # ------------------------------------------------------------ Cholesky family, det
    LinalgOp("cholesky", lambda T, a, **k: T.cholesky(_spd(T, a), **k),
             lambda a, upper=False: (lambda L: np.swapaxes(L, -1, -2) if upper else L)(np.linalg.cholesky(_spd_np(a))),
             ("float32", "float64"), [S(((3, 3), "c")), S(((2, 3, 3), "t"), upper=True)],
             errors=[(lambda T: T.cholesky(T.zeros(3, 3)), RuntimeError,
                      "cholesky: The factorization could not be completed because the input is not positive-definite "
                      "(the leading minor of order 1 is not positive-definite)."),
                     (lambda T: T.cholesky(T.ones(3, 4)), RuntimeError,
                      "cholesky: A must be batches of square matrices, but they are 3 by 4 matrices")]),
    LinalgOp("cholesky_inverse", lambda T, l, **k: T.cholesky_inverse(_tri_t(T, l, k.get("upper", False)), **k),
             lambda l, upper=False: (lambda L: np.linalg.inv(np.swapaxes(L, -1, -2).conj() @ L if upper else
                                                            L @ np.swapaxes(L, -1, -2).conj()))(_tri_np(l, upper)),
             ("float32", "float64", "complex128"), [S(((3, 3), "c")), S(((2, 3, 3), "t"), upper=True)],
             complex_vjp=(lambda T, a: (T.cholesky_inverse(_tri_t(T, a, False)),), _cot_any),
             errors=[(lambda T: T.cholesky_inverse(T.ones(3)), RuntimeError,
                      "cholesky_inverse: The input tensor A must have at least 2 dimensions."),
                     (lambda T: T.cholesky_inverse(T.ones(3, 3, dtype=T.int64)), NotImplementedError,
                      "\"cholesky_inverse_out_cpu\" not implemented for 'Long'")]),
    LinalgOp("cholesky_solve", lambda T, b, l, **k: T.cholesky_solve(b, _tri_t(T, l, k.get("upper", False)), **k),
             lambda b, l, upper=False: (lambda L: np.linalg.solve(np.swapaxes(L, -1, -2).conj() @ L if upper else
                                                                 L @ np.swapaxes(L, -1, -2).conj(), b))(_tri_np(l, upper)),
             ("float32", "float64", "complex128"),
             [S(((3, 2), "c"), ((3, 3), "c")), S(((2, 3, 2), "t"), ((3, 3), "s"), upper=True)],
             complex_vjp=(lambda T, b: (T.cholesky_solve(b, _tri_t(T, b @ b.mT, True), True),), _cot_any),
             errors=[(lambda T: T.cholesky_solve(T.ones(3, 2), T.ones(3)), RuntimeError,
                      "u should have at least 2 dimensions, but has 1 dimensions instead"),
                     (lambda T: T.cholesky_solve(T.ones(3, 2), T.eye(3, dtype=T.float64)), RuntimeError,
                      "Expected b and A to have the same dtype, but found b of type Float and A of type Double instead."),
                     (lambda T: T.cholesky_solve(T.ones(4, 2), T.eye(3)), RuntimeError,
                      "Incompatible matrix sizes for cholesky_solve: each A matrix is 3 by 3 but each b matrix is 4 by 2")]),
    LinalgOp("linalg_slogdet", lambda T, a: T.linalg.slogdet(a).logabsdet, lambda a: np.linalg.slogdet(a)[1],
             ("float32", "float64", "complex128"), [S(((3, 3), "c")), S(((2, 4, 4), "t"))],
             complex_vjp=(lambda T, a: tuple(T.linalg.slogdet(a)), _cot_real),
             errors=[(lambda T: T.slogdet(T.ones(3, 4)), RuntimeError,
                      "linalg.slogdet: A must be batches of square matrices, but they are 3 by 4 matrices")]),
    LinalgOp("slogdet_sign", lambda T, a: a.slogdet().sign, lambda a: np.linalg.slogdet(a)[0],
             ("float64", "complex128"), [S(((3, 3), "c")), S(((2, 3, 3), "s"))], grad=False),
    LinalgOp("logdet", lambda T, a: T.logdet(_spd(T, a)), lambda a: np.log(np.linalg.det(_spd_np(a))),
             ("float32", "float64"), [S(((3, 3), "c")), S(((2, 3, 3), "t"))],
             errors=[(lambda T: T.logdet(T.ones(3, 4)), RuntimeError,
                      "logdet: A must be batches of square matrices, but they are 3 by 4 matrices"),
                     (lambda T: T.logdet(T.ones(3, 3, dtype=T.int64)), RuntimeError,
                      "logdet: Expected a floating point or complex tensor as input. Got Long")]),
    LinalgOp("logdet_negative", lambda T, a: (-_spd(T, a)).logdet(),
             lambda a: np.asarray(np.nan, a.dtype), ("float64",), [S(((3, 3), "c"))], grad=False),
    LinalgOp("det", lambda T, a: T.det(a), np.linalg.det, ("float32", "float64"), [S(((3, 3), "t"))]),
    LinalgOp("inverse", lambda T, a: a.inverse(), np.linalg.inv, ("float32", "float64"), [S(((2, 3, 3), "c"))],
             domain="wellcond",
             errors=[(lambda T: T.inverse(T.zeros(3, 3)), RuntimeError,
                      "linalg.inv: The diagonal element 1 is zero, the inversion could not be completed because the "
                      "input matrix is singular.")]),
    # ------------------------------------------------------------ Householder, QR pieces
    LinalgOp("linalg_householder_product", lambda T, a, tau: T.linalg.householder_product(a, tau),
             _batched(_np_householder) if False else (lambda a, tau: np.stack([_np_householder(x, t) for x, t in zip(
                 a.reshape((-1,) + a.shape[-2:]), tau.reshape((-1, tau.shape[-1])))]).reshape(a.shape)),
             ("float32", "float64", "complex128"),
             [S(((4, 3), "c"), ((2,), "c")), S(((2, 4, 4), "t"), ((2, 4), "s")), S(((5, 3), "c"), ((3,), "c"))],
             complex_vjp=(lambda T, a: (T.linalg.householder_product(a, a[..., 0, :2] * 0.5),), _cot_any),
             errors=[(lambda T: T.linalg.householder_product(T.ones(3, 4), T.ones(2)), RuntimeError,
                      "torch.linalg.householder_product: input.shape[-2] must be greater than or equal to input.shape[-1]"),
                     (lambda T: T.linalg.householder_product(T.ones(4, 3), T.ones(4)), RuntimeError,
                      "torch.linalg.householder_product: input.shape[-1] must be greater than or equal to tau.shape[-1]"),
                     (lambda T: T.linalg.householder_product(T.ones(4, 3), T.ones(2, dtype=T.float64)), RuntimeError,
                      "torch.linalg.householder_product: tau dtype Double does not match input dtype Float"),
                     (lambda T: T.linalg.householder_product(T.ones(2, 4, 3), T.ones(3, 2)), RuntimeError,
                      "torch.linalg.householder_product: Expected batch dimensions of tau to be equal to "
                      "input.shape[:-2], but got [3]")]),
    LinalgOp("geqrf_a", lambda T, a: T.geqrf(a).a, _batched(lambda a: _sl.qr(a, mode="raw")[0][0]),
             ("float32", "float64", "complex128"), [S(((4, 3), "c")), S(((2, 3, 5), "t"))], grad=False,
             errors=[(lambda T: T.geqrf(T.ones(3)), RuntimeError, "torch.geqrf: input must have at least 2 dimensions."),
                     (lambda T: T.geqrf(T.ones(3, 3).requires_grad_()).a.sum().backward(), NotImplementedError,
                      "the derivative for 'geqrf' is not implemented.")]),
    LinalgOp("geqrf_tau", lambda T, a: a.geqrf().tau, _batched(lambda a: _sl.qr(a, mode="raw")[0][1]) if False else
             (lambda a: np.stack([_sl.qr(x, mode="raw")[0][1] for x in a.reshape((-1,) + a.shape[-2:])]).reshape(
                 a.shape[:-2] + (min(a.shape[-2:]),))),
             ("float32", "float64"), [S(((4, 3), "c")), S(((2, 3, 5), "s"))], grad=False),
    LinalgOp("orgqr", lambda T, a: (lambda r: T.orgqr(r.a, r.tau))(T.geqrf(a)),
             lambda a: np.linalg.qr(a)[0] * np.sign(np.diagonal(np.linalg.qr(a)[1]))[None, :] * np.sign(
                 np.diagonal(_sl.qr(a, mode="economic")[1]))[None, :], ("float64",), [S(((4, 3), "c"))], grad=False),
    LinalgOp("ormqr", lambda T, a, c, **k: (lambda r: T.ormqr(r.a, r.tau, c, **k))(T.geqrf(a)),
             lambda a, c, left=True, transpose=False: (lambda Q: (Q.conj().T if transpose else Q) @ c if left else
                                                       c @ (Q.conj().T if transpose else Q))(
                 _sl.qr(a, mode="full")[0]),
             ("float32", "float64", "complex128"),
             [S(((4, 3), "c"), ((4, 2), "c")), S(((4, 3), "t"), ((2, 4), "c"), left=False, transpose=True),
              S(((4, 4), "c"), ((4, 2), "s"), transpose=True)], grad=False,
             errors=[(lambda T: T.ormqr(T.ones(4, 3), T.ones(3), T.ones(3, 2)), RuntimeError,
                      "torch.ormqr: other.shape[-2] must be equal to input.shape[-2]")]),
    # ------------------------------------------------------------ LDL
    LinalgOp("linalg_ldl_solve", lambda T, a, b, **k: T.linalg.ldl_solve(*T.linalg.ldl_factor(a + a.mT, **k), b, **k),
             lambda a, b, **k: np.linalg.solve(a + np.swapaxes(a, -1, -2), b), ("float32", "float64"),
             [S(((3, 3), "c"), ((3, 2), "c")), S(((2, 4, 4), "t"), ((4, 1), "s"), hermitian=True)], grad=False,
             errors=[(lambda T: T.linalg.ldl_factor(T.ones(3, 4)), RuntimeError,
                      "torch.linalg.ldl_factor_ex: A must be batches of square matrices, but they are 3 by 4 matrices"),
                     (lambda T: T.linalg.ldl_factor(T.ones(3, 3, dtype=T.int64)), RuntimeError,
                      "torch.linalg.ldl_factor_ex: Expected a floating point or complex tensor as input. Got Long"),
                     (lambda T: T.linalg.ldl_solve(*T.linalg.ldl_factor(T.eye(3)), T.ones(4, 2)), RuntimeError,
                      "Incompatible matrix sizes for torch.linalg.ldl_solve: each A matrix is 3 by 3 but each b "
                      "matrix is 4 by 2")]),
    LinalgOp("linalg_ldl_solve_complex_hermitian",
             lambda T, a, b: T.linalg.ldl_solve(*T.linalg.ldl_factor(a + a.mT.conj(), hermitian=True), b,
                                                hermitian=True),
             lambda a, b: np.linalg.solve(a + np.conj(np.swapaxes(a, -1, -2)), b), ("complex128",),
             [S(((3, 3), "c"), ((3, 2), "c"))], grad=False),
    LinalgOp("linalg_ldl_factor_LD", lambda T, a: T.linalg.ldl_factor_ex(a + a.mT).LD,
             lambda a: np.tril(_sl.lapack.get_lapack_funcs("sytrf", (a,))(a + a.T, lower=1)[0]), ("float64",),
             [S(((4, 4), "c"))], grad=False),
    # ------------------------------------------------------------ tensor, Vandermonde
    LinalgOp("linalg_tensorinv", lambda T, a, **k: T.linalg.tensorinv(a, **k), lambda a, **k: np.linalg.tensorinv(a, **k),
             ("float32", "float64"), [S(((8, 2, 4), "c"), ind=1), S(((2, 3, 6), "c"), ind=2)],
             errors=[(lambda T: T.linalg.tensorinv(T.ones(4, 6), ind=0), RuntimeError,
                      "Expected a strictly positive integer for 'ind', but got 0")]),
    LinalgOp("linalg_tensorsolve", lambda T, a, b, **k: T.linalg.tensorsolve(a, b, **k),
             lambda a, b, dims=None: np.linalg.tensorsolve(a, b, axes=dims), ("float32", "float64"),
             [S(((2, 3, 6), "c"), ((2, 3), "c")), S(((6, 2, 3), "t"), ((2, 3), "s"), dims=(0,))],
             errors=[(lambda T: T.linalg.tensorsolve(T.ones(2, 3, 6), T.ones(2, 4)), RuntimeError,
                      "Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == "
                      "prod(self.shape[:other.ndim]), but got 6 != 8")]),
    LinalgOp("linalg_vander", lambda T, x, **k: T.linalg.vander(x, **k), _vander_np,
             ("float32", "float64", "int64", "complex128"), [S(((4,), "c")), S(((2, 3), "s"), N=5)],
             errors=[(lambda T: T.linalg.vander(T.ones(3), N=1), RuntimeError, "N must be greater than 1."),
                     (lambda T: T.linalg.vander(T.ones(3, dtype=T.bool)), RuntimeError,
                      "linalg.vander supports floating point, complex, and integer tensors, but got Bool")]),
    # ------------------------------------------------------------ removed in PyTorch 1.9
    LinalgOp("removed_functions", lambda T, a: a, lambda a: a, ("float32",), [S(((2, 2), "c"))], grad=False,
             errors=[(lambda T, n=n: getattr(T, n)(T.eye(3), T.eye(3)) if n in ("solve", "lstsq") else
                      getattr(T, n)(T.eye(3)), RuntimeError, msg) for n, msg in REMOVED.items()] +
                    [(lambda T, n=n: getattr(T.eye(3), n)(T.eye(3)) if n in ("solve", "lstsq") else
                      getattr(T.eye(3), n)(), RuntimeError, msg) for n, msg in REMOVED.items() if n != "matrix_rank"]),
]


# ------------------------------------------------------------ float products at the kernels' edges
# The float32 and float64 products run packed micro-tiles of 32 x 12 and
# 16 x 12 with cache blocks of a few hundred: these shapes put every m, n and
# k on either side of a tile or block edge, with transposed and strided
# operands, broadcast batches, alpha and beta, and non-finite values, against
# float64 numpy. Complex products run as real ones of twice the size (all
# but the non-finite cases, where numpy's BLAS and a naive complex product
# disagree among themselves). The tolerance grows with k (a float32 sum of
# k products of values in [-1, 1]).

_GEMM_DIMS = (1, 2, 7, 15, 16, 17, 31, 33, 63, 64, 65, 129, 300)


def _wide(x):
    """x in float64 (complex128 for complex x)"""
    return x.astype(np.result_type(x.dtype, np.float64))


def _mm64(a, b):
    """a @ b in float64 (complex128), returned in a's dtype."""
    with np.errstate(invalid="ignore"):
        return np.matmul(_wide(a), _wide(b)).astype(a.dtype)


def _addmm64(c, a, b, beta=1, alpha=1):
    prod = alpha * np.matmul(_wide(a), _wide(b))
    return (prod if beta == 0 else beta * _wide(c) + prod).astype(a.dtype)


def _gemm_tol(k):
    return (1e-5, 1e-6 + 5e-7 * k)


def _gemm_samples(k):
    """m x k @ k x n over the edge sizes, each with a layout pair of its own."""
    lays = (("c", "c"), ("t", "c"), ("c", "t"), ("t", "t"), ("s", "c"), ("c", "s"))
    out = []
    for i, m in enumerate(_GEMM_DIMS):
        n = _GEMM_DIMS[(i * 5 + k) % len(_GEMM_DIMS)]
        la, lb = lays[(i + k) % len(lays)]
        out.append(S(((m, k), la), ((k, n), lb)))
    return out


def _poison(x):
    """x with inf, -inf and nan written into a few places (in place: x is a
    fresh tensor or array)."""
    x[0, -1] = float("inf")
    x[-1, 0] = float("nan")
    x[x.shape[0] // 2, x.shape[1] // 2] = -float("inf")
    return x



_NOT_PD = [[[4., 2, 0], [2, 1, 3], [0, 3, 5]], [[4., 2, 0], [2, 5, 3], [0, 3, 5]],
           [[1., 0, 0], [0, 1, 0], [0, 0, -1]]]


def _np_potrf_each(a, upper=False):
    """LAPACK's potrf on each matrix of _NOT_PD in a's dtype: the factor, and
    where it stops the partial factor it leaves."""
    m = np.array(_NOT_PD, dtype=a.dtype)
    fn = _sl.lapack.get_lapack_funcs("potrf", (m,))
    L = np.stack([fn(x, lower=1, clean=1)[0] for x in m])
    return np.swapaxes(L, -1, -2) if upper else L

ops += [
    LinalgOp(f"matmul_k{k}", lambda T, a, b: T.matmul(a, b), _mm64,
             ("float32", "float64", "complex64", "complex128"), _gemm_samples(k), grad=False,
             tol=_gemm_tol(k))
    for k in _GEMM_DIMS
] + [
    LinalgOp("matmul_batched", lambda T, a, b: T.matmul(a, b), _mm64,
             ("float32", "float64", "complex64", "complex128"),
             [S(((2, 1, 17, 33), "c"), ((3, 33, 65), "t")), S(((5, 31, 7), "s"), ((7, 129), "c")),
              S(((65, 16), "t"), ((4, 16, 33), "c")), S(((40, 16, 16), "c"), ((40, 16, 15), "t")),
              S(((3, 129, 64), "c"), ((1, 64, 63), "c")),
              # batches of small products, shared between threads by their count
              S(((300, 5, 33), "t"), ((300, 33, 7), "c")), S(((260, 16, 64), "c"), ((260, 64, 3), "c")),
              # complex: a result of one or two columns a column at a time (each
              # one of the kernel's matrix-vector products; the right operand
              # transposed or not), three through the kernel
              S(((40, 300), "c"), ((300, 1), "c")), S(((33, 65), "c"), ((65, 2), "t")),
              S(((3, 17, 64), "s"), ((3, 64, 2), "c")), S(((9, 70), "c"), ((70, 3), "c")),
              # and of one row (a vector times a matrix, batched or not)
              S(((1, 300), "c"), ((300, 40), "c")), S(((4, 1, 65), "s"), ((4, 65, 33), "c")),
              S(((1, 70), "t"), ((70, 9), "c")),
              # a large operand against a few rows: read in place, not packed
              S(((16, 432), "c"), ((432, 700), "c")), S(((7, 300), "c"), ((300, 1024), "c")),
              S(((2, 24, 200), "c"), ((200, 900), "s"))],
             grad=False, tol=_gemm_tol(129)),
    LinalgOp("matmul_nonfinite", lambda T, a, b: T.matmul(_poison(a), _poison(b)),
             lambda a, b: _mm64(_poison(a.copy()), _poison(b.copy())), ("float32", "float64"),
             [S(((33, 17), "c"), ((17, 65), "c")), S(((7, 300), "t"), ((300, 31), "c")),
              S(((129, 16), "c"), ((16, 2), "t"))],
             grad=False, tol=_gemm_tol(300)),
    LinalgOp("addmm_edges", lambda T, c, a, b, **k: T.addmm(c, a, b, **k), _addmm64,
             ("float32", "float64", "complex64", "complex128"),
             [S(((33, 65), "c"), ((33, 17), "c"), ((17, 65), "t"), beta=0.5, alpha=2),
              S(((65,), "c"), ((129, 31), "t"), ((31, 65), "c"), beta=1, alpha=-1),
              S(((1, 13), "c"), ((300, 64), "c"), ((64, 13), "s"), beta=2, alpha=0),
              S(((64, 1), "c"), ((64, 0), "c"), ((0, 33), "c"), beta=3, alpha=1)],
             grad=False, tol=_gemm_tol(64)),
    LinalgOp("addmm_beta0_nan", lambda T, c, a, b, **k: T.addmm(c.fill_(float("nan")), a, b, **k),
             _addmm64, ("float32", "float64"),
             [S(((17, 65), "c"), ((17, 129), "c"), ((129, 65), "c"), beta=0, alpha=1.5),
              S(((33, 31), "t"), ((33, 7), "t"), ((7, 31), "t"), beta=0)],
             grad=False, tol=_gemm_tol(129)),
    LinalgOp("baddbmm_edges", lambda T, c, a, b, **k: T.baddbmm(c, a, b, **k), _addmm64,
             ("float32", "float64", "complex64", "complex128"),
             [S(((3, 33, 17), "c"), ((3, 33, 65), "t"), ((3, 65, 17), "c"), beta=0.25, alpha=3),
              S(((2, 15, 64), "c"), ((2, 15, 16), "s"), ((2, 16, 64), "t"), beta=-1, alpha=0.5)],
             grad=False, tol=_gemm_tol(65)),
    LinalgOp("baddbmm_beta0_nan",
             lambda T, c, a, b, **k: T.baddbmm(c.fill_(float("nan")), a, b, **k), _addmm64, ("float32", "float64"),
             [S(((4, 31, 33), "c"), ((4, 31, 63), "c"), ((4, 63, 33), "t"), beta=0, alpha=1)],
             grad=False, tol=_gemm_tol(63)),
    # ------------------------------------------------------------ LU / Cholesky / triangular kernels
    # batches of small matrices (one matrix per loop iteration, pivoting needed), orders from
    # 64 on (the recursive, gemm-based kernels), non-contiguous and broadcast batches
    LinalgOp("kernel_lu_factor", lambda T, a: T.linalg.lu_factor(a).LU, _batched(_np_lu_factor),
             ("float32", "float64"), [S(((5, 8, 8), "c")), S(((3, 8, 8), "t")), S(((2, 6, 6), "s")),
                                      S(((70, 70), "c")), S(((80, 66), "t")), S(((66, 80), "c"))],
             grad=False, tol=(1e-3, 1e-3)),
    LinalgOp("kernel_lu_factor_pivots", lambda T, a: T.linalg.lu_factor(a).pivots,
             _batched(lambda a: (_sl.lu_factor(a)[1] + 1).astype(np.int32)), ("float32", "float64"),
             [S(((6, 8, 8), "c")), S(((4, 8, 8), "s")), S(((70, 70), "t")), S(((2, 66, 80), "c")),
              S(((300, 8, 8), "c"))],
             grad=False),
    LinalgOp("kernel_det", lambda T, a: T.linalg.det(a), np.linalg.det, ("float32", "float64"),
             [S(((6, 8, 8), "c")), S(((3, 8, 8), "s")), S(((70, 70), "t"))], grad=False, tol=(1e-3, 1e-3)),
    LinalgOp("kernel_slogdet", lambda T, a: T.stack(list(T.linalg.slogdet(a))),
             lambda a: np.stack(np.linalg.slogdet(a)), ("float32", "float64"),
             [S(((6, 8, 8), "c")), S(((70, 70), "t"))], grad=False),
    LinalgOp("kernel_inv", lambda T, a: T.linalg.inv(a), np.linalg.inv, ("float32", "float64"),
             [S(((6, 8, 8), "c")), S(((3, 8, 8), "t")), S(((70, 70), "c")), S(((2, 70, 70), "s"))],
             domain="wellcond", grad=False),
    LinalgOp("kernel_solve", lambda T, a, b: T.linalg.solve(a, b),
             lambda a, b: np.linalg.solve(a, b[..., None])[..., 0] if b.ndim == 1 else np.linalg.solve(a, b),
             ("float32", "float64"),
             [S(((6, 8, 8), "c"), ((6, 8, 3), "c")), S(((2, 1, 8, 8), "t"), ((3, 8, 2), "s")),
              S(((300, 8, 8), "c"), ((300, 8, 4), "c")),
              S(((70, 70), "c"), ((70, 20), "t")), S(((70, 70), "s"), ((70,), "s"))],
             domain="wellcond", grad=False,
             errors=[(lambda T: T.linalg.solve(T.stack([T.eye(3), T.tensor([[1., 2, 3], [2, 4, 6], [1, 1, 1]])]),
                                               T.ones(2, 3, 1)), RuntimeError,
                      "torch.linalg.solve: (Batch element 1): The solver failed because the input matrix is singular.")]),
    LinalgOp("kernel_lu_solve", lambda T, a, b, **k: T.linalg.lu_solve(*T.linalg.lu_factor(a), b, **k),
             lambda a, b, left=True, adjoint=False: (lambda A: np.linalg.solve(A, b) if left else np.swapaxes(
                 np.linalg.solve(np.swapaxes(A, -1, -2), np.swapaxes(b, -1, -2)), -1, -2))(
                 np.swapaxes(a, -1, -2) if adjoint else a),
             ("float32", "float64"),
             [S(((6, 8, 8), "c"), ((6, 8, 3), "c")), S(((6, 8, 8), "t"), ((6, 3, 8), "s"), left=False),
              S(((70, 70), "c"), ((70, 20), "t"), adjoint=True), S(((70, 70), "c"), ((20, 70), "c"), left=False)],
             domain="wellcond", grad=False),
    LinalgOp("kernel_cholesky", lambda T, a: T.linalg.cholesky(_spd(T, a)),
             lambda a: np.linalg.cholesky(_spd_np(a)), ("float32", "float64"),
             [S(((6, 8, 8), "c")), S(((3, 8, 8), "s")), S(((70, 70), "t"))], grad=False,
             errors=[(lambda T: T.linalg.cholesky(T.stack([T.eye(3), -T.eye(3)])), RuntimeError,
                      "linalg.cholesky: (Batch element 1): The factorization could not be completed because the "
                      "input is not positive-definite (the leading minor of order 1 is not positive-definite)."),
                     (lambda T: T.linalg.cholesky(T.diag(T.tensor([1., 2, -1, 4]))), RuntimeError,
                      "(the leading minor of order 3 is not positive-definite)")]),
    LinalgOp("kernel_solve_triangular",
             lambda T, a, b, upper=True, **k: T.linalg.solve_triangular(_tri_t(T, a, upper), b, upper=upper, **k),
             lambda a, b, upper=True, left=True, unitriangular=False: (lambda A: (
                 np.linalg.solve(A, b) if left else np.swapaxes(np.linalg.solve(
                     np.swapaxes(A, -1, -2), np.swapaxes(b, -1, -2)), -1, -2)))(
                 _tri_np(a, upper) if not unitriangular else
                 _tri_np(a, upper) - np.einsum("...ii->...i", _tri_np(a, upper))[..., None] * np.eye(a.shape[-1], dtype=a.dtype)
                 + np.eye(a.shape[-1], dtype=a.dtype)),
             ("float32", "float64"),
             [S(((6, 8, 8), "c"), ((6, 8, 3), "c")), S(((8, 8), "t"), ((4, 8, 2), "s"), upper=False),
              S(((6, 8, 8), "s"), ((6, 3, 8), "c"), left=False, unitriangular=True),
              S(((70, 70), "c"), ((70, 20), "c"), upper=False), S(((70, 70), "t"), ((20, 70), "t"), left=False),
              S(((70, 70), "c"), ((70, 20), "s"))],
             grad=False),
    LinalgOp("kernel_qr_Q", lambda T, a, **k: T.linalg.qr(a, **k).Q,
             lambda a, mode="reduced": np.linalg.qr(a, mode=mode)[0], ("float32", "float64"),
             [S(((6, 8, 8), "c")), S(((3, 7, 4), "t")), S(((2, 4, 7), "s")), S(((5, 3), "c"), mode="complete"),
              S(((2, 3, 5), "t"), mode="complete"), S(((32, 32), "c"))], grad=False),
    LinalgOp("kernel_qr_R", lambda T, a, **k: T.linalg.qr(a, **k).R,
             lambda a, mode="reduced": np.linalg.qr(a, mode=mode)[1] if mode != "r" else np.linalg.qr(a, mode="r"),
             ("float32", "float64"),
             [S(((6, 8, 8), "c")), S(((3, 7, 4), "t")), S(((2, 4, 7), "s")), S(((5, 3), "c"), mode="complete"),
              S(((2, 6, 4), "c"), mode="r"), S(((4, 1), "c"))], grad=False),
    LinalgOp("cholesky_ex_not_pd_in_batch",
             lambda T, a, upper=False: T.linalg.cholesky_ex(T.tensor(_NOT_PD, dtype=a.dtype), upper=upper).L,
             _np_potrf_each, ("float32", "float64"), [S(((1, 1), "c")), S(((1, 1), "c"), upper=True)],
             grad=False,
             errors=[(lambda T: T.linalg.cholesky_ex(T.tensor(_NOT_PD), check_errors=True), RuntimeError,
                      "linalg.cholesky_ex: (Batch element 0): The factorization could not be completed because "
                      "the input is not positive-definite (the leading minor of order 2 is not positive-definite)."),
                     (lambda T: T.linalg.cholesky(T.tensor(_NOT_PD[1:])), RuntimeError,
                      "linalg.cholesky: (Batch element 1): The factorization could not be completed because "
                      "the input is not positive-definite (the leading minor of order 3 is not positive-definite).")]),
    LinalgOp("cholesky_ex_not_pd_in_batch_info",
             lambda T, a: T.linalg.cholesky_ex(T.tensor(_NOT_PD, dtype=a.dtype)).info,
             lambda a: np.array([2, 0, 3], dtype=np.int32), ("float32", "float64", "complex128"),
             [S(((1, 1), "c"))], grad=False),
    LinalgOp("kernel_inv_singular_in_batch_info",
             lambda T, a: T.linalg.inv_ex(T.stack([T.eye(3), T.tensor([[1., 2, 3], [2, 4, 6], [1, 1, 1]]),
                                                     T.zeros(3, 3)]).to(a.dtype)).info,
             lambda a: np.array([0, 3, 1], dtype=np.int32), ("float32", "float64"), [S(((1, 1), "c"))], grad=False,
             errors=[(lambda T: T.linalg.inv(T.stack([T.eye(3), T.tensor([[1., 2, 3], [2, 4, 6], [1, 1, 1]])])),
                      RuntimeError, "linalg.inv: (Batch element 1): The diagonal element 3 is zero, the inversion "
                                    "could not be completed because the input matrix is singular."),
                     (lambda T: T.linalg.lu_factor(T.stack([T.eye(3), T.tensor([[1., 2, 3], [2, 4, 6], [1, 1, 1]])])),
                      RuntimeError, "torch.linalg.lu_factor: (Batch element 1): U[3,3] is zero")]),
]
