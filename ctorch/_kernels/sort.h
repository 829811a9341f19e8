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

#endif
