"""Named results of ops with several outputs, as torch.return_types has them:
(values, indices) of max/min/median/mode/kthvalue/sort/topk/cummax/cummin
(dim=...), and the factors of the linalg factorizations (linalg_qr,
linalg_svd, ...). Pure Python: the op modules import it."""
from collections import namedtuple


class _ReturnType(tuple):
    """A (values, indices) pair printed and accessed like torch.return_types.*"""
    __slots__ = ()

    def __new__(cls, values, indices):
        return tuple.__new__(cls, (values, indices))

    @property
    def values(self):
        return self[0]

    @property
    def indices(self):
        return self[1]

    def __repr__(self):
        return f"torch.return_types.{type(self).__name__}(\nvalues={self[0]!r},\nindices={self[1]!r})"

    def __reduce__(self):
        return (type(self), (self[0], self[1]))


class _HistogramReturn(tuple):
    """(hist, bin_edges), as torch.return_types.histogram."""
    __slots__ = ()

    def __new__(cls, hist, bin_edges):
        return tuple.__new__(cls, (hist, bin_edges))

    @property
    def hist(self):
        return self[0]

    @property
    def bin_edges(self):
        return self[1]

    def __repr__(self):
        return f"torch.return_types.{type(self).__name__}(\nhist={self[0]!r},\nbin_edges={self[1]!r})"

    def __reduce__(self):
        return (type(self), (self[0], self[1]))


_PAIRS = {name: type(name, (_ReturnType,), {"__slots__": (), "__module__": "ctorch.return_types",
                                             "__qualname__": name})
          for name in ("max", "min", "median", "mode", "kthvalue", "sort", "topk", "cummax", "cummin")}
_PAIRS["histogram"] = type("histogram", (_HistogramReturn,), {"__slots__": (), "__module__": "ctorch.return_types",
                                                              "__qualname__": "histogram"})


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

globals().update(_PAIRS)
globals().update(_FACTORS)
__all__ = sorted(set(_PAIRS) | set(_FACTORS))
