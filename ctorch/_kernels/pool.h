/* Pooling kernels of ctorch.nn.functional: max, average and adaptive
 * (average, max) pooling over planes of up to three dims, with their
 * backward kernels, and the index scatter that max pooling's backward and
 * max_unpool share. Every kernel runs over `planes` dense planes (batch x
 * channels) of id x ih x iw input and od x oh x ow output elements; 1-d and
 * 2-d pooling are 3-d pooling with unit leading dims. Indices are int64,
 * flat within each input plane. Planes are split between OpenMP threads. */
#ifndef CT_POOL_H
#define CT_POOL_H
#include <stdint.h>
#include "common.h"

/* The geometry of one pooling launch. Windows (non-adaptive): output o
 * along a dim starts at o * s - p, has k taps d apart; taps outside the
 * input are skipped (max) or count as zeros (average). Adaptive windows:
 * [floor(o * I / O), ceil((o + 1) * I / O)). */
typedef struct {
    int64_t planes;
    int64_t id, ih, iw;             /* input plane */
    int64_t od, oh, ow;             /* output plane */
    int64_t kd, kh, kw;             /* kernel */
    int64_t sd, sh, sw;             /* stride */
    int64_t pd, ph, pw;             /* padding */
    int64_t dd, dh, dw;             /* dilation (max pooling only) */
    int count_include_pad;          /* average: padding counts in the divisor */
    int64_t divisor;                /* average: a fixed divisor, 0: none */
} ct_pool_args;

/* forward: x (planes x input plane) -> y (planes x output plane); max
 * kernels also write the window's argmax into idx unless it is NULL */
typedef void (*ct_pool_fn)(const ct_pool_args *a, const void *x, void *y, int64_t *idx);
/* backward of average pooling: g (output planes) -> dx (input planes),
 * written whole (no zero-fill needed) */
typedef void (*ct_pool_bwd_fn)(const ct_pool_args *a, const void *g, void *dx);
/* y[plane][idx[plane][j]] (+)= x[plane][j] for j < in_n, y's planes of
 * out_n elements zero-filled first; accumulate 0 assigns (max_unpool), 1
 * adds (max pooling's backward). Returns -1, or the flat position in idx of
 * the first index outside [0, out_n) (y is then partly written). */
typedef int64_t (*ct_pool_scatter_fn)(int64_t planes, int64_t in_n, int64_t out_n,
                                      const void *x, const int64_t *idx, void *y,
                                      int accumulate);

/* tables by dtype code: max pooling for float32/64 and the integer dtypes,
 * average pooling for float32/64 and int64, the rest for float32/64 */
extern ct_pool_fn ct_max_pool_loops[CT_NDTYPES];
extern ct_pool_fn ct_avg_pool_loops[CT_NDTYPES];
extern ct_pool_fn ct_adaptive_max_pool_loops[CT_NDTYPES];
extern ct_pool_fn ct_adaptive_avg_pool_loops[CT_NDTYPES];
extern ct_pool_bwd_fn ct_avg_pool_bwd_loops[CT_NDTYPES];
extern ct_pool_bwd_fn ct_adaptive_avg_pool_bwd_loops[CT_NDTYPES];
extern ct_pool_scatter_fn ct_pool_scatter_loops[CT_NDTYPES];

#endif
