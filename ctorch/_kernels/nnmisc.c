/* Batch normalisation kernels (nnmisc.h): the input is dense (N, C, S); the
 * work is split over the N * C rows of S values (OpenMP), and per-row
 * partial results are merged per channel in double precision. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "nnmisc.h"
#include "fastmath.h"
#include "strided.h"
#include "elementwise.h"

#define CT_BN_GRAIN 32768
/* rows shorter than this run as an (N, C * S) matrix of columns instead */
#define CT_BN_SHORT 32
#ifdef _OPENMP
#include <omp.h>
#define CT_BN_THREAD(nt, t) do { nt = omp_get_num_threads(); t = omp_get_thread_num(); } while (0)
#else
#define CT_BN_THREAD(nt, t) do { nt = 1; t = 0; } while (0)
#endif

#define CT_BN(SFX, T)                                                              \
static void bn_stats_rows_##SFX(const void *xv, int64_t N, int64_t C, int64_t S,         \
                           double *mean, double *var, double *scratch)              \
{                                                                                  \
    const T *x = (const T *)xv;                                                    \
    int64_t rows = N * C, r;                                                       \
    double *rsum = scratch, *rm2 = scratch + rows;                                 \
    /* per row: its sum, and the sum of squares about its own mean */              \
    CT_PARALLEL_IF(rows * S > CT_BN_GRAIN, "omp parallel for schedule(static)",    \
    for (r = 0; r < rows; r++) {                                                   \
        /* one pass over x - x[0] and its square (shifted by a value of the \
         * row, so that the subtraction below does not cancel), in 8 lanes  \
         * that the compiler vectorises */                                  \
        const T *p = x + r * S;                                                    \
        const double sh = S ? (double)p[0] : 0.0;                                  \
        double l1[8] = {0}, l2[8] = {0}, s1 = 0, s2 = 0;                           \
        int64_t i = 0;                                                             \
        for (; i + 8 <= S; i += 8)                                                 \
            for (int j = 0; j < 8; j++) {                                          \
                double d = (double)p[i + j] - sh;                                  \
                l1[j] += d;                                                        \
                l2[j] += d * d;                                                    \
            }                                                                      \
        for (; i < S; i++) {                                                       \
            double d = (double)p[i] - sh;                                          \
            s1 += d;                                                               \
            s2 += d * d;                                                           \
        }                                                                          \
        for (int j = 0; j < 8; j++) {                                              \
            s1 += l1[j];                                                           \
            s2 += l2[j];                                                           \
        }                                                                          \
        rsum[r] = sh * (double)S + s1;                                             \
        rm2[r] = S ? s2 - s1 * s1 / (double)S : 0.0;                               \
        if (rm2[r] < 0) rm2[r] = 0;                                                \
    });                                                                            \
    /* per channel: Chan's merge of the rows' (count, mean, M2) */                 \
    for (int64_t c = 0; c < C; c++) {                                              \
        double tm = 0, tm2 = 0, n = 0;                                             \
        for (int64_t k = 0; k < N; k++) {                                          \
            double rs = rsum[k * C + c], rmu = S ? rs / (double)S : 0.0;           \
            double nn = n + (double)S;                                             \
            if (nn > 0) {                                                          \
                double delta = rmu - tm;                                           \
                tm += delta * ((double)S / nn);                                    \
                tm2 += rm2[k * C + c] + delta * delta * n * (double)S / nn;        \
            }                                                                      \
            n = nn;                                                                \
        }                                                                          \
        mean[c] = tm;                                                              \
        var[c] = n > 0 ? tm2 / n : NAN;                                            \
    }                                                                              \
}                                                                                  \
static void bn_apply_rows_##SFX(const void *xv, void *yv, int64_t N, int64_t C, int64_t S, \
                           const double *mean, const double *scale,                \
                           const double *shift)                                    \
{                                                                                  \
    const T *x = (const T *)xv;                                                    \
    T *y = (T *)yv;                                                                \
    int64_t rows = N * C, r;                                                       \
    CT_PARALLEL_IF(rows * S > CT_BN_GRAIN, "omp parallel for schedule(static)",    \
    for (r = 0; r < rows; r++) {                                                   \
        int64_t c = r % C;                                                         \
        const T m = (T)mean[c], a = (T)scale[c], b = (T)shift[c];                  \
        const T *p = x + r * S;                                                    \
        T *q = y + r * S;                                                          \
        for (int64_t i = 0; i < S; i++) q[i] = (p[i] - m) * a + b;                 \
    });                                                                            \
}                                                                                  \
static void bn_bwd_reduce_rows_##SFX(const void *gv, const void *xv, int64_t N, int64_t C, \
                                int64_t S, const double *mean, double *sum_g,      \
                                double *sum_gx, double *scratch)                   \
{                                                                                  \
    const T *g = (const T *)gv, *x = (const T *)xv;                                \
    int64_t rows = N * C, r;                                                       \
    double *pg = scratch, *pgx = scratch + rows;                                   \
    CT_PARALLEL_IF(rows * S > CT_BN_GRAIN, "omp parallel for schedule(static)",    \
    for (r = 0; r < rows; r++) {                                                   \
        int64_t c = r % C;                                                         \
        const T m = (T)mean[c];                                                    \
        const T *p = x + r * S, *q = g + r * S;                                    \
        double l1[8] = {0}, l2[8] = {0}, s = 0, sx = 0;                            \
        int64_t i = 0;                                                             \
        for (; i + 8 <= S; i += 8)                                                 \
            for (int j = 0; j < 8; j++) {                                          \
                l1[j] += (double)q[i + j];                                         \
                l2[j] += (double)(q[i + j] * (p[i + j] - m));                      \
            }                                                                      \
        for (; i < S; i++) {                                                       \
            s += (double)q[i];                                                     \
            sx += (double)(q[i] * (p[i] - m));                                     \
        }                                                                          \
        for (int j = 0; j < 8; j++) {                                              \
            s += l1[j];                                                            \
            sx += l2[j];                                                           \
        }                                                                          \
        pg[r] = s;                                                                 \
        pgx[r] = sx;                                                               \
    });                                                                            \
    for (int64_t c = 0; c < C; c++) {                                              \
        double s = 0, sx = 0;                                                      \
        for (int64_t k = 0; k < N; k++) {                                          \
            s += pg[k * C + c];                                                    \
            sx += pgx[k * C + c];                                                  \
        }                                                                          \
        sum_g[c] = s;                                                              \
        sum_gx[c] = sx;                                                            \
    }                                                                              \
}                                                                                  \
static void bn_bwd_apply_rows_##SFX(const void *gv, const void *xv, void *dxv, int64_t N, \
                               int64_t C, int64_t S, const double *mean,           \
                               const double *a, const double *b, const double *d)  \
{                                                                                  \
    const T *g = (const T *)gv, *x = (const T *)xv;                                \
    T *dx = (T *)dxv;                                                              \
    int64_t rows = N * C, r;                                                       \
    CT_PARALLEL_IF(rows * S > CT_BN_GRAIN, "omp parallel for schedule(static)",    \
    for (r = 0; r < rows; r++) {                                                   \
        int64_t c = r % C;                                                         \
        const T m = (T)mean[c], ac = (T)a[c], bc = (T)b[c], dc = (T)d[c];          \
        const T *p = x + r * S, *q = g + r * S;                                    \
        T *o = dx + r * S;                                                         \
        for (int64_t i = 0; i < S; i++) o[i] = q[i] * ac + (p[i] - m) * bc + dc;   \
    });                                                                            \
}
CT_BN(f32, float)
CT_BN(f64, double)

/* The same four over short rows (S < CT_BN_SHORT): the input as an (N, K)
 * matrix, K = C * S, walked row by row with the inner loop over K (dense,
 * vectorised), per-column results merged per channel. Threads split K. */
#define CT_BN_COLS(SFX, T)                                                         \
static void bn_stats_##SFX(const void *xv, int64_t N, int64_t C, int64_t S,         \
                           double *mean, double *var, double *scratch)              \
{                                                                                  \
    if (S >= CT_BN_SHORT) {                                                        \
        bn_stats_rows_##SFX(xv, N, C, S, mean, var, scratch);                      \
        return;                                                                    \
    }                                                                              \
    const T *x = (const T *)xv;                                                    \
    int64_t K = C * S;                                                             \
    double *cm = (double *)calloc((size_t)(2 * K + 1), sizeof(double));            \
    double *cm2 = cm + K;                                                          \
    (void)scratch;                                                                 \
    if (!cm) {                                                                     \
        for (int64_t c = 0; c < C; c++) mean[c] = var[c] = NAN;                    \
        return;                                                                    \
    }                                                                              \
    CT_PARALLEL_IF(N * K > CT_BN_GRAIN, "omp parallel",                            \
    {                                                                              \
        int nt = 1, t = 0;                                                         \
        CT_BN_THREAD(nt, t);                                                       \
        int64_t k0 = K * t / nt, k1 = K * (t + 1) / nt, k, n;                      \
        /* one pass over sums of x - x[0] and of its square: shifted by a  \
         * value of the column, so the subtraction below does not cancel */ \
        for (n = 1; n < N; n++) {                                                  \
            const T *p = x + n * K;                                                \
            for (k = k0; k < k1; k++) {                                            \
                double d = (double)p[k] - (double)x[k];                            \
                cm[k] += d;                                                        \
                cm2[k] += d * d;                                                   \
            }                                                                      \
        }                                                                          \
        for (k = k0; k < k1; k++) {                                                \
            double s1 = cm[k];                                                     \
            cm[k] = (double)x[k] + s1 / (double)N;                                 \
            cm2[k] = cm2[k] - s1 * s1 / (double)N;                                 \
            if (cm2[k] < 0) cm2[k] = 0;                                            \
        }                                                                          \
    });                                                                            \
    for (int64_t c = 0; c < C; c++) {                                              \
        double tm = 0, tm2 = 0, cnt = 0;                                           \
        for (int64_t j = 0; j < S; j++) {                                          \
            double nn = cnt + (double)N, delta = cm[c * S + j] - tm;               \
            if (nn > 0) {                                                          \
                tm += delta * ((double)N / nn);                                    \
                tm2 += cm2[c * S + j] + delta * delta * cnt * (double)N / nn;      \
            }                                                                      \
            cnt = nn;                                                              \
        }                                                                          \
        mean[c] = tm;                                                              \
        var[c] = cnt > 0 ? tm2 / cnt : NAN;                                        \
    }                                                                              \
    free(cm);                                                                      \
}                                                                                  \
/* per-column coefficients: the channel's, repeated S times */                    \
static T *bn_expand_##SFX(int64_t C, int64_t S, int m, const double *a0,           \
                          const double *a1, const double *a2, const double *a3)    \
{                                                                                  \
    int64_t K = C * S;                                                             \
    T *e = (T *)malloc((size_t)(m * K + 1) * sizeof(T));                           \
    if (!e) return NULL;                                                           \
    const double *src[4] = {a0, a1, a2, a3};                                       \
    for (int i = 0; i < m; i++)                                                    \
        for (int64_t c = 0; c < C; c++)                                            \
            for (int64_t j = 0; j < S; j++) e[i * K + c * S + j] = (T)src[i][c];   \
    return e;                                                                      \
}                                                                                  \
static void bn_apply_##SFX(const void *xv, void *yv, int64_t N, int64_t C, int64_t S, \
                           const double *mean, const double *scale,                \
                           const double *shift)                                    \
{                                                                                  \
    int64_t K = C * S, n;                                                          \
    T *e = S < CT_BN_SHORT ? bn_expand_##SFX(C, S, 3, mean, scale, shift, NULL) : NULL; \
    if (!e) {                                                                      \
        bn_apply_rows_##SFX(xv, yv, N, C, S, mean, scale, shift);                  \
        return;                                                                    \
    }                                                                              \
    const T *x = (const T *)xv, *m = e, *a = e + K, *b = e + 2 * K;                \
    T *y = (T *)yv;                                                                \
    CT_PARALLEL_IF(N * K > CT_BN_GRAIN, "omp parallel for schedule(static)",       \
    for (n = 0; n < N; n++) {                                                      \
        const T *p = x + n * K;                                                    \
        T *q = y + n * K;                                                          \
        for (int64_t k = 0; k < K; k++) q[k] = (p[k] - m[k]) * a[k] + b[k];        \
    });                                                                            \
    free(e);                                                                       \
}                                                                                  \
static void bn_bwd_reduce_##SFX(const void *gv, const void *xv, int64_t N, int64_t C, \
                                int64_t S, const double *mean, double *sum_g,      \
                                double *sum_gx, double *scratch)                   \
{                                                                                  \
    int64_t K = C * S;                                                             \
    T *e = S < CT_BN_SHORT ? bn_expand_##SFX(C, S, 1, mean, NULL, NULL, NULL) : NULL; \
    double *cs = e ? (double *)calloc((size_t)(2 * K + 1), sizeof(double)) : NULL; \
    if (!cs) {                                                                     \
        free(e);                                                                   \
        bn_bwd_reduce_rows_##SFX(gv, xv, N, C, S, mean, sum_g, sum_gx, scratch);   \
        return;                                                                    \
    }                                                                              \
    const T *g = (const T *)gv, *x = (const T *)xv, *m = e;                        \
    double *csx = cs + K;                                                          \
    CT_PARALLEL_IF(N * K > CT_BN_GRAIN, "omp parallel",                            \
    {                                                                              \
        int nt = 1, t = 0;                                                         \
        CT_BN_THREAD(nt, t);                                                       \
        int64_t k0 = K * t / nt, k1 = K * (t + 1) / nt, k, n;                      \
        for (n = 0; n < N; n++) {                                                  \
            const T *p = x + n * K, *q = g + n * K;                                \
            for (k = k0; k < k1; k++) {                                            \
                cs[k] += (double)q[k];                                             \
                csx[k] += (double)(q[k] * (p[k] - m[k]));                          \
            }                                                                      \
        }                                                                          \
    });                                                                            \
    for (int64_t c = 0; c < C; c++) {                                              \
        double a = 0, b = 0;                                                       \
        for (int64_t j = 0; j < S; j++) {                                          \
            a += cs[c * S + j];                                                    \
            b += csx[c * S + j];                                                   \
        }                                                                          \
        sum_g[c] = a;                                                              \
        sum_gx[c] = b;                                                             \
    }                                                                              \
    free(cs);                                                                      \
    free(e);                                                                       \
}                                                                                  \
static void bn_bwd_apply_##SFX(const void *gv, const void *xv, void *dxv, int64_t N, \
                               int64_t C, int64_t S, const double *mean,           \
                               const double *a, const double *b, const double *d)  \
{                                                                                  \
    int64_t K = C * S, n;                                                          \
    T *e = S < CT_BN_SHORT ? bn_expand_##SFX(C, S, 4, mean, a, b, d) : NULL;       \
    if (!e) {                                                                      \
        bn_bwd_apply_rows_##SFX(gv, xv, dxv, N, C, S, mean, a, b, d);              \
        return;                                                                    \
    }                                                                              \
    const T *g = (const T *)gv, *x = (const T *)xv;                                \
    const T *m = e, *ea = e + K, *eb = e + 2 * K, *ed = e + 3 * K;                 \
    T *dx = (T *)dxv;                                                              \
    CT_PARALLEL_IF(N * K > CT_BN_GRAIN, "omp parallel for schedule(static)",       \
    for (n = 0; n < N; n++) {                                                      \
        const T *p = x + n * K, *q = g + n * K;                                    \
        T *o = dx + n * K;                                                         \
        for (int64_t k = 0; k < K; k++) o[k] = q[k] * ea[k] + (p[k] - m[k]) * eb[k] + ed[k]; \
    });                                                                            \
    free(e);                                                                       \
}
CT_BN_COLS(f32, float)
CT_BN_COLS(f64, double)

ct_bn_stats_fn ct_bn_stats_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = bn_stats_f32, [CT_FLOAT64] = bn_stats_f64,
};
ct_bn_apply_fn ct_bn_apply_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = bn_apply_f32, [CT_FLOAT64] = bn_apply_f64,
};
ct_bn_bwd_reduce_fn ct_bn_bwd_reduce_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = bn_bwd_reduce_f32, [CT_FLOAT64] = bn_bwd_reduce_f64,
};
ct_bn_bwd_apply_fn ct_bn_bwd_apply_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = bn_bwd_apply_f32, [CT_FLOAT64] = bn_bwd_apply_f64,
};

/* ---- layer normalisation: rows of N values, one row per iteration (OpenMP
 * over rows); statistics in the row's precision (A: float for float32, as
 * PyTorch's CPU kernel), two vector passes (mean, then the squared deviations)
 * so that a large mean costs no precision; the column sums of the weight's
 * and bias's gradients in double. */
/* sum(x) and sum((x - mu)^2) over n elements in 32-byte vectors of lanes, four
 * chains, the lanes added as a tree (GCC's omp simd reduction epilogue adds
 * 16 float lanes one after the other through memory: a third of the time of
 * a layer norm's rows of 512) */
#define CT_VSUMS(SFX, T)                                                           \
typedef T ct_v32_##SFX __attribute__((vector_size(32)));                           \
static inline __attribute__((always_inline)) T ct_vsum_##SFX(const T *x, int64_t n, \
                                                           int sq, T mu) {         \
    enum { L = 32 / sizeof(T) };                                                   \
    ct_v32_##SFX a[4] = {{0}}, v[4];                                               \
    int64_t j = 0;                                                                 \
    for (; j + 4 * L <= n; j += 4 * L)                                             \
        for (int c = 0; c < 4; c++) {                                              \
            memcpy(&v[c], x + j + c * L, sizeof v[c]);                             \
            if (sq) { v[c] -= mu; a[c] += v[c] * v[c]; }                           \
            else a[c] += v[c];                                                     \
        }                                                                          \
    for (; j + L <= n; j += L) {                                                   \
        memcpy(&v[0], x + j, sizeof v[0]);                                         \
        if (sq) { v[0] -= mu; a[0] += v[0] * v[0]; }                               \
        else a[0] += v[0];                                                         \
    }                                                                              \
    ct_v32_##SFX a0 = (a[0] + a[1]) + (a[2] + a[3]);                               \
    for (int h = L / 2; h >= 1; h /= 2)                                            \
        for (int q = 0; q < h; q++)                                                \
            a0[q] += a0[q + h];                                                    \
    T t = a0[0];                                                                   \
    for (; j < n; j++) {                                                           \
        T d = sq ? x[j] - mu : x[j];                                               \
        t += sq ? d * d : d;                                                       \
    }                                                                              \
    return t;                                                                      \
}
CT_VSUMS(f32, float)
CT_VSUMS(f64, double)

#define CT_LN(SFX, T, A)                                                            \
CT_MULTIVERSION static void ln_fwd_##SFX(const void *xv, const void *wv, const void *bv, void *yv,   \
                         double *mean, double *rstd, int64_t M, int64_t N, double eps) { \
    const T *x = (const T *)xv, *w = (const T *)wv, *b = (const T *)bv;            \
    T *y = (T *)yv;                                                                \
    int nt = ct_get_num_threads();                                                 \
    CT_PARALLEL_IF(M * N >= CT_BN_GRAIN, "omp parallel for num_threads(nt) schedule(static)", \
    for (int64_t i = 0; i < M; i++) {                                              \
        const T *xr = x + i * N;                                                   \
        T *yr = y + i * N;                                                         \
        A mu = ct_vsum_##SFX(xr, N, 0, 0) / (A)N;                                  \
        A ss = ct_vsum_##SFX(xr, N, 1, mu);                                        \
        A r = (A)(1.0 / sqrt((double)ss / (double)N + eps));                       \
        mean[i] = mu;                                                              \
        rstd[i] = r;                                                               \
        if (w && b)                                                                \
            for (int64_t j = 0; j < N; j++)                                        \
                yr[j] = (T)((xr[j] - mu) * r * w[j] + b[j]);                       \
        else if (w)                                                                \
            for (int64_t j = 0; j < N; j++) yr[j] = (T)((xr[j] - mu) * r * w[j]);  \
        else if (b)                                                                \
            for (int64_t j = 0; j < N; j++) yr[j] = (T)((xr[j] - mu) * r + b[j]);  \
        else                                                                       \
            for (int64_t j = 0; j < N; j++) yr[j] = (T)((xr[j] - mu) * r);         \
    });                                                                            \
}                                                                                  \
/* dx = rstd (gw - mean(gw) - xhat mean(gw xhat)) with gw = g w per row; dw    */  \
/* and db as column sums over the rows, a block of columns per thread          */  \
CT_MULTIVERSION static void ln_bwd_##SFX(const void *gv, const void *xv, const void *wv, const double *mean, \
                         const double *rstd, void *dxv, double *dw, double *db,   \
                         int64_t M, int64_t N) {                                   \
    const T *g = (const T *)gv, *x = (const T *)xv, *w = (const T *)wv;            \
    T *dx = (T *)dxv;                                                              \
    int nt = ct_get_num_threads();                                                 \
    if (dx) {                                                                      \
        CT_PARALLEL_IF(M * N >= CT_BN_GRAIN, "omp parallel for num_threads(nt) schedule(static)", \
        for (int64_t i = 0; i < M; i++) {                                          \
            const T *gr = g + i * N, *xr = x + i * N;                              \
            T *dr = dx + i * N;                                                    \
            const A mu = (A)mean[i], r = (A)rstd[i];                               \
            A a = 0, c = 0;                                                   \
            _Pragma("omp simd reduction(+:a, c)")                                  \
            for (int64_t j = 0; j < N; j++) {                                      \
                A gw = w ? (A)gr[j] * w[j] : (A)gr[j];                             \
                a += gw;                                                           \
                c += gw * (xr[j] - mu) * r;                                        \
            }                                                                      \
            a /= (A)N;                                                             \
            c /= (A)N;                                                        \
            for (int64_t j = 0; j < N; j++) {                                      \
                A gw = w ? (A)gr[j] * w[j] : (A)gr[j];                             \
                dr[j] = (T)(r * (gw - a - (xr[j] - mu) * r * c));                  \
            }                                                                      \
        });                                                                        \
    }                                                                              \
    if (dw || db) {                                                                \
        const int64_t CB = 256;                                                    \
        int64_t nb = (N + CB - 1) / CB;                                            \
        CT_PARALLEL_IF(M * N >= CT_BN_GRAIN && nb > 1, "omp parallel for num_threads(nt) schedule(static)", \
        for (int64_t blk = 0; blk < nb; blk++) {                                   \
            int64_t j0 = blk * CB, j1 = j0 + CB < N ? j0 + CB : N;                 \
            for (int64_t j = j0; j < j1; j++) {                                    \
                if (dw) dw[j] = 0;                                                 \
                if (db) db[j] = 0;                                                 \
            }                                                                      \
            for (int64_t i = 0; i < M; i++) {                                      \
                const T *gr = g + i * N, *xr = x + i * N;                          \
                const double mu = mean[i], r = rstd[i];                            \
                if (dw)                                                            \
                    for (int64_t j = j0; j < j1; j++) dw[j] += (double)gr[j] * (xr[j] - mu) * r; \
                if (db)                                                            \
                    for (int64_t j = j0; j < j1; j++) db[j] += gr[j];              \
            }                                                                      \
        });                                                                        \
    }                                                                              \
}
CT_LN(f32, float, float)
CT_LN(f64, double, double)

ct_ln_fwd_fn ct_ln_fwd_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ln_fwd_f32, [CT_FLOAT64] = ln_fwd_f64,
};
ct_ln_bwd_fn ct_ln_bwd_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ln_bwd_f32, [CT_FLOAT64] = ln_bwd_f64,
};

/* Group normalisation (nnmisc.h): each (sample, group) row of L = (C / G) S
 * values is one task, its statistics and its output computed while the row
 * is in cache (the statistics as one op and the scale and shift as another
 * read it from memory twice: 0.5x PyTorch's speed). The backward's per
 * (sample, channel) sums of g and g x, then dx = g a + x p + q with a = rstd
 * w[c] and p, q per row. */
#define CT_GN(SFX, T)                                                              \
CT_MULTIVERSION static void gn_fwd_##SFX(const void *xv, const void *wv, const void *bv, \
        void *yv, double *mean, double *rstd, int64_t N, int64_t C, int64_t S,     \
        int64_t G, double eps) {                                                   \
    const T *x = (const T *)xv, *w = (const T *)wv, *b = (const T *)bv;            \
    T *y = (T *)yv;                                                                \
    const int64_t rep = C / G, L = rep * S;                                        \
    int nt = ct_get_num_threads();                                                 \
    CT_PARALLEL_IF(N * C * S >= CT_BN_GRAIN, "omp parallel for num_threads(nt) schedule(static)", \
    for (int64_t i = 0; i < N * G; i++) {                                          \
        const T *xr = x + i * L;                                                   \
        T *yr = y + i * L;                                                         \
        const T mu = ct_vsum_##SFX(xr, L, 0, 0) / (T)L;                            \
        const T ss = ct_vsum_##SFX(xr, L, 1, mu);                                  \
        const double r = 1.0 / sqrt((double)ss / (double)L + eps);                 \
        mean[i] = mu;                                                              \
        rstd[i] = r;                                                               \
        for (int64_t k = 0; k < rep; k++) {                                        \
            const int64_t c = (i % G) * rep + k;                                   \
            const T a = (T)(r * (w ? (double)w[c] : 1.0));                         \
            const T sh = (T)((b ? (double)b[c] : 0.0) - (double)mu * (double)a);   \
            const T *xc = xr + k * S;                                              \
            T *yc = yr + k * S;                                                    \
            for (int64_t j = 0; j < S; j++) yc[j] = xc[j] * a + sh;                \
        }                                                                          \
    });                                                                            \
}                                                                                  \
CT_MULTIVERSION static void gn_bwd_##SFX(const void *gv, const void *xv, const void *wv, \
        const double *mean, const double *rstd, void *dxv, double *dw, double *db, \
        int64_t N, int64_t C, int64_t S, int64_t G, double *sums) {                \
    const T *g = (const T *)gv, *x = (const T *)xv, *w = (const T *)wv;            \
    T *dx = (T *)dxv;                                                              \
    const int64_t rep = C / G, L = rep * S;                                        \
    int nt = ct_get_num_threads();                                                 \
    /* sums[2 (n C + c)]: the sums of g and of g x over the channel's S values */ \
    CT_PARALLEL_IF(N * C * S >= CT_BN_GRAIN, "omp parallel for num_threads(nt) schedule(static)", \
    for (int64_t i = 0; i < N * G; i++) {                                          \
        const double mu = mean[i], r = rstd[i];                                    \
        double sdy = 0, sdyx = 0;                                                  \
        for (int64_t k = 0; k < rep; k++) {                                        \
            const int64_t nc = i * rep + k, c = (i % G) * rep + k;                 \
            const T *gc = g + nc * S, *xc = x + nc * S;                            \
            T s0 = 0, s1 = 0;                                                      \
            _Pragma("omp simd reduction(+:s0, s1)")                                \
            for (int64_t j = 0; j < S; j++) { s0 += gc[j]; s1 += gc[j] * xc[j]; }  \
            sums[2 * nc] = s0;                                                     \
            sums[2 * nc + 1] = s1;                                                 \
            const double wc = w ? (double)w[c] : 1.0;                              \
            sdy += wc * s0;                                                        \
            sdyx += wc * (s1 - mu * s0);                                           \
        }                                                                          \
        if (dx == NULL) continue;                                                  \
        /* dx = r (dy - mean(dy) - xhat mean(dy xhat)), dy = g w, xhat = (x - mu) r */ \
        const double m1 = sdy / (double)L, m2 = sdyx * r / (double)L;              \
        const double p = -r * r * m2, q = -r * m1 + r * r * m2 * mu;               \
        for (int64_t k = 0; k < rep; k++) {                                        \
            const int64_t nc = i * rep + k, c = (i % G) * rep + k;                 \
            const T a = (T)(r * (w ? (double)w[c] : 1.0)), pt = (T)p, qt = (T)q;   \
            const T *gc = g + nc * S, *xc = x + nc * S;                            \
            T *dc = dx + nc * S;                                                   \
            for (int64_t j = 0; j < S; j++) dc[j] = gc[j] * a + xc[j] * pt + qt;   \
        }                                                                          \
    });                                                                            \
    if (dw == NULL && db == NULL) return;                                          \
    for (int64_t c = 0; c < C; c++) {                                              \
        double a0 = 0, a1 = 0;                                                     \
        for (int64_t n = 0; n < N; n++) {                                          \
            const int64_t i = n * G + c / rep, nc = n * C + c;                     \
            a0 += sums[2 * nc];                                                    \
            a1 += (sums[2 * nc + 1] - mean[i] * sums[2 * nc]) * rstd[i];           \
        }                                                                          \
        if (db) db[c] = a0;                                                        \
        if (dw) dw[c] = a1;                                                        \
    }                                                                              \
}
CT_GN(f32, float)
CT_GN(f64, double)
ct_gn_fwd_fn ct_gn_fwd_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = gn_fwd_f32, [CT_FLOAT64] = gn_fwd_f64,
};
ct_gn_bwd_fn ct_gn_bwd_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = gn_bwd_f32, [CT_FLOAT64] = gn_bwd_f64,
};

/* the LSTM step's gate gradients (nnmisc.h): no fused multiply-adds (the
 * baseline build has none), so the values of the ops one at a time */
#define CT_LSTM_BWD(S, T)                                                         \
static void lstm_bwd_##S(int64_t hb, const void *a_, const void *g_, const void *cp_, \
                         const void *tc_, const void *dh_, const void *dc_, void *dg_, \
                         void *dcp_) {                                            \
    const T *restrict a = (const T *)a_, *restrict g = (const T *)g_;             \
    const T *restrict cp = (const T *)cp_, *restrict tc = (const T *)tc_;         \
    const T *restrict dh = (const T *)dh_, *restrict dc = (const T *)dc_;         \
    T *restrict dg = (T *)dg_, *restrict dcp = (T *)dcp_;                         \
    _Pragma("omp simd")                                                           \
    for (int64_t k = 0; k < hb; k++) {                                            \
        const T i = a[k], f = a[hb + k], o = a[3 * hb + k];                       \
        const T t1 = dh[k] * o, t2 = (T)1 - tc[k] * tc[k];                        \
        const T dcy = t1 * t2 + dc[k];                                            \
        const T gi = dcy * g[k], ci = dcy * cp[k], di = dcy * i, ht = dh[k] * tc[k]; \
        dg[k] = gi * i * ((T)1 - i);                                              \
        dg[hb + k] = ci * f * ((T)1 - f);                                         \
        dg[2 * hb + k] = di * ((T)1 - g[k] * g[k]);                               \
        dg[3 * hb + k] = ht * o * ((T)1 - o);                                     \
        dcp[k] = dcy * f;                                                         \
    }                                                                             \
}
CT_LSTM_BWD(f32, float)
CT_LSTM_BWD(f64, double)
ct_lstm_bwd_fn ct_lstm_bwd_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = lstm_bwd_f32, [CT_FLOAT64] = lstm_bwd_f64,
};

/* the LSTM step's forward (nnmisc.h) in float32: the activations built per
 * instruction set as elementwise.c's sigmoid and tanh loops are (a: sigmoid
 * of the i, f, o blocks, tanh of the cell block g; gt == a allowed), c'
 * with its two products rounded before the sum (the baseline build: no
 * fused multiply-add), as cy = f * c; cy += i * g rounds them */
CT_MULTIVERSION static void lstm_act_f32(int64_t hb, const float *gt, float *a) {
    _Pragma("omp simd")
    for (int64_t k = 0; k < 2 * hb; k++) a[k] = 1.0f / (1.0f + ct_expf(-gt[k]));
    _Pragma("omp simd")
    for (int64_t k = 2 * hb; k < 3 * hb; k++) a[k] = ct_tanhf(gt[k]);
    _Pragma("omp simd")
    for (int64_t k = 3 * hb; k < 4 * hb; k++) a[k] = 1.0f / (1.0f + ct_expf(-gt[k]));
}
static void lstm_cell_f32(int64_t hb, const float *restrict a, const float *restrict g,
                          const float *restrict c, float *restrict cy) {
    _Pragma("omp simd")
    for (int64_t k = 0; k < hb; k++) cy[k] = a[hb + k] * c[k] + a[k] * g[k];
}
CT_MULTIVERSION static void lstm_out_f32(int64_t hb, const float *restrict a, const float *restrict cy,
                                         float *restrict tc, float *restrict hy) {
    _Pragma("omp simd")
    for (int64_t k = 0; k < hb; k++) tc[k] = ct_tanhf(cy[k]);
    _Pragma("omp simd")
    for (int64_t k = 0; k < hb; k++) hy[k] = a[3 * hb + k] * tc[k];
}
static void lstm_fwd_f32(int64_t hb, const void *gt, const void *c, void *a, void *g, void *cy,
                         void *tc, void *hy) {
    lstm_act_f32(hb, (const float *)gt, (float *)a);
    memcpy(g, (float *)a + 2 * hb, (size_t)hb * sizeof(float));
    lstm_cell_f32(hb, (const float *)a, (const float *)g, (const float *)c, (float *)cy);
    lstm_out_f32(hb, (const float *)a, (const float *)cy, (float *)tc, (float *)hy);
}
ct_lstm_fwd_fn ct_lstm_fwd_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = lstm_fwd_f32,
};

/* ---- whole LSTM layers (nnmisc.h) ---------------------------------------- */

/* a step's row in place: its gates gt (4H) become their activations
 * (sigmoid on the i, f, o blocks, tanh on the cell block g), then c' =
 * f c + i g with both products rounded (no fused multiply-add in this
 * build), tc = tanh(c'), h' = o tc. float32: the step kernel's functions;
 * float64: the elementwise loops of sigmoid and tanh themselves */
static void lstm_row_f32(int64_t hb, float *gt, const float *c, float *cy, float *tc, float *hy)
{
    lstm_act_f32(hb, gt, gt);
    lstm_cell_f32(hb, gt, gt + 2 * hb, c, cy);
    lstm_out_f32(hb, gt, cy, tc, hy);
}
static void lstm_row_f64(int64_t hb, double *gt, const double *c, double *cy, double *tc,
                         double *hy)
{
    static const int64_t st[2] = {8, 8};
    ct_params prm = {0};
    char *p[2];
    p[0] = p[1] = (char *)gt;
    ct_unary_loops[CT_SIGMOID][CT_FLOAT64](p, st, 2 * hb, &prm);
    p[0] = p[1] = (char *)(gt + 2 * hb);
    ct_unary_loops[CT_TANH][CT_FLOAT64](p, st, hb, &prm);
    p[0] = p[1] = (char *)(gt + 3 * hb);
    ct_unary_loops[CT_SIGMOID][CT_FLOAT64](p, st, hb, &prm);
    for (int64_t k = 0; k < hb; k++) {
        double fc = gt[hb + k] * c[k], ig = gt[k] * gt[2 * hb + k];
        cy[k] = fc + ig;
    }
    p[0] = (char *)tc; p[1] = (char *)cy;
    ct_unary_loops[CT_TANH][CT_FLOAT64](p, st, hb, &prm);
    for (int64_t k = 0; k < hb; k++) hy[k] = gt[3 * hb + k] * tc[k];
}

/* rows[r][j] += v[j] for n rows of m values */
static void lstm_add_rows(int dtype, char *rows, const char *v, int64_t n, int64_t m)
{
    for (int64_t r = 0; r < n; r++) {
        if (dtype == CT_FLOAT32) {
            float *restrict q = (float *)rows + r * m;
            const float *restrict w = (const float *)v;
            _Pragma("omp simd")
            for (int64_t j = 0; j < m; j++) q[j] += w[j];
        } else {
            double *restrict q = (double *)rows + r * m;
            const double *restrict w = (const double *)v;
            _Pragma("omp simd")
            for (int64_t j = 0; j < m; j++) q[j] += w[j];
        }
    }
}

/* the sequence drivers' sizes in bytes (es an element, s4 / s1 a step's
 * gates / states, r4 / r1 a row's) and the gemm's 1 and 0 in the dtype */
static const float lstm_one_f = 1.0f, lstm_zero_f = 0.0f;
static const double lstm_one_d = 1.0, lstm_zero_d = 0.0;
#define LSTM_SEQ_SIZES(DT, B, H)                                                   \
    const size_t es = (DT) == CT_FLOAT32 ? 4 : 8;                                  \
    const size_t s4 = (size_t)(4 * (H) * (B)) * es, s1 = (size_t)((H) * (B)) * es;  \
    const size_t r4 = (size_t)(4 * (H)) * es, r1 = (size_t)(H) * es;               \
    const void *one = (DT) == CT_FLOAT32 ? (const void *)&lstm_one_f : (const void *)&lstm_one_d; \
    const void *zero = (DT) == CT_FLOAT32 ? (const void *)&lstm_zero_f : (const void *)&lstm_zero_d

/* steps per projection block: about 256 rows of gates (their block stays
 * in L2 between its product and its steps) */
#define CT_LSTM_BLOCK_ROWS 256

int ct_lstm_seq_fwd(ct_nn_gemm_fn gemm, int dtype, int64_t T, int64_t B, int64_t H, int64_t In,
                    const char *x, const char *wih_t, const char *bias, const char *whh_t,
                    const char *h0, const char *c0, char *gates, char *out, char *cs, char *tc,
                    int save, int reverse)
{
    if (dtype != CT_FLOAT32 && dtype != CT_FLOAT64) return -1;
    LSTM_SEQ_SIZES(dtype, B, H);
    const int64_t off = 0, nblk = ct_lstm_seq_block(B);
    const char *hp = h0, *cp = c0;
    for (int64_t k0 = 0; k0 < T; k0 += nblk) {
        /* the block of steps [t0, t1), in the order they run */
        const int64_t n = T - k0 < nblk ? T - k0 : nblk;
        const int64_t t0 = reverse ? T - k0 - n : k0;
        char *gb = gates + (save ? t0 * s4 : 0);
        /* its gates (4H x n B, column-major) = W_ih x_t, then + bias */
        gemm(dtype, 'N', 'N', (int)(4 * H), (int)(n * B), (int)In, one, (char *)wih_t, (int)(4 * H),
             &off, (char *)x + t0 * B * In * (int64_t)es, (int)In, &off, zero, gb, (int)(4 * H), 1);
        if (bias != NULL)
            lstm_add_rows(dtype, gb, bias, n * B, 4 * H);
        for (int64_t k = 0; k < n; k++) {
            const int64_t t = reverse ? t0 + n - 1 - k : t0 + k;
            char *gt = gb + (t - t0) * s4, *ct = cs + t * s1, *ht = out + t * s1;
            char *tt = tc + (save ? t * s1 : 0);
            /* gates_t (4H x B) += W_hh h_{t-1} */
            gemm(dtype, 'N', 'N', (int)(4 * H), (int)B, (int)H, one, (char *)whh_t, (int)(4 * H),
                 &off, (char *)hp, (int)H, &off, one, gt, (int)(4 * H), 1);
            for (int64_t b = 0; b < B; b++) {
                if (dtype == CT_FLOAT32)
                    lstm_row_f32(H, (float *)(gt + b * r4), (const float *)(cp + b * r1),
                                 (float *)(ct + b * r1), (float *)(tt + b * r1),
                                 (float *)(ht + b * r1));
                else
                    lstm_row_f64(H, (double *)(gt + b * r4), (const double *)(cp + b * r1),
                                 (double *)(ct + b * r1), (double *)(tt + b * r1),
                                 (double *)(ht + b * r1));
            }
            hp = ht;
            cp = ct;
        }
    }
    return 0;
}

int64_t ct_lstm_seq_block(int64_t B)
{
    return B >= CT_LSTM_BLOCK_ROWS ? 1 : CT_LSTM_BLOCK_ROWS / B;
}

int ct_lstm_seq_bwd(ct_nn_gemm_fn gemm, int dtype, int64_t T, int64_t B, int64_t H,
                    const char *dout, const char *dhn, const char *dcn, const char *a,
                    const char *tc, const char *cs, const char *c0, const char *w_hh, char *dg,
                    char *dh0, char *dc0, int reverse)
{
    if (dtype != CT_FLOAT32 && dtype != CT_FLOAT64) return -1;
    LSTM_SEQ_SIZES(dtype, B, H);
    char *buf = malloc(3 * s1 + 1);
    if (buf == NULL) return -1;
    char *dh = buf, *dc = buf + s1, *dcp = buf + 2 * s1;
    memcpy(dh, dhn, s1);
    memcpy(dc, dcn, s1);
    const int64_t off = 0;
    ct_lstm_bwd_fn bwd = ct_lstm_bwd_loops[dtype];
    for (int64_t k = 0; k < T; k++) {
        /* the forward's steps in reverse; its first step reads c0 */
        const int64_t t = reverse ? k : T - 1 - k;
        const int first = k == T - 1;
        const char *cp = first ? c0 : cs + (reverse ? t + 1 : t - 1) * s1;
        const char *dot = dout + t * s1;
        lstm_add_rows(dtype, dh, dot, 1, H * B);
        char *dgt = dg + t * s4;
        for (int64_t b = 0; b < B; b++)
            bwd(H, a + t * s4 + b * r4, a + t * s4 + b * r4 + 2 * r1, cp + b * r1, tc + t * s1 + b * r1,
                dh + b * r1, dc + b * r1, dgt + b * r4, dcp + b * r1);
        char *sw = dc;
        dc = dcp;
        dcp = sw;
        /* dh_{t-1} (H x B, column-major) = W_hh^T dg_t */
        gemm(dtype, 'N', 'N', (int)H, (int)B, (int)(4 * H), one, (char *)w_hh, (int)H, &off, dgt,
             (int)(4 * H), &off, zero, dh, (int)H, 1);
    }
    memcpy(dh0, dh, s1);
    memcpy(dc0, dc, s1);
    free(buf);
    return 0;
}
