/* Sorting and searching over the CPU: sort/argsort, topk, kthvalue and
 * searchsorted. Declarations: the kernel types, their tables indexed by
 * dtype code (bool, integers, half, float, double; no complex) and the
 * per-dtype kernels behind them; the kernels are in sort.c.
 *
 * Every order is total and stable: ties keep input order. The caller
 * arranges the "rows" layout: row r is x[r*ld .. r*ld + len), outputs are
 * dense rows. Return codes of sort, topk and kth: 0 done, 1 out of memory,
 * 2 row too long for 32-bit indices.
 */
#ifndef CT_SORT_H
#define CT_SORT_H

#include "common.h"
#include <stdlib.h>
#include <string.h>

/* values and indices of each row in ascending (or descending: desc) order;
 * scratch: ct_sort_scratch_bytes(rows, len, 0, itemsize) bytes, or NULL */
typedef int (*ct_sort_fn)(const void *x, int64_t rows, int64_t len, int64_t ld, int desc,
                          void *val, int64_t *idx, void *scratch);
/* bytes of scratch that sort, topk (extra: k) and kth want for rows of len
 * elements of a dtype of `itemsize` bytes (freshly allocated memory faults
 * its pages in on every call: callers take it from the tensor allocator) */
int64_t ct_sort_scratch_bytes(int64_t rows, int64_t len, int64_t extra, int itemsize);
/* the k best of each row: largest (largest) or smallest, ties in input
 * order; out rows are k long; scratch: ct_sort_scratch_bytes(rows, len, k,
 * itemsize) bytes, or NULL */
typedef int (*ct_topk_fn)(const void *x, int64_t rows, int64_t len, int64_t ld, int64_t k,
                          int largest, void *val, int64_t *idx, void *scratch);
/* the k-th smallest (k >= 1) of each row and its index; scratch as sort's */
typedef int (*ct_kth_fn)(const void *x, int64_t rows, int64_t len, int64_t ld, int64_t k,
                         void *val, int64_t *idx, void *scratch);
/* searchsorted: for each value, the number of boundaries that go before it
 * (left counts b with !(b >= v), right counts b with !(b > v)); boundaries
 * are rows of m (brows == 1: one row for every value), values rows of nv;
 * sorter (or NULL) permutes each boundary row; out is int32 (out32) or int64 */
typedef void (*ct_search_fn)(const void *b, int64_t brows, int64_t m, const int64_t *sorter,
                             const void *v, int64_t rows, int64_t nv, int right, int out32, void *out);

extern ct_sort_fn ct_sort_loops[CT_NDTYPES];
extern ct_topk_fn ct_topk_loops[CT_NDTYPES];
extern ct_kth_fn ct_kth_loops[CT_NDTYPES];
extern ct_search_fn ct_search_loops[CT_NDTYPES];

/* 1 when some sorter entry is outside [0, m) */
int ct_sorter_bad(const int64_t *s, int64_t n, int64_t m);

/* the per-dtype kernels that the tables hold */
#define CT_SORT_DECL(S)                                                           \
    int ct_sort_rows_##S(const void *xv, int64_t rows, int64_t len, int64_t ld, int desc, \
                         void *valv, int64_t *idx, void *scratch);                \
    int ct_topk_rows_##S(const void *xv, int64_t rows, int64_t len, int64_t ld, int64_t k, \
                         int largest, void *valv, int64_t *idx, void *scratch);   \
    int ct_kth_rows_##S(const void *xv, int64_t rows, int64_t len, int64_t ld, int64_t k, \
                        void *valv, int64_t *idx, void *scratch);
#define CT_SEARCH_DECL(S)                                                         \
    void ct_search_##S(const void *bv, int64_t brows, int64_t m, const int64_t *sorter, \
                       const void *vv, int64_t rows, int64_t nv, int right, int out32, void *out);
CT_SORT_DECL(b8) CT_SORT_DECL(u8) CT_SORT_DECL(i8) CT_SORT_DECL(i16) CT_SORT_DECL(i32)
CT_SORT_DECL(i64) CT_SORT_DECL(f16) CT_SORT_DECL(f32) CT_SORT_DECL(f64) CT_SORT_DECL(bf16)
CT_SEARCH_DECL(u8) CT_SEARCH_DECL(i8) CT_SEARCH_DECL(i16) CT_SEARCH_DECL(i32)
CT_SEARCH_DECL(i64) CT_SEARCH_DECL(f16) CT_SEARCH_DECL(f32) CT_SEARCH_DECL(f64)
CT_SEARCH_DECL(bf16)

/* ---- order statistics along a dim of a C-contiguous tensor viewed as
 * (outer, len, inner): row (o, c) is x[o*len*inner + l*inner + c], l < len.
 * No transposed copy: the rows of a few neighbouring columns are read
 * together. Results are in (outer, inner) order (topk: (outer, k, inner)),
 * the contiguous layout of the result; values are the input's elements.
 * op: CT_OS_MODE (the smallest of the most frequent values, each NaN counted
 * alone, and the last index where it occurs), CT_OS_NANMEDIAN (the lower
 * median of the non-NaN values, the first NaN of a row without any),
 * CT_OS_KTH (the k-th smallest, k >= 1), CT_OS_TOPK_LARGEST /
 * CT_OS_TOPK_SMALLEST (the k best, in order); ties are taken in input order
 * as the stable sort takes them. scratch: ct_ostat_scratch_bytes(...) bytes,
 * or NULL. Returns 0, 1 out of memory, 2 row too long for 32-bit indices. */
enum { CT_OS_MODE = 0, CT_OS_NANMEDIAN = 1, CT_OS_KTH = 2, CT_OS_TOPK_LARGEST = 3,
       CT_OS_TOPK_SMALLEST = 4 };
typedef int (*ct_ostat_fn)(const void *x, int64_t outer, int64_t len, int64_t inner, int op,
                           int64_t k, void *val, int64_t *idx, void *scratch);
int64_t ct_ostat_scratch_bytes(int64_t outer, int64_t len, int64_t inner, int64_t k, int itemsize);
extern ct_ostat_fn ct_ostat_loops[CT_NDTYPES];
/* cummax (is_max) / cummin along the middle dim of a C-contiguous
 * (outer, len, inner) tensor, as the rows kernel takes them (an element takes
 * over when >= (<=) the running value or NaN); returns -1 for a dtype it
 * lacks (the caller then scans rows of a permuted copy) */
int ct_cumext_inner(int dtype, const void *x, int64_t outer, int64_t len, int64_t inner,
                    int is_max, void *val, int64_t *idx);
/* unique_consecutive of n elements: runs of equal neighbours (a NaN is never
 * equal, -0.0 equals 0.0). vals NULL: returns the number of runs; else each
 * run's first element goes to vals and, where not NULL, each element's run to
 * inverse and each run's length to counts (returns the number of runs).
 * -1 for a dtype it lacks. */
int64_t ct_unique_consec(int dtype, const void *x, int64_t n, void *vals, int64_t *inverse,
                         int64_t *counts);

#endif
