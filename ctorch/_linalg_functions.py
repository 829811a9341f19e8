"""The linear-algebra functions of the torch namespace (torch.det,
torch.cholesky_solve, torch.lu, ...) and their Tensor methods, over
ctorch.linalg. Loaded on first use (ctorch._ON_FIRST_USE)."""

from ctorch import linalg as _la
from ctorch._core.tensor import _install_method
from ctorch.return_types import slogdet as _SLOGDET

__all__ = ["det", "inverse", "logdet", "slogdet", "cholesky", "cholesky_inverse", "cholesky_solve",
           "lu", "lu_solve", "lu_unpack", "matrix_exp", "matrix_power", "matrix_rank", "pinverse",
           "geqrf", "orgqr", "ormqr", "triangular_solve", "chain_matmul", "nuclear_norm",
           "frobenius_norm", "dist", "cross", "renorm", "symeig", "eig", "lstsq", "solve"]

det = _la.det
inverse = _la.inv
logdet = _la._logdet
cholesky = _la._cholesky_legacy
cholesky_inverse = _la._cholesky_inverse
cholesky_solve = _la._cholesky_solve
lu = _la._lu_legacy
lu_solve = _la._lu_solve_legacy
lu_unpack = _la._lu_unpack
matrix_exp = _la.matrix_exp
matrix_power = _la.matrix_power
pinverse = _la._pinverse
geqrf = _la._geqrf
orgqr = _la._orgqr
ormqr = _la._ormqr
triangular_solve = _la._triangular_solve_legacy
chain_matmul = _la._chain_matmul
nuclear_norm = _la._nuclear_norm
frobenius_norm = _la._frobenius_norm
dist = _la._dist
cross = _la._cross_legacy
renorm = _la._renorm
# removed in PyTorch 1.9: calling them raises, naming the replacement
symeig = _la._removed_symeig
eig = _la._removed_eig
lstsq = _la._removed_lstsq
solve = _la._removed_solve
matrix_rank = _la._removed_matrix_rank


def slogdet(input, *, out=None):
    """torch.slogdet: (sign, logabsdet) as torch.return_types.slogdet."""
    r = _SLOGDET(*_la.slogdet(input))
    return r if out is None else _la._fill_out("slogdet", out, r, (input,))


# ------------------------------------------------------------------ Tensor methods

def _t_det(self):
    return _la.det(self)


def _t_inverse(self):
    return _la.inv(self)


def _t_logdet(self):
    return _la._logdet(self)


def _t_slogdet(self):
    return slogdet(self)


def _t_cholesky(self, upper=False):
    return _la._cholesky_legacy(self, upper)


def _t_cholesky_inverse(self, upper=False):
    return _la._cholesky_inverse(self, upper)


def _t_cholesky_solve(self, input2, upper=False):
    return _la._cholesky_solve(self, input2, upper)


def _t_lu(self, pivot=True, get_infos=False):
    return _la._lu_legacy(self, pivot, get_infos)


def _t_lu_solve(self, LU_data, LU_pivots):
    return _la._lu_solve_legacy(self, LU_data, LU_pivots)


def _t_matrix_exp(self):
    return _la.matrix_exp(self)


def _t_matrix_power(self, n):
    return _la.matrix_power(self, n)


def _t_pinverse(self, rcond=1e-15):
    return _la._pinverse(self, rcond)


def _t_geqrf(self):
    return _la._geqrf(self)


def _t_orgqr(self, input2):
    return _la._orgqr(self, input2)


def _t_ormqr(self, input2, input3, left=True, transpose=False):
    return _la._ormqr(self, input2, input3, left, transpose)


def _t_triangular_solve(self, A, upper=True, transpose=False, unitriangular=False):
    return _la._triangular_solve_legacy(self, A, upper, transpose, unitriangular)


def _t_dist(self, other, p=2):
    return _la._dist(self, other, p)


def _t_cross(self, other, dim=None, *, axis=None):
    return _la._cross_legacy(self, other, dim, axis=axis)


def _t_renorm(self, p, dim=None, maxnorm=None, *, axis=None):
    return _la._renorm(self, p, dim, maxnorm, axis=axis)


def _t_renorm_(self, p, dim=None, maxnorm=None, *, axis=None):
    return _la._renorm_(self, p, dim, maxnorm, axis=axis)


def _t_symeig(self, eigenvectors=False, upper=True):
    return _la._removed_symeig(self, eigenvectors, upper)


def _t_eig(self, eigenvectors=False):
    return _la._removed_eig(self, eigenvectors)


def _t_lstsq(self, A):
    return _la._removed_lstsq(self, A)


def _t_solve(self, A):
    return _la._removed_solve(self, A)


_METHODS = ("det", "inverse", "logdet", "slogdet", "cholesky", "cholesky_inverse", "cholesky_solve", "lu",
            "lu_solve", "matrix_exp", "matrix_power", "pinverse", "geqrf", "orgqr", "ormqr",
            "triangular_solve", "dist", "cross", "renorm", "renorm_", "symeig", "eig", "lstsq", "solve")
for _name in _METHODS:
    _fn = globals()["_t_" + _name]
    _fn.__name__ = _name
    _fn.__qualname__ = "Tensor." + _name
    _install_method(_name, _fn)
del _name, _fn
