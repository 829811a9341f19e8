/* Kernels of ctorch.nn.functional that are not a row of the elementwise
 * tables: gelu (exact and tanh) with its derivative, and the negative
 * log-likelihood loss over an (N, C) matrix of log-probabilities; nn.h
 * declares them and the tables (per dtype) that the backend hands out. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include "nn.h"
#include "common.h"
#include "fastmath.h"
#include "fastmath_d.h"
#include "strided.h"
#include "halfconv.h"
#include "halfvec256.h"
#ifdef CT_HAVE_AVX512_TABLES
#include "gelu512.h"
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#define CT_HAVE_GELU256 1
#include "gelu256.h"
#endif

#define CT_NN_GRAIN 32768
#define CT_INV_SQRT_2PI 0.39894228040143267794
#define CT_SQRT_2_PI 0.79788456080286535588

/* float: fastmath.h's vectorisable tanh and exp; double: fastmath_d.h's
 * (libm's ran the double activations at 0.35-0.55x PyTorch's speed) */
#define CT_NN_TANH_f ct_tanhf
#define CT_NN_TANH_ ct_tanh_d1
#define CT_NN_EXP_f ct_expf
#define CT_NN_EXP_ ct_exp_d1

/* Exact gelu of float, branch free (the loops vectorise). With a = |x|,
 * Q = Phi(-a) = R(t) e^(-a^2/2), t = 1 / (1 + p a), p = 0.26 (a float), and
 * R of degree 9 in t fitted (weighted least squares iterated towards the
 * minimax error) to Phi(-a) e^(a^2/2) for a in [0, 14.5]: relative error
 * 5.8e-9. gelu(x) = x - x Q for x > 0, x Q for x <= 0 (no cancellation
 * either way: Q <= 1/2, and Q keeps its relative accuracy for x < 0).
 * t's rounding (that of 1 + p a and of the quotient) would show three times
 * over in R near a = 0 (t R'(t) / R = 3 there), so it is carried as
 * t del (del from two fmas) into R through a quadratic fit of R'(t).
 * R by Estrin's scheme. e^(-a^2/2): a^2 / 2 = z + zl (zl by an fma),
 * k = round(-z / ln2), r = -z - k ln2 (ln2 in two parts) - zl, e^r by
 * fastmath.h's polynomial, 2^k applied as 2^(k + 64) and 2^-64 last so
 * that results below 2^-126 round once, as denormals. a is clamped to 14.5,
 * past which gelu(-a) rounds to -0 and gelu(a) is a (x > 14.5 returns x,
 * inf too; x < -14.5 gives x * 0, NaN for -inf as PyTorch's). Largest
 * error over every 7th float of [-15, 6] against a double reference:
 * 3.7 ulp for x > 0, 4.7 for x < 0 (denormal results in units of 2^-149). */
#define CT_GELU_P 0.2599999905f
CT_FM_INLINE float ct_gelu_parts_f(float x, float *e64)
{
    float a = __builtin_fabsf(x);
    a = a < 14.5f ? a : 14.5f;
    float u = __builtin_fmaf(CT_GELU_P, a, 1.0f);
    float ul = __builtin_fmaf(CT_GELU_P, a, 1.0f - u);
    float t = 1.0f / u;
    float del = __builtin_fmaf(-ul, t, __builtin_fmaf(-u, t, 1.0f));
    float t2 = t * t, t4 = t2 * t2;
    float e01 = __builtin_fmaf(1.039064974e-01f, t, -7.160772384e-06f);
    float e23 = __builtin_fmaf(1.094775572e-01f, t, 1.017163172e-01f);
    float e45 = __builtin_fmaf(2.000968307e-01f, t, 3.121894598e-02f);
    float e67 = __builtin_fmaf(2.909641564e-01f, t, -2.007867843e-01f);
    float e89 = __builtin_fmaf(3.392478824e-02f, t, -1.705111414e-01f);
    float lo = __builtin_fmaf(e23, t2, e01), hi = __builtin_fmaf(e67, t2, e45);
    float R = __builtin_fmaf(__builtin_fmaf(e89, t4, hi), t4, lo);
    float dR = __builtin_fmaf(__builtin_fmaf(2.37504707f, t, -1.26577809f), t, 0.37110187f);
    R = __builtin_fmaf(t * del, dR, R);
    float z = 0.5f * a * a, zl = 0.5f * __builtin_fmaf(a, a, -2.0f * z);
    const float shift = 12582912.0f;
    float kf = __builtin_fmaf(-z, 1.44269502162933349609375f, shift) - shift;
    float r = __builtin_fmaf(kf, -0.693359375f, -z);
    r = __builtin_fmaf(kf, 2.12194440e-4f, r) - zl;
    /* k in [-152, 0]: 2^(k + 64) is a normal float */
    *e64 = ct_exp_poly(r) * ct_bits_to_float((uint32_t)((int32_t)kf + 64 + 127) << 23);
    return R;
}
#define CT_TWO_M64 5.42101086242752217e-20f
CT_FM_INLINE float ct_gelu_exact_f(float x)
{
    float e64, R = ct_gelu_parts_f(x, &e64);
    float xq = (x * R) * e64;                      /* x Q 2^64 */
    float y = x > 0.0f ? __builtin_fmaf(-xq, CT_TWO_M64, x) : xq * CT_TWO_M64;
    y = x < -14.5f ? x * 0.0f : y;
    return x > 14.5f ? x : y;
}
/* gelu'(x) = Phi(x) + x phi(x) = 1 + E (x / sqrt(2 pi) - R) for x > 0,
 * E (R + x / sqrt(2 pi)) otherwise, E = e^(-x^2/2); relative accuracy as
 * the forward's except around gelu's minimum (x = -0.7518), where the sum
 * cancels. Past the clamp: 1 above 14.5 (NaN for +inf), +0 below -14.5
 * (NaN for -inf), as PyTorch's. */
CT_FM_INLINE float ct_gelu_deriv_f(float x)
{
    float e64, R = ct_gelu_parts_f(x, &e64);
    float w = x * (float)CT_INV_SQRT_2PI;
    float y = x > 0.0f ? __builtin_fmaf(e64 * CT_TWO_M64, w - R, 1.0f) : (e64 * (R + w)) * CT_TWO_M64;
    y = x < -14.5f ? x - x : y;
    return x > 14.5f ? (x - x) + 1.0f : y;
}
/* Exact gelu of double, branch free (the loops vectorise), the float
 * kernel's structure in double: with a = |x| (clamped to CT_GELU_D_MAX),
 * Q = Phi(-a) = R e^(-a^2/2), R = t S(t - CT_GELU_D_UC), t = 1 / (1 + p a),
 * p = 3/16, S of degree 23 fitted to Phi(-a) e^(a^2/2) / t by Chebyshev
 * interpolation in t at 50 digits over a in [0, 38.75] (relative error
 * below 2e-18), expanded about t = 1/2 and evaluated by Estrin's scheme.
 * t's rounding (of 1 + p a and of the quotient) is carried as t del (del
 * from two fmas) into R through a quadratic fit of R'(t), as in the float
 * kernel. e^(-a^2/2): a^2 / 2 = z + zl exactly (zl by an fma),
 * k = round(-z / ln2), r = -z - k ln2hi exact (ln2hi with 12 trailing zero
 * bits, k in [-1084, 0]), rl = -zl - k ln2lo; e^(r + rl) = 1 + s,
 * s = m + rl (1 + m), m = e^r - 1 = r + r^2 P(r), P of degree 10 (fitted
 * as S; error below 2e-19 for |r| <= ln2 / 2). 2^k is applied as
 * 2^(k + 600) and 2^-600 last, so that results below 2^-1022 round once, as
 * denormals. gelu(x) = x - x Q for x > 0, x Q for x <= 0 (no cancellation
 * either way). Past |x| = 38.75 gelu(-a) rounds to -0 (it does from
 * -38.7387 on) and gelu(a) is a: x > 38.75 returns x (inf too), x < -38.75
 * gives x * 0 (NaN for -inf, as PyTorch's). Largest error against mpmath
 * (every 1e-4 of [-40, 10]; random points: 100000 in [-40, 10], 40000 in
 * [-5, 5], 20000 in each of [-38.8, -35], [-1, -0.5] and |x| in
 * [1e-300, 1]): 4.9 ulp (denormal results in units of 2^-1074). */
#define CT_GELU_D_MAX 38.75
#define CT_GELU_D_P 0.1875
#define CT_GELU_D_UC 0.5
CT_FM_INLINE double ct_gelu_parts_d(double x, double *s, double *sc)
{
    double a = __builtin_fabs(x);
    a = a < CT_GELU_D_MAX ? a : CT_GELU_D_MAX;
    double u = __builtin_fma(CT_GELU_D_P, a, 1.0);
    double ul = __builtin_fma(CT_GELU_D_P, a, 1.0 - u);
    double t = 1.0 / u;
    double del = __builtin_fma(-ul, t, __builtin_fma(-u, t, 1.0));
    double v = t - CT_GELU_D_UC;
    double v2 = v * v, v4 = v2 * v2, v8 = v4 * v4;
    double c0 = __builtin_fma(0.2546557713220985, v, 0.1448195141384369);
    double c1 = __builtin_fma(0.5249584584356293, v, 0.39225747602952193);
    double c2 = __builtin_fma(0.574682026450413, v, 0.6014650773633478);
    double c3 = __builtin_fma(0.22976160852580707, v, 0.4350226799317197);
    double c4 = __builtin_fma(-0.05144143704469548, v, 0.04424999223260926);
    double c5 = __builtin_fma(-0.0062666013708484675, v, -0.050379783586271897);
    double c6 = __builtin_fma(0.011311609446003715, v, 0.01990503184397919);
    double c7 = __builtin_fma(-0.00782906081086323, v, -0.0061774317545317745);
    double c8 = __builtin_fma(0.004815596253759613, v, 0.001663605914404754);
    double c9 = __builtin_fma(-0.0028783412877549154, v, -0.0004821478447012975);
    double c10 = __builtin_fma(0.001387365281296999, v, 0.00038406811454427836);
    double c11 = __builtin_fma(-0.0002006615332406343, v, -0.00038249873086103846);
    double d0 = __builtin_fma(c1, v2, c0), d1 = __builtin_fma(c3, v2, c2);
    double d2 = __builtin_fma(c5, v2, c4), d3 = __builtin_fma(c7, v2, c6);
    double d4 = __builtin_fma(c9, v2, c8), d5 = __builtin_fma(c11, v2, c10);
    double e0 = __builtin_fma(d1, v4, d0), e1 = __builtin_fma(d3, v4, d2);
    double e2 = __builtin_fma(d5, v4, d4);
    double S = __builtin_fma(__builtin_fma(e2, v8, e1), v8, e0);
    double R = t * S;
    double dR = __builtin_fma(__builtin_fma(3.654964888443408, t, -2.117431573818858), t, 0.3732593117788064);
    R = __builtin_fma(t * del, dR, R);
    double z = 0.5 * (a * a), zl = 0.5 * __builtin_fma(a, a, -(a * a));
    const double shift = 6755399441055744.0;
    double kb = __builtin_fma(-z, 1.4426950408889634, shift);
    double kf = kb - shift;
    double r = __builtin_fma(kf, -0.693147180559663, -z);
    double rl = __builtin_fma(kf, -2.8235290563031577e-13, -zl);
    double r2 = r * r;
    double p = __builtin_fma(2.0914686968086876e-09, r, 2.5105217004720745e-08);
    double q = __builtin_fma(2.75572736431103e-07, r, 2.7557255400206422e-06);
    double g = __builtin_fma(2.4801587325547743e-05, r, 0.00019841269874820627);
    double h = __builtin_fma(0.0013888888888883748, r, 0.008333333333326136);
    double l = __builtin_fma(0.04166666666666667, r, 0.1666666666666667);
    p = __builtin_fma(p, r2, q);
    g = __builtin_fma(g, r2, h);
    double r4 = r2 * r2;
    p = __builtin_fma(p, r4, g);
    l = __builtin_fma(l, r, 0.5);
    double em1 = __builtin_fma(r2, __builtin_fma(p, r2 * r, l), r);
    *s = em1 + __builtin_fma(rl, em1, rl);
    int64_t k = (int64_t)(ct_double_to_bits(kb) - ct_double_to_bits(shift)) + 600;
    *sc = ct_bits_to_double((uint64_t)(k + 1023) << 52);
    return R;
}
#define CT_TWO_M600 2.4099198651028841e-181
CT_FM_INLINE double ct_gelu_exact_d(double x)
{
    double s, sc, R = ct_gelu_parts_d(x, &s, &sc);
    double q = __builtin_fma(R, s, R) * sc;
    double xq = x * q;
    double y = x > 0.0 ? __builtin_fma(-xq, CT_TWO_M600, x) : xq * CT_TWO_M600;
    y = x < -CT_GELU_D_MAX ? x * 0.0 : y;
    return x > CT_GELU_D_MAX ? x : y;
}
/* gelu'(x) = 1 + E (x / sqrt(2 pi) - R) for x > 0, E (R + x / sqrt(2 pi))
 * otherwise, E = e^(-x^2/2) = (1 + s) 2^k: within 5.6 ulp over the points
 * above, except around gelu's minimum (x = -0.7518), where the sum cancels
 * (there within 3 ulps of the terms' size). Past 38.75: 1 (NaN for +inf),
 * and +0 below -38.75 (NaN for -inf), as PyTorch's. */
CT_FM_INLINE double ct_gelu_deriv_d(double x)
{
    double s, sc, R = ct_gelu_parts_d(x, &s, &sc);
    double ep = ((1.0 + s) * sc) * CT_TWO_M600;
    double pos = __builtin_fma(ep, __builtin_fma(x, CT_INV_SQRT_2PI, -R), 1.0);
    double m = __builtin_fma(x, CT_INV_SQRT_2PI, R);
    double neg = (__builtin_fma(m, s, m) * sc) * CT_TWO_M600;
    double y = x > 0.0 ? pos : neg;
    y = x < -CT_GELU_D_MAX ? x - x : y;
    return x > CT_GELU_D_MAX ? (x - x) + 1.0 : y;
}
#define CT_NN_GELU_f(v) ct_gelu_exact_f(v)
#define CT_NN_GELU_(v) ct_gelu_exact_d(v)
#define CT_NN_DGELU_f(v) ct_gelu_deriv_f(v)
#define CT_NN_DGELU_(v) ct_gelu_deriv_d(v)

/* y = gelu(x) on contiguous arrays; approx 0: x * Phi(x), 1: the tanh form */
#define CT_GELU(S, T, F)                                                           \
CT_MULTIVERSION void ct_gelu_body_##S(const T *x, T *y, int64_t n, int approx)          \
{                                                                                  \
    int64_t i;                                                                     \
    if (approx) {                                                                  \
        for (i = 0; i < n; i++) {                                                  \
            T v = x[i];                                                            \
            T u = (T)CT_SQRT_2_PI * (v + (T)0.044715 * v * v * v);                 \
            y[i] = (T)0.5 * v * ((T)1 + CT_NN_TANH_##F(u));                               \
        }                                                                          \
    } else {                                                                       \
        _Pragma("omp simd")                                                        \
        for (i = 0; i < n; i++)                                                    \
            y[i] = CT_NN_GELU_##F(x[i]);                                           \
    }                                                                              \
}                                                                                  \
/* dx = g * gelu'(x) */                                                            \
CT_MULTIVERSION void ct_gelu_bwd_body_##S(const T *g, const T *x, T *dx, int64_t n, int approx) \
{                                                                                  \
    int64_t i;                                                                     \
    if (approx) {                                                                  \
        for (i = 0; i < n; i++) {                                                  \
            T v = x[i];                                                            \
            T u = (T)CT_SQRT_2_PI * (v + (T)0.044715 * v * v * v);                 \
            T t = CT_NN_TANH_##F(u);                                                      \
            T du = (T)CT_SQRT_2_PI * ((T)1 + (T)(3 * 0.044715) * v * v);           \
            dx[i] = g[i] * ((T)0.5 * ((T)1 + t) + (T)0.5 * v * ((T)1 - t * t) * du); \
        }                                                                          \
    } else {                                                                       \
        _Pragma("omp simd")                                                        \
        for (i = 0; i < n; i++) {                                                  \
            T v = x[i];                                                            \
            dx[i] = g[i] * CT_NN_DGELU_##F(v);                                     \
        }                                                                          \
    }                                                                              \
} \
/* the bodies above (or, for float's exact gelu with AVX-512F, gelu512.h's;    \
 * fast says which) run on blocks of CT_NN_GRAIN elements, one per thread:     \
 * the target clones are the bodies', outside the parallel region */          \
void ct_gelu_##S(const T *x, T *y, int64_t n, int approx)                          \
{                                                                                  \
    int fast = CT_GELU_FAST_##S(approx);                                           \
    if (n <= CT_NN_GRAIN || ct_get_num_threads() <= 1) {                           \
        ct_gelu_blk_##S(x, y, n, approx, fast);                                    \
        return;                                                                    \
    }                                                                              \
    int64_t nb = (n + CT_NN_GRAIN - 1) / CT_NN_GRAIN, b;                           \
    _Pragma("omp parallel for schedule(static)")                                   \
    for (b = 0; b < nb; b++) {                                                     \
        int64_t lo = b * CT_NN_GRAIN, m = n - lo < CT_NN_GRAIN ? n - lo : CT_NN_GRAIN; \
        ct_gelu_blk_##S(x + lo, y + lo, m, approx, fast);                          \
    }                                                                              \
}                                                                                  \
void ct_gelu_bwd_##S(const T *g, const T *x, T *dx, int64_t n, int approx)         \
{                                                                                  \
    int fast = CT_GELU_FAST_##S(approx);                                           \
    if (n <= CT_NN_GRAIN || ct_get_num_threads() <= 1) {                           \
        ct_gelu_bwd_blk_##S(g, x, dx, n, approx, fast);                            \
        return;                                                                    \
    }                                                                              \
    int64_t nb = (n + CT_NN_GRAIN - 1) / CT_NN_GRAIN, b;                           \
    _Pragma("omp parallel for schedule(static)")                                   \
    for (b = 0; b < nb; b++) {                                                     \
        int64_t lo = b * CT_NN_GRAIN, m = n - lo < CT_NN_GRAIN ? n - lo : CT_NN_GRAIN; \
        ct_gelu_bwd_blk_##S(g + lo, x + lo, dx + lo, m, approx, fast);             \
    }                                                                              \
}
#define CT_GELU_BLOCKS(S, T)                                                       \
static void ct_gelu_blk_##S(const T *x, T *y, int64_t n, int approx, int fast)     \
{                                                                                  \
    CT_GELU_FAST_BODY_##S(CT_GELU512_FWD_##S(x, y, n));                            \
    CT_GELU_FAST_BODY256_##S(ct_gelu256_body(x, y, n, ct_gelu_exact_body_f32));    \
    ct_gelu_body_##S(x, y, n, approx);                                             \
}                                                                                  \
static void ct_gelu_bwd_blk_##S(const T *g, const T *x, T *dx, int64_t n, int approx, int fast) \
{                                                                                  \
    CT_GELU_FAST_BODY_##S(CT_GELU512_BWD_##S(g, x, dx, n));                        \
    ct_gelu_bwd_body_##S(g, x, dx, n, approx);                                     \
}
/* fast: float's exact gelu by gelu512.h's kernels on a CPU with AVX-512F
 * (512), by gelu256.h's forward on one with AVX2 and FMA (256), else 0 */
#if defined(CT_HAVE_AVX512_TABLES) || defined(CT_HAVE_GELU256)
static int ct_gelu_fast_kind(int approx)
{
    if (approx) return 0;
#ifdef CT_HAVE_AVX512_TABLES
    if (ct_cpu_avx512f()) return 512;
#endif
    return ct_cpu_avx2() ? 256 : 0;
}
#define CT_GELU_FAST_f32(approx) ct_gelu_fast_kind(approx)
#else
#define CT_GELU_FAST_f32(approx) 0
#endif
#ifdef CT_HAVE_AVX512_TABLES
#define CT_GELU_FAST_BODY_f32(CALL) if (fast == 512) { CALL; return; }
#else
#define CT_GELU_FAST_BODY_f32(CALL) (void)fast
#endif
#ifdef CT_HAVE_GELU256
static void ct_gelu_exact_body_f32(const float *x, float *y, int64_t n);
#define CT_GELU_FAST_BODY256_f32(CALL) if (fast == 256) { CALL; return; }
#else
#define CT_GELU_FAST_BODY256_f32(CALL) (void)fast
#endif
/* double's exact gelu and its derivative on a CPU with AVX-512F: the same
 * loops compiled for 512-bit vectors (the -v4 clone's 256-bit ones ran the
 * long polynomial and the division at half the rate: 0.57x PyTorch), the
 * same operations on each element, so the same values */
#ifdef CT_HAVE_AVX512_TABLES
#define CT_GELU_ZMM __attribute__((target("arch=x86-64-v4,prefer-vector-width=512")))
CT_GELU_ZMM static void ct_gelu512_f64(const double *x, double *y, int64_t n)
{
    _Pragma("omp simd")
    for (int64_t i = 0; i < n; i++) y[i] = ct_gelu_exact_d(x[i]);
}
CT_GELU_ZMM static void ct_gelu512_bwd_f64(const double *g, const double *x, double *dx, int64_t n)
{
    _Pragma("omp simd")
    for (int64_t i = 0; i < n; i++) dx[i] = g[i] * ct_gelu_deriv_d(x[i]);
}
#define CT_GELU_FAST_f64(approx) ((approx) ? 0 : ct_cpu_avx512f() ? 512 : 0)
#define CT_GELU_FAST_BODY_f64(CALL) if (fast == 512) { CALL; return; }
#else
#define CT_GELU_FAST_f64(approx) 0
#define CT_GELU_FAST_BODY_f64(CALL) (void)fast
#endif
#define CT_GELU_FAST_BODY256_f64(CALL) (void)fast
#define CT_GELU_BLOCK_DECLS(S, T)                                                  \
static void ct_gelu_blk_##S(const T *x, T *y, int64_t n, int approx, int fast);    \
static void ct_gelu_bwd_blk_##S(const T *g, const T *x, T *dx, int64_t n, int approx, int fast);
CT_GELU_BLOCK_DECLS(f32, float)
CT_GELU_BLOCK_DECLS(f64, double)
CT_GELU(f32, float, f)
CT_GELU(f64, double, )
#ifdef CT_HAVE_GELU256
/* gelu256.h's fallback for the lanes its short form does not take */
static void ct_gelu_exact_body_f32(const float *x, float *y, int64_t n)
{
    ct_gelu_body_f32(x, y, n, 0);
}
#endif
#define CT_GELU512_FWD_f32 ct_gelu512_body
#define CT_GELU512_BWD_f32 ct_gelu512_bwd_body
#define CT_GELU512_FWD_f64 ct_gelu512_f64
#define CT_GELU512_BWD_f64 ct_gelu512_bwd_f64
CT_GELU_BLOCKS(f32, float)
CT_GELU_BLOCKS(f64, double)

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

/* ---- fused activations ------------------------------------------------------
 * One forward and one backward kernel per dtype, the activation picked by
 * `op` (CT_ACT_*), its parameters in p[0..2]:
 *   silu         x * sigmoid(x)
 *   softplus     log(1 + exp(beta x)) / beta, x where beta x > threshold
 *                (p: beta, threshold)
 *   elu          scale * x for x > 0, else scale * alpha * expm1(input_scale x)
 *                (p: alpha, scale, input_scale; selu and celu are elu's)
 *   mish         x * tanh(softplus(x))
 *   hardswish    x * clamp(x + 3, 0, 6) / 6
 *   hardsigmoid  clamp(x + 3, 0, 6) / 6 (PyTorch's rounding)
 *   leaky_relu   x for x > 0, else slope x (p: slope)
 *   softshrink   0 for -l <= x <= l, else x - l (x > l) or x + l (p: l; a NaN
 *                stays NaN, as PyTorch's)
 *   hardshrink   0 for -l <= x <= l, else x (p: l)
 *   logsigmoid   min(x, 0) - log1p(exp(-|x|))
 *   threshold    value where x <= threshold, else x (p: threshold, value; a
 *                NaN stays, as PyTorch's)
 *   sqrt_clamp   sqrt(max(x, lo)) (p: lo; a NaN stays): forward only, the
 *                epilogue of cdist's product, in place
 * The backward kernels take the input x and give dx = g * f'(x). Every body
 * is branch free (selects), so the float loops vectorise over fastmath.h's
 * exp / expm1 / log1p. */
#define CT_NN_EXPM1_f ct_expm1f
#define CT_NN_EXPM1_ ct_expm1_d1
/* expm1 of x <= 0 (of x <= 40 for double's short form) */
#define CT_NN_EXPM1N_f ct_expm1f
#define CT_NN_EXPM1N_ ct_expm1_d_small
/* log1p(e) for e in [0, 1] (softplus's log1p(exp(-|z|))): 2 atanh(s) with
 * s = e / (2 + e) <= 1/3, its series to s^15 (truncation < 2e-8 relative).
 * Plain arithmetic: fastmath.h's general ct_log1pf after ct_expf is more
 * than GCC's if-conversion takes, and the loop would not vectorise */
static inline __attribute__((always_inline)) float ct_nn_log1p01f(float e)
{
    float s = e / (2.0f + e), z = s * s;
    float q = 1.0f / 15;
    q = q * z + 1.0f / 13;
    q = q * z + 1.0f / 11;
    q = q * z + 1.0f / 9;
    q = q * z + 1.0f / 7;
    q = q * z + 1.0f / 5;
    q = q * z + 1.0f / 3;
    return 2.0f * s * (q * z + 1.0f);
}
#define CT_NN_LOG1P_f ct_nn_log1p01f
#define CT_NN_SQRT_f sqrtf
#define CT_NN_SQRT_ sqrt
#define CT_NN_LOG1P_ ct_log1p_d1

#define CT_ACT(S, T, F)                                                            \
CT_MULTIVERSION void ct_act_body_##S(const T *x, T *y, int64_t n, int op,    \
                                            const double *p)                       \
{                                                                                  \
    int64_t i;                                                                     \
    switch (op) {                                                                  \
    case CT_ACT_SILU:                                                              \
        /* v times sigmoid(v): one division a vector (v over 1 + exp(-v) took   \
         * a second, masked, for exp's overflow, where v / inf is +-0 by v's   \
         * sign; here the overflowing sigmoid is 0, times v the same +-0) */   \
        for (i = 0; i < n; i++) {                                                  \
            T v = x[i];                                                            \
            y[i] = v * ((T)1 / ((T)1 + CT_NN_EXP_##F(-v)));                        \
        }                                                                          \
        break;                                                                     \
    case CT_ACT_SOFTPLUS: {                                                        \
        T beta = (T)p[0], thr = (T)p[1], ib = (T)1 / beta;                         \
        for (i = 0; i < n; i++) {                                                  \
            T v = x[i], z = v * beta;                                              \
            T r = z > 0 ? z : (T)0;                                                \
            T s = (r + CT_NN_LOG1P_##F(CT_NN_EXP_##F(z - r - r))) * ib;            \
            y[i] = z > thr ? v : s;                                                \
        }                                                                          \
        break;                                                                     \
    }                                                                              \
    case CT_ACT_ELU: {                                                             \
        T sa = (T)(p[0] * p[1]), sc = (T)p[1], is = (T)p[2];                       \
        /* m is <= 0: with is >= 0, expm1's argument too (its short form) */       \
        if (is >= 0)                                                               \
            for (i = 0; i < n; i++) {                                              \
                T v = x[i];                                                        \
                T m = v < 0 ? v : (T)0;                                            \
                T e = sa * CT_NN_EXPM1N_##F(m * is);                               \
                y[i] = v > 0 ? v * sc : e;                                         \
            }                                                                      \
        else                                                                       \
            for (i = 0; i < n; i++) {                                              \
                T v = x[i];                                                        \
                T m = v < 0 ? v : (T)0;                                            \
                T e = sa * CT_NN_EXPM1_##F(m * is);                                \
                y[i] = v > 0 ? v * sc : e;                                         \
            }                                                                      \
        break;                                                                     \
    }                                                                              \
    case CT_ACT_MISH:                                                              \
        for (i = 0; i < n; i++) {                                                  \
            /* tanh(log(1 + e)) = e (e + 2) / (e (e + 2) + 2), e = exp(x) */       \
            T v = x[i];                                                            \
            T e = CT_NN_EXP_##F(v < 20 ? v : (T)20);                               \
            T q = e * (e + 2);                                                     \
            T t = q / (q + 2);                                                     \
            y[i] = v * (v < 20 ? t : (T)1);                                        \
        }                                                                          \
        break;                                                                     \
    case CT_ACT_HARDSWISH:                                                         \
        for (i = 0; i < n; i++) {                                                  \
            T v = x[i];                                                            \
            T c = v + 3;                                                           \
            c = c < 0 ? (T)0 : c;                                                  \
            c = c > 6 ? (T)6 : c;                                                  \
            y[i] = v * c / 6;                                                      \
        }                                                                          \
        break;                                                                     \
    case CT_ACT_HARDSIGMOID:                                                       \
        for (i = 0; i < n; i++) {                                                  \
            T c = x[i] + 3;                                                        \
            c = c < 0 ? (T)0 : c;                                                  \
            c = c > 6 ? (T)6 : c;                                                  \
            y[i] = c / 6;                                                          \
        }                                                                          \
        break;                                                                     \
    case CT_ACT_LEAKY_RELU: {                                                      \
        const T sl = (T)p[0];                                                      \
        for (i = 0; i < n; i++) {                                                  \
            T v = x[i];                                                            \
            y[i] = v > 0 ? v : v * sl;                                             \
        }                                                                          \
        break;                                                                     \
    }                                                                              \
    case CT_ACT_SOFTSHRINK: {                                                      \
        const T l = (T)p[0];                                                       \
        for (i = 0; i < n; i++) {                                                  \
            T v = x[i];                                                            \
            T s = v > l ? v - l : v + l;                                           \
            y[i] = (v >= -l && v <= l) ? (T)0 : s;                                 \
        }                                                                          \
        break;                                                                     \
    }                                                                              \
    case CT_ACT_HARDSHRINK: {                                                      \
        const T l = (T)p[0];                                                       \
        for (i = 0; i < n; i++) {                                                  \
            T v = x[i];                                                            \
            y[i] = (v >= -l && v <= l) ? (T)0 : v;                                 \
        }                                                                          \
        break;                                                                     \
    }                                                                              \
    case CT_ACT_LOGSIGMOID:                                                        \
        for (i = 0; i < n; i++) {                                                  \
            T v = x[i];                                                            \
            T m = v < 0 ? v : (T)0;                                                \
            T e = CT_NN_EXP_##F(v < 0 ? v : -v);                                   \
            y[i] = m - CT_NN_LOG1P_##F(e);                                         \
        }                                                                          \
        break;                                                                     \
    case CT_ACT_THRESHOLD: {                                                       \
        const T th = (T)p[0], val = (T)p[1];                                       \
        for (i = 0; i < n; i++) {                                                  \
            T v = x[i];                                                            \
            y[i] = v <= th ? val : v;                                              \
        }                                                                          \
        break;                                                                     \
    }                                                                              \
    case CT_ACT_SQRT_CLAMP: {                                                      \
        const T lo = (T)p[0];                                                      \
        for (i = 0; i < n; i++) {                                                  \
            T v = x[i];                                                            \
            y[i] = CT_NN_SQRT_##F(v < lo ? lo : v);                                \
        }                                                                          \
        break;                                                                     \
    }                                                                              \
    }                                                                              \
}                                                                                  \
CT_MULTIVERSION void ct_act_bwd_body_##S(const T *g, const T *x, T *dx,      \
                                                int64_t n, int op, const double *p) \
{                                                                                  \
    int64_t i;                                                                     \
    switch (op) {                                                                  \
    case CT_ACT_SILU:                                                              \
        for (i = 0; i < n; i++) {                                                  \
            T v = x[i];                                                            \
            T s = (T)1 / ((T)1 + CT_NN_EXP_##F(-v));                               \
            dx[i] = g[i] * (s * ((T)1 + v * ((T)1 - s)));                          \
        }                                                                          \
        break;                                                                     \
    case CT_ACT_SOFTPLUS: {                                                        \
        T beta = (T)p[0], thr = (T)p[1];                                           \
        for (i = 0; i < n; i++) {                                                  \
            T z = x[i] * beta;                                                     \
            T s = (T)1 / ((T)1 + CT_NN_EXP_##F(-z));                               \
            dx[i] = z > thr ? g[i] : g[i] * s;                                     \
        }                                                                          \
        break;                                                                     \
    }                                                                              \
    case CT_ACT_ELU: {                                                             \
        T sai = (T)(p[0] * p[1] * p[2]), sc = (T)p[1], is = (T)p[2];               \
        for (i = 0; i < n; i++) {                                                  \
            T v = x[i];                                                            \
            T m = v < 0 ? v : (T)0;                                                \
            T e = sai * CT_NN_EXP_##F(m * is);                                     \
            dx[i] = g[i] * (v > 0 ? sc : e);                                       \
        }                                                                          \
        break;                                                                     \
    }                                                                              \
    case CT_ACT_MISH:                                                              \
        for (i = 0; i < n; i++) {                                                  \
            /* tanh(sp) + x sigmoid(x) (1 - tanh(sp)^2), 1 - t = 2 / (q + 2) */    \
            T v = x[i];                                                            \
            T e = CT_NN_EXP_##F(v < 20 ? v : (T)20);                               \
            T q = e * (e + 2);                                                     \
            T u = (T)2 / (q + 2);                                                  \
            T t = (T)1 - u;                                                        \
            T d = t + v * (e / (e + 1)) * u * ((T)1 + t);                          \
            dx[i] = g[i] * (v < 20 ? d : (T)1);                                    \
        }                                                                          \
        break;                                                                     \
    case CT_ACT_HARDSWISH:                                                         \
        for (i = 0; i < n; i++) {                                                  \
            T v = x[i];                                                            \
            T d = v < -3 ? (T)0 : (v <= 3 ? v / 3 + (T)0.5 : (T)1);                \
            dx[i] = g[i] * d;                                                      \
        }                                                                          \
        break;                                                                     \
    case CT_ACT_HARDSIGMOID:                                                       \
        for (i = 0; i < n; i++) {                                                  \
            T v = x[i];                                                            \
            dx[i] = (v > -3 && v < 3) ? g[i] / 6 : (T)0;                           \
        }                                                                          \
        break;                                                                     \
    case CT_ACT_LEAKY_RELU: {                                                      \
        const T sl = (T)p[0];                                                      \
        for (i = 0; i < n; i++)                                                    \
            dx[i] = x[i] > 0 ? g[i] : g[i] * sl;                                   \
        break;                                                                     \
    }                                                                              \
    case CT_ACT_SOFTSHRINK:                                                        \
    case CT_ACT_HARDSHRINK: {                                                      \
        const T l = (T)p[0];                                                       \
        for (i = 0; i < n; i++) {                                                  \
            T v = x[i];                                                            \
            dx[i] = (v >= -l && v <= l) ? (T)0 : g[i];                             \
        }                                                                          \
        break;                                                                     \
    }                                                                              \
    case CT_ACT_LOGSIGMOID:                                                        \
        for (i = 0; i < n; i++) {                                                  \
            /* 1 - sigmoid(x) = sigmoid(-x), from e = exp(-|x|) */                 \
            T v = x[i];                                                            \
            T e = CT_NN_EXP_##F(v < 0 ? v : -v);                                   \
            T s = (T)1 / ((T)1 + e);                                               \
            dx[i] = g[i] * (v < 0 ? s : e * s);                                    \
        }                                                                          \
        break;                                                                     \
    case CT_ACT_THRESHOLD: {                                                       \
        const T th = (T)p[0];                                                      \
        for (i = 0; i < n; i++)                                                    \
            dx[i] = x[i] <= th ? (T)0 : g[i];                                      \
        break;                                                                     \
    }                                                                              \
    }                                                                              \
}                                                                                  \
void ct_act_##S(const void *x, void *y, int64_t n, int op, const double *p)        \
{                                                                                  \
    if (n <= CT_NN_GRAIN || ct_get_num_threads() <= 1) {                           \
        ct_act_body_##S((const T *)x, (T *)y, n, op, p);                           \
        return;                                                                    \
    }                                                                              \
    int64_t nb = (n + CT_NN_GRAIN - 1) / CT_NN_GRAIN, b;                           \
    _Pragma("omp parallel for schedule(static)")                                   \
    for (b = 0; b < nb; b++) {                                                     \
        int64_t lo = b * CT_NN_GRAIN, m = n - lo < CT_NN_GRAIN ? n - lo : CT_NN_GRAIN; \
        ct_act_body_##S((const T *)x + lo, (T *)y + lo, m, op, p);                 \
    }                                                                              \
}                                                                                  \
void ct_act_bwd_##S(const void *g, const void *x, void *dx, int64_t n, int op,     \
                    const double *p)                                               \
{                                                                                  \
    if (n <= CT_NN_GRAIN || ct_get_num_threads() <= 1) {                           \
        ct_act_bwd_body_##S((const T *)g, (const T *)x, (T *)dx, n, op, p);        \
        return;                                                                    \
    }                                                                              \
    int64_t nb = (n + CT_NN_GRAIN - 1) / CT_NN_GRAIN, b;                           \
    _Pragma("omp parallel for schedule(static)")                                   \
    for (b = 0; b < nb; b++) {                                                     \
        int64_t lo = b * CT_NN_GRAIN, m = n - lo < CT_NN_GRAIN ? n - lo : CT_NN_GRAIN; \
        ct_act_bwd_body_##S((const T *)g + lo, (const T *)x + lo, (T *)dx + lo, m, op, p); \
    }                                                                              \
}
CT_ACT(f32, float, f)
CT_ACT(f64, double, )

/* float16 / bfloat16 (bf): blocks widened to float32 in a buffer, the float32
 * body, the results rounded back (what a float32 copy of the tensor, the
 * float32 kernel and a cast give, in one pass over memory); g is NULL for the
 * forward */
#define CT_ACT_BLOCK 512
#ifdef CT_HAVE_HALFVEC256
#define CT_ACT256 __attribute__((target("avx2,fma,f16c")))
/* c = x + 3 clamped to [0, 6] by the float loop's selects (NaN stays) */
CT_ACT256 static inline __m256 ct_act256_clamp6(__m256 v)
{
    const __m256 zero = _mm256_setzero_ps(), six = _mm256_set1_ps(6.0f);
    __m256 c = _mm256_add_ps(v, _mm256_set1_ps(3.0f));
    c = _mm256_blendv_ps(c, zero, _mm256_cmp_ps(c, zero, _CMP_LT_OQ));
    return _mm256_blendv_ps(c, six, _mm256_cmp_ps(c, six, _CMP_GT_OQ));
}
/* the piecewise activations of halves / bfloat16 on 8 float lanes: widened,
 * computed by the float loop's expressions (the same selects and operations
 * in the same order) and narrowed in registers, where the block path makes
 * three passes over each block. Returns how many elements it took (a
 * multiple of 8, of 16 for bfloat16; 0 for the other activations). */
CT_ACT256 static int64_t ct_act_lowp_256(int bf, const uint16_t *x, uint16_t *y, int64_t n, int op,
                                         const double *p)
{
    const __m256 zero = _mm256_setzero_ps(), six = _mm256_set1_ps(6.0f);
    int64_t i = 0;
    /* bfloat16 16 at a time (ct_bf256_load16 / ct_bf256_store16_lanes) */
#define CT_ACT256_LOOP(EXPR)                                                       \
    if (bf)                                                                        \
        for (; i + 16 <= n; i += 16) {                                             \
            __m256 lo, hi, v;                                                      \
            ct_bf256_load16(x + i, &lo, &hi);                                      \
            v = lo;                                                                \
            const __m256 rl = EXPR;                                                \
            v = hi;                                                                \
            ct_bf256_store16_lanes(y + i, rl, EXPR);                               \
        }                                                                          \
    else                                                                           \
        for (; i + 8 <= n; i += 8) {                                               \
            __m256 v = ct_hf256_widen(_mm_loadu_si128((const __m128i *)(x + i)), 0); \
            _mm_storeu_si128((__m128i *)(y + i), ct_hf256_narrow(EXPR, 0));        \
        }
    switch (op) {
    case CT_ACT_HARDSWISH:
        CT_ACT256_LOOP(_mm256_div_ps(_mm256_mul_ps(v, ct_act256_clamp6(v)), six))
        break;
    case CT_ACT_HARDSIGMOID:
        CT_ACT256_LOOP(_mm256_div_ps(ct_act256_clamp6(v), six))
        break;
    case CT_ACT_LEAKY_RELU: {
        const __m256 sl = _mm256_set1_ps((float)p[0]);
        CT_ACT256_LOOP(_mm256_blendv_ps(_mm256_mul_ps(v, sl), v, _mm256_cmp_ps(v, zero, _CMP_GT_OQ)))
        break;
    }
    case CT_ACT_HARDSHRINK:
    case CT_ACT_SOFTSHRINK: {
        const float lf = (float)p[0];
        const __m256 l = _mm256_set1_ps(lf), nl = _mm256_set1_ps(-lf);
        /* inside [-l, l]: 0; outside: v (hard) or v -+ l (soft) */
#define CT_ACT256_IN(v) _mm256_and_ps(_mm256_cmp_ps(v, nl, _CMP_GE_OQ), _mm256_cmp_ps(v, l, _CMP_LE_OQ))
        if (op == CT_ACT_HARDSHRINK)
            CT_ACT256_LOOP(_mm256_blendv_ps(v, zero, CT_ACT256_IN(v)))
        else
            CT_ACT256_LOOP(_mm256_blendv_ps(_mm256_blendv_ps(_mm256_add_ps(v, l), _mm256_sub_ps(v, l),
                                                             _mm256_cmp_ps(v, l, _CMP_GT_OQ)),
                                            zero, CT_ACT256_IN(v)))
#undef CT_ACT256_IN
        break;
    }
    default:
        break;
    }
#undef CT_ACT256_LOOP
    return i;
}
#endif
static void ct_act_lowp_block(int bf, const uint16_t *g, const uint16_t *x, uint16_t *y, int64_t n,
                              int op, const double *p)
{
    float xb[CT_ACT_BLOCK], gb[CT_ACT_BLOCK];
    int64_t i0 = 0;
#ifdef CT_HAVE_HALFVEC256
    if (g == NULL && ct_cpu_avx2()) i0 = ct_act_lowp_256(bf, x, y, n, op, p);
#endif
    for (int64_t i = i0; i < n; i += CT_ACT_BLOCK) {
        int64_t m = n - i < CT_ACT_BLOCK ? n - i : CT_ACT_BLOCK;
        if (bf) ct_bf2f_contig(x + i, xb, m);
        else ct_h2f_contig(x + i, xb, m);
        if (g != NULL) {
            if (bf) ct_bf2f_contig(g + i, gb, m);
            else ct_h2f_contig(g + i, gb, m);
            ct_act_bwd_body_f32(gb, xb, xb, m, op, p);
        } else {
            ct_act_body_f32(xb, xb, m, op, p);
        }
        if (bf) ct_f2bf_contig(xb, y + i, m);
        else ct_f2h_contig(xb, y + i, m);
    }
}
static void ct_act_lowp(int bf, const void *g, const void *x, void *y, int64_t n, int op,
                        const double *p)
{
    if (n <= CT_NN_GRAIN || ct_get_num_threads() <= 1) {
        ct_act_lowp_block(bf, (const uint16_t *)g, (const uint16_t *)x, (uint16_t *)y, n, op, p);
        return;
    }
    int64_t nb = (n + CT_NN_GRAIN - 1) / CT_NN_GRAIN, b;
    _Pragma("omp parallel for schedule(static)")
    for (b = 0; b < nb; b++) {
        int64_t lo = b * CT_NN_GRAIN, m = n - lo < CT_NN_GRAIN ? n - lo : CT_NN_GRAIN;
        ct_act_lowp_block(bf, g == NULL ? NULL : (const uint16_t *)g + lo, (const uint16_t *)x + lo,
                          (uint16_t *)y + lo, m, op, p);
    }
}
static void ct_act_f16(const void *x, void *y, int64_t n, int op, const double *p)
{
    ct_act_lowp(0, NULL, x, y, n, op, p);
}
static void ct_act_bf16(const void *x, void *y, int64_t n, int op, const double *p)
{
    ct_act_lowp(1, NULL, x, y, n, op, p);
}
static void ct_act_bwd_f16(const void *g, const void *x, void *dx, int64_t n, int op, const double *p)
{
    ct_act_lowp(0, g, x, dx, n, op, p);
}
static void ct_act_bwd_bf16(const void *g, const void *x, void *dx, int64_t n, int op, const double *p)
{
    ct_act_lowp(1, g, x, dx, n, op, p);
}

/* ---- pointwise losses ------------------------------------------------------
 * The losses of an input x and a target t element by element (op CT_PL_*, its
 * parameter p), times w where w is not NULL:
 *   bce_with_logits  (1 - t) x + lw (max(-x, 0) + log1p(exp(-|x|))),
 *                    lw = 1 + (pw - 1) t (pw NULL: lw = 1)
 *   smooth_l1        0.5 u^2 / p where |u| < p, else |u| - 0.5 p (u = x - t)
 *   huber            0.5 u^2 where |u| < p, else p (|u| - 0.5 p)
 *   soft_margin      max(z, 0) + log1p(exp(-|z|)), z = -t x
 * and their derivatives in x: (1 - t) - lw sigmoid(-x); u / p clamped to
 * [-1, 1]; u clamped to [-p, p]; -t sigmoid(z). pw and w: NULL or n
 * contiguous values. The forward writes the losses to out, or (out NULL)
 * adds them up into *sum: 64 lanes of T a block of CT_PL_BLOCK, the blocks'
 * sums added in double, the CT_NN_GRAIN chunks' sums in a fixed order (the
 * result does not depend on the thread count). The backward takes g (n
 * values, or NULL for all ones) times gs. One pass over memory each way
 * where the compositions of elementwise ops made four to ten. */
#define CT_PL_BLOCK 4096
/* log1p(exp(-|v|)) + max(-v, 0): softplus(-v) without overflow */
#define CT_PL_SP(F, T, v) ((v < 0 ? -v : (T)0) + CT_NN_LOG1P_##F(CT_NN_EXP_##F(v < 0 ? v : -v)))
#define CT_PL_LOSS(S, T, F, i)                                                     \
    ({                                                                             \
        T v_ = x[i], t_ = t[i], l_;                                                \
        if (OP == CT_PL_BCEL) {                                                    \
            T lw_ = HAS_PW ? (T)1 + (pw[i] - (T)1) * t_ : (T)1;                    \
            l_ = ((T)1 - t_) * v_ + lw_ * CT_PL_SP(F, T, v_);                      \
        } else if (OP == CT_PL_SOFT_MARGIN) {                                      \
            T z_ = -t_ * v_, mz_ = -z_;                                            \
            l_ = CT_PL_SP(F, T, mz_);                                              \
        } else {                                                                   \
            T d_ = v_ - t_;                                                        \
            d_ = d_ < 0 ? -d_ : d_;                                                \
            l_ = OP == CT_PL_SMOOTH_L1 ? (d_ < pp ? (T)0.5 * d_ * d_ / pp : d_ - (T)0.5 * pp) \
                                       : (d_ < pp ? (T)0.5 * d_ * d_ : pp * (d_ - (T)0.5 * pp)); \
        }                                                                          \
        HAS_W ? l_ * w[i] : l_;                                                    \
    })
/* the block bodies for op OPC with pos_weight (HPW, a constant) and weight
 * and g present or not, each a specialised copy */
#define CT_PL_FWD_CALL(S, OPC, HPW)                                                \
    (w ? ct_pl_blk_##S(x, t, p, pw, w, out, n, OPC, HPW, 1)                        \
       : ct_pl_blk_##S(x, t, p, pw, w, out, n, OPC, HPW, 0))
#define CT_PL_BWD_CALL(S, OPC, HPW)                                                \
    do {                                                                           \
        if (hg) { if (hw) ct_pl_bwd_blk_##S(g, gs, x, t, p, pw, w, dx, n, OPC, 1, HPW, 1); \
                  else ct_pl_bwd_blk_##S(g, gs, x, t, p, pw, w, dx, n, OPC, 1, HPW, 0); } \
        else { if (hw) ct_pl_bwd_blk_##S(g, gs, x, t, p, pw, w, dx, n, OPC, 0, HPW, 1); \
               else ct_pl_bwd_blk_##S(g, gs, x, t, p, pw, w, dx, n, OPC, 0, HPW, 0); } \
    } while (0)
#define CT_PL(S, T, F)                                                             \
static inline __attribute__((always_inline)) double ct_pl_blk_##S(                 \
    const T *x, const T *t, T pp, const T *pw, const T *w, T *out, int64_t n,      \
    const int OP, const int HAS_PW, const int HAS_W)                               \
{                                                                                  \
    int64_t i;                                                                     \
    if (out != NULL) {                                                             \
        for (i = 0; i < n; i++)                                                    \
            out[i] = CT_PL_LOSS(S, T, F, i);                                       \
        return 0;                                                                  \
    }                                                                              \
    double total = 0;                                                              \
    for (int64_t b = 0; b < n; b += CT_PL_BLOCK) {                                 \
        const int64_t e = n - b < CT_PL_BLOCK ? n : b + CT_PL_BLOCK;               \
        T acc[64] = {0};                                                           \
        for (i = b; i + 64 <= e; i += 64)                                          \
            for (int l = 0; l < 64; l++)                                           \
                acc[l] += CT_PL_LOSS(S, T, F, i + l);                              \
        for (; i < e; i++)                                                         \
            acc[i & 63] += CT_PL_LOSS(S, T, F, i);                                 \
        double s = 0;                                                              \
        for (int l = 0; l < 64; l++)                                               \
            s += acc[l];                                                           \
        total += s;                                                                \
    }                                                                              \
    return total;                                                                  \
}                                                                                  \
CT_MULTIVERSION static double ct_pl_body_##S(int op, T p, const T *x, const T *t,  \
                                             const T *pw, const T *w, T *out, int64_t n) \
{                                                                                  \
    switch (op) {                                                                  \
    case CT_PL_BCEL:                                                               \
        return pw ? CT_PL_FWD_CALL(S, CT_PL_BCEL, 1) : CT_PL_FWD_CALL(S, CT_PL_BCEL, 0); \
    case CT_PL_SMOOTH_L1: return CT_PL_FWD_CALL(S, CT_PL_SMOOTH_L1, 0);            \
    case CT_PL_HUBER: return CT_PL_FWD_CALL(S, CT_PL_HUBER, 0);                    \
    default: return CT_PL_FWD_CALL(S, CT_PL_SOFT_MARGIN, 0);                       \
    }                                                                              \
}                                                                                  \
static inline __attribute__((always_inline)) void ct_pl_bwd_blk_##S(               \
    const T *g, T gs, const T *x, const T *t, T pp, const T *pw, const T *w, T *dx, \
    int64_t n, const int OP, const int HAS_G, const int HAS_PW, const int HAS_W)   \
{                                                                                  \
    for (int64_t i = 0; i < n; i++) {                                              \
        T v = x[i], tv = t[i], d;                                                  \
        if (OP == CT_PL_BCEL || OP == CT_PL_SOFT_MARGIN) {                         \
            /* sigmoid(-y) from e = exp(-|y|), y = x or -z = t x */                \
            T y = OP == CT_PL_BCEL ? v : tv * v;                                   \
            T e = CT_NN_EXP_##F(y < 0 ? y : -y);                                   \
            T s = (T)1 / ((T)1 + e);                                               \
            T sn = y < 0 ? s : e * s;                                              \
            if (OP == CT_PL_BCEL) {                                                \
                T lw = HAS_PW ? (T)1 + (pw[i] - (T)1) * tv : (T)1;                 \
                d = ((T)1 - tv) - lw * sn;                                         \
            } else {                                                               \
                d = -tv * sn;                                                      \
            }                                                                      \
        } else {                                                                   \
            T u = v - tv;                                                          \
            if (OP == CT_PL_SMOOTH_L1)                                             \
                d = u < -pp ? (T)-1 : u > pp ? (T)1 : u / pp;                      \
            else                                                                   \
                d = u < -pp ? -pp : u > pp ? pp : u;                               \
        }                                                                          \
        if (HAS_W) d *= w[i];                                                      \
        dx[i] = (HAS_G ? g[i] * gs : gs) * d;                                      \
    }                                                                              \
}                                                                                  \
CT_MULTIVERSION static void ct_pl_bwd_body_##S(int op, T p, const T *g, T gs, const T *x, \
    const T *t, const T *pw, const T *w, T *dx, int64_t n)                         \
{                                                                                  \
    const int hg = g != NULL, hw = w != NULL;                                      \
    switch (op) {                                                                  \
    case CT_PL_BCEL:                                                               \
        if (pw) CT_PL_BWD_CALL(S, CT_PL_BCEL, 1);                                  \
        else CT_PL_BWD_CALL(S, CT_PL_BCEL, 0);                                     \
        break;                                                                     \
    case CT_PL_SMOOTH_L1: CT_PL_BWD_CALL(S, CT_PL_SMOOTH_L1, 0); break;            \
    case CT_PL_HUBER: CT_PL_BWD_CALL(S, CT_PL_HUBER, 0); break;                    \
    default: CT_PL_BWD_CALL(S, CT_PL_SOFT_MARGIN, 0); break;                       \
    }                                                                              \
}                                                                                  \
static int ct_pl_##S(int op, double p, const void *x_, const void *t_, const void *pw_, \
                     const void *w_, void *out_, int64_t n, double *sum)           \
{                                                                                  \
    const T *x = (const T *)x_, *t = (const T *)t_, *pw = (const T *)pw_,          \
            *w = (const T *)w_;                                                    \
    T *out = (T *)out_;                                                            \
    int64_t nb = (n + CT_NN_GRAIN - 1) / CT_NN_GRAIN, b;                           \
    double one, *part = out == NULL && nb > 1 ? (double *)malloc((size_t)nb * sizeof(double)) : &one; \
    if (part == NULL)                                                              \
        return -2;                                                                 \
    if (nb <= 1 || ct_get_num_threads() <= 1) {                                    \
        part[0] = ct_pl_body_##S(op, (T)p, x, t, pw, w, out, n);                   \
        nb = 1;                                                                    \
    } else {                                                                       \
        _Pragma("omp parallel for schedule(static)")                               \
        for (b = 0; b < nb; b++) {                                                 \
            int64_t lo = b * CT_NN_GRAIN, m = n - lo < CT_NN_GRAIN ? n - lo : CT_NN_GRAIN; \
            double r = ct_pl_body_##S(op, (T)p, x + lo, t + lo, pw ? pw + lo : NULL, \
                                      w ? w + lo : NULL, out ? out + lo : NULL, m); \
            if (out == NULL) part[b] = r;                                          \
        }                                                                          \
    }                                                                              \
    if (out == NULL) {                                                             \
        double s = 0;                                                              \
        for (b = 0; b < nb; b++)                                                   \
            s += part[b];                                                          \
        *sum = s;                                                                  \
        if (part != &one) free(part);                                              \
    }                                                                              \
    return 0;                                                                      \
}                                                                                  \
static void ct_pl_bwd_##S(int op, double p, const void *g_, double gs, const void *x_, \
                          const void *t_, const void *pw_, const void *w_, void *dx_, int64_t n) \
{                                                                                  \
    const T *g = (const T *)g_, *x = (const T *)x_, *t = (const T *)t_,            \
            *pw = (const T *)pw_, *w = (const T *)w_;                              \
    T *dx = (T *)dx_;                                                              \
    if (n <= CT_NN_GRAIN || ct_get_num_threads() <= 1) {                           \
        ct_pl_bwd_body_##S(op, (T)p, g, (T)gs, x, t, pw, w, dx, n);                \
        return;                                                                    \
    }                                                                              \
    int64_t nb = (n + CT_NN_GRAIN - 1) / CT_NN_GRAIN, b;                           \
    _Pragma("omp parallel for schedule(static)")                                   \
    for (b = 0; b < nb; b++) {                                                     \
        int64_t lo = b * CT_NN_GRAIN, m = n - lo < CT_NN_GRAIN ? n - lo : CT_NN_GRAIN; \
        ct_pl_bwd_body_##S(op, (T)p, g ? g + lo : NULL, (T)gs, x + lo, t + lo,     \
                           pw ? pw + lo : NULL, w ? w + lo : NULL, dx + lo, m);    \
    }                                                                              \
}
CT_PL(f32, float, f)
CT_PL(f64, double, )
ct_ploss_fn ct_ploss_loops[CT_NDTYPES] = {[CT_FLOAT32] = ct_pl_f32, [CT_FLOAT64] = ct_pl_f64};
ct_ploss_bwd_fn ct_ploss_bwd_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ct_pl_bwd_f32, [CT_FLOAT64] = ct_pl_bwd_f64,
};

/* ---- glu -------------------------------------------------------------------
 * x: outer blocks of 2h contiguous values, each a first half a and a second
 * half b; y = a sigmoid(b) (outer blocks of h). The backward writes the
 * gradient of both halves: g sigmoid(b) and g a sigmoid(b) (1 - sigmoid(b)).
 * The output's CT_NN_GRAIN chunks between the threads, a chunk crossing
 * blocks in runs; one pass each way where a sigmoid and a product made two
 * (three back). */
#define CT_GLU(S, T, F)                                                            \
CT_MULTIVERSION static void ct_glu_run_##S(const T *g, const T *a, const T *b, T *y, T *db, \
                                           int64_t m)                              \
{                                                                                  \
    if (g == NULL) {                                                               \
        for (int64_t j = 0; j < m; j++)                                            \
            y[j] = a[j] / ((T)1 + CT_NN_EXP_##F(-b[j]));                           \
        return;                                                                    \
    }                                                                              \
    for (int64_t j = 0; j < m; j++) {                                              \
        T s = (T)1 / ((T)1 + CT_NN_EXP_##F(-b[j]));                                \
        T gs = g[j] * s;                                                           \
        y[j] = gs;                                                                 \
        db[j] = gs * a[j] * ((T)1 - s);                                            \
    }                                                                              \
}                                                                                  \
static void ct_glu_##S(const void *g_, const void *x_, void *y_, int64_t outer, int64_t h) \
{                                                                                  \
    const T *g = (const T *)g_, *x = (const T *)x_;                                \
    T *y = (T *)y_;                                                                \
    const int64_t n = outer * h;                                                   \
    const int64_t nb = (n + CT_NN_GRAIN - 1) / CT_NN_GRAIN;                        \
    CT_PARALLEL_IF(nb > 1 && ct_get_num_threads() > 1, "omp parallel for schedule(static)", \
    for (int64_t c = 0; c < nb; c++) {                                             \
        int64_t i = c * CT_NN_GRAIN, e = n - i < CT_NN_GRAIN ? n : i + CT_NN_GRAIN; \
        while (i < e) {                                                            \
            const int64_t o = i / h, j = i - o * h, m = h - j < e - i ? h - j : e - i; \
            const T *a = x + o * 2 * h + j;                                        \
            if (g == NULL)                                                         \
                ct_glu_run_##S(NULL, a, a + h, y + i, NULL, m);                    \
            else                                                                   \
                ct_glu_run_##S(g + i, a, a + h, y + o * 2 * h + j, y + o * 2 * h + h + j, m); \
            i += m;                                                                \
        }                                                                          \
    });                                                                            \
}
CT_GLU(f32, float, f)
CT_GLU(f64, double, )
ct_glu_fn ct_glu_loops[CT_NDTYPES] = {[CT_FLOAT32] = ct_glu_f32, [CT_FLOAT64] = ct_glu_f64};

/* ---- prelu -----------------------------------------------------------------
 * x: nb blocks of S values, block b's slope w[b % C]; with g NULL y = x where
 * x > 0, else w x; else y = dx = g (1 or w) and dwb[b] = the block's sum of
 * g x where x <= 0 (double). Many blocks are split between the threads; a few
 * long ones (one slope for all) each split in parts. */
#define CT_PRELU(S_, T)                                                            \
CT_MULTIVERSION static double ct_prelu_run_##S_(const T *g, const T *x, T *y, T a, int64_t m) \
{                                                                                  \
    if (g == NULL) {                                                               \
        for (int64_t j = 0; j < m; j++)                                            \
            y[j] = x[j] > 0 ? x[j] : a * x[j];                                     \
        return 0;                                                                  \
    }                                                                              \
    T acc = 0;                                                                     \
    for (int64_t j = 0; j < m; j++) {                                              \
        const int pos = x[j] > 0;                                                  \
        y[j] = pos ? g[j] : a * g[j];                                              \
        acc += pos ? (T)0 : g[j] * x[j];                                           \
    }                                                                              \
    return acc;                                                                    \
}                                                                                  \
static void ct_prelu_##S_(const void *g_, const void *x_, const void *w_, void *y_, double *dwb, \
                          int64_t nb, int64_t C, int64_t S)                        \
{                                                                                  \
    const T *g = (const T *)g_, *x = (const T *)x_, *w = (const T *)w_;            \
    T *y = (T *)y_;                                                                \
    int nt = ct_get_num_threads();                                                 \
    const int par = nt > 1 && nb * S >= CT_NN_GRAIN;                               \
    if (!par || nb >= 2 * (int64_t)nt) {                                           \
        CT_PARALLEL_IF(par, "omp parallel for schedule(static)",                   \
        for (int64_t b = 0; b < nb; b++) {                                         \
            double r = ct_prelu_run_##S_(g ? g + b * S : NULL, x + b * S, y + b * S, w[b % C], S); \
            if (g != NULL) dwb[b] = r;                                             \
        });                                                                        \
        return;                                                                    \
    }                                                                              \
    for (int64_t b = 0; b < nb; b++) {                                             \
        const int64_t parts = (S + CT_NN_GRAIN - 1) / CT_NN_GRAIN;                 \
        double acc = 0;                                                            \
        _Pragma("omp parallel for schedule(static) reduction(+:acc)")              \
        for (int64_t p = 0; p < parts; p++) {                                      \
            const int64_t lo = p * CT_NN_GRAIN, m = S - lo < CT_NN_GRAIN ? S - lo : CT_NN_GRAIN; \
            acc += ct_prelu_run_##S_(g ? g + b * S + lo : NULL, x + b * S + lo, y + b * S + lo, \
                                     w[b % C], m);                                 \
        }                                                                          \
        if (g != NULL) dwb[b] = acc;                                               \
    }                                                                              \
}
CT_PRELU(f32, float)
CT_PRELU(f64, double)
ct_prelu_fn ct_prelu_loops[CT_NDTYPES] = {[CT_FLOAT32] = ct_prelu_f32, [CT_FLOAT64] = ct_prelu_f64};

ct_act_fn ct_act_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ct_act_f32, [CT_FLOAT64] = ct_act_f64,
    [CT_FLOAT16] = ct_act_f16, [CT_BFLOAT16] = ct_act_bf16,
};
ct_act_bwd_fn ct_act_bwd_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ct_act_bwd_f32, [CT_FLOAT64] = ct_act_bwd_f64,
    [CT_FLOAT16] = ct_act_bwd_f16, [CT_BFLOAT16] = ct_act_bwd_bf16,
};
