# cython: language_level=3
"""Random sampling on the Philox stream: bernoulli/bernoulli_, dropout (one
fused kernel that draws the mask and scales), multinomial, poisson and
binomial (rejection samplers, ctorch/_kernels/philox_core.h). The kernels and
their word-per-element contract are in ctorch/_kernels/sampling.h; like the
fills of ctorch._ops.random every call takes its blocks from the generator
first, so a seed fixes the values whatever the thread count, and on a CUDA
tensor the device's kernels (cuda_src/sampling.cu) give the CPU's numbers for
the same seed. Probabilities and weights are made dense doubles on the
tensor's own device; the flags of their checks come back as words."""

from libc.stdint cimport uint32_t, uint64_t, int64_t, uint8_t

from ctorch._core.dtype cimport *
from ctorch._core.backend cimport *
from ctorch._core.tensor cimport *
from ctorch._core.iterator cimport *
from ctorch._ops.elementwise cimport _cast, _stand_in, _inplace_with_graph
from ctorch._ops.views cimport _expand
from ctorch._ops.random cimport Generator, _gen
from ctorch.autograd._node cimport record, _grad_mode, _check_inplace, _inplace_needs_graph, _rebase_history


cdef inline uint32_t _bern_threshold(double p):
    """Word i (uniform on [0, 2^32)) is below this with probability p, for
    p < 1 (p within 2^-33 of 1 is taken as 1 - 2^-32)."""
    cdef double t = p * 4294967296.0 + 0.5
    return <uint32_t>t if t < 4294967295.0 else <uint32_t>4294967295u


cdef double _check_p(object p) except? -1.0:
    cdef double v
    try:
        v = float(p)
    except (TypeError, ValueError):
        raise TypeError(f"bernoulli(): argument 'p' must be float, not {type(p).__name__}")
    if not (v >= 0.0 and v <= 1.0):
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
    return v


cdef int _bern_scalar_into(Tensor r, double p, Generator g) except -1:
    """r filled with Bernoulli(p) draws (1 / 0 in r's dtype)."""
    cdef int code = r._dtype._code
    if r._dtype._kind == K_COMPLEX:
        raise NotImplementedError(f"\"bernoulli_scalar_cpu_\" not implemented for '{_sname(r._dtype)}'")
    cdef bint direct = _is_contiguous(r) and code in (CT_BOOL, CT_UINT8, CT_FLOAT32, CT_FLOAT64)
    cdef Tensor dst = r if direct else _empty_like(r, t_uint8)
    cdef uint32_t thr = _bern_threshold(p)
    cdef uint64_t off = g._take(ct_bernoulli_blocks(r._numel))
    cdef int64_t n = r._numel
    if p == 1.0:
        _fill(r, 1)          # the stream still moves on by the same blocks
        return 0
    cdef ct_bernoulli_scalar_fn fill = dst._storage.backend.bernoulli_scalar[dst._dtype._code]
    with nogil:
        fill(g._seed, off, thr, dst._data, n)
    _check_device(dst)
    if dst is not r:
        _copy_into(r, dst, False)
    return 0


cdef int _bern_tensor_into(Tensor r, Tensor p, Generator g) except -1:
    """r[i] ~ Bernoulli(p[i]), p broadcast to r's shape; p on another device
    is moved to r's first (as PyTorch does)."""
    if p._dtype._kind != K_FLOAT:
        raise NotImplementedError(f"\"bernoulli_tensor_cpu_p_\" not implemented for '{_sname(p._dtype)}'")
    if r._dtype._kind == K_COMPLEX:
        raise NotImplementedError(f"\"bernoulli_tensor_cpu_self_\" not implemented for '{_sname(r._dtype)}'")
    if not _same_shape(p, r):
        p = _expand(p, list(r.size()))
    cdef Tensor pd = _contig(p.detach(), t_float64)
    if pd._storage.device != r._storage.device:
        pd = _to_device(pd, r._storage.device, t_float64)
    cdef int64_t n = r._numel
    cdef int bad
    with nogil:
        bad = pd._storage.backend.prob_invalid(<double *>pd._data, n)
    _check_device(pd)
    if bad:
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
                           "message be improved?  If so, please report an enhancement request to PyTorch.)")
    cdef Tensor dst = r if (r._dtype._code in (CT_BOOL, CT_UINT8) and _is_contiguous(r)) else _empty_like(r, t_uint8)
    cdef uint64_t off = g._take(ct_bernoulli_blocks(n))
    with nogil:
        dst._storage.backend.bernoulli_tensor(g._seed, off, <double *>pd._data, <uint8_t *>dst._data, n)
    _check_device(dst)
    if dst is not r:
        _copy_into(r, dst, False)
    return 0


def bernoulli(input, p=None, *, generator=None, out=None):
    cdef Tensor t = _tensor_arg(input, "bernoulli")
    cdef Generator gen = _gen(generator)
    cdef Tensor r
    if isinstance(p, Tensor):
        raise TypeError("bernoulli() received an invalid combination of arguments - got (Tensor, Tensor), "
                        "but expected one of:\n * (Tensor input, *, torch.Generator generator = None, "
                        "Tensor out = None)\n * (Tensor input, float p, *, torch.Generator generator = None)")
    if p is not None:
        if out is not None:
            raise TypeError("bernoulli() got an unexpected keyword argument 'out' together with 'p'")
        pv = _check_p(p)
        r = _empty_like(t, None)
        _bern_scalar_into(r, pv, gen)
        return r
    if t._dtype._kind == K_COMPLEX:
        raise NotImplementedError(f"\"bernoulli_tensor_cpu_self_\" not implemented for '{_sname(t._dtype)}'")
    if t._dtype._kind != K_FLOAT:
        raise NotImplementedError(f"\"bernoulli_tensor_cpu_p_\" not implemented for '{_sname(t._dtype)}'")
    r = _empty_like(t, None)
    _bern_tensor_into(r, t, gen)
    if out is None:
        record("bernoulli", r, (t,))
    return _to_out(out, r, "bernoulli")


def _bernoulli_method(self, p=None, *, generator=None):
    return bernoulli(self, p, generator=generator)


def _bernoulli_(Tensor self, p=0.5, *, generator=None):
    _check_inplace(self)
    cdef Generator gen = _gen(generator)
    cdef bint graph = _inplace_needs_graph(self, p)
    cdef Tensor old = _stand_in(self, False) if graph else None
    if isinstance(p, Tensor):
        _bern_tensor_into(self, <Tensor>p, gen)
    else:
        _bern_scalar_into(self, _check_p(p), gen)
    _bump(self)
    cdef Tensor r
    if graph:
        # the old value's history ends here (its gradient is zero, as is p's)
        r = _raw_clone(self)
        if isinstance(p, Tensor):
            record("bernoulli_.Tensor", r, (old, p))
        else:
            record("bernoulli_.float", r, (old,))
        _rebase_history(self, r, old)
    return self


# ------------------------------------------------------------------ dropout

cdef tuple _dropout_kernel(Tensor x, double p, bint want_mask):
    """(x * bernoulli(1 - p) / (1 - p), the mask in x's dtype or None) for
    float32/float64."""
    cdef Tensor xc = _contig(x, x._dtype)
    cdef Tensor r = _empty_like(xc, None)
    cdef Tensor m = _empty_like(xc, None) if want_mask else None
    cdef Generator g = _gen(None)
    cdef uint32_t thr = _bern_threshold(1.0 - p)
    cdef double scale = 1.0 / (1.0 - p) if p < 1.0 else 0.0
    cdef int64_t n = xc._numel
    cdef uint64_t off = g._take(ct_bernoulli_blocks(n))
    cdef ct_dropout_fn drop = xc._storage.backend.dropout[xc._dtype._code]
    with nogil:
        drop(g._seed, off, thr, scale, xc._data, r._data, m._data if want_mask else NULL, n)
    _check_device(r)
    return r, m


cdef object _NO_TRAIN = object()


def dropout(input, p, train=_NO_TRAIN):
    if train is _NO_TRAIN:
        raise TypeError('dropout() missing 1 required positional arguments: "train"')
    cdef Tensor t = _tensor_arg(input, "dropout")
    cdef double pv
    try:
        pv = float(p)
    except (TypeError, ValueError):
        raise TypeError(f"dropout(): argument 'p' (position 2) must be float, not {type(p).__name__}")
    if not (pv >= 0.0 and pv <= 1.0):
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not train or pv == 0.0:
        return t
    if t._dtype._kind == K_COMPLEX:
        raise NotImplementedError(f"\"bernoulli_scalar_cpu_\" not implemented for '{_sname(t._dtype)}'")
    if t._dtype._kind != K_FLOAT:
        raise RuntimeError(f"result type Float can't be cast to the desired output type {_sname(t._dtype)}")
    cdef bint needs = _grad_mode() != 0 and _needs_grad(t)
    cdef Tensor x = t.detach()
    if x._dtype._code == CT_FLOAT16 or x._dtype._code == CT_BFLOAT16:
        r, mask = _dropout_kernel(_cast(x, t_float32), pv, needs)
        r = _cast(r, x._dtype)
        if needs:
            mask = _cast(mask, x._dtype)
    else:
        r, mask = _dropout_kernel(x, pv, needs)
    if needs:
        record("dropout", r, (t, None), (mask,))
    return r


def dropout_(input, p, train):
    cdef Tensor t = _tensor_arg(input, "dropout_")
    _check_inplace(t)
    if _inplace_needs_graph(t, None):
        return _inplace_with_graph(t, lambda s: dropout(s, p, train))
    r = dropout(t, p, train)
    if r is not t:
        _copy_into(t, <Tensor>r, True)
    return t


# -------------------------------------------------------------- multinomial

def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    cdef Tensor t = _tensor_arg(input, "multinomial")
    if not isinstance(num_samples, int) or isinstance(num_samples, bool):
        raise TypeError(f"multinomial(): argument 'num_samples' (position 2) must be int, "
                        f"not {type(num_samples).__name__}")
    if t._dtype._kind != K_FLOAT:
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: {_sname(t._dtype)}")
    if out is not None and (<Tensor?>out)._dtype is not t_int64:
        raise RuntimeError(f"multinomial expects Long tensor out, got: {_sname((<Tensor>out)._dtype)}")
    if t._ndim != 1 and t._ndim != 2:
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not -2**63 <= num_samples < 2**63:
        raise ValueError("Overflow when unpacking long long")
    cdef int64_t ns = num_samples
    if ns <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    cdef int64_t ncat = t._shape[t._ndim - 1]
    cdef int64_t rows = t._shape[0] if t._ndim == 2 else 1
    if not replacement and ns > ncat:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    if ncat > (1 << 24):
        raise RuntimeError("number of categories cannot exceed 2^24")
    if rows > 0 and ns > ((1 << 62) // rows):
        raise RuntimeError(f"multinomial: {rows} x {ns} samples overflow int64")
    shape = [rows, ns] if t._ndim == 2 else [ns]
    cdef Tensor r = _empty_list(shape, t_int64, t._storage.device)
    if rows == 0:
        return _to_out(out, r, "multinomial", OUT_SAME, "multinomial expects Long tensor out, got: {out}")
    cdef Tensor pd = _contig(t.detach(), t_float64)
    cdef int err
    with nogil:
        err = pd._storage.backend.multinomial_check(<double *>pd._data, rows, ncat) if ncat > 0 else 2
    _check_device(pd)
    if err == 1:
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if err == 2:
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    cdef Generator g = _gen(generator)
    cdef uint64_t off
    cdef Tensor cum
    if replacement:
        cum = _empty_list([rows, ncat], t_float64, pd._storage.device)
        off = g._take(ct_multinomial_blocks(rows * ns))
        with nogil:
            pd._storage.backend.multinomial_repl(g._seed, off, <double *>pd._data, rows, ncat, ns,
                                                 <double *>cum._data, <int64_t *>r._data)
    else:
        off = g._take(ct_multinomial_blocks(rows * ncat))
        with nogil:
            err = pd._storage.backend.multinomial_norepl(g._seed, off, <double *>pd._data, rows, ncat, ns,
                                                         <int64_t *>r._data)
        if err:
            raise MemoryError("multinomial: out of memory")
    _check_device(r)
    return _to_out(out, r, "multinomial", OUT_SAME, "multinomial expects Long tensor out, got: {out}")


# ------------------------------------------------------------------- counts

cdef Tensor _as_doubles(Tensor t, list shape):
    """t broadcast to shape, dense float64 on its own device, no history."""
    if list(t.size()) != shape:
        t = _expand(t, shape)
    return _contig(t.detach(), t_float64)


def poisson(input, generator=None):
    if not isinstance(input, Tensor):
        raise TypeError(f"poisson(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if generator is not None and not isinstance(generator, Generator):
        raise TypeError(f"poisson(): argument 'generator' (position 2) must be torch.Generator, not "
                        f"{type(generator).__name__}")
    cdef Tensor t = <Tensor>input
    if t._dtype._kind != K_FLOAT:
        raise NotImplementedError(f"\"poisson_cpu\" not implemented for '{_sname(t._dtype)}'")
    cdef list shape = list(t.size())
    cdef Tensor rate = _as_doubles(t, shape)
    cdef const ct_backend *B = rate._storage.backend
    if B.poisson == NULL:
        raise NotImplementedError(f"\"poisson\" not implemented on the {B.name.decode()} backend")
    cdef int64_t n = rate._numel
    cdef int bad
    with nogil:
        bad = B.rate_invalid(<double *>rate._data, n)
    _check_device(rate)
    if bad:
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    cdef Generator g = _gen(generator)
    cdef Tensor r = _empty_list(shape, t_float64, rate._storage.device)
    cdef uint64_t off = g._take(ct_count_blocks(n))
    with nogil:
        B.poisson(g._seed, off, <double *>rate._data, <double *>r._data, n)
    _check_device(r)
    if t._dtype is not t_float64:
        r = _cast(r, t._dtype)
    record("poisson", r, (input,))
    return r


def binomial(count, prob, generator=None):
    if not isinstance(count, Tensor):
        raise TypeError(f"binomial(): argument 'count' (position 1) must be Tensor, not {type(count).__name__}")
    if not isinstance(prob, Tensor):
        raise TypeError(f"binomial(): argument 'prob' (position 2) must be Tensor, not {type(prob).__name__}")
    if generator is not None and not isinstance(generator, Generator):
        raise TypeError(f"binomial(): argument 'generator' (position 3) must be torch.Generator, not "
                        f"{type(generator).__name__}")
    cdef Tensor c = <Tensor>count, p = <Tensor>prob
    if c._dtype._kind != K_FLOAT:
        raise ValueError(f"binomial only supports floating-point dtypes for count, got: {_sname(c._dtype)}")
    if p._dtype._kind != K_FLOAT:
        raise ValueError(f"binomial only supports floating-point dtypes for prob, got: {_sname(p._dtype)}")
    if p._dtype is not c._dtype:
        raise RuntimeError(f"Found dtype {_sname(p._dtype)} but expected {_sname(c._dtype)}")
    if c._dtype._code == CT_FLOAT16 or c._dtype._code == CT_BFLOAT16:
        raise NotImplementedError(f"\"binomial_cpu\" not implemented for '{_sname(c._dtype)}'")
    _same_device(c, p)
    cdef list shape = _broadcast_pair(list(c.size()), list(p.size()))
    cdef Tensor cd = _as_doubles(c, shape), pd = _as_doubles(p, shape)
    cdef const ct_backend *B = cd._storage.backend
    if B.binomial == NULL:
        raise NotImplementedError(f"\"binomial\" not implemented on the {B.name.decode()} backend")
    cdef Generator g = _gen(generator)
    cdef int64_t n = cd._numel
    cdef Tensor r = _empty_list(shape, t_float64, cd._storage.device)
    cdef uint64_t off = g._take(ct_count_blocks(n))
    with nogil:
        B.binomial(g._seed, off, <double *>cd._data, <double *>pd._data, <double *>r._data, n)
    _check_device(r)
    return r if c._dtype is t_float64 else _cast(r, c._dtype)


_add_method("bernoulli", _bernoulli_method)
_add_method("bernoulli_", _bernoulli_)
_add_method("multinomial", multinomial)
