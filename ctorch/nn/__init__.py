"""ctorch.nn: the functional interface (`ctorch.nn.functional`)."""
from ctorch.nn import functional  # noqa: F401
