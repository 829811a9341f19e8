"""The table of torch.fft functions and complex-number ops that tests/test_fft.py
is driven by.

Each entry: how to call the op in ctorch (`fn(torch, *args, **kw)`), the
numpy reference on the same inputs (`ref(*arrays, **kw)`), the input dtypes it
is checked on, the result dtype for an input dtype, sample inputs (a function
of (rng, dtype) giving a list of (args, kwargs); numpy arrays wrapped in D(...)
are data inputs, fed contiguous, transposed and sliced with a step, and
differentiated by gradcheck), the grad_fn name PyTorch records, and error
cases (a call, exception type, message fragment). Dtypes are strings so that
this module needs no ctorch.
"""
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from tests.op_db_shape import D, arr  # noqa: F401  (D: a data input; arr: seeded sample data)

FLOATS = ("float32", "float64")
CPLX = ("complex64", "complex128")
PROMOTED = ("int64", "bool")            # go to the default float dtype first
C2C_DTYPES = FLOATS + CPLX + PROMOTED
R2C_DTYPES = FLOATS + PROMOTED

_TO_COMPLEX = {"float32": "complex64", "float64": "complex128", "complex64": "complex64",
               "complex128": "complex128", "int64": "complex64", "bool": "complex64"}
_TO_REAL = {"float32": "float32", "float64": "float64", "complex64": "float32",
            "complex128": "float64", "int64": "float32", "bool": "float32"}


def to_complex(dt):
    return _TO_COMPLEX[dt]


def to_real(dt):
    return _TO_REAL[dt]


@dataclass
class FftOp:
    name: str
    fn: Callable
    ref: Callable
    samples: Callable
    dtypes: tuple
    out_dtype: Callable
    grad_fn: Optional[str] = None       # None: not differentiable
    errors: list = field(default_factory=list)


def _s(*cases):
    """samples from (shape of the data, kwargs)"""
    def make(rng, dt):
        return [([D(arr(rng, shape, dt))], kw) for shape, kw in cases]
    return make


def _nd_axes(a, kw, default):
    """numpy axes and sizes for an n-d call written the torch way."""
    s, dims = kw.get("s"), kw.get("dim", default)
    if dims is None:
        dims = list(range(a.ndim)) if s is None else list(range(a.ndim - len(s), a.ndim))
    dims = [d % a.ndim for d in dims]
    return s, dims


def _ref1(npfn):
    def ref(a, **kw):
        return npfn(a, n=kw.get("n"), axis=kw.get("dim", -1), norm=kw.get("norm"))
    return ref


def _refn(npfn, default=None):
    def ref(a, **kw):
        s, dims = _nd_axes(a, kw, default)
        return npfn(a, s=s, axes=dims, norm=kw.get("norm"))
    return ref


def _hermitian_full(x, s, dims):
    """The full spectrum over dims of which x holds the one-sided half along
    dims[-1] (x resized to s first): X[-k] = conj(X[k])."""
    last = dims[-1]
    n = s[-1] if s is not None else 2 * (x.shape[last] - 1)
    m = n // 2 + 1
    for d, size in zip(dims[:-1], (s[:-1] if s is not None else [x.shape[d] for d in dims[:-1]])):
        x = _fit(x, d, size)
    x = _fit(x, last, m)
    others = [d for d in dims[:-1]]
    flipped = np.conj(x)
    if others:
        flipped = np.roll(np.flip(flipped, others), 1, others)
    full = np.zeros(x.shape[:last] + (n,) + x.shape[last + 1:], dtype=np.result_type(x, np.complex64))
    idx = [slice(None)] * x.ndim
    idx[last] = slice(0, m)
    full[tuple(idx)] = x
    for k in range(m, n):
        idx[last] = k
        src = [slice(None)] * x.ndim
        src[last] = n - k
        full[tuple(idx)] = flipped[tuple(src)]
    return full


def _fit(x, d, size):
    if x.shape[d] >= size:
        return np.take(x, range(size), axis=d)
    pad = [(0, 0)] * x.ndim
    pad[d] = (0, size - x.shape[d])
    return np.pad(x, pad)


def _hfftn_ref(default):
    def ref(a, **kw):
        s, dims = _nd_axes(a, kw, default)
        full = _hermitian_full(a, s, dims)
        return np.fft.fftn(full, axes=dims, norm=kw.get("norm")).real
    return ref


def _ihfftn_ref(default):
    def ref(a, **kw):
        s, dims = _nd_axes(a, kw, default)
        r = np.fft.ifftn(a, s=s, axes=dims, norm=kw.get("norm"))
        return np.take(r, range(r.shape[dims[-1]] // 2 + 1), axis=dims[-1])
    return ref


def _hfft1_ref(a, **kw):
    return _hfftn_ref(None)(a, s=None if kw.get("n") is None else [kw["n"]], dim=[kw.get("dim", -1)],
                            norm=kw.get("norm"))


def _fft(name):
    return lambda torch, *a, **k: getattr(torch.fft, name)(*a, **k)


_ONE_D = _s(((8,), {}), ((7,), {"n": 5}), ((5,), {"n": 8, "norm": "ortho"}),
            ((6,), {"n": 8}), ((2, 3), {"n": 8, "norm": "forward"}), ((2, 12), {"n": 16}),
            ((4, 6), {"dim": 0, "norm": "forward"}), ((3, 5), {"norm": "backward"}))
_ONE_D_C2R = _s(((5,), {}), ((4,), {"n": 7}), ((6,), {"n": 4, "norm": "ortho"}),
                ((4, 3), {"dim": 0, "norm": "forward"}), ((2, 4), {}))
_N_D = _s(((4, 6), {}), ((3, 4, 5), {"dim": (0, 2), "norm": "ortho"}),
          ((4, 5), {"s": (3, 8), "norm": "forward"}), ((2, 3, 4), {"s": (5, 2)}),
          ((3, 4), {"dim": (-1,)}))
_TWO_D = _s(((4, 6), {}), ((2, 3, 5), {"norm": "ortho"}), ((4, 5), {"s": (3, 8), "dim": (1, 0)}))
_N_D_C2R = _s(((4, 4), {}), ((3, 4, 3), {"dim": (0, 2), "norm": "ortho"}),
              ((4, 5), {"s": (3, 6), "norm": "forward"}), ((2, 3, 4), {"s": (5, 5)}))


def _err(call, exc, frag):
    return (call, exc, frag)


_COMMON_ERRORS = lambda name: [  # noqa: E731
    _err(lambda torch: getattr(torch.fft, name)(torch.ones(4), norm="bad"), RuntimeError,
         'Invalid normalization mode: "bad"'),
    _err(lambda torch: getattr(torch.fft, name)(torch.ones(4, dtype=torch.float16)), RuntimeError,
         "Unsupported dtype Half"),
    _err(lambda torch: getattr(torch.fft, name)([1.0, 2.0]), TypeError, "must be Tensor, not list"),
]

_ONE_D_ERRORS = lambda name: _COMMON_ERRORS(name) + [  # noqa: E731
    _err(lambda torch: getattr(torch.fft, name)(torch.ones(4), n=0), RuntimeError,
         "Invalid number of data points (0) specified"),
    _err(lambda torch: getattr(torch.fft, name)(torch.ones(4), n=-2), RuntimeError,
         "Invalid number of data points (-2) specified"),
    _err(lambda torch: getattr(torch.fft, name)(torch.ones(4), dim=2), IndexError,
         "Dimension out of range (expected to be in range of [-1, 0], but got 2)"),
    _err(lambda torch: getattr(torch.fft, name)(torch.tensor(1.0)), IndexError,
         "Dimension specified as -1 but tensor has no dimensions"),
    _err(lambda torch: getattr(torch.fft, name)(torch.ones(4), n=2.0), TypeError, "argument 'n' must be int"),
]

_N_D_ERRORS = lambda name: _COMMON_ERRORS(name) + [  # noqa: E731
    _err(lambda torch: getattr(torch.fft, name)(torch.ones(4, 4), s=(2, 2), dim=(0,)), RuntimeError,
         "When given, dim and shape arguments must have the same length"),
    _err(lambda torch: getattr(torch.fft, name)(torch.ones(4, 4), dim=(0, -2)), RuntimeError,
         "FFT dims must be unique"),
    _err(lambda torch: getattr(torch.fft, name)(torch.ones(4, 4), s=(2, 2, 2)), RuntimeError,
         "Got shape with 3 values but input tensor only has 2 dimensions."),
    _err(lambda torch: getattr(torch.fft, name)(torch.ones(4, 4), s=(0, 2)), RuntimeError,
         "Invalid number of data points (0) specified"),
    _err(lambda torch: getattr(torch.fft, name)(torch.ones(4, 4), dim=(0, 3)), IndexError,
         "Dimension out of range"),
]

_REAL_ONLY_MSG = {"rfftn": "rfftn expects a real-valued input tensor, but got ComplexFloat",
                  "rfft2": "rfftn expects a real-valued input tensor, but got ComplexFloat",
                  "ihfftn": "Only supports floating-point dtypes, but found: ComplexFloat",
                  "ihfft2": "Only supports floating-point dtypes, but found: ComplexFloat"}

_REAL_ONLY = lambda name: [  # noqa: E731
    _err(lambda torch: getattr(torch.fft, name)(torch.ones(4, 4, dtype=torch.complex64)), RuntimeError,
         _REAL_ONLY_MSG.get(name, f"{name} expects a real input tensor, but got ComplexFloat")),
]

OPS = [
    FftOp("fft", _fft("fft"), _ref1(np.fft.fft), _ONE_D, C2C_DTYPES, to_complex, "FftC2CBackward0",
          _ONE_D_ERRORS("fft") + [
              _err(lambda torch: torch.fft.fft(torch.ones(0)), RuntimeError,
                   "Invalid number of data points (0) specified"),
              _err(lambda torch: torch.fft.fft(torch.ones(4), out=torch.empty(4)), RuntimeError,
                   "fft expects a complex output tensor, but got Float")]),
    FftOp("ifft", _fft("ifft"), _ref1(np.fft.ifft), _ONE_D, C2C_DTYPES, to_complex, "FftC2CBackward0",
          _ONE_D_ERRORS("ifft")),
    FftOp("rfft", _fft("rfft"), _ref1(np.fft.rfft), _ONE_D, R2C_DTYPES, to_complex, "FftR2CBackward0",
          _ONE_D_ERRORS("rfft") + _REAL_ONLY("rfft")),
    FftOp("irfft", _fft("irfft"), _ref1(np.fft.irfft), _ONE_D_C2R, C2C_DTYPES, to_real, "FftC2RBackward0",
          _ONE_D_ERRORS("irfft") + [
              _err(lambda torch: torch.fft.irfft(torch.ones(1, dtype=torch.complex64)), RuntimeError,
                   "Invalid number of data points (0) specified")]),
    FftOp("hfft", _fft("hfft"), _hfft1_ref, _ONE_D_C2R, C2C_DTYPES, to_real, "FftC2RBackward0",
          _ONE_D_ERRORS("hfft")),
    FftOp("ihfft", _fft("ihfft"), _ref1(np.fft.ihfft), _ONE_D, R2C_DTYPES, to_complex, "ConjBackward0",
          _ONE_D_ERRORS("ihfft") + _REAL_ONLY("ihfft")),
    FftOp("fftn", _fft("fftn"), _refn(np.fft.fftn), _N_D, C2C_DTYPES, to_complex, "FftC2CBackward0",
          _N_D_ERRORS("fftn")),
    FftOp("ifftn", _fft("ifftn"), _refn(np.fft.ifftn), _N_D, C2C_DTYPES, to_complex, "FftC2CBackward0",
          _N_D_ERRORS("ifftn")),
    FftOp("rfftn", _fft("rfftn"), _refn(np.fft.rfftn), _N_D, R2C_DTYPES, to_complex, "FftR2CBackward0",
          _N_D_ERRORS("rfftn") + _REAL_ONLY("rfftn") + [
              _err(lambda torch: torch.fft.rfftn(torch.tensor(2.0)), RuntimeError,
                   "rfftn must transform at least one axis")]),
    FftOp("irfftn", _fft("irfftn"), _refn(np.fft.irfftn), _N_D_C2R, C2C_DTYPES, to_real, "FftC2RBackward0",
          _N_D_ERRORS("irfftn") + [
              _err(lambda torch: torch.fft.irfftn(torch.tensor(2.0)), RuntimeError,
                   "irfftn must transform at least one axis")]),
    FftOp("hfftn", _fft("hfftn"), _hfftn_ref(None), _N_D_C2R, C2C_DTYPES, to_real, "FftC2RBackward0",
          _N_D_ERRORS("hfftn")),
    FftOp("ihfftn", _fft("ihfftn"), _ihfftn_ref(None), _N_D, R2C_DTYPES, to_complex, "ConjBackward0",
          _N_D_ERRORS("ihfftn") + _REAL_ONLY("ihfftn") + [
              _err(lambda torch: torch.fft.ihfftn(torch.tensor(2.0)), RuntimeError,
                   "ihfftn must transform at least one axis")]),
    FftOp("fft2", _fft("fft2"), _refn(np.fft.fftn, (-2, -1)), _TWO_D, C2C_DTYPES, to_complex,
          "FftC2CBackward0", [_err(lambda torch: torch.fft.fft2(torch.ones(3)), IndexError,
                                   "Dimension out of range (expected to be in range of [-1, 0], but got -2)")]),
    FftOp("ifft2", _fft("ifft2"), _refn(np.fft.ifftn, (-2, -1)), _TWO_D, C2C_DTYPES, to_complex,
          "FftC2CBackward0"),
    FftOp("rfft2", _fft("rfft2"), _refn(np.fft.rfftn, (-2, -1)), _TWO_D, R2C_DTYPES, to_complex,
          "FftR2CBackward0", _REAL_ONLY("rfft2")),
    FftOp("irfft2", _fft("irfft2"), _refn(np.fft.irfftn, (-2, -1)), _TWO_D, C2C_DTYPES, to_real,
          "FftC2RBackward0"),
    FftOp("hfft2", _fft("hfft2"), _hfftn_ref((-2, -1)), _TWO_D, CPLX, to_real, "FftC2RBackward0"),
    FftOp("ihfft2", _fft("ihfft2"), _ihfftn_ref((-2, -1)), _TWO_D, FLOATS, to_complex, "ConjBackward0",
          _REAL_ONLY("ihfft2")),
    FftOp("fftshift", _fft("fftshift"), lambda a, **kw: np.fft.fftshift(a, axes=kw.get("dim")),
          _s(((5,), {}), ((4, 5), {}), ((4, 5), {"dim": 1}), ((3, 4, 5), {"dim": (0, -1)})),
          C2C_DTYPES, lambda dt: dt, "RollBackward0"),
    FftOp("ifftshift", _fft("ifftshift"), lambda a, **kw: np.fft.ifftshift(a, axes=kw.get("dim")),
          _s(((5,), {}), ((4, 5), {}), ((4, 5), {"dim": (1,)}), ((3, 4, 5), {"dim": (0, -1)})),
          C2C_DTYPES, lambda dt: dt, "RollBackward0"),
]
