"""torch.cond, torch.while_loop, torch.vmap (and torch.func.vmap),
torch.futures, torch.fork / torch.wait: eager semantics, values against
numpy, gradients by gradcheck, and PyTorch's argument errors."""
import threading

import numpy as np
import pytest

import ctorch as torch


def _np(t):
    return t.detach().cpu().numpy()


# --------------------------------------------------------------------- cond

@pytest.mark.parametrize("pred,want", [
    (True, 1.0), (False, -1.0), (1, 1.0), (0.0, -1.0),
    (torch.tensor(True), 1.0), (torch.tensor([0]), -1.0), (torch.tensor(2.5), 1.0)])
def test_cond_takes_the_branch(pred, want):
    x = torch.arange(3.0)
    r = torch.cond(pred, lambda a: a + 1, lambda a: a - 1, (x,))
    np.testing.assert_array_equal(_np(r), np.arange(3.0) + want)


def test_cond_operands_and_outputs():
    x, y = torch.ones(2), torch.full((2,), 4.0)
    r = torch.cond(torch.tensor(False), lambda a, b: (a + b, {"p": a * b}),
                   lambda a, b: (a - b, {"p": a / b}), [x, y])
    assert r[0].tolist() == [-3.0, -3.0] and r[1]["p"].tolist() == [0.25, 0.25]
    assert torch.cond(True, lambda: 7, lambda: 8) == 7                 # no operands
    # a Python constant runs its branch as given, as PyTorch's eager mode does
    assert torch.cond(False, lambda a, b: a, lambda a, b: b, (1, "s")) == "s"


def test_cond_gradient():
    x = torch.tensor([0.5, -1.5], dtype=torch.float64, requires_grad=True)

    def f(a):
        return torch.cond(a.sum() > 0, lambda t: t.sin(), lambda t: t * t, (a,))
    assert torch.autograd.gradcheck(f, (x,))


@pytest.mark.parametrize("args,match", [
    ((torch.tensor([True, False]), lambda a: a, lambda a: a, (torch.ones(1),)),
     "Expected pred to be bool or single-element tensor, but got tensor"),
    (("a", lambda a: a, lambda a: a, (torch.ones(1),)),
     "Expected pred to be bool or tensor, but got a."),
    ((None, lambda a: a, lambda a: a, (torch.ones(1),)),
     "Expected pred to be bool or tensor, but got None."),
    ((torch.tensor(True), 3, lambda a: a, (torch.ones(1),)),
     "Expect both branches to be callable."),
    ((torch.tensor(True), lambda a: a, lambda a: a, torch.ones(1)),
     "Expect operands to be a tuple of possibly nested dict/list/tuple that only consists of "
     "tensor leaves, but got tensor"),
    ((torch.tensor(True), lambda a, b: a, lambda a, b: a, (torch.ones(1), 2)),
     "only consists of tensor leaves"),
])
def test_cond_errors(args, match):
    with pytest.raises(RuntimeError, match=match.replace("(", "\\(").replace(")", "\\)")):
        torch.cond(*args)


# --------------------------------------------------------------- while_loop

def test_while_loop_runs_until_false():
    i0, x0 = torch.tensor(0), torch.ones(2)
    i, x = torch.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, x * 2), (i0, x0))
    assert i.item() == 3 and x.tolist() == [8.0, 8.0]
    assert i0.item() == 0 and x0.tolist() == [1.0, 1.0]                 # inputs untouched
    # a list body result is returned as the body gives it
    r = torch.while_loop(lambda n, x: n < 2, lambda n, x: [n + 1, x - 1], [0, torch.zeros(1)])
    assert type(r) is list and r[0] == 2 and r[1].tolist() == [-2.0]


def test_while_loop_no_iteration_copies():
    x = torch.ones(2)
    r = torch.while_loop(lambda x, n: False, lambda x, n: (x, n), (x, 5))
    assert type(r) is tuple and r[1] == 5
    assert r[0].tolist() == [1.0, 1.0] and r[0].data_ptr() != x.data_ptr()


def test_while_loop_nested_carry_and_gradient():
    def body(state, k):
        return ({"a": state["a"] * 1.5, "b": [state["b"][0] + state["a"]]}, k + 1)
    x = torch.tensor([0.3, -0.2], dtype=torch.float64, requires_grad=True)

    def f(x):
        out, k = torch.while_loop(lambda s, k: k < 4, body,
                                  ({"a": x, "b": [x * x]}, torch.tensor(0)))
        return out["b"][0]
    got = f(x.detach())
    a = np.array([0.3, -0.2])
    want = a * a + a * (1 + 1.5 + 1.5 ** 2 + 1.5 ** 3)
    np.testing.assert_allclose(_np(got), want)
    assert torch.autograd.gradcheck(f, (x,))


@pytest.mark.parametrize("args,match", [
    ((lambda x: x < 1, 3, (torch.tensor(0),)), "Expect cond_fn and body_fn to be callable."),
    ((lambda x: x < 1, lambda x: (x + 1,), torch.tensor(0)),
     "carried_inputs must be a tuple or list but got <class '"),
    ((lambda x, s: x < 1, lambda x, s: (x + 1, s), (torch.tensor(0), "s")),
     "Expect carried_inputs to be a tuple of possibly nested dict/list/tuple that only consists "
     "of tensor or int leaves"),
    ((lambda x: (x < 1).float(), lambda x: (x + 1,), (torch.tensor(0),)),
     "cond_fn must return a boolean scalar tensor or a boolean but got tensor(1.)"),
    ((lambda x: torch.tensor([True, True]), lambda x: (x + 1,), (torch.tensor(0),)),
     "cond_fn must return a boolean scalar tensor or a boolean but got tensor([True, True])"),
    ((lambda x, y: x < 1, lambda x, y: (x + 1,), (torch.tensor(0), torch.ones(1))),
     "Expected body_fn_output and carried_inputs to have same number of outputs but got 1 and 2"),
    ((lambda x: x < 1, lambda x: x + 1, (torch.tensor(0),)),
     "body_fn should return a tuple but got <class '"),
    ((lambda x: x.sum() < 1, lambda x: (torch.ones(3),), (torch.zeros(2),)),
     "body_fn's output 0 is a tensor of shape [3] and dtype torch.float32, but the carried input "
     "is a tensor of shape [2] and dtype torch.float32"),
    ((lambda x: x.sum() < 1, lambda x: (x.double() + 1,), (torch.zeros(2),)),
     "body_fn's output 0 is a tensor of shape [2] and dtype torch.float64"),
])
def test_while_loop_errors(args, match):
    esc = match
    for c in "()[].":
        esc = esc.replace(c, "\\" + c)
    with pytest.raises(RuntimeError, match=esc):
        torch.while_loop(*args)


# --------------------------------------------------------------------- vmap

A = np.arange(6.0).reshape(2, 3)
B = np.arange(12.0).reshape(3, 4) / 7


@pytest.mark.parametrize("case", [
    # (func, in_dims, out_dims, args (numpy), expected (numpy))
    ("mul", 0, 0, (A, A + 1), A * (A + 1)),
    ("mul", (0, None), 0, (A, A[0]), A * A[0]),
    ("mul", (None, 1), 0, (A[0], A.T), A[0] * A),
    ("mul", 1, 1, (A, A), A * A),
    ("mul", -1, -1, (A, A), A * A),
    ("sum", 0, 0, (A,), A.sum(1)),
    ("sum", 1, 0, (A,), A.sum(0)),
    ("outer", 0, 0, (A, A), np.einsum("bi,bj->bij", A, A)),
    ("outer", 0, 2, (A, A), np.einsum("bi,bj->ijb", A, A)),
    ("mv", (None, 1), 0, (B, np.arange(20.0).reshape(4, 5)),
     (B @ np.arange(20.0).reshape(4, 5)).T),
    ("dot", 0, 0, (A, A), (A * A).sum(1)),
])
def test_vmap_values(case):
    name, in_dims, out_dims, args, want = case
    fn = {"mul": lambda a, b: a * b, "sum": lambda a: a.sum(), "outer": torch.outer,
          "mv": torch.mv, "dot": torch.dot}[name]
    r = torch.vmap(fn, in_dims=in_dims, out_dims=out_dims)(*[torch.from_numpy(a) for a in args])
    np.testing.assert_allclose(_np(r), want, rtol=1e-12)


def test_vmap_nested_inputs_and_outputs():
    x, y = torch.from_numpy(A), torch.from_numpy(A.T.copy())

    def f(d, scale, *, shift):
        return {"s": d["a"] * scale + shift, "t": (d["b"][0], d["a"].sum())}
    r = torch.vmap(f, in_dims=({"a": 0, "b": [1]}, None),
                   out_dims={"s": 1, "t": (0, 0)})({"a": x, "b": [y]}, 2.0, shift=1.0)
    np.testing.assert_allclose(_np(r["s"]), (A * 2 + 1).T)
    np.testing.assert_allclose(_np(r["t"][0]), A)
    np.testing.assert_allclose(_np(r["t"][1]), A.sum(1))
    assert type(r["t"]) is tuple


def test_vmap_out_dims_none_and_unmapped_outputs():
    x, c = torch.from_numpy(A), torch.ones(3)
    r, same = torch.vmap(lambda a: (a * 2, c), out_dims=(0, None))(x)
    assert same is c and _np(r).tolist() == (A * 2).tolist()
    with pytest.raises(ValueError, match="can not return a BatchedTensor when out_dim is None"):
        torch.vmap(lambda a: a * 2, out_dims=None)(x)


def test_vmap_nested_and_chunked():
    x, y = torch.from_numpy(A), torch.from_numpy(A[0].copy())
    r = torch.vmap(torch.vmap(lambda a, b: a * b, in_dims=(0, None)), in_dims=(None, 0))(y, x)
    np.testing.assert_allclose(_np(r), np.einsum("i,bj->bij", A[0], A))
    for chunk in (1, 2, 5):
        r = torch.vmap(lambda a: a.sum(), chunk_size=chunk)(torch.from_numpy(B))
        np.testing.assert_allclose(_np(r), B.sum(1))


def test_vmap_size_zero_batch():
    r = torch.vmap(torch.sin)(torch.ones(0, 3))
    assert tuple(r.shape) == (0, 3)
    s, t = torch.vmap(lambda a: (a.sum(), a * 2), out_dims=(0, 1))(torch.ones(0, 3))
    assert tuple(s.shape) == (0,) and tuple(t.shape) == (3, 0)


def test_vmap_gradient():
    x = torch.tensor(A / 5, dtype=torch.float64, requires_grad=True)
    w = torch.tensor([0.3, -0.7, 1.1], dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda x, w: torch.vmap(lambda r, w: (r.sin() * w).sum(), in_dims=(0, None))(x, w),
        (x, w))


def test_vmap_randomness():
    x = torch.zeros(3, 2)
    with pytest.raises(RuntimeError, match="vmap: called random operation while in randomness "
                                           "error mode"):
        torch.vmap(lambda a: a + torch.rand(2))(x)
    torch.manual_seed(0)
    same = torch.vmap(lambda a: a + torch.rand(2), randomness="same")(x)
    assert (same == same[0]).all()
    diff = torch.vmap(lambda a: a + torch.rand(2), randomness="different")(x)
    assert not (diff == diff[0]).all()
    # the error leaves the generator where it was
    torch.manual_seed(1)
    before = torch.get_rng_state()
    with pytest.raises(RuntimeError):
        torch.vmap(lambda a: torch.rand(1))(x)
    assert torch.equal(torch.get_rng_state(), before)


def test_func_vmap_is_vmap():
    assert torch.func.vmap is torch.vmap
    assert torch.func.vmap(torch.dot)(torch.ones(2, 3), torch.ones(2, 3)).tolist() == [3.0, 3.0]


def _f(a, b):
    return a * b


X = torch.arange(6.0).reshape(2, 3)


@pytest.mark.parametrize("call,err,match", [
    (lambda: torch.vmap(_f)(X, torch.ones(3, 3)), ValueError,
     "vmap: Expected all tensors to have the same size in the mapped dimension, got sizes "
     "[2, 3] for the mapped dimension"),
    (lambda: torch.vmap(_f, in_dims=(3, None))(X, X), ValueError,
     "vmap(_f, in_dims=(3, None), ...)(<inputs>): Got in_dim=3 for some input, but that input "
     "is a Tensor of dimensionality 2 so expected in_dim to satisfy -2 <= in_dim < 2."),
    (lambda: torch.vmap(_f, in_dims=(0, 0))(X, 2), ValueError,
     "vmap(_f, in_dims=(0, 0), ...)(<inputs>): Got in_dim=0 for an input but the input is of "
     "type <class 'int'>. We cannot vmap over non-Tensor arguments, please use None as the "
     "respective in_dim"),
    (lambda: torch.vmap(_f, in_dims=(None, None))(X, X), ValueError,
     "vmap: Expected at least one Tensor to vmap over"),
    (lambda: torch.vmap(_f, in_dims=(0,))(X, X), ValueError,
     "vmap(_f, in_dims=(0,), ...)(<inputs>): in_dims is not compatible with the structure of "
     "`inputs`."),
    (lambda: torch.vmap(_f, in_dims=[0, None])(X, X), ValueError,
     "vmap(_f, in_dims=[0, None], ...)(<inputs>): expected `in_dims` to be int or a "
     "(potentially nested) tuple matching the structure of inputs, got: <class 'list'>."),
    (lambda: torch.vmap(_f, in_dims=(0.5, None))(X, X), ValueError,
     "Got in_dim=0.5 for an input but in_dim must be either an integer dimension or None."),
    (lambda: torch.vmap(lambda a: 1)(X), ValueError,
     "vmap(<lambda>, ...): `<lambda>` must only return Tensors, got type <class 'int'>. Did you "
     "mean to set out_dims= to None for output?"),
    (lambda: torch.vmap(_f, out_dims=(0, 1))(X, X), ValueError,
     "vmap(_f, ..., out_dims=(0, 1))(<inputs>): out_dims is not compatible with the structure "
     "of `outputs`."),
    (lambda: torch.vmap(_f, out_dims=2)(X, X), IndexError,
     "Dimension out of range (expected to be in range of [-2, 1], but got 2)"),
    (lambda: torch.vmap(_f, randomness="x")(X, X), RuntimeError,
     "Only allowed values for randomness are 'error', 'different', or 'same'. Got x"),
    (lambda: torch.vmap(_f, chunk_size=0)(X, X), ValueError,
     "vmap: chunk_size should be None or greater than 0. (got 0)"),
    (lambda: torch.vmap(_f)(), ValueError,
     "vmap(_f)(<inputs>): got no inputs. Maybe you forgot to add inputs, or you are trying to "
     "vmap over a function with no inputs. The latter is unsupported."),
])
def test_vmap_errors(call, err, match):
    esc = match
    for c in "()[].*+?{}|^$":
        esc = esc.replace(c, "\\" + c)
    with pytest.raises(err, match=esc):
        call()


# ------------------------------------------------------------------ futures

def test_future_set_and_wait_across_threads():
    f = torch.futures.Future()
    assert not f.done()
    t = threading.Thread(target=lambda: f.set_result(torch.ones(2)))
    t.start()
    r = f.wait()
    t.join()
    assert f.done() and r.tolist() == [1.0, 1.0] and f.value() is r


def test_future_errors():
    f = torch.futures.Future()
    with pytest.raises(RuntimeError, match="not completed"):
        f.value()
    f.set_result(1)
    with pytest.raises(RuntimeError, match="Attempting to mark a completed Future as complete "
                                           "again. Note that a Future can only be marked "
                                           "completed once."):
        f.set_result(2)
    g = torch.futures.Future()
    with pytest.raises(AssertionError, match="1 is of type <class 'int'>, not an Exception."):
        g.set_exception(1)
    g.set_exception(ValueError("boom"))
    with pytest.raises(ValueError, match="boom"):
        g.wait()
    with pytest.raises(ValueError, match="boom"):
        g.value()
    with pytest.raises(RuntimeError, match="Attempting to mark a completed Future"):
        g.set_exception(ValueError("again"))


def test_future_then_and_callbacks():
    f = torch.futures.Future()
    order = []
    chained = f.then(lambda fut: fut.wait() * 10)
    f.add_done_callback(lambda fut: order.append(("cb", fut.value())))
    failing = f.then(lambda fut: 1 / 0)
    assert not chained.done()
    f.set_result(4)
    assert chained.wait() == 40 and order == [("cb", 4)]
    with pytest.raises(RuntimeError, match="Got the following error when running the callback: "
                                           "ZeroDivisionError: division by zero"):
        failing.wait()
    # on a completed Future, callbacks run at once; a callback's error is reported, not raised
    f.add_done_callback(lambda fut: order.append("late"))
    f.add_done_callback(lambda fut: 1 / 0)
    assert order[-1] == "late" and f.then(lambda fut: fut.value() + 1).wait() == 5
    err = torch.futures.Future()
    err.set_exception(KeyError("k"))
    with pytest.raises(RuntimeError, match="KeyError"):
        err.then(lambda fut: fut.wait()).wait()
    with pytest.raises(TypeError, match="callback must be callable"):
        f.then(3)


def test_collect_all_and_wait_all():
    fs = [torch.futures.Future() for _ in range(3)]
    c = torch.futures.collect_all(fs)
    fs[0].set_result("a")
    fs[2].set_result("c")
    assert not c.done()
    fs[1].set_exception(ValueError("middle"))
    assert c.done() and c.wait() == fs                   # errors are collected, not raised
    with pytest.raises(ValueError, match="middle"):
        torch.futures.wait_all(fs)
    ok = [torch.futures.Future() for _ in range(2)]
    for i, f in enumerate(ok):
        f.set_result(i)
    assert torch.futures.wait_all(ok) == [0, 1]
    assert torch.futures.collect_all([]).wait() == []
    with pytest.raises(TypeError, match="expected a list of Futures"):
        torch.futures.collect_all([1])


def test_fork_and_wait():
    fut = torch.fork(lambda a, b: a + b, torch.ones(2), b=torch.ones(2))
    assert isinstance(fut, torch.Future) and fut.done()
    assert torch.wait(fut).tolist() == [2.0, 2.0]
    assert isinstance(torch.futures.Future(), torch.Future)
    with pytest.raises(KeyError):                        # run at once: its error surfaces here
        torch.fork(lambda: {}["k"])
    with pytest.raises(TypeError, match="wait\\(\\): argument 'future' must be Future, not int"):
        torch.wait(3)
