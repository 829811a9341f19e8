/* What the table-driven AVX-512 kernels (gelu512.h, erfc512.h) share: the
 * attribute of their inline bodies, the pick of one entry per lane from a
 * 64-byte aligned table of 32 floats or 16 doubles (vpermt2ps / vpermt2pd
 * take the index's low bits), the loop that maps a kernel of 8 doubles over
 * an array, and the run-time check their callers make before using them (x86-64 with GCC-compatible compilers only). */
#ifndef CT_AVX512_TAB_H
#define CT_AVX512_TAB_H

#include <immintrin.h>
#include "common.h"

#define CT_AVX512_INLINE __attribute__((target("avx512f"), always_inline)) static inline
#define CT_PICK32_PS(T, j) _mm512_permutex2var_ps(_mm512_load_ps(T), j, _mm512_load_ps((T) + 16))
#define CT_PICK16_PD(T, j) _mm512_permutex2var_pd(_mm512_load_pd(T), j, _mm512_load_pd((T) + 8))

/* Horner's scheme in s over the rows first, ..., last of a table (in that
 * order, either direction), each row's entry picked per lane by j: the
 * kernels' per-interval polynomials (constant bounds: fully unrolled) */
CT_AVX512_INLINE __m512 ct_horner32_ps(const float (*T)[32], int first, int last, __m512i j, __m512 s)
{
    const int step = first <= last ? 1 : -1;
    __m512 p = CT_PICK32_PS(T[first], j);
    for (int k = first + step; k != last + step; k += step)
        p = _mm512_fmadd_ps(p, s, CT_PICK32_PS(T[k], j));
    return p;
}
CT_AVX512_INLINE __m512d ct_horner16_pd(const double (*T)[16], int first, int last, __m512i j, __m512d s)
{
    const int step = first <= last ? 1 : -1;
    __m512d p = CT_PICK16_PD(T[first], j);
    for (int k = first + step; k != last + step; k += step)
        p = _mm512_fmadd_pd(p, s, CT_PICK16_PD(T[k], j));
    return p;
}

/* static void NAME(const double *x, double *y, int64_t n): y = FN(x), 8
 * lanes at a time, the lanes past n of the last vector loaded as 0 and not
 * stored */
#define CT_E512_MAP_D(NAME, FN)                                                    \
__attribute__((target("avx512f"))) static void NAME(const double *x, double *y, int64_t n) \
{                                                                                  \
    int64_t i = 0;                                                                 \
    for (; i + 16 <= n; i += 16) {                                                 \
        __m512d a = FN(_mm512_loadu_pd(x + i)), b = FN(_mm512_loadu_pd(x + i + 8)); \
        _mm512_storeu_pd(y + i, a);                                                \
        _mm512_storeu_pd(y + i + 8, b);                                            \
    }                                                                              \
    for (; i + 8 <= n; i += 8)                                                     \
        _mm512_storeu_pd(y + i, FN(_mm512_loadu_pd(x + i)));                       \
    if (i < n) {                                                                   \
        __mmask8 t = (__mmask8)((1u << (n - i)) - 1);                              \
        _mm512_mask_storeu_pd(y + i, t, FN(_mm512_maskz_loadu_pd(t, x + i)));      \
    }                                                                              \
}

#endif
