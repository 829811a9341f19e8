"""Rprop: resilient backpropagation (sign-based step sizes)."""
import ctorch
from .optimizer import Optimizer, _check_flags, _check_lr, _value, _step_tensor
from .adam import _grad, _zero_step


class Rprop(Optimizer):
    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *, capturable=False,
                 foreach=None, maximize=False, differentiable=False):
        _check_lr(lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = dict(lr=lr, etas=etas, step_sizes=step_sizes, foreach=foreach, maximize=maximize,
                        differentiable=differentiable, capturable=capturable)
        _check_flags(defaults, "Rprop")
        super().__init__(params, defaults)

    def _update_group(self, group):
        (etaminus, etaplus), (step_min, step_max) = group["etas"], group["step_sizes"]
        for p in group["params"]:
            if p.grad is None:
                continue
            grad = _grad(p, group)
            state = self.state[p]
            if len(state) == 0:
                state["step"] = _zero_step()
                state["prev"] = ctorch.zeros_like(p)
                state["step_size"] = ctorch.full_like(grad, _value(group["lr"]))
            _step_tensor(state)
            prev, step_size = state["prev"], state["step_size"]
            sign = grad.mul(prev).sign()
            # growth factor: etaplus where the gradient kept its sign, etaminus where it flipped
            factor = ctorch.where(sign > 0, ctorch.full_like(sign, etaplus),
                                  ctorch.where(sign < 0, ctorch.full_like(sign, etaminus),
                                               ctorch.ones_like(sign)))
            step_size.mul_(factor).clamp_(step_min, step_max)
            # after a sign flip the step is skipped and the gradient forgotten
            grad = ctorch.where(sign < 0, ctorch.zeros_like(grad), grad)
            p.addcmul_(grad.sign(), step_size, value=-1)
            prev.copy_(grad)
