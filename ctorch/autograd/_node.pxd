# The autograd graph as ops build it: grad mode, graph nodes, saved tensors,
# and `record`, the one call through which an op adds itself to the graph
# with the entry of the derivatives table it names.

from ctorch._core.tensor cimport Tensor, _needs_grad

# grad mode: one flag per thread, as in PyTorch
cdef int _grad_mode() noexcept nogil
cdef void _set_grad_mode(int on) noexcept nogil


cdef class Node

cdef class SavedTensor:
    cdef Tensor tensor              # for a saved output: an alias without its history
    cdef Py_ssize_t version         # the version it had when saved
    cdef bint is_output             # the result of the node that saved it
    cdef int output_nr
    cdef Tensor unpack(self, Node node)


cdef class Node:
    cdef public tuple _next          # ((Node or None, input_nr), ...)
    cdef public int _nout            # how many outputs feed this node
    cdef bint _released
    cdef dict _metadata
    cdef list _pre_hooks
    cdef list _hooks
    cdef dict _retain                # output_nr -> weakref of tensors that retain grad
    cdef object __weakref__

    cdef list _apply(self, list grads)
    cdef void _release(self)
    cdef void _track(self)


cdef class AccumulateGrad(Node):
    cdef public Tensor variable


cdef class Derivative:
    cdef readonly str op
    cdef readonly str node_name
    cdef readonly str display_name
    cdef object node_type            # the grad_fn class (made on first use)
    cdef type node_base
    cdef readonly tuple inputs
    cdef readonly tuple args
    cdef readonly tuple saves
    cdef list formulas               # per input: the formula, or None (not differentiable)
    cdef list formula_slots          # per input: indices into saves that its formula reads
    cdef list needs_slots            # per input: bitmask of the saves its formula reads
    cdef object joint
    cdef tuple joint_slots
    cdef list plan_kind
    cdef list plan_index
    cdef readonly bint broadcast
    cdef readonly bint holomorphic
    cdef readonly int nout


cdef class OpNode(Node):
    cdef Derivative d
    cdef list values                 # per save of the entry: SavedTensor, a value, or None
    cdef list meta                   # broadcast entries: per input (sizes, dtype) to reduce to, or None
    cdef list _unpack(self)


cdef object record(str op, object result, tuple inputs, tuple args=*)


# record() for the hot paths: nothing is built when no input needs a gradient
cdef inline object record1(str op, object result, object a, tuple args=()):
    if _needs_grad(a) and _grad_mode():
        return record(op, result, (a,), args)
    return result


cdef inline object record2(str op, object result, object a, object b, tuple args=()):
    if (_needs_grad(a) or _needs_grad(b)) and _grad_mode():
        return record(op, result, (a, b), args)
    return result

cdef SavedTensor _save(Tensor t)
cdef SavedTensor _save_output(Tensor t, int nr)

# in-place ops on tensors in a graph
cdef int _check_inplace(Tensor t) except -1
cdef bint _inplace_needs_graph(Tensor self, object other)
cdef int _refresh_view(Tensor v) except -1
cdef tuple _geometry(Tensor base, Tensor view)
cdef void _move_retain(Tensor self, object new_fn, int new_nr)
cdef int _rebase_history(Tensor self, Tensor r, Tensor old) except -1
cdef void _rebind_output(Tensor r, Tensor self)
cdef tuple _edge(object x)
cdef Node _grad_acc(Tensor t)
cdef object _weakref(object x)
cdef str _FREED_MSG

cdef class FunctionNode(Node):      # a custom autograd.Function's node
    cdef object _fn

cdef object _node_type(str name, type base)
