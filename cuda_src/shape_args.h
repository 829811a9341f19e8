/* The arguments of the shape kernels (cuda_src/shape.cu), filled by the
 * backend's shape entries (ctorch/cuda/cu_shape.c).
 *
 * C, fixed-size fields only (see kernel_args.h). Pointers are device
 * addresses as uint64_t; strides and offsets are in elements of the kernel's
 * unit, except where a field says otherwise.
 */
#ifndef CT_SHAPE_ARGS_H
#define CT_SHAPE_ARGS_H

#include <stdint.h>

#define CT_SHAPE_MAXDIM 16      /* dims of a gather / scatter walk */

/* rows of units: dst[r * dld + c] = src[r * sld + c], c < len, r < rows
 * (units of the kernel's width, ct_copy_rows_w<W>) */
typedef struct {
    uint64_t dst, src;
    int64_t dld, sld;
    int64_t rows, len;
} ct_copy_rows_args;

/* index_select: out[o, j, c] = src[o, idx[j], c] (o < outer, j < n,
 * c < inner units of the kernel's width). An index outside [0, size) is
 * skipped, and the smallest such j is recorded with an atomic min in the
 * uint64 at device address flag (left as it was, all ones, when none is).
 * check_only: only the check runs (one thread per index). */
typedef struct {
    uint64_t dst, src, idx, flag;
    int64_t outer, size, inner, n;
    int32_t check_only, pad_;
} ct_isel_args;

/* gather / scatter over the index shape (nd dims), position k in C order:
 * p its coordinates, i = idx[p . ist] (wrapped once when negative), the
 * element of a at p . ast and the element of b at p . bst + i * bsd
 * (strides in elements). The dims are stored innermost first, and bst of
 * the indexed dim is 0 (its stride is bsd). An index outside [-size, size)
 * is skipped, and the smallest such k is recorded with an atomic min in the
 * uint64 at device address flag. The writing kernels of scatter
 * (ct_scatter_w<W>, ct_scatter_add_<sfx>) handle only the positions k below
 * the value at flag, which the check kernel (ct_walk_check) wrote before
 * them: positions past the first bad one are left alone, as the CPU loop
 * stops there. */
typedef struct {
    uint64_t a, b, idx, flag;
    int64_t ast[CT_SHAPE_MAXDIM], bst[CT_SHAPE_MAXDIM], ist[CT_SHAPE_MAXDIM];
    int64_t shape[CT_SHAPE_MAXDIM];
    int64_t total, size, bsd;
    int32_t nd, pad_;
} ct_walk_args;

/* a tiled transpose copy: dst[b, i, j] = src[b, i, j] where src is dense
 * along i (stride 1) and dst along j (stride 1), both in units of the
 * kernel's width (ct_transpose_w<W>); the other strides are any. Tiles of
 * 32 x 32 go through shared memory, so that both the reads and the writes
 * are coalesced. */
typedef struct {
    uint64_t dst, src;
    int64_t batch, rows, cols;          /* b, i, j */
    int64_t dsb, dsi;                   /* dst strides of b and i */
    int64_t ssb, ssj;                   /* src strides of b and j */
} ct_transpose_args;

#endif
