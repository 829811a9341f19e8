"""Linear algebra: matrix products (ctorch's own kernels for float32,
float64 and bfloat16, complex as real products on them, the blocked loop
for integers),
batched products and the factorizations."""
import ctorch

from .common import ct_data


class Matmul:
    params = ([64, 256, 1024, 2048], ["float32", "float64", "complex64"])
    param_names = ["n", "dtype"]

    def setup(self, n, dtype):
        self.a = ct_data((n, n), dtype, seed=1)
        self.b = ct_data((n, n), dtype, seed=2)

    def time_matmul(self, n, dtype):
        self.a @ self.b

    def time_matmul_transposed(self, n, dtype):
        self.a @ self.b.mT


class MatmulBFloat16:
    """bfloat16 products: AMX tiles where the CPU has them, else float32"""
    params = ([16, 256, 1024], ["nn", "nt"])
    param_names = ["n", "layout"]

    def setup(self, n, layout):
        self.a = ct_data((n, n), "float32", seed=1).bfloat16()
        self.b = ct_data((n, n), "float32", seed=2).bfloat16()
        if layout == "nt":
            self.b = self.b.mT

    def time_matmul(self, n, layout):
        self.a @ self.b

    def time_bmm_small(self, n, layout):
        ctorch.bmm(self.a.view(-1, 16, 16)[:64], self.b.reshape(-1, 16, 16)[:64])


class MatmulInt:
    params = [64, 256]
    param_names = ["n"]

    def setup(self, n):
        self.a = ct_data((n, n), "int64", seed=1)
        self.b = ct_data((n, n), "int64", seed=2)

    def time_matmul(self, n):
        self.a @ self.b


class BatchedMatmul:
    params = ([(256, 32), (16, 256)], ["float32"])
    param_names = ["batch_n", "dtype"]

    def setup(self, batch_n, dtype):
        b, n = batch_n
        self.a = ct_data((b, n, n), dtype, seed=1)
        self.b = ct_data((b, n, n), dtype, seed=2)

    def time_bmm(self, batch_n, dtype):
        ctorch.bmm(self.a, self.b)

    def time_broadcast(self, batch_n, dtype):
        self.a @ self.b[0]


class Factorizations:
    params = [64, 256]
    param_names = ["n"]

    def setup(self, n):
        a = ct_data((n, n), "float64", seed=1)
        self.a = a @ a.mT + n * ctorch.eye(n, dtype=ctorch.float64)

    def time_inv(self, n):
        ctorch.linalg.inv(self.a)

    def time_solve(self, n):
        ctorch.linalg.solve(self.a, self.a)

    def time_cholesky(self, n):
        ctorch.linalg.cholesky(self.a)

    def time_einsum(self, n):
        ctorch.einsum("ij,jk->ik", self.a, self.a)


class Eig:
    """The general eigenproblem: one matrix, and a batch of small ones."""
    params = ["64", "16x16x16"]
    param_names = ["shape"]

    def setup(self, shape):
        self.a = ct_data(tuple(int(d) for d in shape.split("x")) if "x" in shape
                         else (int(shape), int(shape)), "float64", seed=1)

    def time_eig(self, shape):
        ctorch.linalg.eig(self.a)

    def time_eigvals(self, shape):
        ctorch.linalg.eigvals(self.a)


class FactorizationGrads:
    """Forward and backward of the factorizations, with random cotangents for
    every output (real inputs: no phase condition on them)."""
    params = [64, 256]
    param_names = ["n"]

    def setup(self, n):
        a = ct_data((n, n), "float64", seed=1)
        self.a = a.clone().requires_grad_(True)
        self.sym = (a + a.mT).requires_grad_(True)
        self.gm = [ct_data((n, n), "float64", seed=s) for s in (2, 3)]
        self.gv = ct_data((n,), "float64", seed=4)

    def time_qr(self, n):
        Q, R = ctorch.linalg.qr(self.a)
        ctorch.autograd.backward([Q, R], self.gm)

    def time_svd(self, n):
        U, S, Vh = ctorch.linalg.svd(self.a, full_matrices=False)
        ctorch.autograd.backward([U, S, Vh], [self.gm[0], self.gv, self.gm[1]])

    def time_eigh(self, n):
        L, V = ctorch.linalg.eigh(self.sym)
        ctorch.autograd.backward([L, V], [self.gv, self.gm[0]])
