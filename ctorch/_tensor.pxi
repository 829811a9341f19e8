# The Tensor type: storage + offset + sizes/strides (in elements) + dtype,
# the view machinery, conversions and the numpy bridge.

from cpython.mem cimport PyMem_Malloc, PyMem_Free
from cpython.object cimport PyTypeObject
from libc.string cimport memcpy, memset
from libc.stdint cimport int64_t, uint8_t, int8_t, int16_t, int32_t, uint16_t

cdef extern from "Python.h":
    void PyType_Modified(PyTypeObject *)

DEF SMALL = 8        # tensors up to this many dims keep sizes/strides inline


class Size(tuple):
    """torch.Size: a tuple of ints that prints as `torch.Size([5, 3])`."""

    def __repr__(self):
        return "torch.Size([" + ", ".join(str(int(s)) for s in self) + "])"

    __str__ = __repr__

    def numel(self):
        cdef Py_ssize_t n = 1
        for s in self:
            n *= s
        return n

    def __getitem__(self, key):
        r = tuple.__getitem__(self, key)
        return Size(r) if isinstance(key, slice) else r

    def __add__(self, other):
        return Size(tuple.__add__(self, tuple(other)))

    def __reduce__(self):
        return (Size, (tuple(self),))


cdef class device:
    """torch.device("cpu"), torch.device("cuda"), torch.device("cuda", 0), torch.device("cuda:1")."""
    cdef readonly str type
    cdef readonly object index

    def __init__(self, type, index=None):
        if isinstance(type, device):
            self.type = (<device>type).type
            self.index = (<device>type).index
            return
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got ({type.__class__.__name__})")
        t = type
        if ":" in t:
            if index is not None:
                raise RuntimeError(f"type (string) must not include an index because index was passed explicitly: {t}")
            t, _, idx = t.partition(":")
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}'")
            index = int(idx)
        if t not in ("cpu", "cuda", "meta"):
            raise RuntimeError(f"Expected one of cpu, cuda, meta device type at start of device string: {type}")
        if index is not None and (not isinstance(index, int) or index < 0):
            raise RuntimeError(f"Device index must not be negative")
        self.type = t
        self.index = index

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        if not isinstance(other, device):
            return NotImplemented
        return self.type == (<device>other).type and self.index == (<device>other).index

    def __hash__(self):
        return hash((self.type, self.index))

    def __reduce__(self):
        return (device, (self.type, self.index))


cdef device _CPU = device("cpu")


cdef int _device_code(object d) except -2:
    """-1 for the CPU, the CUDA ordinal otherwise; CUDA requests fail here
    until a CUDA backend is available."""
    if d is None:
        return -1
    if isinstance(d, int) and not isinstance(d, bool):
        dev = device("cuda", d)
    else:
        dev = d if isinstance(d, device) else device(d)
    if (<device>dev).type == "cpu":
        return -1
    if (<device>dev).type == "cuda":
        _require_cuda()
        return 0 if (<device>dev).index is None else (<device>dev).index
    raise RuntimeError(f"unsupported device {dev}")


cdef _require_cuda():
    from ctorch import cuda as _cuda
    if not _cuda.is_available():
        raise RuntimeError(
            "Torch not compiled with CUDA enabled" if not _cuda._pycuda_present()
            else "Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU "
                 "and installed a driver from http://www.nvidia.com/Download/index.aspx")
    raise NotImplementedError("CUDA tensors are not implemented yet in ctorch")


# torch's names of scalar types, used in error messages
cdef list _SCALAR_NAMES = ["Bool", "Byte", "Char", "Short", "Int", "Long", "Half", "Float",
                           "Double", "ComplexFloat", "ComplexDouble"]


cdef class Tensor:
    cdef Storage _storage
    cdef char *_data
    cdef Py_ssize_t _offset
    cdef int _ndim
    cdef Py_ssize_t _numel
    cdef Py_ssize_t *_shape
    cdef Py_ssize_t *_stride
    cdef Py_ssize_t _small[2 * SMALL]
    cdef DType _dtype
    cdef object _base
    # autograd state
    cdef public bint _requires_grad
    cdef public object _grad
    cdef public object _grad_fn
    cdef public int _output_nr
    cdef public bint _retains_grad
    cdef public object _backward_hooks
    cdef object _grad_acc_ref
    cdef object __weakref__

    def __dealloc__(self):
        if self._shape != NULL and self._shape != self._small:
            PyMem_Free(self._shape)

    def __init__(self, *args, device=None, dtype=None):
        # torch.Tensor(2, 3) -> uninitialised float tensor; torch.Tensor([1, 2]) -> data
        cdef Tensor src
        if len(args) == 1 and not isinstance(args[0], int) and not isinstance(args[0], Size):
            src = tensor(args[0], dtype=_default_dtype)
        else:
            src = empty(*args, dtype=_default_dtype)
        self._take(src)

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
        for d in range(ndim):
            self._shape[d] = shape[d]
            self._numel *= shape[d]
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
            return Size([self._shape[d] for d in range(self._ndim)])
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
        if self._storage.device < 0:
            return _CPU
        return device("cuda", self._storage.device)

    @property
    def is_cuda(self):
        return self._storage.device >= 0

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

    def is_floating_point(self):
        return self._dtype.is_floating_point

    def is_complex(self):
        return self._dtype.is_complex

    def is_contiguous(self, memory_format=None):
        return _is_contiguous(self)

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
        cdef Storage st = _borrow_storage(self._storage.data, self._storage.nbytes, self._storage)
        st.device = self._storage.device
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

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        _backward(self, gradient, retain_graph, create_graph, inputs)

    def register_hook(self, hook):
        """hook(grad) runs when the gradient of this tensor is computed; its
        return value, if not None, replaces that gradient."""
        if not _needs_grad(self):
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        cdef Node node
        cdef int nr = self._output_nr if self._grad_fn is not None else 0
        node = self._grad_fn if self._grad_fn is not None else _grad_acc(self)
        if self._grad_fn is None:
            # a leaf's AccumulateGrad lives only while a graph uses it: the hooks
            # stay on the tensor and every AccumulateGrad made for it shares them
            if self._backward_hooks is None:
                self._backward_hooks = node._pre_hooks if node._pre_hooks is not None else []
            node._pre_hooks = self._backward_hooks

        def prehook(grads):
            g = grads[nr]
            if g is None:
                return None
            r = hook(g)
            if r is None:
                return None
            out = list(grads)
            out[nr] = r
            return tuple(out)
        return node.register_prehook(prehook)

    def retain_grad(self):
        if self._grad_fn is None:
            if not self._requires_grad:
                raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
            return
        cdef Node node = self._grad_fn
        if node._retain is None:
            node._retain = {}
        node._retain[self._output_nr] = _weakref(self)

    @property
    def retains_grad(self):
        if self._grad_fn is None:
            return False
        cdef Node node = self._grad_fn
        return node._retain is not None and self._output_nr in node._retain

    @property
    def output_nr(self):
        return self._output_nr

    @property
    def T(self):
        cdef int d
        return self.permute(*[self._ndim - 1 - d for d in range(self._ndim)])

    @property
    def mT(self):
        return self.transpose(-2, -1)

    # ------------------------------------------------------- conversions

    def item(self):
        if self._numel != 1:
            raise RuntimeError(f"a Tensor with {self._numel} elements cannot be converted to Scalar")
        self._check_cpu("item")
        return _read_scalar(self._data, self._dtype._code)

    def tolist(self):
        self._check_cpu("tolist")
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
        return self.item()

    def __len__(self):
        if self._ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._shape[0]

    def __iter__(self):
        if self._ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        cdef Py_ssize_t i
        return iter([_select(self, 0, i) for i in range(self._shape[0])])

    def __hash__(self):
        return id(self)

    def __reversed__(self):
        return iter(list(self)[::-1])

    def __contains__(self, element):
        if isinstance(element, (Tensor, int, float, bool, complex)):
            return bool((self == element).any().item())
        raise RuntimeError(f"Tensor.__contains__ only supports Tensor or scalar, but you passed in a {type(element)}.")

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
        arr = _to_numpy(self) if not self._requires_grad else _to_numpy(self.detach())
        if dtype is not None:
            arr = arr.astype(dtype, copy=False)
        return arr

    __array_priority__ = 1000

    def __reduce_ex__(self, proto):
        return (_rebuild_tensor, (self.detach().clone().numpy(), self._requires_grad))

    def __repr__(self):
        from ctorch._printing import tensor_repr
        return tensor_repr(self)

    def __format__(self, spec):
        if self._ndim == 0 and spec:
            return format(self.item(), spec)
        return object.__format__(self, spec) if spec else repr(self)

    def __dlpack__(self, stream=None):
        return _to_numpy(self).__dlpack__()

    # ------------------------------------------------------ views and shape

    def view(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], DType):
            return _view_dtype(self, <DType>shape[0])
        return _view(self, _infer_size(_parse_size(shape, "view"), self._numel), "view")

    def view_as(self, other):
        return self.view((<Tensor?>other).size())

    def reshape(self, *shape):
        return _reshape(self, _infer_size(_parse_size(shape, "reshape"), self._numel))

    def reshape_as(self, other):
        return self.reshape((<Tensor?>other).size())

    def contiguous(self, memory_format=None):
        if _is_contiguous(self):
            return self
        return clone(self)

    def clone(self, *, memory_format=None):
        return clone(self)

    def t(self):
        if self._ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self._ndim}D")
        cdef Tensor r
        if self._ndim < 2:
            r = _alias_view(self)
            _record_view_op(r, self, "TBackward0", "reshape", None)
            return r
        return _transpose(self, 0, 1, "TBackward0")

    def t_(self):
        cdef Tensor r = self.t()
        self._set_layout(r._ndim, r._shape, r._stride)
        return self

    def transpose(self, dim0, dim1):
        return _transpose(self, _wrap_dim(dim0, self._ndim), _wrap_dim(dim1, self._ndim))

    swapaxes = transpose
    swapdims = transpose

    def transpose_(self, dim0, dim1):
        cdef Tensor r = self.transpose(dim0, dim1)
        self._set_layout(r._ndim, r._shape, r._stride)
        return self

    def permute(self, *dims):
        return _permute(self, _parse_dims(dims, "permute"))

    def squeeze(self, dim=None):
        return _squeeze(self, dim)

    def squeeze_(self, dim=None):
        cdef Tensor r = _squeeze(self, dim)
        self._set_layout(r._ndim, r._shape, r._stride)
        return self

    def unsqueeze(self, dim):
        return _unsqueeze(self, _wrap_dim(dim, self._ndim + 1))

    def unsqueeze_(self, dim):
        cdef Tensor r = self.unsqueeze(dim)
        self._set_layout(r._ndim, r._shape, r._stride)
        return self

    def expand(self, *sizes):
        return _expand(self, _parse_size(sizes, "expand", True))

    def expand_as(self, other):
        return _expand(self, list((<Tensor?>other).size()))

    def flatten(self, start_dim=0, end_dim=-1):
        return flatten(self, start_dim, end_dim)

    def unflatten(self, dim, sizes):
        return unflatten(self, dim, sizes)

    def ravel(self):
        return _reshape(self, [self._numel])

    def narrow(self, dim, start, length):
        return narrow(self, dim, start, length)

    def select(self, dim, index):
        cdef int d = _wrap_dim(dim, self._ndim)
        return _select(self, d, _check_index(index, self._shape[d], d))

    def diagonal(self, offset=0, dim1=0, dim2=1):
        return diagonal(self, offset, dim1, dim2)

    def as_strided(self, size, stride, storage_offset=None):
        return as_strided(self, size, stride, storage_offset)

    def unfold(self, dimension, size, step):
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
        if _needs_grad(self):
            _record_unfold(r, self, d, size, step)
        return r

    # ------------------------------------------------------------- copying

    def copy_(self, src, non_blocking=False):
        cdef Tensor s = _as_operand_tensor(src, self._dtype)
        if _overwrite_needs_graph(self, s):
            return _overwrite_with_graph(self, s, "CopyBackwards")
        _copy_into(self, s, True)
        return self

    def fill_(self, value):
        if isinstance(value, Tensor):
            if (<Tensor>value)._ndim != 0:
                raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with {(<Tensor>value)._ndim} dimensions.")
            if _overwrite_needs_graph(self, value):
                return _overwrite_with_graph(self, value, "FillBackward1")
            value = value.item()
        if _overwrite_needs_graph(self, None):
            return _overwrite_with_graph(self, value, "FillBackward0")
        _fill(self, value)
        _bump(self)
        return self

    def zero_(self):
        if _overwrite_needs_graph(self, None):
            return _overwrite_with_graph(self, 0, "ZeroBackward0")
        _fill(self, 0)
        _bump(self)
        return self

    # ---------------------------------------------------------- dtype / device

    def to(self, *args, **kwargs):
        return _to(self, args, kwargs)

    def type(self, dtype=None, non_blocking=False):
        if dtype is None:
            return "torch." + _TYPE_NAMES[self._dtype._code]
        if isinstance(dtype, str):
            name = dtype.replace("torch.", "")
            for i, n in enumerate(_TYPE_NAMES):
                if n == name:
                    return _cast(self, _DT[i])
            raise ValueError(f"invalid type: '{dtype}'")
        return _cast(self, _as_dtype(dtype))

    def type_as(self, other):
        return _cast(self, (<Tensor?>other)._dtype)

    def cpu(self):
        return self

    def cuda(self, device=None, non_blocking=False):
        _device_code("cuda" if device is None else device)
        return self

    def float(self):
        return _cast(self, t_float32)

    def double(self):
        return _cast(self, t_float64)

    def half(self):
        return _cast(self, _DT[CT_FLOAT16])

    def long(self):
        return _cast(self, t_int64)

    def int(self):
        return _cast(self, _DT[CT_INT32])

    def short(self):
        return _cast(self, _DT[CT_INT16])

    def char(self):
        return _cast(self, _DT[CT_INT8])

    def byte(self):
        return _cast(self, t_uint8)

    def bool(self):
        return _cast(self, t_bool)

    def cfloat(self):
        return _cast(self, t_complex64)

    def cdouble(self):
        return _cast(self, t_complex128)

    # ------------------------------------------------------------ new_*

    def new_empty(self, *size, dtype=None, device=None, requires_grad=False):
        return empty(*size, dtype=self._dtype if dtype is None else dtype, device=device, requires_grad=requires_grad)

    def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
        return zeros(*size, dtype=self._dtype if dtype is None else dtype, device=device, requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
        return ones(*size, dtype=self._dtype if dtype is None else dtype, device=device, requires_grad=requires_grad)

    def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
        return full(size, fill_value, dtype=self._dtype if dtype is None else dtype, device=device, requires_grad=requires_grad)

    def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
        return tensor(data, dtype=self._dtype if dtype is None else dtype, device=device, requires_grad=requires_grad)

    # ---------------------------------------------------------- operators

    def __add__(self, other):
        return _op_add(self, other)

    def __radd__(self, other):
        return _op_add(other, self) if _is_operand(other) else NotImplemented

    def __sub__(self, other):
        return _op_sub(self, other)

    def __rsub__(self, other):
        return _op_sub(other, self) if _is_operand(other) else NotImplemented

    def __mul__(self, other):
        return _op_binary(CT_MUL, R_ARITH, self, other, "mul")

    def __rmul__(self, other):
        return _op_binary(CT_MUL, R_ARITH, other, self, "mul") if _is_operand(other) else NotImplemented

    def __truediv__(self, other):
        return _op_div(self, other)

    def __rtruediv__(self, other):
        return _op_div(other, self) if _is_operand(other) else NotImplemented

    def __floordiv__(self, other):
        return _op_binary(CT_DIV_FLOOR, R_ARITH, self, other, "floor_divide")

    def __rfloordiv__(self, other):
        return _op_binary(CT_DIV_FLOOR, R_ARITH, other, self, "floor_divide") if _is_operand(other) else NotImplemented

    def __mod__(self, other):
        return _op_binary(CT_REMAINDER, R_ARITH, self, other, "remainder")

    def __rmod__(self, other):
        return _op_binary(CT_REMAINDER, R_ARITH, other, self, "remainder") if _is_operand(other) else NotImplemented

    def __pow__(self, other, mod):
        return _op_pow(self, other)

    def __rpow__(self, other, mod):
        return _op_pow(other, self) if _is_operand(other) else NotImplemented

    def __matmul__(self, other):
        return matmul(self, other)

    def __rmatmul__(self, other):
        return matmul(other, self)

    def __and__(self, other):
        return _op_binary(CT_BITAND, R_BITS, self, other, "bitwise_and")

    def __rand__(self, other):
        return _op_binary(CT_BITAND, R_BITS, other, self, "bitwise_and") if _is_operand(other) else NotImplemented

    def __or__(self, other):
        return _op_binary(CT_BITOR, R_BITS, self, other, "bitwise_or")

    def __ror__(self, other):
        return _op_binary(CT_BITOR, R_BITS, other, self, "bitwise_or") if _is_operand(other) else NotImplemented

    def __xor__(self, other):
        return _op_binary(CT_BITXOR, R_BITS, self, other, "bitwise_xor")

    def __rxor__(self, other):
        return _op_binary(CT_BITXOR, R_BITS, other, self, "bitwise_xor") if _is_operand(other) else NotImplemented

    def __lshift__(self, other):
        return _op_binary(CT_SHL, R_BITS, self, other, "bitwise_left_shift")

    def __rlshift__(self, other):
        return _op_binary(CT_SHL, R_BITS, other, self, "bitwise_left_shift") if _is_operand(other) else NotImplemented

    def __rshift__(self, other):
        return _op_binary(CT_SHR, R_BITS, self, other, "bitwise_right_shift")

    def __rrshift__(self, other):
        return _op_binary(CT_SHR, R_BITS, other, self, "bitwise_right_shift") if _is_operand(other) else NotImplemented

    def __eq__(self, other):
        return _op_binary(CT_EQ, R_CMP, self, other, "eq") if _is_operand(other) else False

    def __ne__(self, other):
        return _op_binary(CT_NE, R_CMP, self, other, "ne") if _is_operand(other) else True

    def __lt__(self, other):
        return _op_binary(CT_LT, R_CMP, self, other, "lt")

    def __le__(self, other):
        return _op_binary(CT_LE, R_CMP, self, other, "le")

    def __gt__(self, other):
        return _op_binary(CT_GT, R_CMP, self, other, "gt")

    def __ge__(self, other):
        return _op_binary(CT_GE, R_CMP, self, other, "ge")

    def __neg__(self):
        return _unary_graded(CT_NEG, U_SAME, self, None, "neg")

    def __pos__(self):
        return self

    def __abs__(self):
        return _unary_graded(CT_ABS, U_ABS, self, None, "abs")

    def __invert__(self):
        if self._dtype._kind > K_INT:
            raise TypeError("ufunc 'invert' not supported for the input types, and the inputs could not be safely coerced")
        return _unary_graded(CT_BITNOT, U_SAME, self, None, "bitwise_not")

    def __iadd__(self, other):
        return _op_inplace(self, other, "add")

    def __isub__(self, other):
        return _op_inplace(self, other, "sub")

    def __imul__(self, other):
        return _op_inplace(self, other, "mul")

    def __itruediv__(self, other):
        return _op_inplace(self, other, "div")

    def __ifloordiv__(self, other):
        return _op_inplace(self, other, "floor_divide")

    def __imod__(self, other):
        return _op_inplace(self, other, "remainder")

    def __ipow__(self, other):
        return _op_inplace(self, other, "pow")

    def __iand__(self, other):
        return _op_inplace(self, other, "bitwise_and")

    def __ior__(self, other):
        return _op_inplace(self, other, "bitwise_or")

    def __ixor__(self, other):
        return _op_inplace(self, other, "bitwise_xor")

    def __ilshift__(self, other):
        return _op_inplace(self, other, "bitwise_left_shift")

    def __irshift__(self, other):
        return _op_inplace(self, other, "bitwise_right_shift")

    # ----------------------------------------------------------- indexing

    def __getitem__(self, index):
        return _getitem(self, index)

    def __setitem__(self, index, value):
        _setitem(self, index, value)


class _Layout:
    def __repr__(self):
        return "torch.strided"


strided = _Layout()

cdef list _TYPE_NAMES = ["BoolTensor", "ByteTensor", "CharTensor", "ShortTensor", "IntTensor",
                         "LongTensor", "HalfTensor", "FloatTensor", "DoubleTensor",
                         "ComplexFloatTensor", "ComplexDoubleTensor"]


def _rebuild_tensor(arr, requires_grad):
    t = tensor(arr)
    t.requires_grad_(requires_grad)
    return t


cdef inline void _bump(Tensor t):
    t._storage.version += 1


def _bump_version(Tensor t):
    """For writers outside ctorch's kernels (pocketfft writing into out=)."""
    _bump(t)


# ------------------------------------------------------------------ helpers

cdef void _contiguous_strides(int ndim, const Py_ssize_t *shape, Py_ssize_t *out):
    cdef Py_ssize_t acc = 1
    cdef int d
    for d in range(ndim - 1, -1, -1):
        out[d] = acc
        acc *= shape[d] if shape[d] > 1 else 1


cdef bint _is_contiguous(Tensor t):
    cdef Py_ssize_t acc = 1
    cdef int d
    for d in range(t._ndim - 1, -1, -1):
        if t._shape[d] != 1:
            if t._stride[d] != acc:
                return t._numel == 0
            acc *= t._shape[d]
    return True


cdef bint _same_shape(Tensor a, Tensor b):
    if a._ndim != b._ndim:
        return False
    cdef int d
    for d in range(a._ndim):
        if a._shape[d] != b._shape[d]:
            return False
    return True


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
            seq = seq.tolist()
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
    cdef Py_ssize_t known = 1
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


cdef Tensor _empty(int ndim, const Py_ssize_t *shape, DType dt):
    cdef Py_ssize_t n = 1
    cdef int d
    for d in range(ndim):
        if shape[d] < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {shape[d]}")
        n *= shape[d]
    return _make_tensor(_alloc_storage(n * dt.itemsize), 0, ndim, shape, NULL, dt)


cdef Tensor _empty_like(Tensor t, DType dt):
    return _empty(t._ndim, t._shape, dt if dt is not None else t._dtype)


cdef Tensor _empty_list(list shape, DType dt):
    cdef Py_ssize_t buf[CT_MAXDIM]
    cdef int d, n = len(shape)
    if n > CT_MAXDIM:
        raise RuntimeError(f"tensors with more than {CT_MAXDIM} dimensions are not supported (got {n})")
    for d in range(n):
        buf[d] = shape[d]
    return _empty(n, buf, dt)


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
    return t


cdef Tensor _alias(Tensor src):
    """detach(): same storage and version counter, no autograd history."""
    return _make_tensor(src._storage, src._offset, src._ndim, src._shape, src._stride, src._dtype)


cdef Tensor _alias_view(Tensor src):
    return _view_raw(src, src._offset, src._ndim, src._shape, src._stride)


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
    _record_view_op(r, t, "ViewBackward0", "reshape", None)
    return r


cdef bint _compute_view_strides(Tensor t, int n, const Py_ssize_t *sh, Py_ssize_t *st):
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


cdef Tensor _reshape(Tensor t, list shape):
    cdef Py_ssize_t sh[CT_MAXDIM]
    cdef Py_ssize_t st[CT_MAXDIM]
    cdef int n = len(shape), d
    for d in range(n):
        sh[d] = shape[d]
    cdef Tensor r
    if _compute_view_strides(t, n, sh, st):
        r = _view_raw(t, t._offset, n, sh, st)
        _record_view_op(r, t, "ViewBackward0", "reshape", None)
        return r
    return _view(clone(t), shape, "reshape")


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
    if _needs_grad(t):
        perm = list(builtins_range(t._ndim))
        perm[a], perm[b] = perm[b], perm[a]
        _record_view_op(r, t, name, "permute", perm)
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
    if _needs_grad(t):
        inv = [0] * n
        for d in builtins_range(n):
            inv[_wrap_dim(dims[d], n)] = d
        _record_view_op(r, t, "PermuteBackward0", "permute", inv)
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
    _record_view_op(r, t, "SqueezeBackward0" if dim is None else "SqueezeBackward1", "reshape", None)
    return r


cdef Tensor _unsqueeze(Tensor t, int dim):
    shape = list(t.size())
    stride = list(t.stride())
    new_stride = stride[dim] * shape[dim] if dim < t._ndim else 1
    shape.insert(dim, 1)
    stride.insert(dim, new_stride)
    cdef Tensor r = _make_view(t, t._offset, shape, stride)
    _record_view_op(r, t, "UnsqueezeBackward0", "reshape", None)
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
    _record_view_op(r, t, "ExpandBackward0", "expand", None)
    return r


cdef Tensor _select(Tensor t, int dim, Py_ssize_t i):
    shape = list(t.size())
    stride = list(t.stride())
    cdef Py_ssize_t off = t._offset + i * t._stride[dim]
    del shape[dim]
    del stride[dim]
    cdef Tensor r = _make_view(t, off, shape, stride)
    if _needs_grad(t):
        _record_view_op(r, t, "SelectBackward0", "replay", lambda x: _select(<Tensor>x, dim, i))
    return r


cdef Tensor _view_dtype(Tensor t, DType dt):
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


def narrow(input, dim, start, length):
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
    if _needs_grad(t):
        _record_view_op(r, t, "SliceBackward0", "replay", lambda x: narrow(x, d, start, length))
    return r


def select(input, dim, index):
    return (<Tensor?>input).select(dim, index)


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
    if _needs_grad(t):
        _record_view_op(r, t, "DiagonalBackward0", "replay", lambda x: diagonal(x, offset, a, b))
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
    if _needs_grad(t) and ct_grad_mode and not (_is_contiguous(t) and t._offset == 0):
        raise RuntimeError("as_strided on a non-contiguous tensor that requires grad is not supported by "
                           "ctorch's autograd; call .contiguous() first")
    if extent * t._dtype.itemsize > t._storage.nbytes:
        raise RuntimeError(f"setStorage: sizes {_fmt_shape(size)}, strides {_fmt_shape(stride)}, storage offset {off}, and itemsize {t._dtype.itemsize} requiring a storage size of {extent * t._dtype.itemsize} are out of bounds for storage of size {t._storage.nbytes}")
    r = _make_view(t, off, size, stride)
    if _needs_grad(t):
        _record_view_op(r, t, "AsStridedBackward0", "replay", lambda x: as_strided(x.detach(), size, stride, off))
    return r


def t(input):
    return (<Tensor?>input).t()


def transpose(input, dim0, dim1):
    return (<Tensor?>input).transpose(dim0, dim1)


swapaxes = transpose
swapdims = transpose


def permute(input, dims):
    return (<Tensor?>input).permute(*dims)


def squeeze(input, dim=None):
    return _squeeze(<Tensor?>input, dim)


def unsqueeze(input, dim):
    return (<Tensor?>input).unsqueeze(dim)


def reshape(input, shape):
    return (<Tensor?>input).reshape(shape)


def ravel(input):
    return (<Tensor?>input).ravel()


def numel(input):
    return (<Tensor?>input)._numel


def clone(input, *, memory_format=None):
    cdef Tensor t = <Tensor?>input
    cdef Tensor r = _empty_like(t, None)
    _copy_into(r, t, False)
    _record_unary_grad(r, t, "CloneBackward0")
    return r


# --------------------------------------------------------- reading elements

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

cdef object _np_mod = None

cdef object _np():
    global _np_mod
    if _np_mod is None:
        import numpy
        _np_mod = numpy
    return _np_mod


cdef object _to_numpy(Tensor t):
    np = _np()
    cdef Py_ssize_t isz = t._dtype.itemsize
    cdef int d
    strides = tuple([t._stride[d] * isz for d in range(t._ndim)])
    return np.ndarray(tuple([t._shape[d] for d in range(t._ndim)]), dtype=t._dtype._numpy_name,
                      buffer=t._storage, offset=t._offset * isz, strides=strides)


cdef dict _NP_KIND = {"b1": CT_BOOL, "u1": CT_UINT8, "i1": CT_INT8, "i2": CT_INT16, "i4": CT_INT32,
                      "i8": CT_INT64, "f2": CT_FLOAT16, "f4": CT_FLOAT32, "f8": CT_FLOAT64,
                      "c8": CT_COMPLEX64, "c16": CT_COMPLEX128}


def from_numpy(ndarray):
    np = _np()
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    arr = ndarray
    code = _NP_KIND.get(arr.dtype.str[1:]) if arr.dtype.byteorder in "=|<" else None
    if code is None:
        raise TypeError(f"can't convert np.ndarray of type {arr.dtype.type.__module__}.{arr.dtype.type.__name__}. The only supported types are: float64, float32, float16, complex64, complex128, int64, int32, int16, int8, uint8, and bool.")
    cdef DType dt = _DT[code]
    cdef Py_ssize_t isz = dt.itemsize
    cdef list shape = list(arr.shape), strides = []
    extent = 1
    for s, st in zip(arr.shape, arr.strides):
        if st < 0:
            raise ValueError("At least one stride in the given numpy array is negative, and tensors with negative strides are not currently supported. (You can probably work around this by making a copy of your array  with array.copy().) ")
        if st % isz:
            raise ValueError("given numpy array strides not a multiple of the element byte size. Copy the numpy array to reallocate the memory.")
        strides.append(st // isz)
        if s == 0:
            extent = 0
        elif extent:
            extent += (s - 1) * (st // isz)
    ptr = arr.__array_interface__["data"][0]
    cdef Storage st_ = _borrow_storage(<char *><size_t>ptr, extent * isz, arr)
    cdef Tensor base = _make_tensor(st_, 0, 0, NULL, NULL, dt)
    return _make_view_plain(base, 0, shape, strides)


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


# ------------------------------------------------------------ .to()

cdef object _to(Tensor t, tuple args, dict kwargs):
    dt = kwargs.pop("dtype", None)
    dev = kwargs.pop("device", None)
    copy = kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() got an unexpected keyword argument '{next(iter(kwargs))}'")
    for a in args:
        if isinstance(a, DType):
            dt = a
        elif isinstance(a, (str, device)) or (isinstance(a, int) and not isinstance(a, bool)):
            dev = a
        elif isinstance(a, Tensor):
            dt = (<Tensor>a)._dtype
            dev = (<Tensor>a).device
        elif a is None:
            pass
        else:
            raise TypeError(f"to() received an invalid combination of arguments - got ({type(a).__name__})")
    if dev is not None:
        _device_code(dev)
    cdef DType target = t._dtype if dt is None else _as_dtype(dt)
    if target is t._dtype:
        return clone(t) if copy else t
    return _cast(t, target)


def _add_method(str name, object fn):
    """Installs a method on Tensor from an op table."""
    (<dict>(<PyTypeObject *>Tensor).tp_dict)[name] = fn
    PyType_Modified(<PyTypeObject *>Tensor)
