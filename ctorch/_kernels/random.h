/* ctorch's random number generator: Philox4x32-10, counter based, shared by
 * the CPU kernels (this file) and the CUDA kernels (cuda_src/random.cu,
 * cuda_src/philox.cuh), which must produce bit-identical numbers.
 *
 * ==== THE STREAM CONTRACT (CPU and CUDA must both follow it) ============
 *
 * Generator state: (seed, offset), both uint64.
 *   key  = { low 32 bits of seed, high 32 bits of seed }
 *   Block b of the stream (b = 0, 1, 2, ...) is the Philox4x32-10 output
 *   for counter c = offset + b (uint64, wrapping):
 *     ctr = { low 32 bits of c, high 32 bits of c, 0, 0 }
 *   Word w of the stream is word (w % 4) of block (w / 4).
 *
 * Every fill function below reads a fixed number of words per element,
 * always starting at word 0 of the stream, and consumes
 *     blocks(n) = ceil(n * words_per_element / 4)
 * blocks; the caller advances the generator's offset by that amount (the
 * ct_rand_blocks_* companions). Words left over in the last block are
 * wasted, so a call always starts on a block boundary.
 *
 *   function            words/elem  mapping for element i
 *   uniform_f32         1           word i: (w >> 8) * 2^-24       [0, 1)
 *   uniform_f64         2           u64 i:  (u >> 11) * 2^-53      [0, 1)
 *   bits_u64            2           u64 i
 *   normal_f32          1           pair k = elements (2k, 2k+1) uses
 *                                   words 2k (radius), 2k+1 (angle)
 *   normal_f64          2           pair k uses u64 2k (radius), 2k+1 (angle)
 *                                   i.e. exactly block k
 *   int64_range         4           block i (a 128-bit number)
 *   randperm_int64      2           u64 i drives Fisher-Yates step i
 *
 *   "u64 j" = word 2j | (word 2j+1) << 32  (the odd word is the high half).
 *   "128-bit number of block b" = u64 2b | (u64 2b+1) << 64.
 *
 * Box-Muller for pair (u1 word(s), u2 word(s)):
 *   u1 = (m1 + 1) * 2^-K in (0, 1]  (never 0, so log never sees 0)
 *   u2 =  m2      * 2^-K in [0, 1)
 *   r  = sqrt(-2 log u1);  element 2k = r cos(2 pi u2), 2k+1 = r sin(2 pi u2)
 *   with K = 32 (m = the word) for f32 and K = 53 (m = u64 >> 11) for f64.
 *   Both precisions compute in double; f32 rounds the double result once.
 *
 * log and sincos(2 pi x) are NOT taken from libm: glibc and CUDA's libdevice
 * round differently in the last bit. ct__log_unit and ct__sincos2pi below
 * use only +, -, *, /, sqrt and fma -- all correctly rounded by IEEE 754 on
 * both sides -- in a fixed order, so results are bit-identical. Every
 * product that is added to something is an explicit fma(), so the compiler's
 * floating-point contraction (gcc -ffp-contract=fast with FMA hardware, nvcc
 * --fmad=true) has nothing left to fuse. Do not build either side with
 * -ffast-math / --use_fast_math.
 * ======================================================================
 *
 * Element i depends only on (seed, offset, i), so the fills split the blocks
 * between OpenMP threads and give the same numbers for any thread count.
 */
#ifndef CT_RANDOM_H
#define CT_RANDOM_H

#include <stdint.h>
#include <string.h>
#include <math.h>

/* Below this many elements a parallel region costs more than it saves. */
#define CT_RAND_PAR_MIN 65536

/* The math helpers must be inlined into the target("fma") workers below so
 * that their fma() calls become instructions there. */
#if defined(__GNUC__)
#define CT__ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define CT__ALWAYS_INLINE inline
#endif

#ifdef _OPENMP
#define CT__RAND_OMP_FOR \
    _Pragma("omp parallel for schedule(static) if(n > CT_RAND_PAR_MIN)")
#else
#define CT__RAND_OMP_FOR
#endif

/* ---- Philox4x32-10 ----------------------------------------------------- */

#define CT_PHILOX_M0 0xD2511F53u
#define CT_PHILOX_M1 0xCD9E8D57u
#define CT_PHILOX_W0 0x9E3779B9u   /* golden ratio */
#define CT_PHILOX_W1 0xBB67AE85u   /* sqrt(3) - 1 */

/* One Philox round: two 32x32->64 multiplies; the high halves are mixed
 * with the other two counter words and the round key. */
static CT__ALWAYS_INLINE void ct__philox_round(uint32_t c[4], uint32_t k0, uint32_t k1)
{
    uint64_t p0 = (uint64_t)CT_PHILOX_M0 * c[0];
    uint64_t p1 = (uint64_t)CT_PHILOX_M1 * c[2];
    uint32_t n0 = (uint32_t)(p1 >> 32) ^ c[1] ^ k0;
    uint32_t n1 = (uint32_t)p1;
    uint32_t n2 = (uint32_t)(p0 >> 32) ^ c[3] ^ k1;
    uint32_t n3 = (uint32_t)p0;
    c[0] = n0; c[1] = n1; c[2] = n2; c[3] = n3;
}

/* The bijection: 10 rounds, the key bumped by the Weyl constants between
 * rounds. ctr/key are not modified (out may not alias them). */
static CT__ALWAYS_INLINE void ct_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2],
                                    uint32_t out[4])
{
    uint32_t c[4] = { ctr[0], ctr[1], ctr[2], ctr[3] };
    uint32_t k0 = key[0], k1 = key[1];
    for (int r = 0; r < 10; r++) {
        if (r > 0) { k0 += CT_PHILOX_W0; k1 += CT_PHILOX_W1; }
        ct__philox_round(c, k0, k1);
    }
    out[0] = c[0]; out[1] = c[1]; out[2] = c[2]; out[3] = c[3];
}

/* Block b of the stream of generator (seed, offset). */
static CT__ALWAYS_INLINE void ct__philox_block(uint64_t seed, uint64_t offset, uint64_t b,
                                    uint32_t w[4])
{
    uint64_t c = offset + b;
    uint32_t ctr[4] = { (uint32_t)c, (uint32_t)(c >> 32), 0u, 0u };
    uint32_t key[2] = { (uint32_t)seed, (uint32_t)(seed >> 32) };
    ct_philox4x32_10(ctr, key, w);
}

static CT__ALWAYS_INLINE uint64_t ct__u64(uint32_t lo, uint32_t hi)
{
    return (uint64_t)lo | ((uint64_t)hi << 32);
}

/* ---- blocks consumed (advance the generator's offset by these) ----------- */

static inline uint64_t ct_rand_blocks_for_words(int64_t n, int words_per_elem)
{
    if (n <= 0) return 0;
    return ((uint64_t)n * (uint64_t)words_per_elem + 3u) / 4u;
}
static inline uint64_t ct_rand_blocks_uniform_f32(int64_t n) { return ct_rand_blocks_for_words(n, 1); }
static inline uint64_t ct_rand_blocks_uniform_f64(int64_t n) { return ct_rand_blocks_for_words(n, 2); }
static inline uint64_t ct_rand_blocks_normal_f32(int64_t n)  { return ct_rand_blocks_for_words(n, 1); }
static inline uint64_t ct_rand_blocks_normal_f64(int64_t n)  { return ct_rand_blocks_for_words(n, 2); }
static inline uint64_t ct_rand_blocks_bits_u64(int64_t n)    { return ct_rand_blocks_for_words(n, 2); }
static inline uint64_t ct_rand_blocks_int64_range(int64_t n) { return ct_rand_blocks_for_words(n, 4); }
static inline uint64_t ct_rand_blocks_randperm_int64(int64_t n) { return ct_rand_blocks_for_words(n, 2); }

/* ---- deterministic log and sincos(2 pi x) (see the contract) ------------ */

static CT__ALWAYS_INLINE uint64_t ct__dbits(double x) { uint64_t u; memcpy(&u, &x, 8); return u; }
static CT__ALWAYS_INLINE double ct__bitsd(uint64_t u) { double x; memcpy(&x, &u, 8); return x; }

/* log(u) for a normal double u in (0, 1] (here u >= 2^-53), error < 3 ulp.
 * u = 2^e f with f in [sqrt(1/2), sqrt(2)); log f = 2 atanh(s) with
 * s = (f-1)/(f+1), |s| <= 0.1716, so the series 2s (1 + s^2/3 + s^4/5 + ...)
 * is below 2^-54 relative after the s^20 term. */
static CT__ALWAYS_INLINE double ct__log_unit(double u)
{
    uint64_t bits = ct__dbits(u);
    int e = (int)((bits >> 52) & 0x7ff) - 1023;
    double f = ct__bitsd((bits & 0x000fffffffffffffull) | 0x3ff0000000000000ull);
    if (f > 0x1.6a09e667f3bcdp+0) { f *= 0.5; e += 1; }   /* f > sqrt(2) */
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
    double de = (double)e;
    return fma(de, 0x1.62e42fefa3800p-1, fma(de, 0x1.ef35793c76730p-45, logf_));
}

/* sin and cos of 2 pi m 2^-K for an integer 0 <= m < 2^K, 3 <= K <= 53.
 * The reduction is exact integer work: quadrant = top 2 bits, and the
 * remainder is folded to [0, 1/8] of a turn (swapping sin and cos), where
 * the Taylor series in x = fraction of a turn converge below 2^-54 with the
 * terms shown. The coefficients are (-1)^k (2 pi)^n / n!. */
static CT__ALWAYS_INLINE void ct__sincos2pi(uint64_t m, int K, double *sn, double *cs)
{
    uint64_t quarter = (uint64_t)1 << (K - 2);
    int q = (int)(m >> (K - 2));
    uint64_t rem = m & (quarter - 1);
    int swap = rem > (quarter >> 1);
    if (swap) rem = quarter - rem;
    double x = (double)rem * ct__bitsd((uint64_t)(1023 - K) << 52);   /* exact */
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
    if (swap) { double t = s; s = c; c = t; }
    switch (q) {              /* rotate by q quarter turns */
    case 0:  *sn = s;  *cs = c;  break;
    case 1:  *sn = c;  *cs = -s; break;
    case 2:  *sn = -s; *cs = -c; break;
    default: *sn = -c; *cs = s;  break;
    }
}

/* Box-Muller: radius from m1 (as u1 = (m1+1) 2^-K in (0,1]), angle from m2. */
static CT__ALWAYS_INLINE void ct__box_muller(uint64_t m1, uint64_t m2, int K,
                                  double *z0, double *z1)
{
    double scale = ct__bitsd((uint64_t)(1023 - K) << 52);     /* 2^-K */
    double u1 = (double)(m1 + 1) * scale;                      /* exact */
    double r = sqrt(-2.0 * ct__log_unit(u1));
    double sn, cs;
    ct__sincos2pi(m2, K, &sn, &cs);
    *z0 = r * cs;
    *z1 = r * sn;
}

/* ---- 64/128-bit multiply-high for ranges -------------------------------- */

#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 ct__u128;   /* __extension__: quiet under -pedantic */
static inline void ct__mul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
    ct__u128 p = (ct__u128)a * b;
    *hi = (uint64_t)(p >> 64);
    *lo = (uint64_t)p;
}
#else
static inline void ct__mul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
    uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
    uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
    uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
    *hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
    *lo = (mid << 32) | (uint32_t)ll;
}
#endif

/* floor(x * range / 2^64) */
static inline uint64_t ct__mulhi64(uint64_t x, uint64_t range)
{
    uint64_t hi, lo;
    ct__mul64(x, range, &hi, &lo);
    return hi;
}

/* floor(X * range / 2^128) for the 128-bit X = xh 2^64 + xl: the high word of
 * xh*range + floor(xl*range / 2^64), which cannot overflow 128 bits. */
static inline uint64_t ct__mulhi128(uint64_t xh, uint64_t xl, uint64_t range)
{
    uint64_t hi, lo;
    ct__mul64(xh, range, &hi, &lo);
    uint64_t c = ct__mulhi64(xl, range);
    lo += c;
    return hi + (lo < c);
}

/* ---- fill functions ------------------------------------------------------ */

static void ct_rand_uniform_f32(uint64_t seed, uint64_t offset, float *out, int64_t n)
{
    /* Full blocks first, with a fixed 4 stores per block: gcc vectorises this
     * loop (Philox on SIMD lanes); the partial last block is done apart. */
    int64_t nfull = n / 4;
    CT__RAND_OMP_FOR
    for (int64_t b = 0; b < nfull; b++) {
        uint32_t w[4];
        ct__philox_block(seed, offset, (uint64_t)b, w);
        /* 24 bits: every value is exactly representable, max 1 - 2^-24 */
        out[4 * b]     = (float)(w[0] >> 8) * 0x1p-24f;
        out[4 * b + 1] = (float)(w[1] >> 8) * 0x1p-24f;
        out[4 * b + 2] = (float)(w[2] >> 8) * 0x1p-24f;
        out[4 * b + 3] = (float)(w[3] >> 8) * 0x1p-24f;
    }
    if (n > 4 * nfull) {
        uint32_t w[4];
        ct__philox_block(seed, offset, (uint64_t)nfull, w);
        for (int64_t j = 0; 4 * nfull + j < n; j++)
            out[4 * nfull + j] = (float)(w[j] >> 8) * 0x1p-24f;
    }
}

static void ct_rand_uniform_f64(uint64_t seed, uint64_t offset, double *out, int64_t n)
{
    int64_t nb = (int64_t)ct_rand_blocks_uniform_f64(n);
    CT__RAND_OMP_FOR
    for (int64_t b = 0; b < nb; b++) {
        uint32_t w[4];
        ct__philox_block(seed, offset, (uint64_t)b, w);
        int64_t i0 = 2 * b;
        out[i0] = (double)(ct__u64(w[0], w[1]) >> 11) * 0x1p-53;
        if (i0 + 1 < n)
            out[i0 + 1] = (double)(ct__u64(w[2], w[3]) >> 11) * 0x1p-53;
    }
}

static void ct_rand_bits_u64(uint64_t seed, uint64_t offset, uint64_t *out, int64_t n)
{
    int64_t nb = (int64_t)ct_rand_blocks_bits_u64(n);
    CT__RAND_OMP_FOR
    for (int64_t b = 0; b < nb; b++) {
        uint32_t w[4];
        ct__philox_block(seed, offset, (uint64_t)b, w);
        int64_t i0 = 2 * b;
        out[i0] = ct__u64(w[0], w[1]);
        if (i0 + 1 < n) out[i0 + 1] = ct__u64(w[2], w[3]);
    }
}

/* Normal fills. The per-block work is written once (ct__normal_*_blocks)
 * and compiled twice on x86-64 gcc builds without -mfma: a generic copy,
 * where fma() is a libm call (exact, but a call), and a target("fma") copy
 * where it is one instruction, picked at run time. Both compute the same
 * correctly rounded fma, so the numbers do not depend on the copy. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__FMA__)
#define CT__RAND_FMA_DISPATCH 1
#endif

#define CT__RAND_CHUNK 1024   /* blocks per call of a block-range worker */

static CT__ALWAYS_INLINE void ct__normal_f32_blocks(uint64_t seed, uint64_t offset, float *out,
                                                   int64_t n, int64_t b0, int64_t b1)
{
    for (int64_t b = b0; b < b1; b++) {
        uint32_t w[4];
        double z[4];
        ct__philox_block(seed, offset, (uint64_t)b, w);
        ct__box_muller(w[0], w[1], 32, &z[0], &z[1]);
        int64_t i0 = 4 * b, m = n - i0 < 4 ? n - i0 : 4;
        if (m > 2) ct__box_muller(w[2], w[3], 32, &z[2], &z[3]);
        for (int64_t j = 0; j < m; j++) out[i0 + j] = (float)z[j];
    }
}

static CT__ALWAYS_INLINE void ct__normal_f64_blocks(uint64_t seed, uint64_t offset, double *out,
                                                   int64_t n, int64_t b0, int64_t b1)
{
    for (int64_t b = b0; b < b1; b++) {
        uint32_t w[4];
        double z0, z1;
        ct__philox_block(seed, offset, (uint64_t)b, w);
        ct__box_muller(ct__u64(w[0], w[1]) >> 11, ct__u64(w[2], w[3]) >> 11, 53, &z0, &z1);
        int64_t i0 = 2 * b;
        out[i0] = z0;
        if (i0 + 1 < n) out[i0 + 1] = z1;
    }
}

typedef void (*ct__normal_f32_fn)(uint64_t, uint64_t, float *, int64_t, int64_t, int64_t);
typedef void (*ct__normal_f64_fn)(uint64_t, uint64_t, double *, int64_t, int64_t, int64_t);

static void ct__normal_f32_generic(uint64_t s, uint64_t o, float *out, int64_t n, int64_t b0, int64_t b1)
{ ct__normal_f32_blocks(s, o, out, n, b0, b1); }
static void ct__normal_f64_generic(uint64_t s, uint64_t o, double *out, int64_t n, int64_t b0, int64_t b1)
{ ct__normal_f64_blocks(s, o, out, n, b0, b1); }

#ifdef CT__RAND_FMA_DISPATCH
__attribute__((target("fma")))
static void ct__normal_f32_fma(uint64_t s, uint64_t o, float *out, int64_t n, int64_t b0, int64_t b1)
{ ct__normal_f32_blocks(s, o, out, n, b0, b1); }
__attribute__((target("fma")))
static void ct__normal_f64_fma(uint64_t s, uint64_t o, double *out, int64_t n, int64_t b0, int64_t b1)
{ ct__normal_f64_blocks(s, o, out, n, b0, b1); }

static inline int ct__cpu_has_fma(void)
{
    __builtin_cpu_init();      /* idempotent; needed if we run before constructors */
    return __builtin_cpu_supports("fma");
}
#endif

static void ct_rand_normal_f32(uint64_t seed, uint64_t offset, float *out, int64_t n)
{
    int64_t nb = (int64_t)ct_rand_blocks_normal_f32(n);
    int64_t nchunks = (nb + CT__RAND_CHUNK - 1) / CT__RAND_CHUNK;
    ct__normal_f32_fn fn = ct__normal_f32_generic;
#ifdef CT__RAND_FMA_DISPATCH
    if (ct__cpu_has_fma()) fn = ct__normal_f32_fma;
#endif
    CT__RAND_OMP_FOR
    for (int64_t c = 0; c < nchunks; c++) {
        int64_t b1 = (c + 1) * CT__RAND_CHUNK;
        fn(seed, offset, out, n, c * CT__RAND_CHUNK, b1 < nb ? b1 : nb);
    }
}

static void ct_rand_normal_f64(uint64_t seed, uint64_t offset, double *out, int64_t n)
{
    int64_t nb = (int64_t)ct_rand_blocks_normal_f64(n);
    int64_t nchunks = (nb + CT__RAND_CHUNK - 1) / CT__RAND_CHUNK;
    ct__normal_f64_fn fn = ct__normal_f64_generic;
#ifdef CT__RAND_FMA_DISPATCH
    if (ct__cpu_has_fma()) fn = ct__normal_f64_fma;
#endif
    CT__RAND_OMP_FOR
    for (int64_t c = 0; c < nchunks; c++) {
        int64_t b1 = (c + 1) * CT__RAND_CHUNK;
        fn(seed, offset, out, n, c * CT__RAND_CHUNK, b1 < nb ? b1 : nb);
    }
}

/* Uniform integers in [low, high); requires low < high (otherwise every
 * element is low). range = high - low is computed in uint64, so any pair of
 * int64 bounds works (up to range 2^64 - 1).
 *
 * Method: multiply-high without rejection (Lemire), on 128 random bits per
 * element: value = low + floor(X * range / 2^128). Each result has either
 * floor(2^128/range) or ceil(2^128/range) preimages, so the relative bias is
 * at most range / 2^128 <= 2^-64 -- unmeasurable for every range -- and
 * there is no rejection loop, so every element costs exactly one block,
 * which keeps element i a pure function of (seed, offset, i). */
static void ct_rand_int64_range(uint64_t seed, uint64_t offset, int64_t low, int64_t high,
                                int64_t *out, int64_t n)
{
    uint64_t range = high > low ? (uint64_t)high - (uint64_t)low : 0;
    CT__RAND_OMP_FOR
    for (int64_t i = 0; i < n; i++) {
        uint32_t w[4];
        ct__philox_block(seed, offset, (uint64_t)i, w);
        uint64_t v = ct__mulhi128(ct__u64(w[2], w[3]), ct__u64(w[0], w[1]), range);
        out[i] = (int64_t)((uint64_t)low + v);     /* wraps back into range */
    }
}

/* A uniformly random permutation of 0..n-1: Fisher-Yates, for i = n-1 down
 * to 1 swap out[i] with out[j], j uniform in [0, i] = mulhi64(u64 i, i+1)
 * (relative bias <= n / 2^64, negligible). Sequential by nature. */
static void ct_randperm_int64(uint64_t seed, uint64_t offset, int64_t *out, int64_t n)
{
    for (int64_t i = 0; i < n; i++) out[i] = i;
    uint32_t w[4] = {0, 0, 0, 0};
    int64_t have = -1;          /* block currently in w */
    for (int64_t i = n - 1; i >= 1; i--) {
        if (i / 2 != have) {
            have = i / 2;
            ct__philox_block(seed, offset, (uint64_t)have, w);
        }
        uint64_t u = (i & 1) ? ct__u64(w[2], w[3]) : ct__u64(w[0], w[1]);
        int64_t j = (int64_t)ct__mulhi64(u, (uint64_t)i + 1);
        int64_t t = out[i]; out[i] = out[j]; out[j] = t;
    }
}

#endif /* CT_RANDOM_H */
