"""Indexing and index assignment, compared with numpy."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ctorch as torch
from helpers import assert_close


def _np_idx(x):
    return np.array(x)


def _t_idx(x):
    return torch.tensor(x)


# each index is built by a function of `arr`, which turns a python list into an
# index array (numpy's for the reference, a ctorch tensor for ctorch)
INDEXES = [
    ("int", lambda arr: 1),
    ("neg_int", lambda arr: -1),
    ("int_int", lambda arr: (1, 2)),
    ("int_int_int", lambda arr: (0, -1, 3)),
    ("slice", lambda arr: slice(1, 3)),
    ("slice_step", lambda arr: (slice(None, None, 2), slice(1, None, 2))),
    ("slice_neg", lambda arr: (slice(-2, None), slice(None, -1))),
    ("slice_out_of_range", lambda arr: slice(1, 100)),
    ("slice_empty", lambda arr: slice(3, 1)),
    ("none", lambda arr: None),
    ("none_mid", lambda arr: (slice(None), None, 1)),
    ("ellipsis", lambda arr: (Ellipsis, 1)),
    ("ellipsis_none", lambda arr: (0, Ellipsis, None)),
    ("bool_mask", lambda arr: arr([True, False, True, False])),
    ("bool_mask_2d", lambda arr: arr(np.arange(20).reshape(4, 5) % 3 == 0)),
    ("bool_mask_full", lambda arr: arr(np.ones((4, 5, 6), bool) & (np.arange(6) % 2 == 0))),
    ("int_tensor", lambda arr: arr([0, 2, 2, -1])),
    ("int_tensor_2d", lambda arr: arr([[0, 1], [3, 2]])),
    ("int_list", lambda arr: [0, 3, 1]),
    ("two_int_tensors", lambda arr: (arr([0, 1, 3]), arr([4, 0, 2]))),
    ("broadcast_int_tensors", lambda arr: (arr([[0], [2]]), arr([1, 3, 4]))),
    ("adv_then_slice", lambda arr: (arr([1, 3]), slice(1, 4))),
    ("slice_then_adv", lambda arr: (slice(None), arr([0, 4, 4]))),
    ("non_adjacent_adv", lambda arr: (arr([0, 2]), slice(None), arr([1, 5]))),
    ("adv_int_adv", lambda arr: (arr([0, 2]), 1, arr([1, 5]))),
    # unlike numpy, an int next to an advanced index is a plain select in torch,
    # so the result is t[1][:, idx] (shape [5, 2], numpy would give [2, 5])
    ("int_then_adv", lambda arr: (1, slice(None), arr([0, 3])) if arr is _t_idx else
     (slice(1, 2), slice(None), np.array([0, 3]))),
    ("ellipsis_adv", lambda arr: (Ellipsis, arr([5, 0]))),
    ("none_adv", lambda arr: (None, arr([1, 0]))),
    ("mask_then_slice", lambda arr: (arr([True, False, True, True]), slice(None, 2))),
    ("scalar_bool_true", lambda arr: True),
    ("int_tensor_0d", lambda arr: arr(2)),
    ("empty_int_tensor", lambda arr: arr(np.array([], dtype=np.int64))),
]


def data():
    a = np.arange(120, dtype=np.float32).reshape(4, 5, 6)
    return torch.tensor(a), a


@pytest.mark.parametrize("name,build", INDEXES, ids=[n for n, _ in INDEXES])
def test_getitem(name, build):
    t, a = data()
    exp = a[build(_np_idx)]
    if name == "int_then_adv":
        exp = exp[0]
    r = t[build(_t_idx)]
    assert_close(r, exp, "float32")


@pytest.mark.parametrize("name,build", INDEXES, ids=[n for n, _ in INDEXES])
def test_getitem_on_transposed_base(name, build):
    a = np.arange(120, dtype=np.int64).reshape(6, 5, 4).transpose(2, 1, 0)
    t = torch.tensor(np.ascontiguousarray(a.transpose(2, 1, 0))).permute(2, 1, 0)
    exp = a[build(_np_idx)]
    assert_close(t[build(_t_idx)], exp[0] if name == "int_then_adv" else exp, "int64")


BASIC = [n for n, _ in INDEXES if n in ("int", "neg_int", "int_int", "slice", "slice_step", "slice_neg",
                                        "none", "none_mid", "ellipsis", "ellipsis_none", "slice_empty")]


@pytest.mark.parametrize("name,build", [(n, b) for n, b in INDEXES if n in BASIC], ids=BASIC)
def test_basic_indexing_is_a_view(name, build):
    t, a = data()
    v = t[build(_t_idx)]
    if v.numel() == 0:
        return
    t.mul_(-1)
    assert_close(v, -a[build(_np_idx)], "float32")


def test_advanced_indexing_copies():
    t, a = data()
    r = t[torch.tensor([0, 1])]
    t.zero_()
    assert_close(r, a[[0, 1]], "float32")


@pytest.mark.parametrize("name,build", INDEXES, ids=[n for n, _ in INDEXES])
def test_setitem_scalar(name, build):
    t, a = data()
    a = a.copy()
    a[build(_np_idx)] = -7
    t[build(_t_idx)] = -7
    assert_close(t, a, "float32")


@pytest.mark.parametrize("name,build", INDEXES, ids=[n for n, _ in INDEXES])
def test_setitem_tensor_value(name, build):
    """A value tensor broadcast to the indexed shape (its last dim as a row)."""
    t, a = data()
    a = a.copy()
    target = a[build(_np_idx)]
    if target.ndim == 0:
        val = np.float32(3.5)
    else:
        val = (np.arange(target.shape[-1], dtype=np.float64) + 1000)
    a[build(_np_idx)] = val
    t[build(_t_idx)] = torch.tensor(val)
    assert_close(t, a, "float32")


def test_setitem_forms():
    t = torch.zeros(3, 4)
    a = np.zeros((3, 4), np.float32)
    t[:, 1] = torch.tensor([1.0, 2.0, 3.0])
    a[:, 1] = [1, 2, 3]
    t[t > 1] = 0
    a[a > 1] = 0
    t[0] = torch.arange(4)
    a[0] = np.arange(4)
    t[1:, ::2] = torch.tensor([[9.0], [8.0]])
    a[1:, ::2] = [[9], [8]]
    t[..., -1] = 5
    a[..., -1] = 5
    t[torch.tensor([0, 2]), torch.tensor([1, 0])] = torch.tensor([-1.0, -2.0])
    a[[0, 2], [1, 0]] = [-1, -2]
    t[1] = 4.5
    a[1] = 4.5
    assert_close(t, a, "float32")


def test_setitem_value_dtype_conversion():
    t = torch.zeros(4, dtype=torch.int32)
    t[1:3] = 2.7
    t[0] = torch.tensor(5.9, dtype=torch.float64)
    np.testing.assert_array_equal(t.numpy(), [5, 2, 2, 0])
    b = torch.zeros(3, dtype=torch.bool)
    b[1] = 5
    assert b.tolist() == [False, True, False]


def test_setitem_mask_with_values_tensor():
    t = torch.arange(6.0)
    m = t > 2
    t[m] = torch.tensor([10.0, 20.0, 30.0])
    np.testing.assert_array_equal(t.numpy(), [0, 1, 2, 10, 20, 30])


def test_setitem_duplicates_and_negative():
    t = torch.zeros(5)
    t[torch.tensor([-1, 0, -1])] = torch.tensor([1.0, 2.0, 3.0])
    assert t.tolist()[0] == 2.0 and t.tolist()[4] in (1.0, 3.0)


def test_setitem_bumps_version():
    t = torch.zeros(3)
    v = t._version
    t[0] = 1
    assert t._version > v


def test_index_with_numpy_and_bool_tensor():
    t, a = data()
    assert_close(t[np.array([1, 3])], a[[1, 3]], "float32")
    assert_close(t[torch.tensor([True, False, False, True])], a[[0, 3]], "float32")
    assert_close(t[torch.tensor([1, 0], dtype=torch.int32)], a[[1, 0]], "float32")
    assert_close(t[torch.tensor([1, 0, 0, 1], dtype=torch.uint8).bool()], a[[0, 3]], "float32")


OUT_OF_RANGE = [
    (lambda t: t[4], IndexError, "index 4 is out of bounds for dimension 0 with size 4"),
    (lambda t: t[-5], IndexError, "index -5 is out of bounds for dimension 0 with size 4"),
    (lambda t: t[0, 5], IndexError, "index 5 is out of bounds for dimension 1 with size 5"),
    (lambda t: t[torch.tensor([0, 4])], IndexError, "index 4 is out of bounds for dimension 0 with size 4"),
    (lambda t: t[:, torch.tensor([-6])], IndexError, "index -6 is out of bounds for dimension 1 with size 5"),
    (lambda t: t[0, 0, 0, 0], IndexError, "too many indices for tensor of dimension 3"),
    (lambda t: t[torch.tensor([True, False])], IndexError,
     "The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [4, 5, 6] at index 0"),
    (lambda t: t[torch.tensor([0.5])], IndexError,
     "tensors used as indices must be long, int, byte or bool tensors"),
    (lambda t: t[1.5], IndexError, "only integers, slices"),
    (lambda t: t["a"], IndexError, "only integers, slices"),
    (lambda t: t[..., ...], IndexError, "an index can only have a single ellipsis"),
    (lambda t: t[::-1], ValueError, "step must be greater than zero"),
    (lambda t: t[::0], ValueError, "step must be greater than zero"),
    (lambda t: t.__setitem__(7, 1.0), IndexError, "index 7 is out of bounds for dimension 0 with size 4"),
    (lambda t: t.__setitem__((slice(None), 1), torch.ones(3)), RuntimeError, "must match"),
    (lambda t: t[torch.tensor([0, 1]), torch.tensor([0, 1, 2])], IndexError,
     "shape mismatch: indexing tensors could not be broadcast together with shapes [2], [3]"),
]


@pytest.mark.parametrize("fn,exc,msg", OUT_OF_RANGE, ids=[m[:40] for _, _, m in OUT_OF_RANGE])
def test_index_errors(fn, exc, msg):
    t, _ = data()
    with pytest.raises(exc) as ei:
        fn(t)
    assert msg in str(ei.value)


def test_zero_dim_indexing():
    s = torch.tensor(5.0)
    assert s[()].item() == 5.0 and s[()].shape == ()
    assert s[None].shape == (1,)
    assert s[...].shape == ()
    with pytest.raises(IndexError, match="invalid index of a 0-dim tensor"):
        s[0]


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_random_basic_slices_hypothesis(data):
    shape = data.draw(st.lists(st.integers(1, 5), min_size=1, max_size=3))
    a = np.arange(int(np.prod(shape))).reshape(shape)
    idx = []
    for n in shape:
        kind = data.draw(st.sampled_from(["int", "slice", "full"]))
        if kind == "int":
            idx.append(data.draw(st.integers(-n, n - 1)))
        elif kind == "slice":
            start = data.draw(st.one_of(st.none(), st.integers(-n - 1, n + 1)))
            stop = data.draw(st.one_of(st.none(), st.integers(-n - 1, n + 1)))
            step = data.draw(st.one_of(st.none(), st.integers(1, 3)))
            idx.append(slice(start, stop, step))
        else:
            idx.append(slice(None))
    idx = tuple(idx)
    t = torch.tensor(a)
    np.testing.assert_array_equal(t[idx].numpy(), a[idx])
    t[idx] = -1
    b = a.copy()
    b[idx] = -1
    np.testing.assert_array_equal(t.numpy(), b)
