/* erfc of float on AVX-512, 16 lanes at a time, table-driven: without the
 * division, the exponential's long polynomial and the correction terms of
 * special.c's portable kernel (which the other machines run). special.c
 * includes this file on x86-64 with GCC-compatible compilers and calls
 * ct_erfc512_body per block when the CPU has AVX-512F.
 *
 * With a = |x| (clamped to ERFC_F_MAX by its bits, NaN too):
 * erfc(a) = erfcx(a) e^(-a^2). erfcx is smooth and varies on the scale of
 * a; it comes from a degree-5 polynomial in s = a - A on 32 intervals
 * [A, A + w) laid out as gelu512.h's in b = a sqrt 2 (w sqrt 2 = 1/8 for
 * b < 1, 1/4 below 3, 1/2 below 7, 1 above): the bits of b + 1 (in
 * [1, 15.3]) give the index modulo 32 that vpermt2ps takes, b's rounding
 * moving an a at most a few ulps past its interval's end (the fits cover
 * that). A = (the interval's end in b) / sqrt 2 rounded to float; s is
 * exact (Sterbenz). The constant coefficient is a float pair, the others
 * floats: fitted per interval against an mpmath reference (relative least
 * squares iterated towards the minimax error on 300 Chebyshev nodes, s^1
 * to s^5 rounded to float one power at a time with the higher ones
 * refitted): relative error under 1.9e-9, and erfcx = c0 + tail with the
 * tail (the pair's low part and the powers of s, at most 0.16 of c0) in
 * float arithmetic within 1.1e-8 of it.
 *
 * e^(-a^2) = 2^(k/32) e^r: -a^2 = k ln2/32 + r, |r| <= ln2/64, with -a^2
 * taken exactly into r by an fma (ln2/32 = C1 + C2, C1 of 12 bits so that
 * k C1 is exact for |k| <= 4667), e^r = 1 + p, p = r + r^2 (1/2 + r/6)
 * (relative error < 6e-10), 2^((k mod 32)/32) = T (1 + t) from two
 * 32-entry tables (T rounded, t its relative rounding error) and
 * 2^floor(k/32) by vscalefps. With q = p + t:
 *   erfc(a) = 2^floor(k/32) (c0 + tail) T (1 + q)
 *           = 2^floor(k/32) (P + (Pl + T (tail + (c0 + tail) q))),
 * P + Pl = c0 T exactly (an fma), so that the result is rounded once
 * more at the end after errors of about 0.2 ulp. The scaling by vscalefps
 * rounds once more for results below 2^-126 (denormals).
 * x < 0: 2 - erfc(a) (no cancellation: erfc(a) <= 1); a > ERFC_F_MAX: 0
 * (erfc rounds to 0 there); NaN propagates. Largest error over every 31st
 * float in [-4, 10.1] against erfc in double: 0.80 ulp (in units of 2^-149
 * below 2^-126). */
#ifndef CT_ERFC512_H
#define CT_ERFC512_H

#include <stdint.h>
#include "avx512_tab.h"

/* erfcx's coefficients per power of s, by interval index */
static const float ct_erfc512_R[7][32] __attribute__((aligned(64))) = {
    {   /* s^0, float's nearest */
        5.231565833e-01f, 4.615206420e-01f, 4.115613401e-01f, 3.704633117e-01f, 3.362039924e-01f, 3.073038757e-01f, 2.826626599e-01f, 2.614494860e-01f,
        2.430279106e-01f, 2.126903087e-01f, 1.888212860e-01f, 1.696067750e-01f, 1.538386047e-01f, 1.406853944e-01f, 1.295586377e-01f, 1.200313494e-01f,
        1.117869616e-01f, 9.824509174e-02f, 8.759757876e-02f, 7.901338488e-02f, 7.194977999e-02f, 6.603794545e-02f, 6.101882830e-02f, 5.670531839e-02f,
        1.000000000e+00f, 9.075864553e-01f, 8.280642033e-01f, 7.592088580e-01f, 6.992376447e-01f, 6.467123628e-01f, 6.004649401e-01f, 5.595411062e-01f,
    },
    {   /* s^0's rest */
        4.920623464e-09f, 5.186274743e-10f, 6.031097843e-09f, 1.266148164e-08f, 1.434477426e-08f, -7.973667948e-09f, 2.923131071e-09f, -1.244839964e-08f,
        -4.878520699e-09f, -5.144317861e-09f, -5.281950988e-10f, 4.489763228e-09f, 5.271620029e-09f, -3.085340872e-09f, -3.528799031e-09f, -3.420364436e-09f,
        1.071335798e-09f, 2.227559692e-09f, -3.609966104e-09f, 3.320498543e-09f, 9.965517300e-10f, -3.566063556e-10f, -1.804104977e-09f, 1.593362442e-09f,
        0.000000000e+00f, -9.824842273e-09f, 5.142333226e-09f, 6.411346565e-09f, 2.859384374e-08f, -2.527989906e-08f, -3.612485866e-09f, 2.918784503e-08f,
    },
    {   /* s^1 */
        -3.885239661e-01f, -3.125181794e-01f, -2.553257346e-01f, -2.115291804e-01f, -1.774506420e-01f, -1.505442113e-01f, -1.290157288e-01f, -1.115793660e-01f,
        -9.729906172e-02f, -7.561582327e-02f, -6.024467573e-02f, -4.900819063e-02f, -4.057591781e-02f, -3.410365433e-02f, -2.903774939e-02f, -2.500439808e-02f,
        -2.174465358e-02f, -1.686282083e-02f, -1.344401948e-02f, -1.096111257e-02f, -9.103276767e-03f, -7.678125985e-03f, -6.561644375e-03f, -5.671089515e-03f,
        -1.128379107e+00f, -9.679390192e-01f, -8.356142640e-01f, -7.257478833e-01f, -6.339434385e-01f, -5.567607880e-01f, -4.914899468e-01f, -4.359823167e-01f,
    },
    {   /* s^2 */
        2.484237105e-01f, 1.852877885e-01f, 1.407461762e-01f, 1.087080762e-01f, 8.525022119e-02f, 6.778898090e-02f, 5.459227040e-02f, 4.447847232e-02f,
        3.662299365e-02f, 2.554955147e-02f, 1.842296124e-02f, 1.366334688e-02f, 1.038085017e-02f, 8.053181693e-03f, 6.361839827e-03f, 5.106241442e-03f,
        4.155983217e-03f, 2.854361897e-03f, 2.040251624e-03f, 1.506559551e-03f, 1.142880414e-03f, 8.868713048e-04f, 7.016304880e-04f, 5.643945769e-04f,
        9.999921322e-01f, 8.220294118e-01f, 6.803465486e-01f, 5.667654872e-01f, 4.751005471e-01f, 4.006530046e-01f, 3.398122191e-01f, 2.897898853e-01f,
    },
    {   /* s^3 */
        -1.417825967e-01f, -9.908473492e-02f, -7.065551728e-02f, -5.130923167e-02f, -3.790768608e-02f, -2.844903246e-02f, -2.165864781e-02f, -1.672301255e-02f,
        -1.304238196e-02f, -8.241193369e-03f, -5.416098516e-03f, -3.683522809e-03f, -2.579824766e-03f, -1.854468603e-03f, -1.363625866e-03f, -1.022911514e-03f,
        -7.792214165e-04f, -4.758436698e-04f, -3.058436560e-04f, -2.049801842e-04f, -1.422882051e-04f, -1.017121249e-04f, -7.456658204e-05f, -5.588189742e-05f,
        -7.519210577e-01f, -5.967287421e-01f, -4.768449664e-01f, -3.836014271e-01f, -3.104827106e-01f, -2.529972196e-01f, -2.074804753e-01f, -1.710823774e-01f,
    },
    {   /* s^4 */
        7.264563441e-02f, 4.796435311e-02f, 3.241273388e-02f, 2.226052433e-02f, 1.560663711e-02f, 1.111767348e-02f, 8.012776263e-03f, 5.931973923e-03f,
        4.296171945e-03f, 2.487801015e-03f, 1.502260100e-03f, 9.448886849e-04f, 6.128220703e-04f, 4.106834822e-04f, 2.826293348e-04f, 1.989818993e-04f,
        1.386406366e-04f, 7.592351903e-05f, 4.420778350e-05f, 2.702875281e-05f, 1.726626033e-05f, 1.140409768e-05f, 7.767028364e-06f, 5.449569016e-06f,
        4.939047992e-01f, 3.818194270e-01f, 2.964581251e-01f, 2.313359082e-01f, 1.799687445e-01f, 1.422597468e-01f, 1.141093001e-01f, 9.121321142e-02f,
    },
    {   /* s^5 */
        -2.837006934e-02f, -1.790068671e-02f, -1.168903522e-02f, -7.626959588e-03f, -5.144379567e-03f, -3.507280955e-03f, -2.348938491e-03f, -1.757103018e-03f,
        -1.046767808e-03f, -5.695439177e-04f, -3.208459821e-04f, -1.907036349e-04f, -1.152958357e-04f, -7.334650581e-05f, -4.810153405e-05f, -3.222349187e-05f,
        -1.830197107e-05f, -9.196262909e-06f, -4.963423635e-06f, -2.813957735e-06f, -1.690972113e-06f, -1.044545797e-06f, -6.680573392e-07f, -4.498086810e-07f,
        -2.498885095e-01f, -1.956657320e-01f, -1.502507627e-01f, -1.142504662e-01f, -7.932402194e-02f, -6.077531353e-02f, -5.125116184e-02f, -3.932607546e-02f,
    },
};
static const float ct_erfc512_a[32] __attribute__((aligned(64))) = {
        7.071067691e-01f, 8.838834763e-01f, 1.060660124e+00f, 1.237436891e+00f, 1.414213538e+00f, 1.590990305e+00f, 1.767766953e+00f, 1.944543600e+00f,
        2.121320248e+00f, 2.474873781e+00f, 2.828427076e+00f, 3.181980610e+00f, 3.535533905e+00f, 3.889087200e+00f, 4.242640495e+00f, 4.596194267e+00f,
        4.949747562e+00f, 5.656854153e+00f, 6.363961220e+00f, 7.071067810e+00f, 7.778174400e+00f, 8.485280991e+00f, 9.192388535e+00f, 9.899495125e+00f,
        0.000000000e+00f, 8.838834614e-02f, 1.767766923e-01f, 2.651650310e-01f, 3.535533845e-01f, 4.419417381e-01f, 5.303300619e-01f, 6.187184453e-01f,
};
static const float ct_erfc512_exp2[2][32] __attribute__((aligned(64))) = {
    {   /* 2^(i/32) rounded */
        1.000000000e+00f, 1.021897197e+00f, 1.044273734e+00f, 1.067140460e+00f, 1.090507746e+00f, 1.114386797e+00f, 1.138788581e+00f, 1.163724899e+00f,
        1.189207077e+00f, 1.215247393e+00f, 1.241857767e+00f, 1.269050956e+00f, 1.296839595e+00f, 1.325236678e+00f, 1.354255557e+00f, 1.383909941e+00f,
        1.414213538e+00f, 1.445180774e+00f, 1.476826191e+00f, 1.509164453e+00f, 1.542210817e+00f, 1.575980902e+00f, 1.610490322e+00f, 1.645755529e+00f,
        1.681792855e+00f, 1.718619347e+00f, 1.756252170e+00f, 1.794709086e+00f, 1.834008098e+00f, 1.874167681e+00f, 1.915206552e+00f, 1.957144141e+00f,
    },
    {   /* its relative rounding error */
        0.000000000e+00f, -4.708457624e-08f, 4.628547146e-08f, -5.560422522e-08f, -1.199215749e-08f, -4.877606230e-08f, 4.729782432e-08f, -3.481442690e-08f,
        3.193418152e-08f, -2.688666534e-08f, 3.621057232e-08f, 1.118421022e-09f, -3.099071932e-08f, -2.638300955e-08f, -7.475213337e-09f, -4.245635665e-08f,
        1.711427089e-08f, 2.300196655e-08f, -3.047683350e-08f, -1.653853765e-08f, 5.233334210e-09f, -3.592064601e-08f, 6.107591766e-09f, -3.114054437e-08f,
        -1.471960509e-08f, -2.821810163e-08f, -5.258795177e-09f, -6.360387328e-09f, -6.128259677e-09f, -2.488040884e-08f, 5.140609272e-09f, -8.697266907e-09f,
    },
};


/* erfc(x); amax: the largest |x| with erfc(|x|) above 0 in float */
CT_AVX512_INLINE __m512 ct_erfc512_f(__m512 x, float amax)
{
    __m512 a = _mm512_abs_ps(x);
    __m512 ac = _mm512_castsi512_ps(_mm512_min_epu32(_mm512_castps_si512(a),
                                                      _mm512_castps_si512(_mm512_set1_ps(amax))));
    __m512 b1 = _mm512_fmadd_ps(ac, _mm512_set1_ps(1.41421353816986083984f), _mm512_set1_ps(1.0f));
    __m512i j = _mm512_srli_epi32(_mm512_castps_si512(b1), 20);
    __m512 s = _mm512_sub_ps(ac, CT_PICK32_PS(ct_erfc512_a, j));
    __m512 tail = CT_PICK32_PS(ct_erfc512_R[6], j);
    tail = _mm512_fmadd_ps(tail, s, CT_PICK32_PS(ct_erfc512_R[5], j));
    tail = _mm512_fmadd_ps(tail, s, CT_PICK32_PS(ct_erfc512_R[4], j));
    tail = _mm512_fmadd_ps(tail, s, CT_PICK32_PS(ct_erfc512_R[3], j));
    tail = _mm512_fmadd_ps(tail, s, CT_PICK32_PS(ct_erfc512_R[2], j));
    tail = _mm512_fmadd_ps(tail, s, CT_PICK32_PS(ct_erfc512_R[1], j));
    __m512 c0 = CT_PICK32_PS(ct_erfc512_R[0], j);
    /* k = round(-a^2 32 / ln2) by the 1.5 * 2^23 shift, r = -a^2 - k ln2/32 */
    const __m512 shift = _mm512_set1_ps(12582912.0f);
    __m512 ks = _mm512_fnmadd_ps(_mm512_mul_ps(ac, ac), _mm512_set1_ps(46.166241308446828f), shift);
    __m512 k = _mm512_sub_ps(ks, shift);
    __m512 r = _mm512_fnmsub_ps(ac, ac, _mm512_mul_ps(k, _mm512_set1_ps(0.02165985107421875f)));
    r = _mm512_fnmadd_ps(k, _mm512_set1_ps(9.9831822808482688e-07f), r);
    __m512i kb = _mm512_castps_si512(ks);
    __m512 T = CT_PICK32_PS(ct_erfc512_exp2[0], kb);
    __m512 h = _mm512_fmadd_ps(r, _mm512_set1_ps(1.0f / 6.0f), _mm512_set1_ps(0.5f));
    __m512 q = _mm512_fmadd_ps(h, _mm512_mul_ps(r, r), _mm512_add_ps(r, CT_PICK32_PS(ct_erfc512_exp2[1], kb)));
    __m512 corr = _mm512_fmadd_ps(_mm512_add_ps(c0, tail), q, tail);
    __m512 P = _mm512_mul_ps(c0, T);
    __m512 Pl = _mm512_fmsub_ps(c0, T, P);
    __m512 v = _mm512_add_ps(P, _mm512_fmadd_ps(T, corr, Pl));
    v = _mm512_scalef_ps(v, _mm512_mul_ps(k, _mm512_set1_ps(0.03125f)));
    __mmask16 big = _mm512_cmp_ps_mask(a, _mm512_set1_ps(amax), _CMP_GT_OQ);
    v = _mm512_mask_mov_ps(v, big, _mm512_setzero_ps());
    __mmask16 neg = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_LT_OQ);
    v = _mm512_mask_sub_ps(v, neg, _mm512_set1_ps(2.0f), v);
    __mmask16 nan = _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q);
    return _mm512_mask_mov_ps(v, nan, x);
}

__attribute__((target("avx512f"))) static void ct_erfc512_body(const float *x, float *y, int64_t n,
                                                               float amax)
{
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(y + i, ct_erfc512_f(_mm512_loadu_ps(x + i), amax));
    if (i < n) {   /* the lanes past n load 0 and are not stored */
        __mmask16 t = (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(y + i, t, ct_erfc512_f(_mm512_maskz_loadu_ps(t, x + i), amax));
    }
}

/* double: y's coefficients per power of u, by interval j (15 used) */
static const double ct_erfc512_Y[12][16] __attribute__((aligned(64))) = {
    {   /* 1 + u^0's coefficient, double's nearest */
        0.68256024978755836, 0.72920456824492375, 0.77668794492513105, 0.82336986574588744,
        0.86764457100628845, 0.90822662610522498, 0.94427996716680973, 0.97540436691496468,
        1.0015469508748009, 1.0228960072760935, 1.0397872817243277, 1.052632689369867,
        1.0618710020279913, 1.0679362631764375, 1.0712391342548178, 1.0721570805110696,
    },
    {   /* its rest */
        1.834486734385996e-18, 3.600029981503796e-17, -1.0544538480030233e-17, 1.0119590464556894e-17,
        5.469957640537772e-17, -1.1399458909952591e-17, 5.0866316270831449e-17, -4.4184425346138714e-17,
        7.0730777884927859e-17, -8.4433595511197611e-17, 9.0619461863551106e-17, -8.2798666983231374e-17,
        3.9359284593772261e-17, -1.0873942130152065e-16, 6.1097527209574718e-17, 5.1351790658861284e-17,
    },
    {   /* u^1 */
        0.04573849737387526, 0.047322556512019824, 0.047364738050707532, 0.045726434732900917,
        0.042606661477226797, 0.038418517824323629, 0.033623074716002323, 0.028618749948421417,
        0.023699380507043614, 0.019055874429903509, 0.014796137579582159, 0.010968320920695497,
        0.0075809460515281193, 0.0046181760709667627, 0.0020505396686025541, -0.00015794219062036121,
    },
    {   /* u^2 */
        0.0011137408047825735, 0.00043273391564953458, -0.0004025223421738203, -0.00121796005753299,
        -0.0018658822843793793, -0.00228291493314591, -0.0024790147048970239, -0.0025008688700778729,
        -0.002402774715411486, -0.0022319397726728962, -0.0020239537528080756, -0.0018032794064080108,
        -0.0015855033357141583, -0.0013797807708538384, -0.0011908905293939317, -0.0010207776364021019,
    },
    {   /* u^3 */
        -0.00018686927094984903, -0.00026134460106373312, -0.00028514467297985411, -0.00024994148102435842,
        -0.00017859508564154966, -0.00010020948517978949, -3.3281988455419019e-05, 1.5619012395330135e-05,
        4.71336223341724e-05, 6.478436783935321e-05, 7.2527579129132974e-05, 7.3736706788829205e-05,
        7.0950195166516035e-05, 6.594120207905077e-05, 5.9883513378444718e-05, 5.3518121120728889e-05,
    },
    {   /* u^4 */
        -2.207353999967784e-05, -1.344542388277524e-05, 1.8952505158716755e-06, 1.462016505871068e-05,
        1.9769458119364824e-05, 1.8654790302462545e-05, 1.4558594205301428e-05, 9.9371133375499892e-06,
        5.9767504667661233e-06, 3.0172798290719405e-06, 9.9567967405357315e-07, -2.8576233027309276e-07,
        -1.0343535725819298e-06, -1.4219446328330633e-06, -1.5765915788760631e-06, -1.5880227749988948e-06,
    },
    {   /* u^5 */
        6.5758793386478244e-07, 2.6782585738432812e-06, 3.0985884904074938e-06, 1.8241796940303037e-06,
        2.9792558104912111e-07, -6.2534061503301588e-07, -9.3067060240420637e-07, -8.8015024686905082e-07,
        -6.9420484546460272e-07, -4.9254886151060485e-07, -3.2306608387409811e-07, -1.96550910620095e-07,
        -1.0863154394359652e-07, -5.0650744263513273e-08, -1.4167655454216532e-08, 7.613247893180549e-09,
    },
    {   /* u^6 */
        3.5966129684267546e-07, 2.4548288712966729e-07, -1.0487647797626367e-07, -2.7217008953158574e-07,
        -2.131333549813771e-07, -9.614865631480835e-08, -1.3727708681192717e-08, 2.4358312837224199e-08,
        3.4406423894529463e-08, 3.1583160384621234e-08, 2.4670500379443965e-08, 1.7650858743943146e-08,
        1.1907290107510342e-08, 7.657413505801838e-09, 4.692486881714474e-09, 2.7058389224379027e-09,
    },
    {   /* u^7 */
        1.2662181905186913e-08, -4.3583201830550224e-08, -4.379693530374495e-08, -4.0381581500337774e-09,
        1.6166913869134827e-08, 1.5151054243559214e-08, 8.3206241144096035e-09, 3.0066918102259081e-09,
        2.3249252034808155e-10, -8.3558835421535583e-10, -1.0501788110495516e-09, -9.2584629157107032e-10,
        -7.1164901850993628e-10, -5.0828607707288235e-10, -3.463978248201868e-10, -2.279532807586295e-10,
    },
    {   /* u^8 */
        -6.1480933962440581e-09, -4.970826410421859e-09, 4.1691927104855948e-09, 4.3170134064904288e-09,
        8.5289544521955927e-10, -7.4407551695891088e-10, -8.2214961357120963e-10, -4.9485761276666106e-10,
        -2.1932695143314102e-10, -6.5896837239289615e-11, 1.7721937373248082e-12, 2.4381305847603855e-11,
        2.7229748861660495e-11, 2.3053900693700884e-11, 1.7413884457556133e-11, 1.2367786193228864e-11,
    },
    {   /* u^9 */
        -8.8009289359529458e-10, 9.9597501666676183e-10, 5.8220518679488665e-10, -3.5780236007350463e-10,
        -3.0485748520025131e-10, -6.8623086286646635e-11, 2.7660284586870383e-11, 3.6813789882407891e-11,
        2.3528516261914949e-11, 1.1447624429574715e-11, 4.4224685246348904e-12, 1.0961122999061269e-12,
        -2.2019200658680725e-13, -6.0374564383823543e-13, -6.1205864436631756e-13, -5.0107763125984768e-13,
    },
    {   /* u^10 */
        2.0643220722141758e-10, 1.0868474236668421e-10, -1.323837943221026e-10, -3.4293060953537971e-11,
        2.6233740493596311e-11, 1.6894097043185202e-11, 3.8024319590222083e-12, -8.8801320633463627e-13,
        -1.427187580308384e-12, -9.4852254216188667e-13, -4.8542628057929481e-13, -2.0860284816668839e-13,
        -7.2068575970004069e-14, -1.3427704135014094e-14, 7.817618703140589e-15, 1.2454298002704795e-14,
    },
};
static const double ct_erfc512_exp2d[2][16] __attribute__((aligned(64))) = {
    {   /* 2^(i/16) rounded */
        1, 1.0442737824274138, 1.0905077326652577, 1.1387886347566916,
        1.189207115002721, 1.241857812073484, 1.2968395546510096, 1.3542555469368927,
        1.4142135623730951, 1.4768261459394993, 1.5422108254079407, 1.6104903319492543,
        1.681792830507429, 1.7562521603732995, 1.8340080864093424, 1.9152065613971474,
    },
    {   /* its relative rounding error */
        0, 8.1893176381955148e-17, -2.7939114859515733e-17, 7.8265732586360762e-17,
        3.3484623336251524e-17, 3.7508542013031272e-17, 1.9572585293112036e-17, 5.68648095791174e-17,
        -6.835808657661922e-17, -2.3591094770850053e-17, 5.1548301170786783e-17, 1.5341410053603723e-17,
        4.8751605262270617e-17, 1.6854872906289731e-17, 1.7901269076045131e-17, -5.5450656186394267e-17,
    },
};

/* erfc of double, 8 lanes at a time: special.c's scheme (erfc_pos_d) with
 * its two long polynomials and exp's Taylor series replaced by tables.
 * a is clamped at 27.3 (erfc rounds to 0 from 27.2261 on; a NaN stays NaN
 * through the min and the arithmetic). With d = K / (a + c) (c = sqrt(pi)
 * / 2; d in [0.0293, 0.9327]), erfcx(a) = d (1 + rho) Y(d), Y = 1 + y from
 * a degree-10 polynomial in u = 16 d - j on the 16 intervals
 * [(j - 1/2)/16, (j + 1/2)/16) (j = round(16 d) from the shifted double's
 * low bits, u exact), interpolated at Chebyshev nodes in 50-digit
 * arithmetic, its constant a double pair: Y = Yh + Yt, Yt (the pair's
 * second part and the powers of u) within 6.2e-17 absolute. rho is
 * d's rounding and a + c's (an exact two-sum), from the division's
 * residual. e^(-a^2) = 2^(k/16) T (1 + t) e^r with the float kernel's
 * reduction (ln2/16 = C1 + C2, C1 of 38 bits so that k C1 is exact; the
 * square's low part and k C2 added to r), e^r - 1 = r + r^2 Q(r), Q
 * Taylor's to r^5 (truncation below 2e-18 for |r| <= ln2 / 32), T and t
 * from two 16-entry tables. To first order in the small rho and t:
 *   erfc(a) = 2^(k/16) d T (Yh + corr),
 *   corr = Yt + (Yh + Yt)(e^r - 1 + rho + t),
 * with d T = P + Pl exactly and the result P Yh + (P corr + Pl Yh)
 * rounded once (an fma) before 2^floor(k/16) by vscalefpd. x < 0:
 * 2 - erfc(a). Largest error against mpmath (48,000 points over [-6, 28]):
 * 0.78 ulp. */
CT_AVX512_INLINE __m512d ct_erfc512_d(__m512d x)
{
    __m512d a = _mm512_abs_pd(x);
    /* clamped where erfc rounds to 0 (from 27.2261 on; a NaN stays NaN) */
    __m512d ac = _mm512_min_pd(_mm512_set1_pd(27.3), a);
    const __m512d shift = _mm512_set1_pd(6755399441055744.0);     /* 1.5 * 2^52 */
    __m512d z = _mm512_mul_pd(ac, ac);
    __m512d zl = _mm512_fmsub_pd(ac, ac, z);
    __m512d ks = _mm512_fnmadd_pd(z, _mm512_set1_pd(23.083120654223414), shift);
    __m512d k = _mm512_sub_pd(ks, shift);
    __m512d r = _mm512_fnmsub_pd(k, _mm512_set1_pd(0.04332169878489367), z);
    /* r exact, the rest (up to 2e-9) added in: r's rounding is below 3e-18 */
    r = _mm512_add_pd(r, _mm512_fnmsub_pd(k, _mm512_set1_pd(1.0291218489310676e-13), zl));
    __m512d Q = _mm512_fmadd_pd(_mm512_set1_pd(1.0 / 5040), r, _mm512_set1_pd(1.0 / 720));
    Q = _mm512_fmadd_pd(Q, r, _mm512_set1_pd(1.0 / 120));
    Q = _mm512_fmadd_pd(Q, r, _mm512_set1_pd(1.0 / 24));
    Q = _mm512_fmadd_pd(Q, r, _mm512_set1_pd(1.0 / 6));
    Q = _mm512_fmadd_pd(Q, r, _mm512_set1_pd(0.5));
    __m512d er = _mm512_fmadd_pd(_mm512_mul_pd(r, r), Q, r);              /* e^r - 1 */
    /* 16 d = 16 K / (a + c) (1 + rho), a + c = sm + sl exactly */
    const __m512d C = _mm512_set1_pd(0.886226952075958251953125), K16 = _mm512_set1_pd(13.22525497137244);
    __m512d sm = _mm512_add_pd(ac, C);
    __m512d big = _mm512_max_pd(ac, C), small = _mm512_min_pd(ac, C);
    __m512d sl = _mm512_sub_pd(small, _mm512_sub_pd(sm, big));
    __m512d d16 = _mm512_div_pd(K16, sm);
    /* K16 rho */
    __m512d rho = _mm512_fnmadd_pd(sl, d16, _mm512_fnmadd_pd(sm, d16, K16));
    /* j = round(16 d), u = 16 d - j (exact) */
    __m512d jb = _mm512_add_pd(d16, shift);
    __m512d u = _mm512_sub_pd(d16, _mm512_sub_pd(jb, shift));
    __m512i j = _mm512_castpd_si512(jb);
#define CT_E512_PICKD(T) CT_PICK16_PD(T, j)
    /* 1 + y = Yh + Yt: Yh the pair's first part, Yt the rest and u's powers */
    /* Yt by Estrin's scheme */
    __m512d u2 = _mm512_mul_pd(u, u), u4 = _mm512_mul_pd(u2, u2);
    __m512d p0 = _mm512_fmadd_pd(CT_E512_PICKD(ct_erfc512_Y[2]), u, CT_E512_PICKD(ct_erfc512_Y[1]));
    __m512d p1 = _mm512_fmadd_pd(CT_E512_PICKD(ct_erfc512_Y[4]), u, CT_E512_PICKD(ct_erfc512_Y[3]));
    __m512d p2 = _mm512_fmadd_pd(CT_E512_PICKD(ct_erfc512_Y[6]), u, CT_E512_PICKD(ct_erfc512_Y[5]));
    __m512d p3 = _mm512_fmadd_pd(CT_E512_PICKD(ct_erfc512_Y[8]), u, CT_E512_PICKD(ct_erfc512_Y[7]));
    __m512d p4 = _mm512_fmadd_pd(CT_E512_PICKD(ct_erfc512_Y[10]), u, CT_E512_PICKD(ct_erfc512_Y[9]));
    p0 = _mm512_fmadd_pd(p1, u2, p0);
    p2 = _mm512_fmadd_pd(p3, u2, p2);
    p4 = _mm512_fmadd_pd(CT_E512_PICKD(ct_erfc512_Y[11]), u2, p4);
    __m512d Yt = _mm512_fmadd_pd(_mm512_fmadd_pd(p4, u4, p2), u4, p0);
    __m512d Yh = CT_E512_PICKD(ct_erfc512_Y[0]);
#undef CT_E512_PICKD
    __m512i kb = _mm512_castpd_si512(ks);
    __m512d T = CT_PICK16_PD(ct_erfc512_exp2d[0], kb);
    __m512d tl = CT_PICK16_PD(ct_erfc512_exp2d[1], kb);
    /* (Yh + Yt) e^r (1 + rho)(1 + t) = Yh + corr, corr = Yt + (Yh + Yt)
     * (r + g + rho + t) (rho and t are below 2^-52: their products with
     * r + g are left out) */
    __m512d sm4 = _mm512_add_pd(er, _mm512_fmadd_pd(rho, _mm512_set1_pd(1.0 / 13.22525497137244), tl));
    __m512d corr = _mm512_fmadd_pd(_mm512_add_pd(Yh, Yt), sm4, Yt);
    /* d T (Yh + corr), d T = P + Pl and P Yh = PY + PYl exactly */
    __m512d P = _mm512_mul_pd(d16, T);
    __m512d Pl = _mm512_fmsub_pd(d16, T, P);
    __m512d v = _mm512_fmadd_pd(P, Yh, _mm512_fmadd_pd(P, corr, _mm512_mul_pd(Pl, Yh)));
    v = _mm512_scalef_pd(v, _mm512_fmadd_pd(k, _mm512_set1_pd(0.0625), _mm512_set1_pd(-4.0)));
    __mmask8 neg = _mm512_cmp_pd_mask(x, _mm512_setzero_pd(), _CMP_LT_OQ);
    return _mm512_mask_sub_pd(v, neg, _mm512_set1_pd(2.0), v);
}

/* static void NAME(const double *x, double *y, int64_t n): y = FN(x), 8
 * lanes at a time, the lanes past n of the last vector loaded as 0 and not
 * stored */
#define CT_E512_MAP_D(NAME, FN)                                                    \
__attribute__((target("avx512f"))) static void NAME(const double *x, double *y, int64_t n) \
{                                                                                  \
    int64_t i = 0;                                                                 \
    for (; i + 8 <= n; i += 8)                                                     \
        _mm512_storeu_pd(y + i, FN(_mm512_loadu_pd(x + i)));                       \
    if (i < n) {                                                                   \
        __mmask8 t = (__mmask8)((1u << (n - i)) - 1);                              \
        _mm512_mask_storeu_pd(y + i, t, FN(_mm512_maskz_loadu_pd(t, x + i)));      \
    }                                                                              \
}
CT_E512_MAP_D(ct_erfc512_body_d, ct_erfc512_d)

#endif
