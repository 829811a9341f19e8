"""torch.futures: Future (a value that is set once, later, by someone, with
callbacks and chaining), collect_all and wait_all; and torch.fork /
torch.wait, which outside TorchScript run the function at once and hand its
result over in a completed Future, as PyTorch's eager mode does.

Futures are thread-safe: wait() blocks until another thread sets the result.
Loaded on first use (ctorch._LAZY)."""
import sys
import threading

__all__ = ["Future", "collect_all", "wait_all"]

_PENDING = object()


class Future:
    """A result that becomes available later: set once with set_result or
    set_exception; wait() blocks for it; then/add_done_callback run callbacks
    once it is set (at once when it already is)."""

    def __init__(self, *, devices=None):
        self._cond = threading.Condition()
        self._value = _PENDING
        self._error = None
        self._callbacks = []

    def done(self):
        """True once a result or an error has been set."""
        with self._cond:
            return self._value is not _PENDING or self._error is not None

    def wait(self):
        """Blocks until the Future is completed; returns its value, or raises
        its error."""
        with self._cond:
            while self._value is _PENDING and self._error is None:
                self._cond.wait()
            if self._error is not None:
                raise self._error
            return self._value

    def value(self):
        """The value of a completed Future (raises its error, if it holds one)."""
        with self._cond:
            if self._error is not None:
                raise self._error
            if self._value is _PENDING:
                raise RuntimeError("value(): the Future is not completed yet; call wait() to "
                                   "block until it is")
            return self._value

    def then(self, callback):
        """A new Future that completes with callback(self) once this one is
        done; an error raised by the callback completes it with that error."""
        if not callable(callback):
            raise TypeError(f"then(): callback must be callable, got {type(callback).__name__}")
        child = Future()

        def run(fut):
            try:
                result = callback(fut)
            except Exception as e:
                err = RuntimeError(f"Got the following error when running the callback: "
                                   f"{type(e).__name__}: {e}")
                err.__cause__ = e
                child.set_exception(err)
                return
            child.set_result(result)
        self._add(run)
        return child

    def add_done_callback(self, callback):
        """Runs callback(self) once this Future is done; its result is dropped
        and an error it raises is reported, not propagated."""
        if not callable(callback):
            raise TypeError(f"add_done_callback(): callback must be callable, got "
                            f"{type(callback).__name__}")

        def run(fut):
            try:
                callback(fut)
            except Exception as e:
                sys.stderr.write(f"Got the following error when running the callback: "
                                 f"{type(e).__name__}: {e}\n")
        self._add(run)

    def _add(self, run):
        with self._cond:
            pending = self._value is _PENDING and self._error is None
            if pending:
                self._callbacks.append(run)
        if not pending:
            run(self)

    def _complete(self, value, error):
        with self._cond:
            if self._value is not _PENDING or self._error is not None:
                raise RuntimeError("Attempting to mark a completed Future as complete again. Note "
                                   "that a Future can only be marked completed once.")
            if error is None:
                self._value = value
            else:
                self._error = error
            callbacks, self._callbacks = self._callbacks, []
            self._cond.notify_all()
        for run in callbacks:
            run(self)

    def set_result(self, result):
        """Completes the Future with result, and runs its callbacks."""
        self._complete(result, None)

    def set_exception(self, result):
        """Completes the Future with an error: wait() and value() raise it."""
        if not isinstance(result, BaseException):
            raise AssertionError(f"{result} is of type {type(result)}, not an Exception.")
        self._complete(None, result)

    def __repr__(self):
        return f"<torch.futures.Future object at {hex(id(self))}>"


def _check_futures(futures, name):
    if not isinstance(futures, (list, tuple)):
        raise TypeError(f"{name}(): expected a list of Futures, got {type(futures).__name__}")
    for f in futures:
        if not isinstance(f, Future):
            raise TypeError(f"{name}(): expected a list of Futures, got an element of type "
                            f"{type(f).__name__}")


def collect_all(futures):
    """A Future that completes, with the list of the given Futures, once all
    of them are done (with a value or an error)."""
    _check_futures(futures, "collect_all")
    futures = list(futures)
    out = Future()
    if not futures:
        out.set_result([])
        return out
    remaining = [len(futures)]
    lock = threading.Lock()

    def one_done(_):
        with lock:
            remaining[0] -= 1
            last = remaining[0] == 0
        if last:
            out.set_result(futures)
    for f in futures:
        f._add(one_done)
    return out


def wait_all(futures):
    """Waits for all the Futures; returns their values, or raises the first
    error among them."""
    _check_futures(futures, "wait_all")
    return [f.wait() for f in collect_all(futures).wait()]


def fork(func, *args, **kwargs):
    """Runs func(*args, **kwargs) and returns a completed Future holding its
    result (torch.jit.fork outside TorchScript: no asynchronous task)."""
    if not callable(func):
        raise TypeError(f"fork(): func must be callable, got {type(func).__name__}")
    fut = Future()
    fut.set_result(func(*args, **kwargs))
    return fut


def wait(future):
    """The value of a Future (blocks until it is done)."""
    if not isinstance(future, Future):
        raise TypeError(f"wait(): argument 'future' must be Future, not {type(future).__name__}")
    return future.wait()
