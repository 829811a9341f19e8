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
