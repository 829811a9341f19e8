/* Matrix products for the dtypes that BLAS does not cover (the integers).
 *
 * Each batch entry b computes C[b] (m x n, dense rows) = A[b] (m x k, dense
 * rows) x B[b] (k x n, dense rows); the operands of entry b start offa[b] and
 * offb[b] elements into A and B (so broadcast batches need no copy). The loop
 * order i-p-j keeps the inner loop a unit-stride axpy over a row of B, which
 * vectorises; columns are taken in blocks so that the touched part of B stays
 * in cache. Integer products wrap around like the type's own arithmetic.
 *
 * The float and complex products run BLAS (see below), except float32 on
 * CPUs with AVX-512 or AVX2 + FMA, which runs ctorch's own kernel
 * (sgemm.c). matmul.h declares the entry points.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE     /* dladdr and Dl_info (<dlfcn.h>, below); Python.h set it in the one-file build */
#endif
#include "matmul.h"
#include "strided.h"
#include "copy.h"
#include "alloc.h"

#define CT_MM_JBLOCK 512

#define CT_MM_GENERIC(S, T)                                                        \
CT_MULTIVERSION static void ct_mm_row_##S(const T *a, const T *b, T *c,            \
                                          int64_t n, int64_t k) {                  \
    for (int64_t j0 = 0; j0 < n; j0 += CT_MM_JBLOCK) {                             \
        int64_t j1 = j0 + CT_MM_JBLOCK < n ? j0 + CT_MM_JBLOCK : n;                \
        for (int64_t j = j0; j < j1; j++) c[j] = 0;                                \
        for (int64_t p = 0; p < k; p++) {                                          \
            T av = a[p];                                                           \
            const T *brow = b + p * n;                                             \
            for (int64_t j = j0; j < j1; j++) c[j] += av * brow[j];                \
        }                                                                          \
    }                                                                              \
}                                                                                  \
void ct_mm_##S(int64_t nb, const int64_t *offa, const int64_t *offb,               \
               const void *A, const void *B, void *C,                              \
               int64_t m, int64_t n, int64_t k) {                                  \
    int64_t rows = nb * m;                                                         \
    int nt = ct_get_num_threads();                                                 \
    if (nt > 1 && rows > 1 && rows * n * k >= 32768) {                             \
        _Pragma("omp parallel for num_threads(nt) schedule(static)")               \
        for (int64_t r = 0; r < rows; r++) {                                       \
            int64_t bi = r / m, i = r % m;                                         \
            ct_mm_row_##S((const T *)A + offa[bi] + i * k, (const T *)B + offb[bi], \
                          (T *)C + r * n, n, k);                                   \
        }                                                                          \
    } else {                                                                       \
        for (int64_t r = 0; r < rows; r++) {                                       \
            int64_t bi = r / m, i = r % m;                                         \
            ct_mm_row_##S((const T *)A + offa[bi] + i * k, (const T *)B + offb[bi], \
                          (T *)C + r * n, n, k);                                   \
        }                                                                          \
    }                                                                              \
}

CT_MM_GENERIC(u8, uint8_t)
CT_MM_GENERIC(i8, int8_t)
CT_MM_GENERIC(i16, int16_t)
CT_MM_GENERIC(i32, int32_t)
CT_MM_GENERIC(i64, int64_t)

/* indexed by dtype code; floats and complex go through BLAS, half through float */
ct_mm_fn ct_mm_loops[CT_NDTYPES] = {
    NULL, ct_mm_u8, ct_mm_i8, ct_mm_i16, ct_mm_i32, ct_mm_i64,
    NULL, NULL, NULL, NULL, NULL,
};


/* ---- float products through BLAS, threaded by ctorch ----------------------
 *
 * A threaded BLAS keeps its own worker threads spinning after each call, and
 * ctorch's OpenMP workers spin after each parallel region: on a machine with
 * as many cores as threads the two pools take the cores from each other and
 * a mix of products and elementwise ops slows down many times over. So when
 * the BLAS is OpenBLAS (found next to the gemm symbol), each call runs it on
 * one thread and ctorch spreads the work over its own OpenMP threads: whole
 * products across a batch, or column (row) blocks of one large product. Any
 * other BLAS threads itself as before. */
#include <dlfcn.h>
#include <stdlib.h>

/* openblas_set_num_threads_local of the gemm's library, once found */
static ct_blas_local_fn ct_blas_local = NULL;

/* fewer flops than this stay on the calling thread */
#define CT_GEMM_PAR_FLOPS 4000000.0
/* complex products as real ones (below): from this many columns of C on,
 * and the expanded operand built on all threads from this many elements */
#define CT_CPLX_REAL_MIN_N 4
/* a complex product with a transposed operand of at least this many
 * M N K has it copied untransposed (and copies of this many elements run
 * on the threads) */
#define CT_CPLX_COPY_MNK 32768
/* complex products of at most this many rows run a row at a time */
#define CT_CPLX_ROWS 2
#define CT_CPLX_PAR_ELEMS 262144.0
/* complex products under this many flops each run in units of whole
 * products or column slabs on the threads (expansion and product in one
 * thread's cache) */
#define CT_CPLX_WHOLE_FLOPS 2.0e7

/* Looks for OpenBLAS's per-thread thread count in the library that provides
 * `gemm_addr` (or one it depends on); returns 1 when found. */
int ct_blas_find_local(void *gemm_addr)
{
    Dl_info info;
    if (!dladdr(gemm_addr, &info) || !info.dli_fname) return 0;
    void *h = dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD);
    if (!h) return 0;
    ct_blas_local = (ct_blas_local_fn)dlsym(h, "openblas_set_num_threads_local");
    return ct_blas_local != NULL;
}

/* The same switch in another library (numpy's own OpenBLAS, which its LAPACK
 * calls use): found through a file that links it; NULL if there is none. */
ct_blas_local_fn ct_blas_local_in(const char *path)
{
    void *h = dlopen(path, RTLD_LAZY | RTLD_NOLOAD);
    return h ? (ct_blas_local_fn)dlsym(h, "openblas_set_num_threads_local") : NULL;
}

/* OpenBLAS's "local" switch is the library's global thread count in its
 * pthreads builds (the ones numpy and scipy ship): threads of a team that
 * each set it to 1 and put it back race, and a gemm that starts between
 * another thread's restore and its own set runs threaded, its workers
 * taking the cores from the team. So a team's gemm calls run with the
 * count held at 1 by the thread that starts the team, for the team's
 * whole run (ct_blas_pin), and change nothing themselves. */
static int ct_blas_pinned = 0;

int ct_blas_pin(void)
{
    if (ct_blas_local == NULL || ct_blas_pinned)
        return -1;
#ifdef _OPENMP
    if (omp_in_parallel())
        return -1;
#endif
    int prev = ct_blas_local(1);
    ct_blas_pinned = 1;
    return prev;
}

void ct_blas_unpin(int prev)
{
    if (prev < 0)
        return;
    ct_blas_pinned = 0;
    ct_blas_local(prev);
}

/* One gemm on one BLAS thread, from any thread (the Fortran interface takes
 * pointers, so each thread passes its own copies of the scalars). */
static void ct_gemm_serial(ct_gemm_fn f, char t1, char t2, int m, int n, int k, void *alpha,
                           char *P, int ld1, char *Q, int ld2, void *beta, char *C, int ldc)
{
    if (ct_blas_pinned) {
        f(&t1, &t2, &m, &n, &k, alpha, P, &ld1, Q, &ld2, beta, C, &ldc);
        return;
    }
    int prev = ct_blas_local(1);
    f(&t1, &t2, &m, &n, &k, alpha, P, &ld1, Q, &ld2, beta, C, &ldc);
    ct_blas_local(prev);
}

/* One column-major product C (M x N) = alpha op1(P) op2(Q) + beta C, over nt
 * threads, split along the longer of M and N in blocks of 16. */
static void ct_gemm_split(ct_gemm_fn f, size_t es, char t1, char t2, int M, int N, int K,
                          void *alpha, char *P, int ld1, char *Q, int ld2, void *beta,
                          char *C, int ldc, int nt)
{
    int split_n = N > M;
    int D = split_n ? N : M;
    int chunk = ((D + nt - 1) / nt + 15) / 16 * 16;
    int nchunks = (D + chunk - 1) / chunk;
    if (nt <= 1 || nchunks <= 1) {
        ct_gemm_serial(f, t1, t2, M, N, K, alpha, P, ld1, Q, ld2, beta, C, ldc);
        return;
    }
    int pin = ct_blas_pin();
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static)
#endif
    for (int c = 0; c < nchunks; c++) {
        int lo = c * chunk, len = D - lo < chunk ? D - lo : chunk;
        if (split_n)
            ct_gemm_serial(f, t1, t2, M, len, K, alpha, P, ld1,
                           Q + (size_t)lo * (t2 == 'N' ? ld2 : 1) * es, ld2, beta,
                           C + (size_t)lo * ldc * es, ldc);
        else
            ct_gemm_serial(f, t1, t2, len, N, K, alpha, P + (size_t)lo * (t1 == 'N' ? 1 : ld1) * es,
                           ld1, Q, ld2, beta, C + (size_t)lo * es, ldc);
    }
    ct_blas_unpin(pin);
}

/* C[b] = alpha op1(P + off1[b]) op2(Q + off2[b]) + beta C[b] for nb batches
 * (C dense, M * N apart; offsets in elements of size es). */
void ct_gemm_batched(ct_gemm_fn f, size_t es, char t1, char t2, int M, int N, int K,
                     void *alpha, char *P, int ld1, const int64_t *off1,
                     char *Q, int ld2, const int64_t *off2, void *beta,
                     char *C, int ldc, int64_t nb)
{
    size_t cstep = (size_t)M * N * es;
    int nt = 1;
#ifdef _OPENMP
    nt = omp_get_max_threads();
    if (omp_in_parallel()) nt = 1;      /* called from a thread of a parallel region */
#endif
    if (ct_blas_local == NULL) {
        for (int64_t b = 0; b < nb; b++)
            f(&t1, &t2, &M, &N, &K, alpha, P + off1[b] * es, &ld1, Q + off2[b] * es, &ld2,
              beta, C + b * cstep, &ldc);
        return;
    }
    if (2.0 * M * N * K * nb < CT_GEMM_PAR_FLOPS) nt = 1;
    if (nt > 1 && nb >= nt) {
        int pin = ct_blas_pin();
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static)
#endif
        for (int64_t b = 0; b < nb; b++)
            ct_gemm_serial(f, t1, t2, M, N, K, alpha, P + off1[b] * es, ld1, Q + off2[b] * es,
                           ld2, beta, C + b * cstep, ldc);
        ct_blas_unpin(pin);
        return;
    }
    for (int64_t b = 0; b < nb; b++)
        ct_gemm_split(f, es, t1, t2, M, N, K, alpha, P + off1[b] * es, ld1,
                      Q + off2[b] * es, ld2, beta, C + b * cstep, ldc, nt);
}


/* ---- complex products as real ones -----------------------------------------
 *
 * C = alpha op1(P) op2(Q) + beta C (complex, column-major, alpha and beta
 * real) as one real product on ctorch's own kernel: the real view of C
 * (2M x N, leading dimension 2 ldc, rows alternating real and imaginary
 * parts) is P2 (2M x 2K) times the real view of op2(Q) (2K x N), where P2
 * holds each element p of op1(P) as the 2 x 2 block [[re p, -im p],
 * [im p, re p]]: the same four real products and two sums per complex term
 * as a complex kernel's, in the float kernel's blocking and threads. The
 * real view of op2(Q) needs its elements adjacent along k ('N'). Where
 * neither operand is transposed and the kernel takes op1 'X', P2 is never
 * built: the kernel packs it from P as it goes (no pass over memory of its
 * own: 256 x 256 ran 1.15x faster than with P2 expanded first); one
 * product with a transposed operand has that operand copied untransposed
 * first. Otherwise (a batch with a transposed operand) P2 is expanded into
 * a buffer, and a transposed Q copied that way with it: two passes over P's
 * size, which the product repays from a few columns of C on. */
/* inside a parallel region (a product called from a team's thread) */
static inline int ct_mm_nested(void)
{
#ifdef _OPENMP
    return omp_in_parallel();
#else
    return 0;
#endif
}

/* rows rows of n complex values (es bytes each) at d from the n columns of
 * X (leading dimension ld): row r, element c = X(r, c); copy.c's tiles of a
 * cache line a side, on the threads from CT_CPLX_COPY_MNK elements */
static void ct_cplx_untranspose(int es, void *d, int n, const void *X, int ld, int rows)
{
    int64_t sh[2] = {rows, n}, st[4] = {(int64_t)n * es, es, es, (int64_t)ld * es};
    char *pt[2] = {(char *)d, (char *)X};
    if (!ct_copy_nd(es, 2, sh, st, pt, CT_CPLX_COPY_MNK))
        ct_copy_block(es, (char *)d, (int64_t)n * es, (const char *)X, es, (int64_t)ld * es,
                      rows, n);
}

#define CT_CPLX_VIA_REAL(NAME, T, RGEMM)                                           \
/* column p of a product's P2 (at d0, 2M x 2K, from its op1 at Pb) and, where   */ \
/* q0 is given, of its op2(Q) copied to K x N (from its Q at Qb)                */ \
static void NAME##_expand(char t1, int M, int N, int K, const T *Pb, int ld1,     \
                          const T *Qb, int ld2, T *d0, T *q0, int64_t p)            \
{                                                                                  \
    T *restrict d = d0 + 4 * p * M;                /* columns 2p, 2p + 1 of P2 */  \
    T *restrict d2 = d + 2 * M;                                                    \
    if (t1 == 'N') {                                                               \
        const T *restrict e = Pb + 2 * p * (int64_t)ld1;                           \
        memcpy(d, e, 2 * (size_t)M * sizeof(T));                                   \
        for (int64_t i = 0; i < M; i++) {                                          \
            d2[2 * i] = -e[2 * i + 1];                                             \
            d2[2 * i + 1] = e[2 * i];                                              \
        }                                                                          \
    } else {                                                                       \
        const T *e = Pb + 2 * p;                                                   \
        for (int64_t i = 0; i < M; i++) {                                          \
            T re = e[2 * i * (int64_t)ld1], im = e[2 * i * (int64_t)ld1 + 1];      \
            d[2 * i] = re;                                                         \
            d[2 * i + 1] = im;                                                     \
            d2[2 * i] = -im;                                                       \
            d2[2 * i + 1] = re;                                                    \
        }                                                                          \
    }                                                                              \
    if (q0) {                              /* op2(Q)(p, j) = Q(j, p), to K x N */  \
        T *q = q0 + 2 * p;                                                         \
        const T *r = Qb + 2 * p * (int64_t)ld2;                                    \
        for (int64_t j = 0; j < N; j++) {                                          \
            q[2 * j * K] = r[2 * j];                                               \
            q[2 * j * K + 1] = r[2 * j + 1];                                       \
        }                                                                          \
    }                                                                              \
}                                                                                  \
int NAME(char t1, char t2, int M, int N, int K, T alpha, const T *P, int ld1,      \
         const int64_t *off1, const T *Q, int ld2, const int64_t *off2, T beta,    \
         T *C, int ldc, int64_t nb)                                                \
{                                                                                  \
    if (M <= 0 || K <= 0 || nb <= 0 || M > (1 << 29) || K > (1 << 29) || ldc > (1 << 29) \
        || ld1 > (1 << 29) || ld2 > (1 << 29))                                     \
        return -1;                                                                 \
    if (N == 1 && t1 == 'N' && M >= 2) {                                           \
        /* a column of C (x @ A in row-major terms): the real view of P       */ \
        /* (2M x K) times the two columns of q's real and imaginary parts in  */ \
        /* one real product (P read once, in place: 2000 x 2000 as two        */ \
        /* matrix-vector products ran 0.6x PyTorch's speed), R and S, then    */ \
        /* re = R_re - S_im, im = R_im + S_re; a batch's products between the */ \
        /* threads, each with its own part of the buffer                      */ \
        static const int64_t zero = 0;                                             \
        const size_t per = 4 * (size_t)M + 2 * (size_t)K;                          \
        T *w = malloc(per * (size_t)nb * sizeof(T));                               \
        int fail = w == NULL;                                                      \
        const int64_t kstep = t2 == 'N' ? 2 : 2 * (int64_t)ld2;                    \
        int nt = ct_mm_nested() || nb == 1 ? 1 : ct_get_num_threads();            \
        CT_PARALLEL_IF(nt > 1, "omp parallel for num_threads(nt) schedule(static)", \
        for (int64_t b = 0; b < (fail ? 0 : nb); b++) {                            \
            T *R = w + b * per, *S = R + 2 * (size_t)M, *qv = S + 2 * (size_t)M;   \
            const T *q = Q + 2 * off2[b];                                          \
            for (int64_t k = 0; k < K; k++) {                                      \
                qv[k] = q[k * kstep];                                              \
                qv[K + k] = q[k * kstep + 1];                                      \
            }                                                                      \
            if (RGEMM('N', 'N', 2 * M, 2, K, alpha, P + 2 * off1[b], 2 * ld1, &zero, \
                      qv, K, &zero, (T)0, R, 2 * M, 1) != 0) {                     \
                _Pragma("omp atomic write")                                        \
                fail = 1;                                                          \
                continue;                                                          \
            }                                                                      \
            T *c = C + 2 * b * (int64_t)M;                                         \
            for (int64_t i = 0; i < M; i++) {                                      \
                const T re = R[2 * i] - S[2 * i + 1], im = R[2 * i + 1] + S[2 * i];   \
                c[2 * i] = beta == 0 ? re : re + beta * c[2 * i];                  \
                c[2 * i + 1] = beta == 0 ? im : im + beta * c[2 * i + 1];          \
            }                                                                      \
        });                                                                        \
        free(w);                                                                   \
        if (!fail) return 0;                                                       \
    }                                                                              \
    if (N < CT_CPLX_REAL_MIN_N)                                                    \
        return -1;                                                                 \
    if (M <= CT_CPLX_ROWS && t2 == 'N') {                                          \
        /* a few rows of C, each as its real parts, then its imaginary ones,  */ \
        /* each a real row vector times the real view of Q (2K x N) on the    */ \
        /* kernel's matrix-vector product: the row's parts as (re, -im) and   */ \
        /* as (im, re) (through P2's rows, a few of a micro-tile's 32, a      */ \
        /* vector-matrix product of 256 ran 1.4x slower, 2 x 256 times        */ \
        /* 256 x 256 1.5x)                                                    */ \
        static const int64_t zero = 0;                                             \
        T *x = malloc(4 * (size_t)K * sizeof(T));                                  \
        int rc = x == NULL ? -1 : 0;                                               \
        const int64_t kstep = t1 == 'N' ? 2 * (int64_t)ld1 : 2;                    \
        const int64_t istep = t1 == 'N' ? 2 : 2 * (int64_t)ld1;                    \
        for (int64_t r = 0; r < nb * M && rc == 0; r++) {                          \
            const int64_t b = r / M, i = r % M;                                    \
            const T *p = P + 2 * off1[b] + i * istep;                              \
            for (int64_t k = 0; k < K; k++) {                                      \
                const T re = p[k * kstep], im = p[k * kstep + 1];                  \
                x[2 * k] = re;                                                     \
                x[2 * k + 1] = -im;                                                \
                x[2 * K + 2 * k] = im;                                             \
                x[2 * K + 2 * k + 1] = re;                                         \
            }                                                                      \
            T *c = C + 2 * (b * (int64_t)M * N + i);                               \
            for (int h = 0; h < 2 && rc == 0; h++)                                 \
                rc = RGEMM('N', 'N', 1, N, 2 * K, alpha, x + 2 * h * (int64_t)K, 1, &zero, \
                           Q + 2 * off2[b], 2 * ld2, &zero, beta, c + h, 2 * ldc, 1); \
        }                                                                          \
        free(x);                                                                   \
        if (rc == 0) return 0;                                                     \
    }                                                                              \
    if ((t1 == 'N' && t2 == 'N') || (nb == 1 && (double)M * N * K >= CT_CPLX_COPY_MNK)) { \
        /* P2 packed as the real kernel reads it (op1 'X', gemm_impl.h):      */ \
        /* nothing expanded; one product's transposed operand first copied    */ \
        /* untransposed (half what P2's expansion writes: a.T @ b of 256,     */ \
        /* 0.74 -> 0.9 of PyTorch's speed; batches of small ones ran slower   */ \
        /* so, and keep the expansion below, as does a kernel without 'X')    */ \
        const size_t pe = t1 == 'N' ? 0 : (size_t)2 * M * K;                       \
        const size_t qe = t2 == 'N' ? 0 : (size_t)2 * K * N;                       \
        T *buf = pe + qe ? ct_alloc((pe + qe) * sizeof(T)) : NULL;                 \
        int64_t ob[2], *o = nb == 1 ? ob : malloc(2 * (size_t)nb * sizeof(int64_t)); \
        int rc = -1;                                                               \
        if (o != NULL && (buf != NULL || pe + qe == 0)) {                          \
            if (pe) ct_cplx_untranspose(2 * sizeof(T), buf, M, P + 2 * off1[0], ld1, K); \
            if (qe) ct_cplx_untranspose(2 * sizeof(T), buf + pe, K, Q + 2 * off2[0], ld2, N); \
            for (int64_t b = 0; b < nb; b++) {                                     \
                o[b] = pe ? 0 : 2 * off1[b];                                       \
                o[nb + b] = qe ? (int64_t)pe : 2 * off2[b];                        \
            }                                                                      \
            rc = RGEMM('X', 'N', 2 * M, N, 2 * K, alpha, pe ? buf : P, pe ? 2 * M : 2 * ld1, o, \
                       qe ? buf : Q, qe ? 2 * K : 2 * ld2, o + nb, beta, C, 2 * ldc, nb); \
        }                                                                          \
        if (o != ob) free(o);                                                      \
        ct_free(buf, (pe + qe) * sizeof(T));                                       \
        if (rc == 0) return 0;                                                     \
    }                                                                              \
    size_t pe = (size_t)4 * M * K, qe = t2 == 'N' ? 0 : (size_t)2 * K * N;         \
    size_t one = ((pe + qe) * sizeof(T) + 63) & ~(size_t)63;                       \
    int nt = ct_mm_nested() ? 1 : ct_get_num_threads();                           \
    /* small products (beta 0: a unit that fails is written again by the    */  \
    /* BLAS): units of whole products, or of column slabs of C where there   */  \
    /* are fewer products than threads, each thread expanding the product's  */  \
    /* P2 itself and multiplying in its own cache (the expansion read by the */  \
    /* other core cost as much as the product at order 64)                   */  \
    int64_t S = nb >= nt || t2 != 'N' ? 1 : (nt + nb - 1) / nb;                   \
    if (S > N / 16) S = N / 16 > 1 ? N / 16 : 1;                                   \
    if (nt > 1 && nb * S >= nt && beta == 0 && 8.0 * M * N * K < CT_CPLX_WHOLE_FLOPS) { \
        int fail = 0;                                                              \
        _Pragma("omp parallel num_threads(nt)")                                    \
        {                                                                          \
            static const int64_t zero = 0;                                         \
            T *w = aligned_alloc(64, one);                                         \
            int64_t have = -1;                     /* the product w holds */       \
            if (w == NULL) {                                                       \
                _Pragma("omp atomic write")                                        \
                fail = 1;                                                          \
            }                                                                      \
            _Pragma("omp for schedule(static)")                                    \
            for (int64_t u = 0; u < nb * S; u++) {                                 \
                if (w == NULL) continue;                                           \
                int64_t b = u / S, sl = u % S;                                     \
                int n0 = (int)(N * sl / S), n1 = (int)(N * (sl + 1) / S);          \
                const T *Qb = Q + 2 * off2[b];                                     \
                if (have != b)                                                     \
                    for (int64_t p = 0; p < K; p++)                                \
                        NAME##_expand(t1, M, N, K, P + 2 * off1[b], ld1, Qb, ld2, w, \
                                      qe ? w + pe : NULL, p);                      \
                have = b;                                                          \
                if (RGEMM('N', 'N', 2 * M, n1 - n0, 2 * K, alpha, w, 2 * M, &zero,  \
                          qe ? w + pe : Qb + 2 * (int64_t)ld2 * n0, qe ? 2 * K : 2 * ld2, \
                          &zero, beta, C + 2 * (b * (int64_t)M * N + (int64_t)ldc * n0), \
                          2 * ldc, 1) != 0) {                                      \
                    _Pragma("omp atomic write")                                    \
                    fail = 1;                                                      \
                }                                                                  \
            }                                                                      \
            free(w);                                                               \
        }                                                                          \
        return fail ? -1 : 0;                                                      \
    }                                                                              \
    T *buf = aligned_alloc(64, one * (size_t)nb);                                  \
    int64_t *o = malloc(2 * (size_t)nb * sizeof(int64_t));                         \
    if (buf == NULL || o == NULL) {                                                \
        free(buf);                                                                 \
        free(o);                                                                   \
        return -1;                                                                 \
    }                                                                              \
    const size_t st = one / sizeof(T);             /* a product's buffer */       \
    if ((double)nb * (pe + qe) < CT_CPLX_PAR_ELEMS) nt = 1;                        \
    CT_PARALLEL_IF(nt > 1, "omp parallel for num_threads(nt) schedule(static)",    \
    for (int64_t u = 0; u < nb * K; u++) {                                         \
        int64_t b = u / K;                                                         \
        NAME##_expand(t1, M, N, K, P + 2 * off1[b], ld1, Q + 2 * off2[b], ld2,     \
                      buf + b * st, qe ? buf + b * st + pe : NULL, u % K);         \
    });                                                                            \
    for (int64_t b = 0; b < nb; b++) {                                             \
        o[b] = b * (int64_t)st;                                                    \
        o[nb + b] = qe ? b * (int64_t)st + (int64_t)pe : 2 * off2[b];              \
    }                                                                              \
    int rc = RGEMM('N', 'N', 2 * M, N, 2 * K, alpha, buf, 2 * M, o, qe ? buf : Q,  \
                   qe ? 2 * K : 2 * ld2, o + nb, beta, C, 2 * ldc, nb);           \
    free(buf);                                                                     \
    free(o);                                                                       \
    return rc;                                                                     \
}

CT_CPLX_VIA_REAL(ct_cgemm_via_real, float, ct_sgemm_batched)
CT_CPLX_VIA_REAL(ct_zgemm_via_real, double, ct_dgemm_batched)


/* ---- float16 and bfloat16 products through float32 ------------------------
 *
 * C[b] (m x n, dense rows) = A[b] (m x k) B[b] (k x n) for 16-bit floats
 * on any element strides (matmul.h), float32 products rounded once: bfloat16
 * on AMX where bf16gemm.c takes it, else units of (product, slab of C)
 * shared between the threads, each unit widened into float32 buffers of
 * its thread (the product's A and its slab of B's columns, or its slab of
 * A's rows and all of B), multiplied by the float kernel on that thread
 * and rounded into its slab of C. Widening once on one thread and
 * multiplying on all of them made the other core read the widened
 * operands from the first one's cache: a 256 x 256 float16 product ran at
 * 0.91x PyTorch's speed. */
#include "halfconv.h"

/* rows x cols of a 16-bit float operand (element (i, j) at s[i * rs + j *
 * cs]) widened into the dense buffer d in the orientation of its memory:
 * row-major (0), or column-major (1) where its columns are the contiguous
 * lines (a transposed weight) */
static int ct_half_widen(int bf, const uint16_t *s, int64_t rs, int64_t cs, int64_t rows,
                         int64_t cols, float *d)
{
    const int by_cols = cs != 1 && rs == 1 && rows > 1;
    const int64_t lines = by_cols ? cols : rows, len = by_cols ? rows : cols;
    const int64_t ls = by_cols ? cs : rs, es = by_cols ? 1 : cs;
    if (es == 1 && ls == len) {                     /* dense: one run */
        if (bf) ct_bf2f_contig(s, d, lines * len);
        else ct_h2f_contig(s, d, lines * len);
        return by_cols;
    }
    for (int64_t i = 0; i < lines; i++, d += len) {
        const uint16_t *r = s + i * ls;
        if (es == 1) {
            if (bf) ct_bf2f_contig(r, d, len);
            else ct_h2f_contig(r, d, len);
        } else {
            for (int64_t j = 0; j < len; j++)
                d[j] = bf ? ct_bf2f(r[j * es]) : (float)((const ct_half *)r)[j * es];
        }
    }
    return by_cols;
}

/* the elements of C's float block a thread rounds at a time (256 KB), and
 * the k loops the float32 route keeps */
#define CT_HALF_CBLOCK 65536
#define CT_HALF_MIN_K 64
#define CT_HALF_TINY_SCRATCH (4 << 20)

/* a batch of tiny products: all of them widened, one batched float product
 * (its small kernel, threads by the product count), all rounded, without
 * the slabs' per-unit calls */
static int ct_half_tiny(int bf, int64_t nb, int64_t m, int64_t n, int64_t k,
                        const uint16_t *A, const int64_t *offa, int64_t ars, int64_t acs,
                        const uint16_t *B, const int64_t *offb, int64_t brs, int64_t bcs,
                        uint16_t *C)
{
    const int64_t pa = m * k, pb = k * n, pc = m * n;
    /* the buffers from the thread's scratch (no fresh pages a call) up to
     * CT_HALF_TINY_SCRATCH bytes */
    const size_t bytes = sizeof(float) * (size_t)(nb * (pa + pb + pc))
                         + sizeof(int64_t) * 2 * (size_t)nb;
    const int own = bytes > CT_HALF_TINY_SCRATCH;
    float *f = own ? malloc(bytes) : ct_thread_scratch(CT_SCRATCH_HALF, bytes);
    if (f == NULL)
        return -1;
    float *fb = f + nb * pa, *fc = fb + nb * pb;
    int64_t *o = (int64_t *)(fc + nb * pc);
    int ta = 0, tb = 0;
    /* dense batches one after another: one widening each */
    int da = acs == 1 && ars == k, db = bcs == 1 && brs == n;
    for (int64_t b = 0; b < nb; b++) {
        da = da && offa[b] == offa[0] + b * pa;
        db = db && offb[b] == offb[0] + b * pb;
        o[b] = b * pa;
        o[nb + b] = b * pb;
    }
    if (da) ct_half_widen(bf, A + offa[0], nb * pa, 1, 1, nb * pa, f);
    if (db) ct_half_widen(bf, B + offb[0], nb * pb, 1, 1, nb * pb, fb);
    for (int64_t b = 0; b < nb && !(da && db); b++) {
        if (!da) ta = ct_half_widen(bf, A + offa[b], ars, acs, m, k, f + b * pa);
        if (!db) tb = ct_half_widen(bf, B + offb[b], brs, bcs, k, n, fb + b * pb);
    }
    int rc = ct_sgemm_batched(tb ? 'T' : 'N', ta ? 'T' : 'N', (int)n, (int)m, (int)k, 1.0f, fb,
                              (int)(tb ? k : n), o + nb, f, (int)(ta ? m : k), o, 0.0f, fc,
                              (int)n, nb);
    if (rc == 0) {
        if (bf) ct_f2bf_contig(fc, C, nb * pc);
        else ct_f2h_contig(fc, C, nb * pc);
    }
    if (own) free(f);
    return rc;
}

int ct_half_gemm(int dtype, int64_t nb, int64_t m, int64_t n, int64_t k,
                 const uint16_t *A, const int64_t *offa, int64_t ars, int64_t acs,
                 const uint16_t *B, const int64_t *offb, int64_t brs, int64_t bcs, uint16_t *C)
{
    if (dtype != CT_FLOAT16 && dtype != CT_BFLOAT16)
        return -1;
    if (dtype == CT_BFLOAT16 && ct_bf16_gemm(nb, m, n, k, A, offa, ars, acs, B, offb, brs, bcs,
                                             C) == 0)
        return 0;
    int mr = 0, nr = 0;
    if (nb <= 0 || m <= 0 || n <= 0 || m > (1 << 30) || n > (1 << 30) || k > (1 << 30)
        || ct_sgemm_tile(&mr, &nr) != 0)
        return -1;
    if (nb > 1 && m * n * k < 4096 && k > 0)
        return ct_half_tiny(dtype == CT_BFLOAT16, nb, m, n, k, A, offa, ars, acs, B, offb, brs,
                            bcs, C);
    /* (the caller's float32 route: a short k loop, where C's rounding is
     * most of the work and the float kernel's slabs for short k serve
     * better) */
    if (k <= CT_HALF_MIN_K)
        return -1;
    const int bf = dtype == CT_BFLOAT16;
    int nt = ct_mm_nested() ? 1 : ct_get_num_threads();
    /* (the widening is work too: a matrix-vector product has few flops) */
    if (2.0 * m * n * k * nb < CT_GEMM_PAR_FLOPS && (double)nb * (m * k + k * n) < 65536.0)
        nt = 1;
    /* slabs of C's columns (or, for fewer columns than rows, of its rows)
     * so that every thread has a unit: at least 16 columns (rows) a slab */
    const int cols = n >= m;
    const int64_t side = cols ? n : m;
    int64_t S = nb >= nt ? 1 : (nt + nb - 1) / nb;
    if (S > side / 16) S = side / 16 > 1 ? side / 16 : 1;
    const int64_t units = nb * S, ws = (side + S - 1) / S;      /* the widest slab */
    if (units < nt) nt = (int)units;
    /* a thread's float32 buffers: A (or its slab), B's slab (or B), a block of C */
    const int64_t ma = cols ? m : ws, nbw = cols ? ws : n;
    int64_t cr = CT_HALF_CBLOCK / nbw;             /* C's rows a block */
    cr = cr < 16 ? 16 : cr > ma ? ma : cr;
    const size_t per = (size_t)(ma * k + k * nbw + cr * nbw + 48);
    const size_t stride = (per + 15) & ~(size_t)15;
    float *buf = aligned_alloc(64, stride * sizeof(float) * (size_t)nt);
    if (buf == NULL)
        return -1;
    int fail = 0;
    CT_PARALLEL_IF(nt > 1, "omp parallel num_threads(nt)",
    {
        const int tid = ct_thread_num();
        float *fa = buf + tid * stride, *fb = fa + ma * k, *fc = fb + k * nbw;
        static const int64_t zero = 0;
        int64_t have = -1;                  /* the product whose whole operand is widened */
        int whole_t = 0;                    /* and its orientation */
        _Pragma("omp for schedule(static)")     /* (alone: one thread's loop) */
        for (int64_t u = 0; u < units; u++) {
            int64_t b = u / S, s = u % S, lo = side * s / S, w = side * (s + 1) / S - lo;
            const uint16_t *Ab = A + offa[b], *Bb = B + offb[b];
            int64_t ra = cols ? m : w, cn = cols ? w : n;       /* C's slab: ra x cn */
            int ta, tb;
            if (cols) {
                if (have != b) whole_t = ct_half_widen(bf, Ab, ars, acs, m, k, fa);
                ta = whole_t;
                tb = ct_half_widen(bf, Bb + lo * bcs, brs, bcs, k, w, fb);
            } else {
                ta = ct_half_widen(bf, Ab + lo * ars, ars, acs, w, k, fa);
                if (have != b) whole_t = ct_half_widen(bf, Bb, brs, bcs, k, n, fb);
                tb = whole_t;
            }
            have = b;
            /* row-major C (ra x cn) = A' B' is column-major C^T = B'^T A'^T:
             * B' as stored is op1 ('N' rows, 'T' columns), A' op2 */
            uint16_t *cb = C + b * m * n + (cols ? lo : lo * n);
            for (int64_t i0 = 0; i0 < ra; i0 += cr) {
                int64_t rr = ra - i0 < cr ? ra - i0 : cr;
                if (ct_sgemm_batched(tb ? 'T' : 'N', ta ? 'T' : 'N', (int)cn, (int)rr, (int)k, 1.0f,
                                     fb, (int)(tb ? k : cn), &zero, ta ? fa + i0 : fa + i0 * k,
                                     (int)(ta ? ra : k), &zero, 0.0f, fc, (int)cn, 1) != 0) {
                    _Pragma("omp atomic write")
                    fail = 1;
                    break;
                }
                for (int64_t i = 0; i < rr; i++) {
                    if (bf) ct_f2bf_contig(fc + i * cn, cb + (i0 + i) * n, cn);
                    else ct_f2h_contig(fc + i * cn, cb + (i0 + i) * n, cn);
                }
            }
        }
    });
    free(buf);
    return fail ? -1 : 0;
}
