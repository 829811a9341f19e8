# cython: language_level=3
"""Creating tensors: from data (nested sequences, scalars, arrays) and from
sizes (empty/zeros/ones/full/arange/linspace/logspace/eye, *_like, and the
Tensor.new_* methods). Below every other op family: it needs only the core."""

import sys
from operator import index as _op_index

from libc.math cimport ceil as c_ceil, pow as c_pow, fma as c_fma
from libc.string cimport memcpy, memset
from libc.stdint cimport int64_t

from ctorch._core.dtype cimport *
from ctorch._core.dispatch cimport _device_code, _device_object, _CPU
from ctorch._core.tensor cimport *
from ctorch._core.iterator cimport *
from ctorch._core.tensor import from_numpy, Size

cdef int _leaf_kind(object x) except -2:
    cdef int k = _scalar_kind(x)
    if k >= 0:
        return k
    if isinstance(x, Tensor):
        return (<Tensor>x)._dtype._kind
    if hasattr(x, "dtype") and hasattr(x, "item"):     # numpy scalars
        k = _scalar_kind(x.item())
        if k >= 0:
            return k
    raise TypeError(f"new(): invalid data type '{type(x).__name__}'")


cdef int _numpy_scalar_code(object x):
    """dtype code of a numpy scalar, -1 for anything else."""
    if type(x).__module__ != "numpy" or not isinstance(x, _np().generic):
        return -1
    code = _NP_KIND.get(x.dtype.str[1:])
    return -1 if code is None else code


cdef list _nested_shape(object data):
    """Shape of a nested sequence, from its first elements."""
    cdef list shape = []
    x = data
    while isinstance(x, (list, tuple)) or (isinstance(x, Tensor) and (<Tensor>x)._ndim > 0):
        if isinstance(x, Tensor):
            shape.extend(x.size())
            break
        shape.append(len(x))
        if len(x) == 0:
            break
        x = x[0]
    return shape


cdef int _flatten_into(object data, list shape, int dim, list leaves) except -1:
    cdef Py_ssize_t n
    if dim == len(shape):
        if isinstance(data, (list, tuple)):
            raise ValueError(f"expected sequence of length {0} at dim {dim} (got {len(data)})")
        if isinstance(data, Tensor):
            if (<Tensor>data)._numel != 1 or (<Tensor>data)._ndim != 0:
                raise ValueError("only one element tensors can be converted to Python scalars")
            data = data.item()
        leaves.append(data)
        return 0
    if isinstance(data, Tensor):
        if list(data.size()) != shape[dim:]:
            raise ValueError(f"expected sequence of length {shape[dim]} at dim {dim} (got {len(data)})")
        leaves.extend(_flat_list(data.tolist(), len(shape) - dim))
        return 0
    if not isinstance(data, (list, tuple)):
        raise ValueError(f"expected sequence of length {shape[dim]} at dim {dim} (got scalar)" if False else
                         f"expected sequence of length {shape[dim]} at dim {dim} (got {type(data).__name__})")
    n = len(data)
    if n != shape[dim]:
        raise ValueError(f"expected sequence of length {shape[dim]} at dim {dim} (got {n})")
    for x in data:
        _flatten_into(x, shape, dim + 1, leaves)
    return 0


cdef list _flat_list(object nested, int depth):
    if depth == 0:
        return [nested]
    if depth == 1:
        return list(nested)
    cdef list out = []
    for x in nested:
        out.extend(_flat_list(x, depth - 1))
    return out


# the names torch.tensor's overflow message uses
cdef dict _TORCH_INT_NAMES = {CT_UINT8: "uint8", CT_INT8: "int8", CT_INT16: "int16", CT_INT32: "int32",
                              CT_INT64: "int64"}


cdef int _store_checked(char *p, object v, DType dt) except -1:
    """Stores a python number for tensor creation: integers must fit (PyTorch's
    rule, see _check_fits; floats overflow to inf), complex needs a complex dtype."""
    if not isinstance(v, (bool, int, float, complex)):
        v = v.item()
    if dt._kind == K_INT:
        if isinstance(v, int) and not -9223372036854775808 <= v <= 9223372036854775807:
            raise ValueError("Overflow when unpacking long long")
        if isinstance(v, complex):
            raise TypeError("'complex' object cannot be interpreted as an integer")
        _check_fits(v, dt, False, _TORCH_INT_NAMES[dt._code])
    elif isinstance(v, complex) and dt._kind == K_FLOAT:
        raise TypeError("must be real number, not complex")
    return _write_scalar(p, v, dt)


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    cdef int code = _device_code(device)
    cdef DType dt = _as_dtype(dtype)
    cdef Tensor r
    if isinstance(data, Tensor):
        r = _raw_clone(<Tensor>data)
        r = _convert(r, dt) if dt is not None else r
    elif _is_ndarray(data):
        np = _np()
        arr = data
        if dt is not None:
            # numpy has no bfloat16: its arrays convert through float32
            arr = arr.astype(dt._numpy_name or "float32")
        # not np.ascontiguousarray: it turns a 0-d array into a 1-d one
        if not arr.flags.c_contiguous:
            arr = arr.copy(order="C")
        r = _raw_clone(from_numpy(arr))
        if dt is not None and r._dtype is not dt:
            r = _convert(r, dt)
    elif hasattr(data, "_storage_tensor"):
        # a TypedStorage: its elements (torch.tensor(t.storage()))
        r = _raw_clone(data._storage_tensor())
        r = _convert(r, dt) if dt is not None else r
    else:
        r = _from_data(data, dt)
    if r._storage.device != code:
        r = _to_device(r, code, None)
    if requires_grad:
        r.requires_grad_(True)
    return r


cdef bint _is_ndarray(object x):
    if _np_mod is None and type(x).__module__ != "numpy":
        return False
    return isinstance(x, _np().ndarray)


cdef Tensor _from_data(object data, DType dt):
    cdef list shape = _nested_shape(data)
    cdef list leaves = []
    cdef int kind = K_BOOL, k
    cdef Py_ssize_t i
    _flatten_into(data, shape, 0, leaves)
    cdef int code = -1, c
    if dt is None:
        if not leaves and shape:
            dt = _default_dtype
        else:
            # every leaf has a dtype (a numpy scalar its own, a python number the
            # one it stands for alone) and the tensor takes their promotion
            for x in leaves:
                k = _leaf_kind(x)
                c = _numpy_scalar_code(x)
                if c < 0:
                    c = _weak_dtype(k)._code
                code = c if code < 0 else _PROMOTE[code][c]
            dt = _DT[code]
    else:
        for x in leaves:
            _leaf_kind(x)
    cdef Tensor r = _empty_list(shape, dt)
    cdef Py_ssize_t isz = dt.itemsize
    for i in range(len(leaves)):
        _store_checked(r._data + i * isz, leaves[i], dt)
    return r


def as_tensor(data, dtype=None, device=None):
    cdef DType dt = _as_dtype(dtype)
    if isinstance(data, Tensor):
        if device is not None:
            return data.to(device=device, dtype=dt)
        return data.to(dt) if dt is not None else data
    if _is_ndarray(data):
        try:
            t = from_numpy(data)
        except (TypeError, ValueError):
            return tensor(data, dtype=dt, device=device)
        t = _convert(t, dt) if dt is not None else t
        return t if device is None else t.to(device=device)
    return tensor(data, dtype=dt, device=device)


_NOT_GIVEN = object()


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=_NOT_GIVEN):
    """A tensor of obj's values, sharing obj's memory when it can (a tensor, an
    ndarray, a buffer or a DLPack exporter of the wanted dtype and device);
    copy=True always copies, copy=False raises when a copy is needed."""
    cdef DType dt = _as_dtype(dtype)
    cdef Tensor t
    if requires_grad is _NOT_GIVEN:
        requires_grad = isinstance(obj, Tensor) and (<Tensor>obj)._requires_grad
        if requires_grad:
            import warnings
            warnings.warn("torch.asarray: unspecified requires_grad now defaults to obj.requires_grad "
                          "instead of False. Pass requires_grad=False explicitly to get the old "
                          "behavior and silence this warning.", UserWarning, stacklevel=2)
    want_dev = None if device is None else _device_code(device)
    shared = None
    if isinstance(obj, Tensor):
        shared = obj
    elif _is_ndarray(obj) or (not isinstance(obj, (list, tuple, bytes, str)) and
                              (hasattr(obj, "__array_interface__") or _is_buffer(obj))):
        if type(obj).__module__ == "numpy" and not _is_ndarray(obj):
            if copy is False:
                raise RuntimeError("can't alias NumPy scalars. Either remove copy=False or transform "
                                   "it in a ndarray. ")
        else:
            arr = obj if _is_ndarray(obj) else _np().asarray(obj)
            order = arr.dtype.byteorder
            if order != "=" and order != "|" and order != _NATIVE_ORDER:
                raise ValueError("given numpy array has byte order different from the native byte "
                                 "order. Conversion between byte orders is currently not supported.")
            shared = from_numpy(arr)
    elif hasattr(obj, "__dlpack__"):
        from ctorch._core.dlpack import from_dlpack
        shared = from_dlpack(obj)
    if shared is not None:
        t = <Tensor>shared
        target = t._dtype if dt is None else dt
        code = t._storage.device if want_dev is None else want_dev
        if copy is False:
            if target is not t._dtype:
                raise ValueError(f"can't alias tensor with dtype '{_sname(t._dtype)}' into dtype "
                                 f"'{_sname(target)}'.")
            if code != t._storage.device:
                raise ValueError(f"can't alias tensor from device '{t.device}' to "
                                 f"'{_device_object(code)}'.")
        if copy:
            r = t.to(dtype=target, device=_device_object(code), copy=True)
        elif target is not t._dtype or code != t._storage.device:
            r = t.to(dtype=target, device=_device_object(code))
        else:
            r = t
    else:
        if copy is False:
            raise ValueError("can't alias arbitrary sequence into a tensor.")
        r = tensor(obj, dtype=dt, device=device)
    if requires_grad:
        r.requires_grad_(True)
    elif (<Tensor>r)._grad_fn is not None:
        r = r.detach()
    elif (<Tensor>r)._requires_grad:
        r.requires_grad_(False)
    return r


cdef bint _is_buffer(object x):
    try:
        memoryview(x)
    except TypeError:
        return False
    return True


cdef str _NATIVE_ORDER = "<" if sys.byteorder == "little" else ">"


cdef DType _factory_dtype(object dtype_, object out, str fname):
    """The dtype a factory makes: `dtype=`, else out='s (None: the factory's
    default). Checks `out=` as PyTorch does."""
    cdef DType dt = _as_dtype(dtype_)
    if out is None:
        return dt
    if not isinstance(out, Tensor):
        raise TypeError(f"{fname}(): argument 'out' must be Tensor, not {type(out).__name__}")
    cdef Tensor o = <Tensor>out
    if o._requires_grad:
        raise RuntimeError(f"{fname}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    if dt is not None and dt is not o._dtype:
        raise RuntimeError(f"dtype {_sname(dt)} does not match dtype of out parameter "
                           f"({_sname(o._dtype)})")
    return o._dtype


cdef tuple _size_kw(tuple sizes, object size, str fname):
    """The sizes of a factory called as f(2, 3), f((2, 3)) or f(size=(2, 3))."""
    if size is None:
        return sizes
    if sizes:
        raise TypeError(f"{fname}() received an invalid combination of arguments - got both "
                        f"positional sizes and 'size'")
    return (size,)


cdef Tensor _sized(tuple size, object dtype_, object device, str fname, DType fallback=None,
                   object out=None):
    cdef int code = _factory_device(device, out)
    cdef DType dt = _factory_dtype(dtype_, out, fname)
    if dt is None:
        dt = fallback if fallback is not None else _default_dtype
    return _empty_list(_parse_size(size, fname), dt, code)


cdef int _factory_device(object device, object out) except -2:
    """The device a factory's result goes to: device=, else out='s, else the CPU."""
    if device is None and isinstance(out, Tensor):
        return (<Tensor>out)._storage.device
    return _device_code(device)


cdef Tensor _finish(Tensor r, object requires_grad, object out=None, int device=-2):
    """A factory's result: r, or r written into `out=` (resized to r's shape),
    moved to `device` when one is given (factories that compute their values
    on the host make r there)."""
    if device != -2 and r._storage.device != device:
        r = _to_device(r, device, None)
    if out is not None:
        r = <Tensor>_to_out(out, r, "factory")   # dtype and requires_grad checked by _factory_dtype
    if requires_grad:
        r.requires_grad_(True)
    return r


# torch.use_deterministic_algorithms(True): the memory of empty tensors is
# filled (NaN, or the dtype's largest value), so that no result depends on
# whatever the allocator handed out
cdef bint _fill_uninitialized = False


def _set_fill_uninitialized(bint on):
    global _fill_uninitialized
    _fill_uninitialized = on


cdef dict _INT_MAX = {CT_UINT8: 255, CT_INT8: 127, CT_INT16: 32767, CT_INT32: 2147483647,
                      CT_INT64: 9223372036854775807}


cdef Tensor _deterministic_fill(Tensor r):
    if r._dtype.is_floating_point or r._dtype.is_complex:
        _fill(r, float("nan"))
    elif r._dtype is t_bool:
        _fill(r, True)
    else:
        _fill(r, _INT_MAX[r._dtype._code])
    return r


def empty(*sizes, size=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False, memory_format=None):
    cdef Tensor r = _sized(_size_kw(sizes, size, "empty"), dtype, device, "empty", None, out)
    cdef int rank = _format_rank(memory_format)
    if rank and out is None:
        r = _empty_channels_last(r, None, rank)
    if _fill_uninitialized:
        _deterministic_fill(r)
    return _finish(r, requires_grad, out, r._storage.device)


def _strided_alloc(size, stride, dtype, device, requires_grad):
    """A tensor of `size` and `stride` over fresh memory that holds exactly
    the elements they reach (empty_strided, empty_permuted,
    Tensor.new_empty_strided)."""
    if dtype is not None and not isinstance(dtype, DType):
        raise TypeError(f"empty_strided(): argument 'dtype' must be torch.dtype, not "
                        f"{type(dtype).__name__}")
    cdef list sz = [_op_index(s) for s in size], st = [_op_index(s) for s in stride]
    cdef Py_ssize_t i, n = len(sz)
    if n != len(st):
        raise RuntimeError(f"dimensionality of sizes ({n}) must match dimensionality of "
                           f"strides ({len(st)})")
    for i in range(n):
        if sz[i] < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {sz[i]}: {sz}")
    for i in range(n):
        if st[i] < 0:
            raise RuntimeError(f"Storage size calculation overflowed with sizes={sz} and "
                               f"strides={st}")
    extent = 1                  # a python integer: no overflow before _sized's checks
    for i in range(n):
        if sz[i] == 0:
            extent = 0
            break
        extent += (sz[i] - 1) * st[i]
    cdef Tensor buf = _sized((extent,), dtype, device, "empty_strided")
    if _fill_uninitialized:
        _deterministic_fill(buf)
    cdef Tensor r = _make_view_plain(buf, 0, sz, st)
    if requires_grad:
        r.requires_grad_(True)
    return r


def empty_strided(size, stride, *, dtype=None, layout=None, device=None, requires_grad=False,
                  pin_memory=False):
    return _strided_alloc(size, stride, dtype, device, requires_grad)


def zeros(*sizes, size=None, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    cdef Tensor r = _sized(_size_kw(sizes, size, "zeros"), dtype, device, "zeros", None, out)
    _zero_fill(r)
    return _finish(r, requires_grad, out, r._storage.device)


cdef int _zero_fill(Tensor r) except -1:
    # small blocks in one memset; from 64 KiB the threaded fill kernel
    cdef size_t nbytes = r._numel * r._dtype.itemsize
    if r._storage.device < 0 and nbytes < 65536:
        memset(r._data, 0, nbytes)
    else:
        _fill(r, 0)
    return 0


def ones(*sizes, size=None, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    cdef Tensor r = _sized(_size_kw(sizes, size, "ones"), dtype, device, "ones", None, out)
    _fill(r, 1)
    return _finish(r, requires_grad, out, r._storage.device)


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    if isinstance(size, int):
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not {type(size).__name__}")
    cdef int kind = _scalar_kind(fill_value)
    if kind < 0:
        raise TypeError(f"full(): argument 'fill_value' must be Number, not {type(fill_value).__name__}")
    cdef Tensor r = _sized((size,), dtype, device, "full",
                           _weak_dtype(kind), out)
    _fill(r, fill_value)
    return _finish(r, requires_grad, out, r._storage.device)


cdef Tensor _like(object input, object dtype_, object device, object memory_format=None):
    """The *_like functions' new tensor: on input's device, or device; laid
    out as PyTorch's preserve_format (the default) lays it, a permuted dense
    input's strides kept (contiguous_format: contiguous)."""
    cdef Tensor t = _tensor_arg(input, "like")
    cdef int code = t._storage.device if device is None else _device_code(device)
    cdef DType dt = _as_dtype(dtype_)
    if code == t._storage.device:
        return _empty_format(t, dt if dt is not None else t._dtype, memory_format)
    return _empty(t._ndim, t._shape, dt if dt is not None else t._dtype, code)


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    cdef Tensor r = _like(input, dtype, device, memory_format)
    if _fill_uninitialized:
        _deterministic_fill(r)
    return _finish(r, requires_grad, None, r._storage.device)


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    cdef Tensor r = _like(input, dtype, device, memory_format)
    _zero_fill(r)
    return _finish(r, requires_grad, None, r._storage.device)


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None):
    cdef Tensor r = _like(input, dtype, device, memory_format)
    _fill(r, 1)
    return _finish(r, requires_grad, None, r._storage.device)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    cdef Tensor r = _like(input, dtype, device, memory_format)
    _fill(r, fill_value)
    return _finish(r, requires_grad, None, r._storage.device)


cdef object _num(object x, str name):
    if isinstance(x, Tensor):
        return x.item()
    if _scalar_kind(x) < 0:
        raise TypeError(f"arange(): argument '{name}' must be Number, not {type(x).__name__}")
    return x


cdef int _check_range(object start, object end, object step) except -1:
    """arange's and range's bounds, as PyTorch checks them."""
    if step == 0:
        raise RuntimeError("step must be nonzero")
    for v in (start, end):
        if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
            raise RuntimeError(f"unsupported range: {start} -> {end}")
    if (step > 0 and start > end) or (step < 0 and start < end):
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    return 0


# the sequence members of the backend table (backend.h), under its C name
cdef extern from "backend.h" nogil:
    ctypedef struct ct_seq_table "ct_backend":
        int (*arange)(int dtype, char *dst, int64_t n, int64_t i0, int64_t istep, double d0,
                      double ds) noexcept nogil
        int (*linspace)(int dtype, char *dst, int64_t n, int64_t stride, double a,
                        double b) noexcept nogil


def arange(start=None, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False):
    cdef int code = _factory_device(device, out)
    if start is None and end is None:
        raise TypeError("arange() missing required argument 'end'")
    if end is None:
        start, end = 0, start
    elif start is None:
        start = 0
    start = _num(start, "start")
    end = _num(end, "end")
    step = _num(step, "step")
    cdef DType dt = _factory_dtype(dtype, out, "arange")
    all_int = all(_scalar_kind(v) <= K_INT for v in (start, end, step))
    if dt is None:
        dt = t_int64 if all_int else _default_dtype
    _check_range(start, end, step)
    cdef Py_ssize_t n
    if all_int:
        n = (end - start + step - (1 if step > 0 else -1)) // step
    else:
        n = <Py_ssize_t>c_ceil((<double>end - <double>start) / <double>step)
    if n < 0:
        n = 0
    cdef Tensor r = _empty_list([n], dt)
    cdef Tensor src
    cdef int64_t i0 = 0, istep = 0
    cdef double d0 = 0, dstep = 0
    cdef bint ints = all_int and dt._kind <= K_INT
    if ints:
        i0, istep = start, step
    else:
        d0, dstep = start, step
    # the values in r's dtype where the kernel has it, else in int64 /
    # float64 and converted
    cdef const ct_seq_table *B = <const ct_seq_table *>r._storage.backend
    cdef int rc
    with nogil:
        rc = B.arange(dt._code, r._data, n, i0, istep, d0, dstep) if (
            dt._kind <= K_INT) == ints else -1
    if rc != 0:
        src = _empty_list([n], t_int64 if ints else t_float64)
        with nogil:
            B.arange(src._dtype._code, src._data, n, i0, istep, d0, dstep)
        _copy_into(r, src, False)
    if code >= 0:
        r = _to_device(r, code, None)
    return _finish(_arange_out(r, out), requires_grad, None, code)


cdef Tensor _arange_out(Tensor r, object out):
    """arange's and range's out=: kept in its shape when it has r's number of
    elements, else resized to r's (with PyTorch's warning if it had any)."""
    if out is None:
        return r
    cdef Tensor o = <Tensor>out
    if o._numel == r._numel:
        o.copy_(r.reshape(list(o.size())))
        return o
    if o._numel > 0:
        import warnings
        warnings.warn(f"The number of elements in the out tensor of shape {list(o.size())} is "
                      f"{o._numel} which does not match the computed number of elements {r._numel}. "
                      "Note that this may occur as a result of rounding error. The out tensor will be "
                      f"resized to a tensor of shape ({r._numel},).", UserWarning, stacklevel=1)
    _resize(o, list(r.size()))          # (warned above, in arange's words)
    return <Tensor>_to_out(o, r, "arange")


def _range(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False):
    import warnings
    warnings.warn("torch.range is deprecated and will be removed in a future release because its "
                  "behavior is inconsistent with Python's range builtin. Instead, use torch.arange, "
                  "which produces values in [start, end).", UserWarning, stacklevel=2)
    cdef int code = _factory_device(device, out)
    if end is None:
        start, end = 0, start
    dt = _factory_dtype(dtype, out, "range") or _default_dtype
    start, end, step = _num(start, "start"), _num(end, "end"), _num(step, "step")
    _check_range(start, end, step)
    n = int((end - start) // step) + 1
    r = arange(0, n, dtype=t_float64, device=_CPU).mul(step).add(start).to(dt)
    if code >= 0:
        r = _to_device(r, code, None)
    return _finish(_arange_out(r, out), requires_grad, None, code)


cdef extern from *:
    """
    #include <string.h>
    /* x rounded to float16 (bf = 0) or bfloat16 (bf = 1), nearest even */
    static float ct_lin_round(float x, int bf) {
        if (!bf) return (float)(_Float16)x;
        uint32_t u;
        memcpy(&u, &x, 4);
        if ((u & 0x7fffffffu) > 0x7f800000u) return x;
        u = (u + 0x7fffu + ((u >> 16) & 1u)) & 0xffff0000u;
        memcpy(&x, &u, 4);
        return x;
    }
    /* linspace in float16 / bfloat16 arithmetic (each operation rounded to
     * the type, the index too), the first half up from s, the rest down
     * from e: PyTorch's values */
    static void ct_linspace_half(char *out, int bf, float s, float e, int64_t n) {
        int64_t half = n > 1 ? n / 2 : 1;
        float si = ct_lin_round(s, bf), ei = ct_lin_round(e, bf), st = 0;
        if (n > 1)
            st = ct_lin_round(ct_lin_round(ei - si, bf) / ct_lin_round((float)(n - 1), bf), bf);
        for (int64_t i = 0; i < n; i++) {
            float v = i < half
                ? ct_lin_round(ct_lin_round(st * ct_lin_round((float)i, bf), bf) + si, bf)
                : ct_lin_round(ei - ct_lin_round(st * ct_lin_round((float)(n - 1 - i), bf), bf), bf);
            uint16_t h;
            if (bf) {
                uint32_t u;
                memcpy(&u, &v, 4);
                h = (uint16_t)(u >> 16);
            } else {
                _Float16 f = (_Float16)v;
                memcpy(&h, &f, 2);
            }
            memcpy(out + 2 * i, &h, 2);
        }
    }
    """
    void ct_linspace_half(char *out, int bf, float s, float e, int64_t n) nogil


cdef object _lin_int_end(object v, DType dt):
    """An end of an integer linspace in the dtype: a float within its range
    (truncated), an int within it (an unsigned type takes negatives down to
    -max, wrapped)."""
    if isinstance(v, float):
        _check_fits(v, dt, False)
        return int(v)
    if dt is t_uint8 and -255 <= v < 0:
        return v + 256
    _check_fits(v, dt, False)
    return v


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    cdef int code = _factory_device(device, out)
    if isinstance(start, Tensor):
        start = start.item()
    if isinstance(end, Tensor):
        end = end.item()
    if not isinstance(steps, int) or isinstance(steps, bool):
        raise TypeError(f"linspace(): argument 'steps' must be int, not {type(steps).__name__}")
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    cdef DType dt = _factory_dtype(dtype, out, "linspace")
    if dt is None:
        dt = _default_complex() if (isinstance(start, complex) or isinstance(end, complex)) else _default_dtype
    if dt is t_bool:
        raise NotImplementedError("\"linspace_cpu\" not implemented for 'Bool'")
    if dt._kind != K_COMPLEX and (isinstance(start, complex) or isinstance(end, complex)):
        raise RuntimeError(f"torch.linspace(): inferred dtype {_C_TYPE_NAMES[_default_complex()._code]} "
                           f"can't be safely cast to passed dtype {_SCALAR_NAMES[dt._code]}")
    # the first half counts up from start, the rest down from end; a single
    # step is start (not end)
    cdef Py_ssize_t n = steps, i, half = steps // 2 if steps > 1 else 1
    cdef Tensor src, r
    cdef double a, b, st
    cdef int64_t *ip
    cdef bint single = dt._code == CT_FLOAT32 or dt._code == CT_COMPLEX64
    if dt._kind == K_INT:
        # the ends in the dtype, the step between them in double
        a = _lin_int_end(start, dt)
        b = _lin_int_end(end, dt)
        st = (b - a) / (n - 1) if n > 1 else 0.0
        src = _empty_list([n], t_int64)
        ip = <int64_t *>src._data
        with nogil:
            for i in range(n):
                ip[i] = <int64_t>(c_fma(st, <double>i, a) if i < half else c_fma(-st, <double>(n - 1 - i), b))
        r = _empty_list([n], dt)
        _copy_into(r, src, False)
        return _finish(r, requires_grad, out, code)
    if dt._code == CT_BFLOAT16:
        for v in (start, end):
            if isinstance(v, (int, float)) and abs(v) != float("inf") and abs(v) > 3.3895313892515355e38:
                raise RuntimeError("value cannot be converted to type c10::BFloat16 without overflow")
    else:
        _check_fits(start, dt, True, "c10::Half" if dt._code == CT_FLOAT16 else None)
        _check_fits(end, dt, True, "c10::Half" if dt._code == CT_FLOAT16 else None)
    r = _empty_list([n], dt)
    cdef float hs, he
    if dt._code == CT_FLOAT16 or dt._code == CT_BFLOAT16:
        hs, he = <float>(<double>start), <float>(<double>end)
        with nogil:
            ct_linspace_half(r._data, dt._code == CT_BFLOAT16, hs, he, n)
    elif dt._kind == K_COMPLEX:
        # the real and imaginary parts each as a real linspace
        cs, ce = complex(start), complex(end)
        _linspace_part(r, 0, 2, single, cs.real, ce.real, n)
        _linspace_part(r, dt.itemsize // 2, 2, single, cs.imag, ce.imag, n)
    else:
        _linspace_part(r, 0, 1, single, start, end, n)
    return _finish(r, requires_grad, out, code)


cdef void _linspace_part(Tensor r, Py_ssize_t off, Py_ssize_t stride, bint single, double a,
                         double b, Py_ssize_t n) noexcept:
    """n values from a to b every stride elements of float (single) or double
    from off bytes into r (on the CPU), computed in that type by the
    backend's linspace (the step (b - a) / (n - 1), each value one fused
    multiply-add from the nearer end: PyTorch's values)."""
    cdef const ct_seq_table *B = <const ct_seq_table *>r._storage.backend
    with nogil:
        B.linspace(CT_FLOAT32 if single else CT_FLOAT64, r._data + off, n, stride, a, b)


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    cdef int code = _factory_device(device, out)
    cdef DType dt = _factory_dtype(dtype, out, "logspace")
    if dt is None:
        dt = _default_dtype
    if dt is t_bool:
        raise NotImplementedError("\"logspace_cpu\" not implemented for 'Bool'")
    cdef Tensor r = linspace(start, end, steps, dtype=t_float64, device=_CPU)
    cdef double b = float(base)
    cdef Py_ssize_t i
    if b > 0 and b != float("inf") and r._numel >= 4096:
        # the power kernel's vector loops on the threads (a libm call an
        # element took twice PyTorch's time)
        r = (<object>b) ** r
    else:
        for i in range(r._numel):
            (<double *>r._data)[i] = c_pow(b, (<double *>r._data)[i])
    return _finish(_convert(r, dt), requires_grad, out, code)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    cdef int code = _factory_device(device, out)
    n, m = _int_of_tensor(n), _int_of_tensor(m)
    if m is None:
        m = n
    for v, nm, pos in ((n, "n", 1), (m, "m", 2)):
        if not isinstance(v, int) or isinstance(v, bool):
            raise TypeError(f"eye(): argument '{nm}' (position {pos}) must be int, not {type(v).__name__}")
        if v < 0:
            raise RuntimeError(f"{nm} must be greater or equal to 0, got {v}")
    cdef DType dt = _factory_dtype(dtype, out, "eye")
    cdef Tensor r = zeros(n, m, dtype=dt if dt is not None else _default_dtype, device=_CPU)
    cdef Py_ssize_t i, k = min(n, m), mm = m
    cdef char one[16]
    _write_scalar(one, 1, r._dtype)
    for i in range(k):
        memcpy(r._data + (i * mm + i) * r._dtype.itemsize, one, r._dtype.itemsize)
    return _finish(r, requires_grad, out, code)


def scalar_tensor(s, *, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    cdef int code = _device_code(device)
    cdef DType dt = _as_dtype(dtype)
    if dt is None:
        dt = _default_dtype
    _check_fits(s, dt, True)
    return _finish(_scalar_tensor(s, dt), requires_grad, None, code)


# ------------------------------------------------------------ Tensor.new_*

def _t_new_empty(Tensor self, *size, dtype=None, device=None, requires_grad=False):
    device = self.device if device is None else device
    return empty(*size, dtype=self._dtype if dtype is None else dtype, device=device, requires_grad=requires_grad)


def _t_new_zeros(Tensor self, *size, dtype=None, device=None, requires_grad=False):
    device = self.device if device is None else device
    return zeros(*size, dtype=self._dtype if dtype is None else dtype, device=device, requires_grad=requires_grad)


def _t_new_ones(Tensor self, *size, dtype=None, device=None, requires_grad=False):
    device = self.device if device is None else device
    return ones(*size, dtype=self._dtype if dtype is None else dtype, device=device, requires_grad=requires_grad)


def _t_new_full(Tensor self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
    device = self.device if device is None else device
    return full(size, fill_value, dtype=self._dtype if dtype is None else dtype, device=device, requires_grad=requires_grad)


def _t_new_tensor(Tensor self, data, *, dtype=None, device=None, requires_grad=False):
    device = self.device if device is None else device
    return tensor(data, dtype=self._dtype if dtype is None else dtype, device=device, requires_grad=requires_grad)


def _t___reduce_ex__(Tensor self, proto):
    if self._dtype._code == CT_BFLOAT16:
        # numpy has no bfloat16: its values travel as float32 (exact) and come back
        return (_rebuild_tensor, (_convert(self.detach(), _DT[CT_FLOAT32]).numpy(),
                                  self._requires_grad, "bfloat16"))
    return (_rebuild_tensor, (self.detach().clone().numpy(), self._requires_grad))


def _t___deepcopy__(Tensor self, memo):
    """copy.deepcopy as PyTorch's: graph leaves only, one copy of the values
    on the tensor's own device (the pickling path made three, on the host),
    requires_grad and a deep copy of .grad. Subclasses go the pickling way."""
    if type(self) is not Tensor:
        import copy
        return copy._reconstruct(self, memo, *self.__reduce_ex__(4))
    if not self.is_leaf:
        raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                           "protocol at the moment.  If you were attempting to deepcopy a module, this may be "
                           "because of a torch.nn.utils.weight_norm usage, see "
                           "https://github.com/pytorch/pytorch/pull/103001")
    cached = memo.get(id(self))
    if cached is not None:
        return cached
    cdef Tensor r = self.detach().clone()
    r.requires_grad_(self._requires_grad)
    g = self.grad
    if g is not None:
        import copy
        r.grad = copy.deepcopy(g, memo)
    memo[id(self)] = r
    return r


def _rebuild_tensor(arr, requires_grad, dtype=None):
    """What a pickled tensor is rebuilt with: its values and requires_grad."""
    t = tensor(arr, device=_CPU, dtype=dtype)
    t.requires_grad_(requires_grad)
    return t


# ---------------------------------------------------------- Tensor's slots

cdef int _tensor_init(object self, tuple args, dict kwargs) except -1:
    # torch.Tensor(2, 3) -> uninitialised float tensor; torch.Tensor([1, 2]) -> data
    _device_code(kwargs.pop("device", None))
    kwargs.pop("dtype", None)
    if kwargs:
        raise TypeError(f"Tensor() got an unexpected keyword argument '{next(iter(kwargs))}'")
    cdef Tensor src
    if not args:
        src = empty(0, dtype=_default_dtype)
    elif len(args) == 1 and isinstance(args[0], (float, complex, bool)):
        raise TypeError(f"new(): data must be a sequence (got {type(args[0]).__name__})")
    elif len(args) == 1 and not isinstance(args[0], int) and not isinstance(args[0], Size):
        src = tensor(args[0], dtype=_default_dtype)
    else:
        src = empty(*args, dtype=_default_dtype)
    (<Tensor>self)._take(src)
    return 0


cdef object _tensor_repr(object self):
    # the printer is Python code above every op module (ctorch._printing)
    from ctorch._printing import tensor_repr
    return tensor_repr(self)


_slots.init = _tensor_init
_slots.repr = _tensor_repr


cdef _install_methods():
    _add_method("__reduce_ex__", _t___reduce_ex__)
    _add_method("__deepcopy__", _t___deepcopy__)
    _add_method("new_empty", _t_new_empty)
    _add_method("new_zeros", _t_new_zeros)
    _add_method("new_ones", _t_new_ones)
    _add_method("new_full", _t_new_full)
    _add_method("new_tensor", _t_new_tensor)


_install_methods()
