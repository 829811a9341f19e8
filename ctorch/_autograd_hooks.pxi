# The points where ops tell autograd what they did. Until the graph engine
# lands these only keep requires_grad flowing, so that results of ops on
# tensors that require grad are marked as such.

cdef bint _grad_mode = True


cdef inline bint _grad_enabled():
    return _grad_mode


cdef inline void _record_view(Tensor t, Tensor src):
    pass


cdef inline void _record_unary_grad(Tensor r, Tensor t, str name):
    pass


cdef inline void _record_cast_grad(Tensor r, Tensor t):
    pass


cdef inline void _record_where_grad(Tensor r, Tensor c, Tensor x, Tensor y):
    pass


cdef inline void _record_unary_op(object r, object t, str name):
    pass


cdef inline void _record_binary_op(object r, object a, object b, str name, object alpha=None):
    pass


cdef inline void _record_clamp(object r, object t, object lo, object hi):
    pass


cdef inline void _record_inplace(Tensor t, str name):
    pass


cdef inline void _record_index(Tensor r, Tensor t, object index):
    pass


cdef inline void _record_setitem(Tensor t, object index, object value):
    pass


cdef inline void _record_reduce(Tensor r, Tensor t, str name, object dim, bint keepdim):
    pass
