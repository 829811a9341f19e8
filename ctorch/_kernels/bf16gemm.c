/* bfloat16 matrix products on the CPU's bfloat16 dot-product instructions:
 * Intel AMX's tiles (TDPBF16PS) where the CPU and the OS allow them, else
 * AVX512-BF16's VDPBF16PS on vector registers (AMD Zen 4 and later, Intel
 * Cooper Lake).
 *
 * C[b] (m x n, dense rows, bfloat16) = A[b] (m x k) B[b] (k x n) for b < nb,
 * A[b](i, p) = A[offa[b] + i * ars + p * acs] and B[b](p, j) =
 * B[offb[b] + p * brs + j * bcs] (element strides, any of them, 0 included).
 * The products of bfloat16 pairs are exact in float32 and add up in float32
 * accumulators; each element of C is rounded to bfloat16 once, at the end
 * (nearest even), the semantics of the float32 route (widen, float32
 * product, round) up to the order of the additions. Both instructions treat
 * denormal inputs as zero and flush denormal sums to zero.
 *
 * A tile register holds up to 16 rows of 64 bytes. TDPBF16PS adds to a
 * 16 x 16 float32 tile C the product of a 16 x 32 bfloat16 tile of A (16
 * rows, 32 k) and a 32 x 16 tile of B stored as 16 rows of k pairs (row q
 * holds B(2q, j), B(2q + 1, j) for j = 0..15: the "VNNI" layout). So both
 * operands are first copied ("packed") into 1 KB blocks that the tile loads
 * read with a 64-byte stride: A in blocks of 16 rows x 32 k (row-major),
 * B in blocks of 32 k x 16 columns (pairs of k interleaved), zero past the
 * ends of m, n and k. Packing does the transposes: rows of A or B that are
 * contiguous in k are copied or interleaved with one permute, operands
 * stored the other way round go through a 16 x 16 transpose of 32-bit
 * elements (pairs of k), and any other strides element by element.
 *
 * The micro-kernel computes a 32 x 32 block of C in four accumulator tiles
 * (tmm0-3) from two tiles of A (tmm4-5) and two of B (tmm6-7) per 32 k,
 * over the whole of k, then stores the accumulators, rounds them and writes
 * the block's part of C. The blocks are taken column pair by column pair
 * over a band of rows whose packed A stays in L2, and spread evenly over
 * the threads, which first pack both operands together (one barrier).
 *
 * Without the tiles the same packed blocks feed VDPBF16PS: a row of a B
 * block is one vector (16 columns' pairs of k), a pair of k of a row of A
 * one 32-bit broadcast, and the 32 x 32 block of C is computed 8 rows at a
 * time in 16 vector accumulators (8 rows x two column blocks).
 *
 * AMX needs the CPU's AMX-TILE and AMX-BF16 (with AVX512-BF16 for the
 * rounding) and the kernel's permission for the tile data (Linux 5.16+,
 * arch_prctl ARCH_REQ_XCOMP_PERM, asked for once); the vector route needs
 * AVX512-BF16 (with AVX512BW, VL). The environment variable CTORCH_NO_AMX
 * turns the tiles off (the vector route runs where the CPU has it) and
 * CTORCH_BF16_FLOAT32 both; where neither route runs, ct_bf16_gemm returns
 * -1 and ct_half_gemm (matmul.c) takes its float32 route.
 */
#include "matmul.h"
#include "strided.h"
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

#if defined(CT_OWN_GEMM) && defined(__linux__)
#include <immintrin.h>
#include <cpuid.h>
#include <unistd.h>
#include <sys/syscall.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define CT_BFD_TARGET "avx512f,avx512bw,avx512vl,avx512bf16"
#define CT_BF_TARGET CT_BFD_TARGET ",amx-tile,amx-bf16"
#define CT_BF_BLOCK 512         /* bfloat16 elements of one packed block (1 KB) */
#define CT_BF_L2_BAND (1 << 20) /* bytes of packed A a band of rows may take */
#define CT_BF_PAR_FLOPS 2000000.0
#define CT_BF_TINY 1024         /* m n k of the products a batch leaves to float32 */
#define CT_BFD_KC 32            /* k blocks a pass of the vector kernel (32 KB of a column block's B) */

/* 2: the AMX tiles, 1: AVX512-BF16's vector instruction, 0: neither */
static int ct_bf_route(void)
{
    static int route = -1;
    if (route < 0) {
        __builtin_cpu_init();
        int vec = getenv("CTORCH_BF16_FLOAT32") == NULL && __builtin_cpu_supports("avx512bf16")
                  && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
        unsigned a, b, c, d;
        int has = vec && getenv("CTORCH_NO_AMX") == NULL && __get_cpuid_count(7, 0, &a, &b, &c, &d)
                  && (d >> 24 & 1) && (d >> 22 & 1);      /* AMX-TILE, AMX-BF16 */
        /* the tile data state: enabled by the OS (XCR0 bits 17, 18) and granted */
        if (has) {
            unsigned lo, hi;
            __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
            has = (lo & 0x60000u) == 0x60000u
                  && syscall(SYS_arch_prctl, 0x1023 /* ARCH_REQ_XCOMP_PERM */, 18) == 0;
        }
        route = has ? 2 : vec;
    }
    return route;
}

/* the tile configuration: palette 1, every tile 16 rows of 64 bytes */
typedef struct {
    uint8_t palette, start_row, reserved[14];
    uint16_t colsb[16];
    uint8_t rows[16];
} ct_bf_tilecfg;

/* 16 words of each of two rows, interleaved: word j of p and of q become
 * the 32-bit element j (p's in its low half); rows past the end are zero */
__attribute__((target(CT_BFD_TARGET), always_inline)) static inline __m512i
ct_bf_pair(const uint16_t *p, const uint16_t *q, __mmask16 mask)
{
    const __m512i idx = _mm512_set_epi16(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10,
                                         25, 9, 24, 8, 23, 7, 22, 6, 21, 5, 20, 4, 19, 3,
                                         18, 2, 17, 1, 16, 0);
    __m256i x = p ? _mm256_maskz_loadu_epi16(mask, p) : _mm256_setzero_si256();
    __m256i y = q ? _mm256_maskz_loadu_epi16(mask, q) : _mm256_setzero_si256();
    return _mm512_permutexvar_epi16(idx, _mm512_inserti64x4(_mm512_castsi256_si512(x), y, 1));
}

/* r[c] := column c of the 16 x 16 matrix of 32-bit elements whose rows are r */
__attribute__((target(CT_BFD_TARGET), always_inline)) static inline void
ct_bf_transpose16(__m512i r[16])
{
    __m512i t[16];
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_epi32(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_epi32(r[2 * i], r[2 * i + 1]);
    }
    /* s[4i + q], 128-bit lane l: column 4l + q of rows 4i .. 4i + 3 */
    for (int i = 0; i < 4; i++) {
        r[4 * i] = _mm512_unpacklo_epi64(t[4 * i], t[4 * i + 2]);
        r[4 * i + 1] = _mm512_unpackhi_epi64(t[4 * i], t[4 * i + 2]);
        r[4 * i + 2] = _mm512_unpacklo_epi64(t[4 * i + 1], t[4 * i + 3]);
        r[4 * i + 3] = _mm512_unpackhi_epi64(t[4 * i + 1], t[4 * i + 3]);
    }
    for (int q = 0; q < 4; q++) {
        __m512i a = _mm512_shuffle_i32x4(r[q], r[4 + q], 0x44);
        __m512i b = _mm512_shuffle_i32x4(r[q], r[4 + q], 0xee);
        __m512i c = _mm512_shuffle_i32x4(r[8 + q], r[12 + q], 0x44);
        __m512i d = _mm512_shuffle_i32x4(r[8 + q], r[12 + q], 0xee);
        t[q] = _mm512_shuffle_i32x4(a, c, 0x88);
        t[4 + q] = _mm512_shuffle_i32x4(a, c, 0xdd);
        t[8 + q] = _mm512_shuffle_i32x4(b, d, 0x88);
        t[12 + q] = _mm512_shuffle_i32x4(b, d, 0xdd);
    }
    for (int i = 0; i < 16; i++) r[i] = t[i];
}

static inline __mmask32 ct_bf_mask(int64_t valid)
{
    return valid >= 32 ? 0xffffffffu : valid <= 0 ? 0 : (__mmask32)((1u << valid) - 1);
}

/* One block of A: rows i0 .. i0 + 15, k p0 .. p0 + 31, row-major into dst */
__attribute__((target(CT_BFD_TARGET))) static void
ct_bf_pack_a(uint16_t *dst, const uint16_t *A, int64_t m, int64_t k, int64_t ars, int64_t acs,
             int64_t i0, int64_t p0)
{
    int64_t rows = m - i0 < 16 ? m - i0 : 16, ks = k - p0 < 32 ? k - p0 : 32;
    if (acs == 1) {
        __mmask32 km = ct_bf_mask(ks);
        int64_t r = 0;
        for (; r < rows; r++)
            _mm512_store_si512(dst + r * 32, _mm512_maskz_loadu_epi16(km, A + (i0 + r) * ars + p0));
        for (; r < 16; r++)
            _mm512_store_si512(dst + r * 32, _mm512_setzero_si512());
    } else if (ars == 1) {
        /* columns of A contiguous in i: interleave pairs of them, transpose */
        __m512i v[16];
        __mmask16 im = (__mmask16)ct_bf_mask(rows);
        for (int q = 0; q < 16; q++) {
            int64_t p = p0 + 2 * q;
            v[q] = ct_bf_pair(p < k ? A + p * acs + i0 : NULL, p + 1 < k ? A + (p + 1) * acs + i0 : NULL, im);
        }
        ct_bf_transpose16(v);
        for (int r = 0; r < 16; r++) _mm512_store_si512(dst + r * 32, v[r]);
    } else {
        for (int r = 0; r < 16; r++)
            for (int c = 0; c < 32; c++)
                dst[r * 32 + c] = r < rows && c < ks ? A[(i0 + r) * ars + (p0 + c) * acs] : 0;
    }
}

/* One block of B: k p0 .. p0 + 31, columns j0 .. j0 + 15, pairs of k
 * interleaved (row q: B(p0 + 2q, j), B(p0 + 2q + 1, j) for each j) */
__attribute__((target(CT_BFD_TARGET))) static void
ct_bf_pack_b(uint16_t *dst, const uint16_t *B, int64_t k, int64_t n, int64_t brs, int64_t bcs,
             int64_t p0, int64_t j0)
{
    int64_t cols = n - j0 < 16 ? n - j0 : 16, ks = k - p0 < 32 ? k - p0 : 32;
    if (bcs == 1) {
        __mmask16 jm = (__mmask16)ct_bf_mask(cols);
        for (int q = 0; q < 16; q++) {
            int64_t p = p0 + 2 * q;
            _mm512_store_si512(dst + q * 32, ct_bf_pair(p < k ? B + p * brs + j0 : NULL,
                                                        p + 1 < k ? B + (p + 1) * brs + j0 : NULL, jm));
        }
    } else if (brs == 1) {
        /* columns of B contiguous in k: each holds its 16 pairs; transpose */
        __m512i v[16];
        __mmask32 km = ct_bf_mask(ks);
        for (int c = 0; c < 16; c++)
            v[c] = c < cols ? _mm512_maskz_loadu_epi16(km, B + (j0 + c) * bcs + p0) : _mm512_setzero_si512();
        ct_bf_transpose16(v);
        for (int q = 0; q < 16; q++) _mm512_store_si512(dst + q * 32, v[q]);
    } else {
        for (int q = 0; q < 16; q++)
            for (int c = 0; c < 16; c++)
                for (int s = 0; s < 2; s++) {
                    int64_t p = 2 * q + s;
                    dst[q * 32 + c * 2 + s] = c < cols && p < ks ? B[(p0 + p) * brs + (j0 + c) * bcs] : 0;
                }
    }
}

/* C (rows x cols of it, row stride ldc) := the 32 x 32 floats of acc (row
 * stride 32), rounded to bfloat16. TDPBF16PS and VDPBF16PS flush denormal
 * results to zero, so vcvtneps2bf16 (which would flush them too) rounds
 * like halfconv.h's ct_f2bf. */
__attribute__((target(CT_BFD_TARGET))) static void
ct_bf_write(uint16_t *C, int64_t ldc, const float *acc, int rows, int cols)
{
    __mmask32 cm = ct_bf_mask(cols);
    for (int r = 0; r < rows; r++) {
        __m256i lo = (__m256i)_mm512_cvtneps_pbh(_mm512_load_ps(acc + r * 32));
        __m256i hi = (__m256i)_mm512_cvtneps_pbh(_mm512_load_ps(acc + r * 32 + 16));
        _mm512_mask_storeu_epi16(C + r * ldc, cm,
                                 _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1));
    }
}

/* The 32 x 32 block from the packed panels of two row blocks (a0, a1) and
 * two column blocks (b0, b1), kb blocks of k each; TWO_R / TWO_C 0: the
 * second of them is past the end of the matrix and is not computed. */
#define CT_BF_KERNEL(NAME, TWO_R, TWO_C)                                           \
__attribute__((target(CT_BF_TARGET))) static void                                 \
NAME(const uint16_t *a0, const uint16_t *a1, const uint16_t *b0, const uint16_t *b1, \
     int64_t kb, float *acc)                                                        \
{                                                                                   \
    _tile_zero(0);                                                                  \
    if (TWO_C) _tile_zero(1);                                                       \
    if (TWO_R) _tile_zero(2);                                                       \
    if (TWO_R && TWO_C) _tile_zero(3);                                              \
    for (int64_t q = 0; q < kb; q++) {                                              \
        _tile_loadd(4, a0 + q * CT_BF_BLOCK, 64);                                   \
        _tile_loadd(6, b0 + q * CT_BF_BLOCK, 64);                                   \
        if (TWO_C) _tile_loadd(7, b1 + q * CT_BF_BLOCK, 64);                        \
        _tile_dpbf16ps(0, 4, 6);                                                    \
        if (TWO_C) _tile_dpbf16ps(1, 4, 7);                                         \
        if (TWO_R) {                                                                \
            _tile_loadd(5, a1 + q * CT_BF_BLOCK, 64);                               \
            _tile_dpbf16ps(2, 5, 6);                                                \
            if (TWO_C) _tile_dpbf16ps(3, 5, 7);                                     \
        }                                                                           \
    }                                                                               \
    _tile_stored(0, acc, 128);                                                      \
    if (TWO_C) _tile_stored(1, acc + 16, 128);                                      \
    if (TWO_R) _tile_stored(2, acc + 16 * 32, 128);                                 \
    if (TWO_R && TWO_C) _tile_stored(3, acc + 16 * 32 + 16, 128);                   \
}
CT_BF_KERNEL(ct_bf_kernel_11, 0, 0)
CT_BF_KERNEL(ct_bf_kernel_12, 0, 1)
CT_BF_KERNEL(ct_bf_kernel_21, 1, 0)
CT_BF_KERNEL(ct_bf_kernel_22, 1, 1)

/* 8 rows of a row block's packed panel (a: its first of them, kb blocks of
 * k 512 elements apart) times one or (TWO_C) two column blocks' panels:
 * acc rows 0..7, columns 0..15 (and 16..31), row stride 32. A row of B's
 * block is 16 columns' pairs of k; each pair of k of a row of A is
 * broadcast from memory. */
typedef int32_t ct_bf_i32 __attribute__((may_alias));
#define CT_BFD_KERNEL(NAME, TWO_C)                                                  \
__attribute__((target(CT_BFD_TARGET))) static void                                \
NAME(const uint16_t *a, const uint16_t *b0, const uint16_t *b1, int64_t kb, float *acc, \
     int add)                                                                       \
{                                                                                   \
    __m512 c0[8], c1[8];                                                            \
    for (int r = 0; r < 8; r++) {                                                   \
        c0[r] = add ? _mm512_load_ps(acc + 32 * r) : _mm512_setzero_ps();          \
        c1[r] = add && TWO_C ? _mm512_load_ps(acc + 32 * r + 16) : _mm512_setzero_ps(); \
    }                                                                               \
    for (int64_t q = 0; q < kb; q++) {                                              \
        const uint16_t *aq = a + q * CT_BF_BLOCK, *bq0 = b0 + q * CT_BF_BLOCK;       \
        const uint16_t *bq1 = b1 + q * CT_BF_BLOCK;                                 \
        for (int p = 0; p < 16; p++) {                                              \
            __m512bh v0 = (__m512bh)_mm512_load_si512(bq0 + 32 * p), v1;            \
            if (TWO_C) v1 = (__m512bh)_mm512_load_si512(bq1 + 32 * p);              \
            for (int r = 0; r < 8; r++) {                                           \
                __m512bh s = (__m512bh)_mm512_set1_epi32(*(const ct_bf_i32 *)(aq + 32 * r + 2 * p)); \
                c0[r] = _mm512_dpbf16_ps(c0[r], s, v0);                             \
                if (TWO_C) c1[r] = _mm512_dpbf16_ps(c1[r], s, v1);                  \
            }                                                                       \
        }                                                                           \
    }                                                                               \
    for (int r = 0; r < 8; r++) {                                                   \
        _mm512_store_ps(acc + 32 * r, c0[r]);                                       \
        if (TWO_C) _mm512_store_ps(acc + 32 * r + 16, c1[r]);                       \
    }                                                                               \
}
CT_BFD_KERNEL(ct_bfd_kernel_1, 0)
CT_BFD_KERNEL(ct_bfd_kernel_2, 1)

/* One call's products and their packed operands: product b's blocks of A
 * start at pa + b * rb * kb blocks, row block r's k block q r * kb + q
 * blocks further (B's likewise, cb column blocks) */
typedef struct {
    int64_t nb, m, n, k, ars, acs, brs, bcs, rb, cb, kb, rp, cp, band;
    int amx;                    /* the tile kernels (else the vector ones) */
    const uint16_t *A, *B;
    const int64_t *offa, *offb;
    uint16_t *pa, *pb, *C;
} ct_bf_job;

/* computes the 32 x 32 block (row pair rpi, column pair cpi) of product
 * b's C from its packed blocks pa, pb */
__attribute__((target(CT_BFD_TARGET))) static void
ct_bf_block(const ct_bf_job *J, int64_t b, const uint16_t *pa, const uint16_t *pb,
            int64_t rpi, int64_t cpi, float *acc)
{
    int64_t r0 = 2 * rpi, c0 = 2 * cpi, kb = J->kb;
    int tr = r0 + 1 < J->rb, tc = c0 + 1 < J->cb;
    const uint16_t *a0 = pa + r0 * kb * CT_BF_BLOCK, *a1 = a0 + kb * CT_BF_BLOCK;
    const uint16_t *b0 = pb + c0 * kb * CT_BF_BLOCK, *b1 = b0 + kb * CT_BF_BLOCK;
    int64_t i0 = r0 * 16, j0 = c0 * 16;
    int rows = J->m - i0 < 32 ? (int)(J->m - i0) : 32, cols = J->n - j0 < 32 ? (int)(J->n - j0) : 32;
    if (J->amx) {
        if (tr && tc) ct_bf_kernel_22(a0, a1, b0, b1, kb, acc);
        else if (tr) ct_bf_kernel_21(a0, a1, b0, b1, kb, acc);
        else if (tc) ct_bf_kernel_12(a0, a1, b0, b1, kb, acc);
        else ct_bf_kernel_11(a0, a1, b0, b1, kb, acc);
    } else {
        /* eight rows at a time, none wholly past the end of m, over
         * CT_BFD_KC blocks of k at a time: the accumulators stay in
         * registers over k up to 1024 (measured: 3-5% faster at 512 and
         * 1024 than 8 blocks a pass, whose B stayed in L1) */
        for (int64_t q = 0; q < kb; q += CT_BFD_KC) {
            int64_t kc = kb - q < CT_BFD_KC ? kb - q : CT_BFD_KC, o = q * CT_BF_BLOCK;
            for (int r = 0; r < rows; r += 8) {
                const uint16_t *a = (r < 16 ? a0 : a1) + (r & 8) * 32 + o;
                if (tc) ct_bfd_kernel_2(a, b0 + o, b1 + o, kc, acc + 32 * r, q > 0);
                else ct_bfd_kernel_1(a, b0 + o, b1 + o, kc, acc + 32 * r, q > 0);
            }
        }
    }
    ct_bf_write(J->C + b * J->m * J->n + i0 * J->n + j0, J->n, acc, rows, cols);
}

/* ---- every product shared by the threads: units of work by number ------- */

/* packs block u of all of A's blocks and then B's (u = (b * rb + r) * kb +
 * q for A) */
__attribute__((target(CT_BFD_TARGET))) static void
ct_bf_pack_unit(const ct_bf_job *J, int64_t u)
{
    int64_t na = J->nb * J->rb * J->kb;
    if (u < na) {
        int64_t q = u % J->kb, r = u / J->kb, b = r / J->rb;
        ct_bf_pack_a(J->pa + u * CT_BF_BLOCK, J->A + J->offa[b], J->m, J->k, J->ars, J->acs,
                     (r % J->rb) * 16, q * 32);
    } else {
        u -= na;
        int64_t q = u % J->kb, c = u / J->kb, b = c / J->cb;
        ct_bf_pack_b(J->pb + u * CT_BF_BLOCK, J->B + J->offb[b], J->k, J->n, J->brs, J->bcs,
                     q * 32, (c % J->cb) * 16);
    }
}

/* computes block u: products, then bands of rows (J->band row pairs), then
 * column pairs, then the row pairs of the band */
__attribute__((target(CT_BFD_TARGET))) static void
ct_bf_block_unit(const ct_bf_job *J, int64_t u, float *acc)
{
    int64_t per = J->rp * J->cp, b = u / per, w = u % per;
    int64_t band0 = w / (J->band * J->cp) * J->band;
    int64_t bh = J->rp - band0 < J->band ? J->rp - band0 : J->band;
    w -= band0 * J->cp;
    ct_bf_block(J, b, J->pa + b * J->rb * J->kb * CT_BF_BLOCK, J->pb + b * J->cb * J->kb * CT_BF_BLOCK,
                band0 + w % bh, w / bh, acc);
}

/* ---- whole products per thread ------------------------------------------ */

/* packs product b into pa, pb */
__attribute__((target(CT_BFD_TARGET))) static void
ct_bf_pack_product(const ct_bf_job *J, int64_t b, uint16_t *pa, uint16_t *pb)
{
    for (int64_t r = 0; r < J->rb; r++)
        for (int64_t q = 0; q < J->kb; q++, pa += CT_BF_BLOCK)
            ct_bf_pack_a(pa, J->A + J->offa[b], J->m, J->k, J->ars, J->acs, r * 16, q * 32);
    for (int64_t c = 0; c < J->cb; c++)
        for (int64_t q = 0; q < J->kb; q++, pb += CT_BF_BLOCK)
            ct_bf_pack_b(pb, J->B + J->offb[b], J->k, J->n, J->brs, J->bcs, q * 32, c * 16);
}

/* every block of product b, in ct_bf_block_unit's order */
__attribute__((target(CT_BFD_TARGET))) static void
ct_bf_product(const ct_bf_job *J, int64_t b, const uint16_t *pa, const uint16_t *pb, float *acc)
{
    for (int64_t band0 = 0; band0 < J->rp; band0 += J->band) {
        int64_t band1 = band0 + J->band < J->rp ? band0 + J->band : J->rp;
        for (int64_t c = 0; c < J->cp; c++)
            for (int64_t r = band0; r < band1; r++)
                ct_bf_block(J, b, pa, pb, r, c, acc);
    }
}

/* thread tid's part: whole products (`group` > 0: its share of them,
 * `group` at a time packed into its own slice of the buffer, then
 * computed, so that the tile loads find the packing done; no barrier) or
 * its share of the packing of every product (the same share of A's blocks
 * and of B's, which with one band of rows is B's part its blocks read), a
 * barrier, its share of the blocks */
__attribute__((target(CT_BF_TARGET))) static void
ct_bf_thread(const ct_bf_job *J, int tid, int nt, int64_t group, size_t per)
{
    ct_bf_tilecfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.palette = 1;
    for (int t = 0; t < 8; t++) {
        cfg.colsb[t] = 64;
        cfg.rows[t] = 16;
    }
    float acc[32 * 32] __attribute__((aligned(64)));
    if (J->amx) _tile_loadconfig(&cfg);
    if (group > 0) {
        uint16_t *mine = J->pa + tid * group * per;
        int64_t sa = J->rb * J->kb * CT_BF_BLOCK;
        int64_t b1 = J->nb * (tid + 1) / nt;
        for (int64_t b0 = J->nb * tid / nt; b0 < b1; b0 += group) {
            int64_t g = b1 - b0 < group ? b1 - b0 : group;
            for (int64_t i = 0; i < g; i++)
                ct_bf_pack_product(J, b0 + i, mine + i * per, mine + i * per + sa);
            for (int64_t i = 0; i < g; i++)
                ct_bf_product(J, b0 + i, mine + i * per, mine + i * per + sa, acc);
        }
    } else {
        /* each thread a share of A's blocks and the same share of B's: with
         * one band, B's share is the column blocks of its own blocks of C */
        int64_t na = J->nb * J->rb * J->kb, nbk = J->nb * J->cb * J->kb;
        int64_t nblk = J->nb * J->rp * J->cp;
        for (int64_t u = na * tid / nt; u < na * (tid + 1) / nt; u++)
            ct_bf_pack_unit(J, u);
        for (int64_t u = nbk * tid / nt; u < nbk * (tid + 1) / nt; u++)
            ct_bf_pack_unit(J, na + u);
#ifdef _OPENMP
        if (nt > 1) {
#pragma omp barrier
        }
#endif
        for (int64_t u = nblk * tid / nt; u < nblk * (tid + 1) / nt; u++)
            ct_bf_block_unit(J, u, acc);
    }
    if (J->amx) _tile_release();
}

int ct_bf16_gemm(int64_t nb, int64_t m, int64_t n, int64_t k,
                 const uint16_t *A, const int64_t *offa, int64_t ars, int64_t acs,
                 const uint16_t *B, const int64_t *offb, int64_t brs, int64_t bcs, uint16_t *C)
{
    int route = ct_bf_route();
    if (route == 0 || nb <= 0 || m <= 0 || n <= 0 || k <= 0)
        return -1;
    /* a batch of tiny products: the tile unit's latency per product costs
     * more than the float32 route's few vector steps (1000 products of
     * 4 x 4 by 4 x 4: 2.5 times as long) */
    if (nb > 1 && m * n * k < CT_BF_TINY)
        return -1;
    ct_bf_job J = {nb, m, n, k, ars, acs, brs, bcs, (m + 15) / 16, (n + 15) / 16, (k + 31) / 32,
                   0, 0, 0, route == 2, A, B, offa, offb, NULL, NULL, C};
    J.rp = (J.rb + 1) / 2;
    J.cp = (J.cb + 1) / 2;
    /* a band of row pairs whose packed A (2 KB per pair and k block) stays in L2 */
    J.band = CT_BF_L2_BAND / (2 * 1024 * J.kb);
    if (J.band < 1) J.band = 1;
    int nt = ct_get_num_threads();
#ifdef _OPENMP
    if (omp_in_parallel()) nt = 1;
#endif
    double flops = 2.0 * m * n * k;
    if (flops * nb < CT_BF_PAR_FLOPS) nt = 1;
    if (nt > nb * J.rp * J.cp) nt = (int)(nb * J.rp * J.cp);
    /* whole products per thread when they share out evenly or are small:
     * each packed right before its blocks, in the thread's cache, in groups
     * of up to 32 KB */
    int each = nb % nt == 0 || nb >= 4 * nt || (nb >= nt && flops < CT_BF_PAR_FLOPS);
    size_t per = (size_t)((J.rb + J.cb) * J.kb) * CT_BF_BLOCK;      /* elements */
    int64_t group = 0;
    if (each) {
        group = (int64_t)((32 << 10) / (per * 2));
        group = group < 1 ? 1 : group > 16 ? 16 : group;
    }
    size_t bytes = per * 2 * (each ? (size_t)(nt * group) : (size_t)nb);
    uint16_t *buf = ct_alloc(bytes);
    if (buf == NULL)
        return -1;
    J.pa = buf;
    J.pb = buf + nb * J.rb * J.kb * CT_BF_BLOCK;
#ifdef _OPENMP
    if (nt > 1) {
#pragma omp parallel num_threads(nt)
        ct_bf_thread(&J, omp_get_thread_num(), omp_get_num_threads(), group, per);
    } else
#endif
        ct_bf_thread(&J, 0, 1, group, per);
    ct_free(buf, bytes);
    return 0;
}

#else   /* not built (no own gemm, not Linux): the float32 route runs every bfloat16 product */

int ct_bf16_gemm(int64_t nb, int64_t m, int64_t n, int64_t k,
                 const uint16_t *A, const int64_t *offa, int64_t ars, int64_t acs,
                 const uint16_t *B, const int64_t *offb, int64_t brs, int64_t bcs, uint16_t *C)
{
    (void)nb; (void)m; (void)n; (void)k; (void)A; (void)offa; (void)ars; (void)acs;
    (void)B; (void)offb; (void)brs; (void)bcs; (void)C;
    return -1;
}

#endif
