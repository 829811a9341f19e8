/* Fused backward loops of binary ops (elementwise.c): CT_EW_LERP launches
 * whose op codes follow the ternary ops' (elementwise_codes.h). The CPU's
 * only, float64; a backend without them answers has_kernel 0 and the
 * gradient formulas compose other ops. */
#ifndef CT_ELEMENTWISE_GRAD_H
#define CT_ELEMENTWISE_GRAD_H

#include "common.h"
#include "elementwise_codes.h"

enum {
    /* logaddexp's two gradients of one value g (params a) in one pass:
       operand 0 ga = g / (1 + e^(b - a)), 1 gb = g / (1 + e^(a - b)), 2 a, 3 b */
    CT_T_LAE_GRAD = CT_NTERNARY,
    /* one of them: operand 0 g / (1 + e^(b - a)), 1 a, 2 b, 3 g */
    CT_T_LAE_GRAD1
};

/* [0]: CT_T_LAE_GRAD, [1]: CT_T_LAE_GRAD1; per dtype */
extern ct_loop_fn ct_lae_grad_loops[2][CT_NDTYPES];

#endif
