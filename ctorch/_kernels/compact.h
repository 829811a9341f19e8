/* Gathering the few elements of a block that need another form than the
 * rest (the power series of I0 / I1 within their cut, lgamma's form about
 * its negative zeros): ct_compact_num(v, m, idx, xs) packs the values of
 * v[0..m) that are not NaN into xs and their positions into idx, in order,
 * and returns their count. The callers write NaN where an element is not
 * wanted. xs and idx need room for m + 8 entries (the vector form stores
 * whole vectors at the packed end). On a CPU with AVX-512F, 8 lanes a step
 * by vcompresspd / vpcompressq into registers (their memory forms are slow
 * on some CPUs); elsewhere a loop without branches. */
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

#ifdef CT_HAVE_AVX512_TABLES
#include <immintrin.h>
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
    return ct_compact_num_port(v, m, idx, xs, 0, 0);
}
#else
static inline int ct_compact_num(const double *v, int m, int64_t *idx, double *xs)
{
    return ct_compact_num_port(v, m, idx, xs, 0, 0);
}
#endif

#endif
