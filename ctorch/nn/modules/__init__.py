"""The nn.Module classes."""
from ctorch.nn.modules.module import Module  # noqa: F401
from ctorch.nn.modules.container import (  # noqa: F401
    Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict)
