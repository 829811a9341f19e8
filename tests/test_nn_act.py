"""nn layer classes over nn.functional: activations, losses, parameter-free
layers (dropout, padding, shuffles, upsampling, distances, fold/unfold).

Every class is a table entry: its constructor, the repr PyTorch prints for it,
the inputs it takes and the functional call it must equal (nn.functional is
itself tested against numpy). Gradients are checked with gradcheck in float64."""
import warnings

import numpy as np
import pytest

import ctorch as torch
import ctorch.nn as nn
import ctorch.nn.functional as F
from ctorch.autograd import gradcheck


# Input descriptors: ("f", shape) normal floats; ("u", shape) floats in (0.05, 0.95);
# ("big", shape) normal floats times 4; ("pos", shape) floats in (0.5, 2);
# ("cls", shape, C) class indices;
# ("sign", shape) +-1 floats; ("lit", values, dtype) a literal tensor.
def _make(desc, rng):
    kind = desc[0]
    if kind == "f":
        return torch.tensor(rng.standard_normal(desc[1]))
    if kind == "big":
        return torch.tensor(4 * rng.standard_normal(desc[1]))
    if kind == "u":
        return torch.tensor(rng.uniform(0.05, 0.95, desc[1]))
    if kind == "pos":
        return torch.tensor(rng.uniform(0.5, 2.0, desc[1]))
    if kind == "cls":
        return torch.tensor(rng.integers(0, desc[2], desc[1]), dtype=torch.int64)
    if kind == "sign":
        return torch.tensor(rng.choice([-1.0, 1.0], desc[1]))
    if kind == "lit":
        return torch.tensor(desc[1], dtype=desc[2])
    if kind == "lsm":
        return torch.tensor(rng.standard_normal(desc[1])).log_softmax(-1)
    raise AssertionError(desc)


def _inputs(descs, seed=0):
    rng = np.random.default_rng(seed)
    return [_make(d, rng) for d in descs]


F1 = [("f", (3, 4))]
F4D = [("f", (2, 3, 4, 5))]
PAIR = [("f", (3, 5)), ("f", (3, 5))]
i64 = torch.int64

# (constructor source, repr, inputs, reference (source of a lambda over F and the
# inputs; `m` is the module), gradcheck?)
CASES = [
    # ---------------------------------------------------------- activations
    ("nn.ReLU()", "ReLU()", F1, "lambda x: F.relu(x)", True),
    ("nn.ReLU(inplace=True)", "ReLU(inplace=True)", F1, "lambda x: F.relu(x)", False),
    ("nn.ReLU6()", "ReLU6()", [("big", (20,))], "lambda x: F.relu6(x)", True),
    ("nn.ReLU6(True)", "ReLU6(inplace=True)", F1, "lambda x: F.relu6(x)", False),
    ("nn.LeakyReLU()", "LeakyReLU(negative_slope=0.01)", F1, "lambda x: F.leaky_relu(x)", True),
    ("nn.LeakyReLU(0.2, True)", "LeakyReLU(negative_slope=0.2, inplace=True)", F1,
     "lambda x: F.leaky_relu(x, 0.2)", False),
    ("nn.PReLU(dtype=torch.float64)", "PReLU(num_parameters=1)", F1,
     "lambda x: F.prelu(x, m.weight)", True),
    ("nn.PReLU(3, 0.1, dtype=torch.float64)", "PReLU(num_parameters=3)", [("f", (2, 3, 4))],
     "lambda x: F.prelu(x, m.weight)", True),
    ("nn.ELU()", "ELU(alpha=1.0)", F1, "lambda x: F.elu(x)", True),
    ("nn.ELU(0.5, True)", "ELU(alpha=0.5, inplace=True)", F1, "lambda x: F.elu(x, 0.5)", False),
    ("nn.SELU()", "SELU()", F1, "lambda x: F.selu(x)", True),
    ("nn.SELU(True)", "SELU(inplace=True)", F1, "lambda x: F.selu(x)", False),
    ("nn.CELU(2.0)", "CELU(alpha=2.0)", F1, "lambda x: F.celu(x, 2.0)", True),
    ("nn.GELU()", "GELU(approximate='none')", F1, "lambda x: F.gelu(x)", True),
    ("nn.GELU('tanh')", "GELU(approximate='tanh')", F1,
     "lambda x: F.gelu(x, approximate='tanh')", True),
    ("nn.SiLU()", "SiLU()", F1, "lambda x: F.silu(x)", True),
    ("nn.SiLU(inplace=True)", "SiLU(inplace=True)", F1, "lambda x: F.silu(x)", False),
    ("nn.Mish()", "Mish()", F1, "lambda x: F.mish(x)", True),
    ("nn.Sigmoid()", "Sigmoid()", F1, "lambda x: torch.sigmoid(x)", True),
    ("nn.Tanh()", "Tanh()", F1, "lambda x: torch.tanh(x)", True),
    ("nn.Hardtanh()", "Hardtanh(min_val=-1.0, max_val=1.0)", F1, "lambda x: F.hardtanh(x)",
     True),
    ("nn.Hardtanh(-0.5, 2, True)", "Hardtanh(min_val=-0.5, max_val=2, inplace=True)", F1,
     "lambda x: F.hardtanh(x, -0.5, 2)", False),
    ("nn.Hardsigmoid()", "Hardsigmoid()", F1, "lambda x: F.hardsigmoid(x)", True),
    ("nn.Hardswish()", "Hardswish()", F1, "lambda x: F.hardswish(x)", True),
    ("nn.Hardshrink()", "Hardshrink(0.5)", F1, "lambda x: F.hardshrink(x)", True),
    ("nn.Softshrink(1)", "Softshrink(1)", F1, "lambda x: F.softshrink(x, 1)", True),
    ("nn.Tanhshrink()", "Tanhshrink()", F1, "lambda x: F.tanhshrink(x)", True),
    ("nn.Softsign()", "Softsign()", F1, "lambda x: F.softsign(x)", True),
    ("nn.Softplus()", "Softplus(beta=1.0, threshold=20.0)", F1, "lambda x: F.softplus(x)", True),
    ("nn.Softplus(2, 1)", "Softplus(beta=2, threshold=1)", F1,
     "lambda x: F.softplus(x, 2, 1)", True),
    ("nn.LogSigmoid()", "LogSigmoid()", F1, "lambda x: F.logsigmoid(x)", True),
    ("nn.Threshold(0.1, 20)", "Threshold(threshold=0.1, value=20)", F1,
     "lambda x: F.threshold(x, 0.1, 20)", True),
    ("nn.Threshold(0.1, 20, True)", "Threshold(threshold=0.1, value=20, inplace=True)", F1,
     "lambda x: F.threshold(x, 0.1, 20)", False),
    ("nn.RReLU().eval()", "RReLU(lower=0.125, upper=0.3333333333333333)", F1,
     "lambda x: F.leaky_relu(x, (1 / 8 + 1 / 3) / 2)", True),
    ("nn.RReLU(0.1, 0.3, inplace=True).eval()", "RReLU(lower=0.1, upper=0.3, inplace=True)",
     F1, "lambda x: F.leaky_relu(x, 0.2)", False),
    ("nn.GLU()", "GLU(dim=-1)", F1, "lambda x: F.glu(x)", True),
    ("nn.GLU(0)", "GLU(dim=0)", [("f", (4, 3))], "lambda x: F.glu(x, 0)", True),
    ("nn.Softmax(1)", "Softmax(dim=1)", F1, "lambda x: F.softmax(x, 1)", True),
    ("nn.LogSoftmax(dim=0)", "LogSoftmax(dim=0)", F1, "lambda x: F.log_softmax(x, 0)", True),
    ("nn.Softmin(-1)", "Softmin(dim=-1)", F1, "lambda x: F.softmin(x, -1)", True),
    ("nn.Softmax2d()", "Softmax2d()", F4D, "lambda x: F.softmax(x, 1)", True),
    ("nn.Softmax2d()", "Softmax2d()", [("f", (3, 4, 5))], "lambda x: F.softmax(x, 0)", False),
    # ---------------------------------------------------------- losses
    ("nn.MSELoss()", "MSELoss()", PAIR, "lambda a, b: F.mse_loss(a, b)", True),
    ("nn.MSELoss(reduction='sum')", "MSELoss()", PAIR,
     "lambda a, b: F.mse_loss(a, b, reduction='sum')", False),
    ("nn.L1Loss(reduction='none')", "L1Loss()", PAIR,
     "lambda a, b: F.l1_loss(a, b, reduction='none')", True),
    ("nn.SmoothL1Loss(beta=0.5)", "SmoothL1Loss()", PAIR,
     "lambda a, b: F.smooth_l1_loss(a, b, beta=0.5)", True),
    ("nn.HuberLoss(delta=0.7)", "HuberLoss()", PAIR,
     "lambda a, b: F.huber_loss(a, b, delta=0.7)", True),
    ("nn.CrossEntropyLoss()", "CrossEntropyLoss()", [("f", (4, 3)), ("cls", (4,), 3)],
     "lambda x, t: F.cross_entropy(x, t)", True),
    ("nn.CrossEntropyLoss(weight=torch.tensor([1., 2., 0.5], dtype=torch.float64), "
     "ignore_index=1, label_smoothing=0.1)", "CrossEntropyLoss()",
     [("f", (5, 3)), ("cls", (5,), 3)],
     "lambda x, t: F.cross_entropy(x, t, m.weight, ignore_index=1, label_smoothing=0.1)", True),
    ("nn.CrossEntropyLoss(reduction='sum')", "CrossEntropyLoss()", [("f", (4, 3)), ("u", (4, 3))],
     "lambda x, t: F.cross_entropy(x, t, reduction='sum')", True),
    ("nn.NLLLoss()", "NLLLoss()", [("lsm", (4, 3)), ("cls", (4,), 3)],
     "lambda x, t: F.nll_loss(x, t)", True),
    ("nn.NLLLoss(torch.tensor([1., 2., 3.], dtype=torch.float64), reduction='none')", "NLLLoss()",
     [("lsm", (2, 3, 4)), ("cls", (2, 4), 3)],
     "lambda x, t: F.nll_loss(x, t, m.weight, reduction='none')", True),
    ("nn.BCELoss()", "BCELoss()", [("u", (3, 4)), ("u", (3, 4))],
     "lambda x, t: F.binary_cross_entropy(x, t)", True),
    ("nn.BCELoss(weight=torch.tensor([1., 2., 3., 4.], dtype=torch.float64))", "BCELoss()",
     [("u", (3, 4)), ("u", (3, 4))],
     "lambda x, t: F.binary_cross_entropy(x, t, m.weight)", True),
    ("nn.BCEWithLogitsLoss()", "BCEWithLogitsLoss()", [("f", (3, 4)), ("u", (3, 4))],
     "lambda x, t: F.binary_cross_entropy_with_logits(x, t)", True),
    ("nn.BCEWithLogitsLoss(pos_weight=torch.tensor([1., 2., 3., 4.], dtype=torch.float64))",
     "BCEWithLogitsLoss()", [("f", (3, 4)), ("u", (3, 4))],
     "lambda x, t: F.binary_cross_entropy_with_logits(x, t, pos_weight=m.pos_weight)", True),
    ("nn.KLDivLoss(reduction='batchmean')", "KLDivLoss()", [("lsm", (3, 4)), ("u", (3, 4))],
     "lambda x, t: F.kl_div(x, t, reduction='batchmean')", True),
    ("nn.KLDivLoss(reduction='sum', log_target=True)", "KLDivLoss()",
     [("lsm", (3, 4)), ("lsm", (3, 4))],
     "lambda x, t: F.kl_div(x, t, reduction='sum', log_target=True)", True),
    ("nn.PoissonNLLLoss()", "PoissonNLLLoss()", [("f", (3, 4)), ("pos", (3, 4))],
     "lambda x, t: F.poisson_nll_loss(x, t)", True),
    ("nn.PoissonNLLLoss(log_input=False, full=True)", "PoissonNLLLoss()",
     [("pos", (3, 4)), ("pos", (3, 4))],
     "lambda x, t: F.poisson_nll_loss(x, t, log_input=False, full=True)", True),
    ("nn.GaussianNLLLoss(full=True)", "GaussianNLLLoss()",
     [("f", (3, 4)), ("f", (3, 4)), ("pos", (3, 4))],
     "lambda x, t, v: F.gaussian_nll_loss(x, t, v, full=True)", True),
    ("nn.CosineEmbeddingLoss(0.2)", "CosineEmbeddingLoss()",
     [("f", (4, 5)), ("f", (4, 5)), ("sign", (4,))],
     "lambda a, b, y: F.cosine_embedding_loss(a, b, y, 0.2)", False),
    ("nn.MarginRankingLoss(0.5)", "MarginRankingLoss()", [("f", (6,)), ("f", (6,)), ("sign", (6,))],
     "lambda a, b, y: F.margin_ranking_loss(a, b, y, 0.5)", True),
    ("nn.HingeEmbeddingLoss()", "HingeEmbeddingLoss()", [("f", (6,)), ("sign", (6,))],
     "lambda x, y: F.hinge_embedding_loss(x, y)", True),
    ("nn.SoftMarginLoss()", "SoftMarginLoss()", [("f", (6,)), ("sign", (6,))],
     "lambda x, y: F.soft_margin_loss(x, y)", True),
    ("nn.TripletMarginLoss()", "TripletMarginLoss()", [("f", (3, 5))] * 3,
     "lambda a, p, n: F.triplet_margin_loss(a, p, n)", True),
    ("nn.TripletMarginLoss(margin=0.5, p=1, swap=True)", "TripletMarginLoss()",
     [("f", (3, 5))] * 3, "lambda a, p, n: F.triplet_margin_loss(a, p, n, 0.5, 1, swap=True)",
     False),
    ("nn.TripletMarginWithDistanceLoss()",
     "TripletMarginWithDistanceLoss(\n  (distance_function): PairwiseDistance()\n)",
     [("f", (3, 5))] * 3, "lambda a, p, n: F.triplet_margin_with_distance_loss(a, p, n)", True),
    ("nn.TripletMarginWithDistanceLoss(distance_function=nn.CosineSimilarity(), margin=2.0)",
     "TripletMarginWithDistanceLoss(\n  (distance_function): CosineSimilarity()\n)",
     [("f", (3, 5))] * 3, "lambda a, p, n: F.triplet_margin_with_distance_loss("
     "a, p, n, distance_function=F.cosine_similarity, margin=2.0)", False),
    ("nn.MultiMarginLoss()", "MultiMarginLoss()", [("f", (4, 3)), ("cls", (4,), 3)],
     "lambda x, t: F.multi_margin_loss(x, t)", True),
    ("nn.MultiMarginLoss(p=2, margin=0.5, weight=torch.tensor([1., 2., 3.], "
     "dtype=torch.float64))", "MultiMarginLoss()", [("f", (4, 3)), ("cls", (4,), 3)],
     "lambda x, t: F.multi_margin_loss(x, t, 2, 0.5, m.weight)", True),
    ("nn.MultiLabelMarginLoss()", "MultiLabelMarginLoss()",
     [("f", (2, 4)), ("lit", [[3, 0, -1, 1], [1, 2, 3, -1]], i64)],
     "lambda x, t: F.multilabel_margin_loss(x, t)", True),
    ("nn.MultiLabelSoftMarginLoss()", "MultiLabelSoftMarginLoss()",
     [("f", (3, 4)), ("lit", [[0, 1, 1, 0], [1, 0, 0, 0], [1, 1, 1, 1]], torch.float64)],
     "lambda x, t: F.multilabel_soft_margin_loss(x, t)", True),
    ("nn.CTCLoss()", "CTCLoss()",
     [("lsm", (6, 2, 4)), ("lit", [[1, 2, 2], [3, 1, 0]], i64), ("lit", [6, 5], i64),
      ("lit", [3, 2], i64)],
     "lambda lp, t, il, tl: F.ctc_loss(lp, t, il, tl)", False),
    ("nn.CTCLoss(blank=3, reduction='sum', zero_infinity=True)", "CTCLoss()",
     [("lsm", (6, 2, 4)), ("lit", [[1, 2, 2], [0, 1, 0]], i64), ("lit", [6, 5], i64),
      ("lit", [3, 2], i64)],
     "lambda lp, t, il, tl: F.ctc_loss(lp, t, il, tl, 3, 'sum', True)", False),
    # ---------------------------------------------------------- simple layers
    ("nn.Identity(3, a=4)", "Identity()", F1, "lambda x: x", True),
    ("nn.Flatten()", "Flatten(start_dim=1, end_dim=-1)", F4D, "lambda x: x.reshape(2, 60)", True),
    ("nn.Flatten(0, 2)", "Flatten(start_dim=0, end_dim=2)", F4D, "lambda x: x.reshape(24, 5)",
     False),
    ("nn.Unflatten(1, (2, 2))", "Unflatten(dim=1, unflattened_size=(2, 2))", F1,
     "lambda x: x.reshape(3, 2, 2)", True),
    ("nn.Unflatten(-1, [2, -1])", "Unflatten(dim=-1, unflattened_size=[2, -1])", F1,
     "lambda x: x.reshape(3, 2, 2)", False),
    ("nn.Dropout().eval()", "Dropout(p=0.5, inplace=False)", F1, "lambda x: x", False),
    ("nn.Dropout(0.2, True).eval()", "Dropout(p=0.2, inplace=True)", F1, "lambda x: x", False),
    ("nn.Dropout(0.0)", "Dropout(p=0.0, inplace=False)", F1, "lambda x: x", True),
    ("nn.Dropout1d(0.3).eval()", "Dropout1d(p=0.3, inplace=False)", [("f", (2, 3, 4))],
     "lambda x: x", False),
    ("nn.Dropout2d().eval()", "Dropout2d(p=0.5, inplace=False)", F4D, "lambda x: x", False),
    ("nn.Dropout3d().eval()", "Dropout3d(p=0.5, inplace=False)", [("f", (1, 2, 3, 2, 2))],
     "lambda x: x", False),
    ("nn.AlphaDropout(0.2).eval()", "AlphaDropout(p=0.2, inplace=False)", F1, "lambda x: x",
     False),
    ("nn.FeatureAlphaDropout().eval()", "FeatureAlphaDropout(p=0.5, inplace=False)", F4D,
     "lambda x: x", False),
    ("nn.ZeroPad1d(2)", "ZeroPad1d((2, 2))", [("f", (2, 3))], "lambda x: F.pad(x, (2, 2))", True),
    ("nn.ZeroPad2d((1, 0, 2, 1))", "ZeroPad2d((1, 0, 2, 1))", F4D,
     "lambda x: F.pad(x, (1, 0, 2, 1))", True),
    ("nn.ZeroPad3d(1)", "ZeroPad3d((1, 1, 1, 1, 1, 1))", [("f", (1, 2, 2, 3))],
     "lambda x: F.pad(x, (1,) * 6)", False),
    ("nn.ConstantPad1d((1, 2), 3.5)", "ConstantPad1d(padding=(1, 2), value=3.5)",
     [("f", (2, 3))], "lambda x: F.pad(x, (1, 2), value=3.5)", True),
    ("nn.ConstantPad2d(1, -1)", "ConstantPad2d(padding=(1, 1, 1, 1), value=-1)", F4D,
     "lambda x: F.pad(x, (1, 1, 1, 1), value=-1)", False),
    ("nn.ConstantPad3d((1, 0, 0, 1, 2, 0), 2)",
     "ConstantPad3d(padding=(1, 0, 0, 1, 2, 0), value=2)", [("f", (1, 2, 2, 3))],
     "lambda x: F.pad(x, (1, 0, 0, 1, 2, 0), value=2)", False),
    ("nn.ReflectionPad1d(2)", "ReflectionPad1d((2, 2))", [("f", (2, 2, 4))],
     "lambda x: F.pad(x, (2, 2), 'reflect')", True),
    ("nn.ReflectionPad2d((1, 2, 0, 1))", "ReflectionPad2d((1, 2, 0, 1))", F4D,
     "lambda x: F.pad(x, (1, 2, 0, 1), 'reflect')", True),
    ("nn.ReflectionPad3d(1)", "ReflectionPad3d((1, 1, 1, 1, 1, 1))", [("f", (1, 2, 3, 3, 3))],
     "lambda x: F.pad(x, (1,) * 6, 'reflect')", False),
    ("nn.ReplicationPad1d((0, 3))", "ReplicationPad1d((0, 3))", [("f", (2, 2, 4))],
     "lambda x: F.pad(x, (0, 3), 'replicate')", True),
    ("nn.ReplicationPad2d(2)", "ReplicationPad2d((2, 2, 2, 2))", F4D,
     "lambda x: F.pad(x, (2, 2, 2, 2), 'replicate')", False),
    ("nn.ReplicationPad3d(1)", "ReplicationPad3d((1, 1, 1, 1, 1, 1))", [("f", (1, 2, 3, 3, 3))],
     "lambda x: F.pad(x, (1,) * 6, 'replicate')", False),
    ("nn.CircularPad1d(2)", "CircularPad1d((2, 2))", [("f", (2, 2, 4))],
     "lambda x: F.pad(x, (2, 2), 'circular')", True),
    ("nn.CircularPad2d((1, 0, 2, 1))", "CircularPad2d((1, 0, 2, 1))", F4D,
     "lambda x: F.pad(x, (1, 0, 2, 1), 'circular')", False),
    ("nn.CircularPad3d(1)", "CircularPad3d((1, 1, 1, 1, 1, 1))", [("f", (1, 2, 3, 3, 3))],
     "lambda x: F.pad(x, (1,) * 6, 'circular')", False),
    ("nn.PixelShuffle(2)", "PixelShuffle(upscale_factor=2)", [("f", (1, 8, 2, 3))],
     "lambda x: F.pixel_shuffle(x, 2)", True),
    ("nn.PixelUnshuffle(2)", "PixelUnshuffle(downscale_factor=2)", [("f", (1, 2, 4, 6))],
     "lambda x: F.pixel_unshuffle(x, 2)", True),
    ("nn.ChannelShuffle(2)", "ChannelShuffle(groups=2)", [("f", (1, 4, 2, 2))],
     "lambda x: F.channel_shuffle(x, 2)", False),
    ("nn.Upsample(scale_factor=2)", "Upsample(scale_factor=2.0, mode='nearest')",
     [("f", (1, 2, 3))], "lambda x: F.interpolate(x, scale_factor=2.0)", True),
    ("nn.Upsample(size=(4, 5), mode='bilinear')", "Upsample(size=(4, 5), mode='bilinear')",
     [("f", (1, 2, 3, 3))], "lambda x: F.interpolate(x, (4, 5), mode='bilinear')", True),
    ("nn.Upsample(scale_factor=(2, 1.5), mode='bicubic', align_corners=True)",
     "Upsample(scale_factor=(2.0, 1.5), mode='bicubic')", [("f", (1, 1, 3, 4))],
     "lambda x: F.interpolate(x, scale_factor=(2.0, 1.5), mode='bicubic', align_corners=True)",
     False),
    ("nn.UpsamplingNearest2d(size=5)", "UpsamplingNearest2d(size=5, mode='nearest')",
     [("f", (1, 2, 3, 3))], "lambda x: F.interpolate(x, 5)", False),
    ("nn.UpsamplingBilinear2d(scale_factor=2)",
     "UpsamplingBilinear2d(scale_factor=2.0, mode='bilinear')", [("f", (1, 2, 3, 3))],
     "lambda x: F.interpolate(x, scale_factor=2.0, mode='bilinear', align_corners=True)", True),
    ("nn.CosineSimilarity()", "CosineSimilarity()", PAIR,
     "lambda a, b: F.cosine_similarity(a, b)", True),
    ("nn.CosineSimilarity(0, 1e-3)", "CosineSimilarity()", PAIR,
     "lambda a, b: F.cosine_similarity(a, b, 0, 1e-3)", False),
    ("nn.PairwiseDistance()", "PairwiseDistance()", PAIR,
     "lambda a, b: F.pairwise_distance(a, b)", True),
    ("nn.PairwiseDistance(1, keepdim=True)", "PairwiseDistance()", PAIR,
     "lambda a, b: F.pairwise_distance(a, b, 1, keepdim=True)", False),
    ("nn.Unfold(2)", "Unfold(kernel_size=2, dilation=1, padding=0, stride=1)",
     [("f", (1, 2, 3, 4))], "lambda x: F.unfold(x, 2)", True),
    ("nn.Unfold((2, 3), padding=1, stride=2)",
     "Unfold(kernel_size=(2, 3), dilation=1, padding=1, stride=2)", [("f", (1, 2, 4, 4))],
     "lambda x: F.unfold(x, (2, 3), 1, 1, 2)", False),
    ("nn.Fold((3, 4), 2)", "Fold(output_size=(3, 4), kernel_size=2, dilation=1, padding=0, "
     "stride=1)", [("f", (1, 8, 6))], "lambda x: F.fold(x, (3, 4), 2)", True),
]


def _id(case):
    return case[0]


def _build(src):
    return eval(src, {"nn": nn, "torch": torch})


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_repr(case):
    src, rep = case[0], case[1]
    assert repr(_build(src)) == rep


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_forward_equals_functional(case):
    src, rep, descs, ref = case[:4]
    m = _build(src)
    expected = eval(ref, {"F": F, "torch": torch, "m": m})(*_inputs(descs))
    xs = _inputs(descs)                   # fresh inputs: inplace modules write into theirs
    got = m(*xs)
    if "inplace=True" in rep:
        assert got.data_ptr() == xs[0].data_ptr()
    assert got.shape == expected.shape and got.dtype == expected.dtype
    np.testing.assert_allclose(got.detach().numpy(), expected.detach().numpy(),
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("case", [c for c in CASES if c[4]], ids=_id)
def test_gradcheck(case):
    src, _, descs = case[:3]
    m = _build(src)
    xs = _inputs(descs)
    # differentiate w.r.t. the floating inputs; the targets of the class-index
    # and +-1-label losses are not differentiable in PyTorch either
    diff = [i for i, x in enumerate(xs) if x.is_floating_point()]
    if "Loss" in src and len(xs) > 1 and "Triplet" not in src and "Margin" not in src \
            and "GaussianNLL" not in src:
        diff = diff[:1]
    if "MarginRanking" in src:
        diff = [0, 1]
    if src.startswith("nn.SoftMarginLoss"):
        diff = diff[:1]      # PyTorch refuses a target that requires grad

    def fn(*d):
        args = list(xs)
        for i, v in zip(diff, d):
            args[i] = v
        return m(*args)

    leaves = [xs[i].detach().requires_grad_() for i in diff]
    assert gradcheck(fn, leaves)


# ---------------------------------------------------------------- parameters, buffers, state

# (constructor, {parameter: shape}, {buffer: shape}, state_dict keys)
STATE = [
    ("nn.ReLU()", {}, {}, []),
    ("nn.PReLU()", {"weight": (1,)}, {}, ["weight"]),
    ("nn.PReLU(num_parameters=4, init=0.1)", {"weight": (4,)}, {}, ["weight"]),
    ("nn.MSELoss()", {}, {}, []),
    ("nn.CrossEntropyLoss()", {}, {}, []),
    ("nn.CrossEntropyLoss(weight=torch.ones(3))", {}, {"weight": (3,)}, ["weight"]),
    ("nn.NLLLoss(torch.ones(2))", {}, {"weight": (2,)}, ["weight"]),
    ("nn.BCELoss(torch.ones(2, 3))", {}, {"weight": (2, 3)}, ["weight"]),
    ("nn.BCEWithLogitsLoss(pos_weight=torch.ones(3))", {}, {"pos_weight": (3,)}, ["pos_weight"]),
    ("nn.BCEWithLogitsLoss(torch.ones(3), pos_weight=torch.ones(3))", {},
     {"weight": (3,), "pos_weight": (3,)}, ["weight", "pos_weight"]),
    ("nn.MultiMarginLoss(weight=torch.ones(5))", {}, {"weight": (5,)}, ["weight"]),
    ("nn.MultiLabelSoftMarginLoss(torch.ones(4))", {}, {"weight": (4,)}, ["weight"]),
    ("nn.TripletMarginWithDistanceLoss()", {}, {}, []),
    ("nn.Upsample(scale_factor=2)", {}, {}, []),
    ("nn.Dropout()", {}, {}, []),
]


@pytest.mark.parametrize("case", STATE, ids=_id)
def test_parameters_buffers_state_dict(case):
    src, params, buffers, keys = case
    m = _build(src)
    assert {k: tuple(v.shape) for k, v in m.named_parameters()} == params
    assert {k: tuple(v.shape) for k, v in m.named_buffers()} == buffers
    assert list(m.state_dict()) == keys
    for k in buffers:
        assert not getattr(m, k).requires_grad
    # a state_dict loads back into a fresh module of the same kind
    if keys:
        assert repr(_build(src).load_state_dict(m.state_dict())) == \
            "<All keys matched successfully>"


def test_prelu_init_and_factory_kwargs():
    m = nn.PReLU(3, init=0.1)
    assert isinstance(m.weight, nn.Parameter) and m.weight.dtype == torch.float32
    np.testing.assert_allclose(m.weight.detach().numpy(), [0.1] * 3, rtol=1e-7)
    with torch.no_grad():
        m.weight.fill_(2.0)
    m.reset_parameters()
    np.testing.assert_allclose(m.weight.detach().numpy(), [0.1] * 3, rtol=1e-7)
    assert nn.PReLU(dtype=torch.float64).weight.dtype == torch.float64
    assert nn.PReLU(device="cpu").weight.device.type == "cpu"
    x = torch.tensor([[-1.0, 2.0, -3.0]])
    y = m(x)
    y.sum().backward()
    np.testing.assert_allclose(y.detach().numpy(), [[-0.1, 2.0, -0.3]], rtol=1e-6)
    np.testing.assert_allclose(m.weight.grad.numpy(), [-1.0, 0.0, -3.0])


def test_attributes():
    assert nn.ReLU6().min_val == 0.0 and nn.ReLU6().max_val == 6.0
    assert nn.LeakyReLU(0.3).negative_slope == 0.3
    assert nn.Softmax().dim is None
    u = nn.Upsample(scale_factor=3)
    assert u.scale_factor == 3.0 and isinstance(u.scale_factor, float) and u.name == "Upsample"
    b = nn.UpsamplingBilinear2d(size=4)
    assert (b.mode, b.align_corners, b.size, b.scale_factor) == ("bilinear", True, 4, None)
    assert nn.PairwiseDistance(3).norm == 3
    z = nn.ZeroPad2d([1, 2, 3, 4])
    assert z.padding == (1, 2, 3, 4) and z.value == 0.0
    assert isinstance(nn.ZeroPad2d(1), nn.ConstantPad2d)
    assert isinstance(nn.ReLU6(), nn.Hardtanh)
    assert isinstance(nn.UpsamplingNearest2d(), nn.Upsample)
    ce = nn.CrossEntropyLoss(ignore_index=3, label_smoothing=0.2)
    assert (ce.ignore_index, ce.label_smoothing, ce.reduction, ce.weight) == (3, 0.2, "mean", None)
    assert nn.CTCLoss().blank == 0 and nn.PoissonNLLLoss().eps == 1e-8
    assert nn.GaussianNLLLoss().eps == 1e-6
    with pytest.raises(TypeError):
        nn.GaussianNLLLoss(True)     # keyword-only


@pytest.mark.parametrize("kwargs,reduction", [
    ({"size_average": False}, "sum"), ({"reduce": False}, "none"),
    ({"size_average": True, "reduce": True}, "mean"), ({"size_average": False, "reduce": False},
                                                       "none")])
def test_legacy_reduction_args(kwargs, reduction):
    for cls in (nn.MSELoss, nn.L1Loss, nn.NLLLoss, nn.CrossEntropyLoss, nn.BCELoss,
                nn.KLDivLoss, nn.SoftMarginLoss, nn.MultiMarginLoss):
        with pytest.warns(UserWarning, match=f"please use reduction='{reduction}' instead"):
            m = cls(**kwargs, reduction="mean")
        assert m.reduction == reduction
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert nn.MSELoss(reduction="sum").reduction == "sum"


def test_legacy_reduction_changes_the_value():
    a, b = _inputs(PAIR)
    with pytest.warns(UserWarning):
        m = nn.MSELoss(size_average=False)
    np.testing.assert_allclose(m(a, b).item(), ((a - b) ** 2).sum().item(), rtol=1e-12)


ERRORS = [
    ("nn.Dropout(1.5)", ValueError, "dropout probability has to be between 0 and 1, but got 1.5"),
    ("nn.Dropout2d(-0.1)", ValueError, "dropout probability has to be between 0 and 1"),
    ("nn.MultiMarginLoss(p=3)", ValueError, "only p == 1 and p == 2 supported"),
    ("nn.MultiMarginLoss(weight=torch.ones(2, 2))", ValueError,
     "MultiMarginLoss: expected weight to be None or 1D tensor, got 2D instead"),
    ("nn.TripletMarginLoss(margin=0)", ValueError,
     "TripletMarginLoss: expected margin to be greater than 0, got 0 instead"),
    ("nn.TripletMarginWithDistanceLoss(margin=-1.0)", ValueError,
     "TripletMarginWithDistanceLoss: expected margin to be greater than 0, got -1.0 instead"),
    ("nn.Hardtanh(2, 1)", AssertionError, r"max_val \(1\) must be greater than min_val \(2\)"),
    ("nn.Unflatten(1, 5)", TypeError,
     "unflattened_size must be a tuple of ints, but found type int"),
    ("nn.Unflatten(1, (2, 3.0))", TypeError,
     "unflattened_size must be tuple of ints, but found element of type float at pos 1"),
    ("nn.Softmax2d()(torch.ones(2))", ValueError,
     "Softmax2d: expected input to be 3D or 4D, got 1D instead"),
    ("nn.CircularPad2d(1)(torch.ones(2))", ValueError, r"expected 3D or 4D input \(got 1D input\)"),
    ("nn.CrossEntropyLoss(reduction='bad')(torch.ones(2, 3), torch.zeros(2, dtype=torch.int64))",
     ValueError, "bad is not a valid value for reduction"),
    ("nn.ReLU()(3)", TypeError, "must be Tensor"),
]


@pytest.mark.parametrize("case", ERRORS, ids=_id)
def test_errors(case):
    src, exc, msg = case
    with pytest.raises(exc, match=msg):
        _build(src)


# ---------------------------------------------------------------- training-mode randomness

def test_dropout_training():
    torch.manual_seed(0)
    x = torch.ones(4000, dtype=torch.float64)
    y = nn.Dropout(0.25)(x).numpy()
    assert set(np.unique(y)) <= {0.0, 4 / 3}
    assert 0.2 < (y == 0).mean() < 0.3
    # whole channels are dropped together
    y2 = nn.Dropout2d(0.5)(torch.ones(8, 50, 3, 3)).numpy()
    per_channel = y2.reshape(8, 50, 9)
    assert np.all(per_channel.min(-1) == per_channel.max(-1))
    assert 0.3 < (per_channel[..., 0] == 0).mean() < 0.7
    y1 = nn.Dropout1d(0.5)(torch.ones(4, 50, 5)).numpy()
    assert np.all(y1.min(-1) == y1.max(-1))
    # alpha dropout keeps zero mean and unit variance
    z = nn.AlphaDropout(0.3)(torch.randn(20000, dtype=torch.float64)).numpy()
    assert abs(z.mean()) < 0.1 and abs(z.std() - 1) < 0.1
    m = nn.Dropout(0.5, inplace=True)
    t = torch.ones(100)
    assert m(t).data_ptr() == t.data_ptr()


def test_rrelu_training_slopes():
    torch.manual_seed(0)
    m = nn.RReLU(0.1, 0.3)
    x = -torch.ones(2000, dtype=torch.float64)
    slopes = -m(x).numpy()
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3 and slopes.std() > 0.03
    m.eval()
    np.testing.assert_allclose(m(x).numpy(), -0.2, rtol=1e-12)


def test_modules_compose_in_sequential():
    net = nn.Sequential(nn.Flatten(), nn.ReLU(), nn.Dropout(0.1), nn.Softmax(dim=1))
    assert repr(net) == ("Sequential(\n  (0): Flatten(start_dim=1, end_dim=-1)\n  (1): ReLU()\n"
                         "  (2): Dropout(p=0.1, inplace=False)\n  (3): Softmax(dim=1)\n)")
    net.eval()
    x = _inputs(F4D)[0]
    np.testing.assert_allclose(net(x).numpy(), F.softmax(F.relu(x.reshape(2, 60)), 1).numpy(),
                               rtol=1e-12)


# PyTorch's own warnings: deprecated keywords, implicit softmax dims, size mismatches
WARNS = [
    ("nn.Hardtanh(min_value=-2.0)", FutureWarning,
     "keyword argument `min_value` is deprecated and renamed to `min_val`",
     "Hardtanh(min_val=-2.0, max_val=1.0)"),
    ("nn.Hardtanh(max_value=3.0)", FutureWarning,
     "keyword argument `max_value` is deprecated and renamed to `max_val`",
     "Hardtanh(min_val=-1.0, max_val=3.0)"),
    ("nn.Softmax()(torch.ones(2, 3)).shape", UserWarning,
     "Implicit dimension choice for softmax has been deprecated", "torch.Size([2, 3])"),
    ("nn.LogSoftmax()(torch.ones(2, 3)).shape", UserWarning,
     "Implicit dimension choice for log_softmax has been deprecated", "torch.Size([2, 3])"),
    ("nn.Softmin()(torch.ones(3)).shape", UserWarning,
     "Implicit dimension choice for softmin has been deprecated", "torch.Size([3])"),
]


@pytest.mark.parametrize("case", WARNS, ids=_id)
def test_warnings(case):
    src, cat, msg, rep = case
    with pytest.warns(cat, match=msg):
        assert repr(_build(src)) == rep


def test_implicit_softmax_dim_values():
    x = _inputs([("f", (2, 3, 4))])[0]            # 3-d: PyTorch picks dim 0
    with pytest.warns(UserWarning):
        y = nn.Softmax()(x)
    np.testing.assert_allclose(y.numpy(), F.softmax(x, 0).numpy(), rtol=1e-12)
    x = _inputs(F4D)[0]                           # 4-d: dim 1
    with pytest.warns(UserWarning):
        y = nn.LogSoftmax()(x)
    np.testing.assert_allclose(y.numpy(), F.log_softmax(x, 1).numpy(), rtol=1e-12)


@pytest.mark.parametrize("src,msg", [
    ("nn.ReLU(True, 4)", r"ReLU.__init__\(\) takes from 1 to 2 positional arguments but 3"),
    ("nn.ELU(1.0, True, 3)", r"ELU.__init__\(\) takes from 1 to 3 positional arguments but 4"),
    ("nn.Sigmoid(a=4)", r"Sigmoid.__init__\(\) got an unexpected keyword argument 'a'"),
    ("nn.Softmax2d(3)", r"Softmax2d.__init__\(\) takes 1 positional argument but 2 were given"),
    ("nn.ReflectionPad2d(1, 2)", r"ReflectionPad2d.__init__\(\) takes 2 positional arguments"),
    ("nn.MarginRankingLoss(0.1, None, None, 'sum', 1)",
     r"MarginRankingLoss.__init__\(\) takes from 1 to 5 positional arguments but 6"),
])
def test_constructor_argument_errors(src, msg):
    with pytest.raises(TypeError, match=msg):
        _build(src)


def test_copy_and_pickle():
    import copy
    import pickle
    m = nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0]))
    c = copy.deepcopy(m)
    assert c.weight.data_ptr() != m.weight.data_ptr() and list(c.state_dict()) == ["weight"]
    p = pickle.loads(pickle.dumps(nn.BCEWithLogitsLoss(pos_weight=torch.ones(2))))
    np.testing.assert_array_equal(p.pos_weight.numpy(), [1.0, 1.0])
    assert repr(pickle.loads(pickle.dumps(nn.Softmax(1)))) == "Softmax(dim=1)"
    # module conversions reach PReLU's weight and loss weight buffers
    net = nn.Sequential(nn.PReLU(2), nn.NLLLoss(torch.ones(2))).double()
    assert net[0].weight.dtype == torch.float64 and net[1].weight.dtype == torch.float64


@pytest.mark.parametrize("src,descs", [
    ("nn.ELU(0.7)", F1), ("nn.Softplus(2.0)", F1), ("nn.GELU('tanh')", F1),
    ("nn.CrossEntropyLoss()", [("f", (3, 4)), ("cls", (3,), 4)]),
    ("nn.MSELoss()", PAIR),
])
def test_gradgradcheck(src, descs):
    from ctorch.autograd import gradgradcheck
    m = _build(src)
    xs = _inputs(descs)
    x = xs[0].requires_grad_()
    assert gradgradcheck(lambda v: m(v, *xs[1:]), (x,))
