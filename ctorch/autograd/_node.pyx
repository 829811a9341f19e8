# cython: language_level=3
"""The autograd graph, as ops build it.

A tensor produced by a differentiable op holds its grad_fn, a Node whose
next_functions are the edges (node, input_nr) towards the op's inputs; a leaf
that requires grad is reached through its AccumulateGrad node.

An op adds itself to the graph through one call, `record(op, result, inputs,
args)`, naming its entry in the derivatives table (ctorch.autograd.derivatives,
the one place where backward formulas live). The entry says which node class
the result gets and what each input's formula reads; `record` saves exactly
that, for the inputs that need a gradient, and nothing else. Version counters
then give PyTorch's behaviour: an in-place change of a value no formula saved
is fine, a change of a saved one fails at backward with PyTorch's message.

Nodes are invisible to Python's cyclic GC (untracked when made): no cycle can
pass through them unless user code attaches objects to one (hooks, metadata)
or a custom Function keeps its own outputs, and then the node is tracked. The
engine's cost therefore does not grow with the size of the program's heap.
A saved output is kept as an alias without its history (no cycle through the
node that saved it) and gets that history back when backward unpacks it.
"""


from cpython.ref cimport Py_REFCNT
from cpython.object cimport PyObject

from ctorch._core.dtype cimport DType, _TYPE_NAMES, K_COMPLEX
from ctorch._core.tensor cimport (
    Tensor, _alias, _empty_like, _is_contiguous, _fmt_shape, _needs_grad, _same_shape, _add_method,
    _core_grad_mode, _core_set_grad_mode,
)
from ctorch._core.iterator cimport _copy_into
from ctorch._core.storage import _InferenceStorage, _is_inference_mode

cdef extern from "Python.h":
    void PyObject_GC_UnTrack(void *op)
    void PyObject_GC_Track(void *op)
    int PyObject_GC_IsTracked(object op)

cdef int _grad_mode() noexcept nogil:
    return _core_grad_mode()


cdef void _set_grad_mode(int on) noexcept nogil:
    _core_set_grad_mode(1 if on else 0)


def is_grad_enabled():
    return _core_grad_mode() != 0


def _set_grad_enabled(bint mode):
    _core_set_grad_mode(1 if mode else 0)


# ----------------------------------------------------------- saved tensors

_FREED_MSG = ("Trying to backward through the graph a second time (or directly access saved "
              "tensors after they have already been freed). Saved intermediate values of the "
              "graph are freed when you call .backward() or autograd.grad(). Specify "
              "retain_graph=True if you need to backward through the graph a second time or if "
              "you need to access saved tensors after calling backward.")

cdef str _op_name(str node_name):
    """MulBackward0 -> Mul: a node's name without its Backward<N> suffix."""
    cdef str s = node_name.rstrip("0123456789")
    return s[:-8] if s.endswith("Backward") else node_name

# what a freed saved value becomes (unpacking it raises)
cdef object _FREED = object()


cdef class SavedTensor:
    """A tensor kept for backward, with the version it had when saved."""

    cdef Tensor unpack(self, Node node):
        cdef Tensor t = self.tensor
        cdef Tensor r
        if t is None:
            raise RuntimeError(_FREED_MSG)
        if type(t._storage) is _InferenceStorage:
            raise RuntimeError(
                "Inference tensors cannot be saved for backward. Please do not use Tensors created "
                "in inference mode in computation tracked by autograd. To work around this, you can "
                "make a clone to get a normal tensor and use it in autograd, or use `torch.no_grad()` "
                "instead of `torch.inference_mode()`.")
        if t._storage.version != self.version:
            if not self.is_output and t._base is not None:
                _refresh_view(t)
            grad_fn = node if self.is_output else t._grad_fn
            nr = self.output_nr if self.is_output else t._output_nr
            which = ""
            if grad_fn is not None:
                which = f", which is output {nr} of {_op_name(grad_fn.name())},"
            raise RuntimeError(
                "one of the variables needed for gradient computation has been modified by an "
                f"inplace operation: [torch.{_TYPE_NAMES[t._dtype._code]} {_fmt_shape(t.size())}]"
                f"{which} is at version {t._storage.version}; expected version {self.version} "
                "instead. Hint: enable anomaly detection to find the operation that failed to "
                "compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False).")
        if self.is_output and _grad_mode():
            # differentiating backward itself (create_graph): the output comes
            # back with its history, the node that is running
            r = _alias(t)
            r._grad_fn = node
            r._output_nr = self.output_nr
            r._requires_grad = True
            return r
        return t


cdef inline object _untracked(object o):
    """o, no longer tracked by the cyclic GC. The graph's own containers
    (a node's edges, saved values, saved tensors) cannot be part of a cycle:
    a graph is a DAG, and a saved output is a history-less alias. Untracked,
    they cost no collection anything, and they do not pile up in the oldest
    generation (where they would make full collections of the whole heap
    come sooner)."""
    PyObject_GC_UnTrack(<PyObject *>o)
    return o


cdef object _plain(object v):
    """v; a tuple of numbers (sizes, strides, a view's geometry) untracked,
    as the GC itself would untrack it once it looked at it."""
    if isinstance(v, tuple) and PyObject_GC_IsTracked(v):
        for e in <tuple>v:
            if isinstance(e, tuple):
                _plain(e)
            if PyObject_GC_IsTracked(e):
                return v
        PyObject_GC_UnTrack(<PyObject *>v)
    return v


cdef SavedTensor _save(Tensor t):
    cdef SavedTensor s = SavedTensor.__new__(SavedTensor)
    s.tensor = t
    s.version = t._storage.version
    PyObject_GC_UnTrack(<PyObject *>s)
    return s


cdef SavedTensor _save_output(Tensor t, int nr):
    cdef SavedTensor s = SavedTensor.__new__(SavedTensor)
    s.tensor = _alias(t)
    s.version = t._storage.version
    s.is_output = True
    s.output_nr = nr
    PyObject_GC_UnTrack(<PyObject *>s.tensor)
    PyObject_GC_UnTrack(<PyObject *>s)
    return s


# ------------------------------------------------------------------- nodes

cdef class Node:
    """A grad_fn: computes the gradients of an op's inputs from its outputs'."""

    @property
    def next_functions(self):
        return self._next

    @property
    def metadata(self):
        if self._metadata is None:
            self._metadata = {}
            self._track()
        return self._metadata

    def name(self):
        return type(self).__name__

    def __repr__(self):
        return f"<{type(self).__name__} object at {id(self):#x}>"

    def register_hook(self, fn):
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(fn)
        self._track()
        return _RemovableHandle(self._hooks, fn)

    def register_prehook(self, fn):
        if self._pre_hooks is None:
            self._pre_hooks = []
        self._pre_hooks.append(fn)
        self._track()
        return _RemovableHandle(self._pre_hooks, fn)

    def __call__(self, *grads):
        return self._apply(list(grads))

    cdef list _apply(self, list grads):
        raise RuntimeError(f"{self.name()} has no backward")

    cdef void _release(self):
        """After backward (without retain_graph): what the node saved is
        freed; a node that saved nothing can run again, as in PyTorch."""
        self._released = True

    cdef void _track(self):
        """User objects hang off this node now: let the cyclic GC see it."""
        if not PyObject_GC_IsTracked(self):
            PyObject_GC_Track(<PyObject *>self)


class _RemovableHandle:
    def __init__(self, lst, fn):
        self._lst = lst
        self._fn = fn

    def remove(self):
        try:
            self._lst.remove(self._fn)
        except ValueError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


cdef class AccumulateGrad(Node):
    """The sink of a leaf: adds incoming gradients into leaf.grad."""

    cdef list _apply(self, list grads):
        cdef Tensor g = grads[0]
        cdef Tensor v = self.variable
        cdef Tensor c
        if g is None:
            return []
        if g._dtype is not v._dtype:
            # a gradient has its tensor's dtype (sum(dtype=float64) of a float32
            # leaf sends float64); of a real tensor, the real part
            if g._dtype._kind == K_COMPLEX and v._dtype._kind != K_COMPLEX:
                g = g.real
            g = g.to(v._dtype)
        if v._grad is None:
            # keep the incoming tensor only when nobody else holds it (the grads
            # list and this frame) and it is dense: formulas like add's pass one
            # gradient to several inputs, and sum's is an expand() of one value;
            # a .grad is accumulated into in place, so it must own its memory
            if Py_REFCNT(g) > 3 or not _is_contiguous(g):      # expand()ed grads overlap
                if _grad_mode():
                    g = g.clone()
                else:
                    c = _empty_like(g, None)
                    _copy_into(c, g, False)
                    g = c
            v._grad = g if _grad_mode() else _alias(g)
        elif _grad_mode():
            v._grad = v._grad + g
        else:
            v._grad.add_(g)
        return []


cdef Node _grad_acc(Tensor t):
    """The one AccumulateGrad of a leaf (held weakly by the leaf)."""
    cdef AccumulateGrad acc
    if t._grad_acc_ref is not None:
        acc = t._grad_acc_ref()
        if acc is not None:
            return acc
    acc = AccumulateGrad.__new__(AccumulateGrad)
    acc.variable = t
    acc._next = ()
    acc._nout = 1
    acc._pre_hooks = t._backward_hooks     # hooks registered on the leaf (see register_hook)
    if acc._pre_hooks is None:
        PyObject_GC_UnTrack(<PyObject *>acc)
    t._grad_acc_ref = _weakref(acc)
    return acc


cdef object _weakref_mod = None

cdef object _weakref(object x):
    global _weakref_mod
    if _weakref_mod is None:
        import weakref
        _weakref_mod = weakref
    return _weakref_mod.ref(x)


cdef tuple _edge(object x):
    """The graph edge towards x, or (None, 0) when x needs no gradient."""
    cdef Tensor t
    if isinstance(x, Tensor):
        t = <Tensor>x
        if t._base is not None:
            _refresh_view(t)
        if t._grad_fn is not None:
            return _untracked((t._grad_fn, t._output_nr))
        if t._requires_grad:
            return _untracked((_grad_acc(t), 0))
    return (None, 0)


# ------------------------------------------------------ node classes by name

cdef dict _NODE_TYPES = {}


cdef inline OpNode _new_op_node(Derivative d):
    if d.node_type is None:
        d.node_type = _node_type(d.node_name, d.node_base)
    return d.node_type.__new__(d.node_type)


cdef object _node_type(str name, type base):
    """The class of the nodes called `name` (MulBackward0, ...): users print
    grad_fn and see PyTorch's names."""
    cls = _NODE_TYPES.get((name, base))
    if cls is None:
        cls = type(name, (base,), {"__slots__": (), "__module__": "torch.autograd.graph"})
        _NODE_TYPES[(name, base)] = cls
    return cls


# --------------------------------------------------- the derivatives table

# where a saved value comes from
cdef enum:
    P_INPUT = 0     # an input (a tensor is saved with its version; a number as it is)
    P_ARG = 1       # an argument that is not differentiated
    P_RESULT = 2    # an output of the op (saved without its history)
    P_SIZES = 3     # an input's sizes
    P_DTYPE = 4     # an input's dtype
    P_STRIDES = 5   # an input's strides
    P_DEVICE = 6    # an input's device

cdef dict _DERIVATIVES = {}


cdef class Derivative:
    """One entry of the derivatives table: the node an op's result gets, and
    for each differentiable input a formula whose parameters name what it
    reads: `grad` (or `grads` for several outputs) first, then inputs and
    arguments by name, `result` (or `result0`, `result1`, ...), and
    `<input>_sizes` / `<input>_dtype` / `<input>_strides`."""

    def __repr__(self):
        return f"<derivative {self.op} -> {self.node_name}: saves {', '.join(self.saves) or 'nothing'}>"


cdef list _params(object fn):
    code = fn.__code__
    return list(code.co_varnames[:code.co_argcount])


def derivative(str op, str node, formulas=None, *, tuple args=(), joint=None, tuple inputs=(),
               bint broadcast=False, bint holomorphic=False, int outputs=1, type base=None,
               str name=None):
    """Adds the entry of `op` to the derivatives table.

    formulas: {input name: formula} in the order the op records its inputs
    (None for an input that gets no gradient); or `joint`, one formula that
    returns the gradients of all `inputs` at once (it may take `needs`, a
    tuple of bools: which inputs want one). broadcast: the inputs may have been
    broadcast or promoted, so each gradient is reduced to its input's shape and
    dtype. holomorphic: for complex dtypes the formula is the real one, and
    the gradient is conj(formula(conj(grad))). outputs: how many outputs the
    op records (formulas then take `grads`). name: what grad_fn.name() says,
    when it is not the class name (PyTorch's CopySlices)."""
    cdef Derivative d = Derivative.__new__(Derivative)
    d.op = op
    d.node_name = node
    d.display_name = name if name is not None else node
    d.node_type = None                  # made on first use: importing stays fast
    d.node_base = base if base is not None else OpNode
    d.args = args
    d.broadcast = broadcast
    d.holomorphic = holomorphic
    d.nout = outputs
    grad_name = "grad" if outputs == 1 else "grads"
    if joint is not None:
        d.inputs = inputs
        d.formulas = [None] * len(inputs)
        reads = [p for p in _params(joint)[1:] if p != "needs"]
    else:
        d.inputs = tuple(formulas.keys())
        d.formulas = list(formulas.values())
        reads = []
        for f in d.formulas:
            if f is not None:
                reads.extend(p for p in _params(f)[1:] if p not in reads)
    saves = []
    for p in reads:
        if p not in saves:
            saves.append(p)
    d.saves = tuple(saves)
    d.plan_kind = []
    d.plan_index = []
    for p in saves:
        kind, index = _plan(d, p)
        d.plan_kind.append(kind)
        d.plan_index.append(index)
    d.formula_slots = []
    d.needs_slots = []
    for f in d.formulas:
        if f is None:
            d.formula_slots.append(())
            d.needs_slots.append(0)
            continue
        ps = _params(f)
        if ps[0] != grad_name:
            raise TypeError(f"derivative {op}: a formula's first parameter must be '{grad_name}'")
        slots = tuple(saves.index(p) for p in ps[1:])
        d.formula_slots.append(slots)
        mask = 0
        for s in slots:
            mask |= 1 << s
        d.needs_slots.append(mask)
    if joint is not None:
        ps = _params(joint)
        if ps[0] != grad_name:
            raise TypeError(f"derivative {op}: a formula's first parameter must be '{grad_name}'")
        d.joint = joint
        d.joint_slots = tuple(-1 if p == "needs" else saves.index(p) for p in ps[1:])
        d.needs_slots = [(1 << len(saves)) - 1] * len(inputs)
    if op in _DERIVATIVES:
        raise ValueError(f"derivative {op} is defined twice")
    _DERIVATIVES[op] = d
    return d


cdef tuple _plan(Derivative d, str name):
    if name in d.inputs:
        return P_INPUT, d.inputs.index(name)
    if name in d.args:
        return P_ARG, d.args.index(name)
    if name == "result":
        return P_RESULT, 0
    if name.startswith("result") and name[6:].isdigit():
        return P_RESULT, int(name[6:])
    for suffix, kind in (("_sizes", P_SIZES), ("_dtype", P_DTYPE), ("_strides", P_STRIDES),
                         ("_device", P_DEVICE)):
        if name.endswith(suffix) and name[:-len(suffix)] in d.inputs:
            return kind, d.inputs.index(name[:-len(suffix)])
    raise TypeError(f"derivative {d.op}: a formula reads '{name}', which is no input, argument or result")


cdef bint _TABLE_LOADED = False


cdef int _load_table() except -1:
    """The table's entries are made by ctorch.autograd.derivatives, which is
    imported when the first op records (not by `import ctorch`: most of a
    program's first milliseconds record nothing)."""
    global _TABLE_LOADED
    if not _TABLE_LOADED:
        import ctorch.autograd.derivatives
        _TABLE_LOADED = True
    return 0


def _derivatives():
    """The derivatives table: op name -> entry."""
    _load_table()
    return dict(_DERIVATIVES)


cdef class OpNode(Node):
    """A grad_fn made by `record`: the entry of the derivatives table, and
    what the forward saved for it."""

    cdef list _apply(self, list grads):
        cdef Derivative d = self.d
        cdef int i, n = len(self._next)
        if d.nout == 1:
            g = grads[0]
            if g is None:
                return [None] * n
        else:
            g = grads
            for x in grads:
                if x is not None:
                    break
            else:
                return [None] * n
        cdef bint conj = d.holomorphic and _is_complex_grad(g)
        if conj:
            g = _conj_all(g)
        vals = self._unpack()
        cdef list out
        if d.joint is not None:
            needs = tuple([self._next[i][0] is not None for i in range(n)])
            r = d.joint(g, *[needs if s < 0 else vals[s] for s in d.joint_slots])
            out = [r[i] if needs[i] else None for i in range(n)]
        else:
            out = [None] * n
            for i in range(n):
                if self._next[i][0] is not None and d.formulas[i] is not None:
                    out[i] = d.formulas[i](g, *[vals[s] for s in d.formula_slots[i]])
        if conj:
            out = [None if x is None else _conj_all(x) for x in out]
        if self.meta is not None:
            for i in range(n):
                if out[i] is not None and self.meta[i] is not None:
                    out[i] = _reduce_to(out[i], self.meta[i])
        return out

    cdef list _unpack(self):
        cdef list vals = []
        for v in self.values:
            if v is _FREED:
                raise RuntimeError(_FREED_MSG)
            vals.append((<SavedTensor>v).unpack(self) if isinstance(v, SavedTensor) else v)
        return vals

    cdef void _release(self):
        """Frees what PyTorch frees: saved tensors, numbers saved from the
        inputs (PyTorch keeps them as tensors) and a wrapped node (CopySlices);
        shapes, dtypes and arguments stay."""
        cdef Derivative d = self.d
        cdef int s
        self._released = True
        if self.values is None:
            return
        for s in range(len(self.values)):
            v = self.values[s]
            if isinstance(v, SavedTensor):
                (<SavedTensor>v).tensor = None
            elif isinstance(v, Node):
                (<Node>v)._release()
                self.values[s] = _FREED
            elif v is not None and (d.plan_kind[s] == P_INPUT or d.plan_kind[s] == P_RESULT):
                self.values[s] = _FREED

    @property
    def _saved_names(self):
        return self.d.saves

    def __getattr__(self, str name):
        # grad_fn._saved_<name>: what the forward saved under that name (a
        # tensor unpacked, as backward would see it); grad_fn._raw_saved_<name>:
        # the SavedTensor itself. None when this node did not need to save it.
        raw = name.startswith("_raw_saved_")
        key = name[11:] if raw else name[7:] if name.startswith("_saved_") else None
        if key is None or self.d is None or key not in self.d.saves:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        v = self.values[self.d.saves.index(key)] if self.values is not None else None
        if v is _FREED or (isinstance(v, SavedTensor) and (<SavedTensor>v).tensor is None):
            raise RuntimeError(_FREED_MSG)
        if isinstance(v, SavedTensor):
            return v if raw else (<SavedTensor>v).unpack(self)
        if raw:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        return v

    def name(self):
        return self.d.display_name


cdef bint _is_complex_grad(object g):
    if isinstance(g, Tensor):
        return (<Tensor>g)._dtype.is_complex
    return any(isinstance(x, Tensor) and (<Tensor>x)._dtype.is_complex for x in g)


cdef object _conj_all(object g):
    if isinstance(g, Tensor):
        return g.conj() if (<Tensor>g)._dtype.is_complex else g
    return [None if x is None else _conj_all(x) for x in g]


cdef object _reduce_to(object g, tuple meta):
    """A gradient summed over the dims broadcasting added and cast to its
    input's dtype (what PyTorch's engine does with every gradient)."""
    sizes, dtype = meta
    if sizes is not None and tuple(g.size()) != sizes:
        g = g.sum_to_size(sizes)
    if dtype is not None and (<Tensor>g)._dtype is not dtype:
        g = g.to(dtype)
    return g


# anomaly mode (torch.autograd.detect_anomaly): each node made while it is on
# keeps the stack of the forward call that made it, in metadata["traceback_"]
cdef bint _anomaly = False


def _set_anomaly_traces(bint on):
    global _anomaly
    _anomaly = on


cdef void _keep_trace(Node node):
    import traceback
    node._metadata = {"traceback_": traceback.format_stack()}


cdef object record(str op, object result, tuple inputs, tuple args=()):
    """Makes `result` (a tensor, or a tuple of them) the output of the node of
    `op`'s derivatives entry, with edges to `inputs` (tensors, or numbers for
    operands that were python scalars) and what the formulas of the inputs
    that need a gradient read. Does nothing when grad mode is off or no input
    needs a gradient. Returns result."""
    if not _core_grad_mode():
        return result
    cdef int i, n = len(inputs)
    cdef bint any_needs = False
    for i in range(n):
        if _needs_grad(inputs[i]):
            any_needs = True
            break
    if not any_needs:
        return result
    cdef tuple outs = result if isinstance(result, tuple) else (result,)
    cdef Tensor t
    cdef bint any_out = False
    for x in outs:
        if isinstance(x, Tensor) and ((<Tensor>x)._dtype.is_floating_point or (<Tensor>x)._dtype.is_complex):
            any_out = True
    if not any_out:
        return result       # integer and bool results carry no gradient
    if not _TABLE_LOADED:
        _load_table()
    cdef Derivative d = _DERIVATIVES.get(op)
    if d is None:
        raise RuntimeError(f"the derivative for '{op}' is not implemented")
    cdef OpNode node = _new_op_node(d)
    PyObject_GC_UnTrack(<PyObject *>node)
    node.d = d
    node._nout = d.nout
    node._next = _untracked(tuple([_edge(x) for x in inputs]))
    cdef long long mask = 0
    if d.joint is not None:
        mask = -1                       # a joint formula reads all it names
    else:
        for i in range(n):
            if _needs_grad(inputs[i]):
                mask |= <long long>d.needs_slots[i]
    cdef list values = [None] * len(d.saves)
    cdef int s, kind, index
    for s in range(len(d.saves)):
        if not mask & (1LL << s):
            continue
        kind = d.plan_kind[s]
        index = d.plan_index[s]
        if kind == P_INPUT:
            x = inputs[index]
            values[s] = _save(<Tensor>x) if isinstance(x, Tensor) else x
        elif kind == P_ARG:
            x = args[index]
            values[s] = _save(<Tensor>x) if isinstance(x, Tensor) else _plain(x)
        elif kind == P_RESULT:
            values[s] = _save_output(<Tensor>outs[index], index)
        elif kind == P_SIZES:
            x = inputs[index]
            values[s] = _plain(x.size()) if isinstance(x, Tensor) else ()
        elif kind == P_STRIDES:
            x = inputs[index]
            values[s] = _plain(tuple(x.stride())) if isinstance(x, Tensor) else ()
        elif kind == P_DEVICE:
            x = inputs[index]
            values[s] = x.device if isinstance(x, Tensor) else None
        else:
            x = inputs[index]
            values[s] = (<Tensor>x)._dtype if isinstance(x, Tensor) else None
    node.values = _untracked(values)
    if _anomaly:
        _keep_trace(node)
    if d.broadcast:
        node.meta = _broadcast_meta(inputs, <Tensor>outs[0])
        if node.meta is not None:
            _untracked(node.meta)
    for i in range(len(outs)):
        x = outs[i]
        if isinstance(x, Tensor) and ((<Tensor>x)._dtype.is_floating_point or (<Tensor>x)._dtype.is_complex):
            t = <Tensor>x
            t._grad_fn = node
            t._output_nr = i
            t._requires_grad = True
    return result


def _record(str op, result, tuple inputs, tuple args=()):
    """record() for the op modules written in Python (ctorch.linalg,
    ctorch.fft): their forward runs without history, then this."""
    return record(op, result, inputs, args)


cdef list _broadcast_meta(tuple inputs, Tensor r):
    """Per input: what its gradient must be reduced to, when the op broadcast
    or promoted it; None when the result's shape and dtype already fit."""
    cdef list meta = None
    cdef Tensor t
    cdef int i
    for i in range(len(inputs)):
        x = inputs[i]
        if not isinstance(x, Tensor) or not _needs_grad(x):
            continue
        t = <Tensor>x
        same = _same_shape(t, r)
        if same and t._dtype is r._dtype:
            continue
        if meta is None:
            meta = [None] * len(inputs)
        meta[i] = _plain((None if same else _plain(tuple(t.size())), None if t._dtype is r._dtype else t._dtype))
    return meta


# -------------------------------------------------- custom autograd.Function

cdef class FunctionNode(Node):
    """The grad_fn of a custom autograd.Function (and of the ops that are
    written as one): fn(node, grads) returns the inputs' gradients."""

    cdef list _apply(self, list grads):
        if self._nout != 1:
            return self._fn(self, grads)
        g = grads[0]
        if g is None:
            return [None] * len(self._next)
        return self._fn(self, g)


def _function_node(str name, object fn, tuple inputs, int nout):
    """A node for a custom Function. Its closure holds the Function's ctx,
    which may hold the outputs, which hold the node: the cyclic GC must see
    it."""
    cls = _node_type(name, FunctionNode)
    cdef FunctionNode node = cls.__new__(cls)
    node._next = tuple([_edge(x) for x in inputs])
    node._nout = nout
    node._fn = fn
    if _anomaly:
        _keep_trace(node)
    return node


def _set_output(Tensor t, Node node, int nr):
    t._grad_fn = node
    t._output_nr = nr
    t._requires_grad = True


def _needs_input_grad(x):
    return _needs_grad(x)



# ------------------------------------------------------- in-place and views

cdef int _check_inplace(Tensor t) except -1:
    """What PyTorch refuses to change in place while recording (and an
    inference tensor outside inference mode, at any time)."""
    cdef Tensor base
    if type(t._storage) is _InferenceStorage:
        _check_inference_write(t)
    if not _core_grad_mode():
        return 0
    if t._requires_grad and t._grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
    if t._base is not None:
        base = <Tensor>t._base
        if isinstance(t._grad_fn, FunctionNode):
            # rewriting the base's history would bypass the Function's backward
            name = type(t._grad_fn).__name__
            if name.endswith("Backward"):
                name = name[:-len("Backward")]
            raise RuntimeError(
                f"Output {t._output_nr} of {name} is a view and is being modified inplace. This view "
                "was created inside a custom Function (or because an input was returned as-is) and "
                "the autograd logic to handle view+inplace would override the custom backward "
                "associated with the custom Function, leading to incorrect gradients. This behavior "
                "is forbidden. You can fix this by cloning the output of the custom Function.")
        if base._requires_grad and base._grad_fn is None:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")
    return 0


def _check_inference_write(Tensor t):
    if type(t._storage) is _InferenceStorage and not _is_inference_mode():
        raise RuntimeError("Inplace update to inference tensor outside InferenceMode is not allowed."
                           "You can make a clone to get a normal tensor before doing inplace update."
                           "See https://github.com/pytorch/rfcs/pull/17 for more details.")


cdef bint _inplace_needs_graph(Tensor self, object other):
    return _core_grad_mode() != 0 and (_needs_grad(self) or _needs_grad(other))


cdef tuple _geometry(Tensor base, Tensor view):
    """Where a view's elements sit in its base's storage, and where the base's
    do: what CopySlices and AsStridedBackward0 need to place a gradient. Both
    are given in the units of the narrower dtype: a real view of a complex
    base (.real, .imag, view_as_real) sees the base as its real pairs (the
    last entry is 1), a complex view of a real base (view_as_complex) is
    seen as its real pairs (the last entry is 2)."""
    cdef int d
    bs = [base._shape[d] for d in range(base._ndim)]
    bst = [base._stride[d] for d in range(base._ndim)]
    boff = base._offset
    vs = [view._shape[d] for d in range(view._ndim)]
    vst = [view._stride[d] for d in range(view._ndim)]
    voff = view._offset
    kind = 0
    if base._dtype.itemsize != view._dtype.itemsize:
        if base._dtype.itemsize == 2 * view._dtype.itemsize:
            kind = 1
            bs.append(2); bst = [s * 2 for s in bst] + [1]; boff *= 2
        elif view._dtype.itemsize == 2 * base._dtype.itemsize:
            kind = 2
            vs.append(2); vst = [s * 2 for s in vst] + [1]; voff *= 2
        else:
            raise RuntimeError(
                f"in-place operation through a {view._dtype} view of a {base._dtype} tensor "
                "that requires grad is not supported")
    return (tuple(bs), tuple(bst), boff, tuple(vs), tuple(vst), voff, kind)


cdef int _refresh_view(Tensor v) except -1:
    """A view shares its base's history: once the base's history changed
    (an in-place op on the base or on another of its views), the view's
    grad_fn becomes a fresh view of the base's current history, as PyTorch
    regenerates it (AsStridedBackward0)."""
    cdef Tensor base = <Tensor>v._base
    if base._grad_fn is None:
        return 0                      # the base is a leaf: views of leaves never go stale
    if v._grad_fn is not None and v._attr_version == v._storage.version:
        return 0
    cdef int mode = _core_grad_mode()
    _core_set_grad_mode(1)
    try:
        v._grad_fn = None
        v._requires_grad = False
        record("as_strided_view", v, (base,), (_geometry(base, v),))
    finally:
        _core_set_grad_mode(mode)
    v._attr_version = v._storage.version
    return 0


cdef void _move_retain(Tensor self, object new_fn, int new_nr):
    """A tensor that retains grad keeps doing so after an in-place op: its
    .grad is the gradient of the new value (PyTorch moves the retain hook)."""
    cdef Node old_fn = self._grad_fn
    cdef Node node
    if old_fn is None or old_fn._retain is None or new_fn is None:
        return
    ref = old_fn._retain.get(self._output_nr)
    if ref is None or ref() is not self:
        return
    del old_fn._retain[self._output_nr]
    node = new_fn
    if node._retain is None:
        node._retain = {}
    node._retain[new_nr] = ref


cdef int _rebase_history(Tensor self, Tensor r, Tensor old) except -1:
    """self now holds the values of r, which an op computed out of place from
    `old`, a stand-in for self's old value: self takes r's history. A view
    rewrites its base's history instead, as PyTorch's CopySlices does: the
    base's old history gets the gradient outside the view, and inside it the
    gradient the op's node gives its self input; the op's other inputs get
    theirs. The view then gets a fresh view of the base's new history."""
    cdef Tensor base
    if self._base is not None and (_needs_grad(self._base) or _needs_grad(r)):
        base = <Tensor>self._base
        _copy_slices(base, self, r, old)
        _rebind_output(r, self)
        self._grad_fn = None
        _refresh_view(self)
        return 0
    _move_retain(self, r._grad_fn, r._output_nr)
    self._grad_fn = r._grad_fn
    self._output_nr = r._output_nr
    self._requires_grad = r._requires_grad or self._requires_grad
    _rebind_output(r, self)
    return 0


cdef int _copy_slices(Tensor base, Tensor view, Tensor r, Tensor old) except -1:
    cdef Node fn = r._grad_fn
    cdef Derivative d
    cdef OpNode node
    geometry = _geometry(base, view)
    if fn is None or not fn._next or fn._next[0] != (old._grad_fn, old._output_nr) or r._output_nr != 0:
        # the op's node does not take the old value first (a cast wrapped
        # it): base and op result as two inputs, the same gradients
        record("copy_slices.wrapped", base, (base, r), (geometry,))
        return 0
    _load_table()
    d = _DERIVATIVES["copy_slices"]
    node = _new_op_node(d)
    PyObject_GC_UnTrack(<PyObject *>node)
    node.d = d
    node._nout = 1
    node._next = _untracked((_edge(base),) + fn._next[1:])
    node.values = _untracked([_plain(geometry) if name == "geometry" else fn for name in d.saves])
    _move_retain(base, node, 0)
    base._grad_fn = node
    base._output_nr = 0
    base._requires_grad = True
    return 0


cdef void _rebind_output(Tensor r, Tensor self):
    """A saved result of r's node now lives in self (the in-place op wrote
    it there): the node checks self's version from now on, as PyTorch's saved
    output of an in-place op is the tensor it changed."""
    cdef OpNode node
    cdef SavedTensor sv
    cdef int i
    if not isinstance(r._grad_fn, OpNode):
        return
    node = <OpNode>r._grad_fn
    if node.values is None:
        return
    for i in range(len(node.values)):
        v = node.values[i]
        if isinstance(v, SavedTensor) and (<SavedTensor>v).is_output and \
                (<SavedTensor>v).tensor._storage is r._storage:
            node.values[i] = _save_output(self, (<SavedTensor>v).output_nr)


def _grad_fn_of(Tensor self):
    if self._base is not None:
        _refresh_view(self)
    return self._grad_fn


def _requires_grad_of(Tensor self):
    if self._requires_grad:
        return True
    if self._base is not None:
        _refresh_view(self)
    return self._grad_fn is not None


def _is_leaf_of(Tensor self):
    if self._base is not None:
        _refresh_view(self)
    return self._grad_fn is None


def _set_requires_grad(Tensor self, value):
    self.requires_grad_(bool(value))


_add_method("grad_fn", property(_grad_fn_of))
_add_method("requires_grad", property(_requires_grad_of, _set_requires_grad))
_add_method("is_leaf", property(_is_leaf_of))
