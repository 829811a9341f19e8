"""torch.compile (eager), torch.compiler, torch.Stream / torch.Event,
torch.AcceleratorError, and autocast / GradScaler on CUDA tensors of the
emulated device (ctorch.cuda._emulate(): emulated results, never GPU ones).
Behaviour and messages are PyTorch 2.13's."""
import warnings

import numpy as np
import pytest

import ctorch as torch
import ctorch.nn.functional as F

f16, f32, f64 = torch.float16, torch.float32, torch.float64


@pytest.fixture
def emulated_cuda():
    torch.cuda._emulate(True)
    yield
    torch.cuda._emulate(False)


def _rand(*shape, dtype=f32, seed=0, device="cpu"):
    rng = np.random.default_rng(seed + sum(shape))
    return torch.tensor(rng.standard_normal(shape), dtype=dtype, device=device)


# ---------------------------------------------------------------- torch.compile

def test_compile_function_forms():
    def f(x, y=1.0):
        """doc"""
        return torch.sin(x) * y + x @ x.T

    x = _rand(3, 3)
    want = f(x, y=2.0).numpy()
    g = torch.compile(f)
    np.testing.assert_array_equal(g(x, y=2.0).numpy(), want)
    assert g.__name__ == "f" and g.__doc__ == "doc" and g.__wrapped__ is f
    h = torch.compile(backend="eager", fullgraph=True, dynamic=False)(f)
    np.testing.assert_array_equal(h(x, y=2.0).numpy(), want)

    @torch.compile
    def k(x):
        return x + 1

    @torch.compile(mode="max-autotune")
    def k2(x):
        return x + 1

    assert k(torch.ones(2)).tolist() == [2.0, 2.0] and k2(torch.ones(2)).tolist() == [2.0, 2.0]
    assert torch.compile(f, disable=True) is f
    assert torch.compile(torch.sin)(torch.zeros(1)).tolist() == [0.0]
    # gradients flow as through the original
    a = _rand(3, 3).requires_grad_()
    torch.compile(lambda t: (t * t).sum())(a).backward()
    np.testing.assert_allclose(a.grad.numpy(), 2 * a.detach().numpy())


def test_compile_module():
    torch.manual_seed(0)
    m = torch.nn.Linear(2, 3)
    cm = torch.compile(m)
    assert type(cm).__name__ == "OptimizedModule" and isinstance(cm, torch.nn.Module)
    assert cm._orig_mod is m and cm.weight is m.weight
    x = _rand(4, 2)
    np.testing.assert_array_equal(cm(x).detach().numpy(), m(x).detach().numpy())
    assert list(cm.state_dict()) == ["_orig_mod.weight", "_orig_mod.bias"]
    assert [n for n, _ in cm.named_parameters()] == ["_orig_mod.weight", "_orig_mod.bias"]
    cm.load_state_dict({"_orig_mod.weight": torch.ones(3, 2), "_orig_mod.bias": torch.zeros(3)})
    assert m.weight.detach().sum().item() == 6.0
    with pytest.raises(RuntimeError, match='Missing key\\(s\\) in state_dict: "weight", "bias"'):
        torch.nn.Linear(2, 3).load_state_dict(cm.state_dict())
    # attributes are the original's, read and written
    cm.foo = 5
    assert m.foo == 5 and "foo" not in cm.__dict__
    assert cm.in_features == 2
    cm.eval()
    assert not m.training and not cm.training
    cm.train()
    assert m.training
    # hooks of the original run
    calls = []
    m.register_forward_hook(lambda mod, inp, out: calls.append(out.shape))
    cm(x)
    assert calls == [torch.Size([4, 3])]
    assert "OptimizedModule(\n  (_orig_mod): Linear(in_features=2, out_features=3, bias=True)\n)" == repr(cm)


def test_compile_errors():
    f = lambda x: x  # noqa: E731
    with pytest.raises(RuntimeError) as e:
        torch.compile(f, mode="default", options={})
    assert str(e.value) == ("Either mode or options can be specified, but both can't be specified at the "
                            "same time.")
    with pytest.raises(RuntimeError) as e:
        torch.compile(f, mode="foo")
    assert str(e.value) == ("Unrecognized mode=foo, should be one of: default, lite, reduce-overhead, "
                            "max-autotune-no-cudagraphs, max-autotune")
    with pytest.raises(RuntimeError) as e:
        torch.compile(f, backend="nope")
    assert str(e.value) == ("Invalid backend: 'nope', see `torch._dynamo.list_backends()` for available "
                            "backends.")
    # another backend takes no mode check (as in PyTorch)
    assert torch.compile(f, backend="eager", mode="foo")(3) == 3
    with pytest.raises(RuntimeError, match="Model can't be None"):
        torch.compile()(None)
    with pytest.raises(AssertionError, match="A callable function is expected, but <class 'int'> is provided."):
        torch.compile(3)
    with pytest.raises(AssertionError, match="Expected enable to be a bool, got <class 'str'>"):
        torch.compile(f, dynamic="x")


def test_compiler_namespace():
    def f(x):
        return x * 2

    d = torch.compiler.disable(f)
    assert d.__wrapped__ is f and d(3) == 6 and d.__name__ == "f"
    assert torch.compiler.disable(recursive=False)(f)(4) == 8
    assert torch.compiler.is_compiling() is False and torch.compiler.is_dynamo_compiling() is False
    assert torch.compiler.reset() is None
    assert torch.compiler.list_backends() == ["cudagraphs", "inductor", "openxla", "tvm"]
    assert "eager" in torch.compiler.list_backends(None)
    assert torch.compiler.compile(f)(3) == 6


# ---------------------------------------------------------------- Stream / Event on the CPU

def test_stream_cpu():
    s = torch.Stream("cpu")
    assert repr(s) == "torch.Stream device_type=cpu, device_index=-1, stream_id=0"
    assert (s.device, s.device_index, s.device_type, s.stream_id) == (torch.device("cpu"), -1, 0, 0)
    assert s.query() is True and s.synchronize() is None and s.is_capturing() is False
    assert s == torch.Stream("cpu", priority=-1) and hash(s) == hash(torch.Stream(torch.device("cpu")))
    assert s != 1 and {s: 1}[torch.Stream("cpu")] == 1
    with s as entered:
        assert entered is s
    assert s.wait_event(torch.Event("cpu")) is None
    for call in (lambda: s.record_event(), lambda: s.wait_stream(torch.Stream("cpu"))):
        with pytest.raises(RuntimeError, match="cpu backend doesn't support events."):
            call()
    with pytest.raises(RuntimeError, match="Backend doesn't support getting stream native handle."):
        s.native_handle
    if not torch.cuda.is_available():
        assert torch.Stream().device == torch.device("cpu")
        with pytest.raises(RuntimeError, match="Cannot access accelerator device when none is available."):
            torch.Stream(0)
    with pytest.raises(RuntimeError, match="device type at start of device string: foo"):
        torch.Stream("foo")
    with pytest.raises(TypeError):
        torch.Stream("cpu", 0)
    with pytest.raises(TypeError, match="Stream\\(\\): argument 'device' \\(position 1\\) must be torch.device, not float"):
        torch.Stream(1.5)
    with pytest.raises(TypeError, match="Stream\\(\\): argument 'priority' must be int, not Tensor"):
        torch.Stream("cpu", priority=torch.ones(1))


def test_event_cpu():
    e = torch.Event("cpu", enable_timing=True)
    assert repr(e) == "torch.Event device_type=cpu, device_index=-1, event_flag=1, event_id=0"
    assert repr(torch.Event("cpu")) == "torch.Event device_type=cpu, device_index=-1, event_flag=0, event_id=0"
    assert e.device == torch.device("cpu") and e.event_id == 0
    assert e.query() is True and e.synchronize() is None and e.wait() is None
    assert e.wait(torch.Stream("cpu")) is None
    for call in (lambda: e.record(), lambda: e.record(torch.Stream("cpu"))):
        with pytest.raises(RuntimeError, match="cpu backend doesn't support events."):
            call()
    with pytest.raises(ValueError, match="Both events must be recorded before calculating elapsed time."):
        e.elapsed_time(torch.Event("cpu", enable_timing=True))
    with pytest.raises(ValueError, match="Both events must be created with argument 'enable_timing=True'."):
        torch.Event("cpu").elapsed_time(torch.Event("cpu"))
    with pytest.raises(ValueError, match="Both events must be created with argument 'enable_timing=True'."):
        e.elapsed_time(torch.Event("cpu"))
    torch.Event("cpu", blocking=True, interprocess=True)
    with pytest.raises(TypeError):
        torch.Event("cpu", True)
    with pytest.raises(TypeError, match="Event\\(\\): argument 'device' \\(position 1\\) must be torch.device, not Tensor"):
        torch.Event(torch.ones(1))
    with pytest.raises(TypeError, match="Event\\(\\): argument 'enable_timing' must be bool, not Tensor"):
        torch.Event("cpu", enable_timing=torch.ones(2))


# ---------------------------------------------------------------- AcceleratorError

def test_accelerator_error_type():
    assert issubclass(torch.AcceleratorError, RuntimeError)
    assert torch.cuda.AcceleratorError is torch.AcceleratorError
    e = torch.AcceleratorError("x")
    assert str(e) == "x" and isinstance(e, RuntimeError)


def test_cuda_runtime_errors_are_accelerator_errors(emulated_cuda):
    with pytest.raises(torch.AcceleratorError, match="CUDA error: invalid device ordinal"):
        torch.zeros(2, device="cuda:3")
    with pytest.raises(torch.AcceleratorError, match="CUDA error: invalid device ordinal"):
        torch.cuda.set_device(5)
    assert torch.zeros(2, device="cuda").cpu().tolist() == [0.0, 0.0]


# ---------------------------------------------------------------- the emulated CUDA device

def test_stream_event_cuda(emulated_cuda):
    s = torch.Stream()                           # the accelerator's
    assert s.device == torch.device("cuda", 0) and s.device_type == 1 and s.device_index == 0
    assert repr(s) == "torch.Stream device_type=cuda, device_index=0, stream_id=0"
    assert s == torch.Stream("cuda") == torch.Stream(0)
    start, end = torch.Event(enable_timing=True), torch.Event(enable_timing=True)
    assert start.device == torch.device("cuda", 0)
    with pytest.raises(ValueError, match="Both events must be recorded before calculating elapsed time."):
        start.elapsed_time(end)
    start.record()
    x = torch.ones(64, 64, device="cuda")
    y = x @ x
    s.record_event(end)
    end.synchronize()
    assert end.query() is True and start.elapsed_time(end) >= 0.0
    e = s.record_event()
    assert isinstance(e, torch.Event)
    s.wait_event(e)
    s.wait_stream(torch.Stream("cuda"))
    s.synchronize()
    assert s.query() is True and y[0, 0].item() == 64.0
    with pytest.raises(ValueError, match="Both events must be created with argument 'enable_timing=True'."):
        torch.Event("cuda").elapsed_time(torch.Event("cuda"))


def test_autocast_cuda_lists(emulated_cuda):
    a, b = _rand(3, 4, device="cuda"), _rand(4, 2, device="cuda")
    h = _rand(3, 4, device="cuda").half()
    ca, cb = _rand(3, 4), _rand(4, 2)
    with torch.autocast("cuda"):
        assert torch.get_autocast_dtype("cuda") is f16 and torch.is_autocast_enabled()
        assert (a @ b).dtype is f16                          # lower precision
        assert torch.addmv(_rand(3, device="cuda"), a, _rand(4, device="cuda")).dtype is f16
        assert torch.softmax(h, 1).dtype is f32              # float32 (on CUDA, not on the CPU)
        assert torch.softmax(h, 1, dtype=f16).dtype is f16   # an explicit dtype wins
        assert h.sum().dtype is f32 and torch.cumsum(h, 1).dtype is f32
        assert F.layer_norm(h, (4,)).dtype is f32
        assert torch.exp(h).dtype is f32 and h.log1p().dtype is f32 and torch.pow(h, 2).dtype is f32
        assert torch.exp(h, out=torch.empty(3, 4, dtype=f16, device="cuda")).dtype is f16   # out=: as is
        assert torch.relu(h).dtype is f16 and (h + h).dtype is f16              # on no list
        assert torch.atan2(h, a).dtype is f32 and torch.atan2(h, h).dtype is f16
        assert torch.exp(ca.half()).dtype is f16                                 # a CPU tensor
        p = torch.sigmoid(a)
        with pytest.raises(RuntimeError, match="torch.nn.functional.binary_cross_entropy and torch.nn.BCELoss are "
                                               "unsafe to autocast.\nMany models use a sigmoid layer"):
            F.binary_cross_entropy(p, torch.ones(3, 4, device="cuda"))
        assert F.binary_cross_entropy_with_logits(h, torch.ones(3, 4, device="cuda")).dtype is f32
        assert torch.cat([h, a]).dtype is f32                # promote
        assert (ca @ cb).dtype is f32                        # CPU tensors: the CUDA region does not apply
        got = (a @ b).cpu()
    want = (a.half() @ b.half()).cpu()
    np.testing.assert_array_equal(got.float().numpy(), want.float().numpy())
    a16, b16 = (t.cpu().numpy().astype(np.float16).astype(np.float32) for t in (a, b))
    np.testing.assert_allclose(got.float().numpy(), a16 @ b16, rtol=2e-3, atol=2e-3)
    assert not torch.is_autocast_enabled("cuda") and (a @ b).dtype is f32
    with pytest.warns(FutureWarning, match=r"`torch.cuda.amp.autocast\(args...\)` is deprecated. Please use "
                                           r"`torch.amp.autocast\('cuda', args...\)` instead."):
        ac = torch.cuda.amp.autocast()
    with ac:
        assert (a @ b).dtype is f16 and torch.get_autocast_dtype("cuda") is f16


def test_grad_scaler_cuda(emulated_cuda):
    w = torch.nn.Parameter(torch.ones(2, device="cuda"))
    opt = torch.optim.SGD([w], lr=1.0)
    s = torch.GradScaler(init_scale=8.0, growth_interval=1)         # device "cuda"
    assert s.is_enabled()
    with torch.autocast("cuda"):
        loss = (w * w).sum()
    s.scale(loss).backward()
    assert s._scale.device == torch.device("cuda", 0)
    np.testing.assert_array_equal(w.grad.cpu().numpy(), [16.0, 16.0])
    s.step(opt)
    s.update()
    assert w.detach().cpu().tolist() == [-1.0, -1.0] and s.get_scale() == 16.0
    opt.zero_grad()
    s.scale((w * float("inf")).sum()).backward()
    s.step(opt)
    s.update()
    assert w.detach().cpu().tolist() == [-1.0, -1.0] and s.get_scale() == 8.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        assert torch.cuda.amp.GradScaler().is_enabled()
