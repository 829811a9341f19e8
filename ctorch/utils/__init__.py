"""torch.utils: DLPack interchange (ctorch.utils.dlpack); datasets and the
DataLoader (ctorch.utils.data) and ThroughputBenchmark
(ctorch.utils.throughput_benchmark), loaded on first use."""
from ctorch.utils import dlpack  # noqa: F401


def __getattr__(name):
    if name == "data":
        import importlib
        return importlib.import_module("ctorch.utils.data")
    if name in ("throughput_benchmark", "ThroughputBenchmark"):
        import importlib
        module = importlib.import_module("ctorch.utils.throughput_benchmark")
        return module if name == "throughput_benchmark" else module.ThroughputBenchmark
    raise AttributeError(f"module 'ctorch.utils' has no attribute '{name}'")


def __dir__():
    return sorted(set(globals()) | {"data", "throughput_benchmark", "ThroughputBenchmark"})
