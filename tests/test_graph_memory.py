"""Autograd graphs and memory: a graph, its nodes and its saved tensors go
away by reference counting alone (no reference cycles) when the outputs are
dropped, after backward and autograd.grad too; nodes are not tracked by
Python's cyclic GC, so the collector's work does not grow with the graphs a
program keeps, until user objects hang off a node (hooks, metadata) or a
custom Function's context keeps the node's outputs: then the node is tracked
and such cycles are collected."""
import contextlib
import gc
import weakref

import numpy as np
import pytest

import ctorch as torch
from ctorch.autograd import Function
from ctorch.autograd.graph import Node

F64 = torch.float64


def leaf(a):
    return torch.tensor(np.asarray(a, dtype=np.float64)).requires_grad_(True)


def np_of(t):
    return t.detach().numpy()


@contextlib.contextmanager
def gc_disabled():
    """The cyclic GC off: only reference counting frees objects."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def tracked_nodes():
    """grad_fn nodes the cyclic GC sees."""
    return [o for o in gc.get_objects() if isinstance(o, Node)]


def tracked_counts():
    objs = gc.get_objects()
    return len(objs), sum(isinstance(o, torch.Tensor) for o in objs)


def graph_nodes(*roots):
    """Every node reachable from the grad_fns of roots (tensors)."""
    seen, out = set(), []
    stack = [r.grad_fn for r in roots if r.grad_fn is not None]
    while stack:
        n = stack.pop()
        if n is None or id(n) in seen:
            continue
        seen.add(id(n))
        out.append(n)
        stack.extend(nxt for nxt, _ in n.next_functions)
    return out


def build_chain(x, n_ops=100, keep=None):
    """A chain of n_ops ops from x (4x4): add, mul, exp (saves its result), sin
    (saves its input), mul of two graph tensors (saves both), views (t,
    reshape, a row), sum broadcast back, and an in-place op through a view
    (CopySlices). keep: a list that gets a weakref to every intermediate."""
    y = x
    for i in range(n_ops):
        k = i % 9
        if k == 0:
            y = y + 0.5
        elif k == 1:
            y = y * 0.9
        elif k == 2:
            y = (y * 0.1).exp()
        elif k == 3:
            y = y.sin() + 1.0
        elif k == 4:
            y = y * (y * 0.5)
        elif k == 5:
            y = y.t()
        elif k == 6:
            y = y.reshape(2, 8).reshape(4, 4) + y[1]
        elif k == 7:
            y = y + y.sum() * 0.01
        else:
            y = y * 1
            y[0].mul_(0.5)
        if keep is not None:
            keep.append(weakref.ref(y))
    return y


def _x(seed=0):
    rng = np.random.default_rng(seed)
    return leaf(rng.uniform(-0.5, 0.5, (4, 4)))


# ============================================== 1. freed by reference counting

def test_chain_is_freed_when_the_output_is_dropped():
    with gc_disabled():
        x = _x()
        inter = []
        out = build_chain(x, keep=inter).sum()
        nodes = graph_nodes(out)
        assert len(nodes) >= 100
        assert {type(n).__name__ for n in nodes} >= {
            "AddBackward0", "MulBackward0", "ExpBackward0", "SinBackward0", "TBackward0",
            "ViewBackward0", "SelectBackward0", "SumBackward0", "CopySlices", "AccumulateGrad"}
        assert tracked_nodes() == []          # nodes are invisible to the cyclic GC
        node_refs = [weakref.ref(n) for n in nodes]
        out_ref, fn_ref = weakref.ref(out), weakref.ref(out.grad_fn)
        del nodes, out
        assert out_ref() is None
        assert fn_ref() is None
        assert [r() for r in node_refs] == [None] * len(node_refs)
        assert [r() for r in inter] == [None] * len(inter)
        assert x.grad is None and x.requires_grad


def test_chain_is_freed_after_backward():
    with gc_disabled():
        x = _x()
        inter = []
        out = build_chain(x, keep=inter).sum()
        node_refs = [weakref.ref(n) for n in graph_nodes(out)]
        out_ref, fn_ref = weakref.ref(out), weakref.ref(out.grad_fn)
        out.backward()
        assert tracked_nodes() == []
        # the saved intermediates are released by backward, before the output goes
        assert fn_ref() is not None
        assert [r() for r in inter[:-1]] == [None] * (len(inter) - 1)
        del out
        assert out_ref() is None and fn_ref() is None
        assert [r() for r in node_refs] == [None] * len(node_refs)
        assert inter[-1]() is None
        g = np_of(x.grad)
        assert g.shape == (4, 4) and np.all(np.isfinite(g)) and np.any(g != 0)


def test_saved_intermediate_is_released_by_backward():
    with gc_disabled():
        x = leaf([0.5, 1.0, 1.5])
        h = x * 2
        s = h.sin()                 # saves h
        e = (s * 1).exp()           # saves its result
        out = (e * h).sum()         # saves e and h
        refs = [weakref.ref(t) for t in (h, s, e)]
        del h, s, e
        out.backward()
        assert [r() for r in refs] == [None, None, None]
        assert out.grad_fn is not None
        xv = np.array([0.5, 1.0, 1.5])
        ev = np.exp(np.sin(2 * xv))
        np.testing.assert_allclose(np_of(x.grad), ev * np.cos(2 * xv) * 2 * 2 * xv + ev * 2,
                                   rtol=1e-12)


def test_repeated_graphs_leave_no_tracked_objects_behind():
    with gc_disabled():
        x = _x(1)

        def one_round(mode):
            out = build_chain(x).sum()
            if mode == "backward":
                out.backward()
            elif mode == "retain":
                out.backward(retain_graph=True)
                out.backward()
            elif mode == "grad":
                torch.autograd.grad(out, x)
            elif mode == "create_graph":
                (g,) = torch.autograd.grad(out, x, create_graph=True)
                assert g.requires_grad
                assert tracked_nodes() == []
                g.sum().backward()
            assert tracked_nodes() == []

        modes = ["drop", "backward", "retain", "grad", "create_graph"]
        for m in modes:                 # warm up: caches, first-use objects
            one_round(m)
        x.grad = None
        before = tracked_counts()
        for _ in range(5):
            for m in modes:
                one_round(m)
        x.grad = None
        after = tracked_counts()
        assert after[1] == before[1], (before, after)          # no tensor left behind
        assert after[0] - before[0] <= 5, (before, after)      # nor anything else
        assert tracked_nodes() == []


def test_a_live_graph_adds_only_its_tensors_to_the_tracked_objects():
    """Edges, saved values and saved tensors are not tracked either: a live
    graph costs a collection (and the oldest generation) nothing beyond the
    tensors it keeps, whatever the number of its nodes."""
    with gc_disabled():
        x = _x(2)
        build_chain(x, 90).sum()        # warm up
        before = tracked_counts()
        out = build_chain(x, 900).sum()
        after = tracked_counts()
        kept_tensors = after[1] - before[1]
        assert len(graph_nodes(out)) > 900
        # each kept tensor and its storage, and nothing per node
        assert after[0] - before[0] <= 2 * kept_tensors + 20, (before, after)
        del out


def test_no_grad_fn_is_tracked_while_graphs_are_alive():
    x = leaf([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
    w = leaf([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    y = (x @ w).relu().softmax(1).log()[1:, :1].sum(0) + x.max() + x.mean(1).prod()
    z = x * 1
    z[0].mul_(2)
    z2 = z.t()[1].exp() + torch.cat([x, x]).cumsum(0).sum() + x[[0, 1]].std()
    out = y.sum() + z2.sum() + torch.where(x > 0, x, w.sum()).sum()
    nodes = graph_nodes(out)
    assert len(nodes) > 20
    assert [type(n).__name__ for n in nodes if gc.is_tracked(n)] == []
    assert tracked_nodes() == []


# ============================================================ 2. tracking

def test_ordinary_nodes_are_not_tracked():
    x = leaf([1.0, 2.0])
    y = (x * 2).exp()
    assert not gc.is_tracked(y.grad_fn)
    assert not gc.is_tracked(y.grad_fn.next_functions[0][0])             # MulBackward0
    acc = y.grad_fn.next_functions[0][0].next_functions[0][0]
    assert type(acc).__name__ == "AccumulateGrad"
    assert not gc.is_tracked(acc)
    assert not gc.is_tracked((x * 1).sum().grad_fn)
    b = x * 1
    b[0].mul_(3)
    assert not gc.is_tracked(b.grad_fn)                                  # CopySlices
    assert not gc.is_tracked(x[0].grad_fn)


def test_register_hook_makes_the_node_tracked():
    x = leaf([1.0, 2.0])
    u = leaf([3.0, 4.0])
    y = x * u
    assert not gc.is_tracked(y.grad_fn)
    seen = []
    y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: seen.append(
        ([np_of(g).tolist() for g in grad_inputs], [np_of(g).tolist() for g in grad_outputs])))
    assert gc.is_tracked(y.grad_fn)
    y.sum().backward()
    assert seen == [([[3.0, 4.0], [1.0, 2.0]], [[1.0, 1.0]])]
    z = x * 3
    z.grad_fn.register_prehook(lambda grad_outputs: None)
    assert gc.is_tracked(z.grad_fn)
    # a tensor hook hangs off the tensor's node (or the leaf's AccumulateGrad)
    w = x * 4
    w.register_hook(lambda g: g)
    assert gc.is_tracked(w.grad_fn)
    v = leaf([1.0])
    v.register_hook(lambda g: g)
    assert gc.is_tracked((v * 2).grad_fn.next_functions[0][0])


def test_metadata_makes_the_node_tracked():
    x = leaf([1.0, 2.0])
    y = x * 2
    assert not gc.is_tracked(y.grad_fn)
    y.grad_fn.metadata["k"] = "v"
    assert gc.is_tracked(y.grad_fn)
    assert y.grad_fn.metadata == {"k": "v"}


def test_hook_cycle_through_a_node_is_collected():
    x = leaf([1.0, 2.0])
    y = x * 2
    y.grad_fn.register_hook(lambda gi, go, y=y: None)     # y -> node -> hook -> y
    y_ref, fn_ref = weakref.ref(y), weakref.ref(y.grad_fn)
    with gc_disabled():
        del y
        assert y_ref() is not None                 # a cycle: refcounting cannot free it
    gc.collect()
    assert y_ref() is None and fn_ref() is None


def test_prehook_and_tensor_hook_cycles_are_collected():
    x = leaf([1.0, 2.0])
    y = x.exp()
    y.grad_fn.register_prehook(lambda go, y=y: None)
    z = x * 5
    z.register_hook(lambda g, z=z: g)
    refs = [weakref.ref(t) for t in (y, y.grad_fn, z, z.grad_fn)]
    with gc_disabled():
        del y, z
        assert [r() is not None for r in refs] == [True] * 4
    gc.collect()
    assert [r() for r in refs] == [None] * 4
    # a hook on a leaf that refers to the leaf
    v = leaf([1.0])
    v.register_hook(lambda g, v=v: g * 3)
    (v * 2).backward()
    np.testing.assert_array_equal(np_of(v.grad), [6.0])
    v_ref = weakref.ref(v)
    with gc_disabled():
        del v
        assert v_ref() is not None
    gc.collect()
    assert v_ref() is None


def test_metadata_cycle_through_a_node_is_collected():
    x = leaf([1.0, 2.0])
    y = x * 2
    y.grad_fn.metadata["out"] = y                  # y -> node -> metadata -> y
    y.grad_fn.metadata["self"] = y.grad_fn
    y_ref, fn_ref = weakref.ref(y), weakref.ref(y.grad_fn)
    with gc_disabled():
        del y
        assert y_ref() is not None
    gc.collect()
    assert y_ref() is None and fn_ref() is None


# ================================================= 3. custom Functions

class ExpSavingOutput(Function):
    @staticmethod
    def forward(ctx, x):
        out = x.exp()
        ctx.save_for_backward(out)                 # the node's own output: a cycle
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * out


class SquareSavingInput(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 2 * x * g


def test_function_saving_its_output_is_collected():
    x = leaf([0.5, 1.0])
    y = ExpSavingOutput.apply(x)
    assert gc.is_tracked(y.grad_fn)
    y_ref, fn_ref = weakref.ref(y), weakref.ref(y.grad_fn)
    with gc_disabled():
        del y
        assert y_ref() is not None                 # y -> node -> ctx -> y
    gc.collect()
    assert y_ref() is None and fn_ref() is None
    # also after backward, and when it sits inside a larger graph
    y = ExpSavingOutput.apply(x * 2)
    out = (y * 3).sum()
    out.backward()
    np.testing.assert_allclose(np_of(x.grad), 6 * np.exp([1.0, 2.0]), rtol=1e-14)
    refs = [weakref.ref(n) for n in graph_nodes(out)] + [weakref.ref(y)]
    del y, out
    gc.collect()
    assert [r() for r in refs] == [None] * len(refs)


def test_function_saving_its_input_needs_no_cyclic_gc():
    with gc_disabled():
        x = leaf([0.5, 1.0])
        h = x * 1
        y = SquareSavingInput.apply(h)
        out = (y + 1).sum()
        refs = [weakref.ref(n) for n in graph_nodes(out)] + [weakref.ref(y), weakref.ref(h)]
        del h, y
        out.backward()
        np.testing.assert_array_equal(np_of(x.grad), [1.0, 2.0])
        del out
        assert [r() for r in refs] == [None] * len(refs)


# ============================================ 4. backward and grad leave nothing

def _small_graph():
    x = leaf([1.0, 2.0])
    w = leaf([0.5, 0.25])
    y = x * w
    z = y.exp()
    v = z[0] + z.sin().sum()
    b = y * 1
    b[1].mul_(2)
    out = (v * b.sum()).mean()
    return x, w, out


@pytest.mark.parametrize("how", ["backward", "backward_retain", "backward_inputs", "grad",
                                 "grad_retain", "grad_create_graph", "backward_create_graph"])
def test_backward_and_grad_leave_no_nodes_behind(how):
    with gc_disabled():
        x, w, out = _small_graph()
        node_refs = [weakref.ref(n) for n in graph_nodes(out)]
        assert len(node_refs) >= 10
        extra = []
        if how == "backward":
            out.backward()
        elif how == "backward_retain":
            out.backward(retain_graph=True)
            out.backward(retain_graph=True)
        elif how == "backward_inputs":
            out.backward(inputs=[w])
        elif how == "grad":
            extra = list(torch.autograd.grad(out, (x, w)))
        elif how == "grad_retain":
            extra = list(torch.autograd.grad(out, x, retain_graph=True))
            extra += list(torch.autograd.grad(out, w))
        elif how == "grad_create_graph":
            extra = list(torch.autograd.grad(out, (x, w), create_graph=True))
            assert all(g.requires_grad for g in extra)
            node_refs += [weakref.ref(n) for n in graph_nodes(*extra)]
            extra += list(torch.autograd.grad(extra[0].sum(), x, retain_graph=True))
        else:
            out.backward(create_graph=True)
            node_refs += [weakref.ref(n) for n in graph_nodes(x.grad, w.grad)]
            x.grad.sum().backward(inputs=[w])
        assert tracked_nodes() == []
        extra_refs = [weakref.ref(t) for t in extra]
        del out, extra
        x.grad = None
        w.grad = None
        assert [r() for r in extra_refs] == [None] * len(extra_refs)
        assert [r() for r in node_refs] == [None] * len(node_refs)
        assert x.requires_grad and w.requires_grad


def test_views_of_dropped_graph_tensors_keep_only_what_they_need():
    with gc_disabled():
        x = leaf([[1.0, 2.0], [3.0, 4.0]])
        b = x * 1
        v = b[0]
        b.mul_(2)                       # v's history is regenerated from b's
        refs = [weakref.ref(n) for n in graph_nodes(b, v)]
        out = (v * 2).sum()
        del b
        out.backward()
        np.testing.assert_array_equal(np_of(x.grad), [[4.0, 4.0], [0.0, 0.0]])
        del out, v
        assert [r() for r in refs] == [None] * len(refs)
        assert tracked_nodes() == []
