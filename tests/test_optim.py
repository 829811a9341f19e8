"""ctorch.optim: every optimizer's steps against a numpy re-implementation of its documented
update rule, state_dict round trips, param groups, zero_grad, hooks and argument errors."""
import math
import pickle

import numpy as np
import pytest

import ctorch
from ctorch import optim

# ---------------------------------------------------------------- the problem
# loss(w, b) = 0.5 * sum(w**2) + sum(sin(w.sum(0) * b)), w: (3, 4), b: (4,)


def _init():
    rng = np.random.default_rng(0)
    return [rng.standard_normal((3, 4)), rng.standard_normal(4)]


def _np_grads(w, b):
    s = w.sum(0)
    c = np.cos(s * b)
    return [w + np.broadcast_to(c * b, w.shape), c * s]


def _ct_loss(w, b):
    return (w * w).sum() * 0.5 + (w.sum(0) * b).sin().sum()


# ---------------------------------------------------------------- numpy update rules
# each takes (param, grad, state dict, group dict, step number) and returns the new param


def _wd(p, g, grp):
    g = -g if grp.get("maximize") else g
    if grp.get("weight_decay", 0) and not grp.get("decoupled_weight_decay"):
        g = g + grp["weight_decay"] * p
    return g


def ref_sgd(p, g, st, grp, t):
    g = _wd(p, g, grp)
    mom = grp.get("momentum", 0)
    if mom:
        if "buf" not in st:
            st["buf"] = g.copy()
        else:
            st["buf"] = mom * st["buf"] + (1 - grp.get("dampening", 0)) * g
        g = g + mom * st["buf"] if grp.get("nesterov") else st["buf"]
    return p - grp["lr"] * g


def ref_adam(p, g, st, grp, t):
    lr, (b1, b2), eps = grp["lr"], grp.get("betas", (0.9, 0.999)), grp.get("eps", 1e-8)
    if grp.get("decoupled_weight_decay"):
        p = p * (1 - lr * grp.get("weight_decay", 0))
    g = _wd(p, g, grp)
    st.setdefault("m", np.zeros_like(p))
    st.setdefault("v", np.zeros_like(p))
    st.setdefault("vmax", np.zeros_like(p))
    st["m"] = b1 * st["m"] + (1 - b1) * g
    st["v"] = b2 * st["v"] + (1 - b2) * g * g
    v = st["v"]
    if grp.get("amsgrad"):
        st["vmax"] = np.maximum(st["vmax"], v)
        v = st["vmax"]
    mhat = st["m"] / (1 - b1 ** t)
    vhat = v / (1 - b2 ** t)
    return p - lr * mhat / (np.sqrt(vhat) + eps)


def ref_adamw(p, g, st, grp, t):
    return ref_adam(p, g, st, dict(grp, decoupled_weight_decay=True,
                                   weight_decay=grp.get("weight_decay", 1e-2)), t)


def ref_rmsprop(p, g, st, grp, t):
    lr, alpha, eps, mom = grp["lr"], grp.get("alpha", 0.99), grp.get("eps", 1e-8), grp.get("momentum", 0)
    g = _wd(p, g, grp)
    st["v"] = alpha * st.get("v", 0) + (1 - alpha) * g * g
    v = st["v"]
    if grp.get("centered"):
        st["ga"] = alpha * st.get("ga", 0) + (1 - alpha) * g
        v = v - st["ga"] ** 2
    denom = np.sqrt(v) + eps
    if mom > 0:
        st["buf"] = mom * st.get("buf", 0) + g / denom
        return p - lr * st["buf"]
    return p - lr * g / denom


def ref_adagrad(p, g, st, grp, t):
    lr, eps = grp["lr"], grp.get("eps", 1e-10)
    g = _wd(p, g, grp)
    clr = lr / (1 + (t - 1) * grp.get("lr_decay", 0))
    st["sum"] = st.get("sum", grp.get("initial_accumulator_value", 0)) + g * g
    return p - clr * g / (np.sqrt(st["sum"]) + eps)


def ref_adadelta(p, g, st, grp, t):
    lr, rho, eps = grp.get("lr", 1.0), grp.get("rho", 0.9), grp.get("eps", 1e-6)
    g = _wd(p, g, grp)
    st["v"] = rho * st.get("v", 0) + (1 - rho) * g * g
    delta = np.sqrt(st.get("u", 0) + eps) / np.sqrt(st["v"] + eps) * g
    st["u"] = rho * st.get("u", 0) + (1 - rho) * delta * delta
    return p - lr * delta


def ref_adamax(p, g, st, grp, t):
    lr, (b1, b2), eps = grp["lr"], grp.get("betas", (0.9, 0.999)), grp.get("eps", 1e-8)
    g = _wd(p, g, grp)
    st["m"] = b1 * st.get("m", 0) + (1 - b1) * g
    st["u"] = np.maximum(b2 * st.get("u", np.zeros_like(p)), np.abs(g) + eps)
    return p - lr / (1 - b1 ** t) * st["m"] / st["u"]


def ref_nadam(p, g, st, grp, t):
    lr, (b1, b2), eps = grp["lr"], grp.get("betas", (0.9, 0.999)), grp.get("eps", 1e-8)
    psi = grp.get("momentum_decay", 4e-3)
    if grp.get("decoupled_weight_decay"):
        p = p * (1 - lr * grp.get("weight_decay", 0))
    g = _wd(p, g, grp)
    mu = b1 * (1 - 0.5 * 0.96 ** (t * psi))
    mu_next = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi))
    # the running product of the mu's is kept as a float32 scalar tensor
    st["prod"] = float(np.float32(st.get("prod", 1.0)) * np.float32(mu))
    st["m"] = b1 * st.get("m", 0) + (1 - b1) * g
    st["v"] = b2 * st.get("v", 0) + (1 - b2) * g * g
    denom = np.sqrt(st["v"] / (1 - b2 ** t)) + eps
    return (p - lr * (1 - mu) / (1 - st["prod"]) * g / denom
            - lr * mu_next / (1 - st["prod"] * mu_next) * st["m"] / denom)


def ref_radam(p, g, st, grp, t):
    lr, (b1, b2), eps = grp["lr"], grp.get("betas", (0.9, 0.999)), grp.get("eps", 1e-8)
    if grp.get("decoupled_weight_decay"):
        p = p * (1 - lr * grp.get("weight_decay", 0))
    g = _wd(p, g, grp)
    st["m"] = b1 * st.get("m", 0) + (1 - b1) * g
    st["v"] = b2 * st.get("v", 0) + (1 - b2) * g * g
    mhat = st["m"] / (1 - b1 ** t)
    rho_inf = 2 / (1 - b2) - 1
    rho_t = rho_inf - 2 * t * b2 ** t / (1 - b2 ** t)
    if rho_t > 5:
        lt = np.sqrt(1 - b2 ** t) / (np.sqrt(st["v"]) + eps)
        rt = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
        return p - lr * mhat * lt * rt
    return p - lr * mhat


def ref_rprop(p, g, st, grp, t):
    (em, ep), (smin, smax) = grp.get("etas", (0.5, 1.2)), grp.get("step_sizes", (1e-6, 50))
    g = -g if grp.get("maximize") else g
    prev = st.get("prev", np.zeros_like(p))
    st.setdefault("eta", np.full_like(p, grp["lr"]))
    s = np.sign(g * prev)
    st["eta"] = np.clip(st["eta"] * np.where(s > 0, ep, np.where(s < 0, em, 1.0)), smin, smax)
    g = np.where(s < 0, 0.0, g)
    st["prev"] = g
    return p - np.sign(g) * st["eta"]


def ref_asgd(p, g, st, grp, t):
    lr, lambd, alpha, t0 = grp["lr"], grp.get("lambd", 1e-4), grp.get("alpha", 0.75), grp.get("t0", 1e6)
    g = -g if grp.get("maximize") else g
    if grp.get("weight_decay", 0):
        g = g + grp["weight_decay"] * p
    # eta and mu are kept as float32 scalar tensors
    eta, mu = st.get("eta", float(np.float32(lr))), st.get("mu", 1.0)
    p = p * (1 - lambd * eta) - eta * g
    st["ax"] = st["ax"] + mu * (p - st["ax"]) if mu != 1 else p.copy()
    st["eta"] = float(np.float32(lr / (1 + lambd * lr * t) ** alpha))
    st["mu"] = float(np.float32(1 / max(1, t - t0)))
    return p



def ref_adafactor(p, g, st, grp, t):
    # torch.optim.Adafactor's documented rule; eps1=None is the dtype's machine epsilon
    lr, tau, d, wd = grp["lr"], grp.get("beta2_decay", -0.8), grp.get("d", 1.0), grp.get("weight_decay", 0.0)
    eps1, eps2 = grp.get("eps", (None, 1e-3))
    eps1 = np.finfo(p.dtype).eps if eps1 is None else eps1
    g = -g if grp.get("maximize") else g
    w = t ** tau                                   # 1 - beta2_t
    alpha = max(eps2, np.sqrt(np.mean(p * p))) * min(lr, 1 / np.sqrt(t))
    p = p * (1 - lr * wd)
    if g.ndim > 1:
        st["R"] = (1 - w) * st.get("R", 0.0) + w * (g * g).mean(-1, keepdims=True)
        st["C"] = (1 - w) * st.get("C", 0.0) + w * (g * g).mean(-2, keepdims=True)
        v = st["R"] @ st["C"] / np.maximum(st["R"].mean(-2, keepdims=True), eps1)
    else:
        st["V"] = (1 - w) * st.get("V", 0.0) + w * g * g
        v = st["V"]
    u = g / np.maximum(np.sqrt(v), eps1)
    u = u / max(1.0, np.sqrt(np.mean(u * u)) / d)
    return p - alpha * u

CASES = [
    ("SGD", ref_sgd, dict(lr=0.1)),
    ("SGD", ref_sgd, dict(lr=0.1, momentum=0.9, weight_decay=0.1)),
    ("SGD", ref_sgd, dict(lr=0.1, momentum=0.9, nesterov=True, maximize=True)),
    ("SGD", ref_sgd, dict(lr=0.1, momentum=0.5, dampening=0.3, foreach=False)),
    ("Adam", ref_adam, dict(lr=0.1)),
    ("Adam", ref_adam, dict(lr=0.1, amsgrad=True, weight_decay=0.1, betas=(0.8, 0.9))),
    ("Adam", ref_adam, dict(lr=0.1, maximize=True, eps=1e-3, foreach=True)),
    ("Adam", ref_adam, dict(lr=0.1, decoupled_weight_decay=True, weight_decay=0.2)),
    ("AdamW", ref_adamw, dict(lr=0.1)),
    ("AdamW", ref_adamw, dict(lr=0.1, amsgrad=True, weight_decay=0.3, maximize=True, fused=True)),
    ("RMSprop", ref_rmsprop, dict(lr=0.01)),
    ("RMSprop", ref_rmsprop, dict(lr=0.01, momentum=0.9, centered=True, weight_decay=0.1)),
    ("RMSprop", ref_rmsprop, dict(lr=0.01, alpha=0.9, centered=True, maximize=True)),
    ("Adagrad", ref_adagrad, dict(lr=0.1)),
    ("Adagrad", ref_adagrad, dict(lr=0.1, lr_decay=0.1, initial_accumulator_value=0.2, weight_decay=0.1)),
    ("Adadelta", ref_adadelta, dict(lr=1.0)),
    ("Adadelta", ref_adadelta, dict(lr=0.5, rho=0.8, weight_decay=0.1, maximize=True)),
    ("Adamax", ref_adamax, dict(lr=0.1)),
    ("Adamax", ref_adamax, dict(lr=0.1, weight_decay=0.1, maximize=True, betas=(0.8, 0.9))),
    ("NAdam", ref_nadam, dict(lr=0.1)),
    ("NAdam", ref_nadam, dict(lr=0.1, weight_decay=0.1, decoupled_weight_decay=True, momentum_decay=0.01)),
    ("NAdam", ref_nadam, dict(lr=0.1, weight_decay=0.1, maximize=True)),
    ("RAdam", ref_radam, dict(lr=0.1)),
    ("RAdam", ref_radam, dict(lr=0.1, betas=(0.9, 0.5), weight_decay=0.1)),
    ("RAdam", ref_radam, dict(lr=0.1, betas=(0.9, 0.6), decoupled_weight_decay=True, weight_decay=0.1)),
    ("Rprop", ref_rprop, dict(lr=0.01)),
    ("Rprop", ref_rprop, dict(lr=0.1, etas=(0.3, 1.5), step_sizes=(1e-3, 0.2), maximize=True)),
    ("ASGD", ref_asgd, dict(lr=0.01)),
    ("ASGD", ref_asgd, dict(lr=0.1, lambd=0.1, t0=2, weight_decay=0.1, maximize=True)),
    ("Adafactor", ref_adafactor, dict(lr=0.01)),
    ("Adafactor", ref_adafactor, dict(lr=0.2, weight_decay=0.1, beta2_decay=-0.5, d=1.5)),
    ("Adafactor", ref_adafactor, dict(lr=0.3, maximize=True, eps=(1e-3, 1e-2), foreach=False)),
]
IDS = [f"{name}-{i}" for i, (name, _, _) in enumerate(CASES)]
STEPS = 6


def _ct_params(dtype=ctorch.float64):
    return [ctorch.nn.Parameter(ctorch.tensor(a, dtype=dtype)) for a in _init()]


def _ct_run(opt, params, n):
    for _ in range(n):
        opt.zero_grad()
        _ct_loss(*params).backward()
        opt.step()


def _groups(params, kw):
    # the bias in a second group with half the learning rate
    return [{"params": [params[0]]}, {"params": [params[1]], "lr": kw["lr"] / 2}]


@pytest.mark.parametrize("name,ref,kw", CASES, ids=IDS)
def test_steps_match_the_update_rule(name, ref, kw):
    params = _ct_params()
    opt = getattr(optim, name)(_groups(params, kw), **kw)
    _ct_run(opt, params, STEPS)

    ws = _init()
    groups = [dict(kw), dict(kw, lr=kw["lr"] / 2)]
    states = [{} for _ in ws]
    for t in range(1, STEPS + 1):
        grads = _np_grads(*ws)
        for i in range(2):
            if name == "ASGD":
                states[i].setdefault("ax", np.zeros_like(ws[i]))
            ws[i] = ref(ws[i], grads[i], states[i], groups[i], t)
    for p, w in zip(params, ws):
        # the orthogonalized update carries bfloat16's precision (2^-8 relative)
        np.testing.assert_allclose(p.detach().numpy(), w, rtol=0, atol=0.01 * kw["lr"] * STEPS)


STATE_KEYS = {
    "SGD": [], "Adam": ["step", "exp_avg", "exp_avg_sq"], "AdamW": ["step", "exp_avg", "exp_avg_sq"],
    "RMSprop": ["step", "square_avg"], "Adagrad": ["step", "sum"],
    "Adadelta": ["step", "square_avg", "acc_delta"], "Adamax": ["step", "exp_avg", "exp_inf"],
    "NAdam": ["step", "mu_product", "exp_avg", "exp_avg_sq"], "RAdam": ["step", "exp_avg", "exp_avg_sq"],
    "Rprop": ["step", "prev", "step_size"], "ASGD": ["step", "eta", "mu", "ax"],
    # the matrix keeps row and column factors, the vector a full running average
    "Adafactor": (["step", "row_var", "col_var"], ["step", "variance"]),
}


@pytest.mark.parametrize("name,ref,kw", CASES, ids=IDS)
def test_state_dict_round_trip(name, ref, kw):
    params = _ct_params(ctorch.float32)
    opt = getattr(optim, name)(_groups(params, kw), **kw)
    _ct_run(opt, params, 3)
    sd = opt.state_dict()
    assert list(sd) == ["state", "param_groups"]
    assert [g["params"] for g in sd["param_groups"]] == [[0], [1]]
    assert sd["param_groups"][1]["lr"] == kw["lr"] / 2
    assert all(set(g) == set(opt.defaults) | {"params"} for g in sd["param_groups"])
    if name == "SGD" and kw.get("momentum"):
        keys = ["momentum_buffer"]
    elif isinstance(STATE_KEYS[name], tuple):   # keys that differ per parameter
        keys = STATE_KEYS[name]
    else:
        keys = STATE_KEYS[name] + [k for k, on in [("max_exp_avg_sq", kw.get("amsgrad")),
                                                    ("momentum_buffer", kw.get("momentum") and name != "SGD"),
                                                    ("grad_avg", kw.get("centered"))] if on]
    assert sorted(sd["state"]) == ([] if not keys else [0, 1])
    for i, s in sd["state"].items():
        assert sorted(s) == sorted(keys[i] if isinstance(keys, tuple) else keys)
        if "step" in s:
            # the step count is a float32 scalar tensor
            assert s["step"].dtype == ctorch.float32 and s["step"].dim() == 0 and s["step"].item() == 3
    blob = pickle.loads(pickle.dumps(sd))

    twin = [ctorch.nn.Parameter(p.detach().clone()) for p in params]
    opt2 = getattr(optim, name)(_groups(twin, dict(kw, lr=123.0)), **dict(kw, lr=123.0))
    opt2.load_state_dict(blob)
    assert opt2.param_groups[0]["lr"] == kw["lr"] and opt2.param_groups[1]["lr"] == kw["lr"] / 2
    assert opt2.param_groups[0]["params"][0] is twin[0]
    _ct_run(opt, params, 3)
    _ct_run(opt2, twin, 3)
    for a, b in zip(params, twin):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())


@pytest.mark.parametrize("name", sorted(STATE_KEYS))
def test_repr_lists_the_groups_sorted(name):
    p, q = _ct_params()
    opt = getattr(optim, name)([p])
    opt.add_param_group({"params": q, "lr": 0.5})
    lines = repr(opt).split("\n")
    assert lines[0] == f"{name} (" and lines[1] == "Parameter Group 0" and lines[-1] == ")"
    body = lines[2:2 + len(opt.defaults)]
    assert body == [f"    {k}: {opt.defaults[k]}" for k in sorted(opt.defaults)]
    assert "Parameter Group 1" in lines and "    lr: 0.5" in lines


def test_defaults_and_repr_text():
    p = ctorch.nn.Parameter(ctorch.ones(2))
    assert optim.Adam([p]).defaults == {
        "lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-08, "weight_decay": 0, "amsgrad": False,
        "maximize": False, "foreach": None, "capturable": False, "differentiable": False,
        "fused": None, "decoupled_weight_decay": False}
    assert optim.AdamW([p]).defaults["weight_decay"] == 0.01
    assert optim.AdamW([p]).defaults["decoupled_weight_decay"] is True
    assert repr(optim.SGD([p], lr=0.1, momentum=0.9)) == (
        "SGD (\nParameter Group 0\n    dampening: 0\n    differentiable: False\n    foreach: None\n"
        "    fused: None\n    lr: 0.1\n    maximize: False\n    momentum: 0.9\n    nesterov: False\n"
        "    weight_decay: 0\n)")


def test_zero_grad():
    p = ctorch.nn.Parameter(ctorch.ones(3))
    opt = optim.SGD([p], lr=0.1)
    p.grad = ctorch.full((3,), 2.0)
    opt.zero_grad(set_to_none=False)
    assert p.grad is not None and p.grad.tolist() == [0.0, 0.0, 0.0]
    opt.zero_grad()
    assert p.grad is None
    # a parameter without a gradient is left alone by step
    opt.step()
    assert p.tolist() == [1.0, 1.0, 1.0]


def test_step_closure_and_hooks():
    p = ctorch.nn.Parameter(ctorch.tensor([1.0, -2.0]))
    opt = optim.SGD([p], lr=0.5)
    calls = []

    def closure():
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        calls.append("closure")
        return loss

    pre = opt.register_step_pre_hook(lambda o, a, k: calls.append("pre"))
    opt.register_step_post_hook(lambda o, a, k: calls.append("post"))
    loss = opt.step(closure)
    assert loss.item() == 5.0 and calls == ["pre", "closure", "post"]
    # p - 0.5 * 2p = 0
    assert p.tolist() == [0.0, 0.0]
    pre.remove()
    calls.clear()
    opt.step(closure)
    assert calls == ["closure", "post"]
    opt.register_step_pre_hook(lambda o, a, k: 3)
    with pytest.raises(RuntimeError, match="must return None or a tuple"):
        opt.step(closure)


def test_step_is_in_place_and_untracked():
    p = ctorch.nn.Parameter(ctorch.ones(2))
    data_ptr = p.data_ptr()
    opt = optim.Adam([p], lr=0.1)
    (p * 3).sum().backward()
    opt.step()
    assert p.data_ptr() == data_ptr and p.grad_fn is None and p.is_leaf
    np.testing.assert_allclose(p.detach().numpy(), [0.9, 0.9], rtol=1e-6)


def test_tensor_lr():
    p = ctorch.nn.Parameter(ctorch.ones(2))
    opt = optim.SGD([p], lr=ctorch.tensor(0.25))
    p.grad = ctorch.ones(2)
    opt.step()
    assert p.tolist() == [0.75, 0.75]


def test_param_group_errors():
    p = ctorch.nn.Parameter(ctorch.ones(2))
    with pytest.raises(TypeError, match="params argument given to the optimizer should be an iterable"):
        optim.SGD(p)
    with pytest.raises(TypeError, match="optimizer can only optimize Tensors, but one of the params is float"):
        optim.SGD([1.0])
    with pytest.raises(ValueError, match="optimizer got an empty parameter list"):
        optim.Adam([])
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        optim.Adam([ctorch.ones(2, requires_grad=True) * 2])
    opt = optim.SGD([p])
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        opt.add_param_group({"params": [p]})
    with pytest.warns(UserWarning, match="duplicate parameters"):
        optim.SGD([p, p])
    sd = optim.SGD([p]).state_dict()
    with pytest.raises(ValueError, match="different number of parameter groups"):
        optim.SGD([{"params": [p]}, {"params": [ctorch.nn.Parameter(ctorch.ones(1))]}]).load_state_dict(sd)
    with pytest.raises(ValueError, match="doesn't match the size of optimizer's group"):
        optim.SGD([p, ctorch.nn.Parameter(ctorch.ones(1))]).load_state_dict(sd)


ARG_ERRORS = [
    ("SGD", dict(lr=-0.5), ValueError, "Invalid learning rate: -0.5"),
    ("SGD", dict(momentum=-1), ValueError, "Invalid momentum value: -1"),
    ("SGD", dict(weight_decay=-1), ValueError, "Invalid weight_decay value: -1"),
    ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), ValueError,
     "Nesterov momentum requires a momentum and zero dampening"),
    ("SGD", dict(fused=True, foreach=True), RuntimeError, "`fused` and `foreach` cannot be `True` together."),
    ("Adam", dict(lr=-1), ValueError, "Invalid learning rate: -1"),
    ("Adam", dict(eps=-1), ValueError, "Invalid epsilon value: -1"),
    ("Adam", dict(betas=(1, 0.9)), ValueError, "Invalid beta parameter at index 0: 1"),
    ("Adam", dict(betas=(0.9, 1.0)), ValueError, "Invalid beta parameter at index 1: 1.0"),
    ("Adam", dict(weight_decay=-1), ValueError, "Invalid weight_decay value: -1"),
    ("Adam", dict(fused=True, differentiable=True), RuntimeError, "`fused` does not support `differentiable`"),
    ("AdamW", dict(betas=(0.9, -0.1)), ValueError, "Invalid beta parameter at index 1: -0.1"),
    ("RMSprop", dict(alpha=-1), ValueError, "Invalid alpha value: -1"),
    ("RMSprop", dict(momentum=-1), ValueError, "Invalid momentum value: -1"),
    ("Adagrad", dict(lr_decay=-1), ValueError, "Invalid lr_decay value: -1"),
    ("Adagrad", dict(initial_accumulator_value=-1), ValueError, "Invalid initial_accumulator_value value: -1"),
    ("Adadelta", dict(rho=2), ValueError, "Invalid rho value: 2"),
    ("Adamax", dict(betas=(2, 0.9)), ValueError, "Invalid beta parameter at index 0: 2"),
    ("NAdam", dict(momentum_decay=-1), ValueError, "Invalid momentum_decay value: -1"),
    ("RAdam", dict(eps=-1), ValueError, "Invalid epsilon value: -1"),
    ("Rprop", dict(etas=(1.5, 1.2)), ValueError, "Invalid eta values: 1.5, 1.2"),
    ("ASGD", dict(weight_decay=-1), ValueError, "Invalid weight_decay value: -1"),
    ("Adafactor", dict(lr=-1), ValueError, "Learning rate should be >= 0 but is: -1"),
    ("Adafactor", dict(beta2_decay=0.5), ValueError, "beta2_decay should be <= 0 but is: 0.5"),
    ("Adafactor", dict(eps=(-1, 1e-3)), ValueError, "epsilon1 should be >= 0 but is: -1"),
    ("Adafactor", dict(eps=(None, -1)), ValueError, "epsilon2 should be >= 0 but is: -1"),
    ("Adafactor", dict(d=0.5), ValueError, "Clipping threshold d should be >= 1 but is: 0.5"),
    ("Adafactor", dict(weight_decay=-1), ValueError, "weight_decay should be >= 0 but is: -1"),
    ("Muon", dict(lr=-1), ValueError, "Learning rate should be >= 0 but is: -1"),
    ("Muon", dict(momentum=-1), ValueError, "momentum should be >= 0 but is: -1"),
    ("Muon", dict(weight_decay=-1), ValueError, "weight decay should be >= 0 but is: -1"),
    ("Muon", dict(adjust_lr_fn="x"), ValueError, "Adjust learning rate function x is not supported"),
    ("Muon", dict(), ValueError,
     "Muon only supports 2D parameters whereas we found a parameter with size: torch.Size([2])"),
]


@pytest.mark.parametrize("name,kw,exc,msg", ARG_ERRORS)
def test_argument_errors(name, kw, exc, msg):
    p = ctorch.nn.Parameter(ctorch.ones(2))
    with pytest.raises(exc) as info:
        getattr(optim, name)([p], **kw)
    assert str(info.value) == msg


def test_tensor_lr_must_have_one_element():
    with pytest.raises(ValueError, match="Tensor lr must be 1-element"):
        optim.Adam([ctorch.nn.Parameter(ctorch.ones(2))], lr=ctorch.tensor([1.0, 2.0]))


# ---------------------------------------------------------------- L-BFGS


def _lbfgs_problem():
    rng = np.random.default_rng(1)
    return rng.standard_normal((5, 5)), rng.standard_normal(5)


def ref_lbfgs(x, fg, n_calls, lr, max_iter, history_size, tol_grad=1e-7, tol_change=1e-9):
    """L-BFGS with a fixed step (Nocedal & Wright algorithm 7.4/7.5) as torch.optim.LBFGS documents
    it: the first step is scaled by min(1, 1/|g|_1), later ones take lr; every step() call runs up
    to max_iter iterations and keeps its history for the next call."""
    st = {"n": 0}
    for _ in range(n_calls):
        loss, g = fg(x)
        if np.abs(g).max() <= tol_grad:
            continue
        for it in range(1, max_iter + 1):
            st["n"] += 1
            if st["n"] == 1:
                d = -g
                S, Y = [], []
                h = 1.0
            else:
                y, s = g - st["g_prev"], st["d"] * st["t"]
                if y @ s > 1e-10:
                    if len(S) == history_size:
                        S.pop(0)
                        Y.pop(0)
                    S.append(s)
                    Y.append(y)
                    h = (y @ s) / (y @ y)
                q = -g
                alphas = []
                for s_i, y_i in zip(reversed(S), reversed(Y)):
                    a = (s_i @ q) / (y_i @ s_i)
                    alphas.append(a)
                    q = q - a * y_i
                r = h * q
                for (s_i, y_i), a in zip(zip(S, Y), reversed(alphas)):
                    b = (y_i @ r) / (y_i @ s_i)
                    r = r + (a - b) * s_i
                d = r
            st["g_prev"], prev_loss = g, loss
            t = min(1.0, 1.0 / np.abs(g).sum()) * lr if st["n"] == 1 else lr
            st["d"], st["t"] = d, t
            if g @ d > -tol_change:
                break
            x = x + t * d
            if it == max_iter:
                break
            loss, g = fg(x)
            if (np.abs(g).max() <= tol_grad or np.abs(d * t).max() <= tol_change
                    or abs(loss - prev_loss) < tol_change):
                break
    return x


def _lbfgs_np_fg(A):
    def fg(x):
        u = A @ x
        loss = (np.sin(u) ** 2).sum() + 0.1 * (x ** 4).sum()
        return loss, A.T @ (np.sin(2 * u)) + 0.4 * x ** 3
    return fg


def _lbfgs_ct(A, x0, n_calls, **kw):
    x = ctorch.nn.Parameter(ctorch.tensor(x0))
    At = ctorch.tensor(A)
    opt = optim.LBFGS([x], **kw)

    def closure():
        opt.zero_grad()
        loss = ((At @ x).sin() ** 2).sum() + 0.1 * (x ** 4).sum()
        loss.backward()
        return loss

    for _ in range(n_calls):
        opt.step(closure)
    return x, opt, closure


@pytest.mark.parametrize("kw", [dict(), dict(lr=0.5, max_iter=7, history_size=3), dict(lr=0.2, max_iter=4)])
def test_lbfgs_matches_the_two_loop_recursion(kw):
    A, x0 = _lbfgs_problem()
    x, opt, _ = _lbfgs_ct(A, x0, 3, **kw)
    full = dict(dict(lr=1, max_iter=20, history_size=100), **kw)
    want = ref_lbfgs(x0, _lbfgs_np_fg(A), 3, full["lr"], full["max_iter"], full["history_size"])
    np.testing.assert_allclose(x.detach().numpy(), want, rtol=1e-9, atol=1e-12)


def test_lbfgs_strong_wolfe_reaches_the_rosenbrock_minimum():
    x = ctorch.nn.Parameter(ctorch.tensor([-1.5, 2.0], dtype=ctorch.float64))
    opt = optim.LBFGS([x], line_search_fn="strong_wolfe", max_iter=100, tolerance_grad=1e-12,
                      tolerance_change=1e-14)

    def closure():
        opt.zero_grad()
        loss = (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
        loss.backward()
        return loss

    first = opt.step(closure)
    assert first.item() == pytest.approx(2.5 ** 2 + 100 * 0.25 ** 2)
    np.testing.assert_allclose(x.detach().numpy(), [1.0, 1.0], atol=1e-8)
    # strong Wolfe takes far fewer evaluations than the 100-iteration budget allows
    assert opt.state[x]["func_evals"] < 100


def test_lbfgs_state_dict_and_errors():
    A, x0 = _lbfgs_problem()
    x, opt, _ = _lbfgs_ct(A, x0, 1, max_iter=3)
    sd = opt.state_dict()
    assert sd["param_groups"][0] == {"lr": 1, "max_iter": 3, "max_eval": 3, "tolerance_grad": 1e-07,
                                     "tolerance_change": 1e-09, "history_size": 100,
                                     "line_search_fn": None, "params": [0]}
    s = sd["state"][0]
    # max_eval (3) stops the call after two iterations
    assert s["func_evals"] == 3 and s["n_iter"] == 2 and len(s["old_dirs"]) == 1 and len(s["al"]) == 100
    twin, opt2, _ = _lbfgs_ct(A, x.detach().numpy().copy(), 0, max_iter=3)
    opt2.load_state_dict(pickle.loads(pickle.dumps(sd)))
    opt.step(lambda: (opt.zero_grad(), _lbfgs_loss(A, x))[1])
    opt2.step(lambda: (opt2.zero_grad(), _lbfgs_loss(A, twin))[1])
    np.testing.assert_array_equal(x.detach().numpy(), twin.detach().numpy())
    p = ctorch.nn.Parameter(ctorch.ones(2))
    with pytest.raises(ValueError, match=r"LBFGS doesn't support per-parameter options \(parameter groups\)"):
        optim.LBFGS([{"params": [p]}, {"params": [ctorch.nn.Parameter(ctorch.ones(1))]}])
    with pytest.raises(ValueError, match="Invalid learning rate: -1"):
        optim.LBFGS([p], lr=-1)
    opt = optim.LBFGS([p], line_search_fn="armijo")
    with pytest.raises(RuntimeError, match="only 'strong_wolfe' is supported"):
        opt.step(lambda: (opt.zero_grad(), _sq_loss(p))[1])


def _lbfgs_loss(A, x):
    loss = ((ctorch.tensor(A) @ x).sin() ** 2).sum() + 0.1 * (x ** 4).sum()
    loss.backward()
    return loss


def _sq_loss(p):
    loss = (p * p).sum()
    loss.backward()
    return loss


def test_named_parameters():
    lin = ctorch.nn.Linear(2, 1)
    opt = optim.SGD(lin.named_parameters(), lr=0.1)
    g = opt.state_dict()["param_groups"][0]
    assert g["param_names"] == ["weight", "bias"] and g["params"] == [0, 1]
    assert opt.param_groups[0]["params"][0] is lin.weight
    assert "    param_names: ['weight', 'bias']" in repr(opt).split("\n")
    with pytest.raises(ValueError, match="cannot add param group without names to the optimizer"):
        opt.add_param_group({"params": [ctorch.nn.Parameter(ctorch.ones(1))]})
    opt = optim.SGD(lin.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="cannot add param group with names to the optimizer"):
        opt.add_param_group({"params": [("a", ctorch.nn.Parameter(ctorch.ones(1)))]})
    opt = optim.Adam([{"params": lin.named_parameters(), "lr": 0.2}])
    assert list(opt.state_dict()["param_groups"][0])[:2] == ["lr", "param_names"]


@pytest.mark.parametrize("name,kw", [("SGD", dict(lr=0.5, momentum=0.9)), ("Adam", dict(lr=0.1))])
def test_differentiable_records_the_update(name, kw):
    w = ctorch.tensor([1.0, -2.0, 3.0], dtype=ctorch.float64, requires_grad=True)
    p = w * 1.0
    opt = getattr(optim, name)([p], differentiable=True, **kw)
    p.grad = ctorch.tensor([0.5, 0.25, -1.0], dtype=ctorch.float64)
    opt.step()
    assert p.grad_fn is not None
    p.sum().backward()
    # the update depends on the gradient only: d(p_new)/dw is the identity
    np.testing.assert_allclose(w.grad.numpy(), [1.0, 1.0, 1.0])
    # without differentiable=True the same update is not recorded
    q = ctorch.nn.Parameter(ctorch.ones(3))
    q.grad = ctorch.ones(3)
    getattr(optim, name)([q], **kw).step()
    assert q.grad_fn is None


# ---------------------------------------------------------------- fused updates (SGD, Adam, AdamW)
# fused=True and the default run one kernel pass per parameter, fused=False (or foreach=False)
# the composed ops; every path follows the numpy rule, and the fused and composed ones agree

FUSED_CASES = [(name, ref, {k: v for k, v in kw.items() if k not in ("fused", "foreach")})
               for name, ref, kw in CASES if name in ("SGD", "Adam", "AdamW")]
FUSED_CASES += [
    ("SGD", ref_sgd, dict(lr=0.1, momentum=0.9, dampening=0.2, weight_decay=0.1, maximize=True)),
    ("Adam", ref_adam, dict(lr=0.1, amsgrad=True, maximize=True, betas=(0.3, 0.7))),
    ("AdamW", ref_adamw, dict(lr=0.05, weight_decay=0.0)),
]
FUSED_IDS = [f"{name}-{i}" for i, (name, _, _) in enumerate(FUSED_CASES)]


def _np_run(name, ref, kw, steps):
    ws = _init()
    groups = [dict(kw), dict(kw, lr=kw["lr"] / 2)]
    states = [{} for _ in ws]
    for t in range(1, steps + 1):
        grads = _np_grads(*ws)
        for i in range(2):
            ws[i] = ref(ws[i], grads[i], states[i], groups[i], t)
    return ws


@pytest.mark.parametrize("dtype", [ctorch.float64, ctorch.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("name,ref,kw", FUSED_CASES, ids=FUSED_IDS)
def test_fused_and_composed_updates(name, ref, kw, dtype):
    want = _np_run(name, ref, kw, 4)
    runs = {}
    for mode in (dict(fused=True), dict(fused=False), dict(), dict(foreach=False)):
        params = _ct_params(dtype)
        opt = getattr(optim, name)(_groups(params, kw), **kw, **mode)
        _ct_run(opt, params, 4)
        tol = dict(rtol=1e-9, atol=1e-12) if dtype == ctorch.float64 else dict(rtol=2e-4, atol=2e-5)
        for p, w in zip(params, want):
            assert p.dtype == dtype
            np.testing.assert_allclose(p.detach().numpy(), w, **tol)
        runs[str(mode)] = (params, opt)
    if dtype == ctorch.float64:
        (fp, fopt), (cp, copt) = runs[str(dict(fused=True))], runs[str(dict(fused=False))]
        for a, b in zip(fp, cp):
            np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-12, atol=1e-14)
            sa, sb = fopt.state[a], copt.state[b]
            assert sorted(sa) == sorted(sb)
            for k in sa:
                np.testing.assert_allclose(sa[k].numpy(), sb[k].numpy(), rtol=1e-12, atol=1e-14)


def _count_kernel_calls(monkeypatch, name):
    """Records what each call of the fused kernel entry returned."""
    from ctorch._ops import optim as kernels
    entry = "_sgd_update" if name == "SGD" else "_adam_update"
    real, calls = getattr(kernels, entry), []

    def spy(*args):
        calls.append(real(*args))
        return calls[-1]
    monkeypatch.setattr(kernels, entry, spy)
    return calls


@pytest.mark.parametrize("name,kw", [("SGD", dict(lr=0.1)), ("SGD", dict(lr=0.1, momentum=0.9)),
                                     ("Adam", dict(lr=0.1, amsgrad=True)), ("AdamW", dict(lr=0.1))])
def test_which_updates_run_fused(monkeypatch, name, kw):
    calls = _count_kernel_calls(monkeypatch, name)
    for mode, dtype, fused in [(dict(), ctorch.float32, True), (dict(fused=True), ctorch.float64, True),
                               (dict(foreach=True), ctorch.float64, True),
                               (dict(fused=False), ctorch.float64, False),
                               (dict(foreach=False), ctorch.float64, False),
                               (dict(fused=True), ctorch.float16, False)]:
        del calls[:]
        params = _ct_params(dtype)
        _ct_run(getattr(optim, name)(params, **kw, **mode), params, 2)
        assert calls == ([True] * 4 if fused else [False] * len(calls)), (mode, dtype)
    # a parameter that is not contiguous takes the composed ops, with the same result
    del calls[:]
    a, b = _init()
    w = ctorch.tensor(a.T.copy()).t().requires_grad_()
    bias = ctorch.tensor(b).requires_grad_()
    assert not w.is_contiguous()
    _ct_run(getattr(optim, name)([w, bias], **kw), [w, bias], 2)
    # (SGD's first momentum step checks the tensors before it makes the buffer)
    assert calls.count(True) == 2 and calls.count(False) in (1, 2)
    ref = dict(SGD=ref_sgd, Adam=ref_adam, AdamW=ref_adamw)[name]
    ws, states = _init(), [{}, {}]
    for t in (1, 2):
        grads = _np_grads(*ws)
        ws = [ref(ws[i], grads[i], states[i], kw, t) for i in range(2)]
    for p, want in zip([w, bias], ws):
        np.testing.assert_allclose(p.detach().numpy(), want, rtol=1e-9, atol=1e-12)


def test_fused_runs_on_large_parameters_and_keeps_the_version():
    # more elements than one thread's block: the update splits over the threads
    n = 100_003
    rng = np.random.default_rng(3)
    p0, g = rng.standard_normal(n), rng.standard_normal(n)
    p = ctorch.nn.Parameter(ctorch.tensor(p0))
    p.grad = ctorch.tensor(g)
    version = p._version
    opt = optim.AdamW([p], lr=0.01, weight_decay=0.1, amsgrad=True, fused=True)
    opt.step()
    assert p._version > version
    st = {}
    want = ref_adamw(p0, g, st, dict(lr=0.01, weight_decay=0.1, amsgrad=True), 1)
    np.testing.assert_allclose(p.detach().numpy(), want, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(opt.state[p]["max_exp_avg_sq"].numpy(), st["vmax"], rtol=1e-12)
    q = ctorch.nn.Parameter(ctorch.tensor(p0, dtype=ctorch.float32))
    q.grad = ctorch.tensor(g, dtype=ctorch.float32)
    optim.SGD([q], lr=0.1, momentum=0.9, nesterov=True, fused=True).step()
    np.testing.assert_allclose(q.detach().numpy(), p0 - 0.1 * (g + 0.9 * g), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW"])
def test_fused_errors(name):
    p = ctorch.nn.Parameter(ctorch.ones(2, dtype=ctorch.complex64))
    p.grad = ctorch.ones(2, dtype=ctorch.complex64)
    opt = getattr(optim, name)([p], lr=0.1, fused=True)
    with pytest.raises(RuntimeError, match="`fused=True` requires all the params to be floating point "
                                           "Tensors of supported devices"):
        opt.step()
    with pytest.raises(RuntimeError, match="`fused` does not support `differentiable`"):
        getattr(optim, name)([p], lr=0.1, fused=True, differentiable=True)
    with pytest.raises(RuntimeError, match="`fused` and `foreach` cannot be `True` together."):
        getattr(optim, name)([p], lr=0.1, fused=True, foreach=True)


# ---------------------------------------------------------------- Muon (2-D parameters only)


def _bf16(x):
    """x rounded to bfloat16 (to nearest, ties to even), returned as float64."""
    u = np.asarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    u = (u + 0x7FFF + ((u >> 16) & 1)) >> 16 << 16
    return u.astype(np.uint32).view(np.float32).astype(np.float64)


def _np_newton_schulz(g, coefficients, steps, eps):
    # in bfloat16 as PyTorch runs it: every op's result rounded to bfloat16
    a, b, c = coefficients
    tall = g.shape[0] > g.shape[1]
    x = _bf16(g.T if tall else g)
    x = _bf16(x / _bf16(max(_bf16(np.linalg.norm(x)), eps)))
    for _ in range(steps):
        A = _bf16(x @ x.T)
        P = _bf16(b * A + c * (A @ A))
        x = _bf16(a * x + P @ x)
    return x.T if tall else x


def ref_muon(p, g, st, grp, t):
    lr, wd, mu = grp["lr"], grp.get("weight_decay", 0.1), grp.get("momentum", 0.95)
    st["B"] = mu * st.get("B", 0.0) + (1 - mu) * g         # the momentum as a running average
    u = (1 - mu) * g + mu * st["B"] if grp.get("nesterov", True) else st["B"]
    o = _np_newton_schulz(u, grp.get("ns_coefficients", (3.4445, -4.775, 2.0315)),
                          grp.get("ns_steps", 5), grp.get("eps", 1e-7))
    rows, cols = p.shape
    fn = grp.get("adjust_lr_fn")
    scale = 0.2 * np.sqrt(max(rows, cols)) if fn == "match_rms_adamw" else np.sqrt(max(1, rows / cols))
    return p * (1 - lr * wd) - lr * scale * o


MUON_CASES = [
    dict(lr=0.02),
    dict(lr=0.1, momentum=0.9, nesterov=False, weight_decay=0.0),
    dict(lr=0.05, adjust_lr_fn="match_rms_adamw", weight_decay=0.3, ns_steps=3,
         ns_coefficients=(2.0, -1.5, 0.5), eps=1e-3),
]


def _muon_problem():
    # two matrices, one wide and one tall: loss = 0.5 |W|^2 + sum(sin(W)) for each
    rng = np.random.default_rng(2)
    return [rng.standard_normal((3, 5)), rng.standard_normal((4, 2))]


@pytest.mark.parametrize("kw", MUON_CASES)
def test_muon_matches_the_update_rule(kw):
    params = [ctorch.nn.Parameter(ctorch.tensor(a)) for a in _muon_problem()]
    opt = optim.Muon([{"params": params[:1]}, {"params": params[1:], "lr": kw["lr"] / 2}], **kw)
    for _ in range(STEPS):
        opt.zero_grad()
        sum((p * p).sum() * 0.5 + p.sin().sum() for p in params).backward()
        opt.step()
    ws = _muon_problem()
    groups = [dict(kw), dict(kw, lr=kw["lr"] / 2)]
    states = [{}, {}]
    for t in range(1, STEPS + 1):
        for i in range(2):
            ws[i] = ref_muon(ws[i], ws[i] + np.cos(ws[i]), states[i], groups[i], t)
    for p, w in zip(params, ws):
        # the orthogonalized update carries bfloat16's precision (2^-8 relative)
        np.testing.assert_allclose(p.detach().numpy(), w, rtol=0, atol=0.01 * kw["lr"] * STEPS)


def test_muon_state_dict_defaults_and_errors():
    params = [ctorch.nn.Parameter(ctorch.tensor(a, dtype=ctorch.float32)) for a in _muon_problem()]
    opt = optim.Muon(params, lr=0.01)
    assert opt.defaults == {"lr": 0.01, "weight_decay": 0.1, "momentum": 0.95, "nesterov": True,
                            "ns_coefficients": (3.4445, -4.775, 2.0315), "eps": 1e-07,
                            "ns_steps": 5, "adjust_lr_fn": None}

    def run(o, ps, n):
        for _ in range(n):
            o.zero_grad()
            sum((p * p).sum() + p.sin().sum() for p in ps).backward()
            o.step()
    run(opt, params, 2)
    sd = opt.state_dict()
    assert {k: sorted(v) for k, v in sd["state"].items()} == {0: ["momentum_buffer"],
                                                             1: ["momentum_buffer"]}
    twin = [ctorch.nn.Parameter(p.detach().clone()) for p in params]
    opt2 = optim.Muon(twin, lr=5.0)
    opt2.load_state_dict(pickle.loads(pickle.dumps(sd)))
    assert opt2.param_groups[0]["lr"] == 0.01
    run(opt, params, 2)
    run(opt2, twin, 2)
    for a, b in zip(params, twin):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    # the iteration's own limits
    p = ctorch.nn.Parameter(ctorch.ones(2, 2))
    p.grad = ctorch.ones(2, 2)
    with pytest.raises(ValueError, match="Number of steps must be less than 100"):
        optim.Muon([p], ns_steps=100).step()
    with pytest.raises(ValueError, match="Coefficients must be a tuple of exactly 3 values"):
        optim.Muon([p], ns_coefficients=(1.0, 2.0)).step()
    c = ctorch.nn.Parameter(ctorch.ones(2, 2, dtype=ctorch.complex64))
    c.grad = ctorch.ones(2, 2, dtype=ctorch.complex64)
    with pytest.raises(RuntimeError, match="Muon does not support complex parameters"):
        optim.Muon([c]).step()
    with pytest.raises(RuntimeError, match="Adafactor does not support complex parameters"):
        optim.Adafactor([c]).step()


def test_adafactor_defaults_and_float32_epsilon():
    p = ctorch.nn.Parameter(ctorch.tensor([[1e-6, -2e-6], [0.0, 3e-6]], dtype=ctorch.float32))
    opt = optim.Adafactor([p])
    assert opt.defaults == {"lr": 0.01, "beta2_decay": -0.8, "eps": (None, 1e-3), "d": 1.0,
                            "weight_decay": 0.0, "foreach": None, "maximize": False}
    g = np.array([[1e-5, 0.0], [-2e-5, 1e-5]])
    p.grad = ctorch.tensor(g, dtype=ctorch.float32)
    opt.step()
    st = {}
    want = ref_adafactor(np.array([[1e-6, -2e-6], [0.0, 3e-6]], dtype=np.float32).astype(np.float64),
                         g, st, dict(lr=0.01, eps=(float(np.finfo(np.float32).eps), 1e-3)), 1)
    np.testing.assert_allclose(p.detach().numpy(), want, rtol=1e-5, atol=1e-10)
