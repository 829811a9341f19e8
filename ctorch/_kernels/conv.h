/* Kernels of the convolutions (ctorch.nn.functional conv*, unfold, fold):
 * im2col, which lays out every window of a padded, strided, dilated input
 * as a column, and col2im, its adjoint, which sums columns back into the
 * volume they came from. The products around them are BLAS gemms.
 * Declarations: the kernels per dtype (float32, float64, complex64,
 * complex128 and the integers) and their tables; the kernels are in conv.c. */
#ifndef CT_CONV_H
#define CT_CONV_H
#include <stdint.h>
#include "common.h"

/* The geometry of one im2col / col2im over three spatial dims (1-D and 2-D
 * ops put size-1 dims first, with kernel 1, stride 1, padding 0,
 * dilation 1). in: the volume's sizes; out: window positions per dim;
 * k: kernel sizes; s, p, d: stride, padding (each side), dilation. */
typedef struct {
    int64_t in[3], out[3], k[3], s[3], p[3], d[3];
} ct_conv_geom;

/* im2col: planes dense volumes x (in[0] * in[1] * in[2] elements each) to
 * planes blocks of K = k[0] k[1] k[2] dense rows of L = out[0] out[1] out[2]
 * elements: row (a, b, c) of plane q holds x[q][o0 s0 - p0 + a d0][...]
 * for each window o, 0 where the window reads padding. */
typedef void (*ct_im2col_fn)(const void *x, void *cols, int64_t planes, const ct_conv_geom *g);
/* col2im: the adjoint: x (overwritten) is the sum of every column element
 * over the positions it was read from. */
typedef void (*ct_col2im_fn)(const void *cols, void *x, int64_t planes, const ct_conv_geom *g);

/* The backend's batched gemm (backend.h, ct_backend.gemm). */
typedef void (*ct_conv_gemm_fn)(int dtype, char t1, char t2, int M, int N, int K,
                                const void *alpha, char *P, int ld1, const int64_t *off1,
                                char *Q, int ld2, const int64_t *off2, const void *beta,
                                char *C, int ldc, int64_t nb);

/* Fused drivers over a batch of N (float32, float64, complex64, complex128;
 * es the element size; dense row-major operands; one batch element per
 * thread, its columns in a buffer of that thread). Each returns 0, or -1 when
 * out of memory. With V = in[0] in[1] in[2], L = out[0] out[1] out[2],
 * K = k[0] k[1] k[2] and G groups:
 *   im2col_mm: y[n, g] (R x L) = w[g] (R x Q) @ im2col(src[n])[g] (Q x L),
 *              src (N, C, V), w (G, R, Q) with Q = C / G K, y (N, G R, L);
 *   mm_col2im: y[n] = col2im(cols), cols[g] (Q x L) = w[g]^T (Q x R) @ src[n, g]
 *              (R x L), src (N, G R, L), w (G, R, Q), Q = Cq K, y (N, G Cq, V);
 *   wgrad:     gw[g] (R x Q) = sum over n of a[n, g] (R x L) @ im2col(src[n])[g]^T,
 *              a (N, G R, L), src (N, C, V), Q = C / G K. */
int ct_conv_im2col_mm(ct_conv_gemm_fn gemm, int dtype, int64_t es, const char *src,
                      const char *w, char *y, int64_t N, int64_t C, int64_t G, int64_t R,
                      const ct_conv_geom *g);
int ct_conv_mm_col2im(ct_conv_gemm_fn gemm, int dtype, int64_t es, const char *src,
                      const char *w, char *y, int64_t N, int64_t Cq, int64_t G, int64_t R,
                      const ct_conv_geom *g);
int ct_conv_wgrad(ct_conv_gemm_fn gemm, int dtype, int64_t es, const char *a, const char *src,
                  char *gw, int64_t N, int64_t C, int64_t G, int64_t R, const ct_conv_geom *g);
/* The same with extras:
 *   im2col_mm_bias: y[n, r] also plus bias[r] (bias: G R elements, or NULL);
 *   mm_col2im_bs:   src[n] at src + n sn elements (sn = 0: one image's src for
 *                   the whole batch);
 *   wgrad_bias:     a[n] at a + n an elements (an = 0: one image's a for the
 *                   whole batch), and gb[r] = the sum over n and l of a[n, r, l]
 *                   (gb: G R elements, or NULL). */
int ct_conv_im2col_mm_bias(ct_conv_gemm_fn gemm, int dtype, int64_t es, const char *src,
                           const char *w, const char *bias, char *y, int64_t N, int64_t C,
                           int64_t G, int64_t R, const ct_conv_geom *g);
int ct_conv_mm_col2im_bs(ct_conv_gemm_fn gemm, int dtype, int64_t es, const char *src,
                         int64_t sn, const char *w, char *y, int64_t N, int64_t Cq, int64_t G,
                         int64_t R, const ct_conv_geom *g);
int ct_conv_wgrad_bias(ct_conv_gemm_fn gemm, int dtype, int64_t es, const char *a, int64_t an,
                       const char *src, char *gw, char *gb, int64_t N, int64_t C, int64_t G,
                       int64_t R, const ct_conv_geom *g);

extern ct_im2col_fn ct_im2col_loops[CT_NDTYPES];
extern ct_col2im_fn ct_col2im_loops[CT_NDTYPES];

#endif
