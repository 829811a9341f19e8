"""torch.utils: DLPack interchange (ctorch.utils.dlpack); datasets and the
DataLoader (ctorch.utils.data, loaded on first use)."""
from ctorch.utils import dlpack  # noqa: F401


def __getattr__(name):
    if name == "data":
        import importlib
        return importlib.import_module("ctorch.utils.data")
    raise AttributeError(f"module 'ctorch.utils' has no attribute '{name}'")


def __dir__():
    return sorted(set(globals()) | {"data"})
