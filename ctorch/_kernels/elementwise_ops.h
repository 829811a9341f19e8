/* The rows of elementwise_ops.def as data, for ctorch._ops.elementwise: it
 * makes each op's function, Tensor method, in-place method and aliases from
 * them. (Included by the Cython module only; the kernels use the op codes.)
 */
#ifndef CT_ELEMENTWISE_OPS_H
#define CT_ELEMENTWISE_OPS_H

#include "elementwise.h"

typedef struct {
    int code;               /* CT_<CODE> */
    const char *name;       /* torch's name, "" when written by hand */
    int rule;               /* CT_U_* / CT_R_* */
    int inplace;            /* has <name>_ */
    const char *aliases;    /* space separated */
} ct_op_row;

#define CT_UNARY_OP(CODE, loops, name, rule, dtypes, inplace, aliases) {CT_##CODE, name, rule, inplace, aliases},
#define CT_BINARY_OP(CODE, loops, name, rule, dtypes, aliases)
static const ct_op_row ct_unary_op_rows[] = {
#include "elementwise_ops.def"
};
#undef CT_UNARY_OP
#undef CT_BINARY_OP
#define CT_UNARY_OP(CODE, loops, name, rule, dtypes, inplace, aliases)
#define CT_BINARY_OP(CODE, loops, name, rule, dtypes, aliases) {CT_##CODE, name, rule, 1, aliases},
static const ct_op_row ct_binary_op_rows[] = {
#include "elementwise_ops.def"
};
#undef CT_UNARY_OP
#undef CT_BINARY_OP

#define CT_N_UNARY_ROWS ((int)(sizeof(ct_unary_op_rows) / sizeof(ct_unary_op_rows[0])))
#define CT_N_BINARY_ROWS ((int)(sizeof(ct_binary_op_rows) / sizeof(ct_binary_op_rows[0])))

#endif
