/* Random sampling on the Philox stream of random.h: Bernoulli draws, the
 * fused dropout kernel and multinomial sampling (declared, with their
 * tables, in sampling.h). Same contract as random.h:
 * a call reads the stream from word 0 of block `offset`, element i uses a
 * fixed set of words, and the caller advances the generator by the blocks
 * returned by the ct_*_blocks companions, so results do not depend on the
 * number of threads.
 *
 *   function                words/elem  mapping
 *   bernoulli_scalar_*      1           element i true when word i < thr,
 *   dropout_*               1           thr = round(p * 2^32) in [0, 2^32]
 *   bernoulli_tensor        1           element i true when word i * 2^-32 < p_i
 *   multinomial (repl.)     2           sample j of row r: u64 (r*ns + j), as
 *                                       uniform_f64; first k with cum_k > u*total
 *   multinomial (no repl.)  2           category k of row r: u64 (r*ncat + k) ->
 *                                       E = -log((m+1) 2^-53), key = E / p_k;
 *                                       the ns smallest keys in increasing order
 *
 * The last row is the exponential race: sorting E_k / p_k gives the order in
 * which sequential draws without replacement pick the categories.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "sampling.h"
#include "sort.h"

/* ---- Bernoulli with one probability: out[i] = (word i < thr) ------------
 * thr < 2^32 (p = 1 is a fill of ones, done by the caller). The words of a
 * chunk first (random.h's ct_philox_words), then the compares in one
 * vector loop. */

#define CT__BERN_SCALAR(SUF, T)                                                      \
static void ct__bern_words_##SUF(const uint32_t *w, T *o, int64_t m, uint32_t thr)   \
{                                                                                    \
    for (int64_t i = 0; i < m; i++) o[i] = (T)(w[i] < thr);                          \
}                                                                                    \
void ct_bernoulli_scalar_##SUF(uint64_t seed, uint64_t offset, uint32_t thr,         \
                               T *out, int64_t n)                                    \
{                                                                                    \
    CT_RAND_CHUNKS(n, 1, n > CT_RAND_PAR_MIN, ct__bern_words_##SUF(w, out + i0, m, thr)); \
}

CT__BERN_SCALAR(u8, uint8_t)
CT__BERN_SCALAR(f32, float)
CT__BERN_SCALAR(f64, double)

/* the kernels differ per dtype only in the output pointer; bool is uint8 */
ct_bernoulli_scalar_fn ct_bernoulli_scalar_loops[CT_NDTYPES] = {
    [CT_BOOL] = (ct_bernoulli_scalar_fn)ct_bernoulli_scalar_u8,
    [CT_UINT8] = (ct_bernoulli_scalar_fn)ct_bernoulli_scalar_u8,
    [CT_FLOAT32] = (ct_bernoulli_scalar_fn)ct_bernoulli_scalar_f32,
    [CT_FLOAT64] = (ct_bernoulli_scalar_fn)ct_bernoulli_scalar_f64,
};

/* 1 when some probability is outside [0, 1] (or nan). */
int ct_prob_invalid_f64(const double *p, int64_t n)
{
    int bad = 0;
    for (int64_t i = 0; i < n; i++) bad |= !(p[i] >= 0.0 && p[i] <= 1.0);
    return bad;
}

/* ---- Bernoulli with one probability per element ------------------------ */

static void ct__bern_tensor_words(const uint32_t *w, const double *p, uint8_t *o, int64_t m)
{
    for (int64_t i = 0; i < m; i++) o[i] = ct__u53_to_double(w[i]) * 0x1p-32 < p[i];
}

void ct_bernoulli_tensor(uint64_t seed, uint64_t offset, const double *p,
                         uint8_t *out, int64_t n)
{
    CT_RAND_CHUNKS(n, 1, n > CT_RAND_PAR_MIN, ct__bern_tensor_words(w, p + i0, out + i0, m));
}

/* ---- dropout: out = x * m, m = (word i < thr) ? scale : 0 ----------------
 * One pass that draws the mask and scales; `mask` (optional) receives m in
 * x's dtype for the backward. x * 0 (not a plain 0) keeps inf/nan inputs
 * nan where they are dropped, as x * mask does. thr < 2^32 as above. */

#define CT__DROPOUT_LOOP(SUF, T, WITH_MASK)                                          \
static void ct__dropout_words_##SUF##_##WITH_MASK(const uint32_t *w, uint32_t thr,   \
        T scale, const T *x, T *out, T *mask, int64_t m)                             \
{                                                                                    \
    for (int64_t i = 0; i < m; i++) {                                                \
        T f = w[i] < thr ? scale : (T)0;                                             \
        out[i] = x[i] * f;                                                           \
        if (WITH_MASK) mask[i] = f;                                                  \
    }                                                                                \
}                                                                                    \
static void ct__dropout_##SUF##_##WITH_MASK(uint64_t seed, uint64_t offset,          \
        uint32_t thr, T scale, const T *x, T *out, T *mask, int64_t n)               \
{                                                                                    \
    CT_RAND_CHUNKS(n, 1, n > CT_RAND_PAR_MIN,                                        \
        ct__dropout_words_##SUF##_##WITH_MASK(w, thr, scale, x + i0, out + i0,       \
                                              WITH_MASK ? mask + i0 : mask, m));     \
}

#define CT__DROPOUT(SUF, T)                                                          \
CT__DROPOUT_LOOP(SUF, T, 0)                                                          \
CT__DROPOUT_LOOP(SUF, T, 1)                                                          \
void ct_dropout_##SUF(uint64_t seed, uint64_t offset, uint32_t thr, T scale,         \
                      const T *x, T *out, T *mask, int64_t n)                        \
{                                                                                    \
    if (mask) ct__dropout_##SUF##_1(seed, offset, thr, scale, x, out, mask, n);      \
    else      ct__dropout_##SUF##_0(seed, offset, thr, scale, x, out, mask, n);      \
}

CT__DROPOUT(f32, float)
CT__DROPOUT(f64, double)

/* The table's entries: dropout takes its scale by value (float for f32), so
 * the table holds wrappers with the one signature of ct_dropout_fn. */
#define CT__DROPOUT_ANY(SUF, T)                                                      \
void ct_dropout_any_##SUF(uint64_t seed, uint64_t offset, uint32_t thr, double scale, \
                          const void *x, void *out, void *mask, int64_t n)           \
{                                                                                    \
    ct_dropout_##SUF(seed, offset, thr, (T)scale, (const T *)x, (T *)out, (T *)mask, n); \
}
CT__DROPOUT_ANY(f32, float)
CT__DROPOUT_ANY(f64, double)

ct_dropout_fn ct_dropout_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ct_dropout_any_f32, [CT_FLOAT64] = ct_dropout_any_f64,
};

/* ---- multinomial ----------------------------------------------------------
 * p: rows x ncat weights (double, contiguous). */

/* 0: fine; 1: a weight is negative, inf or nan; 2: a row sums to 0 (of
 * finite non-negative weights: has no positive one; flags, not a sum, so
 * that the loop runs on vector lanes) */
int ct_multinomial_check(const double *p, int64_t rows, int64_t ncat);
CT_MULTIVERSION int ct_multinomial_check(const double *p, int64_t rows, int64_t ncat)
{
    int zero_row = 0;
    for (int64_t r = 0; r < rows; r++) {
        const double *pr = p + r * ncat;
        /* the smallest and largest weight (a NaN kept), and whether any is
         * positive, as lane-wise selects */
        double lo = 0.0, hi = 0.0, any = 0.0;
        _Pragma("omp simd reduction(min:lo) reduction(max:hi) reduction(+:any)")
        for (int64_t k = 0; k < ncat; k++) {
            double v = pr[k];
            double w = v == v ? v : -1.0;        /* NaN counts as negative */
            lo = w < lo ? w : lo;
            hi = w > hi ? w : hi;
            any += w > 0.0 ? 1.0 : 0.0;
        }
        if (!(lo >= 0.0 && hi <= 1.79769313486231570815e+308)) return 1;
        if (!(any > 0.0)) zero_row = 1;
    }
    return zero_row ? 2 : 0;
}

/* Samples i0 .. i0 + m - 1 (sample i of row i / ns) from their words:
 * u uniform_f64 of u64 i times the row's total, then ct__mn_pick. */
static void ct__repl_words(const uint32_t *w, int64_t i0, int64_t m, const double *p,
                           const double *cum, int64_t ncat, int64_t ns, int64_t *out)
{
    for (int64_t j = 0; j < m; j++) {
        int64_t i = i0 + j, r = i / ns;
        const double *c = cum + r * ncat;
        double u = ct__uniform_f64_of(ct__u64(w[2 * j], w[2 * j + 1])) * c[ncat - 1];
        out[i] = ct__mn_pick(c, p + r * ncat, ncat, u);
    }
}

/* With replacement. cum: rows x ncat scratch. */
void ct_multinomial_repl(uint64_t seed, uint64_t offset, const double *p, int64_t rows,
                         int64_t ncat, int64_t ns, double *cum, int64_t *out)
{
    int64_t total = rows * ns;
    CT_PARALLEL_IF(rows * ncat > CT_RAND_PAR_MIN, "omp parallel for schedule(static)",
    for (int64_t r = 0; r < rows; r++) {
        double s = 0.0;
        for (int64_t k = 0; k < ncat; k++) { s += p[r * ncat + k]; cum[r * ncat + k] = s; }
    });
    CT_RAND_CHUNKS(total, 2, total > CT_RAND_PAR_MIN / 4,
                   ct__repl_words(w, i0, m, p, cum, ncat, ns, out));
}

/* keys[j] = E / p[j] (INFINITY where p[j] is 0) for m categories, E the
 * exponential of the u64 words[2j], words[2j+1]. One loop on vector lanes,
 * compiled per CPU level: the log's fma() is one instruction in the AVX2
 * copy and a (correctly rounded, the same) libm call in the default one. */
CT_MULTIVERSION static void ct__norepl_keys(const uint32_t *w, const double *p, int64_t m,
                                            double *keys)
{
    _Pragma("omp simd")
    for (int64_t j = 0; j < m; j++) {
        uint64_t u = ct__u64(w[2 * j], w[2 * j + 1]) >> 11;
        double e = -ct__log_unit(ct__u53_to_double(u + 1) * 0x1p-53);
        keys[j] = p[j] > 0.0 ? e / p[j] : INFINITY;
    }
}

/* Without replacement: category k's key E_k / p_k (E_k exponential), the ns
 * smallest keys' categories in increasing order, ties by category (topk's
 * order: sort.h). Returns -1 when out of memory. */
int ct_multinomial_norepl(uint64_t seed, uint64_t offset, const double *p, int64_t rows,
                          int64_t ncat, int64_t ns, int64_t *out)
{
    const int64_t total = rows * ncat;
    double *keys = (double *)malloc((size_t)total * sizeof(double));
    double *val = (double *)malloc((size_t)(rows * ns) * sizeof(double));
    int err = keys == NULL || val == NULL;
    if (!err) {
        /* a key depends on its element's place in the stream alone */
        CT_RAND_CHUNKS(total, 2, total > CT_RAND_PAR_MIN, ct__norepl_keys(w, p + i0, m, keys + i0));
        err = ct_topk_loops[CT_FLOAT64](keys, rows, ncat, ncat, ns, 0, val, out, NULL) != 0;
    }
    free(keys);
    free(val);
    return err ? -1 : 0;
}

/* ---- counts: Poisson and binomial (the samplers are philox_core.h's) ----
 * Elements cost different numbers of draws, so the threads take chunks of
 * 4096 of them dynamically; each element's value depends only on (seed,
 * offset, i) and its parameters. */

int ct_rate_invalid_f64(const double *rate, int64_t n)
{
    int bad = 0;
    for (int64_t i = 0; i < n; i++) bad |= !(rate[i] >= 0.0);
    return bad;
}

/* Poisson draws of rates below 10 (ct__poisson_invert) from element j on */
static void ct__poisson_small_scalar(const double *lam, const double *e, const double *u,
                                     double *k, int64_t m, int64_t j)
{
    for (; j < m; j++) k[j] = ct__poisson_invert(lam[j], e[j], u[j]);
}

#ifdef CT_RAND_AVX2
/* ct__poisson_invert on four lanes: the search's branches mispredict in a
 * loop per element, so the lanes step together until the last is done (the
 * same operations in the same order, so the same k). Four, not more: the
 * lanes wait for the longest search, and the divides' throughput bounds
 * the loop. */
__attribute__((target("avx2"))) static void ct__poisson_small_avx2(
    const double *lam, const double *e, const double *u, double *k, int64_t m)
{
    int64_t j = 0;
    const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0);
    for (; j + 4 <= m; j += 4) {
        __m256d l = _mm256_loadu_pd(lam + j), uu = _mm256_loadu_pd(u + j);
        __m256d p = _mm256_loadu_pd(e + j), f = p, kk = zero;
        __m256d act = _mm256_and_pd(_mm256_cmp_pd(uu, f, _CMP_GT_OQ), _mm256_cmp_pd(p, zero, _CMP_GT_OQ));
        while (_mm256_movemask_pd(act)) {
            __m256d k1 = _mm256_add_pd(kk, one);
            __m256d p1 = _mm256_div_pd(_mm256_mul_pd(p, l), k1);
            __m256d f1 = _mm256_add_pd(f, p1);
            kk = _mm256_blendv_pd(kk, k1, act);
            p = _mm256_blendv_pd(p, p1, act);
            f = _mm256_blendv_pd(f, f1, act);
            act = _mm256_and_pd(act, _mm256_and_pd(_mm256_cmp_pd(uu, f, _CMP_GT_OQ),
                                                   _mm256_cmp_pd(p, zero, _CMP_GT_OQ)));
        }
        _mm256_storeu_pd(k + j, kk);
    }
    ct__poisson_small_scalar(lam, e, u, k, m, j);
}
#endif

/* e^-lam of the small rates: ct__exp's lanes (0 < lam < 10 here) */
CT_MULTIVERSION static void ct__poisson_small_exp(const double *lam, double *e, int64_t m)
{
    for (int64_t j = 0; j < m; j++) e[j] = ct__exp_core(-lam[j]);
}

/* ---- rejection samplers on vector lanes ---------------------------------
 * The elements a chunk draws by rejection (PTRS, BTRS) go side by side:
 * their set-ups first, then one draw of every element still open at a
 * time. Each lanes function runs the scalar sampler's set-up or draw
 * (philox_core.h) with every branch a select, the same operations in the
 * same order, so the numbers are the scalar sampler's. The set-ups live in
 * a table of fields by element (a field's row is a vector loop's load). */
#define CT__NPAR 9
typedef double ct__par[CT__NPAR][CT_RAND_CHUNK];
/* one draw of elements 0 .. m-1 from the uniforms u[j] in [-1/2, 1/2) and
 * v[j] in (0, 1]: k[j] the accepted value, NaN where another draw is due */
typedef void (*ct__lanes_fn)(ct__par P, const double *u, const double *v, double *k, int64_t m);

/* Poisson, PTRS (finite rates >= 10): fields lam, loglam, b, a, vr, lia */
#define CT__POIS_FIELDS(X) X(0, lam) X(1, loglam) X(2, b) X(3, a) X(4, vr) X(5, lia)
/* Binomial, BTRS (n p >= 10, p <= 1/2): fields n, a, b, c, alpha, vr, lpq, m, h */
#define CT__BINOM_FIELDS(X) X(0, n) X(1, a) X(2, b) X(3, c) X(4, alpha) X(5, vr) X(6, lpq) X(7, m) X(8, h)
#define CT__PUT(f, name) P[f][j] = s.name;
#define CT__GET(f, name) s.name = P[f][j];

/* P[0][j] the rate: the set-up */
CT_MULTIVERSION static void ct__ptrs_setup_lanes(ct__par P, int64_t m)
{
    for (int64_t j = 0; j < m; j++) {
        ct__pois s;
        ct__ptrs_setup(P[0][j], &s);
        CT__POIS_FIELDS(CT__PUT)
    }
}

/* P[0][j] = n, P[1][j] = p: the set-up */
CT_MULTIVERSION static void ct__btrs_setup_lanes(ct__par P, int64_t m)
{
    for (int64_t j = 0; j < m; j++) {
        ct__binom s;
        s.n = P[0][j];
        s.p = P[1][j];
        s.q = 1.0 - s.p;
        ct__btrs_setup(&s);
        CT__BINOM_FIELDS(CT__PUT)
    }
}

/* the draw: the set-ups of type TYPE (its FIELDS) in P, TRY its sampler's */
#define CT__DRAW_LANES(NAME, TYPE, FIELDS, TRY)                                    \
CT_MULTIVERSION static void NAME(ct__par P, const double *u, const double *v, double *k, int64_t m) \
{                                                                                  \
    for (int64_t j = 0; j < m; j++) {                                              \
        TYPE s;                                                                    \
        double kj;                                                                 \
        FIELDS(CT__GET)                                                            \
        k[j] = TRY(&s, u[j], v[j], &kj) ? kj : NAN;                                \
    }                                                                              \
}
CT__DRAW_LANES(ct__ptrs_lanes, ct__pois, CT__POIS_FIELDS, ct__ptrs_try)
CT__DRAW_LANES(ct__btrs_lanes, ct__binom, CT__BINOM_FIELDS, ct__btrs_try)

/* Elements at[0 .. nb) of the stream with their set-ups in P (nf fields)
 * and draw 0's words w0[4 j ..]: draws d = 0, 1, ... (ct__draw_words) of
 * the elements still open, until each is accepted; k[j] the accepted
 * value, NaN where CT_COUNT_MAX_DRAWS draws were rejected. P is consumed. */
static void ct__rejection_run(uint64_t seed, uint64_t offset, ct__lanes_fn lanes, ct__par P, int nf,
                              const int64_t *at, const uint32_t *w0, double *k, int64_t nb)
{
    double u[CT_RAND_CHUNK], v[CT_RAND_CHUNK], ko[CT_RAND_CHUNK];
    int64_t slot[CT_RAND_CHUNK];
    for (int64_t j = 0; j < nb; j++) {
        slot[j] = j;
        ct__draw_uv(w0 + 4 * j, &u[j], &v[j]);
        k[j] = NAN;
    }
    for (uint32_t d = 1; nb > 0 && d <= CT_COUNT_MAX_DRAWS; d++) {
        lanes(P, u, v, ko, nb);
        int64_t left = 0;
        for (int64_t j = 0; j < nb; j++) {
            if (ko[j] == ko[j]) {
                k[slot[j]] = ko[j];
                continue;
            }
            uint32_t wd[4];
            ct__philox_draw(seed, offset, at[slot[j]], d, wd);
            slot[left] = slot[j];
            for (int f = 0; f < nf; f++) P[f][left] = P[f][j];
            ct__draw_uv(wd, &u[left], &v[left]);
            left++;
        }
        nb = left;
    }
}

/* Elements i0 .. i1 - 1: their first draws' words (block i of the stream
 * each) a run at a time (ct_philox_words); rates below 10 gathered and
 * drawn side by side (above), finite rates from 10 on gathered for PTRS's
 * lanes, the rest (0, inf) one by one -- the same numbers as
 * ct__poisson_draw's. The gathers are branch free (the rates' classes
 * are random). Compiled per CPU level, so that fma() is an instruction
 * where the CPU has one. */
CT_MULTIVERSION static void ct__poisson_run(uint64_t seed, uint64_t offset, const double *rate,
                                            double *out, int64_t i0, int64_t i1)
{
    uint32_t w[4 * CT_RAND_CHUNK], wb[4 * CT_RAND_CHUNK];
    double lam[CT_RAND_CHUNK], u[CT_RAND_CHUNK], e[CT_RAND_CHUNK], k[CT_RAND_CHUNK];
    int64_t at[CT_RAND_CHUNK], atb[CT_RAND_CHUNK];
    ct__par P;
    ct__pois s;
    for (int64_t c = i0; c < i1; c += CT_RAND_CHUNK) {
        int64_t m = i1 - c < CT_RAND_CHUNK ? i1 - c : CT_RAND_CHUNK, ns = 0, nb = 0;
        ct_philox_words(seed, offset, c, m, w);
        for (int64_t i = c; i < c + m; i++) {
            const uint32_t *wi = w + 4 * (i - c);
            double r = rate[i];
            int small = r > 0.0 && r < 10.0, big = r >= 10.0 && r <= 0x1.fffffffffffffp+1023;
            at[ns] = i;
            lam[ns] = r;
            u[ns] = ct__uniform_f64_of(ct__u64(wi[0], wi[1]));
            ns += small;
            atb[nb] = i;
            P[0][nb] = r;
            memcpy(wb + 4 * nb, wi, 4 * sizeof(uint32_t));
            nb += big;
            if (!(small | big)) {
                ct__poisson_setup(r, &s);
                out[i] = ct__poisson_sample(seed, offset, i, &s, wi);
            }
        }
        ct__poisson_small_exp(lam, e, ns);
#ifdef CT_RAND_AVX2
        if (ct_cpu_avx2()) ct__poisson_small_avx2(lam, e, u, k, ns);
        else
#endif
        ct__poisson_small_scalar(lam, e, u, k, ns, 0);
        for (int64_t j = 0; j < ns; j++) out[at[j]] = k[j];
        for (int64_t j = 0; j < nb; j++) lam[j] = P[0][j];
        ct__ptrs_setup_lanes(P, nb);
        ct__rejection_run(seed, offset, ct__ptrs_lanes, P, 6, atb, wb, k, nb);
        for (int64_t j = 0; j < nb; j++) out[atb[j]] = k[j] == k[j] ? k[j] : floor(lam[j]);
    }
}

/* ct__poisson_run's chunks for binomial draws: the pairs BTRS draws
 * gathered for its lanes, the others one by one with their set-up done
 * again only when the pair changes */
CT_MULTIVERSION static void ct__binomial_run(uint64_t seed, uint64_t offset, const double *count,
                                             const double *prob, double *out, int64_t i0, int64_t i1)
{
    uint32_t w[4 * CT_RAND_CHUNK], wb[4 * CT_RAND_CHUNK];
    double nn[CT_RAND_CHUNK], pp[CT_RAND_CHUNK], k[CT_RAND_CHUNK];
    int64_t at[CT_RAND_CHUNK];
    unsigned char flip[CT_RAND_CHUNK];
    ct__par P;
    ct__binom st, kind;
    ct__binomial_setup(count[i0], prob[i0], &st);
    for (int64_t c = i0; c < i1; c += CT_RAND_CHUNK) {
        int64_t m = i1 - c < CT_RAND_CHUNK ? i1 - c : CT_RAND_CHUNK, nb = 0, changes = 0;
        ct_philox_words(seed, offset, c, m, w);
        for (int64_t i = c; i < c + m; i++) {
            const uint32_t *wi = w + 4 * (i - c);
            ct__binomial_kind(count[i], prob[i], &kind);
            if (kind.fixed == -1.0 && !kind.inv) {
                at[nb] = i;
                nn[nb] = P[0][nb] = kind.n;
                pp[nb] = P[1][nb] = kind.p;
                flip[nb] = (unsigned char)kind.flip;
                memcpy(wb + 4 * nb, wi, 4 * sizeof(uint32_t));
                changes += !nb || kind.n != nn[nb - 1] || kind.p != pp[nb - 1];
                nb++;
                continue;
            }
            /* a nan pair never compares equal: set up again (it is cheap) */
            if (count[i] != st.count || prob[i] != st.prob) ct__binomial_setup(count[i], prob[i], &st);
            out[i] = ct__binomial_sample(seed, offset, i, &st, wi);
        }
        if (changes * 8 > nb) {
            ct__btrs_setup_lanes(P, nb);
        } else {
            /* runs of equal pairs (a broadcast count or probability): one
             * set-up a run, copied (the set-up is most of a draw's work) */
            ct__binom s;
            for (int64_t j = 0; j < nb; j++) {
                if (!j || nn[j] != nn[j - 1] || pp[j] != pp[j - 1]) {
                    s.n = nn[j];
                    s.p = pp[j];
                    s.q = 1.0 - s.p;
                    ct__btrs_setup(&s);
                }
                CT__BINOM_FIELDS(CT__PUT)
            }
        }
        ct__rejection_run(seed, offset, ct__btrs_lanes, P, 9, at, wb, k, nb);
        for (int64_t j = 0; j < nb; j++) {
            double kj = k[j] == k[j] ? k[j] : floor((nn[j] + 1.0) * pp[j]);
            out[at[j]] = flip[j] ? nn[j] - kj : kj;
        }
    }
}

/* the chunks of 4096 (above); RUN(i0, i1) draws one */
#define CT__COUNT_CHUNKS(n, RUN)                                                     \
    int64_t nchunks = (n + 4095) / 4096;                                             \
    CT_PARALLEL_IF(n > 8192, "omp parallel for schedule(dynamic, 1)",                \
    for (int64_t c = 0; c < nchunks; c++)                                            \
        RUN(c * 4096, (c + 1) * 4096 < n ? (c + 1) * 4096 : n);)

void ct_poisson(uint64_t seed, uint64_t offset, const double *rate, double *out, int64_t n)
{
#define CT__POISSON_RUN(i0, i1) ct__poisson_run(seed, offset, rate, out, i0, i1)
    CT__COUNT_CHUNKS(n, CT__POISSON_RUN);
#undef CT__POISSON_RUN
}

void ct_binomial(uint64_t seed, uint64_t offset, const double *count, const double *prob,
                 double *out, int64_t n)
{
#define CT__BINOMIAL_RUN(i0, i1) ct__binomial_run(seed, offset, count, prob, out, i0, i1)
    CT__COUNT_CHUNKS(n, CT__BINOMIAL_RUN);
#undef CT__BINOMIAL_RUN
}
