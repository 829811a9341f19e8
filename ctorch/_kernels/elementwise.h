/* Elementwise CPU kernels: casts, fills, unary, binary and ternary ops.
 * Declarations: the scalar parameters of a launch (ct_params), the op codes
 * (generated from the op list, elementwise_ops.def), and the loop tables
 * indexed by op and dtype code; the loops themselves are in elementwise.c and
 * run under the strided driver (strided.h) through the CPU backend.
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
    int flags;             /* which of a / b are present (clamp); CT_P_F32_1 / _2 */
    int err;               /* set by a loop: 1 = integer division by zero */
} ct_params;
/* flags of a float16 / bfloat16 binary launch on the CPU: operand 1 (2) is one
 * float32 value (a Python factor or divisor the format cannot hold keeps
 * float precision, as PyTorch's mul and divisions keep it) */
#define CT_P_F32_1 4
#define CT_P_F32_2 8

/* the op codes: CT_<CODE> for each row of elementwise_ops.def, the list of
 * the elementwise ops */
#include "elementwise_codes.h"

/* how an op's result dtype follows its inputs' (the rule of its row) */
enum { CT_U_SAME, CT_U_FLOAT, CT_U_PRED, CT_U_ABS };
enum { CT_R_ARITH, CT_R_FLOAT, CT_R_CMP, CT_R_BITS };

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
/* out = a + v * b * c (addcmul: every numeric dtype), a + v * b / c (addcdiv:
 * half, float, double, complex); v is P->a (+ i P->b), P->ia for integers */
extern ct_loop_fn ct_addc_loops[2][CT_NDTYPES];
/* frexp: mantissa and int32 exponent in one pass (float32, float64) */
extern ct_loop_fn ct_frexp_loops[CT_NDTYPES];
extern ct_loop_fn ct_clamp3_loops[CT_NDTYPES];

/* cplx.c: complex64 / complex128 loops on the parts as pairs of reals (in the
 * tables above); the real nan_to_num loops, which run the complex ones' parts */
#define CT_CPLX_LOOPS(S)                                                          \
    void ct_mul_##S(char **p, const int64_t *s, int64_t n, const void *extra);    \
    void ct_div_##S(char **p, const int64_t *s, int64_t n, const void *extra);    \
    void ct_square_##S(char **p, const int64_t *s, int64_t n, const void *extra); \
    void ct_reciprocal_##S(char **p, const int64_t *s, int64_t n, const void *extra); \
    void ct_conj_##S(char **p, const int64_t *s, int64_t n, const void *extra);   \
    void ct_nan_to_num_##S(char **p, const int64_t *s, int64_t n, const void *extra);
CT_CPLX_LOOPS(c64)
CT_CPLX_LOOPS(c128)
void ct_nan_to_num_f32(char **p, const int64_t *s, int64_t n, const void *extra);
void ct_nan_to_num_f64(char **p, const int64_t *s, int64_t n, const void *extra);

/* abs of a complex is real: these write float / double */
void ct_cabs_c64(char **p, const int64_t *s, int64_t n, const void *extra);
void ct_cabs_c128(char **p, const int64_t *s, int64_t n, const void *extra);
/* on the 16-bit patterns, for the half launches: nextafter of bfloat16,
 * copysign of float16 and bfloat16 */
void ct_nextafter_bf16(char **p, const int64_t *s, int64_t n, const void *extra);
void ct_copysign_bits16(char **p, const int64_t *s, int64_t n, const void *extra);
void ct_nan_to_num_h16(char **p, const int64_t *s, int64_t n, const void *extra);
void ct_nan_to_num_bf16(char **p, const int64_t *s, int64_t n, const void *extra);

/* rows of n values with one value a row, o = a OP v (v OP a with swap),
 * row steps in bytes: add, sub, mul, div of float32 and float64 (NULL for
 * any other op or dtype) */
typedef void (*ct_rowv_fn)(char *o, const char *a, const char *v, int64_t so, int64_t sa,
                           int64_t sv, int64_t rows, int64_t n, int swap);
ct_rowv_fn ct_rowv_loop(int op, int dtype);

/* copies of raw elements by width (1, 2, 4, 8, 16 bytes): same-dtype copy and
 * fill (operand 1 is the value, with stride 0), and where (out, cond, a, b) */
ct_loop_fn ct_copy_loop(int width);
ct_loop_fn ct_where_loop(int width);

#endif
