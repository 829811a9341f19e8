/* The kernels of hqr.h for one element type and vector width: included by
 * it once per pair, with CT_HQR_FLOAT (1: float elements, else double),
 * CT_HQR_W (elements a vector), CT_HQR_LEFT8 (1: AVX-512's 8-column left
 * updates, double only), CT_HQR_SFX(name) (the names of this pair's
 * functions), CT_HQR_TARGET (the kernel's target attribute) and
 * CT_HQR_HTARGET (its inlined helpers') defined; the first four are
 * undefined at the end. The scalar arithmetic (shifts, reflectors,
 * deflation tests, 2 x 2 blocks) runs in double for either type; the
 * updates of the matrices in the element type. */

/* the element type, the signed integer of its size, its dlamch('P') and
 * dlamch('S'), and the back substitution's limit */
#if CT_HQR_FLOAT
#define CT_HQR_T float
#define CT_HQR_I int32_t
#define CT_HQR_TULP 0x1p-23
#define CT_HQR_TSAFMIN 0x1p-126
#define CT_HQR_TBIG 0x1p60
#else
#define CT_HQR_T double
#define CT_HQR_I int64_t
#define CT_HQR_TULP CT_HQR_ULP
#define CT_HQR_TSAFMIN CT_HQR_SAFMIN
#define CT_HQR_TBIG 0x1p400
#endif

/* unaligned vectors of CT_HQR_W elements, and of 4 (the left reflectors'
 * transposes) */
typedef CT_HQR_T CT_HQR_SFX(ct_hqr_v) __attribute__((vector_size(CT_HQR_W * sizeof(CT_HQR_T)),
                                                     aligned(sizeof(CT_HQR_T))));
typedef CT_HQR_T CT_HQR_SFX(ct_hqr_v4) __attribute__((vector_size(4 * sizeof(CT_HQR_T)),
                                                      aligned(sizeof(CT_HQR_T))));
#define CT_HQR_V CT_HQR_SFX(ct_hqr_v)
#define CT_HQR_V4 CT_HQR_SFX(ct_hqr_v4)

/* rows 0 .. len - 1 of the columns c0, c1, c2 (and c2 absent when !three):
 * the reflector (1, v2, v3) with factors (t1, t2, t3) applied from the
 * right. Every element takes the same operations whether in a vector or not
 * (no contraction into fused multiply-adds). */
CT_HQR_INLINE CT_HQR_HTARGET void CT_HQR_SFX(ct_hqr_right)(CT_HQR_T *c0, CT_HQR_T *c1,
                                                           CT_HQR_T *c2, int64_t len, int three,
                                                           CT_HQR_T v2, CT_HQR_T v3, CT_HQR_T t1,
                                                           CT_HQR_T t2, CT_HQR_T t3)
{
    int64_t r = 0;
    if (three) {
        for (; r + CT_HQR_W <= len; r += CT_HQR_W) {
            CT_HQR_V x0 = *(CT_HQR_V *)(c0 + r), x1 = *(CT_HQR_V *)(c1 + r);
            CT_HQR_V x2 = *(CT_HQR_V *)(c2 + r);
            CT_HQR_V s = x0 + v2 * x1 + v3 * x2;
            *(CT_HQR_V *)(c0 + r) = x0 - s * t1;
            *(CT_HQR_V *)(c1 + r) = x1 - s * t2;
            *(CT_HQR_V *)(c2 + r) = x2 - s * t3;
        }
        for (; r < len; r++) {
            CT_HQR_T x0 = c0[r], x1 = c1[r], x2 = c2[r];
            CT_HQR_T s = x0 + v2 * x1 + v3 * x2;
            c0[r] = x0 - s * t1;
            c1[r] = x1 - s * t2;
            c2[r] = x2 - s * t3;
        }
    } else {
        for (; r + CT_HQR_W <= len; r += CT_HQR_W) {
            CT_HQR_V x0 = *(CT_HQR_V *)(c0 + r), x1 = *(CT_HQR_V *)(c1 + r);
            CT_HQR_V s = x0 + v2 * x1;
            *(CT_HQR_V *)(c0 + r) = x0 - s * t1;
            *(CT_HQR_V *)(c1 + r) = x1 - s * t2;
        }
        for (; r < len; r++) {
            CT_HQR_T x0 = c0[r], x1 = c1[r];
            CT_HQR_T s = x0 + v2 * x1;
            c0[r] = x0 - s * t1;
            c1[r] = x1 - s * t2;
        }
    }
}

/* columns 0 .. cnt - 1 of rows p[0], p[1] (and p[2] when three) of a
 * column-major matrix (leading dim ld): the reflector (1, v2, v3) with
 * factors (t1, t2, t3) applied from the left (with three, 8 columns at a
 * time with AVX-512, else a vector's width (4 or 8) at a time where
 * `four`: the row below, p[3], lies in the column too, read and written
 * back unchanged); the same operations on every element. */
CT_HQR_INLINE CT_HQR_HTARGET void CT_HQR_SFX(ct_hqr_left)(CT_HQR_T *p, int64_t ld, int64_t cnt,
                                                          int three, int four, CT_HQR_T v2,
                                                          CT_HQR_T v3, CT_HQR_T t1, CT_HQR_T t2,
                                                          CT_HQR_T t3)
{
    int64_t j = 0;
    if (three) {
#if !CT_HQR_LEFT8
        /* 4 columns at a time: their rows 0 .. 3 as 4 vectors, transposed
         * into 4 row vectors (the 4th untouched) and back; where a vector
         * holds 8, first 8 columns at a time, columns j and j + 4 in its
         * halves, each half transposed alike */
#define CT_HQR_LEFT_STEP(VT, STEP, LD, ST, LO, HI, H0, H1)                             \
        for (; four && j + (STEP) <= cnt; j += (STEP)) {                               \
            CT_HQR_T *q = p + j * ld;                                                 \
            VT a = LD(q), b = LD(q + ld), c = LD(q + 2 * ld), d = LD(q + 3 * ld);    \
            VT ab0 = __builtin_shuffle(a, b, LO), ab1 = __builtin_shuffle(a, b, HI);  \
            VT cd0 = __builtin_shuffle(c, d, LO), cd1 = __builtin_shuffle(c, d, HI);  \
            VT x0 = __builtin_shuffle(ab0, cd0, H0), x2 = __builtin_shuffle(ab0, cd0, H1); \
            VT x1 = __builtin_shuffle(ab1, cd1, H0), x3 = __builtin_shuffle(ab1, cd1, H1); \
            VT s = x0 + v2 * x1 + v3 * x2;                                             \
            x0 = x0 - s * t1;                                                          \
            x1 = x1 - s * t2;                                                          \
            x2 = x2 - s * t3;                                                          \
            ab0 = __builtin_shuffle(x0, x1, LO);                                       \
            ab1 = __builtin_shuffle(x0, x1, HI);                                       \
            cd0 = __builtin_shuffle(x2, x3, LO);                                       \
            cd1 = __builtin_shuffle(x2, x3, HI);                                       \
            ST(q, __builtin_shuffle(ab0, cd0, H0));                                    \
            ST(q + ld, __builtin_shuffle(ab1, cd1, H0));                               \
            ST(q + 2 * ld, __builtin_shuffle(ab0, cd0, H1));                           \
            ST(q + 3 * ld, __builtin_shuffle(ab1, cd1, H1));                           \
        }
#if CT_HQR_W == 8 && (__GNUC__ >= 12 || defined(__clang__))   /* (__builtin_shufflevector) */
        typedef CT_HQR_I ct_hqr_m8 __attribute__((vector_size(8 * sizeof(CT_HQR_T))));
        const ct_hqr_m8 lo8 = {0, 8, 2, 10, 4, 12, 6, 14}, hi8 = {1, 9, 3, 11, 5, 13, 7, 15};
        const ct_hqr_m8 h08 = {0, 1, 8, 9, 4, 5, 12, 13}, h18 = {2, 3, 10, 11, 6, 7, 14, 15};
#define CT_HQR_LD8(q) __builtin_shufflevector(*(CT_HQR_V4 *)(q), *(CT_HQR_V4 *)((q) + 4 * ld), \
                                              0, 1, 2, 3, 4, 5, 6, 7)
#define CT_HQR_ST8(q, v) do { \
        CT_HQR_V v_ = (v); \
        *(CT_HQR_V4 *)(q) = __builtin_shufflevector(v_, v_, 0, 1, 2, 3); \
        *(CT_HQR_V4 *)((q) + 4 * ld) = __builtin_shufflevector(v_, v_, 4, 5, 6, 7); \
    } while (0)
        CT_HQR_LEFT_STEP(CT_HQR_V, 8, CT_HQR_LD8, CT_HQR_ST8, lo8, hi8, h08, h18)
#undef CT_HQR_LD8
#undef CT_HQR_ST8
#endif
        typedef CT_HQR_I ct_hqr_m4 __attribute__((vector_size(4 * sizeof(CT_HQR_T))));
        const ct_hqr_m4 lo = {0, 4, 2, 6}, hi = {1, 5, 3, 7};
        const ct_hqr_m4 h0 = {0, 1, 4, 5}, h1 = {2, 3, 6, 7};
#define CT_HQR_LD4(q) (*(CT_HQR_V4 *)(q))
#define CT_HQR_ST4(q, v) (*(CT_HQR_V4 *)(q) = (v))
        CT_HQR_LEFT_STEP(CT_HQR_V4, 4, CT_HQR_LD4, CT_HQR_ST4, lo, hi, h0, h1)
#undef CT_HQR_LD4
#undef CT_HQR_ST4
#undef CT_HQR_LEFT_STEP
#else
        (void)four;
#endif
#if CT_HQR_LEFT8
        /* 8 columns at a time: their rows k .. k + 2 loaded as 8 vectors of
         * 4 (the 4th lane masked off) and transposed into 3 row vectors */
        if (cnt >= 8) {
            const __m512d V2 = _mm512_set1_pd(v2), V3 = _mm512_set1_pd(v3);
            const __m512d T1 = _mm512_set1_pd(t1), T2 = _mm512_set1_pd(t2);
            const __m512d T3 = _mm512_set1_pd(t3);
            const __m512i r0 = _mm512_set_epi64(13, 12, 5, 4, 9, 8, 1, 0);
            const __m512i r2 = _mm512_set_epi64(15, 14, 7, 6, 11, 10, 3, 2);
            const __m512i c0 = _mm512_set_epi64(12, 12, 5, 4, 8, 8, 1, 0);
            const __m512i c1 = _mm512_set_epi64(13, 13, 5, 4, 9, 9, 1, 0);
            const __m512i c2 = _mm512_set_epi64(14, 14, 7, 6, 10, 10, 3, 2);
            const __m512i c3 = _mm512_set_epi64(15, 15, 7, 6, 11, 11, 3, 2);
            for (; j + 8 <= cnt; j += 8) {
                double *q = p + j * ld;
#define CT_HQR_LD2(u, w) _mm512_insertf64x4( \
                    _mm512_castpd256_pd512(_mm256_maskz_loadu_pd(7, q + (u) * ld)), \
                    _mm256_maskz_loadu_pd(7, q + (w) * ld), 1)
                /* a: columns 0 | 4, b: 1 | 5, c: 2 | 6, d: 3 | 7 (rows 0 1 2 -) */
                __m512d a = CT_HQR_LD2(0, 4), b = CT_HQR_LD2(1, 5);
                __m512d c = CT_HQR_LD2(2, 6), d = CT_HQR_LD2(3, 7);
#undef CT_HQR_LD2
                /* ab02: a0 b0 a2 b2 | a0 b0 a2 b2 (a's and b's rows 0, 2) */
                __m512d ab02 = _mm512_unpacklo_pd(a, b), ab13 = _mm512_unpackhi_pd(a, b);
                __m512d cd02 = _mm512_unpacklo_pd(c, d), cd13 = _mm512_unpackhi_pd(c, d);
                /* x0, x1, x2: rows 0, 1, 2 of columns 0 .. 7 */
                __m512d x0 = _mm512_permutex2var_pd(ab02, r0, cd02);
                __m512d x1 = _mm512_permutex2var_pd(ab13, r0, cd13);
                __m512d x2 = _mm512_permutex2var_pd(ab02, r2, cd02);
                __m512d s = _mm512_add_pd(_mm512_add_pd(x0, _mm512_mul_pd(V2, x1)),
                                          _mm512_mul_pd(V3, x2));
                x0 = _mm512_sub_pd(x0, _mm512_mul_pd(s, T1));
                x1 = _mm512_sub_pd(x1, _mm512_mul_pd(s, T2));
                x2 = _mm512_sub_pd(x2, _mm512_mul_pd(s, T3));
                /* e: rows 0 1 of columns 0 2 4 6, f: of columns 1 3 5 7 */
                __m512d e = _mm512_unpacklo_pd(x0, x1), f = _mm512_unpackhi_pd(x0, x1);
                /* g_j: column j | column j + 4 (rows 0 1 2 2) */
                __m512d g0 = _mm512_permutex2var_pd(e, c0, x2);
                __m512d g1 = _mm512_permutex2var_pd(f, c1, x2);
                __m512d g2 = _mm512_permutex2var_pd(e, c2, x2);
                __m512d g3 = _mm512_permutex2var_pd(f, c3, x2);
                _mm256_mask_storeu_pd(q, 7, _mm512_castpd512_pd256(g0));
                _mm256_mask_storeu_pd(q + ld, 7, _mm512_castpd512_pd256(g1));
                _mm256_mask_storeu_pd(q + 2 * ld, 7, _mm512_castpd512_pd256(g2));
                _mm256_mask_storeu_pd(q + 3 * ld, 7, _mm512_castpd512_pd256(g3));
                _mm256_mask_storeu_pd(q + 4 * ld, 7, _mm512_extractf64x4_pd(g0, 1));
                _mm256_mask_storeu_pd(q + 5 * ld, 7, _mm512_extractf64x4_pd(g1, 1));
                _mm256_mask_storeu_pd(q + 6 * ld, 7, _mm512_extractf64x4_pd(g2, 1));
                _mm256_mask_storeu_pd(q + 7 * ld, 7, _mm512_extractf64x4_pd(g3, 1));
            }
        }
#endif
        for (; j < cnt; j++) {
            CT_HQR_T *q = p + j * ld;
            CT_HQR_T x0 = q[0], x1 = q[1], x2 = q[2];
            CT_HQR_T s = x0 + v2 * x1 + v3 * x2;
            q[0] = x0 - s * t1;
            q[1] = x1 - s * t2;
            q[2] = x2 - s * t3;
        }
    } else {
        for (; j < cnt; j++) {
            CT_HQR_T *q = p + j * ld;
            CT_HQR_T x0 = q[0], x1 = q[1];
            CT_HQR_T s = x0 + v2 * x1;
            q[0] = x0 - s * t1;
            q[1] = x1 - s * t2;
        }
    }
}

/* x[0: n * incx: incx], y likewise = the plane rotation (c, s) of the pair
 * (x, y) (LAPACK's drot) */
CT_HQR_INLINE void CT_HQR_SFX(ct_hqr_rot)(int64_t n, CT_HQR_T *x, int64_t incx, CT_HQR_T *y,
                                          int64_t incy, double c, double s)
{
    for (int64_t k = 0; k < n; k++) {
        double xv = x[k * incx], yv = y[k * incy];
        x[k * incx] = c * xv + s * yv;
        y[k * incy] = c * yv - s * xv;
    }
}

CT_HQR_TARGET static int64_t CT_HQR_SFX(ct_dlahqr)(int wantt, int wantz, int64_t n, int64_t ilo,
                                                   int64_t ihi, CT_HQR_T *h, int64_t ldh,
                                                   double *wr, double *wi, int64_t iloz,
                                                   int64_t ihiz, CT_HQR_T *z, int64_t ldz)
{
#define H(r, c) h[((r) - 1) + ((c) - 1) * ldh]
#define Z(r, c) z[((r) - 1) + ((c) - 1) * ldz]
    const double dat1 = 0.75, dat2 = -0.4375;
    const int kexsh = 10;
    if (n == 0)
        return 0;
    if (ilo == ihi) {
        wr[ilo - 1] = H(ilo, ilo);
        wi[ilo - 1] = 0;
        return 0;
    }
    for (int64_t j = ilo; j <= ihi - 3; j++) {
        H(j + 2, j) = 0;
        H(j + 3, j) = 0;
    }
    if (ilo <= ihi - 2)
        H(ihi, ihi - 2) = 0;
    int64_t nh = ihi - ilo + 1, nz = ihiz - iloz + 1;
    const double safmin = CT_HQR_TSAFMIN, ulp = CT_HQR_TULP;
    double smlnum = safmin * ((double)nh / ulp);
    int64_t i1 = 1, i2 = n;
    int64_t itmax = 30 * (nh > 10 ? nh : 10);
    int64_t kdefl = 0;
    int64_t i = ihi;
    for (;;) {
        int64_t l = ilo;
        if (i < ilo)
            return 0;
        int64_t its, k, m;
        int converged = 0;
        for (its = 0; its <= itmax; its++) {
            /* a single small subdiagonal element */
            for (k = i; k > l; k--) {
                if (fabs(H(k, k - 1)) <= smlnum)
                    break;
                double tst = fabs(H(k - 1, k - 1)) + fabs(H(k, k));
                if (tst == 0) {
                    if (k - 2 >= ilo)
                        tst += fabs(H(k - 1, k - 2));
                    if (k + 1 <= ihi)
                        tst += fabs(H(k + 1, k));
                }
                if (fabs(H(k, k - 1)) <= ulp * tst) {
                    double hk = fabs(H(k, k - 1)), hk1 = fabs(H(k - 1, k));
                    double ab = hk > hk1 ? hk : hk1, ba = hk > hk1 ? hk1 : hk;
                    double dd = fabs(H(k - 1, k - 1) - H(k, k)), hkk = fabs(H(k, k));
                    double aa = hkk > dd ? hkk : dd, bb = hkk > dd ? dd : hkk;
                    double s = aa + ab;
                    double rhs = ulp * (bb * (aa / s));
                    if (ba * (ab / s) <= (smlnum > rhs ? smlnum : rhs))
                        break;
                }
            }
            l = k;
            if (l > ilo)
                H(l, l - 1) = 0;
            if (l >= i - 1) {
                converged = 1;
                break;
            }
            kdefl++;
            if (!wantt) {
                i1 = l;
                i2 = i;
            }
            double h11, h12, h21, h22, s;
            if (kdefl % (2 * kexsh) == 0) {
                s = fabs(H(i, i - 1)) + fabs(H(i - 1, i - 2));
                h11 = dat1 * s + H(i, i);
                h12 = dat2 * s;
                h21 = s;
                h22 = h11;
            } else if (kdefl % kexsh == 0) {
                s = fabs(H(l + 1, l)) + fabs(H(l + 2, l + 1));
                h11 = dat1 * s + H(l, l);
                h12 = dat2 * s;
                h21 = s;
                h22 = h11;
            } else {
                h11 = H(i - 1, i - 1);
                h21 = H(i, i - 1);
                h12 = H(i - 1, i);
                h22 = H(i, i);
            }
            s = fabs(h11) + fabs(h12) + fabs(h21) + fabs(h22);
            double rt1r, rt1i, rt2r, rt2i;
            if (s == 0) {
                rt1r = rt1i = rt2r = rt2i = 0;
            } else {
                h11 /= s;
                h21 /= s;
                h12 /= s;
                h22 /= s;
                double tr = (h11 + h22) / 2;
                double det = (h11 - tr) * (h22 - tr) - h12 * h21;
                double rtdisc = sqrt(fabs(det));
                if (det >= 0) {
                    rt1r = tr * s;
                    rt2r = rt1r;
                    rt1i = rtdisc * s;
                    rt2i = -rt1i;
                } else {
                    rt1r = tr + rtdisc;
                    rt2r = tr - rtdisc;
                    if (fabs(rt1r - h22) <= fabs(rt2r - h22)) {
                        rt1r *= s;
                        rt2r = rt1r;
                    } else {
                        rt2r *= s;
                        rt1r = rt2r;
                    }
                    rt1i = rt2i = 0;
                }
            }
            /* two consecutive small subdiagonal elements */
            double v[3];
            for (m = i - 2; m >= l; m--) {
                double h21s = H(m + 1, m);
                s = fabs(H(m, m) - rt2r) + fabs(rt2i) + fabs(h21s);
                h21s = H(m + 1, m) / s;
                v[0] = h21s * H(m, m + 1) + (H(m, m) - rt1r) * ((H(m, m) - rt2r) / s)
                       - rt1i * (rt2i / s);
                v[1] = h21s * (H(m, m) + H(m + 1, m + 1) - rt1r - rt2r);
                v[2] = h21s * H(m + 2, m + 1);
                s = fabs(v[0]) + fabs(v[1]) + fabs(v[2]);
                v[0] /= s;
                v[1] /= s;
                v[2] /= s;
                if (m == l)
                    break;
                double h00 = fabs(H(m, m - 1)) * (fabs(v[1]) + fabs(v[2]));
                double h01 = fabs(v[0]) * (fabs(H(m - 1, m - 1)) + fabs(H(m, m))
                                           + fabs(H(m + 1, m + 1)));
                if (h00 <= ulp * h01)
                    break;
            }
            /* the double-shift QR step: for each reflector first the part the
             * next one is made from (its 3 x 3 block from the left, rows
             * k .. k + 3 from the right), then the next reflector, then the
             * rest of this one (which the next one's arithmetic does not
             * wait for); every element sees dlahqr's operations in order */
            double t1, v2, v3, t2, t3;
            k = m;
            v[0] = ct_hqr_larfg(v[0], v + 1, i - k + 1 < 3 ? i - k : 2, &t1);
            if (m > l)
                H(k, k - 1) *= 1 - t1;
            for (;;) {
                int64_t nr = i - k + 1 < 3 ? i - k + 1 : 3;
                v2 = v[1];
                t2 = t1 * v2;
                if (nr == 2) {
                    CT_HQR_SFX(ct_hqr_left)(&H(k, k), ldh, i2 - k + 1, 0, 0, v2, 0, t1, t2, 0);
                    CT_HQR_SFX(ct_hqr_right)(&H(i1, k), &H(i1, k + 1), NULL, i - i1 + 1, 0, v2,
                                             0, t1, t2, 0);
                    if (wantz)
                        CT_HQR_SFX(ct_hqr_right)(&Z(iloz, k), &Z(iloz, k + 1), NULL, nz, 0, v2,
                                                 0, t1, t2, 0);
                    break;
                }
                v3 = v[2];
                t3 = t1 * v3;
                int64_t rmax = k + 3 < i ? k + 3 : i;
                CT_HQR_SFX(ct_hqr_left)(&H(k, k), ldh, 3, 1, 0, v2, v3, t1, t2, t3);
                CT_HQR_SFX(ct_hqr_right)(&H(k, k), &H(k, k + 1), &H(k, k + 2), rmax - k + 1, 1, v2,
                                         v3, t1, t2, t3);
                /* the next reflector, from column k */
                int64_t k1 = k + 1;
                int nr1 = i - k1 + 1 < 3 ? (int)(i - k1 + 1) : 3;
                double t1n;
                v[0] = H(k1, k);
                v[1] = H(k1 + 1, k);
                if (nr1 == 3)
                    v[2] = H(k1 + 2, k);
                v[0] = ct_hqr_larfg(v[0], v + 1, nr1 - 1, &t1n);
                H(k1, k) = v[0];
                H(k1 + 1, k) = 0;
                if (k1 < i - 1)
                    H(k1 + 2, k) = 0;
                /* the rest of reflector k */
                CT_HQR_SFX(ct_hqr_left)(&H(k, k + 3), ldh, i2 - k - 2, 1, k + 3 <= ldh, v2, v3, t1, t2,
                                        t3);
                CT_HQR_SFX(ct_hqr_right)(&H(i1, k), &H(i1, k + 1), &H(i1, k + 2), k - i1, 1, v2,
                                         v3, t1, t2, t3);
                if (wantz)
                    CT_HQR_SFX(ct_hqr_right)(&Z(iloz, k), &Z(iloz, k + 1), &Z(iloz, k + 2), nz, 1,
                                             v2, v3, t1, t2, t3);
                t1 = t1n;
                k = k1;
            }
        }
        if (!converged)
            return i;
        if (l == i) {
            wr[i - 1] = H(i, i);
            wi[i - 1] = 0;
        } else if (l == i - 1) {
            double cs, sn;
            double a = H(i - 1, i - 1), b = H(i - 1, i), c = H(i, i - 1), d = H(i, i);
            ct_hqr_lanv2(&a, &b, &c, &d, &wr[i - 2], &wi[i - 2], &wr[i - 1], &wi[i - 1], &cs,
                         &sn);
            H(i - 1, i - 1) = a;
            H(i - 1, i) = b;
            H(i, i - 1) = c;
            H(i, i) = d;
            if (wantt) {
                if (i2 > i)
                    CT_HQR_SFX(ct_hqr_rot)(i2 - i, &H(i - 1, i + 1), ldh, &H(i, i + 1), ldh, cs,
                                           sn);
                CT_HQR_SFX(ct_hqr_rot)(i - i1 - 1, &H(i1, i - 1), 1, &H(i1, i), 1, cs, sn);
            }
            if (wantz)
                CT_HQR_SFX(ct_hqr_rot)(nz, &Z(iloz, i - 1), 1, &Z(iloz, i), 1, cs, sn);
        }
        kdefl = 0;
        i = l - 1;
    }
#undef H
#undef Z
}

/* ct_dhseqr_small (hqr.h) */
static inline int64_t CT_HQR_SFX(ct_hseqr_small)(int wantt, int64_t n, int64_t ilo, int64_t ihi,
                                                 CT_HQR_T *h, int64_t ldh, double *wr,
                                                 double *wi, CT_HQR_T *z, int64_t ldz)
{
    int64_t i, j;
    if (n == 0)
        return 0;
    for (i = 0; i < ilo - 1; i++) {
        wr[i] = h[i * (ldh + 1)];
        wi[i] = 0;
    }
    for (i = ihi; i < n; i++) {
        wr[i] = h[i * (ldh + 1)];
        wi[i] = 0;
    }
    if (ilo == ihi) {
        wr[ilo - 1] = h[(ilo - 1) * (ldh + 1)];
        wi[ilo - 1] = 0;
        return 0;
    }
    int64_t info = CT_HQR_SFX(ct_dlahqr)(wantt, wantt, n, ilo, ihi, h, ldh, wr, wi, ilo, ihi, z,
                                         ldz);
    if ((wantt || info) && n > 2)
        for (j = 0; j < n - 2; j++)
            for (i = j + 2; i < n; i++)
                h[i + j * ldh] = 0;
    return info;
}

/* y[0: m] += alpha x[0: m] */
CT_HQR_INLINE CT_HQR_HTARGET void CT_HQR_SFX(ct_hqr_axpy)(int64_t m, CT_HQR_T alpha,
                                                          const CT_HQR_T *x, CT_HQR_T *y)
{
    int64_t r = 0;
    for (; r + CT_HQR_W <= m; r += CT_HQR_W)
        *(CT_HQR_V *)(y + r) += alpha * *(const CT_HQR_V *)(x + r);
    for (; r < m; r++)
        y[r] += alpha * x[r];
}

/* ct_trevc_right (hqr.h) */
CT_HQR_TARGET static int CT_HQR_SFX(ct_trevc_right)(int64_t n, const CT_HQR_T *t, int64_t ldt,
                                                    CT_HQR_T *q, int64_t ldq, CT_HQR_T *work)
{
#define T(r, c) t[(r) + (c) * ldt]
    const double ulp = CT_HQR_TULP, smlnum = CT_HQR_TSAFMIN * ((double)n / CT_HQR_TULP);
    const double big = CT_HQR_TBIG;
    CT_HQR_T *X = work, *tmp = work + n * n;
    int64_t ki, j, k;
    /* X: the vectors before the back-transformation, column ki (and ki - 1
     * for a pair) upper triangular. A real eigenvalue's vector x; a complex
     * pair's x + i y (x in column ki - 1, y in ki), solved with the same
     * steps (y's skipped for a real one, whose wi is 0). */
    for (ki = n - 1; ki >= 0; ki--) {
        int pair = ki > 0 && T(ki, ki - 1) != 0;
        CT_HQR_T *x = X + (ki - pair) * n, *y = X + ki * n;
        double wr = T(ki, ki);
        double wi = pair ? sqrt(fabs(T(ki, ki - 1))) * sqrt(fabs(T(ki - 1, ki))) : 0;
        double smin = fmax(ulp * (fabs(wr) + fabs(wi)), smlnum);
        for (k = 0; k < n; k++)
            x[k] = 0;
        if (pair) {
            for (k = 0; k < n; k++)
                y[k] = 0;
            if (fabs(T(ki - 1, ki)) >= fabs(T(ki, ki - 1))) {
                x[ki - 1] = 1;
                y[ki] = wi / T(ki - 1, ki);
            } else {
                x[ki - 1] = -wi / T(ki, ki - 1);
                y[ki] = 1;
            }
            for (k = 0; k < ki - 1; k++) {
                x[k] = -x[ki - 1] * T(k, ki - 1);
                y[k] = -y[ki] * T(k, ki);
            }
        } else {
            x[ki] = 1;
            for (k = 0; k < ki; k++)
                x[k] = -T(k, ki);
        }
        for (j = ki - 1 - pair; j >= 0; j--) {
            if (j > 0 && T(j, j - 1) != 0) {
                /* a 2 x 2 block of T */
                double m[8] = {T(j - 1, j - 1) - wr, -wi, T(j - 1, j), 0, T(j, j - 1), 0,
                               T(j, j) - wr, -wi};
                double b[4] = {x[j - 1], pair ? y[j - 1] : 0, x[j], pair ? y[j] : 0}, s[4];
                ct_hqr_solve2(m, b, smin, s);
                if (!(fabs(s[0]) + fabs(s[1]) + fabs(s[2]) + fabs(s[3]) < big))
                    return 1;
                x[j - 1] = s[0];
                x[j] = s[2];
                for (k = 0; k < j - 1; k++)
                    x[k] -= s[0] * T(k, j - 1) + s[2] * T(k, j);
                if (pair) {
                    y[j - 1] = s[1];
                    y[j] = s[3];
                    for (k = 0; k < j - 1; k++)
                        y[k] -= s[1] * T(k, j - 1) + s[3] * T(k, j);
                }
                j--;
                continue;
            }
            double dr = T(j, j) - wr, di = -wi;
            if (fabs(dr) + fabs(di) < smin) {
                dr = smin;
                di = 0;
            }
            if (pair) {
                double xr, xi;
                ct_hqr_cdiv(x[j], y[j], dr, di, &xr, &xi);
                x[j] = xr;
                y[j] = xi;
                CT_HQR_SFX(ct_hqr_axpy)(j, -y[j], &T(0, j), y);
            } else {
                x[j] /= dr;
            }
            CT_HQR_SFX(ct_hqr_axpy)(j, -x[j], &T(0, j), x);
            if (!(fabs(x[j]) + (pair ? fabs(y[j]) : 0) < big))
                return 1;
        }
        ki -= pair;
    }
    /* q = q X from the last column on: column c of X is zero below row c
     * (a pair's real part has a zero in the row of its imaginary part), so
     * column c of the product needs q's columns up to c only */
    for (ki = n - 1; ki >= 0; ki--) {
        const CT_HQR_T *x = X + ki * n;
        for (int64_t r = 0; r < n; r++)
            tmp[r] = 0;
        for (k = 0; k <= ki; k++)
            CT_HQR_SFX(ct_hqr_axpy)(n, x[k], q + k * ldq, tmp);
        memcpy(q + ki * ldq, tmp, sizeof(CT_HQR_T) * n);
    }
    return 0;
#undef T
}

/* dgeev's last step on the right eigenvectors vr (column-major n x n,
 * leading dim ldv; a complex pair's real and imaginary parts in columns j,
 * j + 1 where wi[j] > 0): each scaled to unit 2-norm (its squares summed in
 * extended precision, as OpenBLAS's dnrm2 sums them on x86-64), a complex
 * one rotated so that its largest component is real. work: n doubles. */
static inline void CT_HQR_SFX(ct_geev_normalise)(int64_t n, CT_HQR_T *vr, int64_t ldv,
                                                 const double *wi, double *work)
{
    for (int64_t j = 0; j < n; j++) {
        CT_HQR_T *x = vr + j * ldv, *y = x + ldv;
        long double sx = 0, sy = 0;
        double scl, cs, sn, r;
        int64_t k, kmax = 0;
        for (k = 0; k < n; k++)
            sx += (long double)x[k] * x[k];
        if (wi[j] == 0) {
            scl = 1 / (double)sqrtl(sx);
            for (k = 0; k < n; k++)
                x[k] *= scl;
        } else if (wi[j] > 0 && j + 1 < n) {
            for (k = 0; k < n; k++)
                sy += (long double)y[k] * y[k];
            scl = 1 / ct_hqr_lapy2((double)sqrtl(sx), (double)sqrtl(sy));
            for (k = 0; k < n; k++) {
                x[k] *= scl;
                y[k] *= scl;
            }
            for (k = 0; k < n; k++) {
                work[k] = (double)x[k] * x[k] + (double)y[k] * y[k];
                if (work[k] > work[kmax])
                    kmax = k;
            }
            ct_hqr_lartg(x[kmax], y[kmax], &cs, &sn, &r);
            CT_HQR_SFX(ct_hqr_rot)(n, x, 1, y, 1, cs, sn);
            y[kmax] = 0;
        }
    }
}

#undef CT_HQR_V
#undef CT_HQR_V4
#undef CT_HQR_T
#undef CT_HQR_I
#undef CT_HQR_TULP
#undef CT_HQR_TSAFMIN
#undef CT_HQR_TBIG
#undef CT_HQR_FLOAT
#undef CT_HQR_W
#undef CT_HQR_LEFT8
#undef CT_HQR_SFX
