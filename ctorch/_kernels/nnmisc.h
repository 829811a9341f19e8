/* Kernels of batch normalisation over an input viewed as dense (N, C, S):
 * per-channel statistics, the normalising affine map, and the two passes of
 * the backward. Per-channel coefficients are double arrays of C values; the
 * kernels are in nnmisc.c. */
#ifndef CT_NNMISC_H
#define CT_NNMISC_H
#include <stdint.h>
#include "common.h"

/* mean[c] and the biased variance var[c] over the N * S values of channel c.
 * scratch: 3 * N * C doubles. */
typedef void (*ct_bn_stats_fn)(const void *x, int64_t N, int64_t C, int64_t S,
                               double *mean, double *var, double *scratch);
/* y = (x - mean[c]) * scale[c] + shift[c] */
typedef void (*ct_bn_apply_fn)(const void *x, void *y, int64_t N, int64_t C, int64_t S,
                               const double *mean, const double *scale, const double *shift);
/* sum_g[c] = sum of g, sum_gx[c] = sum of g * (x - mean[c]) over channel c.
 * scratch: 2 * N * C doubles. */
typedef void (*ct_bn_bwd_reduce_fn)(const void *g, const void *x, int64_t N, int64_t C,
                                    int64_t S, const double *mean, double *sum_g,
                                    double *sum_gx, double *scratch);
/* dx = g * a[c] + (x - mean[c]) * b[c] + d[c] */
typedef void (*ct_bn_bwd_apply_fn)(const void *g, const void *x, void *dx, int64_t N,
                                   int64_t C, int64_t S, const double *mean, const double *a,
                                   const double *b, const double *d);

/* tables: indexed by dtype code, float32 and float64 only */
extern ct_bn_stats_fn ct_bn_stats_loops[CT_NDTYPES];
extern ct_bn_apply_fn ct_bn_apply_loops[CT_NDTYPES];
extern ct_bn_bwd_reduce_fn ct_bn_bwd_reduce_loops[CT_NDTYPES];
extern ct_bn_bwd_apply_fn ct_bn_bwd_apply_loops[CT_NDTYPES];

#endif
