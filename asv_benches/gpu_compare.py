"""ctorch vs PyTorch on one GPU, in one process (tools/gpu_check.sh runs it).

    python -m asv_benches.gpu_compare [--repeat N]

The probes of the CUDA issue: elementwise add of 1e8 float32 (also as a
fraction of the device-to-device copy bandwidth), the sum of 1e8 float32,
a float32 matmul of 4096 (TF32 off in PyTorch; ctorch never uses it) and a
tiny `x + y`. Times are medians of `--repeat` samples, each sample a loop
synchronised at its end; ratios are torch_time / ctorch_time (> 1: ctorch
is faster). Needs a GPU; without PyTorch its column is empty.
"""
import argparse
import statistics
import time

import ctorch

try:
    import torch
except ImportError:
    torch = None


def _sample(fn, sync, loops):
    sync()
    t = time.perf_counter()
    for _ in range(loops):
        fn()
    sync()
    return (time.perf_counter() - t) / loops


def timed(fn, sync, repeat):
    fn()
    sync()
    loops = 1
    while _sample(fn, sync, loops) * loops < 0.02 and loops < 1 << 16:
        loops *= 2
    return statistics.median(_sample(fn, sync, loops) for _ in range(repeat))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    if not ctorch.cuda.is_available() or ctorch.cuda._is_emulated():
        raise SystemExit("gpu_compare needs a GPU")
    csync = ctorch.cuda.synchronize
    if torch is not None:
        torch.backends.cuda.matmul.allow_tf32 = False
        tsync = torch.cuda.synchronize
    n = 10 ** 8
    rows = []

    def probe(name, make_c, make_t, bytes_moved=None):
        fc = make_c()
        tc = timed(fc, csync, args.repeat)
        tt = timed(make_t(), tsync, args.repeat) if torch is not None else None
        gbs = f"{bytes_moved / tc / 1e9:8.1f} GB/s" if bytes_moved else ""
        ratio = f"{tt / tc:6.2f}" if tt else "   -  "
        rows.append((name, tc, tt, ratio, gbs))
        print(f"{name:28s} ctorch {tc * 1e6:10.1f} us   torch {(tt or 0) * 1e6:10.1f} us   "
              f"torch/ctorch {ratio}  {gbs}", flush=True)

    xc = ctorch.rand(n, device="cuda")
    yc = ctorch.rand(n, device="cuda")
    oc = ctorch.empty(n, device="cuda")
    if torch is not None:
        xt = torch.rand(n, device="cuda")
        yt = torch.rand(n, device="cuda")
        ot = torch.empty(n, device="cuda")
    probe("copy 1e8 f32 (D2D)", lambda: (lambda: oc.copy_(xc)), lambda: (lambda: ot.copy_(xt)), 8 * n)
    probe("add 1e8 f32", lambda: (lambda: ctorch.add(xc, yc, out=oc)),
          lambda: (lambda: torch.add(xt, yt, out=ot)), 12 * n)
    copy_bw = 8 * n / rows[0][1]
    add_bw = 12 * n / rows[1][1]
    print(f"add reaches {100 * add_bw / copy_bw:.0f}% of ctorch's copy bandwidth", flush=True)
    probe("sum 1e8 f32", lambda: (lambda: xc.sum()), lambda: (lambda: xt.sum()), 4 * n)
    a = ctorch.rand(4096, 4096, device="cuda")
    b = ctorch.rand(4096, 4096, device="cuda")
    if torch is not None:
        at = torch.rand(4096, 4096, device="cuda")
        bt = torch.rand(4096, 4096, device="cuda")
    blas = ctorch.cuda._blas_library()
    print(f"ctorch's float products run in: {blas or 'its tiled kernels (no cuBLAS found)'}", flush=True)
    probe("matmul 4096 f32", lambda: (lambda: a @ b), lambda: (lambda: at @ bt))
    m = rows[-1][1]
    print(f"ctorch matmul: {2 * 4096 ** 3 / m / 1e12:.1f} TFLOP/s", flush=True)
    if blas:
        from ctorch.cuda import _backend
        _backend.blas_load(None)                # the tiled kernel of cuda_src/matmul.cu
        probe("matmul 4096 f32 (own kernel)", lambda: (lambda: a @ b), lambda: (lambda: at @ bt))
        _backend.blas_load(blas)
    sc = ctorch.rand(4, device="cuda")
    if torch is not None:
        st = torch.rand(4, device="cuda")
    probe("tiny x + y", lambda: (lambda: sc + sc), lambda: (lambda: st + st))


if __name__ == "__main__":
    main()
