"""Building blocks of the differential fuzzer (tests/test_fuzz.py).

- the hypothesis budget: a small derandomized one by default, raised with
  CTORCH_FUZZ_EXAMPLES (then random unless CTORCH_FUZZ_SEED fixes the seed;
  CTORCH_FUZZ_NO_SHRINK=1 reports failures unshrunk, which is much faster);
- a counter of the ctorch op calls the fuzzer makes (CALLS);
- random layouts: a "recipe" is a contiguous numpy base plus a chain of view
  steps (permute, transpose, stepped / negative-offset slices, integer
  selects, expand, reshape, squeeze) that ends at the wanted shape; the same
  chain applied to numpy gives the values the view must hold, and applied
  to a contiguous float64 leaf it gives gradcheck a strided view to
  differentiate through. The base may also come in through `from_numpy` of
  a strided (non-contiguous) numpy array;
- PyTorch's memory-overlap rules for written-to tensors (out=, in-place).
"""
import os

import numpy as np
from hypothesis import HealthCheck, Phase, settings, strategies as st

import ctorch as torch
from helpers import kind, random_array

# ------------------------------------------------------------------ budget

_ENV_EXAMPLES = os.environ.get("CTORCH_FUZZ_EXAMPLES")
_ENV_SEED = os.environ.get("CTORCH_FUZZ_SEED")
LONG_RUN = _ENV_EXAMPLES is not None


def fuzz_settings(default_examples):
    """Settings for one fuzz test: `default_examples` derandomized examples,
    or CTORCH_FUZZ_EXAMPLES random ones (reproducible with CTORCH_FUZZ_SEED)."""
    n = int(_ENV_EXAMPLES) if LONG_RUN else default_examples
    phases = [Phase.explicit, Phase.reuse, Phase.generate]
    if not os.environ.get("CTORCH_FUZZ_NO_SHRINK"):
        phases.append(Phase.shrink)
    return settings(max_examples=n, deadline=None, database=None, phases=phases,
                    derandomize=not LONG_RUN or _ENV_SEED is not None,
                    suppress_health_check=list(HealthCheck), print_blob=True)


def fuzz_seed():
    """An integer for hypothesis.seed when CTORCH_FUZZ_SEED is set, else None."""
    return int(_ENV_SEED) if _ENV_SEED is not None else None


class _Counter:
    def __init__(self):
        self.n = 0

    def __call__(self, k=1):
        self.n += k


CALLS = _Counter()   # ctorch op calls made by the fuzzer (each form, each out=/in-place try)


def counted(fn, *args, **kw):
    CALLS()
    return fn(*args, **kw)


# ------------------------------------------------------------------ shapes

def shapes(max_dims=4, max_side=4):
    """Shapes with 0..max_dims dims of sizes 0..max_side (0 seldom)."""
    side = st.sampled_from(list(range(1, max_side + 1)) + [0] + list(range(1, max_side + 1)))
    return st.lists(side, min_size=0, max_size=max_dims).map(tuple)


def broadcast_partner(draw, shape, allow_mismatch=True):
    """A shape that broadcasts with `shape` (leading dims dropped, dims set to
    1); sometimes one that does not, to check the error. Returns (shape, ok)."""
    other = [draw(st.sampled_from([d, d, 1])) for d in shape]
    other = other[draw(st.integers(0, len(other))):]
    if draw(st.integers(0, 9)) == 0 and len(other) < 4:
        other = [1] * draw(st.integers(1, 2)) + other     # a partner with more dims
    ok = True
    if allow_mismatch and other and draw(st.integers(0, 19)) == 0:
        i = draw(st.integers(0, len(other) - 1))
        full = list(shape)
        j = i - len(other) + len(full)
        target = full[j] if 0 <= j < len(full) else 1
        bad = {0: 2, 1: 2, 2: 3, 3: 2, 4: 3}[target] if target != 1 else None
        if bad is not None:
            other[i] = bad
            ok = False
    return tuple(other), ok


def broadcast_shape(*shapes_):
    return np.broadcast_shapes(*shapes_)


# ------------------------------------------------------------------ layouts

def _np_step(a, step):
    name, arg = step
    if name == "permute":
        return np.transpose(a, arg)
    if name == "transpose":
        return np.swapaxes(a, *arg)
    if name == "index":
        return a[arg]
    if name == "expand":
        off = len(arg) - a.ndim
        return np.broadcast_to(a, tuple(a.shape[i - off] if n == -1 else n for i, n in enumerate(arg)))
    if name == "reshape":
        return a.reshape(arg)
    if name == "squeeze":
        return np.squeeze(a, arg)
    if name == "unsqueeze":
        return np.expand_dims(a, arg)
    raise ValueError(name)


def _c(a):
    """A C-contiguous copy that keeps 0-d arrays 0-d."""
    return np.array(a, order="C", copy=True)


def _t_step(t, step):
    name, arg = step
    if name == "permute":
        return t.permute(*arg) if len(arg) != 2 or arg != (1, 0) else t.t()
    if name == "transpose":
        return t.transpose(*arg)
    if name == "index":
        return t[arg]
    if name == "expand":
        return t.expand(*arg)
    if name == "reshape":
        return t.view(arg) if t.is_contiguous() else t.reshape(arg)
    if name == "squeeze":
        return t.squeeze(arg)
    if name == "unsqueeze":
        return t.unsqueeze(arg)
    raise ValueError(name)


class Recipe:
    """base: the innermost numpy array; numpy_base: it comes in through
    from_numpy of this strided numpy view rather than torch.tensor of a copy;
    steps: the view chain."""

    def __init__(self, base, steps, numpy_view=None):
        self.base = base
        self.steps = steps
        self.numpy_view = numpy_view     # (big, index) -> from_numpy(big[index])

    def values(self):
        a = self.base
        for s in self.steps:
            a = _np_step(a, s)
        return np.array(a)   # a copy: the expected values, taken before any write

    def tensor(self):
        if self.numpy_view is not None:
            big, idx = self.numpy_view
            arr = big[tuple(idx) + (Ellipsis,)]
            t = torch.from_numpy(arr)   # holds the only reference to `big` from here on
        else:
            t = torch.tensor(self.base)
        return self.apply(t)

    def apply(self, t):
        for s in self.steps:
            t = _t_step(t, s)
        return t

    def describe(self):
        src = "from_numpy(strided)" if self.numpy_view is not None else "tensor"
        return f"{src}{tuple(self.base.shape)} -> " + " -> ".join(f"{n}{a}" for n, a in self.steps)

    def leaf_numel(self):
        return self.base.size


LAYOUT_KINDS = ("contiguous", "transposed", "stepped", "negative_offset", "selected", "expanded",
                "from_numpy", "reshaped", "unsqueezed")


def build_recipe(draw, a, fill, depth=0, expand=True, kinds=LAYOUT_KINDS):
    """A recipe whose view has a's shape and (apart from `expanded`, which
    repeats values) a's values. fill(shape) makes filler arrays."""
    a = np.asarray(a)
    shape = a.shape
    nd = len(shape)
    choices = [k for k in kinds if (expand or k != "expanded")]
    if depth >= 3:
        choices = ["contiguous", "from_numpy"]
    k = draw(st.sampled_from(choices))
    if k == "contiguous" or (k == "transposed" and nd < 2):
        return Recipe(_c(a), [])
    if k == "transposed":
        if draw(st.booleans()):
            i, j = draw(st.permutations(range(nd)))[:2]
            inner = build_recipe(draw, _c(np.swapaxes(a, i, j)), fill, depth + 1, expand, kinds)
            inner.steps.append(("transpose", (i, j)))
            return inner
        q = tuple(draw(st.permutations(range(nd))))
        inv = tuple(int(x) for x in np.argsort(q))
        inner = build_recipe(draw, _c(np.transpose(a, q)), fill, depth + 1, expand, kinds)
        inner.steps.append(("permute", inv))
        return inner
    if k in ("stepped", "negative_offset", "from_numpy"):
        big_shape, idx = [], []
        for n in shape:
            if k == "negative_offset":
                k1, k2 = draw(st.integers(0, 2)), draw(st.integers(0, 2))
                big_shape.append(k1 + n + k2)
                if n + k2 == 0:
                    idx.append(slice(k1, k1))
                else:
                    idx.append(slice(-(n + k2), -k2 if k2 else None))
            else:
                s, off = draw(st.integers(1, 3)), draw(st.integers(0, 2))
                length = off + n * s + draw(st.integers(0, 1))
                big_shape.append(length)
                open_end = n > 0 and -(-(length - off) // s) == n
                idx.append(slice(off, None, s) if open_end and draw(st.booleans()) else slice(off, off + n * s, s))
        idx = tuple(idx)
        big = fill(tuple(big_shape))
        big[idx] = a
        assert big[idx].shape == shape, (big.shape, idx, shape)
        if k == "from_numpy":
            if nd >= 2 and draw(st.booleans()):
                q = tuple(draw(st.permutations(range(nd))))
                inv = tuple(int(x) for x in np.argsort(q))
                bigT = _c(np.transpose(big, q))
                idxT = tuple(idx[j] for j in q)
                r = Recipe(_c(bigT[idxT]), [("permute", inv)], numpy_view=(bigT, idxT))
                return r
            return Recipe(_c(big[idx]), [], numpy_view=(big, idx))
        inner = build_recipe(draw, big, fill, depth + 1, expand, kinds)
        inner.steps.append(("index", idx))
        return inner
    if k == "selected":
        pos = draw(st.integers(0, nd))
        m = draw(st.integers(1, 3))
        j = draw(st.integers(0, m - 1))
        big = fill(shape[:pos] + (m,) + shape[pos:])
        sel = (slice(None),) * pos + (j,)
        big[sel] = a
        jj = j - m if draw(st.booleans()) else j        # negative integer index
        inner = build_recipe(draw, big, fill, depth + 1, expand, kinds)
        inner.steps.append(("index", (slice(None),) * pos + (jj,)))
        return inner
    if k == "expanded":
        lead = draw(st.integers(0, nd))
        small_shape = []
        sl = []
        for d in range(lead, nd):
            if draw(st.booleans()):
                small_shape.append(1)
                sl.append(slice(0, 1))
            else:
                small_shape.append(shape[d])
                sl.append(slice(None))
        sub = a[(0,) * lead + tuple(sl)] if all(shape[d] > 0 for d in range(lead)) and \
            all(s.stop != 1 or shape[lead + i] > 0 for i, s in enumerate(sl)) else fill(tuple(small_shape))
        sub = _c(np.asarray(sub).reshape(small_shape))
        inner = build_recipe(draw, sub, fill, depth + 1, expand, kinds)
        target = tuple(shape[d] if (d < lead or small_shape[d - lead] == 1) or not draw(st.booleans()) else -1
                       for d in range(nd))
        inner.steps.append(("expand", target))
        return inner
    if k == "reshaped":
        inner = build_recipe(draw, _c(a).reshape(-1), fill, depth + 1, expand, kinds)
        inner.steps.append(("reshape", tuple(shape)))
        return inner
    if k == "unsqueezed":
        pos = draw(st.integers(0, nd))
        inner = build_recipe(draw, np.expand_dims(a, pos), fill, depth + 1, expand, kinds)
        inner.steps.append(("squeeze", pos))
        return inner
    raise ValueError(k)


def layout(draw, a, fill, expand=True):
    """(ctorch tensor, numpy values, recipe) for values a in a random layout."""
    r = build_recipe(draw, a, fill, expand=expand)
    return r.tensor(), r.values(), r


# ------------------------------------------------------------------ memory overlap

def _dense(t):
    """PyTorch's is_non_overlapping_and_dense."""
    sizes, strides = tuple(t.shape), tuple(t.stride())
    dims = sorted((st_, sz) for sz, st_ in zip(sizes, strides) if sz != 1)
    need = 1
    for st_, sz in dims:
        if st_ != need:
            return False
        need *= sz
    return True


def internal_overlap(t):
    """True where PyTorch refuses t as a written-to tensor (a repeated element)."""
    return any(st_ == 0 and sz > 1 for sz, st_ in zip(t.shape, t.stride()))


def _span(t):
    """[first byte, one past the last byte] of the elements t can reach."""
    lo = t.data_ptr()
    hi = lo + sum((sz - 1) * st_ for sz, st_ in zip(t.shape, t.stride()) if sz > 0) * t.element_size()
    return lo, hi + t.element_size()


def overlap_status(a, b):
    """'full' | 'partial' | 'none' | 'too_hard' | 'either', as PyTorch decides it for a
    written-to tensor a and an input b."""
    if a is b:
        return "full"
    if a.numel() == 0 or b.numel() == 0:
        return "none"
    if not _dense(a) or not _dense(b):
        # PyTorch does not look further; the result depends on the order of writes
        return "too_hard" if _ranges_meet(a, b) else "none"
    a0, a1 = a.data_ptr(), a.data_ptr() + a.numel() * a.element_size()
    b0, b1 = b.data_ptr(), b.data_ptr() + b.numel() * b.element_size()
    if a0 == b0 and a1 == b1:
        if tuple(a.stride()) == tuple(b.stride()):
            return "full"
        if tuple(a.shape) == tuple(b.shape) and all(sa == sb for sa, sb, n in zip(a.stride(), b.stride(), a.shape)
                                                    if n != 1):
            return "either"   # PyTorch calls it partial (it compares all strides); the same elements
        return "partial"
    if a0 < b1 and b0 < a1:
        return "partial"
    return "none"


def _ranges_meet(a, b):
    a0, a1 = _span(a)
    b0, b1 = _span(b)
    return a0 < b1 and b0 < a1


# ------------------------------------------------------------------ values

SPECIAL_FLOATS = np.array([np.nan, np.inf, -np.inf, -0.0, 0.0, 1.0, -1.0, 0.5, 1e30, -1e-30])


def with_specials(draw, a):
    """Some entries of a float array replaced by nan / inf / -0.0 / huge / tiny."""
    if a.size == 0 or kind(a.dtype.name) != 2:
        return a
    a = a.copy()
    flat = a.reshape(-1)
    for _ in range(draw(st.integers(1, 3))):
        flat[draw(st.integers(0, a.size - 1))] = SPECIAL_FLOATS[draw(st.integers(0, len(SPECIAL_FLOATS) - 1))]
    return a


def filler(dtype, domain, rng):
    return lambda shape: np.asarray(random_array(shape, dtype, domain, rng))
