/* The CUDA backend's shape entries (backend.h, shape.h): rows of bytes,
 * index_select, gather, scatter and the accumulating scatter, over the
 * kernels of cuda_src/shape.cu.
 *
 * Data pointers are device pointers; the shape and stride arrays and *bad
 * are host memory. Index checks mirror the CPU kernels: the kernels record
 * the first bad position in a device word, which is copied back; the entry
 * then copies that position's index value into *bad and returns 1. A
 * driver failure (the sticky error, ctc_error) returns 2, which the op
 * raises as the CUDA error. */
#include <stdio.h>
#include <string.h>
#include "cuda_backend.h"
#include "../../cuda_src/shape_args.h"

/* kernel index + 1 of each kernel, looked up on first use (0: not yet) */
enum { CTC_NW = 5 };
static int k_rows[CTC_NW], k_isel[CTC_NW], k_gather[CTC_NW], k_scatter[CTC_NW];
static int k_add[CT_NDTYPES], k_check;

static const char *const ctc_add_sfx[CT_NDTYPES] = {
    "b", "u8", "i8", "i16", "i32", "i64", "f16", "f32", "f64", "c64", "c128"};
static const int ctc_widths[CTC_NW] = {1, 2, 4, 8, 16};

static int ctc_lookup(int *slot, const char *name) {
    if (*slot == 0) *slot = ctc_kernel(name) + 1;
    return *slot - 1;
}

static int ctc_wkernel(int *table, const char *prefix, int wi) {
    char name[48];
    if (table[wi] == 0) {
        snprintf(name, sizeof name, "%s%d", prefix, ctc_widths[wi]);
        table[wi] = ctc_kernel(name) + 1;
    }
    return table[wi] - 1;
}

static int ctc_width_index(int es) {
    switch (es) {
    case 1: return 0;
    case 2: return 1;
    case 4: return 2;
    case 8: return 3;
    default: return 4;
    }
}

/* the widest unit (index into ctc_widths) dividing every value */
static int ctc_widest(const int64_t *v, int n) {
    for (int wi = CTC_NW - 1; wi > 0; wi--) {
        int64_t w = ctc_widths[wi];
        int ok = 1;
        for (int k = 0; k < n && ok; k++) ok = v[k] % w == 0;
        if (ok) return wi;
    }
    return 0;
}

/* the device word of a bad position: all ones (none yet) */
static uint64_t *ctc_flag_new(void) {
    uint64_t *f = (uint64_t *)ctc_scratch(sizeof(uint64_t));
    if (f == NULL) return NULL;
    ctc_memset(f, 0xFF, sizeof(uint64_t));
    return f;
}

/* reads the word back and frees it: the first bad position, or -1 */
static int64_t ctc_flag_take(uint64_t *f) {
    uint64_t host = ~(uint64_t)0;
    ctc_copy(&host, f, sizeof host, CTC_D2H);
    ctc_free(f, sizeof(uint64_t));
    return host == ~(uint64_t)0 ? -1 : (int64_t)host;
}

/* ------------------------------------------------------------------ rows */

static void ctc_copy_rows(char *dst, int64_t dld, const char *src, int64_t sld, int64_t rows,
                          int64_t nbytes) {
    if (rows <= 0 || nbytes <= 0) return;
    if (rows == 1 || (dld == nbytes && sld == nbytes)) {
        ctc_copy(dst, src, (size_t)(rows * nbytes), CTC_D2D);
        return;
    }
    int64_t v[5] = {(int64_t)(uintptr_t)dst, (int64_t)(uintptr_t)src, dld, sld, nbytes};
    int wi = ctc_widest(v, 5);
    int64_t w = ctc_widths[wi];
    ct_copy_rows_args a;
    memset(&a, 0, sizeof a);
    a.dst = ctc_ptr(dst);
    a.src = ctc_ptr(src);
    a.dld = dld / w;
    a.sld = sld / w;
    a.rows = rows;
    a.len = nbytes / w;
    ctc_launch1d(ctc_wkernel(k_rows, "ct_copy_rows_w", wi), rows * a.len, &a, sizeof a);
}

/* ------------------------------------------------------------ transpose */

static int k_tr[CTC_NW];

int ctc_try_transpose(const ct_iter *it, int es) {
    /* dims after coalescing, innermost last: [b,] i, j with dst dense along
     * j and src dense along i; small or thin copies stay elementwise */
    int nd = it->ndim, wi = ctc_width_index(es);
    if ((nd != 2 && nd != 3) || it->nargs != 2 || it->host != 0 || ctc_widths[wi] != es) return 0;
    const int64_t *sd = it->strides, *ss = it->strides + nd;
    int64_t rows = it->shape[nd - 2], cols = it->shape[nd - 1];
    if (sd[nd - 1] != es || ss[nd - 2] != es || ss[nd - 1] <= es || rows < 8 || cols < 8) return 0;
    for (int d = 0; d < nd; d++)
        if (sd[d] % es || ss[d] % es || sd[d] < 0 || ss[d] < 0) return 0;
    ct_transpose_args a;
    memset(&a, 0, sizeof a);
    a.dst = ctc_ptr(it->ptr[0]);
    a.src = ctc_ptr(it->ptr[1]);
    a.batch = nd == 3 ? it->shape[0] : 1;
    a.rows = rows;
    a.cols = cols;
    a.dsb = nd == 3 ? sd[0] / es : 0;
    a.dsi = sd[nd - 2] / es;
    a.ssb = nd == 3 ? ss[0] / es : 0;
    a.ssj = ss[nd - 1] / es;
    int64_t tiles = a.batch * ((rows + 31) / 32) * ((cols + 31) / 32);
    unsigned grid = tiles < 65535 ? (unsigned)tiles : 65535u;
    ctc_launch(ctc_wkernel(k_tr, "ct_transpose_w", wi), grid, 1, 1, 32, 8, 1, 0, &a, sizeof a);
    return 1;
}

/* ---------------------------------------------------------- index_select */

static int ctc_index_select(char *dst, const char *src, int64_t outer, int64_t size,
                            int64_t inner, int es, const int64_t *idx, int64_t n, int64_t *bad) {
    if (n <= 0) return 0;
    int64_t rb = inner * es;
    int64_t v[3] = {(int64_t)(uintptr_t)dst, (int64_t)(uintptr_t)src, rb};
    int wi = ctc_widest(v, 3);
    ct_isel_args a;
    memset(&a, 0, sizeof a);
    uint64_t *flag = ctc_flag_new();
    if (flag == NULL) return 2;
    a.dst = ctc_ptr(dst);
    a.src = ctc_ptr(src);
    a.idx = ctc_ptr(idx);
    a.flag = ctc_ptr(flag);
    a.outer = outer;
    a.size = size;
    a.inner = rb / ctc_widths[wi];
    a.n = n;
    int64_t total = outer * n * a.inner;
    a.check_only = total == 0;
    ctc_launch1d(ctc_wkernel(k_isel, "ct_isel_w", wi), total ? total : n, &a, sizeof a);
    int64_t j = ctc_flag_take(flag);
    if (ctc_error) return 2;
    if (j >= 0) {
        ctc_copy(bad, idx + j, sizeof(int64_t), CTC_D2H);
        return ctc_error ? 2 : 1;
    }
    return 0;
}

/* ------------------------------------------------------ gather / scatter */

enum { CTC_GATHER, CTC_SCATTER, CTC_SCATTER_ADD };

static int ctc_walk(int kind, int code, const void *a, const int64_t *ast, const void *b,
                    const int64_t *bst, const int64_t *idx, const int64_t *ist,
                    const int64_t *shape, int nd, int dim, int64_t size, int64_t *bad) {
    ct_walk_args w;
    int64_t total = 1;
    int d, m = 0;
    for (d = 0; d < nd; d++) {
        total *= shape[d];
        m += shape[d] != 1;
    }
    if (total <= 0) return 0;
    /* dims of size 1 move nothing: the walk keeps the others (C order of
     * the positions unchanged) */
    if (m > CT_SHAPE_MAXDIM) {
        ctc_fail(-3, "a gather or scatter on a CUDA device over more than 16 dims");
        return 2;
    }
    memset(&w, 0, sizeof w);
    for (d = nd - 1, m = 0; d >= 0; d--) {      /* innermost first */
        if (shape[d] == 1) continue;
        w.shape[m] = shape[d];
        w.ast[m] = ast[d];
        w.ist[m] = ist[d];
        w.bst[m] = d == dim ? 0 : bst[d];
        m++;
    }
    w.bsd = bst[dim];
    w.nd = m;
    w.total = total;
    w.size = size;
    w.a = ctc_ptr(a);
    w.b = ctc_ptr(b);
    w.idx = ctc_ptr(idx);
    uint64_t *flag = ctc_flag_new();
    if (flag == NULL) return 2;
    w.flag = ctc_ptr(flag);
    if (kind == CTC_GATHER) {
        ctc_launch1d(ctc_wkernel(k_gather, "ct_gather_w", code), total, &w, sizeof w);
    } else {
        ctc_launch1d(ctc_lookup(&k_check, "ct_walk_check"), total, &w, sizeof w);
        int k;
        if (kind == CTC_SCATTER) {
            k = ctc_wkernel(k_scatter, "ct_scatter_w", code);
        } else {
            char name[40];
            snprintf(name, sizeof name, "ct_scatter_add_%s", ctc_add_sfx[code]);
            k = ctc_lookup(&k_add[code], name);
        }
        ctc_launch1d(k, total, &w, sizeof w);
    }
    int64_t pos = ctc_flag_take(flag);
    if (ctc_error) return 2;
    if (pos < 0) return 0;
    /* the index element of position pos (C order over shape) */
    int64_t pi = 0, rem = pos;
    for (d = nd - 1; d >= 0; d--) {
        pi += (rem % shape[d]) * ist[d];
        rem /= shape[d];
    }
    ctc_copy(bad, idx + pi, sizeof(int64_t), CTC_D2H);
    return ctc_error ? 2 : 1;
}

#define CTC_WALK_FNS(W)                                                                      \
    static int ctc_gather_##W(void *a, const int64_t *ast, const void *b, const int64_t *bst, \
                              const int64_t *idx, const int64_t *ist, const int64_t *shape,   \
                              int nd, int dim, int64_t size, int64_t *bad) {                  \
        return ctc_walk(CTC_GATHER, ctc_width_index(W), a, ast, b, bst, idx, ist, shape, nd,  \
                        dim, size, bad);                                                      \
    }                                                                                         \
    static int ctc_scatter_##W(const void *a, const int64_t *ast, void *b, const int64_t *bst,\
                               const int64_t *idx, const int64_t *ist, const int64_t *shape,  \
                               int nd, int dim, int64_t size, int64_t *bad) {                 \
        return ctc_walk(CTC_SCATTER, ctc_width_index(W), a, ast, b, bst, idx, ist, shape, nd, \
                        dim, size, bad);                                                      \
    }
CTC_WALK_FNS(1)
CTC_WALK_FNS(2)
CTC_WALK_FNS(4)
CTC_WALK_FNS(8)
CTC_WALK_FNS(16)
#undef CTC_WALK_FNS

static ct_gather_fn ctc_gather_for(int es) {
    switch (es) {
    case 1: return ctc_gather_1;
    case 2: return ctc_gather_2;
    case 4: return ctc_gather_4;
    case 8: return ctc_gather_8;
    default: return ctc_gather_16;
    }
}

static ct_scatter_fn ctc_scatter_for(int es) {
    switch (es) {
    case 1: return ctc_scatter_1;
    case 2: return ctc_scatter_2;
    case 4: return ctc_scatter_4;
    case 8: return ctc_scatter_8;
    default: return ctc_scatter_16;
    }
}

#define CTC_ADD_FN(D)                                                                         \
    static int ctc_scatter_add_##D(const void *a, const int64_t *ast, void *b,               \
                                   const int64_t *bst, const int64_t *idx, const int64_t *ist,\
                                   const int64_t *shape, int nd, int dim, int64_t size,       \
                                   int64_t *bad) {                                            \
        return ctc_walk(CTC_SCATTER_ADD, D, a, ast, b, bst, idx, ist, shape, nd, dim, size,   \
                        bad);                                                                 \
    }
CTC_ADD_FN(CT_BOOL)
CTC_ADD_FN(CT_UINT8)
CTC_ADD_FN(CT_INT8)
CTC_ADD_FN(CT_INT16)
CTC_ADD_FN(CT_INT32)
CTC_ADD_FN(CT_INT64)
CTC_ADD_FN(CT_FLOAT16)
CTC_ADD_FN(CT_FLOAT32)
CTC_ADD_FN(CT_FLOAT64)
CTC_ADD_FN(CT_COMPLEX64)
CTC_ADD_FN(CT_COMPLEX128)
#undef CTC_ADD_FN

static const ct_scatter_fn ctc_scatter_add_loops[CT_NDTYPES] = {
    ctc_scatter_add_CT_BOOL, ctc_scatter_add_CT_UINT8, ctc_scatter_add_CT_INT8,
    ctc_scatter_add_CT_INT16, ctc_scatter_add_CT_INT32, ctc_scatter_add_CT_INT64,
    ctc_scatter_add_CT_FLOAT16, ctc_scatter_add_CT_FLOAT32, ctc_scatter_add_CT_FLOAT64,
    ctc_scatter_add_CT_COMPLEX64, ctc_scatter_add_CT_COMPLEX128,
};

void ctc_fill_shape(ct_backend *b) {
    memset(k_rows, 0, sizeof k_rows);
    memset(k_isel, 0, sizeof k_isel);
    memset(k_gather, 0, sizeof k_gather);
    memset(k_scatter, 0, sizeof k_scatter);
    memset(k_tr, 0, sizeof k_tr);
    memset(k_add, 0, sizeof k_add);
    k_check = 0;
    b->copy_rows = ctc_copy_rows;
    b->index_select = ctc_index_select;
    b->gather = ctc_gather_for;
    b->scatter = ctc_scatter_for;
    b->scatter_add = ctc_scatter_add_loops;
}
