/* Fused optimizer updates: one pass over a parameter's n contiguous elements
 * that reads its gradient and updates the parameter and the optimizer's state
 * in place, with PyTorch's single-tensor operation order. The scalars are
 * computed by the caller in double and rounded to the tensor's dtype once, as
 * the scalar arguments of the composed ops are. The kernels are in optim.c. */
#ifndef CT_OPTIM_H
#define CT_OPTIM_H
#include <stdint.h>
#include "common.h"

/* SGD: d = (maximize ? -g : g) + wd * p; with momentum buf = first ? d :
 * buf * momentum + (1 - dampening) * d, then d = nesterov ? d + momentum *
 * buf : buf; finally p = p + (-lr) * d. buf is NULL without momentum. */
typedef struct {
    double lr, weight_decay, momentum, dampening;
    int nesterov, maximize, first;
} ct_sgd_args;
typedef void (*ct_sgd_fn)(void *p, const void *g, void *buf, int64_t n, const ct_sgd_args *a);

/* Adam / AdamW: g' = maximize ? -g : g; decoupled weight decay scales p by
 * (1 - lr * wd), the L2 form adds wd * p to g'; m = lerp(m, g', 1 - beta1);
 * v = v * beta2 + (1 - beta2) * g' * g'; with amsgrad vmax = max(vmax, v)
 * takes v's place below; p = p + (-lr / bc1) * m / (sqrt(v) / bc2_sqrt + eps).
 * vmax is NULL without amsgrad. */
typedef struct {
    double lr, beta1, beta2, eps, weight_decay, bc1, bc2_sqrt;
    int decoupled, amsgrad, maximize;
} ct_adam_args;
typedef void (*ct_adam_fn)(void *p, const void *g, void *m, void *v, void *vmax, int64_t n,
                           const ct_adam_args *a);

/* tables: indexed by dtype code, float32 and float64 only */
extern ct_sgd_fn ct_sgd_loops[CT_NDTYPES];
extern ct_adam_fn ct_adam_loops[CT_NDTYPES];

#endif
