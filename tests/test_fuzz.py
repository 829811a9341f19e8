"""Differential fuzzing of ctorch against numpy, driven by the op tables.

Every example draws an op from a table (tests/op_db*.py), shapes (0-size and
0-d included), dtypes, layouts (transposed, stepped and negative-offset
slices, integer selects, expanded, reshaped, `from_numpy` of strided arrays,
views of views), broadcasting partners, python-scalar partners and a call
form (function, method, operator, out= incl. out= aliasing an input,
in-place), and checks that ctorch gives either the error PyTorch gives or
the right answer: values against numpy, gradients against finite
differences (gradcheck in float64).

The default budget is small and derandomized; for a long run set
CTORCH_FUZZ_EXAMPLES (examples per test) and optionally CTORCH_FUZZ_SEED,
or run `python tests/fuzz_long.py` which also prints the number of ctorch
calls made.

KNOWN_BUGS lists the bugs the fuzzer has found and still steps around
(an op name, a condition name checked where the case is built, and what
goes wrong); once a bug is fixed, delete its entry.
"""
import operator as pyop
import warnings

import numpy as np
import pytest
from hypothesis import given, seed as hyp_seed, strategies as st

import ctorch as torch
import fuzz_support as fs
from fuzz_support import CALLS, counted
from helpers import (DTYPE_NAMES, assert_close, can_cast, compute_dtype, kind, name_of,
                     op_result_dtype, operand_desc, random_array, result_type, tdt)
from op_db import Domain, op_db
from op_db_reductions import OPS as REDUCTIONS
from op_db_sort import OPS as SORTS

# --------------------------------------------------------------- known bugs

KNOWN_BUGS = [
    # (op, condition, what goes wrong): kept empty; an entry lets the fuzzer
    # step around a reported bug until it is fixed
]


def known(op, condition):
    return any(o == op and c == condition for o, c, _ in KNOWN_BUGS)


def fuzz_test(default_examples):
    """A hypothesis test drawing from st.data(): `default_examples` derandomized
    examples, or the long-run budget and seed (fuzz_support)."""
    def wrap(f):
        f = fs.fuzz_settings(default_examples)(given(data=st.data())(f))
        s = fs.fuzz_seed()
        return hyp_seed(s)(f) if s is not None else f
    return wrap


def to_np(t):
    """t's values as numpy (a copy)."""
    return np.array(t.numpy())



def same_values(t, a, msg):
    """t (ctorch) holds exactly a (numpy), nan == nan."""
    got = to_np(t)
    assert got.shape == a.shape, msg
    np.testing.assert_array_equal(got, a, err_msg=msg)


class Expect:
    """What PyTorch does: raise one of `errors`, or give a value."""

    def __init__(self):
        self.errors = None
        self.optional = False    # a RuntimeError is fine too
        self.why = []

    def fail(self, why, errors=(RuntimeError,)):
        if self.errors is None:
            self.errors = tuple(errors)
        self.why.append(why)


def run_expecting(expect, call, msg):
    """Calls call(); returns (result, the error raised or None) after checking an expected error."""
    try:
        r = call()
    except Exception as e:   # noqa: BLE001 - the type is what is checked
        if expect.optional and isinstance(e, RuntimeError):
            return None, e
        if expect.errors is None:
            raise AssertionError(f"{msg}: unexpected {type(e).__name__}: {e}") from e
        assert isinstance(e, expect.errors), f"{msg}: raised {type(e).__name__} ({e}), expected {expect.errors}"
        return None, e
    assert expect.errors is None, f"{msg}: no error, expected {expect.errors} because {expect.why}"
    return r, None


# --------------------------------------------------------------- elementwise

OPERATORS = {"+": pyop.add, "-": pyop.sub, "*": pyop.mul, "/": pyop.truediv, "//": pyop.floordiv,
             "%": pyop.mod, "**": pyop.pow, "==": pyop.eq, "!=": pyop.ne, "<": pyop.lt,
             "<=": pyop.le, ">": pyop.gt, ">=": pyop.ge, "&": pyop.and_, "|": pyop.or_,
             "^": pyop.xor, "<<": pyop.lshift, ">>": pyop.rshift}
UNARY_OPERATORS = {"-": pyop.neg, "~": pyop.invert}
INPLACE_OPERATORS = {"+": pyop.iadd, "-": pyop.isub, "*": pyop.imul, "/": pyop.itruediv,
                     "//": pyop.ifloordiv, "%": pyop.imod, "**": pyop.ipow, "&": pyop.iand,
                     "|": pyop.ior, "^": pyop.ixor, "<<": pyop.ilshift, ">>": pyop.irshift}

# operand roles where not every operand is promoted data
ROLES = {"where": ("cond", "data", "data"), "lerp": ("data", "data", "weight")}
# ops whose tensor operands must share one dtype (no promotion)
NO_PROMOTION = {"lerp", "heaviside"}
# PyTorch's out= dtype rule for these ops: the result dtype exactly, not
# anything it can be cast to ("abs" of complex: any float, or the input dtype)
OUT_DTYPE_EXACT = {"neg", "abs", "sign", "floor", "ceil", "round", "trunc", "frac", "bitwise_not",
                   "nan_to_num", "clamp", "where", "lerp"}
INTS = ("uint8", "int8", "int16", "int32", "int64")
# python operators that refuse a dtype with another exception than the op's RuntimeError
OPERATOR_REFUSAL = {"~": TypeError}
# in-place ops PyTorch leaves as no-ops (no overlap check) on bool / integer tensors
NO_WRITE_FOR_INTEGRAL = {"nan_to_num"}
# the python-scalar partners of an op the table gives none for
LERP_WEIGHTS = (0.25, 0.75, 0.5)


def out_dtype_ok(op, res, out_dt, in_dt, operands):
    if op.name == "lerp" and not isinstance(operands[2], torch.Tensor):
        return can_cast(res, out_dt)     # a python-scalar weight: the usual rule
    if op.name in OUT_DTYPE_EXACT:
        if op.name == "abs" and kind(in_dt) == 3:
            return kind(out_dt) == 2 or out_dt == in_dt
        return out_dt == res
    return can_cast(res, out_dt)


def _roles(op):
    return ROLES.get(op.name, ("data",) * op.arity)


def _tol(op, *dtypes):
    tols = [op.tolerance(d) for d in dtypes if kind(d) >= 2]
    return (max(t[0] for t in tols), max(t[1] for t in tols)) if tols else (0, 0)


def _forms(op):
    forms = ["func"]
    if op.method:
        forms.append("method")
    if op.operator and (op.arity == 2 or op.operator in UNARY_OPERATORS):
        forms.append("operator")
    if op.supports_out:
        forms += ["out", "out"]
    if op.inplace and op.method:
        forms += ["inplace", "inplace"]
    if op.arity == 2 and op.scalars:
        forms.append("scalar")
        if op.operator:
            forms.append("reflected")
    if op.name == "lerp":
        forms.append("scalar")
    return forms


@st.composite
def _dtype_for(draw, op):
    if draw(st.integers(0, 9)) < 8:
        return draw(st.sampled_from(op.dtypes))
    return draw(st.sampled_from(DTYPE_NAMES))


def _values(draw, shape, dtype, domain, rng, specials):
    a = np.asarray(random_array(shape, dtype, domain, rng))
    if specials and draw(st.integers(0, 4)) == 0:
        a = fs.with_specials(draw, a)
    return a


def _layout_of(draw, a, dtype, domain, rng, expand=True):
    return fs.layout(draw, a, fs.filler(dtype, domain, rng), expand=expand)


def _expected_value(op, arrays, comp):
    with np.errstate(all="ignore"):
        conv = [np.asarray(a).astype(comp) for a in arrays]
        return np.asarray(op.ref(*conv))


def _elementwise_case(draw, op):
    """Builds one call of op: returns a dict describing it."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    roles = _roles(op)
    form = draw(st.sampled_from(_forms(op)))
    d0 = draw(_dtype_for(op))
    R = draw(fs.shapes())
    scalar_pos = {"scalar": op.arity - 1, "reflected": 0}.get(form)
    ok_bcast = True
    shapes_ = []
    for i, role in enumerate(roles):
        if i == scalar_pos:
            shapes_.append(())
            continue
        if i == 0 and (form in ("inplace", "out") or draw(st.booleans())):
            shapes_.append(R)
            continue
        s, ok = fs.broadcast_partner(draw, R)
        ok_bcast &= ok
        shapes_.append(s)
    if form == "inplace" and op.arity > 1 and draw(st.integers(0, 14)) == 0:
        # self smaller than the broadcast shape: PyTorch refuses
        shapes_[0] = fs.broadcast_partner(draw, R, allow_mismatch=False)[0]
    try:
        np.broadcast_shapes(*[s_ for i, s_ in enumerate(shapes_) if i != scalar_pos])
        ok_bcast = True
    except ValueError:
        ok_bcast = False
    dtypes = []
    for i, role in enumerate(roles):
        if role == "cond":
            dtypes.append("bool" if draw(st.integers(0, 19)) else draw(st.sampled_from(["float32", "int64"])))
        elif i == 0 or draw(st.integers(0, 3)):
            dtypes.append(d0)
        else:
            dtypes.append(draw(st.sampled_from(DTYPE_NAMES)))
    if op.name in NO_PROMOTION and draw(st.integers(0, 4)):
        dtypes = [d0] * len(dtypes)
    operands, arrays, recipes = [], [], []
    for i, role in enumerate(roles):
        if i == scalar_pos:
            if op.name == "lerp":
                s = draw(st.sampled_from(LERP_WEIGHTS))
            else:
                s = draw(st.sampled_from(op.scalars))
            operands.append(s)
            arrays.append(np.asarray(s))
            recipes.append(None)
            continue
        dom = op.domains[i] if role != "cond" else Domain()
        if form == "reflected":
            dom = op.domains[1]
        if role == "cond":
            a = rng.integers(0, 2, size=shapes_[i]).astype(dtypes[i])
        else:
            # the table vouches for its references on special values for unary and binary ops, in
            # float32 / float64
            a = _values(draw, shapes_[i], dtypes[i], dom, rng, op.specials and op.arity <= 2 and dtypes[i] in ("float32", "float64"))
        t, v, r = _layout_of(draw, a, dtypes[i], dom, rng)
        operands.append(t)
        arrays.append(v)
        recipes.append(r)
    return dict(form=form, operands=operands, arrays=arrays, recipes=recipes, shapes=shapes_,
                dtypes=dtypes, ok_bcast=ok_bcast, rng=rng, scalar_pos=scalar_pos)


def _promotion(op, case, expect):
    """(promoted dtype, result dtype, compute dtype) or None when the op must raise."""
    roles = _roles(op)
    data = [o for o, role in zip(case["operands"], roles) if role != "cond"]
    tensors = [o for o in data if isinstance(o, torch.Tensor)]
    if "cond" in roles and name_of(case["operands"][0].dtype) not in ("bool", "uint8"):
        expect.fail("where condition is not bool")
    if op.name in NO_PROMOTION:
        if len({name_of(t.dtype) for t in tensors[:2]}) > 1 or (
                len(tensors) == 3 and name_of(tensors[2].dtype) != name_of(tensors[0].dtype)):
            expect.fail("lerp operands of different dtypes")
        promoted = name_of(tensors[0].dtype)
    else:
        promoted = result_type(*[operand_desc(o) for o in data])
    if promoted not in op.dtypes:
        expect.fail(f"dtype {promoted} not accepted")
    if op.func == "sub" and any((isinstance(o, torch.Tensor) and name_of(o.dtype) == "bool") or isinstance(o, bool)
                                for o in data):
        expect.fail("sub with a bool operand")
    if op.func == "addcdiv" and all(kind(name_of(t.dtype)) <= 1 for t in tensors[1:3]):
        expect.fail("addcdiv of two integer tensors")
    if not case["ok_bcast"]:
        expect.fail("shapes do not broadcast")
    res = op_result_dtype(op.result, promoted)
    return promoted, res, compute_dtype(op.result, promoted)


def _call(op, form, operands, out=None):
    if form in ("func", "scalar", "out"):
        kw = dict(op.kwargs)
        if out is not None:
            kw["out"] = out
        return _pick(op, counted(op.function(torch), *operands, **kw))
    if form == "method":
        return _pick(op, counted(getattr(operands[0], op.method), *operands[1:], **op.kwargs))
    if form in ("operator", "reflected"):
        if op.arity == 1:
            return counted(UNARY_OPERATORS[op.operator], operands[0])
        return counted(OPERATORS[op.operator], *operands)
    raise ValueError(form)


def _pick(op, r):
    """The result an op's row checks (one item of a tuple result)."""
    return r if op.output is None else r[op.output]


def _check_inputs_untouched(case, written, msg):
    for t, a in zip(case["operands"], case["arrays"]):
        if isinstance(t, torch.Tensor) and t is not written and (
                written is None or fs.overlap_status(written, t) == "none"):
            same_values(t, a, f"{msg}: an input was modified")


def _describe(op, case, extra=""):
    parts = []
    for o, r, d in zip(case["operands"], case["recipes"], case["dtypes"]):
        parts.append(repr(o) if r is None else f"{d}{tuple(o.shape)} [{r.describe()}]")
    return f"{op.name} form={case['form']} kwargs={op.kwargs} operands=({'; '.join(parts)}){extra}"


def fuzz_elementwise_once(draw, op):
    case = _elementwise_case(draw, op)
    form = case["form"]
    expect = Expect()
    promoted, res, comp = _promotion(op, case, expect)
    if any(isinstance(o, complex) for o in case["operands"]) and "float16" in case["dtypes"]:
        return   # the result would be complex32, a dtype ctorch does not have
    if (case["scalar_pos"] is not None and op.arity == 2 and case["operands"][1 - case["scalar_pos"]].dim() == 0
            and known(op.name, "zero_dim_tensor_with_scalar")):
        return
    shape = tuple(np.broadcast_shapes(*[np.shape(a) for a in case["arrays"]])) if case["ok_bcast"] else None
    exp = _expected_value(op, case["arrays"], comp) if expect.errors is None else None
    msg = _describe(op, case)

    if form == "inplace":
        _fuzz_inplace(draw, op, case, expect, res, exp, shape, msg)
        return
    if form == "out":
        _fuzz_out(draw, op, case, expect, res, exp, shape, msg)
        return
    if form == "operator" and op.arity == 1 and expect.errors is not None and op.operator in OPERATOR_REFUSAL:
        expect.errors = (OPERATOR_REFUSAL[op.operator],)
    r, raised = run_expecting(expect, lambda: _call(op, form, case["operands"]), msg)
    if not raised:
        assert_close(r, exp, res, _tol(op, res), msg)
    _check_inputs_untouched(case, None, msg)


def _fuzz_inplace(draw, op, case, expect, res, exp, shape, msg):
    self_t = case["operands"][0]
    self_dt = name_of(self_t.dtype)
    others = case["operands"][1:]
    alias = None
    if (others and isinstance(others[0], torch.Tensor) and op.domains[0] == op.domains[1]
            and draw(st.integers(0, 3)) == 0):
        # the other operand is self itself, or a view of it
        alias = draw(st.sampled_from(["self", "view"]))
        if alias == "self" or self_t.dim() == 0:
            o = self_t
        else:
            o = self_t[(Ellipsis,)]
        others = [o] + list(others[1:])
        case = dict(case, operands=[self_t] + others, arrays=[case["arrays"][0]] * 2 + case["arrays"][2:],
                    dtypes=[self_dt, self_dt] + case["dtypes"][2:])
        try:
            shape = tuple(np.broadcast_shapes(*[np.shape(a) for a in case["arrays"]]))
            case["ok_bcast"] = True
        except ValueError:
            shape, case["ok_bcast"] = None, False
        expect = Expect()
        promoted, res, comp = _promotion(op, case, expect)
        exp = _expected_value(op, case["arrays"], comp) if expect.errors is None else None
        msg += f" [other operand = {alias} of self]"
    if expect.errors is None:
        if not can_cast(res, self_dt):
            expect.fail(f"result {res} can't be cast to self {self_dt}")
        if tuple(self_t.shape) != shape:
            expect.fail("broadcast shape differs from self's")
        if fs.internal_overlap(self_t) and not (op.name in NO_WRITE_FOR_INTEGRAL and kind(self_dt) <= 1):
            expect.fail("self has a repeated element")
        for o in others:
            if isinstance(o, torch.Tensor) and fs.overlap_status(self_t, o) == "partial":
                expect.fail("an operand partly overlaps self")
    racy = any(isinstance(o, torch.Tensor) and fs.overlap_status(self_t, o) == "too_hard" for o in others)
    before = to_np(self_t)
    use_op = op.operator in INPLACE_OPERATORS and op.arity == 2 and not op.kwargs and draw(st.booleans())
    if use_op:
        call = lambda: counted(INPLACE_OPERATORS[op.operator], self_t, *others)   # noqa: E731
    else:
        call = lambda: counted(getattr(self_t, op.method + "_"), *others, **op.kwargs)   # noqa: E731
    r, raised = run_expecting(expect, call, msg + " (in place)")
    if raised:
        same_values(self_t, before, msg + ": self changed by a refused in-place op")
        return
    assert r is self_t, msg + ": in-place op did not return self"
    if not racy:
        assert_close(self_t, exp, self_dt, _tol(op, res, self_dt), msg + " (in place)")


def _fuzz_out(draw, op, case, expect, res, exp, shape, msg):
    rng = case["rng"]
    operands = case["operands"]
    in_dt = case["dtypes"][0]
    mode = draw(st.sampled_from(["fresh", "fresh", "layout", "alias", "wrong_shape", "empty"]))
    warn = False
    if mode == "alias" and shape is not None:
        cands = [o for o in operands if isinstance(o, torch.Tensor) and tuple(o.shape) == shape]
        cands += [o.transpose(0, 1) for o in cands if o.dim() >= 2 and o.shape[0] == o.shape[1]]
        cands += [o[(Ellipsis,)] for o in cands if o.dim() > 0]
        if not cands:
            mode = "fresh"
        else:
            out = draw(st.sampled_from(cands))
    elif mode == "alias":
        mode = "fresh"
    out_dt = draw(st.sampled_from([res, res, draw(st.sampled_from(DTYPE_NAMES))]))
    if mode == "alias":
        out_dt = name_of(out.dtype)
        msg += f" [out= aliases an input: {tuple(out.shape)} stride {tuple(out.stride())}]"
    elif mode == "layout" and shape is not None:
        a = np.asarray(random_array(shape, out_dt, Domain(), rng))
        out, _, r = _layout_of(draw, a, out_dt, Domain(), rng)
        msg += f" [out= {out_dt} {r.describe()}]"
    elif mode == "wrong_shape":
        s = draw(fs.shapes(max_dims=2))
        out = torch.zeros(s, dtype=tdt(out_dt))
        warn = shape is not None and s != shape and out.numel() > 0
        msg += f" [out= fresh {out_dt}{s}]"
    elif mode == "empty":
        out = torch.empty(0, dtype=tdt(out_dt))
        msg += f" [out= empty {out_dt}]"
    else:
        out = torch.zeros(shape if shape is not None else (2,), dtype=tdt(out_dt))
        msg += f" [out= fresh {out_dt}]"
    racy = racy_ok = False
    if expect.errors is None:
        if not out_dtype_ok(op, res, out_dt, in_dt, operands):
            expect.fail(f"result {res} can't be written to out {out_dt}")
        integral_copy = op.name in NO_WRITE_FOR_INTEGRAL and kind(in_dt) <= 1
        if tuple(out.shape) == shape and fs.internal_overlap(out):
            if integral_copy and out is operands[0]:
                pass    # PyTorch copies the input onto itself: nothing to refuse
            elif integral_copy and known(op.name, "expanded_out_integral"):
                return
            else:
                expect.fail("out has a repeated element")
        for o in operands:
            if isinstance(o, torch.Tensor):
                st_ = fs.overlap_status(out, o)
                if st_ == "either":
                    racy_ok = True   # PyTorch compares the strides of size-1 dims too: either is fine
                if st_ == "partial" and tuple(out.shape) == shape:
                    expect.fail("out partly overlaps an input")
                racy |= st_ == "too_hard"
        if out_dt != res and (known(op.name, "out_dtype_not_exact") or known(op.name, "out_dtype_differs")):
            return
        if (out_dt != res or shape is None) and known(op.name, "refused_out_resized"):
            return
        if tuple(out.shape) != shape and in_dt in ("bool",) + INTS and known(op.name, "out_resize_integral"):
            return
    if racy_ok and expect.errors is None:
        expect.optional = True
    before = to_np(out)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r, raised = run_expecting(expect, lambda: _call(op, "out", operands, out=out), msg)
    if raised is not None:
        # PyTorch resizes out= before it finds that no kernel takes the dtype
        if not expect.optional and not isinstance(raised, NotImplementedError):
            same_values(out, before, msg + ": out changed by a refused call")
        return
    assert r is out, msg + ": out= call did not return out"
    if warn:
        assert any("resized" in str(w.message) for w in caught), msg + ": no warning about resizing out"
    if not racy:
        assert_close(out, exp, out_dt, _tol(op, res, out_dt), msg)
    _check_inputs_untouched(case, out, msg)


ELEMENTWISE = [pytest.param(op, id=op.name) for op in op_db]


@pytest.mark.parametrize("op", ELEMENTWISE)
@fuzz_test(25)
def test_fuzz_elementwise(op, data):
    fuzz_elementwise_once(data.draw, op)


# --------------------------------------------------------------- reductions

RED_TOL = {"float16": (2e-3, 2e-3), "float32": (2e-5, 2e-5), "float64": (1e-10, 1e-10),
           "complex64": (2e-5, 2e-5), "complex128": (1e-10, 1e-10)}
# where the numpy reference refuses an empty input but PyTorch answers
EMPTY_ANSWERS = {"softmax": lambda a, **kw: a.copy(), "softmax_dtype": lambda a, **kw: a.astype(np.float64),
                 "log_softmax": lambda a, **kw: a.copy(),
                 "median": lambda a, **kw: np.array(np.nan, dtype=a.dtype) if a.dtype.kind == "f" else None}


def _red_space(info):
    """The keyword arguments the table's samples use, with the values they take."""
    space = {}
    for _, kw in info.samples:
        for k, v in kw.items():
            space.setdefault(k, []).append(v)
    needs_dim = all("dim" in kw for _, kw in info.samples)
    return space, needs_dim


def _red_array(draw, shape, dtype, rng, nan):
    if dtype == "bool":
        a = rng.integers(0, 2, size=shape).astype(bool)
    elif kind(dtype) == 1:
        a = rng.integers(0 if dtype == "uint8" else -4, 5, size=shape).astype(dtype)
    elif kind(dtype) == 3:
        a = (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)
    else:
        a = rng.standard_normal(shape).astype(dtype)
        if nan and a.size and draw(st.integers(0, 3)) == 0:
            a.reshape(-1)[draw(st.integers(0, a.size - 1))] = np.nan
    return np.asarray(a)


def _draw_dim(draw, nd, space, needs_dim):
    kw = {}
    if "dim" in space and (needs_dim or draw(st.booleans())):
        tuples = [d for d in space["dim"] if isinstance(d, tuple)]
        if tuples and nd > 0 and draw(st.booleans()):
            dims = draw(st.lists(st.integers(0, nd - 1), unique=True, max_size=nd,
                                 min_size=0 if () in tuples else 1))
            kw["dim"] = tuple(d - nd if draw(st.booleans()) else d for d in dims)
        else:
            n = max(nd, 1)
            kw["dim"] = draw(st.integers(-n, n - 1))
    return kw


def _red_ref(info, a, kw):
    """(expected array or None, error expected)"""
    wide = a.astype(np.float32) if a.dtype == np.float16 else a
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = info.ref(wide, **kw)
    except (ValueError, IndexError):
        if a.size == 0 and info.name in EMPTY_ANSWERS:
            return EMPTY_ANSWERS[info.name](a, **kw), False
        return None, True
    return r, False


def _check_pair(info, r, exp, a, kw, res, tol, msg):
    assert isinstance(r, tuple) and len(r) == 2, msg
    vals, idx = r
    assert_close(vals, exp, res, tol, msg + " (values)")
    assert name_of(idx.dtype) == "int64", msg
    i = to_np(idx)
    if info.ref_indices is not None:
        np.testing.assert_array_equal(i, info.ref_indices(a, **kw), err_msg=msg + " (indices)")
    if a.ndim and a.size:
        dim = kw["dim"] % a.ndim
        ii = i if kw.get("keepdim") else np.expand_dims(i, dim)
        picked = np.take_along_axis(a, ii, axis=dim)
        v = to_np(vals) if kw.get("keepdim") else np.expand_dims(to_np(vals), dim)
        np.testing.assert_array_equal(picked, v, err_msg=msg + " (indices point at the values)")


def fuzz_reduction_once(draw, info):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    dtype = draw(st.sampled_from(tuple(info.dtypes) * 4 + tuple(info.refused)))
    shape = draw(fs.shapes(max_dims=3))
    if shape == () and not any(s == () for s, _ in info.samples):
        shape = (1,)     # the table's samples (and maybe its reference) have no 0-d input
    if 0 in shape and not any(0 in s for s, _ in info.samples):
        shape = tuple(n or 1 for n in shape)
    space, needs_dim = _red_space(info)
    kw = _draw_dim(draw, len(shape), space, needs_dim)
    if "keepdim" in space and "dim" in kw:
        kw["keepdim"] = draw(st.booleans())
    extra = [k for k in space if k not in ("dim", "keepdim")]
    if extra:
        k = draw(st.sampled_from(extra + [None]))
        if k is not None:
            kw[k] = draw(st.sampled_from(space[k]))
    a = _red_array(draw, shape, dtype, rng, info.nan_samples and kind(dtype) == 2)
    t, v, recipe = fs.layout(draw, a, lambda s: _red_array(draw, s, dtype, rng, False))
    msg = f"{info.name}({dtype}{shape} [{recipe.describe()}], **{kw})"
    expect = Expect()
    exp = None
    if dtype in info.refused:
        expect.fail("refused dtype", (info.refused_exc,))
    else:
        exp, err = _red_ref(info, v, kw)
        if err:
            expect.fail("the reduction has no identity / the dim is empty", (IndexError, RuntimeError))
        elif exp is None:
            return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r, raised = run_expecting(expect, lambda: counted(info.op, t, **kw), msg)
    if raised:
        return
    res = info.res_dtype(dtype)
    tol = (info.tol or {}).get(res, RED_TOL.get(res, (0, 0)))
    if info.indices:
        _check_pair(info, r, np.asarray(exp), v, kw, res, tol, msg)
    else:
        assert_close(r, np.asarray(exp), res, tol, msg)
    same_values(t, v, msg + ": the input was modified")


@pytest.mark.parametrize("info", [pytest.param(i, id=i.name) for i in REDUCTIONS])
@fuzz_test(20)
def test_fuzz_reductions(info, data):
    fuzz_reduction_once(data.draw, info)


# --------------------------------------------------------------- gradients

def fuzz_elementwise_grad_once(draw, op):
    """gradcheck (float64, finite differences) of op on leaves seen through
    random view chains, with broadcasting and python-scalar partners."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    roles = _roles(op)
    R = draw(fs.shapes(max_dims=2, max_side=3))
    scalar_pos = None
    if op.arity == 2 and op.scalars and draw(st.integers(0, 3)) == 0:
        floats = [s for s in op.scalars if isinstance(s, (int, float)) and not isinstance(s, bool)]
        if floats:
            scalar_pos = 1
    if op.name == "lerp" and draw(st.booleans()):
        scalar_pos = 2
    leaves, recipes, parts, descr = [], [], [], []
    for i, role in enumerate(roles):
        if i == scalar_pos:
            s = draw(st.sampled_from(LERP_WEIGHTS if op.name == "lerp" else
                                     [x for x in op.scalars if isinstance(x, (int, float)) and not isinstance(x, bool)]))
            parts.append(("scalar", s))
            descr.append(repr(s))
            continue
        shape = R if i == 0 and draw(st.booleans()) else fs.broadcast_partner(draw, R, allow_mismatch=False)[0]
        if role == "cond":
            parts.append(("const", torch.tensor(rng.integers(0, 2, size=shape).astype(bool))))
            descr.append(f"cond{shape}")
            continue
        dom = op.domains[i]
        a = np.asarray(random_array(shape, "float64", dom, rng))
        if op.grad_inputs is not None and i not in op.grad_inputs:
            # PyTorch defines no derivative for this argument
            parts.append(("const", torch.tensor(a)))
            descr.append(f"float64{shape}")
            continue
        r = fs.build_recipe(draw, a, fs.filler("float64", dom, rng))
        if r.leaf_numel() > 60:
            r = fs.Recipe(np.array(r.values(), order="C"), [])
        leaf = torch.tensor(r.base, dtype=torch.float64, requires_grad=True)
        parts.append(("leaf", len(leaves), r))
        leaves.append(leaf)
        descr.append(f"float64{shape} [{r.describe()}]")
    if not leaves:
        return

    def f(*ls):
        args = []
        for p in parts:
            if p[0] == "scalar":
                args.append(p[1])
            elif p[0] == "const":
                args.append(p[1])
            else:
                args.append(p[2].apply(ls[p[1]]))
        CALLS()
        return _pick(op, op.function(torch)(*args, **op.kwargs))

    msg = f"gradient of {op.name}({'; '.join(descr)}) kwargs={op.kwargs}"
    if op.name in PIECEWISE_CONSTANT:
        # finite differences jump wherever a step of eps crosses a step of the
        # function; PyTorch's gradient is zero everywhere
        out = f(*leaves)
        grads = torch.autograd.grad(out.sum(), leaves, allow_unused=True)
        assert all(g is None or not bool(g.any()) for g in grads), msg
        return
    try:
        ok = torch.autograd.gradcheck(f, tuple(leaves), raise_exception=False)
    except Exception as e:   # noqa: BLE001
        raise AssertionError(f"{msg}: {type(e).__name__}: {e}") from e
    assert ok, msg


GRAD_OPS = [pytest.param(op, id=op.name) for op in op_db if op.differentiable]
PIECEWISE_CONSTANT = ("sign", "floor", "ceil", "round", "trunc", "div_trunc", "div_floor")


@pytest.mark.parametrize("op", GRAD_OPS)
@fuzz_test(3)
def test_fuzz_elementwise_grad(op, data):
    fuzz_elementwise_grad_once(data.draw, op)
