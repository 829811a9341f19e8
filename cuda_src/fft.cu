// ctorch's FFT kernels: batched complex-to-complex transforms of dense rows,
// complex64 and complex128, launched by the fft_c2c entry of
// ctorch/cuda/cu_fft.c (which says how they are put together).
//
// A power-of-two length n = 2^L is a radix-2 Stockham transform: L passes,
// each one reading one buffer and writing another (no bit reversal; the
// result comes out in natural order). Pass s (sub-transform length
// ns = 2^s) combines, for every j < n/2 with k = j mod ns,
//     a = x[j], b = x[j + n/2] * w^k,   w = exp(-2 pi i / (2 ns))
//     y[2 (j - k) + k] = a + b,   y[2 (j - k) + k + ns] = a - b.
// Any other length goes through Bluestein's chirp-z: with the chirp
// c_k = exp(-pi i k^2 / n) (k^2 taken mod 2n in integers, so that the
// angle stays exact for large n),
//     X_k = c_k sum_j (x_j c_j) conj(c_{k-j}),
// a convolution done with power-of-two transforms of a length m >= 2n - 1.
// The inverse direction (exp(+2 pi i jk / n)) uses the conjugate twiddles
// and chirp. Nothing is scaled but by Bluestein's 1/m.
//
// Twiddles and chirp values are computed in double (the angle reduced to
// [0, pi/4] by its symmetries, in integer arithmetic) and rounded once to
// the transform's type, so complex64 transforms use correctly rounded
// twiddles, as pocketfft does.
//
// Kernels (arguments: ct_fft_args, fft_args.h; sfx c64 (float) or c128
// (double)); rows dense, complex values (re, im):
//   ct_fft_twiddles_<sfx>  dst[j] = exp(-2 pi i j / n), j < n / 2
//   ct_fft_chirp_<sfx>     dst[k] = exp(-+pi i k^2 / n), k < n (+ if inverse)
//   ct_fft_filter_<sfx>    dst[t] (t < m) = conj(aux[t]) for t < n,
//                          conj(aux[m - t]) for t > m - n, else 0: the
//                          chirp filter of a Bluestein convolution (aux the chirp)
//   ct_fft_pass_<sfx>      one Stockham pass (ns) over rows of n = 2^lg,
//                          src to dst (distinct buffers), twiddles tw of n
//   ct_fft_smem_<sfx>      a whole transform of rows of n = 2^lg <= 2048
//                          (c64) / 1024 (c128) in shared memory, rpb rows a
//                          block at a time; src may be dst (CT_SYNC)
//   ct_fft_bs_pre_<sfx>    dst (rows of m = 2^lg) = src (rows of n) times the
//                          chirp aux, zero past n
//   ct_fft_bs_mul_<sfx>    dst (rows of m = 2^lg) *= aux (m values) * scale
//   ct_fft_bs_post_<sfx>   dst (rows of n) = the first n of src (rows of m)
//                          times the chirp aux
// Every kernel is a grid-stride loop over its outputs (the shared-memory
// one over groups of rows, a block a group): any grid is correct, and each
// output is written by one thread from inputs no launch writes, so block
// order does not matter.
#include "ct_cuda.cuh"
#include "fft_args.h"

namespace ct_fft {

template <class R> struct cx { R re, im; };

template <class R> CT_DEV cx<R> cmul(cx<R> a, cx<R> b) {
    return cx<R>{a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
}

/* exp(-2 pi i p / N) = c - i s for 0 <= p < N < 2^62, in double. The angle
 * pi a / M (a = 4p, M = 2N) is reflected into [0, pi/4] exactly, in
 * integers, before sin and cos see it. */
CT_DEV void unit_root(uint64_t p, uint64_t N, double &c, double &s) {
    uint64_t M = 2 * N, a = 4 * p;
    double cs = 1.0, ss = 1.0;
    bool swap = false;
    if (a > M) { a = 2 * M - a; ss = -1.0; }            /* sin(2 pi - t) = -sin t */
    if (2 * a > M) { a = M - a; cs = -1.0; }            /* cos(pi - t) = -cos t */
    if (4 * a > M) { a = M / 2 - a; swap = true; }      /* sin(pi/2 - t) = cos t */
    double r = (double)a / (double)M, sn, cn;          /* r in [0, 1/4] */
#if CT_HOST_BUILD
    sn = sin(3.141592653589793 * r);
    cn = cos(3.141592653589793 * r);
#else
    sincospi(r, &sn, &cn);
#endif
    if (swap) { double t = sn; sn = cn; cn = t; }
    c = cs * cn;
    s = ss * sn;
}

/* a * b mod m for a, b < m < 2^63 */
CT_DEV uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m) {
    if (((a | b) >> 32) == 0) return a * b % m;
    uint64_t r = 0;
    while (b) {
        if (b & 1) { r += a; if (r >= m) r -= m; }
        a += a;
        if (a >= m) a -= m;
        b >>= 1;
    }
    return r;
}

template <class R> CT_DEV void twiddles(const ct_fft_args &a) {
    cx<R> *w = (cx<R> *)(uintptr_t)a.dst;
    CT_GRID_STRIDE(j, a.n / 2) {
        double c, s;
        unit_root((uint64_t)j, (uint64_t)a.n, c, s);
        w[j] = cx<R>{(R)c, (R)-s};
    }
}

template <class R> CT_DEV void chirp(const ct_fft_args &a) {
    cx<R> *w = (cx<R> *)(uintptr_t)a.dst;
    uint64_t n2 = 2 * (uint64_t)a.n;
    CT_GRID_STRIDE(k, a.n) {
        double c, s;
        unit_root(mulmod((uint64_t)k, (uint64_t)k, n2), n2, c, s);
        w[k] = cx<R>{(R)c, (R)(a.inverse ? s : -s)};
    }
}

template <class R> CT_DEV void filter(const ct_fft_args &a) {
    const cx<R> *w = (const cx<R> *)(uintptr_t)a.aux;
    cx<R> *b = (cx<R> *)(uintptr_t)a.dst;
    CT_GRID_STRIDE(t, a.m) {
        cx<R> v{0, 0};
        if (t < a.n) v = w[t];
        else if (t > a.m - a.n) v = w[a.m - t];
        b[t] = cx<R>{v.re, -v.im};
    }
}

template <class R> CT_DEV void pass(const ct_fft_args &a) {
    const cx<R> *x = (const cx<R> *)(uintptr_t)a.src;
    const cx<R> *tw = (const cx<R> *)(uintptr_t)a.tw;
    cx<R> *y = (cx<R> *)(uintptr_t)a.dst;
    const int64_t half = a.n >> 1, ns = a.ns, step = half / ns;
    const int sh = a.lg - 1;
    CT_GRID_STRIDE(i, a.rows * half) {
        int64_t base = (i >> sh) << a.lg, j = i & (half - 1), k = j & (ns - 1);
        cx<R> w = tw[k * step];
        if (a.inverse) w.im = -w.im;
        cx<R> u = x[base + j], v = cmul(x[base + j + half], w);
        int64_t o = base + ((j - k) << 1) + k;
        y[o] = cx<R>{u.re + v.re, u.im + v.im};
        y[o + ns] = cx<R>{u.re - v.re, u.im - v.im};
    }
}

/* rpb rows of n a block: loaded into shared memory (real and imaginary
 * parts apart), the passes ping-pong between two halves of it with a
 * __syncthreads after each, and the result is stored. CAP: the complex
 * values a half holds (32 KiB in all). */
template <class R, int CAP> CT_DEV void smem(const ct_fft_args &a) {
    __shared__ R sre[2 * CAP], sim[2 * CAP];
    const cx<R> *src = (const cx<R> *)(uintptr_t)a.src;
    const cx<R> *tw = (const cx<R> *)(uintptr_t)a.tw;
    cx<R> *dst = (cx<R> *)(uintptr_t)a.dst;
    const int n = (int)a.n, half = n >> 1, lg = a.lg;
    const int64_t rpb = a.rpb, groups = (a.rows + rpb - 1) / rpb;
    const int tid = (int)threadIdx.x, bd = (int)blockDim.x;
    for (int64_t g = blockIdx.x; g < groups; g += gridDim.x) {
        const int64_t r0 = g * rpb;
        const int tot = (int)((a.rows - r0 < rpb ? a.rows - r0 : rpb) * n);
        const cx<R> *in = src + r0 * n;
        for (int i = tid; i < tot; i += bd) {
            cx<R> v = in[i];
            sre[i] = v.re;
            sim[i] = v.im;
        }
        __syncthreads();
        int cur = 0;
        for (int ns = 1; ns < n; ns <<= 1) {
            const R *xr = sre + cur * CAP, *xi = sim + cur * CAP;
            R *yr = sre + (cur ^ 1) * CAP, *yi = sim + (cur ^ 1) * CAP;
            const int step = half / ns;
            for (int i = tid; i < (tot >> 1); i += bd) {
                int base = (i >> (lg - 1)) << lg, j = i & (half - 1), k = j & (ns - 1);
                cx<R> w = tw[k * step];
                if (a.inverse) w.im = -w.im;
                R ur = xr[base + j], ui = xi[base + j];
                R br = xr[base + j + half], bi = xi[base + j + half];
                R vr = br * w.re - bi * w.im, vi = br * w.im + bi * w.re;
                int o = base + ((j - k) << 1) + k;
                yr[o] = ur + vr;
                yi[o] = ui + vi;
                yr[o + ns] = ur - vr;
                yi[o + ns] = ui - vi;
            }
            __syncthreads();
            cur ^= 1;
        }
        cx<R> *out = dst + r0 * n;
        for (int i = tid; i < tot; i += bd) out[i] = cx<R>{sre[cur * CAP + i], sim[cur * CAP + i]};
        __syncthreads();                    /* the next group reuses the buffers */
    }
}

template <class R> CT_DEV void bs_pre(const ct_fft_args &a) {
    const cx<R> *x = (const cx<R> *)(uintptr_t)a.src;
    const cx<R> *w = (const cx<R> *)(uintptr_t)a.aux;
    cx<R> *y = (cx<R> *)(uintptr_t)a.dst;
    const int64_t mask = a.m - 1;
    CT_GRID_STRIDE(i, a.rows * a.m) {
        int64_t j = i & mask;
        y[i] = j < a.n ? cmul(x[(i >> a.lg) * a.n + j], w[j]) : cx<R>{0, 0};
    }
}

template <class R> CT_DEV void bs_mul(const ct_fft_args &a) {
    const cx<R> *f = (const cx<R> *)(uintptr_t)a.aux;
    cx<R> *y = (cx<R> *)(uintptr_t)a.dst;
    const int64_t mask = a.m - 1;
    const R s = (R)a.scale;
    CT_GRID_STRIDE(i, a.rows * a.m) {
        cx<R> v = cmul(y[i], f[i & mask]);
        y[i] = cx<R>{v.re * s, v.im * s};
    }
}

template <class R> CT_DEV void bs_post(const ct_fft_args &a) {
    const cx<R> *x = (const cx<R> *)(uintptr_t)a.src;
    const cx<R> *w = (const cx<R> *)(uintptr_t)a.aux;
    cx<R> *y = (cx<R> *)(uintptr_t)a.dst;
    CT_GRID_STRIDE(i, a.rows * a.n) {
        int64_t r = i / a.n, k = i - r * a.n;
        y[i] = cmul(x[(r << a.lg) + k], w[k]);
    }
}

}  // namespace ct_fft

using namespace ct_fft;

#define CT_FFT_KERNELS(S, R, CAP)                                                            \
    CT_KERNEL(ct_fft_twiddles_##S, ct_fft_args, CT_SERIAL) { twiddles<R>(a); }               \
    CT_KERNEL(ct_fft_chirp_##S, ct_fft_args, CT_SERIAL) { chirp<R>(a); }                     \
    CT_KERNEL(ct_fft_filter_##S, ct_fft_args, CT_SERIAL) { filter<R>(a); }                   \
    CT_KERNEL(ct_fft_pass_##S, ct_fft_args, CT_SERIAL) { pass<R>(a); }                       \
    CT_KERNEL(ct_fft_smem_##S, ct_fft_args, CT_SYNC) { smem<R, CAP>(a); }                    \
    CT_KERNEL(ct_fft_bs_pre_##S, ct_fft_args, CT_SERIAL) { bs_pre<R>(a); }                   \
    CT_KERNEL(ct_fft_bs_mul_##S, ct_fft_args, CT_SERIAL) { bs_mul<R>(a); }                   \
    CT_KERNEL(ct_fft_bs_post_##S, ct_fft_args, CT_SERIAL) { bs_post<R>(a); }

CT_FFT_KERNELS(c64, float, 2048)
CT_FFT_KERNELS(c128, double, 1024)
