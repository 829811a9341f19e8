# cython: language_level=3
"""Complex tensors: the real/imag views, view_as_real/view_as_complex,
complex/polar construction, angle, sgn and conj.

Gradients follow PyTorch's convention: for a real loss L and a complex z,
z.grad = dL/dRe(z) + i dL/dIm(z). For a holomorphic f the chain rule is then
grad_in = grad_out * conj(f'(z)), which the derivatives table derives from
the real formula grad_out * f'(z) (its holomorphic entries)."""

import builtins as _builtins
from libc.math cimport M_PI

from ctorch._core.dtype cimport *
from ctorch._core.tensor cimport *
from ctorch._core.iterator cimport *
from ctorch._ops.elementwise cimport _cast, _FUNCTIONS, _inplace_with_graph, _unary
from ctorch._ops.views cimport _select
from ctorch.autograd._node cimport record, _grad_mode, _set_grad_mode, _check_inplace, _inplace_needs_graph
from ctorch._ops.creation import zeros, ones, zeros_like
from ctorch._ops.elementwise import where

_builtins_complex = _builtins.complex


cdef inline bint _record(object x):
    return _grad_mode() != 0 and _needs_grad(x)


cdef inline DType _real_of(DType dt):
    return t_float32 if dt._code == CT_COMPLEX64 else t_float64


cdef Tensor _retyped_view(Tensor src, Py_ssize_t offset, int ndim, const Py_ssize_t *shape,
                          const Py_ssize_t *stride, DType dt):
    """A view of src's storage with another element type; shares the version counter."""
    cdef Tensor r = _make_tensor(src._storage, offset, ndim, shape, stride, dt)
    r._base = src if src._base is None else src._base
    r._attr_version = src._storage.version
    return r


cdef Tensor _as_real_raw(Tensor t):
    """(..., 2) real view of a complex tensor (no autograd)."""
    cdef Py_ssize_t sh[CT_MAXDIM]
    cdef Py_ssize_t st[CT_MAXDIM]
    cdef int d
    if t._ndim + 1 > CT_MAXDIM:
        raise RuntimeError(f"tensors with more than {CT_MAXDIM} dimensions are not supported (got {t._ndim + 1})")
    for d in range(t._ndim):
        sh[d] = t._shape[d]
        st[d] = 2 * t._stride[d]
    sh[t._ndim] = 2
    st[t._ndim] = 1
    return _retyped_view(t, 2 * t._offset, t._ndim + 1, sh, st, _real_of(t._dtype))


cdef Tensor _part_raw(Tensor t, int part):
    """The real (part 0) or imaginary (part 1) plane of a complex tensor (no autograd)."""
    cdef Py_ssize_t st[CT_MAXDIM]
    cdef int d
    for d in range(t._ndim):
        st[d] = 2 * t._stride[d]
    return _retyped_view(t, 2 * t._offset + part, t._ndim, t._shape, st, _real_of(t._dtype))


def view_as_real(input):
    cdef Tensor t = _tensor_arg(input, "view_as_real")
    if not t._dtype.is_complex:
        raise RuntimeError("view_as_real is only supported for complex tensors")
    cdef Tensor r = _as_real_raw(t)
    record("view_as_real", r, (t,))
    return r


def view_as_complex(input):
    cdef Tensor t = _tensor_arg(input, "view_as_complex")
    cdef int code = t._dtype._code
    if code != CT_FLOAT32 and code != CT_FLOAT64:
        if code == CT_FLOAT16:
            raise RuntimeError("view_as_complex: complex32 (ComplexHalf) tensors are not supported")
        raise RuntimeError("view_as_complex is only supported for half, float and double tensors, "
                           f"but got a tensor of scalar type: {_SCALAR_NAMES[code]}")
    if t._ndim == 0 or t._shape[t._ndim - 1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    if t._stride[t._ndim - 1] != 1:
        raise RuntimeError("Tensor must have a last dimension with stride 1")
    cdef Py_ssize_t st[CT_MAXDIM]
    cdef int d
    for d in range(t._ndim - 1):
        if t._stride[d] % 2:
            raise RuntimeError("Tensor must have a stride divisible by 2 for all but last dimension")
        st[d] = t._stride[d] // 2
    if t._offset % 2:
        raise RuntimeError("Tensor must have a storage_offset divisible by 2")
    cdef Tensor r = _retyped_view(t, t._offset // 2, t._ndim - 1, t._shape, st,
                                  t_complex64 if code == CT_FLOAT32 else t_complex128)
    record("view_as_complex", r, (t,))
    return r


def real(input):
    cdef Tensor t = _tensor_arg(input, "real")
    if not t._dtype.is_complex:
        return t
    if _record(t):
        # the same graph as PyTorch's: a select of the view_as_real view
        return _select(<Tensor>view_as_real(t), t._ndim, 0)
    return _part_raw(t, 0)


def imag(input):
    cdef Tensor t = _tensor_arg(input, "imag")
    if not t._dtype.is_complex:
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    if _record(t):
        return _select(<Tensor>view_as_real(t), t._ndim, 1)
    return _part_raw(t, 1)


def _set_real(self, value):
    real(self).copy_(value)


def _set_imag(self, value):
    imag(self).copy_(value)


_add_method("real", property(real, _set_real))
_add_method("imag", property(imag, _set_imag))


# ------------------------------------------------------------ construction

cdef tuple _two_float_args(object a, object b, str name):
    cdef Tensor x = _tensor_arg(a, name)
    if not isinstance(b, Tensor):
        raise TypeError(f"{name}(): argument '{'imag' if name == 'complex' else 'angle'}' (position 2) "
                        f"must be Tensor, not {type(b).__name__}")
    cdef Tensor y = <Tensor>b
    if not (x._dtype._kind == K_FLOAT and y._dtype._kind == K_FLOAT):
        raise RuntimeError(f"Expected both inputs to be Half, Float or Double tensors but got "
                           f"{_SCALAR_NAMES[x._dtype._code]} and {_SCALAR_NAMES[y._dtype._code]}")
    if x._dtype is not y._dtype:
        raise RuntimeError(f"Expected object of scalar type {_SCALAR_NAMES[x._dtype._code]} but got scalar "
                           f"type {_SCALAR_NAMES[y._dtype._code]} for second argument")
    if x._dtype._code == CT_FLOAT16:
        raise RuntimeError(f"{name}: complex32 (ComplexHalf) tensors are not supported")
    if x._dtype._code == CT_BFLOAT16:
        raise RuntimeError(f"Expected both inputs to be Half, Float or Double tensors but got "
                           f"BFloat16 and BFloat16")
    return x, y


cdef Tensor _complex_out(Tensor x, Tensor y, object out, str name):
    """The complex result tensor for two broadcast real operands (out= checked)."""
    cdef Iter it
    _broadcast_shape(&it, x, y, None)
    cdef DType res = x._dtype.to_complex()
    cdef Tensor o
    if out is None:
        return _empty_list([it.shape[d] for d in range(it.ndim)], res, x._storage.device)
    o = <Tensor?>out
    if o._dtype is not res:
        raise RuntimeError(f"Expected object of scalar type {_SCALAR_NAMES[res._code]} but got scalar type "
                           f"{_SCALAR_NAMES[o._dtype._code]} for argument 'out'")
    _check_out(o, &it, False, x, y, None)
    return o


cdef extern from *:
    """
    /* o[2i] = x[i], o[2i + 1] = y[i]: one pass over the complex result */
    #define CT_INTERLEAVE(S, T) \
    __attribute__((optimize("O3"))) static void ct_interleave_##S(const T *x, const T *y, T *o, \
                                                                  Py_ssize_t n) { \
        for (Py_ssize_t i = 0; i < n; i++) { o[2 * i] = x[i]; o[2 * i + 1] = y[i]; } \
    }
    CT_INTERLEAVE(f, float)
    CT_INTERLEAVE(d, double)
    """
    void ct_interleave_f(const float *x, const float *y, float *o, Py_ssize_t n) nogil
    void ct_interleave_d(const double *x, const double *y, double *o, Py_ssize_t n) nogil


def _complex_fn(real, imag, *, out=None):
    x, y = _two_float_args(real, imag, "complex")
    cdef Tensor r = _complex_out(x, y, out, "complex")
    cdef Tensor a = <Tensor>x, b = <Tensor>y
    if (out is None and a._storage.device < 0 and b._storage.device < 0 and _same_shape(a, b)
            and _is_contiguous(a)
            and _is_contiguous(b)):
        # dense parts of one shape on the CPU: both written in one pass
        if a._dtype._code == CT_FLOAT32:
            with nogil:
                ct_interleave_f(<const float *>a._data, <const float *>b._data, <float *>r._data,
                                a._numel)
        else:
            with nogil:
                ct_interleave_d(<const double *>a._data, <const double *>b._data,
                                <double *>r._data, a._numel)
        record("complex", r, (x, y))
        return r
    _copy_into(_part_raw(r, 0), x, False)
    _copy_into(_part_raw(r, 1), y, False)
    if out is not None:
        _bump(r)
    else:
        record("complex", r, (x, y))
    return r


def polar(abs, angle, *, out=None):
    x, y = _two_float_args(abs, angle, "polar")
    cdef Tensor r = _complex_out(x, y, out, "polar")
    old = _grad_mode()
    _set_grad_mode(0)
    try:
        _FUNCTIONS["mul"](x, _FUNCTIONS["cos"](y), out=_part_raw(r, 0))
        _FUNCTIONS["mul"](x, _FUNCTIONS["sin"](y), out=_part_raw(r, 1))
    finally:
        _set_grad_mode(old)
    if out is not None:
        _bump(r)
    else:
        record("polar", r, (x, y))
    return r


# ------------------------------------------------------------ conj, angle, sgn

cdef extern from "elementwise_codes.h":
    enum:
        CT_SGN, CT_CONJ, CT_ANGLE


cdef Tensor _conj_raw(Tensor t):
    """A new tensor holding the conjugate of complex t (no autograd): one pass
    of the elementwise conj loop."""
    return <Tensor>_unary(CT_CONJ, U_SAME, t, None, "conj")


cdef object _conj_impl(object input, str name, str op):
    cdef Tensor t = _tensor_arg(input, name)
    if not t._dtype.is_complex:
        return t
    cdef Tensor r = _conj_raw(t)
    record(op, r, (t,))
    return r


def conj(input):
    """The complex conjugate. ctorch has no lazy conjugate bit: this is a copy."""
    return _conj_impl(input, "conj", "conj")


def conj_physical(input, *, out=None):
    if out is not None:
        r = _conj_impl(input, "conj_physical", "conj_physical")
        return _to_out(out, r, "conj_physical", OUT_SAME, "Found dtype {out} but expected {res}")
    return _conj_impl(input, "conj_physical", "conj_physical")


def _conj_physical_(self):
    cdef Tensor t = _tensor_arg(self, "conj_physical_")
    if not t._dtype.is_complex:
        return t
    _check_inplace(t)
    if _inplace_needs_graph(t, None):
        return _inplace_with_graph(t, conj_physical)
    old = _grad_mode()
    _set_grad_mode(0)
    try:
        im = _part_raw(t, 1)
        _FUNCTIONS["neg"](im, out=im)
    finally:
        _set_grad_mode(old)
    _bump(t)
    return t


_add_method("conj_physical_", _conj_physical_)


cdef object _cj(object x):
    """conj for gradients: tensors (recorded when they need grad), python scalars."""
    if isinstance(x, Tensor):
        return conj(x) if (<Tensor>x)._dtype.is_complex else x
    if isinstance(x, _builtins_complex):
        return x.conjugate()
    return x


def resolve_conj(input):
    return _tensor_arg(input, "resolve_conj")


def resolve_neg(input):
    return _tensor_arg(input, "resolve_neg")


def is_conj(input):
    _tensor_arg(input, "is_conj")
    return False


def is_neg(input):
    _tensor_arg(input, "is_neg")
    return False


def sgn(input, *, out=None):
    """z / |z| (0 where z is 0); sign for real tensors."""
    cdef Tensor t = _tensor_arg(input, "sgn")
    if not t._dtype.is_complex:
        return _FUNCTIONS["sign"](t, out=out)
    if not (_grad_mode() and t.requires_grad):
        # one pass of the elementwise kernel
        if out is not None and (<Tensor?>out)._dtype is not t._dtype:
            raise RuntimeError(f"Found dtype {_SCALAR_NAMES[(<Tensor>out)._dtype._code]} but "
                               f"expected {_SCALAR_NAMES[t._dtype._code]}")
        return _unary(CT_SGN, U_SAME, t, out, "sgn")
    a = _FUNCTIONS["abs"](t)
    z = a == 0
    r = where(z, zeros((), dtype=t._dtype, device=t.device), t / where(z, ones((), dtype=a.dtype, device=t.device), a))
    return _to_out(out, r, "sgn", OUT_SAME, "Found dtype {out} but expected {res}")


def angle(input, *, out=None):
    cdef Tensor t = _tensor_arg(input, "angle")
    cdef Tensor x, r
    old = _grad_mode()
    _set_grad_mode(0)
    try:
        if t._dtype.is_complex:
            r = _FUNCTIONS["atan2"](_part_raw(t, 1), _part_raw(t, 0))
        else:
            r = _unary(CT_ANGLE, U_FLOAT, t, None, "angle")
    finally:
        _set_grad_mode(old)
    if out is not None:
        return _to_out(out, r, "angle", OUT_CAST)
    if t._dtype.is_complex or t._dtype.is_floating_point:
        record("angle", r, (t,))
    return r


for _name in ("conj", "conj_physical", "resolve_conj", "resolve_neg", "is_conj", "is_neg", "sgn", "angle"):
    _add_method(_name, globals()[_name])
del _name
