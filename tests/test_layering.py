"""The module structure of ctorch: the modules' import/cimport statements
form no cycle (each module's dependencies can be followed down to
ctorch._core), and every Cython module says what it is in its first lines.
Read from the sources; nothing is imported."""
import os
import re

import pytest

ROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "ctorch")
SUFFIXES = (".py", ".pyx", ".pxd")
# one import statement (parenthesized names may span lines)
IMPORT = re.compile(r"^(?:from[ \t]+([\w.]+)[ \t]+c?import[ \t]+(\([^)]*\)|[^\n]*)|c?import[ \t]+([\w.]+))", re.M)


def _modules():
    """{dotted module name: [source paths]} (a .pyx and its .pxd are one module)."""
    mods = {}
    for dirpath, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if not d.startswith((".", "__"))]
        for f in files:
            if f.endswith(SUFFIXES):
                path = os.path.join(dirpath, f)
                rel = os.path.relpath(os.path.splitext(path)[0], os.path.dirname(ROOT))
                name = rel.replace(os.sep, ".")
                if name.endswith(".__init__"):
                    name = name[: -len(".__init__")]
                mods.setdefault(name, []).append(path)
    return mods


def _imported_names(body):
    body = re.sub(r"#[^\n]*", "", body).strip().strip("()")
    return [part.split()[0] for part in body.split(",") if part.strip() and part.strip() != "*"]


def _graph():
    """Module -> the ctorch modules it imports at module level. `from pkg
    import sub` (only submodules named) depends on the submodules, not on the
    package's namespace."""
    mods = _modules()
    graph = {m: set() for m in mods}
    for name, paths in mods.items():
        for path in paths:
            with open(path, encoding="utf-8") as f:
                src = f.read()
            for mo in IMPORT.finditer(src):
                if mo.group(3):
                    targets = [mo.group(3)]
                else:
                    base, names = mo.group(1), _imported_names(mo.group(2))
                    subs = [f"{base}.{n}" for n in names if f"{base}.{n}" in mods]
                    targets = subs if names and len(subs) == len(names) else [base] + subs
                for t in targets:
                    while t and t not in mods:
                        t = t.rpartition(".")[0]
                    if t and t != name and t.startswith("ctorch"):
                        graph[name].add(t)
    return graph


def _cycles(graph):
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_graph_sees_the_layers():
    g = _graph()
    assert "ctorch._core.tensor" in g["ctorch._ops.elementwise"]
    assert "ctorch.autograd._node" in g["ctorch._ops.elementwise"]
    assert "ctorch._ops.elementwise" in g["ctorch.autograd.derivatives"]


def test_a_cycle_is_found():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles():
    assert _cycles(_graph()) == []


@pytest.mark.parametrize("path", sorted(p for ps in _modules().values() for p in ps if p.endswith(".pyx")),
                         ids=lambda p: os.path.relpath(p, ROOT))
def test_every_cython_module_states_its_role(path):
    with open(path, encoding="utf-8") as f:
        head = [line for line in f.read().splitlines()[:6] if not line.startswith("# cython:")]
    text = " ".join(line.strip('#" ') for line in head).strip()
    assert len(text.split()) >= 8, f"{path} does not say what it is in its first lines"
