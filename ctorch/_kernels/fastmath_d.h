/* exp, exp2, expm1, log, log2, log10, log1p, tanh, sinh, cosh, atanh, sin,
 * cos, tan, asin, acos and atan of doubles
 * as branch-free arithmetic, so that `omp simd` loops over them run a
 * vector at a time (libm's are calls the compiler cannot vectorise). Every
 * double argument is taken, specials included; errors of exp, exp2, expm1,
 * log, log1p under 1.1 ulp, of the others (formulas over those) within the
 * bounds tests/test_numerics.py holds them to, against long double.
 *
 * exp: x clamped to [-746, 711] (past those ends the result rounds to 0 or
 * overflows to inf by itself; NaN passes through the clamps), x = k ln2 + r
 * with k = round(x / ln2) by the 1.5 * 2^52 trick and r exact to rounding
 * (ln2 in two parts, the first with 21 trailing zero bits, so k times it is
 * exact and x less it is exact by an fma), |r| <= ln2 / 2; e^r = (1 + r) +
 * r^2 Q(r) with 1 + r split exactly into a double and its rounding error,
 * Q Taylor's series to r^13 (truncation below 2^-57 relative),
 * scaled by 2^k in two halves so that a result below 2^-1022 is rounded
 * once, as a denormal, and one above DBL_MAX is inf.
 *
 * expm1: for |x| <= 40, (2^k - 1) + 2^k (e^r - 1) by one fma (2^k - 1
 * exact for |k| <= 53, off by 1 in 2^58 at most above; x below -40 taken
 * as -40, where the result is -1), k = 0 and r = x for |x| < 0.7 (where
 * the two terms would cancel), e^r - 1 to r^19 there; above 40, where
 * expm1 and exp round alike, exp.
 *
 * log: x = m 2^e, m in [sqrt(1/2), sqrt(2)) (denormals scaled by 2^54
 * first), f = m - 1 exact, s = f / (2 + f), log m = 2 atanh(s) =
 * f - s (f - R) = f - f^2 / 2 + s (f^2 / 2 + R), R = 2 s^2 sum_k s^(2k) / (2k + 3) (fastmath.h's
 * ct_datanh_series, to s^20: |s| < 0.172), summed as
 * e ln2_hi - ((f^2 / 2 - s (f^2 / 2 + R) - e ln2_lo) - f) (the large terms
 * exact, the rounded ones small beside them; e ln2_hi exact). 0 -> -inf, x < 0 -> NaN, inf -> inf, NaN -> NaN.
 *
 * log1p: where 1 + x is in [sqrt(1/2), sqrt(2)), log's core on f = x
 * itself (exact); elsewhere u = 1 + x rounded, log(u) + (x - (u - 1)) / u
 * (u's rounding error, exact, as a correction); x = -1 -> -inf, x < -1 ->
 * NaN.
 *
 * Where a vector loop is not formed these are plain scalar code, a little
 * slower than libm's calls. */
#ifndef CT_FASTMATH_D_H
#define CT_FASTMATH_D_H

#include "fastmath.h"

#define CT_LN2_HI 0.6931471803691238      /* 0x3fe62e42fee00000 */
#define CT_LN2_LO 1.9082149292705877e-10

/* the terms r^0..r^5 (in *a) and r^6..r^11 (in *b, to be times r^6) of
 * Q(r) = (e^r - 1 - r) / r^2 = sum r^j / (j + 2)!: two Horner chains, a
 * shorter dependency chain than one */
CT_FM_INLINE void ct_exp_q_parts_d(double r, double *ap, double *bp)
{
    double a = 1.0 / 5040.0;                   /* 1/2! .. 1/7! */
    a = __builtin_fma(a, r, 1.0 / 720.0);
    a = __builtin_fma(a, r, 1.0 / 120.0);
    a = __builtin_fma(a, r, 1.0 / 24.0);
    a = __builtin_fma(a, r, 1.0 / 6.0);
    *ap = __builtin_fma(a, r, 1.0 / 2.0);
    double b = 1.0 / 6227020800.0;             /* 1/8! .. 1/13! */
    b = __builtin_fma(b, r, 1.0 / 479001600.0);
    b = __builtin_fma(b, r, 1.0 / 39916800.0);
    b = __builtin_fma(b, r, 1.0 / 3628800.0);
    b = __builtin_fma(b, r, 1.0 / 362880.0);
    *bp = __builtin_fma(b, r, 1.0 / 40320.0);
}

/* Q(r) for |r| <= ln2 / 2: to r^11 (e^r to r^13, truncation below 2^-57
 * relative) */
CT_FM_INLINE double ct_exp_q_d(double r)
{
    double a, b, r2 = r * r;
    ct_exp_q_parts_d(r, &a, &b);
    return __builtin_fma(b, r2 * r2 * r2, a);
}

/* e^r - 1 for |r| <= 0.7: r + r^2 Q(r), Q to r^16 (e^r to r^18) */
CT_FM_INLINE double ct_expm1_wide_d(double r)
{
    double a, b, r2 = r * r, r6 = r2 * r2 * r2;
    ct_exp_q_parts_d(r, &a, &b);
    double c = 1.0 / 6402373705728000.0;       /* 1/14! .. 1/18! */
    c = __builtin_fma(c, r, 1.0 / 355687428096000.0);
    c = __builtin_fma(c, r, 1.0 / 20922789888000.0);
    c = __builtin_fma(c, r, 1.0 / 1307674368000.0);
    c = __builtin_fma(c, r, 1.0 / 87178291200.0);
    double q = __builtin_fma(__builtin_fma(c, r6, b), r6, a);
    return __builtin_fma(r2, q, r);
}

/* x = k ln2 + r: returns k (an integer-valued double), r in *rp */
CT_FM_INLINE double ct_ln2_reduce_d(double x, double *rp)
{
    double kf = __builtin_fma(x, 1.4426950408889634, 6755399441055744.0) - 6755399441055744.0;
    double r = __builtin_fma(-kf, CT_LN2_HI, x);
    *rp = __builtin_fma(-kf, CT_LN2_LO, r);
    return kf;
}

/* p 2^(k - sh), p near 1, k an integer-valued double in [-1080, 1026]: in
 * two halves, so that a result below 2^-1022 is rounded once, as a
 * denormal, and one past DBL_MAX is inf */
CT_FM_INLINE double ct_scale2_d(double p, double kf, int64_t sh)
{
    /* kb = k + 1.5 * 2^52's pattern, B + k with B even and B + k > 0:
     * kb >> 1 is B/2 + floor(k/2), kb less that B/2 + k2; B/2's low 12
     * bits are 0, so ct_pow2i_d's add and shift finish each */
    uint64_t kb = ct_ilow_d(kf - (double)sh), h1 = kb >> 1, h2 = kb - h1;
    double s1 = ct_bits_to_double((h1 + 1023) << 52);      /* k1 = floor(k/2), */
    double s2 = ct_bits_to_double((h2 + 1023) << 52);      /* k2 = k - k1: both in [-541, 513] */
    return p * s1 * s2;
}

/* e^x in two steps (elementwise.c's CT_TWO_PASS_MAP_D runs them as two
 * passes): x clamped and reduced to k (in *kp) and r (in *rp)... */
CT_FM_INLINE void ct_exp_pre_d(double x, double *kp, double *rp, double *unused)
{
    double xc = 711.0 < x ? 711.0 : x;         /* the forms of minpd / maxpd */
    xc = -746.0 > xc ? -746.0 : xc;
    *kp = ct_ln2_reduce_d(xc, rp);
    *unused = 0.0;
}

/* ... then e^r 2^(k - sh): e^r = (1 + r) + r^2 Q(r), 1 + r as h + l exactly
 * (Fast2Sum): one rounding of a sum whose small part is exact to far below
 * an ulp */
CT_FM_INLINE double ct_exp_post_sh_d(double kf, double r, int64_t sh)
{
    double h = 1.0 + r, l = r - (h - 1.0);
    double p = h + __builtin_fma(r * r, ct_exp_q_d(r), l);
    return ct_scale2_d(p, kf, sh);
}

CT_FM_INLINE double ct_exp_post_d(double x, double kf, double r, double unused)
{
    (void)x;
    (void)unused;
    return ct_exp_post_sh_d(kf, r, 0);
}

/* e^x 2^-sh (sh 0 or 1: e^x / 2 without overflow where e^x alone would) */
CT_FM_INLINE double ct_exp_sh_d(double x, int64_t sh)
{
    double kf, r, unused;
    ct_exp_pre_d(x, &kf, &r, &unused);
    return ct_exp_post_sh_d(kf, r, sh);
}

CT_FM_INLINE double ct_exp_d1(double x) { return ct_exp_sh_d(x, 0); }

/* 2^x: x = k + f (k = round(x), f exact, |f| <= 1/2), f ln2 = r + rl (the
 * product's rounding error by an fma, plus f times ln2's tail), e^(r + rl)
 * as in exp with rl in the small part; 2^k exact for integer x */
CT_FM_INLINE void ct_exp2_d_reduce(double x, double *kp, double *rp, double *rlp)
{
    double xc = 1025.0 < x ? 1025.0 : x;
    xc = -1080.0 > xc ? -1080.0 : xc;
    double kf = (xc + 6755399441055744.0) - 6755399441055744.0;
    double f = xc - kf;
    double r = f * 0.69314718055994531;
    *rlp = __builtin_fma(f, 2.3190468138462996e-17, __builtin_fma(f, 0.69314718055994531, -r));
    *kp = kf;
    *rp = r;
}

CT_FM_INLINE double ct_exp2_d_finish(double x, double kf, double r, double rl)
{
    (void)x;
    double h = 1.0 + r, l = (r - (h - 1.0)) + rl;
    double p = h + __builtin_fma(r * r, ct_exp_q_d(r), l);
    return ct_scale2_d(p, kf, 0);
}

CT_FM_INLINE double ct_exp2_d1(double x)
{
    double kf, r, rl;
    ct_exp2_d_reduce(x, &kf, &r, &rl);
    return ct_exp2_d_finish(x, kf, r, rl);
}

/* expm1 for x <= 40 (and NaN); other x give expm1(40) */
CT_FM_INLINE double ct_expm1_d_small(double x)
{
    double xc = 40.0 < x ? 40.0 : x;
    xc = -40.0 > xc ? -40.0 : xc;
    double r, kf = ct_ln2_reduce_d(xc, &r);
    /* k = 0 below 0.7 in size: 2^k - 1 and 2^k (e^r - 1) of opposite signs
     * (k = 1, r < 0) would cancel there */
    int near = __builtin_fabs(xc) < 0.7;
    kf = near ? 0.0 : kf;
    r = near ? xc : r;
    double p = ct_expm1_wide_d(r);
    double sc = ct_pow2i_d(kf);
    double v = __builtin_fma(sc, p, sc - 1.0);
    return x == 0.0 ? x : v;                   /* -0 stays -0 */
}
#define CT_EXPM1_D_OK(x, unused) (!((x) > 40.0))

CT_FM_INLINE double ct_expm1_d1(double x)
{
    double v = ct_expm1_d_small(x);
    return x > 40.0 ? ct_exp_d1(x) : v;        /* NaN: v is NaN */
}

/* log(2^e (1 + f)) for f in [sqrt(1/2) - 1, sqrt(2) - 1] (exact), plus c,
 * a correction far below an ulp of the result */
CT_FM_INLINE double ct_log_core_s_d(double e, double f, double s, double c)
{
    double z = s * s;
    double R = 2.0 * z * ct_datanh_series(z);
    /* log(1 + f) = f - h + s (h + R), h = f^2 / 2 (2s = f - s f): the large
     * terms f and e ln2_hi exact, the rounded ones small beside them */
    double h = 0.5 * f * f;
    double t = __builtin_fma(s, h + R, __builtin_fma(e, CT_LN2_LO, c));
    return e * CT_LN2_HI - ((h - t) - f);
}

/* the same with s = f / (2 + f) made here */
CT_FM_INLINE double ct_log_core_d(double e, double f, double c)
{
    return ct_log_core_s_d(e, f, f / (2.0 + f), c);
}

/* x = 2^e m, m in [sqrt(1/2), sqrt(2)), for a positive finite x (denormals
 * scaled by 2^54 first): returns m - 1 (exact), e in *ep */
CT_FM_INLINE double ct_log_split_d(double x, double *ep)
{
    int sub = x < 2.2250738585072014e-308;
    double xs = sub ? x * 18014398509481984.0 : x;            /* 2^54 */
    uint64_t v = ct_double_to_bits(xs) - 0x3fe6a09e667f3bcdull;
    *ep = ct_sar52_d(v) - (sub ? 54.0 : 0.0);
    return ct_bits_to_double((v & 0x000fffffffffffffull) + 0x3fe6a09e667f3bcdull) - 1.0;
}

/* log, log2 and log10 in two steps (the loops run them as two passes, see
 * elementwise.c's CT_TWO_PASS_MAP_D): x's exponent e, f = m - 1 and
 * s = f / (2 + f) first, the rest from those */
CT_FM_INLINE void ct_log_pre_d(double x, double *ep, double *fp, double *sp)
{
    double f = ct_log_split_d(x, ep);
    *fp = f;
    *sp = f / (2.0 + f);
}

CT_FM_INLINE double ct_log_post_d(double x, double e, double f, double s)
{
    double y = ct_log_core_s_d(e, f, s, 0.0);
    y = x == (double)__builtin_inf() ? x : y;
    y = x == 0.0 ? -(double)__builtin_inf() : y;
    return x < 0.0 || x != x ? (double)__builtin_nan("") : y;
}

CT_FM_INLINE double ct_log_d1(double x)
{
    double e, f, s;
    ct_log_pre_d(x, &e, &f, &s);
    return ct_log_post_d(x, e, f, s);
}

CT_FM_INLINE double ct_log1p_d1(double x)
{
    /* 1 + x in [sqrt(1/2), sqrt(2)): e = 0 and f = x itself, exact;
     * elsewhere u = 1 + x rounded, its rounding error (x - (u - 1)) / u
     * added as the correction */
    int in = (x > -0.2928932188134524) & (x < 0.41421356237309503);
    double u = 1.0 + x;
    double uc = u > 0.0 && u < (double)__builtin_inf() ? u : 2.0;  /* any finite u > 0 */
    double e, f = ct_log_split_d(uc, &e);
    double c = (x - (u - 1.0)) / u;
    double y = ct_log_core_d(in ? 0.0 : e, in ? x : f, in ? 0.0 : c);
    y = x == (double)__builtin_inf() || x == 0.0 ? x : y;     /* -0 stays -0 */
    y = u == 0.0 ? -(double)__builtin_inf() : y;
    return u < 0.0 || x != x ? (double)__builtin_nan("") : y;
}

/* c[0] z^(n-1) + ... + c[n-1] by one Horner scheme (n a constant where it
 * is inlined; special.c's horner8_d splits long ones into chains joined by
 * z^8, which magnify rounding errors where |z| is above 1) */
CT_FM_INLINE double ct_horner_d(const double *c, int n, double z)
{
    double p = c[0];
    _Pragma("GCC unroll 32")
    for (int k = 1; k < n; k++)
        p = __builtin_fma(p, z, c[k]);
    return p;
}

/* tanh: below |x| = 0.55, x + x t P(t), t = x^2, P of degree 10
 * interpolated at Chebyshev nodes of t in 50-digit arithmetic (relative
 * error of the sum under 5e-18 with double coefficients); above,
 * 1 - 2 / (e^(2|x|) + 1) (tanh >= 0.5 there: no cancellation; exp, not
 * expm1, whose vector form computes both its branches), 1 from 22 on
 * (tanh rounds to 1 past 19.1); the sign put back */
static const double ct_tanh_p_d[11] = {
    -2.0598135435770385e-05, 8.510647287642557e-05, -0.00023463067524526733,
    0.00058893468259176, -0.0014556615522767396, 0.003592110343931255,
    -0.008863234395177999, 0.021869488493552625, -0.05396825396743151,
    0.13333333333332711, -0.3333333333333333,
};

CT_FM_INLINE double ct_tanh_d1(double x)
{
    double a = __builtin_fabs(x), t = a * a;
    double small = __builtin_fma(a * t, ct_horner_d(ct_tanh_p_d, 11, t), a);
    double ac = a < 22.0 ? a : 22.0;
    double big = 1.0 - 2.0 / (ct_exp_d1(2.0 * ac) + 1.0);
    double v = __builtin_copysign(a < 0.55 ? small : big, x);
    return x != x ? x : v;
}

/* cosh(x) = h + 1/(4h), h = e^|x| / 2 (no overflow before cosh's own) */
CT_FM_INLINE double ct_cosh_d1(double x)
{
    double h = ct_exp_sh_d(__builtin_fabs(x), 1);
    return h + 0.25 / h;
}

/* sinh(x): below 1 in size its Taylor series to x^21 (truncation below
 * 2^-65 relative); above, h - 1/(4h), h = e^|x| / 2 (h over 1.35, so the
 * difference loses at most a few tenths of a bit); the sign put back */
CT_FM_INLINE double ct_sinh_d1(double x)
{
    double a = __builtin_fabs(x), z = a * a;
    double q = 1.0 / 51090942171709440000.0;   /* 1/21! .. 1/3! in z */
    q = __builtin_fma(q, z, 1.0 / 121645100408832000.0);
    q = __builtin_fma(q, z, 1.0 / 355687428096000.0);
    q = __builtin_fma(q, z, 1.0 / 1307674368000.0);
    q = __builtin_fma(q, z, 1.0 / 6227020800.0);
    q = __builtin_fma(q, z, 1.0 / 39916800.0);
    q = __builtin_fma(q, z, 1.0 / 362880.0);
    q = __builtin_fma(q, z, 1.0 / 5040.0);
    q = __builtin_fma(q, z, 1.0 / 120.0);
    q = __builtin_fma(q, z, 1.0 / 6.0);
    double sm = __builtin_fma(a * z, q, a);
    double h = ct_exp_sh_d(a, 1);
    double v = a < 1.0 ? sm : h - 0.25 / h;
    v = __builtin_copysign(v, x);
    return x != x ? x : v;
}

/* log2(x) = e + log(m) log2(e) (log(m) by log's core with e = 0, log2(e) as
 * a double pair): exact for powers of two */
CT_FM_INLINE double ct_log2_post_d(double x, double e, double f, double s)
{
    double l = ct_log_core_s_d(0.0, f, s, 0.0);
    double y = e + __builtin_fma(l, 1.4426950408889634, l * 2.0355273740931033e-17);
    y = x == (double)__builtin_inf() ? x : y;
    y = x == 0.0 ? -(double)__builtin_inf() : y;
    return x < 0.0 || x != x ? (double)__builtin_nan("") : y;
}

/* log10(x) = e log10(2) + log(m) log10(e): log10(2) = L1 + L2 with L1 of
 * 42 bits (e L1 exact), log10(e) as a double pair, the small terms and the
 * product's rounding error added to log(m) log10(e) before the one sum
 * with e L1 (exact powers of ten come out exact) */
CT_FM_INLINE double ct_log10_post_d(double x, double e, double f, double s)
{
    double l = ct_log_core_s_d(0.0, f, s, 0.0);
    double s2 = l * 0.4342944819032518;
    double c = __builtin_fma(l, 0.4342944819032518, -s2);
    c = __builtin_fma(l, 1.098319650216765e-17, __builtin_fma(e, 2.8363394551044964e-14, c));
    double y = __builtin_fma(e, 0.30102999566395283, s2 + c);
    y = x == (double)__builtin_inf() ? x : y;
    y = x == 0.0 ? -(double)__builtin_inf() : y;
    return x < 0.0 || x != x ? (double)__builtin_nan("") : y;
}

CT_FM_INLINE double ct_log2_d1(double x)
{
    double e, f, s;
    ct_log_pre_d(x, &e, &f, &s);
    return ct_log2_post_d(x, e, f, s);
}

CT_FM_INLINE double ct_log10_d1(double x)
{
    double e, f, s;
    ct_log_pre_d(x, &e, &f, &s);
    return ct_log10_post_d(x, e, f, s);
}

/* atanh(x) = log1p(2|x| / (1 - |x|)) / 2, the sign put back: 1 -> inf,
 * beyond 1 NaN (log1p's own specials) */
CT_FM_INLINE double ct_atanh_d1(double x)
{
    double a = __builtin_fabs(x);
    double v = 0.5 * ct_log1p_d1(2.0 * a / (1.0 - a));
    v = a > 1.0 ? (double)__builtin_nan("") : v;
    v = __builtin_copysign(v, x);
    return x != x ? x : v;
}

/* asinh(x) = log1p(|x| + x^2 / (1 + sqrt(1 + x^2))) with the sign put back
 * (every term positive: no cancellation; -0 stays -0); from 2^28 on, where
 * 1 + x^2 rounds to x^2 (and x^2 would overflow from 1e154 on),
 * log1p(|x| - 1) + log 2 = log(2|x|). One log1p either way (ct_log_d1's
 * table keeps a loop from vectorising). Infinities and NaN pass through. */
CT_FM_INLINE double ct_asinh_d1(double x)
{
    double a = __builtin_fabs(x);
    int big = a > 268435456.0;
    double ac = big ? 1.0 : a;
    double t = big ? a - 1.0 : ac + ac * ac / (1.0 + __builtin_sqrt(1.0 + ac * ac));
    double v = ct_log1p_d1(t) + (big ? 0.69314718055994530942 : 0.0);
    v = __builtin_copysign(v, x);
    return x != x ? x : v;
}

/* acosh(x) = log1p(y + sqrt(y (x + 1))) with y = x - 1 (exact near 1, where
 * the result is small); from 2^28 on log1p(x - 1) + log 2 = log(2x); NaN
 * below 1 */
CT_FM_INLINE double ct_acosh_d1(double x)
{
    int big = x > 268435456.0;
    double xc = big ? 2.0 : x;
    double y = xc - 1.0;
    double t = big ? x - 1.0 : y + __builtin_sqrt(y * (xc + 1.0));
    double v = ct_log1p_d1(t) + (big ? 0.69314718055994530942 : 0.0);
    return x >= 1.0 ? v : (double)__builtin_nan("");
}

/* float and half: the double forms rounded once */
CT_FM_INLINE float ct_asinh_fd(float x) { return (float)ct_asinh_d1((double)x); }
CT_FM_INLINE float ct_acosh_fd(float x) { return (float)ct_acosh_d1((double)x); }

/* asin, acos and atan. asin(s) = s + s z P(z), z = s^2, for |s| <= 1/2,
 * and atan(t) = t + t z Q(z) for |t| <= tan(pi/8), P of degree 12 and Q
 * of degree 10 interpolated at Chebyshev nodes of z in 50-digit
 * arithmetic (relative error of the sums in double under 1.1e-16). */
static const double ct_asin_p_d[13] = {
    0.028757851367421566, -0.014851887071247204, 0.017400879442694021,
    0.0054575067186403581, 0.010322814350185779, 0.011479177415184906,
    0.013971212973552933, 0.017352392720869973, 0.022372172942149889,
    0.030381944138531247, 0.044642857146355429, 0.074999999999984329,
    0.16666666666666669,
};
static const double ct_atan_q_d[11] = {
    -0.019105372975400336, 0.039173122608293254, -0.050834186453829248,
    0.058577598393914548, -0.066644665508065998, 0.076921799957678408,
    -0.090909044402574454, 0.11111111011855054, -0.14285714284624151,
    0.19999999999995316, -0.33333333333333331,
};

/* 1/d to about 2% for positive normal d, without a division (the kernels
 * that use it for a correction term keep the divider for a square root or
 * their own quotient): the bit trick and one Newton step */
CT_FM_INLINE double ct_recip_rough_d(double d)
{
    double y = ct_bits_to_double(0x7FDE623822FC16E6ull - ct_double_to_bits(d));
    return y * __builtin_fma(-d, y, 2.0);
}

/* hypot in double: the larger of |x|, |y| brought near 1 by a power of two
 * (2^-600 above 2^500, 2^600 below 2^-500: neither square can overflow or
 * lose the sum), h = sqrt(hi^2 + lo^2) and one correction step with the
 * squares' rounding errors (fma), (h^2 - (hi^2 + lo^2)) / 2h by a rough
 * reciprocal of h; an infinity gives inf even beside a NaN (C's rule) */
CT_FM_INLINE double ct_hypot_d1(double x, double y)
{
    double a = __builtin_fabs(x), b = __builtin_fabs(y);
    double hi = a > b ? a : b, lo = a > b ? b : a;
    double sc = hi > 0x1p500 ? 0x1p-600 : (hi < 0x1p-500 ? 0x1p600 : 1.0);
    double us = hi > 0x1p500 ? 0x1p600 : (hi < 0x1p-500 ? 0x1p-600 : 1.0);
    double h1 = hi * sc, l1 = lo * sc;
    double hh = h1 * h1, hl = __builtin_fma(h1, h1, -hh);
    double ll = l1 * l1, lt = __builtin_fma(l1, l1, -ll);
    double t = hh + ll, te = ((hh - t) + ll) + (hl + lt);    /* Fast2Sum: hh >= ll */
    double h = __builtin_sqrt(t);
    double hq = h * h, hqe = __builtin_fma(h, h, -hq);
    double d = ((t - hq) - hqe) + te;
    double r = (h + d * (0.5 * ct_recip_rough_d(h))) * us;
    r = hi == 0.0 ? 0.0 : r;
    r = (x != x || y != y) ? x + y : r;
    return (a == (double)__builtin_inf() || b == (double)__builtin_inf()) ? (double)__builtin_inf() : r;
}

/* for a = |x| <= 1: s + sl, the argument of asin's polynomial (a itself up
 * to 1/2, else sqrt((1 - a) / 2) with its rounding error sl: (1 - a) / 2 is
 * exact), and its tail s z P(z) in *tail; *big: a > 1/2 */
CT_FM_INLINE double ct_asin_parts_d(double a, double *sl, double *tail, int *big)
{
    int b = a > 0.5;
    double zb = (1.0 - a) * 0.5, sb = __builtin_sqrt(zb);
    double s = b ? sb : a, z = b ? zb : a * a;
    /* sl = (z - s^2) / 2s, the quotient by a rough reciprocal (sl is below
     * an ulp of s); 0 at s = 0 (a = 1) */
    *sl = b && sb > 0.0 ? __builtin_fma(-sb, sb, zb) * (0.5 * ct_recip_rough_d(sb)) : 0.0;
    *tail = s * z * ct_horner_d(ct_asin_p_d, 13, z);
    *big = b;
    return s;
}

/* asin(a) = s + (sl + tail) up to 1/2; past it pi/2 - 2 (s + sl + tail),
 * pi/2 as a double pair; NaN outside [-1, 1] (the square root's) */
CT_FM_INLINE double ct_asin_d1(double x)
{
    double a = __builtin_fabs(x), sl, tail;
    int big;
    double s = ct_asin_parts_d(a, &sl, &tail, &big);
    /* pi/2 - 2 s = d + e exactly (Fast2Sum: 2 s <= 1) */
    double d = 1.5707963267948966 - 2.0 * s, e = (1.5707963267948966 - d) - 2.0 * s;
    double v = big ? d + ((e + 6.123233995736766e-17) - 2.0 * (sl + tail)) : s + (sl + tail);
    v = a > 1.0 ? (double)__builtin_nan("") : v;
    v = __builtin_copysign(v, x);
    return x != x ? x : v;
}

/* acos(x): pi/2 - asin(x) up to |x| = 1/2; past it 2 asin(s) for x > 0 and
 * pi - 2 asin(s) for x < 0 (s as in asin), pi/2 and pi as double pairs */
CT_FM_INLINE double ct_acos_d1(double x)
{
    double a = __builtin_fabs(x), sl, tail;
    int big;
    double s = ct_asin_parts_d(a, &sl, &tail, &big);
    double r = sl + tail;
    /* pi/2 - x and pi - 2 s as exact pairs (Fast2Sum) */
    double xs = __builtin_copysign(s, x), xr = __builtin_copysign(r, x);
    double d1 = 1.5707963267948966 - xs, e1 = (1.5707963267948966 - d1) - xs;
    double small = d1 + ((e1 + 6.123233995736766e-17) - xr);
    double pos = 2.0 * s + 2.0 * r;
    double d2 = 3.141592653589793 - 2.0 * s, e2 = (3.141592653589793 - d2) - 2.0 * s;
    double neg = d2 + ((e2 + 1.2246467991473532e-16) - 2.0 * r);
    double v = big ? (x > 0.0 ? pos : neg) : small;
    v = a > 1.0 ? (double)__builtin_nan("") : v;
    return x != x ? x : v;
}

/* atan: a = |x| brought to |t| <= tan(pi/8) with one division: t = a up to
 * tan(pi/8), (a - 1) / (a + 1) up to tan(3 pi/8) (atan(a) = pi/4 + atan t),
 * -1 / a above (pi/2 + atan t); the offsets as double pairs */
CT_FM_INLINE double ct_atan_d1(double x)
{
    double a = __builtin_fabs(x);
    int c1 = a > 0.41421356237309503, c2 = a > 2.4142135623730949;
    double num = c2 ? -1.0 : (c1 ? a - 1.0 : a);
    double den = c2 ? a : (c1 ? a + 1.0 : 1.0);
    double t = num / den, z = t * t;
    /* the quotient's error tl (to first order; a rough reciprocal of den is
     * enough for it): the division's residual, and a - 1 and a + 1's
     * rounding errors where a < 1 (Fast2Sum; a - 1 is exact from 1/2 up) */
    double ne = c1 && !c2 && a < 1.0 ? a - (num + 1.0) : 0.0;
    double de = !(c1 && !c2) ? 0.0 : (a < 1.0 ? a - (den - 1.0) : 1.0 - (den - a));
    double rd = ct_recip_rough_d(den < 1e300 ? den : 1e300);       /* den >= 1 */
    double tl = (__builtin_fma(-t, den, num) + ne - t * de) * rd;
    tl = a < (double)__builtin_inf() ? tl : 0.0;            /* t = -0 at inf */
    double oh = c2 ? 1.5707963267948966 : (c1 ? 0.7853981633974483 : 0.0);
    double ol = c2 ? 6.123233995736766e-17 : (c1 ? 3.061616997868383e-17 : 0.0);
    /* oh + t = d + e exactly (Fast2Sum: |t| <= oh where oh > 0) */
    double d = oh + t, e = t - (d - oh);
    double rest = __builtin_fma(tl, 1.0 - z, t * z * ct_horner_d(ct_atan_q_d, 11, z));
    double v = d + ((e + ol) + rest);
    v = __builtin_copysign(v, x);
    return x != x ? x : v;
}

/* atan2 in double: num = min(|y|, |x|), den = max (both scaled by a power
 * of two away from the ends of the range); t = num / den up to tan(pi/8)
 * of den, else (num - den) / (num + den) (atan(num / den) = pi/4 + atan t),
 * the sum and difference each with its rounding error (Fast2Sum, den >=
 * num) and the quotient's residual in tl, as in atan; the octant put back
 * as k pi/4 + g (t + tl + t z Q) with k in 0..4 (pi/4's double has 50
 * bits: k times it is exact) and g = +-1, k pi/4 + g t by Fast2Sum; zeros,
 * infinities and NaN as C's atan2 */
CT_FM_INLINE double ct_atan2_d1(double y, double x)
{
    double ay = __builtin_fabs(y), ax = __builtin_fabs(x);
    int swap = ay > ax, neg = __builtin_copysign(1.0, x) < 0.0;
    double num = swap ? ax : ay, den = swap ? ay : ax;
    double sc = den < 0x1p-900 ? 0x1p1000 : (den > 0x1p900 ? 0x1p-100 : 1.0);
    num *= sc;
    den *= sc;
    int inf2 = num == (double)__builtin_inf();
    int degen = den == 0.0 || den == (double)__builtin_inf();
    int fold = num > 0.41421356237309503 * den || inf2;
    double nn = fold ? num - den : num, s = fold ? num + den : den;
    double nl = fold ? num - (nn + den) : 0.0, sl = fold ? num - (s - den) : 0.0;
    double sd = degen ? 1.0 : s, nd = degen ? 0.0 : nn;
    double t = nd / sd, z = t * t;
    double tl = (__builtin_fma(-t, sd, nd) + (nl - t * sl)) * ct_recip_rough_d(sd);
    tl = degen ? 0.0 : tl;
    double g = swap == neg ? 1.0 : -1.0;
    double k = (swap ? 2.0 : (neg ? 4.0 : 0.0)) + (fold ? g : 0.0);
    double ch = k * 0.7853981633974483, cl = k * 3.061616997868383e-17;
    double h = __builtin_fma(g, t, ch), e = __builtin_fma(g, t, ch - h);
    double rest = __builtin_fma(tl, 1.0 - z, t * z * ct_horner_d(ct_atan_q_d, 11, z));
    double v = h + ((e + cl) + g * rest);
    v = __builtin_copysign(v, y);
    return (x != x || y != y) ? x + y : v;
}

/* sin, cos and tan for |x| < CT_TRIG_D_FAST: x = k pi/2 + r + rl, k =
 * round(x 2/pi), pi/2 as a sum of three doubles: x - k c1 exact, the rest
 * k (c2 + c3) below 2^-34 taken off with its rounding error kept in rl
 * (r + rl within about 2^-60 |r| of the true remainder but where x is
 * within a few ulps of a multiple of pi/2), |r| <= pi/4; sin = r + (r^3
 * S(r^2) + rl) and cos = (1 - r^2/2) + (r^4 C(r^2) - r rl), S of degree
 * 6 and C of degree 5, interpolated at Chebyshev nodes of r^2 in 50-digit
 * arithmetic (relative errors 2^-57 and 2^-59.5 with double
 * coefficients), r^2 / 2 and
 * 1 less it split exactly into doubles and their rounding errors; k mod 4
 * picks which of them and its sign. tan = sin r / cos r, or
 * -cos r / sin r for odd k. Larger |x|, inf and NaN are libm's (the loops'
 * second pass). */
#define CT_TRIG_D_FAST 823549.6     /* 2^19 pi/2 */
CT_FM_INLINE double ct_trig_reduce_d(double x, double *rp, double *rlp)
{
    double kf = __builtin_fma(x, 0.6366197723675814, 6755399441055744.0) - 6755399441055744.0;
    /* x - k c1 exact (k c1 and x on the same grid, the difference small);
     * w = k (c2 + c3) below 2^-34; r = r1 - w with its rounding error */
    double r1 = __builtin_fma(-kf, 1.5707963267948966, x);
    double w = __builtin_fma(kf, 6.123233995736766e-17, kf * -1.4973849048591698e-33);
    double r = r1 - w;
    *rp = r;
    *rlp = (r1 - r) - w;
    return kf;
}
/* sin(r + rl) = r + (r^3 S(r^2) + rl) (rl's factor cos r taken as 1: its
 * error below 2^-57 relative) */
static const double ct_sin_s_d[7] = {
    -7.5866969972366338e-13, 1.6058531616942478e-10, -2.5052106232434684e-08,
    2.7557319219339129e-06, -0.00019841269841265065, 0.0083333333333333315,
    -0.16666666666666666,
};
static const double ct_cos_c_d[6] = {
    -1.1382632249960623e-11, 2.0876146265966424e-09, -2.7557317271718099e-07,
    2.4801587298765665e-05, -0.0013888888888887398, 0.041666666666666664,
};
CT_FM_INLINE double ct_sin_red_d(double r, double rl)
{
    double z = r * r;
    return r + __builtin_fma(r * z, ct_horner_d(ct_sin_s_d, 7, z), rl);
}
/* cos(r + rl) = (1 - r^2/2) + (r^4 C(r^2) - r rl), r^2 / 2 and 1 less it
 * each split exactly into a double and its rounding error */
CT_FM_INLINE double ct_cos_red_d(double r, double rl)
{
    double z = r * r, zl = __builtin_fma(r, r, -z);
    double q = ct_horner_d(ct_cos_c_d, 6, z);
    double hz = 0.5 * z, w = 1.0 - hz, lo = ((1.0 - w) - hz) - __builtin_fma(0.5, zl, r * rl);
    return w + __builtin_fma(z * z, q, lo);
}
/* which: 0 sin, 1 cos */
CT_FM_INLINE double ct_sincos_d_fast(double x, int which)
{
    double r, rl, kf = ct_trig_reduce_d(x, &r, &rl);
    uint64_t q = (ct_ilow_d(kf) + (uint64_t)which) & 3;
    double s = ct_sin_red_d(r, rl), c = ct_cos_red_d(r, rl);
    double v = (q & 1) ? c : s;
    v = (q & 2) ? -v : v;
    /* sin(-0) is -0: zeros as they are */
    return (!which && x == 0.0) ? x : v;
}
CT_FM_INLINE double ct_tan_d_fast(double x)
{
    double r, rl, kf = ct_trig_reduce_d(x, &r, &rl);
    double s = ct_sin_red_d(r, rl), c = ct_cos_red_d(r, rl);
    /* one division: the vector form computes both sides of a select */
    uint64_t odd = ct_ilow_d(kf) & 1;
    double v = (odd ? -c : s) / (odd ? s : c);
    return x == 0.0 ? x : v;
}

#endif
