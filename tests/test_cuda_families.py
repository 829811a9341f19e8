"""The CUDA kernel families on the emulated device, against the CPU.

Each script in tests/cuda_cases/ runs one family's cases (values, errors,
gradients) on CUDA tensors of the emulated device (ctorch.cuda._emulate():
the host build of cuda_src/) and on CPU tensors, and exits 1 when any case
differs. They run in child processes, forward and with every launch's blocks
reversed, so that a crash in one shows as that test's failure. These are
emulated results, never GPU results.
"""
import os
import pathlib
import subprocess
import sys

import pytest

CASES = pathlib.Path(__file__).resolve().parent / "cuda_cases"
ROOT = CASES.parent.parent


@pytest.mark.parametrize("order", ["forward", "rev"])
@pytest.mark.parametrize("script", sorted(p.name for p in CASES.glob("[!_]*.py")))
def test_family_matches_the_cpu(script, order):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    r = subprocess.run([sys.executable, str(CASES / script)] + (["rev"] if order == "rev" else []),
                       capture_output=True, text=True, cwd=str(ROOT), env=env, timeout=600)
    fails = [line for line in r.stdout.splitlines() if line.startswith("FAIL")]
    assert r.returncode == 0, (f"exit {r.returncode}\n" + "\n".join(fails[:40]) + "\n" + r.stderr[-3000:])
