/* The CUDA backend's core (cuda_backend.h): the driver, the sticky error,
 * launches, the caching allocator, the elementwise entry and the table. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cuda_backend.h"

static ctc_driver g_drv;
static const ct_backend *g_cpu;
int ctc_error = 0;
char ctc_error_msg[256];

void ctc_fail(int code, const char *what) {
    if (ctc_error == 0) {
        ctc_error = code ? code : -1;
        snprintf(ctc_error_msg, sizeof ctc_error_msg, "%s", what);
    }
}

/* ---------------------------------------------------------------- launches */

int ctc_kernel(const char *name) {
    int k = g_drv.find ? g_drv.find(name) : -1;
    if (k < 0) {
        char m[200];
        snprintf(m, sizeof m, "CUDA kernel %s is missing from the loaded kernel image", name);
        ctc_fail(-2, m);
    }
    return k;
}

int ctc_launch(int kernel, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
               unsigned bz, unsigned shmem, const void *args, unsigned nbytes) {
    if (kernel < 0) return -1;
    unsigned grid[3] = {gx, gy, gz}, block[3] = {bx, by, bz};
    int rc = g_drv.launch(kernel, grid, block, shmem, args, nbytes);
    if (rc != 0) {
        char m[120];
        snprintf(m, sizeof m, "CUDA kernel launch failed (code %d)", rc);
        ctc_fail(rc, m);
    }
    return rc;
}

unsigned ctc_blocks_for(int64_t n, unsigned threads) {
    int64_t b = (n + threads - 1) / threads;
    int64_t cap = (int64_t)(g_drv.sm_count > 0 ? g_drv.sm_count : 1) * 32;
    if (b > cap) b = cap;
    return (unsigned)(b < 1 ? 1 : b);
}

int ctc_launch1d(int kernel, int64_t n, const void *args, unsigned nbytes) {
    return ctc_launch(kernel, ctc_blocks_for(n, 256), 1, 1, 256, 1, 1, 0, args, nbytes);
}

int ctc_copy(void *dst, const void *src, size_t n, int kind) {
    if (n == 0) return 0;
    int rc = g_drv.memcpy(dst, src, n, kind);
    if (rc != 0) ctc_fail(rc, "CUDA memcpy failed");
    return rc;
}

int ctc_memset(void *dst, int v, size_t n) {
    if (n == 0) return 0;
    int rc = g_drv.memset(dst, v, n);
    if (rc != 0) ctc_fail(rc, "CUDA memset failed");
    return rc;
}

int ctc_sync(void) {
    int rc = g_drv.sync ? g_drv.sync() : 0;
    if (rc != 0) ctc_fail(rc, "CUDA synchronize failed");
    return rc;
}

int ctc_bind(void) {
    int rc = g_drv.bind ? g_drv.bind() : 0;
    if (rc != 0) ctc_fail(rc, "making the CUDA context current failed");
    return rc;
}

/* --------------------------------------------------------- the allocator
 *
 * Blocks are rounded to a size class: powers of two from 512 bytes to
 * 1 MiB, multiples of 2 MiB above. A freed block goes to its class's free
 * list; an allocation takes a cached block of its class before asking the
 * driver. Every launch is ordered on one stream, so a block freed after a
 * launch is safe to hand to a later launch at once. Out of memory: the
 * cache is returned to the driver and the allocation tried once more.
 * Under AddressSanitizer (CTORCH_SANITIZE) every block has the size asked
 * for, rounded up to 4 bytes only, and goes back to the driver when freed,
 * so that the host build's exact-size blocks show every overrun. (The 4:
 * the atomics on 8- and 16-bit elements work on the aligned 32-bit word
 * that holds the element, which every CUDA allocation contains.) */

#define CTC_SMALL_CLASSES 12        /* 2^9 .. 2^20 */
#define CTC_LARGE_UNIT ((size_t)2 << 20)

typedef struct ctc_block { void *p; size_t size; struct ctc_block *next; } ctc_block;

static pthread_mutex_t g_mem = PTHREAD_MUTEX_INITIALIZER;
static ctc_block *g_small[CTC_SMALL_CLASSES];
static ctc_block *g_large;          /* any size class above 1 MiB */
static ctc_mem_stats g_stats;

#define CTC_UNCACHED (-2)           /* the class of an exact-size block */

static size_t ctc_class_size(size_t n, int *cls) {
#ifdef __SANITIZE_ADDRESS__
    *cls = CTC_UNCACHED;
    return n ? (n + 3) / 4 * 4 : 4;
#endif
    if (n <= ((size_t)1 << 20)) {
        int c = 0;
        size_t s = 512;
        while (s < n) { s <<= 1; c++; }
        *cls = c;
        return s;
    }
    *cls = -1;
    return (n + CTC_LARGE_UNIT - 1) / CTC_LARGE_UNIT * CTC_LARGE_UNIT;
}

static void *ctc_take_cached(size_t size, int cls) {
    if (cls == CTC_UNCACHED) return NULL;
    ctc_block **head = cls >= 0 ? &g_small[cls] : &g_large;
    for (ctc_block **b = head; *b; b = &(*b)->next) {
        if ((*b)->size == size) {
            ctc_block *hit = *b;
            void *p = hit->p;
            *b = hit->next;
            free(hit);
            return p;
        }
    }
    return NULL;
}

static void ctc_release_cache_locked(void) {
    for (int c = -1; c < CTC_SMALL_CLASSES; c++) {
        ctc_block **head = c >= 0 ? &g_small[c] : &g_large;
        while (*head) {
            ctc_block *b = *head;
            *head = b->next;
            g_drv.free(b->p);
            g_stats.reserved -= (int64_t)b->size;
            g_stats.n_device_frees++;
            free(b);
        }
    }
}

void *ctc_alloc(size_t n) {
    int cls;
    size_t size = ctc_class_size(n, &cls);
    pthread_mutex_lock(&g_mem);
    void *p = ctc_take_cached(size, cls);
    if (p == NULL) {
        p = g_drv.malloc(size);
        if (p == NULL) {                    /* out of memory: free the cache, once more */
            ctc_release_cache_locked();
            p = g_drv.malloc(size);
        }
        if (p != NULL) {
            g_stats.reserved += (int64_t)size;
            g_stats.n_device_allocs++;
            if (g_stats.reserved > g_stats.max_reserved) g_stats.max_reserved = g_stats.reserved;
        }
    }
    if (p != NULL) {
        g_stats.allocated += (int64_t)size;
        if (g_stats.allocated > g_stats.max_allocated) g_stats.max_allocated = g_stats.allocated;
    }
    pthread_mutex_unlock(&g_mem);
    return p;
}

void *ctc_scratch(size_t n) {
    void *p = ctc_alloc(n ? n : 1);
    if (p == NULL) ctc_fail(2, "CUDA out of memory (scratch memory of a kernel)");
    return p;
}

void ctc_free(void *p, size_t n) {
    if (p == NULL) return;
    int cls;
    size_t size = ctc_class_size(n, &cls);
    ctc_block *b = cls == CTC_UNCACHED ? NULL : (ctc_block *)malloc(sizeof *b);
    pthread_mutex_lock(&g_mem);
    g_stats.allocated -= (int64_t)size;
    if (b == NULL) {
        g_drv.free(p);
        g_stats.reserved -= (int64_t)size;
        g_stats.n_device_frees++;
    } else {
        ctc_block **head = cls >= 0 ? &g_small[cls] : &g_large;
        b->p = p;
        b->size = size;
        b->next = *head;
        *head = b;
    }
    pthread_mutex_unlock(&g_mem);
}

void ctc_empty_cache(void) {
    pthread_mutex_lock(&g_mem);
    ctc_release_cache_locked();
    pthread_mutex_unlock(&g_mem);
}

void ctc_get_stats(ctc_mem_stats *s) {
    pthread_mutex_lock(&g_mem);
    *s = g_stats;
    pthread_mutex_unlock(&g_mem);
}

void ctc_reset_peak(void) {
    pthread_mutex_lock(&g_mem);
    g_stats.max_allocated = g_stats.allocated;
    g_stats.max_reserved = g_stats.reserved;
    pthread_mutex_unlock(&g_mem);
}

/* ------------------------------------------------------------ elementwise */

static const char *const ctc_sfx[CT_NDTYPES] = {
    "b", "u8", "i8", "i16", "i32", "i64", "f16", "f32", "f64", "c64", "c128"};
static const int ctc_size[CT_NDTYPES] = {1, 1, 1, 2, 4, 8, 2, 4, 8, 8, 16};

enum { CTC_EW_KINDS = 5 };
static int ctc_ew_kernels[CTC_EW_KINDS][CT_NDTYPES];   /* kernel index + 1; 0: not looked up */

static int ctc_ew_kernel(int kind, int dtype) {
    int *slot = &ctc_ew_kernels[kind][dtype];
    if (*slot == 0) {
        char name[64];
        switch (kind) {
        case CT_EW_UNARY: snprintf(name, sizeof name, "ct_ew_unary_%s", ctc_sfx[dtype]); break;
        case CT_EW_BINARY: snprintf(name, sizeof name, "ct_ew_binary_%s", ctc_sfx[dtype]); break;
        case CT_EW_CAST: snprintf(name, sizeof name, "ct_ew_cast_%s", ctc_sfx[dtype]); break;
        case CT_EW_LERP: snprintf(name, sizeof name, "ct_ew_lerp_%s", ctc_sfx[dtype]); break;
        default: snprintf(name, sizeof name, "ct_ew_where_w%d", ctc_size[dtype]); break;
        }
        *slot = ctc_kernel(name) + 1;
    }
    return *slot - 1;
}

static int ctc_has_kernel(int kind, int op, int dtype) {
    /* no bfloat16 kernels on the device (nor casts from it) */
    if (dtype == CT_BFLOAT16 || (kind == CT_EW_CAST && op == CT_BFLOAT16)) return 0;
    if (kind == CT_EW_LERP && (op == CT_T_LERP_W32 || op == CT_T_CLAMP)) return 0;
    return g_cpu->has_kernel(kind, op, dtype);
}

static int ctc_is_int_division(int kind, int op, int dtype) {
    return kind == CT_EW_BINARY && dtype >= CT_UINT8 && dtype <= CT_INT64
        && (op == CT_DIV_TRUNC || op == CT_DIV_FLOOR || op == CT_REMAINDER || op == CT_FMOD);
}

/* the element sizes of the operands of a launch */
static void ctc_ew_sizes(int kind, int op, int dtype, int *es) {
    int s = ctc_size[dtype];
    es[0] = es[1] = es[2] = es[3] = s;
    switch (kind) {
    case CT_EW_UNARY:
        if (op == CT_ISNAN || op == CT_ISINF || op == CT_ISFINITE || op == CT_LOGNOT) es[0] = 1;
        else if (op == CT_ABS && dtype >= CT_COMPLEX64) es[0] = s / 2;
        break;
    case CT_EW_BINARY:
        if (op >= CT_EQ) es[0] = 1;
        break;
    case CT_EW_CAST:
        es[1] = ctc_size[op];     /* op is the source dtype */
        break;
    case CT_EW_WHERE:
        es[1] = 1;
        break;
    default:
        break;
    }
}

static int ctc_elementwise(int kind, int op, int dtype, ct_params *P, const ct_iter *it) {
    ct_ew_args a;
    int es[4], k, d;
    int64_t n = 1;
    memset(&a, 0, sizeof a);
    if (it->ndim > CT_CUDA_MAXDIM) {
        ctc_fail(-3, "an elementwise CUDA launch over more than 16 dims after coalescing");
        return CT_ERR_DEVICE;
    }
    for (d = 0; d < it->ndim; d++) n *= it->shape[d];
    if (n == 0) return CT_OK;
    ctc_ew_sizes(kind, op, dtype, es);
    a.n = n;
    a.ndim = it->ndim;
    a.nargs = it->nargs;
    a.op = kind == CT_EW_CAST ? 0 : op;
    a.dtype = kind == CT_EW_CAST ? op : dtype;
    a.dtype_out = dtype;
    a.contig = it->ndim == 1;
    for (d = 0; d < it->ndim; d++) a.shape[d] = it->shape[d];
    for (k = 0; k < it->nargs; k++) {
        if ((it->host >> k) & 1) {
            a.scalar_mask |= 1 << k;
            memcpy(a.scal[k], it->ptr[k], (size_t)es[k]);
        } else {
            a.ptr[k] = ctc_ptr(it->ptr[k]);
        }
        for (d = 0; d < it->ndim; d++) {
            int64_t s = it->strides[k * it->ndim + d];
            a.strides[k][d] = s;
            if (s != 0 && s != es[k]) a.contig = 0;
        }
    }
    if (P != NULL) {
        a.pa = P->a; a.pb = P->b; a.pc = P->c;
        a.pia = P->ia; a.pib = P->ib; a.pflags = P->flags;
    }
    if (kind == CT_EW_CAST && op == dtype && ctc_try_transpose(it, es[0]))
        return ctc_error ? CT_ERR_DEVICE : CT_OK;
    int kern = ctc_ew_kernel(kind, kind == CT_EW_CAST ? op : dtype);
    int *flag = NULL;
    if (ctc_is_int_division(kind, op, dtype)) {
        flag = (int *)ctc_scratch(sizeof(int));
        if (flag == NULL) return CT_ERR_DEVICE;
        ctc_memset(flag, 0, sizeof(int));
        a.err = ctc_ptr(flag);
    }
    ctc_launch1d(kern, n, &a, sizeof a);
    if (flag != NULL) {
        int host = 0;
        ctc_copy(&host, flag, sizeof(int), CTC_D2H);
        ctc_free(flag, sizeof(int));
        if (host && P != NULL) P->err = 1;
    }
    return ctc_error ? CT_ERR_DEVICE : CT_OK;
}

/* ------------------------------------------------------------- the table */

static void *ctc_table_alloc(size_t n) { return ctc_alloc(n); }
static void ctc_table_free(void *p, size_t n) { ctc_free(p, n); }
static int ctc_gemm_not_ready(void) { return -1; }
static int ctc_to_host(void *dst, const void *src, size_t n) { return ctc_copy(dst, src, n, CTC_D2H); }
static int ctc_from_host(void *dst, const void *src, size_t n) { return ctc_copy(dst, src, n, CTC_H2D); }

/* per-dtype tables of families without CUDA kernels yet: all NULL, so that
 * the op raises an error naming itself and the device */
static const void *const ctc_none[CT_NDTYPES];

ct_backend ctc_backend = {
    .name = "cuda",
    .alloc = ctc_table_alloc,
    .free = ctc_table_free,
    .empty_cache = ctc_empty_cache,
    .to_host = ctc_to_host,
    .from_host = ctc_from_host,
    .has_kernel = ctc_has_kernel,
    .elementwise = ctc_elementwise,
    .sum_rows = (const ct_sum_rows_fn *)ctc_none,
    .sum_cols = (const ct_sum_cols_fn *)ctc_none,
    .minmax = (const ct_minmax_fn *)ctc_none,
    .median = (const ct_median_fn *)ctc_none,
    .prod = (const ct_prod_fn *)ctc_none,
    .cum = (const ct_cum_fn *)ctc_none,
    .softmax = (const ct_softmax_fn *)ctc_none,
    .mm = (const ct_mm_fn *)ctc_none,
    .gemm_ready = ctc_gemm_not_ready,
    .scatter_add = (const ct_scatter_fn *)ctc_none,
    .sort = (const ct_sort_fn *)ctc_none,
    .topk = (const ct_topk_fn *)ctc_none,
    .kth = (const ct_kth_fn *)ctc_none,
    .search = (const ct_search_fn *)ctc_none,
    .uniform = (const ct_rand_fill_fn *)ctc_none,
    .normal = (const ct_rand_fill_fn *)ctc_none,
    .bernoulli_scalar = (const ct_bernoulli_scalar_fn *)ctc_none,
    .dropout = (const ct_dropout_fn *)ctc_none,
    .histogram = (const ct_histogram_fn *)ctc_none,
    .minmax_range = (const ct_minmax_range_fn *)ctc_none,
    .gelu = (const ct_gelu_fn *)ctc_none,
    .gelu_bwd = (const ct_gelu_bwd_fn *)ctc_none,
    .nll = (const ct_nll_fn *)ctc_none,
    .nll_bwd = (const ct_nll_bwd_fn *)ctc_none,
};

void ctc_init(const ctc_driver *drv, const ct_backend *cpu) {
    g_drv = *drv;
    g_cpu = cpu;
    memset(ctc_ew_kernels, 0, sizeof ctc_ew_kernels);
    ctc_error = 0;
    ctc_error_msg[0] = 0;
#define CTC_CALL_FILL(family) if (ctc_fill_##family) ctc_fill_##family(&ctc_backend);
    CTC_FAMILIES(CTC_CALL_FILL)
#undef CTC_CALL_FILL
}
