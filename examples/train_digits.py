"""PyTorch's "Training a Classifier" tutorial on ctorch, with the 8x8
handwritten digits that scikit-learn ships inside its package (1,797 images,
10 classes; no download): a small CNN trained with Adam, a progress bar per
epoch, a checkpoint saved and reloaded into a fresh model, and a plot of the
loss and accuracy curves.

    pip install -e ".[examples]"
    python examples/train_digits.py [--epochs 12] [--seed 0] [--batch-size 32]
        [--lr 0.002] [--threads 2] [--device cpu|cuda] [--plot digits_training.png]
        [--checkpoint digits_checkpoint.pt] [--no-progress]

The code is PyTorch code: with `import torch` in place of `import ctorch as
torch` (and the two `from ctorch...` lines) it runs on PyTorch unchanged.
scikit-learn is needed only to load the data, tqdm only for the progress bar
(a plain progress line is printed without it) and matplotlib only for the plot.
"""
import argparse
import math
import sys
import time

import numpy as np

import ctorch as torch
from ctorch import nn
from ctorch.utils.data import DataLoader, TensorDataset


class DigitsNet(nn.Module):
    """On a 1x8x8 image: conv(1->16, 3x3) - relu - conv(16->32, 3x3) - relu -
    maxpool 2 - fc(512->64) - relu - fc(64->10)."""

    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, kernel_size=3, padding=1),   # (N, 16, 8, 8)
            nn.ReLU(),
            nn.Conv2d(16, 32, kernel_size=3, padding=1),  # (N, 32, 8, 8)
            nn.ReLU(),
            nn.MaxPool2d(2),                              # (N, 32, 4, 4)
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),                                 # (N, 512)
            nn.Linear(32 * 4 * 4, 64),
            nn.ReLU(),
            nn.Linear(64, num_classes),
        )

    def forward(self, x):
        return self.classifier(self.features(x))


def load_digits_data(seed=0, test_fraction=0.2):
    """The scikit-learn digits as float32 tensors (N, 1, 8, 8) scaled to
    [0, 1] and int64 labels, split into train and test sets by a permutation
    fixed by `seed`. Returns (x_train, y_train, x_test, y_test)."""
    from sklearn.datasets import load_digits
    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)[:, None, :, :]
    labels = digits.target.astype(np.int64)
    return split(torch.from_numpy(images), torch.from_numpy(labels), seed, test_fraction)


def split(x, y, seed=0, test_fraction=0.2):
    """(x_train, y_train, x_test, y_test): the samples in the order of a
    permutation drawn from a generator seeded with `seed`, the first
    `test_fraction` of them for testing."""
    g = torch.Generator().manual_seed(seed)
    perm = torch.randperm(len(x), generator=g)
    n_test = math.ceil(len(x) * test_fraction)
    test, train = perm[:n_test], perm[n_test:]
    return x[train], y[train], x[test], y[test]


def make_loader(x, y, batch_size, shuffle, seed=0):
    """A DataLoader over (x, y); shuffled by its own seeded generator, so the
    batch order depends on `seed` only."""
    g = torch.Generator().manual_seed(seed)
    return DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=shuffle, generator=g)


class _PlainProgress:
    """A one-line text progress indicator over `loader` (used without tqdm):
    "epoch 3/12: 20/45 batches, loss 0.1234", rewritten in place."""

    def __init__(self, loader, desc, file=None):
        self.loader, self.desc, self.file = loader, desc, file or sys.stdout
        self.postfix = ""

    def __iter__(self):
        n = len(self.loader)
        every = max(1, n // 10)
        for i, item in enumerate(self.loader, 1):
            yield item
            if i % every == 0 or i == n:
                self.file.write(f"\r{self.desc}: {i}/{n} batches{self.postfix}")
                self.file.flush()

    def set_postfix(self, loss, refresh=False):
        self.postfix = f", loss {loss}"

    def close(self):
        self.file.write("\r")
        self.file.flush()


def _progress(loader, desc, enabled):
    """tqdm's bar over `loader` when tqdm is installed, else a plain progress
    line; the loader itself when not `enabled`."""
    if not enabled:
        return loader
    try:
        from tqdm import tqdm
    except ImportError:
        return _PlainProgress(loader, desc)
    return tqdm(loader, desc=desc, leave=False, file=sys.stdout, dynamic_ncols=True)


def train_one_epoch(model, loader, optimizer, criterion, device, desc="train", progress=True):
    """One pass over `loader`; returns the mean training loss per sample."""
    model.train()
    total, count = 0.0, 0
    bar = _progress(loader, desc, progress)
    for inputs, targets in bar:
        inputs, targets = inputs.to(device), targets.to(device)
        optimizer.zero_grad()
        loss = criterion(model(inputs), targets)
        loss.backward()
        optimizer.step()
        n = targets.shape[0]
        total += loss.item() * n
        count += n
        if bar is not loader:
            bar.set_postfix(loss=f"{total / count:.4f}", refresh=False)
    if bar is not loader:
        bar.close()
    return total / count


def evaluate(model, loader, criterion, device):
    """(mean loss, accuracy) of `model` over `loader`, in eval mode and without
    gradients."""
    model.eval()
    total, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for inputs, targets in loader:
            inputs, targets = inputs.to(device), targets.to(device)
            outputs = model(inputs)
            total += criterion(outputs, targets).item() * targets.shape[0]
            correct += (outputs.argmax(1) == targets).sum().item()
            count += targets.shape[0]
    return total / count, correct / count


def fit(model, train_loader, test_loader, optimizer, criterion, epochs, device,
        progress=True, log=print):
    """Trains for `epochs` epochs, evaluating on `test_loader` after each.
    Returns the history: a dict of per-epoch lists "train_loss", "test_loss",
    "test_acc"."""
    history = {"train_loss": [], "test_loss": [], "test_acc": []}
    for epoch in range(1, epochs + 1):
        train_loss = train_one_epoch(model, train_loader, optimizer, criterion, device,
                                     desc=f"epoch {epoch}/{epochs}", progress=progress)
        test_loss, test_acc = evaluate(model, test_loader, criterion, device)
        history["train_loss"].append(train_loss)
        history["test_loss"].append(test_loss)
        history["test_acc"].append(test_acc)
        if log is not None:
            log(f"epoch {epoch:2d}/{epochs}: train loss {train_loss:.4f}  "
                f"test loss {test_loss:.4f}  test accuracy {100 * test_acc:.2f}%")
    return history


def save_checkpoint(path, model, optimizer, epoch):
    """The model's and the optimizer's state in one file (torch.save)."""
    torch.save({"epoch": epoch, "model": model.state_dict(),
                "optimizer": optimizer.state_dict()}, path)


def load_checkpoint(path, model, optimizer=None, device="cpu"):
    """Loads a checkpoint written by save_checkpoint into `model` (and
    `optimizer`); returns the epoch it was saved at."""
    state = torch.load(path, map_location=device, weights_only=True)
    model.load_state_dict(state["model"])
    if optimizer is not None:
        optimizer.load_state_dict(state["optimizer"])
    return state["epoch"]


def plot_history(history, path):
    """Writes the loss curves and the test accuracy per epoch to `path` (a PNG)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    epochs = range(1, len(history["train_loss"]) + 1)
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 4))
    ax_loss.plot(epochs, history["train_loss"], marker="o", label="train")
    ax_loss.plot(epochs, history["test_loss"], marker="o", label="test")
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("cross-entropy loss")
    ax_loss.set_yscale("log")
    ax_loss.legend()
    ax_acc.plot(epochs, [100 * a for a in history["test_acc"]], marker="o", color="C2")
    ax_acc.set_xlabel("epoch")
    ax_acc.set_ylabel("test accuracy (%)")
    fig.suptitle("8x8 digits CNN")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description="Train a small CNN on scikit-learn's 8x8 digits.")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--threads", type=int, default=2, help="CPU threads (torch.set_num_threads)")
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    ap.add_argument("--plot", default="digits_training.png", help="where the PNG plot goes")
    ap.add_argument("--checkpoint", default="digits_checkpoint.pt",
                    help="where the model and optimizer state go")
    ap.add_argument("--no-progress", action="store_true", help="no tqdm progress bar")
    return ap.parse_args(argv)


def main(argv=None, data=None):
    """Runs the example; `data` (x_train, y_train, x_test, y_test) replaces the
    digits when given."""
    args = parse_args(argv)
    if args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("error: --device cuda was given but no CUDA device is available "
                 "(torch.cuda.is_available() is False)")
    device = torch.device(args.device)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    x_train, y_train, x_test, y_test = load_digits_data(args.seed) if data is None else data
    print(f"digits: {len(x_train)} training and {len(x_test)} test images of 1x8x8, "
          f"10 classes; device {device}, {torch.get_num_threads()} threads")
    train_loader = make_loader(x_train, y_train, args.batch_size, shuffle=True, seed=args.seed)
    test_loader = make_loader(x_test, y_test, 256, shuffle=False)

    model = DigitsNet().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    criterion = nn.CrossEntropyLoss()

    start = time.perf_counter()
    history = fit(model, train_loader, test_loader, optimizer, criterion, args.epochs, device,
                  progress=not args.no_progress)
    elapsed = time.perf_counter() - start
    acc = history["test_acc"][-1]
    print(f"trained {args.epochs} epochs in {elapsed:.1f} s: test accuracy {100 * acc:.2f}%")

    save_checkpoint(args.checkpoint, model, optimizer, args.epochs)
    fresh = DigitsNet().to(device)
    fresh_optimizer = torch.optim.Adam(fresh.parameters(), lr=args.lr)
    epoch = load_checkpoint(args.checkpoint, fresh, fresh_optimizer, device)
    _, reloaded_acc = evaluate(fresh, test_loader, criterion, device)
    print(f"checkpoint {args.checkpoint} (epoch {epoch}) reloaded into a fresh model: "
          f"test accuracy {100 * reloaded_acc:.2f}%")

    try:
        plot_history(history, args.plot)
    except ImportError:
        print("matplotlib is not installed: no plot written")
    else:
        print(f"plot written to {args.plot}")
    return {"history": history, "seconds": elapsed, "test_acc": acc, "reloaded_acc": reloaded_acc}


if __name__ == "__main__":
    main()
