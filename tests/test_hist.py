"""Histogram ops (tests/op_db_hist.py) against numpy (np.histogram,
np.bincount): values and dtypes on contiguous, transposed and step-sliced
inputs, the dtypes PyTorch refuses, error cases; plus the semantics the
table cannot show (out=, return type, no gradient, threads)."""
import numpy as np
import pytest

import ctorch as torch
from tests.op_db_hist import HIST_OPS
from tests.test_shape import check_same, to_ct

LAYOUTS = ("contig", "transposed", "stepped")


def _tensors(kw):
    return {k: (torch.tensor(v) if isinstance(v, np.ndarray) else v) for k, v in kw.items()}


CASES = [(op, dt, layout) for op in HIST_OPS for dt in op.dtypes for layout in LAYOUTS]


@pytest.mark.parametrize("op,dt,layout", CASES, ids=[f"{o.name}-{d}-{l}" for o, d, l in CASES])
def test_values(op, dt, layout):
    rng = np.random.default_rng(0)
    for x, extra, kw in op.samples(rng, dt):
        t = to_ct(x, layout)
        res = op.fn(torch, t, *[torch.tensor(e) for e in extra], **_tensors(kw))
        check_same(res, op.ref(x, *extra, **kw), close=True)


REFUSED = [(op, dt, e) for op in HIST_OPS for dt, e in op.refused.items()]


@pytest.mark.parametrize("op,dt,err", REFUSED, ids=[f"{o.name}-{d}" for o, d, _ in REFUSED])
def test_refused_dtypes(op, dt, err):
    exc, frag = err
    x = torch.tensor([1, 2, 3]).to(getattr(torch, dt))
    with pytest.raises(exc) as info:
        op.fn(torch, x)
    assert frag in str(info.value)
    assert isinstance(info.value, RuntimeError)


def test_histc_out_and_method():
    x = torch.tensor([1.0, 2.0, 1.0, 9.0])
    o = torch.zeros(2)
    with pytest.warns(UserWarning, match="An output with one or more elements was resized"):
        r = torch.histc(x, 4, 0, 2, out=o)
    assert r is o and o.tolist() == [0.0, 0.0, 2.0, 1.0]
    assert x.histc(bins=4, min=0, max=2).tolist() == [0.0, 0.0, 2.0, 1.0]


def test_histogram_return_type_and_out():
    x = torch.tensor([1.0, 2.0, 1.0, 4.0, 2.5])
    r = torch.histogram(x, 4)
    assert type(r).__name__ == "histogram" and type(r) is torch.return_types.histogram
    assert r.hist.tolist() == [2.0, 1.0, 1.0, 1.0]
    assert r.bin_edges.tolist() == [1.0, 1.75, 2.5, 3.25, 4.0]
    assert repr(r).startswith("torch.return_types.histogram(\nhist=tensor(")
    h, e = torch.zeros(4), torch.zeros(0)
    r2 = x.histogram(4, out=(h, e))
    assert r2.hist is h and r2.bin_edges is e and e.tolist() == r.bin_edges.tolist()


def test_not_differentiable():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    assert not torch.histc(x, 4).requires_grad
    assert not torch.histogram(x, 4).hist.requires_grad
    w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    assert not torch.bincount(torch.tensor([0, 1, 1]), w).requires_grad


def test_large_inputs_match_numpy_on_any_thread_count():
    # above the parallel threshold each thread fills its own histogram
    rng = np.random.default_rng(5)
    x = rng.standard_normal(300_000).astype(np.float32)
    w = rng.random(300_000)
    idx = rng.integers(0, 1000, 300_000)
    old = torch.get_num_threads()
    try:
        for nt in (1, 2):
            torch.set_num_threads(nt)
            h = torch.histc(torch.tensor(x), bins=64, min=-3, max=3).numpy()
            np.testing.assert_array_equal(h, np.histogram(x, 64, range=(-3, 3))[0].astype(np.float32))
            hw = torch.histogram(torch.tensor(x.astype(np.float64)), 50, weight=torch.tensor(w)).hist.numpy()
            np.testing.assert_allclose(hw, np.histogram(x.astype(np.float64), 50, weights=w)[0], rtol=1e-12)
            np.testing.assert_array_equal(torch.bincount(torch.tensor(idx)).numpy(), np.bincount(idx))
    finally:
        torch.set_num_threads(old)
