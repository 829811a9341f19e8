"""torch.save / torch.load in PyTorch's own checkpoint format, so that either
library reads the other's files.

The format (PyTorch >= 1.6, "zipfile serialization"): an uncompressed zip
archive whose records all sit in one folder, `<name>/` (the file's stem, or
`archive` for a file object):

    <name>/data.pkl              the object, pickled (protocol 2); every tensor
                                 is a call of torch._utils._rebuild_tensor_v2
                                 on a storage given by a persistent id
                                 ('storage', torch.FloatStorage, key, location,
                                 numel)
    <name>/.format_version       "1"
    <name>/.storage_alignment    "64"
    <name>/byteorder             "little"
    <name>/data/<key>            the bytes of one storage, one record each
    <name>/version               "3\\n"
    <name>/.data/serialization_id

Every record's data starts at a multiple of 64 bytes in the file: the local
header's extra field ("FB", its length, "Z" padding) pads it there. Local
headers carry no sizes (flag 0x808: a data descriptor follows the data, names
are UTF-8); the central directory carries them; zip64 records are written
when an offset or size needs them.

Loading parses the pickle with a restricted unpickler (weights_only=True, the
default): the only globals it resolves are the tensor and storage rebuild
functions, the storage and dtype names, and the container types; anything
else is refused before it can run. Loaded on first use (ctorch._LAZY)."""
import collections
import io
import os
import pickle
import struct
import sys
import zlib

from ctorch._core.tensor import Tensor, Size, _tensor_over, _storage_of
from ctorch._core.dtype import dtype as _dtype_type, _dtype_list
from ctorch._core.dispatch import device as _device

__all__ = ["save", "load"]

(_bool, _uint8, _int8, _int16, _int32, _int64, _float16, _float32, _float64,
 _complex64, _complex128) = _dtype_list()

# dtype <-> the legacy storage class PyTorch names in the pickle
_STORAGE_NAMES = {_float32: "FloatStorage", _float64: "DoubleStorage", _float16: "HalfStorage",
                  _int64: "LongStorage", _int32: "IntStorage", _int16: "ShortStorage",
                  _int8: "CharStorage", _uint8: "ByteStorage", _bool: "BoolStorage",
                  _complex64: "ComplexFloatStorage", _complex128: "ComplexDoubleStorage"}
_DTYPE_OF_STORAGE = {v: k for k, v in _STORAGE_NAMES.items()}
# PyTorch's storage classes for dtypes ctorch does not have
_FOREIGN_STORAGES = {"BFloat16Storage": "bfloat16", "QInt8Storage": "qint8",
                     "QUInt8Storage": "quint8", "QInt32Storage": "qint32",
                     "QUInt4x2Storage": "quint4x2", "QUInt2x4Storage": "quint2x4",
                     "ComplexHalfStorage": "complex32"}
_DTYPE_NAMES = {str(d).rpartition(".")[2]: d for d in _STORAGE_NAMES}
_DTYPE_NAMES.update(half=_float16, float=_float32, double=_float64, long=_int64, int=_int32,
                    short=_int16, cfloat=_complex64, cdouble=_complex128)

_ALIGNMENT = 64
_FORMAT_VERSION = b"3\n"
_ZIP64_LIMIT = 0xFFFFFFFF          # sizes and offsets from here on need zip64 records
_LEGACY_MAGIC = 0x1950a86a20f9469cfc6c


# ------------------------------------------------------------------ writing

class _Global:
    """A name in PyTorch's namespace, written into the pickle as a GLOBAL."""
    __slots__ = ("module", "name")

    def __init__(self, module, name):
        self.module = module
        self.name = name

    def __call__(self, *args):
        # the pickler asks that a reduce function be callable; this one only
        # stands for PyTorch's function in the written file
        raise TypeError(f"{self.module}.{self.name} is PyTorch's, not callable in ctorch")


_G_REBUILD = _Global("torch._utils", "_rebuild_tensor_v2")
_G_REBUILD_PARAMETER = _Global("torch._utils", "_rebuild_parameter")
_G_DEVICE = _Global("torch", "device")
_G_SIZE = _Global("torch", "Size")
_G_UNTYPED = _Global("torch.storage", "UntypedStorage")
_G_STORAGES = {dt: _Global("torch", name) for dt, name in _STORAGE_NAMES.items()}
_G_DTYPES = {dt: _Global("torch", str(dt).rpartition(".")[2]) for dt in _STORAGE_NAMES}


class _Pickler(pickle._Pickler):
    """The standard pickler, with tensors, storages, dtypes, devices and
    sizes written under PyTorch's names; storages go out of band (persistent
    ids), their bytes into records of their own."""

    def __init__(self, file, protocol):
        super().__init__(file, protocol)
        self.storages = {}          # id(core) -> [key, core, dtype, location]
        self._storage_mod = sys.modules.get("ctorch._storage")

    def _storage_key(self, core, dt):
        entry = self.storages.get(id(core))
        if entry is None:
            code = core.device_code()
            entry = [str(len(self.storages)), core, dt, "cpu" if code < 0 else f"cuda:{code}"]
            self.storages[id(core)] = entry
        elif entry[2] is not dt:
            raise RuntimeError("Cannot save multiple tensors or storages that view the same data "
                               "as different types")
        return entry

    def persistent_id(self, obj):
        if type(obj) is _StorageRef:
            key, core, dt, location = self._storage_key(obj.core, obj.dtype)
            numel = core.nbytes_() // dt.itemsize
            return ("storage", _G_STORAGES[dt] if not obj.untyped else _G_UNTYPED, key, location,
                    numel)
        mod = self._storage_mod
        if mod is not None:
            if type(obj) is mod.UntypedStorage:
                return self.persistent_id(_StorageRef(obj._core, _uint8, True))
            if issubclass(type(obj), mod.TypedStorage):
                return self.persistent_id(_StorageRef(obj._untyped_storage._core, obj.dtype,
                                                      False))
        return None

    def save(self, obj, save_persistent_id=True):
        if type(obj) is _dtype_type:
            obj = _G_DTYPES[obj]
        if type(obj) is _Global:
            x = self.memo.get(id(obj))
            if x is not None:
                self.write(self.get(x[0]))
                return
            self.write(pickle.GLOBAL + obj.module.encode("utf-8") + b"\n" +
                       obj.name.encode("utf-8") + b"\n")
            self.memoize(obj)
            return
        super().save(obj, save_persistent_id)

    def reducer_override(self, obj):
        t = type(obj)
        if isinstance(obj, Tensor):
            return _reduce_tensor(obj)
        if t is _device:
            return (_G_DEVICE, (str(obj),))
        if t is Size:
            return (_G_SIZE, (tuple(obj),))
        return NotImplemented


class _StorageRef:
    """A storage as a tensor names it in the pickle (its persistent id)."""
    __slots__ = ("core", "dtype", "untyped")

    def __init__(self, core, dt, untyped):
        self.core = core
        self.dtype = dt
        self.untyped = untyped


def _reduce_tensor(t):
    param = sys.modules.get("ctorch.nn.parameter")
    if param is not None and isinstance(t, param.Parameter):
        # as PyTorch writes one: the parameter around its data as a plain tensor
        return (_G_REBUILD_PARAMETER, (t.detach(), t.requires_grad, collections.OrderedDict()))
    args = (_StorageRef(_storage_of(t), t.dtype, False), t.storage_offset(), tuple(t.shape),
            tuple(t.stride()), t.requires_grad, collections.OrderedDict())
    return (_G_REBUILD, args)


def _zip64_extra(*values):
    return struct.pack("<HH", 1, 8 * len(values)) + struct.pack(f"<{len(values)}Q", *values)


class _ZipWriter:
    """An uncompressed zip archive with each record's data aligned to 64 bytes,
    laid out as PyTorch's writer lays it out."""

    def __init__(self, f):
        self.f = f
        self.pos = 0
        self.entries = []

    def _write(self, b):
        self.f.write(b)
        self.pos += len(b)

    def record(self, name, data):
        data = memoryview(data).cast("B")
        nb = name.encode("utf-8")
        n = data.nbytes
        offset = self.pos
        pad = -(offset + 30 + len(nb) + 4) % _ALIGNMENT
        extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
        self._write(struct.pack("<IHHHHHIIIHH", 0x04034b50, 0, 0x0808, 0, 0, 0, 0, 0, 0, len(nb),
                                len(extra)) + nb + extra)
        crc = zlib.crc32(data)
        self._write(data)
        if n >= _ZIP64_LIMIT or offset >= _ZIP64_LIMIT:
            self._write(struct.pack("<IIQQ", 0x08074b50, crc, n, n))
        else:
            self._write(struct.pack("<IIII", 0x08074b50, crc, n, n))
        self.entries.append((nb, crc, n, offset))

    def finish(self):
        cd_start = self.pos
        for nb, crc, n, offset in self.entries:
            big = n >= _ZIP64_LIMIT or offset >= _ZIP64_LIMIT
            if big:
                extra = _zip64_extra(n, n, offset)
                n32 = off32 = 0xFFFFFFFF
            else:
                extra, n32, off32 = b"", n, offset
            self._write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 0x2d if big else 0,
                                    0x2d if big else 0, 0x0808, 0, 0, 0, crc, n32, n32, len(nb),
                                    len(extra), 0, 0, 0, 0, off32) + nb + extra)
        cd_end = self.pos
        count = len(self.entries)
        cd_size = cd_end - cd_start
        # a zip64 end record and its locator always come first, as PyTorch's
        # writer puts them, then the classic end record
        self._write(struct.pack("<IQHHIIQQQQ", 0x06064b50, 44, 0x031e, 0x2d, 0, 0, count, count,
                                cd_size, cd_start))
        self._write(struct.pack("<IIQI", 0x07064b50, 0, cd_end, 1))
        self._write(struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, min(count, 0xFFFF),
                                min(count, 0xFFFF), min(cd_size, 0xFFFFFFFF),
                                min(cd_start, 0xFFFFFFFF), 0))


def _is_path(f):
    return isinstance(f, (str, os.PathLike))


def _host_bytes(core):
    """The bytes of a storage, in host memory (a view of it on the CPU)."""
    if core.device_code() < 0:
        return memoryview(core)
    host = _tensor_over(core, _uint8, 0, [core.nbytes_()], [1]).cpu()
    return memoryview(_storage_of(host))


def save(obj, f, pickle_module=pickle, pickle_protocol=2, _use_new_zipfile_serialization=True,
         _disable_byteorder_record=False):
    """Saves obj to f (a path or a writable binary file object) in PyTorch's
    checkpoint format (torch.load reads it)."""
    if pickle_module is not pickle:
        raise ValueError("torch.save: only the standard pickle module can write a checkpoint")
    if not _use_new_zipfile_serialization:
        raise RuntimeError("torch.save: the legacy (non-zip) format is not supported; save with "
                           "_use_new_zipfile_serialization=True (the default)")
    if not _is_path(f) and not hasattr(f, "write"):
        raise AttributeError("expected 'f' to be string, path, or a file-like object with a "
                             "'write' attribute")
    data = io.BytesIO()
    pickler = _Pickler(data, pickle_protocol)
    pickler.dump(obj)
    if _is_path(f):
        name = os.path.splitext(os.path.basename(os.fspath(f)))[0] or "archive"
        with open(f, "wb") as fh:
            _write_archive(fh, name, data.getbuffer(), pickler.storages, _disable_byteorder_record)
    else:
        _write_archive(f, "archive", data.getbuffer(), pickler.storages, _disable_byteorder_record)


def _write_archive(fh, name, pickled, storages, no_byteorder):
    w = _ZipWriter(fh)
    w.record(f"{name}/data.pkl", pickled)
    w.record(f"{name}/.format_version", b"1")
    w.record(f"{name}/.storage_alignment", str(_ALIGNMENT).encode())
    if not no_byteorder:
        w.record(f"{name}/byteorder", sys.byteorder.encode())
    for key, core, _dt, _loc in storages.values():
        w.record(f"{name}/data/{key}", _host_bytes(core))
    w.record(f"{name}/version", _FORMAT_VERSION)
    w.record(f"{name}/.data/serialization_id", _serialization_id())
    w.finish()


def _serialization_id():
    return str(int.from_bytes(os.urandom(16), "little")).zfill(40)[:40].encode()


# ------------------------------------------------------------------ loading

_WEIGHTS_ONLY_MSG = (
    "Weights only load failed. In PyTorch 2.6, we changed the default value of the "
    "`weights_only` argument in `torch.load` from `False` to `True`. Re-running `torch.load` "
    "with `weights_only` set to `False` will likely succeed, but it can result in arbitrary "
    "code execution. Do it only if you got the file from a trusted source.\n"
    " WeightsUnpickler error: {}\n\n"
    "Check the documentation of torch.load to learn more about types accepted by default with "
    "weights_only https://pytorch.org/docs/stable/generated/torch.load.html.")


def _weights_only_error(detail):
    return pickle.UnpicklingError(_WEIGHTS_ONLY_MSG.format(detail))


class _StorageType:
    """torch.FloatStorage & co as the unpickler sees them: the dtype of a
    storage's elements."""
    __slots__ = ("name", "dtype")

    def __init__(self, name, dt):
        self.name = name
        self.dtype = dt


def _set_tensor(core, dt, storage_offset, size, stride):
    from ctorch._storage import _t_set_, UntypedStorage
    from ctorch import empty
    if not isinstance(storage_offset, int) or isinstance(storage_offset, bool):
        raise pickle.UnpicklingError(f"_rebuild_tensor: storage_offset must be an int, got "
                                     f"{type(storage_offset).__name__}")
    for name, v in (("size", size), ("stride", stride)):
        if not isinstance(v, tuple) or not all(isinstance(i, int) and not isinstance(i, bool)
                                               for i in v):
            raise pickle.UnpicklingError(f"_rebuild_tensor: {name} must be a tuple of ints")
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    if any(s < 0 for s in size) or any(s < 0 for s in stride):
        raise RuntimeError(f"_rebuild_tensor: negative size {list(size)} or stride "
                           f"{list(stride)}")
    store = object.__new__(UntypedStorage)
    store._core = core
    return _t_set_(empty(0, dtype=dt), store, storage_offset, size, stride)


def _core_and_dtype(storage):
    from ctorch._storage import UntypedStorage, TypedStorage
    if isinstance(storage, TypedStorage):
        return storage._untyped_storage._core, storage.dtype
    if isinstance(storage, UntypedStorage):
        return storage._core, _uint8
    raise pickle.UnpicklingError(f"_rebuild_tensor: expected a storage, got "
                                 f"{type(storage).__name__}")


def _finish(t, requires_grad, metadata):
    if metadata:
        if not isinstance(metadata, dict):
            raise pickle.UnpicklingError("_rebuild_tensor: metadata must be a dict")
        if metadata.get("neg"):
            t = t.neg()
        if metadata.get("conj"):
            t = t.conj()
    if requires_grad:
        t.requires_grad_(True)
    return t


def _rebuild_tensor(storage, storage_offset, size, stride):
    core, dt = _core_and_dtype(storage)
    return _set_tensor(core, dt, storage_offset, size, stride)


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks,
                       metadata=None):
    t = _rebuild_tensor(storage, storage_offset, size, stride)
    return _finish(t, requires_grad, metadata)


def _rebuild_tensor_v3(storage, storage_offset, size, stride, requires_grad, backward_hooks,
                       dtype, metadata=None):
    core, _ = _core_and_dtype(storage)
    if type(dtype) is not _dtype_type:
        raise pickle.UnpicklingError(f"_rebuild_tensor_v3: expected a dtype, got "
                                     f"{type(dtype).__name__}")
    return _finish(_set_tensor(core, dtype, storage_offset, size, stride), requires_grad,
                   metadata)


def _rebuild_parameter(data, requires_grad, backward_hooks):
    """An nn.Parameter over the same data, with the parameter's requires_grad."""
    if not isinstance(data, Tensor):
        raise pickle.UnpicklingError(f"_rebuild_parameter: expected a tensor, got "
                                     f"{type(data).__name__}")
    from ctorch.nn.parameter import Parameter
    return Parameter(data.detach(), bool(requires_grad))


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    return _rebuild_parameter(data, requires_grad, backward_hooks)


# PyTorch dtypes that ctorch does not have
_FOREIGN_DTYPES = {"bfloat16", "complex32", "chalf", "uint16", "uint32", "uint64", "float8_e4m3fn",
                   "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e8m0fnu", "qint8",
                   "quint8", "qint32", "quint4x2", "quint2x4", "bits8", "bits16", "bits1x8",
                   "bits2x4", "bits4x2"}


def _foreign_dtype(name):
    return RuntimeError(f"torch.load: the checkpoint holds a tensor of dtype torch.{name}, which "
                        f"ctorch does not have")


def _torch_global(module, name):
    """What a PyTorch global of a checkpoint means in ctorch (None: nothing)."""
    if module == "torch._utils":
        return {"_rebuild_tensor": _rebuild_tensor, "_rebuild_tensor_v2": _rebuild_tensor_v2,
                "_rebuild_tensor_v3": _rebuild_tensor_v3,
                "_rebuild_parameter": _rebuild_parameter,
                "_rebuild_parameter_with_state": _rebuild_parameter_with_state}.get(name)
    if module in ("torch", "torch.storage"):
        if name in _DTYPE_OF_STORAGE:
            return _StorageType(name, _DTYPE_OF_STORAGE[name])
        if name == "UntypedStorage":
            return _StorageType(name, None)
        if name in _FOREIGN_STORAGES:
            return _StorageType(name, _FOREIGN_STORAGES[name])
    if module == "torch":
        if name in _DTYPE_NAMES:
            return _DTYPE_NAMES[name]
        if name == "device":
            return _device
        if name == "Size":
            return Size
        if name == "Tensor":
            return Tensor
        if name in _FOREIGN_DTYPES:
            raise _foreign_dtype(name)
    if module == "torch.nn.parameter" and name == "Parameter":
        return _rebuild_parameter_class
    return None


def _rebuild_parameter_class(data=None, requires_grad=True):
    return _rebuild_parameter(data, requires_grad, None)


def _safe_global(module, name):
    if module == "collections" and name in ("OrderedDict", "Counter"):
        return getattr(collections, name)
    if module in ("builtins", "__builtin__") and name in ("set", "complex", "bytearray"):
        return {"set": set, "complex": complex, "bytearray": bytearray}[name]
    if module == "_codecs" and name == "encode":
        return _latin1_encode
    return _torch_global(module, name)


def _latin1_encode(s, encoding="utf-8", errors="strict"):
    # how protocol 2 spells a bytes object: _codecs.encode(str, "latin1")
    if not isinstance(s, str) or encoding not in ("latin1", "latin-1", "utf-8", "utf8", "ascii"):
        raise _weights_only_error(f"_codecs.encode is only accepted for bytes, got encoding "
                                  f"{encoding!r}")
    return s.encode(encoding, errors)


class _Unpickler(pickle.Unpickler):
    """The checkpoint's pickle: globals resolved through an allowlist
    (weights_only) or through ctorch's names for PyTorch's, storages read from
    their records."""

    def __init__(self, file, loader, weights_only, **kwargs):
        super().__init__(file, **kwargs)
        self.loader = loader
        self.weights_only = weights_only

    def find_class(self, module, name):
        if self.weights_only:
            found = _safe_global(module, name)
            if found is None:
                raise _weights_only_error(
                    f"Unsupported global: GLOBAL {module}.{name} was not an allowed global by "
                    f"default.")
            return found
        found = _torch_global(module, name) if module.split(".")[0] == "torch" else None
        if found is None:
            if module.split(".")[0] == "torch":
                raise AttributeError(f"ctorch.load: the checkpoint names {module}.{name}, which "
                                     f"ctorch does not have")
            return super().find_class(module, name)
        return found

    def persistent_load(self, pid):
        if (not isinstance(pid, tuple) or len(pid) != 5 or pid[0] != "storage"
                or type(pid[1]) is not _StorageType or not isinstance(pid[2], str)
                or not isinstance(pid[3], str) or not isinstance(pid[4], int)):
            raise pickle.UnpicklingError(f"torch.load: unsupported persistent id {pid!r}; "
                                         f"expected ('storage', storage type, key, location, "
                                         f"numel)")
        stype, key, location = pid[1], pid[2], pid[3]
        if isinstance(stype.dtype, str):
            raise _foreign_dtype(stype.dtype)
        return self.loader.storage(stype, key, location)


class _Loader:
    """The records of one archive, turned into storages (each key once, so
    that tensors sharing a storage in the file share it after loading)."""

    def __init__(self, zf, fh, prefix, map_location, mm, swap):
        self.zf = zf
        self.fh = fh
        self.prefix = prefix
        self.map_location = map_location
        self.mm = mm
        self.swap = swap
        self.loaded = {}

    def _read_core(self, key, dt):
        from ctorch import empty
        name = f"{self.prefix}data/{key}"
        try:
            info = self.zf.getinfo(name)
        except KeyError:
            raise RuntimeError(f"PytorchStreamReader failed locating file data/{key}: file not "
                               f"found") from None
        n = info.file_size
        if self.mm is not None and info.compress_type == 0 and n > 0:
            from ctorch import frombuffer
            return _storage_of(frombuffer(self.mm, dtype=_uint8, count=n,
                                          offset=_data_offset(self.fh, info)))
        core = _storage_of(empty(n, dtype=_uint8))
        if n == 0:
            return core
        if info.compress_type == 0 and hasattr(self.fh, "readinto"):
            self.fh.seek(_data_offset(self.fh, info))
            got = self.fh.readinto(memoryview(core))
            if got != n:
                raise RuntimeError(f"PytorchStreamReader failed reading file data/{key}: the "
                                   f"file is truncated")
        else:
            memoryview(core)[:] = self.zf.read(name)
        if self.swap and dt.itemsize > 1:
            _byteswap(core, dt)
        return core

    def storage(self, stype, key, location):
        from ctorch._storage import UntypedStorage, TypedStorage
        entry = self.loaded.get(key)
        dt = stype.dtype or _uint8
        if entry is None:
            core = self._read_core(key, dt)
            core = self._place(core, location)
            entry = self.loaded[key] = core
        untyped = object.__new__(UntypedStorage)
        untyped._core = entry
        # a storage saved untyped comes back as bytes (a uint8 TypedStorage), as in PyTorch
        typed = object.__new__(TypedStorage)
        typed.dtype = dt
        typed._untyped_storage = untyped
        return typed

    def _place(self, core, location):
        ml = self.map_location
        if callable(ml) and not isinstance(ml, (str, _device)):
            from ctorch._storage import UntypedStorage, TypedStorage
            untyped = object.__new__(UntypedStorage)
            untyped._core = core
            r = ml(untyped, location)
            if r is None:
                return _restore(core, location)
            if isinstance(r, UntypedStorage):
                return r._core
            if isinstance(r, TypedStorage):
                return r._untyped_storage._core
            raise TypeError(f"map_location should return a storage or None, got "
                            f"{type(r).__name__}")
        if isinstance(ml, dict):
            target = ml.get(location, location)
            return _restore(core, str(target) if isinstance(target, _device) else target)
        if ml is None:
            return _restore(core, location)
        return _restore(core, str(_device(ml)) if isinstance(ml, str) else str(ml))


def _restore(core, location):
    if not isinstance(location, str):
        raise TypeError(f"map_location: expected a location string, got "
                        f"{type(location).__name__}")
    dev = _device(location)
    if dev.type == "cpu":
        return core
    if dev.type != "cuda":
        raise RuntimeError(f"don't know how to restore data location of {location}")
    import ctorch.cuda
    if not ctorch.cuda.is_available():
        raise RuntimeError("Attempting to deserialize object on a CUDA device but "
                           "torch.cuda.is_available() is False. If you are running on a CPU-only "
                           "machine, please use torch.load with map_location=torch.device('cpu') "
                           "to map your storages to the CPU.")
    if dev.index is not None and dev.index >= ctorch.cuda.device_count():
        raise RuntimeError(f"Attempting to deserialize object on CUDA device {dev.index} but "
                           f"torch.cuda.device_count() is {ctorch.cuda.device_count()}. Please "
                           f"use torch.load with map_location to map your storages to an "
                           f"existing device.")
    return _storage_of(_tensor_over(core, _uint8, 0, [core.nbytes_()], [1]).to(dev))


def _byteswap(core, dt):
    """Big-endian records to this machine's order, in place."""
    width = dt.itemsize // 2 if dt.is_complex else dt.itemsize
    n = core.nbytes_()
    b = _tensor_over(core, _uint8, 0, [n // width, width], [width, 1])
    b.copy_(b.flip(1))


def _data_offset(fh, info):
    """Where a stored record's data starts: after its local header, whose name
    and extra field lengths may differ from the central directory's."""
    fh.seek(info.header_offset)
    head = fh.read(30)
    if len(head) != 30 or head[:4] != b"PK\x03\x04":
        raise RuntimeError(f"PytorchStreamReader failed reading zip archive: bad local header "
                           f"of {info.filename}")
    nlen, elen = struct.unpack("<HH", head[26:30])
    return info.header_offset + 30 + nlen + elen


def _open(f):
    if _is_path(f):
        return open(f, "rb"), True
    try:
        f.seek(f.tell())
    except (io.UnsupportedOperation, AttributeError) as e:
        # zip archives are read from the end
        msg = ("You can only torch.load from a file that is seekable. Please pre-load the data "
               "into a buffer like io.BytesIO and try to load from it instead.")
        raise type(e)(f"{e}. {msg}") from None
    return f, False


def _check_not_legacy(fh):
    start = fh.tell()
    head = fh.read(4)
    fh.seek(start)
    if head == b"PK\x03\x04":
        return
    if not head:
        raise EOFError("Ran out of input")
    if head[:1] != b"\x80":
        raise pickle.UnpicklingError(f"invalid load key, {chr(head[0])!r}.")
    if head[:1] == b"\x80":
        try:
            magic = pickle.load(fh)
        except Exception:
            magic = None
        fh.seek(start)
        if magic == _LEGACY_MAGIC:
            raise RuntimeError("torch.load: this file is in PyTorch's legacy format (written with "
                               "_use_new_zipfile_serialization=False or before PyTorch 1.6), which "
                               "ctorch cannot read; load it in PyTorch and save it again with the "
                               "default format")
    raise RuntimeError("Invalid magic number; corrupt file?")


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None,
         **pickle_load_args):
    """Loads an object saved with torch.save (by PyTorch or ctorch) from f (a
    path or a readable binary file object). weights_only (the default) accepts
    only tensors, storages, dtypes, devices, sizes, containers and primitives;
    anything else in the file raises pickle.UnpicklingError without running."""
    import zipfile
    if weights_only is None:
        weights_only = True
    if pickle_module is not None and weights_only:
        raise RuntimeError("Can not safely load weights when explicit pickle_module is specified")
    if pickle_module is not None and pickle_module is not pickle:
        raise ValueError("torch.load: only the standard pickle module can read a checkpoint")
    if "encoding" not in pickle_load_args:
        pickle_load_args["encoding"] = "utf-8"
    if mmap and not _is_path(f):
        raise ValueError("f must be a file path in order to use the mmap argument")
    fh, own = _open(f)
    mm = None
    try:
        _check_not_legacy(fh)
        if mmap:
            import mmap as _mmap
            mm = _mmap.mmap(fh.fileno(), 0, access=_mmap.ACCESS_COPY)
        zf = zipfile.ZipFile(fh)
        names = zf.namelist()
        pkl = [n for n in names if n.endswith("data.pkl") and n.count("/") == 1]
        if not pkl:
            if any(n.endswith("constants.pkl") for n in names):
                raise RuntimeError("torch.load: this file is a TorchScript archive "
                                   "(torch.jit.save), not a checkpoint; ctorch cannot load it")
            raise RuntimeError("PytorchStreamReader failed locating file data.pkl: file not "
                               "found")
        prefix = pkl[0][:-len("data.pkl")]
        swap = False
        if prefix + "byteorder" in names:
            order = zf.read(prefix + "byteorder").decode()
            if order not in ("little", "big"):
                raise ValueError(f"Unknown endianness type: {order}")
            swap = order != sys.byteorder
        loader = _Loader(zf, fh, prefix, map_location, mm, swap)
        data = zf.read(pkl[0])
        unpickler = _Unpickler(io.BytesIO(data), loader, weights_only, **pickle_load_args)
        return unpickler.load()
    finally:
        if own:
            fh.close()
