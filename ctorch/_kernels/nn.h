/* Kernels of ctorch.nn.functional that are not a row of the elementwise
 * tables: gelu (exact and tanh) with its derivative, and the negative
 * log-likelihood loss over an (N, C) matrix of log-probabilities.
 * Declarations: the kernels per dtype (float32, float64) and their tables;
 * the kernels are in nn.c. */
#ifndef CT_NN_H
#define CT_NN_H
#include <math.h>
#include <stdint.h>
#include "common.h"

/* ---- gelu ---------------------------------------------------------------- */

/* y = gelu(x) on contiguous arrays; approx 0: x * Phi(x), 1: the tanh form */
typedef void (*ct_gelu_fn)(const void *x, void *y, int64_t n, int approx);
/* dx = g * gelu'(x) */
typedef void (*ct_gelu_bwd_fn)(const void *g, const void *x, void *dx, int64_t n, int approx);

void ct_gelu_f32(const float *x, float *y, int64_t n, int approx);
void ct_gelu_f64(const double *x, double *y, int64_t n, int approx);
void ct_gelu_bwd_f32(const float *g, const float *x, float *dx, int64_t n, int approx);
void ct_gelu_bwd_f64(const double *g, const double *x, double *dx, int64_t n, int approx);

/* ---- negative log-likelihood ---------------------------------------------- */

/* Negative log-likelihood over rows of x (element strides sn, sc), targets t
 * (int64 or uint8 when tbyte, element stride st), optional per-class weight w
 * (contiguous, may be NULL). Per-row losses go to `rows` when it is not
 * NULL; *sum and *wsum receive the total loss and the total weight of the
 * rows whose target is not `ignore`. Returns -1, or the row whose target is
 * out of [0, C). */
typedef int64_t (*ct_nll_fn)(const void *x, int64_t N, int64_t C, int64_t sn, int64_t sc,
                             const void *t, int tbyte, int64_t st, const void *w,
                             int64_t ignore, void *rows, double *sum, double *wsum);
/* dx (contiguous N x C, zero-filled by the caller): dx[i, t_i] = -w[t_i] * g_i
 * * scale, g_i = g[i * sg] (sg 0: one scale for all rows); scale is rounded
 * to the dtype */
typedef void (*ct_nll_bwd_fn)(void *dx, int64_t N, int64_t C, const void *t, int tbyte,
                              int64_t st, const void *w, int64_t ignore, const void *g,
                              int64_t sg, double scale);

int64_t ct_nll_f32(const float *x, int64_t N, int64_t C, int64_t sn, int64_t sc,
                   const void *t, int tbyte, int64_t st, const float *w,
                   int64_t ignore, float *rows, double *sum, double *wsum);
int64_t ct_nll_f64(const double *x, int64_t N, int64_t C, int64_t sn, int64_t sc,
                   const void *t, int tbyte, int64_t st, const double *w,
                   int64_t ignore, double *rows, double *sum, double *wsum);
void ct_nll_bwd_f32(float *dx, int64_t N, int64_t C, const void *t, int tbyte,
                    int64_t st, const float *w, int64_t ignore, const float *g,
                    int64_t sg, float scale);
void ct_nll_bwd_f64(double *dx, int64_t N, int64_t C, const void *t, int tbyte,
                    int64_t st, const double *w, int64_t ignore, const double *g,
                    int64_t sg, double scale);
/* ct_nll_bwd_f32 / _f64 with the signature of ct_nll_bwd_fn (the entries of
 * ct_nll_bwd_loops): the f32 one rounds scale to float, as its callers did */
void ct_nll_bwd_any_f32(void *dx, int64_t N, int64_t C, const void *t, int tbyte,
                        int64_t st, const void *w, int64_t ignore, const void *g,
                        int64_t sg, double scale);
void ct_nll_bwd_any_f64(void *dx, int64_t N, int64_t C, const void *t, int tbyte,
                        int64_t st, const void *w, int64_t ignore, const void *g,
                        int64_t sg, double scale);

/* ---- tables: indexed by dtype code, float32 and float64 only -------------- */

extern ct_gelu_fn ct_gelu_loops[CT_NDTYPES];
extern ct_gelu_bwd_fn ct_gelu_bwd_loops[CT_NDTYPES];
extern ct_nll_fn ct_nll_loops[CT_NDTYPES];
extern ct_nll_bwd_fn ct_nll_bwd_loops[CT_NDTYPES];

/* ---- fused activations (nn.c): op codes, kernels, tables ------------------- */

enum { CT_ACT_SILU = 0, CT_ACT_SOFTPLUS = 1, CT_ACT_ELU = 2, CT_ACT_MISH = 3,
       CT_ACT_HARDSWISH = 4, CT_ACT_HARDSIGMOID = 5, CT_ACT_LEAKY_RELU = 6,
       CT_ACT_SOFTSHRINK = 7, CT_ACT_HARDSHRINK = 8, CT_ACT_LOGSIGMOID = 9,
       CT_ACT_THRESHOLD = 10, CT_ACT_SQRT_CLAMP = 11 };
/* y = f(x) over n contiguous elements; p: the activation's parameters */
typedef void (*ct_act_fn)(const void *x, void *y, int64_t n, int op, const double *p);
/* dx = g * f'(x) */
typedef void (*ct_act_bwd_fn)(const void *g, const void *x, void *dx, int64_t n, int op,
                              const double *p);
void ct_act_f32(const void *x, void *y, int64_t n, int op, const double *p);
void ct_act_f64(const void *x, void *y, int64_t n, int op, const double *p);
void ct_act_bwd_f32(const void *g, const void *x, void *dx, int64_t n, int op, const double *p);
void ct_act_bwd_f64(const void *g, const void *x, void *dx, int64_t n, int op, const double *p);
extern ct_act_fn ct_act_loops[CT_NDTYPES];
extern ct_act_bwd_fn ct_act_bwd_loops[CT_NDTYPES];

/* ---- glu (nn.c): x of outer blocks of 2h values, halves a and b; with g NULL
 * y = a * sigmoid(b) (outer blocks of h), else y is the gradient of x (blocks
 * of 2h) for the output's gradient g ---------------------------------------- */
typedef void (*ct_glu_fn)(const void *g, const void *x, void *y, int64_t outer, int64_t h);
extern ct_glu_fn ct_glu_loops[CT_NDTYPES];

/* ---- prelu (nn.c): nb blocks of S values, block b's slope w[b % C]; with g
 * NULL y = prelu(x), else y = dx for the gradient g and dwb[b] = the block's
 * sum of g x where x <= 0 ----------------------------------------------------- */
typedef void (*ct_prelu_fn)(const void *g, const void *x, const void *w, void *y, double *dwb,
                            int64_t nb, int64_t C, int64_t S);
extern ct_prelu_fn ct_prelu_loops[CT_NDTYPES];

/* ---- pointwise losses (nn.c): op CT_PL_*, its parameter p (smooth_l1's beta,
 * huber's delta); x, t and (where not NULL) pos_weight pw (bce_with_logits
 * only) and weight w: n contiguous values. The forward writes the n losses to
 * out, or with out NULL their sum to *sum; 0, or -2 when memory ran out. The
 * backward: dx = (g or 1) * gs * dloss/dx. */
enum { CT_PL_BCEL = 0, CT_PL_SMOOTH_L1 = 1, CT_PL_HUBER = 2, CT_PL_SOFT_MARGIN = 3 };
typedef int (*ct_ploss_fn)(int op, double p, const void *x, const void *t, const void *pw,
                           const void *w, void *out, int64_t n, double *sum);
typedef void (*ct_ploss_bwd_fn)(int op, double p, const void *g, double gs, const void *x,
                                const void *t, const void *pw, const void *w, void *dx, int64_t n);
extern ct_ploss_fn ct_ploss_loops[CT_NDTYPES];
extern ct_ploss_bwd_fn ct_ploss_bwd_loops[CT_NDTYPES];

#endif
