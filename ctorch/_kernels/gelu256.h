/* Exact gelu of float on AVX2 + FMA (the x86-64 CPUs without AVX-512), for
 * the common case of activations of unit scale: 8 lanes that all have
 * |x| = a < 4 take Phi(-a) from a degree-7 polynomial in t = 2a - j - 1/2
 * (in [-1/2, 1/2), exact) on the intervals [j/2, (j + 1)/2), j < 8, one
 * vpermps per coefficient, with no exponential and no division; other
 * groups of 8 (with a larger, infinite or NaN lane) take nn.c's portable
 * kernel.
 * nn.c includes this file on x86-64 with GCC-compatible compilers and calls
 * ct_gelu256_body, per block, when the CPU has AVX2 and FMA but not
 * AVX-512F.
 *
 * The coefficients were fitted per interval against scipy's erfc (relative
 * least squares on 800 Chebyshev nodes, reweighted towards the minimax
 * error, rounded to float one power at a time with the higher powers
 * refitted to what was left); centring t keeps the float evaluation from
 * cancelling: relative error of Phi(-a) under 1.8e-7 over each interval.
 * gelu(x) = x - x Q for x > 0 (one fma) and x Q otherwise, Q = Phi(-a)
 * (no cancellation either way). Largest error over every float of (-4, 4)
 * in steps of 1e-6 against a double reference: 2.4 ulp (the portable
 * kernel: 4.4). The two kernels may round an x differently, so an
 * element's last bit can depend on its neighbours' sizes. */
#ifndef CT_GELU256_H
#define CT_GELU256_H

#include <stdint.h>
#include <immintrin.h>

/* Phi(-a) for a < 4 by interval [j/2, (j + 1)/2), per power of t */
static const float ct_gelu256_Q[8][8] __attribute__((aligned(32))) = {
    {   /* t^0 */
        4.012936652e-01f, 2.266273499e-01f, 1.056497768e-01f, 4.005915672e-02f,
        1.222447306e-02f, 2.979763318e-03f, 5.770250573e-04f, 8.841728413e-05f,
    },
    {   /* t^1 */
        -1.933340430e-01f, -1.505687088e-01f, -9.132454544e-02f, -4.313866049e-02f,
        -1.586982608e-02f, -4.546781536e-03f, -1.014524023e-03f, -1.762978354e-04f,
    },
    {   /* t^2 */
        1.208367012e-02f, 2.823171206e-02f, 2.853881940e-02f, 1.887317002e-02f,
        8.926763199e-03f, 3.125908785e-03f, 8.242999902e-04f, 1.652792562e-04f,
    },
    {   /* t^3 */
        7.551674265e-03f, 2.744542668e-03f, -2.140311059e-03f, -3.707204014e-03f,
        -2.686285181e-03f, -1.243252773e-03f, -4.042244691e-04f, -9.595389565e-05f,
    },
    {   /* t^4 */
        -7.417740417e-04f, -1.434209524e-03f, -8.538806578e-04f, 2.449007479e-05f,
        3.836835385e-04f, 2.971605281e-04f, 1.298814022e-04f, 3.809148984e-05f,
    },
    {   /* t^5 */
        -2.613993420e-04f, 6.070991276e-06f, 1.861626370e-04f, 1.345596393e-04f,
        1.429738768e-05f, -3.514389391e-05f, -2.705004408e-05f, -1.068556867e-05f,
    },
    {   /* t^6 */
        3.513032789e-05f, 4.844614159e-05f, 7.234137684e-06f, -2.004778798e-05f,
        -1.571402026e-05f, -2.008058118e-06f, 2.938510079e-06f, 2.070033815e-06f,
    },
    {   /* t^7 */
        -5.697463834e-08f, -5.873218470e-06f, -4.095272743e-06f, -1.137065510e-06f,
        2.387099812e-06f, 1.533053705e-06f, 1.161687564e-07f, -2.355375557e-07f,
    },
};

#define CT_GELU256_TARGET __attribute__((target("avx2,fma"), always_inline)) static inline

/* gelu(x) when every lane has |x| = a < 4 (so no NaN or infinity): Phi(-a)
 * straight from ct_gelu256_Q, no exponential */
CT_GELU256_TARGET __m256 ct_gelu256_f_small(__m256 x, __m256 a)
{
    __m256 a2 = _mm256_add_ps(a, a);
    __m256i j = _mm256_cvttps_epi32(a2);
    __m256 t = _mm256_sub_ps(_mm256_sub_ps(a2, _mm256_cvtepi32_ps(j)), _mm256_set1_ps(0.5f));
#define CT_GELU256_Q(k) _mm256_permutevar8x32_ps(_mm256_load_ps(ct_gelu256_Q[k]), j)
    __m256 Q = CT_GELU256_Q(7);
    Q = _mm256_fmadd_ps(Q, t, CT_GELU256_Q(6));
    Q = _mm256_fmadd_ps(Q, t, CT_GELU256_Q(5));
    Q = _mm256_fmadd_ps(Q, t, CT_GELU256_Q(4));
    Q = _mm256_fmadd_ps(Q, t, CT_GELU256_Q(3));
    Q = _mm256_fmadd_ps(Q, t, CT_GELU256_Q(2));
    Q = _mm256_fmadd_ps(Q, t, CT_GELU256_Q(1));
    Q = _mm256_fmadd_ps(Q, t, CT_GELU256_Q(0));
#undef CT_GELU256_Q
    return _mm256_blendv_ps(_mm256_mul_ps(x, Q), _mm256_fnmadd_ps(x, Q, x),
                            _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GT_OQ));
}

/* y = gelu(x) (y may be x), by blocks of 64 groups of 8: a first pass
 * marks the groups with a lane |x| >= 4 (or NaN) in the bits of a word;
 * the others take the short form, the marked ones are copied together into
 * one call of `slow`, nn.c's portable kernel, and back (a branch per group
 * would be mispredicted where both kinds mix; a call per group would cost
 * about what its 8 elements do). Blocks with under a quarter of their
 * groups for the short form go to `slow` whole, a run of them in one call,
 * as do the last n % 8. */
__attribute__((target("avx2,fma"))) static void
ct_gelu256_body(const float *x, float *y, int64_t n, void (*slow)(const float *, float *, int64_t))
{
    const __m256 four = _mm256_set1_ps(4.0f), sgn = _mm256_set1_ps(-0.0f);
    float buf[512] __attribute__((aligned(32)));
    int64_t n8 = n & ~(int64_t)7, run = 0;      /* [run, b0): whole blocks for `slow` */
    for (int64_t b0 = 0; b0 < n8; b0 += 512) {
        int ng = (int)((n8 - b0 < 512 ? n8 - b0 : 512) / 8);
        const float *xb = x + b0;
        float *yb = y + b0;
        uint64_t big = 0;
        for (int k = 0; k < ng; k++) {
            __m256 a = _mm256_andnot_ps(sgn, _mm256_loadu_ps(xb + 8 * k));
            big |= (uint64_t)(_mm256_movemask_ps(_mm256_cmp_ps(a, four, _CMP_LT_OQ)) != 0xFF) << k;
        }
        uint64_t all = ng == 64 ? ~(uint64_t)0 : ((uint64_t)1 << ng) - 1, small = ~big & all;
        if (__builtin_popcountll(small) * 4 < ng)
            continue;       /* few for the short form: the whole block to `slow` */
        if (run < b0) slow(x + run, y + run, b0 - run);
        run = b0 + 8 * (int64_t)ng;
        for (uint64_t m = small; m; m &= m - 1) {
            int k = __builtin_ctzll(m);
            __m256 v = _mm256_loadu_ps(xb + 8 * k);
            _mm256_storeu_ps(yb + 8 * k, ct_gelu256_f_small(v, _mm256_andnot_ps(sgn, v)));
        }
        if (big == 0) continue;
        int nl = 0;
        for (uint64_t m = big; m; m &= m - 1)
            _mm256_store_ps(buf + 8 * nl++, _mm256_loadu_ps(xb + 8 * __builtin_ctzll(m)));
        slow(buf, buf, 8 * (int64_t)nl);
        nl = 0;
        for (uint64_t m = big; m; m &= m - 1)
            _mm256_storeu_ps(yb + 8 * __builtin_ctzll(m), _mm256_load_ps(buf + 8 * nl++));
    }
    if (run < n) slow(x + run, y + run, n - run);
}
#undef CT_GELU256_TARGET

#endif
