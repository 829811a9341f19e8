"""AdaptiveLogSoftmaxWithLoss: the adaptive softmax of Grave et al. A head
Linear scores the shortlist (the most frequent classes) and one entry per
cluster; each cluster's classes are scored by a two-layer projection whose
width shrinks by div_value per cluster."""
from collections import namedtuple

import ctorch
from ctorch.nn import functional as F
from ctorch.nn.modules.module import Module
from ctorch.nn.modules.container import Sequential, ModuleList
from ctorch.nn.modules.linear import Linear

__all__ = ["AdaptiveLogSoftmaxWithLoss"]

_ASMoutput = namedtuple("_ASMoutput", ["output", "loss"])


class AdaptiveLogSoftmaxWithLoss(Module):
    """forward(input, target) -> (output, loss): output is each row's target
    log-probability and loss the mean negative of it; log_prob(input) gives the
    full (N, n_classes) log-probabilities and predict(input) their argmax."""

    def __init__(self, in_features, n_classes, cutoffs, div_value=4.0, head_bias=False,
                 device=None, dtype=None):
        fk = {"device": device, "dtype": dtype}
        super().__init__()
        cutoffs = list(cutoffs)
        if len(cutoffs) == 0:
            raise ValueError("cutoffs should be a sequence of length larger than 0")
        if (cutoffs != sorted(cutoffs) or min(cutoffs) <= 0 or max(cutoffs) > n_classes - 1
                or len(set(cutoffs)) != len(cutoffs)
                or any(int(c) != c for c in cutoffs)):
            raise ValueError("cutoffs should be a sequence of unique, positive integers sorted "
                             "in an increasing order, where each value is between 1 and "
                             "n_classes-1")
        self.in_features = in_features
        self.n_classes = n_classes
        self.cutoffs = cutoffs + [n_classes]
        self.div_value = div_value
        self.head_bias = head_bias
        self.shortlist_size = self.cutoffs[0]
        self.n_clusters = len(self.cutoffs) - 1
        self.head_size = self.shortlist_size + self.n_clusters
        self.head = Linear(in_features, self.head_size, bias=head_bias, **fk)
        self.tail = ModuleList()
        for i in range(self.n_clusters):
            hsz = int(in_features // (div_value ** (i + 1)))
            osz = self.cutoffs[i + 1] - self.cutoffs[i]
            self.tail.append(Sequential(Linear(in_features, hsz, bias=False, **fk),
                                        Linear(hsz, osz, bias=False, **fk)))

    def reset_parameters(self):
        self.head.reset_parameters()
        for i2h, h2o in self.tail:
            i2h.reset_parameters()
            h2o.reset_parameters()

    def _range_error(self, target):
        return RuntimeError(f"Target values should be in [0, {self.n_classes - 1}], but values "
                            f"in range [{target.min().item()}, {target.max().item()}] were "
                            "found. ")

    def forward(self, input_, target_):
        targ_dim = target_.dim()
        if targ_dim == 1:
            if input_.size(0) != target_.size(0):
                raise RuntimeError("Input and target should have the same size in the batch "
                                   "dimension.")
            if input_.dim() != 2:
                raise RuntimeError("1D target tensor expects 2D input tensors, but found inputs "
                                   f"with size {input_.size()}")
        elif targ_dim == 0:
            if input_.dim() != 1:
                raise RuntimeError("0D target tensor expects 1D input tensors, but found inputs "
                                   f"with size {input_.size()}")
        else:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        batched = targ_dim > 0
        input = input_ if batched else input_.unsqueeze(0)
        target = target_ if batched else target_.unsqueeze(0)
        n = target.size(0)
        if n and (bool((target < 0).any()) or bool((target >= self.n_classes).any())):
            raise self._range_error(target)
        # the head's entry for each row: its class in the shortlist, else its cluster
        head_index = target.clone()
        cluster_rows = []
        for i in range(self.n_clusters):
            lo, hi = self.cutoffs[i], self.cutoffs[i + 1]
            mask = (target >= lo) & (target < hi)
            rows = mask.nonzero().squeeze(1)
            if rows.numel():
                head_index[rows] = self.shortlist_size + i
                cluster_rows.append((i, rows, target[rows] - lo))
        head_logprob = F.log_softmax(self.head(input), dim=1)
        output = head_logprob.gather(1, head_index.unsqueeze(1)).squeeze(1)
        for i, rows, relative in cluster_rows:
            cluster = F.log_softmax(self.tail[i](input.index_select(0, rows)), dim=1)
            output = output.index_add(0, rows, cluster.gather(1, relative.unsqueeze(1))
                                      .squeeze(1))
        loss = (-output).mean()
        if not batched:
            output = output.squeeze(0)
        return _ASMoutput(output, loss)

    def _get_full_log_prob(self, input, head_output):
        head_logprob = F.log_softmax(head_output, dim=1)
        parts = [head_logprob[:, :self.shortlist_size]]
        for i in range(self.n_clusters):
            cluster = F.log_softmax(self.tail[i](input), dim=1)
            parts.append(cluster + head_logprob[:, self.shortlist_size + i].unsqueeze(1))
        return ctorch.cat(parts, dim=1)

    def log_prob(self, input):
        """The log-probabilities of all n_classes classes of a batch: (N, n_classes)."""
        return self._get_full_log_prob(input, self.head(input))

    def predict(self, input):
        """The most likely class of each row of a batch: (N)."""
        return self.log_prob(input).argmax(dim=1)
