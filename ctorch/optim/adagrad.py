"""Adagrad (with lr decay and an initial accumulator value)."""
import ctorch
from .optimizer import Optimizer, _check_flags, _check_lr, _value, _step_tensor
from .adam import _grad


class Adagrad(Optimizer):
    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None):
        _check_lr(lr)
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(f"Invalid initial_accumulator_value value: {initial_accumulator_value}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, fused=fused)
        _check_flags(defaults, "Adagrad")
        super().__init__(params, defaults)
        # the accumulators exist from construction on, as in PyTorch
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                state["step"] = ctorch.tensor(0.0, dtype=ctorch.float32)
                state["sum"] = ctorch.full_like(p, group["initial_accumulator_value"])

    def _update_group(self, group):
        lr, lr_decay, eps, wd = _value(group["lr"]), group["lr_decay"], group["eps"], group["weight_decay"]
        for p in group["params"]:
            if p.grad is None:
                continue
            grad = _grad(p, group)
            state = self.state[p]
            step = _step_tensor(state)
            if wd != 0:
                grad = grad.add(p, alpha=wd)
            clr = lr / (1 + (step - 1) * lr_decay)
            state["sum"].addcmul_(grad, grad, value=1)
            std = state["sum"].sqrt().add_(eps)
            p.addcdiv_(grad, std, value=-clr)
