/* The FFT family of the CUDA backend: the table entry fft_c2c (backend.h),
 * batched complex-to-complex transforms of dense rows over the kernels of
 * cuda_src/fft.cu (which describes the algorithms).
 *
 * A power-of-two length runs in shared memory when a row fits (2048
 * complex64 / 1024 complex128 values; several short rows share a block),
 * else as one launch per radix-2 pass over all rows, ping-ponging between
 * the output and a scratch buffer in the order that leaves the last pass's
 * result in the output. Any other length n is Bluestein's convolution of
 * power-of-two length m >= 2n - 1: chirp and the transformed chirp filter
 * once per call, then for each chunk of rows the chirp premultiply (zero
 * padded to m), a forward transform, the product with the filter
 * spectrum (and 1/m), an inverse transform and the chirp postmultiply.
 * Rows go in chunks whose scratch stays under CTC_FFT_CHUNK_BYTES a
 * buffer. Scratch comes from the caching allocator; a failure sets the
 * sticky error (ctc_fail) and the entry returns CT_ERR_DEVICE. */
#include <string.h>
#include "cuda_backend.h"
#include "../../cuda_src/fft_args.h"

#define CTC_FFT_CHUNK_BYTES ((int64_t)1 << 28)

enum { FK_TW, FK_CHIRP, FK_FILTER, FK_PASS, FK_SMEM, FK_PRE, FK_MUL, FK_POST, FK_N };
static const char *const fk_name[FK_N] = {
    "twiddles", "chirp", "filter", "pass", "smem", "bs_pre", "bs_mul", "bs_post"};
static int fk_kernels[FK_N][2];         /* kernel index + 1; 0: not looked up */

static int fk_kernel(int kind, int c128) {
    int *slot = &fk_kernels[kind][c128];
    if (*slot == 0) {
        char name[48];
        strcpy(name, "ct_fft_");
        strcat(name, fk_name[kind]);
        strcat(name, c128 ? "_c128" : "_c64");
        *slot = ctc_kernel(name) + 1;
    }
    return *slot - 1;
}

/* complex values a row of the shared-memory kernel may hold */
static int64_t fft_cap(int c128) { return c128 ? 1024 : 2048; }

static int fft_log2(int64_t n) {
    int l = 0;
    while (((int64_t)1 << l) < n) l++;
    return l;
}


static void fft_args_init(ct_fft_args *a, int inverse) {
    memset(a, 0, sizeof *a);
    a->inverse = inverse;
}

/* twiddles exp(-2 pi i j / n), j < n / 2, into tw */
static void fft_twiddles(int c128, void *tw, int64_t n) {
    ct_fft_args a;
    if (n < 2) return;
    fft_args_init(&a, 0);
    a.dst = ctc_ptr(tw);
    a.n = n;
    ctc_launch1d(fk_kernel(FK_TW, c128), n / 2, &a, sizeof a);
}

/* A power-of-two transform (n = 2^lg) of rows rows of src. b0 and b1 are
 * rows * n buffers (b1 unused, may be NULL, when n fits in shared memory);
 * src is b0 or distinct from both. Returns the buffer that holds the
 * result: b0 when a row fits in shared memory, else the one the last pass
 * wrote (the first pass writes b1 when src is b0, else b0, and they
 * alternate). */
static void *fft_pow2(int c128, const void *src, void *b0, void *b1, int64_t rows, int64_t n,
                      int lg, int inverse, const void *tw) {
    ct_fft_args a;
    fft_args_init(&a, inverse);
    a.tw = ctc_ptr(tw);
    a.rows = rows;
    a.n = n;
    a.lg = lg;
    if (n <= fft_cap(c128)) {
        int64_t rpb = fft_cap(c128) / n, per = rows < rpb ? rows : rpb;
        int64_t groups = (rows + rpb - 1) / rpb, want = per * n / 2;
        unsigned threads = 32;
        while (threads < 256 && (int64_t)threads < want) threads <<= 1;
        a.src = ctc_ptr(src);
        a.dst = ctc_ptr(b0);
        a.rpb = rpb;
        ctc_launch(fk_kernel(FK_SMEM, c128), ctc_blocks_for(groups * 256, 256), 1, 1, threads, 1, 1,
                   0, &a, sizeof a);
        return b0;
    }
    const void *cur = src;
    void *next = src == b0 ? b1 : b0;
    for (int64_t ns = 1; ns < n; ns <<= 1) {
        a.src = ctc_ptr(cur);
        a.dst = ctc_ptr(next);
        a.ns = ns;
        ctc_launch1d(fk_kernel(FK_PASS, c128), rows * (n / 2), &a, sizeof a);
        cur = next;
        next = next == b0 ? b1 : b0;
    }
    return (void *)cur;
}

static int fft_done(void) { return ctc_error ? CT_ERR_DEVICE : CT_OK; }

/* a power-of-two n into out (distinct from in) */
static int fft_c2c_pow2(int c128, int64_t es, const char *in, char *out, int64_t rows, int64_t n,
                        int inverse) {
    int lg = fft_log2(n);
    size_t twb = (size_t)(n / 2 > 0 ? n / 2 : 1) * (size_t)es;
    void *tw = ctc_scratch(twb);
    if (tw == NULL) return CT_ERR_DEVICE;
    fft_twiddles(c128, tw, n);
    if (n <= fft_cap(c128)) {
        fft_pow2(c128, in, out, NULL, rows, n, lg, inverse, tw);
        ctc_free(tw, twb);
        return fft_done();
    }
    int64_t chunk = CTC_FFT_CHUNK_BYTES / (n * es);
    if (chunk < 1) chunk = 1;
    if (chunk > rows) chunk = rows;
    size_t tmpb = (size_t)(chunk * n * es);
    char *tmp = (char *)ctc_scratch(tmpb);
    if (tmp == NULL) { ctc_free(tw, twb); return CT_ERR_DEVICE; }
    for (int64_t r0 = 0; r0 < rows && !ctc_error; r0 += chunk) {
        int64_t nr = rows - r0 < chunk ? rows - r0 : chunk;
        char *o = out + r0 * n * es;
        /* lg passes from in, alternating: the last one (lg - 1) writes b0
         * when lg is odd, so b0 is the output then and the scratch else */
        if (lg % 2) fft_pow2(c128, in + r0 * n * es, o, tmp, nr, n, lg, inverse, tw);
        else fft_pow2(c128, in + r0 * n * es, tmp, o, nr, n, lg, inverse, tw);
    }
    ctc_free(tmp, tmpb);
    ctc_free(tw, twb);
    return fft_done();
}

/* Bluestein's convolution of length m = 2^lg: tw the twiddles of m, ch
 * the chirp (n), f0 / f1 filter buffers (m), w0 / w1 work buffers (chunk
 * rows of m); f1 and w1 are NULL when m fits in shared memory */
static void fft_bluestein_run(int c128, int64_t es, const char *in, char *out, int64_t rows,
                              int64_t n, int64_t m, int lg, int inverse, int64_t chunk, void *tw,
                              void *ch, void *f0, void *f1, char *w0, char *w1) {
    ct_fft_args a;
    fft_twiddles(c128, tw, m);

    /* the chirp, and the spectrum of its filter */
    fft_args_init(&a, inverse);
    a.dst = ctc_ptr(ch);
    a.n = n;
    ctc_launch1d(fk_kernel(FK_CHIRP, c128), n, &a, sizeof a);
    fft_args_init(&a, 0);
    a.aux = ctc_ptr(ch);
    a.dst = ctc_ptr(f0);
    a.n = n;
    a.m = m;
    ctc_launch1d(fk_kernel(FK_FILTER, c128), m, &a, sizeof a);
    const void *spec = fft_pow2(c128, f0, f0, f1, 1, m, lg, 0, tw);

    for (int64_t r0 = 0; r0 < rows && !ctc_error; r0 += chunk) {
        int64_t nr = rows - r0 < chunk ? rows - r0 : chunk;
        fft_args_init(&a, 0);
        a.src = ctc_ptr(in + r0 * n * es);
        a.dst = ctc_ptr(w0);
        a.aux = ctc_ptr(ch);
        a.rows = nr;
        a.n = n;
        a.m = m;
        a.lg = lg;
        ctc_launch1d(fk_kernel(FK_PRE, c128), nr * m, &a, sizeof a);
        char *x = (char *)fft_pow2(c128, w0, w0, w1, nr, m, lg, 0, tw);
        a.src = 0;
        a.dst = ctc_ptr(x);
        a.aux = ctc_ptr(spec);
        a.scale = 1.0 / (double)m;
        ctc_launch1d(fk_kernel(FK_MUL, c128), nr * m, &a, sizeof a);
        char *y = (char *)fft_pow2(c128, x, x, x == w0 ? w1 : w0, nr, m, lg, 1, tw);
        a.src = ctc_ptr(y);
        a.dst = ctc_ptr(out + r0 * n * es);
        a.aux = ctc_ptr(ch);
        a.scale = 0;
        ctc_launch1d(fk_kernel(FK_POST, c128), nr * n, &a, sizeof a);
    }
}

/* any other n: Bluestein's convolution, its scratch */
static int fft_c2c_bluestein(int c128, int64_t es, const char *in, char *out, int64_t rows,
                             int64_t n, int inverse) {
    int lg = fft_log2(2 * n - 1);
    int64_t m = (int64_t)1 << lg;
    int big = m > fft_cap(c128);
    int64_t chunk = CTC_FFT_CHUNK_BYTES / (m * es);
    if (chunk < 1) chunk = 1;
    if (chunk > rows) chunk = rows;
    size_t twb = (size_t)(m / 2) * (size_t)es, cb = (size_t)(n * es), fb = (size_t)(m * es);
    size_t wb = (size_t)(chunk * m * es);
    void *tw = ctc_scratch(twb), *ch = ctc_scratch(cb);
    void *f0 = ctc_scratch(fb), *f1 = big ? ctc_scratch(fb) : NULL;
    char *w0 = (char *)ctc_scratch(wb), *w1 = big ? (char *)ctc_scratch(wb) : NULL;
    if (!ctc_error)
        fft_bluestein_run(c128, es, in, out, rows, n, m, lg, inverse, chunk, tw, ch, f0, f1, w0, w1);
    ctc_free(w1, wb);
    ctc_free(w0, wb);
    ctc_free(f1, fb);
    ctc_free(f0, fb);
    ctc_free(ch, cb);
    ctc_free(tw, twb);
    return fft_done();
}

static int ctc_fft_c2c(int dtype, const void *in, void *out, int64_t rows, int64_t n, int inverse) {
    if (dtype != CT_COMPLEX64 && dtype != CT_COMPLEX128) return -1;
    if (ctc_error) return CT_ERR_DEVICE;
    if (rows <= 0 || n <= 0) return CT_OK;
    int c128 = dtype == CT_COMPLEX128;
    int64_t es = c128 ? 16 : 8;
    if ((n & (n - 1)) == 0)
        return fft_c2c_pow2(c128, es, (const char *)in, (char *)out, rows, n, inverse != 0);
    return fft_c2c_bluestein(c128, es, (const char *)in, (char *)out, rows, n, inverse != 0);
}

void ctc_fill_fft(ct_backend *b) {
    memset(fk_kernels, 0, sizeof fk_kernels);
    b->fft_c2c = ctc_fft_c2c;
}
