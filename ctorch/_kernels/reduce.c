/* The reduction kernels of the CPU (reduce.h declares the tables and the
 * per-dtype kernels): the sums first, then max/min, median, prod, cumulative
 * sums/products and (log-)softmax. */
#include <math.h>
#include <stdlib.h>
#include "reduce.h"
#include "strided.h"
#include "fastmath.h"
#include "fastmath_d.h"
#include "halfconv.h"
#include "halfvec256.h"
#include "alloc.h"
#ifdef CT_HAVE_AVX512_TABLES
#include "exp512.h"
#endif

/* Sum reductions over the CPU.
 *
 * Two shapes of work cover every case once the caller has moved the reduced
 * dims next to each other (and copied anything that is not dense):
 *   rows:    out[r] = sum of x[r * ld + 0 .. len)      (reduce the inner dims)
 *   columns: out[c] = sum over i of x[i * ld + c]      (reduce the outer dims)
 * Row sums use 64 independent accumulators (so the loop vectorises) inside
 * pairwise halving above 4096 elements: the rounding error grows with
 * log2(n), which keeps float32 sums of 1e7 elements accurate.
 */

/* how many parts the row loops cut `rows` rows of `len` elements into, for
 * nt threads that each take an equal run of parts (schedule(static)): parts
 * of about `min` elements or more, their count a multiple of nt, so that
 * each thread's share of rows is the same to one row (10 rows of 10000 on
 * two threads: 5 and 5) and the same from call to call (a result read
 * again finds its rows in that thread's cache); 1 below `min` elements or
 * on one thread */
static inline int64_t ct_row_parts(int64_t rows, int64_t len, int nt, int64_t min)
{
    if (nt <= 1 || rows <= 1 || rows * len < min) return 1;
    int64_t nc = rows * len / min;
    nc = (nc + nt - 1) / nt * nt;
    return nc < rows ? nc : (rows / nt > 0 ? rows / nt * nt : rows);
}
/* the first row of part c of n over `rows` rows: floor(c rows / n), so
 * that any run of n / nt parts holds floor or ceil of rows / nt rows */
static inline int64_t ct_part_row(int64_t c, int64_t rows, int64_t n)
{
    return (int64_t)((unsigned __int128)c * (unsigned __int128)rows / (unsigned __int128)n);
}
/* for each of ct_row_parts' parts of `rows` rows (each of `len` elements),
 * its rows [r0, r1): BODY, the parts between nt threads (or on this one) */
#define CT_FOR_ROW_RUNS(nt, rows, len, min, r0, r1, ...) do {                     \
    const int64_t nr_ = (rows), np_ = ct_row_parts(nr_, (len), (nt), (min));     \
    CT_PARALLEL_IF(np_ > 1, "omp parallel for num_threads(nt) schedule(static)",  \
    for (int64_t c_ = 0; c_ < np_; c_++) {                                        \
        const int64_t r0 = ct_part_row(c_, nr_, np_), r1 = ct_part_row(c_ + 1, nr_, np_); \
        __VA_ARGS__                                                               \
    });                                                                           \
} while (0)
/* for each row r of `rows`: BODY, in CT_FOR_ROW_RUNS' parts */
#define CT_FOR_ROWS(nt, rows, len, min, r, ...)                                   \
    CT_FOR_ROW_RUNS(nt, rows, len, min, r0_, r1_,                                 \
        for (int64_t r = r0_; r < r1_; r++) { __VA_ARGS__ })

#define CT_PAIRWISE_BLOCK 4096
/* independent accumulators: enough separate add chains to hide the add
 * latency even when one 512-bit register holds 16 of them */
#define CT_SUM_LANES 64
#define CT_SUM_CHUNK (1 << 18)   /* elements per parallel chunk of one long sum */
#define CT_SUM_MAXCHUNKS 1024

/* the chunk length of a long row's parallel sum: CT_SUM_CHUNK, or longer (a
 * multiple of CT_SUM_LANES) so that there are at most CT_SUM_MAXCHUNKS */
static inline int64_t ct_sum_chunk_len(int64_t len)
{
    int64_t ch = CT_SUM_CHUNK;
    if ((len + ch - 1) / ch > CT_SUM_MAXCHUNKS)
        ch = ((len + CT_SUM_MAXCHUNKS - 1) / CT_SUM_MAXCHUNKS + CT_SUM_LANES - 1)
             & ~(int64_t)(CT_SUM_LANES - 1);
    return ch;
}

/* part[0] = the pairwise sum of part[0 .. n) */
#define CT_FOLD_PAIRWISE(part, n)                                                 \
    for (int64_t w = 1; w < (n); w *= 2)                                          \
        for (int64_t c = 0; c + w < (n); c += 2 * w) (part)[c] += (part)[c + w];
/* part[0] = the sum of EXPR over the fixed chunks [a_, a_ + m_) of a row of
 * len (an equal run of chunks per thread, the same on every call, so that a
 * row summed again finds each run in its thread's cache; the result does not
 * depend on the thread count),
 * the chunks' values added pairwise: added one after the other, 400 of them
 * cost float32 sums of 1e8 elements 50x the error of a pairwise sum */
#define CT_CHUNKED_PAIRWISE(part, len, nt, EXPR) {                                \
    const int64_t ch_ = ct_sum_chunk_len(len), nch_ = ((len) + ch_ - 1) / ch_;    \
    _Pragma("omp parallel for num_threads(nt) schedule(static)")                  \
    for (int64_t c_ = 0; c_ < nch_; c_++) {                                       \
        const int64_t a_ = ch_ * c_, m_ = (len) - a_ < ch_ ? (len) - a_ : ch_;    \
        (part)[c_] = (EXPR);                                                      \
    }                                                                             \
    CT_FOLD_PAIRWISE(part, nch_)                                                  \
}

/* The row sums of one family: ct_<NAME>_block (64 lanes), ct_<NAME>_pairwise
 * (halving above 4096 elements) and FN, the rows driver (threads split rows, or
 * fixed chunks of one long row); TERM(v) is what an element v adds. */
#define CT_TERM_PLAIN(v) (v)
#define CT_TERM_NAN0(v) ((v) == (v) ? (v) : 0)   /* nansum: a NaN adds 0 */
/* a block (at most CT_PAIRWISE_BLOCK elements) as the sums read it: halves are
 * converted to a float block first (halfconv.h: a vector at a time) */
#define CT_BLOCK_VIEW_SAME(x, x0, n) const __typeof__(*(x0)) *x = (x0);
#define CT_BLOCK_VIEW_i64 CT_BLOCK_VIEW_SAME
#define CT_BLOCK_VIEW_f32 CT_BLOCK_VIEW_SAME
#define CT_BLOCK_VIEW_f64 CT_BLOCK_VIEW_SAME
#define CT_BLOCK_VIEW_c64 CT_BLOCK_VIEW_SAME
#define CT_BLOCK_VIEW_c128 CT_BLOCK_VIEW_SAME
#define CT_BLOCK_VIEW_f16(x, x0, n) float x[CT_PAIRWISE_BLOCK]; ct_h2f_contig((x0), x, (n));
#define CT_BLOCK_VIEW_bf16(x, x0, n) float x[CT_PAIRWISE_BLOCK]; ct_bf2f_contig((x0), x, (n));
/* an element read into the accumulator and a result written back: C casts,
 * except bfloat16 (stored as its bits: widened and rounded, halfconv.h) */
#define CT_RD(S, ACC, v) CT_RD_##S(ACC, v)
#define CT_WR(S, T, v) CT_WR_##S(T, v)
#define CT_RD_CAST(ACC, v) ((ACC)(v))
#define CT_WR_CAST(T, v) ((T)(v))
#define CT_RD_i64 CT_RD_CAST
#define CT_RD_f16 CT_RD_CAST
#define CT_RD_f32 CT_RD_CAST
#define CT_RD_f64 CT_RD_CAST
#define CT_RD_c64 CT_RD_CAST
#define CT_RD_c128 CT_RD_CAST
#define CT_WR_i64 CT_WR_CAST
#define CT_WR_f16 CT_WR_CAST
#define CT_WR_f32 CT_WR_CAST
#define CT_WR_f64 CT_WR_CAST
#define CT_WR_c64 CT_WR_CAST
#define CT_WR_c128 CT_WR_CAST
#define CT_RD_bf16(ACC, v) ct_bf2f(v)
#define CT_WR_bf16(T, v) ct_f2bf(v)
/* the 64 lanes of a block (n >= 64 elements of x, accumulated in ACC): lane
 * k sums x[k], x[k + 64], ..., and the lanes are added as a tree (lane k
 * takes lane k + w for w = 32, 16, .., 1). In the plain form the rest (fewer
 * than 64) goes into a tail sum and r = lane 0 + tail. The float and double
 * forms hold the lanes in vectors, add the rest as whole vectors into the
 * first vector's lanes and a last one padded with zeros into the second's
 * (no serial chain of additions), and run the tree's steps as shuffles in
 * registers (the plain form's tree goes through memory and costs more than
 * a short row's loads) */
#define CT_LANES_PLAIN(ACC, x, n, TERM, VTERM, r) {                               \
    int64_t i = 0;                                                                \
    ACC acc[CT_SUM_LANES] = {0};                                                  \
    for (; i + CT_SUM_LANES <= n; i += CT_SUM_LANES)                              \
        for (int k = 0; k < CT_SUM_LANES; k++) acc[k] += TERM((ACC)x[i + k]);     \
    ACC tail = 0;                                                                 \
    for (; i < n; i++) tail += TERM((ACC)x[i]);                                   \
    for (int w = CT_SUM_LANES / 2; w > 0; w >>= 1)                                \
        for (int k = 0; k < w; k++) acc[k] += acc[k + w];                         \
    r = acc[0] + tail;                                                            \
}
/* The vectors are 32 bytes (8 floats, 4 doubles) on every instruction set:
 * GCC keeps a 64-byte generic vector in memory where the target has no
 * 64-byte registers (AVX2), loading and storing it around every add. A
 * row's 16 float lanes (or 8 double lanes) are the halves lo / hi of each
 * accumulator, so the additions are those of 16-lane (8-lane) vectors, in
 * the same order. */
typedef float ct_vf8 __attribute__((vector_size(32)));
typedef int32_t ct_vi8 __attribute__((vector_size(32)));
typedef double ct_vd4 __attribute__((vector_size(32)));
typedef int64_t ct_vl4 __attribute__((vector_size(32)));
#define CT_VLOAD(v, p) memcpy(&(v), (p), sizeof(v))
/* a vector's lanes k += lane k + w (the lanes past w are don't-cares) */
#define CT_VF_HALF4(a) __builtin_shuffle(a, (ct_vi8){4, 5, 6, 7, 4, 5, 6, 7})
#define CT_VF_HALF2(a) __builtin_shuffle(a, (ct_vi8){2, 3, 2, 3, 2, 3, 2, 3})
#define CT_VF_HALF1(a) __builtin_shuffle(a, (ct_vi8){1, 1, 1, 1, 1, 1, 1, 1})
#define CT_VD_HALF2(a) __builtin_shuffle(a, (ct_vl4){2, 3, 2, 3})
#define CT_VD_HALF1(a) __builtin_shuffle(a, (ct_vl4){1, 1, 1, 1})
/* vector forms of the terms (CT_V + the term's name): VI is the lanes'
 * integer vector type */
#define CT_VCT_TERM_PLAIN(v, VI) (v)
#define CT_VCT_TERM_NAN0(v, VI) ((__typeof__(v))((VI)(v) & (VI)((v) == (v))))
#define CT_VCT_TERM_SQ(v, VI) ((v) * (v))
/* CT_VLANES: a row x[0 .. n) of R (n >= 64) folded by OP (+ or *) into
 * 64 lanes, held as NV vectors VT of L lanes (NV L = 64): lane k takes
 * TERM(x[k]), TERM(x[k + 64]), ...; the rest as whole blocks of 2 L (a
 * 64-byte vector's worth) into lanes 0 .. 2 L, a last one padded with ID
 * into lanes 2 L .. 4 L; then the lanes' tree (lane k takes lane k + w, w =
 * 32 .. 2L) and the two halves of the 2 L lanes left into a0 (L lanes),
 * whose own tree TOP(a0) stops at lanes 0 and 1. Every lane's operations
 * are those of the 16-float (8-double) vectors this was first written on,
 * in the same order. Needs a vector VT v in scope. CT_VLANES_LD: the
 * vectors read by LD(v, p) (L elements at p, widened where R is narrower
 * than a lane). */
#define CT_VLANES(VT, VI, R, L, NV, OP, ID, x, n, VTERM, TOP) \
    CT_VLANES_LD(VT, VI, R, L, NV, OP, ID, x, n, VTERM, TOP, CT_VLOAD)
#define CT_VLANES_LD(VT, VI, R, L, NV, OP, ID, x, n, VTERM, TOP, LD) {            \
    VT b[NV];                                                                     \
    for (int k_ = 0; k_ < NV; k_++) for (int j_ = 0; j_ < L; j_++) b[k_][j_] = ID; \
    int64_t i = 0;                                                                \
    for (; i + NV * L <= (n); i += NV * L)                                        \
        for (int k_ = 0; k_ < NV; k_++) {                                         \
            LD(v, (x) + i + k_ * L); b[k_] = b[k_] OP VTERM(v, VI);         \
        }                                                                         \
    for (; i + 2 * L <= (n); i += 2 * L)                                          \
        for (int k_ = 0; k_ < 2; k_++) {                                          \
            LD(v, (x) + i + k_ * L); b[k_] = b[k_] OP VTERM(v, VI);         \
        }                                                                         \
    if (i < (n)) {                                                                \
        /* the tail: the row's last 2 L elements read as two whole vectors   */   \
        /* (n >= 64: inside the row), its rem elements moved to lanes 0 ..   */   \
        /* rem - 1 by a shuffle of the pair, the lanes past them set to ID   */   \
        /* (a copy on the stack cost a call and a stalled store forward:     */   \
        /* half a row of 100's sum)                                          */   \
        const int64_t rem_ = (n) - i;                                             \
        VT w0_, w1_, idv_;                                                        \
        VI id_, sh_;                                                              \
        LD(w0_, (x) + (n) - 2 * L);                                               \
        LD(w1_, (x) + (n) - L);                                                   \
        for (int j_ = 0; j_ < L; j_++) {                                          \
            id_[j_] = j_;                                                         \
            sh_[j_] = (__typeof__(id_[0]))(2 * L - rem_);                         \
            idv_[j_] = ID;                                                        \
        }                                                                         \
        for (int k_ = 0; k_ < 2; k_++) {                                          \
            VI lane_ = id_ + k_ * L;                                              \
            VI m_ = lane_ < sh_ * 0 + (__typeof__(id_[0]))rem_;                   \
            v = __builtin_shuffle(w0_, w1_, (lane_ + sh_) & (2 * L - 1));         \
            v = (VT)(((VI)v & m_) | ((VI)idv_ & ~m_));                            \
            b[2 + k_] = b[2 + k_] OP VTERM(v, VI);                                \
        }                                                                         \
    }                                                                             \
    for (int w_ = NV / 2; w_ >= 2; w_ /= 2)                                       \
        for (int k_ = 0; k_ < w_; k_++) b[k_] = b[k_] OP b[k_ + w_];              \
    a0 = b[0] OP b[1];                                                            \
    TOP(a0, OP)                                                                   \
}
#define CT_VF_TOP(a, OP) a = a OP CT_VF_HALF4(a); a = a OP CT_VF_HALF2(a);
#define CT_VD_TOP(a, OP) a = a OP CT_VD_HALF2(a);
#define CT_LANES_VF_BODY(ACC, x, n, TERM, VTERM) {                                \
    ct_vf8 v, a0;                                                                 \
    CT_VLANES(ct_vf8, ct_vi8, float, 8, 8, +, 0.0f, x, n, VTERM, CT_VF_TOP)
#define CT_LANES_VF(ACC, x, n, TERM, VTERM, r)                                   \
    CT_LANES_VF_BODY(ACC, x, n, TERM, VTERM) a0 += CT_VF_HALF1(a0); r = a0[0]; }
/* (the _BODY forms leave the block open, a0 holding the tree's last step
 * undone; VF2 / VD2: r[0] and r[1] the even and odd lanes' sums) */
#define CT_LANES_VF2(ACC, x, n, TERM, VTERM, r)                                  \
    CT_LANES_VF_BODY(ACC, x, n, TERM, VTERM) r[0] = a0[0]; r[1] = a0[1]; }
#define CT_LANES_VD_BODY(ACC, x, n, TERM, VTERM) {                                \
    ct_vd4 v, a0;                                                                 \
    CT_VLANES(ct_vd4, ct_vl4, double, 4, 16, +, 0.0, x, n, VTERM, CT_VD_TOP)
#define CT_LANES_VD(ACC, x, n, TERM, VTERM, r)                                   \
    CT_LANES_VD_BODY(ACC, x, n, TERM, VTERM) a0 += CT_VD_HALF1(a0); r = a0[0]; }
#define CT_LANES_VD2(ACC, x, n, TERM, VTERM, r)                                  \
    CT_LANES_VD_BODY(ACC, x, n, TERM, VTERM) r[0] = a0[0]; r[1] = a0[1]; }
/* complex: the float / double lanes over the 2n interleaved parts (lane 2k
 * sums real parts, lane 2k + 1 imaginary ones; blocks of whole vectors keep
 * that parity, the tail padded with zeros), the tree stopped short of its
 * last step, which would add a real part to an imaginary one */
#define CT_LANES_CPLX(LANES, R, x, n, TERM, VTERM, r) {                           \
    const R *xr_ = (const R *)(x);                                                \
    const int64_t nr_ = 2 * (n);                                                  \
    R pr_[2];                                                                     \
    LANES(R, xr_, nr_, TERM, VTERM, pr_)                                          \
    r = __builtin_complex(pr_[0], pr_[1]);                                        \
}
#define CT_LANES_c64(ACC, x, n, TERM, VTERM, r) CT_LANES_CPLX(CT_LANES_VF2, float, x, n, TERM, VTERM, r)
#define CT_LANES_c128(ACC, x, n, TERM, VTERM, r) CT_LANES_CPLX(CT_LANES_VD2, double, x, n, TERM, VTERM, r)
#define CT_LANES_i64 CT_LANES_PLAIN
#define CT_LANES_f16 CT_LANES_VF
#define CT_LANES_bf16 CT_LANES_VF
#define CT_LANES_f32 CT_LANES_VF
#define CT_LANES_f64 CT_LANES_VD
/* half and bfloat16 blocks on AVX-512: CT_LANES_VF's additions in its order
 * (the same lanes, the tail padded with zeros into a1, the same tree), each
 * vector of 16 widened as it is loaded instead of through a float block on
 * the stack first. term: 0 plain, 1 NaN as 0, 2 square. */
#ifdef CT_HAVE_AVX512_TABLES
#include <immintrin.h>
__attribute__((target("avx512f"), always_inline)) static inline __m512 ct_sum_h_term(
    __m256i h, int bf, int term)
{
    __m512 v = bf ? _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16))
                  : _mm512_cvtph_ps(h);
    if (term == 1) v = _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(v, v, _CMP_ORD_Q), v);
    if (term == 2) v = _mm512_mul_ps(v, v);
    return v;
}
__attribute__((target("avx512f,avx512bw,avx512vl"), always_inline)) static inline float ct_sum_h512_body(
    const uint16_t *x, int64_t n, int bf, int term)
{
    __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    int64_t i = 0;
#define CT_SH_LD(k) ct_sum_h_term(_mm256_loadu_si256((const __m256i *)(x + i + (k))), bf, term)
    for (; i + 64 <= n; i += 64) {
        a0 = _mm512_add_ps(a0, CT_SH_LD(0)); a1 = _mm512_add_ps(a1, CT_SH_LD(16));
        a2 = _mm512_add_ps(a2, CT_SH_LD(32)); a3 = _mm512_add_ps(a3, CT_SH_LD(48));
    }
    for (; i + 16 <= n; i += 16) a0 = _mm512_add_ps(a0, CT_SH_LD(0));
#undef CT_SH_LD
    if (i < n) {
        __m256i h = _mm256_maskz_loadu_epi16((__mmask16)((1u << (n - i)) - 1), x + i);
        a1 = _mm512_add_ps(a1, ct_sum_h_term(h, bf, term));
    }
    a0 = _mm512_add_ps(a0, a2); a1 = _mm512_add_ps(a1, a3);
    a0 = _mm512_add_ps(a0, a1);
    float l[16];
    _mm512_storeu_ps(l, a0);
    for (int w = 8; w > 0; w >>= 1)
        for (int k = 0; k < w; k++) l[k] += l[k + w];
    return l[0];
}
__attribute__((target("avx512f,avx512bw,avx512vl"))) static float ct_sum_h512(
    const void *x, int64_t n, int bf, int term)
{
    const uint16_t *h = (const uint16_t *)x;
    if (bf) return term == 0 ? ct_sum_h512_body(h, n, 1, 0) : term == 1 ? ct_sum_h512_body(h, n, 1, 1)
                                                             : ct_sum_h512_body(h, n, 1, 2);
    return term == 0 ? ct_sum_h512_body(h, n, 0, 0) : term == 1 ? ct_sum_h512_body(h, n, 0, 1)
                                                     : ct_sum_h512_body(h, n, 0, 2);
}
/* the same on AVX2 with F16C: CT_VLANES's order, each vector of 8 widened as
 * it is loaded */
#define CT_SUM_H256_LD(v, p) v = (ct_vf8)_mm256_cvtph_ps(CT_LOADU_H8(p))
#define CT_SUM_BF256_LD(v, p) \
    v = (ct_vf8)_mm256_slli_epi32(_mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(p))), 16)
#define CT_SUM_H256_BODY(NAME, LD, VTERM)                                             \
__attribute__((target("avx2,fma,f16c"))) static float NAME(const uint16_t *x, int64_t n) \
{                                                                                     \
    ct_vf8 v, a0;                                                                     \
    CT_VLANES_LD(ct_vf8, ct_vi8, uint16_t, 8, 8, +, 0, x, n, VTERM, CT_VF_TOP, LD)    \
    a0 += CT_VF_HALF1(a0);                                                            \
    return a0[0];                                                                     \
}
CT_SUM_H256_BODY(ct_sum_h256_0, CT_SUM_H256_LD, CT_VCT_TERM_PLAIN)
CT_SUM_H256_BODY(ct_sum_h256_1, CT_SUM_H256_LD, CT_VCT_TERM_NAN0)
CT_SUM_H256_BODY(ct_sum_h256_2, CT_SUM_H256_LD, CT_VCT_TERM_SQ)
CT_SUM_H256_BODY(ct_sum_bf256_0, CT_SUM_BF256_LD, CT_VCT_TERM_PLAIN)
CT_SUM_H256_BODY(ct_sum_bf256_1, CT_SUM_BF256_LD, CT_VCT_TERM_NAN0)
CT_SUM_H256_BODY(ct_sum_bf256_2, CT_SUM_BF256_LD, CT_VCT_TERM_SQ)
static float (*const ct_sum_h256[2][3])(const uint16_t *, int64_t) = {
    {ct_sum_h256_0, ct_sum_h256_1, ct_sum_h256_2}, {ct_sum_bf256_0, ct_sum_bf256_1, ct_sum_bf256_2}};
#define CT_FUSED_BLOCK_HALF(TERM, x0, n, BF)                                      \
    if ((n) >= CT_SUM_LANES && ct_cpu_avx512bw())                                  \
        return ct_sum_h512((x0), (n), (BF), CT_TERMID_##TERM);                    \
    if ((n) >= CT_SUM_LANES && ct_cpu_avx2())                                  \
        return ct_sum_h256[BF][CT_TERMID_##TERM]((const uint16_t *)(x0), (n));
#else
#define CT_FUSED_BLOCK_HALF(TERM, x0, n, BF)
#endif
#define CT_TERMID_CT_TERM_PLAIN 0
#define CT_TERMID_CT_TERM_NAN0 1
#define CT_TERMID_CT_TERM_SQ 2
#define CT_FUSED_BLOCK_f16(TERM, x0, n) CT_FUSED_BLOCK_HALF(TERM, x0, n, 0)
#define CT_FUSED_BLOCK_bf16(TERM, x0, n) CT_FUSED_BLOCK_HALF(TERM, x0, n, 1)
#define CT_FUSED_BLOCK_i64(TERM, x0, n)
#define CT_FUSED_BLOCK_f32(TERM, x0, n)
#define CT_FUSED_BLOCK_f64(TERM, x0, n)
#define CT_FUSED_BLOCK_c64(TERM, x0, n)
#define CT_FUSED_BLOCK_c128(TERM, x0, n)
/* rows shorter than this are summed one value after another: float and
 * double rows from two vectors' worth on take the lanes (their tail reads
 * the row's last two vectors: rows of 49, a 7 x 7 plane's global average
 * pool, ran at 0.73x PyTorch's speed one value at a time) */
#define CT_SHORT_f32 16
#define CT_SHORT_f64 8
#define CT_SHORT_f16 CT_SUM_LANES
#define CT_SHORT_bf16 CT_SUM_LANES
#define CT_SHORT_i64 CT_SUM_LANES
#define CT_SHORT_c64 CT_SUM_LANES
#define CT_SHORT_c128 CT_SUM_LANES
#define CT_SUM_ROWS_FAMILY(NAME, FN, S, T, ACC, TERM) CT_SUM_ROWS_FAMILY_O(NAME, FN, S, T, ACC, TERM, T, S)
/* OT, WS: the type of out and the code its values are written as (float for
 * the half norms' squares, rounded once after their square roots) */
#define CT_SUM_ROWS_FAMILY_O(NAME, FN, S, T, ACC, TERM, OT, WS)                   \
CT_MULTIVERSION static ACC ct_##NAME##_block_##S(const T *x0, int64_t n) {        \
    CT_FUSED_BLOCK_##S(TERM, x0, n)                                               \
    CT_BLOCK_VIEW_##S(x, x0, n)                                                   \
    int64_t i = 0;                                                                \
    if (n < CT_SHORT_##S) {                                                       \
        /* a short row: the lanes would stay empty, the sum is the tail's */      \
        ACC t = 0;                                                                \
        for (; i < n; i++) t += TERM((ACC)x[i]);                                  \
        return t;                                                                 \
    }                                                                             \
    ACC r;                                                                        \
    CT_LANES_##S(ACC, x, n, TERM, CT_V##TERM, r)                                  \
    return r;                                                                     \
}                                                                                 \
static ACC ct_##NAME##_pairwise_##S(const T *x, int64_t n) {                      \
    if (n <= CT_PAIRWISE_BLOCK) return ct_##NAME##_block_##S(x, n);               \
    int64_t half = (n / 2 + CT_SUM_LANES - 1) & ~(int64_t)(CT_SUM_LANES - 1);     \
    return ct_##NAME##_pairwise_##S(x, half) + ct_##NAME##_pairwise_##S(x + half, n - half); \
}                                                                                 \
/* out[r] = sum(x[r*ld .. r*ld+len)), r < rows; threads split rows, or the    */  \
/* halves of one long row                                                     */  \
void FN(const T *x, int64_t rows, int64_t len, int64_t ld, OT *out) {             \
    int nt = ct_get_num_threads();                                                \
    if (rows == 1 && nt > 1 && len >= 65536) {                                    \
        ACC part[CT_SUM_MAXCHUNKS];                                               \
        CT_CHUNKED_PAIRWISE(part, len, nt, ct_##NAME##_pairwise_##S(x + a_, m_))  \
        out[0] = CT_WR(WS, OT, part[0]);                                            \
        return;                                                                   \
    }                                                                             \
    CT_FOR_ROWS(nt, rows, len, 65536, r,                                          \
        out[r] = CT_WR(WS, OT, ct_##NAME##_pairwise_##S(x + r * ld, len)););     \
}

#define CT_SUM_KERNELS(S, T, ACC)                                                 \
CT_SUM_ROWS_FAMILY(sum, ct_sum_rows_##S, S, T, ACC, CT_TERM_PLAIN)                \
/* out[c] = sum over i < n of x[i*ld + c], c < cols: rows are added into       */ \
/* accumulators of a column block at a time (vector adds along c), in blocks   */ \
/* of rows so that the error stays bounded                                     */ \
CT_MULTIVERSION static void ct_sum_cols_block_##S(const T *x, int64_t n, int64_t cols, \
                                               int64_t ld, ACC *acc) {            \
    int64_t c0 = 0;                                                               \
    CT_COLS_VEC_##S(x, n, cols, ld, acc, c0)                                      \
    for (int64_t i = 0; i < n; i++) {                                             \
        const T *row = x + i * ld;                                                \
        for (int64_t c = c0; c < cols; c++) acc[c] += CT_RD(S, ACC, row[c]);      \
    }                                                                             \
}                                                                                 \
void ct_sum_cols_##S(const T *x, int64_t n, int64_t cols, int64_t ld, T *out) {   \
    const int64_t CB = 256;                                                       \
    int64_t nblocks = (cols + CB - 1) / CB;                                       \
    int nt = ct_get_num_threads();                                                \
    if (nt > 1 && n * cols >= 65536 && nblocks < nt && n >= 1024                  \
        && ct__sum_cols_rows_##S(x, n, cols, ld, out, nblocks, nt) == 0)          \
        return;                                                                   \
    if (nt > 1 && n * cols >= 65536 && nblocks > 1) {                             \
        _Pragma("omp parallel for num_threads(nt) schedule(static)")              \
        for (int64_t b = 0; b < nblocks; b++) ct__sum_cols_one_##S(x, n, cols, ld, out, b * CB, CB); \
    } else {                                                                      \
        for (int64_t b = 0; b < nblocks; b++) ct__sum_cols_one_##S(x, n, cols, ld, out, b * CB, CB); \
    }                                                                             \
}                                                                                 \
/* the column sums of `outer` dense n x cols blocks, one after another (a    */  \
/* middle dim's sum): the blocks' 256-column pieces split between threads    */  \
void ct_sum_mid_##S(const T *x, int64_t outer, int64_t n, int64_t cols, T *out) { \
    const int64_t CB = 256, nb = (cols + CB - 1) / CB;                            \
    int nt = ct_get_num_threads();                                                \
    CT_FOR_ROWS(nt, outer * nb, n * (cols < CB ? cols : CB), 65536, t,            \
        const int64_t o = t / nb;                                                 \
        ct__sum_cols_one_##S(x + o * n * cols, n, cols, cols, out + o * cols, (t - o * nb) * CB, CB);); \
}

/* columns of float / double a chunk of 8 vectors at a time, its sums held in
 * registers down the rows (each column's additions in the same order as the
 * plain loop's, which loads and stores the sums for every row); c0 is where
 * the plain loop takes over */
#define CT_COLS_VEC_NONE(x, n, cols, ld, acc, c0)
#define CT_COLS_VEC_V(VT, L, x, n, cols, ld, acc, c0)                              \
    for (; c0 + 8 * L <= cols; c0 += 8 * L) {                                     \
        VT a0, a1, a2, a3, a4, a5, a6, a7, v;                                     \
        CT_VLOAD(a0, acc + c0); CT_VLOAD(a1, acc + c0 + L);                       \
        CT_VLOAD(a2, acc + c0 + 2 * L); CT_VLOAD(a3, acc + c0 + 3 * L);           \
        CT_VLOAD(a4, acc + c0 + 4 * L); CT_VLOAD(a5, acc + c0 + 5 * L);           \
        CT_VLOAD(a6, acc + c0 + 6 * L); CT_VLOAD(a7, acc + c0 + 7 * L);           \
        for (int64_t i = 0; i < n; i++) {                                         \
            const __typeof__(*(x)) *row = x + i * ld + c0;                        \
            CT_VLOAD(v, row); a0 += v; CT_VLOAD(v, row + L); a1 += v;             \
            CT_VLOAD(v, row + 2 * L); a2 += v; CT_VLOAD(v, row + 3 * L); a3 += v; \
            CT_VLOAD(v, row + 4 * L); a4 += v; CT_VLOAD(v, row + 5 * L); a5 += v; \
            CT_VLOAD(v, row + 6 * L); a6 += v; CT_VLOAD(v, row + 7 * L); a7 += v; \
        }                                                                         \
        memcpy(acc + c0, &a0, sizeof a0); memcpy(acc + c0 + L, &a1, sizeof a1);   \
        memcpy(acc + c0 + 2 * L, &a2, sizeof a2); memcpy(acc + c0 + 3 * L, &a3, sizeof a3); \
        memcpy(acc + c0 + 4 * L, &a4, sizeof a4); memcpy(acc + c0 + 5 * L, &a5, sizeof a5); \
        memcpy(acc + c0 + 6 * L, &a6, sizeof a6); memcpy(acc + c0 + 7 * L, &a7, sizeof a7); \
    }                                                                             \
    /* fewer columns left: four vectors, then one (each column's additions */    \
    /* in the same order) */                                                     \
    for (; c0 + 4 * L <= cols; c0 += 4 * L) {                                     \
        VT a0, a1, a2, a3, v;                                                     \
        CT_VLOAD(a0, acc + c0); CT_VLOAD(a1, acc + c0 + L);                       \
        CT_VLOAD(a2, acc + c0 + 2 * L); CT_VLOAD(a3, acc + c0 + 3 * L);           \
        for (int64_t i = 0; i < n; i++) {                                         \
            const __typeof__(*(x)) *row = x + i * ld + c0;                        \
            CT_VLOAD(v, row); a0 += v; CT_VLOAD(v, row + L); a1 += v;             \
            CT_VLOAD(v, row + 2 * L); a2 += v; CT_VLOAD(v, row + 3 * L); a3 += v; \
        }                                                                         \
        memcpy(acc + c0, &a0, sizeof a0); memcpy(acc + c0 + L, &a1, sizeof a1);   \
        memcpy(acc + c0 + 2 * L, &a2, sizeof a2); memcpy(acc + c0 + 3 * L, &a3, sizeof a3); \
    }                                                                             \
    for (; c0 + L <= cols; c0 += L) {                                             \
        VT a0, v;                                                                 \
        CT_VLOAD(a0, acc + c0);                                                   \
        for (int64_t i = 0; i < n; i++) { CT_VLOAD(v, x + i * ld + c0); a0 += v; } \
        memcpy(acc + c0, &a0, sizeof a0);                                         \
    }
#define CT_COLS_VEC_f32(x, n, cols, ld, acc, c0) CT_COLS_VEC_V(ct_vf8, 8, x, n, cols, ld, acc, c0)
#define CT_COLS_VEC_f64(x, n, cols, ld, acc, c0) CT_COLS_VEC_V(ct_vd4, 4, x, n, cols, ld, acc, c0)
#define CT_COLS_VEC_i64 CT_COLS_VEC_NONE
/* half / bfloat16: on AVX-512 (AVX2) a chunk of 8 vectors (128 (64) columns) at a time,
 * each row's values widened in registers, then 16 columns at a time; the
 * columns left (or all, elsewhere) widened a row of them at a time into a
 * float buffer first. The plain loop's additions in its order either way. */
#ifdef CT_HAVE_AVX512_TABLES
#define CT_WIDEN_H512(v) _mm512_cvtph_ps(v)
#define CT_WIDEN_BF512(v) _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(v), 16))
/* one kit: vectors VT of W floats (LD / ST / ADD), W halves loaded by LDH */
#define CT_COLS_KIT(NAME, TARGET, VT, W, LD, ST, ADD, LDH, WIDEN)                  \
__attribute__((target(TARGET))) static int64_t NAME(const void *x0, int64_t n, int64_t cols, \
                                                  int64_t ld, float *acc) {       \
    const uint16_t *x = (const uint16_t *)x0;                                     \
    int64_t c0 = 0;                                                               \
    for (; c0 + 8 * (W) <= cols; c0 += 8 * (W)) {                                 \
        VT a[8];                                                                  \
        for (int k = 0; k < 8; k++) a[k] = LD(acc + c0 + (W) * k);                \
        for (int64_t i = 0; i < n; i++) {                                         \
            const uint16_t *row = x + i * ld + c0;                                \
            for (int k = 0; k < 8; k++) a[k] = ADD(a[k], WIDEN(LDH(row + (W) * k))); \
        }                                                                         \
        for (int k = 0; k < 8; k++) ST(acc + c0 + (W) * k, a[k]);                 \
    }                                                                             \
    for (; c0 + (W) <= cols; c0 += (W)) {                                         \
        VT a = LD(acc + c0);                                                      \
        for (int64_t i = 0; i < n; i++) a = ADD(a, WIDEN(LDH(x + i * ld + c0)));  \
        ST(acc + c0, a);                                                          \
    }                                                                             \
    return c0;                                                                    \
}
#define CT_LDH512(p) _mm256_loadu_si256((const __m256i *)(p))
#define CT_LDH256(p) _mm_loadu_si128((const __m128i *)(p))
#define CT_COLS16_512(NAME, WIDEN) \
    CT_COLS_KIT(NAME, "avx512f", __m512, 16, _mm512_loadu_ps, _mm512_storeu_ps, _mm512_add_ps, CT_LDH512, WIDEN)
CT_COLS16_512(ct_cols_h512, CT_WIDEN_H512)
CT_COLS16_512(ct_cols_bf512, CT_WIDEN_BF512)
/* the same on AVX2 (F16C for half): 8 vectors (64 columns), then 8 columns */
#define CT_WIDEN_H256(v) ct_hf256_widen(v, 0)
#define CT_WIDEN_BF256(v) ct_hf256_widen(v, 1)
#define CT_COLS8_256(NAME, WIDEN) \
    CT_COLS_KIT(NAME, "avx2,fma,f16c", __m256, 8, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_add_ps, CT_LDH256, WIDEN)
CT_COLS8_256(ct_cols_h256, CT_WIDEN_H256)
CT_COLS8_256(ct_cols_bf256, CT_WIDEN_BF256)
#define CT_COLS16_FAST(K, x, n, cols, ld, acc)                                     \
    (ct_cpu_avx512f() ? ct_cols_##K##512(x, n, cols, ld, acc)                     \
     : ct_cpu_avx2() ? ct_cols_##K##256(x, n, cols, ld, acc) : 0)
#else
#define CT_COLS16_FAST(K, x, n, cols, ld, acc) 0
#endif
#define CT_COLS_VEC_WIDEN(FAST, WIDEN, x, n, cols, ld, acc, c0) {                  \
    c0 = CT_COLS16_FAST(FAST, x, n, cols, ld, acc);                               \
    if (c0 < cols) {                                                              \
        float t_[256];                                                            \
        for (int64_t i = 0; i < n; i++) {                                         \
            WIDEN((const uint16_t *)(x + i * ld + c0), t_, cols - c0);            \
            for (int64_t c = c0; c < cols; c++) acc[c] += t_[c - c0];             \
        }                                                                         \
        c0 = cols;                                                                \
    }                                                                             \
}
#define CT_COLS_VEC_f16(x, n, cols, ld, acc, c0) CT_COLS_VEC_WIDEN(h, ct_h2f_contig, x, n, cols, ld, acc, c0)
#define CT_COLS_VEC_bf16(x, n, cols, ld, acc, c0) CT_COLS_VEC_WIDEN(bf, ct_bf2f_contig, x, n, cols, ld, acc, c0)
/* complex columns as twice as many float / double columns (each part's
 * additions in the plain loop's order); c0 back in complex columns */
#define CT_COLS_VEC_CPLX(R, VT, L, x, n, cols, ld, acc, c0) {                     \
    const R *xr_ = (const R *)(x);                                                \
    R *ar_ = (R *)(acc);                                                          \
    int64_t cr_ = 2 * (c0);                                                       \
    CT_COLS_VEC_V(VT, L, xr_, n, 2 * (cols), 2 * (ld), ar_, cr_)                  \
    c0 = cr_ / 2;                                                                 \
}
#define CT_COLS_VEC_c64(x, n, cols, ld, acc, c0) CT_COLS_VEC_CPLX(float, ct_vf8, 8, x, n, cols, ld, acc, c0)
#define CT_COLS_VEC_c128(x, n, cols, ld, acc, c0) CT_COLS_VEC_CPLX(double, ct_vd4, 4, x, n, cols, ld, acc, c0)

/* one block of columns [c0, c0 + cb) over rows [i0, i1): partial sums over
 * 512 rows at a time, added into total (w = the block's width) */
#define CT_SUM_COLS_ONE(S, T, ACC)                                                \
static void ct__sum_cols_part_##S(const T *x, int64_t i0, int64_t i1, int64_t ld, \
                                  int64_t c0, int64_t w, ACC *total) {            \
    ACC part[256];                                                                \
    for (int64_t i = i0; i < i1; i += 512) {                                      \
        int64_t m = i1 - i < 512 ? i1 - i : 512;                                  \
        for (int64_t c = 0; c < w; c++) part[c] = 0;                              \
        ct_sum_cols_block_##S(x + i * ld + c0, m, w, ld, part);                   \
        for (int64_t c = 0; c < w; c++) total[c] += part[c];                      \
    }                                                                             \
}                                                                                 \
static void ct__sum_cols_one_##S(const T *x, int64_t n, int64_t cols, int64_t ld, \
                                 T *out, int64_t c0, int64_t cb) {                \
    ACC total[256];                                                               \
    int64_t w = cols - c0 < cb ? cols - c0 : cb;                                  \
    for (int64_t c = 0; c < w; c++) total[c] = 0;                                 \
    ct__sum_cols_part_##S(x, 0, n, ld, c0, w, total);                             \
    for (int64_t c = 0; c < w; c++) out[c0 + c] = CT_WR(S, T, total[c]);          \
}                                                                                 \
/* fewer column blocks than threads (a narrow tall matrix ran on one): each   */ \
/* block's rows cut into nt runs of whole 512-row pieces, the runs' sums      */ \
/* added in order; -1 (nothing written) out of memory                         */ \
static int ct__sum_cols_rows_##S(const T *x, int64_t n, int64_t cols, int64_t ld, \
                                 T *out, int64_t nblocks, int nt) {               \
    int64_t pieces = (n + 511) / 512, runs = pieces < nt ? pieces : nt;           \
    ACC *tot = (ACC *)calloc((size_t)(nblocks * runs * 256), sizeof(ACC));       \
    if (tot == NULL) return -1;                                                   \
    _Pragma("omp parallel for num_threads(nt) schedule(static)")                  \
    for (int64_t u = 0; u < nblocks * runs; u++) {                                \
        int64_t b = u / runs, r = u % runs, c0 = b * 256;                         \
        int64_t w = cols - c0 < 256 ? cols - c0 : 256;                            \
        int64_t i0 = pieces * r / runs * 512, i1 = pieces * (r + 1) / runs * 512;  \
        ct__sum_cols_part_##S(x, i0, i1 < n ? i1 : n, ld, c0, w, tot + u * 256);   \
    }                                                                             \
    for (int64_t b = 0; b < nblocks; b++) {                                       \
        int64_t c0 = b * 256, w = cols - c0 < 256 ? cols - c0 : 256;              \
        ACC *t0 = tot + b * runs * 256;                                           \
        for (int64_t r = 1; r < runs; r++)                                        \
            for (int64_t c = 0; c < w; c++) t0[c] += t0[r * 256 + c];             \
        for (int64_t c = 0; c < w; c++) out[c0 + c] = CT_WR(S, T, t0[c]);         \
    }                                                                             \
    free(tot);                                                                    \
    return 0;                                                                     \
}

#define CT_SUM_ALL(S, T, ACC)                                                     \
    static void ct__sum_cols_one_##S(const T *, int64_t, int64_t, int64_t, T *, int64_t, int64_t); \
    static int ct__sum_cols_rows_##S(const T *, int64_t, int64_t, int64_t, T *, int64_t, int); \
    CT_SUM_KERNELS(S, T, ACC)                                                     \
    CT_SUM_COLS_ONE(S, T, ACC)

/* integer sums accumulate in (and are computed as) int64; floats in their own
 * type; half in float */
CT_SUM_ALL(i64, int64_t, int64_t)
CT_SUM_ALL(f16, ct_half, float)
CT_SUM_ALL(bf16, ct_bf16, float)
CT_SUM_ALL(f32, float, float)
CT_SUM_ALL(f64, double, double)
CT_SUM_ALL(c64, ct_cfloat, ct_cfloat)
CT_SUM_ALL(c128, ct_cdouble, ct_cdouble)

/* bool rows: the number of nonzero bytes of each row, as int64 (out is an
 * int64 array): 64 bytes a step, counted in byte lanes for up to 255 steps,
 * then added up (two 32-byte vectors a step: see CT_VLANES) */
typedef uint8_t ct_vu8x32 __attribute__((vector_size(32)));
CT_MULTIVERSION static int64_t ct_count_nz_u8(const uint8_t *x, int64_t n)
{
    int64_t c = 0, i = 0;
    while (i + 64 <= n) {
        int64_t m = (n - i) / 64;
        if (m > 255) m = 255;
        ct_vu8x32 acc0 = {0}, acc1 = {0};
        for (int64_t b = 0; b < m; b++, i += 64) {
            ct_vu8x32 v, w;
            memcpy(&v, x + i, 32);
            memcpy(&w, x + i + 32, 32);
            acc0 -= (ct_vu8x32)(v != 0);
            acc1 -= (ct_vu8x32)(w != 0);
        }
        int64_t t = 0;
        for (int k = 0; k < 32; k++) t += acc0[k] + acc1[k];
        c += t;
    }
    for (; i < n; i++) c += x[i] != 0;
    return c;
}
#define CT_COUNT_PAR_MIN ((int64_t)1 << 22)   /* bytes split between threads */
static void ct_sum_rows_b8(const uint8_t *x, int64_t rows, int64_t len, int64_t ld, int64_t *out)
{
    int nt = ct_get_num_threads();
    if (rows == 1 && nt > 1 && len >= CT_COUNT_PAR_MIN) {
        int64_t ch = (int64_t)1 << 20, nch = (len + ch - 1) / ch, c = 0;
        _Pragma("omp parallel for num_threads(nt) schedule(dynamic, 1) reduction(+:c)")
        for (int64_t k = 0; k < nch; k++)
            c += ct_count_nz_u8(x + k * ch, len - k * ch < ch ? len - k * ch : ch);
        out[0] = c;
        return;
    }
    CT_FOR_ROWS(nt, rows, len, CT_COUNT_PAR_MIN, r, out[r] = ct_count_nz_u8(x + r * ld, len););
}

/* indexed by dtype code; bool rows are counted into int64 (ct_sum_rows_b8),
 * the other integer inputs are converted to int64 first */
ct_sum_rows_fn ct_sum_rows_loops[CT_NDTYPES] = {
    (ct_sum_rows_fn)ct_sum_rows_b8, NULL, NULL, NULL, NULL, (ct_sum_rows_fn)ct_sum_rows_i64,
    (ct_sum_rows_fn)ct_sum_rows_f16, (ct_sum_rows_fn)ct_sum_rows_f32,
    (ct_sum_rows_fn)ct_sum_rows_f64, (ct_sum_rows_fn)ct_sum_rows_c64,
    (ct_sum_rows_fn)ct_sum_rows_c128, (ct_sum_rows_fn)ct_sum_rows_bf16,
};
ct_sum_cols_fn ct_sum_cols_loops[CT_NDTYPES] = {
    NULL, NULL, NULL, NULL, NULL, (ct_sum_cols_fn)ct_sum_cols_i64,
    (ct_sum_cols_fn)ct_sum_cols_f16, (ct_sum_cols_fn)ct_sum_cols_f32,
    (ct_sum_cols_fn)ct_sum_cols_f64, (ct_sum_cols_fn)ct_sum_cols_c64,
    (ct_sum_cols_fn)ct_sum_cols_c128, (ct_sum_cols_fn)ct_sum_cols_bf16,
};
ct_sum_mid_fn ct_sum_mid_loops[CT_NDTYPES] = {
    NULL, NULL, NULL, NULL, NULL, (ct_sum_mid_fn)ct_sum_mid_i64,
    (ct_sum_mid_fn)ct_sum_mid_f16, (ct_sum_mid_fn)ct_sum_mid_f32,
    (ct_sum_mid_fn)ct_sum_mid_f64, (ct_sum_mid_fn)ct_sum_mid_c64,
    (ct_sum_mid_fn)ct_sum_mid_c128, (ct_sum_mid_fn)ct_sum_mid_bf16,
};

/* More reductions over the CPU: max/min (values and first index), prod,
 * median, cumulative sums/products and (log-)softmax.
 *
 * Every kernel works on the "rows" layout that the caller arranges (reduced
 * dims moved innermost and made dense): row r is x[r*ld .. r*ld + len).
 * Scan kernels (cum*, softmax) write a dense output row of the same length.
 * One macro per family, instantiated once per element type. Parallel loops
 * hand out fixed chunks dynamically, so that a thread paused by a busy
 * machine does not stall the others at the barrier.
 */

#define CT_PAR_MIN 32768
/* argmax / argmin: the block reduced at a time, the chunk searched at a time */
#define CT_ARG_BLOCK 2048
#define CT_ARG_CHUNK 32

/* ------------------------------------- max/min of short rows, AVX-512 / AVX2
 * Rows up to CT_MM16_MAXLEN long, a group of 16 (float) or 8 (double) rows
 * at a time: each row folded into one vector (whole blocks, the last block
 * placed to overlap the one before, or a masked load padded with the row's
 * first element when the row is shorter than a vector: max and min take no
 * harm from an element seen twice), then the group's vectors reduced
 * together by a transposing tree (each step halves the lanes per row and
 * doubles the rows per vector), which leaves the rows' results in one
 * vector. A group with a NaN is left to the caller (the return value). */
#define CT_MM16_MAXLEN 1024
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define CT_HAVE_MM16 1
static int ct__have_avx512f(void)
{
    static int ok = -1;
    if (ok < 0) {
        __builtin_cpu_init();
        ok = __builtin_cpu_supports("avx512f");
    }
    return ok;
}
#define CT_MM16_FOLD(V, W, LD, LOADU, MASKLOAD, SET1, OP, UNORD, p, len, r, nanm) { \
    if ((len) >= (W)) {                                                           \
        V a0 = LOADU(p), a1 = a0;                                                 \
        nanm |= UNORD(a0);                                                        \
        int64_t i = (W);                                                          \
        for (; i + 2 * (W) <= (len); i += 2 * (W)) {                              \
            V u = LOADU((p) + i), v = LOADU((p) + i + (W));                       \
            nanm |= UNORD(u) | UNORD(v);                                          \
            a0 = OP(a0, u); a1 = OP(a1, v);                                       \
        }                                                                         \
        if (i < (len)) {                                                          \
            V u = LOADU((p) + i < (p) + (len) - (W) ? (p) + i : (p) + (len) - (W)); \
            nanm |= UNORD(u);                                                     \
            a0 = OP(a0, u);                                                       \
            if (i + (W) < (len)) {                                                \
                V v = LOADU((p) + (len) - (W));                                   \
                nanm |= UNORD(v);                                                 \
                a1 = OP(a1, v);                                                   \
            }                                                                     \
        }                                                                         \
        r = OP(a0, a1);                                                           \
    } else {                                                                      \
        r = MASKLOAD(SET1((p)[0]), (LD)(((uint32_t)1 << (len)) - 1), (p));        \
        nanm |= UNORD(r);                                                         \
    }                                                                             \
}
#define CT_MM16_UNORD_PS(v) _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q)
#define CT_MM16_UNORD_PD(v) _mm512_cmp_pd_mask(v, v, _CMP_UNORD_Q)
#define CT_MM16_F32(NAME, OP)                                                     \
__attribute__((target("avx512f"))) static int NAME(const float *x, int64_t len, int64_t ld, float *val) { \
    __m512 v[16];                                                                 \
    __mmask16 nanm = 0;                                                           \
    for (int j = 0; j < 16; j++) {                                                \
        const float *p = x + j * ld;                                              \
        CT_MM16_FOLD(__m512, 16, __mmask16, _mm512_loadu_ps, _mm512_mask_loadu_ps, \
                     _mm512_set1_ps, OP, CT_MM16_UNORD_PS, p, len, v[j], nanm)   \
    }                                                                             \
    if (nanm) return 1;                                                           \
    const __m512i lo8 = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23); \
    const __m512i hi8 = _mm512_setr_epi32(8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31); \
    const __m512i lo4 = _mm512_setr_epi32(0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27); \
    const __m512i hi4 = _mm512_setr_epi32(4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31); \
    const __m512i lo2 = _mm512_setr_epi32(0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29); \
    const __m512i hi2 = _mm512_setr_epi32(2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31); \
    const __m512i lo1 = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30); \
    const __m512i hi1 = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31); \
    for (int j = 0; j < 8; j++)                                                   \
        v[j] = OP(_mm512_permutex2var_ps(v[2 * j], lo8, v[2 * j + 1]),            \
                  _mm512_permutex2var_ps(v[2 * j], hi8, v[2 * j + 1]));           \
    for (int j = 0; j < 4; j++)                                                   \
        v[j] = OP(_mm512_permutex2var_ps(v[2 * j], lo4, v[2 * j + 1]),            \
                  _mm512_permutex2var_ps(v[2 * j], hi4, v[2 * j + 1]));           \
    for (int j = 0; j < 2; j++)                                                   \
        v[j] = OP(_mm512_permutex2var_ps(v[2 * j], lo2, v[2 * j + 1]),            \
                  _mm512_permutex2var_ps(v[2 * j], hi2, v[2 * j + 1]));           \
    _mm512_storeu_ps(val, OP(_mm512_permutex2var_ps(v[0], lo1, v[1]),             \
                             _mm512_permutex2var_ps(v[0], hi1, v[1])));           \
    return 0;                                                                     \
}
#define CT_MM16_F64(NAME, OP)                                                     \
__attribute__((target("avx512f"))) static int NAME(const double *x, int64_t len, int64_t ld, double *val) { \
    __m512d v[8];                                                                 \
    __mmask8 nanm = 0;                                                            \
    for (int j = 0; j < 8; j++) {                                                 \
        const double *p = x + j * ld;                                             \
        CT_MM16_FOLD(__m512d, 8, __mmask8, _mm512_loadu_pd, _mm512_mask_loadu_pd, \
                     _mm512_set1_pd, OP, CT_MM16_UNORD_PD, p, len, v[j], nanm)   \
    }                                                                             \
    if (nanm) return 1;                                                           \
    const __m512i lo4 = _mm512_setr_epi64(0, 1, 2, 3, 8, 9, 10, 11);              \
    const __m512i hi4 = _mm512_setr_epi64(4, 5, 6, 7, 12, 13, 14, 15);            \
    const __m512i lo2 = _mm512_setr_epi64(0, 1, 4, 5, 8, 9, 12, 13);              \
    const __m512i hi2 = _mm512_setr_epi64(2, 3, 6, 7, 10, 11, 14, 15);            \
    const __m512i lo1 = _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14);             \
    const __m512i hi1 = _mm512_setr_epi64(1, 3, 5, 7, 9, 11, 13, 15);             \
    for (int j = 0; j < 4; j++)                                                   \
        v[j] = OP(_mm512_permutex2var_pd(v[2 * j], lo4, v[2 * j + 1]),            \
                  _mm512_permutex2var_pd(v[2 * j], hi4, v[2 * j + 1]));           \
    for (int j = 0; j < 2; j++)                                                   \
        v[j] = OP(_mm512_permutex2var_pd(v[2 * j], lo2, v[2 * j + 1]),            \
                  _mm512_permutex2var_pd(v[2 * j], hi2, v[2 * j + 1]));           \
    _mm512_storeu_pd(val, OP(_mm512_permutex2var_pd(v[0], lo1, v[1]),             \
                             _mm512_permutex2var_pd(v[0], hi1, v[1])));           \
    return 0;                                                                     \
}
CT_MM16_F32(ct__max16_f32, _mm512_max_ps)
CT_MM16_F32(ct__min16_f32, _mm512_min_ps)
CT_MM16_F64(ct__max16_f64, _mm512_max_pd)
CT_MM16_F64(ct__min16_f64, _mm512_min_pd)
/* the same on AVX2: groups of 8 float (4 double) rows, a row shorter than a
 * vector read by a masked load and padded with its first element, the tree
 * by in-lane shuffles and 128-bit swaps, the results put in row order by a
 * last permutation */
#define CT_MM8_UNORD_PS(v) _mm256_movemask_ps(_mm256_cmp_ps(v, v, _CMP_UNORD_Q))
#define CT_MM8_UNORD_PD(v) _mm256_movemask_pd(_mm256_cmp_pd(v, v, _CMP_UNORD_Q))
#define CT_MM8_MASKLOAD(V, VI, MASKLOAD, BLEND, CAST, SETR)                      \
    ({ const int n_ = __builtin_popcount((unsigned)(k_));                        \
       VI m_ = _mm256_cmpgt_epi32(_mm256_set1_epi32(n_), SETR);                  \
       BLEND(src_, MASKLOAD(p_, m_), CAST(m_)); })
#define CT_MM8_ML_PS(src, k, p) ({ __m256 src_ = (src); unsigned k_ = (k); const float *p_ = (p); \
    CT_MM8_MASKLOAD(__m256, __m256i, _mm256_maskload_ps, _mm256_blendv_ps, _mm256_castsi256_ps, \
                    _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)); })
/* (doubles: each 64-bit lane's mask from the 32-bit pair (2 j, 2 j + 1)) */
#define CT_MM8_ML_PD(src, k, p) ({ __m256d src_ = (src); unsigned k_ = (k); const double *p_ = (p); \
    CT_MM8_MASKLOAD(__m256d, __m256i, _mm256_maskload_pd, _mm256_blendv_pd, _mm256_castsi256_pd, \
                    _mm256_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3)); })
#define CT_MM8_F32(NAME, OP)                                                      \
__attribute__((target("avx2,fma"))) static int NAME(const float *x, int64_t len, int64_t ld, float *val) { \
    __m256 v[8];                                                                  \
    int nanm = 0;                                                                 \
    for (int j = 0; j < 8; j++) {                                                 \
        const float *p = x + j * ld;                                              \
        CT_MM16_FOLD(__m256, 8, unsigned, _mm256_loadu_ps, CT_MM8_ML_PS,          \
                     _mm256_set1_ps, OP, CT_MM8_UNORD_PS, p, len, v[j], nanm)    \
    }                                                                             \
    if (nanm) return 1;                                                           \
    for (int j = 0; j < 4; j++)     /* [row 2j | row 2j + 1], 4 lanes each */    \
        v[j] = OP(_mm256_permute2f128_ps(v[2 * j], v[2 * j + 1], 0x20),           \
                  _mm256_permute2f128_ps(v[2 * j], v[2 * j + 1], 0x31));          \
    for (int j = 0; j < 2; j++)     /* 2 lanes a row */                          \
        v[j] = OP(_mm256_shuffle_ps(v[2 * j], v[2 * j + 1], 0x44),                \
                  _mm256_shuffle_ps(v[2 * j], v[2 * j + 1], 0xee));               \
    __m256 r = OP(_mm256_shuffle_ps(v[0], v[1], 0x88), _mm256_shuffle_ps(v[0], v[1], 0xdd)); \
    /* rows 0 2 4 6 1 3 5 7 */                                                    \
    _mm256_storeu_ps(val, _mm256_permutevar8x32_ps(r, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7))); \
    return 0;                                                                     \
}
#define CT_MM8_F64(NAME, OP)                                                      \
__attribute__((target("avx2,fma"))) static int NAME(const double *x, int64_t len, int64_t ld, double *val) { \
    __m256d v[4];                                                                 \
    int nanm = 0;                                                                 \
    for (int j = 0; j < 4; j++) {                                                 \
        const double *p = x + j * ld;                                             \
        CT_MM16_FOLD(__m256d, 4, unsigned, _mm256_loadu_pd, CT_MM8_ML_PD,         \
                     _mm256_set1_pd, OP, CT_MM8_UNORD_PD, p, len, v[j], nanm)    \
    }                                                                             \
    if (nanm) return 1;                                                           \
    for (int j = 0; j < 2; j++)                                                   \
        v[j] = OP(_mm256_permute2f128_pd(v[2 * j], v[2 * j + 1], 0x20),           \
                  _mm256_permute2f128_pd(v[2 * j], v[2 * j + 1], 0x31));          \
    __m256d r = OP(_mm256_unpacklo_pd(v[0], v[1]), _mm256_unpackhi_pd(v[0], v[1])); \
    _mm256_storeu_pd(val, _mm256_permute4x64_pd(r, 0xd8));    /* rows 0 2 1 3 */  \
    return 0;                                                                     \
}
CT_MM8_F32(ct__max8_f32, _mm256_max_ps)
CT_MM8_F32(ct__min8_f32, _mm256_min_ps)
CT_MM8_F64(ct__max8_f64, _mm256_max_pd)
CT_MM8_F64(ct__min8_f64, _mm256_min_pd)
/* the max / min of each of the group's rows (CT_MM16_G rows at x: 16 float,
 * 8 double on AVX-512, 8 and 4 on AVX2) into val and 0, or 1 when the group
 * has a NaN (val then unset); the caller checks CT_MM16_OK */
static int ct_minmax_group_f32(const float *x, int64_t len, int64_t ld, int is_max, float *val)
{
    if (!ct__have_avx512f())
        return is_max ? ct__max8_f32(x, len, ld, val) : ct__min8_f32(x, len, ld, val);
    return is_max ? ct__max16_f32(x, len, ld, val) : ct__min16_f32(x, len, ld, val);
}
static int ct_minmax_group_f64(const double *x, int64_t len, int64_t ld, int is_max, double *val)
{
    if (!ct__have_avx512f())
        return is_max ? ct__max8_f64(x, len, ld, val) : ct__min8_f64(x, len, ld, val);
    return is_max ? ct__max16_f64(x, len, ld, val) : ct__min16_f64(x, len, ld, val);
}
#define CT_MM16_OK_f32 (ct__have_avx512f() || ct_cpu_avx2())
#define CT_MM16_OK_f64 (ct__have_avx512f() || ct_cpu_avx2())
#define CT_MM16_G_f32 (ct__have_avx512f() ? 16 : 8)
#define CT_MM16_G_f64 (ct__have_avx512f() ? 8 : 4)
#define CT_MM16_GROUP_f32 ct_minmax_group_f32
#define CT_MM16_GROUP_f64 ct_minmax_group_f64
#endif
#ifndef CT_HAVE_MM16
#define CT_MM16_OK_f32 0
#define CT_MM16_OK_f64 0
#define CT_MM16_G_f32 1
#define CT_MM16_G_f64 1
#define CT_MM16_GROUP_f32(...) 1
#define CT_MM16_GROUP_f64(...) 1
#endif
#define CT_MM16_OK_b8 0
#define CT_MM16_OK_u8 0
#define CT_MM16_OK_i8 0
#define CT_MM16_OK_i16 0
#define CT_MM16_OK_i32 0
#define CT_MM16_OK_i64 0
#define CT_MM16_OK_f16 0
#define CT_MM16_G_b8 1
#define CT_MM16_G_u8 1
#define CT_MM16_G_i8 1
#define CT_MM16_G_i16 1
#define CT_MM16_G_i32 1
#define CT_MM16_G_i64 1
#define CT_MM16_G_f16 1
#define CT_MM16_GROUP_b8(...) 1
#define CT_MM16_GROUP_u8(...) 1
#define CT_MM16_GROUP_i8(...) 1
#define CT_MM16_GROUP_i16(...) 1
#define CT_MM16_GROUP_i32(...) 1
#define CT_MM16_GROUP_i64(...) 1
#define CT_MM16_GROUP_f16(...) 1
/* the least work (elements) that the short-row max/min splits between threads */
#define CT_MM16_PAR_MIN (8 * CT_PAR_MIN)

/* whether T is a floating type (a constant the compiler folds) */
#define CT_FLOATING(T) ((T)0.5 != 0)

/* ---------------------------------------------------------------- max/min
 * NaN propagates: the first NaN of a row is the result (and its index).
 * For integers (x != x) is constant false and vanishes. */
#define CT_MINMAX(S, T)                                                           \
/* a vector max/min reduction with a separate any-NaN flag (a NaN row's     */   \
/* value is fixed by the caller, so the max need not carry it): no branch  */   \
CT_MULTIVERSION static T ct_minmax_lanes_##S(const T *x, int64_t n, int is_max, int *nan) { \
    T a = x[0];                                                                   \
    int bad = 0;                                                                  \
    if (!CT_FLOATING(T)) {                                                        \
        /* integers: 64 lanes held in an array (whole vectors of any width; */   \
        /* GCC's reduction of bytes took 16 at a time), no NaN flag        */     \
        T acc[64];                                                                \
        int64_t i = 0;                                                            \
        for (int k = 0; k < 64; k++) acc[k] = a;                                  \
        if (is_max) {                                                             \
            for (; i + 64 <= n; i += 64)                                          \
                for (int k = 0; k < 64; k++) { T v = x[i + k]; acc[k] = v > acc[k] ? v : acc[k]; } \
            for (; i < n; i++) { T v = x[i]; a = v > a ? v : a; }                \
            for (int k = 0; k < 64; k++) a = acc[k] > a ? acc[k] : a;             \
        } else {                                                                  \
            for (; i + 64 <= n; i += 64)                                          \
                for (int k = 0; k < 64; k++) { T v = x[i + k]; acc[k] = v < acc[k] ? v : acc[k]; } \
            for (; i < n; i++) { T v = x[i]; a = v < a ? v : a; }                \
            for (int k = 0; k < 64; k++) a = acc[k] < a ? acc[k] : a;             \
        }                                                                         \
        *nan = 0;                                                                 \
        return a;                                                                 \
    }                                                                             \
    /* floats: 128 bytes of lanes in an array (four vectors of AVX2, two of  */  \
    /* AVX-512: independent chains where one vector waited on its last max) */    \
    enum { LN = 128 / sizeof(T) };                                                \
    T acc[LN];                                                                    \
    /* a lane's NaN kept as a value of T (one vector shape for the loop) */     \
    T nb[LN];                                                                     \
    for (int k = 0; k < LN; k++) { acc[k] = a; nb[k] = 0; }                       \
    int64_t i = 0;                                                                \
    if (is_max) {                                                                 \
        for (; i + LN <= n; i += LN)                                              \
            _Pragma("omp simd")                                                   \
            for (int k = 0; k < LN; k++) { T v = x[i + k]; acc[k] = v > acc[k] ? v : acc[k]; nb[k] = v != v ? v : nb[k]; } \
        for (; i < n; i++) { T v = x[i]; a = v > a ? v : a; bad |= v != v; }     \
        for (int k = 0; k < LN; k++) a = acc[k] > a ? acc[k] : a;                 \
    } else {                                                                      \
        for (; i + LN <= n; i += LN)                                              \
            _Pragma("omp simd")                                                   \
            for (int k = 0; k < LN; k++) { T v = x[i + k]; acc[k] = v < acc[k] ? v : acc[k]; nb[k] = v != v ? v : nb[k]; } \
        for (; i < n; i++) { T v = x[i]; a = v < a ? v : a; bad |= v != v; }     \
        for (int k = 0; k < LN; k++) a = acc[k] < a ? acc[k] : a;                 \
    }                                                                             \
    for (int k = 0; k < LN; k++) bad |= nb[k] != nb[k];                           \
    *nan = bad;                                                                   \
    return a;                                                                     \
}                                                                                 \
/* min and max in one pass (aminmax): half the reads of two passes        */   \
CT_MULTIVERSION static void ct_minmax2_lanes_##S(const T *x, int64_t n, T *mn, T *mx, int *nan) { \
    T a = x[0], b = x[0];                                                         \
    int bad = 0;                                                                  \
    if (!CT_FLOATING(T)) {                                                        \
        T lo[64], hi[64];                                                         \
        int64_t i = 0;                                                            \
        for (int k = 0; k < 64; k++) lo[k] = hi[k] = a;                           \
        for (; i + 64 <= n; i += 64)                                              \
            for (int k = 0; k < 64; k++) {                                        \
                T v = x[i + k];                                                   \
                lo[k] = v < lo[k] ? v : lo[k];                                    \
                hi[k] = v > hi[k] ? v : hi[k];                                    \
            }                                                                     \
        for (; i < n; i++) { T v = x[i]; a = v < a ? v : a; b = v > b ? v : b; }  \
        for (int k = 0; k < 64; k++) { a = lo[k] < a ? lo[k] : a; b = hi[k] > b ? hi[k] : b; } \
    } else {                                                                      \
        _Pragma("omp simd reduction(min:a) reduction(max:b) reduction(|:bad)")    \
        for (int64_t i = 0; i < n; i++) { T v = x[i]; a = v < a ? v : a; b = v > b ? v : b; bad |= v != v; } \
    }                                                                             \
    *mn = a; *mx = b; *nan = bad;                                                 \
}                                                                                 \
/* both of one row (its first NaN for both where it has one) */                  \
static void ct_minmax2_one_##S(const T *x, int64_t len, T *mn, T *mx) {           \
    int nan = 0;                                                                  \
    T a = x[0], b = x[0];                                                         \
    if (len >= 32) ct_minmax2_lanes_##S(x, len, &a, &b, &nan);                    \
    else {                                                                        \
        nan = a != a;                                                             \
        for (int64_t i = 1; i < len; i++) { T v = x[i]; a = v < a ? v : a; b = v > b ? v : b; nan |= v != v; } \
    }                                                                             \
    if (nan) { for (int64_t i = 0; i < len; i++) if (x[i] != x[i]) { a = b = x[i]; break; } } \
    *mn = a; *mx = b;                                                             \
}                                                                                 \
/* short rows: the same reduction, scalar and inline (a vector set-up and a */   \
/* call would cost more than the row)                                      */   \
static inline T ct_minmax_val_##S(const T *x, int64_t n, int is_max, int *nan) {  \
    if (n >= 32) return ct_minmax_lanes_##S(x, n, is_max, nan);                   \
    T a = x[0];                                                                   \
    int bad = a != a;                                                             \
    if (is_max) { for (int64_t i = 1; i < n; i++) { T v = x[i]; a = v > a ? v : a; bad |= v != v; } } \
    else { for (int64_t i = 1; i < n; i++) { T v = x[i]; a = v < a ? v : a; bad |= v != v; } } \
    *nan = bad;                                                                   \
    return a;                                                                     \
}                                                                                 \
/* the first index of the max (min) of n >= 1 elements, or of the first    */   \
/* NaN: blocks reduced by the vector loop, the best block (the first to    */   \
/* reach the extreme) then searched a chunk at a time                      */   \
static int64_t ct_minmax_idx_##S(const T *x, int64_t n, int is_max) {             \
    if (n < CT_ARG_CHUNK) {                                                       \
        int64_t best = 0;                                                         \
        T b = x[0];                                                               \
        if (b != b) return 0;                                                     \
        for (int64_t i = 1; i < n; i++) {                                         \
            T v = x[i];                                                           \
            if (v != v) return i;                                                 \
            if (is_max ? v > b : v < b) { b = v; best = i; }                      \
        }                                                                         \
        return best;                                                              \
    }                                                                             \
    int64_t best = 0;                                                             \
    T b = x[0];                                                                   \
    for (int64_t k0 = 0; k0 < n; k0 += CT_ARG_BLOCK) {                            \
        const int64_t m = n - k0 < CT_ARG_BLOCK ? n - k0 : CT_ARG_BLOCK;          \
        int nan = 0;                                                              \
        const T v = ct_minmax_lanes_##S(x + k0, m, is_max, &nan);                 \
        if (nan) {                                                                \
            for (int64_t i = k0;; i++) if (x[i] != x[i]) return i;                \
        }                                                                         \
        if (k0 == 0 || (is_max ? v > b : v < b)) { b = v; best = k0; }            \
    }                                                                             \
    /* the block holds b; the first chunk of it that does, then the element */   \
    int64_t i = best;                                                             \
    for (; i + CT_ARG_CHUNK <= n; i += CT_ARG_CHUNK) {                            \
        int hit = 0;                                                              \
        _Pragma("omp simd reduction(|:hit)")                                      \
        for (int k = 0; k < CT_ARG_CHUNK; k++) hit |= x[i + k] == b;              \
        if (hit) break;                                                           \
    }                                                                             \
    for (;; i++) if (x[i] == b) return i;                                         \
}                                                                                 \
static void ct_minmax_one_##S(const T *x, int64_t len, int is_max, T *val, int64_t *idx) { \
    if (idx) {                                                                    \
        int64_t j = ct_minmax_idx_##S(x, len, is_max);                            \
        *idx = j;                                                                 \
        if (val) *val = x[j];                                                     \
    } else {                                                                      \
        int nan = 0;                                                              \
        T v = ct_minmax_val_##S(x, len, is_max, &nan);                            \
        if (nan) { for (int64_t i = 0; i < len; i++) if (x[i] != x[i]) { v = x[i]; break; } } \
        *val = v;                                                                 \
    }                                                                             \
}                                                                                 \
void ct_minmax_rows_##S(const T *x, int64_t rows, int64_t len, int64_t ld,        \
                        int is_max, T *val, int64_t *idx) {                       \
    int nt = ct_get_num_threads();                                                \
    if (rows == 1 && !idx && nt > 1 && len >= 4 * CT_PAR_MIN) {                   \
        /* one long row: chunks between the threads, then their results */     \
        T part[256], part2[256];                                                  \
        int64_t ch = 1 << 18;                                                     \
        if ((len + ch - 1) / ch > 256) ch = (len + 255) / 256;                    \
        int64_t nch = (len + ch - 1) / ch;                                        \
        _Pragma("omp parallel for num_threads(nt) schedule(dynamic, 1)")          \
        for (int64_t c = 0; c < nch; c++) {                                       \
            int64_t a = ch * c, m = len - a < ch ? len - a : ch;                  \
            if (is_max == 2) ct_minmax2_one_##S(x + a, m, &part[c], &part2[c]);   \
            else ct_minmax_one_##S(x + a, m, is_max, &part[c], NULL);             \
        }                                                                         \
        ct_minmax_one_##S(part, nch, is_max == 2 ? 0 : is_max, val, NULL);        \
        if (is_max == 2) ct_minmax_one_##S(part2, nch, 1, val + 1, NULL);         \
        return;                                                                   \
    }                                                                             \
    if (is_max == 2) {   /* min and max: val[2 r], val[2 r + 1] */                \
        for (int64_t r = 0; r < rows; r++)                                        \
            ct_minmax2_one_##S(x + r * ld, len, val + 2 * r, val + 2 * r + 1);    \
        return;                                                                   \
    }                                                                             \
    if (len == 1) {   /* a dim of size 1: the values themselves */              \
        for (int64_t r = 0; r < rows; r++) {                                      \
            if (val) val[r] = x[r * ld];                                          \
            if (idx) idx[r] = 0;                                                  \
        }                                                                         \
        return;                                                                   \
    }                                                                             \
    if (!idx && CT_MM16_OK_##S && len <= CT_MM16_MAXLEN && rows >= CT_MM16_G_##S) { \
        /* short rows: groups of G rows reduced together (see CT_MM16_FOLD) */   \
        const int64_t G = CT_MM16_G_##S, ng = rows / G;                           \
        int64_t gc = CT_PAR_MIN / (G * len) + 1;                                  \
        CT_PARALLEL_IF(nt > 1 && ng > gc && rows * len >= CT_MM16_PAR_MIN, "omp parallel for num_threads(nt) schedule(dynamic, gc)", \
        for (int64_t g = 0; g < ng; g++) {                                        \
            const T *p = x + g * G * ld;                                          \
            T *v = val + g * G;                                                   \
            if (CT_MM16_GROUP_##S(p, len, ld, is_max, v))                         \
                for (int64_t j = 0; j < G; j++)                                   \
                    ct_minmax_one_##S(p + j * ld, len, is_max, v + j, NULL);      \
        });                                                                       \
        for (int64_t r = ng * G; r < rows; r++)                                   \
            ct_minmax_one_##S(x + r * ld, len, is_max, val + r, NULL);            \
        return;                                                                   \
    }                                                                             \
    CT_FOR_ROWS(nt, rows, len, CT_PAR_MIN, r,                                     \
        ct_minmax_one_##S(x + r * ld, len, is_max, val ? val + r : NULL, idx ? idx + r : NULL);); \
}

CT_MINMAX(b8, uint8_t)
CT_MINMAX(u8, uint8_t)
CT_MINMAX(i8, int8_t)
CT_MINMAX(i16, int16_t)
CT_MINMAX(i32, int32_t)
CT_MINMAX(i64, int64_t)
CT_MINMAX(f32, float)
CT_MINMAX(f64, double)

/* ---- bfloat16 and float16 through the float32 kernels ----------------------
 * The rows are widened to a dense float32 copy (exact), the float32 kernel
 * runs on it, and values come back rounded (max/min/median/cummax values are
 * input elements, so exact; prod and softmax rounded once). Half's own loops
 * would compare and convert halves one at a time (libgcc calls without
 * AVX512-FP16). */
/* n halves (half 1) or bfloat16 values (half 0) <-> n floats, contiguous */
static void ct_widen(const void *h, float *f, int64_t n, int half)
{
    if (half) ct_h2f_contig((const uint16_t *)h, f, n);
    else ct_bf2f_contig((const uint16_t *)h, f, n);
}
static void ct_narrow(const float *f, void *h, int64_t n, int half)
{
    if (half) ct_f2h_contig(f, (uint16_t *)h, n);
    else ct_f2bf_contig(f, (uint16_t *)h, n);
}
static float *ct_f32_rows(const void *x, int64_t rows, int64_t len, int64_t ld, int half)
{
    float *f = (float *)ct_alloc((size_t)(rows * len > 0 ? rows * len : 1) * sizeof(float));
    if (f == NULL) return NULL;
    for (int64_t r = 0; r < rows; r++) {
        ct_widen((const uint16_t *)x + r * ld, f + r * len, len, half);
    }
    return f;
}
static void ct_f32_rows_free(float *f, int64_t n)
{
    ct_free(f, (size_t)(n > 0 ? n : 1) * sizeof(float));
}
/* floats (a scratch of n) -> bfloat16 or half */
static float *ct_f32_out(int64_t n)
{
    return (float *)ct_alloc((size_t)(n > 0 ? n : 1) * sizeof(float));
}
static void ct_f32_out_done(float *f, void *out, int64_t n, int half)
{
    if (out != NULL) ct_narrow(f, out, n, half);
    ct_free(f, (size_t)(n > 0 ? n : 1) * sizeof(float));
}

/* the values of max / min (is_max 2: both) of one long row without indices:
 * blocks of CT_VIA_BLK widened on the stack and reduced (between the
 * threads), then the blocks' results reduced; the values are input elements,
 * a NaN anywhere gives NaN. 0, or -1 when scratch memory could not be had */
#define CT_VIA_BLK 4096
#ifdef CT_HAVE_AVX512_TABLES
/* a block's min and max (is_max 0, 1; 2: both into r[0], r[1]) widened in
 * registers: 64 values a step in four accumulators, NaN noted by a mask
 * (the float kernel's values: a NaN anywhere gives NaN) */
/* the end of a vector block's min / max: the elements past the last whole
 * vector (fewer than 16), then the first NaN where there is one, as the
 * float kernel gives it */
static void ct_mm_block_finish(const uint16_t *x, int64_t i, int64_t m, int is_max, int half, int nan,
                               float mn, float mx, float *r)
{
    if (i < m) {
        float t[16];
        ct_widen(x + i, t, m - i, half);
        for (int64_t k = 0; k < m - i; k++) {
            nan |= t[k] != t[k];
            mn = t[k] < mn ? t[k] : mn;
            mx = t[k] > mx ? t[k] : mx;
        }
    }
    if (nan)
        for (int64_t k = 0; k < m; k++) {
            float t;
            ct_widen(x + k, &t, 1, half);
            if (t != t) { mn = mx = t; break; }
        }
    if (is_max == 2) { r[0] = mn; r[1] = mx; }
    else r[0] = is_max ? mx : mn;
}
__attribute__((target("avx512f"))) static void ct_mm16_block_512(const uint16_t *x, int64_t m, int is_max,
                                                                 int half, float *r)
{
#define CT_MM16_LOAD(p) (half ? CT_WIDEN_H512(_mm256_loadu_si256((const __m256i *)(p)))          \
                              : CT_WIDEN_BF512(_mm256_loadu_si256((const __m256i *)(p))))
    __m512 first = CT_MM16_LOAD(x);
    __m512 lo[4] = {first, first, first, first}, hi[4] = {first, first, first, first};
    __mmask16 nan = _mm512_cmp_ps_mask(first, first, _CMP_UNORD_Q);
    int64_t i = 16;
    for (; i + 64 <= m; i += 64)
        for (int k = 0; k < 4; k++) {
            __m512 v = CT_MM16_LOAD(x + i + 16 * k);
            nan |= _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
            lo[k] = _mm512_min_ps(lo[k], v);
            hi[k] = _mm512_max_ps(hi[k], v);
        }
    for (; i + 16 <= m; i += 16) {
        __m512 v = CT_MM16_LOAD(x + i);
        nan |= _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
        lo[0] = _mm512_min_ps(lo[0], v);
        hi[0] = _mm512_max_ps(hi[0], v);
    }
#undef CT_MM16_LOAD
    float mn = _mm512_reduce_min_ps(_mm512_min_ps(_mm512_min_ps(lo[0], lo[1]), _mm512_min_ps(lo[2], lo[3])));
    float mx = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_max_ps(hi[0], hi[1]), _mm512_max_ps(hi[2], hi[3])));
    ct_mm_block_finish(x, i, m, is_max, half, nan, mn, mx, r);
}
/* the same on AVX2 (F16C for half), 8 lanes; the lanes' results reduced in
 * order through a buffer */
__attribute__((target("avx2,fma,f16c"), always_inline)) static inline void ct_mm8_block_256_k(
    const uint16_t *x, int64_t m, int is_max, int half, float *r)
{
#define CT_MM8_LOAD(p) ct_hf256_widen(_mm_loadu_si128((const __m128i *)(p)), !half)
    __m256 first = CT_MM8_LOAD(x);
    __m256 lo[4] = {first, first, first, first}, hi[4] = {first, first, first, first};
    __m256 nanv = _mm256_cmp_ps(first, first, _CMP_UNORD_Q);
    int64_t i = 8;
    for (; i + 32 <= m; i += 32)
        for (int k = 0; k < 4; k++) {
            __m256 v = CT_MM8_LOAD(x + i + 8 * k);
            nanv = _mm256_or_ps(nanv, _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
            if (is_max != 1) lo[k] = _mm256_min_ps(lo[k], v);
            if (is_max != 0) hi[k] = _mm256_max_ps(hi[k], v);
        }
    for (; i + 8 <= m; i += 8) {
        __m256 v = CT_MM8_LOAD(x + i);
        nanv = _mm256_or_ps(nanv, _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
        if (is_max != 1) lo[0] = _mm256_min_ps(lo[0], v);
        if (is_max != 0) hi[0] = _mm256_max_ps(hi[0], v);
    }
#undef CT_MM8_LOAD
    float lb[8], hb[8];
    _mm256_storeu_ps(lb, _mm256_min_ps(_mm256_min_ps(lo[0], lo[1]), _mm256_min_ps(lo[2], lo[3])));
    _mm256_storeu_ps(hb, _mm256_max_ps(_mm256_max_ps(hi[0], hi[1]), _mm256_max_ps(hi[2], hi[3])));
    float mn = lb[0], mx = hb[0];
    for (int k = 1; k < 8; k++) {
        mn = lb[k] < mn ? lb[k] : mn;
        mx = hb[k] > mx ? hb[k] : mx;
    }
    int nan = _mm256_movemask_ps(nanv) != 0;
    ct_mm_block_finish(x, i, m, is_max, half, nan, mn, mx, r);
}
/* one loop per kind (min, max, both; half or bfloat16): only what it needs */
__attribute__((target("avx2,fma,f16c"))) static void ct_mm8_block_256(const uint16_t *x, int64_t m, int is_max,
                                                                int half, float *r)
{
    if (half) {
        if (is_max == 0) ct_mm8_block_256_k(x, m, 0, 1, r);
        else if (is_max == 1) ct_mm8_block_256_k(x, m, 1, 1, r);
        else ct_mm8_block_256_k(x, m, 2, 1, r);
    } else {
        if (is_max == 0) ct_mm8_block_256_k(x, m, 0, 0, r);
        else if (is_max == 1) ct_mm8_block_256_k(x, m, 1, 0, r);
        else ct_mm8_block_256_k(x, m, 2, 0, r);
    }
}
#define CT_MM16_BLOCK(x, m, is_max, half, r)                                              \
    (ct_cpu_avx512f() && (m) >= 16 ? (ct_mm16_block_512(x, m, is_max, half, r), 1)        \
     : ct_cpu_avx2() && (m) >= 8 ? (ct_mm8_block_256(x, m, is_max, half, r), 1) : 0)
#else
#define CT_MM16_BLOCK(x, m, is_max, half, r) 0
#endif
static int ct_minmax_long_via(const void *x, int64_t len, int is_max, float *v, int half)
{
    const int64_t nb = (len + CT_VIA_BLK - 1) / CT_VIA_BLK;
    float *part = (float *)ct_alloc((size_t)(2 * nb) * sizeof(float));
    if (part == NULL) return -1;
    int nt = ct_get_num_threads();
    CT_PARALLEL_IF(nt > 1 && len >= 4 * CT_PAR_MIN, "omp parallel for num_threads(nt) schedule(dynamic, 16)",
    for (int64_t b = 0; b < nb; b++) {
        float buf[CT_VIA_BLK], r[2];
        const int64_t a = b * CT_VIA_BLK, m = len - a < CT_VIA_BLK ? len - a : CT_VIA_BLK;
        if (!CT_MM16_BLOCK((const uint16_t *)x + a, m, is_max, half, r)) {
            ct_widen((const uint16_t *)x + a, buf, m, half);
            ct_minmax_rows_f32(buf, 1, m, m, is_max, r, NULL);
        }
        part[b] = r[0];
        part[nb + b] = is_max == 2 ? r[1] : 0.0f;
    });
    ct_minmax_rows_f32(part, 1, nb, nb, is_max == 2 ? 0 : is_max, v, NULL);
    if (is_max == 2) ct_minmax_rows_f32(part + nb, 1, nb, nb, 1, v + 1, NULL);
    ct_free(part, (size_t)(2 * nb) * sizeof(float));
    return 0;
}

/* the product of one long row likewise: the blocks' products, then theirs
 * (in float, the blocks in order: the same value for any thread count) */
static int ct_prod_long_via(const void *x, int64_t len, float *v, int half)
{
    const int64_t nb = (len + CT_VIA_BLK - 1) / CT_VIA_BLK;
    float *part = (float *)ct_alloc((size_t)nb * sizeof(float));
    if (part == NULL) return -1;
    int nt = ct_get_num_threads();
    CT_PARALLEL_IF(nt > 1 && len >= 4 * CT_PAR_MIN, "omp parallel for num_threads(nt) schedule(dynamic, 16)",
    for (int64_t b = 0; b < nb; b++) {
        float buf[CT_VIA_BLK];
        const int64_t a = b * CT_VIA_BLK, m = len - a < CT_VIA_BLK ? len - a : CT_VIA_BLK;
        ct_widen((const uint16_t *)x + a, buf, m, half);
        ct_prod_rows_f32(buf, 1, m, m, part + b);
    });
    ct_prod_rows_f32(part, 1, nb, nb, v);
    ct_free(part, (size_t)nb * sizeof(float));
    return 0;
}

#define CT_VIA_F32(S, HALF)                                                       \
static void ct_minmax_rows_##S(const void *x, int64_t rows, int64_t len, int64_t ld, int is_max, \
                               void *val, int64_t *idx)                           \
{                                                                                 \
    const int64_t nv = is_max == 2 ? 2 * rows : rows;    /* both: two a row */    \
    if (rows == 1 && idx == NULL && val != NULL && len > CT_VIA_BLK) {            \
        float v[2];                                                               \
        if (ct_minmax_long_via(x, len, is_max, v, HALF) == 0) {                   \
            ct_narrow(v, val, nv, HALF);                                          \
            return;                                                               \
        }                                                                         \
    }                                                                             \
    if (rows == 1 && idx == NULL && val != NULL) {                                \
        /* one short row: widened on the stack (no scratch to allocate) */      \
        float buf[CT_VIA_BLK], v[2];                                              \
        ct_widen(x, buf, len, HALF);                                              \
        ct_minmax_rows_f32(buf, 1, len, len, is_max, v, NULL);                    \
        ct_narrow(v, val, nv, HALF);                                              \
        return;                                                                   \
    }                                                                             \
    float *f = ct_f32_rows(x, rows, len, ld, HALF), *o = ct_f32_out(nv);          \
    if (f && o) ct_minmax_rows_f32(f, rows, len, len, is_max, val ? o : NULL, idx); \
    if (f) ct_f32_rows_free(f, rows * len);                                       \
    if (o) ct_f32_out_done(o, val, nv, HALF);                                     \
}                                                                                 \
static int ct_median_rows_##S(const void *x, int64_t rows, int64_t len, int64_t ld, void *val, \
                              int64_t *idx)                                       \
{                                                                                 \
    float *f = ct_f32_rows(x, rows, len, ld, HALF), *o = ct_f32_out(rows);        \
    int rc = f && o ? ct_median_rows_f32(f, rows, len, len, o, idx) : -1;         \
    if (f) ct_f32_rows_free(f, rows * len);                                       \
    if (o) ct_f32_out_done(o, rc == 0 ? val : NULL, rows, HALF);                  \
    return rc;                                                                    \
}                                                                                 \
static void ct_prod_rows_via_##S(const void *x, int64_t rows, int64_t len, int64_t ld, void *out) \
{                                                                                 \
    float v;                                                                      \
    if (rows == 1 && len > CT_VIA_BLK && ct_prod_long_via(x, len, &v, HALF) == 0) { \
        ct_narrow(&v, out, 1, HALF);                                              \
        return;                                                                   \
    }                                                                             \
    float *f = ct_f32_rows(x, rows, len, ld, HALF), *o = ct_f32_out(rows);        \
    if (f && o) ct_prod_rows_f32(f, rows, len, len, o);                           \
    if (f) ct_f32_rows_free(f, rows * len);                                       \
    if (o) ct_f32_out_done(o, out, rows, HALF);                                   \
}                                                                                 \
static void ct_softmax_rows_##S(const void *x, int64_t rows, int64_t len, int64_t ld, int is_log, \
                                void *out)                                        \
{                                                                                 \
    float *f = ct_f32_rows(x, rows, len, ld, HALF), *o = ct_f32_out(rows * len);  \
    if (f && o) ct_softmax_rows_f32(f, rows, len, len, is_log, o);                \
    if (f) ct_f32_rows_free(f, rows * len);                                       \
    if (o) ct_f32_out_done(o, out, rows * len, HALF);                             \
}                                                                                 \
static void ct_cumext_rows_##S(const void *x, int64_t rows, int64_t len, int64_t ld, int is_max, \
                               void *val, int64_t *idx)                           \
{                                                                                 \
    float *f = ct_f32_rows(x, rows, len, ld, HALF), *o = ct_f32_out(rows * len);  \
    if (f && o) ct_cumext_rows_f32(f, rows, len, len, is_max, o, idx);            \
    if (f) ct_f32_rows_free(f, rows * len);                                       \
    if (o) ct_f32_out_done(o, val, rows * len, HALF);                             \
}
CT_VIA_F32(bf16, 0)
CT_VIA_F32(f16, 1)

ct_minmax_fn ct_minmax_loops[CT_NDTYPES] = {
    (ct_minmax_fn)ct_minmax_rows_b8, (ct_minmax_fn)ct_minmax_rows_u8,
    (ct_minmax_fn)ct_minmax_rows_i8, (ct_minmax_fn)ct_minmax_rows_i16,
    (ct_minmax_fn)ct_minmax_rows_i32, (ct_minmax_fn)ct_minmax_rows_i64,
    (ct_minmax_fn)ct_minmax_rows_f16, (ct_minmax_fn)ct_minmax_rows_f32,
    (ct_minmax_fn)ct_minmax_rows_f64, NULL, NULL,
    [CT_BFLOAT16] = (ct_minmax_fn)ct_minmax_rows_bf16,
};

/* ------------------------------------------------------------------ median
 * The lower median ((len-1)/2-th smallest) of each row, a row holding NaN
 * giving its first NaN. With indices: quickselect on a copy of the values
 * and their positions (the device kernels' algorithm, so that both pick the
 * same one of equal values). Values only: short rows by quickselect on a
 * copy; long rows by two bounds drawn from an evenly spaced sample of the
 * row, then one pass that counts the elements below the lower bound and
 * gathers those between the bounds into the copy, and quickselect on those
 * few (on the whole copy, should the median lie outside the bounds). */
#define CT_MED_LONG 16384
#define CT_MED_SAMPLE 4096
#define CT_MED_SPREAD 160
/* the least work (elements) that the median of rows splits between threads */
#define CT_MED_PAR_MIN 65536
#define CT_MEDIAN(S, T)                                                           \
/* the k-th smallest of buf[0..n) (reordered), no NaN among them; ibuf,   */ \
/* when not NULL, reordered with buf                                      */ \
static T ct_qselect_##S(T *buf, int64_t *ibuf, int64_t n, int64_t k) {          \
    int64_t lo = 0, hi = n - 1;                                                   \
    while (lo < hi) {                                                             \
        T p = buf[lo + (hi - lo) / 2];                                            \
        int64_t i = lo, j = hi;                                                   \
        while (i <= j) {                                                          \
            while (buf[i] < p) i++;                                               \
            while (buf[j] > p) j--;                                               \
            if (i <= j) {                                                         \
                T t = buf[i]; buf[i] = buf[j]; buf[j] = t;                        \
                if (ibuf) {                                                       \
                    int64_t u = ibuf[i]; ibuf[i] = ibuf[j]; ibuf[j] = u;          \
                }                                                                 \
                i++; j--;                                                         \
            }                                                                     \
        }                                                                         \
        if (k <= j) hi = j; else if (k >= i) lo = i; else break;                  \
    }                                                                             \
    return buf[k];                                                                \
}                                                                                 \
/* the first NaN of x[0..n), or -1 (blocks checked with vector compares) */     \
CT_MULTIVERSION static int64_t ct_first_nan_##S(const T *x, int64_t n) {          \
    for (int64_t i0 = 0; i0 < n; i0 += 1024) {                                    \
        const int64_t m = n - i0 < 1024 ? n - i0 : 1024;                          \
        int bad = 0;                                                              \
        _Pragma("omp simd reduction(|:bad)")                                      \
        for (int64_t i = 0; i < m; i++) bad |= x[i0 + i] != x[i0 + i];            \
        if (bad) for (int64_t i = i0;; i++) if (x[i] != x[i]) return i;           \
    }                                                                             \
    return -1;                                                                    \
}                                                                                 \
/* the elements of x[0..n) below lo counted, those in [lo, hi] gathered */      \
/* into buf (their number returned)                                        */   \
CT_MULTIVERSION static int64_t ct_med_gather_##S(const T *x, int64_t n, T lo, T hi, \
                                                 T *buf, int64_t *below) {        \
    int64_t m = 0, b = 0;                                                         \
    for (int64_t i = 0; i < n; i++) {                                             \
        const T v = x[i];                                                         \
        b += v < lo;                                                              \
        buf[m] = v;                                                               \
        m += (v >= lo) & (v <= hi);                                               \
    }                                                                             \
    *below = b;                                                                   \
    return m;                                                                     \
}                                                                                 \
static void ct_median_idx_##S(const T *x, int64_t len, T *buf, int64_t *ibuf,     \
                              T *val, int64_t *idx) {                             \
    for (int64_t i = 0; i < len; i++) {                                           \
        if (x[i] != x[i]) { *val = x[i]; *idx = i; return; }                      \
        buf[i] = x[i]; ibuf[i] = i;                                               \
    }                                                                             \
    const int64_t k = (len - 1) / 2;                                              \
    *val = ct_qselect_##S(buf, ibuf, len, k);                                     \
    *idx = ibuf[k];                                                               \
}                                                                                 \
static void ct_median_one_##S(const T *x, int64_t len, T *buf, T *val) {          \
    const int64_t nan = ct_first_nan_##S(x, len);                                 \
    if (nan >= 0) { *val = x[nan]; return; }                                      \
    const int64_t k = (len - 1) / 2;                                              \
    T v;                                                                          \
    int done = 0;                                                                 \
    if (len >= CT_MED_LONG) {                                                     \
        const int64_t s = CT_MED_SAMPLE, ks = (int64_t)((double)k / len * s);     \
        for (int64_t j = 0; j < s; j++) buf[j] = x[(int64_t)((double)j / s * len)]; \
        const int64_t a = ks - CT_MED_SPREAD < 0 ? 0 : ks - CT_MED_SPREAD;        \
        const int64_t c = ks + CT_MED_SPREAD >= s ? s - 1 : ks + CT_MED_SPREAD;   \
        const T lo = ct_qselect_##S(buf, NULL, s, a);                             \
        const T hi = ct_qselect_##S(buf + a, NULL, s - a, c - a);                 \
        int64_t below = 0;                                                        \
        const int64_t m = ct_med_gather_##S(x, len, lo, hi, buf, &below);         \
        if (below <= k && k < below + m) { v = ct_qselect_##S(buf, NULL, m, k - below); done = 1; } \
    }                                                                             \
    if (!done) {                                                                  \
        memcpy(buf, x, (size_t)len * sizeof(T));                                  \
        v = ct_qselect_##S(buf, NULL, len, k);                                    \
    }                                                                             \
    *val = v;                                                                     \
}                                                                                 \
int ct_median_rows_##S(const T *x, int64_t rows, int64_t len, int64_t ld,         \
                       T *val, int64_t *idx) {                                    \
    const size_t nb = (size_t)(len > CT_MED_SAMPLE ? len : CT_MED_SAMPLE) * sizeof(T); \
    const size_t ib = idx ? (size_t)len * sizeof(int64_t) : 0;                    \
    int nt = ct_get_num_threads();                                                \
    if (nt > 1 && rows > 1 && rows * len >= CT_MED_PAR_MIN) {                     \
        /* rows split between threads, each with its own buffers (allocated */    \
        /* here: the allocator is not for concurrent use)                   */    \
        if (nt > rows) nt = (int)rows;                                            \
        const size_t nbp = (nb + 63) & ~(size_t)63, ibp = (ib + 63) & ~(size_t)63; \
        char *bufs = (char *)ct_alloc(nbp * (size_t)nt);                          \
        char *ibufs = idx ? (char *)ct_alloc(ibp * (size_t)nt) : NULL;            \
        if (!bufs || (idx && !ibufs)) {                                           \
            if (bufs) ct_free(bufs, nbp * (size_t)nt);                            \
            if (ibufs) ct_free(ibufs, ibp * (size_t)nt);                          \
            return -1;                                                            \
        }                                                                         \
        int64_t rc = CT_MED_PAR_MIN / 8 / len + 1;                                \
        _Pragma("omp parallel num_threads(nt)")                                   \
        {                                                                         \
            int tid = ct_thread_num();                                            \
            T *b = (T *)(bufs + nbp * (size_t)tid);                               \
            int64_t *ibt = idx ? (int64_t *)(ibufs + ibp * (size_t)tid) : NULL;   \
            _Pragma("omp for schedule(dynamic, rc)")                              \
            for (int64_t r = 0; r < rows; r++) {                                  \
                if (idx) ct_median_idx_##S(x + r * ld, len, b, ibt, val + r, idx + r); \
                else ct_median_one_##S(x + r * ld, len, b, val + r);              \
            }                                                                     \
        }                                                                         \
        ct_free(bufs, nbp * (size_t)nt);                                          \
        if (ibufs) ct_free(ibufs, ibp * (size_t)nt);                              \
        return 0;                                                                 \
    }                                                                             \
    T *buf = (T *)ct_alloc(nb);                                                   \
    int64_t *ibuf = idx ? (int64_t *)ct_alloc(ib) : NULL;                         \
    if (!buf || (idx && !ibuf)) {                                                 \
        if (buf) ct_free(buf, nb);                                                \
        if (ibuf) ct_free(ibuf, ib);                                              \
        return -1;                                                                \
    }                                                                             \
    for (int64_t r = 0; r < rows; r++) {                                          \
        if (idx) ct_median_idx_##S(x + r * ld, len, buf, ibuf, val + r, idx + r); \
        else ct_median_one_##S(x + r * ld, len, buf, val + r);                    \
    }                                                                             \
    ct_free(buf, nb);                                                             \
    if (ibuf) ct_free(ibuf, ib);                                                  \
    return 0;                                                                     \
}

CT_MEDIAN(u8, uint8_t)
CT_MEDIAN(i8, int8_t)
CT_MEDIAN(i16, int16_t)
CT_MEDIAN(i32, int32_t)
CT_MEDIAN(i64, int64_t)
CT_MEDIAN(f32, float)
CT_MEDIAN(f64, double)

ct_median_fn ct_median_loops[CT_NDTYPES] = {
    (ct_median_fn)ct_median_rows_u8, (ct_median_fn)ct_median_rows_u8,
    (ct_median_fn)ct_median_rows_i8, (ct_median_fn)ct_median_rows_i16,
    (ct_median_fn)ct_median_rows_i32, (ct_median_fn)ct_median_rows_i64,
    (ct_median_fn)ct_median_rows_f16, (ct_median_fn)ct_median_rows_f32,
    (ct_median_fn)ct_median_rows_f64, NULL, NULL,
    [CT_BFLOAT16] = (ct_median_fn)ct_median_rows_bf16,
};

/* ------------------------------------- prod (PACC), cumsum, cumprod (ACC)
 * The input is already in the result dtype (int64 for integers). As PyTorch's
 * CPU kernels do: a product accumulates in its own dtype (a float16 product
 * past 65504 is inf even when later factors would bring it back); running
 * sums and products of float16 accumulate in float, of float32 and complex64
 * in double precision (a running float32 sum of 1e7 values near 10 drifts by
 * 6% by its end). */
/* logcumsumexp's step: log(exp(a) + exp(v)) from the larger of the two, so
 * that nothing overflows; -inf + -inf stays -inf, a NaN propagates. Integer
 * and complex scans never take it (the caller allows floating dtypes only). */
#define CT_LAE(NAME, ACC, EXP, LOG1P)                                             \
static inline ACC NAME(ACC a, ACC v) {                                            \
    ACC hi = a > v ? a : v, lo = a > v ? v : a;                                   \
    if (a != a || v != v) return a + v;                                           \
    if (lo == -INFINITY) return hi;                                               \
    if (hi == INFINITY) return hi;                                                \
    return hi + LOG1P(EXP(lo - hi));                                              \
}
CT_LAE(ct_lae_f, float, expf, log1pf)
CT_LAE(ct_lae_d, double, exp, log1p)
static inline int64_t ct_lae_i64(int64_t a, int64_t v) { return a + v; }
static inline ct_cdouble ct_lae_cd(ct_cdouble a, ct_cdouble v) { return a + v; }

/* a row's product over 64 lanes (len >= 64): lane k multiplies x[k], x[k +
 * 64], ..., the rest (fewer than 64) goes into lanes 0, 1, ... in turn, then
 * the lanes' tree (lane k takes lane k + w for w = 32 .. 1); float and
 * double in vectors, the tree as shuffles in registers (the same products
 * in the same order) */
#define CT_PLANES_PLAIN(PACC, p, len, r) {                                        \
    PACC a[64];                                                                   \
    for (int k = 0; k < 64; k++) a[k] = 1;                                        \
    int64_t i = 0;                                                                \
    for (; i + 64 <= len; i += 64)                                                \
        for (int k = 0; k < 64; k++) a[k] *= (PACC)p[i + k];                      \
    for (int k = 0; i < len; i++, k++) a[k] *= (PACC)p[i];                        \
    for (int w = 32; w >= 1; w /= 2)                                              \
        for (int k = 0; k < w; k++) a[k] *= a[k + w];                             \
    r = a[0];                                                                     \
}
#ifdef CT_HAVE_AVX512_TABLES
/* CT_VLANES's 64 float lanes on AVX-512 (n >= 64), folded by OP (0: the
 * sum of e^(x - sub) by exp512.h's ct_expf512, 1: the product, 2: the max):
 * lane k takes x[k], x[k + 64], ...; the rest as whole vectors into lanes
 * 0 .. 15, a last one padded (after its terms) with OP's identity into
 * lanes 16 .. 31; then the tree, lane k with lane k + w for w = 32 .. 1 */
CT_AVX512_INLINE __m512 ct_lanes512_op(__m512 a, __m512 b, int op)
{
    return op == 0 ? _mm512_add_ps(a, b) : op == 1 ? _mm512_mul_ps(a, b) : _mm512_max_ps(a, b);
}
CT_AVX512_INLINE __m512 ct_lanes512_term(const float *p, __mmask16 t, int op, __m512 sub)
{
    __m512 v = _mm512_maskz_loadu_ps(t, p);
    return op == 0 ? ct_expf512(_mm512_sub_ps(v, sub)) : v;
}
/* the rest of x (n < 64 elements) into the lanes b0 .. b3, and the tree */
CT_AVX512_INLINE float ct_lanes512_end(__m512 b0, __m512 b1, __m512 b2, __m512 b3,
                                       const float *x, int64_t n, int op, __m512 sub)
{
    const __m512 id = _mm512_set1_ps(op == 0 ? 0.0f : op == 1 ? 1.0f : -INFINITY);
    const __mmask16 all = (__mmask16)0xffff;
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) b0 = ct_lanes512_op(b0, ct_lanes512_term(x + i, all, op, sub), op);
    if (i < n) {
        __mmask16 t = (__mmask16)((1u << (n - i)) - 1);
        b1 = ct_lanes512_op(b1, _mm512_mask_mov_ps(id, t, ct_lanes512_term(x + i, t, op, sub)), op);
    }
    b0 = ct_lanes512_op(ct_lanes512_op(b0, b2, op), ct_lanes512_op(b1, b3, op), op);
    __m256 h = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(b0), 1));
    __m256 a = _mm512_castps512_ps256(ct_lanes512_op(b0, _mm512_castps256_ps512(h), op));
    __m128 q = _mm256_castps256_ps128(a), q1 = _mm256_extractf128_ps(a, 1);
    q = _mm512_castps512_ps128(ct_lanes512_op(_mm512_castps128_ps512(q), _mm512_castps128_ps512(q1), op));
    q = _mm512_castps512_ps128(ct_lanes512_op(_mm512_castps128_ps512(q), _mm512_castps128_ps512(_mm_movehl_ps(q, q)), op));
    q = _mm512_castps512_ps128(ct_lanes512_op(_mm512_castps128_ps512(q),
                                              _mm512_castps128_ps512(_mm_shuffle_ps(q, q, 1)), op));
    return _mm_cvtss_f32(q);
}
CT_AVX512_INLINE float ct_lanes512_f32(const float *x, int64_t n, int op, __m512 sub)
{
    const __m512 id = _mm512_set1_ps(op == 0 ? 0.0f : op == 1 ? 1.0f : -INFINITY);
    const __mmask16 all = (__mmask16)0xffff;
    __m512 b0 = id, b1 = id, b2 = id, b3 = id;
    int64_t i = 0;
    for (; i + 64 <= n; i += 64) {
        b0 = ct_lanes512_op(b0, ct_lanes512_term(x + i, all, op, sub), op);
        b1 = ct_lanes512_op(b1, ct_lanes512_term(x + i + 16, all, op, sub), op);
        b2 = ct_lanes512_op(b2, ct_lanes512_term(x + i + 32, all, op, sub), op);
        b3 = ct_lanes512_op(b3, ct_lanes512_term(x + i + 48, all, op, sub), op);
    }
    return ct_lanes512_end(b0, b1, b2, b3, x + i, n - i, op, sub);
}
/* the 64 double lanes of d[0 .. 7] (lanes 8m .. 8m + 7 in d[m]) multiplied
 * as a tree, lane k with lane k + w for w = 32 .. 1 */
CT_AVX512_INLINE double ct_prod512_tree_pd(__m512d *d)
{
    for (int m = 0; m < 4; m++) d[m] = _mm512_mul_pd(d[m], d[m + 4]);
    d[0] = _mm512_mul_pd(d[0], d[2]);
    d[1] = _mm512_mul_pd(d[1], d[3]);
    __m512d c = _mm512_mul_pd(d[0], d[1]);
    __m256d a = _mm256_mul_pd(_mm512_castpd512_pd256(c), _mm512_extractf64x4_pd(c, 1));
    __m128d q = _mm_mul_pd(_mm256_castpd256_pd128(a), _mm256_extractf128_pd(a, 1));
    q = _mm_mul_sd(q, _mm_unpackhi_pd(q, q));
    return _mm_cvtsd_f64(q);
}
/* lanes of b nonzero and below 2^-40 in magnitude */
CT_AVX512_INLINE __mmask16 ct_prod512_low(__m512 b)
{
    return _mm512_cmp_ps_mask(_mm512_abs_ps(b), _mm512_set1_ps(0x1p-40f), _CMP_LT_OQ)
           & _mm512_cmp_ps_mask(b, _mm512_setzero_ps(), _CMP_NEQ_UQ);
}
/* 8 floats widened to doubles: the low (h = 0) or high half of v */
#define CT_PROD512_WIDE(v, h) _mm512_cvtps_pd(h ? _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)) \
                                               : _mm512_castps512_ps256(v))
/* CT_VLANES's products on AVX-512 (len >= 64): its 64 lanes as four
 * vectors of 16 floats (eight of 8 doubles), the rest as whole vectors into
 * the first, a last one padded with ones into the second, and the same
 * tree: the same products in the same order, in half the instructions. A
 * product that underflows runs its lanes through denormals, each multiply
 * of a vector holding one a microcode assist (rows of 10000 that underflow
 * ran 2x PyTorch's time with eight vectors, 1.1x with four): every 4096
 * elements the float lanes are looked at, and once one is below 2^-40 the
 * 64 lanes go on in double (exactly widened: the products from there on
 * rounded to double, the result once to float at the end), where a float
 * product's values are normal numbers (64 factors of a lane between two
 * looks take it from 2^-40 into the denormals only below 0.39 on average;
 * a look every 256 elements cost 8% of an L2-resident product's time). */
__attribute__((target("avx512f"))) static float ct_prod512_f32(const float *x, int64_t n)
{
    const __m512 one = _mm512_set1_ps(1.0f);
    __m512 b0 = one, b1 = one, b2 = one, b3 = one;
    int64_t i = 0;
narrow:
#define CT_PROD512_STEP(j)                                                        \
    b0 = _mm512_mul_ps(b0, _mm512_loadu_ps(x + (j)));                             \
    b1 = _mm512_mul_ps(b1, _mm512_loadu_ps(x + (j) + 16));                        \
    b2 = _mm512_mul_ps(b2, _mm512_loadu_ps(x + (j) + 32));                        \
    b3 = _mm512_mul_ps(b3, _mm512_loadu_ps(x + (j) + 48));
    for (; i + 4096 <= n; i += 4096) {
        for (int64_t j = i; j < i + 4096; j += 64) {
            CT_PROD512_STEP(j)
        }
        if (ct_prod512_low(b0) | ct_prod512_low(b1) | ct_prod512_low(b2) | ct_prod512_low(b3)) {
            i += 4096;
            goto wide;
        }
    }
    for (; i + 64 <= n; i += 64) {
        CT_PROD512_STEP(i)
    }
#undef CT_PROD512_STEP
    return ct_lanes512_end(b0, b1, b2, b3, x + i, n - i, 1, _mm512_setzero_ps());
wide:;
    /* d[m] holds lanes 8m .. 8m + 7 */
    __m512d d[8] = {CT_PROD512_WIDE(b0, 0), CT_PROD512_WIDE(b0, 1), CT_PROD512_WIDE(b1, 0),
                    CT_PROD512_WIDE(b1, 1), CT_PROD512_WIDE(b2, 0), CT_PROD512_WIDE(b2, 1),
                    CT_PROD512_WIDE(b3, 0), CT_PROD512_WIDE(b3, 1)};
    /* every 4096 elements a lane below 2^-300 becomes a zero of its sign:
     * as a float lane it would have been one long before (PyTorch's float
     * product is 0 there too; a double lane would go on into the denormals:
     * 10 rows of 1e5 factors in [0.1, 0.9] ran 2x slower without), and once
     * all 64 lanes are zeros (or signed zeros) they go back to float, where
     * zeros cost nothing and NaN and infinity still make NaN of them (the
     * same rows ran half their time in double, 0.75x PyTorch's speed, until
     * then) */
    const __m512d tiny = _mm512_set1_pd(0x1p-300), sgn = _mm512_set1_pd(-0.0);
    for (; i + 64 <= n; i += 64) {
        for (int m = 0; m < 8; m++)
            d[m] = _mm512_mul_pd(d[m], _mm512_cvtps_pd(_mm256_loadu_ps(x + i + 8 * m)));
        if ((i & 4032) == 0) {
            __mmask8 live = 0;
            for (int m = 0; m < 8; m++) {
                d[m] = _mm512_castsi512_pd(_mm512_mask_and_epi64(
                    _mm512_castpd_si512(d[m]), _mm512_cmp_pd_mask(_mm512_abs_pd(d[m]), tiny, _CMP_LT_OQ),
                    _mm512_castpd_si512(d[m]), _mm512_castpd_si512(sgn)));
                live |= _mm512_cmp_pd_mask(d[m], _mm512_setzero_pd(), _CMP_NEQ_UQ);
            }
            if (!live) {
#define CT_PROD512_NARROW(a, b) _mm512_castpd_ps(_mm512_insertf64x4(                \
    _mm512_castpd256_pd512(_mm256_castps_pd(_mm512_cvtpd_ps(a))), _mm256_castps_pd(_mm512_cvtpd_ps(b)), 1))
                b0 = CT_PROD512_NARROW(d[0], d[1]);
                b1 = CT_PROD512_NARROW(d[2], d[3]);
                b2 = CT_PROD512_NARROW(d[4], d[5]);
                b3 = CT_PROD512_NARROW(d[6], d[7]);
#undef CT_PROD512_NARROW
                i += 64;
                goto narrow;
            }
        }
    }
    /* the rest: whole vectors of 16 into lanes 0 .. 15, a last one padded
     * with ones into lanes 16 .. 31; the tree, lane k with k + w for w = 32 .. 1 */
    for (; i + 16 <= n; i += 16) {
        d[0] = _mm512_mul_pd(d[0], _mm512_cvtps_pd(_mm256_loadu_ps(x + i)));
        d[1] = _mm512_mul_pd(d[1], _mm512_cvtps_pd(_mm256_loadu_ps(x + i + 8)));
    }
    if (i < n) {
        __m512 v = _mm512_mask_loadu_ps(one, (__mmask16)((1u << (n - i)) - 1), x + i);
        d[2] = _mm512_mul_pd(d[2], CT_PROD512_WIDE(v, 0));
        d[3] = _mm512_mul_pd(d[3], CT_PROD512_WIDE(v, 1));
    }
    return (float)ct_prod512_tree_pd(d);
}
#undef CT_PROD512_WIDE
__attribute__((target("avx512f"))) static double ct_prod512_f64(const double *x, int64_t n)
{
    const __m512d one = _mm512_set1_pd(1.0);
    __m512d b[8];
    for (int k = 0; k < 8; k++) b[k] = one;
    int64_t i = 0;
    for (; i + 64 <= n; i += 64)
        for (int k = 0; k < 8; k++) b[k] = _mm512_mul_pd(b[k], _mm512_loadu_pd(x + i + 8 * k));
    for (; i + 8 <= n; i += 8) b[0] = _mm512_mul_pd(b[0], _mm512_loadu_pd(x + i));
    if (i < n) b[1] = _mm512_mul_pd(b[1], _mm512_mask_loadu_pd(one, (__mmask8)((1u << (n - i)) - 1), x + i));
    return ct_prod512_tree_pd(b);
}
#define CT_PROD512(S, p, len, r) if (ct_cpu_avx512f()) { r = ct_prod512_##S(p, len); } else
#else
#define CT_PROD512(S, p, len, r)
#endif
#define CT_PLANES_f32(PACC, p, len, r) CT_PROD512(f32, p, len, r) {               \
    ct_vf8 v, a0;                                                                 \
    CT_VLANES(ct_vf8, ct_vi8, float, 8, 8, *, 1.0f, p, len, CT_VCT_TERM_PLAIN, CT_VF_TOP) \
    a0 *= CT_VF_HALF1(a0);                                                        \
    r = a0[0];                                                                    \
}
#define CT_PLANES_f64(PACC, p, len, r) CT_PROD512(f64, p, len, r) {               \
    ct_vd4 v, a0;                                                                 \
    CT_VLANES(ct_vd4, ct_vl4, double, 4, 16, *, 1.0, p, len, CT_VCT_TERM_PLAIN, CT_VD_TOP) \
    a0 *= CT_VD_HALF1(a0);                                                        \
    r = a0[0];                                                                    \
}
#define CT_PLANES_i64 CT_PLANES_PLAIN
#define CT_PLANES_f16 CT_PLANES_PLAIN
/* complex rows of any length: 32 lanes of pairs in vectors (lane k
 * multiplies x[k], x[k + 32], ..., the rest as whole vectors into the first
 * vector's lanes and a last one padded with ones into the second's, then the
 * tree as shuffles), each product of pairs (ar br - ai bi, ar bi + ai br)
 * with its products rounded apart, as PyTorch multiplies (C's complex `*`
 * tests every result for NaN, recovers infinities in libgcc and does not
 * vectorise). Written on whole vectors with contraction off: GCC's
 * vectoriser would fuse the scalar form's products into vfmaddsub. */
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")
#define CT_CP_MUL(V, VI, DUP_RE, DUP_IM, SWAP, SIGN, a, b) {                      \
    V p_ = __builtin_shuffle(a, DUP_RE) * (b);                                    \
    V q_ = __builtin_shuffle(a, DUP_IM) * __builtin_shuffle(b, SWAP);             \
    a = p_ + (V)((VI)q_ ^ SIGN);                                                  \
}
#define CT_CP_MUL_f(a, b) CT_CP_MUL(ct_vf8, ct_vi8,                               \
    ((ct_vi8){0, 0, 2, 2, 4, 4, 6, 6}), ((ct_vi8){1, 1, 3, 3, 5, 5, 7, 7}),       \
    ((ct_vi8){1, 0, 3, 2, 5, 4, 7, 6}),                                           \
    ((ct_vi8){INT32_MIN, 0, INT32_MIN, 0, INT32_MIN, 0, INT32_MIN, 0}), a, b)
#define CT_CP_MUL_d(a, b) CT_CP_MUL(ct_vd4, ct_vl4, ((ct_vl4){0, 0, 2, 2}),        \
    ((ct_vl4){1, 1, 3, 3}), ((ct_vl4){1, 0, 3, 2}), ((ct_vl4){INT64_MIN, 0, INT64_MIN, 0}), a, b)
/* the lanes as CT_VLANES holds them (NV vectors of L parts, 32 bytes each:
 * the pairs of 16-float / 8-double vectors), the rest as whole blocks of
 * 2 L parts into the first pair, the last padded with ones into the second;
 * the tree down to one pair, then within the vector a0 (TOP) */
#define CT_CPROD_LANES(VT, R, L, NV, MUL, TOP, p, len) {                          \
    const R *x = (const R *)(p);                                                  \
    const int64_t n = 2 * (len);                                                  \
    VT one, b[NV], v, a0, t;                                                      \
    for (int k = 0; k < L; k++) one[k] = (k & 1) ? 0 : 1;                         \
    for (int k = 0; k < NV; k++) b[k] = one;                                      \
    int64_t i = 0;                                                                \
    for (; i + NV * L <= n; i += NV * L)                                          \
        for (int k = 0; k < NV; k++) { CT_VLOAD(v, x + i + L * k); MUL(b[k], v); } \
    for (; i + 2 * L <= n; i += 2 * L)                                            \
        for (int k = 0; k < 2; k++) { CT_VLOAD(v, x + i + L * k); MUL(b[k], v); } \
    if (i < n) {                                                                  \
        R c[2 * L];                                                               \
        for (int k = 0; k < 2 * L; k++) c[k] = (k & 1) ? 0 : 1;                   \
        memcpy(c, x + i, (size_t)(n - i) * sizeof(R));                            \
        for (int k = 0; k < 2; k++) { CT_VLOAD(v, c + L * k); MUL(b[2 + k], v); } \
    }                                                                             \
    for (int w = NV / 2; w >= 1; w /= 2)                                          \
        for (int k = 0; k < w; k++) MUL(b[k], b[k + w]);                          \
    a0 = b[0];                                                                    \
    TOP                                                                           \
    return __builtin_complex(a0[0], a0[1]);                                       \
}
CT_MULTIVERSION static ct_cfloat ct_cprod_lanes_c64(const ct_cfloat *p, int64_t len)
CT_CPROD_LANES(ct_vf8, float, 8, 8, CT_CP_MUL_f,
               t = CT_VF_HALF4(a0); CT_CP_MUL_f(a0, t); t = CT_VF_HALF2(a0); CT_CP_MUL_f(a0, t);,
               p, len)
CT_MULTIVERSION static ct_cdouble ct_cprod_lanes_c128(const ct_cdouble *p, int64_t len)
CT_CPROD_LANES(ct_vd4, double, 4, 16, CT_CP_MUL_d, t = CT_VD_HALF2(a0); CT_CP_MUL_d(a0, t);, p, len)
#pragma GCC pop_options
#define CT_PLANES_c64(PACC, p, len, r) r = ct_cprod_lanes_c64((p), (len));
#define CT_PLANES_c128(PACC, p, len, r) r = ct_cprod_lanes_c128((p), (len));
/* the types whose rows of every length take the lanes (1) */
#define CT_PLANES_ANY_c64 1
#define CT_PLANES_ANY_c128 1
#define CT_PLANES_ANY_i64 0
#define CT_PLANES_ANY_f32 0
#define CT_PLANES_ANY_f64 0
#define CT_CUM_G 8   /* rows scanned side by side */
/* cumsum of a row 8 values a step, as two vectors of 4 lanes (lo, hi) of the
 * vector type V (lanes of A): the block's prefix sums over its 8 lanes (three
 * shifted adds, the shifts crossing from lo into hi), then the running
 * total of the blocks before it added to every lane, and the block's own
 * total (taken before that add) into the running total: one add on the
 * chain from step to step, where the plain scan has eight. LOAD(v, q) /
 * STORE(q, v) widen 4 elements to V and narrow them back. */
#define CT_CUMSUM_VEC(NAME, T, V, A, LOAD, STORE)                                 \
CT_MULTIVERSION static void NAME(const T *p, int64_t len, T *o)                   \
{                                                                                 \
    const V z = {0};                                                              \
    V run = {0};                                                                  \
    int64_t i = 0;                                                                \
    for (; i + 8 <= len; i += 8) {                                                \
        V lo, hi;                                                                 \
        LOAD(lo, p + i);                                                          \
        LOAD(hi, p + i + 4);                                                      \
        hi += __builtin_shuffle(lo, hi, (ct_vl4){3, 4, 5, 6});                    \
        lo += __builtin_shuffle(z, lo, (ct_vl4){0, 4, 5, 6});                     \
        hi += __builtin_shuffle(lo, hi, (ct_vl4){2, 3, 4, 5});                    \
        lo += __builtin_shuffle(z, lo, (ct_vl4){0, 1, 4, 5});                     \
        hi += lo;                                                                 \
        V tot = __builtin_shuffle(hi, (ct_vl4){3, 3, 3, 3});                      \
        STORE(o + i, lo + run);                                                   \
        STORE(o + i + 4, hi + run);                                               \
        run += tot;                                                               \
    }                                                                             \
    A a = run[0];                                                                 \
    for (; i < len; i++) { a += (A)p[i]; o[i] = (T)a; }                           \
}
/* float32 in double: the additions are regrouped, so a double partial sum
 * can differ from the plain scan's in its last bits; the results, rounded
 * to float, agree with it except where a partial sum falls within a few
 * double ulps of a rounding boundary of float */
typedef float ct_vf4 __attribute__((vector_size(16)));
#define CT_CUM_LD_F32(v, q) \
    do { ct_vf4 f_; memcpy(&f_, (q), sizeof(f_)); (v) = __builtin_convertvector(f_, ct_vd4); } while (0)
#define CT_CUM_ST_F32(q, v) \
    do { ct_vf4 r_ = __builtin_convertvector((v), ct_vf4); memcpy((q), &r_, sizeof(r_)); } while (0)
CT_CUMSUM_VEC(ct_cumsum_vec_f32, float, ct_vd4, double, CT_CUM_LD_F32, CT_CUM_ST_F32)
/* int64 in unsigned lanes: integer sums wrap and do not depend on their
 * order, so the plain scan's values exactly */
typedef uint64_t ct_vu4 __attribute__((vector_size(32)));
#define CT_CUM_LD_I64(v, q) memcpy(&(v), (q), sizeof(v))
#define CT_CUM_ST_I64(q, v) do { ct_vu4 w_ = (v); memcpy((q), &w_, sizeof(w_)); } while (0)
CT_CUMSUM_VEC(ct_cumsum_vec_i64, int64_t, ct_vu4, uint64_t, CT_CUM_LD_I64, CT_CUM_ST_I64)
/* the types whose cumsum rows take a vector scan (CT_CUMVEC_S: the scan,
 * CT_CUMVEC_ON_S: 1 where there is one) */
#define CT_CUMVEC_ON_f32 1
#define CT_CUMVEC_f32 ct_cumsum_vec_f32
#define CT_CUMVEC_NONE(p, len, o) ((void)0)
#define CT_CUMVEC_ON_i64 1
#define CT_CUMVEC_i64 ct_cumsum_vec_i64
#define CT_CUMVEC_ON_f64 0
#define CT_CUMVEC_f64 CT_CUMVEC_NONE
#define CT_CUMVEC_ON_c64 0
#define CT_CUMVEC_c64 CT_CUMVEC_NONE
#define CT_CUMVEC_ON_c128 0
#define CT_CUMVEC_c128 CT_CUMVEC_NONE
/* a row longer than this is multiplied a block of it at a time (each block
 * in the lanes), the blocks' products then multiplied in order: the blocks
 * of a few long rows are shared between the threads (one row of 1e6 floats
 * ran on one thread at 0.5x PyTorch's speed) with the same value */
#define CT_PROD_BLK 262144
#define CT_PRODSCAN(S, T, PACC, ACC, LAE, LAE_INIT)                               \
CT_MULTIVERSION static void ct_prod_rows_mv_##S(const T *x, int64_t rows, int64_t len, \
                                                int64_t ld, T *out) {            \
    for (int64_t r = 0; r < rows; r++) {                                          \
        const T *p = x + r * ld;                                                  \
        if (len > CT_PROD_BLK) {                                                  \
            /* a long row: its blocks' products, then theirs, in order */         \
            T v, b;                                                               \
            for (int64_t a = 0; a < len; a += CT_PROD_BLK) {                      \
                ct_prod_rows_mv_##S(p + a, 1, len - a < CT_PROD_BLK ? len - a : CT_PROD_BLK, \
                                    0, a == 0 ? &v : &b);                         \
                if (a > 0) v *= b;                                                \
            }                                                                     \
            out[r] = v;                                                           \
            continue;                                                             \
        }                                                                         \
        if (len < 64 && !CT_PLANES_ANY_##S) {                                     \
            PACC t = 1;                                                           \
            for (int64_t i = 0; i < len; i++) t *= (PACC)p[i];                    \
            out[r] = (T)t;                                                        \
            continue;                                                             \
        }                                                                         \
        /* 64 independent products: several vector multiplies in flight */       \
        PACC pr;                                                                  \
        CT_PLANES_##S(PACC, p, len, pr)                                           \
        out[r] = (T)pr;                                                           \
    }                                                                             \
}                                                                                 \
/* rows in chunks of about CT_PAR_MIN elements between threads (each row's  */  \
/* product is its own: the same values on any count); fewer long rows than  */  \
/* threads: their blocks between the threads, then each row's in order     */  \
void ct_prod_rows_##S(const T *x, int64_t rows, int64_t len, int64_t ld, T *out) { \
    int nt = ct_get_num_threads();                                                \
    const int64_t nb = (len + CT_PROD_BLK - 1) / CT_PROD_BLK;                     \
    T *part = nt > 1 && rows < nt && nb > 1 ? ct_alloc((size_t)(rows * nb) * sizeof(T)) : NULL; \
    if (part != NULL) {                                                           \
        CT_PARALLEL_IF(1, "omp parallel for num_threads(nt) schedule(static)",   \
        for (int64_t u = 0; u < rows * nb; u++) {                                 \
            const int64_t a = u % nb * CT_PROD_BLK;                               \
            ct_prod_rows_mv_##S(x + u / nb * ld + a, 1,                           \
                                len - a < CT_PROD_BLK ? len - a : CT_PROD_BLK, 0, part + u); \
        });                                                                       \
        for (int64_t r = 0; r < rows; r++) {                                      \
            T v = part[r * nb];                                                   \
            for (int64_t b = 1; b < nb; b++) v *= part[r * nb + b];               \
            out[r] = v;                                                           \
        }                                                                         \
        ct_free(part, (size_t)(rows * nb) * sizeof(T));                           \
        return;                                                                   \
    }                                                                             \
    CT_FOR_ROW_RUNS(nt, rows, len, CT_PAR_MIN, r0, r1,                            \
        ct_prod_rows_mv_##S(x + r0 * ld, r1 - r0, len, ld, out + r0););           \
}                                                                                 \
static void ct_cum_one_##S(const T *p, int64_t len, int is_prod, T *o) {         \
    ACC a = is_prod == 1 ? (ACC)1 : (ACC)0;                                       \
    if (is_prod == 2) {                                                           \
        a = LAE_INIT;                                                             \
        for (int64_t i = 0; i < len; i++) { a = LAE(a, (ACC)p[i]); o[i] = (T)a; } \
    } else if (is_prod) for (int64_t i = 0; i < len; i++) { a *= (ACC)p[i]; o[i] = (T)a; } \
    else for (int64_t i = 0; i < len; i++) { a += (ACC)p[i]; o[i] = (T)a; }       \
}                                                                                 \
/* CT_CUM_G rows side by side: each row's running value is its own chain */     \
/* (the same order as one row alone), and the chains' adds overlap (the    */     \
/* AVX clones convert without SSE's false dependency on the target register)*/    \
CT_MULTIVERSION static void ct_cum_group_##S(const T *x, int64_t ld, int64_t len, int is_prod, T *out) { \
    ACC a[CT_CUM_G];                                                              \
    for (int k = 0; k < CT_CUM_G; k++) a[k] = is_prod == 1 ? (ACC)1 : (ACC)0;     \
    if (is_prod == 2) {                                                           \
        for (int k = 0; k < CT_CUM_G; k++) a[k] = LAE_INIT;                       \
        for (int64_t i = 0; i < len; i++) {                                       \
            _Pragma("GCC unroll 8")                                               \
            for (int k = 0; k < CT_CUM_G; k++) {                                  \
                a[k] = LAE(a[k], (ACC)x[k * ld + i]); out[k * len + i] = (T)a[k]; \
            }                                                                     \
        }                                                                         \
    } else if (sizeof(T) != sizeof(ACC)) {                                        \
        /* float in a double scan: blocks of each row converted to the     */     \
        /* accumulation type and back a vector at a time, the scan between */     \
        /* them on the converted block                                     */     \
        ACC b[CT_CUM_G][64];                                                      \
        for (int64_t i0 = 0; i0 < len; i0 += 64) {                                \
            int64_t m = len - i0 < 64 ? len - i0 : 64;                            \
            for (int k = 0; k < CT_CUM_G; k++)                                    \
                for (int64_t j = 0; j < m; j++) b[k][j] = (ACC)x[k * ld + i0 + j]; \
            if (is_prod) {                                                        \
                for (int64_t j = 0; j < m; j++) {                                 \
                    _Pragma("GCC unroll 8")                                       \
                    for (int k = 0; k < CT_CUM_G; k++) { a[k] *= b[k][j]; b[k][j] = a[k]; } \
                }                                                                 \
            } else {                                                              \
                for (int64_t j = 0; j < m; j++) {                                 \
                    _Pragma("GCC unroll 8")                                       \
                    for (int k = 0; k < CT_CUM_G; k++) { a[k] += b[k][j]; b[k][j] = a[k]; } \
                }                                                                 \
            }                                                                     \
            for (int k = 0; k < CT_CUM_G; k++)                                    \
                for (int64_t j = 0; j < m; j++) out[k * len + i0 + j] = (T)b[k][j]; \
        }                                                                         \
    } else if (is_prod) {                                                         \
        for (int64_t i = 0; i < len; i++) {                                       \
            ACC v[CT_CUM_G];                                                      \
            _Pragma("GCC unroll 8")                                               \
            for (int k = 0; k < CT_CUM_G; k++) v[k] = (ACC)x[k * ld + i];         \
            _Pragma("GCC unroll 8")                                               \
            for (int k = 0; k < CT_CUM_G; k++) { a[k] *= v[k]; out[k * len + i] = (T)a[k]; } \
        }                                                                         \
    } else {                                                                      \
        /* the step's loads before its stores: rows 4 KiB apart would else  */   \
        /* read through addresses that alias the last row's store         */     \
        for (int64_t i = 0; i < len; i++) {                                       \
            ACC v[CT_CUM_G];                                                      \
            _Pragma("GCC unroll 8")                                               \
            for (int k = 0; k < CT_CUM_G; k++) v[k] = (ACC)x[k * ld + i];         \
            _Pragma("GCC unroll 8")                                               \
            for (int k = 0; k < CT_CUM_G; k++) { a[k] += v[k]; out[k * len + i] = (T)a[k]; } \
        }                                                                         \
    }                                                                             \
}                                                                                 \
void ct_cum_rows_##S(const T *x, int64_t rows, int64_t len, int64_t ld,           \
                     int is_prod, T *out) {                                       \
    int nt = ct_get_num_threads();                                                \
    int64_t ng = (rows + CT_CUM_G - 1) / CT_CUM_G, gl = len * CT_CUM_G;           \
    int64_t gc = gl >= CT_PAR_MIN ? 1 : CT_PAR_MIN / (gl ? gl : 1);               \
    CT_PARALLEL_IF(nt > 1 && ng > 1 && rows * len >= CT_PAR_MIN, "omp parallel for num_threads(nt) schedule(dynamic, gc)", \
    for (int64_t g = 0; g < ng; g++) {                                            \
        int64_t r0 = g * CT_CUM_G;                                                \
        if (CT_CUMVEC_ON_##S && is_prod == 0 && len >= 8) {                      \
            for (int64_t r = r0; r < rows && r < r0 + CT_CUM_G; r++)              \
                CT_CUMVEC_##S(x + r * ld, len, out + r * len);                    \
        } else if (rows - r0 >= CT_CUM_G)                                         \
            ct_cum_group_##S(x + r0 * ld, ld, len, is_prod, out + r0 * len);      \
        else                                                                      \
            for (int64_t r = r0; r < rows; r++)                                   \
                ct_cum_one_##S(x + r * ld, len, is_prod, out + r * len);          \
    });                                                                           \
}

CT_PRODSCAN(i64, int64_t, int64_t, int64_t, ct_lae_i64, 0)
CT_PRODSCAN(f32, float, float, double, ct_lae_d, -INFINITY)
CT_PRODSCAN(f64, double, double, double, ct_lae_d, -INFINITY)
CT_PRODSCAN(c64, ct_cfloat, ct_cfloat, ct_cdouble, ct_lae_cd, 0)
CT_PRODSCAN(c128, ct_cdouble, ct_cdouble, ct_cdouble, ct_lae_cd, 0)

/* cumsum (is_prod 0), cumprod (1) and logcumsumexp (2) of float16 / bfloat16
 * rows in float, as PyTorch's: each row's running value is a chain of float
 * operations in order, every partial rounded once to the row's type. Up to
 * CT_CUM_G rows side by side (their chains overlap), widened and narrowed a
 * block of CT_CUMH_B at a time (a half's own conversions are libgcc calls
 * one value at a time without AVX512-FP16). */
#define CT_CUMH_B 256
CT_MULTIVERSION static void ct_cum_block_f(float *restrict b, int g, int64_t m, int is_prod,
                                           float *restrict acc)
{
    if (g == CT_CUM_G) {
        float a[CT_CUM_G];
        for (int k = 0; k < CT_CUM_G; k++) a[k] = acc[k];
        /* the step's loads before its stores, the rows' chains unrolled */
        for (int64_t j = 0; j < m; j++) {
            float v[CT_CUM_G];
            _Pragma("GCC unroll 8")
            for (int k = 0; k < CT_CUM_G; k++) v[k] = b[k * CT_CUMH_B + j];
            if (is_prod == 2) {
                _Pragma("GCC unroll 8")
                for (int k = 0; k < CT_CUM_G; k++) a[k] = ct_lae_f(a[k], v[k]);
            } else if (is_prod) {
                _Pragma("GCC unroll 8")
                for (int k = 0; k < CT_CUM_G; k++) a[k] *= v[k];
            } else {
                _Pragma("GCC unroll 8")
                for (int k = 0; k < CT_CUM_G; k++) a[k] += v[k];
            }
            _Pragma("GCC unroll 8")
            for (int k = 0; k < CT_CUM_G; k++) b[k * CT_CUMH_B + j] = a[k];
        }
        for (int k = 0; k < CT_CUM_G; k++) acc[k] = a[k];
        return;
    }
    for (int k = 0; k < g; k++) {
        float *r = b + k * CT_CUMH_B, t = acc[k];
        if (is_prod == 2) for (int64_t j = 0; j < m; j++) { t = ct_lae_f(t, r[j]); r[j] = t; }
        else if (is_prod) for (int64_t j = 0; j < m; j++) { t *= r[j]; r[j] = t; }
        else for (int64_t j = 0; j < m; j++) { t += r[j]; r[j] = t; }
        acc[k] = t;
    }
}
static void ct_cum_rows_h(const void *x, int64_t rows, int64_t len, int64_t ld, int is_prod,
                          void *out, int half)
{
    const uint16_t *xs = (const uint16_t *)x;
    uint16_t *os = (uint16_t *)out;
    int nt = ct_get_num_threads();
    int64_t ng = (rows + CT_CUM_G - 1) / CT_CUM_G, gl = len * CT_CUM_G;
    int64_t gc = gl >= CT_PAR_MIN ? 1 : CT_PAR_MIN / (gl ? gl : 1);
    CT_PARALLEL_IF(nt > 1 && ng > 1 && rows * len >= CT_PAR_MIN, "omp parallel for num_threads(nt) schedule(dynamic, gc)",
    for (int64_t gi = 0; gi < ng; gi++) {
        float b[CT_CUM_G * CT_CUMH_B], a[CT_CUM_G];
        int64_t r0 = gi * CT_CUM_G;
        int g = rows - r0 < CT_CUM_G ? (int)(rows - r0) : CT_CUM_G;
        for (int k = 0; k < g; k++) a[k] = is_prod == 2 ? -INFINITY : is_prod ? 1.0f : 0.0f;
        for (int64_t i0 = 0; i0 < len; i0 += CT_CUMH_B) {
            int64_t m = len - i0 < CT_CUMH_B ? len - i0 : CT_CUMH_B;
            for (int k = 0; k < g; k++)
                ct_widen(xs + (r0 + k) * ld + i0, b + k * CT_CUMH_B, m, half);
            ct_cum_block_f(b, g, m, is_prod, a);
            for (int k = 0; k < g; k++)
                ct_narrow(b + k * CT_CUMH_B, os + (r0 + k) * len + i0, m, half);
        }
    });
}
static void ct_cum_rows_f16(const void *x, int64_t rows, int64_t len, int64_t ld, int is_prod,
                            void *out)
{
    ct_cum_rows_h(x, rows, len, ld, is_prod, out, 1);
}
static void ct_cum_rows_bf16(const void *x, int64_t rows, int64_t len, int64_t ld, int is_prod,
                             void *out)
{
    ct_cum_rows_h(x, rows, len, ld, is_prod, out, 0);
}

ct_prod_fn ct_prod_loops[CT_NDTYPES] = {
    NULL, NULL, NULL, NULL, NULL, (ct_prod_fn)ct_prod_rows_i64, (ct_prod_fn)ct_prod_rows_via_f16,
    (ct_prod_fn)ct_prod_rows_f32, (ct_prod_fn)ct_prod_rows_f64, (ct_prod_fn)ct_prod_rows_c64,
    (ct_prod_fn)ct_prod_rows_c128,
    [CT_BFLOAT16] = (ct_prod_fn)ct_prod_rows_via_bf16,
};
ct_cum_fn ct_cum_loops[CT_NDTYPES] = {
    NULL, NULL, NULL, NULL, NULL, (ct_cum_fn)ct_cum_rows_i64, (ct_cum_fn)ct_cum_rows_f16,
    (ct_cum_fn)ct_cum_rows_f32, (ct_cum_fn)ct_cum_rows_f64, (ct_cum_fn)ct_cum_rows_c64,
    (ct_cum_fn)ct_cum_rows_c128,
    [CT_BFLOAT16] = (ct_cum_fn)ct_cum_rows_bf16,
};

/* ---------------------------------------------------------------- softmax
 * out = exp(x - max) / sum(exp(x - max)), or its log: the max is subtracted
 * first so that nothing overflows. */
/* always inlined (fastmath.h says why): the simd loops below need the body */
CT_FM_INLINE float ct_smexp_f32(float v) { return ct_expf(v); }
CT_FM_INLINE double ct_smexp_f64(double v) { return ct_exp_d1(v); }
/* exp(v) for v = x - max <= 0 (or NaN) where it only adds to a sum that is
 * at least 1 (the max's own term): below -80 (exp(v) < 2e-35) v is raised to
 * -80, a change far under the sum's last bit, and the rest is in
 * ct_expf_small's range. An all -inf row, whose sum would then not be 0, is
 * the caller's to handle. */
CT_FM_INLINE float ct_smexp_sum_f32(float v) { return ct_expf_small(v < -80.0f ? -80.0f : v); }
CT_FM_INLINE double ct_smexp_sum_f64(double v) { return ct_exp_d1(v); }

/* Rows of 16 or more: every pass runs whole blocks of 16, the last block
 * placed at len - 16 so that it overlaps the one before. The overlap is
 * harmless for the max and for values written twice (the same value), and
 * is masked off where it would count twice (the sums, softmax's scaling).
 * No separate NaN test: a NaN anywhere (or an inf max) makes the sum NaN,
 * and every output with it; an all -inf row gives sum 0 and NaN outputs. */
#define CT_SOFTMAX_LONG(S, T, LOG)                                                \
/* acc[0..16) added as a tree (halves, quarters, ...) */                          \
CT_FM_INLINE T ct_sm_hsum16_##S(const T *acc) {                                   \
    T h[8], q[4];                                                                 \
    for (int k = 0; k < 8; k++) h[k] = acc[k] + acc[k + 8];                       \
    for (int k = 0; k < 4; k++) q[k] = h[k] + h[k + 4];                           \
    return (q[0] + q[2]) + (q[1] + q[3]);                                         \
}                                                                                 \
/* the row's max (or a NaN of it) */                                              \
CT_FM_INLINE T ct_sm_max_##S(const T *x, int64_t len) {                           \
    int64_t last = len - 16;                                                      \
    T mx[16], h[8], q[4];                                                         \
    for (int k = 0; k < 16; k++) mx[k] = x[k];                                    \
    for (int64_t i = 16; i <= last; i += 16) {                                    \
        _Pragma("omp simd")                                                       \
        for (int k = 0; k < 16; k++) mx[k] = x[i + k] > mx[k] ? x[i + k] : mx[k]; \
    }                                                                             \
    _Pragma("omp simd")                                                           \
    for (int k = 0; k < 16; k++) mx[k] = x[last + k] > mx[k] ? x[last + k] : mx[k]; \
    for (int k = 0; k < 8; k++) h[k] = mx[k + 8] > mx[k] ? mx[k + 8] : mx[k];     \
    for (int k = 0; k < 4; k++) q[k] = h[k + 4] > h[k] ? h[k + 4] : h[k];         \
    T a = q[1] > q[0] ? q[1] : q[0], b = q[3] > q[2] ? q[3] : q[2];               \
    return b > a ? b : a;                                                         \
}                                                                                 \
/* sum of exp(x - m); softmax (store) writes the exps to o as well */             \
CT_FM_INLINE T ct_sm_sumexp_##S(const T *x, int64_t len, T m, int store, T *o) {  \
    int64_t last = len - 16, rem = len & 15, i;                                   \
    /* lanes below `from` of the last block were counted by the block before */   \
    int from = 16 - (int)rem;                                                     \
    T acc[16];                                                                    \
    for (int k = 0; k < 16; k++) acc[k] = 0;                                      \
    if (!store) {                                                                 \
        for (i = 0; i <= last; i += 16) {                                         \
            _Pragma("omp simd")                                                   \
            for (int k = 0; k < 16; k++) acc[k] += ct_smexp_sum_##S(x[i + k] - m);    \
        }                                                                         \
        if (rem) {                                                                \
            _Pragma("omp simd")                                                   \
            for (int k = 0; k < 16; k++) {                                        \
                T e = ct_smexp_sum_##S(x[last + k] - m);                          \
                acc[k] += k >= from ? e : 0;                                      \
            }                                                                     \
        }                                                                         \
    } else {                                                                      \
        for (i = 0; i <= last; i += 16) {                                         \
            _Pragma("omp simd")                                                   \
            for (int k = 0; k < 16; k++) {                                        \
                T e = ct_smexp_##S(x[i + k] - m);                                 \
                o[i + k] = e;                                                     \
                acc[k] += e;                                                      \
            }                                                                     \
        }                                                                         \
        if (rem) {                                                                \
            _Pragma("omp simd")                                                   \
            for (int k = 0; k < 16; k++) {                                        \
                T e = ct_smexp_##S(x[last + k] - m);                              \
                o[last + k] = e;                                                  \
                acc[k] += k >= from ? e : 0;                                      \
            }                                                                     \
        }                                                                         \
    }                                                                             \
    return ct_sm_hsum16_##S(acc);                                                 \
}                                                                                 \
/* log_softmax's output (x - m) - ls, ls = log(sum): (x - m) - ls, not       */   \
/* x - (m + ls): m + ls rounds to m's precision, which costs                 */   \
/* log_softmax([1000, 1000]) 4e-5 in float32                                 */   \
CT_FM_INLINE void ct_sm_logout_##S(const T *x, int64_t len, T m, T ls, T *o) {    \
    int64_t last = len - 16, i;                                                   \
    for (i = 0; i <= last; i += 16) {                                             \
        _Pragma("omp simd")                                                       \
        for (int k = 0; k < 16; k++) o[i + k] = (x[i + k] - m) - ls;              \
    }                                                                             \
    if (len & 15) {                                                               \
        _Pragma("omp simd")                                                       \
        for (int k = 0; k < 16; k++) o[last + k] = (x[last + k] - m) - ls;        \
    }                                                                             \
}                                                                                 \
/* softmax's output: the stored exps times inv = 1 / sum */                       \
CT_FM_INLINE void ct_sm_scale_##S(int64_t len, T inv, T *o) {                     \
    int64_t last = len - 16, rem = len & 15, i;                                   \
    int from = 16 - (int)rem;                                                     \
    for (i = 0; i <= last; i += 16) {                                             \
        _Pragma("omp simd")                                                       \
        for (int k = 0; k < 16; k++) o[i + k] *= inv;                             \
    }                                                                             \
    if (rem) {                                                                    \
        _Pragma("omp simd")                                                       \
        for (int k = 0; k < 16; k++) {                                            \
            T v = o[last + k];                                                    \
            o[last + k] = k >= from ? v * inv : v;                                \
        }                                                                         \
    }                                                                             \
}

/* rows shorter than 16: the rows of a parallel chunk (in groups of 16), and
 * the least work (elements) that is split between threads */
#define CT_SMS_CHUNK 256
#define CT_SMS_PAR_MIN (4 * CT_PAR_MIN)
#define CT_SOFTMAX(S, T, LOG)                                                     \
/* rows shorter than 16: one padded block */                                    \
CT_MULTIVERSION static void ct_softmax_short_##S(const T *x, int64_t len, int is_log, T *o) { \
    int nan = 0;                                                                  \
    T m = ct_minmax_val_##S(x, len, 1, &nan);                                     \
    if (nan) { for (int64_t i = 0; i < len; i++) o[i] = NAN; return; }            \
    if (m == -INFINITY || m == INFINITY) m = m == INFINITY ? m : 0;               \
    /* 16 lanes summed as a tree at the end; the last len % 16 elements go  */     \
    /* through the same vector step as one padded block (exp(-inf) adds 0) */     \
    T acc[16], t[16], s;                                                          \
    int64_t body = len & ~(int64_t)15;                                            \
    for (int k = 0; k < 16; k++) acc[k] = 0;                                      \
    for (int k = 0; k < 16; k++) t[k] = body + k < len ? x[body + k] - m : -INFINITY; \
    if (is_log) {                                                                 \
        for (int64_t i = 0; i < body; i += 16) {                                  \
            _Pragma("omp simd")                                                   \
            for (int k = 0; k < 16; k++) acc[k] += ct_smexp_##S(x[i + k] - m);    \
        }                                                                         \
        _Pragma("omp simd")                                                       \
        for (int k = 0; k < 16; k++) acc[k] += ct_smexp_##S(t[k]);                \
        for (int w = 8; w >= 1; w >>= 1)                                          \
            for (int k = 0; k < w; k++) acc[k] += acc[k + w];                     \
        s = acc[0];                                                               \
        /* (x - m) - log(s), not x - (m + log(s)): m + log(s) rounds to m's */    \
        /* precision, which costs log_softmax([1000, 1000]) 4e-5 in float32  */   \
        T ls = LOG(s);                                                            \
        _Pragma("omp simd")                                                       \
        for (int64_t i = 0; i < len; i++) o[i] = (x[i] - m) - ls;                 \
    } else {                                                                      \
        for (int64_t i = 0; i < body; i += 16) {                                  \
            _Pragma("omp simd")                                                   \
            for (int k = 0; k < 16; k++) { T e = ct_smexp_##S(x[i + k] - m); o[i + k] = e; acc[k] += e; } \
        }                                                                         \
        _Pragma("omp simd")                                                       \
        for (int k = 0; k < 16; k++) { t[k] = ct_smexp_##S(t[k]); acc[k] += t[k]; } \
        for (int64_t i = body; i < len; i++) o[i] = t[i - body];                  \
        for (int w = 8; w >= 1; w >>= 1)                                          \
            for (int k = 0; k < w; k++) acc[k] += acc[k + w];                     \
        s = acc[0];                                                               \
        T inv = (T)1 / s;                                                         \
        _Pragma("omp simd")                                                       \
        for (int64_t i = 0; i < len; i++) o[i] *= inv;                            \
    }                                                                             \
}                                                                                 \
/* rows shorter than 16, 16 rows at a time: the rows are turned into      */   \
/* columns (t[k][j] is element k of row j), so that every step runs across  */   \
/* the 16 rows as one vector; the arithmetic of each row is that of        */   \
/* ct_softmax_short (the same max, exps, lane tree and log), so the results */   \
/* are the same bits                                                        */   \
CT_MULTIVERSION static void ct_softmax_short16_##S(const T *x, int64_t rows, int64_t len, \
                                                  int64_t ld, int is_log, T *out) { \
    T t[16][16], acc[16][16], m[16], s[16];                                       \
    int bad[16];                                                                  \
    const int n = (int)len;                                                       \
    for (int64_t r0 = 0; r0 + 16 <= rows; r0 += 16) {                             \
        const T *p = x + r0 * ld;                                                 \
        T *q = out + r0 * len;                                                    \
        for (int j = 0; j < 16; j++)                                              \
            for (int k = 0; k < n; k++) t[k][j] = p[j * ld + k];                  \
        _Pragma("omp simd")                                                       \
        for (int j = 0; j < 16; j++) { m[j] = t[0][j]; bad[j] = t[0][j] != t[0][j]; } \
        for (int k = 1; k < n; k++) {                                             \
            _Pragma("omp simd")                                                   \
            for (int j = 0; j < 16; j++) {                                        \
                T v = t[k][j];                                                    \
                m[j] = v > m[j] ? v : m[j];                                       \
                bad[j] |= v != v;                                                 \
            }                                                                     \
        }                                                                         \
        _Pragma("omp simd")                                                       \
        for (int j = 0; j < 16; j++) m[j] = m[j] == -INFINITY ? 0 : m[j];         \
        for (int k = 0; k < n; k++) {                                             \
            _Pragma("omp simd")                                                   \
            for (int j = 0; j < 16; j++) acc[k][j] = ct_smexp_##S(t[k][j] - m[j]); \
        }                                                                         \
        for (int k = n; k < 16; k++)                                              \
            for (int j = 0; j < 16; j++) acc[k][j] = 0;                           \
        if (!is_log) {                                                            \
            for (int k = 0; k < n; k++)                                           \
                for (int j = 0; j < 16; j++) t[k][j] = acc[k][j];                 \
        }                                                                         \
        for (int w = 8; w >= 1; w >>= 1)                                          \
            for (int k = 0; k < w; k++) {                                         \
                _Pragma("omp simd")                                               \
                for (int j = 0; j < 16; j++) acc[k][j] += acc[k + w][j];          \
            }                                                                     \
        if (is_log) {                                                             \
            _Pragma("omp simd")                                                   \
            for (int j = 0; j < 16; j++) s[j] = LOG(acc[0][j]);                   \
            for (int k = 0; k < n; k++) {                                         \
                _Pragma("omp simd")                                               \
                for (int j = 0; j < 16; j++)                                      \
                    t[k][j] = bad[j] ? (T)NAN : (t[k][j] - m[j]) - s[j];          \
            }                                                                     \
        } else {                                                                  \
            _Pragma("omp simd")                                                   \
            for (int j = 0; j < 16; j++) s[j] = (T)1 / acc[0][j];                 \
            for (int k = 0; k < n; k++) {                                         \
                _Pragma("omp simd")                                               \
                for (int j = 0; j < 16; j++) t[k][j] = bad[j] ? (T)NAN : t[k][j] * s[j]; \
            }                                                                     \
        }                                                                         \
        for (int j = 0; j < 16; j++)                                              \
            for (int k = 0; k < n; k++) q[j * len + k] = t[k][j];                 \
    }                                                                             \
}                                                                                 \
/* rows of 16 or more in groups of 16: the maxes and sums of a group, then */   \
/* their logs (or reciprocals) as one vector, then the outputs, so that the */    \
/* rows' serial steps (the lanes' adds, the log) overlap                    */    \
CT_MULTIVERSION static void ct_softmax_block_##S(const T *x, int64_t rows, int64_t len, \
                                                int64_t ld, int is_log, T *out) { \
    for (int64_t r0 = 0; r0 < rows; r0 += 16) {                                   \
        int n = rows - r0 < 16 ? (int)(rows - r0) : 16;                           \
        const T *p = x + r0 * ld;                                                 \
        T *q = out + r0 * len;                                                    \
        T m[16], s[16];                                                           \
        for (int j = 0; j < 16; j++) s[j] = 1;                                    \
        for (int j = 0; j < n; j++) {                                             \
            T mj = ct_sm_max_##S(p + j * ld, len);                                \
            /* an all -inf row: x - 0 is -inf, and the outputs NaN */             \
            m[j] = mj == -INFINITY ? 0 : mj;                                      \
            s[j] = ct_sm_sumexp_##S(p + j * ld, len, m[j], !is_log, q + j * len); \
            if (mj == -INFINITY) s[j] = NAN;                                      \
        }                                                                         \
        if (is_log) {                                                             \
            _Pragma("omp simd")                                                   \
            for (int j = 0; j < 16; j++) s[j] = LOG(s[j]);                        \
            for (int j = 0; j < n; j++) ct_sm_logout_##S(p + j * ld, len, m[j], s[j], q + j * len); \
        } else {                                                                  \
            _Pragma("omp simd")                                                   \
            for (int j = 0; j < 16; j++) s[j] = (T)1 / s[j];                      \
            for (int j = 0; j < n; j++) ct_sm_scale_##S(len, s[j], q + j * len);  \
        }                                                                         \
    }                                                                             \
}                                                                                 \
void ct_softmax_rows_##S(const T *x, int64_t rows, int64_t len, int64_t ld,       \
                         int is_log, T *out) {                                    \
    int nt = ct_get_num_threads();                                                \
    int64_t rc = len >= CT_PAR_MIN ? 1 : CT_PAR_MIN / (len ? len : 1);            \
    if (len < 16) {                                                               \
        if (len == 0) return;                                                     \
        /* groups of 16 rows, chunks of CT_SMS_CHUNK groups; the last rows */     \
        /* (fewer than 16) one at a time                                    */     \
        int64_t ng = rows / 16, gc = CT_SMS_CHUNK;                                \
        int64_t nc = (ng + gc - 1) / gc;                                          \
        CT_PARALLEL_IF(nt > 1 && nc > 1 && rows * len >= CT_SMS_PAR_MIN, "omp parallel for num_threads(nt) schedule(dynamic, 1)", \
        for (int64_t c = 0; c < nc; c++) {                                        \
            int64_t r0 = c * gc * 16, nr = ng * 16 - r0 < gc * 16 ? ng * 16 - r0 : gc * 16; \
            ct_softmax_short16_##S(x + r0 * ld, nr, len, ld, is_log, out + r0 * len); \
        });                                                                       \
        for (int64_t r = ng * 16; r < rows; r++)                                  \
            ct_softmax_short_##S(x + r * ld, len, is_log, out + r * len);         \
        return;                                                                   \
    }                                                                             \
    int64_t nc = (rows + rc - 1) / rc;                                            \
    if (nt > 1 && nc > 1) {                                                       \
        /* a multiple of nt chunks of about equal size (whole groups of 16 */     \
        /* rows where they are that long), so that no thread is left with  */     \
        /* one more chunk than the others                                    */     \
        nc = (nc + nt - 1) / nt * nt;                                             \
        rc = (rows + nc - 1) / nc;                                                \
        if (rc > 16) rc = (rc + 15) & ~(int64_t)15;                               \
        nc = (rows + rc - 1) / rc;                                                \
    }                                                                             \
    CT_PARALLEL_IF(nt > 1 && nc > 1, "omp parallel for num_threads(nt) schedule(dynamic, 1)", \
    for (int64_t c = 0; c < nc; c++) {                                            \
        int64_t r0 = c * rc, n = rows - r0 < rc ? rows - r0 : rc;                 \
        ct_softmax_block_##S(x + r0 * ld, n, len, ld, is_log, out + r0 * len);    \
    });                                                                           \
}

CT_SOFTMAX_LONG(f32, float, ct_logf)
CT_SOFTMAX_LONG(f64, double, log)
CT_SOFTMAX(f32, float, ct_logf)
CT_SOFTMAX(f64, double, log)

/* Along a middle dim (outer x len x inner, dense): a block of at most
 * CT_SMC_W neighbouring columns of one outer slab at a time, each pass a row
 * of the block after another. Column sums add CT_SMC_RUN rows at a time
 * into running totals (the error grows with len / CT_SMC_RUN + CT_SMC_RUN,
 * not len). */
#define CT_SMC_W 64
#define CT_SMC_RUN 256
#define CT_SOFTMAX_COLS(S, T, LOG)                                                \
CT_MULTIVERSION static void ct_softmax_cols_##S(const T *x, int64_t len, int64_t inner, \
                                                int64_t w, int is_log, T *o) {    \
    T m[CT_SMC_W], s[CT_SMC_W], t[CT_SMC_W];                                      \
    for (int64_t j = 0; j < w; j++) { m[j] = x[j]; s[j] = 0; }                   \
    for (int64_t l = 1; l < len; l++) {                                           \
        const T *p = x + l * inner;                                               \
        _Pragma("omp simd")                                                       \
        for (int64_t j = 0; j < w; j++) m[j] = p[j] > m[j] ? p[j] : m[j];         \
    }                                                                             \
    for (int64_t j = 0; j < w; j++) m[j] = m[j] == -INFINITY ? 0 : m[j];          \
    for (int64_t l0 = 0; l0 < len; l0 += CT_SMC_RUN) {                            \
        int64_t l1 = len - l0 < CT_SMC_RUN ? len : l0 + CT_SMC_RUN;               \
        for (int64_t j = 0; j < w; j++) t[j] = 0;                                 \
        for (int64_t l = l0; l < l1; l++) {                                       \
            const T *p = x + l * inner;                                           \
            T *q = o + l * inner;                                                 \
            if (is_log) {                                                         \
                _Pragma("omp simd")                                               \
                for (int64_t j = 0; j < w; j++) t[j] += ct_smexp_##S(p[j] - m[j]); \
            } else {                                                              \
                _Pragma("omp simd")                                               \
                for (int64_t j = 0; j < w; j++) {                                 \
                    T e = ct_smexp_##S(p[j] - m[j]);                              \
                    q[j] = e;                                                     \
                    t[j] += e;                                                    \
                }                                                                 \
            }                                                                     \
        }                                                                         \
        for (int64_t j = 0; j < w; j++) s[j] += t[j];                             \
    }                                                                             \
    if (is_log) {                                                                 \
        for (int64_t j = 0; j < w; j++) s[j] = LOG(s[j]);                         \
        for (int64_t l = 0; l < len; l++) {                                       \
            const T *p = x + l * inner;                                           \
            T *q = o + l * inner;                                                 \
            _Pragma("omp simd")                                                   \
            for (int64_t j = 0; j < w; j++) q[j] = (p[j] - m[j]) - s[j];          \
        }                                                                         \
    } else {                                                                      \
        for (int64_t j = 0; j < w; j++) s[j] = (T)1 / s[j];                       \
        for (int64_t l = 0; l < len; l++) {                                       \
            T *q = o + l * inner;                                                 \
            _Pragma("omp simd")                                                   \
            for (int64_t j = 0; j < w; j++) q[j] *= s[j];                         \
        }                                                                         \
    }                                                                             \
}

/* Backward, from the output y and its gradient g: softmax's y (g - sum(g y)),
 * log_softmax's g - exp(y) sum(g), the sums along the dim; rows (inner 1) in
 * whole blocks of 16 as the forward rows, else column blocks as above. */
#define CT_SOFTMAX_BWD(S, T)                                                      \
CT_MULTIVERSION static void ct_softmax_bwd_rows_##S(const T *g, const T *y, int64_t rows, \
                                                    int64_t len, int is_log, T *dx) { \
    for (int64_t r = 0; r < rows; r++, g += len, y += len, dx += len) {            \
        T sum;                                                                    \
        if (len < 16) {                                                           \
            sum = 0;                                                              \
            for (int64_t i = 0; i < len; i++) sum += is_log ? g[i] : g[i] * y[i]; \
            if (is_log) { for (int64_t i = 0; i < len; i++) dx[i] = g[i] - ct_smexp_##S(y[i]) * sum; } \
            else { for (int64_t i = 0; i < len; i++) dx[i] = y[i] * (g[i] - sum); } \
            continue;                                                             \
        }                                                                         \
        int64_t last = len - 16, rem = len & 15, i;                               \
        int from = rem ? 16 - (int)rem : 16;                                      \
        T acc[16];                                                                \
        for (int k = 0; k < 16; k++) acc[k] = 0;                                  \
        if (is_log) {                                                             \
            for (i = 0; i <= last; i += 16) {                                     \
                _Pragma("omp simd")                                               \
                for (int k = 0; k < 16; k++) acc[k] += g[i + k];                  \
            }                                                                     \
            _Pragma("omp simd")                                                   \
            for (int k = 0; k < 16; k++) acc[k] += k >= from ? g[last + k] : 0;   \
            sum = ct_sm_hsum16_##S(acc);                                          \
            for (i = 0; i <= last; i += 16) {                                     \
                _Pragma("omp simd")                                               \
                for (int k = 0; k < 16; k++) dx[i + k] = g[i + k] - ct_smexp_##S(y[i + k]) * sum; \
            }                                                                     \
            _Pragma("omp simd")                                                   \
            for (int k = 0; k < 16; k++) dx[last + k] = g[last + k] - ct_smexp_##S(y[last + k]) * sum; \
        } else {                                                                  \
            for (i = 0; i <= last; i += 16) {                                     \
                _Pragma("omp simd")                                               \
                for (int k = 0; k < 16; k++) acc[k] += g[i + k] * y[i + k];       \
            }                                                                     \
            _Pragma("omp simd")                                                   \
            for (int k = 0; k < 16; k++) acc[k] += k >= from ? g[last + k] * y[last + k] : 0; \
            sum = ct_sm_hsum16_##S(acc);                                          \
            for (i = 0; i <= last; i += 16) {                                     \
                _Pragma("omp simd")                                               \
                for (int k = 0; k < 16; k++) dx[i + k] = y[i + k] * (g[i + k] - sum); \
            }                                                                     \
            _Pragma("omp simd")                                                   \
            for (int k = 0; k < 16; k++) dx[last + k] = y[last + k] * (g[last + k] - sum); \
        }                                                                         \
    }                                                                             \
}                                                                                 \
CT_MULTIVERSION static void ct_softmax_bwd_cols_##S(const T *g, const T *y, int64_t len, \
                                                    int64_t inner, int64_t w, int is_log, T *dx) { \
    T s[CT_SMC_W], t[CT_SMC_W];                                                   \
    for (int64_t j = 0; j < w; j++) s[j] = 0;                                     \
    for (int64_t l0 = 0; l0 < len; l0 += CT_SMC_RUN) {                            \
        int64_t l1 = len - l0 < CT_SMC_RUN ? len : l0 + CT_SMC_RUN;               \
        for (int64_t j = 0; j < w; j++) t[j] = 0;                                 \
        for (int64_t l = l0; l < l1; l++) {                                       \
            const T *gp = g + l * inner, *yp = y + l * inner;                     \
            if (is_log) {                                                         \
                _Pragma("omp simd")                                               \
                for (int64_t j = 0; j < w; j++) t[j] += gp[j];                    \
            } else {                                                              \
                _Pragma("omp simd")                                               \
                for (int64_t j = 0; j < w; j++) t[j] += gp[j] * yp[j];            \
            }                                                                     \
        }                                                                         \
        for (int64_t j = 0; j < w; j++) s[j] += t[j];                             \
    }                                                                             \
    for (int64_t l = 0; l < len; l++) {                                           \
        const T *gp = g + l * inner, *yp = y + l * inner;                         \
        T *q = dx + l * inner;                                                    \
        if (is_log) {                                                             \
            _Pragma("omp simd")                                                   \
            for (int64_t j = 0; j < w; j++) q[j] = gp[j] - ct_smexp_##S(yp[j]) * s[j]; \
        } else {                                                                  \
            _Pragma("omp simd")                                                   \
            for (int64_t j = 0; j < w; j++) q[j] = yp[j] * (gp[j] - s[j]);        \
        }                                                                         \
    }                                                                             \
}                                                                                 \
static void ct_softmax_dim_##S(int op, const T *a, const T *b, int64_t outer, int64_t len, \
                               int64_t inner, T *out) {                           \
    int nt = ct_get_num_threads(), is_log = op & 1;                               \
    if (inner == 1 && op >= 2) {                                                  \
        int64_t rc = len >= CT_PAR_MIN ? 1 : CT_PAR_MIN / len;                    \
        int64_t nc = (outer + rc - 1) / rc;                                       \
        CT_PARALLEL_IF(nt > 1 && nc > 1, "omp parallel for num_threads(nt) schedule(dynamic, 1)", \
        for (int64_t c = 0; c < nc; c++) {                                        \
            int64_t r0 = c * rc, n = outer - r0 < rc ? outer - r0 : rc;           \
            ct_softmax_bwd_rows_##S(a + r0 * len, b + r0 * len, n, len, is_log, out + r0 * len); \
        });                                                                       \
        return;                                                                   \
    }                                                                             \
    if (inner == 1) {                                                             \
        ct_softmax_rows_##S(a, outer, len, len, is_log, out);                     \
        return;                                                                   \
    }                                                                             \
    int64_t nb = (inner + CT_SMC_W - 1) / CT_SMC_W, tasks = outer * nb;           \
    CT_PARALLEL_IF(nt > 1 && tasks > 1 && outer * len * inner >= CT_PAR_MIN, "omp parallel for num_threads(nt) schedule(dynamic, 1)", \
    for (int64_t k = 0; k < tasks; k++) {                                         \
        int64_t ob = k / nb, j0 = (k % nb) * CT_SMC_W;                            \
        int64_t w = inner - j0 < CT_SMC_W ? inner - j0 : CT_SMC_W;                \
        int64_t off = ob * len * inner + j0;                                      \
        if (op >= 2)                                                              \
            ct_softmax_bwd_cols_##S(a + off, b + off, len, inner, w, is_log, out + off); \
        else                                                                      \
            ct_softmax_cols_##S(a + off, len, inner, w, is_log, out + off);       \
    });                                                                           \
}

CT_SOFTMAX_COLS(f32, float, ct_logf)
CT_SOFTMAX_COLS(f64, double, log)
CT_SOFTMAX_BWD(f32, float)
CT_SOFTMAX_BWD(f64, double)

int ct_softmax_dim(int op, int dtype, const void *a, const void *b, int64_t outer, int64_t len,
                   int64_t inner, void *out)
{
    if (dtype != CT_FLOAT32 && dtype != CT_FLOAT64) return -1;
    if (op < 0 || op > 3) return -1;
    if (outer <= 0 || len <= 0 || inner <= 0) return 0;
    if (dtype == CT_FLOAT32)
        ct_softmax_dim_f32(op, (const float *)a, (const float *)b, outer, len, inner, (float *)out);
    else
        ct_softmax_dim_f64(op, (const double *)a, (const double *)b, outer, len, inner, (double *)out);
    return 0;
}

ct_softmax_fn ct_softmax_loops[CT_NDTYPES] = {
    NULL, NULL, NULL, NULL, NULL, NULL, (ct_softmax_fn)ct_softmax_rows_f16,
    (ct_softmax_fn)ct_softmax_rows_f32, (ct_softmax_fn)ct_softmax_rows_f64, NULL, NULL,
    [CT_BFLOAT16] = (ct_softmax_fn)ct_softmax_rows_bf16,
};

/* ---------------------------------------------------------------- nansum
 * The sum kernels' order and accumulators (64 lanes, pairwise above 4096
 * elements, chunks of one long row in parallel), a NaN counting as 0. */
#define CT_NANSUM(S, T, ACC) CT_SUM_ROWS_FAMILY(nansum, ct_sum_rows_nan_##S, S, T, ACC, CT_TERM_NAN0)

CT_NANSUM(f16, ct_half, float)
CT_NANSUM(bf16, ct_bf16, float)
CT_NANSUM(f32, float, float)
CT_NANSUM(f64, double, double)

ct_sum_rows_fn ct_nansum_rows_loops[CT_NDTYPES] = {
    NULL, NULL, NULL, NULL, NULL, NULL, (ct_sum_rows_fn)ct_sum_rows_nan_f16,
    (ct_sum_rows_fn)ct_sum_rows_nan_f32, (ct_sum_rows_fn)ct_sum_rows_nan_f64, NULL, NULL,
    (ct_sum_rows_fn)ct_sum_rows_nan_bf16,
};

/* ------------------------------------------------- 2-norm, logsumexp
 * Fused rows: the 2-norm is the square root of the squares' sum, added in the
 * sum kernels' order (64 lanes, pairwise above 4096 elements, chunks of one
 * long row in parallel); logsumexp is max + log(sum(exp(x - max))) (a max of
 * +-inf shifts by 0, a NaN row gives NaN), its exponentials summed in blocks
 * of the same order. Float32 and float64. */
#define CT_TERM_SQ(v) ((v) * (v))
CT_SUM_ROWS_FAMILY(sumsq, ct_sumsq_rows_f32, f32, float, float, CT_TERM_SQ)
CT_SUM_ROWS_FAMILY(sumsq, ct_sumsq_rows_f64, f64, double, double, CT_TERM_SQ)
CT_SUM_ROWS_FAMILY_O(sumsq, ct_sumsq_rows_f16, f16, ct_half, float, CT_TERM_SQ, float, f32)
CT_SUM_ROWS_FAMILY_O(sumsq, ct_sumsq_rows_bf16, bf16, ct_bf16, float, CT_TERM_SQ, float, f32)

/* sum of TERM(x[i] - m) over a row in the sum kernels' order: a block of
 * terms at a time (ct_sum_block), pairwise above a block; _long: one long
 * row's chunks in parallel, their sums added pairwise (the sums' split) */
#define CT_SHIFTED_SUM(NAME, S, T, TERM)                                          \
CT_MULTIVERSION static T ct_##NAME##_block_##S(const T *x, int64_t n, T m) {      \
    T e[CT_PAIRWISE_BLOCK];                                                       \
    _Pragma("omp simd")                                                           \
    for (int64_t i = 0; i < n; i++) e[i] = TERM(x[i] - m);                        \
    return ct_sum_block_##S(e, n);                                                \
}                                                                                 \
static T ct_##NAME##_pairwise_##S(const T *x, int64_t n, T m) {                   \
    if (n <= CT_PAIRWISE_BLOCK) return ct_##NAME##_block_##S(x, n, m);            \
    int64_t half = (n / 2 + CT_SUM_LANES - 1) & ~(int64_t)(CT_SUM_LANES - 1);     \
    return ct_##NAME##_pairwise_##S(x, half, m) + ct_##NAME##_pairwise_##S(x + half, n - half, m); \
}                                                                                 \
static T ct_##NAME##_long_##S(const T *x, int64_t len, T m, int nt) {             \
    T part[CT_SUM_MAXCHUNKS];                                                     \
    CT_CHUNKED_PAIRWISE(part, len, nt, ct_##NAME##_pairwise_##S(x + a_, m_, m))   \
    return part[0];                                                               \
}
#ifdef CT_HAVE_AVX512_TABLES
/* logsumexp's terms of a float row of 64 .. CT_PAIRWISE_BLOCK elements on
 * AVX-512: the max in one pass, then e^(x - m) (exp512.h's ct_expf512,
 * ct_expf's values) added straight into the sum's 64 lanes, four vectors
 * of 16 in CT_VLANES's order and tree (the tail, masked, into lanes 16 ..
 * 31): the values of the block kernel's buffer of terms and ct_sum_block,
 * without the buffer, at twice the width. *sum gets NaN where the row holds
 * one (then e^(NaN - m) or x - NaN is NaN in some lane). */
__attribute__((target("avx512f"))) static float ct_lse_row512_f32(const float *x, int64_t n, float *sum)
{
    float m = ct_lanes512_f32(x, n, 2, _mm512_setzero_ps());
    /* the shift: 0 for +-inf (the sum then inf, or 0 where every term is -inf) */
    if (m == INFINITY || m == -INFINITY) m = 0.0f;
    *sum = ct_lanes512_f32(x, n, 0, _mm512_set1_ps(m));
    return m;
}
#define CT_LSE512_f32 1
#else
#define CT_LSE512_f32 0
#endif
#define CT_LSE512_f64 0
/* a block's rows through ct_lse_row512_f32: a NaN row's shift NaN, its sum 1 */
#define CT_LSE512_ROWS_f32                                                        \
    for (int64_t k = 0; k < cnt; k++) {                                           \
        float s_, m_ = ct_lse_row512_f32(x + (r0 + k) * ld, len, &s_);            \
        int nan_ = s_ != s_ || m_ != m_;                                          \
        mb[k] = nan_ ? NAN : m_;                                                  \
        sb[k] = nan_ ? 1.0f : s_;                                                 \
    }
#define CT_LSE512_ROWS_f64
#define CT_LSE_ROWS(S, T, EXP, LOG)                                               \
CT_SHIFTED_SUM(lse, S, T, EXP)                                                    \
/* the shift of a row: its max, 0 for +-inf; NaN when the row holds one */       \
static inline T ct_lse_shift_##S(T m, int nan) {                                  \
    if (nan) return (T)NAN;                                                       \
    return (m == (T)INFINITY || m == -(T)INFINITY) ? (T)0 : m;                    \
}                                                                                 \
/* o[i] = log(s[i]) + m[i] (m[i] where that is NaN: the row held one) for a \
 * block of rows, as one vector loop built for each instruction set (a log \
 * a row, each waiting on its row's sum, ran 20% of short rows' time; LOG's \
 * fmas are libm calls in the baseline build) */                                 \
CT_MULTIVERSION static void ct_lse_fin_##S(const T *s, const T *m, T *o, int64_t n) { \
    _Pragma("omp simd")                                                           \
    for (int64_t i = 0; i < n; i++) o[i] = m[i] != m[i] ? m[i] : LOG(s[i]) + m[i]; \
}                                                                                 \
static void ct_lse_rows_##S(const T *x, int64_t rows, int64_t len, int64_t ld, T *out) { \
    int nt = ct_get_num_threads();                                                \
    if (rows == 1 && nt > 1 && len >= 65536) {                                    \
        /* one long row: the max and the chunks of the sum in parallel, */        \
        /* chunk sums added pairwise (the sum kernels' split)            */        \
        T m;                                                                      \
        ct_minmax_rows_##S(x, 1, len, len, 1, &m, NULL);                          \
        int nan = m != m;                                                         \
        m = ct_lse_shift_##S(m, nan);                                             \
        if (nan) { out[0] = m; return; }                                          \
        T sm = ct_lse_long_##S(x, len, m, nt);                                    \
        ct_lse_fin_##S(&sm, &m, out, 1);                                          \
        return;                                                                   \
    }                                                                             \
    /* blocks of 256 rows: their sums and shifts, then one pass of logs */       \
    const int64_t nb = (rows + 255) / 256;                                        \
    int64_t rc = len >= 65536 / 256 ? 1 : 65536 / 256 / len;                      \
    const int v512 = CT_LSE512_##S && len >= 64 && len <= CT_PAIRWISE_BLOCK && ct_cpu_avx512f(); \
    CT_PARALLEL_IF(nt > 1 && nb > 1 && rows * len >= 65536, "omp parallel for num_threads(nt) schedule(dynamic, rc)", \
    for (int64_t b = 0; b < nb; b++) {                                            \
        T sb[256], mb[256];                                                       \
        const int64_t r0 = b * 256, cnt = rows - r0 < 256 ? rows - r0 : 256;      \
        if (CT_LSE512_##S && v512) {                                              \
            CT_LSE512_ROWS_##S                                                    \
        } else                                                                    \
        for (int64_t k = 0; k < cnt; k++) {                                       \
            const T *p = x + (r0 + k) * ld;                                       \
            int nan = 0;                                                          \
            T m = ct_minmax_val_##S(p, len, 1, &nan);                             \
            mb[k] = ct_lse_shift_##S(m, nan);                                     \
            sb[k] = nan ? (T)1 : ct_lse_pairwise_##S(p, len, mb[k]);              \
        }                                                                         \
        ct_lse_fin_##S(sb, mb, out + r0, cnt);                                    \
    });                                                                           \
}
CT_LSE_ROWS(f32, float, ct_expf, ct_logf)
CT_LSE_ROWS(f64, double, ct_exp_d1, ct_log_d1)

/* the 2-norm rows: the squares' sums, then their square roots */
#define CT_NORM2_ROWS(S, T, SQRT)                                                 \
static void ct_norm2_rows_##S(const T *x, int64_t rows, int64_t len, int64_t ld, T *out) { \
    ct_sumsq_rows_##S(x, rows, len, ld, out);                                     \
    for (int64_t r = 0; r < rows; r++) out[r] = SQRT(out[r]);                     \
}
CT_NORM2_ROWS(f32, float, sqrtf)
CT_NORM2_ROWS(f64, double, sqrt)
/* half and bfloat16: the squares' sums in float (PyTorch's accumulator),
 * their square roots rounded once to the row's type */
static int ct_norm2_rows_half(int dtype, const void *x, int64_t rows, int64_t len, int64_t ld, void *out) {
    float *f = (float *)malloc((size_t)rows * sizeof(float));
    if (!f) return -1;
    if (dtype == CT_FLOAT16) ct_sumsq_rows_f16((const ct_half *)x, rows, len, ld, f);
    else ct_sumsq_rows_bf16((const ct_bf16 *)x, rows, len, ld, f);
    for (int64_t r = 0; r < rows; r++) f[r] = sqrtf(f[r]);
    ct_narrow(f, out, rows, dtype == CT_FLOAT16);
    free(f);
    return 0;
}

/* the squared deviations' rows (var / std): sum((x - m)^2), m the row's
 * value of out on entry, the squares summed in the sum kernels' order (a
 * block of them at a time) */
#define CT_SQ_TERM(d) ((d) * (d))
#define CT_SQDEV_ROWS(S, T)                                                       \
CT_SHIFTED_SUM(sqdev, S, T, CT_SQ_TERM)                                           \
static void ct_sqdev_rows_##S(const T *x, int64_t rows, int64_t len, int64_t ld, T *out) { \
    int nt = ct_get_num_threads();                                                \
    if (rows == 1 && nt > 1 && len >= 65536) {                                    \
        out[0] = ct_sqdev_long_##S(x, len, out[0], nt);                           \
        return;                                                                   \
    }                                                                             \
    CT_FOR_ROWS(nt, rows, len, 65536, r,                                          \
        out[r] = ct_sqdev_pairwise_##S(x + r * ld, len, out[r]););                \
}
CT_SQDEV_ROWS(f32, float)
CT_SQDEV_ROWS(f64, double)
/* complex rows (var / std of complex: the real and imaginary parts'
 * squared deviations together, as PyTorch's var of the real part plus var
 * of the imaginary part): the row's 2 len parts, their squared deviations
 * from the mean's two parts, summed by the real sums' lanes and order. out
 * holds a row's mean on entry and its sum as the real part on return. */
#define CT_CSQDEV_ROWS(S, T, R, RS)                                               \
CT_MULTIVERSION static R ct_csqdev_block_##S(const R *x, int64_t n, R mr, R mi) { \
    R e[CT_PAIRWISE_BLOCK];                                                       \
    _Pragma("omp simd")                                                           \
    for (int64_t i = 0; i < n / 2; i++) {                                         \
        R dr = x[2 * i] - mr, di = x[2 * i + 1] - mi;                             \
        e[2 * i] = dr * dr;                                                       \
        e[2 * i + 1] = di * di;                                                   \
    }                                                                             \
    return ct_sum_block_##RS(e, n);                                               \
}                                                                                 \
/* n: the parts' count (even) */                                                 \
static R ct_csqdev_pairwise_##S(const R *x, int64_t n, R mr, R mi) {              \
    if (n <= CT_PAIRWISE_BLOCK) return ct_csqdev_block_##S(x, n, mr, mi);         \
    int64_t half = (n / 2 + CT_SUM_LANES - 1) & ~(int64_t)(CT_SUM_LANES - 1);     \
    return ct_csqdev_pairwise_##S(x, half, mr, mi) + ct_csqdev_pairwise_##S(x + half, n - half, mr, mi); \
}                                                                                 \
static void ct_sqdev_rows_##S(const T *x, int64_t rows, int64_t len, int64_t ld, T *out) { \
    int nt = ct_get_num_threads();                                                \
    if (rows == 1 && nt > 1 && len >= 65536) {                                    \
        const R *xr = (const R *)x, mr = ((R *)out)[0], mi = ((R *)out)[1];       \
        R part[CT_SUM_MAXCHUNKS];                                                 \
        CT_CHUNKED_PAIRWISE(part, 2 * len, nt, ct_csqdev_pairwise_##S(xr + a_, m_, mr, mi)) \
        out[0] = __builtin_complex(part[0], (R)0);                                \
        return;                                                                   \
    }                                                                             \
    CT_FOR_ROWS(nt, rows, len, 65536, r,                                          \
        R *o = (R *)(out + r);                                                    \
        R v = ct_csqdev_pairwise_##S((const R *)(x + r * ld), 2 * len, o[0], o[1]); \
        out[r] = __builtin_complex(v, (R)0););                                    \
}
CT_CSQDEV_ROWS(c64, ct_cfloat, float, f32)
CT_CSQDEV_ROWS(c128, ct_cdouble, double, f64)

int ct_reduce_rows(int op, int dtype, const void *x, int64_t rows, int64_t len, int64_t ld,
                   void *out)
{
    if (op == CT_RROWS_NORM2 && (dtype == CT_FLOAT16 || dtype == CT_BFLOAT16))
        return rows <= 0 ? 0 : ct_norm2_rows_half(dtype, x, rows, len, ld, out);
    if (op == CT_RROWS_SQDEV && (dtype == CT_COMPLEX64 || dtype == CT_COMPLEX128)) {
        if (len <= 0) {
            for (int64_t r = 0; r < rows; r++) {
                if (dtype == CT_COMPLEX64) ((ct_cfloat *)out)[r] = 0; else ((ct_cdouble *)out)[r] = 0;
            }
        } else if (dtype == CT_COMPLEX64) {
            ct_sqdev_rows_c64((const ct_cfloat *)x, rows, len, ld, (ct_cfloat *)out);
        } else {
            ct_sqdev_rows_c128((const ct_cdouble *)x, rows, len, ld, (ct_cdouble *)out);
        }
        return 0;
    }
    if (dtype != CT_FLOAT32 && dtype != CT_FLOAT64) return -1;
    if (op != CT_RROWS_NORM2 && op != CT_RROWS_LOGSUMEXP && op != CT_RROWS_SQDEV) return -1;
    if (rows <= 0) return 0;
    if (op == CT_RROWS_SQDEV) {
        if (len <= 0) {
            for (int64_t r = 0; r < rows; r++) {
                if (dtype == CT_FLOAT32) ((float *)out)[r] = 0.0f; else ((double *)out)[r] = 0.0;
            }
        } else if (dtype == CT_FLOAT32) {
            ct_sqdev_rows_f32((const float *)x, rows, len, ld, (float *)out);
        } else {
            ct_sqdev_rows_f64((const double *)x, rows, len, ld, (double *)out);
        }
        return 0;
    }
    if (len <= 0) {
        /* empty rows: the norm 0, logsumexp log(0) = -inf */
        for (int64_t r = 0; r < rows; r++) {
            double v = op == CT_RROWS_NORM2 ? 0.0 : -INFINITY;
            if (dtype == CT_FLOAT32) ((float *)out)[r] = (float)v; else ((double *)out)[r] = v;
        }
        return 0;
    }
    if (op == CT_RROWS_NORM2) {
        if (dtype == CT_FLOAT32) ct_norm2_rows_f32((const float *)x, rows, len, ld, (float *)out);
        else ct_norm2_rows_f64((const double *)x, rows, len, ld, (double *)out);
    } else {
        if (dtype == CT_FLOAT32) ct_lse_rows_f32((const float *)x, rows, len, ld, (float *)out);
        else ct_lse_rows_f64((const double *)x, rows, len, ld, (double *)out);
    }
    return 0;
}

/* ------------------------------------------------------- cummax / cummin
 * Element i takes over when it is >= (max) or <= (min) the running value, or
 * NaN: ties give the latest index, a NaN holds until the next NaN. */
#define CT_CUM_CHUNK 32
#define CT_CUMEXT(S, T)                                                           \
/* a chunk in which no element takes over (all below the running max, none */   \
/* NaN: the usual case once a row's max has grown) is written as a run of   */   \
/* the running value and index after one vector compare; else element by    */   \
/* element                                                                  */   \
CT_MULTIVERSION static void ct_cumext_one_##S(const T *restrict p, int64_t len, int is_max, \
                                              T *restrict v, int64_t *restrict ix) { \
    T b = p[0];                                                                   \
    int64_t bi = 0, i = 0;                                                        \
    while (i < len) {                                                             \
        if (i + CT_CUM_CHUNK <= len) {                                            \
            int take = 0;                                                         \
            if (is_max) {                                                         \
                _Pragma("omp simd reduction(|:take)")                             \
                for (int k = 0; k < CT_CUM_CHUNK; k++) take |= !(p[i + k] < b);  \
            } else {                                                              \
                _Pragma("omp simd reduction(|:take)")                             \
                for (int k = 0; k < CT_CUM_CHUNK; k++) take |= !(p[i + k] > b);  \
            }                                                                     \
            if (!take) {                                                          \
                for (int k = 0; k < CT_CUM_CHUNK; k++) { v[i + k] = b; ix[i + k] = bi; } \
                i += CT_CUM_CHUNK;                                                \
                continue;                                                         \
            }                                                                     \
        }                                                                         \
        const int64_t e = len - i < CT_CUM_CHUNK ? len : i + CT_CUM_CHUNK;        \
        for (; i < e; i++) {                                                      \
            T x = p[i];                                                           \
            if (x != x || (is_max ? x >= b : x <= b)) { b = x; bi = i; }          \
            v[i] = b;                                                             \
            ix[i] = bi;                                                           \
        }                                                                         \
    }                                                                             \
}                                                                                 \
void ct_cumext_rows_##S(const T *x, int64_t rows, int64_t len, int64_t ld,        \
                        int is_max, T *val, int64_t *idx) {                       \
    int nt = ct_get_num_threads();                                                \
    CT_FOR_ROWS(nt, rows, len, CT_PAR_MIN, r,                                     \
        ct_cumext_one_##S(x + r * ld, len, is_max, val + r * len, idx + r * len);); \
}

CT_CUMEXT(b8, uint8_t)
CT_CUMEXT(u8, uint8_t)
CT_CUMEXT(i8, int8_t)
CT_CUMEXT(i16, int16_t)
CT_CUMEXT(i32, int32_t)
CT_CUMEXT(i64, int64_t)
CT_CUMEXT(f32, float)
CT_CUMEXT(f64, double)

ct_cumext_fn ct_cumext_loops[CT_NDTYPES] = {
    (ct_cumext_fn)ct_cumext_rows_b8, (ct_cumext_fn)ct_cumext_rows_u8,
    (ct_cumext_fn)ct_cumext_rows_i8, (ct_cumext_fn)ct_cumext_rows_i16,
    (ct_cumext_fn)ct_cumext_rows_i32, (ct_cumext_fn)ct_cumext_rows_i64,
    (ct_cumext_fn)ct_cumext_rows_f16, (ct_cumext_fn)ct_cumext_rows_f32,
    (ct_cumext_fn)ct_cumext_rows_f64, NULL, NULL,
    [CT_BFLOAT16] = (ct_cumext_fn)ct_cumext_rows_bf16,
};

/* ------------------------------------------------ reductions over columns
 * The leading dims of a contiguous tensor reduced without a transposing copy:
 * out[c] = op over i < n of x[i * ld + c], c < cols. Each row is combined
 * into the running values of its columns with vector selects; threads take
 * blocks of columns. max/min: NaN propagates and the first NaN, or the first
 * of equal extremes, gives the index (the rows kernels' rule). */
#define CT_COLS_BLOCK 1024
/* columns in chunks of 256 bytes held in registers down all the rows (the  \
 * values through memory from row to row waited on a store each row: 3x     \
 * slower for a few dozen columns), the rest (and the indices' form) a row   \
 * at a time over them; the same selections either way */                    \
#define CT_COLS_MM_CH(T) ((int64_t)(256 / sizeof(T)))
#define CT_COLS_MM_CHUNK(T, x, n, ld, val, c0, SEL) CT_COLS_MM_CHUNK_W(T, x, n, ld, val, c0, SEL, CT_COLS_MM_CH(T))
#define CT_COLS_MM_CHUNK_W(T, x, n, ld, val, c0, SEL, W)                          \
    CT_COLS_CHUNK_W(T, x, n, ld, val, c0, W, { T b = a_[c]; a_[c] = SEL ? v : b; })
/* W columns from c0 in registers a_ (the first row's values), each later
 * row's v = x[i][c] folded in by STEP, in row order; then stored to out */
#define CT_COLS_CHUNK_W(T, x, n, ld, out, c0, W, STEP)                            \
    CT_COLS_CHUNK_ACC(T, T, x, n, ld, out, c0, W, x[c0 + c], 1, STEP)
/* the same in accumulators of type A that start at INIT (of column c),
 * rows from I0 on */
#define CT_COLS_CHUNK_ACC(A, T, x, n, ld, out, c0, W, INIT, I0, STEP)             \
    {                                                                             \
        A a_[W];                                                                  \
        for (int64_t c = 0; c < (W); c++) a_[c] = INIT;                           \
        for (int64_t i = (I0); i < n; i++) {                                      \
            const T *p = x + i * ld + c0;                                         \
            _Pragma("omp simd")                                                   \
            for (int64_t c = 0; c < (W); c++) { T v = p[c]; STEP }                \
        }                                                                         \
        for (int64_t c = 0; c < (W); c++) out[c0 + c] = (T)a_[c];                 \
    }
#ifdef CT_HAVE_AVX512_TABLES
/* max / min of float or double columns without indices on AVX-512: up to
 * four vectors of columns held down all the rows, the running values by
 * vmaxps / vminps (max(v, b) is b where v is NaN or ties b, v where v > b:
 * the select's choice for every v but NaN), the last NaN of each column
 * kept apart (a blend off the values' chain) and taken where there was one:
 * the select's values, at a max's latency a row instead of a compare's and
 * a blend's, the vectors of a chunk in one loop */
#define CT_COLS_MM512(S, T, V, L, SFX, MT)                                         \
__attribute__((target("avx512f"), always_inline)) static inline void ct_cols_mm512_nv_##S( \
        const T *x, int64_t n, int64_t ld, int is_max, T *val, int nv, MT last) {  \
    V a[4], q[4];                                                                 \
    for (int k = 0; k < nv; k++) {                                                \
        MT t = k == nv - 1 ? last : (MT)~0;                                       \
        a[k] = q[k] = _mm512_maskz_loadu_##SFX(t, x + k * L);                     \
    }                                                                             \
    for (int64_t i = 1; i < n; i++) {                                             \
        const T *p = x + i * ld;                                                  \
        for (int k = 0; k < nv; k++) {                                            \
            MT t = k == nv - 1 ? last : (MT)~0;                                   \
            V v = _mm512_maskz_loadu_##SFX(t, p + k * L);                         \
            a[k] = is_max ? _mm512_max_##SFX(v, a[k]) : _mm512_min_##SFX(v, a[k]); \
            q[k] = _mm512_mask_mov_##SFX(q[k], _mm512_cmp_##SFX##_mask(v, v, _CMP_UNORD_Q), v); \
        }                                                                         \
    }                                                                             \
    for (int k = 0; k < nv; k++) {                                                \
        MT t = k == nv - 1 ? last : (MT)~0;                                       \
        V r = _mm512_mask_mov_##SFX(a[k], _mm512_cmp_##SFX##_mask(q[k], q[k], _CMP_UNORD_Q), q[k]); \
        _mm512_mask_storeu_##SFX(val + k * L, t, r);                              \
    }                                                                             \
}                                                                                 \
__attribute__((target("avx512f"))) static void ct_cols_mm512_##S(const T *x, int64_t n, int64_t cb, \
        int64_t ld, int is_max, T *val) {                                          \
    for (int64_t c0 = 0; c0 < cb; c0 += 4 * L) {                                  \
        const int64_t w = cb - c0 < 4 * L ? cb - c0 : 4 * L;                      \
        const int nv = (int)((w + L - 1) / L);                                    \
        const int64_t r = w - (nv - 1) * L;                                       \
        const MT last = (MT)(r == L ? ~0u : (1u << r) - 1);                       \
        /* a constant count of vectors in each call: registers, unrolled */       \
        switch (nv) {                                                             \
        case 4: ct_cols_mm512_nv_##S(x + c0, n, ld, is_max, val + c0, 4, last); break; \
        case 3: ct_cols_mm512_nv_##S(x + c0, n, ld, is_max, val + c0, 3, last); break; \
        case 2: ct_cols_mm512_nv_##S(x + c0, n, ld, is_max, val + c0, 2, last); break; \
        default: ct_cols_mm512_nv_##S(x + c0, n, ld, is_max, val + c0, 1, last); break; \
        }                                                                         \
    }                                                                             \
}
CT_COLS_MM512(f32, float, __m512, 16, ps, __mmask16)
CT_COLS_MM512(f64, double, __m512d, 8, pd, __mmask8)
#define CT_COLS_MM512_ON(S) (CT_COLS_MM512_ON_##S && ct_cpu_avx512f())
#define CT_COLS_MM512_CALL(S, x, n, cb, ld, is_max, val) CT_COLS_MM512_CALL_##S(x, n, cb, ld, is_max, val)
#define CT_COLS_MM512_CALL_f32 ct_cols_mm512_f32
#define CT_COLS_MM512_CALL_f64 ct_cols_mm512_f64
#define CT_COLS_MM512_ON_f32 1
#define CT_COLS_MM512_ON_f64 1
#else
#define CT_COLS_MM512_ON(S) 0
#define CT_COLS_MM512_CALL(S, x, n, cb, ld, is_max, val) ((void)0)
#endif
#define CT_COLS_MM512_ON_u8 0
#define CT_COLS_MM512_ON_i8 0
#define CT_COLS_MM512_ON_i16 0
#define CT_COLS_MM512_ON_i32 0
#define CT_COLS_MM512_ON_i64 0
#define CT_COLS_MM512_CALL_u8(...) ((void)0)
#define CT_COLS_MM512_CALL_i8(...) ((void)0)
#define CT_COLS_MM512_CALL_i16(...) ((void)0)
#define CT_COLS_MM512_CALL_i32(...) ((void)0)
#define CT_COLS_MM512_CALL_i64(...) ((void)0)
#define CT_COLS_MINMAX(S, T)                                                      \
CT_MULTIVERSION static void ct_cols_minmax_blk_##S(const T *x, int64_t n, int64_t cb, \
        int64_t ld, int is_max, T *val, int64_t *idx) {                           \
    if (!idx && CT_COLS_MM512_ON(S)) {                                            \
        CT_COLS_MM512_CALL(S, x, n, cb, ld, is_max, val);                         \
        return;                                                                   \
    }                                                                             \
    if (!idx) {                                                                   \
        int64_t c0 = 0;                                                           \
        for (; c0 + CT_COLS_MM_CH(T) <= cb; c0 += CT_COLS_MM_CH(T))              \
            if (is_max) CT_COLS_MM_CHUNK(T, x, n, ld, val, c0, ((v > b) | (v != v))) \
            else CT_COLS_MM_CHUNK(T, x, n, ld, val, c0, ((v < b) | (v != v)))     \
        for (; c0 + CT_COLS_MM_CH(T) / 4 <= cb; c0 += CT_COLS_MM_CH(T) / 4)      \
            if (is_max) CT_COLS_MM_CHUNK_W(T, x, n, ld, val, c0, ((v > b) | (v != v)), CT_COLS_MM_CH(T) / 4) \
            else CT_COLS_MM_CHUNK_W(T, x, n, ld, val, c0, ((v < b) | (v != v)), CT_COLS_MM_CH(T) / 4) \
        x += c0; val += c0; cb -= c0;                                             \
        if (cb == 0) return;                                                      \
    }                                                                             \
    for (int64_t c = 0; c < cb; c++) val[c] = x[c];                               \
    if (idx) for (int64_t c = 0; c < cb; c++) idx[c] = 0;                         \
    for (int64_t i = 1; i < n; i++) {                                             \
        const T *p = x + i * ld;                                                  \
        if (idx && is_max) {                                                      \
            _Pragma("omp simd")                                                   \
            for (int64_t c = 0; c < cb; c++) {                                    \
                T v = p[c], b = val[c];                                           \
                int take = (v > b) | ((v != v) & (b == b));                       \
                val[c] = take ? v : b; idx[c] = take ? i : idx[c];                \
            }                                                                     \
        } else if (idx) {                                                         \
            _Pragma("omp simd")                                                   \
            for (int64_t c = 0; c < cb; c++) {                                    \
                T v = p[c], b = val[c];                                           \
                int take = (v < b) | ((v != v) & (b == b));                       \
                val[c] = take ? v : b; idx[c] = take ? i : idx[c];                \
            }                                                                     \
        } else if (is_max) {                                                      \
            _Pragma("omp simd")                                                   \
            for (int64_t c = 0; c < cb; c++) {                                    \
                T v = p[c], b = val[c];                                           \
                val[c] = ((v > b) | (v != v)) ? v : b;                            \
            }                                                                     \
        } else {                                                                  \
            _Pragma("omp simd")                                                   \
            for (int64_t c = 0; c < cb; c++) {                                    \
                T v = p[c], b = val[c];                                           \
                val[c] = ((v < b) | (v != v)) ? v : b;                            \
            }                                                                     \
        }                                                                         \
    }                                                                             \
}
CT_COLS_MINMAX(u8, uint8_t)
CT_COLS_MINMAX(i8, int8_t)
CT_COLS_MINMAX(i16, int16_t)
CT_COLS_MINMAX(i32, int32_t)
CT_COLS_MINMAX(i64, int64_t)
CT_COLS_MINMAX(f32, float)
CT_COLS_MINMAX(f64, double)

/* prod: a product per column in the dtype (the rows kernel's accumulation),
 * chunks of 256 bytes (then 128, 64) of the columns held in registers
 * down all the rows, as the max / min chunks (through memory each row's
 * products waited on the row before's stores: a float64 product over 128
 * rows of 32 columns ran at 0.46x PyTorch's speed), the rest a row at a
 * time over them; each column's rows multiplied in order either way */
#define CT_COLS_PROD_CHUNK(T, x, n, ld, out, c0, W)                               \
    CT_COLS_CHUNK_W(T, x, n, ld, out, c0, W, a_[c] *= v;)
#define CT_COLS_PROD(S, T)                                                        \
CT_MULTIVERSION static void ct_cols_prod_blk_##S(const T *x, int64_t n, int64_t cb, \
        int64_t ld, T *out) {                                                     \
    int64_t c0 = 0;                                                               \
    for (; c0 + CT_COLS_MM_CH(T) <= cb; c0 += CT_COLS_MM_CH(T))                  \
        CT_COLS_PROD_CHUNK(T, x, n, ld, out, c0, CT_COLS_MM_CH(T))                \
    for (; c0 + CT_COLS_MM_CH(T) / 2 <= cb; c0 += CT_COLS_MM_CH(T) / 2)          \
        CT_COLS_PROD_CHUNK(T, x, n, ld, out, c0, CT_COLS_MM_CH(T) / 2)            \
    for (; c0 + CT_COLS_MM_CH(T) / 4 <= cb; c0 += CT_COLS_MM_CH(T) / 4)          \
        CT_COLS_PROD_CHUNK(T, x, n, ld, out, c0, CT_COLS_MM_CH(T) / 4)            \
    for (int64_t c = c0; c < cb; c++) out[c] = x[c];                              \
    for (int64_t i = 1; i < n && c0 < cb; i++) {                                  \
        const T *p = x + i * ld;                                                  \
        _Pragma("omp simd")                                                       \
        for (int64_t c = c0; c < cb; c++) out[c] *= p[c];                         \
    }                                                                             \
}
CT_COLS_PROD(i64, int64_t)
CT_COLS_PROD(f32, float)
CT_COLS_PROD(f64, double)

/* nansum: NaNs add 0; float32 accumulates in double. The sums of chunks of
 * 32, 16, 8 columns held in registers down all the rows (as the products),
 * the rest a row at a time through memory; each column's rows in order */
#define CT_COLS_NANSUM_CHUNK(T, x, n, ld, out, c0, W)                             \
    CT_COLS_CHUNK_ACC(double, T, x, n, ld, out, c0, W, 0.0, 0, a_[c] += v == v ? (double)v : 0.0;)
#define CT_COLS_NANSUM(S, T)                                                      \
CT_MULTIVERSION static void ct_cols_nansum_blk_##S(const T *x, int64_t n, int64_t cb, \
        int64_t ld, T *out) {                                                     \
    int64_t c0 = 0;                                                               \
    for (; c0 + 32 <= cb; c0 += 32) CT_COLS_NANSUM_CHUNK(T, x, n, ld, out, c0, 32) \
    for (; c0 + 16 <= cb; c0 += 16) CT_COLS_NANSUM_CHUNK(T, x, n, ld, out, c0, 16) \
    for (; c0 + 8 <= cb; c0 += 8) CT_COLS_NANSUM_CHUNK(T, x, n, ld, out, c0, 8)   \
    if (c0 == cb) return;                                                         \
    double acc[CT_COLS_BLOCK];                                                    \
    for (int64_t c = c0; c < cb; c++) acc[c] = 0;                                 \
    for (int64_t i = 0; i < n; i++) {                                             \
        const T *p = x + i * ld;                                                  \
        _Pragma("omp simd")                                                       \
        for (int64_t c = c0; c < cb; c++) { T v = p[c]; acc[c] += v == v ? (double)v : 0.0; } \
    }                                                                             \
    for (int64_t c = c0; c < cb; c++) out[c] = (T)acc[c];                         \
}
CT_COLS_NANSUM(f32, float)
CT_COLS_NANSUM(f64, double)

/* the 2-norm and logsumexp of columns: per column the column sums' order
 * (partial sums over 512 rows, added into a total) over the squares or over
 * exp(x - shift), the shift being the column's max (0 for +-inf; a NaN
 * column gives NaN) */
#ifdef CT_HAVE_AVX512_TABLES
/* part[c] += e^(x[i ld + c] - mx[c]) over m rows, 16 columns at a time by
 * exp512.h's ct_expf512 (ct_expf's values): each column's sum in its own
 * order, as the loop below, at twice the width GCC gives it */
__attribute__((target("avx512f"))) static void ct_cols_lse512_f32(const float *x, int64_t m, int64_t cb,
                                                                 int64_t ld, const float *mx, float *part)
{
    for (int64_t i = 0; i < m; i++) {
        const float *p = x + i * ld;
        for (int64_t c = 0; c < cb; c += 16) {
            __mmask16 t = cb - c >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (cb - c)) - 1);
            __m512 e = ct_expf512(_mm512_sub_ps(_mm512_maskz_loadu_ps(t, p + c), _mm512_maskz_loadu_ps(t, mx + c)));
            _mm512_mask_storeu_ps(part + c, t, _mm512_add_ps(_mm512_maskz_loadu_ps(t, part + c), e));
        }
    }
}
#define CT_COLS_LSE512_f32 ct_cpu_avx512f()
#else
#define CT_COLS_LSE512_f32 0
#define ct_cols_lse512_f32(x, m, cb, ld, mx, part) ((void)0)
#endif
#define CT_COLS_LSE512_f64 0
#define ct_cols_lse512_f64(x, m, cb, ld, mx, part) ((void)0)
#define CT_COLS_NORM2_LSE(S, T, EXP, LOG, SQRT)                                   \
CT_MULTIVERSION static void ct_cols_norm2_blk_##S(const T *x, int64_t n, int64_t cb, \
        int64_t ld, T *out) {                                                     \
    T total[CT_COLS_BLOCK], part[CT_COLS_BLOCK];                                  \
    for (int64_t c = 0; c < cb; c++) total[c] = 0;                                \
    for (int64_t i0 = 0; i0 < n; i0 += 512) {                                     \
        int64_t m = n - i0 < 512 ? n - i0 : 512;                                  \
        for (int64_t c = 0; c < cb; c++) part[c] = 0;                             \
        for (int64_t i = i0; i < i0 + m; i++) {                                   \
            const T *p = x + i * ld;                                              \
            _Pragma("omp simd")                                                   \
            for (int64_t c = 0; c < cb; c++) part[c] += p[c] * p[c];              \
        }                                                                         \
        for (int64_t c = 0; c < cb; c++) total[c] += part[c];                     \
    }                                                                             \
    for (int64_t c = 0; c < cb; c++) out[c] = SQRT(total[c]);                     \
}                                                                                 \
CT_MULTIVERSION static void ct_cols_lse_blk_##S(const T *x, int64_t n, int64_t cb, \
        int64_t ld, T *out) {                                                     \
    T mx[CT_COLS_BLOCK], total[CT_COLS_BLOCK], part[CT_COLS_BLOCK];               \
    for (int64_t c = 0; c < cb; c++) mx[c] = x[c];                                \
    for (int64_t i = 1; i < n; i++) {                                             \
        const T *p = x + i * ld;                                                  \
        _Pragma("omp simd")                                                       \
        for (int64_t c = 0; c < cb; c++) {                                        \
            T v = p[c], b = mx[c];                                                \
            mx[c] = ((v > b) | (v != v)) ? v : b;                                 \
        }                                                                         \
    }                                                                             \
    for (int64_t c = 0; c < cb; c++) {                                            \
        T b = mx[c];                                                              \
        mx[c] = (b == (T)INFINITY || b == -(T)INFINITY) ? (T)0 : b;               \
        total[c] = 0;                                                             \
    }                                                                             \
    for (int64_t i0 = 0; i0 < n; i0 += 512) {                                     \
        int64_t m = n - i0 < 512 ? n - i0 : 512;                                  \
        for (int64_t c = 0; c < cb; c++) part[c] = 0;                             \
        if (CT_COLS_LSE512_##S) ct_cols_lse512_##S(x + i0 * ld, m, cb, ld, mx, part); \
        else                                                                      \
        for (int64_t i = i0; i < i0 + m; i++) {                                   \
            const T *p = x + i * ld;                                              \
            _Pragma("omp simd")                                                   \
            for (int64_t c = 0; c < cb; c++) part[c] += EXP(p[c] - mx[c]);        \
        }                                                                         \
        for (int64_t c = 0; c < cb; c++) total[c] += part[c];                     \
    }                                                                             \
    for (int64_t c = 0; c < cb; c++)                                              \
        out[c] = mx[c] != mx[c] ? mx[c] : LOG(total[c]) + mx[c];                  \
}
CT_COLS_NORM2_LSE(f32, float, ct_expf, ct_logf, sqrtf)
CT_COLS_NORM2_LSE(f64, double, ct_exp_d1, ct_log_d1, sqrt)

/* max / min of half or bfloat16 columns (cb <= CT_COLS_BLOCK): blocks of 16
 * rows x 256 columns widened to float and reduced by the float loop, each
 * block's values (and rows) merged into the running ones by the loop's own
 * rule, so the first of equal values (the first NaN) is kept as there */
#define CT_W16_ROWS 16
#define CT_W16_COLS 256
static void ct_cols_minmax_blk_w16(const uint16_t *x, int64_t n, int64_t cb, int64_t ld, int is_max,
                                   int half, uint16_t *val, int64_t *idx)
{
    float buf[CT_W16_ROWS * CT_W16_COLS], run[CT_W16_COLS], part[CT_W16_COLS];
    int64_t pidx[CT_W16_COLS];
    for (int64_t c0 = 0; c0 < cb; c0 += CT_W16_COLS) {
        const int64_t w = cb - c0 < CT_W16_COLS ? cb - c0 : CT_W16_COLS;
        int64_t *ri = idx ? idx + c0 : NULL;
        for (int64_t i0 = 0; i0 < n; i0 += CT_W16_ROWS) {
            const int64_t m = n - i0 < CT_W16_ROWS ? n - i0 : CT_W16_ROWS;
            for (int64_t r = 0; r < m; r++) ct_widen(x + (i0 + r) * ld + c0, buf + r * w, w, half);
            if (i0 == 0) {
                ct_cols_minmax_blk_f32(buf, m, w, w, is_max, run, ri);
                continue;
            }
            ct_cols_minmax_blk_f32(buf, m, w, w, is_max, part, ri ? pidx : NULL);
            for (int64_t c = 0; c < w; c++) {
                const float v = part[c], b = run[c];
                const int better = is_max ? v > b : v < b;
                const int take = ri ? better | ((v != v) & (b == b)) : better | (v != v);
                if (take) {
                    run[c] = v;
                    if (ri) ri[c] = pidx[c] + i0;
                }
            }
        }
        ct_narrow(run, val + c0, w, half);
    }
}

/* columns c0 .. c0 + cb of one slice (x, out, idx at the slice's column c0) */
static void ct_cols_block(int op, int dtype, const char *xs, int64_t n, int64_t cb, int64_t ld,
                          char *os, int64_t *is)
{
    if (op == CT_RCOLS_MAX || op == CT_RCOLS_MIN) {
        int mx = op == CT_RCOLS_MAX;
        switch (dtype) {
        case CT_BOOL: case CT_UINT8:
            ct_cols_minmax_blk_u8((const uint8_t *)xs, n, cb, ld, mx, (uint8_t *)os, is); break;
        case CT_INT8: ct_cols_minmax_blk_i8((const int8_t *)xs, n, cb, ld, mx, (int8_t *)os, is); break;
        case CT_INT16: ct_cols_minmax_blk_i16((const int16_t *)xs, n, cb, ld, mx, (int16_t *)os, is); break;
        case CT_FLOAT16: case CT_BFLOAT16:
            ct_cols_minmax_blk_w16((const uint16_t *)xs, n, cb, ld, mx, dtype == CT_FLOAT16,
                                   (uint16_t *)os, is);
            break;
        case CT_INT32: ct_cols_minmax_blk_i32((const int32_t *)xs, n, cb, ld, mx, (int32_t *)os, is); break;
        case CT_INT64: ct_cols_minmax_blk_i64((const int64_t *)xs, n, cb, ld, mx, (int64_t *)os, is); break;
        case CT_FLOAT32: ct_cols_minmax_blk_f32((const float *)xs, n, cb, ld, mx, (float *)os, is); break;
        default: ct_cols_minmax_blk_f64((const double *)xs, n, cb, ld, mx, (double *)os, is); break;
        }
    } else if (op == CT_RCOLS_PROD) {
        if (dtype == CT_INT64) ct_cols_prod_blk_i64((const int64_t *)xs, n, cb, ld, (int64_t *)os);
        else if (dtype == CT_FLOAT32) ct_cols_prod_blk_f32((const float *)xs, n, cb, ld, (float *)os);
        else ct_cols_prod_blk_f64((const double *)xs, n, cb, ld, (double *)os);
    } else if (op == CT_RCOLS_NANSUM) {
        if (dtype == CT_FLOAT32) ct_cols_nansum_blk_f32((const float *)xs, n, cb, ld, (float *)os);
        else ct_cols_nansum_blk_f64((const double *)xs, n, cb, ld, (double *)os);
    } else if (op == CT_RCOLS_NORM2) {
        if (dtype == CT_FLOAT32) ct_cols_norm2_blk_f32((const float *)xs, n, cb, ld, (float *)os);
        else ct_cols_norm2_blk_f64((const double *)xs, n, cb, ld, (double *)os);
    } else {
        if (dtype == CT_FLOAT32) ct_cols_lse_blk_f32((const float *)xs, n, cb, ld, (float *)os);
        else ct_cols_lse_blk_f64((const double *)xs, n, cb, ld, (double *)os);
    }
}

int ct_reduce_cols(int op, int dtype, const void *x, int64_t outer, int64_t n, int64_t cols,
                   int64_t ld, void *out, int64_t *idx) {
    int es;
    switch (dtype) {
    case CT_BOOL: case CT_UINT8: case CT_INT8: es = 1; break;
    case CT_INT16: es = 2; break;
    case CT_FLOAT16: case CT_BFLOAT16:
        if (op != CT_RCOLS_MAX && op != CT_RCOLS_MIN) return -1;
        es = 2;
        break;
    case CT_INT32: case CT_FLOAT32: es = 4; break;
    case CT_INT64: case CT_FLOAT64: es = 8; break;
    default: return -1;
    }
    if (op == CT_RCOLS_PROD && dtype != CT_INT64 && dtype != CT_FLOAT32 && dtype != CT_FLOAT64)
        return -1;
    if ((op == CT_RCOLS_NANSUM || op == CT_RCOLS_NORM2 || op == CT_RCOLS_LOGSUMEXP)
        && dtype != CT_FLOAT32 && dtype != CT_FLOAT64) return -1;
    if (op < CT_RCOLS_MAX || op > CT_RCOLS_LOGSUMEXP) return -1;
    if (outer <= 0 || n <= 0 || cols <= 0) return 0;
    int nt = ct_get_num_threads();
    int par = nt > 1 && outer * n * cols >= CT_PAR_MIN;
    /* blocks of CT_COLS_BLOCK columns of each slice; narrower ones (whole
     * cache lines of them) where that leaves a thread without a block: each
     * column's result is its own, so the split does not change it */
    int64_t bw = CT_COLS_BLOCK, line = 64 / es;
    if (par && outer * cols < (int64_t)nt * CT_COLS_BLOCK && outer < nt) {
        int64_t per = (nt + outer - 1) / outer;           /* blocks a slice */
        bw = ((cols + per - 1) / per + line - 1) / line * line;
        bw = bw < CT_COLS_BLOCK ? bw : CT_COLS_BLOCK;
    }
    const int64_t nb = (cols + bw - 1) / bw, units = outer * nb;
    CT_PARALLEL_IF(par && units > 1, "omp parallel for num_threads(nt) schedule(static)",
    for (int64_t u = 0; u < units; u++) {
        const int64_t o = u / nb, c0 = u % nb * bw, cb = cols - c0 < bw ? cols - c0 : bw;
        ct_cols_block(op, dtype, (const char *)x + (o * n * ld + c0) * es, n, cb, ld,
                      (char *)out + (o * cols + c0) * es, idx ? idx + o * cols + c0 : NULL);
    });
    return 0;
}

/* ---- equal ----------------------------------------------------------------- */

/* nonzero where some element of a block differs: the whole block compared
 * without a branch per element (vector code) */
#define CT_EQ_BLOCK_FN(S, T)                                                       \
static int ct_neq_block_##S(const T *a, const T *b, int64_t n)                     \
{                                                                                  \
    int d = 0;                                                                     \
    for (int64_t i = 0; i < n; i++)                                                \
        d |= a[i] != b[i];                                                         \
    return d;                                                                      \
}
CT_EQ_BLOCK_FN(f32, float)
CT_EQ_BLOCK_FN(f64, double)

/* float16 / bfloat16 by their bits (inf: the bits of +inf): equal and not
 * NaN, or both zeros */
static int ct_neq_block_half(const uint16_t *a, const uint16_t *b, int64_t n, uint16_t inf)
{
    int d = 0;
    for (int64_t i = 0; i < n; i++)
        d |= !((a[i] == b[i] && (a[i] & 0x7FFF) <= inf) || ((a[i] | b[i]) & 0x7FFF) == 0);
    return d;
}

int ct_equal_dense(int dtype, const void *a, const void *b, int64_t n)
{
    int es;
    switch (dtype) {
    case CT_FLOAT32: case CT_COMPLEX64: es = 4; break;     /* complex: both parts */
    case CT_FLOAT64: case CT_COMPLEX128: es = 8; break;
    case CT_FLOAT16: case CT_BFLOAT16: es = 2; break;
    case CT_BOOL: case CT_UINT8: case CT_INT8: es = 1; break;
    case CT_INT16: es = 2; break;
    case CT_INT32: es = 4; break;
    case CT_INT64: es = 8; break;
    default: return -1;
    }
    if (dtype == CT_COMPLEX64 || dtype == CT_COMPLEX128)
        n *= 2;
    /* blocks of 16 KiB of each operand; threads where the operands are
     * large enough to pay for a region (the scan is bound by memory) */
    const int64_t blk = 16384 / es, nb = (n + blk - 1) / blk;
    const int nt = n * es >= ((int64_t)1 << 20) ? ct_get_num_threads() : 1;
    volatile int differ = 0;
    CT_PARALLEL_IF(nt > 1, "omp parallel for num_threads(nt) schedule(static)",
    for (int64_t k = 0; k < nb; k++) {
        if (differ)
            continue;
        const int64_t i0 = k * blk, m = n - i0 < blk ? n - i0 : blk;
        const char *pa = (const char *)a + i0 * es, *pb = (const char *)b + i0 * es;
        int d;
        switch (dtype) {
        case CT_FLOAT32: case CT_COMPLEX64:
            d = ct_neq_block_f32((const float *)pa, (const float *)pb, m); break;
        case CT_FLOAT64: case CT_COMPLEX128:
            d = ct_neq_block_f64((const double *)pa, (const double *)pb, m); break;
        case CT_FLOAT16: case CT_BFLOAT16:
            d = ct_neq_block_half((const uint16_t *)pa, (const uint16_t *)pb, m,
                                  dtype == CT_FLOAT16 ? 0x7C00 : 0x7F80);
            break;
        default:
            d = memcmp(pa, pb, (size_t)(m * es)) != 0;
        }
        if (d)
            differ = 1;
    });
    return !differ;
}

/* ---- count_nonzero ---------------------------------------------------------- */

#define CT_NZ_BLOCK(S, T, TEST)                                                    \
CT_MULTIVERSION static int64_t ct_nz_block_##S(const T *restrict x, int64_t m)    \
{                                                                                  \
    int64_t c = 0;                                                                 \
    _Pragma("omp simd reduction(+:c)")                                             \
    for (int64_t i = 0; i < m; i++) c += TEST(x[i]);                               \
    return c;                                                                      \
}
#define CT_NZ_PLAIN(v) ((v) != 0)
#define CT_NZ_HALF(v) (((v) & 0x7FFF) != 0)
CT_NZ_BLOCK(u8, uint8_t, CT_NZ_PLAIN)
CT_NZ_BLOCK(u16, uint16_t, CT_NZ_PLAIN)
CT_NZ_BLOCK(h16, uint16_t, CT_NZ_HALF)
CT_NZ_BLOCK(u32, uint32_t, CT_NZ_PLAIN)
CT_NZ_BLOCK(u64, uint64_t, CT_NZ_PLAIN)
CT_NZ_BLOCK(f32, float, CT_NZ_PLAIN)
CT_NZ_BLOCK(f64, double, CT_NZ_PLAIN)
/* complex: (re, im) pairs, either part nonzero */
#define CT_NZ_PAIRS(S, T)                                                          \
CT_MULTIVERSION static int64_t ct_nz_pairs_##S(const T *restrict x, int64_t m)    \
{                                                                                  \
    int64_t c = 0;                                                                 \
    _Pragma("omp simd reduction(+:c)")                                             \
    for (int64_t i = 0; i < m; i++) c += (x[2 * i] != 0) | (x[2 * i + 1] != 0);    \
    return c;                                                                      \
}
CT_NZ_PAIRS(f32, float)
CT_NZ_PAIRS(f64, double)

int64_t ct_count_nonzero_dense(int dtype, const void *x, int64_t n)
{
    int es;
    switch (dtype) {
    case CT_BOOL: case CT_UINT8: case CT_INT8: es = 1; break;
    case CT_INT16: case CT_FLOAT16: case CT_BFLOAT16: es = 2; break;
    case CT_INT32: case CT_FLOAT32: es = 4; break;
    case CT_INT64: case CT_FLOAT64: case CT_COMPLEX64: es = 8; break;
    case CT_COMPLEX128: es = 16; break;
    default: return -1;
    }
    /* blocks of 16 KiB; threads from 1 MiB on (the scan is bound by memory) */
    const int64_t blk = 16384 / es, nb = (n + blk - 1) / blk;
    const int nt = n * es >= ((int64_t)1 << 20) ? ct_get_num_threads() : 1;
    int64_t total = 0;
    CT_PARALLEL_IF(nt > 1, "omp parallel for num_threads(nt) schedule(static) reduction(+:total)",
    for (int64_t k = 0; k < nb; k++) {
        const int64_t i0 = k * blk, m = n - i0 < blk ? n - i0 : blk;
        const char *p = (const char *)x + i0 * es;
        switch (dtype) {
        case CT_FLOAT32: total += ct_nz_block_f32((const float *)p, m); break;
        case CT_FLOAT64: total += ct_nz_block_f64((const double *)p, m); break;
        case CT_COMPLEX64: total += ct_nz_pairs_f32((const float *)p, m); break;
        case CT_COMPLEX128: total += ct_nz_pairs_f64((const double *)p, m); break;
        case CT_FLOAT16: case CT_BFLOAT16: total += ct_nz_block_h16((const uint16_t *)p, m); break;
        case CT_INT16: total += ct_nz_block_u16((const uint16_t *)p, m); break;
        case CT_INT32: total += ct_nz_block_u32((const uint32_t *)p, m); break;
        case CT_INT64: total += ct_nz_block_u64((const uint64_t *)p, m); break;
        default: total += ct_nz_block_u8((const uint8_t *)p, m);
        }
    });
    return total;
}

/* ---- sums of runs with a small step --------------------------------------- */

/* sum of x[0], x[k], ..., x[(len - 1) k] for k dividing 64: the span from
 * the first to the last read whole, by 64 lanes that each take the elements
 * at one position mod 64 (a vector loop over the span, the memory traffic
 * of the strided reads), and the lanes at positions that are multiples of k
 * summed (the others, the elements between, never reach them). The lanes
 * restart every CT_STEP_CH elements of the span, their totals added in
 * double. */
#define CT_STEP_CH 4096
#define CT_SUM_STEP(S, T)                                                          \
CT_MULTIVERSION static double ct_sum_step_##S(const T *x, int64_t len, int64_t k)  \
{                                                                                  \
    const int64_t span = (len - 1) * k + 1;                                        \
    double tot = 0.0;                                                              \
    for (int64_t c0 = 0; c0 < span; c0 += CT_STEP_CH) {                            \
        const int64_t ce = span - c0 < CT_STEP_CH ? span : c0 + CT_STEP_CH;        \
        T acc[64] = {0};                                                           \
        int64_t i = c0;                                                            \
        for (; i + 64 <= ce; i += 64)                                              \
            for (int j = 0; j < 64; j++)                                           \
                acc[j] += x[i + j];                                                \
        for (; i < ce; i += 1)                                                     \
            if (i % k == 0)                                                        \
                acc[i & 63] += x[i];                                               \
        for (int j = 0; j < 64; j += (int)k)                                       \
            tot += (double)acc[j];                                                 \
    }                                                                              \
    return tot;                                                                    \
}
CT_SUM_STEP(f32, float)
CT_SUM_STEP(f64, double)

int ct_sum_step(int dtype, int nd, const int64_t *shape, const int64_t *stride,
                const void *base, int nk, void *out)
{
    if ((dtype != CT_FLOAT32 && dtype != CT_FLOAT64) || nd < 1 || nk >= nd)
        return -1;
    const int64_t k = stride[nd - 1], len = shape[nd - 1];
    if (k < 1 || k > 64 || 64 % k != 0 || len < 1)
        return -1;
    int64_t nruns = 1, rows = 1;
    for (int d = 0; d < nd - 1; d++)
        nruns *= shape[d];
    for (int d = 0; d < nk; d++)
        rows *= shape[d];
    if (nruns == 0 || rows == 0)
        return 0;
    double *part = (double *)malloc((size_t)nruns * sizeof(double));
    if (!part)
        return -1;
    const int es = dtype == CT_FLOAT32 ? 4 : 8;
    const int nt = nruns > 1 && nruns * len * k >= 32768 ? ct_get_num_threads() : 1;
    CT_PARALLEL_IF(nt > 1, "omp parallel for num_threads(nt) schedule(static)",
    for (int64_t q = 0; q < nruns; q++) {
        /* the run's first element: q's index over the outer dims */
        int64_t off = 0, r = q;
        for (int d = nd - 2; d >= 0; d--) {
            off += (r % shape[d]) * stride[d];
            r /= shape[d];
        }
        const char *x = (const char *)base + off * es;
        part[q] = es == 4 ? ct_sum_step_f32((const float *)x, len, k)
                          : ct_sum_step_f64((const double *)x, len, k);
    });
    const int64_t per = nruns / rows;
    for (int64_t r = 0; r < rows; r++) {
        double s = 0.0;
        for (int64_t q = r * per; q < (r + 1) * per; q++)
            s += part[q];
        if (es == 4)
            ((float *)out)[r] = (float)s;
        else
            ((double *)out)[r] = s;
    }
    free(part);
    return 0;
}
