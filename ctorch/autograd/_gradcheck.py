"""Finite-difference checks of gradients (use float64 inputs)."""
from ctorch._core.dtype import complex128 as _complex128, float64 as _float64
from ctorch._core.tensor import Tensor
from ctorch._ops.creation import tensor as _tensor, zeros as _zeros
from ctorch._ops.random import Generator as _Generator, randn as _randn
from ctorch.autograd._engine import grad as _grad

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]


class GradcheckError(RuntimeError):
    pass


def _as_tuple(x):
    if isinstance(x, tuple):
        return x
    return tuple(x) if isinstance(x, list) else (x,)


def _outputs(func, inputs):
    return tuple(o for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor))


def _parts(values, is_complex):
    """A complex tensor's values as (re, im) coordinates, a real one's as they are."""
    if not is_complex:
        return [float(v) for v in values]
    return [p for v in values for p in (v.real, v.imag)]


def _numerical_jacobians(func, inputs, eps):
    """J[i][o]: d outputs[o] / d inputs[i] by central differences, as a table of
    (real coordinates of the input) x (real coordinates of the output): a complex
    element counts as two coordinates, its real and its imaginary part."""
    outs = _outputs(func, inputs)
    jac = []
    for x in inputs:
        if not (isinstance(x, Tensor) and x.requires_grad):
            jac.append(None)
            continue
        flat = x.detach().view(-1) if x.is_contiguous() else None
        if flat is None:
            raise GradcheckError("gradcheck needs contiguous inputs to perturb (call .contiguous())")
        steps = (eps, eps * 1j) if x.is_complex() else (eps,)
        cols = [[] for _ in outs]
        for k in range(x.numel()):
            orig = flat[k].item()
            for step in steps:
                flat[k] = orig + step
                plus = [_parts(o.detach().reshape(-1).tolist(), o.is_complex())
                        for o in _outputs(func, inputs)]
                flat[k] = orig - step
                minus = [_parts(o.detach().reshape(-1).tolist(), o.is_complex())
                         for o in _outputs(func, inputs)]
                flat[k] = orig
                for oi in range(len(outs)):
                    cols[oi].append([(p - m) / (2 * eps) for p, m in zip(plus[oi], minus[oi])])
        jac.append(cols)
    return outs, jac


def _analytical_jacobians(outs, inputs):
    """The same tables from backward: the seed 1 at an output's element gives the
    slopes of its real part, the seed 1j those of its imaginary part (PyTorch's
    convention: a gradient is d/d re + 1j d/d im of a real function)."""
    diff_inputs = [x for x in inputs if isinstance(x, Tensor) and x.requires_grad]
    result = {}
    for x in diff_inputs:
        n_in = x.numel() * (2 if x.is_complex() else 1)
        result[id(x)] = [[[0.0] * (o.numel() * (2 if o.is_complex() else 1)) for _ in range(n_in)]
                         for o in outs]
    for oi, o in enumerate(outs):
        if not o.requires_grad:
            continue
        seeds = (1, 1j) if o.is_complex() else (1,)
        for j in range(o.numel()):
            for si, s in enumerate(seeds):
                seed = _zeros(o.numel(), dtype=o.dtype)
                seed[j] = s
                grads = _grad(o, diff_inputs, seed.view(o.shape), retain_graph=True,
                              allow_unused=True)
                col = j * len(seeds) + si
                for x, g in zip(diff_inputs, grads):
                    if g is None:
                        continue
                    rows = result[id(x)][oi]
                    for k, v in enumerate(_parts(g.reshape(-1).tolist(), x.is_complex())):
                        rows[k][col] = v
    return result


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              nondet_tol=0.0, check_undefined_grad=True, fast_mode=False, **unused):
    inputs = _as_tuple(inputs)
    for x in inputs:
        if isinstance(x, Tensor) and x.requires_grad and x.dtype not in (_float64, _complex128):
            import warnings
            warnings.warn("Input #0 requires gradient and is not a double precision floating point or "
                          "complex. This check will likely fail if all the inputs are not of double "
                          "precision floating point or complex. ", UserWarning, stacklevel=2)
    outs, numerical = _numerical_jacobians(func, inputs, eps)
    outs = _outputs(func, inputs)
    analytical = _analytical_jacobians(outs, inputs)
    for i, x in enumerate(inputs):
        if numerical[i] is None:
            continue
        a = analytical[id(x)]
        for oi in range(len(outs)):
            n_rows = numerical[i][oi]
            a_rows = a[oi]
            for k in range(len(n_rows)):
                for j in range(len(n_rows[k])):
                    nv, av = n_rows[k][j], a_rows[k][j]
                    if abs(nv - av) > atol + rtol * abs(nv):
                        if not raise_exception:
                            return False
                        raise GradcheckError(
                            f"Jacobian mismatch for output {oi} with respect to input {i},\n"
                            f"numerical:{_tensor(n_rows, dtype=_float64)}\n"
                            f"analytical:{_tensor(a_rows, dtype=_float64)}\n")
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, **unused):
    inputs = _as_tuple(inputs)
    outs = _outputs(func, inputs)
    if grad_outputs is None:
        gen = _Generator().manual_seed(0)
        grad_outputs = tuple(_randn(*o.shape, dtype=o.dtype, generator=gen).requires_grad_(True)
                             for o in outs)
    grad_outputs = _as_tuple(grad_outputs)
    diff_idx = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    n_in = len(inputs)

    def first_grads(*args):
        ins, gos = args[:n_in], args[n_in:]
        o = _outputs(func, ins)
        return _grad(o, [ins[i] for i in diff_idx], gos, create_graph=True,
                                    allow_unused=True, materialize_grads=True)

    return gradcheck(first_grads, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
