/* Matrix products on the CPU (definitions in matmul.c, sgemm.c and
 * dgemm.c): the integer products that BLAS does not cover, the batched
 * float/complex products that run a BLAS gemm (scipy's, bound by the
 * caller) under ctorch's own threads, and ctorch's own float32 and float64
 * gemm.
 */
#ifndef CT_MATMUL_H
#define CT_MATMUL_H

#include "common.h"

/* ctorch's own GEMM kernels (sgemm.c, dgemm.c) are built for x86-64 with
 * GCC 9 or later (their asm and target pragmas); elsewhere, or with
 * CT_NO_OWN_GEMM defined, their entry points return -1 and the BLAS runs */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 9 \
    && !defined(CT_NO_OWN_GEMM)
#define CT_OWN_GEMM 1
#endif

/* ---- integer products -------------------------------------------------- */

/* C[b] (m x n, dense rows) = A[b] (m x k, dense rows) x B[b] (k x n, dense
 * rows), b < nb; the operands of entry b start offa[b] and offb[b] elements
 * into A and B. Integer products wrap around like the type's arithmetic. */
typedef void (*ct_mm_fn)(int64_t nb, const int64_t *offa, const int64_t *offb,
                         const void *A, const void *B, void *C,
                         int64_t m, int64_t n, int64_t k);

/* indexed by dtype code; floats and complex go through BLAS, half through float */
extern ct_mm_fn ct_mm_loops[CT_NDTYPES];

void ct_mm_u8(int64_t nb, const int64_t *offa, const int64_t *offb, const void *A,
              const void *B, void *C, int64_t m, int64_t n, int64_t k);
void ct_mm_i8(int64_t nb, const int64_t *offa, const int64_t *offb, const void *A,
              const void *B, void *C, int64_t m, int64_t n, int64_t k);
void ct_mm_i16(int64_t nb, const int64_t *offa, const int64_t *offb, const void *A,
               const void *B, void *C, int64_t m, int64_t n, int64_t k);
void ct_mm_i32(int64_t nb, const int64_t *offa, const int64_t *offb, const void *A,
               const void *B, void *C, int64_t m, int64_t n, int64_t k);
void ct_mm_i64(int64_t nb, const int64_t *offa, const int64_t *offb, const void *A,
               const void *B, void *C, int64_t m, int64_t n, int64_t k);

/* ---- float products through BLAS ----------------------------------------- */

/* the Fortran gemm interface (sgemm, dgemm, cgemm, zgemm) */
typedef void (*ct_gemm_fn)(char *ta, char *tb, int *m, int *n, int *k, void *alpha,
                           void *a, int *lda, void *b, int *ldb, void *beta, void *c, int *ldc);
/* OpenBLAS's openblas_set_num_threads_local: sets the calling thread's
 * BLAS thread count, returns the previous one */
typedef int (*ct_blas_local_fn)(int);

/* Looks for OpenBLAS's per-thread thread count in the library that provides
 * `gemm_addr` (or one it depends on) and keeps it for ct_gemm_batched;
 * returns 1 when found. */
int ct_blas_find_local(void *gemm_addr);

/* The same switch in another library (numpy's own OpenBLAS, which its LAPACK
 * calls use): found through a file that links it; NULL if there is none. */
ct_blas_local_fn ct_blas_local_in(const char *path);

/* Holds the BLAS found by ct_blas_find_local on one thread until
 * ct_blas_unpin(the value returned), for a team of threads that call it:
 * their gemm calls then leave its thread count alone. -1 (and nothing
 * held) inside a parallel region, where already held, or without it. */
int ct_blas_pin(void);
void ct_blas_unpin(int prev);

/* C[b] = alpha op1(P + off1[b]) op2(Q + off2[b]) + beta C[b] for nb batches,
 * column-major as BLAS has it (C dense, M * N apart; offsets in elements of
 * size es; alpha, beta point to values of the dtype). With OpenBLAS found
 * by ct_blas_find_local, each gemm runs on one BLAS thread and the work is
 * spread over ctorch's OpenMP threads; any other BLAS threads itself. */
void ct_gemm_batched(ct_gemm_fn f, size_t es, char t1, char t2, int M, int N, int K,
                     void *alpha, char *P, int ld1, const int64_t *off1,
                     char *Q, int ld2, const int64_t *off2, void *beta,
                     char *C, int ldc, int64_t nb);

/* ---- ctorch's own float32 and float64 products (sgemm.c, dgemm.c) ------- */

/* The same as ct_gemm_batched for float32, on ctorch's own packed kernels
 * and threads. Returns 0 when done, -1 when this CPU has no kernel for it
 * (nothing is written then; the caller runs the BLAS). */
int ct_sgemm_batched(char t1, char t2, int M, int N, int K, float alpha,
                     const float *P, int ld1, const int64_t *off1,
                     const float *Q, int ld2, const int64_t *off2, float beta,
                     float *C, int ldc, int64_t nb);

/* The same for float64 (dgemm.c): ctorch's own kernel where the CPU has
 * AVX-512, -1 (nothing written) elsewhere. */
int ct_dgemm_batched(char t1, char t2, int M, int N, int K, double alpha,
                     const double *P, int ld1, const int64_t *off1,
                     const double *Q, int ld2, const int64_t *off2, double beta,
                     double *C, int ldc, int64_t nb);

/* The same for complex64 (complex128) with real alpha and beta, as one real
 * product on ct_sgemm_batched (ct_dgemm_batched); P, Q and C point to the
 * interleaved parts, the leading dimensions and offsets count complex
 * elements. -1 (nothing written) where that kernel is missing, for fewer
 * than 4 columns of C, or out of memory. */
int ct_cgemm_via_real(char t1, char t2, int M, int N, int K, float alpha,
                      const float *P, int ld1, const int64_t *off1,
                      const float *Q, int ld2, const int64_t *off2, float beta,
                      float *C, int ldc, int64_t nb);
int ct_zgemm_via_real(char t1, char t2, int M, int N, int K, double alpha,
                      const double *P, int ld1, const int64_t *off1,
                      const double *Q, int ld2, const int64_t *off2, double beta,
                      double *C, int ldc, int64_t nb);

/* The micro-tile (rows x columns of C) of the kernel ct_sgemm_batched runs
 * on this CPU: 0, or -1 (and 32 x 12) when it has none. */
int ct_sgemm_tile(int *mr, int *nr);

/* ---- float16 and bfloat16 products (matmul.c, bf16gemm.c) ---------------- */

/* C[b] (m x n, dense rows) = A[b] B[b], b < nb, for dtype CT_FLOAT16 or
 * CT_BFLOAT16, with A[b](i, p) = A[offa[b] + i * ars + p * acs] and B[b](p,
 * j) = B[offb[b] + p * brs + j * bcs]: float32 products rounded once, on
 * AMX (bfloat16, ct_bf16_gemm) or ctorch's float32 kernel in units of
 * (product, slab of C) a thread. 0, or -1 (the caller's float32 route
 * runs) without that kernel or out of memory. */
int ct_half_gemm(int dtype, int64_t nb, int64_t m, int64_t n, int64_t k,
                 const uint16_t *A, const int64_t *offa, int64_t ars, int64_t acs,
                 const uint16_t *B, const int64_t *offb, int64_t brs, int64_t bcs, uint16_t *C);


/* C[b] (m x n, dense rows) = A[b] B[b], b < nb, with A[b](i, p) =
 * A[offa[b] + i * ars + p * acs] and B[b](p, j) = B[offb[b] + p * brs +
 * j * bcs], float32 accumulation rounded once: 0, or -1 (nothing written)
 * where the CPU or the OS offers no AMX, or memory for the packed operands
 * runs out. */
int ct_bf16_gemm(int64_t nb, int64_t m, int64_t n, int64_t k,
                 const uint16_t *A, const int64_t *offa, int64_t ars, int64_t acs,
                 const uint16_t *B, const int64_t *offb, int64_t brs, int64_t bcs, uint16_t *C);

#endif
