/* The complex loops of the elementwise tables that C's complex operators
 * would run a lane at a time: multiplication, square, division, reciprocal,
 * conj and nan_to_num of complex64 / complex128 (elementwise.h declares them).
 *
 * Each works on the real and imaginary parts as a pair of floats / doubles
 * with plain arithmetic, so that the dense loops vectorise (C's `*` and `/`
 * on _Complex values test every result for NaN and call libgcc's
 * __mulsc3 / __divsc3 to recover infinities, and do not vectorise).
 *
 *   a * b   re = ar br - ai bi, im = ar bi + ai br, each product rounded
 *           (PyTorch's values: an infinite operand can give NaN parts, where
 *           C's recovery gave infinities)
 *   a / b   scaled by the larger of |br|, |bi| (Smith's method): with p the
 *           part of larger magnitude and q the other, t = q / p, the
 *           denominator's reciprocal s = 1 / (q t + p); the numerators
 *           (ai t + ar, ai - ar t) when |br| >= |bi|, else (ar t + ai,
 *           ai t - ar), each one fused multiply-add, times s. No overflow
 *           or underflow from squaring b's parts. b = 0 gives ar / 0 and
 *           ai / 0 (infinities or NaN). These are PyTorch's values bit for
 *           bit (its scalar complex division, as compiled with fused
 *           multiply-adds), and reciprocal is 1 / b by the same steps.
 *
 * Contraction is off in this file: the products of a * b stay rounded apart
 * in every clone, and the fused multiply-adds of the division are the
 * explicit fma calls (the default clone, without FMA instructions, calls
 * libm's fma and gets the same values).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "elementwise.h"

#pragma GCC optimize("fp-contract=off")

#define CT_SIMD _Pragma("omp simd")
/* pairs gathered a block at a time where the operands are not dense: pairs
 * k < m of the operand at base + (i0 + k) * st into g (2 m reals), and g's
 * pairs back to such an operand */
#define CT_CV_GATHER 128
#define CT_PAIRS_IN(R, g, base, st, i0, m)                                         \
    for (int64_t k = 0; k < (m); k++) {                                            \
        const R *x_ = (const R *)((base) + ((i0) + k) * (st));                     \
        (g)[2 * k] = x_[0]; (g)[2 * k + 1] = x_[1];                                \
    }
#define CT_PAIRS_OUT(R, g, base, st, i0, m)                                        \
    for (int64_t k = 0; k < (m); k++) {                                            \
        R *q_ = (R *)((base) + ((i0) + k) * (st));                                 \
        q_[0] = (g)[2 * k]; q_[1] = (g)[2 * k + 1];                                \
    }

/* the element loops of a binary op on pairs (R: float or double): BODY(ar,
 * ai, br, bi, re, im) sets re, im. Dense operands, one of them a single
 * value (stride 0), or any strides. */
#define CT_CPAIR_BINARY(NAME, R, BODY)                                             \
CT_MULTIVERSION void NAME(CT_LOOP_ARGS)                                            \
{                                                                                  \
    (void)ex;                                                                      \
    const int64_t z = 2 * (int64_t)sizeof(R);                                      \
    R *o = (R *)p[0];                                                              \
    const R *A = (const R *)p[1], *B = (const R *)p[2];                            \
    if (s[0] == z && s[1] == z && s[2] == z) {                                     \
        CT_SIMD for (int64_t i = 0; i < n; i++) {                                  \
            R ar = A[2 * i], ai = A[2 * i + 1], br = B[2 * i], bi = B[2 * i + 1];  \
            R re, im;                                                              \
            BODY(ar, ai, br, bi, re, im)                                           \
            o[2 * i] = re; o[2 * i + 1] = im;                                      \
        }                                                                          \
    } else if (s[0] == z && s[1] == z && s[2] == 0) {                              \
        const R br = B[0], bi = B[1];                                              \
        CT_SIMD for (int64_t i = 0; i < n; i++) {                                  \
            R ar = A[2 * i], ai = A[2 * i + 1];                                    \
            R re, im;                                                              \
            BODY(ar, ai, br, bi, re, im)                                           \
            o[2 * i] = re; o[2 * i + 1] = im;                                      \
        }                                                                          \
    } else if (s[0] == z && s[1] == 0 && s[2] == z) {                              \
        const R ar = A[0], ai = A[1];                                              \
        CT_SIMD for (int64_t i = 0; i < n; i++) {                                  \
            R br = B[2 * i], bi = B[2 * i + 1];                                    \
            R re, im;                                                              \
            BODY(ar, ai, br, bi, re, im)                                           \
            o[2 * i] = re; o[2 * i + 1] = im;                                      \
        }                                                                          \
    } else {                                                                       \
        /* other layouts: blocks of pairs gathered, the same vector loop */       \
        R ga[2 * CT_CV_GATHER], gb[2 * CT_CV_GATHER];                              \
        for (int64_t i0 = 0; i0 < n; i0 += CT_CV_GATHER) {                         \
            const int64_t m = n - i0 < CT_CV_GATHER ? n - i0 : CT_CV_GATHER;       \
            CT_PAIRS_IN(R, ga, p[1], s[1], i0, m)                                  \
            CT_PAIRS_IN(R, gb, p[2], s[2], i0, m)                                  \
            CT_SIMD for (int64_t i = 0; i < m; i++) {                              \
                R ar = ga[2 * i], ai = ga[2 * i + 1], br = gb[2 * i], bi = gb[2 * i + 1]; \
                R re, im;                                                          \
                BODY(ar, ai, br, bi, re, im)                                       \
                ga[2 * i] = re; ga[2 * i + 1] = im;                                \
            }                                                                      \
            CT_PAIRS_OUT(R, ga, p[0], s[0], i0, m)                                 \
        }                                                                          \
    }                                                                              \
}

/* the element loops of a unary op on pairs: BODY(xr, xi, re, im) */
#define CT_CPAIR_UNARY(NAME, R, BODY)                                              \
CT_MULTIVERSION void NAME(CT_LOOP_ARGS)                                            \
{                                                                                  \
    (void)ex;                                                                      \
    const int64_t z = 2 * (int64_t)sizeof(R);                                      \
    if (s[0] == z && s[1] == z) {                                                  \
        R *o = (R *)p[0];                                                          \
        const R *X = (const R *)p[1];                                              \
        CT_SIMD for (int64_t i = 0; i < n; i++) {                                  \
            R xr = X[2 * i], xi = X[2 * i + 1];                                    \
            R re, im;                                                              \
            BODY(xr, xi, re, im)                                                   \
            o[2 * i] = re; o[2 * i + 1] = im;                                      \
        }                                                                          \
    } else {                                                                       \
        R g[2 * CT_CV_GATHER];                                                     \
        for (int64_t i0 = 0; i0 < n; i0 += CT_CV_GATHER) {                         \
            const int64_t m = n - i0 < CT_CV_GATHER ? n - i0 : CT_CV_GATHER;       \
            CT_PAIRS_IN(R, g, p[1], s[1], i0, m)                                   \
            CT_SIMD for (int64_t i = 0; i < m; i++) {                              \
                R xr = g[2 * i], xi = g[2 * i + 1];                                \
                R re, im;                                                          \
                BODY(xr, xi, re, im)                                               \
                g[2 * i] = re; g[2 * i + 1] = im;                                  \
            }                                                                      \
            CT_PAIRS_OUT(R, g, p[0], s[0], i0, m)                                  \
        }                                                                          \
    }                                                                              \
}

#define CT_CONJ_BODY(xr, xi, re, im) re = xr; im = -xi;

/* Multiplication in whole vectors (V: 32 bytes of R, VI: the integer
 * vector of its lanes), written out: GCC's vectoriser turns the scalar
 * form's pair (ar br - ai bi, ar bi + ai br) into fused multiply-add-subtract
 * instructions (vfmaddsub) whatever the contraction setting, which rounds
 * once where PyTorch rounds each product. For a = (ar, ai), b = (br, bi)
 * per pair of lanes: (ar, ar) * (br, bi) + (-ai, ai) * (bi, br), the sign by
 * its bit. Every layout goes through it (a block of pairs gathered where
 * the operands are not dense, the tail padded), so they agree. */
typedef float ct_cv_f __attribute__((vector_size(32)));
typedef int32_t ct_cv_fi __attribute__((vector_size(32)));
typedef double ct_cv_d __attribute__((vector_size(32)));
typedef int64_t ct_cv_di __attribute__((vector_size(32)));
#define CT_CV_DUP_RE_f ((ct_cv_fi){0, 0, 2, 2, 4, 4, 6, 6})
#define CT_CV_DUP_IM_f ((ct_cv_fi){1, 1, 3, 3, 5, 5, 7, 7})
#define CT_CV_SWAP_f ((ct_cv_fi){1, 0, 3, 2, 5, 4, 7, 6})
#define CT_CV_SIGN_f ((ct_cv_fi){INT32_MIN, 0, INT32_MIN, 0, INT32_MIN, 0, INT32_MIN, 0})
#define CT_CV_DUP_RE_d ((ct_cv_di){0, 0, 2, 2})
#define CT_CV_DUP_IM_d ((ct_cv_di){1, 1, 3, 3})
#define CT_CV_SWAP_d ((ct_cv_di){1, 0, 3, 2})
#define CT_CV_SIGN_d ((ct_cv_di){INT64_MIN, 0, INT64_MIN, 0})
/* r = a * b (vectors of pairs; VI: the lanes' integer vector) */
#define CT_CV_MUL(S, V, VI, a, b, r) {                                             \
    V p_ = __builtin_shuffle(a, CT_CV_DUP_RE_##S) * (b);                           \
    V q_ = __builtin_shuffle(a, CT_CV_DUP_IM_##S) * __builtin_shuffle(b, CT_CV_SWAP_##S); \
    r = p_ + (V)((VI)q_ ^ CT_CV_SIGN_##S);                                         \
}

/* o = a * b over n dense pairs (BS: b is one pair for all), L pairs a
 * vector, the last few padded */
#define CT_CV_MUL_DENSE(S, R, V, VI)                                               \
static inline __attribute__((always_inline)) void ct_cv_mul_dense_##S(             \
    R *o, const R *a, const R *b, int64_t n, int bs)                               \
{                                                                                  \
    enum { L = (int)(sizeof(V) / sizeof(R) / 2) };                                 \
    V bv, av, r;                                                                   \
    if (bs) for (int k = 0; k < L; k++) { ((R *)&bv)[2 * k] = b[0]; ((R *)&bv)[2 * k + 1] = b[1]; } \
    int64_t i = 0;                                                                 \
    for (; i + L <= n; i += L) {                                                   \
        memcpy(&av, a + 2 * i, sizeof av);                                         \
        if (!bs) memcpy(&bv, b + 2 * i, sizeof bv);                                \
        CT_CV_MUL(S, V, VI, av, bv, r)                                             \
        memcpy(o + 2 * i, &r, sizeof r);                                           \
    }                                                                              \
    if (i < n) {                                                                   \
        R ta[2 * L] = {0}, tb[2 * L] = {0};                                        \
        memcpy(ta, a + 2 * i, (size_t)(n - i) * 2 * sizeof(R));                    \
        memcpy(&av, ta, sizeof av);                                                \
        if (!bs) { memcpy(tb, b + 2 * i, (size_t)(n - i) * 2 * sizeof(R)); memcpy(&bv, tb, sizeof bv); } \
        CT_CV_MUL(S, V, VI, av, bv, r)                                             \
        memcpy(ta, &r, sizeof r);                                                  \
        memcpy(o + 2 * i, ta, (size_t)(n - i) * 2 * sizeof(R));                    \
    }                                                                              \
}
CT_CV_MUL_DENSE(f, float, ct_cv_f, ct_cv_fi)
CT_CV_MUL_DENSE(d, double, ct_cv_d, ct_cv_di)
/* the loop of a * b (SQ: of a * a): dense operands, or one of them a single
 * value (stride 0) given second (the products, and so the result, are the
 * same either way round); other layouts a block of pairs gathered */
#define CT_CV_MUL_LOOP(NAME, S, R, SQ)                                             \
CT_MULTIVERSION void NAME(CT_LOOP_ARGS)                                            \
{                                                                                  \
    (void)ex;                                                                      \
    const int64_t z = 2 * (int64_t)sizeof(R);                                      \
    const int swap = !SQ && s[1] == 0 && s[2] == z;                                \
    const int64_t sa = swap ? s[2] : s[1], sb = SQ ? s[1] : swap ? 0 : s[2];       \
    const char *pa = swap ? p[2] : p[1], *pb = SQ ? p[1] : swap ? p[1] : p[2];     \
    if (s[0] == z && sa == z && (sb == z || sb == 0)) {                            \
        ct_cv_mul_dense_##S((R *)p[0], (const R *)pa, (const R *)pb, n, sb == 0);  \
        return;                                                                    \
    }                                                                              \
    R ga[2 * CT_CV_GATHER], gb[2 * CT_CV_GATHER];                                  \
    for (int64_t i = 0; i < n; i += CT_CV_GATHER) {                                \
        const int64_t m = n - i < CT_CV_GATHER ? n - i : CT_CV_GATHER;             \
        for (int64_t k = 0; k < m; k++) {                                          \
            const R *x = (const R *)(pa + (i + k) * sa), *y = (const R *)(pb + (i + k) * sb); \
            ga[2 * k] = x[0]; ga[2 * k + 1] = x[1];                                \
            gb[2 * k] = y[0]; gb[2 * k + 1] = y[1];                                \
        }                                                                          \
        ct_cv_mul_dense_##S(ga, ga, gb, m, 0);                                     \
        for (int64_t k = 0; k < m; k++) {                                          \
            R *q = (R *)(p[0] + (i + k) * s[0]);                                   \
            q[0] = ga[2 * k]; q[1] = ga[2 * k + 1];                                \
        }                                                                          \
    }                                                                              \
}

/* a / b as the header describes; FMA: fmaf or fma. Branch free (both
 * orientations select their operands), so that the loops vectorise. */
#define CT_CDIV(FMA, ar, ai, br, bi, re, im) {                                     \
    __typeof__(br) mr_ = fabs(br), mi_ = fabs(bi);                                 \
    int big_ = mr_ >= mi_;                                                         \
    __typeof__(br) p_ = big_ ? br : bi, q_ = big_ ? bi : br;                        \
    __typeof__(br) t_ = q_ / p_;                                                   \
    __typeof__(br) s_ = 1 / FMA(q_, t_, p_);                                       \
    __typeof__(br) nr_ = big_ ? FMA(ai, t_, ar) : FMA(ar, t_, ai);                 \
    __typeof__(br) ni_ = big_ ? FMA(-ar, t_, ai) : FMA(ai, t_, -ar);               \
    int zero_ = big_ && mr_ == 0;                                                  \
    /* b = 0: ar / +0 is ar * inf (an infinity of ar's sign, NaN for 0 or */     \
    /* NaN), without a third division                                      */     \
    re = zero_ ? ar * (__typeof__(br))INFINITY : nr_ * s_;                         \
    im = zero_ ? ai * (__typeof__(br))INFINITY : ni_ * s_;                         \
}
#define CT_CDIV_F(ar, ai, br, bi, re, im) CT_CDIV(fmaf, ar, ai, br, bi, re, im)
#define CT_CDIV_D(ar, ai, br, bi, re, im) CT_CDIV(fma, ar, ai, br, bi, re, im)

CT_CV_MUL_LOOP(ct_mul_c64, f, float, 0)
CT_CV_MUL_LOOP(ct_mul_c128, d, double, 0)
CT_CV_MUL_LOOP(ct_square_c64, f, float, 1)
CT_CV_MUL_LOOP(ct_square_c128, d, double, 1)
CT_CPAIR_BINARY(ct_div_c64, float, CT_CDIV_F)
CT_CPAIR_BINARY(ct_div_c128, double, CT_CDIV_D)
/* reciprocal: the division loop with a = 1 (one value for every element),
 * which GCC vectorises on whole vectors of parts */
#define CT_CRECIP_LOOP(S, R)                                                       \
void ct_reciprocal_##S(CT_LOOP_ARGS)                                               \
{                                                                                  \
    static const R one[2] = {1, 0};                                                \
    char *q[3] = {p[0], (char *)one, p[1]};                                        \
    const int64_t sq[3] = {s[0], 0, s[1]};                                         \
    ct_div_##S(q, sq, n, ex);                                                      \
}
CT_CRECIP_LOOP(c64, float)
CT_CRECIP_LOOP(c128, double)
CT_CPAIR_UNARY(ct_conj_c64, float, CT_CONJ_BODY)
CT_CPAIR_UNARY(ct_conj_c128, double, CT_CONJ_BODY)

/* nan_to_num acts on the real and imaginary parts alike: dense operands are
 * one row of 2n floats / doubles for the real loop (elementwise.c), other
 * layouts a pair at a time with the replacements rounded to the part's type
 * as that loop rounds them */
#define CT_CNAN_TO_NUM(S, R, REAL_LOOP)                                            \
void ct_nan_to_num_##S(CT_LOOP_ARGS)                                               \
{                                                                                  \
    const int64_t z = 2 * (int64_t)sizeof(R);                                      \
    if (s[0] == z && s[1] == z) {                                                  \
        const int64_t sr[2] = {(int64_t)sizeof(R), (int64_t)sizeof(R)};            \
        REAL_LOOP(p, sr, 2 * n, ex);                                               \
        return;                                                                    \
    }                                                                              \
    const ct_params *P = (const ct_params *)ex;                                    \
    const R vn = (R)P->a, vp = (R)P->b, vm = (R)P->c;                              \
    for (int64_t i = 0; i < n; i++) {                                              \
        const R *x = (const R *)(p[1] + i * s[1]);                                 \
        R *q = (R *)(p[0] + i * s[0]);                                             \
        R v[2] = {x[0], x[1]};                                                     \
        for (int k = 0; k < 2; k++)                                                \
            q[k] = v[k] != v[k] ? vn : v[k] == (R)INFINITY ? vp : v[k] == -(R)INFINITY ? vm : v[k]; \
    }                                                                              \
}
CT_CNAN_TO_NUM(c64, float, ct_nan_to_num_f32)
CT_CNAN_TO_NUM(c128, double, ct_nan_to_num_f64)
