/* The eigenvalues (and Schur form) of a small float64 upper Hessenberg
 * matrix by the double-shift QR algorithm, with the results LAPACK's dlahqr
 * computes, and the right eigenvectors of a Schur form, for linalg_k.pyx's
 * geev loop (header only: that module includes it).
 *
 * The iteration is dlahqr's step for step: the same deflation test (Ahues
 * and Tisseur's), the same Francis double shifts and exceptional shifts, the
 * same search for a starting row, the same 3-element reflectors (their
 * norms as OpenBLAS's dnrm2 computes them) and the same standardisation of
 * 2 x 2 blocks, in the same floating-point operations, so that the
 * eigenvalues are those of numpy's geev to the bit and come in its order.
 * What differs is how and when the reflectors are applied:
 *  - from the right (columns k .. k+2 of H and of Z) in whole vectors down
 *    the columns; from the left (rows k .. k+2) with AVX-512 to 8 columns
 *    at a time, transposed in registers;
 *  - first the part the next reflector is made from, then the next
 *    reflector, then the rest, so that the rest overlaps the next one's
 *    divisions and roots;
 * every element still sees dlahqr's operations in dlahqr's order. Each
 * element of the active block is computed the same way whether or not the
 * Schur form is wanted (wantt), so the eigenvalues are identical in both
 * modes. */
#ifndef CT_HQR_H
#define CT_HQR_H

#include <stdint.h>
#include <math.h>
#include "sytrd.h"
#if CT_TRD_TWO
#include <immintrin.h>
#endif

/* Compiled without contracting products and sums into fused multiply-adds,
 * as LAPACK's reference build computes: the deflation tests and the shifts
 * decide on rounding-level quantities, and the same bits keep the same
 * decisions (and so numpy's eigenvalue order and eigenvector signs). */
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")

/* dlamch('S'), dlamch('P') */
#define CT_HQR_SAFMIN 2.2250738585072014e-308
#define CT_HQR_ULP 2.220446049250313e-16

/* sqrt(a^2 + b^2) as LAPACK's dlapy2 computes it */
static inline __attribute__((always_inline)) double ct_hqr_lapy2(double a, double b)
{
    double x = fabs(a), y = fabs(b);
    double w = x > y ? x : y, z = x > y ? y : x;
    if (z == 0 || w > 1.7976931348623157e308)
        return w;
    return w * sqrt(1 + (z / w) * (z / w));
}

/* sqrt(x0^2 + x1^2) as OpenBLAS's dnrm2 gives it on x86-64: the squares
 * summed and the root taken in x87 extended precision, then rounded */
static inline __attribute__((always_inline)) double ct_hqr_norm2(double x0, double x1)
{
    long double s = (long double)x0 * x0 + (long double)x1 * x1;
    return (double)sqrtl(s);
}

/* LAPACK's dlarfg for the vector (alpha, x[0: m]), m 1 or 2, with x's
 * 2-norm as OpenBLAS's dnrm2 gives it: x becomes the reflector's tail,
 * *tau its factor; returns beta (the new alpha) */
static inline __attribute__((always_inline)) double ct_hqr_larfg(double alpha, double *x, int m,
                                                                 double *tau)
{
    const double safmin = CT_HQR_SAFMIN / (CT_HQR_ULP / 2);
    double xnorm = m == 2 ? ct_hqr_norm2(x[0], x[1]) : fabs(x[0]);
    *tau = 0;
    if (xnorm == 0)
        return alpha;
    double beta = -copysign(ct_hqr_lapy2(alpha, xnorm), alpha);
    int knt = 0;
    if (fabs(beta) < safmin) {
        do {
            knt++;
            x[0] *= 1 / safmin;
            if (m == 2)
                x[1] *= 1 / safmin;
            beta *= 1 / safmin;
            alpha *= 1 / safmin;
        } while (fabs(beta) < safmin && knt < 20);
        xnorm = m == 2 ? ct_hqr_norm2(x[0], x[1]) : fabs(x[0]);
        beta = -copysign(ct_hqr_lapy2(alpha, xnorm), alpha);
    }
    *tau = (beta - alpha) / beta;
    double scal = 1 / (alpha - beta);
    x[0] *= scal;
    if (m == 2)
        x[1] *= scal;
    for (; knt > 0; knt--)
        beta *= safmin;
    return beta;
}

/* LAPACK's dlanv2: the Schur factorisation of the real 2 x 2 matrix
 * [a b; c d] in standard form ([a b; c d] becomes [aa bb; cc dd] =
 * [cs -sn; sn cs]^T [a b; c d] [cs -sn; sn cs], upper triangular or with
 * equal diagonal and off-diagonal elements of opposite signs), its
 * eigenvalues (rt1r + i rt1i, rt2r + i rt2i) */
static void ct_hqr_lanv2(double *a, double *b, double *c, double *d, double *rt1r,
                         double *rt1i, double *rt2r, double *rt2i, double *cs, double *sn)
{
    const double eps = CT_HQR_ULP;
    /* 2^-485 and 2^485: base^int(log(safmin / eps) / log(base) / 2) */
    const double safmn2 = 0x1p-485, safmx2 = 0x1p485;
    double A = *a, B = *b, C = *c, D = *d, temp, p, z, tau;
    if (C == 0) {
        *cs = 1;
        *sn = 0;
    } else if (B == 0) {
        /* swap rows and columns */
        *cs = 0;
        *sn = 1;
        temp = D;
        D = A;
        A = temp;
        B = -C;
        C = 0;
    } else if (A - D == 0 && (signbit(B) != signbit(C))) {
        *cs = 1;
        *sn = 0;
    } else {
        temp = A - D;
        p = 0.5 * temp;
        double bcmax = fmax(fabs(B), fabs(C));
        double bcmis = fmin(fabs(B), fabs(C)) * copysign(1.0, B) * copysign(1.0, C);
        double scale = fmax(fabs(p), bcmax);
        z = (p / scale) * p + (bcmax / scale) * bcmis;
        if (z >= 4 * eps) {
            /* real eigenvalues */
            z = p + copysign(sqrt(scale) * sqrt(z), p);
            A = D + z;
            D = D - (bcmax / z) * bcmis;
            tau = ct_hqr_lapy2(C, z);
            *cs = z / tau;
            *sn = C / tau;
            B = B - C;
            C = 0;
        } else {
            /* complex or (almost) equal real eigenvalues: equal diagonal */
            int count = 0;
            double sigma = B + C;
            for (;;) {
                count++;
                scale = fmax(fabs(temp), fabs(sigma));
                if (scale >= safmx2) {
                    sigma *= safmn2;
                    temp *= safmn2;
                    if (count <= 20)
                        continue;
                }
                if (scale <= safmn2) {
                    sigma *= safmx2;
                    temp *= safmx2;
                    if (count <= 20)
                        continue;
                }
                break;
            }
            p = 0.5 * temp;
            tau = ct_hqr_lapy2(sigma, temp);
            *cs = sqrt(0.5 * (1 + fabs(sigma) / tau));
            *sn = -(p / (tau * *cs)) * copysign(1.0, sigma);
            double aa = A * *cs + B * *sn, bb = -A * *sn + B * *cs;
            double cc = C * *cs + D * *sn, dd = -C * *sn + D * *cs;
            A = aa * *cs + cc * *sn;
            B = bb * *cs + dd * *sn;
            C = -aa * *sn + cc * *cs;
            D = -bb * *sn + dd * *cs;
            temp = 0.5 * (A + D);
            A = temp;
            D = temp;
            if (C != 0) {
                if (B != 0) {
                    if (signbit(B) == signbit(C)) {
                        /* real eigenvalues: upper triangular */
                        double sab = sqrt(fabs(B)), sac = sqrt(fabs(C));
                        p = copysign(sab * sac, C);
                        tau = 1 / sqrt(fabs(B + C));
                        A = temp + p;
                        D = temp - p;
                        B = B - C;
                        C = 0;
                        double cs1 = sab * tau, sn1 = sac * tau;
                        temp = *cs * cs1 - *sn * sn1;
                        *sn = *cs * sn1 + *sn * cs1;
                        *cs = temp;
                    }
                } else {
                    B = -C;
                    C = 0;
                    temp = *cs;
                    *cs = -*sn;
                    *sn = temp;
                }
            }
        }
    }
    *rt1r = A;
    *rt2r = D;
    if (C == 0) {
        *rt1i = 0;
        *rt2i = 0;
    } else {
        *rt1i = sqrt(fabs(B)) * sqrt(fabs(C));
        *rt2i = -*rt1i;
    }
    *a = A;
    *b = B;
    *c = C;
    *d = D;
}

/* x = b / m for complex m, b ((re, im) pairs), as LAPACK's dladiv
 * computes it in the ordinary range (Smith's formula) */
static inline void ct_hqr_cdiv(double br, double bi, double mr, double mi, double *xr,
                               double *xi)
{
    if (fabs(mi) <= fabs(mr)) {
        double e = mi / mr, f = mr + mi * e;
        *xr = (br + bi * e) / f;
        *xi = (bi - br * e) / f;
    } else {
        double e = mr / mi, f = mi + mr * e;
        *xr = (br * e + bi) / f;
        *xi = (bi * e - br) / f;
    }
}

/* x = m^-1 b for the complex 2 x 2 m = [m00 m01; m10 m11] (each (re, im))
 * by elimination with complete pivoting; m taken as smin I where all its
 * elements are below smin in size (LAPACK's dlaln2's rule) */
static void ct_hqr_solve2(const double *m, const double *b, double smin, double *x)
{
    double a[4][2], r[2][2];
    int p = 0, q, k;
    double best = -1;
    for (k = 0; k < 4; k++) {
        a[k][0] = m[2 * k];
        a[k][1] = m[2 * k + 1];
        double size = fabs(a[k][0]) + fabs(a[k][1]);
        if (size > best) {
            best = size;
            p = k;
        }
    }
    if (best < smin) {
        ct_hqr_cdiv(b[0], b[1], smin, 0, &x[0], &x[1]);
        ct_hqr_cdiv(b[2], b[3], smin, 0, &x[2], &x[3]);
        return;
    }
    /* pivot a[p] = m[pr][pc]: row pr, column pc */
    int pr = p / 2, pc = p % 2, orow = 1 - pr, ocol = 1 - pc;
    double *piv = a[p], *prc = a[pr * 2 + ocol], *opc = a[orow * 2 + pc];
    double *ooc = a[orow * 2 + ocol];
    r[0][0] = b[2 * pr];
    r[0][1] = b[2 * pr + 1];
    r[1][0] = b[2 * orow];
    r[1][1] = b[2 * orow + 1];
    /* l = opc / piv; eliminate */
    double lr, li;
    ct_hqr_cdiv(opc[0], opc[1], piv[0], piv[1], &lr, &li);
    double ur = ooc[0] - (lr * prc[0] - li * prc[1]), ui = ooc[1] - (lr * prc[1] + li * prc[0]);
    double sr = r[1][0] - (lr * r[0][0] - li * r[0][1]);
    double si = r[1][1] - (lr * r[0][1] + li * r[0][0]);
    if (fabs(ur) + fabs(ui) < smin) {
        ur = smin;
        ui = 0;
    }
    double yr, yi;
    ct_hqr_cdiv(sr, si, ur, ui, &yr, &yi);
    q = ocol;
    x[2 * q] = yr;
    x[2 * q + 1] = yi;
    double tr = r[0][0] - (prc[0] * yr - prc[1] * yi), ti = r[0][1] - (prc[0] * yi + prc[1] * yr);
    ct_hqr_cdiv(tr, ti, piv[0], piv[1], &x[2 * pc], &x[2 * pc + 1]);
}

#define CT_HQR_INLINE static inline __attribute__((always_inline))

/* LAPACK's dlartg: c, s, r with [c s; -s c] [f; g] = [r; 0] */
static inline void ct_hqr_lartg(double f, double g, double *c, double *s, double *r)
{
    const double safmin = CT_HQR_SAFMIN, safmax = 1 / CT_HQR_SAFMIN;
    const double rtmin = 1.4916681462400413e-154, rtmax = 4.740375954054589e+153;
    double f1 = fabs(f), g1 = fabs(g), d;
    if (g == 0) {
        *c = 1;
        *s = 0;
        *r = f;
    } else if (f == 0) {
        *c = 0;
        *s = copysign(1.0, g);
        *r = g1;
    } else if (f1 > rtmin && f1 < rtmax && g1 > rtmin && g1 < rtmax) {
        d = sqrt(f * f + g * g);
        *c = f1 / d;
        *r = copysign(d, f);
        *s = g / *r;
    } else {
        double u = fmin(safmax, fmax(safmin, fmax(f1, g1)));
        double fs = f / u, gs = g / u;
        d = sqrt(fs * fs + gs * gs);
        *c = fabs(fs) / d;
        *r = copysign(d, f);
        *s = gs / *r;
        *r *= u;
    }
}

/* the kernels in double (bit for bit dlahqr's), and in float (8 elements a
 * vector on AVX2); hqr_impl.h takes CT_HQR_FLOAT, CT_HQR_W, CT_HQR_LEFT8 and
 * CT_HQR_SFX from each inclusion and undefines them */
#if CT_TRD_TWO
#define CT_HQR_FLOAT 0
#define CT_HQR_W 8
#define CT_HQR_LEFT8 1
#define CT_HQR_SFX(name) name##_w8
#define CT_HQR_TARGET __attribute__((target("arch=x86-64-v4")))
#define CT_HQR_HTARGET __attribute__((target("arch=x86-64-v4")))
#include "hqr_impl.h"
#undef CT_HQR_HTARGET
#undef CT_HQR_TARGET
#define CT_HQR_TARGET __attribute__((target_clones("default", "arch=x86-64-v3")))
#else
#define CT_HQR_TARGET
#endif
#define CT_HQR_HTARGET
#define CT_HQR_FLOAT 0
#define CT_HQR_W 4
#define CT_HQR_LEFT8 0
#define CT_HQR_SFX(name) name##_w4
#include "hqr_impl.h"
#define CT_HQR_FLOAT 1
#define CT_HQR_W 8
#define CT_HQR_LEFT8 0
#define CT_HQR_SFX(name) name##_s8
#include "hqr_impl.h"
#undef CT_HQR_HTARGET
#undef CT_HQR_TARGET


/* whether the loops run these kernels: on x86-64 (GCC on Linux), where
 * long double is x87's extended type, so the reflectors' norms are
 * OpenBLAS's bits */
static inline int ct_hqr_own(void)
{
    return CT_TRD_TWO;
}

/* The largest order whose Schur form LAPACK's dhseqr computes by dlahqr
 * (above it dlaqr0's multishift iteration, with other rounding and so
 * possibly another eigenvalue order) */
#define CT_HQR_NMIN 75

/* The largest order geev runs this iteration on (dlahqr's, where LAPACK
 * would run dlaqr0 above CT_HQR_NMIN: the same eigenvalues to rounding,
 * maybe in another order), with or without the Schur form (so that eig's
 * and eigvals' eigenvalues stay the same bits): up to it the double-shift
 * sweeps over L2-resident matrices beat LAPACK's multishift iteration,
 * above it its blocked sweeps win. */
#define CT_HQR_OWN 200

/* LAPACK's dhseqr as it runs for n <= CT_HQR_NMIN: job 'E', compz 'N' (wantt 0: the
 * eigenvalues, z not touched) or job 'S', compz 'V' (wantt 1: also the
 * Schur form T in h, zero below its subdiagonal, and z times the Schur
 * vectors). 1-based ilo, ihi as dgebal returns them. Returns info. */
static inline int64_t ct_dhseqr_small(int wantt, int64_t n, int64_t ilo, int64_t ihi, double *h,
                                      int64_t ldh, double *wr, double *wi, double *z,
                                      int64_t ldz)
{
#if CT_TRD_TWO
    if (ct_trd_wide())
        return ct_hseqr_small_w8(wantt, n, ilo, ihi, h, ldh, wr, wi, z, ldz);
#endif
    return ct_hseqr_small_w4(wantt, n, ilo, ihi, h, ldh, wr, wi, z, ldz);
}

static inline int64_t ct_shseqr_small(int wantt, int64_t n, int64_t ilo, int64_t ihi, float *h,
                                      int64_t ldh, double *wr, double *wi, float *z,
                                      int64_t ldz)
{
    return ct_hseqr_small_s8(wantt, n, ilo, ihi, h, ldh, wr, wi, z, ldz);
}

/* The right eigenvectors of the upper quasi-triangular t (n x n,
 * column-major, leading dim ldt, in LAPACK's Schur form) multiplied into q
 * (n x n, leading dim ldq): q becomes what LAPACK's dtrevc('R', 'B') leaves
 * there but for the scaling of each vector (a complex pair's real and
 * imaginary parts in two columns). Solves without LAPACK's scaling against
 * overflow: returns 1, q untouched, where a solution grows past 2^400 or
 * is not finite (the caller runs dtrevc then), else 0. work: n * n + 3 n
 * doubles. */
static inline int ct_trevc_right(int64_t n, const double *t, int64_t ldt, double *q,
                                 int64_t ldq, double *work)
{
#if CT_TRD_TWO
    if (ct_trd_wide())
        return ct_trevc_right_w8(n, t, ldt, q, ldq, work);
#endif
    return ct_trevc_right_w4(n, t, ldt, q, ldq, work);
}

/* dgeev's last step on the right eigenvectors vr (column-major n x n,
 * leading dim ldv; a complex pair's real and imaginary parts in columns j,
 * j + 1 where wi[j] > 0): each scaled to unit 2-norm, a complex one
 * rotated so that its largest component is real. work: n doubles. */
static inline void ct_geev_normalise(int64_t n, double *vr, int64_t ldv, const double *wi,
                                     double *work)
{
    ct_geev_normalise_w4(n, vr, ldv, wi, work);
}

/* float's ct_strevc_right, ct_sgeev_normalise (and ct_shseqr_small above):
 * the double ones on float matrices */
static inline int ct_strevc_right(int64_t n, const float *t, int64_t ldt, float *q, int64_t ldq,
                                  float *work)
{
    return ct_trevc_right_s8(n, t, ldt, q, ldq, work);
}

static inline void ct_sgeev_normalise(int64_t n, float *vr, int64_t ldv, const double *wi,
                                      double *work)
{
    ct_geev_normalise_s8(n, vr, ldv, wi, work);
}




#pragma GCC pop_options

#endif
