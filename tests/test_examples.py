"""The examples run and print what PyTorch's tutorials print for them (values
aside: the random draws are ctorch's own)."""
import os
import re
import subprocess
import sys

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
