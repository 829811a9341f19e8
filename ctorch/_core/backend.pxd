# The backend interface (ctorch/_kernels/backend.h) as Cython sees it: the
# table of kernels of one device, and the types its entries use. Declarations
# only; ctorch._core.dispatch says which table serves which device.

from libc.stdint cimport int64_t, uint64_t, uint32_t, uint8_t, uint16_t

cdef extern from "backend.h" nogil:
    ctypedef unsigned short ct_half "ct_half"

    ctypedef struct ct_params:
        double a, b, c
        int64_t ia, ib
        int flags
        int err

    ctypedef struct ct_iter:
        int nargs
        int ndim
        const int64_t *shape
        const int64_t *strides
        char *const *ptr
        int64_t grain
        int host

    enum:
        CT_EW_UNARY, CT_EW_BINARY, CT_EW_LERP, CT_EW_WHERE, CT_EW_CAST
        CT_OK, CT_ERR_ZERODIV, CT_ERR_DEVICE

    # the elementwise op codes (rows of elementwise_ops.def) that ops name in
    # their own code; the generated functions take theirs from the op list
    enum:
        CT_ADD, CT_SUB, CT_MUL, CT_DIV, CT_DIV_TRUNC, CT_DIV_FLOOR, CT_REMAINDER, CT_POW
        CT_BITAND, CT_BITOR, CT_BITXOR, CT_SHL, CT_SHR, CT_EQ, CT_NE, CT_LT, CT_LE, CT_GT, CT_GE
        CT_LOGAND
        CT_NEG, CT_ABS, CT_ROUND, CT_BITNOT, CT_LOGNOT, CT_ROUND_DEC, CT_NAN_TO_NUM, CT_CLAMP
        CT_SQUARE, CT_CONJ

    # reductions
    ctypedef void (*ct_sum_rows_fn)(const void *x, int64_t rows, int64_t len, int64_t ld, void *out)
    ctypedef void (*ct_sum_cols_fn)(const void *x, int64_t n, int64_t cols, int64_t ld, void *out)
    ctypedef void (*ct_sum_mid_fn)(const void *x, int64_t outer, int64_t n, int64_t cols, void *out)
    ctypedef void (*ct_minmax_fn)(const void *x, int64_t rows, int64_t len, int64_t ld, int is_max,
                                  void *val, int64_t *idx)
    ctypedef int (*ct_median_fn)(const void *x, int64_t rows, int64_t len, int64_t ld, void *val,
                                 int64_t *idx)
    ctypedef void (*ct_prod_fn)(const void *x, int64_t rows, int64_t len, int64_t ld, void *out)
    ctypedef void (*ct_cum_fn)(const void *x, int64_t rows, int64_t len, int64_t ld, int is_prod,
                               void *out)
    ctypedef void (*ct_softmax_fn)(const void *x, int64_t rows, int64_t len, int64_t ld, int is_log,
                                   void *out)
    ctypedef void (*ct_cumext_fn)(const void *x, int64_t rows, int64_t len, int64_t ld, int is_max,
                                  void *val, int64_t *idx)
    # products
    ctypedef void (*ct_mm_fn)(int64_t nb, const int64_t *offa, const int64_t *offb,
                              const void *A, const void *B, void *C, int64_t m, int64_t n, int64_t k)
    ctypedef void (*ct_gemm_fn)(char *ta, char *tb, int *m, int *n, int *k, void *alpha,
                                void *a, int *lda, void *b, int *ldb, void *beta, void *c,
                                int *ldc)
    ctypedef int (*ct_blas_local_fn)(int)
    # moving elements
    ctypedef int (*ct_gather_fn)(void *a, const int64_t *ast, const void *b, const int64_t *bst,
                                 const int64_t *idx, const int64_t *ist, const int64_t *shape,
                                 int nd, int dim, int64_t size, int64_t *bad)
    ctypedef void (*ct_index_add_fn)(void *dst, const void *src, int64_t outer, int64_t size,
                                     int64_t n, int64_t inner, const int64_t *idx, int64_t so,
                                     int64_t si, int64_t sj)
    ctypedef int (*ct_scatter_fn)(const void *a, const int64_t *ast, void *b, const int64_t *bst,
                                  const int64_t *idx, const int64_t *ist, const int64_t *shape,
                                  int nd, int dim, int64_t size, int64_t *bad)
    # sorting
    ctypedef int (*ct_sort_fn)(const void *x, int64_t rows, int64_t len, int64_t ld, int desc,
                               void *val, int64_t *idx, void *scratch)
    ctypedef int (*ct_topk_fn)(const void *x, int64_t rows, int64_t len, int64_t ld, int64_t k,
                               int largest, void *val, int64_t *idx, void *scratch)
    ctypedef int (*ct_kth_fn)(const void *x, int64_t rows, int64_t len, int64_t ld, int64_t k,
                              void *val, int64_t *idx, void *scratch)
    ctypedef void (*ct_search_fn)(const void *b, int64_t brows, int64_t m, const int64_t *sorter,
                                  const void *v, int64_t rows, int64_t nv, int right, int out32,
                                  void *out)
    # random numbers and sampling
    ctypedef void (*ct_rand_fill_fn)(uint64_t seed, uint64_t offset, void *out, int64_t n)
    ctypedef void (*ct_bernoulli_scalar_fn)(uint64_t seed, uint64_t offset, uint32_t thr, void *out,
                                            int64_t n)
    ctypedef void (*ct_dropout_fn)(uint64_t seed, uint64_t offset, uint32_t thr, double scale,
                                   const void *x, void *out, void *mask, int64_t n)
    # histograms
    ctypedef int (*ct_histogram_fn)(const void *x, const void *w, int64_t n, const void *e,
                                    int64_t nb, int linear, double *hist)
    ctypedef void (*ct_minmax_range_fn)(const void *x, int64_t n, double *mn, double *mx)
    # nn
    ctypedef void (*ct_bn_stats_fn)(const void *x, int64_t N, int64_t C, int64_t S,
                                    double *mean, double *var, double *scratch)
    ctypedef void (*ct_bn_apply_fn)(const void *x, void *y, int64_t N, int64_t C, int64_t S,
                                    const double *mean, const double *scale, const double *shift)
    ctypedef void (*ct_bn_bwd_reduce_fn)(const void *g, const void *x, int64_t N, int64_t C,
                                         int64_t S, const double *mean, double *sum_g,
                                         double *sum_gx, double *scratch)
    ctypedef void (*ct_bn_bwd_apply_fn)(const void *g, const void *x, void *dx, int64_t N,
                                        int64_t C, int64_t S, const double *mean, const double *a,
                                        const double *b, const double *d)
    ctypedef void (*ct_ln_fwd_fn)(const void *x, const void *w, const void *b, void *y,
                                  double *mean, double *rstd, int64_t M, int64_t N, double eps)
    ctypedef void (*ct_ln_bwd_fn)(const void *g, const void *x, const void *w, const double *mean,
                                  const double *rstd, void *dx, double *dw, double *db,
                                  int64_t M, int64_t N)
    ctypedef void (*ct_gn_fwd_fn)(const void *x, const void *w, const void *b, void *y,
                                  double *mean, double *rstd, int64_t N, int64_t C, int64_t S,
                                  int64_t G, double eps)
    ctypedef void (*ct_gn_bwd_fn)(const void *g, const void *x, const void *w, const double *mean,
                                  const double *rstd, void *dx, double *dw, double *db, int64_t N,
                                  int64_t C, int64_t S, int64_t G, double *sums)
    ctypedef void (*ct_lstm_bwd_fn)(int64_t hb, const void *a, const void *g, const void *cp,
                                    const void *tc, const void *dh, const void *dc, void *dg,
                                    void *dcp)
    ctypedef void (*ct_lstm_fwd_fn)(int64_t hb, const void *gt, const void *c, void *a, void *g,
                                    void *cy, void *tc, void *hy)
    ctypedef void (*ct_gelu_fn)(const void *x, void *y, int64_t n, int approx)
    ctypedef void (*ct_gelu_bwd_fn)(const void *g, const void *x, void *dx, int64_t n, int approx)
    ctypedef int64_t (*ct_nll_fn)(const void *x, int64_t N, int64_t C, int64_t sn, int64_t sc,
                                  const void *t, int tbyte, int64_t st, const void *w,
                                  int64_t ignore, void *rows, double *sum, double *wsum)
    ctypedef void (*ct_nll_bwd_fn)(void *dx, int64_t N, int64_t C, const void *t, int tbyte,
                                   int64_t st, const void *w, int64_t ignore, const void *g,
                                   int64_t sg, double scale)
    # convolutions
    ctypedef struct ct_conv_geom:
        int64_t in_ "in"[3]
        int64_t out[3]
        int64_t k[3]
        int64_t s[3]
        int64_t p[3]
        int64_t d[3]
    ctypedef void (*ct_im2col_fn)(const void *x, void *cols, int64_t planes, const ct_conv_geom *g)
    ctypedef void (*ct_col2im_fn)(const void *cols, void *x, int64_t planes, const ct_conv_geom *g)
    # special functions
    ctypedef int (*ct_special_poly_fn)(int kind, int shift, int dtype, const void *x, int64_t sx,
                                       const void *n, int64_t sn, void *out, int64_t count)
    ctypedef int (*ct_special_digamma_fn)(int dtype, const void *x, void *out, int64_t count)
    ctypedef int (*ct_special_erfinv_fn)(int dtype, const void *x, void *out, int64_t count)
    ctypedef int (*ct_special_erfc_fn)(int dtype, const void *x, void *out, int64_t count)
    ctypedef int (*ct_special_logit_fn)(int dtype, const void *x, void *out, int64_t count, double eps)
    # Bessel, Airy, K0 / K1 and xlogy (special_bessel.h)
    ctypedef int (*ct_special_bessel_fn)(int code, const void *x, void *out, int64_t count)
    ctypedef int (*ct_special_xlogy_fn)(int dtype, const void *a, int64_t sa, const void *b,
                                        int64_t sb, void *out, int64_t count)
    ctypedef int64_t (*ct_special_igamma_fn)(int upper, int dtype, const void *a, const void *x,
                                             void *out, uint8_t *flag, int64_t count)
    ctypedef int (*ct_special_mvlgamma_fn)(int dtype, const void *x, void *out, int64_t count,
                                           int64_t p)
    ctypedef int (*ct_special_zeta_fn)(int dtype, const void *x, int64_t sx, const void *q,
                                       int64_t sq, void *out, int64_t count)

    ctypedef struct ct_backend:
        const char *name
        # memory
        void *(*alloc)(size_t nbytes) noexcept nogil
        void (*free)(void *p, size_t nbytes) noexcept nogil
        void (*empty_cache)() noexcept nogil
        int (*to_host)(void *dst, const void *src, size_t nbytes) noexcept nogil
        int (*from_host)(void *dst, const void *src, size_t nbytes) noexcept nogil
        # elementwise
        int (*has_kernel)(int kind, int op, int dtype) noexcept nogil
        int (*elementwise)(int kind, int op, int dtype, ct_params *P, const ct_iter *it) noexcept nogil
        # reductions
        const ct_sum_rows_fn *sum_rows
        const ct_sum_cols_fn *sum_cols
        const ct_sum_mid_fn *sum_mid
        const ct_minmax_fn *minmax
        const ct_median_fn *median
        const ct_prod_fn *prod
        const ct_cum_fn *cum
        const ct_softmax_fn *softmax
        # products
        const ct_mm_fn *mm
        int (*gemm_ready)() noexcept nogil
        void (*gemm)(int dtype, char t1, char t2, int M, int N, int K, const void *alpha,
                     char *P, int ld1, const int64_t *off1, char *Q, int ld2, const int64_t *off2,
                     const void *beta, char *C, int ldc, int64_t nb) noexcept nogil
        int (*gemm_half)(int dtype, int64_t nb, int64_t m, int64_t n, int64_t k,
                         const uint16_t *A, const int64_t *offa, int64_t ars, int64_t acs,
                         const uint16_t *B, const int64_t *offb, int64_t brs, int64_t bcs,
                         uint16_t *C) noexcept nogil
        # moving elements
        void (*copy_rows)(char *dst, int64_t dld, const char *src, int64_t sld, int64_t rows,
                          int64_t nbytes) noexcept nogil
        int (*index_select)(char *dst, const char *src, int64_t outer, int64_t size, int64_t inner,
                            int es, const int64_t *idx, int64_t n, int64_t *bad) noexcept nogil
        ct_gather_fn (*gather)(int es) noexcept nogil
        ct_scatter_fn (*scatter)(int es) noexcept nogil
        const ct_scatter_fn *scatter_add
        const ct_index_add_fn *index_add
        const ct_scatter_fn *scatter_reduce
        # sorting and searching
        const ct_sort_fn *sort
        int64_t (*sort_scratch_bytes)(int64_t rows, int64_t len, int64_t extra, int itemsize) noexcept nogil
        const ct_topk_fn *topk
        const ct_kth_fn *kth
        const ct_search_fn *search
        int (*sorter_bad)(const int64_t *s, int64_t n, int64_t m) noexcept nogil
        # random numbers
        const ct_rand_fill_fn *uniform
        const ct_rand_fill_fn *normal
        void (*int64_range)(uint64_t seed, uint64_t offset, int64_t low, int64_t high,
                            int64_t *out, int64_t n) noexcept nogil
        void (*randperm)(uint64_t seed, uint64_t offset, int64_t *out, int64_t n) noexcept nogil
        # sampling
        const ct_bernoulli_scalar_fn *bernoulli_scalar
        int (*prob_invalid)(const double *p, int64_t n) noexcept nogil
        void (*bernoulli_tensor)(uint64_t seed, uint64_t offset, const double *p, uint8_t *out,
                                 int64_t n) noexcept nogil
        const ct_dropout_fn *dropout
        int (*multinomial_check)(const double *p, int64_t rows, int64_t ncat) noexcept nogil
        void (*multinomial_repl)(uint64_t seed, uint64_t offset, const double *p, int64_t rows,
                                 int64_t ncat, int64_t ns, double *cum, int64_t *out) noexcept nogil
        int (*multinomial_norepl)(uint64_t seed, uint64_t offset, const double *p, int64_t rows,
                                  int64_t ncat, int64_t ns, int64_t *out) noexcept nogil
        int (*rate_invalid)(const double *rate, int64_t n) noexcept nogil
        void (*poisson)(uint64_t seed, uint64_t offset, const double *rate, double *out,
                        int64_t n) noexcept nogil
        void (*binomial)(uint64_t seed, uint64_t offset, const double *count, const double *prob,
                         double *out, int64_t n) noexcept nogil
        # histograms
        const ct_histogram_fn *histogram
        const ct_minmax_range_fn *minmax_range
        void (*minmax_i64)(const int64_t *x, int64_t n, int64_t *mn, int64_t *mx) noexcept nogil
        int (*bincount)(const int64_t *x, const double *w, int64_t n, int64_t nbins, int64_t *cnt,
                        double *wsum) noexcept nogil
        # nn
        const ct_gelu_fn *gelu
        const ct_gelu_bwd_fn *gelu_bwd
        const ct_nll_fn *nll
        const ct_nll_bwd_fn *nll_bwd
        # discrete Fourier transforms
        int (*fft_c2c)(int dtype, const void *inp, void *out, int64_t rows, int64_t n,
                       int inverse) noexcept nogil
        # sums that skip NaN, running max/min with indices
        const ct_sum_rows_fn *nansum_rows
        const ct_cumext_fn *cumext
        # batch normalisation (NULL where a device has none)
        const ct_bn_stats_fn *bn_stats
        const ct_bn_apply_fn *bn_apply
        const ct_bn_bwd_reduce_fn *bn_bwd_reduce
        const ct_bn_bwd_apply_fn *bn_bwd_apply
        # layer normalisation (NULL where a device has none)
        const ct_ln_fwd_fn *ln_fwd
        const ct_ln_bwd_fn *ln_bwd
        const ct_gn_fwd_fn *gn_fwd
        const ct_gn_bwd_fn *gn_bwd
        const ct_lstm_bwd_fn *lstm_bwd
        const ct_lstm_fwd_fn *lstm_fwd
        # convolutions (NULL: the op runs on a host copy)
        const ct_im2col_fn *im2col
        const ct_col2im_fn *col2im
        int (*conv_im2col_mm)(int dtype, int64_t es, const char *src, const char *w, char *y,
                              int64_t N, int64_t C, int64_t G, int64_t R,
                              const ct_conv_geom *g) noexcept nogil
        int (*conv_mm_col2im)(int dtype, int64_t es, const char *src, const char *w, char *y,
                              int64_t N, int64_t Cq, int64_t G, int64_t R,
                              const ct_conv_geom *g) noexcept nogil
        int (*conv_wgrad)(int dtype, int64_t es, const char *a, const char *src, char *gw,
                          int64_t N, int64_t C, int64_t G, int64_t R,
                          const ct_conv_geom *g) noexcept nogil
        # special functions (NULL where the backend lacks them)
        ct_special_poly_fn special_poly
        ct_special_digamma_fn special_digamma
        ct_special_erfinv_fn special_erfinv
        ct_special_erfc_fn special_erfc
        ct_special_logit_fn special_logit
        # Bessel, Airy, K0 / K1 and xlogy (NULL where the backend lacks them)
        ct_special_bessel_fn special_bessel
        ct_special_xlogy_fn special_xlogy
        ct_special_igamma_fn special_igamma
        # one-sided discrete Fourier transforms of dense rows (NULL where a
        # device has none)
        int (*fft_r2c)(int dtype, const void *inp, void *out, int64_t rows, int64_t n,
                       double scale) noexcept nogil
        int (*fft_c2r)(int dtype, const void *inp, void *out, int64_t rows, int64_t n, int flags,
                       double scale) noexcept nogil
        ct_special_mvlgamma_fn special_mvlgamma
        # discrete Fourier transforms along a middle dim (NULL where a device has none)
        int (*fft_c2c_dim)(int dtype, const void *inp, void *out, int64_t outer, int64_t n,
                           int64_t inner, int inverse, double scale) noexcept nogil
        ct_special_zeta_fn special_zeta
        # the fused convolution drivers with their extras (NULL where a device has none)
        int (*conv_im2col_mm_bias)(int dtype, int64_t es, const char *src, const char *w,
                                   const char *bias, char *y, int64_t N, int64_t C, int64_t G,
                                   int64_t R, const ct_conv_geom *g) noexcept nogil
        int (*conv_mm_col2im_bs)(int dtype, int64_t es, const char *src, int64_t sn,
                                 const char *w, char *y, int64_t N, int64_t Cq, int64_t G,
                                 int64_t R, const ct_conv_geom *g) noexcept nogil
        int (*conv_wgrad_bias)(int dtype, int64_t es, const char *a, int64_t an, const char *src,
                               char *gw, char *gb, int64_t N, int64_t C, int64_t G, int64_t R,
                               const ct_conv_geom *g) noexcept nogil
        # the full spectrum of a real input from its one-sided half (NULL
        # where a device has none)
        int (*fft_hermitian)(int dtype, const void *half, void *out, int nd, const int64_t *sizes,
                             const unsigned char *mirror, int64_t n) noexcept nogil
        # whole LSTM layers on the table's own gemm (NULL where a device has none)
        int (*lstm_seq_fwd)(int dtype, int64_t T, int64_t B, int64_t H, int64_t In, const char *x,
                            const char *wih_t, const char *bias, const char *whh_t, const char *h0,
                            const char *c0, char *gates, char *out, char *cs, char *tc, int save,
                            int reverse) noexcept nogil
        int64_t (*lstm_seq_block)(int64_t B) noexcept nogil
        int (*lstm_seq_bwd)(int dtype, int64_t T, int64_t B, int64_t H, const char *dout,
                            const char *dhn, const char *dcn, const char *a, const char *tc,
                            const char *cs, const char *c0, const char *w_hh, char *dg, char *dh0,
                            char *dc0, int reverse) noexcept nogil
        # whether dense operands hold equal values: 1 / 0, -1 for a dtype it
        # lacks (NULL where a device has none)
        int (*equal_dense)(int dtype, const void *a, const void *b, int64_t n) noexcept nogil
        # sums of the rows of a view whose last dim steps by k | 64 (NULL
        # where a device has none)
        int (*sum_step)(int dtype, int nd, const int64_t *shape, const int64_t *stride,
                        const void *base, int nk, void *out) noexcept nogil
        # how many of n dense elements are nonzero; -1 for a dtype it lacks
        # (NULL where a device has none)
        int64_t (*count_nonzero_dense)(int dtype, const void *x, int64_t n) noexcept nogil

    # the Philox stream's bookkeeping: blocks a fill of n elements consumes
    uint64_t ct_rand_blocks_uniform_f32(int64_t n)
    uint64_t ct_rand_blocks_uniform_f64(int64_t n)
    uint64_t ct_rand_blocks_normal_f32(int64_t n)
    uint64_t ct_rand_blocks_normal_f64(int64_t n)
    uint64_t ct_rand_blocks_int64_range(int64_t n, int64_t low, int64_t high)
    uint64_t ct_rand_blocks_randperm_int64(int64_t n)
    uint64_t ct_bernoulli_blocks(int64_t n)
    uint64_t ct_multinomial_blocks(int64_t n)
    uint64_t ct_count_blocks(int64_t n)
