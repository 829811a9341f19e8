/* Kernels of ctorch.nn.functional that gather by index (nnsample.c):
 * embedding_bag and its backward, grid_sample and its backward; the
 * per-dtype tables (float32, float64) the backend hands out. */
#ifndef CT_NNSAMPLE_H
#define CT_NNSAMPLE_H

#include <stdint.h>
#include "common.h"

/* ---- embedding_bag ---------------------------------------------------------- */

/* what ct_ebag_check found wrong (0: nothing); *bad: the offending value
 * (FIRST, LAST), offset position (ORDER) or index position (INDEX) */
enum { CT_EBAG_FIRST = 1, CT_EBAG_LAST = 2, CT_EBAG_ORDER = 3, CT_EBAG_INDEX = 4 };
int64_t ct_ebag_check(const int64_t *idx, int64_t n, int64_t rows, const int64_t *off,
                      int64_t noff, int64_t *bad);

/* out (nbags x dim, contiguous) = per bag the sum (mode 0; weighted by psw
 * when not NULL), mean (1) or max (2) of the rows w[idx[i]] (row stride
 * ws0, element stride ws1) over its positions off[b] .. off[b + 1] (the
 * last: to n), skipping idx == pad; counts[b]: the rows that entered;
 * bag[i], scale[i] per position (the backward's); max_idx (nbags x dim,
 * mode 2): the row of each maximum, -1 in an empty bag */
typedef void (*ct_ebag_fn)(const void *w, int64_t dim, int64_t ws0, int64_t ws1,
                           const int64_t *idx, int64_t n, const int64_t *off, int64_t nbags,
                           int mode, const void *psw, int64_t pad, void *out,
                           int64_t *counts, int64_t *bag, void *scale, int64_t *max_idx);
typedef void (*ct_ebag_bwd_fn)(const void *g, int64_t gs0, int64_t gs1, int64_t dim,
                               const int64_t *idx, const int64_t *bag, const void *scale,
                               int64_t n, int mode, const int64_t *max_idx, int64_t nbags,
                               void *gw);
void ct_ebag_f32(const void *w, int64_t dim, int64_t ws0, int64_t ws1, const int64_t *idx,
                 int64_t n, const int64_t *off, int64_t nbags, int mode, const void *psw,
                 int64_t pad, void *out, int64_t *counts, int64_t *bag, void *scale,
                 int64_t *max_idx);
void ct_ebag_f64(const void *w, int64_t dim, int64_t ws0, int64_t ws1, const int64_t *idx,
                 int64_t n, const int64_t *off, int64_t nbags, int mode, const void *psw,
                 int64_t pad, void *out, int64_t *counts, int64_t *bag, void *scale,
                 int64_t *max_idx);
void ct_ebag_bwd_f32(const void *g, int64_t gs0, int64_t gs1, int64_t dim, const int64_t *idx,
                     const int64_t *bag, const void *scale, int64_t n, int mode,
                     const int64_t *max_idx, int64_t nbags, void *gw);
void ct_ebag_bwd_f64(const void *g, int64_t gs0, int64_t gs1, int64_t dim, const int64_t *idx,
                     const int64_t *bag, const void *scale, int64_t n, int mode,
                     const int64_t *max_idx, int64_t nbags, void *gw);
extern ct_ebag_fn ct_ebag_loops[CT_NDTYPES];
extern ct_ebag_bwd_fn ct_ebag_bwd_loops[CT_NDTYPES];

/* ---- grid_sample ------------------------------------------------------------ */

/* The geometry of sampling x (N, C, ID, IH, IW; 2-D: ID = 1, element strides
 * xs) at the points of grid (N, OD, OH, OW, nd; element strides gs; 2-D: OD
 * = 1, gs[1] unused) into y (N, C, OD, OH, OW, contiguous). mode: 0
 * bilinear (trilinear in 3-D), 1 nearest, 2 bicubic (2-D only); padding: 0
 * zeros, 1 border, 2 reflection; align: align_corners. */
typedef struct {
    int64_t N, C, ID, IH, IW, OD, OH, OW;
    int64_t xs[5];
    int64_t gs[5];
    int nd, mode, padding, align;
} ct_grid_args;
typedef void (*ct_grid_fn)(const ct_grid_args *a, const void *x, const void *grid, void *y);
/* from g (the gradient of y, contiguous): gx (x's shape, contiguous,
 * zero-filled by the caller; NULL: not wanted) and ggrid (grid's shape,
 * contiguous; NULL: not wanted) */
typedef void (*ct_grid_bwd_fn)(const ct_grid_args *a, const void *g, const void *x,
                               const void *grid, void *gx, void *ggrid);
void ct_grid_sample_f32(const ct_grid_args *a, const void *x, const void *grid, void *y);
void ct_grid_sample_f64(const ct_grid_args *a, const void *x, const void *grid, void *y);
void ct_grid_sample_bwd_f32(const ct_grid_args *a, const void *g, const void *x,
                            const void *grid, void *gx, void *ggrid);
void ct_grid_sample_bwd_f64(const ct_grid_args *a, const void *g, const void *x,
                            const void *grid, void *gx, void *ggrid);
extern ct_grid_fn ct_grid_sample_loops[CT_NDTYPES];
extern ct_grid_bwd_fn ct_grid_sample_bwd_loops[CT_NDTYPES];

#endif
