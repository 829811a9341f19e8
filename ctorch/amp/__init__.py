"""torch.amp: automatic mixed precision (autocast regions and loss scaling)."""
from ctorch.amp.autocast_mode import autocast, custom_bwd, custom_fwd, is_autocast_available  # noqa: F401
from ctorch.amp.grad_scaler import GradScaler  # noqa: F401

__all__ = ["autocast", "custom_bwd", "custom_fwd", "is_autocast_available", "GradScaler"]
