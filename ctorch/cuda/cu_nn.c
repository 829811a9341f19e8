/* The CUDA backend's nn entries (backend.h, nn.h): gelu, gelu_bwd, nll and
 * nll_bwd per dtype (float32, float64), over the kernels of cuda_src/nn.cu.
 *
 * Data pointers are device pointers. nll's *sum and *wsum are host memory,
 * as in the CPU's contract: the kernels add per block, one more launch adds
 * the blocks' sums, and the entry copies the two doubles back together with
 * the word that holds the first row with a bad target. A driver failure
 * sets the sticky error (ctc_error), which the op raises after the call. */
#include <string.h>
#include "cuda_backend.h"
#include "../../cuda_src/nn_args.h"

/* kernel index + 1 (0: not looked up yet); [0] float32, [1] float64 */
static int k_gelu[2], k_gelu_bwd[2], k_nll[2], k_nll_bwd[2], k_nll_sum;

static int ctc_lookup(int *slot, const char *name) {
    if (*slot == 0) *slot = ctc_kernel(name) + 1;
    return *slot - 1;
}

/* ------------------------------------------------------------------ gelu */

static void ctc_gelu(int is64, const void *x, const void *g, void *y, int64_t n, int approx,
                     int bwd) {
    if (n <= 0 || ctc_error) return;
    ct_gelu_args a;
    memset(&a, 0, sizeof a);
    a.x = ctc_ptr(x);
    a.g = ctc_ptr(g);
    a.y = ctc_ptr(y);
    a.n = n;
    a.approx = approx;
    int k = bwd ? ctc_lookup(&k_gelu_bwd[is64], is64 ? "ct_gelu_bwd_f64" : "ct_gelu_bwd_f32")
                : ctc_lookup(&k_gelu[is64], is64 ? "ct_gelu_f64" : "ct_gelu_f32");
    ctc_launch1d(k, n, &a, sizeof a);
}

static void ctc_gelu_f32(const void *x, void *y, int64_t n, int approx) {
    ctc_gelu(0, x, NULL, y, n, approx, 0);
}
static void ctc_gelu_f64(const void *x, void *y, int64_t n, int approx) {
    ctc_gelu(1, x, NULL, y, n, approx, 0);
}
static void ctc_gelu_bwd_f32(const void *g, const void *x, void *dx, int64_t n, int approx) {
    ctc_gelu(0, x, g, dx, n, approx, 1);
}
static void ctc_gelu_bwd_f64(const void *g, const void *x, void *dx, int64_t n, int approx) {
    ctc_gelu(1, x, g, dx, n, approx, 1);
}

/* ------------------------------------------------------------------- nll */

/* scratch: [0] the bad-row word (uint64), [1], [2] the total loss and
 * weight, then two doubles a block */
static int64_t ctc_nll(int is64, const void *x, int64_t N, int64_t C, int64_t sn, int64_t sc,
                       const void *t, int tbyte, int64_t st, const void *w, int64_t ignore,
                       void *rows, double *sum, double *wsum) {
    *sum = *wsum = 0;
    if (N <= 0 || ctc_error) return -1;
    /* as many blocks as the device holds at once (8 a multiprocessor) */
    unsigned blocks = ctc_blocks_for(N, 256), cap = ctc_blocks_for((int64_t)1 << 40, 256) / 4;
    if (cap < 1) cap = 1;
    if (blocks > cap) blocks = cap;
    size_t bytes = (3 + 2 * (size_t)blocks) * 8;
    char *scratch = (char *)ctc_scratch(bytes);
    if (scratch == NULL) return -1;
    ctc_memset(scratch, 0xFF, 8);
    ct_nll_args a;
    memset(&a, 0, sizeof a);
    a.x = ctc_ptr(x);
    a.t = ctc_ptr(t);
    a.w = ctc_ptr(w);
    a.rows = ctc_ptr(rows);
    a.part = ctc_ptr(scratch + 24);
    a.flag = ctc_ptr(scratch);
    a.N = N;
    a.C = C;
    a.sn = sn;
    a.sc = sc;
    a.st = st;
    a.ignore = ignore;
    a.tbyte = tbyte;
    ctc_launch(ctc_lookup(&k_nll[is64], is64 ? "ct_nll_f64" : "ct_nll_f32"), blocks, 1, 1, 256, 1,
               1, 0, &a, sizeof a);
    ct_nll_sum_args s = {ctc_ptr(scratch + 24), ctc_ptr(scratch + 8), (int64_t)blocks};
    ctc_launch(ctc_lookup(&k_nll_sum, "ct_nll_sum"), 1, 1, 1, 256, 1, 1, 0, &s, sizeof s);
    unsigned char host[24];
    memset(host, 0xFF, 8);
    memset(host + 8, 0, 16);
    ctc_copy(host, scratch, sizeof host, CTC_D2H);
    ctc_free(scratch, bytes);
    if (ctc_error) return -1;
    uint64_t bad;
    memcpy(&bad, host, 8);
    if (bad != ~(uint64_t)0) return (int64_t)bad;
    memcpy(sum, host + 8, 8);
    memcpy(wsum, host + 16, 8);
    return -1;
}

static int64_t ctc_nll_f32(const void *x, int64_t N, int64_t C, int64_t sn, int64_t sc,
                           const void *t, int tbyte, int64_t st, const void *w, int64_t ignore,
                           void *rows, double *sum, double *wsum) {
    return ctc_nll(0, x, N, C, sn, sc, t, tbyte, st, w, ignore, rows, sum, wsum);
}
static int64_t ctc_nll_f64(const void *x, int64_t N, int64_t C, int64_t sn, int64_t sc,
                           const void *t, int tbyte, int64_t st, const void *w, int64_t ignore,
                           void *rows, double *sum, double *wsum) {
    return ctc_nll(1, x, N, C, sn, sc, t, tbyte, st, w, ignore, rows, sum, wsum);
}

static void ctc_nll_bwd(int is64, void *dx, int64_t N, int64_t C, const void *t, int tbyte,
                        int64_t st, const void *w, int64_t ignore, const void *g, int64_t sg,
                        double scale) {
    if (N <= 0 || ctc_error) return;
    ct_nll_bwd_args a;
    memset(&a, 0, sizeof a);
    a.dx = ctc_ptr(dx);
    a.t = ctc_ptr(t);
    a.w = ctc_ptr(w);
    a.g = ctc_ptr(g);
    a.N = N;
    a.C = C;
    a.st = st;
    a.sg = sg;
    a.ignore = ignore;
    a.scale = scale;
    a.tbyte = tbyte;
    ctc_launch1d(ctc_lookup(&k_nll_bwd[is64], is64 ? "ct_nll_bwd_f64" : "ct_nll_bwd_f32"), N, &a,
                 sizeof a);
}

static void ctc_nll_bwd_f32(void *dx, int64_t N, int64_t C, const void *t, int tbyte, int64_t st,
                            const void *w, int64_t ignore, const void *g, int64_t sg, double scale) {
    ctc_nll_bwd(0, dx, N, C, t, tbyte, st, w, ignore, g, sg, scale);
}
static void ctc_nll_bwd_f64(void *dx, int64_t N, int64_t C, const void *t, int tbyte, int64_t st,
                            const void *w, int64_t ignore, const void *g, int64_t sg, double scale) {
    ctc_nll_bwd(1, dx, N, C, t, tbyte, st, w, ignore, g, sg, scale);
}

/* ------------------------------------------------------------- the table */

static ct_gelu_fn ctc_gelu_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ctc_gelu_f32, [CT_FLOAT64] = ctc_gelu_f64};
static ct_gelu_bwd_fn ctc_gelu_bwd_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ctc_gelu_bwd_f32, [CT_FLOAT64] = ctc_gelu_bwd_f64};
static ct_nll_fn ctc_nll_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ctc_nll_f32, [CT_FLOAT64] = ctc_nll_f64};
static ct_nll_bwd_fn ctc_nll_bwd_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ctc_nll_bwd_f32, [CT_FLOAT64] = ctc_nll_bwd_f64};

void ctc_fill_nn(ct_backend *b) {
    memset(k_gelu, 0, sizeof k_gelu);
    memset(k_gelu_bwd, 0, sizeof k_gelu_bwd);
    memset(k_nll, 0, sizeof k_nll);
    memset(k_nll_bwd, 0, sizeof k_nll_bwd);
    k_nll_sum = 0;
    b->gelu = ctc_gelu_loops;
    b->gelu_bwd = ctc_gelu_bwd_loops;
    b->nll = ctc_nll_loops;
    b->nll_bwd = ctc_nll_bwd_loops;
}
