"""Regenerates tests/fuzz_args_table.py: what PyTorch does for a fixed set of
bad (and some good) calls, for tests/test_fuzz_args.py to compare ctorch with.

NEEDS PyTorch; run by hand, never by the test suite:

    PYTHONPATH=/path/to/this/checkout python tests/fuzz_args_table_gen.py

The calls are: the hand-written CURATED list below, plus calls drawn from the
fuzzer's own generator (each callable of ctorch, plausible arguments, exactly
one hostile change, or none). Each call runs twice in PyTorch; it is kept
only if PyTorch's outcome is deterministic (the same exception type, or the
same result, both times) and meaningful: random functions keep only their
errors, calls that reach names PyTorch does not have are dropped, and so are
results that are not tensors, numbers, dtypes, devices or sizes.
"""
import json
import os
import random
import resource
import sys
import warnings

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
sys.path.insert(0, os.path.dirname(_HERE))

import numpy as np  # noqa: E402
import torch  # noqa: E402

import ctorch  # noqa: E402  (only for the list of callables and their signatures)
import ctorch.fft  # noqa: E402,F401
import ctorch.linalg  # noqa: E402,F401
import ctorch.nn.functional  # noqa: E402,F401
import test_fuzz_args as fz  # noqa: E402

TABLE_SEED = 20240
N_SINGLE_FAULT = 2400
N_VALID = 600

# results that are random, uninitialised or tied to an implementation's choices
NONDETERMINISTIC = (
    "rand", "bernoulli", "multinomial", "dropout", "empty", "normal_", "uniform_", "random_",
    "seed", "get_rng_state", "data_ptr", "untyped_storage", "Generator", "default_generator",
    "get_num_threads", "svd", "qr", "eigh", "new_empty", "resize_", "kthvalue", "median",
    "inv_ex", "int()", "long()", "short()", "byte()", "char()", "Tensor(", "register_hook",
    "histogram", "mode", "topk", "sort", "argsort", "unique", "max(", "min(", "argmax", "argmin",
)

# specific bad calls, each with a well-defined PyTorch outcome
CURATED = [
    # sizes: negative, huge, overflowing
    "torch.empty(-1)", "torch.zeros(2, -3)", "torch.ones(-1, 0)", "torch.full((-2,), 1.)",
    "torch.empty(2**40)", "torch.ones(2).new_empty(2**40)", "torch.empty(2**62)",
    "torch.zeros(2**62)", "torch.ones(2**62)", "torch.full((2**62,), 1.)",
    "torch.ones(2**33, 2**33)", "torch.ones(1, 2, 2, 2**62, 2**62, dtype=torch.float16)",
    "torch.ones(2).new_zeros(2**62)", "torch.ones(2).new_full((2**62,), 2)",
    "torch.ones(2).new_empty(2**62, 1)", "torch.arange(2**62)", "torch.range(0, 2**62)",
    "torch.rand(2**62)", "torch.randn(2**62)", "torch.randint(0, 5, (2**62,))",
    "torch.randperm(2**62)", "torch.eye(2**31)", "torch.eye(2**20)",
    "torch.linspace(0, 1, 2**62)", "torch.logspace(0, 1, 2**62)",
    "torch.ones(2).expand(2**62, 2).contiguous()", "torch.ones(2, 1).expand(2, 2**62).sum()",
    "torch.ones(2).repeat(2**62, 4)", "torch.ones(2).resize_(2**62)", "torch.ones(2).resize_(2**40)",
    "torch.tril_indices(2**31, 2**31)", "torch.fft.rfft(torch.ones(3), n=2**40)",
    "torch.fft.fft2(torch.ones(2, 2), s=(2**62, 4))",
    "torch.empty(2**63)", "torch.zeros(2**100)", "torch.ones(3).view(2, 2**62)",
    "torch.ones(2).repeat(2**62)", "torch.ones(2).narrow(0, 2**100, 1)",
    # NaN / inf
    "torch.ones(3).clip(float('nan'))", "torch.clamp(torch.ones(3), min=float('nan'))",
    "torch.clamp(torch.ones(3), max=float('nan'))", "torch.zeros(0).var(correction=-1)",
    "torch.nn.functional.gelu(torch.tensor([float('inf'), -float('inf')]))",
    "torch.fft.fftfreq(3, 0)", "torch.fft.rfftfreq(3, 0)", "torch.ones(3).histogram(range={})",
    "torch.ones(3).histogram(range=(0,))",
    "torch.range(2, float('inf'))", "torch.range(0, 1, 0)", "torch.arange(0, 1, 0)", "torch.arange(2, float('inf'))",
    "torch.arange(0, float('nan'))", "torch.linspace(0, float('nan'), 3)",
    "torch.set_num_threads(float('nan'))", "torch.tensor([float('nan')], dtype=torch.int64)",
    # scalars out of range
    "torch.add(torch.ones(1), -2**63, alpha=2)", "torch.tensor([0, 1]).eq(2**63)",
    "torch.tensor([0, 1]) == 2**63", "torch.tensor([5, -7]).add_(2**100)",
    "torch.full_like(torch.ones(2, dtype=torch.uint8), -1.5)",
    "torch.full_like(torch.ones(2, dtype=torch.uint8), 300)",
    "torch.tensor(2**100)", "torch.tensor(2**100, dtype=torch.int32)",
    # wrong types and non-tensor objects
    "torch.Tensor()", "torch.Tensor(2.5)", "torch.positive(None)",
    "torch.allclose(1, torch.tensor(1.))", "torch.atleast_1d(0)", "torch.atleast_2d(1.5)",
    "torch.einsum(-6)", "torch.einsum(torch.ones(2), torch.ones(2))",
    "torch.fft.fftfreq(3, dtype=1)",
    "torch.nn.functional.cross_entropy(torch.ones(2, 3), torch.ones(2, 3), weight='sum')", "torch.linalg.det(torch.eye(3), out=1.0)",
    "torch.linalg.inv(torch.eye(3), out=[torch.empty(0)])", "torch.manual_seed('abc')",
    "torch.ones(3).clamp(np.int64(-1))", "torch.ones(3).clamp_(np.int64(-1))",
    "torch.exp([1.0])", "torch.add(torch.ones(2), 'a')", "torch.sum(torch.ones(2), dim='x')",
    "torch.ones(2, 3).view('a')", "torch.cat(torch.ones(2))", "torch.cat([torch.ones(2), 1])",
    # dims and indices out of range
    "torch.flip(torch.tensor(3), (0,))", "torch.movedim(torch.tensor(2.5), -1, -1)",
    "torch.sum(torch.ones(2, 3), 2)", "torch.sum(torch.ones(2, 3), -3)",
    "torch.ones(2, 3).transpose(0, 5)", "torch.ones(2, 3)[5]", "torch.ones(2, 3)[:, -4]",
    "torch.index_select(torch.ones(3), 0, torch.tensor([3]))",
    "torch.gather(torch.ones(3), 0, torch.tensor([5]))", "torch.take(torch.ones(3), torch.tensor([-4]))",
    "torch.mv(torch.tensor(2.5), torch.ones(3))",
    "torch.baddbmm(torch.eye(3), torch.ones(4), torch.ones(3))",
    # out= of the wrong kind
    "torch.neg(torch.arange(3), out=torch.empty(3))",
    "torch.bitwise_not(torch.arange(3), out=torch.empty(3))",
    "torch.trunc(torch.arange(3), out=torch.empty(3))",
    "torch.amin(torch.ones(2, 3), out=torch.zeros((), dtype=torch.int64))",
    "torch.any(torch.ones(2, 3), out=torch.empty(()))",
    "torch.tril(torch.ones(2, 2, dtype=torch.int64), out=torch.empty(2, 2))",
    "torch.linalg.det(2 * torch.eye(3), out=torch.zeros(4, 3))",
    "torch.linalg.inv(torch.eye(2), out=torch.empty(0))",
    "torch.mean(torch.ones(3, 3), 0, out=torch.empty(0))",
    "torch.sum(torch.ones(2, 3), dim=1, out=torch.empty(2, 3))",
    "torch.fft.ifft2(torch.eye(3), s=(2, 3), out=torch.ones(2, 3, dtype=torch.complex64))",
    # dtypes
    "torch.linalg.vecdot(torch.ones(2, dtype=torch.int16), torch.ones(2, dtype=torch.int16))",
    "torch.norm(torch.ones(2, 2), dtype=torch.int32)",
    "torch.nn.functional.mse_loss(torch.ones(2, dtype=torch.float16), torch.tensor(2.5))",
    "torch.repeat_interleave(torch.tensor([1, 2], dtype=torch.int32))",
    # in-place methods and _ex functions
    "torch.tensor([0, 1]).clamp_max_(1)", "torch.ones(3).clamp_min_(2)",
    "torch.linalg.cholesky_ex(torch.tensor([[1., -2.], [3., 4.5]]))",
    "torch.chunk(torch.ones(1), torch.tensor(3))", "torch.eye(torch.tensor(3))",
    # devices
    "torch.ones(2, device='cuda')", "torch.ones(2).to('cuda')", "torch.ones(2, device='bogus')",
    "torch.ones(2).to(1)", "torch.zeros(2, device=1)",
]


def outcome(src, ns):
    try:
        r = eval(src, ns)
    except AttributeError:
        return None                       # a name PyTorch does not have
    except Exception as e:  # noqa: BLE001
        return ["raises", fz.builtin_base(type(e))]
    if any(k in src for k in NONDETERMINISTIC):
        return None
    s = fz.summarize(torch, r)
    if "object" in json.dumps(s) or "deep" in json.dumps(s):
        return None
    return ["returns", s]


def main():
    warnings.simplefilter("ignore")
    resource.setrlimit(resource.RLIMIT_AS, (8 << 30, 8 << 30))
    ns = {"torch": torch, "np": np}
    table = fz.callables(ctorch)
    sources = list(CURATED)
    for i in range(N_SINGLE_FAULT + N_VALID):
        rng = random.Random(TABLE_SEED * 1000003 + i)
        sources.append(fz.gen_case(rng, table, mutations=1 if i < N_SINGLE_FAULT else 0))
    rows, seen = [], set()
    for src in sources:
        if src in seen:
            continue
        seen.add(src)
        a = outcome(src, ns)
        b = outcome(src, ns)
        torch.set_default_dtype(torch.float32)
        torch.set_grad_enabled(True)
        torch.set_printoptions(profile="default")
        if a is None or a != b:
            continue
        rows.append((src, a))
    path = os.path.join(_HERE, "fuzz_args_table.py")
    with open(path, "w") as f:
        f.write('"""What PyTorch %s does for each call: ["raises", builtin exception type]\n'
                'or ["returns", summary]. Generated by tests/fuzz_args_table_gen.py; do not\n'
                'edit by hand."""\n' % torch.__version__.split("+")[0])
        f.write("# flake8: noqa\nTABLE = [\n")
        for src, exp in rows:
            f.write("    (%r, %r),\n" % (src, exp))
        f.write("]\n")
    print(f"{len(rows)} calls written to {path}")


if __name__ == "__main__":
    main()
