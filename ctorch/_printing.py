"""Text rendering of tensors (``repr``/``str``), matching PyTorch's output.

Everything here works from a tiny tensor interface (shape, dim(), numel(),
dtype, device, tolist(), integer/slice indexing on dim 0, and the autograd
attributes), so the module has no dependency on how tensors are stored.

The rules below were established by observing PyTorch's output; the comments
record the non-obvious ones.
"""

import math

__all__ = [
    "PRINT_OPTS",
    "set_printoptions",
    "get_printoptions",
    "tensor_repr",
]


class _PrintOptions:
    precision = 4
    threshold = 1000
    edgeitems = 3
    linewidth = 80
    sci_mode = None


PRINT_OPTS = _PrintOptions()

_PROFILES = {
    "default": dict(precision=4, threshold=1000, edgeitems=3, linewidth=80),
    "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
    "full": dict(precision=4, threshold=math.inf, edgeitems=3, linewidth=80),
}


def set_printoptions(
    precision=None,
    threshold=None,
    edgeitems=None,
    linewidth=None,
    profile=None,
    sci_mode=None,
):
    """Set options for printing; same arguments and semantics as torch's.

    A profile sets the four numeric options first, then any explicitly given
    option overrides it.  An unknown profile name is silently ignored, and
    ``sci_mode`` is always assigned (so any call without it resets it to
    automatic), both as in PyTorch.
    """
    if profile is not None and profile in _PROFILES:
        for name, value in _PROFILES[profile].items():
            setattr(PRINT_OPTS, name, value)
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions():
    """Current print options as a dict (same keys and order as torch)."""
    return {
        "precision": PRINT_OPTS.precision,
        "threshold": PRINT_OPTS.threshold,
        "edgeitems": PRINT_OPTS.edgeitems,
        "linewidth": PRINT_OPTS.linewidth,
        "sci_mode": PRINT_OPTS.sci_mode,
    }


def _default_dtype_name():
    try:
        from ctorch import get_default_dtype

        return str(get_default_dtype())
    except ImportError:
        return "torch.float32"


# --------------------------------------------------------------------------
# Element formatters
# --------------------------------------------------------------------------


class _FloatFormatter:
    """Chooses one notation and one column width for a set of float values.

    Only finite nonzero values take part in the decision and in the width, so
    nan/inf/-0. may stick out of the column (torch prints ``[nan, 1.]`` and
    ``[-0.0000, 1.5000]`` unpadded).
    """

    def __init__(self, values):
        precision = PRINT_OPTS.precision
        self.precision = precision
        nonzero = [v for v in values if v != 0 and math.isfinite(v)]
        self.int_mode = True
        self.sci_mode = False
        self.width = 1
        if not nonzero:
            # Nothing informative: print as integers, and a forced sci_mode
            # does not apply (torch prints ``tensor([0., 0.])`` either way).
            return

        # The comparisons are done in double precision on the exact values,
        # which is what Python floats from tolist() give us.
        magnitudes = [abs(v) for v in nonzero]
        vmax = max(magnitudes)
        vmin = min(magnitudes)
        ratio = vmax / vmin
        self.int_mode = all(v == math.ceil(v) for v in nonzero)
        if self.int_mode:
            sci = ratio > 1000.0 or vmax > 1.0e8
        else:
            sci = ratio > 1000.0 or vmax > 1.0e8 or vmin < 1.0e-4
        if PRINT_OPTS.sci_mode is not None:
            sci = bool(PRINT_OPTS.sci_mode)
        self.sci_mode = sci
        self.width = max(len(self._text(v)) for v in nonzero)

    def _text(self, value):
        if self.sci_mode:
            return "{:.{}e}".format(value, self.precision)
        if self.int_mode:
            text = "{:.0f}".format(value)
            if math.isfinite(value):
                text += "."
            return text
        return "{:.{}f}".format(value, self.precision)

    def format(self, value):
        return self._text(value).rjust(self.width)


class _PlainFormatter:
    """Integers and booleans: ``str`` of each value, right-aligned."""

    def __init__(self, values, is_bool=False):
        # bool() guards against a backend whose tolist() yields 0/1 for bools.
        self.convert = bool if is_bool else int
        self.width = max((len(self._text(v)) for v in values), default=1)

    def _text(self, value):
        return str(self.convert(value))

    def format(self, value):
        return self._text(value).rjust(self.width)


class _ComplexFormatter:
    """Real and imaginary parts are formatted independently.

    The real part is padded to its column; the imaginary part is stripped of
    padding and always carries a sign, so whole elements are not aligned
    (torch prints ``[  1.+1.j,   1.+100.j]``).
    """

    def __init__(self, values):
        self.real = _FloatFormatter([v.real for v in values])
        self.imag = _FloatFormatter([v.imag for v in values])
        # Used only to decide how many elements fit on a line.
        self.width = self.real.width + self.imag.width + 1

    def format(self, value):
        real = self.real.format(value.real)
        imag = self.imag.format(value.imag).lstrip()
        if not imag.startswith("-"):
            imag = "+" + imag
        return real + imag + "j"


def _make_formatter(dtype, values):
    if dtype.is_complex:
        return _ComplexFormatter(values)
    if dtype.is_floating_point:
        return _FloatFormatter(values)
    return _PlainFormatter(values, is_bool=str(dtype) == "torch.bool")


# --------------------------------------------------------------------------
# Collecting the values to show
# --------------------------------------------------------------------------


class _Elided:
    """One dimension shown as ``head, ..., tail``."""

    __slots__ = ("head", "tail")

    def __init__(self, head, tail):
        self.head = head
        self.tail = tail


def _summarized(t, shape, edge):
    """Nested lists of the shown values; summarised dims become _Elided.

    Sub-tensors small enough to be shown whole are fetched with a single
    tolist() call instead of being walked element by element.
    """
    if all(n <= 2 * edge for n in shape):
        return t.tolist()
    n = shape[0]
    rest = shape[1:]
    if not rest:
        if n > 2 * edge:
            return _Elided(t[:edge].tolist(), t[n - edge:].tolist())
        return t.tolist()
    if n > 2 * edge:
        head = [_summarized(t[i], rest, edge) for i in range(edge)]
        tail = [_summarized(t[i], rest, edge) for i in range(n - edge, n)]
        return _Elided(head, tail)
    return [_summarized(t[i], rest, edge) for i in range(n)]


def _flatten(node, depth, out):
    if depth == 0:
        out.append(node)
        return
    if isinstance(node, _Elided):
        parts = (node.head, node.tail)
    else:
        parts = (node,)
    for part in parts:
        for child in part:
            _flatten(child, depth - 1, out)


# --------------------------------------------------------------------------
# Layout
# --------------------------------------------------------------------------


def _render_vector(node, formatter, indent):
    if isinstance(node, _Elided):
        items = [formatter.format(v) for v in node.head]
        # The marker carries a leading space, hence ",  ..." in the output;
        # it also counts as one element when wrapping lines.
        items.append(" ...")
        items.extend(formatter.format(v) for v in node.tail)
    else:
        items = [formatter.format(v) for v in node]
    per_line = max(1, (PRINT_OPTS.linewidth - indent) // (formatter.width + 2))
    lines = [
        ", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)
    ]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _render(node, depth, formatter, indent):
    if depth == 1:
        return _render_vector(node, formatter, indent)
    if isinstance(node, _Elided):
        parts = [_render(c, depth - 1, formatter, indent + 1) for c in node.head]
        parts.append("...")
        parts.extend(_render(c, depth - 1, formatter, indent + 1) for c in node.tail)
    else:
        parts = [_render(c, depth - 1, formatter, indent + 1) for c in node]
    # One blank line between matrices, two between 4-D blocks, and so on.
    separator = "," + "\n" * (depth - 1) + " " * (indent + 1)
    return "[" + separator.join(parts) + "]"


def _body(t, indent):
    """The value part of the repr, for a tensor with at least one element."""
    shape = tuple(t.shape)
    if len(shape) == 0:
        value = t.tolist()
        return _make_formatter(t.dtype, [value]).format(value)

    summarize = t.numel() > PRINT_OPTS.threshold
    edge = PRINT_OPTS.edgeitems
    if summarize and not edge:
        return "[...]"
    data = _summarized(t, shape, edge) if summarize else t.tolist()
    # The formatter only sees the values that will actually be shown.
    values = []
    _flatten(data, len(shape), values)
    formatter = _make_formatter(t.dtype, values)
    return _render(data, len(shape), formatter, indent)


# --------------------------------------------------------------------------
# Suffixes
# --------------------------------------------------------------------------


def _implicit_dtypes(default_name):
    """Dtypes that need no ``dtype=`` suffix on a non-empty tensor."""
    # The complex default follows torch: complex128 only when the default
    # float dtype is float64, complex64 otherwise (even with float16).
    complex_default = (
        "torch.complex128" if default_name == "torch.float64" else "torch.complex64"
    )
    return {default_name, complex_default, "torch.int64", "torch.bool"}


def _suffixes(t, default_name):
    suffixes = []
    device = t.device
    if device.type != "cpu":
        suffixes.append("device='{}'".format(device))
    shape = tuple(t.shape)
    dtype_name = str(t.dtype)
    if t.numel() == 0:
        # "tensor([])" cannot tell shape or dtype apart, so both are spelled
        # out unless they are the literal defaults: only the default float
        # dtype is implicit here (even int64/bool get a suffix).
        if len(shape) != 1:
            suffixes.append("size=" + str(shape))
        if dtype_name != default_name:
            suffixes.append("dtype=" + dtype_name)
    else:
        # With edgeitems=0 a summarised tensor shows no values at all, so
        # torch always adds the size in that configuration.
        if not PRINT_OPTS.edgeitems:
            suffixes.append("size=" + str(shape))
        if dtype_name not in _implicit_dtypes(default_name):
            suffixes.append("dtype=" + dtype_name)
    suffixes.extend(_autograd_suffixes(t))
    return suffixes


def _autograd_suffixes(t):
    grad_fn = getattr(t, "grad_fn", None)
    if grad_fn is not None:
        return ["grad_fn=<{}>".format(type(grad_fn).__name__)]
    if getattr(t, "requires_grad", False):
        return ["requires_grad=True"]
    return []


def _append_suffixes(text, suffixes, indent):
    """Append ", suffix" items, moving one to its own line when too long.

    The bookkeeping reproduces torch's exactly, including a quirk: the
    running length starts two columns higher than the real last line, but
    after a suffix is wrapped it equals the real length of the new line.
    """
    width = PRINT_OPTS.linewidth
    pieces = [text]
    running = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if running + len(suffix) + 2 > width:
            pieces.append(",\n" + " " * indent + suffix)
            running = indent + len(suffix)
        else:
            pieces.append(", " + suffix)
            running += len(suffix) + 2
    pieces.append(")")
    return "".join(pieces)


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------


def tensor_repr(t):
    """The text torch prints for ``repr(t)`` and ``str(t)``."""
    prefix = "tensor("
    indent = len(prefix)
    default_name = _default_dtype_name()
    body = "[]" if t.numel() == 0 else _body(t, indent)
    return _append_suffixes(prefix + body, _suffixes(t, default_name), indent)
