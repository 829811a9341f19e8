/* The cross product of 3-vectors along one dim (definitions in cross.c),
 * linalg.cross's kernel.
 */
#ifndef CT_CROSS_H
#define CT_CROSS_H

#include "common.h"

/* out = a x b over a space of ndim dims (the cross dim left out; ndim 0:
 * one vector), operands out, a, b (strides: 3 x ndim byte strides,
 * operand-major, stride 0 on broadcast dims); cstride[k]: operand k's byte
 * stride along the cross dim. Each component is a product difference
 * rounded in the dtype, as the elementwise ops compute it. dtype CT_FLOAT32,
 * CT_FLOAT64 or an integer dtype (uint8 .. int64, wrapping); returns 0, -1
 * for another dtype (nothing written). */
int ct_cross(int dtype, int ndim, const int64_t *shape, const int64_t *strides,
             char *const *ptr, const int64_t *cstride, int64_t grain);

#endif
