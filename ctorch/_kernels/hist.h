/* Histograms: histc/histogram (counts or weight sums over bin edges) and
 * bincount, with the min/max passes that find their range. Declarations:
 * the kernels and their per-dtype tables (float32, float64); the kernels are
 * in hist.c. Counts accumulate in double (exact up to 2^53) or int64 and the
 * caller casts to the result dtype.
 */
#ifndef CT_HIST_H
#define CT_HIST_H

#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "common.h"

/* hist[b] += (w ? w[i] : 1) for the bin b of x[i] among the edges e[0..nb]
 * (bin b = [e_b, e_b+1), the last one closed; values outside, nan included,
 * are skipped); linear: the edges are equally spaced. hist: nb doubles,
 * zeroed. Returns -1 when out of memory. */
typedef int (*ct_histogram_fn)(const void *x, const void *w, int64_t n, const void *e,
                               int64_t nb, int linear, double *hist);
/* min and max of n >= 1 values; both nan when one is nan. */
typedef void (*ct_minmax_range_fn)(const void *x, int64_t n, double *mn, double *mx);

int ct_histogram_f32(const float *x, const float *w, int64_t n, const float *e,
                     int64_t nb, int linear, double *hist);
int ct_histogram_f64(const double *x, const double *w, int64_t n, const double *e,
                     int64_t nb, int linear, double *hist);
void ct_minmax_f32(const float *x, int64_t n, double *mn, double *mx);
void ct_minmax_f64(const double *x, int64_t n, double *mn, double *mx);

/* indexed by dtype code: float32 and float64 only */
extern ct_histogram_fn ct_histogram_loops[CT_NDTYPES];
extern ct_minmax_range_fn ct_minmax_range_loops[CT_NDTYPES];

/* The D-dimensional histogram of n points, coordinate k of point i at
 * x[i * sp + k * sd] (strides in elements): hist[flat] += (w ? w[i * sw] : 1)
 * where flat is the row-major index of the point's bins over the dims (bin of
 * dim k among the edges e[k][0..nb[k]] as in ct_histogram, equally spaced
 * when linear[k]); a point with any coordinate outside its edges (nan
 * included) is skipped. hist: prod(nb) doubles, zeroed. dtype float32 or
 * float64 (x, w and the edges alike); returns -2 for another dtype, -1 when
 * out of memory. */
typedef int (*ct_histogramdd_fn)(int dtype, const void *x, int64_t n, int64_t D, int64_t sp,
                                 int64_t sd, const void *w, int64_t sw, const void *const *e,
                                 const int64_t *nb, const unsigned char *linear, double *hist);
int ct_histogramdd(int dtype, const void *x, int64_t n, int64_t D, int64_t sp, int64_t sd,
                   const void *w, int64_t sw, const void *const *e, const int64_t *nb,
                   const unsigned char *linear, double *hist);

/* min and max of n >= 1 int64 values, in one pass. */
void ct_minmax_i64(const int64_t *x, int64_t n, int64_t *mn, int64_t *mx);

/* cnt[x[i]] += 1 (w == NULL, cnt int64) or wsum[x[i]] += w[i]; the arrays
 * have nbins > max(x) zeroed entries. Returns -1 when out of memory. */
int ct_bincount(const int64_t *x, const double *w, int64_t n, int64_t nbins,
                int64_t *cnt, double *wsum);

#endif /* CT_HIST_H */
