# cython: language_level=3
"""Shape, joining and gather/scatter ops: cat/stack and their variants, the
splitting views (split, split_with_sizes, chunk, unbind, tensor_split,
movedim) and their unsafe_ forms (shared memory, no view), copies that
rearrange elements (flip, roll, rot90, repeat, tile, repeat_interleave),
gather/scatter/index_add/index_select/take, masked_fill/masked_select,
unique (also along a dim), unique_consecutive and tril/triu_indices; index_put,
index_copy/index_fill/index_reduce, scatter_reduce, masked_scatter, put,
take_along_dim, the view scatters (slice/select/diagonal/as_strided_scatter),
fill_diagonal_, argwhere, isin, nonzero_static and unravel_index. Forward ops run
without recording (on detached aliases) and record one node, with the derivatives
entry named after PyTorch's grad_fn."""

from libc.string cimport memcpy, memset
from libc.stdlib cimport malloc, free
from libc.stdint cimport int64_t, uint8_t, uint16_t, uint32_t, uint64_t, INT64_MIN

from ctorch._core.dtype cimport *
from ctorch._core.dispatch cimport _device_code
from ctorch._core.backend cimport *
from ctorch._core.tensor cimport *
from ctorch._core.iterator cimport *
from ctorch._ops.elementwise cimport _cast, _binary, _FUNCTIONS, _inplace_with_graph, _stand_in
from ctorch._ops.views cimport _select, _permute, _reshape, _expand, _unsqueeze, _squeeze
from ctorch._ops.reduce cimport _sum
from ctorch._ops.index cimport _getitem, _setitem, _index_put, _any_nonzero
from ctorch.autograd._node cimport record, _grad_mode, _set_grad_mode, _geometry, _check_inplace, _inplace_needs_graph
from ctorch._ops.creation import tensor, zeros, ones, empty, arange, ones_like
from ctorch._ops.elementwise import where, clamp, _clone_contig
from ctorch._ops.views import narrow, select
from ctorch._ops.reduce import _sum_fn, sum_to_size

import builtins as _builtins
import operator


# autocast (ctorch.amp; see ctorch/_ops/products.pyx): the calling thread's
# regions, bit 0 CPU, bit 1 CUDA; the listed ops hand their arguments to the hook
cdef extern from *:
    """
    static __thread int ct_autocast = 0;
    """
    int ct_autocast

_autocast_hook = None


def _set_autocast_state(int flags):
    global ct_autocast
    ct_autocast = flags


builtins_range = _builtins.range


cdef class _NoGrad:
    """Turns recording off for the forward computations of this file."""
    cdef int old

    def __enter__(self):
        self.old = _grad_mode()
        _set_grad_mode(0)

    def __exit__(self, *a):
        _set_grad_mode(self.old)


cdef inline bint _record(object x):
    return _grad_mode() != 0 and _needs_grad(x)


cdef inline int _dev(Tensor t) noexcept:
    return t._storage.device


cdef Tensor _host(Tensor t):
    """t itself on the CPU, else a dense copy of it there (small index data
    read by host code)."""
    return t if t._storage.device < 0 else _to_device(t, -1)


cdef Tensor _on(Tensor t, int device):
    """t on `device` (a dense copy when it is elsewhere)."""
    return t if t._storage.device == device else _to_device(t, device)


cdef list _tensor_list(object tensors, str fname, str argname="tensors"):
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{fname}(): argument '{argname}' (position 1) must be tuple of Tensors, not {type(tensors).__name__}")
    for k, x in enumerate(tensors):
        if not isinstance(x, Tensor):
            raise TypeError(f"expected Tensor as element {k} in argument 0, but got {type(x).__name__}")
    return list(tensors)


# ------------------------------------------------------------------ cat

# the cat member of the backend table (backend.h), under its C name
cdef extern from "backend.h" nogil:
    ctypedef struct _cat_table "ct_backend":
        void (*cat_rows)(char *dst, int64_t dld, const char *const *src, const int64_t *len,
                         int n, int64_t outer) noexcept nogil


cdef int64_t _dense_row_stride(Tensor t, int d, Py_ssize_t inner):
    """When t is `outer` rows one stride apart, each row (dims d and after)
    one dense block: that stride in elements (the row's length when t is
    contiguous, more for a slice along d such as roll's pieces); else -1."""
    cdef int nd = t._ndim, j
    cdef Py_ssize_t expect = 1
    for j in range(nd - 1, d - 1, -1):
        if t._shape[j] != 1 and t._stride[j] != expect:
            return -1
        expect *= t._shape[j]
    if d == 0:
        return expect
    # the outer dims: one stride for them all (size-1 dims aside)
    cdef Py_ssize_t ld = -1
    for j in range(d - 1, -1, -1):
        if t._shape[j] == 1:
            continue
        if ld < 0:
            ld = t._stride[j]
            if ld < expect:
                return -1
            expect = ld * t._shape[j]
        elif t._stride[j] != expect:
            return -1
        else:
            expect *= t._shape[j]
    return ld if ld >= 0 else expect


cdef Tensor _cat_impl(list ts, int dim_arg, object dim, DType res, object into=None):
    """Concatenates the tensors along dim in dtype res (no recording). 1-D empty
    tensors are skipped (legacy torch rule). ts is non-empty. into: a tensor
    (cat's out=) written in place of a new result where it already is one:
    dense, of the result's shape, dtype and device, apart from every input."""
    cdef list used = [t for t in ts if not ((<Tensor>t)._ndim == 1 and (<Tensor>t)._shape[0] == 0)]
    cdef Tensor first, t
    cdef int k, d, nd, j
    for k, x in enumerate(ts):
        if (<Tensor>x)._ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {k}) cannot be concatenated")
    first = <Tensor>ts[0]
    for x in ts:
        _same_device(first, <Tensor>x)
    if not used:
        return _empty_list([0], res, _dev(first))
    first = <Tensor>used[0]
    nd = first._ndim
    d = _wrap_dim(dim, nd)
    cdef Py_ssize_t total = 0
    for k, x in enumerate(ts):
        t = <Tensor>x
        if t._ndim == 1 and t._shape[0] == 0:
            continue
        if t._ndim != nd:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {nd} and {t._ndim}")
        for j in range(nd):
            if j != d and t._shape[j] != first._shape[j]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. Expected size {first._shape[j]} but got size {t._shape[j]} for tensor number {k} in the list.")
        total += t._shape[d]
    shape = list(first.size())
    shape[d] = total
    cdef Tensor out = None
    if into is not None and _into_ok(into, shape, res, ts):
        out = <Tensor>into
    else:
        out = _empty_list(shape, res, _dev(first))
    cdef Py_ssize_t outer = 1, inner = 1, off = 0, isz = res.itemsize
    for j in range(d):
        outer *= first._shape[j]
    for j in range(d + 1, nd):
        inner *= first._shape[j]
    cdef Tensor dst
    cdef char *dp
    cdef const char *sp
    cdef int64_t dld, sld, nb
    cdef Py_ssize_t npieces
    cdef const char **srcs
    cdef int64_t *lens
    cdef bint plain = out._storage.device < 0
    for x in used:
        t = <Tensor>x
        # (rows of a few elements, when there are many, go faster through the
        # strided copy's typed short-row loops than as one memcpy each)
        if not (t._dtype is res and _is_contiguous(t)) or (outer > 64 and t._shape[d] * inner * isz < 256):
            plain = False
    dld = total * inner * isz
    cdef const _cat_table *CB = <const _cat_table *>out._storage.backend
    if plain and CB.cat_rows != NULL:
        # every piece a dense block of rows: the rows of the output filled in
        # one call of the backend's kernel
        npieces = len(used)
        srcs = <const char **>malloc(npieces * sizeof(char *))
        lens = <int64_t *>malloc(npieces * sizeof(int64_t))
        if srcs == NULL or lens == NULL:
            free(srcs)
            free(lens)
            raise MemoryError()
        for k in range(npieces):
            t = <Tensor>used[k]
            srcs[k] = t._data
            lens[k] = t._shape[d] * inner * isz
        dp = out._data
        with nogil:
            CB.cat_rows(dp, dld, srcs, lens, <int>npieces, outer)
        free(srcs)
        free(lens)
        return out
    cdef int64_t row_ld
    for x in used:
        t = <Tensor>x
        if t._numel:
            # rows of a few elements go through the strided copy (its typed
            # short-row loops), not one memcpy per row; so do pieces whose
            # rows are not dense blocks one stride apart
            row_ld = _dense_row_stride(t, d, inner) if t._dtype is res else -1
            if row_ld >= 0 and (outer == 1 or t._shape[d] * inner * isz >= 256):
                dp = out._data + off * inner * isz
                sp = t._data
                dld = total * inner * isz
                nb = t._shape[d] * inner * isz
                sld = row_ld * isz
                with nogil:
                    out._storage.backend.copy_rows(dp, dld, sp, sld, outer, nb)
                _check_device(out)
            else:
                sh = list(out.size())
                sh[d] = t._shape[d]
                dst = _make_view_plain(out, out._offset + off * inner, sh, list(out.stride()))
                _copy_into(dst, t, False)
        off += t._shape[d]
    return out


cdef int _cat_out_check(str name, list ts, object out, DType res) except -1:
    """cat/stack into out=: no autograd through it, and the inputs' type must cast to out's."""
    _no_autograd_out(name, out, tuple(ts))
    if isinstance(out, Tensor) and not _can_cast(res, (<Tensor>out)._dtype):
        raise TypeError(f"torch.cat(): input types can't be cast to the desired output type "
                        f"{_SCALAR_NAMES[(<Tensor>out)._dtype._code]}")
    return 0


def cat(tensors, dim=None, *, out=None, axis=None):
    dim = _dim_alias(dim, axis, "cat", 0)
    if ct_autocast and out is None:
        return _autocast_hook("cat", cat, (tensors, dim), None)
    cdef list ts = _tensor_list(tensors, "cat")
    if not ts:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    cdef DType res = _list_result_type(ts)
    if out is not None:
        _cat_out_check("cat", ts, out, res)
    cdef Tensor r = _cat_impl(ts, 0, dim, res, out)
    if out is not None:
        if r is out:
            _bump(r)
            return r
        return _to_out(out, r, "cat")
    if _grad_mode():
        for t in ts:
            if _needs_grad(t):
                d = _wrap_dim(dim, r._ndim) if r._ndim else 0
                sizes = tuple(tuple(x.size()) for x in ts)
                record("cat", r, tuple(ts), (d, sizes))
                break
    return r


cdef Tensor _alias_1d(Tensor t):
    """a 1-d alias (for dtype promotion only: cat and stack promote 0-d
    inputs like n-d ones)"""
    cdef Py_ssize_t one = 1
    return _make_tensor(t._storage, t._offset, 1, &one, &one, t._dtype)


concat = cat
concatenate = cat


cdef DType _list_result_type(list ts):
    """The dtype cat/stack promote their inputs to (0-d inputs like n-d ones);
    one pass when every input has the same dtype."""
    cdef DType d0 = (<Tensor>ts[0])._dtype
    for x in ts:
        if (<Tensor>x)._dtype is not d0:
            return _result_type(tuple(_alias_1d(<Tensor>t) for t in ts))
    return d0


cdef Tensor _stack_impl(list ts, int d, DType res, object into=None):
    """Stacks equal-shaped tensors along a new dim d in dtype res (no
    recording): each input fills the slice k of the result, by row copies
    when it is dense in res; into (out=) written in place of a new result
    where it already is one (as _cat_impl's)."""
    cdef Tensor first = <Tensor>ts[0], t, dst
    cdef Py_ssize_t n = len(ts), outer = 1, inner = 1, isz = res.itemsize, k
    cdef int j
    for x in ts:
        _same_device(first, <Tensor>x)
    shape = list(first.size())
    shape.insert(d, n)
    cdef Tensor out = None
    if into is not None and _into_ok(into, shape, res, ts):
        out = <Tensor>into
    else:
        out = _empty_list(shape, res, _dev(first))
    if out._numel == 0:
        return out
    for j in range(d):
        outer *= first._shape[j]
    for j in range(d, first._ndim):
        inner *= first._shape[j]
    cdef int64_t dld = n * inner * isz, sld = inner * isz
    cdef char *dp
    cdef const char *sp
    for k in range(n):
        t = <Tensor>ts[k]
        if t._dtype is res and _is_contiguous(t):
            dp = out._data + k * inner * isz
            sp = t._data
            with nogil:
                out._storage.backend.copy_rows(dp, dld, sp, sld, outer, sld)
            _check_device(out)
        else:
            sh = list(first.size())
            st = list(out.stride())
            del st[d]
            dst = _make_view_plain(out, out._offset + k * inner, sh, st)
            _copy_into(dst, t, False)
    return out


def stack(tensors, dim=None, *, out=None, axis=None):
    dim = _dim_alias(dim, axis, "stack", 0)
    if ct_autocast and out is None:
        return _autocast_hook("stack", stack, (tensors, dim), None)
    cdef list ts = _tensor_list(tensors, "stack")
    if not ts:
        raise RuntimeError("stack expects a non-empty TensorList")
    cdef Tensor first = <Tensor>ts[0], t
    cdef Py_ssize_t k
    cdef int j
    for k in range(1, len(ts)):
        t = <Tensor>ts[k]
        if t._ndim != first._ndim:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {_fmt_shape(first.size())} at entry 0 and {_fmt_shape(t.size())} at entry {k}")
        for j in range(t._ndim):
            if t._shape[j] != first._shape[j]:
                raise RuntimeError(f"stack expects each tensor to be equal size, but got {_fmt_shape(first.size())} at entry 0 and {_fmt_shape(t.size())} at entry {k}")
    cdef int d = _wrap_dim(dim, first._ndim + 1)
    cdef DType res = _list_result_type(ts)
    if out is not None:
        _cat_out_check("stack", ts, out, res)
    cdef Tensor r = _stack_impl(ts, d, res, out)
    if out is not None:
        if r is out:
            _bump(r)
            return r
        return _to_out(out, r, "stack")
    if _grad_mode():
        for x in ts:
            if _needs_grad(x):
                record("stack", r, tuple(ts), (d, len(ts)))
                break
    return r


cdef int _one_shape(object seq, bint plain):
    """The ndim of the tensors in seq (a list or tuple) when it has some,
    each element is a tensor and all have one shape (plain: none that
    autograd follows); -1 otherwise."""
    if not isinstance(seq, (list, tuple)) or not seq or not isinstance(seq[0], Tensor):
        return -1
    cdef Tensor first = <Tensor>seq[0], t
    cdef int j
    for x in seq:
        if not isinstance(x, Tensor) or (plain and _needs_grad(x)):
            return -1
        t = <Tensor>x
        if t._ndim != first._ndim:
            return -1
        for j in range(t._ndim):
            if t._shape[j] != first._shape[j]:
                return -1
    return first._ndim


def _plain_stack(tensors, bint dstack):
    """column_stack (dstack False) or dstack of `tensors`, a list or tuple
    of tensors of one shape that autograd does not follow: vectors (n,) side
    by side as columns (n, k) (dstack: (1, n, k)), matrices along a new last
    dim (dstack, in one stack pass) or side by side (one cat); None for any other input (the caller's
    general path, which also raises PyTorch's errors)."""
    cdef int nd = _one_shape(tensors, True)
    if not (nd == 1 or nd == 2):
        return None
    cdef list ts = list(tensors)
    if nd == 2 and not dstack:
        return cat(ts, 1)           # matrices side by side
    cdef Tensor r = _stack_impl(ts, nd if nd == 2 else 1, _list_result_type(ts))
    if dstack and nd == 1:
        r = _reshape(r, [1, (<Tensor>ts[0])._shape[0], len(ts)])
    return r


def _same_shapes(tuple tensors):
    """True when every element of tensors is a tensor and all have one
    shape (broadcast_tensors then returns them as they are)."""
    return _one_shape(tensors, False) >= 0


def atleast_1d(*tensors):
    res = [x.reshape(1) if (<Tensor>x)._ndim == 0 else x for x in _unpack_seq(tensors, "atleast_1d")]
    return res[0] if len(tensors) == 1 and isinstance(tensors[0], Tensor) else tuple(res)


def atleast_2d(*tensors):
    res = []
    for x in _unpack_seq(tensors, "atleast_2d"):
        if (<Tensor>x)._ndim == 0:
            x = x.reshape(1, 1)
        elif (<Tensor>x)._ndim == 1:
            x = _unsqueeze(<Tensor>x, 0)
        res.append(x)
    return res[0] if len(tensors) == 1 and isinstance(tensors[0], Tensor) else tuple(res)


def atleast_3d(*tensors):
    res = []
    for x in _unpack_seq(tensors, "atleast_3d"):
        if (<Tensor>x)._ndim == 0:
            x = x.reshape(1, 1, 1)
        elif (<Tensor>x)._ndim == 1:
            x = _unsqueeze(_unsqueeze(<Tensor>x, 0), 2)
        elif (<Tensor>x)._ndim == 2:
            x = _unsqueeze(<Tensor>x, 2)
        res.append(x)
    return res[0] if len(tensors) == 1 and isinstance(tensors[0], Tensor) else tuple(res)


cdef list _unpack_seq(tuple args, str name):
    cdef list r = list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) else list(args)
    for x in r:
        if not isinstance(x, Tensor):
            raise TypeError(f"{name}(): argument 'tensors' must be tuple of Tensors, not "
                            f"{type(x).__name__}")
    return r


def hstack(tensors, *, out=None):
    cdef list ts = _tensor_list(tensors, "hstack")
    if not ts:
        raise RuntimeError("hstack expects a non-empty TensorList")
    ts = list(atleast_1d(tuple(ts)))
    return cat(ts, 0 if (<Tensor>ts[0])._ndim == 1 else 1, out=out)


def vstack(tensors, *, out=None):
    cdef list ts = _tensor_list(tensors, "vstack")
    if not ts:
        raise RuntimeError("vstack expects a non-empty TensorList")
    return cat(list(atleast_2d(tuple(ts))), 0, out=out)


row_stack = vstack


# ------------------------------------------------------- splitting views

# the derivatives entry of each splitting view, by PyTorch's node name
cdef dict _NARROW_OPS = {"SplitWithSizesBackward0": "split_with_sizes", "SplitBackward0": "split",
                         "SliceBackward0": "narrow"}


cdef Tensor _narrow_view(Tensor t, int d, Py_ssize_t start, Py_ssize_t length, str name):
    shape = list(t.size())
    shape[d] = length
    cdef Tensor r = _make_view(t, t._offset + (start * t._stride[d] if length else 0), shape, list(t.stride()))
    if _record(t):
        record(_NARROW_OPS[name], r, (t,), (_geometry(t, r),))
    return r


def split(tensor, split_size_or_sections, dim=0):
    cdef Tensor t = _tensor_arg(tensor, "split")
    if t._ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    cdef int d = _wrap_dim(dim, t._ndim)
    cdef Py_ssize_t n = t._shape[d], s, start = 0
    if isinstance(split_size_or_sections, (list, tuple)):
        sizes = [int(x) for x in split_size_or_sections]
        if _builtins.any(x < 0 for x in sizes) or _builtins.sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at dimension {d}), but got split_sizes={sizes}")
        out = []
        for s in sizes:
            out.append(_narrow_view(t, d, start, s, "SplitWithSizesBackward0"))
            start += s
        return tuple(out)
    s = int(split_size_or_sections)
    if s < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got split_size={s}")
    if s == 0:
        if n != 0:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}")
        return (_narrow_view(t, d, 0, 0, "SplitBackward0"),)
    out = []
    while start < n or (n == 0 and not out):
        out.append(_narrow_view(t, d, start, min(s, n - start), "SplitBackward0"))
        start += s
    return tuple(out)


def _split_method(self, split_size, dim=0):
    return split(self, split_size, dim)


def split_with_sizes(input, split_sizes, dim=0):
    cdef Tensor t = _tensor_arg(input, "split_with_sizes")
    if isinstance(split_sizes, Tensor) or not isinstance(split_sizes, (list, tuple)):
        raise TypeError(f"split_with_sizes(): argument 'split_sizes' (position 2) must be tuple of ints, "
                        f"not {type(split_sizes).__name__}")
    if t._ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    return split(t, list(split_sizes), dim)


# unsafe_split and its kin: split's pieces as tensors that share the input's
# memory without being views of it (in-place changes of a piece do not touch
# the input's history), each with its own node
cdef tuple _unsafe_pieces(Tensor t, tuple pieces, str op):
    cdef Tensor v, r
    out = []
    for x in pieces:
        v = <Tensor>x
        r = _make_view_plain(v, v._offset, list(v.size()), list(v.stride()))
        if _record(t):
            record(op, r, (t,), (_geometry(t, r),))
        out.append(r)
    return tuple(out)


def unsafe_split(input, split_size, dim=0):
    cdef Tensor t = _tensor_arg(input, "unsafe_split")
    with _NoGrad():
        pieces = split(t, int(split_size), dim)
    return _unsafe_pieces(t, pieces, "unsafe_split")


def unsafe_split_with_sizes(input, split_sizes, dim=0):
    cdef Tensor t = _tensor_arg(input, "unsafe_split_with_sizes")
    with _NoGrad():
        pieces = split_with_sizes(t, split_sizes, dim)
    return _unsafe_pieces(t, pieces, "unsafe_split_with_sizes")


def unsafe_chunk(input, chunks, dim=0):
    cdef Tensor t = _tensor_arg(input, "unsafe_chunk")
    with _NoGrad():
        pieces = chunk(t, chunks, dim)
    return _unsafe_pieces(t, pieces, "unsafe_split")


cdef int _check_piece_count(object count) except -1:
    """As many result tensors as PyTorch can hold in a std::vector (2**60 - 1)."""
    if count > 1152921504606846975:
        raise RuntimeError("cannot create std::vector larger than max_size()")
    return 0


def chunk(input, chunks, dim=None, *, axis=None):
    dim = _dim_alias(dim, axis, "chunk", 0)
    cdef Tensor t = _tensor_arg(input, "chunk")
    if isinstance(chunks, Tensor):
        chunks = operator.index(chunks)     # a 0-d integer tensor, as PyTorch takes it
    if t._ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    if chunks >= (1 << 63):
        raise RuntimeError("Overflow when unpacking long")
    cdef int d = _wrap_dim(dim, t._ndim)
    cdef Py_ssize_t n = t._shape[d]
    cdef Py_ssize_t s = (n + chunks - 1) // chunks
    if s == 0 and n == 0:
        # torch: an empty dim splits into `chunks` empty pieces
        _check_piece_count(chunks)
        return tuple(_narrow_view(t, d, 0, 0, "SplitBackward0") for _ in builtins_range(chunks))
    return split(t, s, d)


def unbind(input, dim=None, *, axis=None):
    dim = _dim_alias(dim, axis, "unbind", 0)
    cdef Tensor t = _tensor_arg(input, "unbind")
    if t._ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    cdef int d = _wrap_dim(dim, t._ndim)
    out = []
    cdef Tensor r
    for i in builtins_range(t._shape[d]):
        shape = list(t.size())
        stride = list(t.stride())
        del shape[d]
        del stride[d]
        r = _make_view(t, t._offset + i * t._stride[d], shape, stride)
        if _record(t):
            record("unbind", r, (t,), (_geometry(t, r),))
        out.append(r)
    return tuple(out)


def tensor_split(input, indices_or_sections, dim=None, *, axis=None):
    dim = _dim_alias(dim, axis, "tensor_split", 0)
    cdef Tensor t = _tensor_arg(input, "tensor_split")
    if t._ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims")
    cdef int d = _wrap_dim(dim, t._ndim)
    cdef Py_ssize_t n = t._shape[d], k, start, stop
    ios = indices_or_sections
    if isinstance(ios, Tensor):
        if (<Tensor>ios)._dtype is not t_int64:
            raise RuntimeError(f"tensor_split expected tensor_indices_or_sections to have dtype of long, but got {_SCALAR_NAMES[(<Tensor>ios)._dtype._code]}")
        if (<Tensor>ios)._ndim > 1:
            raise RuntimeError(f"tensor_split expected tensor_indices_or_sections to be a zero-dimensional or one-dimensional tensor, but got a tensor with {(<Tensor>ios)._ndim} dims")
        ios = ios.item() if (<Tensor>ios)._ndim == 0 else ios.tolist()
    out = []
    if isinstance(ios, (list, tuple)):
        bounds = [0] + [int(x) for x in ios] + [n]
        for k in builtins_range(len(bounds) - 1):
            start = min(max(bounds[k] + (n if bounds[k] < 0 else 0), 0), n)
            stop = min(max(bounds[k + 1] + (n if bounds[k + 1] < 0 else 0), 0), n)
            out.append(_narrow_view(t, d, start, max(stop - start, 0), "SliceBackward0"))
        return tuple(out)
    sections = int(ios)
    if sections >= (1 << 63):
        raise RuntimeError("Overflow when unpacking long")
    if sections <= 0:
        raise RuntimeError(f"number of sections must be larger than 0, got {sections}")
    _check_piece_count(sections)
    base, extra = divmod(n, sections)
    start = 0
    for k in builtins_range(sections):
        size = base + (1 if k < extra else 0)
        out.append(_narrow_view(t, d, start, size, "SliceBackward0"))
        start += size
    return tuple(out)


def movedim(input, source, destination):
    cdef Tensor t = _tensor_arg(input, "movedim")
    src = list(source) if isinstance(source, (list, tuple)) else [source]
    dst = list(destination) if isinstance(destination, (list, tuple)) else [destination]
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({src} dims) should contain the same number of dims as destination ({dst} dims)")
    cdef int nd = t._ndim
    ws = [_wrap_dim(x, nd) for x in src]
    wd = [_wrap_dim(x, nd) for x in dst]
    if nd == 0:
        return t.permute([])            # dim 0 / -1 of a 0-d tensor: nothing moves
    if len(set(ws)) != len(ws):
        raise RuntimeError(f"movedim: repeated dim in `source` ({src})")
    if len(set(wd)) != len(wd):
        raise RuntimeError(f"movedim: repeated dim in `destination` ({dst})")
    order = [-1] * nd
    for a, b in zip(ws, wd):
        order[b] = a
    rest = iter([k for k in builtins_range(nd) if k not in ws])
    for k in builtins_range(nd):
        if order[k] < 0:
            order[k] = next(rest)
    return _permute(t, order)


moveaxis = movedim


# --------------------------------------------------- rearranging copies

cdef list _dim_list(object dims, int nd):
    ds = list(dims) if isinstance(dims, (list, tuple)) else [dims]
    out = []
    for x in ds:
        k = _wrap_dim(x, nd)
        if nd == 0:
            continue                    # a 0-d tensor's dim 0 / -1 names nothing to change
        if k in out:
            raise RuntimeError(f"dim {k} appears multiple times in the list of dims")
        out.append(k)
    return out


# the rearranging-copy members of the backend table (backend.h), under its C name
cdef extern from "backend.h" nogil:
    ctypedef struct ct_rearrange_table "ct_backend":
        void (*flip)(char *dst, const char *src, int nd, const int64_t *shape,
                     const unsigned char *flip, int es) noexcept nogil
        int (*taps)(int dtype, char *dst, const char *src, int64_t outer, int64_t n_in,
                    int64_t n_out, int64_t inner, int64_t K, const int64_t *idx,
                    const double *w, int transpose) noexcept nogil
        void (*pad_constant)(char *dst, const char *src, int nd, const int64_t *out,
                             const int64_t *inp, const int64_t *lo, const void *val,
                             int es) noexcept nogil
        void (*pad_map)(char *dst, const char *src, int nd, const int64_t *out,
                        const int64_t *inp, const int64_t *map, int64_t lo,
                        int es) noexcept nogil


def _pad_map(Tensor x, list maps, int64_t lo):
    """x (no history needed) gathered by a list of source positions for each
    of its last len(maps) dims (maps[0] for the last dim, which maps
    [lo, lo + its size) to itself), the other dims whole, as a new dense
    tensor in one pass of the backend's kernel (reflect, replicate and
    circular padding; the CPU's, on a tensor of at most 64 dims)."""
    cdef const ct_rearrange_table *B = <const ct_rearrange_table *>x._storage.backend
    cdef int nd = x._ndim, k = len(maps), d, es = x._dtype.itemsize
    if B.pad_map == NULL or nd > 64 or not 0 < k <= nd:
        raise RuntimeError("_pad_map: the backend's pad_map over 1..64 dims is needed")
    cdef int64_t osz[64]
    cdef int64_t isz[64]
    flat = []
    for d in range(nd):
        isz[d] = x._shape[d]
        m = maps[nd - 1 - d] if nd - 1 - d < k else range(x._shape[d])
        osz[d] = len(m)
        flat.extend(m)
    cdef Py_ssize_t i, nm = len(flat)
    cdef int64_t *mp = <int64_t *>malloc(sizeof(int64_t) * (nm if nm else 1))
    if mp == NULL:
        raise MemoryError()
    for i in range(nm):
        mp[i] = flat[i]
    cdef Tensor src = x if _is_contiguous(x) else _dense_copy(x)
    cdef Tensor out = _empty_list([osz[d] for d in range(nd)], x._dtype, _dev(x))
    if out._numel:
        with nogil:
            B.pad_map(out._data, src._data, nd, osz, isz, mp, lo, es)
    free(mp)
    return out


def _pad_constant(Tensor x, list lo, list hi, Tensor value):
    """x (no history needed) padded along its last len(lo) dims by lo[i]
    before and hi[i] after (all >= 0; lo[0] for the last dim), the rest
    the 0-d value of x's dtype, as a new dense tensor in one pass of the
    backend's kernel; None where it has none."""
    cdef const ct_rearrange_table *B = <const ct_rearrange_table *>x._storage.backend
    cdef int nd = x._ndim, k = len(lo), d, es = x._dtype.itemsize
    if B.pad_constant == NULL or nd == 0 or nd > 64 or k > nd:
        return None
    cdef int64_t osz[64]
    cdef int64_t isz[64]
    cdef int64_t off[64]
    for d in range(nd):
        isz[d] = x._shape[d]
        osz[d] = x._shape[d]
        off[d] = 0
    for d in range(k):
        off[nd - 1 - d] = lo[d]
        osz[nd - 1 - d] += lo[d] + hi[d]
    cdef Tensor src = x if _is_contiguous(x) else _dense_copy(x)
    cdef Tensor out = _empty_list([osz[d] for d in range(nd)], x._dtype, _dev(x))
    cdef Tensor v = value
    if out._numel:
        with nogil:
            B.pad_constant(out._data, src._data, nd, osz, isz, off, v._data, es)
    return out


def _taps_apply(x, int dim, idx, w, Py_ssize_t n_new, bint transpose):
    """interpolate's resampling of dim by taps in one kernel pass: idx (n_out,
    K) int64 and w (n_out, K) float64, contiguous on x's device; transpose
    applies the adjoint (n_new = the input size). Not recorded. None when the
    device or dtype has no kernel (the caller composes other ops)."""
    cdef Tensor t = <Tensor>x, ti = <Tensor>idx, tw = <Tensor>w
    cdef const ct_rearrange_table *B = <const ct_rearrange_table *>t._storage.backend
    if (B.taps == NULL or not (t._dtype is t_float32 or t._dtype is t_float64)
            or ti._dtype is not t_int64 or tw._dtype is not t_float64
            or not _is_contiguous(ti) or not _is_contiguous(tw) or ti._ndim != 2
            or ti._storage.backend != t._storage.backend):
        return None
    t = _contig(t, t._dtype)
    cdef int64_t outer = 1, inner = 1, n_old = t._shape[dim], K = ti._shape[1]
    cdef int d, code = t._dtype._code, tr = transpose, rc
    for d in range(dim):
        outer *= t._shape[d]
    for d in range(dim + 1, t._ndim):
        inner *= t._shape[d]
    shape = list(t.size())
    shape[dim] = n_new
    cdef Tensor out = _empty_list(shape, t._dtype, _dev(t))
    if out._numel == 0:
        return out
    cdef char *dp = out._data
    cdef const char *sp = t._data
    cdef const int64_t *ip = <const int64_t *>ti._data
    cdef const double *wp = <const double *>tw._data
    cdef int64_t n_in = n_new if transpose else n_old
    cdef int64_t n_out = n_old if transpose else n_new
    with nogil:
        rc = B.taps(code, dp, sp, outer, n_in, n_out, inner, K, ip, wp, tr)
    if rc != 0:
        return None
    return out


cdef Tensor _flip_impl(Tensor t, list dims):
    """A copy of t with the dims reversed: one pass of the backend's flip
    kernel over a dense tensor or a permutation of one (a transpose, a
    permuted view: flipped in its memory order, the result keeping t's
    layout, as PyTorch's flip does), else a view with negated strides, made
    dense."""
    cdef const ct_rearrange_table *B = <const ct_rearrange_table *>t._storage.backend
    cdef int64_t sh[64]
    cdef unsigned char fl[64]
    cdef int order[64]
    cdef Py_ssize_t psh[64]
    cdef Py_ssize_t pst[64]
    cdef int d, k, nd = t._ndim, es = t._dtype.itemsize
    cdef Tensor out
    cdef char *dp
    cdef const char *sp
    if B.flip != NULL and t._numel > 0 and nd <= 64 and _perm_dense(t, order):
        for k in range(nd):
            sh[k] = t._shape[order[k]]
            fl[k] = 0
        for d in dims:
            for k in range(nd):
                if order[k] == d:
                    fl[k] = 1
        out = _empty_list([t._shape[order[k]] for k in range(nd)], t._dtype, _dev(t))
        dp = out._data
        sp = t._data
        with nogil:
            B.flip(dp, sp, nd, sh, fl, es)
        if _is_contiguous(t):
            return out
        for k in range(nd):
            psh[order[k]] = out._shape[k]
            pst[order[k]] = out._stride[k]
        return _make_tensor(out._storage, 0, nd, psh, pst, t._dtype)
    shape = list(t.size())
    stride = list(t.stride())
    cdef Py_ssize_t off = t._offset
    for d in dims:
        if shape[d] > 1:
            off += (shape[d] - 1) * stride[d]
            stride[d] = -stride[d]
    cdef Tensor v = _make_tensor(t._storage, off, t._ndim, t._shape, NULL, t._dtype)
    for d in builtins_range(t._ndim):
        v._stride[d] = stride[d]
    cdef Tensor r = _empty_list(shape, t._dtype, _dev(t))
    _copy_into(r, v, False)
    return r


def flip(input, dims):
    cdef Tensor t = _tensor_arg(input, "flip")
    cdef list ds = _dim_list(dims, t._ndim)
    cdef Tensor r = _flip_impl(t, ds)
    if _record(t):
        record("flip", r, (t,), (ds,))
    return r


def _flip_method(self, *dims, **kwargs):
    """Tensor.flip: the dims as a list or spread out (x.flip(0, 1))."""
    if "dims" in kwargs:
        if dims:
            raise TypeError("flip() got multiple values for argument 'dims'")
        dims = kwargs.pop("dims")
    elif len(dims) == 1:
        dims = dims[0]
    elif not dims:
        raise TypeError('flip() missing 1 required positional arguments: "dims"')
    if kwargs:
        raise TypeError(f"flip() got an unexpected keyword argument '{next(iter(kwargs))}'")
    return flip(self, dims)


def fliplr(input):
    cdef Tensor t = _tensor_arg(input, "fliplr")
    if t._ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(t, [1])


def flipud(input):
    cdef Tensor t = _tensor_arg(input, "flipud")
    if t._ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(t, [0])


# rolls whose rows (the dims from the last moving one on) are shorter than
# this go through the pieces' cat (its typed short-row copies)
cdef int64_t _ROLL_ROW_MIN_BYTES = 1024
# single-dim rolls from this size on too (its threaded, streaming copies)
cdef int64_t _ROLL_ROWS_MAX_BYTES = 1 << 24


cdef Tensor _roll_dense(Tensor t, list shifts, list dims):
    """t (contiguous, on the host) rolled in one pass, or None where the
    pieces' cat takes it (nothing moves, short rows after the first dim, a
    large single-dim roll). Every output row (the dims from the last moving
    one on) is its source row with its two parts swapped. With one moving
    dim the rows are copied in order, both parts of a row in turn; with more,
    along the dim before the last moving one output rows [0, s) come from
    the source's last s rows and the rest from its first rows, so each line
    of that dim is two runs of rows one stride apart, each copied as two
    blocks of bytes per row."""
    cdef int nd = t._ndim, d, j, moving = 0, last = -1
    cdef int64_t sh[64]
    cdef Py_ssize_t n
    if nd > 64 or t._numel == 0 or t._storage.device >= 0 or not _is_contiguous(t):
        return None
    for d in range(nd):
        sh[d] = 0
    for s0, d0 in zip(shifts, dims):
        n = t._shape[<int>d0]
        if n:
            sh[<int>d0] = (sh[<int>d0] + s0 % n) % n
    for d in range(nd):
        if sh[d]:
            moving += 1
            last = d
    if last < 0:
        return None
    cdef Py_ssize_t isz = t._dtype.itemsize, inner = 1
    for j in range(last + 1, nd):
        inner *= t._shape[j]
    cdef int64_t rb = t._shape[last] * inner * isz, sb = sh[last] * inner * isz
    # (a roll of the first dim alone is one row: two copies)
    if rb < _ROLL_ROW_MIN_BYTES and last > 0:
        return None
    cdef int64_t rr, rows = t._numel * isz // rb
    cdef const ct_backend *B
    cdef Tensor out
    cdef char *dp
    cdef const char *sp
    if moving == 1:
        if rows * rb >= _ROLL_ROWS_MAX_BYTES:
            return None
        out = _empty_list(list(t.size()), t._dtype, _dev(t))
        dp = out._data
        sp = t._data
        B = out._storage.backend
        with nogil:
            _roll_run(B, dp, sp, rows, rb, sb)
        return out
    # the lines: the dims before last - 1 (last >= 1: a dim before it moves)
    cdef int q = last - 1, nl = q
    cdef int64_t m = t._shape[q], sq = sh[q], lines = 1
    cdef int64_t cnt[64]
    cdef int64_t lstride[64]
    for j in range(nl):
        lines *= t._shape[j]
        cnt[j] = 0
    # a dim's step between lines, in rows of rb bytes
    cdef int64_t w = m
    for j in range(nl - 1, -1, -1):
        lstride[j] = w
        w *= t._shape[j]
    out = _empty_list(list(t.size()), t._dtype, _dev(t))
    dp = out._data
    sp = t._data
    B = out._storage.backend
    cdef int64_t li, src0, dst0
    with nogil:
        for li in range(lines):
            # the line's first output row and its source's first row
            dst0 = 0
            src0 = 0
            for j in range(nl):
                dst0 += cnt[j] * lstride[j]
                src0 += ((cnt[j] - sh[j] + t._shape[j]) % t._shape[j]) * lstride[j]
            # output rows [0, sq) <- source rows [m - sq, m); [sq, m) <- [0, m - sq)
            if sq:
                _roll_run(B, dp + dst0 * rb, sp + (src0 + m - sq) * rb, sq, rb, sb)
            _roll_run(B, dp + (dst0 + sq) * rb, sp + src0 * rb, m - sq, rb, sb)
            for j in range(nl - 1, -1, -1):
                cnt[j] += 1
                if cnt[j] < t._shape[j]:
                    break
                cnt[j] = 0
    return out


cdef inline void _roll_run(const ct_backend *B, char *dp, const char *sp, int64_t rows,
                           int64_t rb, int64_t sb) noexcept nogil:
    """rows dense rows of rb bytes from sp, each with its last sb bytes moved
    to its front (sb may be 0)."""
    if sb:
        B.copy_rows(dp, rb, sp + (rb - sb), rb, rows, sb)
    B.copy_rows(dp + sb, rb, sp, rb, rows, rb - sb)


cdef Tensor _roll_impl(Tensor t, list shifts, list dims):
    cdef Tensor r = t
    cdef Py_ssize_t n, s
    if dims:
        r = _roll_dense(t, shifts, dims)
        if r is not None:
            return r
        r = t
    if not dims:
        if t._ndim == 1:
            return _roll_impl(t, shifts, [0])
        flat = _reshape(_alias(t), [t._numel])
        r = _roll_impl(flat, shifts, [0])
        return _reshape(r, list(t.size()))
    for s0, d in zip(shifts, dims):
        n = r._shape[d]
        if n == 0:
            continue
        s = s0 % n
        if s == 0:
            continue
        a = _narrow_view(_alias(r), d, n - s, s, "")
        b = _narrow_view(_alias(r), d, 0, n - s, "")
        r = _cat_impl([a, b], 0, d, t._dtype)
    if r is t:
        r = _clone_contig(_alias(t))
    return r


def roll(input, shifts, dims=None):
    cdef Tensor t = _tensor_arg(input, "roll")
    sh = list(shifts) if isinstance(shifts, (list, tuple)) else [shifts]
    if dims is None:
        ds = []
        if len(sh) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(sh)}, dims:0")
    else:
        ds = list(dims) if isinstance(dims, (list, tuple)) else [dims]
        if len(sh) != len(ds):
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(sh)}, dims:{len(ds)}")
        ds = [_wrap_dim(x, t._ndim) for x in ds]
    sh = [int(x) for x in sh]
    cdef Tensor r = _roll_impl(t, sh, ds)
    if _record(t):
        record("roll", r, (t,), (sh, ds if dims is not None else None))
    return r


def rot90(input, k=1, dims=(0, 1)):
    cdef Tensor t = _tensor_arg(input, "rot90")
    dims = list(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if t._ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {t._ndim}")
    cdef int a = _wrap_dim(dims[0], t._ndim), b = _wrap_dim(dims[1], t._ndim)
    if a == b:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {a} and dim1 = {b}")
    cdef int m = k % 4
    cdef Tensor x = _alias(t), r
    perm = list(builtins_range(t._ndim))
    perm[a], perm[b] = perm[b], perm[a]
    with _NoGrad():
        if m == 1:
            r = _flip_impl(_permute(x, perm), [a])
        elif m == 2:
            r = _flip_impl(x, [a, b])
        elif m == 3:
            r = _flip_impl(_permute(x, perm), [b])
        else:
            r = _clone_contig(x)
    if _record(t):
        record("rot90", r, (t,), (k, [a, b]))
    return r


cdef Tensor _repeat_impl(Tensor t, list reps):
    cdef int n = len(reps), lead = n - t._ndim
    src_shape = [1] * lead + list(t.size())
    inter = []
    big = []
    final = []
    for j in builtins_range(n):
        inter += [1, src_shape[j]]
        big += [reps[j], src_shape[j]]
        final.append(reps[j] * src_shape[j])
    with _NoGrad():
        v = _reshape(_alias(t), inter)
        e = _expand(v, big)
        r = _empty_list(big, t._dtype, _dev(t))
        _copy_into(r, e, False)
        r = _reshape(r, final)
    return r


def _repeat(self, *sizes):
    cdef Tensor t = _tensor_arg(self, "repeat")
    reps = list(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (list, tuple)) else list(sizes)
    reps = [int(x) for x in reps]
    if len(reps) < t._ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
    for x in reps:
        if x < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {x}: {reps}")
    cdef Tensor r = _repeat_impl(t, reps)
    if _record(t):
        record("repeat", r, (t,), (reps,))
    return r


def tile(input, dims):
    cdef Tensor t = _tensor_arg(input, "tile")
    reps = list(dims) if isinstance(dims, (list, tuple)) else [dims]
    if len(reps) < t._ndim:
        reps = [1] * (t._ndim - len(reps)) + reps
    return _repeat(t, reps)


cdef int _check_repeats_dtype(Tensor rt) except -1:
    """repeat_interleave's counts: int32 or int64, as PyTorch's kernel takes them."""
    if rt._dtype._code != CT_INT32 and rt._dtype._code != CT_INT64:
        raise NotImplementedError(f"\"repeat_interleave_{'cpu' if rt._storage.device < 0 else 'cuda'}\" "
                                  f"not implemented for '{_SCALAR_NAMES[rt._dtype._code]}'")
    return 0


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None, axis=None):
    dim = _dim_alias(dim, axis, "repeat_interleave")
    cdef Tensor t = _tensor_arg(input, "repeat_interleave")
    cdef Tensor rt, idx
    if repeats is None:
        # repeat_interleave(repeats): arange(len) with each i repeated repeats[i] times
        rt = t
        if rt._ndim > 1:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        _check_repeats_dtype(rt)
        return _cast(_interleave_index(rt), rt._dtype)      # the repeats' dtype
    if dim is None:
        t = _reshape(t, [t._numel])
        d = 0
    else:
        d = _wrap_dim(dim, t._ndim)
    if isinstance(repeats, Tensor):
        rt = <Tensor>repeats
        if rt._ndim > 1:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        _check_repeats_dtype(rt)
        if rt._numel == 1:
            # one count for every slice
            rt = _expand(_reshape(_alias(rt), [1]), [t._shape[d]])
        if rt._shape[0] != t._shape[d]:
            raise RuntimeError(f"repeats must have the same size as input along dim, but got repeats.size(0) = {rt._shape[0]} and input.size({d}) = {t._shape[d]}")
        idx = _on(_interleave_index(rt), _dev(t))
        return index_select(t, d, idx)
    r = int(repeats.item() if isinstance(repeats, Tensor) else repeats)
    if r < 0:
        raise RuntimeError("repeats can not be negative")
    if t._ndim == 0:
        t = _reshape(t, [1])
    shape = list(t.size())
    # the stride-0 expansion made dense (one typed pass over rows of r elements)
    u = _unsqueeze(t, d + 1)
    big = shape[:d + 1] + [r] + shape[d + 1:]
    e = _expand(u, big)
    shape[d] *= r
    return _reshape(e, shape)


cdef Tensor _interleave_index(Tensor rt):
    """The index of repeat_interleave, on rt's device (computed on the host)."""
    cdef Tensor c = _host(_cast(rt, t_int64).contiguous())
    cdef const int64_t *p = <const int64_t *>c._data
    cdef Py_ssize_t n = c._numel, i, j, total = 0, k = 0
    for i in range(n):
        if p[i] < 0:
            raise RuntimeError("repeats can not be negative")
        total += p[i]
    cdef Tensor out = _empty_list([total], t_int64)
    cdef int64_t *o = <int64_t *>out._data
    cdef int64_t v, cnt
    i = 0
    with nogil:
        # copies of i eight at a time (a vector store; the next index
        # overwrites the surplus) while there is room for the surplus: a loop
        # of 0-4 steps per index mispredicted its end
        while i < n:
            cnt = p[i]
            if k + cnt + 8 > total:
                break
            v = i
            j = 0
            while True:
                o[k + j] = v; o[k + j + 1] = v; o[k + j + 2] = v; o[k + j + 3] = v
                o[k + j + 4] = v; o[k + j + 5] = v; o[k + j + 6] = v; o[k + j + 7] = v
                j += 8
                if j >= cnt:
                    break
            k += cnt
            i += 1
        while i < n:
            for j in range(p[i]):
                o[k] = i
                k += 1
            i += 1
    return _on(out, _dev(rt))


# ------------------------------------------------------ gather / scatter

cdef Tensor _long_index(object index, str fname):
    cdef Tensor it = _tensor_arg(index, fname)
    if it._dtype._code != CT_INT64 and it._dtype._code != CT_INT32:
        if fname == "index_select":
            raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
        raise RuntimeError(f"{fname}(): Expected dtype int32/int64 for index")
    return _cast(it, t_int64)


cdef int _fill_st(Tensor t, int64_t *out, int nd) except -1:
    cdef int d
    if t._ndim == 0:
        for d in range(nd):
            out[d] = 0
        return 0
    for d in range(nd):
        out[d] = t._stride[d]
    return 0


cdef int _gather_check(Tensor self, Tensor idx, Tensor other, int d, str fname, bint other_is_src) except -1:
    """torch's shape rules: same ndim; idx.size(k) <= self.size(k) for k != d
    (and <= src.size(k) for every k)."""
    cdef int nds = max(self._ndim, 1), ndi = max(idx._ndim, 1)
    if nds != ndi and idx._numel:
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor" if fname == "gather"
                           else "Index tensor must have the same number of dimensions as self tensor")
    cdef int k
    if idx._numel == 0:
        return 0
    for k in range(idx._ndim):
        if ((k != d and self._ndim and idx._shape[k] > self._shape[k]) or
                (other_is_src and other is not None and other._ndim and idx._shape[k] > other._shape[k])):
            if fname == "gather":
                raise RuntimeError(f"Size does not match at dimension {k} expected index {_fmt_shape(idx.size())} to be smaller than self {_fmt_shape(self.size())} apart from dimension {d}")
            # the scatter family names both bounds at once
            msg = f"Expected index {_fmt_shape(idx.size())} to be no larger than self {_fmt_shape(self.size())} apart from dimension {d}"
            if other is not None:
                msg += f" and to be no larger size than src {_fmt_shape(other.size())}"
            raise RuntimeError(msg)
    return 0


cdef int _run_gather(Tensor out, Tensor src, Tensor idx, int d, str fname, bint nonneg=False) except -1:
    """out (idx-shaped) = src gathered along d by idx; allows no negatives
    (nonneg: the kernel reports a negative index as out of bounds; else the
    caller has seen that there is none)."""
    cdef int nd = idx._ndim if idx._ndim else 1
    cdef int64_t ast[CT_MAXDIM]
    cdef int64_t bst[CT_MAXDIM]
    cdef int64_t ist[CT_MAXDIM]
    cdef int64_t shp[CT_MAXDIM]
    cdef int64_t bad = 1 if nonneg else 0, size
    cdef int rc, k
    if idx._numel == 0:
        return 0
    for k in range(nd):
        shp[k] = idx._shape[k] if idx._ndim else 1
    _fill_st(out, ast, nd)
    _fill_st(src, bst, nd)
    _fill_st(idx, ist, nd)
    size = src._shape[d] if src._ndim else 1
    _same_device(src, idx)
    _same_device(src, out)
    if src._storage.backend.gather == NULL:
        _no_entry(fname, src)
    cdef ct_gather_fn fn = src._storage.backend.gather(src._dtype.itemsize)
    cdef char *a = out._data
    cdef const char *b = src._data
    cdef const int64_t *ip = <const int64_t *>idx._data
    with nogil:
        rc = fn(a, ast, b, bst, ip, ist, shp, nd, d, size, &bad)
    if rc == 2:
        _device_error()
    if rc:
        _index_error(idx, bad, nonneg, d, size)
    return 0


cdef int _index_error(Tensor idx, int64_t bad, bint nonneg, int d, int64_t size) except -1:
    """The error for the index the kernel stopped at; where the kernel also
    checked the sign, a negative index anywhere is named first (as where the
    sign is checked before the kernel runs)."""
    cdef int64_t neg
    if nonneg and bad >= 0:
        neg = _first_negative(idx)
        if neg:
            bad = neg
    raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size {size}")


cdef int _no_entry(str fname, Tensor t) except -1:
    raise NotImplementedError(f"{fname}() is not available on {t._storage.backend.name.decode()} tensors")


cdef int _index_check(Tensor idx, int64_t size, int64_t *bad) except -1:
    """1 with the first index (in C order) outside [0, size) in *bad, else 0:
    the check of the device's index_select, which moves nothing here."""
    cdef Tensor c = idx.contiguous()
    cdef const ct_backend *B = c._storage.backend
    if B.index_select == NULL:
        _no_entry("index_select", c)
    cdef const int64_t *ip = <const int64_t *>c._data
    cdef int64_t n = c._numel
    cdef int rc = 0
    if n:
        with nogil:
            rc = B.index_select(NULL, NULL, 0, size, 0, 8, ip, n, bad)
    if rc == 2:
        _device_error()
    return rc


# the index check of the backend table (backend.h), under its C name
cdef extern from "backend.h" nogil:
    ctypedef struct ct_index_table "ct_backend":
        int64_t (*index_outside)(const int64_t *p, int64_t n, int64_t lo, int64_t hi) noexcept nogil


cdef int64_t _outside(Tensor c, int64_t lo, int64_t hi) except -2:
    """The position of the first value of c (int64, contiguous, on the host)
    outside [lo, hi] (inclusive), -1 when there is none."""
    cdef const ct_index_table *B = <const ct_index_table *>c._storage.backend
    cdef const int64_t *p = <const int64_t *>c._data
    cdef int64_t n = c._numel, i
    if B.index_outside != NULL:
        with nogil:
            i = B.index_outside(p, n, lo, hi)
        return i
    for i in range(n):
        if p[i] < lo or p[i] > hi:
            return i
    return -1


cdef int64_t _first_negative(Tensor idx) except? -1:
    """The first negative entry of an int64 index, or 0 when there is none."""
    cdef int64_t bad = 0
    if idx._storage.device >= 0:
        # indices in [0, 2**63 - 1) pass; the first one outside is negative,
        # or 2**63 - 1 (then the host looks for a negative one after it)
        if not _index_check(idx, 9223372036854775807, &bad) or bad < 0:
            return bad
    # an index broadcast by zero strides (index_add's, expanded) is scanned
    # once per distinct element, not materialized
    cdef int k
    cdef bint repeats = False
    for k in range(idx._ndim):
        if idx._stride[k] == 0 and idx._shape[k] > 1:
            repeats = True
    if repeats:
        idx = _make_view_plain(idx, idx._offset,
                               [1 if idx._stride[k] == 0 else idx._shape[k] for k in range(idx._ndim)],
                               [idx._stride[k] for k in range(idx._ndim)])
    cdef Tensor c = _host(idx.contiguous())
    cdef int64_t pos = _outside(c, 0, 9223372036854775807)
    return 0 if pos < 0 else (<const int64_t *>c._data)[pos]


def gather(input, dim=None, index=None, *, sparse_grad=False, out=None, axis=None):
    dim = _dim_alias(dim, axis, "gather", ...)
    cdef Tensor t = _tensor_arg(input, "gather")
    cdef Tensor idx = _long_index(_required(index, "gather", "index"), "gather")
    cdef int d = _wrap_dim(dim, max(t._ndim, 1))
    _gather_check(t, idx, None, d, "gather", False)
    # the host kernel finds a negative index in its own bounds check
    cdef bint host = t._storage.device < 0
    cdef int64_t neg = 0 if host else _first_negative(idx)
    if neg:
        raise RuntimeError(f"index {neg} is out of bounds for dimension {d} with size {t._shape[d] if t._ndim else 1}")
    cdef Tensor r = None
    if _into_ok(out, list(idx.size()), t._dtype, [t, idx]):
        # a dense out= of the result written by the kernel itself
        r = <Tensor>out
    else:
        r = _empty_list(list(idx.size()), t._dtype, _dev(t))
    _run_gather(r, t, idx, d, "gather", host)
    if r is out:
        _bump(r)
        return r
    if _record(t):
        record("gather", r, (t, None), (d, idx))
    return _to_out(out, r, "gather", OUT_SAME)


cdef int _launch_scatter(ct_scatter_fn fn, Tensor self, Tensor idx, Tensor src, int d,
                         bint nonneg=False) except -1:
    """Runs a scatter kernel: self's elements at idx's positions (dim d
    replaced by the index) combined with src's; checks the kernel's index
    report (nonneg: a negative index is out of bounds, else it counts from
    the end) and bumps self's version."""
    cdef int nd = idx._ndim if idx._ndim else 1
    cdef int64_t ast[CT_MAXDIM]
    cdef int64_t bst[CT_MAXDIM]
    cdef int64_t ist[CT_MAXDIM]
    cdef int64_t shp[CT_MAXDIM]
    cdef int64_t bad = 1 if nonneg else 0
    cdef int64_t size = self._shape[d] if self._ndim else 1
    cdef int rc, k
    for k in range(nd):
        shp[k] = idx._shape[k] if idx._ndim else 1
    _fill_st(src, ast, nd)
    _fill_st(self, bst, nd)
    _fill_st(idx, ist, nd)
    cdef const char *a = src._data
    cdef char *b = self._data
    cdef const int64_t *ip = <const int64_t *>idx._data
    with nogil:
        rc = fn(a, ast, b, bst, ip, ist, shp, nd, d, size, &bad)
    if rc == 2:
        _device_error()
    if rc:
        _index_error(idx, bad, nonneg, d, size)
    _bump(self)
    return 0


cdef int _run_scatter(Tensor self, Tensor idx, Tensor src, int d, bint add,
                      bint checked=False, bint nonneg=False) except -1:
    """self[... idx ...] = src (or +=) in place; src is self's dtype, possibly 0-d
    (a value broadcast by zero strides). checked: the caller has seen that
    idx has no negative entry (the kernel checks the upper bound); nonneg:
    the kernel reports a negative one as out of bounds (on the host, an
    unchecked index is left to that check rather than scanned first)."""
    cdef int64_t size
    if idx._numel == 0:
        return 0
    if not checked and self._storage.device < 0:
        checked = nonneg = True
    cdef int64_t neg = 0 if checked else _first_negative(idx)
    if neg:
        size = self._shape[d] if self._ndim else 1
        raise RuntimeError(f"index {neg} is out of bounds for dimension {d} with size {size}")
    _same_device(self, idx)
    _same_device(self, src)
    if self._storage.backend.scatter == NULL or self._storage.backend.scatter_add == NULL:
        _no_entry("scatter_add" if add else "scatter", self)
    cdef ct_scatter_fn fn = (self._storage.backend.scatter_add[self._dtype._code] if add
                             else self._storage.backend.scatter(self._dtype.itemsize))
    if fn == NULL:
        raise NotImplementedError(f"\"scatter_add\" not implemented for '{_SCALAR_NAMES[self._dtype._code]}'")
    return _launch_scatter(fn, self, idx, src, d, nonneg)


cdef Tensor _scatter_src(Tensor self, object src, str fname):
    cdef Tensor s
    if isinstance(src, Tensor):
        s = <Tensor>src
        if s._dtype is not self._dtype:
            raise RuntimeError(f"{'scatter' if fname.startswith('scatter_add') else fname}(): Expected self.dtype to be equal to src.dtype")
        return s
    _check_fits(src, self._dtype, True)
    return _on(_scalar_tensor(src, self._dtype), _dev(self))


cdef tuple _scatter_args(Tensor t, object dim, object index, object src, object value, str fname):
    """scatter's checked arguments: (index as int64, the wrapped dim, the
    source as a tensor of t's dtype, src or value as given)."""
    cdef Tensor idx = _long_index(index, fname)
    cdef int d = _wrap_dim(dim, max(t._ndim, 1))
    if src is None:
        src = value
    if src is None:
        raise TypeError(f"{fname}() missing 1 required positional arguments: \"src\"")
    cdef Tensor s = _scatter_src(t, src, fname)
    _gather_check(t, idx, s if isinstance(src, Tensor) else None, d, fname, True)
    return idx, d, s, src


cdef Tensor _scatter_op(Tensor t, object dim, object index, object src, object value, bint add,
                        bint inplace, str fname):
    cdef Tensor idx, s
    cdef int d
    idx, d, s, src = _scatter_args(t, dim, index, src, value, fname)
    if inplace:
        _check_inplace(t)
        if _inplace_needs_graph(t, src):
            return _inplace_with_graph(t, lambda c: _scatter_op(<Tensor>c, d, idx, src, None, add, False, fname))
        _run_scatter(t, idx, _alias(s), d, add)
        return t
    cdef Tensor r = _clone_contig(_alias(t))
    _run_scatter(r, idx, _alias(s), d, add)
    if _grad_mode() and (_needs_grad(t) or _needs_grad(src)):
        if add:
            record("scatter_add", r, (t, None, src), (d, idx))
        elif isinstance(src, Tensor):
            record("scatter.src", r, (t, None, src), (d, idx))
        else:
            record("scatter.value", r, (t, None), (d, idx))
    return r


def scatter(input, dim=None, index=None, src=None, value=None, *, reduce=None, out=None, axis=None):
    dim = _dim_alias(dim, axis, "scatter", ...)
    index = _required(index, "scatter", "index")
    if reduce is not None:
        r = _scatter_legacy_reduce(_tensor_arg(input, "scatter"), dim, index, src, value, reduce, False, "scatter")
    else:
        r = _scatter_op(_tensor_arg(input, "scatter"), dim, index, src, value, False, False, "scatter")
    return _to_out(out, r, "scatter", OUT_SAME)


def _scatter_(self, dim=None, index=None, src=None, value=None, *, reduce=None, axis=None):
    dim = _dim_alias(dim, axis, "scatter_", ...)
    index = _required(index, "scatter_", "index")
    cdef Tensor t
    if reduce is not None:
        t = _tensor_arg(self, "scatter_")
        _check_inplace(t)
        _check_no_overlap(t, src)
        if _inplace_needs_graph(t, src if src is not None else value):
            return _inplace_with_graph(t, lambda c: _scatter_legacy_reduce(<Tensor>c, dim, index, src, value, reduce, False, "scatter_"))
        return _scatter_legacy_reduce(t, dim, index, src, value, reduce, True, "scatter_")
    t = _tensor_arg(self, "scatter_")
    _check_no_overlap(t, src)
    return _scatter_op(t, dim, index, src, value, False, True, "scatter_")


def scatter_add(input, dim=None, index=None, src=None, *, axis=None):
    dim = _dim_alias(dim, axis, "scatter_add", ...)
    index = _required(index, "scatter_add", "index")
    src = _required(src, "scatter_add", "src")
    return _scatter_op(_tensor_arg(input, "scatter_add"), dim, index, src, None, True, False, "scatter_add")


def _scatter_add_(self, dim=None, index=None, src=None, *, axis=None):
    dim = _dim_alias(dim, axis, "scatter_add_", ...)
    index = _required(index, "scatter_add_", "index")
    src = _required(src, "scatter_add_", "src")
    cdef Tensor t = _tensor_arg(self, "scatter_add_")
    _check_no_overlap(t, src)
    return _scatter_op(t, dim, index, src, None, True, True, "scatter_add_")


# ------------------------------------------------------- index_select etc.

cdef Tensor _vector_index(object index, str fname):
    cdef Tensor idx = _long_index(index, fname)
    if idx._ndim > 1:
        raise IndexError(f"{fname}(): Index is supposed to be a vector")
    return _reshape(idx, [idx._numel]).contiguous()


def index_select(input, dim=None, index=None, *, out=None, axis=None):
    dim = _dim_alias(dim, axis, "index_select", ...)
    cdef Tensor t = _tensor_arg(input, "index_select")
    cdef Tensor idx = _vector_index(_required(index, "index_select", "index"), "index_select")
    cdef int nd = max(t._ndim, 1)
    cdef int d = _wrap_dim(dim, nd), k
    shape = list(t.size()) if t._ndim else [1]
    cdef Py_ssize_t size = shape[d], outer = 1, inner = 1
    for k in range(d):
        outer *= shape[k]
    for k in range(d + 1, nd):
        inner *= shape[k]
    oshape = list(shape)
    oshape[d] = idx._numel
    _same_device(t, idx)
    if t._storage.backend.index_select == NULL:
        _no_entry("index_select", t)
    if size == 0 and idx._numel and t._ndim > 1:
        raise RuntimeError("index_select(): self indexing axis dim should be positive")
    cdef Tensor src = _alias(t).contiguous()
    cdef Tensor r = None
    if t._ndim and _into_ok(out, oshape, t._dtype, [t, idx]):
        # a dense out= of the result written by the kernel itself
        r = <Tensor>out
    else:
        r = _empty_list(oshape, t._dtype, _dev(t))
    cdef int64_t bad = 0
    cdef int rc = 0
    cdef char *dp = r._data
    cdef const char *sp = src._data
    cdef const int64_t *ip = <const int64_t *>idx._data
    cdef int es = t._dtype.itemsize
    cdef int64_t n = idx._numel
    if r._numel or n:
        with nogil:
            rc = r._storage.backend.index_select(dp, sp, outer, size, inner, es, ip, n, &bad)
    if rc == 2:
        _device_error()
    if rc:
        if d == 1:
            # PyTorch's own wording along dim 1
            raise RuntimeError(f"INDICES element is out of DATA bounds, id={bad} axis_dim={size}")
        raise IndexError("index out of range in self")
    if r is out:
        _bump(r)
        return r
    if t._ndim == 0:
        r = _reshape(r, [] if n == 1 else list(r.size()))
    if _record(t):
        record("index_select", r, (t, None), (d, idx))
    return _to_out(out, r, "index_select", OUT_SAME,
                   "index_select(): self and result must have the same scalar type")


cdef bint _merged_stride(Tensor s, int lo, int hi, int64_t *st) noexcept:
    """s's dims [lo, hi) as one dim: its stride in *st (0 when all have size
    1); False when they do not merge."""
    cdef int k
    cdef int64_t prev_st = 0, prev_sh = 1
    cdef bint first = True
    st[0] = 0
    for k in range(hi - 1, lo - 1, -1):
        if s._shape[k] == 1:
            continue
        if first:
            st[0] = s._stride[k]
            first = False
        elif s._stride[k] != prev_st * prev_sh:
            return False
        prev_st = s._stride[k]
        prev_sh = s._shape[k]
    return True


cdef bint _index_add_rows(Tensor r, Tensor s, Tensor idx, int d) except -1:
    """r[..., idx[i], ...] += s[..., i, ...] along dim d by the backend's row
    kernel (a dense r, s's dims before and after d each merging into one, the
    indices checked); False where it cannot."""
    cdef const ct_index_add_fn *tab = r._storage.backend.index_add
    if tab == NULL or tab[r._dtype._code] == NULL or not _is_contiguous(r):
        return False
    if s._storage.device != r._storage.device or idx._storage.device != r._storage.device:
        return False
    cdef int64_t so, si, sj, outer = 1, inner = 1, size = r._shape[d], n = idx._numel
    cdef int k
    if not _merged_stride(s, 0, d, &so) or not _merged_stride(s, d + 1, s._ndim, &sj):
        return False
    si = s._stride[d]
    for k in range(d):
        outer *= r._shape[k]
    for k in range(d + 1, r._ndim):
        inner *= r._shape[k]
    if outer * n * inner == 0:
        return True
    cdef ct_index_add_fn fn = tab[r._dtype._code]
    cdef void *dp = r._data
    cdef const void *sp = s._data
    cdef const int64_t *ip = <const int64_t *>idx._data
    with nogil:
        fn(dp, sp, outer, size, n, inner, ip, so, si, sj)
    _bump(r)
    return True


cdef Tensor _index_add_op(Tensor t, object dim, object index, object source, object alpha, bint inplace):
    cdef Tensor ix = _tensor_arg(index, "index_add")
    if ix._dtype._code != CT_INT64 and ix._dtype._code != CT_INT32:
        raise RuntimeError(f"index_add_(): Expected dtype int32/int64 for index but got: {_SCALAR_NAMES[ix._dtype._code]}")
    cdef Tensor idx = _vector_index(index, "index_add")
    cdef Tensor s = _tensor_arg(source, "index_add")
    cdef int nd = max(t._ndim, 1)
    cdef int d = _wrap_dim(dim, nd), k
    if s._dtype is not t._dtype:
        raise RuntimeError(f"index_add_(): self ({_SCALAR_NAMES[t._dtype._code]}) and source ({_SCALAR_NAMES[s._dtype._code]}) must have the same scalar type")
    sshape = list(s.size()) if s._ndim else [1]
    tshape = list(t.size()) if t._ndim else [1]
    if len(sshape) != nd:
        raise IndexError("index_add_(): Source/destination tensor must have same dimensions")
    if sshape[d] != idx._numel:
        raise RuntimeError(f"index_add_(): Number of indices ({idx._numel}) should be equal to source.size(dim): ({sshape[d]}), for dim: {d}")
    for k in range(nd):
        if k != d and sshape[k] != tshape[k]:
            raise RuntimeError(f"source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape = {_fmt_shape(t.size())} source.shape = {_fmt_shape(s.size())}")
    cdef int64_t bad = _bad_index(idx, tshape[d], False)
    if bad != _NO_BAD:
        raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size {tshape[d]}")
    if inplace:
        _check_inplace(t)
        if _inplace_needs_graph(t, source):
            return _inplace_with_graph(t, lambda c: _index_add_op(<Tensor>c, d, idx, source, alpha, False))
    cdef Tensor r = t if inplace else _clone_contig(_alias(t))
    cdef Tensor sv = _alias(s)
    with _NoGrad():
        if alpha != 1:
            sv = _binary(CT_MUL, R_ARITH, sv, alpha, None, "mul")
            if sv._dtype is not t._dtype:
                sv = _cast(sv, t._dtype)
        sv = _reshape(sv, sshape)
        rv = _reshape(_alias(r), tshape) if r._ndim == 0 else r
        if not _index_add_rows(rv, sv, idx, d):
            # the 1-d index seen as an index of source's shape (zero strides elsewhere)
            st = [0] * nd
            st[d] = 1
            ie = _make_view_plain(idx, idx._offset, sshape, st)
            _run_scatter(rv, ie, sv, d, True, True)
    if not inplace and _grad_mode() and (_needs_grad(t) or _needs_grad(s)):
        record("index_add", r, (t, None, s), (d, idx, alpha))
    return r


def index_add(input, dim=None, index=None, source=None, *, alpha=1, out=None, axis=None):
    dim = _dim_alias(dim, axis, "index_add", ...)
    index = _required(index, "index_add", "index")
    source = _required(source, "index_add", "source")
    return _index_add_op(_tensor_arg(input, "index_add"), dim, index, source, alpha, False)


def _index_add_(self, dim=None, index=None, source=None, *, alpha=1, axis=None):
    dim = _dim_alias(dim, axis, "index_add_", ...)
    index = _required(index, "index_add_", "index")
    source = _required(source, "index_add_", "source")
    cdef Tensor t = _tensor_arg(self, "index_add_")
    _check_no_overlap(t, source)
    return _index_add_op(t, dim, index, source, alpha, True)


def take(input, index, *, out=None):
    cdef Tensor t = _tensor_arg(input, "take")
    cdef Tensor ix = _tensor_arg(index, "take")
    if ix._dtype._code != CT_INT64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {_SCALAR_NAMES[ix._dtype._code]}")
    cdef Tensor idx = _long_index(index, "take")
    cdef Tensor flat = _reshape(_alias(t), [t._numel]).contiguous()
    cdef Tensor ic = idx.contiguous()
    if isinstance(out, Tensor) and (<Tensor>out)._dtype is not t._dtype:
        raise RuntimeError(f"take(): self and out expected to have the same dtype, but got self.dtype = "
                           f"{_SCALAR_NAMES[t._dtype._code]} and out.dtype = {_SCALAR_NAMES[(<Tensor>out)._dtype._code]}")
    into = None
    if _into_ok(out, list(idx.size()), t._dtype, [t, ic]):
        into = out
    r = _take_kernel(t, idx, flat, ic, into)
    if r is out:
        _bump(r)
        return r
    return _to_out(out, r, "take", OUT_SAME)


def _take_method(self, index):
    return take(self, index)


cdef Tensor _take_kernel(Tensor t, Tensor idx, Tensor flat, Tensor ic, object into=None):
    """take by the gather kernel, which wraps negative indices and stops at
    the first index (in order) outside [-n, n); into (a dense tensor of the
    result, take's out=) written and returned in place of a new result."""
    cdef int64_t ast[1]
    cdef int64_t bst[1]
    cdef int64_t ist[1]
    cdef int64_t shp[1]
    cdef int64_t bad = 0, n = t._numel
    cdef int rc = 0
    _same_device(t, ic)
    if t._storage.backend.gather == NULL:
        _no_entry("take", t)
    cdef Tensor r = (_reshape(_alias(<Tensor>into), [ic._numel]) if into is not None
                     else _empty_list([ic._numel], t._dtype, _dev(t)))
    cdef ct_gather_fn fn = t._storage.backend.gather(t._dtype.itemsize)
    ast[0] = bst[0] = ist[0] = 1
    shp[0] = ic._numel
    cdef char *a = r._data
    cdef const char *b = flat._data
    cdef const int64_t *ip = <const int64_t *>ic._data
    if ic._numel:
        with nogil:
            rc = fn(a, ast, b, bst, ip, ist, shp, 1, 0, n, &bad)
    if rc == 2:
        _device_error()
    if rc:
        raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} elements.")
    if into is not None:
        return <Tensor>into
    r = _reshape(r, list(idx.size()))
    if _record(t):
        # every index is in [-n, n): its remainder by n is the wrapped one
        wrapped = _binary(CT_REMAINDER, R_ARITH, ic, n, None, "remainder") if n else ic
        record("take", r, (t, None), (wrapped.reshape(list(idx.size())),))
    return r


# --------------------------------------------------------------- masks

cdef Tensor _check_mask(object mask, str fname):
    cdef Tensor m = _tensor_arg(mask, fname)
    if m._dtype is not t_bool:
        raise RuntimeError(f"{fname} only supports boolean masks, but got mask with dtype {_MASK_NAMES.get(m._dtype._code, _SCALAR_NAMES[m._dtype._code])}")
    return m


cdef dict _MASK_NAMES = {CT_FLOAT64: "double", CT_FLOAT32: "float", CT_INT64: "long int",
                         CT_INT32: "int", CT_UINT8: "unsigned char", CT_FLOAT16: "c10::Half"}


cdef Tensor _masked_fill_op(Tensor t, object mask, object value, bint inplace):
    cdef Tensor m = _check_mask(mask, "masked_fill_")
    cdef Tensor v
    cdef Iter it
    cdef int d
    if isinstance(value, Tensor):
        v = <Tensor>value
        if v._ndim != 0:
            raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with {v._ndim} dimension(s).")
    else:
        _check_fits(value, t._dtype, True)
        v = _scalar_tensor(value, t._dtype)
    if inplace:
        _check_mask_broadcast(m, t)
        _check_inplace(t)
        if _inplace_needs_graph(t, value):
            return _inplace_with_graph(t, lambda c: _masked_fill_op(<Tensor>c, m, value, False))
        if _is_contiguous(t) and _dev(m) == _dev(t):
            # no graph: the select written over t in one pass (a value that
            # is an element of t read first, as PyTorch reads it; a 0-d
            # value, a python number's too, may live on the CPU)
            if v._storage is t._storage:
                v = _clone_contig(v)
            where(_alias(m), _cast(_alias(_on(v, _dev(t))), t._dtype), _alias(t), out=t)
            _bump(t)
            return t
    cdef Tensor r
    with _NoGrad():
        tv = _alias(t)
        if not inplace:
            _broadcast_shape(&it, m, t, None)     # PyTorch's RuntimeError when they do not broadcast
            tv = _expand(tv, [it.shape[d] for d in range(it.ndim)])
        r = where(_alias(m), _cast(_alias(_on(v, _dev(t))), t._dtype), tv)
        if inplace:
            _copy_into(t, r, True)
            return t
    if _grad_mode() and (_needs_grad(t) or _needs_grad(value)):
        if isinstance(value, Tensor):
            record("masked_fill.Tensor", r, (t, None, value), (m,))
        else:
            record("masked_fill.Scalar", r, (t, None), (m,))
    return r


cdef int _check_mask_broadcast(Tensor m, Tensor t) except -1:
    cdef Iter it
    cdef int d
    _broadcast_shape(&it, t, m, None)     # PyTorch's error where they do not broadcast
    cdef bint same = it.ndim == t._ndim
    for d in range(it.ndim if same else 0):
        same = same and it.shape[d] == t._shape[d]
    if not same:
        shp = [it.shape[d] for d in range(it.ndim)]
        raise RuntimeError(f"output with shape {_fmt_shape(t.size())} doesn't match the broadcast shape {_fmt_shape(shp)}")
    return 0


def masked_fill(input, mask, value):
    return _masked_fill_op(_tensor_arg(input, "masked_fill"), mask, value, False)


def _masked_fill_(self, mask, value):
    return _masked_fill_op(_tensor_arg(self, "masked_fill_"), mask, value, True)


ctypedef fused _word:
    uint8_t
    uint16_t
    uint32_t
    uint64_t


cdef Py_ssize_t _mask_count(const uint8_t *m, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i, c = 0
    for i in range(n):
        c += m[i] != 0
    return c


cdef void _compress_w(_word *dst, const _word *src, const uint8_t *m, Py_ssize_t n) noexcept nogil:
    """dst[j++] = src[i] for each i with m[i], without a branch per element:
    every element is written at dst[j] and j moves on at the true ones; the
    loop ends at the last true one, so dst[j] stays inside dst."""
    cdef Py_ssize_t i, j = 0, last = n - 1
    while last >= 0 and not m[last]:
        last -= 1
    for i in range(last + 1):
        dst[j] = src[i]
        j += m[i] != 0


cdef void _expand_w(_word *dst, const _word *src, Py_ssize_t ns, const uint8_t *m,
                    Py_ssize_t n) noexcept nogil:
    """dst[i] = src[j++] for each i with m[i] (ns >= the count of true ones,
    ns > 0), without a branch per element: a select of the bits."""
    cdef Py_ssize_t i, j = 0
    cdef _word sel, x
    for i in range(n):
        x = src[j if j < ns else ns - 1]
        sel = <_word>0 - <_word>(m[i] != 0)
        dst[i] = (dst[i] & ~sel) | (x & sel)
        j += m[i] != 0


cdef bint _mask_fast(Tensor t, Tensor m):
    """Whether a masked op on t with mask m can run the dense loops above:
    both on the CPU, contiguous, of one shape, elements of 1-8 bytes."""
    return (t._storage.device < 0 and m._storage.device < 0 and t._ndim > 0
            and t._dtype.itemsize <= 8 and _same_shape(t, m)
            and _is_contiguous(t) and _is_contiguous(m))


cdef Tensor _masked_select_dense(Tensor t, Tensor m):
    cdef const uint8_t *mp = <const uint8_t *>m._data
    cdef Py_ssize_t n = t._numel, c
    with nogil:
        c = _mask_count(mp, n)
    cdef Tensor r = _empty_list([c], t._dtype)
    cdef char *d = r._data
    cdef const char *sp = t._data
    cdef int es = t._dtype.itemsize
    if c:
        with nogil:
            if es == 1:
                _compress_w(<uint8_t *>d, <const uint8_t *>sp, mp, n)
            elif es == 2:
                _compress_w(<uint16_t *>d, <const uint16_t *>sp, mp, n)
            elif es == 4:
                _compress_w(<uint32_t *>d, <const uint32_t *>sp, mp, n)
            else:
                _compress_w(<uint64_t *>d, <const uint64_t *>sp, mp, n)
    return r


def masked_select(input, mask, *, out=None):
    cdef Tensor t = _tensor_arg(input, "masked_select")
    cdef Tensor m = _tensor_arg(mask, "masked_select")
    if m._dtype is not t_bool:
        raise RuntimeError(f"masked_select: expected BoolTensor for mask")
    cdef Tensor r
    if _mask_fast(t, m):
        r = _masked_select_dense(t, m)
        if _record(t):
            record("masked_select", r, (t, None), (m,))
        return _to_out(out, r, "masked_select", OUT_SAME,
                       "masked_select(): self and result must have the same scalar type")
    cdef Iter it
    _broadcast_shape(&it, m, t, None)     # PyTorch's RuntimeError when they do not broadcast
    shp = _broadcast_list([list(m.size()), list(t.size())])
    with _NoGrad():
        tb = _expand(_alias(t), shp)
        mb = _expand(_alias(m), shp)
        r = _getitem(tb, mb) if len(shp) else (_reshape(tb, [1])[_reshape(mb, [1])])
    if _record(t):
        record("masked_select", r, (t, None), (m,))
    return _to_out(out, r, "masked_select", OUT_SAME,
                   "masked_select(): self and result must have the same scalar type")


# -------------------------------------------------------------- unique

def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    cdef Tensor t = _tensor_arg(input, "unique")
    if dim is not None:
        return _unique_dim(t, dim, return_inverse, return_counts)
    if t._dtype._kind == K_COMPLEX:
        raise NotImplementedError("\"unique_cpu_sorted\" not implemented for 'Complex" + ("Float'" if t._dtype._code == CT_COMPLEX64 else "Double'"))
    cdef bint isf = t._dtype._kind == K_FLOAT
    cdef Tensor keys = _cast(_reshape(_alias(t), [t._numel]), t_float64 if isf else t_int64).contiguous()
    # a device tensor's keys are sorted and grouped on the host; the values
    # are then selected on the device
    cdef int dev = _dev(t)
    keys = _host(keys)
    if not isf and keys._numel:
        r = _unique_counted(t, keys, return_inverse, return_counts, dev)
        if r is not None:
            return r
    cdef Py_ssize_t n = keys._numel, i, u = 0
    # the sort kernels' stable sort (faster than a radix argsort's eight
    # scatters), the keys then compared in sorted order
    from ctorch._ops.sort import sort as _sort_fn
    sk, so = _sort_fn(keys.detach(), stable=True)
    keys = <Tensor?>sk
    cdef Tensor order = <Tensor?>so
    cdef int64_t *o = <int64_t *>order._data
    cdef Tensor inv = _empty_list(list(t.size()), t_int64) if return_inverse else None
    cdef int64_t *iv = <int64_t *>inv._data if return_inverse else NULL
    cdef Tensor firsts = _empty_list([n], t_int64)
    cdef Tensor cnts = _empty_list([n], t_int64)
    cdef int64_t *fp = <int64_t *>firsts._data
    cdef int64_t *cp = <int64_t *>cnts._data
    cdef const int64_t *ki = <const int64_t *>keys._data
    cdef const double *kf = <const double *>keys._data
    cdef bint same
    cdef Py_ssize_t j, e
    with nogil:
        # the groups' first elements and starts (in cp), then each group's
        # inverse entries (a scatter alone in its loop: mixed with the other
        # stores it ran several times slower) and its count
        for i in range(n):
            if i == 0:
                same = False
            elif isf:
                same = kf[i] == kf[i - 1]
            else:
                same = ki[i] == ki[i - 1]
            if not same:
                fp[u] = o[i]
                cp[u] = i
                u += 1
        for j in range(u):
            e = cp[j + 1] if j + 1 < u else n
            if iv != NULL:
                for i in range(cp[j], e):
                    iv[o[i]] = j
            cp[j] = e - cp[j]
    sel = _on(_narrow_view(firsts, 0, 0, u, ""), dev)
    flat = _reshape(_alias(t), [t._numel])
    vals = index_select(flat, 0, sel) if n else _empty_list([0], t._dtype, dev)
    out = [vals]
    if return_inverse:
        out.append(_on(inv, dev))
    if return_counts:
        out.append(_on(_narrow_view(cnts, 0, 0, u, "").clone(), dev))
    return out[0] if len(out) == 1 else tuple(out)


cdef object _unique_counted(Tensor t, Tensor keys, bint return_inverse, bint return_counts, int dev):
    """unique of integer keys (int64, contiguous, on the host, at least one)
    whose values span at most about twice their number: each value's count
    in a table over [min, max] (one pass), the values present read off it in
    order; None when the span is wider."""
    cdef int64_t n = keys._numel, mn = 0, mx = 0, m, i, j, u = 0
    cdef const int64_t *k = <const int64_t *>keys._data
    with nogil:
        keys._storage.backend.minmax_i64(k, n, &mn, &mx)
    cdef uint64_t span = <uint64_t>mx - <uint64_t>mn
    if span >= <uint64_t>(2 * n + 4096):
        return None
    m = <int64_t>span + 1
    cdef Tensor tab = _empty_list([m], t_int64)      # the counts, then each value's rank
    cdef int64_t *c = <int64_t *>tab._data
    with nogil:
        memset(c, 0, <size_t>m * sizeof(int64_t))
        for i in range(n):
            c[k[i] - mn] += 1
        for j in range(m):
            u += c[j] != 0
    cdef Tensor vals = _empty_list([u], t_int64), cnt = None, inv = None
    cdef int64_t *vp = <int64_t *>vals._data
    cdef int64_t *cp = NULL
    cdef int64_t *ip = NULL
    if return_counts:
        cnt = _empty_list([u], t_int64)
        cp = <int64_t *>cnt._data
    if return_inverse:
        inv = _empty_list(list(t.size()), t_int64)
        ip = <int64_t *>inv._data
    with nogil:
        u = 0
        for j in range(m):
            if c[j]:
                vp[u] = mn + j
                if cp != NULL:
                    cp[u] = c[j]
                c[j] = u
                u += 1
        if ip != NULL:
            for i in range(n):
                ip[i] = c[k[i] - mn]
    out = [_on(_cast(vals, t._dtype), dev)]
    if return_inverse:
        out.append(_on(inv, dev))
    if return_counts:
        out.append(_on(cnt, dev))
    return out[0] if len(out) == 1 else tuple(out)


cdef object _unique_name(Tensor t, str op):
    return f"\"{op}\" not implemented for 'Complex" + ("Float'" if t._dtype._code == CT_COMPLEX64 else "Double'")


def _run_starts(rows, Py_ssize_t n):
    """Where each run of equal rows starts (rows: a tensor whose first dim
    indexes them, compared over the other dims): a bool tensor of n."""
    if n == 0:
        return zeros(0, dtype=t_bool, device=rows.device)
    changed = narrow(rows, 0, 1, n - 1) != narrow(rows, 0, 0, n - 1)
    if changed.dim() > 1:
        changed = changed.flatten(1).any(1)
    return cat([ones(1, dtype=t_bool, device=rows.device), changed])


def _runs(starts, Py_ssize_t n, bint want_inverse=True, bint want_counts=True):
    """(the first row of each run, the run of each row, the runs' lengths);
    None for what is not wanted."""
    firsts = starts.nonzero().reshape(-1)
    inverse = starts.to(t_int64).cumsum(0) - 1 if want_inverse else None
    if not want_counts:
        return firsts, inverse, None
    ends = cat([narrow(firsts, 0, 1, firsts.numel() - 1) if firsts.numel() else firsts,
                tensor([n], dtype=t_int64, device=starts.device)])
    return firsts, inverse, ends - firsts if firsts.numel() else firsts.clone()


cdef int _check_selected_dims(Tensor t, int d) except -1:
    cdef int k
    if t._numel == 0:
        for k in range(t._ndim):
            if k != d and t._shape[k] == 0:
                raise RuntimeError("There are 0 sized dimensions, and they aren't selected, so "
                                   "unique cannot be applied")
    return 0


# the unique_consecutive member of the backend table (backend.h), under its C name
cdef extern from "backend.h" nogil:
    ctypedef struct ct_uconsec_table "ct_backend":
        int64_t (*unique_consec)(int dtype, const void *x, int64_t n, void *vals,
                                 int64_t *inverse, int64_t *counts) noexcept nogil


cdef object _uconsec_flat(Tensor t, bint return_inverse, bint return_counts):
    """unique_consecutive of t's elements by the backend's kernel, in one pass
    into buffers with room for every element (the large ones come from the
    allocator's cache), then the runs copied out; None where the backend has
    no kernel for t's dtype."""
    cdef const ct_uconsec_table *UB = <const ct_uconsec_table *>t._storage.backend
    if UB.unique_consec == NULL:
        return None
    cdef Tensor c = _contig(t, t._dtype)
    cdef int code = t._dtype._code
    cdef int64_t n = t._numel, u
    cdef int dev = t._storage.device
    cdef Tensor buf = _empty_list([n], t._dtype, dev), inv = None, cbuf = None
    cdef int64_t *ip = NULL
    cdef int64_t *cp = NULL
    if return_inverse:
        inv = _empty_list(list(t.size()), t_int64, dev)
        ip = <int64_t *>inv._data
    if return_counts:
        cbuf = _empty_list([n], t_int64, dev)
        cp = <int64_t *>cbuf._data
    with nogil:
        u = UB.unique_consec(code, c._data, n, buf._data, ip, cp)
    if u < 0:
        return None
    cdef Tensor vals = buf, cnt = cbuf
    cdef Py_ssize_t one = 1, nu = u
    if u < n and 2 * u >= n:
        # most elements start a run: the values stay where they are, in a
        # tensor of u elements on the buffer's storage (no copy)
        vals = _make_tensor(buf._storage, 0, 1, &nu, &one, t._dtype)
        if return_counts:
            cnt = _make_tensor(cbuf._storage, 0, 1, &nu, &one, t_int64)
    elif u < n:
        vals = _empty_list([u], t._dtype, dev)
        memcpy(vals._data, buf._data, <size_t>u * t._dtype.itemsize)
        if return_counts:
            cnt = _empty_list([u], t_int64, dev)
            memcpy(cnt._data, cbuf._data, <size_t>u * sizeof(int64_t))
    if not return_inverse and not return_counts:
        return vals
    out = [vals]
    if return_inverse:
        out.append(inv)
    if return_counts:
        out.append(cnt)
    return tuple(out)


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    cdef Tensor t = _tensor_arg(input, "unique_consecutive")
    if t._dtype._kind == K_COMPLEX:
        raise NotImplementedError(_unique_name(t, "unique"))
    cdef int d
    cdef Py_ssize_t n
    if dim is None and t._numel > 0 and not (_grad_mode() and _needs_grad(t)):
        # one pass over the elements (the composition below records autograd)
        r = _uconsec_flat(t, bool(return_inverse), bool(return_counts))
        if r is not None:
            return r
    if dim is None:
        flat = t.reshape(-1)
        n = t._numel
        firsts, inverse, counts = _runs(_run_starts(flat, n), n, return_inverse, return_counts)
        out = [index_select(flat, 0, firsts)]
        if return_inverse:
            inverse = inverse.reshape(t.size())
    else:
        if t._ndim == 0:
            raise IndexError("Dimension specified as 0 but tensor has no dimensions")
        d = _wrap_dim(dim, t._ndim)
        n = t._shape[d]
        _check_selected_dims(t, d)
        firsts, inverse, counts = _runs(_run_starts(movedim(t, d, 0), n), n, return_inverse,
                                        return_counts)
        out = [index_select(t, d, firsts)]
    if return_inverse:
        out.append(inverse)
    if return_counts:
        out.append(counts)
    return out[0] if len(out) == 1 else tuple(out)


cdef inline int _row_cmp(const char *keys, bint isf, Py_ssize_t m, int64_t a, int64_t b) noexcept nogil:
    """Rows a and b of keys (n x m, int64 or float64) in lexicographic order:
    -1, 0 or 1; NaN after every number, as the sorts place it."""
    cdef Py_ssize_t c
    cdef const int64_t *ia
    cdef const int64_t *ib
    cdef const double *fa
    cdef const double *fb
    cdef double x, y
    if isf:
        fa = <const double *>keys + a * m
        fb = <const double *>keys + b * m
        for c in range(m):
            x = fa[c]
            y = fb[c]
            if x < y:
                return -1
            if x > y:
                return 1
            if x != x or y != y:        # NaN: equal to NaN, after the rest
                if x == x:
                    return -1
                if y == y:
                    return 1
        return 0
    ia = <const int64_t *>keys + a * m
    ib = <const int64_t *>keys + b * m
    for c in range(m):
        if ia[c] != ib[c]:
            return -1 if ia[c] < ib[c] else 1
    return 0


cdef void _row_sort(const char *keys, bint isf, Py_ssize_t m, int64_t *order, int64_t *tmp,
                    Py_ssize_t n) noexcept nogil:
    """order (0..n-1 in) sorted stably by the rows of keys: a bottom-up merge
    sort, runs of 8 by insertion first."""
    cdef Py_ssize_t i, j, lo, mid, hi, w, a, b, k
    cdef int64_t v
    cdef int64_t *src = order
    cdef int64_t *dst = tmp
    cdef int64_t *sw
    for i in range(1, n):
        lo = i - i % 8
        v = order[i]
        j = i
        while j > lo and _row_cmp(keys, isf, m, order[j - 1], v) > 0:
            order[j] = order[j - 1]
            j -= 1
        order[j] = v
    w = 8
    while w < n:
        lo = 0
        while lo < n:
            mid = lo + w if lo + w < n else n
            hi = lo + 2 * w if lo + 2 * w < n else n
            a = lo
            b = mid
            k = lo
            while a < mid and b < hi:
                if _row_cmp(keys, isf, m, src[b], src[a]) < 0:
                    dst[k] = src[b]
                    b += 1
                else:
                    dst[k] = src[a]
                    a += 1
                k += 1
            while a < mid:
                dst[k] = src[a]
                a += 1
                k += 1
            while b < hi:
                dst[k] = src[b]
                b += 1
                k += 1
            lo += 2 * w
        sw = src
        src = dst
        dst = sw
        w *= 2
    if src != order:
        memcpy(order, src, <size_t>n * sizeof(int64_t))


cdef object _unique_dim(Tensor t, object dim, bint return_inverse, bint return_counts):
    """unique(dim=): the distinct slices along dim in lexicographic order (on
    the host: the slices as rows of int64 or float64 keys, their order by a
    stable merge sort, equal neighbours (==: NaN rows stay apart) grouped)."""
    if t._dtype._kind == K_COMPLEX:
        raise NotImplementedError(_unique_name(t, "unique_dim"))
    if t._ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    cdef int d = _wrap_dim(dim, t._ndim), dev = _dev(t)
    cdef Py_ssize_t n = t._shape[d], m, i, u = 0
    _check_selected_dims(t, d)
    m = t._numel // n if n else 0
    cdef bint isf = t._dtype._kind == K_FLOAT
    cdef Tensor keys = _host(_cast(movedim(t, d, 0).reshape(n, m), t_float64 if isf else t_int64).contiguous())
    cdef Tensor order = _empty_list([n], t_int64)
    cdef Tensor firsts = _empty_list([n], t_int64)
    cdef Tensor cnts = _empty_list([n], t_int64)
    cdef Tensor inv = _empty_list([n], t_int64)
    cdef int64_t *o = <int64_t *>order._data
    cdef int64_t *fp = <int64_t *>firsts._data
    cdef int64_t *cp = <int64_t *>cnts._data
    cdef int64_t *iv = <int64_t *>inv._data
    cdef const char *kp = keys._data
    cdef int64_t *tmp = <int64_t *>malloc(<size_t>(n if n else 1) * sizeof(int64_t))
    if tmp == NULL:
        raise MemoryError()
    cdef const double *kf
    cdef bint same
    cdef Py_ssize_t c
    with nogil:
        for i in range(n):
            o[i] = i
        _row_sort(kp, isf, m, o, tmp, n)
        for i in range(n):
            if i == 0:
                same = False
            elif isf:
                # equal rows: == over the columns (a NaN makes them differ)
                kf = <const double *>kp
                same = True
                for c in range(m):
                    if kf[o[i] * m + c] != kf[o[i - 1] * m + c]:
                        same = False
                        break
            else:
                same = _row_cmp(kp, False, m, o[i], o[i - 1]) == 0
            if not same:
                fp[u] = o[i]
                cp[u] = i
                u += 1
            iv[o[i]] = u - 1
        for i in range(u):
            cp[i] = (cp[i + 1] if i + 1 < u else n) - cp[i]
    free(tmp)
    out = [index_select(t, d, _on(_narrow_view(firsts, 0, 0, u, ""), dev))]
    if return_inverse:
        out.append(_on(inv, dev))
    if return_counts:
        out.append(_on(_narrow_view(cnts, 0, 0, u, "").clone(), dev))
    return out[0] if len(out) == 1 else tuple(out)


def _plain_alias(Tensor t, size, stride, Py_ssize_t offset):
    """A tensor over t's memory that is not a view of it (no _base): what
    empty_strided and Tensor.new(tensor) give."""
    return _make_view_plain(t, offset, [int(s) for s in size], [int(s) for s in stride])


def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    return _tri_indices(row, col, offset, dtype, device, True)


def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    return _tri_indices(row, col, offset, dtype, device, False)


cdef object _tril_count(object row, object col, object offset):
    """How many (i, j) with i < row, j < col, j <= i + offset: row i holds
    min(max(i + offset + 1, 0), col) of them (python integers: no overflow)."""
    s = min(max(-offset, 0), row)              # the first row holding any
    e = max(min(max(col - offset - 1, 0), row), s)   # the first full row
    return (e - s) * (offset + 1) + (s + e - 1) * (e - s) // 2 + (row - e) * col


cdef Tensor _tri_indices(Py_ssize_t row, Py_ssize_t col, Py_ssize_t offset, object dtype,
                         object device, bint lower):
    cdef int dev = _device_code(device)
    cdef DType dt = _as_dtype(dtype)
    if dt is None:
        dt = t_int64
    if dt._kind != K_INT:
        raise NotImplementedError(f"\"{'tril' if lower else 'triu'}_indices\" not implemented for '{_SCALAR_NAMES[dt._code]}'")
    if row < 0:
        raise RuntimeError(f"row must be non-negative, got{row}")
    if col < 0:
        raise RuntimeError(f"col must be non-negative, got{col}")
    # past -row or col an offset changes nothing (and no sum below can overflow)
    offset = min(max(offset, -row - 1), col + 1)
    total = (_tril_count(row, col, offset) if lower else
             <object>row * <object>col - _tril_count(row, col, offset - 1))
    if 2 * total > 9223372036854775807:
        raise RuntimeError(f"Storage size calculation overflowed with sizes=[2, {total}]")
    cdef Py_ssize_t i, j, cnt = total, lo, hi
    cdef Tensor r = _empty_list([2, cnt], t_int64)
    cdef int64_t *p = <int64_t *>r._data
    cdef Py_ssize_t k = 0
    # only the rows that hold indices are visited (row may be huge when they are few)
    cdef Py_ssize_t first = max(0, -offset) if lower else 0
    cdef Py_ssize_t last = row if lower else min(row, max(0, col - offset))
    for i in range(min(first, row), last):
        if lower:
            lo = 0
            hi = min(col, i + offset + 1)
        else:
            lo = max(0, i + offset)
            hi = col
        for j in range(lo, hi):
            p[k] = i
            p[cnt + k] = j
            k += 1
    return _on(_cast(r, dt), dev)


# ------------------------------------------- index_put / index_copy / fill

cdef tuple _index_tuple(object indices, str fname):
    """index_put's `indices`: a tuple (or list) of tensors, as PyTorch's binding takes it."""
    if isinstance(indices, Tensor) or not isinstance(indices, (tuple, list)):
        raise TypeError(f"{fname}(): argument 'indices' (position 2) must be tuple of Tensors, not {type(indices).__name__}")
    for k, x in enumerate(indices):
        if not isinstance(x, Tensor):
            raise TypeError(f"expected Tensor as element {k} in argument 1, but got {type(x).__name__}")
    return tuple(indices)


cdef Tensor _index_put_op(Tensor t, object indices, object values, bint accumulate, bint inplace, str fname):
    cdef tuple ix = _index_tuple(indices, fname)
    if not isinstance(values, Tensor):
        raise TypeError(f"{fname}(): argument 'values' (position 3) must be Tensor, not {type(values).__name__}")
    cdef Tensor v = <Tensor>values
    if v._dtype is not t._dtype:
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got {_SCALAR_NAMES[t._dtype._code]} for the destination and {_SCALAR_NAMES[v._dtype._code]} for the source.")
    if inplace:
        _check_inplace(t)
        _check_no_overlap(t, v)
        if _inplace_needs_graph(t, values):
            return _inplace_with_graph(t, lambda c: _index_put_op(<Tensor>c, ix, values, accumulate, False, fname))
        _index_put(t, ix, _alias(v), accumulate)
        return t
    cdef Tensor r = _clone_contig(_alias(t))
    _index_put(r, ix, _alias(v), accumulate)
    if _grad_mode() and (_needs_grad(t) or _needs_grad(v)):
        record("index_put.accumulate" if accumulate else "index_put", r, (t, v), (ix,))
    return r


def index_put(input, indices, values, accumulate=False):
    return _index_put_op(_tensor_arg(input, "index_put"), indices, values, accumulate, False, "index_put")


def index_put_(input, indices, values, accumulate=False):
    return _index_put_op(_tensor_arg(input, "index_put_"), indices, values, accumulate, True, "index_put_")


cdef Tensor _along(Tensor idx, list shape, int d):
    """The 1-d index idx as an index of `shape` (whose dim d has idx's length):
    zero strides on the other dims."""
    st = [0] * len(shape)
    st[d] = idx._stride[0] if idx._ndim else 0
    return _make_view_plain(idx, idx._offset, shape, st)


cdef Tensor _wrap_negative(Tensor idx, Py_ssize_t size):
    """idx (int64, every entry in [-size, size)) with the negative entries counted from the end."""
    if not _first_negative(idx):
        return idx
    with _NoGrad():
        return where(idx < 0, idx + size, idx)


cdef str _slice_shape(list shape, int d):
    return " ".join(str(s) for k, s in enumerate(shape) if k != d)


cdef Tensor _index_copy_op(Tensor t, object dim, object index, object source, bint inplace):
    cdef str fname = "index_copy_"
    cdef Tensor idx = _tensor_arg(index, fname)
    cdef Tensor s = _tensor_arg(source, fname)
    cdef int nd = max(t._ndim, 1)
    cdef int d = _wrap_dim(dim, nd), k
    if idx._dtype._code != CT_INT64:
        raise RuntimeError(f"index_copy_(): Expected a long tensor for index, but got {_SCALAR_NAMES[idx._dtype._code]}")
    if idx._ndim > 1:
        raise IndexError(f"index_copy_(): Index should have dimension 1 or 0 (got {idx._ndim})")
    if s._dtype is not t._dtype:
        raise RuntimeError(f"index_copy_(): self and source expected to have the same dtype, but got (self) {_SCALAR_NAMES[t._dtype._code]} and (source) {_SCALAR_NAMES[s._dtype._code]}")
    if s._ndim and t._ndim and s._ndim != t._ndim:
        raise IndexError(f"index_copy_(): When source and destination are not scalars, their dimensionality must match. Source dimensionality ({s._ndim}), destination dimensionality ({t._ndim})")
    sshape = list(s.size()) if s._ndim else [1] * nd
    tshape = list(t.size()) if t._ndim else [1]
    if sshape[d] != idx._numel:
        raise IndexError(f"index_copy_(): Number of indices ({idx._numel}) should be equal to source.size(dim) ({sshape[d]})")
    for k in range(nd):
        if k != d and sshape[k] != tshape[k]:
            raise RuntimeError(f"index_copy_(): Source/destination tensor must have same slice shapes. Destination slice shape: {_slice_shape(tshape, d)} at dimension {d} and source slice shape: {_slice_shape(sshape, d)} at dimension 0.")
    idx = _reshape(idx, [idx._numel]).contiguous()
    cdef int64_t bad = _bad_index(idx, tshape[d], False)
    if bad != _NO_BAD:
        raise IndexError(f"index_copy_(): index {bad} is out of bounds for dimension {d} with size {tshape[d]}")
    if inplace:
        _check_inplace(t)
        if _inplace_needs_graph(t, source):
            return _inplace_with_graph(t, lambda c: _index_copy_op(<Tensor>c, d, idx, source, False))
    cdef Tensor r = t if inplace else _clone_contig(_alias(t))
    with _NoGrad():
        rv = _reshape(_alias(r), tshape) if r._ndim == 0 else r
        _run_scatter(rv, _along(idx, sshape, d), _reshape(_alias(s), sshape), d, False, True)
    if not inplace and _grad_mode() and (_needs_grad(t) or _needs_grad(s)):
        record("index_copy", r, (t, None, s), (d, idx))
    return r


def index_copy(input, dim=None, index=None, source=None, *, out=None, axis=None):
    dim = _dim_alias(dim, axis, "index_copy", ...)
    index = _required(index, "index_copy", "index")
    source = _required(source, "index_copy", "source")
    r = _index_copy_op(_tensor_arg(input, "index_copy"), dim, index, source, False)
    return _to_out(out, r, "index_copy", OUT_SAME)


def _index_copy_(self, dim=None, index=None, source=None, *, axis=None):
    dim = _dim_alias(dim, axis, "index_copy_", ...)
    index = _required(index, "index_copy_", "index")
    source = _required(source, "index_copy_", "source")
    cdef Tensor t = _tensor_arg(self, "index_copy_")
    _check_no_overlap(t, source)
    return _index_copy_op(t, dim, index, source, True)


cdef int64_t _NO_BAD = INT64_MIN


cdef int64_t _bad_index(Tensor idx, int64_t size, bint allow_neg) except? -1:
    """The first entry of a 1-d int64 index outside [0, size) (or [-size,
    size) with allow_neg), else _NO_BAD; a device index is read on the host."""
    cdef Tensor c = _host(idx.contiguous())
    cdef int64_t pos = _outside(c, -size if allow_neg else 0, size - 1)
    return _NO_BAD if pos < 0 else (<const int64_t *>c._data)[pos]


cdef Tensor _index_fill_op(Tensor t, object dim, object index, object value, bint inplace):
    cdef Tensor idx = _tensor_arg(index, "index_fill_")
    cdef int nd = max(t._ndim, 1)
    cdef int d = _wrap_dim(dim, nd)
    if idx._dtype._code != CT_INT64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    if idx._ndim > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    cdef Tensor v
    if isinstance(value, Tensor):
        v = <Tensor>value
        if v._ndim != 0:
            raise RuntimeError(f"index_fill_ only supports a 0-dimensional value tensor, but got tensor with {v._ndim} dimension(s).")
    else:
        v = _scalar_tensor(value, t._dtype)
    tshape = list(t.size()) if t._ndim else [1]
    idx = _reshape(idx, [idx._numel]).contiguous()
    cdef int64_t bad = _bad_index(idx, tshape[d], True)
    if bad != _NO_BAD:
        raise IndexError(f"index {bad} is out of bounds for dimension {d} with size {tshape[d]}")
    idx = _wrap_negative(idx, tshape[d])
    if inplace:
        _check_inplace(t)
        if _inplace_needs_graph(t, value):
            return _inplace_with_graph(t, lambda c: _index_fill_op(<Tensor>c, d, idx, value, False))
    cdef Tensor r = t if inplace else _clone_contig(_alias(t))
    ishape = list(tshape)
    ishape[d] = idx._numel
    cdef int64_t run = 1
    with _NoGrad():
        vv = _on(_cast(_alias(v), t._dtype), _dev(t))
        rv = _reshape(_alias(r), tshape) if r._ndim == 0 else r
        for k in range(d + 1, nd):
            run *= tshape[k]
        if run >= 16 and all(tshape[k] == 1 for k in range(d)):
            # each index a run of the elements after dim d: the value as one
            # such run (zero strides along the indices), which the scatter
            # copies row by row in a vector loop (a 0-d value went element
            # by element: 0.3x PyTorch's speed)
            vv = vv.expand(tshape[d + 1:]).contiguous().reshape([1] * (d + 1) + tshape[d + 1:]).expand(ishape)
        _run_scatter(rv, _along(idx, ishape, d), vv, d, False, True)
    if not inplace and _grad_mode() and (_needs_grad(t) or _needs_grad(value)):
        if isinstance(value, Tensor):
            record("index_fill.Tensor", r, (t, None, value), (d, idx))
        else:
            record("index_fill.Scalar", r, (t, None), (d, idx))
    return r


def index_fill(input, dim=None, index=None, value=None, *, axis=None):
    dim = _dim_alias(dim, axis, "index_fill", ...)
    index = _required(index, "index_fill", "index")
    value = _required(value, "index_fill", "value")
    return _index_fill_op(_tensor_arg(input, "index_fill"), dim, index, value, False)


def _index_fill_(self, dim=None, index=None, value=None, *, axis=None):
    dim = _dim_alias(dim, axis, "index_fill_", ...)
    index = _required(index, "index_fill_", "index")
    value = _required(value, "index_fill_", "value")
    return _index_fill_op(_tensor_arg(self, "index_fill_"), dim, index, value, True)


# ------------------------------------------------------- scatter_reduce

cdef dict _REDUCE_OPS = {"prod": 0, "amax": 1, "amin": 2}


cdef int _run_scatter_red(Tensor self, Tensor idx, Tensor src, int d, int op,
                          bint nonneg=False) except -1:
    """self[... idx ...] = op(self[...], src) in place, op 0 prod, 1 amax,
    2 amin; indices already checked, but for the sign where nonneg (the
    kernel then reports a negative one). A device without the kernel runs it
    on a host copy."""
    cdef Tensor h
    if idx._numel == 0:
        return 0
    _same_device(self, idx)
    _same_device(self, src)
    if self._storage.backend.scatter_reduce == NULL:
        h = _host(self).clone()
        _run_scatter_red(h, _host(idx), _host(src), d, op, nonneg)
        _copy_into(self, _to_device(h, self._storage.device), False)
        _bump(self)
        return 0
    cdef ct_scatter_fn fn = self._storage.backend.scatter_reduce[op * CT_NDTYPES + self._dtype._code]
    if fn == NULL:
        raise NotImplementedError(f"\"scatter_gather_tensor_cpu_reduce_{('prod', 'amax', 'amin')[op]}\" not implemented for '{_SCALAR_NAMES[self._dtype._code]}'")
    return _launch_scatter(fn, self, idx, src, d, nonneg)


cdef object _red_identity(DType dt, str reduce):
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    cdef bint mx = reduce == "amax"
    if dt._code == CT_BOOL:
        return not mx
    if dt._kind == K_FLOAT:
        return float("-inf") if mx else float("inf")
    info = {CT_UINT8: (0, 255), CT_INT8: (-128, 127), CT_INT16: (-32768, 32767),
            CT_INT32: (-2147483648, 2147483647),
            CT_INT64: (-9223372036854775807 - 1, 9223372036854775807)}[dt._code]
    return info[0] if mx else info[1]


cdef int _scatter_reduce_into(Tensor r, int d, Tensor idx, Tensor s, str reduce, bint include_self,
                              bint nonneg=False) except -1:
    """r (a fresh copy of self) reduced in place with s scattered by idx
    (nonneg: idx's sign not yet checked, left to the kernels' check)."""
    cdef Tensor cnt
    if reduce == "mean" and r._dtype._code == CT_BOOL:
        raise NotImplementedError("\"scatter_gather_tensor_cpu_reduce_mean\" not implemented for 'Bool'")
    if (reduce == "amax" or reduce == "amin") and r._dtype._kind == K_COMPLEX:
        raise NotImplementedError(f"\"scatter_gather_tensor_cpu_reduce_{reduce}\" not implemented for '{_SCALAR_NAMES[r._dtype._code]}'")
    if idx._numel == 0:
        return 0
    with _NoGrad():
        if not include_self:
            _run_scatter(r, idx, _on(_scalar_tensor(_red_identity(r._dtype, reduce), r._dtype), _dev(r)), d, False, True, nonneg)
        if reduce == "sum" or reduce == "mean":
            _run_scatter(r, idx, s, d, True, True, nonneg)
            if reduce == "mean":
                cnt = ones_like(r) if include_self else zeros(list(r.size()), dtype=r._dtype, device=r.device)
                _run_scatter(cnt, idx, _on(_scalar_tensor(1, r._dtype), _dev(r)), d, True, True, nonneg)
                cnt = cnt.masked_fill(cnt == 0, 1)
                if r._dtype._kind == K_INT:
                    q = r.div(cnt, rounding_mode="floor")
                else:
                    q = r.div(cnt)
                _copy_into(r, q, False)
        else:
            _run_scatter_red(r, idx, s, d, _REDUCE_OPS[reduce], nonneg)
    return 0


cdef int _bool_arg(object v, str fname, str name) except -1:
    if not isinstance(v, bool):
        raise TypeError(f"{fname}(): argument '{name}' must be bool, not {type(v).__name__}")
    return 0


cdef Tensor _scatter_reduce_op(Tensor t, object dim, object index, object src, object reduce,
                               bint include_self, bint inplace, str fname):
    cdef Tensor idx = _tensor_arg(index, fname)
    if not isinstance(src, Tensor):
        raise TypeError(f"{fname}(): argument 'src' (position 4) must be Tensor, not {type(src).__name__}")
    if reduce not in ("sum", "prod", "mean", "amax", "amin"):
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
    if idx._dtype._code != CT_INT64:
        raise RuntimeError(f"{fname}(): Expected dtype int64 for index")
    cdef Tensor s = <Tensor>src
    cdef int d = _wrap_dim(dim, max(t._ndim, 1))
    if s._dtype is not t._dtype:
        raise RuntimeError(f"{fname}(): Expected self.dtype to be equal to src.dtype")
    _gather_check(t, idx, s, d, fname, True)
    # on the host the kernels' bounds check also finds a negative index
    cdef bint host = t._storage.device < 0
    cdef int64_t neg = _first_negative(idx) if idx._numel and not host else 0
    if neg:
        raise RuntimeError(f"index {neg} is out of bounds for dimension {d} with size {t._shape[d] if t._ndim else 1}")
    if inplace:
        _check_inplace(t)
        if _inplace_needs_graph(t, src):
            return _inplace_with_graph(t, lambda c: _scatter_reduce_op(<Tensor>c, d, idx, src, reduce, include_self, False, fname))
        _scatter_reduce_into(t, d, idx, _alias(s), reduce, include_self, host)
        return t
    cdef Tensor r = _clone_contig(_alias(t))
    _scatter_reduce_into(r, d, idx, _alias(s), reduce, include_self, host)
    if _grad_mode() and (_needs_grad(t) or _needs_grad(s)):
        record("scatter_reduce", r, (t, None, s), (d, idx, reduce, include_self))
    return r


def scatter_reduce(input, dim=None, index=None, src=None, reduce=None, *, include_self=True, out=None, axis=None):
    dim = _dim_alias(dim, axis, "scatter_reduce", ...)
    index = _required(index, "scatter_reduce", "index")
    src = _required(src, "scatter_reduce", "src")
    reduce = _required(reduce, "scatter_reduce", "reduce")
    _bool_arg(include_self, "scatter_reduce", "include_self")
    r = _scatter_reduce_op(_tensor_arg(input, "scatter_reduce"), dim, index, src, reduce,
                           include_self, False, "scatter_reduce")
    return _to_out(out, r, "scatter_reduce", OUT_SAME)


def _scatter_reduce_(self, dim=None, index=None, src=None, reduce=None, *, include_self=True, axis=None):
    dim = _dim_alias(dim, axis, "scatter_reduce_", ...)
    index = _required(index, "scatter_reduce_", "index")
    src = _required(src, "scatter_reduce_", "src")
    reduce = _required(reduce, "scatter_reduce_", "reduce")
    _bool_arg(include_self, "scatter_reduce_", "include_self")
    cdef Tensor t = _tensor_arg(self, "scatter_reduce_")
    _check_no_overlap(t, src)
    return _scatter_reduce_op(t, dim, index, src, reduce, include_self, True, "scatter_reduce_")


cdef Tensor _scatter_legacy_reduce(Tensor t, object dim, object index, object src, object value,
                                   object reduce, bint inplace, str fname):
    """scatter(..., reduce='add' | 'multiply'), PyTorch's deprecated form."""
    if reduce not in ("add", "multiply"):
        raise RuntimeError("reduce argument must be either add or multiply.")
    cdef Tensor idx, s
    cdef int d
    idx, d, s, src = _scatter_args(t, dim, index, src, value, fname)
    cdef int64_t neg = _first_negative(idx) if idx._numel else 0
    if neg:
        raise RuntimeError(f"index {neg} is out of bounds for dimension {d} with size {t._shape[d] if t._ndim else 1}")
    if inplace:
        _check_inplace(t)
    cdef Tensor r = t if inplace else _clone_contig(_alias(t))
    _scatter_reduce_into(r, d, idx, _alias(s), "sum" if reduce == "add" else "prod", True)
    if not inplace and _grad_mode() and (_needs_grad(t) or _needs_grad(src)):
        record("scatter.reduce", r, (t, None, src) if isinstance(src, Tensor) else (t, None, None), ())
    return r


# ---------------------------------------------------------- index_reduce

cdef Tensor _index_reduce_op(Tensor t, object dim, object index, object source, object reduce,
                             bint include_self, bint inplace):
    cdef str fname = "index_reduce_"
    cdef Tensor idx = _tensor_arg(index, fname)
    cdef Tensor s = _tensor_arg(source, fname)
    cdef int nd = max(t._ndim, 1)
    cdef int d = _wrap_dim(dim, nd), k
    if reduce not in ("prod", "mean", "amax", "amin"):
        raise RuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got {reduce}.")
    if idx._dtype._code != CT_INT64 and idx._dtype._code != CT_INT32:
        raise RuntimeError(f"index_reduce_(): Expected dtype int32/int64 for index but got: {_SCALAR_NAMES[idx._dtype._code]}")
    if idx._ndim > 1:
        raise IndexError("index_reduce_(): Index is supposed to be a vector")
    if s._dtype is not t._dtype:
        raise RuntimeError(f"index_reduce_(): self ({_SCALAR_NAMES[t._dtype._code]}) and source ({_SCALAR_NAMES[s._dtype._code]}) must have the same scalar type")
    sshape = list(s.size()) if s._ndim else [1] * nd
    tshape = list(t.size()) if t._ndim else [1]
    if len(sshape) != nd:
        raise IndexError("index_reduce_(): Source/destination tensor must have same dimensions")
    if sshape[d] != idx._numel:
        raise RuntimeError(f"index_reduce_(): Number of indices ({idx._numel}) should be equal to source.size(dim): ({sshape[d]}), for dim: {d}")
    for k in range(nd):
        if k != d and sshape[k] != tshape[k]:
            raise RuntimeError(f"index_reduce_(): Source/destination tensor must have same slice shapes. Destination slice shape: {_fmt_shape(tshape[:d] + tshape[d + 1:])} at dimension {d} and source slice shape: {_fmt_shape(sshape[:d] + sshape[d + 1:])} at dimension 0.")
    if t._dtype._kind == K_COMPLEX:
        raise NotImplementedError(f"\"index_func_\" not implemented for '{_SCALAR_NAMES[t._dtype._code]}'")
    idx = _reshape(_cast(idx, t_int64), [idx._numel]).contiguous()
    if _bad_index(idx, tshape[d], False) != _NO_BAD:
        raise IndexError("index out of range in self")
    if inplace:
        _check_inplace(t)
        if _inplace_needs_graph(t, source):
            return _inplace_with_graph(t, lambda c: _index_reduce_op(<Tensor>c, d, idx, source, reduce, include_self, False))
    cdef Tensor r = t if inplace else _clone_contig(_alias(t))
    cdef Tensor ie = _along(idx, sshape, d)
    cdef Tensor sv = _reshape(_alias(s), sshape)
    rv = _reshape(_alias(r), tshape) if r._ndim == 0 else r
    _scatter_reduce_into(rv, d, ie, sv, reduce, include_self)
    if not inplace and _grad_mode() and (_needs_grad(t) or _needs_grad(s)):
        record("index_reduce", r, (t, None, s), (d, idx, reduce, include_self))
    return r


def index_reduce(input, dim=None, index=None, source=None, reduce=None, *, include_self=True, out=None, axis=None):
    dim = _dim_alias(dim, axis, "index_reduce", ...)
    index = _required(index, "index_reduce", "index")
    source = _required(source, "index_reduce", "source")
    reduce = _required(reduce, "index_reduce", "reduce")
    _bool_arg(include_self, "index_reduce", "include_self")
    r = _index_reduce_op(_tensor_arg(input, "index_reduce"), dim, index, source, reduce, include_self, False)
    return _to_out(out, r, "index_reduce", OUT_SAME)


def _index_reduce_(self, dim=None, index=None, source=None, reduce=None, *, include_self=True, axis=None):
    dim = _dim_alias(dim, axis, "index_reduce_", ...)
    index = _required(index, "index_reduce_", "index")
    source = _required(source, "index_reduce_", "source")
    reduce = _required(reduce, "index_reduce_", "reduce")
    _bool_arg(include_self, "index_reduce_", "include_self")
    cdef Tensor t = _tensor_arg(self, "index_reduce_")
    _check_no_overlap(t, source)
    return _index_reduce_op(t, dim, index, source, reduce, include_self, True)


# ------------------------------------------------------ masked_scatter, put

cdef Tensor _masked_scatter_op(Tensor t, object mask, object source, bint inplace):
    cdef Tensor m = _tensor_arg(mask, "masked_scatter_")
    cdef Tensor s = _tensor_arg(source, "masked_scatter_")
    if m._dtype is not t_bool:
        raise RuntimeError(f"masked_scatter_ only supports boolean masks, but got mask with dtype {_SCALAR_NAMES[m._dtype._code]}")
    if s._dtype is not t._dtype:
        raise RuntimeError(f"masked_scatter: expected self and source to have same dtypes but got{_SCALAR_NAMES[t._dtype._code]} and {_SCALAR_NAMES[s._dtype._code]}")
    _same_device(t, m)
    if inplace:
        _check_inplace(t)
        mb = _expand(_alias(m), list(t.size()))
        if _inplace_needs_graph(t, source):
            return _inplace_with_graph(t, lambda c: _masked_scatter_op(<Tensor>c, mb, source, False))
    cdef Iter it
    cdef Tensor r, pos
    cdef Py_ssize_t n
    if _mask_fast(t, m) and s._storage.device < 0 and _is_contiguous(s):
        r = t if inplace else _clone_contig(_alias(t))
        _masked_scatter_dense(r, m, s)
        if inplace:
            _bump(t)
        elif _grad_mode() and (_needs_grad(t) or _needs_grad(s)):
            record("masked_scatter", r, (t, None, s), (m,))
        return r
    if not inplace:
        _broadcast_shape(&it, m, t, None)     # PyTorch's RuntimeError when they do not broadcast
    shp = list(t.size()) if inplace else _broadcast_list([list(m.size()), list(t.size())])
    cdef Tensor mb2 = _expand(_alias(m), shp)
    with _NoGrad():
        pos = _nonzero_positions(mb2)
        n = pos._numel
        if n > s._numel:
            raise RuntimeError("Number of elements of source < number of ones in mask")
        if inplace:
            r = t
        else:
            r = _empty_list(shp, t._dtype, _dev(t))
            _copy_into(r, _expand(_alias(t), shp), False)
        if n:
            flat_r = _reshape(r, [r._numel]) if r.is_contiguous() else None
            vals = _narrow_view(_reshape(_alias(s), [s._numel]), 0, 0, n, "")
            if flat_r is not None:
                _run_scatter(flat_r, pos, vals.contiguous(), 0, False, True)
            else:
                _index_put(r, (mb2,), vals, False)
    if not inplace and _grad_mode() and (_needs_grad(t) or _needs_grad(s)):
        record("masked_scatter", r, (t, None, s), (mb2,))
    return r


cdef int _masked_scatter_dense(Tensor r, Tensor m, Tensor s) except -1:
    """r's elements where m is true replaced by s's leading ones, in order
    (r, m and s dense CPU tensors, r and m of one shape)."""
    cdef const uint8_t *mp = <const uint8_t *>m._data
    cdef Py_ssize_t n = r._numel, c, ns = s._numel
    with nogil:
        c = _mask_count(mp, n)
    if c > ns:
        raise RuntimeError("Number of elements of source < number of ones in mask")
    if c == 0:
        return 0
    cdef char *d = r._data
    cdef const char *sp = s._data
    cdef int es = r._dtype.itemsize
    with nogil:
        if es == 1:
            _expand_w(<uint8_t *>d, <const uint8_t *>sp, ns, mp, n)
        elif es == 2:
            _expand_w(<uint16_t *>d, <const uint16_t *>sp, ns, mp, n)
        elif es == 4:
            _expand_w(<uint32_t *>d, <const uint32_t *>sp, ns, mp, n)
        else:
            _expand_w(<uint64_t *>d, <const uint64_t *>sp, ns, mp, n)
    return 0


cdef Tensor _nonzero_positions(Tensor m):
    """The flat (C order) positions of a bool tensor's true elements, int64 on its device."""
    cdef Tensor c = _host(m.contiguous())
    cdef const uint8_t *p = <const uint8_t *>c._data
    cdef Py_ssize_t i, n = 0
    for i in range(c._numel):
        n += p[i] != 0
    cdef Tensor out = _empty_list([n], t_int64)
    cdef int64_t *o = <int64_t *>out._data
    n = 0
    for i in range(c._numel):
        if p[i]:
            o[n] = i
            n += 1
    return _on(out, _dev(m))


def masked_scatter(input, mask, source):
    return _masked_scatter_op(_tensor_arg(input, "masked_scatter"), mask, source, False)


def _masked_scatter_(self, mask, source):
    return _masked_scatter_op(_tensor_arg(self, "masked_scatter_"), mask, source, True)


cdef Tensor _put_op(Tensor t, object index, object source, bint accumulate, bint inplace):
    cdef Tensor idx = _tensor_arg(index, "put_")
    cdef Tensor s = _tensor_arg(source, "put_")
    if idx._dtype._code != CT_INT64:
        raise RuntimeError(f"put_(): Expected a long tensor for index, but got {_SCALAR_NAMES[idx._dtype._code]}")
    if s._dtype is not t._dtype:
        raise RuntimeError(f"put_(): self and source expected to have the same dtype, but got self.dtype = {_SCALAR_NAMES[t._dtype._code]} and source.dtype = {_SCALAR_NAMES[s._dtype._code]}")
    if s._numel != idx._numel:
        raise IndexError(f"put_(): Expected source and index to have the same number of elements, but got source.numel() = {s._numel}, index.numel() = {idx._numel}")
    cdef Py_ssize_t n = t._numel
    if n == 0 and idx._numel:
        raise IndexError("put_(): Tried to put elements into an empty tensor")
    cdef Tensor flat_idx = _reshape(idx, [idx._numel]).contiguous()
    cdef int64_t bad
    # the common case, every index in [0, n), in one pass; else the first
    # one outside [-n, n) is an error and the negative ones count from the end
    if _outside(_host(flat_idx), 0, n - 1) >= 0:
        bad = _bad_index(flat_idx, n, True)
        if bad != _NO_BAD:
            raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} elements.")
        flat_idx = _wrap_negative(flat_idx, n)
    if inplace:
        _check_inplace(t)
        if _inplace_needs_graph(t, source):
            return _inplace_with_graph(t, lambda c: _put_op(<Tensor>c, flat_idx, source, accumulate, False))
    cdef Tensor r
    with _NoGrad():
        if inplace and t.is_contiguous():
            r = t
        else:
            r = _empty_list(list(t.size()), t._dtype, _dev(t))
            _copy_into(r, t, False)
        if idx._numel:
            _run_scatter(_reshape(r, [n]), flat_idx, _reshape(_alias(s), [s._numel]).contiguous(), 0, accumulate, True)
        if inplace and r is not t:
            _copy_into(t, r, False)
            r = t
    if not inplace and _grad_mode() and (_needs_grad(t) or _needs_grad(s)):
        record("put", r, (t, None, s), (flat_idx, accumulate))
    return r


def put(input, index, source, accumulate=False):
    return _put_op(_tensor_arg(input, "put"), index, source, accumulate, False)


def _put_(self, index, source, accumulate=False):
    cdef Tensor t = _tensor_arg(self, "put_")
    _check_no_overlap(t, source)
    return _put_op(t, index, source, accumulate, True)


# ---------------------------------------------------------- take_along_dim

def take_along_dim(input, indices, dim=None, *, out=None, axis=None):
    dim = _dim_alias(dim, axis, "take_along_dim")
    cdef Tensor t = _tensor_arg(input, "take_along_dim")
    cdef Tensor idx = _tensor_arg(indices, "take_along_dim")
    if idx._dtype._code != CT_INT64:
        raise RuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but got {_SCALAR_NAMES[idx._dtype._code]}")
    cdef int d
    cdef Py_ssize_t size
    if dim is None:
        flat = t.reshape(-1)
        fi = idx.reshape(-1)
        size = t._numel
        fi = _wrap_neg_checked(fi, size, 0)
        return gather(flat, 0, fi, out=out)
    d = _wrap_dim(dim, max(t._ndim, 1))
    if t._ndim != idx._ndim:
        raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same number of dimensions, but got {t._ndim} dimensions for input, and {idx._ndim} dimensions for indices")
    ts = list(t.size())
    ishp = list(idx.size())
    a = list(ts)
    b = list(ishp)
    if t._ndim:
        a[d] = ishp[d]
        b[d] = ts[d]
    ishape = _broadcast_pair(a, ishp)
    tshape = _broadcast_pair(ts, b)
    size = ts[d] if t._ndim else 1
    idx = _wrap_neg_checked(idx, size, d)
    te = t if tshape == ts else t.expand(tshape)
    ie = idx if ishape == ishp else idx.expand(ishape)
    return gather(te, d, ie, out=out)


cdef Tensor _wrap_neg_checked(Tensor idx, Py_ssize_t size, int d):
    """Negative indices of take_along_dim count from the end (those below -size are errors)."""
    cdef int64_t neg = _first_negative(idx) if idx._numel else 0
    if not neg:
        return idx
    if neg < -size:
        raise RuntimeError(f"index {neg} is out of bounds for dimension {d} with size {size}")
    with _NoGrad():
        w = where(idx < 0, idx + size, idx)
    neg = _first_negative(w)
    if neg:
        raise RuntimeError(f"index {neg - size} is out of bounds for dimension {d} with size {size}")
    return w


# ------------------------------------------- slice/select/diagonal scatter

cdef Tensor _view_scatter(Tensor t, object src, object view_fn, str op, tuple args):
    """A copy of t with the view view_fn(copy) overwritten by src."""
    cdef Tensor s = _tensor_arg(src, op)
    cdef Tensor r, v
    with _NoGrad():
        r = _clone_contig(_alias(t))
        v = view_fn(r)
        if list(v.size()) != list(s.size()):
            raise RuntimeError(f"expected src to have a size equal to the slice of self. src size = {_fmt_shape(s.size())}, slice size = {_fmt_shape(v.size())}")
        _copy_into(v, _on(_alias(s), _dev(t)), True)
    if _grad_mode() and (_needs_grad(t) or _needs_grad(s)):
        record(op, r, (t, s), args)
    return r


cdef int _int_args(str fname, tuple names, tuple values, int first, bint optional) except -1:
    """PyTorch's parser error for an int argument that is not an int."""
    for k in range(len(names)):
        v = values[k]
        if (v is None and optional) or (isinstance(v, int) and not isinstance(v, bool)):
            continue
        if isinstance(v, Tensor) and (<Tensor>v)._ndim == 0 and (<Tensor>v)._dtype._kind == K_INT:
            continue
        raise TypeError(f"{fname}(): argument '{names[k]}' (position {first + k}) must be int, not {type(v).__name__}")
    return 0


cdef tuple _slices(int d, object start, object end, object step):
    return (slice(None),) * d + (slice(start, end, step),)


def slice_scatter(input, src, dim=0, start=None, end=None, step=1, *, out=None):
    cdef Tensor t = _tensor_arg(input, "slice_scatter")
    _int_args("slice_scatter", ("start", "end", "step"), (start, end, step), 4, True)
    cdef int d = _wrap_dim(dim, max(t._ndim, 1))
    if step is not None and step <= 0:
        raise RuntimeError("slice step must be positive")
    sl = _slices(d, start, end, step)
    r = _view_scatter(t, src, lambda r: _getitem(r, sl), "slice_scatter", (d, start, end, step))
    return _to_out(out, r, "slice_scatter", OUT_SAME)


def select_scatter(input, src, dim, index):
    cdef Tensor t = _tensor_arg(input, "select_scatter")
    _int_args("select_scatter", ("index",), (index,), 4, False)
    index = operator.index(index)
    cdef int d = _wrap_dim(dim, max(t._ndim, 1))
    cdef Py_ssize_t size = t._shape[d] if t._ndim else 1
    if index < -size or index >= size:
        raise IndexError(f"select(): index {index} out of range for tensor of size {_fmt_shape(t.size())} at dimension {d}")
    return _view_scatter(t, src, lambda r: _select(r, d, index + size if index < 0 else index),
                         "select_scatter", (d, index))


def diagonal_scatter(input, src, offset=0, dim1=0, dim2=1):
    cdef Tensor t = _tensor_arg(input, "diagonal_scatter")
    _int_args("diagonal_scatter", ("offset", "dim1", "dim2"), (offset, dim1, dim2), 3, False)
    from ctorch._ops.views import diagonal
    return _view_scatter(t, src, lambda r: diagonal(r, offset, dim1, dim2), "diagonal_scatter",
                         (offset, dim1, dim2))


def as_strided_scatter(input, src, size, stride, storage_offset=None):
    cdef Tensor t = _tensor_arg(input, "as_strided_scatter")
    from ctorch._ops.views import as_strided
    return _view_scatter(t, src, lambda r: as_strided(r, size, stride, storage_offset),
                         "as_strided_scatter", (tuple(size), tuple(stride), storage_offset))


def _fill_diagonal_(self, fill_value, wrap=False):
    cdef Tensor t = _tensor_arg(self, "fill_diagonal_")
    if t._ndim < 2:
        raise RuntimeError("dimensions must larger than 1")
    cdef int k
    if t._ndim > 2:
        for k in range(1, t._ndim):
            if t._shape[k] != t._shape[0]:
                raise RuntimeError("all dimensions of input must be of equal length")
    cdef Py_ssize_t rows = t._shape[0], cols = t._shape[1], start
    if t._ndim > 2 or not wrap or rows <= cols + 1:
        if t._ndim == 2:
            t.diagonal().fill_(fill_value)
        else:
            n = rows
            st = sum(t.stride())
            t.as_strided([n], [st], t.storage_offset()).fill_(fill_value)
        return t
    # wrap: past every `cols` rows one row is skipped, and the diagonal starts again
    start = 0
    while start < rows:
        t.narrow(0, start, min(cols, rows - start)).diagonal().fill_(fill_value)
        start += cols + 1
    return t


# --------------------------------------------- argwhere, isin, nonzero_static

def argwhere(input):
    from ctorch._ops.index import nonzero
    return nonzero(_tensor_arg(input, "argwhere"))


def isin(elements, test_elements, *, assume_unique=False, invert=False, out=None):
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError(f"isin() received an invalid combination of arguments - got ({type(elements).__name__}, {type(test_elements).__name__}), but expected one of:\n"
                        " * (Tensor elements, Tensor test_elements, *, bool assume_unique = False, bool invert = False, Tensor out = None)\n"
                        " * (Number element, Tensor test_elements, *, bool assume_unique = False, bool invert = False, Tensor out = None)\n"
                        " * (Tensor elements, Number test_element, *, bool assume_unique = False, bool invert = False, Tensor out = None)")
    cdef Tensor e, s
    cdef int dev
    if isinstance(elements, Tensor):
        e = <Tensor>elements
        dev = _dev(e)
        s = <Tensor>test_elements if isinstance(test_elements, Tensor) else _on(_scalar_tensor(test_elements, _result_dtype_of(e, test_elements)), dev)
    else:
        s = <Tensor>test_elements
        dev = _dev(s)
        e = _on(_scalar_tensor(elements, _result_dtype_of(s, elements)), dev)
    for x in (e, s):
        if (<Tensor>x)._dtype._kind == K_COMPLEX or (<Tensor>x)._dtype._code == CT_BOOL:
            raise RuntimeError(f"Unsupported input type encountered for isin(): {_SCALAR_NAMES[(<Tensor>x)._dtype._code]}")
    _same_device(e, s)
    from ctorch._ops.sort import sort, searchsorted
    cdef DType dt = _promote(e._dtype, s._dtype)
    cdef Tensor r, ec, sc, sv, pos
    with _NoGrad():
        ec = _cast(_alias(e), dt)
        sc = _cast(_reshape(_alias(s), [s._numel]), dt)
        if sc._numel == 0:
            r = zeros(list(e.size()), dtype=t_bool, device=e.device)
        else:
            sv = sort(sc)[0] if sc._numel > 1 else sc
            pos = searchsorted(sv, ec)
            pos = clamp(pos, None, sc._numel - 1)
            hit = index_select(sv, 0, _reshape(pos, [pos._numel])).reshape(list(e.size()))
            r = hit == ec
        if invert:
            r = r.logical_not()
    return _to_out(out, r, "isin", OUT_SAME)


cdef DType _result_dtype_of(Tensor t, object scalar):
    from ctorch._ops.elementwise import result_type
    return result_type(t, scalar)


cdef DType _promote(DType a, DType b):
    from ctorch._core.dtype import promote_types
    return promote_types(a, b)


def nonzero_static(input, *, size, fill_value=-1, out=None):
    return _to_out(out, _nonzero_static(input, size, fill_value), "nonzero_static", OUT_SAME)


def _nonzero_static(input, size, fill_value):
    cdef Tensor t = _tensor_arg(input, "nonzero_static")
    if not isinstance(size, int) or isinstance(size, bool):
        raise TypeError(f"nonzero_static(): argument 'size' must be int, not {type(size).__name__}")
    if size < 0:
        raise RuntimeError("nonzero_static: 'size' must be an non-negative integer")
    from ctorch._ops.index import nonzero
    r = nonzero(t)
    n = r.shape[0]
    if n >= size:
        return r[:size].clone() if n > size else r
    from ctorch._ops.creation import full
    pad = full([size - n, r.shape[1]], fill_value, dtype=t_int64, device=t.device)
    return cat([r, pad])


def unravel_index(indices, shape):
    if not isinstance(indices, Tensor):
        raise TypeError(f"unravel_index(): argument 'indices' must be Tensor, not {type(indices).__name__}")
    cdef Tensor ix = <Tensor>indices
    if ix._dtype._kind != K_INT or ix._dtype._code == CT_BOOL:
        raise TypeError(f"expected 'indices' to be integer dtype, but got {ix.dtype}")
    if isinstance(shape, int) and not isinstance(shape, bool):
        shape = (shape,)
    if not isinstance(shape, (list, tuple)):
        raise TypeError(f"expected 'shape' to be int or sequence of ints, but got {type(shape)}")
    shape = tuple(shape)
    for s in shape:
        if not isinstance(s, int) or isinstance(s, bool):
            raise TypeError(f"expected 'shape' sequence to only contain ints, but got {type(s)}")
    if any(s < 0 for s in shape):
        raise ValueError(f"'shape' cannot have negative values, but got {shape}")
    cdef list outs = []
    coef = 1
    with _NoGrad():
        i64 = _cast(ix, t_int64)
        for s in reversed(shape):
            q = i64.div(coef, rounding_mode="floor") if coef != 1 else i64
            outs.append(q.remainder(s) if s else q * 0)
            coef *= s
    return tuple(reversed(outs))


for _name, _fn in (("split", _split_method), ("chunk", chunk), ("unbind", unbind),
                   ("split_with_sizes", split_with_sizes), ("unsafe_split", unsafe_split),
                   ("unsafe_split_with_sizes", unsafe_split_with_sizes),
                   ("unsafe_chunk", unsafe_chunk),
                   ("tensor_split", tensor_split), ("movedim", movedim), ("moveaxis", movedim),
                   ("flip", _flip_method), ("fliplr", fliplr), ("flipud", flipud), ("roll", roll),
                   ("rot90", rot90), ("repeat", _repeat), ("tile", tile),
                   ("repeat_interleave", repeat_interleave), ("gather", gather),
                   ("scatter", scatter), ("scatter_", _scatter_), ("scatter_add", scatter_add),
                   ("scatter_add_", _scatter_add_), ("index_add", index_add),
                   ("index_add_", _index_add_), ("index_select", index_select),
                   ("masked_fill", masked_fill), ("masked_fill_", _masked_fill_),
                   ("masked_select", masked_select), ("take", _take_method), ("unique", unique),
                   ("unique_consecutive", unique_consecutive),
                   ("index_put", index_put), ("index_put_", index_put_), ("index_copy", index_copy),
                   ("index_copy_", _index_copy_), ("index_fill", index_fill), ("index_fill_", _index_fill_),
                   ("index_reduce", index_reduce), ("index_reduce_", _index_reduce_),
                   ("scatter_reduce", scatter_reduce), ("scatter_reduce_", _scatter_reduce_),
                   ("masked_scatter", masked_scatter), ("masked_scatter_", _masked_scatter_),
                   ("put", put), ("put_", _put_), ("take_along_dim", take_along_dim),
                   ("slice_scatter", slice_scatter), ("select_scatter", select_scatter),
                   ("diagonal_scatter", diagonal_scatter), ("as_strided_scatter", as_strided_scatter),
                   ("fill_diagonal_", _fill_diagonal_), ("argwhere", argwhere),
                   ("nonzero_static", nonzero_static)):
    _add_method(_name, _fn)
