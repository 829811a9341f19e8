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
from ctorch._ops.elementwise cimport _cast
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
            raise RuntimeError(f"Overflow when unpacking long")
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
        cdef Tensor st = <Tensor?>new_state
        if st._dtype is not t_uint8 or st._numel != 16:
            raise RuntimeError("Expected a torch.ByteTensor of 16 elements as the generator state")
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
    if code == CT_FLOAT16:
        tmp = _empty(r._ndim, r._shape, t_float32, r._storage.device)
        _fill_random(tmp, g, normal)
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
    cdef Tensor r = _like(input, dtype, device)
    _fill_random(r, <Generator>default_generator, False)
    return _finish(r, requires_grad)


def randn_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    cdef Tensor r = _like(input, dtype, device)
    _fill_random(r, <Generator>default_generator, True)
    return _finish(r, requires_grad)


cdef Tensor _randint_into(Tensor r, int64_t low, int64_t high, Generator g):
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    cdef Tensor src = r if r._dtype is t_int64 else _empty(r._ndim, r._shape, t_int64, r._storage.device)
    cdef uint64_t off = g._take(ct_rand_blocks_int64_range(r._numel))
    with nogil:
        src._storage.backend.int64_range(g._seed, off, low, high, <int64_t *>src._data, src._numel)
    if src is not r:
        _copy_into(r, src, False)
    return r


def randint(*args, generator=None, out=None, dtype=None, layout=None, device=None,
            requires_grad=False, size=None, low=None, high=None):
    # randint(high, size) or randint(low, high, size), any of them by keyword:
    # positional arguments fill the names not given by keyword, in order
    given = {k: v for k, v in (("low", low), ("high", high), ("size", size)) if v is not None}
    names = ("low", "high", "size") if len(args) + len(given) == 3 else ("high", "size")
    free = [k for k in names if k not in given]
    if len(free) != len(args) or any(k not in names for k in given):
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
    cdef Tensor r = _like(input, dtype, device)
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


def _uniform_(Tensor self, from_=0.0, to=1.0, *, generator=None):
    cdef Tensor tmp = _empty(self._ndim, self._shape, self._dtype, self._storage.device)
    _fill_random(tmp, _gen(generator), False)
    if from_ != 0.0 or to != 1.0:
        tmp = tmp * (to - from_) + from_
    _copy_into(self, tmp, False)
    _bump(self)
    return self


def _normal_(Tensor self, mean=0.0, std=1.0, *, generator=None):
    cdef Tensor tmp = _empty(self._ndim, self._shape, self._dtype, self._storage.device)
    _fill_random(tmp, _gen(generator), True)
    if mean != 0.0 or std != 1.0:
        tmp = tmp * std + mean
    _copy_into(self, tmp, False)
    _bump(self)
    return self


def _random_(Tensor self, from_=0, to=None, *, generator=None):
    if to is None:
        from_, to = 0, from_ if from_ else (1 << 24 if self._dtype._kind >= K_FLOAT else 1 << 62)
    cdef Tensor tmp = _empty(self._ndim, self._shape, t_int64, self._storage.device)
    _randint_into(tmp, int(from_), int(to), _gen(generator))
    _copy_into(self, tmp, False)
    _bump(self)
    return self


_add_method("uniform_", _uniform_)
_add_method("normal_", _normal_)
_add_method("random_", _random_)
