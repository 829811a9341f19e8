"""repr/str of tensors must match PyTorch's text exactly.

Every expected string below was produced by running the same expression with
the real PyTorch (2.13, CPU) and pasting its ``repr`` output.
"""

import math

import pytest

import ctorch as torch
from ctorch import _printing


@pytest.fixture(autouse=True)
def _restore_print_options():
    _printing.set_printoptions(profile="default")
    yield
    _printing.set_printoptions(profile="default")


def _opts(options, build):
    """Set print options, then build the tensor (printing happens later)."""
    torch.set_printoptions(**options)
    return build()


CASES = [
    (
        'float_basic',
        lambda: torch.tensor([1.5, -2.25, 3.0]),
        'tensor([ 1.5000, -2.2500,  3.0000])',
    ),
    (
        'float_int_valued',
        lambda: torch.tensor([1., 2., 3.]),
        'tensor([1., 2., 3.])',
    ),
    (
        'float_int_valued_neg',
        lambda: torch.tensor([-1., 0., 10.]),
        'tensor([-1.,  0., 10.])',
    ),
    (
        'float_scalar_int_valued',
        lambda: torch.tensor(27.),
        'tensor(27.)',
    ),
    (
        'float_scalar_frac',
        lambda: torch.tensor(3.14159),
        'tensor(3.1416)',
    ),
    (
        'float_scalar_neg',
        lambda: torch.tensor(-0.5),
        'tensor(-0.5000)',
    ),
    (
        'float_zeros',
        lambda: torch.zeros(3),
        'tensor([0., 0., 0.])',
    ),
    (
        'float_ones_2d',
        lambda: torch.ones(2, 3),
        (
            'tensor([[1., 1., 1.],\n'
            '        [1., 1., 1.]])'
        ),
    ),
    (
        'float_full_2d',
        lambda: torch.full((2, 2), 7.5),
        (
            'tensor([[7.5000, 7.5000],\n'
            '        [7.5000, 7.5000]])'
        ),
    ),
    (
        'float_rounding',
        lambda: torch.tensor([0.12345, 2.71828, 100.99999]),
        'tensor([  0.1235,   2.7183, 101.0000])',
    ),
    (
        'float_neg_align_2d',
        lambda: torch.tensor([[1.25, -300.5], [0.001, 42.]]),
        (
            'tensor([[ 1.2500e+00, -3.0050e+02],\n'
            '        [ 1.0000e-03,  4.2000e+01]])'
        ),
    ),
    (
        'float_neg_zero_int',
        lambda: torch.tensor([-0., 1.]),
        'tensor([-0., 1.])',
    ),
    (
        'float_neg_zero_frac',
        lambda: torch.tensor([-0., 1.5]),
        'tensor([-0.0000, 1.5000])',
    ),
    (
        'sci_small_values',
        lambda: torch.tensor([1.0, 2.0]) * 1e-5,
        'tensor([1.0000e-05, 2.0000e-05])',
    ),
    (
        'sci_ratio_over_1000',
        lambda: torch.tensor([1., 2000.5]),
        'tensor([1.0000e+00, 2.0005e+03])',
    ),
    (
        'sci_ratio_int_mode',
        lambda: torch.tensor([1., 2000.]),
        'tensor([1.0000e+00, 2.0000e+03])',
    ),
    (
        'sci_large_max',
        lambda: torch.tensor([1.5e9, 2.0e9]),
        'tensor([1.5000e+09, 2.0000e+09])',
    ),
    (
        'sci_int_mode_over_1e8',
        lambda: torch.tensor([1e9, 2e8]),
        'tensor([1.0000e+09, 2.0000e+08])',
    ),
    (
        'int_mode_1e8_boundary',
        lambda: torch.tensor([100000000., 10000000.]),
        'tensor([100000000.,  10000000.])',
    ),
    (
        'fixed_ratio_below_1000',
        lambda: torch.tensor([0.5, 400.25]),
        'tensor([  0.5000, 400.2500])',
    ),
    (
        'sci_min_below_1e-4',
        lambda: torch.tensor([5e-5, 0.01]),
        'tensor([5.0000e-05, 1.0000e-02])',
    ),
    (
        'fixed_min_1e-4_float64',
        lambda: torch.tensor([1e-4, 0.05], dtype=torch.float64),
        'tensor([0.0001, 0.0500], dtype=torch.float64)',
    ),
    (
        'sci_min_1e-4_float32',
        lambda: torch.tensor([1e-4, 0.05]),
        'tensor([1.0000e-04, 5.0000e-02])',
    ),
    (
        'sci_arange_scaled',
        lambda: torch.arange(6, dtype=torch.float32) * 1e-5,
        'tensor([0.0000e+00, 1.0000e-05, 2.0000e-05, 3.0000e-05, 4.0000e-05, 5.0000e-05])',
    ),
    (
        'sci_negative',
        lambda: torch.tensor([-1e-5, 1.]),
        'tensor([-1.0000e-05,  1.0000e+00])',
    ),
    (
        'sci_scalar',
        lambda: torch.tensor(1e-5),
        'tensor(1.0000e-05)',
    ),
    (
        'sci_3digit_exponent',
        lambda: torch.tensor([1e100, 1.], dtype=torch.float64),
        'tensor([1.0000e+100,  1.0000e+00], dtype=torch.float64)',
    ),
    (
        'nan_inf_mixed',
        lambda: torch.tensor([float('nan'), float('inf'), -float('inf'), 1.5]),
        'tensor([   nan,    inf,   -inf, 1.5000])',
    ),
    (
        'nan_int_mode',
        lambda: torch.tensor([float('nan'), 1., 2.]),
        'tensor([nan, 1., 2.])',
    ),
    (
        'all_nan',
        lambda: torch.tensor([float('nan'), float('nan')]),
        'tensor([nan, nan])',
    ),
    (
        'inf_pair',
        lambda: torch.tensor([float('inf'), -float('inf')]),
        'tensor([inf, -inf])',
    ),
    (
        'inf_scalar',
        lambda: torch.tensor(float('inf')),
        'tensor(inf)',
    ),
    (
        'nan_sci',
        lambda: torch.tensor([float('nan'), 1e-6, 1.]),
        'tensor([       nan, 1.0000e-06, 1.0000e+00])',
    ),
    (
        'float64_suffix',
        lambda: torch.tensor([1., 2.], dtype=torch.float64),
        'tensor([1., 2.], dtype=torch.float64)',
    ),
    (
        'float64_scalar',
        lambda: torch.tensor(2.5, dtype=torch.float64),
        'tensor(2.5000, dtype=torch.float64)',
    ),
    (
        'float16',
        lambda: torch.tensor([1., 2.5, -3.], dtype=torch.float16),
        'tensor([ 1.0000,  2.5000, -3.0000], dtype=torch.float16)',
    ),
    (
        'float16_rounding',
        lambda: torch.tensor([0.1, 0.7], dtype=torch.float16),
        'tensor([0.1000, 0.7002], dtype=torch.float16)',
    ),
    (
        'float64_wraps_dtype',
        lambda: torch.arange(9, dtype=torch.float64) * 1.5,
        (
            'tensor([ 0.0000,  1.5000,  3.0000,  4.5000,  6.0000,  7.5000,  9.0000, 10.5000,\n'
            '        12.0000], dtype=torch.float64)'
        ),
    ),
    (
        'int64',
        lambda: torch.tensor([1, -20, 300]),
        'tensor([  1, -20, 300])',
    ),
    (
        'int64_scalar',
        lambda: torch.tensor(3),
        'tensor(3)',
    ),
    (
        'int32',
        lambda: torch.arange(5, dtype=torch.int32),
        'tensor([0, 1, 2, 3, 4], dtype=torch.int32)',
    ),
    (
        'int32_scalar',
        lambda: torch.tensor(7, dtype=torch.int32),
        'tensor(7, dtype=torch.int32)',
    ),
    (
        'uint8',
        lambda: torch.tensor([0, 128, 255], dtype=torch.uint8),
        'tensor([  0, 128, 255], dtype=torch.uint8)',
    ),
    (
        'int8',
        lambda: torch.tensor([-128, 5, 127], dtype=torch.int8),
        'tensor([-128,    5,  127], dtype=torch.int8)',
    ),
    (
        'int16_2d',
        lambda: torch.tensor([[1, -2], [300, 4]], dtype=torch.int16),
        (
            'tensor([[  1,  -2],\n'
            '        [300,   4]], dtype=torch.int16)'
        ),
    ),
    (
        'bool',
        lambda: torch.tensor([True, False, True]),
        'tensor([ True, False,  True])',
    ),
    (
        'bool_scalar',
        lambda: torch.tensor(False),
        'tensor(False)',
    ),
    (
        'bool_2d',
        lambda: torch.tensor([[True], [False]]),
        (
            'tensor([[ True],\n'
            '        [False]])'
        ),
    ),
    (
        'empty_1d',
        lambda: torch.tensor([]),
        'tensor([])',
    ),
    (
        'empty_2d',
        lambda: torch.empty(0, 3),
        'tensor([], size=(0, 3))',
    ),
    (
        'empty_int64',
        lambda: torch.tensor([], dtype=torch.int64),
        'tensor([], dtype=torch.int64)',
    ),
    (
        'empty_int32_2d',
        lambda: torch.zeros(2, 0, dtype=torch.int32),
        'tensor([], size=(2, 0), dtype=torch.int32)',
    ),
    (
        'empty_bool',
        lambda: torch.zeros(0, dtype=torch.bool),
        'tensor([], dtype=torch.bool)',
    ),
    (
        'empty_float64',
        lambda: torch.zeros(0, dtype=torch.float64),
        'tensor([], dtype=torch.float64)',
    ),
    (
        'empty_complex64',
        lambda: torch.zeros(0, dtype=torch.complex64),
        'tensor([], dtype=torch.complex64)',
    ),
    (
        'empty_3d',
        lambda: torch.ones(2, 0, 4),
        'tensor([], size=(2, 0, 4))',
    ),
    (
        'wrap_int_1d',
        lambda: torch.arange(40),
        (
            'tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,\n'
            '        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,\n'
            '        36, 37, 38, 39])'
        ),
    ),
    (
        'wrap_float_1d',
        lambda: torch.arange(30, dtype=torch.float32) * 0.5 + 0.25,
        (
            'tensor([ 0.2500,  0.7500,  1.2500,  1.7500,  2.2500,  2.7500,  3.2500,  3.7500,\n'
            '         4.2500,  4.7500,  5.2500,  5.7500,  6.2500,  6.7500,  7.2500,  7.7500,\n'
            '         8.2500,  8.7500,  9.2500,  9.7500, 10.2500, 10.7500, 11.2500, 11.7500,\n'
            '        12.2500, 12.7500, 13.2500, 13.7500, 14.2500, 14.7500])'
        ),
    ),
    (
        'matrix_int',
        lambda: torch.arange(12).reshape(3, 4),
        (
            'tensor([[ 0,  1,  2,  3],\n'
            '        [ 4,  5,  6,  7],\n'
            '        [ 8,  9, 10, 11]])'
        ),
    ),
    (
        'tensor_3d',
        lambda: torch.arange(24).reshape(2, 3, 4),
        (
            'tensor([[[ 0,  1,  2,  3],\n'
            '         [ 4,  5,  6,  7],\n'
            '         [ 8,  9, 10, 11]],\n'
            '\n'
            '        [[12, 13, 14, 15],\n'
            '         [16, 17, 18, 19],\n'
            '         [20, 21, 22, 23]]])'
        ),
    ),
    (
        'tensor_4d_float',
        lambda: torch.arange(48, dtype=torch.float32).reshape(2, 2, 3, 4),
        (
            'tensor([[[[ 0.,  1.,  2.,  3.],\n'
            '          [ 4.,  5.,  6.,  7.],\n'
            '          [ 8.,  9., 10., 11.]],\n'
            '\n'
            '         [[12., 13., 14., 15.],\n'
            '          [16., 17., 18., 19.],\n'
            '          [20., 21., 22., 23.]]],\n'
            '\n'
            '\n'
            '        [[[24., 25., 26., 27.],\n'
            '          [28., 29., 30., 31.],\n'
            '          [32., 33., 34., 35.]],\n'
            '\n'
            '         [[36., 37., 38., 39.],\n'
            '          [40., 41., 42., 43.],\n'
            '          [44., 45., 46., 47.]]]])'
        ),
    ),
    (
        'matrix_wrapped_rows',
        lambda: torch.arange(40, dtype=torch.float32).reshape(2, 20),
        (
            'tensor([[ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n'
            '         14., 15., 16., 17., 18., 19.],\n'
            '        [20., 21., 22., 23., 24., 25., 26., 27., 28., 29., 30., 31., 32., 33.,\n'
            '         34., 35., 36., 37., 38., 39.]])'
        ),
    ),
    (
        'matrix_single_column',
        lambda: torch.arange(3).reshape(3, 1),
        (
            'tensor([[0],\n'
            '        [1],\n'
            '        [2]])'
        ),
    ),
    (
        'tensor_3d_int32',
        lambda: torch.arange(24, dtype=torch.int32).reshape(2, 3, 4) * 100000,
        (
            'tensor([[[      0,  100000,  200000,  300000],\n'
            '         [ 400000,  500000,  600000,  700000],\n'
            '         [ 800000,  900000, 1000000, 1100000]],\n'
            '\n'
            '        [[1200000, 1300000, 1400000, 1500000],\n'
            '         [1600000, 1700000, 1800000, 1900000],\n'
            '         [2000000, 2100000, 2200000, 2300000]]], dtype=torch.int32)'
        ),
    ),
    (
        'summ_int_1d',
        lambda: torch.arange(2000),
        'tensor([   0,    1,    2,  ..., 1997, 1998, 1999])',
    ),
    (
        'summ_float_1d_sci',
        lambda: torch.arange(2000, dtype=torch.float32),
        (
            'tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n'
            '        1.9990e+03])'
        ),
    ),
    (
        'summ_float_1d_fixed',
        lambda: torch.arange(1001, dtype=torch.float32) * 0.5 + 1,
        'tensor([  1.0000,   1.5000,   2.0000,  ..., 500.0000, 500.5000, 501.0000])',
    ),
    (
        'summ_at_threshold_not_summarised',
        lambda: _opts(dict(threshold=12, edgeitems=1), lambda: torch.arange(12).reshape(3, 4)),
        (
            'tensor([[ 0,  1,  2,  3],\n'
            '        [ 4,  5,  6,  7],\n'
            '        [ 8,  9, 10, 11]])'
        ),
    ),
    (
        'summ_over_threshold',
        lambda: _opts(dict(threshold=12, edgeitems=1), lambda: torch.arange(13)),
        'tensor([ 0,  ..., 12])',
    ),
    (
        'summ_small_dim_kept',
        lambda: _opts(dict(threshold=12, edgeitems=1), lambda: torch.arange(26).reshape(2, 13)),
        (
            'tensor([[ 0,  ..., 12],\n'
            '        [13,  ..., 25]])'
        ),
    ),
    (
        'summ_2d',
        lambda: torch.arange(2000).reshape(20, 100),
        (
            'tensor([[   0,    1,    2,  ...,   97,   98,   99],\n'
            '        [ 100,  101,  102,  ...,  197,  198,  199],\n'
            '        [ 200,  201,  202,  ...,  297,  298,  299],\n'
            '        ...,\n'
            '        [1700, 1701, 1702,  ..., 1797, 1798, 1799],\n'
            '        [1800, 1801, 1802,  ..., 1897, 1898, 1899],\n'
            '        [1900, 1901, 1902,  ..., 1997, 1998, 1999]])'
        ),
    ),
    (
        'summ_2d_rows_only',
        lambda: torch.arange(3000).reshape(1000, 3),
        (
            'tensor([[   0,    1,    2],\n'
            '        [   3,    4,    5],\n'
            '        [   6,    7,    8],\n'
            '        ...,\n'
            '        [2991, 2992, 2993],\n'
            '        [2994, 2995, 2996],\n'
            '        [2997, 2998, 2999]])'
        ),
    ),
    (
        'summ_3d',
        lambda: torch.arange(8000, dtype=torch.float32).reshape(20, 20, 20),
        (
            'tensor([[[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.7000e+01,\n'
            '          1.8000e+01, 1.9000e+01],\n'
            '         [2.0000e+01, 2.1000e+01, 2.2000e+01,  ..., 3.7000e+01,\n'
            '          3.8000e+01, 3.9000e+01],\n'
            '         [4.0000e+01, 4.1000e+01, 4.2000e+01,  ..., 5.7000e+01,\n'
            '          5.8000e+01, 5.9000e+01],\n'
            '         ...,\n'
            '         [3.4000e+02, 3.4100e+02, 3.4200e+02,  ..., 3.5700e+02,\n'
            '          3.5800e+02, 3.5900e+02],\n'
            '         [3.6000e+02, 3.6100e+02, 3.6200e+02,  ..., 3.7700e+02,\n'
            '          3.7800e+02, 3.7900e+02],\n'
            '         [3.8000e+02, 3.8100e+02, 3.8200e+02,  ..., 3.9700e+02,\n'
            '          3.9800e+02, 3.9900e+02]],\n'
            '\n'
            '        [[4.0000e+02, 4.0100e+02, 4.0200e+02,  ..., 4.1700e+02,\n'
            '          4.1800e+02, 4.1900e+02],\n'
            '         [4.2000e+02, 4.2100e+02, 4.2200e+02,  ..., 4.3700e+02,\n'
            '          4.3800e+02, 4.3900e+02],\n'
            '         [4.4000e+02, 4.4100e+02, 4.4200e+02,  ..., 4.5700e+02,\n'
            '          4.5800e+02, 4.5900e+02],\n'
            '         ...,\n'
            '         [7.4000e+02, 7.4100e+02, 7.4200e+02,  ..., 7.5700e+02,\n'
            '          7.5800e+02, 7.5900e+02],\n'
            '         [7.6000e+02, 7.6100e+02, 7.6200e+02,  ..., 7.7700e+02,\n'
            '          7.7800e+02, 7.7900e+02],\n'
            '         [7.8000e+02, 7.8100e+02, 7.8200e+02,  ..., 7.9700e+02,\n'
            '          7.9800e+02, 7.9900e+02]],\n'
            '\n'
            '        [[8.0000e+02, 8.0100e+02, 8.0200e+02,  ..., 8.1700e+02,\n'
            '          8.1800e+02, 8.1900e+02],\n'
            '         [8.2000e+02, 8.2100e+02, 8.2200e+02,  ..., 8.3700e+02,\n'
            '          8.3800e+02, 8.3900e+02],\n'
            '         [8.4000e+02, 8.4100e+02, 8.4200e+02,  ..., 8.5700e+02,\n'
            '          8.5800e+02, 8.5900e+02],\n'
            '         ...,\n'
            '         [1.1400e+03, 1.1410e+03, 1.1420e+03,  ..., 1.1570e+03,\n'
            '          1.1580e+03, 1.1590e+03],\n'
            '         [1.1600e+03, 1.1610e+03, 1.1620e+03,  ..., 1.1770e+03,\n'
            '          1.1780e+03, 1.1790e+03],\n'
            '         [1.1800e+03, 1.1810e+03, 1.1820e+03,  ..., 1.1970e+03,\n'
            '          1.1980e+03, 1.1990e+03]],\n'
            '\n'
            '        ...,\n'
            '\n'
            '        [[6.8000e+03, 6.8010e+03, 6.8020e+03,  ..., 6.8170e+03,\n'
            '          6.8180e+03, 6.8190e+03],\n'
            '         [6.8200e+03, 6.8210e+03, 6.8220e+03,  ..., 6.8370e+03,\n'
            '          6.8380e+03, 6.8390e+03],\n'
            '         [6.8400e+03, 6.8410e+03, 6.8420e+03,  ..., 6.8570e+03,\n'
            '          6.8580e+03, 6.8590e+03],\n'
            '         ...,\n'
            '         [7.1400e+03, 7.1410e+03, 7.1420e+03,  ..., 7.1570e+03,\n'
            '          7.1580e+03, 7.1590e+03],\n'
            '         [7.1600e+03, 7.1610e+03, 7.1620e+03,  ..., 7.1770e+03,\n'
            '          7.1780e+03, 7.1790e+03],\n'
            '         [7.1800e+03, 7.1810e+03, 7.1820e+03,  ..., 7.1970e+03,\n'
            '          7.1980e+03, 7.1990e+03]],\n'
            '\n'
            '        [[7.2000e+03, 7.2010e+03, 7.2020e+03,  ..., 7.2170e+03,\n'
            '          7.2180e+03, 7.2190e+03],\n'
            '         [7.2200e+03, 7.2210e+03, 7.2220e+03,  ..., 7.2370e+03,\n'
            '          7.2380e+03, 7.2390e+03],\n'
            '         [7.2400e+03, 7.2410e+03, 7.2420e+03,  ..., 7.2570e+03,\n'
            '          7.2580e+03, 7.2590e+03],\n'
            '         ...,\n'
            '         [7.5400e+03, 7.5410e+03, 7.5420e+03,  ..., 7.5570e+03,\n'
            '          7.5580e+03, 7.5590e+03],\n'
            '         [7.5600e+03, 7.5610e+03, 7.5620e+03,  ..., 7.5770e+03,\n'
            '          7.5780e+03, 7.5790e+03],\n'
            '         [7.5800e+03, 7.5810e+03, 7.5820e+03,  ..., 7.5970e+03,\n'
            '          7.5980e+03, 7.5990e+03]],\n'
            '\n'
            '        [[7.6000e+03, 7.6010e+03, 7.6020e+03,  ..., 7.6170e+03,\n'
            '          7.6180e+03, 7.6190e+03],\n'
            '         [7.6200e+03, 7.6210e+03, 7.6220e+03,  ..., 7.6370e+03,\n'
            '          7.6380e+03, 7.6390e+03],\n'
            '         [7.6400e+03, 7.6410e+03, 7.6420e+03,  ..., 7.6570e+03,\n'
            '          7.6580e+03, 7.6590e+03],\n'
            '         ...,\n'
            '         [7.9400e+03, 7.9410e+03, 7.9420e+03,  ..., 7.9570e+03,\n'
            '          7.9580e+03, 7.9590e+03],\n'
            '         [7.9600e+03, 7.9610e+03, 7.9620e+03,  ..., 7.9770e+03,\n'
            '          7.9780e+03, 7.9790e+03],\n'
            '         [7.9800e+03, 7.9810e+03, 7.9820e+03,  ..., 7.9970e+03,\n'
            '          7.9980e+03, 7.9990e+03]]])'
        ),
    ),
    (
        'summ_int32',
        lambda: torch.arange(2000, dtype=torch.int32),
        'tensor([   0,    1,    2,  ..., 1997, 1998, 1999], dtype=torch.int32)',
    ),
    (
        'summ_formatter_shown_only',
        lambda: (torch.arange(2001, dtype=torch.float32) - 1000) * (torch.arange(2001, dtype=torch.float32) - 1000),
        'tensor([1000000.,  998001.,  996004.,  ...,  996004.,  998001., 1000000.])',
    ),
    (
        'complex_basic',
        lambda: torch.tensor([1+2j, 3-1j]),
        'tensor([1.+2.j, 3.-1.j])',
    ),
    (
        'complex_mixed_modes',
        lambda: torch.tensor([1.5+2j, -3-1e-5j]),
        'tensor([ 1.5000+2.0000e+00j, -3.0000-1.0000e-05j])',
    ),
    (
        'complex128_suffix',
        lambda: torch.tensor([1+1j, 1+100j, 100-1j], dtype=torch.complex128),
        'tensor([  1.+1.j,   1.+100.j, 100.-1.j], dtype=torch.complex128)',
    ),
    (
        'complex_scalar',
        lambda: torch.tensor(2-3.5j),
        'tensor(2.-3.5000j)',
    ),
    (
        'complex_nan_inf',
        lambda: torch.tensor([complex(float('nan'), float('inf')), 2+0j]),
        'tensor([nan+infj, 2.+0.j])',
    ),
    (
        'complex_neg_zero_imag',
        lambda: torch.tensor([complex(0., -0.)]),
        'tensor([0.-0.j])',
    ),
    (
        'complex_wrap',
        lambda: torch.tensor([1.5+1j] * 20),
        (
            'tensor([1.5000+1.j, 1.5000+1.j, 1.5000+1.j, 1.5000+1.j, 1.5000+1.j, 1.5000+1.j,\n'
            '        1.5000+1.j, 1.5000+1.j, 1.5000+1.j, 1.5000+1.j, 1.5000+1.j, 1.5000+1.j,\n'
            '        1.5000+1.j, 1.5000+1.j, 1.5000+1.j, 1.5000+1.j, 1.5000+1.j, 1.5000+1.j,\n'
            '        1.5000+1.j, 1.5000+1.j])'
        ),
    ),
    (
        'complex_2d',
        lambda: torch.tensor([[1+1j, -2.5+0j], [0+3j, 4-4j]]),
        (
            'tensor([[ 1.0000+1.j, -2.5000+0.j],\n'
            '        [ 0.0000+3.j,  4.0000-4.j]])'
        ),
    ),
    (
        'complex_sci_real_part',
        lambda: torch.tensor([1e-8+1j, 1.5-2j]),
        'tensor([1.0000e-08+1.j, 1.5000e+00-2.j])',
    ),
    (
        'complex_sci_both',
        lambda: torch.tensor([1e10+1e-10j]),
        'tensor([1.0000e+10+1.0000e-10j])',
    ),
    (
        'complex_scalar_sci',
        lambda: torch.tensor(1e-7+2e8j),
        'tensor(1.0000e-07+2.0000e+08j)',
    ),
    (
        'complex_inf_parts',
        lambda: torch.tensor([complex(float('nan'), 1), complex(float('inf'), -float('inf')), 1+1j]),
        'tensor([nan+1.j, inf-infj, 1.+1.j])',
    ),
    (
        'complex_neg_zero_real',
        lambda: torch.tensor([complex(0.0, -0.0), complex(-0.0, 0.0)]),
        'tensor([0.-0.j, -0.+0.j])',
    ),
    (
        'complex_empty_2d',
        lambda: torch.zeros(2, 0, dtype=torch.complex128),
        'tensor([], size=(2, 0), dtype=torch.complex128)',
    ),
    (
        'complex_2d_mixed_magnitudes',
        lambda: torch.tensor([[1+1j, 2.5-3j], [1e3+0j, -0.001j]]),
        (
            'tensor([[   1.0000+1.0000e+00j,    2.5000-3.0000e+00j],\n'
            '        [1000.0000+0.0000e+00j,   -0.0000-1.0000e-03j]])'
        ),
    ),
    (
        'complex_fft_result',
        lambda: torch.fft.fft(torch.tensor([1., 2., 3., 4.])),
        'tensor([10.+0.j, -2.+2.j, -2.+0.j, -2.-2.j])',
    ),
    (
        'opt_precision_2',
        lambda: _opts(dict(precision=2), lambda: torch.tensor([1.23456, -2.5])),
        'tensor([ 1.23, -2.50])',
    ),
    (
        'opt_precision_0',
        lambda: _opts(dict(precision=0), lambda: torch.tensor([1.5, 2.25])),
        'tensor([2, 2])',
    ),
    (
        'opt_sci_on',
        lambda: _opts(dict(sci_mode=True), lambda: torch.tensor([1.5, 2.])),
        'tensor([1.5000e+00, 2.0000e+00])',
    ),
    (
        'opt_sci_on_int_mode',
        lambda: _opts(dict(sci_mode=True), lambda: torch.tensor([1., 2.])),
        'tensor([1.0000e+00, 2.0000e+00])',
    ),
    (
        'opt_sci_on_zeros',
        lambda: _opts(dict(sci_mode=True), lambda: torch.zeros(2)),
        'tensor([0., 0.])',
    ),
    (
        'opt_sci_off_small',
        lambda: _opts(dict(sci_mode=False), lambda: torch.tensor([1.5, 1e-6])),
        'tensor([1.5000, 0.0000])',
    ),
    (
        'opt_sci_off_large_int',
        lambda: _opts(dict(sci_mode=False), lambda: torch.tensor([1., 1e9])),
        'tensor([         1., 1000000000.])',
    ),
    (
        'opt_linewidth_40',
        lambda: _opts(dict(linewidth=40), lambda: torch.arange(20, dtype=torch.float32) * 0.5),
        (
            'tensor([0.0000, 0.5000, 1.0000, 1.5000,\n'
            '        2.0000, 2.5000, 3.0000, 3.5000,\n'
            '        4.0000, 4.5000, 5.0000, 5.5000,\n'
            '        6.0000, 6.5000, 7.0000, 7.5000,\n'
            '        8.0000, 8.5000, 9.0000, 9.5000])'
        ),
    ),
    (
        'opt_linewidth_suffix_wrap',
        lambda: _opts(dict(linewidth=30), lambda: torch.tensor([1.5, 2.5], dtype=torch.float64)),
        (
            'tensor([1.5000, 2.5000],\n'
            '       dtype=torch.float64)'
        ),
    ),
    (
        'opt_linewidth_tiny',
        lambda: _opts(dict(linewidth=10), lambda: torch.tensor([1.5, 2.5, 3.5])),
        (
            'tensor([1.5000,\n'
            '        2.5000,\n'
            '        3.5000])'
        ),
    ),
    (
        'opt_threshold_edgeitems',
        lambda: _opts(dict(threshold=10, edgeitems=2), lambda: torch.arange(36).reshape(6, 6)),
        (
            'tensor([[ 0,  1,  ...,  4,  5],\n'
            '        [ 6,  7,  ..., 10, 11],\n'
            '        ...,\n'
            '        [24, 25,  ..., 28, 29],\n'
            '        [30, 31,  ..., 34, 35]])'
        ),
    ),
    (
        'opt_profile_short',
        lambda: _opts(dict(profile='short'), lambda: torch.arange(2000, dtype=torch.float32).reshape(20, 100) * 0.001),
        (
            'tensor([[0.00e+00, 1.00e-03,  ..., 9.80e-02, 9.90e-02],\n'
            '        [1.00e-01, 1.01e-01,  ..., 1.98e-01, 1.99e-01],\n'
            '        ...,\n'
            '        [1.80e+00, 1.80e+00,  ..., 1.90e+00, 1.90e+00],\n'
            '        [1.90e+00, 1.90e+00,  ..., 2.00e+00, 2.00e+00]])'
        ),
    ),
    (
        'opt_profile_then_override',
        lambda: _opts(dict(threshold=5, profile='full'), lambda: torch.arange(10)),
        'tensor([0, 1, 2,  ..., 7, 8, 9])',
    ),
    (
        'opt_profile_full',
        lambda: _opts(dict(threshold=5), lambda: _opts(dict(profile='full'), lambda: torch.arange(10))),
        'tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])',
    ),
    (
        'opt_edgeitems_0',
        lambda: _opts(dict(threshold=5, edgeitems=0), lambda: torch.arange(10, dtype=torch.int32)),
        'tensor([...], size=(10,), dtype=torch.int32)',
    ),
    (
        'opt_edgeitems_0_small',
        lambda: _opts(dict(edgeitems=0), lambda: torch.arange(4).reshape(2, 2)),
        (
            'tensor([[0, 1],\n'
            '        [2, 3]], size=(2, 2))'
        ),
    ),
]


@pytest.mark.parametrize(
    "build, expected", [pytest.param(b, e, id=i) for i, b, e in CASES]
)
def test_repr_matches_pytorch(build, expected):
    t = build()
    assert repr(t) == expected
    assert str(t) == expected


# ---------------------------------------------------------------------------
# Print options
# ---------------------------------------------------------------------------


def test_get_printoptions_default():
    assert _printing.get_printoptions() == {
        "precision": 4,
        "threshold": 1000,
        "edgeitems": 3,
        "linewidth": 80,
        "sci_mode": None,
    }


def test_profiles_and_overrides():
    _printing.set_printoptions(profile="short")
    assert _printing.get_printoptions() == {
        "precision": 2,
        "threshold": 1000,
        "edgeitems": 2,
        "linewidth": 80,
        "sci_mode": None,
    }
    _printing.set_printoptions(profile="full")
    assert _printing.get_printoptions()["threshold"] == math.inf
    # Explicit options win over the profile.
    _printing.set_printoptions(profile="short", precision=6)
    assert _printing.get_printoptions()["precision"] == 6
    assert _printing.get_printoptions()["edgeitems"] == 2


def test_unknown_profile_is_ignored():
    _printing.set_printoptions(precision=7)
    _printing.set_printoptions(profile="no-such-profile")
    assert _printing.get_printoptions()["precision"] == 7


def test_sci_mode_resets_on_any_call():
    _printing.set_printoptions(sci_mode=True)
    assert _printing.PRINT_OPTS.sci_mode is True
    _printing.set_printoptions(precision=2)
    assert _printing.PRINT_OPTS.sci_mode is None


# ---------------------------------------------------------------------------
# Suffixes (device / autograd / default dtype) through a minimal fake tensor,
# since CUDA and autograd are not needed to exercise the text layout.
# Expected strings are again PyTorch's (CUDA ones from its documented form).
# ---------------------------------------------------------------------------


class _FakeDtype:
    def __init__(self, name):
        self.name = name
        self.is_floating_point = name in (
            "torch.float16",
            "torch.bfloat16",
            "torch.float32",
            "torch.float64",
        )
        self.is_complex = name.startswith("torch.complex")

    def __str__(self):
        return self.name


class _FakeDevice:
    def __init__(self, text):
        self.text = text
        self.type = text.split(":")[0]

    def __str__(self):
        return self.text


class _FakeGradFn:
    def __init__(self, name):
        self._name = name

    def name(self):
        return self._name


class _FakeTensor:
    """Nested-list tensor offering only the interface _printing relies on."""

    def __init__(self, data, shape, dtype="torch.float32", device="cpu",
                 requires_grad=False, grad_fn=None, log=None):
        self._data = data
        self.shape = tuple(shape)
        self.dtype = _FakeDtype(dtype)
        self.device = _FakeDevice(device)
        self.requires_grad = requires_grad
        # PyTorch prints the grad_fn's class name: make one of that name
        self.grad_fn = type(grad_fn, (_FakeGradFn,), {})(grad_fn) if grad_fn else None
        self.is_leaf = grad_fn is None
        self._log = log if log is not None else []

    def dim(self):
        return len(self.shape)

    def numel(self):
        return math.prod(self.shape)

    def tolist(self):
        self._log.append(self.numel())
        return self._data

    def __getitem__(self, key):
        part = self._data[key]
        if isinstance(key, slice):
            shape = (len(part),) + self.shape[1:]
        else:
            shape = self.shape[1:]
        return _FakeTensor(part, shape, str(self.dtype), str(self.device),
                           log=self._log)


def _fake(data, shape, **kw):
    return _FakeTensor(data, shape, **kw)


@pytest.mark.parametrize(
    "tensor, expected",
    [
        pytest.param(
            _fake([1.0, 2.0], (2,), requires_grad=True),
            "tensor([1., 2.], requires_grad=True)",
            id="requires_grad",
        ),
        pytest.param(
            _fake([2.0, 4.0], (2,), requires_grad=True, grad_fn="MulBackward0"),
            "tensor([2., 4.], grad_fn=<MulBackward0>)",
            id="grad_fn",
        ),
        pytest.param(
            _fake(1.5, (), requires_grad=True),
            "tensor(1.5000, requires_grad=True)",
            id="scalar_requires_grad",
        ),
        pytest.param(
            _fake([], (0, 3), requires_grad=True),
            "tensor([], size=(0, 3), requires_grad=True)",
            id="empty_requires_grad",
        ),
        pytest.param(
            _fake([2.0, 3.0], (2,), dtype="torch.float64", requires_grad=True,
                  grad_fn="AddBackward0"),
            "tensor([2., 3.], dtype=torch.float64, grad_fn=<AddBackward0>)",
            id="dtype_then_grad_fn",
        ),
        pytest.param(
            _fake([1.0, 2.0], (2,), device="cuda:0"),
            "tensor([1., 2.], device='cuda:0')",
            id="cuda",
        ),
        pytest.param(
            _fake([1.0, 2.0], (2,), dtype="torch.float64", device="cuda:0"),
            "tensor([1., 2.], device='cuda:0', dtype=torch.float64)",
            id="cuda_float64",
        ),
        pytest.param(
            _fake([1.0, 2.0], (2,), device="cuda:0", requires_grad=True),
            "tensor([1., 2.], device='cuda:0', requires_grad=True)",
            id="cuda_requires_grad",
        ),
        pytest.param(
            _fake([], (0, 3), device="cuda:0"),
            "tensor([], device='cuda:0', size=(0, 3))",
            id="cuda_empty",
        ),
    ],
)
def test_suffixes_with_fake(tensor, expected):
    assert _printing.tensor_repr(tensor) == expected


@pytest.mark.parametrize(
    "linewidth, n, expected",
    [
        (40, 2, "tensor([1.5000, 2.5000],\n"
                "       dtype=torch.float64,\n"
                "       requires_grad=True)"),
        (46, 2, "tensor([1.5000, 2.5000], dtype=torch.float64,\n"
                "       requires_grad=True)"),
        (46, 3, "tensor([1.5000, 1.5000, 1.5000],\n"
                "       dtype=torch.float64, requires_grad=True)"),
    ],
)
def test_suffix_wrapping(linewidth, n, expected):
    _printing.set_printoptions(linewidth=linewidth)
    data = [1.5, 2.5] if n == 2 else [1.5] * n
    t = _fake(data, (n,), dtype="torch.float64", requires_grad=True)
    assert _printing.tensor_repr(t) == expected


@pytest.mark.parametrize(
    "default, tensor, expected",
    [
        ("torch.float64", _fake([1.0], (1,), dtype="torch.float32"),
         "tensor([1.], dtype=torch.float32)"),
        ("torch.float64", _fake([1.0], (1,), dtype="torch.float64"),
         "tensor([1.])"),
        ("torch.float64", _fake([1j], (1,), dtype="torch.complex128"),
         "tensor([0.+1.j])"),
        ("torch.float64", _fake([1j], (1,), dtype="torch.complex64"),
         "tensor([0.+1.j], dtype=torch.complex64)"),
        ("torch.float64", _fake([], (0,), dtype="torch.float64"),
         "tensor([])"),
        ("torch.float64", _fake([], (0,), dtype="torch.float32"),
         "tensor([], dtype=torch.float32)"),
        # complex64 stays implicit unless the default is float64.
        ("torch.float16", _fake([1j], (1,), dtype="torch.complex64"),
         "tensor([0.+1.j])"),
        ("torch.float16", _fake([1j], (1,), dtype="torch.complex32"),
         "tensor([0.+1.j], dtype=torch.complex32)"),
    ],
)
def test_default_dtype_suffix(monkeypatch, default, tensor, expected):
    monkeypatch.setattr(_printing, "_default_dtype_name", lambda: default)
    assert _printing.tensor_repr(tensor) == expected


def test_summarised_tensor_only_fetches_shown_values():
    log = []
    rows = [[float(r * 300 + c) for c in range(300)] for r in range(300)]
    t = _FakeTensor(rows, (300, 300), log=log)
    text = _printing.tensor_repr(t)
    assert text.startswith("tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ...,")
    assert sum(log) == 36
