/* Gathering the few elements of a block that need another form than the
 * rest (the power series of I0 / I1 within their cut, lgamma's form about
 * its negative zeros): ct_compact_num(v, m, idx, xs) packs the values of
 * v[0..m) that are not NaN into xs and their positions into idx, in order,
 * and returns their count. The callers write NaN where an element is not
 * wanted. xs and idx need room for m + 8 entries (the vector forms store
 * whole vectors at the packed end). On a CPU with AVX-512F, 8 lanes a step
 * by vcompresspd / vpcompressq into registers (their memory forms are slow
 * on some CPUs); with AVX2, the kept lanes of 64 elements as the bits of
 * a word, then one copy per set bit (the loop without branches stores
 * every element and carries its count into the next store's address:
 * about 4 cycles an element, where few are kept); elsewhere that loop. */
#ifndef CT_COMPACT_H
#define CT_COMPACT_H

#include <stdint.h>
#include "common.h"

static inline int ct_compact_num_port(const double *v, int m, int64_t *idx, double *xs, int from,
                                      int n)
{
    for (int i = from; i < m; i++) {
        double a = v[i];
        idx[n] = i;
        xs[n] = a;
        n += a == a;
    }
    return n;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
/* the kept lanes as bits, 64 elements a word (4 a step by vmovmskpd), then
 * each set bit's element copied (compaction is used where few are kept) */
__attribute__((target("avx2"))) static int ct_compact_num256(const double *v, int m,
                                                              int64_t *idx, double *xs)
{
    int n = 0, i0 = 0;
    for (; i0 + 64 <= m; i0 += 64) {
        uint64_t bits = 0;
        for (int j = 0; j < 64; j += 4) {
            __m256d a = _mm256_loadu_pd(v + i0 + j);
            bits |= (uint64_t)_mm256_movemask_pd(_mm256_cmp_pd(a, a, _CMP_ORD_Q)) << j;
        }
        while (bits) {
            int i = i0 + __builtin_ctzll(bits);
            idx[n] = i;
            xs[n++] = v[i];
            bits &= bits - 1;
        }
    }
    return ct_compact_num_port(v, m, idx, xs, i0, n);
}
#endif

#ifdef CT_HAVE_AVX512_TABLES
__attribute__((target("avx512f"))) static int ct_compact_num512(const double *v, int m,
                                                                 int64_t *idx, double *xs)
{
    const __m512i iota = _mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7);
    int n = 0, i = 0;
    for (; i + 8 <= m; i += 8) {
        __m512d a = _mm512_loadu_pd(v + i);
        __mmask8 k = _mm512_cmp_pd_mask(a, a, _CMP_ORD_Q);
        _mm512_storeu_pd(xs + n, _mm512_maskz_compress_pd(k, a));
        __m512i ix = _mm512_add_epi64(iota, _mm512_set1_epi64(i));
        _mm512_storeu_si512((void *)(idx + n), _mm512_maskz_compress_epi64(k, ix));
        n += __builtin_popcount((unsigned)k);
    }
    return ct_compact_num_port(v, m, idx, xs, i, n);
}
static inline int ct_compact_num(const double *v, int m, int64_t *idx, double *xs)
{
    if (ct_cpu_avx512f())
        return ct_compact_num512(v, m, idx, xs);
    if (ct_cpu_avx2())
        return ct_compact_num256(v, m, idx, xs);
    return ct_compact_num_port(v, m, idx, xs, 0, 0);
}
#elif defined(__x86_64__) && defined(__GNUC__)
static inline int ct_compact_num(const double *v, int m, int64_t *idx, double *xs)
{
    if (ct_cpu_avx2())
        return ct_compact_num256(v, m, idx, xs);
    return ct_compact_num_port(v, m, idx, xs, 0, 0);
}
#else
static inline int ct_compact_num(const double *v, int m, int64_t *idx, double *xs)
{
    return ct_compact_num_port(v, m, idx, xs, 0, 0);
}
#endif

/* ct_compact_range_f / _d(x, m, cut, inside, idx, xs): the same for the
 * elements of x[0..m) with |x| <= cut (inside) or |x| > cut (not inside;
 * NaN is neither), as doubles: one pass over x where the callers' NaN
 * marking would take one more. */
#define CT_COMPACT_RANGE_PORT(S, T, FABS)                                         \
static inline int ct_compact_range_port_##S(const T *x, int m, T cut, int inside,   \
                                            int64_t *idx, double *xs, int from, int n) \
{                                                                                   \
    for (int i = from; i < m; i++) {                                                \
        T a = FABS(x[i]);                                                           \
        idx[n] = i;                                                                 \
        xs[n] = x[i];                                                               \
        n += inside ? a <= cut : a > cut;                                           \
    }                                                                               \
    return n;                                                                       \
}
CT_COMPACT_RANGE_PORT(f, float, __builtin_fabsf)
CT_COMPACT_RANGE_PORT(d, double, __builtin_fabs)
#undef CT_COMPACT_RANGE_PORT

#if defined(__x86_64__) && defined(__GNUC__)
/* 64 elements' bits by vcmpps / vcmppd and vmovmskps / vmovmskpd, then one
 * copy per set bit, as ct_compact_num256 */
#define CT_COMPACT_BITS(T, LANES, LOADV, ANDV, CMPV, SET1, MASKV)                \
    const __typeof__(LOADV(x)) sgn = SET1((T)-0.0), vc = SET1(cut);             \
    int n = 0, i0 = 0;                                                          \
    for (; i0 + 64 <= m; i0 += 64) {                                            \
        uint64_t bits = 0;                                                      \
        for (int j = 0; j < 64; j += LANES) {                                   \
            __typeof__(sgn) a = ANDV(sgn, LOADV(x + i0 + j));                   \
            uint64_t k = (uint64_t)MASKV(inside ? CMPV(a, vc, _CMP_LE_OQ)       \
                                                : CMPV(a, vc, _CMP_GT_OQ));     \
            bits |= k << j;                                                     \
        }                                                                       \
        while (bits) {                                                          \
            int i = i0 + __builtin_ctzll(bits);                                 \
            idx[n] = i;                                                         \
            xs[n++] = (double)x[i];                                             \
            bits &= bits - 1;                                                   \
        }                                                                       \
    }
__attribute__((target("avx2"))) static int ct_compact_range256_f(const float *x, int m,
        float cut, int inside, int64_t *idx, double *xs)
{
    CT_COMPACT_BITS(float, 8, _mm256_loadu_ps, _mm256_andnot_ps, _mm256_cmp_ps, _mm256_set1_ps,
                    _mm256_movemask_ps)
    return ct_compact_range_port_f(x, m, cut, inside, idx, xs, i0, n);
}
__attribute__((target("avx2"))) static int ct_compact_range256_d(const double *x, int m,
        double cut, int inside, int64_t *idx, double *xs)
{
    CT_COMPACT_BITS(double, 4, _mm256_loadu_pd, _mm256_andnot_pd, _mm256_cmp_pd, _mm256_set1_pd,
                    _mm256_movemask_pd)
    return ct_compact_range_port_d(x, m, cut, inside, idx, xs, i0, n);
}
#undef CT_COMPACT_BITS
static inline int ct_compact_range_f(const float *x, int m, float cut, int inside,
                                     int64_t *idx, double *xs)
{
    if (ct_cpu_avx2())
        return ct_compact_range256_f(x, m, cut, inside, idx, xs);
    return ct_compact_range_port_f(x, m, cut, inside, idx, xs, 0, 0);
}
static inline int ct_compact_range_d(const double *x, int m, double cut, int inside,
                                     int64_t *idx, double *xs)
{
    if (ct_cpu_avx2())
        return ct_compact_range256_d(x, m, cut, inside, idx, xs);
    return ct_compact_range_port_d(x, m, cut, inside, idx, xs, 0, 0);
}
#else
static inline int ct_compact_range_f(const float *x, int m, float cut, int inside,
                                     int64_t *idx, double *xs)
{
    return ct_compact_range_port_f(x, m, cut, inside, idx, xs, 0, 0);
}
static inline int ct_compact_range_d(const double *x, int m, double cut, int inside,
                                     int64_t *idx, double *xs)
{
    return ct_compact_range_port_d(x, m, cut, inside, idx, xs, 0, 0);
}
#endif

#endif
