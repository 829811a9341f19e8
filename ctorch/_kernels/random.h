/* ctorch's random number generator: Philox4x32-10, counter based, shared by
 * the CPU kernels (this file) and the CUDA kernels (cuda_src/random.cu),
 * which must produce bit-identical numbers. The scalar work -- Philox, the
 * word -> element mappings, log/sincos, Box-Muller, the range multiply --
 * is in philox_core.h, which both sides include; random.c has the CPU fill
 * loops, declared here with their per-dtype tables.
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
 * Every fill function declared below reads a fixed number of words per element
 * (int64_range: fixed by its range),
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
 *   int64_range         2           range <= 2^32: u64 i (a 64-bit number X)
 *                       4           range >  2^32: block i (a 128-bit number X)
 *                                   element = low + floor(X * range / 2^K),
 *                                   K the bits of X
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

#include "common.h"
#include "philox_core.h"

/* CT_RAND_AVX2: the AVX2 kernels of random.c and sampling.c are built (on
 * x86-64 with GCC-compatible compilers, where common.h has ct_cpu_avx2());
 * they run where ct_cpu_avx2() holds. */
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define CT_RAND_AVX2 1
#endif

/* Below this many elements a parallel region costs more than it saves. */
#define CT_RAND_PAR_MIN 65536

/* ---- fill functions (random.c) ------------------------------------------ */

void ct_rand_uniform_f32(uint64_t seed, uint64_t offset, float *out, int64_t n);
void ct_rand_uniform_f64(uint64_t seed, uint64_t offset, double *out, int64_t n);
void ct_rand_bits_u64(uint64_t seed, uint64_t offset, uint64_t *out, int64_t n);
void ct_rand_normal_f32(uint64_t seed, uint64_t offset, float *out, int64_t n);
void ct_rand_normal_f64(uint64_t seed, uint64_t offset, double *out, int64_t n);

/* Uniform integers in [low, high); requires low < high (otherwise every
 * element is low). */
void ct_rand_int64_range(uint64_t seed, uint64_t offset, int64_t low, int64_t high,
                         int64_t *out, int64_t n);
/* A uniformly random permutation of 0..n-1 (Fisher-Yates). */
void ct_randperm_int64(uint64_t seed, uint64_t offset, int64_t *out, int64_t n);

/* The words of blocks [b0, b0 + nb) of the stream, in stream order (word k
 * of block b0 + j in w[4 j + k]): the Philox rounds of 8 blocks side by
 * side on AVX2 lanes where the CPU has them, the same words as
 * ct__philox_block's. The CPU fills draw a chunk of CT_RAND_CHUNK blocks
 * into a buffer this way, then map the words to elements in a vector loop. */
void ct_philox_words(uint64_t seed, uint64_t offset, int64_t b0, int64_t nb, uint32_t *w);
#define CT_RAND_CHUNK 256   /* blocks: a 4 KiB buffer of words */

/* The body of a fill of N elements, WPE words each, from the generator
 * (seed, offset) in scope: chunks of CT_RAND_CHUNK blocks, spread over the
 * threads when PAR holds; each draws its words w, then MAP_CALL turns them
 * into elements i0 .. i0 + m - 1. */
#define CT_RAND_CHUNKS(N, WPE, PAR, MAP_CALL)                                      \
    int64_t nb = (int64_t)ct_rand_blocks_for_words(N, WPE);                         \
    int64_t nchunks = (nb + CT_RAND_CHUNK - 1) / CT_RAND_CHUNK;                     \
    CT_PARALLEL_IF(PAR, "omp parallel for schedule(static)",                       \
    for (int64_t c = 0; c < nchunks; c++) {                                         \
        uint32_t w[4 * CT_RAND_CHUNK];                                              \
        int64_t b0 = c * CT_RAND_CHUNK;                                             \
        int64_t nbc = nb - b0 < CT_RAND_CHUNK ? nb - b0 : CT_RAND_CHUNK;            \
        int64_t i0 = b0 * 4 / (WPE), m = nbc * 4 / (WPE);                           \
        if (m > (N) - i0) m = (N) - i0;                                             \
        ct_philox_words(seed, offset, b0, nbc, w);                                  \
        MAP_CALL;                                                                   \
    })

/* n elements of the output's dtype from (seed, offset) */
typedef void (*ct_rand_fill_fn)(uint64_t seed, uint64_t offset, void *out, int64_t n);
/* indexed by the output's dtype code: float32 and float64 only */
extern ct_rand_fill_fn ct_rand_uniform_loops[CT_NDTYPES];
extern ct_rand_fill_fn ct_rand_normal_loops[CT_NDTYPES];

#endif /* CT_RANDOM_H */
