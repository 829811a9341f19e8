# cython: language_level=3
# The ops, autograd and the public Tensor class, still one translation unit
# built from include files while they move out into modules of their own;
# the bottom layers (dtype, dispatch, storage, Tensor) are already
# modules of ctorch._core and come in through their .pxd interfaces.

from ctorch._core.dtype cimport *
from ctorch._core.dispatch cimport device, _CPU, _device_code, _device_object, backend_for, ensure_gemm
from ctorch._core.storage cimport Storage, _alloc_storage, _borrow_storage
from ctorch._core.tensor cimport *
from ctorch._core.iterator cimport *
from ctorch.autograd._node cimport *
from ctorch.autograd._node cimport _grad_mode, _set_grad_mode, _save, _edge, _grad_acc, _weakref, _FREED_MSG, _node_type, _new_node, _attach
from ctorch._core.backend cimport *

from ctorch._core.dtype import promote_types, get_default_dtype, set_default_dtype, _dtype_list, dtype
from ctorch._core.iterator import can_cast, _resize_
from ctorch._ops.creation cimport _sized, _finish, _like, _is_ndarray
from ctorch._ops.creation import (
    tensor, as_tensor, empty, zeros, ones, full, empty_like, zeros_like, ones_like, full_like,
    arange, _range, linspace, logspace, eye, scalar_tensor, asarray,
)
from ctorch._ops.elementwise cimport *
from ctorch._ops.views cimport *
from ctorch._ops.reduce cimport *
from ctorch._ops.index cimport *
from ctorch._ops.shape cimport *
from ctorch._ops.complex cimport *
from ctorch._ops.random cimport Generator, _gen, _fill_random
from ctorch._ops.elementwise cimport _FUNCTIONS, _operand, _cast, _as_operand_tensor, _binary, _unary, _unary_graded, _record_binary, _no_kernel, _stand_in, _inplace_with_graph, _overwrite_with_graph, _to
from ctorch._ops.elementwise import (
    result_type, where, lerp, add, sub, rsub, div, clamp, clamp_min, clamp_max, _round, nan_to_num,
    float_power, logical_not, isclose, allclose, equal, positive, _inplace_method, _method,
    _where_method, _clamp_tensors, clone, subtract, divide, true_divide, clip, _PY_TWO,
)
from ctorch.autograd._node cimport _check_inplace, _inplace_needs_graph, _rebase_history, _move_retain, _refresh_view, _save_output
from ctorch._ops.views import flatten, unflatten, narrow, select, diagonal, as_strided, t, transpose, permute, squeeze, unsqueeze, reshape, ravel, numel, swapaxes, swapdims
from ctorch._ops.random import (
    Generator, default_generator, manual_seed, seed, initial_seed, get_rng_state, set_rng_state, rand, randn,
    rand_like, randn_like, randint, randint_like, randperm,
)
from ctorch._ops.reduce import _sum_fn, mean, sum_to_size, norm, _max_fn, _min_fn, amax, amin, argmax, argmin, _any_fn, _all_fn, count_nonzero, median, prod, var, std, var_mean, std_mean, logsumexp, cumsum, cumprod, softmax, log_softmax
from ctorch._ops.sort import sort, argsort, msort, topk, kthvalue, searchsorted, bucketize
from ctorch._ops.index import nonzero
from ctorch._ops.shape import cat, stack, atleast_1d, atleast_2d, hstack, vstack, split, _split_method, chunk, unbind, tensor_split, movedim, flip, fliplr, flipud, roll, rot90, _repeat, tile, repeat_interleave, gather, scatter, _scatter_, scatter_add, _scatter_add_, index_select, index_add, _index_add_, take, masked_fill, _masked_fill_, masked_select, unique, tril_indices, triu_indices, concat, concatenate, row_stack, moveaxis
from ctorch._ops.complex import view_as_real, view_as_complex, real, imag, _set_real, _set_imag, _complex_fn, polar, conj, conj_physical, _conj_physical_, resolve_conj, resolve_neg, is_conj, is_neg, sgn, angle
from ctorch import return_types as _rt
import builtins as _builtins
builtins_range = _builtins.range
from ctorch.autograd._node import is_grad_enabled, _set_grad_enabled, Node, AccumulateGrad
from ctorch._core.dispatch import get_num_threads, set_num_threads, _empty_cache, _numpy_blas_threads
from ctorch._core.tensor import Size, strided, from_numpy, _bump_version, is_floating_point, is_complex

include "_defs.pxi"
include "_tensor.pxi"
include "_autograd.pxi"
include "_autograd_hooks.pxi"
include "_linalg.pxi"
include "_nn.pxi"
