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

/* Layer normalisation over the last N values of M dense rows: y = (x - mean)
 * * rstd * w + b (w, b: N values or NULL), mean and rstd per row (double). */
typedef void (*ct_ln_fwd_fn)(const void *x, const void *w, const void *b, void *y,
                             double *mean, double *rstd, int64_t M, int64_t N, double eps);
/* Its backward for the output's gradient g: dx (NULL: not wanted), and the
 * column sums dw = sum g * xhat, db = sum g (double, N values; NULL: not
 * wanted). */
typedef void (*ct_ln_bwd_fn)(const void *g, const void *x, const void *w, const double *mean,
                             const double *rstd, void *dx, double *dw, double *db, int64_t M,
                             int64_t N);

/* One LSTM step's gate gradients over dense (H, B) blocks (hb = H B values
 * each): from the gates' activations a (4H, B: sigmoid of every block; i, f,
 * o used), g = tanh of the cell block, the previous cell state cp, tc =
 * tanh(c'), and the gradients dh of h' and dc of c':
 *   dcy = dh o (1 - tc^2) + dc, dg = [dcy g i (1 - i); dcy cp f (1 - f);
 *   dcy i (1 - g^2); dh tc o (1 - o)] (4H, B), dcp = dcy f,
 * each product and difference rounded as the ops one at a time would. */
typedef void (*ct_lstm_bwd_fn)(int64_t hb, const void *a, const void *g, const void *cp,
                               const void *tc, const void *dh, const void *dc, void *dg,
                               void *dcp);

/* One LSTM step's pointwise forward over dense (H, B) blocks: from the
 * pre-activation gates gt (4H, B) and the cell state c, a = sigmoid(gt)
 * (4H, B), g = tanh of its cell block, c' = f c + i g, tc = tanh(c'), h' =
 * o tc: the values of the elementwise ops one at a time (float32 only: the
 * float64 tanh takes another form on some CPUs). */
typedef void (*ct_lstm_fwd_fn)(int64_t hb, const void *gt, const void *c, void *a, void *g,
                               void *cy, void *tc, void *hy);

/* tables: indexed by dtype code, float32 and float64 only */
extern ct_bn_stats_fn ct_bn_stats_loops[CT_NDTYPES];
extern ct_bn_apply_fn ct_bn_apply_loops[CT_NDTYPES];
extern ct_bn_bwd_reduce_fn ct_bn_bwd_reduce_loops[CT_NDTYPES];
extern ct_bn_bwd_apply_fn ct_bn_bwd_apply_loops[CT_NDTYPES];
extern ct_ln_fwd_fn ct_ln_fwd_loops[CT_NDTYPES];
extern ct_ln_bwd_fn ct_ln_bwd_loops[CT_NDTYPES];
extern ct_lstm_bwd_fn ct_lstm_bwd_loops[CT_NDTYPES];
extern ct_lstm_fwd_fn ct_lstm_fwd_loops[CT_NDTYPES];

#endif
