/* Rearranging copies of dense tensors (definitions in rearrange.c): flip
 * (reversing chosen dims) and tril / triu (keeping one triangle of each
 * matrix, zeroing the rest). Both work on raw elements of es bytes and read
 * and write C-contiguous buffers.
 */
#ifndef CT_REARRANGE_H
#define CT_REARRANGE_H

#include "common.h"

/* dst = src with the dims d where flip[d] != 0 reversed; src and dst are
 * distinct contiguous buffers of shape[nd] elements of es bytes */
typedef void (*ct_flip_fn)(char *dst, const char *src, int nd, const int64_t *shape,
                           const unsigned char *flip, int es);
void ct_flip(char *dst, const char *src, int nd, const int64_t *shape,
             const unsigned char *flip, int es);

/* dst = tril(src, k) (lower != 0) or triu(src, k) for batch contiguous m x n
 * matrices of es-byte elements; dst may equal src (in place) */
typedef void (*ct_tri_fn)(char *dst, const char *src, int64_t batch, int64_t m, int64_t n,
                          int64_t k, int lower, int es);
void ct_tri(char *dst, const char *src, int64_t batch, int64_t m, int64_t n, int64_t k,
            int lower, int es);

/* Resampling along one dim by taps (interpolate's separable steps): with
 * src (outer, n_in, inner) and dst (outer, n_out, inner), both contiguous,
 * transpose 0: dst[o, j, i] = sum_k w[j, k] src[o, idx[j, k], i];
 * transpose 1 (its adjoint, the backward): src holds (outer, n_out, inner)
 * and dst (outer, n_in, inner) gets dst[o, idx[j, k], i] += w[j, k] src[o, j, i]
 * after being zeroed. idx (n_out, K) in [0, n_in), w (n_out, K). dtype
 * CT_FLOAT32 or CT_FLOAT64; returns 0, -1 for another dtype, -2 out of memory. */
typedef int (*ct_taps_fn)(int dtype, char *dst, const char *src, int64_t outer, int64_t n_in,
                          int64_t n_out, int64_t inner, int64_t K, const int64_t *idx,
                          const double *w, int transpose);
int ct_taps(int dtype, char *dst, const char *src, int64_t outer, int64_t n_in, int64_t n_out,
            int64_t inner, int64_t K, const int64_t *idx, const double *w, int transpose);

/* Running sums (is_prod 0) or products (1) along the middle dim of a
 * contiguous (outer, len, inner) tensor, inner > 1: out[o, l, i] = x[o, 0, i]
 * + .. + x[o, l, i] in the order of the row scans (reduce.h), float32
 * accumulating in double, float16 and bfloat16 in float. dtype CT_FLOAT16,
 * CT_BFLOAT16, CT_FLOAT32, CT_FLOAT64 or CT_INT64; 0, -1 another dtype, -2
 * out of memory. */
typedef int (*ct_cum_inner_fn)(int dtype, const char *x, int64_t outer, int64_t len,
                               int64_t inner, int is_prod, char *out);
int ct_cum_inner(int dtype, const char *x, int64_t outer, int64_t len, int64_t inner,
                 int is_prod, char *out);

/* dst (dense, sizes out[0..nd)) = the dense src (sizes in[0..nd)) placed
 * at offsets lo[0..nd) (out[d] >= lo[d] + in[d]), every other element the
 * es-byte value at val (es 1, 2, 4, 8 or 16): each output row along the
 * last dim written whole, the value before, the source row, the value
 * after, or the value alone; rows shared between threads for large ones */
void ct_pad_constant(char *dst, const char *src, int nd, const int64_t *out, const int64_t *in,
                     const int64_t *lo, const void *val, int es);

/* dst (dense, sizes out[0..nd)) from the dense src (sizes in[0..nd)) by
 * a map of source positions along each dim (map: out[0] entries for dim 0,
 * then out[1] for dim 1, ...): dst[i] = src[map_0(i_0), .., map_nd-1(i_nd-1)],
 * the last dim's map the identity shifted by lo on [lo, lo + in[nd - 1])
 * (reflect, replicate and circular padding): each output row the source
 * row's copy between its mapped ends; rows shared between threads for large
 * ones. es-byte elements. */
void ct_pad_map(char *dst, const char *src, int nd, const int64_t *out, const int64_t *in,
                const int64_t *map, int64_t lo, int es);

/* arange's values into the dense dst of n elements: int64 / int32,
 * i0 + i is in 64-bit integers (wrapping, then truncated to int32);
 * float64 / float32, d0 + i ds in double (a product, then a sum: no fused
 * multiply-add), rounded to float32. Returns -1 for another dtype (nothing
 * written), else 0. */
int ct_arange(int dtype, char *dst, int64_t n, int64_t i0, int64_t is, double d0, double ds);

/* linspace's n values from a to b every stride elements of the float32 or
 * float64 dst, in that type: the step (b - a) / (n - 1), the first half
 * (n / 2, at least 1) one fused multiply-add up from a, the rest down from b
 * (PyTorch's values). Returns -1 for another dtype, else 0. */
int ct_linspace(int dtype, char *dst, int64_t n, int64_t stride, double a, double b);

#endif
