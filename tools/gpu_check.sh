#!/usr/bin/env bash
# The GPU check: on a lent GPU machine, builds PyCUDA and ctorch (at the same
# time), fails loudly if pycuda.driver does not import, prints the driver,
# runs tests/cuda and the GPU benchmarks side by side with PyTorch, and says
# how many tests were skipped. Meant to fit in 10 minutes.
#
# The machine has no package registry: PyCUDA's source and wheels come from
# the shared gpu/ folder copied into the checkout as .gpu/ (git ignores it),
# and the test tools' pure-Python wheels (hypothesis and what it needs) from
# .gpu/test-wheels/ when the machine's Python lacks them:
#   cp -r ../shared/gpu .gpu && pip download -q -d .gpu/test-wheels hypothesis
#   device run, carry [".gpu"]:  bash tools/gpu_check.sh
# Logs go to $OUT (the device tool brings them back) or /tmp/gpu_check.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-/tmp/gpu_check}
mkdir -p "$out"
t0=$(date +%s)
stamp() { echo "[gpu_check $(( $(date +%s) - t0 ))s] $*"; }

stamp "building PyCUDA and ctorch"
( bash .gpu/setup_pycuda.sh --env > "$out/pycuda_env.sh" 2> "$out/pycuda_build.log" ) &
pycuda_pid=$!
if ! python3 setup.py build_ext --inplace > "$out/ctorch_build.log" 2>&1; then
    stamp "ctorch build FAILED"; tail -n 40 "$out/ctorch_build.log"; exit 1
fi
grep -i "nvcc failed" -A20 "$out/ctorch_build.log" && { stamp "nvcc FAILED"; exit 1; }
if ! wait "$pycuda_pid"; then
    stamp "PyCUDA build FAILED"; tail -n 40 "$out/pycuda_build.log"; exit 1
fi
# shellcheck disable=SC1091
source "$out/pycuda_env.sh"
if ! python3 -c "import pycuda.driver as d; d.init(); print('CUDA driver', d.get_driver_version(), '-', d.Device(0).name(), '- compute', d.Device(0).compute_capability())"; then
    stamp "pycuda.driver does NOT import: no GPU run"; exit 1
fi
if ! python3 -c "import hypothesis" 2>/dev/null; then
    python3 -m pip install -q --no-index --no-deps --target /tmp/gpu_check_deps .gpu/test-wheels/*.whl \
        && export PYTHONPATH="/tmp/gpu_check_deps:${PYTHONPATH:-}"
fi
python3 -c "import ctorch; assert ctorch.cuda.is_available() and not ctorch.cuda._is_emulated(); print('ctorch sees', ctorch.cuda.get_device_name()); ctorch.ones(1, device='cuda'); print('float products in', ctorch.cuda._blas_library() or 'the tiled kernels (no cuBLAS found)')" \
    || { stamp "ctorch does NOT see the GPU"; exit 1; }

stamp "tests/cuda"
# -v: every test's outcome is in the log as it runs, so that a run cut by the
# timeout still names its failures (the summary comes only at the end)
PYTHONUNBUFFERED=1 timeout 420 python3 -m pytest -v -p no:cacheprovider -rfs --tb=short tests/cuda \
    > "$out/tests_cuda.log" 2>&1
grep -E "FAILED|ERROR" "$out/tests_cuda.log" | head -n 40
tail -n 3 "$out/tests_cuda.log"
skipped=$(grep -Eo '[0-9]+ skipped' "$out/tests_cuda.log" | tail -n 1)
stamp "tests/cuda: ${skipped:-0 skipped}"

stamp "GPU benchmarks (ctorch vs PyTorch on this GPU)"
PYTHONUNBUFFERED=1 timeout 150 python3 -m asv_benches.gpu_compare 2>&1 | tee "$out/gpu_bench.log"
stamp "done"
