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
             errors=[(lambda T: T.trace(T.ones(3)), RuntimeError, "trace: expected a matrix, but got tensor with dim 1")]),
    LinalgOp("tril", lambda T, a, **k: T.tril(a, **k), lambda a, diagonal=0: np.tril(a, diagonal),
             ("bool",) + NUMERIC,
             [S(((3, 4), "c")), S(((3, 4), "t"), diagonal=1), S(((2, 3, 3), "s"), diagonal=-1)],
             errors=[(lambda T: T.tril(T.ones(3)), RuntimeError, "tril: input tensor must have at least 2 dimensions")]),
    LinalgOp("triu", lambda T, a, **k: T.triu(a, **k), lambda a, diagonal=0: np.triu(a, diagonal),
             ("bool",) + NUMERIC,
             [S(((3, 4), "c")), S(((4, 3), "t"), diagonal=-2), S(((2, 3, 3), "s"), diagonal=2)]),
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
