/* What every kernel file of cuda_src/ includes: the CUDA headers under nvcc,
 * the host shim under g++ (the host build, host_shim.h), the element types,
 * and CT_KERNEL, the one way a kernel is declared.
 *
 * Every kernel takes one argument, a struct declared in kernel_args.h (C,
 * shared with the backend that launches it): the backend fills the struct
 * and hands its bytes to the launch (PyCUDA's parameter buffer, or the host
 * launcher), so a kernel's signature and its caller cannot disagree on the
 * order or the types of the arguments; tests/test_cuda_kernels.py checks the
 * struct sizes against the .entry parameter lists of `nvcc -ptx`.
 */
#ifndef CT_CUDA_CUH
#define CT_CUDA_CUH

#ifdef __CUDACC__
#include <cuda_fp16.h>
#include <cuda/std/complex>
#define CT_HOST_BUILD 0
namespace ctx = cuda::std;
typedef __half ct_f16;
#define CT_HOST_REGISTER(name, Args, mode)
#else
#include "host_shim.h"
#include <complex>
#define CT_HOST_BUILD 1
namespace ctx = std;
typedef _Float16 ct_f16;
#endif

#include <stdint.h>
#include "kernel_args.h"

#define CT_DEV __device__ __forceinline__

/* CT_KERNEL(name, Args, CT_SERIAL | CT_SYNC) { body using `a` }:
 * CT_SYNC when the body calls __syncthreads() or a warp shuffle. */
#define CT_KERNEL(name, Args, mode)                                                    \
    extern "C" __global__ void name(const Args a);                                     \
    CT_HOST_REGISTER(name, Args, mode)                                                  \
    extern "C" __global__ void name(const Args a)

#define CT_GRID_STRIDE(i, count)                                                       \
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < (int64_t)(count); \
         i += (int64_t)gridDim.x * blockDim.x)

typedef ctx::complex<float> ct_c64;
typedef ctx::complex<double> ct_c128;
typedef uint8_t ct_b8;

/* half: stored as ct_f16, computed in float */
CT_DEV float ct_h2f(ct_f16 h) { return (float)h; }
CT_DEV ct_f16 ct_f2h(float f) { return (ct_f16)f; }

#endif
