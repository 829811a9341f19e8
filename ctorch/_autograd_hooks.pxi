# Where ops tell autograd what they did, and the backward formula of every
# differentiable op: each formula sits next to the list of what its forward
# saves. Formulas are written with ctorch's own ops, so that backward with
# create_graph=True records a graph of its own (higher-order gradients).

import math as _math


cdef object _F(str name):
    return _FUNCTIONS[name]


cdef inline bint _any_needs(object a, object b):
    return _grad_mode() != 0 and (_needs_grad(a) or _needs_grad(b))


cdef object _reduce_grad(object g, Tensor like):
    """g summed over the dims that broadcasting added, in like's dtype."""
    cdef Tensor t = <Tensor>g
    if not _same_shape(t, like):
        t = sum_to_size(t, like.size())
    if t._dtype is not like._dtype:
        t = t.to(like._dtype)
    return t


cdef object _gfor(object g, object x):
    return _reduce_grad(g, <Tensor>x) if _needs_grad(x) else None


# ----------------------------------------------------------------- views

def _g_view(_OpNode n, g):
    return [g.reshape(n.args()[0])]


def _g_permute(_OpNode n, g):
    return [g.permute(*n.args()[0])]


def _g_expand(_OpNode n, g):
    return [sum_to_size(g, n.args()[0])]


def _g_replay(_OpNode n, g):
    """Gradient of a view made by replay(src): zeros of src's shape with g
    written through the same view. Under create_graph the result gets a node
    whose backward takes the same view again."""
    shape, dt, replay = n.args()
    old = _grad_mode()
    _set_grad_mode(0)
    try:
        z = zeros(shape, dtype=dt)
        zv = replay(z)
        _copy_into(<Tensor>zv, <Tensor>(_alias(<Tensor>g) if isinstance(g, Tensor) else g), True)
    finally:
        _set_grad_mode(old)
    if _grad_mode() and _needs_grad(g):
        _attach(z, _new_node("ViewScatterBackward", _g_take_view, (g,), (), (replay,)))
    return [z]


def _g_take_view(_OpNode n, g):
    return [n.args()[0](g).clone()]


cdef void _record_view_op(Tensor r, Tensor src, str name, object kind, object arg):
    """kind: 'reshape' (arg unused), 'permute' (arg: the inverse permutation),
    'expand', or 'replay' (arg: a function that applies the same view to a
    tensor shaped like src)."""
    if _grad_mode() == 0 or not _needs_grad(src):
        return
    if kind == "reshape":
        node = _new_node(name, _g_view, (src,), (), (src.size(),))
    elif kind == "permute":
        node = _new_node(name, _g_permute, (src,), (), (arg,))
    elif kind == "expand":
        node = _new_node(name, _g_expand, (src,), (), (src.size(),))
    else:
        node = _new_node(name, _g_replay, (src,), (), (src.size(), src._dtype, arg))
    _attach(r, node)


def _g_unfold(_OpNode n, g):
    """Windows of unfold may overlap (step < size): each element of the input
    gets the sum of the gradients of all its copies."""
    shape, dt, d, size, step = n.args()
    ndim = len(shape)
    old = _grad_mode()
    _set_grad_mode(0)
    try:
        z = zeros(shape, dtype=dt)
        rest = [i for i in builtins_range(ndim) if i != d]
        gp = _alias(<Tensor>g).permute([d, ndim] + rest)     # (windows, size, rest...)
        idx = arange(shape[d]).unfold(0, size, step)         # (windows, size)
        _index_put(z.permute([d] + rest), (idx,), gp, True)
    finally:
        _set_grad_mode(old)
    if _grad_mode() and _needs_grad(g):
        _attach(z, _new_node("UnfoldBackwardBackward0", _g_take_view, (g,), (),
                             (lambda x: x.unfold(d, size, step),)))
    return [z]


cdef void _record_unfold(Tensor r, Tensor src, int d, Py_ssize_t size, Py_ssize_t step):
    if _grad_mode() == 0 or not _needs_grad(src):
        return
    if src._ndim == 0 or step >= size:
        # windows do not overlap: writing g through the same view is the gradient
        _record_view_op(r, src, "UnfoldBackward0", "replay", lambda x: x.unfold(d, size, step))
        return
    _attach(r, _new_node("UnfoldBackward0", _g_unfold, (src,), (), (src.size(), src._dtype, d, size, step)))


# -------------------------------------------------------------- indexing

def _g_index(_OpNode n, g):
    shape, dt, index = n.args()
    old = _grad_mode()
    _set_grad_mode(0)
    try:
        z = zeros(shape, dtype=dt)
        _index_put(z, index, _alias(<Tensor>g), True)
    finally:
        _set_grad_mode(old)
    if _grad_mode() and _needs_grad(g):
        _attach(z, _new_node("IndexPutBackward", _g_take_index, (g,), (), (index,)))
    return [z]


def _g_take_index(_OpNode n, g):
    return [g[n.args()[0]]]


cdef void _record_index(Tensor r, Tensor t, object index):
    if _grad_mode() == 0 or not _needs_grad(t):
        return
    _attach(r, _new_node("IndexBackward0", _g_index, (t,), (), (t.size(), t._dtype, index)))


def _g_setitem(_OpNode n, g):
    index, _, value = n.args()
    old = _grad_mode()
    _set_grad_mode(0)
    try:
        keep = ones_like(g)
        keep[index] = 0
    finally:
        _set_grad_mode(old)
    gval = None
    if _needs_grad(value):
        gval = _reduce_grad(g[index], <Tensor>value)
    return [g * keep, gval]
