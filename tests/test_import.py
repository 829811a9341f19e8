"""`import ctorch` stays light: the heavy libraries it can use (scipy's
BLAS/LAPACK, numpy) and the op families no operator needs are loaded on
first use, not at import; what loads on first use is exactly what the
modules define."""
import json
import subprocess
import sys

import pytest

import ctorch

# modules that `import ctorch` must leave for first use
ON_FIRST_USE = sorted(ctorch._ON_FIRST_USE) + [
    "ctorch.fft", "ctorch.linalg", "ctorch.nn", "ctorch.cuda", "ctorch.return_types", "ctorch.special",
    "ctorch.random",
    "ctorch._printing", "ctorch.autograd.function", "ctorch.autograd.graph",
    "ctorch.autograd._gradcheck", "ctorch.autograd.derivatives", "scipy", "numpy", "struct",
    "math", "warnings", "functools", "ctorch.cpu", "ctorch.autograd.variable",
    "ctorch.serialization", "ctorch.futures", "ctorch._control", "ctorch.func", "pickle", "zipfile",
    "ctorch.optim",
    "ctorch.utils.data", "ctorch.amp", "ctorch._compile", "ctorch.compiler", "ctorch._streams",
    "ctorch._filecheck", "ctorch._benchmark", "ctorch.utils.throughput_benchmark",
    "ctorch.jit",
]


def _run(code):
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout


def _modules_loaded_by_import():
    # the interpreter's start-up (site, an editable install's finder) may load
    # some of them already: only what `import ctorch` adds counts
    code = ("import sys; before = set(sys.modules); import ctorch; "
            "print(' '.join(sorted(set(sys.modules) - before)))")
    return set(_run(code).split())


def test_import_loads_no_module_left_for_first_use():
    mods = _modules_loaded_by_import()
    assert "torch" not in mods
    assert sorted(m for m in ON_FIRST_USE if m in mods) == []


def test_blas_is_bound_on_first_product():
    code = ("import sys, ctorch; a = ctorch.ones(3, 3); r = a @ a; "
            "print(r.sum().item(), 'scipy.linalg' in sys.modules)")
    assert _run(code).split() == ["27.0", "True"]


# In a fresh process: which Tensor attributes loading `module` replaces with
# its own functions, and which public names the module defines itself (its
# __all__, or the names whose value, or whose value's type, was defined there).
_PROBE = """
import importlib, json, sys, ctorch
module = sys.argv[1]
before = dict(vars(ctorch.Tensor))
mod = importlib.import_module(module)
after = vars(ctorch.Tensor)
def origin(v):
    return getattr(v.fget if isinstance(v, property) else v, "__module__", None)
changed = [k for k in after if before.get(k) is not after[k] and origin(after[k]) == module]
kinds = {k: "property" if isinstance(after[k], property) else "method" for k in changed}
if hasattr(mod, "__all__"):
    own = list(mod.__all__)
else:
    own = [n for n, v in vars(mod).items() if not n.startswith("_") and
           getattr(v if callable(v) else type(v), "__module__", None) == module]
# where each name is reached: ctorch.<name>, or ctorch.autograd.<name>
where = {n: ctorch.autograd if n in vars(ctorch.autograd)["_ON_FIRST_USE"] else ctorch
         for n in own}
same = all(getattr(where[n], n) is getattr(mod, n) for n in own)
print(json.dumps({"kinds": kinds, "own": sorted(own), "same": same}))
"""


@pytest.mark.parametrize("module", sorted(ctorch._ON_FIRST_USE))
def test_first_use_table_matches_the_module(module):
    functions, methods, properties = ctorch._ON_FIRST_USE[module]
    got = json.loads(_run_probe(module))
    # its public names are ctorch's (the table) or ctorch.autograd's
    via_autograd = {n for n, m in ctorch.autograd._ON_FIRST_USE.items()
                    if m and module == "ctorch.autograd." + m}
    assert set(got["own"]) == set(functions) | via_autograd
    assert got["same"]                       # ctorch.<name> is the module's object
    assert got["kinds"] == {**{m: "method" for m in methods}, **{p: "property" for p in properties}}


def _run_probe(module):
    out = subprocess.run([sys.executable, "-c", _PROBE, module], capture_output=True, text=True,
                         check=True)
    return out.stdout


def test_stand_ins_load_and_forward():
    # the first call of each kind, in a fresh process, goes through a stand-in
    code = """
import ctorch
x = ctorch.tensor([3.0, 1.0, 2.0], requires_grad=True)
v, i = x.sort()
print(v.tolist(), i.tolist(), type(ctorch.Tensor.__dict__["sort"]).__name__)
print(x.retains_grad, x.histc(bins=3, min=1, max=3).tolist())
y = (x * x).sum()
y.backward()
print(x.grad.tolist(), ctorch.manual_seed(0) is ctorch.default_generator)
with ctorch.no_grad():
    print((x * 2).requires_grad, ctorch.is_grad_enabled())
print(ctorch.zeros(2).uniform_(0, 1).shape == (2,), ctorch.Tensor.sort.__qualname__)
"""
    assert _run(code).splitlines() == [
        "[1.0, 2.0, 3.0] [1, 2, 0] cython_function_or_method",
        "False [1.0, 1.0, 1.0]",
        "[6.0, 2.0, 4.0] True",
        "False False",
        "True sort",
    ]


def test_autograd_names_load_on_first_use():
    code = """
import ctorch
a = ctorch.autograd
print(a.Function.__name__, a.graph.Node.__name__, a.no_grad is ctorch.no_grad,
      callable(a.backward), callable(a.gradcheck), "Function" in dir(a))
"""
    assert _run(code).split() == ["Function", "Node", "True", "True", "True", "True"]
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        ctorch.autograd.nothing
