/* im2col and col2im (conv.h): the data movement of the convolutions. Each
 * plane (one channel of one batch element) is independent, so the planes are
 * spread over OpenMP threads; within a plane the innermost loop runs along
 * the last dim's windows, split into the part that reads padding (zeros)
 * and the part inside the input (a copy, unit-stride when the stride is 1). */
#include <stdlib.h>
#include <string.h>
#include "conv.h"
#include "strided.h"

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

#define CT_IM2COL(S, T)                                                            \
static void ct_im2col_plane_##S(const T *x, T *col, const ct_conv_geom *g)         \
{                                                                                  \
    const int64_t I0 = g->in[0], I1 = g->in[1], I2 = g->in[2];                     \
    const int64_t O0 = g->out[0], O1 = g->out[1], O2 = g->out[2];                  \
    const int64_t L = O0 * O1 * O2;                                                \
    for (int64_t a = 0; a < g->k[0]; a++)                                          \
    for (int64_t b = 0; b < g->k[1]; b++)                                          \
    for (int64_t c = 0; c < g->k[2]; c++) {                                        \
        T *row = col + ((a * g->k[1] + b) * g->k[2] + c) * L;                      \
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
                } else {                                                           \
                    const int64_t s2 = g->s[2];                                    \
                    for (int64_t o = lo; o < hi; o++) r[o] = xr[o * s2];           \
                }                                                                  \
                for (int64_t o = hi; o < O2; o++) r[o] = (T)0;                     \
            }                                                                      \
        }                                                                          \
    }                                                                              \
}                                                                                  \
static void ct_col2im_plane_##S(const T *col, T *x, const ct_conv_geom *g)         \
{                                                                                  \
    const int64_t I0 = g->in[0], I1 = g->in[1], I2 = g->in[2];                     \
    const int64_t O0 = g->out[0], O1 = g->out[1], O2 = g->out[2];                  \
    const int64_t L = O0 * O1 * O2;                                                \
    for (int64_t i = 0; i < I0 * I1 * I2; i++) x[i] = (T)0;                        \
    for (int64_t a = 0; a < g->k[0]; a++)                                          \
    for (int64_t b = 0; b < g->k[1]; b++)                                          \
    for (int64_t c = 0; c < g->k[2]; c++) {                                        \
        const T *row = col + ((a * g->k[1] + b) * g->k[2] + c) * L;                \
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
}                                                                                  \
void ct_im2col_##S(const void *x, void *cols, int64_t planes, const ct_conv_geom *g) \
{                                                                                  \
    const int64_t vol = g->in[0] * g->in[1] * g->in[2];                            \
    const int64_t kl = g->k[0] * g->k[1] * g->k[2] * g->out[0] * g->out[1] * g->out[2]; \
    int nt = ct_get_num_threads();                                                 \
    if (nt > 1 && planes > 1 && planes * kl >= CT_CONV_GRAIN) {                    \
        _Pragma("omp parallel for num_threads(nt) schedule(static)")               \
        for (int64_t q = 0; q < planes; q++)                                       \
            ct_im2col_plane_##S((const T *)x + q * vol, (T *)cols + q * kl, g);    \
    } else {                                                                       \
        for (int64_t q = 0; q < planes; q++)                                       \
            ct_im2col_plane_##S((const T *)x + q * vol, (T *)cols + q * kl, g);    \
    }                                                                              \
}                                                                                  \
void ct_col2im_##S(const void *cols, void *x, int64_t planes, const ct_conv_geom *g) \
{                                                                                  \
    const int64_t vol = g->in[0] * g->in[1] * g->in[2];                            \
    const int64_t kl = g->k[0] * g->k[1] * g->k[2] * g->out[0] * g->out[1] * g->out[2]; \
    int nt = ct_get_num_threads();                                                 \
    if (nt > 1 && planes > 1 && planes * kl >= CT_CONV_GRAIN) {                    \
        _Pragma("omp parallel for num_threads(nt) schedule(static)")               \
        for (int64_t q = 0; q < planes; q++)                                       \
            ct_col2im_plane_##S((const T *)cols + q * kl, (T *)x + q * vol, g);    \
    } else {                                                                       \
        for (int64_t q = 0; q < planes; q++)                                       \
            ct_col2im_plane_##S((const T *)cols + q * kl, (T *)x + q * vol, g);    \
    }                                                                              \
}

CT_IM2COL(f32, float)
CT_IM2COL(f64, double)
CT_IM2COL(c64, ct_cfloat)
CT_IM2COL(c128, ct_cdouble)
CT_IM2COL(u8, uint8_t)
CT_IM2COL(i8, int8_t)
CT_IM2COL(i16, int16_t)
CT_IM2COL(i32, int32_t)
CT_IM2COL(i64, int64_t)

ct_im2col_fn ct_im2col_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ct_im2col_f32, [CT_FLOAT64] = ct_im2col_f64,
    [CT_COMPLEX64] = ct_im2col_c64, [CT_COMPLEX128] = ct_im2col_c128,
    [CT_UINT8] = ct_im2col_u8, [CT_INT8] = ct_im2col_i8, [CT_INT16] = ct_im2col_i16,
    [CT_INT32] = ct_im2col_i32, [CT_INT64] = ct_im2col_i64,
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
 * calling thread (a nested OpenMP region runs on one thread). A batch
 * smaller than the thread count runs element by element, each step
 * parallel inside. */

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

/* per-thread buffers of `bytes` each, contiguous; NULL when out of memory */
static char *ct_conv_scratch(int nt, size_t bytes)
{
    return (char *)malloc((size_t)nt * (bytes ? bytes : 1));
}

/* The statements run by a team of nt threads when nt > 1, and by the calling
 * thread alone, outside any parallel construct, otherwise (their loops are
 * orphaned omp for's): inside an inactive region (if (0)) the gemm calls
 * would start nested teams of their own, and a batch-1 convolution after
 * any other parallel op took 60x as long with two threads. */
static inline int ct_conv_thread(void)
{
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

#define CT_CONV_TEAM(nt, ...)                                                      \
    do {                                                                           \
        if ((nt) > 1) {                                                            \
            _Pragma("omp parallel num_threads(nt)")                                \
            { __VA_ARGS__ }                                                        \
        } else {                                                                   \
            __VA_ARGS__                                                            \
        }                                                                          \
    } while (0)

int ct_conv_im2col_mm(ct_conv_gemm_fn gemm, int dtype, int64_t es, const char *src,
                      const char *w, char *y, int64_t N, int64_t C, int64_t G, int64_t R,
                      const ct_conv_geom *g)
{
    const int64_t V = g->in[0] * g->in[1] * g->in[2], L = g->out[0] * g->out[1] * g->out[2];
    const int64_t K = g->k[0] * g->k[1] * g->k[2], Q = C / G * K;
    ct_im2col_fn im2col = ct_im2col_loops[dtype];
    int nt = ct_conv_threads(N, 2.0 * N * G * R * Q * L);
    size_t per = (size_t)(C * K * L * es);
    char *scratch = ct_conv_scratch(nt, per);
    int64_t *offs = (int64_t *)malloc(sizeof(int64_t) * 2 * (size_t)G);
    unsigned char one[16], zero[16];
    if (!scratch || !offs) { free(scratch); free(offs); return -1; }
    for (int64_t b = 0; b < G; b++) {
        offs[b] = b * Q * L;                /* the group's columns */
        offs[G + b] = b * R * Q;            /* the group's weight */
    }
    ct_conv_one(dtype, 1.0, one);
    ct_conv_one(dtype, 0.0, zero);
    CT_CONV_TEAM(nt,
        _Pragma("omp for schedule(static)")
        for (int64_t n = 0; n < N; n++) {
            int t = ct_conv_thread();
            char *cols = scratch + (size_t)t * per;
            im2col(src + n * C * V * es, cols, C, g);
            /* column-major: y^T (L x R) = cols^T (L x Q) @ w^T (Q x R) */
            gemm(dtype, 'N', 'N', (int)L, (int)R, (int)Q, one, cols, (int)L, offs, (char *)w,
                 (int)Q, offs + G, zero, y + n * G * R * L * es, (int)L, G);
        }
    );
    free(scratch);
    free(offs);
    return 0;
}

int ct_conv_mm_col2im(ct_conv_gemm_fn gemm, int dtype, int64_t es, const char *src,
                      const char *w, char *y, int64_t N, int64_t Cq, int64_t G, int64_t R,
                      const ct_conv_geom *g)
{
    const int64_t V = g->in[0] * g->in[1] * g->in[2], L = g->out[0] * g->out[1] * g->out[2];
    const int64_t K = g->k[0] * g->k[1] * g->k[2], Q = Cq * K, C = G * Cq;
    ct_col2im_fn col2im = ct_col2im_loops[dtype];
    int nt = ct_conv_threads(N, 2.0 * N * G * R * Q * L);
    size_t per = (size_t)(C * K * L * es);
    char *scratch = ct_conv_scratch(nt, per);
    int64_t *offs = (int64_t *)malloc(sizeof(int64_t) * 2 * (size_t)G);
    unsigned char one[16], zero[16];
    if (!scratch || !offs) { free(scratch); free(offs); return -1; }
    for (int64_t b = 0; b < G; b++) {
        offs[b] = b * R * L;                /* the group's rows of src */
        offs[G + b] = b * R * Q;            /* the group's weight */
    }
    ct_conv_one(dtype, 1.0, one);
    ct_conv_one(dtype, 0.0, zero);
    CT_CONV_TEAM(nt,
        _Pragma("omp for schedule(static)")
        for (int64_t n = 0; n < N; n++) {
            int t = ct_conv_thread();
            char *cols = scratch + (size_t)t * per;
            /* column-major: cols^T (L x Q) = src^T (L x R) @ w (R x Q) */
            gemm(dtype, 'N', 'T', (int)L, (int)Q, (int)R, one, (char *)src + n * G * R * L * es,
                 (int)L, offs, (char *)w, (int)Q, offs + G, zero, cols, (int)L, G);
            col2im(cols, y + n * C * V * es, C, g);
        }
    );
    free(scratch);
    free(offs);
    return 0;
}

int ct_conv_wgrad(ct_conv_gemm_fn gemm, int dtype, int64_t es, const char *a, const char *src,
                  char *gw, int64_t N, int64_t C, int64_t G, int64_t R, const ct_conv_geom *g)
{
    const int64_t V = g->in[0] * g->in[1] * g->in[2], L = g->out[0] * g->out[1] * g->out[2];
    const int64_t K = g->k[0] * g->k[1] * g->k[2], Q = C / G * K;
    const int64_t W = G * R * Q;            /* elements of gw */
    ct_im2col_fn im2col = ct_im2col_loops[dtype];
    int nt = ct_conv_threads(N, 2.0 * N * G * R * Q * L);
    size_t per = (size_t)(C * K * L * es);
    char *scratch = ct_conv_scratch(nt, per);
    /* a partial gw per thread but the first, which sums into gw itself */
    char *part = nt > 1 ? (char *)calloc((size_t)(nt - 1) * W, (size_t)es) : NULL;
    int64_t *offs = (int64_t *)malloc(sizeof(int64_t) * 2 * (size_t)G);
    unsigned char one[16];
    if (!scratch || !offs || (nt > 1 && !part)) {
        free(scratch); free(part); free(offs);
        return -1;
    }
    memset(gw, 0, (size_t)(W * es));
    for (int64_t b = 0; b < G; b++) {
        offs[b] = b * Q * L;                /* the group's columns */
        offs[G + b] = b * R * L;            /* the group's rows of a */
    }
    ct_conv_one(dtype, 1.0, one);
    CT_CONV_TEAM(nt,
        int t = ct_conv_thread();
        char *cols = scratch + (size_t)t * per;
        char *acc = t == 0 ? gw : part + (size_t)(t - 1) * W * es;
        int64_t lo = N * t / nt, hi = N * (t + 1) / nt;
        for (int64_t n = lo; n < hi; n++) {
            im2col(src + n * C * V * es, cols, C, g);
            /* column-major: gw^T (Q x R) += cols (Q x L) @ a^T (L x R) */
            gemm(dtype, 'T', 'N', (int)Q, (int)R, (int)L, one, cols, (int)L, offs,
                 (char *)a + n * G * R * L * es, (int)L, offs + G, one, acc, (int)Q, G);
        }
    );
    for (int t = 1; t < nt; t++) {
        const char *p = part + (size_t)(t - 1) * W * es;
        switch (dtype) {
        case CT_FLOAT32: for (int64_t i = 0; i < W; i++) ((float *)gw)[i] += ((const float *)p)[i]; break;
        case CT_FLOAT64: for (int64_t i = 0; i < W; i++) ((double *)gw)[i] += ((const double *)p)[i]; break;
        case CT_COMPLEX64: for (int64_t i = 0; i < 2 * W; i++) ((float *)gw)[i] += ((const float *)p)[i]; break;
        default: for (int64_t i = 0; i < 2 * W; i++) ((double *)gw)[i] += ((const double *)p)[i]; break;
        }
    }
    free(scratch);
    free(part);
    free(offs);
    return 0;
}
