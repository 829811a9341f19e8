/* The arguments of the matrix-product kernels (matmul.cu), filled by the
 * CUDA backend's products family (ctorch/cuda/cu_products.c).
 *
 * C, fixed-size fields only (pointers as uint64_t), so that gcc, g++ and
 * nvcc lay the structs out alike. Element offsets and strides count elements
 * of the operand's dtype. alpha and beta are stored as double pairs (real,
 * imaginary); a float32 or complex64 value converts to double and back
 * exactly.
 */
#ifndef CT_MATMUL_ARGS_H
#define CT_MATMUL_ARGS_H

#include <stdint.h>

/* The tiled product, column-major as BLAS has it: for each batch b and K
 * slice s (z = b * splits + s, blocks loop over z),
 *   C[b] (M x N, ld ldc, cstep apart) = alpha op1(P[b]) op2(Q[b]) + beta C[b]
 * where op1(P[b]) (M x K) has element (i, p) at P + off1(b) + i + p * ld1
 * (tr1 = 0) or P + off1(b) + p + i * ld1 (tr1 = 1), conjugated when cj1;
 * op2(Q[b]) (K x N) has (p, j) at Q + off2(b) + p + j * ld2 (tr2 = 0) or
 * Q + off2(b) + j + p * ld2 (tr2 = 1). off1(b) is the int64 at off1[b]
 * (device memory) when off1 != 0, else b * step1 (likewise off2).
 * With splits > 1, slice s covers K elements [s * kslice, (s + 1) * kslice)
 * and writes its raw sums (the accumulation type) to work + z * M * N
 * (column-major, ld M); ct_gemm_finish_* then combines them.
 * Integer dtypes: alpha = 1, beta = 0, wrapping arithmetic.
 * vec1 / vec2 / vecc: the operand may be read (written) 16 bytes at a time
 * (base address, ld and every batch offset aligned to 16 bytes). */
typedef struct {
    uint64_t P, Q, C, work;
    uint64_t off1, off2;
    int64_t step1, step2;
    int64_t ld1, ld2, ldc, cstep, nb;
    double alpha_re, alpha_im, beta_re, beta_im;
    int32_t M, N, K;
    int32_t tr1, tr2, cj1, cj2;
    int32_t vec1, vec2, vecc;
    int32_t splits, kslice;
    int32_t alpha_one, beta_zero, beta_one;
    int32_t pad_;
} ct_gemm_args;

/* Matrix times vector (a product with one output column), batched:
 *   y[b] (M) = alpha X[b] v[b] + beta y[b]
 * X[b] element (i, p) at X + offX(b) + i * sxr + p * sxp (conjugated when
 * cjX), v[b] element p at v + offv(b) + p * svp (conjugated when cjv),
 * y[b] element i at C + b * cstep + i * csr. Offsets and splits as in
 * ct_gemm_args (partials at work + z * M). vec: sxp = svp = 1 and X, v,
 * sxr and every offset aligned to 16 bytes. wpr: warps per output element
 * of ct_gemv_rows (1 or 8). */
typedef struct {
    uint64_t X, v, C, work;
    uint64_t offX, offv;
    int64_t stepX, stepv;
    int64_t sxr, sxp, svp, csr, cstep, nb;
    double alpha_re, alpha_im, beta_re, beta_im;
    int32_t M, K;
    int32_t cjX, cjv, vec, wpr;
    int32_t splits, kslice;
    int32_t alpha_one, beta_zero, beta_one;
    int32_t pad_;
} ct_gemv_args;

/* The end of a split product: for each b < nb and (i, j) < (M, N),
 *   C[b](i, j) = alpha sum_s work[(b * splits + s) * M * N + i + j * M] + beta C[b](i, j)
 * with C[b](i, j) at C + b * cstep + i * csi + j * csj; splits = 0 sums
 * nothing (an empty product: C = beta C). */
typedef struct {
    uint64_t work, C;
    int64_t nb, csi, csj, cstep;
    double alpha_re, alpha_im, beta_re, beta_im;
    int32_t M, N, splits;
    int32_t alpha_one, beta_zero, beta_one;
} ct_gemm_finish_args;

#endif
