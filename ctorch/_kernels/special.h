#ifndef CT_SPECIAL_H
#define CT_SPECIAL_H
/* Special functions that have no fast enough engine elsewhere: the
 * orthogonal polynomials p_n(x) of torch.special, by their three-term
 * recurrences (the Chebyshev ones by their trigonometric forms for high
 * degrees inside (-1, 1)), digamma, erfinv, and the unary functions of
 * ct_special_erfc (erfc, ndtr, trigamma, entr, lgamma, the modified Bessel
 * functions of orders 0 and 1). */

#include <stddef.h>
#include <stdint.h>

/* the polynomial families (the `kind` argument) */
enum {
    CT_POLY_CHEB_T, CT_POLY_CHEB_U, CT_POLY_CHEB_V, CT_POLY_CHEB_W,
    CT_POLY_HERMITE_H, CT_POLY_HERMITE_HE, CT_POLY_LAGUERRE, CT_POLY_LEGENDRE,
    CT_POLY_COUNT
};

/* out[i] = p_{n[i]}(x[i]) for i < count; x, n and out of dtype CT_FLOAT32
 * (dtype 0) or CT_FLOAT64 (dtype 1), x and n read with element strides sx and
 * sn (0: one value for all). n is truncated to an integer; a negative or
 * non-finite degree gives 0. shift: the shifted polynomial, p_n(2x - 1).
 * Values are computed in double. Returns 0, or -1 for an unknown kind. */
typedef int (*ct_special_poly_fn)(int kind, int shift, int dtype, const void *x, int64_t sx,
                                  const void *n, int64_t sn, void *out, int64_t count);
int ct_special_poly(int kind, int shift, int dtype, const void *x, int64_t sx,
                    const void *n, int64_t sn, void *out, int64_t count);

/* out[i] = digamma(x[i]) for contiguous x and out of dtype CT_FLOAT32
 * (dtype 0) or CT_FLOAT64 (dtype 1), computed in double: -inf at +0, +inf
 * at -0, NaN at the negative integers and -inf. Returns 0, or -1 for
 * another dtype. */
typedef int (*ct_special_digamma_fn)(int dtype, const void *x, void *out, int64_t count);
int ct_special_digamma(int dtype, const void *x, void *out, int64_t count);

/* out[i] = erfinv(x[i]) for contiguous x and out of dtype CT_FLOAT32
 * (dtype 0) or CT_FLOAT64 (dtype 1): NaN outside [-1, 1], +-inf at +-1.
 * Returns 0, or -1 for another dtype. */
typedef int (*ct_special_erfinv_fn)(int dtype, const void *x, void *out, int64_t count);
int ct_special_erfinv(int dtype, const void *x, void *out, int64_t count);

/* out[i] = f(x[i]) for contiguous x and out, f one of the functions below:
 * code = CT_SU_<f> * 2 + dtype (0: CT_FLOAT32, 1: CT_FLOAT64), so that
 * code 0 is erfc of float32. lgamma (+inf at the poles and at -inf) is
 * float32 only; erfc, ndtr, erfcx (+inf where it overflows), log_ndtr,
 * trigamma (+inf at the poles, NaN at -inf), entr (-x log x; 0 at 0, -inf
 * below), the modified Bessel functions i0, i0e, i1, i1e (i0, i1 NaN at
 * +-inf), sinc (sin(pi x) / (pi x), 1 at 0; out apart from x) and the
 * spherical Bessel function j0 (sin(x) / x, 1 at 0, 0 at +-inf; out apart
 * from x) take both.
 * Returns 0, or -1 for a function / dtype without a kernel. */
enum { CT_SU_ERFC, CT_SU_NDTR, CT_SU_TRIGAMMA, CT_SU_ENTR, CT_SU_LGAMMA, CT_SU_I0, CT_SU_I0E,
       CT_SU_I1, CT_SU_I1E, CT_SU_ERFCX, CT_SU_LOG_NDTR, CT_SU_SINC,
       CT_SU_SPH_J0, CT_SU_COUNT };
typedef int (*ct_special_erfc_fn)(int code, const void *x, void *out, int64_t count);
int ct_special_erfc(int code, const void *x, void *out, int64_t count);

/* o[i] = erf(x[i]) for n contiguous doubles (o == x allowed): the
 * elementwise erf of float64 (elementwise.c) runs here, on the thread that
 * calls it */
void ct_erf_d_block(const double *x, double *o, int64_t n);

/* f over x and out (contiguous, elements of es bytes) in blocks of 8192, so
 * that each thread runs f's vector loop; in parallel above par_min
 * elements (the drivers of ct_special_erfc and ct_special_bessel) */
typedef void (*ct_special_block_fn)(const void *x, void *o, int64_t count);
void ct_special_blocks(ct_special_block_fn f, size_t es, const void *x, void *out, int64_t count,
                       int64_t par_min);

/* out[i] = logit(x[i]) = log(x / (1 - x)) likewise (float32 only), x first
 * clamped to [eps, 1 - eps] where eps >= 0 (eps < 0: no clamp). */
typedef int (*ct_special_logit_fn)(int dtype, const void *x, void *out, int64_t count, double eps);
int ct_special_logit(int dtype, const void *x, void *out, int64_t count, double eps);

#endif
