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

/* void NAME(const T *x, T *o, long n): o[i] = FN(x[i]) for an AVX-512 kernel
 * FN of W lanes (V vectors, SFX ps / pd, MT the lanes' mask type), four
 * vectors a step (their dependent chains overlap: 3-12% faster than two
 * for exp, log and tanh), the tail masked; o == x allowed */
#define CT_512_MAP(NAME, T, V, W, SFX, MT, FN)                                     \
__attribute__((target("avx512f"))) static void NAME(const T *x, T *o, int64_t n)   \
{                                                                                  \
    int64_t i = 0;                                                                 \
    for (; i + 4 * (W) <= n; i += 4 * (W)) {                                       \
        V a = FN(_mm512_loadu_##SFX(x + i)), b = FN(_mm512_loadu_##SFX(x + i + (W))); \
        V c = FN(_mm512_loadu_##SFX(x + i + 2 * (W))), d = FN(_mm512_loadu_##SFX(x + i + 3 * (W))); \
        _mm512_storeu_##SFX(o + i, a);                                             \
        _mm512_storeu_##SFX(o + i + (W), b);                                       \
        _mm512_storeu_##SFX(o + i + 2 * (W), c);                                   \
        _mm512_storeu_##SFX(o + i + 3 * (W), d);                                   \
    }                                                                              \
    for (; i < n; i += (W)) {                                                      \
        MT t = n - i >= (W) ? (MT)~0u : (MT)((1u << (n - i)) - 1);                 \
        _mm512_mask_storeu_##SFX(o + i, t, FN(_mm512_maskz_loadu_##SFX(t, x + i))); \
    }                                                                              \
}
#define CT_E512_MAP_D(NAME, FN) CT_512_MAP(NAME, double, __m512d, 8, pd, __mmask8, FN)
#define CT_F512_MAP(NAME, FN) CT_512_MAP(NAME, float, __m512, 16, ps, __mmask16, FN)

#endif
