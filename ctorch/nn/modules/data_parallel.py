"""DataParallel: runs a module over the CUDA devices, each on its slice of the
batch. With no CUDA device it is the wrapped module, as in PyTorch. With several
devices the replicas run one after another (the devices still work on their
own slices), their parameters being differentiable copies of the module's."""
import copy
from itertools import chain

import ctorch
from ctorch._core.tensor import Tensor
from ctorch.nn.modules.module import Module

__all__ = ["DataParallel"]


def _device_index(d):
    if isinstance(d, int):
        return d
    d = ctorch.device(d)
    if d.type != "cuda":
        raise ValueError(f"Expected a cuda device, but got: {d}")
    return ctorch.cuda.current_device() if d.index is None else d.index


def _to(obj, device):
    # tensors moved, containers rebuilt around them, anything else kept
    if isinstance(obj, Tensor):
        return obj.to(device)
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*(_to(o, device) for o in obj))
    if isinstance(obj, (list, tuple)):
        return type(obj)(_to(o, device) for o in obj)
    if isinstance(obj, dict):
        return type(obj)((k, _to(v, device)) for k, v in obj.items())
    return obj


def _scatter(obj, n, dim):
    """n slices of obj's tensors along dim (fewer when the batch is smaller)."""
    if isinstance(obj, Tensor):
        return list(obj.chunk(n, dim))
    if isinstance(obj, (list, tuple)) and obj:
        parts = [_scatter(o, n, dim) for o in obj]
        k = min(len(p) for p in parts)
        if isinstance(obj, tuple) and hasattr(obj, "_fields"):
            return [type(obj)(*(p[i] for p in parts)) for i in range(k)]
        return [type(obj)(p[i] for p in parts) for i in range(k)]
    if isinstance(obj, dict) and obj:
        parts = {key: _scatter(v, n, dim) for key, v in obj.items()}
        k = min(len(p) for p in parts.values())
        return [type(obj)((key, p[i]) for key, p in parts.items()) for i in range(k)]
    return [obj] * n


def _gather(outputs, device, dim):
    first = outputs[0]
    if isinstance(first, Tensor):
        return ctorch.cat([o.to(device) for o in outputs], dim if first.dim() else 0)
    if first is None:
        return None
    if isinstance(first, dict):
        return type(first)((k, _gather([o[k] for o in outputs], device, dim)) for k in first)
    if isinstance(first, tuple) and hasattr(first, "_fields"):
        return type(first)(*(_gather(list(v), device, dim) for v in zip(*outputs)))
    return type(first)(_gather(list(v), device, dim) for v in zip(*outputs))


def _replicate(module, device):
    """A copy of module whose parameters are differentiable copies on device
    (their gradients flow back to the module's) and whose buffers are copies."""
    memo = {}

    def copy_module(m):
        if id(m) in memo:
            return memo[id(m)]
        r = copy.copy(m)
        memo[id(m)] = r
        put = object.__setattr__
        put(r, "_parameters", {k: None if p is None else p.to(device)
                               for k, p in m._parameters.items()})
        put(r, "_buffers", {k: None if b is None else b.to(device)
                            for k, b in m._buffers.items()})
        put(r, "_modules", {k: None if c is None else copy_module(c)
                            for k, c in m._modules.items()})
        return r
    return copy_module(module)


class DataParallel(Module):
    """Splits each input along `dim` over device_ids (all CUDA devices by
    default), runs the module on each slice on its device and concatenates the
    outputs on output_device. With no CUDA device it calls the module as it is."""

    def __init__(self, module, device_ids=None, output_device=None, dim=0):
        super().__init__()
        if not ctorch.cuda.is_available():
            self.module = module
            self.device_ids = []
            return
        if device_ids is None:
            device_ids = list(range(ctorch.cuda.device_count()))
        if output_device is None:
            output_device = device_ids[0]
        self.dim = dim
        self.module = module
        self.device_ids = [_device_index(d) for d in device_ids]
        self.output_device = _device_index(output_device)
        self.src_device_obj = ctorch.device("cuda", self.device_ids[0])
        if len(self.device_ids) == 1:
            self.module.to(self.src_device_obj)

    def forward(self, *inputs, **kwargs):
        if not self.device_ids:
            return self.module(*inputs, **kwargs)
        for t in chain(self.module.parameters(), self.module.buffers()):
            if t.device != self.src_device_obj:
                raise RuntimeError("module must have its parameters and buffers on device "
                                   f"{self.src_device_obj} (device_ids[0]) but found one of "
                                   f"them on device: {t.device}")
        if len(self.device_ids) == 1:
            return self.module(*_to(inputs, self.src_device_obj),
                               **_to(kwargs, self.src_device_obj))
        n = len(self.device_ids)
        arg_parts = _scatter(inputs, n, self.dim) if inputs else [()]
        kw_parts = _scatter(kwargs, n, self.dim) if kwargs else [{}] * len(arg_parts)
        k = min(len(arg_parts), len(kw_parts))
        outputs = []
        for i in range(k):
            dev = ctorch.device("cuda", self.device_ids[i])
            replica = self.module if i == 0 else _replicate(self.module, dev)
            outputs.append(replica(*_to(arg_parts[i], dev), **_to(kw_parts[i], dev)))
        return _gather(outputs, ctorch.device("cuda", self.output_device), self.dim)
