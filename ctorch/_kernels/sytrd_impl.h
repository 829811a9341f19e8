/* The vector kernels of sytrd.h for one element type and vector width:
 * included by it once per pair, with CT_TRD_T (the element type: double,
 * or float), CT_TRD_I (the signed integer of its size), CT_TRD_W (elements
 * a vector), CT_TRD_SFX(name) (the names of this pair's functions) and
 * CT_TRD_TARGET (their target attribute) defined. */

typedef CT_TRD_T CT_TRD_SFX(ct_trd_v) __attribute__((vector_size(CT_TRD_W * sizeof(CT_TRD_T))));
typedef CT_TRD_I CT_TRD_SFX(ct_trd_l) __attribute__((vector_size(CT_TRD_W * sizeof(CT_TRD_T))));
#define CT_TRD_V CT_TRD_SFX(ct_trd_v)
#define CT_TRD_L CT_TRD_SFX(ct_trd_l)

/* r[0..3] = the sums of the lanes of a, b, c, d (vectors) */
#if CT_TRD_W == 8
#define CT_TRD_HSUM4(a, b, c, d, r) do { \
        CT_TRD_V ab_ = __builtin_shuffle(a, b, (CT_TRD_L){0, 8, 2, 10, 4, 12, 6, 14}) \
                       + __builtin_shuffle(a, b, (CT_TRD_L){1, 9, 3, 11, 5, 13, 7, 15}); \
        CT_TRD_V cd_ = __builtin_shuffle(c, d, (CT_TRD_L){0, 8, 2, 10, 4, 12, 6, 14}) \
                       + __builtin_shuffle(c, d, (CT_TRD_L){1, 9, 3, 11, 5, 13, 7, 15}); \
        CT_TRD_V s_ = __builtin_shuffle(ab_, cd_, (CT_TRD_L){0, 1, 8, 9, 4, 5, 12, 13}) \
                      + __builtin_shuffle(ab_, cd_, (CT_TRD_L){2, 3, 10, 11, 6, 7, 14, 15}); \
        (r)[0] = s_[0] + s_[4]; \
        (r)[1] = s_[1] + s_[5]; \
        (r)[2] = s_[2] + s_[6]; \
        (r)[3] = s_[3] + s_[7]; \
    } while (0)
#elif CT_TRD_W == 4
#define CT_TRD_HSUM4(a, b, c, d, r) do { \
        CT_TRD_V ab_ = __builtin_shuffle(a, b, (CT_TRD_L){0, 4, 2, 6}) \
                       + __builtin_shuffle(a, b, (CT_TRD_L){1, 5, 3, 7}); \
        CT_TRD_V cd_ = __builtin_shuffle(c, d, (CT_TRD_L){0, 4, 2, 6}) \
                       + __builtin_shuffle(c, d, (CT_TRD_L){1, 5, 3, 7}); \
        CT_TRD_V s_ = __builtin_shuffle(ab_, cd_, (CT_TRD_L){0, 1, 4, 5}) \
                      + __builtin_shuffle(ab_, cd_, (CT_TRD_L){2, 3, 6, 7}); \
        (r)[0] = s_[0]; \
        (r)[1] = s_[1]; \
        (r)[2] = s_[2]; \
        (r)[3] = s_[3]; \
    } while (0)
#else
#error "CT_TRD_W: 4 or 8"
#endif

/* the 2-norm of x[0:m], scaled by its largest magnitude */
static inline double CT_TRD_SFX(ct_trd_nrm2)(const CT_TRD_T *x, int64_t m)
{
    double mx = 0, s = 0;
    for (int64_t k = 0; k < m; k++)
        mx = fabs(x[k]) > mx ? fabs(x[k]) : mx;
    if (mx == 0)
        return 0;
    for (int64_t k = 0; k < m; k++)
        s += (x[k] / mx) * (x[k] / mx);
    return mx * sqrt(s);
}

/* LAPACK's dlarfg for the vector (alpha, x[0:m]) (in double for either
 * element type): x becomes the reflector's tail, *tau its factor, *scale
 * the factor x was multiplied by (0 where tau is 0); returns beta (the new
 * alpha) */
CT_TRD_INLINE double CT_TRD_SFX(ct_trd_larfg_s)(double alpha, CT_TRD_T *x, int64_t m,
                                                CT_TRD_T *tau, double *scale)
{
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, beta, scal;
    int64_t k;
    *tau = 0;
    *scale = 0;
    if (m <= 0)
        return alpha;
    for (k = 0; k + 4 <= m; k += 4) {
        s0 += (double)x[k] * x[k];
        s1 += (double)x[k + 1] * x[k + 1];
        s2 += (double)x[k + 2] * x[k + 2];
        s3 += (double)x[k + 3] * x[k + 3];
    }
    for (; k < m; k++)
        s0 += (double)x[k] * x[k];
    double ssq = (s0 + s1) + (s2 + s3);
    int knt = 0;
    /* the sum of squares without underflow or overflow: beta from it; LAPACK's
     * guarded steps otherwise */
    if (ssq >= 1e-280 && ssq <= 1e280 && fabs(alpha) <= 1e140) {
        beta = -copysign(sqrt(alpha * alpha + ssq), alpha);
    } else {
        /* dlamch('S') / dlamch('E') */
        const double safmin = 2.2250738585072014e-308 / 1.1102230246251565e-16;
        double xnorm = CT_TRD_SFX(ct_trd_nrm2)(x, m);
        if (xnorm == 0)
            return alpha;
        beta = -copysign(ct_trd_lapy2(alpha, xnorm), alpha);
        if (fabs(beta) < safmin) {
            do {
                knt++;
                for (k = 0; k < m; k++)
                    x[k] *= 1 / safmin;
                beta *= 1 / safmin;
                alpha *= 1 / safmin;
            } while (fabs(beta) < safmin && knt < 20);
            xnorm = CT_TRD_SFX(ct_trd_nrm2)(x, m);
            beta = -copysign(ct_trd_lapy2(alpha, xnorm), alpha);
        }
    }
    *tau = (beta - alpha) / beta;
    scal = 1 / (alpha - beta);
    for (k = 0; k < m; k++)
        x[k] *= scal;
    *scale = scal;
    for (; knt > 0; knt--) {
        beta *= 2.2250738585072014e-308 / 1.1102230246251565e-16;
        *scale *= 1 / (2.2250738585072014e-308 / 1.1102230246251565e-16);
    }
    return beta;
}

/* the same without the factor */
CT_TRD_INLINE double CT_TRD_SFX(ct_trd_larfg)(double alpha, CT_TRD_T *x, int64_t m,
                                              CT_TRD_T *tau)
{
    double scale;
    return CT_TRD_SFX(ct_trd_larfg_s)(alpha, x, m, tau, &scale);
}

/* Step i's rank-2 update and step i + 1's product on the lower triangle of
 * the ld x n scratch S (the rows above each column's diagonal are neither
 * read into the results nor written): columns j0 .. n - 1, rows from each
 * one's diagonal on: col_j -= v w_j + w v_j, then p = A u with A the
 * symmetric matrix that triangle holds (v, w, u: ld elements):
 * p[j] gets col_j . u over rows >= j, and p[r] col_j[r] u[j] for r > j.
 * Half the elements of a pass over both triangles, each read and written
 * once (the pass is bound by the cache's bandwidth at these orders: eigh
 * 256 0.96 -> 1.07 of PyTorch's speed, eigvalsh 512 0.96 -> 1.35). The
 * vectors that hold a column's diagonal (the first one or two of each
 * group of four columns) take masks; p is zeroed here from j0's vector
 * on. */
CT_TRD_INLINE void CT_TRD_SFX(ct_trd_update_dot_lo)(CT_TRD_T *S, int64_t ld, int64_t n,
                                                    int64_t j0, const CT_TRD_T *v,
                                                    const CT_TRD_T *w, const CT_TRD_T *u,
                                                    CT_TRD_T *p)
{
    int64_t j = j0, k, q;
    CT_TRD_L iota;
    for (q = 0; q < CT_TRD_W; q++)
        iota[q] = (CT_TRD_I)q;
    memset(p + j0 / CT_TRD_W * CT_TRD_W, 0, sizeof(CT_TRD_T) * (ld - j0 / CT_TRD_W * CT_TRD_W));
    for (; j < n; j += 4) {
        int64_t nc = n - j < 4 ? n - j : 4;
        CT_TRD_T *c[4];
        CT_TRD_T vj[4], wj[4], uj[4];
        for (q = 0; q < 4; q++) {
            /* a missing fourth column: a copy of the last with u = 0 whose
             * update is masked away */
            int64_t jq = q < nc ? j + q : j + nc - 1;
            c[q] = S + jq * ld;
            vj[q] = v[jq];
            wj[q] = w[jq];
            uj[q] = q < nc ? u[jq] : 0;
        }
        CT_TRD_V a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
        int64_t rs = j / CT_TRD_W * CT_TRD_W;
        int64_t re = (j + 3) / CT_TRD_W * CT_TRD_W + CT_TRD_W;
        if (re > ld)
            re = ld;
        /* the vectors that hold diagonals: rows r >= j + q of column q are
         * updated and dotted, rows r > j + q added to p */
        for (k = rs; k < re; k += CT_TRD_W) {
            CT_TRD_L ridx = iota + (CT_TRD_I)(k - j);
            CT_TRD_V vv = *(const CT_TRD_V *)(v + k), ww = *(const CT_TRD_V *)(w + k);
            CT_TRD_V uu = *(const CT_TRD_V *)(u + k), pp = *(CT_TRD_V *)(p + k);
            CT_TRD_V *acc[4] = {&a0, &a1, &a2, &a3};
            for (q = 0; q < 4; q++) {
                CT_TRD_L keep = ridx >= (CT_TRD_I)(q < nc ? q : 4 * CT_TRD_W);
                CT_TRD_L below = ridx > (CT_TRD_I)q;
                CT_TRD_V old = *(CT_TRD_V *)(c[q] + k);
                CT_TRD_V x = old - (vv * wj[q] + ww * vj[q]);
                x = (CT_TRD_V)(((CT_TRD_L)x & keep) | ((CT_TRD_L)old & ~keep));
                *(CT_TRD_V *)(c[q] + k) = x;
                CT_TRD_V xk = (CT_TRD_V)((CT_TRD_L)x & keep);
                *acc[q] += xk * uu;
                pp += (CT_TRD_V)((CT_TRD_L)xk & below) * uj[q];
            }
            *(CT_TRD_V *)(p + k) = pp;
        }
        if (nc == 4) {
            for (k = re; k < ld; k += CT_TRD_W) {
                CT_TRD_V vv = *(const CT_TRD_V *)(v + k), ww = *(const CT_TRD_V *)(w + k);
                CT_TRD_V uu = *(const CT_TRD_V *)(u + k);
                CT_TRD_V x0 = *(CT_TRD_V *)(c[0] + k) - (vv * wj[0] + ww * vj[0]);
                CT_TRD_V x1 = *(CT_TRD_V *)(c[1] + k) - (vv * wj[1] + ww * vj[1]);
                CT_TRD_V x2 = *(CT_TRD_V *)(c[2] + k) - (vv * wj[2] + ww * vj[2]);
                CT_TRD_V x3 = *(CT_TRD_V *)(c[3] + k) - (vv * wj[3] + ww * vj[3]);
                *(CT_TRD_V *)(c[0] + k) = x0;
                *(CT_TRD_V *)(c[1] + k) = x1;
                *(CT_TRD_V *)(c[2] + k) = x2;
                *(CT_TRD_V *)(c[3] + k) = x3;
                a0 += x0 * uu;
                a1 += x1 * uu;
                a2 += x2 * uu;
                a3 += x3 * uu;
                *(CT_TRD_V *)(p + k) += (x0 * uj[0] + x1 * uj[1]) + (x2 * uj[2] + x3 * uj[3]);
            }
        } else {
            for (q = 0; q < nc; q++) {
                CT_TRD_V *acc = q == 0 ? &a0 : q == 1 ? &a1 : &a2;
                for (k = re; k < ld; k += CT_TRD_W) {
                    CT_TRD_V x = *(CT_TRD_V *)(c[q] + k)
                                 - (*(const CT_TRD_V *)(v + k) * wj[q] + *(const CT_TRD_V *)(w + k) * vj[q]);
                    *(CT_TRD_V *)(c[q] + k) = x;
                    *acc += x * *(const CT_TRD_V *)(u + k);
                    *(CT_TRD_V *)(p + k) += x * uj[q];
                }
            }
        }
        CT_TRD_T h[4];
        CT_TRD_HSUM4(a0, a1, a2, a3, h);
        for (q = 0; q < nc; q++)
            p[j + q] += h[q];
    }
}

/* ct_dsytrd (sytrd.h) */
__attribute__((optimize("O3"))) CT_TRD_TARGET
static void CT_TRD_SFX(ct_sytrd)(char uplo, int64_t n, CT_TRD_T *a, int64_t lda, CT_TRD_T *d,
                                  CT_TRD_T *e, CT_TRD_T *tau, CT_TRD_T *work)
{
    int64_t ld = ct_trd_ld(n), i, j, r;
    int up = uplo == 'U' || uplo == 'u';
    CT_TRD_T *S = (CT_TRD_T *)(((uintptr_t)work + 63) & ~(uintptr_t)63);
    CT_TRD_T *v = S + ld * n, *w = v + ld, *u = w + ld, *p = u + ld;
    if (n <= 0)
        return;
    /* the lower triangle, rows beyond n zero, and the rows above the
     * diagonal that the pass's masked vectors read (2 W of them) zero too;
     * for 'U' the rows and columns reversed, so that the upper triangle
     * lands in the lower */
    for (j = 0; j < n; j++) {
        CT_TRD_T *c = S + j * ld;
        for (r = j > 2 * CT_TRD_W ? j - 2 * CT_TRD_W : 0; r < j; r++)
            c[r] = 0;
        if (!up) {
            for (r = j; r < n; r++)
                c[r] = a[r + j * lda];
        } else {
            const CT_TRD_T *ac = a + (n - 1 - j) * lda;
            for (r = j; r < n; r++)
                c[r] = ac[n - 1 - r];
        }
        for (r = n; r < ld; r++)
            c[r] = 0;
    }
    memset(v, 0, sizeof(CT_TRD_T) * 4 * ld);
    CT_TRD_T *s0 = S;
    d[0] = s0[0];
    if (n > 1) {
        /* the first reflector, and p = A22 v by the pass with zero v, w */
        e[0] = CT_TRD_SFX(ct_trd_larfg)(s0[1], s0 + 2, n - 2, tau);
        u[1] = 1;
        for (r = 2; r < n; r++)
            u[r] = s0[r];
        CT_TRD_SFX(ct_trd_update_dot_lo)(S, ld, n, 1, v, w, u, p);
        CT_TRD_T *t = v;
        v = u;
        u = t;
    }
    for (i = 0; i + 2 < n; i++) {
        /* apply reflector i (v, tau[i]; p = A22 v) to rows and columns
         * i + 1 .., and form reflector i + 1 */
        CT_TRD_T ti = tau[i], dot = 0;
        for (r = i + 1; r < n; r++) {
            w[r] = ti * p[r];
            dot += w[r] * v[r];
        }
        CT_TRD_T alpha = -0.5 * ti * dot;
        for (r = i + 1; r < n; r++)
            w[r] += alpha * v[r];
        CT_TRD_T *c = S + (i + 1) * ld;
        CT_TRD_T vc = v[i + 1], wc = w[i + 1];
        for (r = i + 1; r < n; r++)
            c[r] -= v[r] * wc + w[r] * vc;
        d[i + 1] = c[i + 1];
        e[i + 1] = CT_TRD_SFX(ct_trd_larfg)(c[i + 2], c + i + 3, n - i - 3, tau + i + 1);
        /* u: zero in rows .. i + 1 (it held reflector i - 1, rows i ..) */
        u[i] = 0;
        u[i + 1] = 0;
        u[i + 2] = 1;
        for (r = i + 3; r < n; r++)
            u[r] = c[r];
        CT_TRD_SFX(ct_trd_update_dot_lo)(S, ld, n, i + 2, v, w, u, p);
        CT_TRD_T *t = v;
        v = u;
        u = t;
        w[i + 1] = 0;
    }
    if (n > 1) {
        d[n - 1] = S[(n - 1) + (n - 1) * ld];
        tau[n - 2] = 0;
    }
    /* the results in LAPACK's layout */
    if (!up) {
        for (j = 0; j < n; j++) {
            a[j + j * lda] = d[j];
            if (j + 1 < n)
                a[j + 1 + j * lda] = e[j];
            for (r = j + 2; r < n; r++)
                a[r + j * lda] = S[r + j * ld];
        }
    } else {
        /* step s of the reversed sweep is LAPACK's reflector k = n - 2 - s,
         * its tail (rows s + 2 ..) in rows k - 1 .. 0 of column k + 1 */
        for (j = 0; j < n - 1 - j; j++) {
            CT_TRD_T t = d[j];
            d[j] = d[n - 1 - j];
            d[n - 1 - j] = t;
        }
        for (j = 0; j < n - 2 - j; j++) {
            CT_TRD_T t = e[j];
            e[j] = e[n - 2 - j];
            e[n - 2 - j] = t;
            t = tau[j];
            tau[j] = tau[n - 2 - j];
            tau[n - 2 - j] = t;
        }
        for (j = 0; j < n; j++) {
            a[j + j * lda] = d[j];
            if (j + 1 < n)
                a[j + (j + 1) * lda] = e[j];
        }
        for (int64_t s = 0; s + 2 < n; s++) {
            int64_t k = n - 2 - s;
            for (r = s + 2; r < n; r++)
                a[(n - 1 - r) + (k + 1) * lda] = S[r + s * ld];
        }
    }
}

/* ct_refl_apply (sytrd.h): the reflectors applied last to first, each to
 * the columns it changes, on an aligned copy of z whose rows are whole
 * vectors */
__attribute__((optimize("O3"))) CT_TRD_TARGET
static void CT_TRD_SFX(ct_refl_apply)(int64_t m, int64_t nz, int64_t k, const CT_TRD_T *a,
                                      int64_t lda, const CT_TRD_T *tau, int64_t off,
                                      CT_TRD_T *z, int64_t ldz, int ident, CT_TRD_T *work)
{
    int64_t ld = ct_trd_ld(m), i, j, r, kk;
    CT_TRD_T *Z = (CT_TRD_T *)(((uintptr_t)work + 63) & ~(uintptr_t)63);
    CT_TRD_T *u = Z + ld * nz;
    if (ident) {
        memset(Z, 0, sizeof(CT_TRD_T) * ld * nz);
        for (j = 0; j < nz && j < m; j++)
            Z[j * ld + j] = 1;
    } else {
        for (j = 0; j < nz; j++) {
            memcpy(Z + j * ld, z + j * ldz, sizeof(CT_TRD_T) * m);
            for (r = m; r < ld; r++)
                Z[j * ld + r] = 0;
        }
    }
    memset(u, 0, sizeof(CT_TRD_T) * ld);
    for (i = k - 1; i >= 0; i--) {
        /* H(i) = I - tau v v^T, v: 1 in row i + off, a's column i below it */
        CT_TRD_T t = tau[i];
        u[i + off] = 1;
        for (r = i + off + 1; r < m; r++)
            u[r] = a[r + i * lda];
        if (t == 0)
            continue;
        int64_t r0 = (i + off) / CT_TRD_W * CT_TRD_W;
        /* from an identity, the columns before i are unit columns above
         * row i, which H(i) leaves alone */
        for (j = ident ? i : 0; j + 4 <= nz; j += 4) {
            CT_TRD_T *c0 = Z + j * ld, *c1 = c0 + ld, *c2 = c1 + ld, *c3 = c2 + ld;
            CT_TRD_V a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
            CT_TRD_T h[4];
            for (kk = r0; kk < ld; kk += CT_TRD_W) {
                CT_TRD_V uu = *(const CT_TRD_V *)(u + kk);
                a0 += *(const CT_TRD_V *)(c0 + kk) * uu;
                a1 += *(const CT_TRD_V *)(c1 + kk) * uu;
                a2 += *(const CT_TRD_V *)(c2 + kk) * uu;
                a3 += *(const CT_TRD_V *)(c3 + kk) * uu;
            }
            CT_TRD_HSUM4(a0, a1, a2, a3, h);
            CT_TRD_T s0 = t * h[0], s1 = t * h[1], s2 = t * h[2], s3 = t * h[3];
            for (kk = r0; kk < ld; kk += CT_TRD_W) {
                CT_TRD_V uu = *(const CT_TRD_V *)(u + kk);
                *(CT_TRD_V *)(c0 + kk) -= uu * s0;
                *(CT_TRD_V *)(c1 + kk) -= uu * s1;
                *(CT_TRD_V *)(c2 + kk) -= uu * s2;
                *(CT_TRD_V *)(c3 + kk) -= uu * s3;
            }
        }
        for (; j < nz; j++) {
            CT_TRD_T *c0 = Z + j * ld;
            CT_TRD_V a0 = {0}, zero = {0};
            CT_TRD_T h[4];
            for (kk = r0; kk < ld; kk += CT_TRD_W)
                a0 += *(const CT_TRD_V *)(c0 + kk) * *(const CT_TRD_V *)(u + kk);
            CT_TRD_HSUM4(a0, zero, zero, zero, h);
            CT_TRD_T s0 = t * h[0];
            for (kk = r0; kk < ld; kk += CT_TRD_W)
                *(CT_TRD_V *)(c0 + kk) -= *(const CT_TRD_V *)(u + kk) * s0;
        }
    }
    for (j = 0; j < nz; j++)
        memcpy(z + j * ldz, Z + j * ld, sizeof(CT_TRD_T) * m);
}

/* ct_dormtr_ql by blocks of CT_ORM_NB reflectors (LAPACK's dormtr with
 * dlarft and dlarfb): the product H(i0) .. H(i1 - 1) of a block as
 * I - V T V^T (V the block's reflectors, zero above their leading 1; T
 * upper triangular, built column by column as dlarft does), applied to z
 * as z - V (T (V^T z)) by three gemm calls, the blocks from the last to the
 * first. The same product as ct_dormtr_ql, at gemm's speed. */
static inline void CT_TRD_SFX(ct_ormtr_ql_blocked)(int64_t n, const CT_TRD_T *a, int64_t lda,
                                                   const CT_TRD_T *tau, CT_TRD_T *z,
                                                   int64_t ldz, CT_TRD_T *work,
                                                   CT_TRD_GEMM gemm)
{
    const int64_t NB = CT_ORM_NB;
    CT_TRD_T *V = work, *T = V + n * NB, *W = T + NB * NB, *W2 = W + NB * n;
    char cn = 'N', ct = 'T';
    CT_TRD_T one = 1, zero = 0, minus = -1;
    int in = (int)n, ildz = (int)ldz, inb = (int)NB;
    for (int64_t i1 = n - 1; i1 > 0; i1 -= NB) {
        int64_t i0 = i1 - NB > 0 ? i1 - NB : 0, kb = i1 - i0, r0 = i0 + 1, m = n - r0;
        /* V (m x kb, column-major): reflector i0 + j has its 1 in row j */
        for (int64_t j = 0; j < kb; j++) {
            CT_TRD_T *vj = V + j * m;
            const CT_TRD_T *aj = a + (i0 + j) * lda + r0;
            for (int64_t q = 0; q < j; q++)
                vj[q] = 0;
            vj[j] = 1;
            for (int64_t q = j + 1; q < m; q++)
                vj[q] = aj[q];
        }
        int im = (int)m, ikb = (int)kb;
        /* T: T[j][j] = tau_j, T[0:j, j] = -tau_j T[0:j, 0:j] V[:, 0:j]^T v_j,
         * the products V^T V by one gemm into W (v_j is zero above its 1, so
         * its dot products with the others are those of rows j on) */
        gemm(&ct, &cn, &ikb, &ikb, &im, &one, V, &im, V, &im, &zero, W, &ikb);
        for (int64_t j = 0; j < kb; j++) {
            CT_TRD_T tj = tau[i0 + j], *tc = T + j * NB;
            for (int64_t l = 0; l < j; l++)
                tc[l] = -tj * W[l + j * kb];
            for (int64_t l = 0; l < j; l++) {          /* tc[0:j] = T[0:j, 0:j] tc[0:j] */
                CT_TRD_T s = 0;
                for (int64_t q = l; q < j; q++)
                    s += T[l + q * NB] * tc[q];
                tc[l] = s;
            }
            tc[j] = tj;
            for (int64_t l = j + 1; l < kb; l++)
                tc[l] = 0;
        }
        /* W = V^T z[r0:, :], W2 = T W, z[r0:, :] -= V W2 */
        gemm(&ct, &cn, &ikb, &in, &im, &one, V, &im, z + r0, &ildz, &zero, W, &ikb);
        gemm(&cn, &cn, &ikb, &in, &ikb, &one, T, &inb, W, &ikb, &zero, W2, &ikb);
        gemm(&cn, &cn, &im, &in, &ikb, &minus, V, &im, W2, &ikb, &one, z + r0, &ildz);
    }
}

/* Step i's pass of ct_gebrd over the columns i + 1 .. n - 1 of the ld x n
 * scratch S, rows r0 .. ld - 1 (r0 a multiple of the vector width), all
 * vectors ld long and zero outside their rows: each column first takes the
 * right reflector of step i - 1 (col_j -= cz[j] z), then the left one of
 * step i (w_j = col_j . u, col_j -= (tq w_j) u); its row i is then the
 * row the right reflector of step i reduces, kept in rr[j], and
 * y += col_j rr[j] for j >= i + 2 (so that y + col_{i+1} rr[i+1] is A r). */
CT_TRD_INLINE void CT_TRD_SFX(ct_brd_pass)(CT_TRD_T *S, int64_t ld, int64_t n, int64_t i,
                                           int64_t r0, const CT_TRD_T *z, const CT_TRD_T *cz,
                                           const CT_TRD_T *u, CT_TRD_T tq, CT_TRD_T *y,
                                           CT_TRD_T *rr)
{
    int64_t j = i + 1, k;
    for (; j + 4 <= n; j += 4) {
        CT_TRD_T *c0 = S + j * ld, *c1 = c0 + ld, *c2 = c1 + ld, *c3 = c2 + ld;
        CT_TRD_T z0 = cz[j], z1 = cz[j + 1], z2 = cz[j + 2], z3 = cz[j + 3];
        CT_TRD_V a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
        for (k = r0; k < ld; k += CT_TRD_W) {
            CT_TRD_V zz = *(const CT_TRD_V *)(z + k), uu = *(const CT_TRD_V *)(u + k);
            CT_TRD_V x0 = *(CT_TRD_V *)(c0 + k) - zz * z0;
            CT_TRD_V x1 = *(CT_TRD_V *)(c1 + k) - zz * z1;
            CT_TRD_V x2 = *(CT_TRD_V *)(c2 + k) - zz * z2;
            CT_TRD_V x3 = *(CT_TRD_V *)(c3 + k) - zz * z3;
            *(CT_TRD_V *)(c0 + k) = x0;
            *(CT_TRD_V *)(c1 + k) = x1;
            *(CT_TRD_V *)(c2 + k) = x2;
            *(CT_TRD_V *)(c3 + k) = x3;
            a0 += x0 * uu;
            a1 += x1 * uu;
            a2 += x2 * uu;
            a3 += x3 * uu;
        }
        CT_TRD_T w[4], cw[4], ry[4];
        CT_TRD_HSUM4(a0, a1, a2, a3, w);
        for (int q = 0; q < 4; q++) {
            cw[q] = tq * w[q];
            /* row i after the left reflector (u[i] = 1), as the loop below
             * leaves it */
            rr[j + q] = S[(j + q) * ld + i] - cw[q];
            ry[q] = j + q == i + 1 ? 0 : rr[j + q];
        }
        for (k = r0; k < ld; k += CT_TRD_W) {
            CT_TRD_V uu = *(const CT_TRD_V *)(u + k);
            CT_TRD_V x0 = *(CT_TRD_V *)(c0 + k) - uu * cw[0];
            CT_TRD_V x1 = *(CT_TRD_V *)(c1 + k) - uu * cw[1];
            CT_TRD_V x2 = *(CT_TRD_V *)(c2 + k) - uu * cw[2];
            CT_TRD_V x3 = *(CT_TRD_V *)(c3 + k) - uu * cw[3];
            *(CT_TRD_V *)(c0 + k) = x0;
            *(CT_TRD_V *)(c1 + k) = x1;
            *(CT_TRD_V *)(c2 + k) = x2;
            *(CT_TRD_V *)(c3 + k) = x3;
            *(CT_TRD_V *)(y + k) += (x0 * ry[0] + x1 * ry[1]) + (x2 * ry[2] + x3 * ry[3]);
        }
    }
    for (; j < n; j++) {
        CT_TRD_T *c0 = S + j * ld;
        CT_TRD_T z0 = cz[j];
        CT_TRD_V a0 = {0}, zv = {0};
        for (k = r0; k < ld; k += CT_TRD_W) {
            CT_TRD_V x0 = *(CT_TRD_V *)(c0 + k) - *(const CT_TRD_V *)(z + k) * z0;
            *(CT_TRD_V *)(c0 + k) = x0;
            a0 += x0 * *(const CT_TRD_V *)(u + k);
        }
        CT_TRD_T h[4];
        CT_TRD_HSUM4(a0, zv, zv, zv, h);
        CT_TRD_T cw = tq * h[0];
        rr[j] = c0[i] - cw;
        CT_TRD_T ry = j == i + 1 ? 0 : rr[j];
        for (k = r0; k < ld; k += CT_TRD_W) {
            CT_TRD_V x0 = *(CT_TRD_V *)(c0 + k) - *(const CT_TRD_V *)(u + k) * cw;
            *(CT_TRD_V *)(c0 + k) = x0;
            *(CT_TRD_V *)(y + k) += x0 * ry;
        }
    }
}

/* ct_dgebrd (sytrd.h) */
__attribute__((optimize("O3"), unused)) CT_TRD_TARGET
static void CT_TRD_SFX(ct_gebrd)(int64_t m, int64_t n, const CT_TRD_T *a, int64_t lda, int trans,
                                 CT_TRD_T *d, CT_TRD_T *e, CT_TRD_T *out, int64_t ldo,
                                 CT_TRD_T *tauq, CT_TRD_T *taup, CT_TRD_T *work)
{
    int64_t ld = ct_trd_ld(m), i, j, r;
    CT_TRD_T *S = (CT_TRD_T *)(((uintptr_t)work + 63) & ~(uintptr_t)63);
    CT_TRD_T *u = S + ld * n, *z = u + ld, *y = z + ld, *v = y + ld, *cz = v + ld, *rr = cz + ld;
    for (j = 0; j < n; j++) {
        if (trans)
            for (r = 0; r < m; r++)
                S[j * ld + r] = a[j + r * lda];
        else
            memcpy(S + j * ld, a + j * lda, sizeof(CT_TRD_T) * m);
        for (r = m; r < ld; r++)
            S[j * ld + r] = 0;
    }
    memset(u, 0, sizeof(CT_TRD_T) * 6 * ld);
    CT_TRD_T tpv = 0;
    for (i = 0; i < n; i++) {
        CT_TRD_T *c = S + i * ld, tq, tp;
        /* column i: the right reflector of step i - 1 (v[i] = 1), then the
         * left reflector of step i from it */
        if (tpv != 0)
            for (r = i; r < m; r++)
                c[r] -= z[r] * tpv;
        d[i] = CT_TRD_SFX(ct_trd_larfg)(c[i], c + i + 1, m - i - 1, &tq);
        c[i] = d[i];
        if (out) {
            tauq[i] = tq;
            taup[i] = 0;
        }
        if (i + 1 == n)
            break;
        int64_t r0 = i / CT_TRD_W * CT_TRD_W;
        if (i > 0)
            u[i - 1] = 0;
        u[i] = 1;
        for (r = i + 1; r < m; r++)
            u[r] = c[r];
        for (j = i + 1; j < n; j++)
            cz[j] = tpv * v[j];
        memset(y + r0, 0, sizeof(CT_TRD_T) * (ld - r0));
        CT_TRD_SFX(ct_brd_pass)(S, ld, n, i, r0, z, cz, u, tq, y, rr);
        /* the right reflector of step i from row i (columns i + 1 ..), and
         * z = A v over rows i + 1 .. (v = 1, scale rr[i + 2 ..]) */
        for (j = i + 2; j < n; j++)
            v[j] = rr[j];
        double scale;
        e[i] = CT_TRD_SFX(ct_trd_larfg_s)(rr[i + 1], v + i + 2, n - i - 2, &tp, &scale);
        tpv = tp;
        v[i + 1] = 1;
        if (out) {
            /* row i: e and the reflector's tail (no later step writes it) */
            taup[i] = tp;
            S[(i + 1) * ld + i] = e[i];
            for (j = i + 2; j < n; j++)
                S[j * ld + i] = v[j];
        }
        const CT_TRD_T *c1 = S + (i + 1) * ld;
        CT_TRD_T sc = (CT_TRD_T)scale;
        for (r = r0; r <= i; r++)
            z[r] = 0;
        for (r = i + 1; r < ld; r++)
            z[r] = c1[r] + y[r] * sc;
    }
    if (out)
        for (j = 0; j < n; j++)
            memcpy(out + j * ldo, S + j * ld, sizeof(CT_TRD_T) * m);
}

/* ct_dsteqr (sytrd.h): implicit QL with Wilkinson's shift on the
 * tridiagonal matrix scaled by a power of two to a norm in [1/2, 1), its
 * recurrence in double for either element type; each plane rotation
 * applied to two columns of an aligned copy of z (whole vectors, the
 * padding rows zero) as soon as it is known, so that the rotations' updates
 * fill the waits of the recurrence (a square root and a division a step) */
__attribute__((optimize("O3"))) CT_TRD_TARGET
static int64_t CT_TRD_SFX(ct_steqr)(int64_t n, CT_TRD_T *d, CT_TRD_T *e, CT_TRD_T *z,
                                    int64_t ldz, CT_TRD_T *work)
{
    int64_t ld = ct_trd_ld(n), i, j, k, l, m;
    CT_TRD_T *Z = (CT_TRD_T *)(((uintptr_t)work + 63) & ~(uintptr_t)63);
    double *dd = (double *)(Z + ld * n), *ee = dd + n;
    /* the deflation test's eps: the element type's */
    const double eps = sizeof(CT_TRD_T) == 4 ? 0x1p-24 : 0x1p-53, eps2 = eps * eps;
    const double safmin = 2.2250738585072014e-308;
    double anorm = 0;
    int ex;
    if (n <= 0)
        return 0;
    for (i = 0; i < n; i++) {
        dd[i] = d[i];
        ee[i] = i + 1 < n ? (double)e[i] : 0.0;
        anorm = fabs(dd[i]) > anorm ? fabs(dd[i]) : anorm;
        anorm = fabs(ee[i]) > anorm ? fabs(ee[i]) : anorm;
    }
    memset(Z, 0, sizeof(CT_TRD_T) * ld * n);
    for (j = 0; j < n; j++)
        Z[j * ld + j] = 1;
    if (anorm > 0) {
        frexp(anorm, &ex);
        double sc = ldexp(1.0, -ex);
        for (i = 0; i < n; i++) {
            dd[i] *= sc;
            ee[i] *= sc;
        }
    }
    int64_t iters = 0, maxit = 30 * n;
    for (l = 0; l < n; l++) {
        for (;;) {
            /* the first negligible off-diagonal entry from l on (LAPACK's
             * test, relative to its two diagonal neighbours) */
            for (m = l; m + 1 < n; m++)
                if (ee[m] * ee[m] <= eps2 * fabs(dd[m]) * fabs(dd[m + 1]) + safmin)
                    break;
            if (m == l)
                break;
            if (++iters > maxit)
                goto fail;
            double g = (dd[l + 1] - dd[l]) / (2 * ee[l]);
            double r = ct_trd_lapy2(g, 1.0);
            g = dd[m] - dd[l] + ee[l] / (g + copysign(r, g));
            double s = 1, c = 1, p = 0;
            for (i = m - 1; i >= l; i--) {
                double f = s * ee[i], b = c * ee[i];
                double r2 = f * f + g * g;
                r = sqrt(r2);
                if (r2 < 0x1p-960)
                    r = ct_trd_lapy2(f, g);
                ee[i + 1] = r;
                if (r == 0) {
                    /* f and g both zero: the block splits here */
                    dd[i + 1] -= p;
                    ee[m] = 0;
                    break;
                }
                double ri = 1 / r;
                s = f * ri;
                c = g * ri;
                g = dd[i + 1] - p;
                r = (dd[i] - g) * s + 2 * c * b;
                p = s * r;
                dd[i + 1] = g + p;
                g = c * r - b;
                /* columns i and i + 1 of Z times the rotation [[c, s], [-s, c]] */
                CT_TRD_T cv = (CT_TRD_T)c, sv = (CT_TRD_T)s;
                CT_TRD_T *zi = Z + i * ld, *zj = zi + ld;
                for (k = 0; k < ld; k += CT_TRD_W) {
                    CT_TRD_V a = *(CT_TRD_V *)(zi + k), bb = *(CT_TRD_V *)(zj + k);
                    *(CT_TRD_V *)(zj + k) = a * sv + bb * cv;
                    *(CT_TRD_V *)(zi + k) = a * cv - bb * sv;
                }
            }
            if (i >= l)
                continue;
            dd[l] -= p;
            ee[l] = g;
            ee[m] = 0;
        }
    }
    /* ascending, by selection (the fewest column swaps) */
    for (i = 0; i + 1 < n; i++) {
        k = i;
        for (j = i + 1; j < n; j++)
            if (dd[j] < dd[k])
                k = j;
        if (k != i) {
            double t = dd[i];
            dd[i] = dd[k];
            dd[k] = t;
            CT_TRD_T *zi = Z + i * ld, *zk = Z + k * ld;
            for (j = 0; j < ld; j += CT_TRD_W) {
                CT_TRD_V a = *(CT_TRD_V *)(zi + j);
                *(CT_TRD_V *)(zi + j) = *(CT_TRD_V *)(zk + j);
                *(CT_TRD_V *)(zk + j) = a;
            }
        }
    }
    if (anorm > 0)
        for (i = 0; i < n; i++)
            d[i] = (CT_TRD_T)ldexp(dd[i], ex);
    for (j = 0; j < n; j++)
        memcpy(z + j * ldz, Z + j * ld, sizeof(CT_TRD_T) * n);
    return 0;
fail:
    k = 0;
    for (i = 0; i + 1 < n; i++)
        k += ee[i] != 0;
    return k;
}

#undef CT_TRD_V
#undef CT_TRD_L
#undef CT_TRD_HSUM4
