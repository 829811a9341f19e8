# Random numbers on the Philox stream: generators and fills.

from libc.stdint cimport uint64_t
from ctorch._core.tensor cimport Tensor

cdef class Generator:
    cdef uint64_t _seed
    cdef uint64_t _offset
    cdef readonly object device
    cdef uint64_t _take(self, uint64_t blocks)      # the offset to use; moves on by `blocks`

cdef Generator _gen(object generator)
cdef int _fill_random(Tensor r, Generator g, bint normal) except -1
