/* The arguments of the histogram kernels (cuda_src/hist.cu), filled by the
 * backend's histogram entries (ctorch/cuda/cu_hist.c).
 *
 * C, fixed-size fields only (see kernel_args.h). Pointers are device
 * addresses as uint64_t.
 */
#ifndef CT_HIST_ARGS_H
#define CT_HIST_ARGS_H

#include <stdint.h>

/* bins a block may count in shared memory (the _sh kernels) */
#define CT_HIST_SH_BINS 1024

/* histogram: hist[b] += (w ? w[i] : 1) for the bin b of x[i] among the
 * edges e[0..nb] (x, w, e of the kernel's dtype; hist: nb doubles, zeroed
 * by the caller); linear: the edges are equally spaced */
typedef struct {
    uint64_t x, w, e, hist;     /* w: 0 when unweighted */
    int64_t n, nb;
    int32_t linear, pad_;
} ct_hist_args;

/* bincount: cnt[x[i]] += 1 (w == 0, int64 counts) or sum[x[i]] += w[i]
 * (double); every x[i] is in [0, nbins) */
typedef struct {
    uint64_t x, w, out;
    int64_t n, nbins;
} ct_bincount_args;

/* min and max with their first positions (-1: none yet), and whether a
 * nan was seen: one per block of a min/max pass (ct_hist_mm_<sfx>). The
 * float kernels hold their values as doubles, the int64 kernel as int64. */
typedef struct {
    double mn, mx;
    int64_t kmn, kmx;
    int32_t nan, pad_;
} ct_hist_mmf;
typedef struct {
    int64_t mn, mx;
    int64_t kmn, kmx;
    int32_t nan, pad_;
} ct_hist_mmi;

/* a min/max pass over n values at x (from_part 0) or over n partial
 * results of an earlier pass (from_part 1); one partial result per block
 * into out[blockIdx.x] */
typedef struct {
    uint64_t x, out;
    int64_t n;
    int32_t from_part, pad_;
} ct_hist_mm_args;

#endif
