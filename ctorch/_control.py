"""Functional control flow: torch.cond, torch.while_loop and torch.vmap
(also torch.func.vmap), with PyTorch's eager semantics and argument errors.

cond and while_loop run their branches and body as ordinary Python calls on
the tensors (what PyTorch's eager mode does; there is no graph capture here).
vmap applies the function to each slice of the inputs along their in_dims,
one call per slice, and stacks the results along out_dims; the slices are
views, so the whole computation differentiates through ctorch's autograd.
Loaded on first use (ctorch._LAZY)."""
import functools

from ctorch._core.tensor import Tensor

__all__ = ["cond", "while_loop", "vmap"]


# ------------------------------------------------------------------ pytrees

def _is_node(x):
    return isinstance(x, (tuple, list, dict))


def _leaves(x):
    if isinstance(x, dict):
        return [leaf for v in x.values() for leaf in _leaves(v)]
    if isinstance(x, (tuple, list)):
        return [leaf for v in x for leaf in _leaves(v)]
    return [x]


def _rebuild(template, leaves):
    """template's structure with its leaves taken, in order, from the iterator."""
    if isinstance(template, dict):
        return type(template)((k, _rebuild(v, leaves)) for k, v in template.items())
    if isinstance(template, tuple) and hasattr(template, "_fields"):
        return type(template)(*(_rebuild(v, leaves) for v in template))
    if isinstance(template, (tuple, list)):
        return type(template)(_rebuild(v, leaves) for v in template)
    return next(leaves)


def _structure(x):
    if isinstance(x, dict):
        return "{" + ", ".join(f"{k!r}: {_structure(v)}" for k, v in x.items()) + "}"
    if isinstance(x, tuple):
        return "(" + ", ".join(_structure(v) for v in x) + ("," if len(x) == 1 else "") + ")"
    if isinstance(x, list):
        return "[" + ", ".join(_structure(v) for v in x) + "]"
    return "*"


class _Mismatch(Exception):
    pass


def _broadcast_prefix(spec, tree):
    """The spec of every leaf of tree: spec is a prefix of tree's structure,
    whose leaves (int or None, or anything else, checked later) apply to the
    whole subtree under them."""
    if isinstance(spec, (tuple, list, dict)):
        if isinstance(spec, dict):
            if not isinstance(tree, dict) or list(spec) != list(tree):
                raise _Mismatch
            return [d for k in spec for d in _broadcast_prefix(spec[k], tree[k])]
        if (type(spec) is not type(tree) and not (isinstance(spec, tuple) and
                                                  isinstance(tree, tuple))) \
                or len(spec) != len(tree):
            raise _Mismatch
        return [d for s, t in zip(spec, tree) for d in _broadcast_prefix(s, t)]
    return [spec] * len(_leaves(tree))


def _fn_name(func):
    return getattr(func, "__name__", repr(func))


# --------------------------------------------------------------------- cond

def cond(pred, true_fn, false_fn, operands=()):
    """true_fn(*operands) if pred else false_fn(*operands). pred is a Python
    bool/number, or a one-element tensor (then the branches must be callables
    and the operands a tuple or list whose leaves are tensors)."""
    if isinstance(pred, (bool, int, float)):
        return true_fn(*operands) if pred else false_fn(*operands)
    if not isinstance(pred, Tensor):
        raise RuntimeError(f"Expected pred to be bool or tensor, but got {pred}.")
    if pred.numel() != 1:
        raise RuntimeError(f"Expected pred to be bool or single-element tensor, but got {pred}.")
    if not callable(true_fn) or not callable(false_fn):
        raise RuntimeError("Expect both branches to be callable.")
    if not isinstance(operands, (tuple, list)) or \
            not all(isinstance(t, Tensor) for t in _leaves(operands)):
        raise RuntimeError("Expect operands to be a tuple of possibly nested dict/list/tuple that "
                           f"only consists of tensor leaves, but got {operands}.")
    return true_fn(*operands) if bool(pred) else false_fn(*operands)


# --------------------------------------------------------------- while_loop

def _check_pred(pred):
    if isinstance(pred, bool):
        return pred
    from ctorch import bool as _bool
    if isinstance(pred, Tensor) and pred.dim() == 0 and pred.dtype is _bool:
        return bool(pred)
    raise RuntimeError(f"cond_fn must return a boolean scalar tensor or a boolean but got {pred}")


def while_loop(cond_fn, body_fn, carried_inputs):
    """Runs carried = body_fn(*carried) while cond_fn(*carried) is true (a
    bool, or a boolean 0-dim tensor); returns the last carried values (copies
    of the inputs when the body never runs). The body returns as many values
    as carried_inputs holds, each tensor of the same shape and dtype."""
    if not callable(cond_fn) or not callable(body_fn):
        raise RuntimeError("Expect cond_fn and body_fn to be callable.")
    if not isinstance(carried_inputs, (tuple, list)):
        raise RuntimeError(f"carried_inputs must be a tuple or list but got "
                           f"{type(carried_inputs)}")
    leaves = _leaves(carried_inputs)
    if not all(isinstance(t, Tensor) or (isinstance(t, int) and not isinstance(t, bool))
               for t in leaves):
        raise RuntimeError("Expect carried_inputs to be a tuple of possibly nested dict/list/tuple "
                           f"that only consists of tensor or int leaves, but got "
                           f"{carried_inputs}.")
    carried = carried_inputs
    if not _check_pred(cond_fn(*carried)):
        return tuple(_rebuild(v, iter([t.clone() if isinstance(t, Tensor) else t
                                       for t in _leaves(v)])) for v in carried)
    while True:
        out = body_fn(*carried)
        if not isinstance(out, (tuple, list)):
            raise RuntimeError(f"body_fn should return a tuple but got {type(out)}")
        if len(out) != len(carried_inputs):
            raise RuntimeError(f"Expected body_fn_output and carried_inputs to have same number "
                               f"of outputs but got {len(out)} and {len(carried_inputs)}")
        before, after = _leaves(carried_inputs), _leaves(out)
        if len(before) != len(after):
            raise RuntimeError(f"body_fn's outputs {_structure(out)} do not have the structure "
                               f"of carried_inputs {_structure(carried_inputs)}")
        for i, (a, b) in enumerate(zip(before, after)):
            if isinstance(a, Tensor) and (not isinstance(b, Tensor) or a.shape != b.shape or
                                          a.dtype is not b.dtype):
                desc = (f"a tensor of shape {list(b.shape)} and dtype {b.dtype}"
                        if isinstance(b, Tensor) else f"{type(b).__name__}")
                raise RuntimeError(f"body_fn's output {i} is {desc}, but the carried input is a "
                                   f"tensor of shape {list(a.shape)} and dtype {a.dtype}")
        carried = out
        if not _check_pred(cond_fn(*carried)):
            return carried


# --------------------------------------------------------------------- vmap

_RANDOMNESS = ("error", "different", "same")


def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """func vectorized over a dimension of its inputs: the returned function
    calls func on each slice of the inputs along in_dims (an int, None for an
    input that is not mapped, or a tuple matching the structure of the
    positional arguments; keyword arguments are never mapped) and stacks the
    results along out_dims. randomness: 'error' (a random op inside raises),
    'different' (each slice draws its own numbers) or 'same' (every slice
    draws the same ones). chunk_size (None or a positive int) bounds how
    many slices PyTorch computes at once; here each slice runs on its own."""

    @functools.wraps(func)
    def wrapped(*args, **kwargs):
        return _vmap_call(func, in_dims, out_dims, randomness, chunk_size, args, kwargs)
    return wrapped


def _flat_in_dims(func, in_dims, args):
    name = _fn_name(func)
    where = f"vmap({name}, in_dims={in_dims}, ...)(<inputs>)"
    try:
        dims = _broadcast_prefix(in_dims, args)
    except _Mismatch:
        raise ValueError(f"{where}: in_dims is not compatible with the structure of `inputs`. "
                         f"in_dims has structure {_structure(in_dims)} but inputs has structure "
                         f"{_structure(args)}.") from None
    leaves = _leaves(args)
    sizes = []
    for i, (x, d) in enumerate(zip(leaves, dims)):
        if d is None:
            continue
        if not isinstance(d, int) or isinstance(d, bool):
            raise ValueError(f"{where}: Got in_dim={d} for an input but in_dim must be either an "
                             f"integer dimension or None.")
        if not isinstance(x, Tensor):
            raise ValueError(f"{where}: Got in_dim={d} for an input but the input is of type "
                             f"{type(x)}. We cannot vmap over non-Tensor arguments, please use "
                             f"None as the respective in_dim")
        n = x.dim()
        if not -n <= d < n:
            raise ValueError(f"{where}: Got in_dim={d} for some input, but that input is a Tensor "
                             f"of dimensionality {n} so expected in_dim to satisfy "
                             f"-{n} <= in_dim < {n}.")
        dims[i] = d + n if d < 0 else d
        sizes.append(x.shape[dims[i]])
    if not sizes:
        raise ValueError("vmap: Expected at least one Tensor to vmap over")
    if any(s != sizes[0] for s in sizes):
        raise ValueError(f"vmap: Expected all tensors to have the same size in the mapped "
                         f"dimension, got sizes {sizes} for the mapped dimension")
    return leaves, dims, sizes[0]


def _vmap_call(func, in_dims, out_dims, randomness, chunk_size, args, kwargs):
    name = _fn_name(func)
    if randomness not in _RANDOMNESS:
        raise RuntimeError(f"Only allowed values for randomness are 'error', 'different', or "
                           f"'same'. Got {randomness}")
    if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size <= 0):
        raise ValueError(f"vmap: chunk_size should be None or greater than 0. (got {chunk_size})")
    if not args:
        raise ValueError(f"vmap({name})(<inputs>): got no inputs. Maybe you forgot to add inputs, "
                         f"or you are trying to vmap over a function with no inputs. The latter "
                         f"is unsupported.")
    if not isinstance(in_dims, (int, tuple)) and in_dims is not None:
        raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): expected `in_dims` to "
                         f"be int or a (potentially nested) tuple matching the structure of "
                         f"inputs, got: {type(in_dims)}.")
    leaves, dims, size = _flat_in_dims(func, in_dims, args)

    probe = size == 0
    if probe:
        # no slice to run: the results' shapes come from one call on zeros
        slices = [[x.new_zeros([s for k, s in enumerate(x.shape) if k != d])
                   if d is not None else x for x, d in zip(leaves, dims)]]
    gen = state = None
    if randomness != "different":
        from ctorch._ops.random import default_generator as gen
        state = gen.get_state()
    # one call per slice (so every chunk_size gives the same results)
    outs = []
    for b in range(max(size, 1)):
        if probe:
            flat = slices[0]
        else:
            flat = [x.select(d, b) if d is not None else x for x, d in zip(leaves, dims)]
        if randomness == "same":
            gen.set_state(state)
        outs.append(func(*_rebuild(args, iter(flat)), **kwargs))
    # a random op in any slice moved the generator on
    if randomness == "error" and gen.get_state().tolist() != state.tolist():
        gen.set_state(state)
        raise RuntimeError("vmap: called random operation while in randomness error mode. Please "
                           "either use the 'same' or 'different' randomness flags on vmap or "
                           "perform the randomness operation out of vmap")
    return _stack_outputs(name, outs, out_dims, probe)


def _stack_outputs(name, outs, out_dims, probe):
    import ctorch
    first = outs[0]
    if not isinstance(out_dims, (int, tuple, list, dict)) and out_dims is not None:
        raise ValueError(f"vmap({name}, ..., out_dims={out_dims}): `out_dims` must be an int, "
                         f"None or a python collection of ints representing where in the outputs "
                         f"the vmapped dimension should appear.")
    try:
        dims = _broadcast_prefix(out_dims, first)
    except _Mismatch:
        raise ValueError(f"vmap({name}, ..., out_dims={out_dims})(<inputs>): out_dims is not "
                         f"compatible with the structure of `outputs`. out_dims has structure "
                         f"{_structure(out_dims)} but outputs has structure "
                         f"{_structure(first)}.") from None
    per_slice = [_leaves(o) for o in outs]
    if any(len(p) != len(per_slice[0]) for p in per_slice):
        raise ValueError(f"vmap({name}, ...): `{name}` must return outputs of the same structure "
                         f"for every slice of its inputs")
    result = []
    for i, d in enumerate(dims):
        vals = [p[i] for p in per_slice]
        if d is None:
            v0 = vals[0]
            same = all(v is v0 or (isinstance(v, Tensor) and isinstance(v0, Tensor) and
                                   v.shape == v0.shape and v.dtype is v0.dtype and
                                   bool(ctorch.equal(v, v0))) or
                       (not isinstance(v, Tensor) and v == v0) for v in vals)
            if not same:
                raise ValueError(f"vmap({name}, ...): `{name}` can not return a BatchedTensor "
                                 f"when out_dim is None")
            result.append(v0)
            continue
        if not all(isinstance(v, Tensor) for v in vals):
            bad = next(v for v in vals if not isinstance(v, Tensor))
            raise ValueError(f"vmap({name}, ...): `{name}` must only return Tensors, got type "
                             f"{type(bad)}. Did you mean to set out_dims= to None for output?")
        if not isinstance(d, int) or isinstance(d, bool):
            raise ValueError(f"vmap({name}, ..., out_dims={d}): `out_dims` must be an int, None "
                             f"or a python collection of ints representing where in the outputs "
                             f"the vmapped dimension should appear.")
        if probe:
            v = vals[0]
            n = v.dim() + 1
            if not -n <= d < n:
                raise IndexError(f"Dimension out of range (expected to be in range of "
                                 f"[{-n}, {n - 1}], but got {d})")
            result.append(v.new_empty([0] + list(v.shape)).movedim(0, d))
        else:
            result.append(ctorch.stack(vals, dim=d))
    return _rebuild(first, iter(result))
