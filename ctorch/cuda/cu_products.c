/* The CUDA backend's matrix products (backend.h: mm, gemm_ready, gemm) over
 * the kernels of cuda_src/matmul.cu (arguments: cuda_src/matmul_args.h).
 *
 * Every product becomes one column-major problem
 *   C[b] (M x N) = alpha op1(P[b]) op2(Q[b]) + beta C[b]
 * run by one of three launches:
 *   - an output of one column or one row (matrix times vector, dot): the
 *     gemv kernels, a warp per output element when the matrix is dense
 *     along K, a thread per output element when it is dense along the
 *     output;
 *   - anything else: the tiled kernel (128 x 128 tiles for large float32
 *     products, 64 x 64 otherwise);
 *   - when these give the device too few blocks and K is long, K is split
 *     into slices whose partial sums go to scratch memory, and a last
 *     kernel adds them in order (so results do not depend on scheduling).
 * Batch offsets (host arrays) pass as a base and a step when they are evenly
 * spaced, else as a device copy. Errors go to the sticky error (ctc_fail).
 * Float products go to cuBLAS instead when a cuBLAS library is loaded
 * (cu_blas.h).
 */
#include <stdio.h>
#include <string.h>
#include "cuda_backend.h"
#include "cu_blas.h"
#include "../../cuda_src/matmul_args.h"

enum { CTC_MM_TILE, CTC_MM_TILE_L, CTC_MM_ROWS, CTC_MM_COLS, CTC_MM_FINISH, CTC_MM_KINDS };

static const char *const ctc_mm_sfx[CT_NDTYPES] = {
    NULL, "u8", "i8", "i16", "i32", "i64", NULL, "f32", "f64", "c64", "c128"};
static const int ctc_mm_es[CT_NDTYPES] = {1, 1, 1, 2, 4, 8, 2, 4, 8, 8, 16};
/* the accumulation type's size (matmul.cu's ct_mmt) and the vector width */
static const int ctc_mm_acc[CT_NDTYPES] = {0, 4, 4, 4, 4, 8, 0, 4, 8, 8, 16};
static const int ctc_mm_vw[CT_NDTYPES] = {1, 1, 1, 1, 1, 1, 1, 4, 2, 2, 1};

static int ctc_mm_kernels[CTC_MM_KINDS][CT_NDTYPES];   /* kernel index + 1; 0: not looked up */

#define CTC_MM_WORK_MAX ((int64_t)64 << 20)           /* scratch for split-K partials */
#define CTC_MM_YZMAX 65535                             /* gridDim.y, gridDim.z */

static int ctc_mm_kernel(int kind, int dt) {
    int *slot = &ctc_mm_kernels[kind][dt];
    if (*slot == 0) {
        char name[48];
        static const char *const fmt[CTC_MM_KINDS] = {
            "ct_gemm_%s", "ct_gemm_%s_l", "ct_gemv_rows_%s", "ct_gemv_cols_%s", "ct_gemm_finish_%s"};
        snprintf(name, sizeof name, fmt[kind], ctc_mm_sfx[dt]);
        int k = ctc_kernel(name);
        if (k < 0) return -1;
        *slot = k + 1;
    }
    return *slot - 1;
}

static int ctc_mm_sms(void) {
    unsigned c = ctc_blocks_for((int64_t)1 << 40, 1);   /* 32 blocks per multiprocessor */
    return c >= 32 ? (int)(c / 32) : 1;
}

static int64_t ctc_cdiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/* blocks (y, z) over nz = batches * slices: y + z * gridDim.y */
static int ctc_mm_grid_yz(int64_t nz, unsigned *gy, unsigned *gz) {
    int64_t y = nz < CTC_MM_YZMAX ? nz : CTC_MM_YZMAX;
    int64_t z = ctc_cdiv(nz, y);
    if (z > CTC_MM_YZMAX) {
        ctc_fail(-3, "a batched matrix product with too many batches for one CUDA launch");
        return -1;
    }
    *gy = (unsigned)y;
    *gz = (unsigned)z;
    return 0;
}

/* ---- batch offsets ----------------------------------------------------------- */

typedef struct {
    int64_t base;       /* added to the operand's pointer */
    int64_t step;       /* batch b at base + b * step, when dev is NULL */
    int64_t *dev;       /* else: nb offsets in device memory */
    int aligned;        /* every offset a multiple of the vector width */
} ctc_boffs;

static int ctc_boffs_make(const int64_t *off, int64_t nb, int vw, ctc_boffs *o) {
    int64_t b;
    o->base = off ? off[0] : 0;
    o->step = 0;
    o->dev = NULL;
    o->aligned = o->base % vw == 0;
    if (off == NULL || nb <= 1) return 0;
    int64_t d = off[1] - off[0];
    int even = 1;
    for (b = 0; b < nb; b++) {
        if (off[b] != off[0] + b * d) even = 0;
        if (off[b] % vw) o->aligned = 0;
    }
    if (even) {
        o->step = d;
        return 0;
    }
    o->base = 0;
    o->dev = (int64_t *)ctc_scratch((size_t)nb * sizeof(int64_t));
    if (o->dev == NULL) return -1;
    return ctc_copy(o->dev, off, (size_t)nb * sizeof(int64_t), CTC_H2D) ? -1 : 0;
}

static void ctc_boffs_free(ctc_boffs *o, int64_t nb) {
    if (o->dev) ctc_free(o->dev, (size_t)nb * sizeof(int64_t));
    o->dev = NULL;
}

/* ---- one product ---------------------------------------------------------------- */

typedef struct {
    int dt;
    int M, N, K;
    int tr1, cj1, tr2, cj2;
    char *P, *Q, *C;
    int64_t ld1, ld2, ldc, cstep, nb;
    const int64_t *off1, *off2;
    double al[2], be[2];
} ctc_prod;

static int ctc_aligned16(const char *p) { return ((uintptr_t)p & 15) == 0; }

/* the split of K: slices of a multiple of `unit`, enough to give the device
 * about `want` blocks over `base` blocks, within the scratch limit */
static int ctc_mm_splits(int64_t K, int64_t base, int64_t want, int64_t min_slice, int64_t unit,
                         int64_t part_bytes, int *kslice) {
    int64_t s = 1;
    if (base < want && K >= 2 * min_slice) {
        s = ctc_cdiv(want, base);
        if (s > K / min_slice) s = K / min_slice;
        if (s > 1024) s = 1024;
        if (part_bytes > 0 && s * part_bytes > CTC_MM_WORK_MAX) s = CTC_MM_WORK_MAX / part_bytes;
        if (s < 1) s = 1;
    }
    int64_t ks = ctc_cdiv(ctc_cdiv(K, s), unit) * unit;
    if (ks > K) ks = K;
    if (ks < 1) ks = 1;
    *kslice = (int)ks;
    return (int)ctc_cdiv(K, ks);
}

static void ctc_mm_finish(const ctc_prod *p, void *work, int splits, int64_t csi, int64_t csj,
                          int M, int N) {
    ct_gemm_finish_args f;
    memset(&f, 0, sizeof f);
    f.work = ctc_ptr(work);
    f.C = ctc_ptr(p->C);
    f.nb = p->nb;
    f.csi = csi;
    f.csj = csj;
    f.cstep = p->cstep;
    f.M = M;
    f.N = N;
    f.splits = splits;
    f.alpha_re = p->al[0];
    f.alpha_im = p->al[1];
    f.beta_re = p->be[0];
    f.beta_im = p->be[1];
    f.alpha_one = p->al[0] == 1 && p->al[1] == 0;
    f.beta_zero = p->be[0] == 0 && p->be[1] == 0;
    f.beta_one = p->be[0] == 1 && p->be[1] == 0;
    int k = ctc_mm_kernel(CTC_MM_FINISH, p->dt);
    if (k >= 0) ctc_launch1d(k, p->nb * (int64_t)M * N, &f, sizeof f);
}

/* an output of one column (N == 1) or one row (M == 1) */
static void ctc_mm_gemv(const ctc_prod *p) {
    ct_gemv_args g;
    ctc_boffs ox, ov;
    const int es = ctc_mm_es[p->dt], vw = ctc_mm_vw[p->dt];
    const int64_t s1i = p->tr1 ? p->ld1 : 1, s1p = p->tr1 ? 1 : p->ld1;
    const int64_t s2p = p->tr2 ? p->ld2 : 1, s2j = p->tr2 ? 1 : p->ld2;
    const int64_t *offX, *offv;
    char *X, *v;
    memset(&g, 0, sizeof g);
    if (p->N == 1) {            /* y = op1 (M x K) times the column op2 */
        X = p->P; offX = p->off1; g.sxr = s1i; g.sxp = s1p; g.cjX = p->cj1;
        v = p->Q; offv = p->off2; g.svp = s2p; g.cjv = p->cj2;
        g.M = p->M; g.csr = 1;
    } else {                    /* the row op1 (1 x K) times op2: y^T = op2^T op1^T */
        X = p->Q; offX = p->off2; g.sxr = s2j; g.sxp = s2p; g.cjX = p->cj2;
        v = p->P; offv = p->off1; g.svp = s1p; g.cjv = p->cj1;
        g.M = p->N; g.csr = p->ldc;
    }
    g.K = p->K;
    g.nb = p->nb;
    g.cstep = p->cstep;
    g.alpha_re = p->al[0];
    g.alpha_im = p->al[1];
    g.beta_re = p->be[0];
    g.beta_im = p->be[1];
    g.alpha_one = p->al[0] == 1 && p->al[1] == 0;
    g.beta_zero = p->be[0] == 0 && p->be[1] == 0;
    g.beta_one = p->be[0] == 1 && p->be[1] == 0;
    if (ctc_boffs_make(offX, p->nb, vw, &ox) != 0) return;
    if (ctc_boffs_make(offv, p->nb, vw, &ov) != 0) {
        ctc_boffs_free(&ox, p->nb);
        return;
    }
    X += ox.base * es;
    v += ov.base * es;
    g.X = ctc_ptr(X);
    g.v = ctc_ptr(v);
    g.offX = ctc_ptr(ox.dev);
    g.offv = ctc_ptr(ov.dev);
    g.stepX = ox.step;
    g.stepv = ov.step;
    g.C = ctc_ptr(p->C);

    /* the flavour: a thread per output when the output axis is the dense
     * one; else a warp per output, or eight when there are few outputs */
    const int64_t sms = ctc_mm_sms();
    int cols = g.sxr == 1 && g.sxp != 1 && g.M >= 32;
    g.wpr = !cols && g.M * p->nb < 8 * sms ? 8 : 1;
    int64_t rowblocks = cols ? ctc_cdiv(g.M, 32) : ctc_cdiv(g.M * g.wpr, 8);
    g.vec = !cols && vw > 1 && g.sxp == 1 && g.svp == 1 && g.sxr % vw == 0 && ctc_aligned16(X)
            && ctc_aligned16(v) && ox.aligned && ov.aligned;
    int kslice;
    int splits = ctc_mm_splits(p->K, rowblocks * p->nb, 4 * sms, g.wpr == 8 ? 4096 : 1024, 256,
                               p->nb * (int64_t)g.M * ctc_mm_acc[p->dt], &kslice);
    void *work = NULL;
    size_t wbytes = 0;
    if (splits > 1) {
        wbytes = (size_t)(p->nb * (int64_t)splits * g.M * ctc_mm_acc[p->dt]);
        work = ctc_scratch(wbytes);
        if (work == NULL) goto done;
    }
    g.work = ctc_ptr(work);
    g.splits = splits;
    g.kslice = kslice;
    if (rowblocks > 0x7fffffff) {
        ctc_fail(-3, "a matrix-vector product with too many rows for one CUDA launch");
        goto done;
    }
    unsigned gy, gz;
    if (ctc_mm_grid_yz(p->nb * splits, &gy, &gz) != 0) goto done;
    int k = ctc_mm_kernel(cols ? CTC_MM_COLS : CTC_MM_ROWS, p->dt);
    if (k < 0) goto done;
    if (ctc_launch(k, (unsigned)rowblocks, gy, gz, 256, 1, 1, 0, &g, sizeof g) != 0) goto done;
    if (splits > 1) ctc_mm_finish(p, work, splits, g.csr, 0, g.M, 1);
done:
    if (work) ctc_free(work, wbytes);
    ctc_boffs_free(&ox, p->nb);
    ctc_boffs_free(&ov, p->nb);
}

static void ctc_mm_tiled(const ctc_prod *p) {
    ct_gemm_args g;
    ctc_boffs o1, o2;
    const int dt = p->dt, es = ctc_mm_es[dt], vw = ctc_mm_vw[dt];
    const int sms = ctc_mm_sms();
    memset(&g, 0, sizeof g);
    int64_t tiles = ctc_cdiv(p->M, 128) * ctc_cdiv(p->N, 128);
    int large = dt == CT_FLOAT32 && p->M >= 128 && p->N >= 128 && tiles * p->nb >= sms;
    if (!large) tiles = ctc_cdiv(p->M, 64) * ctc_cdiv(p->N, 64);
    if (tiles > 0x7fffffff) {
        ctc_fail(-3, "a matrix product with too many tiles for one CUDA launch");
        return;
    }
    if (ctc_boffs_make(p->off1, p->nb, vw, &o1) != 0) return;
    if (ctc_boffs_make(p->off2, p->nb, vw, &o2) != 0) {
        ctc_boffs_free(&o1, p->nb);
        return;
    }
    char *P = p->P + o1.base * es, *Q = p->Q + o2.base * es;
    g.P = ctc_ptr(P);
    g.Q = ctc_ptr(Q);
    g.C = ctc_ptr(p->C);
    g.off1 = ctc_ptr(o1.dev);
    g.off2 = ctc_ptr(o2.dev);
    g.step1 = o1.step;
    g.step2 = o2.step;
    g.ld1 = p->ld1;
    g.ld2 = p->ld2;
    g.ldc = p->ldc;
    g.cstep = p->cstep;
    g.nb = p->nb;
    g.M = p->M;
    g.N = p->N;
    g.K = p->K;
    g.tr1 = p->tr1;
    g.tr2 = p->tr2;
    g.cj1 = p->cj1;
    g.cj2 = p->cj2;
    g.vec1 = vw > 1 && ctc_aligned16(P) && p->ld1 % vw == 0 && o1.aligned && o1.step % vw == 0;
    g.vec2 = vw > 1 && ctc_aligned16(Q) && p->ld2 % vw == 0 && o2.aligned && o2.step % vw == 0;
    g.vecc = vw > 1 && ctc_aligned16(p->C) && p->ldc % vw == 0 && p->cstep % vw == 0;
    g.alpha_re = p->al[0];
    g.alpha_im = p->al[1];
    g.beta_re = p->be[0];
    g.beta_im = p->be[1];
    g.alpha_one = p->al[0] == 1 && p->al[1] == 0;
    g.beta_zero = p->be[0] == 0 && p->be[1] == 0;
    g.beta_one = p->be[0] == 1 && p->be[1] == 0;
    int kslice;
    int splits = ctc_mm_splits(p->K, tiles * p->nb, 2 * (int64_t)sms, 256, 16,
                               p->nb * (int64_t)p->M * p->N * ctc_mm_acc[dt], &kslice);
    void *work = NULL;
    size_t wbytes = 0;
    if (splits > 1) {
        wbytes = (size_t)(p->nb * (int64_t)splits * p->M * p->N * ctc_mm_acc[dt]);
        work = ctc_scratch(wbytes);
        if (work == NULL) goto done;
    }
    g.work = ctc_ptr(work);
    g.splits = splits;
    g.kslice = kslice;
    unsigned gy, gz;
    if (ctc_mm_grid_yz(p->nb * splits, &gy, &gz) != 0) goto done;
    int k = ctc_mm_kernel(large ? CTC_MM_TILE_L : CTC_MM_TILE, dt);
    if (k < 0) goto done;
    if (ctc_launch(k, (unsigned)tiles, gy, gz, 256, 1, 1, 0, &g, sizeof g) != 0) goto done;
    if (splits > 1) ctc_mm_finish(p, work, splits, 1, p->ldc, p->M, p->N);
done:
    if (work) ctc_free(work, wbytes);
    ctc_boffs_free(&o1, p->nb);
    ctc_boffs_free(&o2, p->nb);
}

static void ctc_mm_run(const ctc_prod *p) {
    if (p->nb <= 0 || p->M <= 0 || p->N <= 0) return;
    int alpha_zero = p->al[0] == 0 && p->al[1] == 0;
    int beta_one = p->be[0] == 1 && p->be[1] == 0;
    if (p->K <= 0 || alpha_zero) {
        /* no product: C = beta C, as BLAS does it (C kept when beta is 1) */
        if (!beta_one) ctc_mm_finish(p, NULL, 0, 1, p->ldc, p->M, p->N);
        return;
    }
    if (p->M == 1 || p->N == 1)
        ctc_mm_gemv(p);
    else
        ctc_mm_tiled(p);
}

/* ---- the table entries ---------------------------------------------------------- */

/* C[b] (m x n, dense rows) = A[b] (m x k, dense rows) B[b] (k x n, dense
 * rows), computed column-major as C^T = B^T A^T */
static void ctc_mm_int(int dt, int64_t nb, const int64_t *offa, const int64_t *offb,
                       const void *A, const void *B, void *C, int64_t m, int64_t n, int64_t k) {
    ctc_prod p;
    if (m > 0x7fffffff || n > 0x7fffffff || k > 0x7fffffff) {
        ctc_fail(-3, "an integer matrix product with a dimension over 2^31 - 1");
        return;
    }
    memset(&p, 0, sizeof p);
    p.dt = dt;
    p.M = (int)n;
    p.N = (int)m;
    p.K = (int)k;
    p.P = (char *)B;
    p.ld1 = n > 0 ? n : 1;
    p.off1 = offb;
    p.Q = (char *)A;
    p.ld2 = k > 0 ? k : 1;
    p.off2 = offa;
    p.C = (char *)C;
    p.ldc = n > 0 ? n : 1;
    p.cstep = m * n;
    p.nb = nb;
    p.al[0] = 1;
    ctc_mm_run(&p);
}

#define CTC_MM_INT(S, DT)                                                                     \
    static void ctc_mm_##S(int64_t nb, const int64_t *offa, const int64_t *offb, const void *A, \
                           const void *B, void *C, int64_t m, int64_t n, int64_t k) {          \
        ctc_mm_int(DT, nb, offa, offb, A, B, C, m, n, k);                                      \
    }
CTC_MM_INT(u8, CT_UINT8)
CTC_MM_INT(i8, CT_INT8)
CTC_MM_INT(i16, CT_INT16)
CTC_MM_INT(i32, CT_INT32)
CTC_MM_INT(i64, CT_INT64)
#undef CTC_MM_INT

static ct_mm_fn ctc_mm_table[CT_NDTYPES];

static int ctc_gemm_ready(void) { return 0; }

static void ctc_scalar(int dt, const void *v, double *out) {
    out[0] = out[1] = 0;
    switch (dt) {
    case CT_FLOAT32: out[0] = *(const float *)v; break;
    case CT_FLOAT64: out[0] = *(const double *)v; break;
    case CT_COMPLEX64: out[0] = ((const float *)v)[0]; out[1] = ((const float *)v)[1]; break;
    default: out[0] = ((const double *)v)[0]; out[1] = ((const double *)v)[1]; break;
    }
}

static void ctc_gemm(int dtype, char t1, char t2, int M, int N, int K, const void *alpha,
                     char *P, int ld1, const int64_t *off1, char *Q, int ld2, const int64_t *off2,
                     const void *beta, char *C, int ldc, int64_t nb) {
    ctc_prod p;
    if (dtype != CT_FLOAT32 && dtype != CT_FLOAT64 && dtype != CT_COMPLEX64
        && dtype != CT_COMPLEX128) {
        ctc_fail(-3, "gemm on CUDA takes float32, float64, complex64 or complex128");
        return;
    }
    if (ctc_blas_gemm(dtype, t1, t2, M, N, K, alpha, P, ld1, off1, Q, ld2, off2, beta, C, ldc, nb) >= 0)
        return;                                 /* cuBLAS ran it (or failed: the sticky error) */
    memset(&p, 0, sizeof p);
    p.dt = dtype;
    p.M = M;
    p.N = N;
    p.K = K;
    p.tr1 = t1 != 'N' && t1 != 'n';
    p.cj1 = t1 == 'C' || t1 == 'c';
    p.tr2 = t2 != 'N' && t2 != 'n';
    p.cj2 = t2 == 'C' || t2 == 'c';
    p.P = P;
    p.ld1 = ld1;
    p.off1 = off1;
    p.Q = Q;
    p.ld2 = ld2;
    p.off2 = off2;
    p.C = C;
    p.ldc = ldc;
    p.cstep = (int64_t)M * N;
    p.nb = nb;
    ctc_scalar(dtype, alpha, p.al);
    ctc_scalar(dtype, beta, p.be);
    ctc_mm_run(&p);
}

void ctc_fill_products(ct_backend *b) {
    memset(ctc_mm_kernels, 0, sizeof ctc_mm_kernels);
    memset(ctc_mm_table, 0, sizeof ctc_mm_table);
    ctc_mm_table[CT_UINT8] = ctc_mm_u8;
    ctc_mm_table[CT_INT8] = ctc_mm_i8;
    ctc_mm_table[CT_INT16] = ctc_mm_i16;
    ctc_mm_table[CT_INT32] = ctc_mm_i32;
    ctc_mm_table[CT_INT64] = ctc_mm_i64;
    b->mm = ctc_mm_table;
    b->gemm_ready = ctc_gemm_ready;
    b->gemm = ctc_gemm;
}
