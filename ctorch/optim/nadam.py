"""NAdam: Adam with Nesterov momentum."""
import ctorch
from .optimizer import Optimizer, _check_flags, _check_lr, _value, _step_tensor
from .adam import _check_betas, _grad, _zero_step


class NAdam(Optimizer):
    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False):
        _check_lr(lr)
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        _check_betas(betas)
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= momentum_decay:
            raise ValueError(f"Invalid momentum_decay value: {momentum_decay}")
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, momentum_decay=momentum_decay,
                        decoupled_weight_decay=decoupled_weight_decay, maximize=maximize, foreach=foreach,
                        capturable=capturable, differentiable=differentiable)
        _check_flags(defaults, "NAdam")
        super().__init__(params, defaults)

    def _update_group(self, group):
        lr, (beta1, beta2), eps = _value(group["lr"]), group["betas"], group["eps"]
        wd, momentum_decay = group["weight_decay"], group["momentum_decay"]
        for p in group["params"]:
            if p.grad is None:
                continue
            grad = _grad(p, group)
            state = self.state[p]
            if len(state) == 0:
                state["step"] = _zero_step()
                state["mu_product"] = ctorch.ones((), dtype=ctorch.float32)
                state["exp_avg"] = ctorch.zeros_like(p)
                state["exp_avg_sq"] = ctorch.zeros_like(p)
            step = _step_tensor(state)
            bias_correction2 = 1 - beta2 ** step
            if wd != 0:
                if group["decoupled_weight_decay"]:
                    p.mul_(1 - lr * wd)
                else:
                    grad = grad.add(p, alpha=wd)
            mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))
            mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
            mu_product = state["mu_product"]
            mu_product.mul_(mu)
            mu_prod = mu_product.item()
            exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
            exp_avg.lerp_(grad, 1 - beta1)
            exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            denom = exp_avg_sq.div(bias_correction2).sqrt_().add_(eps)
            p.addcdiv_(grad, denom, value=-lr * (1.0 - mu) / (1.0 - mu_prod))
            p.addcdiv_(exp_avg, denom, value=-lr * mu_next / (1.0 - mu_prod * mu_next))
