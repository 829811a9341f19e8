// ctorch's nn kernels: gelu (exact and tanh) with its derivative, and the
// negative log-likelihood loss over an (N, C) matrix of log-probabilities,
// forward and backward. They compute what the CPU kernels of
// ctorch/_kernels/nn.c compute; the launches are in ctorch/cuda/cu_nn.c.
//
// Kernels (arguments in nn_args.h; sfx f32 f64):
//   ct_gelu_<sfx>       y = gelu(x)                          (ct_gelu_args)
//   ct_gelu_bwd_<sfx>   y = g * gelu'(x)                     (ct_gelu_args)
//   ct_nll_<sfx>        per-row losses, per-block sums of the losses and
//                       the weights, the first bad target    (ct_nll_args)
//   ct_nll_sum          the block sums of ct_nll_<sfx> added (ct_nll_sum_args)
//   ct_nll_bwd_<sfx>    the gradient's one entry a row       (ct_nll_bwd_args)
// All walk their elements or rows grid-stride: any launch shape is correct.
//
// gelu uses nn.c's formulas with the same order of operations; every
// product and sum is rounded on its own (the _rn intrinsics, which nvcc
// never fuses into an fma, as the CPU build does not), so results differ
// from the CPU's only where the device's erf / tanh / exp do (an ulp or
// two). nll: the per-row losses and the gradient are the CPU's exactly;
// the total loss and weight add in double, per thread, then per block and
// over the blocks' sums in a fixed order (the same for every block order),
// so they may differ from the CPU's one running sum by rounding. A target out of range is
// recorded as the smallest such row (an atomic min), the row the CPU's
// loop reports.
#include "ct_cuda.cuh"
#include "ct_fastmath.cuh"
#include "nn_args.h"

namespace {

CT_DEV float erf_(float x) { return erff(x); }
CT_DEV double erf_(double x) { return erf(x); }
CT_DEV float tanh_(float x) { return tanhf(x); }
CT_DEV double tanh_(double x) { return tanh(x); }
CT_DEV float exp_(float x) { return expf(x); }
CT_DEV double exp_(double x) { return exp(x); }

/* nn.c's constants */
#define CT_NN_SQRT1_2 0.70710678118654752440
#define CT_NN_INV_SQRT_2PI 0.39894228040143267794
#define CT_NN_SQRT_2_PI 0.79788456080286535588

/* ---- gelu ------------------------------------------------------------------ */

/* the tanh form's argument: sqrt(2/pi) * (v + 0.044715 v^3) */
template <class T> CT_DEV T gelu_u(T v) {
    T cube = ct_mul(ct_mul(ct_mul((T)0.044715, v), v), v);
    return ct_mul((T)CT_NN_SQRT_2_PI, ct_add(v, cube));
}

template <class T> CT_DEV void gelu_fwd(const ct_gelu_args &a) {
    const T *x = (const T *)(uintptr_t)a.x;
    T *y = (T *)(uintptr_t)a.y;
    CT_GRID_STRIDE(i, a.n) {
        T v = x[i];
        T s = a.approx ? tanh_(gelu_u(v)) : erf_(ct_mul(v, (T)CT_NN_SQRT1_2));
        y[i] = ct_mul(ct_mul((T)0.5, v), ct_add((T)1, s));
    }
}

template <class T> CT_DEV void gelu_bwd(const ct_gelu_args &a) {
    const T *x = (const T *)(uintptr_t)a.x;
    const T *g = (const T *)(uintptr_t)a.g;
    T *y = (T *)(uintptr_t)a.y;
    CT_GRID_STRIDE(i, a.n) {
        T v = x[i], d;
        if (a.approx) {
            T t = tanh_(gelu_u(v));
            T du = ct_mul((T)CT_NN_SQRT_2_PI, ct_add((T)1, ct_mul(ct_mul((T)(3 * 0.044715), v), v)));
            T left = ct_mul((T)0.5, ct_add((T)1, t));
            T right = ct_mul(ct_mul(ct_mul((T)0.5, v), ct_sub((T)1, ct_mul(t, t))), du);
            d = ct_add(left, right);
        } else {
            T cdf = ct_mul((T)0.5, ct_add((T)1, erf_(ct_mul(v, (T)CT_NN_SQRT1_2))));
            T pdf = ct_mul((T)CT_NN_INV_SQRT_2PI, exp_(ct_mul(ct_mul((T)-0.5, v), v)));
            d = ct_add(cdf, ct_mul(v, pdf));
        }
        y[i] = ct_mul(g[i], d);
    }
}

/* ---- nll ------------------------------------------------------------------- */

CT_DEV int64_t nll_target(uint64_t t, int tbyte, int64_t st, int64_t i) {
    return tbyte ? (int64_t)((const uint8_t *)(uintptr_t)t)[i * st]
                 : ((const int64_t *)(uintptr_t)t)[i * st];
}

/* the block's sums of (s, ws) into sh_s[0], sh_w[0] (blockDim.x <= 256),
 * in a fixed order: threads 0..15 add 16 neighbours each into the first of
 * them, thread 0 adds those 16; read by thread 0 */
CT_DEV void pair_sums(double *sh_s, double *sh_w, double s, double ws) {
    unsigned t = threadIdx.x, nt = blockDim.x;
    sh_s[t] = s;
    sh_w[t] = ws;
    __syncthreads();
    if (t < 16 && 16 * t < nt) {
        double a = sh_s[16 * t], b = sh_w[16 * t];
        for (unsigned j = 16 * t + 1; j < 16 * t + 16 && j < nt; j++) {
            a += sh_s[j];
            b += sh_w[j];
        }
        sh_s[16 * t] = a;
        sh_w[16 * t] = b;
    }
    __syncthreads();
    if (t == 0) {
        for (unsigned j = 16; j < nt; j += 16) {
            sh_s[0] += sh_s[j];
            sh_w[0] += sh_w[j];
        }
    }
}

template <class T> CT_DEV void nll_fwd(const ct_nll_args &a) {
    __shared__ double sh_s[256], sh_w[256];
    const T *x = (const T *)(uintptr_t)a.x;
    const T *w = (const T *)(uintptr_t)a.w;
    T *rows = (T *)(uintptr_t)a.rows;
    double s = 0, ws = 0;
    CT_GRID_STRIDE(i, a.N) {
        int64_t k = nll_target(a.t, a.tbyte, a.st, i);
        if (k == a.ignore) {
            if (rows) rows[i] = (T)0;
            continue;
        }
        if (k < 0 || k >= a.C) {
            atomicMin((unsigned long long *)(uintptr_t)a.flag, (unsigned long long)i);
            continue;
        }
        T wk = w ? w[k] : (T)1;
        T l = ct_mul(-wk, x[i * a.sn + k * a.sc]);
        if (rows) rows[i] = l;
        s += (double)l;
        ws += (double)wk;
    }
    pair_sums(sh_s, sh_w, s, ws);
    if (threadIdx.x == 0) {
        double *part = (double *)(uintptr_t)a.part;
        part[2 * (int64_t)blockIdx.x] = sh_s[0];
        part[2 * (int64_t)blockIdx.x + 1] = sh_w[0];
    }
}

/* block 0 adds the pairs (thread j: pairs j, j + blockDim.x, ...; then
 * pair_sums); other blocks have nothing to do */
CT_DEV void nll_sum(const ct_nll_sum_args &a) {
    __shared__ double sh_s[256], sh_w[256];
    if (blockIdx.x != 0) return;
    const double *part = (const double *)(uintptr_t)a.part;
    double s = 0, ws = 0;
    for (int64_t j = threadIdx.x; j < a.n; j += blockDim.x) {
        s += part[2 * j];
        ws += part[2 * j + 1];
    }
    pair_sums(sh_s, sh_w, s, ws);
    if (threadIdx.x == 0) {
        double *out = (double *)(uintptr_t)a.out;
        out[0] = sh_s[0];
        out[1] = sh_w[0];
    }
}

template <class T> CT_DEV void nll_bwd(const ct_nll_bwd_args &a) {
    T *dx = (T *)(uintptr_t)a.dx;
    const T *w = (const T *)(uintptr_t)a.w;
    const T *g = (const T *)(uintptr_t)a.g;
    T scale = (T)a.scale;
    CT_GRID_STRIDE(i, a.N) {
        int64_t k = nll_target(a.t, a.tbyte, a.st, i);
        if (k == a.ignore || k < 0 || k >= a.C) continue;
        dx[i * a.C + k] = ct_mul(ct_mul(-(w ? w[k] : (T)1), g[i * a.sg]), scale);
    }
}

}  // namespace

/* ---- the kernels ------------------------------------------------------------ */

CT_KERNEL(ct_gelu_f32, ct_gelu_args, CT_SERIAL) { gelu_fwd<float>(a); }
CT_KERNEL(ct_gelu_f64, ct_gelu_args, CT_SERIAL) { gelu_fwd<double>(a); }
CT_KERNEL(ct_gelu_bwd_f32, ct_gelu_args, CT_SERIAL) { gelu_bwd<float>(a); }
CT_KERNEL(ct_gelu_bwd_f64, ct_gelu_args, CT_SERIAL) { gelu_bwd<double>(a); }
CT_KERNEL(ct_nll_f32, ct_nll_args, CT_SYNC) { nll_fwd<float>(a); }
CT_KERNEL(ct_nll_f64, ct_nll_args, CT_SYNC) { nll_fwd<double>(a); }
CT_KERNEL(ct_nll_sum, ct_nll_sum_args, CT_SYNC) { nll_sum(a); }
CT_KERNEL(ct_nll_bwd_f32, ct_nll_bwd_args, CT_SERIAL) { nll_bwd<float>(a); }
CT_KERNEL(ct_nll_bwd_f64, ct_nll_bwd_args, CT_SERIAL) { nll_bwd<double>(a); }
