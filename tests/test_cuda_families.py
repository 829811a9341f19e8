"""The CUDA kernel families on the emulated device, against the CPU.

Each script in tests/cuda_cases/ runs one family's cases (values, errors,
gradients) on CUDA tensors of the emulated device (ctorch.cuda._emulate():
the host build of cuda_src/) and on CPU tensors, and exits 1 when any case
differs. They run in child processes, forward and with every launch's blocks
reversed, so that a crash in one shows as that test's failure; the children
run side by side, one per core, from the first test on. These are emulated
results, never GPU results.
"""
import os
import pathlib
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

CASES = pathlib.Path(__file__).resolve().parent / "cuda_cases"
ROOT = CASES.parent.parent
SCRIPTS = sorted(p.name for p in CASES.glob("[!_]*.py"))
ORDERS = ["forward", "rev"]


def _run(script, order, env):
    return subprocess.run([sys.executable, str(CASES / script)] + (["rev"] if order == "rev" else []),
                          capture_output=True, text=True, cwd=str(ROOT), env=env, timeout=900)


def start_all(orders, **env):
    """Starts every script in each order (`env` added to the environment),
    one per core; {(script, order): future of its CompletedProcess}. A
    generator: the pool lives until it is closed."""
    full = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]), **env)
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        yield {(s, o): pool.submit(_run, s, o, full) for s in SCRIPTS for o in orders}


def check(result):
    fails = [line for line in result.stdout.splitlines() if line.startswith("FAIL")]
    assert result.returncode == 0, (f"exit {result.returncode}\n" + "\n".join(fails[:40]) + "\n"
                                    + result.stderr[-3000:])


@pytest.fixture(scope="module")
def runs():
    # the host kernels are built (or found fresh) once, before the children start
    import ctorch
    ctorch.cuda._emulate(True)
    ctorch.cuda._emulate(False)
    yield from start_all(ORDERS)


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("script", SCRIPTS)
def test_family_matches_the_cpu(runs, script, order):
    check(runs[(script, order)].result())
