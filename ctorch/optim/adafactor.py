"""Adafactor: second moments kept as row and column factors for matrices
(a full running average for vectors), relative step sizes and update clipping."""
import math

import ctorch
from .optimizer import Optimizer, _value


class Adafactor(Optimizer):
    def __init__(self, params, lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0,
                 weight_decay=0.0, *, foreach=None, maximize=False):
        if isinstance(lr, ctorch.Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 >= beta2_decay:
            raise ValueError(f"beta2_decay should be <= 0 but is: {beta2_decay}")
        if eps[0] is not None and not 0.0 <= eps[0]:
            raise ValueError(f"epsilon1 should be >= 0 but is: {eps[0]}")
        if not 0.0 <= eps[1]:
            raise ValueError(f"epsilon2 should be >= 0 but is: {eps[1]}")
        if not 1.0 <= d:
            raise ValueError(f"Clipping threshold d should be >= 1 but is: {d}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight_decay should be >= 0 but is: {weight_decay}")
        defaults = dict(lr=lr, beta2_decay=beta2_decay, eps=eps, d=d,
                        weight_decay=weight_decay, foreach=foreach, maximize=maximize)
        super().__init__(params, defaults)

    def _update_group(self, group):
        lr, beta2_decay, d = _value(group["lr"]), group["beta2_decay"], group["d"]
        eps1, eps2 = group["eps"]
        wd = group["weight_decay"]
        for p in group["params"]:
            if p.grad is None:
                continue
            if p.is_complex():
                raise RuntimeError("Adafactor does not support complex parameters")
            grad = -p.grad if group["maximize"] else p.grad
            state = self.state[p]
            if len(state) == 0:
                state["step"] = ctorch.tensor(0.0, dtype=ctorch.float32)
                if grad.dim() > 1:
                    # the row factor keeps the last dim as 1, the column factor the one before
                    row = list(grad.shape)
                    row[-1] = 1
                    col = list(grad.shape)
                    col[-2] = 1
                    state["row_var"] = grad.new_zeros(row)
                    state["col_var"] = grad.new_zeros(col)
                else:
                    state["variance"] = ctorch.zeros_like(grad)
            e1 = ctorch.finfo(p.dtype).eps if eps1 is None else eps1
            state["step"].add_(1)
            t = state["step"].item()
            w = t ** beta2_decay                     # 1 - beta2_t
            rho = min(lr, 1 / math.sqrt(t))
            # the relative step: rho scaled by the parameter's RMS (taken before decay)
            alpha = max(eps2, p.norm(2).item() / math.sqrt(p.numel())) * rho
            if wd != 0:
                p.mul_(1 - lr * wd)
            sq = grad * grad
            if grad.dim() > 1:
                row_var, col_var = state["row_var"], state["col_var"]
                row_var.lerp_(sq.mean(-1, keepdim=True), w)
                col_var.lerp_(sq.mean(-2, keepdim=True), w)
                var = ctorch.matmul(row_var, col_var)
                var.div_(row_var.mean(-2, keepdim=True).clamp_(min=e1))
            else:
                variance = state["variance"]
                variance.lerp_(sq, w)
                var = variance.clone()
            update = var.clamp_(min=e1 * e1).rsqrt_().mul_(grad)
            denom = max(1.0, update.norm(2).item() / (math.sqrt(update.numel()) * d))
            p.add_(update, alpha=-alpha / denom)
