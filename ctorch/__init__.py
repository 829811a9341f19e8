"""ctorch: a PyTorch-compatible tensor library (`import ctorch as torch`).

The public namespace mirrors torch's; everything here is a re-export.
"""
# the bottom layers: dtypes, tensors, devices, type promotion
from ctorch._core.dtype import (  # noqa: F401
    dtype, promote_types, get_default_dtype, set_default_dtype, _dtype_list,
)
from ctorch._core.tensor import Tensor, Size, strided, from_numpy, is_floating_point, is_complex  # noqa: F401
from ctorch._core.dispatch import device, get_num_threads, set_num_threads  # noqa: F401
from ctorch._core.dispatch import (  # noqa: F401
    set_default_device, get_default_device, set_flush_denormal,
)
from ctorch._core.iterator import can_cast  # noqa: F401
from ctorch._core.dlpack import from_dlpack  # noqa: F401
# the op families the operators and the autograd engine need (each installs
# its Tensor methods and operators on import); the rest load on first use
from ctorch._ops.creation import *  # noqa: F401,F403
from ctorch._ops.elementwise import *  # noqa: F401,F403
from ctorch._ops.views import *  # noqa: F401,F403
from ctorch._ops.reduce import *  # noqa: F401,F403
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
# autograd: the graph nodes; the derivatives table is loaded by the first op
# that records a graph, the engine by the first backward
from ctorch import autograd  # noqa: F401
from ctorch import utils  # noqa: F401

(bool, uint8, int8, int16, int32, int64, float16, float32, float64,
 complex64, complex128, bfloat16) = _dtype_list()
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

# Modules loaded on first use, so that `import ctorch` stays light:
# module -> (its functions in this namespace, its Tensor methods, its Tensor
# properties). Until the module loads, each of its Tensor methods and
# properties is a stand-in that loads it (the module then installs the real
# one) and forwards the call. tests/test_import.py checks every list
# against what the module defines.
_ON_FIRST_USE = {
    "ctorch._ops.random": (
        ("Generator", "default_generator", "manual_seed", "seed", "initial_seed", "get_rng_state",
         "set_rng_state", "rand", "randn", "rand_like", "randn_like", "randint", "randint_like",
         "randperm", "normal"),
        ("uniform_", "normal_", "random_", "exponential_", "geometric_", "log_normal_", "cauchy_"), ()),
    "ctorch._ops.sampling": (
        ("bernoulli", "dropout", "dropout_", "multinomial", "poisson", "binomial"),
        ("bernoulli", "bernoulli_", "multinomial"), ()),
    "ctorch._ops.hist": (
        ("histc", "histogram", "bincount"),
        ("histc", "histogram", "bincount"), ()),
    "ctorch._ops.sort": (
        ("sort", "argsort", "msort", "topk", "kthvalue", "searchsorted", "bucketize",
         "nanmedian", "quantile", "nanquantile", "mode"),
        ("sort", "argsort", "msort", "topk", "kthvalue", "nanmedian", "quantile", "nanquantile",
         "mode"), ()),
    "ctorch._linalg_functions": (
        ("det", "inverse", "logdet", "slogdet", "cholesky", "cholesky_inverse", "cholesky_solve", "lu",
         "lu_solve", "lu_unpack", "matrix_exp", "matrix_power", "matrix_rank", "pinverse", "geqrf", "orgqr",
         "ormqr", "triangular_solve", "chain_matmul", "nuclear_norm", "frobenius_norm", "dist", "cross",
         "renorm", "symeig", "eig", "lstsq", "solve"),
        ("det", "inverse", "logdet", "slogdet", "cholesky", "cholesky_inverse", "cholesky_solve", "lu",
         "lu_solve", "matrix_exp", "matrix_power", "pinverse", "geqrf", "orgqr", "ormqr", "triangular_solve",
         "dist", "cross", "renorm", "renorm_", "symeig", "eig", "lstsq", "solve"), ()),
    "ctorch._ops.composite": (
        ("broadcast_to", "broadcast_tensors", "broadcast_shapes", "hsplit", "vsplit", "dsplit",
         "dstack", "column_stack", "meshgrid", "cartesian_prod", "combinations", "block_diag",
         "diagflat", "diff", "gradient", "trapezoid", "trapz", "cumulative_trapezoid",
         "tensordot", "inner", "cdist", "pdist", "cov", "corrcoef", "histogramdd",
         "is_same_size", "adjoint", "empty_strided", "empty_permuted", "bartlett_window",
         "blackman_window", "hamming_window", "hann_window", "kaiser_window", "resize_as_"),
        ("broadcast_to", "hsplit", "vsplit", "dsplit", "diagflat", "diff", "inner", "cov",
         "corrcoef", "is_same_size", "adjoint", "swapaxes_", "swapdims_", "tril_", "triu_",
         "resize", "resize_as", "resize_as_", "new", "new_empty_strided"), ("H", "mH")),
    "ctorch.autograd._engine": (
        (), ("backward", "register_hook", "retain_grad", "register_post_accumulate_grad_hook"),
        ("retains_grad",)),
    "ctorch._special": (
        ("digamma", "lgamma", "erfc", "erfc_", "erfinv", "i0", "i0_", "polygamma", "mvlgamma", "igamma",
         "igammac", "xlogy", "xlogy_", "sinc", "sinc_", "logit", "logit_"),
        ("digamma", "digamma_", "erfc", "erfc_", "erfinv", "erfinv_", "i0", "i0_", "igamma", "igamma_",
         "igammac", "igammac_", "lgamma", "lgamma_", "logit", "logit_", "mvlgamma", "mvlgamma_",
         "polygamma", "polygamma_", "sinc", "sinc_", "xlogy", "xlogy_"), ()),
    "ctorch.autograd.grad_mode": (
        ("no_grad", "enable_grad", "set_grad_enabled", "inference_mode", "is_grad_enabled",
         "is_inference_mode_enabled"), (), ()),
    "ctorch.autograd.anomaly_mode": (
        ("is_anomaly_enabled", "is_anomaly_check_nan_enabled", "set_anomaly_enabled"), (), ()),
    "ctorch._misc": (
        ("finfo", "iinfo", "typename", "is_tensor", "is_storage", "is_nonzero", "is_signed",
         "get_device", "get_device_module", "is_inference", "get_float32_matmul_precision",
         "set_float32_matmul_precision", "use_deterministic_algorithms",
         "are_deterministic_algorithms_enabled", "is_deterministic_algorithms_warn_only_enabled",
         "get_deterministic_debug_mode", "set_deterministic_debug_mode", "set_warn_always",
         "is_warn_always_enabled", "get_num_interop_threads", "set_num_interop_threads",
         "init_num_threads", "layout", "memory_format", "contiguous_format", "channels_last",
         "channels_last_3d", "preserve_format", "detach", "detach_"),
        ("is_nonzero", "is_signed", "const_data_ptr", "as_subclass", "apply_", "map_", "map2_"),
        ("volatile",)),
    "ctorch._storage": (
        ("UntypedStorage", "TypedStorage", "FloatStorage", "DoubleStorage", "HalfStorage",
         "LongStorage", "IntStorage", "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage",
         "ComplexFloatStorage", "ComplexDoubleStorage", "FloatTensor", "DoubleTensor",
         "HalfTensor", "LongTensor", "IntTensor", "ShortTensor", "CharTensor", "ByteTensor",
         "BoolTensor", "set_default_tensor_type", "StorageBase", "Storage", "BFloat16Storage",
         "BFloat16Tensor"),
        ("untyped_storage", "storage", "set_", "is_set_to"), ()),
    "ctorch._extras": (
        ("stft", "istft", "vander", "frombuffer", "from_file", "is_distributed", "as_strided_",
         "conj_physical_", "to_dlpack", "svd_lowrank", "pca_lowrank"),
        ("stft", "istft", "is_distributed", "to_dense", "as_strided_"), ()),
    "ctorch.jit._types": (
        ("Type", "AnyType", "NumberType", "IntType", "FloatType", "ComplexType", "BoolType",
         "StringType", "NoneType", "TensorType", "DeviceObjType", "StreamObjType", "ListType",
         "DictType", "TupleType", "OptionalType", "UnionType", "FutureType", "RRefType", "AwaitType",
         "PyObjectType", "ClassType", "EnumType", "InterfaceType", "SymIntType", "SymBoolType",
         "InferredType", "FunctionSchema", "Argument", "ScriptList", "ScriptDict",
         "ScriptListIterator", "ScriptDictIterator", "ScriptDictKeyIterator"), (), ()),
}

# name -> (module, attribute or None for the module itself)
_LAZY = {
    "fft": ("ctorch.fft", None),
    "linalg": ("ctorch.linalg", None),
    "nn": ("ctorch.nn", None),
    "cuda": ("ctorch.cuda", None),
    "special": ("ctorch.special", None),
    "return_types": ("ctorch.return_types", None),
    "random": ("ctorch.random", None),
    "svd": ("ctorch.linalg", "_svd_legacy"),
    "qr": ("ctorch.linalg", "_qr_legacy"),
    "set_printoptions": ("ctorch._printing", "set_printoptions"),
    "get_printoptions": ("ctorch._printing", "get_printoptions"),
    "cpu": ("ctorch.cpu", None),
    "OutOfMemoryError": ("ctorch.cuda", "OutOfMemoryError"),
    # torch.nn.functional ops that PyTorch also exposes at torch level
    "hardshrink": ("ctorch.nn.functional", "hardshrink"),
    "prelu": ("ctorch.nn.functional", "prelu"),
    "selu_": ("ctorch.nn.functional", "selu_"),
    "celu_": ("ctorch.nn.functional", "celu_"),
    "threshold_": ("ctorch.nn.functional", "threshold_"),
    "rrelu_": ("ctorch.nn.functional", "rrelu_"),
    "cosine_similarity": ("ctorch.nn.functional", "cosine_similarity"),
    "pairwise_distance": ("ctorch.nn.functional", "pairwise_distance"),
    "rms_norm": ("ctorch.nn.functional", "rms_norm"),
    "pixel_shuffle": ("ctorch.nn.functional", "pixel_shuffle"),
    "pixel_unshuffle": ("ctorch.nn.functional", "pixel_unshuffle"),
    "channel_shuffle": ("ctorch.nn.functional", "channel_shuffle"),
    "constant_pad_nd": ("ctorch.nn.functional", "constant_pad_nd"),
    "selu": ("ctorch.nn.functional", "_torch_selu"),
    "celu": ("ctorch.nn.functional", "_torch_celu"),
    "threshold": ("ctorch.nn.functional", "_torch_threshold"),
    "rrelu": ("ctorch.nn.functional", "_torch_rrelu"),
    "margin_ranking_loss": ("ctorch.nn.functional", "_torch_margin_ranking_loss"),
    "hinge_embedding_loss": ("ctorch.nn.functional", "_torch_hinge_embedding_loss"),
    "cosine_embedding_loss": ("ctorch.nn.functional", "_torch_cosine_embedding_loss"),
    "triplet_margin_loss": ("ctorch.nn.functional", "_torch_triplet_margin_loss"),
    "kl_div": ("ctorch.nn.functional", "_torch_kl_div"),
    "poisson_nll_loss": ("ctorch.nn.functional", "_torch_poisson_nll_loss"),
    "binary_cross_entropy_with_logits": ("ctorch.nn.functional", "_torch_bce_with_logits"),
    "layer_norm": ("ctorch.nn.functional", "_torch_layer_norm"),
    "group_norm": ("ctorch.nn.functional", "_torch_group_norm"),
    "embedding": ("ctorch.nn.functional", "_torch_embedding"),
    # checkpoints, futures and functional control flow
    "serialization": ("ctorch.serialization", None),
    "save": ("ctorch.serialization", "save"),
    "load": ("ctorch.serialization", "load"),
    "PyTorchFileReader": ("ctorch.serialization", "PyTorchFileReader"),
    "PyTorchFileWriter": ("ctorch.serialization", "PyTorchFileWriter"),
    "FileCheck": ("ctorch._filecheck", "FileCheck"),
    "ThroughputBenchmark": ("ctorch._benchmark", "ThroughputBenchmark"),
    "BenchmarkConfig": ("ctorch._benchmark", "BenchmarkConfig"),
    "BenchmarkExecutionStats": ("ctorch._benchmark", "BenchmarkExecutionStats"),
    "futures": ("ctorch.futures", None),
    "Future": ("ctorch.futures", "Future"),
    "fork": ("ctorch.futures", "fork"),
    "wait": ("ctorch.futures", "wait"),
    "cond": ("ctorch._control", "cond"),
    "while_loop": ("ctorch._control", "while_loop"),
    "vmap": ("ctorch._control", "vmap"),
    "func": ("ctorch.func", None),
    # pool
    "max_pool1d": ("ctorch.nn._pool", "_torch_max_pool1d"),
    "max_pool1d_with_indices": ("ctorch.nn._pool", "_torch_max_pool1d_with_indices"),
    "max_pool2d": ("ctorch.nn._pool", "_torch_max_pool2d"),
    "max_pool3d": ("ctorch.nn._pool", "_torch_max_pool3d"),
    "avg_pool1d": ("ctorch.nn._pool", "_torch_avg_pool1d"),
    "adaptive_avg_pool1d": ("ctorch.nn._pool", "_torch_adaptive_avg_pool1d"),
    "adaptive_max_pool1d": ("ctorch.nn._pool", "_torch_adaptive_max_pool1d"),
    # grid
    "grid_sampler": ("ctorch.nn._grid", "_torch_grid_sampler"),
    "ctc_loss": ("ctorch.nn._grid", "_torch_ctc_loss"),
    "grid_sampler_2d": ("ctorch.nn._grid", "_torch_grid_sampler_2d"),
    "grid_sampler_3d": ("ctorch.nn._grid", "_torch_grid_sampler_3d"),
    "affine_grid_generator": ("ctorch.nn._grid", "_torch_affine_grid_generator"),
    # rnn
    "rnn_tanh_cell": ("ctorch.nn._rnn", "rnn_tanh_cell"),
    "rnn_relu_cell": ("ctorch.nn._rnn", "rnn_relu_cell"),
    "lstm_cell": ("ctorch.nn._rnn", "lstm_cell"),
    "gru_cell": ("ctorch.nn._rnn", "gru_cell"),
    "rnn_tanh": ("ctorch.nn._rnn", "rnn_tanh"),
    "rnn_relu": ("ctorch.nn._rnn", "rnn_relu"),
    "lstm": ("ctorch.nn._rnn", "lstm"),
    "gru": ("ctorch.nn._rnn", "gru"),
    "lobpcg": ("ctorch._lobpcg", "lobpcg"),
    # nnmisc
    "batch_norm": ("ctorch.nn._nnmisc", "_torch_batch_norm"),
    "instance_norm": ("ctorch.nn._nnmisc", "_torch_instance_norm"),
    "bilinear": ("ctorch.nn._nnmisc", "_torch_bilinear"),
    "embedding_bag": ("ctorch.nn._nnmisc", "_torch_embedding_bag"),
    "alpha_dropout": ("ctorch.nn._nnmisc", "_torch_alpha_dropout"),
    "alpha_dropout_": ("ctorch.nn._nnmisc", "alpha_dropout_"),
    "feature_alpha_dropout": ("ctorch.nn._nnmisc", "_torch_feature_alpha_dropout"),
    "feature_alpha_dropout_": ("ctorch.nn._nnmisc", "feature_alpha_dropout_"),
    "feature_dropout": ("ctorch.nn._nnmisc", "feature_dropout"),
    "feature_dropout_": ("ctorch.nn._nnmisc", "feature_dropout_"),
    "norm_except_dim": ("ctorch.nn._nnmisc", "norm_except_dim"),
    # conv
    "conv1d": ("ctorch.nn._conv", "conv1d"),
    "conv2d": ("ctorch.nn._conv", "conv2d"),
    "conv3d": ("ctorch.nn._conv", "conv3d"),
    "conv_transpose1d": ("ctorch.nn._conv", "conv_transpose1d"),
    "conv_transpose2d": ("ctorch.nn._conv", "conv_transpose2d"),
    "conv_transpose3d": ("ctorch.nn._conv", "conv_transpose3d"),
    "convolution": ("ctorch.nn._conv", "convolution"),
    # optim
    "optim": ("ctorch.optim", None),
    # mixed precision, compile (eager), generic streams and events, device errors
    "amp": ("ctorch.amp", None),
    "autocast": ("ctorch.amp.autocast_mode", "autocast"),
    "GradScaler": ("ctorch.amp.grad_scaler", "GradScaler"),
    "clear_autocast_cache": ("ctorch.amp.autocast_mode", "clear_autocast_cache"),
    "is_autocast_enabled": ("ctorch.amp.autocast_mode", "is_autocast_enabled"),
    "set_autocast_enabled": ("ctorch.amp.autocast_mode", "set_autocast_enabled"),
    "get_autocast_dtype": ("ctorch.amp.autocast_mode", "get_autocast_dtype"),
    "set_autocast_dtype": ("ctorch.amp.autocast_mode", "set_autocast_dtype"),
    "get_autocast_cpu_dtype": ("ctorch.amp.autocast_mode", "get_autocast_cpu_dtype"),
    "get_autocast_gpu_dtype": ("ctorch.amp.autocast_mode", "get_autocast_gpu_dtype"),
    "set_autocast_cpu_dtype": ("ctorch.amp.autocast_mode", "set_autocast_cpu_dtype"),
    "set_autocast_gpu_dtype": ("ctorch.amp.autocast_mode", "set_autocast_gpu_dtype"),
    "is_autocast_cpu_enabled": ("ctorch.amp.autocast_mode", "is_autocast_cpu_enabled"),
    "set_autocast_cpu_enabled": ("ctorch.amp.autocast_mode", "set_autocast_cpu_enabled"),
    "is_autocast_cache_enabled": ("ctorch.amp.autocast_mode", "is_autocast_cache_enabled"),
    "set_autocast_cache_enabled": ("ctorch.amp.autocast_mode", "set_autocast_cache_enabled"),
    "autocast_increment_nesting": ("ctorch.amp.autocast_mode", "autocast_increment_nesting"),
    "autocast_decrement_nesting": ("ctorch.amp.autocast_mode", "autocast_decrement_nesting"),
    "compile": ("ctorch._compile", "compile"),
    "compiler": ("ctorch.compiler", None),
    "Stream": ("ctorch._streams", "Stream"),
    "Event": ("ctorch._streams", "Event"),
    "AcceleratorError": ("ctorch.cuda", "AcceleratorError"),
    # TorchScript's front end (eager, schema-checked) and its classes
    "jit": ("ctorch.jit", None),
    "ScriptFunction": ("ctorch.jit._script", "ScriptFunction"),
    "ScriptMethod": ("ctorch.jit._script", "ScriptMethod"),
    "ScriptObject": ("ctorch.jit._script", "ScriptObject"),
    "ScriptModule": ("ctorch.jit._script", "_CScriptModule"),
    "CompilationUnit": ("ctorch.jit._script", "CompilationUnit"),
    "JITException": ("ctorch.jit._script", "Error"),
    "ModuleDict": ("ctorch.jit._script", "ModuleDict"),
    "ParameterDict": ("ctorch.jit._script", "ParameterDict"),
    "BufferDict": ("ctorch.jit._script", "BufferDict"),
}


def _stand_in(module, name, is_property):
    def load(self):
        import importlib
        importlib.import_module(module)        # replaces Tensor.<name>
        return getattr(self, name)

    if is_property:
        return property(load)

    def method(self, *args, **kwargs):
        return load(self)(*args, **kwargs)
    method.__name__ = name
    method.__qualname__ = "Tensor." + name
    return method


# Tensor methods of modules whose functions do not all join this namespace
# (torch.nn.functional: the torch-level ones are in _LAZY)
_METHODS_ON_FIRST_USE = {"ctorch.nn.functional": ("hardshrink", "prelu")}


def _install_stand_ins():
    from ctorch._core.tensor import _install_method
    for module, methods in _METHODS_ON_FIRST_USE.items():
        for name in methods:
            _install_method(name, _stand_in(module, name, False))
    for module, (functions, methods, properties) in _ON_FIRST_USE.items():
        for name in functions:
            _LAZY[name] = (module, name)
        for name in methods:
            _install_method(name, _stand_in(module, name, False))
        for name in properties:
            _install_method(name, _stand_in(module, name, True))


_install_stand_ins()
del _install_stand_ins


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
