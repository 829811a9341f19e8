"""Named (values, indices) tuples returned by max/min/median(dim=...)."""
from ctorch import _C

globals().update(_C._return_types())
__all__ = sorted(_C._return_types())
