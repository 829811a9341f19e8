"""Training: one epoch of the digits CNN of examples/train_digits.py (synthetic
data of the digits' shape: 1,437 images of 1x8x8, 10 classes)."""
import ctorch

from .common import digits_epoch


class DigitsEpoch:
    """Conv(1->16) - ReLU - Conv(16->32) - ReLU - MaxPool - Linear(512->64) - ReLU -
    Linear(64->10), Adam, CrossEntropyLoss, a shuffled DataLoader."""
    params = [32, 128]
    param_names = ["batch_size"]

    def setup(self, batch_size):
        self.train_epoch, self.eval_epoch = digits_epoch(ctorch, batch_size)
        self.train_epoch()          # the optimizer's state and the allocator's blocks exist

    def time_train_epoch(self, batch_size):
        self.train_epoch()

    def time_eval_epoch(self, batch_size):
        self.eval_epoch()
