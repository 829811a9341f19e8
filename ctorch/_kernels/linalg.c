/* Dense factorizations and solves of real matrices (linalg.h); the bodies
 * are in linalg_t.h, once per type. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include "linalg.h"
#include "sytrd.h"
#include "strided.h"

#define LA_CAT_(a, b) a##b
#define LA_CAT(a, b) LA_CAT_(a, b)
/* the panel width of the blocked factorizations and solves */
#define LA_NB 32
/* the column blocks of an inverse's L^-1 (la_getrs_cols_) */
#define LA_INVB 64
/* getrf on several threads from order LA_AHEAD_MIN (below, the recursive
 * getrf's own sharing of its updates is faster): panels of LA_LAP columns
 * with look-ahead, the trailing columns updated in chunks of LA_LAC */
#define LA_AHEAD_MIN 256
#define LA_LAP 64
#define LA_LAC 64
/* the columns of src a transpose reads at a time (linalg_t.h) */
#define LA_TBAND 16
/* the order below which triangular solves run unblocked */
#define LA_TB 16
/* row-major right-hand sides with this many columns or more are solved
 * row-major */
#define LA_RK 8
/* batches with more work than this (about flops), or of this many matrices
 * (small ones' calls and set-up outweigh their flops: 1000 inverses of 4x4
 * ran on one thread at 0.68x PyTorch's speed), run on several threads */
#define LA_PAR_WORK 65536
#define LA_PAR_MATS 128
#define LA_PAR(nb, work) ((nb) > 1 && ((work) > LA_PAR_WORK || (nb) >= LA_PAR_MATS))
/* the panel width of the blocked QR for min(m, n) = k (narrower for few
 * columns, where the panels' own factorization weighs more; the panels
 * blocked again by a quarter of it, down to LA_QMIN columns), and the order
 * up to which QR runs unblocked */
#define LA_QB_FOR(k) ((k) <= 128 ? 16 : 32)
#define LA_QMIN 8
#define LA_QDIV 4
#define LA_QSMALL 32
/* ormqr's products under this many flops each share the threads whole,
 * from this many of them on (each costs a few microseconds of calls) */
#define LA_ORM_PAR_FLOPS 4.0e6
#define LA_ORM_PAR_MATS 8
/* orgqr of m x n one reflector at a time (sytrd.h's vector org2r) up to
 * here, by blocks on gemm beyond (the two cross near 128 x 48 and 256 x 32
 * on AVX-512) */
#define LA_ORG_SMALL(m, n) ((m) * (n) < 8192 || (n) <= 16)

/* the offsets of one gemm */
static const int64_t la_zero_off[1] = {0};

/* A solve's or an update's columns are independent of each other, so one
 * large enough is shared among the threads by blocks of columns (each
 * thread's gemm calls then stay on it): from this much work (about flops),
 * with at least LA_PAR_COLS columns a thread */
#define LA_PAR_FLOPS 1.0e6
#define LA_PAR_COLS 16

/* the threads to share work (flops) over k columns: 1 inside a parallel
 * region or for little work */
static int la_col_threads(double flops, int64_t k)
{
#ifdef _OPENMP
    if (flops < LA_PAR_FLOPS || omp_in_parallel())
        return 1;
    int64_t nt = ct_get_num_threads(), most = k / LA_PAR_COLS;
    nt = nt < most ? nt : most;
    return nt > 1 ? (int)nt : 1;
#else
    (void)flops;
    (void)k;
    return 1;
#endif
}

/* the n columns of an inverse (la_getrs_one_), whose column c costs L's
 * trailing (n - c)^2 / 2 and U's n^2 / 2: the cut (a multiple of 8) where
 * the sum of the costs reaches t / nt of the whole */
static int64_t la_inv_cut(int64_t n, int nt, int t)
{
    if (t <= 0)
        return 0;
    if (t >= nt)
        return n;
    double nn = (double)n * n, total = 0, sum = 0;
    for (int64_t c = 0; c < n; c++)
        total += (double)(n - c) * (n - c) + nn;
    double goal = total * t / nt;
    int64_t c = 0;
    for (; c < n && sum < goal; c++)
        sum += (double)(n - c) * (n - c) + nn;
    c = (c + 4) / 8 * 8;
    return c < n ? c : n;
}

/* thread t's columns [*c0, *c1) of k among nt: equal shares in multiples
 * of 8, or an inverse's cuts (inv set, k its order) */
static void la_col_share(int64_t k, int inv, int nt, int t, int64_t *c0, int64_t *c1)
{
    if (inv) {
        *c0 = la_inv_cut(k, nt, t);
        *c1 = la_inv_cut(k, nt, t + 1);
        return;
    }
    int64_t per = ((k + nt - 1) / nt + 7) / 8 * 8;
    *c0 = t * per < k ? t * per : k;
    *c1 = (t + 1) * per < k ? (t + 1) * per : k;
}

/* the statements on nt threads (T the thread's number, NTH the team's
 * size), or on the calling thread (T 0, NTH 1) where nt is 1 */
#ifdef _OPENMP
#define LA_TEAM(nt, T, NTH, ...)                                                   \
    do {                                                                           \
        int nt_ = (nt);                                                            \
        if (nt_ > 1) {                                                             \
            _Pragma("omp parallel num_threads(nt_)")                               \
            {                                                                      \
                int T = omp_get_thread_num(), NTH = omp_get_num_threads();         \
                __VA_ARGS__                                                        \
            }                                                                      \
        } else {                                                                   \
            int T = 0, NTH = 1;                                                    \
            (void)T;                                                               \
            (void)NTH;                                                             \
            __VA_ARGS__                                                            \
        }                                                                          \
    } while (0)
#else
#define LA_TEAM(nt, T, NTH, ...)                                                   \
    do {                                                                           \
        int T = 0, NTH = 1;                                                        \
        (void)T;                                                                   \
        (void)NTH;                                                                 \
        __VA_ARGS__                                                                \
    } while (0)
#endif

/* STMT on columns [C0, C1) of k, each column on its own: by each of nt
 * threads on its share (la_col_share), or by the calling thread on all */
#define LA_SHARED_COLS(nt, k, inv, C0, C1, ...)                                    \
    LA_TEAM(nt, t_, nth_, {                                                        \
        int64_t C0, C1;                                                            \
        la_col_share(k, inv, nth_, t_, &C0, &C1);                                  \
        if (C1 > C0) { __VA_ARGS__ }                                               \
    })

#define LA_T float
#define LA_S f32
#define LA_DT CT_FLOAT32
#define LA_SQRT sqrtf
#define LA_FABS fabsf
#define LA_TINY FLT_MIN
#define LA_IT int32_t   /* the integer of LA_T's size (vector shuffles) */
/* float's squares are exact in double's range */
#define LA_SSQ_LO 0.0
#define LA_ORG2R ct_sorg2r
#include "linalg_t.h"
#undef LA_T
#undef LA_S
#undef LA_DT
#undef LA_SQRT
#undef LA_FABS
#undef LA_TINY
#undef LA_IT
#undef LA_SSQ_LO
#undef LA_ORG2R

#define LA_T double
#define LA_S f64
#define LA_DT CT_FLOAT64
#define LA_SQRT sqrt
#define LA_FABS fabs
#define LA_TINY DBL_MIN
#define LA_IT int64_t
/* below this a sum of double squares has lost digits to underflow */
#define LA_SSQ_LO (DBL_MIN / DBL_EPSILON)
#define LA_ORG2R ct_dorg2r
#include "linalg_t.h"

int ct_la_lu(ct_la_gemm_fn gemm, int dtype, const void *src, void *dst, int64_t nb, int64_t m,
             int64_t n, int32_t *piv, int32_t *info)
{
    if (dtype == CT_FLOAT32)
        return la_lu_all_f32(gemm, (const float *)src, (float *)dst, nb, m, n, piv, info);
    if (dtype == CT_FLOAT64)
        return la_lu_all_f64(gemm, (const double *)src, (double *)dst, nb, m, n, piv, info);
    return -1;
}

int ct_la_trsm(ct_la_gemm_fn gemm, int dtype, const void *T, int64_t tbs, int64_t rs, int64_t cs,
               int upper, int unit, const void *B, int64_t bbs, void *X, int64_t nb, int64_t n,
               int64_t k, int xrow)
{
    if (dtype == CT_FLOAT32)
        return la_solve_all_f32(gemm, (const float *)T, tbs, rs, cs, upper, unit, NULL, 0,
                                (const float *)B, bbs, (float *)X, nb, n, k, xrow, 0, 0);
    if (dtype == CT_FLOAT64)
        return la_solve_all_f64(gemm, (const double *)T, tbs, rs, cs, upper, unit, NULL, 0,
                                (const double *)B, bbs, (double *)X, nb, n, k, xrow, 0, 0);
    return -1;
}

int ct_la_lu_solve(ct_la_gemm_fn gemm, int dtype, const void *LU, int64_t lbs, const int32_t *piv,
                   int64_t pbs, const void *B, int64_t bbs, void *X, int64_t nb, int64_t n,
                   int64_t k, int xrow, int trans)
{
    if (dtype == CT_FLOAT32)
        return la_solve_all_f32(gemm, (const float *)LU, lbs, 1, n, 0, 0, piv, pbs,
                                (const float *)B, bbs, (float *)X, nb, n, k, xrow, trans, 1);
    if (dtype == CT_FLOAT64)
        return la_solve_all_f64(gemm, (const double *)LU, lbs, 1, n, 0, 0, piv, pbs,
                                (const double *)B, bbs, (double *)X, nb, n, k, xrow, trans, 1);
    return -1;
}

int ct_la_cholesky(ct_la_gemm_fn gemm, int dtype, const void *src, void *dst, int64_t nb,
                   int64_t n, int32_t *info)
{
    if (dtype == CT_FLOAT32)
        return la_chol_all_f32(gemm, (const float *)src, (float *)dst, nb, n, info);
    if (dtype == CT_FLOAT64)
        return la_chol_all_f64(gemm, (const double *)src, (double *)dst, nb, n, info);
    return -1;
}

int ct_la_ldl(int dtype, void *a, int64_t nb, int64_t n, int32_t *piv, int32_t *info)
{
    if (dtype == CT_FLOAT32)
        return la_ldl_all_f32((float *)a, nb, n, piv, info);
    if (dtype == CT_FLOAT64)
        return la_ldl_all_f64((double *)a, nb, n, piv, info);
    return -1;
}

int ct_la_orgqr(ct_la_gemm_fn gemm, int dtype, const void *a, const void *tau, void *q,
                int64_t nb, int64_t m, int64_t n, int64_t k)
{
    if (dtype == CT_FLOAT32)
        return la_orgqr_all_f32(gemm, (const float *)a, (const float *)tau, (float *)q, nb, m, n,
                                k);
    if (dtype == CT_FLOAT64)
        return la_orgqr_all_f64(gemm, (const double *)a, (const double *)tau, (double *)q, nb, m,
                                n, k);
    return -1;
}

int ct_la_geqrf(ct_la_gemm_fn gemm, int dtype, const void *src, void *h, void *tau, int64_t nb,
                int64_t m, int64_t n)
{
    if (dtype == CT_FLOAT32)
        return la_geqrf_all_f32(gemm, (const float *)src, (float *)h, (float *)tau, nb, m, n);
    if (dtype == CT_FLOAT64)
        return la_geqrf_all_f64(gemm, (const double *)src, (double *)h, (double *)tau, nb, m, n);
    return -1;
}

int ct_la_ormqr(ct_la_gemm_fn gemm, int dtype, const void *h, const void *tau, void *c,
                int64_t nb, int64_t m, int64_t na, int64_t k, int64_t mc, int64_t nc, int left,
                int trans)
{
    if (gemm == NULL)
        return -1;
    if (dtype == CT_FLOAT32)
        return la_ormqr_all_f32(gemm, (const float *)h, (const float *)tau, (float *)c, nb, m, na,
                                k, mc, nc, left, trans);
    if (dtype == CT_FLOAT64)
        return la_ormqr_all_f64(gemm, (const double *)h, (const double *)tau, (double *)c, nb, m,
                                na, k, mc, nc, left, trans);
    return -1;
}

int ct_la_qr(ct_la_gemm_fn gemm, int dtype, const void *src, void *q, void *r, int64_t nb,
             int64_t m, int64_t n, int64_t qc, int64_t rr)
{
    if (dtype == CT_FLOAT32)
        return la_qr_all_f32(gemm, (const float *)src, (float *)q, (float *)r, nb, m, n, qc, rr);
    if (dtype == CT_FLOAT64)
        return la_qr_all_f64(gemm, (const double *)src, (double *)q, (double *)r, nb, m, n, qc,
                             rr);
    return -1;
}
