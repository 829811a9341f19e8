/* The thread count of ctorch's CPU kernels (ct_num_threads, the one copy)
 * and the strided N-d loop driver that every elementwise kernel runs under:
 * row by row (ct_run_range), or in tiles when an operand is transposed
 * (ct_run_tiled), split between OpenMP threads when the tensor is large
 * enough to pay for a parallel region. strided.h declares the entry points.
 */
#include "strided.h"
#include "copy.h"

/* ---- threads ---------------------------------------------------------- */

static int ct_num_threads = 0;   /* 0: not set yet -> OpenMP default */

int ct_get_num_threads(void) {
#ifdef _OPENMP
    return ct_num_threads > 0 ? ct_num_threads : omp_get_max_threads();
#else
    return 1;
#endif
}

void ct_set_num_threads(int n) {
    ct_num_threads = n > 0 ? n : 1;
#ifdef _OPENMP
    omp_set_num_threads(ct_num_threads);
#endif
}

/* ---- the N-d driver --------------------------------------------------- */

/* Runs `fn` over elements [start, stop) of the row-major index space of
 * `shape` (ndim >= 1). strides: nargs x ndim byte strides, operand-major. */
static void ct_run_range(ct_loop_fn fn, const void *extra, int nargs, int ndim,
                         const int64_t *shape, const int64_t *strides,
                         char *const *base, int64_t start, int64_t stop)
{
    int64_t idx[CT_MAXDIM];
    char *ptr[CT_MAXARGS];
    int64_t inner[CT_MAXARGS];
    int64_t rest = start;
    int last = ndim - 1;
    for (int d = last; d >= 0; d--) {
        idx[d] = rest % shape[d];
        rest /= shape[d];
    }
    for (int k = 0; k < nargs; k++) {
        char *q = base[k];
        for (int d = 0; d < ndim; d++) q += idx[d] * strides[k * ndim + d];
        ptr[k] = q;
        inner[k] = strides[k * ndim + last];
    }
    int64_t todo = stop - start;
    /* whole rows of the last dim, one after another along the dim before
     * it: pointers stepped by that dim's strides (the odometer below cost a
     * third of short rows' time) */
    int64_t rstep[CT_MAXARGS];
    if (ndim >= 2)
        for (int k = 0; k < nargs; k++) rstep[k] = strides[k * ndim + last - 1];
    while (todo > 0) {
        int64_t run = shape[last] - idx[last];
        if (run > todo) run = todo;
        if (ndim >= 2 && idx[last] == 0 && run == shape[last] && idx[last - 1] + 1 < shape[last - 1]
            && todo >= 2 * run) {
            /* rows idx[last - 1] .. that many more, all whole */
            int64_t rows = todo / run, left = shape[last - 1] - idx[last - 1];
            if (rows > left) rows = left;
            for (int64_t r = 0; r < rows; r++) {
                fn(ptr, inner, run, extra);
                for (int k = 0; k < nargs; k++) ptr[k] += rstep[k];
            }
            todo -= rows * run;
            if (todo <= 0) break;
            /* back to the last row done, for the odometer's carry */
            for (int k = 0; k < nargs; k++) ptr[k] -= rstep[k];
            idx[last - 1] += rows - 1;
        } else {
            fn(ptr, inner, run, extra);
            todo -= run;
            if (todo <= 0) break;
        }
        /* advance the odometer past the row just done */
        for (int k = 0; k < nargs; k++) ptr[k] += run * inner[k];
        idx[last] += run;
        for (int d = last; d > 0 && idx[d] == shape[d]; d--) {
            for (int k = 0; k < nargs; k++)
                ptr[k] += strides[k * ndim + d - 1] - shape[d] * strides[k * ndim + d];
            idx[d] = 0;
            idx[d - 1]++;
        }
    }
}

/* ---- tiled traversal for transposed operands --------------------------- */

/* When an input walks its memory along a different dim than the output does
 * (x.t().contiguous(), a + b.t()), the row-by-row walk reads that input with
 * a large stride: every element touches a new cache line, and by the time
 * the next row wants the neighbouring element the line is gone. Walking the
 * last two dims in CT_TILE x CT_TILE squares keeps both sides' lines in L1
 * until they are used up. The leading dims, if any, are a batch; tiles are
 * independent, so threads take whole tiles. 16 measured best for a 4096^2
 * float transpose here (16: 100 ms, 32: 123 ms, 64: 117 ms, row by row:
 * 230 ms): power-of-two row strides map a tall tile's lines onto few cache
 * sets and many pages, so short tiles win. */
#define CT_TILE 16
#define CT_TILE_MIN_DIM 16          /* both tiled dims at least this long */
#define CT_TILE_MIN_TOTAL 4096      /* smaller spaces fit in cache in any order */

/* operand k walks its memory across the last two dims' rows: "transposed" */
static int ct_transposed_input(int k, int ndim, const int64_t *strides)
{
    int64_t outer = strides[k * ndim + ndim - 2], inner = strides[k * ndim + ndim - 1];
    if (outer < 0) outer = -outer;
    if (inner < 0) inner = -inner;
    return outer != 0 && outer < inner;
}

static int ct_wants_tiles(int nargs, int ndim, const int64_t *shape, const int64_t *strides)
{
    if (ndim < 2 || shape[ndim - 1] < CT_TILE_MIN_DIM || shape[ndim - 2] < CT_TILE_MIN_DIM) return 0;
    for (int k = 1; k < nargs; k++)
        if (ct_transposed_input(k, ndim, strides)) return 1;
    return 0;
}

/* ---- buffered tiles: transposed inputs copied to dense blocks ---------------
 * With the element sizes known (ct_run_sized), the tiles are BT rows x
 * CT_BUF_TC columns, and each transposed input's tile is first copied into a
 * dense block (ct_copy_block: read down its contiguous dim, a cache line a
 * column); the loop then runs on rows of CT_BUF_TC elements with that input
 * dense, so its vector path serves instead of an element-at-a-time walk over
 * 16-element tile rows (a * b.t() of 1000 x 1000 floats: 2.4 ms -> 0.4 ms).
 * BT rows of the widest buffered element are CT_BUF_LINE bytes (two cache
 * lines: one measured 15% slower for doubles), 32 KiB a block. */
#define CT_BUF_TC 256
#define CT_BUF_LINE 128

#define CT_BUF_BYTES (CT_BUF_LINE * CT_BUF_TC)
/* the elements of a repeated row's block (ct_run_tile) */
#ifndef CT_REP_GROUP
#define CT_REP_GROUP 1024
#endif
/* tile number `t` of the space, tr x tc elements: batch index, then tile
 * row, then tile column; the inputs in bufmask (bit k: operand k) copied to
 * dense blocks of isz[k]-byte elements first, block k - 1 of buf */
static void ct_run_tile(ct_loop_fn fn, const void *extra, int nargs, int ndim,
                        const int64_t *shape, const int64_t *strides, char *const *base,
                        int64_t t, int64_t tiles_r, int64_t tiles_c, int64_t tr_, int64_t tc_,
                        const int *isz, unsigned bufmask, char *buf)
{
    int R = ndim - 2, C = ndim - 1;
    int64_t tc = t % tiles_c, tr = (t / tiles_c) % tiles_r, batch = t / tiles_c / tiles_r;
    int64_t r0 = tr * tr_, c0 = tc * tc_;
    int64_t nr = shape[R] - r0 < tr_ ? shape[R] - r0 : tr_;
    int64_t nc = shape[C] - c0 < tc_ ? shape[C] - c0 : tc_;
    char *ptr[CT_MAXARGS], *src[CT_MAXARGS];
    int64_t inner[CT_MAXARGS], step[CT_MAXARGS];
    /* Where the other operands' rows are adjacent and every copied input is
     * broadcast along its rows or down them, the copies go in groups of g
     * rows of about CT_REP_GROUP elements, each group's block made
     * just before the loop runs once over the group (a block in L1: a
     * column broadcast down 32768 rows of 16 floats in 32 KB blocks, made
     * and read back through L2, ran 0.7x PyTorch's speed); an input that is
     * one row repeated down the tile is copied for the first group only
     * and its block serves each group in turn (a 16 KB block of 128 copies
     * of a 32-float row, read once, cost a third of x * y[:, None]). */
    int adj = 1, rep = bufmask != 0, bcast = 1;
    for (int k = 0; k < nargs; k++) {
        const int64_t *sk = strides + k * ndim;
        if (bufmask >> k & 1) {
            rep &= sk[R] == 0;
            bcast &= sk[R] == 0 || sk[C] == 0;      /* (a transposed block: whole) */
        } else {
            adj &= sk[R] == nc * sk[C];
        }
    }
    int64_t g = nr;
    if (bufmask && adj && bcast && nc < CT_REP_GROUP) {
        g = CT_REP_GROUP / nc;
        if (g > nr) g = nr;
    }
    for (int k = 0; k < nargs; k++) {
        const int64_t *sk = strides + k * ndim;
        char *q = base[k] + r0 * sk[R] + c0 * sk[C];
        int64_t rest = batch;                       /* decode the batch index */
        for (int d = R - 1; d >= 0; d--) {
            q += (rest % shape[d]) * sk[d];
            rest /= shape[d];
        }
        src[k] = q;
        if (bufmask >> k & 1) {
            ptr[k] = buf + (k - 1) * CT_BUF_BYTES;
            inner[k] = isz[k];
            step[k] = nc * isz[k];
        } else {
            ptr[k] = q;
            inner[k] = sk[C];
            step[k] = sk[R];
        }
    }
    if (adj) {
        /* a run a group, the blocks' pointers left where they are */
        for (int64_t i = 0; i < nr; i += g) {
            const int64_t gi = nr - i < g ? nr - i : g;
            for (int k = 0; k < nargs; k++) {
                const int64_t *sk = strides + k * ndim;
                if (!(bufmask >> k & 1)) continue;
                if (i == 0 || !rep)
                    ct_copy_block(isz[k], ptr[k], nc * isz[k], src[k] + i * sk[R], sk[R], sk[C], gi,
                                  nc);
            }
            fn(ptr, inner, gi * nc, extra);
            for (int k = 0; k < nargs; k++)
                if (!(bufmask >> k & 1)) ptr[k] += g * step[k];
        }
        return;
    }
    for (int k = 0; k < nargs; k++)
        if (bufmask >> k & 1)
            ct_copy_block(isz[k], ptr[k], nc * isz[k], src[k], strides[k * ndim + R],
                          strides[k * ndim + C], nr, nc);
    for (int64_t i = 0; i < nr; i++) {
        fn(ptr, inner, nc, extra);
        for (int k = 0; k < nargs; k++) ptr[k] += step[k];
    }
}

/* the whole space in tiles of tr x tc, threads taking whole tiles */
static void ct_run_tiled(ct_loop_fn fn, const void *extra, int nargs, int ndim,
                         const int64_t *shape, const int64_t *strides, char *const *base,
                         int64_t total, int64_t grain, int64_t tr, int64_t tc, const int *isz,
                         unsigned bufmask)
{
    int64_t tiles_r = (shape[ndim - 2] + tr - 1) / tr;
    int64_t tiles_c = (shape[ndim - 1] + tc - 1) / tc;
    int64_t ntiles = tiles_r * tiles_c * (total / (shape[ndim - 1] * shape[ndim - 2]));
    int nt = ct_get_num_threads();
    if (nt > 1 && total >= grain && ntiles > 1) {
#ifdef _OPENMP
        #pragma omp parallel num_threads(nt)
        {
            /* a thread's blocks, on its stack once for all its tiles */
            _Alignas(64) char buf[bufmask ? (CT_MAXARGS - 1) * CT_BUF_BYTES : 1];
            #pragma omp for schedule(static)
            for (int64_t t = 0; t < ntiles; t++)
                ct_run_tile(fn, extra, nargs, ndim, shape, strides, base, t, tiles_r, tiles_c, tr,
                            tc, isz, bufmask, buf);
        }
        return;
#endif
    }
    _Alignas(64) char buf[bufmask ? (CT_MAXARGS - 1) * CT_BUF_BYTES : 1];
    for (int64_t t = 0; t < ntiles; t++)
        ct_run_tile(fn, extra, nargs, ndim, shape, strides, base, t, tiles_r, tiles_c, tr, tc,
                    isz, bufmask, buf);
}

/* the transposed inputs whose element size is known (bit k: operand k),
 * and the widest of them */
static unsigned ct_buffered_inputs(int nargs, int ndim, const int64_t *strides, const int *isz,
                                   int *widest)
{
    unsigned mask = 0;
    *widest = 0;
    for (int k = 1; k < nargs && k < CT_MAXARGS; k++)
        if (isz[k] > 0 && ct_transposed_input(k, ndim, strides)) {
            mask |= 1u << k;
            *widest = isz[k] > *widest ? isz[k] : *widest;
        }
    return mask;
}

/* ---- short rows: broadcast inputs copied to dense blocks ------------------
 * Rows shorter than CT_SHORT_ROW cost a loop call each; where the output's
 * rows are adjacent and an input's are not (broadcast along the rows, x /
 * x.sum(1, keepdim=True), or a row repeated, x / y[:, None, :]), that
 * input's rows are copied into a dense block of whole rows (ct_copy_block
 * repeats a broadcast element) and the loop runs once over the block (a
 * 100000 x 8 float division by a column: 0.47 -> 0.2 ms). A broadcast
 * element is repeated across the row, which from CT_SHORT_ROW on costs
 * about what the calls save (rows of 49 ran 20% slower copied), except for
 * rows of whole cache lines up to CT_SHORT_ROW_LINES of them (a column
 * added to 8192 rows of 32 floats: 0.65 -> 0.90 of PyTorch's speed; rows
 * of 32 doubles ran 10% slower copied); a repeated row is copied whole, which
 * pays below CT_SHORT_ROW_COPY. (Float add, sub, mul and div with a
 * broadcast column over rows of 64 bytes to 1 KB never get here: the CPU
 * backend's row kernels, ct_run_rowv, take them first.) The bits of the
 * inputs to copy (0: the layout does not qualify) and the widest of them. */
#define CT_SHORT_ROW 32
#define CT_SHORT_ROW_COPY 64
#define CT_SHORT_ROW_LINES 2

static unsigned ct_short_row_inputs(int nargs, int ndim, const int64_t *shape,
                                    const int64_t *strides, const int *isz, int *widest)
{
    int R = ndim - 2, C = ndim - 1;
    unsigned mask = 0;
    *widest = 0;
    if (ndim < 2 || shape[C] >= CT_SHORT_ROW_COPY || shape[R] < 2 || nargs > CT_MAXARGS)
        return 0;
    for (int k = 0; k < nargs; k++) {
        const int64_t *sk = strides + k * ndim;
        if (sk[R] == shape[C] * sk[C]) continue;        /* rows adjacent: read in place */
        if (k == 0 || isz[k] <= 0) return 0;
        const int64_t bytes = shape[C] * isz[k];
        const int lines = bytes % 64 == 0 && bytes <= CT_SHORT_ROW_LINES * 64;
        if (sk[C] == 0 ? shape[C] >= CT_SHORT_ROW && !lines : shape[C] >= CT_SHORT_ROW_COPY)
            return 0;
        mask |= 1u << k;
        *widest = isz[k] > *widest ? isz[k] : *widest;
    }
    return mask;
}

void ct_run(ct_loop_fn fn, const void *extra, int nargs, int ndim,
            const int64_t *shape, const int64_t *strides, char *const *base,
            int64_t grain)
{
    ct_run_sized(fn, extra, nargs, ndim, shape, strides, base, grain, NULL);
}

/* Runs fn over the whole space; `grain` is the element count under which
 * one thread does everything. */
void ct_run_sized(ct_loop_fn fn, const void *extra, int nargs, int ndim,
                  const int64_t *shape, const int64_t *strides, char *const *base,
                  int64_t grain, const int *isz)
{
    int64_t total = 1;
    for (int d = 0; d < ndim; d++) total *= shape[d];
    if (total == 0) return;
    if (ndim == 0) {
        int64_t zero[CT_MAXARGS] = {0, 0, 0, 0};
        fn((char **)base, zero, 1, extra);
        return;
    }
    if (total < grain && total < CT_TILE_MIN_TOTAL) {
        /* small: one thread, no tiling (the common case of small tensors) */
        ct_run_range(fn, extra, nargs, ndim, shape, strides, base, 0, total);
        return;
    }
    if (total >= CT_TILE_MIN_TOTAL && isz != NULL) {
        int widest = 0;
        unsigned mask = ct_short_row_inputs(nargs, ndim, shape, strides, isz, &widest);
        if (mask) {
            int64_t nc = shape[ndim - 1], bt = CT_BUF_BYTES / (nc * widest);
            ct_run_tiled(fn, extra, nargs, ndim, shape, strides, base, total, grain, bt, nc,
                         isz, mask);
            return;
        }
    }
    if (total >= CT_TILE_MIN_TOTAL && ct_wants_tiles(nargs, ndim, shape, strides)) {
        int widest = 0;
        unsigned mask = isz ? ct_buffered_inputs(nargs, ndim, strides, isz, &widest) : 0;
        if (mask) {
            const int64_t bt = CT_BUF_LINE / widest > 1 ? CT_BUF_LINE / widest : 1;
            ct_run_tiled(fn, extra, nargs, ndim, shape, strides, base, total, grain, bt, CT_BUF_TC,
                         isz, mask);
        } else {
            ct_run_tiled(fn, extra, nargs, ndim, shape, strides, base, total, grain, CT_TILE, CT_TILE,
                         NULL, 0);
        }
        return;
    }
    int nt = ct_get_num_threads();
    if (nt <= 1 || total < grain) {
        ct_run_range(fn, extra, nargs, ndim, shape, strides, base, 0, total);
        return;
    }
    int64_t chunks = total / (grain > 0 ? grain : 1);
    if (chunks < nt) nt = (int)chunks;
#ifdef _OPENMP
    #pragma omp parallel num_threads(nt)
    {
        int t = omp_get_thread_num(), T = omp_get_num_threads();
        /* split on 64-element boundaries so that each thread's vector loop stays aligned */
        int64_t per = ((total + T - 1) / T + 63) & ~(int64_t)63;
        int64_t a = per * t, b = a + per;
        if (b > total) b = total;
        if (a < b) ct_run_range(fn, extra, nargs, ndim, shape, strides, base, a, b);
    }
#else
    ct_run_range(fn, extra, nargs, ndim, shape, strides, base, 0, total);
#endif
}
