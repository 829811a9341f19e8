/* Vectorisable versions of the few libm functions on hot paths.
 *
 * libm's expf is a call the compiler cannot vectorise; this one is plain
 * arithmetic (range reduction to [-ln2/2, ln2/2], a degree-7 polynomial,
 * and scaling by 2^k through the exponent bits), so `omp simd` loops over it
 * run a vector at a time. Error: under 1 ulp over the whole float range (checked against double exp).
 */
#ifndef CT_FASTMATH_H
#define CT_FASTMATH_H

#include <stdint.h>
#include <string.h>

/* Always inlined: the loops only vectorise with the body in them. GCC's
 * inliner would otherwise decide per translation unit, and in a small one
 * (a kernel family's .c file) its unit-growth limit can leave ct_expf an
 * out-of-line call that every element pays for (softmax did, 10x slower). */
#if defined(__GNUC__)
#define CT_FM_INLINE static inline __attribute__((always_inline))
#else
#define CT_FM_INLINE static inline
#endif

CT_FM_INLINE float ct_bits_to_float(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

CT_FM_INLINE float ct_expf(float x) {
    const float hi = 88.72283935546875f;    /* above: +inf */
    const float lo = -103.97208404541015625f; /* below: 0 */
    float xc = x > hi ? hi : (x < lo ? lo : x);
    /* k = round(x / ln2) with the 1.5 * 2^23 trick: exact and branch free */
    const float shift = 12582912.0f;
    float kf = (xc * 1.44269502162933349609375f + shift) - shift;
    /* ln2 = C1 + C2 with C1 short enough (9 bits) that k * C1 is exact */
    float r = xc - kf * 0.693359375f;
    r = r + kf * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    /* 2^k in two halves so that results below 2^-126 come out as denormals */
    int32_t k = (int32_t)kf;
    int32_t k1 = k / 2, k2 = k - k1;
    float s1 = ct_bits_to_float((uint32_t)(k1 + 127) << 23);
    float s2 = ct_bits_to_float((uint32_t)(k2 + 127) << 23);
    float res = p * s1 * s2;
    res = x > hi ? __builtin_inff() : res;
    res = x < lo ? 0.0f : res;
    return x != x ? x : res;
}

#endif
