# Elementwise ops, casts and copies, and the in-place machinery op families share.

from ctorch._core.dtype cimport DType
from ctorch._core.backend cimport ct_backend, ct_params
from ctorch._core.tensor cimport Tensor

cdef dict _FUNCTIONS                    # the op table's functions by name ("exp", "mul", ...)

cdef object _operand(object x, str fname)
cdef Tensor _cast(Tensor t, DType dt)                    # t in dtype dt, with history
cdef Tensor _as_operand_tensor(object x, DType dt)
cdef object _binary(int op, int rule, object a, object b, object out, str name, bint inplace=*)
cdef object _unary(int op, int rule, object a, object out, str name, ct_params *P=*, bint inplace=*)
cdef object _unary_graded(int op, int rule, object input, object out, str name)
cdef object _record_binary(object r, object a, object b, str name, object alpha)
cdef _no_kernel(str name, DType dt, int op, const ct_backend *B)

# in-place ops on tensors in a graph
cdef Tensor _stand_in(Tensor self, bint with_values)
cdef object _inplace_with_graph(Tensor self, object fn)
cdef object _overwrite_with_graph(Tensor self, object value, str op)
cdef object _to(Tensor t, tuple args, dict kwargs)
