/* Shape, joining and gather/scatter kernels (definitions in shape.c).
 *
 * The copy kernels (cat rows, index_select rows, gather, scatter) work on
 * raw elements of 1, 2, 4, 8 or 16 bytes; only the accumulating scatter
 * (scatter_add / index_add) needs the element type and has a table indexed
 * by dtype code. Strides of gather/scatter are in elements. Index values are
 * checked in the kernel: on a bad index the kernel stops and returns 1 with
 * the value in *bad.
 */
#ifndef CT_SHAPE_H
#define CT_SHAPE_H

#include <stdlib.h>
#include "common.h"

/* dst[r * dld .. + nbytes) = src[r * sld .. + nbytes), r < rows (byte units) */
void ct_copy_rows(char *dst, int64_t dld, const char *src, int64_t sld,
                  int64_t rows, int64_t nbytes);

/* A cat of n dense pieces along a dim: row r of piece k (len[k] bytes, at
 * src[k] + r * len[k]) goes to dst + r * dld + (len[0] + .. + len[k-1]),
 * for r < outer; dld is the sum of the lens. */
typedef void (*ct_cat_rows_fn)(char *dst, int64_t dld, const char *const *src,
                               const int64_t *len, int n, int64_t outer);
void ct_cat_rows(char *dst, int64_t dld, const char *const *src, const int64_t *len, int n,
                 int64_t outer);

/* out[o, j, :] = src[o, idx[j], :] for contiguous src [outer, size, inner]
 * and contiguous out [outer, n, inner]; inner counted in elements of es bytes */
int ct_index_select(char *dst, const char *src, int64_t outer, int64_t size,
                    int64_t inner, int es, const int64_t *idx, int64_t n,
                    int64_t *bad);

/* gather: a[p] = b[p with dim -> idx[p]]  (a = out, b = input), for every
 * position p of the index shape (nd dims); negative indices count from the
 * end, unless *bad is nonzero on entry (then they are out of bounds). An
 * index outside the bounds: 1 with it in *bad. */
typedef int (*ct_gather_fn)(void *a, const int64_t *ast, const void *b, const int64_t *bst,
                            const int64_t *idx, const int64_t *ist, const int64_t *shape,
                            int nd, int dim, int64_t size, int64_t *bad);
/* scatter: b[p with dim -> idx[p]] = a[p]  (b = self, a = src); the
 * accumulating scatter adds (bool: or) instead */
typedef int (*ct_scatter_fn)(const void *a, const int64_t *ast, void *b, const int64_t *bst,
                             const int64_t *idx, const int64_t *ist, const int64_t *shape,
                             int nd, int dim, int64_t size, int64_t *bad);

/* the position of the first of n int64 values outside [lo, hi] (inclusive;
 * hi < lo: every value is outside), or -1 */
int64_t ct_index_outside(const int64_t *p, int64_t n, int64_t lo, int64_t hi);

/* the kernels by element size es (1, 2, 4, 8, 16) */
ct_gather_fn ct_gather_for(int es);
ct_scatter_fn ct_scatter_for(int es);

/* indexed by dtype code */
extern ct_scatter_fn ct_scatter_add_loops[CT_NDTYPES];
/* index_add of rows: dst[o, idx[i], :] += src[o, i, :] for a contiguous dst
 * (outer, size, inner), src's element (o, i, j) at o so + i si + j sj
 * (element strides), the indices in [0, size); int32, int64, float32 and
 * float64 (NULL elsewhere) */
typedef void (*ct_index_add_fn)(void *dst, const void *src, int64_t outer, int64_t size,
                                int64_t n, int64_t inner, const int64_t *idx, int64_t so,
                                int64_t si, int64_t sj);
extern ct_index_add_fn ct_index_add_loops[CT_NDTYPES];
/* the reducing scatter: [op * CT_NDTYPES + dtype], op 0 prod, 1 amax, 2 amin */
extern ct_scatter_fn ct_scatter_reduce_loops[3 * CT_NDTYPES];

/* the kernels behind them (S: element size, or dtype suffix for scatter_add) */
#define CT_GATHER_DECL(S, T)                                                           \
    int ct_gather_##S(T *a, const int64_t *ast, const T *b, const int64_t *bst,        \
                      const int64_t *idx, const int64_t *ist, const int64_t *shape,    \
                      int nd, int dim, int64_t size, int64_t *bad);                    \
    int ct_scatter_##S(const T *a, const int64_t *ast, T *b, const int64_t *bst,       \
                       const int64_t *idx, const int64_t *ist, const int64_t *shape,   \
                       int nd, int dim, int64_t size, int64_t *bad);
#define CT_SCATTER_ADD_DECL(S, T)                                                      \
    int ct_scatter_add_##S(const T *a, const int64_t *ast, T *b, const int64_t *bst,   \
                           const int64_t *idx, const int64_t *ist,                     \
                           const int64_t *shape, int nd, int dim, int64_t size,        \
                           int64_t *bad);

typedef struct { uint64_t a, b; } ct_b16;

CT_GATHER_DECL(1, uint8_t) CT_GATHER_DECL(2, uint16_t) CT_GATHER_DECL(4, uint32_t)
CT_GATHER_DECL(8, uint64_t) CT_GATHER_DECL(16, ct_b16)
CT_SCATTER_ADD_DECL(b1, uint8_t) CT_SCATTER_ADD_DECL(u8, uint8_t) CT_SCATTER_ADD_DECL(i8, int8_t)
CT_SCATTER_ADD_DECL(i16, int16_t) CT_SCATTER_ADD_DECL(i32, int32_t)
CT_SCATTER_ADD_DECL(i64, int64_t) CT_SCATTER_ADD_DECL(f16, ct_half)
CT_SCATTER_ADD_DECL(f32, float) CT_SCATTER_ADD_DECL(f64, double)
CT_SCATTER_ADD_DECL(c64, ct_cfloat) CT_SCATTER_ADD_DECL(c128, ct_cdouble)
CT_SCATTER_ADD_DECL(bf16, ct_bf16)


#endif
