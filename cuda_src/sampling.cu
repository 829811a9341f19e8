// ctorch's sampling kernels: Bernoulli draws (one probability, or one per
// element), the fused dropout kernel, and multinomial sampling with and
// without replacement. Each gives exactly the CPU kernel's result of the
// same name in ctorch/_kernels/sampling.h for the same (seed, offset): the
// same words of the Philox stream (philox_core.h, shared with the CPU) feed
// the same comparisons and the same double arithmetic. The launches are in
// ctorch/cuda/cu_sampling.c; the argument structs in sampling_args.h.
//
// Kernels (ct_bern_args):
//   ct_bern_scalar_u8 / _f32 / _f64   out[i] = (word i < thr); bool and
//                                     uint8 outputs use the u8 kernel
//   ct_bern_tensor                    out[i] = (word i * 2^-32 < p[i]), uint8
//   ct_bern_prob_invalid              *flag = 1 when a p[i] is outside [0, 1]
//   ct_dropout_f32 / _f64             out = x * m, m = (word i < thr) ? scale : 0,
//                                     mask = m when mask != 0
// A thread draws one Philox block (four words, elements 4b .. 4b+3).
//
// Kernels (ct_mn_args), multinomial over rows x ncat double weights:
//   ct_mn_check, ct_mn_check_rows     the CPU's check: a bad weight, then a
//                                     row without a positive weight
//   ct_mn_cumsum                      a thread a row: running sums in the
//                                     CPU's order (so the same roundings)
//   ct_mn_repl                        with replacement: a thread a Philox
//                                     block (two samples), the CPU's search
//   ct_mn_race_small (CT_SYNC)        without replacement, rows of up to
//                                     CT_MN_SMALL categories: a block a row,
//                                     bitonic sort of the keys in shared memory
//   ct_mn_race_keys, ct_mn_race_step, ct_mn_race_take
//                                     without replacement, longer rows: the
//                                     keys to scratch, one launch a bitonic
//                                     stage over every row, the first ns
//   ct_mn_race_min (CT_SYNC)          without replacement, longer rows and few
//                                     samples: a block a row, ns passes of a
//                                     block minimum over the keys in scratch
//
// Without replacement is the exponential race of sampling.h: category k of
// row r gets E = -log((m+1) 2^-53), m = u64 (r*ncat + k) >> 11, and the key
// E / p_k (+inf when p_k is 0); the samples are the categories of the ns
// smallest keys, in increasing order, equal keys in increasing category
// order (the CPU sorts (key, index) pairs). The log is philox_core.h's
// ct__log_unit, not libm's or libdevice's: the CPU calls the same function,
// which uses only correctly rounded operations with every multiply-add an
// explicit fma, so E is bit for bit the CPU's, and so is E / p_k (IEEE
// division on both sides). A log of its own on either side would not do:
// glibc's log and ct__log_unit differ in the last bit for a fraction of a
// percent of the E values, enough to swap two categories whose keys are
// within an ulp (tests/cuda_cases/sampling_ops.py builds such keys and
// counts them). The keys are never nan (the check refuses nan
// weights) and never negative except -0 (E = -0 when m + 1 = 2^53), so the
// kernels order them by their bits as uint64 with -0 taken as +0 -- the
// same order as the CPU's comparison of doubles.
//
// Kernels (ct_count_args), a thread an element, its draws philox_core.h's:
//   ct_rate_invalid                   *flag = 1 when a rate is negative or nan
//   ct_poisson, ct_binomial           the CPU's ct__poisson_draw / ct__binomial_draw
//
// Every kernel is correct for any grid (grid-stride loops over elements,
// blocks or rows) and any block order (each block owns its outputs).
// Do not build with --use_fast_math (see random.h's contract).
#include "ct_cuda.cuh"
#include "sampling_args.h"
#include "../ctorch/_kernels/philox_core.h"

namespace ct_smp {

// ------------------------------------------------------------- Bernoulli

template <class T> CT_DEV void bern_scalar(const ct_bern_args &a) {
    T *out = (T *)a.out;
    int64_t nb = (a.n + 3) / 4;
    CT_GRID_STRIDE(b, nb) {
        uint32_t w[4];
        ct__philox_block(a.seed, a.offset, (uint64_t)b, w);
        int64_t i0 = 4 * b;
        for (int j = 0; j < 4 && i0 + j < a.n; j++) out[i0 + j] = (T)(w[j] < a.thr);
    }
}

// x * 0 (not a plain 0) where an element is dropped: inf / nan inputs stay nan,
// as on the CPU. The f32 kernel multiplies in float by scale rounded to float.
template <class T> CT_DEV void dropout(const ct_bern_args &a) {
    const T *x = (const T *)a.x;
    T *out = (T *)a.out, *mask = (T *)a.mask;
    T scale = (T)a.scale;
    int64_t nb = (a.n + 3) / 4;
    CT_GRID_STRIDE(b, nb) {
        uint32_t w[4];
        ct__philox_block(a.seed, a.offset, (uint64_t)b, w);
        int64_t i0 = 4 * b;
        for (int j = 0; j < 4 && i0 + j < a.n; j++) {
            T f = (w[j] < a.thr) ? scale : (T)0;
            out[i0 + j] = x[i0 + j] * f;
            if (mask) mask[i0 + j] = f;
        }
    }
}

// ---------------------------------------------------------- multinomial

// u64 j of the stream (the CPU's ct__u64_at)
CT_DEV uint64_t u64_at(uint64_t seed, uint64_t offset, int64_t j) {
    uint32_t w[4];
    ct__philox_block(seed, offset, (uint64_t)(j / 2), w);
    return (j & 1) ? ct__u64(w[2], w[3]) : ct__u64(w[0], w[1]);
}

// The bits of the race key of category k of row r, -0 as +0 (see the top).
CT_DEV uint64_t race_key(const ct_mn_args &a, int64_t r, int64_t k) {
    uint64_t m = u64_at(a.seed, a.offset, r * a.ncat + k) >> 11;
    double e = -ct__log_unit((double)(m + 1) * 0x1p-53);
    double w = ((const double *)a.p)[r * a.ncat + k];
    double key = w > 0.0 ? e / w : ct__bitsd(0x7ff0000000000000ull);
    uint64_t bits = ct__dbits(key);
    return bits == 0x8000000000000000ull ? 0 : bits;
}

// padding slots past ncat sort after every key (keys are at most +inf's bits)
#define CT_MN_PAD 0xffffffffffffffffull

// (kb, i) before (kb2, i2): the CPU's (key, index) order
CT_DEV bool before(uint64_t kb, int64_t i, uint64_t kb2, int64_t i2) {
    return kb < kb2 || (kb == kb2 && i < i2);
}

}  // namespace ct_smp

using namespace ct_smp;

CT_KERNEL(ct_bern_scalar_u8, ct_bern_args, CT_SERIAL) { bern_scalar<uint8_t>(a); }
CT_KERNEL(ct_bern_scalar_f32, ct_bern_args, CT_SERIAL) { bern_scalar<float>(a); }
CT_KERNEL(ct_bern_scalar_f64, ct_bern_args, CT_SERIAL) { bern_scalar<double>(a); }

CT_KERNEL(ct_bern_tensor, ct_bern_args, CT_SERIAL)
{
    const double *p = (const double *)a.x;
    uint8_t *out = (uint8_t *)a.out;
    int64_t nb = (a.n + 3) / 4;
    CT_GRID_STRIDE(b, nb) {
        uint32_t w[4];
        ct__philox_block(a.seed, a.offset, (uint64_t)b, w);
        int64_t i0 = 4 * b;
        for (int j = 0; j < 4 && i0 + j < a.n; j++)
            out[i0 + j] = (double)w[j] * 0x1p-32 < p[i0 + j];
    }
}

// every writer stores the same 1, so the order of the stores does not matter
CT_KERNEL(ct_bern_prob_invalid, ct_bern_args, CT_SERIAL)
{
    const double *p = (const double *)a.x;
    CT_GRID_STRIDE(i, a.n) {
        double v = p[i];
        if (!(v >= 0.0 && v <= 1.0)) *(int32_t *)a.flag = 1;
    }
}

CT_KERNEL(ct_dropout_f32, ct_bern_args, CT_SERIAL) { dropout<float>(a); }
CT_KERNEL(ct_dropout_f64, ct_bern_args, CT_SERIAL) { dropout<double>(a); }

// flag[0] = 1 for a weight outside [0, DBL_MAX] (negative, inf, nan);
// nz[r] = 1 for a row with a positive weight. A row of finite non-negative
// weights sums to > 0 (the CPU's test) exactly when one of them is > 0.
CT_KERNEL(ct_mn_check, ct_mn_args, CT_SERIAL)
{
    const double *p = (const double *)a.p;
    int32_t *flag = (int32_t *)a.flag, *nz = (int32_t *)a.nz;
    CT_GRID_STRIDE(i, a.rows * a.ncat) {
        double v = p[i];
        if (!(v >= 0.0 && v <= 1.79769313486231570815e+308)) flag[0] = 1;
        else if (v > 0.0) nz[i / a.ncat] = 1;
    }
}

CT_KERNEL(ct_mn_check_rows, ct_mn_args, CT_SERIAL)
{
    const int32_t *nz = (const int32_t *)a.nz;
    CT_GRID_STRIDE(r, a.rows) {
        if (!nz[r]) ((int32_t *)a.flag)[1] = 1;
    }
}

// the running sums of a row, added in the CPU's order
CT_KERNEL(ct_mn_cumsum, ct_mn_args, CT_SERIAL)
{
    const double *p = (const double *)a.p;
    double *cum = (double *)a.cum;
    CT_GRID_STRIDE(r, a.rows) {
        double s = 0.0;
        for (int64_t k = 0; k < a.ncat; k++) {
            s += p[r * a.ncat + k];
            cum[r * a.ncat + k] = s;
        }
    }
}

// sample i = 2b + s (s = 0, 1) of the rows x ns samples: u from u64 i, then
// the CPU's ct__mn_pick (philox_core.h)
CT_KERNEL(ct_mn_repl, ct_mn_args, CT_SERIAL)
{
    const double *p = (const double *)a.p, *cum = (const double *)a.cum;
    int64_t *out = (int64_t *)a.out;
    int64_t total = a.rows * a.ns, ncat = a.ncat;
    int64_t nb = (total + 1) / 2;
    CT_GRID_STRIDE(b, nb) {
        uint32_t w[4];
        ct__philox_block(a.seed, a.offset, (uint64_t)b, w);
        for (int s = 0; s < 2 && 2 * b + s < total; s++) {
            int64_t i = 2 * b + s, r = i / a.ns;
            const double *c = cum + r * ncat;
            double u = ct__uniform_f64_of(ct__u64(w[2 * s], w[2 * s + 1])) * c[ncat - 1];
            out[i] = ct__mn_pick(c, p + r * ncat, ncat, u);
        }
    }
}

// A block a row (rows r0 .. r0 + nrows - 1): the len = 2^lg slots (keys of
// categories 0 .. ncat-1, padding after) sorted by (key, index) with a
// bitonic network in shared memory, the first ns indices to out.
CT_KERNEL(ct_mn_race_small, ct_mn_args, CT_SYNC)
{
    __shared__ uint64_t skb[CT_MN_SMALL];
    __shared__ int32_t sidx[CT_MN_SMALL];
    int64_t *out = (int64_t *)a.out;
    int len = (int)a.len, tid = (int)threadIdx.x, nt = (int)blockDim.x;
    for (int64_t r = a.r0 + blockIdx.x; r < a.r0 + a.nrows; r += gridDim.x) {
        __syncthreads();                            // the previous row is written out
        for (int i = tid; i < len; i += nt) {
            skb[i] = i < a.ncat ? race_key(a, r, i) : CT_MN_PAD;
            sidx[i] = i;
        }
        __syncthreads();
        for (int k = 2; k <= len; k <<= 1) {
            for (int j = k >> 1; j > 0; j >>= 1) {
                for (int t = tid; t < len / 2; t += nt) {
                    int i = ((t & ~(j - 1)) << 1) | (t & (j - 1)), l = i + j;
                    bool up = (i & k) == 0;
                    uint64_t ki = skb[i], kl = skb[l];
                    int32_t ii = sidx[i], il = sidx[l];
                    if (before(kl, il, ki, ii) == up) {
                        skb[i] = kl; skb[l] = ki;
                        sidx[i] = il; sidx[l] = ii;
                    }
                }
                __syncthreads();
            }
        }
        for (int j = tid; j < a.ns; j += nt) out[r * a.ns + j] = sidx[j];
    }
}

// the keys of rows r0 .. r0 + nrows - 1 into kb (row q of the call at q * len),
// padding for the slots past ncat; the slot's category into kidx when given
CT_KERNEL(ct_mn_race_keys, ct_mn_args, CT_SERIAL)
{
    uint64_t *kb = (uint64_t *)a.kb;
    int32_t *kidx = (int32_t *)a.kidx;
    CT_GRID_STRIDE(t, a.nrows * a.len) {
        int64_t q = t / a.len, i = t - q * a.len;
        kb[t] = i < a.ncat ? race_key(a, a.r0 + q, i) : CT_MN_PAD;
        if (kidx) kidx[t] = (int32_t)i;
    }
}

// stage (k, j) of the bitonic sort of every row of kb / kidx: pair t of a row
// compares slots i and i + j, ascending where bit k of i is clear
CT_KERNEL(ct_mn_race_step, ct_mn_args, CT_SERIAL)
{
    uint64_t *kb = (uint64_t *)a.kb;
    int32_t *kidx = (int32_t *)a.kidx;
    int64_t half = a.len / 2, j = a.j, k = a.k;
    CT_GRID_STRIDE(t, a.nrows * half) {
        int64_t q = t / half, u = t - q * half;
        int64_t i = ((u & ~(j - 1)) << 1) | (u & (j - 1));
        uint64_t *b = kb + q * a.len;
        int32_t *x = kidx + q * a.len;
        bool up = (i & k) == 0;
        uint64_t ki = b[i], kl = b[i + j];
        int32_t ii = x[i], il = x[i + j];
        if (before(kl, il, ki, ii) == up) {
            b[i] = kl; b[i + j] = ki;
            x[i] = il; x[i + j] = ii;
        }
    }
}

CT_KERNEL(ct_mn_race_take, ct_mn_args, CT_SERIAL)
{
    const int32_t *kidx = (const int32_t *)a.kidx;
    int64_t *out = (int64_t *)a.out;
    CT_GRID_STRIDE(t, a.nrows * a.ns) {
        int64_t q = t / a.ns, j = t - q * a.ns;
        out[(a.r0 + q) * a.ns + j] = kidx[q * a.len + j];
    }
}

// A block a row: ns passes, pass j finds the smallest (key, index) after the
// one pass j-1 found (each thread over its strided share, then the warps,
// then the block) and writes it out. len = ncat here; kidx unused.
CT_KERNEL(ct_mn_race_min, ct_mn_args, CT_SYNC)
{
    __shared__ uint64_t wkb[32];
    __shared__ int64_t widx[32];
    const uint64_t *kb = (const uint64_t *)a.kb;
    int64_t *out = (int64_t *)a.out;
    int tid = (int)threadIdx.x, lane = tid & 31, wid = tid >> 5, nw = (int)((blockDim.x + 31) >> 5);
    for (int64_t r = a.r0 + blockIdx.x; r < a.r0 + a.nrows; r += gridDim.x) {
        const uint64_t *row = kb + (r - a.r0) * a.len;
        uint64_t pk = 0;
        int64_t pi = -1;                            // nothing taken yet: every pair is after it
        for (int64_t s = 0; s < a.ns; s++) {
            uint64_t bk = CT_MN_PAD;
            int64_t bi = INT64_MAX;
            for (int64_t i = tid; i < a.ncat; i += blockDim.x) {
                uint64_t v = row[i];
                if (before(pk, pi, v, i) && before(v, i, bk, bi)) { bk = v; bi = i; }
            }
            for (int d = 16; d > 0; d >>= 1) {
                uint64_t ok = __shfl_down_sync(0xffffffffu, bk, d);
                int64_t oi = __shfl_down_sync(0xffffffffu, bi, d);
                if (lane + d < 32 && before(ok, oi, bk, bi)) { bk = ok; bi = oi; }
            }
            __syncthreads();                        // wkb / widx are free again
            if (lane == 0) { wkb[wid] = bk; widx[wid] = bi; }
            __syncthreads();
            if (wid == 0) {
                bk = lane < nw ? wkb[lane] : CT_MN_PAD;
                bi = lane < nw ? widx[lane] : INT64_MAX;
                for (int d = 16; d > 0; d >>= 1) {
                    uint64_t ok = __shfl_down_sync(0xffffffffu, bk, d);
                    int64_t oi = __shfl_down_sync(0xffffffffu, bi, d);
                    if (lane + d < 32 && before(ok, oi, bk, bi)) { bk = ok; bi = oi; }
                }
                if (lane == 0) {
                    out[r * a.ns + s] = bi;
                    wkb[0] = bk; widx[0] = bi;
                }
            }
            __syncthreads();
            pk = wkb[0];
            pi = widx[0];
        }
    }
}

// every writer stores the same 1, so the order of the stores does not matter
CT_KERNEL(ct_rate_invalid, ct_count_args, CT_SERIAL)
{
    const double *x = (const double *)a.x;
    CT_GRID_STRIDE(i, a.n) {
        if (!(x[i] >= 0.0)) *(int32_t *)a.flag = 1;
    }
}

CT_KERNEL(ct_poisson, ct_count_args, CT_SERIAL)
{
    const double *x = (const double *)a.x;
    double *out = (double *)a.out;
    CT_GRID_STRIDE(i, a.n) out[i] = ct__poisson_draw(a.seed, a.offset, i, x[i]);
}

CT_KERNEL(ct_binomial, ct_count_args, CT_SERIAL)
{
    const double *x = (const double *)a.x, *y = (const double *)a.y;
    double *out = (double *)a.out;
    CT_GRID_STRIDE(i, a.n) out[i] = ct__binomial_draw(a.seed, a.offset, i, x[i], y[i]);
}
