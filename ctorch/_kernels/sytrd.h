/* Householder reduction of a small symmetric float64 (float32) matrix to
 * tridiagonal form, with the results LAPACK's dsytrd (ssytrd) writes (d, e,
 * tau and the reflectors in the triangle it was given), for the eigenvalue
 * loops of ctorch/_ops/linalg_k.pyx (header only: that module includes it);
 * and of a general float64 matrix to bidiagonal form (ct_dgebrd below), for
 * its singular values and SVD.
 *
 * The lower triangle is copied into an aligned scratch square. Step i's
 * rank-2 update  A -= v w^T + w v^T  and step i + 1's product  p = A v'  run
 * in one pass over the trailing columns' lower triangle: column i + 1 is
 * updated first, its reflector v' formed (as LAPACK's dlarfg forms it), then
 * every later column is updated from its diagonal down and at once dotted
 * with v' (p's own entry) and added into p times v'_j (the entries of its
 * transposed row), whole aligned vectors each, the ones that hold the
 * diagonal masked.
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

/* The elements (doubles for ct_dsytrd, floats for ct_ssytrd) of
 * workspace the reduction needs for order n (64 bytes of them to align
 * it). */
static inline int64_t ct_dsytrd_work(int64_t n)
{
    return ct_trd_ld(n) * (n + 5) + 16;
}

/* The elements of workspace ct_dgebrd needs for an m x n matrix. */
static inline int64_t ct_dgebrd_work(int64_t m, int64_t n)
{
    return ct_trd_ld(m) * (n + 6) + 16;
}

/* The elements of workspace ct_drefl_apply (ct_srefl_apply, ct_dorg2r,
 * ct_sorg2r) needs for m x nz. */
static inline int64_t ct_refl_work(int64_t m, int64_t nz)
{
    return ct_trd_ld(m) * (nz + 1) + 16;
}

/* The elements of workspace ct_dormtr_ql (ct_sormtr_ql) needs for order
 * n. */
static inline int64_t ct_dormtr_work(int64_t n)
{
    return ct_refl_work(n, n);
}

/* The elements of workspace ct_dsteqr (ct_ssteqr) needs for order n. */
static inline int64_t ct_dsteqr_work(int64_t n)
{
    return ct_trd_ld(n) * n + 4 * n + 16;
}

/* Fortran BLAS's dgemm and sgemm (scipy.linalg.cython_blas exports them) */
typedef void (*ct_dgemm_f77)(char *ta, char *tb, int *m, int *n, int *k, double *alpha,
                             double *a, int *lda, double *b, int *ldb, double *beta, double *c,
                             int *ldc);
typedef void (*ct_sgemm_f77)(char *ta, char *tb, int *m, int *n, int *k, float *alpha,
                             float *a, int *lda, float *b, int *ldb, float *beta, float *c,
                             int *ldc);

/* the reflectors per block of ct_dormtr_ql_blocked */
#define CT_ORM_NB 32

/* The elements of workspace ct_dormtr_ql_blocked (ct_sormtr_ql_blocked)
 * needs for order n. */
static inline int64_t ct_dormtr_blocked_work(int64_t n)
{
    return 3 * n * CT_ORM_NB + CT_ORM_NB * CT_ORM_NB;
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



/* The kernels, in vectors of 8 doubles for AVX-512 and of 4 elsewhere: 8
 * lowered to AVX2 or SSE2 registers spill and run several times slower than
 * 4. (GCC on x86-64 Linux, as CT_MULTIVERSION in common.h; elsewhere the 4
 * only, for the build's target.) */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12 && defined(__x86_64__) \
    && defined(__linux__) && !defined(CT_NO_MULTIVERSION)
#define CT_TRD_TWO 1
#define CT_TRD_T double
#define CT_TRD_I int64_t
#define CT_TRD_GEMM ct_dgemm_f77
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
#define CT_TRD_T double
#define CT_TRD_I int64_t
#define CT_TRD_GEMM ct_dgemm_f77
#define CT_TRD_TARGET
#endif
#define CT_TRD_W 4
#define CT_TRD_SFX(name) name##_w4
#include "sytrd_impl.h"
#undef CT_TRD_W
#undef CT_TRD_SFX
#undef CT_TRD_T
#undef CT_TRD_I
#undef CT_TRD_GEMM
/* and float's, 8 a vector (AVX2's width) */
#define CT_TRD_T float
#define CT_TRD_I int32_t
#define CT_TRD_GEMM ct_sgemm_f77
#define CT_TRD_W 8
#define CT_TRD_SFX(name) name##_s8
#include "sytrd_impl.h"
#undef CT_TRD_W
#undef CT_TRD_SFX
#undef CT_TRD_T
#undef CT_TRD_I
#undef CT_TRD_GEMM
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
        ct_sytrd_w8(uplo, n, a, lda, d, e, tau, work);
        return;
    }
#endif
    ct_sytrd_w4(uplo, n, a, lda, d, e, tau, work);
}

/* The bidiagonal form (d[0:n] on the diagonal, e[0:n-1] above it) of the
 * m x n matrix A (m >= n >= 1) in a (read only): A(r, j) = a[r + j * lda]
 * (column-major), or with trans a[j + r * lda] (row-major),
 * as LAPACK's dgebrd computes it, without the reflectors. The reduction is
 * dgebd2's, unblocked, on an aligned scratch, in one pass over the trailing
 * columns per step: each column takes the right reflector of the step
 * before, then the left reflector of this step (its dot product and its
 * update while the column is in L1), and adds its share of A r (r the row
 * this step's right reflector reduces, known entry by entry as the
 * columns pass), from which A v follows as col_(i+1) + scale (A r)'s rest
 * without another pass. With out (leading dim ldo) not NULL, the m x n
 * result is written there in LAPACK's layout (d, e and the reflectors'
 * tails, their factors in tauq[0:n] and taup[0:n]), as dgebrd leaves it
 * for dormbr and dorgbr. work: ct_dgebrd_work(m, n) doubles. */
static inline void ct_dgebrd(int64_t m, int64_t n, const double *a, int64_t lda, int trans,
                             double *d, double *e, double *out, int64_t ldo, double *tauq,
                             double *taup, double *work)
{
#if CT_TRD_TWO
    if (ct_trd_wide()) {
        ct_gebrd_w8(m, n, a, lda, trans, d, e, out, ldo, tauq, taup, work);
        return;
    }
#endif
    ct_gebrd_w4(m, n, a, lda, trans, d, e, out, ldo, tauq, taup, work);
}

/* ct_dsytrd in float (work: ct_dsytrd_work(n) floats) */
static inline void ct_ssytrd(char uplo, int64_t n, float *a, int64_t lda, float *d, float *e,
                             float *tau, float *work)
{
    ct_sytrd_s8(uplo, n, a, lda, d, e, tau, work);
}

/* z = H(0) H(1) .. H(k-1) z for the m x nz matrix z (column-major, leading
 * dim ldz), H(i) = I - tau[i] v v^T with v's entry i + off 1, the ones
 * below it a's column i (a[r + i * lda], r > i + off) and the ones above
 * zero; with ident, z's values are not read: the product is applied to
 * I[:, :nz]. work: ct_refl_work(m, nz) elements. */
static inline void ct_drefl_apply(int64_t m, int64_t nz, int64_t k, const double *a, int64_t lda,
                                  const double *tau, int64_t off, double *z, int64_t ldz,
                                  int ident, double *work)
{
#if CT_TRD_TWO
    if (ct_trd_wide()) {
        ct_refl_apply_w8(m, nz, k, a, lda, tau, off, z, ldz, ident, work);
        return;
    }
#endif
    ct_refl_apply_w4(m, nz, k, a, lda, tau, off, z, ldz, ident, work);
}

static inline void ct_srefl_apply(int64_t m, int64_t nz, int64_t k, const float *a, int64_t lda,
                                  const float *tau, int64_t off, float *z, int64_t ldz,
                                  int ident, float *work)
{
    ct_refl_apply_s8(m, nz, k, a, lda, tau, off, z, ldz, ident, work);
}

/* z = Q z for the n x n matrix z (column-major, leading dim ldz), Q the
 * orthogonal factor whose reflectors ct_dsytrd('L', n, a, lda, ..., tau)
 * left in a (LAPACK's dormtr('L', 'L', 'N')). work: ct_dormtr_work(n)
 * doubles. */
static inline void ct_dormtr_ql(int64_t n, const double *a, int64_t lda, const double *tau,
                                double *z, int64_t ldz, double *work)
{
    ct_drefl_apply(n, n, n - 1, a, lda, tau, 1, z, ldz, 0, work);
}

/* ct_dormtr_ql in float */
static inline void ct_sormtr_ql(int64_t n, const float *a, int64_t lda, const float *tau,
                                float *z, int64_t ldz, float *work)
{
    ct_srefl_apply(n, n, n - 1, a, lda, tau, 1, z, ldz, 0, work);
}

/* q (column-major m x n, leading dim ldq) = the first n columns of
 * H(0) .. H(k-1), the reflectors below the diagonal of a's first k columns
 * as geqrf leaves them (LAPACK's org2r; k <= n <= m). work:
 * ct_refl_work(m, n) elements. */
static inline void ct_dorg2r(int64_t m, int64_t n, int64_t k, const double *a, int64_t lda,
                             const double *tau, double *q, int64_t ldq, double *work)
{
    ct_drefl_apply(m, n, k, a, lda, tau, 0, q, ldq, 1, work);
}

static inline void ct_sorg2r(int64_t m, int64_t n, int64_t k, const float *a, int64_t lda,
                             const float *tau, float *q, int64_t ldq, float *work)
{
    ct_srefl_apply(m, n, k, a, lda, tau, 0, q, ldq, 1, work);
}

/* The eigenvalues and eigenvectors of the symmetric tridiagonal matrix
 * with diagonal d[0:n] and off-diagonal e[0:n-1], as LAPACK's dsteqr with
 * compz 'I' computes them: on return d holds the eigenvalues in ascending
 * order and the columns of z (n x n, column-major, leading dim ldz) the
 * orthonormal eigenvectors, in the same order; e is left as it was. d and e
 * must be finite. Returns 0, or (LAPACK's info) the number of off-diagonal
 * entries that had not converged after 30 n iterations (d and z then
 * unspecified). work: ct_dsteqr_work(n) doubles. */
static inline int64_t ct_dsteqr(int64_t n, double *d, double *e, double *z, int64_t ldz,
                                double *work)
{
#if CT_TRD_TWO
    if (ct_trd_wide())
        return ct_steqr_w8(n, d, e, z, ldz, work);
#endif
    return ct_steqr_w4(n, d, e, z, ldz, work);
}

/* ct_dsteqr in float (the recurrence in double; work: ct_dsteqr_work(n)
 * floats) */
static inline int64_t ct_ssteqr(int64_t n, float *d, float *e, float *z, int64_t ldz,
                                float *work)
{
    return ct_steqr_s8(n, d, e, z, ldz, work);
}

/* ct_dormtr_ql by blocks of CT_ORM_NB reflectors on dgemm (sytrd_impl.h's
 * ct_ormtr_ql_blocked), and in float on sgemm. work:
 * ct_dormtr_blocked_work(n) elements. */
static inline void ct_dormtr_ql_blocked(int64_t n, const double *a, int64_t lda,
                                        const double *tau, double *z, int64_t ldz, double *work,
                                        ct_dgemm_f77 gemm)
{
    ct_ormtr_ql_blocked_w4(n, a, lda, tau, z, ldz, work, gemm);
}

static inline void ct_sormtr_ql_blocked(int64_t n, const float *a, int64_t lda, const float *tau,
                                        float *z, int64_t ldz, float *work, ct_sgemm_f77 gemm)
{
    ct_ormtr_ql_blocked_s8(n, a, lda, tau, z, ldz, work, gemm);
}




#endif
