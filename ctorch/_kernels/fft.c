/* Discrete Fourier transforms of dense rows on the CPU (fft.h): a
 * mixed-radix Stockham transform (radices 4, 2, 3, 5) over split real and
 * imaginary arrays, so that every butterfly stage is a plain vertical loop
 * over contiguous elements. A row is read into the split form (conjugated
 * for the inverse transform, which is conj(DFT(conj(x)))), goes through one
 * pass per radix between two scratch buffers, and is written back
 * interleaved (conjugated again for the inverse); a first radix-4 pass
 * reads the interleaved row itself, and a last one writes it. The stage of
 * radix R that follows sub-transforms of length L (the product of the
 * radices before it) reads x[k L + l + r n/R] (r < R, l < L), multiplies
 * it by w^(r l) with w = exp(-2 pi i / (L R)), takes the R-point DFT over r
 * and writes y[k L R + l + q L] (q < R). The twiddles of each length are computed once
 * in double (rounded to float for complex64) and kept. Lengths with a prime
 * factor above 5 are not handled (-1). The passes over blocks of lanes
 * (below) take radix 8 where they can: one pass fewer over the block for
 * lengths 2^6 .. 2^8, and slightly smaller rounding errors.
 *
 * A real row of even length n = 2m goes through the complex transform of
 * length m: its even and odd samples are the real and imaginary parts of
 * z, and with Z = DFT(z), E[k] = (Z[k] + conj(Z[m-k])) / 2 and
 * O[k] = (Z[k] - conj(Z[m-k])) / 2i are the spectra of the even and odd
 * samples, X[k] = E[k] + exp(-2 pi i k / n) O[k]. The complex-to-real
 * transform runs these steps backwards. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include "fft.h"
#include "alloc.h"
#include "strided.h"

#define FFT_MAX_STAGES 64
/* rows at least this long take the four-step transform (fft_long) */
#ifndef FFT_LONG_MIN
#define FFT_LONG_MIN (1 << 15)
#endif
/* lanes of the four-step transform's table tv */
#define FFTL_TV 16
/* blocks of V columns (rows) in one pass of the four-step transform */
#ifndef FFTL_G
#define FFTL_G 4
#endif
/* complex values past each row of the four-step transform's scratch
 * matrix, so that its rows (a power of two apart) do not all meet in a few
 * cache sets */
#ifndef FFTL_PAD
#define FFTL_PAD 8
#endif
#ifndef FFTL_PF
#define FFTL_PF 2
#endif
/* rows at most FFTL_MAX_N long (complex values; half as long in double), at
 * least FFTL_MIN_ROWS of them, go V at a time through the lanes
 * (fftl_c2c); so do longer ones up to FFTL_ODD_MAX (in double from
 * FFTL_ODD_MIN_D on) whose power of two is at most 8: their row transform's
 * stages after the first work on runs of 2 to 8 values, which measured
 * 1.3x to 3x slower than the lanes (rows of 300 to 7500 values). With 16 |
 * n, the lanes ran slower (1200, 2000, 384, 640: their block's rows lie a
 * multiple of 4 KiB apart), and the row transform's runs are long. */
#ifndef FFTL_MAX_N
#define FFTL_MAX_N 256
#endif
#ifndef FFTL_MIN_ROWS
#define FFTL_MIN_ROWS 12
#endif
#ifndef FFTL_ODD_MAX
#define FFTL_ODD_MAX 8192
#endif
#ifndef FFTL_ODD_MIN_D
#define FFTL_ODD_MIN_D 1024
#endif

typedef struct fft_plan_s {
    int64_t n;
    int nst;
    int rad[FFT_MAX_STAGES];
    int64_t len[FFT_MAX_STAGES];      /* L of each stage */
    int64_t off[FFT_MAX_STAGES];      /* its twiddles' offset */
    /* the stages of the vector passes (blocks of V lanes, fftv_*): radix 8
     * where it can be, fewer passes over the block than rad's; the same
     * fields, their twiddles in the same tables after rad's */
    int vnst;
    int vrad[FFT_MAX_STAGES];
    int64_t vlen[FFT_MAX_STAGES];
    int64_t voff[FFT_MAX_STAGES];
    double *tw64;                     /* per stage: re[(R-1) L] then im[(R-1) L] */
    float *tw32;
    double *rw64;                     /* exp(-2 pi i k / 2n), k < n: re[n] then im[n] */
    float *rw32;
    /* a long row's four-step transform (n1 = 0 for the others): the plans of
     * n = n1 n2, n1 <= n2, and exp(-2 pi i k v / n) for k < n1, v < FFTL_TV:
     * per k, FFTL_TV real parts then FFTL_TV imaginary parts */
    int64_t n1, n2;
    struct fft_plan_s *p1, *p2;
    double *tv;
    /* exp(-2 pi i e / n) = hi[e >> lb] lo[e mod 2^lb]: hi's real parts then
     * its imaginary parts, lo's the same after them */
    int lb;
    double *hl;
    /* fft_reg.h's twiddles for the lengths it holds in registers (64-byte
     * aligned), or NULL; rgd its double ones (16 to 256) */
    float *rg;
    double *rgd;
    /* fr_cols' twiddles w_n^(l k1) (n 128), or NULL */
    float *rc;
} fft_plan;

/* the 8-point DFT of a0 .. a7 (T values ar, ai each) as two of 4 points
 * (even and odd inputs) and the twiddles exp(-2 pi i q / 8) of the odd one;
 * ST(q, re, im) takes output q */
#define FFT_BF8(T, TS, a0r, a0i, a1r, a1i, a2r, a2i, a3r, a3i, a4r, a4i, a5r, a5i, a6r, a6i, a7r, a7i, ST) { \
    const TS h_ = (TS)0.70710678118654752440;                                             \
    T e0r = a0r + a4r, e0i = a0i + a4i, e1r = a0r - a4r, e1i = a0i - a4i;                 \
    T e2r = a2r + a6r, e2i = a2i + a6i, e3r = a2i - a6i, e3i = a6r - a2r;                 \
    T E0r = e0r + e2r, E0i = e0i + e2i, E1r = e1r + e3r, E1i = e1i + e3i;                 \
    T E2r = e0r - e2r, E2i = e0i - e2i, E3r = e1r - e3r, E3i = e1i - e3i;                 \
    T o0r = a1r + a5r, o0i = a1i + a5i, o1r = a1r - a5r, o1i = a1i - a5i;                 \
    T o2r = a3r + a7r, o2i = a3i + a7i, o3r = a3i - a7i, o3i = a7r - a3r;                 \
    T O0r = o0r + o2r, O0i = o0i + o2i, O1r = o1r + o3r, O1i = o1i + o3i;                 \
    T O2r = o0r - o2r, O2i = o0i - o2i, O3r = o1r - o3r, O3i = o1i - o3i;                 \
    T P1r = (O1r + O1i) * h_, P1i = (O1i - O1r) * h_;                                     \
    T P3r = (O3i - O3r) * h_, P3i = -(O3r + O3i) * h_;                                    \
    ST(0, E0r + O0r, E0i + O0i); ST(4, E0r - O0r, E0i - O0i);                             \
    ST(1, E1r + P1r, E1i + P1i); ST(5, E1r - P1r, E1i - P1i);                             \
    ST(2, E2r + O2i, E2i - O2r); ST(6, E2r - O2i, E2i + O2r);                             \
    ST(3, E3r + P3r, E3i + P3i); ST(7, E3r - P3r, E3i - P3i);                             \
}

#include "fft_reg.h"

static int fft_factor(int64_t n, int *rad) {
    int k = 0;
    while (n % 4 == 0) { rad[k++] = 4; n /= 4; }
    while (n % 2 == 0) { rad[k++] = 2; n /= 2; }
    while (n % 3 == 0) { rad[k++] = 3; n /= 3; }
    while (n % 5 == 0) { rad[k++] = 5; n /= 5; }
    return n == 1 ? k : -1;
}

/* the vector passes' radices: the 2^e of n in ceil(e / 3) stages, 4 or
 * 4, 4 first and 8 for the rest (2 alone), then 3 and 5 */
static int fft_factor_v(int64_t n, int *rad) {
    int k = 0, e = 0;
    while (n % 2 == 0) { e++; n /= 2; }
    if (e == 1) rad[k++] = 2;
    else if (e % 3 == 2) rad[k++] = 4;
    else if (e % 3 == 1) { rad[k++] = 4; rad[k++] = 4; }
    for (int i = 0; i < (e >= 2 ? e - (e % 3 == 2 ? 2 : e % 3 == 1 ? 4 : 0) : 0) / 3; i++)
        rad[k++] = 8;
    while (n % 3 == 0) { rad[k++] = 3; n /= 3; }
    while (n % 5 == 0) { rad[k++] = 5; n /= 5; }
    return n == 1 ? k : -1;
}

static void fft_plan_free(fft_plan *p) {
    if (!p) return;
    fft_plan_free(p->p1);
    fft_plan_free(p->p2);
    free(p->tw64); free(p->tw32); free(p->rw64); free(p->rw32); free(p->tv); free(p->hl);
    free(p->rg);
    free(p->rgd);
    free(p->rc);
    free(p);
}

static fft_plan *fft_plan_new(int64_t n);

/* exp(-2 pi i e / n), 0 <= e < n, from the plan's table rw64:
 * rw64[2 e] for 2 e < n, and minus rw64[2 e - n] above */
static void fft_root(const fft_plan *p, int64_t e, double *re, double *im) {
    const int64_t n = p->n, e2 = 2 * e < n ? 2 * e : 2 * e - n;
    const double sg = 2 * e < n ? 1.0 : -1.0;
    *re = sg * p->rw64[e2];
    *im = sg * p->rw64[n + e2];
}

/* the four-step split of a long row's plan: n1 the largest divisor of n
 * up to sqrt(n), the plans of n1 and n2 = n / n1, and the table tv; nonzero
 * when memory ran out */
static int fft_long_split(fft_plan *p) {
    const int64_t n = p->n;
    int64_t n1 = (int64_t)sqrt((double)n);
    while (n1 * n1 > n) n1--;
    while (n % n1) n1--;
    p->n1 = n1;
    p->n2 = n / n1;
    p->p1 = fft_plan_new(n1);
    p->p2 = fft_plan_new(p->n2);
    int lb = 0;
    while ((int64_t)1 << (2 * lb) < n) lb++;
    const int64_t nh = ((n - 1) >> lb) + 1, nl = (int64_t)1 << lb;
    p->lb = lb;
    p->tv = malloc((size_t)(2 * FFTL_TV * n1) * sizeof(double));
    p->hl = malloc((size_t)(2 * (nh + nl)) * sizeof(double));
    if (!p->p1 || !p->p2 || !p->tv || !p->hl) return 1;
    for (int64_t k = 0; k < n1; k++)
        for (int v = 0; v < FFTL_TV; v++)
            fft_root(p, k * v, p->tv + 2 * FFTL_TV * k + v, p->tv + 2 * FFTL_TV * k + FFTL_TV + v);
    for (int64_t q = 0; q < nh; q++) fft_root(p, q << lb, p->hl + q, p->hl + nh + q);
    for (int64_t r = 0; r < nl; r++) fft_root(p, r, p->hl + 2 * nh + r, p->hl + 2 * nh + nl + r);
    return 0;
}

static fft_plan *fft_plan_new(int64_t n) {
    fft_plan *p = calloc(1, sizeof(fft_plan));
    if (!p) return NULL;
    p->n = n;
    p->nst = fft_factor(n, p->rad);
    p->vnst = fft_factor_v(n, p->vrad);
    if (p->nst < 0 || p->vnst < 0) { free(p); return NULL; }
    int64_t L = 1, tot = 0;
    for (int s = 0; s < p->nst; s++) {
        p->len[s] = L;
        p->off[s] = tot;
        tot += 2 * (p->rad[s] - 1) * L;
        L *= p->rad[s];
    }
    L = 1;
    for (int s = 0; s < p->vnst; s++) {
        p->vlen[s] = L;
        p->voff[s] = tot;
        tot += 2 * (p->vrad[s] - 1) * L;
        L *= p->vrad[s];
    }
    p->tw64 = malloc((size_t)(tot + 1) * sizeof(double));
    p->tw32 = malloc((size_t)(tot + 1) * sizeof(float));
    p->rw64 = malloc((size_t)(2 * n) * sizeof(double));
    p->rw32 = malloc((size_t)(2 * n) * sizeof(float));
    if (!p->tw64 || !p->tw32 || !p->rw64 || !p->rw32) {
        free(p->tw64); free(p->tw32); free(p->rw64); free(p->rw32); free(p);
        return NULL;
    }
    for (int64_t k = 0; k < n; k++) {
        double a = -M_PI * (double)k / (double)n;
        p->rw64[k] = cos(a);
        p->rw64[n + k] = sin(a);
    }
    for (int64_t k = 0; k < 2 * n; k++) p->rw32[k] = (float)p->rw64[k];
    for (int s = 0; s < p->nst + p->vnst; s++) {
        const int v = s >= p->nst, sv = s - v * p->nst;
        const int R = v ? p->vrad[sv] : p->rad[sv];
        const int64_t Ls = v ? p->vlen[sv] : p->len[sv];
        double *re = p->tw64 + (v ? p->voff[sv] : p->off[sv]), *im = re + (R - 1) * Ls;
        for (int r = 1; r < R; r++)
            for (int64_t l = 0; l < Ls; l++) {
                double a = -2.0 * M_PI * (double)((int64_t)r * l) / (double)(Ls * R);
                re[(r - 1) * Ls + l] = cos(a);
                im[(r - 1) * Ls + l] = sin(a);
            }
    }
    for (int64_t i = 0; i < tot; i++) p->tw32[i] = (float)p->tw64[i];
#ifdef FFTR
    if (n == 16 || n == 32 || n == 64 || n == 128 || n == 256) {
        /* doubles: 16 and 32 as n / 4 x 4, 64 as 8 x 8, 128 as 16 x 8, 256
         * 128's and exp(-2 pi i k / 256), k < 128 (rw64: exp(-pi i k / n)) */
        p->rgd = aligned_alloc(64, 512 * sizeof(double));
        if (!p->rgd) {
            fft_plan_free(p);
            return NULL;
        }
        const int R = n <= 32 ? n / 4 : n == 64 ? 8 : 16;
        fr_twiddles_f64(R, n <= 32 ? 4 : 8, 8, p->rgd);
        for (int k = 0; n == 256 && k < 128; k++) {
            p->rgd[240 + k] = p->rw64[2 * k];
            p->rgd[368 + k] = p->rw64[256 + 2 * k];
        }
    }
    if (n == 128) {
        const int R = 16, C = 8;
        p->rc = aligned_alloc(64, 2 * 128 * sizeof(float));
        if (!p->rc) {
            fft_plan_free(p);
            return NULL;
        }
        for (int l = 0; l < C; l++)
            for (int k1 = 0; k1 < R; k1++) {
                double re, im;
                fft_root(p, (int64_t)l * k1, &re, &im);
                p->rc[2 * (l * R + k1)] = (float)re;
                p->rc[2 * (l * R + k1) + 1] = (float)im;
            }
    }
    if (n == 16 || n == 32) {
        p->rg = aligned_alloc(64, 2 * 7 * 16 * sizeof(float));
        if (!p->rg) {
            fft_plan_free(p);
            return NULL;
        }
        fr_twiddles_f32(n / 4, 4, 16, p->rg);
    }
    if (n == 64 || n == 128 || n == 256 || n == 512 || n == 1024) {
        const int R = n == 64 ? 8 : 16, C = n >= 512 ? 16 : n / R;
        p->rg = aligned_alloc(64, 8 * 16 * 16 * sizeof(float));
        if (!p->rg) {
            fft_plan_free(p);
            return NULL;
        }
        fr_twiddles_f32(R, C, 16, p->rg);
        /* 512: 256's, then exp(-2 pi i k / 512), k < 256; 1024: 512's, then
         * exp(-2 pi i k / 1024), k < 512 (rw64: exp(-pi i k / n), k < n) */
        const int sh = n == 1024 ? 2 : 1;
        for (int k = 0; n >= 512 && k < 256; k++) {
            p->rg[512 + k] = (float)p->rw64[2 * sh * k];
            p->rg[768 + k] = (float)p->rw64[n + 2 * sh * k];
        }
        for (int k = 0; n == 1024 && k < 512; k++) {
            p->rg[1024 + k] = (float)p->rw64[2 * k];
            p->rg[1536 + k] = (float)p->rw64[1024 + 2 * k];
        }
    }
#endif
    if (n >= FFT_LONG_MIN && fft_long_split(p)) {
        fft_plan_free(p);
        return NULL;
    }
    return p;
}

#define FFT_CACHE 32
static fft_plan *fft_cache[FFT_CACHE];
static pthread_mutex_t fft_lock = PTHREAD_MUTEX_INITIALIZER;

/* the cached plan of n (*tmp = 0), or a new one the caller frees (*tmp = 1) */
static fft_plan *fft_get_plan(int64_t n, int *tmp) {
    fft_plan *p = NULL;
    *tmp = 0;
    pthread_mutex_lock(&fft_lock);
    int i;
    for (i = 0; i < FFT_CACHE && fft_cache[i]; i++)
        if (fft_cache[i]->n == n) { p = fft_cache[i]; break; }
    if (!p) {
        p = fft_plan_new(n);
        if (p) {
            if (i < FFT_CACHE) fft_cache[i] = p;
            else *tmp = 1;
        }
    }
    pthread_mutex_unlock(&fft_lock);
    return p;
}


/* ---------------------------------------------------------------- stages */

#define CMUL(ar, ai, br, bi, cr, ci) do { __typeof__((ar) * (br)) _r = (ar) * (br) - (ai) * (bi); \
    (ci) = (ar) * (bi) + (ai) * (br); (cr) = _r; } while (0)

/* one radix-4 pass of a Stockham stage over m = n / 4 columns in K runs of L,
 * from (xr, xi) to (yr, yi), twiddles (wr, wi): the body of fft_r4 and fft_r4L4 */
#define FFT_R4_LOOPS(T)                                                                   \
    for (int64_t k = 0; k < K; k++) {                                                     \
        const T *ar = xr + k * L, *ai = xi + k * L;                                       \
        T *br = yr + k * L * 4, *bi = yi + k * L * 4;                                     \
        _Pragma("omp simd")                                                               \
        for (int64_t l = 0; l < L; l++) {                                                 \
            T a0r = ar[l], a0i = ai[l], a1r, a1i, a2r, a2i, a3r, a3i;                     \
            CMUL(ar[l + m], ai[l + m], wr[l], wi[l], a1r, a1i);                           \
            CMUL(ar[l + 2 * m], ai[l + 2 * m], wr[L + l], wi[L + l], a2r, a2i);           \
            CMUL(ar[l + 3 * m], ai[l + 3 * m], wr[2 * L + l], wi[2 * L + l], a3r, a3i);   \
            T t0r = a0r + a2r, t0i = a0i + a2i, t1r = a0r - a2r, t1i = a0i - a2i;         \
            T t2r = a1r + a3r, t2i = a1i + a3i, t3r = a1i - a3i, t3i = a3r - a1r;         \
            br[l] = t0r + t2r; bi[l] = t0i + t2i;                                         \
            br[l + L] = t1r + t3r; bi[l + L] = t1i + t3i;                                 \
            br[l + 2 * L] = t0r - t2r; bi[l + 2 * L] = t0i - t2i;                         \
            br[l + 3 * L] = t1r - t3r; bi[l + 3 * L] = t1i - t3i;                         \
        }                                                                                 \
    }

/* the bodies of fft_r2c_post and fft_c2r_pre (below), Z's elements ZS
 * values apart */
#define FFT_R2C_POST(T, S, NAME, ZS)                                                      \
CT_MULTIVERSION static void NAME##_##S(int64_t m, const T *restrict zr,                   \
    const T *restrict zi, const T *restrict wr, const T *restrict wi, T *restrict out,    \
    T scale) {                                                                            \
    out[0] = (zr[0] + zi[0]) * scale; out[1] = 0;                                         \
    out[2 * m] = (zr[0] - zi[0]) * scale; out[2 * m + 1] = 0;                             \
    _Pragma("omp simd")                                                                   \
    for (int64_t k = 1; k < m; k++) {                                                     \
        const T er = (zr[ZS * k] + zr[ZS * (m - k)]) * (T)0.5;                            \
        const T ei = (zi[ZS * k] - zi[ZS * (m - k)]) * (T)0.5;                            \
        const T or_ = (zi[ZS * k] + zi[ZS * (m - k)]) * (T)0.5;                           \
        const T oi = (zr[ZS * (m - k)] - zr[ZS * k]) * (T)0.5;                            \
        out[2 * k] = (er + wr[k] * or_ - wi[k] * oi) * scale;                             \
        out[2 * k + 1] = (ei + wr[k] * oi + wi[k] * or_) * scale;                         \
    }                                                                                     \
}
#define FFT_C2R_PRE(T, S, NAME, ZS)                                                       \
CT_MULTIVERSION static void NAME##_##S(int64_t m, const T *restrict in,                   \
    const T *restrict wr, const T *restrict wi, T *restrict zr, T *restrict zi, T s, T h) { \
    zr[0] = in[0] + in[2 * m];                                                            \
    zi[0] = -(in[0] - in[2 * m]);                                                         \
    _Pragma("omp simd")                                                                   \
    for (int64_t k = 1; k < m; k++) {                                                     \
        const T xr = h * in[2 * k], xi = h * s * in[2 * k + 1];                           \
        const T yr = h * in[2 * (m - k)], yi = h * s * in[2 * (m - k) + 1];               \
        const T ar = xr + yr, ai = xi - yi, dr = xr - yr, di = xi + yi;                   \
        const T br = dr * wr[k] + di * wi[k], bi = di * wr[k] - dr * wi[k];               \
        zr[ZS * k] = ar - bi;                                                             \
        zi[ZS * k] = -(ai + br);                                                          \
    }                                                                                     \
}

#define FFT_STAGES(T, S)                                                                  \
CT_MULTIVERSION static void fft_r4_##S(int64_t n, int64_t L, const T *restrict xr,        \
    const T *restrict xi, T *restrict yr, T *restrict yi, const T *restrict wr,           \
    const T *restrict wi) {                                                               \
    const int64_t m = n / 4, K = m / L;                                                   \
    FFT_R4_LOOPS(T)                                                                       \
}                                                                                         \
/* the same with L = 4: a loop the compiler can unroll */                                 \
CT_MULTIVERSION static void fft_r4L4_##S(int64_t n, const T *restrict xr,                 \
    const T *restrict xi, T *restrict yr, T *restrict yi, const T *restrict wr,           \
    const T *restrict wi) {                                                               \
    const int64_t L = 4, m = n / 4, K = m / L;                                            \
    FFT_R4_LOOPS(T)                                                                       \
}                                                                                         \
/* the first radix-4 stage (L = 1, no twiddles), vectorised over k */                     \
CT_MULTIVERSION static void fft_r4first_##S(int64_t n, const T *restrict ar,              \
    const T *restrict ai, T *restrict br, T *restrict bi) {                               \
    const int64_t m = n / 4;                                                              \
    _Pragma("omp simd")                                                                   \
    for (int64_t k = 0; k < m; k++) {                                                     \
        T a0r = ar[k], a0i = ai[k], a1r = ar[k + m], a1i = ai[k + m];                     \
        T a2r = ar[k + 2 * m], a2i = ai[k + 2 * m], a3r = ar[k + 3 * m], a3i = ai[k + 3 * m]; \
        T t0r = a0r + a2r, t0i = a0i + a2i, t1r = a0r - a2r, t1i = a0i - a2i;             \
        T t2r = a1r + a3r, t2i = a1i + a3i, t3r = a1i - a3i, t3i = a3r - a1r;             \
        br[4 * k] = t0r + t2r; bi[4 * k] = t0i + t2i;                                     \
        br[4 * k + 1] = t1r + t3r; bi[4 * k + 1] = t1i + t3i;                             \
        br[4 * k + 2] = t0r - t2r; bi[4 * k + 2] = t0i - t2i;                             \
        br[4 * k + 3] = t1r - t3r; bi[4 * k + 3] = t1i - t3i;                             \
    }                                                                                     \
}                                                                                         \
CT_MULTIVERSION static void fft_r2_##S(int64_t n, int64_t L, const T *restrict xr,        \
    const T *restrict xi, T *restrict yr, T *restrict yi, const T *restrict wr,           \
    const T *restrict wi) {                                                               \
    const int64_t m = n / 2, K = m / L;                                                   \
    for (int64_t k = 0; k < K; k++) {                                                     \
        const T *ar = xr + k * L, *ai = xi + k * L;                                       \
        T *br = yr + k * L * 2, *bi = yi + k * L * 2;                                     \
        _Pragma("omp simd")                                                               \
        for (int64_t l = 0; l < L; l++) {                                                 \
            T a1r, a1i;                                                                   \
            CMUL(ar[l + m], ai[l + m], wr[l], wi[l], a1r, a1i);                           \
            br[l] = ar[l] + a1r; bi[l] = ai[l] + a1i;                                     \
            br[l + L] = ar[l] - a1r; bi[l + L] = ai[l] - a1i;                             \
        }                                                                                 \
    }                                                                                     \
}                                                                                         \
CT_MULTIVERSION static void fft_r3_##S(int64_t n, int64_t L, const T *restrict xr,        \
    const T *restrict xi, T *restrict yr, T *restrict yi, const T *restrict wr,           \
    const T *restrict wi) {                                                               \
    const int64_t m = n / 3, K = m / L;                                                   \
    const T c = (T)0.86602540378443864676;                                                \
    for (int64_t k = 0; k < K; k++) {                                                     \
        const T *ar = xr + k * L, *ai = xi + k * L;                                       \
        T *br = yr + k * L * 3, *bi = yi + k * L * 3;                                     \
        _Pragma("omp simd")                                                               \
        for (int64_t l = 0; l < L; l++) {                                                 \
            T a0r = ar[l], a0i = ai[l], a1r, a1i, a2r, a2i;                               \
            CMUL(ar[l + m], ai[l + m], wr[l], wi[l], a1r, a1i);                           \
            CMUL(ar[l + 2 * m], ai[l + 2 * m], wr[L + l], wi[L + l], a2r, a2i);           \
            T sr = a1r + a2r, si = a1i + a2i, dr = a1r - a2r, di = a1i - a2i;             \
            T hr = a0r - (T)0.5 * sr, hi = a0i - (T)0.5 * si;                             \
            br[l] = a0r + sr; bi[l] = a0i + si;                                           \
            br[l + L] = hr + c * di; bi[l + L] = hi - c * dr;                             \
            br[l + 2 * L] = hr - c * di; bi[l + 2 * L] = hi + c * dr;                     \
        }                                                                                 \
    }                                                                                     \
}                                                                                         \
CT_MULTIVERSION static void fft_r5_##S(int64_t n, int64_t L, const T *restrict xr,        \
    const T *restrict xi, T *restrict yr, T *restrict yi, const T *restrict wr,           \
    const T *restrict wi) {                                                               \
    const int64_t m = n / 5, K = m / L;                                                   \
    const T c1 = (T)0.30901699437494742410, c2 = (T)-0.80901699437494742410;              \
    const T s1 = (T)0.95105651629515357212, s2 = (T)0.58778525229247312917;               \
    for (int64_t k = 0; k < K; k++) {                                                     \
        const T *ar = xr + k * L, *ai = xi + k * L;                                       \
        T *br = yr + k * L * 5, *bi = yi + k * L * 5;                                     \
        _Pragma("omp simd")                                                               \
        for (int64_t l = 0; l < L; l++) {                                                 \
            T a0r = ar[l], a0i = ai[l], a1r, a1i, a2r, a2i, a3r, a3i, a4r, a4i;           \
            CMUL(ar[l + m], ai[l + m], wr[l], wi[l], a1r, a1i);                           \
            CMUL(ar[l + 2 * m], ai[l + 2 * m], wr[L + l], wi[L + l], a2r, a2i);           \
            CMUL(ar[l + 3 * m], ai[l + 3 * m], wr[2 * L + l], wi[2 * L + l], a3r, a3i);   \
            CMUL(ar[l + 4 * m], ai[l + 4 * m], wr[3 * L + l], wi[3 * L + l], a4r, a4i);   \
            T b1r = a1r + a4r, b1i = a1i + a4i, d1r = a1r - a4r, d1i = a1i - a4i;         \
            T b2r = a2r + a3r, b2i = a2i + a3i, d2r = a2r - a3r, d2i = a2i - a3i;         \
            T p1r = a0r + c1 * b1r + c2 * b2r, p1i = a0i + c1 * b1i + c2 * b2i;           \
            T p2r = a0r + c2 * b1r + c1 * b2r, p2i = a0i + c2 * b1i + c1 * b2i;           \
            T q1r = s1 * d1r + s2 * d2r, q1i = s1 * d1i + s2 * d2i;                       \
            T q2r = s2 * d1r - s1 * d2r, q2i = s2 * d1i - s1 * d2i;                       \
            br[l] = a0r + b1r + b2r; bi[l] = a0i + b1i + b2i;                             \
            br[l + L] = p1r + q1i; bi[l + L] = p1i - q1r;                                 \
            br[l + 4 * L] = p1r - q1i; bi[l + 4 * L] = p1i + q1r;                         \
            br[l + 2 * L] = p2r + q2i; bi[l + 2 * L] = p2i - q2r;                         \
            br[l + 3 * L] = p2r - q2i; bi[l + 3 * L] = p2i + q2r;                         \
        }                                                                                 \
    }                                                                                     \
}                                                                                         \
CT_MULTIVERSION static void fft_split_##S(int64_t n, const T *restrict in, T *restrict re, \
    T *restrict im, T sign) {                                                             \
    _Pragma("omp simd")                                                                   \
    for (int64_t i = 0; i < n; i++) { re[i] = in[2 * i]; im[i] = sign * in[2 * i + 1]; }  \
}                                                                                         \
CT_MULTIVERSION static void fft_join_##S(int64_t n, const T *restrict re,                 \
    const T *restrict im, T *restrict out, T sign, T scale) {                             \
    const T si = sign * scale;                                                            \
    _Pragma("omp simd")                                                                   \
    for (int64_t i = 0; i < n; i++) { out[2 * i] = re[i] * scale; out[2 * i + 1] = si * im[i]; } \
}                                                                                         \
/* the first radix-4 stage read from the interleaved row (imaginary parts   \
 * times sign): fft_split and fft_r4first in one pass */                                 \
CT_MULTIVERSION static void fft_r4first_in_##S(int64_t n, const T *restrict in,            \
    T *restrict br, T *restrict bi, T sign) {                                             \
    const int64_t m = n / 4;                                                              \
    _Pragma("omp simd")                                                                   \
    for (int64_t k = 0; k < m; k++) {                                                     \
        T a0r = in[2 * k], a0i = sign * in[2 * k + 1];                                    \
        T a1r = in[2 * (k + m)], a1i = sign * in[2 * (k + m) + 1];                        \
        T a2r = in[2 * (k + 2 * m)], a2i = sign * in[2 * (k + 2 * m) + 1];                \
        T a3r = in[2 * (k + 3 * m)], a3i = sign * in[2 * (k + 3 * m) + 1];                \
        T t0r = a0r + a2r, t0i = a0i + a2i, t1r = a0r - a2r, t1i = a0i - a2i;             \
        T t2r = a1r + a3r, t2i = a1i + a3i, t3r = a1i - a3i, t3i = a3r - a1r;             \
        br[4 * k] = t0r + t2r; bi[4 * k] = t0i + t2i;                                     \
        br[4 * k + 1] = t1r + t3r; bi[4 * k + 1] = t1i + t3i;                             \
        br[4 * k + 2] = t0r - t2r; bi[4 * k + 2] = t0i - t2i;                             \
        br[4 * k + 3] = t1r - t3r; bi[4 * k + 3] = t1i - t3i;                             \
    }                                                                                     \
}                                                                                         \
/* the last radix-4 stage (L = n / 4) written interleaved to the row, real   \
 * parts times scale, imaginary parts times sign scale: it and fft_join in   \
 * one pass */                                                                           \
CT_MULTIVERSION static void fft_r4last_out_##S(int64_t n, const T *restrict ar,            \
    const T *restrict ai, T *restrict out, const T *restrict wr, const T *restrict wi,    \
    T sign, T scale) {                                                                    \
    const int64_t L = n / 4, m = L;                                                       \
    const T si = sign * scale;                                                            \
    _Pragma("omp simd")                                                                   \
    for (int64_t l = 0; l < L; l++) {                                                     \
        T a0r = ar[l], a0i = ai[l], a1r, a1i, a2r, a2i, a3r, a3i;                         \
        CMUL(ar[l + m], ai[l + m], wr[l], wi[l], a1r, a1i);                               \
        CMUL(ar[l + 2 * m], ai[l + 2 * m], wr[L + l], wi[L + l], a2r, a2i);               \
        CMUL(ar[l + 3 * m], ai[l + 3 * m], wr[2 * L + l], wi[2 * L + l], a3r, a3i);       \
        T t0r = a0r + a2r, t0i = a0i + a2i, t1r = a0r - a2r, t1i = a0i - a2i;             \
        T t2r = a1r + a3r, t2i = a1i + a3i, t3r = a1i - a3i, t3i = a3r - a1r;             \
        out[2 * l] = (t0r + t2r) * scale; out[2 * l + 1] = si * (t0i + t2i);              \
        out[2 * (l + L)] = (t1r + t3r) * scale; out[2 * (l + L) + 1] = si * (t1i + t3i);  \
        out[2 * (l + 2 * L)] = (t0r - t2r) * scale; out[2 * (l + 2 * L) + 1] = si * (t0i - t2i); \
        out[2 * (l + 3 * L)] = (t1r - t3r) * scale; out[2 * (l + 3 * L) + 1] = si * (t1i - t3i); \
    }                                                                                     \
}                                                                                         \
/* one row's transform over buf (4 n values). Its input: the interleaved    \
 * row in (imaginary parts times sign; a first radix-4 stage reads it         \
 * itself), or with in NULL the split values already in buf's first half.    \
 * Its output: the interleaved row out (real parts times scale, imaginary     \
 * parts times sign scale; a last radix-4 stage writes it itself), or with   \
 * out NULL the split result, left where *rr and *ri point */                            \
static void fft_row_run_##S(const fft_plan *p, const T *tw, const T *in, T *out, T *buf,  \
                            T sign, T scale, T **rr, T **ri) {                            \
    const int64_t n = p->n;                                                               \
    T *xr = buf, *xi = buf + n, *yr = buf + 2 * n, *yi = buf + 3 * n;                     \
    int s0 = 0, s1 = p->nst;                                                              \
    if (in) {                                                                             \
        if (p->nst >= 2 && p->rad[0] == 4) { fft_r4first_in_##S(n, in, xr, xi, sign); s0 = 1; } \
        else fft_split_##S(n, in, xr, xi, sign);                                          \
    }                                                                                     \
    const int last4 = out && s1 - 1 >= s0 && s1 - 1 >= 1 && p->rad[s1 - 1] == 4;         \
    if (last4) s1--;                                                                      \
    for (int s = s0; s < s1; s++) {                                                       \
        const int R = p->rad[s];                                                          \
        const int64_t L = p->len[s];                                                      \
        const T *wr = tw + p->off[s], *wi = wr + (R - 1) * L;                             \
        if (R == 4 && L == 1) fft_r4first_##S(n, xr, xi, yr, yi);                         \
        else if (R == 4 && L == 4) fft_r4L4_##S(n, xr, xi, yr, yi, wr, wi);               \
        else if (R == 4) fft_r4_##S(n, L, xr, xi, yr, yi, wr, wi);                        \
        else if (R == 2) fft_r2_##S(n, L, xr, xi, yr, yi, wr, wi);                        \
        else if (R == 3) fft_r3_##S(n, L, xr, xi, yr, yi, wr, wi);                        \
        else fft_r5_##S(n, L, xr, xi, yr, yi, wr, wi);                                    \
        T *t = xr; xr = yr; yr = t; t = xi; xi = yi; yi = t;                              \
    }                                                                                     \
    if (!out) { *rr = xr; *ri = xi; }                                                     \
    else if (last4) {                                                                     \
        const T *wr = tw + p->off[s1], *wi = wr + 3 * p->len[s1];                         \
        fft_r4last_out_##S(n, xr, xi, out, wr, wi, sign, scale);                          \
    } else fft_join_##S(n, xr, xi, out, sign, scale);                                     \
}                                                                                         \
static void fft_row_##S(const fft_plan *p, const T *tw, const T *in, T *out, T *buf,      \
                        int inverse, T scale) {                                           \
    fft_row_run_##S(p, tw, in, out, buf, inverse ? (T)-1 : (T)1, scale, NULL, NULL);      \
}                                                                                         \
/* X[k] = E[k] + w^k O[k] (w = exp(-2 pi i / 2m)) from Z = DFT(z), E and O the  \
 * spectra of the even and odd samples: E[k] = (Z[k] + conj(Z[m-k])) / 2,      \
 * O[k] = (Z[k] - conj(Z[m-k])) / 2i; out holds m + 1 values. Z split in zr   \
 * and zi (fft_r2c_post), or interleaved at zr (fft_r2c_post_il) */                      \
FFT_R2C_POST(T, S, fft_r2c_post, 1)                                                       \
FFT_R2C_POST(T, S, fft_r2c_post_il, 2)                                                    \
/* the inverse of fft_r2c_post, doubled and conjugated for a forward DFT:     \
 * Z[k] = A + i B with A = X[k] + conj(X[m-k]), B = (X[k] - conj(X[m-k]))     \
 * conj(w^k); the imaginary parts of X[0] and X[m] are not read. s = -1      \
 * takes the conjugate of X; h multiplies the coefficients between them. Z    \
 * written split to zr and zi, or interleaved to zr (fft_c2r_pre_il) */                  \
FFT_C2R_PRE(T, S, fft_c2r_pre, 1)                                                         \
FFT_C2R_PRE(T, S, fft_c2r_pre_il, 2)                                                      \
static void fft_r2c_row_##S(const fft_plan *p, const T *tw, const T *rw, const T *in,     \
                            T *out, T *buf, T scale) {                                    \
    const int64_t m = p->n;                                                               \
    T *zr, *zi;                                                                           \
    fft_row_run_##S(p, tw, in, NULL, buf, (T)1, (T)1, &zr, &zi);                          \
    fft_r2c_post_##S(m, zr, zi, rw, rw + m, out, scale);                                  \
}                                                                                         \
/* the pre-processing into buf's first half, then the transform, written    \
 * with its imaginary parts negated and every value times scale */                        \
static void fft_c2r_row_##S(const fft_plan *p, const T *tw, const T *rw, const T *in,     \
                            T *out, T *buf, T s, T h, T scale) {                          \
    const int64_t m = p->n;                                                               \
    fft_c2r_pre_##S(m, in, rw, rw + m, buf, buf + m, s, h);                               \
    fft_row_run_##S(p, tw, NULL, out, buf, (T)-1, scale, NULL, NULL);                     \
}

FFT_STAGES(float, f32)
FFT_STAGES(double, f64)

/* ------------------------------------------- transforms along a middle dim
 *
 * A dense (outer, n, inner) complex array transformed along its middle dim:
 * the work is cut into blocks of V consecutive columns (inner indices) of
 * one outer index, and each block goes through the Stockham stages above as
 * n elements of V lanes: element j of lane v sits at [j V + v] of split real
 * and imaginary scratch arrays, so that every butterfly is a vertical loop
 * over the V lanes of whole rows of the block, with the twiddle of (k, l)
 * broadcast over them. A block at the end of a row of the inner dim with
 * fewer than V columns is filled up with zeros, which are not written back.
 * The arithmetic of each lane is that of the row transforms above, but for
 * the products by the twiddle 1 of a first stage, which are left out. */

/* the scratch of one task of fftv_run, and its most blocks (see there) */
#ifndef FFTV_SCRATCH_KB
#define FFTV_SCRATCH_KB 1024
#endif
#ifndef FFTV_G_MAX
#define FFTV_G_MAX 32
#endif
/* lanes per block: 64 bytes of real (or imaginary) parts */
#define FFTV_LANES_F32 16
#define FFTV_LANES_F64 8

/* a1 = x * w, or x itself in the first stage (TW = 0), where w = 1 */
#define FFTV_TW(TW, xr_, xi_, w_r, w_i, or_, oi_) do {                                  \
    if (TW) { CMUL(xr_, xi_, w_r, w_i, or_, oi_); } else { (or_) = (xr_); (oi_) = (xi_); } \
} while (0)

#define FFTV_HEAD(T, V, R)                                                                \
    const int64_t m = n / R, K = m / L;                                                   \
    for (int64_t k = 0; k < K; k++)                                                       \
        for (int64_t l = 0; l < L; l++) {                                                 \
            const T *ar = xr + (k * L + l) * V, *ai = xi + (k * L + l) * V;               \
            T *br = yr + (k * L * R + l) * V, *bi = yi + (k * L * R + l) * V;

#define FFTV_R4_BODY(T, V, TW) {                                                          \
    FFTV_HEAD(T, V, 4)                                                                    \
            const T w1r = wr[l], w1i = wi[l], w2r = wr[L + l], w2i = wi[L + l];           \
            const T w3r = wr[2 * L + l], w3i = wi[2 * L + l];                             \
            _Pragma("omp simd")                                                           \
            for (int v = 0; v < V; v++) {                                                 \
                T a0r = ar[v], a0i = ai[v], a1r, a1i, a2r, a2i, a3r, a3i;                 \
                FFTV_TW(TW, ar[m * V + v], ai[m * V + v], w1r, w1i, a1r, a1i);            \
                FFTV_TW(TW, ar[2 * m * V + v], ai[2 * m * V + v], w2r, w2i, a2r, a2i);    \
                FFTV_TW(TW, ar[3 * m * V + v], ai[3 * m * V + v], w3r, w3i, a3r, a3i);    \
                T t0r = a0r + a2r, t0i = a0i + a2i, t1r = a0r - a2r, t1i = a0i - a2i;     \
                T t2r = a1r + a3r, t2i = a1i + a3i, t3r = a1i - a3i, t3i = a3r - a1r;     \
                br[v] = t0r + t2r; bi[v] = t0i + t2i;                                     \
                br[L * V + v] = t1r + t3r; bi[L * V + v] = t1i + t3i;                     \
                br[2 * L * V + v] = t0r - t2r; bi[2 * L * V + v] = t0i - t2i;             \
                br[3 * L * V + v] = t1r - t3r; bi[3 * L * V + v] = t1i - t3i;             \
            }                                                                             \
        }                                                                                 \
}

#define FFTV_R2_BODY(T, V, TW) {                                                          \
    FFTV_HEAD(T, V, 2)                                                                    \
            const T w1r = wr[l], w1i = wi[l];                                             \
            _Pragma("omp simd")                                                           \
            for (int v = 0; v < V; v++) {                                                 \
                T a1r, a1i;                                                               \
                FFTV_TW(TW, ar[m * V + v], ai[m * V + v], w1r, w1i, a1r, a1i);            \
                br[v] = ar[v] + a1r; bi[v] = ai[v] + a1i;                                 \
                br[L * V + v] = ar[v] - a1r; bi[L * V + v] = ai[v] - a1i;                 \
            }                                                                             \
        }                                                                                 \
}

#define FFTV_R3_BODY(T, V, TW) {                                                          \
    const T c = (T)0.86602540378443864676;                                                \
    FFTV_HEAD(T, V, 3)                                                                    \
            const T w1r = wr[l], w1i = wi[l], w2r = wr[L + l], w2i = wi[L + l];           \
            _Pragma("omp simd")                                                           \
            for (int v = 0; v < V; v++) {                                                 \
                T a0r = ar[v], a0i = ai[v], a1r, a1i, a2r, a2i;                           \
                FFTV_TW(TW, ar[m * V + v], ai[m * V + v], w1r, w1i, a1r, a1i);            \
                FFTV_TW(TW, ar[2 * m * V + v], ai[2 * m * V + v], w2r, w2i, a2r, a2i);    \
                T sr = a1r + a2r, si = a1i + a2i, dr = a1r - a2r, di = a1i - a2i;         \
                T hr = a0r - (T)0.5 * sr, hi = a0i - (T)0.5 * si;                         \
                br[v] = a0r + sr; bi[v] = a0i + si;                                       \
                br[L * V + v] = hr + c * di; bi[L * V + v] = hi - c * dr;                 \
                br[2 * L * V + v] = hr - c * di; bi[2 * L * V + v] = hi + c * dr;         \
            }                                                                             \
        }                                                                                 \
}

#define FFTV_R5_BODY(T, V, TW) {                                                          \
    const T c1 = (T)0.30901699437494742410, c2 = (T)-0.80901699437494742410;              \
    const T s1 = (T)0.95105651629515357212, s2 = (T)0.58778525229247312917;               \
    FFTV_HEAD(T, V, 5)                                                                    \
            const T w1r = wr[l], w1i = wi[l], w2r = wr[L + l], w2i = wi[L + l];           \
            const T w3r = wr[2 * L + l], w3i = wi[2 * L + l];                             \
            const T w4r = wr[3 * L + l], w4i = wi[3 * L + l];                             \
            _Pragma("omp simd")                                                           \
            for (int v = 0; v < V; v++) {                                                 \
                T a0r = ar[v], a0i = ai[v], a1r, a1i, a2r, a2i, a3r, a3i, a4r, a4i;       \
                FFTV_TW(TW, ar[m * V + v], ai[m * V + v], w1r, w1i, a1r, a1i);            \
                FFTV_TW(TW, ar[2 * m * V + v], ai[2 * m * V + v], w2r, w2i, a2r, a2i);    \
                FFTV_TW(TW, ar[3 * m * V + v], ai[3 * m * V + v], w3r, w3i, a3r, a3i);    \
                FFTV_TW(TW, ar[4 * m * V + v], ai[4 * m * V + v], w4r, w4i, a4r, a4i);    \
                T b1r = a1r + a4r, b1i = a1i + a4i, d1r = a1r - a4r, d1i = a1i - a4i;     \
                T b2r = a2r + a3r, b2i = a2i + a3i, d2r = a2r - a3r, d2i = a2i - a3i;     \
                T p1r = a0r + c1 * b1r + c2 * b2r, p1i = a0i + c1 * b1i + c2 * b2i;       \
                T p2r = a0r + c2 * b1r + c1 * b2r, p2i = a0i + c2 * b1i + c1 * b2i;       \
                T q1r = s1 * d1r + s2 * d2r, q1i = s1 * d1i + s2 * d2i;                   \
                T q2r = s2 * d1r - s1 * d2r, q2i = s2 * d1i - s1 * d2i;                   \
                br[v] = a0r + b1r + b2r; bi[v] = a0i + b1i + b2i;                         \
                br[L * V + v] = p1r + q1i; bi[L * V + v] = p1i - q1r;                     \
                br[4 * L * V + v] = p1r - q1i; bi[4 * L * V + v] = p1i + q1r;             \
                br[2 * L * V + v] = p2r + q2i; bi[2 * L * V + v] = p2i - q2r;             \
                br[3 * L * V + v] = p2r - q2i; bi[3 * L * V + v] = p2i + q2r;             \
            }                                                                             \
        }                                                                                 \
}

#define FFTV_R8_ST(q, re, im) do { br[(q) * LV_ + v] = (re); bi[(q) * LV_ + v] = (im); } while (0)
#define FFTV_OUT_ST(q, re, im) do {                                                       \
    o[(q) * LJ_ + 2 * v] = (re) * scale; o[(q) * LJ_ + 2 * v + 1] = (im) * si;             \
} while (0)
#define FFTV_R8_BODY(T, V, TW) {                                                          \
    FFTV_HEAD(T, V, 8)                                                                    \
            T w_r[8], w_i[8];                                                             \
            const int64_t LV_ = L * V;                                                    \
            for (int r = 1; r < 8; r++) { w_r[r] = wr[(r - 1) * L + l]; w_i[r] = wi[(r - 1) * L + l]; } \
            _Pragma("omp simd")                                                           \
            for (int v = 0; v < V; v++) {                                                 \
                T a0r = ar[v], a0i = ai[v], a1r, a1i, a2r, a2i, a3r, a3i;                 \
                T a4r, a4i, a5r, a5i, a6r, a6i, a7r, a7i;                                 \
                FFTV_TW(TW, ar[m * V + v], ai[m * V + v], w_r[1], w_i[1], a1r, a1i);      \
                FFTV_TW(TW, ar[2 * m * V + v], ai[2 * m * V + v], w_r[2], w_i[2], a2r, a2i); \
                FFTV_TW(TW, ar[3 * m * V + v], ai[3 * m * V + v], w_r[3], w_i[3], a3r, a3i); \
                FFTV_TW(TW, ar[4 * m * V + v], ai[4 * m * V + v], w_r[4], w_i[4], a4r, a4i); \
                FFTV_TW(TW, ar[5 * m * V + v], ai[5 * m * V + v], w_r[5], w_i[5], a5r, a5i); \
                FFTV_TW(TW, ar[6 * m * V + v], ai[6 * m * V + v], w_r[6], w_i[6], a6r, a6i); \
                FFTV_TW(TW, ar[7 * m * V + v], ai[7 * m * V + v], w_r[7], w_i[7], a7r, a7i); \
                FFT_BF8(T, T, a0r, a0i, a1r, a1i, a2r, a2i, a3r, a3i, a4r, a4i, a5r, a5i,    \
                        a6r, a6i, a7r, a7i, FFTV_R8_ST)                                   \
            }                                                                             \
        }                                                                                 \
}

/* one radix-R stage over blocks of V columns (the first stage's twiddles are
 * all 1: the body without them) */
#define FFTV_STAGE(R, T, S, V)                                                            \
CT_MULTIVERSION static void fftv_r##R##_##S(int64_t n, int64_t L, const T *restrict xr,   \
    const T *restrict xi, T *restrict yr, T *restrict yi, const T *restrict wr,           \
    const T *restrict wi) {                                                               \
    if (L == 1) FFTV_R##R##_BODY(T, V, 0) else FFTV_R##R##_BODY(T, V, 1)                  \
}
#define FFTV_STAGES(T, S, V)                                                              \
FFTV_STAGE(4, T, S, V)                                                                    \
FFTV_STAGE(2, T, S, V)                                                                    \
FFTV_STAGE(3, T, S, V)                                                                    \
FFTV_STAGE(5, T, S, V)                                                                    \
FFTV_STAGE(8, T, S, V)                                                                    \
/* the ncols columns of a task into its blocks of V lanes (block g at        \
 * buf + 4 g n V: real parts, then imaginary parts, then the other buffer),  \
 * the lanes past ncols of the last block zero, imaginary parts times sign;  \
 * element j of column c is at in + 2 (j js + c) */                                      \
CT_MULTIVERSION static void fftv_gather_##S(int64_t n, int64_t js, int64_t ncols,         \
    const T *restrict in, T *restrict buf, T sign) {                                      \
    const int64_t nb = (ncols + V - 1) / V, full = ncols / V;                             \
    for (int64_t j = 0; j < n; j++) {                                                     \
        const T *src = in + 2 * j * js;                                                   \
        for (int64_t g = 0; g < full; g++) {                                              \
            T *dr = buf + 4 * g * n * V + j * V, *di = dr + n * V;                        \
            const T *sg = src + 2 * g * V;                                                \
            _Pragma("omp simd")                                                           \
            for (int v = 0; v < V; v++) { dr[v] = sg[2 * v]; di[v] = sign * sg[2 * v + 1]; } \
        }                                                                                 \
        if (full < nb) {                                                                  \
            T *dr = buf + 4 * full * n * V + j * V, *di = dr + n * V;                     \
            const T *sg = src + 2 * full * V;                                             \
            const int nv = (int)(ncols - full * V);                                       \
            for (int v = 0; v < nv; v++) { dr[v] = sg[2 * v]; di[v] = sign * sg[2 * v + 1]; } \
            for (int v = nv; v < V; v++) { dr[v] = 0; di[v] = 0; }                        \
        }                                                                                 \
    }                                                                                     \
}                                                                                         \
/* the inverse of fftv_gather (the ncols columns written) from the blocks'   \
 * buffers at offset at, every value times scale */                                      \
CT_MULTIVERSION static void fftv_scatter_##S(int64_t n, int64_t js, int64_t ncols,        \
    const T *restrict buf, int64_t at, T *restrict out, T sign, T scale) {                \
    const int64_t full = ncols / V;                                                       \
    const T si = sign * scale;                                                            \
    for (int64_t j = 0; j < n; j++) {                                                     \
        T *dst = out + 2 * j * js;                                                        \
        for (int64_t g = 0; g < full; g++) {                                              \
            const T *sr = buf + 4 * g * n * V + at + j * V, *sim = sr + n * V;            \
            T *dg = dst + 2 * g * V;                                                      \
            _Pragma("omp simd")                                                           \
            for (int v = 0; v < V; v++) { dg[2 * v] = sr[v] * scale; dg[2 * v + 1] = sim[v] * si; } \
        }                                                                                 \
        if (full * V < ncols) {                                                           \
            const T *sr = buf + 4 * full * n * V + at + j * V, *sim = sr + n * V;         \
            T *dg = dst + 2 * full * V;                                                   \
            const int nv = (int)(ncols - full * V);                                       \
            for (int v = 0; v < nv; v++) { dg[2 * v] = sr[v] * scale; dg[2 * v + 1] = sim[v] * si; } \
        }                                                                                 \
    }                                                                                     \
}                                                                                         \
/* the stages of one block of V lanes at blk (4 n V values): the offset in \
 * blk of the result (real parts, then imaginary parts n V values on) */                \
static int64_t fftv_stages_##S(const fft_plan *p, const T *tw, T *blk, int s0, int s1,   \
                                int64_t at) {                                             \
    const int64_t n = p->n;                                                               \
    T *xr = blk + at, *xi = xr + n * V, *yr = blk + (2 * n * V - at), *yi = yr + n * V;   \
    for (int s = s0; s < s1; s++) {                                                       \
        const int R = p->vrad[s];                                                         \
        const int64_t L = p->vlen[s];                                                     \
        const T *wr = tw + p->voff[s], *wi = wr + (R - 1) * L;                            \
        if (R == 8) fftv_r8_##S(n, L, xr, xi, yr, yi, wr, wi);                            \
        else if (R == 4) fftv_r4_##S(n, L, xr, xi, yr, yi, wr, wi);                       \
        else if (R == 2) fftv_r2_##S(n, L, xr, xi, yr, yi, wr, wi);                       \
        else if (R == 3) fftv_r3_##S(n, L, xr, xi, yr, yi, wr, wi);                       \
        else fftv_r5_##S(n, L, xr, xi, yr, yi, wr, wi);                                   \
        T *t = xr; xr = yr; yr = t; t = xi; xi = yi; yi = t;                              \
    }                                                                                     \
    return ((s1 - s0) & 1) ? 2 * n * V - at : at;                                         \
}                                                                                         \
static int64_t fftv_block_##S(const fft_plan *p, const T *tw, T *blk) {                   \
    return fftv_stages_##S(p, tw, blk, 0, p->vnst, 0);                                    \
}                                                                                         \
/* a first radix-4 stage (twiddles 1) read straight from the interleaved  \
 * input, as fftv_gather would lay it out (imaginary parts times sign), for \
 * nb whole blocks of V columns, written to each block's second buffer     \
 * (offset 2 n V): the gather's pass over the block left out */            \
CT_MULTIVERSION static void fftv_first4_in_##S(int64_t n, int64_t js, int64_t nb,         \
    const T *restrict in, T *restrict buf, T sign) {                                      \
    const int64_t m = n / 4;                                                              \
    for (int64_t k = 0; k < m; k++) {                                                     \
        const T *s0 = in + 2 * k * js, *s1 = s0 + 2 * m * js;                             \
        const T *s2 = s1 + 2 * m * js, *s3 = s2 + 2 * m * js;                             \
        for (int64_t g = 0; g < nb; g++) {                                                \
            T *br = buf + 4 * g * n * V + 2 * n * V + 4 * k * V, *bi = br + n * V;        \
            const T *a0 = s0 + 2 * g * V, *a1 = s1 + 2 * g * V;                           \
            const T *a2 = s2 + 2 * g * V, *a3 = s3 + 2 * g * V;                           \
            _Pragma("omp simd")                                                           \
            for (int v = 0; v < V; v++) {                                                 \
                T a0r = a0[2 * v], a0i = sign * a0[2 * v + 1];                            \
                T a1r = a1[2 * v], a1i = sign * a1[2 * v + 1];                            \
                T a2r = a2[2 * v], a2i = sign * a2[2 * v + 1];                            \
                T a3r = a3[2 * v], a3i = sign * a3[2 * v + 1];                            \
                T t0r = a0r + a2r, t0i = a0i + a2i, t1r = a0r - a2r, t1i = a0i - a2i;     \
                T t2r = a1r + a3r, t2i = a1i + a3i, t3r = a1i - a3i, t3i = a3r - a1r;     \
                br[v] = t0r + t2r; bi[v] = t0i + t2i;                                     \
                br[V + v] = t1r + t3r; bi[V + v] = t1i + t3i;                             \
                br[2 * V + v] = t0r - t2r; bi[2 * V + v] = t0i - t2i;                     \
                br[3 * V + v] = t1r - t3r; bi[3 * V + v] = t1i - t3i;                     \
            }                                                                             \
        }                                                                                 \
    }                                                                                     \
}                                                                                         \
/* the same for a first radix-8 stage */                                    \
CT_MULTIVERSION static void fftv_first8_in_##S(int64_t n, int64_t js, int64_t nb,         \
    const T *restrict in, T *restrict buf, T sign) {                                      \
    const int64_t m = n / 8, LV_ = V;                                                     \
    for (int64_t k = 0; k < m; k++) {                                                     \
        const T *s0 = in + 2 * k * js;                                                    \
        for (int64_t g = 0; g < nb; g++) {                                                \
            T *br = buf + 4 * g * n * V + 2 * n * V + 8 * k * V, *bi = br + n * V;        \
            const T *a[8];                                                                \
            for (int r = 0; r < 8; r++) a[r] = s0 + 2 * (r * m * js + g * V);             \
            _Pragma("omp simd")                                                           \
            for (int v = 0; v < V; v++) {                                                 \
                FFT_BF8(T, T, a[0][2 * v], sign * a[0][2 * v + 1], a[1][2 * v], sign * a[1][2 * v + 1], \
                        a[2][2 * v], sign * a[2][2 * v + 1], a[3][2 * v], sign * a[3][2 * v + 1], \
                        a[4][2 * v], sign * a[4][2 * v + 1], a[5][2 * v], sign * a[5][2 * v + 1], \
                        a[6][2 * v], sign * a[6][2 * v + 1], a[7][2 * v], sign * a[7][2 * v + 1], \
                        FFTV_R8_ST)                                                       \
            }                                                                             \
        }                                                                                 \
    }                                                                                     \
}                                                                                         \
/* a last radix-8 stage (L = n / 8) of nb whole blocks, the blocks' values  \
 * at offset at, fused with the scatter: each butterfly's 8 outputs written \
 * straight to their rows (real parts times scale, imaginary parts times    \
 * sign scale), a row's blocks one after another */                        \
CT_MULTIVERSION static void fftv_last8_out_##S(const fft_plan *p, const T *tw, int64_t js,  \
    int64_t nb, const T *restrict buf, int64_t at, T *restrict out, T sign, T scale) {    \
    const int64_t n = p->n, L = n / 8, LJ_ = 2 * L * js;                                  \
    const T *wr = tw + p->voff[p->vnst - 1], *wi = wr + 7 * L;                            \
    const T si = sign * scale;                                                            \
    for (int64_t l = 0; l < L; l++) {                                                     \
        T w_r[8], w_i[8];                                                                 \
        for (int r = 1; r < 8; r++) { w_r[r] = wr[(r - 1) * L + l]; w_i[r] = wi[(r - 1) * L + l]; } \
        for (int64_t g = 0; g < nb; g++) {                                                \
            const T *ar = buf + 4 * g * n * V + at + l * V, *ai = ar + n * V;             \
            T *o = out + 2 * (l * js + g * V);                                            \
            const int64_t m = L;                                                          \
            _Pragma("omp simd")                                                           \
            for (int v = 0; v < V; v++) {                                                 \
                T a0r = ar[v], a0i = ai[v], a1r, a1i, a2r, a2i, a3r, a3i;                 \
                T a4r, a4i, a5r, a5i, a6r, a6i, a7r, a7i;                                 \
                FFTV_TW(1, ar[m * V + v], ai[m * V + v], w_r[1], w_i[1], a1r, a1i);       \
                FFTV_TW(1, ar[2 * m * V + v], ai[2 * m * V + v], w_r[2], w_i[2], a2r, a2i); \
                FFTV_TW(1, ar[3 * m * V + v], ai[3 * m * V + v], w_r[3], w_i[3], a3r, a3i); \
                FFTV_TW(1, ar[4 * m * V + v], ai[4 * m * V + v], w_r[4], w_i[4], a4r, a4i); \
                FFTV_TW(1, ar[5 * m * V + v], ai[5 * m * V + v], w_r[5], w_i[5], a5r, a5i); \
                FFTV_TW(1, ar[6 * m * V + v], ai[6 * m * V + v], w_r[6], w_i[6], a6r, a6i); \
                FFTV_TW(1, ar[7 * m * V + v], ai[7 * m * V + v], w_r[7], w_i[7], a7r, a7i); \
                FFT_BF8(T, T, a0r, a0i, a1r, a1i, a2r, a2i, a3r, a3i, a4r, a4i, a5r, a5i,  \
                        a6r, a6i, a7r, a7i, FFTV_OUT_ST)                                  \
            }                                                                             \
        }                                                                                 \
    }                                                                                     \
}                                                                                         \
/* the first stage fused with the gather: radix 4 or 8 (nonzero), or none */              \
static int fftv_first_in_##S(const fft_plan *p, int64_t js, int64_t nb, const T *in,     \
                             T *buf, T sign) {                                            \
    if (p->vnst < 2 || (p->vrad[0] != 4 && p->vrad[0] != 8)) return 0;                    \
    if (p->vrad[0] == 4) fftv_first4_in_##S(p->n, js, nb, in, buf, sign);                 \
    else fftv_first8_in_##S(p->n, js, nb, in, buf, sign);                                 \
    return 1;                                                                             \
}                                                                                         \
/* the transforms of the ncols columns of one task; 4 n V values of buf per   \
 * block of V columns */                                                                 \
static void fftv_task_##S(const fft_plan *p, const T *tw, int64_t js, int64_t ncols,      \
    const T *in, T *out, T *buf, int inverse, T scale) {                                  \
    const int64_t n = p->n, full = ncols / V;                                             \
    const T sign = inverse ? (T)-1 : (T)1;                                                \
    /* whole blocks: a first radix-4 stage fused with the gather (a last    \
     * one fused with the scatter, writing four rows far apart at a time,   \
     * measured slower for long columns) */                                 \
    const int ns = p->vnst;                                                               \
    int64_t at = 0, c0 = 0;                                                               \
    if (full > 0 && FFTV_REG_##S(p, js, full, in, out, buf, sign, scale)) {                \
        c0 = full * V;                                                                    \
    } else if (full > 0 && fftv_first_in_##S(p, js, full, in, buf, sign)) {               \
        /* and a last radix-8 stage fused with the scatter */                             \
        const int l8 = p->vrad[ns - 1] == 8;                                              \
        for (int64_t g = 0; g < full; g++)                                                \
            at = fftv_stages_##S(p, tw, buf + 4 * g * n * V, 1, ns - l8, 2 * n * V);      \
        if (l8) fftv_last8_out_##S(p, tw, js, full, buf, at, out, sign, scale);           \
        else fftv_scatter_##S(n, js, full * V, buf, at, out, sign, scale);                \
        c0 = full * V;                                                                    \
    }                                                                                     \
    if (c0 < ncols) {                                                                     \
        const int64_t nc = ncols - c0, nb = (nc + V - 1) / V;                             \
        fftv_gather_##S(n, js, nc, in + 2 * c0, buf, sign);                               \
        for (int64_t g = 0; g < nb; g++) at = fftv_block_##S(p, tw, buf + 4 * g * n * V); \
        fftv_scatter_##S(n, js, nc, buf, at, out + 2 * c0, sign, scale);                  \
    }                                                                                     \
}

/* nb blocks of float columns of 128 through fft_reg.h's fr_cols (1; buf,
 * the task's 4 n V values a block, as its scratch), or 0: the lanes' passes
 * (radix 8, 4, 4) ran at 0.40x PyTorch's speed for 1024 columns, fr_cols
 * at 0.71x; for 64 (8, 8) and 256 (4, 8, 8) the lanes' fused passes were
 * as fast or faster (fr_cols' 16-point transforms hold 32 vectors) */
#ifdef FFTR
static int fftv_reg_f32(const fft_plan *p, int64_t js, int64_t nb, const float *in, float *out,
                        float *buf, float sign, float scale) {
    if (!p->rc || !fftr_avx512()) return 0;
    fr_cols128(in, out, js, nb, p->rc, sign, scale, buf);
    return 1;
}
#define FFTV_REG_f32 fftv_reg_f32
#else
#define FFTV_REG_f32(...) 0
#endif
#define FFTV_REG_f64(...) 0
FFTV_STAGES(float, f32, FFTV_LANES_F32)
FFTV_STAGES(double, f64, FFTV_LANES_F64)

/* --------------------------------------------------------- rows in lanes
 *
 * Many short rows, and the two steps of a long row's four-step transform,
 * go through the lane stages above too: up to V rows are transposed into
 * the lanes of a block (element j of row v at [j V + v] of the split real
 * and imaginary parts), transformed together and transposed back, so that
 * the stages of short rows are whole vectors as well.
 *
 * A long row of n = n1 n2 values (fft_long) is read as an n1 x n2 matrix
 * x[j1 n2 + j2]: the n2 columns are transformed (length n1) in blocks of V
 * columns, element k1 of column j2 is multiplied by w^(k1 j2),
 * w = exp(-2 pi i / n), and written back in place into a scratch matrix;
 * then its n1 rows are transformed (length n2) in blocks of V rows, and
 * element k2 of row k1 is X[k1 + n1 k2], so that each block writes runs of
 * V values. Every pass works in a block that stays in the cache, where the
 * stages of a whole long row would stream it from memory once per radix.
 * The twiddle w^(k1 (c0 + v)) of lane v of the block at column c0 is
 * w^(k1 c0) w^(k1 v), both from exact tables, multiplied in double. */

/* In-register transposes for the lanes, on 32-byte vectors (GCC keeps a
 * 64-byte generic vector in memory on AVX2 targets): a tile of W rows of W
 * values (one vector each, W = 8 floats or 4 doubles) becomes W vectors of
 * its columns. A tile of V = 2 W rows of V / 2 complex values is four such
 * blocks. Every step a shuffle with immediate operands. */
typedef float fftl_hf __attribute__((vector_size(32)));
typedef int32_t fftl_hfi __attribute__((vector_size(32)));
typedef double fftl_hd __attribute__((vector_size(32)));
typedef int64_t fftl_hdi __attribute__((vector_size(32)));
typedef float fftl_hf_u __attribute__((vector_size(32), aligned(4)));   /* unaligned loads, stores */
typedef double fftl_hd_u __attribute__((vector_size(32), aligned(8)));
#define FFTL_SH(x, y, M, ...) __builtin_shuffle(x, y, (M){__VA_ARGS__})
/* 8 x 8 floats: unpcklps/unpckhps of row pairs, unpcklpd/unpckhpd of those
 * (u[4 g + j] holds rows 4 g .. 4 g + 3 of columns j, j + 4), then the
 * 128-bit halves */
#define FFTL_T_f32(r, o) do {                                                            \
    fftl_hf t_[8], u_[8];                                                                 \
    for (int i_ = 0; i_ < 8; i_ += 2) {                                                   \
        t_[i_] = FFTL_SH(r[i_], r[i_ + 1], fftl_hfi, 0, 8, 1, 9, 4, 12, 5, 13);           \
        t_[i_ + 1] = FFTL_SH(r[i_], r[i_ + 1], fftl_hfi, 2, 10, 3, 11, 6, 14, 7, 15);     \
    }                                                                                     \
    for (int g_ = 0; g_ < 8; g_ += 4)                                                     \
        for (int j_ = 0; j_ < 2; j_++) {                                                  \
            u_[g_ + 2 * j_] = FFTL_SH(t_[g_ + j_], t_[g_ + j_ + 2], fftl_hfi,             \
                                      0, 1, 8, 9, 4, 5, 12, 13);                          \
            u_[g_ + 2 * j_ + 1] = FFTL_SH(t_[g_ + j_], t_[g_ + j_ + 2], fftl_hfi,         \
                                          2, 3, 10, 11, 6, 7, 14, 15);                    \
        }                                                                                 \
    for (int j_ = 0; j_ < 4; j_++) {                                                      \
        o[j_] = FFTL_SH(u_[j_], u_[4 + j_], fftl_hfi, 0, 1, 2, 3, 8, 9, 10, 11);          \
        o[4 + j_] = FFTL_SH(u_[j_], u_[4 + j_], fftl_hfi, 4, 5, 6, 7, 12, 13, 14, 15);    \
    }                                                                                     \
} while (0)
/* 4 x 4 doubles: unpcklpd/unpckhpd of row pairs, then the 128-bit halves */
#define FFTL_T_f64(r, o) do {                                                            \
    fftl_hd t_[4];                                                                        \
    for (int i_ = 0; i_ < 4; i_ += 2) {                                                   \
        t_[i_] = FFTL_SH(r[i_], r[i_ + 1], fftl_hdi, 0, 4, 2, 6);                         \
        t_[i_ + 1] = FFTL_SH(r[i_], r[i_ + 1], fftl_hdi, 1, 5, 3, 7);                     \
    }                                                                                     \
    for (int j_ = 0; j_ < 2; j_++) {                                                      \
        o[j_] = FFTL_SH(t_[j_], t_[2 + j_], fftl_hdi, 0, 1, 4, 5);                        \
        o[2 + j_] = FFTL_SH(t_[j_], t_[2 + j_], fftl_hdi, 2, 3, 6, 7);                    \
    }                                                                                     \
} while (0)

/* Whole groups (V rows) on AVX2: the tiles' 128-bit halves loaded from (and
 * stored to) two rows W / 2 apart, so that the transposes are shuffles
 * within 128-bit lanes (4 x 4 floats, 2 x 2 doubles), its own inverse;
 * the half-loads join a vector in the load ports, where the shuffles of
 * FFTL_T_* across lanes all queue for one port (common.h's ct_cpu_avx2
 * picks them) */
#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
/* the values past the last whole tile (j0 on) of each row, one at a time */
#define FFTL_GATHER_REST                                                                  \
    for (int v = 0; v < V; v++)                                                           \
        for (int64_t j = j0; j < n; j++) {                                                \
            xr[j * V + v] = in[2 * (v * rs + j)];                                         \
            xi[j * V + v] = sign * in[2 * (v * rs + j) + 1];                              \
        }
#define FFTL_SCATTER_REST                                                                 \
    for (int v = 0; v < V; v++)                                                           \
        for (int64_t j = j0; j < n; j++) {                                                \
            out[2 * (v * rs + j)] = xr[j * V + v] * scale;                                \
            out[2 * (v * rs + j) + 1] = xi[j * V + v] * (sign * scale);                   \
        }
/* the columns of an 8 x 8 tile of floats (rows st apart) from its rows */
#define FFTL_LD8(b, st, i) _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps((b) + (i) * (st))), \
                                                _mm_loadu_ps((b) + ((i) + 4) * (st)), 1)
#define FFTL_T44(a0, a1, a2, a3, c0, c1, c2, c3) do {                                    \
    const __m256 t0_ = _mm256_unpacklo_ps(a0, a1), t1_ = _mm256_unpackhi_ps(a0, a1);     \
    const __m256 t2_ = _mm256_unpacklo_ps(a2, a3), t3_ = _mm256_unpackhi_ps(a2, a3);     \
    c0 = _mm256_shuffle_ps(t0_, t2_, 0x44); c1 = _mm256_shuffle_ps(t0_, t2_, 0xee);       \
    c2 = _mm256_shuffle_ps(t1_, t3_, 0x44); c3 = _mm256_shuffle_ps(t1_, t3_, 0xee);       \
} while (0)
#define FFTL_ST8(b, st, i, v) do {                                                      \
    _mm_storeu_ps((b) + (i) * (st), _mm256_castps256_ps128(v));                           \
    _mm_storeu_ps((b) + ((i) + 4) * (st), _mm256_extractf128_ps(v, 1));                   \
} while (0)
__attribute__((target("avx2"))) static void fftl_gather_avx2_f32(int64_t n, int64_t rs,
    const float *restrict in, float *restrict xr, float sign) {
    enum { V = FFTV_LANES_F32 };
    float *restrict xi = xr + n * V;
    const __m256 sg = _mm256_set1_ps(sign);
    int64_t j0 = 0;
    for (; j0 + 4 <= n; j0 += 4)
        for (int rb = 0; rb < V; rb += 8) {
            const float *b = in + 2 * (rb * rs + j0);
            const int64_t st = 2 * rs;
            __m256 c0, c1, c2, c3, c4, c5, c6, c7;
            FFTL_T44(FFTL_LD8(b, st, 0), FFTL_LD8(b, st, 1), FFTL_LD8(b, st, 2),
                     FFTL_LD8(b, st, 3), c0, c1, c2, c3);
            FFTL_T44(FFTL_LD8(b + 4, st, 0), FFTL_LD8(b + 4, st, 1), FFTL_LD8(b + 4, st, 2),
                     FFTL_LD8(b + 4, st, 3), c4, c5, c6, c7);
            float *dr = xr + j0 * V + rb, *di = xi + j0 * V + rb;
            _mm256_storeu_ps(dr, c0); _mm256_storeu_ps(di, _mm256_mul_ps(c1, sg));
            _mm256_storeu_ps(dr + V, c2); _mm256_storeu_ps(di + V, _mm256_mul_ps(c3, sg));
            _mm256_storeu_ps(dr + 2 * V, c4); _mm256_storeu_ps(di + 2 * V, _mm256_mul_ps(c5, sg));
            _mm256_storeu_ps(dr + 3 * V, c6); _mm256_storeu_ps(di + 3 * V, _mm256_mul_ps(c7, sg));
        }
    FFTL_GATHER_REST
}
__attribute__((target("avx2"))) static void fftl_scatter_avx2_f32(int64_t n, int64_t rs,
    const float *restrict xr, float *restrict out, float sign, float scale) {
    enum { V = FFTV_LANES_F32 };
    const float *restrict xi = xr + n * V;
    const __m256 sr = _mm256_set1_ps(scale), si = _mm256_set1_ps(sign * scale);
    int64_t j0 = 0;
    for (; j0 + 4 <= n; j0 += 4)
        for (int rb = 0; rb < V; rb += 8) {
            const float *ar = xr + j0 * V + rb, *ai = xi + j0 * V + rb;
            __m256 a0, a1, a2, a3, b0, b1, b2, b3;
            FFTL_T44(_mm256_mul_ps(_mm256_loadu_ps(ar), sr), _mm256_mul_ps(_mm256_loadu_ps(ai), si),
                     _mm256_mul_ps(_mm256_loadu_ps(ar + V), sr),
                     _mm256_mul_ps(_mm256_loadu_ps(ai + V), si), a0, a1, a2, a3);
            FFTL_T44(_mm256_mul_ps(_mm256_loadu_ps(ar + 2 * V), sr),
                     _mm256_mul_ps(_mm256_loadu_ps(ai + 2 * V), si),
                     _mm256_mul_ps(_mm256_loadu_ps(ar + 3 * V), sr),
                     _mm256_mul_ps(_mm256_loadu_ps(ai + 3 * V), si), b0, b1, b2, b3);
            float *b = out + 2 * (rb * rs + j0);
            const int64_t st = 2 * rs;
            FFTL_ST8(b, st, 0, a0); FFTL_ST8(b, st, 1, a1); FFTL_ST8(b, st, 2, a2); FFTL_ST8(b, st, 3, a3);
            FFTL_ST8(b + 4, st, 0, b0); FFTL_ST8(b + 4, st, 1, b1);
            FFTL_ST8(b + 4, st, 2, b2); FFTL_ST8(b + 4, st, 3, b3);
        }
    FFTL_SCATTER_REST
}
#define FFTL_LD4(b, st, i) _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd((b) + (i) * (st))), \
                                                _mm_loadu_pd((b) + ((i) + 2) * (st)), 1)
#define FFTL_ST4(b, st, i, v) do {                                                      \
    _mm_storeu_pd((b) + (i) * (st), _mm256_castpd256_pd128(v));                           \
    _mm_storeu_pd((b) + ((i) + 2) * (st), _mm256_extractf128_pd(v, 1));                   \
} while (0)
__attribute__((target("avx2"))) static void fftl_gather_avx2_f64(int64_t n, int64_t rs,
    const double *restrict in, double *restrict xr, double sign) {
    enum { V = FFTV_LANES_F64 };
    double *restrict xi = xr + n * V;
    const __m256d sg = _mm256_set1_pd(sign);
    int64_t j0 = 0;
    for (; j0 + 2 <= n; j0 += 2)
        for (int rb = 0; rb < V; rb += 4) {
            const double *b = in + 2 * (rb * rs + j0);
            const int64_t st = 2 * rs;
            const __m256d a0 = FFTL_LD4(b, st, 0), a1 = FFTL_LD4(b, st, 1);
            const __m256d b0 = FFTL_LD4(b + 2, st, 0), b1 = FFTL_LD4(b + 2, st, 1);
            double *dr = xr + j0 * V + rb, *di = xi + j0 * V + rb;
            _mm256_storeu_pd(dr, _mm256_unpacklo_pd(a0, a1));
            _mm256_storeu_pd(di, _mm256_mul_pd(_mm256_unpackhi_pd(a0, a1), sg));
            _mm256_storeu_pd(dr + V, _mm256_unpacklo_pd(b0, b1));
            _mm256_storeu_pd(di + V, _mm256_mul_pd(_mm256_unpackhi_pd(b0, b1), sg));
        }
    FFTL_GATHER_REST
}
__attribute__((target("avx2"))) static void fftl_scatter_avx2_f64(int64_t n, int64_t rs,
    const double *restrict xr, double *restrict out, double sign, double scale) {
    enum { V = FFTV_LANES_F64 };
    const double *restrict xi = xr + n * V;
    const __m256d sr = _mm256_set1_pd(scale), si = _mm256_set1_pd(sign * scale);
    int64_t j0 = 0;
    for (; j0 + 2 <= n; j0 += 2)
        for (int rb = 0; rb < V; rb += 4) {
            const double *ar = xr + j0 * V + rb, *ai = xi + j0 * V + rb;
            const __m256d c0 = _mm256_mul_pd(_mm256_loadu_pd(ar), sr);
            const __m256d c1 = _mm256_mul_pd(_mm256_loadu_pd(ai), si);
            const __m256d c2 = _mm256_mul_pd(_mm256_loadu_pd(ar + V), sr);
            const __m256d c3 = _mm256_mul_pd(_mm256_loadu_pd(ai + V), si);
            double *b = out + 2 * (rb * rs + j0);
            const int64_t st = 2 * rs;
            FFTL_ST4(b, st, 0, _mm256_unpacklo_pd(c0, c1));
            FFTL_ST4(b, st, 1, _mm256_unpackhi_pd(c0, c1));
            FFTL_ST4(b + 2, st, 0, _mm256_unpacklo_pd(c2, c3));
            FFTL_ST4(b + 2, st, 1, _mm256_unpackhi_pd(c2, c3));
        }
    FFTL_SCATTER_REST
}
#define FFTL_WHOLE(nr, V, CALL) if ((nr) == (V) && ct_cpu_avx2()) { CALL; return; }
#else
#define FFTL_WHOLE(nr, V, CALL)
#endif

#define FFTL_STAGES(T, S, V, HT, HU)                                                            \
/* nr <= V rows of n complex values (row v at in + 2 v rs) into the lanes of  \
 * the block at xr (imaginary parts n V values on, times sign); the lanes    \
 * past nr zero. A tile of V / 2 complex values of the V rows at a time, as  \
 * four W x W blocks (rows rb W.., values cb W..): value k = cb W + i of the  \
 * tile is part k & 1 of element k / 2, its lanes rb W.. */                  \
CT_MULTIVERSION static void fftl_gather_##S(int64_t n, int64_t rs, int nr,                \
    const T *restrict in, T *restrict xr, T sign) {                                       \
    FFTL_WHOLE(nr, V, fftl_gather_avx2_##S(n, rs, in, xr, sign))                          \
    enum { W = V / 2 };                                                                   \
    T *restrict xi = xr + n * V;                                                          \
    int64_t j0 = 0;                                                                       \
    for (; j0 + V / 2 <= n; j0 += V / 2)                                                  \
        for (int rb = 0; rb < 2; rb++)                                                    \
            for (int cb = 0; cb < 2; cb++) {                                              \
                HT t[W], c[W];                                                            \
                _Pragma("GCC unroll 8")                                                   \
                for (int i = 0; i < W; i++) {                                             \
                    const int v = rb * W + i;                                             \
                    t[i] = v < nr ? *(const HU *)(in + 2 * (v * rs + j0) + cb * W) : (HT){0}; \
                }                                                                         \
                FFTL_T_##S(t, c);                                                         \
                _Pragma("GCC unroll 8")                                                   \
                for (int i = 0; i < W; i += 2) {                                          \
                    const int64_t at = (j0 + (cb * W + i) / 2) * V + rb * W;              \
                    *(HU *)(xr + at) = c[i];                                              \
                    *(HU *)(xi + at) = c[i + 1] * sign;                                   \
                }                                                                         \
            }                                                                             \
    for (int v = 0; v < V; v++)                                                           \
        for (int64_t j = j0; j < n; j++) {                                                \
            xr[j * V + v] = v < nr ? in[2 * (v * rs + j)] : 0;                            \
            xi[j * V + v] = v < nr ? sign * in[2 * (v * rs + j) + 1] : 0;                 \
        }                                                                                 \
}                                                                                         \
/* the inverse of fftl_gather for the lanes v < nr: real parts times scale,   \
 * imaginary parts times sign scale */                                                   \
CT_MULTIVERSION static void fftl_scatter_##S(int64_t n, int64_t rs, int nr,               \
    const T *restrict xr, T *restrict out, T sign, T scale) {                             \
    FFTL_WHOLE(nr, V, fftl_scatter_avx2_##S(n, rs, xr, out, sign, scale))                 \
    enum { W = V / 2 };                                                                   \
    const T *restrict xi = xr + n * V;                                                    \
    const T si = sign * scale;                                                            \
    int64_t j0 = 0;                                                                       \
    for (; j0 + V / 2 <= n; j0 += V / 2)                                                  \
        for (int rb = 0; rb * W < nr; rb++)                                               \
            for (int cb = 0; cb < 2; cb++) {                                              \
                HT t[W], c[W];                                                            \
                _Pragma("GCC unroll 8")                                                   \
                for (int i = 0; i < W; i += 2) {                                          \
                    const int64_t at = (j0 + (cb * W + i) / 2) * V + rb * W;              \
                    t[i] = *(const HU *)(xr + at) * scale;                                \
                    t[i + 1] = *(const HU *)(xi + at) * si;                               \
                }                                                                         \
                FFTL_T_##S(t, c);                                                         \
                _Pragma("GCC unroll 8")                                                   \
                for (int i = 0; i < W; i++)                                               \
                    if (rb * W + i < nr) {                                                \
                        const int v = rb * W + i;                                         \
                        *(HU *)(out + 2 * (v * rs + j0) + cb * W) = c[i];                 \
                        if (cb) __builtin_prefetch(out + 2 * (v * rs + j0) + FFTL_PF * V, 1); \
                    }                                                                     \
            }                                                                             \
    for (int v = 0; v < nr; v++)                                                          \
        for (int64_t j = j0; j < n; j++) {                                                \
            out[2 * (v * rs + j)] = xr[j * V + v] * scale;                                \
            out[2 * (v * rs + j) + 1] = xi[j * V + v] * si;                               \
        }                                                                                 \
}                                                                                         \
/* fft_r2c_post in lanes: from Z (m elements at zr) to the m + 1 elements at  \
 * or_ (imaginary parts (m + 1) V values on) */                                          \
CT_MULTIVERSION static void fftl_r2c_post_##S(int64_t m, const T *restrict zr,            \
    const T *restrict wr, const T *restrict wi, T *restrict or_, T scale) {               \
    const T *restrict zi = zr + m * V;                                                    \
    T *restrict oi = or_ + (m + 1) * V;                                                   \
    for (int v = 0; v < V; v++) {                                                         \
        or_[v] = (zr[v] + zi[v]) * scale; oi[v] = 0;                                      \
        or_[m * V + v] = (zr[v] - zi[v]) * scale; oi[m * V + v] = 0;                      \
    }                                                                                     \
    for (int64_t k = 1; k < m; k++) {                                                     \
        const T a = wr[k], b = wi[k];                                                     \
        const T *restrict pr = zr + k * V, *restrict pi = zi + k * V;                     \
        const T *restrict qr = zr + (m - k) * V, *restrict qi = zi + (m - k) * V;         \
        _Pragma("omp simd")                                                               \
        for (int v = 0; v < V; v++) {                                                     \
            const T er = (pr[v] + qr[v]) * (T)0.5, ei = (pi[v] - qi[v]) * (T)0.5;         \
            const T o_r = (pi[v] + qi[v]) * (T)0.5, o_i = (qr[v] - pr[v]) * (T)0.5;       \
            or_[k * V + v] = (er + a * o_r - b * o_i) * scale;                            \
            oi[k * V + v] = (ei + a * o_i + b * o_r) * scale;                             \
        }                                                                                 \
    }                                                                                     \
}                                                                                         \
/* fft_c2r_pre in lanes: from the m + 1 elements at ar (imaginary parts      \
 * (m + 1) V values on) to the m elements at zr */                                       \
CT_MULTIVERSION static void fftl_c2r_pre_##S(int64_t m, const T *restrict ar,             \
    const T *restrict wr, const T *restrict wi, T *restrict zr, T s, T h) {               \
    const T *restrict ai = ar + (m + 1) * V;                                              \
    T *restrict zi = zr + m * V;                                                          \
    for (int v = 0; v < V; v++) {                                                         \
        zr[v] = ar[v] + ar[m * V + v];                                                    \
        zi[v] = -(ar[v] - ar[m * V + v]);                                                 \
    }                                                                                     \
    const T hs = h * s;                                                                   \
    for (int64_t k = 1; k < m; k++) {                                                     \
        const T a = wr[k], b = wi[k];                                                     \
        const T *restrict pr = ar + k * V, *restrict pi = ai + k * V;                     \
        const T *restrict qr = ar + (m - k) * V, *restrict qi = ai + (m - k) * V;         \
        _Pragma("omp simd")                                                               \
        for (int v = 0; v < V; v++) {                                                     \
            const T xr_ = h * pr[v], xi_ = hs * pi[v], yr_ = h * qr[v], yi_ = hs * qi[v]; \
            const T sr = xr_ + yr_, si = xi_ - yi_, dr = xr_ - yr_, di = xi_ + yi_;       \
            const T br = dr * a + di * b, bi = di * a - dr * b;                           \
            zr[k * V + v] = sr - bi;                                                      \
            zi[k * V + v] = -(si + br);                                                   \
        }                                                                                 \
    }                                                                                     \
}                                                                                         \
/* nr <= V rows of n complex values, transformed (4 n V values of buf) */                \
static void fftl_c2c_##S(const fft_plan *p, const T *tw, const T *in, T *out, int nr,     \
                         T *buf, T sign, T scale) {                                       \
    const int64_t n = p->n;                                                               \
    fftl_gather_##S(n, n, nr, in, buf, sign);                                             \
    fftl_scatter_##S(n, n, nr, buf + fftv_block_##S(p, tw, buf), out, sign, scale);       \
}                                                                                         \
/* nr <= V real rows of 2 m values to rows of m + 1 coefficients (p the plan \
 * of m; (6 m + 2) V values of buf) */                                                   \
static void fftl_r2c_##S(const fft_plan *p, const T *tw, const T *rw, const T *in,        \
                         T *out, int nr, T *buf, T scale) {                               \
    const int64_t m = p->n;                                                               \
    T *o = buf + 4 * m * V;                                                               \
    fftl_gather_##S(m, m, nr, in, buf, (T)1);                                             \
    fftl_r2c_post_##S(m, buf + fftv_block_##S(p, tw, buf), rw, rw + m, o, scale);         \
    fftl_scatter_##S(m + 1, m + 1, nr, o, out, (T)1, (T)1);                               \
}                                                                                         \
/* nr <= V rows of m + 1 coefficients to real rows of 2 m values (as          \
 * fft_c2r_row; (6 m + 2) V values of buf) */                                            \
static void fftl_c2r_##S(const fft_plan *p, const T *tw, const T *rw, const T *in,        \
                         T *out, int nr, T *buf, T s, T h, T scale) {                     \
    const int64_t m = p->n;                                                               \
    T *a = buf + 4 * m * V;                                                               \
    fftl_gather_##S(m + 1, m + 1, nr, in, a, (T)1);                                       \
    fftl_c2r_pre_##S(m, a, rw, rw + m, buf, s, h);                                        \
    fftl_scatter_##S(m, m, nr, buf + fftv_block_##S(p, tw, buf), out, (T)-1, scale);      \
}                                                                                         \
/* the lanes' result of a block of nc <= V columns from c0 on (element k of  \
 * lane v at xr[k V + v]) times w^(k (c0 + v)), w = exp(-2 pi i / n), to     \
 * out + 2 (k js + v); hl, lb and tv the tables of the long row's plan */                    \
CT_MULTIVERSION static void fftl_scatter_tw_##S(int64_t n1, int64_t js, int64_t nc,       \
    const T *restrict xr, T *restrict out, int64_t c0, const double *restrict hl,         \
    int64_t n, int lb, const double *restrict tv) {                                       \
    const T *restrict xi = xr + n1 * V;                                                   \
    const int64_t nh = ((n - 1) >> lb) + 1, nl = (int64_t)1 << lb;                        \
    const double *restrict hr = hl, *restrict hi = hl + nh;                               \
    const double *restrict lr = hl + 2 * nh, *restrict li = lr + nl;                      \
    for (int64_t k = 0; k < n1; k++) {                                                    \
        const int64_t e = k * c0, q = e >> lb, r = e & (nl - 1);                          \
        const double br = hr[q] * lr[r] - hi[q] * li[r], bi = hr[q] * li[r] + hi[q] * lr[r]; \
        const double *restrict tr = tv + 2 * FFTL_TV * k, *restrict ti = tr + FFTL_TV;    \
        const T *restrict ar = xr + k * V, *restrict ai = xi + k * V;                     \
        T *restrict dst = out + 2 * k * js;                                               \
        if (nc == V) {                                                                    \
            _Pragma("omp simd")                                                           \
            for (int v = 0; v < V; v++) {                                                 \
                const T wr_ = (T)(br * tr[v] - bi * ti[v]), wi_ = (T)(br * ti[v] + bi * tr[v]); \
                dst[2 * v] = ar[v] * wr_ - ai[v] * wi_;                                   \
                dst[2 * v + 1] = ar[v] * wi_ + ai[v] * wr_;                               \
            }                                                                             \
        } else                                                                            \
            for (int v = 0; v < nc; v++) {                                                \
                const T wr_ = (T)(br * tr[v] - bi * ti[v]), wi_ = (T)(br * ti[v] + bi * tr[v]); \
                dst[2 * v] = ar[v] * wr_ - ai[v] * wi_;                                   \
                dst[2 * v + 1] = ar[v] * wi_ + ai[v] * wr_;                               \
            }                                                                             \
    }                                                                                     \
}                                                                                         \
/* one long row (p->n1 set) by the four-step transform: in to out (the same  \
 * buffer or distinct ones), imaginary parts read times isign, written times  \
 * osign scale, real parts times scale; the blocks shared between OpenMP     \
 * threads. 0, or -2 when scratch memory could not be had */                             \
static int fft_long_##S(const fft_plan *p, const T *tw1, const T *tw2, const T *in,       \
                        T *out, T isign, T osign, T scale) {                              \
    const int64_t n = p->n, n1 = p->n1, n2 = p->n2, W = FFTL_G * V, ms = n2 + FFTL_PAD;  \
    const int64_t b1 = (n2 + W - 1) / W, b2 = (n1 + W - 1) / W;                           \
    T *mid = malloc((size_t)(2 * n1 * ms) * sizeof(T));                                   \
    if (!mid) return -2;                                                                  \
    int err = 0;                                                                          \
    _Pragma("omp parallel")                                                               \
    {                                                                                     \
        T *buf = aligned_alloc(64, (size_t)(4 * n2 * W) * sizeof(T));                     \
        if (!buf) {                                                                       \
            _Pragma("omp atomic write")                                                   \
            err = -2;                                                                     \
        }                                                                                 \
        _Pragma("omp for schedule(static)")                                               \
        for (int64_t b = 0; b < b1; b++) {                                                \
            if (!buf) continue;                                                           \
            const int64_t c0 = b * W, nc = n2 - c0 < W ? n2 - c0 : W;                     \
            /* whole blocks: the first radix-4 stage fused with the gather */             \
            const int f4 = nc % V == 0 && fftv_first_in_##S(p->p1, n2, nc / V, in + 2 * c0, buf, isign); \
            if (!f4) fftv_gather_##S(n1, n2, nc, in + 2 * c0, buf, isign);                 \
            for (int64_t g = 0; g * V < nc; g++) {                                        \
                T *blk = buf + 4 * g * n1 * V;                                            \
                const int64_t cg = c0 + g * V, ng = nc - g * V < V ? nc - g * V : V;      \
                const int64_t at = fftv_stages_##S(p->p1, tw1, blk, f4, p->p1->vnst,      \
                                                   f4 ? 2 * n1 * V : 0);                  \
                fftl_scatter_tw_##S(n1, ms, ng, blk + at, mid + 2 * cg, cg, p->hl, n, p->lb, \
                                    p->tv);                                               \
            }                                                                             \
        }                                                                                 \
        _Pragma("omp for schedule(static)")                                               \
        for (int64_t b = 0; b < b2; b++) {                                                \
            if (!buf) continue;                                                           \
            const int64_t k0 = b * W, nk = n1 - k0 < W ? n1 - k0 : W;                     \
            int64_t at = 0;                                                               \
            for (int64_t g = 0; g * V < nk; g++) {                                        \
                T *blk = buf + 4 * g * n2 * V;                                            \
                const int nr = (int)(nk - g * V < V ? nk - g * V : V);                    \
                fftl_gather_##S(n2, ms, nr, mid + 2 * (k0 + g * V) * ms, blk, (T)1);      \
                at = fftv_block_##S(p->p2, tw2, blk);                                     \
            }                                                                             \
            fftv_scatter_##S(n2, n1, nk, buf, at, out + 2 * k0, osign, scale);             \
        }                                                                                 \
        free(buf);                                                                        \
    }                                                                                     \
    free(mid);                                                                            \
    return err;                                                                           \
}                                                                                         \
/* rows long real rows of 2 m values to rows of m + 1 coefficients (p the  \
 * plan of m, p->n1 set): each row's complex transform into z, then the    \
 * post-processing */                                                                    \
static int fft_long_r2c_##S(const fft_plan *p, const T *tw1, const T *tw2, const T *rw,   \
                            const T *in, T *out, int64_t rows, T scale) {                 \
    const int64_t m = p->n;                                                               \
    T *z = malloc((size_t)(2 * m) * sizeof(T));                                           \
    if (!z) return -2;                                                                    \
    int err = 0;                                                                          \
    for (int64_t r = 0; r < rows && !err; r++) {                                          \
        err = fft_long_##S(p, tw1, tw2, in + 2 * m * r, z, (T)1, (T)1, (T)1);             \
        fft_r2c_post_il_##S(m, z, z + 1, rw, rw + m, out + 2 * (m + 1) * r, scale);       \
    }                                                                                     \
    free(z);                                                                              \
    return err;                                                                           \
}                                                                                         \
/* the inverse way (as fft_c2r_row): each row's pre-processing into z, then  \
 * its complex transform */                                                              \
static int fft_long_c2r_##S(const fft_plan *p, const T *tw1, const T *tw2, const T *rw,   \
                            const T *in, T *out, int64_t rows, T s, T h, T scale) {       \
    const int64_t m = p->n;                                                               \
    T *z = malloc((size_t)(2 * m) * sizeof(T));                                           \
    if (!z) return -2;                                                                    \
    int err = 0;                                                                          \
    for (int64_t r = 0; r < rows && !err; r++) {                                          \
        fft_c2r_pre_il_##S(m, in + 2 * (m + 1) * r, rw, rw + m, z, z + 1, s, h);          \
        err = fft_long_##S(p, tw1, tw2, z, out + 2 * m * r, (T)1, (T)-1, scale);          \
    }                                                                                     \
    free(z);                                                                              \
    return err;                                                                           \
}

FFTL_STAGES(float, f32, FFTV_LANES_F32, fftl_hf, fftl_hf_u)
FFTL_STAGES(double, f64, FFTV_LANES_F64, fftl_hd, fftl_hd_u)

/* units (rows, or groups of up to V rows) of one entry, shared between
 * OpenMP threads when there are many (in guided chunks, so that a thread
 * that starts late takes fewer): each thread with its own scratch of bytes
 * (alloc.h's, kept between calls); -2 when one found no memory (its units
 * not written) */
#define FFT_UNITS(units, work, bytes, CALL) {                                             \
    const int64_t fft_units = (units), fft_work = (work);                                 \
    CT_PARALLEL_IF(fft_units > 1 && fft_work >= (1 << 15), "omp parallel",                \
    {                                                                                     \
        void *buf = ct_thread_scratch(CT_SCRATCH_FFT, (size_t)(bytes));                   \
        if (!buf) {                                                                       \
            _Pragma("omp atomic write")                                                   \
            err = -2;                                                                     \
        }                                                                                 \
        _Pragma("omp for schedule(guided)")                                               \
        for (int64_t u = 0; u < fft_units; u++)                                           \
            if (buf) { CALL; }                                                            \
    });                                                                                   \
}

/* whether rows of n complex values (or real ones of 2 n) go V at a time
 * through the lanes */
#define FFTL_ROWS(rows, n) ((rows) >= FFTL_MIN_ROWS && ((n) <= (es == 4 ? FFTL_MAX_N : FFTL_MAX_N / 2) \
    || ((n) % 16 && (n) <= (es == 4 ? FFTL_ODD_MAX : FFTL_ODD_MAX / 2) && (es == 4 || (n) >= FFTL_ODD_MIN_D))))
/* the rows of the group u of up to V rows */
#define FFTL_NR(u, V) ((int)(rows - (u) * (V) < (V) ? rows - (u) * (V) : (V)))

#ifdef FFTR
/* rows of p->n float values held in registers (fft_reg.h): complex ones
 * (kind 0; 8 to 1024 values), real ones of 2 p->n (32 to 2048) to their
 * coefficients (1) or back (2: sign and h c2r's conjugate and halving), in
 * chunks of rows shared between OpenMP threads when there are many; 1 when
 * p's length is one of those */
static int fr_run(int kind, const fft_plan *p, const float *in, float *out, int64_t rows,
                  float sign, float scale, float h) {
    if (!fftr_avx512() || !(p->rg || (kind == 0 && p->n == 8))) return 0;
    const int64_t n = p->n, ch = 16, nch = (rows + ch - 1) / ch;
    const int64_t is = kind == 2 ? 2 * (n + 1) : 2 * n, os = kind == 1 ? 2 * (n + 1) : 2 * n;
    CT_PARALLEL_IF(nch > 1 && rows * n >= (1 << 15), "omp parallel for schedule(static)",
    for (int64_t c = 0; c < nch; c++) {
        const int64_t r0 = c * ch, nr = rows - r0 < ch ? rows - r0 : ch;
        const float *a = in + is * r0;
        float *b = out + os * r0;
        if (n == 8) fr_tiny8(a, b, nr, sign, scale);
        else if (n <= 32) (n == 16 ? fr_short16 : fr_short32)(kind, a, b, nr, p->rg, p->rw32, sign, h, scale);
        else if (kind == 2) fr_c2r(n, a, b, nr, p->rg, p->rw32, sign, h, scale);
        else if (kind == 1) {
            if (n == 64) fr_r2c64(a, b, nr, p->rg, p->rw32, scale);
            else if (n == 128) fr_r2c128(a, b, nr, p->rg, p->rw32, scale);
            else if (n == 256) fr_r2c256(a, b, nr, p->rg, p->rw32, scale);
            else if (n == 512) fr_r2c512(a, b, nr, p->rg, p->rw32, scale);
            else fr_r2c1024(a, b, nr, p->rg, p->rw32, scale);
        } else {
            if (n == 64) fr_c2c64(a, b, nr, p->rg, sign, scale);
            else if (n == 128) fr_c2c128(a, b, nr, p->rg, sign, scale);
            else if (n == 256) fr_c2c256(a, b, nr, p->rg, sign, scale);
            else if (n == 512) fr_c2c512(a, b, nr, p->rg, sign, scale);
            else fr_c2c1024(a, b, nr, p->rg, sign, scale);
        }
    });
    return 1;
}
/* double rows the same way: complex ones of 4 to 256 values (kind 0), real
 * ones of 32 to 512 to their coefficients (1) or back (2: sign and h as
 * fr_run's); 1 when p's length is one of those */
static int fr_run_d(int kind, const fft_plan *p, const double *in, double *out, int64_t rows,
                    double sign, double scale, double h) {
    if (!fftr_avx512() || !(p->rgd || (kind == 0 && (p->n == 4 || p->n == 8)))) return 0;
    const int64_t n = p->n, ch = 16, nch = (rows + ch - 1) / ch;
    const int64_t is = kind == 2 ? 2 * n + 2 : 2 * n, os = kind == 1 ? 2 * n + 2 : 2 * n;
    CT_PARALLEL_IF(nch > 1 && rows * n >= (1 << 14), "omp parallel for schedule(static)",
    for (int64_t c = 0; c < nch; c++) {
        const int64_t r0 = c * ch, nr = rows - r0 < ch ? rows - r0 : ch;
        const double *a = in + is * r0;
        double *b = out + os * r0;
        if (n <= 8) (n == 4 ? fr_tiny4d : fr_tiny8d)(a, b, nr, sign, scale);
        else if (n <= 32) (n == 16 ? fr_short16d : fr_short32d)(kind, a, b, nr, p->rgd, p->rw64, sign, h, scale);
        else if (n == 64) frd_rows64(kind, a, b, nr, p->rgd, p->rw64, sign, h, scale);
        else if (n == 128) frd_rows128(kind, a, b, nr, p->rgd, p->rw64, sign, h, scale);
        else frd_rows256(kind, a, b, nr, p->rgd, p->rw64, sign, h, scale);
    });
    return 1;
}
#else
#define fr_run(...) 0
#define fr_run_d(...) 0
#endif

/* rows dense rows of n complex values, transformed and multiplied by scale */
static int fft_c2c_rows(int dtype, const void *in, void *out, int64_t rows, int64_t n, int inverse,
                        double scale) {
    if ((dtype != CT_COMPLEX64 && dtype != CT_COMPLEX128) || n < 1 || rows < 0) return -1;
    const int c128 = dtype == CT_COMPLEX128;
    const size_t es = c128 ? sizeof(double) : sizeof(float);
    const double sign = inverse ? -1.0 : 1.0;
    int tmp;
    fft_plan *p = fft_get_plan(n, &tmp);
    if (!p) return -1;
    int err = 0;
    if (c128 ? fr_run_d(0, p, in, out, rows, sign, scale, 1.0)
             : fr_run(0, p, in, out, rows, (float)sign, (float)scale, 1.0f)) {
    } else if (p->n1) {
        for (int64_t r = 0; r < rows && !err; r++)
            err = c128 ? fft_long_f64(p, p->p1->tw64, p->p2->tw64, (const double *)in + 2 * n * r,
                                      (double *)out + 2 * n * r, sign, sign, scale)
                       : fft_long_f32(p, p->p1->tw32, p->p2->tw32, (const float *)in + 2 * n * r,
                                      (float *)out + 2 * n * r, (float)sign, (float)sign, (float)scale);
    } else if (FFTL_ROWS(rows, n)) {
        const int V = c128 ? FFTV_LANES_F64 : FFTV_LANES_F32;
        const int64_t groups = (rows + V - 1) / V;
        FFT_UNITS(groups, rows * n, 4 * n * V * es,
            if (c128) fftl_c2c_f64(p, p->tw64, (const double *)in + 2 * n * V * u,
                                   (double *)out + 2 * n * V * u, FFTL_NR(u, V), buf, sign, scale);
            else fftl_c2c_f32(p, p->tw32, (const float *)in + 2 * n * V * u,
                              (float *)out + 2 * n * V * u, FFTL_NR(u, V), buf, (float)sign,
                              (float)scale))
    } else {
        FFT_UNITS(rows, rows * n, 4 * n * es,
            if (c128) fft_row_f64(p, p->tw64, (const double *)in + 2 * n * u, (double *)out + 2 * n * u,
                                  buf, inverse, scale);
            else fft_row_f32(p, p->tw32, (const float *)in + 2 * n * u, (float *)out + 2 * n * u,
                             buf, inverse, (float)scale))
    }
    if (tmp) fft_plan_free(p);
    return err;
}

int ct_fft_c2c(int dtype, const void *in, void *out, int64_t rows, int64_t n, int inverse) {
    return fft_c2c_rows(dtype, in, out, rows, n, inverse, 1.0);
}

int ct_fft_r2c(int dtype, const void *in, void *out, int64_t rows, int64_t n, double scale) {
    if ((dtype != CT_FLOAT32 && dtype != CT_FLOAT64) || n < 2 || n % 2 || rows < 0) return -1;
    const int f64 = dtype == CT_FLOAT64;
    const size_t es = f64 ? sizeof(double) : sizeof(float);
    const int64_t m = n / 2;
    int tmp;
    fft_plan *p = fft_get_plan(m, &tmp);
    if (!p) return -1;
    int err = 0;
    if (f64 ? fr_run_d(1, p, in, out, rows, 1.0, scale, 1.0)
            : fr_run(1, p, in, out, rows, 1.0f, (float)scale, 1.0f)) {
    } else if (p->n1) {
        err = f64 ? fft_long_r2c_f64(p, p->p1->tw64, p->p2->tw64, p->rw64, in, out, rows, scale)
                  : fft_long_r2c_f32(p, p->p1->tw32, p->p2->tw32, p->rw32, in, out, rows,
                                     (float)scale);
    } else if (FFTL_ROWS(rows, m)) {
        const int V = f64 ? FFTV_LANES_F64 : FFTV_LANES_F32;
        const int64_t groups = (rows + V - 1) / V;
        FFT_UNITS(groups, rows * m, (6 * m + 2) * V * es,
            if (f64) fftl_r2c_f64(p, p->tw64, p->rw64, (const double *)in + n * V * u,
                                  (double *)out + 2 * (m + 1) * V * u, FFTL_NR(u, V), buf, scale);
            else fftl_r2c_f32(p, p->tw32, p->rw32, (const float *)in + n * V * u,
                              (float *)out + 2 * (m + 1) * V * u, FFTL_NR(u, V), buf, (float)scale))
    } else {
        FFT_UNITS(rows, rows * m, 4 * m * es,
            if (f64) fft_r2c_row_f64(p, p->tw64, p->rw64, (const double *)in + n * u,
                                     (double *)out + 2 * (m + 1) * u, buf, scale);
            else fft_r2c_row_f32(p, p->tw32, p->rw32, (const float *)in + n * u,
                                 (float *)out + 2 * (m + 1) * u, buf, (float)scale))
    }
    if (tmp) fft_plan_free(p);
    return err;
}

int ct_fft_c2r(int dtype, const void *in, void *out, int64_t rows, int64_t n, int flags, double scale) {
    if ((dtype != CT_COMPLEX64 && dtype != CT_COMPLEX128) || n < 2 || n % 2 || rows < 0) return -1;
    const int c128 = dtype == CT_COMPLEX128;
    const size_t es = c128 ? sizeof(double) : sizeof(float);
    const int64_t m = n / 2;
    const double s = (flags & 1) ? -1.0 : 1.0, h = (flags & 2) ? 0.5 : 1.0;
    int tmp;
    fft_plan *p = fft_get_plan(m, &tmp);
    if (!p) return -1;
    int err = 0;
    if (c128 ? fr_run_d(2, p, in, out, rows, s, scale, h)
             : fr_run(2, p, in, out, rows, (float)s, (float)scale, (float)h)) {
    } else if (p->n1) {
        err = c128 ? fft_long_c2r_f64(p, p->p1->tw64, p->p2->tw64, p->rw64, in, out, rows, s, h,
                                      scale)
                   : fft_long_c2r_f32(p, p->p1->tw32, p->p2->tw32, p->rw32, in, out, rows,
                                      (float)s, (float)h, (float)scale);
    } else if (FFTL_ROWS(rows, m)) {
        const int V = c128 ? FFTV_LANES_F64 : FFTV_LANES_F32;
        const int64_t groups = (rows + V - 1) / V;
        FFT_UNITS(groups, rows * m, (6 * m + 2) * V * es,
            if (c128) fftl_c2r_f64(p, p->tw64, p->rw64, (const double *)in + 2 * (m + 1) * V * u,
                                   (double *)out + n * V * u, FFTL_NR(u, V), buf, s, h, scale);
            else fftl_c2r_f32(p, p->tw32, p->rw32, (const float *)in + 2 * (m + 1) * V * u,
                              (float *)out + n * V * u, FFTL_NR(u, V), buf, (float)s, (float)h,
                              (float)scale))
    } else {
        FFT_UNITS(rows, rows * m, 4 * m * es,
            if (c128) fft_c2r_row_f64(p, p->tw64, p->rw64, (const double *)in + 2 * (m + 1) * u,
                                      (double *)out + n * u, buf, s, h, scale);
            else fft_c2r_row_f32(p, p->tw32, p->rw32, (const float *)in + 2 * (m + 1) * u,
                                 (float *)out + n * u, buf, (float)s, (float)h, (float)scale))
    }
    if (tmp) fft_plan_free(p);
    return err;
}

/* the transforms along the middle dim of a dense (outer, n, inner) array,
 * in tasks of up to G blocks of V columns of one outer index: a task's
 * blocks are gathered and scattered together, so that the rows of the
 * middle dim are read and written in runs of up to G V values. Many tasks
 * are shared between OpenMP threads in guided chunks. */
static int fftv_run(int c128, const fft_plan *p, const void *in, void *out, int64_t outer,
                    int64_t inner, int inverse, double scale) {
    const int64_t n = p->n;
    const int V = c128 ? FFTV_LANES_F64 : FFTV_LANES_F32;
    const size_t es = c128 ? sizeof(double) : sizeof(float);
    const size_t block = (size_t)(4 * n * V) * es;
    /* blocks per task: up to FFTV_G_MAX within FFTV_SCRATCH_KB of scratch
     * (in L2). Long runs of each row matter when the rows are far apart
     * (a large inner dim: each row's run lies in its own page, where the
     * prefetchers do not follow): 512 columns per task measured 1.3x
     * faster than 64 for (1, 64, 4096) and (1, 1024, 256) complex64. */
    int64_t G = (int64_t)((FFTV_SCRATCH_KB << 10) / block);
    G = G < 1 ? 1 : G > FFTV_G_MAX ? FFTV_G_MAX : G;
    if (G > (inner + V - 1) / V) G = (inner + V - 1) / V;
    /* fewer tasks than threads (one outer index, few columns: 1024 x 64 along
     * dim 0 made one task): shorter runs, so that every thread has one */
    const int threads = ct_get_num_threads();
    const int64_t work = outer * n * inner;
    if (outer * ((inner + G * V - 1) / (G * V)) < threads && work >= (1 << 15)) {
        const int64_t want = (threads + outer - 1) / outer, blocks = (inner + V - 1) / V;
        G = (blocks + want - 1) / want;
        G = G < 1 ? 1 : G;
    }
    const int64_t per = G * V, nt = (inner + per - 1) / per, tasks = outer * nt;
    int err = 0;
    CT_PARALLEL_IF(tasks > 1 && work >= (1 << 15), "omp parallel",
    {
        void *buf = ct_thread_scratch(CT_SCRATCH_FFT, G * block);
        if (!buf) {
            _Pragma("omp atomic write")
            err = -2;
        }
        _Pragma("omp for schedule(guided)")
        for (int64_t t = 0; t < tasks; t++) {
            if (!buf) continue;
            const int64_t o = t / nt, c0 = (t % nt) * per;
            const int64_t nc = inner - c0 < per ? inner - c0 : per;
            const int64_t at = 2 * (o * n * inner + c0);
            if (c128)
                fftv_task_f64(p, p->tw64, inner, nc, (const double *)in + at, (double *)out + at,
                              buf, inverse, scale);
            else
                fftv_task_f32(p, p->tw32, inner, nc, (const float *)in + at, (float *)out + at,
                              buf, inverse, (float)scale);
        }
    });
    return err;
}

int ct_fft_c2c_dim(int dtype, const void *in, void *out, int64_t outer, int64_t n, int64_t inner,
                   int inverse, double scale) {
    if ((dtype != CT_COMPLEX64 && dtype != CT_COMPLEX128) || n < 1 || outer < 0 || inner < 0)
        return -1;
    if (outer == 0 || inner == 0) return 0;
    if (inner == 1) return fft_c2c_rows(dtype, in, out, outer, n, inverse, scale);
    int tmp;
    fft_plan *p = fft_get_plan(n, &tmp);
    if (!p) return -1;
    int err = fftv_run(dtype == CT_COMPLEX128, p, in, out, outer, inner, inverse, scale);
    if (tmp) fft_plan_free(p);
    return err;
}

/* ------------------------------------------- the full spectrum of a real input
 *
 * out (shape sizes[0..nd-1] x n) from the one-sided half (sizes x h, h =
 * n / 2 + 1): out[i, k] = half[i, k] for k < h and conj(half[i', n - k])
 * above, where i' is i with each index of a dim flagged in mirror taken
 * mod its size from the end (-i_d mod size_d). Rows are shared between
 * OpenMP threads when there are many. */
/* dst[k] = conj(src[n - k]) for h <= k < n, VC complex values at a time in
 * a vector (reversed by a shuffle, the imaginary parts' signs flipped) */
#define FFT_HERM(T, S, VT, MT, REV, NEG)                                                  \
CT_MULTIVERSION static void fft_herm_row_##S(int64_t n, const T *restrict src,            \
    const T *restrict msrc, T *restrict dst) {                                            \
    const int64_t h = n / 2 + 1, VC = (int64_t)(sizeof(VT) / (2 * sizeof(T)));            \
    memcpy(dst, src, (size_t)(2 * h) * sizeof(T));                                        \
    int64_t k = h;                                                                        \
    for (; k + VC <= n; k += VC) {                                                        \
        VT v;                                                                             \
        memcpy(&v, msrc + 2 * (n - k - VC + 1), sizeof(VT));                              \
        v = __builtin_shuffle(v, (MT)REV) * (VT)NEG;                                      \
        memcpy(dst + 2 * k, &v, sizeof(VT));                                              \
    }                                                                                     \
    for (; k < n; k++) {                                                                  \
        dst[2 * k] = msrc[2 * (n - k)];                                                   \
        dst[2 * k + 1] = -msrc[2 * (n - k) + 1];                                          \
    }                                                                                     \
}
#define FFT_HERM_REV_F32 {6, 7, 4, 5, 2, 3, 0, 1}
#define FFT_HERM_NEG_F32 {1, -1, 1, -1, 1, -1, 1, -1}
#define FFT_HERM_REV_F64 {2, 3, 0, 1}
#define FFT_HERM_NEG_F64 {1, -1, 1, -1}
FFT_HERM(float, f32, fftl_hf, fftl_hfi, FFT_HERM_REV_F32, FFT_HERM_NEG_F32)
FFT_HERM(double, f64, fftl_hd, fftl_hdi, FFT_HERM_REV_F64, FFT_HERM_NEG_F64)

int ct_fft_hermitian(int dtype, const void *half, void *out, int nd, const int64_t *sizes,
                     const unsigned char *mirror, int64_t n) {
    if ((dtype != CT_COMPLEX64 && dtype != CT_COMPLEX128) || n < 1 || nd < 0 || nd > 64)
        return -1;
    const int c128 = dtype == CT_COMPLEX128;
    const int64_t h = n / 2 + 1;
    int64_t rows = 1;
    for (int d = 0; d < nd; d++) rows *= sizes[d];
    if (rows == 0) return 0;
    CT_PARALLEL_IF(rows > 1 && rows * n >= (1 << 16), "omp parallel for schedule(static)",
    for (int64_t r = 0; r < rows; r++) {
        /* the mirrored row: its indices, last dim fastest */
        int64_t rest = r, m = 0, step = 1;
        for (int d = nd - 1; d >= 0; d--) {
            const int64_t i = rest % sizes[d];
            rest /= sizes[d];
            m += step * (mirror[d] && i ? sizes[d] - i : i);
            step *= sizes[d];
        }
        if (c128)
            fft_herm_row_f64(n, (const double *)half + 2 * h * r, (const double *)half + 2 * h * m,
                             (double *)out + 2 * n * r);
        else
            fft_herm_row_f32(n, (const float *)half + 2 * h * r, (const float *)half + 2 * h * m,
                             (float *)out + 2 * n * r);
    });
    return 0;
}
