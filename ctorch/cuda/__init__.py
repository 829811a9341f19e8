"""torch.cuda for ctorch: availability checks that never import anything heavy.

PyCUDA is an optional extra (`pip install -e .[cuda]`); without it, or
without an NVIDIA driver, `is_available()` is False and every CPU feature
works as usual.
"""
_state = {}


def _pycuda_present():
    import importlib.util
    return importlib.util.find_spec("pycuda") is not None


def _probe():
    if "available" not in _state:
        ok, count = False, 0
        if _pycuda_present():
            try:
                import pycuda.driver as drv
                drv.init()
                count = drv.Device.count()
                ok = count > 0
            except Exception:
                ok, count = False, 0
        _state["available"], _state["count"] = ok, count
    return _state["available"]


def is_available():
    return _probe()


def device_count():
    _probe()
    return _state["count"]


def synchronize(device=None):
    if not is_available():
        raise AssertionError("Torch not compiled with CUDA enabled")


def current_device():
    if not is_available():
        raise AssertionError("Torch not compiled with CUDA enabled")
    return 0


def manual_seed(seed):
    from ctorch import manual_seed as _ms
    _ms(seed)


def manual_seed_all(seed):
    manual_seed(seed)
