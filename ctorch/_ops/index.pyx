# cython: language_level=3
"""Indexing: ints, slices, None and Ellipsis give views; integer and boolean
tensors (or lists) are advanced indices that gather into a new tensor, with
numpy's placement rule for the broadcast index dims. Assignment uses the same
decomposition and writes through the view or scatters; on a tensor in a
graph it computes out of place and hands its history over, as every
in-place op does."""

from libc.string cimport memcpy
from libc.stdint cimport int64_t, uint8_t

from ctorch._core.dtype cimport *
from ctorch._core.backend cimport *
from ctorch._core.tensor cimport *
from ctorch._core.iterator cimport *
from ctorch._core.dispatch cimport _CPU
from ctorch._ops.creation cimport _is_ndarray
from ctorch._ops.elementwise cimport _cast, _as_operand_tensor, _binary, _inplace_with_graph
from ctorch._ops.views cimport _select, _permute, _reshape, _expand
from ctorch.autograd._node cimport record, _grad_mode, _geometry, _check_inplace, _inplace_needs_graph
from ctorch._ops.creation import tensor, zeros
from ctorch._ops.elementwise import where as _where

import builtins as _builtins
_brange = _builtins.range

cdef struct AdvPlan:
    int n                       # number of advanced dims
    int dims[CT_MAXDIM]         # their positions in the basic view


cdef tuple _as_index_tuple(object index):
    if isinstance(index, tuple):
        return index
    if isinstance(index, list):
        # a list of only ints/bools/tensors is one advanced index (numpy rule)
        return (index,)
    return (index,)


cdef extern from "Python.h":
    int PySlice_Unpack(object slice, Py_ssize_t *start, Py_ssize_t *stop, Py_ssize_t *step) except -1
    Py_ssize_t PySlice_AdjustIndices(Py_ssize_t length, Py_ssize_t *start, Py_ssize_t *stop,
                                     Py_ssize_t step)


cdef object _basic_view(Tensor t, tuple idx, list adv_pos, list adv_idx):
    """Applies ints/slices/None/Ellipsis; collects advanced indices with the
    dim of the returned view each applies to. Sizes and strides are built in
    C arrays: `x[:, 1]` must cost little more than making the view."""
    cdef int consumed = 0, d, k, n = 0
    cdef Py_ssize_t start, stop, step, length
    cdef Py_ssize_t sh[CT_MAXDIM]
    cdef Py_ssize_t st[CT_MAXDIM]
    cdef bint seen_ellipsis = False
    cdef Tensor it
    for x in idx:
        if x is None or x is Ellipsis or isinstance(x, bool):
            continue
        if isinstance(x, Tensor) and (<Tensor>x)._dtype._code in (CT_BOOL, CT_UINT8):
            consumed += (<Tensor>x)._ndim
        else:
            consumed += 1
    if consumed > t._ndim:
        if t._ndim == 0 and isinstance(idx[0], int):
            raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
        raise IndexError(f"too many indices for tensor of dimension {t._ndim}")
    cdef Py_ssize_t offset = t._offset
    d = 0    # next dim of t
    for x in idx:
        if n + t._ndim - d >= CT_MAXDIM:
            raise IndexError(f"indexing would give a tensor of more than {CT_MAXDIM} dimensions")
        if isinstance(x, slice):
            if x.step is not None and _int_index(x.step) <= 0:
                raise ValueError("step must be greater than zero")
            PySlice_Unpack(x, &start, &stop, &step)
            length = PySlice_AdjustIndices(t._shape[d], &start, &stop, step)
            if length > 0:
                offset += start * t._stride[d]
            sh[n] = length
            st[n] = t._stride[d] * step
            n += 1
            d += 1
        elif x is None or x is True or x is False:
            sh[n] = 0 if x is False else 1
            st[n] = 1
            n += 1
        elif x is Ellipsis:
            if seen_ellipsis:
                raise IndexError("an index can only have a single ellipsis ('...')")
            seen_ellipsis = True
            for k in range(t._ndim - consumed):
                sh[n] = t._shape[d]
                st[n] = t._stride[d]
                n += 1
                d += 1
        elif isinstance(x, int) or (hasattr(x, "__index__") and not isinstance(x, Tensor)
                                    and not isinstance(x, list) and not _is_ndarray(x)):
            offset += _check_index(x, t._shape[d], d) * t._stride[d]
            d += 1
        elif isinstance(x, Tensor) and (<Tensor>x)._ndim == 0 and (<Tensor>x)._dtype._kind == K_INT \
                and (<Tensor>x)._dtype._code != CT_UINT8:
            offset += _check_index(x.item(), t._shape[d], d) * t._stride[d]
            d += 1
        else:
            it = _index_tensor(x)
            if it._dtype._code == CT_BOOL or it._dtype._code == CT_UINT8:
                if it._ndim == 0:
                    # a 0-d mask: adds a dim of size 1 (True) or 0 (False)
                    sh[n] = 1 if it.item() else 0
                    st[n] = 1
                    n += 1
                    continue
                for k in range(it._ndim):
                    if it._shape[k] != t._shape[d + k]:
                        raise IndexError(f"The shape of the mask {_fmt_shape(it.size())} at index {k} does not match the shape of the indexed tensor {_fmt_shape(t.size())} at index {d + k}")
                for sub in _nonzero_tuple(it):
                    adv_pos.append(n)
                    adv_idx.append(sub)
                    sh[n] = t._shape[d]
                    st[n] = t._stride[d]
                    n += 1
                    d += 1
            else:
                adv_pos.append(n)
                adv_idx.append(it)
                sh[n] = t._shape[d]
                st[n] = t._stride[d]
                n += 1
                d += 1
    while d < t._ndim:
        sh[n] = t._shape[d]
        st[n] = t._stride[d]
        n += 1
        d += 1
    return _view_raw(t, offset, n, sh, st)


cdef Py_ssize_t _int_index(object x) except? -1:
    if isinstance(x, Tensor):
        return x.item()
    return x.__index__()


cdef object _none_or_int(object x):
    return None if x is None else _int_index(x)


cdef Tensor _index_tensor(object x):
    cdef Tensor it
    if isinstance(x, Tensor):
        it = <Tensor>x
    elif isinstance(x, (list, tuple)) or _is_ndarray(x):
        it = tensor(x, device=_CPU)
        if it._numel == 0:
            it = _cast(it, t_int64)
    else:
        raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got " + type(x).__name__ + ")")
    if it._dtype._kind > K_INT:
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    return it


cdef Tensor _host(Tensor t):
    """t itself on the CPU, else a dense copy of it there (small index or
    mask data read by host code)."""
    return t if t._storage.device < 0 else _to_device(t, -1)


cdef Tensor _on(Tensor t, int device):
    """t on `device` (a dense copy when it is elsewhere)."""
    return t if t._storage.device == device else _to_device(t, device)


cdef tuple _nonzero_tuple(Tensor mask):
    """Indices of the nonzero elements of mask, one int64 tensor per dim, on
    mask's device (a device mask is read on the host)."""
    cdef int dev = mask._storage.device
    cdef tuple r = _nonzero_coords(_host(_cast(mask, t_bool).contiguous()), False)
    if dev < 0:
        return r
    return tuple(_to_device(<Tensor>x, dev) for x in r)


cdef Py_ssize_t _count_set(const uint8_t *p, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i, c = 0
    for i in range(n):
        c += p[i]
    return c


cdef void _write_coords(const uint8_t *p, Py_ssize_t n, int nd, const Py_ssize_t *shape,
                        int64_t **ptrs, Py_ssize_t step) noexcept nogil:
    """ptrs[k][j * step] = coordinate k of the j-th set element of the dense
    C-order bool array p: one counter per dim but the last, carried forward
    row by row (no divisions)."""
    cdef Py_ssize_t co[CT_MAXDIM]
    cdef Py_ssize_t i, j = 0
    cdef int k, last = nd - 1
    cdef int64_t *q0 = ptrs[0]
    cdef Py_ssize_t end = n - 1
    if nd == 1:
        # no branch per element: every position is written and kept only when
        # set; up to the last set one, so that no write passes the count
        while end >= 0 and not p[end]:
            end -= 1
        for i in range(end + 1):
            q0[j * step] = i
            j += p[i]
        return
    # row by row along the last dim, each as the 1-d case: the row's
    # coordinates written at every position up to its last set element, kept
    # only where set (a branch per element cost 3 ns a position on a mask of
    # random bits)
    cdef Py_ssize_t row, rows, rl = shape[last]
    cdef const uint8_t *pr
    cdef int64_t *ql = ptrs[last]
    rows = n // rl if rl else 0
    for k in range(nd):
        co[k] = 0
    for row in range(rows):
        pr = p + row * rl
        end = rl - 1
        while end >= 0 and not pr[end]:
            end -= 1
        for i in range(end + 1):
            for k in range(last):
                ptrs[k][j * step] = co[k]
            ql[j * step] = i
            j += pr[i]
        k = last - 1
        co[k] += 1
        while co[k] == shape[k] and k > 0:
            co[k] = 0
            k -= 1
            co[k] += 1


cdef object _nonzero_coords(Tensor mask, bint as_matrix):
    """The coordinates of a host mask's set elements, written in place: as
    nonzero()'s (count, ndim) int64 matrix, or (as_matrix False) as one int64
    column per dim."""
    cdef Tensor m = _cast(mask, t_bool).contiguous()
    cdef Py_ssize_t n = m._numel, cnt
    cdef const uint8_t *p = <const uint8_t *>m._data
    cdef int nd = m._ndim, k
    with nogil:
        cnt = _count_set(p, n)
    cdef int64_t *ptrs[CT_MAXDIM]
    cdef Tensor r = None
    cdef list outs = None
    if as_matrix:
        r = _empty_list([cnt, nd], t_int64)
        for k in range(nd):
            ptrs[k] = <int64_t *>r._data + k
    else:
        outs = [_empty_list([cnt], t_int64) for k in range(nd)]
        for k in range(nd):
            ptrs[k] = <int64_t *>(<Tensor>outs[k])._data
    if cnt and nd:
        with nogil:
            _write_coords(p, n, nd, m._shape, ptrs, nd if as_matrix else 1)
    return r if as_matrix else tuple(outs)


def nonzero(input, *, out=None, as_tuple=False):
    cdef Tensor t = _tensor_arg(input, "nonzero")
    cdef int nd = t._ndim
    if nd == 0:
        t = t.reshape(1)
    if as_tuple:
        return _nonzero_tuple(t)
    cdef int dev = t._storage.device
    cdef Tensor res = _nonzero_coords(_host(_cast(t, t_bool).contiguous()), True)
    if nd == 0:
        res = _empty_list([res._shape[0], 0], t_int64)
    return _to_out(out, _on(res, dev), "nonzero", OUT_SAME,
                   "nonzero: Expected out tensor to have scalar type Long but got scalar type{out}")


cdef object _advanced_layout(Tensor v, list adv_pos, list adv_idx):
    """Broadcast index shape, the element offsets (in elements) of every index
    position, and the result's dim order. Checks bounds."""
    cdef int na = len(adv_pos), k
    cdef int dev = v._storage.device
    cdef Iter it
    for x in adv_idx:
        if (<Tensor>x)._storage.device >= 0 and (<Tensor>x)._storage.device != dev:
            raise RuntimeError(f"indices should be either on cpu or on the same device as the indexed tensor ({v.device})")
    if dev >= 0:
        return _advanced_layout_device(v, adv_pos, adv_idx)
    # broadcast the index tensors
    cdef list idx_t = [_cast(<Tensor>x, t_int64) for x in adv_idx]
    bshape = _broadcast_list([list((<Tensor>x).size()) for x in idx_t])
    cdef Py_ssize_t nb = 1
    for s in bshape:
        nb *= s
    cdef Tensor offs = zeros(nb, dtype=t_int64)
    cdef Tensor ix
    cdef Py_ssize_t i, size_d, val, st
    cdef int64_t *o = <int64_t *>offs._data
    cdef const int64_t *q
    for k in range(na):
        ix = _expand(<Tensor>idx_t[k], list(bshape)).contiguous()
        q = <const int64_t *>ix._data
        size_d = v._shape[<int>adv_pos[k]]
        st = v._stride[<int>adv_pos[k]]
        for i in range(nb):
            val = q[i]
            if val < -size_d or val >= size_d:
                raise IndexError(f"index {val} is out of bounds for dimension {adv_pos[k]} with size {size_d}")
            if val < 0:
                val += size_d
            o[i] += val * st
    adjacent = _builtins.all(adv_pos[k + 1] == adv_pos[k] + 1 for k in range(na - 1))
    return bshape, offs, adjacent


cdef object _advanced_layout_device(Tensor v, list adv_pos, list adv_idx):
    """_advanced_layout on a device: the indices move there (a CPU index is
    allowed), each is checked by the device's gather kernel in the CPU loop's
    order, and the offsets are computed there."""
    cdef int na = len(adv_pos), k, dev = v._storage.device
    cdef list idx_t = [_cast(_on(<Tensor>x, dev), t_int64) for x in adv_idx]
    bshape = _broadcast_list([list((<Tensor>x).size()) for x in idx_t])
    cdef Tensor offs = None, ix, w
    cdef Py_ssize_t size_d, st
    cdef int64_t bad = 0
    for k in range(na):
        ix = _expand(<Tensor>idx_t[k], list(bshape)).contiguous()
        size_d = v._shape[<int>adv_pos[k]]
        st = v._stride[<int>adv_pos[k]]
        if _range_check(ix, size_d, &bad):
            raise IndexError(f"index {bad} is out of bounds for dimension {adv_pos[k]} with size {size_d}")
        w = ix
        if ix._numel:
            # every index is in [-size_d, size_d): its remainder is the wrapped one
            w = _binary(CT_REMAINDER, R_ARITH, ix, size_d, None, "remainder")
            if st != 1:
                w = _binary(CT_MUL, R_ARITH, w, st, None, "mul")
        offs = w if offs is None else _binary(CT_ADD, R_ARITH, offs, w, None, "add")
    adjacent = _builtins.all(adv_pos[k + 1] == adv_pos[k] + 1 for k in range(na - 1))
    return bshape, offs.contiguous(), adjacent


cdef int _range_check(Tensor ix, int64_t size, int64_t *bad) except -1:
    """1 with the first index of ix (C order) outside [-size, size) in *bad,
    else 0: the check of the device's gather kernel, run on a scratch
    element copied to another (zero strides)."""
    cdef const ct_backend *B = ix._storage.backend
    if B.gather == NULL:
        raise NotImplementedError(f"indexing is not available on {B.name.decode()} tensors")
    if ix._numel == 0:
        return 0
    # two scratch elements: the kernel's output and input never overlap
    cdef Tensor scratch = _empty_list([2], t_int64, ix._storage.device)
    cdef ct_gather_fn fn = B.gather(8)
    cdef int64_t zero[1]
    cdef int64_t one[1]
    cdef int64_t shp[1]
    zero[0] = 0
    one[0] = 1
    shp[0] = ix._numel
    cdef char *sp = scratch._data
    cdef const int64_t *ip = <const int64_t *>ix._data
    cdef int rc
    with nogil:
        rc = fn(sp, zero, sp + 8, zero, ip, one, shp, 1, 0, size, bad)
    if rc == 2:
        _device_error()
    return rc


cdef Tensor _rest_view(Tensor v, list adv_pos):
    """v without its advanced dims (they are folded into per-position offsets)."""
    shape = [v._shape[d] for d in range(v._ndim) if d not in adv_pos]
    stride = [v._stride[d] for d in range(v._ndim) if d not in adv_pos]
    return _make_view_plain(v, v._offset, shape, stride)


cdef list _final_order(int nb_dims, int nrest, list adv_pos, bint adjacent):
    """Permutation from [index dims..., rest dims...] to the result's order."""
    cdef int first = adv_pos[0] if adjacent else 0
    order = list(_brange(nb_dims, nb_dims + first)) + list(_brange(nb_dims)) + \
        list(_brange(nb_dims + first, nb_dims + nrest))
    return order


import builtins as _builtins
_brange = _builtins.range


cdef Tensor _getitem(Tensor t, object index):
    cdef Py_ssize_t i
    if isinstance(index, int) and not isinstance(index, bool) and t._ndim > 0:
        i = index
        if i < -t._shape[0] or i >= t._shape[0]:
            raise IndexError(f"index {i} is out of bounds for dimension 0 with size {t._shape[0]}")
        return _select(t, 0, i + t._shape[0] if i < 0 else i)
    cdef Tensor r
    if isinstance(index, Tensor):
        r = _rows_by_index(t, <Tensor>index)
        if r is not None:
            record("index", r, (t,), (index,))
            return r
    cdef list adv_pos = [], adv_idx = []
    cdef Tensor v = _basic_view(t, _as_index_tuple(index), adv_pos, adv_idx)
    if not adv_pos:
        if _grad_mode() and _needs_grad(t):
            record("select" if isinstance(index, int) else "narrow", v, (t,), (_geometry(t, v),))
        return v
    bshape, offs, adjacent = _advanced_layout(v, adv_pos, adv_idx)
    cdef Tensor rest = _rest_view(v, adv_pos)
    cdef Tensor out = _empty_list(list(bshape) + list(rest.size()), t._dtype, t._storage.device)
    _gather(out, v, rest, <Tensor>offs)
    order = _final_order(len(bshape), rest._ndim, adv_pos, adjacent)
    if order != sorted(order):
        out = _permute(out, order).contiguous()
    record("index", out, (t,), (index,))
    return out


cdef Tensor _rows_by_index(Tensor t, Tensor ix):
    """t[ix] for an int64 index of a dense CPU tensor: the rows (along dim 0)
    that ix names, through the index_select kernel; None when another path
    must answer (a negative or out-of-range index included: that path wraps
    or raises)."""
    if (ix._dtype._code != CT_INT64 or t._ndim == 0 or t._storage.device >= 0
            or ix._storage.device >= 0 or not _is_contiguous(t) or not _is_contiguous(ix)
            or t._numel == 0 or ix._numel == 0):
        return None
    cdef const ct_backend *B = t._storage.backend
    if B.index_select == NULL:
        return None
    cdef Py_ssize_t size = t._shape[0], inner = t._numel // t._shape[0], n = ix._numel
    cdef Tensor out = _empty_list(list(ix.size()) + list(t.size())[1:], t._dtype, -1)
    cdef int64_t bad = 0
    cdef int rc, es = t._dtype.itemsize
    with nogil:
        rc = B.index_select(out._data, t._data, 1, size, inner, es,
                            <const int64_t *>ix._data, n, &bad)
    return None if rc else out


cdef int _gather(Tensor out, Tensor v, Tensor rest, Tensor offs) except -1:
    """out[b, ...] = rest-shaped block of v at element offset offs[b]."""
    cdef Py_ssize_t nb = offs._numel, b
    cdef Py_ssize_t isz = v._dtype.itemsize
    cdef Py_ssize_t block = rest._numel
    cdef Tensor dst, src
    cdef int k
    if v._storage.device >= 0:
        return _walk_device(out, v, rest, offs, False, False)
    cdef const int64_t *o = <const int64_t *>offs._data
    cdef char *base = v._storage.data
    if rest._ndim == 0:
        for b in range(nb):
            memcpy(out._data + b * isz, base + (v._offset + o[b]) * isz, isz)
        return 0
    for b in range(nb):
        dst = _make_tensor(out._storage, out._offset + b * block, rest._ndim, rest._shape, NULL, out._dtype)
        src = _make_tensor(v._storage, v._offset + o[b], rest._ndim, rest._shape, rest._stride, v._dtype)
        _copy_into(dst, src, False)
    return 0


cdef int _walk_device(Tensor blk, Tensor v, Tensor rest, Tensor offs, bint put,
                      bint accumulate) except -1:
    """The index dims of blk ([index dims..., rest dims...]) against the
    rest-shaped blocks of v at element offsets offs, as one gather (blk = v's
    blocks) or scatter (v's blocks = blk, or += with accumulate) of the
    backend (a device's, or the CPU's for scatters): the offsets index a dim
    of stride 1 at v's first element."""
    cdef int nd = 1 + rest._ndim, k
    cdef int nbd = blk._ndim - rest._ndim
    cdef int64_t ast[CT_MAXDIM]
    cdef int64_t bst[CT_MAXDIM]
    cdef int64_t ist[CT_MAXDIM]
    cdef int64_t shp[CT_MAXDIM]
    cdef int64_t bad = 0
    cdef int rc
    if blk._numel == 0:
        return 0
    cdef const ct_backend *B = v._storage.backend
    if B.gather == NULL or B.scatter == NULL or B.scatter_add == NULL:
        raise NotImplementedError(f"indexing is not available on {B.name.decode()} tensors")
    # blk's index dims as one dim (a view when they allow it, else a copy)
    cdef Tensor flat = _reshape_keep(blk, nbd, offs._numel)
    if not put and flat._storage is not blk._storage:
        raise RuntimeError("internal error: an indexed read into a copy")
    shp[0] = offs._numel
    ast[0] = flat._stride[0]
    bst[0] = 1
    ist[0] = 1
    for k in range(rest._ndim):
        shp[k + 1] = rest._shape[k]
        ast[k + 1] = flat._stride[k + 1]
        bst[k + 1] = rest._stride[k]
        ist[k + 1] = 0
    cdef ct_gather_fn g = NULL
    cdef ct_scatter_fn f = NULL
    if not put:
        g = B.gather(v._dtype.itemsize)
    elif accumulate:
        f = B.scatter_add[v._dtype._code]
        if f == NULL:
            raise NotImplementedError(f"index_put_ with accumulate=True is not available for '{_SCALAR_NAMES[v._dtype._code]}' on {B.name.decode()} tensors")
    else:
        f = B.scatter(v._dtype.itemsize)
    cdef char *pa = flat._data
    cdef char *pb = v._data
    cdef const int64_t *ip = <const int64_t *>offs._data
    with nogil:
        if g != NULL:
            rc = g(pa, ast, pb, bst, ip, ist, shp, nd, 0, 9223372036854775807, &bad)
        else:
            rc = f(pa, ast, pb, bst, ip, ist, shp, nd, 0, 9223372036854775807, &bad)
    if rc == 2:
        _device_error()
    if rc:
        raise RuntimeError(f"internal error: an index offset {bad} out of range")
    return 0


cdef bint _writes_whole(object index, Tensor value) noexcept:
    """t[index] = value writes into t itself (not into a view of it) while it
    reads value: index selects by tensors / lists alone (no int, slice, None
    or ...), and it is not a single bool mask with a 0-d value (a masked
    fill, which reads its value first)."""
    cdef tuple items = index if type(index) is tuple else (index,)
    if not items:
        return False
    for it in items:
        if not isinstance(it, (Tensor, list)):
            return False
    if value._ndim == 0 and len(items) == 1 and isinstance(items[0], Tensor):
        return (<Tensor>items[0])._dtype is not t_bool
    return True


cdef int _setitem(Tensor t, object index, object value) except -1:
    _check_inplace(t)
    if isinstance(value, Tensor) and _writes_whole(index, <Tensor>value):
        _check_no_overlap(t, value)
    if _inplace_needs_graph(t, value):
        _inplace_with_graph(t, lambda s: _setitem_graph(<Tensor>s, index, value))
        return 0
    _index_put(t, index, value, False)
    return 0


cdef Tensor _setitem_graph(Tensor s, object index, object value):
    """s with s[index] = value, out of place, as a graph node (CopySlices)."""
    cdef Tensor r = _alias(s)
    _index_put(r, index, _alias(value) if isinstance(value, Tensor) else value, False)
    record("index_put", r, (s, value), (index,))
    return r


# the index check of the backend table (backend.h), under its C name
cdef extern from "backend.h" nogil:
    ctypedef struct ct_index_check_table "ct_backend":
        int64_t (*index_outside)(const int64_t *p, int64_t n, int64_t lo, int64_t hi) noexcept nogil


cdef int _index_put_rows(Tensor t, object index, object value, bint accumulate) except -1:
    """t[index] = value (or +=) for a CPU tensor, one int64 index tensor
    (dense) into its first dim: t 1-d (any stride) or dense, its rows then
    the units; a number, a 0-d value, a dense value of the indexing result's
    shape (the index's then the rows'), or one row (dense) for every index:
    the indices checked in one pass, then one pass of the scatter kernel
    (which wraps negative ones) over (index, row element). 0 when another
    path must answer."""
    if type(index) is tuple and len(<tuple>index) == 1:
        index = (<tuple>index)[0]
    if not isinstance(index, Tensor):
        return 0
    cdef Tensor ix = <Tensor>index, val
    if (ix._dtype is not t_int64 or t._ndim == 0 or t._storage.device >= 0
            or ix._storage.device >= 0 or ix._numel == 0 or not _is_contiguous(ix)
            or (t._ndim > 1 and (t._numel == 0 or not _is_contiguous(t)))):
        return 0
    cdef int64_t inner = t._numel // t._shape[0] if t._ndim > 1 else 1
    cdef int64_t ast[2]
    cdef int j, lead, k = t._ndim - 1           # the row's dims
    if isinstance(value, Tensor):
        val = <Tensor>value
        if val._dtype is not t._dtype or val._storage.device >= 0:
            return 0
        if val._ndim == 0:
            ast[0] = 0
            ast[1] = 0
        elif not _is_contiguous(val):
            return 0
        elif val._ndim == ix._ndim + k or (k > 0 and val._ndim == k):
            # the result's shape (the index's, then a row's), or one row for
            # every index
            lead = val._ndim - k
            for j in range(lead):
                if val._shape[j] != ix._shape[j]:
                    return 0
            for j in range(k):
                if val._shape[lead + j] != t._shape[1 + j]:
                    return 0
            ast[0] = inner if lead else 0
            ast[1] = 1
        else:
            return 0
    elif type(value) is float or type(value) is int or type(value) is bool:
        _check_fits(value, t._dtype, False)
        val = _scalar_tensor(value, t._dtype)
        ast[0] = 0
        ast[1] = 0
    else:
        return 0
    cdef const ct_backend *B = t._storage.backend
    cdef const ct_index_check_table *C = <const ct_index_check_table *>t._storage.backend
    if B.scatter == NULL or B.scatter_add == NULL or C.index_outside == NULL:
        return 0
    cdef ct_scatter_fn f = B.scatter_add[t._dtype._code] if accumulate else B.scatter(t._dtype.itemsize)
    if f == NULL:
        return 0
    cdef int64_t size = t._shape[0], n = ix._numel, pos, bad = 0
    cdef const int64_t *ip = <const int64_t *>ix._data
    with nogil:
        pos = C.index_outside(ip, n, -size, size - 1)
    if pos >= 0:
        raise IndexError(f"index {ip[pos]} is out of bounds for dimension 0 with size {size}")
    cdef int64_t bst[2]
    cdef int64_t ist[2]
    cdef int64_t shp[2]
    bst[0] = t._stride[0]
    bst[1] = 1
    ist[0] = 1
    ist[1] = 0
    shp[0] = n
    shp[1] = inner
    cdef const char *pa = val._data
    cdef char *pb = t._data
    cdef int rc, nd = 2 if inner > 1 else 1
    with nogil:
        rc = f(pa, ast, pb, bst, ip, ist, shp, nd, 0, size, &bad)
    if rc:
        raise IndexError(f"index {bad} is out of bounds for dimension 0 with size {size}")
    _bump(t)
    return 1


cdef int _index_put(Tensor t, object index, object value, bint accumulate) except -1:
    """t[index] = value (or += with accumulate, where repeated indices add up)."""
    if isinstance(value, int) and not -9223372036854775808 <= value <= 9223372036854775807:
        raise ValueError("Overflow when unpacking long long")   # as PyTorch's index assignment
    if _index_put_rows(t, index, value, accumulate):
        return 0
    if (not accumulate and isinstance(index, Tensor) and (<Tensor>index)._dtype is t_bool
            and type(value) in (int, float, bool) and _is_contiguous(t)
            and _same_shape(<Tensor>index, t) and (<Tensor>index)._storage.device == t._storage.device):
        # a mask of t's shape and a number: one select pass written over t
        _check_fits(value, t._dtype, False)
        _where(index, _scalar_tensor(value, t._dtype), t, out=t)
        _bump(t)
        return 0
    cdef list adv_pos = [], adv_idx = []
    cdef Tensor v = _basic_view(t, _as_index_tuple(index), adv_pos, adv_idx)
    cdef Tensor val
    cdef int dev = t._storage.device
    if not adv_pos:
        if accumulate:
            val = _value_on(_as_operand_tensor(value, t._dtype), dev)
            _binary(CT_ADD, R_ARITH, v, val, v, "add", True)
        elif isinstance(value, Tensor):
            _check_copy_overlap(v, value)
            _copy_into(v, _value_on(<Tensor>value, dev), True)
        elif _scalar_kind(value) < 0:
            _copy_into(v, _value_on(_as_operand_tensor(value, t._dtype), dev), True)
        else:
            _fill(v, value)
            _bump(t)
        return 0
    bshape, offs, adjacent = _advanced_layout(v, adv_pos, adv_idx)
    cdef Tensor rest = _rest_view(v, adv_pos)
    if isinstance(value, Tensor):
        val = value
    elif _scalar_kind(value) >= 0:
        _check_fits(value, t._dtype, False)
        val = _scalar_tensor(value, t._dtype)
    else:
        val = tensor(value, dtype=t._dtype, device=_CPU)
    if val._dtype is not t._dtype:
        val = _cast(val, t._dtype)
    val = _value_on(val, dev)
    # the value broadcast to the result's layout, then put in [index dims..., rest dims...] order
    final_shape_in_order = list(bshape) + list(rest.size())
    order = _final_order(len(bshape), rest._ndim, adv_pos, adjacent)
    final_shape = [final_shape_in_order[o] for o in order]
    try:
        valb = _expand_plain(val, final_shape)
    except RuntimeError:
        raise RuntimeError(f"shape mismatch: value tensor of shape {_fmt_shape(val.size())} cannot be broadcast to indexing result of shape {_fmt_shape(final_shape)}")
    inverse = [0] * len(order)
    for i, o in enumerate(order):
        inverse[o] = i
    valb = _permute_plain(valb, inverse)
    _scatter(v, rest, <Tensor>offs, valb, accumulate)
    _bump(t)
    return 0


cdef Tensor _expand_plain(Tensor t, list shape):
    cdef Tensor r = _expand(t.detach(), shape)
    return r


cdef Tensor _permute_plain(Tensor t, list dims):
    return _permute(t.detach(), dims)


cdef Tensor _value_on(Tensor val, int dev):
    """A value written into a tensor of device dev: a CPU value moves there
    (as copy_ takes it); a value of another device is left to the op's
    device check."""
    if dev >= 0 and val._storage.device < 0:
        return _to_device(val, dev)
    return val


cdef int _scatter(Tensor v, Tensor rest, Tensor offs, Tensor valb, bint accumulate) except -1:
    if v._storage.device >= 0:
        if valb._storage.device != v._storage.device:
            _device_mismatch(v, valb)
        return _walk_device(valb, v, rest, offs, True, accumulate)
    if accumulate or rest._numel < 64:
        # one strided walk of the backend's (accumulating) scatter kernel
        return _walk_device(valb, v, rest, offs, True, accumulate)
    cdef Py_ssize_t nb = offs._numel, b
    cdef Py_ssize_t isz = v._dtype.itemsize
    cdef const int64_t *o = <const int64_t *>offs._data
    cdef Tensor dst, src
    cdef int nbd = valb._ndim - rest._ndim
    # valb: [index dims..., rest dims...]; flatten the index dims
    cdef Tensor vflat = _reshape_keep(valb, nbd, nb)
    for b in range(nb):
        dst = _make_tensor(v._storage, v._offset + o[b], rest._ndim, rest._shape, rest._stride, v._dtype)
        src = _select_raw(vflat, b)
        if accumulate:
            _binary(CT_ADD, R_ARITH, dst, src, dst, "add", True)
        else:
            _copy_into(dst, src, False)
    return 0


cdef Tensor _reshape_keep(Tensor t, int nlead, Py_ssize_t nb):
    """t with its first nlead dims merged into one of size nb (copying if needed)."""
    rest_shape = list(t.size())[nlead:]
    return _reshape(t, [nb] + rest_shape)


cdef Tensor _select_raw(Tensor t, Py_ssize_t i):
    return _make_tensor(t._storage, t._offset + i * t._stride[0], t._ndim - 1, t._shape + 1,
                        t._stride + 1, t._dtype)


# ------------------------------------------------------------ small reductions

cdef bint _any_nonzero(Tensor t):
    cdef Tensor m = _host(_cast(t, t_bool).contiguous())
    cdef Py_ssize_t i
    for i in range(m._numel):
        if (<uint8_t *>m._data)[i]:
            return True
    return False


_add_method("nonzero", nonzero)


cdef object _tensor_getitem(object self, object index):
    return _getitem(<Tensor>self, index)


cdef int _tensor_setitem(object self, object index, object value) except -1:
    _setitem(<Tensor>self, index, value)
    return 0


_slots.getitem = _tensor_getitem
_slots.setitem = _tensor_setitem
