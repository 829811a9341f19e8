"""`import ctorch` stays light: the heavy libraries it can use (scipy's
BLAS/LAPACK, numpy) are loaded on first use, not at import."""
import subprocess
import sys


def _modules_after_import():
    code = "import sys, ctorch; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_import_does_not_load_scipy_linalg():
    mods = _modules_after_import()
    assert "scipy.linalg" not in mods
    assert "torch" not in mods


def test_blas_is_bound_on_first_product():
    code = ("import sys, ctorch; a = ctorch.ones(3, 3); r = a @ a; "
            "print(r.sum().item(), 'scipy.linalg' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["27.0", "True"]
