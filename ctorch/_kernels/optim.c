/* Fused optimizer updates (optim.h): SGD and Adam/AdamW in one pass over a
 * parameter's contiguous elements. Each element's arithmetic follows the
 * operation order of PyTorch's single-tensor update (add with alpha is
 * self + alpha * other, lerp switches form at weight 0.5, addcmul and addcdiv
 * multiply by the scalar first, the bias corrections are scalars from the
 * caller). Large parameters are split into blocks of CT_OPTIM_GRAIN elements
 * over the threads. The loops have AVX2 / AVX-512 clones (sqrt and division
 * bound Adam's loop); contraction into FMA is off, so every clone rounds each
 * operation alike. */
#include <math.h>
#include <stdint.h>
#include "optim.h"
#include "strided.h"

#pragma GCC optimize("fp-contract=off")

#define CT_OPTIM_GRAIN 32768

/* runs CALL once per block of at most CT_OPTIM_GRAIN elements, with lo_ the
 * block's first element and m_ its length; over the threads when n spans more
 * than one block */
#define CT_OPTIM_SPLIT(n, CALL)                                                    \
    do {                                                                           \
        int nt_ = ct_get_num_threads();                                            \
        if ((n) <= CT_OPTIM_GRAIN || nt_ <= 1) {                                   \
            int64_t lo_ = 0, m_ = (n);                                             \
            CALL;                                                                  \
        } else {                                                                   \
            int64_t nb_ = ((n) + CT_OPTIM_GRAIN - 1) / CT_OPTIM_GRAIN, b_;         \
            _Pragma("omp parallel for num_threads(nt_) schedule(static)")          \
            for (b_ = 0; b_ < nb_; b_++) {                                         \
                int64_t lo_ = b_ * CT_OPTIM_GRAIN;                                 \
                int64_t m_ = (n) - lo_ < CT_OPTIM_GRAIN ? (n) - lo_ : CT_OPTIM_GRAIN; \
                CALL;                                                              \
            }                                                                      \
        }                                                                          \
    } while (0)

/* Adam's update of element i (AMS: with amsgrad's running maximum) */
#define CT_ADAM_ELEMENT(T, SQRT, AMS)                                              \
    {                                                                              \
        T pi = p[i], gi = maximize ? -g[i] : g[i];                                 \
        if (use_wd) {                                                              \
            if (decoupled) pi = pi * decay;                                        \
            else gi = gi + wd * pi;                                                \
        }                                                                          \
        T mi = m[i];                                                               \
        mi = small_w ? mi + w1 * (gi - mi) : gi - (gi - mi) * w1c;                 \
        m[i] = mi;                                                                 \
        T vi = v[i] * b2 + w2 * gi * gi;                                           \
        v[i] = vi;                                                                 \
        if (AMS) {                                                                 \
            T vm = vmax[i];                                                        \
            /* a NaN v wins (it stays NaN in every later step, so a NaN    \
             * maximum always comes with one); a select that tests v      \
             * against itself would keep the loop from vectorizing */      \
            vm = vm >= vi ? vm : vi;                                       \
            vmax[i] = vm;                                                          \
            vi = vm;                                                               \
        }                                                                          \
        T denom = SQRT(vi) / bc2 + eps;                                            \
        p[i] = pi + step * mi / denom;                                             \
    }

#define CT_OPTIM(S, T, SQRT)                                                       \
CT_MULTIVERSION static void sgd_body_##S(T *p, const T *g, T *buf, int64_t n, const ct_sgd_args *a) \
{                                                                                  \
    const T wd = (T)a->weight_decay, mom = (T)a->momentum;                         \
    const T damp1 = (T)(1.0 - a->dampening), nlr = (T)(-a->lr);                    \
    const int use_wd = a->weight_decay != 0, use_mom = a->momentum != 0;           \
    const int nesterov = a->nesterov, maximize = a->maximize, first = a->first;    \
    int64_t i;                                                                     \
    if (!use_wd && !use_mom && !maximize) {                                        \
        _Pragma("omp simd")                                                        \
        for (i = 0; i < n; i++)                                                    \
            p[i] = p[i] + nlr * g[i];                                              \
        return;                                                                    \
    }                                                                              \
    if (!use_mom) {                                                                \
        _Pragma("omp simd")                                                        \
        for (i = 0; i < n; i++) {                                                  \
            T d = maximize ? -g[i] : g[i];                                         \
            if (use_wd) d = d + wd * p[i];                                         \
            p[i] = p[i] + nlr * d;                                                 \
        }                                                                          \
        return;                                                                    \
    }                                                                              \
    _Pragma("omp simd")                                                            \
    for (i = 0; i < n; i++) {                                                      \
        T d = maximize ? -g[i] : g[i];                                             \
        if (use_wd) d = d + wd * p[i];                                             \
        T b = first ? d : buf[i] * mom + damp1 * d;                                \
        buf[i] = b;                                                                \
        d = nesterov ? d + mom * b : b;                                            \
        p[i] = p[i] + nlr * d;                                                     \
    }                                                                              \
}                                                                                  \
static void ct_sgd_##S(void *pv, const void *gv, void *bv, int64_t n, const ct_sgd_args *a) \
{                                                                                  \
    T *p = (T *)pv, *buf = (T *)bv;                                                \
    const T *g = (const T *)gv;                                                    \
    CT_OPTIM_SPLIT(n, sgd_body_##S(p + lo_, g + lo_, buf ? buf + lo_ : buf, m_, a)); \
}                                                                                  \
CT_MULTIVERSION static void adam_body_##S(T *p, const T *g, T *m, T *v, T *vmax, int64_t n,       \
                          const ct_adam_args *a)                                   \
{                                                                                  \
    const T decay = (T)(1.0 - a->lr * a->weight_decay), wd = (T)a->weight_decay;   \
    const T w1 = (T)(1.0 - a->beta1), w1c = (T)1 - w1;                             \
    const T b2 = (T)a->beta2, w2 = (T)(1.0 - a->beta2);                            \
    const T bc2 = (T)a->bc2_sqrt, eps = (T)a->eps, step = (T)(-a->lr / a->bc1);    \
    const int use_wd = a->weight_decay != 0, decoupled = a->decoupled;             \
    const int small_w = fabs((double)w1) < 0.5;                                    \
    const int maximize = a->maximize, amsgrad = a->amsgrad;                        \
    int64_t i;                                                                     \
    /* amsgrad's loop apart: a store to vmax under a condition keeps the     \
     * loop from vectorizing */                                                    \
    if (amsgrad) {                                                                 \
        _Pragma("omp simd")                                                        \
        for (i = 0; i < n; i++)                                                    \
            CT_ADAM_ELEMENT(T, SQRT, 1)                                            \
    } else {                                                                       \
        _Pragma("omp simd")                                                        \
        for (i = 0; i < n; i++)                                                    \
            CT_ADAM_ELEMENT(T, SQRT, 0)                                            \
    }                                                                              \
}                                                                                  \
static void ct_adam_##S(void *pv, const void *gv, void *mv, void *vv, void *xv,    \
                        int64_t n, const ct_adam_args *a)                          \
{                                                                                  \
    T *p = (T *)pv, *m = (T *)mv, *v = (T *)vv, *vmax = (T *)xv;                   \
    const T *g = (const T *)gv;                                                    \
    CT_OPTIM_SPLIT(n, adam_body_##S(p + lo_, g + lo_, m + lo_, v + lo_,              \
                                    vmax ? vmax + lo_ : vmax, m_, a));             \
}

CT_OPTIM(f32, float, sqrtf)
CT_OPTIM(f64, double, sqrt)

ct_sgd_fn ct_sgd_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ct_sgd_f32, [CT_FLOAT64] = ct_sgd_f64,
};
ct_adam_fn ct_adam_loops[CT_NDTYPES] = {
    [CT_FLOAT32] = ct_adam_f32, [CT_FLOAT64] = ct_adam_f64,
};
