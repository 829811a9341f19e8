"""Without a GPU (and without the emulated device), CUDA requests fail with
PyTorch's errors. (The kernels' sources are checked in test_cuda_kernels.py.)"""
import importlib.util
import pathlib
import shutil
import subprocess

import pytest

import ctorch as torch

CUDA_SRC = pathlib.Path(__file__).resolve().parent.parent / "cuda_src"
NVCC = shutil.which("nvcc") or ("/usr/local/cuda/bin/nvcc" if pathlib.Path("/usr/local/cuda/bin/nvcc").exists() else None)


def test_cuda_unavailable_gives_clear_errors():
    if torch.cuda.is_available():
        pytest.skip("a GPU and PyCUDA are present: this checks the errors of a machine without them")
    assert torch.cuda.device_count() == 0
    # without PyCUDA: PyTorch's CPU-build AssertionError; with it, a RuntimeError
    # naming the driver or the missing backend
    exc = AssertionError if importlib.util.find_spec("pycuda") is None else RuntimeError
    with pytest.raises(exc, match="CUDA"):
        torch.zeros(2, device="cuda")
    with pytest.raises(exc, match="CUDA"):
        torch.ones(3).to("cuda")
    assert torch.device("cuda", 0) == torch.device("cuda:0")
    assert str(torch.device("cuda", 0)) == "cuda:0"
    assert repr(torch.device("cpu")) == "device(type='cpu')"
