/* The cross product of 3-vectors along one dim (cross.h): one pass under
 * the strided driver, each vector's three components read and written
 * through the cross dim's strides. Built for baseline x86-64 only (no FMA
 * contraction), so that a1*b2 - a2*b1 rounds both products, as the
 * elementwise multiply and subtract do. */
#include "cross.h"
#include "strided.h"

#define CT_CROSS_LOOP(S, T, U)                                                      \
static void ct_cross_##S(CT_LOOP_ARGS)                                             \
{                                                                                  \
    const int64_t *c = (const int64_t *)ex;                                        \
    const int64_t co = c[0], ca = c[1], cb = c[2];                                 \
    for (int64_t i = 0; i < n; i++) {                                              \
        char *o = p[0] + i * s[0];                                                 \
        const char *a = p[1] + i * s[1], *b = p[2] + i * s[2];                     \
        const T a0 = *(const T *)a, a1 = *(const T *)(a + ca), a2 = *(const T *)(a + 2 * ca); \
        const T b0 = *(const T *)b, b1 = *(const T *)(b + cb), b2 = *(const T *)(b + 2 * cb); \
        const T p12 = (T)((U)a1 * (U)b2), p21 = (T)((U)a2 * (U)b1);                \
        const T p20 = (T)((U)a2 * (U)b0), p02 = (T)((U)a0 * (U)b2);                \
        const T p01 = (T)((U)a0 * (U)b1), p10 = (T)((U)a1 * (U)b0);                \
        *(T *)o = (T)(p12 - p21);                                                  \
        *(T *)(o + co) = (T)(p20 - p02);                                           \
        *(T *)(o + 2 * co) = (T)(p01 - p10);                                       \
    }                                                                              \
}

/* T: the element type; U: the type products are taken in. Integers wrap
 * as the elementwise ops do: taken in an unsigned type at least as wide as
 * int (C's signed overflow is undefined, and narrow types promote to int) */
CT_CROSS_LOOP(f32, float, float)
CT_CROSS_LOOP(f64, double, double)
CT_CROSS_LOOP(u8, uint8_t, uint32_t)
CT_CROSS_LOOP(u16, uint16_t, uint32_t)
CT_CROSS_LOOP(u32, uint32_t, uint32_t)
CT_CROSS_LOOP(u64, uint64_t, uint64_t)

int ct_cross(int dtype, int ndim, const int64_t *shape, const int64_t *strides,
             char *const *ptr, const int64_t *cstride, int64_t grain)
{
    ct_loop_fn fn;
    switch (dtype) {
    case CT_FLOAT32: fn = ct_cross_f32; break;
    case CT_FLOAT64: fn = ct_cross_f64; break;
    case CT_UINT8: case CT_INT8: fn = ct_cross_u8; break;
    case CT_INT16: fn = ct_cross_u16; break;
    case CT_INT32: fn = ct_cross_u32; break;
    case CT_INT64: fn = ct_cross_u64; break;
    default: return -1;
    }
    ct_run(fn, cstride, 3, ndim, shape, strides, ptr, grain);
    return 0;
}
