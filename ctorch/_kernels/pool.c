/* Pooling kernels (pool.h): max, average and adaptive pooling over dense
 * planes of up to three dims, their backward kernels and the index scatter
 * of max pooling's backward and max_unpool. Each kernel is a macro
 * instantiated per dtype; the tables at the end hand them to the backend. */
#include <math.h>
#include <stdint.h>
#include "pool.h"

int ct_get_num_threads(void);

#define CT_POOL_GRAIN 32768

/* threads for `planes` planes of `work` element visits each: one for small
 * launches, at most one per plane */
static int ct_pool_threads(int64_t planes, int64_t work)
{
    int nt;
    if (planes < 2 || planes * work < CT_POOL_GRAIN) return 1;
    nt = ct_get_num_threads();
    return planes < nt ? (int)planes : nt;
}

static inline int64_t ct_pool_min(int64_t a, int64_t b) { return a < b ? a : b; }
static inline int64_t ct_pool_max(int64_t a, int64_t b) { return a > b ? a : b; }

/* the first tap of a window starting at s0 (taps d apart) that is not
 * before 0, and the end (exclusive bound) of the taps inside [0, n) */
#define CT_TAPS(s0, k, d, n, lo, hi)                                              \
    int64_t lo = (s0), hi = ct_pool_min((s0) + ((k) - 1) * (d) + 1, (n));         \
    while (lo < 0) lo += (d);

/* ---- max pooling ----------------------------------------------------------
 * The window's largest element and its flat index; a NaN wins over any
 * number and a later NaN over an earlier one (PyTorch's rule); a window of
 * the lowest value only keeps its first element. */
#define CT_MAX_POOL(S, T, LOWEST)                                                 \
static void ct_max_pool_##S(const ct_pool_args *a, const void *xv, void *yv,      \
                            int64_t *idx)                                          \
{                                                                                  \
    const T *x = (const T *)xv;                                                    \
    T *y = (T *)yv;                                                                \
    const int64_t in_n = a->id * a->ih * a->iw, out_n = a->od * a->oh * a->ow;     \
    const int64_t hw = a->ih * a->iw;                                              \
    int nt = ct_pool_threads(a->planes, out_n * a->kd * a->kh * a->kw);            \
    int64_t p;                                                                     \
    CT_PARALLEL_IF(nt > 1, "omp parallel for num_threads(nt) schedule(static)",    \
    for (p = 0; p < a->planes; p++) {                                              \
        /* the geometry in a local copy: no store below can alias it */            \
        const ct_pool_args L_ = *a;                                                \
        const ct_pool_args *const a = &L_;                                         \
        const T *xp = x + p * in_n;                                                \
        T *yp = y + p * out_n;                                                     \
        int64_t *ip = idx ? idx + p * out_n : NULL;                                \
        int64_t o = 0;                                                             \
        for (int64_t od = 0; od < a->od; od++) {                                   \
            CT_TAPS(od * a->sd - a->pd, a->kd, a->dd, a->id, d0, d1)               \
            for (int64_t oh = 0; oh < a->oh; oh++) {                               \
                CT_TAPS(oh * a->sh - a->ph, a->kh, a->dh, a->ih, h0, h1)           \
                for (int64_t ow = 0; ow < a->ow; ow++, o++) {                      \
                    CT_TAPS(ow * a->sw - a->pw, a->kw, a->dw, a->iw, w0, w1)       \
                    T m = LOWEST;                                                  \
                    int64_t mi = d0 * hw + h0 * a->iw + w0;                        \
                    for (int64_t d = d0; d < d1; d += a->dd)                       \
                        for (int64_t h = h0; h < h1; h += a->dh) {                 \
                            const T *row = xp + d * hw + h * a->iw;                \
                            const int64_t base = d * hw + h * a->iw;               \
                            for (int64_t w = w0; w < w1; w += a->dw) {             \
                                /* selects, not branches: random data would  */   \
                                /* mispredict half of them                   */   \
                                T v = row[w];                                      \
                                int c = (v > m) | (v != v);                        \
                                m = c ? v : m;                                     \
                                mi = c ? base + w : mi;                            \
                            }                                                      \
                        }                                                          \
                    yp[o] = m;                                                     \
                    if (ip) ip[o] = mi;                                            \
                }                                                                  \
            }                                                                      \
        }                                                                          \
    });                                                                            \
}

/* m, mi = v, i when v is larger than m or NaN (as selects) */
#define CT_MAX_SEL(val, i)                                                        \
    { v = (val); int c_ = (v > m) | (v != v); m = c_ ? v : m; mi = c_ ? (i) : mi; }

/* 2-d windows of 2 x 2, stride 2, no padding or dilation: the common case,
 * unrolled (same NaN and tie rules as the general loop) */
#define CT_MAX_POOL_2X2(S, T)                                                     \
static int ct_max_pool_2x2_##S(const ct_pool_args *a, const T *x, T *y,           \
                               int64_t *idx)                                       \
{                                                                                  \
    if (a->id != 1 || a->kd != 1 || a->kh != 2 || a->kw != 2 || a->sh != 2        \
        || a->sw != 2 || a->ph || a->pw || a->dh != 1 || a->dw != 1                \
        || a->oh * 2 > a->ih || a->ow * 2 > a->iw)                                 \
        return 0;                                                                  \
    const int64_t in_n = a->ih * a->iw, out_n = a->oh * a->ow, W = a->iw;          \
    int nt = ct_pool_threads(a->planes, out_n * 4);                                \
    int64_t p;                                                                     \
    CT_PARALLEL_IF(nt > 1, "omp parallel for num_threads(nt) schedule(static)",    \
    for (p = 0; p < a->planes; p++) {                                              \
        /* the geometry in a local copy: no store below can alias it */            \
        const ct_pool_args L_ = *a;                                                \
        const ct_pool_args *const a = &L_;                                         \
        const T *xp = x + p * in_n;                                                \
        T *yp = y + p * out_n;                                                     \
        int64_t *ip = idx ? idx + p * out_n : NULL;                                \
        for (int64_t oh = 0; oh < a->oh; oh++) {                                   \
            const T *r0 = xp + 2 * oh * W, *r1 = r0 + W;                           \
            T *yr = yp + oh * a->ow;                                               \
            if (ip) {                                                              \
                int64_t *ir = ip + oh * a->ow, base = 2 * oh * W;                  \
                for (int64_t ow = 0; ow < a->ow; ow++) {                           \
                    int64_t w = 2 * ow, mi = base + w;                             \
                    T m = r0[w], v;                                                \
                    CT_MAX_SEL(r0[w + 1], base + w + 1)                            \
                    CT_MAX_SEL(r1[w], base + W + w)                                \
                    CT_MAX_SEL(r1[w + 1], base + W + w + 1)                        \
                    yr[ow] = m;                                                    \
                    ir[ow] = mi;                                                   \
                }                                                                  \
            } else {                                                               \
                for (int64_t ow = 0; ow < a->ow; ow++) {                           \
                    int64_t w = 2 * ow;                                            \
                    T m = r0[w], v;                                                \
                    v = r0[w + 1]; m = (v > m) | (v != v) ? v : m;                 \
                    v = r1[w]; m = (v > m) | (v != v) ? v : m;                     \
                    v = r1[w + 1]; m = (v > m) | (v != v) ? v : m;                 \
                    yr[ow] = m;                                                    \
                }                                                                  \
            }                                                                      \
        }                                                                          \
    });                                                                            \
    return 1;                                                                      \
}

/* 1-d windows of K = 2, 3 or 4 side by side (stride K, no padding or
 * dilation): the window size a constant, one loop per K */
#define CT_MAX_ROW_K(T, K)                                                        \
    for (int64_t ow = 0; ow < OW; ow++) {                                         \
        const T *r = xp + ow * K;                                                  \
        T m = r[0], v;                                                             \
        int64_t mi = ow * K;                                                       \
        for (int j = 1; j < K; j++) {                                              \
            v = r[j];                                                              \
            int c_ = (v > m) | (v != v);                                           \
            m = c_ ? v : m;                                                        \
            mi = c_ ? ow * K + j : mi;                                             \
        }                                                                          \
        yp[ow] = m;                                                                \
        if (ip) ip[ow] = mi;                                                       \
    }
#define CT_MAX_POOL_ROW(S, T)                                                     \
static int ct_max_pool_row_##S(const ct_pool_args *a, const T *x, T *y,           \
                               int64_t *idx)                                       \
{                                                                                  \
    const int64_t K = a->kw, OW = a->ow, W = a->iw;                                \
    if (a->id != 1 || a->ih != 1 || a->kd != 1 || a->kh != 1 || K < 2 || K > 4     \
        || a->sw != K || a->pw || a->dw != 1 || OW * K > W)                        \
        return 0;                                                                  \
    int nt = ct_pool_threads(a->planes, OW * K);                                   \
    int64_t p;                                                                     \
    CT_PARALLEL_IF(nt > 1, "omp parallel for num_threads(nt) schedule(static)",    \
    for (p = 0; p < a->planes; p++) {                                              \
        const T *xp = x + p * W;                                                   \
        T *yp = y + p * OW;                                                        \
        int64_t *ip = idx ? idx + p * OW : NULL;                                   \
        if (K == 2) { CT_MAX_ROW_K(T, 2) }                                         \
        else if (K == 3) { CT_MAX_ROW_K(T, 3) }                                    \
        else { CT_MAX_ROW_K(T, 4) }                                                \
    });                                                                            \
    return 1;                                                                      \
}

#define CT_MAX_POOL_F(S, T, LOWEST)                                               \
CT_MAX_POOL(S##_any, T, LOWEST)                                                   \
CT_MAX_POOL_2X2(S, T)                                                             \
CT_MAX_POOL_ROW(S, T)                                                             \
static void ct_max_pool_##S(const ct_pool_args *a, const void *x, void *y,        \
                            int64_t *idx)                                          \
{                                                                                  \
    if (!ct_max_pool_2x2_##S(a, (const T *)x, (T *)y, idx)                         \
        && !ct_max_pool_row_##S(a, (const T *)x, (T *)y, idx))                     \
        ct_max_pool_##S##_any(a, x, y, idx);                                       \
}

CT_MAX_POOL_F(f32, float, -INFINITY)
CT_MAX_POOL_F(f64, double, -INFINITY)
CT_MAX_POOL(u8, uint8_t, 0)
CT_MAX_POOL(i8, int8_t, INT8_MIN)
CT_MAX_POOL(i16, int16_t, INT16_MIN)
CT_MAX_POOL(i32, int32_t, INT32_MIN)
CT_MAX_POOL(i64, int64_t, INT64_MIN)

/* ---- average pooling ------------------------------------------------------
 * The window [o * s - p, o * s - p + k) clipped to the padded input gives
 * the divisor that counts padding; clipped to the input, the taps summed
 * and the divisor that does not. A fixed divisor overrides both. Integers
 * sum in int64 and divide truncating. */
#define CT_AVG_WIN(a, od, oh, ow, d0, d1, h0, h1, w0, w1, div)                    \
    int64_t d0 = od * a->sd - a->pd, h0 = oh * a->sh - a->ph, w0 = ow * a->sw - a->pw; \
    int64_t d1 = ct_pool_min(d0 + a->kd, a->id + a->pd);                          \
    int64_t h1 = ct_pool_min(h0 + a->kh, a->ih + a->ph);                          \
    int64_t w1 = ct_pool_min(w0 + a->kw, a->iw + a->pw);                          \
    int64_t div = (d1 - d0) * (h1 - h0) * (w1 - w0);                              \
    d0 = ct_pool_max(d0, 0); h0 = ct_pool_max(h0, 0); w0 = ct_pool_max(w0, 0);    \
    d1 = ct_pool_min(d1, a->id); h1 = ct_pool_min(h1, a->ih); w1 = ct_pool_min(w1, a->iw); \
    if (a->divisor) div = a->divisor;                                             \
    else if (!a->count_include_pad) div = (d1 - d0) * (h1 - h0) * (w1 - w0);

#define CT_AVG_POOL(S, T, ACC)                                                    \
static void ct_avg_pool_##S(const ct_pool_args *a, const void *xv, void *yv,      \
                            int64_t *unused)                                       \
{                                                                                  \
    const T *x = (const T *)xv;                                                    \
    T *y = (T *)yv;                                                                \
    const int64_t in_n = a->id * a->ih * a->iw, out_n = a->od * a->oh * a->ow;     \
    const int64_t hw = a->ih * a->iw;                                              \
    int nt = ct_pool_threads(a->planes, out_n * a->kd * a->kh * a->kw);            \
    int64_t p;                                                                     \
    (void)unused;                                                                  \
    CT_PARALLEL_IF(nt > 1, "omp parallel for num_threads(nt) schedule(static)",    \
    for (p = 0; p < a->planes; p++) {                                              \
        /* the geometry in a local copy: no store below can alias it */            \
        const ct_pool_args L_ = *a;                                                \
        const ct_pool_args *const a = &L_;                                         \
        const T *xp = x + p * in_n;                                                \
        T *yp = y + p * out_n;                                                     \
        int64_t o = 0;                                                             \
        for (int64_t od = 0; od < a->od; od++)                                     \
            for (int64_t oh = 0; oh < a->oh; oh++)                                 \
                for (int64_t ow = 0; ow < a->ow; ow++, o++) {                      \
                    CT_AVG_WIN(a, od, oh, ow, d0, d1, h0, h1, w0, w1, div)         \
                    if (d0 >= d1 || h0 >= h1 || w0 >= w1) {                        \
                        yp[o] = 0;                                                 \
                        continue;                                                  \
                    }                                                              \
                    ACC s = 0;                                                     \
                    for (int64_t d = d0; d < d1; d++)                              \
                        for (int64_t h = h0; h < h1; h++) {                        \
                            const T *row = xp + d * hw + h * a->iw;                \
                            for (int64_t w = w0; w < w1; w++) s += row[w];         \
                        }                                                          \
                    yp[o] = (T)(s / (ACC)div);                                     \
                }                                                                  \
    });                                                                            \
}                                                                                  \

/* the gradient of average pooling: each output's gradient over its divisor,
 * added to every input tap of its window */
#define CT_AVG_POOL_BWD(S, T)                                                     \
static void ct_avg_pool_bwd_##S(const ct_pool_args *a, const void *gv, void *dxv) \
{                                                                                  \
    const T *g = (const T *)gv;                                                    \
    T *dx = (T *)dxv;                                                              \
    const int64_t in_n = a->id * a->ih * a->iw, out_n = a->od * a->oh * a->ow;     \
    const int64_t hw = a->ih * a->iw;                                              \
    int nt = ct_pool_threads(a->planes, out_n * a->kd * a->kh * a->kw + in_n);     \
    int64_t p;                                                                     \
    CT_PARALLEL_IF(nt > 1, "omp parallel for num_threads(nt) schedule(static)",    \
    for (p = 0; p < a->planes; p++) {                                              \
        /* the geometry in a local copy: no store below can alias it */            \
        const ct_pool_args L_ = *a;                                                \
        const ct_pool_args *const a = &L_;                                         \
        const T *gp = g + p * out_n;                                               \
        T *xp = dx + p * in_n;                                                     \
        int64_t o = 0;                                                             \
        memset(xp, 0, (size_t)in_n * sizeof(T));                                   \
        for (int64_t od = 0; od < a->od; od++)                                     \
            for (int64_t oh = 0; oh < a->oh; oh++)                                 \
                for (int64_t ow = 0; ow < a->ow; ow++, o++) {                      \
                    CT_AVG_WIN(a, od, oh, ow, d0, d1, h0, h1, w0, w1, div)         \
                    if (d0 >= d1 || h0 >= h1 || w0 >= w1) continue;                \
                    T v = gp[o] / (T)div;                                          \
                    for (int64_t d = d0; d < d1; d++)                              \
                        for (int64_t h = h0; h < h1; h++) {                        \
                            T *row = xp + d * hw + h * a->iw;                      \
                            for (int64_t w = w0; w < w1; w++) row[w] += v;         \
                        }                                                          \
                }                                                                  \
    });                                                                            \
}

/* 2-d windows of 2 x 2, stride 2, no padding: the common case, unrolled
 * (forward and backward; the divisor is 4 or the fixed one) */
#define CT_AVG_2X2_OK(a)                                                          \
    (a->id == 1 && a->kd == 1 && a->kh == 2 && a->kw == 2 && a->sh == 2            \
     && a->sw == 2 && !a->ph && !a->pw && a->oh * 2 <= a->ih && a->ow * 2 <= a->iw)
#define CT_AVG_POOL_2X2(S, T)                                                     \
static int ct_avg_pool_2x2_##S(const ct_pool_args *a, const T *x, T *y)           \
{                                                                                  \
    if (!CT_AVG_2X2_OK(a)) return 0;                                               \
    const int64_t in_n = a->ih * a->iw, out_n = a->oh * a->ow, W = a->iw;          \
    const T div = (T)(a->divisor ? a->divisor : 4);                                \
    int nt = ct_pool_threads(a->planes, out_n * 4);                                \
    int64_t p;                                                                     \
    CT_PARALLEL_IF(nt > 1, "omp parallel for num_threads(nt) schedule(static)",    \
    for (p = 0; p < a->planes; p++) {                                              \
        const T *xp = x + p * in_n;                                                \
        T *yp = y + p * out_n;                                                     \
        for (int64_t oh = 0; oh < a->oh; oh++) {                                   \
            const T *r0 = xp + 2 * oh * W, *r1 = r0 + W;                           \
            T *yr = yp + oh * a->ow;                                               \
            for (int64_t ow = 0; ow < a->ow; ow++)                                 \
                yr[ow] = (r0[2 * ow] + r0[2 * ow + 1] + r1[2 * ow] + r1[2 * ow + 1]) / div; \
        }                                                                          \
    });                                                                            \
    return 1;                                                                      \
}                                                                                  \
static int ct_avg_pool_bwd_2x2_##S(const ct_pool_args *a, const T *g, T *dx)      \
{                                                                                  \
    if (!CT_AVG_2X2_OK(a)) return 0;                                               \
    const int64_t in_n = a->ih * a->iw, out_n = a->oh * a->ow, W = a->iw;          \
    const T div = (T)(a->divisor ? a->divisor : 4);                                \
    int nt = ct_pool_threads(a->planes, out_n * 4 + in_n);                         \
    int64_t p;                                                                     \
    CT_PARALLEL_IF(nt > 1, "omp parallel for num_threads(nt) schedule(static)",    \
    for (p = 0; p < a->planes; p++) {                                              \
        const T *gp = g + p * out_n;                                               \
        T *xp = dx + p * in_n;                                                     \
        if (a->oh * 2 != a->ih || a->ow * 2 != a->iw)                              \
            memset(xp, 0, (size_t)in_n * sizeof(T));                               \
        for (int64_t oh = 0; oh < a->oh; oh++) {                                   \
            T *r0 = xp + 2 * oh * W, *r1 = r0 + W;                                 \
            const T *gr = gp + oh * a->ow;                                         \
            for (int64_t ow = 0; ow < a->ow; ow++) {                               \
                T v = gr[ow] / div;                                                \
                r0[2 * ow] = v; r0[2 * ow + 1] = v; r1[2 * ow] = v; r1[2 * ow + 1] = v; \
            }                                                                      \
        }                                                                          \
    });                                                                            \
    return 1;                                                                      \
}

#define CT_AVG_POOL_F(S, T)                                                       \
CT_AVG_POOL(S##_any, T, T)                                                        \
CT_AVG_POOL_BWD(S##_any, T)                                                       \
CT_AVG_POOL_2X2(S, T)                                                             \
static void ct_avg_pool_##S(const ct_pool_args *a, const void *x, void *y,        \
                            int64_t *unused)                                       \
{                                                                                  \
    if (!ct_avg_pool_2x2_##S(a, (const T *)x, (T *)y))                             \
        ct_avg_pool_##S##_any(a, x, y, unused);                                    \
}                                                                                  \
static void ct_avg_pool_bwd_##S(const ct_pool_args *a, const void *g, void *dx)   \
{                                                                                  \
    if (!ct_avg_pool_bwd_2x2_##S(a, (const T *)g, (T *)dx))                        \
        ct_avg_pool_bwd_##S##_any(a, g, dx);                                       \
}

CT_AVG_POOL_F(f32, float)
CT_AVG_POOL_F(f64, double)
CT_AVG_POOL(i64, int64_t, int64_t)

/* ---- adaptive pooling -----------------------------------------------------
 * Output o of O along a dim of I input elements pools
 * [floor(o I / O), ceil((o + 1) I / O)). */
#define CT_ADA_WIN(o, O, I, lo, hi)                                               \
    int64_t lo = ((o) * (I)) / (O), hi = (((o) + 1) * (I) + (O) - 1) / (O);

#define CT_ADAPTIVE(S, T, LOWEST)                                                 \
static void ct_adaptive_avg_pool_##S(const ct_pool_args *a, const void *xv,       \
                                     void *yv, int64_t *unused)                    \
{                                                                                  \
    const T *x = (const T *)xv;                                                    \
    T *y = (T *)yv;                                                                \
    const int64_t in_n = a->id * a->ih * a->iw, out_n = a->od * a->oh * a->ow;     \
    const int64_t hw = a->ih * a->iw;                                              \
    int nt = ct_pool_threads(a->planes, out_n + in_n);                             \
    int64_t p;                                                                     \
    (void)unused;                                                                  \
    CT_PARALLEL_IF(nt > 1, "omp parallel for num_threads(nt) schedule(static)",    \
    for (p = 0; p < a->planes; p++) {                                              \
        /* the geometry in a local copy: no store below can alias it */            \
        const ct_pool_args L_ = *a;                                                \
        const ct_pool_args *const a = &L_;                                         \
        const T *xp = x + p * in_n;                                                \
        T *yp = y + p * out_n;                                                     \
        int64_t o = 0;                                                             \
        for (int64_t od = 0; od < a->od; od++) {                                   \
            CT_ADA_WIN(od, a->od, a->id, d0, d1)                                   \
            for (int64_t oh = 0; oh < a->oh; oh++) {                               \
                CT_ADA_WIN(oh, a->oh, a->ih, h0, h1)                               \
                for (int64_t ow = 0; ow < a->ow; ow++, o++) {                      \
                    CT_ADA_WIN(ow, a->ow, a->iw, w0, w1)                           \
                    T s = 0;                                                       \
                    for (int64_t d = d0; d < d1; d++)                              \
                        for (int64_t h = h0; h < h1; h++) {                        \
                            const T *row = xp + d * hw + h * a->iw;                \
                            for (int64_t w = w0; w < w1; w++) s += row[w];         \
                        }                                                          \
                    yp[o] = s / (T)((d1 - d0) * (h1 - h0) * (w1 - w0));            \
                }                                                                  \
            }                                                                      \
        }                                                                          \
    });                                                                            \
}                                                                                  \
static void ct_adaptive_avg_pool_bwd_##S(const ct_pool_args *a, const void *gv,   \
                                         void *dxv)                                \
{                                                                                  \
    const T *g = (const T *)gv;                                                    \
    T *dx = (T *)dxv;                                                              \
    const int64_t in_n = a->id * a->ih * a->iw, out_n = a->od * a->oh * a->ow;     \
    const int64_t hw = a->ih * a->iw;                                              \
    int nt = ct_pool_threads(a->planes, out_n + 2 * in_n);                         \
    int64_t p;                                                                     \
    CT_PARALLEL_IF(nt > 1, "omp parallel for num_threads(nt) schedule(static)",    \
    for (p = 0; p < a->planes; p++) {                                              \
        /* the geometry in a local copy: no store below can alias it */            \
        const ct_pool_args L_ = *a;                                                \
        const ct_pool_args *const a = &L_;                                         \
        const T *gp = g + p * out_n;                                               \
        T *xp = dx + p * in_n;                                                     \
        int64_t o = 0;                                                             \
        memset(xp, 0, (size_t)in_n * sizeof(T));                                   \
        for (int64_t od = 0; od < a->od; od++) {                                   \
            CT_ADA_WIN(od, a->od, a->id, d0, d1)                                   \
            for (int64_t oh = 0; oh < a->oh; oh++) {                               \
                CT_ADA_WIN(oh, a->oh, a->ih, h0, h1)                               \
                for (int64_t ow = 0; ow < a->ow; ow++, o++) {                      \
                    CT_ADA_WIN(ow, a->ow, a->iw, w0, w1)                           \
                    T v = gp[o] / (T)((d1 - d0) * (h1 - h0) * (w1 - w0));          \
                    for (int64_t d = d0; d < d1; d++)                              \
                        for (int64_t h = h0; h < h1; h++) {                        \
                            T *row = xp + d * hw + h * a->iw;                      \
                            for (int64_t w = w0; w < w1; w++) row[w] += v;         \
                        }                                                          \
                }                                                                  \
            }                                                                      \
        }                                                                          \
    });                                                                            \
}                                                                                  \
static void ct_adaptive_max_pool_##S(const ct_pool_args *a, const void *xv,       \
                                     void *yv, int64_t *idx)                       \
{                                                                                  \
    const T *x = (const T *)xv;                                                    \
    T *y = (T *)yv;                                                                \
    const int64_t in_n = a->id * a->ih * a->iw, out_n = a->od * a->oh * a->ow;     \
    const int64_t hw = a->ih * a->iw;                                              \
    int nt = ct_pool_threads(a->planes, out_n + in_n);                             \
    int64_t p;                                                                     \
    CT_PARALLEL_IF(nt > 1, "omp parallel for num_threads(nt) schedule(static)",    \
    for (p = 0; p < a->planes; p++) {                                              \
        /* the geometry in a local copy: no store below can alias it */            \
        const ct_pool_args L_ = *a;                                                \
        const ct_pool_args *const a = &L_;                                         \
        const T *xp = x + p * in_n;                                                \
        T *yp = y + p * out_n;                                                     \
        int64_t *ip = idx ? idx + p * out_n : NULL;                                \
        int64_t o = 0;                                                             \
        for (int64_t od = 0; od < a->od; od++) {                                   \
            CT_ADA_WIN(od, a->od, a->id, d0, d1)                                   \
            for (int64_t oh = 0; oh < a->oh; oh++) {                               \
                CT_ADA_WIN(oh, a->oh, a->ih, h0, h1)                               \
                for (int64_t ow = 0; ow < a->ow; ow++, o++) {                      \
                    CT_ADA_WIN(ow, a->ow, a->iw, w0, w1)                           \
                    T m = LOWEST;                                                  \
                    int64_t mi = d0 * hw + h0 * a->iw + w0;                        \
                    for (int64_t d = d0; d < d1; d++)                              \
                        for (int64_t h = h0; h < h1; h++) {                        \
                            const T *row = xp + d * hw + h * a->iw;                \
                            const int64_t base = d * hw + h * a->iw;               \
                            for (int64_t w = w0; w < w1; w++) {                    \
                                T v = row[w];                                      \
                                int c = (v > m) | (v != v);                        \
                                m = c ? v : m;                                     \
                                mi = c ? base + w : mi;                            \
                            }                                                      \
                        }                                                          \
                    yp[o] = m;                                                     \
                    if (ip) ip[o] = mi;                                            \
                }                                                                  \
            }                                                                      \
        }                                                                          \
    });                                                                            \
}

CT_ADAPTIVE(f32, float, -INFINITY)
CT_ADAPTIVE(f64, double, -INFINITY)

/* ---- the index scatter ---------------------------------------------------- */
#define CT_POOL_SCATTER(S, T)                                                     \
static int64_t ct_pool_scatter_##S(int64_t planes, int64_t in_n, int64_t out_n,   \
                                   const void *xv, const int64_t *idx, void *yv,   \
                                   int accumulate)                                 \
{                                                                                  \
    const T *x = (const T *)xv;                                                    \
    T *y = (T *)yv;                                                                \
    int64_t bad = INT64_MAX, p;                                                    \
    int nt = ct_pool_threads(planes, in_n + out_n);                                \
    CT_PARALLEL_IF(nt > 1, "omp parallel for num_threads(nt) schedule(static) reduction(min:bad)", \
    for (p = 0; p < planes; p++) {                                                 \
        const T *xp = x + p * in_n;                                                \
        const int64_t *ip = idx + p * in_n;                                        \
        T *yp = y + p * out_n;                                                     \
        memset(yp, 0, (size_t)out_n * sizeof(T));                                  \
        for (int64_t j = 0; j < in_n; j++) {                                       \
            int64_t k = ip[j];                                                     \
            if (k < 0 || k >= out_n) {                                             \
                if (p * in_n + j < bad) bad = p * in_n + j;                        \
                break;                                                             \
            }                                                                      \
            if (accumulate) yp[k] += xp[j];                                        \
            else yp[k] = xp[j];                                                    \
        }                                                                          \
    });                                                                            \
    return bad == INT64_MAX ? -1 : bad;                                            \
}

CT_POOL_SCATTER(f32, float)
CT_POOL_SCATTER(f64, double)
CT_POOL_SCATTER(u8, uint8_t)
CT_POOL_SCATTER(i8, int8_t)
CT_POOL_SCATTER(i16, int16_t)
CT_POOL_SCATTER(i32, int32_t)
CT_POOL_SCATTER(i64, int64_t)

/* ---- the tables ----------------------------------------------------------- */

ct_pool_fn ct_max_pool_loops[CT_NDTYPES] = {
    [CT_UINT8] = ct_max_pool_u8, [CT_INT8] = ct_max_pool_i8, [CT_INT16] = ct_max_pool_i16,
    [CT_INT32] = ct_max_pool_i32, [CT_INT64] = ct_max_pool_i64,
    [CT_FLOAT32] = ct_max_pool_f32, [CT_FLOAT64] = ct_max_pool_f64,
};
ct_pool_fn ct_avg_pool_loops[CT_NDTYPES] = {
    [CT_INT64] = ct_avg_pool_i64, [CT_FLOAT32] = ct_avg_pool_f32,
    [CT_FLOAT64] = ct_avg_pool_f64,
};
ct_pool_fn ct_adaptive_max_pool_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ct_adaptive_max_pool_f32, [CT_FLOAT64] = ct_adaptive_max_pool_f64,
};
ct_pool_fn ct_adaptive_avg_pool_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ct_adaptive_avg_pool_f32, [CT_FLOAT64] = ct_adaptive_avg_pool_f64,
};
ct_pool_bwd_fn ct_avg_pool_bwd_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ct_avg_pool_bwd_f32, [CT_FLOAT64] = ct_avg_pool_bwd_f64,
};
ct_pool_bwd_fn ct_adaptive_avg_pool_bwd_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ct_adaptive_avg_pool_bwd_f32, [CT_FLOAT64] = ct_adaptive_avg_pool_bwd_f64,
};
ct_pool_scatter_fn ct_pool_scatter_loops[CT_NDTYPES] = {
    [CT_UINT8] = ct_pool_scatter_u8, [CT_INT8] = ct_pool_scatter_i8,
    [CT_INT16] = ct_pool_scatter_i16, [CT_INT32] = ct_pool_scatter_i32,
    [CT_INT64] = ct_pool_scatter_i64, [CT_FLOAT32] = ct_pool_scatter_f32,
    [CT_FLOAT64] = ct_pool_scatter_f64,
};
