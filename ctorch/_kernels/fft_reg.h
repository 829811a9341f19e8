/* Complex transforms of short rows held whole in AVX-512 registers
 * (included by fft.c): float lengths N = R C with (R, C) = (8, 8), (16, 8)
 * and (16, 16), that is 64, 128 and 256, 512 as two of 256, 1024 as two of
 * 512 (its even and odd samples first copied apart, in L1), and the real
 * transforms of twice those lengths (both ways) through them; 16 and 32,
 * float and double, several rows a vector; double 64, 128 and 256 (and
 * the real transforms of twice those to their coefficients).
 *
 * Element j = C p + l of a row (p < R, l < C) is lane l of vector p, its
 * real and imaginary parts in two vectors. With k = k1 + R k2,
 * Z[k] = sum_l w_N^(l k1) w_C^(l k2) [sum_p z[C p + l] w_R^(p k1)]:
 * R-point transforms down the vectors (every lane at once, no shuffles),
 * the twiddles w_N^(l k1) (a table of whole vectors), a transpose of the
 * R x C matrix into C vectors of R lanes, and C-point transforms down
 * those. Vector k2 then holds Z[R k2 .. R k2 + R - 1], in order: a row is
 * read once and written once, all its passes in registers. Where C is 8,
 * two rows go together so that every vector is 16 floats wide. The
 * transforms are the lanes' radix-4 and radix-8 butterflies in the same
 * order, with the same twiddles: 64 and 128 give the lanes' results bit for
 * bit (fft.c's vector plan 8, 8 and 4, 4, 8). */

#if defined(__GNUC__) && defined(__x86_64__)
#define FFTR 1
#define FFTR_TARGET __attribute__((target("avx512f,avx512vl,avx512dq,avx2,fma"), noinline))
#define FFTR_INLINE __attribute__((target("avx512f,avx512vl,avx512dq,avx2,fma"), always_inline)) static inline

typedef float fr16 __attribute__((vector_size(64)));
typedef int32_t fr16i __attribute__((vector_size(64)));
typedef float fr8 __attribute__((vector_size(32)));
typedef float fr16u __attribute__((vector_size(64), aligned(4)));
typedef float fr8u __attribute__((vector_size(32), aligned(4)));

static int fftr_avx512(void) {
    static int has = -1;
    if (has < 0)
        has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")
              && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("fma");
    return has;
}

/* in-place transforms of vectors r[0..], i[0..] (forward, natural order) */
#define FR_BF4(r, i, o0, o1, o2, o3) do {                                                 \
    __typeof__(r[0]) t0r_ = r[o0] + r[o2], t0i_ = i[o0] + i[o2];                          \
    __typeof__(r[0]) t1r_ = r[o0] - r[o2], t1i_ = i[o0] - i[o2];                          \
    __typeof__(r[0]) t2r_ = r[o1] + r[o3], t2i_ = i[o1] + i[o3];                          \
    __typeof__(r[0]) t3r_ = i[o1] - i[o3], t3i_ = r[o3] - r[o1];                          \
    r[o0] = t0r_ + t2r_; i[o0] = t0i_ + t2i_;                                             \
    r[o1] = t1r_ + t3r_; i[o1] = t1i_ + t3i_;                                             \
    r[o2] = t0r_ - t2r_; i[o2] = t0i_ - t2i_;                                             \
    r[o3] = t1r_ - t3r_; i[o3] = t1i_ - t3i_;                                             \
} while (0)
#define FR_ST8(q, re, im) do { y8r_[q] = (re); y8i_[q] = (im); } while (0)
#define FR_DFT8(VT, r, i) do {                                                            \
    VT y8r_[8], y8i_[8];                                                                  \
    FFT_BF8(VT, __typeof__(r[0][0]), r[0], i[0], r[1], i[1], r[2], i[2], r[3], i[3], r[4], i[4], r[5], i[5],   \
            r[6], i[6], r[7], i[7], FR_ST8)                                               \
    for (int q_ = 0; q_ < 8; q_++) { r[q_] = y8r_[q_]; i[q_] = y8i_[q_]; }                \
} while (0)
/* (a, b) times (c, d) */
#define FR_CMUL(a, b, c, d) do {                                                          \
    __typeof__(a) m_ = (a) * (c) - (b) * (d);                                             \
    (b) = (a) * (d) + (b) * (c); (a) = m_;                                                \
} while (0)
/* 16 points as 4 x 4: element 4 a + b; the 4-point transforms over a, the
 * twiddles w_16^(b c), the 4-point transforms over b, and the outputs'
 * order c + 4 d from where they land (4 c + d) */
#define FR_DFT16(VT, r, i) do {                                                           \
    typedef __typeof__(r[0][0]) TS_;                                                      \
    const int f_ = sizeof(TS_) == 4;                                                      \
    const TS_ c1_ = f_ ? (TS_)0.92387953251128675613f : (TS_)0.92387953251128675613;      \
    const TS_ s1_ = f_ ? (TS_)0.38268343236508977173f : (TS_)0.38268343236508977173;      \
    const TS_ h_ = f_ ? (TS_)0.70710678118654752440f : (TS_)0.70710678118654752440;       \
    for (int b_ = 0; b_ < 4; b_++) FR_BF4(r, i, b_, 4 + b_, 8 + b_, 12 + b_);            \
    /* w_16^k = (cos, -sin)(2 pi k / 16) for k = b c */                                  \
    FR_CMUL(r[5], i[5], c1_, -s1_);                                                       \
    FR_CMUL(r[6], i[6], h_, -h_);                                                         \
    FR_CMUL(r[7], i[7], s1_, -c1_);                                                       \
    FR_CMUL(r[9], i[9], h_, -h_);                                                         \
    { VT t_ = r[10]; r[10] = i[10]; i[10] = -t_; }                                        \
    FR_CMUL(r[11], i[11], -h_, -h_);                                                      \
    FR_CMUL(r[13], i[13], s1_, -c1_);                                                     \
    FR_CMUL(r[14], i[14], -h_, -h_);                                                      \
    FR_CMUL(r[15], i[15], -c1_, s1_);                                                     \
    for (int c_ = 0; c_ < 4; c_++) FR_BF4(r, i, 4 * c_, 4 * c_ + 1, 4 * c_ + 2, 4 * c_ + 3); \
    VT u_r[16], u_i[16];                                                                  \
    for (int c_ = 0; c_ < 4; c_++)                                                        \
        for (int d_ = 0; d_ < 4; d_++) { u_r[c_ + 4 * d_] = r[4 * c_ + d_]; u_i[c_ + 4 * d_] = i[4 * c_ + d_]; } \
    for (int q_ = 0; q_ < 16; q_++) { r[q_] = u_r[q_]; i[q_] = u_i[q_]; }                 \
} while (0)

#define FR_SH(x, y, M, ...) __builtin_shuffle(x, y, (M){__VA_ARGS__})

/* the first two steps of the transposes below, on K rows (8 or 16):
 * unpcklps/unpckhps of row pairs, shufps of those; u[4 g + c] holds rows
 * 4 g .. 4 g + 3 of columns 4 b + c in 128-bit lane b */
FFTR_INLINE void fr_t4x4(const fr16 *x, int K, fr16 *u) {
    fr16 t[16];
    for (int k = 0; k < K; k += 2) {
        t[k] = FR_SH(x[k], x[k + 1], fr16i, 0, 16, 1, 17, 4, 20, 5, 21, 8, 24, 9, 25, 12, 28, 13, 29);
        t[k + 1] = FR_SH(x[k], x[k + 1], fr16i, 2, 18, 3, 19, 6, 22, 7, 23, 10, 26, 11, 27, 14, 30, 15, 31);
    }
    for (int g = 0; g < K; g += 4)
        for (int j = 0; j < 2; j++) {
            u[g + 2 * j] = FR_SH(t[g + j], t[g + j + 2], fr16i, 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29);
            u[g + 2 * j + 1] = FR_SH(t[g + j], t[g + j + 2], fr16i, 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31);
        }
}
/* 16 x 16: fr_t4x4's steps, then the 128-bit lanes of the four groups */
FFTR_INLINE void fr_t16x16(fr16 *x) {
    fr16 u[16];
    fr_t4x4(x, 16, u);
    for (int c = 0; c < 4; c++) {
        /* lanes 0, 2 (s1, s3) and 1, 3 (s2, s4) of two groups each */
        const fr16 s1 = FR_SH(u[c], u[4 + c], fr16i, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
        const fr16 s2 = FR_SH(u[c], u[4 + c], fr16i, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
        const fr16 s3 = FR_SH(u[8 + c], u[12 + c], fr16i, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
        const fr16 s4 = FR_SH(u[8 + c], u[12 + c], fr16i, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
        x[c] = FR_SH(s1, s3, fr16i, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
        x[8 + c] = FR_SH(s1, s3, fr16i, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
        x[4 + c] = FR_SH(s2, s4, fr16i, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
        x[12 + c] = FR_SH(s2, s4, fr16i, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
    }
}
/* 16 complex values (real parts r, imaginary parts i) interleaved: lanes
 * 0 .. 7 to lo, lanes 8 .. 15 to hi */
FFTR_INLINE void fr_interleave(float *lo, float *hi, fr16 r, fr16 i) {
    *(fr16u *)lo = FR_SH(r, i, fr16i, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    *(fr16u *)hi = FR_SH(r, i, fr16i, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
}
/* interleaved stores of 16 complex values: real parts times scale,
 * imaginary parts times si */
FFTR_INLINE void fr_store16(float *o, fr16 r, fr16 i, float scale, float si) {
    fr_interleave(o, o + 16, r * scale, i * si);
}
/* the twiddles w_N^(l k1) of vector k1 (k1 >= 1; L_ lanes) */
#define FR_TWIDDLE(tw, k, xr, xi) do {                                                   \
    typedef __typeof__(xr) V_;                                                            \
    enum { L_ = sizeof(V_) / sizeof((xr)[0]) };                                           \
    const V_ wr_ = *(const V_ *)((tw) + 2 * L_ * ((k) - 1));                              \
    const V_ wi_ = *(const V_ *)((tw) + 2 * L_ * ((k) - 1) + L_);                         \
    FR_CMUL(xr, xi, wr_, wi_);                                                            \
} while (0)
/* 16 interleaved complex values (u, then v) apart: real parts to *r,
 * imaginary parts times sign to *i */
FFTR_INLINE void fr_split16(fr16 u, fr16 v, float sign, fr16 *r, fr16 *i) {
    *r = FR_SH(u, v, fr16i, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    *i = FR_SH(u, v, fr16i, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31) * sign;
}
/* vector p of xr, xi: the complex values 16 p .. 16 p + 15 of row a (or,
 * with b, the 8 values 8 p .. of row a in lanes 0 .. 7 and of row b in
 * lanes 8 .. 15), imaginary parts times sign */
FFTR_INLINE void fr_load(const float *a, const float *b, int P, float sign, fr16 *xr, fr16 *xi) {
    for (int p = 0; p < P; p++) {
        const fr16 u = *(const fr16u *)(b ? a + 16 * p : a + 32 * p);
        const fr16 v = *(const fr16u *)(b ? b + 16 * p : a + 32 * p + 16);
        fr_split16(u, v, sign, xr + p, xi + p);
    }
}
/* X[k] = E[k] + w^k O[k] (fft_r2c_post) from a spectrum of N = W V values
 * in V vectors of W lanes (Z[N - k] for the lanes of vector k from vectors
 * (V - k) mod V, lane 0, and V - 1 - k, the others reversed), written
 * interleaved at o by STORE, N + 1 values, times scale; rw the plan's w^k,
 * k < N: N real parts, then N imaginary parts */
#define FR_POST(NAME, T, VT, VTU, MT, W, STORE)                                          \
FFTR_INLINE void NAME(const VT *yr, const VT *yi, const T *rw, int V, T *o, T scale) {    \
    MT mir;                                                                               \
    for (int l = 0; l < W; l++) mir[l] = l ? 2 * W - l : 0;                               \
    const int N = W * V;                                                                  \
    for (int k = 0; k < V; k++) {                                                         \
        const VT pr = yr[k], pi = yi[k];                                                  \
        const VT qr = __builtin_shuffle(yr[(V - k) % V], yr[V - 1 - k], mir);             \
        const VT qi = __builtin_shuffle(yi[(V - k) % V], yi[V - 1 - k], mir);             \
        const VT wa = *(const VTU *)(rw + W * k), wb = *(const VTU *)(rw + N + W * k);    \
        const VT er = (pr + qr) * (T)0.5, ei = (pi - qi) * (T)0.5;                        \
        const VT o_r = (pi + qi) * (T)0.5, o_i = (qr - pr) * (T)0.5;                      \
        STORE(o + 2 * W * k, er + wa * o_r - wb * o_i, ei + wa * o_i + wb * o_r, scale, scale); \
    }                                                                                     \
    o[2 * N] = (yr[0][0] - yi[0][0]) * scale; o[2 * N + 1] = 0; o[1] = 0;                 \
}
FR_POST(fr_post, float, fr16, fr16u, fr16i, 16, fr_store16)
/* z[k] of c2r from a row of m + 1 coefficients (fft_c2r_pre's steps, W
 * lanes at a time: X[m - k] for W lanes from W values read backwards),
 * written interleaved to z by STORE (sign s and halving h: fft.c's c2r
 * flags); the lines of the row at next (if any) fetched ahead, two a step
 * (a row's second half read backwards is a stream the prefetchers follow
 * late) */
#define FR_C2R_PRE(NAME, T, VT, VTU, MT, W, STORE)                                       \
FFTR_INLINE void NAME(int64_t m, const T *in, const T *rw, T s, T h, T *z, const T *next) { \
    MT ev, od, rev, rod;                                                                  \
    for (int l = 0; l < W; l++) {                                                         \
        ev[l] = 2 * l; od[l] = 2 * l + 1; rev[l] = 2 * W - 2 - 2 * l; rod[l] = 2 * W - 1 - 2 * l; \
    }                                                                                     \
    const T hs = h * s;                                                                   \
    for (int64_t k = 0; k < m; k += W) {                                                  \
        if (next) {                                                                       \
            __builtin_prefetch(next + 2 * k);                                             \
            __builtin_prefetch(next + 2 * k + W);                                         \
        }                                                                                 \
        const VT u = *(const VTU *)(in + 2 * k), v = *(const VTU *)(in + 2 * k + W);      \
        const T *q = in + 2 * (m - k - (W - 1));                                          \
        const VT a = *(const VTU *)q, b = *(const VTU *)(q + W);                          \
        const VT xr = h * __builtin_shuffle(u, v, ev), xi = hs * __builtin_shuffle(u, v, od); \
        const VT yr = h * __builtin_shuffle(a, b, rev), yi = hs * __builtin_shuffle(a, b, rod); \
        const VT wa = *(const VTU *)(rw + k), wb = *(const VTU *)(rw + m + k);            \
        const VT sr = xr + yr, si = xi - yi, dr = xr - yr, di = xi + yi;                  \
        const VT br = dr * wa + di * wb, bi = di * wa - dr * wb;                          \
        VT zr = sr - bi, zi = -(si + br);                                                 \
        if (k == 0) {                                                                     \
            zr[0] = in[0] + in[2 * m];                                                    \
            zi[0] = -(in[0] - in[2 * m]);                                                 \
        }                                                                                 \
        STORE(z + 2 * k, zr, zi, (T)1, (T)1);                                             \
    }                                                                                     \
}
FR_C2R_PRE(fr_c2r_pre, float, fr16, fr16u, fr16i, 16, fr_store16)

/* rows of N complex values transformed by fr_row<N>, a row at a time:
 * complex ones (times scale, sign -1 backward) and real ones of 2 N to N + 1
 * coefficients */
#define FR_ROWS(N)                                                                        \
FFTR_TARGET static void fr_c2c##N(const float *in, float *out, int64_t rows, const float *tw, \
                                  float sign, float scale) {                              \
    for (int64_t r = 0; r < rows; r++) {                                                  \
        fr16 yr[N / 16], yi[N / 16];                                                      \
        fr_row##N(in + 2 * N * r, tw, sign, yr, yi);                                      \
        for (int k = 0; k < N / 16; k++)                                                  \
            fr_store16(out + 2 * N * r + 32 * k, yr[k], yi[k], scale, sign * scale);      \
    }                                                                                     \
}                                                                                         \
FFTR_TARGET static void fr_r2c##N(const float *in, float *out, int64_t rows, const float *tw, \
                                  const float *rw, float scale) {                         \
    for (int64_t r = 0; r < rows; r++) {                                                  \
        fr16 yr[N / 16], yi[N / 16];                                                      \
        fr_row##N(in + 2 * N * r, tw, 1.0f, yr, yi);                                      \
        fr_post(yr, yi, rw, N / 16, out + (2 * N + 2) * r, scale);                        \
    }                                                                                     \
}

/* Length 256 as 16 x 16, a row at a time */
FFTR_INLINE void fr_dft256(const float *tw, fr16 *xr, fr16 *xi) {
    FR_DFT16(fr16, xr, xi);
    for (int k = 1; k < 16; k++) FR_TWIDDLE(tw, k, xr[k], xi[k]);
    fr_t16x16(xr);
    fr_t16x16(xi);
    FR_DFT16(fr16, xr, xi);
}
FFTR_INLINE void fr_row256(const float *in, const float *tw, float sign, fr16 *xr, fr16 *xi) {
    fr_load(in, NULL, 16, sign, xr, xi);
    fr_dft256(tw, xr, xi);
}
FR_ROWS(256)

/* Length 512 as two of 256 (the even and the odd samples, e and o):
 * X[k] = E[k] + w^k O[k], X[k + 256] = E[k] - w^k O[k], w = exp(-2 pi i /
 * 512); E kept in y's second half while O is made in x. tw: 256's
 * twiddles, then w^k, k < 256 (256 real parts, then 256 imaginary parts,
 * 512 floats on) */
FFTR_INLINE void fr_load_eo(const float *in, int odd, float sign, fr16 *xr, fr16 *xi) {
    const fr16i pick = {0, 4, 8, 12, 16, 20, 24, 28, 1, 5, 9, 13, 17, 21, 25, 29};
    const fr16i pick2 = {2, 6, 10, 14, 18, 22, 26, 30, 3, 7, 11, 15, 19, 23, 27, 31};
    for (int p = 0; p < 16; p++) {
        const float *s = in + 64 * p;
        const fr16 a = *(const fr16u *)s, b = *(const fr16u *)(s + 16);
        const fr16 c = *(const fr16u *)(s + 32), d = *(const fr16u *)(s + 48);
        const fr16 t1 = __builtin_shuffle(a, b, odd ? pick2 : pick);
        const fr16 t2 = __builtin_shuffle(c, d, odd ? pick2 : pick);
        xr[p] = FR_SH(t1, t2, fr16i, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
        xi[p] = FR_SH(t1, t2, fr16i, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31) * sign;
    }
}
/* X[k] = E[k] + w^k O[k], X[k + 16 V] = E[k] - w^k O[k] from E (V vectors
 * in yr, yi from V on) and O (orr, oi): w^k from w (16 V real parts, then
 * 16 V imaginary parts); X in yr, yi */
FFTR_INLINE void fr_halves(const float *w, int V, const fr16 *orr, const fr16 *oi, fr16 *yr,
                           fr16 *yi) {
    for (int k = 0; k < V; k++) {
        fr16 tr = orr[k], ti = oi[k];
        const fr16 wr = *(const fr16 *)(w + 16 * k), wi = *(const fr16 *)(w + 16 * V + 16 * k);
        FR_CMUL(tr, ti, wr, wi);
        const fr16 er = yr[V + k], ei = yi[V + k];
        yr[k] = er + tr; yi[k] = ei + ti;
        yr[V + k] = er - tr; yi[V + k] = ei - ti;
    }
}
FFTR_INLINE void fr_row512(const float *in, const float *tw, float sign, fr16 *yr, fr16 *yi) {
    fr16 xr[16], xi[16];
    fr_load_eo(in, 0, sign, xr, xi);
    fr_dft256(tw, xr, xi);
    for (int k = 0; k < 16; k++) { yr[16 + k] = xr[k]; yi[16 + k] = xi[k]; }
    fr_load_eo(in, 1, sign, xr, xi);
    fr_dft256(tw, xr, xi);
    fr_halves(tw + 512, 16, xr, xi, yr, yi);
}
FR_ROWS(512)

/* Length 1024 as two of 512 the same way (512's twiddles, then w^k, k <
 * 512, w = exp(-2 pi i / 1024), 1024 floats on) */
FFTR_INLINE void fr_row1024(const float *in, const float *tw, float sign, fr16 *yr, fr16 *yi) {
    /* the even and the odd samples as two rows of 512 (64-bit lanes: one
     * complex value each) */
    typedef double fr8d __attribute__((vector_size(64)));
    typedef int64_t fr8i __attribute__((vector_size(64)));
    typedef double fr8du __attribute__((vector_size(64), aligned(8)));
    /* (the odd half 64 bytes further than 4 KiB on: stores 4 KiB apart
     * stalled as if they overlapped) */
    double eo[2 * 512 + 8] __attribute__((aligned(64)));
    const fr8i ev = {0, 2, 4, 6, 8, 10, 12, 14}, od = {1, 3, 5, 7, 9, 11, 13, 15};
    for (int c = 0; c < 64; c++) {
        const fr8d u = *(const fr8du *)(in + 32 * c), v = *(const fr8du *)(in + 32 * c + 16);
        *(fr8d *)(eo + 8 * c) = __builtin_shuffle(u, v, ev);
        *(fr8d *)(eo + 520 + 8 * c) = __builtin_shuffle(u, v, od);
    }
    fr16 orr[32], oi[32];
    fr_row512((const float *)eo, tw, sign, yr + 32, yi + 32);
    fr_row512((const float *)(eo + 520), tw, sign, orr, oi);
    fr_halves(tw + 1024, 32, orr, oi, yr, yi);
}
FR_ROWS(1024)

/* Length 64 as 8 x 8, two rows at a time: the 256-bit halves of each
 * vector are the two rows' (lanes 0 .. 7 row a's, 8 .. 15 row b's), so
 * that every pass runs 512 bits wide; the transpose is two 8 x 8 ones,
 * one in each half */
FFTR_INLINE void fr_t8x8x2(fr16 *x) {
    fr16 u[8];
    fr_t4x4(x, 8, u);
    for (int c = 0; c < 4; c++) {
        x[c] = FR_SH(u[c], u[4 + c], fr16i, 0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27);
        x[4 + c] = FR_SH(u[c], u[4 + c], fr16i, 4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31);
    }
}
/* rows a and b of 64 complex values to their split spectra (vector k2:
 * lanes 0 .. 7 Z_a[8 k2 ..], lanes 8 .. 15 Z_b[8 k2 ..]); tw as fr_row's
 * with each vector's 8 twiddles twice */
FFTR_INLINE void fr_row64x2(const float *a, const float *b, const float *tw, float sign,
                            fr16 *xr, fr16 *xi) {
    fr_load(a, b, 8, sign, xr, xi);
    FR_DFT8(fr16, xr, xi);
    for (int k = 1; k < 8; k++) FR_TWIDDLE(tw, k, xr[k], xi[k]);
    fr_t8x8x2(xr);
    fr_t8x8x2(xi);
    FR_DFT8(fr16, xr, xi);
}
/* the rows in pairs; an odd last one with itself, its copy written to a
 * scratch row */
#define FR_PAIRS(IS, OS, ...) {                                                          \
    float spare_[2 * 129];                                                                 \
    for (int64_t r = 0; r < rows; r += 2) {                                               \
        const float *a = in + (IS) * r, *b = r + 1 < rows ? a + (IS) : a;                 \
        float *oa = out + (OS) * r, *ob = r + 1 < rows ? oa + (OS) : spare_;              \
        __VA_ARGS__                                                                       \
    }                                                                                     \
}
/* fr_row64x2's spectra to the interleaved rows, times scale (imaginary
 * parts times si) */
FFTR_INLINE void fr_out64(const fr16 *yr, const fr16 *yi, float *oa, float *ob, float scale, float si) {
    for (int k = 0; k < 8; k++) {
        fr_interleave(oa + 16 * k, ob + 16 * k, yr[k] * scale, yi[k] * si);
    }
}
FFTR_TARGET static void fr_c2c64(const float *in, float *out, int64_t rows, const float *tw,
                                 float sign, float scale) {
    const float si = sign * scale;
    FR_PAIRS(128, 128, {
        fr16 yr[8], yi[8];
        fr_row64x2(a, b, tw, sign, yr, yi);
        fr_out64(yr, yi, oa, ob, scale, si);
    })
}
FFTR_TARGET static void fr_r2c64(const float *in, float *out, int64_t rows, const float *tw,
                                 const float *rw, float scale) {
    FR_PAIRS(128, 130, {
        fr16 yr[8], yi[8];
        fr_row64x2(a, b, tw, 1.0f, yr, yi);
        const float z0ar = yr[0][0], z0ai = yi[0][0], z0br = yr[0][8], z0bi = yi[0][8];
        for (int k = 0; k < 8; k++) {
            const fr16i mir = {0, 23, 22, 21, 20, 19, 18, 17, 8, 31, 30, 29, 28, 27, 26, 25};
            const fr16 pr = yr[k], pi = yi[k];
            const fr16 qr = __builtin_shuffle(yr[(8 - k) % 8], yr[7 - k], mir);
            const fr16 qi = __builtin_shuffle(yi[(8 - k) % 8], yi[7 - k], mir);
            const fr8 a8 = *(const fr8u *)(rw + 8 * k), b8 = *(const fr8u *)(rw + 64 + 8 * k);
            const fr16 wa = __builtin_shufflevector(a8, a8, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7);
            const fr16 wb = __builtin_shufflevector(b8, b8, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7);
            const fr16 er = (pr + qr) * 0.5f, ei = (pi - qi) * 0.5f;
            const fr16 o_r = (pi + qi) * 0.5f, o_i = (qr - pr) * 0.5f;
            fr_interleave(oa + 16 * k, ob + 16 * k, (er + wa * o_r - wb * o_i) * scale,
                          (ei + wa * o_i + wb * o_r) * scale);
        }
        oa[128] = (z0ar - z0ai) * scale; oa[129] = 0; oa[1] = 0;
        ob[128] = (z0br - z0bi) * scale; ob[129] = 0; ob[1] = 0;
    })
}

/* Length 128 as 16 x 8, two rows at a time the same way: the 16 x 8
 * matrices of both rows transposed as one 16 x 16 into 8 vectors of 16
 * lanes each (row a's, then row b's), their 8-point transforms down those.
 * xa[k2], xb[k2]: Z_a[16 k2 ..], Z_b[16 k2 ..] */
FFTR_INLINE void fr_row128x2(const float *a, const float *b, const float *tw, float sign,
                             fr16 *xr, fr16 *xi) {
    fr_load(a, b, 16, sign, xr, xi);
    FR_DFT16(fr16, xr, xi);
    for (int k = 1; k < 16; k++) FR_TWIDDLE(tw, k, xr[k], xi[k]);
    fr_t16x16(xr);
    fr_t16x16(xi);
    FR_DFT8(fr16, xr, xi);
    FR_DFT8(fr16, (xr + 8), (xi + 8));
}
FFTR_TARGET static void fr_c2c128(const float *in, float *out, int64_t rows, const float *tw,
                                  float sign, float scale) {
    FR_PAIRS(256, 256, {
        fr16 yr[16], yi[16];
        fr_row128x2(a, b, tw, sign, yr, yi);
        for (int k = 0; k < 8; k++) {
            fr_store16(oa + 32 * k, yr[k], yi[k], scale, sign * scale);
            fr_store16(ob + 32 * k, yr[8 + k], yi[8 + k], scale, sign * scale);
        }
    })
}
FFTR_TARGET static void fr_r2c128(const float *in, float *out, int64_t rows, const float *tw,
                                  const float *rw, float scale) {
    FR_PAIRS(256, 258, {
        fr16 yr[16], yi[16];
        fr_row128x2(a, b, tw, 1.0f, yr, yi);
        fr_post(yr, yi, rw, 8, oa, scale);
        fr_post(yr + 8, yi + 8, rw, 8, ob, scale);
    })
}

/* Lengths 16 (4 x 4) and 32 (8 x 4), several rows a vector: each run of 4
 * lanes of a vector (a 128-bit lane of floats, a 256-bit half of doubles)
 * holds 4 values of one row, element j = 4 p + l of a row lane l of its run
 * in vector p; four float rows a step, or two double rows. The R-point
 * transforms down the vectors and the twiddles as above; then each group
 * of 4 vectors (k1 = 4 g .. 4 g + 3) is transposed within the runs, so that
 * vector 4 g + l holds k1 = 4 g .. 4 g + 3 of column l of each row, and the
 * 4-point transforms down vectors 4 g .. 4 g + 3 leave Z[k1 + R k2] in
 * vector 4 g + k2: vector 4 g + k2 holds Z[R k2 + 4 g .. R k2 + 4 g + 3] of
 * each row in its run (32's 8 x 4 matrices never transposed whole). */
typedef double fd8 __attribute__((vector_size(64)));
typedef int64_t fd8i __attribute__((vector_size(64)));
typedef double fd8u __attribute__((vector_size(64), aligned(8)));
/* 8 complex doubles (real parts r, imaginary parts i) interleaved: lanes
 * 0 .. 3 to lo, lanes 4 .. 7 to hi */
FFTR_INLINE void frd_interleave(double *lo, double *hi, fd8 r, fd8 i) {
    *(fd8u *)lo = FR_SH(r, i, fd8i, 0, 8, 1, 9, 2, 10, 3, 11);
    *(fd8u *)hi = FR_SH(r, i, fd8i, 4, 12, 5, 13, 6, 14, 7, 15);
}
/* fr_split16 for 8 double values */
FFTR_INLINE void fr_split8(fd8 u, fd8 v, double sign, fd8 *r, fd8 *i) {
    *r = FR_SH(u, v, fd8i, 0, 2, 4, 6, 8, 10, 12, 14);
    *i = FR_SH(u, v, fd8i, 1, 3, 5, 7, 9, 11, 13, 15) * sign;
}

/* the rows of a step of G rows: q[g] row r + g of in (rows IS values
 * apart), o[g] of out (OS apart; past the last row: the step's first row
 * read again, its result written to a scratch row) */
#define FR_STEPS(T, G, IS, OS, ...) {                                                     \
    T spare_[72];                                                                         \
    for (int64_t r = 0; r < rows; r += G) {                                               \
        const T *q[G];                                                                    \
        T *o[G];                                                                          \
        for (int g = 0; g < G; g++) {                                                     \
            q[g] = in + (IS) * (r + g < rows ? r + g : r);                                \
            o[g] = r + g < rows ? out + (OS) * (r + g) : spare_;                          \
        }                                                                                 \
        __VA_ARGS__                                                                       \
    }                                                                                     \
}
/* vector p of xr, xi: values 4 p .. 4 p + 3 of the float rows q[0 .. 3],
 * imaginary parts times sign */
FFTR_INLINE void fr_load4(const float *const *q, int P, float sign, fr16 *xr, fr16 *xi) {
    for (int p = 0; p < P; p++) {
        const fr8 a = *(const fr8u *)(q[0] + 8 * p), b = *(const fr8u *)(q[1] + 8 * p);
        const fr8 c = *(const fr8u *)(q[2] + 8 * p), d = *(const fr8u *)(q[3] + 8 * p);
        const fr16 u = __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        const fr16 v = __builtin_shufflevector(c, d, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        fr_split16(u, v, sign, xr + p, xi + p);
    }
}
/* the same for the double rows q[0], q[1] */
FFTR_INLINE void fr_load2d(const double *const *q, int P, double sign, fd8 *xr, fd8 *xi) {
    for (int p = 0; p < P; p++) {
        const fd8 u = *(const fd8u *)(q[0] + 8 * p), v = *(const fd8u *)(q[1] + 8 * p);
        fr_split8(u, v, sign, xr + p, xi + p);
    }
}
/* 4 x 4 transposes of doubles within the 256-bit halves, K / 4 groups of
 * 4 vectors: u[4 g + c] lane 4 h + k = x[4 g + k] lane 4 h + c */
FFTR_INLINE void fr_t4x4d(const fd8 *x, int K, fd8 *u) {
    for (int g = 0; g < K; g += 4) {
        const fd8 t0 = FR_SH(x[g], x[g + 1], fd8i, 0, 8, 2, 10, 4, 12, 6, 14);
        const fd8 t1 = FR_SH(x[g], x[g + 1], fd8i, 1, 9, 3, 11, 5, 13, 7, 15);
        const fd8 t2 = FR_SH(x[g + 2], x[g + 3], fd8i, 0, 8, 2, 10, 4, 12, 6, 14);
        const fd8 t3 = FR_SH(x[g + 2], x[g + 3], fd8i, 1, 9, 3, 11, 5, 13, 7, 15);
        u[g] = FR_SH(t0, t2, fd8i, 0, 1, 8, 9, 4, 5, 12, 13);
        u[g + 1] = FR_SH(t1, t3, fd8i, 0, 1, 8, 9, 4, 5, 12, 13);
        u[g + 2] = FR_SH(t0, t2, fd8i, 2, 3, 10, 11, 6, 7, 14, 15);
        u[g + 3] = FR_SH(t1, t3, fd8i, 2, 3, 10, 11, 6, 7, 14, 15);
    }
}
/* 16 (R = 4) or 32 (R = 8) points of each run, from the R vectors xr, xi
 * to the spectra (as told above); T the transposes within runs */
#define FR_SHORT(VT, R, tw, xr, xi, T) do {                                               \
    VT ur_[8], ui_[8];                                                                    \
    if ((R) == 4) FR_BF4(xr, xi, 0, 1, 2, 3);                                             \
    else FR_DFT8(VT, xr, xi);                                                             \
    for (int k_ = 1; k_ < (R); k_++) FR_TWIDDLE(tw, k_, xr[k_], xi[k_]);                  \
    T(xr, R, ur_);                                                                        \
    T(xi, R, ui_);                                                                        \
    for (int g_ = 0; g_ < (R); g_ += 4) FR_BF4(ur_, ui_, g_, g_ + 1, g_ + 2, g_ + 3);     \
    for (int k_ = 0; k_ < (R); k_++) { xr[k_] = ur_[k_]; xi[k_] = ui_[k_]; }              \
} while (0)
/* the first of the values of a run of vector k of FR_SHORT's result */
#define FR_SHORT_AT(R, k) (4 * ((k) % 4 * ((R) / 4) + (k) / 4))

/* Double rows of 64 (8 x 8), 128 (16 x 8) and 256 (two of 128), a row at
 * a time: the float kernels' steps on vectors of 8 lanes. 64: vector k2
 * holds Z[8 k2 ..]; 128: the 16 x 8 matrix transposed as two 8 x 8 ones
 * (k1 < 8 and k1 >= 8), and after the 8-point transforms down each half
 * vector k2 holds Z[16 k2 ..], vector 8 + k2 Z[16 k2 + 8 ..]; frd_row
 * leaves the spectrum in natural order (vector k: Z[8 k ..]). */
FFTR_INLINE void fr_t8x8d(fd8 *x) {
    fd8 u[8];
    fr_t4x4d(x, 8, u);
    for (int c = 0; c < 4; c++) {
        x[c] = FR_SH(u[c], u[4 + c], fd8i, 0, 1, 2, 3, 8, 9, 10, 11);
        x[4 + c] = FR_SH(u[c], u[4 + c], fd8i, 4, 5, 6, 7, 12, 13, 14, 15);
    }
}
/* vector p of xr, xi: complex values 8 p .. 8 p + 7 of the row at a (even
 * ones only: eo 1, odd ones only: eo 2), imaginary parts times sign */
FFTR_INLINE void frd_load(const double *a, int P, int eo, double sign, fd8 *xr, fd8 *xi) {
    for (int p = 0; p < P; p++) {
        if (eo == 0) {
            const fd8 u = *(const fd8u *)(a + 16 * p), v = *(const fd8u *)(a + 16 * p + 8);
            fr_split8(u, v, sign, xr + p, xi + p);
        } else {
            const double *s = a + 32 * p;
            const fd8 b0 = *(const fd8u *)s, b1 = *(const fd8u *)(s + 8);
            const fd8 b2 = *(const fd8u *)(s + 16), b3 = *(const fd8u *)(s + 24);
            const fd8 t1 = eo == 1 ? FR_SH(b0, b1, fd8i, 0, 4, 8, 12, 1, 5, 9, 13)
                                   : FR_SH(b0, b1, fd8i, 2, 6, 10, 14, 3, 7, 11, 15);
            const fd8 t2 = eo == 1 ? FR_SH(b2, b3, fd8i, 0, 4, 8, 12, 1, 5, 9, 13)
                                   : FR_SH(b2, b3, fd8i, 2, 6, 10, 14, 3, 7, 11, 15);
            xr[p] = FR_SH(t1, t2, fd8i, 0, 1, 2, 3, 8, 9, 10, 11);
            xi[p] = FR_SH(t1, t2, fd8i, 4, 5, 6, 7, 12, 13, 14, 15) * sign;
        }
    }
}
/* N = 64 or 128 points of the row at a (eo as frd_load's), to y in
 * natural order */
FFTR_INLINE void frd_row(int N, const double *a, int eo, const double *tw, double sign, fd8 *yr,
                         fd8 *yi) {
    fd8 xr[16], xi[16];
    if (N == 64) {
        frd_load(a, 8, eo, sign, yr, yi);
        FR_DFT8(fd8, yr, yi);
        for (int k = 1; k < 8; k++) FR_TWIDDLE(tw, k, yr[k], yi[k]);
        fr_t8x8d(yr);
        fr_t8x8d(yi);
        FR_DFT8(fd8, yr, yi);
        return;
    }
    frd_load(a, 16, eo, sign, xr, xi);
    FR_DFT16(fd8, xr, xi);
    for (int k = 1; k < 16; k++) FR_TWIDDLE(tw, k, xr[k], xi[k]);
    fr_t8x8d(xr);
    fr_t8x8d(xr + 8);
    fr_t8x8d(xi);
    fr_t8x8d(xi + 8);
    FR_DFT8(fd8, xr, xi);
    FR_DFT8(fd8, (xr + 8), (xi + 8));
    for (int k = 0; k < 8; k++) {
        yr[2 * k] = xr[k]; yi[2 * k] = xi[k];
        yr[2 * k + 1] = xr[8 + k]; yi[2 * k + 1] = xi[8 + k];
    }
}
/* 256 points as two of 128 (the even and the odd samples): X[k] = E[k] +
 * w^k O[k], X[k + 128] = E[k] - w^k O[k]; tw: 128's twiddles, then w^k,
 * k < 128 (128 real parts, then 128 imaginary parts, 240 doubles on) */
FFTR_INLINE void frd_row256(const double *a, const double *tw, double sign, fd8 *yr, fd8 *yi) {
    fd8 orr[16], oi[16];
    frd_row(128, a, 1, tw, sign, yr, yi);
    frd_row(128, a, 2, tw, sign, orr, oi);
    const double *w = tw + 240;
    for (int k = 0; k < 16; k++) {
        fd8 tr = orr[k], ti = oi[k];
        const fd8 wr = *(const fd8 *)(w + 8 * k), wi = *(const fd8 *)(w + 128 + 8 * k);
        FR_CMUL(tr, ti, wr, wi);
        const fd8 er = yr[k], ei = yi[k];
        yr[k] = er + tr; yi[k] = ei + ti;
        yr[16 + k] = er - tr; yi[16 + k] = ei - ti;
    }
}
/* interleaved stores of 8 complex doubles: real parts times scale,
 * imaginary parts times si */
FFTR_INLINE void frd_store8(double *o, fd8 r, fd8 i, double scale, double si) {
    frd_interleave(o, o + 8, r * scale, i * si);
}
FR_POST(frd_post, double, fd8, fd8u, fd8i, 8, frd_store8)
FR_C2R_PRE(frd_c2r_pre, double, fd8, fd8u, fd8i, 8, frd_store8)
/* rows of N = 64, 128 or 256 complex doubles (kind 0: times scale, sign -1
 * backward), real rows of 2 N to N + 1 coefficients (kind 1) or back
 * (kind 2: sign and h c2r's conjugate and halving, as fr_c2r) */
FFTR_INLINE void frd_rows(int N, int kind, const double *in, double *out, int64_t rows,
                          const double *tw, const double *rw, double sign, double h,
                          double scale) {
    double z[2 * 256] __attribute__((aligned(64)));
    const double si = kind == 2 ? -scale : sign * scale;
    for (int64_t r = 0; r < rows; r++) {
        fd8 yr[32], yi[32];
        const double *a = in + 2 * N * r;
        if (kind == 2) {
            frd_c2r_pre(N, in + (2 * N + 2) * r, rw, sign, h, z,
                        r + 1 < rows ? in + (2 * N + 2) * (r + 1) : NULL);
            a = z;
        }
        const double ts = kind == 2 ? 1.0 : sign;
        if (N == 256) frd_row256(a, tw, ts, yr, yi);
        else frd_row(N, a, 0, tw, ts, yr, yi);
        if (kind == 1) {
            frd_post(yr, yi, rw, N / 8, out + (2 * N + 2) * r, scale);
            continue;
        }
        for (int k = 0; k < N / 8; k++) frd_store8(out + 2 * N * r + 16 * k, yr[k], yi[k], scale, si);
    }
}
#define FRD_ROWS(N)                                                                       \
FFTR_TARGET static void frd_rows##N(int kind, const double *in, double *out, int64_t rows, \
                                    const double *tw, const double *rw, double sign,      \
                                    double h, double scale) {                             \
    frd_rows(N, kind, in, out, rows, tw, rw, sign, h, scale);                             \
}
FRD_ROWS(64)
FRD_ROWS(128)
FRD_ROWS(256)


/* Real rows of 2 m values from rows of m + 1 coefficients (fft.c's c2r:
 * flags' conjugate s and halving h): z[k] by fft_c2r_pre's steps into
 * scratch (X[m - k] for 16 lanes from a block of 16 values read
 * backwards), then its forward transform, written as the real row with the
 * imaginary parts negated, times scale */
FFTR_TARGET static void fr_c2r(int64_t m, const float *in, float *out, int64_t rows, const float *tw,
                               const float *rw, float s, float h, float scale) {
    float z[2 * 1024] __attribute__((aligned(64)));
    fr16 yr[64], yi[64];
    if (m <= 128) {
        FR_PAIRS(2 * (m + 1), 2 * m, {
            fr_c2r_pre(m, a, rw, s, h, z, NULL);
            fr_c2r_pre(m, b, rw, s, h, z + 2 * m, NULL);
            if (m == 64) {
                fr_row64x2(z, z + 128, tw, 1.0f, yr, yi);
                fr_out64(yr, yi, oa, ob, scale, -scale);
            } else {
                fr_row128x2(z, z + 256, tw, 1.0f, yr, yi);
                for (int k = 0; k < 8; k++) {
                    fr_store16(oa + 32 * k, yr[k], yi[k], scale, -scale);
                    fr_store16(ob + 32 * k, yr[8 + k], yi[8 + k], scale, -scale);
                }
            }
        })
        return;
    }
    for (int64_t r = 0; r < rows; r++) {
        fr_c2r_pre(m, in + 2 * (m + 1) * r, rw, s, h, z, r + 1 < rows ? in + 2 * (m + 1) * (r + 1) : NULL);
        if (m == 256) fr_row256(z, tw, 1.0f, yr, yi);
        else if (m == 512) fr_row512(z, tw, 1.0f, yr, yi);
        else fr_row1024(z, tw, 1.0f, yr, yi);
        for (int k = 0; k < m / 16; k++) fr_store16(out + 2 * m * r + 32 * k, yr[k], yi[k], scale, -scale);
    }
}

/* Rows of N = 16 or 32 values through FR_SHORT, a step of four float rows
 * (two double ones) at a time: complex ones (kind 0: times scale, sign -1
 * backward), real ones of 2 N to N + 1 coefficients (1: the spectra through
 * scratch rows, then fr_post's steps) or back (2: fr_c2r_pre's rows in
 * scratch, transformed forward, imaginary parts negated; sign and h
 * c2r's conjugate and halving) */
#define FR_SHORT_ROWS(T, VT, G, C2R_PRE, LOAD, T4, STORE, POST)                             \
    T zs[2 * 32 * G] __attribute__((aligned(64)));                                        \
    const int64_t is = kind == 2 ? 2 * N + 2 : 2 * N, os = kind == 1 ? 2 * N + 2 : 2 * N; \
    const T ts = kind == 0 ? sign : (T)1, ss = kind == 1 ? (T)1 : scale;                  \
    const T si = kind == 0 ? sign * scale : kind == 1 ? (T)1 : -scale;                    \
    FR_STEPS(T, G, is, os, {                                                              \
        VT xr[8], xi[8];                                                                  \
        const T *qq[G];                                                                   \
        T *oo[G];                                                                         \
        for (int g = 0; g < G; g++) {                                                     \
            qq[g] = q[g];                                                                 \
            oo[g] = kind == 1 ? zs + 2 * N * g : o[g];                                    \
            if (kind == 2) {                                                              \
                C2R_PRE;                                                                  \
                qq[g] = zs + 2 * N * g;                                                   \
            }                                                                             \
        }                                                                                 \
        LOAD;                                                                             \
        FR_SHORT(VT, N / 4, tw, xr, xi, T4);                                              \
        for (int k = 0; k < N / 4; k++) {                                                 \
            const VT zr = xr[k] * ss, zi = xi[k] * si;                                    \
            const int at = 2 * FR_SHORT_AT(N / 4, k);                                     \
            STORE;                                                                        \
        }                                                                                 \
        for (int g = 0; kind == 1 && g < G; g++) {                                        \
            VT yr[4], yi[4];                                                              \
            POST;                                                                         \
        }                                                                                 \
    })
FFTR_INLINE void fr_short_rows(int N, int kind, const float *in, float *out, int64_t rows,
                               const float *tw, const float *rw, float sign, float h,
                               float scale) {
    FR_SHORT_ROWS(float, fr16, 4, fr_c2r_pre(N, q[g], rw, sign, h, zs + 2 * N * g, NULL),
        fr_load4(qq, N / 4, ts, xr, xi), fr_t4x4, {
            const fr16 lo = FR_SH(zr, zi, fr16i, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
            const fr16 hi = FR_SH(zr, zi, fr16i, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
            *(fr8u *)(oo[0] + at) = __builtin_shufflevector(lo, lo, 0, 1, 2, 3, 4, 5, 6, 7);
            *(fr8u *)(oo[1] + at) = __builtin_shufflevector(lo, lo, 8, 9, 10, 11, 12, 13, 14, 15);
            *(fr8u *)(oo[2] + at) = __builtin_shufflevector(hi, hi, 0, 1, 2, 3, 4, 5, 6, 7);
            *(fr8u *)(oo[3] + at) = __builtin_shufflevector(hi, hi, 8, 9, 10, 11, 12, 13, 14, 15);
        }, {
            fr_load(zs + 2 * N * g, NULL, N / 16, 1.0f, yr, yi);
            fr_post(yr, yi, rw, N / 16, o[g], scale);
        })
}
FFTR_INLINE void fr_short_rows_d(int N, int kind, const double *in, double *out, int64_t rows,
                                 const double *tw, const double *rw, double sign, double h,
                                 double scale) {
    FR_SHORT_ROWS(double, fd8, 2, frd_c2r_pre(N, q[g], rw, sign, h, zs + 2 * N * g, NULL),
        fr_load2d(qq, N / 4, ts, xr, xi), fr_t4x4d, {
            frd_interleave(oo[0] + at, oo[1] + at, zr, zi);
        }, {
            frd_load(zs + 2 * N * g, N / 8, 0, 1.0, yr, yi);
            frd_post(yr, yi, rw, N / 8, o[g], scale);
        })
}
#define FR_SHORT_N(N)                                                                     \
FFTR_TARGET static void fr_short##N(int kind, const float *in, float *out, int64_t rows,  \
                                    const float *tw, const float *rw, float sign, float h, \
                                    float scale) {                                        \
    fr_short_rows(N, kind, in, out, rows, tw, rw, sign, h, scale);                        \
}                                                                                         \
FFTR_TARGET static void fr_short##N##d(int kind, const double *in, double *out, int64_t rows, \
                                       const double *tw, const double *rw, double sign,   \
                                       double h, double scale) {                          \
    fr_short_rows_d(N, kind, in, out, rows, tw, rw, sign, h, scale);                      \
}
FR_SHORT_N(16)
FR_SHORT_N(32)

/* Complex rows of 8 floats and of 4 or 8 doubles, a row per lane: a step's
 * rows (16 float rows of 8 values, 8 double rows) transposed in registers
 * so that vector j holds value j / 2's real (j even) or imaginary part of
 * every row, the N-point transforms down those vectors, and the transposes
 * back. */
FFTR_INLINE void fr_tiny_rows(int N, const float *in, float *out, int64_t rows, float sign,
                              float scale) {
    const float si = sign * scale;
    FR_STEPS(float, 16, 16, 16, {
        fr16 x[16], xr[8], xi[8];
        for (int g = 0; g < 16; g++) x[g] = *(const fr16u *)q[g];
        fr_t16x16(x);
        for (int c = 0; c < 8; c++) { xr[c] = x[2 * c]; xi[c] = x[2 * c + 1] * sign; }
        FR_DFT8(fr16, xr, xi);
        for (int c = 0; c < 8; c++) { x[2 * c] = xr[c] * scale; x[2 * c + 1] = xi[c] * si; }
        fr_t16x16(x);
        for (int g = 0; g < 16; g++) *(fr16u *)o[g] = x[g];
    })
}
FFTR_INLINE void fr_tiny_rows_d(int N, const double *in, double *out, int64_t rows, double sign,
                                double scale) {
    const double si = sign * scale;
    FR_STEPS(double, 8, 2 * N, 2 * N, {
        fd8 a[8], b[8], xr[8], xi[8];
        for (int g = 0; g < 8; g++) {
            a[g] = *(const fd8u *)q[g];
            if (N == 8) b[g] = *(const fd8u *)(q[g] + 8);
        }
        fr_t8x8d(a);
        if (N == 8) fr_t8x8d(b);
        for (int c = 0; c < 4; c++) {
            xr[c] = a[2 * c]; xi[c] = a[2 * c + 1] * sign;
            if (N == 8) { xr[4 + c] = b[2 * c]; xi[4 + c] = b[2 * c + 1] * sign; }
        }
        if (N == 8) FR_DFT8(fd8, xr, xi);
        else FR_BF4(xr, xi, 0, 1, 2, 3);
        for (int c = 0; c < 4; c++) {
            a[2 * c] = xr[c] * scale; a[2 * c + 1] = xi[c] * si;
            if (N == 8) { b[2 * c] = xr[4 + c] * scale; b[2 * c + 1] = xi[4 + c] * si; }
        }
        fr_t8x8d(a);
        if (N == 8) fr_t8x8d(b);
        for (int g = 0; g < 8; g++) {
            *(fd8u *)o[g] = a[g];
            if (N == 8) *(fd8u *)(o[g] + 8) = b[g];
        }
    })
}
FFTR_TARGET static void fr_tiny8(const float *in, float *out, int64_t rows, float sign, float scale) {
    fr_tiny_rows(8, in, out, rows, sign, scale);
}
FFTR_TARGET static void fr_tiny4d(const double *in, double *out, int64_t rows, double sign,
                                  double scale) {
    fr_tiny_rows_d(4, in, out, rows, sign, scale);
}
FFTR_TARGET static void fr_tiny8d(const double *in, double *out, int64_t rows, double sign,
                                  double scale) {
    fr_tiny_rows_d(8, in, out, rows, sign, scale);
}

/* Columns along a middle dim (fft.c's fftv: element j of column c at
 * 2 (j js + c)) of N = R C complex floats (128 as 16 x 8), nb blocks of 16 columns, in two
 * passes through registers instead of the lanes' passes through memory:
 * for each l and each block, the R values j = C p + l of its 16 columns (a
 * vector each), their R-point transforms down the vectors, the twiddles
 * w_N^(l k1) (tc: per l, per k1, the real part then the imaginary one),
 * into the block's scratch (S + 32 N b: row k1 C + l, split); then for each
 * k1 and each block, the C rows k1 C + l, their C-point transforms, Z[k1 +
 * R k2] written to its row. A row is read and written across all the
 * blocks before the next (runs of 16 nb values: one 16-column block at a
 * time, rows far apart, read 64 pages for 128 bytes each and ran 30%
 * slower than the lanes). Every column is read before any is written. */
FFTR_INLINE void fr_cols_run(int R, int C, const float *in, float *out, int64_t js, int64_t nb,
                             const float *tc, float sign, float scale, float *S) {
    const float si = sign * scale;
    const int N = R * C;
    for (int l = 0; l < C; l++)
        for (int64_t b = 0; b < nb; b++) {
            fr16 xr[16], xi[16];
            for (int p = 0; p < R; p++) {
                const float *a = in + 2 * (int64_t)(C * p + l) * js + 32 * b;
                const fr16 u = *(const fr16u *)a, v = *(const fr16u *)(a + 16);
                fr_split16(u, v, sign, xr + p, xi + p);
            }
            if (R == 16) FR_DFT16(fr16, xr, xi);
            else FR_DFT8(fr16, xr, xi);
            for (int k1 = 1; k1 < R; k1++)
                FR_CMUL(xr[k1], xi[k1], tc[2 * (l * R + k1)], tc[2 * (l * R + k1) + 1]);
            float *sb = S + 32 * N * b;
            for (int k1 = 0; k1 < R; k1++) {
                *(fr16 *)(sb + 32 * (k1 * C + l)) = xr[k1];
                *(fr16 *)(sb + 32 * (k1 * C + l) + 16) = xi[k1];
            }
        }
    for (int k1 = 0; k1 < R; k1++)
        for (int64_t b = 0; b < nb; b++) {
            fr16 yr[16], yi[16];
            const float *sb = S + 32 * N * b;
            for (int l = 0; l < C; l++) {
                yr[l] = *(const fr16 *)(sb + 32 * (k1 * C + l));
                yi[l] = *(const fr16 *)(sb + 32 * (k1 * C + l) + 16);
            }
            if (C == 16) FR_DFT16(fr16, yr, yi);
            else FR_DFT8(fr16, yr, yi);
            for (int k2 = 0; k2 < C; k2++) {
                float *o = out + 2 * (int64_t)(k1 + R * k2) * js + 32 * b;
                fr_interleave(o, o + 16, yr[k2] * scale, yi[k2] * si);
            }
        }
}
/* the blocks in chunks whose scratch stays in L1 (at most FR_COLS_KB;
 * S: 32 N floats a block, 64-byte aligned), or all at once where the rows
 * lie a page or more apart (runs of a row's whole page: in chunks of 4
 * blocks, the columns of 64^3 along dim 0 ran 0.75x PyTorch's speed, all
 * 32 at once 1.09x) */
#define FR_COLS_KB 32
#define FR_COLS(N, R, C)                                                                  \
FFTR_TARGET static void fr_cols##N(const float *in, float *out, int64_t js, int64_t nb,   \
                                   const float *tc, float sign, float scale, float *S) {  \
    int64_t ch = (FR_COLS_KB << 10) / (128 * N) > 1 ? (FR_COLS_KB << 10) / (128 * N) : 1;  \
    if (js * 8 >= 4096) ch = nb;                                                          \
    for (int64_t b = 0; b < nb; b += ch)                                                  \
        fr_cols_run(R, C, in + 32 * b, out + 32 * b, js, nb - b < ch ? nb - b : ch, tc, sign, \
                    scale, S);                                                            \
}
FR_COLS(128, 16, 8)

/* the twiddles w_N^(l k1) of the rows above for N = R C: vectors k1 = 1 ..
 * R - 1 of W lanes, lane l for l mod C (a row's C values repeated where a
 * vector holds several rows), W real parts then W imaginary parts each */
#define FR_TWIDDLES(T, S)                                                                 \
static void fr_twiddles_##S(int R, int C, int W, T *tw) {                                 \
    for (int k = 1; k < R; k++)                                                           \
        for (int l = 0; l < W; l++) {                                                     \
            const double a = -2.0 * M_PI * (double)(k * (l % C)) / (double)(R * C);      \
            tw[2 * W * (k - 1) + l] = (T)cos(a);                                          \
            tw[2 * W * (k - 1) + W + l] = (T)sin(a);                                      \
        }                                                                                 \
}
FR_TWIDDLES(float, f32)
FR_TWIDDLES(double, f64)
#endif
