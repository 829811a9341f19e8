/* The thread count of ctorch's CPU kernels and the strided N-d loop driver
 * that every elementwise kernel runs under (definitions in strided.c, the
 * one place that holds the thread count).
 *
 * The driver walks the outer dimensions of a broadcast, coalesced index
 * space, calls an inner loop (ct_loop_fn, common.h) on each run of the last
 * dimension, and splits the work between OpenMP threads when the space is
 * large enough to pay for a parallel region.
 */
#ifndef CT_STRIDED_H
#define CT_STRIDED_H

#include "common.h"

/* ---- threads ---------------------------------------------------------- */

/* the threads a parallel region of the kernels uses: the count set by
 * ct_set_num_threads, or OpenMP's default before that (1 without OpenMP) */
int ct_get_num_threads(void);
/* sets it (n < 1 counts as 1) and OpenMP's default with it */
void ct_set_num_threads(int n);

/* ---- the N-d driver --------------------------------------------------- */

/* Runs fn over the whole space; `grain` is the element count under which
 * one thread does everything. strides: nargs x ndim byte strides,
 * operand-major; ndim 0 runs fn once on one element. */
void ct_run(ct_loop_fn fn, const void *extra, int nargs, int ndim,
            const int64_t *shape, const int64_t *strides, char *const *base,
            int64_t grain);
/* the same, with the operands' element sizes in bytes (isz[k]; 0: unknown,
 * and isz[0], the output's, is not used): a transposed input of known size
 * is copied a tile at a time into a dense block that the loop reads (the
 * loop must read its inputs only at the pointers and strides it is given,
 * and fn's inputs must not be written by it). NULL: as ct_run. */
void ct_run_sized(ct_loop_fn fn, const void *extra, int nargs, int ndim,
                  const int64_t *shape, const int64_t *strides, char *const *base,
                  int64_t grain, const int *isz);

#endif
