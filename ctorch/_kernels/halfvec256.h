/* Halves and bfloat16 on 8 float lanes (AVX2 with F16C): the widening to
 * float, the bfloat16 rounding and the narrowing that the fused AVX2 loops
 * of cpu_backend.c and nn.c share (callers check ct_cpu_avx2() first).
 * x86-64 with GCC or clang only: CT_HAVE_HALFVEC256. */
#ifndef CT_HALFVEC256_H
#define CT_HALFVEC256_H
#if defined(__x86_64__) && defined(__GNUC__)
#define CT_HAVE_HALFVEC256 1
#include <immintrin.h>
#include <stdint.h>

#define CT_AVX2_INLINE __attribute__((target("avx2,fma,f16c"), always_inline)) static inline
CT_AVX2_INLINE __m256 ct_hf256_widen(__m128i h, int bf)
{
    if (bf) return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
    return _mm256_cvtph_ps(h);
}
/* float -> bfloat16 bits, nearest-even, a NaN quieted; in the low 16 bits of
 * each 32-bit lane */
CT_AVX2_INLINE __m256i ct_bf256_round(__m256 v)
{
    __m256i u = _mm256_castps_si256(v);
    __m256i r = _mm256_srli_epi32(_mm256_add_epi32(_mm256_add_epi32(u, _mm256_set1_epi32(0x7fff)),
                                  _mm256_and_si256(_mm256_srli_epi32(u, 16), _mm256_set1_epi32(1))), 16);
    __m256i nan = _mm256_cmpgt_epi32(_mm256_and_si256(u, _mm256_set1_epi32(0x7fffffff)),
                                     _mm256_set1_epi32(0x7f800000));
    return _mm256_blendv_epi8(r, _mm256_or_si256(_mm256_srli_epi32(u, 16), _mm256_set1_epi32(0x40)), nan);
}
/* bfloat16 16 values a vector: zeros interleaved below the values widen
 * them to two float vectors (within 128-bit halves: values 0-3 and 8-11 in
 * *lo, 4-7 and 12-15 in *hi), and packus, which interleaves the halves the
 * same way, packs the two rounded vectors back in order with no cross-lane
 * shuffle */
CT_AVX2_INLINE void ct_bf256_load16(const uint16_t *p, __m256 *lo, __m256 *hi)
{
    const __m256i h = _mm256_loadu_si256((const __m256i *)p);
    *lo = _mm256_castsi256_ps(_mm256_unpacklo_epi16(_mm256_setzero_si256(), h));
    *hi = _mm256_castsi256_ps(_mm256_unpackhi_epi16(_mm256_setzero_si256(), h));
}
CT_AVX2_INLINE void ct_bf256_store16_lanes(uint16_t *p, __m256 lo, __m256 hi)
{
    _mm256_storeu_si256((__m256i *)p, _mm256_packus_epi32(ct_bf256_round(lo), ct_bf256_round(hi)));
}
CT_AVX2_INLINE __m128i ct_hf256_narrow(__m256 v, int bf)
{
    if (!bf) return _mm256_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT);
    /* the 8 results (< 2^16) packed to 16 bits: packus works within 128-bit halves */
    __m256i r = ct_bf256_round(v);
    r = _mm256_permute4x64_epi64(_mm256_packus_epi32(r, r), 0x08);
    return _mm256_castsi256_si128(r);
}
#endif
#endif
