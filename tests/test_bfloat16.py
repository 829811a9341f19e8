"""torch.bfloat16: conversions bit for bit against a numpy reference of
round-to-nearest-even, every elementwise op and reduction of the op tables
against the float32 result rounded once to bfloat16 (what PyTorch computes),
promotion, printing, finfo, the numpy bridge, storages and save/load."""
import io
import os
import subprocess
import sys
import zipfile
import zlib

import warnings

import numpy as np
import pytest

import ctorch as torch
from helpers import random_array
from op_db import op_db
from op_db_reductions import OPS as REDUCTIONS


# ---------------------------------------------------------------- reference

def rne_bits(f):
    """float32 array -> bfloat16 bit patterns (uint16), rounded to nearest,
    ties to even; a NaN keeps its sign and top payload with the quiet bit."""
    u = np.ascontiguousarray(f, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16) & 0xFFFF
    nan = (u & 0x7FFFFFFF) > 0x7F800000
    quiet = (u >> 16) | 0x40
    return np.where(nan, quiet, rounded).astype(np.uint16)


def bits_f32(b):
    """bfloat16 bit patterns -> their float32 values (exact)."""
    return (np.asarray(b, dtype=np.uint16).astype(np.uint32) << 16).view(np.float32)


def bf16_values(f):
    """float32 values rounded to bfloat16, as float32."""
    return bits_f32(rne_bits(f))


def from_bits(b):
    return torch.from_numpy(np.asarray(b, dtype=np.uint16).view(np.int16).copy()).view(torch.bfloat16)


def bits_of(t):
    return t.contiguous().view(torch.int16).numpy().view(np.uint16)


def assert_bf16_equal(r, f32, msg=""):
    """r (a bfloat16 tensor) holds the float32 array f32 rounded to bfloat16
    (NaN anywhere in both counts as equal)."""
    assert r.dtype == torch.bfloat16, f"{msg}: {r.dtype}"
    got, exp = bits_of(r), rne_bits(f32)
    nan_g, nan_e = np.isnan(bits_f32(got)), np.isnan(bits_f32(exp))
    np.testing.assert_array_equal(nan_g, nan_e, err_msg=msg)
    np.testing.assert_array_equal(got[~nan_g], exp[~nan_e], err_msg=msg)


# ---------------------------------------------------------------- conversions

def test_every_bfloat16_widens_exactly_and_comes_back():
    allbits = np.arange(65536, dtype=np.uint32).astype(np.uint16)
    t = from_bits(allbits)
    f = t.float().numpy()
    np.testing.assert_array_equal(f.view(np.uint32), allbits.astype(np.uint32) << 16)
    back = bits_of(torch.from_numpy(f).bfloat16())
    nan = np.isnan(bits_f32(allbits))
    np.testing.assert_array_equal(back[~nan], allbits[~nan])
    # NaN stays NaN, quiet, with its sign
    assert np.all((back[nan] & 0x7FC0) == 0x7FC0)
    np.testing.assert_array_equal(back[nan] & 0x8000, allbits[nan] & 0x8000)


def _float32_sweep():
    rng = np.random.default_rng(7)
    parts = [
        rng.integers(0, 2 ** 32, size=200000, dtype=np.uint64).astype(np.uint32),
        # exact ties (low half 0x8000) with even and odd kept bits, and one bit past a tie
        (rng.integers(0, 2 ** 16, size=5000, dtype=np.uint32) << 16) | 0x8000,
        (rng.integers(0, 2 ** 16, size=5000, dtype=np.uint32) << 16) | 0x8001,
        (rng.integers(0, 2 ** 16, size=5000, dtype=np.uint32) << 16) | 0x7FFF,
        np.array([0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007FFFFF, 0x00008000,
                  0x00018000, 0x7F7FFFFF, 0xFF7FFFFF, 0x7F7F8000, 0x7F800000, 0xFF800000,
                  0x7FC00000, 0xFFC00000, 0x7F800001, 0x7FA12345, 0xFF800001, 0x3F808000,
                  0x3F818000], dtype=np.uint32),
    ]
    return np.concatenate(parts).view(np.float32)


def test_float32_to_bfloat16_rounds_to_nearest_even():
    f = _float32_sweep()
    t = torch.from_numpy(f.copy())
    np.testing.assert_array_equal(bits_of(t.to(torch.bfloat16)), rne_bits(f))
    # strided and through the python scalar path too
    np.testing.assert_array_equal(bits_of(t[::3].bfloat16()), rne_bits(f[::3]))
    for v in (0.1, 1.00390625, 1.0039062500001, 3.4e38, 1e39, -1e-45):
        with np.errstate(over="ignore"):
            ref = rne_bits(np.array([v], dtype=np.float32))[0]
        assert bits_of(torch.tensor([v], dtype=torch.bfloat16))[0] == ref, v


@pytest.mark.parametrize("dtype", ["bool", "uint8", "int8", "int16", "int32", "int64", "float16",
                                   "float64", "complex64", "complex128"])
def test_casts_with_every_dtype(dtype):
    vals = np.array([0.0, -0.0, 1.0, -2.5, 3.140625, 100.0, 0.1, 65504.0, -7.0, 255.0])
    if dtype == "bool":
        src = vals != 0
    elif dtype.startswith(("int", "uint")):
        info = np.iinfo(dtype)
        src = np.clip(np.abs(vals) if dtype == "uint8" else vals, info.min, info.max).astype(dtype)
    else:
        src = vals.astype(dtype)
    t = torch.from_numpy(src.copy())
    b = t.to(torch.bfloat16)
    # to bfloat16: through float32 (the real part of a complex)
    assert_bf16_equal(b, np.real(src).astype(np.float32), dtype)
    # and back: the bfloat16 value converted as float32 converts
    back = b.to(getattr(torch, dtype)).numpy()
    with np.errstate(over="ignore"):
        ref = bf16_values(np.real(src).astype(np.float32)).astype(dtype)
    np.testing.assert_array_equal(back, ref)


def test_double_and_int64_round_through_float32_as_pytorch():
    # 1 + 2^-8 + 1e-10 is a tie once in float32: it rounds to even (1.0)
    assert torch.tensor([1.00390625 + 1e-10], dtype=torch.float64).to(torch.bfloat16).item() == 1.0
    assert torch.tensor([2 ** 40 + 2 ** 32 + 1]).to(torch.bfloat16).item() == 2.0 ** 40
    assert torch.tensor([300.0], dtype=torch.bfloat16).to(torch.uint8).item() == 44


# ---------------------------------------------------------------- the dtype

def test_dtype_properties_and_finfo():
    d = torch.bfloat16
    assert repr(d) == "torch.bfloat16" and d.itemsize == 2
    assert d.is_floating_point and d.is_signed and not d.is_complex
    f = torch.finfo(torch.bfloat16)
    assert (f.bits, f.eps, f.resolution) == (16, 0.0078125, 0.01)
    assert f.max == 3.3895313892515355e38 and f.min == -f.max
    assert f.tiny == f.smallest_normal == 2.0 ** -126
    assert repr(f) == ("finfo(resolution=0.01, min=-3.38953e+38, max=3.38953e+38, eps=0.0078125, "
                       "smallest_normal=1.17549e-38, tiny=1.17549e-38, dtype=bfloat16)")


@pytest.mark.parametrize("a,b,res", [
    ("bfloat16", "float16", "float32"), ("bfloat16", "float32", "float32"),
    ("bfloat16", "float64", "float64"), ("bfloat16", "int64", "bfloat16"),
    ("bfloat16", "uint8", "bfloat16"), ("bfloat16", "bool", "bfloat16"),
    ("bfloat16", "complex64", "complex64"), ("bfloat16", "complex128", "complex128"),
])
def test_promotion(a, b, res):
    A, B, R = getattr(torch, a), getattr(torch, b), getattr(torch, res)
    assert torch.promote_types(A, B) == R and torch.promote_types(B, A) == R
    assert (torch.ones(2, dtype=A) + torch.ones(2, dtype=B)).dtype == R


def test_promotion_with_scalars():
    b = torch.ones(2, dtype=torch.bfloat16)
    assert (b + 1).dtype == (b * 2.5).dtype == (b + torch.tensor(1.0)).dtype == torch.bfloat16
    assert (b * 1j).dtype == torch.complex64
    assert (torch.ones(2, dtype=torch.int64) * torch.tensor(1.5, dtype=torch.bfloat16)).dtype == \
        torch.bfloat16
    # PyTorch rounds add's scalar to bfloat16 first, and multiplies by its float value
    assert (torch.ones(3, dtype=torch.bfloat16) + 0.0039066)[0].item() == 1.0
    assert (torch.full((3,), 3.0, dtype=torch.bfloat16) * 1.0039066)[0].item() == 3.015625


# ---------------------------------------------------------------- elementwise

def _float_ops():
    return [pytest.param(op, id=op.name) for op in op_db if "float16" in op.dtypes]


def _inputs(op, rng):
    arrays = []
    for i in range(op.arity):
        dom = op.domains[min(i, len(op.domains) - 1)]
        a = random_array((2, 5), "float32", dom, rng)
        arrays.append(bf16_values(a))
    return arrays


@pytest.mark.parametrize("op", _float_ops())
def test_elementwise_is_float32_rounded_once(op):
    rng = np.random.default_rng(zlib.crc32(op.name.encode()))
    arrays = _inputs(op, rng)
    if op.name == "where":
        arrays[0] = arrays[0] > 0
    t32 = [torch.from_numpy(a.copy()) for a in arrays]
    t16 = [t if t.dtype == torch.bool else t.bfloat16() for t in t32]

    def run(ts):
        r = op.function(torch)(*ts, **op.kwargs)
        return r if op.output is None else r[op.output]

    r32, r16 = run(t32), run(t16)
    if r32.dtype == torch.float32:
        if op.name == "nextafter":
            # the neighbour in bfloat16's own precision
            x, y = arrays
            exp_bits = np.where(x == y, rne_bits(y), rne_bits(x).astype(np.int32)
                                + np.where((x < y) == (x > 0), 1, -1))
            np.testing.assert_array_equal(bits_of(r16), exp_bits.astype(np.uint16))
        elif op.name == "ldexp":
            # PyTorch's ldexp is input * 2 ** other, each rounded to bfloat16
            x, y = arrays
            assert_bf16_equal(r16, x * bf16_values(np.exp2(y)), op.name)
        else:
            assert_bf16_equal(r16, r32.numpy(), op.name)
    else:
        assert r16.dtype == r32.dtype, op.name
        np.testing.assert_array_equal(r16.numpy(), r32.numpy(), err_msg=op.name)


def test_scalar_operand_outside_bfloat16_keeps_its_value_where_pytorch_does():
    x = torch.tensor([3.0, 1.5], dtype=torch.bfloat16)
    for f in (lambda t, s: t * s, lambda t, s: t / s, lambda t, s: torch.maximum(t, torch.tensor(s))):
        exp = f(torch.tensor([3.0, 1.5]), 1.0039066)
        assert_bf16_equal(f(x, 1.0039066), exp.numpy())


@pytest.mark.parametrize("dtype", ["bfloat16", "float16"])
def test_factor_or_divisor_outside_the_format_keeps_float_precision(dtype):
    # mul and the divisions by a Python number the format cannot hold: the
    # float32 product / quotient rounded once, in every layout and both
    # operand orders (the vector loops and their tails); a number divided by
    # a tensor is the reciprocal (rounded) times it, as PyTorch's
    dt = getattr(torch, dtype)
    x = torch.from_numpy(np.random.default_rng(8).standard_normal(1037).astype(np.float32)).to(dt)
    for s in (0.1, 1 / 3, 3.3e5, -1e-7):
        for t in (x, x[::3], x[:1000].reshape(40, 25).t()):
            xf = t.float()
            for got, exp in [(t * s, xf * s), (s * t, s * xf), (t / s, xf / s), (s / t, t.reciprocal().float() * s),
                             (t // s, xf // s), (t.clone().mul_(s), xf * s),
                             (torch.div(t, s, rounding_mode="trunc"),
                              torch.div(xf, s, rounding_mode="trunc"))]:
                assert got.dtype == dt
                np.testing.assert_array_equal(got.float().numpy(), exp.to(dt).float().numpy())


# ---------------------------------------------------------------- reductions

def _float_reductions():
    out = []
    for r in REDUCTIONS:
        if "float16" not in r.dtypes:
            continue
        sample = next((s for s in r.samples if len(s[0]) >= 1 and 0 not in s[0]), None)
        if sample is not None:
            out.append(pytest.param(r, sample, id=r.name))
    return out


@pytest.mark.parametrize("red,sample", _float_reductions())
def test_reduction_accumulates_in_float32(red, sample):
    shape, kw = sample
    rng = np.random.default_rng(zlib.crc32(red.name.encode()))
    a = bf16_values(rng.uniform(0.5 if red.positive else -3, 3, size=shape).astype(np.float32))
    t32 = torch.from_numpy(a.copy())
    r32, r16 = red.op(t32, **kw), red.op(t32.bfloat16(), **kw)
    pairs = list(zip(r32, r16)) if isinstance(r32, tuple) else [(r32, r16)]
    for p32, p16 in pairs:
        if p32.dtype == torch.float32:
            assert p16.dtype == torch.bfloat16, red.name
            # summation order may move the float32 result by an ulp of float:
            # at most one bfloat16 step apart, usually equal
            np.testing.assert_allclose(p16.float().numpy(), bf16_values(p32.numpy()),
                                       rtol=2 ** -7, atol=1e-6, equal_nan=True, err_msg=red.name)
        else:
            assert p16.dtype == p32.dtype, red.name
            np.testing.assert_array_equal(p16.numpy(), p32.numpy(), err_msg=red.name)


def test_sum_of_many_accumulates_in_float():
    # 4096 ones: a bfloat16 accumulator would stop at 256
    t = torch.ones(4096, dtype=torch.bfloat16)
    assert t.sum().item() == 4096.0 and t.mean().item() == 1.0
    assert t.view(64, 64).sum(0)[0].item() == 64.0 and t.cumsum(0)[-1].item() == 4096.0


def test_matmul_sort_index_shape():
    rng = np.random.default_rng(3)
    a = bf16_values(rng.standard_normal((5, 7)).astype(np.float32))
    b = bf16_values(rng.standard_normal((7, 3)).astype(np.float32))
    A, B = torch.from_numpy(a), torch.from_numpy(b)
    assert_bf16_equal(A.bfloat16() @ B.bfloat16(), (A @ B).numpy(), "matmul")
    assert_bf16_equal(torch.bmm(A.bfloat16()[None], B.bfloat16()[None])[0], (A @ B).numpy(), "bmm")
    s = A.bfloat16().sort(1, descending=True)
    np.testing.assert_array_equal(s.values.float().numpy(), -np.sort(-a, axis=1))
    np.testing.assert_array_equal(s.indices.numpy(), np.argsort(-a, axis=1, kind="stable"))
    h = A.bfloat16()
    np.testing.assert_array_equal(h[1:4, ::2].float().numpy(), a[1:4, ::2])
    np.testing.assert_array_equal(h[torch.tensor([4, 0])].float().numpy(), a[[4, 0]])
    np.testing.assert_array_equal(torch.cat([h, h]).float().numpy(), np.concatenate([a, a]))
    np.testing.assert_array_equal(torch.stack([h, h], 1).float().numpy(), np.stack([a, a], 1))
    np.testing.assert_array_equal(torch.where(h > 0, h, 0.0).float().numpy(), np.where(a > 0, a, 0))
    np.testing.assert_array_equal(torch.searchsorted(h[0].sort().values, h[1]).numpy(),
                                  np.searchsorted(np.sort(a[0]), a[1]))
    z = torch.zeros(3, 7, dtype=torch.bfloat16).index_add_(0, torch.tensor([0, 2, 0, 1, 2]), h)
    np.testing.assert_allclose(z.float().numpy()[1], a[3])


# bfloat16 products run in float32 accumulators on the AMX tile kernel where
# the CPU has one (bf16gemm.c: 16-row, 32-k and 16-column blocks, 32 x 32
# blocks of C, bands of rows), else through float32: m, n and k on either
# side of each block edge, every layout of each operand, broadcast batches.
_BF_DIMS = (1, 2, 15, 16, 17, 31, 32, 33, 47, 64, 65, 129)
_BF_LAYOUTS = ("c", "t", "s", "e")


def _bf_operand(x, lay, dt=None):
    """bfloat16 (or dt) tensor of x's values: contiguous (c), transposed
    storage (t), every other column (s), or (e) the first row expanded when
    x's rows are all equal"""
    dt = dt or torch.bfloat16
    X = torch.from_numpy(np.ascontiguousarray(x))
    if lay == "t":
        return torch.from_numpy(np.ascontiguousarray(x.T)).to(dt).t()
    if lay == "s":
        return torch.from_numpy(np.repeat(x, 2, axis=-1)).to(dt)[..., ::2]
    if lay == "e":
        return X[..., :1, :].to(dt).expand(*x.shape)
    return X.to(dt)


def _bf_check(r, a, b, half_ulp=2.0 ** -8):
    """r (bfloat16, or float16 with half_ulp 2^-11) against a @ b in
    float64: the float32 sum's error plus one rounding to r's dtype (for
    float16 at most half its smallest subnormal, 2^-25, below 2^-14)"""
    tiny = 2.0 ** -25 if half_ulp == 2.0 ** -11 else 1e-30
    ref = np.matmul(a.astype(np.float64), b.astype(np.float64))
    mag = np.matmul(np.abs(a).astype(np.float64), np.abs(b).astype(np.float64))
    got = r.float().numpy().astype(np.float64)
    assert got.shape == ref.shape
    bad = np.abs(got - ref) > half_ulp * np.abs(ref) + 2.0 ** -20 * a.shape[-1] * mag + tiny
    assert not bad.any(), (np.argwhere(bad)[:3], got[bad][:3], ref[bad][:3])


@pytest.mark.parametrize("dtype", ["bfloat16", "float16"])
@pytest.mark.parametrize("k", _BF_DIMS)
def test_matmul_blocks_layouts(k, dtype, threads):
    # float16 (and bfloat16 without AMX) past 64 k: float32 buffers a
    # thread, widened in the operand's own orientation, C rounded a block
    # at a time, the products' columns (or rows) shared between threads
    rng = np.random.default_rng(k)
    dt = getattr(torch, dtype)
    rnd = bf16_values if dtype == "bfloat16" else lambda v: v.astype(np.float16).astype(np.float32)
    for i, m in enumerate(_BF_DIMS):
        n = _BF_DIMS[(i * 5 + k) % len(_BF_DIMS)]
        la, lb = _BF_LAYOUTS[i % 4], _BF_LAYOUTS[(i + k) % 4]
        a = rnd(rng.standard_normal((m, k)).astype(np.float32))
        b = rnd(rng.standard_normal((k, n)).astype(np.float32))
        if la == "e":
            a[:] = a[:1]
        if lb == "e":
            b[:] = b[:1]
        _bf_check(_bf_operand(a, la, dt) @ _bf_operand(b, lb, dt), a, b,
                  2.0 ** -8 if dtype == "bfloat16" else 2.0 ** -11)
    if k == 129:
        # a batch, a broadcast one, a matrix-vector product, one thread too
        a, b = rnd(rng.standard_normal((3, 70, k)).astype(np.float32)), rnd(rng.standard_normal((k, 90)).astype(np.float32))
        for count in (1, 2):
            threads(count)
            _bf_check(torch.from_numpy(a).to(dt) @ torch.from_numpy(b).to(dt), a, b,
                      2.0 ** -8 if dtype == "bfloat16" else 2.0 ** -11)
            _bf_check(torch.from_numpy(a[0]).to(dt) @ torch.from_numpy(b[:, :1]).to(dt), a[0], b[:, :1],
                      2.0 ** -8 if dtype == "bfloat16" else 2.0 ** -11)


def test_matmul_batches_bands_nonfinite():
    rng = np.random.default_rng(5)
    vals = lambda *s: bf16_values(rng.standard_normal(s).astype(np.float32))
    # broadcast batch (the second operand shared), batches of tiny products
    a, b = vals(3, 40, 70), vals(70, 33)
    _bf_check(torch.from_numpy(a).bfloat16() @ torch.from_numpy(b).bfloat16(), a, b)
    for m, k, n in ((4, 4, 4), (8, 8, 8), (16, 8, 16), (3, 33, 5)):
        a, b = vals(50, m, k), vals(50, k, n)
        _bf_check(torch.bmm(torch.from_numpy(a).bfloat16(), torch.from_numpy(b).bfloat16()), a, b)
        # float16 too, dense and transposed batches (all widened, one batched product)
        h = lambda v: v.astype(np.float16).astype(np.float32)
        ah, bh = h(a), h(b)
        for A16, B16 in ((torch.from_numpy(ah).half(), torch.from_numpy(bh).half()),
                         (torch.from_numpy(np.ascontiguousarray(ah.transpose(0, 2, 1))).half().mT,
                          torch.from_numpy(np.ascontiguousarray(bh.transpose(0, 2, 1))).half().mT)):
            _bf_check(torch.bmm(A16, B16), ah, bh, 2.0 ** -11)
    # rows in several bands (packed A of a band kept to 1 MB), both threads
    a, b = vals(300, 2000), vals(2000, 20)
    _bf_check(torch.from_numpy(a).bfloat16() @ _bf_operand(b, "t"), a, b)
    # inf and NaN come through as float32 products would give them
    a, b = vals(33, 65), vals(65, 17)
    a[0, 3], a[5, 7], b[9, 2] = np.inf, np.nan, -np.inf
    with np.errstate(invalid="ignore"):
        ref = np.matmul(a.astype(np.float64), b.astype(np.float64))
    got = (torch.from_numpy(a).bfloat16() @ torch.from_numpy(b).bfloat16()).float().numpy()
    np.testing.assert_array_equal(np.isnan(got), np.isnan(ref))
    fin = np.isfinite(ref)
    np.testing.assert_array_equal(got[~fin & ~np.isnan(ref)], ref[~fin & ~np.isnan(ref)])
    np.testing.assert_allclose(got[fin], ref[fin], rtol=2e-2, atol=0.2)


# the three routes of a bfloat16 product: the AMX tiles (where the CPU has
# them), AVX512-BF16's vector instruction (CTORCH_NO_AMX, where the CPU has
# it) and float32 (CTORCH_BF16_FLOAT32, every CPU); each run in its own
# process on products across the block edges, in every operand layout
_ROUTE_CASES = ((65, 300, 47), (1, 1, 1), (7, 33, 9), (17, 31, 16), (33, 65, 31),
                (8, 97, 129), (129, 17, 65), (40, 2, 33))
_ROUTE_CODE = """
import sys, numpy as np, ctorch as torch
sys.path.insert(0, {tests!r})
from test_bfloat16 import _route_operands
out = [(a @ b).view(torch.int16).numpy() for a, b, _, _ in _route_operands()]
np.savez(sys.stdout.buffer, *out)
"""


def _route_operands():
    """(A, B, a, b) per case and layout pair: bfloat16 operands and their
    float32 values"""
    rng = np.random.default_rng(11)
    ops = []
    for i, (m, k, n) in enumerate(_ROUTE_CASES):
        a = bf16_values(rng.standard_normal((m, k)).astype(np.float32))
        b = bf16_values(rng.standard_normal((k, n)).astype(np.float32))
        for la, lb in (("c", "c"), (_BF_LAYOUTS[i % 3], _BF_LAYOUTS[(i + 1) % 3])):
            ops.append((_bf_operand(a, la), _bf_operand(b, lb), a, b))
    return ops


def test_matmul_routes_agree():
    root = os.path.dirname(os.path.dirname(os.path.abspath(torch.__file__)))
    path = os.pathsep.join([root] + [p for p in [os.environ.get("PYTHONPATH")] if p])
    code = _ROUTE_CODE.format(tests=os.path.dirname(os.path.abspath(__file__)))
    cases = _route_operands()
    outs = []
    for env in ({}, {"CTORCH_NO_AMX": "1"}, {"CTORCH_BF16_FLOAT32": "1"}):
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                           env=dict(os.environ, PYTHONPATH=path, **env))
        got = np.load(io.BytesIO(r.stdout))
        res = [got["arr_%d" % i] for i in range(len(cases))]
        for (_, _, a, b), g in zip(cases, res):
            _bf_check(from_bits(g.view(np.uint16)), a, b)
        outs.append(np.concatenate([g.ravel() for g in res]).astype(np.int32))
    # every route gives the float32 product rounded once: they differ by
    # an ulp at most, from the order of the additions
    for o in outs[1:]:
        diff = np.abs(o - outs[0])
        assert diff.max() <= 1 and (diff == 0).mean() > 0.9


def test_creation():
    assert torch.zeros(3, dtype=torch.bfloat16).tolist() == [0.0] * 3
    assert torch.ones(2, dtype=torch.bfloat16).dtype == torch.bfloat16
    assert torch.full((2,), 0.1, dtype=torch.bfloat16).tolist() == [0.10009765625] * 2
    assert torch.arange(5, dtype=torch.bfloat16).tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert torch.linspace(0, 1, 5, dtype=torch.bfloat16).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert torch.tensor(1e39, dtype=torch.bfloat16).item() == float("inf")
    torch.manual_seed(0)
    r = torch.rand(1000, dtype=torch.bfloat16)
    assert r.dtype == torch.bfloat16 and 0 <= r.min().item() and r.max().item() < 1
    assert torch.randn(10, dtype=torch.bfloat16).dtype == torch.bfloat16
    u = torch.empty(1000, dtype=torch.bfloat16).uniform_(2, 3)
    assert 2 <= u.min().item() and u.max().item() < 3


# ---------------------------------------------------------------- bridges

def test_printing_as_pytorch():
    assert repr(torch.tensor([1.0, 2.5], dtype=torch.bfloat16)) == \
        "tensor([1.0000, 2.5000], dtype=torch.bfloat16)"
    assert repr(torch.tensor(0.1, dtype=torch.bfloat16)) == "tensor(0.1001, dtype=torch.bfloat16)"
    assert repr(torch.tensor([1e20, 1e-20, 123456.0, float("nan")], dtype=torch.bfloat16)) == \
        "tensor([9.9728e+19, 1.0006e-20, 1.2339e+05,        nan], dtype=torch.bfloat16)"
    assert repr(torch.arange(3, dtype=torch.bfloat16)) == "tensor([0., 1., 2.], dtype=torch.bfloat16)"


def test_numpy_refused_python_values_work():
    t = torch.tensor([[1.5, 2.25]], dtype=torch.bfloat16)
    with pytest.raises(TypeError, match="Got unsupported ScalarType BFloat16"):
        t.numpy()
    assert t.tolist() == [[1.5, 2.25]] and t[0, 1].item() == 2.25 and float(t[0, 0]) == 1.5
    assert torch.tensor(np.array([0.1], dtype=np.float64), dtype=torch.bfloat16).item() == 0.10009765625


def test_methods_and_legacy_types():
    t = torch.tensor([1.0, 2.0])
    assert t.bfloat16().dtype == t.to(torch.bfloat16).dtype == torch.bfloat16
    assert t.type(torch.BFloat16Tensor).dtype == torch.bfloat16
    assert t.bfloat16().type() == "torch.BFloat16Tensor"
    assert isinstance(t.bfloat16(), torch.BFloat16Tensor) and not isinstance(t, torch.BFloat16Tensor)
    assert torch.BFloat16Tensor([1, 2]).tolist() == [1.0, 2.0]
    assert torch.BFloat16Tensor(3).shape == (3,)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # TypedStorage's deprecation warns once per process
        s = t.bfloat16().storage()
    assert isinstance(s, torch.BFloat16Storage) and s.dtype == torch.bfloat16
    assert torch.BFloat16Storage(4).size() == 4


def test_autograd_in_bfloat16():
    x = torch.tensor([1.5, -2.0, 0.25], dtype=torch.bfloat16, requires_grad=True)
    (x * x).sum().backward()
    assert x.grad.dtype == torch.bfloat16 and x.grad.tolist() == [3.0, -4.0, 0.5]
    y = torch.tensor([[1.0, 2.0]], dtype=torch.bfloat16, requires_grad=True)
    (y @ y.t()).exp().sum().backward()
    assert y.grad.dtype == torch.bfloat16


def test_save_load_round_trip():
    t = from_bits(np.arange(0, 65536, 97, dtype=np.uint32).astype(np.uint16))
    buf = io.BytesIO()
    torch.save({"t": t, "v": t[5:9]}, buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        pkl = next(n for n in z.namelist() if n.endswith("data.pkl"))
        assert b"BFloat16Storage" in z.read(pkl)
    buf.seek(0)
    d = torch.load(buf)
    assert d["t"].dtype == torch.bfloat16
    np.testing.assert_array_equal(bits_of(d["t"]), bits_of(t))
    np.testing.assert_array_equal(bits_of(d["v"]), bits_of(t[5:9]))


def test_pickle_round_trip():
    import pickle
    t = torch.tensor([0.1, -3.5, float("inf")], dtype=torch.bfloat16)
    u = pickle.loads(pickle.dumps(t))
    assert u.dtype == torch.bfloat16 and np.array_equal(bits_of(u), bits_of(t))


def test_dlpack_names_bfloat16():
    t = torch.tensor([0.1, -3.5], dtype=torch.bfloat16)
    u = torch.from_dlpack(t)
    assert u.dtype == torch.bfloat16 and np.array_equal(bits_of(u), bits_of(t))


def test_cuda_bfloat16_is_refused_before_touching_the_device():
    torch.cuda._emulate(True)
    try:
        msg = "torch.bfloat16 tensors are not supported on CUDA devices"
        for make in (lambda: torch.ones(2, dtype=torch.bfloat16, device="cuda"),
                     lambda: torch.ones(2).bfloat16().cuda(),
                     lambda: torch.ones(2, device="cuda").to(torch.bfloat16),
                     lambda: torch.zeros(2, dtype=torch.int16, device="cuda").view(torch.bfloat16)):
            with pytest.raises(RuntimeError, match=msg):
                make()
        assert (torch.ones(2, device="cuda").half() + 1).tolist() == [2.0, 2.0]
    finally:
        torch.cuda._emulate(False)


@pytest.mark.parametrize("call,exc,msg", [
    (lambda t: torch.fft.fft(t), RuntimeError, "Unsupported dtype BFloat16"),
    (lambda t: torch.linalg.inv(t.view(2, 2)), RuntimeError, "Low precision dtypes not supported. Got BFloat16"),
    (lambda t: torch.binomial(t, t * 0.5), NotImplementedError, "\"binomial_cpu\" not implemented for 'BFloat16'"),
    (lambda t: torch.complex(t, t), RuntimeError, "Expected both inputs to be Half, Float or Double tensors but got BFloat16 and BFloat16"),
    (lambda t: torch.view_as_complex(t.view(2, 2)), RuntimeError, "but got a tensor of scalar type: BFloat16"),
    (lambda t: t.bitwise_not(), NotImplementedError, "\"bitwise_not_cpu\" not implemented for 'BFloat16'"),
])
def test_refused_as_pytorch_refuses(call, exc, msg):
    with pytest.raises(exc) as e:
        call(torch.ones(4, dtype=torch.bfloat16))
    assert msg in str(e.value)


def test_norms_accumulate_in_float32():
    t = torch.full((300,), 1.0, dtype=torch.bfloat16)
    assert t.norm().item() == 17.375          # sqrt(300) = 17.3205 rounded to bfloat16
    assert torch.linalg.vector_norm(t, 1).item() == 300.0


@pytest.mark.parametrize("name,call", [
    ("silu", lambda F, t: F.silu(t)), ("softplus", lambda F, t: F.softplus(t)),
    ("mish", lambda F, t: F.mish(t)), ("hardswish", lambda F, t: F.hardswish(t)),
    ("logsigmoid", lambda F, t: F.logsigmoid(t)),
    ("layer_norm", lambda F, t: F.layer_norm(t, (6,))),
    ("group_norm", lambda F, t: F.group_norm(t.view(2, 2, 3), 2)),
])
def test_nn_functions_compute_in_float32(name, call):
    F = torch.nn.functional
    rng = np.random.default_rng(11)
    a = bf16_values(rng.uniform(-4, 4, size=(2, 6)).astype(np.float32))
    t = torch.from_numpy(a.copy())
    assert_bf16_equal(call(F, t.bfloat16()), call(F, t).numpy(), name)


def test_inplace_activation_writes_the_bfloat16_input():
    t = torch.tensor([-1.0, 0.5, 2.0], dtype=torch.bfloat16)
    r = torch.nn.functional.silu(t, inplace=True)
    assert r is t and t.dtype == torch.bfloat16
    assert_bf16_equal(t, torch.nn.functional.silu(torch.tensor([-1.0, 0.5, 2.0])).numpy())
    x = torch.tensor([0.5, -1.0], dtype=torch.bfloat16, requires_grad=True)
    torch.nn.functional.silu(x).sum().backward()
    assert x.grad.dtype == torch.bfloat16


@pytest.mark.parametrize("dtype", ["bfloat16", "float16"])
def test_addmm_of_halves_rounds_once(dtype):
    # beta * c + alpha * (a @ b) in float32, rounded once to the half type (as PyTorch)
    rng = np.random.default_rng(7)
    a, b, c = (rng.standard_normal(s).astype(np.float32) for s in ((9, 13), (13, 6), (6,)))
    dt = getattr(torch, dtype)
    ta, tb, tc = (torch.from_numpy(x).to(dt) for x in (a, b, c))
    got = torch.addmm(tc, ta, tb, beta=-4.775, alpha=2.0315)
    want = torch.addmm(tc.float(), ta.float(), tb.float(), beta=-4.775, alpha=2.0315).to(dt)
    assert got.dtype == dt and torch.equal(got, want)
    ta.requires_grad_(True)
    r = torch.addmm(tc, ta, tb)
    assert r.grad_fn.name() == "AddmmBackward0"
    r.sum().backward()
    assert ta.grad.dtype == dt
