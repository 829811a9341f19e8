"""torch.cpu: the CPU as a device module (what torch.get_device_module('cpu')
returns), with the same few queries as torch.cuda."""

__all__ = ["is_available", "device_count", "current_device", "synchronize"]


def is_available():
    return True


def device_count():
    return 1


def current_device():
    return "cpu"


def synchronize(device=None):
    """CPU ops finish before they return: nothing to wait for."""
    return None


def __getattr__(name):
    # torch.cpu.amp: the deprecated CPU forms of torch.amp's, loaded on first use
    if name == "amp":
        from ctorch.amp._device_amp import cpu_amp
        globals()["amp"] = cpu_amp
        return cpu_amp
    raise AttributeError(f"module 'ctorch.cpu' has no attribute '{name}'")
