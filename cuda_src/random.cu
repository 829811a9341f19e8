// ctorch's random fill kernels. They produce exactly the numbers of the CPU
// functions of the same name in ctorch/_kernels/random.h for the same
// (seed, offset, n) -- see THE STREAM CONTRACT there. The per-element work
// is not repeated here: both sides call the same functions of
// ctorch/_kernels/philox_core.h (compiled __host__ __device__ by nvcc).
//
// Bit-identity with the CPU rests on philox_core.h using only integer work
// and correctly rounded +, -, *, /, sqrt, fma in a fixed order, with every
// product that is added written as an explicit fma(): nvcc's default
// contraction (--fmad=true) finds nothing else to fuse. Do not build with
// --use_fast_math.
//
// Every kernel takes a ct_rand_args (seed, offset, out, n [, low, high]) and runs a
// grid-stride loop over Philox blocks, so any launch shape gives the same
// result; one thread computes one block (1 to 4 elements). After a launch the
// caller advances the generator's offset by the block count,
// ct_rand_blocks_<name>(n):
//   uniform_f32, normal_f32: ceil(n/4)   uniform_f64, normal_f64, bits_u64: ceil(n/2)
//   int64_range: ceil(n/2) where high - low <= 2^32, else n
// Launch shape is free, e.g. 256 threads x min(ceil(blocks / 256), 4 * SMs * 8) CTAs.
#include "ct_cuda.cuh"
#include "../ctorch/_kernels/philox_core.h"

CT_KERNEL(ct_rand_uniform_f32, ct_rand_args, CT_SERIAL)
{
    int64_t nb = (int64_t)ct_rand_blocks_uniform_f32(a.n);
    CT_GRID_STRIDE(b, nb) ct__uniform_f32_block(a.seed, a.offset, b, (float *)a.out, a.n);
}

CT_KERNEL(ct_rand_uniform_f64, ct_rand_args, CT_SERIAL)
{
    int64_t nb = (int64_t)ct_rand_blocks_uniform_f64(a.n);
    CT_GRID_STRIDE(b, nb) ct__uniform_f64_block(a.seed, a.offset, b, (double *)a.out, a.n);
}

CT_KERNEL(ct_rand_normal_f32, ct_rand_args, CT_SERIAL)
{
    int64_t nb = (int64_t)ct_rand_blocks_normal_f32(a.n);
    CT_GRID_STRIDE(b, nb) ct__normal_f32_block(a.seed, a.offset, b, (float *)a.out, a.n);
}

CT_KERNEL(ct_rand_normal_f64, ct_rand_args, CT_SERIAL)
{
    int64_t nb = (int64_t)ct_rand_blocks_normal_f64(a.n);
    CT_GRID_STRIDE(b, nb) ct__normal_f64_block(a.seed, a.offset, b, (double *)a.out, a.n);
}

// Uniform in [low, high), low < high required (else every element is low).
// 64 random bits per element where high - low <= 2^32 (two per block), 128
// above (one per block), multiply-high without rejection: relative bias
// <= 2^-32 (see ct_rand_int64_range in random.c).
CT_KERNEL(ct_rand_int64_range, ct_rand_args, CT_SERIAL)
{
    uint64_t range = ct__range_width(a.low, a.high);
    int64_t nb = (int64_t)ct_rand_blocks_int64_range(a.n, a.low, a.high);
    CT_GRID_STRIDE(b, nb) ct__int64_range_block(a.seed, a.offset, b, a.low, range, (int64_t *)a.out, a.n);
}

// Raw 64-bit words (u64 i = word 2i | word 2i+1 << 32), e.g. for bit-level
// consumers; same as ct_rand_bits_u64 on the CPU.
CT_KERNEL(ct_rand_bits_u64, ct_rand_args, CT_SERIAL)
{
    int64_t nb = (int64_t)ct_rand_blocks_bits_u64(a.n);
    CT_GRID_STRIDE(b, nb) ct__bits_u64_block(a.seed, a.offset, b, (uint64_t *)a.out, a.n);
}
