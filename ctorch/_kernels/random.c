/* The CPU fill loops of ctorch's random number generator (Philox4x32-10):
 * uniform, normal, raw 64-bit words, integers in a range and permutations.
 * THE STREAM CONTRACT that they follow, bit for bit with the CUDA kernels,
 * is in random.h, which declares them; the scalar work is in philox_core.h.
 *
 * Element i depends only on (seed, offset, i), so the fills split the blocks
 * between OpenMP threads and give the same numbers for any thread count.
 */
#include "random.h"

/* ---- fill functions ------------------------------------------------------ */

void ct_rand_uniform_f32(uint64_t seed, uint64_t offset, float *out, int64_t n)
{
    /* Full blocks first, with a fixed 4 stores per block: gcc vectorises this
     * loop (Philox on SIMD lanes); the partial last block is done apart. */
    int64_t nfull = n / 4;
    CT_PARALLEL_IF(n > CT_RAND_PAR_MIN, "omp parallel for schedule(static)",
    for (int64_t b = 0; b < nfull; b++) {
        uint32_t w[4];
        ct__philox_block(seed, offset, (uint64_t)b, w);
        ct__uniform_f32_store4(w, out + 4 * b);
    });
    if (n > 4 * nfull) ct__uniform_f32_block(seed, offset, nfull, out, n);
}

void ct_rand_uniform_f64(uint64_t seed, uint64_t offset, double *out, int64_t n)
{
    int64_t nb = (int64_t)ct_rand_blocks_uniform_f64(n);
    CT_PARALLEL_IF(n > CT_RAND_PAR_MIN, "omp parallel for schedule(static)",
    for (int64_t b = 0; b < nb; b++)
        ct__uniform_f64_block(seed, offset, b, out, n););
}

void ct_rand_bits_u64(uint64_t seed, uint64_t offset, uint64_t *out, int64_t n)
{
    int64_t nb = (int64_t)ct_rand_blocks_bits_u64(n);
    CT_PARALLEL_IF(n > CT_RAND_PAR_MIN, "omp parallel for schedule(static)",
    for (int64_t b = 0; b < nb; b++)
        ct__bits_u64_block(seed, offset, b, out, n););
}

/* Normal fills. The block loops below are compiled once per CPU level
 * (CT_MULTIVERSION): in the default copy fma() is a libm call (exact, but a
 * call), in the x86-64-v3/v4 copies one instruction. Both compute the same
 * correctly rounded fma, so the numbers do not depend on the copy. */

#define CT__RAND_CHUNK 1024   /* blocks per call of a block-range worker */

/* The block loops on vector lanes: CT__RAND_LANES blocks' Philox words into
 * arrays, then their Box-Muller pairs (philox_core.h's log and sincos are
 * branch-free, so gcc runs them on SIMD lanes; fma() is the same correctly
 * rounded operation there), then the stores in stream order. Blocks that
 * reach past n go through the one-block loop. Same numbers, bit for bit. */
#define CT__RAND_LANES 16
CT_MULTIVERSION static void ct__normal_f32_lanes(uint64_t seed, uint64_t offset, float *out,
                                                 int64_t n, int64_t b0, int64_t b1)
{
    int64_t b = b0;
    for (; b + CT__RAND_LANES <= b1 && 4 * (b + CT__RAND_LANES) <= n; b += CT__RAND_LANES) {
        uint32_t w0[CT__RAND_LANES], w1[CT__RAND_LANES], w2[CT__RAND_LANES], w3[CT__RAND_LANES];
        double za[CT__RAND_LANES], zb[CT__RAND_LANES], zc[CT__RAND_LANES], zd[CT__RAND_LANES];
        for (int j = 0; j < CT__RAND_LANES; j++) {
            uint32_t w[4];
            ct__philox_block(seed, offset, (uint64_t)(b + j), w);
            w0[j] = w[0]; w1[j] = w[1]; w2[j] = w[2]; w3[j] = w[3];
        }
        for (int j = 0; j < CT__RAND_LANES; j++) ct__box_muller(w0[j], w1[j], 32, &za[j], &zb[j]);
        for (int j = 0; j < CT__RAND_LANES; j++) ct__box_muller(w2[j], w3[j], 32, &zc[j], &zd[j]);
        for (int j = 0; j < CT__RAND_LANES; j++) {
            float *o = out + 4 * (b + j);
            o[0] = (float)za[j]; o[1] = (float)zb[j]; o[2] = (float)zc[j]; o[3] = (float)zd[j];
        }
    }
    for (; b < b1; b++) ct__normal_f32_block(seed, offset, b, out, n);
}

CT_MULTIVERSION static void ct__normal_f64_lanes(uint64_t seed, uint64_t offset, double *out,
                                                 int64_t n, int64_t b0, int64_t b1)
{
    int64_t b = b0;
    for (; b + CT__RAND_LANES <= b1 && 2 * (b + CT__RAND_LANES) <= n; b += CT__RAND_LANES) {
        uint64_t m1[CT__RAND_LANES], m2[CT__RAND_LANES];
        double za[CT__RAND_LANES], zb[CT__RAND_LANES];
        for (int j = 0; j < CT__RAND_LANES; j++) {
            uint32_t w[4];
            ct__philox_block(seed, offset, (uint64_t)(b + j), w);
            m1[j] = ct__u64(w[0], w[1]) >> 11;
            m2[j] = ct__u64(w[2], w[3]) >> 11;
        }
        for (int j = 0; j < CT__RAND_LANES; j++) ct__box_muller(m1[j], m2[j], 53, &za[j], &zb[j]);
        for (int j = 0; j < CT__RAND_LANES; j++) {
            out[2 * (b + j)] = za[j];
            out[2 * (b + j) + 1] = zb[j];
        }
    }
    for (; b < b1; b++) ct__normal_f64_block(seed, offset, b, out, n);
}

/* Normal samples of one dtype: chunks of blocks spread over the threads. */
#define CT__RAND_NORMAL(S, T)                                                      \
void ct_rand_normal_##S(uint64_t seed, uint64_t offset, T *out, int64_t n)        \
{                                                                                  \
    int64_t nb = (int64_t)ct_rand_blocks_normal_##S(n);                            \
    int64_t nchunks = (nb + CT__RAND_CHUNK - 1) / CT__RAND_CHUNK;                  \
    CT_PARALLEL_IF(n > CT_RAND_PAR_MIN, "omp parallel for schedule(static)",       \
    for (int64_t c = 0; c < nchunks; c++) {                                        \
        int64_t b1 = (c + 1) * CT__RAND_CHUNK;                                     \
        ct__normal_##S##_lanes(seed, offset, out, n, c * CT__RAND_CHUNK, b1 < nb ? b1 : nb); \
    });                                                                            \
}
CT__RAND_NORMAL(f32, float)
CT__RAND_NORMAL(f64, double)

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
void ct_rand_int64_range(uint64_t seed, uint64_t offset, int64_t low, int64_t high,
                         int64_t *out, int64_t n)
{
    uint64_t range = ct__range_width(low, high);
    CT_PARALLEL_IF(n > CT_RAND_PAR_MIN, "omp parallel for schedule(static)",
    for (int64_t i = 0; i < n; i++)
        out[i] = ct__int64_range_elem(seed, offset, i, low, range););
}

/* A uniformly random permutation of 0..n-1: Fisher-Yates, for i = n-1 down
 * to 1 swap out[i] with out[j], j uniform in [0, i] = mulhi64(u64 i, i+1)
 * (relative bias <= n / 2^64, negligible). Sequential by nature. */
/* The swap partners of i in [lo, hi] (block i / 2 of the stream, one 64-bit
 * word each): computed apart from the swaps, so that the Philox rounds of
 * a run of positions run side by side. */
CT_MULTIVERSION static void ct__randperm_partners(uint64_t seed, uint64_t offset, int64_t lo,
                                                  int64_t hi, int64_t *j)
{
    for (int64_t b = lo / 2; b <= hi / 2; b++) {
        uint32_t w[4];
        int64_t i = 2 * b;
        ct__philox_block(seed, offset, (uint64_t)b, w);
        if (i >= lo)
            j[i - lo] = (int64_t)ct__mulhi64(ct__u64(w[0], w[1]), (uint64_t)i + 1);
        if (i + 1 <= hi)
            j[i + 1 - lo] = (int64_t)ct__mulhi64(ct__u64(w[2], w[3]), (uint64_t)i + 2);
    }
}

void ct_randperm_int64(uint64_t seed, uint64_t offset, int64_t *out, int64_t n)
{
    enum { CHUNK = 1024 };
    int64_t part[CHUNK];
    for (int64_t i = 0; i < n; i++) out[i] = i;
    for (int64_t hi = n - 1; hi >= 1; hi -= CHUNK) {
        int64_t lo = hi - CHUNK + 1 < 1 ? 1 : hi - CHUNK + 1;
        ct__randperm_partners(seed, offset, lo, hi, part);
        for (int64_t i = hi; i >= lo; i--) {
            int64_t j = part[i - lo];
            int64_t t = out[i]; out[i] = out[j]; out[j] = t;
        }
    }
}

/* ---- the tables: the fills differ per dtype only in the output pointer --- */

ct_rand_fill_fn ct_rand_uniform_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = (ct_rand_fill_fn)ct_rand_uniform_f32,
    [CT_FLOAT64] = (ct_rand_fill_fn)ct_rand_uniform_f64,
};
ct_rand_fill_fn ct_rand_normal_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = (ct_rand_fill_fn)ct_rand_normal_f32,
    [CT_FLOAT64] = (ct_rand_fill_fn)ct_rand_normal_f64,
};
