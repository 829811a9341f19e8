"""The special functions: the engine of torch.special, and their torch-level
and Tensor names (digamma, lgamma, erfc, erfinv, i0, polygamma, mvlgamma,
igamma, igammac, xlogy, sinc, logit and their in-place forms).

The values come from ctorch's own kernels where they have one for the
operands (ctorch/_kernels/special.c through ctorch._ops.special_k: digamma,
trigamma, lgamma, erfc, erfcx, erfinv, ndtr, log_ndtr, entr, i0 / i0e / i1 /
i1e, logit, on contiguous float32 / float64 CPU tensors, some float32 only),
otherwise from scipy.special's compiled ufuncs, called on the tensors' memory with out=
pointing into the freshly allocated result (no copies of CPU inputs; half
is computed in float and rounded once, by the ufunc's output cast). Integer and bool inputs give the default float dtype, as in
PyTorch; binary functions broadcast and promote as PyTorch does. CUDA
tensors go through a host copy and back. Gradients are entries of the
derivatives table (ctorch.autograd.derivatives), whose formulas call back
into ctorch.special.

Loaded on first use (ctorch._ON_FIRST_USE): `import ctorch` loads neither
this module nor scipy.
"""

from ctorch._core.tensor import Tensor
from ctorch._core.dtype import _scalar_name, get_default_dtype, _dtype_list
from ctorch._core.iterator import _write_out, can_cast
from ctorch._ops.creation import empty as _empty, empty_like as _empty_like
from ctorch._ops import elementwise as _ew
from ctorch._ops.elementwise import result_type as _result_type
from ctorch._core.tensor import _install_method, _bump_version
from ctorch.autograd._node import _record
from ctorch._ops.special_k import fresh as _fresh, fresh_xlogy as _fresh_xlogy, logit as _logit_k

(_BOOL, _UINT8, _INT8, _INT16, _INT32, _INT64, _HALF, _FLOAT, _DOUBLE,
 _CFLOAT, _CDOUBLE, _BFLOAT16) = _dtype_list()

_OUT_CAST = 1       # out= takes any dtype the result casts to (iterator's OUT_CAST)

__all__ = ["digamma", "lgamma", "erfc", "erfc_", "erfinv", "i0", "i0_", "polygamma", "mvlgamma",
           "igamma", "igammac", "xlogy", "xlogy_", "sinc", "sinc_", "logit", "logit_"]


class _Lazy:
    """numpy and scipy.special, imported on first use."""

    def __getattr__(self, name):
        import numpy
        import scipy.special
        self.np = numpy
        self.sc = scipy.special
        return getattr(self, name)


_L = _Lazy()

# work split over threads above this many elements (the ufuncs release the GIL)
_PARALLEL_MIN = 1 << 15
_POOL = None


def _pool():
    global _POOL
    if _POOL is None:
        from concurrent.futures import ThreadPoolExecutor
        from ctorch._core.dispatch import get_num_threads
        _POOL = ThreadPoolExecutor(max(1, get_num_threads()))
    return _POOL


# ------------------------------------------------------------ arguments

def _tensor_arg(x, fname, argname="input", pos=1):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fname}(): argument '{argname}' (position {pos}) must be Tensor, "
                        f"not {type(x).__name__}")
    return x


def _is_number(x):
    return isinstance(x, (bool, int, float, complex)) or type(x).__name__ in (
        "float64", "float32", "int64", "int32", "bool_")


def _binary_args(a, b, fname, scalars=True):
    """Checks the operands of a binary function: two tensors, or (when the
    function takes them) one tensor and a python number."""
    ta, tb = isinstance(a, Tensor), isinstance(b, Tensor)
    if ta and tb:
        return
    if not scalars:
        which, pos, x = ("input", 1, a) if not ta else ("other", 2, b)
        raise TypeError(f"{fname}(): argument '{which}' (position {pos}) must be Tensor, "
                        f"not {type(x).__name__}")
    if (ta and _is_number(b)) or (tb and _is_number(a)):
        return
    raise TypeError(f"{fname}() received an invalid combination of arguments - got "
                    f"({type(a).__name__}, {type(b).__name__}), but expected one of:\n"
                    f" * (Tensor input, Tensor other, *, Tensor out = None)\n"
                    f" * (Number self, Tensor other, *, Tensor out = None)\n"
                    f" * (Tensor input, Number other, *, Tensor out = None)\n")


def _float_of(dt):
    """The result dtype of a function that maps integers to floats."""
    return get_default_dtype() if not (dt.is_floating_point or dt.is_complex) else dt


def _not_implemented(kern, dt):
    raise NotImplementedError(f"\"{kern}\" not implemented for '{_scalar_name(dt)}'")


def _check_dtype(dt, kern, half, cplx, ints=True):
    if (dt is _HALF or dt is _BFLOAT16) and not half:
        _not_implemented(kern, dt)
    if dt.is_complex and not cplx:
        _not_implemented(kern, dt)
    if not ints and not (dt.is_floating_point or dt.is_complex):
        _not_implemented(kern, dt)


# ------------------------------------------------------------ the engine

def _host(x):
    """The numpy view of a tensor (a host copy of a device tensor), or the
    number itself."""
    if not isinstance(x, Tensor):
        return x
    if x.requires_grad:
        x = x.detach()
    return (x.cpu() if x.is_cuda else x).numpy()


def _device_of(args):
    """The device of the result: the tensors' (a 0-dim CPU tensor may join
    tensors on another device, as in PyTorch)."""
    devs = []
    for x in args:
        if isinstance(x, Tensor) and not (x.dim() == 0 and x.device.type == "cpu"):
            if devs and x.device != devs[0]:
                raise RuntimeError(f"Expected all tensors to be on the same device, but found at "
                                   f"least two devices, {devs[0]} and {x.device}!")
            devs.append(x.device)
    if devs:
        return devs[0]
    return next(x.device for x in args if isinstance(x, Tensor))


def _broadcast(args):
    """The broadcast shape of the tensor operands, with PyTorch's error."""
    shape = []
    names = "ab"
    seen = []
    for i, x in enumerate(args):
        if not isinstance(x, Tensor):
            continue
        s = list(x.shape)
        seen.append((names[min(len(seen), 1)], s))
        n = max(len(shape), len(s))
        a = [1] * (n - len(shape)) + shape
        b = [1] * (n - len(s)) + s
        out = []
        for d in range(n):
            if a[d] == b[d] or b[d] == 1:
                out.append(a[d])
            elif a[d] == 1:
                out.append(b[d])
            else:
                raise RuntimeError(f"The size of tensor a ({a[d]}) must match the size of tensor b "
                                   f"({b[d]}) at non-singleton dimension {d}")
        shape = out
    return shape


def _run(kernel, o, arrays):
    """kernel(o, *arrays) writing into o; large same-shape operands are split
    over threads along their first dimension."""
    n = o.size
    if n < _PARALLEL_MIN or o.ndim == 0:
        kernel(o, *arrays)
        return
    np = _L.np
    flat = o.reshape(-1) if o.flags.c_contiguous else None
    parts = []
    if flat is not None and all(not isinstance(a, np.ndarray) or
                                (a.shape == o.shape and a.flags.c_contiguous) for a in arrays):
        ins = [a.reshape(-1) if isinstance(a, np.ndarray) else a for a in arrays]
        k = _pool()._max_workers
        step = -(-n // k)
        for s in range(0, n, step):
            parts.append((flat[s:s + step], [a[s:s + step] if isinstance(a, np.ndarray) else a
                                             for a in ins]))
    elif o.shape[0] > 1:
        k = min(_pool()._max_workers, o.shape[0])
        step = -(-o.shape[0] // k)
        for s in range(0, o.shape[0], step):
            parts.append((o[s:s + step], [a[s:s + step] if isinstance(a, np.ndarray) and
                                          a.ndim == o.ndim and a.shape[0] == o.shape[0] else a
                                          for a in arrays]))
    if len(parts) <= 1:
        kernel(o, *arrays)
        return
    futures = [_pool().submit(kernel, oo, *aa) for oo, aa in parts]
    for f in futures:
        f.result()


def _compute(kernel, args, rdt, tkernel=None):
    """A new tensor of dtype rdt, the broadcast of the tensor args, filled by
    kernel(out_array, *operand_arrays) on the host. tkernel (one operand):
    a kernel on the tensors, tkernel(result, input), tried first; it returns
    False where it does not take the operands."""
    if rdt == _BFLOAT16 or rdt == _HALF:
        # numpy has no bfloat16, and scipy's float16 loops convert element by
        # element: computed in float32 (by the own kernels where there are
        # some) and rounded once, as PyTorch computes them
        args = tuple(a.detach().float() if isinstance(a, Tensor) and a.dtype == rdt else a
                     for a in args)
        return _compute(kernel, args, _FLOAT, tkernel).to(rdt)
    if len(args) == 1:
        # one tensor: the result takes its layout (a transposed input gives a
        # transposed result, as in PyTorch)
        x = args[0]
        h = x.detach() if x.requires_grad else x
        cuda = h.is_cuda
        if cuda:
            h = h.cpu()
        # integers and bools are computed in the result's float dtype, as
        # PyTorch computes them (by the own kernels where there are some,
        # not scipy's double loops on the integers)
        h = _in_float(h, rdt)
        r = _empty_like(h, dtype=rdt)
        if tkernel is None or not tkernel(r, h):
            o = r.numpy()
            if o.size:
                _run(kernel, o, (h.numpy(),))
        return r.to(x.device) if cuda else r
    dev = _device_of(args)
    a, b = args[0], args[-1]
    if len(args) == 2 and isinstance(a, Tensor) and isinstance(b, Tensor) and a.shape == b.shape:
        shape = a.shape
    else:
        shape = _broadcast(args)
    r = _empty(shape, dtype=rdt)
    o = r.numpy()
    arrays = []
    for x in args:
        if not isinstance(x, Tensor):
            # a python number, in the dtype the result is computed in
            arrays.append(_L.np.asarray(x, dtype=_cdt(o)))
            continue
        h = _host(x)
        if h.ndim < o.ndim:
            h = h.reshape((1,) * (o.ndim - h.ndim) + h.shape)
        arrays.append(h)
    if o.size:
        _run(kernel, o, arrays)
    return r.to(dev) if dev is not None and dev.type != "cpu" else r


def _dense_range(t):
    """[first byte, end byte) of t when its elements fill a block without
    gaps (its strides a permutation of a contiguous tensor's), else None."""
    if t.is_contiguous():
        b = t.data_ptr()
        return b, b + t.numel() * t.element_size()
    dims = sorted((st, sz) for sz, st in zip(t.shape, t.stride()) if sz != 1)
    expect = 1
    for st, sz in dims:
        if st != expect:
            return None
        expect *= sz
    b = t.data_ptr()
    return b, b + t.numel() * t.element_size()


def _check_out(out, inputs):
    """PyTorch's overlap rules for out=: no repeated element (a stride-0
    dim), no partial overlap with an input (judged for dense tensors)."""
    if not isinstance(out, Tensor):
        return
    # (a contiguous tensor with elements has no stride-0 dim; an empty one may)
    for sz, st in (() if out.is_contiguous() and out.numel() else zip(out.shape, out.stride())):
        if st == 0 and sz > 1:
            raise RuntimeError("unsupported operation: more than one element of the written-to tensor "
                               "refers to a single memory location. Please clone() the tensor before "
                               "performing the operation.")
    ro = _dense_range(out) if out.numel() else None
    if ro is None:
        return
    for x in inputs:
        if not isinstance(x, Tensor) or x is out or x.numel() == 0 or x.device != out.device:
            continue
        rx = _dense_range(x)
        if rx is None:
            continue
        if ro == rx:
            same = (out.element_size() == x.element_size() and tuple(out.shape) == tuple(x.shape) and
                    all(sz <= 1 or a == b for sz, a, b in zip(out.shape, out.stride(), x.stride())))
            bad = not same
        else:
            bad = ro[0] < rx[1] and rx[0] < ro[1]
        if bad:
            raise RuntimeError("unsupported operation: some elements of the input tensor and the "
                               "written-to tensor refer to a single memory location. Please clone() "
                               "the tensor before performing the operation.")


def _finish(r, out, fname, inputs=()):
    if out is None:
        return r
    _check_out(out, inputs)
    return _write_out(out, r, fname.replace("special_", ""), _OUT_CAST)


def _cdt(o):
    """The dtype a result array is computed in (half in float)."""
    c = o.dtype.char
    return "f" if c == "e" else c


def _ufunc_kernel(name):
    """The kernel of scipy.special's ufunc `name` (looked up on first use)."""
    found = []

    def kernel(o, *arrays):
        if not found:
            found.append(getattr(_L.sc, name))
        c = o.dtype.char
        found[0](*arrays, out=o, dtype="f" if c == "e" else c)
    return kernel


(_K_erfc, _K_erfinv, _K_i0, _K_xlogy, _K_xlog1py) = (
    _ufunc_kernel(n) for n in ("erfc", "erfinv", "i0", "xlogy", "xlog1py"))


def _igamma_kernel(upper):
    """The regularized incomplete gamma functions P(a, x) / Q(a, x) (upper).
    A negative a or x gives NaN; scipy's Q reaches that by a slow error path,
    so those elements go in as NaN. scipy's Q takes a slow series for
    x < 1.1: there Q = 1 - P (P in double) where that keeps full precision
    (P <= 0.9 for double, P <= 1 - 1e-6 for float), scipy's Q elsewhere."""
    def kernel(o, a, x):
        np, sc = _L.np, _L.sc
        c = _cdt(o)
        if not upper:
            sc.gammainc(a, x, out=o, dtype=c)
            return
        with np.errstate(invalid="ignore"):
            bad = (a < 0) | (x < 0)
            if bad.any():
                a = np.where(bad, np.nan, a)
                x = np.where(bad, np.nan, x)
            small = x < 1.1
            if not small.any():
                sc.gammaincc(a, x, out=o, dtype=c)
                return
            if a.shape == x.shape == o.shape:
                ab, xb = a, x
            else:
                ab, xb = np.broadcast_arrays(a, x)
                small = np.broadcast_to(small, o.shape)
            sa, sx = ab[small].astype(np.float64), xb[small].astype(np.float64)
            p = sc.gammainc(sa, sx)
            q = np.subtract(1.0, p)
            direct = ~(p <= (0.9 if c == "d" else 1 - 1e-6))
            if direct.any():
                q[direct] = sc.gammaincc(sa[direct], sx[direct])
            sc.gammaincc(np.where(small, np.nan, ab), xb, out=o, dtype=c)
            o[small] = q
    return kernel


_K_gammainc, _K_gammaincc = _igamma_kernel(False), _igamma_kernel(True)


# ------------------------------------------------------------ unary

def _unary(x, out, fname, kern, kernel, *, half=True, cplx=False, grad=None, args=(),
           tkernel=None):
    """One-input function: kern names the kernel in PyTorch's dtype error,
    grad the derivatives entry (None: PyTorch gives no gradient), tkernel
    an optional kernel on tensors (see _compute)."""
    if out is None and tkernel is not None:
        # a contiguous float32 / float64 operand without a graph: straight
        # into a new tensor
        r = _fresh(tkernel, x)
        if r is not None:
            return r
    _tensor_arg(x, fname)
    rdt = _float_of(x.dtype)
    _check_dtype(rdt, kern, half, cplx)
    if out is None and tkernel is not None and (rdt is _HALF or rdt is _BFLOAT16):
        # half and bfloat16 the same way through float32, rounded once (as
        # _compute computes them)
        r = _fresh(tkernel, x, True)
        if r is not None:
            return r
    if (tkernel is not None and isinstance(out, Tensor) and out.dtype == rdt
            and not out.requires_grad and not x.requires_grad and out.shape == x.shape
            and out.numel() and out.data_ptr() != x.data_ptr()):
        # an out= the own kernel can write (contiguous, of the result's
        # dtype and shape, apart from the input, which some kernels read
        # after their first write): written directly, not through a new
        # tensor and a copy
        _check_out(out, (x,))
        if tkernel(out, x):
            _bump_version(out)
            return out
    r = _compute(kernel, (x,), rdt, tkernel)
    if grad is not None:
        _record(grad, r, (x,), args)
    return _finish(r, out, fname, (x,))


def _sc_unary(sc_name, torch_name, kern=None, half=True, grad=None, fname=None, tkernel=None):
    """A torch.special function over the scipy.special ufunc sc_name (tkernel:
    an own kernel tried first, see _compute)."""
    kern = kern or f"{torch_name}_cpu"
    fname = fname or f"special_{torch_name}"
    kernel = _ufunc_kernel(sc_name)

    def f(input, *, out=None):
        return _unary(input, out, fname, kern, kernel, half=half,
                      grad=grad, tkernel=tkernel)
    f.__name__ = torch_name
    f.__qualname__ = torch_name
    f.__doc__ = f"{torch_name}(input, *, out=None) -> Tensor"
    return f


def _inplace_unary(self, fn, name, kern=None, half=True, cplx=False):
    """self.<name>_(): fn out of place, written back into self."""
    _tensor_arg(self, name + "_")
    rdt = _float_of(self.dtype)
    if kern is not None:
        _check_dtype(rdt, kern, half, cplx)
    if not can_cast(rdt, self.dtype):
        raise RuntimeError(f"result type {_scalar_name(rdt)} can't be cast to the desired output "
                           f"type {_scalar_name(self.dtype)}")
    return _ew._inplace_from(self, fn)


# digamma and polygamma

def _digamma(o, x):
    """o = digamma(x). scipy's psi takes a slow path (several microseconds an
    element) for negative inputs: those come from the reflection formula
    psi(x) = psi(1 - x) - pi cot(pi x), in double, with cot's argument
    reduced to x - round(x) (exact); negative integers are poles (NaN)."""
    np, sc = _L.np, _L.sc
    c = _cdt(o)
    neg = x < 0
    if not neg.any():
        sc.psi(x, out=o, dtype=c)
        return
    with np.errstate(all="ignore"):
        sc.psi(np.where(neg, np.nan, x), out=o, dtype=c)
        xn = x[neg].astype(np.float64)
        r = xn - np.round(xn)
        v = sc.psi(1 - xn) - np.pi / np.tan(np.pi * r)
        v[r == 0] = np.nan
    o[neg] = v


def _polygamma_kernel(n):
    def kernel(o, x):
        sc = _L.sc
        if n == 0:
            _digamma(o, x)
            return
        sc.zeta(_L.np.asarray(n + 1, _cdt(o)), x, o)
        with _L.np.errstate(all="ignore"):
            _L.np.multiply(o, (1.0 if n % 2 else -1.0) * _factorial(n), out=o)
    return kernel


def _factorial(n):
    """n! as a double (inf past 170!, without computing the exact integer)."""
    import math
    return float(math.factorial(n)) if n <= 170 else math.inf


def _digamma_t(r, x):
    """digamma by ctorch's own kernel (contiguous float32 / float64); on
    first use this name is rebound to the kernel's entry itself."""
    from ctorch._ops.special_k import digamma as k
    global _digamma_t
    _digamma_t = k
    return k(r, x)


_K_digamma = _polygamma_kernel(0)


def _su_tkernel(name, any_layout=False):
    """A tkernel (see _compute) for the special_k.unary function SU_<name>:
    contiguous float32 / float64 CPU operands where the kernel has that
    dtype, False (scipy's ufunc then) otherwise. any_layout: other layouts
    of those go through contiguous copies, so that every layout gets the
    kernel's values."""
    k = []

    def tkernel(r, x):
        if not k:
            from ctorch._ops import special_k
            k.append((special_k.unary, getattr(special_k, "SU_" + name)))
        if any_layout and not (r.is_contiguous() and x.is_contiguous()) and not r.is_cuda:
            rc = _empty_like(x.contiguous())
            if rc.dtype != r.dtype or not k[0][0](k[0][1], rc, x.contiguous()):
                return False
            r.copy_(rc)
            return True
        return k[0][0](k[0][1], r, x)
    return tkernel


def _sb_tkernel(name, any_layout_double=False):
    """A tkernel (see _compute) for the special_k.bessel function SB_<name>
    (Bessel, Airy and K functions and ndtri of contiguous float32 CPU
    operands, the Bessel and K functions and ndtri of float64 too; False,
    scipy's ufunc then, for others). any_layout_double: float64 operands of
    other layouts go through contiguous copies, so that every layout gets
    the kernel's values."""
    k = []

    def tkernel(r, x):
        if not k:
            from ctorch._ops import special_k
            k.append((special_k.bessel, getattr(special_k, "SB_" + name)))
        if any_layout_double and r.dtype is _DOUBLE and x.dtype is _DOUBLE and not r.is_cuda \
                and not (r.is_contiguous() and x.is_contiguous()):
            xc = x.contiguous()
            rc = _empty_like(xc)
            if not k[0][0](k[0][1], rc, xc):
                return False
            r.copy_(rc)
            return True
        return k[0][0](k[0][1], r, x)
    return tkernel


def _xlogy_t(a, b, rdt, log1p=False):
    """xlogy (xlog1py with log1p) by ctorch's own kernel: float32 / float64
    CPU operands of the result's dtype, each contiguous with the result's
    elements or one element (a python number becomes one); None (scipy's
    ufunc then) otherwise."""
    if rdt is not _FLOAT and rdt is not _DOUBLE:
        return None
    ta, tb = isinstance(a, Tensor), isinstance(b, Tensor)
    if not ta or not tb:
        if not ((ta or isinstance(a, (int, float))) and (tb or isinstance(b, (int, float)))) or \
                isinstance(a, bool) or isinstance(b, bool):
            return None
    x = a if ta else None
    y = b if tb else None
    if (x is not None and (x.dtype is not rdt or x.is_cuda)) or \
            (y is not None and (y.dtype is not rdt or y.is_cuda)):
        return None
    if x is not None and y is not None and x.shape == y.shape:
        shape = x.shape
    else:
        shape = _broadcast((a, b))
    r = _empty(shape, dtype=rdt)
    n = r.numel()
    if n == 0:
        return r
    from ctorch._ops.creation import tensor as _tensor
    from ctorch._ops.special_k import xlogy as k
    x = x.detach() if x is not None else _tensor(float(a), dtype=rdt)
    y = y.detach() if y is not None else _tensor(float(b), dtype=rdt)
    if (x.numel() != n and x.numel() != 1) or (y.numel() != n and y.numel() != 1):
        return None
    return r if k(r, x, y, log1p) else None


def _xlog1py_t(a, b, rdt):
    return _xlogy_t(a, b, rdt, True)


def _igamma_t(upper):
    """P / Q by ctorch's own kernel for float32 / float64 CPU operands of one
    shape and dtype, both contiguous (None, scipy's ufunc then, for others);
    the elements it leaves (outside 0 < a <= 100, 0 <= x, where its forms
    lose accuracy, and for float64 a > 20 or x near a > 10) come from the
    scipy kernel. float64 P stays with scipy (its mean error is lower
    there)."""
    kerns = []

    def k(a, x, rdt):
        if (rdt is not _FLOAT and (rdt is not _DOUBLE or not upper)) or \
                not isinstance(a, Tensor) or \
                not isinstance(x, Tensor) or \
                a.dtype is not rdt or x.dtype is not rdt or a.shape != x.shape or \
                a.is_cuda or x.is_cuda or not a.is_contiguous() or not x.is_contiguous():
            return None
        if not kerns:
            from ctorch._ops.special_k import igamma
            kerns.append(igamma)
        kern = kerns[0]
        a, x = a.detach(), x.detach()
        r = _empty_like(a)
        if r.numel() == 0:
            return r
        flag = _empty_like(a, dtype=_UINT8)
        n = kern(upper, r, a, x, flag)
        if n < 0:
            return None
        if n:
            o, f = r.numpy(), flag.numpy().view(bool)
            sub = _L.np.empty(n, o.dtype)
            (_K_gammaincc if upper else _K_gammainc)(sub, a.numpy()[f], x.numpy()[f])
            o[f] = sub
        return r
    return k


_igamma_tk, _igammac_tk = _igamma_t(0), _igamma_t(1)


_trigamma_t = _su_tkernel("TRIGAMMA")
_lgamma_t = _su_tkernel("LGAMMA", any_layout=True)
_i0_t = _su_tkernel("I0")


def digamma(input, *, out=None):
    return _unary(input, out, "digamma", "digamma", _K_digamma, grad="digamma",
                  tkernel=_digamma_t)


def _check_n(n, fname):
    if isinstance(n, bool) or not isinstance(n, int):
        if isinstance(n, Tensor) or not hasattr(n, "__index__"):
            raise TypeError(f"{fname}(): argument 'n' (position 1) must be int, not {type(n).__name__}")
        n = n.__index__()
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    return n


def _polygamma_t(n):
    """polygamma(n >= 2) as (-1)^(n+1) n! zeta(n + 1, x) by ctorch's own zeta
    kernel (contiguous float32 / float64; False, scipy's then, otherwise):
    PyTorch's formula, so its special values too. float32 in double, rounded
    once (zeta(n + 1, x) is a float32 denormal already for n = 30, x = 20)."""
    def k(r, x):
        from ctorch._ops.creation import tensor as _tensor
        from ctorch._ops.special_k import zeta as kz
        rd = r if r.dtype is _DOUBLE else _empty_like(x, dtype=_DOUBLE)
        xd = x if x.dtype is _DOUBLE else x.double()
        if not kz(rd, _tensor(float(n + 1), dtype=_DOUBLE), xd):
            return False
        with _L.np.errstate(all="ignore"):
            _L.np.multiply(rd.numpy(), (1.0 if n % 2 else -1.0) * _factorial(n), out=rd.numpy())
        if rd is not r:
            r.copy_(rd)
        return True
    return k


def _polygamma(n, input, out, fname):
    """polygamma under the name fname (torch's or torch.special's)."""
    n = _check_n(n, fname)
    _tensor_arg(input, fname, "input", 2)
    kern = ("digamma", "trigamma")[n] if n < 2 else "polygamma"
    return _unary(input, out, fname, kern, _polygamma_kernel(n), grad="polygamma", args=(n,),
                  tkernel=(_digamma_t, _trigamma_t)[n] if n < 2 else _polygamma_t(n))


def polygamma(n, input, *, out=None):
    return _polygamma(n, input, out, "polygamma")


def _lgamma_kernel(o, x):
    """log|gamma(x)|; +inf at -inf, as C's lgamma."""
    np = _L.np
    _L.sc.gammaln(x, out=o, dtype=_cdt(o))
    if x.dtype.kind == "f" and np.isneginf(x).any():
        np.copyto(o, np.inf, where=np.isneginf(x))


def lgamma(input, *, out=None):
    return _unary(input, out, "lgamma", "lgamma_vml_cpu", _lgamma_kernel, grad="lgamma",
                  tkernel=_lgamma_t)


_MVLGAMMA_MAX_P = 1 << 20


def _mvlgamma_kernel(p):
    def kernel(o, x):
        import math
        np, sc = _L.np, _L.sc
        sc.gammaln(x, out=o, dtype=_cdt(o))
        if p > 1:
            tmp = np.empty(o.shape, dtype=_cdt(o))
            with np.errstate(all="ignore"):
                for j in range(1, p):
                    sc.gammaln(np.subtract(x, j / 2, dtype=tmp.dtype), out=tmp)
                    np.add(o, tmp, out=o, casting="unsafe")
                np.add(o, p * (p - 1) / 4 * math.log(math.pi), out=o, casting="unsafe")
    return kernel


def _mvlgamma_tkernel(p):
    """mvlgamma by ctorch's own kernels (False for other operands): for
    p >= 2 the fused sum of the p lgamma terms, computed in double
    (contiguous float32 / float64); for p = 1 lgamma's kernel (contiguous
    float32)."""
    def k(r, x):
        if p >= 2:
            from ctorch._ops.special_k import mvlgamma as kern
            if kern(r, x, p):
                return True
        if not _lgamma_t(r, x):
            return False
        if p > 1:
            import math
            tmp = _empty_like(r)
            for j in range(1, p):
                _lgamma_t(tmp, x - j / 2)
                r.add_(tmp)
            r.add_(p * (p - 1) / 4 * math.log(math.pi))
        return True
    return k


def mvlgamma(input, p, *, out=None):
    _tensor_arg(input, "mvlgamma")
    if isinstance(p, bool) or not isinstance(p, int):
        raise TypeError(f"mvlgamma(): argument 'p' must be int, not {type(p).__name__}")
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    if p > _MVLGAMMA_MAX_P:
        # the sum has p terms, each a pass over the input (PyTorch materialises
        # p values and fails to allocate them for such p)
        raise RuntimeError(f"mvlgamma: p = {p} is too large (at most {_MVLGAMMA_MAX_P})")
    return _unary(input, out, "mvlgamma", "arange_cpu", _mvlgamma_kernel(p), grad="mvlgamma", args=(p,),
                  tkernel=_mvlgamma_tkernel(p))


def _erfc_t(r, x):
    """erfc by ctorch's own kernel (contiguous float32 / float64: a vector
    loop); on first use this name is rebound to the kernel's entry itself."""
    from ctorch._ops.special_k import erfc as k
    global _erfc_t
    _erfc_t = k
    return k(r, x)


def erfc(input, *, out=None):
    return _unary(input, out, "erfc", "erfc_vml_cpu", _K_erfc, grad="erfc",
                  tkernel=lambda r, x: _erfc_t(r, x))


# erfinv in float: M. Giles' single-precision approximation ("Approximating
# the erfinv function", GPU Computing Gems, 2011), a polynomial in
# w = -log(1 - x^2) (in w - 2.5 below w = 5, in sqrt(w) - 3 above), about
# 2 ulp; evaluated by numpy on cache-sized blocks, several times faster than
# scipy's erfinv on long float arrays. Short or strided ones go to scipy.
_GILES_CENTRAL = (2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
                  -0.00125372503, -0.00417768164, 0.246640727, 1.50140941)
_GILES_TAIL = (-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
               -0.0076224613, 0.00943887047, 1.00167406, 2.83297682)
_BLOCK = 32768


def _horner(np, cs, t, p):
    np.multiply(t, cs[0], out=p)
    np.add(p, cs[1], out=p)
    for c in cs[2:]:
        np.multiply(p, t, out=p)
        np.add(p, c, out=p)
    return p


def _erfinv_float(np, o, x):
    """o = erfinv(x), both 1-d contiguous float32."""
    n = x.size
    w, p, t = (np.empty(min(_BLOCK, n), np.float32) for _ in range(3))
    for s in range(0, n, _BLOCK):
        xb, ob = x[s:s + _BLOCK], o[s:s + _BLOCK]
        m = xb.size
        ww, pp, tt = w[:m], p[:m], t[:m]
        np.subtract(1, xb, out=ww)
        np.add(1, xb, out=tt)
        np.multiply(ww, tt, out=ww)
        np.log(ww, out=ww)
        np.negative(ww, out=ww)
        np.subtract(ww, 2.5, out=tt)
        _horner(np, _GILES_CENTRAL, tt, pp)
        tail = ww >= 5
        if tail.any():
            wt = np.sqrt(ww[tail]) - 3
            pp[tail] = _horner(np, _GILES_TAIL, wt, np.empty_like(wt))
        np.multiply(pp, xb, out=ob)
        one = np.abs(xb) == 1
        if one.any():
            ob[one] = np.copysign(np.inf, xb[one])


def _erfinv_kernel(o, x):
    np = _L.np
    if (o.dtype.char == "f" and x.dtype.char == "f" and o.size >= 4096 and o.shape == x.shape and
            o.flags.c_contiguous and x.flags.c_contiguous):
        with np.errstate(all="ignore"):
            _erfinv_float(np, o.reshape(-1), x.reshape(-1))
    else:
        # scipy's erfinv takes a slow error path outside [-1, 1]: those
        # elements go in as NaN, which is their value
        with np.errstate(invalid="ignore"):
            outside = np.abs(x) > 1
        if outside.any():
            x = np.where(outside, np.nan, x)
        _K_erfinv(o, x)
        # scipy's erfinv(-0) is +0; the function is odd (PyTorch: -0)
        zero = x == 0
        if zero.any():
            np.copyto(o, x, where=zero)


_ERFINV_K = []


def _erfinv_t(r, x):
    """erfinv by ctorch's own kernel (vector loops for float32 and float64)
    where it takes the operands; False sends them to _erfinv_kernel."""
    if not _ERFINV_K:
        from ctorch._ops.special_k import erfinv as k
        _ERFINV_K.append(k)
    return _ERFINV_K[0](r, x)


def erfinv(input, *, out=None):
    return _unary(input, out, "erfinv", "erfinv_vml_cpu", _erfinv_kernel, grad="erfinv",
                  tkernel=_erfinv_t)


def i0(input, *, out=None):
    return _unary(input, out, "i0", "i0_vml_cpu", _K_i0, grad="i0", tkernel=_i0_t)


def _sinc_kernel(o, x):
    """sin(pi x) / (pi x), 1 at 0 (half in float): complex operands (the
    others go to ctorch's own kernel, _SINC_T)."""
    np = _L.np
    with np.errstate(all="ignore"):
        _sinc(np, o, x)


def _sinc(np, o, x):
    w = o if o.dtype != np.float16 else np.empty(o.shape, np.float32)
    y = np.multiply(x, np.pi, dtype=w.dtype)
    np.sin(y, out=w)
    np.divide(w, y, out=w)
    np.copyto(w, 1, where=(y == 0))
    if w is not o:
        o[...] = w


_SINC_T = _su_tkernel("SINC", any_layout=True)


def sinc(input, *, out=None):
    return _unary(input, out, "sinc", "sinc_cpu", _sinc_kernel, cplx=True, grad="sinc",
                  tkernel=_SINC_T)


def _logit_kernel(eps):
    def kernel(o, x):
        np = _L.np
        if eps is not None:
            w = np.clip(x, eps, 1 - eps, dtype=_cdt(o))
            _L.sc.logit(w, out=o, dtype=_cdt(o))
        else:
            _L.sc.logit(x, out=o, dtype=_cdt(o))
    return kernel


def _logit_tkernel(eps):
    """logit of contiguous float32 / float64 by ctorch's own kernels (vector
    loops: log(x / (1 - x)) in the dtype, PyTorch's form, x clamped to
    [eps, 1 - eps] first); other operands go to scipy."""
    def k(r, x):
        return _logit_k(r, x, eps)
    return k


def logit(input, eps=None, *, out=None):
    _tensor_arg(input, "logit")
    if eps is not None:
        eps = float(eps)
    return _unary(input, out, "logit", "logit_cpu", _logit_kernel(eps), grad="logit", args=(eps,),
                  tkernel=_logit_tkernel(eps))


# ------------------------------------------------------------ binary

def _binary(a, b, out, fname, kern, kernel, *, half=True, ints=True, grad=None, scalars=True,
            scalar_grads=None, tkernel=None):
    """Two-operand function with PyTorch's broadcasting and promotion.
    scalar_grads: the entries used when the first / second operand is a
    python number. tkernel: an own kernel tried first, tkernel(a, b, rdt)
    -> the result, or None where it does not take the operands."""
    _binary_args(a, b, fname, scalars)
    promoted = _result_type(a, b)
    rdt = _float_of(promoted)
    _check_dtype(promoted if not ints else rdt, kern, half, False, ints)
    # integer and bool operands are cast to the result's float dtype first, as
    # PyTorch casts them (then the own kernels take them, not scipy's double
    # loops on the integers)
    ca, cb = _in_float(a, rdt), _in_float(b, rdt)
    r = tkernel(ca, cb, rdt) if tkernel is not None else None
    if r is None:
        r = _compute(kernel, (ca, cb), rdt)
    if grad is not None:
        op = grad
        if scalar_grads is not None and not isinstance(a, Tensor):
            op = scalar_grads[0]
        elif scalar_grads is not None and not isinstance(b, Tensor):
            op = scalar_grads[1]
        _record(op, r, (a, b))
    return _finish(r, out, fname, (a, b))


def _in_float(x, rdt):
    """x, or an integer / bool tensor x cast to the floating dtype rdt."""
    if isinstance(x, Tensor) and rdt.is_floating_point and not (x.is_floating_point() or x.is_complex()):
        return x.detach().to(rdt)
    return x


def _inplace_binary(self, other, fn, name, kern=None, half=True, ints=True):
    _tensor_arg(self, name + "_")
    promoted = _result_type(self, other)
    rdt = _float_of(promoted)
    if kern is not None:
        _check_dtype(promoted if not ints else rdt, kern, half, False, ints)
    if not can_cast(rdt, self.dtype):
        raise RuntimeError(f"result type {_scalar_name(rdt)} can't be cast to the desired output "
                           f"type {_scalar_name(self.dtype)}")
    return _ew._inplace_from(self, lambda s: fn(s, other), (other,))


def xlogy(input, other, *, out=None):
    if out is None:
        r = _fresh_xlogy(input, other, False)
        if r is not None:
            return r
    return _binary(input, other, out, "xlogy", "xlogy_cpu", _K_xlogy, grad="xlogy",
                   scalar_grads=("xlogy.Scalar_Self", "xlogy.Scalar_Other"), tkernel=_xlogy_t)


def igamma(input, other, *, out=None):
    return _binary(input, other, out, "igamma", "igamma_cpu", _K_gammainc,
                   ints=False, grad="igamma", scalars=False, tkernel=_igamma_tk)


def igammac(input, other, *, out=None):
    return _binary(input, other, out, "igammac", "igammac_cpu", _K_gammaincc,
                   ints=False, grad="igammac", scalars=False, tkernel=_igammac_tk)


# ------------------------------------------------------------ in place

def erfc_(input):
    return _inplace_unary(input, erfc, "erfc", "erfc_vml_cpu")


def i0_(input):
    return _inplace_unary(input, i0, "i0", "i0_vml_cpu")


def sinc_(input):
    return _inplace_unary(input, sinc, "sinc", "sinc_cpu", cplx=True)


def logit_(input, eps=None):
    return _inplace_unary(input, lambda s: logit(s, eps), "logit", "logit_cpu")


def xlogy_(input, other):
    return _inplace_binary(input, other, xlogy, "xlogy", "xlogy_cpu")


# ------------------------------------------------------------ Tensor methods

def _m_digamma(self):
    return digamma(self)


def _m_digamma_(self):
    return _inplace_unary(self, digamma, "digamma", "digamma")


def _m_erfc(self):
    return erfc(self)


def _m_erfinv(self):
    return erfinv(self)


def _m_erfinv_(self):
    return _inplace_unary(self, erfinv, "erfinv", "erfinv_vml_cpu")


def _m_i0(self):
    return i0(self)


def _m_igamma(self, other):
    return igamma(self, other)


def _m_igamma_(self, other):
    return _inplace_binary(self, other, igamma, "igamma", "igamma_cpu", ints=False)


def _m_igammac(self, other):
    return igammac(self, other)


def _m_igammac_(self, other):
    return _inplace_binary(self, other, igammac, "igammac", "igammac_cpu", ints=False)


def _m_lgamma(self):
    return lgamma(self)


def _m_lgamma_(self):
    return _inplace_unary(self, lgamma, "lgamma", "lgamma_vml_cpu")


def _m_logit(self, eps=None):
    return logit(self, eps)


def _m_mvlgamma(self, p):
    return mvlgamma(self, p)


def _m_mvlgamma_(self, p):
    return _inplace_unary(self, lambda s: mvlgamma(s, p), "mvlgamma", "arange_cpu")


def _m_polygamma(self, n):
    return polygamma(n, self)


def _m_polygamma_(self, n):
    n = _check_n(n, "polygamma_")
    return _inplace_unary(self, lambda s: polygamma(n, s), "polygamma")


def _m_sinc(self):
    return sinc(self)


def _m_xlogy(self, other):
    return xlogy(self, other)


_METHODS = {
    "digamma": _m_digamma, "digamma_": _m_digamma_, "erfc": _m_erfc, "erfc_": erfc_,
    "erfinv": _m_erfinv, "erfinv_": _m_erfinv_, "i0": _m_i0, "i0_": i0_, "igamma": _m_igamma,
    "igamma_": _m_igamma_, "igammac": _m_igammac, "igammac_": _m_igammac_, "lgamma": _m_lgamma,
    "lgamma_": _m_lgamma_, "logit": _m_logit, "logit_": logit_, "mvlgamma": _m_mvlgamma,
    "mvlgamma_": _m_mvlgamma_, "polygamma": _m_polygamma, "polygamma_": _m_polygamma_,
    "sinc": _m_sinc, "sinc_": sinc_, "xlogy": _m_xlogy, "xlogy_": xlogy_,
}

for _name, _fn in _METHODS.items():
    if _fn.__name__.startswith("_m_"):
        _fn.__name__ = _name
        _fn.__qualname__ = "Tensor." + _name
    _install_method(_name, _fn)
del _name, _fn
