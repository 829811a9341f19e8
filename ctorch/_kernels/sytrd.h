/* Householder reduction of a small symmetric float64 matrix to tridiagonal
 * form, with the results LAPACK's dsytrd writes (d, e, tau and the
 * reflectors in the triangle it was given), for the eigenvalue loops of
 * ctorch/_ops/linalg_k.pyx (header only: that module includes it).
 *
 * The matrix is copied into an aligned scratch square holding both
 * triangles, so that the symmetric product and the rank-2 update are plain
 * column loops. Step i's rank-2 update  A -= v w^T + w v^T  and step i + 1's
 * product  p = A v'  run in one pass over the trailing columns: column i + 1
 * is updated first, its reflector v' formed (as LAPACK's dlarfg forms it),
 * then every later column is updated and at once dotted with v'. The vectors
 * are kept zero outside their rows, so each column is processed from an
 * aligned row onward in whole vectors (the rows above the trailing block
 * hold values nothing reads again).
 *
 * uplo 'U' is the 'L' reduction of the matrix with its rows and columns in
 * reverse order (LAPACK's 'U' sweep is that one, mirrored): the results are
 * mapped back to 'U''s layout.
 *
 * The input must be finite (NaN and inf give unspecified values, not a
 * fault); no scaling of the matrix is done (callers keep to the range where
 * LAPACK's drivers do none). */
#ifndef CT_SYTRD_H
#define CT_SYTRD_H

#include <stdint.h>
#include <string.h>
#include <math.h>
#include "common.h"

/* the order of the scratch's columns: a multiple of 8 doubles (64 bytes) */
static inline int64_t ct_trd_ld(int64_t n)
{
    return (n + 7) / 8 * 8;
}

/* The doubles of workspace ct_dsytrd needs for order n. */
static inline int64_t ct_dsytrd_work(int64_t n)
{
    return ct_trd_ld(n) * (n + 5) + 8;
}

/* The doubles of workspace ct_dormtr_ql needs for order n. */
static inline int64_t ct_dormtr_work(int64_t n)
{
    return ct_trd_ld(n) * (n + 1) + 8;
}

#define CT_TRD_INLINE static inline __attribute__((always_inline))

/* sqrt(a^2 + b^2) without needless overflow or underflow (LAPACK's dlapy2) */
CT_TRD_INLINE double ct_trd_lapy2(double a, double b)
{
    double x = fabs(a), y = fabs(b);
    double w = x > y ? x : y, z = x > y ? y : x;
    if (z == 0 || w > 1.7976931348623157e308)
        return w;
    return w * sqrt(1 + (z / w) * (z / w));
}

/* the 2-norm of x[0:m], scaled by its largest magnitude */
static double ct_trd_nrm2(const double *x, int64_t m)
{
    double mx = 0, s = 0;
    for (int64_t k = 0; k < m; k++)
        mx = fabs(x[k]) > mx ? fabs(x[k]) : mx;
    if (mx == 0)
        return 0;
    for (int64_t k = 0; k < m; k++)
        s += (x[k] / mx) * (x[k] / mx);
    return mx * sqrt(s);
}

/* LAPACK's dlarfg for the vector (alpha, x[0:m]): x becomes the reflector's
 * tail, *tau its factor; returns beta (the new alpha) */
CT_TRD_INLINE double ct_trd_larfg(double alpha, double *x, int64_t m, double *tau)
{
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, beta, scal;
    int64_t k;
    *tau = 0;
    if (m <= 0)
        return alpha;
    for (k = 0; k + 4 <= m; k += 4) {
        s0 += x[k] * x[k];
        s1 += x[k + 1] * x[k + 1];
        s2 += x[k + 2] * x[k + 2];
        s3 += x[k + 3] * x[k + 3];
    }
    for (; k < m; k++)
        s0 += x[k] * x[k];
    double ssq = (s0 + s1) + (s2 + s3);
    int knt = 0;
    /* the sum of squares without underflow or overflow: beta from it; LAPACK's
     * guarded steps otherwise */
    if (ssq >= 1e-280 && ssq <= 1e280 && fabs(alpha) <= 1e140) {
        beta = -copysign(sqrt(alpha * alpha + ssq), alpha);
    } else {
        /* dlamch('S') / dlamch('E') */
        const double safmin = 2.2250738585072014e-308 / 1.1102230246251565e-16;
        double xnorm = ct_trd_nrm2(x, m);
        if (xnorm == 0)
            return alpha;
        beta = -copysign(ct_trd_lapy2(alpha, xnorm), alpha);
        if (fabs(beta) < safmin) {
            do {
                knt++;
                for (k = 0; k < m; k++)
                    x[k] *= 1 / safmin;
                beta *= 1 / safmin;
                alpha *= 1 / safmin;
            } while (fabs(beta) < safmin && knt < 20);
            xnorm = ct_trd_nrm2(x, m);
            beta = -copysign(ct_trd_lapy2(alpha, xnorm), alpha);
        }
    }
    *tau = (beta - alpha) / beta;
    scal = 1 / (alpha - beta);
    for (k = 0; k < m; k++)
        x[k] *= scal;
    for (; knt > 0; knt--)
        beta *= 2.2250738585072014e-308 / 1.1102230246251565e-16;
    return beta;
}

/* The kernels, in vectors of 8 doubles for AVX-512 and of 4 elsewhere: 8
 * lowered to AVX2 or SSE2 registers spill and run several times slower than
 * 4. (GCC on x86-64 Linux, as CT_MULTIVERSION in common.h; elsewhere the 4
 * only, for the build's target.) */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12 && defined(__x86_64__) \
    && defined(__linux__) && !defined(CT_NO_MULTIVERSION)
#define CT_TRD_TWO 1
#define CT_TRD_W 8
#define CT_TRD_SFX(name) name##_w8
#define CT_TRD_TARGET __attribute__((target("arch=x86-64-v4")))
#include "sytrd_impl.h"
#undef CT_TRD_W
#undef CT_TRD_SFX
#undef CT_TRD_TARGET
#define CT_TRD_TARGET __attribute__((target_clones("default", "arch=x86-64-v3")))
#else
#define CT_TRD_TWO 0
#define CT_TRD_TARGET
#endif
#define CT_TRD_W 4
#define CT_TRD_SFX(name) name##_w4
#include "sytrd_impl.h"
#undef CT_TRD_W
#undef CT_TRD_SFX
#undef CT_TRD_TARGET

/* whether the CPU runs the x86-64-v4 kernels */
static inline int ct_trd_wide(void)
{
#if CT_TRD_TWO
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")
           && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq")
           && __builtin_cpu_supports("avx512cd");
#else
    return 0;
#endif
}

/* whether the kernels pay on this CPU: x86-64 with AVX2 and FMA (on SSE2
 * alone LAPACK's sytrd is faster from order ~100 and orgtr with a product
 * from ~32) */
static inline int ct_trd_fast(void)
{
#if CT_TRD_TWO
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

/* dsytrd(uplo, n, a, lda, d, e, tau): a (column-major, leading dim lda)
 * holds the triangle uplo ('L' or 'U') of a symmetric matrix; on return its
 * diagonal and off-diagonal hold T (d, e) and the rest of the triangle the
 * reflectors, tau their factors, all laid out as LAPACK lays them out; the
 * other triangle is not touched. work: ct_dsytrd_work(n) doubles. */
static inline void ct_dsytrd(char uplo, int64_t n, double *a, int64_t lda, double *d, double *e,
                             double *tau, double *work)
{
#if CT_TRD_TWO
    if (ct_trd_wide()) {
        ct_dsytrd_w8(uplo, n, a, lda, d, e, tau, work);
        return;
    }
#endif
    ct_dsytrd_w4(uplo, n, a, lda, d, e, tau, work);
}

/* z = Q z for the n x n matrix z (column-major, leading dim ldz), Q the
 * orthogonal factor whose reflectors ct_dsytrd('L', n, a, lda, ..., tau)
 * left in a (LAPACK's dormtr('L', 'L', 'N')). work: ct_dormtr_work(n)
 * doubles. */
static inline void ct_dormtr_ql(int64_t n, const double *a, int64_t lda, const double *tau,
                                double *z, int64_t ldz, double *work)
{
#if CT_TRD_TWO
    if (ct_trd_wide()) {
        ct_dormtr_ql_w8(n, a, lda, tau, z, ldz, work);
        return;
    }
#endif
    ct_dormtr_ql_w4(n, a, lda, tau, z, ldz, work);
}

/* Fortran BLAS's dgemm (scipy.linalg.cython_blas exports one) */
typedef void (*ct_dgemm_f77)(char *ta, char *tb, int *m, int *n, int *k, double *alpha,
                             double *a, int *lda, double *b, int *ldb, double *beta, double *c,
                             int *ldc);

/* the reflectors per block of ct_dormtr_ql_blocked */
#define CT_ORM_NB 32

/* The doubles of workspace ct_dormtr_ql_blocked needs for order n. */
static inline int64_t ct_dormtr_blocked_work(int64_t n)
{
    return 3 * n * CT_ORM_NB + CT_ORM_NB * CT_ORM_NB;
}

/* ct_dormtr_ql by blocks of CT_ORM_NB reflectors (LAPACK's dormtr with
 * dlarft and dlarfb): the product H(i0) .. H(i1 - 1) of a block as
 * I - V T V^T (V the block's reflectors, zero above their leading 1; T
 * upper triangular, built column by column as dlarft does), applied to z
 * as z - V (T (V^T z)) by three gemm calls, the blocks from the last to the
 * first. The same product as ct_dormtr_ql, at gemm's speed. */
static inline void ct_dormtr_ql_blocked(int64_t n, const double *a, int64_t lda,
                                        const double *tau, double *z, int64_t ldz, double *work,
                                        ct_dgemm_f77 gemm)
{
    const int64_t NB = CT_ORM_NB;
    double *V = work, *T = V + n * NB, *W = T + NB * NB, *W2 = W + NB * n;
    char cn = 'N', ct = 'T';
    double one = 1, zero = 0, minus = -1;
    int in = (int)n, ildz = (int)ldz, inb = (int)NB;
    for (int64_t i1 = n - 1; i1 > 0; i1 -= NB) {
        int64_t i0 = i1 - NB > 0 ? i1 - NB : 0, kb = i1 - i0, r0 = i0 + 1, m = n - r0;
        /* V (m x kb, column-major): reflector i0 + j has its 1 in row j */
        for (int64_t j = 0; j < kb; j++) {
            double *vj = V + j * m;
            const double *aj = a + (i0 + j) * lda + r0;
            for (int64_t q = 0; q < j; q++)
                vj[q] = 0;
            vj[j] = 1;
            for (int64_t q = j + 1; q < m; q++)
                vj[q] = aj[q];
        }
        int im = (int)m, ikb = (int)kb;
        /* T: T[j][j] = tau_j, T[0:j, j] = -tau_j T[0:j, 0:j] V[:, 0:j]^T v_j,
         * the products V^T V by one gemm into W (v_j is zero above its 1, so
         * its dot products with the others are those of rows j on) */
        gemm(&ct, &cn, &ikb, &ikb, &im, &one, V, &im, V, &im, &zero, W, &ikb);
        for (int64_t j = 0; j < kb; j++) {
            double tj = tau[i0 + j], *tc = T + j * NB;
            for (int64_t l = 0; l < j; l++)
                tc[l] = -tj * W[l + j * kb];
            for (int64_t l = 0; l < j; l++) {          /* tc[0:j] = T[0:j, 0:j] tc[0:j] */
                double s = 0;
                for (int64_t q = l; q < j; q++)
                    s += T[l + q * NB] * tc[q];
                tc[l] = s;
            }
            tc[j] = tj;
            for (int64_t l = j + 1; l < kb; l++)
                tc[l] = 0;
        }
        /* W = V^T z[r0:, :], W2 = T W, z[r0:, :] -= V W2 */
        gemm(&ct, &cn, &ikb, &in, &im, &one, V, &im, z + r0, &ildz, &zero, W, &ikb);
        gemm(&cn, &cn, &ikb, &in, &ikb, &one, T, &inb, W, &ikb, &zero, W2, &ikb);
        gemm(&cn, &cn, &im, &in, &ikb, &minus, V, &im, W2, &ikb, &one, z + r0, &ildz);
    }
}

#endif
