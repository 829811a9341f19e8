/* Histograms: histc/histogram (counts or weight sums over bin edges) and
 * bincount. Counts accumulate in double (exact up to 2^53) or int64 and the
 * caller casts to the result dtype.
 *
 * Large inputs are split between threads, each with a private histogram
 * that is summed in thread order afterwards (deterministic for a given
 * thread count); that pays only when the bins are few next to the data.
 * hist.h declares the kernels and their tables.
 */
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "hist.h"
#include "strided.h"

#define CT_HIST_PAR_MIN 65536
/* Work is handed out in chunks of this many elements: dynamically for
 * counts (exact in any order, and a thread paused on a busy machine does
 * not hold the others up), statically for weight sums (a fixed order of
 * additions for a given thread count). */
#define CT_HIST_CHUNK 32768
#define CT__MIN(a, b) ((a) < (b) ? (a) : (b))

#ifndef _OPENMP   /* ct__hist_threads is then 1 and these are never reached */
static inline int omp_get_thread_num(void) { return 0; }
static inline int omp_get_num_threads(void) { return 1; }
#endif

static int ct__hist_threads(int64_t n, int64_t nbins)
{
#ifdef _OPENMP
    int nt = ct_get_num_threads();
    if (nt < 2 || n < CT_HIST_PAR_MIN || nbins * nt > n / 4) return 1;
    return nt;
#else
    (void)n; (void)nbins;
    return 1;
#endif
}

/* min and max of n >= 1 values; both nan when one is nan. */
/* (vector lanes, and threads past 65536 values: one chain of compares ran
 * a million floats at a nanosecond each) */
#define CT__MINMAX_LOOP(T)                                                            \
    for (int64_t i = 0; i < n; i++) {                                                \
        T v = x[i];                                                                  \
        nan |= v != v;                                                               \
        a = v < a ? v : a;                                                           \
        b = v > b ? v : b;                                                           \
    }
#define CT__MINMAX(SUF, T)                                                           \
CT_MULTIVERSION void ct_minmax_##SUF(const T *x, int64_t n, double *mn, double *mx)  \
{                                                                                    \
    T a = x[0], b = x[0];                                                            \
    int nan = 0;                                                                     \
    if (n > 65536 && ct_get_num_threads() > 1) {                                     \
        _Pragma("omp parallel for simd reduction(min:a) reduction(max:b) reduction(|:nan)") \
        CT__MINMAX_LOOP(T)                                                           \
    } else {                                                                         \
        _Pragma("omp simd reduction(min:a) reduction(max:b) reduction(|:nan)")       \
        CT__MINMAX_LOOP(T)                                                           \
    }                                                                                \
    /* a zero result has the sign of the first zero, as one pass in order  \
     * keeps the first of equal values (lanes and threads meet in another    \
     * order) */                                                              \
    if (!nan && (a == 0 || b == 0)) {                                                \
        int64_t i = 0;                                                               \
        while (x[i] != 0) i++;                                                       \
        if (a == 0) a = x[i];                                                        \
        if (b == 0) b = x[i];                                                        \
    }                                                                                \
    *mn = nan ? (double)NAN : (double)a;                                             \
    *mx = nan ? (double)NAN : (double)b;                                             \
}

CT__MINMAX(f32, float)
CT__MINMAX(f64, double)

/* Bin of v among edges e[0..nb] (bin b = [e_b, e_b+1), the last one closed),
 * or -1 outside (nan included). linear: the edges are equally spaced from
 * lo with nb / (hi - lo) = scale, so the bin is computed and then moved as
 * far as the edges themselves say (edges that coincide after rounding may
 * put the right bin more than one away), so that a value equal to an edge
 * always goes to the bin that starts there. */
#define CT__HIST_BIN(SUF, T)                                                         \
static inline int64_t ct__hist_bin_##SUF(T v, const T *e, int64_t nb, int linear,    \
                                         double lo, double scale)                    \
{                                                                                    \
    if (!(v >= e[0] && v <= e[nb])) return -1;                                       \
    int64_t b;                                                                       \
    if (linear) {                                                                    \
        double f = ((double)v - lo) * scale;                                         \
        b = f >= (double)nb ? nb - 1 : (f > 0 ? (int64_t)f : 0);                     \
        while (b > 0 && v < e[b]) b--;                                               \
        while (b + 1 < nb && v >= e[b + 1]) b++;                                     \
    } else {                                                                         \
        int64_t l = 0, h = nb;          /* last b with e[b] <= v, b < nb */          \
        while (h - l > 1) {                                                          \
            int64_t m = l + (h - l) / 2;                                             \
            if (e[m] <= v) l = m; else h = m;                                        \
        }                                                                            \
        b = l;                                                                       \
    }                                                                                \
    return b;                                                                        \
}

/* hist[b] += (w ? w[i] : 1) for the bin b of x[i]; hist: nb doubles, zeroed.
 * Returns -1 when out of memory. */
#define CT__HIST(SUF, T)                                                             \
CT__HIST_BIN(SUF, T)                                                                 \
static void ct__hist_range_##SUF(const T *x, const T *w, int64_t i0, int64_t i1,     \
                                 const T *e, int64_t nb, int linear, double lo,      \
                                 double scale, double *h)                            \
{                                                                                    \
    for (int64_t i = i0; i < i1; i++) {                                              \
        int64_t b = ct__hist_bin_##SUF(x[i], e, nb, linear, lo, scale);              \
        if (b >= 0) h[b] += w ? (double)w[i] : 1.0;                                  \
    }                                                                                \
}                                                                                    \
int ct_histogram_##SUF(const T *x, const T *w, int64_t n, const T *e,                \
                       int64_t nb, int linear, double *hist)                         \
{                                                                                    \
    double lo = (double)e[0], width = (double)e[nb] - (double)e[0];                  \
    double scale = width > 0 ? (double)nb / width : 0.0;                             \
    int nt = ct__hist_threads(n, nb);                                                \
    if (nt == 1) {                                                                   \
        ct__hist_range_##SUF(x, w, 0, n, e, nb, linear, lo, scale, hist);            \
        return 0;                                                                    \
    }                                                                                \
    double *priv = (double *)calloc((size_t)nt * (size_t)nb, sizeof(double));        \
    if (!priv) return -1;                                                            \
    int64_t nch = (n + CT_HIST_CHUNK - 1) / CT_HIST_CHUNK;                           \
    _Pragma("omp parallel num_threads(nt)")                                          \
    {                                                                                \
        double *h = priv + (int64_t)omp_get_thread_num() * nb;                       \
        if (w) {                                                                     \
            _Pragma("omp for schedule(static)")                                      \
            for (int64_t c = 0; c < nch; c++)                                        \
                ct__hist_range_##SUF(x, w, c * CT_HIST_CHUNK, CT__MIN(n, (c + 1) * CT_HIST_CHUNK), \
                                     e, nb, linear, lo, scale, h);                   \
        } else {                                                                     \
            _Pragma("omp for schedule(dynamic, 1)")                                  \
            for (int64_t c = 0; c < nch; c++)                                        \
                ct__hist_range_##SUF(x, w, c * CT_HIST_CHUNK, CT__MIN(n, (c + 1) * CT_HIST_CHUNK), \
                                     e, nb, linear, lo, scale, h);                   \
        }                                                                            \
    }                                                                                \
    for (int t = 0; t < nt; t++)                                                     \
        for (int64_t b = 0; b < nb; b++) hist[b] += priv[(int64_t)t * nb + b];       \
    free(priv);                                                                      \
    return 0;                                                                        \
}

CT__HIST(f32, float)
CT__HIST(f64, double)

/* ---- histogramdd: one pass over the points, each coordinate's bin as
 * ct__hist_bin_ finds it */
#define CT__HISTDD(SUF, T)                                                           \
static void ct__histdd_range_##SUF(const T *x, int64_t i0, int64_t i1, int64_t D,    \
                                   int64_t sp, int64_t sd, const T *w, int64_t sw,   \
                                   const T *const *e, const int64_t *nb,             \
                                   const unsigned char *linear, const double *lo,    \
                                   const double *scale, double *h)                   \
{                                                                                    \
    for (int64_t i = i0; i < i1; i++) {                                              \
        const T *p = x + i * sp;                                                     \
        int64_t flat = 0, k;                                                         \
        for (k = 0; k < D; k++) {                                                    \
            int64_t b = ct__hist_bin_##SUF(p[k * sd], e[k], nb[k], linear[k], lo[k],   \
                                           scale[k]);                                \
            if (b < 0) break;                                                        \
            flat = flat * nb[k] + b;                                                 \
        }                                                                            \
        if (k == D) h[flat] += w ? (double)w[i * sw] : 1.0;                          \
    }                                                                                \
}                                                                                    \
static int ct__histdd_##SUF(const T *x, int64_t n, int64_t D, int64_t sp, int64_t sd, \
                            const T *w, int64_t sw, const T *const *e,               \
                            const int64_t *nb, const unsigned char *linear,          \
                            double *hist)                                            \
{                                                                                    \
    double *lo = (double *)malloc((size_t)D * 2 * sizeof(double));                   \
    if (!lo) return -1;                                                              \
    double *scale = lo + D;                                                          \
    int64_t total = 1;                                                               \
    for (int64_t k = 0; k < D; k++) {                                                \
        double width = (double)e[k][nb[k]] - (double)e[k][0];                        \
        lo[k] = (double)e[k][0];                                                     \
        scale[k] = width > 0 ? (double)nb[k] / width : 0.0;                          \
        total *= nb[k];                                                              \
    }                                                                                \
    int nt = ct__hist_threads(n, total);                                             \
    if (nt == 1) {                                                                   \
        ct__histdd_range_##SUF(x, 0, n, D, sp, sd, w, sw, e, nb, linear, lo, scale, hist); \
        free(lo);                                                                    \
        return 0;                                                                    \
    }                                                                                \
    double *priv = (double *)calloc((size_t)nt * (size_t)total, sizeof(double));     \
    if (!priv) {                                                                     \
        free(lo);                                                                    \
        return -1;                                                                   \
    }                                                                                \
    int64_t nch = (n + CT_HIST_CHUNK - 1) / CT_HIST_CHUNK;                           \
    _Pragma("omp parallel num_threads(nt)")                                          \
    {                                                                                \
        double *h = priv + (int64_t)omp_get_thread_num() * total;                    \
        _Pragma("omp for schedule(static)")                                          \
        for (int64_t c = 0; c < nch; c++)                                            \
            ct__histdd_range_##SUF(x, c * CT_HIST_CHUNK, CT__MIN(n, (c + 1) * CT_HIST_CHUNK), \
                                   D, sp, sd, w, sw, e, nb, linear, lo, scale, h);   \
    }                                                                                \
    for (int t = 0; t < nt; t++)                                                     \
        for (int64_t b = 0; b < total; b++) hist[b] += priv[(int64_t)t * total + b]; \
    free(priv);                                                                      \
    free(lo);                                                                        \
    return 0;                                                                        \
}

CT__HISTDD(f32, float)
CT__HISTDD(f64, double)

int ct_histogramdd(int dtype, const void *x, int64_t n, int64_t D, int64_t sp, int64_t sd,
                   const void *w, int64_t sw, const void *const *e, const int64_t *nb,
                   const unsigned char *linear, double *hist)
{
    if (dtype == CT_FLOAT32)
        return ct__histdd_f32((const float *)x, n, D, sp, sd, (const float *)w, sw,
                              (const float *const *)e, nb, linear, hist);
    if (dtype == CT_FLOAT64)
        return ct__histdd_f64((const double *)x, n, D, sp, sd, (const double *)w, sw,
                              (const double *const *)e, nb, linear, hist);
    return -2;
}

/* the tables: the kernels differ per dtype only in pointer types */
ct_histogram_fn ct_histogram_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = (ct_histogram_fn)ct_histogram_f32,
    [CT_FLOAT64] = (ct_histogram_fn)ct_histogram_f64,
};
ct_minmax_range_fn ct_minmax_range_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = (ct_minmax_range_fn)ct_minmax_f32,
    [CT_FLOAT64] = (ct_minmax_range_fn)ct_minmax_f64,
};

/* min and max of n >= 1 int64 values, in one pass (a vector reduction: the
 * 64-bit compares need the AVX2 / AVX-512 clones) */
CT_MULTIVERSION void ct_minmax_i64(const int64_t *x, int64_t n, int64_t *mn, int64_t *mx)
{
    int64_t a = x[0], b = x[0];
    _Pragma("omp simd reduction(min:a) reduction(max:b)")
    for (int64_t i = 1; i < n; i++) {
        const int64_t v = x[i];
        a = v < a ? v : a;
        b = v > b ? v : b;
    }
    *mn = a; *mx = b;
}

/* cnt[x[i]] += 1 (w == NULL, cnt int64) or wsum[x[i]] += w[i]; the arrays
 * have nbins > max(x) zeroed entries. Returns -1 when out of memory. */
int ct_bincount(const int64_t *x, const double *w, int64_t n, int64_t nbins,
                int64_t *cnt, double *wsum)
{
    int nt = ct__hist_threads(n, nbins);
    if (nt == 1) {
        if (w) for (int64_t i = 0; i < n; i++) wsum[x[i]] += w[i];
        else   for (int64_t i = 0; i < n; i++) cnt[x[i]]++;
        return 0;
    }
    size_t isz = w ? sizeof(double) : sizeof(int64_t);
    char *priv = (char *)calloc((size_t)nt * (size_t)nbins, isz);
    if (!priv) return -1;
    int64_t nch = (n + CT_HIST_CHUNK - 1) / CT_HIST_CHUNK;
    _Pragma("omp parallel num_threads(nt)")
    {
        int t = omp_get_thread_num();
        if (w) {
            double *h = (double *)priv + (int64_t)t * nbins;
            _Pragma("omp for schedule(static)")
            for (int64_t c = 0; c < nch; c++)
                for (int64_t i = c * CT_HIST_CHUNK; i < CT__MIN(n, (c + 1) * CT_HIST_CHUNK); i++)
                    h[x[i]] += w[i];
        } else {
            int64_t *h = (int64_t *)priv + (int64_t)t * nbins;
            _Pragma("omp for schedule(dynamic, 1)")
            for (int64_t c = 0; c < nch; c++)
                for (int64_t i = c * CT_HIST_CHUNK; i < CT__MIN(n, (c + 1) * CT_HIST_CHUNK); i++)
                    h[x[i]]++;
        }
    }
    for (int t = 0; t < nt; t++) {
        if (w) {
            const double *h = (const double *)priv + (int64_t)t * nbins;
            for (int64_t b = 0; b < nbins; b++) wsum[b] += h[b];
        } else {
            const int64_t *h = (const int64_t *)priv + (int64_t)t * nbins;
            for (int64_t b = 0; b < nbins; b++) cnt[b] += h[b];
        }
    }
    free(priv);
    return 0;
}
