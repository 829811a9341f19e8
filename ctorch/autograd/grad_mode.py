"""Grad mode switches: context managers that also work as decorators.

The flag itself lives in C, one per thread, so a `no_grad` block in one
thread never changes what another thread records.
"""
import functools

from ctorch.autograd._node import _set_grad_enabled, is_grad_enabled
from ctorch._core.storage import _set_inference_mode, _is_inference_mode

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "inference_mode", "is_grad_enabled",
           "is_inference_mode_enabled", "set_multithreading_enabled",
           "is_multithreading_enabled", "is_view_replay_enabled"]


def is_inference_mode_enabled():
    return _is_inference_mode()


class _Mode:
    """Base: `with mode():` or `@mode()` (or bare `@mode` for the classes
    that take no argument)."""

    def __new__(cls, *args, **kwargs):
        # bare decorator use: @no_grad def f(...)
        if len(args) == 1 and callable(args[0]) and not kwargs and cls._bare_ok:
            return cls()(args[0])
        return super().__new__(cls)

    _bare_ok = True
    _target = False

    def __enter__(self):
        self._prev = is_grad_enabled()
        _set_grad_enabled(self._target)
        return self

    def __exit__(self, *exc):
        _set_grad_enabled(self._prev)
        return False

    def __call__(self, func):
        mode = self

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with mode.clone():
                return func(*args, **kwargs)
        return wrapper

    def clone(self):
        return self.__class__()


class no_grad(_Mode):
    """Operations inside record no graph: results do not require grad."""
    _target = False


class enable_grad(_Mode):
    """Turns recording back on inside a no_grad block."""
    _target = True


class inference_mode(_Mode):
    """No graph is recorded inside (like no_grad), and the tensors allocated
    inside are inference tensors: they cannot be saved for backward or changed
    in place outside inference mode. inference_mode(False) turns it off."""

    def __init__(self, mode=True):
        self._mode = bool(mode)

    def __enter__(self):
        self._prev = is_grad_enabled()
        self._prev_inference = _is_inference_mode()
        _set_inference_mode(self._mode)
        _set_grad_enabled(not self._mode)
        return self

    def __exit__(self, *exc):
        _set_inference_mode(self._prev_inference)
        _set_grad_enabled(self._prev)
        return False

    def clone(self):
        return self.__class__(self._mode)


class set_grad_enabled(_Mode):
    """Sets grad mode at once (as a function call) or for a block."""
    _bare_ok = False

    def __init__(self, mode):
        self._target = bool(mode)
        self._prev = is_grad_enabled()
        _set_grad_enabled(self._target)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _set_grad_enabled(self._prev)
        return False

    def __call__(self, func):
        # used as a decorator: the mode applies to calls, not to the decoration
        _set_grad_enabled(self._prev)
        return super().__call__(func)

    def clone(self):
        return self.__class__(self._target)


# the engine runs every backward in the calling thread; the switch is kept
# for code that sets it (it changes nothing here)
_multithreading = True


def is_multithreading_enabled():
    return _multithreading


class set_multithreading_enabled(_Mode):
    """Sets whether backward may use worker threads, at once or for a block."""
    _bare_ok = False

    def __init__(self, mode):
        global _multithreading
        self._target = bool(mode)
        self._prev = _multithreading
        _multithreading = self._target

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        global _multithreading
        _multithreading = self._prev
        return False

    def clone(self):
        return self.__class__(self._target)


def is_view_replay_enabled():
    """ctorch regenerates the grad_fn of views as views (AsStridedBackward0)."""
    return False
