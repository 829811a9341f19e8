/* Dense factorizations and solves of real matrices (float32, float64) for
 * torch.linalg (definitions in linalg.c): LU with partial pivoting (the
 * pivots LAPACK's getrf picks), triangular solves, solves with LU factors
 * (getrs) and the Cholesky factor. Batches of small matrices run one matrix
 * per OpenMP iteration; large ones are blocked, their bulk in the gemm the
 * caller hands over (the backend table's; NULL: unblocked).
 *
 * Layouts: "column-major" n x k with leading dim n, as LAPACK; "row-major"
 * dense rows. Batch strides in elements. Every entry returns 0, or -1 for a
 * dtype it lacks or when out of memory (nothing useful written then).
 */
#ifndef CT_LINALG_H
#define CT_LINALG_H

#include "common.h"

/* the backend table's gemm (backend.h) */
typedef void (*ct_la_gemm_fn)(int dtype, char t1, char t2, int M, int N, int K, const void *alpha,
                              char *P, int ld1, const int64_t *off1, char *Q, int ld2,
                              const int64_t *off2, const void *beta, char *C, int ldc, int64_t nb);

/* LU of nb row-major m x n matrices src (batch stride m * n): the factors
 * column-major in dst (batch stride m * n), the 1-based pivots in piv
 * (min(m, n) per matrix), LAPACK's info (the first zero pivot, 1-based; 0
 * if none) in info. */
int ct_la_lu(ct_la_gemm_fn gemm, int dtype, const void *src, void *dst, int64_t nb, int64_t m,
             int64_t n, int32_t *piv, int32_t *info);

/* op(T[b]) X[b] = B[b] for nb triangular n x n T (element (i, j) at
 * T + b * tbs + i * rs + j * cs; tbs 0 broadcasts), upper (T's triangle
 * used), unit (unit diagonal). B, X: n x k, row-major (xrow) or
 * column-major, batch strides bbs (0: broadcast) and n * k; X may be B. */
int ct_la_trsm(ct_la_gemm_fn gemm, int dtype, const void *T, int64_t tbs, int64_t rs, int64_t cs,
               int upper, int unit, const void *B, int64_t bbs, void *X, int64_t nb, int64_t n,
               int64_t k, int xrow);

/* A[b] X[b] = B[b] (trans: A[b]^T X[b] = B[b]) with LU factors of A[b] as
 * ct_la_lu writes them (batch stride lbs, 0 broadcasts) and their pivots
 * (batch stride pbs); B, X as for ct_la_trsm; B NULL: the identity (k = n). */
int ct_la_lu_solve(ct_la_gemm_fn gemm, int dtype, const void *LU, int64_t lbs, const int32_t *piv,
                   int64_t pbs, const void *B, int64_t bbs, void *X, int64_t nb, int64_t n,
                   int64_t k, int xrow, int trans);

/* The lower Cholesky factor L (row-major, zero above the diagonal) of nb
 * row-major n x n matrices src (their lower triangles read); info: LAPACK's
 * potrf info (the order of the first minor that is not positive-definite;
 * 0 if none). */
int ct_la_cholesky(ct_la_gemm_fn gemm, int dtype, const void *src, void *dst, int64_t nb,
                   int64_t n, int32_t *info);

/* LAPACK's sytf2 (lower) in place on nb column-major n x n matrices a
 * (batch stride n * n; lower triangles read): the Bunch-Kaufman factors
 * LD, pivots piv (n per matrix) and info as LAPACK's sytrf returns them
 * for n up to its block size (64), where it runs sytf2 itself. */
int ct_la_ldl(int dtype, void *a, int64_t nb, int64_t n, int32_t *piv, int32_t *info);

/* Householder QR (LAPACK's reflectors) of nb row-major m x n matrices src:
 * R's first rr rows (row-major rr x n, zero below the diagonal) into r, and
 * the first qc columns of Q (row-major m x qc) into q unless q is NULL.
 * Small matrices unblocked (geqr2, org2r); larger ones blocked on gemm
 * (geqrf, orgqr), which returns -1 where a column's norm needs LAPACK's
 * scaling (entries near overflow or underflow, inf, NaN). */
int ct_la_qr(ct_la_gemm_fn gemm, int dtype, const void *src, void *q, void *r, int64_t nb,
             int64_t m, int64_t n, int64_t qc, int64_t rr);

/* LAPACK's geqrf for nb row-major m x n matrices src (float32, float64):
 * R on and above the diagonal and the Householder vectors below it into h
 * (row-major, src's shape), their factors into tau (nb x min(m, n)); small
 * matrices one reflector at a time, larger ones by blocks on gemm. 0, or
 * -1 where a column's norm needs LAPACK's scaling, for another dtype or out
 * of memory. */
int ct_la_geqrf(ct_la_gemm_fn gemm, int dtype, const void *src, void *h, void *tau, int64_t nb,
                int64_t m, int64_t n);

/* Q = H_0 ... H_{k-1} I[:, :n] (LAPACK's orgqr) for nb column-major m x n
 * matrices a (lead dim m, one after another: the reflectors below the
 * diagonal of the first k columns, as geqrf leaves them) and their factors
 * tau (nb x k), into q in the same layout (k <= n <= m): small matrices one
 * reflector at a time (org2r), larger ones by blocks of reflectors on gemm.
 * 0, or -1 for another dtype or out of memory. */
int ct_la_orgqr(ct_la_gemm_fn gemm, int dtype, const void *a, const void *tau, void *q,
                int64_t nb, int64_t m, int64_t n, int64_t k);

/* LAPACK's ormqr for nb row-major matrices c (mc x nc, float32 or float64,
 * overwritten): op(Q) c (left, mc == m) or c op(Q) (right, nc == m),
 * op(Q) = Q^T when trans, Q from the reflectors below the diagonal of the
 * first k columns of the row-major m x na matrices h (as geqrf leaves
 * them, k <= min(m, na)) and their factors tau (nb x k); blocks of
 * reflectors applied through gemm. 0, or -1 for another dtype, without a
 * gemm, or out of memory. */
int ct_la_ormqr(ct_la_gemm_fn gemm, int dtype, const void *h, const void *tau, void *c,
                int64_t nb, int64_t m, int64_t na, int64_t k, int64_t mc, int64_t nc, int left,
                int trans);

#endif
