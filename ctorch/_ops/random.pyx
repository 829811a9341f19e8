# cython: language_level=3
"""Random numbers: a Generator is (seed, offset) for the counter-based
Philox4x32-10 stream of ctorch/_kernels/random.h; every fill advances the
offset by the blocks it used, so the same seed gives the same numbers on
every device. rand/randn/randint/randperm, the *_like forms, and the
in-place fills uniform_/normal_/random_."""

from libc.stdint cimport uint64_t, int64_t

from ctorch._core.dtype cimport *
from ctorch._core.backend cimport *
from ctorch._core.dispatch cimport device, _device_code
from ctorch._core.tensor cimport *
from ctorch._core.iterator cimport *
from ctorch._ops.creation cimport _sized, _size_kw, _finish, _like, _factory_dtype, _factory_device
from ctorch._ops.elementwise cimport _cast, _stand_in
from ctorch.autograd._node cimport record, _check_inplace, _inplace_needs_graph, _rebase_history
from libc.math cimport log1p as _log1p
from ctorch._core.tensor import Size

cdef enum:
    DEFAULT_SEED = 67280421310721


cdef object _device_cls = device


cdef class Generator:
    """torch.Generator: a seed and a position in the Philox stream."""

    def __init__(self, device="cpu"):
        self._seed = DEFAULT_SEED
        self._offset = 0
        dev = _device_cls(device) if not isinstance(device, _device_cls) else device
        if dev.type != "cpu":
            try:
                _device_code(dev)
            except AssertionError as e:
                raise RuntimeError(f"Cannot get a CUDA generator: {e}") from None
        self.device = dev

    def manual_seed(self, seed):
        s = int(seed)           # as PyTorch: int()'s own TypeError / ValueError
        if s < -(1 << 63) or s >= (1 << 64):
            raise ValueError("Overflow when unpacking long long")
        self._seed = <uint64_t>(s & 0xFFFFFFFFFFFFFFFF)
        self._offset = 0
        return self

    def seed(self):
        import os
        s = int.from_bytes(os.urandom(8), "little") & 0x7FFFFFFFFFFFFFFF
        self._seed = s
        self._offset = 0
        return s

    def initial_seed(self):
        return self._seed

    def get_state(self):
        cdef Tensor st = _empty_list([16], t_uint8)
        (<uint64_t *>st._data)[0] = self._seed
        (<uint64_t *>st._data)[1] = self._offset
        return st

    def set_state(self, new_state):
        if not isinstance(new_state, Tensor):
            raise TypeError(f"expected a torch.ByteTensor, but got {type(new_state).__name__}")
        cdef Tensor st = <Tensor>new_state
        if st._dtype is not t_uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        if st._numel != 16:
            # the state is (seed, offset), two uint64 words
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size 16 but found the input RNG "
                               f"state size to be {st._numel}")
        st = st.contiguous()
        self._seed = (<uint64_t *>st._data)[0]
        self._offset = (<uint64_t *>st._data)[1]
        return self

    cdef uint64_t _take(self, uint64_t blocks):
        cdef uint64_t o = self._offset
        self._offset += blocks
        return o


default_generator = Generator()


def manual_seed(seed):
    return (<Generator>default_generator).manual_seed(seed)


def seed():
    return (<Generator>default_generator).seed()


def initial_seed():
    return (<Generator>default_generator)._seed


def get_rng_state():
    return (<Generator>default_generator).get_state()


def set_rng_state(new_state):
    (<Generator>default_generator).set_state(new_state)


cdef Generator _gen(object generator):
    if generator is None:
        return <Generator>default_generator
    if not isinstance(generator, Generator):
        raise TypeError(f"generator must be a torch.Generator, not {type(generator).__name__}")
    return <Generator>generator


cdef int _fill_random(Tensor r, Generator g, bint normal) except -1:
    """Fills a contiguous float/complex tensor with U[0,1) or N(0,1) values."""
    cdef int code = r._dtype._code
    cdef int64_t n = r._numel
    cdef Tensor tmp, parts
    cdef Py_ssize_t n2
    if code == CT_FLOAT16 or code == CT_BFLOAT16:
        tmp = _empty(r._ndim, r._shape, t_float32, r._storage.device)
        _fill_random(tmp, g, normal)
        if not normal:
            # onto half's grid of 2^-11 steps (bfloat16's of 2^-8) first: rounding
            # a float draw near 1 to the nearest half would give 1.0, outside [0, 1)
            grid = 2048.0 if code == CT_FLOAT16 else 256.0
            tmp.mul_(grid).floor_().mul_(1.0 / grid)
        _copy_into(r, tmp, False)
        return 0
    if code == CT_COMPLEX64 or code == CT_COMPLEX128:
        # real and imaginary parts, each N(0, 1/2) so that E|z|^2 = 1 as in torch
        if r._storage.device >= 0 and normal:
            # the device scales with a kernel, over the parts as a real tensor
            _fill_random_raw(r._storage.backend, r._data, 2 * n, code == CT_COMPLEX128, g, normal, 1.0)
            n2 = 2 * n
            parts = _make_tensor(r._storage, 2 * r._offset, 1, &n2, NULL, r._dtype.to_real())
            parts.mul_(0.7071067811865476)
            return 0
        return _fill_random_raw(r._storage.backend, r._data, 2 * n, code == CT_COMPLEX128, g, normal,
                                0.7071067811865476 if normal else 1.0)
    if code == CT_FLOAT32 or code == CT_FLOAT64:
        return _fill_random_raw(r._storage.backend, r._data, n, code == CT_FLOAT64, g, normal, 1.0)
    raise NotImplementedError(f"\"{'normal_kernel_cpu' if normal else 'check_uniform_bounds'}\" not implemented for '{_SCALAR_NAMES[code]}'")


cdef int _fill_random_raw(const ct_backend *B, char *p, int64_t n, bint dbl, Generator g, bint normal,
                          double scale) except -1:
    cdef uint64_t seed = g._seed, off
    cdef int code = CT_FLOAT64 if dbl else CT_FLOAT32
    cdef int64_t i
    if normal:
        off = g._take(ct_rand_blocks_normal_f64(n) if dbl else ct_rand_blocks_normal_f32(n))
    else:
        off = g._take(ct_rand_blocks_uniform_f64(n) if dbl else ct_rand_blocks_uniform_f32(n))
    cdef ct_rand_fill_fn fill = (B.normal if normal else B.uniform)[code]
    if fill == NULL:
        raise NotImplementedError(f"\"{'normal' if normal else 'uniform'}\" not implemented on the {B.name.decode()} backend")
    with nogil:
        fill(seed, off, p, n)
        if scale != 1.0:
            for i in range(n):
                if dbl:
                    (<double *>p)[i] *= scale
                else:
                    (<float *>p)[i] = <float>((<float *>p)[i] * scale)
    return 0


def rand(*sizes, size=None, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False):
    cdef Tensor r = _sized(_size_kw(sizes, size, "rand"), dtype, device, "rand", None, out)
    _fill_random(r, _gen(generator), False)
    return _finish(r, requires_grad, out)


def randn(*sizes, size=None, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False):
    cdef Tensor r = _sized(_size_kw(sizes, size, "randn"), dtype, device, "randn", None, out)
    _fill_random(r, _gen(generator), True)
    return _finish(r, requires_grad, out)


def rand_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    cdef Tensor r = _like(input, dtype, device, memory_format)
    _fill_random(r, <Generator>default_generator, False)
    return _finish(r, requires_grad)


def randn_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    cdef Tensor r = _like(input, dtype, device, memory_format)
    _fill_random(r, <Generator>default_generator, True)
    return _finish(r, requires_grad)


cdef Tensor _randint_into(Tensor r, int64_t low, int64_t high, Generator g):
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    cdef Tensor src = r if r._dtype is t_int64 else _empty(r._ndim, r._shape, t_int64, r._storage.device)
    cdef uint64_t off = g._take(ct_rand_blocks_int64_range(r._numel, low, high))
    with nogil:
        src._storage.backend.int64_range(g._seed, off, low, high, <int64_t *>src._data, src._numel)
    if src is not r:
        _copy_into(r, src, False)
    return r


def randint(*args, generator=None, out=None, dtype=None, layout=None, device=None,
            requires_grad=False, size=None, low=None, high=None):
    # randint(high, size) or randint(low, high, size), any of them by keyword:
    # positional arguments fill the names not given by keyword, in order
    cdef Py_ssize_t na = len(args)
    if size is None and low is None and high is None and (na == 2 or na == 3):
        # all positional: (high, size) or (low, high, size)
        sz = args[na - 1]
        high = args[na - 2]
        low = args[0] if na == 3 else 0
    else:
        given = {k: v for k, v in (("low", low), ("high", high), ("size", size)) if v is not None}
        names = ("low", "high", "size") if na + len(given) == 3 else ("high", "size")
        free = [k for k in names if k not in given]
        if len(free) != na or any(k not in names for k in given):
            raise TypeError("randint() received an invalid combination of arguments - expected (int high, tuple of ints size) or (int low, int high, tuple of ints size)")
        given.update(zip(free, args))
        low, high, sz = given.get("low", 0), given["high"], given["size"]
    if not isinstance(sz, (tuple, list, Size)):
        raise TypeError(f"randint(): argument 'size' must be tuple of ints, not {type(sz).__name__}")
    cdef Tensor r = _sized((tuple(sz),), dtype, device, "randint", t_int64, out)
    if r._dtype._kind == K_FLOAT or r._dtype._kind == K_COMPLEX:
        tmp = _empty(r._ndim, r._shape, t_int64, r._storage.device)
        _randint_into(tmp, int(low), int(high), _gen(generator))
        _copy_into(r, tmp, False)
    else:
        _randint_into(r, int(low), int(high), _gen(generator))
    return _finish(r, requires_grad, out)


def randint_like(input, low=0, high=None, *, dtype=None, layout=None, device=None, requires_grad=False,
                 memory_format=None):
    if high is None:
        low, high = 0, low
    cdef Tensor r = _like(input, dtype, device, memory_format)
    cdef Tensor tmp = _empty(r._ndim, r._shape, t_int64, r._storage.device)
    _randint_into(tmp, int(low), int(high), <Generator>default_generator)
    _copy_into(r, tmp, False)
    return _finish(r, requires_grad)


def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
             pin_memory=False):
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"randperm(): argument 'n' must be int, not {type(n).__name__}")
    if n < 0:
        raise RuntimeError(f"n must be non-negative, got{n}")
    cdef int code = _factory_device(device, out)
    cdef DType dt = _factory_dtype(dtype, out, "randperm")
    cdef Generator g = _gen(generator)
    cdef Tensor src = _empty_list([n], t_int64)
    cdef uint64_t off = g._take(ct_rand_blocks_randperm_int64(n))
    with nogil:
        src._storage.backend.randperm(g._seed, off, <int64_t *>src._data, src._numel)
    return _finish(_cast(src, dt) if dt is not None else src, requires_grad, out, code)


# ------------------------------------------------- in-place fills and normal

cdef str _num(object v):
    """A number as PyTorch's messages print it (C++'s default: %g)."""
    return f"{float(v):g}"


cdef DType _work_dtype(Tensor t):
    """The dtype a fill computes in: float64 for float64 and integer
    targets, float32 for float32 and float16."""
    return t_float64 if (t._dtype is t_float64 or t._dtype._kind < K_FLOAT) else t_float32


cdef object _fill_inplace(Tensor self, str op, DType wdt, object fn):
    """self <- fn(work), work a dense tensor of self's shape in wdt (self
    itself, detached, when it is dense in wdt). A fill in a graph ends the old
    value's history: its node (op's entry) passes zero gradients back."""
    _check_inplace(self)
    cdef bint graph = _inplace_needs_graph(self, None)
    cdef Tensor old = _stand_in(self, False) if graph else None
    cdef Tensor work
    cdef bint direct = self._dtype is wdt and _is_contiguous(self)
    work = self.detach() if direct else _empty(self._ndim, self._shape, wdt, self._storage.device)
    fn(work)
    if not direct:
        _copy_into(self, work, False)
    _bump(self)
    cdef Tensor r
    if graph:
        r = _raw_clone(self)
        record(op, r, (old,))
        _rebase_history(self, r, old)
    return self


cdef double _half_below(double x, int code=CT_FLOAT16):
    """The largest float16 (or bfloat16) value below x."""
    import numpy as np
    cdef Tensor b
    if code == CT_BFLOAT16:
        b = _empty_list([], _DT[CT_BFLOAT16], -1)
        b.fill_(x)
        if float(b) >= x:
            b = b.nextafter(b.new_full((), float("-inf")))
        return float(b)
    h = np.float16(x)
    if float(h) >= x:
        h = np.nextafter(h, np.float16(-np.inf))
    return float(h)


def _uniform_(Tensor self, from_=0.0, to=1.0, *, generator=None):
    cdef Generator g = _gen(generator)
    lo, hi = float(from_), float(to)
    if lo > hi:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={_num(lo)} > "
                           f"to={_num(hi)}")

    cdef int code = self._dtype._code
    cdef bint half = code == CT_FLOAT16 or code == CT_BFLOAT16
    cdef double grid = 2048.0 if code == CT_FLOAT16 else 256.0

    def fill(Tensor w):
        _fill_random(w, g, False)
        if half:
            # half's 11-bit grid, as rand's half draws (never rounded up to 1.0)
            w.mul_(grid).floor_().mul_(1.0 / grid)
        if lo != 0.0 or hi != 1.0:
            w.mul_(hi - lo).add_(lo)
            if half and hi > lo:
                # the range stays [from, to) after rounding to half: at most
                # the largest half below `to`
                w.clamp_(max=_half_below(hi, code))
    if self._dtype._kind != K_FLOAT and self._dtype._kind != K_COMPLEX:
        raise NotImplementedError(f"\"check_uniform_bounds\" not implemented for '{_sname(self._dtype)}'")
    return _fill_inplace(self, "uniform_", self._dtype if self._dtype._kind == K_COMPLEX else _work_dtype(self),
                         fill)


def _normal_(Tensor self, mean=0.0, std=1.0, *, generator=None):
    cdef Generator g = _gen(generator)
    m, sd = float(mean), float(std)
    if not sd >= 0.0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_num(sd)}")

    def fill(Tensor w):
        _fill_random(w, g, True)
        if m != 0.0 or sd != 1.0:
            w.mul_(sd).add_(m)
    if self._dtype._kind != K_FLOAT and self._dtype._kind != K_COMPLEX:
        raise NotImplementedError(f"\"normal_kernel_cpu\" not implemented for '{_sname(self._dtype)}'")
    return _fill_inplace(self, "normal_", self._dtype if self._dtype._kind == K_COMPLEX else _work_dtype(self),
                         fill)


# the largest value random_() draws (inclusive) per dtype code: every integer
# of a float dtype's significand, the whole non-negative range of an integer one
cdef dict _RANDOM_MAX = {CT_BOOL: 1, CT_UINT8: 255, CT_INT8: 127, CT_INT16: 32767, CT_INT32: 2147483647,
                         CT_INT64: 9223372036854775806, CT_FLOAT16: 1 << 11, CT_FLOAT32: 1 << 24, CT_BFLOAT16: 1 << 8,
                         CT_FLOAT64: 1 << 53}

cdef object _NO_ARG = object()


def _random_(Tensor self, from_=_NO_ARG, to=_NO_ARG, *, generator=None):
    # random_(), random_(to), random_(from, to), random_(from, None): [from, max]
    if self._dtype._kind == K_COMPLEX:
        raise NotImplementedError(f"\"random_from_to_range_calc\" not implemented for '{_sname(self._dtype)}'")
    cdef object top = _RANDOM_MAX[self._dtype._code] + 1
    if from_ is _NO_ARG and to is _NO_ARG:
        lo, hi = 0, top
    elif to is _NO_ARG:
        lo, hi = 0, from_
    elif from_ is _NO_ARG:
        lo, hi = 0, to
    elif to is None:
        lo, hi = from_, top
    else:
        lo, hi = from_, to
    lo, hi = int(lo), int(hi)
    cdef Generator g = _gen(generator)
    if lo >= hi:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={lo} >= to={hi}")

    def fill(Tensor w):
        _randint_into(w, lo, hi, g)
    cdef int given = (from_ is not _NO_ARG) + (to is not _NO_ARG)
    return _fill_inplace(self, ("random_.plain", "random_.to", "random_")[given], t_int64, fill)


cdef int _continuous(Tensor self, str dist) except -1:
    if self._dtype._kind != K_FLOAT:
        raise RuntimeError(f"{dist} distribution is a continuous probability distribution. dtype must be a "
                           f"floating point but you specified {_SCALAR_NAMES[self._dtype._code]}")
    return 0


def _exponential_(Tensor self, lambd=1.0, *, generator=None):
    cdef double lam = float(lambd)
    if not lam > 0.0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={_num(lam)}")
    _continuous(self, "Exponential")
    cdef Generator g = _gen(generator)

    def fill(Tensor w):
        # -log(1 - u) / lambda, u uniform on [0, 1)
        _fill_random(w, g, False)
        w.neg_().log1p_().mul_(-1.0 / lam)
    return _fill_inplace(self, "exponential_", _work_dtype(self), fill)


def _geometric_(Tensor self, p=_NO_ARG, *, generator=None):
    if p is _NO_ARG:
        raise TypeError('geometric_() missing 1 required positional arguments: "p"')
    cdef double pv = float(p)
    if not (pv > 0.0 and pv < 1.0):
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={_num(pv)}")
    if self._dtype._kind == K_COMPLEX or self._dtype is t_bool:
        raise NotImplementedError(f"\"geometric_cpu\" not implemented for '{_sname(self._dtype)}'")
    cdef Generator g = _gen(generator)
    cdef double denom = _log1p(-pv)

    def fill(Tensor w):
        # floor(log(v) / log(1 - p)) + 1 with v = 1 - u uniform on (0, 1]: the
        # number of Bernoulli(p) trials up to the first success
        _fill_random(w, g, False)
        w.neg_().log1p_().div_(denom).floor_().add_(1.0)
    return _fill_inplace(self, "geometric_", _work_dtype(self), fill)


def _log_normal_(Tensor self, mean=1.0, std=2.0, *, generator=None):
    cdef double m = float(mean), sd = float(std)
    if not sd > 0.0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={_num(sd)}")
    if self._dtype._kind != K_FLOAT:
        raise NotImplementedError(f"\"log_normal_cpu\" not implemented for '{_sname(self._dtype)}'")
    cdef Generator g = _gen(generator)

    def fill(Tensor w):
        _fill_random(w, g, True)
        w.mul_(sd).add_(m).exp_()
    return _fill_inplace(self, "log_normal_", _work_dtype(self), fill)


def _cauchy_(Tensor self, median=0.0, sigma=1.0, *, generator=None):
    cdef double med = float(median), sg = float(sigma)
    if not sg > 0.0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={_num(sg)}")
    if self._dtype._kind != K_FLOAT:
        raise RuntimeError(f"Cauchy distribution is a continuous probability distribution. dtype must be a "
                           f"floating point but you specified {_CXX_NAMES[self._dtype._code]}")
    cdef Generator g = _gen(generator)

    def fill(Tensor w):
        # median + sigma tan(pi (u - 1/2))
        _fill_random(w, g, False)
        w.sub_(0.5).mul_(3.141592653589793).tan_().mul_(sg).add_(med)
    return _fill_inplace(self, "cauchy_", _work_dtype(self), fill)


_NORMAL_SIGS = (" * (Tensor mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
                " * (Tensor mean, float std = 1, *, torch.Generator generator = None, Tensor out = None)\n"
                " * (float mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
                " * (float mean, float std, tuple of ints size, *, torch.Generator generator = None, "
                "Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, torch.device "
                "device = None, bool pin_memory = False, bool requires_grad = False)\n")


cdef bint _is_number(object v):
    return not isinstance(v, (Tensor, str, bytes)) and hasattr(v, "__float__")


cdef int _check_std(Tensor s) except -1:
    if s._numel and not s.min().item() >= 0:        # nan fails too
        raise RuntimeError("normal expects all elements of std >= 0.0")
    return 0


cdef Tensor _std_normal(list shape, DType dt, int device, Generator g):
    cdef Tensor z = _empty_list(shape, dt, device)
    _fill_random(z, g, True)
    return z


def normal(mean, std=_NO_ARG, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None,
           pin_memory=False, requires_grad=False):
    cdef Generator g = _gen(generator)
    cdef Tensor m, s, z
    cdef DType dt
    mt, st = isinstance(mean, Tensor), isinstance(std, Tensor)
    if isinstance(out, Tensor) and (<Tensor>out)._dtype._kind != K_FLOAT and (<Tensor>out)._dtype._kind != K_COMPLEX:
        raise NotImplementedError(f"\"normal_kernel_cpu\" not implemented for '{_sname((<Tensor>out)._dtype)}'")
    factory = dtype is not None or device is not None or requires_grad or size is not None
    if mt and (st or std is _NO_ARG or _is_number(std)) and not factory:
        m = <Tensor>mean
        if m._dtype._kind != K_FLOAT and m._dtype._kind != K_COMPLEX:
            raise NotImplementedError(f"\"normal_kernel_cpu\" not implemented for '{_sname(m._dtype)}'")
        if st:
            # (Tensor, Tensor): the broadcast shape, mean's dtype
            s = <Tensor>std
            _same_device(m, s)
            _check_std(s)
            z = _std_normal(_broadcast_pair(list(m.size()), list(s.size())), m._dtype, m._storage.device, g)
            z.mul_(s.detach() if s._dtype is m._dtype else _cast(s.detach(), m._dtype)).add_(m.detach())
            if out is None:
                record("normal.Tensor_Tensor", z, (mean, std))
            return _to_out(out, z, "normal")
        sd = 1.0 if std is _NO_ARG else float(std)
        if not sd >= 0.0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {_num(sd)}")
        z = _std_normal(list(m.size()), m._dtype, m._storage.device, g)
        if sd != 1.0:
            z.mul_(sd)
        z.add_(m.detach())
        if out is None:
            record("normal.Tensor_float", z, (mean,))
        return _to_out(out, z, "normal")
    if st and _is_number(mean) and not factory:
        s = <Tensor>std
        if s._dtype._kind != K_FLOAT and s._dtype._kind != K_COMPLEX:
            raise NotImplementedError(f"\"normal_kernel_cpu\" not implemented for '{_sname(s._dtype)}'")
        _check_std(s)
        z = _std_normal(list(s.size()), s._dtype, s._storage.device, g)
        z.mul_(s.detach())
        if float(mean) != 0.0:
            z.add_(float(mean))
        if out is None:
            record("normal.float_Tensor", z, (std,))
        return _to_out(out, z, "normal")
    if _is_number(mean) and _is_number(std) and size is not None and not isinstance(size, (int, float)):
        m0, sd = float(mean), float(std)
        if not sd >= 0.0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {_num(sd)}")
        z = _sized((tuple(size),), dtype, device, "normal", None, out)
        if z._dtype._kind != K_FLOAT and z._dtype._kind != K_COMPLEX:
            raise NotImplementedError(f"\"normal_kernel_cpu\" not implemented for '{_sname(z._dtype)}'")
        _fill_random(z, g, True)
        if sd != 1.0:
            z.mul_(sd)
        if m0 != 0.0:
            z.add_(m0)
        return _finish(z, requires_grad, out)
    got = ", ".join("Tensor" if isinstance(a, Tensor) else type(a).__name__
                    for a in (mean, std, size) if a is not _NO_ARG and a is not None)
    raise TypeError(f"normal() received an invalid combination of arguments - got ({got}), but expected "
                    f"one of:\n{_NORMAL_SIGS}")


_add_method("uniform_", _uniform_)
_add_method("normal_", _normal_)
_add_method("random_", _random_)
_add_method("exponential_", _exponential_)
_add_method("geometric_", _geometric_)
_add_method("log_normal_", _log_normal_)
_add_method("cauchy_", _cauchy_)
