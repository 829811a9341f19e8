"""Optimizer: the base class of the torch.optim algorithms (param groups, state, state_dict)."""
from collections import OrderedDict, defaultdict
from copy import deepcopy
from itertools import chain

import ctorch


class _RequiredParameter:
    """Marks a default that every param group must set itself."""

    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()


class Optimizer:
    def __init__(self, params, defaults):
        self.defaults = defaults
        self._optimizer_step_pre_hooks = OrderedDict()
        self._optimizer_step_post_hooks = OrderedDict()
        self._next_hook_id = 0
        if isinstance(params, ctorch.Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            "Tensors or dicts, but got " + params.type())
        self.state = defaultdict(dict)
        self.param_groups = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for group in param_groups:
            self.add_param_group(group)

    def __getstate__(self):
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.__dict__.setdefault("_optimizer_step_pre_hooks", OrderedDict())
        self.__dict__.setdefault("_optimizer_step_post_hooks", OrderedDict())
        self.__dict__.setdefault("_next_hook_id", 0)

    def __repr__(self):
        s = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            s += "\n"
            s += f"Parameter Group {i}\n"
            for key in sorted(group.keys()):
                if key != "params":
                    s += f"    {key}: {group[key]}\n"
        s += ")"
        return s

    def add_param_group(self, param_group):
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        params = param_group["params"]
        if isinstance(params, ctorch.Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but "
                            "the ordering of tensors in sets will change between runs. Please use a list instead.")
        else:
            param_group["params"] = list(params)
        # named parameters ((name, tensor) pairs, as from Module.named_parameters()) keep their names
        named = bool(param_group["params"]) and all(
            isinstance(x, tuple) and len(x) == 2 for x in param_group["params"])
        if named:
            param_group["param_names"] = [x[0] for x in param_group["params"]]
            param_group["params"] = [x[1] for x in param_group["params"]]
        if self.param_groups and ("param_names" in self.param_groups[0]) != named:
            raise ValueError("all optimizer param groups should be with/without names. cannot add param group "
                             + ("with" if named else "without") + " names to the optimizer")
        for param in param_group["params"]:
            if not isinstance(param, ctorch.Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                                + type(param).__name__)
            if not self.defaults.get("differentiable", None) and not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter {name}")
            param_group.setdefault(name, default)
        params = param_group["params"]
        if len(params) != len(set(map(id, params))):
            import warnings
            warnings.warn("optimizer contains a parameter group with duplicate parameters; "
                          "in future, this will cause an error; "
                          "see github.com/pytorch/pytorch/issues/40967 for more information", stacklevel=3)
        seen = set()
        for group in self.param_groups:
            seen.update(map(id, group["params"]))
        if not seen.isdisjoint(map(id, params)):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none=True):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    if set_to_none:
                        p.grad = None
                    else:
                        g = p.grad
                        if g.grad_fn is not None:
                            g = g.detach()
                        else:
                            g.requires_grad_(False)
                        g.zero_()
                        p.grad = g

    def state_dict(self):
        mapping = {}
        index = 0

        def pack(group):
            nonlocal index
            packed = {k: v for k, v in group.items() if k != "params"}
            for p in group["params"]:
                if id(p) not in mapping:
                    mapping[id(p)] = index
                    index += 1
            packed["params"] = [mapping[id(p)] for p in group["params"]]
            return packed

        groups = [pack(g) for g in self.param_groups]
        state = {mapping[id(k)]: v for k, v in self.state.items()}
        return {"state": state, "param_groups": groups}

    @staticmethod
    def _process_value(param, value, key=None):
        # floating state follows the parameter's dtype and device; 'step' stays as stored
        if isinstance(value, ctorch.Tensor):
            if key == "step":
                return value.clone()
            if param.is_floating_point():
                return value.to(dtype=param.dtype, device=param.device)
            return value.to(device=param.device)
        if isinstance(value, dict):
            return {k: Optimizer._process_value(param, v, k) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(Optimizer._process_value(param, v, key) for v in value)
        return value

    def load_state_dict(self, state_dict):
        state_dict = dict(state_dict)
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        param_lens = (len(g["params"]) for g in groups)
        saved_lens = (len(g["params"]) for g in saved_groups)
        if any(a != b for a, b in zip(param_lens, saved_lens)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match "
                             "the size of optimizer's group")
        id_map = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                          chain.from_iterable(g["params"] for g in groups)))
        state = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                param = id_map[k]
                state[param] = self._process_value(param, v)
            else:
                state[k] = v
        new_groups = []
        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
            new_groups.append(saved)
        self.state = state
        self.param_groups = new_groups

    def register_step_pre_hook(self, hook):
        return self._add_hook(self._optimizer_step_pre_hooks, hook)

    def register_step_post_hook(self, hook):
        return self._add_hook(self._optimizer_step_post_hooks, hook)

    def _add_hook(self, table, hook):
        key = self._next_hook_id
        self._next_hook_id += 1
        table[key] = hook
        return _RemovableHandle(table, key)

    def _run_step(self, closure):
        # the subclass's update, wrapped with the step hooks
        args, kwargs = (), ({} if closure is None else {"closure": closure})
        for hook in list(self._optimizer_step_pre_hooks.values()):
            result = hook(self, args, kwargs)
            if result is not None:
                if isinstance(result, tuple) and len(result) == 2:
                    args, kwargs = result
                    closure = args[0] if args else kwargs.get("closure")
                else:
                    raise RuntimeError(f"{hook} must return None or a tuple of (new_args, new_kwargs), "
                                       f"but got {result}.")
        loss = None
        if closure is not None:
            with ctorch.enable_grad():
                loss = closure()
        # the update is recorded by autograd only for a differentiable optimizer
        with ctorch.set_grad_enabled(bool(self.defaults.get("differentiable", False))):
            for group in self.param_groups:
                self._update_group(group)
        for hook in list(self._optimizer_step_post_hooks.values()):
            hook(self, args, kwargs)
        return loss

    def step(self, closure=None):
        return self._run_step(closure)

    def _update_group(self, group):
        raise NotImplementedError


class _RemovableHandle:
    def __init__(self, table, key):
        self._table = table
        self.id = key

    def remove(self):
        self._table.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.remove()


def _check_flags(group_defaults, name=None):
    """foreach/fused/capturable/differentiable: PyTorch's validation of the implementation flags."""
    if group_defaults.get("fused") and group_defaults.get("foreach"):
        raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
    if group_defaults.get("fused") and group_defaults.get("differentiable"):
        raise RuntimeError("`fused` does not support `differentiable`")


def _fused_kernels(group):
    """The fused update kernels (ctorch._ops.optim) when the group may use them,
    else None: with fused=True, and by default (fused=None) unless foreach=False
    asks for the per-tensor loop of ops, never for a differentiable update. A
    tensor the kernels do not take (another dtype or device, not dense) still
    goes through the composed ops."""
    fused = group.get("fused")
    if fused is False or group.get("differentiable"):
        return None
    if fused is None and group.get("foreach") is False:
        return None
    from ctorch._ops import optim as kernels
    return kernels


def _check_fused_param(group, p):
    """fused=True takes floating-point parameters only (PyTorch's check)."""
    if group.get("fused") and not p.is_floating_point():
        raise RuntimeError("`fused=True` requires all the params to be floating point Tensors of "
                           f"supported devices: ['cpu', 'cuda'] but {p.dtype} and {p.device.type}")


def _check_lr(lr):
    if isinstance(lr, ctorch.Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")


def _value(x):
    """A Python number for a hyperparameter given as a number or a one-element tensor."""
    return x.item() if isinstance(x, ctorch.Tensor) else x


def _step_tensor(state):
    """Increments and returns the step count kept as a 0-d float32 tensor."""
    t = state["step"]
    t.add_(1)
    return t.item()
