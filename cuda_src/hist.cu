// ctorch's histogram kernels: histc / histogram counts and weight sums over
// bin edges, bincount, and the min/max passes that find their ranges. They
// compute what the CPU kernels of ctorch/_kernels/hist.c compute; the
// launches are in ctorch/cuda/cu_hist.c.
//
// Kernels (arguments in hist_args.h; sfx f32 f64 for the element dtype):
//   ct_hist_<sfx>       hist[bin(x[i])] += w[i] or 1 with atomic adds on the
//                       doubles of the result (any number of bins)
//   ct_hist_sh_<sfx>    the same, each block counting into its own copy of
//                       the bins in shared memory first (nb <= CT_HIST_SH_BINS),
//                       then adding that copy to the result
//   ct_bincount         cnt[x[i]] += 1 (int64) or sum[x[i]] += w[i] (double)
//   ct_bincount_sh      the same through shared memory (nbins <= CT_HIST_SH_BINS)
//   ct_hist_mm_<sfx>    min and max (sfx f32 f64 i64): one partial result per
//                       block; a second launch of one block over those partials
//                       gives the whole result
// Every kernel walks its elements grid-stride: any launch shape is correct.
//
// The bin of a value is the CPU's (the same arithmetic: hist.c's
// ct__hist_bin): linear edges compute the bin and then correct it against
// the edges themselves, given edges are searched; values outside the edges,
// nan included, count nowhere; the last bin is closed. Counts are exact
// (integers in doubles, or int64) in any order of the atomic adds; weight
// sums add in no fixed order and may differ from the CPU's by rounding.
// min/max: a nan anywhere makes both nan; between equal values the first
// position wins (so 0.0 and -0.0 come out as the CPU's loop finds them),
// whatever the order of the blocks.
#include "ct_cuda.cuh"
#include "hist_args.h"

namespace {

/* ---- the bin of a value (hist.c's ct__hist_bin) ------------------------- */

template <class T> struct hist_edges {
    const T *e;
    int64_t nb;
    int linear;
    T e0, enb;                  /* e[0], e[nb] */
    double lo, scale;           /* linear: lo = e[0], scale = nb / (e[nb] - e[0]) */
};

template <class T> CT_DEV hist_edges<T> hist_setup(const ct_hist_args &a) {
    hist_edges<T> h;
    h.e = (const T *)(uintptr_t)a.e;
    h.nb = a.nb;
    h.linear = a.linear;
    h.e0 = h.e[0];
    h.enb = h.e[a.nb];
    h.lo = (double)h.e0;
    double width = (double)h.enb - (double)h.e0;
    h.scale = width > 0 ? (double)a.nb / width : 0.0;
    return h;
}

/* the bin of v, or -1 outside the edges (nan included) */
template <class T> CT_DEV int64_t hist_bin(const hist_edges<T> &h, T v) {
    if (!(v >= h.e0 && v <= h.enb)) return -1;
    const T *e = h.e;
    int64_t nb = h.nb, b;
    if (h.linear) {
        double f = ((double)v - h.lo) * h.scale;
        b = f >= (double)nb ? nb - 1 : (f > 0 ? (int64_t)f : 0);
        if (b > 0 && v < e[b]) b--;
        else if (b + 1 < nb && v >= e[b + 1]) b++;
    } else {
        int64_t l = 0, hi = nb;         /* the last b with e[b] <= v, b < nb */
        while (hi - l > 1) {
            int64_t m = l + (hi - l) / 2;
            if (e[m] <= v) l = m; else hi = m;
        }
        b = l;
    }
    return b;
}

template <class T> CT_DEV void hist_global(const ct_hist_args &a) {
    hist_edges<T> h = hist_setup<T>(a);
    const T *x = (const T *)(uintptr_t)a.x;
    const T *w = (const T *)(uintptr_t)a.w;
    double *out = (double *)(uintptr_t)a.hist;
    CT_GRID_STRIDE(i, a.n) {
        int64_t b = hist_bin(h, x[i]);
        if (b >= 0) atomicAdd(out + b, w ? (double)w[i] : 1.0);
    }
}

template <class T> CT_DEV void hist_shared(const ct_hist_args &a) {
    __shared__ double sh[CT_HIST_SH_BINS];
    hist_edges<T> h = hist_setup<T>(a);
    const T *x = (const T *)(uintptr_t)a.x;
    const T *w = (const T *)(uintptr_t)a.w;
    double *out = (double *)(uintptr_t)a.hist;
    for (int64_t j = threadIdx.x; j < a.nb; j += blockDim.x) sh[j] = 0.0;
    __syncthreads();
    CT_GRID_STRIDE(i, a.n) {
        int64_t b = hist_bin(h, x[i]);
        if (b >= 0) atomicAdd(sh + b, w ? (double)w[i] : 1.0);
    }
    __syncthreads();
    for (int64_t j = threadIdx.x; j < a.nb; j += blockDim.x)
        if (sh[j] != 0.0) atomicAdd(out + j, sh[j]);
}

/* ---- bincount ------------------------------------------------------------ */

CT_DEV void bincount_global(const ct_bincount_args &a) {
    const int64_t *x = (const int64_t *)(uintptr_t)a.x;
    const double *w = (const double *)(uintptr_t)a.w;
    if (w) {
        double *s = (double *)(uintptr_t)a.out;
        CT_GRID_STRIDE(i, a.n) atomicAdd(s + x[i], w[i]);
    } else {
        unsigned long long *c = (unsigned long long *)(uintptr_t)a.out;
        CT_GRID_STRIDE(i, a.n) atomicAdd(c + x[i], 1ull);
    }
}

CT_DEV void bincount_shared(const ct_bincount_args &a) {
    __shared__ double shs[CT_HIST_SH_BINS];
    __shared__ unsigned long long shc[CT_HIST_SH_BINS];
    const int64_t *x = (const int64_t *)(uintptr_t)a.x;
    const double *w = (const double *)(uintptr_t)a.w;
    for (int64_t j = threadIdx.x; j < a.nbins; j += blockDim.x) {
        shs[j] = 0.0;
        shc[j] = 0;
    }
    __syncthreads();
    if (w) {
        CT_GRID_STRIDE(i, a.n) atomicAdd(shs + x[i], w[i]);
    } else {
        CT_GRID_STRIDE(i, a.n) atomicAdd(shc + x[i], 1ull);
    }
    __syncthreads();
    if (w) {
        double *s = (double *)(uintptr_t)a.out;
        for (int64_t j = threadIdx.x; j < a.nbins; j += blockDim.x)
            if (shs[j] != 0.0) atomicAdd(s + j, shs[j]);
    } else {
        unsigned long long *c = (unsigned long long *)(uintptr_t)a.out;
        for (int64_t j = threadIdx.x; j < a.nbins; j += blockDim.x)
            if (shc[j] != 0) atomicAdd(c + j, shc[j]);
    }
}

/* ---- min and max ----------------------------------------------------------
 * P: ct_hist_mmf (float elements, values as doubles: exact) or ct_hist_mmi
 * (int64). A nan is never a candidate; it only sets the flag. */

template <class P> CT_DEV P mm_empty() {
    P r;
    r.mn = r.mx = 0;
    r.kmn = r.kmx = -1;
    r.nan = 0;
    r.pad_ = 0;
    return r;
}

template <class P> CT_DEV P mm_comb(P x, const P &y) {
    x.nan |= y.nan;
    if (y.kmn >= 0 && (x.kmn < 0 || y.mn < x.mn || (y.mn == x.mn && y.kmn < x.kmn))) {
        x.mn = y.mn;
        x.kmn = y.kmn;
    }
    if (y.kmx >= 0 && (x.kmx < 0 || y.mx > x.mx || (y.mx == x.mx && y.kmx < x.kmx))) {
        x.mx = y.mx;
        x.kmx = y.kmx;
    }
    return x;
}

template <class T, class P> CT_DEV void mm_pass(const ct_hist_mm_args &a) {
    __shared__ P sh[256];
    P acc = mm_empty<P>();
    if (a.from_part) {
        const P *p = (const P *)(uintptr_t)a.x;
        CT_GRID_STRIDE(i, a.n) acc = mm_comb(acc, p[i]);
    } else {
        const T *x = (const T *)(uintptr_t)a.x;
        CT_GRID_STRIDE(i, a.n) {
            T v = x[i];
            P one = mm_empty<P>();
            if (v != v) {
                one.nan = 1;
            } else {
                one.mn = one.mx = v;
                one.kmn = one.kmx = i;
            }
            acc = mm_comb(acc, one);
        }
    }
    /* the block's result (blockDim.x <= 256): threads 0..15 combine 16
     * neighbours each into the first of them, thread 0 those 16 */
    unsigned t = threadIdx.x, nt = blockDim.x;
    sh[t] = acc;
    __syncthreads();
    if (t < 16 && 16 * t < nt) {
        P r = sh[16 * t];
        for (unsigned j = 16 * t + 1; j < 16 * t + 16 && j < nt; j++) r = mm_comb(r, sh[j]);
        sh[16 * t] = r;
    }
    __syncthreads();
    if (t == 0) {
        P r = sh[0];
        for (unsigned j = 16; j < nt; j += 16) r = mm_comb(r, sh[j]);
        ((P *)(uintptr_t)a.out)[blockIdx.x] = r;
    }
}

}  // namespace

/* ---- the kernels ------------------------------------------------------------ */

CT_KERNEL(ct_hist_f32, ct_hist_args, CT_SERIAL) { hist_global<float>(a); }
CT_KERNEL(ct_hist_f64, ct_hist_args, CT_SERIAL) { hist_global<double>(a); }
CT_KERNEL(ct_hist_sh_f32, ct_hist_args, CT_SYNC) { hist_shared<float>(a); }
CT_KERNEL(ct_hist_sh_f64, ct_hist_args, CT_SYNC) { hist_shared<double>(a); }
CT_KERNEL(ct_bincount, ct_bincount_args, CT_SERIAL) { bincount_global(a); }
CT_KERNEL(ct_bincount_sh, ct_bincount_args, CT_SYNC) { bincount_shared(a); }
CT_KERNEL(ct_hist_mm_f32, ct_hist_mm_args, CT_SYNC) { mm_pass<float, ct_hist_mmf>(a); }
CT_KERNEL(ct_hist_mm_f64, ct_hist_mm_args, CT_SYNC) { mm_pass<double, ct_hist_mmf>(a); }
CT_KERNEL(ct_hist_mm_i64, ct_hist_mm_args, CT_SYNC) { mm_pass<int64_t, ct_hist_mmi>(a); }
