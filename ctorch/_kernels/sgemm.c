/* ctorch's own float32 matrix product (SGEMM), for x86-64 CPUs with AVX-512.
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
 * micro-kernel computes an MR x NR = 32 x 12 tile of C: per k it loads 32
 * floats of A (two zmm registers), broadcasts 12 floats of B and adds the
 * outer product into 24 zmm accumulators; at the end it writes
 * alpha acc + beta C, with masks on the edges of C.
 *
 * Packing costs a pass over the operand, which the micro-kernel repays only
 * when it reads the packed block many times. So an operand that is already
 * laid out the way the kernel walks it is read in place where packing would
 * not pay: op(B) = B ('N': each of the twelve columns is contiguous in k)
 * when the rows of C are few enough that each panel is read by a few blocks
 * of A only, and op(A) = A ('N': 32 contiguous rows per k) for small
 * products. A partial tile at the end of an operand read in place is read
 * as the full tile that ends with it, and only its own rows or columns are
 * written.
 *
 * Cache blocking (Sapphire Rapids: 48 KB L1d, 2 MB L2 per core): a B
 * micro-panel (KC x NR = 15 KB) stays in L1 while the micro-kernel walks
 * over the A block (MC x KC = 320 KB), which stays in L2; the B block
 * (KC x NC) is reused for every A block.
 *
 * Threads: a batch of at least as many products as threads is spread over
 * ctorch's OpenMP threads one product at a time. Otherwise each product is
 * cut into one slab of rows or columns of C per thread, each an independent
 * product with its own packing: no thread ever waits for another inside a
 * product, which keeps the threads' speed when the machine is shared (a
 * barrier waits for the slowest thread at every block). Products under
 * CT_SGEMM_PAR_FLOPS stay on the calling thread.
 *
 * The kernels are compiled for AVX-512 with a target pragma and chosen at
 * run time; on other CPUs (or with the environment variable
 * CTORCH_BLAS_SGEMM set) ct_sgemm_batched returns -1 and the caller runs the
 * BLAS instead.
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

#define CT_MR 32          /* rows of C per micro-tile: two zmm vectors */
#define CT_NR 12          /* columns of C per micro-tile: broadcasts */
#ifndef CT_KC
#define CT_KC 320         /* k per packed block */
#endif
#ifndef CT_MC
#define CT_MC 256         /* rows per packed A block (multiple of CT_MR) */
#endif
#ifndef CT_NC
#define CT_NC 2880        /* columns per packed B block (multiple of CT_NR) */
#endif

/* fewer flops than this stay on the calling thread */
#define CT_SGEMM_PAR_FLOPS 3000000.0

/* ---- per-thread packing buffers ------------------------------------------
 * alloc.h's per-thread scratch: one block for blocks of A, one for blocks
 * of B, kept between calls. */
static float *ct_sg_buffer(int which, size_t nfloats)
{
    return ct_thread_scratch(CT_SCRATCH_SGEMM_A + which, nfloats * sizeof(float));
}

#pragma GCC push_options
#pragma GCC target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma,bmi2")

/* Rows i0..i0+mr (mr <= MR) and k p0..p0+kc of op(A) into one micro-panel:
 * dst[p * MR + i], zero past mr. 'N': A(i, p) = a[i + p * lda]. */
static void ct_sg_pack_a_n(const float *a, int64_t lda, int mr, int kc, float *dst)
{
    __mmask16 m0 = mr >= 16 ? 0xFFFF : (__mmask16)((1u << mr) - 1);
    __mmask16 m1 = mr >= 32 ? 0xFFFF : mr > 16 ? (__mmask16)((1u << (mr - 16)) - 1) : 0;
    for (int p = 0; p < kc; p++) {
        const float *s = a + p * lda;
        _mm512_store_ps(dst + p * CT_MR, _mm512_maskz_loadu_ps(m0, s));
        _mm512_store_ps(dst + p * CT_MR + 16, _mm512_maskz_loadu_ps(m1, s + 16));
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
static void ct_sg_pack_a_t(const float *a, int64_t lda, int mr, int kc, float *dst)
{
    int p = 0;
    if (mr == CT_MR) {
        for (; p + 16 <= kc; p += 16) {
            ct_sg_t16(a + p, lda, 16, dst + p * CT_MR, CT_MR, 0xFFFF);
            ct_sg_t16(a + p + 16 * lda, lda, 16, dst + p * CT_MR + 16, CT_MR, 0xFFFF);
        }
    }
    for (; p < kc; p++) {
        float *d = dst + p * CT_MR;
        int i = 0;
        for (; i < mr; i++) d[i] = a[p + i * lda];
        for (; i < CT_MR; i++) d[i] = 0.0f;
    }
}

/* Columns j0..j0+nr (nr <= NR) and k p0..p0+kc of op(B) into one
 * micro-panel: dst[p * NR + j], zero past nr. 'N': B(p, j) = b[p + j * ldb]. */
static void ct_sg_pack_b_n(const float *b, int64_t ldb, int nr, int kc, float *dst)
{
    int p = 0;
    if (nr == CT_NR)
        for (; p + 16 <= kc; p += 16)
            ct_sg_t16(b + p, ldb, CT_NR, dst + p * CT_NR, CT_NR, 0x0FFF);
    for (; p < kc; p++) {
        float *d = dst + p * CT_NR;
        int j = 0;
        for (; j < nr; j++) d[j] = b[p + j * ldb];
        for (; j < CT_NR; j++) d[j] = 0.0f;
    }
}

/* The same for 'T': B(p, j) = b[j + p * ldb]. */
static void ct_sg_pack_b_t(const float *b, int64_t ldb, int nr, int kc, float *dst)
{
    __mmask16 m = nr >= 16 ? 0xFFFF : (__mmask16)((1u << nr) - 1);
    for (int p = 0; p < kc; p++) {
        __m512 v = _mm512_maskz_loadu_ps(m, b + p * ldb);
        _mm512_mask_storeu_ps(dst + p * CT_NR, 0x0FFF, v);
    }
}

/* The micro-kernel: acc (MR x NR) = sum over k of A(i, p) B(p, j); then
 * C[i + j * ldc] = alpha acc + beta C for the rows i set in `rows` (bit i)
 * and the columns jlo <= j < jhi (beta == 0: C is not read). A is
 * A(i, p) = a[p * as + i]: a packed micro-panel (as == MR, aligned) or 32
 * rows of a column-major matrix read in place. B is a packed micro-panel,
 * B(p, j) = b[p * NR + j], when bcs == 0; otherwise NR columns of a
 * column-major matrix read in place, B(p, j) = b[p + j * bcs]. */
static void ct_sg_kernel(int kc, const float *restrict a, int64_t as, const float *restrict b,
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
    /* packed B: twelve consecutive floats per k */
#define CT_SG_STEP_P                                                          \
    CT_SG_LOAD_A                                                              \
    CT_SG_FMA("0(%[b])", 8, 9) CT_SG_FMA("4(%[b])", 10, 11)                   \
    CT_SG_FMA("8(%[b])", 12, 13) CT_SG_FMA("12(%[b])", 14, 15)                \
    CT_SG_FMA("16(%[b])", 16, 17) CT_SG_FMA("20(%[b])", 18, 19)               \
    CT_SG_FMA("24(%[b])", 20, 21) CT_SG_FMA("28(%[b])", 22, 23)               \
    CT_SG_FMA("32(%[b])", 24, 25) CT_SG_FMA("36(%[b])", 26, 27)               \
    CT_SG_FMA("40(%[b])", 28, 29) CT_SG_FMA("44(%[b])", 30, 31)               \
    "addq $48, %[b]\n\t"
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
#define CT_SG_CLOBBERS                                                        \
    "zmm0", "zmm1", "zmm2", "zmm8", "zmm9", "zmm10", "zmm11", "zmm12", "zmm13", \
    "zmm14", "zmm15", "zmm16", "zmm17", "zmm18", "zmm19", "zmm20", "zmm21", "zmm22", \
    "zmm23", "zmm24", "zmm25", "zmm26", "zmm27", "zmm28", "zmm29", "zmm30", "zmm31", \
    "cc", "memory"
    float t[2 * CT_NR * 16] __attribute__((aligned(64)));
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
#undef CT_SG_LOOP_H

    __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
#define acc(i) _mm512_load_ps(t + 16 * (i))
    if (rows == 0xFFFFFFFFu && jlo == 0 && jhi == CT_NR) {
        if (beta == 0.0f) {
            for (int j = 0; j < CT_NR; j++) {
                _mm512_storeu_ps(c + j * ldc, _mm512_mul_ps(va, acc(2 * j)));
                _mm512_storeu_ps(c + j * ldc + 16, _mm512_mul_ps(va, acc(2 * j + 1)));
            }
        } else if (beta == 1.0f) {
            for (int j = 0; j < CT_NR; j++) {
                float *cj = c + j * ldc;
                _mm512_storeu_ps(cj, _mm512_fmadd_ps(va, acc(2 * j), _mm512_loadu_ps(cj)));
                _mm512_storeu_ps(cj + 16, _mm512_fmadd_ps(va, acc(2 * j + 1), _mm512_loadu_ps(cj + 16)));
            }
        } else {
            for (int j = 0; j < CT_NR; j++) {
                float *cj = c + j * ldc;
                _mm512_storeu_ps(cj, _mm512_fmadd_ps(va, acc(2 * j),
                                                     _mm512_mul_ps(vb, _mm512_loadu_ps(cj))));
                _mm512_storeu_ps(cj + 16, _mm512_fmadd_ps(va, acc(2 * j + 1),
                                                          _mm512_mul_ps(vb, _mm512_loadu_ps(cj + 16))));
            }
        }
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

/* The product without packing, for when no packing buffer can be had. */
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

/* Whether the kernel reads the micro-panels of op(B) = B ('N') in place
 * instead of packing them: when `rows` rows of C make only a few blocks of A
 * that read each panel (packing would cost about as much as those passes),
 * and the columns are not a multiple of 4 KB apart (twelve of them would
 * then fall into the same cache sets). */
static int ct_sg_inplace(char t2, int rows, int64_t ldb)
{
#ifndef CT_SG_INPLACE_ROWS
#define CT_SG_INPLACE_ROWS (4 * CT_MC)
#endif
    return t2 == 'N' && rows <= CT_SG_INPLACE_ROWS && ldb % 1024 != 0;
}

/* Whether a micro-panel of nr columns of B that ends at column `end` is read
 * in place, when B's full panels are: a partial one only when there are NR
 * columns up to its end. */
static inline int ct_sg_b_inplace(int end, int nr)
{
    return nr == CT_NR || end >= CT_NR;
}

/* Whether the kernel reads op(A) = A ('N') in place instead of packing it:
 * for products small enough that packing would cost as much as the few
 * passes over A (and columns not a multiple of 4 KB apart). */
#ifndef CT_SG_A_INPLACE
#define CT_SG_A_INPLACE 65536
#endif
static int ct_sg_a_inplace(char t1, int M, int K, int64_t lda)
{
    return t1 == 'N' && M >= CT_MR && (int64_t)M * K <= CT_SG_A_INPLACE && lda % 1024 != 0;
}

/* Packs micro-panels q0..q1 (of NR columns) of the kc x nc block of op(B)
 * at column jc, k pc. */
static void ct_sg_pack_b(char t2, int inplace, const float *B, int64_t ldb, int jc, int pc,
                         int nc, int kc, int q0, int q1, float *bbuf)
{
    for (int q = q0; q < q1; q++) {
        int jr = q * CT_NR;
        int nr = nc - jr < CT_NR ? nc - jr : CT_NR;
        float *d = bbuf + (size_t)jr * kc;
        if (inplace && ct_sg_b_inplace(jc + jr + nr, nr)) continue;   /* read in place */
        if (t2 == 'N') ct_sg_pack_b_n(B + pc + (int64_t)(jc + jr) * ldb, ldb, nr, kc, d);
        else ct_sg_pack_b_t(B + (jc + jr) + (int64_t)pc * ldb, ldb, nr, kc, d);
    }
}

/* Rows i0..i1 of C against a kc x nc block of op(B) (packed in bbuf, or read
 * in place when bin): packs each MC x kc block of op(A) (unless ain: read in
 * place) and runs the micro-kernel over it. */
static void ct_sg_rows(char t1, int ain, int bin, int i0, int i1, int mcb, int jc, int pc,
                       int nc, int kc, float alpha, const float *A, int64_t lda,
                       const float *B, int64_t ldb, const float *bbuf,
                       float beta, float *C, int64_t ldc, float *abuf)
{
    for (int ic = i0; ic < i1; ic += mcb) {
        int mc = i1 - ic < mcb ? i1 - ic : mcb;
        if (!ain)
            for (int ir = 0; ir < mc; ir += CT_MR) {
                int mr = mc - ir < CT_MR ? mc - ir : CT_MR;
                float *d = abuf + (size_t)ir * kc;
                if (t1 == 'N') ct_sg_pack_a_n(A + (ic + ir) + (int64_t)pc * lda, lda, mr, kc, d);
                else ct_sg_pack_a_t(A + pc + (int64_t)(ic + ir) * lda, lda, mr, kc, d);
            }
        for (int jr = 0; jr < nc; jr += CT_NR) {
            int nr = nc - jr < CT_NR ? nc - jr : CT_NR;
            const float *bp = bbuf + (size_t)jr * kc;
            int64_t bcs = 0;
            int js = jr, jlo = 0, jhi = nr;
            if (bin && ct_sg_b_inplace(jc + jr + nr, nr)) {
                /* read in place; a last, partial panel is read as the
                 * NR columns that end with it, and only its own are written */
                js = jr + nr - CT_NR;
                jlo = CT_NR - nr;
                jhi = CT_NR;
                bp = B + pc + (int64_t)(jc + js) * ldb;
                bcs = ldb;
            }
            for (int ir = 0; ir < mc; ir += CT_MR) {
                int mr = mc - ir < CT_MR ? mc - ir : CT_MR;
                if (ain) {
                    /* A read in place, likewise: a partial tile as the
                     * MR rows that end with it */
                    int is = ir + mr - CT_MR;
                    ct_sg_kernel(kc, A + (ic + is) + (int64_t)pc * lda, lda, bp, bcs,
                                 C + (ic + is) + (int64_t)(jc + js) * ldc, ldc, alpha, beta,
                                 0xFFFFFFFFu << (CT_MR - mr), jlo, jhi);
                } else {
                    ct_sg_kernel(kc, abuf + (size_t)ir * kc, CT_MR, bp, bcs,
                                 C + (ic + ir) + (int64_t)(jc + js) * ldc, ldc, alpha, beta,
                                 mr == CT_MR ? 0xFFFFFFFFu : (1u << mr) - 1, jlo, jhi);
                }
            }
        }
    }
}

/* ---- matrix-vector products (M == 1 or N == 1) --------------------------
 * A product with one row or one column of C reads each element of the matrix
 * operand once, so packing it (and a micro-tile 32 rows or 12 columns wide)
 * would only add passes: these read the matrix in place.
 *
 * Dot form: y[j] = sum_p x[p] A[p + j lda] (columns of A contiguous in p),
 * four columns at a time against one load of x, 16 lanes per accumulator. */
static inline float ct_sg_hsum(__m512 v) { return _mm512_reduce_add_ps(v); }

static void ct_sg_gemv_dot(int K, int N, float alpha, const float *A, int64_t lda,
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
        float r[4] = {ct_sg_hsum(s0), ct_sg_hsum(s1), ct_sg_hsum(s2), ct_sg_hsum(s3)};
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
        float r = ct_sg_hsum(_mm512_add_ps(s0, s1));
        float *c = y + (int64_t)j * incy;
        *c = beta == 0.0f ? alpha * r : alpha * r + beta * *c;
    }
}

/* Axpy form: y[i] = sum_p A[i + p lda] x[p] (columns of A contiguous in i),
 * y taken in blocks of CT_SG_GV_BLOCK kept in a local buffer while four
 * columns at a time are added into it. */
#define CT_SG_GV_BLOCK 1024
static void ct_sg_gemv_axpy(int M, int K, float alpha, const float *A, int64_t lda,
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

/* C = alpha op1(A) op2(B) + beta C when M == 1 or N == 1 (K > 0, alpha != 0). */
static void ct_sg_gemv(char t1, char t2, int M, int N, int K, float alpha,
                       const float *A, int64_t lda, const float *B, int64_t ldb,
                       float beta, float *C, int64_t ldc)
{
    if (N == 1) {
        /* a column of C: op1(A) (M x K) times the K-vector op2(B) */
        if (t2 == 'N' || K == 1) {
            if (t1 == 'N') ct_sg_gemv_axpy(M, K, alpha, A, lda, B, 1, beta, C, 1);
            else ct_sg_gemv_dot(K, M, alpha, A, lda, B, beta, C, 1);
            return;
        }
        if (t1 == 'N') {
            ct_sg_gemv_axpy(M, K, alpha, A, lda, B, ldb, beta, C, 1);
            return;
        }
    } else {
        /* a row of C: the K-vector op1(A) times op2(B) (K x N) */
        if (t1 == 'T' || K == 1) {
            if (t2 == 'N') ct_sg_gemv_dot(K, N, alpha, B, ldb, A, beta, C, ldc);
            else ct_sg_gemv_axpy(N, K, alpha, B, ldb, A, 1, beta, C, ldc);
            return;
        }
        if (t2 == 'T') {
            ct_sg_gemv_axpy(N, K, alpha, B, ldb, A, lda, beta, C, ldc);
            return;
        }
    }
    /* dot form with a strided vector: the vector gathered first (read in
     * place when its elements are adjacent) */
    const float *v = N == 1 ? B : A;
    int64_t inc = N == 1 ? ldb : lda;
    if (inc == 1) {
        if (N == 1) ct_sg_gemv_dot(K, M, alpha, A, lda, v, beta, C, 1);
        else ct_sg_gemv_dot(K, N, alpha, B, ldb, v, beta, C, ldc);
        return;
    }
    float *xv = (float *)malloc((size_t)K * sizeof(float));
    if (xv == NULL) {
        ct_sg_unpacked(t1, t2, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    for (int p = 0; p < K; p++) xv[p] = v[p * inc];
    if (N == 1) ct_sg_gemv_dot(K, M, alpha, A, lda, xv, beta, C, 1);
    else ct_sg_gemv_dot(K, N, alpha, B, ldb, xv, beta, C, ldc);
    free(xv);
}

/* One product on the calling thread. */
static void ct_sg_serial(char t1, char t2, int M, int N, int K, float alpha,
                         const float *A, int64_t lda, const float *B, int64_t ldb,
                         float beta, float *C, int64_t ldc)
{
    if (M <= 0 || N <= 0) return;
    if (K <= 0 || alpha == 0.0f) {
        ct_sg_scale(M, N, beta, C, ldc);
        return;
    }
    if (M == 1 || N == 1) {
        ct_sg_gemv(t1, t2, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    int kcb = ct_sg_block(K, CT_KC, 1);
    int mcb = ct_sg_block(M, CT_MC, CT_MR);
    int ncb = ct_sg_block(N, CT_NC, CT_NR);
    float *abuf = ct_sg_buffer(0, (size_t)mcb * kcb);
    float *bbuf = ct_sg_buffer(1, (size_t)ncb * kcb);
    if (abuf == NULL || bbuf == NULL) {
        ct_sg_unpacked(t1, t2, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    int inplace = ct_sg_inplace(t2, M, ldb), ain = ct_sg_a_inplace(t1, M, K, lda);
    for (int jc = 0; jc < N; jc += ncb) {
        int nc = N - jc < ncb ? N - jc : ncb;
        for (int pc = 0; pc < K; pc += kcb) {
            int kc = K - pc < kcb ? K - pc : kcb;
            ct_sg_pack_b(t2, inplace, B, ldb, jc, pc, nc, kc, 0, (nc + CT_NR - 1) / CT_NR, bbuf);
            ct_sg_rows(t1, ain, inplace, 0, M, mcb, jc, pc, nc, kc, alpha, A, lda, B, ldb, bbuf,
                       pc == 0 ? beta : 1.0f, C, ldc, abuf);
        }
    }
}

#pragma GCC pop_options

/* 1 when the CPU (and the OS) run AVX-512F code */
static int ct_sg_usable(void)
{
    static int ok = -1;
    if (ok < 0) {
        __builtin_cpu_init();
        ok = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")
             && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq")
             && __builtin_cpu_supports("fma") && __builtin_cpu_supports("avx2")
             && __builtin_cpu_supports("bmi2") && getenv("CTORCH_BLAS_SGEMM") == NULL;
    }
    return ok;
}

int ct_sgemm_batched(char t1, char t2, int M, int N, int K, float alpha,
                     const float *P, int ld1, const int64_t *off1,
                     const float *Q, int ld2, const int64_t *off2, float beta,
                     float *C, int ldc, int64_t nb)
{
    if (!ct_sg_usable()) return -1;
    size_t cstep = (size_t)M * N;
    int nt = ct_get_num_threads();
    if (2.0 * M * N * K * nb < CT_SGEMM_PAR_FLOPS) nt = 1;
#ifdef _OPENMP
    if (omp_in_parallel()) nt = 1;      /* called from a thread of a parallel region */
#endif
    if (nt <= 1) {
        for (int64_t b = 0; b < nb; b++)
            ct_sg_serial(t1, t2, M, N, K, alpha, P + off1[b], ld1, Q + off2[b], ld2,
                         beta, C + b * cstep, ldc);
        return 0;
    }
    if (nb >= nt) {
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static)
#endif
        for (int64_t b = 0; b < nb; b++)
            ct_sg_serial(t1, t2, M, N, K, alpha, P + off1[b], ld1, Q + off2[b], ld2,
                         beta, C + b * cstep, ldc);
        return 0;
    }
    /* fewer products than threads: each product cut into one slab of whole
     * micro-tiles per thread, each slab an independent product (no thread
     * waits for another). Slabs of rows when each reads B in place (nothing
     * is then packed twice); otherwise along the dimension with more tiles
     * (each slab of columns packs all of A, each slab of rows all of B). */
    int tiles_n = (N + CT_NR - 1) / CT_NR, tiles_m = (M + CT_MR - 1) / CT_MR;
    int split_n = tiles_n >= tiles_m;
    if (tiles_m >= nt && N >= CT_NR && ct_sg_inplace(t2, (tiles_m + nt - 1) / nt * CT_MR, ld2))
        split_n = 0;
    int unit = split_n ? CT_NR : CT_MR, D = split_n ? N : M;
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
                ct_sg_serial(t1, t2, M, hi - lo, K, alpha, Pb, ld1,
                             Qb + (int64_t)lo * (t2 == 'N' ? ld2 : 1), ld2, beta,
                             Cb + (int64_t)lo * ldc, ldc);
            else
                ct_sg_serial(t1, t2, hi - lo, N, K, alpha,
                             Pb + (int64_t)lo * (t1 == 'N' ? 1 : ld1), ld1, Qb, ld2,
                             beta, Cb + lo, ldc);
        }
    }
    return 0;
}

#else   /* not x86-64 with GCC: the BLAS runs every float product */

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
