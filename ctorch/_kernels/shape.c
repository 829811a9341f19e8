/* Shape, joining and gather/scatter kernels.
 *
 * Moving elements does not depend on what they mean, only on their size, so
 * the copy kernels (cat rows, index_select rows, gather, scatter) are written
 * once over the element size (1, 2, 4, 8 or 16 bytes). Only the accumulating
 * scatter (scatter_add / index_add) needs the element type; it is one macro
 * instantiated through a table indexed by dtype code.
 *
 * Gather/scatter walk the index tensor's shape with an N-d counter; all
 * strides are in elements. Index values are checked in the kernel: on a bad
 * index the kernel stops and returns 1 with the value in *bad. shape.h
 * declares the entry points.
 */
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include "shape.h"
#include "strided.h"
#include "halfconv.h"

/* Copies are bound by memory (or cache) bandwidth, and each core brings its
 * own: from a quarter of a MiB moved, threads pay for their region (a cat
 * of 800 KB 1.8x faster on two cores, 32 MB 2.0x; with one thread a copy
 * stays the plain loop). */
#define CT_SHAPE_PAR_BYTES ((int64_t)1 << 18)

static void ct__bytes_copy(char *d, const char *s, int64_t n);

/* dst[r * dld .. + nbytes) = src[r * sld .. + nbytes), r < rows (byte units) */
void ct_copy_rows(char *dst, int64_t dld, const char *src, int64_t sld,
                  int64_t rows, int64_t nbytes) {
    int nt = ct_get_num_threads();
    /* rows of one element (a stack along a new last dim): moves of the
     * element's size, not a call per element (through memcpy of a constant
     * size: one unaligned move, where rows of bytes need not be aligned for
     * the wider type) */
    /* (a parallel region only when it pays: entering one, even with if(0),
     * costs more than a row part of roll's) */
#define CT__ONE_ELEMENT_ROWS(T) {                                                  \
        if (nt > 1 && rows * nbytes >= CT_SHAPE_PAR_BYTES) {                       \
            _Pragma("omp parallel for num_threads(nt) schedule(static)")           \
            for (int64_t r = 0; r < rows; r++) memcpy(dst + r * dld, src + r * sld, sizeof(T)); \
        } else {                                                                   \
            for (int64_t r = 0; r < rows; r++) memcpy(dst + r * dld, src + r * sld, sizeof(T)); \
        }                                                                          \
        return; }
    switch (nbytes) {
    case 1: CT__ONE_ELEMENT_ROWS(uint8_t)
    case 2: CT__ONE_ELEMENT_ROWS(uint16_t)
    case 4: CT__ONE_ELEMENT_ROWS(uint32_t)
    case 8: CT__ONE_ELEMENT_ROWS(uint64_t)
    case 16: CT__ONE_ELEMENT_ROWS(ct_b16)
    default: break;
    }
#undef CT__ONE_ELEMENT_ROWS
    if (rows * nbytes < CT_SHAPE_PAR_BYTES || nt <= 1) {
        for (int64_t r = 0; r < rows; r++) ct__bytes_copy(dst + r * dld, src + r * sld, nbytes);
        return;
    }
    if (rows >= nt) {
        #pragma omp parallel for num_threads(nt) schedule(static)
        for (int64_t r = 0; r < rows; r++) ct__bytes_copy(dst + r * dld, src + r * sld, nbytes);
        return;
    }
    /* few long rows: split each row into pieces */
    int64_t piece = (nbytes + nt - 1) / nt;
    for (int64_t r = 0; r < rows; r++) {
        #pragma omp parallel for num_threads(nt) schedule(static)
        for (int t = 0; t < nt; t++) {
            int64_t a = piece * t, b = a + piece < nbytes ? a + piece : nbytes;
            if (a < b) ct__bytes_copy(dst + r * dld + a, src + r * sld + a, b - a);
        }
    }
}

/* A copy of n bytes whose destination is not read again soon: streaming
 * (non-temporal) stores on x86-64, which skip reading the destination's
 * cache lines before writing them and keep them out of the caches; memcpy
 * elsewhere. The caller ends the run of copies with ct__stream_fence. */
#if defined(__x86_64__) && defined(__SSE2__)
#include <emmintrin.h>
static void ct__stream_copy(char *d, const char *s, int64_t n)
{
    int64_t head = (int64_t)((16 - ((uintptr_t)d & 15)) & 15);
    if (head > n) head = n;
    memcpy(d, s, (size_t)head);
    d += head;
    s += head;
    n -= head;
    int64_t i = 0;
    for (; i + 64 <= n; i += 64) {
        __m128i a = _mm_loadu_si128((const __m128i *)(s + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(s + i + 16));
        __m128i c = _mm_loadu_si128((const __m128i *)(s + i + 32));
        __m128i e = _mm_loadu_si128((const __m128i *)(s + i + 48));
        _mm_stream_si128((__m128i *)(d + i), a);
        _mm_stream_si128((__m128i *)(d + i + 16), b);
        _mm_stream_si128((__m128i *)(d + i + 32), c);
        _mm_stream_si128((__m128i *)(d + i + 48), e);
    }
    for (; i + 16 <= n; i += 16)
        _mm_stream_si128((__m128i *)(d + i), _mm_loadu_si128((const __m128i *)(s + i)));
    memcpy(d + i, s + i, (size_t)(n - i));
}
static void ct__stream_fence(void) { _mm_sfence(); }
#else
static void ct__stream_copy(char *d, const char *s, int64_t n) { memcpy(d, s, (size_t)n); }
static void ct__stream_fence(void) {}
#endif

/* A short row copy (a few hundred bytes: one piece's row of a cat): with
 * 32-byte moves, which split fewer cache lines than memcpy's 64-byte ones
 * at the unaligned offsets where such rows start. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#include <immintrin.h>
__attribute__((target("avx2"))) static void ct__row_copy_avx2(char *d, const char *s, int64_t n)
{
    int64_t i = 0;
    for (; i + 128 <= n; i += 128) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(s + i));
        __m256i b = _mm256_loadu_si256((const __m256i *)(s + i + 32));
        __m256i c = _mm256_loadu_si256((const __m256i *)(s + i + 64));
        __m256i e = _mm256_loadu_si256((const __m256i *)(s + i + 96));
        _mm256_storeu_si256((__m256i *)(d + i), a);
        _mm256_storeu_si256((__m256i *)(d + i + 32), b);
        _mm256_storeu_si256((__m256i *)(d + i + 64), c);
        _mm256_storeu_si256((__m256i *)(d + i + 96), e);
    }
    for (; i + 32 <= n; i += 32)
        _mm256_storeu_si256((__m256i *)(d + i), _mm256_loadu_si256((const __m256i *)(s + i)));
    /* the last n - i < 32 bytes: the row's last 32 bytes again (n >= 32),
     * rather than a library call per row */
    if (i < n)
        _mm256_storeu_si256((__m256i *)(d + n - 32), _mm256_loadu_si256((const __m256i *)(s + n - 32)));
}
#define CT__ROW_COPY_AVX2 1
#endif

/* n bytes of a row: 32-byte moves from 32 bytes up on AVX2 (libc's memcpy
 * takes `rep movsb` for rows of kilobytes, which on AMD EPYC moved rows
 * whose destination sits a few bytes off the source's alignment at 4 GB/s:
 * x.roll(1, 1) of a 1000 x 1000 float matrix 1.2 ms, 0.1 ms this way);
 * memcpy for the shortest and elsewhere */
static void ct__bytes_copy(char *d, const char *s, int64_t n)
{
#ifdef CT__ROW_COPY_AVX2
    if (n >= 32 && ct_cpu_avx2()) {
        ct__row_copy_avx2(d, s, n);
        return;
    }
#endif
    memcpy(d, s, (size_t)n);
}

/* Results at least this large do not stay in the caches: written with
 * streaming stores. */
#define CT_CAT_STREAM_BYTES ((int64_t)1 << 24)

/* Rows r0..r1 of a cat (see shape.h), each written piece after piece. */
static void ct__cat_band(char *dst, int64_t dld, const char *const *src, const int64_t *len,
                         int n, int64_t r0, int64_t r1, int stream)
{
    for (int64_t r = r0; r < r1; r++) {
        char *d = dst + r * dld;
        for (int k = 0; k < n; k++) {
            if (len[k]) {
                if (stream) ct__stream_copy(d, src[k] + r * len[k], len[k]);
                else ct__bytes_copy(d, src[k] + r * len[k], len[k]);
            }
            d += len[k];
        }
    }
}

/* Bytes [b0, b1) of row r of a cat: the parts of the pieces that fall in it. */
static void ct__cat_span(char *dst, int64_t dld, const char *const *src, const int64_t *len,
                         int n, int64_t r, int64_t b0, int64_t b1, int stream)
{
    int64_t off = 0;
    for (int k = 0; k < n && off < b1; k++) {
        int64_t l = len[k], a = b0 > off ? b0 : off, b = b1 < off + l ? b1 : off + l;
        if (a < b) {
            char *d = dst + r * dld + a;
            const char *s = src[k] + r * l + (a - off);
            if (stream) ct__stream_copy(d, s, b - a);
            else ct__bytes_copy(d, s, b - a);
        }
        off += l;
    }
}

void ct_cat_rows(char *dst, int64_t dld, const char *const *src, const int64_t *len, int n,
                 int64_t outer)
{
    int64_t total = outer * dld;
    int stream = total >= CT_CAT_STREAM_BYTES;
    int nt = ct_get_num_threads();
    if (nt > 1 && outer < nt && total >= CT_SHAPE_PAR_BYTES) {
        /* a few long rows (a cat along the first dim is one row): each row
         * cut into nt equal spans of bytes, one per thread (2 x 4 MB along
         * the first dim 2.0x faster on two threads) */
        #pragma omp parallel for num_threads(nt) schedule(static)
        for (int t = 0; t < nt; t++) {
            for (int64_t r = 0; r < outer; r++)
                ct__cat_span(dst, dld, src, len, n, r, dld * t / nt, dld * (t + 1) / nt, stream);
            if (stream) ct__stream_fence();
        }
        return;
    }
    if (nt > 1 && outer >= nt && total >= CT_SHAPE_PAR_BYTES) {
        #pragma omp parallel for num_threads(nt) schedule(static)
        for (int t = 0; t < nt; t++) {
            ct__cat_band(dst, dld, src, len, n, outer * t / nt, outer * (t + 1) / nt, stream);
            if (stream) ct__stream_fence();
        }
        return;
    }
    if (stream) {
        ct__cat_band(dst, dld, src, len, n, 0, outer, 1);
        ct__stream_fence();
        return;
    }
    /* a band of rows at a time (each piece's rows of the band in turn), so
     * that the band stays in cache while it is written */
    int64_t chunk = dld > 0 ? (128 * 1024) / dld : outer;
    if (chunk < 1) chunk = 1;
#ifdef CT__ROW_COPY_AVX2
    int avx2 = ct_cpu_avx2();
#endif
    for (int64_t r0 = 0; r0 < outer; r0 += chunk) {
        int64_t r1 = r0 + chunk < outer ? r0 + chunk : outer;
        char *d = dst;
        for (int k = 0; k < n; k++) {
            int64_t l = len[k];
#ifdef CT__ROW_COPY_AVX2
            if (avx2 && l >= 32) {
                for (int64_t r = r0; r < r1; r++)
                    ct__row_copy_avx2(d + r * dld, src[k] + r * l, l);
                d += l;
                continue;
            }
#endif
            if (l)
                for (int64_t r = r0; r < r1; r++)
                    memcpy(d + r * dld, src[k] + r * l, (size_t)l);
            d += l;
        }
    }
}
/* dout[j] = so[ix[j]] for j < n; and the same for four rows at once (each
 * index read once for the four), the loads ahead of their stores */
#define CT_ISEL_RUN(T)                                                             \
static inline void ct_isel_run_##T(const T *restrict so, T *restrict dout,        \
                                   const int64_t *restrict ix, int64_t n) {        \
    int64_t j = 0;                                                                 \
    for (; j + 4 <= n; j += 4) {                                                   \
        const T x0 = so[ix[j]], x1 = so[ix[j + 1]], x2 = so[ix[j + 2]], x3 = so[ix[j + 3]]; \
        dout[j] = x0; dout[j + 1] = x1; dout[j + 2] = x2; dout[j + 3] = x3;        \
    }                                                                              \
    for (; j < n; j++) dout[j] = so[ix[j]];                                        \
}                                                                                  \
static inline void ct_isel_rows4_##T(const T *restrict so, int64_t size, T *restrict dout, \
                                     const int64_t *restrict ix, int64_t n) {      \
    for (int64_t j = 0; j < n; j++) {                                              \
        const int64_t i = ix[j];                                                   \
        const T x0 = so[i], x1 = so[size + i], x2 = so[2 * size + i], x3 = so[3 * size + i]; \
        dout[j] = x0; dout[n + j] = x1; dout[2 * n + j] = x2; dout[3 * n + j] = x3; \
    }                                                                              \
}
CT_ISEL_RUN(uint8_t)
CT_ISEL_RUN(uint16_t)
CT_ISEL_RUN(uint32_t)
CT_ISEL_RUN(uint64_t)
CT_ISEL_RUN(ct_b16)

/* out[o, j, :] = src[o, idx[j], :] for contiguous src [outer, size, inner]
 * and contiguous out [outer, n, inner]; inner counted in elements of es bytes.
 * Inner 1 (along the last dim): rows of 8- and 16-byte elements four at a
 * time, unless there are too few groups of four to go round the threads;
 * narrower elements a row at a time (measured 1.2-3.5x faster than four
 * rows at a time for them, 0.7-1.0x for the wider ones) */
#define CT_ISEL_BODY(T)                                                            \
    {                                                                              \
        const T *s = (const T *)src; T *d = (T *)dst;                              \
        const int64_t gs = sizeof(T) < 8 || (par && outer < 4 * (int64_t)nt) ? 1 : 4; \
        const int64_t ng = (outer + gs - 1) / gs;                                  \
        CT_PARALLEL_IF(par, "omp parallel for num_threads(nt) schedule(static)",   \
        for (int64_t g = 0; g < ng; g++) {                                         \
            const int64_t o = gs * g;                                              \
            if (gs == 4 && o + 4 <= outer)                                         \
                ct_isel_rows4_##T(s + o * size, size, d + o * n, idx, n);          \
            else                                                                   \
                for (int64_t r = o; r < outer && r < o + gs; r++)                  \
                    ct_isel_run_##T(s + r * size, d + r * n, idx, n);              \
        });                                                                        \
    }

static int ct__isel_first_bad(const int64_t *idx, int64_t n, int64_t size, int64_t *bad)
{
    for (int64_t j = 0; j < n; j++)
        if (idx[j] < 0 || idx[j] >= size) { *bad = idx[j]; return 1; }
    return 0;
}

int ct_index_select(char *dst, const char *src, int64_t outer, int64_t size,
                    int64_t inner, int es, const int64_t *idx, int64_t n,
                    int64_t *bad) {
    int nt = ct_get_num_threads();
    int par = nt > 1 && outer * n * inner * es >= CT_SHAPE_PAR_BYTES;
    if (inner == 1 && outer == 1) {
        /* one gather, parallel over the index: the bounds checked in the same
         * pass (an index out of range reads element 0 and marks the call;
         * then the first such index is looked up), one read of the index
         * instead of two */
        int fail = 0;
        switch (es) {
#define CT_ISEL_FLAT(T) { const T *s = (const T *)src; T *d = (T *)dst;                      \
            CT_PARALLEL_IF(par, "omp parallel for num_threads(nt) schedule(static) reduction(|:fail)", \
            for (int64_t j = 0; j < n; j++) {                                             \
                int64_t i = idx[j];                                                       \
                const int out = (uint64_t)i >= (uint64_t)size;                            \
                fail |= out;                                                              \
                d[j] = s[out ? 0 : i];                                                    \
            }); } break;
        case 1: CT_ISEL_FLAT(uint8_t)
        case 2: CT_ISEL_FLAT(uint16_t)
        case 4: CT_ISEL_FLAT(uint32_t)
        case 8: CT_ISEL_FLAT(uint64_t)
        case 16: CT_ISEL_FLAT(ct_b16)
#undef CT_ISEL_FLAT
        default: fail = -1;
        }
        if (fail == 0) return 0;
        if (fail > 0) return ct__isel_first_bad(idx, n, size, bad);
    }
    if (ct__isel_first_bad(idx, n, size, bad)) return 1;
    if (inner == 1) {
        switch (es) {
        case 1: CT_ISEL_BODY(uint8_t) return 0;
        case 2: CT_ISEL_BODY(uint16_t) return 0;
        case 4: CT_ISEL_BODY(uint32_t) return 0;
        case 8: CT_ISEL_BODY(uint64_t) return 0;
        case 16: CT_ISEL_BODY(ct_b16) return 0;
        }
    }
    int64_t rb = inner * es;
    /* short rows of a fixed size: one constant-size memcpy per row (a few
     * vector loads/stores), and the source row CT_ISEL_AHEAD indices ahead
     * prefetched, so that the random reads' cache misses overlap */
#define CT_ISEL_AHEAD 16
    /* the rows in chunks of at most CT_ISEL_CHUNK indices (of one outer
     * slice) between the threads, so that a single slice splits too: about
     * four chunks a thread at least (10000 rows of 512 bytes made chunks of
     * 4096, 4096 and 1808: two of them on one thread of two) */
#define CT_ISEL_CHUNK 4096
    int64_t ck = par ? (outer * n + 4 * (int64_t)nt - 1) / (4 * (int64_t)nt) : CT_ISEL_CHUNK;
    ck = ck > CT_ISEL_CHUNK ? CT_ISEL_CHUNK : ck < 64 ? 64 : ck;
    const int64_t per_o = (n + ck - 1) / ck, nck = outer * per_o;
#define CT_ISEL_CHUNKS(BODY)                                                             \
    CT_PARALLEL_IF(par && nck > 1, "omp parallel for num_threads(nt) schedule(static)",  \
    for (int64_t c = 0; c < nck; c++) {                                                  \
        const int64_t o = c / per_o, j0 = (c - o * per_o) * ck;                          \
        const int64_t j1 = n - j0 < ck ? n : j0 + ck;                                    \
        for (int64_t j = j0; j < j1; j++) { BODY }                                       \
    });
#define CT_ISEL_ROWS(RB)                                                                 \
    {                                                                                    \
        CT_ISEL_CHUNKS(                                                                  \
            const char *so = src + o * size * (RB);                                      \
            if (j + CT_ISEL_AHEAD < n)                                                   \
                __builtin_prefetch(so + idx[j + CT_ISEL_AHEAD] * (RB));                  \
            memcpy(dst + (o * n + j) * (RB), so + idx[j] * (RB), (RB));)                 \
        return 0;                                                                        \
    }
    switch (rb) {
    case 8: CT_ISEL_ROWS(8)
    case 16: CT_ISEL_ROWS(16)
    case 24: CT_ISEL_ROWS(24)
    case 32: CT_ISEL_ROWS(32)
    case 48: CT_ISEL_ROWS(48)
    case 64: CT_ISEL_ROWS(64)
    case 128: CT_ISEL_ROWS(128)
    case 256: CT_ISEL_ROWS(256)
    default: break;
    }
#undef CT_ISEL_ROWS
    if (rb % 8 == 0 && rb <= 256) {
        /* other short rows: 8-byte moves (fixed-size memcpy compiles to a load/store) */
        int64_t nw = rb / 8;
        CT_ISEL_CHUNKS(
            char *d = dst + (o * n + j) * rb;
            const char *s = src + (o * size + idx[j]) * rb;
            if (j + CT_ISEL_AHEAD < n) __builtin_prefetch(src + (o * size + idx[j + CT_ISEL_AHEAD]) * rb);
            for (int64_t w = 0; w < nw; w++) memcpy(d + 8 * w, s + 8 * w, 8);)
        return 0;
    }
#undef CT_ISEL_AHEAD
    CT_ISEL_CHUNKS(memcpy(dst + (o * n + j) * rb, src + (o * size + idx[j]) * rb, (size_t)rb);)
#undef CT_ISEL_CHUNKS
#undef CT_ISEL_CHUNK
    return 0;
}

/* the n indices p[0..n) checked in one branch-free pass: 0 when one lies
 * outside [-size, size), 1 when all are inside and some negative, 2 when
 * all lie in [0, size) */
#define CT_WALK_BLOCK 512
static inline int ct_walk_block_check(const int64_t *p, int64_t n, int64_t size) {
    uint64_t out = 0, neg = 0;
    const uint64_t span = 2 * (uint64_t)size;
    for (int64_t k = 0; k < n; k++) {
        out |= (uint64_t)p[k] + (uint64_t)size >= span;
        neg |= (uint64_t)p[k];
    }
    return out ? 0 : (neg >> 63) ? 1 : 2;
}

/* One dense run of N checked indices IP along a dense dim of b: a[PA0 + k]
 * pairs with b[PB0 + IP[k]] (ADJ wraps a negative index, or is empty when
 * there is none; _AS: a[PA0 + k * AS], AS 0 for a value broadcast along the
 * run). a and b are shadowed by the run's first elements, so that
 * BODY's offsets are plain k and i; four indices are read ahead of their
 * bodies, so that the random accesses overlap, and where b's dim spans more
 * than CT_WALK_PF_SPAN bytes (beyond the caches) its lines are prefetched
 * CT_WALK_AHEAD indices ahead (over a row in cache the prefetches were a
 * third of a gather's time, and of a scatter_add into 1000 bins). */
#define CT_WALK_PF_SPAN (4 << 20)
#define CT_ADJ_NONE(i)
#define CT_ADJ_NEG(i) i += i < 0 ? size : 0;
#define CT_WALK_AHEAD 32
#define CT_WALK_ROW(BODY, ADJ, IP, N, PA0, PB0, Q) CT_WALK_ROW_AS(BODY, ADJ, IP, N, PA0, PB0, 1, Q)
#define CT_WALK_ROW_AS(BODY, ADJ, IP, N, PA0, PB0, AS, Q)                                \
    {                                                                                    \
        __typeof__(a) const a_run_ = a + (PA0);                                          \
        __typeof__(b) const b_run_ = b + (PB0);                                          \
        const int64_t *const ip_run_ = (IP);                                             \
        const int64_t n_run_ = (N);                                                      \
        const int pf_ = (uint64_t)size * sizeof(*b) > CT_WALK_PF_SPAN;                   \
        {                                                                                \
            __typeof__(a_run_) Q a = a_run_;                                             \
            __typeof__(b_run_) Q b = b_run_;                                             \
            int64_t k = 0;                                                               \
            /* the random side's lines requested CT_WALK_AHEAD indices ahead (a     \
             * prefetch never faults: a negative index's address is only a hint) */ \
            for (; k + 4 <= n_run_; k += 4) {                                            \
                if (pf_ && k + 4 + CT_WALK_AHEAD <= n_run_)                              \
                    for (int u_ = 0; u_ < 4; u_++)                                       \
                        __builtin_prefetch(b + ip_run_[k + CT_WALK_AHEAD + u_], 1, 3);   \
                int64_t i0 = ip_run_[k], i1 = ip_run_[k + 1];                            \
                int64_t i2 = ip_run_[k + 2], i3 = ip_run_[k + 3];                        \
                ADJ(i0) ADJ(i1) ADJ(i2) ADJ(i3)                                          \
                { const int64_t pa = (k) * (AS), pb = i0; BODY }                                  \
                { const int64_t pa = (k + 1) * (AS), pb = i1; BODY }                              \
                { const int64_t pa = (k + 2) * (AS), pb = i2; BODY }                              \
                { const int64_t pa = (k + 3) * (AS), pb = i3; BODY }                              \
            }                                                                            \
            for (; k < n_run_; k++) {                                                    \
                int64_t i = ip_run_[k];                                                  \
                ADJ(i)                                                                   \
                const int64_t pa = k * (AS), pb = i;                                     \
                BODY                                                                     \
            }                                                                            \
        }                                                                                \
    }

/* the position of the first of n int64 values outside [lo, hi] (inclusive
 * bounds; hi < lo: every value is outside), or -1: blocks checked in one
 * branch-free pass, a block with a bad one searched */
CT_MULTIVERSION int64_t ct_index_outside(const int64_t *p, int64_t n, int64_t lo, int64_t hi) {
    if (hi < lo) return n > 0 ? 0 : -1;
    const uint64_t span = (uint64_t)hi - (uint64_t)lo;
    for (int64_t k0 = 0; k0 < n; k0 += 1024) {
        const int64_t k1 = n - k0 < 1024 ? n : k0 + 1024;
        uint64_t out = 0;
        for (int64_t k = k0; k < k1; k++) out |= (uint64_t)p[k] - (uint64_t)lo > span;
        if (out)
            for (int64_t k = k0; k < k1; k++)
                if (p[k] < lo || p[k] > hi) return k;
    }
    return -1;
}

/* The N-d walk shared by gather and scatter: for every position p of the
 * index shape, i = idx[p]; the element at p of `a` pairs with the element of
 * `b` at p with coordinate `dim` replaced by i. BODY sees pa, pb (element
 * offsets) and runs for each position in order. *bad nonzero on entry: a
 * negative index is out of bounds (gather / scatter's rule) rather than
 * counted from the end (take's), so that no separate pass looks for one. */
#define CT_WALK(BODY) CT_WALK_Q(BODY, )
#define CT_WALK_Q(BODY, Q)                                                               \
    const int nonneg_ = *bad != 0;                                                       \
    const int64_t lo_ = nonneg_ ? 0 : -size;                                             \
    if (nd == 1 || (nd == 2 && shape[0] == 1)) {                                         \
        /* one dim (the common 1-d case): a tight loop, so that many cache misses \
         * of the random accesses are in flight at once. The indices of a dense  \
         * index are checked a block at a time in one branch-free pass; a block  \
         * that holds a bad one runs the checking loop (which stops at it). */   \
        const int q = nd - 1;                                                            \
        const int64_t n1 = shape[q], as1 = ast[q], is1 = ist[q];                         \
        const int64_t bs1 = bst[q], bstep = q == dim ? 0 : bs1;                          \
        const int64_t bsd = bst[dim];                                                    \
        for (int64_t k0 = 0; k0 < n1; k0 += CT_WALK_BLOCK) {                             \
            const int64_t k1 = n1 - k0 < CT_WALK_BLOCK ? n1 : k0 + CT_WALK_BLOCK;       \
            int chk = is1 == 1 ? ct_walk_block_check(idx + k0, k1 - k0, size) : 0;        \
            if (chk == 1 && nonneg_) chk = 0;                                            \
            if (chk) {                                                                   \
                if (as1 == 1 && bstep == 0 && bsd == 1) {                                \
                    if (chk == 2) CT_WALK_ROW(BODY, CT_ADJ_NONE, idx + k0, k1 - k0, k0, 0, Q)\
                    else CT_WALK_ROW(BODY, CT_ADJ_NEG, idx + k0, k1 - k0, k0, 0, Q)       \
                } else                                                                   \
                for (int64_t k = k0; k < k1; k++) {                                      \
                    int64_t i = idx[k];                                                  \
                    i += i < 0 ? size : 0;                                               \
                    const int64_t pa = k * as1, pb = k * bstep + i * bsd;                \
                    BODY                                                                 \
                }                                                                        \
                continue;                                                                \
            }                                                                            \
            for (int64_t k = k0; k < k1; k++) {                                          \
                int64_t i = idx[k * is1];                                                \
                if (i < lo_ || i >= size) { *bad = i; return 1; }                      \
                if (i < 0) i += size;                                                    \
                const int64_t pa = k * as1, pb = k * bstep + i * bsd;                    \
                BODY                                                                     \
            }                                                                            \
        }                                                                                \
        return 0;                                                                        \
    }                                                                                    \
    if (nd == 2 && dim == 0 && ist[1] == 0 && ast[1] == 1 && bst[1] == 1) {              \
        /* whole rows (index_add along dim 0): a vector loop along each row */          \
        const int64_t n0 = shape[0], n1 = shape[1];                                      \
        for (int64_t k = 0; k < n0; k++) {                                               \
            int64_t i = idx[k * ist[0]];                                                 \
            if (i < lo_ || i >= size) { *bad = i; return 1; }                          \
            if (i < 0) i += size;                                                        \
            const int64_t ra = k * ast[0], rb = i * bst[0];                              \
            for (int64_t j = 0; j < n1; j++) {                                           \
                const int64_t pa = ra + j, pb = rb + j;                                  \
                BODY                                                                     \
            }                                                                            \
        }                                                                                \
        return 0;                                                                        \
    }                                                                                    \
    if (nd == 0) {                                                                   \
        int64_t i = idx[0];                                                          \
        if (i < lo_ || i >= size) { *bad = i; return 1; }                          \
        if (i < 0) i += size;                                                        \
        const int64_t pa = 0, pb = i * bst[dim];                                     \
        BODY                                                                         \
        return 0;                                                                    \
    }                                                                                \
    /* N-d: an odometer over the outer dims, a tight loop along the last */     \
    const int q = nd - 1;                                                            \
    const int64_t n1 = shape[q], as1 = ast[q], is1 = ist[q];                         \
    const int64_t bstep = q == dim ? 0 : bst[q], bsd = bst[dim];                     \
    int64_t cnt[CT_MAXDIM];                                                          \
    int64_t outer = 1;                                                               \
    for (int d = 0; d < q; d++) { cnt[d] = 0; outer *= shape[d]; }                   \
    if (n1 == 0) return 0;                                                           \
    int64_t pi0 = 0, pa0 = 0, pb0 = 0;                                               \
    for (int64_t o = 0; o < outer; o++) {                                            \
        int rowok = 0;                                                               \
        if (is1 == 1) {                                                              \
            /* dense index rows: the row's indices checked in one vector pass, */   \
            /* then a loop without the early exit */                                 \
            rowok = ct_walk_block_check(idx + pi0, n1, size);                        \
            if (rowok == 1 && nonneg_) rowok = 0;                                    \
        }                                                                            \
        if (rowok && as1 == 1 && bstep == 0 && bsd == 1) {                           \
            /* along a dense last dim (gather / scatter along dim -1) */             \
            if (rowok == 2) CT_WALK_ROW(BODY, CT_ADJ_NONE, idx + pi0, n1, pa0, pb0, Q)\
            else CT_WALK_ROW(BODY, CT_ADJ_NEG, idx + pi0, n1, pa0, pb0, Q)            \
        } else if (rowok == 2 && as1 == 0 && bstep == 0 && bsd == 1) {               \
            /* a value broadcast along the row (the gradient of a sum) */            \
            CT_WALK_ROW_AS(BODY, CT_ADJ_NONE, idx + pi0, n1, pa0, pb0, 0, Q)          \
        } else if (rowok) {                                                          \
            const int64_t *ip = idx + pi0;                                           \
            for (int64_t k = 0; k < n1; k++) {                                       \
                int64_t i = ip[k];                                                   \
                i += i < 0 ? size : 0;                                               \
                const int64_t pa = pa0 + k * as1, pb = pb0 + k * bstep + i * bsd;    \
                BODY                                                                 \
            }                                                                        \
        } else                                                                       \
        for (int64_t k = 0; k < n1; k++) {                                           \
            int64_t i = idx[pi0 + k * is1];                                          \
            if (i < lo_ || i >= size) { *bad = i; return 1; }                      \
            if (i < 0) i += size;                                                    \
            const int64_t pa = pa0 + k * as1, pb = pb0 + k * bstep + i * bsd;        \
            BODY                                                                     \
        }                                                                            \
        for (int d = q - 1; d >= 0; d--) {                                           \
            if (++cnt[d] < shape[d]) {                                               \
                pi0 += ist[d]; pa0 += ast[d]; if (d != dim) pb0 += bst[d];           \
                break;                                                               \
            }                                                                        \
            cnt[d] = 0;                                                              \
            pi0 -= ist[d] * (shape[d] - 1); pa0 -= ast[d] * (shape[d] - 1);          \
            if (d != dim) pb0 -= bst[d] * (shape[d] - 1);                            \
        }                                                                            \
    }                                                                                \
    return 0;

/* Gathers and scatters of at least this many elements split their first dim
 * between threads (ct_walk_bands): the random accesses make them bound by
 * latency more than by bandwidth, so they scale like an elementwise op. The bands are about
 * CT_GATHER_CHUNK elements each (at most CT_GATHER_MAXCHUNKS of them), handed
 * out dynamically: a thread that the OS pauses does not hold the others up. */
#define CT_GATHER_PAR_MIN 32768
#define CT_GATHER_CHUNK 16384
#define CT_GATHER_MAXCHUNKS 256

/* One walk (gather's or a scatter's, over elements of es bytes) in bands of
 * its first dim between threads, when it is large and each band writes its
 * own elements: a gather's output rows (ast[0] != 0), or for a scatter the
 * destination's rows along a dim other than the scattered one, a stride
 * apart that no band's reach crosses. The bands are about CT_GATHER_CHUNK
 * elements each, handed out dynamically; on bad indices the report is that
 * of the first band with one (the first bad index in C order, as in one
 * pass). Otherwise one call of run. */
typedef int (*ct_walk_fn)(void *a, const int64_t *ast, void *b, const int64_t *bst,
                          const int64_t *idx, const int64_t *ist, const int64_t *shape,
                          int nd, int dim, int64_t size, int64_t *bad);
static int ct_walk_bands(ct_walk_fn run, size_t es, int scatter, void *a, const int64_t *ast,
                         void *b, const int64_t *bst, const int64_t *idx, const int64_t *ist,
                         const int64_t *shape, int nd, int dim, int64_t size, int64_t *bad) {
    int nt = ct_get_num_threads();
    int64_t total = 1;
    for (int d = 0; d < nd; d++) total *= shape[d];
    int ok = nt > 1 && nd >= 1 && nd <= CT_MAXDIM && shape[0] >= 2 && total >= CT_GATHER_PAR_MIN;
    if (ok && !scatter) ok = ast[0] != 0;
    if (ok && scatter) {
        /* the destination elements one row of the index reaches lie within
         * [0, span] of the row's start */
        int64_t span = 0;
        ok = dim != 0 && bst[0] > 0;
        for (int d = 1; ok && d < nd; d++) {
            ok = bst[d] >= 0;
            span += (d == dim ? size - 1 : shape[d] - 1) * bst[d];
        }
        ok = ok && bst[0] > span;
    }
    if (!ok) return run(a, ast, b, bst, idx, ist, shape, nd, dim, size, bad);
    const int64_t n0 = shape[0], bad0 = *bad;
    int64_t nch = total / CT_GATHER_CHUNK;
    if (nch > CT_GATHER_MAXCHUNKS) nch = CT_GATHER_MAXCHUNKS;
    if (nch > n0) nch = n0;
    if (nch < 2) nch = 2;
    int rc[CT_GATHER_MAXCHUNKS];
    int64_t bads[CT_GATHER_MAXCHUNKS];
    _Pragma("omp parallel for num_threads(nt) schedule(dynamic, 1)")
    for (int64_t c = 0; c < nch; c++) {
        const int64_t r0 = n0 * c / nch, r1 = n0 * (c + 1) / nch;
        int64_t sh[CT_MAXDIM];
        for (int d = 0; d < nd; d++) sh[d] = shape[d];
        sh[0] = r1 - r0;
        bads[c] = bad0;
        rc[c] = run((char *)a + r0 * ast[0] * (int64_t)es, ast,
                    dim == 0 ? b : (char *)b + r0 * bst[0] * (int64_t)es, bst,
                    idx + r0 * ist[0], ist, sh, nd, dim, size, &bads[c]);
    }
    for (int64_t c = 0; c < nch; c++)
        if (rc[c]) { *bad = bads[c]; return rc[c]; }
    return 0;
}

/* gather: a[p] = b[p with dim -> idx[p]]  (a = out, b = input). With
 * allow_neg, negative indices count from the end (take). Large gathers whose
 * output rows along the first dim are distinct run as bands of those rows
 * between threads; on bad indices the report is that of the first band with
 * one, so the index named is the first bad one in C order, as in one pass. */
#define CT_GATHER_T(S, T)                                                                \
CT_MULTIVERSION static int ct_gather_run_##S(T *a, const int64_t *ast, const T *b,       \
                  const int64_t *bst, const int64_t *idx, const int64_t *ist,            \
                  const int64_t *shape, int nd, int dim, int64_t size, int64_t *bad) {   \
    CT_WALK_Q(a[pa] = b[pb];, restrict)   /* out never overlaps the input */           \
}                                                                                        \
int ct_gather_##S(T *a, const int64_t *ast, const T *b, const int64_t *bst,              \
                  const int64_t *idx, const int64_t *ist, const int64_t *shape,          \
                  int nd, int dim, int64_t size, int64_t *bad) {                         \
    return ct_walk_bands((ct_walk_fn)ct_gather_run_##S, sizeof(T), 0, a, ast, (void *)b, bst, \
                         idx, ist, shape, nd, dim, size, bad);                           \
}                                                                                        \
/* scatter: b[p with dim -> idx[p]] = a[p]  (b = self, a = src) */                       \
CT_MULTIVERSION static int ct_scatter_run_##S(const T *a, const int64_t *ast, T *b,      \
                   const int64_t *bst, const int64_t *idx, const int64_t *ist,           \
                   const int64_t *shape, int nd, int dim, int64_t size, int64_t *bad) {  \
    CT_WALK(b[pb] = a[pa];)                                                              \
}                                                                                        \
int ct_scatter_##S(const T *a, const int64_t *ast, T *b, const int64_t *bst,             \
                   const int64_t *idx, const int64_t *ist, const int64_t *shape,         \
                   int nd, int dim, int64_t size, int64_t *bad) {                        \
    return ct_walk_bands((ct_walk_fn)ct_scatter_run_##S, sizeof(T), 1, (void *)a, ast, b, bst, \
                         idx, ist, shape, nd, dim, size, bad);                           \
}
CT_GATHER_T(1, uint8_t)
CT_GATHER_T(2, uint16_t)
CT_GATHER_T(4, uint32_t)
CT_GATHER_T(8, uint64_t)
CT_GATHER_T(16, ct_b16)

ct_gather_fn ct_gather_for(int es) {
    switch (es) {
    case 1: return (ct_gather_fn)ct_gather_1;
    case 2: return (ct_gather_fn)ct_gather_2;
    case 4: return (ct_gather_fn)ct_gather_4;
    case 8: return (ct_gather_fn)ct_gather_8;
    default: return (ct_gather_fn)ct_gather_16;
    }
}
ct_scatter_fn ct_scatter_for(int es) {
    switch (es) {
    case 1: return (ct_scatter_fn)ct_scatter_1;
    case 2: return (ct_scatter_fn)ct_scatter_2;
    case 4: return (ct_scatter_fn)ct_scatter_4;
    case 8: return (ct_scatter_fn)ct_scatter_8;
    default: return (ct_scatter_fn)ct_scatter_16;
    }
}

/* scatter_add: b[p with dim -> idx[p]] += a[p]; typed (one macro, a table) */
#define CT_SCATTER_ADD_T(S, T, ADD)                                                      \
CT_MULTIVERSION static int ct_scatter_add_run_##S(const T *a, const int64_t *ast, T *b,  \
                       const int64_t *bst, const int64_t *idx, const int64_t *ist,       \
                       const int64_t *shape, int nd, int dim, int64_t size,              \
                       int64_t *bad) {                                                   \
    CT_WALK(b[pb] = ADD(b[pb], a[pa]);)                                                  \
}                                                                                        \
int ct_scatter_add_##S(const T *a, const int64_t *ast, T *b, const int64_t *bst,         \
                       const int64_t *idx, const int64_t *ist,                           \
                       const int64_t *shape, int nd, int dim, int64_t size,              \
                       int64_t *bad) {                                                   \
    return ct_walk_bands((ct_walk_fn)ct_scatter_add_run_##S, sizeof(T), 1, (void *)a, ast, b, \
                         bst, idx, ist, shape, nd, dim, size, bad);                      \
}
#define CT_PLUS(x, y) ((x) + (y))
#define CT_OR(x, y) ((uint8_t)((x) || (y)))
CT_SCATTER_ADD_T(b1, uint8_t, CT_OR)
CT_SCATTER_ADD_T(u8, uint8_t, CT_PLUS)
CT_SCATTER_ADD_T(i8, int8_t, CT_PLUS)
CT_SCATTER_ADD_T(i16, int16_t, CT_PLUS)
CT_SCATTER_ADD_T(i32, int32_t, CT_PLUS)
CT_SCATTER_ADD_T(i64, int64_t, CT_PLUS)
CT_SCATTER_ADD_T(f16, ct_half, CT_PLUS)
CT_SCATTER_ADD_T(f32, float, CT_PLUS)
CT_SCATTER_ADD_T(f64, double, CT_PLUS)
CT_SCATTER_ADD_T(c64, ct_cfloat, CT_PLUS)
CT_SCATTER_ADD_T(c128, ct_cdouble, CT_PLUS)
/* bfloat16: each step in float, rounded back (as PyTorch's BFloat16 arithmetic) */
static inline ct_bf16 ct_bf_plus(ct_bf16 x, ct_bf16 y) { return ct_f2bf(ct_bf2f(x) + ct_bf2f(y)); }
static inline ct_bf16 ct_bf_times(ct_bf16 x, ct_bf16 y) { return ct_f2bf(ct_bf2f(x) * ct_bf2f(y)); }
/* The max / min of the reducing scatter keep a NaN: y replaces x when y > x
 * (y < x) or y is NaN (a NaN x is never replaced). The choice is a select of
 * the bits, not a branch: which of two random values wins is unpredictable,
 * and GCC turns a plain ?: on floats into a conditional store. */
#define CT_SEL_BITS(U, x, y, take)                                                       \
    {                                                                                    \
        U xb_, yb_, m_ = (U)0 - (U)(take);                                               \
        memcpy(&xb_, &x, sizeof(U)); memcpy(&yb_, &y, sizeof(U));                        \
        xb_ = (xb_ & (U)~m_) | (yb_ & m_);                                               \
        memcpy(&x, &xb_, sizeof(U));                                                     \
        return x;                                                                        \
    }
/* float / double: y replaces a number x when it is not <= x (>= for min), so
 * when it is larger or NaN; one ordered compare and the rare take as a
 * branch (a running max is seldom replaced), with no move through the
 * integer registers and no store where x stays (CT_SCATTER_TAKE_T below) */
#define CT_TAKE_MAX(x, y) (((x) == (x)) & !((y) <= (x)))
#define CT_TAKE_MIN(x, y) (((x) == (x)) & !((y) >= (x)))
static inline ct_half ct_maxn_f16(ct_half x, ct_half y) CT_SEL_BITS(uint16_t, x, y, ((float)y > (float)x) | (y != y))
static inline ct_half ct_minn_f16(ct_half x, ct_half y) CT_SEL_BITS(uint16_t, x, y, ((float)y < (float)x) | (y != y))
static inline ct_bf16 ct_bf_max(ct_bf16 x, ct_bf16 y) {
    float a = ct_bf2f(x), b = ct_bf2f(y);
    CT_SEL_BITS(uint16_t, x, y, (a == a) & ((b > a) | (b != b)))
}
static inline ct_bf16 ct_bf_min(ct_bf16 x, ct_bf16 y) {
    float a = ct_bf2f(x), b = ct_bf2f(y);
    CT_SEL_BITS(uint16_t, x, y, (a == a) & ((b < a) | (b != b)))
}
CT_SCATTER_ADD_T(bf16, ct_bf16, ct_bf_plus)

ct_scatter_fn ct_scatter_add_loops[CT_NDTYPES] = {
    (ct_scatter_fn)ct_scatter_add_b1, (ct_scatter_fn)ct_scatter_add_u8,
    (ct_scatter_fn)ct_scatter_add_i8, (ct_scatter_fn)ct_scatter_add_i16,
    (ct_scatter_fn)ct_scatter_add_i32, (ct_scatter_fn)ct_scatter_add_i64,
    (ct_scatter_fn)ct_scatter_add_f16, (ct_scatter_fn)ct_scatter_add_f32,
    (ct_scatter_fn)ct_scatter_add_f64, (ct_scatter_fn)ct_scatter_add_c64,
    (ct_scatter_fn)ct_scatter_add_c128, (ct_scatter_fn)ct_scatter_add_bf16,
};

/* index_add of whole rows: dst[o, idx[i], :] += src[o, i, :] for a contiguous
 * dst (outer, size, inner) and src element (o, i, j) at o so + i si + j sj
 * (element strides; sj 0 for a gradient spread from one value). Each
 * destination element takes its adds in index order, whatever the threads:
 * they split the outer slices, or the destination rows (each thread reading
 * the whole index for the rows of its range), or the columns. A vector add a
 * row where the general scatter walked element by element. */
#define CT_IADD_ROW(T, d, s)                                                             \
    if (sj == 1) { for (int64_t j = j0; j < j1; j++) (d)[j] += (s)[j]; }                \
    else if (sj == 0) { const T v_ = (s)[0]; for (int64_t j = j0; j < j1; j++) (d)[j] += v_; } \
    else { for (int64_t j = j0; j < j1; j++) (d)[j] += (s)[j * sj]; }
#define CT_INDEX_ADD_T(S, T)                                                             \
CT_MULTIVERSION static void ct_iadd_part_##S(T *dst, const T *src, int64_t o0, int64_t o1, \
        int64_t size, int64_t n, int64_t inner, const int64_t *idx, int64_t so,          \
        int64_t si, int64_t sj, int64_t r0, int64_t r1, int64_t j0, int64_t j1) {        \
    if (inner == 1 && j0 == 0 && j1 == 1) {                                              \
        /* along the last dim: one element an index, in a tight loop (the     \
           row loop's setup per element took 1.6x PyTorch's time) */          \
        for (int64_t o = o0; o < o1; o++) {                                              \
            T *d = dst + o * size;                                                       \
            const T *s = src + o * so;                                                   \
            if (r0 == 0 && r1 == size)                                                   \
                for (int64_t i = 0; i < n; i++) d[idx[i]] += s[i * si];                  \
            else                                                                         \
                for (int64_t i = 0; i < n; i++) {                                        \
                    const int64_t r = idx[i];                                            \
                    if (r >= r0 && r < r1) d[r] += s[i * si];                            \
                }                                                                        \
        }                                                                                \
        return;                                                                          \
    }                                                                                    \
    for (int64_t o = o0; o < o1; o++)                                                    \
        for (int64_t i = 0; i < n; i++) {                                                \
            const int64_t r = idx[i];                                                    \
            if (r < r0 || r >= r1) continue;                                             \
            T *d = dst + (o * size + r) * inner;                                         \
            const T *s = src + o * so + i * si;                                          \
            CT_IADD_ROW(T, d, s)                                                         \
        }                                                                                \
}                                                                                        \
static void ct_index_add_##S(void *dst, const void *src, int64_t outer, int64_t size,    \
        int64_t n, int64_t inner, const int64_t *idx, int64_t so, int64_t si, int64_t sj) { \
    int nt = ct_get_num_threads();                                                       \
    int64_t work = outer * n * inner;                                                    \
    int how = nt < 2 || work * (int64_t)sizeof(T) < CT_SHAPE_PAR_BYTES ? 0                \
              : outer >= 2 * (int64_t)nt ? 1 : size >= 2 * (int64_t)nt ? 2                \
              : inner >= 256 * (int64_t)nt ? 3 : 0;                                      \
    if (how == 0) {                                                                      \
        ct_iadd_part_##S((T *)dst, (const T *)src, 0, outer, size, n, inner, idx, so, si, \
                         sj, 0, size, 0, inner);                                          \
        return;                                                                          \
    }                                                                                    \
    const int64_t parts = how == 1 ? (outer < 4 * (int64_t)nt ? outer : 4 * (int64_t)nt)  \
                                   : (int64_t)nt;                                        \
    _Pragma("omp parallel for num_threads(nt) schedule(static)")                         \
    for (int64_t p = 0; p < parts; p++) {                                                \
        int64_t o0 = 0, o1 = outer, r0 = 0, r1 = size, j0 = 0, j1 = inner;               \
        if (how == 1) { o0 = outer * p / parts; o1 = outer * (p + 1) / parts; }          \
        else if (how == 2) { r0 = size * p / parts; r1 = size * (p + 1) / parts; }       \
        else { j0 = inner * p / parts; j1 = inner * (p + 1) / parts; }                   \
        ct_iadd_part_##S((T *)dst, (const T *)src, o0, o1, size, n, inner, idx, so, si,  \
                         sj, r0, r1, j0, j1);                                            \
    }                                                                                    \
}
CT_INDEX_ADD_T(i32, int32_t)
CT_INDEX_ADD_T(i64, int64_t)
CT_INDEX_ADD_T(f32, float)
CT_INDEX_ADD_T(f64, double)
ct_index_add_fn ct_index_add_loops[CT_NDTYPES] = {
    [CT_INT32] = ct_index_add_i32, [CT_INT64] = ct_index_add_i64,
    [CT_FLOAT32] = ct_index_add_f32, [CT_FLOAT64] = ct_index_add_f64,
};

/* the reducing scatter: b[p with dim -> idx[p]] = OP(b[..], a[p]) for prod,
 * amax and amin (the max/min propagate NaN, as PyTorch's do) */
#define CT_SCATTER_RED_T(S, T, NAME, OP)                                                 \
CT_MULTIVERSION static int ct_scatter_##NAME##_##S(const T *a, const int64_t *ast, T *b, const int64_t *bst, \
                                   const int64_t *idx, const int64_t *ist,               \
                                   const int64_t *shape, int nd, int dim, int64_t size,  \
                                   int64_t *bad) {                                       \
    CT_WALK(b[pb] = OP(b[pb], a[pa]);)                                                   \
}
#define CT_TIMES(x, y) ((x) * (y))
#define CT_AND(x, y) ((uint8_t)((x) && (y)))
#define CT_MAXN(x, y) ((x) != (x) ? (x) : (y) != (y) ? (y) : (y) > (x) ? (y) : (x))
#define CT_MINN(x, y) ((x) != (x) ? (x) : (y) != (y) ? (y) : (y) < (x) ? (y) : (x))
#define CT_SCATTER_RED_REAL(S, T, PROD)                                                  \
    CT_SCATTER_RED_T(S, T, prod, PROD) CT_SCATTER_RED_T(S, T, amax, CT_MAXN)             \
    CT_SCATTER_RED_T(S, T, amin, CT_MINN)
CT_SCATTER_RED_REAL(b1, uint8_t, CT_AND)
CT_SCATTER_RED_REAL(u8, uint8_t, CT_TIMES)
CT_SCATTER_RED_REAL(i8, int8_t, CT_TIMES)
CT_SCATTER_RED_REAL(i16, int16_t, CT_TIMES)
CT_SCATTER_RED_REAL(i32, int32_t, CT_TIMES)
CT_SCATTER_RED_REAL(i64, int64_t, CT_TIMES)
#define CT_SCATTER_RED_FLOAT(S, T)                                                       \
    CT_SCATTER_RED_T(S, T, prod, CT_TIMES) CT_SCATTER_RED_T(S, T, amax, ct_maxn_##S)     \
    CT_SCATTER_RED_T(S, T, amin, ct_minn_##S)
/* float / double max and min: b written only where y takes the place (a
 * store of the unchanged value after every element would tie each load of
 * a bin to the last store to it: amax of 1e6 into 1000 bins 1.3 ms, 0.9 ms
 * this way) */
#define CT_SCATTER_TAKE_T(S, T, NAME, TAKE)                                              \
CT_MULTIVERSION static int ct_scatter_##NAME##_##S(const T *a, const int64_t *ast, T *b, const int64_t *bst, \
                                   const int64_t *idx, const int64_t *ist,               \
                                   const int64_t *shape, int nd, int dim, int64_t size,  \
                                   int64_t *bad) {                                       \
    CT_WALK({ const T y_ = a[pa]; const T x_ = b[pb]; if (TAKE(x_, y_)) b[pb] = y_; })   \
}
#define CT_SCATTER_TAKE_FLOAT(S, T)                                                      \
    CT_SCATTER_RED_T(S, T, prod, CT_TIMES) CT_SCATTER_TAKE_T(S, T, amax, CT_TAKE_MAX)    \
    CT_SCATTER_TAKE_T(S, T, amin, CT_TAKE_MIN)
CT_SCATTER_RED_FLOAT(f16, ct_half)
CT_SCATTER_TAKE_FLOAT(f32, float)
CT_SCATTER_TAKE_FLOAT(f64, double)
CT_SCATTER_RED_T(c64, ct_cfloat, prod, CT_TIMES)
CT_SCATTER_RED_T(c128, ct_cdouble, prod, CT_TIMES)
CT_SCATTER_RED_T(bf16, ct_bf16, prod, ct_bf_times)
CT_SCATTER_RED_T(bf16, ct_bf16, amax, ct_bf_max)
CT_SCATTER_RED_T(bf16, ct_bf16, amin, ct_bf_min)

#define CT_RED_ROW(NAME, C64, C128)                                                      \
    (ct_scatter_fn)ct_scatter_##NAME##_b1, (ct_scatter_fn)ct_scatter_##NAME##_u8,        \
    (ct_scatter_fn)ct_scatter_##NAME##_i8, (ct_scatter_fn)ct_scatter_##NAME##_i16,       \
    (ct_scatter_fn)ct_scatter_##NAME##_i32, (ct_scatter_fn)ct_scatter_##NAME##_i64,      \
    (ct_scatter_fn)ct_scatter_##NAME##_f16, (ct_scatter_fn)ct_scatter_##NAME##_f32,      \
    (ct_scatter_fn)ct_scatter_##NAME##_f64, C64, C128, (ct_scatter_fn)ct_scatter_##NAME##_bf16
ct_scatter_fn ct_scatter_reduce_loops[3 * CT_NDTYPES] = {
    CT_RED_ROW(prod, (ct_scatter_fn)ct_scatter_prod_c64, (ct_scatter_fn)ct_scatter_prod_c128),
    CT_RED_ROW(amax, NULL, NULL),
    CT_RED_ROW(amin, NULL, NULL),
};

