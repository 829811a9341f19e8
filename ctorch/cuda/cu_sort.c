/* The sorting and searching entries of the CUDA backend (backend.h,
 * sort.h): sort, sort_scratch_bytes, topk, kth, search and sorter_bad, over
 * the kernels of cuda_src/sort.cu, with the CPU kernels' results bit for bit
 * (sort.cu says how: entries (key, index) in a total order).
 *
 * A row is sorted whole and its sorted prefix read off: sort writes all of
 * it, topk the first k (keys complemented for the largest), kthvalue its
 * k-th. By row length:
 *   - up to 32 elements: ct_sort_rank_* (a thread an element, no scratch);
 *   - up to a chunk (4096 entries of keys up to 32 bits, 2048 of 64-bit
 *     keys): ct_sort_block_*, a block a row in shared memory, no scratch;
 *   - longer: the chunks are sorted into scratch entries (rows * len of
 *     them, sort_scratch_bytes; the op allocates it on the device), then
 *     each merge of runs of 2 chunks and more runs its stages of a chunk's
 *     distance or more as ct_sort_step_* launches and the rest in shared
 *     memory (ct_sort_merge_*), which writes the outputs after the last.
 * Data pointers are device pointers; sizes are host values. Return codes as
 * the CPU's: 0 done, 1 out of memory, 2 a row too long for 32-bit indices;
 * a driver failure sets the sticky error (ctc_error), which the op raises. */
#include <stdio.h>
#include <string.h>
#include "cuda_backend.h"
#include "../../cuda_src/sort_args.h"

#define SK_RANK_MAX 32
#define SK_MAX32 ((int64_t)0xFFFFFFFF)

static const char *const sk_sfx[CT_NDTYPES] = {
    "b", "u8", "i8", "i16", "i32", "i64", "f16", "f32", "f64", "c64", "c128"};
static const int sk_es[CT_NDTYPES] = {1, 1, 1, 2, 4, 8, 2, 4, 8, 8, 16};

enum { SK_RANK, SK_BLOCK, SK_MERGE, SK_SEARCH, SK_NKINDS };
static const char *const sk_kind[SK_NKINDS] = {"sort_rank", "sort_block", "sort_merge", "search"};
static int sk_kernels[SK_NKINDS][CT_NDTYPES];      /* kernel index + 1; 0: not looked up */
static int sk_step[2], sk_check;

static int sk_lookup(int *slot, const char *name) {
    if (*slot == 0) *slot = ctc_kernel(name) + 1;
    return *slot - 1;
}

static int sk_kernel(int kind, int dt) {
    char name[48];
    snprintf(name, sizeof name, "ct_%s_%s", sk_kind[kind], sk_sfx[dt]);
    return sk_lookup(&sk_kernels[kind][dt], name);
}

/* entries: 8 bytes (keys of up to 32 bits, packed with the index) or 16 */
static int64_t sk_entry_bytes(int itemsize) { return itemsize == 8 ? 16 : 8; }
static int64_t sk_chunk(int itemsize) { return 32768 / sk_entry_bytes(itemsize); }

static int64_t sk_pow2ceil(int64_t n) {
    int64_t p = 1;
    while (p < n) p <<= 1;
    return p;
}

/* a launch of a block kernel over `items` chunks of up to n entries */
static void sk_launch_blocks(int k, int64_t items, int64_t n, const ct_sort_args *a) {
    int64_t threads = sk_pow2ceil(n) / 2;
    if (threads < 32) threads = 32;
    if (threads > 256) threads = 256;
    unsigned blocks = ctc_blocks_for(items * threads, (unsigned)threads);
    ctc_launch(k, blocks, 1, 1, (unsigned)threads, 1, 1, 0, a, sizeof *a);
}

static int64_t sk_scratch_bytes(int64_t rows, int64_t len, int64_t extra, int itemsize) {
    (void)extra;
    if (len <= sk_chunk(itemsize)) return 0;
    return rows * len * sk_entry_bytes(itemsize);
}

/* the rows of x sorted (desc: descending), what `emit` asks for written to
 * val / idx (k: topk's count, kthvalue's position) */
static int sk_rows(int dt, const void *x, int64_t rows, int64_t len, int64_t ld, int desc,
                   int emit, int64_t k, void *val, int64_t *idx, void *scratch) {
    if (rows <= 0 || len <= 0 || (emit == CT_SORT_EMIT_FIRST && k <= 0) || ctc_error) return 0;
    int es = sk_es[dt];
    if (es < 8 && len > SK_MAX32) return 2;
    ct_sort_args a;
    memset(&a, 0, sizeof a);
    a.x = ctc_ptr(x);
    a.val = ctc_ptr(val);
    a.idx = ctc_ptr(idx);
    a.rows = rows;
    a.len = len;
    a.ld = ld;
    a.k = k;
    a.emit = emit;
    a.desc = desc;
    if (len <= SK_RANK_MAX) {
        ctc_launch1d(sk_kernel(SK_RANK, dt), rows * len, &a, sizeof a);
        return 0;
    }
    int64_t C = sk_chunk(es);
    if (len <= C) {
        sk_launch_blocks(sk_kernel(SK_BLOCK, dt), rows, len, &a);
        return 0;
    }
    size_t bytes = (size_t)sk_scratch_bytes(rows, len, 0, es);
    void *own = NULL;
    if (scratch == NULL) {
        own = scratch = ctc_alloc(bytes);
        if (own == NULL) return 1;
    }
    a.ent = ctc_ptr(scratch);
    int64_t nch = (len + C - 1) / C, P = sk_pow2ceil(len);
    a.emit = CT_SORT_STORE;
    sk_launch_blocks(sk_kernel(SK_BLOCK, dt), rows * nch, C, &a);
    int step = sk_lookup(&sk_step[es == 8], es == 8 ? "ct_sort_step_p" : "ct_sort_step_c");
    for (int64_t run = 2 * C; run <= P; run <<= 1) {
        a.stage = run;
        for (int64_t d = run / 2; d >= C; d >>= 1) {
            a.dist = d;
            ctc_launch1d(step, rows * (P / 2), &a, sizeof a);
        }
        a.emit = run == P ? emit : CT_SORT_STORE;
        sk_launch_blocks(sk_kernel(SK_MERGE, dt), rows * nch, C, &a);
    }
    if (own) ctc_free(own, bytes);
    return 0;
}

#define SK_ENTRIES(S, D)                                                                      \
    static int sk_sort_##S(const void *x, int64_t rows, int64_t len, int64_t ld, int desc,   \
                           void *val, int64_t *idx, void *scratch) {                         \
        return sk_rows(D, x, rows, len, ld, desc, CT_SORT_EMIT_ALL, 0, val, idx, scratch);   \
    }                                                                                         \
    static int sk_topk_##S(const void *x, int64_t rows, int64_t len, int64_t ld, int64_t k,  \
                           int largest, void *val, int64_t *idx, void *scratch) {            \
        return sk_rows(D, x, rows, len, ld, largest, CT_SORT_EMIT_FIRST, k, val, idx,        \
                       scratch);                                                              \
    }                                                                                         \
    static int sk_kth_##S(const void *x, int64_t rows, int64_t len, int64_t ld, int64_t k,   \
                          void *val, int64_t *idx, void *scratch) {                          \
        return sk_rows(D, x, rows, len, ld, 0, CT_SORT_EMIT_KTH, k, val, idx, scratch);      \
    }
SK_ENTRIES(b, CT_BOOL)
SK_ENTRIES(u8, CT_UINT8)
SK_ENTRIES(i8, CT_INT8)
SK_ENTRIES(i16, CT_INT16)
SK_ENTRIES(i32, CT_INT32)
SK_ENTRIES(i64, CT_INT64)
SK_ENTRIES(f16, CT_FLOAT16)
SK_ENTRIES(f32, CT_FLOAT32)
SK_ENTRIES(f64, CT_FLOAT64)
#undef SK_ENTRIES

/* ------------------------------------------------------------ searchsorted */

static void sk_search(int dt, const void *b, int64_t brows, int64_t m, const int64_t *sorter,
                      const void *v, int64_t rows, int64_t nv, int right, int out32, void *out) {
    if (rows <= 0 || nv <= 0 || ctc_error) return;
    ct_search_args a;
    memset(&a, 0, sizeof a);
    a.b = ctc_ptr(b);
    a.sorter = ctc_ptr(sorter);
    a.v = ctc_ptr(v);
    a.out = ctc_ptr(out);
    a.brows = brows;
    a.m = m;
    a.rows = rows;
    a.nv = nv;
    a.right = right;
    a.out32 = out32;
    ctc_launch1d(sk_kernel(SK_SEARCH, dt), rows * nv, &a, sizeof a);
}

#define SK_SEARCH(S, D)                                                                       \
    static void sk_search_##S(const void *b, int64_t brows, int64_t m, const int64_t *sorter, \
                              const void *v, int64_t rows, int64_t nv, int right, int out32,  \
                              void *out) {                                                    \
        sk_search(D, b, brows, m, sorter, v, rows, nv, right, out32, out);                    \
    }
SK_SEARCH(u8, CT_UINT8)
SK_SEARCH(i8, CT_INT8)
SK_SEARCH(i16, CT_INT16)
SK_SEARCH(i32, CT_INT32)
SK_SEARCH(i64, CT_INT64)
SK_SEARCH(f16, CT_FLOAT16)
SK_SEARCH(f32, CT_FLOAT32)
SK_SEARCH(f64, CT_FLOAT64)
#undef SK_SEARCH

/* 1 when some sorter entry is outside [0, m): a device word, copied back
 * (0 also when the device failed: the op raises the sticky error) */
static int sk_sorter_bad(const int64_t *s, int64_t n, int64_t m) {
    if (n <= 0 || ctc_error) return 0;
    uint32_t *flag = (uint32_t *)ctc_scratch(sizeof(uint32_t));
    if (flag == NULL) return 0;
    ctc_memset(flag, 0, sizeof(uint32_t));
    ct_search_args a;
    memset(&a, 0, sizeof a);
    a.sorter = ctc_ptr(s);
    a.flag = ctc_ptr(flag);
    a.n = n;
    a.m = m;
    ctc_launch1d(sk_lookup(&sk_check, "ct_sorter_check"), n, &a, sizeof a);
    uint32_t host = 0;
    ctc_copy(&host, flag, sizeof host, CTC_D2H);
    ctc_free(flag, sizeof(uint32_t));
    return ctc_error ? 0 : host != 0;
}

/* ------------------------------------------------------------ the tables:
 * the CPU's dtypes (sort.c), no more */
static const ct_sort_fn sk_sort_tab[CT_NDTYPES] = {
    sk_sort_b, sk_sort_u8, sk_sort_i8, sk_sort_i16, sk_sort_i32, sk_sort_i64,
    sk_sort_f16, sk_sort_f32, sk_sort_f64, NULL, NULL};
static const ct_topk_fn sk_topk_tab[CT_NDTYPES] = {
    sk_topk_b, sk_topk_u8, sk_topk_i8, sk_topk_i16, sk_topk_i32, sk_topk_i64,
    sk_topk_f16, sk_topk_f32, sk_topk_f64, NULL, NULL};
static const ct_kth_fn sk_kth_tab[CT_NDTYPES] = {
    sk_kth_b, sk_kth_u8, sk_kth_i8, sk_kth_i16, sk_kth_i32, sk_kth_i64,
    sk_kth_f16, sk_kth_f32, sk_kth_f64, NULL, NULL};
static const ct_search_fn sk_search_tab[CT_NDTYPES] = {
    NULL, sk_search_u8, sk_search_i8, sk_search_i16, sk_search_i32, sk_search_i64,
    sk_search_f16, sk_search_f32, sk_search_f64, NULL, NULL};

void ctc_fill_sort(ct_backend *b) {
    memset(sk_kernels, 0, sizeof sk_kernels);
    memset(sk_step, 0, sizeof sk_step);
    sk_check = 0;
    b->sort = sk_sort_tab;
    b->sort_scratch_bytes = sk_scratch_bytes;
    b->topk = sk_topk_tab;
    b->kth = sk_kth_tab;
    b->search = sk_search_tab;
    b->sorter_bad = sk_sorter_bad;
}
