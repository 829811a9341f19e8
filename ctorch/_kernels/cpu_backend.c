/* The CPU backend: `ct_cpu_backend`, the ct_backend table (backend.h) filled
 * with the kernels of this folder; the elementwise launcher that picks a
 * loop from the tables of elementwise.h and runs it under the strided
 * driver; and the BLAS that the float and complex products run on (scipy's
 * gemm entry points, handed over by ctorch._core.dispatch through
 * ct_cpu_set_blas).
 */
#include <string.h>
#include <math.h>
#include "backend.h"
#include "alloc.h"
#include "strided.h"
#include "copy.h"
#include "elementwise_grad.h"
#ifdef CT_HAVE_AVX512_TABLES
#include "avx512_tab.h"
#include "halfvec256.h"
#endif

/* ---- elementwise --------------------------------------------------------- */

/* element sizes by dtype code */
static const int ct_cpu_itemsize[CT_NDTYPES] = {
    [CT_BOOL] = 1, [CT_UINT8] = 1, [CT_INT8] = 1, [CT_INT16] = 2, [CT_INT32] = 4,
    [CT_INT64] = 8, [CT_FLOAT16] = 2, [CT_FLOAT32] = 4, [CT_FLOAT64] = 8,
    [CT_COMPLEX64] = 8, [CT_COMPLEX128] = 16, [CT_BFLOAT16] = 2,
};

static ct_loop_fn ct_half_cast_loop(int from, int to);
static ct_loop_fn ct_bf16_loop(int kind, int op, int dtype);

/* The inner loop of (kind, op, dtype) (backend.h says what op and dtype mean
 * for each kind), or NULL when there is none. */
static ct_loop_fn ct_cpu_loop(int kind, int op, int dtype)
{
    if (dtype < 0 || dtype >= CT_NDTYPES) return NULL;
    if ((dtype == CT_BFLOAT16 && kind != CT_EW_WHERE) || (kind == CT_EW_CAST && op == CT_BFLOAT16))
        return ct_bf16_loop(kind, op, dtype);
    switch (kind) {
    case CT_EW_UNARY:
        if (op < 0 || op >= CT_NUNARY) return NULL;
        /* abs of a complex is real: not in the table, it writes float / double */
        if (op == CT_ABS && dtype == CT_COMPLEX64) return ct_cabs_c64;
        if (op == CT_ABS && dtype == CT_COMPLEX128) return ct_cabs_c128;
        return ct_unary_loops[op][dtype];
    case CT_EW_BINARY:
        if (op < 0 || op >= CT_NBINARY) return NULL;
        return ct_binary_loops[op][dtype];
    case CT_EW_LERP:
        if (op == CT_T_LERP) return ct_lerp_loops[dtype];
        /* float16 (through the float32 loop: ct_half_via_float) and float32;
         * bfloat16 comes to ct_bf16_loop */
        if (op == CT_T_LERP_W32)
            return dtype == CT_FLOAT16 || dtype == CT_FLOAT32 ? ct_lerp_loops[dtype] : NULL;
        if (op == CT_T_ADDCMUL || op == CT_T_ADDCDIV) return ct_addc_loops[op - CT_T_ADDCMUL][dtype];
        if (op == CT_T_FREXP) return ct_frexp_loops[dtype];
        if (op == CT_T_CLAMP) return ct_clamp3_loops[dtype];
        if (op == CT_T_LAE_GRAD || op == CT_T_LAE_GRAD1) return ct_lae_grad_loops[op - CT_T_LAE_GRAD][dtype];
        return NULL;
    case CT_EW_WHERE:
        return ct_where_loop(ct_cpu_itemsize[dtype]);
    case CT_EW_CAST:    /* op: the input's dtype */
        if (op < 0 || op >= CT_NDTYPES) return NULL;
        if (op == dtype) return ct_copy_loop(ct_cpu_itemsize[dtype]);
        if (ct_half_cast_loop(op, dtype) != NULL) return ct_half_cast_loop(op, dtype);
        return ct_cast_loops[op][dtype];
    }
    return NULL;
}

/* UNARY, BINARY, LERP: whether the table has the entry (abs of complex: 1);
 * WHERE and CAST exist for every dtype */
static int ct_cpu_has_kernel(int kind, int op, int dtype)
{
    return ct_cpu_loop(kind, op, dtype) != NULL;
}

/* ---- float16 through the float32 loops ---------------------------------------
 * GCC computes half arithmetic in float but converts one element at a time
 * (a libgcc call without F16C) and compares halves through libgcc even with
 * it, so a half loop runs 10-100x slower than its float one. The ops below
 * have half loops that are exactly "convert to float, the float expression,
 * round to half", and a float result rounded to half is the same number
 * (float has 24 >= 2 * 11 + 2 bits: rounding twice is exact for + - * / sqrt,
 * and the transcendental ones are computed in float either way). Their half
 * launches run the float32 loop over blocks converted a vector at a time. */

#define CT_HALF_BLOCK 512

#include "halfconv.h"

/* n halves at stride s (bytes; 0: one value repeated) -> n contiguous floats */
static void ct_h2f(const char *src, int64_t s, float *f, int64_t n)
{
    uint16_t tmp[CT_HALF_BLOCK];
    const uint16_t *h = (const uint16_t *)src;
    if (s == 0) {
        float v = (float)*(const ct_half *)src;
        for (int64_t i = 0; i < n; i++) f[i] = v;
        return;
    }
    if (s != 2) {
        for (int64_t i = 0; i < n; i++) memcpy(tmp + i, src + i * s, 2);
        h = tmp;
    }
    if (ct_has_f16c()) ct_h2f_f16c(h, f, n);
    else ct_h2f_plain(h, f, n);
}

/* n contiguous floats -> halves at stride s (bytes) */
static void ct_f2h(const float *f, char *dst, int64_t s, int64_t n)
{
    uint16_t tmp[CT_HALF_BLOCK];
    uint16_t *h = s == 2 ? (uint16_t *)dst : tmp;
    if (ct_has_f16c()) ct_f2h_f16c(f, h, n);
    else ct_f2h_plain(f, h, n);
    if (s != 2)
        for (int64_t i = 0; i < n; i++) memcpy(dst + i * s, tmp + i, 2);
}

/* the casts between float16 and float32, a block at a time */
static void ct_cast_f16_f32_blocks(CT_LOOP_ARGS)
{
    float buf[CT_HALF_BLOCK];
    (void)ex;
    for (int64_t i = 0; i < n; i += CT_HALF_BLOCK) {
        int64_t m = n - i < CT_HALF_BLOCK ? n - i : CT_HALF_BLOCK;
        float *f = s[0] == 4 ? (float *)(p[0] + i * 4) : buf;
        ct_h2f(p[1] + i * s[1], s[1], f, m);
        if (s[0] != 4)
            for (int64_t k = 0; k < m; k++) memcpy(p[0] + (i + k) * s[0], buf + k, 4);
    }
}

static void ct_cast_f32_f16_blocks(CT_LOOP_ARGS)
{
    float buf[CT_HALF_BLOCK];
    (void)ex;
    for (int64_t i = 0; i < n; i += CT_HALF_BLOCK) {
        int64_t m = n - i < CT_HALF_BLOCK ? n - i : CT_HALF_BLOCK;
        const float *f = (const float *)(p[1] + i * 4);
        if (s[1] != 4) {
            for (int64_t k = 0; k < m; k++) memcpy(buf + k, p[1] + (i + k) * s[1], 4);
            f = buf;
        }
        ct_f2h(f, p[0] + i * s[0], s[0], m);
    }
}

/* the casts between float16 and the other dtypes (not bfloat16) through
 * float32 blocks: widening a half is exact, and a value narrowed to half is
 * rounded to float first, as PyTorch's casts round it (a double on a tie of
 * halves after that rounding goes to the even one; integers past 2^24 are
 * past half's range either way). The per-element half conversions ran 10-50x
 * slower. */
static void ct_cast_half_via(char **p, const int64_t *s, int64_t n, int to_half, ct_loop_fn step)
{
    float f[CT_HALF_BLOCK];
    for (int64_t i = 0; i < n; i += CT_HALF_BLOCK) {
        int64_t m = n - i < CT_HALF_BLOCK ? n - i : CT_HALF_BLOCK;
        if (to_half) {
            char *q[2] = {(char *)f, p[1] + i * s[1]};
            const int64_t qs[2] = {4, s[1]};
            step(q, qs, m, NULL);
            ct_f2h(f, p[0] + i * s[0], s[0], m);
        } else {
            ct_h2f(p[1] + i * s[1], s[1], f, m);
            char *q[2] = {p[0] + i * s[0], (char *)f};
            const int64_t qs[2] = {s[0], 4};
            step(q, qs, m, NULL);
        }
    }
}
#define CT_HALF_CAST_VIA(S, D)                                                     \
static void ct_cast_f16_to_##S(CT_LOOP_ARGS)                                          \
{                                                                                  \
    (void)ex;                                                                      \
    ct_cast_half_via(p, s, n, 0, ct_cast_loops[CT_FLOAT32][D]);                    \
}                                                                                  \
static void ct_cast_##S##_to_f16(CT_LOOP_ARGS)                                          \
{                                                                                  \
    (void)ex;                                                                      \
    ct_cast_half_via(p, s, n, 1, ct_cast_loops[D][CT_FLOAT32]);                    \
}
CT_HALF_CAST_VIA(b, CT_BOOL)
CT_HALF_CAST_VIA(u8, CT_UINT8)
CT_HALF_CAST_VIA(i8, CT_INT8)
CT_HALF_CAST_VIA(i16, CT_INT16)
CT_HALF_CAST_VIA(i32, CT_INT32)
CT_HALF_CAST_VIA(i64, CT_INT64)
CT_HALF_CAST_VIA(f64, CT_FLOAT64)
CT_HALF_CAST_VIA(c64, CT_COMPLEX64)
CT_HALF_CAST_VIA(c128, CT_COMPLEX128)

/* double -> half through float (PyTorch's two roundings): dense operands on
 * AVX2 8 at a time in registers, the rest by blocks */
#ifdef CT_HAVE_AVX512_TABLES
/* 8 doubles rounded to floats in one vector */
__attribute__((target("avx2"), always_inline)) static inline __m256 ct_ld8_pd_ps(const double *d)
{
    return _mm256_set_m128(_mm256_cvtpd_ps(_mm256_loadu_pd(d + 4)), _mm256_cvtpd_ps(_mm256_loadu_pd(d)));
}
__attribute__((target("avx2,f16c"))) static int64_t ct_d2h_256(const double *d, uint16_t *h, int64_t n)
{
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 f = ct_ld8_pd_ps(d + i);
        _mm_storeu_si128((__m128i *)(h + i), _mm256_cvtps_ph(f, _MM_FROUND_TO_NEAREST_INT));
    }
    return i;
}
#endif
/* a cast of doubles to a 16-bit float: vec (a vector loop, NULL: none) over
 * dense operands where the CPU has AVX2, the block-wise loop rest for what
 * is left and other layouts */
typedef int64_t (*ct_d16_fn)(const double *d, uint16_t *h, int64_t n);
static void ct_cast_d16_run(char **p, const int64_t *s, int64_t n, const void *ex, ct_d16_fn vec,
                            ct_loop_fn rest)
{
    int64_t i = 0;
    if (vec != NULL && s[0] == 2 && s[1] == 8 && ct_cpu_avx2())
        i = vec((const double *)p[1], (uint16_t *)p[0], n);
    if (i < n) {
        char *q[2] = {p[0] + i * s[0], p[1] + i * s[1]};
        rest(q, s, n - i, ex);
    }
}
#ifdef CT_HAVE_AVX512_TABLES
#define CT_D16_VEC(F) F
#else
#define CT_D16_VEC(F) NULL
#endif
static void ct_cast_f64_to_f16_fast(CT_LOOP_ARGS)
{
    ct_cast_d16_run(p, s, n, ex, CT_D16_VEC(ct_d2h_256), ct_cast_f64_to_f16);
}

static ct_loop_fn ct_half_cast_loop(int from, int to)
{
    static const ct_loop_fn from_half[CT_NDTYPES] = {
        [CT_BOOL] = ct_cast_f16_to_b, [CT_UINT8] = ct_cast_f16_to_u8, [CT_INT8] = ct_cast_f16_to_i8,
        [CT_INT16] = ct_cast_f16_to_i16, [CT_INT32] = ct_cast_f16_to_i32,
        [CT_INT64] = ct_cast_f16_to_i64, [CT_FLOAT32] = ct_cast_f16_f32_blocks,
        [CT_FLOAT64] = ct_cast_f16_to_f64, [CT_COMPLEX64] = ct_cast_f16_to_c64,
        [CT_COMPLEX128] = ct_cast_f16_to_c128,
    };
    static const ct_loop_fn to_half[CT_NDTYPES] = {
        [CT_BOOL] = ct_cast_b_to_f16, [CT_UINT8] = ct_cast_u8_to_f16, [CT_INT8] = ct_cast_i8_to_f16,
        [CT_INT16] = ct_cast_i16_to_f16, [CT_INT32] = ct_cast_i32_to_f16,
        [CT_INT64] = ct_cast_i64_to_f16, [CT_FLOAT32] = ct_cast_f32_f16_blocks,
        [CT_FLOAT64] = ct_cast_f64_to_f16_fast, [CT_COMPLEX64] = ct_cast_c64_to_f16,
        [CT_COMPLEX128] = ct_cast_c128_to_f16,
    };
    if (from == CT_FLOAT16 && to >= 0 && to < CT_NDTYPES) return from_half[to];
    if (to == CT_FLOAT16 && from >= 0 && from < CT_NDTYPES) return to_half[from];
    return NULL;
}

/* the predicates, comparisons and logical ops of halves (exact in float: widening keeps
 * every value, infinity and NaN) */
static int ct_half_pred_via_float(int kind, int op)
{
    if (kind == CT_EW_UNARY)
        switch (op) {
        case CT_ISNAN: case CT_ISINF: case CT_ISFINITE: case CT_SIGNBIT: case CT_ISPOSINF:
        case CT_ISNEGINF: case CT_LOGNOT:
            return 1;
        }
    if (kind == CT_EW_BINARY)
        switch (op) {
        case CT_EQ: case CT_NE: case CT_LT: case CT_LE: case CT_GT: case CT_GE:
        case CT_LOGAND: case CT_LOGOR: case CT_LOGXOR:
            return 1;
        }
    return 0;
}

/* the ops whose half loops are their float loops' (see above) */
static int ct_half_via_float(int kind, int op)
{
    if (kind == CT_EW_UNARY)
        switch (op) {
        case CT_NEG: case CT_ABS: case CT_EXP: case CT_EXP2: case CT_EXPM1: case CT_LOG:
        case CT_LOG2: case CT_LOG10: case CT_LOG1P: case CT_SQRT: case CT_RSQRT:
        case CT_RECIPROCAL: case CT_SIN: case CT_COS: case CT_TAN: case CT_ASIN: case CT_ACOS:
        case CT_ATAN: case CT_SINH: case CT_COSH: case CT_TANH: case CT_ASINH: case CT_ACOSH:
        case CT_ATANH: case CT_SIGMOID: case CT_RELU: case CT_ERF: case CT_FLOOR: case CT_CEIL:
        case CT_ROUND: case CT_TRUNC: case CT_FRAC: case CT_SQUARE: case CT_DEG2RAD:
        case CT_RAD2DEG: case CT_SIGN: case CT_NAN_TO_NUM: case CT_CLAMP: case CT_ANGLE:
            return 1;
        }
    if (kind == CT_EW_BINARY)
        switch (op) {
        case CT_ADD: case CT_SUB: case CT_MUL: case CT_DIV: case CT_MAXIMUM: case CT_MINIMUM:
        /* computed in float by PyTorch too (or exact: fmod, copysign, fmax,
         * fmin, heaviside); not nextafter, whose step is half's own */
        case CT_DIV_TRUNC: case CT_DIV_FLOOR: case CT_REMAINDER: case CT_FMOD: case CT_POW:
        case CT_ATAN2: case CT_HYPOT: case CT_COPYSIGN: case CT_LOGADDEXP: case CT_LOGADDEXP2:
        case CT_HEAVISIDE: case CT_FMAX: case CT_FMIN:
            return 1;
        }
    /* lerp (PyTorch's formula in float), addcmul, addcdiv (in float) */
    if (kind == CT_EW_LERP)
        switch (op) {
        case CT_T_LERP: case CT_T_LERP_W32: case CT_T_ADDCMUL: case CT_T_ADDCDIV:
            return 1;
        }
    return 0;
}

/* the inputs of a (kind, op) launch of float16 or bfloat16 that are float32
 * (bit k: operand k + 1) */
static unsigned ct_lowp_fin(int kind, int op, const ct_params *P)
{
    if (kind == CT_EW_BINARY) return (unsigned)(P->flags / CT_P_F32_1) & 3u;
    return kind == CT_EW_LERP && op == CT_T_LERP_W32 ? 4u : 0u;
}


/* ---- bfloat16 through the float32 loops --------------------------------------
 * Every bfloat16 op is its float32 op on blocks widened exactly (halfconv.h)
 * and, when the result is bfloat16, rounded once to nearest-even: the float
 * result rounded to bfloat16, which is what PyTorch computes (in float). */

#define CT_BINARY_OP(CODE, loops, name, rule, dtypes, aliases)
#define CT_UNARY_OP(CODE, loops, name, rule, dtypes, inplace, aliases) [CT_##CODE] = rule,
static const unsigned char ct_unary_rule[CT_NUNARY] = {
#include "elementwise_ops.def"
};
#undef CT_BINARY_OP
#undef CT_UNARY_OP
#define CT_BINARY_OP(CODE, loops, name, rule, dtypes, aliases) [CT_##CODE] = rule,
#define CT_UNARY_OP(CODE, loops, name, rule, dtypes, inplace, aliases)
static const unsigned char ct_binary_rule[CT_NBINARY] = {
#include "elementwise_ops.def"
};
#undef CT_BINARY_OP
#undef CT_UNARY_OP

CT_MULTIVERSION void ct_bf2f_contig(const uint16_t *restrict h, float *restrict f, int64_t n)
{
    uint32_t *u = (uint32_t *)f;
    for (int64_t i = 0; i < n; i++) u[i] = (uint32_t)h[i] << 16;
}

CT_MULTIVERSION static void ct_f2bf_ints(const float *restrict f, uint16_t *restrict h, int64_t n)
{
    const uint32_t *u = (const uint32_t *)f;
    for (int64_t i = 0; i < n; i++) {
        uint32_t v = u[i];
        uint32_t r = (v + 0x7fffu + ((v >> 16) & 1u)) >> 16;
        uint32_t q = (v >> 16) | 0x40u;
        h[i] = (uint16_t)((v & 0x7fffffffu) > 0x7f800000u ? q : r);
    }
}



/* n bfloat16 at stride s (bytes; 0: one value repeated) -> n contiguous floats */
static void ct_bf2f_strided(const char *src, int64_t s, float *f, int64_t n)
{
    if (s == 2) {
        ct_bf2f_contig((const uint16_t *)src, f, n);
        return;
    }
    if (s == 0) {
        float v = ct_bf2f(*(const uint16_t *)src);
        for (int64_t i = 0; i < n; i++) f[i] = v;
        return;
    }
    for (int64_t i = 0; i < n; i++) {
        uint16_t h;
        memcpy(&h, src + i * s, 2);
        f[i] = ct_bf2f(h);
    }
}

/* n contiguous floats -> bfloat16 at stride s (bytes) */
static void ct_f2bf_strided(const float *f, char *dst, int64_t s, int64_t n)
{
    uint16_t tmp[CT_HALF_BLOCK];
    uint16_t *h = s == 2 ? (uint16_t *)dst : tmp;
    ct_f2bf_contig(f, h, n);
    if (s != 2)
        for (int64_t i = 0; i < n; i++) memcpy(dst + i * s, tmp + i, 2);
}

/* a launch of the float32 loop f32 (P: its parameters) over nin float16
 * (half 1) or bfloat16 inputs widened a block at a time; the result rounded
 * back to the inputs' dtype (low_out) or what f32 writes (bool). fin: the
 * inputs (bit k: operand k + 1) that are float32 already (lerp's weight). */
typedef struct { ct_loop_fn f32; const void *P; int low_out, nin, half; unsigned fin; } ct_lowp_via;

/* the float32 loop runs over blocks of CT_LOWP_BLOCK: its two-pass loops
 * (a fast form, then the full one where needed) keep to the full form alone
 * after a block that needed it, within one call, so that blocks as short as
 * the conversions' ran both passes on every block of data that needs the
 * full form (a half log10 of randn at 0.84x PyTorch) */
#define CT_LOWP_BLOCK (4 * CT_HALF_BLOCK)
static void ct_lowp_widen(int half, const char *src, int64_t s, float *f, int64_t m)
{
    for (int64_t j = 0; j < m; j += CT_HALF_BLOCK) {
        const int64_t k = m - j < CT_HALF_BLOCK ? m - j : CT_HALF_BLOCK;
        if (half) ct_h2f(src + j * s, s, f + j, k);
        else ct_bf2f_strided(src + j * s, s, f + j, k);
    }
}
static void ct_lowp_narrow(int half, const float *f, char *dst, int64_t s, int64_t m)
{
    for (int64_t j = 0; j < m; j += CT_HALF_BLOCK) {
        const int64_t k = m - j < CT_HALF_BLOCK ? m - j : CT_HALF_BLOCK;
        if (half) ct_f2h(f + j, dst + j * s, s, k);
        else ct_f2bf_strided(f + j, dst + j * s, s, k);
    }
}
static void ct_lowp_via_float(CT_LOOP_ARGS)
{
    const ct_lowp_via *v = (const ct_lowp_via *)ex;
    float in[3][CT_LOWP_BLOCK], o[CT_LOWP_BLOCK];
    /* a bfloat16 input of one value (stride 0) goes to the float loop as one
     * value, so its scalar forms serve: pow(x, 2) as x * x, 20x, and
     * PyTorch's bfloat16 values of pow's special exponents ((-inf)^0.5 = NaN
     * as for float; half keeps powf's values, as PyTorch's half pow does,
     * the scalar expanded to a block) */
    int64_t fs[4] = {v->low_out ? 4 : s[0], 4, 4, 4};
    for (int k = 0; k < v->nin; k++)
        if (v->fin >> k & 1) {
            fs[1 + k] = s[1 + k];
        } else if (s[1 + k] == 0 && !v->half) {
            fs[1 + k] = 0;
            ct_bf2f_strided(p[1 + k], 0, in[k], 1);
        }
    for (int64_t i = 0; i < n; i += CT_LOWP_BLOCK) {
        int64_t m = n - i < CT_LOWP_BLOCK ? n - i : CT_LOWP_BLOCK;
        char *q[4] = {v->low_out ? (char *)o : p[0] + i * s[0], (char *)in[0], (char *)in[1],
                      (char *)in[2]};
        for (int k = 0; k < v->nin; k++) {
            const char *src = p[1 + k] + i * s[1 + k];
            if (v->fin >> k & 1) q[1 + k] = (char *)src;
            else if (v->half || fs[1 + k]) ct_lowp_widen(v->half, src, s[1 + k], in[k], m);
        }
        v->f32(q, fs, m, v->P);
        if (v->low_out) ct_lowp_narrow(v->half, o, p[0] + i * s[0], s[0], m);
    }
}

/* casts: bfloat16 <-> float32 directly, any other dtype through a float32
 * block and that dtype's cast loop (so float64 and int64 round through float32
 * first, as PyTorch's conversions do) */
static void ct_cast_bf16_to(CT_LOOP_ARGS)
{
    ct_loop_fn next = (ct_loop_fn)(uintptr_t)ex;     /* float32 -> the output dtype, or NULL */
    float f[CT_HALF_BLOCK];
    for (int64_t i = 0; i < n; i += CT_HALF_BLOCK) {
        int64_t m = n - i < CT_HALF_BLOCK ? n - i : CT_HALF_BLOCK;
        if (next == NULL && s[0] == 4) {
            ct_bf2f_strided(p[1] + i * s[1], s[1], (float *)(p[0] + i * 4), m);
            continue;
        }
        ct_bf2f_strided(p[1] + i * s[1], s[1], f, m);
        if (next == NULL) {
            for (int64_t k = 0; k < m; k++) memcpy(p[0] + (i + k) * s[0], f + k, 4);
        } else {
            char *q[2] = {p[0] + i * s[0], (char *)f};
            const int64_t qs[2] = {s[0], 4};
            next(q, qs, m, NULL);
        }
    }
}

/* bfloat16 -> int32: dense operands on AVX2 8 at a time (widened exactly,
 * cvttps2dq where the value fits; a vector with one past int32 or NaN, shown
 * by the pattern 0x80000000, and the rest by ct_cast_bf16_to: the float32
 * route's values) */
#ifdef CT_HAVE_AVX512_TABLES
__attribute__((target("avx2"))) static int64_t ct_bf2i32_256(const uint16_t *h, int32_t *o, int64_t n)
{
    const __m256i bad = _mm256_set1_epi32((int)0x80000000u);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256i w = _mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(h + i))), 16);
        __m256i v = _mm256_cvttps_epi32(_mm256_castsi256_ps(w));
        if (_mm256_movemask_epi8(_mm256_cmpeq_epi32(v, bad))) break;
        _mm256_storeu_si256((__m256i *)(o + i), v);
    }
    return i;
}
#endif
static void ct_cast_bf16_to_i32(CT_LOOP_ARGS)
{
    int64_t i = 0;
#ifdef CT_HAVE_AVX512_TABLES
    while (s[0] == 4 && s[1] == 2 && ct_cpu_avx2() && i < n) {
        i += ct_bf2i32_256((const uint16_t *)(p[1] + i * 2), (int32_t *)(p[0] + i * 4), n - i);
        if (i + 8 > n) break;
        /* a vector with a lane past int32: those 8 by the float32 route */
        char *q[2] = {p[0] + i * 4, p[1] + i * 2};
        ct_cast_bf16_to(q, s, 8, ex);
        i += 8;
    }
#endif
    if (i < n) {
        char *q[2] = {p[0] + i * s[0], p[1] + i * s[1]};
        ct_cast_bf16_to(q, s, n - i, ex);
    }
}

static void ct_cast_to_bf16(CT_LOOP_ARGS)
{
    ct_loop_fn prev = (ct_loop_fn)(uintptr_t)ex;     /* the input dtype -> float32, or NULL */
    float f[CT_HALF_BLOCK];
    for (int64_t i = 0; i < n; i += CT_HALF_BLOCK) {
        int64_t m = n - i < CT_HALF_BLOCK ? n - i : CT_HALF_BLOCK;
        const float *src = f;
        if (prev == NULL && s[1] == 4) {
            src = (const float *)(p[1] + i * 4);
        } else if (prev == NULL) {
            for (int64_t k = 0; k < m; k++) memcpy(f + k, p[1] + (i + k) * s[1], 4);
        } else {
            char *q[2] = {(char *)f, p[1] + i * s[1]};
            const int64_t qs[2] = {4, s[1]};
            prev(q, qs, m, NULL);
        }
        ct_f2bf_strided(src, p[0] + i * s[0], s[0], m);
    }
}

/* double -> bfloat16 through float (PyTorch's two roundings): dense operands
 * on AVX2 16 at a time in registers, the rest by blocks */
#ifdef CT_HAVE_AVX512_TABLES
static int64_t ct_d2bf_256(const double *d, uint16_t *h, int64_t n);
#endif
static void ct_cast_f64_to_bf16(CT_LOOP_ARGS)
{
    ct_cast_d16_run(p, s, n, ex, CT_D16_VEC(ct_d2bf_256), ct_cast_to_bf16);
}

/* a stand-in that the table lookups return for bfloat16 (has_kernel); the
 * launches themselves go through ct_bf16_launch */
static void ct_bf16_marker(CT_LOOP_ARGS)
{
    (void)p; (void)s; (void)n; (void)ex;
}

/* the float32 loop that the bfloat16 (kind, op) runs, NULL when float32 has none */
static ct_loop_fn ct_bf16_f32_loop(int kind, int op)
{
    return ct_cpu_loop(kind, op, CT_FLOAT32);
}

static ct_loop_fn ct_bf16_loop(int kind, int op, int dtype)
{
    if (kind == CT_EW_CAST) {
        if (op < 0 || op >= CT_NDTYPES) return NULL;
        if (op == dtype) return ct_copy_loop(2);
        return ct_bf16_marker;
    }
    return ct_bf16_f32_loop(kind, op) != NULL ? ct_bf16_marker : NULL;
}

/* ---- half and bfloat16 arithmetic in one pass --------------------------------
 * The commonest binary ops of contiguous operands (or one value): 16 elements
 * widened to float, the op, rounded back, in registers (the values of the
 * block-wise path above, without its three passes over blocks). Other layouts
 * and the last n % 16 elements take the block-wise path (fb, fbx). */
typedef struct { int op, bf; ct_loop_fn fb; const void *fbx; unsigned fin; float lo, hi; } ct_half_fused;

/* the unary and binary ops that have fused loops */
#define CT_HF_CASES(X, SUF) X(CT_NEG, SUF) X(CT_ABS, SUF) X(CT_SQRT, SUF) X(CT_RSQRT, SUF) \
    X(CT_RECIPROCAL, SUF) X(CT_RELU, SUF) X(CT_FLOOR, SUF) X(CT_CEIL, SUF) X(CT_ROUND, SUF) \
    X(CT_TRUNC, SUF) X(CT_FRAC, SUF) X(CT_SQUARE, SUF) X(CT_DEG2RAD, SUF) X(CT_RAD2DEG, SUF)
#define CT_HF_CASES2(X, SUF) X(CT_ADD, SUF) X(CT_SUB, SUF) X(CT_MUL, SUF) X(CT_DIV, SUF) \
    X(CT_MAXIMUM, SUF) X(CT_MINIMUM, SUF)
#define CT_HF_IS(OP, SUF) case OP:
static int ct_half_fused_op(int kind, int op)
{
    if (kind == CT_EW_BINARY)
        switch (op) { CT_HF_CASES2(CT_HF_IS, ) case CT_POW: return 1; }
    if (kind == CT_EW_UNARY)
        switch (op) { CT_HF_CASES(CT_HF_IS, ) case CT_CLAMP: return 1; }
    return 0;
}
#undef CT_HF_IS

#ifdef CT_HAVE_AVX512_TABLES
CT_AVX512_INLINE __m512 ct_hf512_widen(__m256i h, int bf)
{
    if (bf) return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
    return _mm512_cvtph_ps(h);
}
/* float -> half (F16C's rounding) or bfloat16 (halfconv.h's: nearest even on
 * the bits, a NaN quieted) */
CT_AVX512_INLINE __m256i ct_hf512_narrow(__m512 v, int bf)
{
    if (!bf) return _mm512_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT);
    __m512i u = _mm512_castps_si512(v);
    __m512i r = _mm512_srli_epi32(_mm512_add_epi32(_mm512_add_epi32(u, _mm512_set1_epi32(0x7fff)),
                                  _mm512_and_si512(_mm512_srli_epi32(u, 16), _mm512_set1_epi32(1))), 16);
    __mmask16 nan = _mm512_cmp_epi32_mask(_mm512_and_si512(u, _mm512_set1_epi32(0x7fffffff)),
                                          _mm512_set1_epi32(0x7f800000), _MM_CMPINT_NLE);
    r = _mm512_mask_mov_epi32(r, nan, _mm512_or_si512(_mm512_srli_epi32(u, 16), _mm512_set1_epi32(0x40)));
    return _mm512_cvtepi32_epi16(r);
}
CT_AVX512_INLINE __m512 ct_hf512_op(int op, __m512 a, __m512 b)
{
    switch (op) {
    case CT_ADD: return _mm512_add_ps(a, b);
    case CT_SUB: return _mm512_sub_ps(a, b);
    case CT_MUL: return _mm512_mul_ps(a, b);
    case CT_DIV: return _mm512_div_ps(a, b);
    default: {
        /* maximum / minimum: a > b ? a : b (vmaxps' order), NaN from either
         * side, a's first */
        __m512 m = op == CT_MAXIMUM ? _mm512_max_ps(a, b) : _mm512_min_ps(a, b);
        m = _mm512_mask_mov_ps(m, _mm512_cmp_ps_mask(b, b, _CMP_UNORD_Q), b);
        return _mm512_mask_mov_ps(m, _mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q), a);
    }
    }
}
/* the float32 loops' expressions (elementwise.c), lane by lane */
CT_AVX512_INLINE __m512 ct_hf512_op1(int op, __m512 x)
{
    const __m512i sg = _mm512_set1_epi32((int)0x80000000u);
    const __m512 one = _mm512_set1_ps(1.0f);
    switch (op) {
    case CT_NEG: return _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(x), sg));
    case CT_ABS: return _mm512_castsi512_ps(_mm512_andnot_si512(sg, _mm512_castps_si512(x)));
    case CT_SQRT: return _mm512_sqrt_ps(x);
    case CT_RSQRT: return _mm512_div_ps(one, _mm512_sqrt_ps(x));
    case CT_RECIPROCAL: return _mm512_div_ps(one, x);
    case CT_RELU: return _mm512_mask_mov_ps(x, _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_LT_OQ),
                                            _mm512_setzero_ps());
    case CT_FLOOR: return _mm512_roundscale_ps(x, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
    case CT_CEIL: return _mm512_roundscale_ps(x, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC);
    case CT_ROUND: return _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    case CT_TRUNC: return _mm512_roundscale_ps(x, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    case CT_FRAC: return _mm512_sub_ps(x, _mm512_roundscale_ps(x, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC));
    case CT_SQUARE: return _mm512_mul_ps(x, x);
    case CT_DEG2RAD: return _mm512_mul_ps(x, _mm512_set1_ps((float)(M_PI / 180.0)));
    default: return _mm512_mul_ps(x, _mm512_set1_ps((float)(180.0 / M_PI)));     /* CT_RAD2DEG */
    }
}
/* the same on AVX2 (with F16C), 8 lanes: results as the AVX-512 kit's (the
 * widening and narrowing in halfvec256.h) */
CT_AVX2_INLINE __m256 ct_hf256_op(int op, __m256 a, __m256 b)
{
    switch (op) {
    case CT_ADD: return _mm256_add_ps(a, b);
    case CT_SUB: return _mm256_sub_ps(a, b);
    case CT_MUL: return _mm256_mul_ps(a, b);
    case CT_DIV: return _mm256_div_ps(a, b);
    default: {
        __m256 m = op == CT_MAXIMUM ? _mm256_max_ps(a, b) : _mm256_min_ps(a, b);
        m = _mm256_blendv_ps(m, b, _mm256_cmp_ps(b, b, _CMP_UNORD_Q));
        return _mm256_blendv_ps(m, a, _mm256_cmp_ps(a, a, _CMP_UNORD_Q));
    }
    }
}
CT_AVX2_INLINE __m256 ct_hf256_op1(int op, __m256 x)
{
    const __m256 sg = _mm256_set1_ps(-0.0f);
    const __m256 one = _mm256_set1_ps(1.0f);
    switch (op) {
    case CT_NEG: return _mm256_xor_ps(x, sg);
    case CT_ABS: return _mm256_andnot_ps(sg, x);
    case CT_SQRT: return _mm256_sqrt_ps(x);
    case CT_RSQRT: return _mm256_div_ps(one, _mm256_sqrt_ps(x));
    case CT_RECIPROCAL: return _mm256_div_ps(one, x);
    case CT_RELU: return _mm256_blendv_ps(x, _mm256_setzero_ps(),
                                          _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LT_OQ));
    case CT_FLOOR: return _mm256_round_ps(x, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
    case CT_CEIL: return _mm256_round_ps(x, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC);
    case CT_ROUND: return _mm256_round_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    case CT_TRUNC: return _mm256_round_ps(x, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    case CT_FRAC: return _mm256_sub_ps(x, _mm256_round_ps(x, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC));
    case CT_SQUARE: return _mm256_mul_ps(x, x);
    case CT_DEG2RAD: return _mm256_mul_ps(x, _mm256_set1_ps((float)(M_PI / 180.0)));
    default: return _mm256_mul_ps(x, _mm256_set1_ps((float)(180.0 / M_PI)));     /* CT_RAD2DEG */
    }
}
/* the kits' widths and their loads / stores of 16-bit values */
#define CT_HF512_W 16
#define CT_HF512_LD(q) _mm256_loadu_si256((const __m256i *)(q))
#define CT_HF512_ST(q, v) _mm256_storeu_si256((__m256i *)(q), v)
#define CT_HF512_SET1(x) _mm256_set1_epi16(x)
#define CT_HF512_SET1PS(x) _mm512_set1_ps(x)
#define CT_HF256_W 8
#define CT_HF256_LD(q) CT_LOADU_H8(q)
#define CT_HF256_ST(q, v) CT_STOREU_H8(q, v)
#define CT_HF256_SET1(x) _mm_set1_epi16(x)
#define CT_HF256_SET1PS(x) _mm256_set1_ps(x)
/* neg and abs on the 16-bit patterns themselves, 32 at a time (AVX-512BW):
 * the sign bit flipped or cleared, a NaN quieted as the round trip through
 * float quiets it (half's bit 9, bfloat16's bit 6) */
__attribute__((target("avx512f,avx512bw"))) static int64_t ct_half_sign_512(int bf, int op,
    const uint16_t *A, uint16_t *O, int64_t n)
{
    const __m512i mag = _mm512_set1_epi16(0x7fff), sg = _mm512_set1_epi16((short)0x8000);
    const __m512i inf = _mm512_set1_epi16(bf ? 0x7f80 : 0x7c00), q = _mm512_set1_epi16(bf ? 0x40 : 0x200);
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m512i x = _mm512_loadu_si512((const void *)(A + i));
        __m512i m = _mm512_and_si512(x, mag);
        __m512i r = op == CT_NEG ? _mm512_xor_si512(x, sg) : m;
        r = _mm512_mask_blend_epi16(_mm512_cmpgt_epu16_mask(m, inf), r, _mm512_or_si512(r, q));
        _mm512_storeu_si512((void *)(O + i), r);
    }
    return i;
}
/* the same on AVX2, 16 at a time (magnitudes and the infinity's pattern are
 * below 0x8000, so the signed 16-bit compare orders them) */
__attribute__((target("avx2"))) static int64_t ct_half_sign_256(int bf, int op,
    const uint16_t *A, uint16_t *O, int64_t n)
{
    const __m256i mag = _mm256_set1_epi16(0x7fff), sg = _mm256_set1_epi16((short)0x8000);
    const __m256i inf = _mm256_set1_epi16(bf ? 0x7f80 : 0x7c00), q = _mm256_set1_epi16(bf ? 0x40 : 0x200);
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(A + i));
        __m256i m = _mm256_and_si256(x, mag);
        __m256i r = op == CT_NEG ? _mm256_xor_si256(x, sg) : m;
        r = _mm256_or_si256(r, _mm256_and_si256(_mm256_cmpgt_epi16(m, inf), q));
        _mm256_storeu_si256((__m256i *)(O + i), r);
    }
    return i;
}
static int ct_cpu_avx512bf16(void)
{
    static int has = -1;
    if (has < 0) {
        __builtin_cpu_init();
        has = __builtin_cpu_supports("avx512bf16") && __builtin_cpu_supports("avx512vl");
    }
    return has;
}
/* float -> bfloat16 by AVX512-BF16's vcvtneps2bf16: the same nearest-even
 * bits and quieted NaNs as ct_hf512_narrow for every input but denormal floats,
 * which it flushes to zero: a vector holding one takes ct_hf512_narrow */
__attribute__((target("avx512f,avx512vl,avx512bf16"), always_inline)) static inline __m256i
ct_bf_narrow_ne(__m512 v)
{
    __m512i u = _mm512_castps_si512(v);
    __mmask16 den = _mm512_mask_test_epi32_mask(_mm512_testn_epi32_mask(u, _mm512_set1_epi32(0x7f800000)),
                                                u, _mm512_set1_epi32(0x007fffff));
    if (__builtin_expect(den != 0, 0)) return ct_hf512_narrow(v, 1);
    return (__m256i)_mm512_cvtneps_pbh(v);
}
/* 16 floats at a time to bfloat16 by ct_bf_narrow_ne; returns the count done */
__attribute__((target("avx512f,avx512vl,avx512bf16"))) static int64_t ct_f2bf_512(
    const float *f, uint16_t *h, int64_t n)
{
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm256_storeu_si256((__m256i *)(h + i), ct_bf_narrow_ne(_mm512_loadu_ps(f + i)));
    return i;
}
/* the fused loops, unary (1) and binary, once per kit K (512: AVX-512, W =
 * 16 lanes; 256: AVX2, 8) and narrowing NAR(v, bf): each op and format gets
 * its own loop (a switch on op inside the loop cost an indirect jump per
 * vector, a third of the time of a memory-bound op). ALLBF 1: only bfloat16
 * comes there. */
#define CT_HALF_FUSED_LOOPS(K, SUF, TARGET, NAR, ALLBF)                                \
__attribute__((target(TARGET), always_inline)) static inline int64_t ct_hf1_run##K##SUF( \
    int op, int bf, const uint16_t *A, uint16_t *O, int64_t n)                        \
{                                                                                     \
    int64_t i = 0;                                                                    \
    for (; i + CT_HF##K##_W <= n; i += CT_HF##K##_W)                                  \
        CT_HF##K##_ST(O + i, NAR(ct_hf##K##_op1(op, ct_hf##K##_widen(CT_HF##K##_LD(A + i), bf)), bf)); \
    return i;                                                                         \
}                                                                                     \
__attribute__((target(TARGET))) static int64_t ct_half_fused1_##K##SUF(const ct_half_fused *f, \
                                                                    char **p, int64_t n) \
{                                                                                     \
    const uint16_t *A = (const uint16_t *)p[1];                                       \
    uint16_t *O = (uint16_t *)p[0];                                                   \
    const int bf = ALLBF || f->bf, op = f->op;                                        \
    if (op == CT_NEG || op == CT_ABS)                                                 \
        return ct_cpu_avx512bw() ? ct_half_sign_512(bf, op, A, O, n)                  \
                                 : ct_half_sign_256(bf, op, A, O, n);                 \
    switch (op) {                                                                     \
    CT_HF_CASES(CT_HF1_CASE, K##SUF)                                                  \
    }                                                                                 \
    return 0;                                                                         \
}                                                                                     \
__attribute__((target(TARGET), always_inline)) static inline int64_t ct_hf2_run##K##SUF( \
    int op, int bf, const uint16_t *A, const uint16_t *B, uint16_t *O, const int64_t *s, \
    int64_t n, unsigned fin)                                                          \
{                                                                                     \
    const int64_t W = CT_HF##K##_W;                                                   \
    const __typeof__(ct_hf##K##_widen(CT_HF##K##_SET1(0), 0)) a1 = (fin & 1)          \
        ? CT_HF##K##_SET1PS(*(const float *)A) : ct_hf##K##_widen(CT_HF##K##_SET1((short)A[0]), bf), \
        b1 = (fin & 2) ? CT_HF##K##_SET1PS(*(const float *)B)                         \
                       : ct_hf##K##_widen(CT_HF##K##_SET1((short)B[0]), bf);          \
    int64_t i = 0;                                                                    \
    if (s[1] && s[2]) { CT_HF_LOOP(K, NAR, CT_HF_LD(K, A), CT_HF_LD(K, B)) }          \
    else if (s[1]) { CT_HF_LOOP(K, NAR, CT_HF_LD(K, A), b1) }                         \
    else { CT_HF_LOOP(K, NAR, a1, CT_HF_LD(K, B)) }                                   \
    return i;                                                                         \
}                                                                                     \
__attribute__((target(TARGET))) static int64_t ct_half_fused_##K##SUF(const ct_half_fused *f, \
                                                    char **p, const int64_t *s, int64_t n) \
{                                                                                     \
    const uint16_t *A = (const uint16_t *)p[1], *B = (const uint16_t *)p[2];          \
    uint16_t *O = (uint16_t *)p[0];                                                   \
    const int bf = ALLBF || f->bf;                                                    \
    if (n < CT_HF##K##_W) return 0;                                                   \
    switch (f->op) {                                                                  \
    CT_HF_CASES2(CT_HF2_CASE, K##SUF)                                                 \
    }                                                                                 \
    return 0;                                                                         \
}
#define CT_HF1_CASE(OP, SUF) \
    case OP: return bf ? ct_hf1_run##SUF(OP, 1, A, O, n) : ct_hf1_run##SUF(OP, 0, A, O, n);
#define CT_HF2_CASE(OP, SUF) \
    case OP: return bf ? ct_hf2_run##SUF(OP, 1, A, B, O, s, n, f->fin)                \
                       : ct_hf2_run##SUF(OP, 0, A, B, O, s, n, f->fin);
#define CT_HF_LOOP(K, NAR, LA, LB)                                                    \
    for (; i + W <= n; i += W) CT_HF##K##_ST(O + i, NAR(ct_hf##K##_op(op, LA, LB), bf));
#define CT_HF_LD(K, X) ct_hf##K##_widen(CT_HF##K##_LD((X) + i), bf)
#define CT_BF_NARROW(v, bf) ct_bf_narrow_ne(v)
CT_HALF_FUSED_LOOPS(512, , "avx512f", ct_hf512_narrow, 0)
CT_HALF_FUSED_LOOPS(512, _bf, "avx512f,avx512vl,avx512bf16", CT_BF_NARROW, 1)
CT_HALF_FUSED_LOOPS(256, , "avx2,fma,f16c", ct_hf256_narrow, 0)
/* bfloat16 on AVX2, 16 values a vector (halfvec256.h's ct_bf256_load16 and
 * ct_bf256_store16_lanes); the same results as the 8-wide loops */
#define CT_BF256_LD(X, L, H) ct_bf256_load16((X) + i, &(L), &(H));
#define CT_BF256_ST(L, H) ct_bf256_store16_lanes(O + i, L, H);
#define CT_BF256_LOOP(LDA, LDB)                                                       \
    for (; i + 16 <= n; i += 16) {                                                    \
        __m256 al = a1, ah = a1, bl = b1, bh = b1;                                    \
        LDA LDB                                                                       \
        CT_BF256_ST(ct_hf256_op(op, al, bl), ct_hf256_op(op, ah, bh))                \
    }
CT_AVX2_INLINE int64_t ct_bf2_run256(int op, const uint16_t *A, const uint16_t *B, uint16_t *O,
                                     const int64_t *s, int64_t n, unsigned fin)
{
    const __m256 a1 = (fin & 1) ? _mm256_set1_ps(*(const float *)A)
                                : ct_hf256_widen(_mm_set1_epi16((short)A[0]), 1);
    const __m256 b1 = (fin & 2) ? _mm256_set1_ps(*(const float *)B)
                                : ct_hf256_widen(_mm_set1_epi16((short)B[0]), 1);
    int64_t i = 0;
    if (s[1] && s[2]) CT_BF256_LOOP(CT_BF256_LD(A, al, ah), CT_BF256_LD(B, bl, bh))
    else if (s[1]) CT_BF256_LOOP(CT_BF256_LD(A, al, ah), )
    else CT_BF256_LOOP(, CT_BF256_LD(B, bl, bh))
    return i;
}
__attribute__((target("avx2,fma,f16c"))) static int64_t ct_bf_fused_256(const ct_half_fused *f,
                                                                      char **p, const int64_t *s,
                                                                      int64_t n)
{
    const uint16_t *A = (const uint16_t *)p[1], *B = (const uint16_t *)p[2];
    uint16_t *O = (uint16_t *)p[0];
    switch (f->op) {
#define CT_BF2_CASE(OP, SUF) case OP: return ct_bf2_run256(OP, A, B, O, s, n, f->fin);
    CT_HF_CASES2(CT_BF2_CASE, )
#undef CT_BF2_CASE
    }
    return 0;
}
__attribute__((target("avx2,fma,f16c"))) static int64_t ct_bf_fused1_256(const ct_half_fused *f,
                                                                       char **p, int64_t n)
{
    const uint16_t *A = (const uint16_t *)p[1];
    uint16_t *O = (uint16_t *)p[0];
    int64_t i = 0;
    if (f->op == CT_NEG || f->op == CT_ABS) return ct_half_sign_256(1, f->op, A, O, n);
    switch (f->op) {
#define CT_BF1_CASE(OP, SUF)                                                          \
    case OP:                                                                          \
        for (; i + 16 <= n; i += 16) {                                                \
            __m256 xl, xh;                                                            \
            CT_BF256_LD(A, xl, xh)                                                    \
            CT_BF256_ST(ct_hf256_op1(OP, xl), ct_hf256_op1(OP, xh))                  \
        }                                                                             \
        return i;
    CT_HF_CASES(CT_BF1_CASE, )
#undef CT_BF1_CASE
    }
    return 0;
}
CT_AVX2_INLINE __m256 ct_clamp8(__m256 v, __m256 lo, __m256 hi)
{
    v = _mm256_blendv_ps(v, lo, _mm256_cmp_ps(v, lo, _CMP_LT_OQ));
    return _mm256_blendv_ps(v, hi, _mm256_cmp_ps(v, hi, _CMP_GT_OQ));
}
/* clamp of halves / bfloat16 on AVX2: the float32 loop's two selects
 * (x < lo ? lo : x, then x > hi ? hi : x; a NaN stays) on the widened
 * values, the bounds float32 (half's rounded to half first, as its float
 * loop takes them) */
__attribute__((target("avx2,fma,f16c"))) static int64_t ct_clamp_lowp_256(const ct_half_fused *f,
                                                                        char **p, int64_t n)
{
    const uint16_t *A = (const uint16_t *)p[1];
    uint16_t *O = (uint16_t *)p[0];
    const __m256 lo = _mm256_set1_ps(f->lo), hi = _mm256_set1_ps(f->hi);
    int64_t i = 0;
    if (f->bf)
        for (; i + 16 <= n; i += 16) {
            __m256 xl, xh;
            CT_BF256_LD(A, xl, xh)
            CT_BF256_ST(ct_clamp8(xl, lo, hi), ct_clamp8(xh, lo, hi))
        }
    else
        for (; i + 8 <= n; i += 8) {
            const __m256 x = _mm256_cvtph_ps(CT_LOADU_H8(A + i));
            CT_STOREU_H8(O + i, _mm256_cvtps_ph(ct_clamp8(x, lo, hi), _MM_FROUND_TO_NEAREST_INT));
        }
    return i;
}
/* lerp, addcmul and addcdiv of halves / bfloat16 on AVX2: the float32
 * loops' expressions with the contractions GCC makes of them (a + c (b - a)
 * and a + v b c as one FMA, b - (b - a)(1 - c) as one FNMADD), so the same
 * floats, rounded once; a and b dense, c dense or one value (a float32 one
 * for lerp's Python weight, CT_T_LERP_W32) */
typedef struct { int op, bf; float v; ct_loop_fn fb; const void *fbx; } ct_lowp_tern;
CT_AVX2_INLINE __m256 ct_tern256(int op, __m256 a, __m256 b, __m256 c, __m256 v)
{
    if (op == CT_T_ADDCMUL) return _mm256_fmadd_ps(_mm256_mul_ps(v, b), c, a);
    if (op == CT_T_ADDCDIV) return _mm256_add_ps(a, _mm256_div_ps(_mm256_mul_ps(v, b), c));
    const __m256 t = _mm256_sub_ps(b, a);
    const __m256 near = _mm256_cmp_ps(_mm256_andnot_ps(_mm256_set1_ps(-0.0f), c), _mm256_set1_ps(0.5f),
                                      _CMP_LT_OQ);
    return _mm256_blendv_ps(_mm256_fnmadd_ps(t, _mm256_sub_ps(_mm256_set1_ps(1.0f), c), b),
                            _mm256_fmadd_ps(c, t, a), near);
}
#define CT_TERN256_LOOPS(CH, CB)                                                      \
    if (!bf)                                                                          \
        for (; i + 8 <= n; i += 8) {                                                  \
            const __m256 a = _mm256_cvtph_ps(CT_LOADU_H8(A + i));                     \
            const __m256 b = _mm256_cvtph_ps(CT_LOADU_H8(B + i));                     \
            CT_STOREU_H8(O + i, _mm256_cvtps_ph(ct_tern256(op, a, b, CH, v),            \
                                                _MM_FROUND_TO_NEAREST_INT));          \
        }                                                                             \
    else                                                                              \
        for (; i + 16 <= n; i += 16) {                                                \
            __m256 al, ah, bl, bh, cl = c1, ch = c1;                                  \
            CT_BF256_LD(A, al, ah)                                                    \
            CT_BF256_LD(B, bl, bh)                                                    \
            CB                                                                        \
            CT_BF256_ST(ct_tern256(op, al, bl, cl, v), ct_tern256(op, ah, bh, ch, v)) \
        }
CT_AVX2_INLINE int64_t ct_tern_run256(int op, int bf, const ct_lowp_tern *f, char **p,
                                      const int64_t *s, int64_t n)
{
    const uint16_t *A = (const uint16_t *)p[1], *B = (const uint16_t *)p[2];
    const uint16_t *C = (const uint16_t *)p[3];
    uint16_t *O = (uint16_t *)p[0];
    const __m256 v = _mm256_set1_ps(f->v);
    const __m256 c1 = op == CT_T_LERP_W32 ? _mm256_set1_ps(*(const float *)p[3])
                                          : ct_hf256_widen(_mm_set1_epi16((short)C[0]), bf);
    int64_t i = 0;
    if (s[3]) { CT_TERN256_LOOPS(_mm256_cvtph_ps(CT_LOADU_H8(C + i)), CT_BF256_LD(C, cl, ch)) }
    else { CT_TERN256_LOOPS(c1, ) }
    return i;
}
__attribute__((target("avx2,fma,f16c"))) static int64_t ct_tern_fused_256(const ct_lowp_tern *f,
                                                                        char **p, const int64_t *s,
                                                                        int64_t n)
{
#define CT_TERN_CASE(OP)                                                              \
    case OP: return f->bf ? ct_tern_run256(OP, 1, f, p, s, n) : ct_tern_run256(OP, 0, f, p, s, n);
    switch (f->op) {
    CT_TERN_CASE(CT_T_LERP) CT_TERN_CASE(CT_T_LERP_W32) CT_TERN_CASE(CT_T_ADDCMUL)
    CT_TERN_CASE(CT_T_ADDCDIV)
    }
#undef CT_TERN_CASE
    return 0;
}
#undef CT_TERN256_LOOPS
#undef CT_BF256_LOOP
#undef CT_BF256_ST
#undef CT_BF256_LD
#undef CT_HF_LOOP
#undef CT_HF_LD
#undef CT_BF_NARROW
#undef CT_HF1_CASE
#undef CT_HF2_CASE
#undef CT_HALF_FUSED_LOOPS
/* the widest fused loops this CPU runs (0: none) */
#define CT_HF_KIT() (ct_cpu_avx512f() ? 512 : ct_cpu_avx2() ? 256 : 0)
#endif

#ifdef CT_HAVE_AVX512_TABLES
/* 16 floats at a time to bfloat16 on AVX2 (ct_bf256_round; packus keeps the
 * order of two vectors' results within 128-bit halves, one permute fixes
 * the halves); returns the count done */
/* 16 floats (lo: the first 8) rounded to bfloat16 and stored in order */
CT_AVX2_INLINE void ct_bf256_store16(uint16_t *h, __m256 lo, __m256 hi)
{
    __m256i r = _mm256_packus_epi32(ct_bf256_round(lo), ct_bf256_round(hi));
    _mm256_storeu_si256((__m256i *)h, _mm256_permute4x64_epi64(r, 0xd8));
}
__attribute__((target("avx2,fma,f16c"))) static int64_t ct_f2bf_256(const float *f, uint16_t *h,
                                                                  int64_t n)
{
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) ct_bf256_store16(h + i, _mm256_loadu_ps(f + i), _mm256_loadu_ps(f + i + 8));
    return i;
}

__attribute__((target("avx2,fma,f16c"))) static int64_t ct_d2bf_256(const double *d, uint16_t *h,
                                                                  int64_t n)
{
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) ct_bf256_store16(h + i, ct_ld8_pd_ps(d + i), ct_ld8_pd_ps(d + i + 8));
    return i;
}
#endif

void ct_f2bf_contig(const float *f, uint16_t *h, int64_t n)
{
    int64_t i = 0;
#ifdef CT_HAVE_AVX512_TABLES
    if (ct_cpu_avx512bf16())
        i = ct_f2bf_512(f, h, n);
    else if (ct_cpu_avx2())
        i = ct_f2bf_256(f, h, n);
#endif
    ct_f2bf_ints(f + i, h + i, n - i);
}

/* the fused unary loops: how many of the n elements they did */
static int64_t ct_half_unary_kit(const ct_half_fused *f, char **p, const int64_t *s, int64_t n)
{
    int64_t i = 0;
#ifdef CT_HAVE_AVX512_TABLES
    if (f->op == CT_CLAMP)
        return s[0] == 2 && s[1] == 2 && ct_cpu_avx2() ? ct_clamp_lowp_256(f, p, n) : 0;
    const int kit = s[0] == 2 && s[1] == 2 ? CT_HF_KIT() : 0;
    if (kit == 512)
        i = f->bf && ct_cpu_avx512bf16() ? ct_half_fused1_512_bf(f, p, n) : ct_half_fused1_512(f, p, n);
    else if (kit == 256)
        i = f->bf ? ct_bf_fused1_256(f, p, n) : ct_half_fused1_256(f, p, n);
#else
    (void)f; (void)p; (void)s; (void)n;
#endif
    return i;
}

static void ct_half_unary_fused(CT_LOOP_ARGS)
{
    const ct_half_fused *f = (const ct_half_fused *)ex;
    int64_t i = ct_half_unary_kit(f, p, s, n);
    if (i < n) {
        char *q[2] = {p[0] + i * s[0], p[1] + i * s[1]};
        f->fb(q, s, n - i, f->fbx);
    }
}

static void ct_half_binary_fused(CT_LOOP_ARGS)
{
    const ct_half_fused *f = (const ct_half_fused *)ex;
    int64_t i = 0;
    if (f->op == CT_POW && s[2] == 0 && !(f->fin & 2)) {
        /* pow(x, 2) is x * x, exact in float for both formats (PyTorch's
         * float result rounded once): the fused square; bfloat16's scalar
         * forms of 0.5, -1 and -0.5 are sqrt, 1 / x and 1 / sqrt(x) in float
         * (the float loop's, which its launch takes; half's are powf's);
         * other exponents take the block-wise path */
        uint16_t e;
        memcpy(&e, p[2], 2);
        int u = e == 0x4000 ? CT_SQUARE                          /* 2.0 in both formats */
              : !f->bf ? -1 : e == 0x3f00 ? CT_SQRT : e == 0xbf80 ? CT_RECIPROCAL
              : e == 0xbf00 ? CT_RSQRT : -1;
        if (u >= 0) {
            ct_half_fused g = *f;
            g.op = u;
            i = ct_half_unary_kit(&g, p, s, n);
        }
    }
#ifdef CT_HAVE_AVX512_TABLES
    const int kit = f->op != CT_POW && s[0] == 2 && (s[1] == 2 || s[1] == 0) && (s[2] == 2 || s[2] == 0)
                    && (s[1] || s[2]) ? CT_HF_KIT() : 0;
    if (kit == 512)
        i = f->bf && ct_cpu_avx512bf16() ? ct_half_fused_512_bf(f, p, s, n)
                                         : ct_half_fused_512(f, p, s, n);
    else if (kit == 256)
        i = f->bf ? ct_bf_fused_256(f, p, s, n) : ct_half_fused_256(f, p, s, n);
#endif
    if (i < n) {
        char *q[3] = {p[0] + i * s[0], p[1] + i * s[1], p[2] + i * s[2]};
        f->fb(q, s, n - i, f->fbx);
    }
}

/* the ternary launches of halves / bfloat16: the fused loops where the
 * layout and CPU allow, the block-wise path (fb) for the rest */
static void ct_lowp_tern_fused(CT_LOOP_ARGS)
{
    const ct_lowp_tern *f = (const ct_lowp_tern *)ex;
    int64_t i = 0;
#ifdef CT_HAVE_AVX512_TABLES
    if (s[0] == 2 && s[1] == 2 && s[2] == 2 && (s[3] == 0 || (s[3] == 2 && f->op != CT_T_LERP_W32))
        && ct_cpu_avx2())
        i = ct_tern_fused_256(f, p, s, n);
#endif
    if (i < n) {
        char *q[4] = {p[0] + i * s[0], p[1] + i * s[1], p[2] + i * s[2], p[3] + i * s[3]};
        f->fb(q, s, n - i, f->fbx);
    }
}

/* runs a launch of float16 (half 1) or bfloat16 through the float32 loops:
 * fused where there are fused loops, block-wise otherwise */
static int ct_lowp_run(int kind, int op, ct_lowp_via *v, ct_params *P, const ct_iter *it)
{
    /* the inputs of unary and binary ops are of the launch's dtype */
    static const int lsz[CT_MAXARGS] = {0, 2, 2, 2};
    const int *isz = kind == CT_EW_UNARY || kind == CT_EW_BINARY ? lsz : NULL;
    if (ct_half_fused_op(kind, op)) {
        ct_half_fused f = {op, !v->half, ct_lowp_via_float, v, v->fin,
                           (P->flags & 1) ? (float)P->a : -__builtin_inff(),
                           (P->flags & 2) ? (float)P->b : __builtin_inff()};
        ct_run_sized(kind == CT_EW_BINARY ? ct_half_binary_fused : ct_half_unary_fused, &f, it->nargs,
                     it->ndim, it->shape, it->strides, it->ptr, it->grain, isz);
    } else if (kind == CT_EW_LERP && op != CT_T_FREXP && it->nargs == 4) {
        ct_lowp_tern f = {op, !v->half, (float)P->a, ct_lowp_via_float, v};
        ct_run_sized(ct_lowp_tern_fused, &f, it->nargs, it->ndim, it->shape, it->strides, it->ptr,
                     it->grain, isz);
    } else {
        ct_run_sized(ct_lowp_via_float, v, it->nargs, it->ndim, it->shape, it->strides, it->ptr,
                     it->grain, isz);
    }
    return P->err;
}

/* runs a bfloat16 launch (the dtype or the cast's input is bfloat16) */
static int ct_bf16_launch(int kind, int op, int dtype, ct_params *P, const ct_iter *it)
{
    if (kind == CT_EW_CAST) {
        if (op == dtype) {
            ct_run(ct_copy_loop(2), P, it->nargs, it->ndim, it->shape, it->strides, it->ptr,
                   it->grain);
            return P->err;
        }
        if (op == CT_BFLOAT16) {
            ct_loop_fn next = dtype == CT_FLOAT32 ? NULL : ct_cpu_loop(CT_EW_CAST, CT_FLOAT32, dtype);
            ct_run(dtype == CT_INT32 ? ct_cast_bf16_to_i32 : ct_cast_bf16_to,
                   (const void *)(uintptr_t)next, it->nargs, it->ndim,
                   it->shape, it->strides, it->ptr, it->grain);
        } else {
            ct_loop_fn prev = op == CT_FLOAT32 ? NULL : ct_cpu_loop(CT_EW_CAST, op, CT_FLOAT32);
            ct_run(op == CT_FLOAT64 ? ct_cast_f64_to_bf16 : ct_cast_to_bf16,
                   (const void *)(uintptr_t)prev, it->nargs, it->ndim, it->shape, it->strides,
                   it->ptr, it->grain);
        }
        return P->err;
    }
    if (kind == CT_EW_BINARY && op == CT_NEXTAFTER) {
        ct_run(ct_nextafter_bf16, P, it->nargs, it->ndim, it->shape, it->strides, it->ptr,
               it->grain);
        return P->err;
    }
    ct_lowp_via v = {ct_bf16_f32_loop(kind, op), P, 1, it->nargs - 1, 0, ct_lowp_fin(kind, op, P)};
    if (kind == CT_EW_UNARY && op != CT_ABS) v.low_out = ct_unary_rule[op] != CT_U_PRED;
    if (kind == CT_EW_BINARY) v.low_out = ct_binary_rule[op] != CT_R_CMP;
    return ct_lowp_run(kind, op, &v, P, it);
}

/* A binary launch over short rows (a 2-d space, rows of n <= 256) where each
 * operand is either whole rows laid end to end (outer stride n times the
 * inner one), one row broadcast to every row (outer stride 0, inner the
 * element size), or one value: the loop's call and its vector tail cost as
 * much as a short row's work (x (10000, 100) * b (100,) ran at 0.6x a loop
 * over 1e6 elements). Groups of R rows run as one row of R n elements, each
 * broadcast row copied R times into a buffer first; the rows past the last
 * whole group as they were. Returns 0 where the launch is not of this
 * kind. */
#define CT_ROWS_BUF 8192
static int ct_run_short_rows(ct_loop_fn fn, const void *ex, const ct_iter *it, int64_t isz)
{
    if (it->nargs != 3 || it->ndim != 2 || it->host) return 0;
    const int64_t rows = it->shape[0], n = it->shape[1];
    if (n > 256 || n < 1 || rows < 64) return 0;
    const int64_t *st = it->strides;
    int bcast = 0, nb = 0;                      /* which operands, how many */
    for (int k = 0; k < 3; k++) {
        int64_t s0 = st[2 * k], s1 = st[2 * k + 1];
        int whole = s1 != 0 && s0 == n * s1;
        int brow = k > 0 && s0 == 0 && s1 == isz;
        int one = k > 0 && s0 == 0 && s1 == 0;
        if (!(whole || brow || one)) return 0;
        bcast |= brow << k;
        nb += brow;
    }
    if (!nb) return 0;
    int64_t R = CT_ROWS_BUF / (n * isz * nb);
    if (R > rows / 4) R = rows / 4;
    if (R < 2) return 0;
    _Alignas(64) char buf[CT_ROWS_BUF];
    int64_t shape[2] = {rows / R, R * n}, strides[6];
    char *ptr[3];
    char *b = buf;
    for (int k = 0; k < 3; k++) {
        int64_t s0 = st[2 * k], s1 = st[2 * k + 1];
        ptr[k] = it->ptr[k];
        strides[2 * k] = R * s0;
        strides[2 * k + 1] = s1;
        if (bcast >> k & 1) {
            for (int64_t r = 0; r < R; r++) memcpy(b + r * n * isz, it->ptr[k], (size_t)(n * isz));
            ptr[k] = b;
            b += R * n * isz;
        }
    }
    ct_run(fn, ex, 3, 2, shape, strides, ptr, it->grain);
    int64_t done = shape[0] * R;
    if (done < rows) {
        int64_t rest[2] = {rows - done, n};
        char *q[3];
        for (int k = 0; k < 3; k++) q[k] = it->ptr[k] + done * st[2 * k];
        ct_run(fn, ex, 3, 2, rest, st, q, it->grain);
    }
    return 1;
}

/* A float add, sub, mul or div whose one input holds one value a row of the
 * last dim (inner stride 0: a bias over NCHW planes, a column of means) and
 * whose other input and output are dense rows of CT_ROWV_MIN_BYTES to
 * CT_ROWV_MAX_BYTES, CT_ROWV_MIN_ROWS rows or more: the row kernel takes a run of rows along
 * the next dim a call (the driver's call a row cost a third of the time of
 * rows of 49 floats, the short rows' copy of the column a third of rows of
 * 16), the rows cut evenly between the threads. Shorter rows are left to
 * the short rows' copies (rows of 4 floats ran 2.8 times as long here), longer
 * ones to the driver (its call a row costs little there). Returns 0 where
 * the launch is not of this kind. */
#define CT_ROWV_MIN_BYTES 64
#define CT_ROWV_MAX_BYTES 1024
#define CT_ROWV_MIN_ROWS 16
static int ct_run_rowv(ct_rowv_fn rf, const ct_iter *it, int64_t isz)
{
    const int nd = it->ndim, C = nd - 1, R = nd - 2;
    if (rf == NULL || it->nargs != 3 || nd < 2 || it->host) return 0;
    const int64_t *st = it->strides, n = it->shape[C];
    if (n * isz < CT_ROWV_MIN_BYTES || n * isz > CT_ROWV_MAX_BYTES || st[C] != isz) return 0;
    int v;                                      /* the operand with one value a row */
    if (st[nd + C] == isz && st[2 * nd + C] == 0) v = 2;
    else if (st[nd + C] == 0 && st[2 * nd + C] == isz) v = 1;
    else return 0;
    const int a = 3 - v;
    int64_t rows = 1;
    for (int d = 0; d < C; d++) rows *= it->shape[d];
    if (rows < CT_ROWV_MIN_ROWS) return 0;
    int nt = ct_get_num_threads();
    if (rows * n < it->grain || nt < 1) nt = 1;
    if (nt > rows) nt = (int)rows;
    CT_PARALLEL_IF(nt > 1, "omp parallel num_threads(nt)",
    {
        const int t = ct_thread_num();
        int64_t r = rows * t / nt, r1 = rows * (t + 1) / nt;
        while (r < r1) {
            /* row r's place: its index along each dim before the last */
            int64_t rest = r, off[3] = {0, 0, 0}, ir = 0;
            for (int d = R; d >= 0; d--) {
                int64_t i = rest % it->shape[d];
                rest /= it->shape[d];
                if (d == R) ir = i;
                for (int k = 0; k < 3; k++) off[k] += i * st[k * nd + d];
            }
            int64_t cnt = it->shape[R] - ir < r1 - r ? it->shape[R] - ir : r1 - r;
            rf(it->ptr[0] + off[0], it->ptr[a] + off[a], it->ptr[v] + off[v], st[R],
               st[a * nd + R], st[v * nd + R], cnt, n, v == 1);
            r += cnt;
        }
    });
    return 1;
}

/* ct_elementwise over the launch `it`: P->err is cleared, the loop runs
 * under the strided driver, and the loops' error flag is returned (CT_OK or
 * CT_ERR_ZERODIV). A (kind, op, dtype) without a kernel (has_kernel 0) runs
 * nothing and returns -1. P may be NULL for the kinds that take no
 * parameters. */
static int ct_cpu_elementwise(int kind, int op, int dtype, ct_params *P, const ct_iter *it)
{
    ct_loop_fn fn = ct_cpu_loop(kind, op, dtype);
    ct_params none;
    if (fn == NULL) return -1;
    if (P == NULL) {
        memset(&none, 0, sizeof(none));
        P = &none;
    }
    P->err = 0;
    /* same-dtype copies with short or transposed rows: typed 2-D loops */
    if (kind == CT_EW_CAST && op == dtype && it->nargs == 2 &&
        ct_copy_nd(ct_cpu_itemsize[dtype], it->ndim, it->shape, it->strides, it->ptr, it->grain))
        return CT_OK;
    if (kind == CT_EW_BINARY && op == CT_COPYSIGN && (dtype == CT_FLOAT16 || dtype == CT_BFLOAT16)) {
        ct_run(ct_copysign_bits16, NULL, it->nargs, it->ndim, it->shape, it->strides, it->ptr,
               it->grain);
        return CT_OK;
    }
    if (kind == CT_EW_UNARY && op == CT_NAN_TO_NUM && (dtype == CT_FLOAT16 || dtype == CT_BFLOAT16)) {
        /* on the patterns; the replacements rounded as the float loops'
         * results would be: to half from the double, to bfloat16 from float */
        ct_params bp = *P;
        const double r[3] = {P->a, P->b, P->c};
        double *w[3] = {&bp.a, &bp.b, &bp.c};
        for (int k = 0; k < 3; k++) {
            ct_half h = (ct_half)r[k];
            uint16_t u;
            memcpy(&u, &h, 2);
            *w[k] = dtype == CT_FLOAT16 ? u : ct_f2bf((float)r[k]);
        }
        ct_run(dtype == CT_FLOAT16 ? ct_nan_to_num_h16 : ct_nan_to_num_bf16, &bp, it->nargs, it->ndim,
               it->shape, it->strides, it->ptr, it->grain);
        return CT_OK;
    }
    if (fn == ct_bf16_marker) return ct_bf16_launch(kind, op, dtype, P, it);
    if (dtype == CT_FLOAT16 && (ct_half_via_float(kind, op) || ct_half_pred_via_float(kind, op))) {
        /* nan_to_num's replacements rounded to half first (then exact in
         * float), as the half loop rounds them; clamp's bounds too: where
         * an element compares otherwise with the rounded bound than with
         * the bound, it lies between the two, so it is the rounded bound,
         * the value the half loop gives (the same holds for lo > hi) */
        ct_params hp = *P;
        if (kind == CT_EW_UNARY && (op == CT_NAN_TO_NUM || op == CT_CLAMP)) {
            hp.a = (double)(ct_half)P->a;
            hp.b = (double)(ct_half)P->b;
            hp.c = (double)(ct_half)P->c;
        }
        ct_lowp_via v = {ct_cpu_loop(kind, op, CT_FLOAT32), &hp, ct_half_via_float(kind, op),
                         it->nargs - 1, 1, ct_lowp_fin(kind, op, P)};
        ct_lowp_run(kind, op, &v, &hp, it);
        P->err = hp.err;
        return P->err;
    }
    /* the inputs of a binary loop are of the launch's dtype */
    if (kind == CT_EW_BINARY && ct_run_rowv(ct_rowv_loop(op, dtype), it, ct_cpu_itemsize[dtype]))
        return P->err;
    if (kind == CT_EW_BINARY && ct_run_short_rows(fn, P, it, ct_cpu_itemsize[dtype]))
        return P->err;
    /* the inputs' element sizes, for the driver's buffered tiles: a unary or
     * binary loop's inputs are of the launch's dtype, a cast's of op's */
    int isz[CT_MAXARGS] = {0, 0, 0, 0};
    if (kind == CT_EW_UNARY || kind == CT_EW_BINARY || kind == CT_EW_CAST)
        for (int k = 1; k < it->nargs && k < CT_MAXARGS; k++)
            isz[k] = ct_cpu_itemsize[kind == CT_EW_CAST ? op : dtype];
    if (kind == CT_EW_WHERE && it->nargs == 4) {
        isz[1] = 1;                                 /* the bool condition */
        isz[2] = isz[3] = ct_cpu_itemsize[dtype];
    }
    ct_run_sized(fn, P, it->nargs, it->ndim, it->shape, it->strides, it->ptr, it->grain, isz);
    return P->err;
}

/* ---- float products through BLAS -------------------------------------------
 * The gemm entry points are bound on the first product (importing scipy is
 * slow, and `import ctorch` should not pay for it); zgemm is stored last, so
 * that it set means all four are. */

static ct_gemm_fn ct_cpu_sgemm = NULL, ct_cpu_dgemm = NULL, ct_cpu_cgemm = NULL,
                  ct_cpu_zgemm = NULL;

void ct_cpu_set_blas(ct_gemm_fn sgemm, ct_gemm_fn dgemm, ct_gemm_fn cgemm, ct_gemm_fn zgemm)
{
    static int looked = 0;
    ct_cpu_sgemm = sgemm;
    ct_cpu_dgemm = dgemm;
    ct_cpu_cgemm = cgemm;
    /* one gemm runs on one BLAS thread per ctorch thread when the BLAS is
     * OpenBLAS: look for its per-thread switch once, next to sgemm */
    if (!looked && sgemm != NULL) {
        looked = 1;
        ct_blas_find_local((void *)sgemm);
    }
    ct_cpu_zgemm = zgemm;
}

/* 0 once the BLAS is bound, -1 before */
static int ct_cpu_gemm_ready(void)
{
    return ct_cpu_sgemm && ct_cpu_dgemm && ct_cpu_cgemm && ct_cpu_zgemm ? 0 : -1;
}

/* ct_gemm_batched with the gemm and element size of the dtype (float32,
 * float64, complex64, complex128); any other dtype, or a BLAS not bound yet,
 * does nothing (the caller checks gemm_ready first). */
static void ct_cpu_gemm(int dtype, char t1, char t2, int M, int N, int K, const void *alpha,
                        char *P, int ld1, const int64_t *off1, char *Q, int ld2,
                        const int64_t *off2, const void *beta, char *C, int ldc, int64_t nb)
{
    ct_gemm_fn f;
    size_t es;
    /* float32 and float64 run ctorch's own kernels where the CPU has them */
    if (dtype == CT_FLOAT32
        && ct_sgemm_batched(t1, t2, M, N, K, *(const float *)alpha, (const float *)P, ld1, off1,
                            (const float *)Q, ld2, off2, *(const float *)beta, (float *)C,
                            ldc, nb) == 0)
        return;
    if (dtype == CT_FLOAT64
        && ct_dgemm_batched(t1, t2, M, N, K, *(const double *)alpha, (const double *)P, ld1,
                            off1, (const double *)Q, ld2, off2, *(const double *)beta,
                            (double *)C, ldc, nb) == 0)
        return;
    /* complex with real alpha and beta: one real product on those kernels */
    if (dtype == CT_COMPLEX64 && cimagf(*(const float _Complex *)alpha) == 0
        && cimagf(*(const float _Complex *)beta) == 0
        && ct_cgemm_via_real(t1, t2, M, N, K, crealf(*(const float _Complex *)alpha),
                             (const float *)P, ld1, off1, (const float *)Q, ld2, off2,
                             crealf(*(const float _Complex *)beta), (float *)C, ldc, nb) == 0)
        return;
    if (dtype == CT_COMPLEX128 && cimag(*(const double _Complex *)alpha) == 0
        && cimag(*(const double _Complex *)beta) == 0
        && ct_zgemm_via_real(t1, t2, M, N, K, creal(*(const double _Complex *)alpha),
                             (const double *)P, ld1, off1, (const double *)Q, ld2, off2,
                             creal(*(const double _Complex *)beta), (double *)C, ldc, nb) == 0)
        return;
    switch (dtype) {
    case CT_FLOAT32: f = ct_cpu_sgemm; es = 4; break;
    case CT_FLOAT64: f = ct_cpu_dgemm; es = 8; break;
    case CT_COMPLEX64: f = ct_cpu_cgemm; es = 8; break;
    case CT_COMPLEX128: f = ct_cpu_zgemm; es = 16; break;
    default: return;
    }
    if (f == NULL) return;
    /* the Fortran interface takes non-const pointers; it does not write alpha or beta */
    ct_gemm_batched(f, es, t1, t2, M, N, K, (void *)alpha, P, ld1, off1, Q, ld2, off2,
                    (void *)beta, C, ldc, nb);
}

/* ---- the table ----------------------------------------------------------- */

static int ct_cpu_copy(void *dst, const void *src, size_t nbytes) {
    if (nbytes) memmove(dst, src, nbytes);
    return 0;
}

/* The drivers below (convolutions, LSTM layers, linear algebra) run teams of
 * their own whose threads call this table's gemm: the BLAS is held on one
 * thread for the whole call (matmul.c's ct_blas_pin), so that those calls
 * change nothing of its settings */
#define CT_CPU_PINNED(CALL)                                                        \
    do {                                                                           \
        int pin_ = ct_blas_pin();                                                  \
        int rc_ = CALL;                                                            \
        ct_blas_unpin(pin_);                                                       \
        return rc_;                                                                \
    } while (0)

/* ---- the fused convolution drivers (conv.h) on this table's gemm ---------- */

static int ct_cpu_conv_im2col_mm(int dtype, int64_t es, const char *src, const char *w, char *y,
                                 int64_t N, int64_t C, int64_t G, int64_t R, const ct_conv_geom *g)
{
    CT_CPU_PINNED(ct_conv_im2col_mm(ct_cpu_gemm, dtype, es, src, w, y, N, C, G, R, g));
}

static int ct_cpu_conv_mm_col2im(int dtype, int64_t es, const char *src, const char *w, char *y,
                                 int64_t N, int64_t Cq, int64_t G, int64_t R, const ct_conv_geom *g)
{
    CT_CPU_PINNED(ct_conv_mm_col2im(ct_cpu_gemm, dtype, es, src, w, y, N, Cq, G, R, g));
}

static int ct_cpu_conv_wgrad(int dtype, int64_t es, const char *a, const char *src, char *gw,
                             int64_t N, int64_t C, int64_t G, int64_t R, const ct_conv_geom *g)
{
    CT_CPU_PINNED(ct_conv_wgrad(ct_cpu_gemm, dtype, es, a, src, gw, N, C, G, R, g));
}

static int ct_cpu_conv_im2col_mm_bias(int dtype, int64_t es, const char *src, const char *w,
                                      const char *bias, char *y, int64_t N, int64_t C, int64_t G,
                                      int64_t R, const ct_conv_geom *g)
{
    CT_CPU_PINNED(ct_conv_im2col_mm_bias(ct_cpu_gemm, dtype, es, src, w, bias, y, N, C, G, R,
                                         g));
}

static int ct_cpu_conv_mm_col2im_bs(int dtype, int64_t es, const char *src, int64_t sn,
                                    const char *w, char *y, int64_t N, int64_t Cq, int64_t G,
                                    int64_t R, const ct_conv_geom *g)
{
    CT_CPU_PINNED(ct_conv_mm_col2im_bs(ct_cpu_gemm, dtype, es, src, sn, w, y, N, Cq, G, R, g));
}

static int ct_cpu_conv_wgrad_bias(int dtype, int64_t es, const char *a, int64_t an,
                                  const char *src, char *gw, char *gb, int64_t N, int64_t C,
                                  int64_t G, int64_t R, const ct_conv_geom *g)
{
    CT_CPU_PINNED(ct_conv_wgrad_bias(ct_cpu_gemm, dtype, es, a, an, src, gw, gb, N, C, G, R,
                                     g));
}

/* ---- whole LSTM layers (nnmisc.h) on this table's gemm ---------------------- */

static int ct_cpu_lstm_seq_fwd(int dtype, int64_t T, int64_t B, int64_t H, int64_t In,
                               const char *x, const char *wih_t, const char *bias,
                               const char *whh_t, const char *h0, const char *c0, char *gates,
                               char *out, char *cs, char *tc, int save, int reverse)
{
    CT_CPU_PINNED(ct_lstm_seq_fwd(ct_cpu_gemm, dtype, T, B, H, In, x, wih_t, bias, whh_t, h0,
                                  c0, gates, out, cs, tc, save, reverse));
}

static int ct_cpu_lstm_seq_bwd(int dtype, int64_t T, int64_t B, int64_t H, const char *dout,
                               const char *dhn, const char *dcn, const char *a, const char *tc,
                               const char *cs, const char *c0, const char *w_hh, char *dg,
                               char *dh0, char *dc0, int reverse)
{
    CT_CPU_PINNED(ct_lstm_seq_bwd(ct_cpu_gemm, dtype, T, B, H, dout, dhn, dcn, a, tc, cs, c0,
                                  w_hh, dg, dh0, dc0, reverse));
}

/* ---- dense linear algebra (linalg.h) on this table's gemm (unblocked
 * while no BLAS is bound) ---------------------------------------------------- */

static ct_la_gemm_fn ct_cpu_la_gemm(void)
{
    return ct_cpu_gemm_ready() == 0 ? ct_cpu_gemm : NULL;
}

static int ct_cpu_la_lu(int dtype, const void *src, void *dst, int64_t nb, int64_t m, int64_t n,
                        int32_t *piv, int32_t *info)
{
    CT_CPU_PINNED(ct_la_lu(ct_cpu_la_gemm(), dtype, src, dst, nb, m, n, piv, info));
}

static int ct_cpu_la_trsm(int dtype, const void *T, int64_t tbs, int64_t rs, int64_t cs,
                          int upper, int unit, const void *B, int64_t bbs, void *X, int64_t nb,
                          int64_t n, int64_t k, int xrow)
{
    CT_CPU_PINNED(ct_la_trsm(ct_cpu_la_gemm(), dtype, T, tbs, rs, cs, upper, unit, B, bbs, X, nb,
                             n, k, xrow));
}

static int ct_cpu_la_lu_solve(int dtype, const void *LU, int64_t lbs, const int32_t *piv,
                              int64_t pbs, const void *B, int64_t bbs, void *X, int64_t nb,
                              int64_t n, int64_t k, int xrow, int trans)
{
    CT_CPU_PINNED(ct_la_lu_solve(ct_cpu_la_gemm(), dtype, LU, lbs, piv, pbs, B, bbs, X, nb, n,
                                 k, xrow, trans));
}

static int ct_cpu_la_qr(int dtype, const void *src, void *q, void *r, int64_t nb, int64_t m,
                        int64_t n, int64_t qc, int64_t rr)
{
    CT_CPU_PINNED(ct_la_qr(ct_cpu_la_gemm(), dtype, src, q, r, nb, m, n, qc, rr));
}

static int ct_cpu_la_orgqr(int dtype, const void *a, const void *tau, void *q, int64_t nb,
                           int64_t m, int64_t n, int64_t k)
{
    CT_CPU_PINNED(ct_la_orgqr(ct_cpu_la_gemm(), dtype, a, tau, q, nb, m, n, k));
}

static int ct_cpu_la_geqrf(int dtype, const void *src, void *h, void *tau, int64_t nb, int64_t m,
                           int64_t n)
{
    CT_CPU_PINNED(ct_la_geqrf(ct_cpu_la_gemm(), dtype, src, h, tau, nb, m, n));
}

static int ct_cpu_la_ormqr(int dtype, const void *h, const void *tau, void *c, int64_t nb,
                           int64_t m, int64_t na, int64_t k, int64_t mc, int64_t nc, int left,
                           int trans)
{
    CT_CPU_PINNED(ct_la_ormqr(ct_cpu_la_gemm(), dtype, h, tau, c, nb, m, na, k, mc, nc, left,
                              trans));
}

static int ct_cpu_la_cholesky(int dtype, const void *src, void *dst, int64_t nb, int64_t n,
                              int32_t *info)
{
    CT_CPU_PINNED(ct_la_cholesky(ct_cpu_la_gemm(), dtype, src, dst, nb, n, info));
}

#include "rearrange.h"
#include "cross.h"
#include "dist.h"
#include "fft.h"

const ct_backend ct_cpu_backend = {
    .name = "cpu",

    .alloc = ct_alloc,
    .free = ct_free,
    .empty_cache = ct_empty_cache,
    .to_host = ct_cpu_copy,
    .from_host = ct_cpu_copy,

    .has_kernel = ct_cpu_has_kernel,
    .elementwise = ct_cpu_elementwise,

    .sum_rows = ct_sum_rows_loops,
    .sum_cols = ct_sum_cols_loops,
    .sum_mid = ct_sum_mid_loops,
    .minmax = ct_minmax_loops,
    .median = ct_median_loops,
    .prod = ct_prod_loops,
    .cum = ct_cum_loops,
    .softmax = ct_softmax_loops,
    .nansum_rows = ct_nansum_rows_loops,
    .cumext = ct_cumext_loops,

    .mm = ct_mm_loops,
    .gemm_ready = ct_cpu_gemm_ready,
    .gemm = ct_cpu_gemm,
    .gemm_half = ct_half_gemm,

    .copy_rows = ct_copy_rows,
    .index_select = ct_index_select,
    .gather = ct_gather_for,
    .scatter = ct_scatter_for,
    .scatter_add = ct_scatter_add_loops,
    .index_add = ct_index_add_loops,
    .scatter_reduce = ct_scatter_reduce_loops,

    .sort = ct_sort_loops,
    .sort_scratch_bytes = ct_sort_scratch_bytes,
    .topk = ct_topk_loops,
    .kth = ct_kth_loops,
    .search = ct_search_loops,
    .sorter_bad = ct_sorter_bad,

    .uniform = ct_rand_uniform_loops,
    .normal = ct_rand_normal_loops,
    .int64_range = ct_rand_int64_range,
    .randperm = ct_randperm_int64,

    .bernoulli_scalar = ct_bernoulli_scalar_loops,
    .prob_invalid = ct_prob_invalid_f64,
    .bernoulli_tensor = ct_bernoulli_tensor,
    .dropout = ct_dropout_loops,
    .multinomial_check = ct_multinomial_check,
    .multinomial_repl = ct_multinomial_repl,
    .multinomial_norepl = ct_multinomial_norepl,
    .rate_invalid = ct_rate_invalid_f64,
    .poisson = ct_poisson,
    .binomial = ct_binomial,

    .histogram = ct_histogram_loops,
    .minmax_range = ct_minmax_range_loops,
    .minmax_i64 = ct_minmax_i64,
    .bincount = ct_bincount,

    .gelu = ct_gelu_loops,
    .gelu_bwd = ct_gelu_bwd_loops,
    .nll = ct_nll_loops,
    .nll_bwd = ct_nll_bwd_loops,

    .max_pool = ct_max_pool_loops,
    .avg_pool = ct_avg_pool_loops,
    .adaptive_max_pool = ct_adaptive_max_pool_loops,
    .adaptive_avg_pool = ct_adaptive_avg_pool_loops,
    .avg_pool_bwd = ct_avg_pool_bwd_loops,
    .adaptive_avg_pool_bwd = ct_adaptive_avg_pool_bwd_loops,
    .pool_scatter = ct_pool_scatter_loops,
    .bn_stats = ct_bn_stats_loops,
    .bn_apply = ct_bn_apply_loops,
    .bn_bwd_reduce = ct_bn_bwd_reduce_loops,
    .bn_bwd_apply = ct_bn_bwd_apply_loops,
    .ln_fwd = ct_ln_fwd_loops,
    .ln_bwd = ct_ln_bwd_loops,
    .gn_fwd = ct_gn_fwd_loops,
    .gn_bwd = ct_gn_bwd_loops,
    .lstm_bwd = ct_lstm_bwd_loops,
    .lstm_fwd = ct_lstm_fwd_loops,
    .im2col = ct_im2col_loops,
    .col2im = ct_col2im_loops,
    .conv_im2col_mm = ct_cpu_conv_im2col_mm,
    .conv_mm_col2im = ct_cpu_conv_mm_col2im,
    .conv_wgrad = ct_cpu_conv_wgrad,
    .special_poly = ct_special_poly,
    .special_digamma = ct_special_digamma,
    .special_erfinv = ct_special_erfinv,
    .act = ct_act_loops,
    .act_bwd = ct_act_bwd_loops,
    .ploss = ct_ploss_loops,
    .ploss_bwd = ct_ploss_bwd_loops,
    .glu = ct_glu_loops,
    .prelu = ct_prelu_loops,
    .ebag_check = ct_ebag_check,
    .ebag = ct_ebag_loops,
    .ebag_bwd = ct_ebag_bwd_loops,
    .grid_sample = ct_grid_sample_loops,
    .grid_sample_bwd = ct_grid_sample_bwd_loops,
    .sgd_update = ct_sgd_loops,
    .adam_update = ct_adam_loops,
    .special_erfc = ct_special_erfc,
    .special_logit = ct_special_logit,
    .flip = ct_flip,
    .tri = ct_tri,
    .pad_constant = ct_pad_constant,
    .pad_map = ct_pad_map,
    .taps = ct_taps,
    .cum_inner = ct_cum_inner,
    .arange = ct_arange,
    .linspace = ct_linspace,
    .reduce_cols = ct_reduce_cols,
    /* ---- shape / composite ops */
    .cross = ct_cross,
    .dist = ct_dist,
    /* ---- dense linear algebra */
    .la_lu = ct_cpu_la_lu,
    .la_trsm = ct_cpu_la_trsm,
    .la_lu_solve = ct_cpu_la_lu_solve,
    .la_cholesky = ct_cpu_la_cholesky,
    .la_ldl = ct_la_ldl,
    .la_qr = ct_cpu_la_qr,
    .la_orgqr = ct_cpu_la_orgqr,
    .la_geqrf = ct_cpu_la_geqrf,
    .la_ormqr = ct_cpu_la_ormqr,
    /* ---- index ops */
    .index_outside = ct_index_outside,
    /* ---- order statistics along a dim */
    .ostat = ct_ostat_loops,
    .ostat_scratch_bytes = ct_ostat_scratch_bytes,
    .cumext_inner = ct_cumext_inner,
    .unique_consec = ct_unique_consec,
    /* ---- fused row reductions */
    .reduce_rows = ct_reduce_rows,
    /* ---- Bessel, Airy, xlogy, incomplete gamma */
    .special_bessel = ct_special_bessel,
    .special_xlogy = ct_special_xlogy,
    .special_igamma = ct_special_igamma,
    .histogramdd = ct_histogramdd,
    .cat_rows = ct_cat_rows,
    /* ---- softmax along a middle dim, softmax backward */
    .softmax_dim = ct_softmax_dim,
    /* ---- discrete Fourier transforms of short dense rows */
    .fft_c2c = ct_fft_c2c,
    .fft_r2c = ct_fft_r2c,
    .fft_c2r = ct_fft_c2r,
    /* ---- multivariate log-gamma */
    .special_mvlgamma = ct_special_mvlgamma,
    /* ---- discrete Fourier transforms along a middle dim */
    .fft_c2c_dim = ct_fft_c2c_dim,
    .fft_hermitian = ct_fft_hermitian,
    /* ---- Hurwitz zeta */
    .special_zeta = ct_special_zeta,
    /* ---- the fused convolution drivers with their extras */
    .conv_im2col_mm_bias = ct_cpu_conv_im2col_mm_bias,
    .conv_mm_col2im_bs = ct_cpu_conv_mm_col2im_bs,
    .conv_wgrad_bias = ct_cpu_conv_wgrad_bias,
    /* ---- whole LSTM layers */
    .lstm_seq_fwd = ct_cpu_lstm_seq_fwd,
    .lstm_seq_block = ct_lstm_seq_block,
    .lstm_seq_bwd = ct_cpu_lstm_seq_bwd,
    /* ---- equal */
    .equal_dense = ct_equal_dense,
    .sum_step = ct_sum_step,
    .count_nonzero_dense = ct_count_nonzero_dense,
};
