"""torch.autocast and torch.GradScaler (ctorch.amp) on the CPU.

Autocast: each listed op is a table entry (its device list's policy); inside a
region its result must have the policy's dtype and equal the op run outside
on explicitly cast inputs (what "casts its inputs" means); ops left off the
CPU lists, float64 and integer inputs, and out= calls are untouched. The CUDA
lists run on the emulated device in tests/test_runtime_misc.py.
GradScaler: the documented loss-scaling algorithm (skip on inf/NaN, backoff,
growth after growth_interval steps) against hand-computed values, and
PyTorch's messages for misuse."""
import pickle
import threading
import warnings

import numpy as np
import pytest

import ctorch as torch
import ctorch.nn.functional as F
from ctorch.amp import autocast_mode

f16, f32, f64 = torch.float16, torch.float32, torch.float64


def _rand(*shape, dtype=f32, seed=0):
    rng = np.random.default_rng(seed + sum(shape))
    return torch.tensor(rng.standard_normal(shape), dtype=dtype)


def _targets(n, classes):
    return torch.tensor(np.arange(n) % classes, dtype=torch.int64)


# name, the call, its inputs (float32 unless given), the CPU policy
AUTOCAST_CPU = [
    ("mm", lambda a, b: torch.mm(a, b), lambda: (_rand(3, 4), _rand(4, 2)), "lower"),
    ("matmul", lambda a, b: torch.matmul(a, b), lambda: (_rand(2, 3, 4), _rand(4, 2)), "lower"),
    ("__matmul__", lambda a, b: a @ b, lambda: (_rand(3, 4), _rand(4, 2)), "lower"),
    ("Tensor.mm", lambda a, b: a.mm(b), lambda: (_rand(3, 4), _rand(4, 2)), "lower"),
    ("bmm", lambda a, b: torch.bmm(a, b), lambda: (_rand(2, 3, 4), _rand(2, 4, 2)), "lower"),
    ("addmm", lambda c, a, b: torch.addmm(c, a, b, beta=0.5, alpha=2),
     lambda: (_rand(3, 2), _rand(3, 4), _rand(4, 2)), "lower"),
    ("addbmm", lambda c, a, b: torch.addbmm(c, a, b), lambda: (_rand(3, 2), _rand(2, 3, 4), _rand(2, 4, 2)),
     "lower"),
    ("baddbmm", lambda c, a, b: torch.baddbmm(c, a, b), lambda: (_rand(2, 3, 2), _rand(2, 3, 4), _rand(2, 4, 2)),
     "lower"),
    ("linear", lambda x, w, b: F.linear(x, w, b), lambda: (_rand(3, 4), _rand(2, 4), _rand(2)), "lower"),
    ("conv1d", lambda x, w: F.conv1d(x, w, padding=1), lambda: (_rand(1, 2, 5), _rand(3, 2, 3)), "lower"),
    ("conv2d", lambda x, w, b: F.conv2d(x, w, b), lambda: (_rand(1, 2, 4, 4), _rand(3, 2, 3, 3), _rand(3)),
     "lower"),
    ("conv_transpose1d", lambda x, w: F.conv_transpose1d(x, w), lambda: (_rand(1, 2, 4), _rand(2, 3, 3)),
     "lower"),
    ("prelu", lambda x, w: F.prelu(x, w), lambda: (_rand(2, 3), _rand(1)), "lower"),
    ("vecdot", lambda x, y: torch.linalg.vecdot(x, y), lambda: (_rand(3, 4), _rand(3, 4)), "lower"),
    ("scaled_dot_product_attention", lambda q, k, v: F.scaled_dot_product_attention(q, k, v),
     lambda: (_rand(1, 3, 4), _rand(1, 3, 4), _rand(1, 3, 4)), "lower"),
    ("mse_loss", lambda a, b: F.mse_loss(a, b), lambda: (_rand(3, 4), _rand(3, 4, seed=1)), "fp32"),
    ("l1_loss", lambda a, b: F.l1_loss(a, b), lambda: (_rand(3, 4), _rand(3, 4, seed=1)), "fp32"),
    ("smooth_l1_loss", lambda a, b: F.smooth_l1_loss(a, b), lambda: (_rand(3, 4), _rand(3, 4, seed=1)), "fp32"),
    ("cross_entropy", lambda x: F.cross_entropy(x, _targets(4, 3)), lambda: (_rand(4, 3),), "fp32"),
    ("nll_loss", lambda x: F.nll_loss(x, _targets(4, 3)), lambda: (_rand(4, 3),), "fp32"),
    ("binary_cross_entropy_with_logits", lambda x, y: F.binary_cross_entropy_with_logits(x, y),
     lambda: (_rand(3, 4), torch.rand(3, 4)), "fp32"),
    ("kl_div", lambda x, y: F.kl_div(x, y, reduction="batchmean"), lambda: (_rand(3, 4), torch.rand(3, 4)),
     "fp32"),
    ("prod", lambda x: torch.prod(x, 1), lambda: (_rand(3, 4),), "fp32"),
    ("trace", lambda x: torch.trace(x), lambda: (_rand(3, 3),), "fp32"),
    ("cdist", lambda a, b: torch.cdist(a, b), lambda: (_rand(3, 4), _rand(2, 4)), "fp32"),
    # not on the CPU lists: the inputs' dtype
    ("softmax", lambda x: torch.softmax(x, 1), lambda: (_rand(3, 4),), None),
    ("sum", lambda x: x.sum(), lambda: (_rand(3, 4),), None),
    ("exp", lambda x: torch.exp(x), lambda: (_rand(3, 4),), None),
    ("layer_norm", lambda x: F.layer_norm(x, (4,)), lambda: (_rand(3, 4),), None),
]


def _cast_all(args, dtype):
    return tuple(a.to(dtype) if a.is_floating_point() else a for a in args)


@pytest.mark.parametrize("entry", AUTOCAST_CPU, ids=lambda e: e[0])
def test_autocast_cpu_lists(entry):
    name, fn, make, policy = entry
    args = make()
    if policy == "lower":
        # float32 inputs run in the region's dtype
        with torch.autocast("cpu", dtype=f16):
            got = fn(*args)
        want = fn(*_cast_all(args, f16))
        assert got.dtype is f16, name
    elif policy == "fp32":
        # float16 inputs run in float32
        args = _cast_all(args, f16)
        with torch.autocast("cpu", dtype=f16):
            got = fn(*args)
        want = fn(*_cast_all(args, f32))
        assert got.dtype is f32, name
    else:
        args = _cast_all(args, f16)
        with torch.autocast("cpu", dtype=f16):
            got = fn(*args)
        want = fn(*args)
        assert got.dtype is f16, name
    assert want.dtype is got.dtype
    np.testing.assert_array_equal(got.float().detach().numpy(), want.float().detach().numpy())


def test_autocast_lower_matches_numpy():
    a, b = _rand(4, 5), _rand(5, 3)
    with torch.autocast("cpu", dtype=f16):
        r = a @ b
    want = a.numpy().astype(np.float16).astype(np.float32) @ b.numpy().astype(np.float16).astype(np.float32)
    np.testing.assert_allclose(r.float().numpy(), want, rtol=2e-3, atol=2e-3)
    # outside the region, the same product is float32 again
    assert (a @ b).dtype is f32


def test_autocast_promote_cat_stack():
    a, h = _rand(2, 3), _rand(2, 3).to(f16)
    with torch.autocast("cpu", dtype=f16):
        assert torch.cat([h, a]).dtype is f32
        assert torch.cat([h, h]).dtype is f16
        assert torch.stack([a, h]).dtype is f32
        assert torch.stack([h, h], 1).dtype is f16
        # float64 takes no part in the promotion; cat's own promotion then applies
        assert torch.cat([h, a.double()]).dtype is f64
    np.testing.assert_array_equal(torch.cat([h, a]).numpy(), np.concatenate([h.float().numpy(), a.numpy()]))


def test_autocast_leaves_float64_integers_and_out_alone():
    a, b = _rand(3, 4, dtype=f64), _rand(4, 2, dtype=f64)
    i = torch.arange(6).reshape(2, 3)
    o = torch.empty(3, 2)
    with torch.autocast("cpu", dtype=f16):
        assert (a @ b).dtype is f64
        assert (i @ i.T).dtype is torch.int64
        r = torch.mm(a.float(), b.float(), out=o)
        assert r is o and o.dtype is f32
        # mixed: only the float32 operand is cast
        assert (a.float() @ b.float().half()).dtype is f16


def test_autocast_nesting_disabled_and_state():
    x, w = _rand(2, 3), _rand(3, 3)
    assert not torch.is_autocast_enabled("cpu")
    with torch.autocast("cpu", dtype=f16):
        assert torch.is_autocast_enabled("cpu") and torch.get_autocast_dtype("cpu") is f16
        with torch.autocast("cpu", enabled=False):
            assert not torch.is_autocast_enabled("cpu")
            assert (x @ w).dtype is f32
        assert (x @ w).dtype is f16
        with torch.autocast("cpu", dtype=f16, enabled=True):
            assert (x @ w).dtype is f16
        assert torch.is_autocast_enabled("cpu")
        assert not torch.is_autocast_enabled("cuda") and not torch.is_autocast_enabled()
    assert not torch.is_autocast_enabled("cpu")
    assert (x @ w).dtype is f32
    assert torch.get_autocast_dtype("cuda") is f16
    # the switches themselves (inside a disabled region, whose exit restores them)
    with torch.autocast("cpu", dtype=f32, enabled=False):
        torch.set_autocast_dtype("cpu", f16)
        torch.set_autocast_enabled("cpu", True)
        assert (x @ w).dtype is f16
        torch.set_autocast_enabled("cpu", False)
        assert (x @ w).dtype is f32
        torch.set_autocast_enabled("cpu", True)
    assert not torch.is_autocast_enabled("cpu") and (x @ w).dtype is f32


def test_autocast_restores_state_after_an_exception():
    with pytest.raises(ValueError):
        with torch.autocast("cpu", dtype=f16):
            raise ValueError("x")
    assert not torch.is_autocast_enabled("cpu")
    assert (_rand(2, 2) @ _rand(2, 2)).dtype is f32


def test_autocast_decorator():
    @torch.autocast("cpu", dtype=f16)
    def f(a, b):
        """doc"""
        return a @ b, torch.is_autocast_enabled("cpu")

    r, on = f(_rand(2, 3), _rand(3, 2))
    assert r.dtype is f16 and on and f.__name__ == "f" and f.__doc__ == "doc"
    assert not torch.is_autocast_enabled("cpu")
    with pytest.raises(TypeError, match=r"autocast\(\)\(func\) requires a callable, but got int"):
        torch.autocast("cpu", dtype=f16)(3)


def test_autocast_module_forward_and_gradients():
    torch.manual_seed(0)
    lin = torch.nn.Linear(4, 3)
    x = _rand(5, 4)
    with torch.autocast("cpu", dtype=f16):
        y = lin(x)
        loss = F.mse_loss(y, torch.zeros(5, 3))       # float32 list: float16 y -> float32
    assert y.dtype is f16 and loss.dtype is f32
    loss.backward()
    assert lin.weight.grad.dtype is f32 and lin.bias.grad.dtype is f32
    # the same computation with explicit casts gives the same gradients
    w = lin.weight.detach().clone().requires_grad_()
    b = lin.bias.detach().clone().requires_grad_()
    y2 = F.linear(x.half(), w.half(), b.half())
    F.mse_loss(y2.float(), torch.zeros(5, 3)).backward()
    np.testing.assert_array_equal(lin.weight.grad.numpy(), w.grad.numpy())
    np.testing.assert_array_equal(lin.bias.grad.numpy(), b.grad.numpy())


def test_autocast_weight_cast_cache():
    w = torch.nn.Parameter(_rand(3, 3))
    x = _rand(2, 3)
    cache = autocast_mode._state.cache
    with torch.autocast("cpu", dtype=f16):
        x @ w
        assert len(cache) == 1                 # the cast of the float32 leaf needing grad
        (x @ w).sum()
        assert len(cache) == 1                 # ... reused
        x @ x.T                                 # no leaf needing grad: nothing cached
        assert len(cache) == 1
        with torch.autocast("cpu", dtype=f16):
            x @ w
        assert len(cache) == 1                 # an inner exit keeps it
        torch.clear_autocast_cache()
        assert len(cache) == 0
        x @ w
    assert len(cache) == 0                     # the outermost exit clears it
    with torch.autocast("cpu", dtype=f16, cache_enabled=False):
        x @ w
        assert len(cache) == 0
        assert not torch.is_autocast_cache_enabled()
    assert torch.is_autocast_cache_enabled()


def test_autocast_is_per_thread():
    seen = []

    def work():
        seen.append((torch.is_autocast_enabled("cpu"), (_rand(2, 2) @ _rand(2, 2)).dtype))

    with torch.autocast("cpu", dtype=f16):
        t = threading.Thread(target=work)
        t.start()
        t.join()
        assert (_rand(2, 2) @ _rand(2, 2)).dtype is f16
    assert seen == [(False, f32)]


def test_autocast_errors_and_warnings():
    msg = ("Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, "
           "lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type at start of device string: foo")
    with pytest.raises(RuntimeError) as e:
        torch.autocast("foo")
    assert str(e.value) == msg
    with pytest.raises(RuntimeError) as e:
        torch.is_autocast_enabled("foo")
    assert str(e.value) == msg
    with pytest.raises(ValueError, match="Expected `device_type` of type `str`, got: `<class 'int'>`"):
        torch.autocast(3)
    with pytest.raises(RuntimeError, match="User specified an unsupported autocast device_type 'meta'"):
        torch.autocast("meta", dtype=f16)
    for dt in (f32, f64, torch.int32):
        with pytest.warns(UserWarning, match="In CPU autocast, but the target dtype is not supported. "
                                             "Disabling autocast.\nCPU Autocast only supports dtypes of "
                                             "torch.bfloat16, torch.float16 currently."):
            ac = torch.autocast("cpu", dtype=dt)
        with ac:
            assert not torch.is_autocast_enabled("cpu")
            assert (_rand(2, 2) @ _rand(2, 2)).dtype is f32
    if not torch.cuda.is_available():
        with pytest.warns(UserWarning, match="CUDA is not available or torch_xla is imported. Disabling autocast."):
            ac = torch.autocast("cuda")
        with ac:
            assert not torch.is_autocast_enabled("cuda")


def test_autocast_switches_check_their_arguments():
    for call, msg in (
            (lambda: torch.is_autocast_enabled(3),
             "is_autocast_enabled(): argument 'device_type' (position 1) must be str, not int"),
            (lambda: torch.get_autocast_dtype(torch.ones(1)),
             "get_autocast_dtype(): argument 'device_type' (position 1) must be str, not Tensor"),
            (lambda: torch.set_autocast_enabled(1),
             "set_autocast_enabled(): argument 'enabled' (position 1) must be bool, not int"),
            (lambda: torch.set_autocast_enabled("cpu", None),
             "set_autocast_enabled(): argument 'enabled' (position 2) must be bool, not NoneType"),
            (lambda: torch.set_autocast_dtype("cpu", 3),
             "set_autocast_dtype(): argument 'dtype' (position 2) must be torch.dtype, not int"),
            (lambda: torch.set_autocast_cache_enabled(1), "enabled must be a bool (got int)")):
        with pytest.raises(TypeError) as e:
            call()
        assert str(e.value) == msg
    assert not torch.is_autocast_enabled("cpu") and not torch.is_autocast_enabled("cuda")


def test_autocast_legacy_names():
    with pytest.warns(DeprecationWarning, match=r"torch.get_autocast_gpu_dtype\(\) is deprecated. Please use "
                                                r"torch.get_autocast_dtype\('cuda'\) instead."):
        assert torch.get_autocast_gpu_dtype() is f16
    with pytest.warns(FutureWarning, match=r"`torch.cpu.amp.autocast\(args...\)` is deprecated. Please use "
                                           r"`torch.amp.autocast\('cpu', args...\)` instead."):
        ac = torch.cpu.amp.autocast(dtype=f16)
    with ac:
        assert (_rand(2, 2) @ _rand(2, 2)).dtype is f16
    assert torch.amp.autocast is torch.autocast
    assert torch.amp.is_autocast_available("cpu") and not torch.amp.is_autocast_available("meta")


def test_autocast_default_cpu_dtype_is_bfloat16():
    a, b = _rand(2, 3), _rand(3, 2)
    assert torch.get_autocast_dtype("cpu") is torch.bfloat16
    with torch.autocast("cpu"):
        r = a @ b
        assert torch.get_autocast_dtype("cpu") is torch.bfloat16
    assert r.dtype is torch.bfloat16


def test_custom_fwd_bwd():
    seen = {}

    class Square(torch.autograd.Function):
        @staticmethod
        @torch.amp.custom_fwd(device_type="cpu", cast_inputs=f32)
        def forward(ctx, x):
            seen["fwd"] = (x.dtype, torch.is_autocast_enabled("cpu"))
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @torch.amp.custom_bwd(device_type="cpu")
        def backward(ctx, g):
            seen["bwd"] = torch.is_autocast_enabled("cpu")
            (x,) = ctx.saved_tensors
            return 2 * x * g

    x = _rand(3).half().requires_grad_()
    with torch.autocast("cpu", dtype=f16):
        y = Square.apply(x)
    assert seen["fwd"] == (f32, False) and y.dtype is f32
    y.sum().backward()
    assert seen["bwd"] is False                # forward ran with autocast off
    np.testing.assert_allclose(x.grad.float().numpy(), 2 * x.detach().float().numpy(), rtol=1e-3)
    with pytest.raises(ValueError, match="Expected `device_type` of type `str`"):
        torch.amp.custom_fwd(device_type=None)


# ---------------------------------------------------------------- GradScaler

def _model(seed=0):
    torch.manual_seed(seed)
    return torch.nn.Linear(3, 1)


def test_grad_scaler_defaults_and_scale():
    s = torch.GradScaler("cpu")
    assert torch.amp.GradScaler is torch.GradScaler
    assert (s.get_scale(), s.get_growth_factor(), s.get_backoff_factor(), s.get_growth_interval()) == \
        (65536.0, 2.0, 0.5, 2000)
    assert s.is_enabled() and s._get_growth_tracker() == 0
    x = _rand(4)
    np.testing.assert_array_equal(s.scale(x).numpy(), x.numpy() * 65536)
    out = s.scale([x, (x, x)])
    assert isinstance(out, list) and isinstance(out[1], tuple)
    np.testing.assert_array_equal(out[1][1].numpy(), x.numpy() * 65536)
    assert s._scale.dtype is f32 and s._scale.dim() == 0 and s._growth_tracker.dtype is torch.int32


def test_grad_scaler_step_unscales_like_plain_training():
    m, ref = _model(), _model()
    opt = torch.optim.SGD(m.parameters(), lr=0.1)
    opt_ref = torch.optim.SGD(ref.parameters(), lr=0.1)
    s = torch.GradScaler("cpu", init_scale=1024.0)
    x, y = _rand(5, 3), _rand(5, 1, seed=3)
    F.mse_loss(ref(x), y).backward()
    s.scale(F.mse_loss(m(x), y)).backward()
    np.testing.assert_allclose(m.weight.grad.numpy(), 1024 * ref.weight.grad.numpy(), rtol=1e-6)
    s.unscale_(opt)
    np.testing.assert_allclose(m.weight.grad.numpy(), ref.weight.grad.numpy(), rtol=1e-6)
    assert s.step(opt) is None                     # SGD.step returns None; the step was taken
    opt_ref.step()
    np.testing.assert_allclose(m.weight.detach().numpy(), ref.weight.detach().numpy(), rtol=1e-6)
    s.update()
    assert s.get_scale() == 1024.0 and s._get_growth_tracker() == 1


def test_grad_scaler_skips_non_finite_steps_and_backs_off():
    w = torch.nn.Parameter(torch.ones(2))
    opt = torch.optim.SGD([w], lr=1.0)
    s = torch.GradScaler("cpu", init_scale=4.0, growth_interval=2)
    history = []
    for bad in (False, False, False, True, False):
        opt.zero_grad()
        loss = (w * (float("inf") if bad else 1.0)).sum()
        s.scale(loss).backward()
        s.step(opt)
        s.update()
        history.append((s.get_scale(), s._get_growth_tracker(), w.detach().tolist()))
    assert history == [(4.0, 1, [0.0, 0.0]), (8.0, 0, [-1.0, -1.0]), (8.0, 1, [-2.0, -2.0]),
                       (4.0, 0, [-2.0, -2.0]), (4.0, 1, [-3.0, -3.0])]
    # NaN gradients are skipped the same way
    opt.zero_grad()
    s.scale((w * float("nan")).sum()).backward()
    assert s.step(opt) is None
    s.update()
    assert w.detach().tolist() == [-3.0, -3.0] and s.get_scale() == 2.0


def test_grad_scaler_growth_never_overflows():
    w = torch.nn.Parameter(torch.ones(1))
    opt = torch.optim.SGD([w], lr=0.0)
    s = torch.GradScaler("cpu", init_scale=2.0 ** 127, growth_interval=1)
    s.scale(w.sum()).backward()
    s.step(opt)
    s.update()
    assert s.get_scale() == 2.0 ** 127 and s._get_growth_tracker() == 0


def test_grad_scaler_update_new_scale():
    s = torch.GradScaler("cpu")
    s.scale(torch.ones(1))
    s.update(new_scale=8.0)
    assert s.get_scale() == 8.0
    s.update(new_scale=torch.tensor(4.0))
    assert s.get_scale() == 4.0
    bad = ("new_scale should be a float or a 1-element torch.cuda.FloatTensor or torch.FloatTensor with "
           "requires_grad=False.")
    for v in (torch.ones(2), torch.ones(1, requires_grad=True)):
        with pytest.raises(AssertionError) as e:
            s.update(new_scale=v)
        assert str(e.value) == bad


def test_grad_scaler_state_dict_and_pickle():
    w = torch.nn.Parameter(torch.ones(2))
    opt = torch.optim.SGD([w], lr=0.1)
    s = torch.GradScaler("cpu", init_scale=16.0, growth_factor=3.0, backoff_factor=0.25, growth_interval=5)
    s.scale(w.sum()).backward()
    s.step(opt)
    s.update()
    sd = s.state_dict()
    assert sd == {"scale": 16.0, "growth_factor": 3.0, "backoff_factor": 0.25, "growth_interval": 5,
                  "_growth_tracker": 1}
    t = torch.GradScaler("cpu")
    t.load_state_dict(sd)
    assert t.state_dict() == sd
    t.scale(torch.ones(1))
    assert t._scale.item() == 16.0 and t._growth_tracker.item() == 1
    u = pickle.loads(pickle.dumps(s))
    assert u.state_dict() == sd and u._scale is None
    with pytest.raises(RuntimeError, match="The source state dict is empty, possibly because it was saved "
                                           "from a disabled instance of GradScaler."):
        t.load_state_dict({})


def test_grad_scaler_errors():
    w = torch.nn.Parameter(torch.ones(2))
    opt = torch.optim.SGD([w], lr=0.1)
    s = torch.GradScaler("cpu")
    hint = "This may indicate your script did not use scaler.scale(loss or outputs) earlier in the iteration."
    for name, call in (("unscale_", lambda: s.unscale_(opt)), ("step", lambda: s.step(opt)),
                       ("update", lambda: s.update())):
        with pytest.raises(AssertionError) as e:
            call()
        assert str(e.value) == f"Attempted {name} but _scale is None.  " + hint
    s.scale(w.sum()).backward()
    with pytest.raises(RuntimeError, match="Closure use is not currently supported if GradScaler is enabled."):
        s.step(opt, closure=lambda: None)
    with pytest.raises(AssertionError, match="No inf checks were recorded prior to update."):
        s.update()
    s.unscale_(opt)
    with pytest.raises(RuntimeError, match=r"unscale_\(\) has already been called on this optimizer since the "
                                           r"last update\(\)."):
        s.unscale_(opt)
    s.step(opt)
    with pytest.raises(RuntimeError, match=r"step\(\) has already been called since the last update\(\)."):
        s.step(opt)
    with pytest.raises(RuntimeError, match=r"unscale_\(\) is being called after step\(\)."):
        s.unscale_(opt)
    s.update()
    s.unscale_(opt)                             # a new iteration after update()
    with pytest.raises(AssertionError, match="A GradScaler instance may only be pickled"):
        pickle.dumps(s)
    with pytest.raises(AssertionError, match=r"The growth factor must be > 1.0."):
        torch.GradScaler("cpu", growth_factor=1.0)
    with pytest.raises(AssertionError, match=r"The backoff factor must be < 1.0."):
        torch.GradScaler("cpu", backoff_factor=1.0)
    h = torch.nn.Parameter(torch.ones(2, dtype=f16))
    h.grad = torch.ones(2, dtype=f16)
    s2 = torch.GradScaler("cpu")
    s2.scale(torch.ones(1))
    with pytest.raises(ValueError, match="Attempting to unscale FP16 gradients."):
        s2.unscale_(torch.optim.SGD([h], lr=0.1))
    # no parameter has a gradient: nothing was checked
    s3 = torch.GradScaler("cpu")
    s3.scale(torch.ones(1))
    with pytest.raises(AssertionError, match="No inf checks were recorded for this optimizer."):
        s3.step(torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=0.1))
    with pytest.raises(ValueError, match="outputs must be a Tensor or an iterable of Tensors"):
        s3.scale([torch.ones(1), 3])


def test_grad_scaler_disabled():
    w = torch.nn.Parameter(torch.ones(2))
    w.grad = torch.ones(2)
    opt = torch.optim.SGD([w], lr=1.0)
    s = torch.GradScaler("cpu", enabled=False)
    x = torch.ones(2)
    assert s.scale(x) is x and s.get_scale() == 1.0 and s.state_dict() == {} and not s.is_enabled()
    assert s.unscale_(opt) is None and s.update() is None and s._get_growth_tracker() == 0
    s.step(opt)                                 # the optimizer's step, unconditionally
    assert w.detach().tolist() == [0.0, 0.0]
    if not torch.cuda.is_available():
        with pytest.warns(UserWarning, match="torch.cuda.amp.GradScaler is enabled, but CUDA is not "
                                             "available.  Disabling."):
            assert not torch.GradScaler().is_enabled()
    with pytest.warns(FutureWarning, match=r"`torch.cpu.amp.GradScaler\(args...\)` is deprecated"):
        assert torch.cpu.amp.GradScaler().is_enabled()


def test_grad_scaler_with_autocast_training_loop():
    torch.manual_seed(1)
    m = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
    opt = torch.optim.SGD(m.parameters(), lr=0.05)
    s = torch.GradScaler("cpu", init_scale=256.0)
    x, y = _rand(16, 4), _rand(16, 1, seed=5)
    losses = []
    for _ in range(20):
        opt.zero_grad()
        with torch.autocast("cpu", dtype=f16):
            loss = F.mse_loss(m(x), y)
        assert loss.dtype is f32
        s.scale(loss).backward()
        s.step(opt)
        s.update()
        losses.append(loss.item())
    assert all(p.dtype is f32 for p in m.parameters())
    assert losses[-1] < losses[0] * 0.9
