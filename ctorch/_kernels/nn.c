/* Kernels of ctorch.nn.functional that are not a row of the elementwise
 * tables: gelu (exact and tanh) with its derivative, and the negative
 * log-likelihood loss over an (N, C) matrix of log-probabilities; nn.h
 * declares them and the tables (per dtype) that the backend hands out. */
#include <math.h>
#include <stdint.h>
#include "nn.h"
#include "common.h"
#include "fastmath.h"

#define CT_NN_GRAIN 32768
#define CT_SQRT1_2 0.70710678118654752440
#define CT_INV_SQRT_2PI 0.39894228040143267794
#define CT_SQRT_2_PI 0.79788456080286535588

/* float: fastmath.h's vectorisable erf, tanh and exp; double: libm's */
#define CT_NN_TANH_f ct_tanhf
#define CT_NN_TANH_ tanh
#define CT_NN_ERF_f ct_erff
#define CT_NN_ERF_ erf
#define CT_NN_EXP_f ct_expf
#define CT_NN_EXP_ exp

/* y = gelu(x) on contiguous arrays; approx 0: x * Phi(x), 1: the tanh form */
#define CT_GELU(S, T, F)                                                           \
CT_MULTIVERSION void ct_gelu_##S(const T *x, T *y, int64_t n, int approx)          \
{                                                                                  \
    int64_t i;                                                                     \
    if (approx) {                                                                  \
        _Pragma("omp parallel for schedule(static) if (n > CT_NN_GRAIN)")          \
        for (i = 0; i < n; i++) {                                                  \
            T v = x[i];                                                            \
            T u = (T)CT_SQRT_2_PI * (v + (T)0.044715 * v * v * v);                 \
            y[i] = (T)0.5 * v * ((T)1 + CT_NN_TANH_##F(u));                               \
        }                                                                          \
    } else {                                                                       \
        _Pragma("omp parallel for schedule(static) if (n > CT_NN_GRAIN)")          \
        for (i = 0; i < n; i++) {                                                  \
            T v = x[i];                                                            \
            y[i] = (T)0.5 * v * ((T)1 + CT_NN_ERF_##F(v * (T)CT_SQRT1_2));                \
        }                                                                          \
    }                                                                              \
}                                                                                  \
/* dx = g * gelu'(x) */                                                            \
CT_MULTIVERSION void ct_gelu_bwd_##S(const T *g, const T *x, T *dx, int64_t n, int approx) \
{                                                                                  \
    int64_t i;                                                                     \
    if (approx) {                                                                  \
        _Pragma("omp parallel for schedule(static) if (n > CT_NN_GRAIN)")          \
        for (i = 0; i < n; i++) {                                                  \
            T v = x[i];                                                            \
            T u = (T)CT_SQRT_2_PI * (v + (T)0.044715 * v * v * v);                 \
            T t = CT_NN_TANH_##F(u);                                                      \
            T du = (T)CT_SQRT_2_PI * ((T)1 + (T)(3 * 0.044715) * v * v);           \
            dx[i] = g[i] * ((T)0.5 * ((T)1 + t) + (T)0.5 * v * ((T)1 - t * t) * du); \
        }                                                                          \
    } else {                                                                       \
        _Pragma("omp parallel for schedule(static) if (n > CT_NN_GRAIN)")          \
        for (i = 0; i < n; i++) {                                                  \
            T v = x[i];                                                            \
            T cdf = (T)0.5 * ((T)1 + CT_NN_ERF_##F(v * (T)CT_SQRT1_2));                   \
            T pdf = (T)CT_INV_SQRT_2PI * CT_NN_EXP_##F((T)-0.5 * v * v);                  \
            dx[i] = g[i] * (cdf + v * pdf);                                        \
        }                                                                          \
    }                                                                              \
}
CT_GELU(f32, float, f)
CT_GELU(f64, double, )

/* Negative log-likelihood over rows of x (element strides sn, sc), targets t
 * (int64 or uint8 when tbyte, element stride st), optional per-class weight w
 * (contiguous, may be NULL). Per-row losses go to `rows` when it is not
 * NULL; *sum and *wsum receive the total loss and the total weight of the
 * rows whose target is not `ignore`. Returns -1, or the row whose target is
 * out of [0, C). */
#define CT_NLL(S, T)                                                               \
int64_t ct_nll_##S(const T *x, int64_t N, int64_t C, int64_t sn, int64_t sc,        \
                   const void *t, int tbyte, int64_t st, const T *w,                \
                   int64_t ignore, T *rows, double *sum, double *wsum)              \
{                                                                                  \
    double s = 0, ws = 0;                                                          \
    for (int64_t i = 0; i < N; i++) {                                              \
        int64_t k = tbyte ? (int64_t)((const uint8_t *)t)[i * st]                  \
                          : ((const int64_t *)t)[i * st];                          \
        if (k == ignore) {                                                         \
            if (rows) rows[i] = 0;                                                 \
            continue;                                                              \
        }                                                                          \
        if (k < 0 || k >= C) return i;                                             \
        T wk = w ? w[k] : (T)1;                                                    \
        T l = -wk * x[i * sn + k * sc];                                            \
        if (rows) rows[i] = l;                                                     \
        s += l;                                                                    \
        ws += wk;                                                                  \
    }                                                                              \
    *sum = s;                                                                      \
    *wsum = ws;                                                                    \
    return -1;                                                                     \
}                                                                                  \
/* dx (contiguous N x C, zero-filled by the caller): dx[i, t_i] = -w[t_i] * g_i,  \
 * g_i = g[i * sg] (sg 0: one scale for all rows) */                              \
void ct_nll_bwd_##S(T *dx, int64_t N, int64_t C, const void *t, int tbyte,         \
                    int64_t st, const T *w, int64_t ignore, const T *g,             \
                    int64_t sg, T scale)                                            \
{                                                                                  \
    for (int64_t i = 0; i < N; i++) {                                              \
        int64_t k = tbyte ? (int64_t)((const uint8_t *)t)[i * st]                  \
                          : ((const int64_t *)t)[i * st];                          \
        if (k == ignore || k < 0 || k >= C) continue;                              \
        dx[i * C + k] = -(w ? w[k] : (T)1) * g[i * sg] * scale;                    \
    }                                                                              \
}
CT_NLL(f32, float)
CT_NLL(f64, double)

/* ---- the tables -------------------------------------------------------------
 * gelu and nll differ per dtype only in pointer types, so the tables hold the
 * kernels themselves; nll_bwd takes its scale by value (float for f32), so
 * its table holds wrappers with the one signature of ct_nll_bwd_fn. */
#define CT_NLL_BWD_ANY(S, T)                                                       \
void ct_nll_bwd_any_##S(void *dx, int64_t N, int64_t C, const void *t, int tbyte,  \
                        int64_t st, const void *w, int64_t ignore, const void *g,  \
                        int64_t sg, double scale)                                  \
{                                                                                  \
    ct_nll_bwd_##S((T *)dx, N, C, t, tbyte, st, (const T *)w, ignore, (const T *)g, \
                   sg, (T)scale);                                                  \
}
CT_NLL_BWD_ANY(f32, float)
CT_NLL_BWD_ANY(f64, double)

ct_gelu_fn ct_gelu_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = (ct_gelu_fn)ct_gelu_f32, [CT_FLOAT64] = (ct_gelu_fn)ct_gelu_f64,
};
ct_gelu_bwd_fn ct_gelu_bwd_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = (ct_gelu_bwd_fn)ct_gelu_bwd_f32, [CT_FLOAT64] = (ct_gelu_bwd_fn)ct_gelu_bwd_f64,
};
ct_nll_fn ct_nll_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = (ct_nll_fn)ct_nll_f32, [CT_FLOAT64] = (ct_nll_fn)ct_nll_f64,
};
ct_nll_bwd_fn ct_nll_bwd_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ct_nll_bwd_any_f32, [CT_FLOAT64] = ct_nll_bwd_any_f64,
};
