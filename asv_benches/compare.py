"""ctorch vs numpy vs PyTorch on the same probes, in one process.

    python -m asv_benches.compare [--quick] [--filter NAME] [--repeat N]

Each probe is a statement run for each library on the same seeded data.
A sample is one timed loop of the statement, sized so that it lasts at least
~2 ms; the libraries' samples are interleaved (ctorch, numpy, torch, ctorch,
...) so that they share the machine's noise, and the table reports medians
of the per-call time. Ratios are throughput ratios: ctorch/numpy = t_numpy /
t_ctorch, so > 1 means ctorch is faster.
"""
import argparse
import os
import platform
import statistics
import subprocess
import sys
import timeit

import numpy as np

import ctorch

from .common import digits_epoch, np_data

try:
    import torch
except ImportError:  # PyTorch is optional: its column is left empty
    torch = None

MIN_SAMPLE_S = 2e-3

TUTORIAL_GRAPH = ("a = mod.ones(2, 2, requires_grad=True); b = a + 2; c = b * b * 3; "
                  "out = c.mean(); out.backward()")
CHAIN_1000 = "y = x\nfor _ in range(1000):\n    y = y * 1.0001\ny.sum().backward()"
# 2,000 nodes; in this process PyTorch is imported too (when installed): its
# heap is what the cyclic GC walks, and ctorch's graph nodes are not in it
CHAIN_MULADD = "y = x\nfor _ in range(1000):\n    y = y * 1.0001 + 1e-4\ny.sum().backward()"
MLP_STEP = ("for p in ps:\n    p.grad = None\n"
            "h = F.relu(F.linear(x, W1, b1))\n"
            "F.cross_entropy(F.linear(h, W2, b2), y).backward()")


def _probes():
    """(name, target note, {lib: (setup(mod) -> namespace, statement)})."""
    libs = {"ctorch": ctorch, "numpy": np}
    if torch is not None:
        libs["torch"] = torch

    def tens(mod, arr):
        if mod is np:
            return arr.copy()
        return mod.from_numpy(arr).clone()

    f32 = np.float32
    tiny_x, tiny_y = np_data((5, 3), f32, 1), np_data((5, 3), f32, 2)
    med_a, med_b = np_data((100_000,), f32, 3), np_data((100_000,), f32, 4)
    big_a, big_b = np_data((10_000_000,), f32, 5), np_data((10_000_000,), f32, 6)
    sq = np_data((4096, 4096), f32, 7)
    mm256, mm256b = np_data((256, 256), f32, 8), np_data((256, 256), f32, 9)
    mm1024, mm1024b = np_data((1024, 1024), f32, 10), np_data((1024, 1024), f32, 11)
    mm2048, mm2048b = np_data((2048, 2048), f32, 12), np_data((2048, 2048), f32, 13)
    bm_a, bm_b = np_data((256, 32, 32), f32, 14), np_data((256, 32, 32), f32, 15)
    big_sort = np_data((1_000_000,), f32, 16)

    def two(xa, xb):
        return lambda mod: {"mod": mod, "x": tens(mod, xa), "y": tens(mod, xb)}

    def one(xa):
        return lambda mod: {"mod": mod, "x": tens(mod, xa)}

    def graph_only(stmt):
        # numpy has no autograd: these rows compare ctorch with PyTorch only
        return {lib: ((lambda mod: {"mod": mod, "x": mod.ones(10, requires_grad=True)}), stmt)
                for lib in libs if lib != "numpy"}

    def same(setup, stmt, np_stmt=None):
        return {lib: (setup, np_stmt if (lib == "numpy" and np_stmt) else stmt) for lib in libs}

    mlp_x, mlp_w1 = np_data((64, 784), f32, 40), np_data((256, 784), f32, 41) * f32(0.03)
    mlp_w2 = np_data((10, 256), f32, 42) * f32(0.06)
    mlp_y = np.random.default_rng(43).integers(0, 10, 64)

    def mlp(mod):
        ps = [tens(mod, mlp_w1), mod.zeros(256), tens(mod, mlp_w2), mod.zeros(10)]
        for p in ps:
            p.requires_grad_(True)
        return {"mod": mod, "F": mod.nn.functional, "x": tens(mod, mlp_x), "y": tens(mod, mlp_y),
                "ps": ps, "W1": ps[0], "b1": ps[1], "W2": ps[2], "b2": ps[3]}

    cat_parts = [np_data((1_000_000,), f32, 20 + k) for k in range(8)]
    isel_x = np_data((1_000_000, 8), f32, 30)
    isel_i = np.random.default_rng(31).integers(0, 1_000_000, 1_000_000)

    def cat8(mod):
        return {"mod": mod, "xs": [tens(mod, a) for a in cat_parts]}

    def isel(mod):
        return {"mod": mod, "x": tens(mod, isel_x), "i": tens(mod, isel_i)}

    fft_re, fft_im = np_data((1 << 20,), f32, 40), np_data((1 << 20,), f32, 41)
    fft_c = (fft_re + 1j * fft_im).astype(np.complex64)

    def factor_grad(n, stmt, sym=False):
        # numpy has no autograd: ctorch and PyTorch only, same data and cotangents
        a = np_data((n, n), np.float64, 40 + n)
        if sym:
            a = a + a.T
        gs = [np_data((n, n), np.float64, 41 + n), np_data((n, n), np.float64, 42 + n),
              np_data((n,), np.float64, 43 + n)]

        def setup(mod):
            return {"mod": mod, "x": tens(mod, a).requires_grad_(True),
                    "gm": tens(mod, gs[0]), "gm2": tens(mod, gs[1]), "gv": tens(mod, gs[2])}
        return {lib: (setup, stmt) for lib in libs if lib != "numpy"}

    QR_FB = "Q, R = mod.linalg.qr(x); mod.autograd.backward([Q, R], [gm, gm2])"
    SVD_FB = ("U, S, Vh = mod.linalg.svd(x, full_matrices=False); "
              "mod.autograd.backward([U, S, Vh], [gm, gv, gm2])")
    EIGH_FB = "L, V = mod.linalg.eigh(x); mod.autograd.backward([L, V], [gv, gm])"
    # the general eigenproblem (forward only: numpy has it too)
    eig_one, eig_batch = np_data((64, 64), np.float64, 60), np_data((16, 16, 16), np.float64, 61)
    linalg_eig = [(f"linalg: {fn} {label} f64", "report vs torch", same(one(x), f"mod.linalg.{fn}(x)"))
                  for label, x in (("64x64", eig_one), ("batch 16x16x16", eig_batch))
                  for fn in ("eig", "eigvals")]
    linalg_grads = [(f"linalg: {name} fwd+bwd {n}x{n} f64", "report vs torch",
                     factor_grad(n, stmt, sym=name == "eigh"))
                    for n in (64, 256) for name, stmt in (("qr", QR_FB), ("svd", SVD_FB), ("eigh", EIGH_FB))]
    conv_x = np_data((64, 16, 32, 32), f32, 50)
    lstm_x, lstm_h = np_data((32, 256), f32, 51), np_data((32, 256), f32, 52)

    def conv(mod):
        # the same weights in both libraries (each library's own init differs)
        mod.manual_seed(0)
        layer = mod.nn.Conv2d(16, 32, 3, padding=1)
        with mod.no_grad():
            layer.weight.copy_(tens(mod, np_data((32, 16, 3, 3), f32, 53) * f32(0.1)))
        return {"mod": mod, "layer": layer, "x": tens(mod, conv_x).requires_grad_(True)}

    def lstm(mod):
        cell = mod.nn.LSTMCell(256, 256)
        return {"mod": mod, "cell": cell, "x": tens(mod, lstm_x), "h": tens(mod, lstm_h),
                "c": tens(mod, lstm_h)}

    def digits(mod):
        # the same thread count in both libraries (the process's default for ctorch)
        mod.set_num_threads(ctorch.get_num_threads())
        train_epoch, _ = digits_epoch(mod, batch_size=32)
        return {"mod": mod, "epoch": train_epoch}

    def drop(mod):
        return {"mod": mod, "x": tens(mod, big_a), "rng": np.random.default_rng(0)}

    P = [
        ("tiny x + y (5x3 f32)", ">= 1.0x torch", same(two(tiny_x, tiny_y), "x + y")),
        ("medium x + y (1e5 f32)", "", same(two(med_a, med_b), "x + y")),
        ("medium exp(x) (1e5 f32)", "", same(one(med_a), "mod.exp(x)")),
        ("medium tanh(x) (1e5 f32)", "", same(one(med_a), "mod.tanh(x)")),
        ("medium sin(x) (1e5 f32)", "", same(one(med_a), "mod.sin(x)")),
        ("medium log(x) (1e5 f32)", "", same(one(np.abs(med_a) + f32(0.5)), "mod.log(x)")),
        ("medium exp(x) (1e5 f16)", "", same(one(med_a.astype(np.float16)), "mod.exp(x)")),
        ("medium x + y (1e5 f16)", "",
         same(two(med_a.astype(np.float16), med_b.astype(np.float16)), "x + y")),
        ("large x + y (1e7 f32)", ">= 0.9x numpy", same(two(big_a, big_b), "x + y")),
        ("large exp(x) (1e7 f32)", ">= 0.9x numpy", same(one(big_a), "mod.exp(x)")),
        ("exp(x) (1e6 f64)", "report", same(one(big_a[:1000000].astype(np.float64)), "mod.exp(x)")),
        ("log(x) (1e6 f64)", "report",
         same(one(np.abs(big_a[:1000000]).astype(np.float64) + 0.5), "mod.log(x)")),
        ("sin(x) (1e6 f64)", "report", same(one(big_a[:1000000].astype(np.float64)), "mod.sin(x)")),
        ("tanh(x) (1e6 f64)", "report", same(one(big_a[:1000000].astype(np.float64)), "mod.tanh(x)")),
        ("large x.add_(y) (1e7 f32)", "", same(two(big_a, big_b), "x.add_(y)", "np.add(x, y, out=x)")),
        ("x.t().contiguous() (4096^2 f32)", ">= 0.67x numpy",
         same(one(sq), "x.t().contiguous()", "np.ascontiguousarray(x.T)")),
        ("x[:, 1] (5x3)", "", same(one(tiny_x), "x[:, 1]")),
        ("x.view(15) (5x3)", "", same(one(tiny_x), "x.view(15)", "x.reshape(15)")),
        ("zeros(5, 3)", "", same(lambda mod: {"mod": mod}, "mod.zeros((5, 3))")),
        ("reduce: x.sum() (1e7 f32)", ">= 0.9x best", same(one(big_a), "x.sum()")),
        ("reduce: x.sum() (5x3 f32)", ">= 1.0x numpy", same(one(tiny_x), "x.sum()")),
        ("reduce: x.sum(dim=1) (4096^2 f32)", ">= 0.9x best", same(one(sq), "x.sum(1)", "x.sum(axis=1)")),
        ("reduce: x.max() (1e7 f32)", "", same(one(big_a), "x.max()")),
        ("reduce: softmax(x, -1) (4096^2 f32)", "report vs torch",
         same(one(sq), "mod.softmax(x, -1)",
              "e = np.exp(x - x.max(axis=-1, keepdims=True)); e / e.sum(axis=-1, keepdims=True)")),
        ("cat 8 x 1e6 f32", "", same(cat8, "mod.cat(xs)", "np.concatenate(xs)")),
        ("index_select 1e6 rows (1e6x8 f32)", ">= 1.0x numpy",
         same(isel, "x.index_select(0, i)", "np.take(x, i, axis=0)")),
        ("sort 1e6 f32", "report", same(one(big_sort), "x.sort()", "np.sort(x)")),
        ("argsort 1e6 f32", "", same(one(big_sort), "x.argsort()", "np.argsort(x)")),
        ("topk k=10 of 1e6 f32", "", same(one(big_sort), "x.topk(10)",
                                          "np.sort(np.partition(x, x.size - 10)[-10:])[::-1]")),
        ("sort dim=1 (1024x1024 f32)", "", same(one(mm1024), "x.sort(1)", "np.sort(x, axis=1)")),
        ("dropout 1e7 (f32, p=0.5, train)", "report vs torch",
         same(drop, "mod.dropout(x, 0.5, True)", "(rng.random(x.size) > 0.5) * x / (1 - 0.5)")),
        ("autograd: tutorial graph fwd+bwd", ">= 1.5x torch", graph_only(TUTORIAL_GRAPH)),
        ("autograd: chain of 1000 muls fwd+bwd", ">= 1.5x torch", graph_only(CHAIN_1000)),
        ("autograd: chain y*1.0001+1e-4 x1000 fwd+bwd", ">= 2x torch", graph_only(CHAIN_MULADD)),
        ("MLP step 784-256-10, batch 64 (fwd+bwd)", "time <= 1.2x torch",
         {lib: (mlp, MLP_STEP) for lib in libs if lib != "numpy"}),
        ("Conv2d fwd+bwd (64,16,32,32) -> 32 3x3", "time <= 1.2x torch",
         {lib: (conv, "layer(x).sum().backward()") for lib in libs if lib != "numpy"}),
        ("LSTMCell step fwd+bwd (batch 32, 256)", "time <= 1.2x torch",
         {lib: (lstm, "h2, c2 = cell(x, (h, c)); (h2.sum() + c2.sum()).backward()")
          for lib in libs if lib != "numpy"}),
        ("digits CNN one epoch (1437 1x8x8, batch 32, Adam)", "time <= 1.0x torch",
         {lib: (digits, "epoch()") for lib in libs if lib != "numpy"}),
        # matmul rows: equal flops per library, so time ratios are GFLOP/s ratios
        ("matmul 256x256 @ 256x256 f32", ">= 0.9x torch", same(two(mm256, mm256b), "x @ y")),
        ("matmul 1024x1024 @ 1024x1024 f32", ">= 0.9x torch", same(two(mm1024, mm1024b), "x @ y")),
        ("matmul 2048x2048 @ 2048x2048 f32", ">= 0.9x torch", same(two(mm2048, mm2048b), "x @ y")),
        ("matmul batched 256x(32x32 @ 32x32) f32", "", same(two(bm_a, bm_b), "x @ y")),
        ("matmul x @ y.T 1024 f32 (transposed view)", "", same(two(mm1024, mm1024b), "x @ y.T")),
        ("fft 2^20 complex64", "report", same(one(fft_c), "mod.fft.fft(x)")),
        ("fft 2^20 rfft float32", "report", same(one(fft_re), "mod.fft.rfft(x)")),
        ("fft rfft batch 64x1024 f32", "report", same(one(fft_re[:65536].reshape(64, 1024)),
                                                      "mod.fft.rfft(x)")),
        ("fft2 256x256 complex64", "report", same(one(fft_c[:65536].reshape(256, 256)),
                                                  "mod.fft.fft2(x)")),
        ("fft rfft batch 1000x256 f32", "report", same(one(fft_re[:256000].reshape(1000, 256)),
                                                       "mod.fft.rfft(x)")),
        ("fft 4096x64 complex64 rows", "report", same(one(fft_c[:262144].reshape(4096, 64)),
                                                      "mod.fft.fft(x)")),
        ("fft2 256x256 float32 (real input)", "report", same(one(fft_re[:65536].reshape(256, 256)),
                                                             "mod.fft.fft2(x)")),
        ("randn 1e6 f32", "report vs torch",
         same(drop, "mod.randn(1000000)", "rng.standard_normal(1000000, dtype=np.float32)")),
        ("log_softmax(x, 1) (1000x100 f32)", "report vs torch",
         same(one(sq[:1000, :100].copy()), "mod.log_softmax(x, 1)",
              "z = x - x.max(axis=1, keepdims=True); z - np.log(np.exp(z).sum(axis=1, keepdims=True))")),
        ("x.amax(1) (1000x100 f32)", "", same(one(sq[:1000, :100].copy()), "x.amax(1)", "x.max(axis=1)")),
    ] + linalg_eig + linalg_grads
    # the statements refer to np as `np` in numpy's namespace
    for _, _, per in P:
        for lib, (setup, stmt) in list(per.items()):
            per[lib] = (lambda s: (lambda mod: dict(s(mod), np=np)))(setup), stmt
    return libs, P


def _loops_for(timer):
    """Smallest power-of-ten-ish loop count whose sample lasts MIN_SAMPLE_S."""
    n = 1
    while True:
        t = timer.timeit(n)
        if t >= MIN_SAMPLE_S:
            return n
        n = n * 10 if t < MIN_SAMPLE_S / 10 else n * 2


def _time_probe(libs, per, repeat):
    timers, loops = {}, {}
    libs = {lib: mod for lib, mod in libs.items() if lib in per}
    for lib, mod in libs.items():
        setup, stmt = per[lib]
        ns = setup(mod)
        timers[lib] = timeit.Timer(stmt, globals=ns)
        timers[lib].timeit(1)                        # warm up (caches, lazy imports)
        loops[lib] = _loops_for(timers[lib])
    samples = {lib: [] for lib in libs}
    for _ in range(repeat):
        for lib in libs:                             # interleaved: shared noise
            samples[lib].append(timers[lib].timeit(loops[lib]) / loops[lib])
    return {lib: statistics.median(v) for lib, v in samples.items()}


def _import_time(module, repeat):
    code = ("import time; t = time.perf_counter(); import {m}; "
            "print(time.perf_counter() - t)").format(m=module)
    env = dict(os.environ)
    out = []
    for _ in range(repeat):
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        if r.returncode != 0:
            return None
        out.append(float(r.stdout.strip().splitlines()[-1]))
    return statistics.median(out)


def _fresh_chain(repeat):
    """The mul-add chain in a fresh process that imports ctorch only: the
    median over `repeat` processes of the mean time per chain."""
    code = ("import time, ctorch as mod\nx = mod.ones(10, requires_grad=True)\n"
            "def run():\n" + "".join("    " + line + "\n" for line in CHAIN_MULADD.splitlines()) +
            "for _ in range(20):\n    run()\n"
            "t = time.perf_counter()\nfor _ in range(200):\n    run()\n"
            "print((time.perf_counter() - t) / 200)")
    out = []
    for _ in range(repeat):
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if r.returncode != 0:
            return None
        out.append(float(r.stdout.strip().splitlines()[-1]))
    return statistics.median(out)


def _fmt_t(t):
    if t is None:
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if t >= scale:
            return f"{t / scale:.3g} {unit}"
    return f"{t / 1e-9:.3g} ns"


def _fmt_r(num, den):
    return "-" if num is None or den is None else f"{num / den:.2f}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    ap.add_argument("--filter", default=None, help="only probes whose name contains this")
    ap.add_argument("--repeat", type=int, default=None, help="samples per library and probe")
    args = ap.parse_args(argv)
    repeat = args.repeat or (5 if args.quick else 21)

    libs, probes = _probes()
    rows = []
    for name, target, per in probes:
        if args.filter and args.filter.lower() not in name.lower():
            continue
        med = _time_probe(libs, per, repeat)
        rows.append((name, med.get("ctorch"), med.get("numpy"), med.get("torch"), target))
    if not args.filter or args.filter.lower() in "autograd: chain fresh process":
        with_torch = next((r[1] for r in rows if r[0].startswith("autograd: chain y*")), None)
        fresh = _fresh_chain(3 if args.quick else 5)
        note = "" if with_torch is None or fresh is None else \
            f"row above / this = {with_torch / fresh:.2f} (<= 1.3)"
        rows.append(("autograd: chain y*1.0001+1e-4, fresh process", fresh, None, None, note))
    if not args.filter or args.filter.lower() in "import":
        irep = 3 if args.quick else 9
        mods = ["ctorch", "numpy"] + (["torch"] if torch is not None else [])
        it = {m: _import_time(m, irep) for m in mods}
        rows.append(("import (subprocess)", it["ctorch"], it["numpy"], it.get("torch"), ""))

    print(f"# {platform.machine()} {platform.processor() or ''} cores={os.cpu_count()} "
          f"python={platform.python_version()} numpy={np.__version__} "
          f"torch={getattr(torch, '__version__', '-')} torch_threads="
          f"{torch.get_num_threads() if torch is not None else '-'} "
          f"ctorch_threads={ctorch.get_num_threads()} repeat={repeat}")
    head = ("probe", "ctorch", "numpy", "torch", "ct/np", "ct/torch", "target")
    table = [head] + [(n, _fmt_t(c), _fmt_t(a), _fmt_t(t), _fmt_r(a, c), _fmt_r(t, c), tg)
                      for n, c, a, t, tg in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(head))]
    for i, r in enumerate(table):
        print("  ".join(s.ljust(w) if j == 0 or j == len(head) - 1 else s.rjust(w)
                        for j, (s, w) in enumerate(zip(r, widths))).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print("ratios are throughput: > 1 means ctorch is faster")


if __name__ == "__main__":
    main()
