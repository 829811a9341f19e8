"""torch.func: function transforms. Here: vmap (ctorch._control). Loaded on
first use (ctorch._LAZY)."""
from ctorch._control import vmap

__all__ = ["vmap"]
