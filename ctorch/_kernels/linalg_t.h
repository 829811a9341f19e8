/* The bodies of linalg.c for one real type, included once per type with
 * LA_T (the element type), LA_S (the name suffix), LA_DT (its dtype code),
 * LA_SQRT, LA_FABS and LA_TINY (the smallest normal number: below it a
 * pivot's reciprocal would overflow, so the column is divided instead, as
 * LAPACK does), LA_IT (the integer type of LA_T's size), LA_ORG2R
 * (sytrd.h's org2r of LA_T). */

#define LA_F(name) LA_CAT(name, LA_S)

/* 8 and 4 lanes of LA_T and their shuffle indices */
typedef LA_T LA_F(la_v8_) __attribute__((vector_size(8 * sizeof(LA_T))));
typedef LA_IT LA_F(la_i8_) __attribute__((vector_size(8 * sizeof(LA_T))));
#define LA_SH8(x, y, ...) __builtin_shuffle(x, y, (LA_F(la_i8_)){__VA_ARGS__})
typedef LA_T LA_F(la_v4_) __attribute__((vector_size(4 * sizeof(LA_T))));
typedef LA_IT LA_F(la_i4_) __attribute__((vector_size(4 * sizeof(LA_T))));
#define LA_SH4(x, y, ...) __builtin_shuffle(x, y, (LA_F(la_i4_)){__VA_ARGS__})

/* the dot product of x and y (n long) in one 32-byte vector of lanes, added
 * as a tree at the end: GCC's epilogue of an omp simd reduction added its 16
 * float lanes one after the other through memory, which for the short dots
 * of a Cholesky panel made float32 slower than float64 */
typedef LA_T LA_F(la_v32_) __attribute__((vector_size(32)));
static inline __attribute__((always_inline)) LA_T LA_F(la_dot_)(const LA_T *x, const LA_T *y,
                                                               int64_t n)
{
    enum { L = 32 / sizeof(LA_T) };
    LA_F(la_v32_) acc = {0}, acc2 = {0}, a, b, a2, b2;
    int64_t p = 0;
    for (; p + 2 * L <= n; p += 2 * L) {      /* two chains for long dots */
        memcpy(&a, x + p, sizeof a);
        memcpy(&b, y + p, sizeof b);
        memcpy(&a2, x + p + L, sizeof a2);
        memcpy(&b2, y + p + L, sizeof b2);
        acc += a * b;
        acc2 += a2 * b2;
    }
    if (p + L <= n) {
        memcpy(&a, x + p, sizeof a);
        memcpy(&b, y + p, sizeof b);
        acc += a * b;
        p += L;
    }
    acc += acc2;
    LA_T t = 0;
    for (; p < n; p++)
        t += x[p] * y[p];
    for (int h = L / 2; h >= 1; h /= 2)
        for (int q = 0; q < h; q++)
            acc[q] += acc[q + h];
    return acc[0] + t;
}

/* dst (n x m, row stride dld) = src (m x n, row stride sld) transposed:
 * blocks of 32 bytes a row transposed in vector registers (GCC keeps a
 * 64-byte generic vector in memory on AVX2), float's 8 x 8 in three rounds
 * of shuffles of pairs of rows, double's 4 x 4 in two; the edges element
 * by element. The blocks go across bands of LA_TBAND columns of src row
 * by row, so that each line of src is read whole while it is in cache
 * (a power-of-two row stride puts a column's lines into a few cache sets,
 * which a walk down whole columns would evict before their next block) */
CT_MULTIVERSION
static void LA_F(la_transpose_ld_)(const LA_T *restrict src, int64_t sld, LA_T *restrict dst,
                                   int64_t dld, int64_t m, int64_t n)
{
    const int64_t B = sizeof(LA_T) == 8 ? 4 : 8;
    int64_t m8 = m & ~(B - 1), n8 = n & ~(B - 1);
    if (B == 4) {
        for (int64_t jb = 0; jb < n8; jb += LA_TBAND)
        for (int64_t i0 = 0; i0 < m8; i0 += 4)
            for (int64_t j0 = jb; j0 < n8 && j0 < jb + LA_TBAND; j0 += 4) {
                LA_F(la_v4_) r[4], t[4];
                for (int k = 0; k < 4; k++)
                    memcpy(&r[k], src + (i0 + k) * sld + j0, sizeof(r[k]));
                for (int k = 0; k < 4; k += 2) {
                    t[k] = LA_SH4(r[k], r[k + 1], 0, 4, 2, 6);
                    t[k + 1] = LA_SH4(r[k], r[k + 1], 1, 5, 3, 7);
                }
                for (int h = 0; h < 2; h++) {
                    LA_F(la_v4_) lo = LA_SH4(t[h], t[h + 2], 0, 1, 4, 5);
                    LA_F(la_v4_) hi = LA_SH4(t[h], t[h + 2], 2, 3, 6, 7);
                    memcpy(dst + (j0 + h) * dld + i0, &lo, sizeof(lo));
                    memcpy(dst + (j0 + h + 2) * dld + i0, &hi, sizeof(hi));
                }
            }
    } else
    for (int64_t jb = 0; jb < n8; jb += LA_TBAND)
    for (int64_t i0 = 0; i0 < m8; i0 += 8)
        for (int64_t j0 = jb; j0 < n8 && j0 < jb + LA_TBAND; j0 += 8) {
            LA_F(la_v8_) r[8], t[8], u[8];
            for (int k = 0; k < 8; k++)
                memcpy(&r[k], src + (i0 + k) * sld + j0, sizeof(r[k]));
            for (int k = 0; k < 8; k += 2) {
                t[k] = LA_SH8(r[k], r[k + 1], 0, 8, 2, 10, 4, 12, 6, 14);
                t[k + 1] = LA_SH8(r[k], r[k + 1], 1, 9, 3, 11, 5, 13, 7, 15);
            }
            for (int k = 0; k < 8; k += 4)
                for (int h = 0; h < 2; h++) {
                    u[k + h] = LA_SH8(t[k + h], t[k + h + 2], 0, 1, 8, 9, 4, 5, 12, 13);
                    u[k + h + 2] = LA_SH8(t[k + h], t[k + h + 2], 2, 3, 10, 11, 6, 7, 14, 15);
                }
            for (int h = 0; h < 4; h++) {
                LA_F(la_v8_) lo = LA_SH8(u[h], u[h + 4], 0, 1, 2, 3, 8, 9, 10, 11);
                LA_F(la_v8_) hi = LA_SH8(u[h], u[h + 4], 4, 5, 6, 7, 12, 13, 14, 15);
                memcpy(dst + (j0 + h) * dld + i0, &lo, sizeof(lo));
                memcpy(dst + (j0 + h + 4) * dld + i0, &hi, sizeof(hi));
            }
        }
    for (int64_t j = n8; j < n; j++)            /* the columns past the last block */
        for (int64_t i = 0; i < m; i++)
            dst[j * dld + i] = src[i * sld + j];
    for (int64_t j = 0; j < n8; j++)            /* the rows past the last block */
        for (int64_t i = m8; i < m; i++)
            dst[j * dld + i] = src[i * sld + j];
}

/* dense: dst (n x m) = src (m x n) transposed */
static void LA_F(la_transpose_)(const LA_T *restrict src, LA_T *restrict dst, int64_t m, int64_t n)
{
    LA_F(la_transpose_ld_)(src, n, dst, m, m, n);
}

/* the first i in [lo, m) where |c[i]| is largest (BLAS's i?amax: NaNs
 * are passed over unless c[lo] is one, which is then kept): 8 lanes, each
 * the first of its own largest, then the lanes' largest at the smallest
 * index */
/* (inlined: a call from a multiversioned caller into this default-ISA
 * code costs more than a short column's search) */
static inline __attribute__((always_inline)) int64_t LA_F(la_iamax_)(const LA_T *c, int64_t lo,
                                                                      int64_t m)
{
    LA_T best = LA_FABS(c[lo]);
    int64_t p = lo;
    if (best != best)
        return lo;
    int64_t i = lo + 1;
    if (m - i >= 16) {
        /* the 8 lanes as two vectors of 4 (a 64-byte generic vector of
         * doubles would live in memory on AVX2), lanes 0-3 and 4-7 */
        typedef LA_F(la_v4_) vt;
        typedef LA_F(la_i4_) it;
        const it sign = (it)(vt){-0.0, -0.0, -0.0, -0.0};
        vt bv[2], v;
        it bi[2], iv[2];
        for (int h = 0; h < 2; h++)
            for (int k = 0; k < 4; k++) {
                bv[h][k] = -1;
                bi[h][k] = 0;
                iv[h][k] = (LA_IT)(i + 4 * h + k);
            }
        for (; i + 8 <= m; i += 8)
            for (int h = 0; h < 2; h++) {
                memcpy(&v, c + i + 4 * h, sizeof(v));
                v = (vt)((it)v & ~sign);
                it gt = v > bv[h];              /* all ones where v is larger */
                bv[h] = (vt)(((it)v & gt) | ((it)bv[h] & ~gt));
                bi[h] = (iv[h] & gt) | (bi[h] & ~gt);
                iv[h] += 8;
            }
        for (int k = 0; k < 8; k++) {
            LA_T b = bv[k / 4][k % 4];
            int64_t q = bi[k / 4][k % 4];
            if (b > best || (b == best && q < p)) {
                best = b;
                p = q;
            }
        }
    }
    for (; i < m; i++) {
        LA_T v = LA_FABS(c[i]);
        if (v > best) {
            best = v;
            p = i;
        }
    }
    return p;
}

/* column j of getf2: its pivot (recorded, rows swapped across the n
 * columns) and the multipliers below it (inlined into getf2's clones, and
 * with it the search: called, it would run as default-ISA code) */
static inline __attribute__((always_inline)) void LA_F(la_getf2_col_)(LA_T *a, int64_t lda, int64_t m,
                                                                      int64_t n, int64_t j, int32_t *piv,
                                                                      int32_t *info, int64_t j0)
{
    LA_T *cj = a + j * lda;
    int64_t p = LA_F(la_iamax_)(cj, j, m);
    piv[j] = (int32_t)(p + 1);
    LA_T d = cj[p];
    if (d != 0) {
        if (p != j)
            for (int64_t c = 0; c < n; c++) {
                LA_T t = a[c * lda + j];
                a[c * lda + j] = a[c * lda + p];
                a[c * lda + p] = t;
            }
        if (LA_FABS(d) >= LA_TINY) {
            LA_T r = (LA_T)1 / d;
#pragma omp simd
            for (int64_t i = j + 1; i < m; i++)
                cj[i] *= r;
        } else {
            for (int64_t i = j + 1; i < m; i++)
                cj[i] /= d;
        }
    } else if (*info == 0) {
        *info = (int32_t)(j + 1 + j0);
    }
}

/* getf2: LU with partial pivoting of the column-major m x n matrix a (lead
 * dim lda), two columns at a time: the first factored, the second updated
 * by it and factored, then the columns to their right updated by both in
 * one pass (each element's two updates in the order of one column at a
 * time, so the same values); pivots 1-based relative to a's first row,
 * *info the first zero pivot (1-based, plus j0) if still 0 */
CT_MULTIVERSION
static void LA_F(la_getf2_)(LA_T *a, int64_t lda, int64_t m, int64_t n, int32_t *piv,
                            int32_t *info, int64_t j0)
{
    int64_t k = m < n ? m : n;
    for (int64_t j = 0; j < k; j++) {
        LA_T *ca = a + j * lda;
        LA_F(la_getf2_col_)(a, lda, m, n, j, piv, info, j0);
        if (j + 1 == k) {
            /* the last column: a rank-1 update of the columns to its right */
            for (int64_t c = j + 1; c < n; c++) {
                LA_T *cc = a + c * lda;
                LA_T f = cc[j];
#pragma omp simd
                for (int64_t i = j + 1; i < m; i++)
                    cc[i] -= ca[i] * f;
            }
            break;
        }
        LA_T *cb = ca + lda;
        LA_T fb = cb[j];
#pragma omp simd
        for (int64_t i = j + 1; i < m; i++)
            cb[i] -= ca[i] * fb;
        LA_F(la_getf2_col_)(a, lda, m, n, j + 1, piv, info, j0);
        for (int64_t c = j + 2; c < n; c++) {
            LA_T *cc = a + c * lda;
            LA_T u0 = cc[j];
            cc[j + 1] -= ca[j + 1] * u0;
            LA_T u1 = cc[j + 1];
#pragma omp simd
            for (int64_t i = j + 2; i < m; i++) {
                LA_T t = cc[i] - ca[i] * u0;
                cc[i] = t - cb[i] * u1;
            }
        }
        j++;
    }
}

/* op(T) X = X for the k columns of X (each n long, ld ldx), unblocked: dot
 * products along T's rows when they are dense (cs 1), else updates along
 * its columns */
/* la_trsv_ for small orders: plain loops (vector code's set-up costs more
 * than a few elements' arithmetic) */
static void LA_F(la_trsv_small_)(const LA_T *t, int64_t rs, int64_t cs, int upper, int unit,
                                 LA_T *x, int64_t ldx, int64_t n, int64_t k)
{
    /* row by row, the columns of X side by side (independent chains) */
    for (int64_t s = 0; s < n; s++) {
        int64_t i = upper ? n - 1 - s : s;
        int64_t lo = upper ? i + 1 : 0, hi = upper ? n : i;
        const LA_T *row = t + i * rs;
        LA_T r = unit ? (LA_T)1 : (LA_T)1 / row[i * cs];
        for (int64_t c = 0; c < k; c++) {
            LA_T *xc = x + c * ldx;
            LA_T acc = xc[i];
            for (int64_t p = lo; p < hi; p++)
                acc -= row[p * cs] * xc[p];
            xc[i] = acc * r;
        }
    }
}

CT_MULTIVERSION
static void LA_F(la_trsv_)(const LA_T *t, int64_t rs, int64_t cs, int upper, int unit, LA_T *x,
                           int64_t ldx, int64_t n, int64_t k)
{
    if (n <= 12) {
        LA_F(la_trsv_small_)(t, rs, cs, upper, unit, x, ldx, n, k);
        return;
    }
    if (cs == 1) {
        int64_t c = 0;
        for (; c + 4 <= k; c += 4) {
            LA_T *x0 = x + c * ldx, *x1 = x0 + ldx, *x2 = x1 + ldx, *x3 = x2 + ldx;
            for (int64_t s = 0; s < n; s++) {
                int64_t i = upper ? n - 1 - s : s;
                int64_t lo = upper ? i + 1 : 0, hi = upper ? n : i;
                const LA_T *row = t + i * rs;
                LA_T s0 = x0[i] - LA_F(la_dot_)(row + lo, x0 + lo, hi - lo);
                LA_T s1 = x1[i] - LA_F(la_dot_)(row + lo, x1 + lo, hi - lo);
                LA_T s2 = x2[i] - LA_F(la_dot_)(row + lo, x2 + lo, hi - lo);
                LA_T s3 = x3[i] - LA_F(la_dot_)(row + lo, x3 + lo, hi - lo);
                if (!unit) {
                    LA_T d = row[i];
                    s0 /= d; s1 /= d; s2 /= d; s3 /= d;
                }
                x0[i] = s0; x1[i] = s1; x2[i] = s2; x3[i] = s3;
            }
        }
        for (; c < k; c++) {
            LA_T *x0 = x + c * ldx;
            for (int64_t s = 0; s < n; s++) {
                int64_t i = upper ? n - 1 - s : s;
                int64_t lo = upper ? i + 1 : 0, hi = upper ? n : i;
                const LA_T *row = t + i * rs;
                LA_T s0 = x0[i] - LA_F(la_dot_)(row + lo, x0 + lo, hi - lo);
                x0[i] = unit ? s0 : s0 / row[i];
            }
        }
        return;
    }
    int64_t c0 = 0;
    if (rs == 1) {
        /* four columns of X at a time, each column of T read once for them */
        for (; c0 + 4 <= k; c0 += 4) {
            LA_T *x0 = x + c0 * ldx, *x1 = x0 + ldx, *x2 = x1 + ldx, *x3 = x2 + ldx;
            for (int64_t s = 0; s < n; s++) {
                int64_t p = upper ? n - 1 - s : s;
                const LA_T *col = t + p * cs;
                if (!unit) {
                    LA_T d = col[p];
                    x0[p] /= d; x1[p] /= d; x2[p] /= d; x3[p] /= d;
                }
                LA_T v0 = x0[p], v1 = x1[p], v2 = x2[p], v3 = x3[p];
                int64_t lo = upper ? 0 : p + 1, hi = upper ? p : n;
#pragma omp simd
                for (int64_t i = lo; i < hi; i++) {
                    LA_T l = col[i];
                    x0[i] -= v0 * l;
                    x1[i] -= v1 * l;
                    x2[i] -= v2 * l;
                    x3[i] -= v3 * l;
                }
            }
        }
    }
    for (int64_t c = c0; c < k; c++) {
        LA_T *xc = x + c * ldx;
        for (int64_t s = 0; s < n; s++) {
            int64_t p = upper ? n - 1 - s : s;
            const LA_T *col = t + p * cs;
            if (!unit)
                xc[p] /= col[p * rs];
            LA_T v = xc[p];
            int64_t lo = upper ? 0 : p + 1, hi = upper ? p : n;
            if (rs == 1) {
#pragma omp simd
                for (int64_t i = lo; i < hi; i++)
                    xc[i] -= v * col[i];
            } else {
                for (int64_t i = lo; i < hi; i++)
                    xc[i] -= v * col[i * rs];
            }
        }
    }
}

/* la_trsv_ for few rows (n <= LA_TB) and many columns: 64 columns of X at
 * a time transposed into rows of a scratch block, each row solved less the
 * multiples of the rows before it (in the column sweep's order) along its
 * 64 values, and transposed back: whole vectors where the column sweep
 * works on columns of fewer than LA_TB values */
CT_MULTIVERSION
static void LA_F(la_trsv_wide_)(const LA_T *t, int64_t rs, int64_t cs, int upper, int unit,
                                LA_T *x, int64_t ldx, int64_t n, int64_t k)
{
    LA_T blk[LA_TB * 64];
    for (int64_t c0 = 0; c0 < k; c0 += 64) {
        int64_t kc = k - c0 < 64 ? k - c0 : 64;
        LA_F(la_transpose_ld_)(x + c0 * ldx, ldx, blk, 64, kc, n);
        for (int64_t s = 0; s < n; s++) {
            int64_t i = upper ? n - 1 - s : s;
            LA_T *restrict bi = blk + i * 64;
            for (int64_t r = 0; r < (upper ? n - 1 - i : i); r++) {
                int64_t q = upper ? n - 1 - r : r;
                LA_T l = t[i * rs + q * cs];
                const LA_T *restrict bq = blk + q * 64;
#pragma omp simd
                for (int64_t c = 0; c < kc; c++)
                    bi[c] -= l * bq[c];
            }
            if (!unit) {
                LA_T d = t[i * rs + i * cs];
#pragma omp simd
                for (int64_t c = 0; c < kc; c++)
                    bi[c] /= d;
            }
        }
        LA_F(la_transpose_ld_)(blk, 64, x + c0 * ldx, ldx, n, kc);
    }
}

/* la_trsv_ recursively: half of the rows solved, the other half updated by
 * gemm, then solved */
static void LA_F(la_trsm_)(ct_la_gemm_fn gemm, const LA_T *t, int64_t rs, int64_t cs, int upper,
                           int unit, LA_T *x, int64_t ldx, int64_t n, int64_t k)
{
    if (gemm == NULL || n <= LA_TB || k < 8 || (rs != 1 && cs != 1)) {
        if (cs != 1 && n > 8 && n <= LA_TB && k >= 32)
            LA_F(la_trsv_wide_)(t, rs, cs, upper, unit, x, ldx, n, k);
        else
            LA_F(la_trsv_)(t, rs, cs, upper, unit, x, ldx, n, k);
        return;
    }
    LA_T one = 1, minus = -1;
    char ta = rs == 1 ? 'N' : 'T';
    int ldt = (int)(rs == 1 ? cs : rs);
    int64_t n1 = n / 2, n2 = n - n1;
    if (!upper) {
        LA_F(la_trsm_)(gemm, t, rs, cs, 0, unit, x, ldx, n1, k);
        gemm(LA_DT, ta, 'N', (int)n2, (int)k, (int)n1, &minus, (char *)(t + n1 * rs), ldt,
             la_zero_off, (char *)x, (int)ldx, la_zero_off, &one, (char *)(x + n1), (int)ldx, 1);
        LA_F(la_trsm_)(gemm, t + n1 * rs + n1 * cs, rs, cs, 0, unit, x + n1, ldx, n2, k);
    } else {
        LA_F(la_trsm_)(gemm, t + n1 * rs + n1 * cs, rs, cs, 1, unit, x + n1, ldx, n2, k);
        gemm(LA_DT, ta, 'N', (int)n1, (int)k, (int)n2, &minus, (char *)(t + n1 * cs), ldt,
             la_zero_off, (char *)(x + n1), (int)ldx, la_zero_off, &one, (char *)x, (int)ldx, 1);
        LA_F(la_trsm_)(gemm, t, rs, cs, 1, unit, x, ldx, n1, k);
    }
}

/* xi[0, kc) less row[p cs] x[p ldx + (0, kc)] for p in [lo, hi), the kc <= 32
 * values held in acc meanwhile (one load per multiply-add; inlined, so that
 * a constant kc of 32 keeps them in registers) */
static inline __attribute__((always_inline)) void LA_F(la_row_less_)(
    LA_T *restrict xi, const LA_T *x, int64_t ldx, const LA_T *row, int64_t cs, int64_t lo,
    int64_t hi, int64_t kc)
{
    LA_T acc[32];
    for (int64_t c = 0; c < kc; c++)
        acc[c] = xi[c];
    for (int64_t p = lo; p < hi; p++) {
        LA_T l = row[p * cs];
        const LA_T *restrict xp = x + p * ldx;
#pragma omp simd
        for (int64_t c = 0; c < kc; c++)
            acc[c] -= l * xp[c];
    }
    for (int64_t c = 0; c < kc; c++)
        xi[c] = acc[c];
}

/* op(T) X = B in place on the row-major x (n x k, row stride ldx), row by
 * row, 32 columns at a time: each row of X less the multiples of the rows
 * already solved, then divided by the diagonal: times its reciprocal where
 * that is a normal number, as the BLAS does, else by division (a
 * reciprocal that overflows or is subnormal would lose it) */
CT_MULTIVERSION
static void LA_F(la_trsv_rows_)(const LA_T *t, int64_t rs, int64_t cs, int upper, int unit,
                                LA_T *x, int64_t ldx, int64_t n, int64_t k)
{
    for (int64_t c0 = 0; c0 < k; c0 += 32) {
        int64_t kc = k - c0 < 32 ? k - c0 : 32;
        for (int64_t s = 0; s < n; s++) {
            int64_t i = upper ? n - 1 - s : s;
            int64_t lo = upper ? i + 1 : 0, hi = upper ? n : i;
            LA_T *restrict xi = x + i * ldx + c0;
            const LA_T *row = t + i * rs;
            if (kc == 32)
                LA_F(la_row_less_)(xi, x + c0, ldx, row, cs, lo, hi, 32);
            else
                LA_F(la_row_less_)(xi, x + c0, ldx, row, cs, lo, hi, kc);
            if (!unit) {
                LA_T d = row[i * cs], r = (LA_T)1 / d, ar = LA_FABS(r);
                if (ar >= LA_TINY && ar <= (LA_T)1 / LA_TINY) {
#pragma omp simd
                    for (int64_t c = 0; c < kc; c++)
                        xi[c] *= r;
                } else {
#pragma omp simd
                    for (int64_t c = 0; c < kc; c++)
                        xi[c] /= d;
                }
            }
        }
    }
}

/* la_trsv_rows_ recursively: half of the rows of X solved, the other half
 * updated by gemm (X read column-major is X^T: X2^T -= X1^T T21^T), then
 * solved */
static void LA_F(la_trsm_rows_)(ct_la_gemm_fn gemm, const LA_T *t, int64_t rs, int64_t cs,
                                int upper, int unit, LA_T *x, int64_t ldx, int64_t n, int64_t k)
{
    if (gemm == NULL || n <= LA_TB || (rs != 1 && cs != 1)) {
        LA_F(la_trsv_rows_)(t, rs, cs, upper, unit, x, ldx, n, k);
        return;
    }
    LA_T one = 1, minus = -1;
    char tb = rs == 1 ? 'T' : 'N';
    int ldt = (int)(rs == 1 ? cs : rs);
    int64_t n1 = n / 2, n2 = n - n1;
    if (!upper) {
        LA_F(la_trsm_rows_)(gemm, t, rs, cs, 0, unit, x, ldx, n1, k);
        gemm(LA_DT, 'N', tb, (int)k, (int)n2, (int)n1, &minus, (char *)x, (int)ldx, la_zero_off,
             (char *)(t + n1 * rs), ldt, la_zero_off, &one, (char *)(x + n1 * ldx), (int)ldx, 1);
        LA_F(la_trsm_rows_)(gemm, t + n1 * rs + n1 * cs, rs, cs, 0, unit, x + n1 * ldx, ldx, n2,
                            k);
    } else {
        LA_F(la_trsm_rows_)(gemm, t + n1 * rs + n1 * cs, rs, cs, 1, unit, x + n1 * ldx, ldx, n2,
                            k);
        gemm(LA_DT, 'N', tb, (int)k, (int)n1, (int)n2, &minus, (char *)(x + n1 * ldx), (int)ldx,
             la_zero_off, (char *)(t + n1 * cs), ldt, la_zero_off, &one, (char *)x, (int)ldx, 1);
        LA_F(la_trsm_rows_)(gemm, t, rs, cs, 1, unit, x, ldx, n1, k);
    }
}

/* a triangular solve of x's columns, x row-major (rows set: la_trsm_rows_)
 * or column-major (la_trsm_) */
static void LA_F(la_trsm_lay_)(ct_la_gemm_fn gemm, const LA_T *t, int64_t rs, int64_t cs,
                               int upper, int unit, LA_T *x, int64_t ldx, int64_t n, int64_t k,
                               int rows)
{
    if (rows)
        LA_F(la_trsm_rows_)(gemm, t, rs, cs, upper, unit, x, ldx, n, k);
    else
        LA_F(la_trsm_)(gemm, t, rs, cs, upper, unit, x, ldx, n, k);
}

/* the row swaps (i, piv[i] - 1) for i in [i0, i1) (1-based pivots; in
 * reverse order if asked) on the k columns of the column-major x: a
 * pivot's swap on 8 columns at a time (independent of each other, where a
 * column's consecutive swaps may touch the same rows), branch free (a row
 * that keeps its place is swapped with itself) */
static void LA_F(la_swap_range_)(const int32_t *piv, LA_T *x, int64_t ldx, int64_t i0, int64_t i1,
                                 int64_t k, int reverse)
{
    for (int64_t c0 = 0; c0 < k; c0 += 8) {
        int64_t nc = k - c0 < 8 ? k - c0 : 8;
        LA_T *xc = x + c0 * ldx;
        for (int64_t s = i0; s < i1; s++) {
            int64_t i = reverse ? i1 - 1 - (s - i0) : s, p = piv[i] - 1;
            for (int64_t c = 0; c < nc; c++) {
                LA_T v = xc[c * ldx + i], w = xc[c * ldx + p];
                xc[c * ldx + p] = v;
                xc[c * ldx + i] = w;
            }
        }
    }
}

/* the row swaps of 1-based pivots 0 .. n - 1 on the k columns of x */
static void LA_F(la_swaps_)(const int32_t *piv, LA_T *x, int64_t ldx, int64_t n, int64_t k,
                            int reverse)
{
    LA_F(la_swap_range_)(piv, x, ldx, 0, n, k, reverse);
}

/* columns [c0, c1) of the right block of getrf (those after the n1
 * factored ones) brought up to date: the left block's row swaps, the block
 * row solved with its unit lower triangle, the rows below less the product
 * (each column on its own, so that the block can be shared among threads) */
static void LA_F(la_getrf_right_)(ct_la_gemm_fn gemm, LA_T *a, int64_t lda, int64_t m,
                                  int64_t n1, const int32_t *piv, int64_t c0, int64_t c1)
{
    LA_T one = 1, minus = -1;
    LA_T *r = a + (n1 + c0) * lda;
    int64_t w = c1 - c0;
    LA_F(la_swap_range_)(piv, r, lda, 0, n1, w, 0);
    LA_F(la_trsm_)(gemm, a, 1, lda, 0, 1, r, lda, n1, w);
    gemm(LA_DT, 'N', 'N', (int)(m - n1), (int)w, (int)n1, &minus, (char *)(a + n1), (int)lda,
         la_zero_off, (char *)r, (int)lda, la_zero_off, &one, (char *)(r + n1), (int)lda, 1);
}

/* getrf, recursively (as LAPACK's getrf2): the left half of the columns
 * factored, its row swaps applied to the right half, the block row solved
 * with the unit lower triangle, the trailing matrix updated by gemm and
 * factored, its swaps applied to the left half; getf2 below LA_NB columns */
static void LA_F(la_getrf_)(ct_la_gemm_fn gemm, LA_T *a, int64_t lda, int64_t m, int64_t n,
                            int32_t *piv, int32_t *info, int64_t j0)
{
    int64_t k = m < n ? m : n;
    if (gemm == NULL || k <= LA_NB) {
        LA_F(la_getf2_)(a, lda, m, n, piv, info, j0);
        return;
    }
    int64_t n1 = k / 2, n2 = n - n1;
    LA_F(la_getrf_)(gemm, a, lda, m, n1, piv, info, j0);
    LA_SHARED_COLS(la_col_threads(2.0 * (m - n1) * n2 * n1 + (double)n1 * n1 * n2, n2), n2, 0,
                   c0, c1, LA_F(la_getrf_right_)(gemm, a, lda, m, n1, piv, c0, c1););
    LA_F(la_getrf_)(gemm, a + n1 * lda + n1, lda, m - n1, n2, piv + n1, info, j0 + n1);
    for (int64_t i = n1; i < k; i++)
        piv[i] += (int32_t)n1;
    LA_F(la_swap_range_)(piv, a, lda, n1, k, n1, 0);
}

#ifdef _OPENMP
/* getrf of the column-major m x n matrix a (lead dim lda; src transposed
 * into it first, src row-major m x n) on nt threads by panels of LA_LAP
 * columns with look-ahead: while the other threads bring the trailing
 * columns up to date with panel j (chunks of LA_LAC columns taken as they
 * come), thread 0 brings panel j + 1 up to date first and factors it, then
 * joins them; each panel's row swaps reach the columns left of it at the
 * end. Each column's arithmetic is fixed by the panels and chunks, so the
 * factors are the same on any number of threads (one thread runs the
 * recursive la_getrf_). */
static void LA_F(la_getrf_ahead_)(ct_la_gemm_fn gemm, const LA_T *src, LA_T *a, int64_t m,
                                  int64_t n, int32_t *piv, int32_t *info, int nt)
{
    int64_t k = m < n ? m : n, lda = m;
#pragma omp parallel num_threads(nt)
    {
        int tid = omp_get_thread_num(), nth = omp_get_num_threads();
        int64_t c0 = n * tid / nth, c1 = n * (tid + 1) / nth;
        if (c1 > c0)
            LA_F(la_transpose_ld_)(src + c0, n, a + c0 * lda, lda, m, c1 - c0);
#pragma omp barrier
        if (tid == 0)
            LA_F(la_getrf_)(gemm, a, lda, m, k < LA_LAP ? k : LA_LAP, piv, info, 0);
#pragma omp barrier
        for (int64_t j = 0; j < k; j += LA_LAP) {
            int64_t jb = k - j < LA_LAP ? k - j : LA_LAP, jn = j + jb;
            int64_t nx = jn >= k ? 0 : k - jn < LA_LAP ? k - jn : LA_LAP;
            LA_T *aj = a + j * lda + j;
            if (tid == 0 && nx) {
                /* the next panel (columns jn .. jn + nx), then its factors */
                LA_F(la_getrf_right_)(gemm, aj, lda, m - j, jb, piv + j, 0, nx);
                LA_F(la_getrf_)(gemm, a + jn * lda + jn, lda, m - jn, nx, piv + jn, info, jn);
            }
            int64_t rest = jn + nx, chunks = (n - rest + LA_LAC - 1) / LA_LAC;
#pragma omp for schedule(dynamic, 1) nowait
            for (int64_t c = 0; c < chunks; c++) {
                int64_t q0 = rest + c * LA_LAC - jn, q1 = q0 + LA_LAC;
                LA_F(la_getrf_right_)(gemm, aj, lda, m - j, jb, piv + j, q0,
                                      q1 < n - jn ? q1 : n - jn);
            }
#pragma omp barrier
        }
        /* the pivots from each panel's rows to a's, then each panel's
         * columns swapped by the later panels' pivots */
#pragma omp single
        for (int64_t i = LA_LAP; i < k; i++)
            piv[i] += (int32_t)(i / LA_LAP * LA_LAP);
        int64_t panels = (k + LA_LAP - 1) / LA_LAP;
#pragma omp for schedule(dynamic, 1)
        for (int64_t p = 0; p < panels - 1; p++)
            LA_F(la_swap_range_)(piv, a + p * LA_LAP * lda, lda, (p + 1) * LA_LAP, k, LA_LAP, 0);
    }
}
#endif

/* B (row-major or column-major) into the column-major work x, and back */
static void LA_F(la_load_)(const LA_T *b, LA_T *x, int64_t n, int64_t k, int xrow)
{
    if (!xrow || k == 1) {
        if (x != b)
            memcpy(x, b, sizeof(LA_T) * n * k);
    } else {
        LA_F(la_transpose_)(b, x, n, k);
    }
}

static void LA_F(la_store_)(const LA_T *w, LA_T *x, int64_t n, int64_t k, int xrow)
{
    if (!xrow || k == 1) {
        if (x != w)
            memcpy(x, w, sizeof(LA_T) * n * k);
    } else {
        LA_F(la_transpose_)(w, x, k, n);
    }
}

/* the lower Cholesky factor of rows and columns [j0, j1) of the row-major
 * a (lead dim n), the columns before j0 already folded in; 0, or the
 * 1-based order of the first minor that is not positive-definite */
/* la_potf2_ for small orders: plain loops (vector code's set-up costs more
 * than a few elements' arithmetic) */
static int64_t LA_F(la_potf2_small_)(LA_T *a, int64_t n)
{
    for (int64_t j = 0; j < n; j++) {
        LA_T *rj = a + j * n;
        LA_T d = rj[j];
        for (int64_t p = 0; p < j; p++)
            d -= rj[p] * rj[p];
        if (!(d > 0)) {
            rj[j] = d;
            return j + 1;
        }
        d = LA_SQRT(d);
        rj[j] = d;
        LA_T r = (LA_T)1 / d;
        for (int64_t i = j + 1; i < n; i++) {
            LA_T *ri = a + i * n;
            LA_T t = ri[j];
            for (int64_t p = 0; p < j; p++)
                t -= ri[p] * rj[p];
            ri[j] = t * r;
        }
    }
    return 0;
}

CT_MULTIVERSION
static int64_t LA_F(la_potf2_)(LA_T *a, int64_t n, int64_t j0, int64_t j1)
{
    if (j0 == 0 && j1 == n && n <= 12)
        return LA_F(la_potf2_small_)(a, n);
    for (int64_t j = j0; j < j1; j++) {
        LA_T *rj = a + j * n;
        LA_T d = rj[j] - LA_F(la_dot_)(rj + j0, rj + j0, j - j0);
        if (!(d > 0)) {
            rj[j] = d;
            return j + 1;
        }
        d = LA_SQRT(d);
        rj[j] = d;
        LA_T r = (LA_T)1 / d;
        for (int64_t i = j + 1; i < n; i++) {
            LA_T *ri = a + i * n;
            ri[j] = (ri[j] - LA_F(la_dot_)(ri + j0, rj + j0, j - j0)) * r;
        }
    }
    return 0;
}

static int64_t LA_F(la_potrf_)(ct_la_gemm_fn gemm, const LA_T *src, LA_T *a, int64_t n)
{
    /* the lower triangle of src, zeros above */
    for (int64_t i = 0; i < n; i++) {
        memcpy(a + i * n, src + i * n, sizeof(LA_T) * (i + 1));
        memset(a + i * n + i + 1, 0, sizeof(LA_T) * (n - i - 1));
    }
    if (gemm == NULL || n < 2 * LA_NB)
        return LA_F(la_potf2_)(a, n, 0, n);
    LA_T one = 1, minus = -1;
    for (int64_t j0 = 0; j0 < n; j0 += LA_NB) {
        int64_t j1 = j0 + LA_NB < n ? j0 + LA_NB : n, w = j1 - j0;
        if (j0 > 0) {
            /* A[j0:, j0:j1] -= L[j0:, :j0] L[j0:j1, :j0]^T, as its column-major
             * transpose; the strictly upper part of the diagonal block gets
             * values too, cleared below */
            gemm(LA_DT, 'T', 'N', (int)w, (int)(n - j0), (int)j0, &minus, (char *)(a + j0 * n),
                 (int)n, la_zero_off, (char *)(a + j0 * n), (int)n, la_zero_off, &one,
                 (char *)(a + j0 * n + j0), (int)n, 1);
            for (int64_t i = j0; i < j1; i++)
                memset(a + i * n + i + 1, 0, sizeof(LA_T) * (j1 - i - 1));
        }
        int64_t r = LA_F(la_potf2_)(a, n, j0, j1);
        if (r)
            return r;
    }
    return 0;
}

static int LA_F(la_lu_all_)(ct_la_gemm_fn gemm, const LA_T *src, LA_T *dst, int64_t nb, int64_t m,
                            int64_t n, int32_t *piv, int32_t *info)
{
    int64_t k = m < n ? m : n, mn = m * n;
    if (k >= 2 * LA_NB && gemm != NULL) {
#ifdef _OPENMP
        int nt = la_col_threads(2.0 * m * n * k / 3, n);
        if (nt > 1 && k >= LA_AHEAD_MIN) {
            for (int64_t b = 0; b < nb; b++) {
                info[b] = 0;
                LA_F(la_getrf_ahead_)(gemm, src + b * mn, dst + b * mn, m, n, piv + b * k,
                                      info + b, nt);
            }
            return 0;
        }
#endif
        for (int64_t b = 0; b < nb; b++) {
            info[b] = 0;
            LA_F(la_transpose_)(src + b * mn, dst + b * mn, m, n);
            LA_F(la_getrf_)(gemm, dst + b * mn, m, m, n, piv + b * k, info + b, 0);
        }
        return 0;
    }
    CT_PARALLEL_IF(LA_PAR(nb, nb * mn * k), "omp parallel for schedule(static)",
    for (int64_t b = 0; b < nb; b++) {
        info[b] = 0;
        LA_F(la_transpose_)(src + b * mn, dst + b * mn, m, n);
        LA_F(la_getf2_)(dst + b * mn, m, m, n, piv + b * k, info + b, 0);
    });
    return 0;
}

/* the n x w block src (row stride lds) into dst (row stride ldd) */
static void LA_F(la_copy_rect_)(const LA_T *src, int64_t lds, LA_T *dst, int64_t ldd, int64_t n,
                                int64_t w)
{
    if (src == dst && lds == ldd)
        return;
    if (w == lds && w == ldd) {
        memcpy(dst, src, sizeof(LA_T) * n * w);
        return;
    }
    for (int64_t i = 0; i < n; i++)
        memcpy(dst + i * ldd, src + i * lds, sizeof(LA_T) * w);
}

/* columns [c0, c1) of the row-major src (n x k) into dst */
static void LA_F(la_copy_cols_)(const LA_T *src, LA_T *dst, int64_t n, int64_t k, int64_t c0,
                                int64_t c1)
{
    LA_F(la_copy_rect_)(src + c0, k, dst + c0, k, n, c1 - c0);
}

/* columns [c0, c1) of the row-major w (n x k) from b (row-major n x k),
 * or those of I where b is NULL */
static void LA_F(la_load_cols_)(const LA_T *b, LA_T *w, int64_t n, int64_t k, int64_t c0,
                                int64_t c1)
{
    if (b != NULL) {
        LA_F(la_copy_cols_)(b, w, n, k, c0, c1);
        return;
    }
    for (int64_t i = 0; i < n; i++) {
        memset(w + i * k + c0, 0, sizeof(LA_T) * (c1 - c0));
        if (i >= c0 && i < c1)
            w[i * k + i] = 1;
    }
}

/* STMT on columns [C0, C1) of the row-major n x k right-hand sides b
 * (non-NULL), loaded into a dense block of the thread's own where OWN is
 * set and one is got (WC its start, LD its row stride), else into the same
 * columns of w; then stored into x's. (Solved in place, with each row of w
 * split between the threads, two threads ran a solve of order 256 at 1.3x
 * one thread's speed; in blocks of their own, 1.5x.) */
#ifndef LA_OWN_COLS
#define LA_OWN_COLS(OWN, b, w, x, n, k, C0, C1, WC, LD, ...)                       \
    do {                                                                           \
        int64_t kc_ = (C1) - (C0);                                                 \
        LA_T *own_ = (OWN) ? (LA_T *)malloc(sizeof(LA_T) * (n) * kc_) : NULL;       \
        LA_T *WC = own_ != NULL ? own_ : (w) + (C0);                               \
        int64_t LD = own_ != NULL ? kc_ : (k);                                     \
        LA_F(la_copy_rect_)((b) + (C0), (k), WC, LD, (n), kc_);                    \
        __VA_ARGS__                                                                \
        LA_F(la_copy_rect_)(WC, LD, (x) + (C0), (k), (n), kc_);                    \
        free(own_);                                                                \
    } while (0)
#endif

/* one solve: row-major right-hand sides (k >= LA_RK) solved as they lie
 * (no transposes), others in the column-major work w; the columns shared
 * among the threads where the work pays, each thread loading and storing
 * its own (LA_OWN_COLS) */
static void LA_F(la_trsm_one_)(ct_la_gemm_fn gemm, const LA_T *t, int64_t rs, int64_t cs,
                               int upper, int unit, const LA_T *b, LA_T *x, LA_T *w, int64_t n,
                               int64_t k, int xrow)
{
    int nt = la_col_threads((double)n * n * k, k);
    if (xrow && k >= LA_RK) {
        LA_SHARED_COLS(nt, k, 0, c0, c1,
            LA_OWN_COLS(nt > 1, b, w, x, n, k, c0, c1, wc, ld,
                LA_F(la_trsm_rows_)(gemm, t, rs, cs, upper, unit, wc, ld, n, c1 - c0);););
        return;
    }
    LA_F(la_load_)(b, w, n, k, xrow);
    LA_SHARED_COLS(nt, k, 0, c0, c1,
        LA_F(la_trsm_)(gemm, t, rs, cs, upper, unit, w + c0 * n, n, n, c1 - c0););
    LA_F(la_store_)(w, x, n, k, xrow);
}

/* the row swaps (i, piv[i] - 1), i = 0 .. n - 1 (from the last if asked), on
 * columns [0, k) of the row-major x (row stride ldx) */
static void LA_F(la_swap_rows_)(const int32_t *piv, LA_T *x, int64_t ldx, int64_t n, int64_t k,
                                int reverse)
{
    for (int64_t s = 0; s < n; s++) {
        int64_t i = reverse ? n - 1 - s : s, p = piv[i] - 1;
        if (p == i)
            continue;
        LA_T *restrict xi = x + i * ldx, *restrict xp = x + p * ldx;
        for (int64_t c = 0; c < k; c++) {
            LA_T v = xi[c];
            xi[c] = xp[c];
            xp[c] = v;
        }
    }
}

/* the row swaps of 1-based pivots 0 .. n - 1 on the k columns of x,
 * row-major (rows set: la_swap_rows_) or column-major (la_swaps_) */
static void LA_F(la_swaps_lay_)(const int32_t *piv, LA_T *x, int64_t ldx, int64_t n, int64_t k,
                                int reverse, int rows)
{
    if (rows)
        LA_F(la_swap_rows_)(piv, x, ldx, n, k, reverse);
    else
        LA_F(la_swaps_)(piv, x, ldx, n, k, reverse);
}

/* columns [c0, c1) of la_getrs_one_'s solve on w (n x k, row stride or
 * column stride ld: rows set or not), each column on its own; the
 * inverse's L^-1 by blocks of I's columns, block b0 zero above row b0, so
 * that only L's trailing part takes part (a third of a full solve's work),
 * then U's solve */
static void LA_F(la_getrs_cols_)(ct_la_gemm_fn gemm, const LA_T *lu, const int32_t *piv,
                                 LA_T *w, int64_t ld, int rows, int64_t n, int trans, int inv,
                                 int64_t c0, int64_t c1)
{
    int64_t cstep = rows ? 1 : ld, rstep = rows ? ld : 1, kc = c1 - c0;
    LA_T *wc = w + c0 * cstep;
    if (inv) {
        for (int64_t b0 = c0; b0 < c1; b0 += LA_INVB) {
            int64_t bw = c1 - b0 < LA_INVB ? c1 - b0 : LA_INVB;
            LA_F(la_trsm_lay_)(gemm, lu + b0 + b0 * n, 1, n, 0, 1, w + b0 * cstep + b0 * rstep,
                               ld, n - b0, bw, rows);
        }
        LA_F(la_trsm_lay_)(gemm, lu, 1, n, 1, 0, wc, ld, n, kc, rows);
        return;
    }
    if (!trans) {
        LA_F(la_swaps_lay_)(piv, wc, ld, n, kc, 0, rows);
        LA_F(la_trsm_lay_)(gemm, lu, 1, n, 0, 1, wc, ld, n, kc, rows);
        LA_F(la_trsm_lay_)(gemm, lu, 1, n, 1, 0, wc, ld, n, kc, rows);
    } else {
        LA_F(la_trsm_lay_)(gemm, lu, n, 1, 0, 0, wc, ld, n, kc, rows);
        LA_F(la_trsm_lay_)(gemm, lu, n, 1, 1, 1, wc, ld, n, kc, rows);
        LA_F(la_swaps_lay_)(piv, wc, ld, n, kc, 1, rows);
    }
}

/* src[j]: the column that P^T's column swaps (those of 1-based pivots
 * n - 1 .. 0) bring to column j */
static void LA_F(la_perm_src_)(const int32_t *piv, int32_t *src, int64_t n)
{
    for (int64_t j = 0; j < n; j++)
        src[j] = (int32_t)j;
    for (int64_t i = n - 1; i >= 0; i--) {
        int32_t p = piv[i] - 1, v = src[i];
        src[i] = src[p];
        src[p] = v;
    }
}

/* rows [r0, r1) of the row-major w (n x n) permuted: row[j] = row[src[j]]
 * (tmp: n values) */
CT_MULTIVERSION
static void LA_F(la_perm_rows_)(const int32_t *src, LA_T *w, int64_t n, int64_t r0, int64_t r1,
                                LA_T *restrict tmp)
{
    for (int64_t r = r0; r < r1; r++) {
        LA_T *row = w + r * n;
#pragma omp simd
        for (int64_t j = 0; j < n; j++)
            tmp[j] = row[src[j]];
        memcpy(row, tmp, sizeof(LA_T) * n);
    }
}

/* op(A) X = B from A's LU (B = I where b is NULL: A^-1 = U^-1 L^-1 P^T when
 * not trans, LAPACK's getri, P^T's column swaps last) on the work w:
 * row-major right-hand sides (k >= LA_RK) solved as they lie, else in w's
 * column-major copy; the columns shared among the threads where the work
 * pays (the inverse's cut where L's and U's work halves), each thread
 * loading its own; an inverse's rows then shared for P^T's swaps, done as
 * one gather a row */
static void LA_F(la_getrs_one_)(ct_la_gemm_fn gemm, const LA_T *lu, const int32_t *piv,
                                const LA_T *b, LA_T *x, LA_T *w, int64_t n, int64_t k, int xrow,
                                int trans)
{
    int rows = xrow && k >= LA_RK, inv = b == NULL && !trans;
    int nt = la_col_threads((double)n * n * k, k);
    if (!rows) {
        /* (I is its own transpose: la_load_cols_'s rows serve as columns) */
        if (b == NULL)
            LA_F(la_load_cols_)(NULL, w, n, k, 0, k);
        else
            LA_F(la_load_)(b, w, n, k, xrow);
        LA_SHARED_COLS(nt, k, inv, c0, c1,
            LA_F(la_getrs_cols_)(gemm, lu, piv, w, n, 0, n, trans, inv, c0, c1););
        /* P^T's column swaps: the row swaps of w read row-major */
        if (inv)
            LA_F(la_swaps_lay_)(piv, w, n, n, n, 1, 1);
        LA_F(la_store_)(w, x, n, k, xrow);
        return;
    }
    /* an inverse's gather: its sources, a row of room for each thread */
    int32_t *src = NULL;
    LA_T *tmp = NULL;
    if (inv) {
        src = (int32_t *)malloc(sizeof(int32_t) * n);
        tmp = (LA_T *)malloc(sizeof(LA_T) * n * nt);
        if (src == NULL || tmp == NULL) {
            free(src);
            free(tmp);
            src = NULL;
        } else {
            LA_F(la_perm_src_)(piv, src, n);
        }
    }
    LA_TEAM(nt, t, nth, {
        int64_t c0, c1;
        la_col_share(k, inv, nth, t, &c0, &c1);
        if (c1 > c0 && b != NULL && !inv) {
            LA_OWN_COLS(nth > 1, b, w, x, n, k, c0, c1, wc, ld,
                LA_F(la_getrs_cols_)(gemm, lu, piv, wc, ld, 1, n, trans, 0, 0, c1 - c0););
        } else if (c1 > c0) {
            LA_F(la_load_cols_)(b, w, n, k, c0, c1);
            LA_F(la_getrs_cols_)(gemm, lu, piv, w, k, 1, n, trans, inv, c0, c1);
            if (!inv)
                LA_F(la_copy_cols_)(w, x, n, k, c0, c1);
        }
        if (src != NULL) {
            /* (a directive within a macro's argument: _Pragma) */
            _Pragma("omp barrier")
            LA_F(la_perm_rows_)(src, w, n, n * t / nth, n * (t + 1) / nth, tmp + t * n);
        }
    });
    if (inv && src == NULL)
        LA_F(la_swaps_lay_)(piv, w, k, n, n, 1, 0);
    if (inv && w != x)
        memcpy(x, w, sizeof(LA_T) * n * k);
    free(src);
    free(tmp);
}

/* la_solve_all_'s work on the calling thread's share of the batch (its
 * loop an orphaned omp for: the whole batch when no team is running) */
static void LA_F(la_solve_share_)(ct_la_gemm_fn gemm, const LA_T *t, int64_t tbs, int64_t rs,
                                  int64_t cs, int upper, int unit, const int32_t *piv,
                                  int64_t pbs, const LA_T *b, int64_t bbs, LA_T *x, int64_t nb,
                                  int64_t n, int64_t k, int xrow, int trans, int lu,
                                  int need_w, int *fail)
{
    int64_t nk = n * k;
    {
        LA_T *w = NULL;
        if (need_w) {
            w = (LA_T *)malloc(sizeof(LA_T) * (nk ? nk : 1));
            if (w == NULL) {
#pragma omp atomic write
                *fail = 1;
            }
        }
        if (!need_w || w != NULL) {
#pragma omp for schedule(static)
            for (int64_t bi = 0; bi < nb; bi++) {
                LA_T *xb = x + bi * nk;
                LA_T *wb = need_w ? w : xb;
                if (lu)
                    LA_F(la_getrs_one_)(gemm, t + bi * tbs, piv + bi * pbs,
                                        b == NULL ? NULL : b + bi * bbs, xb, wb,
                                        n, k, xrow, trans);
                else
                    LA_F(la_trsm_one_)(gemm, t + bi * tbs, rs, cs, upper, unit, b + bi * bbs, xb,
                                       wb, n, k, xrow);
            }
        }
        free(w);
    }
}

static int LA_F(la_solve_all_)(ct_la_gemm_fn gemm, const LA_T *t, int64_t tbs, int64_t rs,
                               int64_t cs, int upper, int unit, const int32_t *piv, int64_t pbs,
                               const LA_T *b, int64_t bbs, LA_T *x, int64_t nb, int64_t n,
                               int64_t k, int xrow, int trans, int lu)
{
    int64_t nk = n * k;
    /* a work copy where B would be read after X is written, or the layout changes */
    int rows = xrow && k >= LA_RK;
    int need_w = (xrow && k > 1 && !rows) || (x == b && bbs == 0 && nb > 1)
                 || (b == NULL && xrow && !rows);
    int par = LA_PAR(nb, nb * n * nk) && (n < 2 * LA_NB || gemm == NULL);
    int fail = 0;
    /* a team only when the batch is shared: inside an inactive parallel
     * region (if (0)) the gemm calls' own teams are nested ones, and a solve
     * after another op's parallel region ran 4-7x slower with two threads */
    if (par) {
#pragma omp parallel
        LA_F(la_solve_share_)(gemm, t, tbs, rs, cs, upper, unit, piv, pbs, b, bbs, x, nb, n, k,
                              xrow, trans, lu, need_w, &fail);
    } else {
        LA_F(la_solve_share_)(gemm, t, tbs, rs, cs, upper, unit, piv, pbs, b, bbs, x, nb, n, k,
                              xrow, trans, lu, need_w, &fail);
    }
    return fail ? -1 : 0;
}

static int LA_F(la_chol_all_)(ct_la_gemm_fn gemm, const LA_T *src, LA_T *dst, int64_t nb,
                              int64_t n, int32_t *info)
{
    int64_t nn = n * n;
    int par = LA_PAR(nb, nb * nn * n) && (n < 2 * LA_NB || gemm == NULL);
    /* no inactive parallel region around the blocked factorizations: their
     * gemm calls start teams of their own (see la_solve_all_) */
    if (par) {
#pragma omp parallel for schedule(static)
        for (int64_t b = 0; b < nb; b++)
            info[b] = (int32_t)LA_F(la_potrf_)(gemm, src + b * nn, dst + b * nn, n);
    } else {
        for (int64_t b = 0; b < nb; b++)
            info[b] = (int32_t)LA_F(la_potrf_)(gemm, src + b * nn, dst + b * nn, n);
    }
    return 0;
}

/* LAPACK's sytf2 (lower): the Bunch-Kaufman factorization P A P^T = L D
 * L^T of one column-major n x n symmetric matrix a (its lower triangle, in
 * place), with sytf2's pivot choices (1x1 or 2x2 blocks of D) and its
 * operations, the rank-1 and rank-2 updates column by column. piv as
 * LAPACK's (1-based; -p twice for a 2x2 block); returns LAPACK's info (the
 * first zero pivot, 1-based, or 0). */
CT_MULTIVERSION
static int64_t LA_F(la_sytf2_)(LA_T *a, int64_t n, int32_t *piv)
{
    const LA_T alpha = ((LA_T)1 + LA_SQRT((LA_T)17)) / (LA_T)8;
    int64_t info = 0;
#define A_(i, j) a[(i) + (j) * n]
    for (int64_t k = 0; k < n;) {
        int kstep = 1;
        int64_t kp = k, imax = k;
        LA_T absakk = LA_FABS(A_(k, k)), colmax = 0;
        if (k < n - 1) {
            imax = LA_F(la_iamax_)(a + k * n, k + 1, n);
            colmax = LA_FABS(A_(imax, k));
        }
        if ((absakk == 0 && colmax == 0) || absakk != absakk) {
            if (!info)
                info = k + 1;           /* a zero (or NaN) column: no update */
        } else {
            if (!(absakk >= alpha * colmax)) {
                /* the largest off-diagonal magnitude in row / column imax */
                int64_t jmax = k;
                LA_T rowmax = LA_FABS(A_(imax, k));
                if (rowmax == rowmax)
                    for (int64_t j = k + 1; j < imax; j++)
                        if (LA_FABS(A_(imax, j)) > rowmax) {
                            rowmax = LA_FABS(A_(imax, j));
                            jmax = j;
                        }
                if (imax < n - 1) {
                    jmax = LA_F(la_iamax_)(a + imax * n, imax + 1, n);
                    LA_T v = LA_FABS(A_(jmax, imax));
                    rowmax = v > rowmax ? v : rowmax;
                }
                if (absakk >= alpha * colmax * (colmax / rowmax))
                    kp = k;
                else if (LA_FABS(A_(imax, imax)) >= alpha * rowmax)
                    kp = imax;
                else {
                    kp = imax;
                    kstep = 2;
                }
            }
            int64_t kk = k + kstep - 1;
            if (kp != kk) {             /* rows and columns kk and kp trade places */
                LA_T t;
                for (int64_t i = kp + 1; i < n; i++) {
                    t = A_(i, kk); A_(i, kk) = A_(i, kp); A_(i, kp) = t;
                }
                for (int64_t j = kk + 1; j < kp; j++) {
                    t = A_(j, kk); A_(j, kk) = A_(kp, j); A_(kp, j) = t;
                }
                t = A_(kk, kk); A_(kk, kk) = A_(kp, kp); A_(kp, kp) = t;
                if (kstep == 2) {
                    t = A_(k + 1, k); A_(k + 1, k) = A_(kp, k); A_(kp, k) = t;
                }
            }
            if (kstep == 1) {
                if (k < n - 1) {        /* syr: A22 -= x x^T / d, then x /= d */
                    LA_T d11 = (LA_T)1 / A_(k, k);
                    const LA_T *x = a + k * n;
                    for (int64_t j = k + 1; j < n; j++) {
                        LA_T t = -d11 * x[j];
                        LA_T *cj = a + j * n;
                        for (int64_t i = j; i < n; i++)
                            cj[i] += x[i] * t;
                    }
                    for (int64_t i = k + 1; i < n; i++)
                        A_(i, k) *= d11;
                }
            } else if (k < n - 2) {
                LA_T d21 = A_(k + 1, k);
                LA_T d11 = A_(k + 1, k + 1) / d21;
                LA_T d22 = A_(k, k) / d21;
                LA_T t = (LA_T)1 / (d11 * d22 - (LA_T)1);
                d21 = t / d21;
                const LA_T *x0 = a + k * n, *x1 = a + (k + 1) * n;
                for (int64_t j = k + 2; j < n; j++) {
                    LA_T wk = d21 * (d11 * x0[j] - x1[j]);
                    LA_T wkp1 = d21 * (d22 * x1[j] - x0[j]);
                    LA_T *cj = a + j * n;
                    for (int64_t i = j; i < n; i++)
                        cj[i] = cj[i] - x0[i] * wk - x1[i] * wkp1;
                    A_(j, k) = wk;
                    A_(j, k + 1) = wkp1;
                }
            }
        }
        if (kstep == 1)
            piv[k] = (int32_t)(kp + 1);
        else
            piv[k] = piv[k + 1] = (int32_t)-(kp + 1);
        k += kstep;
    }
#undef A_
    return info;
}

static int LA_F(la_ldl_all_)(LA_T *a, int64_t nb, int64_t n, int32_t *piv, int32_t *info)
{
    int64_t nn = n * n;
    CT_PARALLEL_IF(LA_PAR(nb, nb * nn * n), "omp parallel for schedule(static)",
    for (int64_t b = 0; b < nb; b++)
        info[b] = (int32_t)LA_F(la_sytf2_)(a + b * nn, n, piv + b * n););
    return 0;
}

/* geqr2's reflector of column j (cj, m rows), LAPACK's dlarfg without
 * its scaling: the sum of squares in double; -1 (nothing written) where
 * alpha^2 plus it leaves the range where it is exact to rounding (inf, NaN,
 * or nonzero entries whose squares underflow); else 0 with *tau its factor
 * (0 where the entries below row j are all zero: the reflector is I), the
 * entries below row j scaled to its tail and beta on the diagonal */
static inline int LA_F(la_larfg_)(LA_T *cj, int64_t j, int64_t m, LA_T *tau)
{
    LA_T alpha = cj[j];
    double xn = 0;
    for (int64_t i = j + 1; i < m; i++)
        xn += (double)cj[i] * (double)cj[i];
    double tot = (double)alpha * (double)alpha + xn;
    if (!(tot <= DBL_MAX))
        return -1;
    if (xn <= LA_SSQ_LO) {
        for (int64_t i = j + 1; i < m; i++)
            if (cj[i] != 0)
                return -1;
        *tau = 0;
        return 0;
    }
    LA_T beta = (LA_T)sqrt(tot);
    beta = alpha >= 0 ? -beta : beta;
    *tau = (beta - alpha) / beta;
    LA_T sc = (LA_T)1 / (alpha - beta);
    for (int64_t i = j + 1; i < m; i++)
        cj[i] *= sc;
    cj[j] = beta;
    return 0;
}

/* R (rr x n, row-major, zero below the diagonal) from the column-major
 * m x n result of geqr2 / geqrf in a */
static void LA_F(la_qr_r_)(const LA_T *a, int64_t m, int64_t n, LA_T *r, int64_t rr)
{
    for (int64_t i = 0; i < rr; i++)
        for (int64_t c = 0; c < n; c++)
            r[i * n + c] = c >= i ? a[c * m + i] : 0;
}

/* Householder QR of one column-major m x n matrix a (in place, LAPACK's
 * geqr2: H_j = I - tau_j v_j v_j^T, v_j = [1; a[j+1:, j]], beta on the
 * diagonal with the sign opposite to the column's leading entry); then R
 * (rr x n, row-major, zero below the diagonal) and, when q is not NULL, the
 * first qc columns of Q = H_0 ... H_{k-1} (row-major m x qc; LAPACK's
 * org2r, sytrd.h's) into q, with w a work of m * qc + ct_refl_work(m, qc)
 * elements. -1 (nothing further defined) where a column's sum of squares
 * leaves the range where it is exact to rounding, as la_geqr2_ */
CT_MULTIVERSION
static int LA_F(la_qr_one_)(LA_T *a, int64_t m, int64_t n, LA_T *tau, LA_T *r, int64_t rr,
                            LA_T *q, int64_t qc, LA_T *w)
{
    int64_t k = m < n ? m : n;
    for (int64_t j = 0; j < k; j++) {
        LA_T *cj = a + j * m;
        if (LA_F(la_larfg_)(cj, j, m, tau + j))
            return -1;
        if (tau[j] == 0)
            continue;
        LA_T tj = tau[j];
        for (int64_t c = j + 1; c < n; c++) {
            LA_T *cc = a + c * m;
            LA_T d = cc[j];
            for (int64_t i = j + 1; i < m; i++)
                d += cj[i] * cc[i];
            d *= tj;
            cc[j] -= d;
            for (int64_t i = j + 1; i < m; i++)
                cc[i] -= d * cj[i];
        }
    }
    LA_F(la_qr_r_)(a, m, n, r, rr);
    if (q == NULL)
        return 0;
    LA_ORG2R(m, qc, k, a, m, tau, w, m, w + m * qc);
    LA_F(la_transpose_)(w, q, qc, m);
    return 0;
}

/* geqr2 with LAPACK's reflectors (dlarfg) on the column-major m x n panel
 * a (lead dim lda): -1, nothing further defined, where a column's sum of
 * squares leaves the range where it is exact to rounding (inf, NaN, or
 * nonzero entries whose squares underflow); LAPACK's scaled norms then
 * take over */
CT_MULTIVERSION
static int LA_F(la_geqr2_)(LA_T *a, int64_t lda, int64_t m, int64_t n, LA_T *tau)
{
    int64_t k = m < n ? m : n;
    for (int64_t j = 0; j < k; j++) {
        LA_T *cj = a + j * lda;
        if (LA_F(la_larfg_)(cj, j, m, tau + j))
            return -1;
        if (tau[j] == 0)
            continue;
        LA_T tj = tau[j];
        int64_t c = j + 1;
        /* two columns at a time: the reflector read once for both */
        for (; c + 2 <= n; c += 2) {
            LA_T *restrict c0 = a + c * lda, *restrict c1 = c0 + lda;
            LA_T d0 = (LA_F(la_dot_)(cj + j + 1, c0 + j + 1, m - j - 1) + c0[j]) * tj;
            LA_T d1 = (LA_F(la_dot_)(cj + j + 1, c1 + j + 1, m - j - 1) + c1[j]) * tj;
            c0[j] -= d0;
            c1[j] -= d1;
            for (int64_t i = j + 1; i < m; i++) {
                c0[i] -= d0 * cj[i];
                c1[i] -= d1 * cj[i];
            }
        }
        for (; c < n; c++) {
            LA_T *cc = a + c * lda;
            LA_T d = (LA_F(la_dot_)(cj + j + 1, cc + j + 1, m - j - 1) + cc[j]) * tj;
            cc[j] -= d;
            for (int64_t i = j + 1; i < m; i++)
                cc[i] -= d * cj[i];
        }
    }
    return 0;
}

/* v (column-major m x kb, lead dim m): the reflectors below the diagonal of
 * the panel a (lead dim lda) with their unit diagonal and zeros above */
static void LA_F(la_qr_v_)(const LA_T *a, int64_t lda, int64_t m, int64_t kb, LA_T *v)
{
    for (int64_t c = 0; c < kb; c++) {
        const LA_T *ac = a + c * lda;
        LA_T *vc = v + c * m;
        for (int64_t i = 0; i < c && i < m; i++)
            vc[i] = 0;
        if (c < m)
            vc[c] = 1;
        for (int64_t i = c + 1; i < m; i++)
            vc[i] = ac[i];
    }
}

/* the upper triangular T (kb x kb, lead dim kb, zero below) of the block
 * reflector H_0 ... H_{kb-1} = I - V T V^T (LAPACK's larft, forward and
 * columnwise), from G = V^T V (lead dim kb) */
static void LA_F(la_qr_t_)(const LA_T *g, const LA_T *tau, int64_t kb, LA_T *t)
{
    for (int64_t i = 0; i < kb; i++) {
        LA_T *ti = t + i * kb;
        for (int64_t l = 0; l < kb; l++)
            ti[l] = 0;
        LA_T tj = tau[i];
        ti[i] = tj;
        if (tj == 0)
            continue;
        /* T[0:i, i] = -tau_i T[0:i, 0:i] (V[:, 0:i]^T v_i) */
        for (int64_t r = 0; r < i; r++) {
            LA_T s = 0;
            for (int64_t l = r; l < i; l++)
                s += t[l * kb + r] * g[i * kb + l];
            ti[r] = -tj * s;
        }
    }
}

/* V (column-major mj x kb, its unit lower trapezoid explicit) and T of the
 * kb reflectors stored below the diagonal of the panel a (lead dim lda) */
static void LA_F(la_qr_vt_)(ct_la_gemm_fn gemm, const LA_T *a, int64_t lda, int64_t mj,
                            int64_t kb, const LA_T *tau, LA_T *v, LA_T *g, LA_T *t)
{
    LA_T one = 1, zero = 0;
    LA_F(la_qr_v_)(a, lda, mj, kb, v);
    gemm(LA_DT, 'T', 'N', (int)kb, (int)kb, (int)mj, &one, (char *)v, (int)mj, la_zero_off,
         (char *)v, (int)mj, la_zero_off, &zero, (char *)g, (int)kb, 1);
    LA_F(la_qr_t_)(g, tau, kb, t);
}

/* C (mj x nc, lead dim ldc) = (I - V op(T) V^T) C, op(T) = T^T (trans) or
 * T, through w (2 * kb * nc) */
static void LA_F(la_qr_apply_)(ct_la_gemm_fn gemm, const LA_T *v, const LA_T *t, int trans,
                               int64_t mj, int64_t kb, LA_T *c, int64_t ldc, int64_t nc, LA_T *w)
{
    LA_T one = 1, zero = 0, minus = -1;
    LA_T *w1 = w, *w2 = w + kb * nc;
    gemm(LA_DT, 'T', 'N', (int)kb, (int)nc, (int)mj, &one, (char *)v, (int)mj, la_zero_off,
         (char *)c, (int)ldc, la_zero_off, &zero, (char *)w1, (int)kb, 1);
    gemm(LA_DT, trans ? 'T' : 'N', 'N', (int)kb, (int)nc, (int)kb, &one, (char *)t, (int)kb,
         la_zero_off, (char *)w1, (int)kb, la_zero_off, &zero, (char *)w2, (int)kb, 1);
    gemm(LA_DT, 'N', 'N', (int)mj, (int)nc, (int)kb, &minus, (char *)v, (int)mj, la_zero_off,
         (char *)w2, (int)kb, la_zero_off, &one, (char *)c, (int)ldc, 1);
}

/* the work la_geqrf_ takes for an m x n matrix and blocks of bs columns */
static int64_t LA_F(la_geqrf_work_)(int64_t m, int64_t n, int64_t bs)
{
    if (bs < LA_QMIN)
        return 0;
    return m * bs + 2 * bs * bs + 2 * bs * n + LA_F(la_geqrf_work_)(m, bs, bs / LA_QDIV);
}

/* geqrf on the column-major m x n matrix a (lead dim lda): blocks of bs
 * columns, each factored the same way with blocks of bs / LA_QDIV (geqr2 below
 * LA_QMIN), the columns after it updated by its block reflector through
 * gemm; -1 as la_geqr2_ */
static int LA_F(la_geqrf_)(ct_la_gemm_fn gemm, LA_T *a, int64_t lda, int64_t m, int64_t n,
                           LA_T *tau, int64_t bs, LA_T *w)
{
    int64_t k = m < n ? m : n;
    if (bs < LA_QMIN || k <= LA_QMIN)
        return LA_F(la_geqr2_)(a, lda, m, n, tau);
    LA_T *v = w, *g = v + m * bs, *t = g + bs * bs, *w1 = t + bs * bs, *sub = w1 + 2 * bs * n;
    for (int64_t j = 0; j < k; j += bs) {
        int64_t kb = k - j < bs ? k - j : bs, mj = m - j, nc = n - j - kb;
        LA_T *aj = a + j * lda + j;
        if (LA_F(la_geqrf_)(gemm, aj, lda, mj, kb, tau + j, bs / LA_QDIV, sub))
            return -1;
        if (nc > 0) {
            LA_F(la_qr_vt_)(gemm, aj, lda, mj, kb, tau + j, v, g, t);
            LA_F(la_qr_apply_)(gemm, v, t, 1, mj, kb, aj + kb * lda, lda, nc, w1);
        }
    }
    return 0;
}

/* org2r by blocks of LA_QB_FOR(k) reflectors (LAPACK's orgqr): each
 * block's V and T (la_qr_vt_) applied to qw's rows and columns from the
 * block's first on, the last block first. w: la_orgqr_work_ elements. */
static int64_t LA_F(la_orgqr_work_)(int64_t m, int64_t k, int64_t qc)
{
    int64_t qb = LA_QB_FOR(k);
    return m * qb + 2 * qb * qb + 2 * qb * qc;
}

static void LA_F(la_orgqr_blocked_)(ct_la_gemm_fn gemm, const LA_T *a, int64_t lda, int64_t m,
                                    int64_t k, const LA_T *tau, LA_T *qw, int64_t qc, LA_T *w)
{
    int64_t qb = LA_QB_FOR(k);
    LA_T *v = w, *g = v + m * qb, *t = g + qb * qb, *w1 = t + qb * qb;
    memset(qw, 0, sizeof(LA_T) * m * qc);
    for (int64_t i = 0; i < qc && i < m; i++)
        qw[i * m + i] = 1;
    for (int64_t j = k > 0 ? ((k - 1) / qb) * qb : -1; j >= 0; j -= qb) {
        int64_t kb = k - j < qb ? k - j : qb, mj = m - j, nc = qc - j;
        if (nc <= 0)
            continue;
        LA_F(la_qr_vt_)(gemm, a + j * lda + j, lda, mj, kb, tau + j, v, g, t);
        LA_F(la_qr_apply_)(gemm, v, t, 0, mj, kb, qw + j * m + j, m, nc, w1);
    }
}

/* QR of the column-major m x n matrix a (lead dim m), blocked (la_geqrf_);
 * then R (rr x n row-major) into r and, unless q is NULL, Q's first qc
 * columns (row-major m x qc) by applying the block reflectors to I[:, :qc]
 * in reverse order (LAPACK's orgqr). w: la_qr_blocked_work_ elements. -1
 * (as la_geqr2_) leaves the outputs undefined. */
static int64_t LA_F(la_qr_blocked_work_)(int64_t m, int64_t n, int64_t qc)
{
    int64_t k = m < n ? m : n, wn = n > qc ? n : qc, qb = LA_QB_FOR(k);
    int64_t f = LA_F(la_geqrf_work_)(m, n, qb);
    int64_t o = m * qc + LA_F(la_orgqr_work_)(m, k, wn);
    return k + (f > o ? f : o) + 1;
}

static int LA_F(la_qr_blocked_)(ct_la_gemm_fn gemm, LA_T *a, int64_t m, int64_t n, LA_T *r,
                                int64_t rr, LA_T *q, int64_t qc, LA_T *w)
{
    int64_t k = m < n ? m : n, qb = LA_QB_FOR(k);
    LA_T *tau = w, *ws = w + k;
    if (LA_F(la_geqrf_)(gemm, a, m, m, n, tau, qb, ws))
        return -1;
    LA_F(la_qr_r_)(a, m, n, r, rr);
    if (q == NULL)
        return 0;
    LA_F(la_orgqr_blocked_)(gemm, a, m, m, k, tau, ws, qc, ws + m * qc);
    LA_F(la_transpose_)(ws, q, qc, m);
    return 0;
}

static int LA_F(la_qr_all_)(ct_la_gemm_fn gemm, const LA_T *src, LA_T *q, LA_T *r, int64_t nb,
                            int64_t m, int64_t n, int64_t qc, int64_t rr)
{
    int64_t mn = m * n, k = m < n ? m : n;
    if (gemm != NULL && (m > LA_QSMALL || n > LA_QSMALL)) {
        size_t len = (size_t)(mn + LA_F(la_qr_blocked_work_)(m, n, qc));
        LA_T *a = (LA_T *)malloc(sizeof(LA_T) * len);
        if (a == NULL)
            return -1;
        int rc = 0;
        for (int64_t b = 0; b < nb && rc == 0; b++) {
            LA_F(la_transpose_)(src + b * mn, a, m, n);
            rc = LA_F(la_qr_blocked_)(gemm, a, m, n, r + b * rr * n, rr,
                                      q == NULL ? NULL : q + b * m * qc, qc, a + mn);
        }
        free(a);
        return rc;
    }
    int par = LA_PAR(nb, nb * mn * (qc > n ? qc : n));
    int fail = 0;
    CT_PARALLEL_IF(par, "omp parallel",
    {
        LA_T *a = (LA_T *)malloc(sizeof(LA_T) * (mn + m * qc + ct_refl_work(m, qc) + k));
        if (a == NULL) {
_Pragma("omp atomic write")
            fail = 1;
        } else {
_Pragma("omp for schedule(static)")
            for (int64_t b = 0; b < nb; b++) {
                LA_F(la_transpose_)(src + b * mn, a, m, n);
                LA_T *tau = a + mn + m * qc + ct_refl_work(m, qc);
                if (LA_F(la_qr_one_)(a, m, n, tau, r + b * rr * n, rr,
                                     q == NULL ? NULL : q + b * m * qc, qc, a + mn))
_Pragma("omp atomic write")
                    fail = 1;
            }
            free(a);
        }
    });
    return fail ? -1 : 0;
}

/* LAPACK's geqrf for nb row-major m x n matrices src: R on and above the
 * diagonal and the reflectors below it (row-major) into h, their factors
 * (nb x k) into tau; blocked on gemm past LA_QSMALL. -1 as la_geqr2_ (a
 * column's norm that needs LAPACK's scaling) or out of memory. */
static int LA_F(la_geqrf_all_)(ct_la_gemm_fn gemm, const LA_T *src, LA_T *h, LA_T *tau,
                               int64_t nb, int64_t m, int64_t n)
{
    int64_t mn = m * n, k = m < n ? m : n, qb = LA_QB_FOR(k);
    int blocked = gemm != NULL && (m > LA_QSMALL || n > LA_QSMALL);
    LA_T *a = (LA_T *)malloc(sizeof(LA_T) * (size_t)(mn + (blocked ? LA_F(la_geqrf_work_)(m, n, qb) : 0) + 1));
    if (a == NULL)
        return -1;
    int rc = 0;
    for (int64_t b = 0; b < nb && rc == 0; b++) {
        LA_F(la_transpose_)(src + b * mn, a, m, n);
        rc = blocked ? LA_F(la_geqrf_)(gemm, a, m, m, n, tau + b * k, qb, a + mn)
                     : LA_F(la_geqr2_)(a, m, m, n, tau + b * k);
        if (rc == 0)
            LA_F(la_transpose_)(a, h + b * mn, n, m);
    }
    free(a);
    return rc;
}

/* Q = H_0 ... H_{k-1} I[:, :n] for nb column-major m x n matrices a (lead
 * dim m, one after another; the reflectors below the diagonal of the first
 * k columns, as geqrf leaves them) and their factors tau (nb x k), into q
 * (the same layout): sytrd.h's org2r for small ones (LA_ORG_SMALL),
 * la_orgqr_blocked_ for the others where gemm is given. -1: out of
 * memory. */
static int LA_F(la_orgqr_all_)(ct_la_gemm_fn gemm, const LA_T *a, const LA_T *tau, LA_T *q,
                               int64_t nb, int64_t m, int64_t n, int64_t k)
{
    int64_t mn = m * n;
    if (gemm != NULL && !LA_ORG_SMALL(m, n)) {
        LA_T *w = (LA_T *)malloc(sizeof(LA_T) * LA_F(la_orgqr_work_)(m, k, n));
        if (w == NULL)
            return -1;
        for (int64_t b = 0; b < nb; b++)
            LA_F(la_orgqr_blocked_)(gemm, a + b * mn, m, m, k, tau + b * k, q + b * mn, n, w);
        free(w);
        return 0;
    }
    int par = LA_PAR(nb, nb * mn * n);
    int fail = 0;
    CT_PARALLEL_IF(par, "omp parallel",
    {
        LA_T *w = (LA_T *)malloc(sizeof(LA_T) * ct_refl_work(m, n));
        if (w == NULL) {
_Pragma("omp atomic write")
            fail = 1;
        } else {
_Pragma("omp for schedule(static)")
            for (int64_t b = 0; b < nb; b++)
                LA_ORG2R(m, n, k, a + b * mn, m, tau + b * k, q + b * mn, m, w);
            free(w);
        }
    });
    return fail ? -1 : 0;
}

/* LAPACK's ormqr for nb row-major matrices c (mc x nc, overwritten): op(Q)
 * c (left; mc == m) or c op(Q) (right; nc == m), op(Q) = Q^T when trans,
 * Q = H_0 ... H_{k-1} from the reflectors below the diagonal of the first
 * k columns of the row-major m x na matrices h and their factors tau
 * (nb x k). By blocks of LA_QB_FOR(k) reflectors, each block's V and T
 * (la_qr_vt_) applied as I - V op(T) V^T (la_qr_apply_) to the
 * column-major m-row matrix X the reflectors act on: c's transpose copied
 * (left), or c's own memory read as the column-major transpose (right,
 * where c op(Q) = (op(Q)^T c^T)^T). The blocks go in the order that
 * builds op(Q) (left) or op(Q)^T (right): forward, with T^T, for Q^T. -1:
 * out of memory. */
static int LA_F(la_ormqr_all_)(ct_la_gemm_fn gemm, const LA_T *h, const LA_T *tau, LA_T *c,
                               int64_t nb, int64_t m, int64_t na, int64_t k, int64_t mc,
                               int64_t nc, int left, int trans)
{
    int64_t qb = LA_QB_FOR(k), xc = left ? nc : mc;
    size_t work = (size_t)(m * k + m * qb + 2 * qb * qb + 2 * qb * xc + (left ? m * nc : 0));
    int fwd = left ? trans : !trans;
    /* products too small for the gemm's threads share the threads whole */
    int par = nb >= LA_ORM_PAR_MATS && 4.0 * m * k * xc < LA_ORM_PAR_FLOPS;
    int fail = 0;
    CT_PARALLEL_IF(par, "omp parallel",
    {
        LA_T *a = (LA_T *)malloc(sizeof(LA_T) * (work + 1));
        if (a == NULL) {
_Pragma("omp atomic write")
            fail = 1;
        } else {
            LA_T *v = a + m * k, *g = v + m * qb, *t = g + qb * qb, *w = t + qb * qb;
            LA_T *xl = w + 2 * qb * xc;
_Pragma("omp for schedule(static)")
            for (int64_t b = 0; b < nb; b++) {
                LA_T *cb = c + b * mc * nc, *x = left ? xl : cb;
                const LA_T *tb = tau + b * k;
                LA_F(la_transpose_ld_)(h + b * m * na, na, a, m, m, k);
                if (left)
                    LA_F(la_transpose_)(cb, x, m, nc);
                for (int64_t i = 0; i < k; i += qb) {
                    int64_t j = fwd ? i : ((k - 1) / qb) * qb - i;
                    int64_t kb = k - j < qb ? k - j : qb;
                    LA_F(la_qr_vt_)(gemm, a + j * m + j, m, m - j, kb, tb + j, v, g, t);
                    LA_F(la_qr_apply_)(gemm, v, t, fwd, m - j, kb, x + j, m, xc, w);
                }
                if (left)
                    LA_F(la_transpose_)(x, cb, nc, m);
            }
            free(a);
        }
    });
    return fail ? -1 : 0;
}

#undef LA_F
