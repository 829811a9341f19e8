/* The scalar core of ctorch's Philox4x32-10 generator, shared by the CPU
 * fills (ctorch/_kernels/random.h, C99 built by gcc) and the CUDA kernels
 * (cuda_src/random.cu, CUDA C++ built by nvcc). Both include this file, so
 * the Philox rounds, the stream's block/word layout, the log/sincos
 * polynomials, Box-Muller, the range multiply-high and the mapping from
 * words to elements exist once. THE STREAM CONTRACT is in random.h.
 *
 * Written in the common subset of C99 and CUDA C++. Only a few operations
 * are spelled differently on the device (__CUDA_ARCH__, i.e. nvcc's device
 * pass): the double <-> uint64 bit casts, 32x32 -> high 32 and 64x64 -> high
 * 64 multiplies. fma() and sqrt() are the same functions on both sides
 * (CUDA's math API declares them __host__ __device__), correctly rounded.
 *
 * Per-block helpers (ct__*_block) take the block index b and the element
 * count n and write the elements of block b that are < n; every fill, CPU
 * or CUDA, is a loop over blocks calling one of them.
 */
#ifndef CT_PHILOX_CORE_H
#define CT_PHILOX_CORE_H

#include <stdint.h>
#include <string.h>
#include <math.h>

/* CT_HD: a function both sides compile. On the host it is always inlined:
 * random.c's multiversioned block loops need the fma() calls (and the
 * branch-free selects, which vectorise) inside each CPU level's copy. */
#if defined(__CUDACC__)
#define CT_HD static __host__ __device__ __forceinline__
#elif defined(__GNUC__)
#define CT_HD static inline __attribute__((always_inline))
#else
#define CT_HD static inline
#endif

#if defined(__CUDA_ARCH__)
#define CT__UNROLL _Pragma("unroll")
#else
#define CT__UNROLL
#endif

/* ---- portability helpers ------------------------------------------------ */

CT_HD uint64_t ct__dbits(double x)
{
#if defined(__CUDA_ARCH__)
    return (uint64_t)__double_as_longlong(x);
#else
    uint64_t u; memcpy(&u, &x, 8); return u;
#endif
}

CT_HD double ct__bitsd(uint64_t u)
{
#if defined(__CUDA_ARCH__)
    return __longlong_as_double((long long)u);
#else
    double x; memcpy(&x, &u, 8); return x;
#endif
}

/* 0 <= m <= 2^53 as a double, exactly, in operations that every SIMD level
 * has (AVX2 converts no 64-bit integers): each 32-bit half goes into the
 * mantissa of 2^52, 2^52 is taken off (exact), and the halves are joined
 * (hi 2^32 + lo is m itself, representable, so the sum is exact). */
CT_HD double ct__u53_to_double(uint64_t m)
{
    double hi = ct__bitsd(0x4330000000000000ull | (m >> 32)) - 0x1p52;
    double lo = ct__bitsd(0x4330000000000000ull | (m & 0xffffffffull)) - 0x1p52;
    return hi * 0x1p32 + lo;
}

/* a * b = hi 2^32 + lo */
CT_HD void ct__mul32(uint32_t a, uint32_t b, uint32_t *hi, uint32_t *lo)
{
#if defined(__CUDA_ARCH__)
    *hi = __umulhi(a, b);
    *lo = a * b;
#else
    uint64_t p = (uint64_t)a * b;
    *hi = (uint32_t)(p >> 32);
    *lo = (uint32_t)p;
#endif
}

/* a * b = hi 2^64 + lo */
#if !defined(__CUDA_ARCH__) && defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 ct__u128;   /* __extension__: quiet under -pedantic */
#endif
CT_HD void ct__mul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
#if defined(__CUDA_ARCH__)
    *hi = __umul64hi(a, b);
    *lo = a * b;
#elif defined(__SIZEOF_INT128__)
    ct__u128 p = (ct__u128)a * b;
    *hi = (uint64_t)(p >> 64);
    *lo = (uint64_t)p;
#else
    uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
    *hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
    *lo = (mid << 32) | (uint32_t)ll;
#endif
}

/* ---- Philox4x32-10 ------------------------------------------------------ */

#define CT_PHILOX_M0 0xD2511F53u
#define CT_PHILOX_M1 0xCD9E8D57u
#define CT_PHILOX_W0 0x9E3779B9u   /* golden ratio */
#define CT_PHILOX_W1 0xBB67AE85u   /* sqrt(3) - 1 */

/* One Philox round: two 32x32->64 multiplies; the high halves are mixed
 * with the other two counter words and the round key. */
CT_HD void ct__philox_round(uint32_t c[4], uint32_t k0, uint32_t k1)
{
    uint32_t hi0, lo0, hi1, lo1;
    ct__mul32(CT_PHILOX_M0, c[0], &hi0, &lo0);
    ct__mul32(CT_PHILOX_M1, c[2], &hi1, &lo1);
    uint32_t n0 = hi1 ^ c[1] ^ k0;
    uint32_t n2 = hi0 ^ c[3] ^ k1;
    c[0] = n0; c[1] = lo1; c[2] = n2; c[3] = lo0;
}

/* The bijection: 10 rounds, the key bumped by the Weyl constants between
 * rounds. ctr/key are not modified (out may not alias them). */
CT_HD void ct_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
    uint32_t c[4] = { ctr[0], ctr[1], ctr[2], ctr[3] };
    uint32_t k0 = key[0], k1 = key[1];
    CT__UNROLL
    for (int r = 0; r < 10; r++) {
        if (r > 0) { k0 += CT_PHILOX_W0; k1 += CT_PHILOX_W1; }
        ct__philox_round(c, k0, k1);
    }
    out[0] = c[0]; out[1] = c[1]; out[2] = c[2]; out[3] = c[3];
}

/* Block b of the stream of generator (seed, offset). */
CT_HD void ct__philox_block(uint64_t seed, uint64_t offset, uint64_t b, uint32_t w[4])
{
    uint64_t c = offset + b;
    uint32_t ctr[4] = { (uint32_t)c, (uint32_t)(c >> 32), 0u, 0u };
    uint32_t key[2] = { (uint32_t)seed, (uint32_t)(seed >> 32) };
    ct_philox4x32_10(ctr, key, w);
}

/* "u64 j" of the stream: the odd word is the high half. */
CT_HD uint64_t ct__u64(uint32_t lo, uint32_t hi)
{
    return (uint64_t)lo | ((uint64_t)hi << 32);
}

/* ---- blocks consumed (advance the generator's offset by these) ----------- */

CT_HD uint64_t ct_rand_blocks_for_words(int64_t n, int words_per_elem)
{
    if (n <= 0) return 0;
    return ((uint64_t)n * (uint64_t)words_per_elem + 3u) / 4u;
}
CT_HD uint64_t ct_rand_blocks_uniform_f32(int64_t n) { return ct_rand_blocks_for_words(n, 1); }
CT_HD uint64_t ct_rand_blocks_uniform_f64(int64_t n) { return ct_rand_blocks_for_words(n, 2); }
CT_HD uint64_t ct_rand_blocks_normal_f32(int64_t n)  { return ct_rand_blocks_for_words(n, 1); }
CT_HD uint64_t ct_rand_blocks_normal_f64(int64_t n)  { return ct_rand_blocks_for_words(n, 2); }
CT_HD uint64_t ct_rand_blocks_bits_u64(int64_t n)    { return ct_rand_blocks_for_words(n, 2); }
CT_HD uint64_t ct_rand_blocks_randperm_int64(int64_t n) { return ct_rand_blocks_for_words(n, 2); }

/* ---- deterministic log and sincos(2 pi x) (see the contract) ------------ */

/* log(u) for a normal double u in (0, 1] (here u >= 2^-53), error < 3 ulp.
 * u = 2^e f with f in [sqrt(1/2), sqrt(2)); log f = 2 atanh(s) with
 * s = (f-1)/(f+1), |s| <= 0.1716, so the series 2s (1 + s^2/3 + s^4/5 + ...)
 * is below 2^-54 relative after the s^20 term. */
CT_HD double ct__log_unit(double u)
{
    uint64_t bits = ct__dbits(u);
    double f = ct__bitsd((bits & 0x000fffffffffffffull) | 0x3ff0000000000000ull);
    int big = f > 0x1.6a09e667f3bcdp+0;               /* f > sqrt(2): halve it */
    f = big ? f * 0.5 : f;                            /* (selects, no branch: the */
                                                      /* CPU fills run it on lanes) */
    /* e = biased exponent - 1023 (+1 when halved), exactly, as a double */
    double de = ct__u53_to_double(bits >> 52) - 1023.0 + (big ? 1.0 : 0.0);
    double a = f - 1.0;            /* exact (Sterbenz) */
    double s = a / (f + 1.0);
    double z = s * s;
    double p = 0x1.8618618618618p-5;              /* 1/21 */
    p = fma(p, z, 0x1.af286bca1af28p-5);          /* 1/19 */
    p = fma(p, z, 0x1.e1e1e1e1e1e1ep-5);          /* 1/17 */
    p = fma(p, z, 0x1.1111111111111p-4);          /* 1/15 */
    p = fma(p, z, 0x1.3b13b13b13b14p-4);          /* 1/13 */
    p = fma(p, z, 0x1.745d1745d1746p-4);          /* 1/11 */
    p = fma(p, z, 0x1.c71c71c71c71cp-4);          /* 1/9 */
    p = fma(p, z, 0x1.2492492492492p-3);          /* 1/7 */
    p = fma(p, z, 0x1.999999999999ap-3);          /* 1/5 */
    p = fma(p, z, 0x1.5555555555555p-2);          /* 1/3 */
    double t = s + s;                             /* exact */
    double logf_ = fma(t, z * p, t);
    /* e * ln2 in two parts: LN2_HI has 11 trailing zero bits, so e*LN2_HI is
     * exact for |e| < 2048 and the fma below rounds only once. */
    return fma(de, 0x1.62e42fefa3800p-1, fma(de, 0x1.ef35793c76730p-45, logf_));
}

/* sin and cos of 2 pi m 2^-K for an integer 0 <= m < 2^K, 3 <= K <= 53.
 * The reduction is exact integer work: quadrant = top 2 bits, and the
 * remainder is folded to [0, 1/8] of a turn (swapping sin and cos), where
 * the Taylor series in x = fraction of a turn converge below 2^-54 with the
 * terms shown. The coefficients are (-1)^k (2 pi)^n / n!. */
CT_HD void ct__sincos2pi(uint64_t m, int K, double *sn, double *cs)
{
    uint64_t quarter = (uint64_t)1 << (K - 2);
    uint64_t q = m >> (K - 2);
    uint64_t rem = m & (quarter - 1);
    int swap = rem > (quarter >> 1);
    rem = swap ? quarter - rem : rem;
    double x = ct__u53_to_double(rem) * ct__bitsd((uint64_t)(1023 - K) << 52);   /* exact */
    double y = x * x;
    double ps = -0x1.8a404211f9547p-7;            /* n = 19 */
    ps = fma(ps, y, 0x1.aaec32af93359p-4);        /* 17 */
    ps = fma(ps, y, -0x1.6fadb9f155744p-1);       /* 15 */
    ps = fma(ps, y, 0x1.e8f434d018d63p+1);        /* 13 */
    ps = fma(ps, y, -0x1.e3074fde8871fp+3);       /* 11 */
    ps = fma(ps, y, 0x1.50783487ee782p+5);        /* 9 */
    ps = fma(ps, y, -0x1.32d2cce62bd86p+6);       /* 7 */
    ps = fma(ps, y, 0x1.466bc6775aae2p+6);        /* 5 */
    ps = fma(ps, y, -0x1.4abbce625be53p+5);       /* 3 */
    ps = fma(ps, y, 0x1.921fb54442d18p+2);        /* 1: 2 pi */
    double pc = -0x1.2a0c591af8314p-5;            /* n = 18 */
    pc = fma(pc, y, 0x1.20c62c2f2d7f5p-2);        /* 16 */
    pc = fma(pc, y, -0x1.b6e24f44b128fp+0);       /* 14 */
    pc = fma(pc, y, 0x1.f9d38a3763cc3p+2);        /* 12 */
    pc = fma(pc, y, -0x1.a6d1f2a204a8cp+4);       /* 10 */
    pc = fma(pc, y, 0x1.e1f506891babbp+5);        /* 8 */
    pc = fma(pc, y, -0x1.55d3c7e3cbffap+6);       /* 6 */
    pc = fma(pc, y, 0x1.03c1f081b5ac4p+6);        /* 4 */
    pc = fma(pc, y, -0x1.3bd3cc9be45dep+4);       /* 2 */
    double s = x * ps;
    double c = fma(pc, y, 1.0);
    double s1 = swap ? c : s, c1 = swap ? s : c;
    /* rotate by q quarter turns: (s, c), (c, -s), (-s, -c), (-c, s) */
    double sa = q & 1 ? c1 : s1, ca = q & 1 ? s1 : c1;
    *sn = q & 2 ? -sa : sa;
    *cs = (q + 1) & 2 ? -ca : ca;
}

/* Box-Muller: radius from m1 (as u1 = (m1+1) 2^-K in (0,1]), angle from m2. */
CT_HD void ct__box_muller(uint64_t m1, uint64_t m2, int K, double *z0, double *z1)
{
    double scale = ct__bitsd((uint64_t)(1023 - K) << 52);     /* 2^-K */
    double u1 = ct__u53_to_double(m1 + 1) * scale;             /* exact */
    double r = sqrt(-2.0 * ct__log_unit(u1));
    double sn, cs;
    ct__sincos2pi(m2, K, &sn, &cs);
    *z0 = r * cs;
    *z1 = r * sn;
}

/* ---- 64/128-bit multiply-high for ranges -------------------------------- */

/* floor(x * range / 2^64) */
CT_HD uint64_t ct__mulhi64(uint64_t x, uint64_t range)
{
    uint64_t hi, lo;
    ct__mul64(x, range, &hi, &lo);
    return hi;
}

/* floor(X * range / 2^128) for the 128-bit X = xh 2^64 + xl: the high word of
 * xh*range + floor(xl*range / 2^64), which cannot overflow 128 bits. */
CT_HD uint64_t ct__mulhi128(uint64_t xh, uint64_t xl, uint64_t range)
{
    uint64_t hi, lo;
    ct__mul64(xh, range, &hi, &lo);
    uint64_t c = ct__mulhi64(xl, range);
    lo += c;
    return hi + (lo < c);
}

/* ---- words -> elements (the table of the contract) ----------------------- */

/* 24 bits: every value is exactly representable, max 1 - 2^-24 */
CT_HD float ct__uniform_f32_of(uint32_t w) { return (float)(w >> 8) * 0x1p-24f; }
CT_HD double ct__uniform_f64_of(uint64_t u) { return (double)(u >> 11) * 0x1p-53; }

/* All four elements of a full block; `out` points at element 4b. */
CT_HD void ct__uniform_f32_store4(const uint32_t w[4], float *out)
{
    out[0] = ct__uniform_f32_of(w[0]);
    out[1] = ct__uniform_f32_of(w[1]);
    out[2] = ct__uniform_f32_of(w[2]);
    out[3] = ct__uniform_f32_of(w[3]);
}

CT_HD void ct__uniform_f32_block(uint64_t seed, uint64_t offset, int64_t b, float *out, int64_t n)
{
    uint32_t w[4];
    ct__philox_block(seed, offset, (uint64_t)b, w);
    int64_t i0 = 4 * b;
    if (i0 + 3 < n) {
        ct__uniform_f32_store4(w, out + i0);
    } else {
        for (int64_t j = 0; i0 + j < n; j++) out[i0 + j] = ct__uniform_f32_of(w[j]);
    }
}

CT_HD void ct__uniform_f64_block(uint64_t seed, uint64_t offset, int64_t b, double *out, int64_t n)
{
    uint32_t w[4];
    ct__philox_block(seed, offset, (uint64_t)b, w);
    int64_t i0 = 2 * b;
    out[i0] = ct__uniform_f64_of(ct__u64(w[0], w[1]));
    if (i0 + 1 < n) out[i0 + 1] = ct__uniform_f64_of(ct__u64(w[2], w[3]));
}

CT_HD void ct__bits_u64_block(uint64_t seed, uint64_t offset, int64_t b, uint64_t *out, int64_t n)
{
    uint32_t w[4];
    ct__philox_block(seed, offset, (uint64_t)b, w);
    int64_t i0 = 2 * b;
    out[i0] = ct__u64(w[0], w[1]);
    if (i0 + 1 < n) out[i0 + 1] = ct__u64(w[2], w[3]);
}

/* Two pairs per block; both precisions compute in double, f32 rounds once. */
CT_HD void ct__normal_f32_block(uint64_t seed, uint64_t offset, int64_t b, float *out, int64_t n)
{
    uint32_t w[4];
    double z[4];
    ct__philox_block(seed, offset, (uint64_t)b, w);
    ct__box_muller(w[0], w[1], 32, &z[0], &z[1]);
    int64_t i0 = 4 * b, m = n - i0 < 4 ? n - i0 : 4;
    if (m > 2) ct__box_muller(w[2], w[3], 32, &z[2], &z[3]);
    for (int64_t j = 0; j < m; j++) out[i0 + j] = (float)z[j];
}

/* One pair per block: u64 0 the radius, u64 1 the angle. */
CT_HD void ct__normal_f64_block(uint64_t seed, uint64_t offset, int64_t b, double *out, int64_t n)
{
    uint32_t w[4];
    double z0, z1;
    ct__philox_block(seed, offset, (uint64_t)b, w);
    ct__box_muller(ct__u64(w[0], w[1]) >> 11, ct__u64(w[2], w[3]) >> 11, 53, &z0, &z1);
    int64_t i0 = 2 * b;
    out[i0] = z0;
    if (i0 + 1 < n) out[i0 + 1] = z1;
}

/* ---- integers in [low, high) (int64_range of the contract) -------------- */

/* high - low as uint64 (any pair of int64 bounds), 0 unless low < high */
CT_HD uint64_t ct__range_width(int64_t low, int64_t high)
{
    return high > low ? (uint64_t)high - (uint64_t)low : 0;
}

/* Words per element: 2 (u64 i) where range <= 2^32, 4 (block i) above. */
CT_HD int ct__range_wpe(uint64_t range) { return range <= 0x100000000ull ? 2 : 4; }

CT_HD uint64_t ct_rand_blocks_int64_range(int64_t n, int64_t low, int64_t high)
{
    return ct_rand_blocks_for_words(n, ct__range_wpe(ct__range_width(low, high)));
}

/* low + floor(X * range / 2^K) for the K-bit number X (K = 64: u; K = 128:
 * xh 2^64 + xl); wraps back into [low, high). */
CT_HD int64_t ct__range_of64(uint64_t u, int64_t low, uint64_t range)
{
    return (int64_t)((uint64_t)low + ct__mulhi64(u, range));
}
CT_HD int64_t ct__range_of128(uint64_t xh, uint64_t xl, int64_t low, uint64_t range)
{
    return (int64_t)((uint64_t)low + ct__mulhi128(xh, xl, range));
}

/* The elements that block b of an int64_range fill of n elements makes:
 * 2b and 2b + 1 (below n) where range <= 2^32, else b. */
CT_HD void ct__int64_range_block(uint64_t seed, uint64_t offset, int64_t b, int64_t low,
                                 uint64_t range, int64_t *out, int64_t n)
{
    uint32_t w[4];
    ct__philox_block(seed, offset, (uint64_t)b, w);
    if (ct__range_wpe(range) == 4) {
        out[b] = ct__range_of128(ct__u64(w[2], w[3]), ct__u64(w[0], w[1]), low, range);
        return;
    }
    int64_t i0 = 2 * b;
    out[i0] = ct__range_of64(ct__u64(w[0], w[1]), low, range);
    if (i0 + 1 < n) out[i0 + 1] = ct__range_of64(ct__u64(w[2], w[3]), low, range);
}

/* ---- multinomial with replacement --------------------------------------- */

/* The category of a draw u in [0, total]: the first k with c[k] > u (c the
 * row's running sums, total = c[ncat - 1]) by a branch-free binary search
 * (the comparisons are random, so branches would mispredict); where u
 * rounded up to the total, the last category of positive weight (p the
 * row's weights). */
CT_HD int64_t ct__mn_pick(const double *c, const double *p, int64_t ncat, double u)
{
    const double *at = c;
    int64_t len = ncat;
    while (len > 1) {
        int64_t half = len / 2;
        at = (at[half - 1] <= u) ? at + half : at;
        len -= half;
    }
    int64_t lo = (at - c) + (*at <= u);
    if (lo == ncat) {
        lo = ncat - 1;
        while (lo > 0 && p[lo] == 0.0) lo--;
    }
    return lo;
}

/* ---- counts: Poisson and binomial samplers ------------------------------
 * Element i of a call owns block i of the stream (counter offset + i) and,
 * for the draws a rejection loop needs after its first, the blocks with the
 * same counter and a draw number j >= 1 in the third counter word (the
 * stream's own blocks have 0 there, so no call's elements share words):
 * draw j of element i is Philox(ctr = {lo(c), hi(c), j, 0}), c = offset + i.
 * A draw is two uniforms, U from u64 0 and V from u64 1 of its block. The
 * call consumes n blocks. exp, log and lgamma are the correctly rounded
 * operations only (as ct__log_unit), so the CPU and the device agree bit
 * for bit. */

CT_HD void ct__philox_draw(uint64_t seed, uint64_t offset, int64_t i, uint32_t j, uint32_t w[4])
{
    uint64_t c = offset + (uint64_t)i;
    uint32_t ctr[4] = { (uint32_t)c, (uint32_t)(c >> 32), j, 0u };
    uint32_t key[2] = { (uint32_t)seed, (uint32_t)(seed >> 32) };
    ct_philox4x32_10(ctr, key, w);
}

/* (m + 1) 2^-53 in (0, 1] from u64 (lo, hi) */
CT_HD double ct__unit_open0(uint32_t lo, uint32_t hi)
{
    return (double)((ct__u64(lo, hi) >> 11) + 1) * 0x1p-53;
}

/* log x for a positive normal double (ct__log_unit's reduction works for any
 * exponent) */
CT_HD double ct__log_pos(double x) { return ct__log_unit(x); }

/* exp x for -745 < x <= 709.78, branch free (it runs on vector lanes):
 * x = k ln2 + r, |r| <= ln2/2, Taylor to r^13 (below 2^-56 relative) */
CT_HD double ct__exp_core(double x)
{
    double k = floor(fma(x, 0x1.71547652b82fep+0, 0.5));          /* x / ln2 */
    double r = fma(-k, 0x1.62e42fefa3800p-1, x);                  /* exact: k < 2^11 */
    r = fma(-k, 0x1.ef35793c76730p-45, r);
    double p = 0x1.6124613a86d09p-33;                             /* 1/13! */
    p = fma(p, r, 0x1.1eed8eff8d898p-29);                         /* 1/12! */
    p = fma(p, r, 0x1.ae64567f544e4p-26);                         /* 1/11! */
    p = fma(p, r, 0x1.27e4fb7789f5cp-22);                         /* 1/10! */
    p = fma(p, r, 0x1.71de3a556c734p-19);                         /* 1/9! */
    p = fma(p, r, 0x1.a01a01a01a01ap-16);                         /* 1/8! */
    p = fma(p, r, 0x1.a01a01a01a01ap-13);                         /* 1/7! */
    p = fma(p, r, 0x1.6c16c16c16c17p-10);                         /* 1/6! */
    p = fma(p, r, 0x1.1111111111111p-7);                          /* 1/5! */
    p = fma(p, r, 0x1.5555555555555p-5);                          /* 1/4! */
    p = fma(p, r, 0x1.5555555555555p-3);                          /* 1/3! */
    p = fma(p, r, 0.5);
    p = fma(p, r, 1.0);
    p = fma(p, r, 1.0);
    int e = (int)k;
    /* 2^e in two factors, so that results down to the subnormals are right */
    int e1 = e / 2, e2 = e - e1;
    return p * ct__bitsd((uint64_t)(1023 + e1) << 52) * ct__bitsd((uint64_t)(1023 + e2) << 52);
}

/* exp x: 0 below -745, inf above 709.78 */
CT_HD double ct__exp(double x)
{
    if (!(x > -745.0)) return x != x ? x : 0.0;
    if (x > 709.78) return ct__bitsd(0x7ff0000000000000ull);
    return ct__exp_core(x);
}

/* log(k!) for an integer k >= 0 (as a double): below 16 the log of k!
 * itself, Stirling's series above (its error after the x^-7 term is below
 * 2^-60 there). Branch free (both sides, then a select), so that it runs on
 * vector lanes; the factors of k! (those above k are 1) multiply as a tree,
 * every product exact (15! < 2^53). */
CT_HD double ct__log_factorial(double k)
{
#define CT__F(q) ((double)(q) <= k ? (double)(q) : 1.0)
    double f = ((CT__F(2) * CT__F(3)) * (CT__F(4) * CT__F(5))) * ((CT__F(6) * CT__F(7)) * (CT__F(8) * CT__F(9)))
             * (((CT__F(10) * CT__F(11)) * (CT__F(12) * CT__F(13))) * (CT__F(14) * CT__F(15)));
#undef CT__F
    int small = k < 16.0;
    double x = k + 1.0, ix = 1.0 / x, ix2 = ix * ix;
    double lg = ct__log_pos(small ? f : x);
    double s = -0x1.3813813813814p-11;                           /* -1/1680 */
    s = fma(s, ix2, 0x1.a01a01a01a01ap-11);                       /* 1/1260 */
    s = fma(s, ix2, -0x1.6c16c16c16c17p-9);                       /* -1/360 */
    s = fma(s, ix2, 0x1.5555555555555p-4);                        /* 1/12 */
    double big = fma(x - 0.5, lg, fma(s, ix, 0x1.d67f1c864beb4p-1 - x));  /* + log(2 pi)/2 */
    return small ? (k < 2.0 ? 0.0 : lg) : big;
}

/* Rejection loops give up after this many draws (a correct loop accepts a
 * draw with probability above 0.5; only rates far beyond 2^53, where the
 * acceptance test is lost in rounding, could get there): the mode then. */
#define CT_COUNT_MAX_DRAWS 4096u

/* A Poisson(lam) draw for 0 <= lam (inf gives inf). Below 10: inversion of
 * one uniform (sequential search from 0); above: Hormann's transformed
 * rejection with squeeze (PTRS, 1993). What depends on lam only is set up
 * apart (ct__poisson_setup), so that a loop over equal rates does it once. */
typedef struct { double lam, loglam, b, a, vr, lia, e; } ct__pois;

/* PTRS's constants of a finite rate lam >= 10 */
CT_HD void ct__ptrs_setup(double lam, ct__pois *s)
{
    s->lam = lam;
    s->e = 0.0;
    s->loglam = ct__log_pos(lam);
    s->b = fma(2.53, sqrt(lam), 0.931);
    s->a = fma(0.02483, s->b, -0.059);
    s->vr = 0.9277 - 3.6224 / (s->b - 2.0);
    s->lia = ct__log_pos(1.1239 + 1.1328 / (s->b - 3.4));       /* log(1 / alpha) */
}

CT_HD void ct__poisson_setup(double lam, ct__pois *s)
{
    if (lam >= 10.0 && lam <= 0x1.fffffffffffffp+1023) {
        ct__ptrs_setup(lam, s);
        return;
    }
    s->lam = lam;
    s->loglam = s->b = s->a = s->vr = s->lia = s->e = 0.0;
    if (lam > 0.0 && lam < 10.0) s->e = ct__exp(-lam);
}

/* One PTRS draw for s's rate from the uniforms u in [-1/2, 1/2) and v in
 * (0, 1]: the candidate *k, and whether it is accepted (the quick accept,
 * the squeeze's reject, then the test with log(k!)). Branch free (every
 * test a select), so that the CPU runs it on vector lanes. */
CT_HD int ct__ptrs_try(const ct__pois *s, double u, double v, double *k)
{
    double lam = s->lam, a = s->a, b = s->b;
    double us = 0.5 - fabs(u);
    double kj = floor(fma(2.0 * a / us + b, u, lam + 0.43));
    int quick = us >= 0.07 && v <= s->vr;
    int test = kj >= 0.0 && !(us < 0.013 && v > us);
    double kc = test ? kj : 0.0;
    double lhs = ct__log_pos(v) + s->lia - ct__log_pos(a / (us * us) + b);
    *k = kj;
    return quick || (test && lhs <= fma(kc, s->loglam, -lam) - ct__log_factorial(kc));
}

/* The words of draw j of element i: draw 0's are w0 (block i of the
 * stream, which the CPU loops draw for a run of elements at once). */
CT_HD void ct__draw_words(uint64_t seed, uint64_t offset, int64_t i, uint32_t j,
                          const uint32_t w0[4], uint32_t w[4])
{
    if (j == 0) { w[0] = w0[0]; w[1] = w0[1]; w[2] = w0[2]; w[3] = w0[3]; }
    else ct__philox_draw(seed, offset, i, j, w);
}

/* The uniforms of a PTRS / BTRS draw from its words: u in [-1/2, 1/2) from
 * u64 0, v in (0, 1] from u64 1 */
CT_HD void ct__draw_uv(const uint32_t w[4], double *u, double *v)
{
    *u = ct__uniform_f64_of(ct__u64(w[0], w[1])) - 0.5;
    *v = ct__unit_open0(w[2], w[3]);
}

/* Poisson(lam) for 0 < lam < 10 by inversion of u: the terms p_k =
 * p_(k-1) lam / k from p_0 = e = e^-lam, k the first index where
 * u <= p_0 + ... + p_k or p_k = 0 */
CT_HD double ct__poisson_invert(double lam, double e, double u)
{
    double p = e, f = p, k = 0.0;
    while (u > f && p > 0.0) {
        k += 1.0;
        p = p * lam / k;
        f += p;
    }
    return k;
}

/* w0: the words of draw 0 (ct__draw_words) */
CT_HD double ct__poisson_sample(uint64_t seed, uint64_t offset, int64_t i, const ct__pois *s,
                                const uint32_t w0[4])
{
    uint32_t w[4];
    double lam = s->lam;
    if (!(lam > 0.0)) return 0.0;
    if (lam > 0x1.fffffffffffffp+1023) return lam;
    if (lam < 10.0) {
        return ct__poisson_invert(lam, s->e, ct__uniform_f64_of(ct__u64(w0[0], w0[1])));
    }
    for (uint32_t j = 0; j < CT_COUNT_MAX_DRAWS; j++) {
        double k, u, v;
        ct__draw_words(seed, offset, i, j, w0, w);
        ct__draw_uv(w, &u, &v);
        if (ct__ptrs_try(s, u, v, &k))
            return k;
    }
    return floor(lam);
}

CT_HD double ct__poisson_draw(uint64_t seed, uint64_t offset, int64_t i, double lam)
{
    ct__pois s;
    uint32_t w0[4];
    ct__poisson_setup(lam, &s);
    ct__philox_draw(seed, offset, i, 0u, w0);
    return ct__poisson_sample(seed, offset, i, &s, w0);
}

/* log1p x for -1 < x (x = 0 gives 0): log(1 + x) corrected by the rounding
 * of 1 + x */
CT_HD double ct__log1p(double x)
{
    double u = 1.0 + x;
    if (u == 1.0) return x;
    return ct__log_pos(u) * (x / (u - 1.0));
}

/* A Binomial(n, p) draw: n = trunc(count) (<= 0: 0; inf: inf), p clamped
 * to [0, 1] (a nan count or p: nan). p > 1/2 draws n - X(1 - p). Mean below
 * 10: inversion of one uniform; above: Hormann's BTRS (1993). The set-up
 * of a (count, prob) pair is apart, as for Poisson. */
typedef struct {
    double count, prob;
    double fixed;           /* the result when no draw is needed, else -1 */
    double n, p, q;
    int flip, inv;
    double s, a, r0;        /* inversion */
    double spq, b, c, alpha, vr, lpq, m, h;   /* BTRS (a shared) */
} ct__binom;

/* The part of the set-up that decides how (count, prob) is drawn: fixed,
 * flip, n, p, q and inv; the rest 0 */
CT_HD void ct__binomial_kind(double count, double prob, ct__binom *st)
{
    st->count = count;
    st->prob = prob;
    st->fixed = -1.0;
    st->n = st->p = st->q = st->s = st->a = st->r0 = 0.0;
    st->spq = st->b = st->c = st->alpha = st->vr = st->lpq = st->m = st->h = 0.0;
    st->flip = st->inv = 0;
    if (prob != prob) { st->fixed = prob; return; }
    if (count != count) { st->fixed = count; return; }
    double n = trunc(count);
    if (!(n > 0.0) || !(prob > 0.0)) { st->fixed = 0.0; return; }
    if (prob >= 1.0 || n > 0x1.fffffffffffffp+1023) { st->fixed = n; return; }
    st->flip = prob > 0.5;
    double p = st->flip ? 1.0 - prob : prob, q = 1.0 - p;
    st->n = n;
    st->p = p;
    st->q = q;
    st->inv = n * p < 10.0;
}

/* BTRS's constants of st's n, p <= 1/2 and q = 1 - p (n p >= 10) */
CT_HD void ct__btrs_setup(ct__binom *st)
{
    double n = st->n, p = st->p, q = st->q;
    st->spq = sqrt(n * p * q);
    st->b = fma(2.53, st->spq, 1.15);
    st->a = fma(0.0248, st->b, fma(0.01, p, -0.0873));
    st->c = fma(n, p, 0.5);
    st->alpha = (2.83 + 5.1 / st->b) * st->spq;
    st->vr = 0.92 - 4.2 / st->b;
    st->lpq = ct__log_pos(p / q);
    st->m = floor((n + 1.0) * p);
    st->h = ct__log_factorial(st->m) + ct__log_factorial(n - st->m);
}

CT_HD void ct__binomial_setup(double count, double prob, ct__binom *st)
{
    ct__binomial_kind(count, prob, st);
    if (st->fixed != -1.0) return;
    if (!st->inv) {
        ct__btrs_setup(st);
        return;
    }
    st->s = st->p / st->q;
    st->a = (st->n + 1.0) * st->s;
    st->r0 = ct__exp(st->n * ct__log1p(-st->p));
}

/* One BTRS draw for st from the uniforms u in [-1/2, 1/2) and v in (0, 1]:
 * the candidate *k, and whether it is accepted (in [0, n], then the quick
 * accept or the test with the log-factorials). Branch free (every test a
 * select), so that the CPU runs it on vector lanes. */
CT_HD int ct__btrs_try(const ct__binom *st, double u, double v, double *k)
{
    double n = st->n, a = st->a, b = st->b;
    double us = 0.5 - fabs(u);
    double kk = floor(fma(2.0 * a / us + b, u, st->c));
    int valid = kk >= 0.0 && kk <= n;
    int quick = us >= 0.07 && v <= st->vr;
    double kc = valid ? kk : st->m;
    double lv = ct__log_pos(v * st->alpha / (a / (us * us) + b));
    *k = kk;
    return valid && (quick || lv <= fma(kc - st->m, st->lpq,
                                        st->h - ct__log_factorial(kc) - ct__log_factorial(n - kc)));
}

/* w0: the words of draw 0 (ct__draw_words) */
CT_HD double ct__binomial_sample(uint64_t seed, uint64_t offset, int64_t i, const ct__binom *st,
                                 const uint32_t w0[4])
{
    uint32_t w[4];
    if (st->fixed != -1.0) return st->fixed;
    double n = st->n, k;
    if (st->inv) {
        double u = ct__uniform_f64_of(ct__u64(w0[0], w0[1]));
        double r = st->r0;
        k = 0.0;
        while (u > r && k < n && r > 0.0) {
            u -= r;
            k += 1.0;
            r *= st->a / k - st->s;
        }
    } else {
        k = st->m;
        for (uint32_t j = 0; j < CT_COUNT_MAX_DRAWS; j++) {
            double kk, u, v;
            ct__draw_words(seed, offset, i, j, w0, w);
            ct__draw_uv(w, &u, &v);
            if (ct__btrs_try(st, u, v, &kk)) {
                k = kk;
                break;
            }
        }
    }
    return st->flip ? n - k : k;
}

CT_HD double ct__binomial_draw(uint64_t seed, uint64_t offset, int64_t i, double count, double prob)
{
    ct__binom st;
    uint32_t w0[4];
    ct__binomial_setup(count, prob, &st);
    ct__philox_draw(seed, offset, i, 0u, w0);
    return ct__binomial_sample(seed, offset, i, &st, w0);
}

#endif /* CT_PHILOX_CORE_H */
