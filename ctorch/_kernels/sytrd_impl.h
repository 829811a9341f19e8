/* The vector kernels of sytrd.h for one vector width: included by it once
 * per width, with CT_TRD_W (doubles a vector), CT_TRD_SFX(name) (the names
 * of this width's functions) and CT_TRD_TARGET (their target attribute)
 * defined. */

typedef double CT_TRD_SFX(ct_trd_v) __attribute__((vector_size(CT_TRD_W * 8)));
typedef int64_t CT_TRD_SFX(ct_trd_l) __attribute__((vector_size(CT_TRD_W * 8)));
#define CT_TRD_V CT_TRD_SFX(ct_trd_v)
#define CT_TRD_L CT_TRD_SFX(ct_trd_l)

/* r[0..3] = the sums of the lanes of a, b, c, d (vectors) */
#if CT_TRD_W == 8
#define ct_trd_hsum4_w8(a, b, c, d, r) do { \
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
#define ct_trd_hsum4_w4(a, b, c, d, r) do { \
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

/* Columns j0 .. n - 1 of the ld x n scratch S, rows r0 .. ld - 1 (r0 a
 * multiple of the vector width): col_j -= v w_j + w v_j, then
 * p[j] = col_j . u. v, w, u: ld doubles, zero outside their rows. */
CT_TRD_INLINE void CT_TRD_SFX(ct_trd_update_dot)(double *S, int64_t ld, int64_t n, int64_t j0,
                                                 int64_t r0, const double *v, const double *w,
                                                 const double *u, double *p)
{
    int64_t j = j0, k;
    for (; j + 4 <= n; j += 4) {
        double *c0 = S + j * ld, *c1 = c0 + ld, *c2 = c1 + ld, *c3 = c2 + ld;
        double vj0 = v[j], vj1 = v[j + 1], vj2 = v[j + 2], vj3 = v[j + 3];
        double wj0 = w[j], wj1 = w[j + 1], wj2 = w[j + 2], wj3 = w[j + 3];
        CT_TRD_V a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
        for (k = r0; k < ld; k += CT_TRD_W) {
            CT_TRD_V vv = *(const CT_TRD_V *)(v + k), ww = *(const CT_TRD_V *)(w + k);
            CT_TRD_V uu = *(const CT_TRD_V *)(u + k);
            CT_TRD_V x0 = *(CT_TRD_V *)(c0 + k) - (vv * wj0 + ww * vj0);
            CT_TRD_V x1 = *(CT_TRD_V *)(c1 + k) - (vv * wj1 + ww * vj1);
            CT_TRD_V x2 = *(CT_TRD_V *)(c2 + k) - (vv * wj2 + ww * vj2);
            CT_TRD_V x3 = *(CT_TRD_V *)(c3 + k) - (vv * wj3 + ww * vj3);
            *(CT_TRD_V *)(c0 + k) = x0;
            *(CT_TRD_V *)(c1 + k) = x1;
            *(CT_TRD_V *)(c2 + k) = x2;
            *(CT_TRD_V *)(c3 + k) = x3;
            a0 += x0 * uu;
            a1 += x1 * uu;
            a2 += x2 * uu;
            a3 += x3 * uu;
        }
        CT_TRD_SFX(ct_trd_hsum4)(a0, a1, a2, a3, p + j);
    }
    for (; j < n; j++) {
        double *c0 = S + j * ld;
        double vj0 = v[j], wj0 = w[j];
        CT_TRD_V a0 = {0};
        for (k = r0; k < ld; k += CT_TRD_W) {
            CT_TRD_V vv = *(const CT_TRD_V *)(v + k), ww = *(const CT_TRD_V *)(w + k);
            CT_TRD_V x0 = *(CT_TRD_V *)(c0 + k) - (vv * wj0 + ww * vj0);
            *(CT_TRD_V *)(c0 + k) = x0;
            a0 += x0 * *(const CT_TRD_V *)(u + k);
        }
        double h[4];
        CT_TRD_V z = {0};
        CT_TRD_SFX(ct_trd_hsum4)(a0, z, z, z, h);
        p[j] = h[0];
    }
}

/* ct_dsytrd (sytrd.h) */
__attribute__((optimize("O3"))) CT_TRD_TARGET
static void CT_TRD_SFX(ct_dsytrd)(char uplo, int64_t n, double *a, int64_t lda, double *d,
                                  double *e, double *tau, double *work)
{
    int64_t ld = ct_trd_ld(n), i, j, r;
    int up = uplo == 'U' || uplo == 'u';
    double *S = (double *)(((uintptr_t)work + 63) & ~(uintptr_t)63);
    double *v = S + ld * n, *w = v + ld, *u = w + ld, *p = u + ld;
    if (n <= 0)
        return;
    /* the full symmetric matrix, rows beyond n zero; for 'U' the rows and
     * columns reversed, so that the upper triangle lands in the lower */
    for (j = 0; j < n; j++) {
        double *c = S + j * ld;
        if (!up) {
            for (r = j; r < n; r++)
                c[r] = a[r + j * lda];
        } else {
            const double *ac = a + (n - 1 - j) * lda;
            for (r = j; r < n; r++)
                c[r] = ac[n - 1 - r];
        }
        for (r = n; r < ld; r++)
            c[r] = 0;
    }
    for (j = 0; j < n; j++)
        for (r = j + 1; r < n; r++)
            S[j + r * ld] = S[r + j * ld];
    memset(v, 0, sizeof(double) * 4 * ld);
    double *s0 = S;
    d[0] = s0[0];
    if (n > 1) {
        /* the first reflector, and p = A22 v by the pass with zero v, w */
        e[0] = ct_trd_larfg(s0[1], s0 + 2, n - 2, tau);
        u[1] = 1;
        for (r = 2; r < n; r++)
            u[r] = s0[r];
        CT_TRD_SFX(ct_trd_update_dot)(S, ld, n, 1, 0, v, w, u, p);
        double *t = v;
        v = u;
        u = t;
    }
    for (i = 0; i + 2 < n; i++) {
        /* apply reflector i (v, tau[i]; p = A22 v) to rows and columns
         * i + 1 .., and form reflector i + 1 */
        double ti = tau[i], dot = 0;
        for (r = i + 1; r < n; r++) {
            w[r] = ti * p[r];
            dot += w[r] * v[r];
        }
        double alpha = -0.5 * ti * dot;
        for (r = i + 1; r < n; r++)
            w[r] += alpha * v[r];
        double *c = S + (i + 1) * ld;
        double vc = v[i + 1], wc = w[i + 1];
        for (r = i + 1; r < n; r++)
            c[r] -= v[r] * wc + w[r] * vc;
        d[i + 1] = c[i + 1];
        e[i + 1] = ct_trd_larfg(c[i + 2], c + i + 3, n - i - 3, tau + i + 1);
        /* u: zero in rows .. i + 1 (it held reflector i - 1, rows i ..) */
        u[i] = 0;
        u[i + 1] = 0;
        u[i + 2] = 1;
        for (r = i + 3; r < n; r++)
            u[r] = c[r];
        CT_TRD_SFX(ct_trd_update_dot)(S, ld, n, i + 2, (i + 2) / CT_TRD_W * CT_TRD_W, v, w, u, p);
        double *t = v;
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
            double t = d[j];
            d[j] = d[n - 1 - j];
            d[n - 1 - j] = t;
        }
        for (j = 0; j < n - 2 - j; j++) {
            double t = e[j];
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

/* ct_dormtr_ql (sytrd.h): the reflectors applied last to first, to every
 * column, on an aligned copy of z whose rows are whole vectors */
__attribute__((optimize("O3"))) CT_TRD_TARGET
static void CT_TRD_SFX(ct_dormtr_ql)(int64_t n, const double *a, int64_t lda, const double *tau,
                                     double *z, int64_t ldz, double *work)
{
    int64_t ld = ct_trd_ld(n), i, j, r, k;
    double *Z = (double *)(((uintptr_t)work + 63) & ~(uintptr_t)63);
    double *u = Z + ld * n;
    if (n <= 1)
        return;
    for (j = 0; j < n; j++) {
        memcpy(Z + j * ld, z + j * ldz, sizeof(double) * n);
        for (r = n; r < ld; r++)
            Z[j * ld + r] = 0;
    }
    memset(u, 0, sizeof(double) * ld);
    for (i = n - 2; i >= 0; i--) {
        /* H(i) = I - tau v v^T, v: 1 in row i + 1, a's column i below it */
        double t = tau[i];
        u[i + 1] = 1;
        for (r = i + 2; r < n; r++)
            u[r] = a[r + i * lda];
        if (t == 0)
            continue;
        int64_t r0 = (i + 1) / CT_TRD_W * CT_TRD_W;
        for (j = 0; j + 4 <= n; j += 4) {
            double *c0 = Z + j * ld, *c1 = c0 + ld, *c2 = c1 + ld, *c3 = c2 + ld;
            CT_TRD_V a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
            double h[4];
            for (k = r0; k < ld; k += CT_TRD_W) {
                CT_TRD_V uu = *(const CT_TRD_V *)(u + k);
                a0 += *(const CT_TRD_V *)(c0 + k) * uu;
                a1 += *(const CT_TRD_V *)(c1 + k) * uu;
                a2 += *(const CT_TRD_V *)(c2 + k) * uu;
                a3 += *(const CT_TRD_V *)(c3 + k) * uu;
            }
            CT_TRD_SFX(ct_trd_hsum4)(a0, a1, a2, a3, h);
            double s0 = t * h[0], s1 = t * h[1], s2 = t * h[2], s3 = t * h[3];
            for (k = r0; k < ld; k += CT_TRD_W) {
                CT_TRD_V uu = *(const CT_TRD_V *)(u + k);
                *(CT_TRD_V *)(c0 + k) -= uu * s0;
                *(CT_TRD_V *)(c1 + k) -= uu * s1;
                *(CT_TRD_V *)(c2 + k) -= uu * s2;
                *(CT_TRD_V *)(c3 + k) -= uu * s3;
            }
        }
        for (; j < n; j++) {
            double *c0 = Z + j * ld;
            CT_TRD_V a0 = {0}, zero = {0};
            double h[4];
            for (k = r0; k < ld; k += CT_TRD_W)
                a0 += *(const CT_TRD_V *)(c0 + k) * *(const CT_TRD_V *)(u + k);
            CT_TRD_SFX(ct_trd_hsum4)(a0, zero, zero, zero, h);
            double s0 = t * h[0];
            for (k = r0; k < ld; k += CT_TRD_W)
                *(CT_TRD_V *)(c0 + k) -= *(const CT_TRD_V *)(u + k) * s0;
        }
    }
    for (j = 0; j < n; j++)
        memcpy(z + j * ldz, Z + j * ld, sizeof(double) * n);
}

#undef CT_TRD_V
#undef CT_TRD_L
