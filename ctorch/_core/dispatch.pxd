# The device dispatch point: devices, and the backend table that serves each.

from ctorch._core.backend cimport ct_backend

cdef class device:
    cdef readonly str type
    cdef readonly object index

cdef device _CPU

# device codes: -1 is the CPU, n >= 0 the CUDA device n
cdef int _device_code(object d) except -2
cdef object _device_object(int code)
cdef const ct_backend *backend_for(int code) except NULL
cdef int ensure_gemm(const ct_backend *B) except -1
