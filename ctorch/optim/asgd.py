"""ASGD: averaged stochastic gradient descent."""
import ctorch
from .optimizer import Optimizer, _check_flags, _check_lr, _value, _step_tensor
from .adam import _zero_step


class ASGD(Optimizer):
    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0, foreach=None,
                 maximize=False, differentiable=False, capturable=False):
        _check_lr(lr)
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, capturable=capturable)
        _check_flags(defaults, "ASGD")
        super().__init__(params, defaults)

    def _update_group(self, group):
        lr, lambd, alpha, t0, wd = _value(group["lr"]), group["lambd"], group["alpha"], group["t0"], group["weight_decay"]
        for p in group["params"]:
            if p.grad is None:
                continue
            grad = -p.grad if group["maximize"] else p.grad
            state = self.state[p]
            if len(state) == 0:
                state["step"] = _zero_step()
                state["eta"] = ctorch.tensor(float(lr), dtype=ctorch.float32)
                state["mu"] = ctorch.ones((), dtype=ctorch.float32)
                state["ax"] = ctorch.zeros_like(p)
            step = _step_tensor(state)
            if wd != 0:
                grad = grad.add(p, alpha=wd)
            eta, mu, ax = state["eta"], state["mu"], state["ax"]
            eta_value = eta.item()
            p.mul_(1 - lambd * eta_value)
            p.add_(grad, alpha=-eta_value)
            mu_value = mu.item()
            if mu_value != 1:
                ax.add_(p.sub(ax).mul_(mu_value))
            else:
                ax.copy_(p)
            eta.fill_(lr / ((1 + lambd * lr * step) ** alpha))
            mu.fill_(1 / max(1, step - t0))
