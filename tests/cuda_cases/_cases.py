"""The device the scripts of tests/cuda_cases/ run on.

By default the emulated device (ctorch.cuda._emulate(): the host build of
cuda_src/), with every launch's blocks reversed when the script's argument
is `rev`; those are emulated results. The reversed run checks that no kernel
depends on the order of its blocks, which every third case shows as well as
all of them: take() picks those (the forward run takes every case). With CTORCH_CASES_ON_GPU=1 the scripts
run on the real GPU instead (tests/cuda/ runs them so on a GPU machine).
"""
import os
import sys

import ctorch as torch

ON_GPU = os.environ.get("CTORCH_CASES_ON_GPU") == "1"
REV = "rev" in sys.argv[1:]


def setup():
    if ON_GPU:
        if not torch.cuda.is_available() or torch.cuda._is_emulated():
            raise SystemExit("CTORCH_CASES_ON_GPU=1 needs a GPU")
        return
    torch.cuda._emulate()
    from ctorch.cuda import _backend
    _backend.host_set_reverse(REV)


_count = 0


def take():
    """Whether the script runs its next case (all forward, every third one reversed)."""
    global _count
    _count += 1
    return not REV or _count % 3 == 1


def finish(n, fails):
    """Prints how many cases ran and the failures (FAIL lines), and exits 1
    when there are any."""
    print(f"{'reversed' if REV else 'forward'}: {n} cases, {len(fails)} failed")
    for f in fails:
        print("FAIL", *(f if isinstance(f, tuple) else (f,)))
    sys.exit(1 if fails else 0)
