/* The argument structs of the sorting and searching kernels
 * (cuda_src/sort.cu), filled by the backend's sort entries
 * (ctorch/cuda/cu_sort.c).
 *
 * C, fixed-size fields only (see kernel_args.h). Pointers are device
 * addresses as uint64_t; sizes, strides and positions are in elements.
 */
#ifndef CT_SORT_ARGS_H
#define CT_SORT_ARGS_H

#include <stdint.h>

/* what a sorting kernel writes for each row, once the row's order is known */
enum {
    CT_SORT_EMIT_ALL = 0,       /* sort: the whole row, values and indices (rows of len) */
    CT_SORT_EMIT_FIRST = 1,     /* topk: its first k (rows of k) */
    CT_SORT_EMIT_KTH = 2,       /* kthvalue: its k-th (k >= 1; one per row) */
    CT_SORT_STORE = 3           /* no output: the sorted entries go to ent (long rows) */
};

/* Rows: row r of the input is x[r * ld .. r * ld + len). Every element is an
 * entry (key, index) whose key's unsigned order is the wanted order (keys
 * complemented when desc); ent holds rows * len entries (dense rows) when a
 * row is sorted in several launches. */
typedef struct {
    uint64_t x;                 /* input */
    uint64_t val;               /* values out (the input's dtype) */
    uint64_t idx;               /* int64 indices out */
    uint64_t ent;               /* entries of long rows (scratch), or 0 */
    int64_t rows, len, ld;
    int64_t k;                  /* EMIT_FIRST: how many; EMIT_KTH: which (1-based) */
    int64_t stage;              /* ct_sort_step_*: the size of the sorted runs being merged */
    int64_t dist;               /* ct_sort_step_*: the compare distance (stage / 2: mirrored) */
    int32_t emit;               /* CT_SORT_EMIT_* / CT_SORT_STORE */
    int32_t desc;               /* descending (topk: largest) */
} ct_sort_args;

/* searchsorted: for value q (of rows * nv), the number of boundaries of its
 * row (r = q / nv, or 0 when brows == 1) that go before it, by a binary
 * search through sorter (when not 0). ct_sorter_check: sets the uint32 at
 * flag to 1 when one of the n sorter entries is outside [0, m). */
typedef struct {
    uint64_t b, sorter, v, out, flag;
    int64_t brows, m, rows, nv, n;
    int32_t right, out32;
} ct_search_args;

#endif
