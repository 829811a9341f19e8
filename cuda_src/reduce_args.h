/* The argument struct of the reduction kernels (cuda_src/reduce.cu),
 * filled by ctorch/cuda/cu_reduce.c. C, fixed-size fields only, so that
 * gcc, g++ and nvcc lay it out alike (kernel_args.h says why).
 *
 * Rows: row r of the input starts at x + r * ld (elements) and has len
 * dense elements. A row may be cut into `segs` segments of `seglen`
 * elements (the last one shorter): a work item is one (row, segment) pair,
 * item = r * segs + s. With segs == 1 a reduction writes its results (out,
 * idx); with segs > 1 it writes one partial result per item into `part`
 * (the accumulator type), which a second launch reduces as rows of segs
 * partials. Column sums read an n x cols block (rows ld apart) and cut the
 * n rows into segments the same way, partials in part[s * cols + c].
 */
#ifndef CT_REDUCE_ARGS_H
#define CT_REDUCE_ARGS_H

#include <stdint.h>

typedef struct {
    uint64_t x;         /* input (device) */
    uint64_t out;       /* results: values, or the scan / softmax rows (dense) */
    uint64_t idx;       /* int64 indices (max/min, median), or 0 */
    uint64_t part;      /* partial results / carries per item, or 0 */
    uint64_t buf;       /* median: scratch of rows * len elements */
    uint64_t ibuf;      /* median: scratch of rows * len int64 */
    int64_t rows;       /* rows (column sums: the rows n of the block) */
    int64_t len;        /* elements a row (column sums: the columns) */
    int64_t ld;         /* elements from one row to the next */
    int64_t segs;       /* segments a row (>= 1) */
    int64_t seglen;     /* elements a segment */
    int32_t flag;       /* max (1) / min (0); cumsum 0 / cumprod 1 / logcumsumexp 2; log_softmax (1) */
    int32_t pad_;
} ct_red_args;

#endif
