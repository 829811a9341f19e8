/* im2col and col2im (conv.h): the data movement of the convolutions. Each
 * plane (one channel of one batch element) is independent, so the planes are
 * spread over OpenMP threads; within a plane the innermost loop runs along
 * the last dim's windows, split into the part that reads padding (zeros)
 * and the part inside the input (a copy, unit-stride when the stride is 1).
 * With unit stride along the last dim, float32 and float64 rows move as
 * AVX-512 vectors where the CPU has them (below). */
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include "conv.h"
#include "strided.h"
#include "matmul.h"     /* ct_sgemm_tile */

/* less work than this (elements moved) stays on one thread */
#define CT_CONV_GRAIN 65536

/* first and one-past-last window o along a dim with o * s - p + off in [0, n) */
static inline void ct_conv_range(int64_t n, int64_t out, int64_t s, int64_t off,
                                 int64_t *lo, int64_t *hi)
{
    /* o * s + off >= 0  <=>  o >= ceil(-off / s) */
    int64_t a = off >= 0 ? 0 : (-off + s - 1) / s;
    /* o * s + off <= n - 1  <=>  o <= floor((n - 1 - off) / s) */
    int64_t b = n - 1 - off < 0 ? -1 : (n - 1 - off) / s;
    if (a > out) a = out;
    if (b + 1 < a) b = a - 1;
    if (b + 1 > out) b = out - 1;
    *lo = a;
    *hi = b + 1;
}

/* 1 inside a parallel region (a fused driver's team): the loops then run on
 * the calling thread, without a nested region */
static inline int ct_conv_in_team(void)
{
#ifdef _OPENMP
    return omp_in_parallel();
#else
    return 0;
#endif
}

#define CT_IM2COL(S, T)                                                            \
typedef void (*ct_col2im_plane_##S##_fn)(const T *, T *, const ct_conv_geom *, int64_t, int); \
CT_MULTIVERSION static void ct_im2col_plane_##S(const T *x, T *col, const ct_conv_geom *g, int64_t ls) \
{                                                                                  \
    const int64_t I0 = g->in[0], I1 = g->in[1], I2 = g->in[2];                     \
    const int64_t O0 = g->out[0], O1 = g->out[1], O2 = g->out[2];                  \
    for (int64_t a = 0; a < g->k[0]; a++)                                          \
    for (int64_t b = 0; b < g->k[1]; b++)                                          \
    for (int64_t c = 0; c < g->k[2]; c++) {                                        \
        T *row = col + ((a * g->k[1] + b) * g->k[2] + c) * ls;                      \
        int64_t off2 = c * g->d[2] - g->p[2], lo, hi;                              \
        ct_conv_range(I2, O2, g->s[2], off2, &lo, &hi);                            \
        for (int64_t o0 = 0; o0 < O0; o0++) {                                      \
            int64_t i0 = o0 * g->s[0] - g->p[0] + a * g->d[0];                     \
            for (int64_t o1 = 0; o1 < O1; o1++) {                                  \
                int64_t i1 = o1 * g->s[1] - g->p[1] + b * g->d[1];                 \
                T *r = row + (o0 * O1 + o1) * O2;                                  \
                if (i0 < 0 || i0 >= I0 || i1 < 0 || i1 >= I1) {                    \
                    for (int64_t o = 0; o < O2; o++) r[o] = (T)0;                  \
                    continue;                                                      \
                }                                                                  \
                const T *xr = x + (i0 * I1 + i1) * I2 + off2;                      \
                for (int64_t o = 0; o < lo; o++) r[o] = (T)0;                      \
                if (g->s[2] == 1) {                                                \
                    if (hi > lo) memcpy(r + lo, xr + lo, (size_t)(hi - lo) * sizeof(T)); \
                } else if (g->s[2] == 2) {                                         \
                    /* every other element: vector even/odd shuffles */           \
                    for (int64_t o = lo; o < hi; o++) r[o] = xr[2 * o];            \
                } else {                                                           \
                    const int64_t s2 = g->s[2];                                    \
                    for (int64_t o = lo; o < hi; o++) r[o] = xr[o * s2];           \
                }                                                                  \
                for (int64_t o = hi; o < O2; o++) r[o] = (T)0;                     \
            }                                                                      \
        }                                                                          \
    }                                                                              \
}                                                                                  \
CT_MULTIVERSION static void ct_col2im_plane_##S(const T *col, T *x, const ct_conv_geom *g, int64_t ls, \
                                                int add)                           \
{                                                                                  \
    const int64_t I0 = g->in[0], I1 = g->in[1], I2 = g->in[2];                     \
    const int64_t O0 = g->out[0], O1 = g->out[1], O2 = g->out[2];                  \
    if (!add)                                                                      \
        for (int64_t i = 0; i < I0 * I1 * I2; i++) x[i] = (T)0;                    \
    for (int64_t a = 0; a < g->k[0]; a++)                                          \
    for (int64_t b = 0; b < g->k[1]; b++)                                          \
    for (int64_t c = 0; c < g->k[2]; c++) {                                        \
        const T *row = col + ((a * g->k[1] + b) * g->k[2] + c) * ls;               \
        int64_t off2 = c * g->d[2] - g->p[2], lo, hi;                              \
        ct_conv_range(I2, O2, g->s[2], off2, &lo, &hi);                            \
        for (int64_t o0 = 0; o0 < O0; o0++) {                                      \
            int64_t i0 = o0 * g->s[0] - g->p[0] + a * g->d[0];                     \
            if (i0 < 0 || i0 >= I0) continue;                                      \
            for (int64_t o1 = 0; o1 < O1; o1++) {                                  \
                int64_t i1 = o1 * g->s[1] - g->p[1] + b * g->d[1];                 \
                if (i1 < 0 || i1 >= I1) continue;                                  \
                const T *r = row + (o0 * O1 + o1) * O2;                            \
                T *xr = x + (i0 * I1 + i1) * I2 + off2;                            \
                const int64_t s2 = g->s[2];                                        \
                if (s2 == 1) {                                                     \
                    for (int64_t o = lo; o < hi; o++) xr[o] += r[o];               \
                } else {                                                           \
                    for (int64_t o = lo; o < hi; o++) xr[o * s2] += r[o];          \
                }                                                                  \
            }                                                                      \
        }                                                                          \
    }                                                                              \
}

#define CT_IM2COL_DRIVERS(S, T)                                                    \
static void ct_im2col_ls_##S(const void *x, void *cols, int64_t planes,            \
                             const ct_conv_geom *g, int64_t ls)                    \
{                                                                                  \
    const int64_t vol = g->in[0] * g->in[1] * g->in[2];                            \
    const int64_t K = g->k[0] * g->k[1] * g->k[2];                                 \
    const int64_t L = g->out[0] * g->out[1] * g->out[2];                           \
    void (*plane)(const T *, T *, const ct_conv_geom *, int64_t) = ct_im2col_pick_##S(g); \
    int nt = ct_conv_in_team() ? 1 : ct_get_num_threads();                         \
    if (nt > 1 && planes > 1 && planes * K * L >= CT_CONV_GRAIN) {                 \
        _Pragma("omp parallel for num_threads(nt) schedule(static)")               \
        for (int64_t q = 0; q < planes; q++)                                       \
            plane((const T *)x + q * vol, (T *)cols + q * K * ls, g, ls);          \
    } else {                                                                       \
        for (int64_t q = 0; q < planes; q++)                                       \
            plane((const T *)x + q * vol, (T *)cols + q * K * ls, g, ls);          \
    }                                                                              \
}                                                                                  \
void ct_im2col_##S(const void *x, void *cols, int64_t planes, const ct_conv_geom *g) \
{                                                                                  \
    ct_im2col_ls_##S(x, cols, planes, g, g->out[0] * g->out[1] * g->out[2]);       \
}                                                                                  \
static void ct_col2im_run_##S(const void *cols, void *x, int64_t planes,            \
                              const ct_conv_geom *g, int64_t ls, int cached, int add) \
{                                                                                  \
    const int64_t vol = g->in[0] * g->in[1] * g->in[2];                            \
    const int64_t kl = g->k[0] * g->k[1] * g->k[2] * ls;                           \
    ct_col2im_plane_##S##_fn plane = ct_col2im_pick_##S(g, cached);                \
    int nt = ct_conv_in_team() ? 1 : ct_get_num_threads();                         \
    if (nt > 1 && planes > 1 && planes * kl >= CT_CONV_GRAIN) {                    \
        _Pragma("omp parallel for num_threads(nt) schedule(static)")               \
        for (int64_t q = 0; q < planes; q++)                                       \
            plane((const T *)cols + q * kl, (T *)x + q * vol, g, ls, add);         \
    } else {                                                                       \
        for (int64_t q = 0; q < planes; q++)                                       \
            plane((const T *)cols + q * kl, (T *)x + q * vol, g, ls, add);         \
    }                                                                              \
}                                                                                  \
void ct_col2im_##S(const void *cols, void *x, int64_t planes, const ct_conv_geom *g) \
{                                                                                  \
    ct_col2im_run_##S(cols, x, planes, g, g->out[0] * g->out[1] * g->out[2], 0, 0); \
}

/* ---- unit stride along the last dim, float32 / float64, AVX-512 -----------
 * im2col of rows of up to CT_CONV_ZV vectors (a small or middling image's):
 * each vector of a row is a masked load of the window's part inside the input
 * row (the masked-off lanes, padding, read nothing and come back as 0) and a
 * store, instead of a call to memcpy and two scalar loops. col2im runs the other way round: per
 * vector of an input row, the sum of every column row that reads it, in
 * registers, stored once (adding row by row into the input would load each
 * vector right after a masked store that partly overlaps it, which the CPU
 * cannot forward). Its sums are the same, in the same order, as the scalar
 * loops'. Chosen at run time on CPUs with AVX-512F, and in their AVX2 form
 * (8 floats or 4 doubles a vector) on CPUs with AVX2 but not AVX-512F. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 9
#define CT_CONV_X86 1
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma,bmi2")

/* lanes lo <= j < hi of a vector of W (lo, hi clamped to [0, W]) */
static inline uint32_t ct_conv_lanes(int64_t lo, int64_t hi, int W)
{
    if (lo < 0) lo = 0;
    if (hi > W) hi = W;
    if (hi <= lo) return 0;
    uint32_t top = hi >= 32 ? 0xFFFFFFFFu : (1u << hi) - 1;
    return top & ~((1u << lo) - 1);
}

/* the most kernel offsets along the last dim whose masks col2im keeps */
#define CT_CONV_ZK 32
/* the most kernel offsets along the first two dims of the vector col2im */
#define CT_CONV_ZT 64
/* the most vectors in a row of the vector im2col */
#define CT_CONV_ZV 16

/* im2col: rows of at most W (out[2] <= W) */
#define CT_IM2COL_Z(S, T, W, MT, V, LOADZ, STOREM, STOREU, ZERO, ADD)              \
static void ct_im2col_plane_z_##S(const T *x, T *col, const ct_conv_geom *g, int64_t ls) \
{                                                                                  \
    const int64_t I0 = g->in[0], I1 = g->in[1], I2 = g->in[2];                     \
    const int64_t O0 = g->out[0], O1 = g->out[1], O2 = g->out[2];                  \
    const int64_t k0 = g->k[0], k1 = g->k[1], k2 = g->k[2];                        \
    const int64_t s0 = g->s[0], s1 = g->s[1], p0 = g->p[0], p1 = g->p[1], p2 = g->p[2]; \
    const int64_t d0 = g->d[0], d1 = g->d[1], d2 = g->d[2];                        \
    const int64_t L = O0 * O1 * O2;                                                \
    const MT all0 = (MT)ct_conv_lanes(0, O2, W);                                   \
    for (int64_t a = 0; a < k0; a++)                                               \
    for (int64_t b = 0; b < k1; b++)                                               \
    for (int64_t c = 0; c < k2; c++) {                                             \
        T *r = col + ((a * k1 + b) * k2 + c) * ls;                                 \
        const int64_t off2 = c * d2 - p2;                                          \
        int64_t lo, hi;                                                            \
        ct_conv_range(I2, O2, 1, off2, &lo, &hi);                                  \
        const MT in0 = (MT)ct_conv_lanes(lo, hi, W);                               \
        /* rows past `tail` are the ones whose vector would pass the block's  \
           end: stored with a mask. The others are stored as a whole vector,   \
           what passes the row's end landing on the rows after it, stored      \
           later (a masked store costs several plain ones) */                  \
        const int64_t tail = L - W;                                                \
        int64_t at = 0;                                                            \
        for (int64_t o0 = 0; o0 < O0; o0++) {                                      \
            const int64_t i0 = o0 * s0 - p0 + a * d0;                              \
            const int in0ok = i0 >= 0 && i0 < I0;                                  \
            for (int64_t o1 = 0; o1 < O1; o1++, r += O2, at += O2) {               \
                const int64_t i1 = o1 * s1 - p1 + b * d1;                          \
                const int inside = in0ok && i1 >= 0 && i1 < I1;                    \
                const T *xr = x + ((inside ? i0 * I1 + i1 : 0) * I2 + off2);       \
                V v = inside ? LOADZ(in0, xr) : ZERO();                            \
                if (at <= tail) STOREU(r, v);                                      \
                else STOREM(r, all0, v);                                           \
            }                                                                      \
        }                                                                          \
    }                                                                              \
}                                                                                  \
/* im2col: rows of 2 to CT_CONV_ZV vectors (W < out[2] <= CT_CONV_ZV W), each    \
   vector a masked load (the lanes that read the input row) and a store */     \
static void ct_im2col_plane_zv_##S(const T *x, T *col, const ct_conv_geom *g, int64_t ls) \
{                                                                                  \
    const int64_t I0 = g->in[0], I1 = g->in[1], I2 = g->in[2];                     \
    const int64_t O0 = g->out[0], O1 = g->out[1], O2 = g->out[2];                  \
    const int64_t k0 = g->k[0], k1 = g->k[1], k2 = g->k[2];                        \
    const int64_t s0 = g->s[0], s1 = g->s[1], p0 = g->p[0], p1 = g->p[1], p2 = g->p[2]; \
    const int64_t d0 = g->d[0], d1 = g->d[1], d2 = g->d[2];                        \
    const int64_t L = O0 * O1 * O2;                                                \
    const int64_t nv = (O2 + W - 1) / W, last = (nv - 1) * W;                      \
    const MT lastm = (MT)ct_conv_lanes(0, O2 - last, W);                           \
    /* rows up to `tail` store their last vector whole (what passes the row's  \
       end lands on the next row, stored later); the rows after it with a mask */ \
    const int64_t tail = L - last - W;                                             \
    MT mk[CT_CONV_ZV];                                                             \
    for (int64_t a = 0; a < k0; a++)                                               \
    for (int64_t b = 0; b < k1; b++)                                               \
    for (int64_t c = 0; c < k2; c++) {                                             \
        T *r = col + ((a * k1 + b) * k2 + c) * ls;                                 \
        const int64_t off2 = c * d2 - p2;                                          \
        int64_t lo, hi;                                                            \
        ct_conv_range(I2, O2, 1, off2, &lo, &hi);                                  \
        for (int64_t j = 0; j < nv; j++)                                           \
            mk[j] = (MT)ct_conv_lanes(lo - j * W, hi - j * W, W);                  \
        int64_t at = 0;                                                            \
        for (int64_t o0 = 0; o0 < O0; o0++) {                                      \
            const int64_t i0 = o0 * s0 - p0 + a * d0;                              \
            const int in0ok = i0 >= 0 && i0 < I0;                                  \
            for (int64_t o1 = 0; o1 < O1; o1++, r += O2, at += O2) {               \
                const int64_t i1 = o1 * s1 - p1 + b * d1;                          \
                V v;                                                               \
                if (in0ok && i1 >= 0 && i1 < I1) {                                 \
                    const T *xr = x + (i0 * I1 + i1) * I2 + off2;                  \
                    for (int64_t j = 0; j < nv - 1; j++)                           \
                        STOREU(r + j * W, LOADZ(mk[j], xr + j * W));               \
                    v = LOADZ(mk[nv - 1], xr + last);                              \
                } else {                                                           \
                    v = ZERO();                                                    \
                    for (int64_t j = 0; j < nv - 1; j++) STOREU(r + j * W, v);     \
                }                                                                  \
                if (at <= tail) STOREU(r + last, v);                               \
                else STOREM(r + last, lastm, v);                                   \
            }                                                                      \
        }                                                                          \
    }                                                                              \
}                                                                                  \
static void ct_col2im_plane_z_##S(const T *col, T *x, const ct_conv_geom *g, int64_t ls, int add) \
{                                                                                  \
    const int64_t I0 = g->in[0], I1 = g->in[1], I2 = g->in[2];                     \
    const int64_t O0 = g->out[0], O1 = g->out[1], O2 = g->out[2];                  \
    const int64_t k0 = g->k[0], k1 = g->k[1], k2 = g->k[2];                        \
    const int64_t s0 = g->s[0], s1 = g->s[1], p0 = g->p[0], p1 = g->p[1], p2 = g->p[2]; \
    const int64_t d0 = g->d[0], d1 = g->d[1], d2 = g->d[2];                        \
    const int64_t V0 = I0 * I1 * I2;                                               \
    /* per kernel offset c along the last dim, for the first vector of a row:  \
       the lanes j that read a window (o = j - off2 in [0, O2)) */             \
    MT m0[CT_CONV_ZK];                                                             \
    const int keep = k2 <= CT_CONV_ZK;                                             \
    for (int64_t c = 0; keep && c < k2; c++) {                                     \
        int64_t off2 = c * d2 - p2;                                                \
        m0[c] = (MT)(ct_conv_lanes(off2, O2 + off2, W) & ct_conv_lanes(0, I2, W)); \
    }                                                                              \
    /* the rows some window reads (o s - p + a d, o < O, a < k) */              \
    const int64_t lo0 = p0 < 0 ? -p0 : 0, lo1 = p1 < 0 ? -p1 : 0;                  \
    const int64_t hi0 = (O0 - 1) * s0 - p0 + (k0 - 1) * d0 + 1;                    \
    const int64_t hi1 = (O1 - 1) * s1 - p1 + (k1 - 1) * d1 + 1;                    \
    int64_t taps[CT_CONV_ZT];                                                      \
    for (int64_t i0 = 0; i0 < I0; i0++)                                            \
    for (int64_t i1 = 0; i1 < I1; i1++) {                                          \
        T *xr = x + (i0 * I1 + i1) * I2;                                           \
        /* the row's taps (a, b) and their windows (o0, o1): where their       \
           column rows start (divisions once a row, none for stride 1) */      \
        int nt_ = 0;                                                               \
        if (i0 >= lo0 && i0 < hi0 && i1 >= lo1 && i1 < hi1)                        \
            for (int64_t a = 0; a < k0; a++) {                                     \
                const int64_t n0 = i0 + p0 - a * d0;                               \
                const int64_t o0 = s0 == 1 ? n0 : n0 / s0;                         \
                if (n0 < 0 || o0 * s0 != n0 || o0 >= O0) continue;                 \
                for (int64_t b = 0; b < k1; b++) {                                 \
                    const int64_t n1 = i1 + p1 - b * d1;                           \
                    const int64_t o1 = s1 == 1 ? n1 : n1 / s1;                     \
                    if (n1 < 0 || o1 * s1 != n1 || o1 >= O1) continue;             \
                    taps[nt_++] = (a * k1 + b) * k2 * ls + (o0 * O1 + o1) * O2;    \
                }                                                                  \
            }                                                                      \
        if (nt_ == 0) {                                                            \
            /* no window reads the row: 0, or left as it is when adding */       \
            if (!add) memset(xr, 0, (size_t)I2 * sizeof(T));                       \
            continue;                                                              \
        }                                                                          \
        for (int64_t j0 = 0; j0 < I2; j0 += W) {                                   \
            /* a vector that passes the row's end but not the plane's lands on \
               the rows after it, stored later (read whole when adding) */     \
            const int whole = j0 + W <= I2 || (i0 * I1 + i1) * I2 + j0 + W <= V0;   \
            const MT own = whole ? (MT)ct_conv_lanes(0, W, W) : (MT)ct_conv_lanes(0, I2 - j0, W); \
            /* two taps at a time, into two sums (two chains of additions) */   \
            V acc = add ? LOADZ(own, xr + j0) : ZERO(), acc2 = ZERO();             \
            for (int t = 0; t < nt_; t += 2) {                                     \
                const T *r = col + taps[t] + j0;                                   \
                const T *r2 = col + taps[t + 1 < nt_ ? t + 1 : t] + j0;            \
                for (int64_t c = 0; c < k2; c++, r += ls, r2 += ls) {              \
                    /* x[j] += r[j - off2] */                                      \
                    const int64_t off2 = c * d2 - p2;                              \
                    MT m = j0 == 0 && keep ? m0[c]                                 \
                         : (MT)(ct_conv_lanes(off2 - j0, O2 + off2 - j0, W)        \
                                & ct_conv_lanes(0, I2 - j0, W));                   \
                    if (m) {                                                       \
                        acc = ADD(acc, LOADZ(m, r - off2));                        \
                        if (t + 1 < nt_) acc2 = ADD(acc2, LOADZ(m, r2 - off2));    \
                    }                                                              \
                }                                                                  \
            }                                                                      \
            acc = ADD(acc, acc2);                                                  \
            if (whole) STOREU(xr + j0, acc);                                       \
            else STOREM(xr + j0, own, acc);                                        \
        }                                                                          \
    }                                                                              \
}

CT_IM2COL_Z(f32, float, 16, __mmask16, __m512, _mm512_maskz_loadu_ps, _mm512_mask_storeu_ps,
            _mm512_storeu_ps, _mm512_setzero_ps, _mm512_add_ps)
CT_IM2COL_Z(f64, double, 8, __mmask8, __m512d, _mm512_maskz_loadu_pd, _mm512_mask_storeu_pd,
            _mm512_storeu_pd, _mm512_setzero_pd, _mm512_add_pd)

/* acc[r] += the sum of a's row r (rows x L), over 4 vector running sums */
#define CT_CONV_ROW_SUMS_Z(S, T, W, MT, V, LOADU, LOADZ, ADD, ZERO, HSUM)         \
static void ct_conv_row_sums_z_##S(const T *a, int64_t rows, int64_t L, T *acc)    \
{                                                                                  \
    for (int64_t r = 0; r < rows; r++) {                                           \
        const T *ar = a + r * L;                                                   \
        V p0 = ZERO(), p1 = ZERO(), p2 = ZERO(), p3 = ZERO();                      \
        int64_t l = 0;                                                             \
        for (; l + 4 * W <= L; l += 4 * W) {                                       \
            p0 = ADD(p0, LOADU(ar + l));                                           \
            p1 = ADD(p1, LOADU(ar + l + W));                                       \
            p2 = ADD(p2, LOADU(ar + l + 2 * W));                                   \
            p3 = ADD(p3, LOADU(ar + l + 3 * W));                                   \
        }                                                                          \
        for (; l < L; l += W)                                                      \
            p0 = ADD(p0, LOADZ((MT)ct_conv_lanes(0, L - l, W), ar + l));           \
        acc[r] += HSUM(ADD(ADD(p0, p2), ADD(p1, p3)));                             \
    }                                                                              \
}
CT_CONV_ROW_SUMS_Z(f32, float, 16, __mmask16, __m512, _mm512_loadu_ps, _mm512_maskz_loadu_ps,
                   _mm512_add_ps, _mm512_setzero_ps, _mm512_reduce_add_ps)
CT_CONV_ROW_SUMS_Z(f64, double, 8, __mmask8, __m512d, _mm512_loadu_pd, _mm512_maskz_loadu_pd,
                   _mm512_add_pd, _mm512_setzero_pd, _mm512_reduce_add_pd)

#pragma GCC pop_options

/* The same loops on AVX2 (CPUs without AVX-512): masks as the bits of a
 * word, made into vector masks for vmaskmovps / vmaskmovpd (which read
 * nothing in the masked-off lanes) */
#pragma GCC push_options
#pragma GCC target("avx2,fma")
static inline __m256i ct_conv_ym32(uint32_t m)
{
    const __m256i b = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
    return _mm256_cmpeq_epi32(_mm256_and_si256(_mm256_set1_epi32((int)m), b), b);
}
static inline __m256i ct_conv_ym64(uint32_t m)
{
    const __m256i b = _mm256_setr_epi64x(1, 2, 4, 8);
    return _mm256_cmpeq_epi64(_mm256_and_si256(_mm256_set1_epi64x((int64_t)m), b), b);
}
#define CT_CONV_YLOADZ_PS(m, p) _mm256_maskload_ps((p), ct_conv_ym32(m))
#define CT_CONV_YSTOREM_PS(p, m, v) _mm256_maskstore_ps((p), ct_conv_ym32(m), (v))
#define CT_CONV_YLOADZ_PD(m, p) _mm256_maskload_pd((p), ct_conv_ym64(m))
#define CT_CONV_YSTOREM_PD(p, m, v) _mm256_maskstore_pd((p), ct_conv_ym64(m), (v))
CT_IM2COL_Z(yf32, float, 8, uint32_t, __m256, CT_CONV_YLOADZ_PS, CT_CONV_YSTOREM_PS,
            _mm256_storeu_ps, _mm256_setzero_ps, _mm256_add_ps)
CT_IM2COL_Z(yf64, double, 4, uint32_t, __m256d, CT_CONV_YLOADZ_PD, CT_CONV_YSTOREM_PD,
            _mm256_storeu_pd, _mm256_setzero_pd, _mm256_add_pd)
#pragma GCC pop_options

/* 1 when the CPU (and the OS) run AVX-512F code */
static int ct_conv_avx512(void)
{
    static int ok = -1;
    if (ok < 0) {
        __builtin_cpu_init();
        ok = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")
             && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq")
             && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")
             && __builtin_cpu_supports("bmi2");
    }
    return ok;
}

/* ---- direct convolution: float32, unit dilations, AVX-512 -------------------
 * y[n] (R x L) = w (R x Q) @ im2col(x[n]) with no columns made. Each image
 * is first copied into a zero-padded one (planes of Dp x Hp x Wp, Dp =
 * out[0] + k[0] - 1 and so on: a ninth of the columns' size for 3 x 3), in
 * whose flattened plane the window (o0, o1, o2) sits at w = (o0 Hp + o1) Wp
 * + o2 and reads tap (a, b, c) at w + (a Hp + b) Wp + c. With strides, the
 * padded image is split into the strides' phases (s0 s1 s2 planes of Dp =
 * out[0] + (k[0] - 1) / s0 and so on; phase (a % s0, b % s1, c % s2) holds
 * every s-th value from there), and tap (a, b, c) reads its phase's plane
 * at w + (a / s0 Hp + b / s1) Wp + c / s2: the same tiles (a 3-channel 7 x 7
 * stride 2 convolution ran 1.15x the columns' path's speed on two threads,
 * a 3 x 3 stride 2 one of 16 channels 1.25x, a 3-d one 1.65x). 16 consecutive
 * windows are one plain load per tap and input channel, the windows past
 * a row's end (o2 >= out[2]: k[2] - 1 of every Wp) computed and never
 * stored. A tile of CT_DC_V such vectors (48 windows) times CT_DC_C output
 * channels keeps its 24 sums in registers over the whole of Q; each input
 * vector serves 8 channels, each weight 3 vectors. The columns' writes and
 * reads (13% of 64 channels of 56 x 56 through 3 x 3, 35% of 16 channels
 * of 16^3 through 3^3) are gone; masked loads of the unpadded input (two
 * where 16 windows cross a row's end) ran 25% slower than plain ones. */
#pragma GCC push_options
#pragma GCC target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma,bmi2")
#define CT_DC_V 3
#define CT_DC_C 8
#define CT_DC_CB 8
#define CT_DC_KMAX 125
#define CT_DC_OWN ((size_t)64 << 20)

/* the padded plane's rows and y's (rows: the padded windows of a plane's
 * out[1] rows, the ones tiles cover) */
typedef struct {
    int64_t Hp, Wp, O1, O2, L, rows;
} ct_dc_geo;
/* the pieces of the 16 padded windows from w of plane o0 that are kept,
 * as stores: piece k's lanes mk[k] of a vector go to at[k] on in a
 * channel's y (those past a row's end dropped); their count, at most 17 */
static int ct_dc_pieces(const ct_dc_geo *e, int64_t o0, int64_t w, int64_t *at, __mmask16 *mk)
{
    /* the lanes by rows of the padded plane: lanes s .. of row o1 from o2 on */
    int64_t r = w - o0 * e->Hp * e->Wp, o1 = r / e->Wp, o2 = r % e->Wp;
    int n = 0;
    for (int64_t s = 0; s < 16 && o1 < e->O1; o1++, o2 = 0) {
        const int64_t len = e->Wp - o2 < 16 - s ? e->Wp - o2 : 16 - s;
        if (o2 < e->O2) {
            const int64_t keep = e->O2 - o2 < len ? e->O2 - o2 : len;
            at[n] = (o0 * e->O1 + o1) * e->O2 + o2 - s;
            mk[n++] = (__mmask16)ct_conv_lanes(s, s + keep, 16);
        }
        s += len;
    }
    return n;
}
/* a tile's stores: each of its vectors' pieces (n[v] of them, none for a
 * vector past the plane's windows), the same for every block of channels */
typedef struct {
    int64_t at[CT_DC_V][17];
    __mmask16 mk[CT_DC_V][17];
    int n[CT_DC_V];
} ct_dc_stores;
/* the stores of the tile of windows w0 .. w0 + 47 of plane o0, of which nv
 * vectors hold windows to keep */
static void ct_dc_tile_stores(const ct_dc_geo *e, int64_t o0, int64_t w0, int nv, ct_dc_stores *st)
{
    for (int v = 0; v < CT_DC_V; v++)
        st->n[v] = v < nv ? ct_dc_pieces(e, o0, w0 + 16 * v, st->at[v], st->mk[v]) : 0;
}
/* one tile (windows w0 .. w0 + 47 of the padded image, stored by st) times
 * one block of nco <= CT_DC_C output channels: xp the padded image (planes
 * P apart), off the taps' offsets, wp the block's packed weights
 * ([t][ci][CT_DC_C]), b8 its CT_DC_C biases or NULL, y the block's first
 * channel (L values each) */
#define CT_DC_J(M, v) M(v, 0) M(v, 1) M(v, 2) M(v, 3) M(v, 4) M(v, 5) M(v, 6) M(v, 7)
#define CT_DC_ALL(M) CT_DC_J(M, 0) CT_DC_J(M, 1) CT_DC_J(M, 2)
static void ct_dc_tile(const float *xp, int64_t P, int64_t C, int64_t K, const int64_t *off,
                       const float *wp, const float *b8, float *y, int64_t L,
                       const ct_dc_stores *st, int64_t w0, int nco)
{
    /* (the 24 sums named variables: GCC kept an array of them on the stack) */
#define CT_DC_INIT(v, j) __m512 a##v##_##j = b8 ? _mm512_set1_ps(b8[j]) : _mm512_setzero_ps();
    CT_DC_ALL(CT_DC_INIT)
#undef CT_DC_INIT
    /* CT_DC_CB input channels at a time, all their taps */
    for (int64_t c0 = 0; c0 < C; c0 += CT_DC_CB)
    for (int64_t t = 0; t < K; t++) {
        const float *wt = wp + (t * C + c0) * CT_DC_C, *xc = xp + c0 * P + w0 + off[t];
        const int64_t c1 = C - c0 < CT_DC_CB ? C : c0 + CT_DC_CB;
        for (int64_t ci = c0; ci < c1; ci++, xc += P, wt += CT_DC_C) {
            const __m512 x0 = _mm512_loadu_ps(xc), x1 = _mm512_loadu_ps(xc + 16);
            const __m512 x2 = _mm512_loadu_ps(xc + 32);
            /* a weight broadcast once into a scratch register for its three
             * fmas (24 sums, 3 inputs and the scratch: none spilled; GCC
             * broadcast all 8 first and spilled sums) */
#define CT_DC_FMA3(j)                                                              \
            {                                                                      \
                __m512 w_;                                                         \
                __asm__("vbroadcastss %[w], %[t]\n\t"                              \
                        "vfmadd231ps %[t], %[x0], %[a0]\n\t"                        \
                        "vfmadd231ps %[t], %[x1], %[a1]\n\t"                        \
                        "vfmadd231ps %[t], %[x2], %[a2]"                            \
                        : [a0] "+v"(a0_##j), [a1] "+v"(a1_##j), [a2] "+v"(a2_##j), [t] "=&v"(w_) \
                        : [x0] "v"(x0), [x1] "v"(x1), [x2] "v"(x2), [w] "m"(wt[j])); \
            }
            CT_DC_FMA3(0) CT_DC_FMA3(1) CT_DC_FMA3(2) CT_DC_FMA3(3)
            CT_DC_FMA3(4) CT_DC_FMA3(5) CT_DC_FMA3(6) CT_DC_FMA3(7)
#undef CT_DC_FMA3
        }
    }
#define CT_DC_STORE(v, j)                                                          \
    if (j < nco)                                                                   \
        for (int k = 0; k < st->n[v]; k++)                                         \
            _mm512_mask_storeu_ps(y + j * L + st->at[v][k], st->mk[v][k], a##v##_##j);
    CT_DC_ALL(CT_DC_STORE)
#undef CT_DC_STORE
}
#pragma GCC pop_options

#endif

/* the plane loops of a geometry: the vector ones for unit stride along the
 * last dim where the CPU has them (im2col: for rows of up to CT_CONV_ZV
 * vectors, where they pay; a longer row's copy is as fast as memcpy; col2im: for
 * columns in cache, just made by a product, where reading each input row's
 * columns where they lie pays), the scalar ones otherwise */
#ifdef CT_CONV_X86
#define CT_IM2COL_PICK_Z(S, T)                                                     \
static void (*ct_im2col_pick_##S(const ct_conv_geom *g))(const T *, T *, const ct_conv_geom *, int64_t) \
{                                                                                  \
    const int64_t row = g->out[2] * (int64_t)sizeof(T);                            \
    if (g->s[2] != 1) return ct_im2col_plane_##S;                                  \
    if (ct_conv_avx512()) {                                                        \
        if (row <= 64) return ct_im2col_plane_z_##S;                               \
        return row <= 64 * CT_CONV_ZV ? ct_im2col_plane_zv_##S : ct_im2col_plane_##S; \
    }                                                                              \
    if (!ct_cpu_avx2()) return ct_im2col_plane_##S;                                \
    if (row <= 32) return ct_im2col_plane_z_y##S;                                  \
    return row <= 32 * CT_CONV_ZV ? ct_im2col_plane_zv_y##S : ct_im2col_plane_##S; \
}                                                                                  \
static ct_col2im_plane_##S##_fn ct_col2im_pick_##S(const ct_conv_geom *g, int cached) \
{                                                                                  \
    if (!cached || g->s[2] != 1 || g->k[0] * g->k[1] > CT_CONV_ZT) return ct_col2im_plane_##S; \
    if (ct_conv_avx512()) return ct_col2im_plane_z_##S;                            \
    return ct_cpu_avx2() ? ct_col2im_plane_z_y##S : ct_col2im_plane_##S;           \
}
#else
#define CT_IM2COL_PICK_Z(S, T) CT_IM2COL_PICK(S, T)
#endif
#define CT_IM2COL_PICK(S, T)                                                       \
static void (*ct_im2col_pick_##S(const ct_conv_geom *g))(const T *, T *, const ct_conv_geom *, int64_t) \
{                                                                                  \
    (void)g;                                                                       \
    return ct_im2col_plane_##S;                                                    \
}                                                                                  \
static ct_col2im_plane_##S##_fn ct_col2im_pick_##S(const ct_conv_geom *g, int cached) \
{                                                                                  \
    (void)g;                                                                       \
    (void)cached;                                                                  \
    return ct_col2im_plane_##S;                                                    \
}

#define CT_IM2COL_ALL(S, T, PICK) CT_IM2COL(S, T) PICK(S, T) CT_IM2COL_DRIVERS(S, T)
CT_IM2COL_ALL(f32, float, CT_IM2COL_PICK_Z)
CT_IM2COL_ALL(f64, double, CT_IM2COL_PICK_Z)
CT_IM2COL_ALL(c64, ct_cfloat, CT_IM2COL_PICK)
CT_IM2COL_ALL(c128, ct_cdouble, CT_IM2COL_PICK)
CT_IM2COL_ALL(u8, uint8_t, CT_IM2COL_PICK)
CT_IM2COL_ALL(i8, int8_t, CT_IM2COL_PICK)
CT_IM2COL_ALL(i16, int16_t, CT_IM2COL_PICK)
CT_IM2COL_ALL(i32, int32_t, CT_IM2COL_PICK)
CT_IM2COL_ALL(i64, int64_t, CT_IM2COL_PICK)

ct_im2col_fn ct_im2col_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ct_im2col_f32, [CT_FLOAT64] = ct_im2col_f64,
    [CT_COMPLEX64] = ct_im2col_c64, [CT_COMPLEX128] = ct_im2col_c128,
    [CT_UINT8] = ct_im2col_u8, [CT_INT8] = ct_im2col_i8, [CT_INT16] = ct_im2col_i16,
    [CT_INT32] = ct_im2col_i32, [CT_INT64] = ct_im2col_i64,
};
/* im2col with rows ls elements apart (ls >= L), for the fused drivers */
typedef void (*ct_im2col_ls_fn)(const void *x, void *cols, int64_t planes, const ct_conv_geom *g,
                                int64_t ls);
static const ct_im2col_ls_fn ct_im2col_ls_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ct_im2col_ls_f32, [CT_FLOAT64] = ct_im2col_ls_f64,
    [CT_COMPLEX64] = ct_im2col_ls_c64, [CT_COMPLEX128] = ct_im2col_ls_c128,
};
/* col2im of columns that are in cache (just made by the product): the
 * vector loops read each input row's columns where they lie, which pays only
 * there */
typedef void (*ct_col2im_run_fn)(const void *cols, void *x, int64_t planes, const ct_conv_geom *g,
                                 int64_t ls, int cached, int add);
static const ct_col2im_run_fn ct_col2im_run_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ct_col2im_run_f32, [CT_FLOAT64] = ct_col2im_run_f64,
    [CT_COMPLEX64] = ct_col2im_run_c64, [CT_COMPLEX128] = ct_col2im_run_c128,
};
ct_col2im_fn ct_col2im_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ct_col2im_f32, [CT_FLOAT64] = ct_col2im_f64,
    [CT_COMPLEX64] = ct_col2im_c64, [CT_COMPLEX128] = ct_col2im_c128,
    [CT_UINT8] = ct_col2im_u8, [CT_INT8] = ct_col2im_i8, [CT_INT16] = ct_col2im_i16,
    [CT_INT32] = ct_col2im_i32, [CT_INT64] = ct_col2im_i64,
};


/* ---- fused drivers ----------------------------------------------------------
 * One batch element per thread: its columns are made and consumed in a
 * buffer of that thread (in cache), and one parallel region covers the whole
 * batch. Inside it the im2col / col2im loops and the gemm entry run on their
 * calling thread (no nested region). A batch smaller than the thread count
 * runs element by element, each step parallel inside. The weight gradient
 * sums over several small images per product (ct_conv_wgrad). */

static void ct_conv_one(int dtype, double v, void *out)
{
    switch (dtype) {
    case CT_FLOAT32: *(float *)out = (float)v; break;
    case CT_FLOAT64: *(double *)out = v; break;
    case CT_COMPLEX64: *(ct_cfloat *)out = (float)v; break;
    default: *(ct_cdouble *)out = v; break;
    }
}

/* threads for a batch of N whose products take `flops` in all: one for
 * small work (a parallel region costs more than it saves) */
#define CT_CONV_PAR_FLOPS 2000000.0

static int ct_conv_threads(int64_t N, double flops)
{
    int nt = ct_get_num_threads();
    return N >= nt && flops >= CT_CONV_PAR_FLOPS ? nt : 1;
}

/* ---- scratch ----------------------------------------------------------------
 * The drivers' column buffers are kept between calls, one block per calling
 * thread (up to CT_CONV_KEEP bytes; larger ones are allocated and freed each
 * call): a fresh block of this size would be fresh pages, and their faults
 * cost as much as the im2col that fills them. A thread that ends frees its
 * block (a pthread key's destructor runs in the ending thread, its __thread
 * variables still in place). */
#define CT_CONV_KEEP ((size_t)16 << 20)

static __thread char *ct_conv_kept = NULL;
static __thread size_t ct_conv_kept_cap = 0;
static pthread_key_t ct_conv_key;
static pthread_once_t ct_conv_key_once = PTHREAD_ONCE_INIT;

static void ct_conv_release(void *unused)
{
    (void)unused;
    free(ct_conv_kept);
    ct_conv_kept = NULL;
    ct_conv_kept_cap = 0;
}

static void ct_conv_make_key(void)
{
    pthread_key_create(&ct_conv_key, ct_conv_release);
}

/* nt per-thread buffers of `bytes` each, contiguous and 64-byte aligned, for
 * the calling thread's driver; NULL when out of memory. Give it back with
 * ct_conv_scratch_done. */
static char *ct_conv_scratch(int nt, size_t bytes)
{
    size_t need = (size_t)nt * ((bytes + 63) / 64 * 64);
    if (need == 0) need = 64;
    if (need <= ct_conv_kept_cap) return ct_conv_kept;
    if (need > CT_CONV_KEEP) return (char *)aligned_alloc(64, need);
    if (ct_conv_kept == NULL) {
        pthread_once(&ct_conv_key_once, ct_conv_make_key);
        pthread_setspecific(ct_conv_key, (void *)1);     /* non-NULL: the destructor runs */
    }
    free(ct_conv_kept);
    ct_conv_kept_cap = 0;
    ct_conv_kept = (char *)aligned_alloc(64, need);
    if (ct_conv_kept != NULL) ct_conv_kept_cap = need;
    return ct_conv_kept;
}

static void ct_conv_scratch_done(char *p)
{
    if (p != ct_conv_kept) free(p);
}

/* the stride between the per-thread buffers of ct_conv_scratch */
static inline size_t ct_conv_slot(size_t bytes)
{
    return (bytes + 63) / 64 * 64;
}

/* The statements run by a team of nt threads when nt > 1, and by the calling
 * thread alone, outside any parallel construct, otherwise (their loops are
 * orphaned omp for's): inside an inactive region (if (0)) the gemm calls
 * would start nested teams of their own, and a batch-1 convolution after
 * any other parallel op took 60x as long with two threads. */
#define CT_CONV_TEAM(nt, ...)                                                      \
    do {                                                                           \
        if ((nt) > 1) {                                                            \
            _Pragma("omp parallel num_threads(nt)")                                \
            { __VA_ARGS__ }                                                        \
        } else {                                                                   \
            __VA_ARGS__                                                            \
        }                                                                          \
    } while (0)

/* A product reads op(A) in place (no packing pass) when it has at most this
 * many elements (sgemm.c and dgemm.c's CT_GZ_AIN), twice that for at most
 * CT_CONV_AIN_N columns (gemm_impl.h, ct_gm_a_inplace) */
#define CT_CONV_AIN 65536
#define CT_CONV_AIN_D 32768
#define CT_CONV_AIN_N 192
/* the fewest windows in a slab of an image's products (three tiles of the
 * micro-kernel's rows: 256 channels of 14 x 14 through 3 x 3 ran 10% slower
 * in slabs of 28), the most bytes of one image's columns taken whole, and a
 * slab's columns above that (ct_conv_im2col_mm, ct_conv_mm_col2im_bs) */
#define CT_CONV_MIN_SLAB 96
#define CT_CONV_WHOLE ((int64_t)2 << 20)
#define CT_CONV_SLAB_BYTES ((int64_t)1 << 20)

/* Slabs of an image's windows: whole output rows along dim d (unit windows
 * a step), one index of the dims before d (outer of them) a slab, slabs
 * slabs of d's steps per such index: step steps each, the last one fewer,
 * or (even) spread evenly, within a step of each other's size; ms the most
 * windows of a slab. */
typedef struct {
    int d, even;
    int64_t unit, outer, slabs, step, ms;
} ct_conv_slabs;

/* at most `want` windows a slab (at least one step), as many steps as
 * leave the fewest rows of the products' micro-tiles (mr of them) empty;
 * with share, a count of slabs of N images that nt threads share evenly
 * where the images alone do not */
static ct_conv_slabs ct_conv_slab_plan(const ct_conv_geom *g, int64_t want, int64_t N, int nt,
                                       int share, int mr)
{
    ct_conv_slabs sp;
    /* d: the outermost dim longer than 1 whose steps fit a slab */
    sp.d = 2;
    for (int e = 1; e >= 0; e--) {
        int64_t u = 1;
        for (int f = e + 1; f < 3; f++) u *= g->out[f];
        if (g->out[e] > 1 && u <= want) sp.d = e;
    }
    if (g->out[sp.d] == 1)
        for (int e = 0; e < 2; e++) if (g->out[e] > 1) { sp.d = e; break; }
    const int d = sp.d;
    sp.unit = sp.outer = 1;
    for (int f = d + 1; f < 3; f++) sp.unit *= g->out[f];
    for (int f = 0; f < d; f++) sp.outer *= g->out[f];
    int64_t most = want / sp.unit, step = 1;
    if (most > g->out[d]) most = g->out[d];
    double best = 0;
    /* (the last mr counts reach every remainder of a slab's windows by mr) */
    for (int64_t k = most - mr + 1 > 1 ? most - mr + 1 : 1; k <= most; k++) {
        /* the share of the slab's micro-tile rows that hold windows */
        const int64_t m = k * sp.unit;
        const double use = (double)m / (double)((m + mr - 1) / mr * mr);
        if (use >= best - 1e-9) { best = use; step = k; }
    }
    sp.step = step;
    sp.slabs = (g->out[d] + step - 1) / step;
    sp.even = 0;
    if (share && sp.slabs * sp.outer > 1 && (N * sp.outer) % nt != 0) {
        /* the images' indexes alone do not share evenly: slabs spread
         * evenly, as many as make the units a multiple of the threads */
        int64_t a = N * sp.outer, c = nt;
        while (c) { int64_t t = a % c; a = c; c = t; }
        const int64_t k = nt / a, even = (sp.slabs + k - 1) / k * k;
        if (even <= g->out[d]) sp.slabs = even;
        sp.even = 1;
    }
    sp.ms = (sp.even ? (g->out[d] + sp.slabs - 1) / sp.slabs : step) * sp.unit;
    return sp;
}

/* slab i (< outer slabs) of an image: its geometry (an image of its output
 * rows, padded that many strides fewer), first window l0 and windows m */
static void ct_conv_slab_at(const ct_conv_geom *g, const ct_conv_slabs *sp, int64_t i,
                            ct_conv_geom *gs, int64_t *l0, int64_t *m)
{
    const int d = sp->d;
    const int64_t o = i / sp->slabs, sl = i % sp->slabs;
    const int64_t r0 = sp->even ? sl * g->out[d] / sp->slabs : sl * sp->step;
    const int64_t r1 = sp->even ? (sl + 1) * g->out[d] / sp->slabs
                                : (r0 + sp->step < g->out[d] ? r0 + sp->step : g->out[d]);
    const int64_t rows = r1 - r0;
    *gs = *g;
    int64_t oe = o;
    for (int e = d - 1; e >= 0; e--) {
        gs->out[e] = 1;
        gs->p[e] = g->p[e] - oe % g->out[e] * g->s[e];
        oe /= g->out[e];
    }
    gs->out[d] = rows;
    gs->p[d] = g->p[d] - r0 * g->s[d];
    *l0 = (o * g->out[d] + r0) * sp->unit;
    *m = rows * sp->unit;
}

/* y's rows (rows of n, ld apart) each plus its bias element */
#define CT_CONV_ADD_BIAS(T)                                                        \
    do {                                                                           \
        for (int64_t r = 0; r < rows; r++) {                                       \
            T *yr = (T *)y + r * ld;                                               \
            const T v = ((const T *)bias)[r];                                      \
            for (int64_t l = 0; l < n; l++) yr[l] += v;                            \
        }                                                                          \
    } while (0)

CT_MULTIVERSION
static void ct_conv_add_bias(int dtype, char *y, const char *bias, int64_t rows, int64_t n,
                             int64_t ld)
{
    switch (dtype) {
    case CT_FLOAT32: CT_CONV_ADD_BIAS(float); break;
    case CT_FLOAT64: CT_CONV_ADD_BIAS(double); break;
    case CT_COMPLEX64: CT_CONV_ADD_BIAS(ct_cfloat); break;
    default: CT_CONV_ADD_BIAS(ct_cdouble); break;
    }
}

/* ---- depthwise (one input channel a group), float32 / float64 ---------------
 * Each output plane (n, c R + r) straight from its input plane, in cache the
 * whole time. The input's rows are first copied zero-padded along the last
 * dim and split into its stride's phases (ph[row][r][m] = x[row][m s2 + r -
 * p2], 0 outside the row), so that every tap of the last dim reads a
 * phase's contiguous run with no bounds: then each output row is made
 * up to CT_DW_NV vectors at a time in registers, the bias and every tap's weight
 * times its run added there, and stored once (adding each tap's product
 * into the plane in memory, a load and a store a tap, ran at 0.6x PyTorch's
 * speed on Zen 4; im2col's K copies of every input for products of one
 * row, at 0.40x). The planes between the threads. */
#define CT_DW_NV 8           /* 32-byte vectors a chunk, at most */
#define CT_DW_KMAX 64        /* the longest kernel (and stride) along the last dim it takes */
typedef float ct_dw_vf __attribute__((vector_size(32)));
typedef float ct_dw_vf_u __attribute__((vector_size(32), aligned(4), may_alias));
typedef double ct_dw_vd __attribute__((vector_size(32)));
typedef double ct_dw_vd_u __attribute__((vector_size(32), aligned(8), may_alias));
/* 32-byte vectors (of L values) a chunk of an output row: 8, or the fewest
 * (a power of two) for a short row */
static inline int ct_dw_nv(const ct_conv_geom *g, int64_t L)
{
    const int64_t need = (g->out[2] + L - 1) / L;
    return need >= 8 ? 8 : need > 2 ? 4 : (int)need;
}
/* a phase's length: the last chunk's run past the row for the farthest tap */
static inline int64_t ct_dw_phase_len(const ct_conv_geom *g, int64_t L)
{
    const int64_t ch = ct_dw_nv(g, L) * L, w = (g->out[2] + ch - 1) / ch * ch;
    return w + (g->k[2] - 1) * g->d[2] / g->s[2] + 1;
}
/* whether the depthwise kernels take a convolution of one input channel a
 * group: float32 or float64, the last dim's kernel and stride within their
 * tables */
static inline int ct_dw_ok(int dtype, const ct_conv_geom *g)
{
    return (dtype == CT_FLOAT32 || dtype == CT_FLOAT64) && g->k[2] <= CT_DW_KMAX
           && g->s[2] <= CT_DW_KMAX;
}
/* what every plane of a call shares: the phases' length P, each phase r's
 * run of input values [ab[2 r], ab[2 r + 1]) (the m with 0 <= m s2 + r - p2
 * < I2, within P), each tap's start in a row's phases, the vectors a chunk,
 * and whether the rows go to ct_dw_rows_shared */
typedef struct { int64_t P, ab[2 * CT_DW_KMAX], tap[CT_DW_KMAX]; int nv, shared; } ct_dw_plan;
static int ct_dw_shared_ok(const ct_conv_geom *g);
static void ct_dw_plan_make(const ct_conv_geom *g, int64_t L, ct_dw_plan *pl)
{
    const int64_t s2 = g->s[2], p2 = g->p[2], I2 = g->in[2], P = ct_dw_phase_len(g, L);
    pl->P = P;
    for (int64_t r = 0; r < s2; r++) {
        int64_t a = p2 > r ? (p2 - r + s2 - 1) / s2 : 0, b = (I2 + p2 - r + s2 - 1) / s2;
        a = a < P ? a : P;
        pl->ab[2 * r] = a;
        pl->ab[2 * r + 1] = b < P ? (b > a ? b : a) : P;
    }
    for (int64_t k2 = 0; k2 < g->k[2]; k2++)
        pl->tap[k2] = k2 * g->d[2] % s2 * P + k2 * g->d[2] / s2;
    pl->nv = ct_dw_nv(g, L);
    pl->shared = ct_dw_shared_ok(g);
}
/* output rows (o0, o1) .. (o0, o1 + nr - 1) of a plane from its padded
 * phases ph (rows of s2 phases of P values; past the last, one of zeros
 * for the rows of the padding), nv vectors of L values a chunk of each row
 * in registers: nr nv running sums, each a chain of one fma a tap (two
 * rows of four vectors or four of two: eight chains, the fma's latency
 * hidden) */
#define CT_DW_ROW(S, T, V, VU)                                                     \
__attribute__((always_inline)) static inline void ct_dw_row_##S(                   \
        const T *ph, const T *w, T bias, T *y, const ct_conv_geom *g, int64_t P,   \
        const int64_t *tap, int64_t o0, int64_t o1, const int nv, const int nr)    \
{                                                                                  \
    enum { L = 32 / sizeof(T) };                                                   \
    const int64_t O1 = g->out[1], O2 = g->out[2], I0 = g->in[0], I1 = g->in[1];    \
    const int64_t s2 = g->s[2], K1 = g->k[1], K2 = g->k[2], CH = nv * L;           \
    const T *zero = ph + I0 * I1 * s2 * P;                                         \
    for (int64_t c0 = 0; c0 < O2; c0 += CH) {                                      \
        V acc[4][CT_DW_NV];                                                        \
        for (int r = 0; r < nr; r++)                                               \
            for (int v = 0; v < nv; v++) acc[r][v] = (V){0} + bias;               \
        for (int64_t k0 = 0; k0 < g->k[0]; k0++) {                                 \
            const int64_t i0 = o0 * g->s[0] - g->p[0] + k0 * g->d[0];              \
            if (i0 < 0 || i0 >= I0) continue;                                      \
            for (int64_t k1 = 0; k1 < K1; k1++) {                                  \
                const T *pr[4];                                                    \
                for (int r = 0; r < nr; r++) {                                     \
                    const int64_t i1 = (o1 + r) * g->s[1] - g->p[1] + k1 * g->d[1]; \
                    pr[r] = i1 < 0 || i1 >= I1 ? zero : ph + (i0 * I1 + i1) * s2 * P + c0; \
                }                                                                  \
                const T *wr = w + (k0 * K1 + k1) * K2;                             \
                for (int64_t k2 = 0; k2 < K2; k2++) {                              \
                    const V wv = wr[k2] - (V){0};                                  \
                    for (int r = 0; r < nr; r++)                                   \
                        for (int v = 0; v < nv; v++)                               \
                            acc[r][v] += wv * *(const VU *)(pr[r] + tap[k2] + v * L); \
                }                                                                  \
            }                                                                      \
        }                                                                          \
        for (int r = 0; r < nr; r++) {                                             \
            T *yr = y + (o0 * O1 + o1 + r) * O2;                                   \
            /* whole vectors stored as they are, a last part through t */    \
            const int64_t left = O2 - c0, full = left >= CH ? nv : left / L;       \
            for (int v = 0; v < full; v++) *(VU *)(yr + c0 + v * L) = acc[r][v];   \
            if (full < nv && left > full * L) {                                    \
                T t[L];                                                            \
                *(VU *)t = acc[r][full];                                           \
                for (int64_t j = full * L; j < left; j++) yr[c0 + j] = t[j - full * L]; \
            }                                                                      \
        }                                                                          \
    }                                                                              \
}
#ifdef CT_CONV_X86
/* The rows of a plane with s1 = d1 = 1 on CPUs with AVX-512 (VL: 32 vector
 * registers): nr output rows (up to 4, two of 8 vectors) at a time, each
 * loaded run of an input row used for every output row it feeds. Input row
 * j of the rows' window adds, times the weights of kernel row j - r, into
 * output row r, so one load serves up to nr fmas where ct_dw_row's serves
 * one (7 x 7 on 8x128x28x28: 0.69x -> 1.14x PyTorch's speed); each output's
 * products are still added in the order k0, k1, k2, so the same bits. A
 * row's last part is stored under a mask; kc, when not 0, is K1 and K2 (the
 * 3 x 3 form, its loops unrolled: 4x256x14x14 1.2x faster). */
/* window row j's taps into output rows RLO .. RHI */
#define CT_DWJ(V, VU, RLO, RHI)                                                           \
    case RLO * 4 + RHI:                                                            \
        _Pragma("GCC unroll 4")                                                    \
        for (int64_t k2 = 0; k2 < K2; k2++) {                                      \
            V in[CT_DW_NV];                                                        \
            for (int v = 0; v < nv; v++) in[v] = *(const VU *)(pr + tap[k2] + v * L); \
            for (int r = RLO; r <= RHI; r++) {                                     \
                const V wv = wj[k2 - r * K2] - (V){0};                             \
                for (int v = 0; v < nv; v++) acc[r][v] += wv * in[v];             \
            }                                                                      \
        }                                                                          \
        break;
#define CT_DW_ROWS(S, T, V, VU, MSTORE, CPY)                                            \
__attribute__((target("avx512f,avx512vl,avx2,fma"), always_inline))              \
static inline void ct_dw_rows_##S(const T *ph, const T *w, T bias, T *y,           \
                                  const ct_conv_geom *g, int64_t P, const int64_t *tap, \
                                  int64_t o0, int64_t o1, const int nv, const int nr, const int kc) \
{                                                                                  \
    enum { L = 32 / sizeof(T) };                                                   \
    const int64_t O1 = g->out[1], O2 = g->out[2], I0 = g->in[0], I1 = g->in[1];    \
    const int64_t s2 = g->s[2], K1 = kc ? kc : g->k[1], K2 = kc ? kc : g->k[2], CH = nv * L; \
    for (int64_t c0 = 0; c0 < O2; c0 += CH) {                                      \
        V acc[4][CT_DW_NV];                                                        \
        for (int r = 0; r < nr; r++)                                               \
            for (int v = 0; v < nv; v++) acc[r][v] = (V){0} + bias;               \
        for (int64_t k0 = 0; k0 < g->k[0]; k0++) {                                 \
            const int64_t i0 = o0 * g->s[0] - g->p[0] + k0 * g->d[0];              \
            if (i0 < 0 || i0 >= I0) continue;                                      \
            _Pragma("GCC unroll 8")                                                \
            for (int64_t j = 0; j < nr + K1 - 1; j++) {                            \
                const int64_t i1 = o1 - g->p[1] + j;                               \
                if (i1 < 0 || i1 >= I1) continue;                                  \
                const T *pr = ph + (i0 * I1 + i1) * s2 * P + c0;                   \
                const T *wj = w + (k0 * K1 + j) * K2;                              \
                /* the output rows that row j feeds: j - K1 < r <= j */            \
                const int64_t rlo = j - K1 + 1 > 0 ? j - K1 + 1 : 0;               \
                const int64_t rhi = j < nr - 1 ? j : nr - 1;                       \
                switch (rlo * 4 + rhi) {                                           \
                CT_DWJ(V, VU, 0, 0) CT_DWJ(V, VU, 0, 1) CT_DWJ(V, VU, 0, 2)       \
                CT_DWJ(V, VU, 0, 3) CT_DWJ(V, VU, 1, 1) CT_DWJ(V, VU, 1, 2)       \
                CT_DWJ(V, VU, 1, 3) CT_DWJ(V, VU, 2, 2) CT_DWJ(V, VU, 2, 3)       \
                CT_DWJ(V, VU, 3, 3)                                                \
                }                                                                  \
            }                                                                      \
        }                                                                          \
        const int64_t left = O2 - c0, full = left >= CH ? nv : left / L;           \
        for (int r = 0; r < nr; r++) {                                             \
            T *yr = y + (o0 * O1 + o1 + r) * O2 + c0;                              \
            for (int v = 0; v < full; v++) *(VU *)(yr + v * L) = acc[r][v];        \
            if (full < nv && left > full * L)                                      \
                MSTORE(yr + full * L, (__mmask8)((1u << (left - full * L)) - 1), acc[r][full]); \
        }                                                                          \
    }                                                                              \
}                                                                                  \
__attribute__((target("avx512f,avx512vl,avx2,fma")))                              \
static void ct_dw_plane_shared_##S(const T *x, const T *w, T bias, T *y,           \
                                   const ct_conv_geom *g, const ct_dw_plan *pl, T *ph) \
{                                                                                  \
    /* the rows padded (s2 = 1: one phase), a masked vector at a time */          \
    const int64_t a = pl->ab[0], n = pl->ab[1] - a, P = pl->P;                     \
    int64_t tap[CT_DW_KMAX];    /* a local copy: no store of the rows can alias it */ \
    memcpy(tap, pl->tap, (size_t)g->k[2] * sizeof(int64_t));                       \
    const int nv = pl->nv;                                                         \
    for (int64_t row = 0; row < g->in[0] * g->in[1]; row++)                        \
        CPY(ph + row * P + a, x + row * g->in[2] + a - g->p[2], n);               \
    const int64_t O0 = g->out[0], O1 = g->out[1];                                  \
    const int k3 = g->k[1] == 3 && g->k[2] == 3;                                   \
    for (int64_t o0 = 0; o0 < O0; o0++)                                            \
        for (int64_t o1 = 0; o1 < O1;) {                                           \
            const int64_t most = nv == 8 ? 2 : 4;                                  \
            const int nr = (int)(O1 - o1 < most ? O1 - o1 : most);                 \
            if (nr == 4 && k3 && nv == 2) { ct_dw_rows_##S(ph, w, bias, y, g, P, tap, o0, o1, 2, 4, 3); o1 += 4; continue; } \
            if (nr == 4 && k3 && nv == 4) { ct_dw_rows_##S(ph, w, bias, y, g, P, tap, o0, o1, 4, 4, 3); o1 += 4; continue; } \
            switch (nv * 4 + nr - 1) {                                             \
            case 4: ct_dw_rows_##S(ph, w, bias, y, g, P, tap, o0, o1, 1, 1, 0); break; \
            case 5: ct_dw_rows_##S(ph, w, bias, y, g, P, tap, o0, o1, 1, 2, 0); break; \
            case 6: ct_dw_rows_##S(ph, w, bias, y, g, P, tap, o0, o1, 1, 3, 0); break; \
            case 7: ct_dw_rows_##S(ph, w, bias, y, g, P, tap, o0, o1, 1, 4, 0); break; \
            case 8: ct_dw_rows_##S(ph, w, bias, y, g, P, tap, o0, o1, 2, 1, 0); break; \
            case 9: ct_dw_rows_##S(ph, w, bias, y, g, P, tap, o0, o1, 2, 2, 0); break; \
            case 10: ct_dw_rows_##S(ph, w, bias, y, g, P, tap, o0, o1, 2, 3, 0); break; \
            case 11: ct_dw_rows_##S(ph, w, bias, y, g, P, tap, o0, o1, 2, 4, 0); break; \
            case 16: ct_dw_rows_##S(ph, w, bias, y, g, P, tap, o0, o1, 4, 1, 0); break; \
            case 17: ct_dw_rows_##S(ph, w, bias, y, g, P, tap, o0, o1, 4, 2, 0); break; \
            case 18: ct_dw_rows_##S(ph, w, bias, y, g, P, tap, o0, o1, 4, 3, 0); break; \
            case 19: ct_dw_rows_##S(ph, w, bias, y, g, P, tap, o0, o1, 4, 4, 0); break; \
            case 32: ct_dw_rows_##S(ph, w, bias, y, g, P, tap, o0, o1, 8, 1, 0); break; \
            default: ct_dw_rows_##S(ph, w, bias, y, g, P, tap, o0, o1, 8, 2, 0); break; \
            }                                                                      \
            o1 += nr;                                                              \
        }                                                                          \
}
#define CT_DW_MST_F32(p, m, v) _mm256_mask_storeu_ps(p, m, (__m256)(v))
#define CT_DW_MST_F64(p, m, v) _mm256_mask_storeu_pd(p, m, (__m256d)(v))
/* o[0 .. n) = x[0 .. n), 16 floats (8 doubles) a masked load and store */
__attribute__((target("avx512f"), always_inline))
static inline void ct_dw_copy_f32(float *o, const float *x, int64_t n)
{
    for (int64_t i = 0; i < n; i += 16) {
        const __mmask16 m = n - i >= 16 ? 0xffff : (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(o + i, m, _mm512_maskz_loadu_ps(m, x + i));
    }
}
__attribute__((target("avx512f"), always_inline))
static inline void ct_dw_copy_f64(double *o, const double *x, int64_t n)
{
    for (int64_t i = 0; i < n; i += 8) {
        const __mmask8 m = n - i >= 8 ? 0xff : (__mmask8)((1u << (n - i)) - 1);
        _mm512_mask_storeu_pd(o + i, m, _mm512_maskz_loadu_pd(m, x + i));
    }
}
CT_DW_ROWS(f32, float, ct_dw_vf, ct_dw_vf_u, CT_DW_MST_F32, ct_dw_copy_f32)
CT_DW_ROWS(f64, double, ct_dw_vd, ct_dw_vd_u, CT_DW_MST_F64, ct_dw_copy_f64)
#undef CT_DW_MST_F32
#undef CT_DW_MST_F64
#undef CT_DWJ
#undef CT_DW_ROWS
/* whether a plane's rows go to ct_dw_rows_shared */
static int ct_dw_shared_ok(const ct_conv_geom *g)
{
    return g->s[1] == 1 && g->s[2] == 1 && g->d[1] == 1 && g->k[1] > 1 && ct_conv_avx512();
}
#else
static int ct_dw_shared_ok(const ct_conv_geom *g) { (void)g; return 0; }
#endif

#ifdef CT_CONV_X86
#define CT_DW_SHARED_ROWS(S)                                                       \
    if (pl->shared) { ct_dw_plane_shared_##S(x, w, bias, y, g, pl, ph); return; }
#else
#define CT_DW_SHARED_ROWS(S)
#endif
/* a plane's input rows into their padded phases (ph, zeros where the padding
 * is: only the input's values are written), input row (i0, i1) as phase row
 * i0 hb + top + i1 */
#define CT_DW_PAD(S, T)                                                            \
__attribute__((always_inline)) static inline void ct_dw_pad_##S(                   \
        const T *x, const ct_conv_geom *g, const ct_dw_plan *pl, T *ph, int64_t hb, \
        int64_t top)                                                               \
{                                                                                  \
    const int64_t I1 = g->in[1], I2 = g->in[2], s2 = g->s[2], p2 = g->p[2], P = pl->P; \
    for (int64_t r = 0; r < s2; r++) {                                             \
        const int64_t a = pl->ab[2 * r], n = pl->ab[2 * r + 1] - a;                \
        for (int64_t row = 0; row < g->in[0] * I1; row++) {                        \
            const int64_t i0 = hb == I1 ? 0 : row / I1;    /* hb == I1: row's own */ \
            T *pp = ph + ((row + i0 * (hb - I1) + top) * s2 + r) * P + a;          \
            const T *xs = x + row * I2 + a * s2 + r - p2;                          \
            if (s2 == 1) for (int64_t m = 0; m < n; m++) pp[m] = xs[m];            \
            else if (s2 == 2) for (int64_t m = 0; m < n; m++) pp[m] = xs[2 * m];   \
            else for (int64_t m = 0; m < n; m++) pp[m] = xs[m * s2];               \
        }                                                                          \
    }                                                                              \
}
CT_DW_PAD(f32, float)
CT_DW_PAD(f64, double)

/* The depthwise drivers' loop: units u = 0 .. count - 1 between the threads
 * (where there are several, and work, the call's multiply-adds, is enough),
 * each thread with a buffer buf of n T's zeroed once (the padding's zeros:
 * only the planes' values are written into it); returns -1 from the caller
 * out of memory, else 0. */
#define CT_DW_TEAM(T, buf, n, u, count, work, ...)                                \
    do {                                                                           \
        const int par = ct_get_num_threads() > 1 && (count) > 1                    \
                        && (work) >= CT_CONV_PAR_FLOPS / 2;                        \
        int fail = 0;                                                              \
        CT_PARALLEL_IF(par, "omp parallel reduction(|:fail)",                      \
        {                                                                          \
            T *buf = (T *)calloc((size_t)(n), sizeof(T));                          \
            if (buf == NULL) fail = 1;                                             \
            else {                                                                 \
                _Pragma("omp for schedule(static)")                                \
                for (int64_t u = 0; u < (count); u++) { __VA_ARGS__ }              \
            }                                                                      \
            free(buf);                                                             \
        });                                                                        \
        return fail ? -1 : 0;                                                      \
    } while (0)
/* one plane: its padded phases in ph (zeros where the padding is, as the
 * caller's buffer holds them: only the input's values are written), then
 * its output rows (a row's last few values stored by a loop, not the call
 * of memmove GCC makes of it: 8% of a 3 x 3 stride 2 convolution's time) */
#define CT_DWCONV(S, T, V, VU)                                                     \
__attribute__((optimize("no-tree-loop-distribute-patterns")))                     \
CT_MULTIVERSION static void ct_dwconv_plane_##S(const T *x, const T *w, T bias, T *y, \
                                                const ct_conv_geom *g, const ct_dw_plan *pl, \
                                                T *ph)                             \
{                                                                                  \
    CT_DW_SHARED_ROWS(S)                                                           \
    const int64_t O0 = g->out[0], O1 = g->out[1], P = pl->P;                       \
    int64_t tap[CT_DW_KMAX];    /* a local copy: no store of the rows can alias it */ \
    memcpy(tap, pl->tap, (size_t)g->k[2] * sizeof(int64_t));                       \
    ct_dw_pad_##S(x, g, pl, ph, g->in[1], 0);                                      \
    const int nv = pl->nv;                                                         \
    for (int64_t o0 = 0; o0 < O0; o0++)                                            \
        for (int64_t o1 = 0, nr; o1 < O1; o1 += nr) {                              \
            /* short rows two or four at a time (chains enough to hide the fma \
             * latency); the case is nv * 4 + nr */                               \
            nr = nv <= 2 && o1 + 4 <= O1 ? 4 : nv < 8 && o1 + 1 < O1 ? 2 : 1;      \
            switch (nv * 4 + (int)nr) {                                            \
            case 33: ct_dw_row_##S(ph, w, bias, y, g, P, tap, o0, o1, 8, 1); break; \
            case 18: ct_dw_row_##S(ph, w, bias, y, g, P, tap, o0, o1, 4, 2); break; \
            case 17: ct_dw_row_##S(ph, w, bias, y, g, P, tap, o0, o1, 4, 1); break; \
            case 12: ct_dw_row_##S(ph, w, bias, y, g, P, tap, o0, o1, 2, 4); break; \
            case 10: ct_dw_row_##S(ph, w, bias, y, g, P, tap, o0, o1, 2, 2); break; \
            case 9: ct_dw_row_##S(ph, w, bias, y, g, P, tap, o0, o1, 2, 1); break; \
            case 8: ct_dw_row_##S(ph, w, bias, y, g, P, tap, o0, o1, 1, 4); break; \
            case 6: ct_dw_row_##S(ph, w, bias, y, g, P, tap, o0, o1, 1, 2); break; \
            default: ct_dw_row_##S(ph, w, bias, y, g, P, tap, o0, o1, 1, 1); break; \
            }                                                                      \
        }                                                                          \
}                                                                                  \
static int ct_dwconv_##S(const char *src, int64_t sn, const char *w, const char *bias, \
                         char *y, int64_t N, int64_t C, int64_t R, const ct_conv_geom *g) \
{                                                                                  \
    const int64_t V = g->in[0] * g->in[1] * g->in[2], L = g->out[0] * g->out[1] * g->out[2]; \
    const int64_t K = g->k[0] * g->k[1] * g->k[2], planes = N * C * R;             \
    ct_dw_plan pl;                                                                 \
    ct_dw_plan_make(g, 32 / sizeof(T), &pl);                                       \
    /* each phase row's padding and the zero row for the padding's rows */        \
    const int64_t phn = (g->in[0] * g->in[1] + 1) * g->s[2] * pl.P;                \
    CT_DW_TEAM(T, ph, phn, q, planes, planes * L * K,                              \
        const int64_t oc = q % (C * R), n = q / (C * R), c = oc / R;               \
        ct_dwconv_plane_##S((const T *)src + n * sn + c * V, (const T *)w + oc * K, \
                            bias ? ((const T *)bias)[oc] : (T)0, (T *)y + q * L, g, &pl, ph); \
    );                                                                             \
}
CT_DW_ROW(f32, float, ct_dw_vf, ct_dw_vf_u)
CT_DW_ROW(f64, double, ct_dw_vd, ct_dw_vd_u)
CT_DWCONV(f32, float, ct_dw_vf, ct_dw_vf_u)
CT_DWCONV(f64, double, ct_dw_vd, ct_dw_vd_u)

/* A depthwise convolution's weight gradient (and the bias's), straight from
 * the planes as the forward reads them: for each kernel row (k0, k1), every
 * output row's gradient times the input row under it, shifted by each tap of
 * the last dim (up to CT_DW_WG_TAPS taps at a time, each a running vector
 * sum), the plane's input in its padded phases and its gradient in rows of
 * whole vectors (zeros past the row; the input's lanes there masked off, so
 * that an inf under no output adds nothing). The channels between the
 * threads, each summing over the images (im2col's K columns and a 1-row
 * product a channel ran at 1/40 of the forward's speed). */
#define CT_DW_WG_TAPS 16
/* the phase rows of an image plane for the weight gradient: every row an
 * output row's taps read (the padding's zeros), and the input's */
static inline int64_t ct_dw_wg_rows(const ct_conv_geom *g)
{
    const int64_t reach = (g->out[1] - 1) * g->s[1] + (g->k[1] - 1) * g->d[1] + 1;
    return reach > g->p[1] + g->in[1] ? reach : g->p[1] + g->in[1];
}
/* nb taps' running sums over the output rows of kernel plane k0: the
 * input's rows hb to an image plane, the padding's rows zeros among them,
 * so that tap t of output row (o0, o1) reads from base[t] + o1 s1 s2 P */
#define CT_DW_WG_BLOCK(S, T, V, VU, VI)                                            \
__attribute__((always_inline)) static inline void ct_dw_wg_block_##S(              \
        const T *gp, const T *ph, const ct_conv_geom *g, int64_t P, int64_t W, int64_t hb, \
        const int64_t *tdel, int64_t k0, const int nb, VI last, T *gk)             \
{                                                                                  \
    enum { L = 32 / sizeof(T) };                                                   \
    const int64_t O0 = g->out[0], O1 = g->out[1], O2 = g->out[2];                  \
    const int64_t I0 = g->in[0], s2 = g->s[2], rs = g->s[1] * s2 * P;              \
    const int64_t nfull = O2 / L;                                                  \
    V acc[CT_DW_WG_TAPS];                                                          \
    for (int t = 0; t < nb; t++) acc[t] = (V){0};                                  \
    for (int64_t o0 = 0; o0 < O0; o0++) {                                          \
        const int64_t i0 = o0 * g->s[0] - g->p[0] + k0 * g->d[0];                  \
        if (i0 < 0 || i0 >= I0) continue;                                          \
        const T *base = ph + i0 * hb * s2 * P;                                     \
        const T *gr = gp + o0 * O1 * W;                                            \
        for (int64_t o1 = 0; o1 < O1; o1++, gr += W, base += rs) {                 \
            for (int64_t v = 0; v < nfull; v++) {                                  \
                const V gv = *(const VU *)(gr + v * L);                            \
                for (int t = 0; t < nb; t++) acc[t] += gv * *(const VU *)(base + tdel[t] + v * L); \
            }                                                                      \
            if (nfull * L < O2) {                                                  \
                const V gv = *(const VU *)(gr + nfull * L);                        \
                for (int t = 0; t < nb; t++)                                       \
                    acc[t] += gv * (V)((VI)*(const VU *)(base + tdel[t] + nfull * L) & last); \
            }                                                                      \
        }                                                                          \
    }                                                                              \
    for (int t = 0; t < nb; t++) {                                                 \
        T h = 0;                                                                   \
        for (int j = 0; j < L; j++) h += acc[t][j];                                \
        gk[t] += h;                                                                \
    }                                                                              \
}
#define CT_DW_WGRAD(S, T, V, VU, VI)                                               \
CT_DW_WG_BLOCK(S, T, V, VU, VI)                                                    \
__attribute__((optimize("no-tree-loop-distribute-patterns")))                     \
CT_MULTIVERSION static void ct_dw_wgrad_plane_##S(const T *x, const T *gy, const ct_conv_geom *g, \
                                                  const ct_dw_plan *pl, T *ph, T *gp, T *gk, \
                                                  T *gb)                           \
{                                                                                  \
    enum { L = 32 / sizeof(T) };                                                   \
    const int64_t O0 = g->out[0], O1 = g->out[1], O2 = g->out[2], P = pl->P;       \
    const int64_t K1 = g->k[1], K2 = g->k[2], W = (O2 + L - 1) / L * L;            \
    /* the input's rows with the padding's above and below them: hb rows */     \
    const int64_t hb = ct_dw_wg_rows(g);                                           \
    ct_dw_pad_##S(x, g, pl, ph, hb, g->p[1]);                                      \
    /* the gradient's rows W apart (the lanes past O2 stay zero); its sum in   */ \
    /* lanes, 32 rows at a time into a double                                 */ \
    for (int64_t row = 0; row < O0 * O1; row++)                                    \
        for (int64_t m = 0; m < O2; m++) gp[row * W + m] = gy[row * O2 + m];       \
    if (gb) {                                                                      \
        double sum = 0;                                                            \
        for (int64_t r0 = 0; r0 < O0 * O1; r0 += 32) {                             \
            V vs = (V){0};                                                         \
            const int64_t r1 = O0 * O1 - r0 < 32 ? O0 * O1 : r0 + 32;              \
            for (int64_t i = r0 * W; i < r1 * W; i += L) vs += *(const VU *)(gp + i); \
            for (int j = 0; j < L; j++) sum += vs[j];                              \
        }                                                                          \
        *gb += (T)sum;                                                             \
    }                                                                              \
    /* the last vector's lanes within the row */                                   \
    VI last;                                                                       \
    for (int j = 0; j < L; j++) last[j] = j < O2 % L ? -1 : 0;                     \
    /* taps (k1, k2) of a kernel plane in blocks of CT_DW_WG_TAPS: where each */   \
    /* tap reads, from its output row's first input row                        */   \
    int64_t tdel[CT_DW_WG_TAPS];                                                   \
    for (int64_t k0 = 0; k0 < g->k[0]; k0++)                                       \
        for (int64_t b = 0; b < K1 * K2; b += CT_DW_WG_TAPS) {                     \
            const int nb = K1 * K2 - b < CT_DW_WG_TAPS ? (int)(K1 * K2 - b) : CT_DW_WG_TAPS; \
            for (int t = 0; t < nb; t++)                                           \
                tdel[t] = (b + t) / K2 * g->d[1] * g->s[2] * P + pl->tap[(b + t) % K2]; \
            T *gkb = gk + k0 * K1 * K2 + b;                                        \
            switch (nb) {                                                          \
            case 16: ct_dw_wg_block_##S(gp, ph, g, P, W, hb, tdel, k0, 16, last, gkb); break; \
            case 9: ct_dw_wg_block_##S(gp, ph, g, P, W, hb, tdel, k0, 9, last, gkb); break; \
            case 4: ct_dw_wg_block_##S(gp, ph, g, P, W, hb, tdel, k0, 4, last, gkb); break; \
            default:                                                               \
                for (int t = 0; t < nb; t++)                                       \
                    ct_dw_wg_block_##S(gp, ph, g, P, W, hb, tdel + t, k0, 1, last, gkb + t); \
            }                                                                      \
        }                                                                          \
}                                                                                  \
/* gw (C R kernels) and gb (C R sums, or NULL) from a (N images of C R       */   \
/* gradient planes, an elements apart; 0: one for all) and src (N images of  */   \
/* C planes)                                                                  */   \
static int ct_dw_wgrad_##S(const char *a, int64_t an, const char *src, char *gw, char *gb, \
                           int64_t N, int64_t C, int64_t R, const ct_conv_geom *g) \
{                                                                                  \
    enum { L = 32 / sizeof(T) };                                                   \
    const int64_t V1 = g->in[0] * g->in[1] * g->in[2];                             \
    const int64_t Lo = g->out[0] * g->out[1] * g->out[2];                          \
    const int64_t K = g->k[0] * g->k[1] * g->k[2], CR = C * R;                     \
    const int64_t W = (g->out[2] + L - 1) / L * L;                                 \
    ct_dw_plan pl;                                                                 \
    ct_dw_plan_make(g, L, &pl);                                                    \
    const int64_t phn = g->in[0] * ct_dw_wg_rows(g) * g->s[2] * pl.P;              \
    const int64_t gpn = g->out[0] * g->out[1] * W;                                 \
    CT_DW_TEAM(T, ph, phn + gpn, oc, CR, N * CR * Lo * K,                          \
        T *gk = (T *)gw + oc * K, *gbc = gb ? (T *)gb + oc : NULL;                 \
        for (int64_t k = 0; k < K; k++) gk[k] = 0;                                 \
        if (gbc) *gbc = 0;                                                         \
        for (int64_t n = 0; n < N; n++)                                            \
            ct_dw_wgrad_plane_##S((const T *)src + (n * C + oc / R) * V1,          \
                                  (const T *)a + n * an + oc * Lo, g, &pl, ph, ph + phn, \
                                  gk, gbc);                                        \
    );                                                                             \
}
typedef int32_t ct_dw_vi __attribute__((vector_size(32)));
typedef int64_t ct_dw_vl __attribute__((vector_size(32)));
CT_DW_WGRAD(f32, float, ct_dw_vf, ct_dw_vf_u, ct_dw_vi)
CT_DW_WGRAD(f64, double, ct_dw_vd, ct_dw_vd_u, ct_dw_vl)

#ifdef CT_CONV_X86
/* the padded copy of image x: rows of Wq values of the strides' phase
 * planes (Dq x Hq x Wq each, s0 s1 s2 of them a channel), row (i0, i1) of
 * phase (p0, p1, p2) holding the padded image's row (i0 s0 + p0, i1 s1 +
 * p1) from column p2 on, every s2-th value. Made a padded row at a time:
 * units u0 .. u1 - 1 of (ci, p0, p1, i0, i1), each its s2 phase rows. */
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma,bmi2")))
static void ct_dc_pad(const float *x, float *xp, const ct_conv_geom *g, int64_t Dq, int64_t Hq,
                      int64_t Wq, int64_t u0, int64_t u1)
{
    const int64_t I0 = g->in[0], I1 = g->in[1], I2 = g->in[2], V = I0 * I1 * I2;
    const int64_t s0 = g->s[0], s1 = g->s[1], s2 = g->s[2], pw = g->p[2];
    const int64_t plane = Dq * Hq * Wq;             /* a phase plane's values */
    /* unit u0's indexes, then an odometer (five divisions a row of 17
     * values took a third of a strided 3-d convolution's time) */
    int64_t q = u0, i1 = q % Hq, i0, p1, p0, ci;
    q /= Hq;
    i0 = q % Dq; q /= Dq;
    p1 = q % s1; q /= s1;
    p0 = q % s0; ci = q / s0;
    const __m512i even = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
    const __m512i odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
    for (int64_t u = u0; u < u1; u++) {
        if (u > u0 && ++i1 == Hq) {
            i1 = 0;
            if (++i0 == Dq) {
                i0 = 0;
                if (++p1 == s1) {
                    p1 = 0;
                    if (++p0 == s0) { p0 = 0; ci++; }
                }
            }
        }
        const int64_t y0 = i0 * s0 + p0 - g->p[0], y1 = i1 * s1 + p1 - g->p[1];
        const int inside = y0 >= 0 && y0 < I0 && y1 >= 0 && y1 < I1;
        const float *in = x + ci * V + (inside ? (y0 * I1 + y1) * I2 : 0);
        /* phase p2's row */
        float *row = xp + ((ci * s0 + p0) * s1 + p1) * s2 * plane + (i0 * Hq + i1) * Wq;
        /* the input columns read, from column -pw: [lo, hi) of them inside */
        const int64_t lo = pw, hi = inside ? pw + I2 : pw;
        if (s2 <= 2) {
            /* a vector of each phase row at a time: masked loads of the
             * inside ones of its 16 s2 input columns (one vector, or two
             * whose even and odd values two permutes pick for the two
             * phases) and a store a phase (a row's memset and copy calls,
             * on rows of 17, cost as much as the rest) */
            const uintptr_t at = (uintptr_t)in - (uintptr_t)(pw * (int64_t)sizeof(float));
            for (int64_t j = 0; j < Wq; j += 16) {
                const int64_t e = j * s2, n = 16 * s2;        /* columns e .. e + n - 1 */
                const int64_t a = lo - e < 0 ? 0 : (lo - e > n ? n : lo - e);
                const int64_t b = hi - e < 0 ? 0 : (hi - e > n ? n : hi - e);
                const uint32_t m = b > a ? (uint32_t)((((uint64_t)1 << b) - 1) & ~(((uint64_t)1 << a) - 1)) : 0;
                const __mmask16 tail = j + 16 <= Wq ? (__mmask16)0xffff : (__mmask16)((1u << (Wq - j)) - 1);
                const uintptr_t p = at + (uintptr_t)(e * 4);
                if (s2 == 1) {
                    const __m512 v = m ? _mm512_maskz_loadu_ps((__mmask16)m, (const void *)p) : _mm512_setzero_ps();
                    _mm512_mask_storeu_ps(row + j, tail, v);
                } else {
                    const __m512 v0 = (m & 0xffff) ? _mm512_maskz_loadu_ps((__mmask16)m, (const void *)p)
                                                   : _mm512_setzero_ps();
                    const __m512 v1 = (m >> 16) ? _mm512_maskz_loadu_ps((__mmask16)(m >> 16), (const void *)(p + 64))
                                                : _mm512_setzero_ps();
                    _mm512_mask_storeu_ps(row + j, tail, _mm512_permutex2var_ps(v0, even, v1));
                    _mm512_mask_storeu_ps(row + plane + j, tail, _mm512_permutex2var_ps(v0, odd, v1));
                }
            }
            continue;
        }
        for (int64_t p2 = 0; p2 < s2; p2++, row += plane)
            for (int64_t j = 0; j < Wq; j++) {
                const int64_t c = j * s2 + p2;
                row[j] = c >= lo && c < hi ? in[c - pw] : 0.0f;
            }
    }
}

/* The whole batch: with at least as many images as threads (and the
 * images shared evenly, or many of them), an image a thread at a time, in
 * the thread's own padded copy; otherwise an image at a time, its padded
 * copy's rows and then its tiles shared between the threads (two
 * barriers an image cost a third of 8 images of 32 channels of 16 x 16).
 * 0, or -1 when out of memory. */
static int ct_conv_direct_f32(const float *src, const float *w, const float *bias, float *y,
                              int64_t N, int64_t C, int64_t R, const ct_conv_geom *g)
{
    const int64_t V = g->in[0] * g->in[1] * g->in[2];
    const int64_t L = g->out[0] * g->out[1] * g->out[2];
    const int64_t K = g->k[0] * g->k[1] * g->k[2], Q = C * K, nb = (R + CT_DC_C - 1) / CT_DC_C;
    /* the phase planes (one for unit strides) and a channel's P values */
    const int64_t s0 = g->s[0], s1 = g->s[1], s2 = g->s[2], S = s0 * s1 * s2;
    const int64_t Dp = g->out[0] + (g->k[0] - 1) / s0, Hp = g->out[1] + (g->k[1] - 1) / s1;
    const int64_t Wp = g->out[2] + (g->k[2] - 1) / s2, Pq = Dp * Hp * Wp, P = S * Pq;
    const int64_t rows = C * s0 * s1 * Dp * Hp;    /* ct_dc_pad's units */
    const ct_dc_geo e = {Hp, Wp, g->out[1], g->out[2], L, g->out[1] * Wp};
    const int64_t TW = 16 * CT_DC_V, per = (e.rows + TW - 1) / TW, tiles = g->out[0] * per;
    int64_t off[CT_DC_KMAX];
    for (int64_t a = 0, t = 0; a < g->k[0]; a++)
        for (int64_t b = 0; b < g->k[1]; b++)
            for (int64_t c = 0; c < g->k[2]; c++)
                off[t++] = ((a % s0 * s1 + b % s1) * s2 + c % s2) * Pq
                           + (a / s0 * Hp + b / s1) * Wp + c / s2;
    int nt = ct_get_num_threads();
    if (2.0 * N * R * Q * L < CT_CONV_PAR_FLOPS) nt = 1;
    /* the weights as [block][t][ci][CT_DC_C], the last block's missing
     * channels 0; the padded images (one, or one a thread while those
     * take at most CT_DC_OWN bytes) with room for the last tile's loads
     * past the end (up to 48 + Wp values); sizes in whole 64-byte lines */
#define CT_DC_LINES(n) (((size_t)(n) * sizeof(float) + 63) / 64 * 64)
    const size_t pad = CT_DC_LINES(C * P + TW + Wp + 64);
    const int own = nt == 1 || ((N % nt == 0 || N >= 4 * nt) && N >= nt && pad * nt <= CT_DC_OWN);
    float *wp = (float *)aligned_alloc(64, CT_DC_LINES(nb * K * C * CT_DC_C));
    float *bp = (float *)aligned_alloc(64, CT_DC_LINES(nb * CT_DC_C));
    char *xs = (char *)aligned_alloc(64, pad * (own ? nt : 1));
#undef CT_DC_LINES
    if (!wp || !bp || !xs) {
        free(wp);
        free(bp);
        free(xs);
        return -1;
    }
    for (int k = 0; k < (own ? nt : 1); k++)
        memset(xs + k * pad + (size_t)(C * P) * sizeof(float), 0, pad - (size_t)(C * P) * sizeof(float));
    for (int64_t cb = 0; cb < nb; cb++)
        for (int64_t t = 0; t < K; t++)
            for (int64_t ci = 0; ci < C; ci++)
                for (int64_t j = 0; j < CT_DC_C; j++) {
                    const int64_t co = cb * CT_DC_C + j;
                    wp[((cb * K + t) * C + ci) * CT_DC_C + j] = co < R ? w[co * Q + ci * K + t] : 0.0f;
                }
    for (int64_t j = 0; j < nb * CT_DC_C; j++) bp[j] = bias && j < R ? bias[j] : 0.0f;
    /* tile u of image n: padded copy xp; each tile fetches its share of
     * image nx's input into L2 (nx < N: the next image the thread pads; its
     * input read from L3 during the copy took a sixth of the time of 8
     * images of 16 channels of 112 x 112 through 3 x 3 at stride 2) */
    const int64_t img = C * V * (int64_t)sizeof(float), share = (img + tiles - 1) / tiles;
#define CT_DC_TILES(xp, n, nx, u0, u1)                                             \
    for (int64_t u = (u0); u < (u1); u++) {                                        \
        if ((nx) < N)                                                              \
            for (int64_t b = u * share; b < (u + 1) * share && b < img; b += 64)   \
                _mm_prefetch((const char *)(src + (nx) * C * V) + b, _MM_HINT_T1); \
        const int64_t o0 = u / per, w0 = o0 * Hp * Wp + u % per * TW;             \
        const int64_t left = o0 * Hp * Wp + e.rows - w0;                           \
        ct_dc_stores st;                                                           \
        ct_dc_tile_stores(&e, o0, w0, left >= TW ? CT_DC_V : (int)((left + 15) / 16), &st); \
        for (int64_t cb = 0; cb < nb; cb++) {                                      \
            const int nco = R - cb * CT_DC_C < CT_DC_C ? (int)(R - cb * CT_DC_C) : CT_DC_C; \
            ct_dc_tile(xp, P, C, K, off, wp + cb * K * C * CT_DC_C,                \
                       bias ? bp + cb * CT_DC_C : NULL, y + ((n) * R + cb * CT_DC_C) * L, L, \
                       &st, w0, nco);                                              \
        }                                                                          \
    }
    if (own) {
        CT_CONV_TEAM(nt,
            float *xp = (float *)(xs + (size_t)ct_thread_num() * pad);
            _Pragma("omp for schedule(static)")
            for (int64_t n = 0; n < N; n++) {
                ct_dc_pad(src + n * C * V, xp, g, Dp, Hp, Wp, 0, rows);
                CT_DC_TILES(xp, n, n + 1, 0, tiles)
            }
        );
    } else {
        float *xp = (float *)xs;
        CT_CONV_TEAM(nt,
            for (int64_t n = 0; n < N; n++) {
                _Pragma("omp for schedule(static)")
                for (int64_t r = 0; r < rows; r += 64)
                    ct_dc_pad(src + n * C * V, xp, g, Dp, Hp, Wp, r, r + 64 < rows ? r + 64 : rows);
                _Pragma("omp for schedule(static)")
                CT_DC_TILES(xp, n, n + 1, 0, tiles)
            }
        );
    }
#undef CT_DC_TILES
    free(wp);
    free(bp);
    free(xs);
    return 0;
}

/* the geometries the direct convolution takes: unit dilations, strides up
 * to 4 and at most the kernel's size, at most CT_DC_KMAX kernel offsets, 4
 * input channels or more (any count with strides, whose columns cost more
 * to gather);
 * where it pays against the columns' path: few output channels (the
 * columns' share falls as the product's work grows with them: at 64 of 56 x
 * 56 through 3 x 3 the two paths tie, at 128 of 28 x 28 the columns' won
 * by 10%), output rows long enough that the windows past their ends are
 * few (rows of 16 in 2-d lost 10%; 3-d's 27 offsets make the columns
 * dearer), and an image a thread or a large image (one image's tiles
 * shared, with its barriers, lost 15% on 16 channels of 32 x 32 and won 30%
 * on 64 of 56 x 56 to 16) */
static int ct_conv_direct_ok(const ct_conv_geom *g, int64_t N, int64_t C, int64_t R)
{
    int strided = 0;
    for (int e = 0; e < 3; e++) {
        if (g->d[e] != 1 || g->s[e] < 1 || g->s[e] > 4 || g->s[e] > g->k[e]) return 0;
        strided |= g->s[e] > 1;
    }
    const int64_t K = g->k[0] * g->k[1] * g->k[2];
    const int deep = K >= 27;
    return K > 1 && K <= CT_DC_KMAX && C >= (strided ? 1 : 4) && R <= (deep ? 64 : 32)
           && g->out[2] >= (deep ? 14 : 28)
           && (N >= ct_get_num_threads() || 2.0 * R * C * K * g->out[0] * g->out[1] * g->out[2] >= 5e7)
           && ct_conv_avx512();
}
#endif

int ct_conv_im2col_mm(ct_conv_gemm_fn gemm, int dtype, int64_t es, const char *src,
                      const char *w, char *y, int64_t N, int64_t C, int64_t G, int64_t R,
                      const ct_conv_geom *g)
{
    return ct_conv_im2col_mm_bias(gemm, dtype, es, src, w, NULL, y, N, C, G, R, g);
}

int ct_conv_im2col_mm_bias(ct_conv_gemm_fn gemm, int dtype, int64_t es, const char *src,
                           const char *w, const char *bias, char *y, int64_t N, int64_t C,
                           int64_t G, int64_t R, const ct_conv_geom *g)
{
    if (G == C && ct_dw_ok(dtype, g)) {
        const int64_t sn = C * g->in[0] * g->in[1] * g->in[2];
        return dtype == CT_FLOAT32 ? ct_dwconv_f32(src, sn, w, bias, y, N, C, R, g)
                                   : ct_dwconv_f64(src, sn, w, bias, y, N, C, R, g);
    }
#ifdef CT_CONV_X86
    if (G == 1 && dtype == CT_FLOAT32 && ct_conv_direct_ok(g, N, C, R))
        return ct_conv_direct_f32((const float *)src, (const float *)w, (const float *)bias,
                                  (float *)y, N, C, R, g);
#endif
    const int64_t V = g->in[0] * g->in[1] * g->in[2], L = g->out[0] * g->out[1] * g->out[2];
    const int64_t K = g->k[0] * g->k[1] * g->k[2], Q = C / G * K;
    ct_im2col_ls_fn im2col = ct_im2col_ls_loops[dtype];
    /* Each image in slabs (ct_conv_slab_plan): the slab's im2col, then its
     * products, while its columns are in cache. The whole image's columns
     * (576 x 3136 for 64 channels of 56 x 56 through 3 x 3) went to L3 and
     * back: 0.7x PyTorch's speed. A slab is small enough that the products
     * read its columns where they lie (at most ain elements a group) where
     * that leaves at least CT_CONV_MIN_SLAB windows; otherwise the image
     * whole when its columns are at most CT_CONV_WHOLE bytes (each slab
     * would read all of the weight again), and slabs of about
     * CT_CONV_SLAB_BYTES of columns above that. The (image, slab) units are
     * shared between the threads, each with its own columns, its products
     * on one thread; their count a multiple of the threads' where the
     * images alone do not share evenly (one image: slabs between the
     * threads). With fewer units than threads the image goes whole through
     * threaded products. Complex dtypes take the image whole. */
    const int64_t ain = (dtype == CT_FLOAT32 ? CT_CONV_AIN : dtype == CT_FLOAT64 ? CT_CONV_AIN_D : 0)
                        * (R <= CT_CONV_AIN_N ? 2 : 1);
    const int64_t col = C * K * L * es;             /* one image's columns, bytes */
    int64_t want;                                   /* windows a slab */
    if (ain == 0) want = L;
    else if (ain / Q >= CT_CONV_MIN_SLAB) want = ain / Q;           /* read in place */
    else if (col <= CT_CONV_WHOLE) want = L;
    else want = CT_CONV_SLAB_BYTES / (C * K * es);                  /* packed, in L2 */
    if (want < CT_CONV_MIN_SLAB) want = CT_CONV_MIN_SLAB;
    int nt = ct_get_num_threads();
    const ct_conv_slabs sp = ct_conv_slab_plan(g, want, N, nt, 1, es == 4 ? 32 : 16);
    const int64_t per_image = sp.outer * sp.slabs, units = N * per_image, ms = sp.ms;
    if (units < nt || 2.0 * N * G * R * Q * L < CT_CONV_PAR_FLOPS) nt = 1;
    /* the columns' rows ld apart: not a multiple of 4 KB (the product's
     * reads in place would share a few cache sets) */
    int64_t ld = ms;
    if ((ld * es) % 4096 == 0) ld += 64 / es;
    size_t per = (size_t)(C * K * ld * es);
    char *scratch = ct_conv_scratch(nt, per);
    const int64_t zoff = 0;
    unsigned char one[16], zero[16];
    if (!scratch) return -1;
    ct_conv_one(dtype, 1.0, one);
    ct_conv_one(dtype, 0.0, zero);
    CT_CONV_TEAM(nt,
        _Pragma("omp for schedule(static)")
        for (int64_t u = 0; u < units; u++) {
            const int64_t n = u / per_image;
            ct_conv_geom gs;
            int64_t l0, m;
            ct_conv_slab_at(g, &sp, u % per_image, &gs, &l0, &m);
            char *cols = scratch + (size_t)ct_thread_num() * ct_conv_slot(per);
            char *yn = y + (n * G * R * L + l0) * es;
            im2col(src + n * C * V * es, cols, C, &gs, ld);
            /* column-major, each group b: y_b^T (m x R) = cols_b^T (m x Q) @ w_b^T (Q x R) */
            for (int64_t b = 0; b < G; b++)
                gemm(dtype, 'N', 'N', (int)m, (int)R, (int)Q, one, cols + b * Q * ld * es,
                     (int)ld, &zoff, (char *)w + b * R * Q * es, (int)Q, &zoff,
                     zero, yn + b * R * L * es, (int)L, 1);
            /* the bias while the slab's output is in cache */
            if (bias != NULL) ct_conv_add_bias(dtype, yn, bias, G * R, m, L);
        }
    );
    ct_conv_scratch_done(scratch);
    return 0;
}

/* The transpose of a depthwise convolution with a stride (2 along the last
 * dim, any along the others): input row (i0, i1) gathers, from each kernel
 * row (k0, k1) that reaches it from an output row (o0, o1), that gradient
 * row times the kernel row's taps; along the last dim its values split in
 * s2 phases (i2 = m s2 + r), phase r the sum of the taps k2 with
 * (r + p2 - k2 d2) a multiple of s2, each the gradient row shifted by c =
 * (r + p2 - k2 d2) / s2. The gradient's rows padded with zeros (PL before,
 * up to Wg), a row's phases made nv vectors at a time and interleaved into
 * the row (col2im's products of one row a channel at 0.77x PyTorch's speed
 * on 8x96x56x56 stride 2). */
#define CT_DWT_PAIRS 64      /* kernel rows (K0 K1) it takes, at most */
#define CT_DWT_SMAX 4        /* the longest stride along the first dims it takes */
typedef struct {
    int64_t PL, Wg;
    /* each dim: for an input index i = q s + rho, the taps k with an output
     * index o = q + c (i + p - k d = o s), nr[dim][rho] of them; along the
     * last dim rho is the phase r and c the gradient row's shift */
    int64_t nr[3][CT_DWT_SMAX], rk[3][CT_DWT_SMAX][CT_DW_KMAX], rc[3][CT_DWT_SMAX][CT_DW_KMAX];
    int nv;
} ct_dwt_plan;
/* the plan of ct_dwt, or 0 where it does not apply */
static int ct_dwt_plan_make(const ct_conv_geom *g, int64_t L, ct_dwt_plan *pl)
{
    const int64_t s2 = g->s[2];
    if (s2 > 2 || g->k[0] * g->k[1] > CT_DWT_PAIRS) return 0;
    int64_t lo = 0, hi = 0;
    for (int dim = 0; dim < 3; dim++) {
        const int64_t sd = g->s[dim], pd = g->p[dim], dd = g->d[dim];
        if (sd > CT_DWT_SMAX || g->k[dim] > CT_DW_KMAX) return 0;
        for (int64_t rho = 0; rho < sd; rho++) {
            int64_t *n = &pl->nr[dim][rho];
            *n = 0;
            for (int64_t k = 0; k < g->k[dim]; k++) {
                const int64_t t = rho + pd - k * dd;
                if (((t % sd) + sd) % sd) continue;
                pl->rk[dim][rho][*n] = k;
                pl->rc[dim][rho][(*n)++] = t / sd;
                if (dim == 2) {
                    lo = t / sd < lo ? t / sd : lo;
                    hi = t / sd > hi ? t / sd : hi;
                }
            }
        }
    }
    const int64_t n0 = (g->in[2] + s2 - 1) / s2;    /* phase 0's values: the most */
    const int64_t need = (n0 + L - 1) / L;
    pl->nv = need >= 4 ? 4 : (int)need;
    const int64_t ch = pl->nv * L, cover = (n0 + ch - 1) / ch * ch;
    pl->PL = -lo;
    pl->Wg = pl->PL + (cover > g->out[2] ? cover : g->out[2]) + hi + 1;
    return 1;
}
#define CT_DWT(S, T, V, VU, VI)                                                    \
__attribute__((always_inline)) static inline void ct_dwt_chunk_##S(                \
        const T *const *rp, const T *const *wp, int np, const ct_dwt_plan *pl,     \
        int64_t s2, int64_t m0, T *yr, int64_t I2, const int nv)                   \
{                                                                                  \
    enum { L = 32 / sizeof(T) };                                                   \
    V acc[2][4];                                                                   \
    for (int64_t r = 0; r < s2; r++) {                                             \
        for (int v = 0; v < nv; v++) acc[r][v] = (V){0};                           \
        for (int q = 0; q < np; q++)                                               \
            for (int64_t j = 0; j < pl->nr[2][r]; j++) {                           \
                const V wv = wp[q][pl->rk[2][r][j]] - (V){0};                      \
                const T *src = rp[q] + m0 + pl->rc[2][r][j];                       \
                for (int v = 0; v < nv; v++) acc[r][v] += wv * *(const VU *)(src + v * L); \
            }                                                                      \
    }                                                                              \
    /* the row's values i2 = m s2 + r from m0 s2 on: whole vectors in place, */   \
    /* the last part through t                                               */   \
    T t[2 * 4 * L];                                                                \
    const int64_t at = m0 * s2, n = I2 - at < s2 * nv * L ? I2 - at : s2 * nv * L; \
    T *o = n == s2 * nv * L ? yr + at : t;                                         \
    for (int v = 0; v < nv; v++) {                                                 \
        if (s2 == 1) { *(VU *)(o + v * L) = acc[0][v]; continue; }                 \
        *(VU *)(o + 2 * v * L) = CT_DWT_ZIP_LO(acc[0][v], acc[1][v]);              \
        *(VU *)(o + (2 * v + 1) * L) = CT_DWT_ZIP_HI(acc[0][v], acc[1][v]);        \
    }                                                                              \
    if (o == t) for (int64_t i = 0; i < n; i++) yr[at + i] = t[i];                 \
}                                                                                  \
__attribute__((optimize("no-tree-loop-distribute-patterns")))                     \
CT_MULTIVERSION static void ct_dwt_plane_##S(const T *gy, const T *w, T *y,        \
                                             const ct_conv_geom *g, const ct_dwt_plan *pl, \
                                             T *gp)                                \
{                                                                                  \
    enum { L = 32 / sizeof(T) };                                                   \
    const int64_t O0 = g->out[0], O1 = g->out[1], O2 = g->out[2];                  \
    const int64_t I0 = g->in[0], I1 = g->in[1], I2 = g->in[2];                     \
    const int64_t K1 = g->k[1], K2 = g->k[2], s2 = g->s[2], Wg = pl->Wg;           \
    for (int64_t row = 0; row < O0 * O1; row++)                                    \
        for (int64_t m = 0; m < O2; m++) gp[row * Wg + pl->PL + m] = gy[row * O2 + m]; \
    const T *rp[CT_DWT_PAIRS], *wp[CT_DWT_PAIRS];                                  \
    const int64_t n0 = (I2 + s2 - 1) / s2, ch = pl->nv * L;                        \
    const int64_t s0 = g->s[0], s1 = g->s[1];                                      \
    for (int64_t i0 = 0; i0 < I0; i0++)                                            \
        for (int64_t i1 = 0; i1 < I1; i1++) {                                      \
            /* i = q s + rho: the taps whose output index q + c is in range */    \
            const int64_t q0 = i0 / s0, r0 = i0 % s0, q1 = i1 / s1, r1 = i1 % s1;  \
            int np = 0;                                                            \
            for (int64_t j0 = 0; j0 < pl->nr[0][r0]; j0++) {                       \
                const int64_t o0 = q0 + pl->rc[0][r0][j0];                         \
                if (o0 < 0 || o0 >= O0) continue;                                  \
                for (int64_t j1 = 0; j1 < pl->nr[1][r1]; j1++) {                   \
                    const int64_t o1 = q1 + pl->rc[1][r1][j1];                     \
                    if (o1 < 0 || o1 >= O1) continue;                              \
                    rp[np] = gp + (o0 * O1 + o1) * Wg + pl->PL;                    \
                    wp[np++] = w + (pl->rk[0][r0][j0] * K1 + pl->rk[1][r1][j1]) * K2; \
                }                                                                  \
            }                                                                      \
            T *yr = y + (i0 * I1 + i1) * I2;                                       \
            if (np == 0) { for (int64_t m = 0; m < I2; m++) yr[m] = 0; continue; } \
            for (int64_t m0 = 0; m0 < n0; m0 += ch)                                \
                switch (pl->nv) {                                                  \
                case 4: ct_dwt_chunk_##S(rp, wp, np, pl, s2, m0, yr, I2, 4); break; \
                case 2: ct_dwt_chunk_##S(rp, wp, np, pl, s2, m0, yr, I2, 2); break; \
                default: ct_dwt_chunk_##S(rp, wp, np, pl, s2, m0, yr, I2, (int)pl->nv); \
                }                                                                  \
        }                                                                          \
}                                                                                  \
static int ct_dwt_##S(const char *src, int64_t sn, const char *w, char *y, int64_t N, \
                      int64_t C, const ct_conv_geom *g, const ct_dwt_plan *pl)     \
{                                                                                  \
    const int64_t V1 = g->in[0] * g->in[1] * g->in[2];                             \
    const int64_t Lo = g->out[0] * g->out[1] * g->out[2], K = g->k[0] * g->k[1] * g->k[2]; \
    const int64_t gpn = g->out[0] * g->out[1] * pl->Wg, planes = N * C;            \
    CT_DW_TEAM(T, gp, gpn, q, planes, planes * Lo * K,                             \
        ct_dwt_plane_##S((const T *)src + q / C * sn + q % C * Lo, (const T *)w + q % C * K, \
                         (T *)y + q * V1, g, pl, gp);                              \
    );                                                                             \
}
#define CT_DWT_ZIP_LO(a, b) __builtin_shuffle(a, b, ct_dwt_zlo)
#define CT_DWT_ZIP_HI(a, b) __builtin_shuffle(a, b, ct_dwt_zhi)
#define ct_dwt_zlo ((ct_dw_vi){0, 8, 1, 9, 2, 10, 3, 11})
#define ct_dwt_zhi ((ct_dw_vi){4, 12, 5, 13, 6, 14, 7, 15})
CT_DWT(f32, float, ct_dw_vf, ct_dw_vf_u, ct_dw_vi)
#undef ct_dwt_zlo
#undef ct_dwt_zhi
#define ct_dwt_zlo ((ct_dw_vl){0, 4, 1, 5})
#define ct_dwt_zhi ((ct_dw_vl){2, 6, 3, 7})
CT_DWT(f64, double, ct_dw_vd, ct_dw_vd_u, ct_dw_vl)
#undef ct_dwt_zlo
#undef ct_dwt_zhi
#undef CT_DWT_ZIP_LO
#undef CT_DWT_ZIP_HI

/* The transpose of a depthwise convolution (one channel a group, one
 * output channel a channel: an input's gradient, conv_transpose with groups
 * equal to the channels) with stride 1 is itself one: each output plane
 * correlated with its kernel flipped, padded by d (k - 1) - p on each side,
 * through the direct depthwise kernel instead of the products and col2im
 * (the input's gradient, 7 x 7 on 8x128x28x28: 0.32x -> 1.4x PyTorch's speed,
 * 3 x 3 on 8x32x64x64: 1.0x -> 2.2x); with a stride, ct_dwt. src: N images
 * of G planes (sn elements apart; 0: one image for all), w: G kernels; y: N
 * images of G planes; ct_dw_ok. Returns 1 where the geometry does not suit
 * them, -1 out of memory, else 0. */
static int ct_dw_transposed(int dtype, const char *src, int64_t sn, const char *w, char *y,
                            int64_t N, int64_t G, const ct_conv_geom *g)
{
    if (g->s[0] > 1 || g->s[1] > 1 || g->s[2] > 1) {
        ct_dwt_plan pl;
        if (!ct_dwt_plan_make(g, dtype == CT_FLOAT32 ? 8 : 4, &pl)) return 1;
        return dtype == CT_FLOAT32 ? ct_dwt_f32(src, sn, w, y, N, G, g, &pl)
                                   : ct_dwt_f64(src, sn, w, y, N, G, g, &pl);
    }
    ct_conv_geom t;
    for (int i = 0; i < 3; i++) {
        const int64_t reach = g->d[i] * (g->k[i] - 1);
        if (g->p[i] > reach) return 1;
        t.in[i] = g->out[i];
        t.out[i] = g->in[i];
        t.k[i] = g->k[i];
        t.s[i] = 1;
        t.p[i] = reach - g->p[i];
        t.d[i] = g->d[i];
    }
    const int64_t K = g->k[0] * g->k[1] * g->k[2], es = dtype == CT_FLOAT32 ? 4 : 8;
    char *wf = (char *)malloc((size_t)(G * K * es));
    if (wf == NULL) return -1;
    for (int64_t c = 0; c < G; c++)
        for (int64_t k = 0; k < K; k++)
            memcpy(wf + (c * K + k) * es, w + (c * K + K - 1 - k) * es, (size_t)es);
    const int rc = dtype == CT_FLOAT32 ? ct_dwconv_f32(src, sn, wf, NULL, y, N, G, 1, &t)
                                       : ct_dwconv_f64(src, sn, wf, NULL, y, N, G, 1, &t);
    free(wf);
    return rc;
}

int ct_conv_mm_col2im(ct_conv_gemm_fn gemm, int dtype, int64_t es, const char *src,
                      const char *w, char *y, int64_t N, int64_t Cq, int64_t G, int64_t R,
                      const ct_conv_geom *g)
{
    const int64_t L = g->out[0] * g->out[1] * g->out[2];
    return ct_conv_mm_col2im_bs(gemm, dtype, es, src, G * R * L, w, y, N, Cq, G, R, g);
}

int ct_conv_mm_col2im_bs(ct_conv_gemm_fn gemm, int dtype, int64_t es, const char *src,
                         int64_t sn, const char *w, char *y, int64_t N, int64_t Cq, int64_t G,
                         int64_t R, const ct_conv_geom *g)
{
    const int64_t V = g->in[0] * g->in[1] * g->in[2], L = g->out[0] * g->out[1] * g->out[2];
    const int64_t K = g->k[0] * g->k[1] * g->k[2], Q = Cq * K, C = G * Cq;
    if (Cq == 1 && R == 1 && ct_dw_ok(dtype, g))
        switch (ct_dw_transposed(dtype, src, sn, w, y, N, G, g)) {
        case 0: return 0;
        case -1: return -1;
        }
    ct_col2im_run_fn col2im = ct_col2im_run_loops[dtype];
    int nt = ct_conv_threads(N, 2.0 * N * G * R * Q * L);
    /* With the images between the threads, each image's columns in slabs
     * of about CT_CONV_SLAB_BYTES (float32, float64): the slab's products,
     * then its col2im adding into the image while the columns are in cache
     * (the first slab writes every element); 56 x 56 images of 64
     * channels through 3 x 3 wrote 7 MB of columns to L3 and read them
     * back: 0.7x PyTorch's speed. */
    int64_t want = L;
    if ((dtype == CT_FLOAT32 || dtype == CT_FLOAT64) && nt > 1 && C * K * L * es > 2 * CT_CONV_WHOLE) {
        want = CT_CONV_SLAB_BYTES / (C * K * es);
        if (want < CT_CONV_MIN_SLAB) want = CT_CONV_MIN_SLAB;
    }
    const ct_conv_slabs sp = ct_conv_slab_plan(g, want, N, nt, 0, es == 4 ? 32 : 16);
    const int64_t per_image = sp.outer * sp.slabs, zoff = 0;
    size_t per = (size_t)(C * K * ((sp.ms * es + 63) / 64 * 64));
    char *scratch = ct_conv_scratch(nt, per);
    int64_t *offs = (int64_t *)malloc(sizeof(int64_t) * 2 * (size_t)G);
    /* with slabs, each group's weight transposed once (Q x R), so that every
     * slab's product reads it in place instead of packing it again */
    char *wt = per_image > 1 ? (char *)malloc((size_t)(G * R * Q * es)) : NULL;
    unsigned char one[16], zero[16];
    if (!scratch || !offs || (per_image > 1 && !wt)) {
        ct_conv_scratch_done(scratch);
        free(offs);
        free(wt);
        return -1;
    }
    for (int64_t b = 0; b < G; b++) {
        offs[b] = b * R * L;                /* the group's rows of src */
        offs[G + b] = b * R * Q;            /* the group's weight */
    }
    if (wt != NULL)
        for (int64_t b = 0; b < G; b++)
            for (int64_t q = 0; q < Q; q++)
                for (int64_t r = 0; r < R; r++)
                    memcpy(wt + ((b * Q + q) * R + r) * es, w + ((b * R + r) * Q + q) * es, (size_t)es);
    ct_conv_one(dtype, 1.0, one);
    ct_conv_one(dtype, 0.0, zero);
    CT_CONV_TEAM(nt,
        _Pragma("omp for schedule(static)")
        for (int64_t n = 0; n < N; n++) {
            int t = ct_thread_num();
            char *cols = scratch + (size_t)t * ct_conv_slot(per);
            for (int64_t i = 0; i < per_image; i++) {
                ct_conv_geom gs;
                int64_t l0, m;
                ct_conv_slab_at(g, &sp, i, &gs, &l0, &m);
                /* column-major: cols^T (m x Q) = src^T (m x R) @ w (R x Q);
                 * a slab's columns' rows ld apart, on cache lines */
                if (wt == NULL) {
                    gemm(dtype, 'N', 'T', (int)m, (int)Q, (int)R, one,
                         (char *)src + (n * sn + l0) * es, (int)L, offs, (char *)w, (int)Q,
                         offs + G, zero, cols, (int)m, G);
                    col2im(cols, y + n * C * V * es, C, &gs, m, 1, 0);
                    continue;
                }
                const int64_t ld = (m * es + 63) / 64 * 64 / es;
                for (int64_t b = 0; b < G; b++)
                    gemm(dtype, 'N', 'N', (int)m, (int)Q, (int)R, one,
                         (char *)src + (n * sn + b * R * L + l0) * es, (int)L, &zoff,
                         wt + b * R * Q * es, (int)R, &zoff, zero, cols + b * Q * ld * es,
                         (int)ld, 1);
                col2im(cols, y + n * C * V * es, C, &gs, ld, 1, i > 0);
            }
        }
    );
    ct_conv_scratch_done(scratch);
    free(offs);
    free(wt);
    return 0;
}

/* The weight gradient's products take k (the length of the sums) over a
 * chunk of images at once: nb consecutive images' columns side by side in
 * rows of nb L, so that a small image still makes one product with a long
 * k instead of many short ones; a chunk stops growing at CT_CONV_WG_K. */
#define CT_CONV_WG_K 256

/* the share of a float32 product's micro-tiles (32 x 12 or 16 x 6, sgemm.c)
 * that is real work when C is M x N */
static double ct_conv_tile_use(int64_t M, int64_t N)
{
    int mr, nr;
    ct_sgemm_tile(&mr, &nr);
    return (double)M / (double)((M + mr - 1) / mr * mr) * (double)N / (double)((N + nr - 1) / nr * nr);
}

#define CT_CONV_WG_SUM(T)                                                          \
    do {                                                                           \
        for (int64_t b = 0; b < G; b++)                                            \
            for (int64_t r = 0; r < R; r++)                                        \
                for (int64_t q = 0; q < Q; q++) {                                  \
                    int64_t at = rq ? b * R * Q + q * R + r : b * R * Q + r * Q + q; \
                    T v = ((const T *)(scratch + accoff))[at];                     \
                    for (int t = 1; t < nt; t++)                                   \
                        v += ((const T *)(scratch + (size_t)t * slot + accoff))[at]; \
                    ((T *)gw)[b * R * Q + r * Q + q] = v;                          \
                }                                                                  \
    } while (0)

/* acc[r] += the sum of a's row r (rows x L), over 8 running sums */
#define CT_CONV_ROW_SUMS(T)                                                        \
    do {                                                                           \
        for (int64_t r = 0; r < rows; r++) {                                       \
            const T *ar = (const T *)a + r * L;                                    \
            T p[8] = {0, 0, 0, 0, 0, 0, 0, 0};                                     \
            int64_t l = 0;                                                         \
            for (; l + 8 <= L; l += 8)                                             \
                for (int j = 0; j < 8; j++) p[j] += ar[l + j];                     \
            for (int j = 0; l < L; l++, j++) p[j] += ar[l];                        \
            ((T *)acc)[r] += ((p[0] + p[4]) + (p[2] + p[6])) + ((p[1] + p[5]) + (p[3] + p[7])); \
        }                                                                          \
    } while (0)

CT_MULTIVERSION
static void ct_conv_row_sums(int dtype, const char *a, int64_t rows, int64_t L, char *acc)
{
#ifdef CT_CONV_X86
    if ((dtype == CT_FLOAT32 || dtype == CT_FLOAT64) && ct_conv_avx512()) {
        if (dtype == CT_FLOAT32)
            ct_conv_row_sums_z_f32((const float *)a, rows, L, (float *)acc);
        else
            ct_conv_row_sums_z_f64((const double *)a, rows, L, (double *)acc);
        return;
    }
#endif
    switch (dtype) {
    case CT_FLOAT32: CT_CONV_ROW_SUMS(float); break;
    case CT_FLOAT64: CT_CONV_ROW_SUMS(double); break;
    case CT_COMPLEX64: CT_CONV_ROW_SUMS(ct_cfloat); break;
    default: CT_CONV_ROW_SUMS(ct_cdouble); break;
    }
}

/* gb[r] = the sum over the threads' accumulators */
#define CT_CONV_GB_SUM(T)                                                          \
    do {                                                                           \
        for (int64_t r = 0; r < G * R; r++) {                                      \
            T v = ((const T *)(scratch + gboff))[r];                               \
            for (int t = 1; t < nt; t++)                                           \
                v += ((const T *)(scratch + (size_t)t * slot + gboff))[r];         \
            ((T *)gb)[r] = v;                                                      \
        }                                                                          \
    } while (0)

int ct_conv_wgrad(ct_conv_gemm_fn gemm, int dtype, int64_t es, const char *a, const char *src,
                  char *gw, int64_t N, int64_t C, int64_t G, int64_t R, const ct_conv_geom *g)
{
    const int64_t L = g->out[0] * g->out[1] * g->out[2];
    return ct_conv_wgrad_bias(gemm, dtype, es, a, G * R * L, src, gw, NULL, N, C, G, R, g);
}

int ct_conv_wgrad_bias(ct_conv_gemm_fn gemm, int dtype, int64_t es, const char *a, int64_t an,
                       const char *src, char *gw, char *gb, int64_t N, int64_t C, int64_t G,
                       int64_t R, const ct_conv_geom *g)
{
    const int64_t V = g->in[0] * g->in[1] * g->in[2], L = g->out[0] * g->out[1] * g->out[2];
    const int64_t K = g->k[0] * g->k[1] * g->k[2], Q = C / G * K;
    const int64_t W = G * R * Q;            /* elements of gw */
    if (G == C && ct_dw_ok(dtype, g))
        return dtype == CT_FLOAT32 ? ct_dw_wgrad_f32(a, an, src, gw, gb, N, C, R, g)
                                   : ct_dw_wgrad_f64(a, an, src, gw, gb, N, C, R, g);
    ct_im2col_ls_fn im2col = ct_im2col_ls_loops[dtype];
    int nt = ct_conv_threads(N, 2.0 * N * G * R * Q * L);
    /* images per chunk: at most a thread's share */
    int64_t share = (N + nt - 1) / nt;
    int64_t nb = L >= CT_CONV_WG_K ? 1 : (CT_CONV_WG_K + L - 1) / L;
    if (nb > share) nb = share;
    /* rows of the chunk's columns (and of its copy of a), not a multiple
     * of 4 KB apart (the product reads them in place, several at a time) */
    int64_t ld = nb * L;
    if ((ld * es) % 4096 == 0) ld += 64 / es;
    /* C = gw[b] (R x Q), stored as R x Q column-major (rq: the products
     * read the columns in place, pack a) or as Q x R column-major, which is
     * gw's own layout (the products pack the columns); rq for float32
     * (ctorch's own product) unless it leaves many more of its micro-tiles
     * empty */
    int rq = dtype == CT_FLOAT32 && ct_conv_tile_use(R, Q) >= 0.8 * ct_conv_tile_use(Q, R);
    size_t colsz = ct_conv_slot((size_t)(C * K * ld * es));
    size_t asz = nb > 1 ? ct_conv_slot((size_t)(G * R * ld * es)) : 0;
    size_t accoff = colsz + asz, gboff = accoff + ct_conv_slot((size_t)(W * es));
    size_t slot = gboff + (gb != NULL ? ct_conv_slot((size_t)(G * R * es)) : 0);
    char *scratch = ct_conv_scratch(nt, slot);
    int64_t *offs = (int64_t *)malloc(sizeof(int64_t) * 3 * (size_t)G);
    unsigned char one[16];
    if (!scratch || !offs) {
        ct_conv_scratch_done(scratch);
        free(offs);
        return -1;
    }
    for (int64_t b = 0; b < G; b++) {
        offs[b] = b * Q * ld;               /* the group's columns */
        offs[G + b] = b * R * L;            /* the group's rows of a[n] */
        offs[2 * G + b] = b * R * ld;       /* the group's rows of a chunk's copy of a */
    }
    ct_conv_one(dtype, 1.0, one);
    CT_CONV_TEAM(nt,
        int t = ct_thread_num();
        char *cols = scratch + (size_t)t * slot;
        char *acopy = cols + colsz;
        char *acc = cols + accoff;
        int64_t lo = N * t / nt, hi = N * (t + 1) / nt;
        char *gbacc = cols + gboff;
        memset(acc, 0, (size_t)(W * es));
        if (gb != NULL) memset(gbacc, 0, (size_t)(G * R * es));
        for (int64_t n0 = lo; n0 < hi; n0 += nb) {
            int64_t m = hi - n0 < nb ? hi - n0 : nb;
            const char *ap;
            int64_t lda;
            const int64_t *aoff;
            for (int64_t j = 0; j < m; j++)
                im2col(src + (n0 + j) * C * V * es, cols + j * L * es, C, g, ld);
            if (gb != NULL)
                for (int64_t j = 0; j < m; j++)
                    ct_conv_row_sums(dtype, a + (n0 + j) * an * es, G * R, L, gbacc);
            if (nb == 1) {
                ap = a + n0 * an * es;
                lda = L;
                aoff = offs + G;
            } else {
                /* a's rows of the chunk side by side, as its columns are */
                for (int64_t j = 0; j < m; j++)
                    for (int64_t rr = 0; rr < G * R; rr++)
                        memcpy(acopy + (rr * ld + j * L) * es,
                               a + ((n0 + j) * an + rr * L) * es, (size_t)(L * es));
                ap = acopy;
                lda = ld;
                aoff = offs + 2 * G;
            }
            if (rq)
                /* column-major: gw[b] (R x Q) += a (R x mL) @ cols^T (mL x Q) */
                gemm(dtype, 'T', 'N', (int)R, (int)Q, (int)(m * L), one, (char *)ap, (int)lda,
                     aoff, cols, (int)ld, offs, one, acc, (int)R, G);
            else
                /* column-major: gw[b]^T (Q x R) += cols (Q x mL) @ a^T (mL x R) */
                gemm(dtype, 'T', 'N', (int)Q, (int)R, (int)(m * L), one, cols, (int)ld, offs,
                     (char *)ap, (int)lda, aoff, one, acc, (int)Q, G);
        }
    );
    switch (dtype) {
    case CT_FLOAT32: CT_CONV_WG_SUM(float); break;
    case CT_FLOAT64: CT_CONV_WG_SUM(double); break;
    case CT_COMPLEX64: CT_CONV_WG_SUM(ct_cfloat); break;
    default: CT_CONV_WG_SUM(ct_cdouble); break;
    }
    if (gb != NULL) {
        switch (dtype) {
        case CT_FLOAT32: CT_CONV_GB_SUM(float); break;
        case CT_FLOAT64: CT_CONV_GB_SUM(double); break;
        case CT_COMPLEX64: CT_CONV_GB_SUM(ct_cfloat); break;
        default: CT_CONV_GB_SUM(ct_cdouble); break;
        }
    }
    ct_conv_scratch_done(scratch);
    free(offs);
    return 0;
}
