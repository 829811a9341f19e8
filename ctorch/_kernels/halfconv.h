/* float16 <-> float32 a vector at a time: F16C's instructions where the CPU
 * has them (ct_has_f16c; 16 lanes with AVX-512), a loop of single
 * conversions otherwise. GCC does not
 * vectorise _Float16 conversions, and without F16C each one is a libgcc call. */
#ifndef CT_HALFCONV_H
#define CT_HALFCONV_H

#include <stdint.h>
#include "common.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
/* AVX-512F converts 16 at a time: the whole vectors of n, their count
 * returned (the rest go through F16C's 8 lanes and single conversions) */
#ifdef CT_HAVE_AVX512_TABLES
__attribute__((target("avx512f"))) static int64_t ct_h2f_512(const uint16_t *h, float *f, int64_t n)
{
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(f + i, _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(h + i))));
    return i;
}
__attribute__((target("avx512f"))) static int64_t ct_f2h_512(const float *f, uint16_t *h, int64_t n)
{
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm256_storeu_si256((__m256i *)(h + i),
                            _mm512_cvtps_ph(_mm512_loadu_ps(f + i), _MM_FROUND_TO_NEAREST_INT));
    return i;
}
#define CT_HALF512(CALL) (ct_cpu_avx512f() ? (CALL) : 0)
#else
#define CT_HALF512(CALL) 0
#endif
/* 8 halves loaded into a register, kept apart from the vcvtph2ps that reads
 * them: the form that converts from memory ran at half the speed on Zen 3 */
#define CT_LOADU_H8(p) ({ __m128i v_ = _mm_loadu_si128((const __m128i *)(p)); __asm__("" : "+x"(v_)); v_; })
/* and the other way: vcvtps2ph to a register, then the store */
#define CT_STOREU_H8(p, v) do { __m128i w_ = (v); __asm__("" : "+x"(w_)); _mm_storeu_si128((__m128i *)(p), w_); } while (0)
__attribute__((target("avx,f16c"))) static inline void ct_h2f_f16c(const uint16_t *h, float *f, int64_t n)
{
    int64_t i = CT_HALF512(ct_h2f_512(h, f, n));
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(f + i, _mm256_cvtph_ps(CT_LOADU_H8(h + i)));
    for (; i < n; i++) f[i] = _cvtsh_ss(h[i]);
}
__attribute__((target("avx,f16c"))) static inline void ct_f2h_f16c(const float *f, uint16_t *h, int64_t n)
{
    int64_t i = CT_HALF512(ct_f2h_512(f, h, n));
    for (; i + 8 <= n; i += 8)
        CT_STOREU_H8(h + i, _mm256_cvtps_ph(_mm256_loadu_ps(f + i), _MM_FROUND_TO_NEAREST_INT));
    for (; i < n; i++) h[i] = _cvtss_sh(f[i], _MM_FROUND_TO_NEAREST_INT);
}
static inline int ct_has_f16c(void)
{
    static int has = -1;
    if (has < 0) has = __builtin_cpu_supports("f16c") && __builtin_cpu_supports("avx");
    return has;
}
#else
static inline int ct_has_f16c(void) { return 0; }
static inline void ct_h2f_f16c(const uint16_t *h, float *f, int64_t n) { (void)h; (void)f; (void)n; }
static inline void ct_f2h_f16c(const float *f, uint16_t *h, int64_t n) { (void)h; (void)f; (void)n; }
#endif

static inline void ct_h2f_plain(const uint16_t *h, float *f, int64_t n)
{
    for (int64_t i = 0; i < n; i++) f[i] = (float)((const ct_half *)h)[i];
}
static inline void ct_f2h_plain(const float *f, uint16_t *h, int64_t n)
{
    for (int64_t i = 0; i < n; i++) ((ct_half *)h)[i] = (ct_half)f[i];
}
/* n contiguous halves -> n floats */
static inline void ct_h2f_contig(const void *h, float *f, int64_t n)
{
    if (ct_has_f16c()) ct_h2f_f16c((const uint16_t *)h, f, n);
    else ct_h2f_plain((const uint16_t *)h, f, n);
}
/* n floats -> n contiguous halves */
static inline void ct_f2h_contig(const float *f, void *h, int64_t n)
{
    if (ct_has_f16c()) ct_f2h_f16c(f, (uint16_t *)h, n);
    else ct_f2h_plain(f, (uint16_t *)h, n);
}

/* ---- bfloat16 <-> float32 ------------------------------------------------
 * bfloat16 is the top half of a float32: widening is a shift (exact), and
 * narrowing rounds the low 16 bits to nearest, ties to even, on the integer
 * bits (carries into the exponent give the next binade or infinity, as they
 * should). A NaN keeps its sign and top payload bits with the quiet bit set,
 * so that truncation cannot turn it into infinity. Both are plain integer
 * loops that GCC vectorises for any SIMD width (multiversioned below), so no
 * CPU-specific instruction is needed. */

static inline float ct_bf2f(uint16_t h)
{
    uint32_t u = (uint32_t)h << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static inline uint16_t ct_f2bf(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    uint32_t r = (u + 0x7fffu + ((u >> 16) & 1u)) >> 16;
    uint32_t q = (u >> 16) | 0x40u;
    return (uint16_t)((u & 0x7fffffffu) > 0x7f800000u ? q : r);
}

/* n contiguous bfloat16 -> n floats, and back (cpu_backend.c) */
void ct_bf2f_contig(const uint16_t *h, float *f, int64_t n);
void ct_f2bf_contig(const float *f, uint16_t *h, int64_t n);

#endif
