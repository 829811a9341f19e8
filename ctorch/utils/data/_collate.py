"""default_collate / default_convert: samples -> batches of tensors."""
import collections.abc
import copy
import re

import ctorch

__all__ = ["default_collate", "default_convert"]

_np_str_obj_array_pattern = re.compile(r"[SaUO]")

default_collate_err_msg_format = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, "
    "dicts or lists; found {}")


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(x, "_fields")


def default_convert(data):
    """Tensors kept, numpy arrays and scalars made tensors, containers recursed."""
    if isinstance(data, ctorch.Tensor):
        return data
    if type(data).__module__ == "numpy" and hasattr(data, "dtype") and hasattr(data, "shape"):
        if _np_str_obj_array_pattern.search(data.dtype.str) is not None:
            return data
        return ctorch.as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        try:
            if isinstance(data, collections.abc.MutableMapping):
                clone = copy.copy(data)
                clone.update({k: default_convert(v) for k, v in data.items()})
                return clone
            return type(data)({k: default_convert(v) for k, v in data.items()})
        except TypeError:
            return {k: default_convert(v) for k, v in data.items()}
    if _is_namedtuple(data):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        try:
            return type(data)([default_convert(d) for d in data])
        except TypeError:
            return [default_convert(d) for d in data]
    return data


def _stack(batch, elem):
    # stacking equal shapes is a concatenation along dim 0 viewed as
    # (len(batch), *shape): one copy, and cheaper than stack for many small tensors
    # (cat itself checks that the other dimensions agree)
    if elem.dim() > 0:
        n0 = elem.size(0)
        if all(isinstance(t, ctorch.Tensor) and t.size(0) == n0 and t.dim() == elem.dim() for t in batch):
            try:
                return ctorch.cat(list(batch), 0).view(len(batch), *elem.shape)
            except RuntimeError:
                pass    # unequal shapes: stack says which entries differ
    return ctorch.stack(list(batch), 0)


def default_collate(batch):
    """Stack a list of samples into a batch, following their structure: tensors
    stacked, numpy arrays stacked as tensors, floats -> float64 tensor, ints ->
    int64 tensor, strings kept as a list, mappings / namedtuples / sequences
    collated field by field (a tuple sample gives a list)."""
    elem = batch[0]
    elem_type = type(elem)
    if isinstance(elem, ctorch.Tensor):
        return _stack(batch, elem)
    if elem_type.__module__ == "numpy" and elem_type.__name__ not in ("str_", "bytes_"):
        if elem_type.__name__ in ("ndarray", "memmap"):
            if _np_str_obj_array_pattern.search(elem.dtype.str) is not None:
                raise TypeError(default_collate_err_msg_format.format(elem.dtype))
            return default_collate([ctorch.as_tensor(b) for b in batch])
        if elem.shape == ():
            return ctorch.as_tensor(batch)
    if isinstance(elem, float):
        return ctorch.tensor(batch, dtype=ctorch.float64)
    if isinstance(elem, int):
        return ctorch.tensor(batch)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        try:
            if isinstance(elem, collections.abc.MutableMapping):
                clone = copy.copy(elem)
                clone.update({key: default_collate([d[key] for d in batch]) for key in elem})
                return clone
            return elem_type({key: default_collate([d[key] for d in batch]) for key in elem})
        except TypeError:
            return {key: default_collate([d[key] for d in batch]) for key in elem}
    if _is_namedtuple(elem):
        return elem_type(*(default_collate(samples) for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        it = iter(batch)
        elem_size = len(next(it))
        if not all(len(e) == elem_size for e in it):
            raise RuntimeError("each element in list of batch should be of equal size")
        transposed = list(zip(*batch))
        if isinstance(elem, tuple):
            return [default_collate(samples) for samples in transposed]
        try:
            if isinstance(elem, collections.abc.MutableSequence):
                clone = copy.copy(elem)
                for i, samples in enumerate(transposed):
                    clone[i] = default_collate(samples)
                return clone
            return elem_type([default_collate(samples) for samples in transposed])
        except TypeError:
            return [default_collate(samples) for samples in transposed]
    raise TypeError(default_collate_err_msg_format.format(elem_type))
