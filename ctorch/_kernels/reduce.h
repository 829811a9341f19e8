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
#ifndef CT_REDUCE_H
#define CT_REDUCE_H

#include "common.h"

#define CT_PAIRWISE_BLOCK 4096
/* independent accumulators: enough separate add chains to hide the add
 * latency even when one 512-bit register holds 16 of them */
#define CT_SUM_LANES 64
#define CT_SUM_CHUNK (1 << 18)   /* elements per parallel chunk of one long sum */
#define CT_SUM_MAXCHUNKS 1024

#define CT_SUM_KERNELS(S, T, ACC)                                                 \
CT_MULTIVERSION static ACC ct_sum_block_##S(const T *x, int64_t n) {                  \
    ACC acc[CT_SUM_LANES] = {0};                                                  \
    int64_t i = 0;                                                                \
    for (; i + CT_SUM_LANES <= n; i += CT_SUM_LANES)                              \
        for (int k = 0; k < CT_SUM_LANES; k++) acc[k] += (ACC)x[i + k];           \
    ACC tail = 0;                                                                 \
    for (; i < n; i++) tail += (ACC)x[i];                                         \
    for (int w = CT_SUM_LANES / 2; w > 0; w >>= 1)                                \
        for (int k = 0; k < w; k++) acc[k] += acc[k + w];                         \
    return acc[0] + tail;                                                         \
}                                                                                 \
static ACC ct_sum_pairwise_##S(const T *x, int64_t n) {                           \
    if (n <= CT_PAIRWISE_BLOCK) return ct_sum_block_##S(x, n);                    \
    int64_t half = (n / 2 + CT_SUM_LANES - 1) & ~(int64_t)(CT_SUM_LANES - 1);                                   \
    return ct_sum_pairwise_##S(x, half) + ct_sum_pairwise_##S(x + half, n - half); \
}                                                                                 \
/* out[r] = sum(x[r*ld .. r*ld+len)), r < rows; threads split rows, or the    */  \
/* halves of one long row                                                     */  \
static void ct_sum_rows_##S(const T *x, int64_t rows, int64_t len, int64_t ld,    \
                            T *out) {                                             \
    int nt = ct_get_num_threads();                                                \
    if (rows == 1 && nt > 1 && len >= 65536) {                                    \
        /* fixed chunks handed out dynamically: a thread that the OS      */      \
        /* pauses does not hold the others up, and the result does not   */      \
        /* depend on the thread count                                     */      \
        ACC part[CT_SUM_MAXCHUNKS];                                               \
        int64_t ch = CT_SUM_CHUNK;                                                \
        if ((len + ch - 1) / ch > CT_SUM_MAXCHUNKS)                               \
            ch = ((len + CT_SUM_MAXCHUNKS - 1) / CT_SUM_MAXCHUNKS + CT_SUM_LANES - 1) \
                 & ~(int64_t)(CT_SUM_LANES - 1);                                  \
        int64_t nch = (len + ch - 1) / ch;                                        \
        _Pragma("omp parallel for num_threads(nt) schedule(dynamic, 1)")          \
        for (int64_t c = 0; c < nch; c++) {                                       \
            int64_t a = ch * c, m = len - a < ch ? len - a : ch;                  \
            part[c] = ct_sum_pairwise_##S(x + a, m);                              \
        }                                                                         \
        ACC s = 0;                                                                \
        for (int64_t c = 0; c < nch; c++) s += part[c];                           \
        out[0] = (T)s;                                                            \
        return;                                                                   \
    }                                                                             \
    if (nt > 1 && rows * len >= 65536) {                                          \
        int64_t rc = len >= 65536 ? 1 : 65536 / len;                              \
        _Pragma("omp parallel for num_threads(nt) schedule(dynamic, rc)")         \
        for (int64_t r = 0; r < rows; r++) out[r] = (T)ct_sum_pairwise_##S(x + r * ld, len); \
    } else {                                                                      \
        for (int64_t r = 0; r < rows; r++) out[r] = (T)ct_sum_pairwise_##S(x + r * ld, len); \
    }                                                                             \
}                                                                                 \
/* out[c] = sum over i < n of x[i*ld + c], c < cols: rows are added into       */ \
/* accumulators of a column block at a time (vector adds along c), in blocks   */ \
/* of rows so that the error stays bounded                                     */ \
CT_MULTIVERSION static void ct_sum_cols_block_##S(const T *x, int64_t n, int64_t cols, \
                                               int64_t ld, ACC *acc) {            \
    for (int64_t i = 0; i < n; i++) {                                             \
        const T *row = x + i * ld;                                                \
        for (int64_t c = 0; c < cols; c++) acc[c] += (ACC)row[c];                 \
    }                                                                             \
}                                                                                 \
static void ct_sum_cols_##S(const T *x, int64_t n, int64_t cols, int64_t ld, T *out) { \
    const int64_t CB = 256;                                                       \
    int64_t nblocks = (cols + CB - 1) / CB;                                       \
    int nt = ct_get_num_threads();                                                \
    if (nt > 1 && n * cols >= 65536 && nblocks > 1) {                             \
        _Pragma("omp parallel for num_threads(nt) schedule(static)")              \
        for (int64_t b = 0; b < nblocks; b++) ct__sum_cols_one_##S(x, n, cols, ld, out, b * CB, CB); \
    } else {                                                                      \
        for (int64_t b = 0; b < nblocks; b++) ct__sum_cols_one_##S(x, n, cols, ld, out, b * CB, CB); \
    }                                                                             \
}

/* one block of columns [c0, c0 + cb): partial sums over 512 rows at a time */
#define CT_SUM_COLS_ONE(S, T, ACC)                                                \
static void ct__sum_cols_one_##S(const T *x, int64_t n, int64_t cols, int64_t ld, \
                                 T *out, int64_t c0, int64_t cb) {                \
    ACC total[256], part[256];                                                    \
    int64_t w = cols - c0 < cb ? cols - c0 : cb;                                  \
    for (int64_t c = 0; c < w; c++) total[c] = 0;                                 \
    for (int64_t i = 0; i < n; i += 512) {                                        \
        int64_t m = n - i < 512 ? n - i : 512;                                    \
        for (int64_t c = 0; c < w; c++) part[c] = 0;                              \
        ct_sum_cols_block_##S(x + i * ld + c0, m, w, ld, part);                   \
        for (int64_t c = 0; c < w; c++) total[c] += part[c];                      \
    }                                                                             \
    for (int64_t c = 0; c < w; c++) out[c0 + c] = (T)total[c];                    \
}

#define CT_SUM_ALL(S, T, ACC)                                                     \
    static void ct__sum_cols_one_##S(const T *, int64_t, int64_t, int64_t, T *, int64_t, int64_t); \
    CT_SUM_KERNELS(S, T, ACC)                                                     \
    CT_SUM_COLS_ONE(S, T, ACC)

/* integer sums accumulate in (and are computed as) int64; floats in their own
 * type; half in float */
CT_SUM_ALL(i64, int64_t, int64_t)
CT_SUM_ALL(f16, ct_half, float)
CT_SUM_ALL(f32, float, float)
CT_SUM_ALL(f64, double, double)
CT_SUM_ALL(c64, ct_cfloat, ct_cfloat)
CT_SUM_ALL(c128, ct_cdouble, ct_cdouble)

typedef void (*ct_sum_rows_fn)(const void *x, int64_t rows, int64_t len, int64_t ld, void *out);
typedef void (*ct_sum_cols_fn)(const void *x, int64_t n, int64_t cols, int64_t ld, void *out);

/* indexed by dtype code; integer and bool inputs are converted to int64 first */
static ct_sum_rows_fn ct_sum_rows_loops[CT_NDTYPES] = {
    NULL, NULL, NULL, NULL, NULL, (ct_sum_rows_fn)ct_sum_rows_i64,
    (ct_sum_rows_fn)ct_sum_rows_f16, (ct_sum_rows_fn)ct_sum_rows_f32,
    (ct_sum_rows_fn)ct_sum_rows_f64, (ct_sum_rows_fn)ct_sum_rows_c64,
    (ct_sum_rows_fn)ct_sum_rows_c128,
};
static ct_sum_cols_fn ct_sum_cols_loops[CT_NDTYPES] = {
    NULL, NULL, NULL, NULL, NULL, (ct_sum_cols_fn)ct_sum_cols_i64,
    (ct_sum_cols_fn)ct_sum_cols_f16, (ct_sum_cols_fn)ct_sum_cols_f32,
    (ct_sum_cols_fn)ct_sum_cols_f64, (ct_sum_cols_fn)ct_sum_cols_c64,
    (ct_sum_cols_fn)ct_sum_cols_c128,
};

#endif
