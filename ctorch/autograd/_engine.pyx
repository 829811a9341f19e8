# cython: language_level=3
"""Autograd's engine: Tensor.backward(), torch.autograd.backward() and
torch.autograd.grad(), and the Tensor methods that hook into a backward pass
(register_hook, retain_grad, retains_grad).

From the roots it counts how many edges lead into each node, then runs nodes
whose gradients are all in (a ready stack: no Python recursion, so graphs
100,000 nodes deep are fine), summing contributions per input. The nodes and
what they compute are ctorch.autograd._node's (the graph) and the
derivatives table's (the formulas)."""

from ctorch._core.tensor cimport Tensor, _add_method, _needs_grad, _same_shape, _alias, _empty_like
from ctorch._core.iterator cimport _fill
from ctorch.autograd._node cimport (Node, AccumulateGrad, _grad_mode, _set_grad_mode, _edge,
                                    _grad_acc, _weakref)
from ctorch._ops.creation import tensor, zeros_like
from ctorch._ops.elementwise import _clone_contig

# anomaly mode (torch.autograd.detect_anomaly): errors in a node name the
# forward call that made it; with check_nan, a node whose gradient has a NaN
# raises
cdef bint _anomaly = False
cdef bint _anomaly_nan = True         # the check_nan setting (used while _anomaly is on)


def _set_anomaly(bint on, bint check_nan):
    global _anomaly, _anomaly_nan
    _anomaly = on
    _anomaly_nan = check_nan


def _anomaly_state():
    return _anomaly, _anomaly_nan


# Tensor.register_post_accumulate_grad_hook: id(leaf) -> (weakref to the leaf,
# its hooks), run after its .grad has been accumulated into
cdef dict _post_acc_hooks = {}


cdef void _run_post_acc_hooks(Tensor t) except *:
    entry = _post_acc_hooks.get(id(t))
    if entry is None or entry[0]() is not t:
        return
    for h in list(entry[1]):
        r = h(t)
        if r is not None:
            raise TypeError(f"expected Variable, but hook returned '{type(r).__name__}'")


cdef list _apply_checked(Node node, list grads):
    """node._apply in anomaly mode: a failure warns with the forward trace of
    the node; with check_nan, NaNs in its gradients raise."""
    cdef int i
    try:
        outs = node._apply(grads)
        if _anomaly_nan:
            for i in range(len(outs)):
                o = outs[i]
                if not isinstance(o, Tensor):
                    continue
                if (<Tensor>o)._dtype.is_floating_point or (<Tensor>o)._dtype.is_complex:
                    if bool(o.isnan().any()):
                        raise RuntimeError(f"Function '{node.name()}' returned nan values in its "
                                           f"{i}th output.")
        return outs
    except Exception:
        meta = node._metadata
        if meta is not None and "traceback_" in meta:
            import warnings
            warnings.warn(f"Error detected in {node.name()}. Traceback of forward call that "
                          f"caused the error:\n{''.join(meta['traceback_'])}", stacklevel=2)
        raise


cdef Tensor _ones_like_grad(Tensor t):
    cdef Tensor g = _empty_like(t, None)
    _fill(g, 1)
    return g


cdef tuple _root_edge(Tensor t):
    if t._grad_fn is not None:
        return (t._grad_fn, t._output_nr)
    if t._requires_grad:
        return (_grad_acc(t), 0)
    raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")


cdef list _engine(list roots, list root_grads, bint keep_graph, bint create_graph, list capture):
    """Runs backward from roots (tensors) seeded with root_grads. capture: edges
    (node, nr) whose incoming gradient is returned instead of being passed on
    (autograd.grad); None for a plain backward."""
    cdef dict deps = {}
    cdef list stack = []
    cdef Node node, nxt
    cdef tuple e
    cdef int i, nr
    # 1. dependency counts over the reachable graph (iterative DFS)
    cdef list root_edges = [_root_edge(<Tensor>r) for r in roots]
    for e in root_edges:
        node = e[0]
        if node not in deps:
            deps[node] = 0
            stack.append(node)
    while stack:
        node = stack.pop()
        for e in node._next:
            nxt = e[0]
            if nxt is None:
                continue
            if nxt in deps:
                deps[nxt] += 1
            else:
                deps[nxt] = 1
                stack.append(nxt)
    # 2. seed the buffers and run nodes whose inputs are complete
    cdef dict buffers = {}
    cdef dict captured = {}
    cdef set cap = set(capture) if capture is not None else None
    for i in range(len(root_edges)):
        _accumulate(buffers, root_edges[i], root_grads[i])
    cdef list ready = [e[0] for e in root_edges if deps[e[0]] == 0]
    ready = list(dict.fromkeys(ready))
    cdef list ran = []
    cdef int old_mode = _grad_mode()
    _set_grad_mode(1 if create_graph else 0)
    try:
        while ready:
            node = ready.pop()
            grads = buffers.pop(node, None)
            if grads is None:
                grads = [None] * node._nout
            if cap is not None:
                for nr in range(len(grads)):
                    if (node, nr) in cap:
                        captured[(node, nr)] = grads[nr]
                if isinstance(node, AccumulateGrad):
                    ran.append(node)
                    continue
            if node._pre_hooks:
                for h in node._pre_hooks:
                    r = h(tuple(grads))
                    if r is not None:
                        grads = list(r)
            if node._retain is not None:
                # after the tensor hooks, as PyTorch does since 2.0
                _retain_grads(node, grads)
            outs = _apply_checked(node, grads) if _anomaly else node._apply(grads)
            if _post_acc_hooks and isinstance(node, AccumulateGrad):
                _run_post_acc_hooks((<AccumulateGrad>node).variable)
            if node._hooks:
                for h in node._hooks:
                    h(tuple(outs), tuple(grads))
            ran.append(node)
            for i in range(len(node._next)):
                e = node._next[i]
                nxt = e[0]
                if nxt is None:
                    continue
                if i < len(outs) and outs[i] is not None:
                    _accumulate(buffers, e, outs[i])
                deps[nxt] -= 1
                if deps[nxt] == 0:
                    ready.append(nxt)
    finally:
        _set_grad_mode(old_mode)
        if not keep_graph:
            for node in ran:
                node._release()
    if capture is None:
        return []
    return [captured.get(e) for e in capture]


cdef void _accumulate(dict buffers, tuple e, object g):
    cdef Node node = e[0]
    cdef int nr = e[1]
    cdef list buf = buffers.get(node)
    if buf is None:
        buf = [None] * (node._nout if node._nout > 0 else 1)
        buffers[node] = buf
    if buf[nr] is None:
        buf[nr] = g
    else:
        buf[nr] = buf[nr] + g


cdef void _retain_grads(Node node, list grads):
    for nr, ref in node._retain.items():
        t = ref()
        if t is not None and nr < len(grads) and grads[nr] is not None:
            g = grads[nr]
            if (<Tensor>t)._grad is None:
                (<Tensor>t)._grad = _clone_contig(_alias(g)) if not _grad_mode() else _clone_contig(g)
            else:
                (<Tensor>t)._grad = (<Tensor>t)._grad + g


cdef list _check_grads(list tensors, object grad_tensors, bint is_grad_api):
    cdef list out = []
    if grad_tensors is None:
        grad_tensors = [None] * len(tensors)
    elif isinstance(grad_tensors, Tensor):
        grad_tensors = [grad_tensors]
    else:
        grad_tensors = list(grad_tensors)
    if len(grad_tensors) != len(tensors):
        raise RuntimeError(f"got {len(grad_tensors)} tensors and {len(tensors)} gradients")
    for t, g in zip(tensors, grad_tensors):
        if not _needs_grad(t):
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
        if g is None:
            if (<Tensor>t)._numel != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if (<Tensor>t)._dtype.is_complex:
                raise RuntimeError(f"grad can be implicitly created only for real scalar outputs but got "
                                   f"{(<Tensor>t)._dtype!r}")
            g = _ones_like_grad(<Tensor>t)
        else:
            if not isinstance(g, Tensor):
                g = tensor(g, dtype=(<Tensor>t)._dtype, device=t.device)
            if not _same_shape(<Tensor>g, <Tensor>t):
                raise RuntimeError(f"Mismatch in shape: grad_output[0] has a shape of {g.size()} and output[0] has a shape of {t.size()}.")
        out.append(g)
    return out


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    if isinstance(tensors, Tensor):
        tensors = [tensors]
    tensors = list(tensors)
    grads = _check_grads(tensors, grad_tensors, False)
    keep = create_graph if retain_graph is None else bool(retain_graph)
    if inputs is not None:
        ins = [inputs] if isinstance(inputs, Tensor) else list(inputs)
        if not ins:
            raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
        edges = [_edge(x) for x in ins]
        res = _engine(tensors, grads, keep, create_graph, edges)
        for x, g in zip(ins, res):
            if g is None:
                continue
            acc = _grad_acc(<Tensor>x) if (<Tensor>x)._grad_fn is None else None
            if acc is not None:
                (<AccumulateGrad>acc)._apply([g])
                if _post_acc_hooks:
                    _run_post_acc_hooks(<Tensor>x)
            else:
                (<Tensor>x)._grad = g if (<Tensor>x)._grad is None else (<Tensor>x)._grad + g
        return None
    _engine(tensors, grads, keep, create_graph, None)
    return None


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
          allow_unused=None, is_grads_batched=False, materialize_grads=False):
    outs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    ins = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    for x in ins:
        if not _needs_grad(x):
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    grads = _check_grads(outs, grad_outputs, True)
    keep = create_graph if retain_graph is None else bool(retain_graph)
    edges = [_edge(x) for x in ins]
    res = _engine(outs, grads, keep, create_graph, edges)
    for i in range(len(res)):
        if res[i] is None:
            if materialize_grads:
                res[i] = zeros_like(ins[i])
            elif not allow_unused:
                raise RuntimeError(f"The differentiated Tensor at index {i} appears to not have been used "
                                   "in the graph. Set allow_unused=True if this is the desired behavior.")
        elif not create_graph:
            res[i] = _alias(res[i])
    return tuple(res)


# ------------------------------------------------------- Tensor's methods

def _t_backward(Tensor self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    backward(self, gradient, retain_graph, create_graph, inputs)


def _t_register_hook(Tensor self, hook):
    """hook(grad) runs when the gradient of this tensor is computed; its
    return value, if not None, replaces that gradient."""
    if not _needs_grad(self):
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    cdef Node node
    cdef int nr = self._output_nr if self._grad_fn is not None else 0
    node = self._grad_fn if self._grad_fn is not None else _grad_acc(self)
    if self._grad_fn is None:
        # a leaf's AccumulateGrad lives only while a graph uses it: the hooks
        # stay on the tensor and every AccumulateGrad made for it shares them
        if self._backward_hooks is None:
            self._backward_hooks = node._pre_hooks if node._pre_hooks is not None else []
        node._pre_hooks = self._backward_hooks

    def prehook(grads):
        g = grads[nr]
        if g is None:
            return None
        r = hook(g)
        if r is None:
            return None
        out = list(grads)
        out[nr] = r
        return tuple(out)
    return node.register_prehook(prehook)


def _t_retain_grad(Tensor self):
    if self._grad_fn is None:
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        return
    cdef Node node = self._grad_fn
    if node._retain is None:
        node._retain = {}
    node._retain[self._output_nr] = _weakref(self)


def _t_retains_grad(Tensor self):
    if self._grad_fn is None:
        return False
    cdef Node node = self._grad_fn
    return node._retain is not None and self._output_nr in node._retain


class _PostAccHandle:
    """What register_post_accumulate_grad_hook returns: remove() drops the hook."""

    def __init__(self, key, hook):
        self._key = key
        self._hook = hook

    def remove(self):
        entry = _post_acc_hooks.get(self._key)
        if entry is not None and self._hook in entry[1]:
            entry[1].remove(self._hook)
            if not entry[1]:
                del _post_acc_hooks[self._key]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def _drop_post_acc_hooks(key, ref):
    entry = _post_acc_hooks.get(key)
    if entry is not None and entry[0] is ref:
        del _post_acc_hooks[key]


def _t_register_post_accumulate_grad_hook(Tensor self, hook):
    """hook(tensor) runs after the gradient of this leaf has been accumulated
    into its .grad; it must return None."""
    if not self._requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if self._grad_fn is not None:
        raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
    import weakref
    key = id(self)
    entry = _post_acc_hooks.get(key)
    if entry is None or entry[0]() is not self:
        ref = weakref.ref(self, lambda r, key=key: _drop_post_acc_hooks(key, r))
        entry = _post_acc_hooks[key] = (ref, [])
    entry[1].append(hook)
    return _PostAccHandle(key, hook)


_add_method("backward", _t_backward)
_add_method("register_post_accumulate_grad_hook", _t_register_post_accumulate_grad_hook)
_add_method("register_hook", _t_register_hook)
_add_method("retain_grad", _t_retain_grad)
_add_method("retains_grad", property(_t_retains_grad))
