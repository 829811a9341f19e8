"""SGD with momentum, dampening, Nesterov momentum, weight decay and maximize."""
import ctorch
from .optimizer import Optimizer, _check_flags, _check_lr, _value, _fused_kernels, _check_fused_param


class SGD(Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False,
                 *, maximize=False, foreach=None, differentiable=False, fused=None):
        _check_lr(lr)
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                        nesterov=nesterov, maximize=maximize, foreach=foreach,
                        differentiable=differentiable, fused=fused)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        _check_flags(defaults, "SGD")
        super().__init__(params, defaults)

    def _update_group(self, group):
        lr, momentum, dampening = _value(group["lr"]), group["momentum"], group["dampening"]
        wd, nesterov, maximize = group["weight_decay"], group["nesterov"], group["maximize"]
        kernels = _fused_kernels(group)
        for p in group["params"]:
            if p.grad is None:
                continue
            _check_fused_param(group, p)
            if kernels is not None and self._fused_update(kernels, p, lr, momentum, dampening, wd,
                                                          nesterov, maximize):
                continue
            d_p = -p.grad if maximize else p.grad
            if wd != 0:
                d_p = d_p.add(p, alpha=wd)
            if momentum != 0:
                state = self.state[p]
                buf = state.get("momentum_buffer")
                if buf is None:
                    buf = d_p.clone().detach()
                    state["momentum_buffer"] = buf
                else:
                    buf.mul_(momentum).add_(d_p, alpha=1 - dampening)
                d_p = d_p.add(buf, alpha=momentum) if nesterov else buf
            p.add_(d_p, alpha=-lr)

    def _fused_update(self, kernels, p, lr, momentum, dampening, wd, nesterov, maximize):
        """The step of p in one pass (True), or False where the kernel does not take p."""
        if momentum == 0:
            return kernels._sgd_update(p, p.grad, None, lr, wd, momentum, dampening, nesterov,
                                       maximize, False)
        state = self.state[p]
        buf = state.get("momentum_buffer")
        first = buf is None
        if first:
            if not kernels._sgd_fits(p, p.grad, None):
                return False
            buf = ctorch.empty_like(p, memory_format=ctorch.contiguous_format)
        if not kernels._sgd_update(p, p.grad, buf, lr, wd, momentum, dampening, nesterov,
                                   maximize, first):
            return False
        if first:
            state["momentum_buffer"] = buf
        return True
