/* Elementwise CPU kernels: casts, fills, unary, binary and ternary ops.
 * Declarations: the scalar parameters of a launch (ct_params), the op codes,
 * the loop tables indexed by op and dtype code, and the entry point; the
 * loops themselves are in elementwise.c.
 *
 * Half precision computes in float and rounds once per op, as PyTorch does.
 * Integer division by zero never traps: the loop records it in `err` and the
 * caller raises.
 */
#ifndef CT_ELEMENTWISE_H
#define CT_ELEMENTWISE_H

#include <math.h>
#include "common.h"
#include "strided.h"

typedef struct {
    double a, b, c;        /* scalar parameters: clamp bounds, nan_to_num values, decimals */
    int64_t ia, ib;        /* integer clamp bounds */
    int flags;             /* which of a / b are present (clamp) */
    int err;               /* set by a loop: 1 = integer division by zero */
} ct_params;

/* binary ops: one enum entry each, one row of loops per op */
enum {
    CT_ADD, CT_SUB, CT_MUL, CT_DIV, CT_DIV_TRUNC, CT_DIV_FLOOR, CT_REMAINDER, CT_FMOD,
    CT_POW, CT_ATAN2, CT_MAXIMUM, CT_MINIMUM, CT_BITAND, CT_BITOR, CT_BITXOR,
    CT_SHL, CT_SHR, CT_EQ, CT_NE, CT_LT, CT_LE, CT_GT, CT_GE,
    CT_LOGAND, CT_LOGOR, CT_LOGXOR, CT_NBINARY
};

/* unary ops */
enum {
    CT_NEG, CT_ABS, CT_SIGN, CT_EXP, CT_EXP2, CT_EXPM1, CT_LOG, CT_LOG2, CT_LOG10, CT_LOG1P,
    CT_SQRT, CT_RSQRT, CT_RECIPROCAL, CT_SIN, CT_COS, CT_TAN, CT_ASIN, CT_ACOS, CT_ATAN,
    CT_SINH, CT_COSH, CT_TANH, CT_SIGMOID, CT_RELU, CT_ERF, CT_FLOOR, CT_CEIL, CT_ROUND,
    CT_TRUNC, CT_FRAC, CT_BITNOT, CT_ISNAN, CT_ISINF, CT_ISFINITE, CT_LOGNOT,
    CT_ROUND_DEC, CT_NAN_TO_NUM, CT_CLAMP, CT_SQUARE, CT_NUNARY
};

/* ---- the loop tables (NULL: the op does not exist for that dtype) ------ */

/* ct_cast_loops[from][to] */
extern ct_loop_fn ct_cast_loops[CT_NDTYPES][CT_NDTYPES];
/* ct_binary_loops[op][dtype]: comparisons and logical ops write bool */
extern ct_loop_fn ct_binary_loops[CT_NBINARY][CT_NDTYPES];
/* ct_unary_loops[op][dtype]: predicates write bool; CT_ABS has no complex
 * entries (ct_cabs_*) */
extern ct_loop_fn ct_unary_loops[CT_NUNARY][CT_NDTYPES];
/* out = lerp(a, b, c): half, float, double, complex */
extern ct_loop_fn ct_lerp_loops[CT_NDTYPES];

/* abs of a complex is real: these write float / double */
void ct_cabs_c64(char **p, const int64_t *s, int64_t n, const void *extra);
void ct_cabs_c128(char **p, const int64_t *s, int64_t n, const void *extra);

/* copies of raw elements by width (1, 2, 4, 8, 16 bytes): same-dtype copy and
 * fill (operand 1 is the value, with stride 0), and where (out, cond, a, b) */
ct_loop_fn ct_copy_loop(int width);
ct_loop_fn ct_where_loop(int width);

/* ---- the entry point --------------------------------------------------- */

/* Runs one loop over operands already broadcast to `shape`; `grain` is the
 * size under which the work stays on one thread (cheap ops want a larger
 * grain than transcendental ones). Returns the loops' error flag. */
int ct_elementwise(ct_loop_fn fn, ct_params *P, int nargs, int ndim,
                   const int64_t *shape, const int64_t *strides, char *const *base,
                   int64_t grain);

#endif
