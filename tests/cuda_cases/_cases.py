"""The device the scripts of tests/cuda_cases/ run on.

By default the emulated device (ctorch.cuda._emulate(): the host build of
cuda_src/), with every launch's blocks reversed when the script's argument
is `rev`; those are emulated results. With CTORCH_CASES_ON_GPU=1 the scripts
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
