/* Kernels of ctorch.nn.functional that gather rows or samples by index:
 * embedding_bag (a sum, mean or max over each bag of looked-up rows) with
 * its backward (the bag gradients added back into the looked-up rows), and
 * grid_sample (bilinear / nearest / bicubic sampling of N-C-H-W or
 * N-C-D-H-W inputs at grid points) with its gradients for the input and the
 * grid. nnsample.h declares them and the per-dtype tables. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "nnsample.h"
#include "common.h"
#include "strided.h"

#ifndef _OPENMP   /* a team is then never more than one thread */
static inline int omp_get_thread_num(void) { return 0; }
#endif

/* ---- embedding_bag ---------------------------------------------------------- */

CT_MULTIVERSION int64_t ct_ebag_check(const int64_t *idx, int64_t n, int64_t rows, const int64_t *off,
                      int64_t noff, int64_t *bad)
{
    if (noff > 0 && off[0] != 0) { *bad = off[0]; return CT_EBAG_FIRST; }
    if (noff > 0 && off[noff - 1] > n) { *bad = off[noff - 1]; return CT_EBAG_LAST; }
    for (int64_t i = 1; i < noff; i++)
        if (off[i] < off[i - 1]) { *bad = i; return CT_EBAG_ORDER; }
    /* a branch-free pass over the indices; the first bad one only when any is */
    uint64_t any = 0;
    for (int64_t i = 0; i < n; i++) any |= (uint64_t)idx[i] >= (uint64_t)rows;
    if (any)
        for (int64_t i = 0; i < n; i++)
            if (idx[i] < 0 || idx[i] >= rows) { *bad = i; return CT_EBAG_INDEX; }
    return 0;
}

/* Bag b covers positions off[b] .. off[b + 1] (the last bag: to n). Per
 * position: bag[i], and scale[i], the factor its row enters the bag with
 * (0 for the padding index; per_sample_weights or 1 for sum, 1 / count for
 * mean; max records 1 and keeps max_idx instead). */
static const double ct_ebag_zeros[64];   /* 64 zero elements of either type */
#define CT_EBAG(S, T)                                                              \
/* one bag: positions lo .. hi into the row o */                                \
CT_MULTIVERSION void ct_ebag_one_##S(const T *w, int64_t dim, int64_t ws0, int64_t ws1, \
                                     const int64_t *idx, int64_t lo, int64_t hi,    \
                                     int64_t b, int mode, const T *psw, int64_t pad, \
                                     T *o, int64_t *counts, int64_t *bag, T *scale, \
                                     int64_t *mi)                                  \
{                                                                                  \
    int64_t cnt = 0, d, i;                                                         \
    if (mode != 2 && ws1 == 1) {                                                   \
        /* dense rows: the scales first, then the sum 16 columns at a time in  \
         * registers */                                                         \
        for (i = lo; i < hi; i++) {                                                \
            int64_t r = idx[i];                                                    \
            bag[i] = b;                                                            \
            scale[i] = r == pad ? (T)0 : (psw ? psw[i] : (T)1);                    \
            cnt += r != pad;                                                       \
        }                                                                          \
        T inv = (mode == 1 && cnt > 0) ? (T)1 / (T)cnt : (T)1;                     \
        if (mode == 1)                                                             \
            for (i = lo; i < hi; i++) scale[i] *= inv;                             \
        int64_t d0 = 0;                                                            \
        for (; d0 + 64 <= dim; d0 += 64) {                                         \
            /* four vectors per row visit, two sets of accumulators (even and */   \
            /* odd positions) so that the additions do not wait on each other */   \
            T acc[64] = {0}, acc2[64] = {0};                                       \
            for (i = lo; i + 1 < hi; i += 2) {                                     \
                /* a padding position reads a row of zeros (its scale is 0) */     \
                const T *r0 = idx[i] == pad ? (const T *)ct_ebag_zeros : w + idx[i] * ws0 + d0; \
                const T *r1 = idx[i + 1] == pad ? (const T *)ct_ebag_zeros : w + idx[i + 1] * ws0 + d0; \
                T s0 = scale[i], s1 = scale[i + 1];                                \
                for (d = 0; d < 64; d++) { acc[d] += s0 * r0[d]; acc2[d] += s1 * r1[d]; } \
            }                                                                      \
            if (i < hi && idx[i] != pad) {                                         \
                const T *r0 = w + idx[i] * ws0 + d0;                               \
                T s0 = scale[i];                                                   \
                for (d = 0; d < 64; d++) acc[d] += s0 * r0[d];                     \
            }                                                                      \
            for (d = 0; d < 64; d++) o[d0 + d] = acc[d] + acc2[d];                 \
        }                                                                          \
        for (; d0 + 16 <= dim; d0 += 16) {                                         \
            T acc[16] = {0};                                                       \
            for (i = lo; i < hi; i++) {                                            \
                if (idx[i] == pad) continue;                                       \
                const T *row = w + idx[i] * ws0 + d0;                              \
                T sc = scale[i];                                                   \
                for (d = 0; d < 16; d++) acc[d] += sc * row[d];                    \
            }                                                                      \
            for (d = 0; d < 16; d++) o[d0 + d] = acc[d];                           \
        }                                                                          \
        for (d = d0; d < dim; d++) o[d] = 0;                                       \
        for (i = lo; i < hi && d0 < dim; i++) {                                    \
            if (idx[i] == pad) continue;                                           \
            const T *row = w + idx[i] * ws0;                                       \
            for (d = d0; d < dim; d++) o[d] += scale[i] * row[d];                  \
        }                                                                          \
        counts[b] = cnt;                                                           \
        return;                                                                    \
    }                                                                              \
    for (d = 0; d < dim; d++) o[d] = 0;                                            \
    for (i = lo; i < hi; i++) {                                                    \
        int64_t r = idx[i];                                                        \
        bag[i] = b;                                                                \
        if (r == pad) { scale[i] = 0; continue; }                                  \
        const T *row = w + r * ws0;                                                \
        if (mode == 2) {                                                           \
            scale[i] = 1;                                                          \
            if (cnt == 0) {                                                        \
                for (d = 0; d < dim; d++) { o[d] = row[d * ws1]; mi[d] = r; }      \
            } else {                                                               \
                for (d = 0; d < dim; d++) {                                        \
                    T v = row[d * ws1];                                            \
                    if (v > o[d] || v != v) { o[d] = v; mi[d] = r; }               \
                }                                                                  \
            }                                                                      \
        } else {                                                                   \
            T s = psw ? psw[i] : (T)1;                                             \
            scale[i] = s;                                                          \
            if (ws1 == 1) {                                                        \
                _Pragma("omp simd")                                                \
                for (d = 0; d < dim; d++) o[d] += s * row[d];                      \
            } else {                                                               \
                for (d = 0; d < dim; d++) o[d] += s * row[d * ws1];                \
            }                                                                      \
        }                                                                          \
        cnt++;                                                                     \
    }                                                                              \
    counts[b] = cnt;                                                               \
    if (mode == 1 && cnt > 0) {                                                    \
        T inv = (T)1 / (T)cnt;                                                     \
        for (d = 0; d < dim; d++) o[d] *= inv;                                     \
        for (i = lo; i < hi; i++) scale[i] *= inv;                                 \
    }                                                                              \
    if (mode == 2 && cnt == 0)                                                     \
        for (d = 0; d < dim; d++) mi[d] = -1;                                      \
}                                                                                  \
void ct_ebag_##S(const void *wv, int64_t dim, int64_t ws0, int64_t ws1,            \
                 const int64_t *idx, int64_t n, const int64_t *off, int64_t nbags,  \
                 int mode, const void *pswv, int64_t pad, void *outv,               \
                 int64_t *counts, int64_t *bag, void *scalev, int64_t *max_idx)     \
{                                                                                  \
    int64_t b;                                                                     \
    if (nbags * dim <= 32768 || ct_get_num_threads() <= 1) {                       \
        for (b = 0; b < nbags; b++)                                                \
            ct_ebag_one_##S((const T *)wv, dim, ws0, ws1, idx, off[b],             \
                            b + 1 < nbags ? off[b + 1] : n, b, mode, (const T *)pswv, pad, \
                            (T *)outv + b * dim, counts, bag, (T *)scalev,         \
                            mode == 2 ? max_idx + b * dim : NULL);                 \
        return;                                                                    \
    }                                                                              \
    _Pragma("omp parallel for schedule(static)")                                   \
    for (b = 0; b < nbags; b++)                                                    \
        ct_ebag_one_##S((const T *)wv, dim, ws0, ws1, idx, off[b],                 \
                        b + 1 < nbags ? off[b + 1] : n, b, mode, (const T *)pswv, pad, \
                        (T *)outv + b * dim, counts, bag, (T *)scalev,             \
                        mode == 2 ? max_idx + b * dim : NULL);                     \
}                                                                                  \
/* gw (rows x dim, contiguous, zero-filled by the caller) += the bag          \
 * gradients: mode sum / mean: gw[idx[i]] += scale[i] g[bag[i]]; max:         \
 * gw[max_idx[b, d], d] += g[b, d] (max_idx -1: an empty bag). g: rows of     \
 * stride gs0, elements of stride gs1 */                                       \
CT_MULTIVERSION void ct_ebag_bwd_##S(const void *gv, int64_t gs0, int64_t gs1, int64_t dim,        \
                     const int64_t *idx, const int64_t *bag, const void *scalev,    \
                     int64_t n, int mode, const int64_t *max_idx, int64_t nbags,    \
                     void *gwv)                                                    \
{                                                                                  \
    const T *g = (const T *)gv, *scale = (const T *)scalev;                        \
    T *gw = (T *)gwv;                                                              \
    int64_t i, d;                                                                  \
    if (mode == 2) {                                                               \
        for (i = 0; i < nbags; i++)                                                \
            for (d = 0; d < dim; d++) {                                            \
                int64_t r = max_idx[i * dim + d];                                  \
                if (r >= 0) gw[r * dim + d] += g[i * gs0 + d * gs1];               \
            }                                                                      \
        return;                                                                    \
    }                                                                              \
    for (i = 0; i < n; i++) {                                                      \
        T s = scale[i];                                                            \
        if (s == 0) continue;                                                      \
        T *o = gw + idx[i] * dim;                                                  \
        const T *src = g + bag[i] * gs0;                                           \
        if (gs1 == 1) {                                                            \
            _Pragma("omp simd")                                                    \
            for (d = 0; d < dim; d++) o[d] += s * src[d];                          \
        } else {                                                                   \
            for (d = 0; d < dim; d++) o[d] += s * src[d * gs1];                    \
        }                                                                          \
    }                                                                              \
}
CT_EBAG(f32, float)
CT_EBAG(f64, double)

ct_ebag_fn ct_ebag_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ct_ebag_f32, [CT_FLOAT64] = ct_ebag_f64,
};
ct_ebag_bwd_fn ct_ebag_bwd_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ct_ebag_bwd_f32, [CT_FLOAT64] = ct_ebag_bwd_f64,
};

/* ---- grid_sample -------------------------------------------------------------
 * Every mode is a sum over taps: per grid point, K input positions (offsets
 * into one channel plane; an out-of-range tap gets weight 0), their weights,
 * and the weights' derivatives along each grid coordinate (in unnormalised
 * input units). The plan of one batch entry is built once and used by every
 * channel: y[c, p] = sum_k w[k, p] x[c, off[k, p]]. */

/* a coordinate in input units, its padding applied, and d(result)/d(grid) */
#define CT_GRID_COORD(S, T, FLOOR, FMOD, FABS)                                     \
static inline T ct_grid_reflect_##S(T in, T twice_lo, T twice_hi, T *gm)            \
{                                                                                  \
    if (twice_lo == twice_hi) { *gm = 0; return 0; }                               \
    T lo = twice_lo / 2, span = (twice_hi - twice_lo) / 2, sign = 1;               \
    in = in - lo;                                                                  \
    if (in < 0) { sign = -1; in = -in; }                                           \
    T extra = FMOD(in, span);                                                      \
    T flips = FLOOR(in / span);                                                    \
    if (FMOD(flips, (T)2) == 0) { *gm = sign; return extra + lo; }                 \
    *gm = -sign;                                                                   \
    return span - extra + lo;                                                      \
}                                                                                  \
static inline T ct_grid_clip_##S(T in, int64_t n, T *gm)                           \
{                                                                                  \
    if (!(in > 0)) { *gm = 0; return 0; }  /* NaN too */                           \
    if (in >= (T)(n - 1)) { *gm = 0; return (T)(n - 1); }                         \
    *gm = 1;                                                                       \
    return in;                                                                     \
}                                                                                  \
/* padding applied to an unnormalised coordinate x, *gm: its derivative */     \
static inline T ct_grid_pad_##S(T x, int64_t n, int padding, int align, T *gm)     \
{                                                                                  \
    T g1 = 1, g2 = 1;                                                              \
    if (padding == 1) {                                                            \
        x = ct_grid_clip_##S(x, n, &g1);                                           \
    } else if (padding == 2) {                                                     \
        x = align ? ct_grid_reflect_##S(x, 0, (T)(2 * (n - 1)), &g1)               \
                  : ct_grid_reflect_##S(x, -1, (T)(2 * n - 1), &g1);               \
        x = ct_grid_clip_##S(x, n, &g2);                                           \
    }                                                                              \
    *gm = g1 * g2;                                                                 \
    return x;                                                                      \
}                                                                                  \
static inline T ct_grid_unnorm_##S(T c, int64_t n, int align, T *gm)               \
{                                                                                  \
    if (align) { *gm = (T)(n - 1) / 2; return (c + 1) / 2 * (T)(n - 1); }         \
    *gm = (T)n / 2;                                                                \
    return ((c + 1) * (T)n - 1) / 2;                                               \
}                                                                                  \
static inline void ct_grid_cubic_##S(T t, T *w, T *dw)                             \
{                                                                                  \
    const T A = (T)-0.75;                                                          \
    T x0 = t + 1, x1 = t, x2 = 1 - t, x3 = 2 - t;                                  \
    w[0] = ((A * x0 - 5 * A) * x0 + 8 * A) * x0 - 4 * A;                           \
    w[1] = ((A + 2) * x1 - (A + 3)) * x1 * x1 + 1;                                 \
    w[2] = ((A + 2) * x2 - (A + 3)) * x2 * x2 + 1;                                 \
    w[3] = ((A * x3 - 5 * A) * x3 + 8 * A) * x3 - 4 * A;                           \
    dw[0] = (3 * A * x0 - 10 * A) * x0 + 8 * A;                                    \
    dw[1] = (3 * (A + 2) * x1 - 2 * (A + 3)) * x1;                                 \
    dw[2] = -(3 * (A + 2) * x2 - 2 * (A + 3)) * x2;                                \
    dw[3] = -((3 * A * x3 - 10 * A) * x3 + 8 * A);                                 \
}

CT_GRID_COORD(f32, float, floorf, fmodf, fabsf)
CT_GRID_COORD(f64, double, floor, fmod, fabs)

/* The plan of one batch entry: for each grid point p, K taps
 * (off[k * P + p], w[k * P + p], dw[(j * K + k) * P + p] along coordinate
 * j) and mult[j * P + p], the factor of d(input units)/d(grid coordinate).
 * P is the stride between the rows, at least the number of points. dw NULL
 * (the forward): no derivatives. */
#define CT_GRID_PLAN(S, T, FLOOR, RINT)                                            \
static void ct_grid_plan_##S(const ct_grid_args *a, const T *grid, int64_t n,      \
                             int K, int64_t P, int32_t *off, T *w, T *dw, T *mult) \
{                                                                                  \
    int nd = a->nd;                                                                \
    int64_t p = 0;                                                                 \
    int64_t sizes[3] = {a->IW, a->IH, a->ID};      /* coordinate j's dim */        \
    int64_t pstr[3] = {1, a->IW, a->IW * a->IH};   /* its stride in a plane */     \
    for (int64_t od = 0; od < a->OD; od++)                                         \
    for (int64_t oh = 0; oh < a->OH; oh++)                                         \
    for (int64_t ow = 0; ow < a->OW; ow++, p++) {                                  \
        const T *gp = grid + n * a->gs[0] + od * a->gs[1] + oh * a->gs[2] + ow * a->gs[3]; \
        T c[3], f[3], gm[3];                                                       \
        int64_t base[3];                                                           \
        int inb[3][4];                                                             \
        for (int j = 0; j < nd; j++) {                                             \
            T um, pm = 1;                                                          \
            T x = ct_grid_unnorm_##S(gp[j * a->gs[4]], sizes[j], a->align, &um);   \
            int nan_ = x != x;                                                     \
            if (a->mode != 2) x = ct_grid_pad_##S(x, sizes[j], a->padding, a->align, &pm); \
            /* padded, a NaN coordinate is the last position in 3-D (0 in 2-D) */ \
            if (nan_ && nd == 3 && a->padding != 0) x = (T)(sizes[j] - 1);         \
            gm[j] = um * pm;                                                       \
            c[j] = x;                                                              \
        }                                                                          \
        for (int j = 0; j < nd; j++) mult[j * P + p] = gm[j];                      \
        if (a->mode == 1) {                                                        \
            int ok = 1;                                                            \
            int64_t o = 0;                                                         \
            for (int j = 0; j < nd; j++) {                                         \
                T r = RINT(c[j]);                                                  \
                if (!(r >= 0 && r <= (T)(sizes[j] - 1))) { ok = 0; break; }        \
                o += (int64_t)r * pstr[j];                                         \
            }                                                                      \
            off[p] = ok ? (int32_t)o : 0;                                                   \
            w[p] = ok ? (T)1 : (T)0;                                               \
            if (dw) for (int j = 0; j < nd; j++) dw[j * P + p] = 0;                \
            continue;                                                              \
        }                                                                          \
        if (a->mode == 0 && nd == 2) {                                             \
            /* the four corners (x0, y0), (x1, y0), (x0, y1), (x1, y1) */          \
            T fx = FLOOR(c[0]), fy = FLOOR(c[1]), tx = c[0] - fx, ty = c[1] - fy;  \
            int x0 = fx >= 0 && fx <= (T)(a->IW - 1), x1 = fx >= -1 && fx <= (T)(a->IW - 2); \
            int y0 = fy >= 0 && fy <= (T)(a->IH - 1), y1 = fy >= -1 && fy <= (T)(a->IH - 2); \
            int64_t bx = (x0 || x1) ? (int64_t)fx : 0, by = (y0 || y1) ? (int64_t)fy : 0; \
            int64_t o = by * a->IW + bx;                                           \
            int ok[4] = {x0 && y0, x1 && y0, x0 && y1, x1 && y1};                  \
            int64_t ko[4] = {o, o + 1, o + a->IW, o + a->IW + 1};                  \
            T kw[4] = {(1 - tx) * (1 - ty), tx * (1 - ty), (1 - tx) * ty, tx * ty}; \
            T kx[4] = {-(1 - ty), 1 - ty, -ty, ty};                                \
            T ky[4] = {-(1 - tx), -tx, 1 - tx, tx};                                \
            for (int k = 0; k < 4; k++) {                                          \
                off[k * P + p] = ok[k] ? (int32_t)ko[k] : 0;                                \
                w[k * P + p] = ok[k] ? kw[k] : 0;                                  \
                if (!dw) continue;                                                 \
                dw[k * P + p] = ok[k] ? kx[k] : 0;                                 \
                dw[(4 + k) * P + p] = ok[k] ? ky[k] : 0;                           \
            }                                                                      \
            continue;                                                              \
        }                                                                          \
        if (a->mode == 0) {                                                        \
            /* corner k: bit j set = the upper neighbour along coordinate j */     \
            for (int j = 0; j < nd; j++) {                                         \
                T fl = FLOOR(c[j]);                                                \
                f[j] = c[j] - fl;                                                  \
                int ok0 = fl >= 0 && fl <= (T)(sizes[j] - 1);                      \
                int ok1 = fl >= -1 && fl <= (T)(sizes[j] - 2);                     \
                inb[j][0] = ok0; inb[j][1] = ok1;                                  \
                base[j] = (ok0 || ok1) ? (int64_t)fl : 0;                          \
            }                                                                      \
            for (int k = 0; k < K; k++) {                                          \
                int ok = 1;                                                        \
                int64_t o = 0;                                                     \
                T wk = 1, d[3] = {1, 1, 1};                                        \
                for (int j = 0; j < nd; j++) {                                     \
                    int hi = (k >> j) & 1;                                         \
                    ok &= inb[j][hi];                                              \
                    o += (base[j] + hi) * pstr[j];                                 \
                    T wj = hi ? f[j] : 1 - f[j], dj = hi ? (T)1 : (T)-1;           \
                    if (dw) for (int i = 0; i < nd; i++) d[i] *= (i == j ? dj : wj); \
                    wk *= wj;                                                      \
                }                                                                  \
                off[k * P + p] = ok ? (int32_t)o : 0;                                       \
                w[k * P + p] = ok ? wk : 0;                                        \
                if (dw) for (int j = 0; j < nd; j++) dw[(j * K + k) * P + p] = ok ? d[j] : 0; \
            }                                                                      \
            continue;                                                              \
        }                                                                          \
        /* bicubic (2-D): taps (i, j) = rows y0 - 1 + i, columns x0 - 1 + j,     \
         * each padded as an integer position */                                  \
        {                                                                          \
            T wx[4], dwx[4], wy[4], dwy[4];                                        \
            T x0 = FLOOR(c[0]), y0 = FLOOR(c[1]);                                  \
            ct_grid_cubic_##S(c[0] - x0, wx, dwx);                                 \
            ct_grid_cubic_##S(c[1] - y0, wy, dwy);                                 \
            int64_t cx[4], cy[4];                                                  \
            int okx[4], oky[4];                                                    \
            for (int t = 0; t < 4; t++) {                                          \
                T gd, px = ct_grid_pad_##S(x0 - 1 + t, a->IW, a->padding, a->align, &gd); \
                T py = ct_grid_pad_##S(y0 - 1 + t, a->IH, a->padding, a->align, &gd); \
                okx[t] = px >= 0 && px <= (T)(a->IW - 1);                          \
                oky[t] = py >= 0 && py <= (T)(a->IH - 1);                          \
                cx[t] = okx[t] ? (int64_t)px : 0;                                  \
                cy[t] = oky[t] ? (int64_t)py : 0;                                  \
            }                                                                      \
            for (int i = 0; i < 4; i++)                                            \
                for (int t = 0; t < 4; t++) {                                      \
                    int k = i * 4 + t, ok = oky[i] && okx[t];                      \
                    off[k * P + p] = ok ? (int32_t)(cy[i] * a->IW + cx[t]) : 0;               \
                    w[k * P + p] = ok ? wy[i] * wx[t] : 0;                         \
                    if (!dw) continue;                                             \
                    dw[k * P + p] = ok ? wy[i] * dwx[t] : 0;                       \
                    dw[(K + k) * P + p] = ok ? dwy[i] * wx[t] : 0;                 \
                }                                                                  \
        }                                                                          \
    }                                                                              \
}

CT_GRID_PLAN(f32, float, floorf, nearbyintf)
CT_GRID_PLAN(f64, double, floor, nearbyint)

/* The plan of 2-D bilinear / nearest sampling with zeros or border padding:
 * the same taps as ct_grid_plan's, branch free so that the loop over a row
 * of grid points vectorises. */
#define CT_GRID_ROW2(S, T, FLOOR, RINT, V, border, nearest)                        \
/* one function per (border, nearest), each loop vectorised on its own; the  \
 * tap base is selected as T and then converted (converting inside the       \
 * select kept the loop scalar) */                                              \
CT_MULTIVERSION __attribute__((noinline)) void ct_grid_row2_##V##_##S(          \
    const T *restrict gr, int64_t OW, int64_t P, int64_t p0, T sx, T sy, T sh, T wm, \
    T hm, int32_t W32, int32_t *restrict off,                                      \
    T *restrict w, T *restrict dw, T *restrict mult)                               \
{                                                                                  \
    /* masks combined with & (not &&) and selects instead of branches: a       \
     * random grid would mispredict every branch */                              \
    off += p0; w += p0; dw += p0; mult += p0;                                      \
    _Pragma("omp simd")                                                            \
    for (int64_t ow = 0; ow < OW; ow++) {                                          \
        T ix = (gr[2 * ow] + 1) * sx - sh;                                         \
        T iy = (gr[2 * ow + 1] + 1) * sy - sh;                                     \
        T mx = sx, my = sy;                                                        \
        if (border) {                                                              \
            mx = ((ix > 0) & (ix < wm)) ? sx : (T)0;                               \
            my = ((iy > 0) & (iy < hm)) ? sy : (T)0;                               \
            ix = ix > 0 ? ix : (T)0;                                               \
            ix = ix < wm ? ix : wm;                                                \
            iy = iy > 0 ? iy : (T)0;                                               \
            iy = iy < hm ? iy : hm;                                                \
        }                                                                          \
        mult[ow] = mx;                                                             \
        mult[P + ow] = my;                                                         \
        if (nearest) {                                                             \
            T rx = RINT(ix), ry = RINT(iy);                                        \
            int ok = (rx >= 0) & (rx <= wm) & (ry >= 0) & (ry <= hm);              \
            int32_t cx = (int32_t)(ok ? rx : (T)0), cy = (int32_t)(ok ? ry : (T)0); \
            off[ow] = cy * W32 + cx;                                               \
            w[ow] = ok ? (T)1 : (T)0;                                              \
            dw[ow] = 0;                                                            \
            dw[P + ow] = 0;                                                        \
        } else {                                                                   \
            T fx = FLOOR(ix), fy = FLOOR(iy), tx = ix - fx, ty = iy - fy;          \
            int x0 = (fx >= 0) & (fx <= wm), x1 = (fx >= -1) & (fx <= wm - 1);     \
            int y0 = (fy >= 0) & (fy <= hm), y1 = (fy >= -1) & (fy <= hm - 1);     \
            T cfx = (x0 | x1) ? fx : (T)0, cfy = (y0 | y1) ? fy : (T)0;            \
            int32_t o = (int32_t)cfy * W32 + (int32_t)cfx;                         \
            int k0 = x0 & y0, k1 = x1 & y0, k2 = x0 & y1, k3 = x1 & y1;            \
            off[ow] = k0 ? o : 0;                                                  \
            off[P + ow] = k1 ? o + 1 : 0;                                          \
            off[2 * P + ow] = k2 ? o + W32 : 0;                                    \
            off[3 * P + ow] = k3 ? o + W32 + 1 : 0;                                \
            w[ow] = k0 ? (1 - tx) * (1 - ty) : (T)0;                               \
            w[P + ow] = k1 ? tx * (1 - ty) : (T)0;                                 \
            w[2 * P + ow] = k2 ? (1 - tx) * ty : (T)0;                             \
            w[3 * P + ow] = k3 ? tx * ty : (T)0;                                   \
            dw[ow] = k0 ? -(1 - ty) : (T)0;                                        \
            dw[P + ow] = k1 ? 1 - ty : (T)0;                                       \
            dw[2 * P + ow] = k2 ? -ty : (T)0;                                      \
            dw[3 * P + ow] = k3 ? ty : (T)0;                                       \
            dw[4 * P + ow] = k0 ? -(1 - tx) : (T)0;                                \
            dw[5 * P + ow] = k1 ? -tx : (T)0;                                      \
            dw[6 * P + ow] = k2 ? 1 - tx : (T)0;                                   \
            dw[7 * P + ow] = k3 ? tx : (T)0;                                       \
        }                                                                          \
    }                                                                              \
}
CT_GRID_ROW2(f32, float, floorf, nearbyintf, zb, 0, 0)
CT_GRID_ROW2(f32, float, floorf, nearbyintf, zn, 0, 1)
CT_GRID_ROW2(f32, float, floorf, nearbyintf, bb, 1, 0)
CT_GRID_ROW2(f32, float, floorf, nearbyintf, bn, 1, 1)
CT_GRID_ROW2(f64, double, floor, nearbyint, zb, 0, 0)
CT_GRID_ROW2(f64, double, floor, nearbyint, zn, 0, 1)
CT_GRID_ROW2(f64, double, floor, nearbyint, bb, 1, 0)
CT_GRID_ROW2(f64, double, floor, nearbyint, bn, 1, 1)

#define CT_GRID_PLAN2(S, T)                                                        \
/* grid rows dense (coordinate stride 1, point stride 2) */                       \
CT_MULTIVERSION void ct_grid_plan2_##S(const ct_grid_args *a, const T *grid, int64_t n, \
                                       int64_t P, int32_t *off, T *w, T *dw, T *mult) \
{                                                                                  \
    const int64_t W = a->IW, H = a->IH;                                            \
    const T sx = a->align ? (T)(W - 1) / 2 : (T)W / 2;                             \
    const T sy = a->align ? (T)(H - 1) / 2 : (T)H / 2;                             \
    const T sh = a->align ? (T)0 : (T)0.5;                                         \
    const T wm = (T)(W - 1), hm = (T)(H - 1);                                      \
    const int32_t W32 = (int32_t)W;                                                \
    /* dense rows one after another: all the points as one row */              \
    const int flat = a->gs[2] == 2 * a->OW;                                        \
    const int64_t rows = flat ? 1 : a->OH, OW = flat ? a->OH * a->OW : a->OW;      \
    for (int64_t oh = 0; oh < rows; oh++) {                                        \
        const T *gr = grid + n * a->gs[0] + oh * a->gs[2];                         \
        int64_t p0 = oh * OW;                                                      \
        if (a->padding == 1) {                                                     \
            if (a->mode == 1)                                                      \
                ct_grid_row2_bn_##S(gr, OW, P, p0, sx, sy, sh, wm, hm, W32, off, w, dw, mult); \
            else                                                                   \
                ct_grid_row2_bb_##S(gr, OW, P, p0, sx, sy, sh, wm, hm, W32, off, w, dw, mult); \
        } else {                                                                   \
            if (a->mode == 1)                                                      \
                ct_grid_row2_zn_##S(gr, OW, P, p0, sx, sy, sh, wm, hm, W32, off, w, dw, mult); \
            else                                                                   \
                ct_grid_row2_zb_##S(gr, OW, P, p0, sx, sy, sh, wm, hm, W32, off, w, dw, mult); \
        }                                                                          \
    }                                                                              \
}

CT_GRID_PLAN2(f32, float)
CT_GRID_PLAN2(f64, double)

static int ct_grid_taps(const ct_grid_args *a)
{
    if (a->mode == 1) return 1;
    if (a->mode == 2) return 16;
    return 1 << a->nd;
}

/* The row stride of a plan: the number of points padded so that the plan's
 * 18+ rows do not all fall on the same cache sets (rows 4 KiB apart evict
 * each other from L1). */
static int64_t ct_grid_stride(int64_t P, size_t elt)
{
    int64_t ps = (P + 15) & ~(int64_t)15;
    if (((ps * (int64_t)elt) & 4095) == 0) ps += 16;
    return ps;
}

/* the sampling whose NaN coordinates give NaN (ct_grid_nan_points) */
static int ct_grid_nan_case(const ct_grid_args *a)
{
    return a->nd == 2 && a->padding == 0 && a->mode != 1;
}

/* The taps of the samplings by vgatherdps / vgatherdpd on a CPU with
 * AVX-512F: GCC's vector loop (its generic tuning emits no gathers) loaded a
 * lane at a time, 0.5x PyTorch's speed. 2-D bilinear's four taps sum as the
 * portable loop's, (w0 x0 + w1 x1) + (w2 x2 + w3 x3). They return the points
 * done (a multiple of the vector width). */
#ifdef CT_HAVE_AVX512_TABLES
#include <immintrin.h>
#define CT_GRID4_512(S, T, VT, N, LOADI, GATHER, FMA, MUL, ADD, LOADU, STOREU)     \
__attribute__((target("avx512f"))) static int64_t ct_grid_gather4_512_##S(         \
    const T *restrict xc, const int32_t *restrict off, const T *restrict w,       \
    int64_t P, int64_t PS, T *restrict y)                                          \
{                                                                                  \
    int64_t p = 0;                                                                 \
    for (; p + N <= P; p += N) {                                                   \
        VT v0 = GATHER(LOADI(off + p), xc, sizeof(T));                             \
        VT v1 = GATHER(LOADI(off + PS + p), xc, sizeof(T));                        \
        VT v2 = GATHER(LOADI(off + 2 * PS + p), xc, sizeof(T));                    \
        VT v3 = GATHER(LOADI(off + 3 * PS + p), xc, sizeof(T));                    \
        VT a = FMA(LOADU(w + p), v0, MUL(LOADU(w + PS + p), v1));                  \
        VT b = FMA(LOADU(w + 2 * PS + p), v2, MUL(LOADU(w + 3 * PS + p), v3));     \
        STOREU(y + p, ADD(a, b));                                                  \
    }                                                                              \
    return p;                                                                      \
}                                                                                  \
/* any K taps, in the portable loop's order: w0 x0, then + wk xk by k */       \
__attribute__((target("avx512f"))) static int64_t ct_grid_gatherk_512_##S(         \
    const T *restrict xc, const int32_t *restrict off, const T *restrict w,       \
    int K, int64_t P, int64_t PS, T *restrict y)                                   \
{                                                                                  \
    int64_t p = 0;                                                                 \
    for (; p + N <= P; p += N) {                                                   \
        VT acc = MUL(LOADU(w + p), GATHER(LOADI(off + p), xc, sizeof(T)));         \
        for (int k = 1; k < K; k++)                                                \
            acc = FMA(LOADU(w + k * PS + p), GATHER(LOADI(off + k * PS + p), xc, sizeof(T)), acc); \
        STOREU(y + p, acc);                                                        \
    }                                                                              \
    return p;                                                                      \
}
#define CT_LOADI512(q) _mm512_loadu_si512((const void *)(q))
#define CT_LOADI256(q) _mm256_loadu_si256((const __m256i *)(q))
CT_GRID4_512(f32, float, __m512, 16, CT_LOADI512, _mm512_i32gather_ps, _mm512_fmadd_ps,
             _mm512_mul_ps, _mm512_add_ps, _mm512_loadu_ps, _mm512_storeu_ps)
CT_GRID4_512(f64, double, __m512d, 8, CT_LOADI256, _mm512_i32gather_pd, _mm512_fmadd_pd,
             _mm512_mul_pd, _mm512_add_pd, _mm512_loadu_pd, _mm512_storeu_pd)
#define CT_GRID4_FAST(S, xc, off, w, P, PS, y) \
    (ct_cpu_avx512f() ? ct_grid_gather4_512_##S(xc, off, w, P, PS, y) : 0)
#define CT_GRIDK_FAST(S, xc, off, w, K, P, PS, y) \
    (ct_cpu_avx512f() ? ct_grid_gatherk_512_##S(xc, off, w, K, P, PS, y) : 0)
#else
#define CT_GRID4_FAST(S, xc, off, w, P, PS, y) 0
#define CT_GRIDK_FAST(S, xc, off, w, K, P, PS, y) 0
#endif

#define CT_GRID(S, T)                                                              \
/* y[p] = sum_k w[k, p] xc[off[k, p]] (rows of the plan PS apart) */            \
CT_MULTIVERSION void ct_grid_gather_##S(const T *restrict xc, const int32_t *restrict off, \
                                        const T *restrict w, int K, int64_t P,     \
                                        int64_t PS, T *restrict y)                 \
{                                                                                  \
    int64_t p;                                                                     \
    if (K == 4) {                                                                  \
        /* bilinear 2-D: the four taps in one pass */                              \
        const int32_t *o1 = off + PS, *o2 = off + 2 * PS, *o3 = off + 3 * PS;      \
        const T *w1 = w + PS, *w2 = w + 2 * PS, *w3 = w + 3 * PS;                  \
        const int64_t p0 = CT_GRID4_FAST(S, xc, off, w, P, PS, y);                 \
        _Pragma("omp simd")                                                        \
        for (p = p0; p < P; p++)                                                   \
            y[p] = (w[p] * xc[off[p]] + w1[p] * xc[o1[p]])                         \
                 + (w2[p] * xc[o2[p]] + w3[p] * xc[o3[p]]);                        \
        return;                                                                    \
    }                                                                              \
    const int64_t p0 = CT_GRIDK_FAST(S, xc, off, w, K, P, PS, y);                  \
    for (p = p0; p < P; p++) y[p] = w[p] * xc[off[p]];                             \
    for (int k = 1; k < K; k++) {                                                  \
        const int32_t *ok_ = off + k * PS;                                         \
        const T *wk = w + k * PS;                                                  \
        for (p = p0; p < P; p++) y[p] += wk[p] * xc[ok_[p]];                       \
    }                                                                              \
}                                                                                  \
/* one channel's share of d(grid) before the unnormalising factors:           \
 * acc[j, p] += g[p] sum_k dw[j, k, p] xc[off[k, p]] */                          \
CT_MULTIVERSION void ct_grid_dgrid_##S(const T *restrict xc, const T *restrict gc,  \
                                       const int32_t *restrict off, const T *restrict dw, \
                                       int K, int nd, int64_t P, int64_t PS,        \
                                       T *restrict acc)                            \
{                                                                                  \
    int64_t p;                                                                     \
    if (K == 4 && nd == 2) {                                                       \
        const int32_t *o1 = off + PS, *o2 = off + 2 * PS, *o3 = off + 3 * PS;      \
        const T *dx0 = dw, *dx1 = dw + PS, *dx2 = dw + 2 * PS, *dx3 = dw + 3 * PS; \
        const T *dy0 = dw + 4 * PS, *dy1 = dw + 5 * PS, *dy2 = dw + 6 * PS,        \
                *dy3 = dw + 7 * PS;                                                \
        T *a1 = acc + PS;                                                          \
        _Pragma("omp simd")                                                        \
        for (p = 0; p < P; p++) {                                                  \
            T v0 = xc[off[p]], v1 = xc[o1[p]], v2 = xc[o2[p]], v3 = xc[o3[p]];     \
            acc[p] += gc[p] * ((dx0[p] * v0 + dx1[p] * v1) + (dx2[p] * v2 + dx3[p] * v3)); \
            a1[p] += gc[p] * ((dy0[p] * v0 + dy1[p] * v1) + (dy2[p] * v2 + dy3[p] * v3)); \
        }                                                                          \
        return;                                                                    \
    }                                                                              \
    for (int j = 0; j < nd; j++) {                                                 \
        T *aj = acc + j * PS;                                                      \
        for (int k = 0; k < K; k++) {                                              \
            const int32_t *ok_ = off + k * PS;                                     \
            const T *dk = dw + (j * K + k) * PS;                                   \
            for (p = 0; p < P; p++) aj[p] += gc[p] * dk[p] * xc[ok_[p]];           \
        }                                                                          \
    }                                                                              \
}                                                                                  \
/* need_dw 0: the derivatives may be left out (the row plans write them     \
 * anyway, into dw) */                                                          \
static void ct_grid_plan_any_##S(const ct_grid_args *a, const T *grid, int64_t n, int K, \
                                 int64_t PS, int32_t *off, T *w, T *dw, T *mult,   \
                                 int need_dw)                                      \
{                                                                                  \
    if (a->nd == 2 && a->mode != 2 && a->padding != 2 && a->gs[3] == 2 && a->gs[4] == 1) \
        ct_grid_plan2_##S(a, grid, n, PS, off, w, dw, mult);                       \
    else                                                                           \
        ct_grid_plan_##S(a, grid, n, K, PS, off, w, need_dw ? dw : NULL, mult);    \
}                                                                                  \
/* 2-D bilinear and bicubic sampling with zeros padding give NaN at a point   \
 * with a NaN coordinate (every tap is out of range, so the plan's weights    \
 * are 0): y (C planes of P points) gets NaN there; gg (P x 2) gets NaN in    \
 * the coordinates whose derivative involves the NaN one (bilinear: the       \
 * other coordinate's, bicubic: both) and 0 in the rest. */                  \
static void ct_grid_nan_points_##S(const ct_grid_args *a, const T *grid, int64_t n, \
                                   T *y, int64_t P, T *gg)                         \
{                                                                                  \
    int64_t p = 0;                                                                 \
    for (int64_t oh = 0; oh < a->OH; oh++)                                         \
    for (int64_t ow = 0; ow < a->OW; ow++, p++) {                                  \
        const T *gp = grid + n * a->gs[0] + oh * a->gs[2] + ow * a->gs[3];         \
        int nx = gp[0] != gp[0], ny = gp[a->gs[4]] != gp[a->gs[4]];                \
        if (!(nx | ny)) continue;                                                  \
        if (y)                                                                     \
            for (int64_t c = 0; c < a->C; c++) y[c * P + p] = (T)NAN;             \
        if (gg) {                                                                  \
            int bic = a->mode == 2;                                                \
            gg[2 * p] = (ny || bic) ? (T)NAN : (T)0;                               \
            gg[2 * p + 1] = (nx || bic) ? (T)NAN : (T)0;                           \
        }                                                                          \
    }                                                                              \
}                                                                                  \
/* image n of the forward: its plan into the buffers, the gathers of its     \
 * channels (split between threads where par), the NaN points */              \
static void ct_grid_fwd_image_##S(const ct_grid_args *a, const T *x, const T *grid, T *y, \
                                  int64_t n, int K, int64_t P, int64_t PS, int32_t *off, \
                                  T *w, int par)                                   \
{                                                                                  \
    T *dw = w + K * PS, *mult = dw + a->nd * K * PS;                               \
    ct_grid_plan_any_##S(a, grid, n, K, PS, off, w, dw, mult, 0);                  \
    int64_t c;                                                                     \
    CT_PARALLEL_IF(par, "omp parallel for schedule(static)",                       \
    for (c = 0; c < a->C; c++) {                                                   \
        ct_grid_gather_##S(x + n * a->xs[0] + c * a->xs[1], off, w, K, P, PS,      \
                           y + (n * a->C + c) * P);                                \
    });                                                                            \
    if (ct_grid_nan_case(a))                                                       \
        ct_grid_nan_points_##S(a, grid, n, y + n * a->C * P, P, NULL);             \
}                                                                                  \
void ct_grid_sample_##S(const ct_grid_args *a, const void *xv, const void *gridv, void *yv) \
{                                                                                  \
    const T *x = (const T *)xv, *grid = (const T *)gridv;                          \
    T *y = (T *)yv;                                                                \
    const int K = ct_grid_taps(a), nd = a->nd;                                     \
    const int64_t P = a->OD * a->OH * a->OW, PS = ct_grid_stride(P, sizeof(T));    \
    const int nt = ct_get_num_threads();                                           \
    const int big = a->C * P * K > 65536 && nt > 1;                                \
    /* as many images as threads: an image, plan and all, per thread (the     \
     * plans are serial work; a plan costs about 16 taps a point), with a     \
     * plan's buffers each */                                                   \
    const int by_image = nt > 1 && a->N >= nt && a->N * P * (a->C * K + 16) > 65536; \
    const int nbuf = by_image ? nt : 1;                                            \
    const size_t wlen = (size_t)(K * PS * (1 + nd) + nd * PS);                     \
    int32_t *off = (int32_t *)malloc(sizeof(int32_t) * K * PS * nbuf);             \
    T *w = (T *)malloc(sizeof(T) * wlen * nbuf);                                   \
    if (!off || !w) { free(off); free(w); return; }                                \
    int64_t n;                                                                     \
    if (by_image) {                                                                \
        _Pragma("omp parallel for num_threads(nt) schedule(static)")               \
        for (n = 0; n < a->N; n++) {                                               \
            const int t = omp_get_thread_num();                                    \
            ct_grid_fwd_image_##S(a, x, grid, y, n, K, P, PS, off + (size_t)t * K * PS, \
                                  w + (size_t)t * wlen, 0);                        \
        }                                                                          \
    } else {                                                                       \
        for (n = 0; n < a->N; n++)                                                 \
            ct_grid_fwd_image_##S(a, x, grid, y, n, K, P, PS, off, w, big);        \
    }                                                                              \
    free(off);                                                                     \
    free(w);                                                                       \
}                                                                                  \
void ct_grid_sample_bwd_##S(const ct_grid_args *a, const void *gv, const void *xv,  \
                            const void *gridv, void *gxv, void *ggv)               \
{                                                                                  \
    const T *g = (const T *)gv, *x = (const T *)xv, *grid = (const T *)gridv;      \
    T *gx = (T *)gxv, *gg = (T *)ggv;                                              \
    int K = ct_grid_taps(a), nd = a->nd;                                           \
    int64_t P = a->OD * a->OH * a->OW, plane = a->ID * a->IH * a->IW;              \
    int64_t PS = ct_grid_stride(P, sizeof(T));                                     \
    int32_t *off = (int32_t *)malloc(sizeof(int32_t) * K * PS);                    \
    T *w = (T *)malloc(sizeof(T) * K * PS * (1 + nd) + sizeof(T) * 2 * nd * PS);   \
    if (!off || !w) { free(off); free(w); return; }                                \
    T *dw = w + K * PS, *mult = dw + nd * K * PS, *acc = mult + nd * PS;           \
    for (int64_t n = 0; n < a->N; n++) {                                           \
        ct_grid_plan_any_##S(a, grid, n, K, PS, off, w, dw, mult, 1);              \
        if (gx) {                                                                  \
            int64_t c;                                                             \
            CT_PARALLEL_IF(a->C * P * K > 65536 && ct_get_num_threads() > 1, "omp parallel for schedule(static)", \
            for (c = 0; c < a->C; c++) {                                           \
                const T *gc = g + (n * a->C + c) * P;                              \
                T *gxc = gx + (n * a->C + c) * plane;                              \
                for (int k = 0; k < K; k++) {                                      \
                    const int32_t *ok_ = off + k * PS;                             \
                    const T *wk = w + k * PS;                                      \
                    for (int64_t p = 0; p < P; p++) gxc[ok_[p]] += wk[p] * gc[p];  \
                }                                                                  \
            });                                                                    \
        }                                                                          \
        if (gg) {                                                                  \
            memset(acc, 0, sizeof(T) * nd * PS);                                   \
            if (a->mode != 1) {                                                    \
                for (int64_t c = 0; c < a->C; c++)                                 \
                    ct_grid_dgrid_##S(x + n * a->xs[0] + c * a->xs[1], g + (n * a->C + c) * P, \
                                      off, dw, K, nd, P, PS, acc);                 \
            }                                                                      \
            T *ggn = gg + n * P * nd;                                              \
            for (int64_t p = 0; p < P; p++)                                        \
                for (int j = 0; j < nd; j++) ggn[p * nd + j] = acc[j * PS + p] * mult[j * PS + p]; \
            if (ct_grid_nan_case(a))                                               \
                ct_grid_nan_points_##S(a, grid, n, NULL, P, ggn);                  \
        }                                                                          \
    }                                                                              \
    free(off);                                                                     \
    free(w);                                                                       \
}
CT_GRID(f32, float)
CT_GRID(f64, double)

ct_grid_fn ct_grid_sample_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ct_grid_sample_f32, [CT_FLOAT64] = ct_grid_sample_f64,
};
ct_grid_bwd_fn ct_grid_sample_bwd_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ct_grid_sample_bwd_f32, [CT_FLOAT64] = ct_grid_sample_bwd_f64,
};
