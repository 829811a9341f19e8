/* float16 <-> float32 a vector at a time: F16C's instructions where the CPU
 * has them (ct_has_f16c), a loop of single conversions otherwise. GCC does not
 * vectorise _Float16 conversions, and without F16C each one is a libgcc call. */
#ifndef CT_HALFCONV_H
#define CT_HALFCONV_H

#include <stdint.h>
#include "common.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
__attribute__((target("avx,f16c"))) static inline void ct_h2f_f16c(const uint16_t *h, float *f, int64_t n)
{
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(f + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(h + i))));
    for (; i < n; i++) f[i] = _cvtsh_ss(h[i]);
}
__attribute__((target("avx,f16c"))) static inline void ct_f2h_f16c(const float *f, uint16_t *h, int64_t n)
{
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm_storeu_si128((__m128i *)(h + i),
                         _mm256_cvtps_ph(_mm256_loadu_ps(f + i), _MM_FROUND_TO_NEAREST_INT));
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

#endif
