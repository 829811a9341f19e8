"""Named results of ops with several outputs, as torch.return_types has them:
(values, indices) of max/min/median/mode/kthvalue/sort/topk/cummax/cummin
(dim=...), (hist, bin_edges) of histogram, and the factors of the linalg
factorizations (linalg_qr, linalg_svd, ...). Pure Python: the op modules
import it."""
from operator import itemgetter as _itemgetter


class _Named(tuple):
    """A tuple whose items are also attributes (the class's _fields), printed
    as torch.return_types.<name>(field=..., ...)."""
    __slots__ = ()
    _fields = ()

    def __new__(cls, *items):
        if len(items) != len(cls._fields):
            raise TypeError(f"{cls.__name__}() takes {len(cls._fields)} arguments ({len(items)} given)")
        return tuple.__new__(cls, items)

    def __repr__(self):
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
        return f"torch.return_types.{type(self).__name__}(\n{body})"

    def __reduce__(self):
        return (type(self), tuple(self))

    def _asdict(self):
        return dict(zip(self._fields, self))


def _named(name, fields):
    attrs = {"__slots__": (), "__module__": __name__, "__qualname__": name, "_fields": fields}
    for i, f in enumerate(fields):
        attrs[f] = property(_itemgetter(i), doc=f"Alias for field number {i}")
    return type(name, (_Named,), attrs)


_FIELDS = dict([
    *((n, ("values", "indices")) for n in
      ("max", "min", "median", "mode", "kthvalue", "sort", "topk", "cummax", "cummin",
       "nanmedian")),
    ("aminmax", ("min", "max")),
    ("histogram", ("hist", "bin_edges")),
    ("histogramdd", ("hist", "bin_edges")),
    ("linalg_qr", ("Q", "R")),
    ("linalg_svd", ("U", "S", "Vh")),
    ("linalg_eigh", ("eigenvalues", "eigenvectors")),
    ("linalg_slogdet", ("sign", "logabsdet")),
    ("linalg_inv_ex", ("inverse", "info")),
    ("linalg_cholesky_ex", ("L", "info")),
    ("qr", ("Q", "R")),
    ("svd", ("U", "S", "V")),
    ("linalg_lu_factor", ("LU", "pivots")),
    ("linalg_lu_factor_ex", ("LU", "pivots", "info")),
    ("linalg_lu", ("P", "L", "U")),
    ("lu_unpack", ("P", "L", "U")),
    ("linalg_solve_ex", ("result", "info")),
    ("linalg_eig", ("eigenvalues", "eigenvectors")),
    ("linalg_lstsq", ("solution", "residuals", "rank", "singular_values")),
    ("linalg_ldl_factor", ("LD", "pivots")),
    ("linalg_ldl_factor_ex", ("LD", "pivots", "info")),
    ("geqrf", ("a", "tau")),
    ("triangular_solve", ("solution", "cloned_coefficient")),
    ("slogdet", ("sign", "logabsdet")),
    ("frexp", ("mantissa", "exponent")),
    ("frexp_out", ("mantissa", "exponent")),
])
__all__ = sorted(_FIELDS)


def __getattr__(name):
    # each type is made when first used (making them all costs `import ctorch` time)
    fields = _FIELDS.get(name)
    if fields is None:
        raise AttributeError(f"module 'ctorch.return_types' has no attribute '{name}'")
    cls = globals()[name] = _named(name, fields)
    return cls


def __dir__():
    return sorted(set(globals()) | set(_FIELDS))
