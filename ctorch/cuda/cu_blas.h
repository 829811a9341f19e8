/* cuBLAS for the CUDA backend's float products, loaded at run time.
 *
 * cuBLAS ships with the CUDA toolkit and with PyTorch's wheels (the
 * nvidia-cublas package), not with the driver, so ctorch never links it:
 * ctorch.cuda finds a libcublas and hands its path to ctc_blas_load, which
 * dlopens it and takes the five entry points it uses. When none is found
 * (or CTORCH_CUBLAS=0), the products run in the tiled kernels of
 * cuda_src/matmul.cu.
 *
 * The math mode is cuBLAS's default: float32 products in float32 (no TF32,
 * as PyTorch's default torch.backends.cuda.matmul.allow_tf32 = False), on
 * the default stream, where every ctorch kernel runs.
 */
#ifndef CTC_CU_BLAS_H
#define CTC_CU_BLAS_H

#include <stdint.h>

/* 0: loaded; -1: not (the reason is in msg, of size n) */
int ctc_blas_load(const char *path, char *msg, int n);
void ctc_blas_unload(void);
/* 1 while a library is loaded */
int ctc_blas_loaded(void);
/* products run by cuBLAS since it was loaded */
int64_t ctc_blas_calls(void);

/* The gemm entry (backend.h's conventions) through cuBLAS: 0 when done,
 * -1 when cuBLAS is not loaded or cannot take the problem (the caller runs
 * its own kernels), 1 when cuBLAS failed (the sticky error is set). */
int ctc_blas_gemm(int dtype, char t1, char t2, int M, int N, int K, const void *alpha,
                  char *P, int ld1, const int64_t *off1, char *Q, int ld2, const int64_t *off2,
                  const void *beta, char *C, int ldc, int64_t nb);

#endif
