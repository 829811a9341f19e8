"""Complex numbers: real/imag/view_as_real/view_as_complex, complex(), polar(),
angle, conj, sgn against numpy; PyTorch's gradient convention
(grad = dL/dRe + i dL/dIm) checked by finite differences on real and
imaginary parts separately (through view_as_real / view_as_complex)."""
import math

import numpy as np
import pytest

import ctorch as torch

CPLX = ("complex64", "complex128")


def crand(shape, dtype="complex128", seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)


@pytest.mark.parametrize("dt", CPLX)
def test_real_imag_values_and_dtypes(dt):
    a = crand((3, 4), dt)
    for t in (torch.tensor(a), torch.tensor(a.T.copy()).t(), torch.tensor(np.repeat(a, 2, -1))[:, ::2]):
        rdt = torch.float32 if dt == "complex64" else torch.float64
        assert t.real.dtype == rdt and t.imag.dtype == rdt
        np.testing.assert_array_equal(t.real.numpy(), a.real)
        np.testing.assert_array_equal(torch.imag(t).numpy(), a.imag)
        np.testing.assert_array_equal(torch.view_as_real(t).numpy(), np.stack([a.real, a.imag], -1))


def test_real_of_real_is_self_and_imag_raises():
    x = torch.ones(3)
    assert x.real is x and torch.real(x) is x
    with pytest.raises(RuntimeError, match="imag is not implemented for tensors with non-complex dtypes."):
        x.imag
    with pytest.raises(RuntimeError, match="imag is not implemented"):
        torch.imag(torch.ones(2, dtype=torch.int64))


def test_view_as_complex_values():
    a = np.arange(12.0).reshape(3, 2, 2)
    t = torch.view_as_complex(torch.tensor(a))
    assert t.dtype == torch.complex128 and t.shape == (3, 2)
    np.testing.assert_array_equal(t.numpy(), a[..., 0] + 1j * a[..., 1])
    assert torch.view_as_complex(torch.ones(2)).shape == ()
    assert torch.view_as_complex(torch.ones(4, 2, dtype=torch.float32)).dtype == torch.complex64


@pytest.mark.parametrize("call,exc,frag", [
    (lambda: torch.view_as_real(torch.ones(3)), RuntimeError, "view_as_real is only supported for complex tensors"),
    (lambda: torch.view_as_complex(torch.ones(3)), RuntimeError, "Tensor must have a last dimension of size 2"),
    (lambda: torch.view_as_complex(torch.tensor(1.0)), RuntimeError, "Tensor must have a last dimension of size 2"),
    (lambda: torch.view_as_complex(torch.ones(2, 3).t()), RuntimeError, "last dimension with stride 1"),
    (lambda: torch.view_as_complex(torch.ones(3, 2, dtype=torch.int64)), RuntimeError,
     "view_as_complex is only supported for half, float and double tensors, but got a tensor of scalar type: Long"),
    (lambda: torch.view_as_complex(torch.ones(4, 3)[:, :2]), RuntimeError,
     "Tensor must have a stride divisible by 2 for all but last dimension"),
    (lambda: torch.view_as_complex(torch.ones(4)[1:3]), RuntimeError, "storage_offset divisible by 2"),
    (lambda: torch.view_as_real([1j]), TypeError, "must be Tensor"),
    (lambda: torch.complex(torch.ones(2), torch.ones(2, dtype=torch.float64)), RuntimeError,
     "Expected object of scalar type Float but got scalar type Double for second argument"),
    (lambda: torch.complex(torch.ones(2, dtype=torch.int64), torch.ones(2, dtype=torch.int64)), RuntimeError,
     "Expected both inputs to be Half, Float or Double tensors but got Long and Long"),
    (lambda: torch.complex(torch.ones(2), torch.ones(3)), RuntimeError, "must match the size"),
    (lambda: torch.complex(torch.ones(2), 1.0), TypeError, "must be Tensor"),
    (lambda: torch.polar(torch.ones(2, dtype=torch.int32), torch.ones(2, dtype=torch.int32)), RuntimeError,
     "Expected both inputs to be Half, Float or Double tensors but got Int and Int"),
    (lambda: torch.complex(torch.ones(2), torch.ones(2), out=torch.empty(2)), RuntimeError,
     "Expected object of scalar type ComplexFloat"),
])
def test_errors(call, exc, frag):
    with pytest.raises(exc) as info:
        call()
    assert frag in str(info.value)


def test_complex_and_polar():
    rng = np.random.default_rng(1)
    re, im = rng.standard_normal((2, 3)), rng.standard_normal(3)
    r = torch.complex(torch.tensor(re), torch.tensor(im))
    assert r.dtype == torch.complex128 and r.shape == (2, 3)
    np.testing.assert_array_equal(r.numpy(), re + 1j * im)
    r32 = torch.complex(torch.tensor(re, dtype=torch.float32), torch.tensor(im, dtype=torch.float32))
    assert r32.dtype == torch.complex64
    a, th = np.abs(re), rng.standard_normal((2, 3))
    p = torch.polar(torch.tensor(a), torch.tensor(th))
    np.testing.assert_allclose(p.numpy(), a * np.exp(1j * th), rtol=1e-14, atol=1e-15)
    out = torch.empty(0, dtype=torch.complex128)
    torch.complex(torch.tensor(re), torch.tensor(im), out=out)
    np.testing.assert_array_equal(out.numpy(), re + 1j * im)


def test_angle():
    z = crand(7, "complex64")
    z[0] = 0
    np.testing.assert_allclose(torch.angle(torch.tensor(z)).numpy(), np.angle(z), rtol=1e-6)
    assert torch.tensor(z).angle().dtype == torch.float32
    x = torch.tensor([1.0, -2.0, 0.0, -0.0, float("nan"), -float("inf")])
    got = torch.angle(x).tolist()
    assert got[:4] == [0.0, pytest.approx(math.pi), 0.0, 0.0] and math.isnan(got[4])
    assert got[5] == pytest.approx(math.pi)
    r = torch.angle(torch.tensor([1, -2, 0]))
    assert r.dtype == torch.float32 and r.tolist() == [0.0, pytest.approx(math.pi), 0.0]
    assert torch.angle(torch.tensor([-1.0], dtype=torch.float64)).dtype == torch.float64


@pytest.mark.parametrize("dt", CPLX)
def test_conj(dt):
    a = crand((2, 3), dt)
    t = torch.tensor(a).t()
    for fn in (torch.conj, torch.conj_physical, lambda x: x.conj(), lambda x: x.conj_physical()):
        r = fn(t)
        assert r.dtype == t.dtype
        np.testing.assert_array_equal(r.numpy(), np.conj(a.T))
    x = torch.ones(3)
    assert torch.conj(x) is x and x.conj_physical() is x
    assert x.resolve_conj() is x and torch.resolve_neg(x) is x and not t.conj().is_conj()


def test_sgn():
    z = np.array([3 + 4j, 0j, -2j], dtype=np.complex64)
    np.testing.assert_allclose(torch.sgn(torch.tensor(z)).numpy(), [0.6 + 0.8j, 0, -1j], rtol=1e-6)
    assert torch.sgn(torch.tensor([-2.0, 0.0, 3.0])).tolist() == [-1.0, 0.0, 1.0]


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_sgn_kernel_accuracy_specials_and_layouts(dtype):
    """The one-pass kernel: within an ulp of z / |z| over the whole exponent
    range (denormal to near-overflow parts), 0 at 0, the specials as z / |z|
    gives them (an infinite part nan, a finite one 0 beside it; NaN both),
    strided and in-place alike."""
    rng = np.random.default_rng(3)
    ft = np.float32 if dtype == np.complex64 else np.float64
    lo, hi = (-44, 38) if ft is np.float32 else (-320, 307)
    e = rng.uniform(lo, hi, (20000, 2))
    v = rng.choice([-1.0, 1.0], (20000, 2)) * 10.0 ** e
    with np.errstate(over="ignore", under="ignore"):
        re, im = v[:, 0].astype(ft), v[:, 1].astype(ft)
    z = np.empty(re.size, dtype)
    z.real, z.imag = re, im
    got = torch.sgn(torch.tensor(z)).numpy()
    # the reference in long double, scaled by the larger part
    lr, li = re.astype(np.longdouble), im.astype(np.longdouble)
    m = np.maximum(np.abs(lr), np.abs(li))
    nr, ni = lr / m, li / m
    s = np.sqrt(nr * nr + ni * ni)
    eps = np.finfo(ft).eps
    for g, w in ((got.real, nr / s), (got.imag, ni / s)):
        err = np.abs(g.astype(np.longdouble) - w) / np.maximum(np.abs(w), np.finfo(ft).tiny)
        assert float(err.max() / eps) < 1.0
    inf, nan = np.inf, np.nan
    sp = np.array([0, -0.0, 1, -1, inf, -inf, nan, 2.5], ft)
    a, b = np.meshgrid(sp, sp)
    zs = np.empty(a.size, dtype)
    zs.real, zs.imag = a.ravel(), b.ravel()
    got = torch.sgn(torch.tensor(zs)).numpy()
    for x, g in zip(zs, got):
        if x == 0:
            want = 0j
        elif np.isnan(x.real) or np.isnan(x.imag):
            want = complex(nan, nan)
        elif np.isinf(x.real) or np.isinf(x.imag):
            want = complex(nan if np.isinf(x.real) else 0.0, nan if np.isinf(x.imag) else 0.0)
        else:
            want = x / abs(complex(x))
        np.testing.assert_allclose(g, want, rtol=2 * eps, equal_nan=True)
    # a zero part keeps its sign (z / |z| divides it by a positive number)
    sz = np.array([complex(-0.0, -2), complex(-2, -0.0), complex(-0.0, 3), complex(5, -0.0)] * 5, dtype)
    for view in (slice(None), slice(None, None, 2)):
        g = torch.sgn(torch.tensor(sz)[view]).numpy()
        np.testing.assert_array_equal(np.signbit(g.real), np.signbit(sz[view].real))
        np.testing.assert_array_equal(np.signbit(g.imag), np.signbit(sz[view].imag))
    t = torch.tensor(z[:600].reshape(20, 30))
    np.testing.assert_array_equal(t.t().sgn().numpy(), t.sgn().numpy().T)
    np.testing.assert_array_equal(t[:, ::3].sgn().numpy(), t.sgn().numpy()[:, ::3])
    w = t.clone()
    assert w.sgn_() is w
    np.testing.assert_array_equal(w.numpy(), t.sgn().numpy())
    out = torch.empty(20, 30, dtype=t.dtype)
    assert torch.sgn(t, out=out) is out
    np.testing.assert_array_equal(out.numpy(), t.sgn().numpy())
    with pytest.raises(RuntimeError, match="Found dtype"):
        torch.sgn(t, out=torch.empty(20, 30))


@pytest.mark.parametrize("dt", CPLX)
def test_arithmetic_against_numpy(dt):
    a, b = crand(6, dt, 1), crand(6, dt, 2)
    ta, tb = torch.tensor(a), torch.tensor(b)
    tol = dict(rtol=1e-6 if dt == "complex64" else 1e-14)
    for got, ref in [(ta + tb, a + b), (ta - tb, a - b), (ta * tb, a * b), (ta / tb, a / b),
                     (ta * 2.5, a * 2.5), (ta * (1 - 2j), a * (1 - 2j)), (ta.abs(), np.abs(a)),
                     (torch.exp(ta), np.exp(a)), (ta.sum(), a.sum())]:
        assert got.numpy().dtype == np.asarray(ref).dtype
        np.testing.assert_allclose(got.numpy(), ref, **tol)


# ---------------------------------------------------------------- gradients
# f takes the (..., 2) real view of a complex128 input, so that gradcheck
# perturbs the real and imaginary parts separately.

def _c(xr):
    return torch.view_as_complex(xr)


GRADS = {
    "real": lambda xr: _c(xr).real * 1.0,
    "imag": lambda xr: _c(xr).imag * 1.0,
    "view_as_real": lambda xr: torch.view_as_real(_c(xr) * 1.0),
    "abs": lambda xr: _c(xr).abs(),
    "angle": lambda xr: torch.angle(_c(xr)),
    "conj": lambda xr: torch.view_as_real(torch.conj(_c(xr) * 1.0)),
    "conj_physical": lambda xr: torch.view_as_real(torch.conj_physical(_c(xr))),
    "mul": lambda xr: torch.view_as_real(_c(xr) * _c(xr).flip(0)),
    "mul_scalar": lambda xr: torch.view_as_real(_c(xr) * (2 - 3j)),
    "div": lambda xr: torch.view_as_real(_c(xr) / (_c(xr).flip(0) + 3)),
    "add_sub": lambda xr: torch.view_as_real(_c(xr) + 2 * _c(xr).flip(0) - (1 + 1j)),
    "exp": lambda xr: torch.view_as_real(torch.exp(_c(xr))),
    "square_abs_sum": lambda xr: (_c(xr) * _c(xr)).abs().sum(),
    "sum": lambda xr: torch.view_as_real(_c(xr).sum()),
}


@pytest.mark.parametrize("name", list(GRADS))
def test_complex_gradcheck(name):
    xr = torch.tensor(np.random.default_rng(7).standard_normal((4, 2)), requires_grad=True)
    assert torch.autograd.gradcheck(GRADS[name], (xr,))


def test_real_to_complex_gradcheck():
    a = torch.tensor(np.random.default_rng(8).standard_normal(4), requires_grad=True)
    b = torch.tensor(np.random.default_rng(9).standard_normal(4), requires_grad=True)
    assert torch.autograd.gradcheck(lambda x, y: torch.view_as_real(torch.complex(x, y) * (1 + 2j)), (a, b))
    assert torch.autograd.gradcheck(lambda x, y: torch.view_as_real(torch.polar(x, y)), (a, b))
    assert torch.autograd.gradcheck(lambda x: torch.view_as_real(x * (1 + 2j)), (a,))
    assert torch.autograd.gradcheck(lambda x: torch.angle(x), (a,))


def test_gradient_convention_and_grad_fn_names():
    """x.grad = dL/dRe + i dL/dIm, checked on L = |x|^2 summed: grad = 2x."""
    x = torch.tensor([1 + 2j, -3 + 0.5j], requires_grad=True)
    (x * x.conj()).real.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2 + 4j, -6 + 1j])
    x.grad = None
    (x * x).abs().sum().backward()
    # PyTorch gives tensor([ 2.+4.j, -6.+1.j]) for this loss
    np.testing.assert_allclose(x.grad.numpy(), [2 + 4j, -6 + 1j], rtol=1e-6)
    names = {
        "SelectBackward0": x.real, "ViewAsRealBackward0": torch.view_as_real(x),
        "ConjBackward0": x.conj(), "ConjPhysicalBackward0": x.conj_physical(),
        "AngleBackward0": x.angle(), "PolarBackward0": torch.polar(x.real, x.imag),
        "ComplexBackward0": torch.complex(x.real, x.imag),
        "ViewAsComplexBackward0": torch.view_as_complex(torch.view_as_real(x)),
    }
    for name, t in names.items():
        assert type(t.grad_fn).__name__ == name


def test_backward_of_complex_scalar_needs_a_gradient():
    x = torch.tensor([1 + 1j], requires_grad=True)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for real scalar outputs but got "
                                           "torch.complex64"):
        (x * 2).sum().backward()
    (x * 2).sum().backward(torch.tensor(1 + 0j))
    assert x.grad.tolist() == [2 + 0j]


def test_conj_physical_in_place():
    z = torch.tensor([1 + 2j, -3 - 4j])
    v = z._version
    assert z.conj_physical_() is z and z.tolist() == [1 - 2j, -3 + 4j] and z._version > v
    x = torch.tensor([1.5])
    assert x.conj_physical_() is x and x.tolist() == [1.5]
    leaf = torch.tensor([1j], requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        leaf.conj_physical_()
    xr = torch.tensor(np.random.default_rng(3).standard_normal((3, 2)), requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: torch.view_as_real((torch.view_as_complex(t) * 2).conj_physical_()),
                                    (xr,))


_INF, _NAN = math.inf, math.nan


@pytest.mark.parametrize("dt", CPLX)
def test_logaddexp_of_infinities_and_nans(dt):
    # PyTorch 2.13's results: the operand of the larger real part (the first on
    # a tie) dominates; equal infinite real parts give the second operand (-inf)
    # or log(exp(a) + exp(b)) (+inf); a NaN imaginary part there gives NaN
    cases = [
        (complex(_INF, 0), complex(_INF, 0), complex(_INF, 0)),
        (complex(-_INF, 0), complex(-_INF, 0), complex(-_INF, 0)),
        (complex(_INF, 1), complex(-_INF, 0), complex(_INF, 1)),
        (complex(-_INF, 1), complex(-_INF, 2), complex(-_INF, 2)),
        (complex(-_INF, 2), complex(-_INF, 1), complex(-_INF, 1)),
        (0j, complex(-_INF, 0), 0j),
        (complex(_NAN, 0), 1 + 0j, complex(_NAN, _NAN)),
        (2 + 3j, complex(1, _INF), complex(_NAN, _NAN)),
        (complex(_INF, 0), 1 + 1j, complex(_INF, 0)),
        (complex(_INF, 1), complex(_INF, 1), complex(_INF, math.pi / 4)),
        (complex(_INF, 1), complex(_INF, 2), complex(_INF, _NAN)),
        (complex(_INF, 3), complex(_INF, -3), complex(_INF, _NAN)),
        (complex(_INF, _NAN), complex(_INF, 1), complex(_NAN, _NAN)),
        (complex(-_INF, _NAN), complex(-_INF, 1), complex(_NAN, _NAN)),
        (-3 - 5j, -3 + 1j, (-3 - 5j) + np.log1p(np.exp(6j))),
        (-3 + 1j, -3 - 5j, (-3 + 1j) + np.log1p(np.exp(-6j))),
    ]
    a, b, want = (np.array(c, dtype=dt) for c in zip(*cases))
    got = torch.logaddexp(torch.tensor(a), torch.tensor(b)).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=0)
    # mixed dtypes promote; the out= tensor takes any complex dtype the result casts to
    r = torch.logaddexp(torch.tensor(a), torch.tensor(b.real.copy()))
    assert r.dtype == (torch.complex64 if dt == "complex64" else torch.complex128)
    out = torch.empty(0, dtype=torch.complex128)
    assert torch.logaddexp(torch.tensor(a[:3]), torch.tensor(b[:3]), out=out) is out
    np.testing.assert_allclose(out.numpy(), want[:3].astype("complex128"), rtol=1e-6)
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type Double"):
        torch.logaddexp(torch.tensor(a), torch.tensor(b), out=torch.empty(0, dtype=torch.float64))


def test_adjoint_of_a_0d_tensor_warns_and_conjugates():
    with pytest.warns(UserWarning, match=r"adjoint\(\) is deprecated on 0-D tensors"):
        r = torch.tensor(1 + 2j).adjoint()
    assert r.item() == 1 - 2j
    with pytest.warns(UserWarning, match="Consider using x.conj()"):
        assert torch.adjoint(torch.tensor(3.0)).item() == 3.0
