/* Rearranging copies: flip and tril / triu (see rearrange.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "rearrange.h"
#include "strided.h"
#include "halfconv.h"

#define CT_FLIP_MAXD 64

#ifdef CT_HAVE_AVX512_TABLES
#include <immintrin.h>
/* dst[j] = src[n - 1 - j] for 4- or 8-byte units (W of them a 64-byte
 * vector) on AVX-512: src read upwards, dst written downwards in whole
 * aligned 64-byte blocks (the units between dst's end and its last 64-byte
 * boundary first, one at a time; GCC's loop stored across two lines where
 * a row's end was not aligned: rows of 1000 floats ran at 0.65x a copy) */
#define CT_REV512(NAME, T, W, PERM, SETIDX)                                        \
__attribute__((target("avx512f"))) static void NAME(T *dst, const T *src, int64_t n) \
{                                                                                  \
    int64_t t = (int64_t)(((uintptr_t)(dst + n) & 63) / sizeof(T)), j = 0;         \
    if (((uintptr_t)dst & (sizeof(T) - 1)) || t > n) t = n;                         \
    for (; j < t; j++) dst[n - 1 - j] = src[j];                                    \
    const __m512i rev = SETIDX;                                                    \
    for (; j + W <= n; j += W)                                                     \
        _mm512_store_si512((void *)(dst + n - j - W),                              \
                           PERM(rev, _mm512_loadu_si512((const void *)(src + j)))); \
    for (; j < n; j++) dst[n - 1 - j] = src[j];                                    \
}
CT_REV512(ct_rev512_4, uint32_t, 16, _mm512_permutexvar_epi32,
          _mm512_set_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15))
CT_REV512(ct_rev512_8, uint64_t, 8, _mm512_permutexvar_epi64, _mm512_set_epi64(0, 1, 2, 3, 4, 5, 6, 7))
#define CT_REV512_OR(B, dst, src, n) if (ct_cpu_avx512f()) { ct_rev512_##B(dst, src, n); return; }
#else
#define CT_REV512_OR(B, dst, src, n)
#endif

/* dst[j] = src[n - 1 - j] for n units of blk bytes (the fixed sizes
 * vectorise as reversing shuffles of whole registers); src is read upwards
 * and dst written downwards (the hardware prefetchers follow an ascending
 * read stream best) */
CT_MULTIVERSION static void reverse_units(char *dst, const char *src, int64_t n, int64_t blk)
{
    int64_t j;
    switch (blk) {
    case 1: {
        uint8_t *d = (uint8_t *)dst + n - 1;
        const uint8_t *s = (const uint8_t *)src;
        for (j = 0; j < n; j++) d[-j] = s[j];
        return;
    }
    case 2: {
        uint16_t *d = (uint16_t *)dst + n - 1;
        const uint16_t *s = (const uint16_t *)src;
        for (j = 0; j < n; j++) d[-j] = s[j];
        return;
    }
    case 4: {
        CT_REV512_OR(4, (uint32_t *)dst, (const uint32_t *)src, n)
        uint32_t *d = (uint32_t *)dst + n - 1;
        const uint32_t *s = (const uint32_t *)src;
        for (j = 0; j < n; j++) d[-j] = s[j];
        return;
    }
    case 8: {
        CT_REV512_OR(8, (uint64_t *)dst, (const uint64_t *)src, n)
        uint64_t *d = (uint64_t *)dst + n - 1;
        const uint64_t *s = (const uint64_t *)src;
        for (j = 0; j < n; j++) d[-j] = s[j];
        return;
    }
    default:
        for (j = 0; j < n; j++)
            memcpy(dst + j * blk, src + (n - 1 - j) * blk, (size_t)blk);
    }
}

/* ct_flip's rows [o0, o1) of n units of blk bytes, ROW reversing one: the
 * output row d_ from its source row s_, found by division for o0 and then
 * stepped like an odometer over the k - 1 outer dims sh[0..k-2], fl
 * flipping some (a division a row cost more than reversing 10 floats) */
#define CT_FLIP_RUN(ROW)                                                           \
    do {                                                                           \
        int64_t dig[CT_FLIP_MAXD], step[CT_FLIP_MAXD], rem = o0, sr = 0, st = 1;   \
        int i;                                                                     \
        for (i = k - 2; i >= 0; i--) {                                             \
            dig[i] = rem % sh[i];                                                  \
            rem /= sh[i];                                                          \
            step[i] = fl[i] ? -st : st;                                            \
            sr += (fl[i] ? sh[i] - 1 - dig[i] : dig[i]) * st;                      \
            st *= sh[i];                                                           \
        }                                                                          \
        for (int64_t o = o0; o < o1; o++) {                                        \
            char *d_ = dst + o * n * blk;                                          \
            const char *s_ = src + sr * n * blk;                                   \
            ROW;                                                                   \
            for (i = k - 2; i >= 0; i--) {                                         \
                sr += step[i];                                                     \
                if (++dig[i] < sh[i])                                              \
                    break;                                                         \
                dig[i] = 0;                                                        \
                sr -= step[i] * sh[i];                                             \
            }                                                                      \
        }                                                                          \
    } while (0)

#define CT_FLIP_ARGS char *dst, const char *src, int64_t o0, int64_t o1, int k, \
                     const int64_t *sh, const unsigned char *fl, int64_t n, int64_t blk

static void flip_run(CT_FLIP_ARGS)
{
    CT_FLIP_RUN(reverse_units(d_, s_, n, blk));
}

#ifdef CT_HAVE_AVX512_TABLES
/* rows of at most two 64-byte vectors of 2-, 4- or 8-byte units (W units a
 * vector): rows of up to W units a masked load, a reversing permute and a
 * masked store; longer rows' last h = n - W units so to the row's start, and
 * their first W reversed as one whole vector behind them (rows of 3 floats
 * took 3.3 ns each through reverse_units, twice PyTorch's time) */
static const int16_t ct_iota16[32] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                      17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31};
static const int32_t ct_iota32[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
static const int64_t ct_iota64[8] = {0, 1, 2, 3, 4, 5, 6, 7};
#define CT_FLIP_SHORT(NAME, TARGET, B, MT, IOTA)                                           \
__attribute__((target(TARGET))) static void NAME(CT_FLIP_ARGS)                             \
{                                                                                          \
    const int64_t W = 64 / ((B) / 8), h = n > W ? n - W : n;                               \
    const __m512i iota = _mm512_loadu_si512((const void *)(IOTA));                         \
    const __m512i rh = _mm512_sub_epi##B(_mm512_set1_epi##B(h - 1), iota);                 \
    const __m512i rw = _mm512_sub_epi##B(_mm512_set1_epi##B(W - 1), iota);                 \
    const MT m = (MT)(((uint64_t)2 << (h - 1)) - 1);                                       \
    if (n <= W)                                                                            \
        CT_FLIP_RUN(_mm512_mask_storeu_epi##B(d_, m, _mm512_permutexvar_epi##B(            \
            rh, _mm512_maskz_loadu_epi##B(m, s_))));                                       \
    else                                                                                   \
        CT_FLIP_RUN(_mm512_mask_storeu_epi##B(d_, m, _mm512_permutexvar_epi##B(            \
                        rh, _mm512_maskz_loadu_epi##B(m, s_ + 64)));                       \
                    _mm512_storeu_si512((void *)(d_ + h * blk), _mm512_permutexvar_epi##B( \
                        rw, _mm512_loadu_si512((const void *)s_))));                       \
}
CT_FLIP_SHORT(flip_short16, "avx512f,avx512bw", 16, __mmask32, ct_iota16)
CT_FLIP_SHORT(flip_short32, "avx512f", 32, __mmask16, ct_iota32)
CT_FLIP_SHORT(flip_short64, "avx512f", 64, __mmask8, ct_iota64)
#endif

void ct_flip(char *dst, const char *src, int nd, const int64_t *shape,
             const unsigned char *flip, int es)
{
    int64_t sh[CT_FLIP_MAXD];
    unsigned char fl[CT_FLIP_MAXD];
    int64_t total = 1, blk = es, n, outer, o, r, srow, rem, st;
    int k = 0, d, i;
    for (d = 0; d < nd; d++)
        total *= shape[d];
    if (total == 0)
        return;
    /* drop size-1 dims, merge neighbours that agree on flipping (reversing
     * two adjacent dims reverses their merged dim) */
    for (d = 0; d < nd; d++) {
        if (shape[d] == 1)
            continue;
        if (k > 0 && (fl[k - 1] != 0) == (flip[d] != 0)) {
            sh[k - 1] *= shape[d];
        } else {
            sh[k] = shape[d];
            fl[k] = flip[d] != 0;
            k++;
        }
    }
    /* trailing kept dims are whole blocks of bytes */
    if (k > 0 && !fl[k - 1]) {
        blk *= sh[k - 1];
        k--;
    }
    if (k == 0) {
        memcpy(dst, src, (size_t)(total * es));
        return;
    }
    n = sh[k - 1];                      /* the last dim, flipped */
    outer = total * es / (n * blk);
    int nt = ct_get_num_threads();
    int par = nt > 1 && (outer > 1 || n > 1) && total * es >= (int64_t)1 << 18;
    if (!par || outer >= 8 * (int64_t)nt) {
        /* many rows: each task a run of whole rows (flip_run) */
        int64_t tasks = par ? 8 * (int64_t)nt : 1;
        if (tasks > outer) tasks = outer;
        if (nt > tasks) nt = (int)tasks;
        void (*run)(CT_FLIP_ARGS) = flip_run;
#ifdef CT_HAVE_AVX512_TABLES
        if (n * blk <= 128 && ct_cpu_avx512f()) {
            if (blk == 4) run = flip_short32;
            else if (blk == 8) run = flip_short64;
            else if (blk == 2 && ct_cpu_avx512bw()) run = flip_short16;
        }
#endif
        CT_PARALLEL_IF(par, "omp parallel for num_threads(nt) schedule(static)",
        for (int64_t t = 0; t < tasks; t++)
            run(dst, src, outer * t / tasks, outer * (t + 1) / tasks, k, sh, fl, n, blk);
        );
        return;
    }
    /* few rows (a flip of the first dim alone is one row of n blocks; 3 rows
     * made 2 and 1 of two threads): each row split in parts, about 8 tasks a
     * thread */
    int64_t parts = (8 * (int64_t)nt + outer - 1) / outer;
    if (parts > n) parts = n;
    if (nt > outer * parts) nt = (int)(outer * parts);
    CT_PARALLEL_IF(par, "omp parallel for num_threads(nt) schedule(static) private(o, rem, srow, st, i, r)",
    for (int64_t t = 0; t < outer * parts; t++) {
        /* the source row of output row o (rows of n * blk bytes), and this
         * part's units [j0, j1) of it, from the source's [n - j1, n - j0) */
        o = t / parts;
        int64_t p = t % parts, j0 = n * p / parts, j1 = n * (p + 1) / parts;
        rem = o;
        srow = 0;
        st = 1;
        for (i = k - 2; i >= 0; i--) {
            r = rem % sh[i];
            rem /= sh[i];
            srow += (fl[i] ? sh[i] - 1 - r : r) * st;
            st *= sh[i];
        }
        reverse_units(dst + (o * n + j0) * blk, src + (srow * n + n - j1) * blk, j1 - j0, blk);
    });
}

void ct_tri(char *dst, const char *src, int64_t batch, int64_t m, int64_t n, int64_t k,
            int lower, int es)
{
    int64_t b, i, cut;
    size_t row = (size_t)(n * es);
    for (b = 0; b < batch; b++) {
        for (i = 0; i < m; i++) {
            char *d = dst + (b * m + i) * (int64_t)row;
            const char *s = src + (b * m + i) * (int64_t)row;
            cut = lower ? i + k + 1 : i + k;   /* columns [0, cut) vs [cut, n) */
            if (cut < 0) cut = 0;
            if (cut > n) cut = n;
            if (lower) {
                if (d != s) memcpy(d, s, (size_t)(cut * es));
                memset(d + cut * es, 0, (size_t)((n - cut) * es));
            } else {
                memset(d, 0, (size_t)(cut * es));
                if (d != s) memcpy(d + cut * es, s + cut * es, (size_t)((n - cut) * es));
            }
        }
    }
}

/* the output's (outer) slices are independent both ways: large calls split
 * them between the threads (bilinear upsampling ran on one thread at 0.74x
 * PyTorch's speed) */
#define CT_TAPS_BODY(T)                                                                   \
    do {                                                                                  \
        const T *s = (const T *)src;                                                      \
        T *d = (T *)dst;                                                                  \
        T *wt = NULL;                                                                     \
        const int par = outer > 1 && ct_get_num_threads() > 1                             \
                        && outer * (transpose ? n_in : n_out) * inner >= ((int64_t)1 << 15); \
        if (!transpose) {                                                                 \
            if (inner == 1 && K == 2) {                                                   \
                wt = (T *)malloc((size_t)(2 * n_out) * sizeof(T));                        \
                if (wt == NULL)                                                           \
                    return -2;                                                            \
                for (int64_t j = 0; j < 2 * n_out; j++)                                   \
                    wt[j] = (T)w[j];                                                      \
            }                                                                             \
            CT_PARALLEL_IF(par, "omp parallel for schedule(static)",                      \
            for (int64_t o = 0; o < outer; o++) {                                         \
                const T *so = s + o * n_in * inner;                                       \
                T *dout = d + o * n_out * inner;                                          \
                if (inner == 1 && K == 2) {                                               \
                    for (int64_t j = 0; j < n_out; j++)                                   \
                        dout[j] = wt[2 * j] * so[idx[2 * j]]                              \
                                  + wt[2 * j + 1] * so[idx[2 * j + 1]];                   \
                    continue;                                                             \
                }                                                                         \
                if (inner == 1) {                                                         \
                    for (int64_t j = 0; j < n_out; j++) {                                 \
                        T acc = 0;                                                        \
                        for (int64_t k = 0; k < K; k++)                                   \
                            acc += (T)w[j * K + k] * so[idx[j * K + k]];                  \
                        dout[j] = acc;                                                    \
                    }                                                                     \
                    continue;                                                             \
                }                                                                         \
                for (int64_t j = 0; j < n_out; j++) {                                     \
                    T *dr = dout + j * inner;                                             \
                    const T *r0 = so + idx[j * K] * inner;                                \
                    T w0 = (T)w[j * K];                                                   \
                    for (int64_t i = 0; i < inner; i++)                                   \
                        dr[i] = w0 * r0[i];                                               \
                    for (int64_t k = 1; k < K; k++) {                                     \
                        const T *rk = so + idx[j * K + k] * inner;                        \
                        T wk = (T)w[j * K + k];                                           \
                        for (int64_t i = 0; i < inner; i++)                               \
                            dr[i] += wk * rk[i];                                          \
                    }                                                                     \
                }                                                                         \
            });                                                                           \
            free(wt);                                                                     \
        } else {                                                                          \
            CT_PARALLEL_IF(par, "omp parallel for schedule(static)",                      \
            for (int64_t o = 0; o < outer; o++) {                                         \
                const T *so = s + o * n_out * inner;                                      \
                T *dout = d + o * n_in * inner;                                           \
                memset(dout, 0, (size_t)(n_in * inner) * sizeof(T));                      \
                for (int64_t j = 0; j < n_out; j++) {                                     \
                    const T *gr = so + j * inner;                                         \
                    for (int64_t k = 0; k < K; k++) {                                     \
                        T *dr = dout + idx[j * K + k] * inner;                            \
                        T wk = (T)w[j * K + k];                                           \
                        for (int64_t i = 0; i < inner; i++)                               \
                            dr[i] += wk * gr[i];                                          \
                    }                                                                     \
                }                                                                         \
            });                                                                           \
        }                                                                                 \
    } while (0)

int ct_taps(int dtype, char *dst, const char *src, int64_t outer, int64_t n_in, int64_t n_out,
            int64_t inner, int64_t K, const int64_t *idx, const double *w, int transpose)
{
    if (dtype == CT_FLOAT32)
        CT_TAPS_BODY(float);
    else if (dtype == CT_FLOAT64)
        CT_TAPS_BODY(double);
    else
        return -1;
    return 0;
}

#define CT_CUM_INNER(T, ACC)                                                              \
    do {                                                                                  \
        const T *xs = (const T *)x;                                                       \
        T *os = (T *)out;                                                                 \
        ACC *acc = (ACC *)malloc((size_t)inner * sizeof(ACC));                            \
        int64_t o, l, i;                                                                  \
        if (acc == NULL)                                                                  \
            return -2;                                                                    \
        for (o = 0; o < outer; o++) {                                                     \
            const T *xo = xs + o * len * inner;                                           \
            T *oo = os + o * len * inner;                                                 \
            for (i = 0; i < inner; i++) {                                                 \
                acc[i] = (ACC)xo[i];                                                      \
                oo[i] = (T)acc[i];                                                        \
            }                                                                             \
            for (l = 1; l < len; l++) {                                                   \
                const T *xr = xo + l * inner;                                             \
                T *orow = oo + l * inner;                                                 \
                if (is_prod)                                                              \
                    for (i = 0; i < inner; i++) { acc[i] *= (ACC)xr[i]; orow[i] = (T)acc[i]; } \
                else                                                                      \
                    for (i = 0; i < inner; i++) { acc[i] += (ACC)xr[i]; orow[i] = (T)acc[i]; } \
            }                                                                             \
        }                                                                                 \
        free(acc);                                                                        \
    } while (0)

/* float16 (half 1) / bfloat16 along the middle dim: each column's running
 * value in float (PyTorch's order and accumulation), a row of them widened,
 * combined and rounded to the type a vector at a time */
CT_MULTIVERSION static void cum_inner_step(float *acc, const float *v, int64_t n, int is_prod)
{
    if (is_prod)
        for (int64_t i = 0; i < n; i++) acc[i] *= v[i];
    else
        for (int64_t i = 0; i < n; i++) acc[i] += v[i];
}
static int cum_inner_half(const uint16_t *xs, int64_t outer, int64_t len, int64_t inner,
                          int is_prod, uint16_t *os, int half)
{
    float *acc = (float *)malloc((size_t)inner * 2 * sizeof(float)), *v = acc + inner;
    if (acc == NULL)
        return -2;
    for (int64_t o = 0; o < outer; o++) {
        for (int64_t l = 0; l < len; l++) {
            const uint16_t *xr = xs + (o * len + l) * inner;
            uint16_t *orow = os + (o * len + l) * inner;
            if (half) ct_h2f_contig(xr, l ? v : acc, inner);
            else ct_bf2f_contig(xr, l ? v : acc, inner);
            if (l) cum_inner_step(acc, v, inner, is_prod);
            if (half) ct_f2h_contig(acc, orow, inner);
            else ct_f2bf_contig(acc, orow, inner);
        }
    }
    free(acc);
    return 0;
}

int ct_cum_inner(int dtype, const char *x, int64_t outer, int64_t len, int64_t inner,
                 int is_prod, char *out)
{
    if (dtype == CT_FLOAT16 || dtype == CT_BFLOAT16)
        return cum_inner_half((const uint16_t *)x, outer, len, inner, is_prod, (uint16_t *)out,
                              dtype == CT_FLOAT16);
    if (dtype == CT_FLOAT32)
        CT_CUM_INNER(float, double);
    else if (dtype == CT_FLOAT64)
        CT_CUM_INNER(double, double);
    else if (dtype == CT_INT64)
        CT_CUM_INNER(int64_t, int64_t);
    else
        return -1;
    return 0;
}

/* ---- sequences: arange and linspace */

/* a sequence of more elements than this fills on several threads */
#define CT_SEQ_PAR 65536

/* arange in integers (64-bit, wrapping: unsigned arithmetic, then
 * truncated to T) and in double (rounded to T) */
#define CT_ARANGE_INT(NAME, T, U)                                                   \
CT_MULTIVERSION static void NAME(T *o, int64_t n, int64_t i0, int64_t is)           \
{                                                                                   \
    const uint64_t u0 = (uint64_t)i0, us = (uint64_t)is;                            \
    CT_PARALLEL_IF(n > CT_SEQ_PAR, "omp parallel for simd schedule(static)",        \
    for (int64_t i = 0; i < n; i++) o[i] = (T)(U)(u0 + (uint64_t)i * us););         \
}
#define CT_ARANGE_FLOAT(NAME, T)                                                    \
CT_MULTIVERSION static void NAME(T *o, int64_t n, double d0, double ds)             \
{                                                                                   \
    CT_PARALLEL_IF(n > CT_SEQ_PAR, "omp parallel for simd schedule(static)",        \
    for (int64_t i = 0; i < n; i++) o[i] = (T)(d0 + (double)i * ds););              \
}
CT_ARANGE_INT(ct_arange_i64, int64_t, uint64_t)
CT_ARANGE_INT(ct_arange_i32, int32_t, uint32_t)
/* (fp-contract off: the clones for FMA machines would fuse d0 + i ds) */
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")
CT_ARANGE_FLOAT(ct_arange_f64, double)
CT_ARANGE_FLOAT(ct_arange_f32, float)
#pragma GCC pop_options

int ct_arange(int dtype, char *dst, int64_t n, int64_t i0, int64_t is, double d0, double ds)
{
    switch (dtype) {
    case CT_INT64: ct_arange_i64((int64_t *)dst, n, i0, is); return 0;
    case CT_INT32: ct_arange_i32((int32_t *)dst, n, i0, is); return 0;
    case CT_FLOAT64: ct_arange_f64((double *)dst, n, d0, ds); return 0;
    case CT_FLOAT32: ct_arange_f32((float *)dst, n, d0, ds); return 0;
    default: return -1;
    }
}

/* linspace in T: the step and each value's fused multiply-add (FMA) in T */
#define CT_LINSPACE(NAME, T, FMA)                                                   \
CT_MULTIVERSION static void NAME(T *o, int64_t n, int64_t stride, T a, T b)         \
{                                                                                   \
    const int64_t half = n > 1 ? n / 2 : 1;                                         \
    const T st = n > 1 ? (b - a) / (T)(n - 1) : (T)0;                               \
    CT_PARALLEL_IF(n > CT_SEQ_PAR, "omp parallel for simd schedule(static)",        \
    for (int64_t i = 0; i < n; i++)                                                 \
        o[i * stride] = i < half ? FMA(st, (T)i, a) : FMA(-st, (T)(n - 1 - i), b);); \
}
CT_LINSPACE(ct_linspace_f64, double, fma)
CT_LINSPACE(ct_linspace_f32, float, fmaf)

int ct_linspace(int dtype, char *dst, int64_t n, int64_t stride, double a, double b)
{
    if (dtype == CT_FLOAT64) {
        ct_linspace_f64((double *)dst, n, stride, a, b);
        return 0;
    }
    if (dtype == CT_FLOAT32) {
        ct_linspace_f32((float *)dst, n, stride, (float)a, (float)b);
        return 0;
    }
    return -1;
}

/* ---- constant padding */

/* n es-byte copies of the value at v from d on */
static void ct_fill_units(char *d, int64_t n, const void *v, int es)
{
    switch (es) {
    case 1: memset(d, *(const uint8_t *)v, (size_t)n); return;
    case 2: { uint16_t x; memcpy(&x, v, 2); for (int64_t i = 0; i < n; i++) memcpy(d + 2 * i, &x, 2); return; }
    case 4: { uint32_t x; memcpy(&x, v, 4); for (int64_t i = 0; i < n; i++) memcpy(d + 4 * i, &x, 4); return; }
    case 8: { uint64_t x; memcpy(&x, v, 8); for (int64_t i = 0; i < n; i++) memcpy(d + 8 * i, &x, 8); return; }
    default: for (int64_t i = 0; i < n; i++) memcpy(d + (int64_t)es * i, v, (size_t)es);
    }
}

/* rows h0 .. h1 - 1 of a padded plane (rb bytes apart from o on): row h
 * from row h - h_lo of the source plane sp (h_in rows of w es-byte units;
 * NULL: all padding) after l units of the value at val, the value to the
 * row's W units */
typedef void (*ct_pad_plane_fn)(char *o, int64_t rb, const char *sp, int64_t h0, int64_t h1,
                                int64_t h_lo, int64_t h_in, int64_t W, int64_t l, int64_t w,
                                const void *val, int es);
static void ct_pad_plane(char *o, int64_t rb, const char *sp, int64_t h0, int64_t h1,
                         int64_t h_lo, int64_t h_in, int64_t W, int64_t l, int64_t w,
                         const void *val, int es)
{
    for (int64_t h = h0; h < h1; h++, o += rb) {
        const int64_t i = h - h_lo;
        if (sp == NULL || i < 0 || i >= h_in || w == 0) {
            ct_fill_units(o, W, val, es);
        } else {
            ct_fill_units(o, l, val, es);
            memcpy(o + l * es, sp + i * w * es, (size_t)(w * es));
            ct_fill_units(o + (l + w) * es, W - l - w, val, es);
        }
    }
}

#ifdef CT_HAVE_AVX512_TABLES
/* a padded row of W 4- or 8-byte units (N a vector): l of the value x, the
 * w units of s (NULL: none), the value to the end. With a vector's units
 * in the row and in s (or none of s), the value's whole vectors first,
 * from each end of its runs (the last one moved back into the row), then
 * s's, the last one moved back likewise: plain stores, the later over the
 * earlier where they overlap; otherwise each vector one masked load of
 * s's units in it over the value. (A call of memcpy and two of a fill
 * spent more than the stores of a row of 34 floats.) */
#define CT_PAD512(NAME, T, N, SET1, MLOAD, MSTORE)                                 \
__attribute__((target("avx512f"), always_inline)) static inline void NAME##_row(   \
        T *o, const T *s, int64_t W, int64_t l, int64_t w, const __m512i v)        \
{                                                                                  \
    if (s == NULL) { l = W; w = 0; }                                               \
    if (W >= N && (w >= N || w == 0)) {                                            \
        for (int64_t j = 0; j < l; j += N)                                         \
            _mm512_storeu_si512((void *)(o + (j < W - N ? j : W - N)), v);         \
        for (int64_t j = l + w; j < W; j += N)                                     \
            _mm512_storeu_si512((void *)(o + (j < W - N ? j : W - N)), v);         \
        for (int64_t j = 0; j < w; j += N) {                                       \
            const int64_t k = j < w - N ? j : w - N;                               \
            _mm512_storeu_si512((void *)(o + l + k), _mm512_loadu_si512((const void *)(s + k))); \
        }                                                                          \
        return;                                                                    \
    }                                                                              \
    const uintptr_t base = (uintptr_t)s - (uintptr_t)(l * (int64_t)sizeof(T));    \
    for (int64_t j = 0; j < W; j += N) {                                           \
        const int64_t a = l - j < 0 ? 0 : (l - j > N ? N : l - j);                 \
        const int64_t b = l + w - j < 0 ? 0 : (l + w - j > N ? N : l + w - j);     \
        const uint32_t m = b > a ? ((1u << b) - 1) & ~((1u << a) - 1) : 0;         \
        const __m512i y = m ? MLOAD(v, m, (const void *)(base + (uintptr_t)(j * (int64_t)sizeof(T)))) : v; \
        if (j + N <= W) _mm512_storeu_si512((void *)(o + j), y);                   \
        else MSTORE((void *)(o + j), (1u << (W - j)) - 1, y);                      \
    }                                                                              \
}                                                                                  \
/* ct_pad_plane_fn's rows, each inlined (a call a row of 34 floats cost    \
 * half the row's time) */                                                     \
__attribute__((target("avx512f"))) static void NAME(char *o, int64_t rb, const char *sp, \
        int64_t h0, int64_t h1, int64_t h_lo, int64_t h_in, int64_t W, int64_t l,    \
        int64_t w, const void *val, int es)                                        \
{                                                                                  \
    T x;                                                                           \
    memcpy(&x, val, sizeof(T));                                                    \
    (void)es;                                                                      \
    const __m512i v = SET1(x);                                                     \
    for (int64_t h = h0; h < h1; h++, o += rb) {                                   \
        const int64_t i = h - h_lo;                                                \
        NAME##_row((T *)o, sp == NULL || i < 0 || i >= h_in || w == 0 ? NULL : (const T *)sp + i * w, \
                   W, l, w, v);                                                    \
    }                                                                              \
}
#define CT_PAD_SET4(x) _mm512_set1_epi32((int)(x))
#define CT_PAD_SET8(x) _mm512_set1_epi64((long long)(x))
CT_PAD512(ct_pad_rows512_4, uint32_t, 16, CT_PAD_SET4, _mm512_mask_loadu_epi32, _mm512_mask_storeu_epi32)
CT_PAD512(ct_pad_rows512_8, uint64_t, 8, CT_PAD_SET8, _mm512_mask_loadu_epi64, _mm512_mask_storeu_epi64)
#undef CT_PAD_SET4
#undef CT_PAD_SET8
#undef CT_PAD512
#endif

/* the padded rows [r0, r1) (rows of out's last dim), in planes of H rows
 * (out's second last dim; 1 for one dim): each plane's source plane from an
 * odometer of its index over the dims before, stepped a plane at a time,
 * then its rows by one call (a division a dim and row, or the odometer a
 * row, cost a row of 34 floats more than its stores) */
static void ct_pad_rows(char *dst, const char *src, int nd, const int64_t *out, const int64_t *in,
                        const int64_t *lo, const void *val, int es, int64_t r0, int64_t r1)
{
    const int64_t W = out[nd - 1], w = in[nd - 1], l = lo[nd - 1], rb = W * es;
    const int64_t H = nd > 1 ? out[nd - 2] : 1, h_in = nd > 1 ? in[nd - 2] : 1;
    const int64_t h_lo = nd > 1 ? lo[nd - 2] : 0;
    const int pd = nd - 2;                      /* the dims of a plane's index */
    int64_t idx[64], q = r0 / H;
    for (int d = pd - 1; d >= 0; d--) {
        idx[d] = q % out[d];
        q /= out[d];
    }
    ct_pad_plane_fn plane = ct_pad_plane;
#ifdef CT_HAVE_AVX512_TABLES
    if ((es == 4 || es == 8) && ct_cpu_avx512f()) plane = es == 4 ? ct_pad_rows512_4 : ct_pad_rows512_8;
#endif
    for (int64_t r = r0; r < r1;) {
        /* the source plane, or -1 in the padding */
        int64_t sp = 0;
        for (int d = 0; d < pd && sp >= 0; d++) {
            const int64_t i = idx[d] - lo[d];
            sp = i < 0 || i >= in[d] ? -1 : sp * in[d] + i;
        }
        const int64_t h0 = r % H, h1 = r1 - r < H - h0 ? h0 + (r1 - r) : H;
        plane(dst + r * rb, rb, sp < 0 ? NULL : src + sp * h_in * w * es, h0, h1, h_lo, h_in, W, l, w,
              val, es);
        r += h1 - h0;
        for (int d = pd - 1; d >= 0; d--) {
            if (++idx[d] < out[d]) break;
            idx[d] = 0;
        }
    }
}

void ct_pad_constant(char *dst, const char *src, int nd, const int64_t *out, const int64_t *in,
                     const int64_t *lo, const void *val, int es)
{
    int64_t rows = 1;
    for (int d = 0; d < nd - 1; d++)
        rows *= out[d];
    const int nt = rows > 1 && rows * out[nd - 1] * es >= ((int64_t)1 << 18) ? ct_get_num_threads() : 1;
    /* the rows in nt runs, one a thread */
    CT_PARALLEL_IF(nt > 1, "omp parallel for num_threads(nt) schedule(static)",
    for (int c = 0; c < nt; c++)
        ct_pad_rows(dst, src, nd, out, in, lo, val, es, rows * c / nt, rows * (c + 1) / nt););
}

/* one es-byte unit (the common sizes as typed moves, not calls) */
static inline void ct_unit_copy(char *o, const char *s, int es)
{
    switch (es) {
    case 4: memcpy(o, s, 4); return;
    case 8: memcpy(o, s, 8); return;
    case 2: memcpy(o, s, 2); return;
    case 1: *o = *s; return;
    default: memcpy(o, s, (size_t)es);
    }
}

void ct_pad_map(char *dst, const char *src, int nd, const int64_t *out, const int64_t *in,
                const int64_t *map, int64_t lo, int es)
{
    /* the output as outer blocks of H rows of W (H: the second last dim's
     * size, 1 for one dim), each block's source offset from the maps of
     * the dims before, each row's from the second last dim's */
    const int64_t W = out[nd - 1], w = in[nd - 1];
    const int64_t H = nd >= 2 ? out[nd - 2] : 1, ih = nd >= 2 ? in[nd - 2] : 1;
    int64_t outer = 1;
    for (int d = 0; d < nd - 2; d++)
        outer *= out[d];
    const int64_t *last = map, *mh = NULL;
    for (int d = 0; d < nd - 1; d++) {
        if (d == nd - 2)
            mh = last;
        last += out[d];
    }
    const int64_t rb = W * es;
    CT_PARALLEL_IF(outer * H > 1 && outer * H * rb >= ((int64_t)1 << 18) && ct_get_num_threads() > 1,
                   "omp parallel for schedule(static)",
    for (int64_t b = 0; b < outer; b++) {
        int64_t rem = b, s = 0, st = ih;
        const int64_t *m = mh;
        for (int d = nd - 3; d >= 0; d--) {
            m -= out[d];
            s += m[rem % out[d]] * st;
            rem /= out[d];
            st *= in[d];
        }
        for (int64_t h = 0; h < H; h++) {
            const char *sr = src + (s + (mh ? mh[h] : 0)) * w * es;
            char *o = dst + (b * H + h) * rb;
            for (int64_t j = 0; j < lo; j++)
                ct_unit_copy(o + j * es, sr + last[j] * es, es);
            memcpy(o + lo * es, sr, (size_t)(w * es));
            for (int64_t j = lo + w; j < W; j++)
                ct_unit_copy(o + j * es, sr + last[j] * es, es);
        }
    });
}
