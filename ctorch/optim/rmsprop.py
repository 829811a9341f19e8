"""RMSprop (with momentum and the centered variant)."""
import ctorch
from .optimizer import Optimizer, _check_flags, _check_lr, _value, _step_tensor
from .adam import _grad, _zero_step


class RMSprop(Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        _check_lr(lr)
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                        weight_decay=weight_decay, capturable=capturable, foreach=foreach,
                        maximize=maximize, differentiable=differentiable)
        _check_flags(defaults, "RMSprop")
        super().__init__(params, defaults)

    def _update_group(self, group):
        lr, alpha, eps = _value(group["lr"]), group["alpha"], group["eps"]
        wd, momentum, centered = group["weight_decay"], group["momentum"], group["centered"]
        for p in group["params"]:
            if p.grad is None:
                continue
            grad = _grad(p, group)
            state = self.state[p]
            if len(state) == 0:
                state["step"] = _zero_step()
                state["square_avg"] = ctorch.zeros_like(p)
                if momentum > 0:
                    state["momentum_buffer"] = ctorch.zeros_like(p)
                if centered:
                    state["grad_avg"] = ctorch.zeros_like(p)
            _step_tensor(state)
            if wd != 0:
                grad = grad.add(p, alpha=wd)
            square_avg = state["square_avg"]
            square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
            if centered:
                grad_avg = state["grad_avg"]
                grad_avg.lerp_(grad, 1 - alpha)
                avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_().add_(eps)
            else:
                avg = square_avg.sqrt().add_(eps)
            if momentum > 0:
                buf = state["momentum_buffer"]
                buf.mul_(momentum).addcdiv_(grad, avg)
                p.add_(buf, alpha=-lr)
            else:
                p.addcdiv_(grad, avg, value=-lr)
