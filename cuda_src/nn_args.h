/* The arguments of the nn kernels (cuda_src/nn.cu), filled by the backend's
 * nn entries (ctorch/cuda/cu_nn.c).
 *
 * C, fixed-size fields only (see kernel_args.h). Pointers are device
 * addresses as uint64_t; strides are in elements.
 */
#ifndef CT_NN_ARGS_H
#define CT_NN_ARGS_H

#include <stdint.h>

/* gelu: y[i] = gelu(x[i]); gelu backward: y[i] = g[i] * gelu'(x[i]);
 * contiguous arrays of n elements; approx 0: x * Phi(x), 1: the tanh form */
typedef struct {
    uint64_t x, g, y;           /* g: 0 in the forward kernel */
    int64_t n;
    int32_t approx, pad_;
} ct_gelu_args;

/* nll forward over rows i < N of x (element strides sn, sc), target
 * t[i * st] (int64, or uint8 when tbyte), class weights w (contiguous, 0:
 * none): rows[i] = -w[k] x[i, k] (0 for an ignored row; rows 0: not
 * written); the smallest row whose target is out of [0, C) and not ignored
 * is recorded with an atomic min in the uint64 at flag (all ones: none);
 * part[2 b], part[2 b + 1]: block b's sum of the losses and of the weights
 * (doubles) */
typedef struct {
    uint64_t x, t, w, rows, part, flag;
    int64_t N, C, sn, sc, st, ignore;
    int32_t tbyte, pad_;
} ct_nll_args;

/* the sums of n (loss, weight) pairs of doubles at part into out[0], out[1] */
typedef struct {
    uint64_t part, out;
    int64_t n;
} ct_nll_sum_args;

/* nll backward: dx[i * C + k] = -w[k] * g[i * sg] * scale for k = t[i * st]
 * not ignored and in [0, C) (dx zeroed by the caller; sg 0: one g for all
 * rows; scale rounded to the dtype) */
typedef struct {
    uint64_t dx, t, w, g;
    int64_t N, C, st, sg, ignore;
    double scale;
    int32_t tbyte, pad_;
} ct_nll_bwd_args;

#endif
