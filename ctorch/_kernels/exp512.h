/* exp of doubles on AVX-512, 8 lanes at a time, table-driven: x clamped
 * to [-746, 710] (NaN kept), k = round(16 x / ln2) by the 1.5 * 2^52 trick,
 * r = x - k ln2/16 (ln2/16 in two parts, the first a multiple of 2^-40 so
 * that k times it is exact), |r| <= ln2/32; e^r = 1 + p, p = r + r^2 Q(r),
 * Q Taylor's series to r^5 (truncation below 2^-59); 2^(j/16), j = k mod 16
 * (the low bits of the trick's sum), from a 16-entry table as a pair
 * (T + t): e^x = 2^floor(k/16) (T + (T p + t)), the power by vscalefpd (one
 * rounding of a denormal result, inf past 709.78, 0 below -745.13). Half
 * the polynomial of fastmath_d.h's exp (|r| <= ln2/2 there) and no two-step
 * scaling. Largest error against expl over 2^24 points (a third over the
 * whole range, a third in [-2, 2], a third within 1e-5 of 0): 0.75 ulp
 * (in the denormal results; 0.51 elsewhere); the special values libm's.
 * After it, ct_expf512: fastmath.h's float exp (ct_expf) on 16 lanes, the
 * same values (the exp op's kernel and logsumexp's rows use it). */
#ifndef CT_EXP512_H
#define CT_EXP512_H

#include <stdint.h>
#include "avx512_tab.h"
#include "pow_d.h"

/* ct_exp512_T (2^(j/16) as a pair): pow_d.h */

/* 2^(k/16) e^r for kb = k + 1.5 * 2^52, kf = k, e^r = 1 + r + r^2 Q(r)
 * (rl a correction to r below its ulp) */
CT_AVX512_INLINE __m512d ct_exp512_tab(__m512d kb, __m512d kf, __m512d r, __m512d rl)
{
    __m512d q = _mm512_set1_pd(1.0 / 5040);
    q = _mm512_fmadd_pd(q, r, _mm512_set1_pd(1.0 / 720));
    q = _mm512_fmadd_pd(q, r, _mm512_set1_pd(1.0 / 120));
    q = _mm512_fmadd_pd(q, r, _mm512_set1_pd(1.0 / 24));
    q = _mm512_fmadd_pd(q, r, _mm512_set1_pd(1.0 / 6));
    q = _mm512_fmadd_pd(q, r, _mm512_set1_pd(0.5));
    __m512d p = _mm512_fmadd_pd(_mm512_mul_pd(r, r), q, r);
    __m512i j = _mm512_castpd_si512(kb);
    __m512d th = CT_PICK16_PD(ct_exp512_T[0], j), tl = CT_PICK16_PD(ct_exp512_T[1], j);
    __m512d v = _mm512_add_pd(th, _mm512_fmadd_pd(th, p, _mm512_fmadd_pd(th, rl, tl)));
    __m512d e = _mm512_roundscale_pd(_mm512_mul_pd(kf, _mm512_set1_pd(0.0625)), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
    return _mm512_scalef_pd(v, e);
}

/* e^x: k = round(16 x / ln2), r = x - k ln2/16; with XL (pow512.h's
 * y log x as a pair x + xl, |xl| up to 2^-44), r + xl as a pair again (a
 * TwoSum), so that the table's step drops only r's correction times r */
CT_AVX512_INLINE __m512d ct_exp512_x(__m512d x, __m512d xl, int XL)
{
    const __m512d magic = _mm512_set1_pd(6755399441055744.0);
    x = _mm512_min_pd(_mm512_set1_pd(710.0), _mm512_max_pd(_mm512_set1_pd(-746.0), x));
    __m512d kb = _mm512_fmadd_pd(x, _mm512_set1_pd(23.083120654223414), magic);
    __m512d kf = _mm512_sub_pd(kb, magic);
    __m512d r = _mm512_fnmadd_pd(kf, _mm512_set1_pd(0.04332169878489367), x);
    r = _mm512_fnmadd_pd(kf, _mm512_set1_pd(1.0291218489310676e-13), r);
    __m512d rl = _mm512_setzero_pd();
    if (XL) {
        __m512d s = _mm512_add_pd(r, xl), bv = _mm512_sub_pd(s, r);
        rl = _mm512_add_pd(_mm512_sub_pd(r, _mm512_sub_pd(s, bv)), _mm512_sub_pd(xl, bv));
        r = s;
    }
    return ct_exp512_tab(kb, kf, r, rl);
}
#define ct_exp512_d(x) ct_exp512_x(x, x, 0)
#define ct_exp512_dd(x, xl) ct_exp512_x(x, xl, 1)

/* fastmath.h's ct_ln2_reduce on 16 lanes (its fmas as GCC contracts
 * them): k as floats, r in *r */
CT_AVX512_INLINE __m512 ct_ln2_reduce512(__m512 x, __m512 *r)
{
    const __m512 shift = _mm512_set1_ps(12582912.0f);
    __m512 kf = _mm512_sub_ps(_mm512_fmadd_ps(x, _mm512_set1_ps(1.44269502162933349609375f), shift), shift);
    *r = _mm512_fmadd_ps(kf, _mm512_set1_ps(2.12194440e-4f), _mm512_fnmadd_ps(kf, _mm512_set1_ps(0.693359375f), x));
    return kf;
}
/* fastmath.h's ct_exp_p5 (e^r = 1 + r + r^2 P(r)) on 16 lanes */
CT_AVX512_INLINE __m512 ct_exp_p5_512(__m512 r)
{
    __m512 p = _mm512_fmadd_ps(_mm512_set1_ps(1.9875691500e-4f), r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    return _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
}
/* ct_expf's steps on 16 lanes, one pass for every input: x clamped to
 * [-104, 89] (NaN kept), the same reduction and polynomial (their fmas as
 * GCC contracts the scalar form), and 2^k by vscalefps, which rounds
 * p 2^k once as ct_expf's two half-scalings do: the same values */
CT_AVX512_INLINE __m512 ct_expf512(__m512 x)
{
    __m512 r, xc = _mm512_max_ps(_mm512_set1_ps(-104.0f), _mm512_min_ps(_mm512_set1_ps(89.0f), x));
    __m512 kf = ct_ln2_reduce512(xc, &r);
    __m512 p = ct_exp_p5_512(r);
    p = _mm512_add_ps(_mm512_fmadd_ps(_mm512_mul_ps(p, r), r, r), _mm512_set1_ps(1.0f));
    return _mm512_scalef_ps(p, kf);
}

/* 2^x: x clamped to [-1080, 1025] (NaN kept), k = round(16 x), f = x - k/16
 * exact (|f| <= 1/32), f ln2 = r + rl (the product's rounding error by an
 * fma, plus f times ln2's tail); 2^k exact for integer x (f = 0) */
CT_AVX512_INLINE __m512d ct_exp2_512_d(__m512d x)
{
    const __m512d magic = _mm512_set1_pd(6755399441055744.0);
    const __m512d ln2 = _mm512_set1_pd(0.69314718055994531);
    x = _mm512_min_pd(_mm512_set1_pd(1025.0), _mm512_max_pd(_mm512_set1_pd(-1080.0), x));
    __m512d kb = _mm512_fmadd_pd(x, _mm512_set1_pd(16.0), magic);
    __m512d kf = _mm512_sub_pd(kb, magic);
    __m512d f = _mm512_fnmadd_pd(kf, _mm512_set1_pd(0.0625), x);
    __m512d r = _mm512_mul_pd(f, ln2);
    __m512d rl = _mm512_fmadd_pd(f, _mm512_set1_pd(2.3190468138462996e-17), _mm512_fmsub_pd(f, ln2, r));
    return ct_exp512_tab(kb, kf, r, rl);
}

#endif
