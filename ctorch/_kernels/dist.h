/* p-norm distances between rows (definitions in dist.c): the kernel of
 * cdist (every row of x1 against every row of x2) and of pdist (the pairs
 * i < j of one matrix's rows).
 */
#ifndef CT_DIST_H
#define CT_DIST_H

#include "common.h"

/* x1 (nb, P, M) and x2 (nb, R, M) with dense rows of M elements, their
 * matrices b1 and b2 elements apart (0: one matrix for every batch).
 * pairs 0: out (nb, P, R) dense, out[b, i, j] = ||x1[b, i] - x2[b, j]||_p;
 * pairs 1: x2 is x1 (R == P, b2 == b1) and out (nb, P * (P - 1) / 2) holds
 * the pairs i < j in row-major order. p: 0 (the count of differing
 * elements), 1, 2, INFINITY or any other positive value. Sums run in the
 * dtype, over the columns in order. dtype CT_FLOAT32 or CT_FLOAT64;
 * returns 0, -1 for another dtype, -2 when scratch memory is not there
 * (nothing written). */
int ct_dist(int dtype, const void *x1, int64_t b1, const void *x2, int64_t b2, void *out,
            int64_t nb, int64_t P, int64_t R, int64_t M, double p, int pairs);

#endif
