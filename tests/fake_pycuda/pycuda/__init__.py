"""A stand-in for PyCUDA over ctorch's host build of the kernels (tests only).

tests/test_cuda_pycuda_path.py puts this package first on the path of a child
process, so that ctorch takes its GPU path — ctorch.cuda._pycuda.Driver and
the GPU driver functions of ctorch.cuda._backend — with "device" memory and
launches served by the host build (ctorch.cuda._hostbuild). Only the part of PyCUDA's
API that ctorch calls is here.
"""
VERSION = (0, 0, 0)
