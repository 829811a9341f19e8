#ifndef CT_SPECIAL_BESSEL_H
#define CT_SPECIAL_BESSEL_H
/* Bessel functions of the first and second kind of orders 0 and 1, the Airy
 * function Ai, the modified Bessel functions of the second kind K0, K1 (and
 * their scaled forms), ndtri, xlogy, the incomplete gamma functions and the
 * multivariate log-gamma function, as vector loops over contiguous float32
 * arrays (the J, Y and K functions, ndtri, xlogy, the incomplete gamma and
 * multivariate log-gamma functions float64 as well; special_bessel.c). */

#include <stdint.h>

/* the functions of ct_special_bessel (the `code` argument is CT_SB_<f> * 2
 * + dtype, dtype 0: CT_FLOAT32, 1: CT_FLOAT64) */
enum { CT_SB_J0, CT_SB_J1, CT_SB_Y0, CT_SB_Y1, CT_SB_AIRY_AI, CT_SB_K0, CT_SB_K0E, CT_SB_K1,
       CT_SB_K1E, CT_SB_NDTRI, CT_SB_COUNT };

/* out[i] = f(x[i]) for contiguous x and out of count elements. Values at
 * the edges are PyTorch's: J and Y are NaN at +-inf, Y at x < 0, K at
 * x < 0, Ai at +-inf; Y and K are +-inf at 0; ndtri is
 * -inf / +inf at 0 / 1, NaN outside [0, 1]. Returns 0, or -1 for a
 * function / dtype without a kernel. */
typedef int (*ct_special_bessel_fn)(int code, const void *x, void *out, int64_t count);
int ct_special_bessel(int code, const void *x, void *out, int64_t count);

/* out[i] = xlogy(a[i * sa], b[i * sb]) = a log b (0 where a is 0 and b is
 * not NaN; NaN where b is NaN), or xlog1py = a log1p b by the same rules;
 * code = dtype (0 CT_FLOAT32, 1 CT_FLOAT64) + 2 * function (0 xlogy, 1
 * xlog1py), sa / sb element strides (0: one value for all). Returns 0, or -1
 * for another code. The zeta function shares the type (code = dtype). */
typedef int (*ct_special_xlogy_fn)(int dtype, const void *a, int64_t sa, const void *b,
                                   int64_t sb, void *out, int64_t count);
int ct_special_xlogy(int code, const void *a, int64_t sa, const void *b, int64_t sb, void *out,
                     int64_t count);

/* out[i] = P(a[i], x[i]) (upper = 0) or Q(a[i], x[i]) (upper = 1), the
 * regularized incomplete gamma functions, for contiguous float32 (dtype 0)
 * or float64 (dtype 1) a, x and out; flag[i] = 1 where the element was not
 * computed (outside the kernel's domain, 0 < a <= 100 and 0 <= x, where its
 * form loses accuracy, and for float64 |x - a| <= 0.4 a): the caller
 * computes those otherwise; a or x negative or NaN give NaN, unflagged. Returns the number of
 * flagged elements, or -1 for another dtype. */
typedef int64_t (*ct_special_igamma_fn)(int upper, int dtype, const void *a, const void *x,
                                        void *out, uint8_t *flag, int64_t count);
int64_t ct_special_igamma(int upper, int dtype, const void *a, const void *x, void *out,
                          uint8_t *flag, int64_t count);

/* out[i] = mvlgamma(x[i], p) = p (p - 1) / 4 log(pi) + sum_{j < p} lgamma(x[i]
 * - j/2) for contiguous x and out of dtype 0 (CT_FLOAT32) or 1
 * (CT_FLOAT64), computed in double (lgamma: log |gamma|, +inf at the poles
 * and at -inf). Returns 0, or -1 for another dtype or p < 1. */
typedef int (*ct_special_mvlgamma_fn)(int dtype, const void *x, void *out, int64_t count,
                                      int64_t p);
int ct_special_mvlgamma(int dtype, const void *x, void *out, int64_t count, int64_t p);

/* out[i] = zeta(x[i * sx], q[i * sq]), the Hurwitz zeta function, for dtype
 * 0 (CT_FLOAT32, computed in double) or 1 (CT_FLOAT64), sx / sq element
 * strides (0: one value for all); special values as PyTorch's (inf at x = 1
 * and at q a non-positive integer, NaN for x < 1, for q < 0 with x not an
 * integer and at q = +inf). Returns 0, or -1 for another dtype. */
typedef int (*ct_special_zeta_fn)(int dtype, const void *x, int64_t sx, const void *q,
                                  int64_t sq, void *out, int64_t count);
int ct_special_zeta(int dtype, const void *x, int64_t sx, const void *q, int64_t sq, void *out,
                    int64_t count);

#endif
