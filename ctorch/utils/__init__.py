"""torch.utils: DLPack interchange (ctorch.utils.dlpack)."""
from ctorch.utils import dlpack  # noqa: F401
