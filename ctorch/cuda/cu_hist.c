/* The CUDA backend's histogram entries (backend.h, hist.h): histogram per
 * dtype (float32, float64), minmax_range per dtype, minmax_i64 and
 * bincount, over the kernels of cuda_src/hist.cu.
 *
 * Data pointers (x, w, the edges, hist, cnt / wsum) are device pointers;
 * the caller zeroes the result arrays, as on the CPU. The min and max that
 * the ops read on the host (*mn, *mx) are host memory: the entries reduce
 * on the device and copy the result back. A driver failure sets the sticky
 * error (ctc_error), which the op raises after the call; an allocation that
 * fails returns -1 (histogram, bincount) as the CPU's out of memory does. */
#include <math.h>
#include <string.h>
#include "cuda_backend.h"
#include "../../cuda_src/hist_args.h"

/* kernel index + 1 (0: not looked up yet) */
static int k_hist[2], k_hist_sh[2], k_bin, k_bin_sh, k_mm[3];

static int ctc_lookup(int *slot, const char *name) {
    if (*slot == 0) *slot = ctc_kernel(name) + 1;
    return *slot - 1;
}

/* blocks of 256 threads for n elements of a kernel whose blocks cooperate
 * (shared-memory bins, a block's min/max): as many as the device holds at
 * once (8 a multiprocessor), not more, since each block pays a fixed cost
 * (zeroing and adding its bins, combining its threads) */
static unsigned ctc_sync_blocks(int64_t n) {
    unsigned b = ctc_blocks_for(n, 256), cap = ctc_blocks_for((int64_t)1 << 40, 256) / 4;
    if (cap < 1) cap = 1;
    return b < cap ? b : cap;
}

/* ------------------------------------------------------------- histogram */

static int ctc_histogram(int is64, const void *x, const void *w, int64_t n, const void *e,
                         int64_t nb, int linear, double *hist) {
    if (n <= 0 || nb <= 0 || ctc_error) return 0;
    ct_hist_args a;
    memset(&a, 0, sizeof a);
    a.x = ctc_ptr(x);
    a.w = ctc_ptr(w);
    a.e = ctc_ptr(e);
    a.hist = ctc_ptr(hist);
    a.n = n;
    a.nb = nb;
    a.linear = linear;
    if (nb <= CT_HIST_SH_BINS)
        ctc_launch(ctc_lookup(&k_hist_sh[is64], is64 ? "ct_hist_sh_f64" : "ct_hist_sh_f32"),
                   ctc_sync_blocks(n), 1, 1, 256, 1, 1, 0, &a, sizeof a);
    else
        ctc_launch1d(ctc_lookup(&k_hist[is64], is64 ? "ct_hist_f64" : "ct_hist_f32"), n, &a,
                     sizeof a);
    return 0;
}

static int ctc_histogram_f32(const void *x, const void *w, int64_t n, const void *e, int64_t nb,
                             int linear, double *hist) {
    return ctc_histogram(0, x, w, n, e, nb, linear, hist);
}

static int ctc_histogram_f64(const void *x, const void *w, int64_t n, const void *e, int64_t nb,
                             int linear, double *hist) {
    return ctc_histogram(1, x, w, n, e, nb, linear, hist);
}

/* ------------------------------------------------------------- min / max */

/* the min/max of n >= 1 values into *res (host): a pass of one partial
 * result a block, then one block over the partials. which: 0 f32, 1 f64,
 * 2 i64; psize: the partial's bytes. Returns 0, or -1 on a failure (the
 * sticky error is set). */
static int ctc_mm(int which, const void *x, int64_t n, void *res, size_t psize) {
    static const char *const names[3] = {"ct_hist_mm_f32", "ct_hist_mm_f64", "ct_hist_mm_i64"};
    if (ctc_error) return -1;
    int k = ctc_lookup(&k_mm[which], names[which]);
    unsigned blocks = ctc_sync_blocks(n);
    size_t bytes = ((size_t)blocks + 1) * psize;
    char *part = (char *)ctc_scratch(bytes);
    if (part == NULL) return -1;
    ct_hist_mm_args a;
    memset(&a, 0, sizeof a);
    a.x = ctc_ptr(x);
    a.out = ctc_ptr(part);
    a.n = n;
    ctc_launch(k, blocks, 1, 1, 256, 1, 1, 0, &a, sizeof a);
    a.x = ctc_ptr(part);
    a.out = ctc_ptr(part + (size_t)blocks * psize);
    a.n = blocks;
    a.from_part = 1;
    ctc_launch(k, 1, 1, 1, 256, 1, 1, 0, &a, sizeof a);
    ctc_copy(res, part + (size_t)blocks * psize, psize, CTC_D2H);
    ctc_free(part, bytes);
    return ctc_error ? -1 : 0;
}

static void ctc_minmax_range(int which, const void *x, int64_t n, double *mn, double *mx) {
    ct_hist_mmf r;
    *mn = *mx = (double)NAN;
    if (n <= 0 || ctc_mm(which, x, n, &r, sizeof r) != 0) return;
    if (r.nan || r.kmn < 0) return;
    *mn = r.mn;
    *mx = r.mx;
}

static void ctc_minmax_f32(const void *x, int64_t n, double *mn, double *mx) {
    ctc_minmax_range(0, x, n, mn, mx);
}

static void ctc_minmax_f64(const void *x, int64_t n, double *mn, double *mx) {
    ctc_minmax_range(1, x, n, mn, mx);
}

static void ctc_minmax_i64(const int64_t *x, int64_t n, int64_t *mn, int64_t *mx) {
    ct_hist_mmi r;
    *mn = *mx = 0;
    if (n <= 0 || ctc_mm(2, x, n, &r, sizeof r) != 0) return;
    *mn = r.mn;
    *mx = r.mx;
}

/* --------------------------------------------------------------- bincount */

static int ctc_bincount(const int64_t *x, const double *w, int64_t n, int64_t nbins, int64_t *cnt,
                        double *wsum) {
    if (n <= 0 || nbins <= 0 || ctc_error) return 0;
    ct_bincount_args a;
    memset(&a, 0, sizeof a);
    a.x = ctc_ptr(x);
    a.w = ctc_ptr(w);
    a.out = w ? ctc_ptr(wsum) : ctc_ptr(cnt);
    a.n = n;
    a.nbins = nbins;
    if (nbins <= CT_HIST_SH_BINS)
        ctc_launch(ctc_lookup(&k_bin_sh, "ct_bincount_sh"), ctc_sync_blocks(n), 1, 1, 256, 1, 1, 0,
                   &a, sizeof a);
    else
        ctc_launch1d(ctc_lookup(&k_bin, "ct_bincount"), n, &a, sizeof a);
    return 0;
}

/* ------------------------------------------------------------- the table */

static ct_histogram_fn ctc_histogram_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ctc_histogram_f32, [CT_FLOAT64] = ctc_histogram_f64};
static ct_minmax_range_fn ctc_minmax_range_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ctc_minmax_f32, [CT_FLOAT64] = ctc_minmax_f64};

void ctc_fill_hist(ct_backend *b) {
    memset(k_hist, 0, sizeof k_hist);
    memset(k_hist_sh, 0, sizeof k_hist_sh);
    memset(k_mm, 0, sizeof k_mm);
    k_bin = k_bin_sh = 0;
    b->histogram = ctc_histogram_loops;
    b->minmax_range = ctc_minmax_range_loops;
    b->minmax_i64 = ctc_minmax_i64;
    b->bincount = ctc_bincount;
}
