/* The CPU fill loops of ctorch's random number generator (Philox4x32-10):
 * uniform, normal, raw 64-bit words, integers in a range and permutations.
 * THE STREAM CONTRACT that they follow, bit for bit with the CUDA kernels,
 * is in random.h, which declares them; the scalar work is in philox_core.h.
 *
 * Element i depends only on (seed, offset, i), so the fills split the blocks
 * between OpenMP threads and give the same numbers for any thread count.
 */
#include "random.h"

/* ---- the stream's words ------------------------------------------------- */

#ifdef CT_RAND_AVX2
/* Blocks b .. b+7: two vectors of four blocks (more run slower: their
 * words no longer fit in the registers), a counter word per 64-bit lane,
 * so that _mm256_mul_epu32 forms the 32x32->64 products in place.
 * Between rounds the lanes carry garbage above bit 31 (only the low halves
 * enter the products and the words kept), which the packing drops. */
__attribute__((target("avx2"))) static void ct__philox8_avx2(uint64_t seed, uint64_t offset,
                                                             uint64_t b, uint32_t *w)
{
    const __m256i m0 = _mm256_set1_epi64x(CT_PHILOX_M0), m1 = _mm256_set1_epi64x(CT_PHILOX_M1);
    const __m256i low32 = _mm256_set1_epi64x(0xffffffffll);
    __m256i c0[2], c1[2], c2[2], c3[2];
    __m256i c = _mm256_add_epi64(_mm256_set1_epi64x((long long)(offset + b)),
                                 _mm256_setr_epi64x(0, 1, 2, 3));        /* wraps as uint64 */
    for (int g = 0; g < 2; g++) {
        c0[g] = c;
        c1[g] = _mm256_srli_epi64(c, 32);
        c2[g] = c3[g] = _mm256_setzero_si256();
        c = _mm256_add_epi64(c, _mm256_set1_epi64x(4));
    }
    uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
    for (int r = 0; r < 10; r++) {
        __m256i kv0 = _mm256_set1_epi64x(k0), kv1 = _mm256_set1_epi64x(k1);
        for (int g = 0; g < 2; g++) {                  /* ct__philox_round */
            __m256i p0 = _mm256_mul_epu32(c0[g], m0), p1 = _mm256_mul_epu32(c2[g], m1);
            c0[g] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p1, 32), c1[g]), kv0);
            c2[g] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p0, 32), c3[g]), kv1);
            c1[g] = p1;
            c3[g] = p0;
        }
        k0 += CT_PHILOX_W0;
        k1 += CT_PHILOX_W1;
    }
    for (int g = 0; g < 2; g++) {
        /* u64 0 and u64 1 of each block, then the blocks in stream order */
        __m256i u0 = _mm256_or_si256(_mm256_and_si256(c0[g], low32), _mm256_slli_epi64(c1[g], 32));
        __m256i u1 = _mm256_or_si256(_mm256_and_si256(c2[g], low32), _mm256_slli_epi64(c3[g], 32));
        __m256i even = _mm256_unpacklo_epi64(u0, u1), odd = _mm256_unpackhi_epi64(u0, u1);
        _mm256_storeu_si256((__m256i *)(w + 16 * g), _mm256_permute2x128_si256(even, odd, 0x20));
        _mm256_storeu_si256((__m256i *)(w + 16 * g + 8), _mm256_permute2x128_si256(even, odd, 0x31));
    }
}
#endif

void ct_philox_words(uint64_t seed, uint64_t offset, int64_t b0, int64_t nb, uint32_t *w)
{
    int64_t j = 0;
#ifdef CT_RAND_AVX2
    if (ct_cpu_avx2())
        for (; j + 8 <= nb; j += 8) ct__philox8_avx2(seed, offset, (uint64_t)(b0 + j), w + 4 * j);
#endif
    for (; j < nb; j++) ct__philox_block(seed, offset, (uint64_t)(b0 + j), w + 4 * j);
}

/* ---- fill functions ------------------------------------------------------ */

#define CT__RAND_FILL(NAME, T, WPE, MAP)                                            \
void NAME(uint64_t seed, uint64_t offset, T *out, int64_t n)                        \
{                                                                                   \
    CT_RAND_CHUNKS(n, WPE, n > CT_RAND_PAR_MIN, MAP(w, out + i0, m));              \
}

/* The maps (branch free, so each is one vector loop per CPU level; fma() is
 * one correctly rounded instruction or libm's exact call, the same numbers). */
CT_MULTIVERSION static void ct__map_uniform_f32(const uint32_t *w, float *o, int64_t m)
{
    for (int64_t i = 0; i < m; i++) o[i] = ct__uniform_f32_of(w[i]);
}

CT_MULTIVERSION static void ct__map_uniform_f64(const uint32_t *w, double *o, int64_t m)
{
    for (int64_t i = 0; i < m; i++) o[i] = ct__uniform_f64_of(ct__u64(w[2 * i], w[2 * i + 1]));
}

static void ct__map_bits_u64(const uint32_t *w, uint64_t *o, int64_t m)
{
    for (int64_t i = 0; i < m; i++) o[i] = ct__u64(w[2 * i], w[2 * i + 1]);
}

/* Normal: Box-Muller pairs (words 2k, 2k+1 for f32; u64 2k, 2k+1 for f64);
 * an odd m stores the first element of its last pair. */
CT_MULTIVERSION static void ct__map_normal_f32(const uint32_t *w, float *o, int64_t m)
{
    int64_t k = 0;
    for (; 2 * k + 1 < m; k++) {
        double z0, z1;
        ct__box_muller(w[2 * k], w[2 * k + 1], 32, &z0, &z1);
        o[2 * k] = (float)z0;
        o[2 * k + 1] = (float)z1;
    }
    if (2 * k < m) {
        double z0, z1;
        ct__box_muller(w[2 * k], w[2 * k + 1], 32, &z0, &z1);
        o[2 * k] = (float)z0;
    }
}

CT_MULTIVERSION static void ct__map_normal_f64(const uint32_t *w, double *o, int64_t m)
{
    int64_t k = 0;
    for (; 2 * k + 1 < m; k++)
        ct__box_muller(ct__u64(w[4 * k], w[4 * k + 1]) >> 11,
                       ct__u64(w[4 * k + 2], w[4 * k + 3]) >> 11, 53, &o[2 * k], &o[2 * k + 1]);
    if (2 * k < m) {
        double z1;
        ct__box_muller(ct__u64(w[4 * k], w[4 * k + 1]) >> 11,
                       ct__u64(w[4 * k + 2], w[4 * k + 3]) >> 11, 53, &o[2 * k], &z1);
    }
}

CT__RAND_FILL(ct_rand_uniform_f32, float, 1, ct__map_uniform_f32)
CT__RAND_FILL(ct_rand_uniform_f64, double, 2, ct__map_uniform_f64)
CT__RAND_FILL(ct_rand_bits_u64, uint64_t, 2, ct__map_bits_u64)
CT__RAND_FILL(ct_rand_normal_f32, float, 1, ct__map_normal_f32)
CT__RAND_FILL(ct_rand_normal_f64, double, 2, ct__map_normal_f64)

/* Uniform integers in [low, high); requires low < high (otherwise every
 * element is low). range = high - low is computed in uint64, so any pair of
 * int64 bounds works (up to range 2^64 - 1).
 *
 * Method: multiply-high without rejection (Lemire): value = low +
 * floor(X * range / 2^K) for K random bits X per element, K = 64 where
 * range <= 2^32 and 128 above. Each result has either floor(2^K/range) or
 * ceil(2^K/range) preimages, so the relative bias is at most range / 2^K
 * <= 2^-32 -- unmeasurable: seeing it takes some 2^64 draws -- and there is
 * no rejection loop, so every element costs a fixed number of words, which
 * keeps element i a pure function of (seed, offset, i). */
static void ct__range_words64(const uint32_t *w, int64_t *o, int64_t m, int64_t low, uint64_t range)
{
    for (int64_t i = 0; i < m; i++)
        o[i] = ct__range_of64(ct__u64(w[2 * i], w[2 * i + 1]), low, range);
}

static void ct__range_words128(const uint32_t *w, int64_t *o, int64_t m, int64_t low, uint64_t range)
{
    for (int64_t i = 0; i < m; i++)
        o[i] = ct__range_of128(ct__u64(w[4 * i + 2], w[4 * i + 3]), ct__u64(w[4 * i], w[4 * i + 1]),
                               low, range);
}

void ct_rand_int64_range(uint64_t seed, uint64_t offset, int64_t low, int64_t high,
                         int64_t *out, int64_t n)
{
    uint64_t range = ct__range_width(low, high);
    if (ct__range_wpe(range) == 2) {
        CT_RAND_CHUNKS(n, 2, n > CT_RAND_PAR_MIN, ct__range_words64(w, out + i0, m, low, range));
    } else {
        CT_RAND_CHUNKS(n, 4, n > CT_RAND_PAR_MIN, ct__range_words128(w, out + i0, m, low, range));
    }
}

/* A uniformly random permutation of 0..n-1: Fisher-Yates, for i = n-1 down
 * to 1 swap out[i] with out[j], j uniform in [0, i] = mulhi64(u64 i, i+1)
 * (relative bias <= n / 2^64, negligible). Sequential by nature. */
/* The swap partners of i in [lo, hi] (u64 i of the stream each), drawn
 * apart from the swaps so that the Philox rounds run side by side. */
#define CT__PERM_CHUNK 1024
static void ct__randperm_partners(uint64_t seed, uint64_t offset, int64_t lo,
                                  int64_t hi, int64_t *j)
{
    uint32_t w[4 * (CT__PERM_CHUNK / 2 + 1)];
    int64_t b0 = lo / 2;
    ct_philox_words(seed, offset, b0, hi / 2 - b0 + 1, w);
    for (int64_t i = lo; i <= hi; i++) {
        int64_t k = 2 * i - 4 * b0;                 /* word 2i of the stream */
        j[i - lo] = (int64_t)ct__mulhi64(ct__u64(w[k], w[k + 1]), (uint64_t)i + 1);
    }
}

void ct_randperm_int64(uint64_t seed, uint64_t offset, int64_t *out, int64_t n)
{
    int64_t part[CT__PERM_CHUNK];
    for (int64_t i = 0; i < n; i++) out[i] = i;
    for (int64_t hi = n - 1; hi >= 1; hi -= CT__PERM_CHUNK) {
        int64_t lo = hi - CT__PERM_CHUNK + 1 < 1 ? 1 : hi - CT__PERM_CHUNK + 1;
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
