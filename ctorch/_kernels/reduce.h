/* Reductions over the CPU: sums (rows and columns; NaN-skipping rows), max/min
 * (values and first index), median, prod, cumulative sums/products/log-sum-
 * exps, running max/min with indices and (log-)softmax.
 * Declarations: the kernel types, the tables indexed by dtype code and the
 * per-dtype kernels behind them; the kernels are in reduce.c.
 *
 * Every kernel works on the "rows" layout that the caller arranges (reduced
 * dims moved next to each other, made dense): row r is x[r*ld .. r*ld + len);
 * the column sums reduce the outer dims of an n x cols block instead. Scan
 * kernels (cum*, softmax) write a dense output row of the same length.
 */
#ifndef CT_REDUCE_H
#define CT_REDUCE_H

#include "common.h"

/* ---- sums -------------------------------------------------------------- */

typedef void (*ct_sum_rows_fn)(const void *x, int64_t rows, int64_t len, int64_t ld, void *out);
typedef void (*ct_sum_cols_fn)(const void *x, int64_t n, int64_t cols, int64_t ld, void *out);
typedef void (*ct_sum_mid_fn)(const void *x, int64_t outer, int64_t n, int64_t cols, void *out);

/* indexed by dtype code; integer inputs are converted to int64 first; the bool
 * row kernel counts the nonzero bytes of each row into int64 (out: int64_t *) */
extern ct_sum_rows_fn ct_sum_rows_loops[CT_NDTYPES];
extern ct_sum_cols_fn ct_sum_cols_loops[CT_NDTYPES];
extern ct_sum_mid_fn ct_sum_mid_loops[CT_NDTYPES];

/* out[r] = sum(x[r*ld .. r*ld+len)), r < rows */
#define CT_SUM_ROWS_DECL(S, T) \
    void ct_sum_rows_##S(const T *x, int64_t rows, int64_t len, int64_t ld, T *out);
/* out[c] = sum over i < n of x[i*ld + c], c < cols */
#define CT_SUM_COLS_DECL(S, T) \
    void ct_sum_cols_##S(const T *x, int64_t n, int64_t cols, int64_t ld, T *out);
/* out[o*cols + c] = sum over i < n of x[(o*n + i)*cols + c], o < outer, c < cols */
#define CT_SUM_MID_DECL(S, T) \
    void ct_sum_mid_##S(const T *x, int64_t outer, int64_t n, int64_t cols, T *out);

/* ---- max/min, median ---------------------------------------------------- */

/* values (val) and/or first indices (idx) of the max (is_max 1) or min
 * (is_max 0) of each row; NaN propagates (the first NaN of a row is the
 * result). is_max 2 (CPU only): both in one pass, the min of row r at
 * val[2 r] and its max at val[2 r + 1], idx unused. */
typedef void (*ct_minmax_fn)(const void *x, int64_t rows, int64_t len, int64_t ld, int is_max,
                             void *val, int64_t *idx);
extern ct_minmax_fn ct_minmax_loops[CT_NDTYPES];
#define CT_MINMAX_DECL(S, T)                                                      \
    void ct_minmax_rows_##S(const T *x, int64_t rows, int64_t len, int64_t ld,    \
                            int is_max, T *val, int64_t *idx);

/* the lower median of each row (its first NaN when it has one); returns -1
 * when out of memory */
typedef int (*ct_median_fn)(const void *x, int64_t rows, int64_t len, int64_t ld,
                            void *val, int64_t *idx);
extern ct_median_fn ct_median_loops[CT_NDTYPES];
#define CT_MEDIAN_DECL(S, T)                                                      \
    int ct_median_rows_##S(const T *x, int64_t rows, int64_t len, int64_t ld,     \
                           T *val, int64_t *idx);

/* ---- prod, cumsum, cumprod, softmax -------------------------------------- */

/* the input is already in the accumulation dtype (int64 for integers) */
typedef void (*ct_prod_fn)(const void *x, int64_t rows, int64_t len, int64_t ld, void *out);
/* is_prod: 0 cumsum, 1 cumprod, 2 logcumsumexp (floating dtypes only) */
typedef void (*ct_cum_fn)(const void *x, int64_t rows, int64_t len, int64_t ld, int is_prod, void *out);
extern ct_prod_fn ct_prod_loops[CT_NDTYPES];
extern ct_cum_fn ct_cum_loops[CT_NDTYPES];
#define CT_PRODSCAN_DECL(S, T)                                                    \
    void ct_prod_rows_##S(const T *x, int64_t rows, int64_t len, int64_t ld, T *out); \
    void ct_cum_rows_##S(const T *x, int64_t rows, int64_t len, int64_t ld,       \
                         int is_prod, T *out);

/* softmax (is_log 0) or log_softmax along rows: float32, float64 */
typedef void (*ct_softmax_fn)(const void *x, int64_t rows, int64_t len, int64_t ld, int is_log, void *out);
extern ct_softmax_fn ct_softmax_loops[CT_NDTYPES];
/* softmax and log_softmax along the middle dim of a dense outer x len x inner
 * block (float32, float64), and their backward: op 0 softmax, 1 log_softmax
 * (a the input, b unused), 2 softmax backward, 3 log_softmax backward (a the
 * output's gradient, b the output); out dense, of the same shape. -1 for
 * another op or dtype. */
int ct_softmax_dim(int op, int dtype, const void *a, const void *b, int64_t outer, int64_t len,
                   int64_t inner, void *out);
#define CT_SOFTMAX_DECL(S, T)                                                     \
    void ct_softmax_rows_##S(const T *x, int64_t rows, int64_t len, int64_t ld,   \
                             int is_log, T *out);

/* the per-dtype kernels that the tables hold */
CT_SUM_ROWS_DECL(i64, int64_t) CT_SUM_ROWS_DECL(f16, ct_half) CT_SUM_ROWS_DECL(f32, float)
CT_SUM_ROWS_DECL(f64, double) CT_SUM_ROWS_DECL(c64, ct_cfloat) CT_SUM_ROWS_DECL(c128, ct_cdouble)
CT_SUM_COLS_DECL(i64, int64_t) CT_SUM_COLS_DECL(f16, ct_half) CT_SUM_COLS_DECL(f32, float)
CT_SUM_COLS_DECL(f64, double) CT_SUM_COLS_DECL(c64, ct_cfloat) CT_SUM_COLS_DECL(c128, ct_cdouble)
CT_SUM_MID_DECL(i64, int64_t) CT_SUM_MID_DECL(f16, ct_half) CT_SUM_MID_DECL(f32, float)
CT_SUM_MID_DECL(f64, double) CT_SUM_MID_DECL(c64, ct_cfloat) CT_SUM_MID_DECL(c128, ct_cdouble)
CT_MINMAX_DECL(b8, uint8_t) CT_MINMAX_DECL(u8, uint8_t) CT_MINMAX_DECL(i8, int8_t)
CT_MINMAX_DECL(i16, int16_t) CT_MINMAX_DECL(i32, int32_t) CT_MINMAX_DECL(i64, int64_t)
CT_MINMAX_DECL(f32, float) CT_MINMAX_DECL(f64, double)
CT_MEDIAN_DECL(u8, uint8_t) CT_MEDIAN_DECL(i8, int8_t) CT_MEDIAN_DECL(i16, int16_t)
CT_MEDIAN_DECL(i32, int32_t) CT_MEDIAN_DECL(i64, int64_t)
CT_MEDIAN_DECL(f32, float) CT_MEDIAN_DECL(f64, double)
CT_PRODSCAN_DECL(i64, int64_t) CT_PRODSCAN_DECL(f32, float)
CT_PRODSCAN_DECL(f64, double) CT_PRODSCAN_DECL(c64, ct_cfloat) CT_PRODSCAN_DECL(c128, ct_cdouble)
CT_SOFTMAX_DECL(f32, float) CT_SOFTMAX_DECL(f64, double)
/* bfloat16 sums: widened a block at a time, accumulated in float; the
 * other bfloat16 and float16 row kernels (max / min, median, prod, softmax,
 * cummax / cummin) are reduce.c's wrappers over the float32 ones */
CT_SUM_ROWS_DECL(bf16, ct_bf16) CT_SUM_COLS_DECL(bf16, ct_bf16) CT_SUM_MID_DECL(bf16, ct_bf16)
CT_SUM_ROWS_DECL(nan_bf16, ct_bf16)

/* ---- nansum, cummax / cummin --------------------------------------------- */

/* out[r] = sum of the non-NaN elements of row r (float16/32/64; the sum's
 * accumulation and order are those of ct_sum_rows) */
extern ct_sum_rows_fn ct_nansum_rows_loops[CT_NDTYPES];
CT_SUM_ROWS_DECL(nan_f16, ct_half) CT_SUM_ROWS_DECL(nan_f32, float) CT_SUM_ROWS_DECL(nan_f64, double)

/* running max (is_max) or min of each row and the index it came from:
 * element i replaces the running value when it is >= (<=) it or NaN, so
 * ties give the latest index and a NaN sticks until the next NaN (PyTorch's
 * rule); val and idx are dense rows of len */
typedef void (*ct_cumext_fn)(const void *x, int64_t rows, int64_t len, int64_t ld, int is_max,
                             void *val, int64_t *idx);
extern ct_cumext_fn ct_cumext_loops[CT_NDTYPES];
#define CT_CUMEXT_DECL(S, T)                                                      \
    void ct_cumext_rows_##S(const T *x, int64_t rows, int64_t len, int64_t ld,    \
                            int is_max, T *val, int64_t *idx);
CT_CUMEXT_DECL(b8, uint8_t) CT_CUMEXT_DECL(u8, uint8_t) CT_CUMEXT_DECL(i8, int8_t)
CT_CUMEXT_DECL(i16, int16_t) CT_CUMEXT_DECL(i32, int32_t) CT_CUMEXT_DECL(i64, int64_t)
CT_CUMEXT_DECL(f32, float) CT_CUMEXT_DECL(f64, double)

/* ---- reductions over columns -------------------------------------------- */

/* out[o * cols + c] = op over i < n of x[o * n * ld + i * ld + c] for o < outer,
 * c < cols (each of `outer` slices the leading dims of a contiguous
 * tensor's block; threads take blocks of columns of every slice): op
 * CT_RCOLS_MAX / MIN (values and, when idx is not
 * NULL, first indices; bool, the integers, float32/64), PROD (int64,
 * float32/64), NANSUM, NORM2 (the 2-norm), LOGSUMEXP (float32/64). Returns
 * 0, or -1 for an op / dtype it lacks (the caller then reduces rows of a
 * transposed copy). */
enum { CT_RCOLS_MAX = 0, CT_RCOLS_MIN = 1, CT_RCOLS_PROD = 2, CT_RCOLS_NANSUM = 3,
       CT_RCOLS_NORM2 = 4, CT_RCOLS_LOGSUMEXP = 5 };
int ct_reduce_cols(int op, int dtype, const void *x, int64_t outer, int64_t n, int64_t cols,
                   int64_t ld, void *out, int64_t *idx);

/* ---- fused reductions of rows -------------------------------------------- */

/* out[r] = op of row r (x[r*ld .. r*ld+len)), float32/64: CT_RROWS_NORM2 the
 * 2-norm (the squares summed in the sum kernels' order, then the square
 * root), CT_RROWS_LOGSUMEXP max + log(sum(exp(x - max))) (a max of +-inf
 * shifts by 0; NaN rows give NaN), CT_RROWS_SQDEV sum((x - m)^2) with m the
 * value of out[r] on entry (var / std about the mean; also complex64 /
 * complex128, the sum of both parts' squared deviations written as the real
 * part of out[r]). Returns 0, or -1 for
 * an op / dtype it lacks (the caller then composes other ops). */
enum { CT_RROWS_NORM2 = 0, CT_RROWS_LOGSUMEXP = 1, CT_RROWS_SQDEV = 2 };
int ct_reduce_rows(int op, int dtype, const void *x, int64_t rows, int64_t len, int64_t ld,
                   void *out);

/* ---- equal ---------------------------------------------------------------- */

/* 1 / 0: whether dense a and b, n elements of dtype, hold equal values
 * (integers and bool by their bytes; floats by value: NaN unequal, -0 equal
 * to 0), the first unequal block ending every thread's scan; -1 for the
 * complex dtypes */
int ct_equal_dense(int dtype, const void *a, const void *b, int64_t n);

/* how many of the n dense elements of dtype are nonzero (floats: != 0, so
 * NaN counts and -0 does not; complex: either part; half by its bits
 * without the sign); threads from 1 MiB on; -1 for a dtype it lacks */
int64_t ct_count_nonzero_dense(int dtype, const void *x, int64_t n);

/* ---- sums of runs with a small step ----------------------------------------- */

/* out[r] = the sum of row r of an nd-dim float32 / float64 view (shape, and
 * strides in elements, from base), its first nk dims the rows' (their
 * product rows) and the rest summed, its last dim's stride k dividing 64
 * (a slice x[..., ::k]): every run of the last dim summed over its whole
 * span (ct_sum_step_*), the runs' sums added in double. 0, or -1 for a
 * dtype or stride it lacks or out of memory (the caller then copies) */
int ct_sum_step(int dtype, int nd, const int64_t *shape, const int64_t *stride,
                const void *base, int nk, void *out);

#endif
