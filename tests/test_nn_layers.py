"""The nn layer classes (linear, convolution, normalization, embedding, pooling):
repr strings, parameter and buffer names and shapes, default initialization,
forward equal to the functional on the same parameters, constructor and input
errors with PyTorch's messages, running statistics against numpy, and
gradients by gradcheck."""
import math

import numpy as np
import pytest

import ctorch as torch
import ctorch.nn as nn
import ctorch.nn.functional as F
from ctorch.autograd import gradcheck


def _x(*shape, seed=0):
    rng = np.random.default_rng(seed)
    return torch.tensor(rng.standard_normal(shape))


def _idx(vals):
    return torch.tensor(np.array(vals, dtype=np.int64))


def _np_cross_map_lrn(x, size, alpha, beta, k):
    """CrossMapLRN2d as PyTorch's legacy recurrence computes it: the scale of
    channel 0 sums the squares of channels 0..p-1 (p = (size-1)//2 + 1); each
    next channel adds channel c+p-1 (while it exists) and, once c > p, drops
    channel c-p."""
    sq = x * x
    c_n = x.shape[1]
    p = int((size - 1) / 2 + 1)
    scale = np.empty_like(x)
    scale[:, 0] = sq[:, :min(p, c_n)].sum(1)
    for c in range(1, c_n):
        scale[:, c] = scale[:, c - 1]
        if c < c_n - p + 1:
            scale[:, c] += sq[:, c + p - 1]
        if c > p:
            scale[:, c] -= sq[:, c - p]
    return x * (k + alpha / size * scale) ** -beta


def _np_log_softmax(z):
    z = z - z.max(1, keepdims=True)
    return z - np.log(np.exp(z).sum(1, keepdims=True))


def _np_adaptive_log_prob(m, x):
    """The full (N, n_classes) log-probabilities of AdaptiveLogSoftmaxWithLoss:
    shortlist classes from the head; a cluster's classes add the head's
    cluster entry to the cluster's own log_softmax."""
    w = {k: v.detach().numpy() for k, v in m.state_dict().items()}
    head = x @ w["head.weight"].T + (w["head.bias"] if "head.bias" in w else 0)
    lp_head = _np_log_softmax(head)
    parts = [lp_head[:, :m.shortlist_size]]
    for i in range(m.n_clusters):
        h = x @ w[f"tail.{i}.0.weight"].T @ w[f"tail.{i}.1.weight"].T
        parts.append(_np_log_softmax(h) + lp_head[:, m.shortlist_size + i:m.shortlist_size + i + 1])
    return np.concatenate(parts, 1)


def _adaptive_ref(m, x, t):
    lp = _np_adaptive_log_prob(m, _np(x))
    out = lp[np.arange(len(lp)), _np(t)]
    return torch.tensor(out), torch.tensor(-out.mean())


# (constructor, repr, {parameter: shape}, [state_dict keys], inputs, functional reference)
CASES = [
    (lambda: nn.Linear(3, 4), "Linear(in_features=3, out_features=4, bias=True)",
     {"weight": (4, 3), "bias": (4,)}, ["weight", "bias"], lambda: (_x(2, 5, 3),),
     lambda m, x: F.linear(x, m.weight, m.bias)),
    (lambda: nn.Linear(3, 4, bias=False), "Linear(in_features=3, out_features=4, bias=False)",
     {"weight": (4, 3)}, ["weight"], lambda: (_x(2, 3),), lambda m, x: F.linear(x, m.weight)),
    (lambda: nn.Bilinear(2, 3, 4),
     "Bilinear(in1_features=2, in2_features=3, out_features=4, bias=True)",
     {"weight": (4, 2, 3), "bias": (4,)}, ["weight", "bias"], lambda: (_x(5, 2), _x(5, 3, seed=1)),
     lambda m, a, b: F.bilinear(a, b, m.weight, m.bias)),
    (lambda: nn.Conv1d(2, 4, 3), "Conv1d(2, 4, kernel_size=(3,), stride=(1,))",
     {"weight": (4, 2, 3), "bias": (4,)}, ["weight", "bias"], lambda: (_x(2, 2, 7),),
     lambda m, x: F.conv1d(x, m.weight, m.bias)),
    (lambda: nn.Conv2d(2, 4, (3, 2), stride=2, padding=1),
     "Conv2d(2, 4, kernel_size=(3, 2), stride=(2, 2), padding=(1, 1))",
     {"weight": (4, 2, 3, 2), "bias": (4,)}, ["weight", "bias"], lambda: (_x(1, 2, 6, 5),),
     lambda m, x: F.conv2d(x, m.weight, m.bias, 2, 1)),
    (lambda: nn.Conv2d(2, 4, 3, padding="same", groups=2, bias=False, dilation=2),
     "Conv2d(2, 4, kernel_size=(3, 3), stride=(1, 1), padding=same, dilation=(2, 2), groups=2, "
     "bias=False)", {"weight": (4, 1, 3, 3)}, ["weight"], lambda: (_x(1, 2, 6, 5),),
     lambda m, x: F.conv2d(x, m.weight, None, 1, 2, 2, 2)),
    (lambda: nn.Conv3d(2, 2, 2, padding="valid"),
     "Conv3d(2, 2, kernel_size=(2, 2, 2), stride=(1, 1, 1), padding=valid)",
     {"weight": (2, 2, 2, 2, 2), "bias": (2,)}, ["weight", "bias"], lambda: (_x(2, 3, 3, 3),),
     lambda m, x: F.conv3d(x, m.weight, m.bias)),
    (lambda: nn.ConvTranspose1d(2, 4, 3, stride=2),
     "ConvTranspose1d(2, 4, kernel_size=(3,), stride=(2,))",
     {"weight": (2, 4, 3), "bias": (4,)}, ["weight", "bias"], lambda: (_x(1, 2, 5),),
     lambda m, x: F.conv_transpose1d(x, m.weight, m.bias, 2)),
    (lambda: nn.ConvTranspose2d(2, 4, 3, stride=2, output_padding=1, groups=2, dilation=2),
     "ConvTranspose2d(2, 4, kernel_size=(3, 3), stride=(2, 2), dilation=(2, 2), "
     "output_padding=(1, 1), groups=2)", {"weight": (2, 2, 3, 3), "bias": (4,)},
     ["weight", "bias"], lambda: (_x(1, 2, 3, 4),),
     lambda m, x: F.conv_transpose2d(x, m.weight, m.bias, 2, 0, 1, 2, 2)),
    (lambda: nn.ConvTranspose3d(2, 2, 2, bias=False, padding=1),
     "ConvTranspose3d(2, 2, kernel_size=(2, 2, 2), stride=(1, 1, 1), padding=(1, 1, 1), "
     "bias=False)", {"weight": (2, 2, 2, 2, 2)}, ["weight"], lambda: (_x(1, 2, 3, 3, 3),),
     lambda m, x: F.conv_transpose3d(x, m.weight, None, 1, 1)),
    (lambda: nn.BatchNorm1d(3),
     "BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)",
     {"weight": (3,), "bias": (3,)},
     ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"],
     lambda: (_x(4, 3),), lambda m, x: F.batch_norm(x, None, None, m.weight, m.bias, True)),
    (lambda: nn.BatchNorm2d(3, momentum=None, affine=False),
     "BatchNorm2d(3, eps=1e-05, momentum=None, affine=False, bias=False, "
     "track_running_stats=True)", {}, ["running_mean", "running_var", "num_batches_tracked"],
     lambda: (_x(2, 3, 2, 2),), lambda m, x: F.batch_norm(x, None, None, None, None, True)),
    (lambda: nn.BatchNorm3d(3, track_running_stats=False, bias=False),
     "BatchNorm3d(3, eps=1e-05, momentum=0.1, affine=True, bias=False, "
     "track_running_stats=False)", {"weight": (3,)}, ["weight"], lambda: (_x(2, 3, 2, 2, 2),),
     lambda m, x: F.batch_norm(x, None, None, m.weight, None, True)),
    (lambda: nn.InstanceNorm1d(3),
     "InstanceNorm1d(3, eps=1e-05, momentum=0.1, affine=False, bias=False, "
     "track_running_stats=False)", {}, [], lambda: (_x(2, 3, 5),),
     lambda m, x: F.instance_norm(x)),
    (lambda: nn.InstanceNorm2d(3, affine=True),
     "InstanceNorm2d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, "
     "track_running_stats=False)", {"weight": (3,), "bias": (3,)}, ["weight", "bias"],
     lambda: (_x(3, 4, 5),),
     lambda m, x: F.instance_norm(x.unsqueeze(0), weight=m.weight, bias=m.bias).squeeze(0)),
    (lambda: nn.InstanceNorm3d(2, track_running_stats=True),
     "InstanceNorm3d(2, eps=1e-05, momentum=0.1, affine=False, bias=False, "
     "track_running_stats=True)", {}, ["running_mean", "running_var", "num_batches_tracked"],
     lambda: (_x(2, 2, 2, 3, 2),), lambda m, x: F.instance_norm(x)),
    (lambda: nn.LayerNorm([2, 3]), "LayerNorm((2, 3), eps=1e-05, elementwise_affine=True, "
     "bias=True)", {"weight": (2, 3), "bias": (2, 3)}, ["weight", "bias"],
     lambda: (_x(4, 2, 3),), lambda m, x: F.layer_norm(x, (2, 3), m.weight, m.bias)),
    (lambda: nn.LayerNorm(3, bias=False, eps=1e-3),
     "LayerNorm((3,), eps=0.001, elementwise_affine=True, bias=False)", {"weight": (3,)},
     ["weight"], lambda: (_x(4, 3),), lambda m, x: F.layer_norm(x, (3,), m.weight, None, 1e-3)),
    (lambda: nn.LayerNorm(3, elementwise_affine=False),
     "LayerNorm((3,), eps=1e-05, elementwise_affine=False, bias=False)", {}, [],
     lambda: (_x(4, 3),), lambda m, x: F.layer_norm(x, (3,))),
    (lambda: nn.GroupNorm(2, 4), "GroupNorm(2, 4, eps=1e-05, affine=True, bias=True)",
     {"weight": (4,), "bias": (4,)}, ["weight", "bias"], lambda: (_x(2, 4, 3),),
     lambda m, x: F.group_norm(x, 2, m.weight, m.bias)),
    (lambda: nn.GroupNorm(2, 4, affine=False), "GroupNorm(2, 4, eps=1e-05, affine=False, "
     "bias=False)", {}, [], lambda: (_x(2, 4, 3),), lambda m, x: F.group_norm(x, 2)),
    (lambda: nn.RMSNorm(3), "RMSNorm((3,), eps=None, elementwise_affine=True)",
     {"weight": (3,)}, ["weight"], lambda: (_x(2, 3),),
     lambda m, x: F.rms_norm(x, (3,), m.weight)),
    (lambda: nn.RMSNorm([2, 3], eps=1e-3, elementwise_affine=False),
     "RMSNorm((2, 3), eps=0.001, elementwise_affine=False)", {}, [], lambda: (_x(2, 2, 3),),
     lambda m, x: F.rms_norm(x, (2, 3), None, 1e-3)),
    (lambda: nn.LocalResponseNorm(3, alpha=0.1, beta=0.5, k=2),
     "LocalResponseNorm(3, alpha=0.1, beta=0.5, k=2)", {}, [], lambda: (_x(2, 5, 4),),
     lambda m, x: F.local_response_norm(x, 3, 0.1, 0.5, 2)),
    (lambda: nn.Embedding(5, 3), "Embedding(5, 3)", {"weight": (5, 3)}, ["weight"],
     lambda: (_idx([[0, 4], [2, 2]]),), lambda m, i: F.embedding(i, m.weight)),
    (lambda: nn.Embedding(5, 3, padding_idx=-2, max_norm=2.0, norm_type=1.0),
     "Embedding(5, 3, padding_idx=3, max_norm=2.0, norm_type=1.0)", {"weight": (5, 3)},
     ["weight"], lambda: (_idx([1, 3]),), lambda m, i: m.weight[i]),
    (lambda: nn.EmbeddingBag(5, 3), "EmbeddingBag(5, 3, mode='mean')", {"weight": (5, 3)},
     ["weight"], lambda: (_idx([[0, 4], [2, 1]]),), lambda m, i: m.weight[i].mean(1)),
    (lambda: nn.EmbeddingBag(5, 3, mode="sum", max_norm=1.0, padding_idx=0, norm_type=3),
     "EmbeddingBag(5, 3, max_norm=1.0, norm_type=3, mode='sum', padding_idx=0)",
     {"weight": (5, 3)}, ["weight"], lambda: (_idx([[0, 4], [2, 1]]),),
     lambda m, i: m.weight[i].sum(1)),
    (lambda: nn.MaxPool1d(2), "MaxPool1d(kernel_size=2, stride=2, padding=0, dilation=1, "
     "ceil_mode=False)", {}, [], lambda: (_x(1, 2, 7),), lambda m, x: F.max_pool1d(x, 2)),
    (lambda: nn.MaxPool2d(3, stride=2, padding=1, dilation=2, ceil_mode=True),
     "MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=2, ceil_mode=True)", {}, [],
     lambda: (_x(1, 2, 7, 6),), lambda m, x: F.max_pool2d(x, 3, 2, 1, 2, ceil_mode=True)),
    (lambda: nn.MaxPool3d((1, 2, 2)), "MaxPool3d(kernel_size=(1, 2, 2), stride=(1, 2, 2), "
     "padding=0, dilation=1, ceil_mode=False)", {}, [], lambda: (_x(1, 2, 2, 4, 4),),
     lambda m, x: F.max_pool3d(x, (1, 2, 2))),
    (lambda: nn.MaxUnpool1d(2), "MaxUnpool1d(kernel_size=(2,), stride=(2,), padding=(0,))", {},
     [], lambda: (_x(1, 2, 3), _idx([[[0, 3, 5], [1, 2, 4]]])),
     lambda m, x, i: F.max_unpool1d(x, i, 2)),
    (lambda: nn.MaxUnpool2d(2, stride=2, padding=1),
     "MaxUnpool2d(kernel_size=(2, 2), stride=(2, 2), padding=(1, 1))", {}, [],
     lambda: (_x(1, 1, 2, 2), _idx([[[[0, 1], [2, 3]]]])),
     lambda m, x, i: F.max_unpool2d(x, i, 2, 2, 1)),
    (lambda: nn.MaxUnpool3d(2), "MaxUnpool3d(kernel_size=(2, 2, 2), stride=(2, 2, 2), "
     "padding=(0, 0, 0))", {}, [], lambda: (_x(1, 1, 1, 1, 2), _idx([[[[[0, 7]]]]])),
     lambda m, x, i: F.max_unpool3d(x, i, 2)),
    (lambda: nn.AvgPool1d(3, 2, 1), "AvgPool1d(kernel_size=(3,), stride=(2,), padding=(1,))",
     {}, [], lambda: (_x(1, 2, 7),), lambda m, x: F.avg_pool1d(x, 3, 2, 1)),
    (lambda: nn.AvgPool2d((2, 3), stride=1, padding=1, divisor_override=2),
     "AvgPool2d(kernel_size=(2, 3), stride=1, padding=1)", {}, [], lambda: (_x(1, 2, 4, 5),),
     lambda m, x: F.avg_pool2d(x, (2, 3), 1, 1, divisor_override=2)),
    (lambda: nn.AvgPool3d(2, ceil_mode=True, count_include_pad=False),
     "AvgPool3d(kernel_size=2, stride=2, padding=0)", {}, [], lambda: (_x(1, 3, 3, 3),),
     lambda m, x: F.avg_pool3d(x, 2, ceil_mode=True, count_include_pad=False)),
    (lambda: nn.AdaptiveAvgPool1d(3), "AdaptiveAvgPool1d(output_size=3)", {}, [],
     lambda: (_x(1, 2, 7),), lambda m, x: F.adaptive_avg_pool1d(x, 3)),
    (lambda: nn.AdaptiveAvgPool2d((None, 3)), "AdaptiveAvgPool2d(output_size=(None, 3))", {},
     [], lambda: (_x(1, 2, 5, 7),), lambda m, x: F.adaptive_avg_pool2d(x, (5, 3))),
    (lambda: nn.AdaptiveAvgPool3d(2), "AdaptiveAvgPool3d(output_size=2)", {}, [],
     lambda: (_x(2, 3, 4, 5),), lambda m, x: F.adaptive_avg_pool3d(x, 2)),
    (lambda: nn.AdaptiveMaxPool1d(3), "AdaptiveMaxPool1d(output_size=3)", {}, [],
     lambda: (_x(1, 2, 7),), lambda m, x: F.adaptive_max_pool1d(x, 3)),
    (lambda: nn.AdaptiveMaxPool2d(2, return_indices=True), "AdaptiveMaxPool2d(output_size=2)",
     {}, [], lambda: (_x(1, 2, 5, 4),),
     lambda m, x: F.adaptive_max_pool2d(x, 2, return_indices=True)),
    (lambda: nn.AdaptiveMaxPool3d((1, 2, None)), "AdaptiveMaxPool3d(output_size=(1, 2, None))",
     {}, [], lambda: (_x(1, 3, 4, 5),), lambda m, x: F.adaptive_max_pool3d(x, (1, 2, 5))),
    (lambda: nn.LPPool1d(2, 3), "LPPool1d(norm_type=2, kernel_size=3, stride=None, "
     "ceil_mode=False)", {}, [], lambda: (_x(1, 2, 7),), lambda m, x: F.lp_pool1d(x, 2, 3)),
    (lambda: nn.LPPool2d(1.5, 2, stride=1), "LPPool2d(norm_type=1.5, kernel_size=2, stride=1, "
     "ceil_mode=False)", {}, [], lambda: (_x(1, 2, 4, 4).abs(),),
     lambda m, x: F.lp_pool2d(x, 1.5, 2, 1)),
    (lambda: nn.LPPool3d(2, 2, ceil_mode=True), "LPPool3d(norm_type=2, kernel_size=2, "
     "stride=None, ceil_mode=True)", {}, [], lambda: (_x(1, 3, 3, 3),),
     lambda m, x: F.lp_pool3d(x, 2, 2, ceil_mode=True)),
    (lambda: nn.FractionalMaxPool2d(2, output_size=3,
                                    _random_samples=torch.tensor([[[0.3, 0.7]]]).double()),
     "FractionalMaxPool2d()", {}, ["_random_samples"], lambda: (_x(1, 1, 6, 5),),
     lambda m, x: F.fractional_max_pool2d(x, 2, 3, _random_samples=m._random_samples)),
    (lambda: nn.FractionalMaxPool3d(2, output_ratio=0.5), "FractionalMaxPool3d()", {}, [],
     lambda: (_x(1, 1, 4, 4, 4),), None),
    (lambda: nn.SyncBatchNorm(3),
     "SyncBatchNorm(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)",
     {"weight": (3,), "bias": (3,)}, ["weight", "bias", "running_mean", "running_var",
                                      "num_batches_tracked"], lambda: (_x(2, 3, 2, 1, 2, 2),),
     lambda m, x: F.batch_norm(x, None, None, m.weight, m.bias, True)),
    (lambda: nn.CrossMapLRN2d(3, 0.5, 0.75, 2), "CrossMapLRN2d(3, alpha=0.5, beta=0.75, k=2)",
     {}, [], lambda: (_x(2, 6, 2, 3),),
     lambda m, x: torch.tensor(_np_cross_map_lrn(_np(x), 3, 0.5, 0.75, 2))),
    (lambda: nn.CrossMapLRN2d(4, 0.3, 0.5, 1), "CrossMapLRN2d(4, alpha=0.3, beta=0.5, k=1)",
     {}, [], lambda: (_x(1, 7, 2, 2),),
     lambda m, x: torch.tensor(_np_cross_map_lrn(_np(x), 4, 0.3, 0.5, 1))),
    (lambda: nn.CrossMapLRN2d(11, 0.3, 0.5, 1), "CrossMapLRN2d(11, alpha=0.3, beta=0.5, k=1)",
     {}, [], lambda: (_x(1, 9, 2, 2),),
     lambda m, x: torch.tensor(_np_cross_map_lrn(_np(x), 11, 0.3, 0.5, 1))),
    (lambda: nn.LinearCrossEntropyLoss(3, 4, bias=True),
     "LinearCrossEntropyLoss(\n  in_features=3, num_classes=4, out_features=(), bias=True, "
     "reduction=mean, ignore_index=None, label_smoothing=0.0, options=None\n"
     "  (linear): Linear(in_features=3, out_features=4, bias=True)\n)",
     {"linear.weight": (4, 3), "linear.bias": (4,)}, ["linear.weight", "linear.bias"],
     lambda: (_x(5, 3), _idx([0, 3, 1, 1, 2])),
     lambda m, x, t: F.cross_entropy(F.linear(x, m.linear.weight, m.linear.bias), t)),
    (lambda: nn.LinearCrossEntropyLoss(3, 4, out_features=(2,), reduction="none", bias=True,
                                       label_smoothing=0.2,
                                       options=nn.LinearCrossEntropyOptions(batch_chunk_size=2)),
     "LinearCrossEntropyLoss(\n  in_features=3, num_classes=4, out_features=(2,), bias=True, "
     "reduction=none, ignore_index=None, label_smoothing=0.2, options=LinearCrossEntropyOptions("
     "allow_retain_graph=False, batch_chunk_size=2, chunking_method='auto', acc_policy='auto', "
     "acc_dtype=None)\n  (linear): Linear(in_features=3, out_features=8, bias=True)\n)",
     {"linear.weight": (8, 3), "linear.bias": (8,)}, ["linear.weight", "linear.bias"],
     lambda: (_x(5, 3), _idx([[0, 3], [1, 1], [2, 0], [3, 3], [1, 2]])),
     lambda m, x, t: F.cross_entropy(F.linear(x, m.linear.weight, m.linear.bias)
                                     .reshape(5, 4, 2), t,
                                     reduction="none", label_smoothing=0.2)),
    (lambda: nn.AdaptiveLogSoftmaxWithLoss(4, 6, [2, 4], div_value=2.0, head_bias=True),
     "AdaptiveLogSoftmaxWithLoss(\n  (head): Linear(in_features=4, out_features=4, bias=True)\n"
     "  (tail): ModuleList(\n    (0): Sequential(\n"
     "      (0): Linear(in_features=4, out_features=2, bias=False)\n"
     "      (1): Linear(in_features=2, out_features=2, bias=False)\n    )\n"
     "    (1): Sequential(\n      (0): Linear(in_features=4, out_features=1, bias=False)\n"
     "      (1): Linear(in_features=1, out_features=2, bias=False)\n    )\n  )\n)",
     {"head.weight": (4, 4), "head.bias": (4,), "tail.0.0.weight": (2, 4),
      "tail.0.1.weight": (2, 2), "tail.1.0.weight": (1, 4), "tail.1.1.weight": (2, 1)},
     ["head.weight", "head.bias", "tail.0.0.weight", "tail.0.1.weight", "tail.1.0.weight",
      "tail.1.1.weight"], lambda: (_x(5, 4), _idx([0, 5, 2, 1, 3])), _adaptive_ref),
    (lambda: nn.DataParallel(nn.Linear(3, 2)),
     "DataParallel(\n  (module): Linear(in_features=3, out_features=2, bias=True)\n)",
     {"module.weight": (2, 3), "module.bias": (2,)}, ["module.weight", "module.bias"],
     lambda: (_x(4, 3),), lambda m, x: F.linear(x, m.module.weight, m.module.bias)),
]


def _ids(cases):
    return [c[1].split("(")[0] + str(i) for i, c in enumerate(cases)]


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_repr_parameters_state_dict(case):
    ctor, rep, params, keys, _, _ = case
    m = ctor()
    assert repr(m) == rep
    assert {n: tuple(p.shape) for n, p in m.named_parameters()} == params
    assert all(isinstance(p, nn.Parameter) and p.requires_grad for p in m.parameters())
    assert list(m.state_dict().keys()) == keys


def _np(t):
    return t.detach().numpy()


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_forward_matches_functional(case):
    ctor, _, _, _, inputs, ref = case
    m = ctor().double()
    args = inputs()
    y = m(*args)
    if ref is None:          # random windows: check the shape only
        assert tuple(y.shape) == (1, 1, 2, 2, 2)
        return
    r = ref(m, *args)
    if isinstance(y, tuple):
        for a, b in zip(y, r):
            np.testing.assert_allclose(_np(a), _np(b), rtol=1e-12, atol=1e-12)
    else:
        assert y.dtype == r.dtype and tuple(y.shape) == tuple(r.shape)
        np.testing.assert_allclose(_np(y), _np(r), rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------- default init

# (constructor, fan_in): weight and bias are U(-1/sqrt(fan_in), 1/sqrt(fan_in))
UNIFORM_INIT = [
    (lambda: nn.Linear(20, 30), 20),
    (lambda: nn.Bilinear(20, 3, 30), 20),
    (lambda: nn.Conv1d(4, 30, 5), 20),
    (lambda: nn.Conv2d(6, 40, 3, groups=2), 27),
    (lambda: nn.Conv3d(2, 30, 2), 16),
    (lambda: nn.ConvTranspose2d(30, 6, 3, groups=3), 18),
]


@pytest.mark.parametrize("ctor,fan_in", UNIFORM_INIT)
def test_uniform_default_init(ctor, fan_in):
    torch.manual_seed(0)
    m = ctor()
    bound = 1 / math.sqrt(fan_in)
    w = _np(m.weight)
    assert np.abs(w).max() <= bound
    assert np.abs(w).max() > 0.9 * bound            # spread over the whole interval
    assert abs(w.mean()) < 0.1 * bound
    b = _np(m.bias)
    assert np.abs(b).max() <= bound and np.abs(b).max() > 0.5 * bound
    m.weight.data.zero_()
    m.reset_parameters()
    assert np.abs(_np(m.weight)).max() > 0.9 * bound


def test_norm_and_embedding_init():
    torch.manual_seed(0)
    for m in (nn.BatchNorm2d(4), nn.InstanceNorm1d(4, affine=True), nn.LayerNorm(4),
              nn.GroupNorm(2, 4), nn.RMSNorm(4)):
        np.testing.assert_array_equal(_np(m.weight), np.ones(4))
        if getattr(m, "bias", None) is not None:
            np.testing.assert_array_equal(_np(m.bias), np.zeros(4))
    bn = nn.BatchNorm1d(4)
    np.testing.assert_array_equal(_np(bn.running_mean), np.zeros(4))
    np.testing.assert_array_equal(_np(bn.running_var), np.ones(4))
    assert bn.num_batches_tracked.dtype == torch.int64 and bn.num_batches_tracked.item() == 0
    e = nn.Embedding(200, 50, padding_idx=7)          # N(0, 1) with a zero padding row
    w = _np(e.weight)
    np.testing.assert_array_equal(w[7], np.zeros(50))
    rest = np.delete(w, 7, axis=0)
    assert abs(rest.mean()) < 0.05 and abs(rest.std() - 1) < 0.05
    eb = nn.EmbeddingBag(10, 4, padding_idx=-1)
    assert eb.padding_idx == 9
    np.testing.assert_array_equal(_np(eb.weight[9]), np.zeros(4))


def test_factory_kwargs():
    for m in (nn.Linear(2, 3, dtype=torch.float64), nn.Conv2d(2, 2, 2, dtype=torch.float64),
              nn.BatchNorm1d(3, dtype=torch.float64), nn.LayerNorm(3, dtype=torch.float64),
              nn.Embedding(3, 2, dtype=torch.float64), nn.GroupNorm(1, 2, dtype=torch.float64),
              nn.Bilinear(1, 2, 3, device="cpu", dtype=torch.float64)):
        assert all(p.dtype == torch.float64 for p in m.parameters())
    bn = nn.BatchNorm1d(3, dtype=torch.float64)
    assert bn.running_mean.dtype == torch.float64
    assert bn.num_batches_tracked.dtype == torch.int64


# ---------------------------------------------------------------- errors

ERRORS = [
    (lambda: nn.Conv2d(3, 4, 3, groups=0), ValueError, "groups must be a positive integer"),
    (lambda: nn.SyncBatchNorm(3)(torch.zeros(3)), ValueError,
     r"expected at least 2D input \(got 1D input\)"),
    (lambda: nn.SyncBatchNorm(0)(torch.zeros(2, 0)), ValueError,
     "SyncBatchNorm number of input channels should be non-zero"),
    (lambda: nn.CrossMapLRN2d(3)(torch.zeros(2, 3, 4)), ValueError,
     "CrossMapLRN2d: Expected input to be 4D, got 3D instead."),
    (lambda: nn.LinearCrossEntropyLoss(3, 4, weight=torch.ones(3)), RuntimeError,
     r"expected weight shape to be \(4,\), got \(3,\)"),
    (lambda: nn.LinearCrossEntropyLoss(3, 4, label_smoothing=1.5), RuntimeError,
     r"expected label_smoothing to be in range \[0, 1\], got 1.5"),
    (lambda: nn.LinearCrossEntropyOptions(acc_policy="fast"), ValueError,
     "invalid acc_policy: 'fast'"),
    (lambda: nn.LinearCrossEntropyOptions(chunking_method="aspect_ratio:x"), ValueError,
     "invalid chunking_method: 'aspect_ratio:x'"),
    (lambda: nn.LinearCrossEntropyOptions(batch_chunk_size=0), ValueError,
     "batch_chunk_size must be positive int or None, got 0"),
    (lambda: nn.LinearCrossEntropyOptions(acc_dtype=torch.int64), ValueError,
     r"acc_dtype must be one of \{None, torch.float16, torch.bfloat16, torch.float32, "
     r"torch.float64\}, got torch.int64"),
    (lambda: nn.AdaptiveLogSoftmaxWithLoss(4, 6, []), ValueError,
     "cutoffs should be a sequence of length larger than 0"),
    (lambda: nn.AdaptiveLogSoftmaxWithLoss(4, 6, [3, 2]), ValueError,
     "cutoffs should be a sequence of unique, positive integers sorted in an increasing order, "
     "where each value is between 1 and n_classes-1"),
    (lambda: nn.AdaptiveLogSoftmaxWithLoss(4, 6, [2, 6]), ValueError,
     "cutoffs should be a sequence of unique, positive integers sorted"),
    (lambda: nn.AdaptiveLogSoftmaxWithLoss(4, 6, [2])(torch.zeros(3, 4), _idx([0, 1])),
     RuntimeError, "Input and target should have the same size in the batch dimension."),
    (lambda: nn.AdaptiveLogSoftmaxWithLoss(4, 6, [2])(torch.zeros(3, 4), _idx([0, 1, 6])),
     RuntimeError, r"Target values should be in \[0, 5\], but values in range \[0, 6\] were "
     "found."),
    (lambda: nn.AdaptiveLogSoftmaxWithLoss(4, 6, [2])(torch.zeros(4), _idx([[0]])),
     RuntimeError, "0D or 1D target tensor expected, multi-target not supported"),
    (lambda: nn.AdaptiveLogSoftmaxWithLoss(4, 6, [2])(torch.zeros(2, 4), _idx(0)),
     RuntimeError, r"0D target tensor expects 1D input tensors, but found inputs with size "
     r"torch.Size\(\[2, 4\]\)"),
    (lambda: nn.Conv2d(3, 4, 3, groups=2), ValueError, "in_channels must be divisible by groups"),
    (lambda: nn.Conv1d(4, 3, 3, groups=2), ValueError,
     "out_channels must be divisible by groups"),
    (lambda: nn.Conv2d(3, 4, 3, padding="foo"), ValueError,
     "Invalid padding string 'foo', should be one of"),
    (lambda: nn.Conv2d(3, 4, 3, padding="same", stride=2), ValueError,
     "padding='same' is not supported for strided convolutions"),
    (lambda: nn.Conv3d(3, 4, 3, padding_mode="bad"), ValueError,
     "padding_mode must be one of .*, but got padding_mode='bad'"),
    (lambda: nn.ConvTranspose2d(2, 4, 3, padding_mode="reflect"), ValueError,
     'Only "zeros" padding mode is supported for ConvTranspose2d'),
    (lambda: nn.GroupNorm(3, 4), ValueError,
     r"num_channels \(4\) must be divisible by num_groups \(3\)"),
    (lambda: nn.Embedding(5, 3, padding_idx=5), AssertionError,
     "Padding_idx must be within num_embeddings"),
    (lambda: nn.Embedding(5, 3, padding_idx=-6), AssertionError,
     "Padding_idx must be within num_embeddings"),
    (lambda: nn.EmbeddingBag(5, 3, padding_idx=5), AssertionError,
     "padding_idx must be within num_embeddings"),
    (lambda: nn.Embedding(5, 3, _weight=torch.zeros(4, 3)), AssertionError,
     "Shape of weight does not match num_embeddings and embedding_dim"),
    (lambda: nn.Embedding.from_pretrained(torch.zeros(4)), AssertionError,
     "Embeddings parameter is expected to be 2-dimensional"),
    (lambda: nn.EmbeddingBag.from_pretrained(torch.zeros(2, 2, 2)), AssertionError,
     "Embeddings parameter is expected to be 2-dimensional"),
    (lambda: nn.FractionalMaxPool2d(2), ValueError,
     "FractionalMaxPool2d requires specifying either an output size, or a pooling ratio"),
    (lambda: nn.FractionalMaxPool3d(2, output_size=2, output_ratio=0.5), ValueError,
     "only one of output_size and output_ratio may be specified"),
    (lambda: nn.FractionalMaxPool2d(2, output_ratio=1.5), ValueError,
     r"output_ratio must be between 0 and 1 \(got 1.5\)"),
    (lambda: nn.FractionalMaxPool3d((2, 0, 1), output_size=2), ValueError,
     r"kernel_size must be greater than 0, but got \(2, 0, 1\)"),
    # input checks in forward
    (lambda: nn.BatchNorm1d(3)(torch.zeros(2, 3, 2, 2)), ValueError,
     r"expected 2D or 3D input \(got 4D input\)"),
    (lambda: nn.BatchNorm2d(3)(torch.zeros(2, 3)), ValueError,
     r"expected 4D input \(got 2D input\)"),
    (lambda: nn.BatchNorm3d(3)(torch.zeros(2, 3, 2, 2)), ValueError,
     r"expected 5D input \(got 4D input\)"),
    (lambda: nn.InstanceNorm1d(3)(torch.zeros(3)), ValueError,
     r"expected 2D or 3D input \(got 1D input\)"),
    (lambda: nn.InstanceNorm2d(3)(torch.zeros(2, 3, 2, 2, 2)), ValueError,
     r"expected 3D or 4D input \(got 5D input\)"),
    (lambda: nn.InstanceNorm3d(3)(torch.zeros(2, 3)), ValueError,
     r"expected 4D or 5D input \(got 2D input\)"),
    (lambda: nn.InstanceNorm2d(3, affine=True)(torch.zeros(2, 4, 3, 3)), ValueError,
     r"expected input's size at dim=1 to match num_features \(3\), but got: 4."),
    (lambda: nn.ConvTranspose2d(2, 4, 3, stride=2)(torch.zeros(1, 2, 5, 5),
                                                   output_size=[20, 12]), ValueError,
     r"requested an output size of \[20, 12\], but valid sizes range from \[11, 11\] to "
     r"\[12, 12\] \(for an input of torch.Size\(\[5, 5\]\)\)"),
    (lambda: nn.ConvTranspose2d(2, 4, 3)(torch.zeros(1, 2, 5, 5), output_size=[7]),
     ValueError, r"ConvTranspose2D: for 4D input, output_size must have 2 or 4 elements "
     r"\(got 1\)"),
]


@pytest.mark.parametrize("fn,exc,msg", ERRORS)
def test_errors(fn, exc, msg):
    with pytest.raises(exc, match=msg):
        fn()


def test_instance_norm_num_features_warning():
    with pytest.warns(UserWarning, match="input's size at dim=1 does not match num_features"):
        nn.InstanceNorm1d(3)(torch.zeros(2, 4, 5))


# ---------------------------------------------------------------- gradients

GRAD_CASES = [
    (lambda: nn.Linear(3, 2), (2, 3)),
    (lambda: nn.Conv2d(2, 2, 2, padding=1, padding_mode="reflect"), (1, 2, 3, 3)),
    (lambda: nn.ConvTranspose1d(2, 2, 2, stride=2), (1, 2, 3)),
    (lambda: nn.BatchNorm1d(2), (3, 2)),
    (lambda: nn.LayerNorm(3), (2, 3)),
    (lambda: nn.GroupNorm(2, 4), (2, 4, 2)),
    (lambda: nn.SyncBatchNorm(2), (3, 2, 2)),
    (lambda: nn.CrossMapLRN2d(3, 0.5, 0.75, 2), (1, 4, 2, 1)),
    (lambda: nn.CrossMapLRN2d(11, 0.5, 0.75, 2), (1, 7, 1, 1)),
]


@pytest.mark.parametrize("ctor,shape", GRAD_CASES)
def test_gradcheck(ctor, shape):
    torch.manual_seed(0)
    m = ctor().double()
    x = _x(*shape).requires_grad_(True)
    params = list(m.parameters())
    names = [n for n, _ in m.named_parameters()]

    def f(inp, *ps):
        saved = {n: getattr(m, n) for n in names}
        for n, p in zip(names, ps):
            m._parameters[n] = p
        try:
            return m(inp)
        finally:
            for n in names:
                m._parameters[n] = saved[n]
    # train-mode BatchNorm updates its running stats on every call: harmless here
    assert gradcheck(f, (x, *[p.detach().clone().requires_grad_(True) for p in params]))


# ---------------------------------------------------------------- behaviour

def _bn_oracle(xs, momentum, eps=1e-5):
    mean, var = np.zeros(3), np.ones(3)
    for n, x in enumerate(xs, 1):
        axes = tuple(i for i in range(x.ndim) if i != 1)
        bm, bv = x.mean(axes), x.var(axes, ddof=1)
        f = 1.0 / n if momentum is None else momentum
        mean = (1 - f) * mean + f * bm
        var = (1 - f) * var + f * bv
    return mean, var


@pytest.mark.parametrize("momentum", [0.1, 0.5, None])
def test_batch_norm_running_stats(momentum):
    rng = np.random.default_rng(1)
    xs = [rng.standard_normal((4, 3, 2)) * s + s for s in (1.0, 2.0, 3.0)]
    m = nn.BatchNorm1d(3, momentum=momentum).double()
    for x in xs:
        m(torch.tensor(x))
    mean, var = _bn_oracle(xs, momentum)
    np.testing.assert_allclose(_np(m.running_mean), mean, rtol=1e-12)
    np.testing.assert_allclose(_np(m.running_var), var, rtol=1e-12)
    assert m.num_batches_tracked.item() == 3
    m.eval()                  # eval normalizes with the running statistics, which stay put
    x = rng.standard_normal((2, 3, 2))
    y = _np(m(torch.tensor(x)))
    np.testing.assert_allclose(y, (x - mean[:, None]) / np.sqrt(var[:, None] + 1e-5),
                               rtol=1e-10)
    assert m.num_batches_tracked.item() == 3
    np.testing.assert_allclose(_np(m.running_mean), mean, rtol=1e-12)
    m.reset_running_stats()
    assert m.num_batches_tracked.item() == 0
    np.testing.assert_array_equal(_np(m.running_var), np.ones(3))


def test_batch_norm_without_running_stats_uses_batch_stats_in_eval():
    x = np.random.default_rng(2).standard_normal((5, 3))
    m = nn.BatchNorm1d(3, track_running_stats=False).double().eval()
    ref = (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-5)
    np.testing.assert_allclose(_np(m(torch.tensor(x))), ref, rtol=1e-10)
    assert m.running_mean is None and m.num_batches_tracked is None


def test_batch_norm_old_state_dict_without_counter():
    m = nn.BatchNorm1d(3)
    sd = m.state_dict()
    del sd["num_batches_tracked"]
    sd._metadata[""] = {"version": 1}
    m.load_state_dict(sd)        # an old checkpoint: the missing counter is filled in
    assert m.num_batches_tracked.item() == 0


@pytest.mark.parametrize("mode,np_mode", [("reflect", "reflect"), ("replicate", "edge"),
                                          ("circular", "wrap"), ("zeros", "constant")])
def test_conv_padding_modes(mode, np_mode):
    x = np.random.default_rng(3).standard_normal((1, 2, 5, 6))
    m = nn.Conv2d(2, 3, (3, 2), padding=(1, 2), padding_mode=mode).double()
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (2, 2)), mode=np_mode)
    ref = F.conv2d(torch.tensor(xp), m.weight, m.bias)
    np.testing.assert_allclose(_np(m(torch.tensor(x))), _np(ref), rtol=1e-12, atol=1e-12)
    # 'same' with an even kernel: 3 padded in all, 1 on the left and 2 on the right
    m = nn.Conv1d(2, 2, 4, padding="same", padding_mode=mode).double()
    x1 = x[:, :, 0]
    xp = np.pad(x1, ((0, 0), (0, 0), (1, 2)), mode=np_mode)
    ref = F.conv1d(torch.tensor(xp), m.weight, m.bias)
    if mode == "zeros":      # the convolution itself pads unevenly, and says so
        with pytest.warns(UserWarning, match="padding='same' with even kernel lengths"):
            y = m(torch.tensor(x1))
    else:
        y = m(torch.tensor(x1))
    np.testing.assert_allclose(_np(y), _np(ref), rtol=1e-12, atol=1e-12)


def test_conv_transpose_output_size():
    m = nn.ConvTranspose2d(2, 3, 3, stride=2).double()
    x = _x(1, 2, 5, 5)
    for size, op in (([11, 11], 0), ([12, 11], (1, 0)), ([1, 3, 12, 12], 1)):
        y = m(x, output_size=size)
        ref = F.conv_transpose2d(x, m.weight, m.bias, 2, 0, op)
        np.testing.assert_allclose(_np(y), _np(ref), rtol=1e-12)
    y = m(x[0], output_size=[3, 12, 12])          # unbatched input: (C, H, W)
    assert tuple(y.shape) == (3, 12, 12)


def test_embedding_max_norm_and_from_pretrained():
    w = torch.tensor([[3.0, 4.0], [0.3, 0.4], [6.0, 8.0]]).double()
    e = nn.Embedding.from_pretrained(w.clone(), max_norm=1.0)
    assert not e.weight.requires_grad and repr(e) == "Embedding(3, 2, max_norm=1.0)"
    y = e(_idx([0, 1]))
    np.testing.assert_allclose(_np(y), [[0.6, 0.8], [0.3, 0.4]], rtol=1e-6)
    # looked-up rows are renormalized in place; row 2 was not looked up
    np.testing.assert_allclose(_np(e.weight), [[0.6, 0.8], [0.3, 0.4], [6.0, 8.0]], rtol=1e-6)
    e = nn.Embedding.from_pretrained(w, freeze=False, padding_idx=1)
    assert e.weight.requires_grad and e.padding_idx == 1
    np.testing.assert_allclose(_np(e.weight[1]), [0.3, 0.4], rtol=1e-6)   # a given weight is kept
    b = nn.EmbeddingBag.from_pretrained(w, mode="max")
    assert not b.weight.requires_grad and repr(b) == "EmbeddingBag(3, 2, mode='max')"
    y = b(_idx([0, 2, 1]), _idx([0, 2]))
    np.testing.assert_allclose(_np(y), [[6.0, 8.0], [0.3, 0.4]])
    y = nn.EmbeddingBag.from_pretrained(w, freeze=False, mode="sum")(
        _idx([[0, 1, 2]]), per_sample_weights=torch.tensor([[1.0, 2.0, 0.5]]).double())
    np.testing.assert_allclose(_np(y), [[3.0 + 0.6 + 3.0, 4.0 + 0.8 + 4.0]])


def test_embedding_padding_row_gets_no_gradient():
    e = nn.Embedding(4, 2, padding_idx=0).double()
    e(_idx([0, 1, 0])).sum().backward()
    np.testing.assert_array_equal(_np(e.weight.grad), [[0, 0], [1, 1], [0, 0], [0, 0]])


def test_max_unpool_inverts_max_pool():
    for nd, shape in ((1, (1, 2, 6)), (2, (1, 2, 4, 4)), (3, (1, 1, 2, 4, 4))):
        pool = getattr(nn, f"MaxPool{nd}d")(2, return_indices=True)
        unpool = getattr(nn, f"MaxUnpool{nd}d")(2)
        assert repr(unpool) == (f"MaxUnpool{nd}d(kernel_size={(2,) * nd}, stride={(2,) * nd}, "
                                f"padding={(0,) * nd})")
        x = _x(*shape)
        y, idx = pool(x)
        z = _np(unpool(y, idx))
        xn = _np(x)
        kept = z != 0
        np.testing.assert_array_equal(z[kept], xn[kept])      # maxima back in place
        assert kept.sum() == y.numel()
        z2 = unpool(y, idx, output_size=list(shape[2:]))
        assert tuple(z2.shape) == shape


def test_fractional_max_pool_shapes_and_indices():
    torch.manual_seed(0)
    m = nn.FractionalMaxPool2d(2, output_ratio=0.5, return_indices=True)
    x = _x(1, 2, 8, 6)
    y, idx = m(x)
    assert tuple(y.shape) == (1, 2, 4, 3) and tuple(idx.shape) == (1, 2, 4, 3)
    flat = _np(x).reshape(1, 2, -1)
    np.testing.assert_array_equal(np.take_along_axis(flat, _np(idx).reshape(1, 2, -1), 2),
                                  _np(y).reshape(1, 2, -1))


def test_modules_in_a_network():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.MaxPool2d(2),
                        nn.AdaptiveAvgPool2d(1))
    y = net(_x(2, 1, 6, 6).float())
    assert tuple(y.shape) == (2, 4, 1, 1) and y.dtype == torch.float32
    assert list(net.state_dict().keys()) == [
        "0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
        "1.num_batches_tracked"]


# ---------------------------------------------------------------- adaptive softmax and the rest


def test_adaptive_log_softmax_log_prob_predict_and_gradients():
    torch.manual_seed(0)
    m = nn.AdaptiveLogSoftmaxWithLoss(4, 7, [2, 5], div_value=1.5).double()
    assert (m.shortlist_size, m.n_clusters, m.head_size, m.cutoffs) == (2, 2, 4, [2, 5, 7])
    x = _x(6, 4, seed=3)
    lp = m.log_prob(x)
    ref = _np_adaptive_log_prob(m, _np(x))
    np.testing.assert_allclose(_np(lp), ref, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(np.exp(ref).sum(1), np.ones(6), rtol=1e-12)
    np.testing.assert_array_equal(_np(m.predict(x)), ref.argmax(1))
    # an unbatched input with a 0-d target
    out = m(x[0], _idx(6))
    assert out.output.dim() == 0 and out.output.item() == pytest.approx(ref[0, 6], rel=1e-12)
    assert out.loss.item() == pytest.approx(-ref[0, 6], rel=1e-12)
    t = _idx([0, 6, 3, 1, 4, 5])
    params = [p.detach().clone().requires_grad_(True) for p in m.parameters()]
    names = [n for n, _ in m.named_parameters()]

    def loss(inp, *ps):
        mods = {n: m.get_submodule(n.rsplit(".", 1)[0]) for n in names}
        saved = {n: mods[n]._parameters["weight"] for n in names}
        for n, p in zip(names, ps):
            mods[n]._parameters["weight"] = p
        try:
            return m(inp, t).loss
        finally:
            for n in names:
                mods[n]._parameters["weight"] = saved[n]
    assert gradcheck(loss, (x.clone().requires_grad_(True), *params))


def test_deprecated_nll_loss_2d_and_container():
    with pytest.warns(FutureWarning, match="`NLLLoss2d` has been deprecated. Please use "
                                           "`NLLLoss` instead"):
        m = nn.NLLLoss2d(ignore_index=1, reduction="sum")
    assert isinstance(m, nn.NLLLoss) and repr(m) == "NLLLoss2d()"
    logp = F.log_softmax(_x(2, 3, 2, 2), 1)
    t = _idx([[[0, 1], [2, 1]], [[0, 0], [2, 2]]])
    want = -sum(_np(logp)[n, t_, i, j] for n in range(2) for i in range(2) for j in range(2)
                if (t_ := int(_np(t)[n, i, j])) != 1)
    assert m(logp, t).item() == pytest.approx(want, rel=1e-12)
    with pytest.warns(FutureWarning, match="`nn.Container` is deprecated. All of its "
                                           "functionality is now implemented in `nn.Module`"):
        c = nn.Container(a=nn.Linear(2, 3), b=nn.ReLU())
    assert list(dict(c.named_children())) == ["a", "b"]
    assert repr(c) == ("Container(\n  (a): Linear(in_features=2, out_features=3, bias=True)\n"
                       "  (b): ReLU()\n)")


def test_sync_batch_norm_conversion():
    net = nn.Sequential(nn.Conv2d(3, 3, 1), nn.BatchNorm2d(3),
                        nn.Sequential(nn.BatchNorm1d(4, affine=False, momentum=None)))
    net[1].running_mean.fill_(2.0)
    net[2].eval()
    w = net[1].weight
    out = nn.SyncBatchNorm.convert_sync_batchnorm(net, process_group="group")
    assert out is net and type(net[1]) is nn.SyncBatchNorm and type(net[2][0]) is nn.SyncBatchNorm
    assert net[1].weight is w and net[1].process_group == "group"
    assert net[1].running_mean.tolist() == [2.0, 2.0, 2.0] and net[1].training
    assert not net[2][0].training and net[2][0].momentum is None and net[2][0].weight is None
    assert repr(net[2][0]) == ("SyncBatchNorm(4, eps=1e-05, momentum=None, affine=False, "
                               "bias=False, track_running_stats=True)")
    bn = nn.BatchNorm1d(3)
    assert type(nn.SyncBatchNorm.convert_sync_batchnorm(bn)) is nn.SyncBatchNorm
    # the running statistics move as BatchNorm's do
    x = _x(4, 3, 5)
    s = nn.SyncBatchNorm(3).double()
    s(x)
    xs = _np(x)
    np.testing.assert_allclose(_np(s.running_mean), 0.1 * xs.mean((0, 2)), rtol=1e-12)
    np.testing.assert_allclose(_np(s.running_var), 0.9 + 0.1 * xs.var((0, 2), ddof=1),
                               rtol=1e-12)


def test_data_parallel_on_the_emulated_device():
    torch.cuda._emulate(True)
    try:
        m = nn.Linear(3, 2).double()
        w = _np(m.weight).copy()
        dp = nn.DataParallel(m)
        assert dp.device_ids == [0] and dp.output_device == 0 and str(m.weight.device) == "cuda:0"
        x = _x(5, 3)
        y = dp(x)
        assert str(y.device) == "cuda:0"
        np.testing.assert_allclose(_np(y.cpu()), _np(x) @ w.T + _np(m.bias.cpu()), rtol=1e-12)
        # a list of devices: the batch is split, each slice runs on a replica
        # whose parameters are differentiable copies, the outputs are joined
        dp2 = nn.DataParallel(m, device_ids=[0, "cuda:0"])
        y2 = dp2(x)
        np.testing.assert_allclose(_np(y2.cpu()), _np(y.cpu()), rtol=1e-12)
        y2.sum().backward()
        np.testing.assert_allclose(_np(m.weight.grad.cpu()), np.tile(_np(x).sum(0), (2, 1)),
                                   rtol=1e-12)
        m.cpu()
        with pytest.raises(RuntimeError, match=r"module must have its parameters and buffers on "
                                               r"device cuda:0 \(device_ids\[0\]\) but found "
                                               "one of them on device: cpu"):
            dp2(x)
    finally:
        torch.cuda._emulate(False)
