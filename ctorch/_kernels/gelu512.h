/* Exact gelu of float and its derivative on AVX-512, 16 lanes at a time:
 * table-driven, without the division and the correction terms of nn.c's
 * portable kernel (which the other machines run). nn.c includes this file
 * on x86-64 with GCC-compatible compilers and calls these bodies, per
 * block, when the CPU has AVX-512F.
 *
 * With a = min(|x|, 14.5): Phi(-a) = R(a) e^(-a^2/2), where R(a) =
 * Phi(-a) e^(a^2/2) is smooth and varies on the scale of a. R comes from a
 * degree-4 polynomial in s = a - b on 32 intervals [b, b + w) whose widths
 * grow with a: the bits of a + 1 (in [1, 15.5]) give the interval, its
 * exponent and top three mantissa bits (w = 1/8 for a < 1, 1/4 below 3,
 * 1/2 below 7, 1 above), the index modulo 32 that vpermt2ps takes from
 * the shifted bits. b is exact and so is s (Sterbenz). The coefficients,
 * one table of 32 per power of s, were fitted per interval against an
 * mpmath reference (relative least squares on 400 Chebyshev nodes,
 * rounded to float one power at a time with the higher powers refitted to
 * what was left): relative error under 6.7e-8 in double arithmetic.
 *
 * e^(-a^2/2) = 2^(k/16) e^r: -a^2/2 = k ln2/16 + r, |r| <= ln2/32, with
 * -a^2/2 taken exactly into r by an fma (ln2/16 = C1 + C2, C1 of 12 bits
 * so that k C1 is exact for k >= -2432), e^r by its degree-3 Taylor
 * polynomial (relative error < 1e-8), 2^((k mod 16)/16) from a 16-entry
 * table (vpermps takes k's low four bits from its shifted float) and
 * 2^floor(k/16) by vscalefps.
 *
 * A vector whose 16 lanes all have |x| < 4 (most of them, for activations
 * of unit scale) takes a shorter path: Phi(-a) from a degree-5 polynomial
 * in t = 8a - j on the intervals [j/8, (j + 1)/8), no exponential (fitted
 * as above; 2.0 ulp for x > 0 and 1.8 for x < 0 over every 7th float of
 * (-4, 4)). The two paths may round an x differently, so an element's last
 * bit can depend on its neighbours' sizes.
 *
 * gelu(x) = x Phi(x): Phi(x) = 1 - Phi(-a) for x > 0 (an fma, rounded
 * once) and Phi(-a) otherwise (no cancellation either way). Phi(-a) is
 * made as 2^6 Phi(-a) and x 2^6 Phi(-a) scaled back by 2^-6 last: a result
 * below 2^-126 rounds once more, not from a denormal Phi(-a) with few
 * bits, while at the clamp 2^6 Phi(-14.5) = 3.9e-46 rounds to 0, so that
 * x < -14.5 gives x 0 (-0, NaN for -inf, as PyTorch's) and x > 14.5 gives
 * x (inf too). gelu'(x) = Phi(x) + x phi(x) = 1 - e (R - |x| c) for x > 0
 * and e (R - |x| c) otherwise, e = e^(-a^2/2), c = 1/sqrt(2 pi); past the
 * clamp 1 and +0 (NaN for +-inf), as PyTorch's. NaN propagates. Largest
 * error over every 7th float of [-15, 6] against a double reference: gelu
 * 3.0 ulp for x > 0 and 4.8 for x < 0 (results below 2^-126: 2.1 units of
 * 2^-149); gelu' 1.7 ulp for x > 0 and, for x < 0, as gelu's except around
 * gelu's minimum (x = -0.7518), where R - |x| c cancels. */
#ifndef CT_GELU512_H
#define CT_GELU512_H

#include <stdint.h>
#include "avx512_tab.h"

/* R's coefficients per power of s, by interval index */
static const float ct_gelu512_R[5][32] __attribute__((aligned(64))) = {
    {   /* s^0 */
        2.615782917e-01f, 2.307603210e-01f, 2.057806700e-01f, 1.852316707e-01f,
        1.681019962e-01f, 1.536519378e-01f, 1.413313299e-01f, 1.307247281e-01f,
        1.215139404e-01f, 1.063451469e-01f, 9.441064298e-02f, 8.480338752e-02f,
        7.691930234e-02f, 7.034269720e-02f, 6.477931142e-02f, 6.001567468e-02f,
        5.589348078e-02f, 4.912254587e-02f, 4.379878938e-02f, 3.950669244e-02f,
        3.597488999e-02f, 3.301897272e-02f, 3.050941415e-02f, 2.835266106e-02f,
        5.000000000e-01f, 4.537932277e-01f, 4.140321016e-01f, 3.796044290e-01f,
        3.496188223e-01f, 3.233561814e-01f, 3.002324700e-01f, 2.797705829e-01f,
    },
    {   /* s^1 */
        -1.373632252e-01f, -1.104913950e-01f, -9.027113765e-02f, -7.478698343e-02f,
        -6.273788214e-02f, -5.322535336e-02f, -4.561381415e-02f, -3.944890201e-02f,
        -3.439977393e-02f, -2.673382312e-02f, -2.129962295e-02f, -1.732681505e-02f,
        -1.434563752e-02f, -1.205751579e-02f, -1.026629750e-02f, -8.840359747e-03f,
        -7.687755395e-03f, -5.961842835e-03f, -4.753153306e-03f, -3.875298426e-03f,
        -3.218488069e-03f, -2.714642091e-03f, -2.319883090e-03f, -2.005037153e-03f,
        -3.989418447e-01f, -3.422183990e-01f, -2.954338789e-01f, -2.565905452e-01f,
        -2.241314203e-01f, -1.968459040e-01f, -1.737686694e-01f, -1.541443020e-01f,
    },
    {   /* s^2 */
        6.207818538e-02f, 4.630447179e-02f, 3.517751396e-02f, 2.717414498e-02f,
        2.130386606e-02f, 1.694420911e-02f, 1.364473905e-02f, 1.111342385e-02f,
        9.146124125e-03f, 6.381718442e-03f, 4.603575449e-03f, 3.413504455e-03f,
        2.593829297e-03f, 2.013323829e-03f, 1.589538180e-03f, 1.276185736e-03f,
        1.037783688e-03f, 7.130039157e-04f, 5.097792018e-04f, 3.763880813e-04f,
        2.856327046e-04f, 2.217304136e-04f, 1.753509569e-04f, 1.410962432e-04f,
        2.499671280e-01f, 2.055004537e-01f, 1.700645834e-01f, 1.416804492e-01f,
        1.187283099e-01f, 1.001941040e-01f, 8.497037739e-02f, 7.248093933e-02f,
    },
    {   /* s^3 */
        -2.473531291e-02f, -1.730885729e-02f, -1.236765925e-02f, -9.006243199e-03f,
        -6.622343790e-03f, -4.990659654e-03f, -3.796107369e-03f, -2.912186552e-03f,
        -2.253290499e-03f, -1.427264651e-03f, -9.434972890e-04f, -6.401074934e-04f,
        -4.494400637e-04f, -3.260270169e-04f, -2.373839234e-04f, -1.790099923e-04f,
        -1.342691103e-04f, -8.239973249e-05f, -5.318232797e-05f, -3.561437552e-05f,
        -2.486452831e-05f, -1.789027556e-05f, -1.303841236e-05f, -9.829580449e-06f,
        -1.321939826e-01f, -1.051017046e-01f, -8.382146806e-02f, -6.751263887e-02f,
        -5.426287279e-02f, -4.495434463e-02f, -3.678031266e-02f, -3.053592332e-02f,
    },
    {   /* s^4 */
        7.537540980e-03f, 5.022521596e-03f, 3.438449465e-03f, 2.410696121e-03f,
        1.637036214e-03f, 1.202825806e-03f, 8.642491885e-04f, 6.039969157e-04f,
        4.197676317e-04f, 2.461907570e-04f, 1.536940545e-04f, 9.540645988e-05f,
        6.293625484e-05f, 4.477088805e-05f, 2.881736691e-05f, 2.108097760e-05f,
        1.330930900e-05f, 7.483253739e-06f, 4.462087873e-06f, 2.722239287e-06f,
        1.801317239e-06f, 1.244081432e-06f, 8.170095498e-07f, 5.985689882e-07f,
        5.492339283e-02f, 4.304479435e-02f, 3.283550590e-02f, 2.592021413e-02f,
        1.894581504e-02f, 1.756867953e-02f, 1.376018673e-02f, 1.177212223e-02f,
    },
};
/* the intervals' left ends b, by index */
static const float ct_gelu512_b[32] __attribute__((aligned(64))) = {
    1.0f, 1.25f, 1.5f, 1.75f, 2.0f, 2.25f, 2.5f, 2.75f,
    3.0f, 3.5f, 4.0f, 4.5f, 5.0f, 5.5f, 6.0f, 6.5f,
    7.0f, 8.0f, 9.0f, 10.0f, 11.0f, 12.0f, 13.0f, 14.0f,
    0.0f, 0.125f, 0.25f, 0.375f, 0.5f, 0.625f, 0.75f, 0.875f,
};
/* Phi(-a) for a in [0, 4) on 32 intervals [j/8, (j + 1)/8): coefficients per
 * power of t = 8a - j, by j */
static const float ct_gelu512_Q[6][32] __attribute__((aligned(64))) = {
    {   /* t^0 */
        5.000000000e-01f, 4.502617717e-01f, 4.012936652e-01f, 3.538302481e-01f,
        3.085375428e-01f, 2.659855187e-01f, 2.266273499e-01f, 1.907869577e-01f,
        1.586552560e-01f, 1.302945167e-01f, 1.056497768e-01f, 8.456572145e-02f,
        6.680720299e-02f, 5.208127946e-02f, 4.005915672e-02f, 3.039636090e-02f,
        2.275013179e-02f, 1.679330692e-02f, 1.222447306e-02f, 8.774475195e-03f,
        6.209665444e-03f, 4.332448356e-03f, 2.979763318e-03f, 2.020137385e-03f,
        1.349898055e-03f, 8.890252793e-04f, 5.770250573e-04f, 3.690784506e-04f,
        2.326290851e-04f, 1.444807276e-04f, 8.841728413e-05f, 5.331234934e-05f,
    },
    {   /* t^1 */
        -4.986778647e-02f, -4.947964102e-02f, -4.833333567e-02f, -4.648217559e-02f,
        -4.400824755e-02f, -4.101991653e-02f, -3.764212877e-02f, -3.400696814e-02f,
        -3.024638072e-02f, -2.648457140e-02f, -2.283119597e-02f, -1.937651634e-02f,
        -1.618973352e-02f, -1.331728417e-02f, -1.078466233e-02f, -8.598268032e-03f,
        -6.748867687e-03f, -5.215132143e-03f, -3.967464436e-03f, -2.971489448e-03f,
        -2.191039966e-03f, -1.590522588e-03f, -1.136696897e-03f, -7.997630164e-04f,
        -5.539814592e-04f, -3.777818638e-04f, -2.536312677e-04f, -1.676397660e-04f,
        -1.090854275e-04f, -6.988270616e-05f, -4.407442611e-05f, -2.736643546e-05f,
    },
    {   /* t^2 */
        1.097906388e-08f, 3.861699661e-04f, 7.542220992e-04f, 1.091010170e-03f,
        1.375707798e-03f, 1.601214288e-03f, 1.764196320e-03f, 1.860258286e-03f,
        1.890614047e-03f, 1.862144098e-03f, 1.784013468e-03f, 1.665080199e-03f,
        1.517972676e-03f, 1.352540567e-03f, 1.179560553e-03f, 1.007523038e-03f,
        8.435926284e-04f, 6.926830974e-04f, 5.579678109e-04f, 4.410904949e-04f,
        3.423632588e-04f, 2.609447110e-04f, 1.953781175e-04f, 1.436967868e-04f,
        1.038734626e-04f, 7.378333976e-05f, 5.152002632e-05f, 3.536085569e-05f,
        2.386273991e-05f, 1.583274752e-05f, 1.032965793e-05f, 6.627621588e-06f,
    },
    {   /* t^3 */
        1.298359421e-04f, 1.277319097e-04f, 1.202454514e-04f, 1.004366859e-04f,
        8.493466157e-05f, 6.767264858e-05f, 4.353179247e-05f, 1.962482747e-05f,
        -4.833670459e-07f, -1.819642603e-05f, -3.418842971e-05f, -4.473967783e-05f,
        -5.312809662e-05f, -5.690939361e-05f, -5.790309660e-05f, -5.613477333e-05f,
        -5.269307076e-05f, -4.785996498e-05f, -4.207546226e-05f, -3.593511065e-05f,
        -2.998769378e-05f, -2.439866876e-05f, -1.944529686e-05f, -1.510762286e-05f,
        -1.154522488e-05f, -8.618101674e-06f, -6.318088253e-06f, -4.534017989e-06f,
        -3.195989848e-06f, -2.208821115e-06f, -1.498221309e-06f, -9.981010862e-07f,
    },
    {   /* t^4 */
        2.867584392e-08f, -2.398242032e-06f, -5.127788882e-06f, -5.160390515e-07f,
        -3.930513230e-06f, -8.021139365e-06f, -6.258838766e-06f, -4.309726137e-06f,
        -4.457304840e-06f, -4.335315680e-06f, -2.605188456e-06f, -2.600886546e-06f,
        -1.054730433e-06f, -6.144533131e-07f, 8.289278952e-08f, 4.949221761e-07f,
        1.074592774e-06f, 1.486060683e-06f, 1.604571821e-06f, 1.545001282e-06f,
        1.483235906e-06f, 1.323212473e-06f, 1.180039590e-06f, 9.608439768e-07f,
        8.144651247e-07f, 6.434113402e-07f, 5.080900110e-07f, 3.830191133e-07f,
        2.864037754e-07f, 2.074949492e-07f, 1.469656183e-07f, 1.023287268e-07f,
    },
    {   /* t^5 */
        -3.139768978e-07f, 4.031766565e-08f, 5.647873422e-07f, -1.465798618e-06f,
        -4.785126748e-07f, 8.852442193e-07f, 2.626882463e-07f, -3.094181409e-07f,
        -3.171125940e-08f, 2.160621335e-07f, -7.852263195e-08f, 2.565856221e-07f,
        1.996219545e-08f, 1.448637477e-07f, 1.270397831e-07f, 1.559519092e-07f,
        6.821382215e-08f, -1.134087224e-08f, -3.047492569e-08f, -2.081061545e-08f,
        -3.592333542e-08f, -3.178646679e-08f, -4.179593560e-08f, -2.633776397e-08f,
        -3.400124626e-08f, -2.702165602e-08f, -2.536462773e-08f, -1.946243877e-08f,
        -1.608609601e-08f, -1.215794043e-08f, -8.910625127e-09f, -6.521388762e-09f,
    },
};
/* 2^(i/16), rounded to float */
static const float ct_gelu512_exp2[16] __attribute__((aligned(64))) = {
    1.000000000e+00f, 1.044273734e+00f, 1.090507746e+00f, 1.138788581e+00f,
    1.189207077e+00f, 1.241857767e+00f, 1.296839595e+00f, 1.354255557e+00f,
    1.414213538e+00f, 1.476826191e+00f, 1.542210817e+00f, 1.610490322e+00f,
    1.681792855e+00f, 1.756252170e+00f, 1.834008098e+00f, 1.915206552e+00f,
};


/* R(a) for a in [0, 14.5]; *m and *K with 2^e0 e^(-a^2/2) = scalef(m, K) */
CT_AVX512_INLINE __m512 ct_gelu512_parts(__m512 a, float e0, __m512 *m, __m512 *K)
{
    __m512i j = _mm512_srli_epi32(_mm512_castps_si512(_mm512_add_ps(a, _mm512_set1_ps(1.0f))), 20);
    __m512 s = _mm512_sub_ps(a, CT_PICK32_PS(ct_gelu512_b, j));
    __m512 R = ct_horner32_ps(ct_gelu512_R, 4, 0, j, s);
    __m512 ha = _mm512_mul_ps(a, _mm512_set1_ps(0.5f));
    const __m512 shift = _mm512_set1_ps(12582912.0f);           /* 1.5 * 2^23 */
    __m512 ks = _mm512_fnmadd_ps(_mm512_mul_ps(ha, a), _mm512_set1_ps(23.083120654223414f), shift);
    __m512 k = _mm512_sub_ps(ks, shift);                        /* round(-a^2/2 16/ln2) */
    __m512 r = _mm512_fnmsub_ps(ha, a, _mm512_mul_ps(k, _mm512_set1_ps(0.0433197021484375f)));
    r = _mm512_fnmadd_ps(k, _mm512_set1_ps(1.9966364561696537e-06f), r);
    __m512 p = _mm512_fmadd_ps(_mm512_set1_ps(1.0f / 6.0f), r, _mm512_set1_ps(0.5f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    *m = _mm512_mul_ps(p, _mm512_permutexvar_ps(_mm512_castps_si512(ks), _mm512_load_ps(ct_gelu512_exp2)));
    *K = _mm512_fmadd_ps(k, _mm512_set1_ps(0.0625f), _mm512_set1_ps(e0));
    return R;
}

/* gelu(x) when every lane has |x| = a < 4 (so no NaN or infinity): Phi(-a)
 * straight from ct_gelu512_Q, no exponential */
CT_AVX512_INLINE __m512 ct_gelu512_f_small(__m512 x, __m512 a)
{
    __m512 a8 = _mm512_mul_ps(a, _mm512_set1_ps(8.0f));
    __m512i j = _mm512_cvttps_epi32(a8);
    __m512 t = _mm512_sub_ps(a8, _mm512_cvtepi32_ps(j));
    __m512 Q = CT_PICK32_PS(ct_gelu512_Q[5], j);
    Q = _mm512_fmadd_ps(Q, t, CT_PICK32_PS(ct_gelu512_Q[4], j));
    Q = _mm512_fmadd_ps(Q, t, CT_PICK32_PS(ct_gelu512_Q[3], j));
    Q = _mm512_fmadd_ps(Q, t, CT_PICK32_PS(ct_gelu512_Q[2], j));
    Q = _mm512_fmadd_ps(Q, t, CT_PICK32_PS(ct_gelu512_Q[1], j));
    Q = _mm512_fmadd_ps(Q, t, CT_PICK32_PS(ct_gelu512_Q[0], j));
    __mmask16 pos = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GT_OQ);
    return _mm512_mul_ps(x, _mm512_mask_sub_ps(Q, pos, _mm512_set1_ps(1.0f), Q));
}

CT_AVX512_INLINE __m512 ct_gelu512_f(__m512 x)
{
    __m512 m, K, R = ct_gelu512_parts(_mm512_min_ps(_mm512_abs_ps(x), _mm512_set1_ps(14.5f)), 6.0f, &m, &K);
    __m512 Q = _mm512_scalef_ps(_mm512_mul_ps(R, m), K);           /* 2^6 Phi(-a) */
    __mmask16 pos = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GT_OQ);
    __mmask16 npos = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_NGT_UQ);
    __m512 y = _mm512_mul_ps(x, _mm512_mask_fnmadd_ps(Q, pos, _mm512_set1_ps(0x1p-6f), _mm512_set1_ps(1.0f)));
    return _mm512_mask_mul_ps(y, npos, y, _mm512_set1_ps(0x1p-6f));
}

/* gelu'(x); the lanes with |x| > 14.5 take (x - x) + (x > 0) */
CT_AVX512_INLINE __m512 ct_gelu512_df(__m512 x)
{
    __m512 ax = _mm512_abs_ps(x);
    __m512 m, K, R = ct_gelu512_parts(_mm512_min_ps(ax, _mm512_set1_ps(14.5f)), 0.0f, &m, &K);
    __m512 v = _mm512_fnmadd_ps(ax, _mm512_set1_ps(0.39894228040143267794f), R);
    __m512 q = _mm512_scalef_ps(_mm512_mul_ps(v, m), K);
    __mmask16 pos = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GT_OQ);
    __m512 y = _mm512_mask_sub_ps(q, pos, _mm512_set1_ps(1.0f), q);
    __mmask16 big = _mm512_cmp_ps_mask(ax, _mm512_set1_ps(14.5f), _CMP_GT_OQ);
    return _mm512_mask_add_ps(y, big, _mm512_sub_ps(x, x), _mm512_maskz_mov_ps(pos, _mm512_set1_ps(1.0f)));
}

__attribute__((target("avx512f"))) static void ct_gelu512_body(const float *x, float *y, int64_t n)
{
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 v = _mm512_loadu_ps(x + i), a = _mm512_abs_ps(v);
        if (_mm512_cmp_ps_mask(a, _mm512_set1_ps(4.0f), _CMP_LT_OQ) == 0xFFFF)
            _mm512_storeu_ps(y + i, ct_gelu512_f_small(v, a));
        else
            _mm512_storeu_ps(y + i, ct_gelu512_f(v));
    }
    if (i < n) {   /* the lanes past n load 0 and are not stored */
        __mmask16 t = (__mmask16)((1u << (n - i)) - 1);
        __m512 v = _mm512_maskz_loadu_ps(t, x + i), a = _mm512_abs_ps(v);
        if (_mm512_cmp_ps_mask(a, _mm512_set1_ps(4.0f), _CMP_LT_OQ) == 0xFFFF)
            _mm512_mask_storeu_ps(y + i, t, ct_gelu512_f_small(v, a));
        else
            _mm512_mask_storeu_ps(y + i, t, ct_gelu512_f(v));
    }
}

/* dx = g gelu'(x) */
__attribute__((target("avx512f"))) static void ct_gelu512_bwd_body(const float *g, const float *x,
                                                                 float *dx, int64_t n)
{
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(dx + i, _mm512_mul_ps(_mm512_loadu_ps(g + i),
                                               ct_gelu512_df(_mm512_loadu_ps(x + i))));
    if (i < n) {
        __mmask16 t = (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(dx + i, t, _mm512_mul_ps(_mm512_maskz_loadu_ps(t, g + i),
                                                       ct_gelu512_df(_mm512_maskz_loadu_ps(t, x + i))));
    }
}

#endif
