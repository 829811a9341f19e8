"""Bad calls must raise the same Python exception type as PyTorch, with its
message, and never crash the interpreter."""
import importlib.util

import numpy as np
import pytest

import ctorch as torch

# without PyCUDA a CUDA tensor gets PyTorch's CPU-build error; with it, the
# driver or the missing backend is named
NO_CUDA = ((AssertionError, "Torch not compiled with CUDA enabled")
           if importlib.util.find_spec("pycuda") is None else (RuntimeError, ""))

# (id, call, exception type, message fragment)
BAD_CALLS = [
    # creation
    ("tensor_uint8_overflow", lambda: torch.tensor([300], dtype=torch.uint8), RuntimeError,
     "value cannot be converted to type uint8 without overflow"),
    ("tensor_int8_overflow", lambda: torch.tensor([-129], dtype=torch.int8), RuntimeError,
     "value cannot be converted to type int8 without overflow"),
    ("tensor_nan_to_int", lambda: torch.tensor([float("nan")], dtype=torch.int32), RuntimeError,
     "value cannot be converted to type int32 without overflow"),
    ("ragged", lambda: torch.tensor([[1, 2], [3]]), ValueError, "expected sequence of length 2 at dim 1 (got 1)"),
    ("ragged_longer", lambda: torch.tensor([[1], [2, 3]]), ValueError,
     "expected sequence of length 1 at dim 1 (got 2)"),
    ("zeros_negative", lambda: torch.zeros(-1), RuntimeError, ""),
    ("empty_negative", lambda: torch.empty(2, -3), RuntimeError, "negative dimension -3"),
    ("ones_float_size", lambda: torch.ones(2.5), TypeError, "ones(): argument 'size' (position 1) must be tuple of ints"),
    ("zeros_str", lambda: torch.zeros("a"), TypeError, "zeros(): argument 'size' (position 1) must be tuple of ints"),
    ("full_bad_fill", lambda: torch.full((2,), "x"), TypeError, "must be Number, not str"),
    # the functions take a size as one tuple (the methods also as loose ints)
    ("full_int_size", lambda: torch.full(3, 1.0), TypeError,
     "full(): argument 'size' (position 1) must be tuple of ints, not int"),
    ("reshape_int_shape", lambda: torch.reshape(torch.arange(6), 6), TypeError,
     "reshape(): argument 'shape' (position 2) must be tuple of ints, not int"),
    ("arange_zero_step", lambda: torch.arange(0, 3, 0), RuntimeError, "step must be nonzero"),
    ("randint_bad", lambda: torch.randint(3, 1, (2,)), RuntimeError,
     "random_ expects 'from' to be less than 'to', but got from=3 >= to=1"),
    ("randperm_neg", lambda: torch.randperm(-1), RuntimeError, ""),
    ("linspace_float_steps", lambda: torch.linspace(0, 1, 2.5), TypeError, "linspace()"),
    ("eye_neg", lambda: torch.eye(-1), RuntimeError, "n must be greater or equal to 0, got -1"),
    ("set_default_int", lambda: torch.set_default_dtype(torch.int32), TypeError,
     "only floating-point types are supported as the default type"),
    # elementwise
    ("add_shape", lambda: torch.ones(2, 3) + torch.ones(4), RuntimeError,
     "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"),
    ("mul_shape", lambda: torch.mul(torch.ones(3), torch.ones(2)), RuntimeError,
     "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0"),
    ("add_str", lambda: torch.add(torch.ones(2), "a"), TypeError, "add(): argument 'other'"),
    ("add_list_operator", lambda: torch.ones(2) + [1, 2], TypeError, "unsupported operand type(s) for +"),
    ("exp_list", lambda: torch.exp([1.0]), TypeError, "exp(): argument 'input' (position 1) must be Tensor, not list"),
    ("inplace_float_into_int", lambda: torch.ones(2, dtype=torch.int64).mul_(1.5), RuntimeError,
     "result type Float can't be cast to the desired output type Long"),
    ("inplace_broadcast", lambda: torch.ones(1, 3).add_(torch.ones(2, 3)), RuntimeError,
     "output with shape [1, 3] doesn't match the broadcast shape [2, 3]"),
    ("inplace_broadcast_mul", lambda: torch.ones(3).mul_(torch.ones(2, 3)), RuntimeError,
     "output with shape [3] doesn't match the broadcast shape [2, 3]"),
    ("out_bad_dtype", lambda: torch.add(torch.ones(2), 1, out=torch.empty(2, dtype=torch.int32)), RuntimeError,
     "result type Float can't be cast to the desired output type Int"),
    ("out_not_tensor", lambda: torch.add(torch.ones(2), 1, out=[1]), TypeError, ""),
    ("div_bad_mode", lambda: torch.div(torch.ones(2), 2, rounding_mode="nearest"), RuntimeError,
     "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found 'nearest'"),
    ("int_floordiv_zero", lambda: torch.ones(2, dtype=torch.int32) // 0, RuntimeError, "ZeroDivisionError"),
    ("int_remainder_zero", lambda: torch.ones(2, dtype=torch.int8) % torch.zeros(2, dtype=torch.int8),
     RuntimeError, "ZeroDivisionError"),
    ("bitwise_float", lambda: torch.ones(2) & torch.ones(2), RuntimeError,
     "\"bitwise_and_cpu\" not implemented for 'Float'"),
    ("shift_float", lambda: torch.ones(2) << 1, RuntimeError, "not implemented for 'Float'"),
    ("neg_bool", lambda: -torch.tensor([True]), RuntimeError, "Negation, the `-` operator, on a bool tensor"),
    ("sub_bool", lambda: torch.tensor([True]) - torch.tensor([False]), RuntimeError,
     "Subtraction, the `-` operator, with two bool tensors is not supported"),
    ("sub_bool_int", lambda: torch.tensor([True]) - 1, RuntimeError,
     "Subtraction, the `-` operator, with a bool tensor is not supported"),
    ("rsub_bool", lambda: 1 - torch.tensor([True]), RuntimeError,
     "Subtraction, the `-` operator, with a bool tensor is not supported"),
    ("pow_int_neg", lambda: torch.tensor([2]).pow(-1), RuntimeError,
     "Integers to negative integer powers are not allowed."),
    ("pow_int_neg_inplace", lambda: torch.tensor([2]).pow_(-2), RuntimeError,
     "Integers to negative integer powers are not allowed."),
    ("lt_complex", lambda: torch.ones(2, dtype=torch.complex64) < 1, RuntimeError,
     "\"lt_cpu\" not implemented for 'ComplexFloat'"),
    ("clamp_none", lambda: torch.clamp(torch.ones(2)), RuntimeError,
     "torch.clamp: At least one of 'min' or 'max' must not be None"),
    ("lerp_int", lambda: torch.lerp(torch.ones(2, dtype=torch.int32), torch.ones(2, dtype=torch.int32), 0.5),
     RuntimeError, "\"lerp_kernel_scalar\" not implemented for 'Int'"),
    ("where_nonbool", lambda: torch.where(torch.ones(2), torch.ones(2), torch.ones(2)), RuntimeError,
     "where expected condition to be a boolean tensor, but got a tensor with dtype Float"),
    ("alpha_float_int", lambda: torch.add(torch.ones(2, dtype=torch.int32), 1, alpha=0.5), RuntimeError,
     "For integral input tensors, argument alpha must not be a floating point number."),
    # views and shapes
    ("view_bad", lambda: torch.ones(6).view(4, 2), RuntimeError, "shape '[4, 2]' is invalid for input of size 6"),
    ("view_noncontig", lambda: torch.ones(2, 3).t().view(6), RuntimeError,
     "view size is not compatible with input tensor's size and stride"),
    ("view_two_minus1", lambda: torch.ones(6).view(-1, -1), RuntimeError, "only one dimension can be inferred"),
    ("reshape_bad", lambda: torch.ones(6).reshape(5), RuntimeError, "shape '[5]' is invalid for input of size 6"),
    ("transpose_dim", lambda: torch.ones(3).transpose(0, 1), IndexError,
     "Dimension out of range (expected to be in range of [-1, 0], but got 1)"),
    ("squeeze_dim", lambda: torch.ones(3).squeeze(2), IndexError, "Dimension out of range"),
    ("size_dim", lambda: torch.ones(3).size(1), IndexError, "Dimension out of range"),
    ("sort_dim_overflow", lambda: torch.ones(3).sort(10**20), ValueError,
     "Overflow when unpacking long long"),
    ("sum_dim_overflow", lambda: torch.ones(3).sum(-10**20), ValueError,
     "Overflow when unpacking long long"),
    ("topk_k_overflow", lambda: torch.ones(3).topk(10**20), ValueError,
     "Overflow when unpacking long long"),
    ("multinomial_overflow", lambda: torch.multinomial(torch.ones(3), 10**20), ValueError,
     "Overflow when unpacking long long"),
    ("stride_dim", lambda: torch.ones(3).stride(-2), IndexError, "Dimension out of range"),
    ("permute_dim", lambda: torch.ones(2, 3).permute(0, 2), IndexError,
     "Dimension out of range (expected to be in range of [-2, 1], but got 2)"),
    ("unsqueeze_dim", lambda: torch.ones(2).unsqueeze(3), IndexError,
     "Dimension out of range (expected to be in range of [-2, 1], but got 3)"),
    ("expand_fewer", lambda: torch.ones(2, 3).expand(3), RuntimeError,
     "expand(torch.FloatTensor{[2, 3]}, size=[3]): the number of sizes provided (1) must be greater or equal"),
    ("expand_mismatch", lambda: torch.ones(2, 3).expand(2, 4), RuntimeError,
     "The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 1"),
    ("narrow_past_end", lambda: torch.ones(3).narrow(0, 2, 2), RuntimeError,
     "start (2) + length (2) exceeds dimension size (3)."),
    ("as_strided_oob", lambda: torch.ones(4).as_strided((3,), (2,)), RuntimeError,
     "setStorage: sizes [3], strides [2], storage offset 0, and itemsize 4 requiring a storage size of 20 "
     "are out of bounds for storage of size 16"),
    ("copy_shape", lambda: torch.ones(2, 3).copy_(torch.ones(3, 2)), RuntimeError, "must match the size of tensor b"),
    # indexing
    ("index_oob", lambda: torch.ones(3)[3], IndexError, "index 3 is out of bounds for dimension 0 with size 3"),
    ("index_too_many", lambda: torch.ones(3)[0, 0], IndexError, "too many indices for tensor of dimension 1"),
    ("select_oob", lambda: torch.ones(3).select(0, -4), IndexError, "-4"),
    ("mask_shape", lambda: torch.ones(3)[torch.tensor([True, False])], IndexError,
     "The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [3] at index 0"),
    ("float_index", lambda: torch.ones(3)[torch.tensor([0.0])], IndexError,
     "tensors used as indices must be long, int, byte or bool tensors"),
    ("setitem_shape", lambda: torch.ones(2, 3).__setitem__(0, torch.ones(4)), RuntimeError, ""),
    # conversions
    ("item_many", lambda: torch.ones(3).item(), RuntimeError, "a Tensor with 3 elements cannot be converted to Scalar"),
    ("bool_ambiguous", lambda: bool(torch.ones(3)), RuntimeError,
     "Boolean value of Tensor with more than one value is ambiguous"),
    ("len_0d", lambda: len(torch.tensor(1)), TypeError, "len() of a 0-d tensor"),
    ("from_numpy_negstride", lambda: torch.from_numpy(np.ones(3)[::-1]), ValueError,
     "At least one stride in the given numpy array is negative"),
    ("to_bad_device", lambda: torch.ones(2).to("float32"), RuntimeError, "float32"),
    ("bad_device", lambda: torch.device("gpu"), RuntimeError, "device string: gpu"),
    ("cuda_tensor", lambda: torch.zeros(2, device="cuda"), *NO_CUDA),
]


@pytest.mark.parametrize("name,fn,exc,msg", BAD_CALLS, ids=[c[0] for c in BAD_CALLS])
def test_bad_call_raises(name, fn, exc, msg):
    with pytest.raises(exc) as ei:
        fn()
    assert msg in str(ei.value), str(ei.value)


def test_bad_calls_leave_tensors_usable():
    """A failed in-place call must not have resized or half-written its target."""
    x = torch.ones(1, 3)
    with pytest.raises(RuntimeError):
        x.add_(torch.ones(2, 3))
    assert x.shape == (1, 3) and x.tolist() == [[1.0, 1.0, 1.0]]
    y = torch.ones(2, dtype=torch.int64)
    with pytest.raises(RuntimeError):
        y.mul_(1.5)
    assert y.tolist() == [1, 1]
