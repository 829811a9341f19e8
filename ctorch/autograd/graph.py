"""Looking at a graph: Graphviz DOT text of what backward will run."""
from ctorch._core.tensor import Tensor
from ctorch.autograd._node import Node

__all__ = ["Node", "to_dot", "render"]


def _label(node):
    name = node.name()
    if name == "AccumulateGrad":
        v = node.variable
        return f"AccumulateGrad\\n{tuple(v.shape)} {str(v.dtype).replace('torch.', '')}"
    return name


def to_dot(root, name="backward"):
    """DOT text for the graph that ends in root (a tensor or a grad_fn)."""
    if isinstance(root, Tensor):
        top = root.grad_fn
        if top is None:
            raise RuntimeError("the tensor has no grad_fn: there is no graph to draw")
    else:
        top = root
    ids, lines, stack, seen = {}, [], [top], set()

    def nid(n):
        if id(n) not in ids:
            ids[id(n)] = f"n{len(ids)}"
        return ids[id(n)]

    lines.append(f"digraph {name} {{")
    lines.append('  node [shape=box, fontname="Helvetica", fontsize=10];')
    if isinstance(root, Tensor):
        lines.append(f'  out [label="output\\n{tuple(root.shape)}", shape=ellipse];')
        lines.append(f"  {nid(top)} -> out;")
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        lines.append(f'  {nid(n)} [label="{_label(n)}"];')
        for nxt, _ in n.next_functions:
            if nxt is None:
                continue
            lines.append(f"  {nid(nxt)} -> {nid(n)};")
            stack.append(nxt)
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(root, path, format="svg"):
    """Writes the graph to path.<format> with the graphviz package and binary
    (both optional); returns the file name."""
    try:
        import graphviz
    except ImportError as e:
        raise RuntimeError("render() needs the graphviz package (pip install graphviz) and its "
                           "binary; to_dot() gives the DOT text without them") from e
    src = graphviz.Source(to_dot(root))
    return src.render(path, format=format, cleanup=True)
