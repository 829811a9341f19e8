"""torch.compiler: ctorch compiles nothing, so these run everything eagerly
(torch.compile returns the function or module unchanged in behaviour,
disable returns its function, is_compiling() is always False)."""
from ctorch._compile import (  # noqa: F401
    compile, disable, is_compiling, is_dynamo_compiling, is_exporting, reset, list_backends,
    allow_in_graph, assume_constant_result,
)

__all__ = ["compile", "disable", "is_compiling", "is_dynamo_compiling", "is_exporting", "reset",
           "list_backends", "allow_in_graph", "assume_constant_result"]
