// ctorch's random fill kernels. They produce exactly the numbers of the CPU
// functions of the same name in ctorch/_kernels/random.h for the same
// (seed, offset, n) -- see THE STREAM CONTRACT there and cuda_src/philox.cuh.
//
// Every kernel takes (seed, offset, out, n [, low, high]) and runs a
// grid-stride loop over Philox blocks, so any launch shape gives the same
// result; one thread computes one block (1 to 4 elements). After a launch the
// caller advances the generator's offset by the block count:
//   uniform_f32, normal_f32: ceil(n/4)   uniform_f64, normal_f64: ceil(n/2)
//   int64_range: n
// Launch shape is free, e.g. 256 threads x min(ceil(blocks / 256), 4 * SMs * 8) CTAs.
#include "philox.cuh"

extern "C" __global__ void ct_rand_uniform_f32(unsigned long long seed, unsigned long long offset,
                                               float *out, long long n)
{
    long long nb = (n + 3) / 4;
    for (long long b = blockIdx.x * (long long)blockDim.x + threadIdx.x; b < nb;
         b += (long long)gridDim.x * blockDim.x) {
        ct_u32x4 w = ct_philox_block(seed, offset, (uint64_t)b);
        long long i0 = 4 * b;
        const float s = 0x1p-24f;   // 24 bits: exact, max 1 - 2^-24
        if (i0 + 3 < n) {
            out[i0]     = (float)(w.x >> 8) * s;
            out[i0 + 1] = (float)(w.y >> 8) * s;
            out[i0 + 2] = (float)(w.z >> 8) * s;
            out[i0 + 3] = (float)(w.w >> 8) * s;
        } else {
            uint32_t v[4] = { w.x, w.y, w.z, w.w };
            for (long long j = 0; i0 + j < n; j++) out[i0 + j] = (float)(v[j] >> 8) * s;
        }
    }
}

extern "C" __global__ void ct_rand_uniform_f64(unsigned long long seed, unsigned long long offset,
                                               double *out, long long n)
{
    long long nb = (n + 1) / 2;
    for (long long b = blockIdx.x * (long long)blockDim.x + threadIdx.x; b < nb;
         b += (long long)gridDim.x * blockDim.x) {
        ct_u32x4 w = ct_philox_block(seed, offset, (uint64_t)b);
        long long i0 = 2 * b;
        out[i0] = (double)(ct_u64(w.x, w.y) >> 11) * 0x1p-53;
        if (i0 + 1 < n) out[i0 + 1] = (double)(ct_u64(w.z, w.w) >> 11) * 0x1p-53;
    }
}

extern "C" __global__ void ct_rand_normal_f32(unsigned long long seed, unsigned long long offset,
                                              float *out, long long n)
{
    long long nb = (n + 3) / 4;
    for (long long b = blockIdx.x * (long long)blockDim.x + threadIdx.x; b < nb;
         b += (long long)gridDim.x * blockDim.x) {
        ct_u32x4 w = ct_philox_block(seed, offset, (uint64_t)b);
        double z[4];
        long long i0 = 4 * b, m = n - i0 < 4 ? n - i0 : 4;
        ct_box_muller(w.x, w.y, 32, &z[0], &z[1]);
        if (m > 2) ct_box_muller(w.z, w.w, 32, &z[2], &z[3]);
        for (long long j = 0; j < m; j++) out[i0 + j] = (float)z[j];   // round to nearest
    }
}

extern "C" __global__ void ct_rand_normal_f64(unsigned long long seed, unsigned long long offset,
                                              double *out, long long n)
{
    long long nb = (n + 1) / 2;
    for (long long b = blockIdx.x * (long long)blockDim.x + threadIdx.x; b < nb;
         b += (long long)gridDim.x * blockDim.x) {
        ct_u32x4 w = ct_philox_block(seed, offset, (uint64_t)b);
        double z0, z1;
        ct_box_muller(ct_u64(w.x, w.y) >> 11, ct_u64(w.z, w.w) >> 11, 53, &z0, &z1);
        long long i0 = 2 * b;
        out[i0] = z0;
        if (i0 + 1 < n) out[i0 + 1] = z1;
    }
}

// Uniform in [low, high), low < high required (else every element is low).
// One block (128 bits) per element, multiply-high without rejection: relative
// bias <= 2^-64 for any range (see ct_rand_int64_range in random.h).
extern "C" __global__ void ct_rand_int64_range(unsigned long long seed, unsigned long long offset,
                                               long long low, long long high,
                                               long long *out, long long n)
{
    uint64_t range = high > low ? (uint64_t)high - (uint64_t)low : 0;
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n;
         i += (long long)gridDim.x * blockDim.x) {
        ct_u32x4 w = ct_philox_block(seed, offset, (uint64_t)i);
        uint64_t v = ct_mulhi128(ct_u64(w.z, w.w), ct_u64(w.x, w.y), range);
        out[i] = (long long)((uint64_t)low + v);
    }
}

// Raw 64-bit words (u64 i = word 2i | word 2i+1 << 32), e.g. for bit-level
// consumers; same as ct_rand_bits_u64 on the CPU.
extern "C" __global__ void ct_rand_bits_u64(unsigned long long seed, unsigned long long offset,
                                            unsigned long long *out, long long n)
{
    long long nb = (n + 1) / 2;
    for (long long b = blockIdx.x * (long long)blockDim.x + threadIdx.x; b < nb;
         b += (long long)gridDim.x * blockDim.x) {
        ct_u32x4 w = ct_philox_block(seed, offset, (uint64_t)b);
        long long i0 = 2 * b;
        out[i0] = ct_u64(w.x, w.y);
        if (i0 + 1 < n) out[i0 + 1] = ct_u64(w.z, w.w);
    }
}
