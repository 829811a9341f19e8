#!/bin/sh
# Runs the test suite (or the pytest arguments given) on a build of ctorch with
# AddressSanitizer and UndefinedBehaviorSanitizer (setup.py's CTORCH_SANITIZE).
#
#     tools/sanitize.sh                       # the whole suite
#     tools/sanitize.sh tests/test_ops.py -x  # a part of it
#
# The build is made in build/sanitize/, a copy of the checkout's sources with
# its own object cache, so the normal in-place build is left as it is; a second
# run compiles only what changed. PYTHON picks the interpreter (python3).
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
DEST=build/sanitize

# the sources, tracked or not (git's ignore rules leave out builds); file times
# are kept so that the copy's object cache stays valid
rm -rf "$DEST/ctorch" "$DEST/tests" "$DEST/examples"
mkdir -p "$DEST"
git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$DEST"
cd "$DEST"
CTORCH_SANITIZE=1 CTORCH_NO_CUDA=1 "$PYTHON" setup.py -q build_ext --inplace

# CPython is not built with ASan: its runtime has to be loaded first.
# detect_leaks=0: CPython keeps interned objects and its own arenas to the
# end, so LeakSanitizer would report them at exit, and none of it is ctorch's.
# allocator_may_return_null=1: a huge allocation fails with RuntimeError, as in
# the normal build, instead of aborting.
# PYTHONMALLOC=malloc: Python objects come from malloc, so ASan sees them too.
# halt_on_error=1: any UBSan report fails the run, as an ASan report does.
# The nvcc compile checks are left out: nvcc itself crashes with the ASan
# runtime preloaded, and they run no ctorch code. So are the tests that measure
# the resident set: ASan keeps freed memory in quarantine and this build does
# not cache blocks, so the resident set is not the allocator's any more.
# libstdc++ is preloaded with the runtime: scipy's C++ functions (Boost's
# erfinv) throw and catch exceptions, and ASan's __cxa_throw interceptor
# needs the real one loaded at start ("CHECK failed ... real___cxa_throw"
# otherwise).
LD_PRELOAD="$(${CC:-gcc} -print-file-name=libasan.so) $(${CC:-gcc} -print-file-name=libstdc++.so)" \
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
PYTHONMALLOC=malloc \
exec "$PYTHON" -m pytest -q -p no:cacheprovider \
    --deselect tests/test_cuda_sources.py::test_cuda_source_compiles \
    --deselect tests/test_cuda_kernels.py::test_nvcc_compiles_without_warnings_or_spills \
    --deselect tests/test_cuda_kernels.py::test_parameter_buffer_is_the_argument_struct \
    --deselect tests/test_memory.py::test_1e5_op_calls_keep_memory_and_objects_flat \
    --deselect tests/test_memory.py::test_1e3_forward_backward_passes_keep_memory_and_objects_flat \
    --deselect tests/test_memory.py::test_freed_large_buffers_are_reused \
    --deselect tests/test_memory.py::test_the_cache_of_freed_blocks_stays_bounded "$@"
