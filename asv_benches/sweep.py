"""ctorch vs PyTorch, op by op, in one process.

    python -m asv_benches.sweep [--threads N] [--filter A,B,...] [--repeat N] [--below R]

A table of the tensor API's ops (pointwise, reductions, indexing, shapes,
sorting, linalg, fft, torch.special, their gradients) on seeded data: each
row's setup and statement are run by both libraries (`mod` is ctorch or
torch), timed as compare.py times its probes (interleaved samples, medians),
with both libraries held to the same number of threads (default 1). The
ratio is t_torch / t_ctorch: > 1 means ctorch is faster. Needs PyTorch.
"""
import argparse
import os
import platform

import numpy as np

import ctorch

from .compare import _fmt_r, _fmt_t, _time_probe

try:
    import torch
except ImportError:
    torch = None

PRELUDE = """
def R(shape, dtype="float32", seed=0, lo=None, hi=None):
    rng = np.random.default_rng(seed)
    if dtype in ("int64", "int32", "uint8", "int16"):
        a = rng.integers(lo if lo is not None else -1000, hi if hi is not None else 1000,
                         size=shape).astype(dtype)
    elif dtype == "bool":
        a = rng.random(shape) < 0.5
    elif dtype.startswith("complex"):
        a = (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)
    else:
        a = rng.standard_normal(shape)
        if lo is not None:
            a = lo + (hi - lo) * rng.random(shape)
        a = a.astype(dtype)
    return mod.from_numpy(np.ascontiguousarray(a)).clone()

def SPD(n, dtype="float64", batch=(), seed=0):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(batch + (n, n))
    a = a @ np.swapaxes(a, -1, -2) + n * np.eye(n)
    return mod.from_numpy(np.ascontiguousarray(a.astype(dtype))).clone()

def G(*ts):
    return [t.requires_grad_() for t in ts]
"""

S, M, L = "(1000,)", "(100_000,)", "(1_000_000,)"
BF2 = "a=R(%s).to(mod.bfloat16); b=R(%s, seed=1).to(mod.bfloat16)" % (L, L)   # two bfloat16 operands

# (name, setup, statement); setup and statement see mod, np, R, SPD, G
ROWS = [
    # pointwise
    ("add f32 1e6", "a=R(%s); b=R(%s, seed=1)" % (L, L), "a + b"),
    ("mul bcast 1000x1000 * 1000", "a=R((1000,1000)); b=R((1000,))", "a * b"),
    ("mul bcast 10000x100 * 100", "a=R((10000,100)); b=R((100,))", "a * b"),
    ("sqrt f32 1e6", "a=R(%s, lo=0.1, hi=9)" % L, "mod.sqrt(a)"),
    ("sqrt f64 1e6", "a=R(%s, 'float64', lo=0.1, hi=9)" % L, "mod.sqrt(a)"),
    ("rsqrt f32 1e6", "a=R(%s, lo=0.1, hi=9)" % L, "mod.rsqrt(a)"),
    ("rsqrt f64 1e6", "a=R(%s, 'float64', lo=0.1, hi=9)" % L, "mod.rsqrt(a)"),
    ("exp f32 1e6", "a=R(%s)" % L, "mod.exp(a)"),
    ("log f32 1e6", "a=R(%s, lo=0.1, hi=9)" % L, "mod.log(a)"),
    ("exp f64 1e6", "a=R(%s, 'float64')" % L, "mod.exp(a)"),
    ("log f64 1e6", "a=R(%s, 'float64', lo=0.1, hi=9)" % L, "mod.log(a)"),
    ("expm1 f64 1e6", "a=R(%s, 'float64')" % L, "mod.expm1(a)"),
    ("log1p f64 1e6", "a=R(%s, 'float64', lo=0.1, hi=9)" % L, "mod.log1p(a)"),
    ("sigmoid f64 1e6", "a=R(%s, 'float64')" % L, "mod.sigmoid(a)"),
    ("tanh f32 1e6", "a=R(%s)" % L, "mod.tanh(a)"),
    ("sigmoid f32 1e6", "a=R(%s)" % L, "mod.sigmoid(a)"),
    ("gelu exact f32 1e6", "a=R(%s)" % L, "mod.nn.functional.gelu(a)"),
    ("gelu tanh f32 1e6", "a=R(%s)" % L, "mod.nn.functional.gelu(a, approximate='tanh')"),
    ("gelu exact f64 1e6", "a=R(%s, 'float64')" % L, "mod.nn.functional.gelu(a)"),
    ("silu f64 1e6", "a=R(%s, 'float64')" % L, "mod.nn.functional.silu(a)"),
    ("elu f64 1e6", "a=R(%s, 'float64')" % L, "mod.nn.functional.elu(a)"),
    ("softshrink f32 1e6", "a=R(%s)" % L, "mod.nn.functional.softshrink(a)"),
    ("leaky_relu f32 1e6", "a=R(%s)" % L, "mod.nn.functional.leaky_relu(a)"),
    ("erf f32 1e6", "a=R(%s)" % L, "mod.erf(a)"),
    ("erfc f32 1e6", "a=R(%s)" % L, "mod.erfc(a)"),
    ("erfc f64 1e6", "a=R(%s, 'float64')" % L, "mod.erfc(a)"),
    ("erfinv f32 1e6", "a=R(%s, lo=-0.99, hi=0.99)" % L, "mod.erfinv(a)"),
    ("erf f64 1e6", "a=R(%s, 'float64')" % L, "mod.erf(a)"),
    ("erfinv f64 1e6", "a=R(%s, 'float64', lo=-0.99, hi=0.99)" % L, "mod.erfinv(a)"),
    ("log10 f64 1e6", "a=R(%s, 'float64', lo=0.1, hi=9)" % L, "mod.log10(a)"),
    ("asin f64 1e6", "a=R(%s, 'float64', lo=-0.99, hi=0.99)" % L, "mod.asin(a)"),
    ("acos f64 1e6", "a=R(%s, 'float64', lo=-0.99, hi=0.99)" % L, "mod.acos(a)"),
    ("atan f64 1e6", "a=R(%s, 'float64')" % L, "mod.atan(a)"),
    ("cos f64 1e6", "a=R(%s, 'float64')" % L, "mod.cos(a)"),
    ("tan f64 1e6", "a=R(%s, 'float64')" % L, "mod.tan(a)"),
    ("tanh f64 1e6", "a=R(%s, 'float64')" % L, "mod.tanh(a)"),
    ("atan f32 1e6", "a=R(%s)" % L, "mod.atan(a)"),
    ("exp2 f64 1e6", "a=R(%s, 'float64')" % L, "mod.exp2(a)"),
    ("logit f64 1e6", "a=R(%s, 'float64', lo=0.01, hi=0.99)" % L, "mod.logit(a)"),
    ("sign f16 1e6", "a=R(%s, 'float16')" % L, "mod.sign(a)"),
    ("nan_to_num f16 1e6", "a=R(%s, 'float16')" % L, "mod.nan_to_num(a)"),
    ("erfc f16 1e6", "a=R(%s, 'float16')" % L, "mod.erfc(a)"),
    ("lgamma f32 1e6", "a=R(%s, lo=0.1, hi=20)" % L, "mod.lgamma(a)"),
    ("lgamma f64 1e6", "a=R(%s, 'float64', lo=0.1, hi=20)" % L, "mod.lgamma(a)"),
    ("digamma f64 1e5", "a=R(%s, 'float64', lo=0.1, hi=20)" % M, "mod.digamma(a)"),
    ("hypot f32 1e6", "a=R(%s); b=R(%s, seed=1)" % (L, L), "mod.hypot(a, b)"),
    ("hypot f64 1e6", "a=R(%s, 'float64'); b=R(%s, 'float64', seed=1)" % (L, L), "mod.hypot(a, b)"),
    ("atan2 f64 1e6", "a=R(%s, 'float64'); b=R(%s, 'float64', seed=1)" % (L, L), "mod.atan2(a, b)"),
    ("fmod f64 1e6", "a=R(%s, 'float64'); b=R(%s, 'float64', seed=1, lo=0.5, hi=2)" % (L, L),
     "mod.fmod(a, b)"),
    ("nextafter f64 1e6", "a=R(%s, 'float64'); b=R(%s, 'float64', seed=1)" % (L, L),
     "mod.nextafter(a, b)"),
    ("atan2 f16 1e6", "a=R(%s, 'float16'); b=R(%s, 'float16', seed=1)" % (L, L), "mod.atan2(a, b)"),
    ("logaddexp f32 1e6", "a=R(%s); b=R(%s, seed=1)" % (L, L), "mod.logaddexp(a, b)"),
    ("logaddexp2 f32 1e6", "a=R(%s); b=R(%s, seed=1)" % (L, L), "mod.logaddexp2(a, b)"),
    ("logaddexp f64 1e6", "a=R(%s, 'float64'); b=R(%s, 'float64', seed=1)" % (L, L), "mod.logaddexp(a, b)"),
    ("logaddexp2 f64 1e6", "a=R(%s, 'float64'); b=R(%s, 'float64', seed=1)" % (L, L), "mod.logaddexp2(a, b)"),
    ("sgn c64 1e6", "a=R(%s, 'complex64')" % L, "mod.sgn(a)"),
    ("sgn c128 1e6", "a=R(%s, 'complex128')" % L, "mod.sgn(a)"),
    ("logaddexp f64 1e6 bcast", "a=R((1000, 1000), 'float64'); b=R((1000, 1), 'float64', seed=1)",
     "mod.logaddexp(a, b)"),
    ("logaddexp f64 1e6 wide", "a=R(%s, 'float64', lo=-60, hi=60); b=R(%s, 'float64', seed=1, lo=-60, hi=60)" % (L, L),
     "mod.logaddexp(a, b)"),
    ("atan2 f32 1e6", "a=R(%s); b=R(%s, seed=1)" % (L, L), "mod.atan2(a, b)"),
    ("pow f32 1e6 ^2.5", "a=R(%s, lo=0.1, hi=9)" % L, "mod.pow(a, 2.5)"),
    ("pow f64 1e6 ^2.5", "a=R(%s, 'float64', lo=0.1, hi=9)" % L, "mod.pow(a, 2.5)"),
    ("pow f64 1e6 tensor", "a=R(%s, 'float64', lo=0.1, hi=9); b=R(%s, 'float64', seed=1)" % (L, L),
     "mod.pow(a, b)"),
    # inputs past the common ranges: negative arguments, wide exponents
    ("lgamma f32 1e6 normal", "a=R(%s) * 3" % L, "mod.lgamma(a)"),
    ("lgamma f64 1e6 normal", "a=R(%s, 'float64') * 3" % L, "mod.lgamma(a)"),
    ("digamma f32 1e6 normal", "a=R(%s) * 3" % L, "mod.digamma(a)"),
    ("pow f32 1e6 tensor normal", "a=R(%s) * 3; b=R(%s, seed=1) * 3" % (L, L), "mod.pow(a, b)"),
    ("exp2 f32 1e6 wide", "a=R(%s) * 100" % L, "mod.exp2(a)"),
    ("logaddexp f32 1e6 wide", "a=R(%s) * 100; b=R(%s, seed=1) * 100" % (L, L), "mod.logaddexp(a, b)"),
    ("special.i1e f32 1e6 wide", "a=R(%s) * 100" % L, "mod.special.i1e(a)"),
    ("igamma f32 1e5 normal", "a=R(%s) * 3; b=R(%s, seed=1) * 3" % (M, M), "mod.igamma(a, b)"),
    ("special.xlog1py f32 1e6", "a=R(%s); b=R(%s, seed=1, lo=-0.5, hi=3)" % (L, L), "mod.special.xlog1py(a, b)"),
    ("floor_divide int32 1e6", "a=R(%s, 'int32'); b=R(%s, 'int32', seed=1, lo=1, hi=100)" % (L, L),
     "mod.floor_divide(a, b)"),
    ("remainder int16 1e6", "a=R(%s, 'int16'); b=R(%s, 'int16', seed=1, lo=1, hi=100)" % (L, L),
     "mod.remainder(a, b)"),
    ("floor f16 1e6", "a=R(%s, 'float16')" % L, "mod.floor(a)"),
    ("sum f16 1e6", "a=R(%s, 'float16')" % L, "a.sum()"),
    ("float_power f32 1e6", "a=R(%s, lo=0.1, hi=9); b=R(%s, seed=1)" % (L, L), "mod.float_power(a, b)"),
    ("clamp f32 1e6", "a=R(%s)" % L, "mod.clamp(a, -0.5, 0.5)"),
    ("where f32 1e6", "a=R(%s); b=R(%s, seed=1); c=a > 0" % (L, L), "mod.where(c, a, b)"),
    ("lerp f32 1e6", "a=R(%s); b=R(%s, seed=1)" % (L, L), "mod.lerp(a, b, 0.3)"),
    ("addcmul f32 1e6", "a=R(%s); b=R(%s, seed=1); c=R(%s, seed=2)" % (L, L, L),
     "mod.addcmul(a, b, c, value=0.5)"),
    ("sinc f32 1e6", "a=R(%s)" % L, "mod.sinc(a)"),
    ("xlogy f32 1e6", "a=R(%s); b=R(%s, seed=1, lo=0.1, hi=9)" % (L, L), "mod.xlogy(a, b)"),
    ("gcd int64 1e5", "a=R(%s, 'int64'); b=R(%s, 'int64', seed=1)" % (M, M), "mod.gcd(a, b)"),
    ("frexp f32 1e6", "a=R(%s)" % L, "mod.frexp(a)"),
    ("frexp f64 1e6", "a=R(%s, 'float64')" % L, "mod.frexp(a)"),
    ("nan_to_num f32 1e6", "a=R(%s)" % L, "mod.nan_to_num(a)"),
    ("exp_ inplace f32 1e6", "a=R(%s, lo=-1, hi=0)" % L, "a.exp_()"),
    ("cast f32->f64 1e6", "a=R(%s)" % L, "a.double()"),
    ("t().contiguous 1000x1000", "a=R((1000,1000))", "a.t().contiguous()"),
    # reductions
    ("sum 5x3", "a=R((5,3))", "a.sum()"),
    ("sum f32 1e6", "a=R(%s)" % L, "a.sum()"),
    ("sum dim1 1000x1000", "a=R((1000,1000))", "a.sum(1)"),
    ("sum dim0 1000x1000", "a=R((1000,1000))", "a.sum(0)"),
    ("mean f64 1e6", "a=R(%s, 'float64')" % L, "a.mean()"),
    ("prod dim1 1000x1000", "a=R((1000,1000), lo=0.9, hi=1.1)", "a.prod(1)"),
    ("prod dim1 10x100000 denormals", "a=R((10,100000), lo=0.1, hi=0.9)", "a.prod(1)"),
    ("prod dim1 10x10000 denormals", "a=R((10,10000), lo=0.1, hi=0.9)", "a.prod(1)"),
    ("std dim1 1000x1000", "a=R((1000,1000))", "a.std(1)"),
    ("std f64 1e6", "a=R(%s, 'float64')" % L, "a.std()"),
    ("amax f16 1e6", "a=R(%s, 'float16')" % L, "a.amax()"),
    ("var_mean f32 1e6", "a=R(%s)" % L, "mod.var_mean(a)"),
    ("max dim1 1000x1000", "a=R((1000,1000))", "a.max(1)"),
    ("argmax f32 1e6", "a=R(%s)" % L, "a.argmax()"),
    ("amax dim0 1000x1000", "a=R((1000,1000))", "a.amax(0)"),
    ("aminmax f32 1e6", "a=R(%s)" % L, "mod.aminmax(a)"),
    ("norm f32 1e6", "a=R(%s)" % L, "a.norm()"),
    ("norm bf16 1e6", "a=R(%s).to(mod.bfloat16)" % L, "a.norm()"),
    ("norm f16 dim1 1000x1000", "a=R((1000,1000), 'float16')", "a.norm(dim=1)"),
    ("prod f16 1e6", "a=R(%s, 'float16', lo=0.999, hi=1.001)" % L, "a.prod()"),
    ("nextafter f16 1e6", "a=R(%s, 'float16'); b=R(%s, 'float16', seed=1)" % (L, L), "mod.nextafter(a, b)"),
    ("nextafter bf16 1e6", BF2, "mod.nextafter(a, b)"),
    ("copysign bf16 1e6", BF2, "mod.copysign(a, b)"),
    ("mul bf16 1e6", BF2, "a * b"),
    ("exp bf16 1e6", "a=R(%s).to(mod.bfloat16)" % L, "mod.exp(a)"),
    ("maximum bf16 1e6", BF2, "mod.maximum(a, b)"),
    ("mul by 0.1 bf16 1e6", BF2, "a * 0.1"),
    ("pow 2 bf16 1e6", BF2, "a.pow(2)"),
    ("lerp bf16 1e6", BF2, "mod.lerp(a, b, 0.3)"),
    ("lerp f16 1e6", "a=R(%s, 'float16'); b=R(%s, 'float16', seed=1)" % (L, L), "mod.lerp(a, b, 0.3)"),
    ("addcmul f16 1e6", "a=R(%s, 'float16'); b=R(%s, 'float16', seed=1)" % (L, L),
     "mod.addcmul(a, a, b, value=0.5)"),
    ("cast f32 -> int32 1e6", "a=R(%s) * 100" % L, "a.to(mod.int32)"),
    ("cast f32 -> bf16 1e6", "a=R(%s)" % L, "a.to(mod.bfloat16)"),
    ("mul int32 1e6", "a=R(%s, 'int32'); b=R(%s, 'int32', seed=1)" % (L, L), "a * b"),
    ("maximum int64 1e6", "a=R(%s, 'int64'); b=R(%s, 'int64', seed=1)" % (L, L), "mod.maximum(a, b)"),
    ("relu int16 1e6", "a=R(%s, 'int16')" % L, "mod.relu(a)"),
    ("signbit f64 1e6", "a=R(%s, 'float64')" % L, "mod.signbit(a)"),
    # reductions of a transposed matrix (in its memory order) and of short rows
    ("sum dim1 transposed 1000x1000", "a=R((1000,1000)).t()", "a.sum(1)"),
    ("sum dims (0,2) 256^3", "a=R((256,256,256))", "a.sum((0, 2))"),
    ("mean dims (0,2,3) 32x64x28x28", "a=R((32,64,28,28))", "a.mean((0, 2, 3))"),
    ("amax dims (0,2) 64^3", "a=R((64,64,64))", "a.amax((0, 2))"),
    ("amax dim1 transposed 1000x1000", "a=R((1000,1000)).t()", "a.amax(1)"),
    ("sum dim1 2048x100", "a=R((2048,100))", "a.sum(1)"),
    ("logsumexp dim1 2048x100", "a=R((2048,100))", "a.logsumexp(1)"),
    ("logsumexp dim0 2048x100", "a=R((2048,100))", "a.logsumexp(0)"),
    ("mean dim1 64x128x32", "a=R((64,128,32))", "a.mean(1)"),
    ("amax dim1 64x128x32", "a=R((64,128,32))", "a.amax(1)"),
    # strided views (every other element): blocks gathered into the vector loops
    ("maximum f32 1e6 strided", "a=R((2_000_000,))[::2]; b=R(%s, seed=1)" % L, "mod.maximum(a, b)"),
    ("relu f32 1e6 strided", "a=R((2_000_000,))[::2]", "mod.relu(a)"),
    ("sqrt f64 1e6 strided", "a=R((2_000_000,), 'float64', lo=0.1, hi=9)[::2]", "mod.sqrt(a)"),
    ("sin f64 1e6 strided", "a=R((2_000_000,), 'float64')[::2]", "mod.sin(a)"),
    ("exp f64 1e6 strided", "a=R((2_000_000,), 'float64')[::2]", "mod.exp(a)"),
    ("sinh f32 1e6 ints to 100", "a=R(%s, 'int64', lo=1, hi=100).float()" % L, "mod.sinh(a)"),
    ("erfc bool 1e6", "a=R(%s) > 0" % L, "mod.erfc(a)"),
    ("lgamma int64 1e6", "a=R(%s, 'int64', lo=1, hi=100)" % L, "mod.lgamma(a)"),
    ("vector_norm ord3 f32 1e6", "a=R(%s)" % L, "mod.linalg.vector_norm(a, 3)"),
    ("logsumexp dim1 1000x1000", "a=R((1000,1000))", "mod.logsumexp(a, 1)"),
    ("nansum f32 1e6", "a=R(%s)" % L, "mod.nansum(a)"),
    ("nanmean dim1 1000x1000", "a=R((1000,1000))", "mod.nanmean(a, 1)"),
    ("cumsum f32 1e6", "a=R(%s)" % L, "mod.cumsum(a, 0)"),
    ("cumsum dim1 1000x1000", "a=R((1000,1000))", "mod.cumsum(a, 1)"),
    ("cumprod dim1 1000x1000", "a=R((1000,1000), lo=0.9, hi=1.1)", "mod.cumprod(a, 1)"),
    ("cumsum f16 1e6", "a=R(%s, 'float16')" % L, "mod.cumsum(a, 0)"),
    ("cumsum bf16 dim1 1000x1000", "a=R((1000,1000)).to(mod.bfloat16)", "mod.cumsum(a, 1)"),
    ("cumsum f16 dim0 1000x1000", "a=R((1000,1000), 'float16')", "mod.cumsum(a, 0)"),
    ("cumsum int64 dim1 1000x1000", "a=R((1000,1000), 'int64')", "mod.cumsum(a, 1)"),
    ("cummax dim1 1000x1000", "a=R((1000,1000))", "mod.cummax(a, 1)"),
    ("logcumsumexp dim1 1000x1000", "a=R((1000,1000))", "mod.logcumsumexp(a, 1)"),
    ("all bool 1e6", "a=R(%s) > -10" % L, "a.all()"),
    ("count_nonzero f32 1e6", "a=R(%s)" % L, "mod.count_nonzero(a)"),
    ("softmax dim1 1000x1000", "a=R((1000,1000))", "mod.softmax(a, 1)"),
    ("softmax f64 dim1 1000x1000", "a=R((1000,1000), 'float64')", "mod.softmax(a, 1)"),
    ("log_softmax rows of 100", "a=R((10000,100))", "mod.log_softmax(a, 1)"),
    ("softmax rows of 100", "a=R((10000,100))", "mod.softmax(a, 1)"),
    ("log_softmax dim0 1000x1000", "a=R((1000,1000))", "mod.log_softmax(a, 0)"),
    ("log_softmax rows of 3", "a=R((100000,3))", "mod.log_softmax(a, 1)"),
    ("softmax rows of 3", "a=R((100000,3))", "mod.softmax(a, 1)"),
    ("amax dim1 1000x100", "a=R((1000,100))", "a.amax(1)"),
    ("sum bool 1e6", "a=R(%s) > 0" % L, "a.sum()"),
    # sorting and order statistics
    ("sort f32 1e6", "a=R(%s)" % L, "mod.sort(a)"),
    ("sort dim1 1000x1000", "a=R((1000,1000))", "mod.sort(a, 1)"),
    ("argsort f32 1e5", "a=R(%s)" % M, "mod.argsort(a)"),
    ("topk 10 of 1e6", "a=R(%s)" % L, "mod.topk(a, 10)"),
    ("topk 10 dim1 100x100000", "a=R((100,100000))", "mod.topk(a, 10, 1)"),
    ("kthvalue dim1 1000x1000", "a=R((1000,1000))", "mod.kthvalue(a, 500, 1)"),
    ("median f32 1e6", "a=R(%s)" % L, "mod.median(a)"),
    ("median dim1 1000x1000", "a=R((1000,1000))", "mod.median(a, 1)"),
    ("nanmedian dim1 1000x1000", "a=R((1000,1000))", "mod.nanmedian(a, 1)"),
    ("mode dim1 1000x100 int", "a=R((1000,100), 'int64', lo=0, hi=10)", "mod.mode(a, 1)"),
    ("quantile f32 1e5", "a=R(%s)" % M, "mod.quantile(a, 0.3)"),
    ("unique int64 1e6", "a=R(%s, 'int64', lo=0, hi=1000)" % L, "mod.unique(a)"),
    ("unique f64 1e6", "a=R(%s, 'float64')" % L, "mod.unique(a)"),
    ("unique inverse f32 1e6", "a=R(%s)" % L, "mod.unique(a, return_inverse=True)"),
    ("unique small int64 1000", "a=R(%s, 'int64', lo=0, hi=100)" % S, "mod.unique(a)"),
    ("unique counts int64 1e5", "a=R(%s, 'int64', lo=0, hi=100)" % M,
     "mod.unique(a, return_counts=True)"),
    ("unique_consecutive int64 1e6", "a=mod.sort(R(%s, 'int64', lo=0, hi=1000))[0]" % L,
     "mod.unique_consecutive(a)"),
    ("searchsorted 1e5 in 1e6", "a=mod.sort(R(%s))[0]; v=R(%s, seed=1)" % (L, M),
     "mod.searchsorted(a, v)"),
    ("bincount 1e6", "a=R(%s, 'int64', lo=0, hi=1000)" % L, "mod.bincount(a)"),
    ("histc f32 1e6", "a=R(%s)" % L, "mod.histc(a, 100, -3, 3)"),
    ("histc f32 1e6 data range", "a=R(%s)" % L, "mod.histc(a, 100)"),
    ("arange int64 1e6", "a=0", "mod.arange(1000000)"),
    ("linspace f32 1e6", "a=0", "mod.linspace(0, 1, 1000000)"),
    # indexing
    ("index_select 1e6 rows of 8", "a=R((1_000_000,8)); i=R((1_000_000,), 'int64', lo=0, hi=1_000_000)",
     "mod.index_select(a, 0, i)"),
    ("index_select small 100x8", "a=R((1000,8)); i=R((100,), 'int64', lo=0, hi=1000)",
     "mod.index_select(a, 0, i)"),
    ("index_select dim1 1000x1000", "a=R((1000,1000)); i=R((500,), 'int64', lo=0, hi=1000)",
     "mod.index_select(a, 1, i)"),
    ("gather dim1 1000x1000", "a=R((1000,1000)); i=R((1000,1000), 'int64', lo=0, hi=1000)",
     "mod.gather(a, 1, i)"),
    ("scatter_add dim0 1e6", "a=R((1000,)); s=R(%s); i=R(%s, 'int64', lo=0, hi=1000)" % (L, L),
     "a.scatter_add(0, i, s)"),
    ("scatter_reduce amax 1e6", "a=R((1000,)); s=R(%s); i=R(%s, 'int64', lo=0, hi=1000)" % (L, L),
     "a.scatter_reduce(0, i, s, 'amax')"),
    ("index_add 1e5 rows of 8", "a=R((1000,8)); s=R((100_000,8)); i=R((100_000,), 'int64', lo=0, hi=1000)",
     "a.index_add(0, i, s)"),
    ("index_put accumulate 1e5", "a=R((1000,)); v=R(%s); i=R(%s, 'int64', lo=0, hi=1000)" % (M, M),
     "a.index_put((i,), v, accumulate=True)"),
    ("bool mask select 1e6", "a=R(%s); m=a > 0" % L, "a[m]"),
    ("masked_fill 1e6", "a=R(%s); m=a > 0" % L, "a.masked_fill(m, 0.0)"),
    ("take 1e5 of 1e6", "a=R(%s); i=R(%s, 'int64', lo=0, hi=1_000_000)" % (L, M), "mod.take(a, i)"),
    ("take_along_dim 1000x1000", "a=R((1000,1000)); i=mod.argsort(a, 1)", "mod.take_along_dim(a, i, 1)"),
    ("advanced index a[i] 1e5", "a=R(%s); i=R(%s, 'int64', lo=0, hi=1_000_000)" % (L, M), "a[i]"),
    ("setitem a[i]=v 1e5", "a=R(%s); i=R(%s, 'int64', lo=0, hi=1_000_000); v=R(%s)" % (L, M, M),
     "a.__setitem__(i, v)"),
    # shapes
    ("cat 8 x 1e6", "ts=[R(%s, seed=k) for k in range(8)]" % L, "mod.cat(ts)"),
    ("cat dim1 8 x 1000x1000", "ts=[R((1000,1000), seed=k) for k in range(8)]", "mod.cat(ts, 1)"),
    ("cat dim1 2 x 1000x100", "ts=[R((1000,100), seed=k) for k in range(2)]", "mod.cat(ts, 1)"),
    ("stack 8 x 1000x100", "ts=[R((1000,100), seed=k) for k in range(8)]", "mod.stack(ts)"),
    ("repeat 1000x100 (3,2)", "a=R((1000,100))", "a.repeat(3, 2)"),
    ("tile 1000x100 (3,2)", "a=R((1000,100))", "mod.tile(a, (3, 2))"),
    ("flip dim1 1000x1000", "a=R((1000,1000))", "mod.flip(a, (1,))"),
    ("flip dim0 1000x1000", "a=R((1000,1000))", "mod.flip(a, (0,))"),
    ("pad constant 8x16x64x64", "a=R((8,16,64,64))", "mod.nn.functional.pad(a, (2, 2, 2, 2))"),
    ("pad reflect 8x16x64x64", "a=R((8,16,64,64))", "mod.nn.functional.pad(a, (2, 2, 2, 2), mode='reflect')"),
    ("group_norm 32x64x28x28 affine", "a=R((32,64,28,28)); w=R((64,)); b=R((64,), seed=2)",
     "mod.nn.functional.group_norm(a, 8, w, b)"),
    ("roll 1000x1000", "a=R((1000,1000))", "mod.roll(a, 7, 1)"),
    ("diff dim1 1000x1000", "a=R((1000,1000))", "mod.diff(a, dim=1)"),
    ("tril 1000x1000", "a=R((1000,1000))", "mod.tril(a)"),
    ("kron 100x100", "a=R((100,100)); b=R((10,10), seed=1)", "mod.kron(a, b)"),
    ("cross 1e5x3", "a=R((100_000,3)); b=R((100_000,3), seed=1)", "mod.linalg.cross(a, b)"),
    ("cdist 1000x1000 d16", "a=R((1000,16)); b=R((1000,16), seed=1)", "mod.cdist(a, b)"),
    ("cdist p=1 1000x1000 d16", "a=R((1000,16)); b=R((1000,16), seed=1)", "mod.cdist(a, b, p=1)"),
    ("cdist 20x25 d8", "a=R((20,8)); b=R((25,8), seed=1)", "mod.cdist(a, b)"),
    ("pdist 500x16", "a=R((500,16))", "mod.nn.functional.pdist(a)"),
    ("block_diag 8 x 100x100", "ts=[R((100,100), seed=k) for k in range(8)]", "mod.block_diag(*ts)"),
    ("meshgrid 1000x1000", "a=R((1000,)); b=R((1000,), seed=1)", "mod.meshgrid(a, b, indexing='ij')"),
    ("cartesian_prod 1000x100", "a=R((1000,)); b=R((100,), seed=1)", "mod.cartesian_prod(a, b)"),
    ("tensordot 100x100x100", "a=R((100,100,100)); b=R((100,100), seed=1)",
     "mod.tensordot(a, b, dims=([1,2],[0,1]))"),
    ("einsum bij,bjk 64x64x64", "a=R((64,64,64)); b=R((64,64,64), seed=1)", "mod.einsum('bij,bjk->bik', a, b)"),
    ("trapezoid dim1 1000x1000", "a=R((1000,1000))", "mod.trapezoid(a, dim=1)"),
    ("cov 100x10000", "a=R((100,10000))", "mod.cov(a)"),
    ("histogramdd 1e5x2", "a=R((100_000,2))", "mod.histogramdd(a, bins=[10, 10])"),
    # linalg
    ("matmul f32 256", "a=R((256,256)); b=R((256,256), seed=1)", "a @ b"),
    ("matmul f64 256", "a=R((256,256), 'float64'); b=R((256,256), 'float64', seed=1)", "a @ b"),
    ("matmul f32 16x128 @ 128x512", "a=R((16,128)); b=R((128,512), seed=1)", "a @ b"),
    ("matmul f32 1000x18 @ 18x1000", "a=R((1000,18)); b=R((18,1000), seed=1)", "a @ b"),
    ("dot f32 1e6", "a=R(%s); b=R(%s, seed=1)" % (L, L), "mod.dot(a, b)"),
    ("bmm f32 64x32x32", "a=R((64,32,32)); b=R((64,32,32), seed=1)", "mod.bmm(a, b)"),
    ("matmul_power 3 f64 64", "a=R((64,64), 'float64')", "mod.linalg.matrix_power(a, 3)"),
    ("matrix_power 3 f64 8", "a=R((8,8), 'float64')", "mod.linalg.matrix_power(a, 3)"),
    ("multi_dot 3 x 16", "a=R((16,16)); b=R((16,16), seed=1); c=R((16,16), seed=2)",
     "mod.linalg.multi_dot([a, b, c])"),
    ("inv f64 256", "a=SPD(256)", "mod.linalg.inv(a)"),
    ("inv f32 256", "a=SPD(256, 'float32')", "mod.linalg.inv(a)"),
    ("inv f64 batch 64x8x8", "a=SPD(8, batch=(64,))", "mod.linalg.inv(a)"),
    ("det f64 256", "a=SPD(256)", "mod.linalg.det(a)"),
    ("slogdet f64 256", "a=SPD(256)", "mod.linalg.slogdet(a)"),
    ("lu_factor f64 256", "a=SPD(256)", "mod.linalg.lu_factor(a)"),
    ("solve f64 256", "a=SPD(256); b=R((256,16), 'float64')", "mod.linalg.solve(a, b)"),
    ("solve f32 256", "a=SPD(256, 'float32'); b=R((256,16))", "mod.linalg.solve(a, b)"),
    ("solve_triangular f32 256", "a=mod.tril(SPD(256, 'float32')); b=R((256,256))",
     "mod.linalg.solve_triangular(a, b, upper=False)"),
    ("solve_triangular f64 256", "a=mod.tril(SPD(256)); b=R((256,256), 'float64')",
     "mod.linalg.solve_triangular(a, b, upper=False)"),
    ("cholesky f64 256", "a=SPD(256)", "mod.linalg.cholesky(a)"),
    ("cholesky batch 64x8x8", "a=SPD(8, batch=(64,))", "mod.linalg.cholesky(a)"),
    ("qr f64 256", "a=R((256,256), 'float64')", "mod.linalg.qr(a)"),
    ("qr f32 256", "a=R((256,256))", "mod.linalg.qr(a)"),
    ("qr batch 64x8x8", "a=R((64,8,8), 'float64')", "mod.linalg.qr(a)"),
    ("eigh f64 256", "a=SPD(256)", "mod.linalg.eigh(a)"),
    ("eigvalsh f64 256", "a=SPD(256)", "mod.linalg.eigvalsh(a)"),
    ("eig f64 64", "a=R((64,64), 'float64')", "mod.linalg.eig(a)"),
    ("svd f64 256", "a=R((256,256), 'float64')", "mod.linalg.svd(a)"),
    ("svd reduced f32 256x64", "a=R((256,64))", "mod.linalg.svd(a, full_matrices=False)"),
    ("svdvals f64 256", "a=R((256,256), 'float64')", "mod.linalg.svdvals(a)"),
    ("lstsq f64 256x64", "a=R((256,64), 'float64'); b=R((256,4), 'float64')", "mod.linalg.lstsq(a, b)"),
    ("lstsq batch 64x8x4", "a=R((64,8,4), 'float64'); b=R((64,8,2), 'float64')", "mod.linalg.lstsq(a, b)"),
    ("pinv f64 256x64", "a=R((256,64), 'float64')", "mod.linalg.pinv(a)"),
    ("matrix_rank f64 128", "a=R((128,128), 'float64')", "mod.linalg.matrix_rank(a)"),
    ("matrix_norm fro f32 1000", "a=R((1000,1000))", "mod.linalg.matrix_norm(a)"),
    ("matrix_norm 2 f64 64", "a=R((64,64), 'float64')", "mod.linalg.matrix_norm(a, 2)"),
    ("matrix_norm nuc f64 64", "a=R((64,64), 'float64')", "mod.linalg.matrix_norm(a, 'nuc')"),
    ("cond f64 64", "a=R((64,64), 'float64')", "mod.linalg.cond(a)"),
    ("matrix_exp f64 64", "a=R((64,64), 'float64') / 10", "mod.linalg.matrix_exp(a)"),
    ("householder_product f64 64", "a=R((64,32), 'float64'); t=R((32,), 'float64')",
     "mod.linalg.householder_product(a, t)"),
    ("ldl_factor f64 128", "a=SPD(128)", "mod.linalg.ldl_factor(a)"),
    ("pinv f64 64x256", "a=R((64,256), 'float64')", "mod.linalg.pinv(a)"),
    ("eigh f64 64", "a=SPD(64)", "mod.linalg.eigh(a)"),
    ("eig f64 batch 16x16x16", "a=R((16,16,16), 'float64')", "mod.linalg.eig(a)"),
    ("eigvals f64 64", "a=R((64,64), 'float64')", "mod.linalg.eigvals(a)"),
    ("eigvals f64 batch 16x16x16", "a=R((16,16,16), 'float64')", "mod.linalg.eigvals(a)"),
    ("eigh f64 batch 16x16x16", "a=SPD(16, batch=(16,))", "mod.linalg.eigh(a)"),
    ("eigvalsh f64 64", "a=SPD(64)", "mod.linalg.eigvalsh(a)"),
    # fft
    ("fft c64 1024", "a=R((1024,), 'complex64')", "mod.fft.fft(a)"),
    ("fft c64 2^20", "a=R((1<<20,), 'complex64')", "mod.fft.fft(a)"),
    ("fft c128 1000", "a=R((1000,), 'complex128')", "mod.fft.fft(a)"),
    ("rfft f32 1024", "a=R((1024,))", "mod.fft.rfft(a)"),
    ("rfft f32 2^20", "a=R((1<<20,))", "mod.fft.rfft(a)"),
    ("rfft f32 batch 1000x256", "a=R((1000,256))", "mod.fft.rfft(a)"),
    ("fft f32 (real) batch 1000x256", "a=R((1000,256))", "mod.fft.fft(a)"),
    ("fft c64 batch 64x1000", "a=R((64,1000), 'complex64')", "mod.fft.fft(a)"),
    ("fft c64 batch 64x1024", "a=R((64,1024), 'complex64')", "mod.fft.fft(a)"),
    ("fft c128 batch 64x1500", "a=R((64,1500), 'complex128')", "mod.fft.fft(a)"),
    ("rfft f32 batch 64x2000", "a=R((64,2000))", "mod.fft.rfft(a)"),
    ("irfft c64 2^20", "a=R((1<<19,), 'complex64')", "mod.fft.irfft(a, n=1<<20)"),
    ("fft2 f32 256", "a=R((256,256))", "mod.fft.fft2(a)"),
    ("rfft2 f32 1024", "a=R((1024,1024))", "mod.fft.rfft2(a)"),
    ("fftn c64 64^3", "a=R((64,64,64), 'complex64')", "mod.fft.fftn(a)"),
    ("fft dim0 c64 1024x64", "a=R((1024,64), 'complex64')", "mod.fft.fft(a, dim=0)"),
    ("hfft c64 1024", "a=R((513,), 'complex64')", "mod.fft.hfft(a)"),
    ("fftshift 1000x1000", "a=R((1000,1000))", "mod.fft.fftshift(a)"),
    # torch.special
    ("special.ndtr f32 1e6", "a=R(%s)" % L, "mod.special.ndtr(a)"),
    ("special.ndtri f32 1e6", "a=R(%s, lo=0.01, hi=0.99)" % L, "mod.special.ndtri(a)"),
    ("special.ndtri f64 1e6", "a=R(%s, 'float64', lo=0.0, hi=1.0)" % L, "mod.special.ndtri(a)"),
    ("special.log_ndtr f64 1e6", "a=R(%s, 'float64')" % L, "mod.special.log_ndtr(a)"),
    ("special.erfcx f32 1e6", "a=R(%s)" % L, "mod.special.erfcx(a)"),
    ("special.i0 f32 1e6", "a=R(%s)" % L, "mod.special.i0(a)"),
    ("special.i0e f64 1e6", "a=R(%s, 'float64')" % L, "mod.special.i0e(a)"),
    ("special.i1 f32 1e6", "a=R(%s)" % L, "mod.special.i1(a)"),
    ("special.bessel_j0 f32 1e6", "a=R(%s)" % L, "mod.special.bessel_j0(a)"),
    ("special.bessel_j0 f64 1e6", "a=R(%s, 'float64')" % L, "mod.special.bessel_j0(a)"),
    ("special.bessel_j1 f64 1e6", "a=R(%s, 'float64')" % L, "mod.special.bessel_j1(a)"),
    ("special.bessel_y0 f64 1e6", "a=R(%s, 'float64', lo=0.1, hi=30)" % L, "mod.special.bessel_y0(a)"),
    ("special.bessel_y1 f64 1e6", "a=R(%s, 'float64', lo=0.1, hi=30)" % L, "mod.special.bessel_y1(a)"),
    ("special.bessel_j0 f64 1e6 0.1-30", "a=R(%s, 'float64', lo=0.1, hi=30)" % L,
     "mod.special.bessel_j0(a)"),
    ("special.bessel_j1 f64 1e6 0.1-30", "a=R(%s, 'float64', lo=0.1, hi=30)" % L,
     "mod.special.bessel_j1(a)"),
    ("special.bessel_y0 f64 1e6 0.1-8", "a=R(%s, 'float64', lo=0.1, hi=8)" % L,
     "mod.special.bessel_y0(a)"),
    ("special.bessel_y1 f64 1e6 8-1e4", "a=R(%s, 'float64', lo=8, hi=1e4)" % L,
     "mod.special.bessel_y1(a)"),
    ("special.bessel_j0 f64 1e4x100 T", "a=R((100, 10000), 'float64', lo=0.1, hi=30).t()",
     "mod.special.bessel_j0(a)"),
    ("special.airy_ai f64 1e6", "a=R(%s, 'float64')" % L, "mod.special.airy_ai(a)"),
    ("special.airy_ai f32 1e6", "a=R(%s)" % L, "mod.special.airy_ai(a)"),
    ("special.airy_ai f64 1e6 [-200,200]", "a=R(%s, 'float64', lo=-200, hi=200)" % L,
     "mod.special.airy_ai(a)"),
    ("special.modified_bessel_k0 f64 1e6", "a=R(%s, 'float64', lo=0.1, hi=30)" % L,
     "mod.special.modified_bessel_k0(a)"),
    ("special.scaled_modified_bessel_k1 f32 1e6", "a=R(%s, lo=0.1, hi=30)" % L,
     "mod.special.scaled_modified_bessel_k1(a)"),
    ("special.spherical_bessel_j0 f32 1e6", "a=R(%s)" % L, "mod.special.spherical_bessel_j0(a)"),
    ("special.gammainc f32 1e5", "a=R(%s, lo=0.1, hi=10); b=R(%s, seed=1, lo=0.1, hi=10)" % (M, M),
     "mod.special.gammainc(a, b)"),
    ("special.gammaincc f64 1e5", "a=R(%s, 'float64', lo=0.1, hi=10); b=R(%s, 'float64', seed=1, lo=0.1, hi=10)"
     % (M, M), "mod.special.gammaincc(a, b)"),
    ("special.polygamma 2 f64 1e5", "a=R(%s, 'float64', lo=0.1, hi=20)" % M, "mod.special.polygamma(2, a)"),
    ("special.zeta f64 1e5", "a=R(%s, 'float64', lo=1.5, hi=9); b=R(%s, 'float64', seed=1, lo=0.5, hi=9)"
     % (M, M), "mod.special.zeta(a, b)"),
    ("special.zeta f64 1e5 x[1.01,100] q[0.01,100]",
     "a=R(%s, 'float64', lo=1.01, hi=100); b=R(%s, 'float64', seed=1, lo=0.01, hi=100)" % (M, M),
     "mod.special.zeta(a, b)"),
    ("special.zeta f32 1e5", "a=R(%s, lo=1.5, hi=9); b=R(%s, seed=1, lo=0.5, hi=9)" % (M, M),
     "mod.special.zeta(a, b)"),
    ("special.entr f32 1e6", "a=R(%s, lo=0.01, hi=3)" % L, "mod.special.entr(a)"),
    ("special.logit f32 1e6", "a=R(%s, lo=0.01, hi=0.99)" % L, "mod.special.logit(a)"),
    ("special.multigammaln f64 1e5", "a=R(%s, 'float64', lo=3, hi=20)" % M, "mod.special.multigammaln(a, 3)"),
    ("special.chebyshev_polynomial_t f32 1e5 n=20", "a=R(%s, lo=-1, hi=1)" % M,
     "mod.special.chebyshev_polynomial_t(a, 20)"),
    ("special.hermite_polynomial_h f64 1e5 n=10", "a=R(%s, 'float64')" % M,
     "mod.special.hermite_polynomial_h(a, 10)"),
    ("special.log_softmax dim1 1000x1000", "a=R((1000,1000))", "mod.special.log_softmax(a, 1)"),
    # gradients
    ("grad: sum(exp(x)) 1e6", "x,=G(R(%s))" % L, "mod.exp(x).sum().backward()"),
    ("grad: erfc f64 1e5", "x,=G(R(%s, 'float64'))" % M, "mod.erfc(x).sum().backward()"),
    ("grad: lgamma f64 1e5", "x,=G(R(%s, 'float64', lo=0.1, hi=9))" % M, "mod.lgamma(x).sum().backward()"),
    ("grad: gelu f32 1e6", "x,=G(R(%s))" % L, "mod.nn.functional.gelu(x).sum().backward()"),
    ("grad: gelu f64 1e6", "x,=G(R(%s, 'float64'))" % L, "mod.nn.functional.gelu(x).sum().backward()"),
    ("grad: logaddexp f64 1e6", "x,y=G(R(%s, 'float64'), R(%s, 'float64', seed=1))" % (L, L),
     "mod.logaddexp(x, y).sum().backward()"),
    ("grad: logaddexp f32 1e6", "x,y=G(R(%s), R(%s, seed=1))" % (L, L), "mod.logaddexp(x, y).sum().backward()"),
    ("grad: cumprod dim1 1000x100", "x,=G(R((1000,100), lo=0.9, hi=1.1))", "mod.cumprod(x, 1).sum().backward()"),
    ("grad: logcumsumexp 1000x100", "x,=G(R((1000,100)))", "mod.logcumsumexp(x, 1).sum().backward()"),
    ("grad: index_select 1e5 rows of 8", "x,=G(R((1000,8))); i=R((100_000,), 'int64', lo=0, hi=1000)",
     "mod.index_select(x, 0, i).sum().backward()"),
    ("grad: gather dim1 1000x100", "x,=G(R((1000,100))); i=R((1000,100), 'int64', lo=0, hi=100)",
     "mod.gather(x, 1, i).sum().backward()"),
    ("grad: sort dim1 1000x100", "x,=G(R((1000,100)))", "mod.sort(x, 1)[0].sum().backward()"),
    ("grad: topk 10 dim1 1000x100", "x,=G(R((1000,100)))", "mod.topk(x, 10, 1)[0].sum().backward()"),
    ("grad: cdist 200x200 d16", "a,b=G(R((200,16)), R((200,16), seed=1))", "mod.cdist(a, b).sum().backward()"),
    ("grad: inv f64 64", "a,=G(SPD(64))", "mod.linalg.inv(a).sum().backward()"),
    ("grad: det f64 64", "a,=G(SPD(64))", "mod.linalg.det(a).backward()"),
    ("grad: solve f64 64", "a,b=G(SPD(64), R((64,4), 'float64'))", "mod.linalg.solve(a, b).sum().backward()"),
    ("grad: cholesky f64 64", "a,=G(SPD(64))", "mod.linalg.cholesky(a).sum().backward()"),
    ("grad: qr f64 64", "a,=G(R((64,64), 'float64'))", "sum(t.sum() for t in mod.linalg.qr(a)).backward()"),
    ("grad: eigh f64 64", "a,=G(SPD(64))", "mod.linalg.eigh(a)[0].sum().backward()"),
    ("grad: eigh vectors f64 64", "a,=G(SPD(64))", "mod.linalg.eigh(a)[1].abs().sum().backward()"),
    ("grad: svd f64 64", "a,=G(R((64,64), 'float64'))", "mod.linalg.svdvals(a).sum().backward()"),
    ("grad: pinv f64 64x16", "a,=G(R((64,16), 'float64'))", "mod.linalg.pinv(a).sum().backward()"),
    ("grad: matrix_exp f64 32", "a,=G(R((32,32), 'float64') / 10)", "mod.linalg.matrix_exp(a).sum().backward()"),
    ("grad: fft c64 1024", "a,=G(R((1024,), 'complex64'))", "mod.fft.fft(a).abs().sum().backward()"),
    ("grad: rfft f32 batch 100x256", "a,=G(R((100,256)))", "mod.fft.rfft(a).abs().sum().backward()"),
    ("grad: log_softmax 1000x100", "a,=G(R((1000,100)))", "mod.log_softmax(a, 1).sum().backward()"),
    ("grad: softmax 1000x100", "a,=G(R((1000,100))); w=R((1000,100), seed=1)",
     "(mod.softmax(a, 1) * w).sum().backward()"),
    ("grad: cross_entropy 10000x100", "a,=G(R((10000,100))); t=R((10000,), 'int64', lo=0, hi=100)",
     "mod.nn.functional.cross_entropy(a, t).backward()"),
    ("grad: norm dim1 1000x100", "a,=G(R((1000,100)))", "a.norm(dim=1).sum().backward()"),
    ("grad: cat 8 x 1000x100", "ts=G(*[R((1000,100), seed=k) for k in range(8)])",
     "mod.cat(ts).sum().backward()"),
    # convolutions (fwd+bwd of a 3x3, padding 1)
    ("grad: conv2d 64x16x32x32 -> 32", "x,w,b=G(R((64,16,32,32)), R((32,16,3,3), seed=1), R((32,), seed=2))",
     "mod.nn.functional.conv2d(x, w, b, padding=1).sum().backward()"),
    ("lstm 16x50x64 -> 128", "m=mod.nn.LSTM(64, 128, batch_first=True); x=R((16,50,64))", "m(x)[0]"),
    ("grad: lstm 16x50x64 -> 128", "m=mod.nn.LSTM(64, 128, batch_first=True); x=R((16,50,64))",
     "m(x)[0].sum().backward()"),
    ("grad: conv2d 4x16x32x32 -> 32", "x,w,b=G(R((4,16,32,32)), R((32,16,3,3), seed=1), R((32,), seed=2))",
     "mod.nn.functional.conv2d(x, w, b, padding=1).sum().backward()"),
    ("grad: conv2d 32x16x8x8 -> 32", "x,w,b=G(R((32,16,8,8)), R((32,16,3,3), seed=1), R((32,), seed=2))",
     "mod.nn.functional.conv2d(x, w, b, padding=1).sum().backward()"),
    ("grad: conv2d 32x1x8x8 -> 16 (weight only)", "x=R((32,1,8,8)); w,b=G(R((16,1,3,3), seed=1), R((16,), seed=2))",
     "mod.nn.functional.conv2d(x, w, b, padding=1).sum().backward()"),
    ("conv2d 1x16x32x32 -> 32", "x=R((1,16,32,32)); w=R((32,16,3,3), seed=1)",
     "mod.nn.functional.conv2d(x, w, padding=1)"),
    ("conv2d depthwise 8x32x64x64", "x=R((8,32,64,64)); w=R((32,1,3,3), seed=1)",
     "mod.nn.functional.conv2d(x, w, padding=1, groups=32)"),
    ("conv2d depthwise stride 2 8x96x56x56", "x=R((8,96,56,56)); w=R((96,1,3,3), seed=1)",
     "mod.nn.functional.conv2d(x, w, stride=2, padding=1, groups=96)"),
    # nn: losses, activations, normalisation, sampling
    ("grad: bce_with_logits 1e6", "x,=G(R(%s)); t=R(%s, seed=1, lo=0, hi=1)" % (L, L),
     "mod.nn.functional.binary_cross_entropy_with_logits(x, t).backward()"),
    ("smooth_l1_loss 1e6", "a=R(%s); b=R(%s, seed=1)" % (L, L), "mod.nn.functional.smooth_l1_loss(a, b)"),
    ("huber_loss 1e6", "a=R(%s); b=R(%s, seed=1)" % (L, L), "mod.nn.functional.huber_loss(a, b)"),
    ("soft_margin_loss 1e6", "a=R(%s); b=mod.sign(R(%s, seed=1))" % (L, L),
     "mod.nn.functional.soft_margin_loss(a, b)"),
    ("grad: glu 1000x1000", "x,=G(R((1000,1000)))", "mod.nn.functional.glu(x).sum().backward()"),
    ("prelu 32x64x28x28", "a=R((32,64,28,28)); w=R((64,), seed=1)", "mod.nn.functional.prelu(a, w)"),
    ("threshold f32 1e6", "a=R(%s)" % L, "mod.nn.functional.threshold(a, 0.1, 20.0)"),
    ("grad: group_norm 32x64x28x28", "x,w,b=G(R((32,64,28,28)), R((64,), seed=1), R((64,), seed=2))",
     "mod.nn.functional.group_norm(x, 8, w, b).sum().backward()"),
    ("layer_norm 1000x512", "a=R((1000,512)); w=R((512,), seed=1); b=R((512,), seed=2)",
     "mod.nn.functional.layer_norm(a, (512,), w, b)"),
    ("grad: embedding 10000x128 idx 1e4", "w,=G(R((10000,128))); i=R((10000,), 'int64', lo=0, hi=10000)",
     "mod.nn.functional.embedding(i, w).sum().backward()"),
    ("interpolate bilinear x2 8x16x64x64", "a=R((8,16,64,64))",
     "mod.nn.functional.interpolate(a, scale_factor=2, mode='bilinear')"),
    ("zeros 1000x1000", "pass", "mod.zeros(1000, 1000)"),
    ("flip dim1 100000x3", "a=R((100_000,3))", "mod.flip(a, (1,))"),
    ("cholesky f32 256", "a=SPD(256, 'float32')", "mod.linalg.cholesky(a)"),
    ("inv batch 1000x4x4", "a=R((1000,4,4))", "mod.linalg.inv(a)"),
    ("equal f64 1e6", "a=R(%s, 'float64'); b=a.clone()" % L, "mod.equal(a, b)"),
    ("pow 3 ** x f32 1e6", "a=R(%s)" % L, "3 ** a"),
    ("sum stepped cols 2000x2000[:, ::2]", "a=R((2000,2000))", "a[:, ::2].sum()"),
    ("sum stepped 2000x2000[::2, ::2] dim1", "a=R((2000,2000))", "a[::2, ::2].sum(1)"),
    ("clamp tensor bounds 1000x1000", "a=R((1000,1000)); lo=R((1000,1000), seed=1) - 1; hi=lo + 1",
     "mod.clamp(a, lo, hi)"),
    ("clamp column bounds 1000x1000", "a=R((1000,1000)); lo=R((1000,1), seed=1) - 1; hi=lo + 1",
     "mod.clamp(a, lo, hi)"),
    ("grid_sample bilinear 8x16x64x64", "x=R((8,16,64,64)); g=R((8,64,64,2), lo=-1, hi=1, seed=1)",
     "mod.nn.functional.grid_sample(x, g, align_corners=False)"),
    ("grid_sample nearest 8x16x64x64", "x=R((8,16,64,64)); g=R((8,64,64,2), lo=-1, hi=1, seed=1)",
     "mod.nn.functional.grid_sample(x, g, mode='nearest', align_corners=False)"),
    ("grid_sample 3-D 2x8x32^3", "x=R((2,8,32,32,32)); g=R((2,32,32,32,3), lo=-1, hi=1, seed=1)",
     "mod.nn.functional.grid_sample(x, g, align_corners=False)"),
    ("conv2d 1x64x56x56 -> 64", "x=R((1,64,56,56)); w=R((64,64,3,3), seed=1)",
     "mod.nn.functional.conv2d(x, w, padding=1)"),
    ("trace 1000x1000", "a=R((1000,1000))", "mod.trace(a)"),
    ("from_numpy 3", "x=np.ones(3)", "mod.from_numpy(x)"),
    ("tolist 1000x100", "a=R((1000,100))", "a.tolist()"),
    ("conv2d 8x64x56x56 -> 64", "x=R((8,64,56,56)); w=R((64,64,3,3), seed=1)",
     "mod.nn.functional.conv2d(x, w, padding=1)"),
    ("conv2d 1x3x224x224 -> 64 7x7 stride 2", "x=R((1,3,224,224)); w=R((64,3,7,7), seed=1)",
     "mod.nn.functional.conv2d(x, w, stride=2, padding=3)"),
    ("conv3d 2x16x16^3 -> 16", "x=R((2,16,16,16,16)); w=R((16,16,3,3,3), seed=1)",
     "mod.nn.functional.conv3d(x, w, padding=1)"),
    ("grad: conv2d input 8x64x56x56 -> 64", "x,=G(R((8,64,56,56))); w=R((64,64,3,3), seed=1)",
     "mod.nn.functional.conv2d(x, w, padding=1).sum().backward()"),
    ("matmul f32 10000x18 @ 18x100", "a=R((10000,18)); b=R((18,100), seed=1)", "a @ b"),
    ("matmul f32 2000x64 @ 64x1500", "a=R((2000,64)); b=R((64,1500), seed=1)", "a @ b"),
    ("bmm f32 1000x4x4", "a=R((1000,4,4)); b=R((1000,4,4), seed=1)", "mod.bmm(a, b)"),
    ("matmul f32 10x10000 @ its transpose", "a=R((10,10000))", "a @ a.mT"),
    ("cov 10x10000", "a=R((10,10000))", "mod.cov(a)"),
    ("chebyshev_t degree per element 1e6", "a=R(%s, lo=-1, hi=1); n=mod.full(%s, 5.0)" % (L, L),
     "mod.special.chebyshev_polynomial_t(a, n)"),
    ("mode int64 1000x100", "a=R((1000,100), 'int64', lo=-100, hi=100)", "mod.mode(a, 1)"),
    ("index_fill_ dim0 1000x100", "a=R((1000,100)); i=mod.arange(0,1000,2)", "a.index_fill_(0, i, 1.0)"),
    ("logspace 1e6", "pass", "mod.logspace(0, 3, 1_000_000)"),
    ("geqrf f64 128", "a=R((128,128), 'float64')", "mod.geqrf(a)"),
    ("matmul bf16 512", "a=R((512,512)).to(mod.bfloat16); b=R((512,512), seed=1).to(mod.bfloat16)",
     "a @ b"),
    ("linear bf16 64x512 -> 512",
     "a=R((64,512)).to(mod.bfloat16); w=R((512,512), seed=1).to(mod.bfloat16)",
     "mod.nn.functional.linear(a, w)"),
    ("bmm bf16 200x32x32", "a=R((200,32,32)).to(mod.bfloat16); b=R((200,32,32), seed=1).to(mod.bfloat16)",
     "mod.bmm(a, b)"),
    ("bmm f32 1000x4x32 @ 1000x32x4", "a=R((1000,4,32)); b=R((1000,32,4), seed=1)", "mod.bmm(a, b)"),
    ("matmul c64 256", "a=R((256,256), 'complex64'); b=R((256,256), 'complex64', seed=1)", "a @ b"),
    ("matmul c64 1000x64 @ 64x10", "a=R((1000,64), 'complex64'); b=R((64,10), 'complex64', seed=1)",
     "a @ b"),
]


def _setup_for(setup):
    def make(mod):
        ns = {"mod": mod, "np": np}
        exec(PRELUDE, ns)
        exec(setup, ns)
        return ns
    return make


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=1, help="threads for both libraries")
    ap.add_argument("--filter", default=None, help="comma-separated substrings of row names")
    ap.add_argument("--repeat", type=int, default=7, help="samples per library and row")
    ap.add_argument("--below", type=float, default=None, help="print only rows with ratio below this")
    args = ap.parse_args(argv)
    if torch is None:
        raise SystemExit("sweep: PyTorch is not installed")
    ctorch.set_num_threads(args.threads)
    torch.set_num_threads(args.threads)
    # each library's first elementwise op outside the table: PyTorch's float64
    # erf (gelu) runs ~12x slower until its first vectorised binary op, so
    # a filtered run would otherwise time a state that a full one does not
    for mod in (ctorch, torch):
        w = mod.ones(1024)
        w + w
    libs = {"ctorch": ctorch, "torch": torch}
    keys = [k.strip().lower() for k in args.filter.split(",")] if args.filter else None
    print(f"# {platform.machine()} cores={os.cpu_count()} torch={torch.__version__} "
          f"threads={args.threads} repeat={args.repeat}")
    print(f"{'row':48s} {'ctorch':>9s} {'torch':>9s} {'torch/ct':>8s}")
    ratios = []
    for name, setup, stmt in ROWS:
        if keys and not any(k in name.lower() for k in keys):
            continue
        make = _setup_for(setup)
        per = {lib: (make, stmt) for lib in libs}
        med = _time_probe(libs, per, args.repeat)
        r = med["torch"] / med["ctorch"]
        ratios.append(r)
        if args.below is None or r < args.below:
            print(f"{name:48s} {_fmt_t(med['ctorch']):>9s} {_fmt_t(med['torch']):>9s} "
                  f"{_fmt_r(med['torch'], med['ctorch']):>8s}", flush=True)
    if ratios:
        print(f"# rows {len(ratios)}: below 1.0: {sum(r < 1.0 for r in ratios)}, "
              f"below 0.8: {sum(r < 0.8 for r in ratios)}, below 0.5: {sum(r < 0.5 for r in ratios)}, "
              f"geometric mean {float(np.exp(np.mean(np.log(ratios)))):.2f}")


if __name__ == "__main__":
    main()
