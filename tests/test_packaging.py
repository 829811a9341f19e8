"""Packaging: every directory of ctorch with Python or Cython sources is a
package (it has an __init__.py), setuptools' package discovery as configured
in pyproject.toml finds exactly those packages, and setup.py's module
discovery finds every .pyx file. Nothing is built or installed here."""
import ast
import os

import pytest
import setuptools

try:
    import tomllib
except ImportError:                      # Python 3.10
    import tomli as tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKG = "ctorch"
CODE_SUFFIXES = (".py", ".pyx")


def _skipped_dir(name):
    return name.startswith(".") or name == "__pycache__"


def _walk_package_tree():
    """(relative dir, files) for every directory under ctorch/."""
    for root, dirs, files in os.walk(os.path.join(ROOT, PKG)):
        dirs[:] = sorted(d for d in dirs if not _skipped_dir(d))
        yield os.path.relpath(root, ROOT), files


def _code_dirs():
    """Directories under ctorch/ holding .py or .pyx files, as dotted names."""
    return {rel.replace(os.sep, "."): files for rel, files in _walk_package_tree()
            if any(f.endswith(CODE_SUFFIXES) for f in files)}


def _find_config():
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        cfg = tomllib.load(f)
    return cfg["tool"]["setuptools"]["packages"]["find"]


def _discover(namespaces):
    cfg = _find_config()
    where = cfg.get("where", ["."])
    assert len(where) == 1, where
    finder = setuptools.find_namespace_packages if namespaces else setuptools.find_packages
    return set(finder(where=os.path.join(ROOT, where[0]), include=cfg.get("include", ("*",)),
                      exclude=cfg.get("exclude", ())))


def test_the_package_tree_is_where_expected():
    code = _code_dirs()
    # a sanity check of the walk itself: these are known packages of ctorch
    assert {"ctorch", "ctorch._core", "ctorch._ops", "ctorch.autograd", "ctorch.nn"} <= set(code)


def test_every_directory_with_code_has_an_init():
    missing = sorted(name for name, files in _code_dirs().items() if "__init__.py" not in files)
    assert missing == [], f"directories with .py/.pyx sources but no __init__.py: {missing}"


def test_package_discovery_finds_exactly_the_code_directories():
    cfg = _find_config()
    assert cfg.get("include"), "pyproject.toml: [tool.setuptools.packages.find] has no include"
    found = _discover(namespaces=False)
    expected = set(_code_dirs())
    assert sorted(expected - found) == [], "packages setuptools does not find"
    assert sorted(found - expected) == [], "packages setuptools finds that hold no code"


def test_namespace_discovery_adds_only_directories_without_code():
    """setuptools' packages.find in pyproject.toml looks for namespace
    packages unless told otherwise: the directories it adds that way (data
    such as the kernel headers) must hold no Python or Cython sources, which
    would otherwise be installed without an __init__.py."""
    if not _find_config().get("namespaces", True):
        return
    found = {p for p in _discover(namespaces=True) if "__pycache__" not in p.split(".")}
    code = _code_dirs()
    assert set(code) <= found
    for name in sorted(found - set(code)):
        path = os.path.join(ROOT, *name.split("."))
        files = os.listdir(path)
        assert not any(f.endswith(CODE_SUFFIXES) for f in files), name


def _load_pyx_modules():
    """setup.py's _pyx_modules, without running setup.py: only that function
    is compiled and executed."""
    path = os.path.join(ROOT, "setup.py")
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    defs = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "_pyx_modules"]
    assert len(defs) == 1, "setup.py defines no (or several) _pyx_modules"
    module = ast.Module(body=defs, type_ignores=[])
    namespace = {"os": os}
    exec(compile(module, path, "exec"), namespace)
    return namespace["_pyx_modules"]


def _all_pyx():
    out = set()
    for rel, files in _walk_package_tree():
        out.update(os.path.join(rel, f) for f in files if f.endswith(".pyx"))
    return out


def test_setup_discovers_every_pyx_module(monkeypatch):
    pyx_modules = _load_pyx_modules()
    monkeypatch.chdir(ROOT)                      # setup.py walks "ctorch" from the repo root
    found = pyx_modules()
    assert len(found) == len({name for name, _ in found}), "a module name is found twice"
    paths = {os.path.normpath(p) for _, p in found}
    expected = {os.path.normpath(p) for p in _all_pyx()}
    assert len(expected) > 1
    assert sorted(expected - paths) == [], ".pyx files setup.py does not build"
    assert sorted(paths - expected) == []
    packages = _discover(namespaces=False)
    for name, path in found:
        assert name == os.path.normpath(path)[:-len(".pyx")].replace(os.sep, "."), (name, path)
        parent = name.rpartition(".")[0]
        assert parent in packages, f"{name}: its package {parent} is not packaged"


@pytest.mark.parametrize("name", ["ctorch._ops.products", "ctorch.autograd._engine", "ctorch.autograd._node", "ctorch._core.tensor"])
def test_known_extension_modules_are_discovered(name, monkeypatch):
    monkeypatch.chdir(ROOT)
    names = {n for n, _ in _load_pyx_modules()()}
    assert name in names
