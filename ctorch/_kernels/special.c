/* Orthogonal polynomials by recurrence, digamma and erfinv (see special.h). */

#include <math.h>
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

int ct_special_poly(int kind, int shift, int dtype, const void *x, int64_t sx,
                    const void *n, int64_t sn, void *out, int64_t count)
{
    int64_t i;
    if (kind < 0 || kind >= CT_POLY_COUNT)
        return -1;
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

int ct_special_digamma(int dtype, const void *x, void *out, int64_t count)
{
    int64_t i;
    if (dtype == 0) {
        const float *xf = (const float *)x;
        float *o = (float *)out;
        #pragma omp parallel for schedule(static) if (count > 16384)
        for (i = 0; i < count; i++)
            o[i] = (float)digamma_one(xf[i]);
    } else if (dtype == 1) {
        const double *xd = (const double *)x;
        double *o = (double *)out;
        #pragma omp parallel for schedule(static) if (count > 16384)
        for (i = 0; i < count; i++)
            o[i] = digamma_one(xd[i]);
    } else {
        return -1;
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

/* erfc of a float, branch free so that the loop vectorises. From |x| = 0.9:
 * exp(-x^2) P(1/x), P of degree 14 fitted to erfcx = erfc(x) exp(x^2) on
 * [0.9, 10.1] (relative error 2e-9) and evaluated in double, x^2 carried as
 * a float pair (exp(-z - zl) = exp(-z)(1 - zl)) through fastmath.h's exp;
 * 0 past 10.06 where erfc underflows, 2 - that for x <= -0.9 (no
 * cancellation: erfc(0.9) < 0.21). Below 0.9: 1 - erf(x), erf's series
 * x (c0 + x^2 Q(x^2)) of fastmath.h's ct_erff in double. */
CT_FM_INLINE float erfc_f(float x)
{
    float a = __builtin_fabsf(x), z = a * a;
    double ad = a, zd = ad * ad;
    double q = 8.567549323458681e-05;
    q = q * zd - 0.0008189580991790424;
    q = q * zd + 0.0052052225942744714;
    q = q * zd - 0.02686114198892277;
    q = q * zd + 0.11283729121202048;
    q = q * zd - 0.3761263628845713;
    double erf_s = ad * (1.1283791670955126 + zd * q);
    double small = x < 0.0f ? 1.0 + erf_s : 1.0 - erf_s;
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
    float zl = __builtin_fmaf(a, a, -z);
    double e = (double)ct_expf(-z) * (1.0 - (double)zl);
    double large = e * p;
    large = a > 10.06f ? 0.0 : large;
    large = x < 0.0f ? 2.0 - large : large;
    float r = (float)(a < 0.9f ? small : large);
    return x != x ? x : r;
}

void ct_erfc_f_loop(const float *x, float *o, int64_t count);
CT_MULTIVERSION void ct_erfc_f_loop(const float *x, float *o, int64_t count)
{
    #pragma omp simd
    for (int64_t i = 0; i < count; i++)
        o[i] = erfc_f(x[i]);
}

int ct_special_erfc(int dtype, const void *x, void *out, int64_t count)
{
    int64_t i;
    if (dtype != 0)
        return -1;
    const float *xf = (const float *)x;
    float *o = (float *)out;
    int64_t nb = (count + 8191) / 8192;
    #pragma omp parallel for schedule(static) if (count > 65536)
    for (i = 0; i < nb; i++) {
        int64_t lo = i * 8192, n = count - lo < 8192 ? count - lo : 8192;
        ct_erfc_f_loop(xf + lo, o + lo, n);
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
