"""torch.utils.dlpack: tensors to and from DLPack capsules, sharing memory
with NumPy, CuPy, Numba, JAX or PyTorch (see ctorch/_core/dlpack.pyx)."""
from ctorch._core.dlpack import from_dlpack, to_dlpack as _to_dlpack

__all__ = ["to_dlpack", "from_dlpack"]


def to_dlpack(tensor):
    """A DLPack 0.x capsule ("dltensor") sharing tensor's memory."""
    return _to_dlpack(tensor)
