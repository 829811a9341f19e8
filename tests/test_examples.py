"""The examples run and print what PyTorch's tutorials print for them (values
aside: the random draws are ctorch's own)."""
import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

LENET_REPR = """Net(
  (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))
  (conv2): Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1))
  (fc1): Linear(in_features=400, out_features=120, bias=True)
  (fc2): Linear(in_features=120, out_features=84, bias=True)
  (fc3): Linear(in_features=84, out_features=10, bias=True)
)
10
torch.Size([6, 1, 5, 5])
"""


def test_neural_networks_example():
    out = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "neural_networks.py")],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert text.startswith(LENET_REPR)
    lines = text[len(LENET_REPR):].splitlines()
    assert re.fullmatch(r"tensor\(\[\[.*", lines[0]) and lines[1].endswith(
        "grad_fn=<AddmmBackward0>)")
    assert re.fullmatch(r"tensor\([0-9.]+, grad_fn=<MseLossBackward0>\)", lines[2])
    assert lines[3].startswith("<MseLossBackward0 object at 0x")
    assert lines[4].startswith("<AddmmBackward0 object at 0x")
    assert lines[5].startswith("<AccumulateGrad object at 0x")
    assert lines[6:8] == ["conv1.bias.grad before backward", "None"]
    assert lines[8] == "conv1.bias.grad after backward" and lines[9].startswith("tensor([")
    assert len(lines[9].split(",")) == 6
    # the two SGD updates lowered the loss on the fixed input and target
    before = float(re.search(r"tensor\(([0-9.]+)", lines[2]).group(1))
    after = float(re.search(r"tensor\(([0-9.]+)", lines[10]).group(1))
    assert after < before


# ---------------------------------------------------------------- train_digits.py
# The example loads scikit-learn's digits in main(); its model, training loop,
# evaluation, checkpoint and plot functions are driven here on synthetic 8x8
# images (scikit-learn, tqdm and matplotlib are not test dependencies).

@pytest.fixture
def one_thread():
    # the network is small: one thread is the fastest on a busy machine
    import ctorch
    n = ctorch.get_num_threads()
    ctorch.set_num_threads(1)
    yield
    ctorch.set_num_threads(n)


def _train_digits():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "train_digits", os.path.join(ROOT, "examples", "train_digits.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _separable_digits(n=200, seed=0):
    """n 1x8x8 float32 images of 10 classes: a fixed random binary prototype
    per class plus noise, so a small CNN separates them in a few epochs."""
    import numpy as np
    import ctorch
    rng = np.random.default_rng(seed)
    protos = (rng.random((10, 8, 8)) < 0.3).astype(np.float64)
    y = np.arange(n) % 10
    x = protos[y] + 0.1 * rng.standard_normal((n, 8, 8))
    return ctorch.from_numpy(x[:, None].astype(np.float32)), ctorch.from_numpy(y.astype(np.int64))


def _fit_small(td, seed, epochs=3):
    import ctorch
    ctorch.manual_seed(seed)
    x_train, y_train, x_test, y_test = td.split(*_separable_digits(), seed=seed)
    train = td.make_loader(x_train, y_train, 16, shuffle=True, seed=seed)
    test = td.make_loader(x_test, y_test, 64, shuffle=False)
    model = td.DigitsNet()
    opt = ctorch.optim.Adam(model.parameters(), lr=1e-2)
    crit = ctorch.nn.CrossEntropyLoss()
    hist = td.fit(model, train, test, opt, crit, epochs, "cpu", progress=False, log=None)
    return model, opt, crit, test, hist


def test_train_digits_split_is_a_fixed_permutation():
    import numpy as np
    td = _train_digits()
    x, y = _separable_digits(50)
    a = td.split(x, y, seed=3)
    b = td.split(x, y, seed=3)
    c = td.split(x, y, seed=4)
    assert [len(t) for t in a] == [40, 40, 10, 10]
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u.numpy(), v.numpy())
    assert not np.array_equal(a[1].numpy(), c[1].numpy())
    # train and test together are the samples, each once, images paired with labels
    xs = np.concatenate([a[0].numpy(), a[2].numpy()])
    ys = np.concatenate([a[1].numpy(), a[3].numpy()])
    order = np.lexsort(xs.reshape(50, -1).T)
    ref = np.lexsort(x.numpy().reshape(50, -1).T)
    np.testing.assert_array_equal(xs[order], x.numpy()[ref])
    np.testing.assert_array_equal(ys[order], y.numpy()[ref])


def test_train_digits_learns_deterministically_and_checkpoints(tmp_path, one_thread):
    import ctorch
    td = _train_digits()
    model, opt, crit, test, hist = _fit_small(td, seed=1)
    assert hist["train_loss"][-1] < hist["train_loss"][0] / 10
    assert hist["test_acc"][-1] >= 0.95
    # the same seed gives the same run, number for number
    assert _fit_small(td, seed=1)[4] == hist
    # the checkpoint reloads into a fresh model and optimizer: same outputs, same accuracy
    path = str(tmp_path / "ckpt.pt")
    td.save_checkpoint(path, model, opt, epoch=3)
    fresh = td.DigitsNet()
    fresh_opt = ctorch.optim.Adam(fresh.parameters(), lr=1e-2)
    assert td.load_checkpoint(path, fresh, fresh_opt) == 3
    assert td.evaluate(fresh, test, crit, "cpu") == td.evaluate(model, test, crit, "cpu")
    x = next(iter(test))[0]
    with ctorch.no_grad():
        assert ctorch.equal(fresh(x), model(x))
    a, b = opt.state_dict(), fresh_opt.state_dict()
    assert a["param_groups"] == b["param_groups"]
    for k in a["state"]:
        for name in ("step", "exp_avg", "exp_avg_sq"):
            assert ctorch.equal(a["state"][k][name], b["state"][k][name])


def test_train_digits_main_progress_and_plot(tmp_path, capsys, monkeypatch, one_thread):
    import ctorch
    td = _train_digits()
    data = td.split(*_separable_digits(), seed=0)
    plot, ckpt = str(tmp_path / "curves.png"), str(tmp_path / "ckpt.pt")
    # without tqdm the progress is a plain text line
    monkeypatch.setitem(sys.modules, "tqdm", None)
    argv = ["--epochs", "2", "--batch-size", "16", "--lr", "3e-3", "--plot", plot,
            "--checkpoint", ckpt, "--threads", str(ctorch.get_num_threads())]
    res = td.main(argv, data=data)
    out = capsys.readouterr().out
    assert "epoch 1/2: 10/10 batches, loss " in out
    assert "digits: 160 training and 40 test images of 1x8x8, 10 classes; device cpu" in out
    assert re.search(r"epoch  2/2: train loss [0-9.]+  test loss [0-9.]+  test accuracy [0-9.]+%", out)
    acc = f"test accuracy {100 * res['test_acc']:.2f}%"
    assert "trained 2 epochs in" in out and acc in out
    assert f"checkpoint {ckpt} (epoch 2) reloaded into a fresh model: {acc}" in out
    assert res["reloaded_acc"] == res["test_acc"] and os.path.getsize(ckpt) > 0
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        # the plot needs matplotlib: said, not written
        assert "matplotlib is not installed: no plot written" in out
        assert not os.path.exists(plot)
    else:
        assert f"plot written to {plot}" in out
        with open(plot, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"


def test_train_digits_cuda_flag(tmp_path, one_thread):
    import ctorch
    td = _train_digits()
    if ctorch.cuda.is_available():
        data = td.split(*_separable_digits(40), seed=0)
        res = td.main(["--epochs", "1", "--device", "cuda", "--no-progress",
                       "--plot", str(tmp_path / "p.png"), "--checkpoint", str(tmp_path / "c.pt"),
                       "--threads", str(ctorch.get_num_threads())], data=data)
        assert res["reloaded_acc"] == res["test_acc"]
    else:
        with pytest.raises(SystemExit, match="no CUDA device is available"):
            td.main(["--device", "cuda"])
