"""In-place operations and autograd, as PyTorch does them.

Each op saves exactly what its backward formula reads, so an in-place change
of a value no formula saved is fine, and a change of a saved one fails at
backward with PyTorch's message (which names the versions and, for a tensor
with history, the node that made it). A graph that saved nothing can be
backpropagated twice. In-place ops through views of non-leaf tensors rewrite
the base's history (CopySlices), and views of that base see the new history
(AsStridedBackward0).

Expected messages, gradients and grad_fn names were taken from PyTorch 2.13;
numpy computes the expected values."""
import re

import numpy as np
import pytest

import ctorch as torch
from ctorch.autograd import gradcheck, gradgradcheck

F64 = torch.float64


def leaf(a):
    """A float64 leaf that requires grad, from a numpy array."""
    return torch.tensor(np.asarray(a, dtype=np.float64)).requires_grad_(True)


def const(a):
    """A float64 tensor that does not require grad."""
    return torch.tensor(np.asarray(a, dtype=np.float64))


def np_of(t):
    return t.detach().numpy()


def node_name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


def modified_msg(shape, which, now, expected):
    """PyTorch's full message for a saved tensor changed in place."""
    which_part = f", which is output 0 of {which}," if which is not None else ""
    return ("one of the variables needed for gradient computation has been modified by an inplace "
            f"operation: [torch.DoubleTensor [{shape}]]{which_part} is at version {now}; expected "
            f"version {expected} instead. Hint: enable anomaly detection to find the operation that "
            "failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, "
            "check_nan=False).")


def assert_modified_error(fn, shape, which, now=1, expected=0):
    with pytest.raises(RuntimeError) as info:
        fn()
    assert str(info.value) == modified_msg(shape, which, now, expected)


BACKWARD_TWICE_MSG = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward.")
LEAF_MSG = "a leaf Variable that requires grad is being used in an in-place operation."
VIEW_OF_LEAF_MSG = "a view of a leaf Variable that requires grad is being used in an in-place operation."


# ============================================= 1. changes of unsaved values

def test_add_saves_nothing_so_its_inputs_may_change():
    a, b = leaf([1.0, 2.0, 3.0]), leaf([4.0, 5.0, 6.0])
    x = a * 1
    y = x + b
    x.add_(1)
    assert x._version == 1
    np.testing.assert_array_equal(np_of(y), [5.0, 7.0, 9.0])
    y.sum().backward()
    np.testing.assert_array_equal(np_of(a.grad), [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(np_of(b.grad), [1.0, 1.0, 1.0])
    # sub and add with alpha save nothing either (their scale is a number)
    a, b = leaf([1.0, 2.0]), leaf([3.0, 5.0])
    x = a * 1
    y = x - b
    z = torch.add(x, b, alpha=3)
    x.mul_(4)
    b2 = b * 1
    w = torch.add(a, b2, alpha=5)
    b2.zero_()
    (y + z + w).sum().backward()
    np.testing.assert_array_equal(np_of(a.grad), [3.0, 3.0])
    np.testing.assert_array_equal(np_of(b.grad), [-1.0 + 3 + 5, -1.0 + 3 + 5])


@pytest.mark.parametrize("scalar_left", [False, True], ids=["x*s", "s*x"])
def test_mul_by_python_scalar_saves_only_the_number(scalar_left):
    a = leaf([1.0, -2.0, 3.0])
    x = a * 1
    y = 2.5 * x if scalar_left else x * 2.5
    x.add_(1)
    x.mul_(7)
    x.zero_()
    assert x._version == 3
    y.sum().backward()
    np.testing.assert_array_equal(np_of(a.grad), [2.5, 2.5, 2.5])


def test_mul_by_tensor_without_grad_saves_only_that_tensor():
    a = leaf([1.0, 2.0, 3.0])
    c = const([2.0, 3.0, 4.0])
    x = a * 1
    y = x * c           # x's gradient reads c; nothing reads x
    x.add_(1)
    y.sum().backward()
    np.testing.assert_array_equal(np_of(a.grad), [2.0, 3.0, 4.0])
    # the saved c itself may not change: it has no history, so no "which is" clause
    for left in (False, True):
        a = leaf([1.0, 2.0, 3.0])
        c = const([2.0, 3.0, 4.0])
        y = c * a if left else a * c
        c.add_(1)
        assert_modified_error(lambda: y.sum().backward(), "3", None)


def test_changes_through_views_of_a_value_add_used():
    a = leaf([[1.0, 2.0], [3.0, 4.0]])
    b = leaf([[1.0, 1.0], [1.0, 1.0]])
    x = a * 1
    y = x + b
    x[0].add_(5)
    x.t()[1].mul_(2)
    x[1, 0] = 9.0
    assert x._version == 3
    np.testing.assert_array_equal(np_of(x), [[6.0, 14.0], [9.0, 8.0]])
    y.sum().backward()
    np.testing.assert_array_equal(np_of(a.grad), np.ones((2, 2)))
    np.testing.assert_array_equal(np_of(b.grad), np.ones((2, 2)))


# ops whose formula reads their result: the input may change, the result may not
RESULT_SAVERS = {
    "exp": ("Exp", lambda x: np.exp(x)),
    "sigmoid": ("Sigmoid", lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2),
    "tanh": ("Tanh", lambda x: 1 - np.tanh(x) ** 2),
    "sqrt": ("Sqrt", lambda x: 0.5 / np.sqrt(x)),
    "rsqrt": ("Rsqrt", lambda x: -0.5 * x ** -1.5),
    "reciprocal": ("Reciprocal", lambda x: -1 / x ** 2),
    "expm1": ("Expm1", lambda x: np.exp(x)),
    "relu": ("Relu", lambda x: (x > 0).astype(np.float64)),
    "tan": ("Tan", lambda x: 1 / np.cos(x) ** 2),
}


def _values_for(op):
    return [-0.5, 0.7, 0.9] if op == "relu" else [0.5, 0.7, 0.9]


@pytest.mark.parametrize("op", list(RESULT_SAVERS))
def test_result_saving_op_allows_changing_its_input(op):
    _, deriv = RESULT_SAVERS[op]
    vals = np.array(_values_for(op))
    a = leaf(vals)
    x = a * 1
    y = getattr(x, op)()
    x.add_(1)
    x.mul_(3)
    y.sum().backward()
    np.testing.assert_allclose(np_of(a.grad), deriv(vals), rtol=1e-12)


@pytest.mark.parametrize("op", list(RESULT_SAVERS))
def test_result_saving_op_refuses_a_changed_result(op):
    which, _ = RESULT_SAVERS[op]
    a = leaf(_values_for(op))
    y = getattr(a * 1, op)()
    y.mul_(2)
    assert_modified_error(lambda: y.sum().backward(), "3", which)


def test_changed_result_through_a_view_names_the_node_that_saved_it():
    a = leaf([1.0, 2.0, 3.0])
    y = (a * 1).exp()
    z = y * 1
    y[0].mul_(2)            # y's history is now CopySlices; the saved output is still Exp's
    assert_modified_error(lambda: z.sum().backward(), "3", "Exp")
    # the add that uses y saved nothing, but exp's saved result is what changed
    a = leaf([1.0, 2.0])
    y = (a * 1).exp()
    y2 = y + 0
    y.mul_(2)
    assert_modified_error(lambda: y2.sum().backward(), "2", "Exp")


# ops whose formula reads their input: the result may change, the input may not
INPUT_SAVERS = {
    "sin": np.cos,
    "cos": lambda x: -np.sin(x),
    "log": lambda x: 1 / x,
    "log1p": lambda x: 1 / (1 + x),
    "atan": lambda x: 1 / (1 + x * x),
    "sinh": np.cosh,
}


@pytest.mark.parametrize("op", list(INPUT_SAVERS))
def test_input_saving_op_allows_changing_its_result(op):
    vals = np.array([0.5, 0.7, 0.9])
    a = leaf(vals)
    y = getattr(a * 1, op)()
    y.add_(1)
    y.mul_(2)
    y.sum().backward()
    np.testing.assert_allclose(np_of(a.grad), 2 * INPUT_SAVERS[op](vals), rtol=1e-12)


@pytest.mark.parametrize("op", list(INPUT_SAVERS))
def test_input_saving_op_refuses_a_changed_input(op):
    a = leaf([0.5, 0.7, 0.9])
    x = a * 1
    y = getattr(x, op)()
    x.add_(1)                # x's history is now AddBackward0
    assert_modified_error(lambda: y.sum().backward(), "3", "Add")


def test_mul_saves_the_other_operand_of_each_input_that_needs_grad():
    a, b = leaf([1.0, 2.0, 3.0]), leaf([4.0, 5.0, 6.0])
    x = a * 1
    y = x * b                # b's gradient reads x
    x.add_(1)
    assert_modified_error(lambda: y.sum().backward(), "3", "Add")
    a = leaf([1.0, 2.0])
    x = a * 1
    y = x * x
    x.mul_(3)
    assert_modified_error(lambda: y.sum().backward(), "2", "Mul")
    # changed through a view: the saved tensor's history is then CopySlices
    a = leaf([1.0, 2.0, 3.0])
    x = a * 1
    y = x * x
    x[0].mul_(2)
    assert_modified_error(lambda: y.sum().backward(), "3", "torch::autograd::CopySlices")


def test_div_saves_the_divisor():
    a, b = leaf([1.0, 2.0]), leaf([3.0, 5.0])
    x = a * 1
    y = b / x
    x.mul_(4)
    assert_modified_error(lambda: y.sum().backward(), "2", "Mul")
    a, b = leaf([1.0, 2.0]), leaf([3.0, 5.0])
    x = a * 1
    y = x / b                # x's gradient reads b, b's reads x and b
    x.mul_(4)
    assert_modified_error(lambda: y.sum().backward(), "2", "Mul")


def test_saved_tensors_without_history_are_named_by_type_and_shape_only():
    # a leaf that requires grad, changed under no_grad
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    y = a * b
    with torch.no_grad():
        b.add_(1)
    assert_modified_error(lambda: y.sum().backward(), "2", None)
    a = leaf([1.0, 2.0])
    y = a.sin()
    with torch.no_grad():
        a.mul_(2)
    assert_modified_error(lambda: y.sum().backward(), "2", None)
    # ... or through a detached alias (which shares the version counter)
    a = leaf([1.0, 2.0])
    y = a.sin()
    a.detach().add_(1)
    assert_modified_error(lambda: y.sum().backward(), "2", None)
    # a tensor that never required grad, saved by mul
    a = leaf([0.5, 0.6])
    w = const([1.0, 2.0])
    z = a * w
    with torch.no_grad():
        w.mul_(2)
    assert_modified_error(lambda: z.sum().backward(), "2", None)
    # exp of a leaf saves its result, not the leaf
    a = leaf([1.0, 2.0])
    y = a.exp()
    with torch.no_grad():
        a.mul_(2)
    y.sum().backward()
    np.testing.assert_allclose(np_of(a.grad), np.exp([1.0, 2.0]), rtol=1e-15)


def test_versions_accumulate_in_the_message():
    a = leaf([1.0, 2.0])
    x = a * 1
    y = x.sin()
    x.add_(1)
    x.add_(1)
    x.mul_(2)
    assert_modified_error(lambda: y.sum().backward(), "2", "Mul", now=3, expected=0)
    # saved at version 2, changed once more
    a = leaf([1.0, 2.0])
    x = a * 1
    x.add_(1)
    x.add_(1)
    y = x.cos()
    x.sub_(1)
    assert_modified_error(lambda: y.sum().backward(), "2", "Sub", now=3, expected=2)


def test_saved_view_changed_through_its_base_names_as_strided():
    # the saved tensor is a view whose base changed: its history is regenerated
    a = leaf([1.0, 2.0, 3.0])
    x = a * 1
    v = x[1:]
    y = v.sin()
    x.mul_(2)
    assert_modified_error(lambda: y.sum().backward(), "2", "AsStrided")


def test_saved_view_changed_through_a_sibling_view_names_as_strided():
    a = leaf([1.0, 2.0, 3.0])
    x = a * 1
    v = x[1:]
    y = v.sin()
    x[0].mul_(2)
    assert_modified_error(lambda: y.sum().backward(), "2", "AsStrided")


def test_saved_view_changed_itself_names_as_strided():
    a = leaf([1.0, 2.0, 3.0])
    x = a * 1
    v = x[1:]
    y = v.sin()
    v.mul_(2)
    assert_modified_error(lambda: y.sum().backward(), "2", "AsStrided")


def test_result_saver_of_a_view_allows_changing_the_base():
    a = leaf([1.0, 2.0, 3.0])
    x = a * 1
    y = x[1:].exp()
    x.mul_(2)
    y.sum().backward()
    np.testing.assert_allclose(np_of(a.grad), [0.0, np.exp(2.0), np.exp(3.0)], rtol=1e-15)


# ================================================ 2. backward a second time

def _twice_views(a):
    return (a[1:] - a[:1] + a.t().t()).mean()


def _twice_reshape_expand(a):
    return (a.reshape(3, 2)[0].expand(4, 2) + a.sum()).sum()


NO_SAVED = {
    "add": lambda a: (a + 1).sum(),
    "views_mean": _twice_views,
    "reshape_expand_sum": _twice_reshape_expand,
    "neg_clone_sub": lambda a: (-a.clone() - 2).sum(),
    "transpose_permute_squeeze": lambda a: a.transpose(0, 1).permute(1, 0).unsqueeze(0).squeeze(0).sum(),
    "add_alpha": lambda a: torch.add(a, a[0], alpha=3).sum(),
}


@pytest.mark.parametrize("name", list(NO_SAVED))
def test_graph_without_saved_tensors_backpropagates_twice(name):
    a = leaf([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    y = NO_SAVED[name](a)
    y.backward()
    first = np_of(a.grad).copy()
    assert np.all(first != 0)
    y.backward()
    np.testing.assert_array_equal(np_of(a.grad), 2 * first)
    y.backward()
    np.testing.assert_array_equal(np_of(a.grad), 3 * first)


def test_simple_graph_without_saved_tensors_accumulates():
    a = leaf([1.0, 2.0, 3.0])
    y = (a + 1).sum()
    y.backward()
    y.backward()
    np.testing.assert_array_equal(np_of(a.grad), [2.0, 2.0, 2.0])
    # autograd.grad through it twice, too
    b = leaf([1.0, 2.0])
    z = (b + 1).sum()
    (g1,) = torch.autograd.grad(z, b)
    (g2,) = torch.autograd.grad(z, b)
    np.testing.assert_array_equal(np_of(g1), [1.0, 1.0])
    np.testing.assert_array_equal(np_of(g2), [1.0, 1.0])


def _copyslices_add(a):
    b = a + 0
    b[0].add_(1)
    return b.sum()


def _copyslices_zero(a):
    b = a + 0
    b[0].zero_()
    return b.sum()


def _copyslices_copy(a):
    b = a + 0
    b[0].copy_(a[1])
    return b.sum()


SAVED = {
    "mul_self": lambda a: (a * a).sum(),
    "exp": lambda a: a.exp().sum(),
    "sin": lambda a: a.sin().sum(),
    "mul_const_tensor": lambda a: (a * const([1.0, 2.0, 3.0])).sum(),
    "pow_scalar": lambda a: (a ** 2).sum(),
    # PyTorch keeps a python scalar operand of mul/div as a saved (wrapped) tensor
    "mul_python_scalar": lambda a: (a * 2.0).sum(),
    "div_python_scalar": lambda a: (a / 2.0).sum(),
    # PyTorch's CopySlices drops its op on release, whatever the op saved
    "copyslices_add": _copyslices_add,
    "copyslices_zero": _copyslices_zero,
    "copyslices_copy": _copyslices_copy,
}


@pytest.mark.parametrize("name", list(SAVED))
def test_graph_with_saved_tensors_refuses_a_second_backward(name):
    a = leaf([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    y = SAVED[name](a)
    y.backward()
    with pytest.raises(RuntimeError) as info:
        y.backward()
    assert str(info.value) == BACKWARD_TWICE_MSG


def test_second_autograd_grad_through_saved_tensors_raises():
    a = leaf([1.0, 2.0])
    y = a.exp().sum()
    torch.autograd.grad(y, a)
    with pytest.raises(RuntimeError, match=r"^Trying to backward through the graph a second time \("):
        torch.autograd.grad(y, a)


# =========================================== 3. in-place ops through views

def test_inplace_on_view_of_a_reduction_result():
    a = leaf([1.0, 2.0, 3.0])
    x = a * 1
    m = x.mean()
    y = m.reshape(1)
    assert y._base is m and node_name(y) == "ViewBackward0"
    y.mul_(2)
    assert node_name(y) == "AsStridedBackward0"
    assert node_name(m) == "CopySlices"
    assert node_name(x) == "MulBackward0"
    np.testing.assert_array_equal(np_of(m), 4.0)
    y.sum().backward()
    np.testing.assert_allclose(np_of(a.grad), [2 / 3] * 3, rtol=1e-15)


def test_inplace_on_a_row_rewrites_the_base_history():
    a = leaf([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    b = a * 1
    v = b[0]
    assert node_name(v) == "SelectBackward0"
    b[0].mul_(3)
    assert b._version == 1 and v._version == 1 and a._version == 0
    assert type(b.grad_fn).__name__ == "CopySlices"
    assert b.grad_fn.name() == "torch::autograd::CopySlices"
    assert not b.is_leaf and b.requires_grad
    assert node_name(v) == "AsStridedBackward0"      # taken before: regenerated
    assert node_name(b[0]) == "SelectBackward0"      # taken after: an ordinary view
    np.testing.assert_array_equal(np_of(b), [[3.0, 6.0], [3.0, 4.0], [5.0, 6.0]])
    b.sum().backward()
    np.testing.assert_array_equal(np_of(a.grad), [[3.0, 3.0], [1.0, 1.0], [1.0, 1.0]])


def test_inplace_on_a_row_of_a_transpose():
    a = leaf([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    b = a * 1
    b.t()[1].mul_(3)
    assert node_name(b) == "CopySlices"
    np.testing.assert_array_equal(np_of(b), [[1.0, 6.0], [3.0, 12.0], [5.0, 18.0]])
    w = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    (b * const(w)).sum().backward()
    np.testing.assert_array_equal(np_of(a.grad), w * np.array([[1.0, 3.0]]))


def test_copy_into_a_slice_of_a_tensor_without_grad():
    x = leaf([7.0, 8.0])
    c = torch.zeros(3, dtype=F64)
    assert not c.requires_grad
    c[0:2].copy_(x)
    assert c.requires_grad and not c.is_leaf
    assert node_name(c) == "CopySlices"
    np.testing.assert_array_equal(np_of(c), [7.0, 8.0, 0.0])
    (c * const([1.0, 2.0, 3.0])).sum().backward()
    np.testing.assert_array_equal(np_of(x.grad), [1.0, 2.0])
    # c.sum(): each copied element once
    x2 = leaf([7.0, 8.0])
    c2 = torch.zeros(3, dtype=F64)
    c2[0:2].copy_(x2)
    c2.sum().backward()
    np.testing.assert_array_equal(np_of(x2.grad), [1.0, 1.0])


def test_views_of_a_base_without_grad_see_the_copied_history():
    x = leaf([7.0, 8.0])
    c = torch.zeros(3, dtype=F64)
    v = c[1:]                       # taken before c required grad
    c[:2].copy_(x)
    assert v.requires_grad and node_name(v) == "AsStridedBackward0"
    (v * const([10.0, 100.0])).sum().backward()
    np.testing.assert_array_equal(np_of(x.grad), [0.0, 10.0])
    # a view that was itself written to, and one taken afterwards
    x = leaf([7.0, 8.0])
    c = torch.zeros(3, dtype=F64)
    v = c[1:]
    v.copy_(x)
    w = c[:1]
    assert node_name(v) == "AsStridedBackward0"
    assert node_name(c) == "CopySlices"
    assert node_name(w) == "SliceBackward0"
    assert v.requires_grad and w.requires_grad


def test_view_taken_before_an_inplace_op_on_its_base():
    a = leaf([[1.0, 2.0], [3.0, 4.0]])
    b = a * 1
    v = b[0]
    assert node_name(v) == "SelectBackward0"
    b.mul_(2)
    assert node_name(b) == "MulBackward0"
    assert node_name(v) == "AsStridedBackward0"
    assert not v.is_leaf and v.requires_grad
    np.testing.assert_array_equal(np_of(v), [2.0, 4.0])
    (v * 2).sum().backward()
    np.testing.assert_array_equal(np_of(a.grad), [[4.0, 4.0], [0.0, 0.0]])


def test_views_of_views():
    a = leaf([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    b = a * 1
    v = b[1]
    w = v[1:]
    assert w._base is b
    assert node_name(w) == "SliceBackward0"
    w.mul_(10)
    assert node_name(w) == "AsStridedBackward0"
    assert node_name(v) == "AsStridedBackward0"
    assert node_name(b) == "CopySlices"
    bv = np.array([[1.0, 2.0, 3.0], [4.0, 50.0, 60.0]])
    np.testing.assert_array_equal(np_of(b), bv)
    (b * b).sum().backward()
    np.testing.assert_array_equal(np_of(a.grad), 2 * bv * np.array([[1, 1, 1], [1, 10, 10]]))


def test_copyslices_edges_are_the_base_history_then_the_other_inputs():
    a = leaf([[1.0, 2.0], [3.0, 4.0]])
    u = leaf([5.0, 6.0])
    b = a * 1
    b[0].mul_(u)
    nf = b.grad_fn.next_functions
    assert [(None if n is None else type(n).__name__, i) for n, i in nf] == \
        [("MulBackward0", 0), ("AccumulateGrad", 0)]
    assert nf[1][0].variable is u
    c = torch.zeros(3, dtype=F64)
    x = leaf([7.0, 8.0])
    c[:2].copy_(x)
    nf = c.grad_fn.next_functions
    assert [(None if n is None else type(n).__name__, i) for n, i in nf] == \
        [(None, 0), ("AccumulateGrad", 0)]


def test_repr_of_a_copyslices_tensor():
    a = leaf([[1.0, 2.0], [3.0, 4.0]])
    b = a * 1
    b[0].mul_(3)
    assert repr(b) == ("tensor([[3., 6.],\n        [3., 4.]], dtype=torch.float64, "
                       "grad_fn=<CopySlices>)")


def test_inplace_on_a_leaf_or_a_view_of_one_raises():
    a = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="^" + re.escape(LEAF_MSG) + "$"):
        a.mul_(2)
    for f in (lambda: a[0].mul_(2), lambda: a.view(2)[0:1].zero_(), lambda: a[0].fill_(1.0),
              lambda: a[0].copy_(const(1.0)), lambda: a.t().zero_(), lambda: a[1:].add_(a[:1])):
        with pytest.raises(RuntimeError, match="^" + re.escape(VIEW_OF_LEAF_MSG) + "$"):
            f()
    np.testing.assert_array_equal(np_of(a), [1.0, 2.0])
    assert a._version == 0
    # allowed without recording, or on a detached alias
    a.detach()[0].mul_(2)
    with torch.no_grad():
        a[0].mul_(2)
    np.testing.assert_array_equal(np_of(a), [4.0, 2.0])
    assert a.is_leaf and a.requires_grad and a._version == 2


def test_inplace_on_a_view_made_inside_a_custom_function_raises():
    # PyTorch's rule: rewriting the base's history would bypass the
    # Function's backward (the gradient was lost); cloning the output is the fix
    class Twice(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x * 2
            return y.view_as(y)

        @staticmethod
        def backward(ctx, g):
            return g * 2

    class Same(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    x = leaf([1.0, 2.0])
    for fn in (Twice, Same):
        msg = (f"Output 0 of {fn.__name__} is a view and is being modified inplace. This view was "
               "created inside a custom Function (or because an input was returned as-is)")
        with pytest.raises(RuntimeError, match="^" + re.escape(msg)):
            fn.apply(x).add_(1)
    out = Twice.apply(x).clone()
    out.add_(1)
    out.sum().backward()
    np.testing.assert_array_equal(np_of(x.grad), [2.0, 2.0])
    with torch.no_grad():
        Twice.apply(x).add_(1)


# the functions gradcheck runs: each does in-place ops through views of a
# copy of its input (PyTorch accepts all of them)

def _scale_tail_then_add(x):
    y = x * 1
    y[1:].mul_(2)
    y[0].add_(y[2])
    return y


def _transposed_row_times_entry(x):
    y = x.clone()
    y.t()[1].mul_(x[0, 0])
    return y


def _view_taken_before(x):
    y = x * 1
    v = y[1]
    y.mul_(x)
    return v * 3 + y.sum()


def _view_of_view(x):
    y = x.sin() * 1
    r = y[1]
    r[1:].mul_(x[0, 0])
    return y * 1


def _fill_zero_copy(x):
    y = x * 2
    y[0].fill_(3.0)
    y[:, 2].zero_()
    y[1, :2].copy_(x[0, 1:] * x[1, 2])
    return y


def _copy_into_buffer(x):
    c = torch.zeros(3, 4, dtype=F64)
    c[1:, 1:].copy_(x[:2, :3].sin())
    return c * x.sum()


def _sin_exp_through_views(x):
    y = x * 1
    y[:, 1:].sin_()
    y[0].exp_()
    return y


def _reshape_view_then_base(x):
    y = x + 0
    v = y.reshape(-1)[2:5]
    v.mul_(3)
    y.add_(1)
    return y.pow(2)


def _rows_swapped_by_copy(x):
    y = x * 1
    r0 = y[0].clone()
    y[0].copy_(y[1])
    y[1].copy_(r0 * 2)
    return y


GRAD_FUNCTIONS = [_transposed_row_times_entry, _view_taken_before, _view_of_view, _fill_zero_copy,
                  _copy_into_buffer, _sin_exp_through_views, _reshape_view_then_base,
                  _rows_swapped_by_copy]


def _input_2x3(seed=3):
    rng = np.random.default_rng(seed)
    return leaf(rng.uniform(0.5, 1.5, (2, 3)) * np.array([1.0, -1.0, 1.0]))


def test_gradcheck_scale_tail_then_add():
    x = leaf([1.0, -2.0, 0.5, 1.5])
    assert gradcheck(_scale_tail_then_add, (x,))
    assert gradgradcheck(_scale_tail_then_add, (x,))
    # the values and the vector-Jacobian product, by hand
    x = leaf([1.0, 2.0, 3.0, 4.0])
    y = _scale_tail_then_add(x)
    assert node_name(y) == "CopySlices"
    np.testing.assert_array_equal(np_of(y), [7.0, 4.0, 6.0, 8.0])
    y.backward(const([1.0, 10.0, 100.0, 1000.0]))
    # y0 = x0 + 2 x2, y1 = 2 x1, y2 = 2 x2, y3 = 2 x3
    np.testing.assert_array_equal(np_of(x.grad), [1.0, 20.0, 202.0, 2000.0])


@pytest.mark.parametrize("fn", GRAD_FUNCTIONS, ids=lambda f: f.__name__.strip("_"))
def test_gradcheck_inplace_through_views(fn):
    assert gradcheck(fn, (_input_2x3(),))


@pytest.mark.parametrize("fn", GRAD_FUNCTIONS, ids=lambda f: f.__name__.strip("_"))
def test_gradgradcheck_inplace_through_views(fn):
    assert gradgradcheck(fn, (_input_2x3(),))


# ============================================ 4. fill_, zero_, copy_ on views

def test_fill_and_zero_on_views_of_a_graph_tensor():
    a = leaf([[1.0, 2.0], [3.0, 4.0]])
    b = a * 1
    b[0].fill_(5)
    b[1][0].zero_()
    assert node_name(b) == "CopySlices"
    np.testing.assert_array_equal(np_of(b), [[5.0, 5.0], [0.0, 4.0]])
    (b * b).sum().backward()
    np.testing.assert_array_equal(np_of(a.grad), [[0.0, 0.0], [0.0, 8.0]])


def test_fill_with_a_tensor_value_on_a_view():
    a = leaf([[1.0, 2.0], [3.0, 4.0]])
    t = leaf(5.0)
    b = a * 1
    b[0].fill_(t)
    assert node_name(b) == "CopySlices"
    np.testing.assert_array_equal(np_of(b), [[5.0, 5.0], [3.0, 4.0]])
    (b * b).sum().backward()
    np.testing.assert_array_equal(np_of(a.grad), [[0.0, 0.0], [6.0, 8.0]])
    np.testing.assert_array_equal(np_of(t.grad), 20.0)


def test_copy_into_a_view_of_a_graph_tensor():
    a = leaf([[1.0, 2.0], [3.0, 4.0]])
    s = leaf([7.0, 8.0])
    b = a * 1
    b[:, 1].copy_(s * 2)
    assert node_name(b) == "CopySlices"
    np.testing.assert_array_equal(np_of(b), [[1.0, 14.0], [3.0, 16.0]])
    (b * b).sum().backward()
    np.testing.assert_array_equal(np_of(a.grad), [[2.0, 0.0], [6.0, 0.0]])
    np.testing.assert_array_equal(np_of(s.grad), [56.0, 64.0])


def test_copy_broadcasts_into_a_view():
    s = leaf([10.0, 20.0])
    c = torch.zeros(2, 3, dtype=F64)
    c[:, 1:].copy_(s)
    assert node_name(c) == "CopySlices"
    np.testing.assert_array_equal(np_of(c), [[0.0, 10.0, 20.0], [0.0, 10.0, 20.0]])
    (c * const([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])).sum().backward()
    np.testing.assert_array_equal(np_of(s.grad), [7.0, 9.0])


def test_fill_zero_copy_of_an_unsaved_value_are_fine():
    # add saved nothing, so overwriting its operand through a view is fine
    a, b = leaf([1.0, 2.0, 3.0]), leaf([4.0, 5.0, 6.0])
    x = a * 1
    y = x + b
    x[0].fill_(0.0)
    x[1:].zero_()
    x[:2].copy_(b[1:])
    y.sum().backward()
    np.testing.assert_array_equal(np_of(a.grad), [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(np_of(b.grad), [1.0, 1.0, 1.0])


@pytest.mark.parametrize("how", ["fill_", "zero_", "copy_"])
def test_fill_zero_copy_of_a_saved_value_raise(how):
    a = leaf([1.0, 2.0, 3.0])
    x = a * 1
    y = x.sin()
    v = x[1:]
    if how == "fill_":
        v.fill_(1.0)
    elif how == "zero_":
        v.zero_()
    else:
        v.copy_(const([5.0, 6.0]))
    assert_modified_error(lambda: y.sum().backward(), "3", "torch::autograd::CopySlices")
    # a saved result overwritten through a view
    a = leaf([1.0, 2.0, 3.0])
    y = (a * 1).exp()
    z = y * 1
    v = y[:2]
    if how == "fill_":
        v.fill_(1.0)
    elif how == "zero_":
        v.zero_()
    else:
        v.copy_(const([5.0, 6.0]))
    assert_modified_error(lambda: z.sum().backward(), "3", "Exp")


# ------------------------- in-place ops through views of another dtype

def test_inplace_on_the_real_part_of_a_complex_result():
    v = np.array([1 + 2j, 3 - 1j])
    a = torch.tensor(v, dtype=torch.complex128, requires_grad=True)
    z = a * 1
    z.real.mul_(2)
    assert node_name(z) == "CopySlices"
    (z.abs() ** 2).sum().backward()
    # |z|^2 = 4 re^2 + im^2; the gradient of a real loss is d/dre + i d/dim
    np.testing.assert_allclose(np_of(a.grad), 8 * v.real + 2j * v.imag, rtol=1e-15)


def test_imaginary_view_follows_an_inplace_change_of_its_complex_base():
    v = np.array([1 + 2j, 3 - 1j])
    a = torch.tensor(v, dtype=torch.complex128, requires_grad=True)
    z = a * 1
    zi = z.imag
    z.mul_(2)
    assert node_name(zi) == "AsStridedBackward0"
    (zi ** 2).sum().backward()
    np.testing.assert_allclose(np_of(a.grad), 1j * 8 * v.imag, rtol=1e-15)


def test_inplace_on_a_complex_view_of_a_real_result():
    x = leaf([[1.0, 2.0], [3.0, 4.0]])
    y = x * 1
    c = torch.view_as_complex(y)
    c.mul_(1j)                       # (re, im) -> (-im, re)
    np.testing.assert_array_equal(np_of(y), [[-2.0, 1.0], [-4.0, 3.0]])
    assert node_name(y) == "CopySlices"
    y.sum().backward()
    np.testing.assert_array_equal(np_of(x.grad), [[1.0, -1.0], [1.0, -1.0]])
