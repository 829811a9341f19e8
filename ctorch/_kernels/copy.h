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

#endif
