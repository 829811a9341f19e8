/* ctorch's own float64 matrix product (DGEMM), for x86-64 CPUs with AVX-512.
 *
 * The same product as sgemm.c's (its comment describes the algorithm and
 * the conventions) on the type-generic kernel and driver of gemm_impl.h,
 * in double: the micro-tile is 16 x 12 (two zmm loads of A, twelve
 * broadcasts of B, 24 accumulators), which reads the same 128 bytes of A
 * and runs the same instructions per k as the float kernel's 32 x 12.
 * Blocks for Sapphire Rapids (48 KB L1d, 2 MB L2 per core): a B micro-panel
 * (KC x NR = 256 x 12, 24 KB) in L1, the A block (MC x KC = 192 x 256,
 * 384 KB) in L2. Here come the packing routines that transpose (8 x 8 tiles
 * of doubles), the kernel's table and the entry point.
 *
 * Other CPUs (or the environment variable CTORCH_BLAS_DGEMM) run the BLAS:
 * ct_dgemm_batched then returns -1.
 */
#include "matmul.h"
#include "strided.h"
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

#ifdef CT_OWN_GEMM
#include <immintrin.h>

#define CT_GT double
#define CT_GW 8
#ifndef CT_GZ_KC
#define CT_GZ_KC 256       /* k per packed block */
#endif
#ifndef CT_GZ_MC
#define CT_GZ_MC 192       /* rows per packed A block (multiple of 16) */
#endif
#ifndef CT_GZ_NC
#define CT_GZ_NC 2880      /* columns per packed B block (multiple of 12) */
#endif
#ifndef CT_GZ_AIN
#define CT_GZ_AIN 32768    /* op(A) read in place up to M K this large */
#endif
/* fewer flops than this stay on the calling thread (each flop costs twice
 * the float kernel's time) */
#define CT_GM_PAR_FLOPS 750000.0

#include "gemm_impl.h"

#pragma GCC push_options
#pragma GCC target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma,bmi2")

/* Transposes an 8 x 8 tile of doubles: rows i < nrows of the source (8
 * doubles each, row stride ls; the other rows count as zero) go to
 * dst[c * ld + i] for columns c < 8, writing the lanes of `keep` only. */
static inline __attribute__((always_inline)) void
ct_dg_t8(const double *s, int64_t ls, int nrows, double *dst, int ld, __mmask8 keep)
{
    __m512d r[8], t[8];
    for (int i = 0; i < 8; i++) r[i] = i < nrows ? _mm512_loadu_pd(s + i * ls) : _mm512_setzero_pd();
    /* t[2q] holds, in each 128-bit lane L, column 2L of rows 2q, 2q + 1;
     * t[2q + 1] column 2L + 1 */
    for (int i = 0; i < 8; i += 2) {
        t[i] = _mm512_unpacklo_pd(r[i], r[i + 1]);
        t[i + 1] = _mm512_unpackhi_pd(r[i], r[i + 1]);
    }
    /* column c = 2L + o (o = c % 2) is lane L of t[o], t[2 + o], t[4 + o],
     * t[6 + o]: gather lanes (0, 2) or (1, 3) of two pairs, then of those */
    for (int o = 0; o < 2; o++) {
        __m512d x0 = _mm512_shuffle_f64x2(t[o], t[2 + o], 0x88);      /* lanes 0, 2 */
        __m512d y0 = _mm512_shuffle_f64x2(t[4 + o], t[6 + o], 0x88);
        __m512d x1 = _mm512_shuffle_f64x2(t[o], t[2 + o], 0xDD);      /* lanes 1, 3 */
        __m512d y1 = _mm512_shuffle_f64x2(t[4 + o], t[6 + o], 0xDD);
        _mm512_mask_storeu_pd(dst + (0 + o) * ld, keep, _mm512_shuffle_f64x2(x0, y0, 0x88));
        _mm512_mask_storeu_pd(dst + (4 + o) * ld, keep, _mm512_shuffle_f64x2(x0, y0, 0xDD));
        _mm512_mask_storeu_pd(dst + (2 + o) * ld, keep, _mm512_shuffle_f64x2(x1, y1, 0x88));
        _mm512_mask_storeu_pd(dst + (6 + o) * ld, keep, _mm512_shuffle_f64x2(x1, y1, 0xDD));
    }
}

/* op(A) 'T' into micro-panels: A(i, p) = a[p + i * lda] */
CT_GM_PACK_A_T(ct_dg_pack_a_t_z, ct_dg_t8)

/* Columns j0..j0+nr (nr <= NR) and k p0..p0+kc of op(B) into one
 * micro-panel, dst[p * NR + j], zero past nr; 'N': B(p, j) = b[p + j * ldb]. */
static void ct_dg_pack_b_n_z(const double *b, int64_t ldb, int nr, int kc, double *dst)
{
    int p = 0;
    if (nr == CT_GZ_NR)
        for (; p + 8 <= kc; p += 8) {
            ct_dg_t8(b + p, ldb, 8, dst + p * CT_GZ_NR, CT_GZ_NR, 0xFF);
            ct_dg_t8(b + p + 8 * ldb, ldb, 4, dst + p * CT_GZ_NR + 8, CT_GZ_NR, 0x0F);
        }
    ct_gm_pack_gather(b, ldb, nr, CT_GZ_NR, p, kc, dst);
}

/* The same for 'T': B(p, j) = b[j + p * ldb]. */
static void ct_dg_pack_b_t_z(const double *b, int64_t ldb, int nr, int kc, double *dst)
{
    __mmask8 m0 = CT_ZLANES(nr), m1 = CT_ZLANES(nr - 8);
    for (int p = 0; p < kc; p++) {
        const double *s = b + p * ldb;
        _mm512_storeu_pd(dst + p * CT_GZ_NR, _mm512_maskz_loadu_pd(m0, s));
        _mm512_mask_storeu_pd(dst + p * CT_GZ_NR + 8, 0x0F, _mm512_maskz_loadu_pd(m1, s + 8));
    }
}

#pragma GCC pop_options

static const ct_gm_isa ct_dg_avx512 = {
    CT_GZ_MR, CT_GZ_NR, CT_GZ_KC, CT_GZ_MC, CT_GZ_NC, CT_GZ_AIN, ct_gm_kernel_z,
    ct_gm_pack_a_n_z, ct_dg_pack_a_t_z, ct_dg_pack_b_n_z, ct_dg_pack_b_t_z,
    ct_gm_gemv_dot_z, ct_gm_gemv_axpy_z, ct_gm_small_z, ct_gm_pack_a_x_z,
};

/* The kernel this CPU runs, NULL for the BLAS. */
static const ct_gm_isa *ct_dg_usable(void)
{
    static int which = -1;
    if (which < 0)
        which = ct_gm_has_avx512() && getenv("CTORCH_BLAS_DGEMM") == NULL;
    return which ? &ct_dg_avx512 : NULL;
}

int ct_dgemm_batched(char t1, char t2, int M, int N, int K, double alpha,
                     const double *P, int ld1, const int64_t *off1,
                     const double *Q, int ld2, const int64_t *off2, double beta,
                     double *C, int ldc, int64_t nb)
{
    const ct_gm_isa *k = ct_dg_usable();
    if (k == NULL || (t1 == 'X' && k->pack_a_x == NULL)) return -1;
    ct_gm_batched(k, t1, t2, M, N, K, alpha, P, ld1, off1, Q, ld2, off2, beta, C, ldc, nb);
    return 0;
}

#else   /* not x86-64 with GCC: the BLAS runs every double product */

int ct_dgemm_batched(char t1, char t2, int M, int N, int K, double alpha,
                     const double *P, int ld1, const int64_t *off1,
                     const double *Q, int ld2, const int64_t *off2, double beta,
                     double *C, int ldc, int64_t nb)
{
    (void)t1; (void)t2; (void)M; (void)N; (void)K; (void)alpha; (void)P; (void)ld1;
    (void)off1; (void)Q; (void)ld2; (void)off2; (void)beta; (void)C; (void)ldc; (void)nb;
    return -1;
}

#endif
