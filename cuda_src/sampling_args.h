/* The argument structs of the sampling kernels (cuda_src/sampling.cu),
 * filled by ctorch/cuda/cu_sampling.c. C, fixed-size fields only, so that
 * gcc, g++ and nvcc lay them out alike (kernel_args.h says why). Pointers
 * are device addresses as uint64_t.
 */
#ifndef CT_SAMPLING_ARGS_H
#define CT_SAMPLING_ARGS_H

#include <stdint.h>

/* without replacement: rows of up to this many categories are sorted in
 * shared memory, a block a row (ct_mn_race_small) */
#define CT_MN_SMALL 2048

/* Bernoulli draws and dropout on the Philox stream (seed, offset):
 *   bernoulli_scalar: out[i] = (word i < thr) in out's dtype
 *   bernoulli_tensor: out[i] = (word i * 2^-32 < p[i]), p double
 *   dropout:          out[i] = x[i] * m_i, m_i = (word i < thr) ? scale : 0,
 *                     mask[i] = m_i when mask != 0 (scale rounded to float
 *                     by the f32 kernel)
 *   prob_invalid:     *flag = 1 when some p[i] is outside [0, 1] or nan
 *                     (flag: an int32 the caller zeroed) */
typedef struct {
    uint64_t seed, offset;
    uint64_t x;             /* dropout's input; bernoulli_tensor / prob_invalid: p */
    uint64_t out;           /* the draws (prob_invalid: 0) */
    uint64_t mask;          /* dropout's mask, or 0 */
    uint64_t flag;          /* prob_invalid's int32 flag */
    int64_t n;
    double scale;           /* dropout */
    uint32_t thr;           /* bernoulli_scalar, dropout */
    uint32_t pad_;
} ct_bern_args;

/* Multinomial sampling over rows x ncat double weights p (dense), u64 j of
 * the Philox stream (seed, offset) as in ctorch/_kernels/sampling.h.
 *   check:      flag[0] = 1 when a weight is negative, inf or nan;
 *               nz[r] = 1 when row r has a weight > 0 (flag and nz zeroed
 *               by the caller); check_rows: flag[1] = 1 when some nz[r] is 0
 *   cumsum:     cum[r, :] = the running sums of row r, in order
 *   repl:       out[i] (i < rows * ns) = first k with cum[r, k] > u_i * total_r
 *   the race (without replacement), rows r0 .. r0 + nrows - 1 of a call:
 *     race_small:  a block a row: the keys of the row (len = 2^lg >= ncat
 *                  slots, the slots past ncat are padding) sorted in shared
 *                  memory, the first ns indices to out
 *     race_keys:   the keys of each row into kb (uint64 bits of the
 *                  double, -0 as +0) and the category indices into kidx,
 *                  rows len apart, padding slots as above
 *     race_step:   one compare-exchange stage (k, j) of a bitonic sort of
 *                  every row of kb / kidx
 *     race_take:   out[r, j] = kidx[r, j], j < ns
 *     race_min:    a block a row: the ns smallest (key, index) pairs of kb /
 *                  kidx one after the other, by ns passes of a block minimum
 */
typedef struct {
    uint64_t seed, offset;
    uint64_t p;             /* rows x ncat weights */
    uint64_t cum;           /* rows x ncat running sums (repl) */
    uint64_t out;           /* int64 samples: rows x ns */
    uint64_t flag;          /* check: two int32 words */
    uint64_t nz;            /* check: an int32 a row */
    uint64_t kb;            /* race scratch: uint64 key bits, nrows x len */
    uint64_t kidx;          /* race scratch: int32 category indices, nrows x len */
    int64_t rows, ncat, ns;
    int64_t r0, nrows;      /* the race: the rows of this call */
    int64_t len;            /* the race: slots a row (a power of two, or ncat for race_min) */
    int64_t k, j;           /* race_step: the bitonic stage */
    int32_t lg;             /* race_small: log2(len) */
    int32_t pad_;
} ct_mn_args;

/* Poisson and binomial draws (philox_core.h's samplers), doubles:
 *   rate_invalid: *flag = 1 when some x[i] is negative or nan (an int32
 *                 the caller zeroed)
 *   poisson:      out[i] ~ Poisson(x[i])
 *   binomial:     out[i] ~ Binomial(trunc(x[i]), y[i]) */
typedef struct {
    uint64_t seed, offset;
    uint64_t x;             /* rates, or the counts */
    uint64_t y;             /* binomial: the probabilities */
    uint64_t out;
    uint64_t flag;          /* rate_invalid */
    int64_t n;
} ct_count_args;

#endif
