/* p-norm distances between rows (dist.h). x2's matrices are first copied
 * transposed (M rows of R), so that one row of x1 meets a block of x2's
 * rows in loops along the block: acc[j] += f(a[k] - bt[k][j]) runs in
 * vectors over j, column k after column k, each accumulator summing its
 * own pair in column order; |d|^p for another p and the root of the sums
 * run through the elementwise pow's vector loops. Fewer than CT_DIST_NARROW rows of x2 go pair by
 * pair instead (no copy, a scalar loop over the columns). Rows of the
 * result are split over threads (cdist's in equal runs, pdist's, which
 * shrink, in dynamic chunks). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "dist.h"
#include "strided.h"

#define CT_DIST_JB 256       /* accumulators of one block, on the stack */
#define CT_DIST_GRAIN 65536  /* differences below which one thread runs */
#define CT_DIST_NARROW 8

/* the elementwise pow's loops (elementwise.c): out, base, exponent */
void ct_pow_f32(CT_LOOP_ARGS);
void ct_pow_f64(CT_LOOP_ARGS);

enum { CT_D_ZERO, CT_D_ONE, CT_D_TWO, CT_D_INF, CT_D_P };

/* the first row i of pdist's P rows whose pairs start at or after pair c
 * (rows before i hold i (P - 1) - i (i - 1) / 2 pairs): P when c is past
 * the last */
static int64_t dist_pair_row(int64_t P, int64_t c)
{
    int64_t lo = 0, hi = P;
    while (lo < hi) {
        const int64_t mid = lo + (hi - lo) / 2;
        if (mid * (P - 1) - mid * (mid - 1) / 2 >= c) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

/* mode, p: how a difference d adds to the accumulator a; FIN: the norm of
 * the finished sum */
#define CT_D_ADD(MODE, A, D, ABS, POW, P, T)                                       \
    switch (MODE) {                                                                \
    case CT_D_TWO: (A) += (D) * (D); break;                                        \
    case CT_D_ONE: (A) += ABS(D); break;                                           \
    case CT_D_ZERO: (A) += (T)((D) != 0); break;                                   \
    case CT_D_INF: { const T ad_ = ABS(D); (A) = (ad_ > (A) || ad_ != ad_) ? ad_ : (A); } break; \
    default: (A) += POW(ABS(D), (P)); break;                                       \
    }

#define CT_DIST(S, T, ABS, POW, SQRT)                                              \
static inline T dist_fin_##S(int mode, T acc, T pinv)                              \
{                                                                                  \
    return mode == CT_D_TWO ? SQRT(acc) : mode == CT_D_P ? POW(acc, pinv) : acc;   \
}                                                                                  \
                                                                                   \
/* acc[j], j < jn: the sums of row a against the transposed rows bt (M rows    \
 * ld apart), the mode's inner loop chosen once per block */                    \
CT_MULTIVERSION static void dist_block_##S(const T *restrict a, const T *restrict bt, \
                                          int64_t ld, int64_t jn, int64_t M, int mode, \
                                          T p, T *restrict acc)                    \
{                                                                                  \
    for (int64_t j = 0; j < jn; j++)                                               \
        acc[j] = 0;                                                                \
    switch (mode) {                                                                \
    case CT_D_TWO:                                                                 \
        for (int64_t k = 0; k < M; k++) {                                          \
            const T ak = a[k], *restrict r = bt + k * ld;                          \
            for (int64_t j = 0; j < jn; j++) { const T d = ak - r[j]; acc[j] += d * d; } \
        }                                                                          \
        break;                                                                     \
    case CT_D_ONE:                                                                 \
        for (int64_t k = 0; k < M; k++) {                                          \
            const T ak = a[k], *restrict r = bt + k * ld;                          \
            for (int64_t j = 0; j < jn; j++) acc[j] += ABS(ak - r[j]);             \
        }                                                                          \
        break;                                                                     \
    case CT_D_INF:                                                                 \
        for (int64_t k = 0; k < M; k++) {                                          \
            const T ak = a[k], *restrict r = bt + k * ld;                          \
            for (int64_t j = 0; j < jn; j++) {                                     \
                const T d = ABS(ak - r[j]);                                        \
                acc[j] = (d > acc[j] || d != d) ? d : acc[j];                      \
            }                                                                      \
        }                                                                          \
        break;                                                                     \
    case CT_D_ZERO:                                                                \
        for (int64_t k = 0; k < M; k++) {                                          \
            const T ak = a[k], *restrict r = bt + k * ld;                          \
            for (int64_t j = 0; j < jn; j++) acc[j] += (T)((ak - r[j]) != 0);      \
        }                                                                          \
        break;                                                                     \
    default: {                                                                     \
        /* |d|^p of a column by the elementwise pow's vector kernel */             \
        T d[CT_DIST_JB], pw[CT_DIST_JB];                                           \
        char *ptr[3] = {(char *)pw, (char *)d, (char *)&p};                        \
        const int64_t st[3] = {sizeof(T), sizeof(T), 0};                          \
        for (int64_t k = 0; k < M; k++) {                                          \
            const T ak = a[k], *restrict r = bt + k * ld;                          \
            for (int64_t j = 0; j < jn; j++) d[j] = ABS(ak - r[j]);                \
            ct_pow_##S(ptr, st, jn, NULL);                                         \
            for (int64_t j = 0; j < jn; j++) acc[j] += pw[j];                      \
        }                                                                          \
        break;                                                                     \
    }                                                                              \
    }                                                                              \
}                                                                                  \
                                                                                   \
static T dist_pair_##S(const T *a, const T *b, int64_t M, int mode, T p, T pinv)   \
{                                                                                  \
    T acc = 0;                                                                     \
    for (int64_t k = 0; k < M; k++) {                                              \
        const T d = a[k] - b[k];                                                   \
        CT_D_ADD(mode, acc, d, ABS, POW, p, T)                                     \
    }                                                                              \
    return dist_fin_##S(mode, acc, pinv);                                          \
}                                                                                  \
                                                                                   \
/* row r of the result: row i of x1's matrix b against x2's rows (j0 on) */    \
static void dist_row_##S(int64_t r, const T *x1, int64_t b1, const T *x2, int64_t b2, \
                         T *out, int64_t P, int64_t R, int64_t M, int mode, T p,   \
                         T pinv, int pairs, const T *bt)                           \
{                                                                                  \
    const int64_t npair = P * (P - 1) / 2;                                         \
    const int64_t b = r / P, i = r % P, j0 = pairs ? i + 1 : 0;                    \
    const T *a = x1 + b * b1 + i * M;                                              \
    T *o = pairs ? out + b * npair + i * (P - 1) - i * (i - 1) / 2 : out + r * R;  \
    if (!bt) {                                                                     \
        const T *xb = x2 + b * b2;                                                 \
        for (int64_t j = j0; j < R; j++)                                           \
            o[j - j0] = dist_pair_##S(a, xb + j * M, M, mode, p, pinv);            \
        return;                                                                    \
    }                                                                              \
    const T *btb = bt + (b2 ? b : 0) * M * R;                                      \
    T acc[CT_DIST_JB];                                                             \
    for (int64_t jb = j0; jb < R; jb += CT_DIST_JB) {                              \
        const int64_t jn = R - jb < CT_DIST_JB ? R - jb : CT_DIST_JB;              \
        dist_block_##S(a, btb + jb, R, jn, M, mode, p, acc);                       \
        if (mode == CT_D_P) {                                                      \
            char *ptr[3] = {(char *)(o + jb - j0), (char *)acc, (char *)&pinv};    \
            const int64_t st[3] = {sizeof(T), sizeof(T), 0};                       \
            ct_pow_##S(ptr, st, jn, NULL);                                         \
        } else {                                                                   \
            for (int64_t j = 0; j < jn; j++)                                       \
                o[jb - j0 + j] = dist_fin_##S(mode, acc[j], pinv);                 \
        }                                                                          \
    }                                                                              \
}                                                                                  \
                                                                                   \
static int dist_##S(const T *x1, int64_t b1, const T *x2, int64_t b2, T *out,      \
                    int64_t nb, int64_t P, int64_t R, int64_t M, double pd, int pairs) \
{                                                                                  \
    const int mode = pd == 0 ? CT_D_ZERO : pd == 1 ? CT_D_ONE : pd == 2 ? CT_D_TWO \
                     : isinf(pd) ? CT_D_INF : CT_D_P;                              \
    const T p = (T)pd, pinv = (T)(1.0 / pd);                                       \
    const int64_t rows = nb * P, nbt = b2 ? nb : 1, npair = P * (P - 1) / 2;       \
    T *bt = NULL;                                                                  \
    if (R >= CT_DIST_NARROW) {                                                     \
        bt = (T *)malloc((size_t)(nbt * M * R) * sizeof(T));                       \
        if (bt == NULL)                                                            \
            return -2;                                                             \
        for (int64_t b = 0; b < nbt; b++)                                          \
            for (int64_t j = 0; j < R; j++)                                        \
                for (int64_t k = 0; k < M; k++)                                    \
                    bt[(b * M + k) * R + j] = x2[b * b2 + j * M + k];              \
    }                                                                              \
    const int64_t work = (pairs ? rows * R / 2 : rows * R) * (M ? M : 1);          \
    int64_t r;                                                                     \
    if (work > CT_DIST_GRAIN && pairs && nb == 1) {                                \
        /* pdist's rows shrink (row i has P - 1 - i pairs): one run of rows    */ \
        /* per thread, its end where the pairs before it reach its share       */ \
        const int nt = ct_get_num_threads();                                       \
        _Pragma("omp parallel for num_threads(nt) schedule(static, 1)")            \
        for (int t = 0; t < nt; t++) {                                             \
            const int64_t lo = dist_pair_row(P, npair * t / nt);                   \
            const int64_t hi = dist_pair_row(P, npair * (t + 1) / nt);             \
            for (int64_t r2 = lo; r2 < hi; r2++)                                   \
                dist_row_##S(r2, x1, b1, x2, b2, out, P, R, M, mode, p, pinv, pairs, bt); \
        }                                                                          \
    } else {                                                                       \
        /* cdist's rows are alike: an equal run per thread, the same each call */ \
        CT_PARALLEL_IF(work > CT_DIST_GRAIN, "omp parallel for schedule(static)",  \
        for (r = 0; r < rows; r++)                                                 \
            dist_row_##S(r, x1, b1, x2, b2, out, P, R, M, mode, p, pinv, pairs, bt);); \
    }                                                                              \
    free(bt);                                                                      \
    return 0;                                                                      \
}

CT_DIST(f32, float, fabsf, powf, sqrtf)
CT_DIST(f64, double, fabs, pow, sqrt)

int ct_dist(int dtype, const void *x1, int64_t b1, const void *x2, int64_t b2, void *out,
            int64_t nb, int64_t P, int64_t R, int64_t M, double p, int pairs)
{
    switch (dtype) {
    case CT_FLOAT32:
        return dist_f32((const float *)x1, b1, (const float *)x2, b2, (float *)out, nb, P, R,
                        M, p, pairs);
    case CT_FLOAT64:
        return dist_f64((const double *)x1, b1, (const double *)x2, b2, (double *)out, nb, P,
                        R, M, p, pairs);
    default:
        return -1;
    }
}
