/* Bessel functions J0, J1, Y0, Y1, the Airy function Ai, ndtri and the
 * modified Bessel functions K0, K1 of float32 arguments (J0, J1, Y0, Y1,
 * K0, K1 of float64 too, the J and Y functions by forms of their own,
 * described at their tables), the regularized incomplete gamma functions of float32 and float64,
 * the multivariate log-gamma function (special_bessel.h), computed in double
 * by branch-free forms so that the loops vectorise; and xlogy.
 *
 * Every Bessel / Airy function is split into a region of small arguments (a
 * power series, one vector pass over all elements with the argument clamped
 * into the region) and regions of large arguments (asymptotic or fitted
 * forms: a further vector pass over a block only where the block has such
 * elements, its results selected into place); arguments past the range of
 * the vector argument reduction, NaN and inf go through a scalar pass.
 * Coefficients are the Taylor coefficients of the series, the terms of the
 * Hankel expansions, and Chebyshev interpolants of the smooth auxiliary
 * functions named at each table (fitted at high precision, in double to
 * 5e-12 or better). Float results are within about 1e-10 (relative) of the
 * true values before their rounding to float, apart from the absolute error
 * (about 1e-12 times the function's scale) near the functions' zeros. */

#include <math.h>
#include <string.h>
#include "special_bessel.h"
#include "special.h"
#include "common.h"
#include "fastmath.h"
#include "fastmath_d.h"

/* ---- double helpers (branch free) ----------------------------------- */

/* v rounded to the nearest integer, for |v| < 2^51 (an add and a subtract
 * where baseline x86-64 would call libm's round) */
#define SB_RINT(v) (((v) + 6755399441055744.0) - 6755399441055744.0)

/* log of a positive finite double: x = m 2^e with m in [sqrt(1/2), sqrt(2)),
 * log m = 2 atanh(s), s = (m - 1) / (m + 1), the series to s^21 (|s| <=
 * 0.1716: truncation below 1e-17) */
CT_FM_INLINE double sb_log(double x)
{
    uint64_t u, t;
    memcpy(&u, &x, 8);
    t = u - 0x3fe6a09e667f3bcdULL;              /* bits of sqrt(1/2) */
    uint64_t mu = u - (t & 0xfff0000000000000ULL);     /* e taken off */
    double m;
    memcpy(&m, &mu, 8);
    double f = m - 1.0, s = f / (m + 1.0), z = s * s;
    double p = 2.0 / 21;
    p = p * z + 2.0 / 19;
    p = p * z + 2.0 / 17;
    p = p * z + 2.0 / 15;
    p = p * z + 2.0 / 13;
    p = p * z + 2.0 / 11;
    p = p * z + 2.0 / 9;
    p = p * z + 2.0 / 7;
    p = p * z + 2.0 / 5;
    p = p * z + 2.0 / 3;
    double ed = ct_sar52_d(t);                  /* e */
    return ed * 0.6931471805592082 + (2.0 * s + (s * z * p + ed * 7.371002565167799e-13));
}

/* e^r for |r| <= ln2/2 (a little past it too) by its Taylor series to r^14
 * (truncation below 1e-17) */
CT_FM_INLINE double sb_exp_taylor(double r)
{
    double p = 1.1470745597729725e-11;
    p = p * r + 1.6059043836821613e-10;
    p = p * r + 2.08767569878681e-09;
    p = p * r + 2.505210838544172e-08;
    p = p * r + 2.755731922398589e-07;
    p = p * r + 2.7557319223985893e-06;
    p = p * r + 2.48015873015873e-05;
    p = p * r + 0.0001984126984126984;
    p = p * r + 0.001388888888888889;
    p = p * r + 0.008333333333333333;
    p = p * r + 0.041666666666666664;
    p = p * r + 0.16666666666666666;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    return p;
}

/* e^x for x in [-708, 709] (clamped there): x = k ln2 + r, |r| <= ln2/2,
 * e^r by sb_exp_taylor */
CT_FM_INLINE double sb_exp(double x)
{
    x = x < -708.0 ? -708.0 : x;
    x = x > 709.0 ? 709.0 : x;
    double k = SB_RINT(x * 1.4426950408889634);
    double r = (x - k * 0.6931471805592082) - k * 7.371002565167799e-13;
    double p = sb_exp_taylor(r);
    return p * ct_pow2i_d(k);
}

/* sin and cos of |r| <= 0.9 by their Taylor series (to r^17 / r^18) */
CT_FM_INLINE void sb_sincos(double r, double *sp, double *cp)
{
    double z = r * r;
    double s = 2.8114572543455206e-15;
    s = s * z - 7.647163731819816e-13;
    s = s * z + 1.6059043836821613e-10;
    s = s * z - 2.505210838544172e-08;
    s = s * z + 2.755731922398589e-06;
    s = s * z - 0.0001984126984126984;
    s = s * z + 0.008333333333333333;
    s = s * z - 0.16666666666666666;
    *sp = r + r * z * s;
    double c = -1.5619206968586225e-16;
    c = c * z + 4.779477332387385e-14;
    c = c * z - 1.1470745597729725e-11;
    c = c * z + 2.08767569878681e-09;
    c = c * z - 2.755731922398589e-07;
    c = c * z + 2.48015873015873e-05;
    c = c * z - 0.001388888888888889;
    c = c * z + 0.041666666666666664;
    *cp = 1.0 - 0.5 * z + z * z * c;
}

/* x = k pi/2 + r, |r| <= pi/4, for 0 <= x < SB_REDUCE_MAX: pi/2 in three
 * parts, the first two of 26 bits (k times them exact) */
#define SB_REDUCE_MAX 134217728.0       /* 2^27 */
CT_FM_INLINE double sb_reduce(double x, double *r)
{
    double k = SB_RINT(x * 0.6366197723675814);
    *r = ((x - k * 1.5707963109016418) - k * 1.5893254712295857e-08) - k * 6.123233995736766e-17;
    return k;
}

/* sin and cos of x - q pi/2 (x = k pi/2 + r reduced) */
CT_FM_INLINE void sb_sincos_q(double k, double r, int q, double *sp, double *cp)
{
    double s, c;
    sb_sincos(r, &s, &c);
    int32_t m = ((int32_t)k - q) & 3;
    double s1 = (m & 1) ? c : s, c1 = (m & 1) ? -s : c;
    *sp = (m & 2) ? -s1 : s1;
    *cp = (m & 2) ? -c1 : c1;
}

/* ---- J0, J1, Y0, Y1 ---------------------------------------------------
 * |x| <= SB_JY_CUT: the power series in z = x^2, to z^27 (truncation below
 * 1e-14 at the cut): J0 = sum bj0_s z^k, J1 = x sum bj1_s z^k, Y0 = (2/pi)
 * (log(x/2) + gamma) J0 + sum by0_s z^k, Y1 = (2/pi) log(x/2) J1 - 2/(pi x)
 * + x sum by1_s z^k (their Taylor coefficients: (-1)^k / (4^k k!^2) and the
 * harmonic-number / digamma forms). Above: Hankel's expansion, J = (P cos c
 * - Q sin c) sqrt(2/(pi x)), Y = (P sin c + Q cos c) sqrt(2/(pi x)), c = x -
 * (2 nu + 1) pi/4, P = sum bp_a w^k, Q = sum bq_a w^k / x, w = 1/x^2, ten
 * terms each (at the cut the expansion is within 7e-12 of the function,
 * relative to its amplitude, less further out). */
#define SB_JY_CUT 12.0
static const double bj0_s[28] = {
    1.0, -0.25, 0.015625,
    -0.00043402777777777775, 6.781684027777777e-06, -6.781684027777778e-08,
    4.709502797067901e-10, -2.4028075495244395e-12, 9.385966990329842e-15,
    -2.896903392077112e-17, 7.242258480192779e-20, -1.4963343967340453e-22,
    2.5978027721077174e-25, -3.842903509035085e-28, 4.9016626390753635e-31,
    -5.4462918211948485e-34, 5.318644356635594e-37, -4.60090342269515e-40,
    3.5500798014623073e-43, -2.458504017633177e-46, 1.5365650110207356e-49,
    -8.71068600351891e-53, 4.499321282809354e-56, -2.1263333094562166e-59,
    9.228877211181495e-63, -3.691550884472598e-66, 1.3652185223641266e-69,
    -4.681819349671216e-73,
};
static const double bj1_s[28] = {
    0.5, -0.0625, 0.0026041666666666665,
    -5.425347222222222e-05, 6.781684027777778e-07, -5.651403356481481e-09,
    3.363930569334215e-11, -1.5017547184527747e-13, 5.214426105738801e-16,
    -1.4484516960385557e-18, 3.2919356728148996e-21, -6.234726653058522e-24,
    9.991549123491221e-27, -1.3724655389411017e-29, 1.6338875463584545e-32,
    -1.7019661941233902e-35, 1.564307163716351e-38, -1.2780287285264307e-41,
    9.342315267006072e-45, -6.146260044082942e-48, 3.658488121477942e-51,
    -1.9797013644361157e-54, 9.781133223498595e-58, -4.4298610613671176e-61,
    1.845775442236299e-64, -7.099136316293458e-68, 2.5281824488224564e-71,
    -8.360391695841456e-75,
};
static const double by0_s[28] = {
    0.0, 0.15915494309189535, -0.014920775914865188,
    0.0005065695526651761, -8.994487795901564e-06, 9.857958624308115e-08,
    -7.345498366652945e-10, 3.9662282190382265e-12, -1.6239990501722248e-14,
    5.217256745004584e-17, -1.350419835702021e-19, 2.87672326957757e-22,
    -5.132128949358427e-25, 7.780096603447274e-28, -1.0146485131688623e-30,
    1.150502017250668e-33, -1.1446993397190146e-36, 1.0074539075506715e-39,
    -7.899122490087547e-43, 5.5526818161086556e-46, -3.51933651844511e-49,
    2.0214953718521576e-52, -1.0571806366176756e-55, 5.054982808271063e-59,
    -2.218483312101221e-62, 8.967937819755136e-66, -3.3499729403361094e-69,
    1.1598637719607582e-72,
};
static const double by1_s[28] = {
    0.024578509506412646, 0.026769238141428797, -0.0018061615852847733,
    4.77021926915092e-05, -6.934178768396019e-07, 6.43807807869613e-09,
    -4.1636188715218474e-11, 1.9868003998329693e-13, -7.290510519752471e-16,
    2.1224759598830894e-18, -5.0238541729715624e-21, 9.860672509570446e-24,
    -1.6312040698718383e-26, 2.305475219254014e-29, -2.8164342810578055e-32,
    3.003762095400807e-35, -2.8212219125481254e-38, 2.3514503248566065e-41,
    -1.7510685995868031e-44, 1.1720978150093263e-47, -7.090453304673725e-51,
    3.895476498606208e-54, -1.9523311580347695e-57, 8.962139706320382e-61,
    -3.7822063775935174e-64, 1.4724249127536562e-67, -5.3044356006603656e-71,
    1.7734728498352445e-74,
};
static const double bp0_a[10] = {
    1.0, -0.0703125, 0.112152099609375,
    -0.5725014209747314, 6.074042001273483, -110.01714026924674,
    3038.090510922384, -118838.42625678325, 6252951.493434797,
    -425939216.5047669,
};
static const double bq0_a[10] = {
    -0.125, 0.0732421875, -0.22710800170898438,
    1.7277275025844574, -24.380529699556064, 551.3358961220206,
    -18257.755474293175, 832859.3040162893, -50069589.531988926,
    3836255180.2304335,
};
static const double bp1_a[10] = {
    1.0, 0.1171875, -0.144195556640625,
    0.6765925884246826, -6.883914268109947, 121.59789187653587,
    -3302.2722944808525, 127641.2726461746, -6656367.718817688,
    450278600.3050393,
};
static const double bq1_a[10] = {
    0.375, -0.1025390625, 0.2775764465332031,
    -1.993531733751297, 27.248827311268542, -603.8440767050702,
    19718.37591223663, -890297.8767070678, 53104110.10968523,
    -4043620325.107754,
};

#define SB_HORNER(T, N, z, out)                                                \
    do {                                                                       \
        double h_ = (T)[(N) - 1];                                              \
        _Pragma("GCC unroll 32")                                               \
        for (int j_ = (N) - 2; j_ >= 0; j_--)                                  \
            h_ = h_ * (z) + (T)[j_];                                           \
        (out) = h_;                                                            \
    } while (0)

/* the series forms, for |x| <= SB_JY_CUT (x > 0 for Y; other x give
 * garbage, the loops select them away) */
CT_FM_INLINE double sb_j_small(double x, int nu)
{
    double z = x * x, s;
    if (nu == 0)
        SB_HORNER(bj0_s, 28, z, s);
    else {
        SB_HORNER(bj1_s, 28, z, s);
        s *= x;
    }
    return s;
}

CT_FM_INLINE double sb_y_small(double x, int nu)
{
    double z = x * x, j, s;
    double l = sb_log(x) - 0.6931471805599453;          /* log(x / 2) */
    if (nu == 0) {
        SB_HORNER(bj0_s, 28, z, j);
        SB_HORNER(by0_s, 28, z, s);
        return 0.6366197723675814 * (l + 0.5772156649015329) * j + s;
    }
    SB_HORNER(bj1_s, 28, z, j);
    SB_HORNER(by1_s, 28, z, s);
    return (0.6366197723675814 * l * j + s) * x - 0.6366197723675814 / x;
}

/* Hankel's expansion for SB_JY_CUT <= a < SB_REDUCE_MAX: J_nu(a) (y = 0)
 * or Y_nu(a) (y = 1). With sn, cs the sine and cosine of a - nu pi/2,
 * cos c = (cs + sn) / sqrt 2, sin c = (sn - cs) / sqrt 2. */
CT_FM_INLINE double sb_jy_big(double a, int nu, int y)
{
    double u = 1.0 / a, w = u * u, p, q;
    if (nu == 0) {
        SB_HORNER(bp0_a, 10, w, p);
        SB_HORNER(bq0_a, 10, w, q);
    } else {
        SB_HORNER(bp1_a, 10, w, p);
        SB_HORNER(bq1_a, 10, w, q);
    }
    q *= u;
    double r, sn, cs;
    double k = sb_reduce(a, &r);
    sb_sincos_q(k, r, nu, &sn, &cs);
    double amp = 1.0 / __builtin_sqrt(3.141592653589793 * a);
    double v = y ? (p + q) * sn - (p - q) * cs : (p + q) * cs + (p - q) * sn;
    return amp * v;
}

/* every x (the scalar pass): NaN at NaN and +-inf (PyTorch's values),
 * libm's sine and cosine past SB_REDUCE_MAX */
static double sb_jy_any(double x, int nu, int y)
{
    double a = fabs(x);
    if (x != x || a == INFINITY || (y && x < 0))
        return NAN;
    if (y && x == 0)
        return -INFINITY;
    double v;
    if (a <= SB_JY_CUT)
        v = y ? sb_y_small(a, nu) : sb_j_small(a, nu);
    else if (a < SB_REDUCE_MAX)
        v = sb_jy_big(a, nu, y);
    else {
        double u = 1.0 / a, w = u * u, p, q;
        if (nu == 0) {
            SB_HORNER(bp0_a, 10, w, p);
            SB_HORNER(bq0_a, 10, w, q);
        } else {
            SB_HORNER(bp1_a, 10, w, p);
            SB_HORNER(bq1_a, 10, w, q);
        }
        q *= u;
        double sn = sin(a), cs = cos(a);
        if (nu) {           /* a - pi/2 */
            double t = sn;
            sn = -cs;
            cs = t;
        }
        double amp = 1.0 / sqrt(3.141592653589793 * a);
        v = amp * (y ? (p + q) * sn - (p - q) * cs : (p + q) * cs + (p - q) * sn);
    }
    /* J1 is odd */
    return (nu && !y && x < 0) ? -v : v;
}

#define SB_BLK 512

/* blocks of J_nu / Y_nu of T (float or double) by the forms PFX##_j_small,
 * _y_small, _jy_big, _jy_any: the small-argument pass over all elements,
 * then Hankel's pass where any |x| > CUT, then the scalar pass where any is
 * NaN, inf or past SB_REDUCE_MAX */
#define SB_JY_LOOP(NAME, T, PFX, CUT, NU, Y)                                   \
void NAME(const T *x, T *o, int64_t count);                                   \
CT_MULTIVERSION void NAME(const T *x, T *o, int64_t count)                    \
{                                                                              \
    for (int64_t b0 = 0; b0 < count; b0 += SB_BLK) {                           \
        int64_t e = count - b0 < SB_BLK ? count : b0 + SB_BLK;                 \
        int big = 0;                                                           \
        _Pragma("omp simd reduction(|:big)")                                   \
        for (int64_t i = b0; i < e; i++) {                                     \
            double v = x[i], a = __builtin_fabs(v);                            \
            int ok = a <= CUT;                                                 \
            big |= !ok;                                                        \
            double as = ok ? a : 1.0, r;                                       \
            if (Y) {                                                           \
                as = as == 0.0 ? 1.0 : as;                                     \
                r = PFX##_y_small(as, NU);                                     \
                r = v == 0.0 ? -__builtin_inf() : r;                           \
                r = v < 0.0 ? __builtin_nan("") : r;                           \
            } else {                                                           \
                r = PFX##_j_small(as, NU);                                     \
                if (NU)                                                        \
                    r = v < 0.0 ? -r : (v == 0.0 ? v : r);                     \
            }                                                                  \
            o[i] = (T)r;                                                       \
        }                                                                      \
        if (!big)                                                              \
            continue;                                                          \
        int rest = 0;                                                          \
        _Pragma("omp simd reduction(|:rest)")                                  \
        for (int64_t i = b0; i < e; i++) {                                     \
            double v = x[i], a = __builtin_fabs(v);                            \
            int in = a > CUT && a < SB_REDUCE_MAX;                             \
            rest |= !(a < SB_REDUCE_MAX);                                      \
            double r = PFX##_jy_big(in ? a : 2 * CUT, NU, Y);                  \
            if (Y)                                                             \
                r = v < 0.0 ? __builtin_nan("") : r;                           \
            else if (NU)                                                       \
                r = v < 0.0 ? -r : r;                                          \
            o[i] = in ? (T)r : o[i];                                           \
        }                                                                      \
        if (rest)                                                              \
            for (int64_t i = b0; i < e; i++)                                   \
                if (!(__builtin_fabs((double)x[i]) < SB_REDUCE_MAX))           \
                    o[i] = (T)PFX##_jy_any(x[i], NU, Y);                       \
    }                                                                          \
}
SB_JY_LOOP(ct_sb_j0_f_loop, float, sb, SB_JY_CUT, 0, 0)
SB_JY_LOOP(ct_sb_j1_f_loop, float, sb, SB_JY_CUT, 1, 0)
SB_JY_LOOP(ct_sb_y0_f_loop, float, sb, SB_JY_CUT, 0, 1)
SB_JY_LOOP(ct_sb_y1_f_loop, float, sb, SB_JY_CUT, 1, 1)

/* ---- J0, J1, Y0, Y1 of doubles ----------------------------------------
 * Own forms, to a few units in the last place. With a = |x|:
 * a <= SBD_CUT (8): in t = a^2 / 32 - 1,
 *   J0 = (a^2 - j01^2)(a^2 - j02^2)(a^2 - j03^2) R0(t),
 *   J1 = a (a^2 - j11^2)(a^2 - j12^2)(a^2 - j13^2) R1(t),
 *   Y0 = (2/pi) J0 log a + S0,  S0 = (a^2 - s01^2)(a^2 - s02^2)(a^2 - s03^2) T0(t),
 *   Y1 = (2/pi) (J1 log a - 1/a) + a S1,  S1 likewise with s1k and T1(t),
 * jnk the k-th zero of J_n, snk the k-th zero of the entire function S_n
 * (each as hi + lo, a^2 - z^2 as ((a - hi) - lo)(a + hi): J and S keep
 * their relative accuracy near their zeros), R and T smooth, without zeros
 * there (their polynomials well conditioned, unlike S's own). a > SBD_CUT:
 * Hankel's form, J = (P cos chi - Q sin chi) / sqrt a, Y = (P sin chi +
 * Q cos chi) / sqrt a, chi = a - (2 nu + 1) pi/4, P and a Q smooth in t
 * = 128 / a^2 - 1 (sqrt(2/pi) folded in). The polynomials R, T, P, aQ were
 * fitted in 90-digit arithmetic: the function (from mpmath's Bessel
 * functions) interpolated at 48 Chebyshev nodes of t in [-1, 1], the
 * Chebyshev series cut where its tail is below double rounding, converted
 * to powers of t and rounded. chi is reduced as a - (2n + 1) pi/4 with pi/4 in three parts
 * (the first two of 25 bits, so that the products with 2n + 1 < 2^28 are
 * exact), for a < SB_REDUCE_MAX; beyond that (and for NaN and inf) a
 * scalar pass with libm's sine and cosine. */
#define SBD_CUT 8.0
static const double bd_j0[15] = {
    -2.6662941994458524e-05, 2.9532957425506736e-05, -1.4423681512582508e-05,
    4.19663832256583e-06, -8.272804159783322e-07, 1.1892767699589979e-07,
    -1.3086636321133497e-08, 1.1411484161616145e-09, -8.094862284803863e-11,
    4.768506939352687e-12, -2.3719707401833106e-13, 1.0101614986635393e-14,
    -3.726432398815501e-16, 1.2059252528869032e-17, -3.4331767864781143e-19,
};
static const double bd_j1[15] = {
    -2.7271448834411237e-06, 2.552238212464633e-06, -1.0759319268040335e-06,
    2.7483022124820187e-07, -4.821864203507793e-08, 6.2391661263023405e-09,
    -6.237657437067623e-10, 4.981043285887049e-11, -3.2576600989960072e-12,
    1.7796220904321522e-13, -8.2510158852253e-15, 3.289852605815828e-16,
    -1.1407127488074356e-17, 3.4809935343380113e-19, -9.377458093228831e-21,
};
static const double bd_s0[15] = {
    3.926437364146699e-05, -4.650800855871625e-05, 2.4010531359748067e-05,
    -7.321690769236478e-06, 1.5028246828314528e-06, -2.2380173329283254e-07,
    2.5407291078480382e-08, -2.2781234979547983e-09, 1.657121912179248e-10,
    -9.987012037388596e-12, 5.072485941226776e-13, -2.2020747260265147e-14,
    8.268638507187751e-16, -2.7204835193880932e-17, 7.864672105898177e-19,
};
static const double bd_s1[15] = {
    4.381231279168441e-06, -4.3016089347637705e-06, 1.8916383238504162e-06,
    -5.015763223560899e-07, 9.097486341458312e-08, -1.2127446065518857e-08,
    1.2454860958427228e-09, -1.0191584177862888e-10, 6.81578556448574e-12,
    -3.800477793626698e-13, 1.7956998075940718e-14, -7.286524549681042e-16,
    2.568100063965609e-17, -7.957828068453263e-19, 2.1746139203761713e-20,
};
static const double bd_p0[14] = {
    0.7974515295335377, -0.00042795920291927855, 4.89694953354261e-06,
    -1.6378533956598717e-07, 1.0215923573818105e-08, -9.67130403215338e-10,
    1.2367661893476748e-10, -1.9853524384698416e-11, 3.8194700584973806e-12,
    -8.486987288319384e-13, 1.9573522899765674e-13, -5.119850496348547e-14,
    2.664497399050849e-14, -9.415060022762184e-15,
};
static const double bd_q0[14] = {
    -0.09928948164795359, 0.00043616513344245194, -9.428690149483918e-06,
    4.5359512930497543e-07, -3.61838543024062e-08, 4.106098742114588e-09,
    -6.044665343826315e-10, 1.0869978413403608e-10, -2.3011265864095518e-11,
    5.5467226521855254e-12, -1.3391518171953302e-12, 3.6743066508931575e-13,
    -2.1812926570663242e-13, 8.126529331672601e-14,
};
static const double bd_p1[14] = {
    0.7986082630663897, 0.0007171425861322581, -6.350917508588339e-06,
    1.9577506941099582e-07, -1.1735695428106898e-08, 1.085366999737591e-09,
    -1.366862013512009e-10, 2.1705706231536343e-11, -4.14194482459569e-12,
    9.145536231928233e-13, -2.1012896837555996e-13, 5.477067927717922e-14,
    -2.8289489770337532e-14, 9.965521669863536e-15,
};
static const double bd_q1[14] = {
    0.2985803647129767, -0.0006141450757214332, 1.1624870713217107e-05,
    -5.292821937889724e-07, 4.098020330683468e-08, -4.564610514243901e-09,
    6.634877940023837e-10, -1.1821927540470546e-10, 2.4849270654565802e-11,
    -5.956291607535808e-12, 1.4337702105733962e-12, -3.9221935533302753e-13,
    2.310748755550295e-13, -8.584611911443052e-14,
};
/* the first three zeros of J0 and of J1, each as hi + lo */
#define SBD_J01 2.404825557695773, -1.176691651530894e-16
#define SBD_J02 5.520078110286311, 8.088597146146722e-17
#define SBD_J03 8.653727912911013, -2.92812607320779e-16
#define SBD_J11 3.8317059702075125, -1.5269184090088067e-16
#define SBD_J12 7.015586669815619, -9.414165653410389e-17
#define SBD_J13 10.173468135062722, 4.482162274768888e-16
/* the first three zeros of S0 and of S1 (see above), each as hi + lo */
#define SBD_S01 0.6574302676825188, 4.304067095780035e-17
#define SBD_S02 4.733062053943817, -8.801898875478643e-17
#define SBD_S03 8.008159606447586, -3.94165434431648e-16
#define SBD_S11 2.159952152677621, 4.417178030192711e-17
#define SBD_S12 6.515311597274387, -1.8814904530204642e-16
#define SBD_S13 9.409815611764342, 1.0999341165517297e-16

/* a^2 - (hi + lo)^2 */
CT_FM_INLINE double sbd_z2(double a, double hi, double lo)
{
    return ((a - hi) - lo) * (a + hi);
}

/* J_nu(a) for 0 <= a <= SBD_CUT */
CT_FM_INLINE double sbd_j_small(double a, int nu)
{
    double t = a * a * 0.03125 - 1.0, r;
    if (nu == 0) {
        SB_HORNER(bd_j0, 15, t, r);
        return sbd_z2(a, SBD_J01) * sbd_z2(a, SBD_J02) * (sbd_z2(a, SBD_J03) * r);
    }
    SB_HORNER(bd_j1, 15, t, r);
    return a * (sbd_z2(a, SBD_J11) * sbd_z2(a, SBD_J12) * (sbd_z2(a, SBD_J13) * r));
}

/* Y_nu(a) for 0 < a <= SBD_CUT (subnormal a included) */
CT_FM_INLINE double sbd_y_small(double a, int nu)
{
    double t = a * a * 0.03125 - 1.0, r;
    int tiny = a < 0x1p-1000;
    double l = sb_log(tiny ? a * 0x1p100 : a) - (tiny ? 69.31471805599453 : 0.0);
    double j = sbd_j_small(a, nu);
    if (nu == 0) {
        SB_HORNER(bd_s0, 15, t, r);
        double s = sbd_z2(a, SBD_S01) * sbd_z2(a, SBD_S02) * (sbd_z2(a, SBD_S03) * r);
        return 0.6366197723675814 * j * l + s;
    }
    SB_HORNER(bd_s1, 15, t, r);
    double s = sbd_z2(a, SBD_S11) * sbd_z2(a, SBD_S12) * (sbd_z2(a, SBD_S13) * r);
    return (0.6366197723675814 * j * l + a * s) - 0.6366197723675814 / a;
}

/* P and Q of Hankel's form (Q with its 1/a) for a > SBD_CUT (u = 1/a) */
CT_FM_INLINE void sbd_pq(double u, int nu, double *p, double *q)
{
    double t = 128.0 * u * u - 1.0, pp, qq;
    if (nu == 0) {
        SB_HORNER(bd_p0, 14, t, pp);
        SB_HORNER(bd_q0, 14, t, qq);
    } else {
        SB_HORNER(bd_p1, 14, t, pp);
        SB_HORNER(bd_q1, 14, t, qq);
    }
    *p = pp;
    *q = qq * u;
}

/* J_nu(a) (y = 0) or Y_nu(a) (y = 1) for SBD_CUT < a < SB_REDUCE_MAX */
CT_FM_INLINE double sbd_jy_big(double a, int nu, int y)
{
    double u = 1.0 / a, p, q;
    sbd_pq(u, nu, &p, &q);
    /* a - pi/4 = n pi/2 + r */
    double n = SB_RINT(a * 0.6366197723675814 - 0.5);
    double m = 2.0 * n + 1.0;
    double r = ((a - m * 0.7853981554508209) - m * 7.946627356147928e-09) -
               m * 3.061616997868383e-17;
    double s, c;
    sb_sincos(r, &s, &c);
    /* chi = a - (2 nu + 1) pi/4 = r + (n - nu) pi/2: its sine sn, cosine cs */
    int32_t k = ((int32_t)n - nu) & 3;
    double s1 = (k & 1) ? c : s, c1 = (k & 1) ? -s : c;
    double sn = (k & 2) ? -s1 : s1, cs = (k & 2) ? -c1 : c1;
    double v = y ? p * sn + q * cs : p * cs - q * sn;
    return v * __builtin_sqrt(u);
}

/* every x (the scalar pass): NaN at NaN, +-inf (PyTorch's values) and for
 * Y at x < 0; libm's sine and cosine past SB_REDUCE_MAX */
static double sbd_jy_any(double x, int nu, int y)
{
    double a = fabs(x), v;
    if (x != x || a == INFINITY || (y && x < 0))
        return NAN;
    if (y && x == 0)
        return -INFINITY;
    if (a <= SBD_CUT)
        v = y ? sbd_y_small(a, nu) : sbd_j_small(a, nu);
    else if (a < SB_REDUCE_MAX)
        v = sbd_jy_big(a, nu, y);
    else {
        double u = 1.0 / a, p, q;
        sbd_pq(u, nu, &p, &q);
        double sa = sin(a), ca = cos(a);
        /* cos and sin of a - pi/4, then of a - 3pi/4 for nu = 1 */
        double cs = (ca + sa) * 0.7071067811865476, sn = (sa - ca) * 0.7071067811865476;
        if (nu) {
            double t = sn;
            sn = -cs;
            cs = t;
        }
        /* 1 / sqrt(a), not sqrt(u): u is subnormal past 2^1022 */
        v = (y ? p * sn + q * cs : p * cs - q * sn) / sqrt(a);
    }
    return (nu && !y && x < 0) ? -v : v;
}

/* the loops of doubles: SB_JY_LOOP with these forms */
SB_JY_LOOP(ct_sb_j0_d_loop, double, sbd, SBD_CUT, 0, 0)
SB_JY_LOOP(ct_sb_j1_d_loop, double, sbd, SBD_CUT, 1, 0)
SB_JY_LOOP(ct_sb_y0_d_loop, double, sbd, SBD_CUT, 0, 1)
SB_JY_LOOP(ct_sb_y1_d_loop, double, sbd, SBD_CUT, 1, 1)

/* ---- Ai ---------------------------------------------------------------
 * -3 <= x <= 2: the power series, Ai = F(x^3) - x G(x^3) with F, G the
 * series of Ai(0) f and -Ai'(0) g (f = sum 3^k (1/3)_k x^3k / (3k)!, g =
 * sum 3^k (2/3)_k x^(3k+1) / (3k+1)!), fifteen terms each. x > 2: Ai =
 * e^-zeta H / (2 sqrt(pi) x^(1/4)), zeta = 2/3 x^(3/2), H a polynomial in
 * s = zeta(2) / zeta (ai_h: the Chebyshev interpolant of H = 2 sqrt(pi)
 * x^(1/4) e^zeta Ai(x) on s in [0, 1], to 5e-12). x < -3, a = -x: Ai =
 * m sin(zeta + pi/4 + d) / (sqrt(pi) a^(1/4)), m and d polynomials in s =
 * zeta(3) / zeta (ai_m, ai_d: interpolants of the modulus sqrt(pi) a^(1/4)
 * (Ai(-a)^2 + Bi(-a)^2)^(1/2) and of the phase's departure from zeta +
 * pi/4, atan2(Ai(-a), Bi(-a)) - zeta - pi/4, to 2e-13). */
#define SB_AI_NEG (-3.0)
#define SB_AI_POS 2.0
/* past this -x, zeta leaves sb_reduce's range: the scalar pass */
#define SB_AI_NEG_MAX 300000.0
static const double ai_f[15] = {
    0.3550280538878172, 0.05917134231463621, 0.00197237807715454,
    2.7394139960479725e-05, 2.0753136333696763e-07, 9.882445873188935e-10,
    3.2295574748983444e-12, 7.689422559281772e-15, 1.3930113332032197e-17,
    1.984346628494615e-20, 2.280858193671971e-23, 2.159903592492397e-26,
    1.7142092003907912e-29, 1.156686370034272e-32, 6.717110162800651e-36,
};
static const double ai_g[15] = {
    0.2588194037928068, 0.021568283649400565, 0.0005135305630809659,
    5.705895145344065e-06, 3.657625093169273e-08, 1.5240104554871968e-10,
    4.456170922477184e-13, 9.645391607093471e-16, 1.6075652678489119e-18,
    2.1264090844562326e-21, 2.286461381135734e-24, 2.0378443682136668e-27,
    1.5299131893495997e-30, 9.8071358291641e-34, 5.430307768086435e-37,
};
static const double ai_h[13] = {
    0.9999999999951644, -0.03682847654261296, 0.010443698552146554,
    -0.005664661652940675, 0.004532632478685343, -0.0046573017374712,
    0.005360276940826042, -0.0059616969051194055, 0.0056296497611711275,
    -0.004074308726013609, 0.002053901657818069, -0.0006326548939445671,
    8.895303913536124e-05,
};
static const double ai_m[13] = {
    0.9999999999998695, 4.3705061751191274e-11, -0.002893520861157602,
    4.70953627266392e-08, 0.0003821659022355487, 2.208497800943673e-06,
    -0.00016743885617934807, -1.642813307542025e-05, 0.00026043641913268885,
    -0.00031381843190968195, 0.00019479651853321217, -6.591634241356214e-05,
    9.669288145801548e-06,
};
static const double ai_d[13] = {
    -3.351907493621649e-13, -0.02004688423324699, -6.452473924000962e-09,
    0.000854767714566175, -1.7214688314650857e-06, -0.0002102218761851783,
    -5.5530511445695337e-05, 0.00030902726450243815, -0.00032314779159145425,
    0.00018351329502973356, -5.8686332744456277e-05, 8.544289575280258e-06,
    -1.0506440921177096e-07,
};

CT_FM_INLINE double sb_ai_small(double x)
{
    double z = x * x * x, f, g;
    SB_HORNER(ai_f, 15, z, f);
    SB_HORNER(ai_g, 15, z, g);
    return f - x * g;
}

/* x >= SB_AI_POS (+inf gives 0) */
CT_FM_INLINE double sb_ai_pos(double x)
{
    double sq = __builtin_sqrt(x), zeta = (2.0 / 3.0) * x * sq, h;
    double s = 1.8856180831641267 / zeta;
    SB_HORNER(ai_h, 13, s, h);
    return h * sb_exp(-zeta) * (0.28209479177387814 / __builtin_sqrt(sq));
}

/* the modulus-phase form's polynomials at a = -x >= 3: *m, *d; returns zeta */
CT_FM_INLINE double sb_ai_md(double a, double *m, double *d)
{
    double zeta = (2.0 / 3.0) * a * __builtin_sqrt(a);
    double s = 3.4641016151377544 / zeta;
    SB_HORNER(ai_m, 13, s, *m);
    SB_HORNER(ai_d, 13, s, *d);
    return zeta;
}

/* a = -x in [3, SB_AI_NEG_MAX) */
CT_FM_INLINE double sb_ai_neg(double a)
{
    double m, d, r, sn, cs;
    double zeta = sb_ai_md(a, &m, &d);
    double k = sb_reduce(zeta, &r);
    sb_sincos_q(k, r + d, 0, &sn, &cs);
    /* sin(phase + pi/4) = (sin + cos) / sqrt 2 */
    return (sn + cs) * m * (0.3989422804014327 / __builtin_sqrt(__builtin_sqrt(a)));
}

/* NaN, +-inf and x < -SB_AI_NEG_MAX: NaN where PyTorch's float zeta (2|x|
 * sqrt|x| / 3, 2|x| sqrt|x| first) overflows, libm's sine past that */
static float sb_ai_any(float xf)
{
    double x = xf;
    if (x != x || isinf(x))
        return NAN;
    if (x >= SB_AI_NEG)
        return (float)(x <= SB_AI_POS ? sb_ai_small(x) : sb_ai_pos(x));
    float af = -xf;
    if (isinf((2.0f * af) * sqrtf(af)))
        return NAN;
    double a = -x;
    if (a < SB_AI_NEG_MAX)
        return (float)sb_ai_neg(a);
    double m, d;
    double zeta = sb_ai_md(a, &m, &d);
    double ph = 0.7853981633974483 + d;
    double v = sin(zeta) * cos(ph) + cos(zeta) * sin(ph);
    return (float)(v * m * (0.5641895835477563 / sqrt(sqrt(a))));
}

void ct_sb_ai_f_loop(const float *x, float *o, int64_t count);
CT_MULTIVERSION void ct_sb_ai_f_loop(const float *x, float *o, int64_t count)
{
    for (int64_t b0 = 0; b0 < count; b0 += SB_BLK) {
        int64_t e = count - b0 < SB_BLK ? count : b0 + SB_BLK;
        int pos = 0, neg = 0, rest = 0;
        #pragma omp simd reduction(|:pos, neg, rest)
        for (int64_t i = b0; i < e; i++) {
            double v = x[i];
            pos |= v > SB_AI_POS;
            neg |= v < SB_AI_NEG;
            rest |= !(v >= -SB_AI_NEG_MAX && v < __builtin_inf());
            double c = v > SB_AI_POS ? SB_AI_POS : v;
            c = c < SB_AI_NEG ? SB_AI_NEG : c;
            c = c == c ? c : 0.0;
            o[i] = (float)sb_ai_small(c);
        }
        if (pos) {
            #pragma omp simd
            for (int64_t i = b0; i < e; i++) {
                double v = x[i];
                int in = v > SB_AI_POS;
                double r = sb_ai_pos(in ? v : SB_AI_POS);
                o[i] = in ? (float)r : o[i];
            }
        }
        if (neg) {
            #pragma omp simd
            for (int64_t i = b0; i < e; i++) {
                double v = x[i];
                int in = v < SB_AI_NEG && v >= -SB_AI_NEG_MAX;
                double r = sb_ai_neg(in ? -v : -SB_AI_NEG);
                o[i] = in ? (float)r : o[i];
            }
        }
        if (rest)
            for (int64_t i = b0; i < e; i++)
                if (!(x[i] >= (float)-SB_AI_NEG_MAX && x[i] < __builtin_inff()))
                    o[i] = sb_ai_any(x[i]);
    }
}

/* ---- Ai of doubles ------------------------------------------------------
 * -2 <= x <= 1: the power series above (ai_f, ai_g) to z^12 (truncation
 * below 2e-18 at |z| = 8). x < -2, a = -x: Ai = m sin(zeta + pi/4 + D /
 * zeta) / (sqrt(pi) a^(1/4)), with m = sqrt(pi) a^(1/4) (Ai(-a)^2 +
 * Bi(-a)^2)^(1/2) and D = zeta (atan2(Ai(-a), Bi(-a)) - zeta - pi/4); m and
 * D are Chebyshev interpolants of degree 20, in a on [2, 4] (ai_nm_*) and in
 * t = zeta^-2 on [0, zeta(4)^-2] (ai_nf_*), their truncation below 2e-18.
 * x > 1: Ai = e^-zeta H / (2 sqrt(pi) x^(1/4)), H Chebyshev interpolants of
 * degree 23 of H = 2 sqrt(pi) x^(1/4) e^zeta Ai(x), in x on [1, 2]
 * (ai_pm_h) and in t = 1/zeta on [0, 1/zeta(2)] (ai_pf_h), truncation below
 * 2e-17. zeta = 2/3 x^(3/2) is carried as a sum of two doubles (to about
 * 2^-100 relative) into the phase and into the exponential, so that their
 * error does not grow with zeta. Elements of each region of a block are
 * gathered into a contiguous run and computed there (only the series runs
 * over the whole block). x > SB_AID_ZERO (where Ai leaves the normal range)
 * gives 0, NaN and +-inf give NaN, and x <= -SB_AID_NEG_MAX goes through a
 * scalar pass on libm's sine (NaN where PyTorch's 2|x| sqrt|x| overflows). */
#define SB_AID_SER_LO (-2.0)
#define SB_AID_SER_HI 1.0
#define SB_AID_ZERO 103.892
/* zeta < 2^51 below this a */
#define SB_AID_NEG_MAX 2e10
#define SB_AID_BLK 256
static const double ai_nm_m[21] = {
    0.9965693808571106, 0.002963316141922609, -0.0008645783126169179,
    0.00020616409295409126, -4.318960677211417e-05, 8.250712054067241e-06,
    -1.4711012837198576e-06, 2.489137665156117e-07, -4.049588336846837e-08,
    6.4051274553815835e-09, -9.943736012155746e-10, 1.527670212625939e-10,
    -2.3381737589499985e-11, 3.5833492741369655e-12, -5.51740586490056e-13,
    8.550979800427973e-14, -1.3347658598691515e-14, 2.098072755246458e-15,
    -3.318860365045859e-16, 5.2792239481305177e-17, -8.437866691011919e-18,
};
static const double ai_nm_d[21] = {
    -0.0663720535777541, -0.0024687843125293955, 0.0006484677608621256,
    -0.00013478308537642538, 2.3717819087962817e-05, -3.6367627047865085e-06,
    4.902367005371233e-07, -5.7541163873726014e-08, 5.629387830468993e-09,
    -3.886455937786543e-10, -1.0093975698615814e-12, 6.856541831762147e-12,
    -1.6763458710159785e-12, 3.0115576695113615e-13, -4.72906443659802e-14,
    6.906606688963133e-15, -9.709174903209744e-16, 1.3453984167382656e-16,
    -1.869767570934704e-17, 2.6355637107014897e-18, -3.787247990165635e-19,
};
static const double ai_nf_m[21] = {
    0.9994121885445231, -0.000580731697019, 6.841831171305472e-06,
    -2.2384383930539588e-07, 1.2878249378462599e-08, -1.0711858431267729e-09,
    1.1586691090140265e-10, -1.5278458837875007e-11, 2.3536719742617723e-12,
    -4.1124393158027803e-13, 7.976383715841023e-14, -1.6898898734943943e-14,
    3.8623361073803005e-15, -9.430032435384306e-16, 2.440131772689596e-16,
    -6.648759041344485e-17, 1.8974203482701555e-17, -5.645770835230143e-18,
    1.744840866002623e-18, -5.582572427127844e-19, 1.843845686311608e-19,
};
static const double ai_nf_d[21] = {
    -0.06886296306333183, 0.0005683204334806515, -1.2533616684177722e-05,
    5.804457598512361e-07, -4.212414364636628e-08, 4.1561120805688395e-09,
    -5.136487005185459e-10, 7.549069101711369e-11, -1.2737419683933412e-11,
    2.4064064003279238e-12, -4.997396616584018e-13, 1.124898783098248e-13,
    -2.7147340122254254e-14, 6.963094227501245e-15, -1.884826384707613e-15,
    5.353149048611653e-16, -1.5874832903373882e-16, 4.895442472466975e-17,
    -1.5643728893791523e-17, 5.164732412010908e-18, -1.7570362598287812e-18,
};
static const double ai_pm_h[24] = {
    0.955149690862241, 0.01763104667737908, -0.002872276786800271,
    0.0004383566693448582, -6.518271466849948e-05, 9.61284201135747e-06,
    -1.4187566671937373e-06, 2.1053158773428617e-07, -3.148029501868589e-08,
    4.747090265407959e-09, -7.219368233727697e-10, 1.1068524159063283e-10,
    -1.7098176476767762e-11, 2.6595007139213044e-12, -4.162571067482806e-13,
    6.551960297179487e-14, -1.0365454777330878e-14, 1.647392473160885e-15,
    -2.629090800796501e-16, 4.2115731972813463e-17, -6.7696133950601096e-18,
    1.0915214859664122e-18, -1.7649533349746774e-19, 2.861302162054161e-20,
};
static const double ai_pf_h[24] = {
    0.9844053049171552, -0.014792784850104199, 0.0007327177465426715,
    -6.12595423417825e-05, 6.83476697557269e-06, -9.237229735403982e-07,
    1.436225340438052e-07, -2.489319422322096e-08, 4.709793440054328e-09,
    -9.583863708112733e-10, 2.0745855483677591e-10, -4.737267332192277e-11,
    1.1336099808224236e-11, -2.827706782319351e-12, 7.320712095125598e-13,
    -1.9599793911089723e-13, 5.4101162570683925e-14, -1.5356466802223836e-14,
    4.472340393300025e-15, -1.3338094674756683e-15, 4.066582046456231e-16,
    -1.265583225645289e-16, 4.015126334015871e-17, -1.2969972135960937e-17,
};

/* sum_k c[k] T_k(u) (Clenshaw), c = sel ? c1 : c0 */
CT_FM_INLINE double sb_cheb2(const double *c0, const double *c1, int sel, int n, double u)
{
    double b1 = 0.0, b2 = 0.0, u2 = u + u;
    #pragma GCC unroll 32
    for (int k = n - 1; k >= 1; k--) {
        double b = (sel ? c1[k] : c0[k]) + u2 * b1 - b2;
        b2 = b1;
        b1 = b;
    }
    return (sel ? c1[0] : c0[0]) + u * b1 - b2;
}

/* zeta = 2/3 a^(3/2) as *hi + *lo, for a > 0 finite */
CT_FM_INLINE void sb_zeta2(double a, double *hi, double *lo)
{
    double s = __builtin_sqrt(a);
    double sl = __builtin_fma(-s, s, a) / (s + s);      /* sqrt(a) = s + sl */
    double p = a * s;
    double pl = __builtin_fma(a, s, -p) + a * sl;       /* a sqrt(a) = p + pl */
    /* 2/3 = c + cl */
    const double c = 0.6666666666666666, cl = 3.700743415417188e-17;
    double z = c * p;
    *hi = z;
    *lo = __builtin_fma(c, p, -z) + (c * pl + cl * p);
}

/* Ai(-a) for a in (2, SB_AID_NEG_MAX) */
CT_FM_INLINE double sb_aid_neg(double a)
{
    double zh, zl;
    sb_zeta2(a, &zh, &zl);
    int far = a > 4.0;
    double iz = 1.0 / zh;
    double u = far ? (iz * iz) * (2.0 / 0.03515625) - 1.0 : a - 3.0;
    double m = sb_cheb2(ai_nm_m, ai_nf_m, far, 21, u);
    double d = sb_cheb2(ai_nm_d, ai_nf_d, far, 21, u);
    /* zeta = k pi/2 + r: pi/2 in three doubles, the first two products
     * subtracted by fused multiply-adds (each rounding below 2^-54 for
     * |r| < 1, k < 2^51) */
    double k = SB_RINT(zh * 0.6366197723675814);
    double r = __builtin_fma(-k, 1.5707963267948966, zh);
    r = __builtin_fma(-k, 6.123233995736766e-17, r);
    r = (r + k * 1.4973849048591698e-33) + (zl + d * iz);
    double sn, cs;
    sb_sincos(r, &sn, &cs);
    /* k mod 4, exact */
    int q = (int)(k - 4.0 * SB_RINT((k - 1.5) * 0.25));
    double s1 = (q & 1) ? cs : sn, c1 = (q & 1) ? -sn : cs;
    sn = (q & 2) ? -s1 : s1;
    cs = (q & 2) ? -c1 : c1;
    /* sin(phase + pi/4) = (sin + cos) / sqrt 2 */
    return (sn + cs) * m * (0.3989422804014327 / __builtin_sqrt(__builtin_sqrt(a)));
}

/* e^-(zh + zl) for zh in [0, 708] */
CT_FM_INLINE double sb_exp_neg2(double zh, double zl)
{
    double k = SB_RINT(zh * -1.4426950408889634);
    double r = ((-zh - k * 0.6931471805592082) - k * 7.371002565167799e-13) - zl;
    double p = sb_exp_taylor(r);
    double kb = k + 6755399441055744.0;
    uint64_t b;
    memcpy(&b, &kb, 8);
    b = (b - 0x4338000000000000ULL + 1023) << 52;
    double s;
    memcpy(&s, &b, 8);
    return p * s;
}

/* Ai(x) for x in (1, SB_AID_ZERO] */
CT_FM_INLINE double sb_aid_pos(double x)
{
    double zh, zl;
    sb_zeta2(x, &zh, &zl);
    int far = x > 2.0;
    double u = far ? (2.0 / 0.5303300858899106) / zh - 1.0 : x + x - 3.0;
    double h = sb_cheb2(ai_pm_h, ai_pf_h, far, 24, u);
    return h * sb_exp_neg2(zh, zl) * (0.28209479177387814 / __builtin_sqrt(__builtin_sqrt(x)));
}

/* NaN, +-inf, x > SB_AID_ZERO and x <= -SB_AID_NEG_MAX */
static double sb_aid_any(double x)
{
    if (x != x || isinf(x))
        return NAN;
    if (x > 0)
        return 0.0;
    double a = -x;
    if (isinf((2.0 * a) * sqrt(a)))
        return NAN;
    double zh, zl;
    sb_zeta2(a, &zh, &zl);
    /* m = 1 and D = -5/72 to double precision here */
    double ph = zl + 0.7853981633974483 - (5.0 / 72.0) / zh;
    double v = sin(zh) * cos(ph) + cos(zh) * sin(ph);
    return v * (0.5641895835477563 / sqrt(sqrt(a)));
}

void ct_sb_ai_d_loop(const double *x, double *o, int64_t count);
CT_MULTIVERSION void ct_sb_ai_d_loop(const double *x, double *o, int64_t count)
{
    double xv[SB_AID_BLK], t[SB_AID_BLK];
    int32_t in_[SB_AID_BLK], ip[SB_AID_BLK], ir[SB_AID_BLK];
    for (int64_t b0 = 0; b0 < count; b0 += SB_AID_BLK) {
        int n = count - b0 < SB_AID_BLK ? (int)(count - b0) : SB_AID_BLK;
        int other = 0;
        memcpy(xv, x + b0, (size_t)n * sizeof(double));
        #pragma omp simd reduction(|:other)
        for (int i = 0; i < n; i++) {
            double v = xv[i];
            other |= !(v >= SB_AID_SER_LO && v <= SB_AID_SER_HI);
            double c = v > SB_AID_SER_HI ? SB_AID_SER_HI : v;
            c = c < SB_AID_SER_LO ? SB_AID_SER_LO : c;
            c = c == c ? c : 0.0;
            double z = c * c * c, f, g;
            SB_HORNER(ai_f, 13, z, f);
            SB_HORNER(ai_g, 13, z, g);
            o[b0 + i] = f - c * g;
        }
        if (!other)
            continue;
        int nn = 0, np = 0, nr = 0;
        for (int i = 0; i < n; i++) {
            double v = xv[i];
            in_[nn] = i;
            nn += v < SB_AID_SER_LO && v > -SB_AID_NEG_MAX;
            ip[np] = i;
            np += v > SB_AID_SER_HI && v <= SB_AID_ZERO;
            ir[nr] = i;
            nr += !(v > -SB_AID_NEG_MAX && v <= SB_AID_ZERO);
        }
        if (nn) {
            for (int j = 0; j < nn; j++)
                t[j] = -xv[in_[j]];
            #pragma omp simd
            for (int j = 0; j < nn; j++)
                t[j] = sb_aid_neg(t[j]);
            for (int j = 0; j < nn; j++)
                o[b0 + in_[j]] = t[j];
        }
        if (np) {
            for (int j = 0; j < np; j++)
                t[j] = xv[ip[j]];
            #pragma omp simd
            for (int j = 0; j < np; j++)
                t[j] = sb_aid_pos(t[j]);
            for (int j = 0; j < np; j++)
                o[b0 + ip[j]] = t[j];
        }
        for (int j = 0; j < nr; j++)
            o[b0 + ir[j]] = sb_aid_any(xv[ir[j]]);
    }
}

/* ---- K0, K1 and their scaled forms -------------------------------------
 * 0 < x <= 2: K0 = -log(x/2) I0 + sum k_k0 z^k, K1 = 1/x + log(x/2) I1 +
 * x sum k_k1 z^k, z = x^2, with I0 = sum k_i0 z^k, I1 = x sum k_i1 z^k (the
 * power series: (z/4)^k / k!^2 and (z/4)^k / (2 k! (k+1)!) times 1, digamma
 * (k + 1) and -(digamma(k + 1) + digamma(k + 2)) / 2), thirteen terms
 * (truncation below 1e-17). x > 2: K e^x = (pi / (2x))^(1/2) g(2/x), g
 * (k_g0, k_g1) the Chebyshev interpolants of degree 20 of K e^x (2x /
 * pi)^(1/2) on 2/x in [0, 1] (to 5e-16). K is NaN below 0 (and at NaN),
 * +inf at 0, 0 at +inf. */
#define SB_K_CUT 2.0
static const double k_i0[13] = {
    1.0, 0.25, 0.015625,
    0.00043402777777777775, 6.781684027777777e-06, 6.781684027777778e-08,
    4.709502797067901e-10, 2.4028075495244395e-12, 9.385966990329842e-15,
    2.896903392077112e-17, 7.242258480192779e-20, 1.4963343967340453e-22,
    2.5978027721077174e-25,
};
static const double k_k0[13] = {
    -0.5772156649015329, 0.10569608377461678, 0.014418505235913549,
    0.0005451899602568578, 1.0214014135957849e-05, 1.1570350941513404e-07,
    8.819883064451181e-10, 4.843198560366338e-12, 2.009199025022224e-14,
    6.523109713385803e-17, 1.7032000131483784e-19, 3.655038691331976e-22,
    6.562036847904768e-25,
};
static const double k_i1[13] = {
    0.5, 0.0625, 0.0026041666666666665,
    5.425347222222222e-05, 6.781684027777778e-07, 5.651403356481481e-09,
    3.363930569334215e-11, 1.5017547184527747e-13, 5.214426105738801e-16,
    1.4484516960385557e-18, 3.2919356728148996e-21, 6.234726653058522e-24,
    9.991549123491221e-27,
};
static const double k_k1[13] = {
    0.03860783245076643, -0.042049020943654196, -0.002837111983763369,
    -7.493042905988501e-05, -1.0892182538735626e-06, -1.0112909397634626e-08,
    -6.54019722956043e-11, -3.12085877013226e-13, -1.1451907144886734e-15,
    -3.3339774414948293e-18, -7.891451681256942e-21, -1.548910815776067e-23,
    -2.5622893612075694e-26,
};
static const double k_g0[21] = {
    0.9999999999999998, -0.06249999999977354, 0.017578124966266404,
    -0.009155271415332423, 0.007009441113299922, -0.007095820340547622,
    0.008927533034472787, -0.013321934640151405, 0.022406731235795403,
    -0.0397967564679492, 0.06943351820995626, -0.11155448113289902,
    0.15705989181137978, -0.18683981625523952, 0.18246500447565092,
    -0.14240614240149554, 0.08616175640830176, -0.038800170451448165,
    0.012207685391716572, -0.002390178764803977, 0.00021892679841515827,
};
static const double k_g1[21] = {
    1.0000000000000002, 0.18749999999975248, -0.02929687496313236,
    0.012817380602797248, -0.009012151155635913, 0.008672839034250151,
    -0.010552326092080486, 0.015382523482831173, -0.025451399991207494,
    0.04470415859516449, -0.07743235655934666, 0.12383104883370023,
    -0.17382519418145564, 0.20637673666855227, -0.20127299983067667,
    0.15693515200498767, -0.09488617781253712, 0.04270648635689455,
    -0.013431277598131315, 0.002628907494641714, -0.00024073098150544,
};

/* 0 < x <= SB_K_CUT */
CT_FM_INLINE double sb_k_small(double x, int nu, int scaled)
{
    /* log(x/2); a double x near the denormals is scaled by 2^54 first */
    int sub = x < 4.5e-308;
    double l = sb_log(0.5 * (sub ? x * 18014398509481984.0 : x)) - (sub ? 37.42994775023705 : 0.0);
    double z = x * x, i, k, r;
    if (nu == 0) {
        SB_HORNER(k_i0, 13, z, i);
        SB_HORNER(k_k0, 13, z, k);
        r = k - l * i;
    } else {
        SB_HORNER(k_i1, 13, z, i);
        SB_HORNER(k_k1, 13, z, k);
        r = 1.0 / x + x * (l * i + k);
    }
    return scaled ? r * sb_exp(x) : r;
}

/* x > SB_K_CUT (+inf included) */
CT_FM_INLINE double sb_k_big(double x, int nu, int scaled)
{
    double u = 2.0 / x, g;
    if (nu == 0)
        SB_HORNER(k_g0, 21, u, g);
    else
        SB_HORNER(k_g1, 21, u, g);
    double r = g * __builtin_sqrt(1.5707963267948966 / x);
    /* e^-x as (e^(-x/2))^2: no clamp in sb_exp before the result underflows */
    double h = sb_exp(-0.5 * x);
    return scaled ? r : (r * h) * h;
}

#define SB_K_LOOP(NAME, T, NU, SCALED)                                          \
void NAME(const T *x, T *o, int64_t count);                                   \
CT_MULTIVERSION void NAME(const T *x, T *o, int64_t count)                    \
{                                                                              \
    for (int64_t b0 = 0; b0 < count; b0 += SB_BLK) {                           \
        int64_t e = count - b0 < SB_BLK ? count : b0 + SB_BLK;                 \
        int big = 0;                                                           \
        _Pragma("omp simd reduction(|:big)")                                   \
        for (int64_t i = b0; i < e; i++) {                                     \
            double v = x[i];                                                   \
            big |= v > SB_K_CUT;                                               \
            double c = v > 0.0 && v <= SB_K_CUT ? v : 1.0;                     \
            double r = sb_k_small(c, NU, SCALED);                              \
            r = v == 0.0 ? __builtin_inf() : r;                                \
            r = (v < 0.0 || v != v) ? __builtin_nan("") : r;                   \
            o[i] = (T)r;                                                       \
        }                                                                      \
        if (!big)                                                              \
            continue;                                                          \
        _Pragma("omp simd")                                                    \
        for (int64_t i = b0; i < e; i++) {                                     \
            double v = x[i];                                                   \
            int in = v > SB_K_CUT;                                             \
            double r = sb_k_big(in ? v : 2 * SB_K_CUT, NU, SCALED);            \
            o[i] = in ? (T)r : o[i];                                           \
        }                                                                      \
    }                                                                          \
}
SB_K_LOOP(ct_sb_k0_f_loop, float, 0, 0)
SB_K_LOOP(ct_sb_k0e_f_loop, float, 0, 1)
SB_K_LOOP(ct_sb_k1_f_loop, float, 1, 0)
SB_K_LOOP(ct_sb_k1e_f_loop, float, 1, 1)
/* double results: the same forms, within 1e-15 (relative) of the values */
SB_K_LOOP(ct_sb_k0_d_loop, double, 0, 0)
SB_K_LOOP(ct_sb_k0e_d_loop, double, 0, 1)
SB_K_LOOP(ct_sb_k1_d_loop, double, 1, 0)
SB_K_LOOP(ct_sb_k1e_d_loop, double, 1, 1)

/* ---- xlogy ------------------------------------------------------------
 * a log b in the operands' dtype (float: fastmath.h's log; double: sb_log,
 * a denormal b scaled by 2^54 first), PyTorch's rules: NaN where b is NaN,
 * else 0 where a is 0 (whatever b is), so NaN from a NaN a or a negative b
 * otherwise. Operands with element stride 0 are one value for all. */
CT_FM_INLINE float sb_xlogy_f(float a, float b)
{
    float r = a * ct_logf(b);
    r = a == 0.0f ? 0.0f : r;
    return b != b ? b : r;
}

CT_FM_INLINE double sb_logd_any(double b)
{
    int sub = b < 2.2250738585072014e-308;
    double r = sb_log(sub ? (b > 0.0 ? b * 18014398509481984.0 : 1.0) : (b <= 1.7976931348623157e308 ? b : 1.0));
    r = sub ? r - 37.42994775023705 : r;            /* 54 log 2 */
    r = b == 0.0 ? -__builtin_inf() : r;
    r = b == __builtin_inf() ? b : r;
    return b < 0.0 ? __builtin_nan("") : r;
}

CT_FM_INLINE double sb_xlogy_d(double a, double b)
{
    double r = a * sb_logd_any(b);
    r = a == 0.0 ? 0.0 : r;
    return b != b ? b : r;
}

/* xlog1py: a log1p(b), the same rules (fastmath.h's and fastmath_d.h's
 * log1p) */
CT_FM_INLINE float sb_xlog1py_f(float a, float b)
{
    float r = a * ct_log1pf(b);
    r = a == 0.0f ? 0.0f : r;
    return b != b ? b : r;
}

CT_FM_INLINE double sb_xlog1py_d(double a, double b)
{
    double r = a * ct_log1p_d1(b);
    r = a == 0.0 ? 0.0 : r;
    return b != b ? b : r;
}

#define SB_XLOGY_LOOP(NAME, T, F)                                              \
void NAME(const T *a, int64_t sa, const T *b, int64_t sb, T *o, int64_t n);    \
CT_MULTIVERSION void NAME(const T *a, int64_t sa, const T *b, int64_t sb, T *o, \
                          int64_t n)                                           \
{                                                                              \
    if (sa && sb) {                                                            \
        _Pragma("omp simd")                                                    \
        for (int64_t i = 0; i < n; i++)                                        \
            o[i] = F(a[i], b[i]);                                              \
    } else if (sb) {                                                           \
        T av = a[0];                                                           \
        _Pragma("omp simd")                                                    \
        for (int64_t i = 0; i < n; i++)                                        \
            o[i] = F(av, b[i]);                                                \
    } else if (sa) {                                                           \
        T bv = b[0];                                                           \
        _Pragma("omp simd")                                                    \
        for (int64_t i = 0; i < n; i++)                                        \
            o[i] = F(a[i], bv);                                                \
    } else {                                                                   \
        T v = F(a[0], b[0]);                                                   \
        for (int64_t i = 0; i < n; i++)                                        \
            o[i] = v;                                                          \
    }                                                                          \
}
SB_XLOGY_LOOP(ct_sb_xlogy_f_loop, float, sb_xlogy_f)
SB_XLOGY_LOOP(ct_sb_xlogy_d_loop, double, sb_xlogy_d)
SB_XLOGY_LOOP(ct_sb_xlog1py_f_loop, float, sb_xlog1py_f)
SB_XLOGY_LOOP(ct_sb_xlog1py_d_loop, double, sb_xlog1py_d)

/* code: dtype (0 float, 1 double) + 2 * function (0 xlogy, 1 xlog1py) */
int ct_special_xlogy(int code, const void *a, int64_t sa, const void *b, int64_t sb, void *out,
                     int64_t count)
{
    int64_t i, nb;
    int dtype = code & 1, log1p = code >> 1;
    if (code < 0 || code > 3)
        return -1;
    size_t es = dtype ? sizeof(double) : sizeof(float);
    sa = sa ? 1 : 0;
    sb = sb ? 1 : 0;
    nb = (count + 8191) / 8192;
    CT_PARALLEL_IF(count > 65536, "omp parallel for schedule(static)",
    for (i = 0; i < nb; i++) {
        int64_t lo = i * 8192, n = count - lo < 8192 ? count - lo : 8192;
        const char *pa = (const char *)a + lo * sa * es, *pb = (const char *)b + lo * sb * es;
        char *po = (char *)out + lo * es;
        if (dtype)
            (log1p ? ct_sb_xlog1py_d_loop : ct_sb_xlogy_d_loop)((const double *)pa, sa,
                                                               (const double *)pb, sb, (double *)po, n);
        else
            (log1p ? ct_sb_xlog1py_f_loop : ct_sb_xlogy_f_loop)((const float *)pa, sa,
                                                               (const float *)pb, sb, (float *)po, n);
    });
    return 0;
}

/* ---- lgamma of positive arguments (the incomplete gamma functions of
 * double and the multivariate log-gamma function below) */
#define SB_MV_BIG 8.0
#define SB_MV_YMIN 1e-30
#define SB_MV_XMAX 1e300
#define SB_MV_BLK 512
static const double mv_lg13[29] = {
    0.42278433509846713, -0.1003173016743539, 0.03296500062115574,
    -0.012384192193374355, 0.004998641164703877, -0.0021081308338291313,
    0.0009153769220606788, -0.0004057073999387517, 0.0001825526419770573,
    -8.30950999467849e-05, 3.816886281372433e-05, -1.76618554743359e-05,
    8.22234752455359e-06, -3.846514242663473e-06, 1.8074596187759183e-06,
    -8.554816957122729e-07, 4.055632887824374e-07, -1.8613158181472913e-07,
    8.745972665553558e-08, -5.203866533227567e-08, 2.6247261052647585e-08,
    -7.860744687083097e-10, -7.603161817336997e-10, -8.9520228367097e-09,
    4.927878685807216e-09, 2.4694237633377496e-09, -1.3899445166244055e-09,
    -8.190037783551155e-10, 4.2453673576593057e-10
};

/* lgamma(y) for y >= 8 */
CT_FM_INLINE double sb_stirling(double y)
{
    double w = 1.0 / y, w2 = w * w;
    double st = 1.0 / 156;
    st = st * w2 - 691.0 / 360360;
    st = st * w2 + 1.0 / 1188;
    st = st * w2 - 1.0 / 1680;
    st = st * w2 + 1.0 / 1260;
    st = st * w2 - 1.0 / 360;
    st = st * w2 + 1.0 / 12;
    return (y - 0.5) * sb_log(y) - y + (0.91893853320467274178 + st * w);
}

/* lgamma(y) for 0 < y <= 1e300 (y >= 1e-30 keeps the product normal),
 * one term of the multivariate function below: relative error a few ulp */
CT_FM_INLINE double sb_lgamma_acc(double y)
{
    int big = y >= SB_MV_BIG;
    double ys = big ? 2.5 : y;
    double fl = SB_RINT(ys);
    fl = fl > ys ? fl - 1.0 : fl;
    double k = ys < 1.0 ? -1.0 : (ys < 3.0 ? 0.0 : fl - 2.0);
    double r = ys - k, g;
    SB_HORNER(mv_lg13, 29, r - 2.0, g);
    g *= (r - 1.0) * (r - 2.0);
    double dn = (k >= 1.0 ? ys - 1.0 : 1.0) * (k >= 2.0 ? ys - 2.0 : 1.0) *
                (k >= 3.0 ? ys - 3.0 : 1.0) * (k >= 4.0 ? ys - 4.0 : 1.0) *
                (k >= 5.0 ? ys - 5.0 : 1.0);
    double lr = sb_log(k < 0.0 ? dn / ys : dn);
    return big ? sb_stirling(y) : g + lr;
}

/* ---- the regularized incomplete gamma functions P(a, x), Q(a, x) -----
 * of float32 a, x with 0 < a <= SB_IG_AMAX and 0 <= x, in double. With
 * L = a log x - x - lgamma(a): for x < a + 1 the series P = e^L S, S =
 * sum_n x^n / (a (a+1) ... (a+n)), kept as U / D and summed until the term
 * is below 1e-17 of the sum; for x >= a + 1 the continued fraction Q = e^L
 * / (x + 1 - a + 1 (a - 1) / (x + 3 - a + 2 (a - 2) / (x + 5 - a + ...)))
 * by its convergents A_n / B_n until two agree to 1e-16 (both rescaled
 * every SB_IG_STEP steps); the other function is 1 minus that one. lgamma(a)
 * = lgamma(a + 8) - log(a (a+1) ... (a+7)), lgamma(a + 8) by Stirling's
 * series to the 1/y^13 term (truncation below 1e-15). Elements outside the
 * domain (a <= 0, NaN, a > SB_IG_AMAX), that do not converge in SB_IG_ITERS
 * steps, or whose Q = 1 - P falls below 1e-8 (cancellation), are flagged
 * for the caller to compute otherwise; for double also a past SB_IG_DAMAX,
 * x near a past SB_IG_NEAR, L below -700, and results 1 - s with s > 0.6. lgamma(a) for
 * double by sb_lgamma_acc. */
#define SB_IG_AMAX 100.0
/* double: a above SB_IG_DAMAX, and x near a (|x - a| <= 0.4 a) for a above
 * SB_IG_NEAR, are left to the caller (whose forms keep more digits there) */
#define SB_IG_DAMAX 20.0
#define SB_IG_NEAR 10.0
#define SB_IG_BLK 256
#define SB_IG_STEP 8
#define SB_IG_ITERS 512
/* past this x (with a <= SB_IG_AMAX) Q underflows in double: the
 * continued fraction runs at this x (its terms stay in range) */
#define SB_IG_XCF 1000.0

CT_FM_INLINE double sb_lgamma_pos(double a)
{
    double y = a + 8.0, w = 1.0 / y, w2 = w * w;
    double p = a * (a + 1.0) * (a + 2.0) * (a + 3.0) * (a + 4.0) * (a + 5.0) * (a + 6.0) * (a + 7.0);
    double st = 1.0 / 156;
    st = st * w2 - 691.0 / 360360;
    st = st * w2 + 1.0 / 1188;
    st = st * w2 - 1.0 / 1680;
    st = st * w2 + 1.0 / 1260;
    st = st * w2 - 1.0 / 360;
    st = st * w2 + 1.0 / 12;
    return (y - 0.5) * sb_log(y) - y + 0.91893853320467274178 + st * w - sb_log(p);
}

int64_t ct_sb_igamma_block(int upper, int dbl, const double *ap, const double *xp, double *o,
                           uint8_t *flag, int64_t n);
CT_MULTIVERSION int64_t ct_sb_igamma_block(int upper, int dbl, const double *ap, const double *xp,
                                           double *o, uint8_t *flag, int64_t n)
{
    double A[SB_IG_BLK], X[SB_IG_BLK], E[SB_IG_BLK], S[SB_IG_BLK], F[SB_IG_BLK];
    double u[SB_IG_BLK], t[SB_IG_BLK], d[SB_IG_BLK], sa[SB_IG_BLK], sx[SB_IG_BLK];
    double a1[SB_IG_BLK], a2[SB_IG_BLK], b1[SB_IG_BLK], b2[SB_IG_BLK];
    /* the mode (0: none, 1: series, 2: fraction) and the flags, as doubles:
     * all lanes of the vector loops one width */
    double act[SB_IG_BLK], bad[SB_IG_BLK];
    int any_s = 0, any_c = 0;
    /* the domain, the mode, e^L; safe operands for the lanes a mode skips */
    #pragma omp simd reduction(|:any_s, any_c)
    for (int64_t i = 0; i < n; i++) {
        double a = ap[i], x = xp[i];
        int ok = a > 0.0 && a <= SB_IG_AMAX && x >= 0.0;
        ok = dbl && (a > SB_IG_DAMAX || (a > SB_IG_NEAR && __builtin_fabs(a - x) <= 0.4 * a)) ? 0 : ok;
        int ser = x < a + 1.0;
        double as = ok ? a : 1.0;
        /* x for e^L (in E until the next loop) */
        E[i] = ok && x > 0.0 && x < __builtin_inf() ? x : 1.0;
        S[i] = 0.0;
        F[i] = 0.0;
        A[i] = as;
        X[i] = ok ? (ser ? x : (x < SB_IG_XCF ? x : SB_IG_XCF)) : 0.5;
        bad[i] = !ok;
        act[i] = ok && x > 0.0 && x < __builtin_inf() ? (ser ? 1.0 : 2.0) : 0.0;
        any_s |= act[i] == 1;
        any_c |= act[i] == 2;
    }
    /* e^L in a loop of doubles alone (it vectorises there) */
    if (dbl) {
        #pragma omp simd
        for (int64_t i = 0; i < n; i++) {
            double as = A[i], xl = E[i];
            double l = as * sb_log(xl) - xl - sb_lgamma_acc(as);
            E[i] = sb_exp(l);
            /* e^L near or past double's underflow: left to the caller */
            bad[i] = l < -700.0 ? 1.0 : bad[i];
        }
    } else {
        #pragma omp simd
        for (int64_t i = 0; i < n; i++) {
            double as = A[i], xl = E[i];
            E[i] = sb_exp(as * sb_log(xl) - xl - sb_lgamma_pos(as));
        }
    }
    /* the lanes still open are kept packed at the front of the state
     * arrays (id: their elements), so that each round's work is that of
     * the open elements, not of the block's slowest one */
    int32_t id[SB_IG_BLK];
    int64_t m;
    if (any_s) {
        /* u / d: the sum; t / d: the last term; d rescaled to 1 every step */
        m = 0;
        for (int64_t i = 0; i < n; i++)
            if (act[i] == 1) {
                id[m] = (int32_t)i;
                sa[m] = A[i];
                sx[m] = X[i];
                u[m] = 1.0 / A[i];
                t[m] = u[m];
                m++;
            }
        for (int k = 1; k < SB_IG_ITERS && m; k += SB_IG_STEP) {
            int closed = 0;
            #pragma omp simd reduction(|:closed)
            for (int64_t i = 0; i < m; i++) {
                double a = sa[i] + (double)k, x = sx[i], uu = u[i], tt = t[i], dd = 1.0;
                /* SB_IG_STEP (8) steps, written out so that the i loop vectorises */
#define SB_IG_S(J) { double an = a + J; dd *= an; tt *= x; uu = uu * an + tt; }
                SB_IG_S(0.0) SB_IG_S(1.0) SB_IG_S(2.0) SB_IG_S(3.0)
                SB_IG_S(4.0) SB_IG_S(5.0) SB_IG_S(6.0) SB_IG_S(7.0)
#undef SB_IG_S
                double r = 1.0 / dd;
                u[i] = uu * r;
                t[i] = tt * r;
                int op = !(t[i] <= 1e-17 * u[i]);
                d[i] = op;
                closed |= !op;
            }
            if (!closed)
                continue;
            int64_t w = 0;
            for (int64_t i = 0; i < m; i++) {
                if (d[i] == 0.0) {
                    S[id[i]] = u[i];
                    continue;
                }
                id[w] = id[i];
                sa[w] = sa[i];
                sx[w] = sx[i];
                u[w] = u[i];
                t[w] = t[i];
                w++;
            }
            m = w;
        }
        /* not converged */
        for (int64_t i = 0; i < m; i++) {
            S[id[i]] = u[i];
            bad[id[i]] = 1.0;
        }
    }
    if (any_c) {
        m = 0;
        for (int64_t i = 0; i < n; i++)
            if (act[i] == 2) {
                double a = A[i], x = X[i];
                id[m] = (int32_t)i;
                sa[m] = a;
                sx[m] = x;
                a2[m] = 1.0;                    /* A_-1, B_-1 */
                b2[m] = 0.0;
                a1[m] = x + 1.0 - a;            /* A_0, B_0 */
                b1[m] = 1.0;
                m++;
            }
        for (int k = 1; k < SB_IG_ITERS && m; k += SB_IG_STEP) {
            int closed = 0;
            #pragma omp simd reduction(|:closed)
            for (int64_t i = 0; i < m; i++) {
                double a = sa[i], x = sx[i];
                double pa = a1[i], qa = a2[i], pb = b1[i], qb = b2[i], cv = 0.0, k0 = (double)k;
                /* SB_IG_STEP (8) steps, written out so that the i loop vectorises */
#define SB_IG_C(J)                                                             \
                {                                                              \
                    double m_ = k0 + J;                                        \
                    double an = m_ * (a - m_), bn = x + 2.0 * m_ + 1.0 - a;    \
                    double na = bn * pa + an * qa, nb = bn * pb + an * qb;     \
                    cv = __builtin_fabs(na * pb - pa * nb) <= 1e-16 * __builtin_fabs(na * pb); \
                    qa = pa;                                                   \
                    qb = pb;                                                   \
                    pa = na;                                                   \
                    pb = nb;                                                   \
                }
                SB_IG_C(0.0) SB_IG_C(1.0) SB_IG_C(2.0) SB_IG_C(3.0)
                SB_IG_C(4.0) SB_IG_C(5.0) SB_IG_C(6.0) SB_IG_C(7.0)
#undef SB_IG_C
                double r = 1.0 / pa;
                a1[i] = 1.0;
                a2[i] = qa * r;
                b1[i] = pb * r;
                b2[i] = qb * r;
                d[i] = cv;
                closed |= cv != 0.0;
            }
            if (!closed)
                continue;
            int64_t w = 0;
            for (int64_t i = 0; i < m; i++) {
                if (d[i] != 0.0) {
                    F[id[i]] = b1[i];           /* B_n / A_n, A_n rescaled to 1 */
                    continue;
                }
                id[w] = id[i];
                sa[w] = sa[i];
                sx[w] = sx[i];
                a1[w] = a1[i];
                a2[w] = a2[i];
                b1[w] = b1[i];
                b2[w] = b2[i];
                w++;
            }
            m = w;
        }
        for (int64_t i = 0; i < m; i++) {
            F[id[i]] = b1[i];
            bad[id[i]] = 1.0;
        }
    }
    int64_t nbad = 0;
    #pragma omp simd reduction(+:nbad)
    for (int64_t i = 0; i < n; i++) {
        double x = xp[i];
        double p = act[i] == 1 ? E[i] * S[i] : 1.0 - E[i] * F[i];
        double q = act[i] == 1 ? 1.0 - p : E[i] * F[i];
        p = x == 0.0 ? 0.0 : (x == __builtin_inf() ? 1.0 : p);
        q = x == 0.0 ? 1.0 : (x == __builtin_inf() ? 0.0 : q);
        /* float: Q = 1 - P below 1e-8 has lost too many digits; double: a
         * result 1 - s with s > 0.6 */
        int lost = dbl ? (act[i] == 1 ? upper && p > 0.6 : act[i] == 2 && !upper && q > 0.6)
                       : upper && act[i] == 1 && q < 1e-8;
        int b = bad[i] != 0.0 || lost;
        flag[i] = (uint8_t)b;
        nbad += b;
        o[i] = upper ? q : p;
    }
    return nbad;
}

/* per block, the elements with a or x negative or NaN are NaN here (as
 * PyTorch and scipy); the others, gathered, go through the block kernel */
int64_t ct_special_igamma(int upper, int dtype, const void *a, const void *x, void *out,
                          uint8_t *flag, int64_t count)
{
    int64_t i, nb, nbad = 0;
    if (dtype != 0 && dtype != 1)
        return -1;
    nb = (count + SB_IG_BLK - 1) / SB_IG_BLK;
    CT_PARALLEL_IF(count > 8192, "omp parallel for schedule(dynamic, 16) reduction(+:nbad)",
    for (i = 0; i < nb; i++) {
        int64_t lo = i * SB_IG_BLK, n = count - lo < SB_IG_BLK ? count - lo : SB_IG_BLK, m = 0;
        double da[SB_IG_BLK], dx[SB_IG_BLK], dout[SB_IG_BLK];
        uint8_t fl[SB_IG_BLK];
        int32_t idx[SB_IG_BLK];
        for (int64_t j = 0; j < n; j++) {
            double av = dtype ? ((const double *)a)[lo + j] : ((const float *)a)[lo + j];
            double xv = dtype ? ((const double *)x)[lo + j] : ((const float *)x)[lo + j];
            if (av < 0.0 || xv < 0.0 || av != av || xv != xv) {
                if (dtype) ((double *)out)[lo + j] = __builtin_nan("");
                else ((float *)out)[lo + j] = __builtin_nanf("");
                flag[lo + j] = 0;
                continue;
            }
            idx[m] = (int32_t)j;
            da[m] = av;
            dx[m] = xv;
            m++;
        }
        if (m == 0)
            continue;
        nbad += ct_sb_igamma_block(upper, dtype, da, dx, dout, fl, m);
        for (int64_t k = 0; k < m; k++) {
            flag[lo + idx[k]] = fl[k];
            if (dtype) ((double *)out)[lo + idx[k]] = dout[k];
            else ((float *)out)[lo + idx[k]] = (float)dout[k];
        }
    });
    return nbad;
}

/* ---- ndtri, the inverse of the normal distribution function -----------
 * in double: for |p - 1/2| <= SB_ND_Q, ndtri = q C(q^2), q = p - 1/2;
 * beyond, with m = min(p, 1 - p) and t = sqrt(-log m), ndtri = -+T(t), T
 * a polynomial on each of a few pieces of t's range: three for float32 p
 * (t in [1.26, 10.2]), four of higher degrees for float64 p (t in [1.26,
 * 27.3], the smallest denormal; the first takes in m >= 1.2e-4). C and T
 * are Chebyshev interpolants (fitted at high precision; the relative
 * error with the rounding of Horner's scheme in double at each table:
 * below float's rounding for the float pieces, 1 to 4 ulp of double for C
 * and the double pieces; float64 results within 5 ulp of the exact ones,
 * with the log's rounding). p = 0: -inf, p = 1: +inf, outside [0, 1] and
 * NaN: NaN. */
#define SB_ND_Q 0.3
/* ndtri(1/2 + q) / q in u = q^2, as a polynomial in 2u / 0.09 - 1, on [0, 0.09]: 1.1e-16 */
static const double nd_c[17] = {
    2.638092834323769, 0.14672381961923803, 0.01748479505840252,
    0.0025874528846428963, 0.00042463213345650657, 7.404250220952964e-05,
    1.3435015549352427e-05, 2.5073358659160137e-06, 4.778320395067716e-07,
    9.254562421624977e-08, 1.8156336241412323e-08, 3.6017267703036105e-09,
    7.204241478280716e-10, 1.428577031133013e-10, 2.8888944105440866e-11,
    7.191687519908105e-12, 1.4910055526710926e-12,
};
/* -ndtri(e^(-t^2)) as a polynomial in (2t - a - b) / (b - a), on t in [1.26, 2.2]: 4.8e-16 */
static const double nd_t0[17] = {
    1.6434801509673231, 0.7888319604584614, -0.02291321377207276,
    0.004563122296182076, -0.0009533270468064926, 0.0002065252940543219,
    -4.6087740881122424e-05, 1.0542394012882624e-05, -2.461619742318295e-06,
    5.845746693359672e-07, -1.4077927607652695e-07, 3.4375230808781835e-08,
    -8.4607418293849e-09, 2.013725216029108e-09, -4.994073063934725e-10,
    1.7355366223479766e-10, -4.46538556049613e-11,
};
/* -ndtri(e^(-t^2)) as a polynomial in (2t - a - b) / (b - a), on t in [2.2, 4.4]: 3.8e-15 */
static const double nd_t1[17] = {
    4.12367504624242, 1.671407867226982, -0.02868449497124572,
    0.007549246595646066, -0.0020553230724266206, 0.0005724180287892517,
    -0.0001621779927970457, 4.660128309510931e-05, -1.3555596353263138e-05,
    3.984771662833411e-06, -1.1832864322030227e-06, 3.578472966297452e-07,
    -1.0839137096768208e-07, 2.9505520954996206e-08, -8.86541185668187e-09,
    4.719469694573124e-09, -1.5042795740321484e-09,
};
/* -ndtri(e^(-t^2)) as a polynomial in (2t - a - b) / (b - a), on t in [4.4, 10.2]: 4.3e-14 */
static const double nd_t2[17] = {
    10.00581279191691, 4.190481368232742, -0.02842748690214697,
    0.00951394963714173, -0.0032724123626902703, 0.0011455291643463717,
    -0.0004059748356862316, 0.00014521969019342317, -5.2318362099254074e-05,
    1.8911560108043024e-05, -6.8789471877119656e-06, 2.602359565488131e-06,
    -9.637378192839587e-07, 2.612968979440902e-07, -9.122191496534151e-08,
    8.729235785538434e-08, -3.3773191437753594e-08,
};

/* -ndtri(e^(-t^2)) as a polynomial in (2t - a - b) / (b - a), on t in [1.26, 3]: 4.9e-16 */
static const double nd_d0[25] = {
    2.300620506355697, 1.4028038492895047, -0.04939973313705881,
    0.015170614672933808, -0.0048574316340829924, 0.0016034717813919299,
    -0.0005426118114534414, 0.00018753482220732823, -6.600180416622289e-05,
    2.3592810021559573e-05, -8.545607117507147e-06, 3.130161940191607e-06,
    -1.1574256740574232e-06, 4.3131845756655063e-07, -1.618772352495677e-07,
    6.134639111572406e-08, -2.3282883275616137e-08, 8.535314901730475e-09,
    -3.263931146329386e-09, 1.5879076520799308e-09, -6.137467605988504e-10,
    2.7131994388919407e-11, -9.796241254576974e-12, 8.017206139452881e-11,
    -3.132470399405319e-11,
};
/* -ndtri(e^(-t^2)) as a polynomial in (2t - a - b) / (b - a), on t in [3, 6]: 3e-16 */
static const double nd_d1[23] = {
    5.920458342160393, 2.220076621055046, -0.02530389529794398,
    0.006855378945960004, -0.0019154512423088577, 0.0005459938946736266,
    -0.00015788345131852706, 4.6166734057880505e-05, -1.3624805214105574e-05,
    4.0533347214453435e-06, -1.2145672307144457e-06, 3.6635089280025894e-07,
    -1.1118282281716903e-07, 3.394165615098704e-08, -1.0415093420602049e-08,
    3.2015891838829955e-09, -9.916810996234916e-10, 3.197383224330032e-10,
    -9.990218194885089e-11, 2.3405286954372142e-11, -7.331418788201464e-12,
    5.4703964980625825e-12, -1.7338251930388195e-12,
};
/* -ndtri(e^(-t^2)) as a polynomial in (2t - a - b) / (b - a), on t in [6, 12]: 4e-16 */
static const double nd_d2[19] = {
    12.454128856543234, 4.308480834812216, -0.017861182070501636,
    0.00507956270317769, -0.001482643354186168, 0.0004400543881588033,
    -0.00013215155049431046, 4.0034032020286626e-05, -1.2210383970399228e-05,
    3.744614779055213e-06, -1.1535007478838684e-06, 3.5631612542139866e-07,
    -1.105386681086028e-07, 3.4950488957327114e-08, -1.0905087971778658e-08,
    2.899877539692112e-09, -9.074761720997066e-10, 5.399930363396151e-10,
    -1.7024008892836793e-10,
};
/* -ndtri(e^(-t^2)) as a polynomial in (2t - a - b) / (b - a), on t in [12, 27.5]: 2.2e-16 */
static const double nd_d3[21] = {
    27.778337358664153, 11.006051461069012, -0.015322978772686421,
    0.005321491678933989, -0.0018882611321655576, 0.000679318633738298,
    -0.0002467691472490297, 9.029190581151311e-05, -3.3224012322149444e-05,
    1.2280246957558374e-05, -4.5560761531846215e-06, 1.6968165728988207e-06,
    -6.331867255524978e-07, 2.3437779092264894e-07, -8.782588709846068e-08,
    3.6134411331861116e-08, -1.3594945269517004e-08, 2.607375853394131e-09,
    -9.790064227395607e-10, 1.4856107729025318e-09, -5.620985577143262e-10,
};

CT_FM_INLINE double sb_nd_piece(const double *c, int nc, double t, double a, double b)
{
    double s = t * (2.0 / (b - a)) - (a + b) / (b - a), h = c[nc - 1];
    _Pragma("GCC unroll 32")
    for (int j = nc - 2; j >= 0; j--)
        h = h * s + c[j];
    return h;
}

/* the tail pieces: X(bit, table, a, b, from, to); each piece serves t in
 * [from, to) (the first from and the last to take in all t of the type) */
#define SB_ND_PIECES_F(X)                                                      \
    X(0, nd_t0, 1.26, 2.2, 1.0, 2.2) X(1, nd_t1, 2.2, 4.4, 2.2, 4.4)           \
    X(2, nd_t2, 4.4, 10.2, 4.4, 11.0)
#define SB_ND_PIECES_D(X)                                                      \
    X(0, nd_d0, 1.26, 3.0, 1.0, 3.0) X(1, nd_d1, 3.0, 6.0, 3.0, 6.0)           \
    X(2, nd_d2, 6.0, 12.0, 6.0, 12.0) X(3, nd_d3, 12.0, 27.5, 12.0, 28.0)
#define SB_ND_FLAG(K, C, A, B, LO, HI) pc |= (int)(t >= LO && t < HI) << K;
#define SB_ND_PASS(K, C, A, B, LO, HI)                                         \
    if (pc >> K & 1) {                                                         \
        _Pragma("omp simd")                                                    \
        for (int64_t j = 0; j < nt; j++) {                                     \
            double t = T[j];                                                   \
            int in = t >= LO && t < HI;                                        \
            double r = sb_nd_piece(C, (int)(sizeof(C) / sizeof(C[0])), in ? t : A, A, B); \
            R[j] = in ? r : R[j];                                              \
        }                                                                      \
    }

/* the central polynomial first; then the block's tail elements (outside
 * the central interval, inside (0, 1)) gathered -- a fraction of the
 * block, so that their log and pieces do not run over all of it -- their
 * t in a loop of doubles alone, each piece that they have, and the results
 * put back in their places. Denormal m (double only) are scaled by 2^64
 * for the log. */
#define SB_NDTRI_LOOP(NAME, TY, PIECES)                                        \
void NAME(const TY *x, TY *o, int64_t count);                                  \
CT_MULTIVERSION void NAME(const TY *x, TY *o, int64_t count)                   \
{                                                                              \
    double T[SB_BLK], R[SB_BLK];                                               \
    int64_t at[SB_BLK];                                                        \
    for (int64_t b0 = 0; b0 < count; b0 += SB_BLK) {                           \
        int64_t n = count - b0 < SB_BLK ? count - b0 : SB_BLK;                 \
        const TY *xb = x + b0;                                                 \
        TY *ob = o + b0;                                                       \
        int tail = 0;                                                          \
        _Pragma("omp simd reduction(|:tail)")                                  \
        for (int64_t i = 0; i < n; i++) {                                      \
            double p = xb[i], q = p - 0.5;                                     \
            int in = __builtin_fabs(q) <= SB_ND_Q;                             \
            tail |= !in;                                                       \
            double qc = in ? q : 0.0, h;                                       \
            SB_HORNER(nd_c, 17, qc * qc * (2.0 / (SB_ND_Q * SB_ND_Q)) - 1.0, h); \
            double r = qc * h;                                                 \
            r = p == 0.0 ? -__builtin_inf() : r;                               \
            r = p == 1.0 ? __builtin_inf() : r;                                \
            r = (p >= 0.0 && p <= 1.0) ? r : __builtin_nan("");                \
            ob[i] = (TY)r;                                                     \
        }                                                                      \
        if (!tail)                                                             \
            continue;                                                          \
        int64_t nt = 0;                                                        \
        for (int64_t i = 0; i < n; i++) {                                      \
            double p = xb[i];                                                  \
            double m = p < 0.5 ? p : 1.0 - p;                                  \
            at[nt] = i;                                                        \
            T[nt] = m;                                                         \
            nt += m > 0.0 && !(__builtin_fabs(p - 0.5) <= SB_ND_Q);            \
        }                                                                      \
        int pc = 0;                                                            \
        _Pragma("omp simd reduction(|:pc)")                                    \
        for (int64_t j = 0; j < nt; j++) {                                     \
            double m = T[j];                                                   \
            int sub = m < 0x1p-1022;                                           \
            double l = sb_log(sub ? m * 0x1p64 : m) - (sub ? 44.3614195558365 : 0.0); \
            double t = __builtin_sqrt(-l);                                     \
            T[j] = t;                                                          \
            PIECES(SB_ND_FLAG)                                                 \
        }                                                                      \
        PIECES(SB_ND_PASS)                                                     \
        for (int64_t j = 0; j < nt; j++) {                                     \
            int64_t i = at[j];                                                 \
            ob[i] = (TY)(xb[i] < 0.5 ? -R[j] : R[j]);                          \
        }                                                                      \
    }                                                                          \
}
SB_NDTRI_LOOP(ct_sb_ndtri_f_loop, float, SB_ND_PIECES_F)
SB_NDTRI_LOOP(ct_sb_ndtri_d_loop, double, SB_ND_PIECES_D)
#undef SB_NDTRI_LOOP
#undef SB_ND_PASS
#undef SB_ND_FLAG

/* ---- the multivariate log-gamma function ------------------------------
 * mvlgamma(x, p) = p (p - 1) / 4 log(pi) + sum_j<p lgamma(x - j/2), in
 * double. lgamma(y) for y >= SB_MV_BIG by Stirling's series to the 1/y^13
 * term (truncation below 1e-15, relative 1e-16); below, by the recurrence
 * from r in [1, 3), y = r + n, lgamma(y) = lgamma(r) + log((y-1) ... (y-n))
 * (n > 0: y >= 3, r >= 2) or lgamma(r) - log(y) (n = -1: y < 1), with
 * lgamma(r) = (r - 1) (r - 2) h(r), h (mv_lg13) the Chebyshev
 * interpolant of degree 28 of lgamma(r) / ((r - 1) (r - 2)) on [1, 3]
 * in r - 2 (relative 3e-16, zeros at 1 and 2 included); the products of
 * four terms' recurrences multiplied before
 * their one log. Elements whose smallest y is below SB_MV_YMIN (the
 * products stay normal above), or x past SB_MV_XMAX, NaN and inf, go
 * through libm's lgamma. For p >= 2 the sum is above 0.3, so the terms'
 * absolute errors keep it within a few ulp. */
#define SB_MV_LOOP(NAME, T)                                                    \
void NAME(const T *x, T *o, int64_t count, int64_t p);                        \
CT_MULTIVERSION void NAME(const T *x, T *o, int64_t count, int64_t p)         \
{                                                                              \
    double S[SB_MV_BLK], NU[SB_MV_BLK], DE[SB_MV_BLK];                         \
    double c = (double)p * (double)(p - 1) * 0.28618247146235004;  /* log(pi) / 4 */ \
    double hm = 0.5 * (double)(p - 1);                                         \
    for (int64_t b0 = 0; b0 < count; b0 += SB_MV_BLK) {                        \
        int64_t n = count - b0 < SB_MV_BLK ? count - b0 : SB_MV_BLK;           \
        const T *xb = x + b0;                                                  \
        int rest = 0;                                                          \
        _Pragma("omp simd reduction(|:rest)")                                  \
        for (int64_t i = 0; i < n; i++) {                                      \
            double v = xb[i];                                                  \
            rest |= !(v - hm >= SB_MV_YMIN && v <= SB_MV_XMAX);                \
            S[i] = c;                                                          \
            NU[i] = 1.0;                                                       \
            DE[i] = 1.0;                                                       \
        }                                                                      \
        for (int64_t j = 0; j < p; j++) {                                      \
            double h = 0.5 * (double)j;                                        \
            int fold = (j & 3) == 3 || j == p - 1;                             \
            _Pragma("omp simd")                                                \
            for (int64_t i = 0; i < n; i++) {                                  \
                double v = xb[i];                                              \
                v = v - hm >= SB_MV_YMIN && v <= SB_MV_XMAX ? v : hm + 10.0;   \
                double y = v - h;                                              \
                int big = y >= SB_MV_BIG;                                      \
                double ys = big ? 2.5 : y;                                     \
                double fl = SB_RINT(ys);                                       \
                fl = fl > ys ? fl - 1.0 : fl;            /* floor */           \
                double k = ys < 1.0 ? -1.0 : (ys < 3.0 ? 0.0 : fl - 2.0);      \
                double r = ys - k, g;                                          \
                SB_HORNER(mv_lg13, 29, r - 2.0, g);                            \
                g *= (r - 1.0) * (r - 2.0);                                    \
                double up = k < 0.0 ? ys : 1.0;                                \
                double dn = (k >= 1.0 ? ys - 1.0 : 1.0) * (k >= 2.0 ? ys - 2.0 : 1.0) * \
                            (k >= 3.0 ? ys - 3.0 : 1.0) * (k >= 4.0 ? ys - 4.0 : 1.0) * \
                            (k >= 5.0 ? ys - 5.0 : 1.0);                       \
                double st = sb_stirling(big ? y : SB_MV_BIG);                  \
                double s = S[i] + (big ? st : g);                              \
                S[i] = s;                                                      \
                NU[i] *= dn;                                                   \
                DE[i] *= up;                                                   \
            }                                                                  \
            if (!fold)                                                         \
                continue;                                                      \
            /* a loop of its own: with the log in the loop above that one      \
             * stays scalar */                                                 \
            _Pragma("omp simd")                                                \
            for (int64_t i = 0; i < n; i++) {                                  \
                S[i] += sb_log(NU[i] / DE[i]);                                 \
                NU[i] = 1.0;                                                   \
                DE[i] = 1.0;                                                   \
            }                                                                  \
        }                                                                      \
        T *ob = o + b0;                                                        \
        _Pragma("omp simd")                                                    \
        for (int64_t i = 0; i < n; i++)                                        \
            ob[i] = (T)S[i];                                                   \
        if (rest)                                                              \
            for (int64_t i = 0; i < n; i++) {                                  \
                double v = xb[i];                                              \
                if (v - hm >= SB_MV_YMIN && v <= SB_MV_XMAX)                   \
                    continue;                                                  \
                double s = 0.0;                                                \
                for (int64_t j = 0; j < p; j++)                                \
                    s += lgamma(v - 0.5 * (double)j);                          \
                ob[i] = (T)(s + c);                                            \
            }                                                                  \
    }                                                                          \
}
SB_MV_LOOP(ct_sb_mvlgamma_f_loop, float)
SB_MV_LOOP(ct_sb_mvlgamma_d_loop, double)

int ct_special_mvlgamma(int dtype, const void *x, void *out, int64_t count, int64_t p)
{
    int64_t i, nb;
    if ((dtype != 0 && dtype != 1) || p < 1)
        return -1;
    nb = (count + 8191) / 8192;
    CT_PARALLEL_IF(count * p > 65536, "omp parallel for schedule(static)",
    for (i = 0; i < nb; i++) {
        int64_t lo = i * 8192, n = count - lo < 8192 ? count - lo : 8192;
        if (dtype)
            ct_sb_mvlgamma_d_loop((const double *)x + lo, (double *)out + lo, n, p);
        else
            ct_sb_mvlgamma_f_loop((const float *)x + lo, (float *)out + lo, n, p);
    });
    return 0;
}

/* ---- Hurwitz zeta -------------------------------------------------------
 * zeta(x, q) = sum_{k >= 0} (q + k)^-x by Euler-Maclaurin: the terms k < N
 * summed, the rest from w = q + N on as w^(1-x) (1/(x - 1) + 1/(2w) +
 * sum_{j=1}^{20} B_2j / (2j)! (x)_(2j-1) w^-2j), N the least with w >= 6.5
 * + x/2 (0 where q is that large already): there the 21st term is below
 * 2^-56 of the sum for every x > 1 (the ratio of successive terms is about
 * ((x + 2j) / (2 pi w))^2). Where fewer terms K = q (2^(64/x) - 1) (at
 * least 1) reach past the point where the rest, at most (q + K)^-x (1 + (q
 * + K) / (x - 1)), is below 2^-60 of the first term q^-x, the sum stops
 * there without the tail (large x): so N stays below 30 for every x. The
 * powers are exp(-x log a) with log a as a sum of two doubles (to about
 * 2^-63) and the product x log a carried exactly, so that their error does
 * not grow with x log a (within an ulp). Elements with x > 1 and ZT_VQ <= q
 * both finite go through vector passes, ordered by N in each block so that
 * the pass of term k runs over a prefix (those with more than k terms); the
 * rest go through zt_any, whose special values are PyTorch's: inf at x = 1,
 * NaN for x < 1, inf at q a non-positive integer (or -inf), NaN for q < 0
 * with x not an integer, NaN at q = +inf, and at x = +inf: 1 at q = 1, NaN
 * for q > 1, inf otherwise. */
#define ZT_VQ 9.332636185032189e-302        /* 2^-1000 */
#define ZT_BLK 256
/* the most terms an element of the vector passes sums one by one */
#define ZT_NMAX 60
#define ZT_LN2_HI 0.6931471805592082
#define ZT_LN2_LO 7.371002565167799e-13
static const double zt_bern[20] = {
    0.08333333333333333, -0.001388888888888889, 3.306878306878307e-05,
    -8.267195767195768e-07, 2.08767569878681e-08, -5.284190138687493e-10,
    1.3382536530684679e-11, -3.3896802963225827e-13, 8.586062056277845e-15,
    -2.174868698558062e-16, 5.5090028283602295e-18, -1.3954464685812522e-19,
    3.534707039629467e-21, -8.953517427037546e-23, 2.267952452337683e-24,
    -5.744790668872202e-26, 1.455172475614865e-27, -3.6859949406653103e-29,
    9.336734257095045e-31, -2.36502241570063e-32,
};

/* log a = hi + *lo for a positive normal finite (to about 2^-66): a = 2^e
 * m, m in [sqrt(1/2), sqrt(2)), log m = 2 atanh(s), s = (m - 1) / (m + 1)
 * carried as s + sl, its first term past 2s, 2/3 s^3, carried as two
 * doubles too, the rest of the series to s^23 (|s| <= 0.1716) in double */
CT_FM_INLINE double zt_log2(double a, double *lo)
{
    uint64_t u;
    memcpy(&u, &a, 8);
    uint64_t eb = (u - 0x3fe6a09e667f3bcdULL + 0x3ff0000000000000ULL) >> 52;   /* e + 1023 */
    uint64_t mu = u - ((eb - 1023) << 52), eu = eb + 0x4338000000000000ULL;
    double m, ed;
    memcpy(&m, &mu, 8);
    memcpy(&ed, &eu, 8);
    ed -= 6755399441055744.0 + 1023.0;
    double f = m - 1.0;
    double uh = 1.0 + m, ul = m - (uh - 1.0);           /* m + 1 = uh + ul */
    double s = f / uh;
    double sl = (__builtin_fma(-s, uh, f) - s * ul) / uh;
    double z = s * s, zl = __builtin_fma(s, s, -z);
    double s3 = s * z, s3l = __builtin_fma(s, z, -s3) + s * zl;
    /* 2/3 = c + cl */
    const double c = 0.6666666666666666, cl = 3.700743415417188e-17;
    double t3 = c * s3, t3l = __builtin_fma(c, s3, -t3) + (c * s3l + cl * s3);
    double p = 2.0 / 23;
    p = p * z + 2.0 / 21;
    p = p * z + 2.0 / 19;
    p = p * z + 2.0 / 17;
    p = p * z + 2.0 / 15;
    p = p * z + 2.0 / 13;
    p = p * z + 2.0 / 11;
    p = p * z + 2.0 / 9;
    p = p * z + 2.0 / 7;
    p = p * z + 2.0 / 5;
    /* e ln2_hi + 2s + 2/3 s^3, the first exact, by two two-sums */
    double a1 = ed * ZT_LN2_HI, a2 = s + s;
    double h = a1 + a2, bv = h - a1;
    double e1 = (a1 - (h - bv)) + (a2 - bv);
    double h2 = h + t3;
    bv = h2 - h;
    double e2 = (h - (h2 - bv)) + (t3 - bv);
    double l = (e1 + e2) + (ed * ZT_LN2_LO + ((sl + sl) + (t3l + 2.0 * z * sl + s3 * z * p)));
    double hh = h2 + l;                                  /* |l| < |h2| / 8 */
    *lo = (h2 - hh) + l;
    return hh;
}

/* e^(yh + yl), |yl| <= ulp(yh): 0 / inf past the double range */
CT_FM_INLINE double zt_exp2(double yh, double yl)
{
    yl = yh > -760.0 && yh < 760.0 ? yl : 0.0;
    yh = yh < -760.0 ? -760.0 : yh;
    yh = yh > 760.0 ? 760.0 : yh;
    double k = SB_RINT(yh * 1.4426950408889634);
    double r = ((yh - k * ZT_LN2_HI) - k * ZT_LN2_LO) + yl;
    double p = sb_exp_taylor(r);
    /* 2^k as 2^k1 2^k2, both normal for |k| <= 1097 */
    double k1 = SB_RINT(k * 0.5), k2 = k - k1;
    double b1d = k1 + 6755399441055744.0, b2d = k2 + 6755399441055744.0;
    uint64_t b1, b2;
    memcpy(&b1, &b1d, 8);
    memcpy(&b2, &b2d, 8);
    b1 = (b1 - 0x4338000000000000ULL + 1023) << 52;
    b2 = (b2 - 0x4338000000000000ULL + 1023) << 52;
    double s1, s2;
    memcpy(&s1, &b1, 8);
    memcpy(&s2, &b2, 8);
    return p * s1 * s2;
}

/* a^-x for a positive normal finite, x finite */
CT_FM_INLINE double zt_powm(double a, double x)
{
    double ll, lh = zt_log2(a, &ll);
    double yh = -x * lh;
    double yl = __builtin_fma(-x, lh, -yh) - x * ll;
    return zt_exp2(yh, yl);
}

/* sum_{k >= 0} (w + k)^-x by the Euler-Maclaurin tail, w >= 6.5 + x/2
 * finite, x > 1 */
CT_FM_INLINE double zt_tail(double x, double w)
{
    double x1 = x - 1.0;                                 /* exact */
    double iw = 1.0 / w, iw2 = iw * iw;
    double t = x * iw2, acc = zt_bern[0] * t;
    #pragma GCC unroll 20
    for (int j = 2; j <= 20; j++) {
        t *= ((x + (2 * j - 3)) * (x + (2 * j - 2))) * iw2;
        acc += zt_bern[j - 1] * t;
    }
    return zt_powm(w, x1) * ((1.0 / x1 + 0.5 * iw) + acc);
}

/* the elements the vector passes leave: special values, q < 0, q below
 * ZT_VQ */
static double zt_any(double x, double q)
{
    if (x == 1.0)
        return INFINITY;
    if (x < 1.0)
        return NAN;
    if (q <= 0.0) {
        if (q == floor(q))
            return INFINITY;
        if (x != floor(x))
            return NAN;
    }
    if (x != x || q != q || q == INFINITY)
        return NAN;
    if (x == INFINITY)
        return q == 1.0 ? 1.0 : (q > 1.0 ? NAN : INFINITY);
    /* x > 1 finite; q > 0, or q < 0 not an integer with x an integer: the
     * terms up to 6.5 + x/2 one by one, stopping early where the rest is
     * below 2^-56 of the sum (positive terms: the rest is at most t (1 +
     * a / (x - 1))), then the tail */
    double lim = 6.5 + 0.5 * x, s = 0.0, a = q;
    for (double k = 1.0; a < lim; k += 1.0) {
        double t = pow(a, -x);
        s += t;
        if (a > 0.0 && t * (1.0 + a / (x - 1.0)) <= 1.3877787807814457e-17 * s)
            return s;
        a = q + k;
    }
    return s + zt_tail(x, a);
}

void ct_zt_d_loop(const double *xp, int64_t sx, const double *qp, int64_t sq, double *o,
                  int64_t count);
CT_MULTIVERSION void ct_zt_d_loop(const double *xp, int64_t sx, const double *qp, int64_t sq,
                                  double *o, int64_t count)
{
    double xs[ZT_BLK], qs[ZT_BLK], s[ZT_BLK], x2[ZT_BLK], q2[ZT_BLK], s2[ZT_BLK];
    int32_t ir[ZT_BLK], nk[ZT_BLK], ord[ZT_BLK];
    int32_t cnt[ZT_NMAX + 2];
    for (int64_t b0 = 0; b0 < count; b0 += ZT_BLK) {
        int n = count - b0 < ZT_BLK ? (int)(count - b0) : ZT_BLK;
        int nr = 0, nmax = 0;
        for (int i = 0; i < n; i++) {
            double x = xp[(b0 + i) * sx], q = qp[(b0 + i) * sq];
            int ok = x > 1.0 && x <= 1.7976931348623157e308 && q >= ZT_VQ &&
                     q <= 1.7976931348623157e308;
            xs[i] = ok ? x : 2.0;
            qs[i] = ok ? q : 1.0;
        }
        /* per element: N and the tail (or none where the sum is cut) */
        #pragma omp simd reduction(max:nmax)
        for (int i = 0; i < n; i++) {
            double x = xs[i], q = qs[i];
            double v = (6.5 + 0.5 * x) - q;
            v = v < 1e9 ? v : 1e9;
            double c = SB_RINT(v);
            c += c < v ? 1.0 : 0.0;
            c = v > 0.0 ? c : 0.0;
            double kt = q * (zt_exp2(44.3614195558365 / x, 0.0) - 1.0);
            kt = kt < 1e9 ? kt : 1e9;
            double ck = SB_RINT(kt);
            ck += ck < kt ? 1.0 : 0.0;
            ck = ck > 1.0 ? ck : 1.0;
            int cut = ck < c;
            double nd = cut ? ck : c;
            double t = zt_tail(x, q + c);
            s[i] = cut ? 0.0 : t;
            int ni = (int)nd;
            nk[i] = ni;
            nmax = ni > nmax ? ni : nmax;
        }
        /* special values and (never expected) N past ZT_NMAX: zt_any */
        for (int i = 0; i < n; i++) {
            double x = xp[(b0 + i) * sx], q = qp[(b0 + i) * sq];
            int ok = x > 1.0 && x <= 1.7976931348623157e308 && q >= ZT_VQ &&
                     q <= 1.7976931348623157e308 && nk[i] <= ZT_NMAX;
            ir[nr] = i;
            nr += !ok;
            nk[i] = ok ? nk[i] : 0;
        }
        nmax = nmax < ZT_NMAX ? nmax : ZT_NMAX;
        /* the elements ordered by N, largest first: the pass of term k runs
         * over those with N > k, a prefix */
        memset(cnt, 0, sizeof(cnt));
        for (int i = 0; i < n; i++)
            cnt[nk[i]]++;
        int pos = 0;
        for (int k = nmax; k >= 0; k--) {
            int c = cnt[k];
            cnt[k] = pos;
            pos += c;
        }
        for (int i = 0; i < n; i++)
            ord[cnt[nk[i]]++] = i;
        /* cnt[k] is now the number of elements with N >= k */
        for (int j = 0; j < n; j++) {
            int i = ord[j];
            x2[j] = xs[i];
            q2[j] = qs[i];
            s2[j] = s[i];
        }
        for (int k = nmax - 1; k >= 0; k--) {
            int m = cnt[k + 1];
            double kd = (double)k;
            #pragma omp simd
            for (int j = 0; j < m; j++)
                s2[j] += zt_powm(q2[j] + kd, x2[j]);
        }
        for (int j = 0; j < n; j++)
            o[b0 + ord[j]] = s2[j];
        for (int j = 0; j < nr; j++) {
            int64_t i = b0 + ir[j];
            o[i] = zt_any(xp[i * sx], qp[i * sq]);
        }
    }
}

void ct_zt_f_loop(const float *xp, int64_t sx, const float *qp, int64_t sq, float *o,
                  int64_t count);
void ct_zt_f_loop(const float *xp, int64_t sx, const float *qp, int64_t sq, float *o,
                  int64_t count)
{
    double xd[ZT_BLK], qd[ZT_BLK], od[ZT_BLK];
    for (int64_t b0 = 0; b0 < count; b0 += ZT_BLK) {
        int n = count - b0 < ZT_BLK ? (int)(count - b0) : ZT_BLK;
        for (int i = 0; i < n; i++) {
            xd[i] = xp[(b0 + i) * sx];
            qd[i] = qp[(b0 + i) * sq];
        }
        ct_zt_d_loop(xd, 1, qd, 1, od, n);
        for (int i = 0; i < n; i++)
            o[b0 + i] = (float)od[i];
    }
}

int ct_special_zeta(int dtype, const void *x, int64_t sx, const void *q, int64_t sq, void *out,
                    int64_t count)
{
    if (dtype != 0 && dtype != 1)
        return -1;
    int64_t i, nb = (count + 4095) / 4096;
    CT_PARALLEL_IF(count > 4096, "omp parallel for schedule(static)",
    for (i = 0; i < nb; i++) {
        int64_t lo = i * 4096, n = count - lo < 4096 ? count - lo : 4096;
        if (dtype)
            ct_zt_d_loop((const double *)x + lo * sx, sx, (const double *)q + lo * sq, sq,
                         (double *)out + lo, n);
        else
            ct_zt_f_loop((const float *)x + lo * sx, sx, (const float *)q + lo * sq, sq,
                         (float *)out + lo, n);
    });
    return 0;
}

/* ---- the entry ------------------------------------------------------- */

typedef ct_special_block_fn sb_loop_fn;
#define SB_B(F) static void F##_b(const void *x, void *o, int64_t n) { F(x, o, n); }
SB_B(ct_sb_j0_f_loop) SB_B(ct_sb_j1_f_loop) SB_B(ct_sb_y0_f_loop) SB_B(ct_sb_y1_f_loop)
SB_B(ct_sb_ai_f_loop) SB_B(ct_sb_k0_f_loop) SB_B(ct_sb_k0e_f_loop) SB_B(ct_sb_k1_f_loop)
SB_B(ct_sb_k1e_f_loop) SB_B(ct_sb_k0_d_loop) SB_B(ct_sb_k0e_d_loop) SB_B(ct_sb_k1_d_loop)
SB_B(ct_sb_k1e_d_loop) SB_B(ct_sb_ndtri_f_loop) SB_B(ct_sb_ndtri_d_loop) SB_B(ct_sb_ai_d_loop)
SB_B(ct_sb_j0_d_loop) SB_B(ct_sb_j1_d_loop) SB_B(ct_sb_y0_d_loop) SB_B(ct_sb_y1_d_loop)

/* per function: the float32 and float64 loops (NULL: none) */
static const sb_loop_fn sb_fns[CT_SB_COUNT][2] = {
    [CT_SB_J0] = {ct_sb_j0_f_loop_b, ct_sb_j0_d_loop_b},
    [CT_SB_J1] = {ct_sb_j1_f_loop_b, ct_sb_j1_d_loop_b},
    [CT_SB_Y0] = {ct_sb_y0_f_loop_b, ct_sb_y0_d_loop_b},
    [CT_SB_Y1] = {ct_sb_y1_f_loop_b, ct_sb_y1_d_loop_b},
    [CT_SB_AIRY_AI] = {ct_sb_ai_f_loop_b, ct_sb_ai_d_loop_b},
    [CT_SB_K0] = {ct_sb_k0_f_loop_b, ct_sb_k0_d_loop_b},
    [CT_SB_K0E] = {ct_sb_k0e_f_loop_b, ct_sb_k0e_d_loop_b},
    [CT_SB_K1] = {ct_sb_k1_f_loop_b, ct_sb_k1_d_loop_b},
    [CT_SB_K1E] = {ct_sb_k1e_f_loop_b, ct_sb_k1e_d_loop_b},
    [CT_SB_NDTRI] = {ct_sb_ndtri_f_loop_b, ct_sb_ndtri_d_loop_b},
};

int ct_special_bessel(int code, const void *x, void *out, int64_t count)
{
    int fn = code >> 1, dt = code & 1;
    sb_loop_fn f;
    if (code < 0 || fn >= CT_SB_COUNT || (f = sb_fns[fn][dt]) == NULL)
        return -1;
    ct_special_blocks(f, dt ? sizeof(double) : sizeof(float), x, out, count, 32768);
    return 0;
}
