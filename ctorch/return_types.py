"""Named tuples returned by ops with several outputs: (values, indices) of
max/min/median(dim=...) and friends, and the factors of the linalg
factorizations (torch.return_types.linalg_qr, linalg_svd, ...)."""
from collections import namedtuple

from ctorch import _C


def _factor_type(name, fields):
    cls = namedtuple(name, fields, module=__name__)

    def __repr__(self):
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(fields, self))
        return f"torch.return_types.{name}(\n{body})"
    cls.__repr__ = __repr__
    return cls


_FACTORS = {name: _factor_type(name, fields) for name, fields in (
    ("linalg_qr", ("Q", "R")),
    ("linalg_svd", ("U", "S", "Vh")),
    ("linalg_eigh", ("eigenvalues", "eigenvectors")),
    ("linalg_slogdet", ("sign", "logabsdet")),
    ("linalg_inv_ex", ("inverse", "info")),
    ("linalg_cholesky_ex", ("L", "info")),
    ("qr", ("Q", "R")),
    ("svd", ("U", "S", "V")),
)}

globals().update(_C._return_types())
globals().update(_FACTORS)
__all__ = sorted(set(_C._return_types()) | set(_FACTORS))
