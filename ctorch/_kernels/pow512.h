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

#define CT_POW512_LN2_HI 0.6931471805598903
#define CT_POW512_LN2_LO 5.497923018708371e-14

static const double ct_pow512_T[2][87] __attribute__((aligned(64))) = {
    {   /* -log(k/128), k = 85..171, a multiple of 2^-42 */
    0.40937900742937927, 0.3976829676660145, 0.3861221452650625, 0.3746934494413381,
    0.36339389418753854, 0.35222059358943625, 0.3411707574027787, 0.33024168687052224,
    0.3194307707663029, 0.30873548164959175, 0.29815337231912054, 0.28768207245184385,
    0.27731928541629713, 0.2670627852489815, 0.25691041378513546, 0.2468600779316148,
    0.2369097470784709, 0.22705745063535687, 0.21730127569003344, 0.20763936477828793,
    0.19806991376208316, 0.18859116980752333, 0.17920142945763473, 0.16989903679541385,
    0.16068238169054894, 0.151549898127314, 0.14250006260726877, 0.13353139262449076,
    0.12464244520720058, 0.11583181552509814, 0.10709813555627079, 0.09844007281321865,
    0.08985632912185793, 0.08134563945395712, 0.07290677080800378, 0.0645385211375924,
    0.05623971832278585, 0.04800921918626955, 0.039845908547249564, 0.03174869831468641,
    0.023716526617363343, 0.01574835696806076, 0.007843177460927109, 0.0,
    -0.0077821404420319595, -0.015504186535963527, -0.023167059281604452, -0.03077165866670839,
    -0.03831886430202758, -0.0458095360313564, -0.053244514518837605, -0.06062462181648698,
    -0.06795066190852594, -0.07522342123752424, -0.08244366921098845, -0.08961215868976069,
    -0.09672962645845473, -0.10379679368156758, -0.11081436634026431, -0.11778303565643,
    -0.1247034785010328, -0.13157635778861732, -0.13840232285906495, -0.14518200984457508,
    -0.15191604202573217, -0.15860503017665906, -0.16524957289539088, -0.17185025692674571,
    -0.17840765747291698, -0.18492233849406148, -0.19139485299956505, -0.19782574332998593,
    -0.2042155414287663, -0.21056476910735, -0.21687393830052315, -0.22314355131425145,
    -0.22937410106487732, -0.23556607131286, -0.2417199368871934, -0.2478361639045943,
    -0.25391520998095984, -0.25995752443691345, -0.2659635484972114, -0.2719337154835557,
    -0.27786845100354185, -0.28376817313073843, -0.28963329258294834,
    },
    {   /* its rest */
    -7.856027301951135e-14, 9.491339403096215e-14, -2.9052332860840534e-14, 7.260466149925637e-14,
    -6.120773136055512e-14, -8.414918193489195e-14, -1.156568624616423e-14, 5.4612144489920215e-14,
    5.834357420090924e-14, 2.1522127491642888e-14, -4.4204083338755686e-14, -6.292357389008195e-14,
    -6.279055732660844e-14, 6.371947269815667e-14, -1.0822171646799124e-13, -8.899851356560444e-14,
    -1.1318526912023687e-13, -1.078736749871691e-14, -5.204008743405884e-14, -4.3425422595242564e-14,
    1.0634128304268335e-14, 2.6693431578015818e-14, 7.626153677429339e-14, -1.6376276414097503e-14,
    -7.547106028244807e-14, -1.1307104809870373e-13, 1.4256439478199035e-14, 3.1859736349078334e-14,
    7.601671269852866e-14, 2.3568822182038756e-14, 9.631011033519217e-14, 3.3871241029241416e-14,
    3.1218748807418837e-15, -4.713370778300984e-15, 8.399594274044337e-14, -2.1225608044809997e-14,
    9.023009281142904e-14, 9.106054379130929e-14, -4.9893776716773285e-14, -1.0610652735224087e-13,
    -4.730054772033249e-14, 7.840703382506278e-14, 9.878410481031469e-14, 0.0,
    -2.298941004620351e-14, -1.7274567499706107e-15, 7.007359704310036e-14, -4.529814257790929e-14,
    -1.0902154302203302e-13, 6.219834199475792e-14, 2.532168943117445e-14, 5.213620639136504e-14,
    1.8195060030168815e-14, -6.329065958724544e-14, -8.614512936087814e-14, 7.355770219435029e-14,
    -9.638067658552277e-14, -7.598636597194141e-14, -2.5799991283069902e-14, 4.654729747598445e-14,
    7.556920687451337e-14, -1.0195735223708473e-13, -5.4183331379008994e-14, 7.718001336828099e-14,
    -1.0980754099855238e-13, 2.0472357800461955e-14, 8.372091099235912e-14, 8.649239607212071e-14,
    9.86835038673495e-14, 4.9485167661250996e-14, -6.440856150696892e-14, 6.604544877082384e-14,
    7.540916511956189e-14, 3.6507188831790577e-16, -9.120937249914984e-14, 4.169796584527195e-14,
    3.149265065191484e-14, 9.30945949519689e-14, 4.8230289429940886e-14, 1.3029797173308663e-14,
    -3.600176732637335e-15, -1.2621729398885316e-14, 7.343591369867797e-14, -8.604306772808733e-14,
    8.554360006566322e-14, 9.3834172236637e-14, -9.43339818951269e-14,
    },
};

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
