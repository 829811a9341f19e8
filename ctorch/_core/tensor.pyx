# cython: language_level=3
"""The Tensor type: a Storage, an offset, sizes and strides in elements, a
dtype, and the autograd fields; the methods that only read them (metadata,
item/tolist, the numpy bridge); and the layout helpers every op module uses
to make tensors and views.

Tensor's operators are slots of the type, so they are defined here; each one
forwards through `_slots`, a table of C functions that the op modules fill
when they are imported (elementwise for arithmetic and comparisons, index for
[] ...): the type does not depend on the ops, and an operator costs one
indirect call. The other methods that run ops are installed by the module
that owns them (`_add_method`), from its op list.
"""

from cpython.mem cimport PyMem_Malloc, PyMem_Free
from cpython.object cimport PyObject, PyTypeObject
from cpython.buffer cimport PyObject_GetBuffer, PyBuffer_Release, PyBUF_STRIDES
from libc.stdint cimport int64_t, uint8_t, int8_t, int16_t, int32_t

from ctorch._core.dtype cimport (
    DType, _DT, K_INT, CT_BOOL, CT_UINT8, CT_INT8, CT_INT16, CT_INT32, CT_INT64, CT_FLOAT16,
    CT_FLOAT32, CT_FLOAT64, CT_COMPLEX64, CT_COMPLEX128, CT_BFLOAT16, CT_MAXDIM,
)
from ctorch._core.storage cimport Storage, _alloc_storage, _borrow_storage
from ctorch._core.dispatch cimport _device_object
from ctorch._core.backend cimport ct_half
from ctorch._core.storage import _InferenceStorage, _is_inference_mode

cdef extern from "Python.h":
    void PyType_Modified(PyTypeObject *)

cdef extern from *:
    """
    /* grad mode is per thread, like PyTorch's; kept here, below autograd, so
     * that out= writes (_core/iterator) can tell whether autograd is on */
    static __thread int ct_grad_mode = 1;
    static int ct_get_grad_mode(void) { return ct_grad_mode; }
    static void ct_put_grad_mode(int on) { ct_grad_mode = on; }
    """
    int ct_get_grad_mode() noexcept nogil
    void ct_put_grad_mode(int on) noexcept nogil


cdef int _core_grad_mode() noexcept nogil:
    return ct_get_grad_mode()


cdef void _core_set_grad_mode(int on) noexcept nogil:
    ct_put_grad_mode(on)


cdef extern from *:
    """
    /* a * b into *r; nonzero when it does not fit (GCC and Clang builtin) */
    static inline int ct_mul_overflow(Py_ssize_t a, Py_ssize_t b, Py_ssize_t *r) {
        return __builtin_mul_overflow(a, b, r);
    }
    """
    bint ct_mul_overflow(Py_ssize_t a, Py_ssize_t b, Py_ssize_t *r) noexcept nogil



cdef object _tuple_new(object cls, object items):
    """tuple.__new__(cls, items) without the method call: Size's own
    constructor checks its items, which Tensor.size() and the Size
    operations (whose items are ints already) need not do."""
    cdef tuple args = (items,)
    return (<PyTypeObject *>tuple).tp_new(<type>cls, <PyObject *>args, NULL)


class Size(tuple):
    """torch.Size: a tuple of ints that prints as `torch.Size([5, 3])`;
    slicing, concatenating and repeating one give a Size."""

    def __new__(cls, sizes=()):
        r = tuple.__new__(cls, sizes)
        for s in r:
            if type(s) is not int:
                break
        else:
            return r                # the common case: all ints already
        items = []
        for i, s in enumerate(r):
            if isinstance(s, int):
                items.append(s)
            elif isinstance(s, Tensor) and (<Tensor>s)._numel == 1 and (<Tensor>s)._dtype._kind <= K_INT:
                items.append(int(s.item()))
            elif hasattr(s, "__index__") and not isinstance(s, bool):
                items.append(s.__index__())
            else:
                raise TypeError(f"torch.Size() takes an iterable of 'int' (item {i} is '{type(s).__name__}')")
        return tuple.__new__(cls, items)

    def __repr__(self):
        return "torch.Size([" + ", ".join(str(int(s)) for s in self) + "])"

    __str__ = __repr__

    def numel(self):
        n = 1
        for s in self:
            n *= s
        return n

    # a Size's own items are ints: only what comes from elsewhere is checked
    def __getitem__(self, key):
        r = tuple.__getitem__(self, key)
        return _tuple_new(Size, r) if type(key) is slice else r

    def __add__(self, other):
        if type(other) is Size:
            return _tuple_new(Size, tuple.__add__(self, other))
        if not isinstance(other, tuple):
            raise TypeError(f"can only concatenate tuple (not {type(other).__name__}) to torch.Size")
        for x in other:
            if type(x) is not int:
                return Size(tuple.__add__(self, other))     # checks (and converts) them
        return _tuple_new(Size, tuple.__add__(self, other))

    def __radd__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple.__add__(other, self))

    def __mul__(self, n):
        r = tuple.__mul__(self, n)
        return r if r is NotImplemented else _tuple_new(Size, r)

    __rmul__ = __mul__

    def __reduce__(self):
        return (Size, (tuple(self),))


cdef class Tensor:
    """A multi-dimensional array of one dtype, on one device, that autograd
    can follow (torch.Tensor)."""

    def __init__(self, *args, **kwargs):
        _slots.init(self, args, kwargs)

    # ------------------------------------------------------------ operators

    def __add__(self, other):
        return _slots.add(self, other)

    def __radd__(self, other):
        return _slots.add(other, self) if _is_operand(other) else NotImplemented

    def __sub__(self, other):
        return _slots.sub(self, other)

    def __rsub__(self, other):
        return _slots.sub(other, self) if _is_operand(other) else NotImplemented

    def __mul__(self, other):
        return _slots.mul(self, other)

    def __rmul__(self, other):
        return _slots.mul(other, self) if _is_operand(other) else NotImplemented

    def __truediv__(self, other):
        return _slots.truediv(self, other)

    def __rtruediv__(self, other):
        return _slots.truediv(other, self) if _is_operand(other) else NotImplemented

    def __floordiv__(self, other):
        return _slots.floordiv(self, other)

    def __rfloordiv__(self, other):
        return _slots.floordiv(other, self) if _is_operand(other) else NotImplemented

    def __mod__(self, other):
        return _slots.mod(self, other)

    def __rmod__(self, other):
        return _slots.mod(other, self) if _is_operand(other) else NotImplemented

    def __pow__(self, other, mod):
        return _slots.pow(self, other)

    def __rpow__(self, other, mod):
        return _slots.pow(other, self) if _is_operand(other) else NotImplemented

    def __matmul__(self, other):
        return _slots.matmul(self, other)

    def __rmatmul__(self, other):
        return _slots.matmul(other, self)

    def __and__(self, other):
        return _slots.and_(self, other)

    def __rand__(self, other):
        return _slots.and_(other, self) if _is_operand(other) else NotImplemented

    def __or__(self, other):
        return _slots.or_(self, other)

    def __ror__(self, other):
        return _slots.or_(other, self) if _is_operand(other) else NotImplemented

    def __xor__(self, other):
        return _slots.xor(self, other)

    def __rxor__(self, other):
        return _slots.xor(other, self) if _is_operand(other) else NotImplemented

    def __lshift__(self, other):
        return _slots.lshift(self, other)

    def __rlshift__(self, other):
        return _slots.lshift(other, self) if _is_operand(other) else NotImplemented

    def __rshift__(self, other):
        return _slots.rshift(self, other)

    def __rrshift__(self, other):
        return _slots.rshift(other, self) if _is_operand(other) else NotImplemented

    def __eq__(self, other):
        return _slots.eq(self, other) if _is_operand(other) else False

    def __ne__(self, other):
        return _slots.ne(self, other) if _is_operand(other) else True

    def __lt__(self, other):
        return _slots.lt(self, other)

    def __le__(self, other):
        return _slots.le(self, other)

    def __gt__(self, other):
        return _slots.gt(self, other)

    def __ge__(self, other):
        return _slots.ge(self, other)

    def __neg__(self):
        return _slots.neg(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return _slots.abs(self)

    def __invert__(self):
        return _slots.invert(self)

    def __iadd__(self, other):
        return _slots.inplace(self, other, "add")

    def __isub__(self, other):
        return _slots.inplace(self, other, "sub")

    def __imul__(self, other):
        return _slots.inplace(self, other, "mul")

    def __itruediv__(self, other):
        return _slots.inplace(self, other, "div")

    def __ifloordiv__(self, other):
        return _slots.inplace(self, other, "floor_divide")

    def __imod__(self, other):
        return _slots.inplace(self, other, "remainder")

    def __ipow__(self, other):
        return _slots.inplace(self, other, "pow")

    def __iand__(self, other):
        return _slots.inplace(self, other, "bitwise_and")

    def __ior__(self, other):
        return _slots.inplace(self, other, "bitwise_or")

    def __ixor__(self, other):
        return _slots.inplace(self, other, "bitwise_xor")

    def __ilshift__(self, other):
        return _slots.inplace(self, other, "bitwise_left_shift")

    def __irshift__(self, other):
        return _slots.inplace(self, other, "bitwise_right_shift")

    def __getitem__(self, index):
        return _slots.getitem(self, index)

    def __setitem__(self, index, value):
        _slots.setitem(self, index, value)

    def __iter__(self):
        return _slots.iter(self)

    def __contains__(self, element):
        return _slots.contains(self, element) != 0

    def __repr__(self):
        return _slots.repr(self)

    def __dealloc__(self):
        if self._shape != NULL and self._shape != self._small:
            PyMem_Free(self._shape)

    cdef void _take(self, Tensor src):
        self._set_layout(src._ndim, src._shape, src._stride)
        self._storage = src._storage
        self._offset = src._offset
        self._dtype = src._dtype
        self._data = src._data

    cdef int _set_layout(self, int ndim, const Py_ssize_t *shape, const Py_ssize_t *stride) except -1:
        cdef int d
        if self._shape != NULL and self._shape != self._small:
            PyMem_Free(self._shape)
            self._shape = NULL
        if ndim > CT_MAXDIM:
            raise RuntimeError(f"tensors with more than {CT_MAXDIM} dimensions are not supported (got {ndim})")
        if ndim <= SMALL:
            self._shape = self._small
        else:
            self._shape = <Py_ssize_t *>PyMem_Malloc(2 * ndim * sizeof(Py_ssize_t))
            if self._shape == NULL:
                raise MemoryError()
        self._stride = self._shape + ndim
        self._ndim = ndim
        self._numel = 1
        cdef bint overflow = False, empty = False
        for d in range(ndim):
            self._shape[d] = shape[d]
            empty = empty or shape[d] == 0
            overflow = ct_mul_overflow(self._numel, shape[d], &self._numel) or overflow
        if empty:
            self._numel = 0
        elif overflow:
            raise RuntimeError("numel: integer multiplication overflow")
        if stride != NULL:
            for d in range(ndim):
                self._stride[d] = stride[d]
        else:
            _contiguous_strides(ndim, shape, self._stride)
        return 0

    # ---------------------------------------------------------- metadata

    @property
    def dtype(self):
        return self._dtype

    @property
    def shape(self):
        return self.size()

    def size(self, dim=None):
        cdef int d
        if dim is None:
            return _tuple_new(Size, [self._shape[d] for d in range(self._ndim)])
        return self._shape[_wrap_dim(dim, self._ndim)]

    def stride(self, dim=None):
        cdef int d
        if dim is None:
            return tuple([self._stride[d] for d in range(self._ndim)])
        return self._stride[_wrap_dim(dim, self._ndim)]

    def dim(self):
        return self._ndim

    def ndimension(self):
        return self._ndim

    @property
    def ndim(self):
        return self._ndim

    def numel(self):
        return self._numel

    def nelement(self):
        return self._numel

    def element_size(self):
        return self._dtype.itemsize

    @property
    def itemsize(self):
        return self._dtype.itemsize

    @property
    def nbytes(self):
        return self._numel * self._dtype.itemsize

    def storage_offset(self):
        return self._offset

    def data_ptr(self):
        return <size_t>self._data

    def untyped_storage(self):
        return self._storage

    @property
    def device(self):
        return _device_object(self._storage.device)

    @property
    def is_cuda(self):
        return self._storage.device >= 0

    @property
    def __cuda_array_interface__(self):
        """CUDA tensors share their memory with CuPy, Numba and PyTorch (version 2
        of the interface, as PyTorch gives it: strides None when C-contiguous)."""
        if self._storage.device < 0:
            raise AttributeError(f"Can't get __cuda_array_interface__ on non-CUDA tensor type: "
                                 f"{self.type()} If CUDA data is required use tensor.cuda() to copy "
                                 f"tensor to device memory.")
        if self._requires_grad:
            raise RuntimeError("Can't get __cuda_array_interface__ on Variable that requires grad. "
                               "If gradients aren't required, use var.detach() to get Variable that "
                               "doesn't require grad.")
        import numpy
        cdef Py_ssize_t isz = self._dtype.itemsize
        cdef int d
        typestr = "<V2" if self._dtype._code == CT_BFLOAT16 else numpy.dtype(self._dtype._numpy_name).str
        shape = tuple([self._shape[d] for d in range(self._ndim)])
        strides = None if _is_contiguous(self) else tuple([self._stride[d] * isz for d in range(self._ndim)])
        ptr = <size_t>self._data if self._numel > 0 else 0
        return {"typestr": typestr, "shape": shape, "strides": strides, "data": (ptr, False),
                "version": 2}

    @property
    def is_cpu(self):
        return self._storage.device < 0

    @property
    def layout(self):
        return strided

    @property
    def _base(self):
        return self._base

    @property
    def _version(self):
        return self._storage.version

    def get_device(self):
        return self._storage.device

    def is_inference(self):
        """True for a tensor on memory allocated in inference mode."""
        return type(self._storage) is _InferenceStorage

    def is_floating_point(self):
        return self._dtype.is_floating_point

    def is_complex(self):
        return self._dtype.is_complex

    def is_contiguous(self, memory_format=None):
        cdef int rank = _format_rank(memory_format)
        return _is_channels_last(self, rank) if rank else _is_contiguous(self)

    def is_leaf_(self):
        return self._grad_fn is None

    @property
    def is_leaf(self):
        return self._grad_fn is None

    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        self.requires_grad_(bool(value))

    def requires_grad_(self, requires_grad=True):
        if self._grad_fn is not None and not requires_grad:
            raise RuntimeError("you can only change requires_grad flags of leaf variables. If you want to use "
                               "a computed variable in a subgraph that doesn't require differentiation use "
                               "var_no_grad = var.detach().")
        if requires_grad and not (self._dtype.is_floating_point or self._dtype.is_complex):
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        if requires_grad and type(self._storage) is _InferenceStorage and not _is_inference_mode():
            raise RuntimeError("Setting requires_grad=True on inference tensor outside InferenceMode "
                               "is not allowed.")
        self._requires_grad = requires_grad
        return self

    @property
    def grad(self):
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type {type(value).__name__}")
            if (<Tensor>value)._dtype is not self._dtype:
                raise RuntimeError("assigned grad has data of a different type")
            if not _same_shape(<Tensor>value, self):
                raise RuntimeError("assigned grad has data of a different size")
        self._grad = value

    @property
    def grad_fn(self):
        return self._grad_fn

    @property
    def data(self):
        # same memory, but a version counter of its own: changes made through
        # .data are invisible to autograd's in-place checks (unlike detach())
        cdef Storage st = _borrow_storage(self._storage.data, self._storage.nbytes, self._storage,
                                          self._storage)
        return _make_tensor(st, self._offset, self._ndim, self._shape, self._stride, self._dtype)

    @data.setter
    def data(self, value):
        cdef Tensor v = <Tensor?>value
        self._take(v)

    def detach(self):
        cdef Tensor r = _alias(self)
        return r

    def detach_(self):
        if self._base is not None and _needs_grad(self._base):
            raise RuntimeError("Can't detach views in-place. Use detach() instead.")
        self._grad_fn = None
        self._requires_grad = False
        return self


    @property
    def output_nr(self):
        return self._output_nr


    def item(self):
        if self._numel != 1:
            raise RuntimeError(f"a Tensor with {self._numel} elements cannot be converted to Scalar")
        if self._storage.device >= 0:
            return self.cpu().item()
        return _read_scalar(self._data, self._dtype._code)

    def tolist(self):
        if self._storage.device >= 0:
            return self.cpu().tolist()
        if self._numel >= 256 and self._dtype._code != CT_BFLOAT16:
            # numpy's conversion of the shared memory (the same Python values,
            # built in C: ours an element at a time ran at 0.87x PyTorch's speed)
            return _to_numpy(self).tolist()
        return _tolist(self._data, self._ndim, self._shape, self._stride, self._dtype)

    def __float__(self):
        return float(self._scalar_value("float"))

    def __int__(self):
        return int(self._scalar_value("int"))

    def __complex__(self):
        return complex(self._scalar_value("complex"))

    def __index__(self):
        if self._dtype._kind > K_INT or self._numel != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __bool__(self):
        if self._numel != 1:
            raise RuntimeError(f"Boolean value of Tensor with {'more than one value' if self._numel > 1 else 'no values'} is ambiguous")
        return bool(self.item())

    cdef object _scalar_value(self, str what):
        if self._numel != 1:
            raise ValueError(f"only one element tensors can be converted to Python scalars")
        v = self.item()
        if what != "complex" and self._dtype.is_complex:
            # a complex value converts only when its imaginary part is zero
            if v.imag != 0:
                raise RuntimeError("value cannot be converted to type "
                                   f"{'double' if what == 'float' else 'int64_t'} without overflow")
            v = v.real
        return v

    def __len__(self):
        if self._ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._shape[0]


    def __hash__(self):
        return id(self)


    cdef int _check_cpu(self, str what) except -1:
        if self._storage.device >= 0:
            raise NotImplementedError(f"{what}() on a CUDA tensor needs the CUDA backend")
        return 0

    def numpy(self, *, force=False):
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        if self._storage.device >= 0:
            raise TypeError("can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first.")
        return _to_numpy(self)

    def __array__(self, dtype=None, copy=None):
        # np.asarray(t) shares t's memory (copy=None); np.array(t) copies
        # (numpy passes copy=True); copy=False refuses to convert the dtype
        arr = self.numpy()
        if dtype is not None:
            converted = arr.astype(dtype, copy=False)
            if converted is not arr:
                if copy is False:
                    raise ValueError("Unable to avoid copy while creating an array as requested.")
                return converted
        return arr.copy() if copy else arr

    __array_priority__ = 1000


    def __format__(self, spec):
        if self._ndim == 0 and spec:
            return format(self.item(), spec)
        return object.__format__(self, spec) if spec else repr(self)

    def __dlpack__(self, *, stream=None, max_version=None, dl_device=None, copy=None):
        from ctorch._core import dlpack
        return dlpack.to_dlpack(self, stream, max_version, dl_device, copy)

    def __dlpack_device__(self):
        from ctorch._core import dlpack
        return dlpack.device_of(self)

    # ------------------------------------------------------ views and shape


class _Layout:
    def __repr__(self):
        return "torch.strided"


strided = _Layout()

def _tensor_over(Storage st, DType dt, Py_ssize_t offset, size, stride):
    """A tensor on storage `st` (Tensor.set_, the storage classes)."""
    cdef Py_ssize_t sh[CT_MAXDIM]
    cdef Py_ssize_t sd[CT_MAXDIM]
    cdef int d, n = len(size)
    if n > CT_MAXDIM:
        raise RuntimeError(f"tensors with more than {CT_MAXDIM} dimensions are not supported (got {n})")
    for d in range(n):
        sh[d] = size[d]
        sd[d] = stride[d]
    return _make_tensor(st, offset, n, sh, sd, dt)


def _storage_of(Tensor t):
    return t._storage


def _set_to(Tensor self, Tensor src):
    """Tensor.set_: self takes src's storage, offset, sizes and strides."""
    self._take(src)
    _bump(self)
    return self


def _bump_version(Tensor t):
    """For writers outside ctorch's kernels (pocketfft writing into out=)."""
    _bump(t)


# ------------------------------------------------------------------ helpers


cdef void _contiguous_strides(int ndim, const Py_ssize_t *shape, Py_ssize_t *out) noexcept:
    cdef Py_ssize_t acc = 1
    cdef int d
    for d in range(ndim - 1, -1, -1):
        out[d] = acc
        acc *= shape[d] if shape[d] > 1 else 1


cdef int _wrap_dim(object dim, int ndim) except -1:
    cdef Py_ssize_t n = ndim if ndim > 0 else 1
    cdef Py_ssize_t d
    try:
        d = dim
    except TypeError:
        raise TypeError(f"dim must be an int, not {type(dim).__name__}")
    except OverflowError:
        raise ValueError("Overflow when unpacking long long")
    if d < -n or d >= n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {d})")
    return d + n if d < 0 else d


cpdef object _dim_alias(object dim, object axis, str name, object default=None):
    """dim, or numpy's spelling `axis=` of it, which PyTorch's argument parser
    takes for any op's dim (not both); `default` where neither is given
    (Ellipsis: the op requires a dim). An op whose dim PyTorch requires
    takes dim=None, so that axis= can stand for it."""
    if axis is None:
        if dim is not None:
            return dim
        if default is Ellipsis:
            raise TypeError(f'{name}() missing 1 required positional arguments: "dim"')
        return default
    if dim is not None and not (isinstance(dim, (tuple, list)) and len(dim) == 0):
        raise TypeError(f"{name}() received an invalid combination of arguments - "
                        f"got both 'dim' and its alias 'axis'")
    return axis


cpdef object _required(object value, str name, str arg):
    """value, of an argument PyTorch requires that follows a dim made
    optional for axis= (None: not given)"""
    if value is None:
        raise TypeError(f'{name}() missing 1 required positional arguments: "{arg}"')
    return value


cdef object _int_of_tensor(object v):
    """a one-element integer tensor as its int, as PyTorch's argument parser
    takes it for an int; anything else as it is"""
    if isinstance(v, Tensor) and (<Tensor>v)._dtype._kind == K_INT and (<Tensor>v)._numel == 1:
        return v.item()
    return v


cdef Py_ssize_t _check_index(object index, Py_ssize_t size, int dim) except? -1:
    cdef Py_ssize_t i
    try:
        i = index
    except TypeError:
        raise TypeError(f"index must be an int, not {type(index).__name__}")
    if i < -size or i >= size:
        raise IndexError(f"index {i} is out of bounds for dimension {dim} with size {size}")
    return i + size if i < 0 else i


cdef list _parse_size(tuple args, str fname, bint allow_neg=False):
    """Sizes given as varargs or as one sequence; ints only; negatives raise."""
    cdef object seq = args
    if len(args) == 1 and not isinstance(args[0], int):
        seq = args[0]
        if isinstance(seq, Tensor):
            # (a one-element integer tensor is the one size)
            seq = _int_of_tensor(seq)
            if isinstance(seq, Tensor):
                raise TypeError(f"{fname}(): argument 'size' (position 1) must be tuple of ints, not Tensor")
            seq = [seq]
        if not isinstance(seq, (tuple, list)):
            raise TypeError(f"{fname}(): argument 'size' (position 1) must be tuple of ints, but found element of type {type(seq).__name__} at pos 0")
    cdef list out = []
    cdef Py_ssize_t pos = 0
    for s in seq:
        if isinstance(s, bool) or not hasattr(s, "__index__"):
            raise TypeError(f"{fname}(): argument 'size' (position 1) must be tuple of ints, but found element of type {type(s).__name__} at pos {pos}")
        out.append(s.__index__())
        pos += 1
    if not allow_neg:
        for s in out:
            if s < -1 or (s == -1 and fname not in ("view", "reshape")):
                raise RuntimeError(f"Trying to create tensor with negative dimension {s}: {out}")
    if len(out) > CT_MAXDIM:
        raise RuntimeError(f"tensors with more than {CT_MAXDIM} dimensions are not supported (got {len(out)})")
    return out


cdef list _parse_dims(tuple args, str fname):
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    return [int(a) for a in args]


cdef list _infer_size(list shape, Py_ssize_t numel):
    """Replaces one -1 in a view/reshape shape by the size that fits numel."""
    known = 1                   # a python int: the product of huge sizes must not wrap
    cdef int infer = -1
    cdef int i
    for i in range(len(shape)):
        if shape[i] == -1:
            if infer >= 0:
                raise RuntimeError("only one dimension can be inferred")
            infer = i
        elif shape[i] < 0:
            raise RuntimeError(f"invalid shape dimension {shape[i]}")
        else:
            known *= shape[i]
    if infer >= 0:
        if known == 0 or numel % known != 0:
            raise RuntimeError(f"shape '{_fmt_shape(shape)}' is invalid for input of size {numel}")
        shape[infer] = numel // known
    elif known != numel:
        raise RuntimeError(f"shape '{_fmt_shape(shape)}' is invalid for input of size {numel}")
    return shape


cdef str _fmt_shape(object shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


cdef Tensor _make_tensor(Storage st, Py_ssize_t offset, int ndim, const Py_ssize_t *shape,
                         const Py_ssize_t *stride, DType dt):
    cdef Tensor t = Tensor.__new__(Tensor)
    t._set_layout(ndim, shape, stride)
    t._storage = st
    t._offset = offset
    t._dtype = dt
    t._data = st.data + offset * dt.itemsize
    return t


cdef Tensor _empty(int ndim, const Py_ssize_t *shape, DType dt, int device=-1):
    cdef Py_ssize_t n = 1, nbytes
    cdef int d
    cdef bint overflow = False, empty = False
    for d in range(ndim):
        if shape[d] < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {shape[d]}")
        empty = empty or shape[d] == 0
        overflow = ct_mul_overflow(n, shape[d], &n) or overflow
    if empty:
        n = 0
    if overflow and not empty or ct_mul_overflow(n, dt.itemsize, &nbytes):
        raise RuntimeError(f"Storage size calculation overflowed with sizes="
                           f"[{', '.join(str(shape[d]) for d in range(ndim))}]")
    if device >= 0 and dt._code == CT_BFLOAT16:
        # the device kernels have no bfloat16 forms: refused before any memory is taken
        raise RuntimeError("torch.bfloat16 tensors are not supported on CUDA devices; "
                           "keep them on the CPU or convert them to float16 or float32")
    return _make_tensor(_alloc_storage(nbytes, device), 0, ndim, shape, NULL, dt)


cdef Tensor _empty_like(Tensor t, DType dt):
    return _empty(t._ndim, t._shape, dt if dt is not None else t._dtype, t._storage.device)


cdef Tensor _empty_preserve(Tensor t, DType dt):
    """An uninitialised tensor of t's shape (in dt, or t's dtype) laid out as
    PyTorch's preserve_format lays it: with t's strides where t is a
    permutation of a dense tensor (a transpose), else contiguous."""
    cdef int order[CT_MAXDIM]
    if t._ndim < 2 or _is_contiguous(t) or not _perm_dense(t, order):
        return _empty_like(t, dt)
    cdef Py_ssize_t n = t._numel
    cdef Tensor flat = _empty(1, &n, dt if dt is not None else t._dtype, t._storage.device)
    return _make_tensor(flat._storage, 0, t._ndim, t._shape, t._stride, flat._dtype)


cdef Tensor _empty_format(Tensor t, DType dt, object memory_format):
    """_empty_preserve (PyTorch's preserve_format, the default of clone and
    the *_like functions), contiguous for torch.contiguous_format, channels
    last for torch.channels_last / channels_last_3d."""
    cdef int rank = _format_rank(memory_format)
    if rank:
        return _empty_channels_last(t, dt, rank)
    if getattr(memory_format, "_name", None) == "contiguous_format":
        return _empty_like(t, dt)
    return _empty_preserve(t, dt)


cdef int _format_rank(object memory_format) except -1:
    """4 for torch.channels_last, 5 for torch.channels_last_3d, 0 for
    contiguous_format, preserve_format and None."""
    if memory_format is None:
        return 0
    name = getattr(memory_format, "_name", None)
    if name == "channels_last":
        return 4
    if name == "channels_last_3d":
        return 5
    if name == "contiguous_format" or name == "preserve_format":
        return 0
    raise TypeError(f"memory_format must be torch.memory_format, not {type(memory_format).__name__}")


# the dims of a channels-last layout from the densest: C, then the spatial
# dims from the last, then N
cdef int _CL_ORDER4[4]
cdef int _CL_ORDER5[5]
_CL_ORDER4[:] = [1, 3, 2, 0]
_CL_ORDER5[:] = [1, 4, 3, 2, 0]


cdef bint _is_channels_last(Tensor t, int rank) noexcept:
    """Whether t of that rank is dense in the channels-last order (PyTorch's
    test: dims of one element skipped)."""
    if t._ndim != rank:
        return False
    cdef const int *order = &_CL_ORDER4[0] if rank == 4 else &_CL_ORDER5[0]
    cdef Py_ssize_t expected = 1
    cdef int k, d
    for k in range(rank):
        d = order[k]
        if t._shape[d] != 1:
            if t._stride[d] != expected:
                return False
            expected *= t._shape[d]
    return True


cdef Tensor _empty_channels_last(Tensor t, DType dt, int rank):
    """An uninitialised tensor of t's shape (in dt, or t's dtype) with
    channels-last strides (rank 4 or 5, as t's must be)."""
    if t._ndim != rank:
        raise RuntimeError(f"required rank {rank} tensor to use channels_last{'_3d' if rank == 5 else ''} format")
    cdef Py_ssize_t st[5]
    cdef const int *order = &_CL_ORDER4[0] if rank == 4 else &_CL_ORDER5[0]
    cdef Py_ssize_t n = 1
    cdef int k
    for k in range(rank):
        st[order[k]] = n
        n *= t._shape[order[k]]
    cdef Tensor flat = _empty(1, &n, dt if dt is not None else t._dtype, t._storage.device)
    return _make_tensor(flat._storage, 0, t._ndim, t._shape, st, flat._dtype)


cdef Tensor _empty_list(list shape, DType dt, int device=-1):
    cdef Py_ssize_t buf[CT_MAXDIM]
    cdef int d, n = len(shape)
    if n > CT_MAXDIM:
        raise RuntimeError(f"tensors with more than {CT_MAXDIM} dimensions are not supported (got {n})")
    for d in range(n):
        buf[d] = shape[d]
    return _empty(n, buf, dt, device)


cdef Tensor _make_view(Tensor src, Py_ssize_t offset, list shape, list stride):
    cdef Py_ssize_t sh[CT_MAXDIM]
    cdef Py_ssize_t st[CT_MAXDIM]
    cdef int d, n = len(shape)
    if n > CT_MAXDIM:
        raise RuntimeError(f"tensors with more than {CT_MAXDIM} dimensions are not supported (got {n})")
    for d in range(n):
        sh[d] = shape[d]
        st[d] = stride[d]
    return _view_raw(src, offset, n, sh, st)


cdef Tensor _view_raw(Tensor src, Py_ssize_t offset, int ndim, const Py_ssize_t *shape,
                      const Py_ssize_t *stride):
    """A tensor over src's storage; shares its version counter and records _base."""
    cdef Tensor t = _make_tensor(src._storage, offset, ndim, shape, stride, src._dtype)
    t._base = src if src._base is None else src._base
    t._attr_version = src._storage.version
    return t


cdef Tensor _alias(Tensor src):
    """detach(): same storage and version counter, no autograd history."""
    return _make_tensor(src._storage, src._offset, src._ndim, src._shape, src._stride, src._dtype)


cdef Tensor _alias_view(Tensor src):
    return _view_raw(src, src._offset, src._ndim, src._shape, src._stride)


cdef bint _compute_view_strides(Tensor t, int n, const Py_ssize_t *sh, Py_ssize_t *st) noexcept:
    """Strides for viewing t with shape sh, or False when the layout cannot be
    expressed as a view: each run of old dims that merges must be contiguous
    with itself."""
    cdef int od = t._ndim - 1, nd = n - 1
    cdef Py_ssize_t chunk_base_stride, tensor_numel, view_numel
    if t._numel == 0:
        _contiguous_strides(n, sh, st)
        return True
    if t._ndim == 0:
        for nd in range(n):
            st[nd] = 1
        return True
    # walk old dims from the back, grouping those that are contiguous with each other
    view_numel = 1
    tensor_numel = 1
    chunk_base_stride = t._stride[od]
    nd = n - 1
    cdef int tensor_d = t._ndim - 1
    while tensor_d >= 0:
        tensor_numel *= t._shape[tensor_d]
        if tensor_d == 0 or (t._shape[tensor_d - 1] != 1 and
                             t._stride[tensor_d - 1] != tensor_numel * chunk_base_stride):
            while nd >= 0 and (view_numel < tensor_numel or sh[nd] == 1):
                st[nd] = view_numel * chunk_base_stride
                view_numel *= sh[nd]
                nd -= 1
            if view_numel != tensor_numel:
                return False
            if tensor_d > 0:
                chunk_base_stride = t._stride[tensor_d - 1]
                tensor_numel = 1
                view_numel = 1
        tensor_d -= 1
    return nd == -1



# --------------------------------------------------------- reading elements

cdef extern from *:
    """
    static double ct_bf16_value(const char *p) {
        uint16_t h; uint32_t u; float f;
        memcpy(&h, p, 2);
        u = (uint32_t)h << 16;
        memcpy(&f, &u, 4);
        return (double)f;
    }
    """
    double ct_bf16_value(const char *p) nogil


cdef object _read_scalar(const char *p, int code):
    if code == CT_BOOL:
        return (<const uint8_t *>p)[0] != 0
    if code == CT_UINT8:
        return (<const uint8_t *>p)[0]
    if code == CT_INT8:
        return (<const int8_t *>p)[0]
    if code == CT_INT16:
        return (<const int16_t *>p)[0]
    if code == CT_INT32:
        return (<const int32_t *>p)[0]
    if code == CT_INT64:
        return (<const int64_t *>p)[0]
    if code == CT_FLOAT16:
        return <double>(<const ct_half *>p)[0]
    if code == CT_BFLOAT16:
        return ct_bf16_value(p)
    if code == CT_FLOAT32:
        return <double>(<const float *>p)[0]
    if code == CT_FLOAT64:
        return (<const double *>p)[0]
    if code == CT_COMPLEX64:
        return complex((<const float *>p)[0], (<const float *>p)[1])
    return complex((<const double *>p)[0], (<const double *>p)[1])


cdef object _tolist(const char *p, int ndim, const Py_ssize_t *shape, const Py_ssize_t *stride, DType dt):
    cdef Py_ssize_t i, step
    if ndim == 0:
        return _read_scalar(p, dt._code)
    step = stride[0] * dt.itemsize
    if ndim == 1:
        return [_read_scalar(p + i * step, dt._code) for i in range(shape[0])]
    return [_tolist(p + i * step, ndim - 1, shape + 1, stride + 1, dt) for i in range(shape[0])]


# ------------------------------------------------------------ numpy bridge

_np_mod = None

cdef object _np():
    global _np_mod
    if _np_mod is None:
        import numpy
        _np_mod = numpy
    return _np_mod


cdef list _NP_DTYPES = None           # dtype code -> numpy's dtype object


cdef object _to_numpy(Tensor t):
    global _NP_DTYPES
    np = _np()
    cdef Py_ssize_t isz = t._dtype.itemsize
    cdef int d
    if t._dtype._code == CT_BFLOAT16:
        raise TypeError("Got unsupported ScalarType BFloat16")
    if _NP_DTYPES is None:
        _NP_DTYPES = [np.dtype(dt._numpy_name or "float32") for dt in _DT]
    npdt = _NP_DTYPES[t._dtype._code]
    shape = tuple([t._shape[d] for d in range(t._ndim)])
    # an empty view may sit past its storage's end (x[1] of a (2, 0) tensor): it reads nothing
    cdef Py_ssize_t off = t._offset * isz if t._numel else 0
    if _is_contiguous(t):
        # numpy derives a dense layout's strides itself (cheaper than passing them)
        return np.ndarray(shape, dtype=npdt, buffer=t._storage, offset=off)
    strides = tuple([t._stride[d] * isz for d in range(t._ndim)])
    return np.ndarray(shape, dtype=npdt, buffer=t._storage, offset=off, strides=strides)


_NP_KIND = {"b1": CT_BOOL, "u1": CT_UINT8, "i1": CT_INT8, "i2": CT_INT16, "i4": CT_INT32,
                      "i8": CT_INT64, "f2": CT_FLOAT16, "f4": CT_FLOAT32, "f8": CT_FLOAT64,
                      "c8": CT_COMPLEX64, "c16": CT_COMPLEX128}


cdef dict _NP_NUM = None              # numpy's type number -> dtype code


cdef dict _np_codes():
    """numpy's type numbers of the dtypes ctorch has (a dict lookup instead of
    reading dtype.str); int64 has two numbers ('l' and 'q' on 64-bit Linux)."""
    global _NP_NUM
    if _NP_NUM is None:
        np = _np()
        table = {}
        for ch in np.typecodes["All"]:
            d = np.dtype(ch)
            code = _NP_KIND.get(d.str[1:])
            if code is not None and d.isnative:
                table[d.num] = code
        _NP_NUM = table
    return _NP_NUM


cdef dict _NP_BY_DTYPE = None        # numpy's dtype object -> dtype code (native ones)


def from_numpy(ndarray):
    global _NP_BY_DTYPE
    np = _np()
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    arr = ndarray
    if _NP_BY_DTYPE is None:
        _NP_BY_DTYPE = {np.dtype(ch): code for ch, code in
                        ((ch, _np_codes().get(np.dtype(ch).num)) for ch in np.typecodes["All"])
                        if code is not None and np.dtype(ch).isnative}
    npdt = arr.dtype
    code = _NP_BY_DTYPE.get(npdt)
    if code is None:
        # an equal dtype that hashes apart (rare), or one ctorch lacks
        if not npdt.isnative:
            raise ValueError("given numpy array has byte order different from the native byte order. "
                             "Conversion between byte orders is currently not supported.")
        code = _np_codes().get(npdt.num)
    if code is None:
        raise TypeError(f"can't convert np.ndarray of type {arr.dtype.type.__module__}.{arr.dtype.type.__name__}. The only supported types are: float64, float32, float16, complex64, complex128, int64, int32, int16, int8, uint8, and bool.")
    cdef DType dt = _DT[<int>code]
    cdef Py_ssize_t isz = dt.itemsize, extent = 1, bst
    cdef Py_ssize_t sh[CT_MAXDIM]
    cdef Py_ssize_t st[CT_MAXDIM]
    cdef int d, n
    cdef char *ptr
    # the shape, strides and address of element 0 through the buffer
    # protocol (a fraction of the cost of the array's attributes)
    cdef Py_buffer view
    PyObject_GetBuffer(arr, &view, PyBUF_STRIDES)
    try:
        n = view.ndim
        if n > CT_MAXDIM:
            raise RuntimeError(f"tensors with more than {CT_MAXDIM} dimensions are not supported (got {n})")
        for d in range(n):
            bst = view.strides[d]
            if bst < 0:
                raise ValueError("At least one stride in the given numpy array is negative, and tensors with negative strides are not currently supported. (You can probably work around this by making a copy of your array  with array.copy().) ")
            if bst % isz:
                raise ValueError("given numpy array strides not a multiple of the element byte size. Copy the numpy array to reallocate the memory.")
            sh[d] = view.shape[d]
            st[d] = bst // isz
            if sh[d] == 0:
                extent = 0
            elif extent:
                extent += (sh[d] - 1) * st[d]
        ptr = <char *>view.buf
    finally:
        PyBuffer_Release(&view)
    cdef Storage st_ = _borrow_storage(ptr, extent * isz, arr)
    return _make_tensor(st_, 0, n, sh, st, dt)


cdef Tensor _make_view_plain(Tensor src, Py_ssize_t offset, list shape, list stride):
    cdef Py_ssize_t sh[CT_MAXDIM]
    cdef Py_ssize_t st[CT_MAXDIM]
    cdef int d, n = len(shape)
    if n > CT_MAXDIM:
        raise RuntimeError(f"tensors with more than {CT_MAXDIM} dimensions are not supported (got {n})")
    for d in range(n):
        sh[d] = shape[d]
        st[d] = stride[d]
    return _make_tensor(src._storage, offset, n, sh, st, src._dtype)


def is_floating_point(input):
    return (<Tensor?>input)._dtype.is_floating_point


def is_complex(input):
    return (<Tensor?>input)._dtype.is_complex



# ----------------------------------------------------------------- slots

cdef object _unfilled(object a, object b):
    raise RuntimeError("a Tensor operator was used before the module that implements it was imported")


cdef object _unfilled1(object a):
    return _unfilled(a, None)


cdef object _unfilled_inplace(object a, object b, str name):
    return _unfilled(a, b)


cdef int _unfilled_set(object a, object b, object c) except -1:
    _unfilled(a, b)


cdef int _unfilled_init(object a, tuple b, dict c) except -1:
    _unfilled(a, b)


cdef int _unfilled_contains(object a, object b) except -1:
    _unfilled(a, b)


_slots.add = _slots.sub = _slots.mul = _slots.truediv = _slots.floordiv = _slots.mod = _unfilled
_slots.pow = _slots.matmul = _slots.and_ = _slots.or_ = _slots.xor = _unfilled
_slots.lshift = _slots.rshift = _slots.eq = _slots.ne = _slots.lt = _slots.le = _unfilled
_slots.gt = _slots.ge = _slots.getitem = _unfilled
_slots.neg = _slots.abs = _slots.invert = _slots.iter = _slots.repr = _unfilled1
_slots.inplace = _unfilled_inplace
_slots.setitem = _unfilled_set
_slots.init = _unfilled_init
_slots.contains = _unfilled_contains


cdef int _add_method(str name, object fn) except -1:
    """Installs Tensor.<name> (a function, or a property): how op modules give
    Tensor the methods of their op lists."""
    (<dict>(<PyTypeObject *>Tensor).tp_dict)[name] = fn
    PyType_Modified(<PyTypeObject *>Tensor)
    return 0


cdef bint _is_operand_slow(object x) except -1:
    return (isinstance(x, (Tensor, bool, int, float, complex)) or hasattr(x, "__array__"))


def _install_method(str name, fn):
    """Python modules over the ops (linalg, fft) give Tensor methods this way."""
    _add_method(name, fn)
