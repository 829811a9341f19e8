/* Orthogonal polynomials by recurrence, digamma and erfinv (see special.h). */

#include <math.h>
#include "special.h"

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

int ct_special_erfinv(int dtype, const void *x, void *out, int64_t count)
{
    int64_t i;
    if (dtype == 0) {
        const float *xf = (const float *)x;
        float *o = (float *)out;
        #pragma omp parallel for schedule(static) if (count > 16384)
        for (i = 0; i < count; i++)
            o[i] = (float)erfinv_one(xf[i], 0);
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
