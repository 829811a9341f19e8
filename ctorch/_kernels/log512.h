/* The logarithms of doubles on AVX-512, 8 lanes at a time, without a
 * division (vdivpd is the slowest instruction of a polynomial log): for
 * x = 2^e m, m in [0.75, 1.5) (vgetmantpd, vgetexppd; denormals are
 * normalised by them), r = 1/m to 4 fraction bits (vrcp14pd's 14-bit
 * estimate rounded by vrndscalepd: k/16, k = 11..21), f = m r - 1 is exact
 * (m's 53 bits times r's 5 fit in f's 53 for |f| <= 0.0485), and
 *   log(x) = e log(2) - log(r) + log1p(f),  log1p(f) = f + f^2 Q(f),
 * Q of degree 9 interpolated at Chebyshev nodes of [-0.0485, 0.0485] in
 * 50-digit arithmetic (relative error of the sum under 1.3e-18). -log(r),
 * -log2(r), -log10(r) come from 16-entry tables by k's low four bits
 * (vpermt2pd), each as a pair whose first part is a multiple of 2^-33
 * (2^-42 for log2), as is the first part of the base's log(2), so that
 * e log(2)_hi + table_hi is exact; the second parts, the product f C of f
 * with the base's log(e) (as a pair, its rounding error by an fma) and
 * f^2 Q C go into the last sum, after e log(2)_hi + table_hi + f C as an
 * exact pair (Fast2Sum). Largest errors against long double over 2^25
 * positive finite doubles (a quarter in [0.75, 1.5)): log 0.53 ulp, log2
 * 0.54, log10 0.55; log10 of every power of ten from 1e-22 to 1e22 exact. x < 0 -> NaN,
 * +-0 -> -inf, inf -> inf, NaN -> NaN. */
#ifndef CT_LOG512_H
#define CT_LOG512_H

#include <stdint.h>
#include "avx512_tab.h"

/* ln 2 = HI + LO, HI a multiple of 2^-33 */
#define CT_LOG512_LN2_HI 0.6931471806019545
#define CT_LOG512_LN2_LO -4.2009150726810846e-11

static const double ct_log512_T[6][16] __attribute__((aligned(64))) = {
    {   /* -ln(k/16), a multiple of 2^-33 */
        0, -0.0606246218085289, -0.11778303561732173, -0.17185025697108358,
        -0.22314355126582086, -0.27193371544126421, 0, 0,
        0, 0, 0, 0.37469344947021455,
        0.28768207249231637, 0.20763936475850642, 0.13353139266837388, 0.064538521110080183,
    },
    {   /* its rest */
        0, -7.9059424341217563e-12, -3.906172487875993e-11, 4.4424359107502372e-11,
        -4.8388894903563157e-11, -4.2377546700169251e-11, 0, 0,
        0, 0, 0, -2.8803852119791215e-11,
        -4.0535437802785388e-11, 1.9738084340965946e-11, -4.3851259624194709e-11, 2.7490989120586269e-11,
    },
    {   /* -log2(k/16), a multiple of 2^-42 */
        0, -0.087462841250271595, -0.16992500144237965, -0.24792751344352837,
        -0.32192809488742569, -0.39231742277866033, 0, 0,
        0, 0, 0, 0.54056838136261831,
        0.41503749927892386, 0.29956028185893047, 0.19264507794241581, 0.093109404391498174,
    },
    {   /* its rest */
        0, -6.7813636550208424e-14, 6.7289964272407267e-14, -5.7124840835318464e-14,
        6.3338595256861598e-14, -9.9959254865286992e-14, 0, 0,
        0, 0, 0, 8.4432841558581754e-14,
        -8.0041855585412396e-14, -2.2626511356032611e-14, -1.9917399279874596e-14, -1.6703260328550802e-14,
    },
    {   /* -log10(k/16), a multiple of 2^-33 */
        0, -0.026328938780352473, -0.051152522442862391, -0.074633618351072073,
        -0.096910013002343476, -0.11809931206516922, 0, 0,
        0, 0, 0, 0.16272729751653969,
        0.1249387365533039, 0.090176630299538374, 0.057991946930997074, 0.028028723550960422,
    },
    {   /* its rest */
        0, 5.8003325573757851e-11, -4.5188974769763294e-12, 5.4167892301410188e-11,
        -5.7129385401492826e-12, -1.282527194995704e-11, 0, 0,
        0, 0, 0, -1.8839952773967536e-11,
        5.4996055751621032e-11, 4.9549637701306868e-11, 4.6689681278640319e-11, 4.9283117211471748e-11,
    },
};

static const double ct_log512_q[10] = {
    0.091362949418435771, -0.10049166212447382, 0.11111017598404233, -0.12499898699435984, 0.14285714364310503, -0.16666666751808035, 0.19999999999976886, -0.24999999999974962, 0.33333333333333337, -0.5,
};

/* x = 2^e m as above: f = m r - 1 in the result, e, r and the table index
 * (k in the low bits of 2^52 + 16 r) through the pointers */
CT_AVX512_INLINE __m512d ct_log512_reduce(__m512d x, __m512d *e, __m512d *rp, __m512i *j)
{
    __m512d one = _mm512_set1_pd(1.0);
    __m512d m = _mm512_getmant_pd(x, _MM_MANT_NORM_p75_1p5, _MM_MANT_SIGN_zero);
    __m512d ex = _mm512_getexp_pd(x);
    *e = _mm512_mask_add_pd(ex, _mm512_cmp_pd_mask(m, one, _CMP_LT_OQ), ex, one);
    __m512d r = _mm512_roundscale_pd(_mm512_rcp14_pd(m), (4 << 4) | _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    *j = _mm512_castpd_si512(_mm512_fmadd_pd(r, _mm512_set1_pd(16.0), _mm512_set1_pd(4503599627370496.0)));
    *rp = r;
    return _mm512_fmsub_pd(m, r, one);
}

/* log1p(f) - f = f^2 Q(f) */
CT_AVX512_INLINE __m512d ct_log512_tail(__m512d f)
{
    __m512d q = _mm512_set1_pd(ct_log512_q[0]);
    for (int k = 1; k < 10; k++)
        q = _mm512_fmadd_pd(q, f, _mm512_set1_pd(ct_log512_q[k]));
    return _mm512_mul_pd(_mm512_mul_pd(f, f), q);
}

/* log_b(x) for b = e (T = 0), 2 (T = 2), 10 (T = 4): e (EH + EL) + table
 * + (f + f^2 Q) (CH + CL), (EH, EL) the pair of log_b(2), (CH, CL) of
 * log_b(e) */
/* the sum for x = 2^e m, f and j from ct_log512_reduce; with C, a small
 * term c added to the low parts (log1p's rounding correction) */
CT_AVX512_INLINE __m512d ct_log512_sum(__m512d x, __m512d e, __m512d f, __m512i j, int C, __m512d c,
                                       int T, double EH, double EL, double CH, double CL)
{
    __m512d g = ct_log512_tail(f);
    if (C)
        g = _mm512_add_pd(g, c);
    __m512d hi = _mm512_fmadd_pd(e, _mm512_set1_pd(EH), CT_PICK16_PD(ct_log512_T[T], j));
    __m512d lo = _mm512_fmadd_pd(e, _mm512_set1_pd(EL), CT_PICK16_PD(ct_log512_T[T + 1], j));
    __m512d p = f, rest = _mm512_add_pd(g, lo);
    if (CL != 0.0) {       /* log2, log10: f C = p + its rounding error */
        __m512d ch = _mm512_set1_pd(CH);
        p = _mm512_mul_pd(f, ch);
        rest = _mm512_add_pd(_mm512_fmsub_pd(f, ch, p),
                             _mm512_fmadd_pd(f, _mm512_set1_pd(CL), _mm512_fmadd_pd(g, ch, lo)));
    }
    /* hi + p = s + its rounding error exactly (Fast2Sum: |hi| > |p| or
     * hi = 0, k = 16 and e = 0) */
    __m512d sum = _mm512_add_pd(hi, p);
    __m512d v = _mm512_add_pd(sum, _mm512_add_pd(_mm512_sub_pd(p, _mm512_sub_pd(sum, hi)), rest));
    /* +-0 -> -inf and inf -> inf by vfixupimmpd on x's class (response 4
     * for the zero token, 5 for +inf, 0 - keep v - for the others) */
    v = _mm512_fixupimm_pd(v, x, _mm512_set1_epi64(0x00500400), 0);
    return _mm512_mask_mov_pd(v, _mm512_cmp_pd_mask(x, _mm512_setzero_pd(), _CMP_LT_OQ),
                              _mm512_set1_pd((double)__builtin_nan("")));
}

CT_AVX512_INLINE __m512d ct_log512_d(__m512d x, int T, double EH, double EL, double CH, double CL)
{
    __m512d e, r;
    __m512i j;
    __m512d f = ct_log512_reduce(x, &e, &r, &j);
    return ct_log512_sum(x, e, f, j, 0, f, T, EH, EL, CH, CL);
}

/* log1p(x) = log(u), u = 1 + x, by the same steps: where u is in
 * [sqrt(1/2), sqrt(2)) (x in (-0.2929, 0.4142)), f = (1 + x) s - 1 with
 * s = r 2^-e (s - 1 exact: e is 0 or -1) by one fma from x itself, so that
 * u's rounding costs nothing (a small x keeps its relative accuracy);
 * elsewhere f as for log(u), and u's rounding error x - (u - 1) over u
 * (the quotient by vrcp14pd: the term is under 2^-52 of the result) added
 * to the low parts. x = +-0 gives x. */
CT_AVX512_INLINE __m512d ct_log1p512_d(__m512d x)
{
    const __m512d one = _mm512_set1_pd(1.0);
    __m512d u = _mm512_add_pd(x, one), e, r;
    __m512i j;
    __m512d f = ct_log512_reduce(u, &e, &r, &j);
    __mmask8 in = _mm512_cmp_pd_mask(x, _mm512_set1_pd(-0.29289321881345248), _CMP_GT_OQ) &
                  _mm512_cmp_pd_mask(x, _mm512_set1_pd(0.41421356237309503), _CMP_LT_OQ);
    __m512d sc = _mm512_scalef_pd(r, _mm512_sub_pd(_mm512_setzero_pd(), e));
    f = _mm512_mask_mov_pd(f, in, _mm512_fmadd_pd(x, sc, _mm512_sub_pd(sc, one)));
    __m512d c = _mm512_maskz_mul_pd((__mmask8)~in, _mm512_sub_pd(x, _mm512_sub_pd(u, one)), _mm512_rcp14_pd(u));
    __m512d v = ct_log512_sum(u, e, f, j, 1, c, 0, CT_LOG512_LN2_HI, CT_LOG512_LN2_LO, 1.0, 0.0);
    return _mm512_mask_mov_pd(v, _mm512_cmp_pd_mask(x, _mm512_setzero_pd(), _CMP_EQ_OQ), x);
}

#define ct_log512_ln_d(x) ct_log512_d(x, 0, CT_LOG512_LN2_HI, CT_LOG512_LN2_LO, 1.0, 0.0)
#define ct_log512_log2_d(x) ct_log512_d(x, 2, 1.0, 0.0, 1.4426950408889634, 2.0355273740931033e-17)
#define ct_log512_log10_d(x) ct_log512_d(x, 4, 0.3010299956658855, -1.9043128467164274e-12, \
                                          0.4342944819032518, 1.098319650216765e-17)

#endif
