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
