/* The arguments of every CUDA kernel: one struct per kernel family.
 *
 * C, included by the kernels (ct_cuda.cuh) and by the backend that launches
 * them (ctorch/cuda/backend.c): a kernel takes its struct by value, and the
 * launch copies the struct's bytes into the kernel's parameter buffer. Only
 * fixed-size fields (int64_t, int32_t, double, pointers as uint64_t), so the
 * layout is the same for gcc, g++ and nvcc. tests/test_cuda_kernels.py checks
 * each kernel's parameter size in `nvcc -ptx` against sizeof here.
 */
#ifndef CT_KERNEL_ARGS_H
#define CT_KERNEL_ARGS_H

#include <stdint.h>

#define CT_CUDA_MAXDIM 16      /* dims of an elementwise launch after coalescing */

/* the dtype codes (ctorch/_kernels/common.h) */
enum {
    CTK_BOOL = 0, CTK_UINT8, CTK_INT8, CTK_INT16, CTK_INT32, CTK_INT64,
    CTK_FLOAT16, CTK_FLOAT32, CTK_FLOAT64, CTK_COMPLEX64, CTK_COMPLEX128
};

/* elementwise: up to 4 operands (operand 0 the output) over one broadcast,
 * coalesced space; strides in bytes. `contig` is 1 when every operand is
 * dense (stride = element size) or a scalar (stride 0) in a 1-d space. */
typedef struct {
    uint64_t ptr[4];
    int64_t shape[CT_CUDA_MAXDIM];
    int64_t strides[4][CT_CUDA_MAXDIM];
    int64_t n;                  /* elements */
    int32_t ndim, nargs;
    int32_t op;                 /* the op code (elementwise_ops.def) */
    int32_t dtype;              /* computation dtype (see backend.h's kinds) */
    int32_t dtype_out;          /* casts: the output's dtype */
    int32_t contig;
    double pa, pb, pc;          /* ct_params: a, b, c */
    int64_t pia, pib;           /* ct_params: ia, ib */
    int32_t pflags;
    int32_t pad_;
    uint64_t err;               /* device address of an int32 error flag (integer / 0) */
    int32_t scalar_mask;        /* bit k: operand k is the value in scal[k], not memory */
    int32_t pad2_;
    unsigned char scal[4][16];  /* python numbers, written in the operand's dtype */
} ct_ew_args;

/* random fills on the Philox stream (random.cu) */
typedef struct {
    uint64_t seed, offset;
    uint64_t out;
    int64_t n;
    int64_t low, high;          /* int64_range */
} ct_rand_args;

#endif
