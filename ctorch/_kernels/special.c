/* Orthogonal polynomials by recurrence, digamma, erfinv, erfc and the other
 * unary special functions of ct_special_erfc (see special.h). */

#include <math.h>
#include <string.h>
#include "special.h"
#include "common.h"
#include "fastmath.h"

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
 * come back in p1 */
#define POLY_BLOCK 256
static void poly_block(int kind, const double *x, double *p0, double *p1, int64_t m, int64_t k)
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
    }
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
            #pragma omp parallel for schedule(static) if (count > 16384)
            for (i = 0; i < nb; i++) {
                double xb[POLY_BLOCK], p0[POLY_BLOCK], p1[POLY_BLOCK];
                int64_t lo = i * POLY_BLOCK, m = count - lo < POLY_BLOCK ? count - lo : POLY_BLOCK, j;
                for (j = 0; j < m; j++) {
                    double v = dtype == 0 ? (double)((const float *)x)[lo + j]
                                          : ((const double *)x)[lo + j];
                    xb[j] = shift ? 2 * v - 1 : v;
                }
                if (k > 0)
                    poly_block(kind, xb, p0, p1, m, k);
                else
                    for (j = 0; j < m; j++)
                        p1[j] = k == 0 ? 1.0 : 0.0;
                if (dtype == 0)
                    for (j = 0; j < m; j++)
                        ((float *)out)[lo + j] = (float)p1[j];
                else
                    for (j = 0; j < m; j++)
                        ((double *)out)[lo + j] = p1[j];
            }
            return 0;
        }
    }
    if (dtype == 0) {
        const float *xf = (const float *)x, *nf = (const float *)n;
        float *o = (float *)out;
        #pragma omp parallel for schedule(dynamic, 4096) if (count > 16384)
        for (i = 0; i < count; i++)
            o[i] = (float)poly_value(kind, shift, xf[i * sx], nf[i * sn]);
    } else {
        const double *xd = (const double *)x, *nd = (const double *)n;
        double *o = (double *)out;
        #pragma omp parallel for schedule(dynamic, 4096) if (count > 16384)
        for (i = 0; i < count; i++)
            o[i] = poly_value(kind, shift, xd[i * sx], nd[i * sn]);
    }
    return 0;
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
 * series, one picked; log by log_d. Other x are left for a scalar pass. */
CT_FM_INLINE double log_d(double x);
#define DIGAMMA_LOOP(NAME, T)                                                  \
void NAME(const T *x, T *o, int64_t count);                                    \
CT_MULTIVERSION void NAME(const T *x, T *o, int64_t count)                     \
{                                                                              \
    static const double c[12] = {                                              \
        0.9676722454476212, -0.4427631689835921, 0.258499760955651,            \
        -0.16394270544240652, 0.10782405069126237, -0.07219956125645471,       \
        0.04880428816414311, -0.03316112647484736, 0.022597648232218104,       \
        -0.01542476590494896, 0.010538791616612175, -0.007204534386356869};    \
    int rest = 0;                                                              \
    _Pragma("omp simd reduction(|:rest)")                                      \
    for (int64_t i = 0; i < count; i++) {                                      \
        T v = x[i];                                                            \
        int ok = v > 0 && v < (T)__builtin_inf();                              \
        double xd = ok ? (double)v : 1.0;                                      \
        double d = (xd - 1.4616321449683622) - 9.549995429965697e-17;         \
        double p = c[11];                                                      \
        _Pragma("GCC unroll 11")                                               \
        for (int k = 10; k >= 0; k--)                                          \
            p = p * d + c[k];                                                  \
        p *= d;                                                                \
        double y = xd, num = 0.0, den = 1.0;                                   \
        _Pragma("GCC unroll 10")                                               \
        for (int j = 0; j < 10; j++) {                                         \
            int m = y < 10.0;                                                  \
            num = m ? num * y + den : num;                                     \
            den = m ? den * y : den;                                           \
            y = m ? y + 1.0 : y;                                               \
        }                                                                      \
        double z = 1.0 / (y * y);                                              \
        double big = log_d(y) - 0.5 / y                                        \
            - z * (1.0 / 12 - z * (1.0 / 120 - z * (1.0 / 252 - z * (1.0 / 240 \
                  - z * (1.0 / 132 - z * (691.0 / 32760 - z / 12))))))         \
            - num / den;                                                       \
        rest |= !ok;                                                           \
        o[i] = (T)(__builtin_fabs(d) < 0.05 ? p : big);                        \
    }                                                                          \
    if (rest)                                                                  \
        for (int64_t i = 0; i < count; i++)                                    \
            if (!(x[i] > 0 && x[i] < (T)__builtin_inf()))                      \
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
    #pragma omp parallel for schedule(static) if (count > 16384)
    for (i = 0; i < nb; i++) {
        int64_t lo = i * 8192, n = count - lo < 8192 ? count - lo : 8192;
        if (dtype == 0)
            ct_digamma_f_loop((const float *)x + lo, (float *)out + lo, n);
        else
            ct_digamma_d_loop((const double *)x + lo, (double *)out + lo, n);
    }
    return 0;
}

/* erfinv: M. Giles' single-precision approximation ("Approximating the
 * erfinv function", GPU Computing Gems, 2011), a polynomial in
 * w = -log(1 - y^2) (in w - 2.5 below w = 5, in sqrt(w) - 3 above), then
 * Halley steps on erf(x) = y in double until converged (at most `steps`;
 * none for float results, which the approximation gives to about 2 ulp). Past |y| = 0.5 the residual is taken as
 * (1 - |y|) - erfc(x), exact where erf(x) - |y| would cancel. */
static double erfinv_one(double y, int steps)
{
    static const double central[9] = {
        2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
        -0.00125372503, -0.00417768164, 0.246640727, 1.50140941};
    static const double tail[9] = {
        -0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
        -0.0076224613, 0.00943887047, 1.00167406, 2.83297682};
    double a = fabs(y), w, t, p, x;
    const double *c;
    int k;
    if (isnan(y))
        return y;
    if (a > 1.0)
        return NAN;
    if (a == 1.0)
        return copysign(INFINITY, y);
    if (a == 0.0)
        return y;
    w = -log((1.0 - a) * (1.0 + a));
    if (w < 5.0) {
        t = w - 2.5;
        c = central;
    } else {
        t = sqrt(w) - 3.0;
        c = tail;
    }
    p = c[0];
    for (k = 1; k < 9; k++)
        p = p * t + c[k];
    x = p * a;
    for (k = 0; k < steps; k++) {
        double f = a <= 0.5 ? erf(x) - a : (1.0 - a) - erfc(x);
        double u = f / (1.1283791670955126 * exp(-x * x));
        x -= u / (1.0 + x * u);
        /* the steps converge cubically: after a step of relative size
         * below 1e-6 the error is below 1e-18 */
        if (fabs(u) <= 1e-6 * x)
            break;
    }
    return copysign(x, y);
}

/* erfinv of a float: the approximation of erfinv_one(y, 0) in float, as
 * Giles writes it, branch free so that the loop vectorises:
 * w = -log((1 - |y|)(1 + |y|)) by fastmath.h's log for normal positive
 * arguments (the product is at least 2^-24 for |y| < 1; |y| >= 1 or NaN
 * gives a meaningless w there, and the selects at the end replace the
 * result), both polynomials evaluated and one picked */
CT_FM_INLINE float erfinv_f(float y)
{
    float a = __builtin_fabsf(y);
    float pr = (1.0f - a) * (1.0f + a);
    float w = -ct_logf_fast(pr);
    float t = w - 2.5f;
    float pc = 2.81022636e-08f;
    pc = __builtin_fmaf(pc, t, 3.43273939e-07f);
    pc = __builtin_fmaf(pc, t, -3.5233877e-06f);
    pc = __builtin_fmaf(pc, t, -4.39150654e-06f);
    pc = __builtin_fmaf(pc, t, 0.00021858087f);
    pc = __builtin_fmaf(pc, t, -0.00125372503f);
    pc = __builtin_fmaf(pc, t, -0.00417768164f);
    pc = __builtin_fmaf(pc, t, 0.246640727f);
    pc = __builtin_fmaf(pc, t, 1.50140941f);
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
    float p = w < 5.0f ? pc : pt;
    float r = __builtin_copysignf(p * a, y);
    r = a == 1.0f ? __builtin_copysignf(__builtin_inff(), y) : r;
    r = a > 1.0f ? __builtin_nanf("") : r;
    return (a == 0.0f || y != y) ? y : r;
}

void ct_erfinv_f_loop(const float *x, float *o, int64_t count);
CT_MULTIVERSION void ct_erfinv_f_loop(const float *x, float *o, int64_t count)
{
    #pragma omp simd
    for (int64_t i = 0; i < count; i++)
        o[i] = erfinv_f(x[i]);
}

int ct_special_erfinv(int dtype, const void *x, void *out, int64_t count)
{
    int64_t i;
    if (dtype == 0) {
        const float *xf = (const float *)x;
        float *o = (float *)out;
        /* in blocks, so that the threads each run the vector loop */
        int64_t nb = (count + 8191) / 8192;
        #pragma omp parallel for schedule(static) if (count > 65536)
        for (i = 0; i < nb; i++) {
            int64_t lo = i * 8192, n = count - lo < 8192 ? count - lo : 8192;
            ct_erfinv_f_loop(xf + lo, o + lo, n);
        }
    } else if (dtype == 1) {
        const double *xd = (const double *)x;
        double *o = (double *)out;
        #pragma omp parallel for schedule(static) if (count > 16384)
        for (i = 0; i < count; i++)
            o[i] = erfinv_one(xd[i], 8);
    } else {
        return -1;
    }
    return 0;
}

/* erfc rounded to float, of an argument in double (a float, or ndtr's
 * -x / sqrt 2), branch free so that the loop vectorises. From |x| = 0.9:
 * exp(-x^2) P(1/x), P of degree 14 fitted to erfcx = erfc(x) exp(x^2) on
 * [0.9, 10.1] (relative error 2e-9) and evaluated in double, x^2 carried as
 * z + zl, z its float rounding (exp(-z - zl) = exp(-z)(1 - zl)), through
 * fastmath.h's exp; 0 past 10.06 where erfc underflows, 2 - that for x <= -0.9 (no
 * cancellation: erfc(0.9) < 0.21). Below 0.9: 1 - erf(x), erf's series
 * x (c0 + x^2 Q(x^2)) of fastmath.h's ct_erff in double. */
CT_FM_INLINE float erfc_core(double xd)
{
    double ad = __builtin_fabs(xd), zd = ad * ad;
    double q = 8.567549323458681e-05;
    q = q * zd - 0.0008189580991790424;
    q = q * zd + 0.0052052225942744714;
    q = q * zd - 0.02686114198892277;
    q = q * zd + 0.11283729121202048;
    q = q * zd - 0.3761263628845713;
    double erf_s = ad * (1.1283791670955126 + zd * q);
    double small = xd < 0.0 ? 1.0 + erf_s : 1.0 - erf_s;
    double u = 1.0 / ad;
    double p = 0.06273121048071728;
    p = p * u - 0.5745013538325753;
    p = p * u + 2.384106484850701;
    p = p * u - 5.908499510658507;
    p = p * u + 9.671448109449477;
    p = p * u - 10.845600257297349;
    p = p * u + 8.22671695749546;
    p = p * u - 3.8023146113263913;
    p = p * u + 0.5742792689992472;
    p = p * u + 0.35451896995456533;
    p = p * u + 0.0020127903449193517;
    p = p * u - 0.2813989335108003;
    p = p * u - 0.00011215126744781722;
    p = p * u + 0.5641967800569355;
    p = p * u - 1.7766133382138898e-07;
    /* x^2 = z + zl, z its float rounding (zl exact for a float argument) */
    float z = (float)zd;
    double zl = zd - (double)z;
    double e = (double)ct_expf(-z) * (1.0 - zl);
    double large = e * p;
    large = ad > (double)10.06f ? 0.0 : large;
    large = xd < 0.0 ? 2.0 - large : large;
    float r = (float)(ad < (double)0.9f ? small : large);
    return xd != xd ? (float)xd : r;
}

CT_FM_INLINE float erfc_f(float x)
{
    return erfc_core((double)x);
}

void ct_erfc_f_loop(const float *x, float *o, int64_t count);
CT_MULTIVERSION void ct_erfc_f_loop(const float *x, float *o, int64_t count)
{
    #pragma omp simd
    for (int64_t i = 0; i < count; i++)
        o[i] = erfc_f(x[i]);
}

/* ndtr of a float: erfc(-x / sqrt 2) / 2, the argument taken in double
 * (exact enough that erfc_core's float pair for its square stays exact) */
void ct_ndtr_f_loop(const float *x, float *o, int64_t count);
CT_MULTIVERSION void ct_ndtr_f_loop(const float *x, float *o, int64_t count)
{
    #pragma omp simd
    for (int64_t i = 0; i < count; i++)
        o[i] = 0.5f * erfc_core(-(double)x[i] * 0.70710678118654752440);
}

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

/* log|gamma(x)| in double, for float results (relative error ~1e-14):
 * near the zeros at 1 and 2 the Taylor series there (coefficients
 * (-1)^k zeta(k) / k, and with zeta(k) - 1 around 2, the first -gamma and
 * 1 - gamma); below 8 the recurrence lgamma(x) = lgamma(x + n) -
 * log(x (x + 1) ... (x + n - 1)); from 8 on Stirling's series to the
 * 1/y^7 term (truncation below 1e-11). x < 0 by the reflection
 * lgamma(x) = log(pi / |sin(pi x)|) - lgamma(1 - x); +inf at the poles and
 * at +-inf, as C's lgamma. */
static const double lg_c1[20] = {
    -0.5772156649015329, 0.8224670334241132, -0.40068563438653143, 0.27058080842778454,
    -0.207385551028674, 0.16955717699740822, -0.14404989676884614, 0.12550966952474304,
    -0.11133426586956469, 0.10009945751278179, -0.09095401714582904, 0.083353840546109,
    -0.0769325164113522, 0.07143294629536134, -0.06666870588242046, 0.06250095514121304,
    -0.05882397865868458, 0.055555767627403614, -0.05263167937961666, 0.05000004769810169};
static const double lg_c2[20] = {
    0.42278433509846713, 0.3224670334241132, -0.06735230105319807, 0.020580808427784536,
    -0.007385551028673998, 0.0028905103307415394, -0.0011927539117032751,
    0.0005096695247430449, -0.00022315475845356857, 9.94575127817976e-05,
    -4.492623673812979e-05, 2.0507212775670396e-05, -9.439488275270618e-06,
    4.374866789915087e-06, -2.0392157537981365e-06, 9.551412130381909e-07,
    -4.4924691987384167e-07, 2.1207184805780185e-07, -1.0043224823715715e-07,
    4.7698101690585304e-08};

static double lgamma_pos(double x)
{
    double e = x - 1.0, prod = 1.0, w, w2, st;
    const double *c = NULL;
    if (fabs(e) <= 0.2)
        c = lg_c1;
    else if (fabs(x - 2.0) <= 0.25) {
        c = lg_c2;
        e = x - 2.0;
    }
    if (c != NULL) {
        double p = c[19];
        int k;
        for (k = 18; k >= 0; k--)
            p = p * e + c[k];
        return p * e;
    }
    if (x == INFINITY)
        return x;
    while (x < 8.0) {
        prod *= x;
        x += 1.0;
    }
    w = 1.0 / x;
    w2 = w * w;
    st = w * (1.0 / 12 - w2 * (1.0 / 360 - w2 * (1.0 / 1260 - w2 / 1680)));
    return (x - 0.5) * log(x) - x + 0.91893853320467274178 + st - log(prod);
}

static double lgamma_one(double x)
{
    const double pi = 3.14159265358979323846;
    if (isnan(x))
        return x;
    if (x <= 0.0) {
        double s;
        if (x == floor(x) || x == -INFINITY)
            return INFINITY;
        s = fabs(sin(pi * (x - round(x))));
        return log(pi / s) - lgamma_pos(1.0 - x);
    }
    return lgamma_pos(x);
}

/* the unary functions of ct_special_erfc's `code` (special.h): per
 * function, per dtype (float32, float64), a loop over a block, NULL where
 * there is none */
typedef void (*unary_block_fn)(const void *x, void *o, int64_t count);

static void ndtr_f(const void *x, void *o, int64_t n) { ct_ndtr_f_loop(x, o, n); }
static void erfc_fb(const void *x, void *o, int64_t n) { ct_erfc_f_loop(x, o, n); }
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

CT_FM_INLINE double bits_to_d(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }
CT_FM_INLINE uint64_t d_to_bits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }

/* log of a normal positive finite double, branch free: x = m 2^e with m in
 * [sqrt(1/2), sqrt(2)), log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172,
 * by its series to s^23 (truncation below 1e-17 relative) */
CT_FM_INLINE double log_d(double x)
{
    uint64_t v = d_to_bits(x) - 0x3fe6a09e667f3bcdull;
    double e = (double)((int64_t)v >> 52);
    double m = bits_to_d((v & 0x000fffffffffffffull) + 0x3fe6a09e667f3bcdull);
    double s = (m - 1.0) / (m + 1.0), s2 = s * s;
    double p = 0.043478260869565216;
    p = p * s2 + 0.047619047619047616;
    p = p * s2 + 0.05263157894736842;
    p = p * s2 + 0.058823529411764705;
    p = p * s2 + 0.06666666666666667;
    p = p * s2 + 0.07692307692307693;
    p = p * s2 + 0.09090909090909091;
    p = p * s2 + 0.1111111111111111;
    p = p * s2 + 0.14285714285714285;
    p = p * s2 + 0.2;
    p = p * s2 + 0.3333333333333333;
    return e * 0.6931471803691238 + (e * 1.9082149292705877e-10 + 2.0 * (s + s * s2 * p));
}

/* exp of a double in [-700, 700], branch free: x = k ln2 + r, |r| <= ln2/2,
 * e^r by its Taylor series to r^13 (truncation below 1e-17 relative) */
CT_FM_INLINE double exp_d(double x)
{
    double kf = __builtin_round(x * 1.4426950408889634);
    double r = (x - kf * 0.6931471803691238) - kf * 1.9082149292705877e-10;
    double p = 1.0 / 6227020800.0;
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 1.0 / 2.0;
    p = p * r + 1.0 / 1.0;
    p = p * r + 1.0 / 1.0;
    return p * bits_to_d((uint64_t)((int64_t)kf + 1023) << 52);
}

/* float lgamma, branch free for 0 < x < inf, in double: the Taylor series
 * around 1 or 2 where |x - 1| <= 0.2 or |x - 2| <= 0.25, elsewhere eight
 * masked recurrence steps to y >= 8 and Stirling's series (as lgamma_pos);
 * other x are left for a scalar pass */
void ct_lgamma_f_loop(const float *x, float *o, int64_t count);
CT_MULTIVERSION void ct_lgamma_f_loop(const float *x, float *o, int64_t count)
{
    int rest = 0;
    #pragma omp simd reduction(|:rest)
    for (int64_t i = 0; i < count; i++) {
        float xf = x[i];
        int ok = xf > 0.0f && xf < __builtin_inff();
        double xd = ok ? (double)xf : 1.5;
        int two = xd > 1.5;
        double e = two ? xd - 2.0 : xd - 1.0;
        double t = two ? lg_c2[19] : lg_c1[19];
        /* unrolled: the vectoriser takes no loop nest with inner loops */
        #pragma GCC unroll 20
        for (int k = 18; k >= 0; k--)
            t = t * e + (two ? lg_c2[k] : lg_c1[k]);
        t *= e;
        double y = xd, prod = 1.0;
        #pragma GCC unroll 8
        for (int j = 0; j < 8; j++) {
            int m = y < 8.0;
            prod *= m ? y : 1.0;
            y += m ? 1.0 : 0.0;
        }
        double w = 1.0 / y, w2 = w * w;
        double st = w * (1.0 / 12 - w2 * (1.0 / 360 - w2 * (1.0 / 1260 - w2 / 1680)));
        double big = (y - 0.5) * log_d(y) - y + 0.91893853320467274178 + st - log_d(prod);
        int near = __builtin_fabs(e) <= (two ? 0.25 : 0.2);
        rest |= !ok;
        o[i] = (float)(near ? t : big);
    }
    if (rest)
        for (int64_t i = 0; i < count; i++)
            if (!(x[i] > 0.0f && x[i] < __builtin_inff()))
                o[i] = (float)lgamma_one(x[i]);
}

static void lgamma_fb(const void *x, void *o, int64_t n) { ct_lgamma_f_loop(x, o, n); }

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

/* BESSEL_I(NAME, CUT, KS, KA): bessel_i's forms, the power series to k = KS
 * up to |x| = CUT, the asymptotic one to k = KA above; NAME_small the
 * series alone (for |x| <= CUT; other x give garbage) */
#define BESSEL_I(NAME, CUT, KS, KA)                                            \
CT_FM_INLINE double NAME(double x, int one, int scaled)                        \
{                                                                              \
    double a = __builtin_fabs(x);                                              \
    double as = a > CUT ? CUT : a;                                             \
    double q = 0.25 * as * as;                                                 \
    const double *sc = one ? bi_s1 : bi_s0, *ac = one ? bi_a1 : bi_a0;        \
    double s = sc[KS];                                                         \
    _Pragma("GCC unroll 48")                                                   \
    for (int k = KS - 1; k >= 0; k--)                                          \
        s = s * q + sc[k];                                                     \
    if (one)                                                                   \
        s *= 0.5 * as;                                                         \
    double w = 1.0 / (a > CUT ? a : CUT);                                      \
    double t = ac[KA];                                                         \
    _Pragma("GCC unroll 24")                                                   \
    for (int k = KA - 1; k >= 0; k--)                                          \
        t = t * w + ac[k];                                                     \
    t *= __builtin_sqrt(w * 0.15915494309189533577);                           \
    double r;                                                                  \
    if (scaled) {                                                              \
        r = a <= CUT ? s * exp_d(-as) : t;                                     \
    } else {                                                                   \
        /* e^a as (e^(a/2))^2 keeps it finite up to the range's end */        \
        double h = exp_d(0.5 * (a > 1400.0 ? 1400.0 : a));                     \
        r = a <= CUT ? s : (t * h) * h;                                        \
        /* NaN at +-inf, as PyTorch and scipy */                              \
        r = a == __builtin_inf() ? __builtin_nan("") : r;                      \
    }                                                                          \
    r = x != x ? x : r;                                                        \
    /* odd, but +0 at -0 (as PyTorch and scipy) */                            \
    return one && x != 0.0 ? __builtin_copysign(r, x) : r;                     \
}                                                                              \
CT_FM_INLINE double NAME##_small(double x, int one, int scaled)                \
{                                                                              \
    double a = __builtin_fabs(x), q = 0.25 * a * a;                            \
    const double *sc = one ? bi_s1 : bi_s0;                                    \
    double s = sc[KS];                                                         \
    _Pragma("GCC unroll 48")                                                   \
    for (int k = KS - 1; k >= 0; k--)                                          \
        s = s * q + sc[k];                                                     \
    if (one)                                                                   \
        s *= 0.5 * a;                                                          \
    if (scaled)                                                                \
        s *= exp_d(-a);                                                        \
    return one && x != 0.0 ? __builtin_copysign(s, x) : s;                     \
}
/* float results: to 1e-11 (KS = 28: truncation below 1e-16 at 16) */
BESSEL_I(bessel_i, 16.0, 28, 12)
/* double results: to 1e-16 (the series to 25, truncation below 1e-17 there;
 * the asymptotic one below 3e-17 from 25 on) */
BESSEL_I(bessel_i_d, 25.0, 42, 18)

/* a first vector pass by the power series alone, the common case; a block
 * with any |x| > CUT (or NaN) is done again by the full form */
#define BESSEL_I_LOOP_T(NAME, T, F, CUT, ONE, SCALED)                          \
void NAME(const T *x, T *o, int64_t count);                                    \
CT_MULTIVERSION void NAME(const T *x, T *o, int64_t count)                     \
{                                                                              \
    int rest = 0;                                                              \
    _Pragma("omp simd reduction(|:rest)")                                      \
    for (int64_t i = 0; i < count; i++) {                                      \
        T v = x[i];                                                            \
        int ok = (v < 0 ? -v : v) <= CUT;                                      \
        rest |= !ok;                                                           \
        o[i] = (T)F##_small(ok ? v : 0, ONE, SCALED);                          \
    }                                                                          \
    if (rest) {                                                                \
        _Pragma("omp simd")                                                    \
        for (int64_t i = 0; i < count; i++)                                    \
            o[i] = (T)F(x[i], ONE, SCALED);                                    \
    }                                                                          \
}                                                                              \
static void NAME##_b(const void *x, void *o, int64_t n) { NAME(x, o, n); }
#define BESSEL_I_LOOP(NAME, ONE, SCALED)                                       \
    BESSEL_I_LOOP_T(NAME##_f_loop, float, bessel_i, 16.0f, ONE, SCALED)        \
    BESSEL_I_LOOP_T(NAME##_d_loop, double, bessel_i_d, 25.0, ONE, SCALED)
BESSEL_I_LOOP(ct_i0, 0, 0)
BESSEL_I_LOOP(ct_i0e, 0, 1)
BESSEL_I_LOOP(ct_i1, 1, 0)
BESSEL_I_LOOP(ct_i1e, 1, 1)

static const unary_block_fn unary_fns[CT_SU_COUNT][2] = {
    [CT_SU_ERFC] = {erfc_fb, NULL},
    [CT_SU_NDTR] = {ndtr_f, NULL},
    [CT_SU_TRIGAMMA] = {trigamma_fb, trigamma_db},
    [CT_SU_ENTR] = {entr_fb, entr_db},
    [CT_SU_LGAMMA] = {lgamma_fb, NULL},
    [CT_SU_I0] = {ct_i0_f_loop_b, ct_i0_d_loop_b},
    [CT_SU_I0E] = {ct_i0e_f_loop_b, ct_i0e_d_loop_b},
    [CT_SU_I1] = {ct_i1_f_loop_b, ct_i1_d_loop_b},
    [CT_SU_I1E] = {ct_i1e_f_loop_b, ct_i1e_d_loop_b},
};

int ct_special_erfc(int code, const void *x, void *out, int64_t count)
{
    int64_t i, nb;
    int fn = code >> 1, dt = code & 1;
    unary_block_fn f;
    size_t es = dt ? sizeof(double) : sizeof(float);
    if (code < 0 || fn >= CT_SU_COUNT || (f = unary_fns[fn][dt]) == NULL)
        return -1;
    /* in blocks, so that the threads each run the vector loop */
    nb = (count + 8191) / 8192;
    #pragma omp parallel for schedule(static) if (count > 65536)
    for (i = 0; i < nb; i++) {
        int64_t lo = i * 8192, n = count - lo < 8192 ? count - lo : 8192;
        f((const char *)x + lo * es, (char *)out + lo * es, n);
    }
    return 0;
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
        if (big)
            for (int64_t i = b0; i < e; i++)
                if (bad[i - b0])
                    o[i] = ct_logf(logit_q(x[i], lo, hi));
    }
}

int ct_special_logit(int dtype, const void *x, void *out, int64_t count, double eps)
{
    int64_t i;
    if (dtype != 0)
        return -1;
    float lo = eps < 0 ? -__builtin_inff() : (float)eps;
    float hi = eps < 0 ? __builtin_inff() : (float)(1.0 - eps);
    const float *xf = (const float *)x;
    float *o = (float *)out;
    int64_t nb = (count + 8191) / 8192;
    #pragma omp parallel for schedule(static) if (count > 65536)
    for (i = 0; i < nb; i++) {
        int64_t lo_i = i * 8192, n = count - lo_i < 8192 ? count - lo_i : 8192;
        ct_logit_f_loop(xf + lo_i, o + lo_i, n, lo, hi);
    }
    return 0;
}
