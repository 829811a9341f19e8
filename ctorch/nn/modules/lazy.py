"""Lazy modules: LazyModuleMixin and the lazy Linear, Conv/ConvTranspose,
BatchNorm and InstanceNorm layers. Their parameters (and running-statistics
buffers) start as UninitializedParameter/UninitializedBuffer; a forward pre-hook
infers the shapes from the first input, materializes them with the layer's own
initialization and turns the module into its non-lazy class (`cls_to_become`).
Loading a state dict into a lazy module materializes with the loaded shapes."""
import itertools

import ctorch
from ctorch._core.tensor import Tensor
from ctorch.nn.parameter import (
    UninitializedParameter, UninitializedBuffer, _MaterializedBuffer, is_lazy)
from ctorch.nn.modules.linear import Linear
from ctorch.nn.modules.conv import (
    Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d)
from ctorch.nn.modules.normalization import (
    BatchNorm1d, BatchNorm2d, BatchNorm3d, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d,
    _NormBase, _BatchNorm, _InstanceNorm)

# LazyModuleMixin stays in this module, as in PyTorch (not in the nn namespace)
__all__ = ["LazyLinear", "LazyConv1d", "LazyConv2d", "LazyConv3d",
           "LazyConvTranspose1d", "LazyConvTranspose2d", "LazyConvTranspose3d",
           "LazyBatchNorm1d", "LazyBatchNorm2d", "LazyBatchNorm3d", "LazyInstanceNorm1d",
           "LazyInstanceNorm2d", "LazyInstanceNorm3d"]


class LazyModuleMixin:
    """A mixin for modules whose parameters' shapes come from their first input.
    The module calls `initialize_parameters(*args, **kwargs)` (with the forward's
    arguments) from a forward pre-hook; once nothing is uninitialized the hook
    goes away and the module becomes `cls_to_become` (when set)."""

    cls_to_become = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        handle = self.register_forward_pre_hook(self._infer_parameters, with_kwargs=True)
        self._initialize_hook_id = handle.id

    def _save_to_state_dict(self, destination, prefix, keep_vars):
        # uninitialized entries are stored as they are (they cannot be detached)
        for name, param in self._parameters.items():
            if param is not None:
                destination[prefix + name] = (param if is_lazy(param) or keep_vars
                                              else param.detach())
        for name, buf in self._buffers.items():
            if buf is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = (buf if is_lazy(buf) or keep_vars
                                              else buf.detach())

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys,
                              unexpected_keys, error_msgs, *args, **kwargs):
        # an uninitialized entry takes the shape of the initialized tensor being
        # loaded; an uninitialized one loaded into another has nothing to copy
        skipped = []
        for name, param in itertools.chain(self._parameters.items(), self._buffers.items()):
            key = prefix + name
            if param is None or key not in state_dict or not is_lazy(param):
                continue
            if is_lazy(state_dict[key]):
                skipped.append(key)
            else:
                with ctorch.no_grad():
                    param.materialize(state_dict[key].shape)
        self._plain_buffers()
        if skipped:
            state_dict = {k: v for k, v in state_dict.items() if k not in skipped}
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys,
                                      unexpected_keys, error_msgs, *args, **kwargs)
        for key in skipped:
            if key in missing_keys:
                missing_keys.remove(key)

    def _plain_buffers(self):
        # a materialized buffer is stored as a plain Tensor over the same memory
        for name, buf in self._buffers.items():
            if type(buf) is _MaterializedBuffer:
                self._buffers[name] = Tensor.detach(buf).requires_grad_(buf.requires_grad)

    def initialize_parameters(self, *args, **kwargs):
        """Materializes the parameters from the properties of the input batch."""
        raise NotImplementedError(
            f"initialize_parameters is not implemented for {self.__class__.__name__}")

    def has_uninitialized_params(self):
        """Whether a parameter or buffer of this module is still uninitialized."""
        return any(is_lazy(t) for t in itertools.chain(self._parameters.values(),
                                                       self._buffers.values()))

    def _infer_parameters(self, module, args, kwargs=None):
        kwargs = kwargs if kwargs else {}
        module.initialize_parameters(*args, **kwargs)
        module._plain_buffers()
        if module.has_uninitialized_params():
            raise RuntimeError(f"module {self._get_name()} has not been fully initialized")
        hook_id = module.__dict__.pop("_initialize_hook_id")
        module._forward_pre_hooks.pop(hook_id, None)
        module._forward_pre_hooks_with_kwargs.pop(hook_id, None)
        if module.cls_to_become is not None:
            module.__class__ = module.cls_to_become

    def _replicate_for_data_parallel(self):
        raise RuntimeError("Modules with uninitialized parameters can't be used with "
                           "`DataParallel`. Run a dummy forward pass to correctly initialize "
                           "the modules")


def _factory(device, dtype):
    return {"device": device, "dtype": dtype}


class LazyLinear(LazyModuleMixin, Linear):
    """A Linear whose in_features is inferred from input.shape[-1]."""

    cls_to_become = Linear

    def __init__(self, out_features, bias=True, device=None, dtype=None):
        fk = _factory(device, dtype)
        # a 0x0 Linear without bias, whose tensors are replaced at once
        super().__init__(0, 0, False)
        self.weight = UninitializedParameter(**fk)
        self.out_features = out_features
        if bias:
            self.bias = UninitializedParameter(**fk)

    def reset_parameters(self):
        if not self.has_uninitialized_params() and self.in_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input):
        if self.has_uninitialized_params():
            with ctorch.no_grad():
                self.in_features = input.shape[-1]
                self.weight.materialize((self.out_features, self.in_features))
                if self.bias is not None:
                    self.bias.materialize((self.out_features,))
                self.reset_parameters()


class _LazyConvMixin(LazyModuleMixin):
    """What the lazy convolutions share: in_channels is input.shape[1] (batched)
    or input.shape[0] (unbatched)."""

    def _lazy_init(self, out_channels, bias, fk):
        self.weight = UninitializedParameter(**fk)
        self.out_channels = out_channels
        if bias:
            self.bias = UninitializedParameter(**fk)

    def reset_parameters(self):
        if not self.has_uninitialized_params() and self.in_channels != 0:
            super().reset_parameters()

    def _get_in_channels(self, input):
        nd = self._nd
        if input.dim() not in (nd + 1, nd + 2):
            raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to "
                             f"{self.__class__.__name__}, but got input of size: {input.shape}")
        return input.shape[1] if input.dim() == nd + 2 else input.shape[0]

    def initialize_parameters(self, input, *args, **kwargs):
        if self.has_uninitialized_params():
            self.in_channels = self._get_in_channels(input)
            if self.in_channels % self.groups != 0:
                raise ValueError("in_channels must be divisible by groups")
            if self.transposed:
                shape = (self.in_channels, self.out_channels // self.groups, *self.kernel_size)
            else:
                shape = (self.out_channels, self.in_channels // self.groups, *self.kernel_size)
            with ctorch.no_grad():
                self.weight.materialize(shape)
                if self.bias is not None:
                    self.bias.materialize((self.out_channels,))
                self.reset_parameters()


def _lazy_conv_init(self, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                    bias=True, padding_mode="zeros", device=None, dtype=None):
    LazyModuleMixin.__init__(self, 0, 0, kernel_size, stride, padding, dilation, groups,
                             False, padding_mode)
    self._lazy_init(out_channels, bias, _factory(device, dtype))


def _lazy_conv_transpose_init(self, out_channels, kernel_size, stride=1, padding=0,
                              output_padding=0, groups=1, bias=True, dilation=1,
                              padding_mode="zeros", device=None, dtype=None):
    LazyModuleMixin.__init__(self, 0, 0, kernel_size, stride, padding, output_padding,
                             groups, False, dilation, padding_mode)
    self._lazy_init(out_channels, bias, _factory(device, dtype))


class LazyConv1d(_LazyConvMixin, Conv1d):
    """A Conv1d whose in_channels is inferred from the input."""
    cls_to_become = Conv1d
    __init__ = _lazy_conv_init


class LazyConv2d(_LazyConvMixin, Conv2d):
    """A Conv2d whose in_channels is inferred from the input."""
    cls_to_become = Conv2d
    __init__ = _lazy_conv_init


class LazyConv3d(_LazyConvMixin, Conv3d):
    """A Conv3d whose in_channels is inferred from the input."""
    cls_to_become = Conv3d
    __init__ = _lazy_conv_init


class LazyConvTranspose1d(_LazyConvMixin, ConvTranspose1d):
    """A ConvTranspose1d whose in_channels is inferred from the input."""
    cls_to_become = ConvTranspose1d
    __init__ = _lazy_conv_transpose_init


class LazyConvTranspose2d(_LazyConvMixin, ConvTranspose2d):
    """A ConvTranspose2d whose in_channels is inferred from the input."""
    cls_to_become = ConvTranspose2d
    __init__ = _lazy_conv_transpose_init


class LazyConvTranspose3d(_LazyConvMixin, ConvTranspose3d):
    """A ConvTranspose3d whose in_channels is inferred from the input."""
    cls_to_become = ConvTranspose3d
    __init__ = _lazy_conv_transpose_init


class _LazyNormBase(LazyModuleMixin, _NormBase):
    """The lazy batch and instance norms: num_features is input.shape[1]; the
    affine parameters and the running statistics are materialized from it."""

    def __init__(self, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True,
                 device=None, dtype=None, *, bias=True):
        fk = _factory(device, dtype)
        # no tensors at first: they are replaced by uninitialized ones at once
        super().__init__(0, eps, momentum, False, False, bias=False, **fk)
        self.affine = affine
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = UninitializedParameter(**fk)
            if bias:
                self.bias = UninitializedParameter(**fk)
        if track_running_stats:
            self.running_mean = UninitializedBuffer(**fk)
            self.running_var = UninitializedBuffer(**fk)
            self.num_batches_tracked = ctorch.tensor(0, dtype=ctorch.long, device=device)

    def reset_parameters(self):
        if not self.has_uninitialized_params() and self.num_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input):
        if self.has_uninitialized_params():
            self.num_features = input.shape[1]
            with ctorch.no_grad():
                for name in ("weight", "bias", "running_mean", "running_var"):
                    t = getattr(self, name)
                    if t is not None and is_lazy(t):
                        t.materialize((self.num_features,))
                self._plain_buffers()
                self.reset_parameters()


# Like PyTorch's, the lazy norms derive from the norms' common bases, not from
# the classes they become.
class LazyBatchNorm1d(_LazyNormBase, _BatchNorm):
    """A BatchNorm1d whose num_features is inferred from input.size(1)."""
    cls_to_become = BatchNorm1d
    _check_input_dim = BatchNorm1d._check_input_dim


class LazyBatchNorm2d(_LazyNormBase, _BatchNorm):
    """A BatchNorm2d whose num_features is inferred from input.size(1)."""
    cls_to_become = BatchNorm2d
    _check_input_dim = BatchNorm2d._check_input_dim


class LazyBatchNorm3d(_LazyNormBase, _BatchNorm):
    """A BatchNorm3d whose num_features is inferred from input.size(1)."""
    cls_to_become = BatchNorm3d
    _check_input_dim = BatchNorm3d._check_input_dim


class LazyInstanceNorm1d(_LazyNormBase, _InstanceNorm):
    """An InstanceNorm1d whose num_features is inferred from input.size(1)."""
    cls_to_become = InstanceNorm1d
    _nobatch = InstanceNorm1d._nobatch


class LazyInstanceNorm2d(_LazyNormBase, _InstanceNorm):
    """An InstanceNorm2d whose num_features is inferred from input.size(1)."""
    cls_to_become = InstanceNorm2d
    _nobatch = InstanceNorm2d._nobatch


class LazyInstanceNorm3d(_LazyNormBase, _InstanceNorm):
    """An InstanceNorm3d whose num_features is inferred from input.size(1)."""
    cls_to_become = InstanceNorm3d
    _nobatch = InstanceNorm3d._nobatch
