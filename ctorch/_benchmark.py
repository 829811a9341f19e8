"""torch.ThroughputBenchmark, torch.BenchmarkConfig and
torch.BenchmarkExecutionStats: a module or function run under the load of
an inference server, several calling threads at once.

ThroughputBenchmark(module) keeps the inputs given to add_input; benchmark
(config) starts config.num_calling_threads threads, each running
num_warmup_iters warm-up calls on its own, then, once every thread is warm,
all of them calling the module on inputs picked at random until num_iters
calls have been made between them. The wall time of that phase gives the
stats: latency_avg_ms = time * threads / num_iters. The threads are Python
threads; ctorch's kernels release the GIL while they compute, so calls
overlap in the kernels. With config.profiler_output_path set, every measured
call is written to that file as an event of a Chrome trace (JSON, viewable
in chrome://tracing or Perfetto). torch.utils.ThroughputBenchmark
(ctorch/utils/throughput_benchmark.py) is the keyword-argument front end.
Loaded on first use (ctorch._LAZY)."""
import itertools
import random
import threading
import time

__all__ = ["ThroughputBenchmark", "BenchmarkConfig", "BenchmarkExecutionStats"]


def _int_field(name):
    def get(self):
        return getattr(self, "_" + name)

    def set_(self, value):
        if isinstance(value, bool) or not hasattr(value, "__index__"):
            raise TypeError(f"BenchmarkConfig.{name}: expected an int, got "
                            f"{type(value).__name__}")
        setattr(self, "_" + name, value.__index__())
    return property(get, set_)


class BenchmarkConfig:
    """How ThroughputBenchmark.benchmark runs: num_calling_threads (1),
    num_warmup_iters per thread (1), num_iters across the threads (100),
    num_worker_threads (1: the intra-op threads, ctorch.get_num_threads
    sets those for the whole process) and profiler_output_path ("": none)."""
    __slots__ = ("_num_calling_threads", "_num_warmup_iters", "_num_iters",
                 "_num_worker_threads", "_profiler_output_path")

    num_calling_threads = _int_field("num_calling_threads")
    num_warmup_iters = _int_field("num_warmup_iters")
    num_iters = _int_field("num_iters")
    num_worker_threads = _int_field("num_worker_threads")

    def __init__(self):
        self._num_calling_threads = 1
        self._num_warmup_iters = 1
        self._num_iters = 100
        self._num_worker_threads = 1
        self._profiler_output_path = ""

    @property
    def profiler_output_path(self):
        return self._profiler_output_path

    @profiler_output_path.setter
    def profiler_output_path(self, value):
        if not isinstance(value, str):
            raise TypeError(f"BenchmarkConfig.profiler_output_path: expected a str, got "
                            f"{type(value).__name__}")
        self._profiler_output_path = value


class BenchmarkExecutionStats:
    """What ThroughputBenchmark.benchmark measured: latency_avg_ms (the
    average time of one call, in milliseconds) and num_iters (the calls
    measured). Made by benchmark() only."""
    __slots__ = ("_latency_avg_ms", "_num_iters")

    def __init__(self, *args, **kwargs):
        raise TypeError("ctorch.BenchmarkExecutionStats: No constructor defined!")

    @classmethod
    def _make(cls, latency_avg_ms, num_iters):
        self = object.__new__(cls)
        self._latency_avg_ms = latency_avg_ms
        self._num_iters = num_iters
        return self

    @property
    def latency_avg_ms(self):
        return self._latency_avg_ms

    @property
    def num_iters(self):
        return self._num_iters


class ThroughputBenchmark:
    """Runs `module` (an nn.Module or any callable) on the inputs given to
    add_input, from several threads at once: see benchmark()."""

    def __init__(self, module):
        self._module = module
        self._inputs = []

    def add_input(self, *args, **kwargs):
        """Keeps one input (the call's arguments) for benchmark to pick from."""
        self._inputs.append((args, kwargs))

    def run_once(self, *args, **kwargs):
        """Calls the module once on these arguments and returns its output."""
        return self._module(*args, **kwargs)

    def benchmark(self, config):
        """Runs the benchmark as `config` (a BenchmarkConfig) says; returns
        the BenchmarkExecutionStats. An exception raised by the module in a
        calling thread stops the run and is raised here."""
        if not isinstance(config, BenchmarkConfig):
            raise TypeError(f"benchmark(): expected a BenchmarkConfig, got "
                            f"{type(config).__name__}")
        if not self._inputs:
            raise RuntimeError("Please provide benchmark inputs.Did you forget to call "
                               "add_input()? ")
        threads_n = config.num_calling_threads
        if threads_n < 1:
            raise RuntimeError(f"benchmark(): num_calling_threads must be at least 1, got "
                               f"{threads_n}")
        if config.num_iters < 0 or config.num_warmup_iters < 0:
            raise RuntimeError(f"benchmark(): num_iters and num_warmup_iters must be "
                               f"non-negative, got {config.num_iters} and "
                               f"{config.num_warmup_iters}")
        module, inputs, num_iters = self._module, self._inputs, config.num_iters
        tracing = bool(config.profiler_output_path)
        events = []                 # (thread index, start, end) of measured calls
        counter = itertools.count()     # next() is atomic: the calls made so far
        warm = threading.Barrier(threads_n + 1)
        go = threading.Event()
        stop = threading.Event()
        errors = []

        def caller(index):
            rng = random.Random()
            try:
                for _ in range(config.num_warmup_iters):
                    args, kwargs = rng.choice(inputs)
                    module(*args, **kwargs)
            except BaseException as e:      # noqa: B036 - raised again by benchmark()
                errors.append(e)
                stop.set()
            try:
                warm.wait()
            except threading.BrokenBarrierError:
                return
            go.wait()
            try:
                while not stop.is_set() and next(counter) < num_iters:
                    args, kwargs = rng.choice(inputs)
                    if tracing:
                        t0 = time.perf_counter()
                        module(*args, **kwargs)
                        events.append((index, t0, time.perf_counter()))
                    else:
                        module(*args, **kwargs)
            except BaseException as e:      # noqa: B036
                errors.append(e)
                stop.set()

        threads = [threading.Thread(target=caller, args=(i,), daemon=True)
                   for i in range(threads_n)]
        for t in threads:
            t.start()
        warm.wait()
        start = time.perf_counter()
        go.set()
        for t in threads:
            t.join()
        total_ms = (time.perf_counter() - start) * 1000.0
        if errors:
            raise errors[0]
        if tracing:
            _write_trace(config.profiler_output_path, module, start, events)
        latency = total_ms * threads_n / num_iters if num_iters else float("inf")
        return BenchmarkExecutionStats._make(latency, num_iters)


def _write_trace(path, module, start, events):
    """The measured calls as complete events ("ph": "X") of a Chrome trace,
    in microseconds from the start of the measured phase."""
    import json
    import os
    name = getattr(module, "__name__", None) or type(module).__name__
    trace = {"traceEvents": [
        {"name": name, "cat": "benchmark", "ph": "X", "pid": os.getpid(), "tid": index,
         "ts": round((t0 - start) * 1e6, 3), "dur": round((t1 - t0) * 1e6, 3)}
        for index, t0, t1 in sorted(events, key=lambda e: e[1])], "displayTimeUnit": "ms"}
    with open(path, "w") as f:
        json.dump(trace, f)
