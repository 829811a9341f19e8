/* ctorch's own float32 matrix product (SGEMM), for x86-64 CPUs with AVX-512
 * or with AVX2 and FMA.
 *
 * C (M x N, column-major, leading dimension ldc) = alpha op1(A) op2(B) + beta C
 * with BLAS's conventions: op is 'N' (as stored, column-major) or 'T'
 * (transposed), beta == 0 never reads C (a NaN there does not leak), and
 * alpha == 0 or K == 0 never reads A or B.
 *
 * The structure is the usual one of high-performance GEMM (Goto's
 * algorithm): K is cut into blocks of KC, the columns of C into blocks of NC
 * and its rows into blocks of MC. Each KC x NC block of op2(B) is copied
 * ("packed") into a buffer as micro-panels of NR columns stored k-major (NR
 * consecutive floats per k), and each MC x KC block of op1(A) as
 * micro-panels of MR rows (MR consecutive floats per k). Packing does the
 * transposes, leading dimensions and zero padding of the edges. The
 * micro-kernel computes an MR x NR tile of C: per k it loads MR floats of A
 * (vector registers), broadcasts NR floats of B and adds the outer product
 * into MR / lanes x NR vector accumulators; at the end it writes
 * alpha acc + beta C, with masks on the edges of C. There are two
 * micro-kernels, each with the packing routines and matrix-vector products
 * of its vector width, behind one driver (blocking, packing loops, threads)
 * that takes the tile and block sizes from a table of the kernel (ct_sg_isa):
 *
 *   AVX-512: MR x NR = 32 x 12, two zmm loads of A and 24 zmm accumulators.
 *     Blocks for Sapphire Rapids (48 KB L1d, 2 MB L2 per core): a B
 *     micro-panel (KC x NR = 320 x 12, 15 KB) stays in L1 while the
 *     micro-kernel walks over the A block (MC x KC = 256 x 320, 320 KB),
 *     which stays in L2; the B block (KC x NC) is reused for every A block.
 *   AVX2 + FMA: MR x NR = 16 x 6, two ymm loads of A and 12 ymm
 *     accumulators (of the 16 ymm registers). Blocks for Zen 3 (32 KB L1d,
 *     512 KB L2 per core, 32 MB L3): the B micro-panel (KC x NR = 256 x 6,
 *     6 KB) in L1, the A block (MC x KC = 192 x 256, 192 KB) in L2, the B
 *     block (KC x NC = 256 x 4080, 4 MB) in L3.
 *
 * Packing costs a pass over the operand, which the micro-kernel repays only
 * when it reads the packed block many times. So an operand that is already
 * laid out the way the kernel walks it is read in place where packing would
 * not pay: op(B) = B ('N': each of the NR columns is contiguous in k)
 * when the rows of C are few enough that each panel is read by a few blocks
 * of A only, and op(A) = A ('N': MR contiguous rows per k) for small
 * products. A partial tile at the end of an operand read in place is read
 * as the full tile that ends with it, and only its own rows or columns are
 * written.
 *
 * Threads: a batch of at least as many products as threads is spread over
 * ctorch's OpenMP threads one product at a time. Otherwise each product is
 * cut into one slab of rows or columns of C per thread, each an independent
 * product with its own packing: no thread ever waits for another inside a
 * product, which keeps the threads' speed when the machine is shared (a
 * barrier waits for the slowest thread at every block). Products under
 * CT_SGEMM_PAR_FLOPS stay on the calling thread.
 *
 * Each kernel's code is compiled for its instruction set with a target
 * pragma, the driver for the baseline x86-64, and the kernel is chosen at
 * run time: AVX-512 where the CPU has it, else AVX2 + FMA (also chosen, on
 * any CPU that has AVX2, by the environment variable CTORCH_SGEMM_AVX2). On
 * other CPUs (or with the environment variable CTORCH_BLAS_SGEMM set)
 * ct_sgemm_batched returns -1 and the caller runs the BLAS instead.
 */
#include "matmul.h"
#include "strided.h"
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 9 \
    && !defined(CT_NO_OWN_SGEMM)
#define CT_SGEMM_X86 1
#endif

#ifdef CT_SGEMM_X86
#include <immintrin.h>

/* AVX-512 */
#define CT_Z_MR 32        /* rows of C per micro-tile: two zmm vectors */
#define CT_Z_NR 12        /* columns of C per micro-tile: broadcasts */
#ifndef CT_Z_KC
#define CT_Z_KC 320       /* k per packed block */
#endif
#ifndef CT_Z_MC
#define CT_Z_MC 256       /* rows per packed A block (multiple of CT_Z_MR) */
#endif
#ifndef CT_Z_NC
#define CT_Z_NC 2880      /* columns per packed B block (multiple of CT_Z_NR) */
#endif
#ifndef CT_Z_AIN
#define CT_Z_AIN 65536    /* op(A) read in place up to M K this large */
#endif

/* AVX2 + FMA */
#define CT_Y_MR 16        /* two ymm vectors */
#define CT_Y_NR 6
#ifndef CT_Y_KC
#define CT_Y_KC 256
#endif
#ifndef CT_Y_MC
#define CT_Y_MC 192       /* multiple of CT_Y_MR */
#endif
#ifndef CT_Y_NC
#define CT_Y_NC 4080      /* multiple of CT_Y_NR */
#endif
#ifndef CT_Y_AIN
#define CT_Y_AIN 32768
#endif

/* fewer flops than this stay on the calling thread (two threads already
 * pay from about 2 MFLOP: 128 x 64 times 64 x 128 and an LSTM step's
 * 16 x 128 times 128 x 512 ran in 0.7 of the time of one) */
#define CT_SGEMM_PAR_FLOPS 1500000.0

/* the matrix-vector products' block of y */
#define CT_SG_GV_BLOCK 1024

/* ---- one kernel's table --------------------------------------------------
 * The micro-kernel: acc (MR x NR) = sum over k < kc of A(i, p) B(p, j); then
 * C[i + j * ldc] = alpha acc + beta C for the rows i set in `rows` (bit i)
 * and the columns jlo <= j < jhi (beta == 0: C is not read). A is
 * A(i, p) = a[p * as + i]: a packed micro-panel (as == MR, aligned) or MR
 * rows of a column-major matrix read in place. B is a packed micro-panel,
 * B(p, j) = b[p * NR + j], when bcs == 0; otherwise NR columns of a
 * column-major matrix read in place, B(p, j) = b[p + j * bcs].
 *
 * The packing routines copy n <= MR rows (n <= NR columns) and kc k of
 * op(A) (op(B)) into one micro-panel, zero past n: pack_a_n reads
 * A(i, p) = a[i + p * lda], pack_a_t A(i, p) = a[p + i * lda], pack_b_n
 * B(p, j) = b[p + j * ldb], pack_b_t B(p, j) = b[j + p * ldb].
 *
 * gemv_dot: y[j * incy] = alpha sum_p x[p] A[p + j lda] + beta y (j < N);
 * gemv_axpy: y[i * incy] = alpha sum_p A[i + p lda] x[p incx] + beta y (i < M). */
typedef struct {
    int mr, nr, kc, mc, nc;
    int64_t ain_max;      /* op(A) = A is read in place up to M K this large */
    void (*kernel)(int kc, const float *restrict a, int64_t as, const float *restrict b,
                   int64_t bcs, float *c, int64_t ldc, float alpha, float beta,
                   uint32_t rows, int jlo, int jhi);
    void (*pack_a_n)(const float *a, int64_t lda, int mr, int kc, float *dst);
    void (*pack_a_t)(const float *a, int64_t lda, int mr, int kc, float *dst);
    void (*pack_b_n)(const float *b, int64_t ldb, int nr, int kc, float *dst);
    void (*pack_b_t)(const float *b, int64_t ldb, int nr, int kc, float *dst);
    void (*gemv_dot)(int K, int N, float alpha, const float *A, int64_t lda,
                     const float *x, float beta, float *y, int64_t incy);
    void (*gemv_axpy)(int M, int K, float alpha, const float *A, int64_t lda,
                      const float *x, int64_t incx, float beta, float *y, int64_t incy);
} ct_sg_isa;

/* Either kernel's write-back of a whole MR x NR tile, MR = 2 W (acc(i) its
 * i-th vector of W floats, va and vb alpha and beta broadcast):
 * C = alpha acc, alpha acc + C or alpha acc + beta C by beta (beta == 0
 * never reads C). */
#define CT_SG_WRITE_FULL(NR, W, LOADU, STOREU, MUL, FMADD)                       \
    for (int j = 0; j < (NR); j++)                                            \
        for (int h = 0; h < 2; h++) {                                         \
            float *p_ = c + j * ldc + h * (W);                                \
            STOREU(p_, beta == 0.0f ? MUL(va, acc(2 * j + h))                 \
                       : beta == 1.0f ? FMADD(va, acc(2 * j + h), LOADU(p_))  \
                       : FMADD(va, acc(2 * j + h), MUL(vb, LOADU(p_))));      \
        }

/* ---- per-thread packing buffers ------------------------------------------
 * alloc.h's per-thread scratch: one block for blocks of A, one for blocks
 * of B, kept between calls. */
static float *ct_sg_buffer(int which, size_t nfloats)
{
    return ct_thread_scratch(CT_SCRATCH_SGEMM_A + which, nfloats * sizeof(float));
}

/* The scalar part of packing a transposed operand, for either kernel: k
 * p0..kc of the n <= full lines src[p + i * ls] (i < n) into
 * dst[p * full + i], zero for n <= i < full. */
static void ct_sg_pack_gather(const float *src, int64_t ls, int n, int full, int p0, int kc,
                              float *dst)
{
    for (int p = p0; p < kc; p++) {
        float *d = dst + (size_t)p * full;
        int i = 0;
        for (; i < n; i++) d[i] = src[p + i * ls];
        for (; i < full; i++) d[i] = 0.0f;
    }
}

#pragma GCC push_options
#pragma GCC target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma,bmi2")

/* Rows i0..i0+mr (mr <= MR) and k p0..p0+kc of op(A) into one micro-panel:
 * dst[p * MR + i], zero past mr. 'N': A(i, p) = a[i + p * lda]. */
static void ct_sg_pack_a_n_z(const float *a, int64_t lda, int mr, int kc, float *dst)
{
    __mmask16 m0 = mr >= 16 ? 0xFFFF : (__mmask16)((1u << mr) - 1);
    __mmask16 m1 = mr >= 32 ? 0xFFFF : mr > 16 ? (__mmask16)((1u << (mr - 16)) - 1) : 0;
    for (int p = 0; p < kc; p++) {
        const float *s = a + p * lda;
        _mm512_store_ps(dst + p * CT_Z_MR, _mm512_maskz_loadu_ps(m0, s));
        _mm512_store_ps(dst + p * CT_Z_MR + 16, _mm512_maskz_loadu_ps(m1, s + 16));
    }
}

/* Transposes a 16 x 16 tile of floats: rows i < nrows of the source (16
 * floats each, row stride ls; the other rows count as zero) go to
 * dst[c * ld + i] for columns c < 16, writing the lanes of `keep` only. */
static inline __attribute__((always_inline)) void
ct_sg_t16(const float *s, int64_t ls, int nrows, float *dst, int ld, __mmask16 keep)
{
    __m512 r[16], t[16];
    for (int i = 0; i < 16; i++) r[i] = i < nrows ? _mm512_loadu_ps(s + i * ls) : _mm512_setzero_ps();
    /* interleave 32-bit, 64-bit, then 128-bit lanes */
    for (int i = 0; i < 16; i += 2) {
        t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 16; i += 4) {
        r[i] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[i]), _mm512_castps_pd(t[i + 2])));
        r[i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[i]), _mm512_castps_pd(t[i + 2])));
        r[i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[i + 1]), _mm512_castps_pd(t[i + 3])));
        r[i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[i + 1]), _mm512_castps_pd(t[i + 3])));
    }
    /* r[4q + s] now holds, in each 128-bit lane L, column 4L + s of rows
     * 4q..4q+3; gather the lanes */
    for (int q = 0; q < 4; q += 2) {
        for (int s = 0; s < 4; s++) {
            __m512 x = r[4 * q + s], y = r[4 * q + 4 + s];
            t[4 * q + s] = _mm512_shuffle_f32x4(x, y, 0x88);      /* lanes 0,2 of x, 0,2 of y */
            t[4 * q + 4 + s] = _mm512_shuffle_f32x4(x, y, 0xDD);  /* lanes 1,3 of x, 1,3 of y */
        }
    }
    /* t[s] (q=0): lanes = col s rows 0-3, col 8+s rows 0-3, col s rows 4-7, col 8+s rows 4-7
     * t[4+s]: col 4+s rows 0-3, col 12+s rows 0-3, col 4+s rows 4-7, col 12+s rows 4-7
     * t[8+s], t[12+s]: the same for rows 8..15 */
    for (int s = 0; s < 4; s++) {
        for (int h = 0; h < 2; h++) {
            __m512 lo = t[4 * h + s], hi = t[8 + 4 * h + s];
            __m512 c0 = _mm512_shuffle_f32x4(lo, hi, 0x88);  /* col (4h+s): rows 0-3, 4-7, 8-11, 12-15 */
            __m512 c1 = _mm512_shuffle_f32x4(lo, hi, 0xDD);  /* col (8+4h+s) */
            _mm512_mask_storeu_ps(dst + (4 * h + s) * ld, keep, c0);
            _mm512_mask_storeu_ps(dst + (8 + 4 * h + s) * ld, keep, c1);
        }
    }
}

/* The same for 'T': A(i, p) = a[p + i * lda]. */
static void ct_sg_pack_a_t_z(const float *a, int64_t lda, int mr, int kc, float *dst)
{
    int p = 0;
    if (mr == CT_Z_MR) {
        for (; p + 16 <= kc; p += 16) {
            ct_sg_t16(a + p, lda, 16, dst + p * CT_Z_MR, CT_Z_MR, 0xFFFF);
            ct_sg_t16(a + p + 16 * lda, lda, 16, dst + p * CT_Z_MR + 16, CT_Z_MR, 0xFFFF);
        }
    }
    ct_sg_pack_gather(a, lda, mr, CT_Z_MR, p, kc, dst);
}

/* Columns j0..j0+nr (nr <= NR) and k p0..p0+kc of op(B) into one
 * micro-panel: dst[p * NR + j], zero past nr. 'N': B(p, j) = b[p + j * ldb]. */
static void ct_sg_pack_b_n_z(const float *b, int64_t ldb, int nr, int kc, float *dst)
{
    int p = 0;
    if (nr == CT_Z_NR)
        for (; p + 16 <= kc; p += 16)
            ct_sg_t16(b + p, ldb, CT_Z_NR, dst + p * CT_Z_NR, CT_Z_NR, 0x0FFF);
    ct_sg_pack_gather(b, ldb, nr, CT_Z_NR, p, kc, dst);
}

/* The same for 'T': B(p, j) = b[j + p * ldb]. */
static void ct_sg_pack_b_t_z(const float *b, int64_t ldb, int nr, int kc, float *dst)
{
    __mmask16 m = nr >= 16 ? 0xFFFF : (__mmask16)((1u << nr) - 1);
    for (int p = 0; p < kc; p++) {
        __m512 v = _mm512_maskz_loadu_ps(m, b + p * ldb);
        _mm512_mask_storeu_ps(dst + p * CT_Z_NR, 0x0FFF, v);
    }
}

/* The micro-kernel: acc (MR x NR) = sum over k of A(i, p) B(p, j); then
 * C[i + j * ldc] = alpha acc + beta C for the rows i set in `rows` (bit i)
 * and the columns jlo <= j < jhi (beta == 0: C is not read). A is
 * A(i, p) = a[p * as + i]: a packed micro-panel (as == MR, aligned) or 32
 * rows of a column-major matrix read in place. B is a packed micro-panel,
 * B(p, j) = b[p * NR + j], when bcs == 0; otherwise NR columns of a
 * column-major matrix read in place, B(p, j) = b[p + j * bcs]. */
static void ct_sg_kernel_z(int kc, const float *restrict a, int64_t as, const float *restrict b,
                         int64_t bcs, float *c, int64_t ldc, float alpha, float beta,
                         uint32_t rows, int jlo, int jhi)
{
    /* the C tile is written at the end: bring it towards L1 meanwhile (a
     * short k loop would not hide the wait, and only pays the prefetches) */
    if (kc >= 64)
        for (int j = jlo; j < jhi; j++) {
            _mm_prefetch((const char *)(c + j * ldc), _MM_HINT_T0);
            _mm_prefetch((const char *)(c + j * ldc + 16), _MM_HINT_T0);
            _mm_prefetch((const char *)(c + j * ldc + 31), _MM_HINT_T0);
        }
    else if (ldc >= 512)
        /* a short k loop on long columns of C (a result that does not stay
         * in cache: 1000 x 1000 with K = 18 spent a third of its time
         * waiting on its stores): the next tile down's lines (the driver's
         * next call), for writing, while this one computes */
        for (int j = jlo; j < jhi; j++) {
            __builtin_prefetch(c + j * ldc + 32, 1, 3);
            __builtin_prefetch(c + j * ldc + 48, 1, 3);
            __builtin_prefetch(c + j * ldc + 63, 1, 3);
        }
    /* The k loop in assembly (GCC's own allocation of the intrinsics moves
     * accumulators between registers every step): the 32 x 12 tile sits in
     * zmm8..zmm31; per k two loads of A (zmm0, zmm1), twelve broadcasts of
     * B (zmm2) and 24 FMAs. The tile goes to `t` at the end. */
#define CT_SG_FMA(src, x0, x1)                                                \
    "vbroadcastss " src ", %%zmm2\n\t"                                        \
    "vfmadd231ps %%zmm0, %%zmm2, %%zmm" #x0 "\n\t"                            \
    "vfmadd231ps %%zmm1, %%zmm2, %%zmm" #x1 "\n\t"
#define CT_SG_LOAD_A                                                          \
    "vmovups (%[a]), %%zmm0\n\t"                                              \
    "vmovups 64(%[a]), %%zmm1\n\t"                                            \
    "prefetcht0 (%[a],%[as],8)\n\t"                                           \
    "prefetcht0 64(%[a],%[as],8)\n\t"                                         \
    "addq %[as], %[a]\n\t"
    /* packed B: twelve consecutive floats per k, in three groups of four
     * columns (the narrow tiles below take the first one or two) */
#define CT_SG_PG0                                                             \
    CT_SG_FMA("0(%[b])", 8, 9) CT_SG_FMA("4(%[b])", 10, 11)                   \
    CT_SG_FMA("8(%[b])", 12, 13) CT_SG_FMA("12(%[b])", 14, 15)
#define CT_SG_PG1                                                             \
    CT_SG_FMA("16(%[b])", 16, 17) CT_SG_FMA("20(%[b])", 18, 19)               \
    CT_SG_FMA("24(%[b])", 20, 21) CT_SG_FMA("28(%[b])", 22, 23)
#define CT_SG_PG2                                                             \
    CT_SG_FMA("32(%[b])", 24, 25) CT_SG_FMA("36(%[b])", 26, 27)               \
    CT_SG_FMA("40(%[b])", 28, 29) CT_SG_FMA("44(%[b])", 30, 31)
#define CT_SG_STEP_P CT_SG_LOAD_A CT_SG_PG0 CT_SG_PG1 CT_SG_PG2 "addq $48, %[b]\n\t"
    /* B in place: column j at q(3 * (j / 3)) + (j % 3) * r, one float per k */
#define CT_SG_STEP_S                                                          \
    CT_SG_LOAD_A                                                              \
    CT_SG_FMA("(%[q0])", 8, 9) CT_SG_FMA("(%[q0],%[r],1)", 10, 11)            \
    CT_SG_FMA("(%[q0],%[r],2)", 12, 13) CT_SG_FMA("(%[q3])", 14, 15)          \
    CT_SG_FMA("(%[q3],%[r],1)", 16, 17) CT_SG_FMA("(%[q3],%[r],2)", 18, 19)   \
    CT_SG_FMA("(%[q6])", 20, 21) CT_SG_FMA("(%[q6],%[r],1)", 22, 23)          \
    CT_SG_FMA("(%[q6],%[r],2)", 24, 25) CT_SG_FMA("(%[q9])", 26, 27)          \
    CT_SG_FMA("(%[q9],%[r],1)", 28, 29) CT_SG_FMA("(%[q9],%[r],2)", 30, 31)   \
    "addq $4, %[q0]\n\t" "addq $4, %[q3]\n\t" "addq $4, %[q6]\n\t" "addq $4, %[q9]\n\t"
    /* the same for one half of the rows: one vector of A per k */
#define CT_SG_FMA_H(src, x0)                                                  \
    "vbroadcastss " src ", %%zmm2\n\t"                                        \
    "vfmadd231ps %%zmm0, %%zmm2, %%zmm" #x0 "\n\t"
#define CT_SG_LOAD_A_H                                                        \
    "vmovups (%[a]), %%zmm0\n\t"                                              \
    "prefetcht0 (%[a],%[as],8)\n\t"                                           \
    "addq %[as], %[a]\n\t"
#define CT_SG_STEP_PH                                                         \
    CT_SG_LOAD_A_H                                                            \
    CT_SG_FMA_H("0(%[b])", 8) CT_SG_FMA_H("4(%[b])", 9)                       \
    CT_SG_FMA_H("8(%[b])", 10) CT_SG_FMA_H("12(%[b])", 11)                    \
    CT_SG_FMA_H("16(%[b])", 12) CT_SG_FMA_H("20(%[b])", 13)                   \
    CT_SG_FMA_H("24(%[b])", 14) CT_SG_FMA_H("28(%[b])", 15)                   \
    CT_SG_FMA_H("32(%[b])", 16) CT_SG_FMA_H("36(%[b])", 17)                   \
    CT_SG_FMA_H("40(%[b])", 18) CT_SG_FMA_H("44(%[b])", 19)                   \
    "addq $48, %[b]\n\t"
#define CT_SG_STEP_SH                                                         \
    CT_SG_LOAD_A_H                                                            \
    CT_SG_FMA_H("(%[q0])", 8) CT_SG_FMA_H("(%[q0],%[r],1)", 9)                \
    CT_SG_FMA_H("(%[q0],%[r],2)", 10) CT_SG_FMA_H("(%[q3])", 11)              \
    CT_SG_FMA_H("(%[q3],%[r],1)", 12) CT_SG_FMA_H("(%[q3],%[r],2)", 13)       \
    CT_SG_FMA_H("(%[q6])", 14) CT_SG_FMA_H("(%[q6],%[r],1)", 15)              \
    CT_SG_FMA_H("(%[q6],%[r],2)", 16) CT_SG_FMA_H("(%[q9])", 17)              \
    CT_SG_FMA_H("(%[q9],%[r],1)", 18) CT_SG_FMA_H("(%[q9],%[r],2)", 19)       \
    "addq $4, %[q0]\n\t" "addq $4, %[q3]\n\t" "addq $4, %[q6]\n\t" "addq $4, %[q9]\n\t"
    /* narrow tiles: the 32 rows against the columns of one or two groups of
     * four (zmm8..15, zmm8..23), where the tile's columns to write lie in
     * those (a last, partial tile of few columns: 16 columns of C ran as 12
     * + 12, a third of the FMAs on padding) */
#define CT_SG_STEP_P4 CT_SG_LOAD_A CT_SG_PG0 "addq $48, %[b]\n\t"
#define CT_SG_STEP_P8 CT_SG_LOAD_A CT_SG_PG0 CT_SG_PG1 "addq $48, %[b]\n\t"
    /* B in place: a group's columns at q, q + r, q + 2r, q + 3r (the first
     * group's q0, the second's q4 = q0 + 4r) */
#define CT_SG_SGROUP(q, x0, x1, x2, x3, x4, x5, x6, x7)                       \
    CT_SG_FMA("(%[" #q "])", x0, x1) CT_SG_FMA("(%[" #q "],%[r],1)", x2, x3)  \
    CT_SG_FMA("(%[" #q "],%[r],2)", x4, x5) CT_SG_FMA("(%[" #q "],%[r3],1)", x6, x7) \
    "addq $4, %[" #q "]\n\t"
#define CT_SG_STEP_S4 CT_SG_LOAD_A CT_SG_SGROUP(q0, 8, 9, 10, 11, 12, 13, 14, 15)
#define CT_SG_STEP_S8                                                         \
    CT_SG_LOAD_A CT_SG_SGROUP(q0, 8, 9, 10, 11, 12, 13, 14, 15)              \
    CT_SG_SGROUP(q4, 16, 17, 18, 19, 20, 21, 22, 23)
#define CT_SG_Z(x) "vpxord %%zmm" #x ", %%zmm" #x ", %%zmm" #x "\n\t"
#define CT_SG_S(x) "vmovaps %%zmm" #x ", (" #x "-8)*64(%[t])\n\t"
#define CT_SG_ZERO                                                            \
    CT_SG_Z(8) CT_SG_Z(9) CT_SG_Z(10) CT_SG_Z(11) CT_SG_Z(12) CT_SG_Z(13)     \
    CT_SG_Z(14) CT_SG_Z(15) CT_SG_Z(16) CT_SG_Z(17) CT_SG_Z(18) CT_SG_Z(19)   \
    CT_SG_Z(20) CT_SG_Z(21) CT_SG_Z(22) CT_SG_Z(23) CT_SG_Z(24) CT_SG_Z(25)   \
    CT_SG_Z(26) CT_SG_Z(27) CT_SG_Z(28) CT_SG_Z(29) CT_SG_Z(30) CT_SG_Z(31)
#define CT_SG_SAVE                                                            \
    CT_SG_S(8) CT_SG_S(9) CT_SG_S(10) CT_SG_S(11) CT_SG_S(12) CT_SG_S(13)     \
    CT_SG_S(14) CT_SG_S(15) CT_SG_S(16) CT_SG_S(17) CT_SG_S(18) CT_SG_S(19)   \
    CT_SG_S(20) CT_SG_S(21) CT_SG_S(22) CT_SG_S(23) CT_SG_S(24) CT_SG_S(25)   \
    CT_SG_S(26) CT_SG_S(27) CT_SG_S(28) CT_SG_S(29) CT_SG_S(30) CT_SG_S(31)
/* the k loop: four steps at a time, then the rest; ZERO before, SAVE after */
#define CT_SG_KLOOP(ZERO, STEP, SAVE)                                         \
    ZERO                                                                      \
    "testq %[k4], %[k4]\n\t"                                                  \
    "jz 2f\n\t"                                                               \
    "1:\n\t"                                                                  \
    STEP STEP STEP STEP                                                       \
    "decq %[k4]\n\t"                                                          \
    "jnz 1b\n\t"                                                              \
    "2:\n\t"                                                                  \
    "testq %[k1], %[k1]\n\t"                                                  \
    "jz 4f\n\t"                                                               \
    "3:\n\t"                                                                  \
    STEP                                                                      \
    "decq %[k1]\n\t"                                                          \
    "jnz 3b\n\t"                                                              \
    "4:\n\t"                                                                  \
    SAVE
#define CT_SG_LOOP(STEP) CT_SG_KLOOP(CT_SG_ZERO, STEP, CT_SG_SAVE)
#define CT_SG_SH(x) "vmovaps %%zmm" #x ", (2 * (" #x "-8))*64(%[t])\n\t"
#define CT_SG_LOOP_H(STEP)                                                    \
    CT_SG_KLOOP(CT_SG_Z(8) CT_SG_Z(9) CT_SG_Z(10) CT_SG_Z(11) CT_SG_Z(12) CT_SG_Z(13) \
                CT_SG_Z(14) CT_SG_Z(15) CT_SG_Z(16) CT_SG_Z(17) CT_SG_Z(18) CT_SG_Z(19), \
                STEP,                                                         \
                CT_SG_SH(8) CT_SG_SH(9) CT_SG_SH(10) CT_SG_SH(11) CT_SG_SH(12) CT_SG_SH(13) \
                CT_SG_SH(14) CT_SG_SH(15) CT_SG_SH(16) CT_SG_SH(17) CT_SG_SH(18) CT_SG_SH(19))
#define CT_SG_ZERO4 CT_SG_Z(8) CT_SG_Z(9) CT_SG_Z(10) CT_SG_Z(11) CT_SG_Z(12) CT_SG_Z(13) \
    CT_SG_Z(14) CT_SG_Z(15)
#define CT_SG_SAVE4 CT_SG_S(8) CT_SG_S(9) CT_SG_S(10) CT_SG_S(11) CT_SG_S(12) CT_SG_S(13) \
    CT_SG_S(14) CT_SG_S(15)
#define CT_SG_ZERO8 CT_SG_ZERO4 CT_SG_Z(16) CT_SG_Z(17) CT_SG_Z(18) CT_SG_Z(19) \
    CT_SG_Z(20) CT_SG_Z(21) CT_SG_Z(22) CT_SG_Z(23)
#define CT_SG_SAVE8 CT_SG_SAVE4 CT_SG_S(16) CT_SG_S(17) CT_SG_S(18) CT_SG_S(19) \
    CT_SG_S(20) CT_SG_S(21) CT_SG_S(22) CT_SG_S(23)
    /* a whole tile with alpha 1 and beta 0 or 1 written from the
     * registers (through t it cost a third of a product with K = 18): the
     * columns from c on, ldc4 bytes apart, k4 (0 after the loop) walking
     * them; beta 1 adds C's values first (the write-back's fma(1, acc, C)
     * rounds as that addition) */
#define CT_SG_C0(x0, x1)                                                      \
    "vmovups %%zmm" #x0 ", (%[k4])\n\t" "vmovups %%zmm" #x1 ", 64(%[k4])\n\t" \
    "addq %[ldc4], %[k4]\n\t"
#define CT_SG_C1(x0, x1)                                                      \
    "vaddps (%[k4]), %%zmm" #x0 ", %%zmm" #x0 "\n\t"                          \
    "vaddps 64(%[k4]), %%zmm" #x1 ", %%zmm" #x1 "\n\t" CT_SG_C0(x0, x1)
#define CT_SG_SAVE_C(C)                                                       \
    "movq %[c], %[k4]\n\t"                                                    \
    C(8, 9) C(10, 11) C(12, 13) C(14, 15) C(16, 17) C(18, 19)                 \
    C(20, 21) C(22, 23) C(24, 25) C(26, 27) C(28, 29) C(30, 31)
#define CT_SG_CLOBBERS                                                        \
    "zmm0", "zmm1", "zmm2", "zmm8", "zmm9", "zmm10", "zmm11", "zmm12", "zmm13", \
    "zmm14", "zmm15", "zmm16", "zmm17", "zmm18", "zmm19", "zmm20", "zmm21", "zmm22", \
    "zmm23", "zmm24", "zmm25", "zmm26", "zmm27", "zmm28", "zmm29", "zmm30", "zmm31", \
    "cc", "memory"
    float t[2 * CT_Z_NR * 16] __attribute__((aligned(64)));
    int64_t k4 = kc / 4, k1 = kc % 4;
    as *= (int64_t)sizeof(float);
    /* a tile with rows in one half only (the last rows of C): that half
     * alone, 12 accumulators, one load of A and twelve FMAs per k, saved
     * to the first half's places in t */
    int half = (rows >> 16) == 0 || (rows & 0xFFFFu) == 0;
    if ((rows & 0xFFFFu) == 0) {
        a += 16;
        c += 16;
        rows >>= 16;
    }
    /* the groups of four columns that hold the columns to write */
    const int g0 = jlo / 4, ng = (jhi + 3) / 4 - g0;
    if (half && bcs == 0) {
        __asm__ volatile(CT_SG_LOOP_H(CT_SG_STEP_PH)
                         : [a] "+r"(a), [b] "+r"(b), [k4] "+r"(k4), [k1] "+r"(k1)
                         : [t] "r"(t), [as] "r"(as)
                         : CT_SG_CLOBBERS);
    } else if (half) {
        const float *q0 = b, *q3 = b + 3 * bcs, *q6 = b + 6 * bcs, *q9 = b + 9 * bcs;
        int64_t r = bcs * (int64_t)sizeof(float);
        __asm__ volatile(CT_SG_LOOP_H(CT_SG_STEP_SH)
                         : [a] "+r"(a), [q0] "+r"(q0), [q3] "+r"(q3), [q6] "+r"(q6),
                           [q9] "+r"(q9), [k4] "+r"(k4), [k1] "+r"(k1)
                         : [t] "r"(t), [r] "r"(r), [as] "r"(as)
                         : CT_SG_CLOBBERS);
    } else if (ng < 3) {
        /* the groups g0 .. g0 + ng - 1: their accumulators to their
         * columns' places in t */
        float *tg = t + 2 * 16 * 4 * g0;
        if (bcs == 0) {
            const float *bg = b + 4 * g0;
            if (ng == 1)
                __asm__ volatile(CT_SG_KLOOP(CT_SG_ZERO4, CT_SG_STEP_P4, CT_SG_SAVE4)
                                 : [a] "+r"(a), [b] "+r"(bg), [k4] "+r"(k4), [k1] "+r"(k1)
                                 : [t] "r"(tg), [as] "r"(as)
                                 : CT_SG_CLOBBERS);
            else
                __asm__ volatile(CT_SG_KLOOP(CT_SG_ZERO8, CT_SG_STEP_P8, CT_SG_SAVE8)
                                 : [a] "+r"(a), [b] "+r"(bg), [k4] "+r"(k4), [k1] "+r"(k1)
                                 : [t] "r"(tg), [as] "r"(as)
                                 : CT_SG_CLOBBERS);
        } else {
            const float *q0 = b + 4 * g0 * bcs, *q4 = q0 + 4 * bcs;
            int64_t r = bcs * (int64_t)sizeof(float), r3 = 3 * r;
            if (ng == 1)
                __asm__ volatile(CT_SG_KLOOP(CT_SG_ZERO4, CT_SG_STEP_S4, CT_SG_SAVE4)
                                 : [a] "+r"(a), [q0] "+r"(q0), [k4] "+r"(k4), [k1] "+r"(k1)
                                 : [t] "r"(tg), [r] "r"(r), [r3] "r"(r3), [as] "r"(as)
                                 : CT_SG_CLOBBERS);
            else
                __asm__ volatile(CT_SG_KLOOP(CT_SG_ZERO8, CT_SG_STEP_S8, CT_SG_SAVE8)
                                 : [a] "+r"(a), [q0] "+r"(q0), [q4] "+r"(q4), [k4] "+r"(k4),
                                   [k1] "+r"(k1)
                                 : [t] "r"(tg), [r] "r"(r), [r3] "r"(r3), [as] "r"(as)
                                 : CT_SG_CLOBBERS);
        }
    } else if (rows == 0xFFFFFFFFu && jlo == 0 && jhi == CT_Z_NR && alpha == 1.0f
               && (beta == 0.0f || beta == 1.0f)) {
        int64_t ldc4 = ldc * (int64_t)sizeof(float);
        if (bcs == 0 && beta == 0.0f)
            __asm__ volatile(CT_SG_KLOOP(CT_SG_ZERO, CT_SG_STEP_P, CT_SG_SAVE_C(CT_SG_C0))
                             : [a] "+r"(a), [b] "+r"(b), [k4] "+r"(k4), [k1] "+r"(k1)
                             : [c] "r"(c), [ldc4] "r"(ldc4), [as] "r"(as)
                             : CT_SG_CLOBBERS);
        else if (bcs == 0)
            __asm__ volatile(CT_SG_KLOOP(CT_SG_ZERO, CT_SG_STEP_P, CT_SG_SAVE_C(CT_SG_C1))
                             : [a] "+r"(a), [b] "+r"(b), [k4] "+r"(k4), [k1] "+r"(k1)
                             : [c] "r"(c), [ldc4] "r"(ldc4), [as] "r"(as)
                             : CT_SG_CLOBBERS);
        else {
            const float *q0 = b, *q3 = b + 3 * bcs, *q6 = b + 6 * bcs, *q9 = b + 9 * bcs;
            int64_t r = bcs * (int64_t)sizeof(float);
            if (beta == 0.0f)
                __asm__ volatile(CT_SG_KLOOP(CT_SG_ZERO, CT_SG_STEP_S, CT_SG_SAVE_C(CT_SG_C0))
                                 : [a] "+r"(a), [q0] "+r"(q0), [q3] "+r"(q3), [q6] "+r"(q6),
                                   [q9] "+r"(q9), [k4] "+r"(k4), [k1] "+r"(k1)
                                 : [r] "r"(r), [c] "r"(c), [ldc4] "r"(ldc4), [as] "r"(as)
                                 : CT_SG_CLOBBERS);
            else
                __asm__ volatile(CT_SG_KLOOP(CT_SG_ZERO, CT_SG_STEP_S, CT_SG_SAVE_C(CT_SG_C1))
                                 : [a] "+r"(a), [q0] "+r"(q0), [q3] "+r"(q3), [q6] "+r"(q6),
                                   [q9] "+r"(q9), [k4] "+r"(k4), [k1] "+r"(k1)
                                 : [r] "r"(r), [c] "r"(c), [ldc4] "r"(ldc4), [as] "r"(as)
                                 : CT_SG_CLOBBERS);
        }
        return;
    } else if (bcs == 0) {
        __asm__ volatile(CT_SG_LOOP(CT_SG_STEP_P)
                         : [a] "+r"(a), [b] "+r"(b), [k4] "+r"(k4), [k1] "+r"(k1)
                         : [t] "r"(t), [as] "r"(as)
                         : CT_SG_CLOBBERS);
    } else {
        const float *q0 = b, *q3 = b + 3 * bcs, *q6 = b + 6 * bcs, *q9 = b + 9 * bcs;
        int64_t r = bcs * (int64_t)sizeof(float);
        __asm__ volatile(CT_SG_LOOP(CT_SG_STEP_S)
                         : [a] "+r"(a), [q0] "+r"(q0), [q3] "+r"(q3), [q6] "+r"(q6),
                           [q9] "+r"(q9), [k4] "+r"(k4), [k1] "+r"(k1)
                         : [t] "r"(t), [r] "r"(r), [as] "r"(as)
                         : CT_SG_CLOBBERS);
    }
#undef CT_SG_FMA
#undef CT_SG_LOAD_A
#undef CT_SG_STEP_P
#undef CT_SG_STEP_S
#undef CT_SG_Z
#undef CT_SG_S
#undef CT_SG_ZERO
#undef CT_SG_SAVE
#undef CT_SG_LOOP
#undef CT_SG_KLOOP
#undef CT_SG_CLOBBERS
#undef CT_SG_FMA_H
#undef CT_SG_LOAD_A_H
#undef CT_SG_STEP_PH
#undef CT_SG_STEP_SH
#undef CT_SG_SH
#undef CT_SG_PG0
#undef CT_SG_PG1
#undef CT_SG_PG2
#undef CT_SG_STEP_P4
#undef CT_SG_STEP_P8
#undef CT_SG_STEP_S4
#undef CT_SG_STEP_S8
#undef CT_SG_ZERO4
#undef CT_SG_ZERO8
#undef CT_SG_SAVE4
#undef CT_SG_SAVE8
#undef CT_SG_C0
#undef CT_SG_C1
#undef CT_SG_SAVE_C
#undef CT_SG_LOOP_H

    __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
#define acc(i) _mm512_load_ps(t + 16 * (i))
    if (rows == 0xFFFFFFFFu && jlo == 0 && jhi == CT_Z_NR) {
        CT_SG_WRITE_FULL(CT_Z_NR, 16, _mm512_loadu_ps, _mm512_storeu_ps, _mm512_mul_ps,
                         _mm512_fmadd_ps);
        return;
    }
    __mmask16 m0 = (__mmask16)(rows & 0xFFFF), m1 = (__mmask16)(rows >> 16);
    for (int j = jlo; j < jhi; j++) {
        float *cj = c + j * ldc;
        __m512 r0 = _mm512_mul_ps(va, acc(2 * j));
        if (beta != 0.0f)
            r0 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m0, cj), r0);
        _mm512_mask_storeu_ps(cj, m0, r0);
        if (half)      /* the second half's places in t were not written */
            continue;
        __m512 r1 = _mm512_mul_ps(va, acc(2 * j + 1));
        if (beta != 0.0f)
            r1 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m1, cj + 16), r1);
        _mm512_mask_storeu_ps(cj + 16, m1, r1);
    }
#undef acc
}

/* ---- matrix-vector products (M == 1 or N == 1) --------------------------
 * A product with one row or one column of C reads each element of the matrix
 * operand once, so packing it (and a micro-tile 32 rows or 12 columns wide)
 * would only add passes: these read the matrix in place.
 *
 * Dot form: y[j] = sum_p x[p] A[p + j lda] (columns of A contiguous in p),
 * four columns at a time against one load of x, 16 lanes per accumulator. */
static inline float ct_sg_hsum_z(__m512 v) { return _mm512_reduce_add_ps(v); }

static void ct_sg_gemv_dot_z(int K, int N, float alpha, const float *A, int64_t lda,
                           const float *x, float beta, float *y, int64_t incy)
{
    int j = 0;
    for (; j + 4 <= N; j += 4) {
        const float *a0 = A + (int64_t)j * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
        __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
        __m512 s2 = _mm512_setzero_ps(), s3 = _mm512_setzero_ps();
        int p = 0;
        for (; p + 16 <= K; p += 16) {
            __m512 xv = _mm512_loadu_ps(x + p);
            s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a0 + p), xv, s0);
            s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a1 + p), xv, s1);
            s2 = _mm512_fmadd_ps(_mm512_loadu_ps(a2 + p), xv, s2);
            s3 = _mm512_fmadd_ps(_mm512_loadu_ps(a3 + p), xv, s3);
        }
        if (p < K) {
            __mmask16 m = (__mmask16)((1u << (K - p)) - 1);
            __m512 xv = _mm512_maskz_loadu_ps(m, x + p);
            s0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a0 + p), xv, s0);
            s1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a1 + p), xv, s1);
            s2 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a2 + p), xv, s2);
            s3 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a3 + p), xv, s3);
        }
        float r[4] = {ct_sg_hsum_z(s0), ct_sg_hsum_z(s1), ct_sg_hsum_z(s2), ct_sg_hsum_z(s3)};
        for (int q = 0; q < 4; q++) {
            float *c = y + (int64_t)(j + q) * incy;
            *c = beta == 0.0f ? alpha * r[q] : alpha * r[q] + beta * *c;
        }
    }
    for (; j < N; j++) {
        const float *a0 = A + (int64_t)j * lda;
        __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
        int p = 0;
        for (; p + 32 <= K; p += 32) {
            s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a0 + p), _mm512_loadu_ps(x + p), s0);
            s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a0 + p + 16), _mm512_loadu_ps(x + p + 16), s1);
        }
        for (; p < K; p += 16) {
            __mmask16 m = K - p >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (K - p)) - 1);
            s0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a0 + p), _mm512_maskz_loadu_ps(m, x + p), s0);
        }
        float r = ct_sg_hsum_z(_mm512_add_ps(s0, s1));
        float *c = y + (int64_t)j * incy;
        *c = beta == 0.0f ? alpha * r : alpha * r + beta * *c;
    }
}

/* Axpy form: y[i] = sum_p A[i + p lda] x[p] (columns of A contiguous in i),
 * y taken in blocks of CT_SG_GV_BLOCK kept in a local buffer while four
 * columns at a time are added into it. */
static void ct_sg_gemv_axpy_z(int M, int K, float alpha, const float *A, int64_t lda,
                            const float *x, int64_t incx, float beta, float *y, int64_t incy)
{
    float acc[CT_SG_GV_BLOCK] __attribute__((aligned(64)));
    for (int i0 = 0; i0 < M; i0 += CT_SG_GV_BLOCK) {
        int mb = M - i0 < CT_SG_GV_BLOCK ? M - i0 : CT_SG_GV_BLOCK;
        memset(acc, 0, (size_t)mb * sizeof(float));
        int p = 0;
        for (; p + 4 <= K; p += 4) {
            const float *a0 = A + i0 + (int64_t)p * lda, *a1 = a0 + lda, *a2 = a1 + lda,
                        *a3 = a2 + lda;
            __m512 x0 = _mm512_set1_ps(x[p * incx]), x1 = _mm512_set1_ps(x[(p + 1) * incx]);
            __m512 x2 = _mm512_set1_ps(x[(p + 2) * incx]), x3 = _mm512_set1_ps(x[(p + 3) * incx]);
            for (int i = 0; i < mb; i += 16) {
                __mmask16 m = mb - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (mb - i)) - 1);
                __m512 s = _mm512_load_ps(acc + i);
                s = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a0 + i), x0, s);
                s = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a1 + i), x1, s);
                s = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a2 + i), x2, s);
                s = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a3 + i), x3, s);
                _mm512_mask_store_ps(acc + i, m, s);
            }
        }
        for (; p < K; p++) {
            const float *a0 = A + i0 + (int64_t)p * lda;
            __m512 x0 = _mm512_set1_ps(x[p * incx]);
            for (int i = 0; i < mb; i += 16) {
                __mmask16 m = mb - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (mb - i)) - 1);
                __m512 s = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a0 + i), x0,
                                           _mm512_load_ps(acc + i));
                _mm512_mask_store_ps(acc + i, m, s);
            }
        }
        for (int i = 0; i < mb; i++) {
            float *c = y + (int64_t)(i0 + i) * incy;
            *c = beta == 0.0f ? alpha * acc[i] : alpha * acc[i] + beta * *c;
        }
    }
}

#pragma GCC pop_options

/* ---- the AVX2 + FMA kernel ----------------------------------------------- */
#pragma GCC push_options
#pragma GCC target("avx2,fma")

/* lanes i < n set (n may be <= 0 or >= 8) */
static inline __m256i ct_sg_ymask(int n)
{
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/* lanes i set where bit i of `bits` is */
static inline __m256i ct_sg_ybits(uint32_t bits)
{
    __m256i b = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
    return _mm256_cmpeq_epi32(_mm256_and_si256(_mm256_set1_epi32((int)bits), b), b);
}

static void ct_sg_pack_a_n_y(const float *a, int64_t lda, int mr, int kc, float *dst)
{
    if (mr == CT_Y_MR) {
        for (int p = 0; p < kc; p++) {
            const float *s = a + p * lda;
            _mm256_store_ps(dst + p * CT_Y_MR, _mm256_loadu_ps(s));
            _mm256_store_ps(dst + p * CT_Y_MR + 8, _mm256_loadu_ps(s + 8));
        }
        return;
    }
    __m256i m0 = ct_sg_ymask(mr), m1 = ct_sg_ymask(mr - 8);
    for (int p = 0; p < kc; p++) {
        const float *s = a + p * lda;
        _mm256_store_ps(dst + p * CT_Y_MR, _mm256_maskload_ps(s, m0));
        _mm256_store_ps(dst + p * CT_Y_MR + 8, _mm256_maskload_ps(s + 8, m1));
    }
}

/* Transposes an 8 x 8 tile of floats: rows i < nrows of the source (8
 * floats each, row stride ls; the other rows count as zero) go to
 * dst[c * ld + i] for columns c < 8, lanes i < 8 (keep6: i < 6 only). */
static inline __attribute__((always_inline)) void
ct_sg_t8(const float *s, int64_t ls, int nrows, float *dst, int ld, int keep6)
{
    __m256 r[8], t[8];
    for (int i = 0; i < 8; i++) r[i] = i < nrows ? _mm256_loadu_ps(s + i * ls) : _mm256_setzero_ps();
    for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
    }
    /* r[4h + q]: columns q (low lane) and 4 + q (high lane) of rows 4h..4h+3 */
    for (int h = 0; h < 2; h++) {
        r[4 * h] = _mm256_shuffle_ps(t[4 * h], t[4 * h + 2], 0x44);
        r[4 * h + 1] = _mm256_shuffle_ps(t[4 * h], t[4 * h + 2], 0xEE);
        r[4 * h + 2] = _mm256_shuffle_ps(t[4 * h + 1], t[4 * h + 3], 0x44);
        r[4 * h + 3] = _mm256_shuffle_ps(t[4 * h + 1], t[4 * h + 3], 0xEE);
    }
    for (int q = 0; q < 4; q++) {
        __m256 c0 = _mm256_permute2f128_ps(r[q], r[4 + q], 0x20);   /* column q */
        __m256 c1 = _mm256_permute2f128_ps(r[q], r[4 + q], 0x31);   /* column 4 + q */
        if (keep6) {
            _mm_storeu_ps(dst + q * ld, _mm256_castps256_ps128(c0));
            _mm_storel_pi((__m64 *)(dst + q * ld + 4), _mm256_extractf128_ps(c0, 1));
            _mm_storeu_ps(dst + (4 + q) * ld, _mm256_castps256_ps128(c1));
            _mm_storel_pi((__m64 *)(dst + (4 + q) * ld + 4), _mm256_extractf128_ps(c1, 1));
        } else {
            _mm256_storeu_ps(dst + q * ld, c0);
            _mm256_storeu_ps(dst + (4 + q) * ld, c1);
        }
    }
}

static void ct_sg_pack_a_t_y(const float *a, int64_t lda, int mr, int kc, float *dst)
{
    int p = 0;
    int n0 = mr < 8 ? mr : 8, n1 = mr > 8 ? mr - 8 : 0;
    for (; p + 8 <= kc; p += 8) {
        ct_sg_t8(a + p, lda, n0, dst + p * CT_Y_MR, CT_Y_MR, 0);
        ct_sg_t8(a + p + 8 * lda, lda, n1, dst + p * CT_Y_MR + 8, CT_Y_MR, 0);
    }
    ct_sg_pack_gather(a, lda, mr, CT_Y_MR, p, kc, dst);
}

static void ct_sg_pack_b_n_y(const float *b, int64_t ldb, int nr, int kc, float *dst)
{
    int p = 0;
    for (; p + 8 <= kc; p += 8)
        ct_sg_t8(b + p, ldb, nr, dst + p * CT_Y_NR, CT_Y_NR, 1);
    ct_sg_pack_gather(b, ldb, nr, CT_Y_NR, p, kc, dst);
}

static void ct_sg_pack_b_t_y(const float *b, int64_t ldb, int nr, int kc, float *dst)
{
    if (nr == CT_Y_NR) {
        for (int p = 0; p < kc; p++) {
            const float *s = b + p * ldb;
            float *d = dst + p * CT_Y_NR;
            _mm_storeu_ps(d, _mm_loadu_ps(s));
            /* two floats by one 8-byte move (an unaligned type: s + 4 need not be
             * 8-byte aligned, which a load through a double pointer assumes) */
            _mm_storel_pi((__m64 *)(d + 4), _mm_castsi128_ps(_mm_loadl_epi64((const __m128i_u *)(s + 4))));
        }
        return;
    }
    for (int p = 0; p < kc; p++) {
        const float *s = b + p * ldb;
        float *d = dst + p * CT_Y_NR;
        int j = 0;
        for (; j < nr; j++) d[j] = s[j];
        for (; j < CT_Y_NR; j++) d[j] = 0.0f;
    }
}

/* The micro-kernel (the table's `kernel`), 16 x 6. */
static void ct_sg_kernel_y(int kc, const float *restrict a, int64_t as, const float *restrict b,
                           int64_t bcs, float *c, int64_t ldc, float alpha, float beta,
                           uint32_t rows, int jlo, int jhi)
{
    if (kc >= 64)
        for (int j = jlo; j < jhi; j++) {
            _mm_prefetch((const char *)(c + j * ldc), _MM_HINT_T0);
            _mm_prefetch((const char *)(c + j * ldc + 15), _MM_HINT_T0);
        }
    /* The k loop in assembly: the 16 x 6 tile sits in ymm4..ymm15 (column
     * j in ymm(4 + 2j), ymm(5 + 2j)); per k two loads of A (ymm0, ymm1),
     * six broadcasts of B (ymm2, ymm3) and 12 FMAs. A tile with rows in
     * one half only (the last rows of C) runs that half alone: one load of
     * A and six FMAs per k into ymm4, ymm6, .., ymm14. */
#define CT_Y_FMA(src, y, x0, x1)                                              \
    "vbroadcastss " src ", %%ymm" #y "\n\t"                                   \
    "vfmadd231ps %%ymm0, %%ymm" #y ", %%ymm" #x0 "\n\t"                       \
    "vfmadd231ps %%ymm1, %%ymm" #y ", %%ymm" #x1 "\n\t"
#define CT_Y_LOAD_A                                                           \
    "vmovups (%[a]), %%ymm0\n\t"                                              \
    "vmovups 32(%[a]), %%ymm1\n\t"                                            \
    "prefetcht0 (%[a],%[as],8)\n\t"                                           \
    "addq %[as], %[a]\n\t"
#define CT_Y_STEP_P                                                           \
    CT_Y_LOAD_A                                                               \
    CT_Y_FMA("0(%[b])", 2, 4, 5) CT_Y_FMA("4(%[b])", 3, 6, 7)                 \
    CT_Y_FMA("8(%[b])", 2, 8, 9) CT_Y_FMA("12(%[b])", 3, 10, 11)              \
    CT_Y_FMA("16(%[b])", 2, 12, 13) CT_Y_FMA("20(%[b])", 3, 14, 15)           \
    "addq $24, %[b]\n\t"
    /* B in place: column j at q(3 * (j / 3)) + (j % 3) * r */
#define CT_Y_STEP_S                                                           \
    CT_Y_LOAD_A                                                               \
    CT_Y_FMA("(%[q0])", 2, 4, 5) CT_Y_FMA("(%[q0],%[r],1)", 3, 6, 7)          \
    CT_Y_FMA("(%[q0],%[r],2)", 2, 8, 9) CT_Y_FMA("(%[q3])", 3, 10, 11)        \
    CT_Y_FMA("(%[q3],%[r],1)", 2, 12, 13) CT_Y_FMA("(%[q3],%[r],2)", 3, 14, 15) \
    "addq $4, %[q0]\n\t" "addq $4, %[q3]\n\t"
#define CT_Y_FMA_H(src, y, x0)                                                \
    "vbroadcastss " src ", %%ymm" #y "\n\t"                                   \
    "vfmadd231ps %%ymm0, %%ymm" #y ", %%ymm" #x0 "\n\t"
#define CT_Y_STEP_PH                                                          \
    "vmovups (%[a]), %%ymm0\n\t"                                              \
    "prefetcht0 (%[a],%[as],8)\n\t"                                           \
    "addq %[as], %[a]\n\t"                                                    \
    CT_Y_FMA_H("0(%[b])", 2, 4) CT_Y_FMA_H("4(%[b])", 3, 6)                   \
    CT_Y_FMA_H("8(%[b])", 2, 8) CT_Y_FMA_H("12(%[b])", 3, 10)                 \
    CT_Y_FMA_H("16(%[b])", 2, 12) CT_Y_FMA_H("20(%[b])", 3, 14)               \
    "addq $24, %[b]\n\t"
#define CT_Y_STEP_SH                                                          \
    "vmovups (%[a]), %%ymm0\n\t"                                              \
    "prefetcht0 (%[a],%[as],8)\n\t"                                           \
    "addq %[as], %[a]\n\t"                                                    \
    CT_Y_FMA_H("(%[q0])", 2, 4) CT_Y_FMA_H("(%[q0],%[r],1)", 3, 6)            \
    CT_Y_FMA_H("(%[q0],%[r],2)", 2, 8) CT_Y_FMA_H("(%[q3])", 3, 10)           \
    CT_Y_FMA_H("(%[q3],%[r],1)", 2, 12) CT_Y_FMA_H("(%[q3],%[r],2)", 3, 14)   \
    "addq $4, %[q0]\n\t" "addq $4, %[q3]\n\t"
#define CT_Y_Z(x) "vxorps %%ymm" #x ", %%ymm" #x ", %%ymm" #x "\n\t"
#define CT_Y_S(x) "vmovaps %%ymm" #x ", (" #x "-4)*32(%[t])\n\t"
#define CT_Y_ZERO                                                             \
    CT_Y_Z(4) CT_Y_Z(5) CT_Y_Z(6) CT_Y_Z(7) CT_Y_Z(8) CT_Y_Z(9)               \
    CT_Y_Z(10) CT_Y_Z(11) CT_Y_Z(12) CT_Y_Z(13) CT_Y_Z(14) CT_Y_Z(15)
#define CT_Y_SAVE                                                             \
    CT_Y_S(4) CT_Y_S(5) CT_Y_S(6) CT_Y_S(7) CT_Y_S(8) CT_Y_S(9)               \
    CT_Y_S(10) CT_Y_S(11) CT_Y_S(12) CT_Y_S(13) CT_Y_S(14) CT_Y_S(15)
#define CT_Y_ZERO_H CT_Y_Z(4) CT_Y_Z(6) CT_Y_Z(8) CT_Y_Z(10) CT_Y_Z(12) CT_Y_Z(14)
#define CT_Y_SAVE_H CT_Y_S(4) CT_Y_S(6) CT_Y_S(8) CT_Y_S(10) CT_Y_S(12) CT_Y_S(14)
/* the k loop: four steps at a time, then the rest; ZERO before, SAVE after */
#define CT_Y_LOOP(ZERO, STEP, SAVE)                                           \
    ZERO                                                                      \
    "testq %[k4], %[k4]\n\t"                                                  \
    "jz 2f\n\t"                                                               \
    "1:\n\t"                                                                  \
    STEP STEP STEP STEP                                                       \
    "decq %[k4]\n\t"                                                          \
    "jnz 1b\n\t"                                                              \
    "2:\n\t"                                                                  \
    "testq %[k1], %[k1]\n\t"                                                  \
    "jz 4f\n\t"                                                               \
    "3:\n\t"                                                                  \
    STEP                                                                      \
    "decq %[k1]\n\t"                                                          \
    "jnz 3b\n\t"                                                              \
    "4:\n\t"                                                                  \
    SAVE
#define CT_Y_CLOBBERS                                                         \
    "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8",   \
    "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "cc", "memory"
    float t[2 * CT_Y_NR * 8] __attribute__((aligned(32)));
    int64_t k4 = kc / 4, k1 = kc % 4;
    as *= (int64_t)sizeof(float);
    int half = (rows & 0xFFu) == 0 || (rows & 0xFF00u) == 0;
    if ((rows & 0xFFu) == 0) {
        a += 8;
        c += 8;
        rows >>= 8;
    }
    if (half && bcs == 0) {
        __asm__ volatile(CT_Y_LOOP(CT_Y_ZERO_H, CT_Y_STEP_PH, CT_Y_SAVE_H)
                         : [a] "+r"(a), [b] "+r"(b), [k4] "+r"(k4), [k1] "+r"(k1)
                         : [t] "r"(t), [as] "r"(as)
                         : CT_Y_CLOBBERS);
    } else if (half) {
        const float *q0 = b, *q3 = b + 3 * bcs;
        int64_t r = bcs * (int64_t)sizeof(float);
        __asm__ volatile(CT_Y_LOOP(CT_Y_ZERO_H, CT_Y_STEP_SH, CT_Y_SAVE_H)
                         : [a] "+r"(a), [q0] "+r"(q0), [q3] "+r"(q3), [k4] "+r"(k4),
                           [k1] "+r"(k1)
                         : [t] "r"(t), [r] "r"(r), [as] "r"(as)
                         : CT_Y_CLOBBERS);
    } else if (bcs == 0) {
        __asm__ volatile(CT_Y_LOOP(CT_Y_ZERO, CT_Y_STEP_P, CT_Y_SAVE)
                         : [a] "+r"(a), [b] "+r"(b), [k4] "+r"(k4), [k1] "+r"(k1)
                         : [t] "r"(t), [as] "r"(as)
                         : CT_Y_CLOBBERS);
    } else {
        const float *q0 = b, *q3 = b + 3 * bcs;
        int64_t r = bcs * (int64_t)sizeof(float);
        __asm__ volatile(CT_Y_LOOP(CT_Y_ZERO, CT_Y_STEP_S, CT_Y_SAVE)
                         : [a] "+r"(a), [q0] "+r"(q0), [q3] "+r"(q3), [k4] "+r"(k4),
                           [k1] "+r"(k1)
                         : [t] "r"(t), [r] "r"(r), [as] "r"(as)
                         : CT_Y_CLOBBERS);
    }
#undef CT_Y_FMA
#undef CT_Y_LOAD_A
#undef CT_Y_STEP_P
#undef CT_Y_STEP_S
#undef CT_Y_Z
#undef CT_Y_S
#undef CT_Y_LOOP
#undef CT_Y_CLOBBERS
#undef CT_Y_FMA_H
#undef CT_Y_STEP_PH
#undef CT_Y_STEP_SH
#undef CT_Y_ZERO
#undef CT_Y_SAVE
#undef CT_Y_ZERO_H
#undef CT_Y_SAVE_H

    __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
#define acc(i) _mm256_load_ps(t + 8 * (i))
    if ((rows & 0xFFFFu) == 0xFFFFu && jlo == 0 && jhi == CT_Y_NR) {
        CT_SG_WRITE_FULL(CT_Y_NR, 8, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_mul_ps,
                         _mm256_fmadd_ps);
        return;
    }
    __m256i m0 = ct_sg_ybits(rows & 0xFFu), m1 = ct_sg_ybits((rows >> 8) & 0xFFu);
    int lo = (rows & 0xFFu) != 0, hi = (rows & 0xFF00u) != 0;   /* hi == 0 when half */
    for (int j = jlo; j < jhi; j++) {
        float *cj = c + j * ldc;
        if (lo) {
            __m256 r0 = _mm256_mul_ps(va, acc(2 * j));
            if (beta != 0.0f)
                r0 = _mm256_fmadd_ps(vb, _mm256_maskload_ps(cj, m0), r0);
            _mm256_maskstore_ps(cj, m0, r0);
        }
        if (hi) {
            __m256 r1 = _mm256_mul_ps(va, acc(2 * j + 1));
            if (beta != 0.0f)
                r1 = _mm256_fmadd_ps(vb, _mm256_maskload_ps(cj + 8, m1), r1);
            _mm256_maskstore_ps(cj + 8, m1, r1);
        }
    }
#undef acc
}

/* ---- matrix-vector products (M == 1 or N == 1), 8 lanes --------------------
 * (see ct_sg_gemv below) */
static inline float ct_sg_hsum_y(__m256 v)
{
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

static void ct_sg_gemv_dot_y(int K, int N, float alpha, const float *A, int64_t lda,
                             const float *x, float beta, float *y, int64_t incy)
{
    int j = 0;
    for (; j + 4 <= N; j += 4) {
        const float *a0 = A + (int64_t)j * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
        __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
        __m256 s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
        int p = 0;
        for (; p + 8 <= K; p += 8) {
            __m256 xv = _mm256_loadu_ps(x + p);
            s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a0 + p), xv, s0);
            s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a1 + p), xv, s1);
            s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a2 + p), xv, s2);
            s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a3 + p), xv, s3);
        }
        if (p < K) {
            __m256i m = ct_sg_ymask(K - p);
            __m256 xv = _mm256_maskload_ps(x + p, m);
            s0 = _mm256_fmadd_ps(_mm256_maskload_ps(a0 + p, m), xv, s0);
            s1 = _mm256_fmadd_ps(_mm256_maskload_ps(a1 + p, m), xv, s1);
            s2 = _mm256_fmadd_ps(_mm256_maskload_ps(a2 + p, m), xv, s2);
            s3 = _mm256_fmadd_ps(_mm256_maskload_ps(a3 + p, m), xv, s3);
        }
        float r[4] = {ct_sg_hsum_y(s0), ct_sg_hsum_y(s1), ct_sg_hsum_y(s2), ct_sg_hsum_y(s3)};
        for (int q = 0; q < 4; q++) {
            float *c = y + (int64_t)(j + q) * incy;
            *c = beta == 0.0f ? alpha * r[q] : alpha * r[q] + beta * *c;
        }
    }
    for (; j < N; j++) {
        const float *a0 = A + (int64_t)j * lda;
        __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
        int p = 0;
        for (; p + 16 <= K; p += 16) {
            s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a0 + p), _mm256_loadu_ps(x + p), s0);
            s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a0 + p + 8), _mm256_loadu_ps(x + p + 8), s1);
        }
        for (; p < K; p += 8) {
            __m256i m = ct_sg_ymask(K - p);
            s0 = _mm256_fmadd_ps(_mm256_maskload_ps(a0 + p, m), _mm256_maskload_ps(x + p, m), s0);
        }
        float r = ct_sg_hsum_y(_mm256_add_ps(s0, s1));
        float *c = y + (int64_t)j * incy;
        *c = beta == 0.0f ? alpha * r : alpha * r + beta * *c;
    }
}

static void ct_sg_gemv_axpy_y(int M, int K, float alpha, const float *A, int64_t lda,
                              const float *x, int64_t incx, float beta, float *y, int64_t incy)
{
    float acc[CT_SG_GV_BLOCK] __attribute__((aligned(32)));
    for (int i0 = 0; i0 < M; i0 += CT_SG_GV_BLOCK) {
        int mb = M - i0 < CT_SG_GV_BLOCK ? M - i0 : CT_SG_GV_BLOCK;
        /* zero to the end of the last vector (its lanes past mb are read) */
        memset(acc, 0, (size_t)((mb + 7) / 8 * 8) * sizeof(float));
        __m256i mt = ct_sg_ymask(mb % 8);
        int mfull = mb - mb % 8;
        int p = 0;
        for (; p + 4 <= K; p += 4) {
            const float *a0 = A + i0 + (int64_t)p * lda, *a1 = a0 + lda, *a2 = a1 + lda,
                        *a3 = a2 + lda;
            __m256 x0 = _mm256_set1_ps(x[p * incx]), x1 = _mm256_set1_ps(x[(p + 1) * incx]);
            __m256 x2 = _mm256_set1_ps(x[(p + 2) * incx]), x3 = _mm256_set1_ps(x[(p + 3) * incx]);
            int i = 0;
            for (; i < mfull; i += 8) {
                __m256 s = _mm256_load_ps(acc + i);
                s = _mm256_fmadd_ps(_mm256_loadu_ps(a0 + i), x0, s);
                s = _mm256_fmadd_ps(_mm256_loadu_ps(a1 + i), x1, s);
                s = _mm256_fmadd_ps(_mm256_loadu_ps(a2 + i), x2, s);
                s = _mm256_fmadd_ps(_mm256_loadu_ps(a3 + i), x3, s);
                _mm256_store_ps(acc + i, s);
            }
            if (i < mb) {
                __m256 s = _mm256_load_ps(acc + i);
                s = _mm256_fmadd_ps(_mm256_maskload_ps(a0 + i, mt), x0, s);
                s = _mm256_fmadd_ps(_mm256_maskload_ps(a1 + i, mt), x1, s);
                s = _mm256_fmadd_ps(_mm256_maskload_ps(a2 + i, mt), x2, s);
                s = _mm256_fmadd_ps(_mm256_maskload_ps(a3 + i, mt), x3, s);
                _mm256_maskstore_ps(acc + i, mt, s);
            }
        }
        for (; p < K; p++) {
            const float *a0 = A + i0 + (int64_t)p * lda;
            __m256 x0 = _mm256_set1_ps(x[p * incx]);
            int i = 0;
            for (; i < mfull; i += 8)
                _mm256_store_ps(acc + i, _mm256_fmadd_ps(_mm256_loadu_ps(a0 + i), x0,
                                                         _mm256_load_ps(acc + i)));
            if (i < mb)
                _mm256_maskstore_ps(acc + i, mt, _mm256_fmadd_ps(_mm256_maskload_ps(a0 + i, mt), x0,
                                                                 _mm256_load_ps(acc + i)));
        }
        for (int i = 0; i < mb; i++) {
            float *c = y + (int64_t)(i0 + i) * incy;
            *c = beta == 0.0f ? alpha * acc[i] : alpha * acc[i] + beta * *c;
        }
    }
}

/* The product without packing, for when no packing buffer can be had (either
 * kernel: both instruction sets contract the sum into FMAs alike). */
static void ct_sg_unpacked(char t1, char t2, int M, int N, int K, float alpha,
                           const float *A, int64_t lda, const float *B, int64_t ldb,
                           float beta, float *C, int64_t ldc)
{
    for (int j = 0; j < N; j++)
        for (int i = 0; i < M; i++) {
            float acc = 0.0f;
            for (int p = 0; p < K; p++)
                acc += (t1 == 'N' ? A[i + p * lda] : A[p + i * lda])
                       * (t2 == 'N' ? B[p + j * ldb] : B[j + p * ldb]);
            float *c = C + i + j * ldc;
            *c = beta == 0.0f ? alpha * acc : alpha * acc + beta * *c;
        }
}

#pragma GCC pop_options

static const ct_sg_isa ct_sg_avx512 = {
    CT_Z_MR, CT_Z_NR, CT_Z_KC, CT_Z_MC, CT_Z_NC, CT_Z_AIN, ct_sg_kernel_z,
    ct_sg_pack_a_n_z, ct_sg_pack_a_t_z, ct_sg_pack_b_n_z, ct_sg_pack_b_t_z,
    ct_sg_gemv_dot_z, ct_sg_gemv_axpy_z,
};

static const ct_sg_isa ct_sg_avx2 = {
    CT_Y_MR, CT_Y_NR, CT_Y_KC, CT_Y_MC, CT_Y_NC, CT_Y_AIN, ct_sg_kernel_y,
    ct_sg_pack_a_n_y, ct_sg_pack_a_t_y, ct_sg_pack_b_n_y, ct_sg_pack_b_t_y,
    ct_sg_gemv_dot_y, ct_sg_gemv_axpy_y,
};

/* ---- the driver, for either kernel ---------------------------------------- */

/* C = beta C (alpha == 0 or K == 0): beta == 0 writes zeros without reading C */
static void ct_sg_scale(int M, int N, float beta, float *C, int64_t ldc)
{
    for (int j = 0; j < N; j++) {
        float *cj = C + j * ldc;
        if (beta == 0.0f) memset(cj, 0, (size_t)M * sizeof(float));
        else if (beta != 1.0f)
            for (int i = 0; i < M; i++) cj[i] *= beta;
    }
}

/* splits n into about-equal blocks of at most `block`, a multiple of `unit` */
static int ct_sg_block(int n, int block, int unit)
{
    int nblocks = (n + block - 1) / block;
    int b = (n + nblocks - 1) / nblocks;
    return (b + unit - 1) / unit * unit;
}

/* Whether the kernel reads the micro-panels of op(B) = B ('N') in place
 * instead of packing them: when `rows` rows of C make only a few blocks of A
 * that read each panel (packing would cost about as much as those passes),
 * and the columns are not a multiple of 4 KB apart (NR of them would
 * then fall into the same cache sets). */
#ifndef CT_SG_INPLACE_MCS
#define CT_SG_INPLACE_MCS 4
#endif
static int ct_sg_inplace(const ct_sg_isa *k, char t2, int rows, int64_t ldb)
{
    return t2 == 'N' && rows <= CT_SG_INPLACE_MCS * k->mc && ldb % 1024 != 0;
}

/* Whether a micro-panel of nr columns of B that ends at column `end` is read
 * in place, when B's full panels are: a partial one only when there are NR
 * columns up to its end. */
static inline int ct_sg_b_inplace(const ct_sg_isa *k, int end, int nr)
{
    return nr == k->nr || end >= k->nr;
}

/* Whether the kernel reads op(A) = A ('N') in place instead of packing it:
 * for products small enough that packing would cost as much as the few
 * passes over A, and columns not a multiple of 1 KB apart (the kc lines of
 * a micro-panel would then share 4 of L1's 64 sets and leave it on every
 * tile of C: a 256 x 256 product ran 25% slower in place than packed),
 * unless there are eight tiles of columns at most (each panel read that
 * often from L2 costs less than packing it: 16 x 128 times 128 x 512 spent
 * 30% of its time packing, and 64 x 256 times 256 x 256 ran 10% faster in
 * place; at 16 tiles either way measured the same). */
static int ct_sg_a_inplace(const ct_sg_isa *k, char t1, int M, int N, int K, int64_t lda)
{
    return t1 == 'N' && M >= k->mr && (int64_t)M * K <= k->ain_max
           && (lda % 256 != 0 || N <= 8 * k->nr);
}

/* Packs micro-panels q0..q1 (of NR columns) of the kc x nc block of op(B)
 * at column jc, k pc. */
static void ct_sg_pack_b(const ct_sg_isa *k, char t2, int inplace, const float *B, int64_t ldb,
                         int jc, int pc, int nc, int kc, int q0, int q1, float *bbuf)
{
    for (int q = q0; q < q1; q++) {
        int jr = q * k->nr;
        int nr = nc - jr < k->nr ? nc - jr : k->nr;
        float *d = bbuf + (size_t)jr * kc;
        if (inplace && ct_sg_b_inplace(k, jc + jr + nr, nr)) continue;   /* read in place */
        if (t2 == 'N') k->pack_b_n(B + pc + (int64_t)(jc + jr) * ldb, ldb, nr, kc, d);
        else k->pack_b_t(B + (jc + jr) + (int64_t)pc * ldb, ldb, nr, kc, d);
    }
}

/* Rows i0..i1 of C against a kc x nc block of op(B) (packed in bbuf, or read
 * in place when bin): packs each MC x kc block of op(A) (unless ain: read in
 * place) and runs the micro-kernel over it. */
static void ct_sg_rows(const ct_sg_isa *k, char t1, int ain, int bin, int i0, int i1, int mcb,
                       int jc, int pc, int nc, int kc, float alpha, const float *A, int64_t lda,
                       const float *B, int64_t ldb, const float *bbuf,
                       float beta, float *C, int64_t ldc, float *abuf)
{
    const int MR = k->mr, NR = k->nr;
    const uint32_t full = MR >= 32 ? 0xFFFFFFFFu : (1u << MR) - 1;
    for (int ic = i0; ic < i1; ic += mcb) {
        int mc = i1 - ic < mcb ? i1 - ic : mcb;
        if (!ain)
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = mc - ir < MR ? mc - ir : MR;
                float *d = abuf + (size_t)ir * kc;
                if (t1 == 'N') k->pack_a_n(A + (ic + ir) + (int64_t)pc * lda, lda, mr, kc, d);
                else k->pack_a_t(A + pc + (int64_t)(ic + ir) * lda, lda, mr, kc, d);
            }
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = nc - jr < NR ? nc - jr : NR;
            const float *bp = bbuf + (size_t)jr * kc;
            int64_t bcs = 0;
            int js = jr, jlo = 0, jhi = nr;
            if (bin && ct_sg_b_inplace(k, jc + jr + nr, nr)) {
                /* read in place; a last, partial panel is read as the
                 * NR columns that end with it, and only its own are written */
                js = jr + nr - NR;
                jlo = NR - nr;
                jhi = NR;
                bp = B + pc + (int64_t)(jc + js) * ldb;
                bcs = ldb;
            }
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = mc - ir < MR ? mc - ir : MR;
                if (ain) {
                    /* A read in place, likewise: a partial tile as the
                     * MR rows that end with it */
                    int is = ir + mr - MR;
                    k->kernel(kc, A + (ic + is) + (int64_t)pc * lda, lda, bp, bcs,
                              C + (ic + is) + (int64_t)(jc + js) * ldc, ldc, alpha, beta,
                              full & (full << (MR - mr)), jlo, jhi);
                } else {
                    k->kernel(kc, abuf + (size_t)ir * kc, MR, bp, bcs,
                              C + (ic + ir) + (int64_t)(jc + js) * ldc, ldc, alpha, beta,
                              mr == MR ? full : (1u << mr) - 1, jlo, jhi);
                }
            }
        }
    }
}

/* C = alpha op1(A) op2(B) + beta C when M == 1 or N == 1 (K > 0, alpha != 0). */
static void ct_sg_gemv(const ct_sg_isa *k, char t1, char t2, int M, int N, int K,
                       float alpha, const float *A, int64_t lda, const float *B, int64_t ldb,
                       float beta, float *C, int64_t ldc)
{
    if (N == 1) {
        /* a column of C: op1(A) (M x K) times the K-vector op2(B) */
        if (t2 == 'N' || K == 1) {
            if (t1 == 'N') k->gemv_axpy(M, K, alpha, A, lda, B, 1, beta, C, 1);
            else k->gemv_dot(K, M, alpha, A, lda, B, beta, C, 1);
            return;
        }
        if (t1 == 'N') {
            k->gemv_axpy(M, K, alpha, A, lda, B, ldb, beta, C, 1);
            return;
        }
    } else {
        /* a row of C: the K-vector op1(A) times op2(B) (K x N) */
        if (t1 == 'T' || K == 1) {
            if (t2 == 'N') k->gemv_dot(K, N, alpha, B, ldb, A, beta, C, ldc);
            else k->gemv_axpy(N, K, alpha, B, ldb, A, 1, beta, C, ldc);
            return;
        }
        if (t2 == 'T') {
            k->gemv_axpy(N, K, alpha, B, ldb, A, lda, beta, C, ldc);
            return;
        }
    }
    /* dot form with a strided vector: the vector gathered first (read in
     * place when its elements are adjacent) */
    const float *v = N == 1 ? B : A;
    int64_t inc = N == 1 ? ldb : lda;
    if (inc == 1) {
        if (N == 1) k->gemv_dot(K, M, alpha, A, lda, v, beta, C, 1);
        else k->gemv_dot(K, N, alpha, B, ldb, v, beta, C, ldc);
        return;
    }
    float *xv = (float *)malloc((size_t)K * sizeof(float));
    if (xv == NULL) {
        ct_sg_unpacked(t1, t2, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    for (int p = 0; p < K; p++) xv[p] = v[p * inc];
    if (N == 1) k->gemv_dot(K, M, alpha, A, lda, xv, beta, C, 1);
    else k->gemv_dot(K, N, alpha, B, ldb, xv, beta, C, ldc);
    free(xv);
}

/* One product on the calling thread. */
static void ct_sg_serial(const ct_sg_isa *k, char t1, char t2, int M, int N, int K,
                         float alpha, const float *A, int64_t lda, const float *B, int64_t ldb,
                         float beta, float *C, int64_t ldc)
{
    if (M <= 0 || N <= 0) return;
    if (K <= 0 || alpha == 0.0f) {
        ct_sg_scale(M, N, beta, C, ldc);
        return;
    }
    if (M == 1 || N == 1) {
        ct_sg_gemv(k, t1, t2, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    int kcb = ct_sg_block(K, k->kc, 1);
    int mcb = ct_sg_block(M, k->mc, k->mr);
    int ncb = ct_sg_block(N, k->nc, k->nr);
    float *abuf = ct_sg_buffer(0, (size_t)mcb * kcb);
    float *bbuf = ct_sg_buffer(1, (size_t)ncb * kcb);
    if (abuf == NULL || bbuf == NULL) {
        ct_sg_unpacked(t1, t2, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    int inplace = ct_sg_inplace(k, t2, M, ldb), ain = ct_sg_a_inplace(k, t1, M, N, K, lda);
    for (int jc = 0; jc < N; jc += ncb) {
        int nc = N - jc < ncb ? N - jc : ncb;
        for (int pc = 0; pc < K; pc += kcb) {
            int kc = K - pc < kcb ? K - pc : kcb;
            ct_sg_pack_b(k, t2, inplace, B, ldb, jc, pc, nc, kc, 0, (nc + k->nr - 1) / k->nr, bbuf);
            ct_sg_rows(k, t1, ain, inplace, 0, M, mcb, jc, pc, nc, kc, alpha, A, lda, B, ldb, bbuf,
                       pc == 0 ? beta : 1.0f, C, ldc, abuf);
        }
    }
}


/* The kernel this CPU runs (AVX-512, else AVX2 + FMA), NULL for the BLAS. */
static const ct_sg_isa *ct_sg_usable(void)
{
    static int which = -1;
    if (which < 0) {
        __builtin_cpu_init();
        int avx2 = __builtin_cpu_supports("fma") && __builtin_cpu_supports("avx2");
        int avx512 = avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")
                     && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq")
                     && __builtin_cpu_supports("bmi2");
        if (getenv("CTORCH_BLAS_SGEMM") != NULL) which = 0;
        else if (avx512 && getenv("CTORCH_SGEMM_AVX2") == NULL) which = 2;
        else which = avx2;
    }
    return which == 2 ? &ct_sg_avx512 : which == 1 ? &ct_sg_avx2 : NULL;
}

int ct_sgemm_batched(char t1, char t2, int M, int N, int K, float alpha,
                     const float *P, int ld1, const int64_t *off1,
                     const float *Q, int ld2, const int64_t *off2, float beta,
                     float *C, int ldc, int64_t nb)
{
    const ct_sg_isa *k = ct_sg_usable();
    if (k == NULL) return -1;
    size_t cstep = (size_t)M * N;
    int nt = ct_get_num_threads();
    if (2.0 * M * N * K * nb < CT_SGEMM_PAR_FLOPS) nt = 1;
#ifdef _OPENMP
    if (omp_in_parallel()) nt = 1;      /* called from a thread of a parallel region */
#endif
    if (nt <= 1) {
        for (int64_t b = 0; b < nb; b++)
            ct_sg_serial(k, t1, t2, M, N, K, alpha, P + off1[b], ld1, Q + off2[b], ld2,
                         beta, C + b * cstep, ldc);
        return 0;
    }
    if (nb >= nt) {
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static)
#endif
        for (int64_t b = 0; b < nb; b++)
            ct_sg_serial(k, t1, t2, M, N, K, alpha, P + off1[b], ld1, Q + off2[b], ld2,
                         beta, C + b * cstep, ldc);
        return 0;
    }
    /* fewer products than threads: each product cut into one slab of whole
     * micro-tiles per thread, each slab an independent product (no thread
     * waits for another). Slabs of rows when each reads B in place (nothing
     * is then packed twice); otherwise along the dimension with more tiles
     * (each slab of columns packs all of A, each slab of rows all of B). */
    int tiles_n = (N + k->nr - 1) / k->nr, tiles_m = (M + k->mr - 1) / k->mr;
    int split_n = tiles_n >= tiles_m;
    if (tiles_m >= nt && N >= k->nr && ct_sg_inplace(k, t2, (tiles_m + nt - 1) / nt * k->mr, ld2))
        split_n = 0;
    int unit = split_n ? k->nr : k->mr, D = split_n ? N : M;
    int tiles = split_n ? tiles_n : tiles_m;
    int parts = nt < tiles ? nt : tiles;
    for (int64_t b = 0; b < nb; b++) {
        const float *Pb = P + off1[b], *Qb = Q + off2[b];
        float *Cb = C + b * cstep;
#ifdef _OPENMP
#pragma omp parallel for num_threads(parts) schedule(static)
#endif
        for (int t = 0; t < parts; t++) {
            int lo = (int)((int64_t)tiles * t / parts) * unit;
            int hi = (int)((int64_t)tiles * (t + 1) / parts) * unit;
            if (hi > D) hi = D;
            if (hi <= lo) continue;
            if (split_n)
                ct_sg_serial(k, t1, t2, M, hi - lo, K, alpha, Pb, ld1,
                             Qb + (int64_t)lo * (t2 == 'N' ? ld2 : 1), ld2, beta,
                             Cb + (int64_t)lo * ldc, ldc);
            else
                ct_sg_serial(k, t1, t2, hi - lo, N, K, alpha,
                             Pb + (int64_t)lo * (t1 == 'N' ? 1 : ld1), ld1, Qb, ld2,
                             beta, Cb + lo, ldc);
        }
    }
    return 0;
}

int ct_sgemm_tile(int *mr, int *nr)
{
    const ct_sg_isa *k = ct_sg_usable();
    *mr = k ? k->mr : CT_Z_MR;
    *nr = k ? k->nr : CT_Z_NR;
    return k ? 0 : -1;
}

#else   /* not x86-64 with GCC: the BLAS runs every float product */

int ct_sgemm_tile(int *mr, int *nr)
{
    *mr = 32;
    *nr = 12;
    return -1;
}

int ct_sgemm_batched(char t1, char t2, int M, int N, int K, float alpha,
                     const float *P, int ld1, const int64_t *off1,
                     const float *Q, int ld2, const int64_t *off2, float beta,
                     float *C, int ldc, int64_t nb)
{
    (void)t1; (void)t2; (void)M; (void)N; (void)K; (void)alpha; (void)P; (void)ld1;
    (void)off1; (void)Q; (void)ld2; (void)off2; (void)beta; (void)C; (void)ldc; (void)nb;
    return -1;
}

#endif
