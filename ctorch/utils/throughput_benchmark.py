"""torch.utils.ThroughputBenchmark: the keyword-argument front end of
torch.ThroughputBenchmark (ctorch/_benchmark.py), whose benchmark() returns
ExecutionStats (latency, iterations, iterations per second, total time)."""
from ctorch._benchmark import ThroughputBenchmark as _Benchmark, BenchmarkConfig

__all__ = ["ThroughputBenchmark", "ExecutionStats", "format_time"]


def format_time(time_us=None, time_ms=None, time_s=None):
    """One duration, given in exactly one unit, as text in the largest unit
    it reaches: "1.500s", "2.000ms" or "12.000us"."""
    if sum(t is not None for t in (time_us, time_ms, time_s)) != 1:
        raise AssertionError("Expected only one of time_us, time_ms, time_s is given.")
    if time_us is None:
        time_us = time_ms * 1e3 if time_ms is not None else time_s * 1e6
    if time_us >= 1e6:
        return f"{time_us / 1e6:.3f}s"
    if time_us >= 1e3:
        return f"{time_us / 1e3:.3f}ms"
    return f"{time_us:.3f}us"


class ExecutionStats:
    """A benchmark's measurements (a BenchmarkExecutionStats) with the
    BenchmarkConfig that produced them."""

    def __init__(self, c_stats, benchmark_config):
        self._c_stats = c_stats
        self.benchmark_config = benchmark_config

    @property
    def latency_avg_ms(self):
        return self._c_stats.latency_avg_ms

    @property
    def num_iters(self):
        return self._c_stats.num_iters

    @property
    def iters_per_second(self):
        """Calls per second, across all the calling threads."""
        return self.num_iters / self.total_time_seconds

    @property
    def total_time_seconds(self):
        return (self.num_iters * (self.latency_avg_ms / 1000.0) /
                self.benchmark_config.num_calling_threads)

    def __str__(self):
        return "\n".join([
            "Average latency per example: " + format_time(time_ms=self.latency_avg_ms),
            f"Total number of iterations: {self.num_iters}",
            f"Total number of iterations per second (across all threads): "
            f"{self.iters_per_second:.2f}",
            "Total time: " + format_time(time_s=self.total_time_seconds)])


class ThroughputBenchmark:
    """Runs a module (an nn.Module or any callable) as an inference server
    would, from several calling threads at once, on inputs given beforehand:

        bench = ThroughputBenchmark(model)
        bench.add_input(x)                 # as many as wanted, args and kwargs
        stats = bench.benchmark(num_calling_threads=4, num_warmup_iters=10,
                                num_iters=1000)
        print(stats.latency_avg_ms, stats.num_iters)"""

    def __init__(self, module):
        self._benchmark = _Benchmark(module)

    def run_once(self, *args, **kwargs):
        """Calls the module once on these arguments and returns its output."""
        return self._benchmark.run_once(*args, **kwargs)

    def add_input(self, *args, **kwargs):
        """Keeps one input (the call's arguments); every calling thread picks
        its inputs at random among those kept."""
        self._benchmark.add_input(*args, **kwargs)

    def benchmark(self, num_calling_threads=1, num_warmup_iters=10, num_iters=100,
                  profiler_output_path=""):
        """Runs num_warmup_iters calls in each of num_calling_threads threads,
        then num_iters calls across them, timed; with profiler_output_path,
        the timed calls are written there as a Chrome trace. Returns the
        ExecutionStats."""
        config = BenchmarkConfig()
        config.num_calling_threads = num_calling_threads
        config.num_warmup_iters = num_warmup_iters
        config.num_iters = num_iters
        config.profiler_output_path = profiler_output_path
        return ExecutionStats(self._benchmark.benchmark(config), config)
