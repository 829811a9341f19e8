"""tests/cuda: the op tables and the CUDA features on a real GPU.

Every test here is marked `cuda` and skipped unless ctorch sees a GPU
(PyCUDA importable, a driver, a device). The emulated device of
tests/test_cuda_emulated.py does not count: these tests exist to check what
only a GPU can show.
"""
import pytest

import ctorch as torch


def _real_gpu():
    return torch.cuda.is_available() and not torch.cuda._is_emulated()


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(reason="no GPU here (PyCUDA, a driver and a device are needed)")
    for item in items:
        if "tests/cuda/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.cuda)
            if not _real_gpu():
                item.add_marker(skip)
