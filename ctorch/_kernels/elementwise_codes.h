/* The op codes of the elementwise ops: CT_<CODE> for each row of
 * elementwise_ops.def, in row order (binary ops from 0, unary ops from 0).
 * No other declarations, so that the CUDA kernels (cuda_src/elementwise.cu)
 * share the codes with the CPU's loop tables and the backend. */
#ifndef CT_ELEMENTWISE_CODES_H
#define CT_ELEMENTWISE_CODES_H

#define CT_BINARY_OP(CODE, loops, name, rule, dtypes, aliases) CT_##CODE,
#define CT_UNARY_OP(CODE, loops, name, rule, dtypes, inplace, aliases)
enum {
#include "elementwise_ops.def"
    CT_NBINARY
};
#undef CT_BINARY_OP
#undef CT_UNARY_OP
#define CT_BINARY_OP(CODE, loops, name, rule, dtypes, aliases)
#define CT_UNARY_OP(CODE, loops, name, rule, dtypes, inplace, aliases) CT_##CODE,
enum {
#include "elementwise_ops.def"
    CT_NUNARY
};
#undef CT_BINARY_OP
#undef CT_UNARY_OP

/* the ternary ops (op of a CT_EW_LERP launch) */
enum { CT_T_LERP, CT_T_ADDCMUL, CT_T_ADDCDIV,
       CT_T_FREXP,      /* the CPU's only: mantissa into operand 0 and int32 exponent
                           into operand 2 of input operand 1 */
       CT_T_LERP_W32,   /* the CPU's only: lerp of float16 or bfloat16 operands with a
                           float32 weight (a Python number keeps float precision) */
       CT_T_CLAMP,      /* the CPU's only: minimum(maximum(a, b), c) of the integers,
                           float32 and float64 (clamp with tensor bounds) */
       CT_NTERNARY };

#endif
