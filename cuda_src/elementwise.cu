// ctorch's elementwise kernels: unary and binary ops, casts (and fills),
// where and lerp. Each computes what the CPU loop of the same op and dtype
// computes (ctorch/_kernels/elementwise.c); the op codes and the dtypes each
// op has come from the same rows (elementwise_ops.def).
//
// Kernels (all take a ct_ew_args, kernel_args.h; sfx is b u8 i8 i16 i32 i64
// f16 f32 f64 c64 c128):
//   ct_ew_unary_<sfx>    a.op a unary op code; operand 1 of dtype a.dtype;
//                        operand 0 bool for isnan/isinf/isfinite/logical_not,
//                        the real type for abs of a complex, else a.dtype
//   ct_ew_binary_<sfx>   a.op a binary op code; operands 1, 2 of dtype
//                        a.dtype; operand 0 bool for eq..logical_xor, else
//                        a.dtype. Integer division by zero writes 0 and sets
//                        the int32 at device address a.err to 1
//   ct_ew_cast_<sfx>     operand 1 of dtype a.dtype (sfx), operand 0 of
//                        dtype a.dtype_out (a fill: operand 1 a scalar)
//   ct_ew_where_w<1|2|4|8|16>  out = cond ? x : y by element width (bytes)
//   ct_ew_lerp_<sfx but b>  a.op CT_T_LERP: out = lerp(a, b, c) (floats,
//                        complex); CT_T_ADDCMUL: out = a + v b c; CT_T_ADDCDIV:
//                        out = a + v b / c (floats, complex); v: pa (+ i pb),
//                        pia for integers
// An (op, dtype) pair the CPU has no loop for writes nothing.
//
// Operand k (operand 0 the output) at element i (C order over a.shape):
// a.scal[k] when bit k of a.scalar_mask is set; else ptr[k] + i * strides[k][0]
// when a.contig (ndim 1); else ptr[k] + sum_d idx_d * strides[k][d] (byte
// strides, any sign). Any launch shape is correct (grid-stride loops, no
// dependence on block order); the contiguous loops of the light ops handle
// CT_EW_UNROLL (4) elements a thread per pass, so 256 threads x
// min(ceil(n / 1024), 32 * SMs) blocks is enough to fill the chip.
//
// Bit-identity with the CPU rests on:
// - products that meet an addition written as ct_mul (__fmul_rn/__dmul_rn,
//   which nvcc never fuses into an fma), and the explicit fmaf that GCC
//   emits for fastmath.h's ct_expf in the x86-64-v3/v4 clones run by every
//   FMA machine (exp and sigmoid of half and float);
// - complex * and / as libgcc 12's inline multiply + __mulsc3/__muldc3 and
//   __divsc3 (computed in double) / __divdc3 (scaled Smith); GCC's
//   real-and-complex mixes ((x, 0) op z only where GCC makes it so, and
//   x + I * y as (x + 0 * y, y)); complex abs as glibc 2.35+'s hypotf /
//   hypot; float -> integer as x86's cvtt (INT64_MIN when out of range,
//   then narrowed); half from double or int64 rounded once;
// - the transcendental functions (sin, exp2, log, pow, atan2, erf, the
//   complex exp, log, sqrt, sin, asin ...) are CUDA's libm on the GPU, not
//   glibc's: those results can differ in the last bits (and the complex ones
//   in their special values); the host build (g++) calls glibc's and matches.
#include "ct_cuda.cuh"
#include "ct_fastmath.cuh"

/* ---- op codes and the dtypes each op has, from the op list ------------- */

#include "../ctorch/_kernels/elementwise_codes.h"

/* CT_ROW_<dtypes> of elementwise.c as bit masks over the dtype codes */
enum : unsigned {
    CTM_ALL = 0x7FFu, CTM_NUM = 0x7FEu, CTM_REAL = 0x1FFu, CTM_INTREAL = 0x1FEu,
    CTM_FLOAT = 0x1C0u, CTM_FLOATC = 0x7C0u, CTM_CPLX = 0x600u, CTM_BITS = 0x3Fu, CTM_INT = 0x3Eu
};

#if CT_HOST_BUILD
#define CT_UNROLL _Pragma("GCC unroll 8")
#define CT_NO_UNROLL _Pragma("GCC unroll 1")
#else
#define CT_UNROLL _Pragma("unroll")
#define CT_NO_UNROLL _Pragma("unroll 1")
#endif
#define CT_EW_UNROLL 4
/* long math used by several ops and dtypes: compiled once, called */
#if CT_HOST_BUILD
#define CT_NI inline
#else
#define CT_NI __device__ __noinline__
#endif
#define CT_CEXPR __host__ __device__ constexpr     /* usable in if constexpr of device code */

/* ---- element types ---------------------------------------------------- */

template <class R> struct ct_cx { R re, im; };     /* complex in memory: re, im */
struct ct_w16 { uint64_t lo, hi; };                /* a 16-byte element (where) */
struct ct_nil {};                                  /* no operand */

enum { K_BOOL, K_INT, K_HALF, K_FLT, K_CPX };
template <int D> struct ct_dt;
#define CT_DT(D, TT, K) template <> struct ct_dt<D> { typedef TT T; static constexpr int kind = K; };
CT_DT(CTK_BOOL, uint8_t, K_BOOL)
CT_DT(CTK_UINT8, uint8_t, K_INT)
CT_DT(CTK_INT8, int8_t, K_INT)
CT_DT(CTK_INT16, int16_t, K_INT)
CT_DT(CTK_INT32, int32_t, K_INT)
CT_DT(CTK_INT64, int64_t, K_INT)
CT_DT(CTK_FLOAT16, ct_f16, K_HALF)
CT_DT(CTK_FLOAT32, float, K_FLT)
CT_DT(CTK_FLOAT64, double, K_FLT)
CT_DT(CTK_COMPLEX64, ct_cx<float>, K_CPX)
CT_DT(CTK_COMPLEX128, ct_cx<double>, K_CPX)
#undef CT_DT

template <class T> struct ct_real_of { typedef T type; };
template <class R> struct ct_real_of<ct_cx<R>> { typedef R type; };
template <class A, class B> struct ct_same { static constexpr bool value = false; };
template <class A> struct ct_same<A, A> { static constexpr bool value = true; };
template <int N> struct ct_dep_false { static constexpr bool value = false; };
template <class T> CT_CEXPR bool ct_signed() { return (T)-1 < (T)0; }

/* the scalar parameters (ct_params) */
struct ct_prm {
    double a, b, c;
    int64_t ia, ib;
    int flags;
    int *err;
};
CT_DEV ct_prm ct_make_prm(const ct_ew_args &a) {
    ct_prm p;
    p.a = a.pa; p.b = a.pb; p.c = a.pc;
    p.ia = a.pia; p.ib = a.pib;
    p.flags = a.pflags;
    p.err = (int *)(uintptr_t)a.err;
    return p;
}

/* ---- floating point helpers -------------------------------------------- */

/* half from double and from int64, rounded once (ct_mul/ct_add/ct_sub, the
 * products and sums nvcc never contracts, are in ct_fastmath.cuh) */
#if CT_HOST_BUILD
CT_DEV ct_f16 ct_d2h(double d) { return (ct_f16)d; }
CT_DEV ct_f16 ct_i2h(int64_t i) { return (ct_f16)i; }
#else
CT_DEV ct_f16 ct_d2h(double d) { return __double2half(d); }
CT_DEV ct_f16 ct_i2h(int64_t i) { return __ll2half_rn((long long)i); }
#endif

/* libm by type: fname(float) / name(double); the device's own on the GPU.
 * CT_DEV: short, inlined; CT_NI: long, one copy called by every op and
 * dtype (half and float share the float ones) */
#define CT_M1(Q, NAME)                                                         \
    Q float ct_m_##NAME(float x) { return ::NAME##f(x); }                      \
    Q double ct_m_##NAME(double x) { return ::NAME(x); }
CT_M1(CT_DEV, fabs) CT_M1(CT_DEV, sqrt) CT_M1(CT_DEV, floor) CT_M1(CT_DEV, ceil)
CT_M1(CT_DEV, trunc) CT_M1(CT_DEV, rint)
CT_M1(CT_NI, exp) CT_M1(CT_NI, exp2) CT_M1(CT_NI, expm1) CT_M1(CT_NI, log) CT_M1(CT_NI, log2)
CT_M1(CT_NI, log10) CT_M1(CT_NI, log1p) CT_M1(CT_NI, sin) CT_M1(CT_NI, cos) CT_M1(CT_NI, tan)
CT_M1(CT_NI, asin) CT_M1(CT_NI, acos) CT_M1(CT_NI, atan) CT_M1(CT_NI, sinh) CT_M1(CT_NI, cosh)
CT_M1(CT_NI, tanh) CT_M1(CT_NI, asinh) CT_M1(CT_NI, acosh) CT_M1(CT_NI, atanh) CT_M1(CT_NI, erf)
#undef CT_M1
#define CT_M2(Q, NAME)                                                         \
    Q float ct_m_##NAME(float x, float y) { return ::NAME##f(x, y); }          \
    Q double ct_m_##NAME(double x, double y) { return ::NAME(x, y); }
CT_M2(CT_DEV, copysign) CT_M2(CT_NI, fmod) CT_M2(CT_NI, pow) CT_M2(CT_NI, atan2)
CT_M2(CT_NI, hypot) CT_M2(CT_NI, nextafter)
#undef CT_M2

template <class F> CT_DEV F ct_inf() { return (F)__longlong_as_double(0x7ff0000000000000LL); }
template <class F> CT_DEV bool ct_isnan(F x) { return x != x; }
template <class F> CT_DEV bool ct_isinf(F x) { return x == ct_inf<F>() || x == -ct_inf<F>(); }
template <class F> CT_DEV bool ct_isfinite(F x) { return x == x && !ct_isinf(x); }
CT_DEV bool ct_issignaling(float x) {
    uint32_t u = (uint32_t)__float_as_int(x);
    return (u & 0x7fffffffu) > 0x7f800000u && !(u & 0x00400000u);
}
CT_DEV bool ct_issignaling(double x) {
    uint64_t u = (uint64_t)__double_as_longlong(x);
    return (u & 0x7fffffffffffffffull) > 0x7ff0000000000000ull && !(u & 0x0008000000000000ull);
}

/* the sign bit (set for -0 and negative NaNs too) */
CT_DEV bool ct_signbit(float x) { return __float_as_int(x) < 0; }
CT_DEV bool ct_signbit(double x) { return __double_as_longlong(x) < 0; }

/* float -> int64 as x86's cvttss2si / cvttsd2si: INT64_MIN when out of range */
template <class F> CT_DEV int64_t ct_f2i64(F x) {
    return (x >= (F)-9223372036854775808.0 && x < (F)9223372036854775808.0) ? (int64_t)x
                                                                          : INT64_MIN;
}

CT_DEV float ct_expx(float x) { return ct_expf(x); }      /* sigmoid's exp */
CT_DEV double ct_expx(double x) { return ct_m_exp(x); }

/* Python-style floor division and remainder (elementwise.c) */
template <class F> CT_DEV F ct_divfloor(F a, F b) {
    if (b == 0) return a / b;
    F mod = ct_m_fmod(a, b);
    F div = ct_sub(a, mod) / b;
    if (mod != 0 && ((b < 0) != (mod < 0))) div = ct_sub(div, (F)1);
    if (div == 0) return ct_m_copysign((F)0, a / b);
    F fl = ct_m_floor(div);
    if (ct_sub(div, fl) > (F)0.5) fl = ct_add(fl, (F)1);
    return fl;
}
template <class F> CT_DEV F ct_remainder(F a, F b) {
    F r = ct_m_fmod(a, b);
    if (r != 0 && ((b < 0) != (r < 0))) r = ct_add(r, b);
    return r;
}
/* round(decimals) as PyTorch's: 10^|decimals| (the call's P.b) in the compute
 * type F, the scaled value rounded half to even in F and scaled back */
template <class F> CT_DEV F ct_round_dec(F x, const ct_prm &P) {
    const F m = (F)P.b;
    return P.a > 0 ? ct_m_rint(ct_mul(x, m)) / m : ct_mul(ct_m_rint(x / m), m);
}
CT_DEV double ct_nan_to_num(double x, const ct_prm &P) {
    return x != x ? P.a : (x == ct_inf<double>() ? P.b : (x == -ct_inf<double>() ? P.c : x));
}
CT_DEV double ct_clamp_f(double x, const ct_prm &P) {
    if ((P.flags & 1) && x < P.a) x = P.a;
    if ((P.flags & 2) && x > P.b) x = P.b;
    return x;
}
CT_DEV int64_t ct_clamp_i(int64_t x, const ct_prm &P) {
    if ((P.flags & 1) && x < P.ia) x = P.ia;
    if ((P.flags & 2) && x > P.ib) x = P.ib;
    return x;
}

/* ---- complex arithmetic as GCC / libgcc 12 compute it ------------------- */

/* z * w: GCC's inline product, and __mulsc3 / __muldc3 when both parts are NaN */
template <class R> CT_NI ct_cx<R> ct_cmul_nan(R a, R b, R c, R d, R x, R y) {
    R ac = ct_mul(a, c), bd = ct_mul(b, d), ad = ct_mul(a, d), bc = ct_mul(b, c);
    bool recalc = false;
    {
        if (ct_isinf(a) || ct_isinf(b)) {
            a = ct_m_copysign(ct_isinf(a) ? (R)1 : (R)0, a);
            b = ct_m_copysign(ct_isinf(b) ? (R)1 : (R)0, b);
            if (ct_isnan(c)) c = ct_m_copysign((R)0, c);
            if (ct_isnan(d)) d = ct_m_copysign((R)0, d);
            recalc = true;
        }
        if (ct_isinf(c) || ct_isinf(d)) {
            c = ct_m_copysign(ct_isinf(c) ? (R)1 : (R)0, c);
            d = ct_m_copysign(ct_isinf(d) ? (R)1 : (R)0, d);
            if (ct_isnan(a)) a = ct_m_copysign((R)0, a);
            if (ct_isnan(b)) b = ct_m_copysign((R)0, b);
            recalc = true;
        }
        if (!recalc && (ct_isinf(ac) || ct_isinf(bd) || ct_isinf(ad) || ct_isinf(bc))) {
            if (ct_isnan(a)) a = ct_m_copysign((R)0, a);
            if (ct_isnan(b)) b = ct_m_copysign((R)0, b);
            if (ct_isnan(c)) c = ct_m_copysign((R)0, c);
            if (ct_isnan(d)) d = ct_m_copysign((R)0, d);
            recalc = true;
        }
        if (recalc) {
            x = ct_mul(ct_inf<R>(), ct_sub(ct_mul(a, c), ct_mul(b, d)));
            y = ct_mul(ct_inf<R>(), ct_add(ct_mul(a, d), ct_mul(b, c)));
        }
    }
    return ct_cx<R>{x, y};
}
template <class R> CT_DEV ct_cx<R> ct_cmul(ct_cx<R> z, ct_cx<R> w) {
    R a = z.re, b = z.im, c = w.re, d = w.im;
    R x = ct_sub(ct_mul(a, c), ct_mul(b, d)), y = ct_add(ct_mul(a, d), ct_mul(b, c));
    if (ct_isnan(x) && ct_isnan(y)) return ct_cmul_nan(a, b, c, d, x, y);
    return ct_cx<R>{x, y};
}

/* the NaN + iNaN recovery that ends __divsc3 / __divdc3 */
template <class R> CT_DEV void ct_cdiv_fix(R a, R b, R c, R d, R &x, R &y) {
    if (ct_isnan(x) && ct_isnan(y)) {
        const R inf = ct_inf<R>();
        if (c == 0 && d == 0 && (!ct_isnan(a) || !ct_isnan(b))) {
            x = ct_mul(ct_m_copysign(inf, c), a);
            y = ct_mul(ct_m_copysign(inf, c), b);
        } else if ((ct_isinf(a) || ct_isinf(b)) && ct_isfinite(c) && ct_isfinite(d)) {
            a = ct_m_copysign(ct_isinf(a) ? (R)1 : (R)0, a);
            b = ct_m_copysign(ct_isinf(b) ? (R)1 : (R)0, b);
            x = ct_mul(inf, ct_add(ct_mul(a, c), ct_mul(b, d)));
            y = ct_mul(inf, ct_sub(ct_mul(b, c), ct_mul(a, d)));
        } else if ((ct_isinf(c) || ct_isinf(d)) && ct_isfinite(a) && ct_isfinite(b)) {
            c = ct_m_copysign(ct_isinf(c) ? (R)1 : (R)0, c);
            d = ct_m_copysign(ct_isinf(d) ? (R)1 : (R)0, d);
            x = ct_mul((R)0, ct_add(ct_mul(a, c), ct_mul(b, d)));
            y = ct_mul((R)0, ct_sub(ct_mul(b, c), ct_mul(a, d)));
        }
    }
}

/* __divsc3: the plain formula in double, rounded to float */
CT_NI ct_cx<float> ct_cdiv(ct_cx<float> z, ct_cx<float> w) {
    float a = z.re, b = z.im, c = w.re, d = w.im;
    double aa = a, bb = b, cc = c, dd = d;
    double denom = ct_add(ct_mul(cc, cc), ct_mul(dd, dd));
    float x = (float)(ct_add(ct_mul(aa, cc), ct_mul(bb, dd)) / denom);
    float y = (float)(ct_sub(ct_mul(bb, cc), ct_mul(aa, dd)) / denom);
    ct_cdiv_fix(a, b, c, d, x, y);
    return ct_cx<float>{x, y};
}

/* __divdc3: Smith's method with libgcc 12's scaling */
CT_NI ct_cx<double> ct_cdiv(ct_cx<double> z, ct_cx<double> w) {
    const double RBIG = 0x1.fffffffffffffp+1022;     /* DBL_MAX / 2 */
    const double RMIN = 0x1p-1022;                   /* DBL_MIN */
    const double RMIN2 = 0x1p-52;                    /* DBL_EPSILON */
    const double RMINSCAL = 0x1p+52;                 /* 1 / DBL_EPSILON */
    const double RMAX2 = 0x1.fffffffffffffp+970;     /* RBIG * RMIN2 */
    double a = z.re, b = z.im, c = w.re, d = w.im;
    double denom, ratio, x, y;
    if (::fabs(c) < ::fabs(d)) {
        if (::fabs(d) >= RBIG) { a = a / 2; b = b / 2; c = c / 2; d = d / 2; }
        if (::fabs(d) < RMIN2) {
            a = ct_mul(a, RMINSCAL); b = ct_mul(b, RMINSCAL);
            c = ct_mul(c, RMINSCAL); d = ct_mul(d, RMINSCAL);
        } else if (((::fabs(a) < RMIN) && (::fabs(b) < RMAX2) && (::fabs(d) < RMAX2))
                   || ((::fabs(b) < RMIN) && (::fabs(a) < RMAX2) && (::fabs(d) < RMAX2))) {
            a = ct_mul(a, RMINSCAL); b = ct_mul(b, RMINSCAL);
            c = ct_mul(c, RMINSCAL); d = ct_mul(d, RMINSCAL);
        }
        ratio = c / d;
        denom = ct_add(ct_mul(c, ratio), d);
        if (::fabs(ratio) > RMIN) {
            x = ct_add(ct_mul(a, ratio), b) / denom;
            y = ct_sub(ct_mul(b, ratio), a) / denom;
        } else {
            x = ct_add(ct_mul(c, a / d), b) / denom;
            y = ct_sub(ct_mul(c, b / d), a) / denom;
        }
    } else {
        if (::fabs(c) >= RBIG) { a = a / 2; b = b / 2; c = c / 2; d = d / 2; }
        if (::fabs(c) < RMIN2) {
            a = ct_mul(a, RMINSCAL); b = ct_mul(b, RMINSCAL);
            c = ct_mul(c, RMINSCAL); d = ct_mul(d, RMINSCAL);
        } else if (((::fabs(a) < RMIN) && (::fabs(b) < RMAX2) && (::fabs(c) < RMAX2))
                   || ((::fabs(b) < RMIN) && (::fabs(a) < RMAX2) && (::fabs(c) < RMAX2))) {
            a = ct_mul(a, RMINSCAL); b = ct_mul(b, RMINSCAL);
            c = ct_mul(c, RMINSCAL); d = ct_mul(d, RMINSCAL);
        }
        ratio = d / c;
        denom = ct_add(ct_mul(d, ratio), c);
        if (::fabs(ratio) > RMIN) {
            x = ct_add(ct_mul(b, ratio), a) / denom;
            y = ct_sub(b, ct_mul(a, ratio)) / denom;
        } else {
            x = ct_add(a, ct_mul(d, b / c)) / denom;
            y = ct_sub(b, ct_mul(d, a / c)) / denom;
        }
    }
    ct_cdiv_fix(a, b, c, d, x, y);
    return ct_cx<double>{x, y};
}

/* |z|: glibc 2.35+'s hypotf (in double) and hypot (Borges' correction) */
CT_NI float ct_cabs(ct_cx<float> z) {
    float x = z.re, y = z.im;
    if (!ct_isfinite(x) || !ct_isfinite(y)) {
        if ((ct_isinf(x) || ct_isinf(y)) && !ct_issignaling(x) && !ct_issignaling(y))
            return ct_inf<float>();
        return x + y;
    }
    double dx = x, dy = y;
    return (float)::sqrt(ct_add(ct_mul(dx, dx), ct_mul(dy, dy)));
}
CT_DEV double ct_hypot_kernel(double ax, double ay) {
    double t1, t2;
    double h = ::sqrt(ct_add(ct_mul(ax, ax), ct_mul(ay, ay)));
    if (h <= ct_mul(2.0, ay)) {
        double delta = ct_sub(h, ay);
        t1 = ct_mul(ax, ct_sub(ct_mul(2.0, delta), ax));
        t2 = ct_mul(ct_sub(delta, ct_mul(2.0, ct_sub(ax, ay))), delta);
    } else {
        double delta = ct_sub(h, ax);
        t1 = ct_mul(ct_mul(2.0, delta), ct_sub(ax, ct_mul(2.0, ay)));
        t2 = ct_add(ct_mul(ct_sub(ct_mul(4.0, delta), ay), ay), ct_mul(delta, delta));
    }
    h = ct_sub(h, ct_add(t1, t2) / ct_mul(2.0, h));
    return h;
}
CT_NI double ct_cabs(ct_cx<double> z) {
    const double SCALE = 0x1p-600, LARGE_VAL = 0x1p+511, TINY_VAL = 0x1p-459, EPS = 0x1p-54;
    double x = z.re, y = z.im;
    if (!ct_isfinite(x) || !ct_isfinite(y)) {
        if ((ct_isinf(x) || ct_isinf(y)) && !ct_issignaling(x) && !ct_issignaling(y))
            return ct_inf<double>();
        return x + y;
    }
    x = ::fabs(x);
    y = ::fabs(y);
    double ax = x < y ? y : x;
    double ay = x < y ? x : y;
    if (ax > LARGE_VAL) {
        if (ay <= ct_mul(ax, EPS)) return ct_add(ax, ay);
        return ct_hypot_kernel(ct_mul(ax, SCALE), ct_mul(ay, SCALE)) / SCALE;
    }
    if (ay < TINY_VAL) {
        if (ax >= ay / EPS) return ct_add(ax, ay);
        return ct_mul(ct_hypot_kernel(ax / SCALE, ay / SCALE), SCALE);
    }
    if (ay <= ct_mul(ax, EPS)) return ct_add(ax, ay);
    return ct_hypot_kernel(ax, ay);
}

/* the C99 complex functions: ctx::complex's (glibc's in the host build) */
#define CT_CFN(NAME)                                                           \
    template <class R> CT_NI ct_cx<R> ct_c##NAME(ct_cx<R> z) {                \
        ctx::complex<R> r = ctx::NAME(ctx::complex<R>(z.re, z.im));            \
        return ct_cx<R>{r.real(), r.imag()};                                   \
    }
CT_CFN(exp) CT_CFN(log) CT_CFN(sqrt) CT_CFN(sin) CT_CFN(cos) CT_CFN(tan) CT_CFN(asin)
CT_CFN(acos) CT_CFN(atan) CT_CFN(sinh) CT_CFN(cosh) CT_CFN(tanh) CT_CFN(asinh)
CT_CFN(acosh) CT_CFN(atanh)
#undef CT_CFN

/* log(2), log(10) in the part type */
CT_DEV float ct_ln2(float) { return 0.693147180559945309417232121458f; }
CT_DEV double ct_ln2(double) { return 0.693147180559945309417232121458; }
CT_DEV float ct_ln10(float) { return 2.302585092994045684017991454684f; }
CT_DEV double ct_ln10(double) { return 2.302585092994045684017991454684; }

/* x + I * y as GCC computes it: (x + 0 * y, y) (so -0 + I * 1 is +0 + 1i,
 * and x + I * inf has a NaN real part) */
template <class R> CT_DEV ct_cx<R> ct_cplus_iy(R x, R y) { return ct_cx<R>{ct_add(x, ct_mul((R)0, y)), y}; }
/* expm1: the real part as expm1(a)cos(b) - 2sin^2(b/2) (ct_cexpm1_*) */
template <class R> CT_DEV ct_cx<R> ct_cexpm1(ct_cx<R> z) {
    R a = z.re, b = z.im, h = ct_m_sin(b / 2);
    R re = ct_sub(ct_mul(ct_m_expm1(a), ct_m_cos(b)), ct_mul(ct_mul((R)2, h), h));
    R im = ct_mul(ct_m_exp(a), ct_m_sin(b));
    return ct_cplus_iy(re, im);
}
template <class R> CT_DEV bool ct_cnz(ct_cx<R> z) { return z.re != 0 || z.im != 0; }

/* logaddexp, logaddexp2 (ct_logaddexp_* of elementwise.c): max + log1p of the
 * smaller term; two equal infinities are themselves, a NaN propagates */
template <class F> CT_DEV F ct_logaddexp(F a, F b) {
    if (ct_isinf(a) && a == b) return a;
    if (a != a || b != b) return ct_add(a, b);
    F m = a > b ? a : b;
    return ct_add(m, ct_m_log1p(ct_m_exp(-ct_m_fabs(ct_sub(a, b)))));
}
template <class F> CT_DEV F ct_logaddexp2(F a, F b) {
    if (ct_isinf(a) && a == b) return a;
    if (a != a || b != b) return ct_add(a, b);
    F m = a > b ? a : b;
    return ct_add(m, ct_m_log1p(ct_m_exp2(-ct_m_fabs(ct_sub(a, b)))) / (F)0.693147180559945309417232121458);
}
/* nextafter of half: the neighbour by its bits */
CT_DEV ct_f16 ct_nextafter_h(ct_f16 a, ct_f16 b) {
    float fa = ct_h2f(a), fb = ct_h2f(b);
    if (fa != fa || fb != fb) return ct_f2h(ct_add(fa, fb));
    if (fa == fb) return b;
    uint16_t u;
    memcpy(&u, &a, 2);
    if (fa == 0) u = (uint16_t)((fb < 0 ? 0x8000u : 0u) | 1u);
    else if ((fa < fb) == (fa > 0)) u = (uint16_t)(u + 1);
    else u = (uint16_t)(u - 1);
    ct_f16 r;
    memcpy(&r, &u, 2);
    return r;
}
/* frexp's parts (ct_frexp_* of elementwise.c): an infinity or NaN is its own
 * mantissa, exponent 0 */
CT_NI float ct_frexp_mant(float x) { int e; return ct_isfinite(x) ? ::frexpf(x, &e) : x; }
CT_NI double ct_frexp_mant(double x) { int e; return ct_isfinite(x) ? ::frexp(x, &e) : x; }
CT_NI float ct_frexp_exp(float x) { int e = 0; if (ct_isfinite(x)) ::frexpf(x, &e); return (float)e; }
CT_NI double ct_frexp_exp(double x) { int e = 0; if (ct_isfinite(x)) ::frexp(x, &e); return (double)e; }

/* ---- conversions (ct_conv_* of elementwise.c) --------------------------- */

template <class T> CT_DEV bool ct_nonzero(T x) { return x != 0; }
CT_DEV bool ct_nonzero(ct_f16 x) { return ct_h2f(x) != 0; }
template <class R> CT_DEV bool ct_nonzero(ct_cx<R> x) { return ct_cnz(x); }

/* source -> the real value ct_re() gives: ints as int64, half as float */
template <int DF> CT_DEV auto ct_re(typename ct_dt<DF>::T x) {
    constexpr int K = ct_dt<DF>::kind;
    if constexpr (K == K_BOOL || K == K_INT) return (int64_t)x;
    else if constexpr (K == K_HALF) return ct_h2f(x);
    else if constexpr (K == K_FLT) return x;
    else return x.re;
}
/* one real value (int64, float or double) -> a real dtype */
template <class TT, class S> CT_DEV TT ct_to_real(S v) {
    if constexpr (ct_same<TT, ct_f16>::value) {
        if constexpr (ct_same<S, int64_t>::value) return ct_i2h(v);
        else if constexpr (ct_same<S, float>::value) return ct_f2h(v);
        else return ct_d2h(v);
    } else if constexpr (ct_same<TT, float>::value || ct_same<TT, double>::value) {
        return (TT)v;
    } else {                                   /* integers: through int64 */
        if constexpr (ct_same<S, int64_t>::value) return (TT)v;
        else return (TT)ct_f2i64(v);
    }
}
template <int DT, int DF> CT_DEV typename ct_dt<DT>::T ct_conv(typename ct_dt<DF>::T x) {
    typedef typename ct_dt<DT>::T TT;
    constexpr int KT = ct_dt<DT>::kind, KF = ct_dt<DF>::kind;
    if constexpr (DT == DF) {
        return x;
    } else if constexpr (KT == K_BOOL) {
        return (uint8_t)ct_nonzero(x);
    } else if constexpr (KT == K_CPX) {
        typedef typename ct_real_of<TT>::type R;
        if constexpr (KF == K_CPX) return TT{(R)x.re, (R)x.im};
        else return TT{ct_to_real<R>(ct_re<DF>(x)), (R)0};
    } else {
        return ct_to_real<TT>(ct_re<DF>(x));
    }
}

/* ---- the ops ------------------------------------------------------------ */

/* 64-bit division: 32 bits when both fit, else one shared copy of the long
 * sequence */
CT_NI uint64_t ct_udiv64(uint64_t x, uint64_t d) { return x / d; }
CT_NI int64_t ct_sdiv64(int64_t x, int64_t d) { return x / d; }
CT_DEV uint64_t ct_udiv(uint64_t x, uint64_t d) {
    if (((x | d) >> 32) == 0) return (uint32_t)x / (uint32_t)d;
    return ct_udiv64(x, d);
}
/* a / b and a % b of the integer ops (b != 0, b != -1) */
template <class T> CT_DEV T ct_idiv(T a, T b) {
    if constexpr (sizeof(T) == 8) return (T)ct_sdiv64(a, b);
    else return (T)(a / b);
}
template <class T> CT_DEV T ct_irem(T a, T b) {
    if constexpr (sizeof(T) == 8) return (T)(a - ct_sdiv64(a, b) * b);
    else return (T)(a % b);
}

/* integers (not bool) */
template <class T> CT_DEV T ct_i_divtrunc(T a, T b, const ct_prm &P) {
    if (b == 0) { *P.err = 1; return 0; }
    if constexpr (ct_signed<T>()) if (b == (T)-1) return (T)(0 - (uint64_t)a);
    return ct_idiv(a, b);
}
template <class T> CT_DEV T ct_i_divfloor(T a, T b, const ct_prm &P) {
    if (b == 0) { *P.err = 1; return 0; }
    if constexpr (ct_signed<T>()) {
        if (b == (T)-1) return (T)(0 - (uint64_t)a);
        T q = ct_idiv(a, b);
        if ((T)(a - q * b) != 0 && ((a < 0) != (b < 0))) q = (T)(q - 1);
        return q;
    } else {
        return (T)(a / b);
    }
}
template <class T> CT_DEV T ct_i_remainder(T a, T b, const ct_prm &P) {
    if (b == 0) { *P.err = 1; return 0; }
    if constexpr (ct_signed<T>()) {
        if (b == (T)-1) return 0;
        T r = ct_irem(a, b);
        if (r != 0 && ((r < 0) != (b < 0))) r = (T)(r + b);
        return r;
    } else {
        return (T)(a % b);
    }
}
template <class T> CT_DEV T ct_i_fmod(T a, T b, const ct_prm &P) {
    if (b == 0) { *P.err = 1; return 0; }
    if constexpr (ct_signed<T>()) if (b == (T)-1) return 0;
    return ct_irem(a, b);
}
template <class T> CT_DEV T ct_i_pow(T a, T b) {
    if constexpr (ct_signed<T>())
        if (b < 0) return a == 1 ? (T)1 : (a == (T)-1 ? ((b & 1) ? a : (T)1) : (T)0);
    uint64_t r = 1, base = (uint64_t)(int64_t)a;
    while (b) {
        if (b & 1) r *= base;
        base *= base;
        b = (T)(b >> 1);
    }
    return (T)r;
}
/* gcd: Euclid on the magnitudes, wrapping as the dtype does; lcm: |a / g * b| */
template <class T> CT_DEV T ct_i_gcd(T a, T b) {
    if constexpr (ct_signed<T>()) {
        a = a < 0 ? (T)(0 - (uint64_t)a) : a;
        b = b < 0 ? (T)(0 - (uint64_t)b) : b;
    }
    while (a != 0) {
        T c = a;
        a = ct_irem(b, a);
        b = c;
    }
    return b;
}
template <class T> CT_DEV T ct_i_lcm(T a, T b) {
    T g = ct_i_gcd(a, b);
    if (g == 0) return (T)0;
    T q;
    if constexpr (ct_signed<T>()) q = (g == (T)-1) ? (T)(0 - (uint64_t)a) : ct_idiv(a, g);
    else q = (T)(a / g);
    T r = (T)((uint64_t)q * (uint64_t)b);
    if constexpr (ct_signed<T>()) return r < 0 ? (T)(0 - (uint64_t)r) : r;
    else return r;
}
template <class T> CT_DEV T ct_i_shl(T a, T b) {
    bool out = b >= (T)(8 * sizeof(T));
    if constexpr (ct_signed<T>()) out = out || b < 0;
    return out ? (T)0 : (T)((uint64_t)a << b);
}
template <class T> CT_DEV T ct_i_shr(T a, T b) {
    bool out = b >= (T)(8 * sizeof(T));
    if constexpr (ct_signed<T>()) out = out || b < 0;
    if (out) {
        if constexpr (ct_signed<T>()) return a < 0 ? (T)-1 : (T)0;
        else return (T)0;
    }
    return (T)(a >> b);
}

/* comparisons and logical ops: the same for every dtype */
template <int OP, class T> CT_DEV uint8_t ct_cmp(T a, T b) {
    if constexpr (OP == CT_EQ) return a == b;
    else if constexpr (OP == CT_NE) return a != b;
    else if constexpr (OP == CT_LT) return a < b;
    else if constexpr (OP == CT_LE) return a <= b;
    else if constexpr (OP == CT_GT) return a > b;
    else if constexpr (OP == CT_GE) return a >= b;
    else if constexpr (OP == CT_LOGAND) return (a != 0) && (b != 0);
    else if constexpr (OP == CT_LOGOR) return (a != 0) || (b != 0);
    else return (a != 0) != (b != 0);
}
template <int OP> CT_CEXPR bool ct_is_cmp() { return OP >= CT_EQ && OP <= CT_LOGXOR; }

template <int OP> CT_DEV uint8_t ct_bop_bool(uint8_t a, uint8_t b) {
    if constexpr (ct_is_cmp<OP>()) return ct_cmp<OP>(a, b);
    else if constexpr (OP == CT_ADD || OP == CT_MAXIMUM || OP == CT_BITOR || OP == CT_HEAVISIDE
                       || OP == CT_FMAX) return a | b;
    else if constexpr (OP == CT_MUL || OP == CT_MINIMUM || OP == CT_BITAND || OP == CT_FMIN) return a & b;
    else if constexpr (OP == CT_BITXOR) return a ^ b;
    else static_assert(ct_dep_false<OP>::value, "binary op without a bool loop");
}

template <int OP, class T> CT_DEV auto ct_bop_int(T a, T b, const ct_prm &P) {
    if constexpr (ct_is_cmp<OP>()) return ct_cmp<OP>(a, b);
    else if constexpr (OP == CT_ADD) return (T)((uint64_t)a + (uint64_t)b);
    else if constexpr (OP == CT_SUB) return (T)((uint64_t)a - (uint64_t)b);
    else if constexpr (OP == CT_MUL) return (T)((uint64_t)a * (uint64_t)b);
    else if constexpr (OP == CT_DIV_TRUNC) return ct_i_divtrunc(a, b, P);
    else if constexpr (OP == CT_DIV_FLOOR) return ct_i_divfloor(a, b, P);
    else if constexpr (OP == CT_REMAINDER) return ct_i_remainder(a, b, P);
    else if constexpr (OP == CT_FMOD) return ct_i_fmod(a, b, P);
    else if constexpr (OP == CT_POW) return ct_i_pow(a, b);
    else if constexpr (OP == CT_MAXIMUM) return a > b ? a : b;
    else if constexpr (OP == CT_MINIMUM) return a < b ? a : b;
    else if constexpr (OP == CT_BITAND) return (T)(a & b);
    else if constexpr (OP == CT_BITOR) return (T)(a | b);
    else if constexpr (OP == CT_BITXOR) return (T)(a ^ b);
    else if constexpr (OP == CT_SHL) return ct_i_shl(a, b);
    else if constexpr (OP == CT_SHR) return ct_i_shr(a, b);
    else if constexpr (OP == CT_GCD) return ct_i_gcd(a, b);
    else if constexpr (OP == CT_LCM) return ct_i_lcm(a, b);
    else if constexpr (OP == CT_HEAVISIDE) return a == 0 ? b : (T)(a > 0);
    else if constexpr (OP == CT_FMAX) return a > b ? a : b;
    else if constexpr (OP == CT_FMIN) return a < b ? a : b;
    else static_assert(ct_dep_false<OP>::value, "binary op without an integer loop");
}

/* float and double (half computes in float) */
template <int OP, class F> CT_DEV auto ct_bop_flt(F a, F b, const ct_prm &) {
    if constexpr (ct_is_cmp<OP>()) return ct_cmp<OP>(a, b);
    else if constexpr (OP == CT_ADD) return ct_add(a, b);
    else if constexpr (OP == CT_SUB) return ct_sub(a, b);
    else if constexpr (OP == CT_MUL) return ct_mul(a, b);
    else if constexpr (OP == CT_DIV) return a / b;
    else if constexpr (OP == CT_DIV_TRUNC) return ct_m_trunc(a / b);
    else if constexpr (OP == CT_DIV_FLOOR) return ct_divfloor(a, b);
    else if constexpr (OP == CT_REMAINDER) return ct_remainder(a, b);
    else if constexpr (OP == CT_FMOD) return ct_m_fmod(a, b);
    else if constexpr (OP == CT_POW) return ct_m_pow(a, b);
    else if constexpr (OP == CT_ATAN2) return ct_m_atan2(a, b);
    else if constexpr (OP == CT_MAXIMUM) return (a != a) ? a : ((b != b) ? b : (a > b ? a : b));
    else if constexpr (OP == CT_MINIMUM) return (a != a) ? a : ((b != b) ? b : (a < b ? a : b));
    else if constexpr (OP == CT_HYPOT) return ct_m_hypot(a, b);
    else if constexpr (OP == CT_COPYSIGN) return ct_m_copysign(a, b);
    else if constexpr (OP == CT_LOGADDEXP) return ct_logaddexp(a, b);
    else if constexpr (OP == CT_LOGADDEXP2) return ct_logaddexp2(a, b);
    else if constexpr (OP == CT_NEXTAFTER) return ct_m_nextafter(a, b);
    else if constexpr (OP == CT_HEAVISIDE) return a == 0 ? b : (F)(a > 0);
    else if constexpr (OP == CT_FMAX) return (a >= b || b != b) ? a : b;
    else if constexpr (OP == CT_FMIN) return (a <= b || b != b) ? a : b;
    else static_assert(ct_dep_false<OP>::value, "binary op without a float loop");
}

template <int OP, class R> CT_DEV auto ct_bop_cpx(ct_cx<R> a, ct_cx<R> b, const ct_prm &) {
    typedef ct_cx<R> C;
    if constexpr (OP == CT_EQ) return (uint8_t)(a.re == b.re && a.im == b.im);
    else if constexpr (OP == CT_NE) return (uint8_t)(a.re != b.re || a.im != b.im);
    else if constexpr (OP == CT_LOGAND) return (uint8_t)(ct_cnz(a) && ct_cnz(b));
    else if constexpr (OP == CT_LOGOR) return (uint8_t)(ct_cnz(a) || ct_cnz(b));
    else if constexpr (OP == CT_LOGXOR) return (uint8_t)(ct_cnz(a) != ct_cnz(b));
    else if constexpr (OP == CT_ADD) return C{ct_add(a.re, b.re), ct_add(a.im, b.im)};
    else if constexpr (OP == CT_SUB) return C{ct_sub(a.re, b.re), ct_sub(a.im, b.im)};
    else if constexpr (OP == CT_MUL) return ct_cmul(a, b);
    else if constexpr (OP == CT_DIV) return ct_cdiv(a, b);
    else if constexpr (OP == CT_POW) return ct_cexp(ct_cmul(b, ct_clog(a)));   /* glibc's cpow */
    else static_assert(ct_dep_false<OP>::value, "binary op without a complex loop");
}

template <int OP, int D> CT_DEV auto ct_bop(typename ct_dt<D>::T a, typename ct_dt<D>::T b,
                                            const ct_prm &P) {
    constexpr int K = ct_dt<D>::kind;
    if constexpr (K == K_BOOL) return ct_bop_bool<OP>(a, b);
    else if constexpr (K == K_INT) return ct_bop_int<OP>(a, b, P);
    else if constexpr (K == K_FLT) return ct_bop_flt<OP>(a, b, P);
    else if constexpr (K == K_CPX) return ct_bop_cpx<OP>(a, b, P);
    else {                                                     /* half */
        float fa = ct_h2f(a), fb = ct_h2f(b);
        if constexpr (ct_is_cmp<OP>()) return ct_cmp<OP>(fa, fb);
        else if constexpr (OP == CT_MAXIMUM) return (fa != fa) ? a : ((fb != fb) ? b : (fa > fb ? a : b));
        else if constexpr (OP == CT_MINIMUM) return (fa != fa) ? a : ((fb != fb) ? b : (fa < fb ? a : b));
        else if constexpr (OP == CT_FMAX) return (fa >= fb || fb != fb) ? a : b;
        else if constexpr (OP == CT_FMIN) return (fa <= fb || fb != fb) ? a : b;
        else if constexpr (OP == CT_NEXTAFTER) return ct_nextafter_h(a, b);
        else return ct_f2h(ct_bop_flt<OP>(fa, fb, P));
    }
}

/* unary */
template <int OP> CT_CEXPR bool ct_is_pred() { return OP >= CT_ISNAN && OP <= CT_LOGNOT; }

template <int OP, class T> CT_DEV auto ct_uop_int(T x, const ct_prm &P) {
    if constexpr (OP == CT_NEG) return (T)(0 - (uint64_t)x);
    else if constexpr (OP == CT_ABS) {
        if constexpr (ct_signed<T>()) return x < 0 ? (T)(0 - (uint64_t)x) : x;
        else return x;
    }
    else if constexpr (OP == CT_SIGN) {
        if constexpr (ct_signed<T>()) return (T)((0 < x) - (x < 0));
        else return (T)(0 < x);
    }
    else if constexpr (OP == CT_RELU) {
        if constexpr (ct_signed<T>()) return x < 0 ? (T)0 : x;
        else return x;
    }
    else if constexpr (OP == CT_FLOOR || OP == CT_CEIL || OP == CT_ROUND || OP == CT_TRUNC) return x;
    else if constexpr (OP == CT_BITNOT) return (T)~x;
    else if constexpr (OP == CT_SQUARE) return (T)((uint64_t)x * (uint64_t)x);
    else if constexpr (OP == CT_CLAMP) return (T)ct_clamp_i((int64_t)x, P);
    else if constexpr (OP == CT_ISNAN || OP == CT_ISINF) return (uint8_t)0;
    else if constexpr (OP == CT_ISFINITE) return (uint8_t)1;
    else if constexpr (OP == CT_LOGNOT) return (uint8_t)(x == 0);
    else if constexpr (OP == CT_SIGNBIT) {
        if constexpr (ct_signed<T>()) return (uint8_t)(x < 0);
        else return (uint8_t)0;
    }
    else if constexpr (OP == CT_ISPOSINF || OP == CT_ISNEGINF) return (uint8_t)0;
    else static_assert(ct_dep_false<OP>::value, "unary op without an integer loop");
}

template <int OP> CT_DEV uint8_t ct_uop_bool(uint8_t x) {
    if constexpr (OP == CT_SIGN) return x;
    else if constexpr (OP == CT_BITNOT) return !x;
    else if constexpr (OP == CT_ISNAN || OP == CT_ISINF) return 0;
    else if constexpr (OP == CT_ISFINITE) return 1;
    else if constexpr (OP == CT_LOGNOT) return x == 0;
    else if constexpr (OP == CT_SIGNBIT || OP == CT_ISPOSINF || OP == CT_ISNEGINF) return 0;
    else static_assert(ct_dep_false<OP>::value, "unary op without a bool loop");
}

/* float and double; half computes in float. Returns F, bool (uint8_t), or
 * double for the ops whose CPU loops compute in double (nan_to_num, clamp:
 * converted to the dtype once) */
template <int OP, class F> CT_DEV auto ct_uop_flt(F x, const ct_prm &P) {
    if constexpr (OP == CT_NEG) return -x;
    else if constexpr (OP == CT_ABS) return ct_m_fabs(x);
    else if constexpr (OP == CT_SIGN) return (F)((0 < x) - (x < 0));
    else if constexpr (OP == CT_EXP) return ct_expx(x);
    else if constexpr (OP == CT_EXP2) return ct_m_exp2(x);
    else if constexpr (OP == CT_EXPM1) return ct_m_expm1(x);
    else if constexpr (OP == CT_LOG) return ct_m_log(x);
    else if constexpr (OP == CT_LOG2) return ct_m_log2(x);
    else if constexpr (OP == CT_LOG10) return ct_m_log10(x);
    else if constexpr (OP == CT_LOG1P) return ct_m_log1p(x);
    else if constexpr (OP == CT_SQRT) return ct_m_sqrt(x);
    else if constexpr (OP == CT_RSQRT) return (F)1 / ct_m_sqrt(x);
    else if constexpr (OP == CT_RECIPROCAL) return (F)1 / x;
    else if constexpr (OP == CT_SIN) return ct_m_sin(x);
    else if constexpr (OP == CT_COS) return ct_m_cos(x);
    else if constexpr (OP == CT_TAN) return ct_m_tan(x);
    else if constexpr (OP == CT_ASIN) return ct_m_asin(x);
    else if constexpr (OP == CT_ACOS) return ct_m_acos(x);
    else if constexpr (OP == CT_ATAN) return ct_m_atan(x);
    else if constexpr (OP == CT_SINH) return ct_m_sinh(x);
    else if constexpr (OP == CT_COSH) return ct_m_cosh(x);
    else if constexpr (OP == CT_TANH) return ct_m_tanh(x);
    else if constexpr (OP == CT_ASINH) return ct_m_asinh(x);
    else if constexpr (OP == CT_ACOSH) return ct_m_acosh(x);
    else if constexpr (OP == CT_ATANH) return ct_m_atanh(x);
    else if constexpr (OP == CT_SIGMOID) return (F)1 / ct_add((F)1, ct_expx(-x));
    else if constexpr (OP == CT_RELU) return x < 0 ? (F)0 : x;
    else if constexpr (OP == CT_ERF) return ct_m_erf(x);
    else if constexpr (OP == CT_FLOOR) return ct_m_floor(x);
    else if constexpr (OP == CT_CEIL) return ct_m_ceil(x);
    else if constexpr (OP == CT_ROUND) return ct_m_rint(x);
    else if constexpr (OP == CT_TRUNC) return ct_m_trunc(x);
    else if constexpr (OP == CT_FRAC) return ct_sub(x, ct_m_trunc(x));
    else if constexpr (OP == CT_SQUARE) return ct_mul(x, x);
    else if constexpr (OP == CT_ISNAN) return (uint8_t)(x != x);
    else if constexpr (OP == CT_ISINF) return (uint8_t)ct_isinf(x);
    else if constexpr (OP == CT_ISFINITE) return (uint8_t)ct_isfinite(x);
    else if constexpr (OP == CT_LOGNOT) return (uint8_t)(x == 0);
    else if constexpr (OP == CT_ROUND_DEC) return ct_round_dec(x, P);
    else if constexpr (OP == CT_NAN_TO_NUM) return ct_nan_to_num((double)x, P);
    else if constexpr (OP == CT_CLAMP) return ct_clamp_f((double)x, P);
    else if constexpr (OP == CT_DEG2RAD) return ct_mul(x, (F)0.017453292519943295);
    else if constexpr (OP == CT_RAD2DEG) return ct_mul(x, (F)57.29577951308232);
    else if constexpr (OP == CT_SIGNBIT) return (uint8_t)ct_signbit(x);
    else if constexpr (OP == CT_ISPOSINF) return (uint8_t)(x == ct_inf<F>());
    else if constexpr (OP == CT_ISNEGINF) return (uint8_t)(x == -ct_inf<F>());
    else if constexpr (OP == CT_FREXP_MANT) return ct_frexp_mant(x);
    else if constexpr (OP == CT_FREXP_EXP) return ct_frexp_exp(x);
    else if constexpr (OP == CT_ANGLE) return x != x ? x : (x < 0 ? (F)3.141592653589793 : (F)0);
    else static_assert(ct_dep_false<OP>::value, "unary op without a float loop");
}

template <int OP, class R> CT_DEV auto ct_uop_cpx(ct_cx<R> x, const ct_prm &P) {
    typedef ct_cx<R> C;
    const C one{(R)1, (R)0};
    if constexpr (OP == CT_NEG) return C{-x.re, -x.im};
    else if constexpr (OP == CT_ABS) return ct_cabs(x);
    else if constexpr (OP == CT_CONJ) return C{x.re, -x.im};
    else if constexpr (OP == CT_SGN) {
        // z / |z|, 0 where z is 0, as the CPU loops: complex64 in double,
        // complex128 scaled by the larger part first
        if (x.re == (R)0 && x.im == (R)0) return C{(R)0, (R)0};
        if constexpr (sizeof(R) == 4) {
            double re = x.re, im = x.im, a = ::sqrt(ct_add(ct_mul(re, re), ct_mul(im, im)));
            return C{(R)(re / a), (R)(im / a)};
        } else {
            double ar = ::fabs(x.re), ai = ::fabs(x.im), m = ar > ai ? ar : ai;
            double r = x.re / m, i = x.im / m;
            if (ct_isinf(m)) return C{r, i};
            double s = ::sqrt(ct_add(ct_mul(r, r), ct_mul(i, i)));
            return C{r / s, i / s};
        }
    }
    else if constexpr (OP == CT_EXP) return ct_cexp(x);
    else if constexpr (OP == CT_EXP2) return ct_cexp(C{ct_mul(x.re, ct_ln2(R())), ct_mul(x.im, ct_ln2(R()))});
    else if constexpr (OP == CT_EXPM1) return ct_cexpm1(x);
    else if constexpr (OP == CT_LOG) return ct_clog(x);
    else if constexpr (OP == CT_LOG2) { C l = ct_clog(x); return C{l.re / ct_ln2(R()), l.im / ct_ln2(R())}; }
    else if constexpr (OP == CT_LOG10) { C l = ct_clog(x); return C{l.re / ct_ln10(R()), l.im / ct_ln10(R())}; }
    else if constexpr (OP == CT_LOG1P) return ct_clog(C{ct_add((R)1, x.re), x.im});
    else if constexpr (OP == CT_SQRT) return ct_csqrt(x);
    else if constexpr (OP == CT_RSQRT) return ct_cdiv(one, ct_csqrt(x));
    else if constexpr (OP == CT_RECIPROCAL) return ct_cdiv(one, x);
    else if constexpr (OP == CT_SIN) return ct_csin(x);
    else if constexpr (OP == CT_COS) return ct_ccos(x);
    else if constexpr (OP == CT_TAN) return ct_ctan(x);
    else if constexpr (OP == CT_ASIN) return ct_casin(x);
    else if constexpr (OP == CT_ACOS) return ct_cacos(x);
    else if constexpr (OP == CT_ATAN) return ct_catan(x);
    else if constexpr (OP == CT_SINH) return ct_csinh(x);
    else if constexpr (OP == CT_COSH) return ct_ccosh(x);
    else if constexpr (OP == CT_TANH) return ct_ctanh(x);
    else if constexpr (OP == CT_ASINH) return ct_casinh(x);
    else if constexpr (OP == CT_ACOSH) return ct_cacosh(x);
    else if constexpr (OP == CT_ATANH) return ct_catanh(x);
    else if constexpr (OP == CT_SIGMOID) {
        C e = ct_cexp(C{-x.re, -x.im});
        return ct_cdiv(one, C{ct_add((R)1, e.re), e.im});
    }
    else if constexpr (OP == CT_SQUARE) return ct_cmul(x, x);
    else if constexpr (OP == CT_ISNAN) return (uint8_t)(x.re != x.re || x.im != x.im);
    else if constexpr (OP == CT_ISINF) return (uint8_t)(ct_isinf(x.re) || ct_isinf(x.im));
    else if constexpr (OP == CT_ISFINITE) return (uint8_t)(ct_isfinite(x.re) && ct_isfinite(x.im));
    else if constexpr (OP == CT_LOGNOT) return (uint8_t)(x.re == 0 && x.im == 0);
    else if constexpr (OP == CT_NAN_TO_NUM) return ct_cplus_iy((R)ct_nan_to_num(x.re, P), (R)ct_nan_to_num(x.im, P));
    else static_assert(ct_dep_false<OP>::value, "unary op without a complex loop");
}

/* a float op's result in the dtype T (bool results stay bool) */
template <class T, class S> CT_DEV auto ct_fout(S r) {
    if constexpr (ct_same<S, uint8_t>::value) return r;
    else if constexpr (ct_same<T, ct_f16>::value) {
        if constexpr (ct_same<S, double>::value) return ct_d2h(r);
        else return ct_f2h(r);
    } else {
        return (T)r;
    }
}

template <int OP, int D> CT_DEV auto ct_uop(typename ct_dt<D>::T x, const ct_prm &P) {
    typedef typename ct_dt<D>::T T;
    constexpr int K = ct_dt<D>::kind;
    if constexpr (K == K_BOOL) return ct_uop_bool<OP>(x);
    else if constexpr (K == K_INT) return ct_uop_int<OP>(x, P);
    else if constexpr (K == K_CPX) return ct_uop_cpx<OP>(x, P);
    else if constexpr (K == K_FLT) return ct_fout<T>(ct_uop_flt<OP>(x, P));
    else {                                                      /* half */
        if constexpr (OP == CT_RELU) return ct_h2f(x) < 0 ? ct_f2h(0.0f) : x;
        else return ct_fout<T>(ct_uop_flt<OP>(ct_h2f(x), P));
    }
}

/* ---- the loops ---------------------------------------------------------- */

/* an input operand: a scalar (scalar_mask, or stride 0 on the contiguous
 * path) or memory */
template <class T> struct ct_src {
    const char *p;
    int64_t s;
    T v;
    bool sc;
};
template <int K, class T> CT_DEV void ct_src_init(const ct_ew_args &a, ct_src<T> &o) {
    if constexpr (!ct_same<T, ct_nil>::value) {
        o.p = (const char *)(uintptr_t)a.ptr[K];
        o.s = a.strides[K][0];
        o.sc = (a.scalar_mask >> K) & 1;
        o.v = T{};
        if (o.sc) memcpy((void *)&o.v, a.scal[K], sizeof(T));
    }
}
template <class T> CT_DEV T ct_ld(const ct_src<T> &o, int64_t off) {
    if constexpr (ct_same<T, ct_nil>::value) return T{};
    else return o.sc ? o.v : *(const T *)(o.p + off);
}

/* byte offsets of element i in each of the first NOP operands (a contiguous
 * launch has ndim 1: no division) */
template <int NOP> CT_DEV void ct_offsets(const ct_ew_args &a, int64_t i, int64_t (&off)[4]) {
    CT_UNROLL for (int k = 0; k < NOP; k++) off[k] = 0;
    uint64_t rem = (uint64_t)i;
    CT_NO_UNROLL for (int d = a.ndim - 1; d > 0; d--) {
        uint64_t sz = (uint64_t)a.shape[d], q = ct_udiv(rem, sz), r = rem - q * sz;
        rem = q;
        CT_UNROLL for (int k = 0; k < NOP; k++) off[k] += (int64_t)r * a.strides[k][d];
    }
    CT_UNROLL for (int k = 0; k < NOP; k++) off[k] += (int64_t)rem * a.strides[k][0];
}

/* one element a step, any layout (heavy ops: one copy of their code) */
template <class TO, class T1, class T2, class T3, class F>
CT_DEV void ct_loop_any(const ct_ew_args &a, F f) {
    constexpr int NOP = ct_same<T3, ct_nil>::value ? (ct_same<T2, ct_nil>::value ? 2 : 3) : 4;
    ct_src<T1> s1;
    ct_src<T2> s2;
    ct_src<T3> s3;
    ct_src_init<1>(a, s1);
    ct_src_init<2>(a, s2);
    ct_src_init<3>(a, s3);
    char *out = (char *)(uintptr_t)a.ptr[0];
    CT_GRID_STRIDE(i, a.n) {
        int64_t off[4];
        ct_offsets<NOP>(a, i, off);
        T1 x1 = ct_ld(s1, off[1]);
        T2 x2 = ct_ld(s2, NOP > 2 ? off[2] : 0);
        T3 x3 = ct_ld(s3, NOP > 3 ? off[3] : 0);
        *(TO *)(out + off[0]) = f(x1, x2, x3);
    }
}

/* contiguous: U elements a thread per pass, all loads before the math */
template <int U, class TO, class T1, class T2, class T3, class F>
CT_DEV void ct_loop_contig(const ct_ew_args &a, F f) {
    const int64_t n = a.n;
    const int64_t tile = (int64_t)blockDim.x * U;
    int64_t base = (int64_t)blockIdx.x * tile;
    if (base + (int64_t)threadIdx.x >= n) return;
    ct_src<T1> s1;
    ct_src<T2> s2;
    ct_src<T3> s3;
    ct_src_init<1>(a, s1);
    ct_src_init<2>(a, s2);
    ct_src_init<3>(a, s3);
    /* a stride-0 operand is one element: read it once */
    if constexpr (!ct_same<T1, ct_nil>::value) if (!s1.sc && s1.s == 0) { s1.v = *(const T1 *)s1.p; s1.sc = true; }
    if constexpr (!ct_same<T2, ct_nil>::value) if (!s2.sc && s2.s == 0) { s2.v = *(const T2 *)s2.p; s2.sc = true; }
    if constexpr (!ct_same<T3, ct_nil>::value) if (!s3.sc && s3.s == 0) { s3.v = *(const T3 *)s3.p; s3.sc = true; }
    TO *out = (TO *)(uintptr_t)a.ptr[0];
    const int64_t step = (int64_t)gridDim.x * tile;
    for (; base < n; base += step) {
        T1 x1[U];
        T2 x2[U];
        T3 x3[U];
        CT_UNROLL for (int j = 0; j < U; j++) {
            int64_t i = base + threadIdx.x + (int64_t)j * blockDim.x;
            bool in = i < n;
            x1[j] = ct_ld(s1, in ? i * (int64_t)sizeof(T1) : 0);
            if constexpr (!ct_same<T2, ct_nil>::value) x2[j] = ct_ld(s2, in ? i * (int64_t)sizeof(T2) : 0);
            if constexpr (!ct_same<T3, ct_nil>::value) x3[j] = ct_ld(s3, in ? i * (int64_t)sizeof(T3) : 0);
        }
        CT_UNROLL for (int j = 0; j < U; j++) {
            int64_t i = base + threadIdx.x + (int64_t)j * blockDim.x;
            if (i < n) out[i] = f(x1[j], x2[j], x3[j]);
        }
    }
}

/* How each (op, dtype) runs (the code nvcc compiles grows with the loops
 * instantiated, so only the hot pairs get their own unrolled loop):
 *   CT_HOT    light op on a common dtype: its own unrolled loop on contiguous
 *             launches; strided launches go to the family's generic loop;
 *   CT_HEAVY  long code (libm, complex functions and arithmetic, integer
 *             division, pow, shifts): its own loop, one element a step, any
 *             layout (one copy of the code);
 *   CT_GEN    light op on a rare dtype (int8, int16; casts from or to them
 *             or to / from complex): the family's generic loop, any layout.
 * The generic loop switches on the op at each element (uniform across the
 * grid, and cheaper than the index divisions of a strided element); every
 * other loop has the op fixed. */
enum { CT_GEN, CT_HOT, CT_HEAVY };
template <int D> CT_CEXPR bool ct_common_dtype() {
    return D == CTK_BOOL || D == CTK_UINT8 || D == CTK_INT32 || D == CTK_INT64 || D == CTK_FLOAT16
        || D == CTK_FLOAT32 || D == CTK_FLOAT64;
}
template <int OP, int D> CT_CEXPR int ct_unary_mode() {
    constexpr int K = ct_dt<D>::kind;
    if constexpr (K == K_CPX) return CT_HEAVY;
    else if constexpr (K == K_HALF || K == K_FLT)
        return ((OP >= CT_EXP2 && OP <= CT_LOG1P) || (OP >= CT_SIN && OP <= CT_ATANH) || OP == CT_ERF
                || OP == CT_ROUND_DEC || OP == CT_FREXP_MANT || OP == CT_FREXP_EXP
                || ((OP == CT_EXP || OP == CT_SIGMOID) && D == CTK_FLOAT64))
                   ? CT_HEAVY : CT_HOT;
    else return ct_common_dtype<D>() ? CT_HOT : CT_GEN;
}
template <int OP, int D> CT_CEXPR int ct_binary_mode() {
    constexpr int K = ct_dt<D>::kind;
    if constexpr (K == K_CPX) return CT_HEAVY;
    else if constexpr (K == K_HALF || K == K_FLT)
        return (OP == CT_POW || OP == CT_ATAN2 || OP == CT_DIV_FLOOR || OP == CT_REMAINDER || OP == CT_FMOD
                || OP == CT_HYPOT || OP == CT_LOGADDEXP || OP == CT_LOGADDEXP2 || OP == CT_NEXTAFTER)
                   ? CT_HEAVY : CT_HOT;
    else if constexpr (OP == CT_POW || OP == CT_DIV_TRUNC || OP == CT_DIV_FLOOR || OP == CT_REMAINDER
                       || OP == CT_FMOD || OP == CT_SHL || OP == CT_SHR || OP == CT_GCD || OP == CT_LCM)
        return CT_HEAVY;
    else return ct_common_dtype<D>() ? CT_HOT : CT_GEN;
}
template <int DF, int DT> CT_CEXPR int ct_cast_mode() {
    return (ct_common_dtype<DF>() && ct_common_dtype<DT>()) ? CT_HOT : CT_GEN;
}
/* abs of a complex is in the CPU table as ct_cabs_*, not in CT_ABS's row */
template <int D> CT_CEXPR unsigned ct_unary_extra(int op) {
    return (op == CT_ABS && (D == CTK_COMPLEX64 || D == CTK_COMPLEX128)) ? 1u : 0u;
}
/* ops whose loops would be the same code run as one: floor, ceil, round,
 * trunc of an integer (and abs, relu of uint8) are copies; bool's add,
 * maximum, bitwise_or, heaviside, fmax are a | b, its mul, minimum,
 * bitwise_and, fmin a & b */
template <int D> CT_DEV int ct_unary_canon(int op) {
    if constexpr (ct_dt<D>::kind == K_INT) {
        if (op == CT_FLOOR || op == CT_CEIL || op == CT_ROUND) return CT_TRUNC;
        if (D == CTK_UINT8 && (op == CT_ABS || op == CT_RELU)) return CT_TRUNC;
    }
    return op;
}
template <int D> CT_DEV int ct_binary_canon(int op) {
    if constexpr (D == CTK_BOOL) {
        if (op == CT_MAXIMUM || op == CT_BITOR || op == CT_HEAVISIDE || op == CT_FMAX) return CT_ADD;
        if (op == CT_MINIMUM || op == CT_BITAND || op == CT_FMIN) return CT_MUL;
    }
    return op;
}
template <int OP, int D> CT_CEXPR bool ct_unary_is_canon() {
    if constexpr (ct_dt<D>::kind == K_INT)
        return !(OP == CT_FLOOR || OP == CT_CEIL || OP == CT_ROUND
                 || (D == CTK_UINT8 && (OP == CT_ABS || OP == CT_RELU)));
    else return true;
}
template <int OP, int D> CT_CEXPR bool ct_binary_is_canon() {
    if constexpr (D == CTK_BOOL)
        return !(OP == CT_MAXIMUM || OP == CT_BITOR || OP == CT_MINIMUM || OP == CT_BITAND
                 || OP == CT_HEAVISIDE || OP == CT_FMAX || OP == CT_FMIN);
    else return true;
}
template <int OP, int D> CT_CEXPR bool ct_unary_has() {
    constexpr unsigned rows[] = {
#define CT_BINARY_OP(CODE, loops, name, rule, dtypes, aliases)
#define CT_UNARY_OP(CODE, loops, name, rule, dtypes, inplace, aliases) CTM_##dtypes,
#include "../ctorch/_kernels/elementwise_ops.def"
#undef CT_BINARY_OP
#undef CT_UNARY_OP
    };
    return (((rows[OP] >> D) & 1u) | ct_unary_extra<D>(OP)) && ct_unary_is_canon<OP, D>();
}
template <int OP, int D> CT_CEXPR bool ct_binary_has() {
    constexpr unsigned rows[] = {
#define CT_UNARY_OP(CODE, loops, name, rule, dtypes, inplace, aliases)
#define CT_BINARY_OP(CODE, loops, name, rule, dtypes, aliases) CTM_##dtypes,
#include "../ctorch/_kernels/elementwise_ops.def"
#undef CT_BINARY_OP
#undef CT_UNARY_OP
    };
    return ((rows[OP] >> D) & 1u) && ct_binary_is_canon<OP, D>();
}

template <class TO> CT_DEV void ct_store(char *p, TO v) { *(TO *)p = v; }

/* unary: returns false when the generic loop is to run */
template <int OP, int D> CT_DEV bool ct_run_unary(const ct_ew_args &a, const ct_prm &P) {
    typedef typename ct_dt<D>::T T;
    typedef decltype(ct_uop<OP, D>(T{}, P)) TO;
    constexpr int mode = ct_unary_mode<OP, D>();
    auto f = [&](T x, ct_nil, ct_nil) { return ct_uop<OP, D>(x, P); };
    if constexpr (mode == CT_HEAVY) ct_loop_any<TO, T, ct_nil, ct_nil>(a, f);
    else if constexpr (mode == CT_HOT) {
        if (!a.contig) return false;
        ct_loop_contig<CT_EW_UNROLL, TO, T, ct_nil, ct_nil>(a, f);
    } else return false;
    return true;
}
template <int D> CT_DEV void ct_unary_generic(const ct_ew_args &a, const ct_prm &P, int op) {
    typedef typename ct_dt<D>::T T;
    ct_src<T> s1;
    ct_src_init<1>(a, s1);
    char *out = (char *)(uintptr_t)a.ptr[0];
    CT_GRID_STRIDE(i, a.n) {
        int64_t off[4];
        ct_offsets<2>(a, i, off);
        T x = ct_ld(s1, off[1]);
        char *o = out + off[0];
        switch (op) {
#define CT_BINARY_OP(CODE, loops, name, rule, dtypes, aliases)
#define CT_UNARY_OP(CODE, loops, name, rule, dtypes, inplace, aliases)                       \
        case CT_##CODE:                                                                   \
            if constexpr (ct_unary_has<CT_##CODE, D>() && ct_unary_mode<CT_##CODE, D>() != CT_HEAVY) \
                ct_store(o, ct_uop<CT_##CODE, D>(x, P));                                  \
            break;
#include "../ctorch/_kernels/elementwise_ops.def"
#undef CT_BINARY_OP
#undef CT_UNARY_OP
        default:
            break;
        }
    }
}
template <int D> CT_DEV void ct_ew_unary(const ct_ew_args &a) {
    const ct_prm P = ct_make_prm(a);
    const int op = ct_unary_canon<D>(a.op);
    bool done = true;
    switch (op) {
#define CT_BINARY_OP(CODE, loops, name, rule, dtypes, aliases)
#define CT_UNARY_OP(CODE, loops, name, rule, dtypes, inplace, aliases)                       \
    case CT_##CODE:                                                                       \
        if constexpr (ct_unary_has<CT_##CODE, D>()) done = ct_run_unary<CT_##CODE, D>(a, P); \
        break;
#include "../ctorch/_kernels/elementwise_ops.def"
#undef CT_BINARY_OP
#undef CT_UNARY_OP
    default:
        break;
    }
    if (!done) ct_unary_generic<D>(a, P, op);
}

/* binary */
template <int OP, int D> CT_DEV bool ct_run_binary(const ct_ew_args &a, const ct_prm &P) {
    typedef typename ct_dt<D>::T T;
    typedef decltype(ct_bop<OP, D>(T{}, T{}, P)) TO;
    constexpr int mode = ct_binary_mode<OP, D>();
    auto f = [&](T x, T y, ct_nil) { return ct_bop<OP, D>(x, y, P); };
    if constexpr (mode == CT_HEAVY) ct_loop_any<TO, T, T, ct_nil>(a, f);
    else if constexpr (mode == CT_HOT) {
        if (!a.contig) return false;
        ct_loop_contig<CT_EW_UNROLL, TO, T, T, ct_nil>(a, f);
    } else return false;
    return true;
}
template <int D> CT_DEV void ct_binary_generic(const ct_ew_args &a, const ct_prm &P, int op) {
    typedef typename ct_dt<D>::T T;
    ct_src<T> s1, s2;
    ct_src_init<1>(a, s1);
    ct_src_init<2>(a, s2);
    char *out = (char *)(uintptr_t)a.ptr[0];
    CT_GRID_STRIDE(i, a.n) {
        int64_t off[4];
        ct_offsets<3>(a, i, off);
        T x = ct_ld(s1, off[1]), y = ct_ld(s2, off[2]);
        char *o = out + off[0];
        switch (op) {
#define CT_UNARY_OP(CODE, loops, name, rule, dtypes, inplace, aliases)
#define CT_BINARY_OP(CODE, loops, name, rule, dtypes, aliases)                               \
        case CT_##CODE:                                                                   \
            if constexpr (ct_binary_has<CT_##CODE, D>() && ct_binary_mode<CT_##CODE, D>() != CT_HEAVY) \
                ct_store(o, ct_bop<CT_##CODE, D>(x, y, P));                               \
            break;
#include "../ctorch/_kernels/elementwise_ops.def"
#undef CT_BINARY_OP
#undef CT_UNARY_OP
        default:
            break;
        }
    }
}
template <int D> CT_DEV void ct_ew_binary(const ct_ew_args &a) {
    const ct_prm P = ct_make_prm(a);
    const int op = ct_binary_canon<D>(a.op);
    bool done = true;
    switch (op) {
#define CT_UNARY_OP(CODE, loops, name, rule, dtypes, inplace, aliases)
#define CT_BINARY_OP(CODE, loops, name, rule, dtypes, aliases)                               \
    case CT_##CODE:                                                                       \
        if constexpr (ct_binary_has<CT_##CODE, D>()) done = ct_run_binary<CT_##CODE, D>(a, P); \
        break;
#include "../ctorch/_kernels/elementwise_ops.def"
#undef CT_BINARY_OP
#undef CT_UNARY_OP
    default:
        break;
    }
    if (!done) ct_binary_generic<D>(a, P, op);
}

/* casts (every pair exists) */
#define CT_FOR_DTYPES(M) M(CTK_BOOL) M(CTK_UINT8) M(CTK_INT8) M(CTK_INT16) M(CTK_INT32) \
    M(CTK_INT64) M(CTK_FLOAT16) M(CTK_FLOAT32) M(CTK_FLOAT64) M(CTK_COMPLEX64) M(CTK_COMPLEX128)
template <int DF> CT_DEV void ct_cast_generic(const ct_ew_args &a) {
    typedef typename ct_dt<DF>::T TF;
    ct_src<TF> s1;
    ct_src_init<1>(a, s1);
    char *out = (char *)(uintptr_t)a.ptr[0];
    const int dto = a.dtype_out;
    CT_GRID_STRIDE(i, a.n) {
        int64_t off[4];
        ct_offsets<2>(a, i, off);
        TF x = ct_ld(s1, off[1]);
        char *o = out + off[0];
        switch (dto) {
#define CT_CAST_CASE(DT) case DT: ct_store(o, ct_conv<DT, DF>(x)); break;
        CT_FOR_DTYPES(CT_CAST_CASE)
#undef CT_CAST_CASE
        default:
            break;
        }
    }
}
template <int DF> CT_DEV void ct_ew_cast(const ct_ew_args &a) {
    typedef typename ct_dt<DF>::T TF;
    bool done = false;
    if (a.contig) {
        switch (a.dtype_out) {
#define CT_CAST_CASE(DT)                                                                   \
        case DT:                                                                          \
            if constexpr (ct_cast_mode<DF, DT>() == CT_HOT) {                              \
                ct_loop_contig<CT_EW_UNROLL, typename ct_dt<DT>::T, TF, ct_nil, ct_nil>(   \
                    a, [](TF x, ct_nil, ct_nil) { return ct_conv<DT, DF>(x); });           \
                done = true;                                                               \
            }                                                                              \
            break;
        CT_FOR_DTYPES(CT_CAST_CASE)
#undef CT_CAST_CASE
        default:
            break;
        }
    }
    if (!done) ct_cast_generic<DF>(a);
}

/* lerp (ct_lerp_* of elementwise.c) */
template <class F> CT_DEV F ct_lerp_r(F a, F b, F c) {
    return ct_m_fabs(c) < (F)0.5 ? ct_add(a, ct_mul(c, ct_sub(b, a)))
                                 : ct_sub(b, ct_mul(ct_sub(b, a), ct_sub((F)1, c)));
}
CT_DEV ct_f16 ct_lerp(ct_f16 a, ct_f16 b, ct_f16 c) {
    float fa = ct_h2f(a), fb = ct_h2f(b), fc = ct_h2f(c);
    return ct_f2h(ct_add(fa, ct_mul(fc, ct_sub(fb, fa))));
}
CT_DEV float ct_lerp(float a, float b, float c) { return ct_lerp_r(a, b, c); }
CT_DEV double ct_lerp(double a, double b, double c) { return ct_lerp_r(a, b, c); }
template <class R> CT_DEV ct_cx<R> ct_lerp(ct_cx<R> a, ct_cx<R> b, ct_cx<R> c) {
    ct_cx<R> m = ct_cmul(c, ct_cx<R>{ct_sub(b.re, a.re), ct_sub(b.im, a.im)});
    return ct_cx<R>{ct_add(a.re, m.re), ct_add(a.im, m.im)};
}
/* addcmul / addcdiv (ct_addcmul_*, ct_addcdiv_* of elementwise.c):
 * a + v * b (* or /) c; integers wrap, half computes in float */
template <bool DIV, class T> CT_DEV T ct_addc(T x, T y, T z, const ct_prm &P) {
    if constexpr (ct_same<T, ct_f16>::value) {
        float v = (float)P.a, m = ct_mul(v, ct_h2f(y));
        return ct_f2h(ct_add(ct_h2f(x), DIV ? m / ct_h2f(z) : ct_mul(m, ct_h2f(z))));
    } else if constexpr (ct_same<T, float>::value || ct_same<T, double>::value) {
        T m = ct_mul((T)P.a, y);
        return ct_add(x, DIV ? m / z : ct_mul(m, z));
    } else {
        static_assert(!DIV, "addcdiv of an integer");
        uint64_t v = (uint64_t)P.ia;
        return (T)((uint64_t)x + v * (uint64_t)y * (uint64_t)z);
    }
}
template <bool DIV, class R> CT_DEV ct_cx<R> ct_addc(ct_cx<R> x, ct_cx<R> y, ct_cx<R> z, const ct_prm &P) {
    ct_cx<R> m = ct_cmul(ct_cx<R>{(R)P.a, (R)P.b}, y);
    m = DIV ? ct_cdiv(m, z) : ct_cmul(m, z);
    return ct_cx<R>{ct_add(x.re, m.re), ct_add(x.im, m.im)};
}
template <class T, bool DIV> CT_DEV void ct_ew_addc(const ct_ew_args &a) {
    const ct_prm P = ct_make_prm(a);
    auto f = [&](T x, T y, T z) { return ct_addc<DIV>(x, y, z, P); };
    if (a.contig) ct_loop_contig<CT_EW_UNROLL, T, T, T, T>(a, f);
    else ct_loop_any<T, T, T, T>(a, f);
}
/* the ternary launches: lerp (floats, complex), addcmul, addcdiv (floats, complex) */
template <class T> CT_DEV void ct_ew_lerp(const ct_ew_args &a) {
    constexpr bool flt = !ct_same<T, uint8_t>::value && !ct_same<T, int8_t>::value
        && !ct_same<T, int16_t>::value && !ct_same<T, int32_t>::value && !ct_same<T, int64_t>::value;
    if (a.op == CT_T_ADDCMUL) {
        ct_ew_addc<T, false>(a);
    } else if constexpr (flt) {
        if (a.op == CT_T_ADDCDIV) {
            ct_ew_addc<T, true>(a);
        } else if (a.op == CT_T_LERP) {
            auto f = [](T x, T y, T w) { return ct_lerp(x, y, w); };
            if (a.contig) ct_loop_contig<CT_EW_UNROLL, T, T, T, T>(a, f);
            else ct_loop_any<T, T, T, T>(a, f);
        }
    }
}

/* where: raw elements by width */
template <class T> CT_DEV void ct_ew_where(const ct_ew_args &a) {
    auto f = [](uint8_t c, T x, T y) { return c ? x : y; };
    if (a.contig) ct_loop_contig<CT_EW_UNROLL, T, uint8_t, T, T>(a, f);
    else ct_loop_any<T, uint8_t, T, T>(a, f);
}

/* ---- the kernels -------------------------------------------------------- */

/* written out, one CT_KERNEL a line (tests/test_cuda_kernels.py reads them) */
CT_KERNEL(ct_ew_unary_b, ct_ew_args, CT_SERIAL) { ct_ew_unary<CTK_BOOL>(a); }
CT_KERNEL(ct_ew_binary_b, ct_ew_args, CT_SERIAL) { ct_ew_binary<CTK_BOOL>(a); }
CT_KERNEL(ct_ew_cast_b, ct_ew_args, CT_SERIAL) { ct_ew_cast<CTK_BOOL>(a); }
CT_KERNEL(ct_ew_unary_u8, ct_ew_args, CT_SERIAL) { ct_ew_unary<CTK_UINT8>(a); }
CT_KERNEL(ct_ew_binary_u8, ct_ew_args, CT_SERIAL) { ct_ew_binary<CTK_UINT8>(a); }
CT_KERNEL(ct_ew_cast_u8, ct_ew_args, CT_SERIAL) { ct_ew_cast<CTK_UINT8>(a); }
CT_KERNEL(ct_ew_unary_i8, ct_ew_args, CT_SERIAL) { ct_ew_unary<CTK_INT8>(a); }
CT_KERNEL(ct_ew_binary_i8, ct_ew_args, CT_SERIAL) { ct_ew_binary<CTK_INT8>(a); }
CT_KERNEL(ct_ew_cast_i8, ct_ew_args, CT_SERIAL) { ct_ew_cast<CTK_INT8>(a); }
CT_KERNEL(ct_ew_unary_i16, ct_ew_args, CT_SERIAL) { ct_ew_unary<CTK_INT16>(a); }
CT_KERNEL(ct_ew_binary_i16, ct_ew_args, CT_SERIAL) { ct_ew_binary<CTK_INT16>(a); }
CT_KERNEL(ct_ew_cast_i16, ct_ew_args, CT_SERIAL) { ct_ew_cast<CTK_INT16>(a); }
CT_KERNEL(ct_ew_unary_i32, ct_ew_args, CT_SERIAL) { ct_ew_unary<CTK_INT32>(a); }
CT_KERNEL(ct_ew_binary_i32, ct_ew_args, CT_SERIAL) { ct_ew_binary<CTK_INT32>(a); }
CT_KERNEL(ct_ew_cast_i32, ct_ew_args, CT_SERIAL) { ct_ew_cast<CTK_INT32>(a); }
CT_KERNEL(ct_ew_unary_i64, ct_ew_args, CT_SERIAL) { ct_ew_unary<CTK_INT64>(a); }
CT_KERNEL(ct_ew_binary_i64, ct_ew_args, CT_SERIAL) { ct_ew_binary<CTK_INT64>(a); }
CT_KERNEL(ct_ew_cast_i64, ct_ew_args, CT_SERIAL) { ct_ew_cast<CTK_INT64>(a); }
CT_KERNEL(ct_ew_unary_f16, ct_ew_args, CT_SERIAL) { ct_ew_unary<CTK_FLOAT16>(a); }
CT_KERNEL(ct_ew_binary_f16, ct_ew_args, CT_SERIAL) { ct_ew_binary<CTK_FLOAT16>(a); }
CT_KERNEL(ct_ew_cast_f16, ct_ew_args, CT_SERIAL) { ct_ew_cast<CTK_FLOAT16>(a); }
CT_KERNEL(ct_ew_unary_f32, ct_ew_args, CT_SERIAL) { ct_ew_unary<CTK_FLOAT32>(a); }
CT_KERNEL(ct_ew_binary_f32, ct_ew_args, CT_SERIAL) { ct_ew_binary<CTK_FLOAT32>(a); }
CT_KERNEL(ct_ew_cast_f32, ct_ew_args, CT_SERIAL) { ct_ew_cast<CTK_FLOAT32>(a); }
CT_KERNEL(ct_ew_unary_f64, ct_ew_args, CT_SERIAL) { ct_ew_unary<CTK_FLOAT64>(a); }
CT_KERNEL(ct_ew_binary_f64, ct_ew_args, CT_SERIAL) { ct_ew_binary<CTK_FLOAT64>(a); }
CT_KERNEL(ct_ew_cast_f64, ct_ew_args, CT_SERIAL) { ct_ew_cast<CTK_FLOAT64>(a); }
CT_KERNEL(ct_ew_unary_c64, ct_ew_args, CT_SERIAL) { ct_ew_unary<CTK_COMPLEX64>(a); }
CT_KERNEL(ct_ew_binary_c64, ct_ew_args, CT_SERIAL) { ct_ew_binary<CTK_COMPLEX64>(a); }
CT_KERNEL(ct_ew_cast_c64, ct_ew_args, CT_SERIAL) { ct_ew_cast<CTK_COMPLEX64>(a); }
CT_KERNEL(ct_ew_unary_c128, ct_ew_args, CT_SERIAL) { ct_ew_unary<CTK_COMPLEX128>(a); }
CT_KERNEL(ct_ew_binary_c128, ct_ew_args, CT_SERIAL) { ct_ew_binary<CTK_COMPLEX128>(a); }
CT_KERNEL(ct_ew_cast_c128, ct_ew_args, CT_SERIAL) { ct_ew_cast<CTK_COMPLEX128>(a); }

CT_KERNEL(ct_ew_where_w1, ct_ew_args, CT_SERIAL) { ct_ew_where<uint8_t>(a); }
CT_KERNEL(ct_ew_where_w2, ct_ew_args, CT_SERIAL) { ct_ew_where<uint16_t>(a); }
CT_KERNEL(ct_ew_where_w4, ct_ew_args, CT_SERIAL) { ct_ew_where<uint32_t>(a); }
CT_KERNEL(ct_ew_where_w8, ct_ew_args, CT_SERIAL) { ct_ew_where<uint64_t>(a); }
CT_KERNEL(ct_ew_where_w16, ct_ew_args, CT_SERIAL) { ct_ew_where<ct_w16>(a); }

CT_KERNEL(ct_ew_lerp_u8, ct_ew_args, CT_SERIAL) { ct_ew_lerp<uint8_t>(a); }
CT_KERNEL(ct_ew_lerp_i8, ct_ew_args, CT_SERIAL) { ct_ew_lerp<int8_t>(a); }
CT_KERNEL(ct_ew_lerp_i16, ct_ew_args, CT_SERIAL) { ct_ew_lerp<int16_t>(a); }
CT_KERNEL(ct_ew_lerp_i32, ct_ew_args, CT_SERIAL) { ct_ew_lerp<int32_t>(a); }
CT_KERNEL(ct_ew_lerp_i64, ct_ew_args, CT_SERIAL) { ct_ew_lerp<int64_t>(a); }
CT_KERNEL(ct_ew_lerp_f16, ct_ew_args, CT_SERIAL) { ct_ew_lerp<ct_f16>(a); }
CT_KERNEL(ct_ew_lerp_f32, ct_ew_args, CT_SERIAL) { ct_ew_lerp<float>(a); }
CT_KERNEL(ct_ew_lerp_f64, ct_ew_args, CT_SERIAL) { ct_ew_lerp<double>(a); }
CT_KERNEL(ct_ew_lerp_c64, ct_ew_args, CT_SERIAL) { ct_ew_lerp<ct_cx<float>>(a); }
CT_KERNEL(ct_ew_lerp_c128, ct_ew_args, CT_SERIAL) { ct_ew_lerp<ct_cx<double>>(a); }
