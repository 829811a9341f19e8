/* The sampling family of the CUDA backend: the table entries
 * bernoulli_scalar, prob_invalid, bernoulli_tensor, dropout,
 * multinomial_check, multinomial_repl, multinomial_norepl, rate_invalid,
 * poisson and binomial (backend.h, sampling.h), over the kernels of
 * cuda_src/sampling.cu. They take the same
 * arguments as the CPU entries, data pointers being device pointers, and
 * give the CPU's numbers for the same (seed, offset).
 *
 * The answers the host needs (prob_invalid's and multinomial_check's
 * flags) are computed on the device and copied back as words. Without
 * replacement, rows of up to CT_MN_SMALL categories are sorted in shared
 * memory (a block a row); longer rows put their keys in scratch, in chunks
 * of rows of at most CTC_MN_CHUNK slots, and either take the ns smallest
 * one after the other (ns <= CTC_MN_FEW: a block a row) or sort the rows
 * with one launch a bitonic stage (any ns). A driver failure or a scratch
 * allocation that fails sets the sticky error (ctc_fail); the norepl entry
 * returns -1 when its scratch cannot be had, as the CPU's does. */
#include <string.h>
#include "cuda_backend.h"
#include "../../cuda_src/sampling_args.h"

#define CTC_MN_FEW 16                       /* ns up to this: ct_mn_race_min */
#define CTC_MN_CHUNK ((int64_t)1 << 22)     /* scratch slots a call of the race */

static int smp_lookup(int *slot, const char *name) {
    if (*slot == 0) *slot = ctc_kernel(name) + 1;
    return *slot - 1;
}

/* ------------------------------------------------------------- Bernoulli */

static void smp_bern_launch(int *slot, const char *name, uint64_t seed, uint64_t offset,
                            const void *x, void *out, void *mask, double scale, uint32_t thr,
                            int64_t n) {
    int k = smp_lookup(slot, name);
    if (n <= 0 || ctc_error) return;
    ct_bern_args a;
    memset(&a, 0, sizeof a);
    a.seed = seed;
    a.offset = offset;
    a.x = ctc_ptr(x);
    a.out = ctc_ptr(out);
    a.mask = ctc_ptr(mask);
    a.n = n;
    a.scale = scale;
    a.thr = thr;
    ctc_launch1d(k, (n + 3) / 4, &a, sizeof a);    /* a thread a Philox block */
}

static int k_bs_u8, k_bs_f32, k_bs_f64, k_btensor, k_pinv, k_drop_f32, k_drop_f64;

static void ctc_bern_u8(uint64_t seed, uint64_t offset, uint32_t thr, void *out, int64_t n) {
    smp_bern_launch(&k_bs_u8, "ct_bern_scalar_u8", seed, offset, NULL, out, NULL, 0.0, thr, n);
}
static void ctc_bern_f32(uint64_t seed, uint64_t offset, uint32_t thr, void *out, int64_t n) {
    smp_bern_launch(&k_bs_f32, "ct_bern_scalar_f32", seed, offset, NULL, out, NULL, 0.0, thr, n);
}
static void ctc_bern_f64(uint64_t seed, uint64_t offset, uint32_t thr, void *out, int64_t n) {
    smp_bern_launch(&k_bs_f64, "ct_bern_scalar_f64", seed, offset, NULL, out, NULL, 0.0, thr, n);
}

static ct_bernoulli_scalar_fn ctc_bern_scalar[CT_NDTYPES] = {
    [CT_BOOL] = ctc_bern_u8, [CT_UINT8] = ctc_bern_u8,
    [CT_FLOAT32] = ctc_bern_f32, [CT_FLOAT64] = ctc_bern_f64};

static void ctc_bern_tensor(uint64_t seed, uint64_t offset, const double *p, uint8_t *out,
                            int64_t n) {
    smp_bern_launch(&k_btensor, "ct_bern_tensor", seed, offset, p, out, NULL, 0.0, 0, n);
}

/* a zeroed device int32 (NULL, with the sticky error set, when none) */
static int32_t *smp_flags(int count) {
    int32_t *f = (int32_t *)ctc_scratch((size_t)count * sizeof(int32_t));
    if (f == NULL) return NULL;
    ctc_memset(f, 0, (size_t)count * sizeof(int32_t));
    return f;
}

/* 1 when some p[i] is outside [0, 1] (or nan); 0 also after a driver failure
 * (the op checks the sticky error) */
static int ctc_prob_invalid(const double *p, int64_t n) {
    int k = smp_lookup(&k_pinv, "ct_bern_prob_invalid");
    if (n <= 0 || ctc_error) return 0;
    int32_t *flag = smp_flags(1);
    if (flag == NULL) return 0;
    ct_bern_args a;
    memset(&a, 0, sizeof a);
    a.x = ctc_ptr(p);
    a.flag = ctc_ptr(flag);
    a.n = n;
    ctc_launch1d(k, n, &a, sizeof a);
    int32_t host = 0;
    ctc_copy(&host, flag, sizeof host, CTC_D2H);
    ctc_free(flag, sizeof(int32_t));
    return host != 0 && !ctc_error;
}

/* ---------------------------------------------------------------- dropout */

static void ctc_dropout_f32(uint64_t seed, uint64_t offset, uint32_t thr, double scale,
                            const void *x, void *out, void *mask, int64_t n) {
    smp_bern_launch(&k_drop_f32, "ct_dropout_f32", seed, offset, x, out, mask, scale, thr, n);
}
static void ctc_dropout_f64(uint64_t seed, uint64_t offset, uint32_t thr, double scale,
                            const void *x, void *out, void *mask, int64_t n) {
    smp_bern_launch(&k_drop_f64, "ct_dropout_f64", seed, offset, x, out, mask, scale, thr, n);
}

static ct_dropout_fn ctc_dropout[CT_NDTYPES] = {
    [CT_FLOAT32] = ctc_dropout_f32, [CT_FLOAT64] = ctc_dropout_f64};

/* ------------------------------------------------------------ multinomial */

static int k_check, k_check_rows, k_cumsum, k_repl, k_small, k_keys, k_step, k_take, k_min;

static void smp_mn_init(ct_mn_args *a, uint64_t seed, uint64_t offset, const double *p,
                        int64_t rows, int64_t ncat, int64_t ns) {
    memset(a, 0, sizeof *a);
    a->seed = seed;
    a->offset = offset;
    a->p = ctc_ptr(p);
    a->rows = rows;
    a->ncat = ncat;
    a->ns = ns;
}

/* 0: fine; 1: a weight is negative, inf or nan; 2: a row sums to 0 (the
 * CPU's answer: 1 wins over 2). 0 also after a driver failure. */
static int ctc_mn_check(const double *p, int64_t rows, int64_t ncat) {
    int kc = smp_lookup(&k_check, "ct_mn_check"), kr = smp_lookup(&k_check_rows, "ct_mn_check_rows");
    if (rows <= 0 || ctc_error) return 0;
    if (ncat <= 0) return 2;
    int32_t *flag = smp_flags(2);
    if (flag == NULL) return 0;
    int32_t *nz = (int32_t *)ctc_scratch((size_t)rows * sizeof(int32_t));
    if (nz == NULL) {
        ctc_free(flag, 2 * sizeof(int32_t));
        return 0;
    }
    ctc_memset(nz, 0, (size_t)rows * sizeof(int32_t));
    ct_mn_args a;
    smp_mn_init(&a, 0, 0, p, rows, ncat, 0);
    a.flag = ctc_ptr(flag);
    a.nz = ctc_ptr(nz);
    ctc_launch1d(kc, rows * ncat, &a, sizeof a);
    ctc_launch1d(kr, rows, &a, sizeof a);
    int32_t host[2] = {0, 0};
    ctc_copy(host, flag, sizeof host, CTC_D2H);
    ctc_free(nz, (size_t)rows * sizeof(int32_t));
    ctc_free(flag, 2 * sizeof(int32_t));
    if (ctc_error) return 0;
    return host[0] ? 1 : host[1] ? 2 : 0;
}

/* With replacement; cum: rows x ncat device scratch. */
static void ctc_mn_repl(uint64_t seed, uint64_t offset, const double *p, int64_t rows,
                        int64_t ncat, int64_t ns, double *cum, int64_t *out) {
    int kc = smp_lookup(&k_cumsum, "ct_mn_cumsum"), kr = smp_lookup(&k_repl, "ct_mn_repl");
    if (rows <= 0 || ncat <= 0 || ns <= 0 || ctc_error) return;
    ct_mn_args a;
    smp_mn_init(&a, seed, offset, p, rows, ncat, ns);
    a.cum = ctc_ptr(cum);
    a.out = ctc_ptr(out);
    ctc_launch1d(kc, rows, &a, sizeof a);                  /* a thread a row */
    ctc_launch1d(kr, (rows * ns + 1) / 2, &a, sizeof a);   /* a thread two samples */
}

/* blocks of a block-a-row launch over n rows */
static unsigned smp_row_blocks(int64_t n) {
    unsigned cap = ctc_blocks_for((int64_t)1 << 40, 256);
    return n < (int64_t)cap ? (unsigned)(n > 0 ? n : 1) : cap;
}

/* Without replacement (the exponential race). -1 when the scratch of long
 * rows cannot be had. */
static int ctc_mn_norepl(uint64_t seed, uint64_t offset, const double *p, int64_t rows,
                         int64_t ncat, int64_t ns, int64_t *out) {
    if (rows <= 0 || ncat <= 0 || ns <= 0 || ctc_error) return 0;
    ct_mn_args a;
    smp_mn_init(&a, seed, offset, p, rows, ncat, ns);
    a.out = ctc_ptr(out);
    int lg = 0;
    while (((int64_t)1 << lg) < ncat) lg++;
    int64_t pow2 = (int64_t)1 << lg;
    if (pow2 <= CT_MN_SMALL) {
        int k = smp_lookup(&k_small, "ct_mn_race_small");
        unsigned threads = (unsigned)(pow2 / 2 < 32 ? 32 : pow2 / 2 > 256 ? 256 : pow2 / 2);
        a.len = pow2;
        a.lg = lg;
        a.r0 = 0;
        a.nrows = rows;
        ctc_launch(k, smp_row_blocks(rows), 1, 1, threads, 1, 1, 0, &a, sizeof a);
        return 0;
    }
    int few = ns <= CTC_MN_FEW;
    int64_t len = few ? ncat : pow2;            /* slots a row in scratch */
    int64_t chunk = CTC_MN_CHUNK / len;
    if (chunk < 1) chunk = 1;
    if (chunk > rows) chunk = rows;
    size_t kb_bytes = (size_t)(chunk * len) * sizeof(uint64_t);
    size_t ki_bytes = few ? 0 : (size_t)(chunk * len) * sizeof(int32_t);
    void *kb = ctc_alloc(kb_bytes);
    void *kidx = few ? NULL : ctc_alloc(ki_bytes);
    if (kb == NULL || (!few && kidx == NULL)) {
        ctc_free(kb, kb_bytes);
        ctc_free(kidx, ki_bytes);
        return -1;
    }
    a.kb = ctc_ptr(kb);
    a.kidx = ctc_ptr(kidx);
    a.len = len;
    a.lg = lg;
    int kk = smp_lookup(&k_keys, "ct_mn_race_keys");
    for (int64_t r0 = 0; r0 < rows && !ctc_error; r0 += chunk) {
        a.r0 = r0;
        a.nrows = rows - r0 < chunk ? rows - r0 : chunk;
        ctc_launch1d(kk, a.nrows * len, &a, sizeof a);
        if (few) {
            ctc_launch(smp_lookup(&k_min, "ct_mn_race_min"), smp_row_blocks(a.nrows), 1, 1, 256, 1, 1,
                       0, &a, sizeof a);
            continue;
        }
        int ks = smp_lookup(&k_step, "ct_mn_race_step");
        for (int64_t k = 2; k <= len; k <<= 1) {
            for (int64_t j = k >> 1; j > 0; j >>= 1) {
                a.k = k;
                a.j = j;
                ctc_launch1d(ks, a.nrows * (len / 2), &a, sizeof a);
            }
        }
        ctc_launch1d(smp_lookup(&k_take, "ct_mn_race_take"), a.nrows * ns, &a, sizeof a);
    }
    ctc_free(kb, kb_bytes);
    ctc_free(kidx, ki_bytes);
    return 0;
}

/* ----------------------------------------------------------------- counts */

static int k_rinv, k_pois, k_binom;

static void smp_count_launch(int k, uint64_t seed, uint64_t offset, const double *x, const double *y,
                             double *out, int32_t *flag, int64_t n) {
    ct_count_args a;
    memset(&a, 0, sizeof a);
    a.seed = seed;
    a.offset = offset;
    a.x = ctc_ptr(x);
    a.y = ctc_ptr(y);
    a.out = ctc_ptr(out);
    a.flag = ctc_ptr(flag);
    a.n = n;
    ctc_launch1d(k, n, &a, sizeof a);               /* a thread an element */
}

/* 1 when some rate is negative or nan; 0 also after a driver failure */
static int ctc_rate_invalid(const double *rate, int64_t n) {
    int k = smp_lookup(&k_rinv, "ct_rate_invalid");
    if (n <= 0 || ctc_error) return 0;
    int32_t *flag = smp_flags(1);
    if (flag == NULL) return 0;
    smp_count_launch(k, 0, 0, rate, NULL, NULL, flag, n);
    int32_t host = 0;
    ctc_copy(&host, flag, sizeof host, CTC_D2H);
    ctc_free(flag, sizeof(int32_t));
    return host != 0 && !ctc_error;
}

static void ctc_poisson(uint64_t seed, uint64_t offset, const double *rate, double *out, int64_t n) {
    int k = smp_lookup(&k_pois, "ct_poisson");
    if (n <= 0 || ctc_error) return;
    smp_count_launch(k, seed, offset, rate, NULL, out, NULL, n);
}

static void ctc_binomial(uint64_t seed, uint64_t offset, const double *count, const double *prob,
                         double *out, int64_t n) {
    int k = smp_lookup(&k_binom, "ct_binomial");
    if (n <= 0 || ctc_error) return;
    smp_count_launch(k, seed, offset, count, prob, out, NULL, n);
}

void ctc_fill_sampling(ct_backend *b) {
    k_bs_u8 = k_bs_f32 = k_bs_f64 = k_btensor = k_pinv = k_drop_f32 = k_drop_f64 = 0;
    k_check = k_check_rows = k_cumsum = k_repl = k_small = k_keys = k_step = k_take = k_min = 0;
    b->bernoulli_scalar = ctc_bern_scalar;
    b->prob_invalid = ctc_prob_invalid;
    b->bernoulli_tensor = ctc_bern_tensor;
    b->dropout = ctc_dropout;
    b->multinomial_check = ctc_mn_check;
    b->multinomial_repl = ctc_mn_repl;
    b->multinomial_norepl = ctc_mn_norepl;
    k_rinv = k_pois = k_binom = 0;
    b->rate_invalid = ctc_rate_invalid;
    b->poisson = ctc_poisson;
    b->binomial = ctc_binomial;
}
