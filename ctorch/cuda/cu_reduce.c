/* The reductions of the CUDA backend: the table entries sum_rows, sum_cols,
 * minmax, median, prod, cum, softmax, nansum_rows and cumext (backend.h, reduce.h), over the
 * kernels of cuda_src/reduce.cu.
 *
 * Each entry picks a layout from the shape of its rows: a thread a row for
 * short rows, a warp a row for rows of a few thousand elements, a block a
 * row beyond; a long row with few others is cut into segments (work items
 * of their own) whose partial results a second launch combines, so that the
 * whole device works on it and no thread adds more than a few hundred
 * elements one after another. Scratch memory comes from the caching
 * allocator; a failure sets the backend's sticky error (ctc_fail). */
#include <stdio.h>
#include <string.h>
#include "cuda_backend.h"
#include "../../cuda_src/reduce_args.h"

static const char *const rd_sfx[CT_NDTYPES] = {
    "b", "u8", "i8", "i16", "i32", "i64", "f16", "f32", "f64", "c64", "c128"};
static const int rd_es[CT_NDTYPES] = {1, 1, 1, 2, 4, 8, 2, 4, 8, 8, 16};

enum { RD_SUM, RD_PROD, RD_MM, RD_CTOT, RD_COLSUM, RD_CUM, RD_CARRY, RD_SOFTMAX, RD_MEDIAN,
       RD_NANSUM, RD_CUMEXT, RD_NOPS };
static const char *const rd_opname[RD_NOPS] = {
    "sum", "prod", "mm", "ctot", "colsum", "cum", "carry", "softmax", "median", "nansum",
    "cumext"};
enum { RD_T, RD_W, RD_B, RD_TP, RD_WP, RD_BP, RD_NLAYOUTS };
static const char *const rd_layname[RD_NLAYOUTS] = {"t", "w", "b", "tp", "wp", "bp"};

static int rd_kernels[RD_NOPS][RD_NLAYOUTS][CT_NDTYPES];   /* kernel index + 1; 0: not looked up */

static int rd_kernel(int op, int lay, int dt) {
    int *slot = &rd_kernels[op][lay][dt];
    if (*slot == 0) {
        char name[64];
        snprintf(name, sizeof name, "ct_red_%s_%s_%s", rd_opname[op], rd_layname[lay], rd_sfx[dt]);
        *slot = ctc_kernel(name) + 1;
    }
    return *slot - 1;
}

/* bytes of an accumulator (a partial result) */
static int rd_acc_size(int op, int dt) {
    switch (op) {
    case RD_MM: return 16;                                  /* value, int64 index */
    case RD_CTOT: case RD_CUM: case RD_CARRY:               /* running values */
        return dt == CT_FLOAT16 ? 4 : dt == CT_FLOAT32 ? 8 : dt == CT_COMPLEX64 ? 16 : rd_es[dt];
    default:                                                /* sums and products */
        return dt == CT_FLOAT16 ? 4 : rd_es[dt];
    }
}

/* blocks of 256 threads the device keeps busy at once (32 a multiprocessor),
 * and the work items below which long rows are cut into segments */
static int64_t rd_cap(void) { return (int64_t)ctc_blocks_for((int64_t)1 << 40, 256); }
static int64_t rd_target(void) { int64_t t = rd_cap() / 4; return t > 0 ? t : 1; }

static int64_t rd_cdiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
static int64_t rd_min(int64_t a, int64_t b) { return a < b ? a : b; }


/* the arguments of a launch over rows: row r of x at x + r * ld, len
 * elements, one segment a row (the callers that split rows set segs) */
static void rd_rows_args(ct_red_args *a, const void *x, void *out, int64_t rows, int64_t len,
                         int64_t ld, int flag) {
    memset(a, 0, sizeof *a);
    a->x = ctc_ptr(x);
    a->out = ctc_ptr(out);
    a->rows = rows;
    a->len = len;
    a->ld = ld;
    a->flag = flag;
    a->segs = 1;
    a->seglen = len > 0 ? len : 1;
}

static void rd_launch(int k, int lay, int64_t items, const ct_red_args *a) {
    int64_t cap = rd_cap(), blocks;
    switch (lay % 3) {
    case RD_T: blocks = rd_cdiv(items, 256); break;
    case RD_W: blocks = rd_cdiv(items, 8); break;
    default: blocks = items; break;
    }
    blocks = rd_min(blocks, cap);
    if (blocks < 1) blocks = 1;
    ctc_launch(k, (unsigned)blocks, 1, 1, 256, 1, 1, 0, a, sizeof *a);
}

/* ---------------------------------------------------------- row reductions
 * op over rows of x (of dtype dt, or of accumulators when from_part):
 * results into out / idx. */
static void rd_rows(int op, int dt, const void *x, int from_part, int64_t rows, int64_t len,
                    int64_t ld, int flag, void *out, int64_t *idx) {
    ct_red_args a;
    int lay;
    int64_t segs = 1;
    if (rows <= 0 || ctc_error) return;
    if (len <= 32 || (op == RD_PROD && !from_part && len <= 4096)) {
        /* products: a thread a row multiplies in the CPU's order (the same
         * overflows and underflows) */
        lay = RD_T;
    } else if (len <= 4096 || (rows >= rd_cap() * 8 && len <= 65536)) {
        lay = RD_W;
    } else {
        lay = RD_B;
        segs = rd_cdiv(len, 65536);                       /* <= 256 elements a thread */
        if (rows * segs < rd_target()) {
            int64_t more = rd_min(rd_cdiv(len, 4096), rd_cdiv(rd_target(), rows));
            if (more > segs) segs = more;
        }
    }
    rd_rows_args(&a, x, out, rows, len, ld, flag);
    a.idx = ctc_ptr(idx);
    a.segs = segs;
    if (segs > 1) a.seglen = rd_cdiv(len, segs);
    if (segs > 1) {
        a.segs = segs = rd_cdiv(len, a.seglen);
    }
    void *part = NULL;
    size_t pbytes = 0;
    if (segs > 1) {
        pbytes = (size_t)(rows * segs) * (size_t)rd_acc_size(op, dt);
        part = ctc_scratch(pbytes);
        if (part == NULL) return;
        a.part = ctc_ptr(part);
    }
    rd_launch(rd_kernel(op, from_part ? lay + 3 : lay, dt), lay, rows * segs, &a);
    if (segs > 1) {
        rd_rows(op, dt, part, 1, rows, segs, segs, flag, out, idx);
        ctc_free(part, pbytes);
    }
}

/* ------------------------------------------------------------ column sums */
static void rd_cols(int dt, const void *x, int from_part, int64_t n, int64_t cols, int64_t ld,
                    void *out) {
    ct_red_args a;
    int64_t cap = rd_cap();
    if (cols <= 0 || ctc_error) return;
    if (n <= 0) {
        ctc_memset(out, 0, (size_t)cols * (size_t)rd_es[dt]);
        return;
    }
    memset(&a, 0, sizeof a);
    a.x = ctc_ptr(x);
    a.out = ctc_ptr(out);
    a.rows = n;
    a.len = cols;
    a.ld = ld;
    unsigned tx = 32, ty = 8;
    /* a thread a column adds 512 rows one after the other, and a second
     * pass adds those partial sums in order: the CPU's blocks of 512 rows,
     * so the same sums (up to 512 x 512 rows). Fewer than 32 columns of many
     * rows: blocks of tx columns x ty row lanes instead. */
    int serial = cols >= 32 || n <= 512;
    if (serial) {
        a.seglen = 512;
    } else {
        tx = 1;
        while ((int64_t)tx < cols) tx <<= 1;
        ty = 256 / tx;
        a.seglen = (int64_t)ty * 64;
    }
    a.segs = rd_cdiv(n, a.seglen);
    void *part = NULL;
    size_t pbytes = 0;
    if (a.segs > 1) {
        pbytes = (size_t)(a.segs * cols) * (size_t)rd_acc_size(RD_SUM, dt);
        part = ctc_scratch(pbytes);
        if (part == NULL) return;
        a.part = ctc_ptr(part);
    }
    if (serial) {
        int k = rd_kernel(RD_COLSUM, from_part ? RD_TP : RD_T, dt);
        ctc_launch(k, (unsigned)rd_min(rd_cdiv(a.segs * cols, 256), cap), 1, 1, 256, 1, 1, 0, &a,
                   sizeof a);
    } else {
        int k = rd_kernel(RD_COLSUM, from_part ? RD_BP : RD_B, dt);
        int64_t items = rd_cdiv(cols, tx) * a.segs;
        ctc_launch(k, (unsigned)rd_min(items, cap), 1, 1, tx, ty, 1, 0, &a, sizeof a);
    }
    if (a.segs > 1) {
        rd_cols(dt, part, 1, a.segs, cols, cols, out);
        ctc_free(part, pbytes);
    }
}

/* ------------------------------------------------------------------ scans */
static void rd_cum(int dt, const void *x, int64_t rows, int64_t len, int64_t ld, int is_prod,
                   void *out) {
    ct_red_args a;
    int lay;
    if (rows <= 0 || len <= 0 || ctc_error) return;
    rd_rows_args(&a, x, out, rows, len, ld, is_prod);
    if (len <= 64) lay = RD_T;
    else if (len <= 2048) lay = RD_W;
    else lay = RD_B;
    if (lay == RD_B && rows < rd_target() && len > 16384) {
        int64_t segs = rd_min(rd_cdiv(len, 8192), rd_cdiv(rd_target(), rows));
        a.seglen = rd_cdiv(len, segs);
        a.segs = rd_cdiv(len, a.seglen);
    }
    void *part = NULL;
    size_t pbytes = 0;
    if (a.segs > 1) {
        /* each segment's total, then the exclusive carries, then the scan */
        pbytes = (size_t)(rows * a.segs) * (size_t)rd_acc_size(RD_CUM, dt);
        part = ctc_scratch(pbytes);
        if (part == NULL) return;
        a.part = ctc_ptr(part);
        rd_launch(rd_kernel(RD_CTOT, RD_B, dt), RD_B, rows * a.segs, &a);
        rd_launch(rd_kernel(RD_CARRY, RD_T, dt), RD_T, rows, &a);
    }
    rd_launch(rd_kernel(RD_CUM, lay, dt), lay, rows * a.segs, &a);
    if (part) ctc_free(part, pbytes);
}

/* --------------------------------------------------------------- softmax */
static void rd_softmax(int dt, const void *x, int64_t rows, int64_t len, int64_t ld, int is_log,
                       void *out) {
    ct_red_args a;
    if (rows <= 0 || len <= 0 || ctc_error) return;
    rd_rows_args(&a, x, out, rows, len, ld, is_log);
    int lay = len <= 32 ? RD_T : len <= 2048 ? RD_W : RD_B;
    rd_launch(rd_kernel(RD_SOFTMAX, lay, dt), lay, rows, &a);
}

/* ---------------------------------------------------------------- median
 * A thread a row on a copy of it; rows go in batches that bound the copy. */
static int rd_median(int dt, const void *x, int64_t rows, int64_t len, int64_t ld, void *val,
                     int64_t *idx) {
    if (rows <= 0 || len <= 0 || ctc_error) return 0;
    int kd = dt == CT_BOOL ? CT_UINT8 : dt;
    int ks = dt == CT_FLOAT16 ? 4 : rd_es[dt];              /* half compared as float */
    int64_t batch = rd_min(rows, ((int64_t)1 << 26) / len);
    if (batch < 1) batch = 1;
    size_t bbytes = (size_t)(batch * len) * (size_t)ks, ibytes = (size_t)(batch * len) * 8;
    void *buf = ctc_alloc(bbytes), *ibuf = ctc_alloc(ibytes);
    if (buf == NULL || ibuf == NULL) {
        ctc_free(buf, bbytes);
        ctc_free(ibuf, ibytes);
        return -1;
    }
    int k = rd_kernel(RD_MEDIAN, RD_T, kd);
    for (int64_t r0 = 0; r0 < rows; r0 += batch) {
        ct_red_args a;
        rd_rows_args(&a, (const char *)x + r0 * ld * rd_es[dt], (char *)val + r0 * rd_es[dt],
                     rd_min(batch, rows - r0), len, ld, 0);
        a.idx = idx ? ctc_ptr(idx + r0) : 0;
        a.buf = ctc_ptr(buf);
        a.ibuf = ctc_ptr(ibuf);
        rd_launch(k, RD_T, a.rows, &a);
    }
    ctc_free(buf, bbytes);
    ctc_free(ibuf, ibytes);
    return 0;
}

/* ------------------------------------------------------ the entries, per dtype */

#define RD_ENTRIES(S, D)                                                                   \
    static void rd_sum_rows_##S(const void *x, int64_t rows, int64_t len, int64_t ld,      \
                                void *out) {                                               \
        rd_rows(RD_SUM, D, x, 0, rows, len, ld, 0, out, NULL);                             \
    }                                                                                      \
    static void rd_sum_cols_##S(const void *x, int64_t n, int64_t cols, int64_t ld,        \
                                void *out) {                                               \
        rd_cols(D, x, 0, n, cols, ld, out);                                                \
    }                                                                                      \
    static void rd_prod_##S(const void *x, int64_t rows, int64_t len, int64_t ld,          \
                            void *out) {                                                   \
        rd_rows(RD_PROD, D, x, 0, rows, len, ld, 0, out, NULL);                            \
    }                                                                                      \
    static void rd_cum_##S(const void *x, int64_t rows, int64_t len, int64_t ld,           \
                           int is_prod, void *out) {                                       \
        rd_cum(D, x, rows, len, ld, is_prod, out);                                         \
    }
RD_ENTRIES(i64, CT_INT64)
RD_ENTRIES(f16, CT_FLOAT16)
RD_ENTRIES(f32, CT_FLOAT32)
RD_ENTRIES(f64, CT_FLOAT64)
RD_ENTRIES(c64, CT_COMPLEX64)
RD_ENTRIES(c128, CT_COMPLEX128)

#define RD_MINMAX(S, D)                                                                    \
    static void rd_minmax_##S(const void *x, int64_t rows, int64_t len, int64_t ld,        \
                              int is_max, void *val, int64_t *idx) {                       \
        if (val == NULL && idx == NULL) return;                                            \
        rd_rows(RD_MM, D, x, 0, rows, len, ld, is_max, val, idx);                          \
    }
#define RD_MEDIAN(S, D)                                                                    \
    static int rd_median_##S(const void *x, int64_t rows, int64_t len, int64_t ld,         \
                             void *val, int64_t *idx) {                                    \
        return rd_median(D, x, rows, len, ld, val, idx);                                   \
    }
RD_MINMAX(b, CT_BOOL) RD_MINMAX(u8, CT_UINT8) RD_MINMAX(i8, CT_INT8) RD_MINMAX(i16, CT_INT16)
RD_MINMAX(i32, CT_INT32) RD_MINMAX(i64, CT_INT64) RD_MINMAX(f16, CT_FLOAT16)
RD_MINMAX(f32, CT_FLOAT32) RD_MINMAX(f64, CT_FLOAT64)
RD_MEDIAN(u8, CT_UINT8) RD_MEDIAN(i8, CT_INT8) RD_MEDIAN(i16, CT_INT16)
RD_MEDIAN(i32, CT_INT32) RD_MEDIAN(i64, CT_INT64) RD_MEDIAN(f16, CT_FLOAT16)
RD_MEDIAN(f32, CT_FLOAT32) RD_MEDIAN(f64, CT_FLOAT64)

static void rd_softmax_f32(const void *x, int64_t rows, int64_t len, int64_t ld, int is_log,
                           void *out) {
    rd_softmax(CT_FLOAT32, x, rows, len, ld, is_log, out);
}
static void rd_softmax_f64(const void *x, int64_t rows, int64_t len, int64_t ld, int is_log,
                           void *out) {
    rd_softmax(CT_FLOAT64, x, rows, len, ld, is_log, out);
}

/* nansum: the sums' layouts over the floating dtypes */
#define RD_NANSUM(S, D)                                                                    \
    static void rd_nansum_##S(const void *x, int64_t rows, int64_t len, int64_t ld,        \
                              void *out) {                                                 \
        rd_rows(RD_NANSUM, D, x, 0, rows, len, ld, 0, out, NULL);                          \
    }
RD_NANSUM(f16, CT_FLOAT16) RD_NANSUM(f32, CT_FLOAT32) RD_NANSUM(f64, CT_FLOAT64)

/* cummax / cummin: a thread a row */
static void rd_cumext(int dt, const void *x, int64_t rows, int64_t len, int64_t ld, int is_max,
                      void *val, int64_t *idx) {
    ct_red_args a;
    if (rows <= 0 || len <= 0 || ctc_error) return;
    rd_rows_args(&a, x, val, rows, len, ld, is_max);
    a.idx = ctc_ptr(idx);
    rd_launch(rd_kernel(RD_CUMEXT, RD_T, dt), RD_T, rows, &a);
}
#define RD_CUMEXT(S, D)                                                                    \
    static void rd_cumext_##S(const void *x, int64_t rows, int64_t len, int64_t ld,        \
                              int is_max, void *val, int64_t *idx) {                       \
        rd_cumext(D, x, rows, len, ld, is_max, val, idx);                                  \
    }
RD_CUMEXT(b, CT_BOOL) RD_CUMEXT(u8, CT_UINT8) RD_CUMEXT(i8, CT_INT8) RD_CUMEXT(i16, CT_INT16)
RD_CUMEXT(i32, CT_INT32) RD_CUMEXT(i64, CT_INT64) RD_CUMEXT(f16, CT_FLOAT16)
RD_CUMEXT(f32, CT_FLOAT32) RD_CUMEXT(f64, CT_FLOAT64)

/* the tables: the CPU's dtypes (reduce.c), no more */
#define RD_SIX(P)                                                                          \
    {NULL, NULL, NULL, NULL, NULL, P##i64, P##f16, P##f32, P##f64, P##c64, P##c128}
static const ct_sum_rows_fn rd_sum_rows_tab[CT_NDTYPES] = RD_SIX(rd_sum_rows_);
static const ct_sum_cols_fn rd_sum_cols_tab[CT_NDTYPES] = RD_SIX(rd_sum_cols_);
static const ct_prod_fn rd_prod_tab[CT_NDTYPES] = RD_SIX(rd_prod_);
static const ct_cum_fn rd_cum_tab[CT_NDTYPES] = RD_SIX(rd_cum_);
static const ct_minmax_fn rd_minmax_tab[CT_NDTYPES] = {
    rd_minmax_b, rd_minmax_u8, rd_minmax_i8, rd_minmax_i16, rd_minmax_i32, rd_minmax_i64,
    rd_minmax_f16, rd_minmax_f32, rd_minmax_f64, NULL, NULL};
static const ct_median_fn rd_median_tab[CT_NDTYPES] = {
    rd_median_u8, rd_median_u8, rd_median_i8, rd_median_i16, rd_median_i32, rd_median_i64,
    rd_median_f16, rd_median_f32, rd_median_f64, NULL, NULL};
static const ct_sum_rows_fn rd_nansum_tab[CT_NDTYPES] = {
    NULL, NULL, NULL, NULL, NULL, NULL, rd_nansum_f16, rd_nansum_f32, rd_nansum_f64, NULL, NULL};
static const ct_cumext_fn rd_cumext_tab[CT_NDTYPES] = {
    rd_cumext_b, rd_cumext_u8, rd_cumext_i8, rd_cumext_i16, rd_cumext_i32, rd_cumext_i64,
    rd_cumext_f16, rd_cumext_f32, rd_cumext_f64, NULL, NULL};
static const ct_softmax_fn rd_softmax_tab[CT_NDTYPES] = {
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, rd_softmax_f32, rd_softmax_f64, NULL, NULL};

void ctc_fill_reduce(ct_backend *b) {
    memset(rd_kernels, 0, sizeof rd_kernels);
    b->sum_rows = rd_sum_rows_tab;
    b->sum_cols = rd_sum_cols_tab;
    b->minmax = rd_minmax_tab;
    b->median = rd_median_tab;
    b->prod = rd_prod_tab;
    b->cum = rd_cum_tab;
    b->softmax = rd_softmax_tab;
    b->nansum_rows = rd_nansum_tab;
    b->cumext = rd_cumext_tab;
}
