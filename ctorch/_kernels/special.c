/* Orthogonal polynomials by recurrence, digamma, erfinv, erfc and the other
 * unary special functions of ct_special_erfc (see special.h). */

#include <math.h>
#include <pthread.h>
#include <string.h>
#include "special.h"
#include "common.h"
#include "fastmath.h"
#include "fastmath_d.h"
#ifdef CT_HAVE_AVX512_TABLES
#include "erfc512.h"
#include "compact.h"
#include "erfinv512.h"
#include "log512.h"
#endif

/* fastmath.h's double helpers under their names here */
#define bits_to_d ct_bits_to_double
#define d_to_bits ct_double_to_bits
#define log_d ct_dlog
#define exp_d ct_dexp

/* as common.h's CT_SIMD_MAP where F's common case is cheaper than its whole: per chunk of 64
 * elements a vector pass of FAST (right wherever NEEDS(x) is 0), then, where
 * any element of the chunk needs it, one of FULL over the chunk */
#define CT_CHUNKED_MAP(NAME, T, FAST, NEEDS, FULL)                                 \
void NAME(const T *x, T *o, int64_t count);                                        \
CT_MULTIVERSION void NAME(const T *x, T *o, int64_t count)                         \
{                                                                                  \
    CT_CHUNKS(FULL, {                                                              \
        _Pragma("omp simd reduction(|:more)")                                      \
        for (int64_t i = 0; i < n; i++) {                                          \
            more |= NEEDS(xs[i]);                                                  \
            os[i] = FAST(xs[i]);                                                   \
        }                                                                          \
    })                                                                             \
}
/* the chunks of 64: FIRST fills os[0..n) from xs and sets `more` where a
 * chunk needs FULL */
#define CT_CHUNKS(FULL, FIRST)                                                     \
    for (int64_t lo = 0; lo < count; lo += 64) {                                   \
        int64_t n = count - lo < 64 ? count - lo : 64;                             \
        const __typeof__(*x) *xs = x + lo;                                         \
        __typeof__(*o) *os = o + lo;                                               \
        int more = 0;                                                              \
        FIRST                                                                      \
        if (more) {                                                                \
            _Pragma("omp simd")                                                    \
            for (int64_t i = 0; i < n; i++)                                        \
                os[i] = FULL(xs[i]);                                               \
        }                                                                          \
    }
/* the same with the fast form in two passes over a chunk: w = PRE(x) for
 * each element (NEEDS(w) tells whether the chunk needs FULL), then
 * FAST(x, w): where PRE is a long chain of its own (a logarithm), one loop
 * over both would be too long a chain for the core to overlap enough
 * elements */
#define CT_CHUNKED_MAP_W(NAME, T, PRE, NEEDS, FAST, FULL)                          \
void NAME(const T *x, T *o, int64_t count);                                        \
CT_MULTIVERSION void NAME(const T *x, T *o, int64_t count)                         \
{                                                                                  \
    __typeof__(PRE(x[0]) + 0) wb[64];                                              \
    CT_CHUNKS(FULL, {                                                              \
        _Pragma("omp simd reduction(|:more)")                                      \
        for (int64_t i = 0; i < n; i++) {                                          \
            wb[i] = PRE(xs[i]);                                                    \
            more |= NEEDS(wb[i]);                                                  \
        }                                                                          \
        _Pragma("omp simd")                                                        \
        for (int64_t i = 0; i < n; i++)                                            \
            os[i] = FAST(xs[i], wb[i]);                                            \
    })                                                                             \
}

/* the polynomial of the n coefficients c (n <= 32, a constant where it is
 * inlined) at u, c[0] the highest power's (lo 0) or the constant term's
 * (lo 1): Horner chains of 8 coefficients joined by u^8, so that the chains
 * overlap where one Horner scheme would be one long chain of dependent
 * steps */
CT_FM_INLINE double horner8_any_d(const double *c, int n, double u, int lo)
{
    double u2 = u * u, u4 = u2 * u2, u8 = u4 * u4, part[4];
    int top = (n - 1) / 8;
    _Pragma("GCC unroll 4")
    for (int j = 0; j <= top; j++) {
        int hi = 8 * j + 7 < n - 1 ? 8 * j + 7 : n - 1;
        double p = c[lo ? hi : n - 1 - hi];
        _Pragma("GCC unroll 8")
        for (int d = hi - 1; d >= 8 * j; d--)
            p = __builtin_fma(p, u, c[lo ? d : n - 1 - d]);
        part[j] = p;
    }
    double acc = part[top];
    _Pragma("GCC unroll 4")
    for (int j = top - 1; j >= 0; j--)
        acc = __builtin_fma(acc, u8, part[j]);
    return acc;
}

/* c[0] u^(n-1) + c[1] u^(n-2) + ... + c[n-1] */
CT_FM_INLINE double horner8_d(const double *c, int n, double u)
{
    return horner8_any_d(c, n, u, 0);
}

/* c[0] + c[1] u + ... + c[n-1] u^(n-1) */
CT_FM_INLINE double horner8_lo_d(const double *c, int n, double u)
{
    return horner8_any_d(c, n, u, 1);
}

/* above this degree the Chebyshev polynomials inside (-1, 1) come from
 * their trigonometric forms (the recurrence's cost grows with n, and its
 * rounding errors with it) */
#define TRIG_DEGREE 64

/* U_n(x) = sin((n + 1) t) / sin t, x = cos t, |x| < 1 */
static double cheb_u_trig(double n, double t, double s)
{
    return sin((n + 1) * t) / s;
}

static double poly_one(int kind, double x, int64_t n)
{
    double p0, p1, p2;
    int64_t k;
    if (n == 0)
        return 1.0;
    switch (kind) {
    case CT_POLY_CHEB_T:
        if (fabs(x) == 1.0)
            return (x > 0 || n % 2 == 0) ? 1.0 : -1.0;
        if (n > TRIG_DEGREE && fabs(x) < 1.0)
            return cos((double)n * acos(x));
        p0 = 1.0; p1 = x;
        for (k = 1; k < n; k++) {
            p2 = 2 * x * p1 - p0; p0 = p1; p1 = p2;
            if (isnan(p1))
                break;
        }
        return p1;
    case CT_POLY_CHEB_U:
    case CT_POLY_CHEB_V:
    case CT_POLY_CHEB_W: {
        /* V_n = U_n - U_(n-1), W_n = U_n + U_(n-1) */
        double sign = kind == CT_POLY_CHEB_V ? -1.0 : 1.0;
        if (n > TRIG_DEGREE && fabs(x) < 1.0) {
            double t = acos(x), s = sin(t);
            double un = cheb_u_trig((double)n, t, s);
            if (kind == CT_POLY_CHEB_U)
                return un;
            return un + sign * cheb_u_trig((double)(n - 1), t, s);
        }
        /* the same recurrence from U_1 = 2x, V_1 = 2x - 1, W_1 = 2x + 1 */
        p0 = 1.0;
        p1 = kind == CT_POLY_CHEB_U ? 2 * x : 2 * x + sign;
        for (k = 1; k < n; k++) {
            p2 = 2 * x * p1 - p0; p0 = p1; p1 = p2;
            if (isnan(p1))
                break;
        }
        return p1;
    }
    case CT_POLY_HERMITE_H:
        p0 = 1.0; p1 = 2 * x;
        for (k = 1; k < n; k++) {
            p2 = 2 * x * p1 - 2 * (double)k * p0; p0 = p1; p1 = p2;
            if (isnan(p1))
                break;
        }
        return p1;
    case CT_POLY_HERMITE_HE:
        p0 = 1.0; p1 = x;
        for (k = 1; k < n; k++) {
            p2 = x * p1 - (double)k * p0; p0 = p1; p1 = p2;
            if (isnan(p1))
                break;
        }
        return p1;
    case CT_POLY_LAGUERRE:
        p0 = 1.0; p1 = 1.0 - x;
        for (k = 1; k < n; k++) {
            p2 = ((2 * (double)k + 1 - x) * p1 - (double)k * p0) / (double)(k + 1);
            p0 = p1; p1 = p2;
            if (isnan(p1))
                break;
        }
        return p1;
    default: /* CT_POLY_LEGENDRE */
        if (fabs(x) == 1.0)
            return (x > 0 || n % 2 == 0) ? 1.0 : -1.0;
        p0 = 1.0; p1 = x;
        for (k = 1; k < n; k++) {
            p2 = ((2 * (double)k + 1) * x * p1 - (double)k * p0) / (double)(k + 1);
            p0 = p1; p1 = p2;
            if (isnan(p1))
                break;
        }
        return p1;
    }
}

/* the degree: n truncated toward 0, -1 where that is negative or n is not
 * finite */
static int64_t degree(double n)
{
    if (!(n > -1.0) || !(n < 9.2e18))
        return -1;
    return (int64_t)n;
}

static double poly_value(int kind, int shift, double x, double n)
{
    int64_t k = degree(n);
    if (k < 0)
        return 0.0;
    if (k == 0)
        return 1.0;
    if (shift)
        x = 2 * x - 1;
    if (isnan(x))
        return x;
    return poly_one(kind, x, k);
}

/* p_k(x) of one degree 1 <= k <= TRIG_DEGREE for a block of m <= POLY_BLOCK
 * elements: the recurrence of poly_one with the loops interchanged (degree
 * outside, elements inside, so that the inner loops vectorise), the same
 * operations in the same order; x holds the (shifted) arguments, the values
 * come back in p1. With kk, a degree per element (each at most k): element
 * i's value is taken into r at step kk[i] (0 for a negative degree, 1 for
 * degree 0), the recurrence run to the block's largest. */
#define POLY_BLOCK 256
static inline __attribute__((always_inline)) void
poly_block(int kind, const double *x, double *p0, double *p1, int64_t m, int64_t k,
           const int64_t *kk, double *r)
{
    int64_t i, j;
    double sign = kind == CT_POLY_CHEB_V ? -1.0 : 1.0;
    for (i = 0; i < m; i++) {
        p0[i] = 1.0;
        switch (kind) {
        case CT_POLY_CHEB_U: p1[i] = 2 * x[i]; break;
        case CT_POLY_CHEB_V: case CT_POLY_CHEB_W: p1[i] = 2 * x[i] + sign; break;
        case CT_POLY_HERMITE_H: p1[i] = 2 * x[i]; break;
        case CT_POLY_LAGUERRE: p1[i] = 1.0 - x[i]; break;
        default: p1[i] = x[i]; break;      /* T, He, P */
        }
    }
    if (kk != NULL)
        for (i = 0; i < m; i++)
            r[i] = kk[i] < 0 ? 0.0 : kk[i] == 0 ? 1.0 : p1[i];
    for (j = 1; j < k; j++) {
        double dj = (double)j, dj1 = (double)(j + 1);
        switch (kind) {
        case CT_POLY_HERMITE_H:
            #pragma omp simd
            for (i = 0; i < m; i++) {
                double p2 = 2 * x[i] * p1[i] - 2 * dj * p0[i];
                p0[i] = p1[i]; p1[i] = p2;
            }
            break;
        case CT_POLY_HERMITE_HE:
            #pragma omp simd
            for (i = 0; i < m; i++) {
                double p2 = x[i] * p1[i] - dj * p0[i];
                p0[i] = p1[i]; p1[i] = p2;
            }
            break;
        case CT_POLY_LAGUERRE:
            #pragma omp simd
            for (i = 0; i < m; i++) {
                double p2 = ((2 * dj + 1 - x[i]) * p1[i] - dj * p0[i]) / dj1;
                p0[i] = p1[i]; p1[i] = p2;
            }
            break;
        case CT_POLY_LEGENDRE:
            #pragma omp simd
            for (i = 0; i < m; i++) {
                double p2 = ((2 * dj + 1) * x[i] * p1[i] - dj * p0[i]) / dj1;
                p0[i] = p1[i]; p1[i] = p2;
            }
            break;
        default:                           /* the Chebyshev kinds */
            #pragma omp simd
            for (i = 0; i < m; i++) {
                double p2 = 2 * x[i] * p1[i] - p0[i];
                p0[i] = p1[i]; p1[i] = p2;
            }
            break;
        }
        if (kk != NULL) {
            #pragma omp simd
            for (i = 0; i < m; i++)
                r[i] = kk[i] == j + 1 ? p1[i] : r[i];
        }
    }
}

/* elements lo .. lo + m (m <= POLY_BLOCK) of dense x, degrees n and out,
 * a degree per element: the blocked recurrence to the block's largest
 * degree where it is at most TRIG_DEGREE, each element's value taken at its
 * own step (the same operations as poly_one's); element by element
 * otherwise */
CT_MULTIVERSION static void poly_degrees_block(int kind, int shift, int dtype, const void *x,
                                               const void *n, void *out, int64_t lo, int64_t m)
{
    double xb[POLY_BLOCK], p0[POLY_BLOCK], p1[POLY_BLOCK], r[POLY_BLOCK], nb_[POLY_BLOCK];
    int64_t kk[POLY_BLOCK], kmax = 0, j;
    if (dtype == 0)
        for (j = 0; j < m; j++) {
            xb[j] = ((const float *)x)[lo + j];
            nb_[j] = ((const float *)n)[lo + j];
        }
    else
        for (j = 0; j < m; j++) {
            xb[j] = ((const double *)x)[lo + j];
            nb_[j] = ((const double *)n)[lo + j];
        }
    for (j = 0; j < m; j++) {
        kk[j] = degree(nb_[j]);
        kmax = kk[j] > kmax ? kk[j] : kmax;
    }
    if (kmax <= TRIG_DEGREE) {
        if (shift)
            for (j = 0; j < m; j++) xb[j] = 2 * xb[j] - 1;
        poly_block(kind, xb, p0, p1, m, kmax, kk, r);
    } else {
        for (j = 0; j < m; j++) r[j] = poly_value(kind, shift, xb[j], nb_[j]);
    }
    if (dtype == 0)
        for (j = 0; j < m; j++) ((float *)out)[lo + j] = (float)r[j];
    else
        for (j = 0; j < m; j++) ((double *)out)[lo + j] = r[j];
}

int ct_special_poly(int kind, int shift, int dtype, const void *x, int64_t sx,
                    const void *n, int64_t sn, void *out, int64_t count)
{
    int64_t i;
    if (kind < 0 || kind >= CT_POLY_COUNT)
        return -1;
    if (sn == 0 && sx == 1) {
        /* one degree for all: a constant, or the blocked recurrence */
        int64_t k = degree(dtype == 0 ? (double)*(const float *)n : *(const double *)n);
        if (k <= 0 || k <= TRIG_DEGREE) {
            int64_t nb = (count + POLY_BLOCK - 1) / POLY_BLOCK;
            CT_PARALLEL_IF(count > 16384, "omp parallel for schedule(static)",
            for (i = 0; i < nb; i++) {
                double xb[POLY_BLOCK], p0[POLY_BLOCK], p1[POLY_BLOCK];
                int64_t lo = i * POLY_BLOCK, m = count - lo < POLY_BLOCK ? count - lo : POLY_BLOCK, j;
                for (j = 0; j < m; j++) {
                    double v = dtype == 0 ? (double)((const float *)x)[lo + j]
                                          : ((const double *)x)[lo + j];
                    xb[j] = shift ? 2 * v - 1 : v;
                }
                if (k > 0)
                    poly_block(kind, xb, p0, p1, m, k, NULL, NULL);
                else
                    for (j = 0; j < m; j++)
                        p1[j] = k == 0 ? 1.0 : 0.0;
                if (dtype == 0)
                    for (j = 0; j < m; j++)
                        ((float *)out)[lo + j] = (float)p1[j];
                else
                    for (j = 0; j < m; j++)
                        ((double *)out)[lo + j] = p1[j];
            });
            return 0;
        }
    }
    if (sn == 1 && sx == 1) {
        /* a degree per element: blocks whose degrees are at most
         * TRIG_DEGREE run the blocked recurrence to their largest, each
         * element's value taken at its own step (the same operations as
         * poly_one's); the other blocks element by element */
        int64_t nb = (count + POLY_BLOCK - 1) / POLY_BLOCK;
        CT_PARALLEL_IF(count > 16384, "omp parallel for schedule(static)",
        for (i = 0; i < nb; i++) {
            int64_t lo = i * POLY_BLOCK;
            poly_degrees_block(kind, shift, dtype, x, n, out, lo,
                               count - lo < POLY_BLOCK ? count - lo : POLY_BLOCK);
        });
        return 0;
    }
    if (dtype == 0) {
        const float *xf = (const float *)x, *nf = (const float *)n;
        float *o = (float *)out;
        CT_PARALLEL_IF(count > 16384, "omp parallel for schedule(dynamic, 4096)",
        for (i = 0; i < count; i++)
            o[i] = (float)poly_value(kind, shift, xf[i * sx], nf[i * sn]););
    } else {
        const double *xd = (const double *)x, *nd = (const double *)n;
        double *o = (double *)out;
        CT_PARALLEL_IF(count > 16384, "omp parallel for schedule(dynamic, 4096)",
        for (i = 0; i < count; i++)
            o[i] = poly_value(kind, shift, xd[i * sx], nd[i * sn]););
    }
    return 0;
}

/* the Taylor series of sin z and cos z, |z| <= pi/2 (to z^23 and z^24:
 * truncation under 1e-17), for the reflections of digamma and lgamma */
static const double lg_sin_c[12] = {     /* (-1)^k / (2k + 1)! */
    1.0, -0.16666666666666666, 0.008333333333333333, -0.0001984126984126984,
    2.7557319223985893e-06, -2.505210838544172e-08, 1.6059043836821613e-10,
    -7.647163731819816e-13, 2.8114572543455206e-15, -8.22063524662433e-18,
    1.9572941063391263e-20, -3.868170170630684e-23};
static const double dg_cos_c[13] = {     /* (-1)^k / (2k)! */
    1.0, -0.5, 0.041666666666666664, -0.001388888888888889, 2.48015873015873e-05,
    -2.755731922398589e-07, 2.08767569878681e-09, -1.1470745597729725e-11,
    4.779477332387385e-14, -1.5619206968586225e-16, 4.110317623312165e-19,
    -8.896791392450574e-22, 1.6117375710961184e-24};

/* sin(pi r) and cos(pi r), |r| <= 1/2, by those series in z = pi r */
CT_FM_INLINE double ct_sinpi_series(double r)
{
    double z = 3.14159265358979323846 * r, z2 = z * z, sp = lg_sin_c[11];
    #pragma GCC unroll 11
    for (int k = 10; k >= 0; k--)
        sp = sp * z2 + lg_sin_c[k];
    return z * sp;
}
CT_FM_INLINE double ct_cospi_series(double r)
{
    double z = 3.14159265358979323846 * r, z2 = z * z, cs = dg_cos_c[12];
    #pragma GCC unroll 12
    for (int k = 11; k >= 0; k--)
        cs = cs * z2 + dg_cos_c[k];
    return cs;
}

/* digamma of x > 0: the recurrence psi(x) = psi(x + 1) - 1/x up to x >= 10,
 * then the asymptotic series ln x - 1/(2x) - sum B_2k / (2k x^2k) to the
 * x^-14 term (the next one is below 5e-17 from x = 10 on) */
static double digamma_pos(double x)
{
    /* near the positive zero x0 = 1.46163214496836234126... the Taylor
     * series in x - x0 (x0 as a sum of two doubles; coefficients
     * psi^(k)(x0) / k!), which keeps the relative precision there that the
     * recurrence loses to cancellation */
    static const double c[12] = {
        0.9676722454476212, -0.4427631689835921, 0.258499760955651, -0.16394270544240652,
        0.10782405069126237, -0.07219956125645471, 0.04880428816414311, -0.03316112647484736,
        0.022597648232218104, -0.01542476590494896, 0.010538791616612175, -0.007204534386356869};
    double acc = 0.0, z;
    double d = (x - 1.4616321449683622) - 9.549995429965697e-17;
    if (fabs(d) < 0.05) {
        int k;
        double p = c[11];
        for (k = 10; k >= 0; k--)
            p = p * d + c[k];
        return p * d;
    }
    if (x < 10.0) {
        /* acc = sum of 1/(x + j) as one fraction num/den: one division */
        double num = 0.0, den = 1.0;
        while (x < 10.0) {
            num = num * x + den;
            den *= x;
            x += 1.0;
        }
        acc = num / den;
    }
    z = 1.0 / (x * x);
    return log(x) - 0.5 / x
        - z * (1.0 / 12 - z * (1.0 / 120 - z * (1.0 / 252 - z * (1.0 / 240 - z * (1.0 / 132
              - z * (691.0 / 32760 - z / 12))))))
        - acc;
}

/* digamma of any x: x < 0 by the reflection psi(x) = psi(1 - x) - pi cot(pi x),
 * with cot's argument reduced to x - round(x) (exact) */
static double digamma_one(double x)
{
    const double pi = 3.14159265358979323846;
    if (isnan(x))
        return x;
    if (x == 0.0)
        return signbit(x) ? INFINITY : -INFINITY;
    if (x < 0.0) {
        double r;
        if (x == floor(x))
            return NAN;
        r = x - round(x);
        return digamma_pos(1.0 - x) - pi / tan(pi * r);
    }
    return digamma_pos(x);
}

/* digamma_pos for 0 < x < inf, branch free: both the Taylor series and the
 * recurrence (ten masked steps of the fraction num/den) with the asymptotic
 * series, one picked; log by log_d. With with_neg, x < 0 (not a pole) by the
 * reflection psi(x) = psi(1 - x) - pi cos(pi r) / sin(pi r), r = x - the
 * nearest integer (exact), the sine and cosine by their series; blocks
 * without a negative x skip it. The rest (0, poles, infinities, NaN) are
 * left for a scalar pass (*ok 0). */
CT_FM_INLINE int dg_ok(double v, int with_neg)
{
    return (v > 0.0 && v < __builtin_inf()) ||
           (with_neg && v < 0.0 && v > -4503599627370496.0 && v != __builtin_floor(v));
}
CT_FM_INLINE double dg_value(double v, int with_neg, int ok)
{
    static const double c[12] = {
        0.9676722454476212, -0.4427631689835921, 0.258499760955651,
        -0.16394270544240652, 0.10782405069126237, -0.07219956125645471,
        0.04880428816414311, -0.03316112647484736, 0.022597648232218104,
        -0.01542476590494896, 0.010538791616612175, -0.007204534386356869};
    const double pi = 3.14159265358979323846;
    int neg = ok && v < 0.0;
    double r = (neg ? v : 0.5) - __builtin_floor((neg ? v : 0.5) + 0.5);   /* exact */
    double xd = ok ? (neg ? 1.0 - v : v) : 1.0;
    double d = (xd - 1.4616321449683622) - 9.549995429965697e-17;
    double p = c[11];
    #pragma GCC unroll 11
    for (int k = 10; k >= 0; k--)
        p = p * d + c[k];
    p *= d;
    double y = xd, num = 0.0, den = 1.0;
    #pragma GCC unroll 10
    for (int j = 0; j < 10; j++) {
        int m = y < 10.0;
        num = m ? num * y + den : num;
        den = m ? den * y : den;
        y = m ? y + 1.0 : y;
    }
    double z = 1.0 / (y * y);
    double big = log_d(y) - 0.5 / y
        - z * (1.0 / 12 - z * (1.0 / 120 - z * (1.0 / 252 - z * (1.0 / 240
              - z * (1.0 / 132 - z * (691.0 / 32760 - z / 12))))))
        - num / den;
    double ps = __builtin_fabs(d) < 0.05 ? p : big;
    if (with_neg) {
        ps = neg ? ps - pi * ct_cospi_series(r) / ct_sinpi_series(r) : ps;
    }
    return ps;
}
/* the block [b0, b0 + m) with or without the reflection (WN) */
#define DG_BLOCK(T, WN) {                                                         \
        _Pragma("omp simd reduction(|:rest)")                                  \
        for (int64_t i = 0; i < m; i++) {                                      \
            int ok = dg_ok((double)x[b0 + i], WN);                             \
            o[b0 + i] = (T)dg_value((double)x[b0 + i], WN, ok);                \
            rest |= !ok;                                                       \
        }                                                                      \
    }
#define DIGAMMA_LOOP(NAME, T)                                                  \
void NAME(const T *x, T *o, int64_t count);                                    \
CT_MULTIVERSION void NAME(const T *x, T *o, int64_t count)                     \
{                                                                              \
    int rest = 0;                                                              \
    for (int64_t b0 = 0; b0 < count; b0 += 1024) {                             \
        const int64_t m = count - b0 < 1024 ? count - b0 : 1024;               \
        int neg = 0;                                                           \
        _Pragma("omp simd reduction(|:neg)")                                   \
        for (int64_t i = 0; i < m; i++)                                        \
            neg |= x[b0 + i] < 0;                                              \
        if (neg) DG_BLOCK(T, 1)                                                 \
        else DG_BLOCK(T, 0)                                                     \
    }                                                                          \
    if (rest)                                                                  \
        for (int64_t i = 0; i < count; i++)                                    \
            if (!dg_ok((double)x[i], 1))                                       \
                o[i] = (T)digamma_one(x[i]);                                   \
}
DIGAMMA_LOOP(ct_digamma_f_loop, float)
DIGAMMA_LOOP(ct_digamma_d_loop, double)

int ct_special_digamma(int dtype, const void *x, void *out, int64_t count)
{
    int64_t i, nb = (count + 8191) / 8192;
    if (dtype != 0 && dtype != 1)
        return -1;
    /* in blocks, so that the threads each run the vector loop */
    CT_PARALLEL_IF(count > 16384, "omp parallel for schedule(static)",
    for (i = 0; i < nb; i++) {
        int64_t lo = i * 8192, n = count - lo < 8192 ? count - lo : 8192;
        if (dtype == 0)
            ct_digamma_f_loop((const float *)x + lo, (float *)out + lo, n);
        else
            ct_digamma_d_loop((const double *)x + lo, (double *)out + lo, n);
    });
    return 0;
}

/* erfinv of doubles, branch free so that the loop vectorises:
 * x = y P(w), w = -log(1 - y^2) (1 - y^2 as an exact pair, fastmath_d.h's
 * log taking its second part in), P of degree
 * 24 in w - 3.125 for w < 6.25 (|y| < 0.99806); past it x itself as a
 * polynomial in s = sqrt(w), of degree 18 in s - 3.25 for s < 4 and of
 * degree 16 in s - 5.1 above (s stays below 6.01 for |y| < 1 in double).
 * Each interpolated at Chebyshev nodes in 60-digit arithmetic and taken to
 * powers of the centred variable: relative error of the double evaluation
 * under 1.7e-16 (P) and 2.1e-16 (the tails). The tails' square root and
 * polynomials run, as the float loop's, only for chunks that have a lane
 * with w >= 6.25 (or |y| >= 1, NaN). */
static const double erfinv_dc[25] = {
    -3.5932028927020693e-22, 3.194015548136271e-21, 1.9992599888615348e-20,
    -3.4734793888538036e-19, 6.0750507020724141e-19, 1.5510787009902526e-17,
    -1.2215637192404172e-16, -3.9401881223043202e-17, 6.5213335115022388e-15,
    -4.0020031087558496e-14, -8.0719259389900406e-14, 2.6305268312595183e-12,
    -1.2978805369932565e-11, -5.4143032839195042e-11, 1.051223377050429e-09,
    -4.1126604371632185e-09, -2.907039127564132e-08, 4.2347881682224598e-07,
    -1.3654691758785656e-06, -1.3882523393957483e-05, 0.00018673420801981186,
    -0.00074070253415464314, -0.0060336708714268513, 0.24015818242558834,
    1.6536545626831027,
};
static const double erfinv_dta[19] = {
    1.2948292495325167e-09, -1.0081330006194249e-09, -8.7317372127125342e-09,
    2.5460437357234635e-08, -1.8082279049616797e-08, -9.6407380440178035e-08,
    3.9752398051539066e-07, -6.1941149054124084e-07, -4.6473254389568204e-07,
    5.0823050937779068e-06, -1.3807789578575624e-05, 1.707476806506856e-05,
    2.4145128018158083e-05, -0.00022201675750971274, 0.00085602607058169996,
    -0.0024458934121345081, 0.0046526098392196723, 1.0055052352452993,
    3.0838457231032423,
};
static const double erfinv_dtb[17] = {
    -4.9765355304789297e-12, 1.6312806931079856e-11, -1.8107703247632822e-11,
    6.2752695151782338e-12, 9.4497687040384663e-11, -9.0995881154107802e-10,
    5.6949646926803973e-09, -3.1322598446513378e-08, 1.6330794857794905e-07,
    -8.1587659654248491e-07, 3.8775899304086159e-06, -1.7154284349820866e-05,
    6.6795491937245239e-05, -0.00018651106067320714, -0.00019885948140657833,
    1.0102665646274542, 4.9509348530663528,
};

CT_FM_INLINE double erfinv_w_d(double a)
{
    /* 1 - a^2 = p + pc exactly (a^2 = h + l; 1 - p and (1 - p) - h exact,
     * Sterbenz); with p = 2^e (1 + f), f + pc 2^-e (rounded, far below an
     * ulp of the log) in log's place of f */
    double h = a * a, l = __builtin_fma(a, a, -h);
    double p = 1.0 - h, pc = ((1.0 - p) - h) - l;
    double e, f = ct_log_split_d(p, &e);
    double se = ct_pow2i_d(-e);
    return -ct_log_core_d(e, __builtin_fma(pc, se, f), 0.0);
}

CT_FM_INLINE double erfinv_central_d(double a, double w)
{
    return a * ct_horner_d(erfinv_dc, 25, w - 3.125);
}

CT_FM_INLINE double erfinv_tail_d(double w)
{
    /* sqrt(w) = s + sl, sl its rounding error (x moves as fast as s) */
    double s = __builtin_sqrt(w), sl = __builtin_fma(-s, s, w) / (2.0 * s);
    double xa = ct_horner_d(erfinv_dta, 19, (s - 3.25) + sl), xb = ct_horner_d(erfinv_dtb, 17, (s - 5.1) + sl);
    return s < 4.0 ? xa : xb;
}

CT_FM_INLINE double erfinv_finish_d(double y, double a, double x)
{
    double r = __builtin_copysign(x, y);
    r = a == 1.0 ? __builtin_copysign((double)__builtin_inf(), y) : r;
    r = a > 1.0 ? (double)__builtin_nan("") : r;
    return (a == 0.0 || y != y) ? y : r;
}

/* the fast form in two steps: w of |y|, then the central polynomial */
CT_FM_INLINE double erfinv_w_abs_d(double y) { return erfinv_w_d(__builtin_fabs(y)); }
/* the tail's w: not NaN (|y| > 1 or NaN) nor inf (|y| = 1), whose results
 * erfinv_finish_d sets whatever the polynomial gave */
CT_FM_INLINE int erfinv_w_tail_d(double w) { return w >= 6.25 && w < (double)__builtin_inf(); }
CT_FM_INLINE double erfinv_fast_w_d(double y, double w)
{
    double a = __builtin_fabs(y);
    return erfinv_finish_d(y, a, erfinv_central_d(a, w));
}

CT_FM_INLINE double erfinv_d(double y)
{
    double a = __builtin_fabs(y), w = erfinv_w_d(a);
    return erfinv_finish_d(y, a, w < 6.25 ? erfinv_central_d(a, w) : erfinv_tail_d(w));
}

CT_CHUNKED_MAP_W(ct_erfinv_d_loop, double, erfinv_w_abs_d, erfinv_w_tail_d, erfinv_fast_w_d, erfinv_d)

/* erfinv of a float: M. Giles' single-precision approximation
 * ("Approximating the erfinv function", GPU Computing Gems, 2011), a
 * polynomial in w = -log(1 - y^2) (in w - 2.5 below w = 5, in sqrt(w) - 3
 * above), in float as Giles writes it (about 2 ulp), branch free so that the loop vectorises:
 * w = -log((1 - |y|)(1 + |y|)) by fastmath.h's log for normal positive
 * arguments (the product is at least 2^-24 for |y| < 1; |y| >= 1 or NaN
 * gives a meaningless w there, and the selects at the end replace the
 * result). The tail's polynomial (w >= 5, |y| > 0.99662) costs a square
 * root and as much again as the rest: a first vector pass over a chunk
 * (64 elements) takes the central one in every lane and notes whether any lane has
 * w >= 5 (or a meaningless w); only then does the chunk run again with
 * both polynomials evaluated and one picked per lane. */
CT_FM_INLINE float erfinv_w_f(float a)
{
    return -ct_logf_fast((1.0f - a) * (1.0f + a));
}

CT_FM_INLINE float erfinv_central_f(float w)
{
    float t = w - 2.5f;
    float pc = 2.81022636e-08f;
    pc = __builtin_fmaf(pc, t, 3.43273939e-07f);
    pc = __builtin_fmaf(pc, t, -3.5233877e-06f);
    pc = __builtin_fmaf(pc, t, -4.39150654e-06f);
    pc = __builtin_fmaf(pc, t, 0.00021858087f);
    pc = __builtin_fmaf(pc, t, -0.00125372503f);
    pc = __builtin_fmaf(pc, t, -0.00417768164f);
    pc = __builtin_fmaf(pc, t, 0.246640727f);
    return __builtin_fmaf(pc, t, 1.50140941f);
}

/* the result from the polynomial's value p */
CT_FM_INLINE float erfinv_finish_f(float y, float a, float p)
{
    float r = __builtin_copysignf(p * a, y);
    r = a == 1.0f ? __builtin_copysignf(__builtin_inff(), y) : r;
    r = a > 1.0f ? __builtin_nanf("") : r;
    return (a == 0.0f || y != y) ? y : r;
}

CT_FM_INLINE float erfinv_f(float y)
{
    float a = __builtin_fabsf(y);
    float w = erfinv_w_f(a);
    float pc = erfinv_central_f(w);
    float u = __builtin_sqrtf(w) - 3.0f;
    float pt = -0.000200214257f;
    pt = __builtin_fmaf(pt, u, 0.000100950558f);
    pt = __builtin_fmaf(pt, u, 0.00134934322f);
    pt = __builtin_fmaf(pt, u, -0.00367342844f);
    pt = __builtin_fmaf(pt, u, 0.00573950773f);
    pt = __builtin_fmaf(pt, u, -0.0076224613f);
    pt = __builtin_fmaf(pt, u, 0.00943887047f);
    pt = __builtin_fmaf(pt, u, 1.00167406f);
    pt = __builtin_fmaf(pt, u, 2.83297682f);
    return erfinv_finish_f(y, a, w < 5.0f ? pc : pt);
}

CT_FM_INLINE float erfinv_fast_f(float y)
{
    float a = __builtin_fabsf(y);
    return erfinv_finish_f(y, a, erfinv_central_f(erfinv_w_f(a)));
}

CT_FM_INLINE int erfinv_needs_tail_f(float y)
{
    return !(erfinv_w_f(__builtin_fabsf(y)) < 5.0f);
}

CT_CHUNKED_MAP(ct_erfinv_f_loop, float, erfinv_fast_f, erfinv_needs_tail_f, erfinv_f)

static void erfinv_fb(const void *x, void *o, int64_t n) { ct_erfinv_f_loop(x, o, n); }
#ifdef CT_HAVE_AVX512_TABLES
/* erfinv512.h's kernel a chunk of 64 at a time; a chunk with a lane it
 * leaves (|y| > 1 - 2^-9, NaN) runs again through the portable loop, after
 * the vector pass over 8192 values: a call inside that pass would make GCC
 * keep the kernel's constants' registers on the stack (all zmm registers
 * are the caller's to save) */
static pthread_once_t erfinv512_once = PTHREAD_ONCE_INIT;
__attribute__((target("avx512f"))) static void erfinv512_block_d(const double *x, double *o, int64_t count)
{
    pthread_once(&erfinv512_once, ct_erfinv512_fill);
    for (int64_t b0 = 0; b0 < count; b0 += 8192) {
        const int64_t nb = count - b0 < 8192 ? count - b0 : 8192;
        uint8_t slow[128];
        for (int64_t c = 0; c < nb; c += 64) {
            const int64_t n = nb - c < 64 ? nb - c : 64;
            const double *xp = x + b0 + c;
            double *op = o + b0 + c;
            unsigned sl = 0;
            int64_t i = 0;
            /* two vectors a step: their chains overlap */
            for (; i + 16 <= n; i += 16) {
                __mmask8 s, s2;
                __m512d a = ct_erfinv512_d(_mm512_loadu_pd(xp + i), &s);
                __m512d b = ct_erfinv512_d(_mm512_loadu_pd(xp + i + 8), &s2);
                _mm512_storeu_pd(op + i, a);
                _mm512_storeu_pd(op + i + 8, b);
                sl |= s | s2;
            }
            for (; i + 8 <= n; i += 8) {
                __mmask8 s;
                _mm512_storeu_pd(op + i, ct_erfinv512_d(_mm512_loadu_pd(xp + i), &s));
                sl |= s;
            }
            if (i < n) {
                __mmask8 t = (__mmask8)((1u << (n - i)) - 1), s;
                _mm512_mask_storeu_pd(op + i, t, ct_erfinv512_d(_mm512_maskz_loadu_pd(t, xp + i), &s));
                sl |= s & t;
            }
            slow[c / 64] = sl != 0;
        }
        for (int64_t c = 0; c < nb; c += 64)
            if (slow[c / 64])
                ct_erfinv_d_loop(x + b0 + c, o + b0 + c, nb - c < 64 ? nb - c : 64);
    }
}
#endif

CT_AVX512_OR(static void erfinv_db(const void *x, void *o, int64_t n), erfinv512_block_d, ct_erfinv_d_loop)

int ct_special_erfinv(int dtype, const void *x, void *out, int64_t count)
{
    if (dtype != 0 && dtype != 1)
        return -1;
    /* in blocks, so that the threads each run the vector loop */
    ct_special_blocks(dtype ? erfinv_db : erfinv_fb, dtype ? sizeof(double) : sizeof(float), x, out,
                      count, 65536);
    return 0;
}

/* erfc of floats in float lanes, branch free so that the loop vectorises.
 * For a = |x| <= ERFC_F_MAX (past it erfc rounds to 0):
 *   erfc(a) = exp(-a^2) erfcx(a),  erfcx(a) = d exp(L(d - U0)),
 * d = K / (a + c), c = sqrt(pi) / 2 and K, U0 floats with L(0) = 0
 * (erfcx(a) (a + c) is flat at a = 0 with this c, so that d's rounding
 * error hardly shows in L). L of degree 13, fitted (weighted least squares
 * iterated towards the minimax error, coefficients rounded to float one by
 * one with the rest refitted) to log(erfcx(a) (a + c) / K) against
 * high-precision values for a in [0, 10.06]: absolute error 7.9e-9.
 * d - U0 is exact (Sterbenz) for a <= 2.4. So erfc(a) = d exp(L - z - zl)
 * with x^2 = z + zl (zl = fma(a, a, -z) exact): k = round((L - z) / ln2),
 * r = (-z - k ln2_hi) + L (the first sum exact, the second the last step
 * of L's Horner scheme), and the small rest -zl - k ln2_lo together with
 * d's own rounding (a + c by an exact two-sum, one Newton residual) as a
 * factor 1 + cr; e^r (1 + cr) = 1 + e, e^r - 1 - r = r^2 Q(r) with Q of
 * degree 4 fitted as L (relative error of e^r 4.4e-9 for |r| <= ln2 / 2),
 * and the result d + d e by one fma, times 2^k applied last as
 * 2^(k+64) 2^-64 (results below 2^-126 rounded once, as denormals).
 * x < 0: 2 - erfc(|x|) (no cancellation: erfc(|x|) <= 1).
 * ndtr(x) = erfc(-x / sqrt 2) / 2 takes the argument as a float pair (its
 * square's tail in zl, the sum's in the two-sum) and the 1/2 in k.
 * Largest error over every 31st float (by bit pattern) in [-4, 10.1]
 * against erfc in double: 1.54 ulp for erfc; for ndtr over [-14.3, 5.7]:
 * 1.58 ulp (in units of 2^-149 below 2^-126). */
#define ERFC_F_MAX 10.0542f
#define ERFC_F_C 0.886226952075958251953125f
#define ERFC_F_K 0.8265784382820129f
/* erfcx(ac) = d (1 + rho) exp(u lp) for 0 <= ac <= ERFC_F_MAX (ac + al
 * the argument, al a tail below half its ulp): d, rho, u returned, lp the
 * value */
CT_FM_INLINE float erfcx_parts_f(float ac, float al, float *dp, float *rhop, float *up)
{
    /* d = K / (a + c) (1 + rho): s + sl = a + c exactly */
    float s = ac + ERFC_F_C, bv = s - ac;
    float sl = ((ac - (s - bv)) + (ERFC_F_C - bv)) + al;
    float d = ERFC_F_K / s;
    float rho = (__builtin_fmaf(-s, d, ERFC_F_K) - sl * d) * (1.0f / ERFC_F_K);
    float u = d - 0.49594706296920776f;
    /* by halves, for a shorter dependency chain: lp = A + u^6 B */
    float u2 = u * u, u6 = u2 * u2 * u2;
    float pb = -7.540721416e+00f;
    pb = __builtin_fmaf(pb, u, 5.026477814e+00f);
    pb = __builtin_fmaf(pb, u, 3.462924004e+00f);
    pb = __builtin_fmaf(pb, u, -4.190267563e+00f);
    pb = __builtin_fmaf(pb, u, 1.410266638e+00f);
    pb = __builtin_fmaf(pb, u, 9.080674499e-02f);
    pb = __builtin_fmaf(pb, u, -7.152937055e-01f);
    float pa = 8.675910830e-01f;
    pa = __builtin_fmaf(pa, u, -5.718268156e-01f);
    pa = __builtin_fmaf(pa, u, 4.800491035e-02f);
    pa = __builtin_fmaf(pa, u, 4.426847100e-01f);
    pa = __builtin_fmaf(pa, u, -6.912207007e-01f);
    pa = __builtin_fmaf(pa, u, 3.841855526e-01f);
    float lp = __builtin_fmaf(pb, u6, pa);
    *dp = d;
    *rhop = rho;
    *up = u;
    return lp;
}

CT_FM_INLINE float erfc_pos_f(float a, float al, int32_t h)
{
    /* a clamped, by its bits (a NaN, above inf's, too), the result
     * selected after; an integer min keeps the compiler from carrying the
     * clamped lanes' constants through the formulas as blends */
    uint32_t ab, mb = 0x4120de01u;                       /* ERFC_F_MAX */
    memcpy(&ab, &a, 4);
    float ac = ct_bits_to_float(ab < mb ? ab : mb);
    float z = ac * ac;
    float zl = __builtin_fmaf(2.0f * ac, al, __builtin_fmaf(ac, ac, -z));
    float d, rho, u;
    float lp = erfcx_parts_f(ac, al, &d, &rho, &u);
    /* L = u lp; k = round((L - z) / ln2) by the 1.5 * 2^23 trick */
    float kf = __builtin_fmaf(u * lp - z, 1.44269502162933349609375f, 12582912.0f) - 12582912.0f;
    float r = __builtin_fmaf(u, lp, __builtin_fmaf(kf, -0.693147182464599609375f, -z));
    float cr = __builtin_fmaf(kf, 1.904654299957768e-09f, rho - zl);
    /* (e^r - 1 - r) / r^2 for |r| <= ln2 / 2, fitted as L (relative error
     * of e^r 4.4e-9) */
    float eq = 1.381446724e-03f;
    eq = __builtin_fmaf(eq, r, 8.368781768e-03f);
    eq = __builtin_fmaf(eq, r, 4.166839272e-02f);
    eq = __builtin_fmaf(eq, r, 1.666651964e-01f);
    eq = __builtin_fmaf(eq, r, 4.999999404e-01f);
    float g = r * r * eq;
    float e = r + __builtin_fmaf(cr, (1.0f + r) + g, g);
    float v = __builtin_fmaf(d, e, d);
    /* k - h + 64 in [-84, 64] */
    int32_t k = (int32_t)kf - h + 64;
    v = (v * ct_bits_to_float((uint32_t)(k + 127) << 23)) * 5.42101086242752217e-20f;
    return a > ERFC_F_MAX ? 0.0f : v;
}

CT_FM_INLINE float erfc_f(float x)
{
    float r = erfc_pos_f(__builtin_fabsf(x), 0.0f, 0);
    r = x < 0.0f ? 2.0f - r : r;
    return x != x ? x : r;
}

CT_SIMD_MAP(ct_erfc_f_loop, float, erfc_f)

/* ndtr of a float: erfc(y) / 2, y = -x / sqrt 2 = yh + yl (1 / sqrt 2 in
 * two floats; yl the rounding error of yh and the constant's tail) */
CT_FM_INLINE float ndtr_f1(float x)
{
    float yh = x * -0.70710676908493042f;
    float yl = __builtin_fmaf(x, -0.70710676908493042f, -yh) + x * -1.2101617104e-08f;
    float a = __builtin_fabsf(yh), al = yh < 0.0f ? -yl : yl;
    float r = erfc_pos_f(a, al, 1);
    r = yh < 0.0f ? 1.0f - r : r;
    return x != x ? x : r;
}

CT_SIMD_MAP(ct_ndtr_f_loop, float, ndtr_f1)

/* erfcx(x) = exp(x^2) erfc(x) of floats, from erfc_pos_f's parts: for
 * 0 <= x <= ERFC_F_MAX, d (1 + rho) e^L, e^L by Taylor's series to L^8
 * (|L| <= 0.39); past it the asymptotic series (1 / (sqrt(pi) x))
 * sum_k (-1)^k (2k - 1)!! / (2 x^2)^k to k = 5 (truncation below 3e-9 from
 * 10 on); x < 0: 2 exp(x^2) - erfcx(-x) (no cancellation: the first term is
 * at least twice the second), exp(x^2) = 2^k e^r (1 + cr) with x^2 as a
 * float pair as in erfc_pos_f, +inf from -9.3825 on, where it overflows.
 * Largest error over every 61st float in [-9.4, 12] against scipy's
 * erfcx in double: 2.03 ulp. */
CT_FM_INLINE float erfcx_pos_f(float a, float al)
{
    uint32_t ab, mb = 0x4120de01u;                       /* ERFC_F_MAX */
    memcpy(&ab, &a, 4);
    float ac = ct_bits_to_float(ab < mb ? ab : mb);
    float d, rho, u;
    float lp = erfcx_parts_f(ac, al, &d, &rho, &u);
    float l = u * lp;
    float eq = 1.0f / 40320;
    eq = __builtin_fmaf(eq, l, 1.0f / 5040);
    eq = __builtin_fmaf(eq, l, 1.0f / 720);
    eq = __builtin_fmaf(eq, l, 1.0f / 120);
    eq = __builtin_fmaf(eq, l, 1.0f / 24);
    eq = __builtin_fmaf(eq, l, 1.0f / 6);
    eq = __builtin_fmaf(eq, l, 0.5f);
    float g = l * l * eq;
    float e = __builtin_fmaf(u, lp, __builtin_fmaf(rho, (1.0f + l) + g, g));
    float v = __builtin_fmaf(d, e, d);
    /* the asymptotic series, w = 1 / (2 x^2), as ct (1 + q) with
     * 1 / (sqrt(pi) x) = ct (1 + tr + the constant's tail) and ct a pair,
     * summed with one rounding */
    float t = 1.0f / a, w = 0.5f * t * t;
    float tr = __builtin_fmaf(-a, t, 1.0f);
    float p = __builtin_fmaf(-9.0f, w, 1.0f);
    p = __builtin_fmaf(-7.0f * w, p, 1.0f);
    p = __builtin_fmaf(-5.0f * w, p, 1.0f);
    p = __builtin_fmaf(-3.0f * w, p, 1.0f);
    float ct = 0.564189612865448f * t;
    float ctl = __builtin_fmaf(0.564189612865448f, t, -ct);
    float big = ct + __builtin_fmaf(ct, __builtin_fmaf(-w, p, tr - 5.196425287e-08f), ctl);
    big = a == __builtin_inff() ? 0.0f : big;
    return a > ERFC_F_MAX ? big : v;
}

CT_FM_INLINE float erfcx_f1(float x)
{
    float a = __builtin_fabsf(x);
    float v = erfcx_pos_f(a, 0.0f);
    uint32_t ab;
    memcpy(&ab, &a, 4);
    /* x < 0: exp(x^2), |x| clamped where it overflows */
    uint32_t nb = 0x41161e4fu;                           /* 9.3824f */
    float am = ct_bits_to_float(ab < nb ? ab : nb);
    float z = am * am, zl = __builtin_fmaf(am, am, -z);
    float kf = __builtin_fmaf(z, 1.44269502162933349609375f, 12582912.0f) - 12582912.0f;
    float r = __builtin_fmaf(kf, -0.693147182464599609375f, z);
    float cr = __builtin_fmaf(kf, 1.904654299957768e-09f, zl);
    float q = 1.381446724e-03f;
    q = __builtin_fmaf(q, r, 8.368781768e-03f);
    q = __builtin_fmaf(q, r, 4.166839272e-02f);
    q = __builtin_fmaf(q, r, 1.666651964e-01f);
    q = __builtin_fmaf(q, r, 4.999999404e-01f);
    float g2 = r * r * q;
    float e2 = r + __builtin_fmaf(cr, (1.0f + r) + g2, g2);
    float sc = ct_bits_to_float((uint32_t)((int32_t)kf + 127) << 23);
    float ex = __builtin_fmaf(sc, e2, sc);
    float neg = __builtin_fmaf(2.0f, ex, -v);
    neg = a > 9.3824f ? __builtin_inff() : neg;
    float res = x < 0.0f ? neg : v;
    return x != x ? x : res;
}

CT_SIMD_MAP(ct_erfcx_f_loop, float, erfcx_f1)

/* log_ndtr of floats: with y = -x / sqrt 2 = yh + yl (as ndtr_f1) and
 * a = |y|: x < 0, log(erfcx(a) / 2) - a^2 (the square as a float pair; past
 * a = 1e18 the log is below the square's rounding and left out); x >= 0,
 * log1p(-h), h = erfc(a) / 2 <= 1/2, as log(u) + (1 - u - h) / u with
 * u = 1 - h rounded (the correction exact in its numerator, 1 / u taken
 * as 2 - u: it is below 2^-25 of the result), below h = 2^-13 its series
 * -h - h^2 / 2 (-0 where h is 0, as PyTorch). Largest error over every
 * 61st float in [-20, 6] against scipy's log_ndtr in double: 2.37 ulp. */
CT_FM_INLINE float log_ndtr_f1(float x)
{
    float yh = x * -0.70710676908493042f;
    float yl = __builtin_fmaf(x, -0.70710676908493042f, -yh) + x * -1.2101617104e-08f;
    float a = __builtin_fabsf(yh), al = yh < 0.0f ? -yl : yl;
    float v = erfcx_pos_f(a, al);
    float z = a * a, zl = __builtin_fmaf(2.0f * a, al, __builtin_fmaf(a, a, -z));
    float lv = a > 1e18f ? 1.0f : 0.5f * v;
    float neg = (ct_logf_fast(lv) - zl) - z;
    neg = a > 1e18f ? -(z + zl) : neg;
    neg = z == __builtin_inff() ? -z : neg;
    float h = erfc_pos_f(a, al, 1);
    float u = 1.0f - h;
    float pos = ct_logf_fast(u) + ((1.0f - u) - h) * (2.0f - u);
    /* h < 2^-13: -h - h^2 / 2 (-0 at h = 0, as PyTorch) */
    pos = h < 1.220703125e-4f ? __builtin_fmaf(-0.5f * h, h, -h) : pos;
    float r = yh > 0.0f ? neg : pos;
    return x != x ? x : r;
}

CT_SIMD_MAP(ct_log_ndtr_f_loop, float, log_ndtr_f1)

/* trigamma (polygamma(1, x)). For y >= the threshold, the asymptotic series
 * 1/y + 1/(2y^2) + sum B_2k / y^(2k+1), to the B_16 term (relative
 * truncation below 1e-12 from y = 6, below 1e-16 from y = 12) */
CT_FM_INLINE double trigamma_series(double y)
{
    double w = 1.0 / y, w2 = w * w;
    double s = -3617.0 / 510;
    s = s * w2 + 7.0 / 6;
    s = s * w2 - 691.0 / 2730;
    s = s * w2 + 5.0 / 66;
    s = s * w2 - 1.0 / 30;
    s = s * w2 + 1.0 / 42;
    s = s * w2 - 1.0 / 30;
    s = s * w2 + 1.0 / 6;
    return w + 0.5 * w2 + w * w2 * s;
}

/* trigamma of x > 0 in double: psi1(x) = psi1(x + 1) + 1/x^2 up to x >= 12 */
static double trigamma_pos(double x)
{
    double acc = 0.0;
    while (x < 12.0) {
        acc += 1.0 / (x * x);
        x += 1.0;
    }
    return acc + trigamma_series(x);
}

/* trigamma of any x: +inf at 0 and the negative integers (poles), NaN at
 * -inf; x < 0 by the reflection psi1(x) = pi^2 / sin^2(pi x) - psi1(1 - x),
 * sin's argument reduced to x - round(x) (exact) */
static double trigamma_one(double x)
{
    const double pi = 3.14159265358979323846;
    if (isnan(x) || x == -INFINITY)
        return NAN;
    if (x <= 0.0) {
        double s;
        if (x == floor(x))
            return INFINITY;
        s = sin(pi * (x - round(x)));
        return pi * pi / (s * s) - trigamma_pos(1.0 - x);
    }
    return trigamma_pos(x);
}

/* float trigamma, branch free for 0 < x <= inf: six masked recurrence steps
 * bring any such x to y >= 6, then the series, all in double. Other
 * elements (x <= 0, NaN) are left for a second, scalar pass. */
void ct_trigamma_f_loop(const float *x, float *o, int64_t count);
CT_MULTIVERSION void ct_trigamma_f_loop(const float *x, float *o, int64_t count)
{
    int rest = 0;
    #pragma omp simd reduction(|:rest)
    for (int64_t i = 0; i < count; i++) {
        double y = x[i], acc = 0.0;
        #pragma GCC unroll 6
        for (int j = 0; j < 6; j++) {
            double r = 1.0 / (y * y);
            int m = y < 6.0;
            acc += m ? r : 0.0;
            y += m ? 1.0 : 0.0;
        }
        float v = (float)(acc + trigamma_series(y));
        int bad = !(x[i] > 0.0f);
        rest |= bad;
        o[i] = bad ? 0.0f : v;
    }
    if (rest)
        for (int64_t i = 0; i < count; i++)
            if (!(x[i] > 0.0f))
                o[i] = (float)trigamma_one(x[i]);
}

/* entr(x) = -x log x: 0 at 0, -inf below 0, NaN at NaN. Floats: a vector
 * pass over the normal positive finite x (fastmath.h's log), a second pass
 * for the others. */
static double entr_one(double x)
{
    if (isnan(x))
        return x;
    if (x > 0.0)
        return -x * log(x);
    return x == 0.0 ? 0.0 : -INFINITY;
}

void ct_entr_f_loop(const float *x, float *o, int64_t count);
CT_MULTIVERSION void ct_entr_f_loop(const float *x, float *o, int64_t count)
{
    int rest = 0;
    #pragma omp simd reduction(|:rest)
    for (int64_t i = 0; i < count; i++) {
        float v = x[i];
        int fast = CT_LOG_FAST(v);
        rest |= !fast;
        o[i] = fast ? -v * ct_logf_fast(fast ? v : 1.0f) : 0.0f;
    }
    if (rest)
        for (int64_t i = 0; i < count; i++)
            if (!CT_LOG_FAST(x[i]))
                o[i] = (float)entr_one(x[i]);
}

/* lgamma(y) / ((y - 1) (y - 2)) on [0.8, 2.25] (lgamma's zeros at 1 and 2
 * factored out), a Chebyshev interpolant of degree 20 in (2y - 3.05) / 1.45
 * (fitted at high precision; relative error of lgamma 3e-14 over a grid of
 * floats), for ct_lgamma_f_loop below; Stirling's series to the 1/y^13 term
 * (truncation below 1e-15 from y = 8 on: to 1/y^7 it was 6e-12, 500 float
 * ulps where lgamma crosses zero between -2 and -3) */
static const double lg_r[21] = {
    0.4795187900443076, -0.1035821982247222, 0.03186591688379471, -0.011312696152677791,
    0.004328850085226294, -0.0017324676821939234, 0.0007139800985674265,
    -0.00030031933656973563, 0.00012822762944087514, -5.5359927044791074e-05,
    2.41263449605065e-05, -1.0657919571090508e-05, 4.708935275625234e-06,
    -1.956477356105341e-06, 8.712365522668855e-07, -5.641809771559642e-07,
    2.5469039486864284e-07, 2.3410068215054493e-08, -1.1154199908324568e-08,
    -5.634743500736714e-08, 2.5699836117510544e-08,
};

#define LG_STIRLING4(w, w2) ((w) * (1.0 / 12 - (w2) * (1.0 / 360 - (w2) * (1.0 / 1260 - (w2) / 1680))))
#define LG_STIRLING(w, w2) ((w) * (1.0 / 12 - (w2) * (1.0 / 360 - (w2) * (1.0 / 1260 - (w2) * \
    (1.0 / 1680 - (w2) * (1.0 / 1188 - (w2) * (691.0 / 360360 - (w2) / 156)))))))

/* the unary functions of ct_special_erfc's `code` (special.h): per
 * function, per dtype (float32, float64), a loop over a block, NULL where
 * there is none */
typedef ct_special_block_fn unary_block_fn;

static void ndtr_f(const void *x, void *o, int64_t n) { ct_ndtr_f_loop(x, o, n); }
/* float erfc: erfc512.h's table-driven kernel on a CPU with AVX-512F (the
 * same special values; within 0.8 ulp, this one 1.54) */
#define erfc512_f(x, o, n) ct_erfc512_body(x, o, n, ERFC_F_MAX)
CT_AVX512_OR(static void erfc_fb(const void *x, void *o, int64_t n), erfc512_f, ct_erfc_f_loop)
static void erfcx_fb(const void *x, void *o, int64_t n) { ct_erfcx_f_loop(x, o, n); }
static void trigamma_fb(const void *x, void *o, int64_t n) { ct_trigamma_f_loop(x, o, n); }
/* double trigamma, as the float loop with twelve steps to y >= 12 (the
 * same operations as trigamma_pos) */
void ct_trigamma_d_loop(const double *x, double *o, int64_t count);
CT_MULTIVERSION void ct_trigamma_d_loop(const double *x, double *o, int64_t count)
{
    int rest = 0;
    #pragma omp simd reduction(|:rest)
    for (int64_t i = 0; i < count; i++) {
        double y = x[i], acc = 0.0;
        #pragma GCC unroll 12
        for (int j = 0; j < 12; j++) {
            double r = 1.0 / (y * y);
            int m = y < 12.0;
            acc += m ? r : 0.0;
            y += m ? 1.0 : 0.0;
        }
        double v = acc + trigamma_series(y);
        int bad = !(x[i] > 0.0);
        rest |= bad;
        o[i] = bad ? 0.0 : v;
    }
    if (rest)
        for (int64_t i = 0; i < count; i++)
            if (!(x[i] > 0.0))
                o[i] = trigamma_one(x[i]);
}
static void trigamma_db(const void *x, void *o, int64_t n) { ct_trigamma_d_loop(x, o, n); }
static void entr_fb(const void *x, void *o, int64_t n) { ct_entr_f_loop(x, o, n); }
static void entr_db(const void *x, void *o, int64_t n)
{
    const double *xd = x;
    double *od = o;
    for (int64_t i = 0; i < n; i++)
        od[i] = entr_one(xd[i]);
}

/* erfc of doubles, the float kernel's scheme (erfc_pos_f) in double, branch
 * free, with exp(-z - zl) reduced on its own (k = round(-z / ln2)):
 * erfcx(a) = d (1 + R), d = K / (a + c), in two pieces, both
 * evaluated and one selected: a < 2, R1(d - U1) of degree 22, and
 * a >= 2, R2(d - U2) of degree 18, fitted by Chebyshev interpolation at
 * high precision (absolute errors 8.5e-18 and 2.2e-17); e^r - 1 - r by
 * Taylor's series to r^14 (truncation below 5e-18); 0 past
 * ERFC_D_MAX, where erfc rounds to 0. ndtr as for floats, the argument
 * -x / sqrt 2 as a double pair. Largest error against mpmath (40000
 * points over [-6, 28]): 2.0 ulp; ndtr over [-39, 8.5]: 1.7 ulp. */
#define ERFC_D_MAX 27.2261
#define ERFC_D_C 0.886226952075958251953125
#define ERFC_D_K 0.8265784357107775
/* erfcx(ac) = d (1 + rho) (1 + y) for 0 <= ac <= ERFC_D_MAX (ac + al the
 * argument, al a tail below half its ulp): d and rho returned, y the value */
CT_FM_INLINE double erfcx_parts_d(double ac, double al, double *dp, double *rhop)
{
    double s = ac + ERFC_D_C, bv = s - ac;
    double sl = ((ac - (s - bv)) + (ERFC_D_C - bv)) + al;
    double d = ERFC_D_K / s;
    double rho = (__builtin_fma(-s, d, ERFC_D_K) - sl * d) * (1.0 / ERFC_D_K);
    double u1 = d - 0.4959470614264665, u2 = d - 0.16916496998969688;
    static const double c1[23] = {
        -5.380568398232128, 19.989372404387666, -34.18662467475559,
        35.640251391892456, -24.661210578612344, 10.22999220908654,
        0.6740819143906902, -6.052167054651216, 6.816945876206753,
        -4.847706632676494, 2.0081100480597738, 0.3546810358075903,
        -1.5918691628752968, 1.6798577875635492, -1.002100183122889,
        0.0939212902637048, 0.5750310017432759, -0.7419386515462464,
        0.40658559276654477, 0.18658895802430514, -0.6174186084950137,
        0.384185505320386, 6.470374049735665e-17,
    };
    static const double c2[19] = {
        138484.91089694542, 30336.993479624154, -27145.555953164072,
        1022.4316683715522, 3065.582081913936, -1226.489359385982,
        -15.548457206178329, 219.4267180100552, -79.24147291128469,
        -14.517745732615712, 21.915993980592425, -4.071910855020519,
        -4.2407491147689855, 2.4007421756665064, 0.7601525752672769,
        -1.087044248372235, -0.2536786986491738, 0.7420016302322843,
        -0.1901428668511841,
    };
    /* y2 by one Horner scheme: split like y1, its large alternating
     * coefficients cost up to 0.4 ulp more in erfc's result */
    double y1 = horner8_d(c1, 23, u1), y2 = c2[0];
    _Pragma("GCC unroll 18")
    for (int k = 1; k < 19; k++)
        y2 = __builtin_fma(y2, u2, c2[k]);
    double y = ac < 2.0 ? y1 : y2;
    *dp = d;
    *rhop = rho;
    return y;
}

/* exp(r) - 1 - r for |r| <= ln2 / 2: its Taylor series to the r^14 term (the
 * next term is below 2^-62) */
CT_FM_INLINE double exp_tail_d(double r)
{
    static const double c[13] = {
        1.0 / 87178291200.0, 1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0,
        1.0 / 3628800.0, 1.0 / 362880.0, 1.0 / 40320.0, 1.0 / 5040.0,
        1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0,
        0.5,
    };
    double eq = horner8_d(c, 13, r);
    return r * r * eq;
}

CT_FM_INLINE double erfc_pos_d(double a, double al, int64_t h)
{
    /* clamped by the bits, as in erfc_pos_f */
    uint64_t ab = d_to_bits(a), mb = d_to_bits(ERFC_D_MAX);
    double ac = bits_to_d(ab < mb ? ab : mb);
    double z = ac * ac;
    double zl = __builtin_fma(2.0 * ac, al, __builtin_fma(ac, ac, -z));
    /* k = round(-z / ln2) by the 1.5 * 2^52 trick; r exact */
    double kb = __builtin_fma(z, -1.4426950408889634, 6755399441055744.0);
    double kf = kb - 6755399441055744.0;
    double r = __builtin_fma(kf, -0.6931471805599453, -z);
    double cr = __builtin_fma(kf, -2.3190468138462996e-17, -zl);
    double d, rho;
    double y = erfcx_parts_d(ac, al, &d, &rho);
    double g = exp_tail_d(r);
    double e = r + __builtin_fma(y, r + g, y + g);
    e = __builtin_fma(rho + cr, 1.0 + e, e);
    double v = __builtin_fma(d, e, d);
    /* k - h + 600 in [-476, 600]; 2^-600 last */
    int64_t k = (int64_t)(d_to_bits(kb) - d_to_bits(6755399441055744.0)) - h + 600;
    v = (v * bits_to_d((uint64_t)(k + 1023) << 52)) * 2.4099198651028841e-181;
    return a > ERFC_D_MAX ? 0.0 : v;
}

CT_FM_INLINE double erfc_d(double x)
{
    double r = erfc_pos_d(__builtin_fabs(x), 0.0, 0);
    r = x < 0.0 ? 2.0 - r : r;
    return x != x ? x : r;
}

/* c[0] z^(n-1) + ... + c[n-1] for an even n as two Horner chains in z2 =
 * z^2, the odd and the even powers, joined by one fma: half the dependency
 * chain of one scheme for one more operation */
CT_FM_INLINE double horner_eo_d(const double *c, int n, double z, double z2)
{
    double p = c[0], q = c[1];
    _Pragma("GCC unroll 16")
    for (int j = 2; j < n; j += 2) {
        p = __builtin_fma(p, z2, c[j]);
        q = __builtin_fma(q, z2, c[j + 1]);
    }
    return __builtin_fma(p, z, q);
}

/* erf of doubles, both forms evaluated and one picked (a = |x|):
 *
 * a < 0.875: x + x P(x^2), P of degree 11, minimax for erf's relative
 * error (50-digit Remez, the coefficients rounded to doubles one at a time
 * from the top, the lower ones refitted each time): under 1.4e-17.
 *
 * a >= 0.875: 1 - erfc(a) with x's sign, a clamped at 6 (erf rounds to 1
 * from 5.9216 on). The result is in [0.78, 1], its ulp 2^-53, so erfc is
 * needed to about 1e-17 absolute, not relative: a relative error that
 * grows as erfc falls is allowed, which erfc_pos_d (full precision down to
 * 1e-308) does not exploit. erfc(a) = e^(-a^2) G(a), G = erfcx:
 *   a^2 = z + zl exactly, k = round(-z / ln2), r = -z - k ln2_hi exact,
 *   cr = -zl - k ln2_lo, e^(r + cr) - 1 = r + r^2 Q(r) + cr (1 + r)
 *   (|r| <= ln2 / 2; Q of degree 9, minimax for e^r's relative error:
 *   under 1.1e-17);
 *   G(a) = g(v), v = 1 / (a + 4) - DM, g of degree 12, minimax for the
 *   error of erfc (weight e^(-a^2)) over [0.875, 6], rounded as P: under
 *   0.03 ulp of the result. v is 0 at a0 = 1 / DM - 4 = 0.875 (to 1e-14), DM a double
 *   picked so that G(a0), g's constant term, is a double to 0.001 of its
 *   ulp (at the switch, where erfc's error weighs most, the rest of g
 *   vanishes). Centred there, g's Horner steps round little near the
 *   switch, and more only where e^(-a^2) has shrunk them. v is computed
 *   as (K1 - DM a) / (a + 4), K1 = 1 - 4 DM exact: each of its three
 *   roundings is relative to v, so small where v is; as 1 / (a + 4) - DM
 *   the sum's and the quotient's roundings (relative to 1 / (a + 4))
 *   would cost up to an ulp near the switch;
 *   erfc(a) = 2^k g (1 + q), q = e^(r + cr) - 1: 2^k g by an integer add
 *   to g's exponent, times 1 + q by one fma: erfc rounded once (at most
 *   1/8 ulp of the result), then 1 - erfc.
 *
 * Largest error against mpmath (3.1 million points over [-7, 7], denser
 * about 0.75, the switch and the steps of k): 0.81 ulp. NaN takes the
 * first form (the comparison fails), -0 stays -0. A CPU with AVX-512F runs
 * erfc512.h's one-table kernel instead. */
#define ERF_D_T 0.875
#define ERF_D_DM 0.20512820512820554
#define ERF_D_K1 (1.0 - 4.0 * ERF_D_DM)
static const double erf_small_d[12] = {
    -8.65511647308946e-10, 1.411805908786113e-08, -1.6288380740292823e-07,
    1.6456518592276468e-06, -1.492538149152002e-05, 0.00012055324326305417,
    -0.0008548326839461486, 0.005223977622957044, -0.026866170644932904,
    0.11283791670954309, -0.37612638903183737, 0.12837916709551256,
};
static const double erf_exp_q_d[10] = {
    2.5000070890407448e-08, 2.763023394297613e-07, 2.7557586268526606e-06,
    2.4801493136109498e-05, 0.0001984126950678065, 0.001388888894359778,
    0.008333333333494331, 0.041666666666530267, 0.16666666666666413,
    0.5000000000000011,
};
static const double erf_g_d[13] = {
    1876119.629492267, -125969.1468890085, -687199.6719533473, -216788.18396783754,
    63975.1730469487, 82087.34313996678, 38683.122838576885, 12041.451561612917,
    2784.1165910247432, 497.9023698565328, 69.5672964949013, 7.505989946290199,
    0.4643115832026721,
};

CT_FM_INLINE double erf_d1(double x)
{
    double a = __builtin_fabs(x);
    double small = __builtin_fma(x, ct_horner_d(erf_small_d, 12, x * x), x);
    /* clamped by the bits, as in erfc_pos_d */
    uint64_t ab = d_to_bits(a), mb = d_to_bits(6.0);
    double ac = bits_to_d(ab < mb ? ab : mb);
    double z = ac * ac, zl = __builtin_fma(ac, ac, -z);
    double kb = __builtin_fma(z, -1.4426950408889634, 6755399441055744.0);
    double kf = kb - 6755399441055744.0;
    double r = __builtin_fma(kf, -0.6931471805599453, -z);
    double cr = __builtin_fma(kf, -2.3190468138462996e-17, -zl);
    double r2 = r * r;
    /* q rounded once, at its own scale */
    double q = r + __builtin_fma(r2, horner_eo_d(erf_exp_q_d, 10, r, r2), __builtin_fma(r, cr, cr));
    double v = __builtin_fma(-ERF_D_DM, ac, ERF_D_K1) / (ac + 4.0);
    /* the last step by itself: the even / odd join's rounding is times v */
    double g = __builtin_fma(horner_eo_d(erf_g_d, 12, v, v * v), v, erf_g_d[12]);
    /* 2^k g: k (in [-52, 0]) from kb's low bits, added to g's exponent */
    double gs = bits_to_d(d_to_bits(g) + (d_to_bits(kb) << 52));
    double big = 1.0 - __builtin_fma(gs, q, gs);
    big = bits_to_d(d_to_bits(big) | (d_to_bits(x) & 0x8000000000000000ull));
    return !(a >= ERF_D_T) ? small : big;
}

CT_SIMD_MAP(ct_erf_d_loop, double, erf_d1)

#ifdef CT_HAVE_AVX512_TABLES
CT_E512_MAP_D(erf512_block_d, ct_erf512_d)
#endif

CT_AVX512_OR(void ct_erf_d_block(const double *x, double *o, int64_t n), erf512_block_d, ct_erf_d_loop)

/* erfcx of doubles, as erfcx_f1 in double: the asymptotic series past
 * ERFC_D_MAX to k = 7 (truncation below 1e-19), +inf from -26.6288 on */
CT_FM_INLINE double erfcx_pos_d(double a, double al)
{
    uint64_t ab = d_to_bits(a), mb = d_to_bits(ERFC_D_MAX);
    double ac = bits_to_d(ab < mb ? ab : mb);
    double d, rho;
    double y = erfcx_parts_d(ac, al, &d, &rho);
    double v = __builtin_fma(d, __builtin_fma(rho, 1.0 + y, y), d);
    double t = 1.0 / a, w = 0.5 * t * t;
    double tr = __builtin_fma(-a, t, 1.0);
    double p = __builtin_fma(-13.0, w, 1.0);
    p = __builtin_fma(-11.0 * w, p, 1.0);
    p = __builtin_fma(-9.0 * w, p, 1.0);
    p = __builtin_fma(-7.0 * w, p, 1.0);
    p = __builtin_fma(-5.0 * w, p, 1.0);
    p = __builtin_fma(-3.0 * w, p, 1.0);
    double ct = 0.5641895835477563 * t;
    double ctl = __builtin_fma(0.5641895835477563, t, -ct);
    double big = ct + __builtin_fma(ct, __builtin_fma(-w, p, tr + 1.3590697223380941e-17), ctl);
    big = a == __builtin_inf() ? 0.0 : big;
    return a > ERFC_D_MAX ? big : v;
}

CT_FM_INLINE double erfcx_d1(double x)
{
    double a = __builtin_fabs(x);
    double v = erfcx_pos_d(a, 0.0);
    uint64_t ab = d_to_bits(a);
    uint64_t nb = d_to_bits(26.6287);
    double am = bits_to_d(ab < nb ? ab : nb);
    double z = am * am, zl = __builtin_fma(am, am, -z);
    double kb = __builtin_fma(z, 1.4426950408889634, 6755399441055744.0);
    double kf = kb - 6755399441055744.0;
    double r = __builtin_fma(kf, -0.6931471805599453, z);
    double cr = __builtin_fma(kf, -2.3190468138462996e-17, zl);
    double g = exp_tail_d(r);
    double e2 = r + __builtin_fma(cr, (1.0 + r) + g, g);
    int64_t k = (int64_t)(d_to_bits(kb) - d_to_bits(6755399441055744.0));
    double sc = bits_to_d((uint64_t)(k + 1023) << 52);
    double neg = __builtin_fma(2.0, __builtin_fma(sc, e2, sc), -v);
    neg = a > 26.6287 ? __builtin_inf() : neg;
    double res = x < 0.0 ? neg : v;
    return x != x ? x : res;
}

CT_SIMD_MAP(ct_erfcx_d_loop, double, erfcx_d1)
static void erfcx_db(const void *x, void *o, int64_t n) { ct_erfcx_d_loop(x, o, n); }

/* log_ndtr of doubles, as log_ndtr_f1 (log by log_d; the log left out past
 * a = 1e150) */
CT_FM_INLINE double log_ndtr_d1(double x)
{
    double yh = x * -0.70710678118654757;
    double yl = __builtin_fma(x, -0.70710678118654757, -yh) + x * 4.8336466567264567e-17;
    double a = __builtin_fabs(yh), al = yh < 0.0 ? -yl : yl;
    double v = erfcx_pos_d(a, al);
    double z = a * a, zl = __builtin_fma(2.0 * a, al, __builtin_fma(a, a, -z));
    double lv = a > 1e150 ? 1.0 : 0.5 * v;
    double neg = (log_d(lv) - zl) - z;
    neg = a > 1e150 ? -(z + zl) : neg;
    neg = z == __builtin_inf() ? -z : neg;
    double h = erfc_pos_d(a, al, 1);
    double u = 1.0 - h;
    double pos = log_d(u) + ((1.0 - u) - h) * (2.0 - u);
    /* h < 2^-20: -h - h^2 / 2 - h^3 / 3 (-0 at h = 0, as PyTorch) */
    pos = h < 9.5367431640625e-07 ? __builtin_fma(h * h, -0.5 - h * (1.0 / 3.0), -h) : pos;
    double r = yh > 0.0 ? neg : pos;
    return x != x ? x : r;
}

CT_SIMD_MAP(ct_log_ndtr_d_loop, double, log_ndtr_d1)
static void log_ndtr_fb(const void *x, void *o, int64_t n) { ct_log_ndtr_f_loop(x, o, n); }
static void log_ndtr_db(const void *x, void *o, int64_t n) { ct_log_ndtr_d_loop(x, o, n); }

CT_SIMD_MAP(ct_erfc_d_loop, double, erfc_d)

CT_FM_INLINE double ndtr_d1(double x)
{
    double yh = x * -0.70710678118654757;
    double yl = __builtin_fma(x, -0.70710678118654757, -yh) + x * 4.8336466567264567e-17;
    double a = __builtin_fabs(yh), al = yh < 0.0 ? -yl : yl;
    double r = erfc_pos_d(a, al, 1);
    r = yh < 0.0 ? 1.0 - r : r;
    return x != x ? x : r;
}

CT_SIMD_MAP(ct_ndtr_d_loop, double, ndtr_d1)
/* double erfc: erfc512.h's table-driven kernel on a CPU with AVX-512F (the
 * same special values; within 0.8 ulp, this one 2.0) */
CT_AVX512_OR(static void erfc_db(const void *x, void *o, int64_t n), ct_erfc512_body_d, ct_erfc_d_loop)
static void ndtr_db(const void *x, void *o, int64_t n) { ct_ndtr_d_loop(x, o, n); }

/* float lgamma in double, branch free: y = x, or 1 - x for x < 0; lg_r's
 * form where |y - 1| <= 0.2 or |y - 2| <= 0.25 (the near ones), elsewhere
 * eight masked recurrence steps lgamma(y) = lgamma(y + n) - log(y (y + 1) ...
 * (y + n - 1)) to y >= 8 and Stirling's series S. x < 0 by the reflection
 * lgamma(x) = log(pi / |sin(pi x)|) - lgamma(1 - x), sin(pi r) (r = x - the
 * nearest integer, |r| <= 1/2) by its Taylor series to r^23 (under 1e-17),
 * the logarithm shared: one log of q = the recurrence's product, pi / s, or
 * both (pi prod / s). Blocks without a negative x skip the reflection's
 * steps; blocks with an eighth or fewer near ones take the far form for
 * all and lg_r's for those few, gathered (compact.h). Blocks where y is
 * mostly below 8 take lg_mid's form (Gamma as a product, one logarithm)
 * and lg_one for the few others; blocks of integers a table. Poles (0, -1,
 * -2, ...) and infinities give +inf, as C's lgamma.
 * Within 0.5006 ulp over 5.8e6 samples (normal, [-40, 0], -e^[-20, 16], a
 * 0.001 grid over [-30, 30], the zeros between -2 and -4); 13 of them
 * differ from the double reference (scipy, mpmath near the zeros) rounded. */
/* lgamma(y) for y in [0.8, 2.25]: (y - 1) (y - 2) times lg_r's polynomial */
CT_FM_INLINE double lg_series(double yd)
{
    double s = yd * (2.0 / 1.45) - 3.05 / 1.45, t = lg_r[20];
    /* unrolled: the vectoriser takes no loop nest with inner loops */
    #pragma GCC unroll 20
    for (int k = 19; k >= 0; k--)
        t = t * s + lg_r[k];
    return (yd - 1.0) * (yd - 2.0) * t + 0.0;               /* +0 at 1 and 2, as C's */
}
/* the start of lg_one and lg_mid for one float x: x0 = x as a double, neg =
 * the reflection's (with_neg, x < 0 finite), r = x - the nearest integer
 * (exact: |x| < 2^52), ok = finite and no pole (floats from 2^23 on are
 * integers: r = 0), xd = x0 where ok, else 1.5; returns y = xd, or 1 - xd
 * for neg. Every test on the double, the flags as wide as a double (a
 * float compare's mask or an int beside double ones cost a loop a third of
 * its time moving masks between widths, or its vectorisation). */
CT_FM_INLINE double lg_y(float xf, int with_neg, double *x0p, double *xdp, double *rp,
                         int64_t *negp, int64_t *okp)
{
    double x0 = (double)xf;
    int64_t neg = (int64_t)with_neg & (x0 < 0.0) & (x0 > -__builtin_inf());
    double r = x0 - __builtin_floor(x0 + 0.5);
    int64_t ok = ((x0 > 0.0) & (x0 < __builtin_inf())) | (neg & (r != 0.0));
    double xd = ok ? x0 : 1.5;
    *x0p = x0, *xdp = xd, *rp = r, *negp = neg, *okp = ok;
    return neg ? 1.0 - xd : xd;
}
/* lgamma of one float, in double. far: the far form even where y is near 1
 * or 2, with *selp = x there and NaN elsewhere (for compact.h; where few
 * elements are near, the series' 20 terms would cost every element a third
 * more) */
CT_FM_INLINE double lg_one(float xf, int with_neg, int far, double *selp)
{
    const double pi = 3.14159265358979323846;
    double x0, xd, r;
    int64_t neg, ok;
    double yd = lg_y(xf, with_neg, &x0, &xd, &r, &neg, &ok);
    int64_t two = yd > 1.5;
    double e = two ? yd - 2.0 : yd - 1.0;
    int64_t near = __builtin_fabs(e) <= (two ? 0.25 : 0.2);
    double t = far ? 0.0 : lg_series(yd);
    double y = yd, prod = 1.0;
    #pragma GCC unroll 8
    for (int j = 0; j < 8; j++) {
        int64_t mk = y < 8.0;
        prod *= mk ? y : 1.0;
        y += mk ? 1.0 : 0.0;
    }
    double w = 1.0 / y, w2 = w * w;
    /* the series' last terms matter only where the reflection cancels */
    double st = with_neg ? LG_STIRLING(w, w2) : LG_STIRLING4(w, w2);
    double big = (y - 0.5) * log_d(y) - y + 0.91893853320467274178 + st;
    double q = prod, v;
    if (far) {
        double sx = near ? xd : __builtin_nan("");
        *selp = ok ? sx : __builtin_nan("");
        near = 0;
    }
    if (with_neg) {
        double sn = __builtin_fabs(ct_sinpi_series(neg ? r : 0.5));
        q = neg ? (near ? pi / sn : pi * prod / sn) : prod;
        double lq = log_d(q);
        v = near ? (neg ? lq - t : t) : (neg ? lq - big : big - lq);
    } else {
        v = near ? t : big - log_d(q);
    }
    return ok ? v : (x0 != x0 ? x0 : __builtin_inf());
}
/* the near ones of a block, gathered: each by lg_one's own form (the values
 * of a block where most are near) */
CT_FM_INLINE double lg_one_neg(double x) { return lg_one((float)x, 1, 0, NULL); }
CT_FM_INLINE double lg_one_pos(double x) { return lg_one((float)x, 0, 0, NULL); }
CT_SIMD_MAP(ct_lg_near_neg_loop, double, lg_one_neg)
CT_SIMD_MAP(ct_lg_near_pos_loop, double, lg_one_pos)
/* Gamma(2.5 + t) for |t| <= 1/2: its Chebyshev interpolant of degree 17
 * (relative error of the fit under 2e-17; 1.6e-16 evaluated in double) */
static const double lg_gam[18] = {
    1.329340388179137, 0.9347345216260855, 0.6545585779813361, 0.2538712468411431,
    0.1096732340022263, 0.028360780594813752, 0.01039240342319837, 0.0016074004859635903,
    0.0007544741843398753, 3.941763325825312e-06, 6.132933686364514e-05, -1.2801398595590587e-05,
    7.258179334692199e-06, -2.561960809450555e-06, 1.0654567795576118e-06, -4.1866472217648884e-07,
    2.0594390312960716e-07, -8.228337612513728e-08};
#define LG_YMID 8.0
#define LG_NEAR_MID 0.02
/* lgamma of one float for y (x, or 1 - x below 0) in (0, LG_YMID), in
 * double, with one logarithm: Gamma(y) = Gamma(y0) (y0) (y0 + 1) ... (y - 1)
 * from y0 = y - floor(y) + 2 in [2, 3) (lg_gam), divided by y (y + 1) below
 * 2, and the reflection's pi / |sin(pi x)| in the same quotient. The
 * quotient is good to a few ulps, so is the logarithm absolutely: within
 * LG_NEAR_MID of lgamma's zeros at 1 and 2 (x > 0) that is too little
 * relative accuracy (3e-16 / (0.42 * 0.02) = 4e-14 at the ends), and there,
 * as where y >= LG_YMID, *selp = x for lg_one (NaN elsewhere); the value
 * returned there is not used. */
CT_FM_INLINE double lg_mid(float xf, int with_neg, double *selp)
{
    const double pi = 3.14159265358979323846;
    double x0, xd, r;
    int64_t neg, ok;
    double yd = lg_y(xf, with_neg, &x0, &xd, &r, &neg, &ok);
    double e = yd > 1.5 ? yd - 2.0 : yd - 1.0;
    int64_t near = __builtin_fabs(e) <= LG_NEAR_MID;
    int64_t big = yd >= LG_YMID;
    /* as selects of doubles (GCC 12 vectorises no select between masks) */
    double sx = big ? xd : __builtin_nan("");
    double nx = neg ? sx : xd;
    sx = near ? nx : sx;
    *selp = ok ? sx : __builtin_nan("");
    double yc = big ? 2.5 : yd, fl = __builtin_floor(yc);
    double t = (yc - fl) - 0.5, y0 = t + 2.5, g = lg_gam[17];
    #pragma GCC unroll 17
    for (int k = 16; k >= 0; k--)
        g = g * t + lg_gam[k];
    double up = 1.0;
    #pragma GCC unroll 5
    for (int j = 0; j < 5; j++)                 /* y0 + j below y: j < floor(y) - 2 */
        up *= (double)j + 2.5 < fl ? y0 + (double)j : 1.0;
    double dn = fl < 1.5 ? yc : 1.0;
    dn *= fl < 0.5 ? yc + 1.0 : 1.0;
    double num = g * up, den = dn;
    if (with_neg) {
        double sn = __builtin_fabs(ct_sinpi_series(neg ? r : 0.5));
        num = neg ? pi * dn : num;
        den = neg ? sn * (g * up) : den;
    }
    double v = log_d(num / den);
    return ok ? v : (x0 != x0 ? x0 : __builtin_inf());
}
__attribute__((always_inline)) static inline void lg_mid_block(const float *x, float *o, int64_t m,
                                                               int with_neg, double *sel)
{
    #pragma omp simd
    for (int64_t i = 0; i < m; i++)
        o[i] = (float)lg_mid(x[i], with_neg, sel + i);
}
/* far 0: each element by its form; 1: see lg_one */
__attribute__((always_inline)) static inline void lg_block(const float *x, float *o, int64_t m,
                                                           int with_neg, int far, double *sel)
{
    #pragma omp simd
    for (int64_t i = 0; i < m; i++)
        o[i] = (float)lg_one(x[i], with_neg, far, sel + i);
}
/* lgamma of the integers 1 .. LG_TAB - 1 as lg_one computes them (the
 * values of a block with other x; lg_mid's for 1 .. 7 are the same), +inf
 * at 0 for the poles: a block of
 * integers (counts: lgamma(k + 1) in a Poisson likelihood, integer tensors
 * computed in float) is a table lookup */
#define LG_TAB 4096
static float lg_tab[LG_TAB];
static pthread_once_t lg_tab_once = PTHREAD_ONCE_INIT;
static void lg_tab_fill(void)
{
    lg_tab[0] = __builtin_inff();
    for (int n = 1; n < LG_TAB; n++)
        lg_tab[n] = (float)lg_one((float)n, 0, 0, NULL);
}
#ifdef CT_HAVE_AVX512_TABLES
/* the lookups by vgatherdps (GCC builds no gather in the clones: it
 * unpacks each lane's index and loads them one at a time) */
__attribute__((target("avx512f"))) static int64_t lg_tab_512(const float *x, float *o, int64_t m)
{
    int64_t i = 0;
    for (; i + 16 <= m; i += 16) {
        __m512 v = _mm512_max_ps(_mm512_loadu_ps(x + i), _mm512_setzero_ps());
        _mm512_storeu_ps(o + i, _mm512_i32gather_ps(_mm512_cvttps_epi32(v), lg_tab, 4));
    }
    return i;
}
#define LG_TAB_512(x, o, m) (ct_cpu_avx512f() ? lg_tab_512(x, o, m) : 0)
#else
#define LG_TAB_512(x, o, m) 0
#endif
#define LG_BLOCK 1024
void ct_lgamma_f_loop(const float *x, float *o, int64_t count);
CT_MULTIVERSION void ct_lgamma_f_loop(const float *x, float *o, int64_t count)
{
    double sel[LG_BLOCK], xs[LG_BLOCK + 8], rs[LG_BLOCK + 8];
    int64_t zi[LG_BLOCK + 8];
    for (int64_t c = 0; c < count; c += LG_BLOCK) {
        int64_t m = count - c < LG_BLOCK ? count - c : LG_BLOCK;
        const float *xb = x + c;
        float *ob = o + c;
        /* counts by float bounds (supersets of the exact tests': they only
         * pick the forms): y near 1 or 2 for lg_one's series (nnear) and
         * lg_mid's bound (ntight), y >= LG_YMID (nbig); and whether all are
         * integers below LG_TAB */
        int neg = 0, nnear = 0, ints = 1, nbig = 0, ntight = 0;
        #pragma omp simd reduction(|:neg) reduction(+:nnear) reduction(&:ints) reduction(+:nbig) \
            reduction(+:ntight)
        for (int64_t i = 0; i < m; i++) {
            float v = xb[i];
            neg |= v < 0.0f;
            nnear += (v >= 0.8f && v <= 1.2f) | (v >= 1.75f && v <= 2.25f) |
                     (v >= -0.2f && v < 0.0f) | (v >= -1.25f && v <= -0.75f);
            ints &= (v == __builtin_floorf(v)) & (v < (float)LG_TAB);
            nbig += (v >= 7.99f) | (v <= 1.0f - 7.99f);
            ntight += (v >= 0.979f && v <= 1.021f) | (v >= 1.979f && v <= 2.021f);
        }
        if (ints) {             /* integers below LG_TAB; those <= 0 (-inf too) poles */
            pthread_once(&lg_tab_once, lg_tab_fill);
            for (int64_t i = LG_TAB_512(xb, ob, m); i < m; i++) {
                float v = xb[i];
                ob[i] = lg_tab[v > 0.0f ? (int32_t)v : 0];
            }
            continue;
        }
        if ((nbig + ntight) * 4 <= m) {
            /* mostly y < LG_YMID: one logarithm each; the big ones and
             * those near 1 or 2 by lg_one, gathered */
            if (neg) lg_mid_block(xb, ob, m, 1, sel);
            else lg_mid_block(xb, ob, m, 0, sel);
            nnear = nbig + ntight;              /* now: how many sel may mark */
        } else if (nnear * 8 > m) {
            if (neg) lg_block(xb, ob, m, 1, 0, sel);
            else lg_block(xb, ob, m, 0, 0, sel);
            continue;
        } else if (neg) lg_block(xb, ob, m, 1, 1, sel);
        else lg_block(xb, ob, m, 0, 1, sel);
        if (!nnear)
            continue;
        int ns = ct_compact_num(sel, (int)m, zi, xs);
        if (neg) ct_lg_near_neg_loop(xs, rs, ns);
        else ct_lg_near_pos_loop(xs, rs, ns);
        for (int j = 0; j < ns; j++)
            ob[zi[j]] = (float)rs[j];
    }
}

static void lgamma_fb(const void *x, void *o, int64_t n) { ct_lgamma_f_loop(x, o, n); }

/* double lgamma for DBL_MIN <= x < 1e305, branch free (negative x by the
 * reflection, lgd_logcsc below, or lgd_zone's form in (-8, -2) where the
 * reflection cancels; the poles, infinities, NaN, x under DBL_MIN and the
 * cancelling rest take libm's lgamma_r in a scalar pass). Two
 * polynomials carry the zeros at 1 and 2 as factors: lgamma(1 + t) =
 * t C((t - 0.1) / 0.4) for t in [-0.3, 0.5] and lgamma(2 + t) =
 * t B((t - 0.25) / 0.75) for t in [-0.5, 1] (Chebyshev interpolants of
 * degree 23 of lgamma(1 + t) / t and lgamma(2 + t) / t, relative error of the
 * fit below 1e-19). From there:
 *   x < 0.7:      lgamma(1 + x) - log x (C below 0.5, B above);
 *   0.7 <= x < 3: C or B directly;
 *   3 <= x < 8:   lgamma(y) + log(y (y + 1) ... (x - 1)), y = x - n in [2, 3);
 *   x >= 8:       Stirling's series, (x - 1/2) log x - x + log(2 pi) / 2 +
 *                 sum B_2k / (2k (2k - 1) x^(2k - 1)) to k = 9 (truncation
 *                 below 1e-17 there).
 * The one log of each element (of x, or of the product) comes as a pair
 * hi + lo (q = 2^e m, m in [sqrt(1/2), sqrt 2), f = m - 1 exact, log m =
 * f - s (f - R) with s = f / (2 + f), R = 2 s^2 ct_datanh_series(s^2), and
 * e ln2_hi + f by Fast2Sum), so that the sums around it round once. The
 * regions are picked by 0 / 1 factors and selects that GCC's vectoriser
 * takes in every target clone; a block of elements goes through the
 * polynomial part, then through the log and the sums. */
static const double lgd_b[24] = {
    4.1855414662150775e-13, -1.307298299371904e-12, 1.5788940736861097e-12,
    -4.97766117069103e-12, 2.2325177179753643e-11, -7.045931904101973e-11,
    2.1305999181076685e-10, -6.769867242139335e-10, 2.1685553720270086e-09,
    -6.94470177119068e-09, 2.2344503992474417e-08, -7.233587321896892e-08,
    2.3583253355658717e-07, -7.755374925460284e-07, 2.578121298937364e-06,
    -8.690384842783351e-06, 2.983632972977437e-05, -0.00010503681070473897,
    0.00038321988003432863, -0.0014752842201880838, 0.00619663656824421,
    -0.030541164666834354, 0.21917882116244464, 0.4994868595695864,
};
static const double lgd_c[24] = {
    7.048724276451288e-12, -2.0172559186770536e-11, 1.5535716092818374e-11,
    -4.504102600941319e-11, 2.4195474473452984e-10, -6.995033962218185e-10,
    1.8602965080179227e-09, -5.416262891390923e-09, 1.5984130224327674e-08,
    -4.687020984453825e-08, 1.379465227244745e-07, -4.083854091347017e-07,
    1.216276573230213e-06, -3.6479199674788323e-06, 1.1034822959973525e-05,
    -3.373524525798852e-05, 0.00010454317697979297, -0.0003299076744512127,
    0.0010681837412625057, -0.0035965826170964673, 0.012933483761653038,
    -0.05287223436292017, 0.2998778887492818, -0.4987244125983972,
};

/* the polynomial part, lgamma(1 + x) below 0.7, lgamma(y) from there
 * (y = x up to 3), and in *qp the log term's argument: x below 0.7 and
 * from 8, y (y + 1) ... (x - 1) from 3 to 8, 1 between */
CT_FM_INLINE double lgd_part1(double x, double *qp)
{
    /* 0 / 1 flags as doubles, by clamps (no masks): below 0.7, from 8 */
    double s_small = __builtin_ceil(0.7 - x), s_big = __builtin_floor(x * 0.125);
    s_small = s_small < 0.0 ? 0.0 : (s_small > 1.0 ? 1.0 : s_small);
    s_big = s_big < 0.0 ? 0.0 : (s_big > 1.0 ? 1.0 : s_big);
    double s_log = s_small + s_big;
    /* recurrence steps: floor(x) - 2 from 3 to 8, none elsewhere */
    double x2 = x > 2.0 ? x : 2.0;
    double n = __builtin_floor(x2) - 2.0;
    n = n - n * s_big;
    double y = x - n;
    double prod = s_log * x + (1.0 - s_log);
    #pragma GCC unroll 5
    for (int j = 0; j < 5; j++) {
        double on = n - (double)j;
        on = on < 0.0 ? 0.0 : (on > 1.0 ? 1.0 : on);
        prod *= on * (y + (double)(j - 1)) + 1.0;
    }
    *qp = prod;
    /* C's variable and B's: lgamma(1 + x) or lgamma(y) */
    double tc = s_small * x + (1.0 - s_small) * (y - 1.0);
    double tb = s_small * (x - 1.0) + (1.0 - s_small) * (y - 2.0);
    double uc = (tc - 0.1) * 2.5, ub = (tb - 0.25) * 1.3333333333333333;
    double gb = lgd_b[0], gc = lgd_c[0];
    #pragma GCC unroll 23
    for (int k = 1; k < 24; k++) {
        gb = __builtin_fma(gb, ub, lgd_b[k]);
        gc = __builtin_fma(gc, uc, lgd_c[k]);
    }
    double lc = tc * gc, lb = tb * gb;
    return tc < 0.5 ? lc : lb;
}
/* lgamma from lgd_part1's lp and q: the log of q as hi + lo, Stirling's
 * series from 8 on */
CT_FM_INLINE double lgd_part2(double x, double lp, double q)
{
    int small = x < 0.7, big = x >= 8.0;
    uint64_t qv = d_to_bits(q) - 0x3fe6a09e667f3bcdull;
    double qe = ct_sar52_d(qv);
    double qm = bits_to_d((qv & 0x000fffffffffffffull) + 0x3fe6a09e667f3bcdull);
    double qf = qm - 1.0;
    double qs = qf / (2.0 + qf), qz = qs * qs;
    double qr = 2.0 * qz * ct_datanh_series(qz);
    double eh = qe * 0.6931471803691238;
    double hi = eh + qf;
    double lo = ((eh - hi) + qf) + __builtin_fma(qe, 1.9082149292705877e-10, -qs * (qf - qr));
    double w = 1.0 / x, w2 = w * w;
    double st = 0.17964437236883057;
    st = __builtin_fma(st, w2, -0.029550653594771242);
    st = __builtin_fma(st, w2, 0.00641025641025641);
    st = __builtin_fma(st, w2, -0.0019175269175269176);
    st = __builtin_fma(st, w2, 0.0008417508417508417);
    st = __builtin_fma(st, w2, -0.0005952380952380953);
    st = __builtin_fma(st, w2, 0.0007936507936507937);
    st = __builtin_fma(st, w2, -0.002777777777777778);
    st = __builtin_fma(st, w2, 0.08333333333333333);
    double xm = x - 0.5;
    double ph = xm * hi;
    double pl = __builtin_fma(xm, lo, __builtin_fma(xm, hi, -ph));
    double rbig = (ph - x) + (0.9189385332046728 + (__builtin_fma(st, w, -3.8782941580672414e-17) + pl));
    double rsmall = (lp - lo) - hi;
    double rmid = hi + (lp + lo);
    return big ? rbig : (small ? rsmall : rmid);
}
#define LGD_BLK 256
#define LGD_FAST(x) (((x) >= 2.2250738585072014e-308) & ((x) < 1e305))

/* x < 0 (down to -2^52, where r = x - the nearest integer is exact): the
 * reflection lgamma(x) = log(pi / |sin(pi r)|) - lgamma(1 - x), 1 - x through
 * the parts above and sin(pi r) by its Taylor series (lg_sin_c, under 1e-17).
 * Where the two terms cancel (the result under half the sum of their sizes:
 * around lgamma's zeros below -2), lgd_zone's form from -8 to -2 (the
 * block's such elements gathered into one vector loop), libm's lgamma_r
 * (which expands about each zero) below -8. */
#define LGD_NEG(x) (((x) < -1e-290) & ((x) > -4503599627370496.0))
/* log(pi / |sin(pi r)|), r = x - the nearest integer (not 0: the poles go to libm) */
CT_FM_INLINE double lgd_logcsc(double x)
{
    double r = x - __builtin_floor(x + 0.5);
    return ct_dlog(3.14159265358979323846 / __builtin_fabs(ct_sinpi_series(r)));
}
/* x in (-8, -2) where the reflection cancels (lgamma's two zeros z1, z2 in
 * each (-n - 1, -n)): with a = x + n, b = x + n + 1 (exact),
 * |gamma(x)| a b is analytic and positive over [-n - 1, -n], and D =
 * |gamma(x) a b| - |a b| vanishes at z1 and z2 alone, so that D = (x - z1)
 * (x - z2) E(x), E smooth (Chebyshev interpolants of degree 20 in 2b - 1,
 * fitted at high precision; all their coefficients positive), and
 * lgamma(x) = log1p((x - z1) (x - z2) E / |a b|), the differences to the
 * zeros (kept as hi + lo) exact where they are small: a few ulp relative
 * right through the zeros. Used where |gamma| >= 1/4 (log1p's argument
 * from -3/4, where its error grows by |w| / (1 + w)); elsewhere in the zone
 * the reflection where 6 |v| >= |ls| + |l1|, libm past that. Measured:
 * within 7.2 ulp over 25,000 x in (-8, -2) (mean 0.7), within 5.2e-16
 * relative at 1e-10 and less from the zeros. */
static const double lgd_zc[6][21] = {
    {  /* x in (-3, -2) */
        1.2845292022735288, 0.1055368257486588, 0.048263407079816044, 0.015640747508823258,
        0.006257744841254125, 0.0019249580893331, 0.000734827436242514, 0.0002217757106972713,
        8.327049383041124e-05, 2.496118222849116e-05, 9.317500081105934e-06,
        2.7867638303992685e-06, 1.0380726087949718e-06, 3.0915390092375317e-07,
        1.1507420282104616e-07, 3.566509382808816e-08, 1.3271718543260665e-08,
        2.935897984949713e-09, 1.0924243564898181e-09, 7.830035855963497e-10,
        2.913330395421722e-10,
    },
    {  /* x in (-4, -3) */
        1.1244941686359826, 0.05362834334913811, 0.023498441789238912, 0.008543357707749425,
        0.003253845674277989, 0.0010982703545821862, 0.00039486559944200216,
        0.00012919729094702494, 4.539178531462905e-05, 1.4669395411947991e-05,
        5.108253031307036e-06, 1.6433751291574076e-06, 5.703577756836706e-07,
        1.8254509989057869e-07, 6.327727790240422e-08, 2.1069287538550705e-08,
        7.300089743787788e-09, 1.7346307237642954e-09, 6.009375577700495e-10,
        4.626726366997574e-10, 1.602709837538737e-10,
    },
    {  /* x in (-5, -4) */
        1.0378531978736272, 0.017449761655254074, 0.007648523226769021, 0.002924570611558178,
        0.0011088210073095506, 0.0003882968614042312, 0.0001379579230489207,
        4.644177618236298e-05, 1.604588618681461e-05, 5.312460524982323e-06,
        1.8147400137542525e-06, 5.969572426571834e-07, 2.0302164847102652e-07,
        6.63877835841827e-08, 2.254061643257756e-08, 7.665922892160845e-09,
        2.601170974946806e-09, 6.312154318998764e-10, 2.1414345102168398e-10,
        1.683782584271617e-10, 5.7115774326869675e-11,
    },
    {  /* x in (-6, -5) */
        1.0084244905148065, 0.004061471990655612, 0.001806219061750804, 0.0007129012364511277,
        0.0002723567800888356, 9.742576204573601e-05, 3.4640924313312826e-05,
        1.1831471791442789e-05, 4.072727704960121e-06, 1.3630131089622597e-06,
        4.627981527807225e-07, 1.536194131338202e-07, 5.1874676325229817e-08,
        1.710424488822597e-08, 5.763696339534282e-09, 1.9759687240152652e-09,
        6.653160031224752e-10, 1.6272358911227108e-10, 5.477710812455464e-11,
        4.3411199366946454e-11, 1.4610886588439915e-11,
    },
    {  /* x in (-7, -6) */
        1.0014923286974078, 0.0007453306193128717, 0.00033740631092842076,
        0.00013644380440007062, 5.268518885939233e-05, 1.9142148051625996e-05,
        6.836307747715306e-06, 2.3578344825320913e-06, 8.118887302360667e-07,
        2.734752847364728e-07, 9.267944926218859e-08, 3.0912866317376096e-08,
        1.0408094011255809e-08, 3.4459593299560416e-09, 1.1572830347097977e-09,
        3.9828026699755214e-10, 1.3362620888632632e-10, 3.280330681364365e-11,
        1.1002682591745831e-11, 8.752111594362305e-12, 2.934964130579605e-12,
    },
    {  /* x in (-8, -7) */
        1.0002225029097496, 0.00011437580217208442, 5.267722874458631e-05,
        2.1728557930831377e-05, 8.481965194149905e-06, 3.120811940214104e-06,
        1.1206143570128755e-06, 3.894448915402252e-07, 1.343359609013341e-07,
        4.5459866664349164e-08, 1.5401565553508028e-08, 5.153244622610136e-09,
        1.7328202410204233e-09, 5.751164286871773e-10, 1.9281470045156173e-10,
        6.650216145609192e-11, 2.226982735094546e-11, 5.47801228474218e-12,
        1.833832252536848e-12, 1.4617141374377118e-12, 4.89204782224349e-13,
    },
};
/* the zeros as hi + lo: z1 hi, z1 lo, z2 hi, z2 lo */
static const double lgd_zz[4][6] = {
    {-2.7476826467274127, -3.955294284858598, -4.991544640560048, -5.998607480080875, -6.999801507890638, -7.999975197095821},
    {9.055340329338315e-17, -1.999428391746348e-17, 1.5174411760571722e-16, -3.311862478893795e-16, 1.0550130037400023e-17, -5.261737128572354e-17},
    {-2.4570247382208006, -3.14358088834998, -4.039361839740537, -5.0082181683225935, -6.001385294453155, -7.000198333407325},
    {-3.7075610815513266e-17, -2.1818179852331714e-16, 2.1143995503980602e-16, -4.3926353491015815e-17, 6.415847287933042e-17, 2.504354173632409e-16},
};

CT_FM_INLINE double lgd_zone(double x)
{
    double fl = __builtin_floor(x);                         /* -n - 1 */
    int64_t k = (int64_t)(-fl) - 3;                         /* n - 2 */
    double b = x - fl, a = b - 1.0, s = 2.0 * b - 1.0;
    double h = lgd_zc[k][20];
    #pragma GCC unroll 20
    for (int j = 19; j >= 0; j--)
        h = h * s + lgd_zc[k][j];
    double d1 = (x - lgd_zz[0][k]) - lgd_zz[1][k];
    double d2 = (x - lgd_zz[2][k]) - lgd_zz[3][k];
    return ct_log1p_d1(d1 * d2 * h / -(a * b));
}
CT_SIMD_MAP(ct_lgd_zone_loop, double, lgd_zone)
void ct_lgamma_d_loop(const double *x, double *o, int64_t count);
CT_MULTIVERSION void ct_lgamma_d_loop(const double *x, double *o, int64_t count)
{
    int rest = 0;
    for (int64_t b0 = 0; b0 < count; b0 += LGD_BLK) {
        int64_t m = count - b0 < LGD_BLK ? count - b0 : LGD_BLK;
        double lp[LGD_BLK], q[LGD_BLK];
        int fl[LGD_BLK];
        int64_t zi[LGD_BLK + 8];
        double sel[LGD_BLK], zx[LGD_BLK + 8], zr[LGD_BLK + 8];
        const double *xb = x + b0;
        int neg = 0;
        #pragma omp simd reduction(|:rest, neg)
        for (int64_t i = 0; i < m; i++) {
            double xv = xb[i];
            int ng = LGD_NEG(xv);
            xv = ng ? 1.0 - xv : xv;
            int ok = LGD_FAST(xv);
            rest |= !ok;
            neg |= ng;
            double qq;
            lp[i] = lgd_part1(ok ? xv : 1.5, &qq);
            q[i] = qq;
        }
        /* the elements left to libm come out as NaN (as a NaN x does) */
        if (!neg) {
            #pragma omp simd
            for (int64_t i = 0; i < m; i++) {
                double xv = xb[i];
                int ok = LGD_FAST(xv);
                double v = lgd_part2(ok ? xv : 1.5, lp[i], q[i]);
                o[b0 + i] = ok ? v : __builtin_nan("");
            }
            continue;
        }
        int nzone = 0;
        #pragma omp simd reduction(|:rest) reduction(+:nzone)
        for (int64_t i = 0; i < m; i++) {
            double xv = xb[i];
            int ng = LGD_NEG(xv);
            double yv = ng ? 1.0 - xv : xv;
            int ok = LGD_FAST(yv);
            double l1 = lgd_part2(ok ? yv : 1.5, lp[i], q[i]);
            double ls = lgd_logcsc(ng ? xv : -0.5), v = ls - l1;
            double sz = __builtin_fabs(ls) + __builtin_fabs(l1);
            int cancel = 2.0 * __builtin_fabs(v) < sz;
            int pole = xv == __builtin_floor(xv);
            int zone = ng & cancel & !pole & (xv > -8.0) & (xv < -2.0);
            /* 1: the zone's form, else the reflection; 2: else libm */
            fl[i] = zone ? (6.0 * __builtin_fabs(v) >= sz ? 1 : 2) : 0;
            sel[i] = zone ? xv : __builtin_nan("");
            nzone += zone;
            ok &= !(ng & (pole | (cancel & !zone)));
            rest |= !ok;
            o[b0 + i] = ok ? (ng ? v : l1) : __builtin_nan("");
        }
        if (!nzone)
            continue;
        /* the zone's elements gathered, their form in a vector loop */
        int nz = ct_compact_num(sel, (int)m, zi, zx);
        ct_lgd_zone_loop(zx, zr, nz);
        for (int j = 0; j < nz; j++) {
            int64_t i = zi[j];
            if (zr[j] >= -1.3862943611198906)                  /* |gamma| >= 1/4 */
                o[b0 + i] = zr[j];
            else if (fl[i] == 2) {
                o[b0 + i] = __builtin_nan("");
                rest = 1;
            }
        }
    }
    if (rest)
        for (int64_t i = 0; i < count; i++)
            if (o[i] != o[i]) {
                int sg;
                o[i] = lgamma_r(x[i], &sg);
            }
}
static void lgamma_db(const void *x, void *o, int64_t n) { ct_lgamma_d_loop(x, o, n); }

/* The modified Bessel functions I0, I1 of floats and their scaled forms
 * I0e = I0 e^-|x|, I1e = I1 e^-|x|, in double, branch free. For |x| <= 16
 * their power series, I0 = sum q^k / (k!)^2 and I1 = (|x| / 2) sum
 * q^k / (k! (k + 1)!), q = x^2 / 4, to k = 28 (relative truncation below
 * 1e-16); above, the asymptotic series I_v e^-|x| = (2 pi |x|)^-1/2
 * sum_k (-1)^k prod_j=1..k (4v^2 - (2j - 1)^2) / (k! (8|x|)^k), to k = 12
 * (truncation below 1e-11 from 16 on). I1 and I1e are odd; I0 and I1
 * are NaN at +-inf. */
static const double bi_s0[43] = {
    1.0, 1.0, 0.25, 0.027777777777777776,
    0.001736111111111111, 6.944444444444444e-05, 1.9290123456790124e-06, 3.936759889140842e-08,
    6.151187326782565e-10, 7.594058428126624e-12, 7.594058428126623e-14, 6.276081345559193e-16,
    4.358389823304995e-18, 2.5789288895295828e-20, 1.3157800456783586e-22, 5.8479113141260385e-25,
    2.2843403570804838e-27, 7.904291893012054e-30, 2.4395962632753253e-32, 6.757884385804225e-35,
    1.6894710964510564e-37, 3.8310002187098785e-40, 7.915289708078262e-43, 1.4962740468957016e-45,
    2.5976979980828152e-48, 4.156316796932504e-51, 6.14839762859838e-54, 8.434015951438106e-57,
    1.0757673407446564e-59, 1.2791526049282477e-62, 1.4212806721424974e-65, 1.4789601166935458e-68,
    1.4442969889585408e-71, 1.3262598613026087e-74, 1.147283617043779e-77, 9.365580547296156e-81,
    7.226528200074194e-84, 5.278691161485898e-87, 3.6556032974279072e-90, 2.4034209713529963e-93,
    1.5021381070956227e-96, 8.935979221270807e-100, 5.065747857863269e-103};
static const double bi_s1[43] = {
    1.0, 0.5, 0.08333333333333333, 0.006944444444444444,
    0.00034722222222222224, 1.1574074074074073e-05, 2.755731922398589e-07, 4.920949861426052e-09,
    6.834652585313961e-11, 7.594058428126623e-13, 6.903689480115112e-15, 5.230067787965994e-17,
    3.352607556388458e-19, 1.842092063949702e-21, 8.771866971189057e-24, 3.654944571328774e-26,
    1.3437296218120491e-28, 4.391273273895586e-31, 1.2839980333028028e-33, 3.3789421929021126e-36,
    8.045100459290744e-39, 1.7413637357772174e-41, 3.4414303078601135e-44, 6.234475195398757e-47,
    1.0390791992331261e-49, 1.5985833834355786e-52, 2.2771843068882885e-55, 3.0121485540850376e-58,
    3.7095425542919185e-61, 4.263842016427493e-64, 4.5847763617499917e-67, 4.6217503646673306e-70,
    4.376657542298608e-73, 3.900764297948849e-76, 3.2779531915536543e-79, 2.60155015202671e-82,
    1.9531157297497823e-85, 1.3891292530226046e-88, 9.373341788276685e-92, 6.00855242838249e-95,
    3.6637514807210306e-98, 2.127614100302573e-101, 1.1780808971775045e-104};
static const double bi_a0[19] = {
    1.0, 0.125, 0.0703125, 0.0732421875,
    0.112152099609375, 0.22710800170898438, 0.5725014209747314, 1.7277275025844574,
    6.074042001273483, 24.380529699556064, 110.01714026924674, 551.3358961220206,
    3038.090510922384, 18257.755474293175, 118838.42625678325, 832859.3040162893,
    6252951.493434797, 50069589.531988926, 425939216.5047669};
static const double bi_a1[19] = {
    1.0, -0.375, -0.1171875, -0.1025390625,
    -0.144195556640625, -0.2775764465332031, -0.6765925884246826, -1.993531733751297,
    -6.883914268109947, -27.248827311268542, -121.59789187653587, -603.8440767050702,
    -3302.2722944808525, -19718.37591223663, -127641.2726461746, -890297.8767070678,
    -6656367.718817688, -53104110.10968523, -450278600.3050393};

/* BESSEL_I(NAME, CUT, KS, KA, FLT, KT): bessel_i's forms, the power series
 * to k = KS up to |x| = CUT, the asymptotic one to k = KA above (FLT: for
 * float arguments); NAME_small the series alone (for |x| <= CUT; other x
 * give garbage), NAME_tiny the series to k = KT, as close for |x| <= 4 */
#define BESSEL_I(NAME, CUT, KS, KA, FLT, KT)                                   \
/* e^x to the results' accuracy */                                             \
CT_FM_INLINE double NAME##_exp(double x)                                       \
{                                                                              \
    return FLT ? ct_dexp_11(x) : exp_d(x);                                     \
}                                                                              \
/* the power series' sum to k = K (for float results in chains of 8 terms:    \
 * one Horner chain's latency would bound its loops) */                        \
CT_FM_INLINE double NAME##_series_to(const double *sc, double q, int K)        \
{                                                                              \
    if (FLT)                                                                   \
        return horner8_lo_d(sc, K + 1, q);                                     \
    double s = sc[K];                                                          \
    _Pragma("GCC unroll 48")                                                   \
    for (int k = K - 1; k >= 0; k--)                                           \
        s = s * q + sc[k];                                                     \
    return s;                                                                  \
}                                                                              \
/* the asymptotic form's w = 1 / |x| and 1 / sqrt(2 pi |x|) (|x| >= CUT) */   \
CT_FM_INLINE void NAME##_wrs(double x, double *wp, double *rsp)                \
{                                                                              \
    double a = __builtin_fabs(x);                                              \
    double ab = a > CUT ? a : CUT, w, rs;                                      \
    if (FLT) {                                                                 \
        /* 1 / sqrt(a) from float's (8 lanes a pass through the divider    \
         * where double's take two, each for a square root and a quotient)  \
         * and one Newton step in double: relative error 2e-14; 0 at inf    \
         * (the step would make 0 inf = NaN) */                              \
        double r0 = (double)(1.0f / __builtin_sqrtf((float)ab));               \
        rs = r0 * __builtin_fma(-0.5 * ab * r0, r0, 1.5);                      \
        rs = ab == __builtin_inf() ? 0.0 : rs;                                 \
        w = rs * rs;                                                           \
        rs *= 0.3989422804014327;                         /* 1 / sqrt(2 pi) */ \
    } else {                                                                   \
        w = 1.0 / ab;                                                          \
        rs = __builtin_sqrt(w * 0.15915494309189533577);  /* 1 / (2 pi) */     \
    }                                                                          \
    *wp = w;                                                                   \
    *rsp = rs;                                                                 \
}                                                                              \
/* the forms with w and rs from NAME_wrs */                                    \
CT_FM_INLINE double NAME##_parts_w(double x, int one, int scaled, int series,  \
                                   double w, double rs)                        \
{                                                                              \
    double a = __builtin_fabs(x);                                              \
    double as = a > CUT ? CUT : a;                                             \
    double q = 0.25 * as * as;                                                 \
    const double *sc = one ? bi_s1 : bi_s0, *ac = one ? bi_a1 : bi_a0;        \
    double s = 0.0;                                                            \
    if (series) {                                                              \
        s = NAME##_series_to(sc, q, KS);                                       \
        if (one)                                                               \
            s *= 0.5 * as;                                                     \
    }                                                                          \
    double t;                                                                  \
    if (FLT) {                                                                 \
        /* even and odd terms as two chains in w^2 (one Horner chain of KA  \
         * steps is the loop's longest latency, which bounds it) */          \
        const int he = KA & ~1, ho = (KA & 1) ? KA : KA - 1;                   \
        double w2 = w * w, te = ac[he], to = ac[ho];                           \
        _Pragma("GCC unroll 24")                                               \
        for (int k = he - 2; k >= 0; k -= 2)                                   \
            te = __builtin_fma(te, w2, ac[k]);                                 \
        _Pragma("GCC unroll 24")                                               \
        for (int k = ho - 2; k >= 1; k -= 2)                                   \
            to = __builtin_fma(to, w2, ac[k]);                                 \
        t = __builtin_fma(to, w, te);                                          \
    } else {                                                                   \
        t = ac[KA];                                                            \
        _Pragma("GCC unroll 24")                                               \
        for (int k = KA - 1; k >= 0; k--)                                      \
            t = t * w + ac[k];                                                 \
    }                                                                          \
    t *= rs;                                                                   \
    double r;                                                                  \
    if (scaled) {                                                              \
        /* (without the series, x within CUT are the caller's to fill) */     \
        r = series ? (a <= CUT ? s * NAME##_exp(-as) : t) : t;                 \
    } else {                                                                   \
        /* e^a as (e^(a/2))^2 keeps it finite up to the range's end */        \
        double h = NAME##_exp(0.5 * (a > 1400.0 ? 1400.0 : a));                \
        r = a <= CUT ? s : (t * h) * h;                                        \
        /* NaN at +-inf, as PyTorch and scipy */                              \
        r = a == __builtin_inf() ? __builtin_nan("") : r;                      \
    }                                                                          \
    r = x != x ? x : r;                                                        \
    /* odd, but +0 at -0 (as PyTorch and scipy) */                            \
    return one && x != 0.0 ? __builtin_copysign(r, x) : r;                     \
}                                                                              \
CT_FM_INLINE double NAME##_parts(double x, int one, int scaled, int series)   \
{                                                                              \
    double w, rs;                                                              \
    NAME##_wrs(x, &w, &rs);                                                    \
    return NAME##_parts_w(x, one, scaled, series, w, rs);                      \
}                                                                              \
CT_FM_INLINE double NAME(double x, int one, int scaled)                        \
{                                                                              \
    return NAME##_parts(x, one, scaled, 1);                                    \
}                                                                              \
CT_FM_INLINE double NAME##_small_to(double x, int one, int scaled, int K)     \
{                                                                              \
    double a = __builtin_fabs(x), q = 0.25 * a * a;                            \
    const double *sc = one ? bi_s1 : bi_s0;                                    \
    double s = NAME##_series_to(sc, q, K);                                     \
    if (one)                                                                   \
        s *= 0.5 * a;                                                          \
    if (scaled)                                                                \
        s *= NAME##_exp(-a);                                                   \
    return one && x != 0.0 ? __builtin_copysign(s, x) : s;                     \
}                                                                              \
CT_FM_INLINE double NAME##_small(double x, int one, int scaled)                \
{                                                                              \
    return NAME##_small_to(x, one, scaled, KS);                                \
}                                                                              \
CT_FM_INLINE double NAME##_tiny(double x, int one, int scaled)                 \
{                                                                              \
    return NAME##_small_to(x, one, scaled, KT);                                \
}
/* float results: to 1e-11 (KS = 28: truncation below 1e-16 at 16; to |x| = 4
 * KT = 12: below 3e-14; the scaled forms' e^-|x| by ct_dexp_11) */
BESSEL_I(bessel_i, 16.0, 28, 12, 1, 12)
/* double results: to 1e-16 (the series to 25, truncation below 1e-17 there,
 * to |x| = 4 KT = 17: below 1e-19; the asymptotic one below 3e-17 from 25
 * on) */
BESSEL_I(bessel_i_d, 25.0, 42, 18, 0, 17)

/* float results of the scaled forms, i0e and i1e, without an exponential:
 * Chebyshev fits, in monomials of t, of i0e(x) and i1e(x) / x on [0, 4]
 * (t = x / 2 - 1) and of sqrt(x) i0e(x), sqrt(x) i1e(x) on [4, inf)
 * (t = 8 / x - 1), to 1.5e-12 relative (fitted to mpmath's values), with
 * bessel_i's entry points for BESSEL_I_LOOP_T (CUT 4: its tiny and small
 * forms alike) */
/* i0: A to 1.2e-12, B to 1.5e-12 */
static const double bie_i0a[18] = {
    0.30850832255393945, -0.1864780666099829, 0.15768684392660254, -0.12889562129965992,
    0.09416163517395873, -0.060431680042359819, 0.034150527036214504,
    -0.0171317904767724, 0.0077006709282438383, -0.0031292514827033807,
    0.0011587098728585829, -0.00039388745982685215, 0.00012397375492529736,
    -3.6136266530660953e-05, 9.5308149982401007e-06, -2.4384831542404749e-06,
    7.4654997835613574e-07, -1.6726698959246283e-07,
};
static const double bie_i0b[21] = {
    0.40568634235438061, 0.0073494347902164463, 0.0007352507031278371,
    0.00018496361308860913, 7.9466505984928558e-05, 1.3881555571661875e-05,
    -3.9756113584490179e-05, -3.2970769637644622e-05, 2.1660256914604533e-05,
    2.7164247054103991e-05, -2.209502765134703e-05, -1.8903557435539749e-05,
    2.503339738647834e-05, 1.0251187442624214e-05, -2.2194120842500426e-05,
    -3.7183055602612587e-06, 1.341619167644262e-05, 7.1757835087282748e-07,
    -4.8482263082405613e-06, -3.9315580124821308e-08, 7.855038347770465e-07,
};
/* i1: A to 6.5e-13, B to 1.5e-12 */
static const double bie_i1a[18] = {
    0.10763464462450009, -0.12203025594426212, 0.10420196192625901,
    -0.074488138573055127, 0.046029356344841107, -0.025019387762245316,
    0.012114014859454621, -0.0052786921065460981, 0.002088230926883209,
    -0.00075563439658597991, 0.00025173379115352911, -7.7668234586026781e-05,
    2.2338853298478268e-05, -5.996325895034543e-06, 1.4761273079350445e-06,
    -3.5116189027148714e-07, 9.7484074748257687e-08, -2.0557126845233148e-08,
};
static const double bie_i1b[21] = {
    0.37941226661038879, -0.020486472662219795, -0.0011257086301643474,
    -0.00023481821673200357, -9.4548284321401251e-05, -1.9217623706642322e-05,
    4.1444601943758305e-05, 3.7323661092451081e-05, -2.1075828050913567e-05,
    -3.0058595375798924e-05, 2.1839515639449195e-05, 2.1134914657034467e-05,
    -2.5412157895018668e-05, -1.1845958315662838e-05, 2.2888060581081426e-05,
    4.5787580294001674e-06, -1.3965496859461658e-05, -1.010187969541221e-06,
    5.0774820920196375e-06, 8.5212036537996094e-08, -8.2617043517530028e-07,
};

CT_FM_INLINE double bessel_ie_small(double x, int one, int scaled)
{
    (void)scaled;
    double a = __builtin_fabs(x);
    if (!one)
        return horner8_lo_d(bie_i0a, 18, 0.5 * a - 1.0);
    double r = a * horner8_lo_d(bie_i1a, 18, 0.5 * a - 1.0);
    /* odd, but +0 at -0 (as PyTorch and scipy) */
    return x != 0.0 ? __builtin_copysign(r, x) : r;
}
CT_FM_INLINE double bessel_ie_tiny(double x, int one, int scaled)
{
    return bessel_ie_small(x, one, scaled);
}
/* w = 1 / |x| and 1 / sqrt(|x|) (|x| >= 4; 0 at inf) as bessel_i's */
CT_FM_INLINE void bessel_ie_wrs(double x, double *wp, double *rsp)
{
    double a = __builtin_fabs(x), ab = a > 4.0 ? a : 4.0;
    double r0 = (double)(1.0f / __builtin_sqrtf((float)ab));
    double rs = r0 * __builtin_fma(-0.5 * ab * r0, r0, 1.5);
    rs = ab == __builtin_inf() ? 0.0 : rs;
    *wp = rs * rs;
    *rsp = rs;
}
CT_FM_INLINE double bessel_ie_parts_w(double x, int one, int scaled, int series, double w,
                                      double rs)
{
    (void)scaled;
    (void)series;
    double t = __builtin_fma(8.0, w, -1.0);
    double r = rs * (one ? horner8_lo_d(bie_i1b, 21, t) : horner8_lo_d(bie_i0b, 21, t));
    r = x != x ? x : r;
    return one ? __builtin_copysign(r, x) : r;
}
CT_FM_INLINE double bessel_ie_parts(double x, int one, int scaled, int series)
{
    double w, rs;
    bessel_ie_wrs(x, &w, &rs);
    return bessel_ie_parts_w(x, one, scaled, series, w, rs);
}

/* blocks of 256 sorted by a first pass over |x|: all within 4 take the
 * shorter series (F_tiny), all within CUT the power series alone, all past
 * it (or NaN) the asymptotic one alone; where
 * a quarter or less are past CUT, the series for all and those few
 * gathered (compact.h) into one vector loop of the asymptotic form; any
 * other mix the asymptotic form for all and those within CUT gathered for
 * the series (the same values every way) */
#define BESSEL_I_LOOP_T(NAME, T, F, CUT, ONE, SCALED)                          \
CT_FM_INLINE double NAME##_s1(double x) { return F##_small(x, ONE, SCALED); }  \
CT_FM_INLINE double NAME##_a1(double x) { return F##_parts(x, ONE, SCALED, 0); } \
CT_SIMD_MAP(NAME##_series, double, NAME##_s1)                                  \
CT_SIMD_MAP(NAME##_asym, double, NAME##_a1)                                    \
/* the asymptotic form over m <= 256 elements in two passes, w and rs first: \
 * one loop would hold a chain of dependent steps (square root, quotient,   \
 * polynomial) too long for the core to overlap enough elements */          \
CT_MULTIVERSION static void NAME##_asym_block(const T *xb, T *ob, int64_t m)   \
{                                                                              \
    double wb[256], rb[256];                                                   \
    _Pragma("omp simd")                                                        \
    for (int64_t i = 0; i < m; i++)                                            \
        F##_wrs((double)xb[i], &wb[i], &rb[i]);                                \
    _Pragma("omp simd")                                                        \
    for (int64_t i = 0; i < m; i++)                                            \
        ob[i] = (T)F##_parts_w((double)xb[i], ONE, SCALED, 0, wb[i], rb[i]);   \
}                                                                              \
void NAME(const T *x, T *o, int64_t count);                                    \
CT_MULTIVERSION void NAME(const T *x, T *o, int64_t count)                     \
{                                                                              \
    for (int64_t b0 = 0; b0 < count; b0 += 256) {                              \
        const int64_t m = count - b0 < 256 ? count - b0 : 256;                 \
        const T *xb = x + b0;                                                  \
        T *ob = o + b0;                                                        \
        int small = 0, tiny = 0;                                               \
        _Pragma("omp simd reduction(+:small, tiny)")                           \
        for (int64_t i = 0; i < m; i++) {                                      \
            T v = xb[i];                                                       \
            small += (v < 0 ? -v : v) <= CUT;                                  \
            tiny += (v < 0 ? -v : v) <= 4;                                     \
        }                                                                      \
        if (tiny == (int)m) {                                                  \
            _Pragma("omp simd")                                                \
            for (int64_t i = 0; i < m; i++)                                    \
                ob[i] = (T)F##_tiny(xb[i], ONE, SCALED);                       \
        } else if (small == (int)m) {                                          \
            _Pragma("omp simd")                                                \
            for (int64_t i = 0; i < m; i++)                                    \
                ob[i] = (T)F##_small(xb[i], ONE, SCALED);                      \
        } else if (!small) {                                                   \
            NAME##_asym_block(xb, ob, m);                                      \
        } else {                                                               \
            /* the few past CUT gathered, the series for the rest (NaN stays  \
             * with the series: NaN); else those within CUT gathered, the     \
             * asymptotic form (the cheaper) for the rest */                  \
            double xs[256 + 8], rs[256 + 8];                                   \
            int64_t zi[256 + 8];                                               \
            const int few_small = (m - small) * 4 > m;                         \
            int ns = _Generic(xb, const float *: ct_compact_range_f,           \
                              const double *: ct_compact_range_d)(             \
                xb, (int)m, CUT, few_small, zi, xs);                           \
            if (few_small) {                                                   \
                NAME##_asym_block(xb, ob, m);                                  \
                NAME##_series(xs, rs, ns);                                     \
            } else {                                                           \
                _Pragma("omp simd")                                            \
                for (int64_t i = 0; i < m; i++)                                \
                    ob[i] = (T)F##_small(xb[i], ONE, SCALED);                  \
                NAME##_asym(xs, rs, ns);                                       \
            }                                                                  \
            for (int j = 0; j < ns; j++)                                       \
                ob[zi[j]] = (T)rs[j];                                          \
        }                                                                      \
    }                                                                          \
}                                                                              \
static void NAME##_b(const void *x, void *o, int64_t n) { NAME(x, o, n); }
/* (float's: the scaled forms by bessel_ie) */
#define BESSEL_I_LOOP(NAME, ONE, SCALED, FF, FCUT)                             \
    BESSEL_I_LOOP_T(NAME##_f_loop, float, FF, FCUT, ONE, SCALED)               \
    BESSEL_I_LOOP_T(NAME##_d_loop, double, bessel_i_d, 25.0, ONE, SCALED)
BESSEL_I_LOOP(ct_i0, 0, 0, bessel_i, 16.0f)
BESSEL_I_LOOP(ct_i0e, 0, 1, bessel_ie, 4.0f)
BESSEL_I_LOOP(ct_i1, 1, 0, bessel_i, 16.0f)
BESSEL_I_LOOP(ct_i1e, 1, 1, bessel_ie, 4.0f)

/* sinc: sin(y) / y for y = pi x rounded to the dtype, as PyTorch forms it,
 * and 1 at 0. A vector pass with fastmath's sin where |y| is below its fast
 * limit; the blocks with larger |y| (or NaN) again for those elements: the
 * float reduction in double below CT_TRIG_BIG, libm above (o != x). The
 * spherical Bessel function j0 is the same loop with y = x, and 0 at the
 * infinities (SCALE 1, INF0 1; sinc is NaN there). */
#define SINC_LOOP(NAME, T, SCALE, INF0, FASTLIM, FAST, REST)                    \
CT_MULTIVERSION static void NAME(const void *xv, void *ov, int64_t count)      \
{                                                                              \
    const T *x = (const T *)xv;                                                \
    T *o = (T *)ov;                                                            \
    for (int64_t b0 = 0; b0 < count; b0 += 256) {                              \
        const int64_t m = count - b0 < 256 ? count - b0 : 256;                 \
        const T *xb = x + b0;                                                  \
        T *ob = o + b0;                                                        \
        int rest = 0;                                                          \
        _Pragma("omp simd reduction(+:rest)")                                  \
        for (int64_t i = 0; i < m; i++) {                                      \
            T y = (T)(SCALE) * xb[i];                                          \
            int fast = (y < 0 ? -y : y) < FASTLIM;                             \
            rest += !fast;                                                     \
            T sn = FAST(fast ? y : (T)0);                                      \
            ob[i] = y == 0 ? (T)1 : sn / y;                                    \
        }                                                                      \
        if (rest)                                                              \
            for (int64_t i = 0; i < m; i++) {                                  \
                T y = (T)(SCALE) * xb[i];                                      \
                if (!((y < 0 ? -y : y) < FASTLIM))                             \
                    ob[i] = INF0 && (y < 0 ? -y : y) == (T)INFINITY ? (T)0 : REST(y) / y; \
            }                                                                  \
    }                                                                          \
}
#define SINC_F_FAST(y) ct_sincosf_fast(y, 0)
#define SINC_F_REST(y) (__builtin_fabsf(y) < CT_TRIG_BIG ? ct_sincosf_small(y, 0) : sinf(y))
#define SINC_D_FAST(y) ct_sincos_d_fast(y, 0)
SINC_LOOP(sinc_fb, float, M_PI, 0, CT_TRIG_FAST, SINC_F_FAST, SINC_F_REST)
SINC_LOOP(sinc_db, double, M_PI, 0, CT_TRIG_D_FAST, SINC_D_FAST, sin)
SINC_LOOP(sph_j0_fb, float, 1, 1, CT_TRIG_FAST, SINC_F_FAST, SINC_F_REST)
SINC_LOOP(sph_j0_db, double, 1, 1, CT_TRIG_D_FAST, SINC_D_FAST, sin)

static const unary_block_fn unary_fns[CT_SU_COUNT][2] = {
    [CT_SU_ERFC] = {erfc_fb, erfc_db},
    [CT_SU_NDTR] = {ndtr_f, ndtr_db},
    [CT_SU_TRIGAMMA] = {trigamma_fb, trigamma_db},
    [CT_SU_ENTR] = {entr_fb, entr_db},
    [CT_SU_LGAMMA] = {lgamma_fb, lgamma_db},
    [CT_SU_I0] = {ct_i0_f_loop_b, ct_i0_d_loop_b},
    [CT_SU_I0E] = {ct_i0e_f_loop_b, ct_i0e_d_loop_b},
    [CT_SU_I1] = {ct_i1_f_loop_b, ct_i1_d_loop_b},
    [CT_SU_I1E] = {ct_i1e_f_loop_b, ct_i1e_d_loop_b},
    [CT_SU_ERFCX] = {erfcx_fb, erfcx_db},
    [CT_SU_LOG_NDTR] = {log_ndtr_fb, log_ndtr_db},
    [CT_SU_SINC] = {sinc_fb, sinc_db},
    [CT_SU_SPH_J0] = {sph_j0_fb, sph_j0_db},
};

int ct_special_erfc(int code, const void *x, void *out, int64_t count)
{
    int fn = code >> 1, dt = code & 1;
    unary_block_fn f;
    if (code < 0 || fn >= CT_SU_COUNT || (f = unary_fns[fn][dt]) == NULL)
        return -1;
    ct_special_blocks(f, dt ? sizeof(double) : sizeof(float), x, out, count, 65536);
    return 0;
}

void ct_special_blocks(ct_special_block_fn f, size_t es, const void *x, void *out, int64_t count,
                       int64_t par_min)
{
    int64_t i, nb = (count + 8191) / 8192;
    CT_PARALLEL_IF(count > par_min, "omp parallel for schedule(static)",
    for (i = 0; i < nb; i++) {
        int64_t lo = i * 8192, n = count - lo < 8192 ? count - lo : 8192;
        f((const char *)x + lo * es, (char *)out + lo * es, n);
    });
}

/* logit of floats: log(x / (1 - x)) in float, PyTorch's form, through
 * fastmath.h's log (1 - x is exact from 1/2 up; the quotient is inf at 1 and
 * negative, so NaN, outside [0, 1]); the clamp's bounds are float, as the
 * input's dtype, and a NaN stays NaN through them. A vector pass takes the
 * quotients that are normal positive floats (CT_LOG_FAST) and leaves the
 * other elements as they were; the full log runs on those in a second pass,
 * which reads them from x (in place, they still hold x there). */
CT_FM_INLINE float logit_q(float v, float lo, float hi)
{
    v = v < lo ? lo : v;
    v = v > hi ? hi : v;
    return v / (1.0f - v);
}
void ct_logit_f_loop(const float *x, float *o, int64_t count, float lo, float hi);
CT_MULTIVERSION void ct_logit_f_loop(const float *x, float *o, int64_t count, float lo, float hi)
{
    /* flags from the first pass pick the second pass's elements (in place,
     * the finished ones hold results now; see elementwise.c's CT_PASS_BLK) */
    for (int64_t b0 = 0; b0 < count; b0 += 1024) {
        int64_t e = count - b0 < 1024 ? count : b0 + 1024;
        uint8_t bad[1024];
        int big = 0;
        #pragma omp simd
        for (int64_t i = b0; i < e; i++) {
            float q = logit_q(x[i], lo, hi);
            int b = !CT_LOG_FAST(q);
            bad[i - b0] = (uint8_t)b;
            big |= b;
            o[i] = b ? x[i] : ct_logf_fast(q);
        }
        /* the full log over the block as a select (a branch per flag cost
         * as much as the vector pass where a block holds a few: a 1 of
         * rounded rand(), NaNs); in place a finished element's x is gone,
         * and its result is kept */
        if (big) {
            #pragma omp simd
            for (int64_t i = b0; i < e; i++) {
                float r = ct_logf(logit_q(x[i], lo, hi));
                o[i] = bad[i - b0] ? r : o[i];
            }
        }
    }
}

/* logit of doubles: log(x / (1 - x)) in double (the clamp's bounds double),
 * through log512.h's log on a CPU with AVX-512F, fastmath_d.h's elsewhere;
 * both take every input (NaN, zeros, negatives, infinities) in one pass */
CT_FM_INLINE double logit_qd(double v, double lo, double hi)
{
    v = v < lo ? lo : v;
    v = v > hi ? hi : v;
    return v / (1.0 - v);
}
CT_MULTIVERSION static void ct_logit_d_port(const double *x, double *o, int64_t count, double lo,
                                            double hi)
{
    #pragma omp simd
    for (int64_t i = 0; i < count; i++)
        o[i] = ct_log_d1(logit_qd(x[i], lo, hi));
}
#ifdef CT_HAVE_AVX512_TABLES
CT_AVX512_INLINE __m512d ct_logit512_d(__m512d v, __m512d lo, __m512d hi)
{
    /* max / min return their second operand where either is NaN: NaN stays */
    v = _mm512_min_pd(hi, _mm512_max_pd(lo, v));
    return ct_log512_ln_d(_mm512_div_pd(v, _mm512_sub_pd(_mm512_set1_pd(1.0), v)));
}
__attribute__((target("avx512f"))) static void ct_logit_d_512(const double *x, double *o,
                                                             int64_t n, double lo, double hi)
{
    const __m512d l = _mm512_set1_pd(lo), h = _mm512_set1_pd(hi);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm512_storeu_pd(o + i, ct_logit512_d(_mm512_loadu_pd(x + i), l, h));
    if (i < n) {
        __mmask8 t = (__mmask8)((1u << (n - i)) - 1);
        _mm512_mask_storeu_pd(o + i, t, ct_logit512_d(_mm512_maskz_loadu_pd(t, x + i), l, h));
    }
}
#endif

/* logit of the block [lo_i, lo_i + n): the float loop, or the double one */
static void ct_logit_block(int dtype, const void *x, void *out, int64_t lo_i, int64_t n, double lo,
                           double hi)
{
    if (dtype == 0)
        ct_logit_f_loop((const float *)x + lo_i, (float *)out + lo_i, n, (float)lo, (float)hi);
#ifdef CT_HAVE_AVX512_TABLES
    else if (ct_cpu_avx512f())
        ct_logit_d_512((const double *)x + lo_i, (double *)out + lo_i, n, lo, hi);
#endif
    else
        ct_logit_d_port((const double *)x + lo_i, (double *)out + lo_i, n, lo, hi);
}

int ct_special_logit(int dtype, const void *x, void *out, int64_t count, double eps)
{
    int64_t i;
    if (dtype != 0 && dtype != 1)
        return -1;
    double lo = eps < 0 ? -__builtin_inf() : eps, hi = eps < 0 ? __builtin_inf() : 1.0 - eps;
    int64_t nb = (count + 8191) / 8192;
    CT_PARALLEL_IF(count > 65536, "omp parallel for schedule(static)",
    for (i = 0; i < nb; i++) {
        int64_t lo_i = i * 8192;
        ct_logit_block(dtype, x, out, lo_i, count - lo_i < 8192 ? count - lo_i : 8192, lo, hi);
    });
    return 0;
}
