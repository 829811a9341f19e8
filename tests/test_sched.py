"""ctorch.optim.lr_scheduler against closed-form references of the documented
schedules (numpy), plus state_dict round trips, warnings and error messages."""
import math
import warnings

import numpy as np
import pytest

import ctorch
from ctorch.optim import lr_scheduler as L


class Opt:
    """Minimal optimizer: the schedulers only use param_groups and defaults."""

    def __init__(self, lrs=(0.1, 0.05), momentum=None, betas=None, stepped=True):
        # stepped: behave as if optimizer.step() already ran (no order warning)
        self._opt_called = stepped
        self.defaults = {"lr": lrs[0]}
        if momentum is not None:
            self.defaults["momentum"] = momentum
        if betas is not None:
            self.defaults["betas"] = betas
        self.param_groups = []
        for lr in lrs:
            g = {"lr": lr, "params": []}
            if momentum is not None:
                g["momentum"] = momentum
            if betas is not None:
                g["betas"] = betas
            self.param_groups.append(g)
        self.steps = 0

    def step(self):
        self.steps += 1


LRS = (0.1, 0.05)
N = 30
e = np.arange(N + 1, dtype=np.float64)   # epochs 0..N (0 = after construction)


# ---- closed-form references, one column per param group -------------------
def per_group(f):
    return lambda base: np.stack([f(b) for b in base], axis=1)


def ref_step(step_size, gamma):
    return per_group(lambda b: b * gamma ** (e // step_size))


def ref_multistep(milestones, gamma):
    ms = np.sort(np.asarray(milestones))
    return per_group(lambda b: b * gamma ** np.searchsorted(ms, e, side="right"))


def ref_exp(gamma):
    return per_group(lambda b: b * gamma ** e)


def ref_cos(T, eta_min, x=None):
    x = e if x is None else x
    return per_group(lambda b: eta_min + (b - eta_min) * (1 + np.cos(np.pi * x / T)) / 2)


def ref_linear(s, t, total):
    return per_group(lambda b: b * (s + (t - s) * np.minimum(e, total) / total))


def ref_const(factor, total):
    return per_group(lambda b: b * np.where(e < total, factor, 1.0))


def ref_poly(total, power):
    return per_group(lambda b: b * (1 - np.minimum(e, total) / total) ** power)


def ref_cyclic(base_lr, max_lr, up, down, mode, gamma=1.0):
    total = up + down
    cycle = np.floor(1 + e / total)
    x = 1 + e / total - cycle
    scale = np.where(x <= up / total, x / (up / total), (x - 1) / (up / total - 1))
    if mode == "triangular":
        s = np.ones_like(e)
    elif mode == "triangular2":
        s = 1 / 2.0 ** (cycle - 1)
    else:
        s = gamma ** e
    return per_group(lambda b: base_lr + (max_lr - base_lr) * scale * s)


def ref_warm(T0, Tmult, eta_min):
    tcur, ti = [], []
    t, T = 0, T0
    for _ in e:
        tcur.append(t)
        ti.append(T)
        t += 1
        if t >= T:
            t, T = t - T, T * Tmult
    tcur, ti = np.array(tcur, float), np.array(ti, float)
    return per_group(lambda b: eta_min + (b - eta_min) * (1 + np.cos(np.pi * tcur / ti)) / 2)


def _onecycle_curve(lo, hi, fin, mlo, mhi, total, pct, three, strategy):
    """(lr, momentum) at steps 0..total-1 from the documented 1cycle phases."""
    def ann(a, b, p):
        if strategy == "cos":
            return b + (a - b) / 2 * (np.cos(np.pi * p) + 1)
        return a + (b - a) * p
    k1 = pct * total - 1
    if three:
        ends = [k1, 2 * pct * total - 2, total - 1]
        lr_pts = [(lo, hi), (hi, lo), (lo, fin)]
        m_pts = [(mhi, mlo), (mlo, mhi), (mhi, mhi)]
    else:
        ends = [k1, total - 1]
        lr_pts = [(lo, hi), (hi, fin)]
        m_pts = [(mhi, mlo), (mlo, mhi)]
    lrs, moms = [], []
    for k in range(total):
        start = 0.0
        for i, end in enumerate(ends):
            if k <= end or i == len(ends) - 1:
                p = (k - start) / (end - start)
                lrs.append(ann(*lr_pts[i], p))
                moms.append(ann(*m_pts[i], p))
                break
            start = end
    return np.array(lrs), np.array(moms)


def ref_onecycle(max_lr, total, pct=0.3, three=False, strategy="cos", div=25.0,
                 fdiv=1e4, mlo=0.85, mhi=0.95):
    def f(_base):
        cols = []
        for m in (max_lr if isinstance(max_lr, list) else [max_lr] * len(LRS)):
            lo = m / div
            cols.append(_onecycle_curve(lo, m, lo / fdiv, mlo, mhi, total, pct, three,
                                        strategy)[0])
        return np.stack(cols, axis=1)
    return f


def ref_sequential(base):
    # LinearLR(0.1 -> 1, 4 iters) for epochs < 5, then CosineAnnealingLR(T_max=10)
    # restarted at epoch 5 (its epoch 0 is the milestone).
    a = ref_linear(0.1, 1.0, 4)(base)
    c = ref_cos(10, 0.0, x=np.maximum(e - 5, 0))(base)
    return np.where((e < 5)[:, None], a, c)


def ref_chained(base):
    # The factors of chained schedulers multiply.
    return ref_const(0.5, 4)(base) * ref_exp(0.9)(base) / np.asarray(base)


SCHEDULES = [
    ("StepLR", lambda o: L.StepLR(o, 3), ref_step(3, 0.1)),
    ("StepLR-gamma", lambda o: L.StepLR(o, step_size=4, gamma=0.5), ref_step(4, 0.5)),
    ("MultiStepLR", lambda o: L.MultiStepLR(o, [2, 5, 9], 0.3), ref_multistep([2, 5, 9], 0.3)),
    # a repeated milestone applies gamma once per occurrence
    ("MultiStepLR-repeat", lambda o: L.MultiStepLR(o, [9, 4, 4]), ref_multistep([4, 4, 9], 0.1)),
    ("ExponentialLR", lambda o: L.ExponentialLR(o, 0.9), ref_exp(0.9)),
    # the recursive form keeps following the cosine past T_max (period 2 T_max)
    ("CosineAnnealingLR", lambda o: L.CosineAnnealingLR(o, 7), ref_cos(7, 0.0)),
    ("CosineAnnealingLR-eta", lambda o: L.CosineAnnealingLR(o, T_max=5, eta_min=0.01),
     ref_cos(5, 0.01)),
    ("LambdaLR", lambda o: L.LambdaLR(o, lambda k: 0.95 ** k), ref_exp(0.95)),
    ("LambdaLR-list", lambda o: L.LambdaLR(o, [lambda k: 0.9 ** k, lambda k: 1.0 / (k + 1)]),
     lambda base: np.stack([base[0] * 0.9 ** e, base[1] / (e + 1)], axis=1)),
    ("MultiplicativeLR", lambda o: L.MultiplicativeLR(o, lambda k: 0.8), ref_exp(0.8)),
    ("LinearLR", lambda o: L.LinearLR(o), ref_linear(1 / 3, 1.0, 5)),
    ("LinearLR-down", lambda o: L.LinearLR(o, 1.0, 0.2, 8), ref_linear(1.0, 0.2, 8)),
    ("ConstantLR", lambda o: L.ConstantLR(o), ref_const(1 / 3, 5)),
    ("ConstantLR-opts", lambda o: L.ConstantLR(o, factor=0.4, total_iters=3), ref_const(0.4, 3)),
    ("PolynomialLR", lambda o: L.PolynomialLR(o), ref_poly(5, 1.0)),
    ("PolynomialLR-sq", lambda o: L.PolynomialLR(o, total_iters=8, power=2.0), ref_poly(8, 2.0)),
    ("SequentialLR", lambda o: L.SequentialLR(
        o, [L.LinearLR(o, 0.1, 1.0, 4), L.CosineAnnealingLR(o, 10)], milestones=[5]),
     ref_sequential),
    ("ChainedScheduler", lambda o: L.ChainedScheduler(
        [L.ConstantLR(o, 0.5, 4), L.ExponentialLR(o, 0.9)]), ref_chained),
    ("CyclicLR", lambda o: L.CyclicLR(o, 0.01, 0.1, step_size_up=4),
     ref_cyclic(0.01, 0.1, 4, 4, "triangular")),
    ("CyclicLR-tri2", lambda o: L.CyclicLR(o, 0.01, 0.1, 3, 5, mode="triangular2"),
     ref_cyclic(0.01, 0.1, 3, 5, "triangular2")),
    ("CyclicLR-exp", lambda o: L.CyclicLR(o, 0.01, 0.1, 3, mode="exp_range", gamma=0.9),
     ref_cyclic(0.01, 0.1, 3, 3, "exp_range", 0.9)),
    ("CosineAnnealingWarmRestarts", lambda o: L.CosineAnnealingWarmRestarts(o, 4),
     ref_warm(4, 1, 0.0)),
    ("CosineAnnealingWarmRestarts-mult", lambda o: L.CosineAnnealingWarmRestarts(
        o, T_0=3, T_mult=2, eta_min=0.001), ref_warm(3, 2, 0.001)),
    ("OneCycleLR", lambda o: L.OneCycleLR(o, [1.0, 0.5], total_steps=N + 1),
     ref_onecycle([1.0, 0.5], N + 1)),
    ("OneCycleLR-3phase-linear", lambda o: L.OneCycleLR(
        o, 1.0, epochs=1, steps_per_epoch=N + 1, three_phase=True, anneal_strategy="linear",
        pct_start=0.25, div_factor=10.0, final_div_factor=100.0),
     ref_onecycle(1.0, N + 1, 0.25, True, "linear", 10.0, 100.0)),
]


def _run(make, opt, n=N):
    s = make(opt)
    seq = [list(s.get_last_lr())]
    for _ in range(n):
        opt.step()
        s.step()
        seq.append(list(s.get_last_lr()))
    return s, np.array(seq)


@pytest.mark.parametrize("name,make,ref", SCHEDULES, ids=[c[0] for c in SCHEDULES])
def test_schedule_matches_closed_form(name, make, ref):
    opt = Opt(LRS, momentum=0.9)
    s, seq = _run(make, opt)
    np.testing.assert_allclose(seq, ref(list(LRS)), rtol=1e-12, atol=1e-15)
    # the groups carry the scheduled values too
    np.testing.assert_allclose([g["lr"] for g in opt.param_groups], seq[-1], rtol=0, atol=0)
    assert getattr(s, "last_epoch", N) == N


@pytest.mark.parametrize("name,make,ref", SCHEDULES, ids=[c[0] for c in SCHEDULES])
def test_state_dict_round_trip(name, make, ref):
    k = 11
    opt = Opt(LRS, momentum=0.9)
    s, head = _run(make, opt, k)
    state = s.state_dict()
    assert "optimizer" not in state
    groups = [dict(g) for g in opt.param_groups]
    # a fresh optimizer restored to the same groups, and a fresh scheduler
    opt2 = Opt(LRS, momentum=0.9)
    s2 = make(opt2)
    opt2.param_groups = groups
    s2.optimizer = opt2
    for sub in getattr(s2, "_schedulers", []):
        sub.optimizer = opt2
    s2.load_state_dict(state)
    tail = []
    for _ in range(N - k):
        s2.step()
        tail.append(list(s2.get_last_lr()))
    full = ref(list(LRS))
    np.testing.assert_allclose(np.array(tail), full[k + 1:], rtol=1e-12, atol=1e-15)


STATE_KEYS = {
    "StepLR": {"_get_lr_called_within_step", "_is_initial", "_last_lr", "_step_count",
               "base_lrs", "gamma", "last_epoch", "step_size"},
    "LambdaLR": {"_get_lr_called_within_step", "_is_initial", "_last_lr", "_step_count",
                 "base_lrs", "last_epoch", "lr_lambdas"},
    "OneCycleLR": {"_anneal_func_type", "_get_lr_called_within_step", "_is_initial",
                   "_last_lr", "_schedule_phases", "_step_count", "base_lrs",
                   "cycle_momentum", "last_epoch", "total_steps", "use_beta1"},
    "CyclicLR": {"_get_lr_called_within_step", "_is_initial", "_last_lr", "_scale_fn_custom",
                 "_step_count", "base_lrs", "base_momentums", "cycle_momentum", "gamma",
                 "last_epoch", "max_lrs", "max_momentums", "mode", "scale_mode", "step_ratio",
                 "total_size", "use_beta1"},
    "CosineAnnealingWarmRestarts": {"T_0", "T_cur", "T_i", "T_mult",
                                    "_get_lr_called_within_step", "_is_initial", "_last_lr",
                                    "_step_count", "base_lrs", "eta_min", "last_epoch"},
    "SequentialLR": {"_last_lr", "_milestones", "_schedulers", "last_epoch"},
}


@pytest.mark.parametrize("name", sorted(STATE_KEYS))
def test_state_dict_keys(name):
    make = dict((c[0], c[1]) for c in SCHEDULES)[name]
    s = make(Opt(LRS, momentum=0.9))
    assert set(s.state_dict()) == STATE_KEYS[name]


def test_lambda_state_dict_saves_callable_objects_only():
    class Decay:
        def __init__(self):
            self.rate = 0.5

        def __call__(self, k):
            return self.rate ** k

    opt = Opt(LRS)
    s = L.LambdaLR(opt, [Decay(), lambda k: 1.0])
    st = s.state_dict()
    assert st["lr_lambdas"] == [{"rate": 0.5}, None]
    st["lr_lambdas"][0]["rate"] = 0.25
    s2 = L.LambdaLR(Opt(LRS), [Decay(), lambda k: 1.0])
    s2.load_state_dict(st)
    assert s2.lr_lambdas[0].rate == 0.25
    assert "lr_lambdas" in st           # the caller's dict is left whole


@pytest.mark.parametrize("betas", [False, True])
def test_onecycle_cycles_momentum_or_beta1(betas):
    total = 20
    opt = Opt(LRS, momentum=None if betas else 0.9, betas=(0.9, 0.999) if betas else None)
    s = L.OneCycleLR(opt, 1.0, total_steps=total, base_momentum=0.8, max_momentum=0.9)
    moms = []
    for _ in range(total):
        g = opt.param_groups[0]
        moms.append(g["betas"][0] if betas else g["momentum"])
        if betas:
            assert g["betas"][1] == 0.999
        if len(moms) < total:
            s.step()
    ref = _onecycle_curve(0.04, 1.0, 0.04 / 1e4, 0.8, 0.9, total, 0.3, False, "cos")[1]
    np.testing.assert_allclose(moms, ref, rtol=1e-12)


def test_cyclic_momentum_is_inverse_of_lr():
    opt = Opt((0.1,), momentum=0.5)
    s = L.CyclicLR(opt, 0.01, 0.1, step_size_up=4, base_momentum=0.8, max_momentum=0.9)
    lr, mom = [], []
    for _ in range(16):
        lr.append(opt.param_groups[0]["lr"])
        mom.append(opt.param_groups[0]["momentum"])
        s.step()
    scale = (np.array(lr) - 0.01) / 0.09
    np.testing.assert_allclose(mom, 0.9 - 0.1 * scale, rtol=1e-12)


def _plateau_ref(metrics, lr0, mode, factor, patience, threshold, tmode, cooldown, min_lr,
                 eps=1e-8):
    best = math.inf if mode == "min" else -math.inf
    bad = cd = 0
    lr = lr0
    out = []
    for m in metrics:
        if mode == "min":
            better = m < (best * (1 - threshold) if tmode == "rel" else best - threshold)
        else:
            better = m > (best * (1 + threshold) if tmode == "rel" else best + threshold)
        if better:
            best, bad = m, 0
        else:
            bad += 1
        if cd > 0:
            cd -= 1
            bad = 0
        if bad > patience:
            new = max(lr * factor, min_lr)
            if lr - new > eps:
                lr = new
            cd, bad = cooldown, 0
        out.append(lr)
    return out


METRICS = [1.0, 0.9, 0.95, 0.95, 0.95, 0.89, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9,
           0.9, 0.9, 0.9, 0.9, 0.9, 2.0, 3.0, 3.0, 3.0, 3.0]


@pytest.mark.parametrize("kw", [
    dict(),
    dict(patience=2),
    dict(patience=2, cooldown=2, min_lr=0.002),
    dict(mode="max", factor=0.5, patience=1, threshold=0.05, threshold_mode="abs"),
    dict(mode="max", factor=0.5, patience=0, threshold=0.5, threshold_mode="rel"),
    dict(factor=0.5, patience=0, min_lr=0.0999, eps=1e-3),   # change below eps: kept
])
def test_reduce_lr_on_plateau(kw):
    opt = Opt((0.1,))
    s = L.ReduceLROnPlateau(opt, **kw)
    got = []
    for m in METRICS:
        s.step(m)
        got.append(s.get_last_lr()[0])
    full = dict(mode="min", factor=0.1, patience=10, threshold=1e-4, threshold_mode="rel",
                cooldown=0, min_lr=0.0)
    full.update(kw)
    ref = _plateau_ref(METRICS, 0.1, full["mode"], full["factor"], full["patience"],
                       full["threshold"], full["threshold_mode"], full["cooldown"],
                       full["min_lr"], full.get("eps", 1e-8))
    np.testing.assert_allclose(got, ref, rtol=1e-12)
    assert s.last_epoch == len(METRICS)


def test_reduce_lr_on_plateau_per_group_min_lr_and_state():
    opt = Opt((0.1, 0.05))
    s = L.ReduceLROnPlateau(opt, patience=0, min_lr=[0.001, 0.02])
    for _ in range(4):
        s.step(1.0)
    assert s.get_last_lr() == pytest.approx([0.001, 0.02])
    st = s.state_dict()
    s2 = L.ReduceLROnPlateau(Opt((0.1, 0.05)))
    s2.load_state_dict(st)
    assert s2.is_better(0.5, 1.0) and s2.min_lrs == [0.001, 0.02]
    opt.param_groups.append({"lr": 0.1, "params": []})
    with pytest.raises(RuntimeError, match=r"number of param groups in the `optimizer` \(3\) "
                       r"differs from when `ReduceLROnPlateau` was initialized \(2\)"):
        s.step(2.0)


def test_step_with_epoch_uses_closed_form_and_warns():
    opt = Opt(LRS)
    s = L.StepLR(opt, 3, 0.5)
    with pytest.warns(UserWarning, match="The epoch parameter in `scheduler.step\\(\\)`"):
        s.step(7)
    assert s.last_epoch == 7
    assert s.get_last_lr() == pytest.approx([0.1 * 0.25, 0.05 * 0.25])


def test_chained_cosine_is_recursive():
    # CosineAnnealingLR's step multiplies the current lr: combined with a
    # ConstantLR the cosine acts on the reduced lr (recursive form), which
    # differs from the closed form of the cosine alone.
    opt = Opt((1.0,))
    s = L.ChainedScheduler([L.ConstantLR(opt, 0.5, 3), L.CosineAnnealingLR(opt, 10)])
    got = [s.get_last_lr()[0]]
    for _ in range(6):
        s.step()
        got.append(s.get_last_lr()[0])
    k = np.arange(7)
    cos = (1 + np.cos(np.pi * k / 10)) / 2
    np.testing.assert_allclose(got, np.where(k < 3, 0.5, 1.0) * cos, rtol=1e-12)


def test_warm_restarts_step_with_fractional_epoch():
    opt = Opt((0.1,))
    s = L.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2)
    # epoch 4.5: the cycles are [0,2), [2,6): T_cur = 2.5, T_i = 4
    s.step(4.5)
    assert s.T_i == 4 and s.T_cur == pytest.approx(2.5) and s.last_epoch == 4
    assert s.get_last_lr()[0] == pytest.approx(0.05 * (1 + math.cos(math.pi * 2.5 / 4)))
    with pytest.raises(ValueError, match="Expected non-negative epoch, but got -1"):
        s.step(-1)


def test_initial_lr_and_resume():
    opt = Opt(LRS)
    L.StepLR(opt, 2)
    assert [g["initial_lr"] for g in opt.param_groups] == list(LRS)
    opt.param_groups[0]["lr"] = 1.0       # initial_lr is not overwritten
    s = L.ExponentialLR(opt, 0.5)
    assert s.base_lrs == list(LRS)
    s = L.ExponentialLR(opt, 0.5, last_epoch=3)   # resume: one step from epoch 3
    assert s.last_epoch == 4
    with pytest.raises(KeyError, match=r"param 'initial_lr' is not specified in "
                       r"param_groups\[0\] when resuming scheduler with last_epoch >= 0"):
        L.StepLR(Opt(LRS), 2, last_epoch=4)
    with pytest.raises(TypeError, match="^object is not an Optimizer$"):
        L.StepLR(object(), 2)


def test_tensor_lr_is_updated_in_place():
    opt = Opt((0.1,))
    lr = ctorch.tensor(0.1, dtype=ctorch.float64)
    opt.param_groups[0]["lr"] = lr
    s = L.StepLR(opt, 1, 0.5)
    s.step()
    s.step()
    assert opt.param_groups[0]["lr"] is lr
    assert float(lr) == pytest.approx(0.025)
    last = s.get_last_lr()[0]
    assert last is not lr and float(last) == pytest.approx(0.025)
    assert float(opt.param_groups[0]["initial_lr"]) == pytest.approx(0.1)


def test_warnings_on_misuse():
    opt = Opt(LRS, stepped=False)
    s = L.StepLR(opt, 2)
    with pytest.warns(UserWarning, match=r"Detected call of `lr_scheduler.step\(\)` before "
                      r"`optimizer.step\(\)`"):
        s.step()
    with pytest.warns(UserWarning, match=r"please use `get_last_lr\(\)`"):
        s.get_lr()
    opt = Opt(LRS, stepped=False)
    s = L.StepLR(opt, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opt.step()
        s.step()


def _o():
    return Opt(LRS, momentum=0.9)


ERRORS = [
    (lambda o: L.ConstantLR(o, 1.5), ValueError,
     "Constant multiplicative factor expected to be between 0 and 1."),
    (lambda o: L.LinearLR(o, 0.0), ValueError, "Starting multiplicative factor expected to "
     "be greater than 0 and less or equal to 1."),
    (lambda o: L.LinearLR(o, 0.5, 1.5), ValueError,
     "Ending multiplicative factor expected to be between 0 and 1."),
    (lambda o: L.LambdaLR(o, [lambda k: 1]), ValueError, "Expected 2 lr_lambdas, but got 1"),
    (lambda o: L.MultiplicativeLR(o, [lambda k: 1] * 3), ValueError,
     "Expected 2 lr_lambdas, but got 3"),
    (lambda o: L.OneCycleLR(o, 1.0), ValueError,
     "You must define either total_steps OR (epochs AND steps_per_epoch)"),
    (lambda o: L.OneCycleLR(o, 1.0, total_steps=0), ValueError,
     "Expected positive integer total_steps, but got 0"),
    (lambda o: L.OneCycleLR(o, 1.0, epochs=0, steps_per_epoch=2), ValueError,
     "Expected positive integer epochs, but got 0"),
    (lambda o: L.OneCycleLR(o, 1.0, epochs=2, steps_per_epoch=-1), ValueError,
     "Expected positive integer steps_per_epoch, but got -1"),
    (lambda o: L.OneCycleLR(o, 1.0, total_steps=5, pct_start=1.5), ValueError,
     "Expected float between 0 and 1 pct_start, but got 1.5"),
    (lambda o: L.OneCycleLR(o, 1.0, total_steps=5, anneal_strategy="x"), ValueError,
     "anneal_strategy must be one of 'cos' or 'linear', instead got x"),
    (lambda o: L.OneCycleLR(o, [1.0], total_steps=5), ValueError,
     "max_lr must have the same length as optimizer.param_groups. max_lr has 1 values, "
     "param_groups has 2."),
    (lambda o: L.OneCycleLR(Opt(LRS), 1.0, total_steps=5), ValueError,
     "optimizer must support momentum or beta1 with `cycle_momentum` option enabled"),
    (lambda o: L.CyclicLR(o, 0.1, 1.0, mode="foo"), ValueError,
     "mode is invalid and scale_fn is None"),
    (lambda o: L.CyclicLR(Opt(LRS), 0.1, 1.0), ValueError,
     "optimizer must support momentum or beta1 with `cycle_momentum` option enabled"),
    (lambda o: L.CosineAnnealingWarmRestarts(o, 0), ValueError,
     "Expected positive integer T_0, but got 0"),
    (lambda o: L.CosineAnnealingWarmRestarts(o, 2, 0), ValueError,
     "Expected integer T_mult >= 1, but got 0"),
    (lambda o: L.CosineAnnealingWarmRestarts(o, 2, 1, "a"), ValueError,
     "Expected float or int eta_min, but got a of type <class 'str'>"),
    (lambda o: L.ReduceLROnPlateau(o, factor=1.0), ValueError, "Factor should be < 1.0."),
    (lambda o: L.ReduceLROnPlateau(o, mode="x"), ValueError, "mode x is unknown!"),
    (lambda o: L.ReduceLROnPlateau(o, threshold_mode="x"), ValueError,
     "threshold mode x is unknown!"),
    (lambda o: L.ReduceLROnPlateau(o, min_lr=[0.1]), ValueError, "expected 2 min_lrs, got 1"),
    (lambda o: L.SequentialLR(o, [], []), ValueError,
     "SequentialLR expects at least one scheduler, but got no scheduler."),
    (lambda o: L.SequentialLR(o, [L.StepLR(o, 2)], [3]), ValueError,
     "Sequential Schedulers expects number of schedulers provided to be one more than the "
     "number of milestone points, but got number of schedulers 1 and the number of "
     "milestones to be equal to 1"),
    (lambda o: L.SequentialLR(o, [L.StepLR(o, 2), L.ReduceLROnPlateau(o)], [3]), ValueError,
     "SequentialLR does not support `ReduceLROnPlateau` scheduler as it requires additional "
     "kwargs to be specified when calling `step`, but got one at index 1 in the given "
     "schedulers sequence."),
    (lambda o: L.SequentialLR(o, [L.StepLR(o, 2), 3], [3]), TypeError,
     "SequentialLR at index 1 should have `optimizer` as its attribute."),
    (lambda o: L.SequentialLR(o, [L.StepLR(o, 2), L.StepLR(_o(), 2)], [3]), ValueError,
     "SequentialLR expects all schedulers to belong to the same optimizer, but got "
     "scheduler StepLR at index 1 has"),
    (lambda o: L.ChainedScheduler([]), ValueError,
     "ChainedScheduler expects at least one scheduler to be chained, but got no scheduler."),
]


@pytest.mark.parametrize("make,exc,msg", ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_errors(make, exc, msg):
    with pytest.raises(exc) as info:
        make(_o())
    assert msg in str(info.value)


def test_onecycle_past_total_steps_raises():
    s = L.OneCycleLR(_o(), 1.0, total_steps=2)
    s.step()
    s.step()      # step 2 of 0..2 still evaluates (the last phase extrapolates)
    with pytest.raises(ValueError, match="^Tried to step 3 times. The specified number of "
                       "total steps is 2$"):
        s.step()
