/* Discrete Fourier transforms of dense rows on the CPU (definitions in
 * fft.c), the CPU backend's fft_c2c, fft_r2c and fft_c2r entries.
 */
#ifndef CT_FFT_H
#define CT_FFT_H

#include "common.h"

/* rows dense rows of n complex values (dtype CT_COMPLEX64 or CT_COMPLEX128)
 * from in to out (distinct buffers, or the same one), each transformed
 * unnormalised, forward (exp(-2 pi i jk/n)) or with inverse set backward
 * (exp(+2 pi i jk/n)); many rows are shared between OpenMP threads. n's
 * prime factors must be 2, 3 and 5. Returns 0; -1 for another dtype or
 * length, -2 when scratch memory could not be had (nothing written). */
int ct_fft_c2c(int dtype, const void *in, void *out, int64_t rows, int64_t n, int inverse);

/* The one-sided transforms of rows dense rows through a complex transform
 * of half the length (n even, n / 2's prime factors 2, 3 and 5): fft_r2c
 * from rows of n real values (CT_FLOAT32 / CT_FLOAT64) to rows of
 * n / 2 + 1 forward coefficients; fft_c2r from rows of n / 2 + 1 complex
 * values (CT_COMPLEX64 / CT_COMPLEX128) to the n real values of the backward
 * transform of the Hermitian spectrum they begin, the imaginary parts of the
 * first and last not read; flags bit 0: of their conjugates, bit 1: with the
 * coefficients between the first and last halved (the adjoint of fft_r2c).
 * The results are multiplied by scale. in and out distinct; returns 0, -1 for
 * another dtype or length, -2 when scratch memory could not be had. */
int ct_fft_r2c(int dtype, const void *in, void *out, int64_t rows, int64_t n, double scale);
int ct_fft_c2r(int dtype, const void *in, void *out, int64_t rows, int64_t n, int flags, double scale);

/* The transforms of a dense (outer, n, inner) complex array (CT_COMPLEX64 /
 * CT_COMPLEX128) along its middle dim, forward or with inverse set
 * backward, every value multiplied by scale, from in to out (the same
 * buffer, or distinct ones that do not overlap); the blocks of columns are
 * shared between OpenMP threads when there are many. n's prime factors must
 * be 2, 3 and 5. Returns 0, -1 for another dtype or length, -2 when scratch
 * memory could not be had. */
int ct_fft_c2c_dim(int dtype, const void *in, void *out, int64_t outer, int64_t n, int64_t inner,
                   int inverse, double scale);

/* The full spectrum of a real input from its one-sided half (CT_COMPLEX64 /
 * CT_COMPLEX128): out, dense (sizes[0], .., sizes[nd - 1], n), takes the
 * half, dense (sizes.., n / 2 + 1), and past it the conjugates of the half's
 * values at -k mod n along the last dim and, along each dim d with
 * mirror[d] set, -i mod sizes[d]. Returns 0, -1 for another dtype. */
int ct_fft_hermitian(int dtype, const void *half, void *out, int nd, const int64_t *sizes,
                     const unsigned char *mirror, int64_t n);

#endif
