"""ctorch: a PyTorch-compatible tensor library (`import ctorch as torch`).

The public namespace mirrors torch's; everything here is a re-export.
"""
# the bottom layers: dtypes, tensors, devices, type promotion
from ctorch._core.dtype import (  # noqa: F401
    dtype, promote_types, get_default_dtype, set_default_dtype, _dtype_list,
)
from ctorch._core.tensor import Tensor, Size, strided, from_numpy, is_floating_point, is_complex  # noqa: F401
from ctorch._core.dispatch import device, get_num_threads, set_num_threads  # noqa: F401
from ctorch._core.iterator import can_cast  # noqa: F401
# the op families (each installs its Tensor methods and operators on import)
from ctorch._ops.creation import *  # noqa: F401,F403
from ctorch._ops.elementwise import *  # noqa: F401,F403
from ctorch._ops.views import *  # noqa: F401,F403
from ctorch._ops.random import *  # noqa: F401,F403
from ctorch._ops.sampling import *  # noqa: F401,F403
from ctorch._ops.hist import *  # noqa: F401,F403
from ctorch._ops.reduce import *  # noqa: F401,F403
from ctorch._ops.sort import *  # noqa: F401,F403
from ctorch._ops.index import *  # noqa: F401,F403
from ctorch._ops.shape import *  # noqa: F401,F403
from ctorch._ops.complex import *  # noqa: F401,F403
from ctorch._ops.products import *  # noqa: F401,F403
# names that would shadow Python's builtins inside the op modules
from ctorch._ops.creation import _range as range  # noqa: F401
from ctorch._ops.elementwise import _round as round  # noqa: F401
from ctorch._ops.reduce import (  # noqa: F401
    _any_fn as any, _all_fn as all, _sum_fn as sum, _max_fn as max, _min_fn as min,
)
from ctorch._ops.complex import _complex_fn as complex  # noqa: F401
from ctorch._ops.random import Generator, default_generator  # noqa: F401
# autograd: the engine (Tensor.backward); the derivatives table is loaded by
# the first op that records a graph
from ctorch.autograd import _engine  # noqa: F401
from ctorch import autograd  # noqa: F401
from ctorch import cuda  # noqa: F401
from ctorch import return_types  # noqa: F401
from ctorch.autograd.grad_mode import (  # noqa: F401
    no_grad, enable_grad, set_grad_enabled, inference_mode, is_grad_enabled,
)

(bool, uint8, int8, int16, int32, int64, float16, float32, float64,
 complex64, complex128) = _dtype_list()
half = float16
float = float32
double = float64
short = int16
int = int32
long = int64
cfloat = complex64
cdouble = complex128
chalf = None

pi = 3.141592653589793
e = 2.718281828459045
inf = __builtins__["float"]("inf") if isinstance(__builtins__, dict) else __builtins__.float("inf")
nan = inf - inf

FloatTensor = DoubleTensor = LongTensor = IntTensor = BoolTensor = ByteTensor = None
del chalf, FloatTensor, DoubleTensor, LongTensor, IntTensor, BoolTensor, ByteTensor

__version__ = "0.1.0"

# Submodules and names loaded on first use (`import ctorch` stays light):
# name -> (module, attribute or None for the module itself)
_LAZY = {
    "fft": ("ctorch.fft", None),
    "linalg": ("ctorch.linalg", None),
    "nn": ("ctorch.nn", None),
    "svd": ("ctorch.linalg", "_svd_legacy"),
    "qr": ("ctorch.linalg", "_qr_legacy"),
    "set_printoptions": ("ctorch._printing", "set_printoptions"),
    "get_printoptions": ("ctorch._printing", "get_printoptions"),
}


def __getattr__(name):
    spec = _LAZY.get(name)
    if spec is None:
        raise AttributeError(f"module 'ctorch' has no attribute '{name}'")
    import importlib
    module = importlib.import_module(spec[0])
    value = module if spec[1] is None else getattr(module, spec[1])
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
