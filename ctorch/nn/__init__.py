"""ctorch.nn: modules (`Module` and containers), `Parameter`/`Buffer`,
`init`, and the functional interface (`ctorch.nn.functional`)."""
from ctorch.nn import functional  # noqa: F401
from ctorch.nn.parameter import Parameter, Buffer  # noqa: F401
from ctorch.nn.modules import (  # noqa: F401
    Module, Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict)
from ctorch.nn import init  # noqa: F401
