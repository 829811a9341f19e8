"""Seeded data shared by the benchmark suites and by compare.py.

Everything is built from numpy arrays drawn from one seeded generator so that
ctorch, numpy and PyTorch see the same values.
"""
import numpy as np

import ctorch

SIZES = {"tiny": (5, 3), "medium": (100_000,), "large": (10_000_000,)}
SEED = 12345


def np_data(shape, dtype, seed=SEED, positive=False):
    """A seeded numpy array of `shape` and numpy `dtype`."""
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind in "iu":
        return rng.integers(-1000, 1000, size=shape, dtype=dtype)
    a = rng.standard_normal(size=shape).astype(dtype)
    if positive:
        a = np.abs(a) + np.asarray(0.5, dtype=dtype)
    return a


def ct_data(shape, dtype, seed=SEED, positive=False):
    """The same data as np_data, as a ctorch tensor (a copy, not a view).
    dtype: a name ("float32") or a ctorch dtype."""
    name = dtype if isinstance(dtype, str) else str(dtype).rsplit(".", 1)[-1]
    return ctorch.from_numpy(np_data(shape, name, seed, positive)).clone()


# the digits CNN of examples/train_digits.py on synthetic data of the digits'
# shape (1,437 training images of 1x8x8, 10 classes), for ctorch or PyTorch
DIGITS_TRAIN = 1437


def digits_cnn(mod):
    """examples/train_digits.py's DigitsNet (the same layers, in one Sequential)
    built from `mod` (ctorch or torch), with seeded weights that do not depend
    on the library's own initialisation."""
    nn = mod.nn
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 4 * 4, 64), nn.ReLU(), nn.Linear(64, 10))
    with mod.no_grad():
        for i, p in enumerate(model.parameters()):
            p.copy_(mod.from_numpy(np_data(tuple(p.shape), np.float32, 60 + i) * np.float32(0.1)))
    return model


def digits_epoch(mod, batch_size=32, seed=0):
    """(train_epoch, eval_epoch): one shuffled pass of Adam steps over synthetic
    digits-shaped data, and one no-grad pass of predictions over it, as the
    example runs them (DataLoader over a TensorDataset, CrossEntropyLoss)."""
    x = mod.from_numpy(np_data((DIGITS_TRAIN, 1, 8, 8), np.float32, 70))
    y = mod.from_numpy(np.random.default_rng(71).integers(0, 10, DIGITS_TRAIN))
    data = mod.utils.data
    gen = mod.Generator().manual_seed(seed)
    train = data.DataLoader(data.TensorDataset(x, y), batch_size=batch_size, shuffle=True,
                            generator=gen)
    test = data.DataLoader(data.TensorDataset(x, y), batch_size=256)
    model = digits_cnn(mod)
    opt = mod.optim.Adam(model.parameters(), lr=1e-3)
    crit = mod.nn.CrossEntropyLoss()

    def train_epoch():
        model.train()
        for xb, yb in train:
            opt.zero_grad()
            loss = crit(model(xb), yb)
            loss.backward()
            opt.step()
            loss.item()

    def eval_epoch():
        model.eval()
        correct = 0
        with mod.no_grad():
            for xb, yb in test:
                correct += (model(xb).argmax(1) == yb).sum().item()
        return correct

    return train_epoch, eval_epoch
