"""torch.random: the default generator's seed and state, and fork_rng.

One Philox generator (ctorch._ops.random.default_generator) serves the CPU
and the CUDA device, so its state is the whole random state: the functions
here are ctorch's own (ctorch.random.manual_seed is ctorch.manual_seed), and
fork_rng saves and restores that one state whatever devices it is given."""
import contextlib

from ctorch._ops.random import (  # noqa: F401
    Generator, default_generator, manual_seed, seed, initial_seed, get_rng_state, set_rng_state,
)

__all__ = ["set_rng_state", "get_rng_state", "manual_seed", "seed", "initial_seed", "fork_rng",
           "thread_safe_generator"]


@contextlib.contextmanager
def fork_rng(devices=None, enabled=True, _caller="fork_rng", _devices_kw="devices", device_type=None):
    """Forks the random state: on leaving the block the generator is back in
    the state it had on entering it (also when the block raised). `devices`
    (device ids) is read as PyTorch reads it; the state it names is the same
    generator's. enabled=False: the state is not forked."""
    if device_type == "meta" or not enabled:
        yield
        return
    if devices is not None:
        devices = list(devices)          # an iterable, read once (as PyTorch does)
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)


def thread_safe_generator():
    """The generator of a data-loading thread worker; ctorch has no such
    workers, so the default generator is used: None."""
    return None
