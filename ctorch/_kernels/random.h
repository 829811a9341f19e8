/* ctorch's random number generator: Philox4x32-10, counter based, shared by
 * the CPU kernels (this file) and the CUDA kernels (cuda_src/random.cu),
 * which must produce bit-identical numbers. The scalar work -- Philox, the
 * word -> element mappings, log/sincos, Box-Muller, the range multiply --
 * is in philox_core.h, which both sides include; this file has the CPU fill
 * loops.
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
 * round differently in the last bit. ct__log_unit and ct__sincos2pi
 * (philox_core.h) use only +, -, *, /, sqrt and fma -- all correctly rounded by IEEE 754 on
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

#include "philox_core.h"

/* Below this many elements a parallel region costs more than it saves. */
#define CT_RAND_PAR_MIN 65536

#ifdef _OPENMP
#define CT__RAND_OMP_FOR \
    _Pragma("omp parallel for schedule(static) if(n > CT_RAND_PAR_MIN)")
#else
#define CT__RAND_OMP_FOR
#endif

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
        ct__uniform_f32_store4(w, out + 4 * b);
    }
    if (n > 4 * nfull) ct__uniform_f32_block(seed, offset, nfull, out, n);
}

static void ct_rand_uniform_f64(uint64_t seed, uint64_t offset, double *out, int64_t n)
{
    int64_t nb = (int64_t)ct_rand_blocks_uniform_f64(n);
    CT__RAND_OMP_FOR
    for (int64_t b = 0; b < nb; b++)
        ct__uniform_f64_block(seed, offset, b, out, n);
}

static void ct_rand_bits_u64(uint64_t seed, uint64_t offset, uint64_t *out, int64_t n)
{
    int64_t nb = (int64_t)ct_rand_blocks_bits_u64(n);
    CT__RAND_OMP_FOR
    for (int64_t b = 0; b < nb; b++)
        ct__bits_u64_block(seed, offset, b, out, n);
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

/* CT_HD is always_inline: the block helpers and their fma() calls must be
 * compiled inside each target's copy. */
CT_HD void ct__normal_f32_blocks(uint64_t seed, uint64_t offset, float *out,
                                 int64_t n, int64_t b0, int64_t b1)
{
    for (int64_t b = b0; b < b1; b++) ct__normal_f32_block(seed, offset, b, out, n);
}

CT_HD void ct__normal_f64_blocks(uint64_t seed, uint64_t offset, double *out,
                                 int64_t n, int64_t b0, int64_t b1)
{
    for (int64_t b = b0; b < b1; b++) ct__normal_f64_block(seed, offset, b, out, n);
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
    uint64_t range = ct__range_width(low, high);
    CT__RAND_OMP_FOR
    for (int64_t i = 0; i < n; i++)
        out[i] = ct__int64_range_elem(seed, offset, i, low, range);
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
