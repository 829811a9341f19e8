/* Same-dtype strided copies whose inner dim is short or transposed
 * (definitions in copy.c): x.unfold(..).contiguous(), x.t().contiguous(),
 * permuted and expanded views made dense. The elementwise driver (strided.h)
 * calls its inner loop once per row; with rows of a few elements, or with
 * rows of a tile of a transposed copy, those calls are most of the time.
 * These walk the last two dims in typed loops instead.
 */
#ifndef CT_COPY_H
#define CT_COPY_H

#include "common.h"

/* dst = src over a coalesced space of ndim dims (operand 0 the output,
 * operand 1 the input; strides: 2 x ndim byte strides, operand-major) of
 * es-byte elements (1, 2, 4, 8 or 16); `grain`: the element count under
 * which one thread does everything. Returns 1 when it copied, 0 when the
 * layout is one it leaves to the row-by-row driver (nothing written). */
int ct_copy_nd(int es, int ndim, const int64_t *shape, const int64_t *strides,
               char *const *ptr, int64_t grain);

/* one block: dst (nr rows os0 bytes apart, each dense, n1 long) = the source
 * whose element (r, j) is at a + r * as0 + j * as1, for es-byte elements
 * (1, 2, 4, 8 or 16); a source dense down dst's columns (as0 == es, a
 * transposed operand) is read a column at a time (4-byte: 8 x 8 blocks in
 * AVX2 registers). The elementwise driver's buffers (strided.c). */
void ct_copy_block(int es, char *o, int64_t os0, const char *a, int64_t as0, int64_t as1,
                   int64_t nr, int64_t n1);

#endif
