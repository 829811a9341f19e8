"""torch.lobpcg on symmetric positive definite matrices: its eigenpairs
against numpy.linalg.eigh (scipy.linalg.eigh for the generalized problem),
batches, and the argument errors PyTorch raises."""
import numpy as np
import pytest
import scipy.linalg

import ctorch as torch


def spd(rng, m, shift=None):
    M = rng.standard_normal((m, m))
    return M @ M.T + (m if shift is None else shift) * np.eye(m)


@pytest.mark.parametrize("largest", [True, False])
@pytest.mark.parametrize("method", ["ortho", "basic"])
def test_extreme_eigenpairs_match_eigh(largest, method):
    rng = np.random.default_rng(0)
    A = spd(rng, 24)
    ev = np.linalg.eigh(A)[0]
    torch.manual_seed(1)
    E, X = torch.lobpcg(torch.tensor(A), k=3, largest=largest, method=method, niter=-1)
    want = ev[::-1][:3] if largest else ev[:3]
    np.testing.assert_allclose(E.numpy(), want, rtol=1e-7)
    x = X.numpy()
    np.testing.assert_allclose(A @ x, x * E.numpy(), atol=1e-5 * np.abs(want).max())
    np.testing.assert_allclose(x.T @ x, np.eye(3), atol=1e-8)


def test_generalized_problem_initial_block_and_float32():
    rng = np.random.default_rng(2)
    A, B = spd(rng, 21), np.diag(rng.uniform(1, 2, 21))
    gv = scipy.linalg.eigh(A, B, eigvals_only=True)
    X0 = torch.tensor(rng.standard_normal((21, 3)))
    E, X = torch.lobpcg(torch.tensor(A), k=2, B=torch.tensor(B), X=X0, niter=-1)
    np.testing.assert_allclose(E.numpy(), gv[::-1][:2], rtol=1e-7)
    x = X.numpy()
    np.testing.assert_allclose(x.T @ B @ x, np.eye(2), atol=1e-8)
    torch.manual_seed(0)
    E32, _ = torch.lobpcg(torch.tensor(A.astype(np.float32)), k=2)
    assert E32.dtype == torch.float32
    np.testing.assert_allclose(E32.numpy(), np.linalg.eigh(A)[0][::-1][:2], rtol=1e-4)


def test_batch():
    rng = np.random.default_rng(3)
    As = np.stack([spd(rng, 12), spd(rng, 12, shift=3.0)])
    torch.manual_seed(0)
    E, X = torch.lobpcg(torch.tensor(As), k=2, niter=-1)
    assert tuple(E.shape) == (2, 2) and tuple(X.shape) == (2, 12, 2)
    for b in range(2):
        np.testing.assert_allclose(E.numpy()[b], np.linalg.eigh(As[b])[0][::-1][:2], rtol=1e-7)


def test_errors():
    A = torch.eye(20, dtype=torch.float64)
    with pytest.raises(ValueError, match=r"not applicable when the number of A rows \(=20\) is smaller "
                                         r"than 3 x the number of requested eigenpairs \(=7\)"):
        torch.lobpcg(A, k=7)
    with pytest.raises(ValueError, match="A must be square"):
        torch.lobpcg(A[:, :5], k=1)
    with pytest.raises(TypeError, match="argument 'A' must be Tensor"):
        torch.lobpcg([[1.0]], k=1)
