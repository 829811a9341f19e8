"""torch.cpu.amp and torch.cuda.amp: the deprecated per-device forms of
torch.amp's autocast and GradScaler (each warns, then is torch.amp's with the
device fixed)."""
import functools
import types
import warnings

from ctorch.amp import autocast_mode as _am
from ctorch.amp.grad_scaler import GradScaler as _GradScaler


def _deprecated(what, device):
    warnings.warn(f"`torch.{device}.amp.{what}(args...)` is deprecated. Please use "
                  f"`torch.amp.{what}('{device}', args...)` instead.", FutureWarning, stacklevel=3)


class _CpuAutocast(_am.autocast):
    """torch.cpu.amp.autocast(enabled=True, dtype=torch.bfloat16, cache_enabled=True)."""

    def __init__(self, enabled=True, dtype=None, cache_enabled=True):
        _deprecated("autocast", "cpu")
        super().__init__("cpu", enabled=enabled, dtype=dtype, cache_enabled=cache_enabled)


class _CudaAutocast(_am.autocast):
    """torch.cuda.amp.autocast(enabled=True, dtype=torch.float16, cache_enabled=True)."""

    def __init__(self, enabled=True, dtype=None, cache_enabled=True):
        _deprecated("autocast", "cuda")
        super().__init__("cuda", enabled=enabled, dtype=dtype, cache_enabled=cache_enabled)


class _CpuGradScaler(_GradScaler):
    def __init__(self, init_scale=2.0 ** 16, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000,
                 enabled=True):
        _deprecated("GradScaler", "cpu")
        super().__init__("cpu", init_scale, growth_factor, backoff_factor, growth_interval, enabled)


class _CudaGradScaler(_GradScaler):
    def __init__(self, init_scale=2.0 ** 16, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000,
                 enabled=True):
        _deprecated("GradScaler", "cuda")
        super().__init__("cuda", init_scale, growth_factor, backoff_factor, growth_interval, enabled)


for _c, _dev in ((_CpuAutocast, "cpu"), (_CudaAutocast, "cuda"), (_CpuGradScaler, "cpu"),
                 (_CudaGradScaler, "cuda")):
    _c.__name__ = _c.__qualname__ = "autocast" if "Autocast" in _c.__name__ else "GradScaler"
    _c.__module__ = f"ctorch.{_dev}.amp"


def _custom_fwd(fwd=None, *, cast_inputs=None):
    warnings.warn("`torch.cuda.amp.custom_fwd(args...)` is deprecated. Please use "
                  "`torch.amp.custom_fwd(args..., device_type='cuda')` instead.", FutureWarning, stacklevel=2)
    return functools.partial(_am.custom_fwd, device_type="cuda")(fwd=fwd, cast_inputs=cast_inputs)


def _custom_bwd(bwd):
    warnings.warn("`torch.cuda.amp.custom_bwd(args...)` is deprecated. Please use "
                  "`torch.amp.custom_bwd(args..., device_type='cuda')` instead.", FutureWarning, stacklevel=2)
    return functools.partial(_am.custom_bwd, device_type="cuda")(bwd)


cpu_amp = types.ModuleType("ctorch.cpu.amp", "torch.cpu.amp (deprecated forms of torch.amp's).")
cpu_amp.autocast = _CpuAutocast
cpu_amp.GradScaler = _CpuGradScaler

cuda_amp = types.ModuleType("ctorch.cuda.amp", "torch.cuda.amp (deprecated forms of torch.amp's).")
cuda_amp.autocast = _CudaAutocast
cuda_amp.GradScaler = _CudaGradScaler
cuda_amp.custom_fwd = _custom_fwd
cuda_amp.custom_bwd = _custom_bwd
