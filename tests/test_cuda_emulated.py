"""The op tables on CUDA tensors of the emulated device.

`ctorch.cuda._emulate()` serves "cuda:0" with the host build of cuda_src/
(the same kernels, compiled with g++ and run on the CPU: see
cuda_src/host_shim.h), so the op dispatch, the kernels' logic, the
allocator and autograd on CUDA tensors are checked on every push without a
GPU. The emulated memory is closed to host code between launches: an op
that reads device memory from the host faults here as it would crash on a
GPU. The elementwise tables run in full with the blocks of each launch in
forward order, and again per op with the blocks reversed. These are
emulated results, never GPU results: tests/cuda/ runs the same tables on a
real GPU.

The tests are the op tables' own (imported from their modules): with
helpers.DEVICE = "cuda" their tensors are made on the device, and
assert_close checks that results stay there.
"""
import pytest

import ctorch as torch
import helpers
from op_db import binary_ops, unary_ops

from test_ops import (  # noqa: F401  (collected here, on the emulated device)
    test_binary, test_binary_broadcast, test_binary_out, test_binary_scalar,
    test_binary_special_values, test_unary, test_unary_out, test_unary_inplace,
    test_unary_special_values)


@pytest.fixture(autouse=True, scope="module")
def emulated_cuda():
    torch.cuda._emulate(True)
    helpers.DEVICE = "cuda"
    yield
    helpers.DEVICE = "cpu"
    torch.cuda._emulate(False)


@pytest.fixture
def reversed_blocks():
    """Launches run their blocks last to first (a kernel must not depend on
    the order in which blocks run)."""
    from ctorch.cuda import _backend
    _backend.host_set_reverse(True)
    yield
    _backend.host_set_reverse(False)


@pytest.mark.parametrize("op", unary_ops, ids=lambda op: op.name)
def test_unary_reversed_blocks(op, reversed_blocks):
    for dtype in op.dtypes:
        for layout in ("contiguous", "sliced"):
            test_unary(op, dtype, layout)


@pytest.mark.parametrize("op", binary_ops, ids=lambda op: op.name)
def test_binary_reversed_blocks(op, reversed_blocks):
    for dtype in op.dtypes:
        for layout in ("contiguous", "transposed", "expanded"):
            test_binary(op, dtype, layout)
