/* Shared definitions of ctorch's CPU kernels: dtype codes, element types,
 * and the strided N-d loop driver that every elementwise kernel runs under.
 *
 * A kernel is an "inner loop": it processes n elements whose addresses are
 * p[k] + i * s[k] (byte strides) for each operand k (operand 0 is the output).
 * The driver walks the outer dimensions and splits the work between OpenMP
 * threads when the tensor is large enough to pay for a parallel region.
 */
#ifndef CT_COMMON_H
#define CT_COMMON_H

#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <complex.h>
#ifdef _OPENMP
#include <omp.h>
#endif

enum {
    CT_BOOL = 0, CT_UINT8, CT_INT8, CT_INT16, CT_INT32, CT_INT64,
    CT_FLOAT16, CT_FLOAT32, CT_FLOAT64, CT_COMPLEX64, CT_COMPLEX128,
    CT_NDTYPES
};

typedef uint8_t ct_bool;
typedef _Float16 ct_half;
typedef float _Complex ct_cfloat;
typedef double _Complex ct_cdouble;

#define CT_MAXDIM 64
#define CT_MAXARGS 4

typedef void (*ct_loop_fn)(char **p, const int64_t *s, int64_t n, const void *extra);

/* ---- threads ---------------------------------------------------------- */

static int ct_num_threads = 0;   /* 0: not set yet -> OpenMP default */

static inline int ct_get_num_threads(void) {
#ifdef _OPENMP
    return ct_num_threads > 0 ? ct_num_threads : omp_get_max_threads();
#else
    return 1;
#endif
}

static inline void ct_set_num_threads(int n) {
    ct_num_threads = n > 0 ? n : 1;
#ifdef _OPENMP
    omp_set_num_threads(ct_num_threads);
#endif
}

/* ---- the N-d driver --------------------------------------------------- */

/* Runs `fn` over elements [start, stop) of the row-major index space of
 * `shape` (ndim >= 1). strides: nargs x ndim byte strides, operand-major. */
static void ct_run_range(ct_loop_fn fn, const void *extra, int nargs, int ndim,
                         const int64_t *shape, const int64_t *strides,
                         char *const *base, int64_t start, int64_t stop)
{
    int64_t idx[CT_MAXDIM];
    char *ptr[CT_MAXARGS];
    int64_t inner[CT_MAXARGS];
    int64_t rest = start;
    int last = ndim - 1;
    for (int d = last; d >= 0; d--) {
        idx[d] = rest % shape[d];
        rest /= shape[d];
    }
    for (int k = 0; k < nargs; k++) {
        char *q = base[k];
        for (int d = 0; d < ndim; d++) q += idx[d] * strides[k * ndim + d];
        ptr[k] = q;
        inner[k] = strides[k * ndim + last];
    }
    int64_t todo = stop - start;
    while (todo > 0) {
        int64_t run = shape[last] - idx[last];
        if (run > todo) run = todo;
        fn(ptr, inner, run, extra);
        todo -= run;
        if (todo <= 0) break;
        /* advance the odometer past the row just done */
        for (int k = 0; k < nargs; k++) ptr[k] += run * inner[k];
        idx[last] += run;
        for (int d = last; d > 0 && idx[d] == shape[d]; d--) {
            for (int k = 0; k < nargs; k++)
                ptr[k] += strides[k * ndim + d - 1] - shape[d] * strides[k * ndim + d];
            idx[d] = 0;
            idx[d - 1]++;
        }
    }
}

/* Runs fn over the whole space; `grain` is the element count under which
 * one thread does everything. */
static void ct_run(ct_loop_fn fn, const void *extra, int nargs, int ndim,
                   const int64_t *shape, const int64_t *strides, char *const *base,
                   int64_t grain)
{
    int64_t total = 1;
    for (int d = 0; d < ndim; d++) total *= shape[d];
    if (total == 0) return;
    if (ndim == 0) {
        int64_t zero[CT_MAXARGS] = {0, 0, 0, 0};
        fn((char **)base, zero, 1, extra);
        return;
    }
    int nt = ct_get_num_threads();
    if (nt <= 1 || total < grain) {
        ct_run_range(fn, extra, nargs, ndim, shape, strides, base, 0, total);
        return;
    }
    int64_t chunks = total / (grain > 0 ? grain : 1);
    if (chunks < nt) nt = (int)chunks;
#ifdef _OPENMP
    #pragma omp parallel num_threads(nt)
    {
        int t = omp_get_thread_num(), T = omp_get_num_threads();
        /* split on 64-element boundaries so that each thread's vector loop stays aligned */
        int64_t per = ((total + T - 1) / T + 63) & ~(int64_t)63;
        int64_t a = per * t, b = a + per;
        if (b > total) b = total;
        if (a < b) ct_run_range(fn, extra, nargs, ndim, shape, strides, base, a, b);
    }
#else
    ct_run_range(fn, extra, nargs, ndim, shape, strides, base, 0, total);
#endif
}

#endif
