"""Anomaly detection: with it on, each graph node keeps the stack of the
forward call that made it, an error in a node's backward warns with that
stack, and (check_nan) a node whose computed gradients hold a NaN raises."""
import functools
import warnings

from ctorch.autograd import _engine, _node

__all__ = ["detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled",
           "is_anomaly_check_nan_enabled", "set_anomaly_enabled"]


def is_anomaly_enabled():
    return _engine._anomaly_state()[0]


def is_anomaly_check_nan_enabled():
    return _engine._anomaly_state()[1]


def set_anomaly_enabled(enabled, check_nan=True):
    """Turns anomaly detection on or off for the whole process."""
    enabled = bool(enabled)
    _engine._set_anomaly(enabled, bool(check_nan))
    _node._set_anomaly_traces(enabled)


class detect_anomaly:
    """Context manager and decorator: anomaly detection inside the block."""

    def __init__(self, check_nan=True):
        self.check_nan = check_nan
        self.prev = is_anomaly_enabled()
        self.prev_check_nan = is_anomaly_check_nan_enabled()
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime "
                      "and should only be enabled for debugging.", stacklevel=2)

    def __enter__(self):
        set_anomaly_enabled(True, self.check_nan)
        return None

    def __exit__(self, *exc):
        set_anomaly_enabled(self.prev, self.prev_check_nan)
        return False

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.__class__(self.check_nan):
                return func(*args, **kwargs)
        return wrapper


class set_detect_anomaly:
    """Sets anomaly detection on or off at once (a function call) or for a
    block (a context manager)."""

    def __init__(self, mode, check_nan=True):
        self.prev = is_anomaly_enabled()
        self.prev_check_nan = is_anomaly_check_nan_enabled()
        set_anomaly_enabled(mode, check_nan)

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        set_anomaly_enabled(self.prev, self.prev_check_nan)
        return False
