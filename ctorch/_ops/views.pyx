# cython: language_level=3
"""Views: tensors that share their source's storage with other sizes,
strides or offset -- view/reshape, t/transpose/permute, squeeze/unsqueeze,
expand, select/narrow/diagonal/unfold/as_strided, flatten/unflatten -- and
their history: each records the derivatives entry of its kind (a view that
moves elements, such as select or diagonal, records where they sit, and its
gradient is put back there)."""

from ctorch._core.dtype cimport *
from ctorch._core.tensor cimport *
from ctorch._core.iterator cimport *
from ctorch._ops.elementwise cimport _cast
from ctorch._ops.elementwise import _clone_contig
from ctorch.autograd._node cimport record, _grad_mode, _geometry

import builtins as _builtins
_brange = _builtins.range


def _t_T(Tensor self):
    cdef int d
    return self.permute(*[self._ndim - 1 - d for d in range(self._ndim)])


def _t_mT(Tensor self):
    return self.transpose(-2, -1)


def _t___reversed__(Tensor self):
    return iter(list(self)[::-1])


def _t_view(Tensor self, *shape):
    if len(shape) == 1 and isinstance(shape[0], DType):
        return _view_dtype(self, <DType>shape[0])
    return _view(self, _infer_size(_parse_size(shape, "view"), self._numel), "view")


def _t_view_as(Tensor self, other):
    return self.view((<Tensor?>other).size())


def _t_reshape(Tensor self, *shape):
    return _reshape(self, _infer_size(_parse_size(shape, "reshape"), self._numel))


def _t_reshape_as(Tensor self, other):
    return self.reshape((<Tensor?>other).size())


def _t_t(Tensor self):
    if self._ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self._ndim}D")
    cdef Tensor r
    if self._ndim < 2:
        r = _alias_view(self)
        record("t", r, (self,))
        return r
    return _transpose(self, 0, 1, "TBackward0")


def _t_t_(Tensor self):
    cdef Tensor r = self.t()
    self._set_layout(r._ndim, r._shape, r._stride)
    return self


def _t_transpose(Tensor self, dim0, dim1):
    return _transpose(self, _wrap_dim(dim0, self._ndim), _wrap_dim(dim1, self._ndim))



def _t_transpose_(Tensor self, dim0, dim1):
    cdef Tensor r = self.transpose(dim0, dim1)
    self._set_layout(r._ndim, r._shape, r._stride)
    return self


def _t_permute(Tensor self, *dims):
    return _permute(self, _parse_dims(dims, "permute"))


cdef object _dim_or_axis(object dim, object axis, str name):
    """dim, or numpy's spelling `axis=` of it (PyTorch accepts both, not together)."""
    if axis is None:
        return dim
    if dim is not None:
        raise TypeError(f"{name}() received an invalid combination of arguments - "
                        f"got both 'dim' and its alias 'axis'")
    return axis


def _t_squeeze(Tensor self, dim=None, *, axis=None):
    return _squeeze(self, _dim_or_axis(dim, axis, "squeeze"))


def _t_squeeze_(Tensor self, dim=None):
    cdef Tensor r = _squeeze(self, dim)
    self._set_layout(r._ndim, r._shape, r._stride)
    return self


def _t_unsqueeze(Tensor self, dim=None, *, axis=None):
    dim = _dim_or_axis(dim, axis, "unsqueeze")
    if dim is None:
        raise TypeError('unsqueeze() missing 1 required positional arguments: "dim"')
    return _unsqueeze(self, _wrap_dim(dim, self._ndim + 1))


def _t_unsqueeze_(Tensor self, dim):
    cdef Tensor r = self.unsqueeze(dim)
    self._set_layout(r._ndim, r._shape, r._stride)
    return self


def _t_expand(Tensor self, *sizes):
    return _expand(self, _parse_size(sizes, "expand", True))


def _t_expand_as(Tensor self, other):
    return _expand(self, list((<Tensor?>other).size()))


def _t_flatten(Tensor self, start_dim=0, end_dim=-1):
    return flatten(self, start_dim, end_dim)


def _t_unflatten(Tensor self, dim, sizes):
    return unflatten(self, dim, sizes)


def _t_ravel(Tensor self):
    return _reshape(self, [self._numel])


def _t_narrow(Tensor self, dim=None, start=None, length=None, *, axis=None):
    return narrow(self, dim, start, length, axis=axis)


def _t_select(Tensor self, dim=None, index=None, *, axis=None):
    cdef int d = _wrap_dim(_dim_alias(dim, axis, "select", ...), self._ndim)
    return _select(self, d, _check_index(_required(index, "select", "index"), self._shape[d], d))


def _t_diagonal(Tensor self, offset=0, dim1=0, dim2=1):
    return diagonal(self, offset, dim1, dim2)


def _t_as_strided(Tensor self, size, stride, storage_offset=None):
    return as_strided(self, size, stride, storage_offset)


def _t_unfold(Tensor self, dimension, size, step):
    cdef int d = _wrap_dim(dimension, self._ndim)
    cdef Py_ssize_t n = self._shape[d] if self._ndim else 1
    if size < 0 or size > n:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {n} but size is {size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    shape = list(self.size())
    strides = list(self.stride())
    if self._ndim:
        shape[d] = (n - size) // step + 1
        strides[d] = strides[d] * step
    r = _make_view(self, self._offset, shape + [size], strides + [self._stride[d] if self._ndim else 1])
    if _grad_mode() and _needs_grad(self):
        record("unfold", r, (self,), (_geometry(self, r),))
    return r


cdef object _tensor_iter(object self):
    cdef Tensor t = <Tensor>self
    if t._ndim == 0:
        raise TypeError("iteration over a 0-d tensor")
    cdef Py_ssize_t i
    return iter([_select(t, 0, i) for i in range(t._shape[0])])


cdef Tensor _view(Tensor t, list shape, str fname):
    """view(): a new shape over the same elements, when the strides allow it."""
    cdef Py_ssize_t sh[CT_MAXDIM]
    cdef Py_ssize_t st[CT_MAXDIM]
    cdef int n = len(shape), d
    for d in range(n):
        sh[d] = shape[d]
    if not _compute_view_strides(t, n, sh, st):
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at least one "
                           "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
    cdef Tensor r = _view_raw(t, t._offset, n, sh, st)
    record("view", r, (t,))
    return r


cdef Tensor _reshape(Tensor t, list shape):
    cdef Py_ssize_t sh[CT_MAXDIM]
    cdef Py_ssize_t st[CT_MAXDIM]
    cdef int n = len(shape), d
    for d in range(n):
        sh[d] = shape[d]
    cdef Tensor r
    if _compute_view_strides(t, n, sh, st):
        r = _view_raw(t, t._offset, n, sh, st)
        record("view", r, (t,))
        return r
    return _view(_clone_contig(t), shape, "reshape")


cdef Tensor _transpose(Tensor t, int a, int b, str name="TransposeBackward0"):
    cdef Py_ssize_t sh[CT_MAXDIM]
    cdef Py_ssize_t st[CT_MAXDIM]
    cdef int d
    for d in range(t._ndim):
        sh[d] = t._shape[d]
        st[d] = t._stride[d]
    sh[a], sh[b] = sh[b], sh[a]
    st[a], st[b] = st[b], st[a]
    cdef Tensor r = _view_raw(t, t._offset, t._ndim, sh, st)
    if name == "TBackward0":
        record("t", r, (t,))
    else:
        record("transpose", r, (t,), (a, b))
    return r


cdef Tensor _permute(Tensor t, list dims):
    cdef Py_ssize_t sh[CT_MAXDIM]
    cdef Py_ssize_t st[CT_MAXDIM]
    cdef int n = t._ndim, d, k
    if len(dims) != n:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = {n} is not equal to len(dims) = {len(dims)}")
    seen = set()
    for d in range(n):
        k = _wrap_dim(dims[d], n)
        if k in seen:
            raise RuntimeError("permute(): duplicate dims are not allowed.")
        seen.add(k)
        sh[d] = t._shape[k]
        st[d] = t._stride[k]
    cdef Tensor r = _view_raw(t, t._offset, n, sh, st)
    if _grad_mode() and _needs_grad(t):
        inv = [0] * n
        for d in _brange(n):
            inv[_wrap_dim(dims[d], n)] = d
        record("permute", r, (t,), (tuple(inv),))
    return r


cdef Tensor _squeeze(Tensor t, object dim):
    cdef list shape = [], stride = []
    cdef int d
    dims = None
    if dim is not None:
        dims = {_wrap_dim(x, t._ndim) for x in (dim if isinstance(dim, (tuple, list)) else (dim,))}
    for d in range(t._ndim):
        if t._shape[d] == 1 and (dims is None or d in dims):
            continue
        shape.append(t._shape[d])
        stride.append(t._stride[d])
    cdef Tensor r = _make_view(t, t._offset, shape, stride)
    record("squeeze" if dim is None else "squeeze.dim", r, (t,))
    return r


cdef Tensor _unsqueeze(Tensor t, int dim):
    shape = list(t.size())
    stride = list(t.stride())
    new_stride = stride[dim] * shape[dim] if dim < t._ndim else 1
    shape.insert(dim, 1)
    stride.insert(dim, new_stride)
    cdef Tensor r = _make_view(t, t._offset, shape, stride)
    record("unsqueeze", r, (t,))
    return r


cdef Tensor _expand(Tensor t, list sizes):
    cdef int n = len(sizes), d, k
    if n < t._ndim:
        raise RuntimeError(f"expand(torch.{_TYPE_NAMES[t._dtype._code]}{{{_fmt_shape(t.size())}}}, size={_fmt_shape(sizes)}): the number of sizes provided ({n}) must be greater or equal to the number of dimensions in the tensor ({t._ndim})")
    shape = [0] * n
    stride = [0] * n
    for d in range(n - 1, -1, -1):
        k = d - (n - t._ndim)
        if k >= 0:
            if sizes[d] == -1:
                shape[d] = t._shape[k]
                stride[d] = t._stride[k]
            elif t._shape[k] == sizes[d]:
                shape[d] = sizes[d]
                stride[d] = t._stride[k]
            elif t._shape[k] == 1:
                if sizes[d] < 0:
                    raise RuntimeError(f"The expanded size of the tensor ({sizes[d]}) isn't allowed in a leading, non-existing dimension {d}")
                shape[d] = sizes[d]
                stride[d] = 0
            else:
                raise RuntimeError(f"The expanded size of the tensor ({sizes[d]}) must match the existing size ({t._shape[k]}) at non-singleton dimension {d}.  Target sizes: {_fmt_shape(sizes)}.  Tensor sizes: {_fmt_shape(t.size())}")
        else:
            if sizes[d] < 0:
                raise RuntimeError(f"The expanded size of the tensor ({sizes[d]}) isn't allowed in a leading, non-existing dimension {d}")
            shape[d] = sizes[d]
            stride[d] = 0
    cdef Tensor r = _make_view(t, t._offset, shape, stride)
    record("expand", r, (t,))
    return r


cdef Tensor _select(Tensor t, int dim, Py_ssize_t i):
    shape = list(t.size())
    stride = list(t.stride())
    cdef Py_ssize_t off = t._offset + i * t._stride[dim]
    del shape[dim]
    del stride[dim]
    cdef Tensor r = _make_view(t, off, shape, stride)
    if _grad_mode() and _needs_grad(t):
        record("select", r, (t,), (_geometry(t, r),))
    return r


cdef Tensor _view_dtype(Tensor t, DType dt):
    if dt._code == CT_BFLOAT16 and t._storage.device >= 0:
        raise RuntimeError("torch.bfloat16 tensors are not supported on CUDA devices; "
                           "keep them on the CPU or convert them to float16 or float32")
    if dt.itemsize != t._dtype.itemsize:
        raise RuntimeError("view(dtype) with a different element size is not supported")
    cdef Tensor r = _alias_view(t)
    r._dtype = dt
    return r


# ------------------------------------------------------------ module-level views

def flatten(input, start_dim=0, end_dim=-1):
    cdef Tensor t = <Tensor?>input
    if t._ndim == 0:
        return _reshape(t, [1])
    cdef int s = _wrap_dim(start_dim, t._ndim), e = _wrap_dim(end_dim, t._ndim)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return t
    shape = list(t.size())
    n = 1
    for d in range(s, e + 1):
        n *= shape[d]
    return _reshape(t, shape[:s] + [n] + shape[e + 1:])


def unflatten(input, dim, sizes):
    cdef Tensor t = <Tensor?>input
    cdef int d = _wrap_dim(dim, t._ndim)
    sizes = list(sizes)
    if len(sizes) == 0:
        raise RuntimeError("unflatten: sizes must be non-empty")
    shape = list(t.size())
    sizes = _infer_size(sizes, shape[d])
    return _view(t, shape[:d] + sizes + shape[d + 1:], "unflatten")


def narrow(input, dim=None, start=None, length=None, *, axis=None):
    dim = _dim_alias(dim, axis, "narrow", ...)
    start = _required(start, "narrow", "start")
    length = _required(length, "narrow", "length")
    cdef Tensor t = <Tensor?>input
    if t._ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    cdef int d = _wrap_dim(dim, t._ndim)
    cdef Py_ssize_t n = t._shape[d]
    if isinstance(start, Tensor):
        start = start.item()
    if start < -n or start > n:
        raise IndexError(f"start out of range (expected to be in range of [{-n}, {n}], but got {start})")
    if start < 0:
        start += n
    if length < 0 or start + length > n:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    shape = list(t.size())
    shape[d] = length
    r = _make_view(t, t._offset + start * t._stride[d], shape, list(t.stride()))
    if _grad_mode() and _needs_grad(t):
        record("narrow", r, (t,), (_geometry(t, r),))
    return r


def select(input, dim=None, index=None, *, axis=None):
    return (<Tensor?>input).select(dim, index, axis=axis)


def diagonal(input, offset=0, dim1=0, dim2=1):
    cdef Tensor t = <Tensor?>input
    cdef int a = _wrap_dim(dim1, t._ndim), b = _wrap_dim(dim2, t._ndim)
    if a == b:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    cdef Py_ssize_t off = t._offset, n
    if offset >= 0:
        n = max(min(t._shape[a], t._shape[b] - offset), 0)
        if n > 0:
            off += offset * t._stride[b]
    else:
        n = max(min(t._shape[a] + offset, t._shape[b]), 0)
        if n > 0:
            off -= offset * t._stride[a]
    shape = [t._shape[d] for d in range(t._ndim) if d != a and d != b] + [n]
    stride = [t._stride[d] for d in range(t._ndim) if d != a and d != b] + [t._stride[a] + t._stride[b]]
    r = _make_view(t, off, shape, stride)
    if _grad_mode() and _needs_grad(t):
        record("diagonal", r, (t,), (_geometry(t, r),))
    return r


def as_strided(input, size, stride, storage_offset=None):
    cdef Tensor t = <Tensor?>input
    size = list(size)
    stride = list(stride)
    if len(size) != len(stride):
        raise RuntimeError(f"mismatch in length of strides and shape")
    cdef Py_ssize_t off = t._offset if storage_offset is None else storage_offset
    if off < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {off}")
    extent = off + 1
    for s, st in zip(size, stride):
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {size}")
        if st < 0:
            raise RuntimeError("as_strided: Negative strides are not supported at the moment, got strides: " + _fmt_shape(stride))
        if s == 0:
            extent = 0
            break
        extent += (s - 1) * st
    if _needs_grad(t) and _grad_mode() and not (_is_contiguous(t) and t._offset == 0):
        raise RuntimeError("as_strided on a non-contiguous tensor that requires grad is not supported by "
                           "ctorch's autograd; call .contiguous() first")
    if extent * t._dtype.itemsize > t._storage.nbytes:
        raise RuntimeError(f"setStorage: sizes {_fmt_shape(size)}, strides {_fmt_shape(stride)}, storage offset {off}, and itemsize {t._dtype.itemsize} requiring a storage size of {extent * t._dtype.itemsize} are out of bounds for storage of size {t._storage.nbytes}")
    r = _make_view(t, off, size, stride)
    if _grad_mode() and _needs_grad(t):
        record("as_strided", r, (t,), (_geometry(t, r),))
    return r


def t(input):
    return (<Tensor?>input).t()


def transpose(input, dim0, dim1):
    return (<Tensor?>input).transpose(dim0, dim1)


swapaxes = transpose
swapdims = transpose


def permute(input, dims):
    return (<Tensor?>input).permute(*dims)


def squeeze(input, dim=None, *, axis=None):
    return _squeeze(<Tensor?>input, _dim_or_axis(dim, axis, "squeeze"))


def unsqueeze(input, dim=None, *, axis=None):
    return _t_unsqueeze(<Tensor?>input, dim, axis=axis)


def reshape(input, shape):
    if isinstance(shape, int):      # (the method takes sizes one by one; the function a tuple)
        raise TypeError(f"reshape(): argument 'shape' (position 2) must be tuple of ints, not {type(shape).__name__}")
    return (<Tensor?>input).reshape(shape)


def ravel(input):
    return (<Tensor?>input).ravel()


def numel(input):
    return (<Tensor?>input)._numel


cdef _install_methods():
    _add_method("T", property(_t_T))
    _add_method("mT", property(_t_mT))
    _add_method("__reversed__", _t___reversed__)
    _add_method("view", _t_view)
    _add_method("view_as", _t_view_as)
    _add_method("reshape", _t_reshape)
    _add_method("reshape_as", _t_reshape_as)
    _add_method("t", _t_t)
    _add_method("t_", _t_t_)
    _add_method("transpose", _t_transpose)
    _add_method("transpose_", _t_transpose_)
    _add_method("permute", _t_permute)
    _add_method("squeeze", _t_squeeze)
    _add_method("squeeze_", _t_squeeze_)
    _add_method("unsqueeze", _t_unsqueeze)
    _add_method("unsqueeze_", _t_unsqueeze_)
    _add_method("expand", _t_expand)
    _add_method("expand_as", _t_expand_as)
    _add_method("flatten", _t_flatten)
    _add_method("unflatten", _t_unflatten)
    _add_method("ravel", _t_ravel)
    _add_method("narrow", _t_narrow)
    _add_method("select", _t_select)
    _add_method("diagonal", _t_diagonal)
    _add_method("as_strided", _t_as_strided)
    _add_method("unfold", _t_unfold)
    _add_method("swapaxes", _t_transpose)
    _add_method("swapdims", _t_transpose)


_install_methods()
_slots.iter = _tensor_iter
