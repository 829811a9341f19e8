/* Random sampling on the Philox stream of random.h: Bernoulli draws, the
 * fused dropout kernel and multinomial sampling. Declarations: the kernels
 * (sampling.c) and their per-dtype tables. Same contract as random.h:
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
 *   poisson, binomial       4 (+)       block i, then its draws j >= 1 (the
 *                                       third counter word j): philox_core.h
 *
 * The multinomial (no repl.) row is the exponential race: sorting E_k / p_k gives the order in
 * which sequential draws without replacement pick the categories.
 */
#ifndef CT_SAMPLING_H
#define CT_SAMPLING_H

#include <math.h>
#include <stdlib.h>
#include "random.h"

static inline uint64_t ct_bernoulli_blocks(int64_t n) { return ct_rand_blocks_for_words(n, 1); }
static inline uint64_t ct_multinomial_blocks(int64_t n) { return ct_rand_blocks_for_words(n, 2); }

/* ---- Bernoulli --------------------------------------------------------- */

/* out[i] = (word i < thr), thr < 2^32 (p = 1 is a fill of ones, done by the
 * caller); per dtype of the output */
typedef void (*ct_bernoulli_scalar_fn)(uint64_t seed, uint64_t offset, uint32_t thr,
                                       void *out, int64_t n);
void ct_bernoulli_scalar_u8(uint64_t seed, uint64_t offset, uint32_t thr, uint8_t *out, int64_t n);
void ct_bernoulli_scalar_f32(uint64_t seed, uint64_t offset, uint32_t thr, float *out, int64_t n);
void ct_bernoulli_scalar_f64(uint64_t seed, uint64_t offset, uint32_t thr, double *out, int64_t n);
/* indexed by the output's dtype code: bool and uint8 (the u8 kernel),
 * float32, float64 */
extern ct_bernoulli_scalar_fn ct_bernoulli_scalar_loops[CT_NDTYPES];

/* 1 when some probability is outside [0, 1] (or nan). */
int ct_prob_invalid_f64(const double *p, int64_t n);

/* out[i] = (word i * 2^-32 < p[i]) */
void ct_bernoulli_tensor(uint64_t seed, uint64_t offset, const double *p,
                         uint8_t *out, int64_t n);

/* ---- dropout ----------------------------------------------------------- */

/* out = x * m, m = (word i < thr) ? scale : 0; `mask` (optional, NULL)
 * receives m in x's dtype. thr < 2^32. */
typedef void (*ct_dropout_fn)(uint64_t seed, uint64_t offset, uint32_t thr, double scale,
                              const void *x, void *out, void *mask, int64_t n);
void ct_dropout_f32(uint64_t seed, uint64_t offset, uint32_t thr, float scale,
                    const float *x, float *out, float *mask, int64_t n);
void ct_dropout_f64(uint64_t seed, uint64_t offset, uint32_t thr, double scale,
                    const double *x, double *out, double *mask, int64_t n);
/* ct_dropout_f32 / _f64 with the signature of ct_dropout_fn (the entries of
 * ct_dropout_loops): the f32 one rounds scale to float, as its callers did */
void ct_dropout_any_f32(uint64_t seed, uint64_t offset, uint32_t thr, double scale,
                        const void *x, void *out, void *mask, int64_t n);
void ct_dropout_any_f64(uint64_t seed, uint64_t offset, uint32_t thr, double scale,
                        const void *x, void *out, void *mask, int64_t n);
/* indexed by dtype code: float32, float64 */
extern ct_dropout_fn ct_dropout_loops[CT_NDTYPES];

/* ---- multinomial --------------------------------------------------------
 * p: rows x ncat weights (double, contiguous). */

/* 0: fine; 1: a weight is negative, inf or nan; 2: a row sums to 0. */
int ct_multinomial_check(const double *p, int64_t rows, int64_t ncat);
/* With replacement. cum: rows x ncat scratch. */
void ct_multinomial_repl(uint64_t seed, uint64_t offset, const double *p, int64_t rows,
                         int64_t ncat, int64_t ns, double *cum, int64_t *out);
/* Without replacement; returns -1 when out of memory. */
int ct_multinomial_norepl(uint64_t seed, uint64_t offset, const double *p, int64_t rows,
                          int64_t ncat, int64_t ns, int64_t *out);

/* ---- counts ------------------------------------------------------------
 * Element i owns block i (and its further draws, philox_core.h's "counts"
 * section); a call consumes n blocks. Rates, counts, probabilities and the
 * draws are doubles (dense). */
static inline uint64_t ct_count_blocks(int64_t n) { return n > 0 ? (uint64_t)n : 0; }

/* 1 when some rate is negative or nan */
int ct_rate_invalid_f64(const double *rate, int64_t n);
/* out[i] ~ Poisson(rate[i]) */
void ct_poisson(uint64_t seed, uint64_t offset, const double *rate, double *out, int64_t n);
/* out[i] ~ Binomial(trunc(count[i]), prob[i]) */
void ct_binomial(uint64_t seed, uint64_t offset, const double *count, const double *prob,
                 double *out, int64_t n);

#endif /* CT_SAMPLING_H */
