/* Elementwise CPU kernels: casts, fills, unary, binary and ternary ops.
 *
 * Every op is one expression written once; the macros below turn it into
 * an inner loop per dtype (contiguous loops are plain indexed loops marked
 * `omp simd` so they vectorise; anything else walks byte strides).
 * Half precision computes in float and rounds once per op, as PyTorch does.
 * Integer division by zero never traps: the loop records it in `err` and the
 * caller raises. elementwise.h declares the tables and the entry point.
 */
#include <math.h>
#include <string.h>
#include "elementwise.h"
#include "special.h"
#include "strided.h"
#include "fastmath.h"
#include "fastmath_lae.h"
#include "fastmath_d.h"
#include "pow_d.h"
#ifdef CT_HAVE_AVX512_TABLES
#include "exp512.h"
#include "log512.h"
#include "pow512.h"
#endif
#include "elementwise_grad.h"

#define CT_SIMD _Pragma("omp simd")
/* CT_SIMD256(T): a vector loop of 256-bit vectors of T (CT_DENSE_LOOP) */
#define CT_PRAGMA(x) _Pragma(#x)
#define CT_SIMD256(T) CT_PRAGMA(omp simd simdlen(32 / sizeof(T)))
/* for (i < n) { ... } over dense operands: at 256 bits where ct_cpu_split512
 * and WIDE (the output as wide as T: a narrower one gets slower), else at
 * the loop's width */
#define CT_DENSE_LOOP(T, WIDE, n, ...)                                             \
    if ((WIDE) && ct_cpu_split512()) {                                             \
        CT_SIMD256(T) for (int64_t i = 0; i < (n); i++) { __VA_ARGS__ }            \
    } else {                                                                       \
        CT_SIMD for (int64_t i = 0; i < (n); i++) { __VA_ARGS__ }                  \
    }
#define CT_SZ(T) ((int64_t)sizeof(T))

/* m <= 256 values of 4 or 8 bytes at byte stride st from src into dst
 * (a strided operand into a block for a vector loop): every other value
 * (st twice the size) by two plain loads and one two-source permute a
 * vector; other strides by vgatherdps / vgatherqpd on a CPU with AVX-512F,
 * except where it splits AVX-512 in halves (Zen 4: there a gather costs
 * about twice as much as four scalar loads a step), else one at a time */
#define CT_GATHER_SCALAR(T, src, st, dst, i, m) do {                               \
    for (; (i) + 4 <= (m); (i) += 4) {                                             \
        T a_ = *(const T *)((src) + (i) * (st)), b_ = *(const T *)((src) + ((i) + 1) * (st)); \
        T c_ = *(const T *)((src) + ((i) + 2) * (st)), d_ = *(const T *)((src) + ((i) + 3) * (st)); \
        (dst)[(i)] = a_; (dst)[(i) + 1] = b_; (dst)[(i) + 2] = c_; (dst)[(i) + 3] = d_; \
    }                                                                              \
    for (; (i) < (m); (i)++) (dst)[(i)] = *(const T *)((src) + (i) * (st));        \
} while (0)
#ifdef CT_HAVE_AVX512_TABLES
/* (floats: the offsets i st fit in 32 bits for |st| < 2^23) */
__attribute__((target("avx512f"))) static void ct_gather_f512(const char *src, int64_t st, float *dst,
                                                               int64_t m)
{
    int64_t i = 0;
    if (st == 8) {
        const __m512i even = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
        for (; i + 16 <= m; i += 16) {
            const float *p = (const float *)(const void *)(src + i * 8);
            _mm512_storeu_ps(dst + i, _mm512_permutex2var_ps(_mm512_loadu_ps(p), even, _mm512_loadu_ps(p + 16)));
        }
    } else if (ct_cpu_split512()) {
        CT_GATHER_SCALAR(float, src, st, dst, i, m);
    } else if (st > -(1 << 23) && st < (1 << 23)) {
        const __m512i step = _mm512_mullo_epi32(_mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
                                                _mm512_set1_epi32((int)st));
        for (; i + 16 <= m; i += 16)
            _mm512_storeu_ps(dst + i, _mm512_i32gather_ps(step, src + i * st, 1));
    }
    for (; i < m; i++) dst[i] = *(const float *)(src + i * st);
}
__attribute__((target("avx512f"))) static void ct_gather_d512(const char *src, int64_t st, double *dst,
                                                               int64_t m)
{
    int64_t i = 0;
    if (st == 16) {
        const __m512i even = _mm512_set_epi64(14, 12, 10, 8, 6, 4, 2, 0);
        for (; i + 8 <= m; i += 8) {
            const double *p = (const double *)(const void *)(src + i * 16);
            _mm512_storeu_pd(dst + i, _mm512_permutex2var_pd(_mm512_loadu_pd(p), even, _mm512_loadu_pd(p + 8)));
        }
    } else if (ct_cpu_split512()) {
        CT_GATHER_SCALAR(double, src, st, dst, i, m);
    } else {
        const __m512i step = _mm512_set_epi64(7 * st, 6 * st, 5 * st, 4 * st, 3 * st, 2 * st, st, 0);
        for (; i + 8 <= m; i += 8)
            _mm512_storeu_pd(dst + i, _mm512_i64gather_pd(step, src + i * st, 1));
    }
    for (; i < m; i++) dst[i] = *(const double *)(src + i * st);
}
#endif
static inline void ct_gather_d(const char *src, int64_t st, double *dst, int64_t m)
{
#ifdef CT_HAVE_AVX512_TABLES
    if (ct_cpu_avx512f()) {
        ct_gather_d512(src, st, dst, m);
        return;
    }
#endif
    for (int64_t i = 0; i < m; i++) dst[i] = *(const double *)(src + i * st);
}
static inline void ct_gather_4(const char *src, int64_t st, void *dst, int64_t m)
{
#ifdef CT_HAVE_AVX512_TABLES
    if (ct_cpu_avx512f()) {
        ct_gather_f512(src, st, (float *)dst, m);
        return;
    }
#endif
    for (int64_t i = 0; i < m; i++) ((uint32_t *)dst)[i] = *(const uint32_t *)(src + i * st);
}

/* a strided operand's m values into buf (of type T) */
#define CT_GATHER_IN(T, buf, src, st, m) do {                                      \
    if (sizeof(T) == 4) ct_gather_4((src), (st), (buf), (m));                      \
    else if (sizeof(T) == 8) ct_gather_d((src), (st), (double *)(void *)(buf), (m)); \
    else for (int64_t i_ = 0; i_ < (m); i_++) (buf)[i_] = *(const T *)((src) + i_ * (st)); \
} while (0)

/* CT_MULTIVERSION (common.h) marks the hottest float loops. */

/* CT_UNARY / CT_BINARY are the plain loops; the _ATTR forms take a function
 * attribute first (CT_MULTIVERSION, or nothing). */
#define CT_UNARY(NAME, TI, TO, EXPR) CT_UNARY_ATTR(CT_MV_ATTR(TI, TO), NAME, TI, TO, EXPR)
#define CT_BINARY(NAME, T, TO, EXPR) CT_BINARY_ATTR(CT_MV_ATTR(T, TO), NAME, T, TO, EXPR)

/* Loops that read or write half or an integer type (bool too) are
 * multiversioned as well: the baseline x86-64 has no half instructions, so
 * there each conversion is a libgcc call (tens of ns an element), and SSE2
 * lacks the integer min / max, 32- and 64-bit multiplies and 64-bit compares
 * (those loops ran a lane at a time); the x86-64-v3 / v4 clones have them.
 * Integer results are exact in every clone; float / double / complex loops
 * keep one version (a clone may contract a * b + c into an fma). CT_MV_ATTR
 * picks the attribute from the two type names (CT_MV_TYPE_T: 1 where T's
 * loops are multiversioned). */
#define CT_MV_ATTR(A, B) CT_MV_ATTR_(CT_MV_TYPE_##A, CT_MV_TYPE_##B)
#define CT_MV_ATTR_(a, b) CT_MV_ATTR__(a, b)
#define CT_MV_ATTR__(a, b) CT_MV_##a##b
#define CT_MV_00
#define CT_MV_01 CT_MULTIVERSION
#define CT_MV_10 CT_MULTIVERSION
#define CT_MV_11 CT_MULTIVERSION
#define CT_MV_TYPE_ct_half 1
#define CT_MV_TYPE_ct_bool 1
#define CT_MV_TYPE_uint8_t 1
#define CT_MV_TYPE_uint16_t 1
#define CT_MV_TYPE_uint32_t 1
#define CT_MV_TYPE_uint64_t 1
#define CT_MV_TYPE_int8_t 1
#define CT_MV_TYPE_int16_t 1
#define CT_MV_TYPE_int32_t 1
#define CT_MV_TYPE_int64_t 1
#define CT_MV_TYPE_float 0
#define CT_MV_TYPE_double 0
#define CT_MV_TYPE_ct_cfloat 0
#define CT_MV_TYPE_ct_cdouble 0

/* Strided operands (the loops' last case) are copied in blocks of
 * CT_STRIDED_BLK into the vector loop and out of it (CT_GATHER_IN: 4- and
 * 8-byte values by vgatherdps / vgatherqpd on AVX-512), a dense operand or
 * output read or written in place: an element at a time, selects became
 * branches, mispredicted on random data (maximum of a strided view ran 6x
 * slower), and square roots scalar ones; the strided results are the dense
 * loop's. */
#define CT_STRIDED_BLK 256
/* the output block: the output itself where dense, else ob_, copied out */
#define CT_STRIDED_OUT(TO, b0) TO *o_ = s[0] == CT_SZ(TO) ? (TO *)p[0] + (b0) : ob_;
#define CT_STRIDED_FLUSH(TO, b0, m)                                                \
    if (o_ == ob_)                                                                 \
        for (int64_t i = 0; i < (m); i++) *(TO *)(p[0] + ((b0) + i) * s[0]) = ob_[i];

/* out = EXPR(x) */
#define CT_UNARY_ATTR(ATTR, NAME, TI, TO, EXPR)                                    \
ATTR void NAME(CT_LOOP_ARGS) {                                                         \
    ct_params *P = (ct_params *)ex; (void)P;                                       \
    if (s[0] == CT_SZ(TO) && s[1] == CT_SZ(TI)) {                                  \
        TO *o = (TO *)p[0]; const TI *A = (const TI *)p[1];                        \
        CT_SIMD for (int64_t i = 0; i < n; i++) { TI x = A[i]; o[i] = (TO)(EXPR); } \
        return;                                                                    \
    }                                                                              \
    TI ib_[CT_STRIDED_BLK]; TO ob_[CT_STRIDED_BLK];                                \
    for (int64_t b0 = 0; b0 < n; b0 += CT_STRIDED_BLK) {                           \
        const int64_t m = n - b0 < CT_STRIDED_BLK ? n - b0 : CT_STRIDED_BLK;       \
        const TI *a_ = ib_;                                                        \
        if (s[1] == CT_SZ(TI)) a_ = (const TI *)p[1] + b0;                         \
        else CT_GATHER_IN(TI, ib_, p[1] + b0 * s[1], s[1], m);                     \
        CT_STRIDED_OUT(TO, b0)                                                     \
        CT_SIMD for (int64_t i = 0; i < m; i++) { TI x = a_[i]; o_[i] = (TO)(EXPR); } \
        CT_STRIDED_FLUSH(TO, b0, m)                                                \
    }                                                                              \
}

/* out = EXPR(a, b); the scalar-operand cases get their own vector loops */
#define CT_BINARY_ATTR(ATTR, NAME, T, TO, EXPR)                                    \
ATTR void NAME(CT_LOOP_ARGS) {                                                         \
    ct_params *P = (ct_params *)ex; (void)P;                                       \
    if (s[0] == CT_SZ(TO) && s[1] == CT_SZ(T) && s[2] == CT_SZ(T)) {               \
        TO *o = (TO *)p[0]; const T *A = (const T *)p[1], *B = (const T *)p[2];    \
        CT_DENSE_LOOP(T, sizeof(TO) == sizeof(T), n, T a = A[i], b = B[i]; o[i] = (TO)(EXPR);) \
    } else if (s[0] == CT_SZ(TO) && s[1] == CT_SZ(T) && s[2] == 0) {               \
        TO *o = (TO *)p[0]; const T *A = (const T *)p[1]; const T b = *(const T *)p[2]; \
        CT_SIMD for (int64_t i = 0; i < n; i++) { T a = A[i]; o[i] = (TO)(EXPR); } \
    } else if (s[0] == CT_SZ(TO) && s[1] == 0 && s[2] == CT_SZ(T)) {               \
        TO *o = (TO *)p[0]; const T a = *(const T *)p[1]; const T *B = (const T *)p[2]; \
        CT_SIMD for (int64_t i = 0; i < n; i++) { T b = B[i]; o[i] = (TO)(EXPR); } \
    } else {                                                                       \
        T ab_[CT_STRIDED_BLK], bb_[CT_STRIDED_BLK]; TO ob_[CT_STRIDED_BLK];        \
        for (int64_t b0 = 0; b0 < n; b0 += CT_STRIDED_BLK) {                       \
            const int64_t m = n - b0 < CT_STRIDED_BLK ? n - b0 : CT_STRIDED_BLK;   \
            const T *a_ = ab_, *b_ = bb_;                                          \
            if (s[1] == CT_SZ(T)) a_ = (const T *)p[1] + b0;                       \
            else CT_GATHER_IN(T, ab_, p[1] + b0 * s[1], s[1], m);                  \
            if (s[2] == CT_SZ(T)) b_ = (const T *)p[2] + b0;                       \
            else CT_GATHER_IN(T, bb_, p[2] + b0 * s[2], s[2], m);                  \
            CT_STRIDED_OUT(TO, b0)                                                 \
            CT_SIMD for (int64_t i = 0; i < m; i++) { T a = a_[i], b = b_[i]; o_[i] = (TO)(EXPR); } \
            CT_STRIDED_FLUSH(TO, b0, m)                                            \
        }                                                                          \
    }                                                                              \
}

/* out = EXPR(a, b, c) (lerp): vector loops for dense operands with a dense
 * or scalar third one, strided otherwise */
#define CT_TERNARY(NAME, T, EXPR)                                                  \
CT_MULTIVERSION void NAME(CT_LOOP_ARGS) {                                          \
    ct_params *P = (ct_params *)ex; (void)P;                                       \
    if (s[0] == CT_SZ(T) && s[1] == CT_SZ(T) && s[2] == CT_SZ(T) && s[3] == 0) {   \
        T *o = (T *)p[0]; const T *A = (const T *)p[1], *B = (const T *)p[2];      \
        const T c = *(const T *)p[3];                                              \
        CT_DENSE_LOOP(T, 1, n, T a = A[i], b = B[i]; o[i] = (T)(EXPR);)            \
    } else if (s[0] == CT_SZ(T) && s[1] == CT_SZ(T) && s[2] == CT_SZ(T) && s[3] == CT_SZ(T)) { \
        T *o = (T *)p[0];                                                          \
        const T *A = (const T *)p[1], *B = (const T *)p[2], *C = (const T *)p[3];  \
        CT_DENSE_LOOP(T, 1, n, T a = A[i], b = B[i], c = C[i]; o[i] = (T)(EXPR);)  \
    } else {                                                                       \
        for (int64_t i = 0; i < n; i++) {                                          \
            T a = *(const T *)(p[1] + i * s[1]), b = *(const T *)(p[2] + i * s[2]); \
            T c = *(const T *)(p[3] + i * s[3]);                                   \
            *(T *)(p[0] + i * s[0]) = (T)(EXPR);                                   \
        }                                                                          \
    }                                                                              \
}

/* the dtype lists the macros expand over: (suffix, C type, compute type) */
#define CT_INTS(M, ...) M(u8, uint8_t, __VA_ARGS__) M(i8, int8_t, __VA_ARGS__) \
    M(i16, int16_t, __VA_ARGS__) M(i32, int32_t, __VA_ARGS__) M(i64, int64_t, __VA_ARGS__)
#define CT_REALS(M, ...) M(f16, ct_half, __VA_ARGS__) M(f32, float, __VA_ARGS__) M(f64, double, __VA_ARGS__)
#define CT_CPLX(M, ...) M(c64, ct_cfloat, __VA_ARGS__) M(c128, ct_cdouble, __VA_ARGS__)

/* ---------------------------------------------------------------- casts */

/* multiversioned: the AVX2/AVX-512 clones convert floats and 64-bit
 * integers a vector at a time, where the baseline x86-64 build converts one
 * element per instruction */
#define CT_CAST_TO(S2, T2, S1, T1) \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_cast_##S1##_##S2, T1, T2, ct_conv_##S2(x))
/* conversions into each type: bool is "nonzero", complex -> real keeps the real part */
#define ct_conv_b(x) ((x) != 0)
#define ct_conv_u8(x) ((uint8_t)(int64_t)ct_re(x))
#define ct_conv_i8(x) ((int8_t)(int64_t)ct_re(x))
#define ct_conv_i16(x) ((int16_t)(int64_t)ct_re(x))
#define ct_conv_i32(x) ((int32_t)(int64_t)ct_re(x))
#define ct_conv_i64(x) ((int64_t)ct_re(x))
#define ct_conv_f16(x) ((ct_half)ct_re(x))
#define ct_conv_f32(x) ((float)ct_re(x))
#define ct_conv_f64(x) ((double)ct_re(x))
#define ct_conv_c64(x) ((ct_cfloat)(x))
#define ct_conv_c128(x) ((ct_cdouble)(x))
#define ct_re(x) _Generic((x), ct_cfloat: crealf((ct_cfloat)(x)), ct_cdouble: creal((ct_cdouble)(x)), \
                          ct_half: (float)(x), default: (x))

#define CT_CAST_FROM(S1, T1, unused)                                               \
    CT_CAST_TO(b, ct_bool, S1, T1) CT_CAST_TO(u8, uint8_t, S1, T1)                 \
    CT_CAST_TO(i8, int8_t, S1, T1) CT_CAST_TO(i16, int16_t, S1, T1)                \
    CT_CAST_TO(i32, int32_t, S1, T1) CT_CAST_TO(i64, int64_t, S1, T1)              \
    CT_CAST_TO(f16, ct_half, S1, T1) CT_CAST_TO(f32, float, S1, T1)                \
    CT_CAST_TO(f64, double, S1, T1) CT_CAST_TO(c64, ct_cfloat, S1, T1)             \
    CT_CAST_TO(c128, ct_cdouble, S1, T1)
CT_CAST_FROM(b, ct_bool, 0)
CT_INTS(CT_CAST_FROM, 0)
CT_REALS(CT_CAST_FROM, 0)
CT_CPLX(CT_CAST_FROM, 0)

#ifdef CT_HAVE_AVX512_TABLES
/* float / double -> int32, int16, int8, uint8 of dense operands on AVX2:
 * cvttps2dq (cvttpd2dq) truncates 8 lanes where the value fits in int32,
 * and there the result is the loops' above (through int64: the low bits of
 * the same integer); a vector with a lane out of range or NaN (the pattern
 * 0x80000000 shows it) takes their formula. Without it GCC converts one
 * element at a time (AVX2 has no vector conversion to int64). */
#define CT_F2I_NARROW(T, x) ((T)(int64_t)(x))
#define CT_F2I_LOOP(S1, T1, S2, T2)                                                \
__attribute__((target("avx2"))) static int64_t ct_f2i_avx2_##S1##_##S2(            \
    const T1 *a, T2 *o, int64_t n)                                                 \
{                                                                                  \
    const __m256i bad = _mm256_set1_epi32((int)0x80000000u);                       \
    int64_t i = 0;                                                                 \
    for (; i + 8 <= n; i += 8) {                                                   \
        __m256i v = CT_F2I_LD_##S1(a + i);                                         \
        if (_mm256_movemask_epi8(_mm256_cmpeq_epi32(v, bad))) {                    \
            for (int k = 0; k < 8; k++) o[i + k] = CT_F2I_NARROW(T2, a[i + k]);     \
            continue;                                                              \
        }                                                                          \
        CT_F2I_ST_##S2(o + i, v);                                                  \
    }                                                                              \
    return i;                                                                      \
}
#define CT_F2I_LD_f32(q) _mm256_cvttps_epi32(_mm256_loadu_ps(q))
#define CT_F2I_LD_f64(q) _mm256_setr_m128i(_mm256_cvttpd_epi32(_mm256_loadu_pd(q)),       \
                                           _mm256_cvttpd_epi32(_mm256_loadu_pd((q) + 4)))
#define CT_F2I_ST_i32(q, v) _mm256_storeu_si256((__m256i *)(q), v)
/* the low 16 (8) bits of each lane: masked, then packed without saturation */
#define CT_F2I_ST_i16(q, v)                                                        \
    {                                                                              \
        __m256i w_ = _mm256_and_si256(v, _mm256_set1_epi32(0xffff));               \
        w_ = _mm256_permute4x64_epi64(_mm256_packus_epi32(w_, w_), 0x08);          \
        _mm_storeu_si128((__m128i *)(q), _mm256_castsi256_si128(w_));              \
    }
#define CT_F2I_ST_i8(q, v)                                                         \
    {                                                                              \
        __m256i w_ = _mm256_and_si256(v, _mm256_set1_epi32(0xff));                 \
        w_ = _mm256_packus_epi32(w_, w_);                                          \
        w_ = _mm256_packus_epi16(w_, w_);                                          \
        w_ = _mm256_permutevar8x32_epi32(w_, _mm256_setr_epi32(0, 4, 0, 4, 0, 4, 0, 4)); \
        _mm_storel_epi64((__m128i *)(q), _mm256_castsi256_si128(w_));              \
    }
#define CT_F2I_ST_u8 CT_F2I_ST_i8
#define CT_F2I_ALL(S1, T1)                                                         \
    CT_F2I_LOOP(S1, T1, i32, int32_t) CT_F2I_LOOP(S1, T1, i16, int16_t)            \
    CT_F2I_LOOP(S1, T1, i8, int8_t) CT_F2I_LOOP(S1, T1, u8, uint8_t)
CT_F2I_ALL(f32, float)
CT_F2I_ALL(f64, double)
/* the dense loop where the CPU has AVX2, the loop above for the rest */
#define CT_F2I_CAST(S1, T1, S2, T2)                                                \
static void ct_cast_fast_##S1##_##S2(CT_LOOP_ARGS)                                          \
{                                                                                  \
    int64_t i = 0;                                                                 \
    if (s[0] == (int64_t)sizeof(T2) && s[1] == (int64_t)sizeof(T1) && ct_cpu_avx2())  \
        i = ct_f2i_avx2_##S1##_##S2((const T1 *)p[1], (T2 *)p[0], n);              \
    if (i < n) {                                                                   \
        char *q[2] = {p[0] + i * s[0], p[1] + i * s[1]};                           \
        ct_cast_##S1##_##S2(q, s, n - i, ex);                                      \
    }                                                                              \
}
#define CT_F2I_CASTS(S1, T1)                                                       \
    CT_F2I_CAST(S1, T1, i32, int32_t) CT_F2I_CAST(S1, T1, i16, int16_t)            \
    CT_F2I_CAST(S1, T1, i8, int8_t) CT_F2I_CAST(S1, T1, u8, uint8_t)
CT_F2I_CASTS(f32, float)
CT_F2I_CASTS(f64, double)
#define CT_F2I_ENTRY(S1, S2) ct_cast_fast_##S1##_##S2
#else
#define CT_F2I_ENTRY(S1, S2) ct_cast_##S1##_##S2
#endif
#define CT_CAST_ROW(S1) { ct_cast_##S1##_b, ct_cast_##S1##_u8, ct_cast_##S1##_i8,      \
    ct_cast_##S1##_i16, ct_cast_##S1##_i32, ct_cast_##S1##_i64, ct_cast_##S1##_f16,    \
    ct_cast_##S1##_f32, ct_cast_##S1##_f64, ct_cast_##S1##_c64, ct_cast_##S1##_c128 }
#define CT_CAST_ROW_F(S1) { ct_cast_##S1##_b, CT_F2I_ENTRY(S1, u8), CT_F2I_ENTRY(S1, i8),  \
    CT_F2I_ENTRY(S1, i16), CT_F2I_ENTRY(S1, i32), ct_cast_##S1##_i64, ct_cast_##S1##_f16, \
    ct_cast_##S1##_f32, ct_cast_##S1##_f64, ct_cast_##S1##_c64, ct_cast_##S1##_c128 }
/* ct_cast_loops[from][to] */
ct_loop_fn ct_cast_loops[CT_NDTYPES][CT_NDTYPES] = {
    CT_CAST_ROW(b), CT_CAST_ROW(u8), CT_CAST_ROW(i8), CT_CAST_ROW(i16), CT_CAST_ROW(i32),
    CT_CAST_ROW(i64), CT_CAST_ROW(f16), CT_CAST_ROW_F(f32), CT_CAST_ROW_F(f64),
    CT_CAST_ROW(c64), CT_CAST_ROW(c128),
};

/* ------------------------------------------------ fill and select by size */

/* copies of raw elements by width: same-dtype copy, fill, where */
#define CT_BYTES(M) M(1, uint8_t) M(2, uint16_t) M(4, uint32_t) M(8, uint64_t) M(16, ct_cdouble)
/* every other element of 4- and 8-byte types (x[:, ::2].contiguous(), a
 * complex tensor's real parts): two vectors' even lanes picked by one
 * permute (vpermt2ps / vpermt2pd) instead of an element at a time; the
 * count done returned. A step reads the odd element after its last even
 * one: the loops stop while that is still an element of a (before 2 n - 1,
 * which may lie past the buffer's end) */
#ifdef CT_HAVE_AVX512_TABLES
__attribute__((target("avx512f"))) static int64_t ct_copy_even_w4(uint32_t *o, const uint32_t *a, int64_t n)
{
    const __m512i ix = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    int64_t i = 0;
    for (; i + 17 <= n; i += 16)
        _mm512_storeu_si512(o + i, _mm512_permutex2var_epi32(_mm512_loadu_si512(a + 2 * i), ix,
                                                              _mm512_loadu_si512(a + 2 * i + 16)));
    return i;
}
__attribute__((target("avx512f"))) static int64_t ct_copy_even_w8(uint64_t *o, const uint64_t *a, int64_t n)
{
    const __m512i ix = _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14);
    int64_t i = 0;
    for (; i + 9 <= n; i += 8)
        _mm512_storeu_si512(o + i, _mm512_permutex2var_epi64(_mm512_loadu_si512(a + 2 * i), ix,
                                                              _mm512_loadu_si512(a + 2 * i + 8)));
    return i;
}
#define CT_COPY_EVEN(W, o, a, n) (W == 4 && ct_cpu_avx512f() ? ct_copy_even_w4((uint32_t *)(o), (const uint32_t *)(a), n) \
                                : W == 8 && ct_cpu_avx512f() ? ct_copy_even_w8((uint64_t *)(o), (const uint64_t *)(a), n) : 0)
#else
#define CT_COPY_EVEN(W, o, a, n) 0
#endif
/* and fill: operand 1 is the value, with stride 0 (a vector store loop) */
#define CT_COPY_W(W, T)                                                            \
CT_MULTIVERSION void ct_copy_w##W(CT_LOOP_ARGS) {                                          \
    (void)ex;                                                                      \
    if (s[0] == W && s[1] == W) {                                                  \
        T *o = (T *)p[0]; const T *a = (const T *)p[1];                            \
        CT_SIMD for (int64_t i = 0; i < n; i++) o[i] = a[i];                       \
    } else if (s[0] == W && s[1] == 2 * W) {                                       \
        T *o = (T *)p[0]; const T *a = (const T *)p[1];                            \
        for (int64_t i = CT_COPY_EVEN(W, o, a, n); i < n; i++) o[i] = a[2 * i];    \
    } else if (s[0] == W && s[1] == 0) {                                           \
        /* a fill; of zero bytes by memset (large blocks stored without their  */ \
        /* lines read first: block_diag's 2.5 MB of zeros 1.8x faster here)   */ \
        T *o = (T *)p[0]; const T v = *(const T *)p[1];                            \
        const unsigned char *vb = (const unsigned char *)p[1];                     \
        int zero = 1;                                                              \
        for (int k = 0; k < W; k++) zero &= vb[k] == 0;                            \
        if (zero) { memset(o, 0, (size_t)n * W); return; }                         \
        CT_SIMD for (int64_t i = 0; i < n; i++) o[i] = v;                          \
    } else {                                                                       \
        for (int64_t i = 0; i < n; i++)                                            \
            *(T *)(p[0] + i * s[0]) = *(const T *)(p[1] + i * s[1]);               \
    }                                                                              \
}
CT_BYTES(CT_COPY_W)
#define CT_WHERE_W(W, T)                                                           \
CT_MULTIVERSION void ct_where_w##W(CT_LOOP_ARGS) {                                          \
    (void)ex;                                                                      \
    if (s[0] == W && s[1] == 1 && (s[2] == W || s[2] == 0) && (s[3] == W || s[3] == 0)) { \
        /* dense output and condition, each value dense or one scalar: blends */   \
        T *o = (T *)p[0]; const ct_bool *c = (const ct_bool *)p[1];                \
        const T *a = (const T *)p[2], *b = (const T *)p[3];                        \
        if (s[2] && s[3]) { CT_SIMD for (int64_t i = 0; i < n; i++) o[i] = c[i] ? a[i] : b[i]; } \
        else if (s[3]) { const T va = *a; CT_SIMD for (int64_t i = 0; i < n; i++) o[i] = c[i] ? va : b[i]; } \
        else if (s[2]) { const T vb = *b; CT_SIMD for (int64_t i = 0; i < n; i++) o[i] = c[i] ? a[i] : vb; } \
        else { const T va = *a, vb = *b; CT_SIMD for (int64_t i = 0; i < n; i++) o[i] = c[i] ? va : vb; } \
        return;                                                                    \
    }                                                                              \
    for (int64_t i = 0; i < n; i++) {                                              \
        ct_bool c = *(const ct_bool *)(p[1] + i * s[1]);                           \
        *(T *)(p[0] + i * s[0]) = c ? *(const T *)(p[2] + i * s[2])                \
                                    : *(const T *)(p[3] + i * s[3]);               \
    }                                                                              \
}
CT_BYTES(CT_WHERE_W)

ct_loop_fn ct_copy_loop(int width) {
    switch (width) { case 1: return ct_copy_w1; case 2: return ct_copy_w2; case 4: return ct_copy_w4;
                     case 8: return ct_copy_w8; default: return ct_copy_w16; }
}
ct_loop_fn ct_where_loop(int width) {
    switch (width) { case 1: return ct_where_w1; case 2: return ct_where_w2; case 4: return ct_where_w4;
                     case 8: return ct_where_w8; default: return ct_where_w16; }
}

/* ------------------------------------------------------- scalar helpers */

/* gcd of two magnitudes by Stein's binary algorithm: (min, |difference|),
 * the difference's trailing zeros counted while the selects run: no
 * branch, a short chain from step to step (about 1.5x Euclid's divisions) */
CT_FM_INLINE uint64_t ct_stein_u64(uint64_t a, uint64_t b) {
    if (a == 0 || b == 0) return a | b;
    int az = __builtin_ctzll(a);
    const int bz = __builtin_ctzll(b), k = az < bz ? az : bz;
    b >>= bz;
    while (a != 0) {
        a >>= az;
        const int64_t d = (int64_t)(b - a);
        az = __builtin_ctzll((uint64_t)d | ((uint64_t)1 << 63));
        b = a < b ? a : b;
        a = d < 0 ? (uint64_t)-d : (uint64_t)d;
    }
    return b << k;
}
#define CT_INT_HELPERS(S, T, unused)                                               \
static inline T ct_s_divtrunc_##S(T a, T b, ct_params *P) {                          \
    if (b == 0) { P->err = 1; return 0; }                                          \
    if ((T)-1 < 0 && b == (T)-1) return (T)(0 - (uint64_t)a); /* no INT_MIN / -1 trap */ \
    return (T)(a / b);                                                             \
}                                                                                  \
static inline T ct_s_divfloor_##S(T a, T b, ct_params *P) {                          \
    if (b == 0) { P->err = 1; return 0; }                                          \
    if ((T)-1 < 0 && b == (T)-1) return (T)(0 - (uint64_t)a);                      \
    T q = (T)(a / b);                                                              \
    if ((T)(a % b) != 0 && ((a < 0) != (b < 0))) q--;                              \
    return q;                                                                      \
}                                                                                  \
static inline T ct_s_remainder_##S(T a, T b, ct_params *P) {                         \
    if (b == 0) { P->err = 1; return 0; }                                          \
    if ((T)-1 < 0 && b == (T)-1) return 0;                                         \
    T r = (T)(a % b);                                                              \
    if (r != 0 && ((r < 0) != (b < 0))) r = (T)(r + b);                            \
    return r;                                                                      \
}                                                                                  \
static inline T ct_s_fmod_##S(T a, T b, ct_params *P) {                              \
    if (b == 0) { P->err = 1; return 0; }                                          \
    if ((T)-1 < 0 && b == (T)-1) return 0;                                         \
    return (T)(a % b);                                                             \
}                                                                                  \
static inline T ct_s_ipow_##S(T a, T b) {                                            \
    if (b < 0) return a == 1 ? 1 : (a == (T)-1 ? ((b & 1) ? a : 1) : 0);           \
    uint64_t r = 1, base = (uint64_t)(int64_t)a;                                   \
    while (b) { if (b & 1) r *= base; base *= base; b = (T)(b >> 1); }             \
    return (T)r;                                                                   \
}                                                                                  \
static inline T ct_s_shl_##S(T a, T b) {                                             \
    return (b < 0 || b >= (T)(8 * sizeof(T))) ? 0 : (T)((uint64_t)a << b);         \
}                                                                                  \
static inline T ct_s_shr_##S(T a, T b) {                                             \
    if (b < 0 || b >= (T)(8 * sizeof(T))) return (a < 0) ? (T)-1 : 0;              \
    return (T)(a >> b);                                                            \
}                                                                                  \
/* the magnitudes' gcd by ct_stein_u64; where one wraps (the type's minimum),  \
 * Euclid on the wrapped values (gcd(INT_MIN, 0) is INT_MIN; a remainder never   \
 * divides INT_MIN by -1) */                                                      \
static inline T ct_s_gcd_##S(T a, T b) {                                             \
    a = (T)(a < 0 ? 0 - (uint64_t)a : (uint64_t)a);                                \
    b = (T)(b < 0 ? 0 - (uint64_t)b : (uint64_t)b);                                \
    if (a >= 0 && b >= 0) return (T)ct_stein_u64((uint64_t)a, (uint64_t)b);        \
    while (a != 0) { T c = a; a = (T)(b % a); b = c; }                             \
    return b;                                                                      \
}                                                                                  \
/* |a / gcd * b|, wrapping; 0 when both are 0 */                                  \
static inline T ct_s_lcm_##S(T a, T b) {                                             \
    T g = ct_s_gcd_##S(a, b);                                                      \
    if (g == 0) return 0;                                                          \
    T q = ((T)-1 < 0 && g == (T)-1) ? (T)(0 - (uint64_t)a) : (T)(a / g);           \
    T r = (T)((uint64_t)q * (uint64_t)b);                                          \
    return (T)(r < 0 ? 0 - (uint64_t)r : (uint64_t)r);                             \
}
CT_INTS(CT_INT_HELPERS, 0)

/* Python-style floor division and remainder for floats */
static inline double ct_divfloor_d(double a, double b) {
    if (b == 0) return a / b;
    double mod = fmod(a, b);
    double div = (a - mod) / b;
    if (mod != 0 && ((b < 0) != (mod < 0))) div -= 1.0;
    if (div == 0) return copysign(0.0, a / b);
    double fl = floor(div);
    if (div - fl > 0.5) fl += 1.0;
    return fl;
}
static inline float ct_divfloor_f(float a, float b) {
    if (b == 0) return a / b;
    float mod = fmodf(a, b);
    float div = (a - mod) / b;
    if (mod != 0 && ((b < 0) != (mod < 0))) div -= 1.0f;
    if (div == 0) return copysignf(0.0f, a / b);
    float fl = floorf(div);
    if (div - fl > 0.5f) fl += 1.0f;
    return fl;
}
static inline double ct_remainder_d(double a, double b) {
    double r = fmod(a, b);
    if (r != 0 && ((b < 0) != (r < 0))) r += b;
    return r;
}
static inline float ct_remainder_f(float a, float b) {
    float r = fmodf(a, b);
    if (r != 0 && ((b < 0) != (r < 0))) r += b;
    return r;
}
/* fmod of floats, exact, for |a| < 2^23 |b| (b finite and nonzero): in
 * double, q = trunc(|a| / |b|) is off by at most one and |a| - q |b| is
 * exact (q < 2^24; every term is a multiple of lsb(b) / 2 and under
 * 2^26 |b|), one select each way fixes q; the result has a's sign (a zero
 * too). Branch free, so the loops vectorise; CT_FMOD_FAST says which
 * elements it covers (false for NaN, infinities and b = 0). */
#define CT_FMOD_FAST(a, b) (__builtin_fabsf(a) < __builtin_fabsf(b) * 8388608.0f \
                            && __builtin_fabsf(b) < __builtin_inff())
CT_FM_INLINE float ct_fmodf_fast(float a, float b) {
    double ad = __builtin_fabs((double)a), bd = __builtin_fabs((double)b);
    double q = __builtin_trunc(ad / bd);
    double r = ad - q * bd;
    r = r < 0.0 ? r + bd : r;
    r = r >= bd ? r - bd : r;
    return __builtin_copysignf((float)r, a);
}
/* remainder and floor division on top of a fast fmod, the same steps as
 * ct_remainder_f and ct_divfloor_f (b = 0 never comes here); float and
 * double alike */
#define CT_REMFLOOR_FAST(REM, DIVFLOOR, T, FMOD, FLOOR, COPYSIGN)                  \
CT_FM_INLINE T REM(T a, T b) {                                                     \
    T r = FMOD(a, b);                                                              \
    return (r != (T)0 && ((b < (T)0) != (r < (T)0))) ? r + b : r;                  \
}                                                                                  \
CT_FM_INLINE T DIVFLOOR(T a, T b) {                                                \
    T mod = FMOD(a, b);                                                            \
    T div = (a - mod) / b;                                                         \
    div = (mod != (T)0 && ((b < (T)0) != (mod < (T)0))) ? div - (T)1 : div;        \
    T fl = FLOOR(div);                                                             \
    fl = div - fl > (T)0.5 ? fl + (T)1 : fl;                                       \
    return div == (T)0 ? COPYSIGN((T)0, a / b) : fl;                               \
}
CT_REMFLOOR_FAST(ct_remainderf_fast, ct_divfloorf_fast, float, ct_fmodf_fast, __builtin_floorf,
                 __builtin_copysignf)
/* the same for doubles, for |a| < 2^52 |b|: q = trunc(|a| / |b|) is off by
 * at most one (the quotient is below 2^52), and |a| - q |b| by an fma is
 * exact whenever the result is representable, which both it and the
 * corrected value are (multiples of lsb(b) below |b| in size, |a| >= |b|
 * where q > 0) */
#define CT_FMOD_FAST_D(a, b) (__builtin_fabs(a) < __builtin_fabs(b) * 4503599627370496.0 \
                              && __builtin_fabs(b) < (double)__builtin_inf())
CT_FM_INLINE double ct_fmod_d_fast(double a, double b) {
    double ad = __builtin_fabs(a), bd = __builtin_fabs(b);
    double q = __builtin_trunc(ad / bd);
    double r = __builtin_fma(-q, bd, ad);
    r = r < 0.0 ? r + bd : r;
    r = r >= bd ? r - bd : r;
    return __builtin_copysign(r, a);
}
CT_REMFLOOR_FAST(ct_remainder_d_fast, ct_divfloor_d_fast, double, ct_fmod_d_fast, __builtin_floor,
                 __builtin_copysign)
/* Two-pass loops: a vector pass computes a fast form where it holds and
 * leaves the other elements as they were, then the full form runs on those.
 * The second pass goes by flags the first one wrote (blocks of CT_PASS_BLK
 * elements), not by testing the elements again: in place, the finished
 * ones hold results now, which the test could send back through the full
 * form. The elements it does redo were left untouched, so they still hold
 * their input, in place or not. */
#define CT_PASS_BLK 1024
/* Binary floating loops with a fast form where OK(a, b) holds: a vector
 * pass computes FAST there, then FULL (libm) runs on the other elements, read
 * from the inputs again (the output may alias one input only where it is
 * that input's own element, and those elements were left as they were). */
#define CT_TWO_PASS_BIN_BODY_CT(T, CT, OK, FAST, FULL, LA, LB)                     \
    CT_TWO_PASS_BIN_BODY_FT(uint8_t, T, CT, OK, FAST, FULL, LA, LB)
/* FT: the flags' type. Bytes keep the flag arrays small; a long FAST body
 * over double is better off with 8-byte flags (a byte's vector factor would
 * have the loop carry 8 vectors of doubles at once, more than the registers) */
#define CT_TWO_PASS_BIN_BODY_FT(FT, T, CT, OK, FAST, FULL, LA, LB)                 \
    CT_TWO_PASS_BIN_BODY_FTV(FT, T, CT, OK, FAST, FULL, LA, LB, 0)
/* VEC 1: FULL is branch-free arithmetic, and the second pass runs it as a
 * vector loop over the block (a select where the first pass could not) */
#define CT_TWO_PASS_BIN_BODY_FTV(FT, T, CT, OK, FAST, FULL, LA, LB, VEC)           \
    for (int64_t b0 = 0; b0 < n; b0 += CT_PASS_BLK) {                              \
        int64_t e = n - b0 < CT_PASS_BLK ? n : b0 + CT_PASS_BLK;                   \
        FT bad[CT_PASS_BLK];                                                       \
        FT big = 0;                                                                \
        CT_SIMD for (int64_t i = b0; i < e; i++) {                                 \
            /* (own names: LA / LB may name an outer a or b) */                    \
            CT ta = (CT)(LA), tb = (CT)(LB);                                       \
            int k = !(OK(ta, tb));                                                 \
            bad[i - b0] = (FT)k;                                                   \
            big |= k;                                                              \
            CT r = FAST(ta, tb);                                                   \
            o[i] = k ? o[i] : (T)r;                                                \
        }                                                                          \
        if (big && VEC) {                                                          \
            CT_SIMD for (int64_t i = b0; i < e; i++) {                             \
                CT r = FULL((CT)(LA), (CT)(LB));                                   \
                o[i] = bad[i - b0] ? (T)r : o[i];                                  \
            }                                                                      \
        } else if (big)                                                            \
            for (int64_t i = b0; i < e; i++)                                       \
                if (bad[i - b0]) o[i] = (T)FULL((CT)(LA), (CT)(LB));               \
    }
#define CT_TWO_PASS_BIN_CT(NAME, T, CT, OK, FAST, FULL)                            \
    CT_TWO_PASS_BIN_FTV(uint8_t, NAME, T, CT, OK, FAST, FULL, 0)
#define CT_TWO_PASS_BIN_FT(FT, NAME, T, CT, OK, FAST, FULL)                        \
    CT_TWO_PASS_BIN_FTV(FT, NAME, T, CT, OK, FAST, FULL, 0)
#define CT_TWO_PASS_BIN_FTV(FT, NAME, T, CT, OK, FAST, FULL, VEC)                  \
CT_MULTIVERSION void NAME(CT_LOOP_ARGS) {                                          \
    (void)ex;                                                                      \
    if (s[0] == CT_SZ(T) && s[1] == CT_SZ(T) && s[2] == CT_SZ(T)) {                \
        T *o = (T *)p[0]; const T *A = (const T *)p[1], *B = (const T *)p[2];      \
        CT_TWO_PASS_BIN_BODY_FTV(FT, T, CT, OK, FAST, FULL, A[i], B[i], VEC)            \
    } else if (s[0] == CT_SZ(T) && s[1] == CT_SZ(T) && s[2] == 0) {                \
        T *o = (T *)p[0]; const T *A = (const T *)p[1]; const T bs = *(const T *)p[2]; \
        CT_TWO_PASS_BIN_BODY_FTV(FT, T, CT, OK, FAST, FULL, A[i], bs, VEC)            \
    } else if (s[0] == CT_SZ(T) && s[1] == 0 && s[2] == CT_SZ(T)) {                \
        T *o = (T *)p[0]; const T as = *(const T *)p[1]; const T *B = (const T *)p[2]; \
        CT_TWO_PASS_BIN_BODY_FTV(FT, T, CT, OK, FAST, FULL, as, B[i], VEC)            \
    } else {                                                                       \
        /* other layouts: blocks gathered into contiguous buffers, so that         \
         * every layout runs the same vector code and gets the same values */      \
        CT ga[CT_PASS_BLK], gb[CT_PASS_BLK], go[CT_PASS_BLK];                      \
        for (int64_t c0 = 0; c0 < n; c0 += CT_PASS_BLK) {                          \
            int64_t cn = n - c0 < CT_PASS_BLK ? n - c0 : CT_PASS_BLK;              \
            for (int64_t i = 0; i < cn; i++) {                                     \
                ga[i] = (CT)*(const T *)(p[1] + (c0 + i) * s[1]);                  \
                gb[i] = (CT)*(const T *)(p[2] + (c0 + i) * s[2]);                  \
            }                                                                      \
            {                                                                      \
                CT *o = go; const CT *A = ga, *B = gb; int64_t n = cn;             \
                CT_TWO_PASS_BIN_BODY_FTV(FT, CT, CT, OK, FAST, FULL, A[i], B[i], VEC)    \
            }                                                                      \
            for (int64_t i = 0; i < cn; i++)                                       \
                *(T *)(p[0] + (c0 + i) * s[0]) = (T)go[i];                         \
        }                                                                          \
    }                                                                              \
}
/* CT: the type computed in (float for half and float, double for double) */
#define CT_TWO_PASS_BIN_BODY(T, OK, FAST, FULL, LA, LB) \
    CT_TWO_PASS_BIN_BODY_CT(T, float, OK, FAST, FULL, LA, LB)
#define CT_TWO_PASS_BIN_f(NAME, T, OK, FAST, FULL) CT_TWO_PASS_BIN_CT(NAME, T, float, OK, FAST, FULL)
static inline double ct_nan_to_num_d(double x, const ct_params *P) {
    return x != x ? P->a : (x == INFINITY ? P->b : (x == -INFINITY ? P->c : x));
}
static inline double ct_sign_d(double x) { return (double)((0 < x) - (x < 0)); }

/* ------------------------------------------------------------ op tables */

/* binary ops (the op codes CT_ADD.. are in elementwise.h): one row of loops
 * per op */

/* arithmetic on every numeric type; ATTR: the add/sub/mul loops'
 * attribute (CT_MULTIVERSION but for complex) */
#define CT_ARITH_ALL(S, T, ATTR)                                                   \
    CT_ARITH_NOMUL(S, T, ATTR)                                                     \
    CT_BINARY_ATTR(ATTR, ct_mul_##S, T, T, a * b)
/* complex multiplication is cplx.c's */
#define CT_ARITH_NOMUL(S, T, ATTR)                                                 \
    CT_BINARY_ATTR(ATTR, ct_add_##S, T, T, a + b)                                  \
    CT_BINARY_ATTR(ATTR, ct_sub_##S, T, T, a - b)                                  \
    CT_BINARY(ct_eq_##S, T, ct_bool, a == b)                                       \
    CT_BINARY(ct_ne_##S, T, ct_bool, a != b)                                       \
    CT_BINARY(ct_logand_##S, T, ct_bool, (a != 0) && (b != 0))                     \
    CT_BINARY(ct_logor_##S, T, ct_bool, (a != 0) || (b != 0))                      \
    CT_BINARY(ct_logxor_##S, T, ct_bool, (a != 0) != (b != 0))
CT_INTS(CT_ARITH_ALL, CT_MULTIVERSION)
CT_REALS(CT_ARITH_ALL, CT_MULTIVERSION)
CT_CPLX(CT_ARITH_NOMUL, )

#define CT_ORDERED(S, T, unused)                                                   \
    CT_BINARY(ct_lt_##S, T, ct_bool, a < b)                                        \
    CT_BINARY(ct_le_##S, T, ct_bool, a <= b)                                       \
    CT_BINARY(ct_gt_##S, T, ct_bool, a > b)                                        \
    CT_BINARY(ct_ge_##S, T, ct_bool, a >= b)
CT_ORDERED(b, ct_bool, 0)
CT_INTS(CT_ORDERED, 0)
CT_REALS(CT_ORDERED, 0)

/* gcd by Stein's binary algorithm, CT_GCD_BLK elements at a time, one per
 * lane: the magnitudes (in uint64) lose their common power of two (sh), u is
 * the odd one, then each step makes v odd (v >>= ctz v, ctz as 63 - clz of
 * v's lowest set bit) and replaces (u, v) by (min, |u - v|) until every
 * lane's v is 0; the result is u << sh. Division free and branch free inside
 * the block, so the steps vectorise. The lanes holding the type's minimum
 * (whose magnitude wraps) take ct_s_gcd's Euclid, which gives PyTorch's
 * wrapped results there. */
#define CT_GCD_BLK 16
CT_FM_INLINE uint64_t ct_ctz_or0(uint64_t x) {
    return 63 - (uint64_t)__builtin_clzll((x & (0 - x)) | (uint64_t)(x == 0));
}
/* Without AVX-512 (whose vplzcntq the lanes' ctz needs) the lanes' steps are
 * scalar code that runs every lane to the slowest lane's end: there each
 * element takes its own (ct_s_gcd's) Stein loop, with a data-dependent exit. */
#ifdef CT_HAVE_AVX512_TABLES
#define CT_GCD_LANES() ct_cpu_avx512f()
#else
#define CT_GCD_LANES() 0
#endif
#define CT_GCD_LOOP(S, T)                                                          \
CT_MULTIVERSION void ct_gcd_##S(CT_LOOP_ARGS) {                                          \
    (void)ex;                                                                      \
    if (!CT_GCD_LANES()) {                                                         \
        for (int64_t i = 0; i < n; i++)                                            \
            *(T *)(p[0] + i * s[0]) = ct_s_gcd_##S(*(const T *)(p[1] + i * s[1]),  \
                                                   *(const T *)(p[2] + i * s[2])); \
        return;                                                                    \
    }                                                                              \
    for (int64_t i0 = 0; i0 < n; i0 += CT_GCD_BLK) {                               \
        int64_t w = n - i0 < CT_GCD_BLK ? n - i0 : CT_GCD_BLK;                     \
        T av[CT_GCD_BLK] = {0}, bv[CT_GCD_BLK] = {0};                              \
        uint64_t u[CT_GCD_BLK], v[CT_GCD_BLK], sh[CT_GCD_BLK];                     \
        uint8_t wrap[CT_GCD_BLK];                                                  \
        for (int j = 0; j < w; j++) {                                              \
            av[j] = *(const T *)(p[1] + (i0 + j) * s[1]);                          \
            bv[j] = *(const T *)(p[2] + (i0 + j) * s[2]);                          \
        }                                                                          \
        int any = 0, rare = 0;                                                     \
        CT_SIMD for (int j = 0; j < CT_GCD_BLK; j++) {                             \
            T a = av[j], b = bv[j];                                                \
            uint64_t ua = a < 0 ? 0 - (uint64_t)a : (uint64_t)a;                   \
            uint64_t ub = b < 0 ? 0 - (uint64_t)b : (uint64_t)b;                   \
            int wr = (a < 0 && (T)ua < 0) || (b < 0 && (T)ub < 0);                 \
            ua = wr ? 0 : ua;                                                      \
            ub = wr ? 0 : ub;                                                      \
            uint64_t k = ct_ctz_or0(ua | ub);                                      \
            uint64_t x = ua >> k, y = ub >> k;                                     \
            uint64_t odd = (x & 1) ? x : y, other = (x & 1) ? y : x;               \
            int zero = ua == 0 || ub == 0;                                         \
            u[j] = zero ? x | y : odd;                                             \
            v[j] = zero ? 0 : other;                                               \
            sh[j] = k;                                                             \
            wrap[j] = (uint8_t)wr;                                                 \
            any |= v[j] != 0;                                                      \
            rare |= wr;                                                            \
        }                                                                          \
        while (any) {                                                              \
            any = 0;                                                               \
            CT_SIMD for (int j = 0; j < CT_GCD_BLK; j++) {                         \
                uint64_t uu = u[j], vv = v[j] >> ct_ctz_or0(v[j]);                 \
                int live = v[j] != 0;                                              \
                uint64_t d = uu > vv ? uu - vv : vv - uu;                          \
                u[j] = live ? (uu < vv ? uu : vv) : uu;                            \
                v[j] = live ? d : 0;                                               \
                any |= live && d != 0;                                             \
            }                                                                      \
        }                                                                          \
        for (int j = 0; j < w; j++)                                                \
            *(T *)(p[0] + (i0 + j) * s[0]) = (T)(u[j] << sh[j]);                   \
        if (rare)                                                                  \
            for (int j = 0; j < w; j++)                                            \
                if (wrap[j]) *(T *)(p[0] + (i0 + j) * s[0]) = ct_s_gcd_##S(av[j], bv[j]); \
    }                                                                              \
}
/* division, floor division, remainder and fmod of 8- to 32-bit integers by
 * a float (8, 16 bits) or double (32 bits) quotient, rounded: exact there
 * (the quotient's rounding error is under 1 / |b|, its distance from the
 * next integer at least that), and a - q b exact in W too, so that the
 * loops vectorise (integer division does not); b = 0 sets P->err (its
 * element 0), INT_MIN / -1 wraps (2^31 -> INT_MIN), INT_MIN % -1 is 0 */
#define CT_WRND_TRUNC_float(x) __builtin_truncf(x)
#define CT_WRND_FLOOR_float(x) __builtin_floorf(x)
#define CT_WRND_TRUNC_double(x) __builtin_trunc(x)
#define CT_WRND_FLOOR_double(x) __builtin_floor(x)
#define CT_INT_DIV_BODY(T, W, RND, REM)                                            \
    W bw = (W)(b == 0 ? (T)1 : b);                                                 \
    W q = CT_WRND_##RND##_##W((W)a / bw);                                          \
    W r = REM ? (W)a - q * bw : (q > (W)2147483647 ? -q : q);                      \
    T v = (T)(int32_t)r;
#define CT_INT_DIV_LOOP(NAME, T, W, RND, REM)                                      \
CT_MULTIVERSION void NAME(CT_LOOP_ARGS) {                                          \
    ct_params *P = (ct_params *)ex;                                                \
    int zero = 0;                                                                  \
    if (s[0] == CT_SZ(T) && s[1] == CT_SZ(T) && s[2] == CT_SZ(T)) {                \
        T *o = (T *)p[0]; const T *A = (const T *)p[1], *B = (const T *)p[2];      \
        _Pragma("omp simd reduction(|:zero)")                                      \
        for (int64_t i = 0; i < n; i++) {                                          \
            T a = A[i], b = B[i];                                                  \
            zero |= b == 0;                                                        \
            CT_INT_DIV_BODY(T, W, RND, REM)                                        \
            o[i] = b == 0 ? (T)0 : v;                                              \
        }                                                                          \
    } else if (s[0] == CT_SZ(T) && s[1] == CT_SZ(T) && s[2] == 0) {                \
        T *o = (T *)p[0]; const T *A = (const T *)p[1]; const T b = *(const T *)p[2]; \
        zero = b == 0;                                                             \
        _Pragma("omp simd")                                                        \
        for (int64_t i = 0; i < n; i++) {                                          \
            T a = A[i];                                                            \
            CT_INT_DIV_BODY(T, W, RND, REM)                                        \
            o[i] = b == 0 ? (T)0 : v;                                              \
        }                                                                          \
    } else {                                                                       \
        for (int64_t i = 0; i < n; i++) {                                          \
            T a = *(const T *)(p[1] + i * s[1]), b = *(const T *)(p[2] + i * s[2]); \
            zero |= b == 0;                                                        \
            CT_INT_DIV_BODY(T, W, RND, REM)                                        \
            *(T *)(p[0] + i * s[0]) = b == 0 ? (T)0 : v;                           \
        }                                                                          \
    }                                                                              \
    if (zero) P->err = 1;                                                          \
}
#define CT_INT_DIVS_W(S, T, W)                                                     \
    CT_INT_DIV_LOOP(ct_divtrunc_##S, T, W, TRUNC, 0)                               \
    CT_INT_DIV_LOOP(ct_divfloor_##S, T, W, FLOOR, 0)                               \
    CT_INT_DIV_LOOP(ct_remainder_##S, T, W, FLOOR, 1)                              \
    CT_INT_DIV_LOOP(ct_fmod_##S, T, W, TRUNC, 1)
#define CT_INT_DIVS_u8(S, T) CT_INT_DIVS_W(S, T, float)
#define CT_INT_DIVS_i8(S, T) CT_INT_DIVS_W(S, T, float)
#define CT_INT_DIVS_i16(S, T) CT_INT_DIVS_W(S, T, float)
#define CT_INT_DIVS_i32(S, T) CT_INT_DIVS_W(S, T, double)
/* int64: no exact wider quotient, C's division element by element */
#define CT_INT_DIVS_i64(S, T)                                                      \
    CT_BINARY(ct_divtrunc_##S, T, T, ct_s_divtrunc_##S(a, b, P))                     \
    CT_BINARY(ct_divfloor_##S, T, T, ct_s_divfloor_##S(a, b, P))                     \
    CT_BINARY(ct_remainder_##S, T, T, ct_s_remainder_##S(a, b, P))                   \
    CT_BINARY(ct_fmod_##S, T, T, ct_s_fmod_##S(a, b, P))
#define CT_INT_ONLY(S, T, unused)                                                  \
    CT_INT_DIVS_##S(S, T)                                                          \
    CT_BINARY(ct_pow_##S, T, T, ct_s_ipow_##S(a, b))                                 \
    CT_BINARY(ct_maximum_##S, T, T, a > b ? a : b)                                 \
    CT_BINARY(ct_minimum_##S, T, T, a < b ? a : b)                                 \
    CT_BINARY(ct_bitand_##S, T, T, a & b)                                          \
    CT_BINARY(ct_bitor_##S, T, T, a | b)                                           \
    CT_BINARY(ct_bitxor_##S, T, T, a ^ b)                                          \
    CT_BINARY(ct_shl_##S, T, T, ct_s_shl_##S(a, b))                                  \
    CT_BINARY(ct_shr_##S, T, T, ct_s_shr_##S(a, b))                                  \
    CT_GCD_LOOP(S, T)                                                              \
    CT_BINARY(ct_lcm_##S, T, T, ct_s_lcm_##S(a, b))                                  \
    CT_BINARY(ct_heaviside_##S, T, T, a == 0 ? b : (T)(a > 0))                     \
    CT_BINARY(ct_fmax_##S, T, T, a > b ? a : b)                                    \
    CT_BINARY(ct_fmin_##S, T, T, a < b ? a : b)
CT_INTS(CT_INT_ONLY, 0)

/* bool: add is "or", mul is "and", as in PyTorch */
CT_BINARY(ct_add_b, ct_bool, ct_bool, a | b)
CT_BINARY(ct_mul_b, ct_bool, ct_bool, a & b)
CT_BINARY(ct_eq_b, ct_bool, ct_bool, a == b)
CT_BINARY(ct_ne_b, ct_bool, ct_bool, a != b)
CT_BINARY(ct_logand_b, ct_bool, ct_bool, a && b)
CT_BINARY(ct_logor_b, ct_bool, ct_bool, a || b)
CT_BINARY(ct_logxor_b, ct_bool, ct_bool, (a != 0) != (b != 0))
CT_BINARY(ct_maximum_b, ct_bool, ct_bool, a | b)
CT_BINARY(ct_minimum_b, ct_bool, ct_bool, a & b)
CT_BINARY(ct_bitand_b, ct_bool, ct_bool, a & b)
CT_BINARY(ct_bitor_b, ct_bool, ct_bool, a | b)
CT_BINARY(ct_bitxor_b, ct_bool, ct_bool, a ^ b)
CT_BINARY(ct_heaviside_b, ct_bool, ct_bool, a | b)
CT_BINARY(ct_fmax_b, ct_bool, ct_bool, a | b)
CT_BINARY(ct_fmin_b, ct_bool, ct_bool, a & b)

/* floating point: computed in float for half and float, in double for double */
#define CT_FLOAT_OPS(S, T, CT, F, FD, FR, FF, FP, FA)                              \
    CT_BINARY_ATTR(CT_MULTIVERSION, ct_div_##S, T, T, (CT)a / (CT)b)               \
    /* multiversioned: the baseline's trunc is a libm call (SSE4.1's round \
     * instructions from x86-64-v2 on): 0.38x PyTorch's speed */             \
    CT_BINARY_ATTR(CT_MULTIVERSION, ct_divtrunc_##S, T, T, FT_##F(trunc)((CT)a / (CT)b)) \
    CT_DIVMOD_##F(S, T, FD, FR, FF)                                                \
    CT_BINARY_ATTR(CT_MULTIVERSION, ct_atan2_##S, T, T, FA((CT)a, (CT)b))           \
    CT_BINARY_ATTR(CT_MULTIVERSION, ct_maximum_##S, T, T, (a != a) ? a : ((b != b) ? b : (a > b ? a : b))) \
    CT_BINARY_ATTR(CT_MULTIVERSION, ct_minimum_##S, T, T, (a != a) ? a : ((b != b) ? b : (a < b ? a : b))) \
    CT_BINARY_ATTR(CT_MULTIVERSION, ct_hypot_##S, T, T, ct_hypot_##F((CT)a, (CT)b)) \
    CT_BINARY(ct_copysign_##S, T, T, FT_##F(copysign)((CT)a, (CT)b))               \
    CT_LAE_LOOP_##F(S, T, CT)                                                      \
    CT_LAE2_LOOP_##F(S, T, CT)                                                     \
    CT_BINARY(ct_heaviside_##S, T, T, (CT)a == 0 ? (CT)b : (CT)((CT)a > 0))        \
    CT_BINARY_ATTR(CT_MULTIVERSION, ct_fmax_##S, T, T, ((CT)a >= (CT)b || b != b) ? a : b) \
    CT_BINARY_ATTR(CT_MULTIVERSION, ct_fmin_##S, T, T, ((CT)a <= (CT)b || b != b) ? a : b)
/* floor division, remainder and fmod: through the exact fast forms above
 * where they apply, libm's fmod for the rest (double: 8-byte flags, see
 * CT_TWO_PASS_BIN_BODY_FT) */
#define CT_DIVMOD_d(S, T, FD, FR, FF)                                              \
    CT_TWO_PASS_BIN_FT(int64_t, ct_divfloor_##S, T, T, CT_FMOD_FAST_D, ct_divfloor_d_fast, FD) \
    CT_TWO_PASS_BIN_FT(int64_t, ct_remainder_##S, T, T, CT_FMOD_FAST_D, ct_remainder_d_fast, FR) \
    CT_TWO_PASS_BIN_FT(int64_t, ct_fmod_##S, T, T, CT_FMOD_FAST_D, ct_fmod_d_fast, FF)
#define CT_DIVMOD_f(S, T, FD, FR, FF)                                              \
    CT_TWO_PASS_BIN_f(ct_divfloor_##S, T, CT_FMOD_FAST, ct_divfloorf_fast, FD)     \
    CT_TWO_PASS_BIN_f(ct_remainder_##S, T, CT_FMOD_FAST, ct_remainderf_fast, FR)   \
    CT_TWO_PASS_BIN_f(ct_fmod_##S, T, CT_FMOD_FAST, ct_fmodf_fast, FF)
#define FT_f(name) name##f
#define FT_d(name) name
/* log(e^a + e^b) as max + log1p(e^-|a - b|) (no overflow); two equal
 * infinities are themselves (their difference is NaN). These full forms take
 * the elements the loops' vector pass leaves: |a - b| past where the fast
 * forms of fastmath.h hold (e^-|a - b| a normal number), infinities, NaN. */
static inline double ct_logaddexp_d(double a, double b) {
    if (isinf(a) && a == b) return a;
    double m = a > b ? a : b;
    return (a != a || b != b) ? a + b : m + log1p(exp(-fabs(a - b)));
}
/* float: only the elements past the fast form come here, |a - b| >= 87 or
 * an infinity or NaN, where log1p(e^-|a - b|) is e^-|a - b| itself (u = 1 +
 * t rounds to 1): m + e^-|a - b| (0 past underflow), selects and arithmetic
 * alone, so that the second pass vectorises */
CT_FM_INLINE float ct_logaddexp_f_far(float a, float b) {
    float m = a > b ? a : b;
    float r = m + ct_expf(-fabsf(a - b));
    r = ((a == b) & (a - a != 0)) ? a : r;     /* two equal infinities */
    return ((a != a) | (b != b)) ? a + b : r;
}
/* log2(2^a + 2^b) likewise */
static inline double ct_logaddexp2_d(double a, double b) {
    if (isinf(a) && a == b) return a;
    double m = a > b ? a : b;
    return (a != a || b != b) ? a + b : m + log1p(exp2(-fabs(a - b))) / M_LN2;
}
/* float, past the fast form (|a - b| >= 126, infinities, NaN) */
CT_FM_INLINE float ct_logaddexp2_f_far(float a, float b) {
    float m = a > b ? a : b;
    float r = m + ct_expf(-fabsf(a - b) * (float)M_LN2) * (float)M_LOG2E;
    r = ((a == b) & (a - a != 0)) ? a : r;
    return ((a != a) | (b != b)) ? a + b : r;
}
/* where the fast forms hold (false for NaN and infinities) */
#define CT_LAE_OK_f(a, b) (__builtin_fabsf((a) - (b)) < CT_EXP_SMALL)
#define CT_LAE2_OK_f(a, b) (__builtin_fabsf((a) - (b)) < CT_EXP2_SMALL)
#define CT_LAE2_OK_d(a, b) (__builtin_fabs((a) - (b)) < CT_LAE_D_SMALL)
#define ct_logaddexp_f_fast ct_logaddexpf_fast
/* logaddexp of double: fastmath_lae.h's vector form (correctly rounded nearly
 * always, also where the sum cancels), 8-byte flags (CT_TWO_PASS_BIN_BODY_FT) */
#define CT_LAE_OK_d CT_LAE2_OK_d
/* float: the full forms are branch-free too (a vector second pass) */
#define CT_LAE_LOOP_f(S, T, CT) \
    CT_TWO_PASS_BIN_FTV(uint8_t, ct_logaddexp_##S, T, CT, CT_LAE_OK_f, ct_logaddexp_f_fast, ct_logaddexp_f_far, 1)
#define CT_LAE2_LOOP_f(S, T, CT) \
    CT_TWO_PASS_BIN_FTV(uint8_t, ct_logaddexp2_##S, T, CT, CT_LAE2_OK_f, ct_logaddexp2_f_fast, ct_logaddexp2_f_far, 1)
#define CT_LAE2_LOOP_d(S, T, CT) \
    CT_TWO_PASS_BIN_CT(ct_logaddexp2_##S, T, CT, CT_LAE2_OK_d, ct_logaddexp2_d_fast, ct_logaddexp2_d)
#define CT_LAE_LOOP_d(S, T, CT) \
    CT_TWO_PASS_BIN_FT(int64_t, ct_logaddexp_##S, T, CT, CT_LAE_OK_d, ct_logaddexp_d_fast, ct_logaddexp_d)
#define ct_logaddexp2_f_fast ct_logaddexp2f_fast
/* float and half: fastmath.h's vectorisable atan2 and hypot; double:
 * fastmath_d.h's */
#define ct_hypot_f ct_hypotf
#define ct_hypot_d ct_hypot_d1
CT_FLOAT_OPS(f16, ct_half, float, f, ct_divfloor_f, ct_remainder_f, fmodf, powf, ct_atan2f)
CT_FLOAT_OPS(f32, float, float, f, ct_divfloor_f, ct_remainder_f, fmodf, powf, ct_atan2f)
CT_FLOAT_OPS(f64, double, double, d, ct_divfloor_d, ct_remainder_d, fmod, pow, ct_atan2_d1)
/* pow: half through float; float and double with a scalar exponent take
 * PyTorch's special cases as vector loops (x*x, x*x*x, sqrt, 1/x, 1/sqrt(x),
 * 1/(x*x): the values PyTorch gives, e.g. (-0)^0.5 = -0, (-inf)^0.5 = NaN),
 * the vector forms below for the general case (libm's pow for special
 * values) */
CT_BINARY(ct_pow_f16, ct_half, ct_half, powf((float)a, (float)b))
#define CT_POW(S, T, FP, SQRT)                                                     \
CT_MULTIVERSION void ct_pow_##S(CT_LOOP_ARGS) {                                          \
    (void)ex;                                                                      \
    if (s[0] == CT_SZ(T) && s[1] == CT_SZ(T) && s[2] == 0) {                       \
        T *o = (T *)p[0]; const T *A = (const T *)p[1]; const T b = *(const T *)p[2]; \
        if (b == 2) { CT_SIMD for (int64_t i = 0; i < n; i++) o[i] = A[i] * A[i]; }  \
        else if (b == 3) { CT_SIMD for (int64_t i = 0; i < n; i++) o[i] = A[i] * A[i] * A[i]; } \
        else if (b == 0.5) { CT_SIMD for (int64_t i = 0; i < n; i++) o[i] = SQRT(A[i]); } \
        else if (b == -1) { CT_SIMD for (int64_t i = 0; i < n; i++) o[i] = (T)1 / A[i]; } \
        else if (b == -0.5) { CT_SIMD for (int64_t i = 0; i < n; i++) o[i] = (T)1 / SQRT(A[i]); } \
        else if (b == -2) { CT_SIMD for (int64_t i = 0; i < n; i++) o[i] = (T)1 / (A[i] * A[i]); } \
        else { POWGEN }                                                            \
        return;                                                                    \
    }                                                                              \
    POWT                                                                           \
    for (int64_t i = 0; i < n; i++)                                                \
        *(T *)(p[0] + i * s[0]) = FP(*(const T *)(p[1] + i * s[1]), *(const T *)(p[2] + i * s[2])); \
}
/* float: fastmath.h's 2^(b log2 |a|) for a finite nonzero and b finite, the
 * sign or NaN of a negative a by C's rules (a vector pass), powf for the
 * other elements (a second pass over those) */
#define CT_POWF_PASS(LA, LB) CT_TWO_PASS_BIN_BODY(float, CT_POW_FAST_ANY, ct_powf_any, powf, LA, LB)
#define CT_POWF_GEN CT_POWF_PASS(A[i], b)
#define CT_POWF_BASE_LA(a, b) ct_exp2_d_to_f((double)(b) * la)
#define CT_POWF_TT                                                                 \
    if (s[0] == 4 && s[1] == 4 && s[2] == 4) {                                     \
        float *o = (float *)p[0]; const float *A = (const float *)p[1], *B = (const float *)p[2]; \
        CT_POWF_PASS(A[i], B[i])                                                   \
        return;                                                                    \
    }                                                                              \
    if (s[0] == 4 && s[1] == 0 && s[2] == 4 && CT_POW_FAST(*(const float *)p[1], 0.0f)) { \
        /* a positive base: its log2 once, 2^(b log2 a) by element */              \
        float *o = (float *)p[0]; const float a0 = *(const float *)p[1];           \
        const float *B = (const float *)p[2];                                      \
        const double la = ct_log2f_d(a0);                                          \
        CT_TWO_PASS_BIN_BODY(float, CT_POW_FAST, CT_POWF_BASE_LA, powf, a0, B[i])  \
        return;                                                                    \
    }
#define POWGEN CT_POWF_GEN
#define POWT CT_POWF_TT
CT_POW(f32, float, powf, sqrtf)
#undef POWGEN
#undef POWT
/* double: e^(y log |x|) for x finite nonzero and y finite, pow512.h's
 * kernel on a CPU with AVX-512F, pow_d.h's form of it in a vector loop
 * elsewhere, a negative x's sign or NaN by C's rules (the loop's NaN that
 * of x86's invalid operations, as libm's pow gives); libm's pow for the
 * other elements (a second pass over the block's). a and b contiguous or
 * one value (sa, sb 1 or 0); o may be a or b (a vector's lanes are read
 * before its result is stored) */
#define CT_POW_D_PASS(LX, LY)                                                      \
    for (int64_t c0 = 0; c0 < n; c0 += 256) {                                      \
        const int64_t m = n - c0 < 256 ? n - c0 : 256;                             \
        double xs[256], ys[256];                                                   \
        int bad = 0;                                                               \
        CT_PRAGMA(omp simd reduction(|:bad))                                       \
        for (int64_t i = 0; i < m; i++) {                                          \
            double x = (LX), y = (LY), ax = __builtin_fabs(x);                     \
            xs[i] = x;                                                             \
            ys[i] = y;                                                             \
            int ok = CT_POW_TAB_OK(ax, y);                                         \
            bad |= !ok;                                                            \
            double v = ct_pow_tab_d(ok ? ax : 1.0, ok ? y : 0.0);                  \
            double h = 0.5 * y;                                                    \
            int integ = y == __builtin_floor(y), odd = integ & (h != __builtin_floor(h)); \
            v = (x < 0.0) & odd ? -v : v;                                          \
            v = (x < 0.0) & !integ ? ct_bits_to_double(0xfff8000000000000ull) : v; \
            o[c0 + i] = v;                                                         \
        }                                                                          \
        if (bad)                                                                   \
            for (int64_t i = 0; i < m; i++)                                        \
                if (!CT_POW_TAB_OK(__builtin_fabs(xs[i]), ys[i]))                  \
                    o[c0 + i] = pow(xs[i], ys[i]);                                 \
    }
CT_MULTIVERSION static void ct_pow_d_loop(const double *a, int64_t sa, const double *b, int64_t sb, double *o, int64_t n)
{
    if (sa && sb) {
        CT_POW_D_PASS(a[c0 + i], b[c0 + i])
    } else if (sa) {
        const double bv = b[0];
        CT_POW_D_PASS(a[c0 + i], bv)
    } else if (sb) {
        const double av = a[0];
        CT_POW_D_PASS(av, b[c0 + i])
    } else {
        const double av = a[0], bv = b[0];
        CT_POW_D_PASS(av, bv)
    }
}
#ifdef CT_HAVE_AVX512_TABLES
__attribute__((target("avx512f"))) static void ct_pow512_block(const double *a, int64_t sa, const double *b, int64_t sb, double *o, int64_t n)
{
    for (int64_t i = 0; i < n; i += 8) {
        int w = n - i < 8 ? (int)(n - i) : 8;
        __mmask8 t = (__mmask8)((1u << w) - 1);
        __m512d x = sa ? _mm512_maskz_loadu_pd(t, a + i) : _mm512_set1_pd(a[0]);
        __m512d y = sb ? _mm512_maskz_loadu_pd(t, b + i) : _mm512_set1_pd(b[0]);
        /* a negative x: |x|^y, negated where y is an odd integer, NaN where
         * y is not an integer (C's rules; doubles from 2^53 on are even) */
        __mmask8 neg = _mm512_cmp_pd_mask(x, _mm512_setzero_pd(), _CMP_LT_OQ);
        __m512d ax = _mm512_abs_pd(x);
        __mmask8 ok = ct_pow512_ok(ax, y) & t;
        __m512d v = ct_pow512_d(ax, y);
        __m512d h = _mm512_mul_pd(y, _mm512_set1_pd(0.5));
        __mmask8 integ = _mm512_cmp_pd_mask(y, _mm512_roundscale_pd(y, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC), _CMP_EQ_OQ);
        __mmask8 odd = integ & _mm512_cmp_pd_mask(h, _mm512_roundscale_pd(h, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC), _CMP_NEQ_OQ);
        v = _mm512_castsi512_pd(_mm512_mask_xor_epi64(_mm512_castpd_si512(v), neg & odd,
                _mm512_castpd_si512(v), _mm512_set1_epi64((long long)0x8000000000000000ull)));
        v = _mm512_mask_mov_pd(v, neg & ~integ, _mm512_set1_pd(__builtin_nan("")));
        if (ok != t) {
            double xs[8], ys[8], vs[8];
            _mm512_storeu_pd(xs, x);
            _mm512_storeu_pd(ys, y);
            _mm512_storeu_pd(vs, v);
            for (int k = 0; k < w; k++)
                if (!((ok >> k) & 1)) vs[k] = pow(xs[k], ys[k]);
            v = _mm512_loadu_pd(vs);
        }
        _mm512_mask_storeu_pd(o + i, t, v);
    }
}
static void ct_pow_d_block(const double *a, int64_t sa, const double *b, int64_t sb, double *o, int64_t n)
{
    if (ct_cpu_avx512f()) ct_pow512_block(a, sa, b, sb, o, n);
    else ct_pow_d_loop(a, sa, b, sb, o, n);
}
#else
#define ct_pow_d_block ct_pow_d_loop
#endif
#define POWGEN ct_pow_d_block(A, 1, &b, 0, o, n);
/* other layouts: blocks gathered, so that every layout gets the same values */
#define POWT                                                                       \
    if (s[0] == 8 && (s[1] == 8 || s[1] == 0) && (s[2] == 8 || s[2] == 0)) {       \
        ct_pow_d_block((const double *)p[1], s[1] / 8, (const double *)p[2], s[2] / 8, (double *)p[0], n); \
        return;                                                                    \
    }                                                                              \
    double ga[256], gb[256];                                                       \
    for (int64_t c0 = 0; c0 < n; c0 += 256) {                                      \
        int64_t cn = n - c0 < 256 ? n - c0 : 256;                                  \
        for (int64_t i = 0; i < cn; i++) {                                         \
            ga[i] = *(const double *)(p[1] + (c0 + i) * s[1]);                     \
            gb[i] = *(const double *)(p[2] + (c0 + i) * s[2]);                     \
        }                                                                          \
        ct_pow_d_block(ga, 1, gb, 1, ga, cn);                                      \
        for (int64_t i = 0; i < cn; i++) *(double *)(p[0] + (c0 + i) * s[0]) = ga[i]; \
    }                                                                              \
    return;
CT_POW(f64, double, pow, sqrt)
#undef POWGEN
#undef POWT
/* nextafter: the neighbour in the operand's own precision. float16 and
 * bfloat16 (bf): on their bits alone, branch free (the loops vectorise over
 * 16-bit lanes): the values ordered as sign-magnitude keys (both zeros 0), a
 * NaN operand quieted (a's first, as float's a + b gives) */
CT_FM_INLINE uint16_t ct_nextafter_u16(uint16_t ua, uint16_t ub, int bf) {
    const uint16_t inf = bf ? 0x7f80 : 0x7c00, quiet = bf ? 0x0040 : 0x0200;
    int16_t ka = (ua & 0x8000) ? (int16_t)-(int16_t)(ua & 0x7fff) : (int16_t)ua;
    int16_t kb = (ub & 0x8000) ? (int16_t)-(int16_t)(ub & 0x7fff) : (int16_t)ub;
    uint16_t r = ((ka < kb) == (ka > 0)) ? (uint16_t)(ua + 1) : (uint16_t)(ua - 1);
    r = ka == 0 ? (kb < 0 ? (uint16_t)0x8001 : (uint16_t)1) : r;
    r = ka == kb ? ub : r;
    r = (ub & 0x7fff) > inf ? (uint16_t)(ub | quiet) : r;
    r = (ua & 0x7fff) > inf ? (uint16_t)(ua | quiet) : r;
    return r;
}
CT_BINARY_ATTR(CT_MULTIVERSION, ct_nextafter_f16, uint16_t, uint16_t, ct_nextafter_u16(a, b, 0))
CT_BINARY_ATTR(CT_MULTIVERSION, ct_nextafter_bf16, ct_bf16, ct_bf16, ct_nextafter_u16(a, b, 1))
/* copysign of float16 / bfloat16 on the 16-bit patterns, as PyTorch's: a's
 * magnitude bits with b's sign bit (a NaN's payload kept, nothing rounded) */
CT_BINARY_ATTR(CT_MULTIVERSION, ct_copysign_bits16, uint16_t, uint16_t,
               (uint16_t)((a & 0x7fffu) | (b & 0x8000u)))
/* nan_to_num of float16 / bfloat16 on the 16-bit patterns: a NaN becomes the
 * pattern P->a, +inf P->b and -inf P->c (the replacements' patterns, rounded
 * to the dtype by the caller), every other value kept as it is (as its round
 * trip through float keeps it) */
#define CT_NTN_BITS16(NAME, INF)                                                   \
CT_MULTIVERSION void NAME(CT_LOOP_ARGS)                                            \
{                                                                                  \
    const ct_params *P = (const ct_params *)ex;                                    \
    const uint16_t nv = (uint16_t)P->a, pv = (uint16_t)P->b, mv = (uint16_t)P->c;  \
    if (s[0] == 2 && s[1] == 2) {                                                  \
        uint16_t *o = (uint16_t *)p[0];                                            \
        const uint16_t *A = (const uint16_t *)p[1];                                \
        CT_SIMD for (int64_t i = 0; i < n; i++) {                                  \
            const uint16_t x = A[i], m = x & 0x7fffu;                              \
            o[i] = m > (INF) ? nv : m == (INF) ? ((x & 0x8000u) ? mv : pv) : x;    \
        }                                                                          \
    } else                                                                         \
        for (int64_t i = 0; i < n; i++) {                                          \
            const uint16_t x = *(const uint16_t *)(p[1] + i * s[1]), m = x & 0x7fffu; \
            *(uint16_t *)(p[0] + i * s[0]) =                                       \
                m > (INF) ? nv : m == (INF) ? ((x & 0x8000u) ? mv : pv) : x;       \
        }                                                                          \
}
CT_NTN_BITS16(ct_nan_to_num_h16, 0x7c00u)
CT_NTN_BITS16(ct_nan_to_num_bf16, 0x7f80u)
/* float and double by their bits, without branches (the loops vectorise):
 * one step up or down in magnitude, the least denormal of b's sign from
 * zero, b itself where they are equal, NaN where either is */
#define CT_NEXTAFTER_BITS(NAME, T, U, TOB, FROMB, SIGN1)                           \
CT_FM_INLINE T NAME(T a, T b) {                                                    \
    U u = TOB(a);                                                                  \
    U r = ((a < b) == (a > (T)0)) ? u + 1 : u - 1;                                 \
    r = a == (T)0 ? (b < (T)0 ? (U)(SIGN1) : (U)1) : r;                            \
    T v = FROMB(r);                                                                \
    v = a == b ? b : v;                                                            \
    return (a != a || b != b) ? a + b : v;                                         \
}
CT_NEXTAFTER_BITS(ct_nextafter_fb, float, uint32_t, ct_float_to_bits, ct_bits_to_float, 0x80000001u)
CT_NEXTAFTER_BITS(ct_nextafter_db, double, uint64_t, ct_double_to_bits, ct_bits_to_double,
                  0x8000000000000001ull)
CT_BINARY_ATTR(CT_MULTIVERSION, ct_nextafter_f32, float, float, ct_nextafter_fb(a, b))
CT_BINARY_ATTR(CT_MULTIVERSION, ct_nextafter_f64, double, double, ct_nextafter_db(a, b))
/* complex division: cplx.c */
CT_BINARY(ct_pow_c64, ct_cfloat, ct_cfloat, cpowf(a, b))
CT_BINARY(ct_pow_c128, ct_cdouble, ct_cdouble, cpow(a, b))

#define CT_ROW_ALL(op) { ct_##op##_b, ct_##op##_u8, ct_##op##_i8, ct_##op##_i16, ct_##op##_i32, \
    ct_##op##_i64, ct_##op##_f16, ct_##op##_f32, ct_##op##_f64, ct_##op##_c64, ct_##op##_c128 }
#define CT_ROW_NUM(op) { NULL, ct_##op##_u8, ct_##op##_i8, ct_##op##_i16, ct_##op##_i32, \
    ct_##op##_i64, ct_##op##_f16, ct_##op##_f32, ct_##op##_f64, ct_##op##_c64, ct_##op##_c128 }
#define CT_ROW_REAL(op) { ct_##op##_b, ct_##op##_u8, ct_##op##_i8, ct_##op##_i16, ct_##op##_i32, \
    ct_##op##_i64, ct_##op##_f16, ct_##op##_f32, ct_##op##_f64, NULL, NULL }
#define CT_ROW_INTREAL(op) { NULL, ct_##op##_u8, ct_##op##_i8, ct_##op##_i16, ct_##op##_i32, \
    ct_##op##_i64, ct_##op##_f16, ct_##op##_f32, ct_##op##_f64, NULL, NULL }
#define CT_ROW_FLOAT(op) { NULL, NULL, NULL, NULL, NULL, NULL, \
    ct_##op##_f16, ct_##op##_f32, ct_##op##_f64, NULL, NULL }
#define CT_ROW_FLOATC(op) { NULL, NULL, NULL, NULL, NULL, NULL, \
    ct_##op##_f16, ct_##op##_f32, ct_##op##_f64, ct_##op##_c64, ct_##op##_c128 }
#define CT_ROW_CPLX(op) { NULL, NULL, NULL, NULL, NULL, NULL, \
    NULL, NULL, NULL, ct_##op##_c64, ct_##op##_c128 }
#define CT_ROW_BITS(op) { ct_##op##_b, ct_##op##_u8, ct_##op##_i8, ct_##op##_i16, ct_##op##_i32, \
    ct_##op##_i64, NULL, NULL, NULL, NULL, NULL }
#define CT_ROW_INT(op) { NULL, ct_##op##_u8, ct_##op##_i8, ct_##op##_i16, ct_##op##_i32, \
    ct_##op##_i64, NULL, NULL, NULL, NULL, NULL }
/* the tables' rows: one per row of elementwise_ops.def */
#define CT_BINARY_OP(CODE, loops, name, rule, dtypes, aliases) [CT_##CODE] = CT_ROW_##dtypes(loops),
#define CT_UNARY_OP(CODE, loops, name, rule, dtypes, inplace, aliases)
ct_loop_fn ct_binary_loops[CT_NBINARY][CT_NDTYPES] = {
#include "elementwise_ops.def"
};
#undef CT_BINARY_OP
#undef CT_UNARY_OP

/* rows with one value a row (a bias added to each plane of NCHW, a column
 * of means subtracted): o[r][i] = a[r][i] OP v[r], or v[r] OP a[r][i] with
 * swap, for r < rows, i < n; row steps in bytes. One call for many short
 * rows, each a vector loop with its value broadcast, where the strided
 * driver would call the loop once a row. */
#define CT_ROWV(NAME, T, OP)                                                       \
CT_MULTIVERSION static void NAME(char *o, const char *a, const char *v, int64_t so, int64_t sa, \
                                 int64_t sv, int64_t rows, int64_t n, int swap)    \
{                                                                                  \
    for (int64_t r = 0; r < rows; r++) {                                           \
        T *restrict out = (T *)(void *)(o + r * so);                               \
        const T *restrict in = (const T *)(const void *)(a + r * sa);              \
        const T w = *(const T *)(const void *)(v + r * sv);                        \
        if (swap) { CT_SIMD for (int64_t i = 0; i < n; i++) out[i] = w OP in[i]; } \
        else { CT_SIMD for (int64_t i = 0; i < n; i++) out[i] = in[i] OP w; }      \
    }                                                                              \
}
CT_ROWV(ct_rowv_add_f32, float, +)
CT_ROWV(ct_rowv_sub_f32, float, -)
CT_ROWV(ct_rowv_mul_f32, float, *)
CT_ROWV(ct_rowv_div_f32, float, /)
CT_ROWV(ct_rowv_add_f64, double, +)
CT_ROWV(ct_rowv_sub_f64, double, -)
CT_ROWV(ct_rowv_mul_f64, double, *)
CT_ROWV(ct_rowv_div_f64, double, /)

ct_rowv_fn ct_rowv_loop(int op, int dtype)
{
    const int d = dtype == CT_FLOAT32 ? 0 : dtype == CT_FLOAT64 ? 1 : -1;
    if (d < 0) return NULL;
    switch (op) {
    case CT_ADD: return d ? ct_rowv_add_f64 : ct_rowv_add_f32;
    case CT_SUB: return d ? ct_rowv_sub_f64 : ct_rowv_sub_f32;
    case CT_MUL: return d ? ct_rowv_mul_f64 : ct_rowv_mul_f32;
    case CT_DIV: return d ? ct_rowv_div_f64 : ct_rowv_div_f32;
    default: return NULL;
    }
}

/* unary ops (the op codes CT_NEG.. are in elementwise.h) */

/* ops that exist for integers and keep the dtype */
#define CT_INT_UNARY(S, T, unused)                                                 \
    CT_UNARY(ct_neg_##S, T, T, (T)(0 - x))                                         \
    CT_UNARY(ct_abs_##S, T, T, (T)((x) < 0 ? 0 - (x) : (x)))                       \
    CT_UNARY(ct_sign_##S, T, T, (T)((0 < x) - (x < 0)))                            \
    CT_UNARY(ct_relu_##S, T, T, (T)((x) < 0 ? 0 : (x)))                            \
    CT_UNARY(ct_floor_##S, T, T, x)                                                \
    CT_UNARY(ct_ceil_##S, T, T, x)                                                 \
    CT_UNARY(ct_round_##S, T, T, x)                                                \
    CT_UNARY(ct_trunc_##S, T, T, x)                                                \
    CT_UNARY(ct_bitnot_##S, T, T, (T)~x)                                           \
    CT_UNARY(ct_square_##S, T, T, (T)(x * x))
CT_INTS(CT_INT_UNARY, 0)

/* clamp: the bounds are read once, a missing one standing as the widest
 * value, so the loop is two selects per element and vectorises; a NaN input
 * stays NaN (both comparisons are false). Integers compare in their own type
 * (the bounds come wrapped to the dtype: as wide as the elements, the loop
 * has as many lanes); half runs the float loop (cpu_backend.c). */
#define CT_CLAMP(S, T, CT, LO, HI, NONE_LO, NONE_HI)                               \
CT_MULTIVERSION void ct_clamp_##S(CT_LOOP_ARGS) {                                          \
    const ct_params *P = (const ct_params *)ex;                                    \
    const CT lo = (P->flags & 1) ? (CT)P->LO : NONE_LO;                            \
    const CT hi = (P->flags & 2) ? (CT)P->HI : NONE_HI;                            \
    if (s[0] == CT_SZ(T) && s[1] == CT_SZ(T)) {                                    \
        T *o = (T *)p[0]; const T *A = (const T *)p[1];                            \
        CT_DENSE_LOOP(T, sizeof(CT) == sizeof(T), n,                               \
            CT x = (CT)A[i]; x = x < lo ? lo : x; x = x > hi ? hi : x; o[i] = (T)x;) \
    } else {                                                                       \
        for (int64_t i = 0; i < n; i++) {                                          \
            CT x = (CT)*(const T *)(p[1] + i * s[1]);                              \
            x = x < lo ? lo : x; x = x > hi ? hi : x;                              \
            *(T *)(p[0] + i * s[0]) = (T)x;                                        \
        }                                                                          \
    }                                                                              \
}
CT_CLAMP(u8, uint8_t, uint8_t, ia, ib, 0, UINT8_MAX)
CT_CLAMP(i8, int8_t, int8_t, ia, ib, INT8_MIN, INT8_MAX)
CT_CLAMP(i16, int16_t, int16_t, ia, ib, INT16_MIN, INT16_MAX)
CT_CLAMP(i32, int32_t, int32_t, ia, ib, INT32_MIN, INT32_MAX)
CT_CLAMP(i64, int64_t, int64_t, ia, ib, INT64_MIN, INT64_MAX)
CT_CLAMP(f16, ct_half, double, a, b, -INFINITY, INFINITY)
CT_CLAMP(f32, float, float, a, b, -INFINITY, INFINITY)
CT_CLAMP(f64, double, double, a, b, -INFINITY, INFINITY)

/* predicates: every dtype, bool result */
#define CT_PRED(S, T, unused)                                                      \
    CT_UNARY(ct_isnan_##S, T, ct_bool, x != x)                                     \
    CT_UNARY(ct_isinf_##S, T, ct_bool, ct_isinf_g(x))                              \
    CT_UNARY(ct_isfinite_##S, T, ct_bool, ct_isfinite_g(x))                        \
    CT_UNARY(ct_lognot_##S, T, ct_bool, x == 0)
/* (glibc's isinf is -1 for -inf: a bool must be 0 or 1) */
#define ct_isinf_g(x) _Generic((x), ct_cfloat: (isinf(crealf((ct_cfloat)(x))) || isinf(cimagf((ct_cfloat)(x)))), \
    ct_cdouble: (isinf(creal((ct_cdouble)(x))) || isinf(cimag((ct_cdouble)(x)))),                         \
    float: isinf((float)(x)) != 0, double: isinf((double)(x)) != 0, ct_half: isinf((float)(x)) != 0, default: 0)
#define ct_isfinite_g(x) _Generic((x), ct_cfloat: (isfinite(crealf((ct_cfloat)(x))) && isfinite(cimagf((ct_cfloat)(x)))), \
    ct_cdouble: (isfinite(creal((ct_cdouble)(x))) && isfinite(cimag((ct_cdouble)(x)))),                            \
    float: isfinite((float)(x)), double: isfinite((double)(x)), ct_half: isfinite((float)(x)), default: 1)
CT_PRED(b, ct_bool, 0)
CT_INTS(CT_PRED, 0)
CT_REALS(CT_PRED, 0)
CT_CPLX(CT_PRED, 0)
CT_UNARY(ct_bitnot_b, ct_bool, ct_bool, !x)
/* sign bit and infinities of integers and bool */
#define CT_INT_PRED(S, T, unused)                                                  \
    CT_UNARY(ct_signbit_##S, T, ct_bool, x < 0)                                    \
    CT_UNARY(ct_isposinf_##S, T, ct_bool, ((void)x, 0))                            \
    CT_UNARY(ct_isneginf_##S, T, ct_bool, ((void)x, 0))
CT_INT_PRED(b, ct_bool, 0)
CT_INTS(CT_INT_PRED, 0)
CT_UNARY(ct_sign_b, ct_bool, ct_bool, x)

/* the sign bit of a float / double as 0 or 1, from its bits (signbit() of a
 * double into bytes does not vectorise) */
CT_FM_INLINE ct_bool ct_signbit_f(float x) {
    uint32_t u;
    memcpy(&u, &x, 4);
    return (ct_bool)(u >> 31);
}
CT_FM_INLINE ct_bool ct_signbit_d(double x) {
    uint64_t u;
    memcpy(&u, &x, 8);
    return (ct_bool)(u >> 63);
}

/* sign of a float or double as selects of 1 (NaN and zeros give +0, as
 * PyTorch's): masks and a subtraction in vector code, where
 * (0 < x) - (x < 0) took an integer difference and its conversion */
#define ct_sign_sel(x) (((x) > 0 ? (__typeof__(x))1 : (__typeof__(x))0) - ((x) < 0 ? (__typeof__(x))1 : (__typeof__(x))0))

/* real floating point: FT_F(name) picks the float or double libm function.
 * Every loop is multiversioned: the AVX2/AVX-512 clones vectorise floor,
 * round, sqrt, selects and the fastmath.h forms, where the baseline x86-64
 * build calls libm for each element. */
#define CT_REAL_UNARY(S, T, CT, F)                                                 \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_neg_##S, T, T, -x)                                                 \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_abs_##S, T, T, FT_##F(fabs)((CT)x))                                \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_sign_##S, T, T, ct_sign_sel((CT)x))                                \
    CT_EXP2_##F(ct_exp2_##S, T)                               \
    CT_EXPM1_##F(ct_expm1_##S, T)                                                   \
    CT_LOGS_##F(ct_log_##S, T, log)                                                \
    CT_LOGS_##F(ct_log2_##S, T, log2)                                              \
    CT_LOGS_##F(ct_log10_##S, T, log10)                                            \
    CT_LOG1P_##F(ct_log1p_##S, T)                                                  \
    CT_SQRT_##F(ct_sqrt_##S, T)                                                    \
    CT_RSQRT_##F(ct_rsqrt_##S, T)                                                  \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_reciprocal_##S, T, T, (CT)1 / (CT)x)                               \
    CT_TRIG_##F(ct_sin_##S, T, sin)                                 \
    CT_TRIG_##F(ct_cos_##S, T, cos)                                 \
    CT_TAN_##F(ct_tan_##S, T)                                 \
    CT_ASIN_##F(ct_asin_##S, T)                                                    \
    CT_ACOS_##F(ct_acos_##S, T)                                                    \
    CT_ATAN_##F(ct_atan_##S, T)                                                    \
    CT_HYP_##F(ct_sinh_##S, T, sinh)                               \
    CT_HYP_##F(ct_cosh_##S, T, cosh)                               \
    CT_TANH_##F(ct_tanh_##S, T)                                                    \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_asinh_##S, T, T, ct_asinh_##F((CT)x))                             \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_acosh_##S, T, T, ct_acosh_##F((CT)x))                             \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_atanh_##S, T, T, ct_atanh_##F((CT)x))                             \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_sigmoid_##S, T, T, (CT)1 / ((CT)1 + ct_exp_##F(-(CT)x))) \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_relu_##S, T, T, x < 0 ? (T)0 : x)                                \
    CT_ERF_##F(ct_erf_##S, T)                                                      \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_floor_##S, T, T, FT_##F(floor)((CT)x))                             \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_ceil_##S, T, T, FT_##F(ceil)((CT)x))                               \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_round_##S, T, T, FT_##F(nearbyint)((CT)x))                         \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_trunc_##S, T, T, FT_##F(trunc)((CT)x))                             \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_frac_##S, T, T, (CT)x - FT_##F(trunc)((CT)x))                      \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_square_##S, T, T, (CT)x * (CT)x)                                   \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_round_dec_##S, T, T,                                      \
                  P->a > 0 ? FT_##F(nearbyint)((CT)x * (CT)P->b) / (CT)P->b                     \
                           : FT_##F(nearbyint)((CT)x / (CT)P->b) * (CT)P->b)                    \
    CT_NAN_TO_NUM(S, T, CT)                                                        \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_deg2rad_##S, T, T, (CT)x * (CT)(M_PI / 180.0))                     \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_rad2deg_##S, T, T, (CT)x * (CT)(180.0 / M_PI))                     \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_signbit_##S, T, ct_bool, ct_signbit_##F((CT)x))                    \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_isposinf_##S, T, ct_bool, (CT)x == (CT)INFINITY)                   \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_isneginf_##S, T, ct_bool, (CT)x == -(CT)INFINITY)                  \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_frexp_mant_##S, T, T, ct_frexp_mant_##F((CT)x))                    \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_frexp_exp_##S, T, T, ct_frexp_exp_##F((CT)x))        \
    /* a real number's angle: pi below zero (not -0), NaN kept */                \
    CT_UNARY_ATTR(CT_MULTIVERSION, ct_angle_##S, T, T,                                          \
                  (CT)x != (CT)x ? (CT)x : ((CT)x < 0 ? (CT)M_PI : (CT)0))
/* nan_to_num: the three replacements rounded to the dtype once, outside the
 * loop (a load of them per element keeps it from vectorising), then two
 * selects and a NaN test per element. Half goes through double as before.
 * Dense float / double on AVX-512 (ct_ntn_256): one class test (vfpclass) a
 * 256-bit vector, blocks of four vectors; the replacements only in a block
 * that has a NaN or an infinity, a clean block copied (in place: left
 * alone). Out of place 1.1x, in place 1.3x the selects' loop on clean data;
 * 0.9x where every block has a non-finite value. */
#ifdef CT_HAVE_AVX512_TABLES
static inline int ct_cpu_avx512dqvl(void)
{
    static int v = -1;
    if (v < 0) {
        __builtin_cpu_init();
        v = __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
    }
    return v;
}
/* vfpclass's classes: quiet and signalling NaN, +inf, -inf */
#define CT_NTN_CLASS 0x99
#define CT_NTN_256(S, T, V, L, SUF)                                                \
__attribute__((target("avx512f,avx512dq,avx512vl")))                              \
static int64_t ct_ntn_256_##S(const T *a, T *o, int64_t n, T vn, T vp, T vm)      \
{                                                                                  \
    const V N = _mm256_set1_##SUF(vn), Pi = _mm256_set1_##SUF(vp), Mi = _mm256_set1_##SUF(vm); \
    const V PINF = _mm256_set1_##SUF((T)INFINITY), MINF = _mm256_set1_##SUF(-(T)INFINITY); \
    int64_t i = 0;                                                                 \
    for (; i + 4 * L <= n; i += 4 * L) {                                           \
        V x[4];                                                                    \
        __mmask8 k = 0;                                                            \
        for (int j = 0; j < 4; j++) {                                              \
            x[j] = _mm256_loadu_##SUF(a + i + j * L);                              \
            k |= _mm256_fpclass_##SUF##_mask(x[j], CT_NTN_CLASS);                  \
        }                                                                          \
        if (k) {                                                                   \
            for (int j = 0; j < 4; j++) {                                          \
                __mmask8 kp = _mm256_cmp_##SUF##_mask(x[j], PINF, _CMP_EQ_OQ);     \
                __mmask8 km = _mm256_cmp_##SUF##_mask(x[j], MINF, _CMP_EQ_OQ);     \
                __mmask8 kn = _mm256_cmp_##SUF##_mask(x[j], x[j], _CMP_UNORD_Q);   \
                x[j] = _mm256_mask_mov_##SUF(x[j], kp, Pi);                        \
                x[j] = _mm256_mask_mov_##SUF(x[j], km, Mi);                        \
                x[j] = _mm256_mask_mov_##SUF(x[j], kn, N);                         \
                _mm256_storeu_##SUF(o + i + j * L, x[j]);                          \
            }                                                                      \
        } else if (o != a) {                                                       \
            for (int j = 0; j < 4; j++)                                            \
                _mm256_storeu_##SUF(o + i + j * L, x[j]);                          \
        }                                                                          \
    }                                                                              \
    return i;                                                                      \
}
CT_NTN_256(f32, float, __m256, 8, ps)
CT_NTN_256(f64, double, __m256d, 4, pd)
#define CT_NTN_FAST_f32(A, o, n, vn, vp, vm) (ct_cpu_avx512dqvl() ? ct_ntn_256_f32(A, o, n, vn, vp, vm) : 0)
#define CT_NTN_FAST_f64(A, o, n, vn, vp, vm) (ct_cpu_avx512dqvl() ? ct_ntn_256_f64(A, o, n, vn, vp, vm) : 0)
#else
#define CT_NTN_FAST_f32(A, o, n, vn, vp, vm) 0
#define CT_NTN_FAST_f64(A, o, n, vn, vp, vm) 0
#endif
#define CT_NTN_FAST_f16(A, o, n, vn, vp, vm) 0
#define CT_NAN_TO_NUM(S, T, CT)                                                    \
CT_MULTIVERSION void ct_nan_to_num_##S(CT_LOOP_ARGS) {                                          \
    const ct_params *P = (const ct_params *)ex;                                    \
    typedef __typeof__(_Generic((T)0, double: (double)0, default: (float)0)) W;    \
    const W vn = (W)(T)P->a, vp = (W)(T)P->b, vm = (W)(T)P->c;                     \
    if (s[0] == CT_SZ(T) && s[1] == CT_SZ(T)) {                                    \
        T *o = (T *)p[0]; const T *A = (const T *)p[1];                            \
        int64_t i0 = CT_NTN_FAST_##S(A, o, n, vn, vp, vm);                        \
        CT_SIMD for (int64_t i = i0; i < n; i++) {                                 \
            W x = (W)A[i];                                                         \
            W r = x == (W)INFINITY ? vp : x;                                       \
            r = x == -(W)INFINITY ? vm : r;                                        \
            o[i] = (T)(x != x ? vn : r);                                           \
        }                                                                          \
    } else {                                                                       \
        for (int64_t i = 0; i < n; i++) {                                          \
            W x = (W)*(const T *)(p[1] + i * s[1]);                                \
            W r = x == (W)INFINITY ? vp : x;                                       \
            r = x == -(W)INFINITY ? vm : r;                                        \
            *(T *)(p[0] + i * s[0]) = (T)(x != x ? vn : r);                        \
        }                                                                          \
    }                                                                              \
}
/* frexp by the bits: x = m 2^e with 1/2 <= |m| < 1; a denormal is scaled by
 * 2^25 (2^54) first, its exponent put back; zeros, infinities and NaN are
 * their own mantissa, exponent 0. Branch free, so the loops vectorise. */
CT_FM_INLINE float ct_frexpf_bits(float x, int32_t *ep) {
    float a = __builtin_fabsf(x);
    int sub = a < 1.17549435e-38f;
    uint32_t u = ct_float_to_bits(sub ? x * 33554432.0f : x);
    int32_t e = (int32_t)((u >> 23) & 0xffu) - 126 - (sub ? 25 : 0);
    float m = ct_bits_to_float((u & 0x807fffffu) | 0x3f000000u);
    int keep = a == 0.0f || !(a < __builtin_inff());     /* zero, inf, NaN */
    *ep = keep ? 0 : e;
    return keep ? x : m;
}
CT_FM_INLINE double ct_frexpd_bits(double x, int32_t *ep) {
    double a = __builtin_fabs(x);
    int sub = a < 2.2250738585072014e-308;
    uint64_t u = ct_double_to_bits(sub ? x * 18014398509481984.0 : x);
    int32_t e = (int32_t)((u >> 52) & 0x7ffu) - 1022 - (sub ? 54 : 0);
    double m = ct_bits_to_double((u & 0x800fffffffffffffull) | 0x3fe0000000000000ull);
    int keep = a == 0.0 || !(a < __builtin_inf());
    *ep = keep ? 0 : e;
    return keep ? x : m;
}
/* frexp's two parts one at a time (the unary loops) */
static inline double ct_frexp_mant_d(double x) { int32_t e; return ct_frexpd_bits(x, &e); }
static inline float ct_frexp_mant_f(float x) { int32_t e; return ct_frexpf_bits(x, &e); }
static inline double ct_frexp_exp_d(double x) { int32_t e; ct_frexpd_bits(x, &e); return e; }
static inline float ct_frexp_exp_f(float x) { int32_t e; ct_frexpf_bits(x, &e); return (float)e; }
/* float and half: the vectorisable forms of fastmath.h; double: those of
 * fastmath_d.h for exp, exp2, expm1, log, log2, log10, log1p, tanh, sinh, cosh,
 * atanh, asinh, acosh, sin, cos, tan, asin, acos, atan (and sigmoid through
 * exp; asinh and acosh of float in double), libm for the others */
#define ct_exp_f ct_expf
#define ct_exp_d ct_exp_d1
#define ct_expm1_f ct_expm1f
#define ct_expm1_d ct_expm1_d1
#define ct_log_f ct_logf
#define ct_log_d ct_log_d1
#define ct_log2_f ct_log2f
#define ct_log2_d ct_log2_d1
#define ct_log1p_f ct_log1pf
#define ct_log1p_d ct_log1p_d1
#define ct_tanh_f ct_tanhf
#define ct_tanh_d ct_tanh_d1
/* a unary double function by a block kernel BLOCK(x, o, n) over contiguous
 * arrays: contiguous runs straight, others gathered 256 at a time */
#define CT_BLOCK_d(NAME, T, BLOCK)                                                 \
void NAME(CT_LOOP_ARGS) {                                                          \
    (void)ex;                                                                      \
    if (s[0] == CT_SZ(T) && s[1] == CT_SZ(T)) {                                    \
        BLOCK((const double *)p[1], (double *)p[0], n);                            \
        return;                                                                    \
    }                                                                              \
    double buf[256];                                                               \
    for (int64_t i0 = 0; i0 < n; i0 += 256) {                                      \
        int64_t m = n - i0 < 256 ? n - i0 : 256;                                   \
        ct_gather_d(p[1] + i0 * s[1], s[1], buf, m);                               \
        if (s[0] == CT_SZ(T)) {         /* a dense output: written directly */     \
            BLOCK(buf, (double *)p[0] + i0, m);                                    \
            continue;                                                              \
        }                                                                          \
        BLOCK(buf, buf, m);                                                        \
        for (int64_t i = 0; i < m; i++) *(double *)(p[0] + (i0 + i) * s[0]) = buf[i]; \
    }                                                                              \
}
/* erf: fastmath.h's float form; doubles through special.c's block kernel */
/* erf of floats on AVX-512 from one table: a = |x| (min(3.92, a): erf
 * rounds to 1 from 3.9192 on; NaN kept), i = round(8a) picks one of 32
 * intervals [i/8 - 1/16, i/8 + 1/16] (vpermt2ps), d = a - i/8 exact, and
 * erf(a) = c0 + d q(d), c0 = erf(i/8) as a float pair (0 for i = 0: no
 * cancellation near 0), q of degree 5 fitted per interval against mpmath
 * (least squares on 80 Chebyshev nodes, coefficients rounded to float from
 * the highest with the lower ones refitted), its constant c1 a float pair
 * too: hi + (d c1h + (lo + d (c1l + d q'))), the fma's rounding at most a
 * half of hi's ulp. */
#ifdef CT_HAVE_AVX512_TABLES
static const float ct_erff512_T[9][32] __attribute__((aligned(64))) = {
    {   /* c0, float's nearest */
        0.000000000e+00f, 1.403162032e-01f, 2.763263881e-01f, 4.041168988e-01f, 5.204998851e-01f, 6.232408881e-01f, 7.111556530e-01f, 7.840750813e-01f,
        8.427007794e-01f, 8.883882165e-01f, 9.229001403e-01f, 9.481700659e-01f, 9.661051631e-01f, 9.784437418e-01f, 9.866716862e-01f, 9.919900298e-01f,
        9.953222871e-01f, 9.973459840e-01f, 9.985373020e-01f, 9.992170334e-01f, 9.995930195e-01f, 9.997946024e-01f, 9.998993874e-01f, 9.999521375e-01f,
        9.999778867e-01f, 9.999901056e-01f, 9.999957085e-01f, 9.999982119e-01f, 9.999992847e-01f, 9.999997020e-01f, 9.999998808e-01f, 9.999999404e-01f,
    },
    {   /* c0's rest */
        0.000000000e+00f, 1.564753882e-09f, 2.047585657e-09f, 1.065972199e-08f, -7.269198576e-09f, -5.930326008e-09f, -1.934636273e-08f, -2.028856017e-08f,
        1.351169576e-08f, 1.520619364e-08f, -1.202903377e-08f, 6.902268535e-09f, -1.662207083e-08f, -8.558417086e-09f, -1.495330260e-08f, 2.785826148e-08f,
        -2.206371974e-08f, -1.334156874e-08f, -1.860389354e-08f, 2.839587765e-08f, 2.849708203e-08f, 2.186975401e-08f, -9.281738933e-09f, 7.690010406e-09f,
        2.282621381e-08f, -2.363592433e-09f, -1.124503957e-08f, -2.714208414e-08f, -2.784263486e-08f, 2.883031369e-09f, 5.482033050e-09f, 1.709070041e-08f,
    },
    {   /* d^1, float's nearest */
        1.128379226e+00f, 1.110885262e+00f, 1.060014129e+00f, 9.803528190e-01f, 8.787825704e-01f, 7.634995580e-01f, 6.429310441e-01f, 5.247450471e-01f,
        4.151074886e-01f, 3.182739615e-01f, 2.365211248e-01f, 1.703597754e-01f, 1.189302877e-01f, 8.047226071e-02f, 5.277499557e-02f, 3.354582936e-02f,
        2.066698484e-02f, 1.234082039e-02f, 7.142318878e-03f, 4.006478004e-03f, 2.178284340e-03f, 1.147875097e-03f, 5.862772232e-04f, 2.902282868e-04f,
        1.392530539e-04f, 6.475868577e-05f, 2.918902646e-05f, 1.275174145e-05f, 5.399427209e-06f, 2.215920404e-06f, 8.814322996e-07f, 3.398224351e-07f,
    },
    {   /* d^1's rest */
        -5.863860153e-08f, 6.872143743e-09f, 5.773526102e-10f, -9.389581557e-09f, 8.668330942e-09f, -2.216469142e-08f, 2.523260889e-08f, -1.707127328e-09f,
        8.911118066e-09f, -3.007138760e-09f, -2.389280551e-09f, -1.730788624e-09f, 1.515723658e-09f, -1.728273635e-09f, 3.203361743e-10f, -9.624129271e-10f,
        4.902294681e-10f, 2.036246449e-10f, 1.381273984e-10f, -1.407395450e-10f, -1.067307354e-10f, 3.373987548e-11f, 2.824255066e-11f, -3.123794084e-13f,
        5.543008543e-13f, -8.149384488e-13f, 2.275243999e-14f, 1.899835270e-14f, -5.140706993e-14f, 8.778268639e-14f, -3.411621707e-15f, -5.803620409e-16f,
    },
    {   /* d^2 */
        -3.853194153e-10f, -1.388606578e-01f, -2.650035322e-01f, -3.676322997e-01f, -4.393912852e-01f, -4.771872163e-01f, -4.821982980e-01f, -4.591519237e-01f,
        -4.151074886e-01f, -3.580582142e-01f, -2.956514060e-01f, -2.342446893e-01f, -1.783954352e-01f, -1.307674199e-01f, -9.235624224e-02f, -6.289842725e-02f,
        -4.133396968e-02f, -2.622424439e-02f, -1.607021689e-02f, -9.515385143e-03f, -5.445710383e-03f, -3.013172187e-03f, -1.612262451e-03f, -8.344062953e-04f,
        -4.177591472e-04f, -2.023708803e-04f, -9.486433555e-05f, -4.303712558e-05f, -1.889799387e-05f, -8.032710866e-06f, -3.305370683e-06f, -1.316811904e-06f,
    },
    {   /* d^3 */
        -3.761262298e-01f, -3.587230444e-01f, -3.091705739e-01f, -2.348761261e-01f, -1.464638412e-01f, -5.567202717e-02f, 2.678854950e-02f, 9.292335063e-02f,
        1.383689642e-01f, 1.624522060e-01f, 1.675357521e-01f, 1.579377204e-01f, 1.387520730e-01f, 1.148407012e-01f, 9.015736729e-02f, 6.744115800e-02f,
        4.822301120e-02f, 3.303743154e-02f, 2.172456309e-02f, 1.373053156e-02f, 8.350082673e-03f, 4.890417214e-03f, 2.760380041e-03f, 1.502528903e-03f,
        7.890954148e-04f, 4.000162298e-04f, 1.958074427e-04f, 9.258158389e-05f, 4.229473052e-05f, 1.867332321e-05f, 7.969399121e-06f, 3.288381777e-06f,
    },
    {   /* d^4 */
        -1.143521786e-05f, 6.870535016e-02f, 1.269802004e-01f, 1.665830910e-01f, 1.830796003e-01f, 1.764598638e-01f, 1.506870538e-01f, 1.123966873e-01f,
        6.918472052e-02f, 2.797342651e-02f, -6.159299519e-03f, -3.050053865e-02f, -4.459882155e-02f, -4.971885681e-02f, -4.810222611e-02f, -4.225990549e-02f,
        -3.444500268e-02f, -2.636085264e-02f, -1.908340119e-02f, -1.313322410e-02f, -8.622379974e-03f, -5.414294545e-03f, -3.258112120e-03f, -1.881757751e-03f,
        -1.044395613e-03f, -5.575720570e-04f, -2.865679853e-04f, -1.418870233e-04f, -6.771729386e-05f, -3.116823063e-05f, -1.384109692e-05f, -5.932355634e-06f,
    },
    {   /* d^5 */
        1.131909788e-01f, 1.040195003e-01f, 7.994294167e-02f, 4.543805867e-02f, 7.360058837e-03f, -2.731844410e-02f, -5.311682820e-02f, -6.708884984e-02f,
        -6.908103824e-02f, -6.125801429e-02f, -4.715621844e-02f, -3.061562404e-02f, -1.489865314e-02f, -2.177154412e-03f, 6.582972594e-03f, 1.142890379e-02f,
        1.306599006e-02f, 1.248269435e-02f, 1.065308321e-02f, 8.358224295e-03f, 6.121047307e-03f, 4.222529940e-03f, 2.760222182e-03f, 1.716876053e-03f,
        1.019217656e-03f, 5.787840928e-04f, 3.149600816e-04f, 1.644732838e-04f, 8.251483086e-05f, 3.980803740e-05f, 1.848230568e-05f, 8.263903510e-06f,
    },
    {   /* d^6 */
        -5.026547704e-03f, -2.231954224e-02f, -4.037033021e-02f, -5.000308901e-02f, -4.997884110e-02f, -4.131829366e-02f, -2.687843889e-02f, -1.039905660e-02f,
        4.565922543e-03f, 1.548662223e-02f, 2.125706151e-02f, 2.212949842e-02f, 1.930918172e-02f, 1.441113278e-02f, 8.968988433e-03f, 4.116188735e-03f,
        4.713438975e-04f, -1.810965245e-03f, -2.896815771e-03f, -3.109603422e-03f, -2.796516521e-03f, -2.246573567e-03f, -1.657994115e-03f, -1.141088782e-03f,
        -7.390463725e-04f, -4.531512968e-04f, -2.641361789e-04f, -1.468305418e-04f, -7.799209561e-05f, -3.968372403e-05f, -1.934955253e-05f, -9.073009096e-06f,
    },
};
/* x's sign bit, v's other bits (0xe4: c ? a : b) */
CT_AVX512_INLINE __m512 ct_signof512_ps(__m512 x, __m512 v)
{
    return _mm512_castsi512_ps(_mm512_ternarylogic_epi32(_mm512_castps_si512(x), _mm512_castps_si512(v),
                                                         _mm512_set1_epi32((int)0x80000000u), 0xe4));
}
CT_AVX512_INLINE __m512d ct_signof512_pd(__m512d x, __m512d v)
{
    return _mm512_castsi512_pd(_mm512_ternarylogic_epi64(_mm512_castpd_si512(x), _mm512_castpd_si512(v),
                                                         _mm512_set1_epi64((int64_t)0x8000000000000000ull), 0xe4));
}
/* v, with a NaN x where x is NaN (the input's own payload) */
CT_AVX512_INLINE __m512d ct_keepnan512_pd(__m512d x, __m512d v)
{
    return _mm512_mask_mov_pd(v, _mm512_cmp_pd_mask(x, x, _CMP_UNORD_Q), x);
}
CT_AVX512_INLINE __m512 ct_erff512(__m512 x)
{
    __m512 a = _mm512_min_ps(_mm512_set1_ps(3.92f), _mm512_abs_ps(x));
    __m512 fi = _mm512_roundscale_ps(_mm512_mul_ps(a, _mm512_set1_ps(8.0f)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512i j = _mm512_cvttps_epi32(fi);
    __m512 d = _mm512_fnmadd_ps(fi, _mm512_set1_ps(0.125f), a);
    __m512 q = CT_PICK32_PS(ct_erff512_T[8], j);
    for (int k = 7; k >= 4; k--)
        q = _mm512_fmadd_ps(q, d, CT_PICK32_PS(ct_erff512_T[k], j));
    /* lo + d (c1l + d q), then d c1h into it by one fma, then hi */
    __m512 u = _mm512_fmadd_ps(d, _mm512_fmadd_ps(q, d, CT_PICK32_PS(ct_erff512_T[3], j)), CT_PICK32_PS(ct_erff512_T[1], j));
    __m512 v = _mm512_add_ps(CT_PICK32_PS(ct_erff512_T[0], j), _mm512_fmadd_ps(d, CT_PICK32_PS(ct_erff512_T[2], j), u));
    v = _mm512_mask_mov_ps(v, _mm512_cmp_ps_mask(a, _mm512_set1_ps(3.92f), _CMP_GE_OQ), _mm512_set1_ps(1.0f));
    return ct_signof512_ps(x, v);
}
CT_F512_MAP(ct_erff512_block, ct_erff512)
#endif
#define CT_ERF_f(NAME, T) CT_UNARY_ATTR(CT_MULTIVERSION, NAME##_port, T, T, ct_erff((float)x)) \
    CT_F512_LOOP(NAME, T, ct_erff512_block)
#define CT_ERF_d(NAME, T) CT_BLOCK_d(NAME, T, ct_erf_d_block)
/* void NAME(const double *x, double *o, int64_t count): o[i] =
 * POST(x[i], a, b, c) with PRE(x[i], &a, &b, &c), in two vector loops over
 * blocks of 256 (the same values as one loop over both): where one loop's
 * chain of dependent steps is too long for the core to overlap enough
 * elements (a division or a long reduction before a long polynomial), the
 * first pass's short chains and the second's overlap freely */
#define CT_TWO_PASS_MAP_D(NAME, PRE, POST)                                         \
void NAME(const double *x, double *o, int64_t count);                              \
CT_MULTIVERSION void NAME(const double *x, double *o, int64_t count)               \
{                                                                                  \
    double ab[256], bb[256], cb[256];                                              \
    for (int64_t b0 = 0; b0 < count; b0 += 256) {                                  \
        const int64_t m = count - b0 < 256 ? count - b0 : 256;                     \
        _Pragma("omp simd")                                                        \
        for (int64_t i = 0; i < m; i++)                                            \
            PRE(x[b0 + i], &ab[i], &bb[i], &cb[i]);                                \
        _Pragma("omp simd")                                                        \
        for (int64_t i = 0; i < m; i++)                                            \
            o[b0 + i] = POST(x[b0 + i], ab[i], bb[i], cb[i]);                      \
    }                                                                              \
}

/* log, log2, log10 of doubles: log512.h's table kernels on a CPU with
 * AVX-512F, fastmath_d.h's loops elsewhere */
CT_TWO_PASS_MAP_D(ct_log_d_loop, ct_log_pre_d, ct_log_post_d)
CT_TWO_PASS_MAP_D(ct_log2_d_loop, ct_log_pre_d, ct_log2_post_d)
CT_TWO_PASS_MAP_D(ct_log10_d_loop, ct_log_pre_d, ct_log10_post_d)
#ifdef CT_HAVE_AVX512_TABLES
CT_E512_MAP_D(ct_log512_block, ct_log512_ln_d)
CT_E512_MAP_D(ct_log2_512_block, ct_log512_log2_d)
CT_E512_MAP_D(ct_log10_512_block, ct_log512_log10_d)
#endif
CT_AVX512_OR(static void ct_log_d_block(const double *x, double *o, int64_t n), ct_log512_block, ct_log_d_loop)
CT_AVX512_OR(static void ct_log2_d_block(const double *x, double *o, int64_t n), ct_log2_512_block, ct_log2_d_loop)
CT_AVX512_OR(static void ct_log10_d_block(const double *x, double *o, int64_t n), ct_log10_512_block,
             ct_log10_d_loop)
/* log1p of doubles: log512.h's kernel on a CPU with AVX-512F, fastmath_d.h's
 * formula elsewhere */
CT_SIMD_MAP(ct_log1p_d_loop, double, ct_log1p_d1)
#ifdef CT_HAVE_AVX512_TABLES
CT_E512_MAP_D(ct_log1p512_block, ct_log1p512_d)
#endif
CT_AVX512_OR(static void ct_log1p_d_block(const double *x, double *o, int64_t n), ct_log1p512_block,
             ct_log1p_d_loop)
#define CT_LOG1P_f(NAME, T) CT_UNARY_ATTR(CT_MULTIVERSION, NAME, T, T, ct_log1pf((float)x))
/* sqrt of doubles, correctly rounded as vsqrtpd's, at about half its cost
 * on AVX-512 (the instruction takes some 18 cycles a vector): for x in
 * [2^-960, 2^1000], y = 1/sqrt(x) by vrsqrt14pd and a Newton step (relative
 * error about 2^-27), s = x y and one correction s + (x - s^2) y / 2 (error
 * under an ulp); then the neighbour s+ (s-) is the rounded root where
 * x - s s+ > 0 (x - s s- <= 0): x and those products are multiples of a
 * grid coarser than the squared half-gap, so the signs of the fmas decide
 * the midpoints exactly. A vector with any other lane (0, denormals,
 * infinities, negatives, NaN) takes vsqrtpd. */
#ifdef CT_HAVE_AVX512_TABLES
/* sqrt(x) rounded to the nearest from s within an ulp of it (SFX pd / ps,
 * W its lanes' bits): the neighbour below when x <= s dn (the root lies
 * below their midpoint), above when x > s up; the products' signs exact
 * (one rounding each in the fmas) */
#define CT_SQRT_NEAREST(S, X, SFX, W) __extension__({                                   \
    __m512i sb_ = _mm512_cast##SFX##_si512(S);                                             \
    __typeof__(S) up_ = _mm512_castsi512_##SFX(_mm512_add_epi##W(sb_, _mm512_set1_epi##W(1))); \
    __typeof__(S) dn_ = _mm512_castsi512_##SFX(_mm512_sub_epi##W(sb_, _mm512_set1_epi##W(1))); \
    __typeof__(S) r_ = _mm512_mask_mov_##SFX(S, _mm512_cmp_##SFX##_mask(_mm512_fnmadd_##SFX(S, dn_, X), \
                                         _mm512_setzero_##SFX(), _CMP_LE_OQ), dn_);        \
    _mm512_mask_mov_##SFX(r_, _mm512_cmp_##SFX##_mask(_mm512_fnmadd_##SFX(S, up_, X),     \
                                  _mm512_setzero_##SFX(), _CMP_GT_OQ), up_);               \
})
/* whether some lane of x is outside [2^-960, 2^1000] (or NaN) */
CT_AVX512_INLINE int ct_sqrt_off512_d(__m512d x)
{
    return (_mm512_cmp_pd_mask(x, _mm512_set1_pd(0x1p-960), _CMP_GE_OQ) &
            _mm512_cmp_pd_mask(x, _mm512_set1_pd(0x1p1000), _CMP_LE_OQ)) != 0xff;
}
/* 1/sqrt(x) to about 2^-27: vrsqrt14pd's estimate and a Newton step */
CT_AVX512_INLINE __m512d ct_rsqrt27_512_d(__m512d x)
{
    __m512d y = _mm512_rsqrt14_pd(x), h = _mm512_mul_pd(x, _mm512_set1_pd(0.5));
    return _mm512_mul_pd(y, _mm512_fnmadd_pd(_mm512_mul_pd(h, y), y, _mm512_set1_pd(1.5)));
}
CT_AVX512_INLINE __m512d ct_sqrt512_d(__m512d x)
{
    if (__builtin_expect(ct_sqrt_off512_d(x), 0))
        return _mm512_sqrt_pd(x);
    __m512d y = ct_rsqrt27_512_d(x);
    __m512d s = _mm512_mul_pd(x, y);
    s = _mm512_fmadd_pd(_mm512_fnmadd_pd(s, s, x), _mm512_mul_pd(y, _mm512_set1_pd(0.5)), s);
    return CT_SQRT_NEAREST(s, x, pd, 64);
}
/* 1/sqrt(x) for x in [2^-960, 2^1000]: vrsqrt14pd's estimate and two
 * Newton steps, the second as y + (y/2)(1 - (x y) y) by fmas (largest error
 * 1.07 ulp against mpmath over 125,000 points, 1.46 for the quotient of the
 * rounded root); other lanes as ct_sqrt512_d's (1 / vsqrtpd) */
CT_AVX512_INLINE __m512d ct_rsqrt512_d(__m512d x)
{
    const __m512d one = _mm512_set1_pd(1.0);
    if (__builtin_expect(ct_sqrt_off512_d(x), 0))
        return _mm512_div_pd(one, _mm512_sqrt_pd(x));
    __m512d y = ct_rsqrt27_512_d(x);
    __m512d e = _mm512_fnmadd_pd(_mm512_mul_pd(x, y), y, one);
    return _mm512_fmadd_pd(_mm512_mul_pd(y, _mm512_set1_pd(0.5)), e, y);
}
CT_E512_MAP_D(ct_sqrt512_block, ct_sqrt512_d)
CT_E512_MAP_D(ct_rsqrt512_block, ct_rsqrt512_d)
#endif
CT_SIMD_MAP(ct_sqrt_d_loop, double, __builtin_sqrt)
#define ct_rsqrt_d1(x) (1.0 / __builtin_sqrt(x))
CT_SIMD_MAP(ct_rsqrt_d_loop, double, ct_rsqrt_d1)
CT_AVX512_OR(static void ct_sqrt_d_block(const double *x, double *o, int64_t n), ct_sqrt512_block, ct_sqrt_d_loop)
CT_AVX512_OR(static void ct_rsqrt_d_block(const double *x, double *o, int64_t n), ct_rsqrt512_block, ct_rsqrt_d_loop)
/* 1/sqrt of floats on AVX-512: x brought into [2^-60, 2^60] by 2^64 or
 * 2^-64 (denormals too; the result scaled back by 2^32 or 2^-32),
 * vrsqrt14ps's estimate cut to 12 significant bits (y^2 exact),
 * e = 1 - x y^2 by one fma (|e| < 2^-10), then y (1 + e/2 + 3e^2/8) with
 * the cubic term's 2^-31 left out: one rounding at the end (0.502 ulp over
 * every float of [1, 4), 99.97% of them rounded to the nearest; the
 * quotient of the rounded root: 1.49 ulp). +-0 -> +-inf, inf -> 0,
 * negatives and NaN -> NaN by vfixupimmps on x's class. */
#ifdef CT_HAVE_AVX512_TABLES
CT_AVX512_INLINE __m512 ct_rsqrtf512(__m512 x)
{
    __mmask16 small = _mm512_cmp_ps_mask(x, _mm512_set1_ps(0x1p-60f), _CMP_LT_OQ);
    __mmask16 big = _mm512_cmp_ps_mask(x, _mm512_set1_ps(0x1p60f), _CMP_GT_OQ);
    __m512 k = _mm512_mask_mov_ps(_mm512_maskz_mov_ps(small, _mm512_set1_ps(64.0f)), big, _mm512_set1_ps(-64.0f));
    __m512 xs = _mm512_scalef_ps(x, k);
    __m512 y = _mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(_mm512_rsqrt14_ps(xs)),
                                                    _mm512_set1_epi32((int)0xfffff000u)));
    __m512 e = _mm512_fnmadd_ps(xs, _mm512_mul_ps(y, y), _mm512_set1_ps(1.0f));
    __m512 t = _mm512_mul_ps(e, _mm512_fmadd_ps(e, _mm512_set1_ps(0.375f), _mm512_set1_ps(0.5f)));
    __m512 r = _mm512_scalef_ps(_mm512_fmadd_ps(y, t, y), _mm512_mul_ps(k, _mm512_set1_ps(0.5f)));
    /* per class of x: QNaN, SNaN -> QNaN(x); zero -> +-inf by x's sign;
     * +1 -> r; -inf -> NaN; +inf -> +0; negative -> NaN; positive -> r */
    return _mm512_fixupimm_ps(r, x, _mm512_set1_epi32(0x03830622), 0);
}
CT_F512_MAP(ct_rsqrtf512_block, ct_rsqrtf512)
#endif
#define CT_RSQRT_f(NAME, T) CT_UNARY_ATTR(CT_MULTIVERSION, NAME##_port, T, T, 1.0f / sqrtf((float)x)) \
    CT_F512_LOOP(NAME, T, ct_rsqrtf512_block)
#define CT_RSQRT_d(NAME, T) CT_BLOCK_d(NAME, T, ct_rsqrt_d_block)
/* sqrt of floats on AVX-512 as ct_sqrt512_d's of doubles: vrsqrt14ps's
 * estimate y (2^-14), s = x y, one Newton step s + (y/2)(x - s^2) (within
 * an ulp and 2^-28), then the neighbour below or above by the signs of
 * x - s dn and x - s up (fmas): vsqrtps's values, bit for bit, at about
 * twice its speed in cache. Vectors with a lane outside [2^-96, 2^126]
 * (zeros, denormals, inf, NaN, negatives) run vsqrtps itself. */
#ifdef CT_HAVE_AVX512_TABLES
CT_AVX512_INLINE __m512 ct_sqrtf512(__m512 x)
{
    if (__builtin_expect((_mm512_cmp_ps_mask(x, _mm512_set1_ps(0x1p-96f), _CMP_GE_OQ) &
                          _mm512_cmp_ps_mask(x, _mm512_set1_ps(0x1p126f), _CMP_LE_OQ)) != 0xffff, 0))
        return _mm512_sqrt_ps(x);
    __m512 y = _mm512_rsqrt14_ps(x);
    __m512 s = _mm512_mul_ps(x, y);
    s = _mm512_fmadd_ps(_mm512_fnmadd_ps(s, s, x), _mm512_mul_ps(y, _mm512_set1_ps(0.5f)), s);
    return CT_SQRT_NEAREST(s, x, ps, 32);
}
CT_F512_MAP(ct_sqrtf512_block, ct_sqrtf512)
#endif
#define CT_SQRT_f(NAME, T) CT_UNARY_ATTR(CT_MULTIVERSION, NAME##_port, T, T, sqrtf((float)x)) \
    CT_F512_LOOP(NAME, T, ct_sqrtf512_block)
#define CT_SQRT_d(NAME, T) CT_BLOCK_d(NAME, T, ct_sqrt_d_block)
#define CT_LOG1P_d(NAME, T) CT_BLOCK_d(NAME, T, ct_log1p_d_block)
#ifdef CT_HAVE_AVX512_TABLES
/* a float loop through an AVX-512 kernel over dense floats (o == x
 * allowed): dense operands straight through it, strided ones gathered into
 * a block on the stack (and scattered from it) */
static void ct_f512_run(void (*block)(const float *, float *, int64_t), CT_LOOP_ARGS)
{
    (void)ex;
    if (s[0] == 4 && s[1] == 4) {
        block((const float *)p[1], (float *)p[0], n);
        return;
    }
    float buf[256];
    for (int64_t i0 = 0; i0 < n; i0 += 256) {
        int64_t m = n - i0 < 256 ? n - i0 : 256;
        ct_gather_f512(p[1] + i0 * s[1], s[1], buf, m);
        if (s[0] == 4) {
            block(buf, (float *)p[0] + i0, m);
            continue;
        }
        block(buf, buf, m);
        for (int64_t i = 0; i < m; i++) *(float *)(p[0] + (i0 + i) * s[0]) = buf[i];
    }
}
/* NAME: BLOCK for float on a CPU with AVX-512F, NAME##_port otherwise (and
 * for the other T of the same loop macro) */
#define CT_F512_LOOP(NAME, T, BLOCK)                                               \
void NAME(CT_LOOP_ARGS) {                                                          \
    if (sizeof(T) == 4 && ct_cpu_avx512f()) {                                      \
        ct_f512_run(BLOCK, p, s, n, ex);                                           \
        return;                                                                    \
    }                                                                              \
    NAME##_port(p, s, n, ex);                                                      \
}
#else
#define CT_F512_LOOP(NAME, T, BLOCK) void NAME(CT_LOOP_ARGS) { NAME##_port(p, s, n, ex); }
#endif
/* atan: float on AVX-512 by ct_atanf512 (below), fastmath.h's ct_atanf
 * elsewhere (and for half, whose launches run the float loop); doubles by
 * fastmath_d.h's */
CT_SIMD_MAP(ct_atan_d_loop, double, ct_atan_d1)
#ifdef CT_HAVE_AVX512_TABLES
/* ct_atan_d1's steps on 8 lanes (its fmas as GCC contracts them), the three
 * numerators and denominators picked by masks before the one division (GCC
 * divides twice in the loop over the scalar form): the same values */
CT_AVX512_INLINE __m512d ct_atan512_d(__m512d x)
{
    const __m512d one = _mm512_set1_pd(1.0);
    __m512d a = _mm512_abs_pd(x);
    __mmask8 c1 = _mm512_cmp_pd_mask(a, _mm512_set1_pd(0.41421356237309503), _CMP_GT_OQ);
    __mmask8 c2 = _mm512_cmp_pd_mask(a, _mm512_set1_pd(2.4142135623730949), _CMP_GT_OQ);
    __mmask8 mid = c1 & ~c2, lt1 = _mm512_cmp_pd_mask(a, one, _CMP_LT_OQ);
    __m512d num = _mm512_mask_mov_pd(_mm512_mask_sub_pd(a, c1, a, one), c2, _mm512_set1_pd(-1.0));
    __m512d den = _mm512_mask_mov_pd(_mm512_mask_add_pd(one, c1, a, one), c2, a);
    __m512d t = _mm512_div_pd(num, den), z = _mm512_mul_pd(t, t);
    __m512d ne = _mm512_maskz_sub_pd(mid & lt1, a, _mm512_add_pd(num, one));
    __m512d de = _mm512_mask_blend_pd(lt1, _mm512_sub_pd(one, _mm512_sub_pd(den, a)),
                                      _mm512_sub_pd(a, _mm512_sub_pd(den, one)));
    de = _mm512_maskz_mov_pd(mid, de);
    __m512d dc = _mm512_min_pd(den, _mm512_set1_pd(1e300));
    __m512d y = _mm512_castsi512_pd(_mm512_sub_epi64(_mm512_set1_epi64(0x7FDE623822FC16E6ll),
                                                     _mm512_castpd_si512(dc)));
    __m512d rd = _mm512_mul_pd(y, _mm512_fnmadd_pd(dc, y, _mm512_set1_pd(2.0)));
    __m512d tl = _mm512_mul_pd(_mm512_fnmadd_pd(t, de, _mm512_add_pd(_mm512_fnmadd_pd(t, den, num), ne)), rd);
    tl = _mm512_maskz_mov_pd(_mm512_cmp_pd_mask(a, _mm512_set1_pd((double)__builtin_inf()), _CMP_LT_OQ), tl);
    __m512d oh = _mm512_mask_mov_pd(_mm512_maskz_mov_pd(c1, _mm512_set1_pd(0.7853981633974483)), c2,
                                    _mm512_set1_pd(1.5707963267948966));
    __m512d ol = _mm512_mask_mov_pd(_mm512_maskz_mov_pd(c1, _mm512_set1_pd(3.061616997868383e-17)), c2,
                                    _mm512_set1_pd(6.123233995736766e-17));
    __m512d d = _mm512_add_pd(oh, t), e = _mm512_sub_pd(t, _mm512_sub_pd(d, oh));
    __m512d q = _mm512_set1_pd(ct_atan_q_d[0]);
    for (int k = 1; k < 11; k++)
        q = _mm512_fmadd_pd(q, z, _mm512_set1_pd(ct_atan_q_d[k]));
    __m512d rest = _mm512_fmadd_pd(tl, _mm512_sub_pd(one, z), _mm512_mul_pd(_mm512_mul_pd(t, z), q));
    __m512d v = _mm512_add_pd(d, _mm512_add_pd(_mm512_add_pd(e, ol), rest));
    return ct_keepnan512_pd(x, ct_signof512_pd(x, v));
}
CT_E512_MAP_D(ct_atan512_block, ct_atan512_d)
#endif
CT_AVX512_OR(static void ct_atan_d_block(const double *x, double *o, int64_t n), ct_atan512_block, ct_atan_d_loop)
#define CT_ATAN_d(NAME, T) CT_BLOCK_d(NAME, T, ct_atan_d_block)
/* asin and acos of doubles: fastmath_d.h's ct_asin_d1 and ct_acos_d1,
 * on AVX-512 by the 8-lane forms below */
CT_SIMD_MAP(ct_asin_d_loop, double, ct_asin_d1)
CT_SIMD_MAP(ct_acos_d_loop, double, ct_acos_d1)
#ifdef CT_HAVE_AVX512_TABLES
/* ct_asin_parts_d on 8 lanes, s returned and sl + tail in *r: the square
 * root, its reciprocal and correction only in vectors with a lane above
 * 1/2 (GCC's loop over the scalar form computed every branch, and ran acos
 * 1.4x slower than PyTorch's) */
CT_AVX512_INLINE __m512d ct_asin_parts512_d(__m512d a, __m512d *r, __mmask8 *big)
{
    const __m512d half = _mm512_set1_pd(0.5);
    __mmask8 b = _mm512_cmp_pd_mask(a, half, _CMP_GT_OQ);
    __m512d s = a, z = _mm512_mul_pd(a, a), sl = _mm512_setzero_pd();
    if (b) {
        __m512d zb = _mm512_mul_pd(_mm512_sub_pd(_mm512_set1_pd(1.0), a), half);
        __m512d sb = _mm512_sqrt_pd(zb);
        __m512d y = _mm512_castsi512_pd(_mm512_sub_epi64(_mm512_set1_epi64(0x7FDE623822FC16E6ll),
                                                         _mm512_castpd_si512(sb)));
        y = _mm512_mul_pd(y, _mm512_fnmadd_pd(sb, y, _mm512_set1_pd(2.0)));
        __mmask8 c = b & _mm512_cmp_pd_mask(sb, _mm512_setzero_pd(), _CMP_GT_OQ);
        sl = _mm512_maskz_mul_pd(c, _mm512_fnmadd_pd(sb, sb, zb), _mm512_mul_pd(half, y));
        s = _mm512_mask_mov_pd(s, b, sb);
        z = _mm512_mask_mov_pd(z, b, zb);
    }
    __m512d p = _mm512_set1_pd(ct_asin_p_d[0]);
    for (int k = 1; k < 13; k++)
        p = _mm512_fmadd_pd(p, z, _mm512_set1_pd(ct_asin_p_d[k]));
    *r = _mm512_add_pd(sl, _mm512_mul_pd(_mm512_mul_pd(s, z), p));
    *big = b;
    return s;
}
/* NaN above 1 in magnitude */
#define ct_asin_nan512_d(a, v)                                                     \
    _mm512_mask_mov_pd(v, _mm512_cmp_pd_mask(a, _mm512_set1_pd(1.0), _CMP_GT_OQ),   \
                       _mm512_set1_pd((double)__builtin_nan("")))
CT_AVX512_INLINE __m512d ct_asin512_d(__m512d x)
{
    __m512d a = _mm512_abs_pd(x), r;
    __mmask8 big;
    __m512d s = ct_asin_parts512_d(a, &r, &big);
    __m512d v = _mm512_add_pd(s, r);
    if (big) {
        /* pi/2 - 2 (s + r), pi/2 as a pair (Fast2Sum: 2 s <= 1) */
        const __m512d h = _mm512_set1_pd(1.5707963267948966);
        __m512d s2 = _mm512_add_pd(s, s), d = _mm512_sub_pd(h, s2);
        __m512d e = _mm512_sub_pd(_mm512_sub_pd(h, d), s2);
        __m512d w = _mm512_add_pd(d, _mm512_sub_pd(_mm512_add_pd(e, _mm512_set1_pd(6.123233995736766e-17)),
                                                   _mm512_add_pd(r, r)));
        v = _mm512_mask_mov_pd(v, big, w);
    }
    return ct_keepnan512_pd(x, ct_signof512_pd(x, ct_asin_nan512_d(a, v)));
}
/* acos x = c + k (s + r), the pair c and the power of two k by lane:
 * pi/2 and -+1 (by x's sign) up to |x| = 1/2, past it 0 and 2 for x > 0,
 * pi and -2 for x < 0; c + k s as an exact pair (Fast2Sum: |k s| <= c
 * where c is not 0), the values of ct_acos_d1's three forms */
CT_AVX512_INLINE __m512d ct_acos512_d(__m512d x)
{
    __m512d a = _mm512_abs_pd(x), r;
    __mmask8 big;
    __m512d s = ct_asin_parts512_d(a, &r, &big);
    __mmask8 neg = _mm512_test_epi64_mask(_mm512_castpd_si512(x),
                                          _mm512_set1_epi64((int64_t)0x8000000000000000ull));
    __m512d k = _mm512_mask_blend_pd(neg, _mm512_set1_pd(-1.0), _mm512_set1_pd(1.0));
    __m512d ch = _mm512_set1_pd(1.5707963267948966), cl = _mm512_set1_pd(6.123233995736766e-17);
    if (big) {
        __mmask8 bn = big & neg, bp = big & ~neg;
        k = _mm512_mask_mov_pd(_mm512_mask_mov_pd(k, bn, _mm512_set1_pd(-2.0)), bp, _mm512_set1_pd(2.0));
        ch = _mm512_mask_mov_pd(_mm512_mask_mov_pd(ch, bn, _mm512_set1_pd(3.141592653589793)),
                                bp, _mm512_setzero_pd());
        cl = _mm512_mask_mov_pd(_mm512_mask_mov_pd(cl, bn, _mm512_set1_pd(1.2246467991473532e-16)),
                                bp, _mm512_setzero_pd());
    }
    __m512d ks = _mm512_mul_pd(k, s), d = _mm512_add_pd(ch, ks);
    __m512d e = _mm512_add_pd(_mm512_sub_pd(ch, d), ks);
    __m512d v = _mm512_add_pd(d, _mm512_fmadd_pd(k, r, _mm512_add_pd(e, cl)));
    return ct_keepnan512_pd(x, ct_asin_nan512_d(a, v));
}
CT_E512_MAP_D(ct_asin512_block, ct_asin512_d)
CT_E512_MAP_D(ct_acos512_block, ct_acos512_d)
#endif
CT_AVX512_OR(static void ct_asin_d_block(const double *x, double *o, int64_t n), ct_asin512_block, ct_asin_d_loop)
CT_AVX512_OR(static void ct_acos_d_block(const double *x, double *o, int64_t n), ct_acos512_block, ct_acos_d_loop)
#define CT_ASIN_d(NAME, T) CT_BLOCK_d(NAME, T, ct_asin_d_block)
#define CT_ACOS_d(NAME, T) CT_BLOCK_d(NAME, T, ct_acos_d_block)
#define CT_ASIN_f(NAME, T) CT_UNARY_ATTR(CT_MULTIVERSION, NAME, T, T, ct_asinf((float)x))
#define CT_ACOS_f(NAME, T) CT_UNARY_ATTR(CT_MULTIVERSION, NAME, T, T, ct_acosf((float)x))
#ifdef CT_HAVE_AVX512_TABLES
/* atan on 16 float lanes from the nearest of 29 nodes c: a = |x| (clamped
 * at 2^30), c = a rounded to 2 bits past its leading one for 2^-4 <= a < 8
 * (so |a - c| <= a / 8), c = 8 above that and c = 0 below;
 * atan a = atan c + atan t, t = (a - c) / (1 + a c), |t| < 1/8 (1/16 but for
 * a > 8, where the result is near pi/2 and t's error counts for little).
 * a - c is exact; the quotient by vrcp14ps and one residual step. atan c as
 * a float pair from a 32-slot table, the slot the low bits of c's exponent
 * and its 2 bits (vpermt2ps), and atan t = t + t^3 P(t^2), P of degree 2
 * (relative error 1.6e-10 on |t| <= 1/8):
 * atan a = hi + (t + (lo + t^3 P)). 0.68 ulp over every float; the sign
 * copied from x, NaN through the arithmetic (vminps returns its second
 * operand for NaN) */
static const float ct_atanf512_hi[32] __attribute__((aligned(64))) = {
    1.1071487665176392f, 1.1902899742126465f, 1.249045729637146f, 1.292496681213379f,
    1.3258177042007446f, 1.3734008073806763f, 1.4056476354599f, 1.4288992881774902f,
    1.4464412927627563f, 0.0f, 0.0f, 0.0f,
    0.06241881102323532f, 0.07796663045883179f, 0.0934767797589302f, 0.1089419573545456f,
    0.12435499578714371f, 0.15499673783779144f, 0.18534794449806213f, 0.215357705950737f,
    0.244978666305542f, 0.30288487672805786f, 0.3587706685066223f, 0.4124104380607605f,
    0.46364760398864746f, 0.5585992932319641f, 0.6435011029243469f, 0.7188299894332886f,
    0.7853981852531433f, 0.8960554003715515f, 0.9827937483787537f, 1.0516501665115356f,
};
static const float ct_atanf512_lo[32] __attribute__((aligned(64))) = {
    -4.872354963936232e-08f, -2.4530114828280603e-08f, 4.276110843193237e-08f, -1.3423593792083466e-08f,
    -4.05327114094689e-08f, -4.043566192990511e-08f, 1.392036974579014e-08f, -1.5986756807251368e-08f,
    3.948537852238587e-08f, 0.0f, 0.0f, 0.0f,
    -1.0272779293885037e-09f, 3.372710555282765e-09f, 1.3996592773679595e-09f, -3.646797863687823e-10f,
    -1.240382241363136e-09f, 4.0861496408695075e-09f, 5.49763257140512e-09f, -6.252999007472226e-09f,
    -3.1786777654474463e-09f, -8.353086222712136e-09f, 1.7639498750554594e-09f, 3.5366267692182873e-09f,
    5.01215868808913e-09f, 2.2111597886009804e-08f, 5.868937336117597e-09f, 1.0188335508587443e-08f,
    -2.1855694143368964e-08f, -1.5800207364691232e-08f, -2.5131424052915463e-08f, 4.603683834147887e-08f,
};
CT_AVX512_INLINE __m512 ct_atanf512(__m512 x)
{
    const __m512 one = _mm512_set1_ps(1.0f);
    __m512 a = _mm512_min_ps(_mm512_set1_ps(1073741824.0f), _mm512_abs_ps(x));
    __mmask16 mid = _mm512_cmp_ps_mask(a, _mm512_set1_ps(0.0625f), _CMP_GE_OQ);
    __m512i b = _mm512_add_epi32(_mm512_castps_si512(a), _mm512_set1_epi32(1 << 20));
    b = _mm512_min_epu32(b, _mm512_set1_epi32(0x41000000));                   /* 8.0f */
    __m512 c = _mm512_castsi512_ps(_mm512_maskz_and_epi32(mid, b, _mm512_set1_epi32(-(1 << 21))));
    __m512i j = _mm512_srli_epi32(b, 21);
    __m512 hi = _mm512_maskz_mov_ps(mid, CT_PICK32_PS(ct_atanf512_hi, j));
    __m512 lo = _mm512_maskz_mov_ps(mid, CT_PICK32_PS(ct_atanf512_lo, j));
    __m512 num = _mm512_sub_ps(a, c), den = _mm512_fmadd_ps(a, c, one);
    __m512 q = _mm512_rcp14_ps(den), t0 = _mm512_mul_ps(num, q);
    __m512 t = _mm512_fmadd_ps(_mm512_fnmadd_ps(t0, den, num), q, t0);
    __m512 z = _mm512_mul_ps(t, t);
    __m512 p = _mm512_fmadd_ps(_mm512_fmadd_ps(_mm512_set1_ps(-0.13960762321949005f), z,
                                               _mm512_set1_ps(0.19997112452983856f)),
                               z, _mm512_set1_ps(-0.33333325386047363f));
    __m512 r = _mm512_add_ps(hi, _mm512_add_ps(t, _mm512_fmadd_ps(_mm512_mul_ps(t, z), p, lo)));
    return ct_signof512_ps(x, r);
}
CT_F512_MAP(ct_atanf512_block, ct_atanf512)
#endif
#define CT_ATAN_f(NAME, T) CT_UNARY_ATTR(CT_MULTIVERSION, NAME##_port, T, T, ct_atanf((float)x)) \
    CT_F512_LOOP(NAME, T, ct_atanf512_block)
#define ct_sin_d_fast(x) ct_sincos_d_fast(x, 0)
#define ct_cos_d_fast(x) ct_sincos_d_fast(x, 1)
#ifdef CT_HAVE_AVX512_TABLES
/* fastmath_d.h's ct_sincos_d_fast and ct_tan_d_fast on 8 lanes (their
 * fmas as GCC contracts them; the reduced argument's sine and cosine both,
 * k mod 4 picking): the same values. Lanes at or past CT_TRIG_D_FAST (inf,
 * NaN) are libm's, from the vector's own copy of x (o may be x) */
CT_AVX512_INLINE __m512i ct_trig512_parts(__m512d x, __m512d *sn, __m512d *cs)
{
    const __m512d shift = _mm512_set1_pd(6755399441055744.0), one = _mm512_set1_pd(1.0);
    __m512d kb = _mm512_fmadd_pd(x, _mm512_set1_pd(0.6366197723675814), shift);
    __m512d kf = _mm512_sub_pd(kb, shift);
    __m512d r1 = _mm512_fnmadd_pd(kf, _mm512_set1_pd(1.5707963267948966), x);
    __m512d w = _mm512_fmadd_pd(kf, _mm512_set1_pd(6.123233995736766e-17),
                                _mm512_mul_pd(kf, _mm512_set1_pd(-1.4973849048591698e-33)));
    __m512d r = _mm512_sub_pd(r1, w), rl = _mm512_sub_pd(_mm512_sub_pd(r1, r), w);
    __m512d z = _mm512_mul_pd(r, r);
    __m512d ps = _mm512_set1_pd(ct_sin_s_d[0]);
    for (int k = 1; k < 7; k++)
        ps = _mm512_fmadd_pd(ps, z, _mm512_set1_pd(ct_sin_s_d[k]));
    *sn = _mm512_add_pd(r, _mm512_fmadd_pd(_mm512_mul_pd(r, z), ps, rl));
    __m512d pc = _mm512_set1_pd(ct_cos_c_d[0]);
    for (int k = 1; k < 6; k++)
        pc = _mm512_fmadd_pd(pc, z, _mm512_set1_pd(ct_cos_c_d[k]));
    __m512d zl = _mm512_fmsub_pd(r, r, z), hz = _mm512_mul_pd(_mm512_set1_pd(0.5), z);
    __m512d wc = _mm512_sub_pd(one, hz);
    __m512d lo = _mm512_sub_pd(_mm512_sub_pd(_mm512_sub_pd(one, wc), hz),
                               _mm512_fmadd_pd(_mm512_set1_pd(0.5), zl, _mm512_mul_pd(r, rl)));
    *cs = _mm512_add_pd(wc, _mm512_fmadd_pd(_mm512_mul_pd(z, z), pc, lo));
    return _mm512_castpd_si512(kb);
}
/* the lanes of `big` of a trig kernel's result v redone one at a time by
 * SIN / COS / TAN (which: 0, 1, 2), out of line (rare, cold) */
#define CT_TRIG512_SCALAR(NAME, V, T, W, MT, SFX, SIN, COS, TAN)                  \
__attribute__((target("avx512f"), noinline, cold)) static V                     \
NAME(V x, V v, MT big, int which)                                                \
{                                                                                \
    T xs[W], vs[W];                                                              \
    _mm512_storeu_##SFX(xs, x);                                                  \
    _mm512_storeu_##SFX(vs, v);                                                  \
    for (int k = 0; k < (W); k++)                                                \
        if (big >> k & 1)                                                        \
            vs[k] = which == 2 ? TAN(xs[k]) : which ? COS(xs[k]) : SIN(xs[k]);   \
    return _mm512_loadu_##SFX(vs);                                               \
}
CT_TRIG512_SCALAR(ct_trig512_libm, __m512d, double, 8, __mmask8, pd, sin, cos, tan)
/* which: 0 sin, 1 cos, 2 tan */
CT_AVX512_INLINE __m512d ct_trig512_d(__m512d x, int which)
{
    __m512d sn, cs, v;
    __m512i q = ct_trig512_parts(x, &sn, &cs);
    if (which == 2) {
        __mmask8 odd = _mm512_test_epi64_mask(q, _mm512_set1_epi64(1));
        v = _mm512_div_pd(_mm512_mask_sub_pd(sn, odd, _mm512_setzero_pd(), cs), _mm512_mask_mov_pd(cs, odd, sn));
    } else {
        q = _mm512_add_epi64(q, _mm512_set1_epi64(which));
        __mmask8 odd = _mm512_test_epi64_mask(q, _mm512_set1_epi64(1));
        __mmask8 neg = _mm512_test_epi64_mask(q, _mm512_set1_epi64(2));
        v = _mm512_mask_mov_pd(sn, odd, cs);
        v = _mm512_mask_sub_pd(v, neg, _mm512_setzero_pd(), v);
    }
    if (which != 1)         /* sin and tan of -0 are -0: zeros as they are */
        v = _mm512_mask_mov_pd(v, _mm512_cmp_pd_mask(x, _mm512_setzero_pd(), _CMP_EQ_OQ), x);
    __mmask8 big = _mm512_cmp_pd_mask(_mm512_abs_pd(x), _mm512_set1_pd(CT_TRIG_D_FAST), _CMP_NLT_UQ);
    return big ? ct_trig512_libm(x, v, big, which) : v;
}
#define ct_sin512_d(x) ct_trig512_d(x, 0)
#define ct_cos512_d(x) ct_trig512_d(x, 1)
#define ct_tan512_d(x) ct_trig512_d(x, 2)
CT_E512_MAP_D(ct_sin512_block, ct_sin512_d)
CT_E512_MAP_D(ct_cos512_block, ct_cos512_d)
CT_E512_MAP_D(ct_tan512_block, ct_tan512_d)
/* NAME: BLOCK for double on a CPU with AVX-512F (strided operands through
 * CT_BLOCK_d's buffer), NAME##_port otherwise */
#define CT_D512_LOOP(NAME, T, BLOCK)                                               \
CT_BLOCK_d(NAME##_512, T, BLOCK)                                                   \
void NAME(CT_LOOP_ARGS) {                                                          \
    if (sizeof(T) == 8 && ct_cpu_avx512f()) {                                      \
        NAME##_512(p, s, n, ex);                                                   \
        return;                                                                    \
    }                                                                              \
    NAME##_port(p, s, n, ex);                                                      \
}
#else
#define CT_D512_LOOP(NAME, T, BLOCK) void NAME(CT_LOOP_ARGS) { NAME##_port(p, s, n, ex); }
#endif
#define CT_TRIG_d(NAME, T, fn) CT_TWO_PASS_d(NAME##_port, CT_TRIG_D_FAST, ct_##fn##_d_fast, fn) \
    CT_D512_LOOP(NAME, T, ct_##fn##512_block)
/* Functions with a fast form where OK(x, ARG) holds (|x| < LIMIT for most),
 * computed in CT (float for float and half, double for double): a vector
 * pass computes that form and leaves the other elements as they were (x),
 * then FULL (libm, or the complete form) runs on those (rare) elements,
 * found by testing the input again. The vector pass keeps no flags: an
 * array of byte flags beside a double body made the loop carry as many
 * vectors of doubles as a vector has bytes, more than the registers. In
 * place, the block's input is copied first (the finished elements hold
 * results, which the second test could send back through FULL). */
#define CT_TWO_PASS_OK(NAME, T, CT, OK, ARG, FAST, FULL) CT_TWO_PASS_OKV(NAME, T, CT, OK, ARG, FAST, FULL, 0)
/* VEC 1: FULL is branch-free arithmetic giving FAST's values in its range: a
 * block with elements past that range takes FULL as a second vector pass
 * (rather than element by element: inputs mostly past it, exp2 of |x| > 126,
 * would run at a scalar loop's speed), and the block after such a block
 * takes FULL alone, in one pass */
#define CT_TWO_PASS_OKV(NAME, T, CT, OK, ARG, FAST, FULL, VEC)                    \
CT_MULTIVERSION void NAME(CT_LOOP_ARGS) {                                          \
    (void)ex;                                                                      \
    if (s[0] == CT_SZ(T) && s[1] == CT_SZ(T)) {                                    \
        T *o = (T *)p[0]; const T *A = (const T *)p[1];                            \
        T cp[CT_PASS_BLK];                                                         \
        int full = 0;                                                              \
        for (int64_t b0 = 0; b0 < n; b0 += CT_PASS_BLK) {                          \
            const int64_t m = n - b0 < CT_PASS_BLK ? n - b0 : CT_PASS_BLK;         \
            const T *x_ = A + b0;                                                  \
            T *o_ = o + b0;                                                        \
            if (x_ == o_) {                                                        \
                memcpy(cp, x_, (size_t)m * sizeof(T));                             \
                x_ = cp;                                                           \
            }                                                                      \
            if (VEC && full) {                                                     \
                int big = 0;                                                       \
                CT_SIMD for (int64_t i = 0; i < m; i++) {                          \
                    CT x = (CT)x_[i];                                              \
                    big |= !(OK(x, ARG));                                          \
                    o_[i] = (T)FULL(x);                                            \
                }                                                                  \
                full = big;                                                        \
                continue;                                                          \
            }                                                                      \
            int big = 0;                                                           \
            CT_SIMD for (int64_t i = 0; i < m; i++) {                              \
                CT x = (CT)x_[i];                                                  \
                int b = !(OK(x, ARG));                                             \
                big |= b;                                                          \
                o_[i] = b ? x_[i] : (T)FAST(x);                                    \
            }                                                                      \
            full = big;                                                            \
            if (big && VEC) {                                                      \
                CT_SIMD for (int64_t i = 0; i < m; i++) {                          \
                    CT x = (CT)x_[i];                                              \
                    T f = (T)FULL(x);                                              \
                    o_[i] = OK(x, ARG) ? o_[i] : f;                                \
                }                                                                  \
            } else if (big)                                                        \
                for (int64_t i = 0; i < m; i++)                                    \
                    if (!(OK((CT)x_[i], ARG))) o_[i] = (T)FULL((CT)x_[i]);         \
        }                                                                          \
    } else {                                                                       \
        /* strided: blocks copied in and out around the dense passes (an      \
         * element at a time, FAST's selects became branches: 6x slower) */    \
        T ib[CT_PASS_BLK], ob[CT_PASS_BLK];                                        \
        char *pp[2] = {(char *)ob, (char *)ib};                                    \
        const int64_t ss[2] = {CT_SZ(T), CT_SZ(T)};                                \
        for (int64_t b0 = 0; b0 < n; b0 += CT_PASS_BLK) {                          \
            const int64_t m = n - b0 < CT_PASS_BLK ? n - b0 : CT_PASS_BLK;         \
            for (int64_t i = 0; i < m; i++)                                        \
                ib[i] = *(const T *)(p[1] + (b0 + i) * s[1]);                      \
            NAME(pp, ss, m, ex);                                                   \
            for (int64_t i = 0; i < m; i++)                                        \
                *(T *)(p[0] + (b0 + i) * s[0]) = ob[i];                            \
        }                                                                          \
    }                                                                              \
}
#define CT_TWO_PASS_OK_f(NAME, T, OK, ARG, FAST, FULL) \
    CT_TWO_PASS_OK(NAME, T, float, OK, ARG, FAST, FULL)
/* the common case: the fast form below |x| = LIMIT */
#define CT_BELOW(x, LIMIT) (__builtin_fabsf(x) < (LIMIT))
#define CT_BELOW_D(x, LIMIT) (__builtin_fabs(x) < (LIMIT))
/* double: the same two passes, libm's FULL past LIMIT */
#define CT_TWO_PASS_d(NAME, LIMIT, FAST, FULL) \
    CT_TWO_PASS_OK(NAME, double, double, CT_BELOW_D, LIMIT, FAST, FULL)
#define CT_TWO_PASS_f(NAME, T, LIMIT, FAST, FULL) \
    CT_TWO_PASS_OK_f(NAME, T, CT_BELOW, LIMIT, FAST, FULL)
/* log, log2, log10 of float and half: fastmath.h's forms for normal
 * positive x in a vector pass, the full ones (denormals, zeros, negatives,
 * infinities, NaN: branch-free, the same values in the fast range) as a
 * second vector pass over the blocks that hold such elements (log of randn
 * half negative: 3x over a pass element by element) */
#define CT_LOG_OK(x, unused) CT_LOG_FAST(x)
#ifdef CT_HAVE_AVX512_TABLES
/* log_B(2^ef (1 + f)) from the split (B: 0 log, 1 log2, 2 log10): the
 * tail polynomial and the sum */
CT_AVX512_INLINE __m512 ct_logf512_end(__m512 f, __m512 ef, int B)
{
    static const float P[10] = {0.067466013228535f, -0.11675641300242627f, 0.11888174598611954f,
                                -0.12405591417566658f, 0.14219550908262374f, -0.1666799566707903f,
                                0.20002118732200863f, -0.2500000960365434f, 0.33333312602802856f, -0.5f};
    __m512 p = _mm512_set1_ps(P[0]);
    for (int k = 1; k < 10; k++)
        p = _mm512_fmadd_ps(p, f, _mm512_set1_ps(P[k]));
    __m512 t = _mm512_mul_ps(_mm512_mul_ps(f, f), p), r;
    if (B == 0) {
        r = _mm512_fmadd_ps(ef, _mm512_set1_ps(0.693359375f),
                            _mm512_add_ps(f, _mm512_fmadd_ps(ef, _mm512_set1_ps(-2.12194440e-4f), t)));
    } else if (B == 1) {
        const __m512 hi = _mm512_set1_ps(1.44269502162933349609375f);
        r = _mm512_add_ps(ef, _mm512_fmadd_ps(f, hi, _mm512_fmadd_ps(f, _mm512_set1_ps(1.925963033500011e-08f),
                                                                     _mm512_mul_ps(t, hi))));
    } else {
        const __m512 hi = _mm512_set1_ps(0.4342944920063018798828125f);
        __m512 l = _mm512_fmadd_ps(f, hi, _mm512_fmadd_ps(f, _mm512_set1_ps(-1.0103049952192578e-08f),
                                                          _mm512_mul_ps(t, hi)));
        r = _mm512_fmadd_ps(ef, _mm512_set1_ps(0.301025390625f),
                            _mm512_fmadd_ps(ef, _mm512_set1_ps(4.605038981195214e-06f), l));
    }
    return r;
}
/* f = m - 1 of the split for v = x's bits less sqrt(1/2)'s */
CT_AVX512_INLINE __m512 ct_logf512_m1(__m512i v)
{
    return _mm512_sub_ps(_mm512_castsi512_ps(_mm512_add_epi32(_mm512_and_si512(v, _mm512_set1_epi32(0x007fffff)),
                                                              _mm512_set1_epi32(0x3f3504f3))),
                         _mm512_set1_ps(1.0f));
}
/* CT_LOG_FULL(ct_logf / ct_log2f / ct_log10f)'s steps on 16 lanes for every
 * input (their fmas as GCC contracts the scalar forms): the same values */
CT_AVX512_INLINE __m512 ct_logf512(__m512 x, int B)
{
    const __m512 tiny = _mm512_set1_ps(1.17549435e-38f), inf = _mm512_set1_ps(__builtin_inff());
    __mmask16 sub = _mm512_cmp_ps_mask(x, tiny, _CMP_LT_OQ);
    __m512 xs = _mm512_mask_mul_ps(x, sub, x, _mm512_set1_ps(8388608.0f));
    __m512i v = _mm512_sub_epi32(_mm512_castps_si512(xs), _mm512_set1_epi32(0x3f3504f3));
    __m512i e = _mm512_srai_epi32(v, 23);
    e = _mm512_mask_sub_epi32(e, sub, e, _mm512_set1_epi32(23));
    __m512 r = ct_logf512_end(ct_logf512_m1(v), _mm512_cvtepi32_ps(e), B);
    r = _mm512_mask_mov_ps(r, _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_EQ_OQ), _mm512_sub_ps(_mm512_setzero_ps(), inf));
    r = _mm512_mask_mov_ps(r, _mm512_cmp_ps_mask(x, inf, _CMP_EQ_OQ), x);
    return _mm512_mask_mov_ps(r, _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_NGE_UQ),
                              _mm512_set1_ps(__builtin_nanf("")));
}
/* the vectors with only normal positive finite x (the usual case) skip the
 * subnormal scaling and the special values: the same steps, fewer of them */
CT_AVX512_INLINE __m512 ct_logf512_fast(__m512 x, int B)
{
    __m512i bits = _mm512_castps_si512(x);
    __mmask16 ok = _mm512_cmp_epu32_mask(_mm512_sub_epi32(bits, _mm512_set1_epi32(0x00800000)),
                                         _mm512_set1_epi32(0x7f000000), _MM_CMPINT_LT);
    if (ok == 0xFFFF) {
        __m512i v = _mm512_sub_epi32(bits, _mm512_set1_epi32(0x3f3504f3));
        return ct_logf512_end(ct_logf512_m1(v), _mm512_cvtepi32_ps(_mm512_srai_epi32(v, 23)), B);
    }
    return ct_logf512(x, B);
}
#define ct_logf512_0(x) ct_logf512_fast(x, 0)
#define ct_logf512_1(x) ct_logf512_fast(x, 1)
#define ct_logf512_2(x) ct_logf512_fast(x, 2)
CT_F512_MAP(ct_logf512_block, ct_logf512_0)
CT_F512_MAP(ct_log2f512_block, ct_logf512_1)
CT_F512_MAP(ct_log10f512_block, ct_logf512_2)
#endif
#define CT_LOGS_f(NAME, T, fn) CT_TWO_PASS_OKV(NAME##_port, T, float, CT_LOG_OK, 0, ct_##fn##f_fast, ct_##fn##f, 1) \
    CT_F512_LOOP(NAME, T, ct_##fn##f512_block)
#define CT_LOGS_d(NAME, T, fn) CT_BLOCK_d(NAME, T, ct_##fn##_d_block)
/* sin / cos: fastmath.h's float form below CT_TRIG_FAST in the vector pass;
 * the rest: its double reduction below 2^19, libm above */
#define ct_sinf_rest(x) (__builtin_fabsf(x) < CT_TRIG_BIG ? ct_sincosf_small(x, 0) : sinf(x))
#define ct_cosf_rest(x) (__builtin_fabsf(x) < CT_TRIG_BIG ? ct_sincosf_small(x, 1) : cosf(x))
#define ct_tanf_rest(x) (__builtin_fabsf(x) < CT_TRIG_BIG ? ct_tanf_small(x) : tanf(x))
#ifdef CT_HAVE_AVX512_TABLES
/* fastmath.h's ct_sincosf_fast and ct_tanf_fast on 16 lanes (their fmas as
 * GCC contracts them): the same values. Lanes at or past CT_TRIG_FAST (inf,
 * NaN) take the scalar rest, from the vector's own copy of x */
CT_AVX512_INLINE __m512 ct_trigf512_reduce(__m512 x, __m512 *rp, __m512 *rlp)
{
    __m512 k = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(0.636619772f)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r1 = _mm512_fnmadd_ps(k, _mm512_set1_ps(0x1.921fb6p+0f), x);
    __m512 p = _mm512_mul_ps(k, _mm512_set1_ps(-0x1.777a5cp-25f));
    __m512 pl = _mm512_fmsub_ps(k, _mm512_set1_ps(-0x1.777a5cp-25f), p);
    __m512 r2 = _mm512_sub_ps(r1, p), bb = _mm512_sub_ps(r2, r1);
    __m512 e = _mm512_sub_ps(_mm512_sub_ps(r1, _mm512_sub_ps(r2, bb)), _mm512_add_ps(p, bb));
    __m512 rl = _mm512_fnmadd_ps(k, _mm512_set1_ps(-0x1.ee59dap-50f), _mm512_sub_ps(e, pl));
    __m512 r = _mm512_add_ps(r2, rl);
    *rlp = _mm512_sub_ps(rl, _mm512_sub_ps(r, r2));
    *rp = r;
    return k;
}
CT_TRIG512_SCALAR(ct_trigf512_rest, __m512, float, 16, __mmask16, ps, ct_sinf_rest, ct_cosf_rest,
                  ct_tanf_rest)
CT_AVX512_INLINE __m512 ct_trigf512(__m512 x, int which)
{
    const __m512 one = _mm512_set1_ps(1.0f);
    __m512 r, rl, v;
    __m512 k = ct_trigf512_reduce(x, &r, &rl);
    __m512 z = _mm512_mul_ps(r, r);
    __m512i q = _mm512_cvttps_epi32(k);
    if (which == 2) {
        __m512 P = _mm512_fmadd_ps(z, _mm512_set1_ps(0.004363266751170158f), _mm512_set1_ps(0.00011668289516819641f));
        P = _mm512_fmadd_ps(P, z, _mm512_set1_ps(0.010813888162374496f));
        P = _mm512_fmadd_ps(P, z, _mm512_set1_ps(0.02129075862467289f));
        P = _mm512_fmadd_ps(P, z, _mm512_set1_ps(0.054058268666267395f));
        P = _mm512_fmadd_ps(P, z, _mm512_set1_ps(0.13332676887512207f));
        P = _mm512_fmadd_ps(P, z, _mm512_set1_ps(0.33333349227905273f));
        __m512 sm = _mm512_fmadd_ps(_mm512_mul_ps(r, z), P, _mm512_fmadd_ps(rl, z, rl));
        __m512 t = _mm512_add_ps(r, sm), tl = _mm512_sub_ps(sm, _mm512_sub_ps(t, r));
        __m512 y = _mm512_div_ps(one, t);
        __m512 inv = _mm512_fmadd_ps(y, _mm512_fnmadd_ps(y, tl, _mm512_fnmadd_ps(y, t, one)), y);
        __mmask16 odd = _mm512_test_epi32_mask(q, _mm512_set1_epi32(1));
        v = _mm512_mask_sub_ps(t, odd, _mm512_setzero_ps(), inv);
    } else {
        __m512 ps = _mm512_fmadd_ps(_mm512_fmadd_ps(_mm512_set1_ps(-1.9515283e-4f), z, _mm512_set1_ps(8.3321608e-3f)),
                                    z, _mm512_set1_ps(-0.16666655f));
        __m512 sn = _mm512_add_ps(r, _mm512_fmadd_ps(_mm512_mul_ps(r, z), ps, rl));
        __m512 pc = _mm512_fmadd_ps(_mm512_fmadd_ps(_mm512_set1_ps(2.4433157e-05f), z, _mm512_set1_ps(-1.3887316e-3f)),
                                    z, _mm512_set1_ps(4.1666646e-2f));
        __m512 hz = _mm512_mul_ps(_mm512_set1_ps(0.5f), z), w = _mm512_sub_ps(one, hz);
        __m512 lo = _mm512_fmadd_ps(_mm512_mul_ps(z, z), pc, _mm512_mul_ps(_mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(r), _mm512_set1_epi32((int)0x80000000u))), rl));
        __m512 cs = _mm512_add_ps(w, _mm512_add_ps(_mm512_sub_ps(_mm512_sub_ps(one, w), hz), lo));
        q = _mm512_add_epi32(q, _mm512_set1_epi32(which));
        v = _mm512_mask_mov_ps(sn, _mm512_test_epi32_mask(q, _mm512_set1_epi32(1)), cs);
        v = _mm512_mask_sub_ps(v, _mm512_test_epi32_mask(q, _mm512_set1_epi32(2)), _mm512_setzero_ps(), v);
    }
    if (which != 1)         /* sin and tan of -0 are -0: zeros as they are */
        v = _mm512_mask_mov_ps(v, _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_EQ_OQ), x);
    __mmask16 big = _mm512_cmp_ps_mask(_mm512_abs_ps(x), _mm512_set1_ps(CT_TRIG_FAST), _CMP_NLT_UQ);
    return big ? ct_trigf512_rest(x, v, big, which) : v;
}
#define ct_sinf512(x) ct_trigf512(x, 0)
#define ct_cosf512(x) ct_trigf512(x, 1)
#define ct_tanf512(x) ct_trigf512(x, 2)
CT_F512_MAP(ct_sinf512_block, ct_sinf512)
CT_F512_MAP(ct_cosf512_block, ct_cosf512)
CT_F512_MAP(ct_tanf512_block, ct_tanf512)
#endif
#define CT_TRIG_f(NAME, T, fn) CT_TWO_PASS_f(NAME##_port, T, CT_TRIG_FAST, ct_##fn##f_fast, ct_##fn##f_rest) \
    CT_F512_LOOP(NAME, T, ct_##fn##f512_block)
/* exp2, tan, sinh, cosh of float and half: fastmath.h below their limits */
#define CT_EXP2_f(NAME, T) CT_TWO_PASS_OKV(NAME, T, float, CT_BELOW, CT_EXP2_SMALL, ct_exp2f_small, ct_exp2f, 1)
#define CT_EXP2_d(NAME, T) CT_BLOCK_d(NAME, T, ct_exp2_d_block)
/* expm1: fastmath.h's float form; doubles to 40 in the vector pass, exp's
 * form (where expm1 rounds as exp) for the blocks with larger ones (one
 * loop computing both forms everywhere ran 3x slower than either) */
#define CT_EXPM1_f(NAME, T) CT_UNARY_ATTR(CT_MULTIVERSION, NAME, T, T, ct_expm1_f((float)x))
#define CT_EXPM1_d(NAME, T) \
    CT_TWO_PASS_OKV(NAME, T, double, CT_EXPM1_D_OK, 0, ct_expm1_d_small, ct_expm1_d1, 1)
#define CT_TAN_f(NAME, T) CT_TRIG_f(NAME, T, tan)
#define CT_TAN_d(NAME, T) CT_TRIG_d(NAME, T, tan)
#define CT_HYP_f(NAME, T, fn) CT_TWO_PASS_f(NAME, T, CT_HYP_SMALL, ct_##fn##f_small, ct_##fn##f_rest)
#define CT_HYP_d(NAME, T, fn) CT_UNARY_ATTR(CT_MULTIVERSION, NAME, T, T, ct_##fn##_d1((double)x))
#define ct_log10_f ct_log10f
#define ct_log10_d ct_log10_d1
#define ct_asin_f ct_asinf
#define ct_asin_d ct_asin_d1
#define ct_acos_f ct_acosf
#define ct_acos_d ct_acos_d1
#define ct_atanh_f ct_atanhf
#define ct_atanh_d ct_atanh_d1
#define ct_asinh_f ct_asinh_fd
#define ct_asinh_d ct_asinh_d1
#define ct_acosh_f ct_acosh_fd
#define ct_acosh_d ct_acosh_d1
#define ct_sinf_fast(x) ct_sincosf_fast(x, 0)
#define ct_cosf_fast(x) ct_sincosf_fast(x, 1)
/* tanh: fastmath.h's float form; doubles by fastmath_d.h's formula, on a
 * CPU with AVX-512F with exp512.h's exp in it */
#ifdef CT_HAVE_AVX512_TABLES
/* ct_tanhf's steps on 16 lanes (their fmas as GCC contracts the scalar
 * form): the same values */
CT_AVX512_INLINE __m512 ct_tanhf512(__m512 x)
{
    /* |x| clamped at 9.1 (NaN kept: it goes through the arithmetic, as 0
     * does to 0) */
    __m512 a = _mm512_min_ps(_mm512_set1_ps(9.1f), _mm512_abs_ps(x)), r;
    __m512 kf = ct_ln2_reduce512(_mm512_add_ps(a, a), &r);
    __m512 sc = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(_mm512_cvttps_epi32(kf),
                                                                       _mm512_set1_epi32(127)), 23));
    __m512 pm = _mm512_fmadd_ps(_mm512_mul_ps(r, r), ct_exp_p5_512(r), r);
    __m512 e = _mm512_fmadd_ps(pm, sc, _mm512_add_ps(sc, _mm512_set1_ps(-1.0f)));
    __m512 d = _mm512_add_ps(e, _mm512_set1_ps(2.0f));
    __m512 t = _mm512_div_ps(e, d);
    return ct_signof512_ps(x, t);
}
CT_F512_MAP(ct_tanhf512_block, ct_tanhf512)
#endif
#define CT_TANH_f(NAME, T) CT_UNARY_ATTR(CT_MULTIVERSION, NAME##_port, T, T, ct_tanhf((float)x)) \
    CT_F512_LOOP(NAME, T, ct_tanhf512_block)
#define CT_TANH_d(NAME, T) CT_BLOCK_d(NAME, T, ct_tanh_d_block)
CT_SIMD_MAP(ct_tanh_d_loop, double, ct_tanh_d1)
#ifdef CT_HAVE_AVX512_TABLES
CT_AVX512_INLINE __m512d ct_tanh512_d(__m512d x)
{
    __m512d a = _mm512_abs_pd(x), t = _mm512_mul_pd(a, a), one = _mm512_set1_pd(1.0);
    __m512d p = _mm512_set1_pd(ct_tanh_p_d[0]);
    for (int k = 1; k < 11; k++)
        p = _mm512_fmadd_pd(p, t, _mm512_set1_pd(ct_tanh_p_d[k]));
    __m512d small = _mm512_fmadd_pd(_mm512_mul_pd(a, t), p, a);
    /* 1 - 2 / (e^(2 min(a, 22)) + 1); a NaN kept by the min's order */
    __m512d e = ct_exp512_d(_mm512_add_pd(_mm512_min_pd(_mm512_set1_pd(22.0), a),
                                          _mm512_min_pd(_mm512_set1_pd(22.0), a)));
    __m512d big = _mm512_sub_pd(one, _mm512_div_pd(_mm512_set1_pd(2.0), _mm512_add_pd(e, one)));
    __m512d v = _mm512_mask_mov_pd(big, _mm512_cmp_pd_mask(a, _mm512_set1_pd(0.55), _CMP_LT_OQ), small);
    return _mm512_castsi512_pd(_mm512_or_si512(_mm512_castpd_si512(v),
        _mm512_and_si512(_mm512_castpd_si512(x), _mm512_set1_epi64((int64_t)0x8000000000000000ull))));
}
CT_E512_MAP_D(ct_tanh512_block, ct_tanh512_d)
#endif
CT_AVX512_OR(static void ct_tanh_d_block(const double *x, double *o, int64_t n), ct_tanh512_block, ct_tanh_d_loop)

/* 2^x of double: the same table (exp512.h); elsewhere fastmath_d.h's, the
 * reduction and the rest in two passes */
CT_TWO_PASS_MAP_D(ct_exp2_d_loop, ct_exp2_d_reduce, ct_exp2_d_finish)
#ifdef CT_HAVE_AVX512_TABLES
CT_E512_MAP_D(ct_exp2_512_block, ct_exp2_512_d)
#endif
CT_AVX512_OR(static void ct_exp2_d_block(const double *x, double *o, int64_t n), ct_exp2_512_block, ct_exp2_d_loop)
CT_REAL_UNARY(f16, ct_half, float, f)
CT_REAL_UNARY(f32, float, float, f)
CT_REAL_UNARY(f64, double, double, d)
/* exp of float and half: without clamps or a two-step scaling where the
 * result is a normal float (|x| < 87: a third fewer instructions), the full
 * ct_expf for the rest (branch-free arithmetic that vectorises too, with
 * -fno-trapping-math, 8 or 16 lanes on AVX2/AVX-512) */
#define CT_EXP_f(NAME, T) CT_TWO_PASS_OKV(NAME, T, float, CT_BELOW, CT_EXP_SMALL, ct_expf_small, ct_expf, 1)
CT_EXP_f(ct_exp_f16, ct_half)
CT_EXP_f(ct_exp_f32_port, float)
#ifdef CT_HAVE_AVX512_TABLES
CT_F512_MAP(ct_expf512_block, ct_expf512)
#endif
CT_F512_LOOP(ct_exp_f32, float, ct_expf512_block)
/* exp of double: exp512.h's table kernel on a CPU with AVX-512F,
 * fastmath_d.h's loop elsewhere */
CT_TWO_PASS_MAP_D(ct_exp_d_loop, ct_exp_pre_d, ct_exp_post_d)
#ifdef CT_HAVE_AVX512_TABLES
CT_E512_MAP_D(ct_exp512_block, ct_exp512_d)
#endif
CT_AVX512_OR(static void ct_exp_d_block(const double *x, double *o, int64_t n), ct_exp512_block, ct_exp_d_loop)
CT_BLOCK_d(ct_exp_f64, double, ct_exp_d_block)

/* complex: the C99 complex functions (multiplication, square, division,
 * reciprocal, conj and nan_to_num: cplx.c) */
#define CT_CPLX_UNARY(S, T, F)                                                     \
    CT_UNARY(ct_neg_##S, T, T, -x)                                                 \
    CT_UNARY(ct_exp_##S, T, T, F(cexp)(x))                                         \
    CT_UNARY(ct_log_##S, T, T, F(clog)(x))                                         \
    CT_UNARY(ct_log2_##S, T, T, F(clog)(x) / F(log)(2))                            \
    CT_UNARY(ct_log10_##S, T, T, F(clog)(x) / F(log)(10))                          \
    CT_UNARY(ct_sqrt_##S, T, T, F(csqrt)(x))                                       \
    CT_UNARY(ct_rsqrt_##S, T, T, 1 / F(csqrt)(x))                                  \
    CT_UNARY(ct_sin_##S, T, T, F(csin)(x))                                         \
    CT_UNARY(ct_cos_##S, T, T, F(ccos)(x))                                         \
    CT_UNARY(ct_tan_##S, T, T, F(ctan)(x))                                         \
    CT_UNARY(ct_asin_##S, T, T, F(casin)(x))                                       \
    CT_UNARY(ct_acos_##S, T, T, F(cacos)(x))                                       \
    CT_UNARY(ct_atan_##S, T, T, F(catan)(x))                                       \
    CT_UNARY(ct_sinh_##S, T, T, F(csinh)(x))                                       \
    CT_UNARY(ct_cosh_##S, T, T, F(ccosh)(x))                                       \
    CT_UNARY(ct_tanh_##S, T, T, F(ctanh)(x))                                       \
    CT_UNARY(ct_asinh_##S, T, T, F(casinh)(x))                                     \
    CT_UNARY(ct_acosh_##S, T, T, F(cacosh)(x))                                     \
    CT_UNARY(ct_atanh_##S, T, T, F(catanh)(x))                                     \
    CT_UNARY(ct_sigmoid_##S, T, T, 1 / (1 + F(cexp)(-x)))                          \
    CT_UNARY(ct_exp2_##S, T, T, F(cexp)(x * F(log)(2)))                            \
    CT_UNARY(ct_expm1_##S, T, T, ct_cexpm1_##S(x))                                 \
    CT_UNARY(ct_log1p_##S, T, T, F(clog)(1 + x))
/* expm1 for complex: the real part as expm1(a)cos(b) - 2sin^2(b/2), so that it
 * keeps its precision near 0 instead of cancelling in exp(z) - 1 */
#define CT_CPLX_HELPERS(S, T, F)                                                   \
static inline T ct_cexpm1_##S(T z) {                                               \
    __typeof__(F(creal)(z)) a = F(creal)(z), b = F(cimag)(z), h = F(sin)(b / 2);   \
    return (F(expm1)(a) * F(cos)(b) - 2 * h * h) + I * (F(exp)(a) * F(sin)(b));    \
}
#define CF_f(name) name##f
#define CF_d(name) name
CT_CPLX_HELPERS(c64, ct_cfloat, CF_f)
CT_CPLX_HELPERS(c128, ct_cdouble, CF_d)
CT_CPLX_UNARY(c64, ct_cfloat, CF_f)
CT_CPLX_UNARY(c128, ct_cdouble, CF_d)
/* abs of a complex is real: these write float / double */
CT_UNARY(ct_cabs_c64, ct_cfloat, float, cabsf(x))
CT_UNARY(ct_cabs_c128, ct_cdouble, double, cabs(x))

/* sgn of a complex: z / |z|, 0 where z is 0, on the real and imaginary parts
 * (no complex division), branch free so that the loops vectorise. complex64
 * in double: |z| has no overflow or underflow there. complex128 scales by
 * m = max(|re|, |im|) first, (re/m, im/m) / |(re/m, im/m)|, the parts brought
 * near 1 beforehand by an exact power of two where m is below 2^-960 or
 * above 2^960 (so that 1/m is a normal number); an infinite m gives
 * (re/m, im/m) (nan for an infinite part, 0 for a finite one), and a NaN
 * part NaN in both, as z / |z| does. Two divisions (1/m and 1/|.|), the
 * quotients by m as products corrected by their exact residuals. */
static inline void ct_csgn_f(float re, float im, float *ore, float *oim)
{
    double a = sqrt((double)re * re + (double)im * im);
    int z = (re == 0) & (im == 0);
    *ore = z ? 0.0f : (float)(re / a);
    *oim = z ? 0.0f : (float)(im / a);
}
static inline void ct_csgn_d(double re, double im, double *ore, double *oim)
{
    double ar = fabs(re), ai = fabs(im);
    double m0 = ar > ai ? ar : ai;
    double sc = m0 < 0x1p-960 ? 0x1p960 : (m0 > 0x1p960 ? 0x1p-960 : 1.0);
    double x = re * sc, y = im * sc, m = m0 * sc, rm = 1 / m;
    /* the scaled parts r + rl, i + il (one of them +-1 to rounding), their
     * squared norm S + Sl, its root s + ds, and each quotient corrected by
     * one Newton step: within an ulp, as |z| by hypot then a division */
    double r = x * rm, i = y * rm;
    double rl = fma(-r, m, x) * rm, il = fma(-i, m, y) * rm;
    double rr = r * r, ii = i * i, S = rr + ii, bb = S - rr;
    double Sl = (rr - (S - bb)) + (ii - bb) + fma(r, r, -rr) + fma(i, i, -ii)
                + 2 * (r * rl + i * il);
    double s = sqrt(S), inv = 1 / s;
    double ds = (fma(-s, s, S) + Sl) * (0.5 * inv);
    double qr = r * inv, qi = i * inv;
    qr += (fma(-qr, s, r) + rl - qr * ds) * inv;
    qi += (fma(-qi, s, i) + il - qi * ds) * inv;
    int z = (re == 0) & (im == 0), inf = m0 == (double)INFINITY;
    /* (the correction steps can turn a part's -0 into +0: its sign put back) */
    *ore = z ? 0.0 : (inf ? r : copysign(qr, re));
    *oim = z ? 0.0 : (inf ? i : copysign(qi, im));
}
#ifdef CT_HAVE_AVX512_TABLES
/* complex64 sgn on AVX-512, 8 values (16 floats) a step, the parts kept
 * interleaved: in double, each part's lane gets |z|^2 = its square plus its
 * neighbour's (vpermilpd), 1/|z| by vrsqrt14pd and two Newton steps (to
 * about 1.5 ulp of double: the float results as ct_csgn_f's but for a
 * double rounding within 2^-29 of a float's half ulp), the parts times it.
 * z = 0 gives 0; an infinite |z| a factor 0 (an infinite part NaN, a finite
 * one 0, as z / |z|); NaN propagates. */
CT_AVX512_INLINE __m256 ct_csgn512_f(__m256 v)
{
    __m512d d = _mm512_cvtps_pd(v), sq = _mm512_mul_pd(d, d);
    __m512d S = _mm512_add_pd(sq, _mm512_permute_pd(sq, 0x55));
    __m512d hs = _mm512_mul_pd(S, _mm512_set1_pd(0.5)), y = _mm512_rsqrt14_pd(S);
    const __m512d th = _mm512_set1_pd(1.5);
    y = _mm512_mul_pd(y, _mm512_fnmadd_pd(hs, _mm512_mul_pd(y, y), th));
    y = _mm512_mul_pd(y, _mm512_fnmadd_pd(hs, _mm512_mul_pd(y, y), th));
    y = _mm512_mask_mov_pd(y, _mm512_cmp_pd_mask(S, _mm512_set1_pd(__builtin_inf()), _CMP_EQ_OQ),
                           _mm512_setzero_pd());
    __m512d r = _mm512_maskz_mov_pd(_mm512_cmp_pd_mask(S, _mm512_setzero_pd(), _CMP_NEQ_UQ),
                                    _mm512_mul_pd(d, y));
    return _mm512_cvtpd_ps(r);
}
CT_AVX512_INLINE __m512 ct_csgn512_f16(__m512 v)
{
    __m256 lo = ct_csgn512_f(_mm512_castps512_ps256(v));
    __m256 hi = ct_csgn512_f(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
    return _mm512_castpd_ps(_mm512_insertf64x4(_mm512_castps_pd(_mm512_castps256_ps512(lo)),
                                               _mm256_castps_pd(hi), 1));
}
/* n complex64 values of x (interleaved parts) into o (o == x allowed) */
__attribute__((target("avx512f"))) static void ct_csgn512_block(const float *x, float *o, int64_t n)
{
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm512_storeu_ps(o + 2 * i, ct_csgn512_f16(_mm512_loadu_ps(x + 2 * i)));
    if (i < n) {
        __mmask16 t = (__mmask16)((1u << (2 * (n - i))) - 1);
        _mm512_mask_storeu_ps(o + 2 * i, t, ct_csgn512_f16(_mm512_maskz_loadu_ps(t, x + 2 * i)));
    }
}
/* ct_csgn_d's steps on AVX-512, on 8 values a step: the real parts in re,
 * the imaginary ones in im (each step as the scalar code's) */
CT_AVX512_INLINE void ct_csgn512_d(__m512d *re, __m512d *im)
{
    const __m512d one = _mm512_set1_pd(1.0), zero = _mm512_setzero_pd();
    __m512d ar = _mm512_abs_pd(*re), ai = _mm512_abs_pd(*im);
    __m512d m0 = _mm512_max_pd(ar, ai);         /* ar > ai ? ar : ai */
    __m512d sc = _mm512_mask_blend_pd(_mm512_cmp_pd_mask(m0, _mm512_set1_pd(0x1p-960), _CMP_LT_OQ),
                                      _mm512_mask_blend_pd(_mm512_cmp_pd_mask(m0, _mm512_set1_pd(0x1p960),
                                                                              _CMP_GT_OQ),
                                                           one, _mm512_set1_pd(0x1p-960)),
                                      _mm512_set1_pd(0x1p960));
    __m512d x = _mm512_mul_pd(*re, sc), y = _mm512_mul_pd(*im, sc), m = _mm512_mul_pd(m0, sc);
    __m512d rm = _mm512_div_pd(one, m);
    __m512d r = _mm512_mul_pd(x, rm), i = _mm512_mul_pd(y, rm);
    __m512d rl = _mm512_mul_pd(_mm512_fnmadd_pd(r, m, x), rm), il = _mm512_mul_pd(_mm512_fnmadd_pd(i, m, y), rm);
    __m512d rr = _mm512_mul_pd(r, r), ii = _mm512_mul_pd(i, i);
    __m512d S = _mm512_add_pd(rr, ii), bb = _mm512_sub_pd(S, rr);
    __m512d Sl = _mm512_add_pd(_mm512_sub_pd(rr, _mm512_sub_pd(S, bb)), _mm512_sub_pd(ii, bb));
    Sl = _mm512_add_pd(_mm512_add_pd(Sl, _mm512_fmsub_pd(r, r, rr)), _mm512_fmsub_pd(i, i, ii));
    Sl = _mm512_fmadd_pd(_mm512_set1_pd(2.0), _mm512_fmadd_pd(i, il, _mm512_mul_pd(r, rl)), Sl);
    __m512d sq = _mm512_sqrt_pd(S), inv = _mm512_div_pd(one, sq);
    __m512d ds = _mm512_mul_pd(_mm512_add_pd(_mm512_fnmadd_pd(sq, sq, S), Sl), _mm512_mul_pd(inv, _mm512_set1_pd(0.5)));
    __m512d qr = _mm512_mul_pd(r, inv), qi = _mm512_mul_pd(i, inv);
    qr = _mm512_fmadd_pd(_mm512_sub_pd(_mm512_add_pd(_mm512_fnmadd_pd(qr, sq, r), rl), _mm512_mul_pd(qr, ds)), inv, qr);
    qi = _mm512_fmadd_pd(_mm512_sub_pd(_mm512_add_pd(_mm512_fnmadd_pd(qi, sq, i), il), _mm512_mul_pd(qi, ds)), inv, qi);
    /* each part's sign put back (as copysign: the sign bit from re / im) */
    const __m512i sgn = _mm512_set1_epi64((long long)0x8000000000000000ull);
    qr = _mm512_castsi512_pd(_mm512_ternarylogic_epi64(sgn, _mm512_castpd_si512(*re), _mm512_castpd_si512(qr), 0xCA));
    qi = _mm512_castsi512_pd(_mm512_ternarylogic_epi64(sgn, _mm512_castpd_si512(*im), _mm512_castpd_si512(qi), 0xCA));
    __mmask8 inf = _mm512_cmp_pd_mask(m0, _mm512_set1_pd(__builtin_inf()), _CMP_EQ_OQ);
    __mmask8 z = _mm512_cmp_pd_mask(*re, zero, _CMP_EQ_OQ) & _mm512_cmp_pd_mask(*im, zero, _CMP_EQ_OQ);
    *re = _mm512_mask_mov_pd(_mm512_mask_mov_pd(qr, inf, r), z, zero);
    *im = _mm512_mask_mov_pd(_mm512_mask_mov_pd(qi, inf, i), z, zero);
}
/* n complex128 values of x (interleaved parts) into o (o == x allowed) */
__attribute__((target("avx512f"))) static void ct_csgn512_block_d(const double *x, double *o, int64_t n)
{
    const __m512i ev = _mm512_set_epi64(14, 12, 10, 8, 6, 4, 2, 0), od = _mm512_set_epi64(15, 13, 11, 9, 7, 5, 3, 1);
    const __m512i lo = _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0), hi = _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4);
    for (int64_t i = 0; i < n; i += 8) {
        int64_t k = n - i < 8 ? n - i : 8;
        __mmask8 ta = (__mmask8)(k >= 4 ? 0xff : (1u << (2 * k)) - 1);
        __mmask8 tb = (__mmask8)(k >= 8 ? 0xff : k <= 4 ? 0 : (1u << (2 * (k - 4))) - 1);
        __m512d a = _mm512_maskz_loadu_pd(ta, x + 2 * i), b = _mm512_maskz_loadu_pd(tb, x + 2 * i + 8);
        __m512d re = _mm512_permutex2var_pd(a, ev, b), im = _mm512_permutex2var_pd(a, od, b);
        ct_csgn512_d(&re, &im);
        _mm512_mask_storeu_pd(o + 2 * i, ta, _mm512_permutex2var_pd(re, lo, im));
        _mm512_mask_storeu_pd(o + 2 * i + 8, tb, _mm512_permutex2var_pd(re, hi, im));
    }
}
/* 1 where the AVX-512 block took the n values */
#define CT_CSGN_FAST_c64(o, a, n) (ct_cpu_avx512f() ? (ct_csgn512_block((const float *)(a), (float *)(o), n), 1) : 0)
#define CT_CSGN_FAST_c128(o, a, n) (ct_cpu_avx512f() ? (ct_csgn512_block_d((const double *)(a), (double *)(o), n), 1) : 0)
#else
#define CT_CSGN_FAST_c64(o, a, n) 0
#define CT_CSGN_FAST_c128(o, a, n) 0
#endif
#define CT_SGN_LOOP(S, T, FN)                                                      \
CT_MULTIVERSION void ct_sgn_##S(CT_LOOP_ARGS)                                          \
{                                                                                  \
    (void)ex;                                                                      \
    if (s[0] == 2 * (int64_t)sizeof(T) && s[1] == 2 * (int64_t)sizeof(T)) {        \
        T *o = (T *)p[0];                                                          \
        const T *a = (const T *)p[1];                                              \
        if (CT_CSGN_FAST_##S(o, a, n))                                             \
            return;                                                                \
        if (o == (T *)a) {                                                         \
            for (int64_t i = 0; i < n; i++) FN(o[2 * i], o[2 * i + 1], &o[2 * i], &o[2 * i + 1]); \
        } else {                                                                   \
            T *restrict ow = o;                                                    \
            const T *restrict ar = a;                                              \
            for (int64_t i = 0; i < n; i++)                                        \
                FN(ar[2 * i], ar[2 * i + 1], &ow[2 * i], &ow[2 * i + 1]);         \
        }                                                                          \
    } else {                                                                       \
        for (int64_t i = 0; i < n; i++) {                                          \
            const T *x = (const T *)(p[1] + i * s[1]);                             \
            T *y = (T *)(p[0] + i * s[0]);                                         \
            T re = x[0], im = x[1];                                                \
            FN(re, im, &y[0], &y[1]);                                              \
        }                                                                          \
    }                                                                              \
}
CT_SGN_LOOP(c64, float, ct_csgn_f)
CT_SGN_LOOP(c128, double, ct_csgn_d)

#define CT_BINARY_OP(CODE, loops, name, rule, dtypes, aliases)
#define CT_UNARY_OP(CODE, loops, name, rule, dtypes, inplace, aliases) [CT_##CODE] = CT_ROW_##dtypes(loops),
ct_loop_fn ct_unary_loops[CT_NUNARY][CT_NDTYPES] = {
#include "elementwise_ops.def"
};
#undef CT_BINARY_OP
#undef CT_UNARY_OP

/* ternary */
CT_TERNARY(ct_lerp_f16, ct_half, (float)a + (float)c * ((float)b - (float)a))
CT_TERNARY(ct_lerp_f32, float, fabsf(c) < 0.5f ? a + c * (b - a) : b - (b - a) * (1.0f - c))
CT_TERNARY(ct_lerp_f64, double, fabs(c) < 0.5 ? a + c * (b - a) : b - (b - a) * (1.0 - c))
CT_TERNARY(ct_lerp_c64, ct_cfloat, a + c * (b - a))
CT_TERNARY(ct_lerp_c128, ct_cdouble, a + c * (b - a))
ct_loop_fn ct_lerp_loops[CT_NDTYPES] = CT_ROW_FLOATC(lerp);

/* addcmul / addcdiv: out = a + v * b (* or /) c, with a vector loop for
 * contiguous operands (optimizers run them over whole parameter tensors) */
#define CT_ADDC(NAME, T, VT, V, EXPR)                                              \
CT_MULTIVERSION void NAME(CT_LOOP_ARGS) {                                          \
    const ct_params *P = (const ct_params *)ex;                                    \
    const VT v = (V);                                                              \
    if (s[0] == CT_SZ(T) && s[1] == CT_SZ(T) && s[2] == CT_SZ(T) && s[3] == CT_SZ(T)) { \
        T *o = (T *)p[0];                                                          \
        const T *A = (const T *)p[1], *B = (const T *)p[2], *C = (const T *)p[3];  \
        CT_DENSE_LOOP(T, 1, n, T a = A[i], b = B[i], c = C[i]; o[i] = (T)(EXPR);)  \
    } else if (s[0] == CT_SZ(T) && s[1] == CT_SZ(T) && s[2] == CT_SZ(T) && s[3] == 0) { \
        /* a scalar third operand (add's alpha runs here with c = 1) */            \
        T *o = (T *)p[0];                                                          \
        const T *A = (const T *)p[1], *B = (const T *)p[2], c = *(const T *)p[3];  \
        CT_DENSE_LOOP(T, 1, n, T a = A[i], b = B[i]; o[i] = (T)(EXPR);)            \
    } else if (s[0] == CT_SZ(T) && s[1] == CT_SZ(T) && s[2] == 0 && s[3] == CT_SZ(T)) { \
        /* a scalar second operand: a row of an outer product (addr's, a      \
         * column broadcast along the rows) ran the strided loop at 0.57x */  \
        T *o = (T *)p[0];                                                          \
        const T *A = (const T *)p[1], b = *(const T *)p[2], *C = (const T *)p[3];  \
        CT_DENSE_LOOP(T, 1, n, T a = A[i], c = C[i]; o[i] = (T)(EXPR);)            \
    } else {                                                                       \
        for (int64_t i = 0; i < n; i++) {                                          \
            T a = *(const T *)(p[1] + i * s[1]), b = *(const T *)(p[2] + i * s[2]); \
            T c = *(const T *)(p[3] + i * s[3]);                                   \
            *(T *)(p[0] + i * s[0]) = (T)(EXPR);                                   \
        }                                                                          \
    }                                                                              \
}
/* integers wrap (the products in uint64_t) */
#define CT_ADDC_INT(S, T, unused)                                                  \
    CT_ADDC(ct_addcmul_##S, T, uint64_t, (uint64_t)P->ia,                          \
            (uint64_t)a + v * (uint64_t)b * (uint64_t)c)
CT_INTS(CT_ADDC_INT, 0)
CT_ADDC(ct_addcmul_f16, ct_half, float, (float)P->a, (float)a + v * (float)b * (float)c)
CT_ADDC(ct_addcmul_f32, float, float, (float)P->a, a + v * b * c)
CT_ADDC(ct_addcmul_f64, double, double, P->a, a + v * b * c)
CT_ADDC(ct_addcmul_c64, ct_cfloat, ct_cfloat, (float)P->a + I * (float)P->b, a + v * b * c)
CT_ADDC(ct_addcmul_c128, ct_cdouble, ct_cdouble, P->a + I * P->b, a + v * b * c)
CT_ADDC(ct_addcdiv_f16, ct_half, float, (float)P->a, (float)a + v * (float)b / (float)c)
CT_ADDC(ct_addcdiv_f32, float, float, (float)P->a, a + v * b / c)
CT_ADDC(ct_addcdiv_f64, double, double, P->a, a + v * b / c)
CT_ADDC(ct_addcdiv_c64, ct_cfloat, ct_cfloat, (float)P->a + I * (float)P->b, a + v * b / c)
CT_ADDC(ct_addcdiv_c128, ct_cdouble, ct_cdouble, P->a + I * P->b, a + v * b / c)
ct_loop_fn ct_addc_loops[2][CT_NDTYPES] = {CT_ROW_NUM(addcmul), CT_ROW_FLOATC(addcdiv)};

/* clamp with tensor bounds (op CT_T_CLAMP): out = minimum(maximum(a, b), c),
 * NaN where any of the three is NaN, in one pass (maximum's result is never
 * written), with vector loops for dense operands and for bounds constant
 * along a run (a bound broadcast along the last dim). The NaN case is a
 * select of a + b + c after the plain selects (a short-circuit test of a NaN
 * before each compare kept GCC from vectorizing: 0.1x PyTorch's speed) */
#define CT_CLAMP3(S, T, unused)                                                    \
static inline T ct_clamp3_one_##S(T a, T b, T c) {                                 \
    T m = a > b ? a : b;                                                           \
    m = m < c ? m : c;                                                             \
    return (a != a) | (b != b) | (c != c) ? a + b + c : m;                         \
}                                                                                  \
CT_MULTIVERSION static void ct_clamp3_##S(CT_LOOP_ARGS) {                          \
    (void)ex;                                                                      \
    T *o = (T *)p[0];                                                              \
    const T *A = (const T *)p[1];                                                  \
    if (s[0] == CT_SZ(T) && s[1] == CT_SZ(T) && s[2] == CT_SZ(T) && s[3] == CT_SZ(T)) { \
        const T *B = (const T *)p[2], *C = (const T *)p[3];                        \
        CT_DENSE_LOOP(T, 1, n, o[i] = ct_clamp3_one_##S(A[i], B[i], C[i]);)        \
    } else if (s[0] == CT_SZ(T) && s[1] == CT_SZ(T) && s[2] == 0 && s[3] == 0) {   \
        const T b = *(const T *)p[2], c = *(const T *)p[3];                        \
        CT_DENSE_LOOP(T, 1, n, o[i] = ct_clamp3_one_##S(A[i], b, c);)              \
    } else {                                                                       \
        for (int64_t i = 0; i < n; i++)                                            \
            *(T *)(p[0] + i * s[0]) = ct_clamp3_one_##S(*(const T *)(p[1] + i * s[1]), \
                *(const T *)(p[2] + i * s[2]), *(const T *)(p[3] + i * s[3]));     \
    }                                                                              \
}
CT_INTS(CT_CLAMP3, 0)
CT_CLAMP3(f32, float, 0)
CT_CLAMP3(f64, double, 0)
ct_loop_fn ct_clamp3_loops[CT_NDTYPES] = {
    [CT_UINT8] = ct_clamp3_u8, [CT_INT8] = ct_clamp3_i8, [CT_INT16] = ct_clamp3_i16,
    [CT_INT32] = ct_clamp3_i32, [CT_INT64] = ct_clamp3_i64,
    [CT_FLOAT32] = ct_clamp3_f32, [CT_FLOAT64] = ct_clamp3_f64,
};

/* frexp in one pass (a CT_EW_LERP launch, op CT_T_FREXP): operand 0 the
 * mantissa (the input's dtype), 1 the input, 2 the int32 exponent */
#define CT_FREXP_LOOP(S, T, FN)                                                    \
CT_MULTIVERSION void ct_frexp_##S(CT_LOOP_ARGS) {                                          \
    (void)ex;                                                                      \
    if (s[0] == CT_SZ(T) && s[1] == CT_SZ(T) && s[2] == 4) {                       \
        T *m = (T *)p[0]; const T *A = (const T *)p[1]; int32_t *E = (int32_t *)p[2]; \
        CT_SIMD for (int64_t i = 0; i < n; i++) { int32_t e; m[i] = FN(A[i], &e); E[i] = e; } \
    } else {                                                                       \
        for (int64_t i = 0; i < n; i++) {                                          \
            int32_t e;                                                             \
            *(T *)(p[0] + i * s[0]) = FN(*(const T *)(p[1] + i * s[1]), &e);       \
            *(int32_t *)(p[2] + i * s[2]) = e;                                     \
        }                                                                          \
    }                                                                              \
}
CT_FREXP_LOOP(f32, float, ct_frexpf_bits)
CT_FREXP_LOOP(f64, double, ct_frexpd_bits)
ct_loop_fn ct_frexp_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ct_frexp_f32, [CT_FLOAT64] = ct_frexp_f64,
};

/* logaddexp's gradients (elementwise_grad.h): g / (1 + e^(b - a)) and
 * g / (1 + e^(a - b)), e^ by ct_lae_exp_d (the formula's own operations and
 * roundings otherwise; a - b is -(b - a) exactly). Dense operands run as
 * vector loops. */
CT_FM_INLINE double ct_lae_grad_d(double g, double d) { return g / (1.0 + ct_lae_exp_d(d)); }

/* both gradients of one value g (P->a: the gradient of a sum) in one pass */
CT_MULTIVERSION static void ct_lae_grad_f64(CT_LOOP_ARGS)
{
    double gv = ((const ct_params *)ex)->a;
    if (s[0] == 8 && s[1] == 8 && s[2] == 8 && s[3] == 8) {
        double *ga = (double *)p[0], *gb = (double *)p[1];
        const double *a = (const double *)p[2], *b = (const double *)p[3];
        CT_SIMD for (int64_t i = 0; i < n; i++) {
            double d = b[i] - a[i];
            ga[i] = ct_lae_grad_d(gv, d);
            gb[i] = ct_lae_grad_d(gv, -d);
        }
        return;
    }
    for (int64_t i = 0; i < n; i++) {
        double d = *(const double *)(p[3] + i * s[3]) - *(const double *)(p[2] + i * s[2]);
        *(double *)(p[0] + i * s[0]) = ct_lae_grad_d(gv, d);
        *(double *)(p[1] + i * s[1]) = ct_lae_grad_d(gv, -d);
    }
}

CT_MULTIVERSION static void ct_lae_grad1_f64(CT_LOOP_ARGS)
{
    (void)ex;
    if (s[0] == 8 && s[1] == 8 && s[2] == 8 && (s[3] == 8 || s[3] == 0)) {
        double *ga = (double *)p[0];
        const double *a = (const double *)p[1], *b = (const double *)p[2], *g = (const double *)p[3];
        if (s[3] == 0) {
            double gv = *g;
            CT_SIMD for (int64_t i = 0; i < n; i++) ga[i] = ct_lae_grad_d(gv, b[i] - a[i]);
        } else {
            CT_SIMD for (int64_t i = 0; i < n; i++) ga[i] = ct_lae_grad_d(g[i], b[i] - a[i]);
        }
        return;
    }
    for (int64_t i = 0; i < n; i++) {
        double d = *(const double *)(p[2] + i * s[2]) - *(const double *)(p[1] + i * s[1]);
        *(double *)(p[0] + i * s[0]) = ct_lae_grad_d(*(const double *)(p[3] + i * s[3]), d);
    }
}

ct_loop_fn ct_lae_grad_loops[2][CT_NDTYPES] = {
    {[CT_FLOAT64] = ct_lae_grad_f64}, {[CT_FLOAT64] = ct_lae_grad1_f64},
};
