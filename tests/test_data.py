"""ctorch.utils.data: datasets, random_split, samplers, collation and the
DataLoader. Oracles: numpy arrays for batch contents, set/permutation
arithmetic for orders and splits, frequency bounds for the random samplers,
PyTorch's documented error messages."""
import collections
import math

import numpy as np
import pytest

import ctorch
from ctorch.utils import data as D


def _gen(seed):
    g = ctorch.Generator()
    g.manual_seed(seed)
    return g


def _np(x):
    return x.numpy() if isinstance(x, ctorch.Tensor) else np.asarray(x)


X = np.arange(24, dtype=np.float32).reshape(12, 2)
Y = np.arange(12, dtype=np.int64) * 10


def _tensor_ds():
    return D.TensorDataset(ctorch.tensor(X), ctorch.tensor(Y))


class Squares(D.Dataset):
    def __init__(self, n):
        self.n = n

    def __getitem__(self, i):
        return i * i

    def __len__(self):
        return self.n


class Stream(D.IterableDataset):
    """range(n); in a worker, the worker's share of it (every num_workers-th item)."""

    def __init__(self, n):
        self.n = n

    def __iter__(self):
        info = D.get_worker_info()
        if info is None:
            return iter(range(self.n))
        return iter(range(info.id, self.n, info.num_workers))

    def __len__(self):
        return self.n


# ---------------------------------------------------------------- datasets

def test_tensor_dataset_items_and_len():
    ds = _tensor_ds()
    assert len(ds) == 12
    for i in (0, 5, 11, -1):
        x, y = ds[i]
        np.testing.assert_array_equal(_np(x), X[i])
        assert y.item() == Y[i]


def test_concat_subset_stack_chain():
    a, b = Squares(3), Squares(4)
    cat = a + b
    assert isinstance(cat, D.ConcatDataset) and len(cat) == 7
    assert [cat[i] for i in range(7)] == [0, 1, 4, 0, 1, 4, 9]
    assert cat[-1] == 9 and cat.cumulative_sizes == [3, 7]
    sub = D.Subset(Squares(10), [9, 2, 5])
    assert len(sub) == 3 and [sub[i] for i in range(3)] == [81, 4, 25]
    st = D.StackDataset(Squares(3), Squares(3))
    assert st[2] == (4, 4) and len(st) == 3
    assert D.StackDataset(x=Squares(2), y=Squares(2))[1] == {"x": 1, "y": 1}
    chain = Stream(3) + Stream(2)
    assert isinstance(chain, D.ChainDataset)
    assert list(chain) == [0, 1, 2, 0, 1] and len(chain) == 5


@pytest.mark.parametrize("make, exc, msg", [
    (lambda: D.TensorDataset(ctorch.ones(2), ctorch.ones(3)), AssertionError, "Size mismatch between tensors"),
    (lambda: D.ConcatDataset([]), AssertionError, "datasets should not be an empty iterable"),
    (lambda: D.ConcatDataset([Stream(2)]), AssertionError, "ConcatDataset does not support IterableDataset"),
    (lambda: D.ConcatDataset([Squares(2)])[-3], ValueError, "absolute value of index should not exceed dataset length"),
    (lambda: D.StackDataset(Squares(2), Squares(3)), ValueError, "Size mismatch between datasets"),
    (lambda: D.StackDataset(), ValueError, "At least one dataset should be passed"),
    (lambda: list(D.ChainDataset([Squares(2)])), AssertionError, "ChainDataset only supports IterableDataset"),
])
def test_dataset_errors(make, exc, msg):
    with pytest.raises(exc, match=msg):
        make()


# ---------------------------------------------------------------- random_split

@pytest.mark.parametrize("n, lengths, sizes", [
    (10, [3, 7], [3, 7]),
    (10, [0.33, 0.33, 0.34], [4, 3, 3]),   # floors 3, 3, 3; the remainder goes round-robin
    (11, [0.5, 0.5], [6, 5]),
    (5, [0.2, 0.8], [1, 4]),
    (7, [0, 7], [0, 7]),
])
def test_random_split_sizes_disjoint(n, lengths, sizes):
    parts = D.random_split(range(n), lengths, generator=_gen(1))
    assert [len(p) for p in parts] == sizes
    seen = [p.dataset[i] for p in parts for i in p.indices]
    assert sorted(seen) == list(range(n))          # disjoint and covering
    again = D.random_split(range(n), lengths, generator=_gen(1))
    assert [p.indices for p in again] == [p.indices for p in parts]


def test_random_split_seed_changes_order_and_warns_on_empty():
    a = D.random_split(range(50), [25, 25], generator=_gen(1))
    b = D.random_split(range(50), [25, 25], generator=_gen(2))
    assert a[0].indices != b[0].indices
    with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
        D.random_split(range(2), [1.0, 0.0])


@pytest.mark.parametrize("n, lengths, msg", [
    (5, [2, 2], "Sum of input lengths does not equal the length of the input dataset!"),
    (5, [1.2, -0.2], "Fraction at index 0 is not between 0 and 1"),
    (5, [0.5, 0.4], "Sum of input lengths does not equal"),
])
def test_random_split_errors(n, lengths, msg):
    with pytest.raises(ValueError, match=msg):
        D.random_split(range(n), lengths)


# ---------------------------------------------------------------- samplers

def test_sequential_and_random_permutation():
    assert list(D.SequentialSampler(range(5))) == [0, 1, 2, 3, 4]
    s = D.RandomSampler(range(20), generator=_gen(0))
    order = list(s)
    assert sorted(order) == list(range(20)) and len(s) == 20
    assert list(D.RandomSampler(range(20), generator=_gen(0))) == order
    assert list(D.RandomSampler(range(20), generator=_gen(5))) != order


def test_random_sampler_num_samples_without_replacement():
    out = list(D.RandomSampler(range(4), num_samples=10, generator=_gen(0)))
    assert len(out) == 10
    assert sorted(out[:4]) == [0, 1, 2, 3] and sorted(out[4:8]) == [0, 1, 2, 3]
    assert len(set(out[8:])) == 2


def test_random_sampler_replacement_statistics():
    n, m = 5, 20000
    s = D.RandomSampler(range(n), replacement=True, num_samples=m, generator=_gen(3))
    out = np.array(list(s))
    assert len(out) == m and out.min() >= 0 and out.max() < n
    freq = np.bincount(out, minlength=n) / m
    assert np.all(np.abs(freq - 1 / n) < 0.02)


def test_subset_random_and_weighted_samplers():
    idx = [10, 20, 30, 40]
    out = list(D.SubsetRandomSampler(idx, generator=_gen(0)))
    assert sorted(out) == idx and len(D.SubsetRandomSampler(idx)) == 4
    w = np.array([1.0, 2.0, 0.0, 7.0])
    s = D.WeightedRandomSampler(w.tolist(), 20000, generator=_gen(0))
    freq = np.bincount(np.array(list(s)), minlength=4) / 20000
    np.testing.assert_allclose(freq, w / w.sum(), atol=0.02)
    assert freq[2] == 0
    drawn = list(D.WeightedRandomSampler([1.0, 1.0, 1.0, 1.0], 4, replacement=False, generator=_gen(1)))
    assert sorted(drawn) == [0, 1, 2, 3]


@pytest.mark.parametrize("n, bs, drop_last, expected", [
    (7, 3, False, [[0, 1, 2], [3, 4, 5], [6]]),
    (7, 3, True, [[0, 1, 2], [3, 4, 5]]),
    (6, 3, True, [[0, 1, 2], [3, 4, 5]]),
    (2, 5, False, [[0, 1]]),
    (2, 5, True, []),
])
def test_batch_sampler(n, bs, drop_last, expected):
    s = D.BatchSampler(D.SequentialSampler(range(n)), bs, drop_last)
    assert list(s) == expected and len(s) == len(expected)


@pytest.mark.parametrize("make, exc, msg", [
    (lambda: D.RandomSampler(range(3), replacement=1), TypeError, "replacement should be a boolean value, but got replacement=1"),
    (lambda: D.RandomSampler(range(3), num_samples=0), ValueError, "num_samples should be a positive integer value, but got num_samples=0"),
    (lambda: D.RandomSampler([], num_samples=None), ValueError, "num_samples should be a positive integer value, but got num_samples=0"),
    (lambda: D.WeightedRandomSampler([[1.0]], 2), ValueError, r"weights should be a 1d sequence but given weights have shape \(1, 1\)"),
    (lambda: D.WeightedRandomSampler([1.0], 2, replacement=3), ValueError, "replacement should be a boolean value, but got replacement=3"),
    (lambda: D.WeightedRandomSampler([1.0], 0), ValueError, "num_samples should be a positive integer value, but got num_samples=0"),
    (lambda: D.BatchSampler(range(3), 0, False), ValueError, "batch_size should be a positive integer value, but got batch_size=0"),
    (lambda: D.BatchSampler(range(3), 2, 1), ValueError, "drop_last should be a boolean value, but got drop_last=1"),
])
def test_sampler_errors(make, exc, msg):
    with pytest.raises(exc, match=msg):
        make()


# ---------------------------------------------------------------- collation

Point = collections.namedtuple("Point", ["x", "y"])


def test_collate_nested_structures():
    batch = [{"a": np.full((2,), i, np.float32), "b": (i, float(i)), "s": f"s{i}",
              "p": Point(ctorch.tensor([i, i]), [i, i + 1])} for i in range(3)]
    out = D.default_collate(batch)
    assert set(out) == {"a", "b", "s", "p"}
    np.testing.assert_array_equal(_np(out["a"]), np.repeat(np.arange(3, dtype=np.float32)[:, None], 2, 1))
    assert out["a"].dtype == ctorch.float32
    assert isinstance(out["b"], list)                         # a tuple sample gives a list
    assert out["b"][0].dtype == ctorch.int64 and out["b"][0].tolist() == [0, 1, 2]
    assert out["b"][1].dtype == ctorch.float64 and out["b"][1].tolist() == [0.0, 1.0, 2.0]
    assert out["s"] == ["s0", "s1", "s2"]
    # strings inside a tuple sample stay the tuple zip made of them
    assert D.default_collate([("a", 1), ("b", 2)])[0] == ("a", "b")
    assert isinstance(out["p"], Point)
    np.testing.assert_array_equal(_np(out["p"].x), [[0, 0], [1, 1], [2, 2]])
    assert [t.tolist() for t in out["p"].y] == [[0, 1, 2], [1, 2, 3]]


def test_collate_scalars_and_convert():
    assert D.default_collate([np.float32(1), np.float32(2)]).dtype == ctorch.float32
    assert D.default_collate([True, False]).tolist() == [True, False]
    assert D.default_collate([b"x", b"y"]) == [b"x", b"y"]
    conv = D.default_convert({"a": np.arange(3), "b": (np.float64(2.5), "s"), "c": [np.ones(2)]})
    assert isinstance(conv["a"], ctorch.Tensor) and conv["a"].tolist() == [0, 1, 2]
    assert isinstance(conv["b"], list) and conv["b"][0].item() == 2.5 and conv["b"][1] == "s"
    assert conv["c"][0].dtype == ctorch.float64
    strs = np.array(["a", "b"])
    assert D.default_convert(strs) is strs
    t = ctorch.ones(2)
    assert D.default_convert(t) is t


@pytest.mark.parametrize("batch, exc, msg", [
    ([object()], TypeError, "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found <class 'object'>"),
    ([np.array(["a"]), np.array(["b"])], TypeError, "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found <U1"),
    ([[1, 2], [1]], RuntimeError, "each element in list of batch should be of equal size"),
])
def test_collate_errors(batch, exc, msg):
    with pytest.raises(exc) as info:
        D.default_collate(batch)
    assert str(info.value) == msg


# ---------------------------------------------------------------- DataLoader

def _batches(loader):
    return [[_np(t).tolist() for t in b] for b in loader]


@pytest.mark.parametrize("bs, drop_last", [(1, False), (5, False), (5, True), (12, True), (20, False)])
def test_loader_contents_vs_numpy(bs, drop_last):
    loader = D.DataLoader(_tensor_ds(), batch_size=bs, drop_last=drop_last)
    n = 12 // bs if drop_last else math.ceil(12 / bs)
    assert len(loader) == n
    got = list(loader)
    assert len(got) == n
    for k, (x, y) in enumerate(got):
        np.testing.assert_array_equal(_np(x), X[k * bs:(k + 1) * bs])
        np.testing.assert_array_equal(_np(y), Y[k * bs:(k + 1) * bs])


def test_loader_shuffle_seeded():
    def run(seed):
        return _batches(D.DataLoader(_tensor_ds(), batch_size=4, shuffle=True, generator=_gen(seed)))
    a, b, c = run(7), run(7), run(8)
    assert a == b and a != c
    rows = [r for batch in a for r in batch[0]]
    assert sorted(map(tuple, rows)) == sorted(map(tuple, X.tolist()))   # a permutation of X
    for xs, ys in a:                                                    # rows stay paired
        assert [x[0] // 2 * 10 for x in xs] == ys
    # a second epoch draws on from the same generator: a new order
    loader = D.DataLoader(_tensor_ds(), batch_size=4, shuffle=True, generator=_gen(7))
    assert _batches(loader) == a and _batches(loader) != a


@pytest.mark.parametrize("make_x", [lambda: ctorch.tensor(X),                       # contiguous rows
                                    lambda: ctorch.tensor(X.T.copy()).t(),           # transposed view
                                    lambda: ctorch.tensor(X[:, 0].copy())])          # 1-d
@pytest.mark.parametrize("batches", [None, [[3, 0, 11], [5]], [[-1, 2], [0]]])
def test_loader_tensor_dataset_batches_equal_collated_samples(make_x, batches):
    # the loader's batches of a TensorDataset are default_collate of its samples,
    # whatever the indices (negative ones included) and layout
    ds = D.TensorDataset(make_x(), ctorch.tensor(Y))
    loader = (D.DataLoader(ds, batch_size=5) if batches is None
              else D.DataLoader(ds, batch_sampler=batches))
    indices = [list(range(k, min(k + 5, 12))) for k in range(0, 12, 5)] if batches is None else batches
    got = list(loader)
    assert len(got) == len(indices)
    for batch, idx in zip(got, indices):
        want = D.default_collate([ds[i] for i in idx])
        assert type(batch) is list and len(batch) == 2
        for g, w in zip(batch, want):
            assert g.dtype == w.dtype and g.shape == w.shape
            np.testing.assert_array_equal(_np(g), _np(w))


def test_loader_tensor_dataset_out_of_range_and_grad():
    ds = D.TensorDataset(ctorch.tensor(X), ctorch.tensor(Y))
    with pytest.raises(IndexError, match="index 12 is out of bounds for dimension 0 with size 12"):
        list(D.DataLoader(ds, batch_sampler=[[0, 12]]))
    # samples of a tensor that requires grad are stacked with their history
    w = ctorch.ones(12, 2, requires_grad=True)
    (xb,) = next(iter(D.DataLoader(D.TensorDataset(w * 3), batch_size=4)))
    xb.sum().backward()
    assert w.grad[:4].tolist() == [[3.0, 3.0]] * 4 and w.grad[4:].sum().item() == 0


def test_loader_collate_fn_no_batching_and_batch_sampler():
    assert list(D.DataLoader(Squares(5), batch_size=2, collate_fn=lambda b: sum(b))) == [1, 13, 16]
    # batch_size=None: samples converted, not batched
    out = list(D.DataLoader(Squares(3), batch_size=None))
    assert out == [0, 1, 4]
    loader = D.DataLoader(Squares(5), batch_sampler=[[4, 0], [2]])
    assert [b.tolist() for b in loader] == [[16, 0], [4]] and len(loader) == 2
    sampler = D.SubsetRandomSampler([1, 3], generator=_gen(0))
    assert sorted(t.item() for t in D.DataLoader(Squares(5), sampler=sampler)) == [1, 9]


def test_loader_iterable_dataset():
    loader = D.DataLoader(Stream(7), batch_size=3)
    assert [b.tolist() for b in loader] == [[0, 1, 2], [3, 4, 5], [6]] and len(loader) == 3
    loader = D.DataLoader(Stream(7), batch_size=3, drop_last=True)
    assert [b.tolist() for b in loader] == [[0, 1, 2], [3, 4, 5]] and len(loader) == 2
    assert list(D.DataLoader(Stream(3), batch_size=None)) == [0, 1, 2]   # converted, ints kept


@pytest.mark.parametrize("kwargs, msg", [
    (dict(num_workers=-1), "num_workers option should be non-negative; use num_workers=0 to disable multiprocessing."),
    (dict(timeout=-1), "timeout option should be non-negative"),
    (dict(prefetch_factor=2), "prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None."),
    (dict(num_workers=1, prefetch_factor=-1), "prefetch_factor option should be non-negative"),
    (dict(persistent_workers=True), "persistent_workers option needs num_workers > 0"),
    (dict(shuffle=True, sampler=[0]), "sampler option is mutually exclusive with shuffle"),
    (dict(batch_sampler=[[0]], batch_size=2), "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last"),
    (dict(batch_sampler=[[0]], drop_last=True), "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last"),
    (dict(batch_size=None, drop_last=True), "batch_size=None option disables auto-batching and is mutually exclusive with drop_last"),
    (dict(multiprocessing_context="fork"), "multiprocessing_context can only be used with multi-process loading (num_workers > 0), but got num_workers=0"),
    (dict(num_workers=1, multiprocessing_context="bad"), "multiprocessing_context option should specify a valid start method in"),
])
def test_loader_errors(kwargs, msg):
    with pytest.raises(ValueError) as info:
        D.DataLoader(Squares(4), **kwargs)
    assert str(info.value).startswith(msg)


@pytest.mark.parametrize("kwargs, msg", [
    (dict(shuffle=True), "DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=True"),
    (dict(sampler=[0]), "DataLoader with IterableDataset: expected unspecified sampler option, but got sampler=[0]"),
    (dict(batch_sampler=[[0]]), "DataLoader with IterableDataset: expected unspecified batch_sampler option, but got batch_sampler=[[0]]"),
])
def test_loader_iterable_errors(kwargs, msg):
    with pytest.raises(ValueError) as info:
        D.DataLoader(Stream(3), **kwargs)
    assert str(info.value) == msg


def test_loader_attributes_frozen_and_pin_memory():
    loader = D.DataLoader(Squares(4))
    with pytest.raises(ValueError, match="batch_size attribute should not be set after DataLoader is initialized"):
        loader.batch_size = 3
    loader.num_workers = 0          # not frozen
    if not ctorch.cuda.is_available():
        with pytest.warns(UserWarning, match="'pin_memory' argument is set as true but no accelerator is found"):
            out = [t.item() for t in D.DataLoader(Squares(3), pin_memory=True)]
        assert out == [0, 1, 4]
    assert D.get_worker_info() is None


# ---------------------------------------------------------------- workers

@pytest.mark.parametrize("kwargs", [
    dict(batch_size=5),
    dict(batch_size=4, drop_last=True, prefetch_factor=1),
    dict(batch_size=3, shuffle=True),
])
def test_workers_match_single_process(kwargs):
    def run(nw):
        kw = dict(kwargs)
        if nw == 0:
            kw.pop("prefetch_factor", None)
        if kw.get("shuffle"):
            kw["generator"] = _gen(11)
        return _batches(D.DataLoader(_tensor_ds(), num_workers=nw, **kw))
    base = run(0)
    assert run(2) == base and run(3) == base


def _record_worker(worker_id):
    info = D.get_worker_info()
    assert info.id == worker_id


class WorkerTagged(D.Dataset):
    def __getitem__(self, i):
        info = D.get_worker_info()
        return (i, info.id, info.num_workers, info.seed)

    def __len__(self):
        return 8


def test_worker_info_and_init_fn():
    loader = D.DataLoader(WorkerTagged(), batch_size=2, num_workers=2, worker_init_fn=_record_worker,
                          generator=_gen(4))
    batches = list(loader)
    assert [b[0].tolist() for b in batches] == [[0, 1], [2, 3], [4, 5], [6, 7]]
    assert [b[1].tolist() for b in batches] == [[0, 0], [1, 1], [0, 0], [1, 1]]   # round-robin
    assert all(b[2].tolist() == [2, 2] for b in batches)
    seeds = {b[1][0].item(): b[3][0].item() for b in batches}
    assert seeds[1] == seeds[0] + 1                       # base seed + worker id


def test_workers_iterable_dataset():
    got = [b.tolist() for b in D.DataLoader(Stream(7), batch_size=2, num_workers=2)]
    # each worker streams its own share; batches alternate between the workers
    assert got == [[0, 2], [1, 3], [4, 6], [5]]


def _fail(batch):
    raise ValueError("bad batch")


def test_worker_exception_reraised():
    with pytest.raises(ValueError, match="Caught ValueError in DataLoader worker process 0"):
        next(iter(D.DataLoader(Squares(4), num_workers=1, collate_fn=_fail)))


class Counting(D.Dataset):
    """Each worker counts the samples it has served: state that persists with the worker."""

    def __init__(self):
        self.served = 0

    def __getitem__(self, i):
        self.served += 1
        return (i, self.served)

    def __len__(self):
        return 4


def test_persistent_workers_keep_state_across_epochs():
    loader = D.DataLoader(Counting(), batch_size=2, num_workers=1, persistent_workers=True)
    first = [b[1].tolist() for b in loader]
    second = [b[1].tolist() for b in loader]
    assert first == [[1, 2], [3, 4]] and second == [[5, 6], [7, 8]]
    assert [b[0].tolist() for b in loader] == [[0, 1], [2, 3]]
    fresh = D.DataLoader(Counting(), batch_size=2, num_workers=1)
    assert [b[1].tolist() for b in fresh] == [[1, 2], [3, 4]] == [b[1].tolist() for b in fresh]
    stream = D.DataLoader(Stream(5), batch_size=2, num_workers=2, persistent_workers=True)
    assert [b.tolist() for b in stream] == [[0, 2], [1, 3], [4]] == [b.tolist() for b in stream]


@pytest.mark.parametrize("shapes", [[(2, 3), (2, 4)], [(1, 3), (3, 3)], [(3,), (1, 3)]])
def test_collate_unequal_tensor_shapes(shapes):
    batch = [ctorch.ones(*s) for s in shapes]
    with pytest.raises(RuntimeError, match="stack expects each tensor to be equal size, but got"):
        D.default_collate(batch)


def test_collate_tensors_values_and_grad():
    arrs = [np.random.RandomState(i).rand(3, 2) for i in range(4)]
    out = D.default_collate([ctorch.tensor(a) for a in arrs])
    np.testing.assert_array_equal(_np(out), np.stack(arrs))
    assert D.default_collate([ctorch.tensor(1.0), ctorch.tensor(2.0)]).tolist() == [1.0, 2.0]
    x = ctorch.ones(2, dtype=ctorch.float64, requires_grad=True)
    D.default_collate([x, x * 2]).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


class Slow(D.Dataset):
    def __getitem__(self, i):
        import time
        time.sleep(0.5)
        return i

    def __len__(self):
        return 2


def test_worker_timeout():
    with pytest.raises(RuntimeError, match=r"DataLoader timed out after 0.1 seconds"):
        next(iter(D.DataLoader(Slow(), num_workers=1, timeout=0.1)))
