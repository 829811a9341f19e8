"""Views and layout: shape functions against numpy, memory sharing, strides,
the version counter, copy_/fill_/zero_."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ctorch as torch
from helpers import assert_close


def base():
    a = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    return torch.tensor(a), a


# (name, ctorch fn, numpy fn): every result must be a view of the input
VIEW_CASES = [
    ("view_-1", lambda t: t.view(-1), lambda a: a.reshape(-1)),
    ("view_6_-1", lambda t: t.view(6, -1), lambda a: a.reshape(6, -1)),
    ("view_tuple", lambda t: t.view((4, 6)), lambda a: a.reshape(4, 6)),
    ("reshape", lambda t: t.reshape(3, 8), lambda a: a.reshape(3, 8)),
    ("torch.reshape", lambda t: torch.reshape(t, (-1, 2)), lambda a: a.reshape(-1, 2)),
    ("transpose", lambda t: t.transpose(0, 2), lambda a: a.transpose(2, 1, 0)),
    ("transpose_neg", lambda t: torch.transpose(t, -1, -2), lambda a: a.swapaxes(-1, -2)),
    ("permute", lambda t: t.permute(2, 0, 1), lambda a: a.transpose(2, 0, 1)),
    ("permute_tuple", lambda t: t.permute((1, 2, 0)), lambda a: a.transpose(1, 2, 0)),
    ("unsqueeze0", lambda t: t.unsqueeze(0), lambda a: a[None]),
    ("unsqueeze-1", lambda t: t.unsqueeze(-1), lambda a: a[..., None]),
    ("unsqueeze_mid", lambda t: torch.unsqueeze(t, 2), lambda a: a[:, :, None]),
    ("squeeze_all", lambda t: t[:1, :, :1].squeeze(), lambda a: a[:1, :, :1].squeeze()),
    ("squeeze_dim", lambda t: t[:1].squeeze(0), lambda a: a[:1].squeeze(0)),
    ("squeeze_non1", lambda t: t.squeeze(1), lambda a: a),
    ("expand", lambda t: t[:, :1].expand(2, 5, 4), lambda a: np.broadcast_to(a[:, :1], (2, 5, 4))),
    ("expand_-1", lambda t: t[:, :1].expand(-1, 3, -1), lambda a: np.broadcast_to(a[:, :1], (2, 3, 4))),
    ("expand_newdim", lambda t: t[0, 0].expand(3, 4), lambda a: np.broadcast_to(a[0, 0], (3, 4))),
    ("expand_as", lambda t: t[:1].expand_as(t), lambda a: np.broadcast_to(a[:1], a.shape)),
    ("flatten", lambda t: t.flatten(), lambda a: a.reshape(-1)),
    ("flatten_1", lambda t: t.flatten(1), lambda a: a.reshape(2, -1)),
    ("flatten_0_1", lambda t: torch.flatten(t, 0, 1), lambda a: a.reshape(6, 4)),
    ("unflatten", lambda t: t.unflatten(2, (2, 2)), lambda a: a.reshape(2, 3, 2, 2)),
    ("unflatten_-1", lambda t: t.unflatten(-1, (2, -1)), lambda a: a.reshape(2, 3, 2, 2)),
    ("narrow", lambda t: t.narrow(2, 1, 2), lambda a: a[:, :, 1:3]),
    ("torch.narrow", lambda t: torch.narrow(t, 0, 1, 1), lambda a: a[1:2]),
    ("select", lambda t: t.select(1, 2), lambda a: a[:, 2]),
    ("select_neg", lambda t: t.select(-1, -1), lambda a: a[..., -1]),
    ("diagonal", lambda t: t[0].diagonal(), lambda a: np.diagonal(a[0])),
    ("diagonal_off", lambda t: t[0].diagonal(1), lambda a: np.diagonal(a[0], 1)),
    ("diagonal_neg_off", lambda t: torch.diagonal(t[0], -1), lambda a: np.diagonal(a[0], -1)),
    ("diagonal_dims", lambda t: t.diagonal(0, 0, 2), lambda a: np.diagonal(a, 0, 0, 2)),
    ("t", lambda t: t[0].t(), lambda a: a[0].T),
    ("t_1d", lambda t: t[0, 0].t(), lambda a: a[0, 0]),
    ("T", lambda t: t[1].T, lambda a: a[1].T),
    ("as_strided", lambda t: t.as_strided((3, 3), (4, 1), 2),
     lambda a: np.lib.stride_tricks.as_strided(a.reshape(-1)[2:], (3, 3), (16, 4))),
    ("contiguous_of_contiguous", lambda t: t.contiguous(), lambda a: a),
    ("view_of_transpose_1d_dims", lambda t: t.transpose(0, 1).view(3, 2, 2, 2),
     lambda a: a.transpose(1, 0, 2).reshape(3, 2, 2, 2)),
]


@pytest.mark.parametrize("name,fn,npfn", VIEW_CASES, ids=[c[0] for c in VIEW_CASES])
def test_view_values_and_sharing(name, fn, npfn):
    t, a = base()
    v = fn(t)
    exp = npfn(a)
    assert_close(v, exp, "float32")
    assert v.shape == exp.shape
    if v.numel():
        # shares memory: writing through the base shows in the view
        ver = v._version
        t.add_(1)
        assert_close(v, exp + 1, "float32")
        assert v._version > ver


@pytest.mark.parametrize("name,fn,npfn", VIEW_CASES, ids=[c[0] for c in VIEW_CASES])
def test_view_strides_match_numpy(name, fn, npfn):
    t, a = base()
    v = fn(t)
    exp = npfn(a)
    if exp.size > 1 and name not in ("squeeze_non1",):
        np_strides = tuple(s // 4 for s in exp.strides)
        for d, n in enumerate(exp.shape):
            if n > 1:
                assert v.stride(d) == np_strides[d], (v.stride(), np_strides)


def test_view_errors():
    t = torch.arange(12)
    with pytest.raises(RuntimeError, match=r"shape '\[5, -1\]' is invalid for input of size 12"):
        t.view(5, -1)
    with pytest.raises(RuntimeError, match="only one dimension can be inferred"):
        t.view(-1, -1)
    with pytest.raises(RuntimeError, match=r"view size is not compatible with input tensor's size and stride"):
        t.view(3, 4).t().view(12)
    # reshape copies in that case instead
    r = t.view(3, 4).t().reshape(12)
    np.testing.assert_array_equal(r.numpy(), np.arange(12).reshape(3, 4).T.reshape(12))
    r[0] = 100
    assert t[0].item() == 0


def test_reshape_returns_view_when_possible():
    t = torch.arange(6)
    r = t.reshape(2, 3)
    r[0, 0] = 9
    assert t[0].item() == 9


def test_size_is_tuple_subclass():
    s = torch.ones(5, 3).size()
    assert isinstance(s, tuple) and isinstance(s, torch.Size)
    assert repr(s) == "torch.Size([5, 3])" and str(s) == "torch.Size([5, 3])"
    assert s == (5, 3) and s[0] == 5 and s[-1] == 3 and len(s) == 2
    assert torch.ones(5, 3).size(1) == 3 and torch.ones(5, 3).size(-2) == 5
    assert torch.ones(5, 3).shape == s
    assert repr(torch.ones(()).shape) == "torch.Size([])"
    assert isinstance(s[0:1], torch.Size)
    assert s.numel() == 15
    assert torch.Size([2, 3]) == (2, 3)


def test_stride_offset_data_ptr():
    t = torch.zeros(3, 4)
    assert t.stride() == (4, 1) and t.stride(0) == 4 and t.stride(-1) == 1
    assert t.storage_offset() == 0
    v = t[1:, 2:]
    assert v.storage_offset() == 6 and v.stride() == (4, 1)
    assert v.data_ptr() == t.data_ptr() + 6 * 4
    assert t.t().stride() == (1, 4)
    assert t.dim() == 2 and t.ndim == 2 and t.numel() == 12 and len(t) == 3


def test_contiguous():
    t = torch.arange(6).view(2, 3)
    assert t.is_contiguous()
    assert t.contiguous() is t
    tt = t.t()
    assert not tt.is_contiguous()
    c = tt.contiguous()
    assert c.is_contiguous() and c.stride() == (2, 1)
    np.testing.assert_array_equal(c.numpy(), np.arange(6).reshape(2, 3).T)
    c[0, 0] = 50
    assert t[0, 0].item() == 0
    # size-1 dims do not break contiguity; neither do empty tensors
    assert torch.zeros(3, 1).t().is_contiguous()
    assert torch.zeros(0, 3).t().is_contiguous()


def test_clone_is_independent():
    t = torch.arange(6.0).view(2, 3).t()
    c = t.clone()
    assert c.data_ptr() != t.data_ptr()
    np.testing.assert_array_equal(c.numpy(), t.numpy())
    c[0, 0] = 9
    assert t[0, 0].item() == 0


COPY_CASES = [((3, 4), (3, 4), "float32", "float32"), ((3, 4), (4,), "float32", "int64"),
              ((3, 4), (3, 1), "float64", "float32"), ((3, 4), (), "int32", "float64"),
              ((2, 3), (1, 3), "int8", "int64"), ((2, 3), (2, 3), "bool", "float32"),
              ((2, 3), (3,), "complex64", "int16"), ((2, 3), (2, 3), "float16", "complex128")]


@pytest.mark.parametrize("dst_shape,src_shape,dst_dt,src_dt", COPY_CASES, ids=str)
def test_copy_broadcast_and_convert(dst_shape, src_shape, dst_dt, src_dt):
    rng = np.random.default_rng(0)
    src = (rng.standard_normal(src_shape) * 5).astype(src_dt)
    dst = torch.zeros(*dst_shape, dtype=getattr(torch, dst_dt))
    ptr = dst.data_ptr()
    r = dst.copy_(torch.tensor(src))
    assert r is dst and dst.data_ptr() == ptr
    with np.errstate(all="ignore"):
        exp = np.broadcast_to(src, dst_shape).astype(dst_dt) if not (
            src.dtype.kind == "c" and dst_dt[0] != "c") else np.broadcast_to(src.real, dst_shape).astype(dst_dt)
    assert_close(dst, exp, dst_dt, (1e-3, 1e-3))


def test_copy_into_view_and_errors():
    t = torch.zeros(3, 4)
    t[:, 1].copy_(torch.tensor([1.0, 2.0, 3.0]))
    t.t()[2].copy_(torch.ones(3))
    exp = np.zeros((3, 4))
    exp[:, 1] = [1, 2, 3]
    exp[:, 2] = 1
    assert_close(t, exp, "float32")
    with pytest.raises(RuntimeError):
        t.copy_(torch.ones(2, 4))
    with pytest.raises(RuntimeError):
        t.copy_(torch.ones(5))


def test_copy_overlapping_self():
    t = torch.arange(6.0)
    t[1:].copy_(t[1:].clone())
    np.testing.assert_array_equal(t.numpy(), np.arange(6.0))


@pytest.mark.parametrize("dtype,value,exp", [("float32", 2.5, 2.5), ("int32", 7, 7), ("bool", True, True),
                                             ("int64", 2.9, 2), ("complex64", 1 + 2j, 1 + 2j),
                                             ("float16", 1e5, np.inf), ("uint8", True, 1)])
def test_fill_and_zero(dtype, value, exp):
    t = torch.empty(2, 3, dtype=getattr(torch, dtype))
    ver = t._version
    assert t.fill_(value) is t
    assert t._version > ver
    np.testing.assert_array_equal(t.numpy(), np.full((2, 3), exp, dtype=dtype))
    t.t()[1].zero_()
    e = np.full((2, 3), exp, dtype=dtype)
    e[:, 1] = 0
    np.testing.assert_array_equal(t.numpy(), e)
    t.fill_(torch.tensor(0))
    assert not t.numpy().any()


def test_fill_with_tensor_requires_0_dim():
    with pytest.raises(RuntimeError, match="fill_ only supports 0-dimension value tensor"):
        torch.zeros(3).fill_(torch.ones(2))


def test_version_counter_shared_by_views():
    t = torch.zeros(4, 4)
    v = t[1:3]
    w = t.view(16)
    v0 = t._version
    v.add_(1)
    assert t._version == v._version == w._version > v0
    v1 = t._version
    w[3] = 5                        # index assignment counts as in-place
    assert t._version > v1 and v._version == t._version
    v2 = t._version
    t.t().mul_(2)
    assert v._version > v2
    c = t.clone()
    assert c._version == 0
    v3 = t._version
    c.add_(1)
    assert t._version == v3


def test_view_dtype_unchanged_and_size_errors():
    t = torch.zeros(2, 3)
    with pytest.raises(IndexError, match="Dimension out of range"):
        t.transpose(0, 2)
    with pytest.raises(IndexError, match="Dimension out of range"):
        t.unsqueeze(3)
    with pytest.raises(RuntimeError, match="does not match the length of the desired ordering of dimensions"):
        t.permute(0)
    with pytest.raises(RuntimeError, match="duplicate dims are not allowed"):
        t.permute(0, 0)
    with pytest.raises(RuntimeError, match="The expanded size of the tensor"):
        t.expand(2, 4)
    with pytest.raises(RuntimeError, match="exceeds dimension size"):
        t.narrow(1, 2, 2)
    with pytest.raises(IndexError):
        t.select(0, 2)
    with pytest.raises(RuntimeError, match="t\\(\\) expects a tensor with <= 2 dimensions, but self is 3D"):
        torch.zeros(2, 2, 2).t()
    with pytest.raises(RuntimeError):
        t.unflatten(1, (2, 2))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=4), st.data())
def test_permute_reshape_hypothesis(shape, data):
    a = np.arange(int(np.prod(shape)), dtype=np.int32).reshape(shape)
    perm = data.draw(st.permutations(range(len(shape))))
    t = torch.tensor(a).permute(*perm)
    np.testing.assert_array_equal(t.numpy(), a.transpose(perm))
    np.testing.assert_array_equal(t.reshape(-1).numpy(), a.transpose(perm).reshape(-1))
    np.testing.assert_array_equal(t.contiguous().view(-1).numpy(), a.transpose(perm).reshape(-1))
    np.testing.assert_array_equal(t.flatten().numpy(), a.transpose(perm).flatten())


# ------------------------------------------------------------ complex views

COMPLEX_VIEWS = [
    ("real", lambda z: z.real, lambda a: a.real),
    ("imag", lambda z: torch.imag(z), lambda a: a.imag),
    ("view_as_real", lambda z: torch.view_as_real(z), lambda a: np.stack([a.real, a.imag], -1)),
    ("view_as_complex", lambda z: torch.view_as_complex(torch.view_as_real(z)), lambda a: a),
]


@pytest.mark.parametrize("name,fn,npfn", COMPLEX_VIEWS, ids=[c[0] for c in COMPLEX_VIEWS])
@pytest.mark.parametrize("layout", ["contig", "transposed", "sliced"])
def test_complex_views_share_memory(name, fn, npfn, layout):
    a = (np.arange(12) + 1j * np.arange(12, 24)).reshape(3, 4).astype(np.complex64)
    base_t = torch.tensor(a)
    z = {"contig": base_t, "transposed": base_t.t(), "sliced": base_t[1:, ::2]}[layout]
    za = {"contig": a, "transposed": a.T, "sliced": a[1:, ::2]}[layout]
    v = fn(z)
    np.testing.assert_array_equal(v.numpy(), npfn(za))
    assert v._base is base_t
    # strides and offset in units of the real type: doubled, +1 for imag
    if name in ("real", "imag"):
        assert v.stride() == tuple(2 * s for s in z.stride())
        assert v.storage_offset() == 2 * z.storage_offset() + (name == "imag")
    # writing through the complex tensor shows in the view and bumps the shared version
    ver = v._version
    z.mul_(2)
    np.testing.assert_array_equal(v.numpy(), npfn(2 * za))
    assert v._version > ver


def test_writes_through_complex_views():
    z = torch.zeros(3, dtype=torch.complex128)
    z.real.fill_(1.5)
    torch.imag(z)[1] = -2.0
    torch.view_as_real(z)[2, 1] = 7.0
    assert z.tolist() == [1.5 + 0j, 1.5 - 2j, 1.5 + 7j]
    r = torch.arange(4.0)
    c = torch.view_as_complex(r.view(2, 2))
    c.mul_(1j)
    assert r.tolist() == [-1.0, 0.0, -3.0, 2.0]
    z.imag = torch.tensor([9.0, 9.0, 9.0], dtype=torch.float64)
    assert z.imag.tolist() == [9.0, 9.0, 9.0] and z.real.tolist() == [1.5, 1.5, 1.5]


def test_result_layout_follows_the_operands():
    # a new result's dims are ordered by the first operand whose strides
    # order them (a broadcast dim leaves a pair to the next operand), as
    # PyTorch lays out results; the strides PyTorch 2.13 gives
    x, y = torch.randn(4, 3), torch.randn(3, 4)
    p, q = torch.randn(2, 3, 4).permute(2, 0, 1), torch.randn(4, 2, 3)
    r, u = torch.randn(5, 4, 3).permute(1, 2, 0), torch.randn(4, 1, 5)
    cases = [(x.t() * y, (1, 3)), (y * x.t(), (4, 1)), (x.t() * torch.randn(3, 1), (1, 3)),
             (torch.randn(3, 1) * x.t(), (1, 3)), (torch.randn(4) * x.t(), (1, 3)),
             (p + q, (1, 12, 4)), (q + p, (6, 3, 1)), (torch.where(y > 0, x.t(), y), (4, 1)),
             (torch.where(y > 0, y, x.t()), (4, 1)), (torch.where(x.t() > 0, 1.0, 0.0), (1, 3)),
             (1 + x.t(), (1, 3)), (x.t().expand(2, 3, 4) + y, (12, 1, 3)), (r + u, (3, 1, 12)),
             (u + r, (15, 1, 3)), (r[:, :, ::2] * 2, (3, 1, 12)), (torch.randn(3, 4)[:, ::2].t().exp(), (1, 2)),
             (torch.randn(1, 4) + torch.randn(4, 1), (4, 1)), (torch.randn(6, 4)[::2].t() * 2, (1, 4)),
             (x.t() > y, (1, 3))]
    for got, want in cases:
        assert got.stride() == want
    np.testing.assert_array_equal((y * x.t()).numpy(), y.numpy() * x.numpy().T)


def test_every_other_element_copy_reads_nothing_past_its_last():
    """x[1::2].contiguous() of a buffer whose last element ends a page, the
    next page unreadable: the vector copy of every other element must not
    read the element after the view's last (it faulted before)."""
    import ctypes
    import mmap
    page = mmap.PAGESIZE
    buf = mmap.mmap(-1, 2 * page)
    addr = ctypes.addressof(ctypes.c_char.from_buffer(buf))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mprotect.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
    assert libc.mprotect(addr + page, page, 0) == 0          # PROT_NONE
    try:
        for dt in (np.float32, np.float64, np.int32, np.int64):
            a = np.frombuffer(buf, dtype=dt, count=page // np.dtype(dt).itemsize)
            a[:] = np.arange(a.size)
            t = torch.from_numpy(a)[1::2]
            np.testing.assert_array_equal(t.contiguous().numpy(), a[1::2])
            np.testing.assert_array_equal(t.clone().numpy(), a[1::2])
    finally:
        libc.mprotect(addr + page, page, 3)                   # PROT_READ | PROT_WRITE
