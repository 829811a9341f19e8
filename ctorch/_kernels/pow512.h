/* x^y of doubles on AVX-512, 8 lanes at a time, for x > 0 finite and y
 * finite (ct_pow512_ok; the callers take libm's pow for the other lanes):
 * e^(y log x) with log x as a pair (hi + lo, relative error near 2^-70)
 * so that y log x is good to about 2^-60 absolutely over the whole range
 * where the result is neither 0 nor infinite (|y log x| < 746).
 * log x: x = 2^e m, m in [0.75, 1.5) (vgetmantpd, vgetexppd: denormals
 * normalised), r = 1/m to 7 fraction bits (vrcp14pd rounded: k/128, k =
 * 85..171), f = m r - 1 exact (|f| < 0.006: m's 53 bits times r's 8 fit in
 * f's 53), log x = e ln2 - log r + log1p(f). -log(k/128) comes from an
 * 87-entry table (gathered) as a pair whose first part is a multiple of
 * 2^-42, as is ln2's, so e ln2_hi + table_hi is exact; f and -f^2/2 (with
 * the square's rounding error by an fma) are added by Fast2Sum (the running
 * sum is the larger: |table_hi| >= log(129/128) > |f| where e = 0 and k !=
 * 128), f^3 (1/3 - f/4 + ... - f^7/10) (Taylor's series: truncation below
 * 2^-70 relative) and the second parts in the last sum. y log x = zh + zl
 * (the product's rounding error by an fma, plus y times lo); e^zh by
 * exp512.h's table with zl added to its reduced argument (ct_exp512_dd;
 * zl dropped where zh is past the range: the result is 0 or inf there).
 * Largest error against powl over 2^22 pairs (x over every binade of the
 * positive finite doubles, near 1 and in [0, 10]; y where the result is
 * finite): 0.55 ulp, 0.75 in denormal results (tests/test_numerics.py
 * holds it to 0.8); 1^y = x^0 = 1 and integral powers exact. */
#ifndef CT_POW512_H
#define CT_POW512_H

#include <stdint.h>
#include "avx512_tab.h"
#include "exp512.h"
#include "pow_d.h"

#define CT_POW512_LN2_HI 0.6931471805598903
#define CT_POW512_LN2_LO 5.497923018708371e-14

/* ct_pow512_T (-log(k/128) as a pair): pow_d.h */

/* y log x as zh + *zl for x > 0 finite */
CT_AVX512_INLINE __m512d ct_pow512_ylog(__m512d x, __m512d y, __m512d *zl)
{
    __m512d one = _mm512_set1_pd(1.0);
    __m512d m = _mm512_getmant_pd(x, _MM_MANT_NORM_p75_1p5, _MM_MANT_SIGN_zero);
    __m512d ex = _mm512_getexp_pd(x);
    __m512d e = _mm512_mask_add_pd(ex, _mm512_cmp_pd_mask(m, one, _CMP_LT_OQ), ex, one);
    __m512d r = _mm512_roundscale_pd(_mm512_rcp14_pd(m), (7 << 4) | _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512i k = _mm512_and_si512(_mm512_castpd_si512(_mm512_fmadd_pd(r, _mm512_set1_pd(128.0),
                                     _mm512_set1_pd(4503599627370496.0))), _mm512_set1_epi64(0xff));
    k = _mm512_sub_epi64(k, _mm512_set1_epi64(85));
    __m512d f = _mm512_fmsub_pd(m, r, one);
    __m512d th = _mm512_i64gather_pd(k, ct_pow512_T[0], 8);
    __m512d tl = _mm512_i64gather_pd(k, ct_pow512_T[1], 8);
    __m512d hi0 = _mm512_fmadd_pd(e, _mm512_set1_pd(CT_POW512_LN2_HI), th);     /* exact */
    __m512d lo0 = _mm512_fmadd_pd(e, _mm512_set1_pd(CT_POW512_LN2_LO), tl);
    __m512d s1 = _mm512_add_pd(hi0, f);
    __m512d e1 = _mm512_sub_pd(f, _mm512_sub_pd(s1, hi0));
    /* f^2/2 by vscalefpd, not a product: GCC would contract a product
     * whose uses are all sums into fmas, breaking the Fast2Sum */
    __m512d f2 = _mm512_mul_pd(f, f);
    __m512d p = _mm512_scalef_pd(f2, _mm512_set1_pd(-1.0));
    __m512d pl = _mm512_mul_pd(_mm512_set1_pd(-0.5), _mm512_fmsub_pd(f, f, f2));
    __m512d s2 = _mm512_sub_pd(s1, p);
    __m512d e2 = _mm512_sub_pd(_mm512_sub_pd(s1, s2), p);
    __m512d q = _mm512_set1_pd(-1.0 / 10);
    q = _mm512_fmadd_pd(q, f, _mm512_set1_pd(1.0 / 9));
    q = _mm512_fmadd_pd(q, f, _mm512_set1_pd(-1.0 / 8));
    q = _mm512_fmadd_pd(q, f, _mm512_set1_pd(1.0 / 7));
    q = _mm512_fmadd_pd(q, f, _mm512_set1_pd(-1.0 / 6));
    q = _mm512_fmadd_pd(q, f, _mm512_set1_pd(1.0 / 5));
    q = _mm512_fmadd_pd(q, f, _mm512_set1_pd(-1.0 / 4));
    q = _mm512_fmadd_pd(q, f, _mm512_set1_pd(1.0 / 3));
    __m512d low = _mm512_add_pd(_mm512_add_pd(lo0, pl), _mm512_add_pd(e1, e2));
    low = _mm512_fmadd_pd(_mm512_mul_pd(f, f2), q, low);
    __m512d lh = _mm512_add_pd(s2, low);
    __m512d ll = _mm512_sub_pd(low, _mm512_sub_pd(lh, s2));
    __m512d zh = _mm512_mul_pd(y, lh);
    *zl = _mm512_fmadd_pd(y, ll, _mm512_fmsub_pd(y, lh, zh));
    return zh;
}

/* x^y for x > 0 finite, y finite */
CT_AVX512_INLINE __m512d ct_pow512_d(__m512d x, __m512d y)
{
    __m512d zl, zh = ct_pow512_ylog(x, y, &zl);
    zl = _mm512_maskz_mov_pd(_mm512_cmp_pd_mask(_mm512_abs_pd(zh), _mm512_set1_pd(745.0), _CMP_LT_OQ), zl);
    return ct_exp512_dd(zh, zl);
}

/* where ct_pow512_d holds */
CT_AVX512_INLINE __mmask8 ct_pow512_ok(__m512d x, __m512d y)
{
    __m512d inf = _mm512_set1_pd((double)__builtin_inf());
    return _mm512_cmp_pd_mask(x, _mm512_setzero_pd(), _CMP_GT_OQ)
         & _mm512_cmp_pd_mask(x, inf, _CMP_LT_OQ)
         & _mm512_cmp_pd_mask(_mm512_abs_pd(y), inf, _CMP_LT_OQ);
}

#endif
