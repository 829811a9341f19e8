/* fastmath.h's ct_expf for the kernels (exp and sigmoid of half and float,
 * softmax): the same polynomial with the explicit fmas that GCC emits in the
 * x86-64-v3/v4 clones of the CPU loops, and every other product or sum
 * rounded on its own (the _rn intrinsics, which nvcc never fuses), so that a
 * kernel's exp is bit-identical to the CPU's. */
#ifndef CT_FASTMATH_CUH
#define CT_FASTMATH_CUH

#include "ct_cuda.cuh"

/* +, -, * that nvcc never contracts into an fma (GCC's CPU loops have none
 * outside the multiversioned exp/sigmoid) */
#if CT_HOST_BUILD
CT_DEV float ct_mul(float a, float b) { return a * b; }
CT_DEV double ct_mul(double a, double b) { return a * b; }
CT_DEV float ct_add(float a, float b) { return a + b; }
CT_DEV double ct_add(double a, double b) { return a + b; }
CT_DEV float ct_sub(float a, float b) { return a - b; }
CT_DEV double ct_sub(double a, double b) { return a - b; }
#else
CT_DEV float ct_mul(float a, float b) { return __fmul_rn(a, b); }
CT_DEV double ct_mul(double a, double b) { return __dmul_rn(a, b); }
CT_DEV float ct_add(float a, float b) { return __fadd_rn(a, b); }
CT_DEV double ct_add(double a, double b) { return __dadd_rn(a, b); }
CT_DEV float ct_sub(float a, float b) { return __fsub_rn(a, b); }
CT_DEV double ct_sub(double a, double b) { return __dsub_rn(a, b); }
#endif

CT_DEV float ct_expf(float x) {
    const float hi = 88.72283935546875f;
    const float lo = -103.97208404541015625f;
    float xc = x > hi ? hi : (x < lo ? lo : x);
    const float shift = 12582912.0f;
    float kf = ct_sub(fmaf(xc, 1.44269502162933349609375f, shift), shift);
    float r = fmaf(-kf, 0.693359375f, xc);
    r = fmaf(kf, 2.12194440e-4f, r);
    float p = 1.9875691500e-4f;
    p = fmaf(p, r, 1.3981999507e-3f);
    p = fmaf(p, r, 8.3334519073e-3f);
    p = fmaf(p, r, 4.1665795894e-2f);
    p = fmaf(p, r, 1.6666665459e-1f);
    p = fmaf(p, r, 5.0000001201e-1f);
    p = ct_add(fmaf(ct_mul(p, r), r, r), 1.0f);
    int32_t k = (int32_t)kf;
    int32_t k1 = k / 2, k2 = k - k1;
    float s1 = __int_as_float((int)((uint32_t)(k1 + 127) << 23));
    float s2 = __int_as_float((int)((uint32_t)(k2 + 127) << 23));
    float res = ct_mul(ct_mul(p, s1), s2);
    res = x > hi ? __int_as_float(0x7f800000) : res;
    res = x < lo ? 0.0f : res;
    return x != x ? x : res;
}

#endif
