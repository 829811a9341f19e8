# Where ops tell autograd what they did, and the backward formula of every
# differentiable op: each formula sits next to the list of what its forward
# saves. Formulas are written with ctorch's own ops, so that backward with
# create_graph=True records a graph of its own (higher-order gradients).

import math as _math


cdef inline bint _any_needs(object a, object b):
    return _grad_mode() != 0 and (_needs_grad(a) or _needs_grad(b))


cdef object _reduce_grad(object g, Tensor like):
    """g summed over the dims that broadcasting added, in like's dtype."""
    cdef Tensor t = <Tensor>g
    if not _same_shape(t, like):
        t = sum_to_size(t, like.size())
    if t._dtype is not like._dtype:
        t = t.to(like._dtype)
    return t


cdef object _gfor(object g, object x):
    return _reduce_grad(g, <Tensor>x) if _needs_grad(x) else None


# ------------------------------------------------------------- unary ops

cdef object _F(str name):
    return _FUNCTIONS[name]


def _g_neg(_OpNode n, g): return [-g]
def _g_abs(_OpNode n, g):
    x = n.s(0)
    return [g * (sgn(x) if x._dtype.is_complex else _F("sign")(x))]
def _g_zero(_OpNode n, g): return [zeros_like(g)]
def _g_exp(_OpNode n, g): return [g * _F("exp")(n.s(0))]
def _g_exp2(_OpNode n, g): return [g * _F("exp2")(n.s(0)) * _math.log(2.0)]
def _g_expm1(_OpNode n, g): return [g * (_F("expm1")(n.s(0)) + 1)]
def _g_log(_OpNode n, g): return [g / n.s(0)]
def _g_log2(_OpNode n, g): return [g / (n.s(0) * _math.log(2.0))]
def _g_log10(_OpNode n, g): return [g / (n.s(0) * _math.log(10.0))]
def _g_log1p(_OpNode n, g): return [g / (n.s(0) + 1)]
def _g_sqrt(_OpNode n, g): return [g / (2 * _F("sqrt")(n.s(0)))]
def _g_rsqrt(_OpNode n, g): return [g * (-0.5) * _F("rsqrt")(n.s(0)) ** 3]
def _g_reciprocal(_OpNode n, g):
    r = _F("reciprocal")(n.s(0))
    return [-g * r * r]
def _g_sin(_OpNode n, g): return [g * _F("cos")(n.s(0))]
def _g_cos(_OpNode n, g): return [-g * _F("sin")(n.s(0))]
def _g_tan(_OpNode n, g):
    r = _F("tan")(n.s(0))
    return [g * (r * r + 1)]
def _g_asin(_OpNode n, g):
    x = n.s(0)
    return [g / _F("sqrt")(1 - x * x)]
def _g_acos(_OpNode n, g):
    x = n.s(0)
    return [-g / _F("sqrt")(1 - x * x)]
def _g_atan(_OpNode n, g):
    x = n.s(0)
    return [g / (x * x + 1)]
def _g_sinh(_OpNode n, g): return [g * _F("cosh")(n.s(0))]
def _g_cosh(_OpNode n, g): return [g * _F("sinh")(n.s(0))]
def _g_tanh(_OpNode n, g):
    r = _F("tanh")(n.s(0))
    return [g * (1 - r * r)]
def _g_sigmoid(_OpNode n, g):
    r = _F("sigmoid")(n.s(0))
    return [g * r * (1 - r)]
def _g_relu(_OpNode n, g): return [g * (n.s(0) > 0)]
def _g_erf(_OpNode n, g):
    x = n.s(0)
    return [g * (2.0 / _math.sqrt(_math.pi)) * _F("exp")(-(x * x))]
def _g_identity(_OpNode n, g): return [g]
def _g_square(_OpNode n, g): return [g * 2 * n.s(0)]
def _g_nan_to_num(_OpNode n, g): return [g * _F("isfinite")(n.s(0))]
def _g_cast(_OpNode n, g): return [g.to(n.args()[0])]


# name -> (node name, formula); the forward saves its input
cdef dict _UNARY_GRAD = {
    "neg": ("NegBackward0", _g_neg), "abs": ("AbsBackward0", _g_abs),
    "sign": ("SignBackward0", _g_zero), "exp": ("ExpBackward0", _g_exp),
    "exp2": ("Exp2Backward0", _g_exp2), "expm1": ("Expm1Backward0", _g_expm1),
    "log": ("LogBackward0", _g_log), "log2": ("Log2Backward0", _g_log2),
    "log10": ("Log10Backward0", _g_log10), "log1p": ("Log1PBackward0", _g_log1p),
    "sqrt": ("SqrtBackward0", _g_sqrt), "rsqrt": ("RsqrtBackward0", _g_rsqrt),
    "reciprocal": ("ReciprocalBackward0", _g_reciprocal), "sin": ("SinBackward0", _g_sin),
    "cos": ("CosBackward0", _g_cos), "tan": ("TanBackward0", _g_tan),
    "asin": ("AsinBackward0", _g_asin), "acos": ("AcosBackward0", _g_acos),
    "atan": ("AtanBackward0", _g_atan), "sinh": ("SinhBackward0", _g_sinh),
    "cosh": ("CoshBackward0", _g_cosh), "tanh": ("TanhBackward0", _g_tanh),
    "sigmoid": ("SigmoidBackward0", _g_sigmoid), "relu": ("ReluBackward0", _g_relu),
    "erf": ("ErfBackward0", _g_erf), "floor": ("FloorBackward0", _g_zero),
    "ceil": ("CeilBackward0", _g_zero), "round": ("RoundBackward0", _g_zero),
    "trunc": ("TruncBackward0", _g_zero), "frac": ("FracBackward0", _g_identity),
    "square": ("PowBackward0", _g_square), "nan_to_num": ("NanToNumBackward0", _g_nan_to_num),
}


cdef void _record_unary_op(object r, object t, str name):
    if _grad_mode() == 0 or not _needs_grad(t) or not isinstance(r, Tensor):
        return
    if not (<Tensor>r)._dtype.is_floating_point and not (<Tensor>r)._dtype.is_complex:
        return
    spec = _UNARY_GRAD.get(name)
    if spec is None:
        raise RuntimeError(f"the derivative for '{name}' is not implemented")
    fn = spec[1]
    if (<Tensor>t)._dtype.is_complex and name != "abs":
        fn = _conj_formula(fn)
    _attach(r, _new_node(spec[0], fn, (t,), (t,)))


cdef void _record_unary_grad(Tensor r, Tensor t, str name):
    if _grad_mode() == 0 or not _needs_grad(t):
        return
    _attach(r, _new_node(name, _g_identity, (t,)))


cdef void _record_cast_grad(Tensor r, Tensor t):
    if _grad_mode() == 0 or not _needs_grad(t):
        return
    if not (r._dtype.is_floating_point or r._dtype.is_complex):
        return
    _attach(r, _new_node("ToCopyBackward0", _g_cast, (t,), (), (t._dtype,)))


def _g_clamp(_OpNode n, g):
    x = n.s(0)
    lo, hi = n.args()
    mask = ones_like(x, dtype=t_bool)
    if lo is not None:
        mask = mask & (x >= lo)
    if hi is not None:
        mask = mask & (x <= hi)
    return [g * mask]


cdef void _record_clamp(object r, object t, object lo, object hi):
    if _grad_mode() == 0 or not _needs_grad(t) or isinstance(lo, Tensor) or isinstance(hi, Tensor):
        return
    _attach(r, _new_node("ClampBackward1", _g_clamp, (t,), (t,), (lo, hi)))


# ------------------------------------------------------------ binary ops

def _g_add(_OpNode n, g):
    a, b, alpha = n.args()
    return [_gfor(g, a), _gfor(g * alpha if alpha != 1 else g, b)]


def _g_sub(_OpNode n, g):
    a, b, alpha = n.args()
    return [_gfor(g, a), _gfor(-g * alpha if alpha != 1 else -g, b)]


def _g_mul(_OpNode n, g):
    a, b = n.args()
    return [_gfor(g * b, a) if _needs_grad(a) else None, _gfor(g * a, b) if _needs_grad(b) else None]


def _g_div(_OpNode n, g):
    a, b = n.args()
    return [_gfor(g / b, a) if _needs_grad(a) else None,
            _gfor(-g * a / (b * b), b) if _needs_grad(b) else None]


def _g_pow(_OpNode n, g):
    a, b = n.args()
    ga = gb = None
    if _needs_grad(a):
        if isinstance(b, Tensor):
            ga = g * b * _F("pow")(a, b - 1)
            ga = where(b == 0, zeros_like(ga), ga)
        else:
            ga = zeros_like(g) if b == 0 else g * b * _F("pow")(a, b - 1)
        ga = _gfor(ga, a)
    if _needs_grad(b):
        r = _F("pow")(a, b)
        la = _F("log")(a) if isinstance(a, Tensor) else _math.log(a) if a > 0 else float("nan")
        gb = g * r * la
        if isinstance(a, Tensor):
            # 0 ** b has no slope in b where b >= 0 (PyTorch's convention)
            gb = where((a == 0) & (b >= 0), zeros_like(gb), gb)
        gb = _gfor(gb, b)
    return [ga, gb]


def _g_atan2(_OpNode n, g):
    a, b = n.args()
    d = a * a + b * b
    return [_gfor(g * b / d, a) if _needs_grad(a) else None,
            _gfor(-g * a / d, b) if _needs_grad(b) else None]


def _g_maxmin(_OpNode n, g):
    a, b, is_max = n.args()
    win = (a > b) if is_max else (a < b)
    tie = (a == b)
    ga = g * win + g * tie * 0.5
    gb = g * (~win & ~tie) + g * tie * 0.5
    return [_gfor(ga, a) if _needs_grad(a) else None, _gfor(gb, b) if _needs_grad(b) else None]


def _g_remainder(_OpNode n, g):
    a, b = n.args()
    return [_gfor(g, a) if _needs_grad(a) else None,
            _gfor(-g * _F("floor_divide")(a, b), b) if _needs_grad(b) else None]


def _g_fmod(_OpNode n, g):
    a, b = n.args()
    return [_gfor(g, a) if _needs_grad(a) else None,
            _gfor(-g * div(a, b, rounding_mode="trunc"), b) if _needs_grad(b) else None]


def _g_zeros2(_OpNode n, g):
    a, b = n.args()
    return [_gfor(zeros_like(g), a) if _needs_grad(a) else None,
            _gfor(zeros_like(g), b) if _needs_grad(b) else None]


cdef dict _BINARY_GRAD = {
    "add": ("AddBackward0", _g_add), "sub": ("SubBackward0", _g_sub),
    "mul": ("MulBackward0", _g_mul), "div": ("DivBackward0", _g_div),
    "pow": ("PowBackward1", _g_pow), "atan2": ("Atan2Backward0", _g_atan2),
    "maximum": ("MaximumBackward0", _g_maxmin), "minimum": ("MinimumBackward0", _g_maxmin),
    "remainder": ("RemainderBackward0", _g_remainder), "fmod": ("FmodBackward0", _g_fmod),
}


cdef void _record_binary_op(object r, object a, object b, str name, object alpha=None):
    if _grad_mode() == 0 or r is NotImplemented:
        return
    if not (_needs_grad(a) or _needs_grad(b)):
        return
    cdef Tensor rt = <Tensor>r
    if not (rt._dtype.is_floating_point or rt._dtype.is_complex):
        return
    if name == "div_rounded":
        # piecewise constant: the gradient is zero (PyTorch's DivBackward2)
        _attach(r, _new_node("DivBackward2", _g_zeros2, (a, b), (), (a, b)))
        return
    spec = _BINARY_GRAD.get(name)
    if spec is None:
        if name == "floor_divide":
            return       # PyTorch defines no derivative for floor_divide
        raise RuntimeError(f"the derivative for '{name}' is not implemented")
    node_name = spec[0]
    if name == "add" or name == "sub":
        vals = (a, b, 1 if alpha is None else alpha)
    elif name == "maximum" or name == "minimum":
        vals = (a, b, name == "maximum")
    else:
        vals = (a, b)
    if name == "pow" and not isinstance(b, Tensor):
        node_name = "PowBackward0"
    elif name == "pow" and not isinstance(a, Tensor):
        node_name = "PowBackward2"
    _attach(r, _new_node(node_name, _conj_formula(spec[1]) if rt._dtype.is_complex else spec[1],
                         (a, b), (), vals))


def _g_where(_OpNode n, g):
    c, x, y = n.args()
    z = zeros_like(g)
    return [None, _gfor(where(c, g, z), x) if _needs_grad(x) else None,
            _gfor(where(c, z, g), y) if _needs_grad(y) else None]


cdef void _record_where_grad(Tensor r, Tensor c, Tensor x, Tensor y):
    if _grad_mode() == 0 or not (_needs_grad(x) or _needs_grad(y)):
        return
    if not (r._dtype.is_floating_point or r._dtype.is_complex):
        return
    _attach(r, _new_node("WhereBackward0", _g_where, (c, x, y), (), (c, x, y)))


def _g_lerp(_OpNode n, g):
    a, b, w = n.args()
    if isinstance(w, Tensor):
        gw = _gfor(g * (b - a), w) if _needs_grad(w) else None
        return [_gfor(g * (1 - w), a) if _needs_grad(a) else None,
                _gfor(g * w, b) if _needs_grad(b) else None, gw]
    return [_gfor(g * (1 - w), a) if _needs_grad(a) else None,
            _gfor(g * w, b) if _needs_grad(b) else None]


cdef void _record_lerp(Tensor r, Tensor a, Tensor b, object w):
    if _grad_mode() == 0 or not (_needs_grad(a) or _needs_grad(b) or _needs_grad(w)):
        return
    if isinstance(w, Tensor):
        _attach(r, _new_node("LerpBackward1", _g_lerp, (a, b, w), (), (a, b, w)))
    else:
        _attach(r, _new_node("LerpBackward0", _g_lerp, (a, b), (), (a, b, w)))


# ------------------------------------------------------------ reductions

def _g_sum(_OpNode n, g):
    x_shape, dims, keepdim, scale = n.args()
    if not keepdim and dims is not None:
        for d in sorted(dims):
            g = g.unsqueeze(d)
    r = g.expand(x_shape) if scale == 1 else g.expand(x_shape) / scale
    return [r]


cdef void _record_reduce(Tensor r, Tensor t, str name, object dim, bint keepdim):
    if _grad_mode() == 0 or not _needs_grad(t):
        return
    dims = None
    if dim is not None and not (isinstance(dim, (tuple, list)) and len(dim) == 0):
        dims = _reduce_dims(t, dim)
    cdef Py_ssize_t count = 1
    for d in (dims if dims is not None else builtins_range(t._ndim)):
        count *= t._shape[d]
    if name == "sum":
        node = "SumBackward0" if dims is None else "SumBackward1"
        vals = (t.size(), dims if dims is not None and not keepdim else None, keepdim, 1)
    else:
        node = "MeanBackward0" if dims is None else "MeanBackward1"
        vals = (t.size(), dims if dims is not None and not keepdim else None, keepdim, count)
    _attach(r, _new_node(node, _g_sum, (t,), (), vals))


# ----------------------------------------------------------------- views

def _g_view(_OpNode n, g):
    return [g.reshape(n.args()[0])]


def _g_permute(_OpNode n, g):
    return [g.permute(*n.args()[0])]


def _g_expand(_OpNode n, g):
    return [sum_to_size(g, n.args()[0])]


def _g_replay(_OpNode n, g):
    """Gradient of a view made by replay(src): zeros of src's shape with g
    written through the same view. Under create_graph the result gets a node
    whose backward takes the same view again."""
    shape, dt, replay = n.args()
    old = _grad_mode()
    _set_grad_mode(0)
    try:
        z = zeros(shape, dtype=dt)
        zv = replay(z)
        _copy_into(<Tensor>zv, <Tensor>(_alias(<Tensor>g) if isinstance(g, Tensor) else g), True)
    finally:
        _set_grad_mode(old)
    if _grad_mode() and _needs_grad(g):
        _attach(z, _new_node("ViewScatterBackward", _g_take_view, (g,), (), (replay,)))
    return [z]


def _g_take_view(_OpNode n, g):
    return [n.args()[0](g).clone()]


cdef void _record_view_op(Tensor r, Tensor src, str name, object kind, object arg):
    """kind: 'reshape' (arg unused), 'permute' (arg: the inverse permutation),
    'expand', or 'replay' (arg: a function that applies the same view to a
    tensor shaped like src)."""
    if _grad_mode() == 0 or not _needs_grad(src):
        return
    if kind == "reshape":
        node = _new_node(name, _g_view, (src,), (), (src.size(),))
    elif kind == "permute":
        node = _new_node(name, _g_permute, (src,), (), (arg,))
    elif kind == "expand":
        node = _new_node(name, _g_expand, (src,), (), (src.size(),))
    else:
        node = _new_node(name, _g_replay, (src,), (), (src.size(), src._dtype, arg))
    _attach(r, node)


def _g_unfold(_OpNode n, g):
    """Windows of unfold may overlap (step < size): each element of the input
    gets the sum of the gradients of all its copies."""
    shape, dt, d, size, step = n.args()
    ndim = len(shape)
    old = _grad_mode()
    _set_grad_mode(0)
    try:
        z = zeros(shape, dtype=dt)
        rest = [i for i in builtins_range(ndim) if i != d]
        gp = _alias(<Tensor>g).permute([d, ndim] + rest)     # (windows, size, rest...)
        idx = arange(shape[d]).unfold(0, size, step)         # (windows, size)
        _index_put(z.permute([d] + rest), (idx,), gp, True)
    finally:
        _set_grad_mode(old)
    if _grad_mode() and _needs_grad(g):
        _attach(z, _new_node("UnfoldBackwardBackward0", _g_take_view, (g,), (),
                             (lambda x: x.unfold(d, size, step),)))
    return [z]


cdef void _record_unfold(Tensor r, Tensor src, int d, Py_ssize_t size, Py_ssize_t step):
    if _grad_mode() == 0 or not _needs_grad(src):
        return
    if src._ndim == 0 or step >= size:
        # windows do not overlap: writing g through the same view is the gradient
        _record_view_op(r, src, "UnfoldBackward0", "replay", lambda x: x.unfold(d, size, step))
        return
    _attach(r, _new_node("UnfoldBackward0", _g_unfold, (src,), (), (src.size(), src._dtype, d, size, step)))


# -------------------------------------------------------------- indexing

def _g_index(_OpNode n, g):
    shape, dt, index = n.args()
    old = _grad_mode()
    _set_grad_mode(0)
    try:
        z = zeros(shape, dtype=dt)
        _index_put(z, index, _alias(<Tensor>g), True)
    finally:
        _set_grad_mode(old)
    if _grad_mode() and _needs_grad(g):
        _attach(z, _new_node("IndexPutBackward", _g_take_index, (g,), (), (index,)))
    return [z]


def _g_take_index(_OpNode n, g):
    return [g[n.args()[0]]]


cdef void _record_index(Tensor r, Tensor t, object index):
    if _grad_mode() == 0 or not _needs_grad(t):
        return
    _attach(r, _new_node("IndexBackward0", _g_index, (t,), (), (t.size(), t._dtype, index)))


def _g_setitem(_OpNode n, g):
    index, _, value = n.args()
    old = _grad_mode()
    _set_grad_mode(0)
    try:
        keep = ones_like(g)
        keep[index] = 0
    finally:
        _set_grad_mode(old)
    gval = None
    if _needs_grad(value):
        gval = _reduce_grad(g[index], <Tensor>value)
    return [g * keep, gval]


# -------------------------------------------------------------- in place

cdef int _check_inplace(Tensor t) except -1:
    if _grad_mode() == 0:
        return 0
    if t._requires_grad and t._grad_fn is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
    if t._base is not None and _needs_grad(t._base):
        if (<Tensor>t._base)._grad_fn is None:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.")
        raise RuntimeError("in-place operations on a view of a tensor that requires grad are not supported "
                           "by ctorch's autograd yet; write the op out of place (e.g. y = y.clone(); ...) "
                           "or assign through the base tensor")
    return 0


cdef bint _inplace_needs_graph(Tensor self, object other):
    return _grad_mode() != 0 and (_needs_grad(self) or _needs_grad(other))


cdef object _inplace_with_graph(Tensor self, object fn):
    """In-place op on a tensor in a graph: computes fn(clone(self)) out of place
    (so the old value stays saved intact), writes the result into self and
    makes self the output of that graph node."""
    old = _grad_mode()
    _set_grad_mode(0)
    try:
        c = clone(self)
    finally:
        _set_grad_mode(old)
    # the copy stands for self in the graph (no CloneBackward0 in between): the
    # new node's edge leads to self's old grad_fn, as in PyTorch
    c._grad_fn = self._grad_fn
    c._output_nr = self._output_nr
    c._requires_grad = self._requires_grad
    cdef Tensor r = fn(c)
    if r._dtype is not self._dtype:
        r = _cast(r, self._dtype)
    _set_grad_mode(0)
    try:
        _copy_into(self, r, True)
    finally:
        _set_grad_mode(old)
    _move_retain(self, r._grad_fn, r._output_nr)
    self._grad_fn = r._grad_fn
    self._output_nr = r._output_nr
    self._requires_grad = r._requires_grad or self._requires_grad
    return self


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



def _g_overwrite(_OpNode n, g):
    shape, dt, src_needs = n.args()
    gsrc = None
    if src_needs:
        gsrc = g if tuple(g.size()) == tuple(shape) else sum_to_size(g, shape)
        if (<Tensor>gsrc)._dtype is not dt:
            gsrc = gsrc.to(dt)
    return [zeros_like(g), gsrc]


cdef bint _overwrite_needs_graph(Tensor self, object value):
    return _grad_mode() != 0 and (_needs_grad(self) or _needs_grad(value))


cdef object _overwrite_with_graph(Tensor self, object value, str name):
    """fill_ / zero_ / copy_ on a tensor in a graph: the old value gets a zero
    gradient, a tensor value the gradient of what it was written over."""
    _check_inplace(self)
    old = _grad_mode()
    _set_grad_mode(0)
    try:
        if isinstance(value, Tensor):
            _copy_into(self, <Tensor>value, True)
        else:
            _fill(self, value)
            _bump(self)
    finally:
        _set_grad_mode(old)
    src_needs = _needs_grad(value)
    vals = ((<Tensor>value).size(), (<Tensor>value)._dtype, True) if src_needs else (None, None, False)
    node = _new_node(name, _g_overwrite, (self, value if src_needs else None), (), vals)
    _move_retain(self, node, 0)
    _attach(self, node)
    return self
