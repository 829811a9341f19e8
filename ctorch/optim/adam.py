"""Adam (with amsgrad, maximize, L2 or decoupled weight decay)."""
import math

import ctorch
from .optimizer import (Optimizer, _check_flags, _check_lr, _value, _step_tensor, _fused_kernels,
                        _check_fused_param)


def _check_betas(betas):
    if not 0.0 <= betas[0] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
    if not 0.0 <= betas[1] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")


def _grad(p, group):
    return -p.grad if group["maximize"] else p.grad


def _zero_step():
    return ctorch.tensor(0.0, dtype=ctorch.float32)


def _with_state(optimizer, group, *buffers):
    """(param, gradient as the update sees it, state) for each parameter of the
    group that has a gradient; a first visit creates the step count and the
    zero-filled `buffers` in its state."""
    for p in group["params"]:
        if p.grad is None:
            continue
        state = optimizer.state[p]
        if len(state) == 0:
            state["step"] = _zero_step()
            for name in buffers:
                state[name] = ctorch.zeros_like(p)
        yield p, _grad(p, group), state


class Adam(Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False,
                 *, foreach=None, maximize=False, capturable=False, differentiable=False, fused=None,
                 decoupled_weight_decay=False):
        _check_lr(lr)
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        _check_betas(betas)
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                        maximize=maximize, foreach=foreach, capturable=capturable,
                        differentiable=differentiable, fused=fused,
                        decoupled_weight_decay=decoupled_weight_decay)
        _check_flags(defaults, type(self).__name__)
        super().__init__(params, defaults)

    def _update_group(self, group):
        lr, (beta1, beta2), eps = _value(group["lr"]), group["betas"], group["eps"]
        wd, amsgrad = group["weight_decay"], group["amsgrad"]
        decoupled = group["decoupled_weight_decay"]
        kernels = _fused_kernels(group)
        for p in group["params"]:
            if p.grad is None:
                continue
            _check_fused_param(group, p)
            state = self.state[p]
            if len(state) == 0:
                state["step"] = _zero_step()
                state["exp_avg"] = ctorch.zeros_like(p)
                state["exp_avg_sq"] = ctorch.zeros_like(p)
                if amsgrad:
                    state["max_exp_avg_sq"] = ctorch.zeros_like(p)
            step = _step_tensor(state)
            if kernels is not None:
                max_sq = state.get("max_exp_avg_sq") if amsgrad else None
                if ((max_sq is not None or not amsgrad) and kernels._adam_update(
                        p, p.grad, state["exp_avg"], state["exp_avg_sq"], max_sq, lr, beta1, beta2,
                        eps, wd, decoupled, group["maximize"], 1 - beta1 ** step,
                        math.sqrt(1 - beta2 ** step))):
                    continue
            grad = _grad(p, group)
            if wd != 0:
                if decoupled:
                    p.mul_(1 - lr * wd)
                else:
                    grad = grad.add(p, alpha=wd)
            exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
            exp_avg.lerp_(grad, 1 - beta1)
            exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            bias_correction1 = 1 - beta1 ** step
            bias_correction2_sqrt = math.sqrt(1 - beta2 ** step)
            if amsgrad:
                max_sq = state["max_exp_avg_sq"]
                ctorch.maximum(max_sq, exp_avg_sq, out=max_sq)
                denom = (max_sq.sqrt() / bias_correction2_sqrt).add_(eps)
            else:
                denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
            p.addcdiv_(exp_avg, denom, value=-lr / bias_correction1)
