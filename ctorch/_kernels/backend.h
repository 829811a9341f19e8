/* The backend interface: everything an op may ask of a device.
 *
 * Every op reaches its kernels through one `ct_backend` table, the table of
 * the device its tensors live on (each Storage holds a pointer to it). The
 * CPU kernels of this folder fill the first table (cpu_backend.c); another
 * device fills a table of its own and registers it with ctorch._core.dispatch,
 * and no op changes. An entry a device does not provide is NULL (a kernel
 * table entry: NULL for that dtype): the op then raises an error naming
 * itself and the device, and never runs one device's code on another's memory.
 *
 * Conventions shared by every entry:
 *   - pointers are the device's own pointers (Storage.data);
 *   - dtypes are CT_BOOL .. CT_COMPLEX128 (common.h); a table "per dtype"
 *     has CT_NDTYPES entries indexed by that code;
 *   - strides of elementwise launches are in bytes, every other stride and
 *     leading dimension in elements;
 *   - sizes are int64_t; an int return is 0 on success (see each entry).
 */
#ifndef CT_BACKEND_H
#define CT_BACKEND_H

#include "common.h"
#include "elementwise.h"
#include "reduce.h"
#include "matmul.h"
#include "shape.h"
#include "sort.h"
#include "random.h"
#include "sampling.h"
#include "hist.h"
#include "nn.h"
#include "pool.h"
#include "nnmisc.h"
#include "optim.h"
#include "conv.h"
#include "special.h"
#include "special_bessel.h"
#include "nnsample.h"
#include "linalg.h"

/* ---- elementwise ------------------------------------------------------- */

/* One elementwise launch over a space already broadcast and coalesced. */
typedef struct {
    int nargs;                  /* operands; operand 0 is the output */
    int ndim;                   /* >= 1 */
    const int64_t *shape;       /* ndim sizes */
    const int64_t *strides;     /* nargs x ndim byte strides, operand-major */
    char *const *ptr;           /* nargs base addresses */
    int64_t grain;              /* work under this many elements stays on one thread */
    int host;                   /* bit k: operand k is a value in host memory (a python
                                   number, stride 0), not the device's memory */
} ct_iter;

/* kinds of elementwise launch, and what `op` and `dtype` mean for each */
enum {
    CT_EW_UNARY,    /* op: CT_NEG..; dtype: the input's (and the output's, but for
                       predicates (bool out) and abs of complex (real out)) */
    CT_EW_BINARY,   /* op: CT_ADD..; dtype: the inputs' (comparisons write bool) */
    CT_EW_LERP,     /* op: CT_T_LERP: out = a + c (b - a); CT_T_ADDCMUL: out = a + v b c;
                       CT_T_ADDCDIV: out = a + v b / c (v: params a (+ i b), ia for
                       integers); all of dtype */
    CT_EW_WHERE,    /* op unused; out = cond ? a : b, cond bool, a/b/out of dtype */
    CT_EW_CAST      /* op: the input's dtype; dtype: the output's (equal: a copy) */
};

/* results of an elementwise launch */
#define CT_OK 0
#define CT_ERR_ZERODIV 1        /* an integer division (or remainder) by zero */
#define CT_ERR_DEVICE 2         /* the device failed (its backend holds the message) */

/* ---- the table ---------------------------------------------------------- */

typedef struct ct_backend {
    const char *name;                       /* "cpu", "cuda": used in error messages */

    /* memory: blocks of at least 64-byte alignment; alloc returns NULL when
     * out of memory; free takes the size given to alloc */
    void *(*alloc)(size_t nbytes);
    void (*free)(void *p, size_t nbytes);
    void (*empty_cache)(void);
    /* copies between this device's memory and the host's: 0 on success */
    int (*to_host)(void *dst, const void *src, size_t nbytes);
    int (*from_host)(void *dst, const void *src, size_t nbytes);

    /* elementwise: has_kernel is 1 when (kind, op, dtype) is provided;
     * elementwise returns CT_OK or CT_ERR_ZERODIV */
    int (*has_kernel)(int kind, int op, int dtype);
    int (*elementwise)(int kind, int op, int dtype, ct_params *P, const ct_iter *it);

    /* reductions over rows: row r of x starts at x + r * ld (elements), has
     * len dense elements; per dtype (integers reduce as int64) */
    const ct_sum_rows_fn *sum_rows;
    const ct_sum_cols_fn *sum_cols;         /* column sums of an n x cols block */
    const ct_sum_mid_fn *sum_mid;           /* column sums of dense blocks in a row (NULL: none) */
    const ct_minmax_fn *minmax;             /* values and first indices */
    const ct_median_fn *median;             /* lower median; returns 1 on a NaN row */
    const ct_prod_fn *prod;
    const ct_cum_fn *cum;                   /* cumulative sum or product along rows */
    const ct_softmax_fn *softmax;           /* softmax / log_softmax along rows */

    /* matrix products. mm: integer products, per dtype; gemm: float and
     * complex (CT_FLOAT32, CT_FLOAT64, CT_COMPLEX64, CT_COMPLEX128) batched
     * C[b] = alpha op1(P + off1[b]) op2(Q + off2[b]) + beta C[b] with BLAS's
     * column-major conventions, C dense with M * N elements per batch; alpha
     * and beta point to values of the dtype. gemm_ready is 0 once gemm can
     * run (the CPU binds its BLAS on the first product), -1 when it cannot. */
    const ct_mm_fn *mm;
    int (*gemm_ready)(void);
    void (*gemm)(int dtype, char t1, char t2, int M, int N, int K, const void *alpha,
                 char *P, int ld1, const int64_t *off1, char *Q, int ld2, const int64_t *off2,
                 const void *beta, char *C, int ldc, int64_t nb);
    /* float16 / bfloat16 products C[b] (m x n, dense) = A[b] B[b] on any
     * element strides (matmul.h's ct_half_gemm): 0, or -1 when the device
     * has no kernel for them (NULL: never) and the float32 route runs them */
    int (*gemm_half)(int dtype, int64_t nb, int64_t m, int64_t n, int64_t k,
                     const uint16_t *A, const int64_t *offa, int64_t ars, int64_t acs,
                     const uint16_t *B, const int64_t *offb, int64_t brs, int64_t bcs,
                     uint16_t *C);

    /* moving elements (shape.h): rows of bytes, index_select, gather and
     * scatter by element size (1, 2, 4, 8, 16), the accumulating scatter per
     * dtype */
    void (*copy_rows)(char *dst, int64_t dld, const char *src, int64_t sld,
                      int64_t rows, int64_t nbytes);
    int (*index_select)(char *dst, const char *src, int64_t outer, int64_t size,
                        int64_t inner, int es, const int64_t *idx, int64_t n, int64_t *bad);
    ct_gather_fn (*gather)(int es);
    ct_scatter_fn (*scatter)(int es);
    const ct_scatter_fn *scatter_add;
    /* index_add of whole rows per dtype (NULL entries: the scatter serves) */
    const ct_index_add_fn *index_add;
    /* the reducing scatter of scatter_reduce / index_reduce: entry
     * [op * CT_NDTYPES + dtype], op 0 prod (bool: and), 1 amax, 2 amin (NaN
     * wins); NULL entries for dtypes without one. A device may leave the
     * table NULL: the op then runs on a host copy */
    const ct_scatter_fn *scatter_reduce;

    /* sorting and searching (sort.h), per dtype */
    const ct_sort_fn *sort;
    int64_t (*sort_scratch_bytes)(int64_t rows, int64_t len, int64_t extra, int itemsize);
    const ct_topk_fn *topk;
    const ct_kth_fn *kth;
    const ct_search_fn *search;
    int (*sorter_bad)(const int64_t *s, int64_t n, int64_t m);

    /* random numbers on the Philox stream (random.h): per dtype where the
     * dtype is the output's (float32 / float64); n elements from (seed, offset) */
    const ct_rand_fill_fn *uniform;
    const ct_rand_fill_fn *normal;
    void (*int64_range)(uint64_t seed, uint64_t offset, int64_t low, int64_t high,
                        int64_t *out, int64_t n);
    void (*randperm)(uint64_t seed, uint64_t offset, int64_t *out, int64_t n);

    /* sampling (sampling.h): Bernoulli with one probability per dtype of the
     * output (bool/uint8, float32, float64), with a probability per element,
     * fused dropout per dtype, multinomial */
    const ct_bernoulli_scalar_fn *bernoulli_scalar;
    int (*prob_invalid)(const double *p, int64_t n);
    void (*bernoulli_tensor)(uint64_t seed, uint64_t offset, const double *p, uint8_t *out,
                             int64_t n);
    const ct_dropout_fn *dropout;
    int (*multinomial_check)(const double *p, int64_t rows, int64_t ncat);
    void (*multinomial_repl)(uint64_t seed, uint64_t offset, const double *p, int64_t rows,
                             int64_t ncat, int64_t ns, double *cum, int64_t *out);
    int (*multinomial_norepl)(uint64_t seed, uint64_t offset, const double *p, int64_t rows,
                              int64_t ncat, int64_t ns, int64_t *out);
    /* counts (sampling.h): Poisson and binomial draws, doubles in and out */
    int (*rate_invalid)(const double *rate, int64_t n);
    void (*poisson)(uint64_t seed, uint64_t offset, const double *rate, double *out, int64_t n);
    void (*binomial)(uint64_t seed, uint64_t offset, const double *count, const double *prob,
                     double *out, int64_t n);

    /* histograms (hist.h): per dtype (float32, float64) */
    const ct_histogram_fn *histogram;
    const ct_minmax_range_fn *minmax_range;
    void (*minmax_i64)(const int64_t *x, int64_t n, int64_t *mn, int64_t *mx);
    int (*bincount)(const int64_t *x, const double *w, int64_t n, int64_t nbins,
                    int64_t *cnt, double *wsum);

    /* nn kernels (nn.h): per dtype (float32, float64) */
    const ct_gelu_fn *gelu;
    const ct_gelu_bwd_fn *gelu_bwd;
    const ct_nll_fn *nll;
    const ct_nll_bwd_fn *nll_bwd;

    /* discrete Fourier transforms: rows dense rows of n complex values
     * (dtype CT_COMPLEX64 or CT_COMPLEX128) from in to out (distinct
     * buffers), each transformed unnormalised, forward (exp(-2 pi i jk/n))
     * or with inverse set backward (exp(+2 pi i jk/n)); returns CT_OK, or
     * CT_ERR_DEVICE (the device failed) or -1 (a dtype it lacks). The CPU's
     * (fft.h) takes lengths whose prime factors are 2, 3 and 5 (-1 for
     * others): ctorch/fft.py sends it rows along the last dim (the other
     * dims to fft_c2c_dim), and runs the other transforms in scipy's
     * pocketfft. */
    int (*fft_c2c)(int dtype, const void *in, void *out, int64_t rows, int64_t n, int inverse);

    /* more reductions over rows (reduce.h): sums that skip NaN (floating
     * dtypes), running max/min with indices (cummax / cummin) */
    const ct_sum_rows_fn *nansum_rows;
    const ct_cumext_fn *cumext;

    /* pooling (pool.h), per dtype: max pooling (float32/64, integers),
     * average (float32/64, int64), adaptive max and average, the backward
     * kernels of the averages, and the index scatter of max pooling's
     * backward and max_unpool. A device may leave them NULL: the op then
     * pools on a host copy */
    const ct_pool_fn *max_pool;
    const ct_pool_fn *avg_pool;
    const ct_pool_fn *adaptive_max_pool;
    const ct_pool_fn *adaptive_avg_pool;
    const ct_pool_bwd_fn *avg_pool_bwd;
    const ct_pool_bwd_fn *adaptive_avg_pool_bwd;
    const ct_pool_scatter_fn *pool_scatter;
    /* batch normalisation (nnmisc.h): per dtype (float32, float64); NULL
     * where a device has none (the op then composes other ops) */
    const ct_bn_stats_fn *bn_stats;
    const ct_bn_apply_fn *bn_apply;
    const ct_bn_bwd_reduce_fn *bn_bwd_reduce;
    const ct_bn_bwd_apply_fn *bn_bwd_apply;
    /* layer normalisation (nnmisc.h), per dtype (float32, float64); NULL
     * where a device has none (the op then composes other ops) */
    const ct_ln_fwd_fn *ln_fwd;
    const ct_ln_bwd_fn *ln_bwd;
    /* group normalisation (nnmisc.h), the same way */
    const ct_gn_fwd_fn *gn_fwd;
    const ct_gn_bwd_fn *gn_bwd;
    /* an LSTM step's gate gradients (float32, float64) and forward
     * (float32) (nnmisc.h); NULL where a device has none (the ops one at a
     * time) */
    const ct_lstm_bwd_fn *lstm_bwd;
    const ct_lstm_fwd_fn *lstm_fwd;
    /* convolutions (conv.h): im2col and col2im per dtype (float32, float64,
     * complex64, complex128, the integers). A device may leave them NULL: the op then
     * runs on a host copy */
    const ct_im2col_fn *im2col;
    const ct_col2im_fn *col2im;
    /* fused convolution drivers (conv.h) on the table's own gemm; 0, or -1
     * when out of memory. A device may leave them NULL */
    int (*conv_im2col_mm)(int dtype, int64_t es, const char *src, const char *w, char *y,
                          int64_t N, int64_t C, int64_t G, int64_t R, const ct_conv_geom *g);
    int (*conv_mm_col2im)(int dtype, int64_t es, const char *src, const char *w, char *y,
                          int64_t N, int64_t Cq, int64_t G, int64_t R, const ct_conv_geom *g);
    int (*conv_wgrad)(int dtype, int64_t es, const char *a, const char *src, char *gw,
                      int64_t N, int64_t C, int64_t G, int64_t R, const ct_conv_geom *g);
    /* special functions (special.h): the orthogonal polynomials, digamma,
     * erfinv;
     * NULL where the backend lacks them (device tensors go through a host
     * copy) */
    ct_special_poly_fn special_poly;
    ct_special_digamma_fn special_digamma;
    ct_special_erfinv_fn special_erfinv;
    /* fused activations (nn.h): per dtype (float32, float64); NULL where a
     * device has none (the op then composes other ops) */
    const ct_act_fn *act;
    const ct_act_bwd_fn *act_bwd;
    /* the pointwise losses (nn.h): per dtype (float32, float64); NULL where
     * a device has none (the loss then composes other ops) */
    const ct_ploss_fn *ploss;
    const ct_ploss_bwd_fn *ploss_bwd;
    /* glu both ways (nn.h): per dtype (float32, float64); NULL: composed */
    const ct_glu_fn *glu;
    /* prelu both ways (nn.h): per dtype (float32, float64); NULL: composed */
    const ct_prelu_fn *prelu;
    /* embedding_bag and grid_sample (nnsample.h): the offsets / indices
     * check, and per dtype (float32, float64) the kernels; NULL where a
     * device has none (the op then composes other ops) */
    int64_t (*ebag_check)(const int64_t *idx, int64_t n, int64_t rows, const int64_t *off,
                          int64_t noff, int64_t *bad);
    const ct_ebag_fn *ebag;
    const ct_ebag_bwd_fn *ebag_bwd;
    const ct_grid_fn *grid_sample;
    const ct_grid_bwd_fn *grid_sample_bwd;
    /* fused optimizer updates (optim.h): per dtype (float32, float64); NULL
     * where a device has none (the optimizer then composes other ops) */
    const ct_sgd_fn *sgd_update;
    const ct_adam_fn *adam_update;
    /* erfc and logit (special.h): NULL where the backend lacks them */
    ct_special_erfc_fn special_erfc;
    ct_special_logit_fn special_logit;
    /* rearranging copies of contiguous tensors (rearrange.h): flip, tril /
     * triu and constant padding on raw elements; NULL where a device has
     * none (the op then copies through a strided view / composes other ops) */
    void (*flip)(char *dst, const char *src, int nd, const int64_t *shape,
                 const unsigned char *flip, int es);
    void (*tri)(char *dst, const char *src, int64_t batch, int64_t m, int64_t n, int64_t k,
                int lower, int es);
    void (*pad_constant)(char *dst, const char *src, int nd, const int64_t *out,
                         const int64_t *in, const int64_t *lo, const void *val, int es);
    void (*pad_map)(char *dst, const char *src, int nd, const int64_t *out, const int64_t *in,
                    const int64_t *map, int64_t lo, int es);
    /* resampling along one dim by taps (rearrange.h), the separable steps of
     * interpolate; NULL where a device has none (they then compose other ops) */
    int (*taps)(int dtype, char *dst, const char *src, int64_t outer, int64_t n_in,
                int64_t n_out, int64_t inner, int64_t K, const int64_t *idx, const double *w,
                int transpose);
    /* running sums / products along a middle dim (rearrange.h); NULL where a
     * device has none (the scan then runs over rows of a permuted copy) */
    int (*cum_inner)(int dtype, const char *x, int64_t outer, int64_t len, int64_t inner,
                     int is_prod, char *out);
    /* arange's and linspace's values in dense memory (rearrange.h); NULL
     * where a device has none (they are then made on the host) */
    int (*arange)(int dtype, char *dst, int64_t n, int64_t i0, int64_t is, double d0, double ds);
    int (*linspace)(int dtype, char *dst, int64_t n, int64_t stride, double a, double b);
    /* reductions of the leading dims of a contiguous tensor (or of each of
     * `outer` blocks of it), column by column (reduce.h: op 0 max, 1 min,
     * 2 prod, 3 nansum, ...); -1 for an op or dtype it lacks; NULL where a
     * device has none (the op then reduces rows of a transposed copy) */
    int (*reduce_cols)(int op, int dtype, const void *x, int64_t outer, int64_t n, int64_t cols,
                       int64_t ld, void *out, int64_t *idx);
    /* ---- shape / composite ops */
    /* the cross product along one dim (cross.h); -1 for a dtype it lacks;
     * NULL where a device has none (linalg.cross then composes other ops) */
    int (*cross)(int dtype, int ndim, const int64_t *shape, const int64_t *strides,
                 char *const *ptr, const int64_t *cstride, int64_t grain);
    /* p-norm distances between rows, cdist's and pdist's kernel (dist.h);
     * -1 for a dtype it lacks; NULL where a device has none (the ops then
     * compose elementwise ops and reductions) */
    int (*dist)(int dtype, const void *x1, int64_t b1, const void *x2, int64_t b2, void *out,
                int64_t nb, int64_t P, int64_t R, int64_t M, double p, int pairs);
    /* ---- dense linear algebra (linalg.h): LU, triangular and LU solves,
     * Cholesky of float32 / float64 matrices on the table's own gemm; -1 for
     * another dtype or when out of memory. NULL where a device has none (the
     * op then runs LAPACK on a host copy) */
    int (*la_lu)(int dtype, const void *src, void *dst, int64_t nb, int64_t m, int64_t n,
                 int32_t *piv, int32_t *info);
    int (*la_trsm)(int dtype, const void *T, int64_t tbs, int64_t rs, int64_t cs, int upper,
                   int unit, const void *B, int64_t bbs, void *X, int64_t nb, int64_t n,
                   int64_t k, int xrow);
    int (*la_lu_solve)(int dtype, const void *LU, int64_t lbs, const int32_t *piv, int64_t pbs,
                       const void *B, int64_t bbs, void *X, int64_t nb, int64_t n, int64_t k,
                       int xrow, int trans);
    int (*la_cholesky)(int dtype, const void *src, void *dst, int64_t nb, int64_t n,
                       int32_t *info);
    int (*la_qr)(int dtype, const void *src, void *q, void *r, int64_t nb, int64_t m, int64_t n,
                 int64_t qc, int64_t rr);
    int (*la_ldl)(int dtype, void *a, int64_t nb, int64_t n, int32_t *piv, int32_t *info);
    int (*la_orgqr)(int dtype, const void *a, const void *tau, void *q, int64_t nb, int64_t m,
                    int64_t n, int64_t k);
    int (*la_geqrf)(int dtype, const void *src, void *h, void *tau, int64_t nb, int64_t m,
                    int64_t n);
    int (*la_ormqr)(int dtype, const void *h, const void *tau, void *c, int64_t nb, int64_t m,
                    int64_t na, int64_t k, int64_t mc, int64_t nc, int left, int trans);

    /* ---- index ops: the position of the first of n host int64 indices
     * outside [lo, hi] (inclusive; hi < lo: all are outside), -1 when none
     * (shape.h); host memory only, NULL on a device */
    int64_t (*index_outside)(const int64_t *p, int64_t n, int64_t lo, int64_t hi);
    /* ---- order statistics along a dim (sort.h): mode, nanmedian, kthvalue
     * and topk of a contiguous tensor without a transposed copy, per dtype,
     * and their scratch; cummax / cummin along a middle dim; the runs of
     * unique_consecutive over a flat contiguous tensor. NULL where a
     * device has none (the ops then go through the rows layout) */
    const ct_ostat_fn *ostat;
    int64_t (*ostat_scratch_bytes)(int64_t outer, int64_t len, int64_t inner, int64_t k, int itemsize);
    int (*cumext_inner)(int dtype, const void *x, int64_t outer, int64_t len, int64_t inner,
                        int is_max, void *val, int64_t *idx);
    int64_t (*unique_consec)(int dtype, const void *x, int64_t n, void *vals, int64_t *inverse,
                             int64_t *counts);
    /* ---- fused row reductions: the 2-norm and logsumexp of each row
     * (reduce.h, op CT_RROWS_*); -1 for an op or dtype it lacks; NULL where
     * a device has none (the op then composes other ops) */
    int (*reduce_rows)(int op, int dtype, const void *x, int64_t rows, int64_t len, int64_t ld,
                       void *out);
    /* Bessel, Airy and modified Bessel functions of the second kind, xlogy
     * and the incomplete gamma functions (special_bessel.h): NULL where the backend lacks them (the op
     * then runs scipy.special's ufunc on a host copy) */
    ct_special_bessel_fn special_bessel;
    ct_special_xlogy_fn special_xlogy;
    ct_special_igamma_fn special_igamma;
    /* the D-dimensional histogram of a set of points (hist.h); NULL where a
     * device has none (the op then composes other ops) */
    ct_histogramdd_fn histogramdd;
    /* cat of dense pieces along a dim, all rows in one call (shape.h); NULL
     * where a device has none (cat then copies piece by piece) */
    ct_cat_rows_fn cat_rows;
    /* softmax / log_softmax along a middle dim and their backward, dense
     * (reduce.h, ct_softmax_dim); NULL where a device has none (the ops then
     * go through the rows layout and compose other ops) */
    int (*softmax_dim)(int op, int dtype, const void *a, const void *b, int64_t outer,
                       int64_t len, int64_t inner, void *out);
    /* ---- one-sided discrete Fourier transforms of dense rows (fft.h):
     * fft_r2c takes rows real rows of even length n (CT_FLOAT32 or
     * CT_FLOAT64) to their n / 2 + 1 first forward coefficients, fft_c2r
     * takes rows of n / 2 + 1 complex values (CT_COMPLEX64 or
     * CT_COMPLEX128) to the n real values of the backward transform of the
     * Hermitian spectrum they begin (the imaginary parts of the first and
     * last are not read; flags bit 0: of their conjugates, bit 1: with the
     * values between the first and last halved, the adjoint of fft_r2c);
     * the results multiplied by scale. -1 for a dtype or length the backend
     * lacks; NULL where a device has none */
    int (*fft_r2c)(int dtype, const void *in, void *out, int64_t rows, int64_t n, double scale);
    int (*fft_c2r)(int dtype, const void *in, void *out, int64_t rows, int64_t n, int flags,
                   double scale);
    /* the multivariate log-gamma function (special_bessel.h): NULL where
     * the backend lacks it (the op then sums lgamma terms) */
    ct_special_mvlgamma_fn special_mvlgamma;
    /* discrete Fourier transforms of a dense (outer, n, inner) complex
     * array along its middle dim, scaled (fft.h, ct_fft_c2c_dim); in and out
     * the same buffer or not overlapping. -1 for a dtype or length the
     * backend lacks; NULL where a device has none */
    int (*fft_c2c_dim)(int dtype, const void *in, void *out, int64_t outer, int64_t n,
                       int64_t inner, int inverse, double scale);
    /* the Hurwitz zeta function (special_bessel.h): NULL where the backend
     * lacks it (the op then runs scipy.special's ufunc on a host copy) */
    ct_special_zeta_fn special_zeta;
    /* the fused convolution drivers with their extras (conv.h): the bias
     * added in the forward, a batch stride for the gradient (0: one image's
     * for the whole batch), the bias gradient with the weight's; 0, or -1
     * when out of memory. A device may leave them NULL */
    int (*conv_im2col_mm_bias)(int dtype, int64_t es, const char *src, const char *w,
                               const char *bias, char *y, int64_t N, int64_t C, int64_t G,
                               int64_t R, const ct_conv_geom *g);
    int (*conv_mm_col2im_bs)(int dtype, int64_t es, const char *src, int64_t sn, const char *w,
                             char *y, int64_t N, int64_t Cq, int64_t G, int64_t R,
                             const ct_conv_geom *g);
    int (*conv_wgrad_bias)(int dtype, int64_t es, const char *a, int64_t an, const char *src,
                           char *gw, char *gb, int64_t N, int64_t C, int64_t G, int64_t R,
                           const ct_conv_geom *g);
    /* the full spectrum of a real input from its one-sided half (fft.h,
     * ct_fft_hermitian); NULL where a device has none */
    int (*fft_hermitian)(int dtype, const void *half, void *out, int nd, const int64_t *sizes,
                         const unsigned char *mirror, int64_t n);
    /* whole LSTM layers on the table's own gemm (nnmisc.h, ct_lstm_seq_fwd
     * and ct_lstm_seq_bwd without the gemm argument); NULL where a device
     * has none (the steps then run one at a time) */
    int (*lstm_seq_fwd)(int dtype, int64_t T, int64_t B, int64_t H, int64_t In, const char *x,
                        const char *wih_t, const char *bias, const char *whh_t, const char *h0,
                        const char *c0, char *gates, char *out, char *cs, char *tc, int save,
                        int reverse);
    int64_t (*lstm_seq_block)(int64_t B);
    int (*lstm_seq_bwd)(int dtype, int64_t T, int64_t B, int64_t H, const char *dout,
                        const char *dhn, const char *dcn, const char *a, const char *tc,
                        const char *cs, const char *c0, const char *w_hh, char *dg, char *dh0,
                        char *dc0, int reverse);
    /* whether two dense arrays of n elements of one dtype hold equal values
     * (reduce.h, ct_equal_dense): 1 / 0, -1 for a dtype it lacks; NULL
     * where a device has none (equal then compares by ops) */
    int (*equal_dense)(int dtype, const void *a, const void *b, int64_t n);
    /* sums of the rows of a view whose last dim steps by k | 64 (reduce.h,
     * ct_sum_step); NULL where a device has none (the sum then copies) */
    int (*sum_step)(int dtype, int nd, const int64_t *shape, const int64_t *stride,
                    const void *base, int nk, void *out);
    /* how many of n dense elements are nonzero (reduce.h,
     * ct_count_nonzero_dense); -1 for a dtype it lacks; NULL where a device
     * has none (count_nonzero then sums a bool cast) */
    int64_t (*count_nonzero_dense)(int dtype, const void *x, int64_t n);
} ct_backend;

/* the CPU backend (cpu_backend.c) */
extern const ct_backend ct_cpu_backend;

/* CPU only: its thread count, and the BLAS it runs float products on (the
 * gemm entry points of scipy's BLAS, bound by ctorch._core.dispatch) */
int ct_get_num_threads(void);
void ct_set_num_threads(int n);
void ct_cpu_set_blas(ct_gemm_fn sgemm, ct_gemm_fn dgemm, ct_gemm_fn cgemm, ct_gemm_fn zgemm);

#endif
