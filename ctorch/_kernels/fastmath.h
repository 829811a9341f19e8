/* Vectorisable versions of the few libm functions on hot paths.
 *
 * libm's expf is a call the compiler cannot vectorise; this one is plain
 * arithmetic (range reduction to [-ln2/2, ln2/2], a degree-7 polynomial,
 * and scaling by 2^k through the exponent bits), so `omp simd` loops over it
 * run a vector at a time. Error: under 1 ulp over the whole float range (checked against double exp).
 */
#ifndef CT_FASTMATH_H
#define CT_FASTMATH_H

#include <stdint.h>
#include <string.h>

/* Always inlined: the loops only vectorise with the body in them. GCC's
 * inliner would otherwise decide per translation unit, and in a small one
 * (a kernel family's .c file) its unit-growth limit can leave ct_expf an
 * out-of-line call that every element pays for (softmax did, 10x slower). */
#if defined(__GNUC__)
#define CT_FM_INLINE static inline __attribute__((always_inline))
#else
#define CT_FM_INLINE static inline
#endif

CT_FM_INLINE float ct_bits_to_float(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

/* x = k ln2 + r with |r| <= ln2/2: returns k (as a float), r in *r. k is
 * round(x / ln2) by the 1.5 * 2^23 trick (exact, branch free); ln2 = C1 + C2
 * with C1 short enough (9 bits) that k * C1 is exact. */
CT_FM_INLINE float ct_ln2_reduce(float x, float *r) {
    const float shift = 12582912.0f;
    float kf = (x * 1.44269502162933349609375f + shift) - shift;
    float rr = x - kf * 0.693359375f;
    *r = rr + kf * 2.12194440e-4f;
    return kf;
}

/* log(1 + f)'s series past its f^2/2 term, divided by f^3: the sum over
 * k = 3..n of (-1)^(k+1) f^(k-3) / k, by Horner from the top (n a constant
 * where it is inlined) */
CT_FM_INLINE double ct_log1p_tail_d(double f, int n) {
    double q = (n & 1 ? 1.0 : -1.0) / n;
    _Pragma("GCC unroll 16")
    for (int k = n - 1; k >= 3; k--)
        q = __builtin_fma(q, f, (k & 1 ? 1.0 : -1.0) / k);
    return q;
}

/* e^r = 1 + r + r^2 P(r) for |r| <= ln2/2, P of degree 5 (expm1(r) as
 * r + r^2 P(r): relative error under 7.5e-9) */
CT_FM_INLINE float ct_exp_p5(float r) {
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    return p * r + 5.0000001201e-1f;
}
CT_FM_INLINE float ct_exp_poly(float r) {
    float p = ct_exp_p5(r);
    p = p * r * r + r + 1.0f;
    return p;
}

CT_FM_INLINE float ct_expf(float x) {
    /* clamped to [-104, 89]: past those ends the scaling below overflows to
     * inf or underflows to 0 by itself, so no selects are needed afterwards
     * (NaN goes through as NaN: both comparisons are false) */
    float xc = 89.0f < x ? 89.0f : x;           /* the forms of minps / maxps */
    xc = -104.0f > xc ? -104.0f : xc;
    float r, kf = ct_ln2_reduce(xc, &r);
    float p = ct_exp_poly(r);
    /* 2^k in two halves so that results below 2^-126 come out as denormals
     * (rounded once, in the second product) and 2^128 as inf */
    int32_t k = (int32_t)kf;
    int32_t k1 = k >> 1, k2 = k - k1;          /* both in [-75, 64] */
    float s1 = ct_bits_to_float((uint32_t)(k1 + 127) << 23);
    float s2 = ct_bits_to_float((uint32_t)(k2 + 127) << 23);
    return p * s1 * s2;
}

/* exp for |x| < CT_EXP_SMALL, where the result is a normal float: the same
 * values as ct_expf with 2^k in one step and no clamps (the exp loop hands
 * the other elements, inf and NaN among them, to ct_expf in a second pass) */
#define CT_EXP_SMALL 87.0f
CT_FM_INLINE float ct_expf_small(float x) {
    float r, kf = ct_ln2_reduce(x, &r);
    float p = ct_exp_poly(r);
    return p * ct_bits_to_float((uint32_t)((int32_t)kf + 127) << 23);
}

CT_FM_INLINE uint32_t ct_float_to_bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

CT_FM_INLINE double ct_bits_to_double(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }
CT_FM_INLINE uint64_t ct_double_to_bits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }

/* Conversions between doubles and 64-bit integers have no vector
 * instruction below AVX-512 (AVX2 converts only to and from 32-bit
 * integers), and a loop with one of them stays scalar there. The double
 * kernels take the exponent field apart and put it back with these
 * instead, integer adds, shifts and logic, which AVX2 has. */

/* 2^k for an integer-valued double k in [-1022, 1023]: k + 1.5 * 2^52 is
 * exact and holds k in the low bits of its pattern (two's complement); 1023
 * added there and the sum shifted into the exponent field (the pattern's
 * high bits shift out) */
CT_FM_INLINE double ct_pow2i_d(double kf)
{
    return ct_bits_to_double((ct_double_to_bits(kf + 6755399441055744.0) + 1023) << 52);
}

/* (double)((int64_t)v >> 52), exactly: the top 12 bits of v offset by 2048
 * (v with its sign bit flipped, shifted logically), put in the low bits of
 * 2^52's pattern, and 2^52 + 2048 taken off */
CT_FM_INLINE double ct_sar52_d(uint64_t v)
{
    return ct_bits_to_double(((v ^ 0x8000000000000000ull) >> 52) | 0x4330000000000000ull) - 4503599627372544.0;
}

/* the low bits of an integer-valued double k with |k| < 2^51, as an
 * unsigned integer (k mod 2^64): for tests of k's parity and k mod 4 */
CT_FM_INLINE uint64_t ct_ilow_d(double kf)
{
    return ct_double_to_bits(kf + 6755399441055744.0);
}

/* The logarithms take x = m 2^e apart with m in [sqrt(1/2), sqrt(2)) and
 * f = m - 1 (eoff taken off e); log(1 + f) = f + f^2 (f P(f) - 1/2) with P
 * of degree 8 fitted (relative error of the sum under 8e-10 on that
 * interval, no more than a tenth of an ulp): no division, so
 * the vector loops run at the multiplier's rate. ct_log_split: f, and e in
 * *ef; the _fast forms take normal positive finite x only (CT_LOG_FAST),
 * the full ones scale denormals up first and give the special values. */
#define CT_LOG_FAST(x) ((x) >= 1.17549435e-38f && (x) < __builtin_inff())
CT_FM_INLINE float ct_log_split(float x, int32_t eoff, float *ef) {
    uint32_t u = ct_float_to_bits(x);
    /* subtracting sqrt(1/2)'s bits moves the exponent's step from 1 to
     * sqrt(1/2): the arithmetic shift gives e, the low bits put back give m */
    uint32_t v = u - 0x3f3504f3u;
    *ef = (float)(((int32_t)v >> 23) - eoff);
    return ct_bits_to_float((v & 0x007fffffu) + 0x3f3504f3u) - 1.0f;
}
/* log(1 + f) - f for f in [sqrt(1/2) - 1, sqrt(2) - 1] */
CT_FM_INLINE float ct_log1p_tail(float f) {
    float p = 0.067466013228535f;
    p = __builtin_fmaf(p, f, -0.11675641300242627f);
    p = __builtin_fmaf(p, f, 0.11888174598611954f);
    p = __builtin_fmaf(p, f, -0.12405591417566658f);
    p = __builtin_fmaf(p, f, 0.14219550908262374f);
    p = __builtin_fmaf(p, f, -0.1666799566707903f);
    p = __builtin_fmaf(p, f, 0.20002118732200863f);
    p = __builtin_fmaf(p, f, -0.2500000960365434f);
    p = __builtin_fmaf(p, f, 0.33333312602802856f);
    p = __builtin_fmaf(p, f, -0.5f);
    return (f * f) * p;
}
/* e ln2 + f + tail, ln2 in two parts (e times the 9-bit first part is exact) */
CT_FM_INLINE float ct_logf_fast_e(float x, int32_t eoff) {
    float ef, f = ct_log_split(x, eoff, &ef);
    float t = ct_log1p_tail(f);
    return __builtin_fmaf(ef, 0.693359375f, f + __builtin_fmaf(ef, -2.12194440e-4f, t));
}
/* e + (f + tail) log2(e), log2(e) as a float pair */
CT_FM_INLINE float ct_log2f_fast_e(float x, int32_t eoff) {
    float ef, f = ct_log_split(x, eoff, &ef);
    float t = ct_log1p_tail(f);
    const float hi = 1.44269502162933349609375f, lo = 1.925963033500011e-08f;
    return ef + __builtin_fmaf(f, hi, __builtin_fmaf(f, lo, t * hi));
}
/* e log10(2) + (f + tail) log10(e): log10(2) in two parts (e times the
 * 12-bit first is exact), log10(e) as a float pair */
CT_FM_INLINE float ct_log10f_fast_e(float x, int32_t eoff) {
    float ef, f = ct_log_split(x, eoff, &ef);
    float t = ct_log1p_tail(f);
    const float hi = 0.4342944920063018798828125f, lo = -1.0103049952192578e-08f;
    float l = __builtin_fmaf(f, hi, __builtin_fmaf(f, lo, t * hi));
    return __builtin_fmaf(ef, 0.301025390625f, __builtin_fmaf(ef, 4.605038981195214e-06f, l));
}
#define ct_logf_fast(x) ct_logf_fast_e(x, 0)
#define ct_log2f_fast(x) ct_log2f_fast_e(x, 0)
#define ct_log10f_fast(x) ct_log10f_fast_e(x, 0)
/* every x: denormals scaled by 2^23 (taken off e), then 0 -> -inf,
 * inf -> inf, negative or NaN -> NaN */
#define CT_LOG_FULL(NAME, FAST)                                                    \
CT_FM_INLINE float NAME(float x) {                                                 \
    int sub = x < 1.17549435e-38f;                                                 \
    float r = FAST(sub ? x * 8388608.0f : x, sub ? 23 : 0);                        \
    r = x == 0.0f ? -__builtin_inff() : r;                                         \
    r = x == __builtin_inff() ? x : r;                                             \
    return (x < 0.0f || x != x) ? __builtin_nanf("") : r;                          \
}
CT_LOG_FULL(ct_logf, ct_logf_fast_e)
CT_LOG_FULL(ct_log2f, ct_log2f_fast_e)
CT_LOG_FULL(ct_log10f, ct_log10f_fast_e)

/* log1p(x) = log(u) * x / (u - 1) with u = 1 + x rounded: the quotient
 * corrects the rounding of u (Goldberg); exact x where u rounds to 1 */
CT_FM_INLINE float ct_log1pf(float x) {
    float u = 1.0f + x;
    float d = u - 1.0f;
    float r = ct_logf(u) * (x / (d == 0.0f ? 1.0f : d));
    r = d == 0.0f ? x : r;
    return x == __builtin_inff() ? x : r;
}

/* expm1(x): x = k ln2 + r with |r| <= ln2/2, expm1(r) from its series to r^8
 * (truncation < 1e-9 relative), then 2^k expm1(r) + (2^k - 1), exact in the
 * subtraction for the small k where cancellation could matter */
/* expm1(r) for the reduced |r| <= ln2 / 2: r + r^2 q(r), q Taylor's */
CT_FM_INLINE float ct_expm1_poly(float r) {
    float q = 1.0f / 40320;
    q = q * r + 1.0f / 5040;
    q = q * r + 1.0f / 720;
    q = q * r + 1.0f / 120;
    q = q * r + 1.0f / 24;
    q = q * r + 1.0f / 6;
    q = q * r + 0.5f;
    return r + r * r * q;
}

CT_FM_INLINE float ct_expm1f(float x) {
    float xc = x > 88.72283935546875f ? 88.72283935546875f : (x < -17.5f ? -17.5f : x);
    float r, kf = ct_ln2_reduce(xc, &r);
    float p = ct_expm1_poly(r);                           /* expm1(r) */
    int32_t k = (int32_t)kf;
    int32_t ks = k > 25 ? 25 : k;
    float sc = ct_bits_to_float((uint32_t)(ks + 127) << 23);
    float small = sc * p + (sc - 1.0f);
    /* k > 25: the -1 is below half an ulp; 2^k in two halves (k up to 128) */
    int32_t k1 = k >> 1, k2 = k - k1;          /* both in [-75, 64] */
    float s1 = ct_bits_to_float((uint32_t)(k1 + 127) << 23);
    float s2 = ct_bits_to_float((uint32_t)(k2 + 127) << 23);
    float large = ((p + 1.0f) * s1) * s2;
    float res = k > 25 ? large : small;
    res = x > 88.72283935546875f ? __builtin_inff() : res;
    res = x < -17.5f ? -1.0f : res;
    return (x != x || x == 0.0f) ? x : res;
}

/* tanh(x) = e / (e + 2) with e = expm1(2a), a = min(|x|, 9.1), the sign
 * put back: 2a = k ln2 + r (k <= 27), expm1 = 2^k expm1(r) + (2^k - 1)
 * with expm1(r) = r + r^2 P(r) (exp's polynomial); past k = 24 the -1 is
 * below e's rounding, and the quotient rounds as tanh does near 1 (to
 * 1 - 2^-24 from 8.458 on, to 1 past 9.0109) with no selects. NaN and the
 * zeros are selected after (no branch). */
CT_FM_INLINE float ct_tanhf(float x) {
    float a = __builtin_fabsf(x);
    a = a > 9.1f ? 9.1f : a;
    float r, kf = ct_ln2_reduce(2.0f * a, &r);
    float p = r * r * ct_exp_p5(r) + r;                  /* expm1(r) */
    float sc = ct_bits_to_float((uint32_t)((int32_t)kf + 127) << 23);
    float e = sc * p + (sc - 1.0f);
    float t = e / (e + 2.0f);
    t = __builtin_copysignf(t, x);
    return (x != x || x == 0.0f) ? x : t;
}

/* erf(x) in float, within 1.3 ulp of erf's true value over every float:
 * below |x| = 0.9, x (c0 + x^2 Q(x^2)) with 2/sqrt(pi) = c0 split in two
 * floats so that its rounding does not show; from 0.9, 1 - exp(-x^2) P(1/x),
 * P fitted to erfcx = erfc(x) exp(x^2), x^2 carried as a float pair
 * (exp(-z - zl) = exp(-z) (1 - zl)); 1 from 3.92, where erf rounds to 1.
 * Both forms are computed and one selected, so the loops vectorise. */
CT_FM_INLINE float ct_erff(float x) {
    float a = __builtin_fabsf(x), z = a * a;
    float q = 8.567549323458681e-05f;
    q = __builtin_fmaf(q, z, -0.0008189580991790424f);
    q = __builtin_fmaf(q, z, 0.0052052225942744714f);
    q = __builtin_fmaf(q, z, -0.02686114198892277f);
    q = __builtin_fmaf(q, z, 0.11283729121202048f);
    q = __builtin_fmaf(q, z, -0.3761263628845713f);
    float t = __builtin_fmaf(z, q, -5.863538343753305e-08f);
    float small = __builtin_fmaf(a, 1.128379225730896f, a * t);
    float u = 1.0f / a;
    float p = -0.000351058044263642f;
    p = __builtin_fmaf(p, u, 0.00980225969083927f);
    p = __builtin_fmaf(p, u, -0.06921712954763852f);
    p = __builtin_fmaf(p, u, 0.24567101407520028f);
    p = __builtin_fmaf(p, u, -0.5276976544586987f);
    p = __builtin_fmaf(p, u, 0.7238837201660073f);
    p = __builtin_fmaf(p, u, -0.5851213495147908f);
    p = __builtin_fmaf(p, u, 0.07686719484400441f);
    p = __builtin_fmaf(p, u, 0.5530303344815508f);
    p = __builtin_fmaf(p, u, 0.0007162444079814762f);
    float zl = __builtin_fmaf(a, a, -z);
    /* past a = 3.92 the result is 1 whatever e is: z clamped to 16 keeps
     * exp(-z) a normal float, where the shorter ct_expf_small gives
     * ct_expf's values (a NaN a is returned as itself below) */
    float zc = z < 16.0f ? z : 16.0f;
    float e = ct_expf_small(-zc) * (1.0f - zl);
    float large = __builtin_fmaf(-e, p, 1.0f);
    large = a > 3.92f ? 1.0f : large;
    float r = a < 0.9f ? small : large;
    r = __builtin_copysignf(r, x);
    return x != x ? x : r;
}

/* sin and cos for |x| < 2^19: x = k pi/2 + r in double (pi/2 in two parts:
 * k pi/2_hi is exact for these k), |r| <= pi/4, then sin r and cos r by
 * polynomials of degree 7 and 8 fitted on [0, pi/4] (relative error 4e-9
 * and 1.2e-10, under a tenth of a float ulp; the double evaluation adds
 * nothing), picked and signed by k mod 4.
 * Larger |x| need a longer pi/2: the loops hand those to libm (CT_TRIG_BIG). */
#define CT_TRIG_BIG 524288.0f
/* the reduced argument's sine and cosine (in *s, *c); returns k mod 4 */
CT_FM_INLINE int32_t ct_sincos_core(float xf, double *s, double *c) {
    double x = xf;
    double kd = __builtin_round(x * 0.63661977236758134);
    double r = (x - kd * 1.5707963267341256) - kd * 6.077100506506192e-11;
    double z = r * r;
    double sn = -1.9515283295871476e-4;
    sn = sn * z + 8.332160762772742e-3;
    sn = sn * z - 0.16666654609566714;
    *s = r + r * z * sn;
    double cs = 2.4433156920155287e-05;
    cs = cs * z - 1.3887316252946427e-3;
    cs = cs * z + 4.166664568294042e-2;
    *c = 1.0 - z * 0.5 + z * z * cs;
    return (int32_t)kd;
}

/* sin or cos for |x| < CT_TRIG_FAST, all in float (sixteen lanes): x = k
 * pi/2 + r with pi/2 in three floats, the first step exact (k P1 and x are
 * multiples of 2^-23 within 2 of each other), the second exact as two
 * floats (product and difference with their errors), so that r + rl
 * carries the reduced argument to ~2^-48 even when x is near k pi/2; then
 * sin = r + (rl + r z S(z)), cos = (1 - z/2) + (its rounding error + z^2
 * C(z) - r rl), with the polynomials of ct_sincos_core. Under 0.9 float
 * ulp. Larger |x| take the double reduction (ct_sincosf_mid). */
#define CT_TRIG_FAST 8192.0f
/* the reduction: r + rl (returned in *rp, *rlp) and k */
CT_FM_INLINE float ct_trig_reduce_f(float x, float *rp, float *rlp) {
    float k = __builtin_rintf(x * 0.636619772f);
    float r1 = __builtin_fmaf(-k, 0x1.921fb6p+0f, x);
    /* k P2 = p + pl exactly, r1 - p = r2 + e exactly (two-sum) */
    float p = k * -0x1.777a5cp-25f, pl = __builtin_fmaf(k, -0x1.777a5cp-25f, -p);
    float r2 = r1 - p, bb = r2 - r1;
    float e = (r1 - (r2 - bb)) - (p + bb);
    float rl = __builtin_fmaf(-k, -0x1.ee59dap-50f, e - pl);
    float r = r2 + rl;
    *rlp = rl - (r - r2);
    *rp = r;
    return k;
}

CT_FM_INLINE float ct_sincosf_fast(float x, int cosine) {
    float r, rl;
    float k = ct_trig_reduce_f(x, &r, &rl);
    float z = r * r;
    float ps = __builtin_fmaf(__builtin_fmaf(-1.9515283e-4f, z, 8.3321608e-3f), z, -0.16666655f);
    float sn = r + __builtin_fmaf(r * z, ps, rl);
    float pc = __builtin_fmaf(__builtin_fmaf(2.4433157e-05f, z, -1.3887316e-3f), z, 4.1666646e-2f);
    float hz = 0.5f * z, w = 1.0f - hz;
    float cs = w + (((1.0f - w) - hz) + __builtin_fmaf(z * z, pc, -r * rl));
    int32_t q = (int32_t)k + cosine;
    float v = (q & 1) ? cs : sn;
    v = (q & 2) ? -v : v;
    /* sin(-0) is -0; keep zeros as they are */
    return (!cosine && x == 0.0f) ? x : v;
}

/* tan for |x| < CT_TRIG_FAST: the same reduction, tan r = r + (r z T(z) +
 * rl (1 + z)) with T fitted on [0, (pi/4)^2] (relative error 3e-9), kept as
 * two floats t + tl; for odd k, -1 / (t + tl) with one Newton correction of
 * the float quotient. Under 1.2 float ulp. */
CT_FM_INLINE float ct_tanf_fast(float x) {
    float r, rl;
    float k = ct_trig_reduce_f(x, &r, &rl);
    float z = r * r;
    float P = __builtin_fmaf(z, 0.004363266751170158f, 0.00011668289516819641f);
    P = __builtin_fmaf(P, z, 0.010813888162374496f);
    P = __builtin_fmaf(P, z, 0.02129075862467289f);
    P = __builtin_fmaf(P, z, 0.054058268666267395f);
    P = __builtin_fmaf(P, z, 0.13332676887512207f);
    P = __builtin_fmaf(P, z, 0.33333349227905273f);
    float s = __builtin_fmaf(r * z, P, __builtin_fmaf(rl, z, rl));
    float t = r + s, tl = s - (t - r);
    float y = 1.0f / t;
    float inv = __builtin_fmaf(y, __builtin_fmaf(-y, t, 1.0f) - y * tl, y);
    float v = ((int32_t)k & 1) ? -inv : t;
    return x == 0.0f ? x : v;
}

/* the double reduction and polynomials for CT_TRIG_FAST <= |x| < 2^19 */
CT_FM_INLINE float ct_sincosf_small(float xf, int cosine) {
    double sn, cs;
    int32_t q = ct_sincos_core(xf, &sn, &cs) + cosine;
    double v = (q & 1) ? cs : sn;
    v = (q & 2) ? -v : v;
    return (!cosine && xf == 0.0f) ? xf : (float)v;
}

/* tan = sin / cos of the reduced argument (-cos / sin for odd k), the
 * quotient in double */
CT_FM_INLINE float ct_tanf_small(float xf) {
    double sn, cs;
    int32_t q = ct_sincos_core(xf, &sn, &cs);
    double v = (q & 1) ? -cs / sn : sn / cs;
    return xf == 0.0f ? xf : (float)v;
}

/* asin and acos in float. v = |x| up to 1/2, else v = sqrt((1 - |x|) / 2)
 * (then asin|x| = pi/2 - 2 asin v); asin v = v + t with t = v z P(z),
 * z = v^2 in [0, 1/4], P of degree 4 fitted (relative error 5e-9). Where v
 * is a square root, t also carries v's rounding error, (z - v^2) / (2 v),
 * 1/v from the bit trick alone (to 3.5%: the correction, under half an
 * ulp of v, needs only a few bits). Returns whether v is the square root. */
CT_FM_INLINE int ct_asin_core(float a, float *v, float *t) {
    int big = a > 0.5f;
    float zb = 0.5f - 0.5f * a;                 /* exact from 1/2 up */
    float z = big ? zb : a * a;
    float s = __builtin_sqrtf(zb);
    float y = ct_bits_to_float(0x5f3759dfu - (ct_float_to_bits(zb) >> 1));
    float slo = __builtin_fmaf(-s, s, zb) * (0.5f * y);
    float vv = big ? s : a;
    float p = 0.04216629614657003f;
    p = __builtin_fmaf(p, z, 0.02417952117187871f);
    p = __builtin_fmaf(p, z, 0.04547037490442537f);
    p = __builtin_fmaf(p, z, 0.07495297647728645f);
    p = __builtin_fmaf(p, z, 0.1666675248208839f);
    *t = __builtin_fmaf(vv * z, p, big ? slo : 0.0f);
    *v = vv;
    return big;
}
/* C + K (v + t), C a constant as a float pair, K in {1, -1, 2, -2} (K v
 * exact): C_hi + K v and its rounding error by Fast2Sum (|C_hi| >= |K v|
 * wherever C_hi is not 0), then the low parts; one rounding at the end */
CT_FM_INLINE float ct_asin_finish(float chi, float clo, float k, float v, float t) {
    float h = __builtin_fmaf(k, v, chi);
    float err = __builtin_fmaf(k, v, chi - h);
    return h + (err + __builtin_fmaf(k, t, clo));
}
#define CT_PIO2_HI 1.57079637050628662109375f
#define CT_PIO2_LO -4.37113900018624283e-8f
/* asin|x| = v + t (small), pi/2 - 2 (v + t) (big), the sign put back;
 * NaN outside [-1, 1] (and for NaN) */
CT_FM_INLINE float ct_asinf(float x) {
    float v, t, a = __builtin_fabsf(x);
    int big = ct_asin_core(a, &v, &t);
    float r = ct_asin_finish(big ? CT_PIO2_HI : 0.0f, big ? CT_PIO2_LO : 0.0f,
                             big ? -2.0f : 1.0f, v, t);
    r = __builtin_copysignf(r, x);
    return a <= 1.0f ? r : __builtin_nanf("");
}
/* acos x = pi/2 -+ (v + t) (small), 2 (v + t) (big, x > 0),
 * pi - 2 (v + t) (big, x < 0) */
CT_FM_INLINE float ct_acosf(float x) {
    float v, t, a = __builtin_fabsf(x);
    int big = ct_asin_core(a, &v, &t);
    int neg = x < 0.0f;
    float chi = big ? (neg ? 2.0f * CT_PIO2_HI : 0.0f) : CT_PIO2_HI;
    float clo = big ? (neg ? 2.0f * CT_PIO2_LO : 0.0f) : CT_PIO2_LO;
    /* K: 2 with x's sign (big), 1 with the opposite sign (small) */
    float k = __builtin_copysignf(big ? 2.0f : 1.0f, big ? x : -x);
    float r = ct_asin_finish(chi, clo, k, v, t);
    return a <= 1.0f ? r : __builtin_nanf("");
}

/* atan(x) in float: a = |x| and 1 ordered by size (num <= den), then
 * folded as atan2 does, t = (num - den) / (num + den) past tan(pi/8), else
 * num / den (one division, by 1 / s); t's error tl from the residual
 * (num - den) - t (num + den), the sum and difference each a float and its
 * rounding error (Fast2Sum), so that t + tl is the exact quotient to about
 * 2^-48;
 * atan|x| = off + g (t + tl + t z P(z)), z = t^2, P of degree 4 fitted on
 * [0, tan(pi/8)^2] (relative error 7e-10), off 0, pi/4 or pi/2 as float
 * pairs and g = -1 above 1, with off + g t and its rounding error by
 * Fast2Sum (|t| < pi/4 <= off where off is not 0): one rounding at the end.
 * NaN goes through the arithmetic; an infinity gives t = 0, pi/2. */
/* P, highest coefficient first; pi/4 as a float pair */
static const float ct_atanf_p[5] = {
    -0.06083450838923454f, 0.10596000403165817f, -0.14243848621845245f, 0.19998489320278168f,
    -0.33333316445350647f,
};
#define CT_PIO4F_HI 0.785398185253143310546875f
#define CT_PIO4F_LO -2.18556950009312142e-8f
/* atan(num / den), 0 <= num <= den (den may be infinite), as
 * pi/4 [*fold] + t + *rest */
CT_FM_INLINE float ct_atanf_parts(float num, float den, int *fold, float *rest) {
    int f = num > 0.41421356237309503f * den;
    /* num - den and num + den with their rounding errors (Fast2Sum, den >= num) */
    float nn = f ? num - den : num, s = f ? num + den : den;
    float nl = f ? num - (nn + den) : 0.0f, sl = f ? num - (s - den) : 0.0f;
    float q = 1.0f / s, t = nn * q;
    /* the residual with s at most FLT_MAX: 0 (not NaN) where s is inf, t 0 */
    float sf = s < 3.40282347e38f ? s : 3.40282347e38f;     /* (fminf does not vectorise) */
    float e = __builtin_fmaf(-t, sf, nn) + (nl - t * sl);
    float tl = e * q;
    float z = t * t;
    float p = __builtin_fmaf(ct_atanf_p[0], z, ct_atanf_p[1]);
    p = __builtin_fmaf(p, z, ct_atanf_p[2]);
    p = __builtin_fmaf(p, z, ct_atanf_p[3]);
    p = __builtin_fmaf(p, z, ct_atanf_p[4]);
    *rest = __builtin_fmaf(t * z, p, tl);
    *fold = f;
    return t;
}
/* off + g (t + rest), off = oh + ol, g = +-1, rounded once: off + g t and
 * its error by Fast2Sum (|t| < pi/4 <= oh unless oh = 0) */
CT_FM_INLINE float ct_atanf_finish(float t, float rest, float oh, float ol, float g) {
    float h = __builtin_fmaf(g, t, oh);
    float err = (oh - h) + g * t;
    return h + (err + __builtin_fmaf(g, rest, ol));
}
CT_FM_INLINE float ct_atanf(float x) {
    float a = __builtin_fabsf(x);
    int big = a > 1.0f, fold;
    float rest, t = ct_atanf_parts(big ? 1.0f : a, big ? a : 1.0f, &fold, &rest);
    float oh = big ? (fold ? CT_PIO4F_HI : CT_PIO2_HI) : (fold ? CT_PIO4F_HI : 0.0f);
    float ol = big ? (fold ? CT_PIO4F_LO : CT_PIO2_LO) : (fold ? CT_PIO4F_LO : 0.0f);
    float r = ct_atanf_finish(t, rest, oh, ol, big ? -1.0f : 1.0f);
    return __builtin_copysignf(r, x);
}

/* atan2(y, x) in float: num <= den the smaller and larger of |y| and |x|
 * (both scaled by a power of 2 where num + den could overflow, or where num
 * is so small that t's residual would lose bits to underflow), atan(num / den)
 * by ct_atanf_parts, then the quadrant: off = k pi/4, k = fold, 2 - that
 * where |y| > |x|, 4 - that where x is negative (or -0), as a float pair from
 * pi/4's, and g = -1 where one of those two holds (selects and arithmetic
 * only, so that GCC vectorises it). Both zero: t = 0 (0 or pi); both
 * infinite: t = 0 folded (pi/4 or 3pi/4); then y's sign; NaN: y + x.
 * 0.88 ulp at most (over 2e7 pairs of all exponents); 97% correctly rounded. */
CT_FM_INLINE float ct_atan2f(float y, float x) {
    float ay = __builtin_fabsf(y), ax = __builtin_fabsf(x);
    int sw = ay > ax, neg = __builtin_copysignf(1.0f, x) < 0.0f, fold;
    float num = sw ? ax : ay, den = sw ? ay : ax;
    float sc = den > 0x1p126f ? 0x1p-2f : ((num < 0x1p-100f) & (den < 0x1p24f) ? 0x1p100f : 1.0f);
    float rest, t = ct_atanf_parts(num * sc, den * sc, &fold, &rest);
    int zero = den == 0.0f, inf2 = num == __builtin_inff();
    t = (zero | inf2) ? 0.0f : t;
    rest = (zero | inf2) ? 0.0f : rest;
    fold = inf2 ? 1 : fold;
    float kf = sw ? 2.0f - (float)fold : (float)fold;
    kf = neg ? 4.0f - kf : kf;
    float oh = kf * CT_PIO4F_HI;               /* exact but for k = 3: its error into ol */
    float ol = __builtin_fmaf(kf, CT_PIO4F_HI, -oh) + kf * CT_PIO4F_LO;
    float r = ct_atanf_finish(t, rest, oh, ol, sw != neg ? -1.0f : 1.0f);
    r = __builtin_copysignf(r, y);
    return (y != y || x != x) ? y + x : r;
}

/* hypot in double: the squares of floats are exact there and cannot
 * overflow; an infinity wins over a NaN as C's hypot says */
CT_FM_INLINE float ct_hypotf(float a, float b) {
    double r = __builtin_sqrt((double)a * a + (double)b * b);
    return (__builtin_isinf(a) || __builtin_isinf(b)) ? __builtin_inff() : (float)r;
}

/* 2^x for |x| < CT_EXP2_SMALL (normal results): x = k + f, |f| <= 1/2 exact,
 * 2^f = e^(f ln2) with f ln2 rounded once from double */
#define CT_EXP2_SMALL 126.0f
CT_FM_INLINE float ct_exp2f_small(float x) {
    const float shift = 12582912.0f;
    float kf = (x + shift) - shift;
    float t = x - kf;                               /* exact, |t| <= 1/2 */
    /* t ln 2 rounded once: ln 2 as two floats, the fma adds the small part */
    float r = __builtin_fmaf(t, 0x1.62e430p-1f, t * -0x1.05c610p-29f);
    return ct_exp_poly(r) * ct_bits_to_float((uint32_t)((int32_t)kf + 127) << 23);
}
/* 2^x for every x, branch free: ct_exp2f_small's steps on x clamped to
 * [-151, 128] (NaN passes); ct_exp2f_small's values where those are normal.
 * p 2^k: normal results and overflows are one product, 2p by 2^(k - 1)
 * (both exact; k clamped to -125 for the others); below 2^-126 (k <= -126)
 * p 2^(k + 149) is exact and its value rounded to an integer is the
 * denormal's bit pattern, rounded as p 2^k would be. A product with a
 * denormal or zero result costs a microcode assist on some CPUs (several
 * times the whole element's work here; wide inputs have many), an integer
 * conversion does not. (Every lane's products are normal: a compiler
 * computes both sides of the selects for every lane.) */
CT_FM_INLINE float ct_exp2f(float x) {
    const float shift = 12582912.0f;
    float xc = 128.0f < x ? 128.0f : x;
    xc = -151.0f > xc ? -151.0f : xc;
    float kf = (xc + shift) - shift;
    float t = xc - kf;
    float r = __builtin_fmaf(t, 0x1.62e430p-1f, t * -0x1.05c610p-29f);
    float p = ct_exp_poly(r);
    int tiny = kf <= -126.0f;
    int32_t k = (int32_t)kf;
    int32_t kn = tiny ? -125 : k, kd = tiny ? k + 149 : 0;    /* kd in [-2, 23] */
    float big = (p + p) * ct_bits_to_float((uint32_t)(kn + 126) << 23);
    float q = p * ct_bits_to_float((uint32_t)(kd + 127) << 23);
    return tiny ? ct_bits_to_float((uint32_t)__builtin_irintf(q)) : big;
}

/* sinh and cosh for |x| < CT_HYP_SMALL (no overflow in e^|x|):
 * sinh = (e + e / (e + 1)) / 2 with e = expm1|x| (no cancellation near 0),
 * cosh = (e + 1/e) / 2 with e = exp|x| */
#define CT_HYP_SMALL 88.0f
CT_FM_INLINE float ct_sinhf_small(float x) {
    float e = ct_expm1f(__builtin_fabsf(x));
    float r = 0.5f * (e + e / (e + 1.0f));
    return __builtin_copysignf(r, x);
}
CT_FM_INLINE float ct_coshf_small(float x) {
    float e = ct_expf(__builtin_fabsf(x));
    return 0.5f * (e + 1.0f / e);
}
/* the rest, |x| >= CT_HYP_SMALL: e^|x| / 2 (e^-|x| is far below its last
 * bit) by ct_expf's steps scaled by 2^(k - 1), finite up to |x| = 89.4;
 * past 90 infinity (libm's overflow path sets errno, slowly); NaN kept */
CT_FM_INLINE float ct_exphalff(float a) {
    float r, kf = ct_ln2_reduce(a, &r);
    float p = ct_exp_poly(r);
    int32_t k = (int32_t)kf - 1;                    /* 126..129 for a in [88, 90) */
    int32_t k1 = k >> 1, k2 = k - k1;
    return p * ct_bits_to_float((uint32_t)(k1 + 127) << 23) *
           ct_bits_to_float((uint32_t)(k2 + 127) << 23);
}
CT_FM_INLINE float ct_coshf_rest(float x) {
    float a = __builtin_fabsf(x);
    return a < 90.0f ? ct_exphalff(a) : a + INFINITY;     /* (NaN + inf: NaN) */
}
CT_FM_INLINE float ct_sinhf_rest(float x) {
    return x != x ? x + x : __builtin_copysignf(ct_coshf_rest(x), x);
}

/* atanh x = (log1p(x) - log1p(-x)) / 2 (the terms have opposite signs: no
 * cancellation at 0; 1 + x is exact near -1), the difference in double */
CT_FM_INLINE float ct_atanhf(float x) {
    return (float)(0.5 * ((double)ct_log1pf(x) - (double)ct_log1pf(-x)));
}

/* a^b for a > 0 finite and b finite (CT_POW_FAST), as 2^(b log2 a) in
 * double. log2 a: a = m 2^e with m in [sqrt(1/2), sqrt(2)), log m =
 * 2 atanh(s), s = (m - 1)/(m + 1), |s| < 0.172, series to s^21 (relative
 * truncation < 1e-16); y = b log2 a carries a relative error of a few 1e-16,
 * so 2^y is within ~1e-13 (|y| <= ~150 where the result is a nonzero float)
 * before the one rounding to float. 2^y: y = k + f, |f| <= 1/2, e^(f ln2)
 * from its series to degree 12 (< 1e-16), times 2^k through the exponent
 * bits; y is clamped to +-1000 first, past where float over- or underflows
 * (so 2^k stays a normal double). */
#define CT_POW_FAST(a, b) ((a) > 0.0f && (a) < __builtin_inff() && __builtin_fabsf(b) < __builtin_inff())
/* log2 a of a float a > 0 finite, in double */
CT_FM_INLINE double ct_log2f_d(float af) {
    uint64_t u = ct_double_to_bits((double)af);
    /* a float is a normal double: the biased exponent u >> 52 in [0, 2047] */
    double e = ct_bits_to_double((u >> 52) | 0x4330000000000000ull) - 4503599627371519.0; /* 2^52 + 1023 */
    uint64_t mu = (u & 0x000fffffffffffffull) | 0x3ff0000000000000ull;
    int big = (int64_t)mu > (int64_t)0x3ff6a09e667f3bcdll;     /* sqrt(2) */
    mu = big ? mu - 0x0010000000000000ull : mu;
    e = big ? e + 1.0 : e;
    double m = ct_bits_to_double(mu);
    double sd = (m - 1.0) / (m + 1.0), z = sd * sd;
    double t = 1.0 / 21;
    t = t * z + 1.0 / 19;
    t = t * z + 1.0 / 17;
    t = t * z + 1.0 / 15;
    t = t * z + 1.0 / 13;
    t = t * z + 1.0 / 11;
    t = t * z + 1.0 / 9;
    t = t * z + 1.0 / 7;
    t = t * z + 1.0 / 5;
    t = t * z + 1.0 / 3;
    double lm = 2.0 * sd + 2.0 * sd * z * t;          /* log m */
    return e + lm * 1.4426950408889634;
}
/* 2^y rounded to float, y a finite double */
CT_FM_INLINE float ct_exp2_d_to_f(double y) {
    y = y > 1000.0 ? 1000.0 : y;
    y = y < -1000.0 ? -1000.0 : y;
    const double shift = 6755399441055744.0;          /* 1.5 * 2^52 */
    double kd = (y + shift) - shift;
    double r = (y - kd) * 0.69314718055994531;
    double q = 1.0 / 479001600;
    q = q * r + 1.0 / 39916800;
    q = q * r + 1.0 / 3628800;
    q = q * r + 1.0 / 362880;
    q = q * r + 1.0 / 40320;
    q = q * r + 1.0 / 5040;
    q = q * r + 1.0 / 720;
    q = q * r + 1.0 / 120;
    q = q * r + 1.0 / 24;
    q = q * r + 1.0 / 6;
    q = q * r + 0.5;
    q = q * r * r + r + 1.0;
    return (float)(q * ct_pow2i_d(kd));
}
CT_FM_INLINE float ct_powf_fast(float af, float bf) {
    return ct_exp2_d_to_f((double)bf * ct_log2f_d(af));
}
/* a^b for finite nonzero a and finite b (CT_POW_FAST_ANY): ct_powf_fast of
 * |a|, then for a < 0 C's pow rules: negated where b is an odd integer, NaN
 * where b is not an integer (floats from 2^24 on are even integers) */
#define CT_POW_FAST_ANY(a, b) \
    ((a) != 0.0f && __builtin_fabsf(a) < __builtin_inff() && __builtin_fabsf(b) < __builtin_inff())
CT_FM_INLINE float ct_powf_any(float af, float bf) {
    float r = ct_powf_fast(__builtin_fabsf(af), bf);
    float h = 0.5f * bf;
    int integ = bf == __builtin_floorf(bf), odd = integ & (h != __builtin_floorf(h));
    r = (af < 0.0f) & odd ? -r : r;
    return (af < 0.0f) & !integ ? __builtin_nanf("") : r;
}

/* ---- double */

/* (atanh(s) / s - 1) / s^2 = sum z^k / (2k + 3), z = s^2 <= 0.0295, to z^10 */
CT_FM_INLINE double ct_datanh_series(double z)
{
    double p = 0.043478260869565216;
    p = __builtin_fma(p, z, 0.047619047619047616);
    p = __builtin_fma(p, z, 0.05263157894736842);
    p = __builtin_fma(p, z, 0.058823529411764705);
    p = __builtin_fma(p, z, 0.06666666666666667);
    p = __builtin_fma(p, z, 0.07692307692307693);
    p = __builtin_fma(p, z, 0.09090909090909091);
    p = __builtin_fma(p, z, 0.1111111111111111);
    p = __builtin_fma(p, z, 0.14285714285714285);
    p = __builtin_fma(p, z, 0.2);
    p = __builtin_fma(p, z, 0.3333333333333333);
    return p;
}
/* log of a normal positive finite double, branch free: x = m 2^e with m in
 * [sqrt(1/2), sqrt(2)), log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172,
 * by its series to s^23 (truncation below 1e-17 relative) */
CT_FM_INLINE double ct_dlog(double x)
{
    uint64_t v = ct_double_to_bits(x) - 0x3fe6a09e667f3bcdull;
    double e = ct_sar52_d(v);
    double m = ct_bits_to_double((v & 0x000fffffffffffffull) + 0x3fe6a09e667f3bcdull);
    double s = (m - 1.0) / (m + 1.0), s2 = s * s;
    double p = ct_datanh_series(s2);
    return __builtin_fma(e, 0.6931471803691238,
                         __builtin_fma(e, 1.9082149292705877e-10, 2.0 * __builtin_fma(s * s2, p, s)));
}

/* e^r for |r| <= ln2/2 (a little more is fine): its Taylor series to r^13
 * (truncation below 1e-17 relative) */
CT_FM_INLINE double ct_dexp_poly(double r)
{
    double p = 1.0 / 6227020800.0;
    p = __builtin_fma(p, r, 1.0 / 479001600.0);
    p = __builtin_fma(p, r, 1.0 / 39916800.0);
    p = __builtin_fma(p, r, 1.0 / 3628800.0);
    p = __builtin_fma(p, r, 1.0 / 362880.0);
    p = __builtin_fma(p, r, 1.0 / 40320.0);
    p = __builtin_fma(p, r, 1.0 / 5040.0);
    p = __builtin_fma(p, r, 1.0 / 720.0);
    p = __builtin_fma(p, r, 1.0 / 120.0);
    p = __builtin_fma(p, r, 1.0 / 24.0);
    p = __builtin_fma(p, r, 1.0 / 6.0);
    p = __builtin_fma(p, r, 1.0 / 2.0);
    p = __builtin_fma(p, r, 1.0 / 1.0);
    p = __builtin_fma(p, r, 1.0 / 1.0);
    return p;
}

/* exp of a double in [-700, 700], branch free: x = k ln2 + r, |r| <= ln2/2,
 * e^r by ct_dexp_poly, times 2^k through the exponent bits */
CT_FM_INLINE double ct_dexp(double x)
{
    double kf = __builtin_round(x * 1.4426950408889634);
    double r = __builtin_fma(-kf, 1.9082149292705877e-10, __builtin_fma(-kf, 0.6931471803691238, x));
    return ct_dexp_poly(r) * ct_pow2i_d(kf);
}

/* ct_dexp to 1e-11 relative (for float results): the series to r^9
 * (truncation below 8e-12) by Estrin's scheme (four steps of latency where
 * Horner's takes nine: the loops around it are latency-bound) */
CT_FM_INLINE double ct_dexp_11(double x)
{
    double kf = __builtin_round(x * 1.4426950408889634);
    double r = __builtin_fma(-kf, 1.9082149292705877e-10, __builtin_fma(-kf, 0.6931471803691238, x));
    double r2 = r * r, r4 = r2 * r2;
    double p01 = r + 1.0, p23 = __builtin_fma(r, 1.0 / 6.0, 0.5);
    double p45 = __builtin_fma(r, 1.0 / 120.0, 1.0 / 24.0);
    double p67 = __builtin_fma(r, 1.0 / 5040.0, 1.0 / 720.0);
    double p89 = __builtin_fma(r, 1.0 / 362880.0, 1.0 / 40320.0);
    double p03 = __builtin_fma(p23, r2, p01), p47 = __builtin_fma(p67, r2, p45);
    double p = __builtin_fma(__builtin_fma(p89, r4, p47), r4, p03);
    return p * ct_pow2i_d(kf);
}

/* 2^x of a double in [-1000, 1000]: x = k + f, |f| <= 1/2 exact, f ln2 as
 * r + rl (the product's rounding error by an fma, plus f times ln2's low
 * part), 2^f = e^r (1 + rl) */
CT_FM_INLINE double ct_dexp2(double x)
{
    double kf = __builtin_round(x);
    double f = x - kf;
    double r = f * 0.69314718055994531;
    double rl = __builtin_fma(f, 2.3190468138462996e-17, __builtin_fma(f, 0.69314718055994531, -r));
    double p = ct_dexp_poly(r);
    return __builtin_fma(p, rl, p) * ct_pow2i_d(kf);
}

/* ---- logaddexp: m + log1p(t), t = e^-|a - b| (or 2^-|a - b|) in (0, 1].
 * 1 + t is u + ul exactly (ul = t - (u - 1), Fast2Sum), so that
 * log1p(t) = log(u) + ul / u to well within an ulp; log u of the fast
 * forms (u is a normal number in [1, 2]). */

/* float: log(u) = e ln2 + f + tail(f) (ct_log_split); returns f, in *ef e
 * and in *g tail(f) + ul / u */
CT_FM_INLINE float ct_log1p_unit_f(float t, float *ef, float *g) {
    float u = 1.0f + t;
    float ul = t - (u - 1.0f);
    float f = ct_log_split(u, 0, ef);
    *g = ct_log1p_tail(f) + ul / u;
    return f;
}

/* logaddexp(a, b) for |a - b| < CT_EXP_SMALL (a and b finite) */
CT_FM_INLINE float ct_logaddexpf_fast(float a, float b) {
    float m = a > b ? a : b;
    float t = ct_expf_small(-__builtin_fabsf(a - b));
    float ef, g, f = ct_log1p_unit_f(t, &ef, &g);
    float l = __builtin_fmaf(ef, 0.693359375f, f + __builtin_fmaf(ef, -2.12194440e-4f, g));
    return m + l;
}

/* logaddexp2(a, b) for |a - b| < CT_EXP2_SMALL: log2 as ct_log2f_fast_e */
CT_FM_INLINE float ct_logaddexp2f_fast(float a, float b) {
    float m = a > b ? a : b;
    float t = ct_exp2f_small(-__builtin_fabsf(a - b));
    float ef, g, f = ct_log1p_unit_f(t, &ef, &g);
    const float hi = 1.44269502162933349609375f, lo = 1.925963033500011e-08f;
    return m + (ef + __builtin_fmaf(f, hi, __builtin_fmaf(f, lo, g * hi)));
}

#define CT_LAE_D_SMALL 700.0
/* double (logaddexp2), for |a - b| < CT_LAE_D_SMALL (2^-|a - b| stays a normal double).
 * u = 2^e (1 + f) with e = (u > sqrt 2), f exact, and
 * log(1 + f) = f - s (f - R), s = f / (2 + f), R = 2 s^2 ct_datanh_series(s^2)
 * (2s = f - s f): the only inexact terms are a small part of the sum. Returns
 * log1p(t) - e ln2, e in *ep. */
CT_FM_INLINE double ct_log1p_unit_d(double t, double *ep) {
    double u = 1.0 + t;
    double ul = t - (u - 1.0);
    int big = u > 1.4142135623730951;
    double m = big ? 0.5 * u : u;
    double f = m - 1.0;
    double s = f / (2.0 + f), z = s * s;
    double r = 2.0 * z * ct_datanh_series(z);
    *ep = big ? 1.0 : 0.0;
    return __builtin_fma(-s, f - r, f) + ul / u;
}
CT_FM_INLINE double ct_logaddexp2_d_fast(double a, double b) {
    double m = a > b ? a : b;
    double e, l = ct_log1p_unit_d(ct_dexp2(-__builtin_fabs(a - b)), &e);
    /* e + l log2(e), log2(e) as a double pair */
    return m + (e + __builtin_fma(l, 1.4426950408889634, l * 2.0355273740931033e-17));
}

#endif
