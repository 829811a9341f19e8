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

/* Group normalisation of dense (N, C, S) values in G groups of C / G channels:
 * y = (x - mean) * rstd * w[c] + b[c] (w, b: C values or NULL), mean and rstd
 * per (sample, group) (double). Its backward for the output's gradient g: dx
 * (NULL: not wanted), dw = sum g * xhat and db = sum g per channel (double;
 * NULL: not wanted); sums: scratch of 2 N C doubles. */
typedef void (*ct_gn_fwd_fn)(const void *x, const void *w, const void *b, void *y, double *mean,
                             double *rstd, int64_t N, int64_t C, int64_t S, int64_t G, double eps);
typedef void (*ct_gn_bwd_fn)(const void *g, const void *x, const void *w, const double *mean,
                             const double *rstd, void *dx, double *dw, double *db, int64_t N,
                             int64_t C, int64_t S, int64_t G, double *sums);

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

/* The product the sequence drivers below run (the backend's gemm: BLAS's
 * column-major conventions, alpha and beta pointing to values of the dtype) */
typedef void (*ct_nn_gemm_fn)(int dtype, char t1, char t2, int M, int N, int K, const void *alpha,
                              char *P, int ld1, const int64_t *off1, char *Q, int ld2,
                              const int64_t *off2, const void *beta, char *C, int ldc, int64_t nb);

/* One direction of one LSTM layer over T steps of B rows (float32 or
 * float64), everything dense and step-major, rows of the batch inside a
 * step: the inputs x (T, B, I); wih_t = W_ih^T (I, 4H) and whh_t = W_hh^T
 * (H, 4H) dense; bias (4H: b_ih + b_hh) or NULL; h0, c0 (B, H). Per block
 * of ct_lstm_seq_block(B) steps one gemm projects the inputs into gates
 * (then + bias), and each step adds h_{t-1} W_hh^T (one gemm) and turns
 * each row of its gates into their activations in place (sigmoid of the
 * i, f, o blocks, tanh of the cell block: what the backward reads). out and
 * cs (T, B, H) get each step's h and c. When save, gates (T, B, 4H) and tc
 * (T, B, H, tanh(c)) keep every step's; otherwise gates holds one block's
 * steps and tc one step's, reused. Steps run from T - 1 down to 0 when
 * reverse. The pointwise part is the values of the elementwise ops one at a
 * time. Returns 0, -1 for another dtype. */
int ct_lstm_seq_fwd(ct_nn_gemm_fn gemm, int dtype, int64_t T, int64_t B, int64_t H, int64_t In,
                    const char *x, const char *wih_t, const char *bias, const char *whh_t,
                    const char *h0, const char *c0, char *gates, char *out, char *cs, char *tc,
                    int save, int reverse);
/* the steps per block of ct_lstm_seq_fwd for a batch of B rows */
int64_t ct_lstm_seq_block(int64_t B);

/* Its backward from the gradients of out (dout, (T, B, H)) and of the last
 * step's h and c (dhn, dcn, (B, H)) with what the forward left (the
 * activated gates a, tc, cs) and c0, w_hh (4H, H): the gates' gradients dg
 * (T, B, 4H) and h0's and c0's (dh0, dc0), the steps walked in reverse: per
 * step the lstm_bwd kernel per row, then dh_{t-1} = dg_t W_hh (one gemm).
 * Returns 0, -1 for another dtype or when out of memory. */
int ct_lstm_seq_bwd(ct_nn_gemm_fn gemm, int dtype, int64_t T, int64_t B, int64_t H,
                    const char *dout, const char *dhn, const char *dcn, const char *a,
                    const char *tc, const char *cs, const char *c0, const char *w_hh, char *dg,
                    char *dh0, char *dc0, int reverse);

/* tables: indexed by dtype code, float32 and float64 only */
extern ct_bn_stats_fn ct_bn_stats_loops[CT_NDTYPES];
extern ct_bn_apply_fn ct_bn_apply_loops[CT_NDTYPES];
extern ct_bn_bwd_reduce_fn ct_bn_bwd_reduce_loops[CT_NDTYPES];
extern ct_bn_bwd_apply_fn ct_bn_bwd_apply_loops[CT_NDTYPES];
extern ct_ln_fwd_fn ct_ln_fwd_loops[CT_NDTYPES];
extern ct_ln_bwd_fn ct_ln_bwd_loops[CT_NDTYPES];
extern ct_gn_fwd_fn ct_gn_fwd_loops[CT_NDTYPES];
extern ct_gn_bwd_fn ct_gn_bwd_loops[CT_NDTYPES];
extern ct_lstm_bwd_fn ct_lstm_bwd_loops[CT_NDTYPES];
extern ct_lstm_fwd_fn ct_lstm_fwd_loops[CT_NDTYPES];

#endif
