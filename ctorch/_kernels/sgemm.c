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
 * that takes the tile and block sizes from a table of the kernel (ct_gm_isa):
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
 * The AVX-512 micro-kernel, its matrix-vector products and the driver are
 * written once over the element type in gemm_impl.h, which dgemm.c
 * includes for float64 as this file does for float32; here are the float
 * packing routines that transpose, the AVX2 + FMA kernel and the entry
 * points.
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

#ifdef CT_OWN_GEMM
#include <immintrin.h>

/* AVX-512: a micro-tile of 32 rows (two zmm vectors) by 12 columns
 * (broadcasts) */
#define CT_GT float
#define CT_GW 16
#ifndef CT_GZ_KC
#define CT_GZ_KC 320       /* k per packed block */
#endif
#ifndef CT_GZ_MC
#define CT_GZ_MC 256       /* rows per packed A block (multiple of 32) */
#endif
#ifndef CT_GZ_NC
#define CT_GZ_NC 2880      /* columns per packed B block (multiple of 12) */
#endif
#ifndef CT_GZ_AIN
#define CT_GZ_AIN 65536    /* op(A) read in place up to M K this large (ct_gm_a_inplace) */
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
#define CT_GM_PAR_FLOPS 1500000.0

#include "gemm_impl.h"

#pragma GCC push_options
#pragma GCC target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma,bmi2")

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
CT_GM_PACK_A_T(ct_sg_pack_a_t_z, ct_sg_t16)

/* Columns j0..j0+nr (nr <= NR) and k p0..p0+kc of op(B) into one
 * micro-panel: dst[p * NR + j], zero past nr. 'N': B(p, j) = b[p + j * ldb]. */
static void ct_sg_pack_b_n_z(const float *b, int64_t ldb, int nr, int kc, float *dst)
{
    int p = 0;
    if (nr == CT_GZ_NR)
        for (; p + 16 <= kc; p += 16)
            ct_sg_t16(b + p, ldb, CT_GZ_NR, dst + p * CT_GZ_NR, CT_GZ_NR, 0x0FFF);
    ct_gm_pack_gather(b, ldb, nr, CT_GZ_NR, p, kc, dst);
}

/* The same for 'T': B(p, j) = b[j + p * ldb]. */
static void ct_sg_pack_b_t_z(const float *b, int64_t ldb, int nr, int kc, float *dst)
{
    __mmask16 m = nr >= 16 ? 0xFFFF : (__mmask16)((1u << nr) - 1);
    for (int p = 0; p < kc; p++) {
        __m512 v = _mm512_maskz_loadu_ps(m, b + p * ldb);
        _mm512_mask_storeu_ps(dst + p * CT_GZ_NR, 0x0FFF, v);
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

/* op(A) = A2 ('X', gemm_impl.h) on AVX2: column q of the complex matrix
 * for k = 2q, its pairs swapped and their first parts negated for 2q + 1 */
static void ct_sg_pack_a_x_y(const float *a, int64_t lda, int mr, int kc, float *dst)
{
    const __m256i m0 = ct_sg_ymask(mr), m1 = ct_sg_ymask(mr - 8);
    const __m256 sg = _mm256_castsi256_ps(_mm256_set1_epi64x(0x80000000LL));
    for (int q = 0; q < kc / 2; q++) {
        const float *s = a + q * lda;
        float *d = dst + 2 * q * CT_Y_MR;
        const __m256 v0 = _mm256_maskload_ps(s, m0), v1 = _mm256_maskload_ps(s + 8, m1);
        _mm256_store_ps(d, v0);
        _mm256_store_ps(d + 8, v1);
        _mm256_store_ps(d + CT_Y_MR, _mm256_xor_ps(_mm256_permute_ps(v0, 0xB1), sg));
        _mm256_store_ps(d + CT_Y_MR + 8, _mm256_xor_ps(_mm256_permute_ps(v1, 0xB1), sg));
    }
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
    ct_gm_pack_gather(a, lda, mr, CT_Y_MR, p, kc, dst);
}

static void ct_sg_pack_b_n_y(const float *b, int64_t ldb, int nr, int kc, float *dst)
{
    int p = 0;
    for (; p + 8 <= kc; p += 8)
        ct_sg_t8(b + p, ldb, nr, dst + p * CT_Y_NR, CT_Y_NR, 1);
    ct_gm_pack_gather(b, ldb, nr, CT_Y_NR, p, kc, dst);
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
        __asm__ volatile(CT_GM_KLOOP(CT_Y_ZERO_H, CT_Y_STEP_PH, CT_Y_SAVE_H)
                         : [a] "+r"(a), [b] "+r"(b), [k4] "+r"(k4), [k1] "+r"(k1)
                         : [t] "r"(t), [as] "r"(as)
                         : CT_Y_CLOBBERS);
    } else if (half) {
        const float *q0 = b, *q3 = b + 3 * bcs;
        int64_t r = bcs * (int64_t)sizeof(float);
        __asm__ volatile(CT_GM_KLOOP(CT_Y_ZERO_H, CT_Y_STEP_SH, CT_Y_SAVE_H)
                         : [a] "+r"(a), [q0] "+r"(q0), [q3] "+r"(q3), [k4] "+r"(k4),
                           [k1] "+r"(k1)
                         : [t] "r"(t), [r] "r"(r), [as] "r"(as)
                         : CT_Y_CLOBBERS);
    } else if (bcs == 0) {
        __asm__ volatile(CT_GM_KLOOP(CT_Y_ZERO, CT_Y_STEP_P, CT_Y_SAVE)
                         : [a] "+r"(a), [b] "+r"(b), [k4] "+r"(k4), [k1] "+r"(k1)
                         : [t] "r"(t), [as] "r"(as)
                         : CT_Y_CLOBBERS);
    } else {
        const float *q0 = b, *q3 = b + 3 * bcs;
        int64_t r = bcs * (int64_t)sizeof(float);
        __asm__ volatile(CT_GM_KLOOP(CT_Y_ZERO, CT_Y_STEP_S, CT_Y_SAVE)
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
        CT_GM_WRITE_FULL(CT_Y_NR, 8, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_mul_ps,
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
    float acc[CT_GM_GV_BLOCK] __attribute__((aligned(32)));
    for (int i0 = 0; i0 < M; i0 += CT_GM_GV_BLOCK) {
        int mb = M - i0 < CT_GM_GV_BLOCK ? M - i0 : CT_GM_GV_BLOCK;
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

#pragma GCC pop_options


static const ct_gm_isa ct_sg_avx512 = {
    CT_GZ_MR, CT_GZ_NR, CT_GZ_KC, CT_GZ_MC, CT_GZ_NC, CT_GZ_AIN, ct_gm_kernel_z,
    ct_gm_pack_a_n_z, ct_sg_pack_a_t_z, ct_sg_pack_b_n_z, ct_sg_pack_b_t_z,
    ct_gm_gemv_dot_z, ct_gm_gemv_axpy_z, ct_gm_small_z, ct_gm_pack_a_x_z,
};

static const ct_gm_isa ct_sg_avx2 = {
    CT_Y_MR, CT_Y_NR, CT_Y_KC, CT_Y_MC, CT_Y_NC, CT_Y_AIN, ct_sg_kernel_y,
    ct_sg_pack_a_n_y, ct_sg_pack_a_t_y, ct_sg_pack_b_n_y, ct_sg_pack_b_t_y,
    ct_sg_gemv_dot_y, ct_sg_gemv_axpy_y, NULL, ct_sg_pack_a_x_y,
};


/* The kernel this CPU runs (AVX-512, else AVX2 + FMA), NULL for the BLAS. */
static const ct_gm_isa *ct_sg_usable(void)
{
    static int which = -1;
    if (which < 0) {
        __builtin_cpu_init();
        int avx2 = __builtin_cpu_supports("fma") && __builtin_cpu_supports("avx2");
        if (getenv("CTORCH_BLAS_SGEMM") != NULL) which = 0;
        else if (ct_gm_has_avx512() && getenv("CTORCH_SGEMM_AVX2") == NULL) which = 2;
        else which = avx2;
    }
    return which == 2 ? &ct_sg_avx512 : which == 1 ? &ct_sg_avx2 : NULL;
}

int ct_sgemm_batched(char t1, char t2, int M, int N, int K, float alpha,
                     const float *P, int ld1, const int64_t *off1,
                     const float *Q, int ld2, const int64_t *off2, float beta,
                     float *C, int ldc, int64_t nb)
{
    const ct_gm_isa *k = ct_sg_usable();
    if (k == NULL || (t1 == 'X' && k->pack_a_x == NULL)) return -1;
    ct_gm_batched(k, t1, t2, M, N, K, alpha, P, ld1, off1, Q, ld2, off2, beta, C, ldc, nb);
    return 0;
}


int ct_sgemm_tile(int *mr, int *nr)
{
    const ct_gm_isa *k = ct_sg_usable();
    *mr = k ? k->mr : CT_GZ_MR;
    *nr = k ? k->nr : CT_GZ_NR;
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
