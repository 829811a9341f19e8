"""torch.Stream and torch.Event: the device-generic stream and event.

On the CPU, as in PyTorch, a stream is host-synchronous (ctorch's CPU ops
complete before they return): query() is True, synchronize() and
wait_event() return at once, and recording events (record, record_event,
wait_stream) raises PyTorch's "cpu backend doesn't support events.". On CUDA
they are ctorch.cuda's Stream and Event (the device's one ordered stream).
With no device given, the current accelerator's (CUDA when it is available),
else the CPU's.
"""
import importlib

from ctorch._core.dispatch import device as _device

__all__ = ["Stream", "Event"]

_DEVICE_TYPE_CODES = {"cpu": 0, "cuda": 1}
_DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve",
                 "fpga", "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia",
                 "privateuseone")


def _cuda():
    return importlib.import_module("ctorch.cuda")


def _resolve(device, cls):
    """The torch.device a stream or event is for."""
    if device is None:
        cuda = _cuda()
        return _device("cuda", cuda.current_device()) if cuda.is_available() else _device("cpu")
    if isinstance(device, int) and not isinstance(device, bool):
        cuda = _cuda()
        if not cuda.is_available():
            raise RuntimeError("Cannot access accelerator device when none is available.")
        return _device("cuda", device)
    if isinstance(device, str):
        kind = device.split(":", 1)[0]
        if kind not in _DEVICE_TYPES:
            raise RuntimeError(f"Expected one of {', '.join(_DEVICE_TYPES)} device type at start of "
                               f"device string: {device}")
        if kind not in _DEVICE_TYPE_CODES:
            raise RuntimeError(f"PyTorch is not linked with support for {kind} devices")
        device = _device(device)
    if not isinstance(device, _device):
        raise TypeError(f"{cls}(): argument 'device' (position 1) must be torch.device, not "
                        f"{type(device).__name__}")
    if device.type == "cuda" and device.index is None:
        return _device("cuda", _cuda().current_device())
    return device


def _no_events():
    raise RuntimeError("cpu backend doesn't support events.")


class Stream:
    """Stream(device=None, *, priority=0): an in-order queue of work on a
    device. Usable as a context manager (the work inside runs on it)."""

    def __init__(self, device=None, *, priority=0):
        if not isinstance(priority, int) or isinstance(priority, bool):
            raise TypeError(f"Stream(): argument 'priority' must be int, not {type(priority).__name__}")
        self._device = _resolve(device, "Stream")
        self._priority = priority
        self._impl = None
        if self._device.type == "cuda":
            self._impl = _cuda().Stream(self._device, priority=priority)

    @property
    def device(self):
        return self._device

    @property
    def device_index(self):
        return -1 if self._device.type == "cpu" else self._device.index

    @property
    def device_type(self):
        return _DEVICE_TYPE_CODES[self._device.type]

    @property
    def stream_id(self):
        return 0

    @property
    def native_handle(self):
        if self._impl is None:
            raise RuntimeError("Backend doesn't support getting stream native handle.")
        return 0        # the device's default stream

    def query(self):
        """Whether all work submitted to the stream has completed."""
        return True if self._impl is None else self._impl.query()

    def synchronize(self):
        """Waits for all work submitted to the stream."""
        if self._impl is not None:
            self._impl.synchronize()

    def wait_event(self, event):
        """Makes later work on this stream wait for `event`."""
        if not isinstance(event, Event):
            raise TypeError(f"wait_event(): argument 'event' must be torch.Event, not {type(event).__name__}")
        event.wait(self)

    def wait_stream(self, stream):
        """Makes later work on this stream wait for the work submitted to `stream`."""
        if self._impl is None:
            _no_events()
        if not isinstance(stream, Stream):
            raise TypeError(f"wait_stream(): argument 'stream' must be torch.Stream, not {type(stream).__name__}")
        self._impl.wait_stream(stream._impl if stream._impl is not None else self._impl)

    def record_event(self, event=None):
        """Records `event` (a new one if None) on this stream and returns it."""
        if self._impl is None:
            _no_events()
        event = Event(self._device) if event is None else event
        event.record(self)
        return event

    def is_capturing(self):
        return False

    def __eq__(self, other):
        if not isinstance(other, Stream):
            return False
        return self._device == other._device and self.stream_id == other.stream_id

    def __hash__(self):
        return hash((self._device.type, self.device_index, self.stream_id))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __repr__(self):
        return (f"torch.Stream device_type={self._device.type}, device_index={self.device_index}, "
                f"stream_id={self.stream_id}")


class Event:
    """Event(device=None, *, enable_timing=False, blocking=False,
    interprocess=False): a marker in a stream, to wait for or time work.
    blocking and interprocess are accepted and do nothing (as in PyTorch)."""

    def __init__(self, device=None, *, enable_timing=False, blocking=False, interprocess=False):
        for name, v in (("enable_timing", enable_timing), ("blocking", blocking), ("interprocess", interprocess)):
            if not isinstance(v, bool):
                raise TypeError(f"Event(): argument '{name}' must be bool, not {type(v).__name__}")
        self._device = _resolve(device, "Event")
        self.enable_timing = enable_timing
        self.blocking = blocking
        self.interprocess = interprocess
        self._impl = None
        self._recorded = False
        if self._device.type == "cuda":
            self._impl = _cuda().Event(enable_timing=enable_timing, blocking=blocking,
                                       interprocess=interprocess)

    @property
    def device(self):
        return self._device

    @property
    def event_id(self):
        return 0

    def record(self, stream=None):
        """Records the event on `stream` (the device's current stream if None)."""
        if self._impl is None:
            _no_events()
        self._impl.record(stream._impl if isinstance(stream, Stream) else stream)
        self._recorded = True

    def wait(self, stream=None):
        """Makes later work on `stream` wait for this event."""
        if self._impl is not None:
            self._impl.wait(stream._impl if isinstance(stream, Stream) else stream)

    def query(self):
        """Whether the work before the event has completed (True if it was never recorded)."""
        return True if self._impl is None else self._impl.query()

    def synchronize(self):
        """Waits for the work before the event to complete."""
        if self._impl is not None:
            self._impl.synchronize()

    def elapsed_time(self, end_event):
        """Milliseconds between this event and end_event, both recorded with
        enable_timing=True."""
        if not (self.enable_timing and end_event.enable_timing):
            raise ValueError("Both events must be created with argument 'enable_timing=True'.")
        if not (self._recorded and end_event._recorded):
            raise ValueError("Both events must be recorded before calculating elapsed time.")
        end_event.synchronize()
        return self._impl.elapsed_time(end_event._impl)

    def __repr__(self):
        index = -1 if self._device.type == "cpu" else self._device.index
        return (f"torch.Event device_type={self._device.type}, device_index={index}, "
                f"event_flag={int(self.enable_timing)}, event_id={self.event_id}")
