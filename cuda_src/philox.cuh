// Device side of ctorch's Philox4x32-10 generator. This is a line-by-line
// mirror of ctorch/_kernels/random.h, which holds THE STREAM CONTRACT; read
// it there. In short:
//   key = (seed low32, seed high32); block b = Philox(ctr = (c low32,
//   c high32, 0, 0)) with c = offset + b; word w = word w%4 of block w/4.
//   Words per element: uniform_f32 1, uniform_f64 2, normal_f32 1 (pairs),
//   normal_f64 2 (pairs: one block per pair), int64_range 4, bits_u64 2.
//   blocks consumed by n elements = ceil(n * words_per_element / 4).
//
// Bit-identity with the CPU: everything here is integer work or IEEE
// correctly rounded double arithmetic (+ - * / sqrt fma) in the same order as
// the C code. Every product that is added is an explicit fma(), so nvcc's
// default contraction (--fmad=true) finds nothing else to fuse. Do not build
// with --use_fast_math. log/sin/cos come from the polynomials below, not
// libdevice, whose last-bit rounding differs from glibc's.
#pragma once
#include <stdint.h>

#define CT_PHILOX_M0 0xD2511F53u
#define CT_PHILOX_M1 0xCD9E8D57u
#define CT_PHILOX_W0 0x9E3779B9u
#define CT_PHILOX_W1 0xBB67AE85u

struct ct_u32x4 { uint32_t x, y, z, w; };

__device__ __forceinline__ ct_u32x4 ct_philox4x32_10(ct_u32x4 c, uint32_t k0, uint32_t k1)
{
#pragma unroll
    for (int r = 0; r < 10; r++) {
        if (r > 0) { k0 += CT_PHILOX_W0; k1 += CT_PHILOX_W1; }
        uint32_t hi0 = __umulhi(CT_PHILOX_M0, c.x), lo0 = CT_PHILOX_M0 * c.x;
        uint32_t hi1 = __umulhi(CT_PHILOX_M1, c.z), lo1 = CT_PHILOX_M1 * c.z;
        ct_u32x4 n;
        n.x = hi1 ^ c.y ^ k0;
        n.y = lo1;
        n.z = hi0 ^ c.w ^ k1;
        n.w = lo0;
        c = n;
    }
    return c;
}

// Block b of the stream of generator (seed, offset).
__device__ __forceinline__ ct_u32x4 ct_philox_block(uint64_t seed, uint64_t offset, uint64_t b)
{
    uint64_t c = offset + b;
    ct_u32x4 ctr = { (uint32_t)c, (uint32_t)(c >> 32), 0u, 0u };
    return ct_philox4x32_10(ctr, (uint32_t)seed, (uint32_t)(seed >> 32));
}

__device__ __forceinline__ uint64_t ct_u64(uint32_t lo, uint32_t hi)
{
    return (uint64_t)lo | ((uint64_t)hi << 32);
}

// log(u), u in [2^-53, 1]; same algorithm and constants as ct__log_unit.
__device__ __forceinline__ double ct_log_unit(double u)
{
    uint64_t bits = (uint64_t)__double_as_longlong(u);
    int e = (int)((bits >> 52) & 0x7ff) - 1023;
    double f = __longlong_as_double((long long)((bits & 0x000fffffffffffffull) | 0x3ff0000000000000ull));
    if (f > 0x1.6a09e667f3bcdp+0) { f *= 0.5; e += 1; }
    double a = f - 1.0;
    double s = a / (f + 1.0);
    double z = s * s;
    double p = 0x1.8618618618618p-5;
    p = fma(p, z, 0x1.af286bca1af28p-5);
    p = fma(p, z, 0x1.e1e1e1e1e1e1ep-5);
    p = fma(p, z, 0x1.1111111111111p-4);
    p = fma(p, z, 0x1.3b13b13b13b14p-4);
    p = fma(p, z, 0x1.745d1745d1746p-4);
    p = fma(p, z, 0x1.c71c71c71c71cp-4);
    p = fma(p, z, 0x1.2492492492492p-3);
    p = fma(p, z, 0x1.999999999999ap-3);
    p = fma(p, z, 0x1.5555555555555p-2);
    double t = s + s;
    double lf = fma(t, z * p, t);
    double de = (double)e;
    return fma(de, 0x1.62e42fefa3800p-1, fma(de, 0x1.ef35793c76730p-45, lf));
}

// sin and cos of 2 pi m 2^-K, 0 <= m < 2^K; same as ct__sincos2pi.
__device__ __forceinline__ void ct_sincos2pi(uint64_t m, int K, double *sn, double *cs)
{
    uint64_t quarter = (uint64_t)1 << (K - 2);
    int q = (int)(m >> (K - 2));
    uint64_t rem = m & (quarter - 1);
    bool swap = rem > (quarter >> 1);
    if (swap) rem = quarter - rem;
    double x = (double)rem * __longlong_as_double((long long)((uint64_t)(1023 - K) << 52));
    double y = x * x;
    double ps = -0x1.8a404211f9547p-7;
    ps = fma(ps, y, 0x1.aaec32af93359p-4);
    ps = fma(ps, y, -0x1.6fadb9f155744p-1);
    ps = fma(ps, y, 0x1.e8f434d018d63p+1);
    ps = fma(ps, y, -0x1.e3074fde8871fp+3);
    ps = fma(ps, y, 0x1.50783487ee782p+5);
    ps = fma(ps, y, -0x1.32d2cce62bd86p+6);
    ps = fma(ps, y, 0x1.466bc6775aae2p+6);
    ps = fma(ps, y, -0x1.4abbce625be53p+5);
    ps = fma(ps, y, 0x1.921fb54442d18p+2);
    double pc = -0x1.2a0c591af8314p-5;
    pc = fma(pc, y, 0x1.20c62c2f2d7f5p-2);
    pc = fma(pc, y, -0x1.b6e24f44b128fp+0);
    pc = fma(pc, y, 0x1.f9d38a3763cc3p+2);
    pc = fma(pc, y, -0x1.a6d1f2a204a8cp+4);
    pc = fma(pc, y, 0x1.e1f506891babbp+5);
    pc = fma(pc, y, -0x1.55d3c7e3cbffap+6);
    pc = fma(pc, y, 0x1.03c1f081b5ac4p+6);
    pc = fma(pc, y, -0x1.3bd3cc9be45dep+4);
    double s = x * ps;
    double c = fma(pc, y, 1.0);
    if (swap) { double t = s; s = c; c = t; }
    switch (q) {
    case 0:  *sn = s;  *cs = c;  break;
    case 1:  *sn = c;  *cs = -s; break;
    case 2:  *sn = -s; *cs = -c; break;
    default: *sn = -c; *cs = s;  break;
    }
}

// Box-Muller: u1 = (m1 + 1) 2^-K in (0, 1], angle 2 pi m2 2^-K.
__device__ __forceinline__ void ct_box_muller(uint64_t m1, uint64_t m2, int K, double *z0, double *z1)
{
    double scale = __longlong_as_double((long long)((uint64_t)(1023 - K) << 52));
    double u1 = (double)(m1 + 1) * scale;
    double r = sqrt(-2.0 * ct_log_unit(u1));
    double sn, cs;
    ct_sincos2pi(m2, K, &sn, &cs);
    *z0 = r * cs;
    *z1 = r * sn;
}

// floor(X * range / 2^128), X = xh 2^64 + xl (see ct__mulhi128).
__device__ __forceinline__ uint64_t ct_mulhi128(uint64_t xh, uint64_t xl, uint64_t range)
{
    uint64_t hi = __umul64hi(xh, range), lo = xh * range;
    uint64_t c = __umul64hi(xl, range);
    lo += c;
    return hi + (lo < c ? 1 : 0);
}
