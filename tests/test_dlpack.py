"""DLPack: ctorch tensors handed to NumPy (and back) without copies, the
capsule protocol (consumed once, deleted by whoever holds it last), the
versioned capsule of DLPack 1.0, and CUDA tensors of the emulated device.
NumPy is the independent consumer and producer on the CPU."""
import gc
import weakref

import numpy as np
import pytest

import ctorch as torch

DTYPES = [torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64, torch.float16,
          torch.float32, torch.float64, torch.complex64, torch.complex128]


@pytest.mark.parametrize("dt", DTYPES, ids=str)
def test_numpy_reads_and_writes_ctorch_memory_and_back(dt):
    t = (torch.arange(12) % 3).to(dt).reshape(3, 4)
    a = np.from_dlpack(t)
    assert a.dtype == t.numpy().dtype and a.shape == (3, 4)
    np.testing.assert_array_equal(a, t.numpy())
    a[1, 2] = a[0, 1]
    assert t[1, 2].item() == t[0, 1].item()
    back = torch.from_dlpack(a)
    assert back.dtype == dt and back.data_ptr() == t.data_ptr() and torch.equal(back, t)


def test_views_keep_their_strides_and_offsets():
    base = np.arange(24.0).reshape(4, 6)
    v = torch.from_dlpack(base[1:, ::2])
    assert v.shape == (3, 3) and v.stride() == (6, 2)
    np.testing.assert_array_equal(v.numpy(), base[1:, ::2])
    t = torch.arange(24).reshape(4, 6)
    np.testing.assert_array_equal(np.from_dlpack(t.t()[2:]), t.numpy().T[2:])
    e = torch.from_dlpack(np.zeros((0, 3)))
    assert e.shape == (0, 3)


def test_a_capsule_is_consumed_once_and_keeps_its_tensor_alive():
    t = torch.ones(5)
    ref = weakref.ref(t)
    cap = torch.utils.dlpack.to_dlpack(t)
    del t
    gc.collect()
    assert ref() is not None            # the capsule holds the tensor
    u = torch.from_dlpack(cap)
    with pytest.raises(RuntimeError, match="consumed only once"):
        torch.from_dlpack(cap)
    del cap
    gc.collect()
    assert ref() is not None            # now u's storage holds it
    u += 1
    del u
    gc.collect()
    assert ref() is None                # the deleter ran
    t = torch.ones(3)
    ref = weakref.ref(t)
    cap = t.__dlpack__()
    del t, cap                          # never consumed: the capsule deletes it
    gc.collect()
    assert ref() is None


def test_the_versioned_capsule_and_copies():
    t = torch.arange(4.0)
    cap = t.__dlpack__(max_version=(1, 0))
    assert "dltensor_versioned" in repr(cap)
    assert torch.from_dlpack(cap).data_ptr() == t.data_ptr()
    c = torch.from_dlpack(t.__dlpack__(max_version=(1, 0), copy=True))
    assert c.data_ptr() != t.data_ptr() and torch.equal(c, t)
    assert '"dltensor"' in repr(t.__dlpack__())         # DLPack 0.x unless asked
    assert t.__dlpack_device__() == (1, 0)


def test_errors():
    with pytest.raises(RuntimeError, match="Can't export tensors that require gradient, use tensor.detach()"):
        torch.ones(2, requires_grad=True).__dlpack__()
    with pytest.raises(TypeError, match="expected a DLPack capsule or an object with __dlpack__"):
        torch.from_dlpack([1, 2])
    with pytest.raises(BufferError, match="without a copy"):
        torch.ones(2).__dlpack__(dl_device=(2, 0), copy=False)


def test_cuda_tensors_of_the_emulated_device():
    torch.cuda._emulate(True)
    try:
        g = torch.arange(6.0, device="cuda").reshape(2, 3)
        assert g.__dlpack_device__() == (2, 0)
        h = torch.from_dlpack(g)
        assert h.device.type == "cuda" and h.data_ptr() == g.data_ptr()
        h += 1
        assert g.cpu().tolist() == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
        assert torch.from_dlpack(g[:, 1:].__dlpack__(stream=1, max_version=(1, 0))).cpu().tolist() == \
            [[2.0, 3.0], [5.0, 6.0]]
        with pytest.raises(ValueError, match="stream 0 is ambiguous"):
            g.__dlpack__(stream=0)
        # a copy to the host for a CPU consumer, as numpy asks with device="cpu"
        cpu = torch.from_dlpack(g.__dlpack__(dl_device=(1, 0), max_version=(1, 0)))
        assert cpu.device.type == "cpu" and cpu.tolist() == g.cpu().tolist()
        before = torch.cuda.memory_allocated()
        for _ in range(200):
            torch.from_dlpack(torch.ones(100, device="cuda"))
        gc.collect()
        assert torch.cuda.memory_allocated() == before
    finally:
        torch.cuda._emulate(False)
