/* The argument struct of the FFT kernels (cuda_src/fft.cu), filled by
 * ctorch/cuda/cu_fft.c. C, fixed-size fields only, so that gcc, g++ and
 * nvcc lay it out alike (kernel_args.h says why).
 *
 * Complex values are (re, im) pairs of the kernel's real type, rows dense:
 * row r of a buffer of rows of length L starts at element r * L. Which
 * fields a kernel reads is said at each kernel in fft.cu; the others are 0.
 */
#ifndef CT_FFT_ARGS_H
#define CT_FFT_ARGS_H

#include <stdint.h>

typedef struct {
    uint64_t src;       /* input rows (device) */
    uint64_t dst;       /* output rows (device) */
    uint64_t tw;        /* twiddles exp(-2 pi i j / n), j < n / 2, of a power-of-two n */
    uint64_t aux;       /* Bluestein: the chirp (n values) or the filter spectrum (m values) */
    int64_t rows;       /* rows of the launch */
    int64_t n;          /* transform length (a power of two for the passes) */
    int64_t m;          /* Bluestein: the convolution length (a power of two >= 2n - 1) */
    int64_t ns;         /* a global pass: the length of the sub-transforms it starts from */
    int64_t rpb;        /* the shared-memory kernel: rows a block transforms together */
    int32_t lg;         /* log2 of the power-of-two row length a kernel walks: n for the
                           passes, m for Bluestein's kernels */
    int32_t inverse;    /* 1: exp(+2 pi i ...) (conjugate twiddles / chirp) */
    double scale;       /* Bluestein's pointwise product: 1 / m */
} ct_fft_args;

#endif
