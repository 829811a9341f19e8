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
when an offset or size needs them. PyTorchFileWriter and PyTorchFileReader
(torch.PyTorchFileWriter/Reader) write and read the archive, record by record;
save and load go through them.

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

__all__ = ["save", "load", "PyTorchFileWriter", "PyTorchFileReader"]

(_bool, _uint8, _int8, _int16, _int32, _int64, _float16, _float32, _float64,
 _complex64, _complex128, _bfloat16) = _dtype_list()

# dtype <-> the legacy storage class PyTorch names in the pickle
_STORAGE_NAMES = {_float32: "FloatStorage", _float64: "DoubleStorage", _float16: "HalfStorage",
                  _int64: "LongStorage", _int32: "IntStorage", _int16: "ShortStorage",
                  _int8: "CharStorage", _uint8: "ByteStorage", _bool: "BoolStorage",
                  _complex64: "ComplexFloatStorage", _complex128: "ComplexDoubleStorage",
                  _bfloat16: "BFloat16Storage"}
_DTYPE_OF_STORAGE = {v: k for k, v in _STORAGE_NAMES.items()}
# PyTorch's storage classes for dtypes ctorch does not have
_FOREIGN_STORAGES = {"QInt8Storage": "qint8",
                     "QUInt8Storage": "quint8", "QInt32Storage": "qint32",
                     "QUInt4x2Storage": "quint4x2", "QUInt2x4Storage": "quint2x4",
                     "ComplexHalfStorage": "complex32"}
_DTYPE_NAMES = {str(d).rpartition(".")[2]: d for d in _STORAGE_NAMES}
_DTYPE_NAMES.update(half=_float16, float=_float32, double=_float64, long=_int64, int=_int32,
                    short=_int16, cfloat=_complex64, cdouble=_complex128)

_ALIGNMENT = 64
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
    if param is not None and isinstance(t, param.UninitializedTensorMixin):
        # as PyTorch writes one: its class, called with requires_grad
        return (_Global("torch.nn.parameter", type(t).__name__), (t.requires_grad,))
    if param is not None and isinstance(t, param.Parameter):
        # as PyTorch writes one: the parameter around its data as a plain tensor
        return (_G_REBUILD_PARAMETER, (t.detach(), t.requires_grad, collections.OrderedDict()))
    args = (_StorageRef(_storage_of(t), t.dtype, False), t.storage_offset(), tuple(t.shape),
            tuple(t.stride()), t.requires_grad, collections.OrderedDict())
    return (_G_REBUILD, args)


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
    w = PyTorchFileWriter(f)
    pickled = data.getbuffer()
    w.write_record("data.pkl", pickled, pickled.nbytes)
    w.write_record(".format_version", "1", 1)
    w.write_record(".storage_alignment", str(_ALIGNMENT), len(str(_ALIGNMENT)))
    if not _disable_byteorder_record:
        w.write_record("byteorder", sys.byteorder, len(sys.byteorder))
    for key, core, _dt, _loc in pickler.storages.values():
        w.write_record(f"data/{key}", _host_bytes(core), core.nbytes_())
    w.write_end_of_file()


# ------------------------------------------------------------ the archive

# the C++ names PyTorch gives dtypes in its messages
_SCALAR_NAMES = {_float32: "Float", _float64: "Double", _float16: "Half", _int64: "Long",
                 _int32: "Int", _int16: "Short", _int8: "Char", _uint8: "Byte", _bool: "Bool",
                 _complex64: "ComplexFloat", _complex128: "ComplexDouble"}
_MIN_READ_VERSION = 1
_MAX_READ_VERSION = 10
_DATA_VERSION_FROM = 6      # from this version on the version record is `.data/version`
_SERIALIZATION_ID = ".data/serialization_id"
_CORRUPT_HINT = (" If you are seeing this error, there is a high likelihood that your checkpoint "
                 "file is corrupted. This can happen if the checkpoint was not saved properly, was "
                 "transferred incorrectly, or the file was modified after saving.")


def _padding(header_offset, name_size, size, alignment):
    """The length of the "FB" extra field that makes a record's data start at
    a multiple of `alignment`: 4 bytes of field header and the "Z" padding."""
    start = header_offset + 30 + name_size + 4
    return 4 + (-start % alignment)


def _zip64_extra(*values):
    return struct.pack("<HH", 1, 8 * len(values)) + struct.pack(f"<{len(values)}Q", *values)


def _record_bytes(data, size, where):
    """The first `size` bytes of a record's data as a flat byte view: a str
    (UTF-8), a bytes-like object, a storage (from its device) or an address
    in this process's memory (an int, as a storage's data_ptr())."""
    if isinstance(size, bool) or not isinstance(size, int):
        raise TypeError(f"{where}(): size must be an int, got {type(size).__name__}")
    if size < 0:
        raise RuntimeError(f"{where}(): size must be non-negative, got {size}")
    if isinstance(data, int) and not isinstance(data, bool):
        import ctypes
        if size and not data:
            raise RuntimeError(f"{where}(): a null data pointer with size {size}")
        return memoryview((ctypes.c_char * size).from_address(data)).cast("B") if size else b""
    if isinstance(data, str):
        data = data.encode("utf-8")
    else:
        from ctorch._storage import UntypedStorage, TypedStorage
        if isinstance(data, TypedStorage):
            data = data._untyped_storage
        if isinstance(data, UntypedStorage):
            data = _host_bytes(data._core)
    try:
        view = memoryview(data).cast("B")
    except TypeError:
        raise TypeError(f"{where}(): expected the data as str, bytes, a storage or a data "
                        f"pointer, got {type(data).__name__}") from None
    if size > view.nbytes:
        raise RuntimeError(f"{where}(): size {size} is larger than the data ({view.nbytes} "
                           f"bytes)")
    return view[:size]


class PyTorchFileWriter:
    """Writes PyTorch's checkpoint archive: an uncompressed zip whose records
    all sit in one folder (the file's stem, or `archive` for a buffer), each
    record's data starting at a multiple of `storage_alignment` bytes (the
    local header's extra field, "FB", its length, "Z" padding, pads it there).
    Local headers carry no sizes (flag 0x808: a data descriptor follows the
    data, names are UTF-8); the central directory carries them; zip64 records
    are written when an offset or a size needs them. write_end_of_file adds
    the `version` (`.data/version` from version 6 on), `byteorder` and
    `.data/serialization_id` records not written before, and the directory.

    PyTorchFileWriter(file_name or buffer, compute_crc32=True, storage_alignment=64)"""

    def __init__(self, file_name, compute_crc32=True, storage_alignment=64):
        if isinstance(storage_alignment, bool) or not isinstance(storage_alignment, int) \
                or storage_alignment <= 0:
            raise RuntimeError(f"PyTorchFileWriter: storage_alignment must be a positive int, "
                               f"got {storage_alignment!r}")
        if isinstance(file_name, (str, bytes, os.PathLike)):
            path = os.fsdecode(os.fspath(file_name))
            parent = os.path.dirname(path)
            if parent and not os.path.isdir(parent):
                raise RuntimeError(f"Parent directory {parent} does not exist.")
            self._fh = open(path, "wb")
            self._own = True
            self._archive = os.path.splitext(os.path.basename(path))[0] or "archive"
        elif hasattr(file_name, "write"):
            self._fh = file_name
            self._own = False
            self._archive = "archive"
        else:
            raise TypeError(f"PyTorchFileWriter(): expected a file name or a buffer with a "
                            f"'write' attribute, got {type(file_name).__name__}")
        self._crc = bool(compute_crc32)
        self._alignment = storage_alignment
        self._pos = 0
        self._entries = []          # (encoded full name, crc, size, header offset)
        self._written = []          # record names, in order
        self._version = 3
        self._sid = ""
        self._finalized = False

    def _write(self, b):
        self._fh.write(b)
        self._pos += len(b)

    def _check_open(self, where):
        if self._finalized:
            raise RuntimeError(f"PyTorchFileWriter.{where}(): the archive is finalized "
                               f"(write_end_of_file was called)")

    def _record(self, name, chunks, n):
        if not isinstance(name, str):
            raise TypeError(f"write_record(): the record name must be a str, got "
                            f"{type(name).__name__}")
        if name in self._written:
            raise RuntimeError(f"Tried to serialize file twice: {name}")
        nb = f"{self._archive}/{name}".encode("utf-8")
        offset = self._pos
        pad = _padding(offset, len(nb), n, self._alignment) - 4
        extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
        # an empty record has nothing to describe: no data descriptor (flag
        # 0x800, names in UTF-8, only), as PyTorch's writer leaves it
        flags = 0x0808 if n else 0x0800
        self._write(struct.pack("<IHHHHHIIIHH", 0x04034b50, 0, flags, 0, 0, 0, 0, 0, 0, len(nb),
                                len(extra)) + nb + extra)
        crc = 0
        for chunk in chunks:
            if self._crc:
                crc = zlib.crc32(chunk, crc)
            self._write(chunk)
        if n:
            big = n >= _ZIP64_LIMIT or offset >= _ZIP64_LIMIT
            self._write(struct.pack("<IIQQ" if big else "<IIII", 0x08074b50, crc, n, n))
        self._entries.append((nb, crc, n, offset))
        self._written.append(name)

    def write_record(self, name, data, size):
        """Writes the record `name` holding the first `size` bytes of data (a
        str, bytes, a storage, or a data pointer)."""
        self._check_open("write_record")
        if name == _SERIALIZATION_ID:
            return          # the writer writes its own when the archive ends
        view = _record_bytes(data, size, "write_record")
        self._record(name, (view,), size)

    def write_record_metadata(self, name, size):
        """Writes the record `name` with `size` zero bytes: its place and size
        in the archive, without the data."""
        self._check_open("write_record_metadata")
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise RuntimeError(f"write_record_metadata(): size must be a non-negative int, "
                               f"got {size!r}")
        block = bytes(min(size, 1 << 20))
        chunks = (memoryview(block)[:min(len(block), size - i)]
                  for i in range(0, size, max(len(block), 1)))
        self._record(name, chunks, size)

    def set_min_version(self, version):
        """Raises the version the archive records to at least `version`."""
        if isinstance(version, bool) or not isinstance(version, int) or version < 0:
            raise TypeError(f"set_min_version(): expected a non-negative int, got {version!r}")
        self._version = max(self._version, version)

    def archive_name(self):
        return self._archive

    def serialization_id(self):
        """The archive's id: empty until write_end_of_file writes it."""
        return self._sid

    def get_all_written_records(self):
        return set(self._written)

    def write_end_of_file(self):
        """Writes the closing records and the central directory; the archive
        takes no more records after this."""
        self._check_open("write_end_of_file")
        if "version" not in self._written and ".data/version" not in self._written:
            name = ".data/version" if self._version >= _DATA_VERSION_FROM else "version"
            v = f"{self._version}\n".encode()
            self._record(name, (v,), len(v))
        if "byteorder" not in self._written:
            b = sys.byteorder.encode()
            self._record("byteorder", (b,), len(b))
        sid = str(int.from_bytes(os.urandom(16), "little")).zfill(40)[:40]
        self._record(_SERIALIZATION_ID, (sid.encode(),), len(sid))
        self._sid = sid
        self._finalized = True
        self._write_directory()
        if self._own:
            self._fh.close()
        elif hasattr(self._fh, "flush"):
            self._fh.flush()

    def _write_directory(self):
        cd_start = self._pos
        limit = _ZIP64_LIMIT
        for nb, crc, n, offset in self._entries:
            big = n >= limit or offset >= limit
            if big:
                extra = _zip64_extra(n, n, offset)
                n32 = off32 = 0xFFFFFFFF
            else:
                extra, n32, off32 = b"", n, offset
            self._write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 0x2d if big else 0,
                                    0x2d if big else 0, 0x0808 if n else 0x0800, 0, 0, 0, crc,
                                    n32, n32, len(nb),
                                    len(extra), 0, 0, 0, 0, off32) + nb + extra)
        cd_end = self._pos
        count = len(self._entries)
        cd_size = cd_end - cd_start
        # a zip64 end record and its locator always come first, as PyTorch's
        # writer puts them, then the classic end record
        self._write(struct.pack("<IQHHIIQQQQ", 0x06064b50, 44, 0x031e, 0x2d, 0, 0, count, count,
                                cd_size, cd_start))
        self._write(struct.pack("<IIQI", 0x07064b50, 0, cd_end, 1))
        self._write(struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, min(count, 0xFFFF),
                                min(count, 0xFFFF), min(cd_size, 0xFFFFFFFF),
                                min(cd_start, 0xFFFFFFFF), 0))

    def __del__(self):
        # as PyTorch's writer: an archive left open is finished when the
        # writer goes away
        try:
            if not self._finalized:
                self.write_end_of_file()
        except Exception:
            pass


class _Entry:
    """A record as the central directory describes it."""
    __slots__ = ("name", "method", "compressed_size", "file_size", "header_offset")

    def __init__(self, name, method, compressed_size, file_size, header_offset):
        self.name = name
        self.method = method
        self.compressed_size = compressed_size
        self.file_size = file_size
        self.header_offset = header_offset


def _not_zip(why):
    return RuntimeError(f"PytorchStreamReader failed reading zip archive: {why}." + _CORRUPT_HINT)


def _central_directory(fh):
    """The archive's records (directories left out), in the order of its
    central directory, found from the end-of-directory record (and its zip64
    form where the classic one's fields are saturated)."""
    fh.seek(0, 2)
    size = fh.tell()
    tail_len = min(size, 22 + 0xFFFF)           # the end record and its longest comment
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or pos + 22 > len(tail):
        raise _not_zip("not a ZIP archive")
    count, cd_size, cd_offset = struct.unpack_from("<HII", tail, pos + 10)
    end = size - tail_len + pos
    if count == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:
        fh.seek(end - 20)
        locator = fh.read(20)
        if len(locator) != 20 or locator[:4] != b"PK\x06\x07":
            raise _not_zip("failed finding the zip64 end of central directory locator")
        fh.seek(struct.unpack_from("<Q", locator, 8)[0])
        record = fh.read(56)
        if len(record) != 56 or record[:4] != b"PK\x06\x06":
            raise _not_zip("bad zip64 end of central directory record")
        count, cd_size, cd_offset = struct.unpack_from("<QQQ", record, 32)
    fh.seek(cd_offset)
    cd = fh.read(cd_size)
    if len(cd) != cd_size:
        raise _not_zip("the central directory is truncated")
    entries = []
    p = 0
    for _ in range(count):
        if cd[p:p + 4] != b"PK\x01\x02" or p + 46 > cd_size:
            raise _not_zip("bad central directory entry")
        (flags, method, csize, usize, nlen, elen, clen,
         offset) = struct.unpack_from("<HH8xII3H8xI", cd, p + 8)
        raw = cd[p + 46:p + 46 + nlen]
        if 0xFFFFFFFF in (csize, usize, offset):
            usize, csize, offset = _zip64_sizes(cd[p + 46 + nlen:p + 46 + nlen + elen], usize,
                                                csize, offset)
        p += 46 + nlen + elen + clen
        name = raw.decode("utf-8" if flags & 0x800 else "cp437")
        if not name.endswith("/"):
            entries.append(_Entry(name, method, csize, usize, offset))
    return entries


def _zip64_sizes(extra, usize, csize, offset):
    """The saturated fields of a central directory entry from its zip64
    extra field (id 1), which holds them in this order."""
    q = 0
    while q + 4 <= len(extra):
        tag, n = struct.unpack_from("<HH", extra, q)
        if tag == 1:
            values = list(struct.unpack_from(f"<{n // 8}Q", extra, q + 4))
            out = []
            for v in (usize, csize, offset):
                out.append(values.pop(0) if v == 0xFFFFFFFF and values else v)
            return out
        q += 4 + n
    raise _not_zip("a zip64 entry without its zip64 extra field")


class PyTorchFileReader:
    """Reads PyTorch's checkpoint archive (written by PyTorch or by
    PyTorchFileWriter): the records of its one folder, by name without the
    folder. The archive must record a version PyTorch reads (1 to 10).

    PyTorchFileReader(file_name or buffer)"""

    def __init__(self, file_name):
        self._open(file_name)
        self._check_version()

    def _open(self, f):
        self._own = False
        if isinstance(f, (str, bytes, os.PathLike)):
            path = os.fsdecode(os.fspath(f))
            try:
                f = open(path, "rb")
            except OSError as e:
                raise RuntimeError(f"open file failed because of errno {e.errno} on fopen: "
                                   f"{e.strerror}, file path: {path}") from None
            self._own = True
        elif not (hasattr(f, "read") and hasattr(f, "seek")):
            raise TypeError(f"PyTorchFileReader(): expected a file name or a buffer with 'read' "
                            f"and 'seek' attributes, got {type(f).__name__}")
        self._fh = f
        try:
            entries = _central_directory(f)
            if not entries:
                raise RuntimeError("archive does not contain any files")
            first = entries[0].name
            if "/" not in first:
                raise RuntimeError(f"file in archive is not in a subdirectory: {first}")
            prefix = first[:first.index("/") + 1]
            self._infos = {}
            for e in entries:
                if not e.name.startswith(prefix):
                    raise RuntimeError(f"file in archive is not in a subdirectory {prefix}: "
                                       f"{e.name}")
                self._infos[e.name[len(prefix):]] = e
        except BaseException:
            self.close()
            raise
        self._prefix = prefix
        self._offsets = {}

    def _check_version(self):
        name = ".data/version" if ".data/version" in self._infos else "version"
        if name not in self._infos:
            raise RuntimeError('Expected hasRecord("version") to be true, but got false.')
        text = self.get_record(name).decode("utf-8", "replace")
        try:
            version = int(text.strip())
        except ValueError:
            raise RuntimeError(f"Couldn't parse the version {text} as Long Long.") from None
        if version < _MIN_READ_VERSION:
            raise RuntimeError(f"Attempted to read a PyTorch file with version {version}, but "
                               f"the minimum supported version for reading is "
                               f"{_MIN_READ_VERSION}. Your PyTorch script module file is too "
                               f"old. Please regenerate it with latest version of PyTorch to "
                               f"mitigate this issue.")
        if version > _MAX_READ_VERSION:
            raise RuntimeError(f"Attempted to read a PyTorch file with version {version}, but "
                               f"the maximum supported version for reading is "
                               f"{_MAX_READ_VERSION}. The version of your PyTorch installation "
                               f"may be too old, please upgrade PyTorch to latest version to "
                               f"mitigate this issue.")
        self._version = version

    def _info(self, name):
        info = self._infos.get(name) if isinstance(name, str) else None
        if info is None:
            raise RuntimeError(f"PytorchStreamReader failed locating file {name}: file not "
                               f"found." + _CORRUPT_HINT)
        return info

    def has_record(self, name):
        return name in self._infos

    def get_all_records(self):
        return list(self._infos)

    def get_record(self, name):
        """The record's data, as bytes. As PyTorch's reader, stored records are
        read without checking their CRC (a writer may leave it out)."""
        info = self._info(name)
        self._fh.seek(self.get_record_offset(name))
        data = self._fh.read(info.compressed_size)
        if len(data) != info.compressed_size:
            raise RuntimeError(f"PytorchStreamReader failed reading file {name}: the file is "
                               f"truncated")
        if info.method == 0:
            return data
        if info.method == 8:
            data = zlib.decompress(data, -15)
            if len(data) != info.file_size:
                raise RuntimeError(f"PytorchStreamReader failed reading file {name}: it "
                                   f"inflates to {len(data)} bytes, not {info.file_size}")
            return data
        raise RuntimeError(f"PytorchStreamReader failed reading file {name}: unsupported "
                           f"compression method {info.method}")

    def get_record_size(self, name):
        return self._info(name).file_size

    def get_record_header_offset(self, name):
        return self._info(name).header_offset

    def get_record_offset(self, name):
        """Where the record's data starts in the archive: after its local
        header, whose name and extra field may differ from the directory's."""
        info = self._info(name)
        offset = self._offsets.get(name)
        if offset is None:
            self._fh.seek(info.header_offset)
            head = self._fh.read(30)
            if len(head) != 30 or head[:4] != b"PK\x03\x04":
                raise RuntimeError(f"PytorchStreamReader failed reading zip archive: bad local "
                                   f"header of {info.name}")
            nlen, elen = struct.unpack("<HH", head[26:30])
            offset = self._offsets[name] = info.header_offset + 30 + nlen + elen
        return offset

    def get_record_offset_no_read(self, zipfile_header_offset, filename, size,
                                  storage_alignment):
        """Where PyTorch's writer puts the data of a record `filename` of
        `size` bytes whose local header starts at zipfile_header_offset."""
        nb = f"{self._prefix}{filename}".encode("utf-8")
        return (zipfile_header_offset + 30 + len(nb) +
                _padding(zipfile_header_offset, len(nb), size, storage_alignment))

    def serialization_id(self):
        if _SERIALIZATION_ID not in self._infos:
            return ""
        return self.get_record(_SERIALIZATION_ID).decode("utf-8")

    def get_storage_from_record(self, name, numel, dtype):
        """The record's data as a tensor of `dtype` with no elements over a
        storage of `numel` elements (the record's bytes); any dtype that is not
        a torch.dtype (a storage class) reads bytes."""
        dt = dtype if type(dtype) is _dtype_type else _uint8
        info = self._info(name)
        expected = numel * dt.itemsize
        if info.file_size != expected:
            raise RuntimeError(f"record size ({info.file_size} bytes) does not match expected "
                               f"size ({expected} bytes = {numel} elements * {dt.itemsize} "
                               f"bytes/element) for dtype {_SCALAR_NAMES[dt]}")
        from ctorch._storage import UntypedStorage, _t_set_
        from ctorch import empty
        store = object.__new__(UntypedStorage)
        store._core = self._read_core(name)
        return _t_set_(empty(0, dtype=dt), store, 0, (0,), (1,))

    def _read_core(self, name, mm=None):
        """A new storage holding the record's bytes (or, with mm, a view of
        them in the mapped file)."""
        from ctorch import empty
        info = self._info(name)
        n = info.file_size
        if mm is not None and info.method == 0 and n > 0:
            from ctorch import frombuffer
            return _storage_of(frombuffer(mm, dtype=_uint8, count=n,
                                          offset=self.get_record_offset(name)))
        core = _storage_of(empty(n, dtype=_uint8))
        if n == 0:
            return core
        if info.method == 0 and hasattr(self._fh, "readinto"):
            self._fh.seek(self.get_record_offset(name))
            got = self._fh.readinto(memoryview(core))
            if got != n:
                raise RuntimeError(f"PytorchStreamReader failed reading file {name}: the file "
                                   f"is truncated")
        else:
            memoryview(core)[:] = self.get_record(name)
        return core

    def close(self):
        if self._own:
            self._fh.close()
            self._own = False

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


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
_FOREIGN_DTYPES = {"complex32", "chalf", "uint16", "uint32", "uint64", "float8_e4m3fn",
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
        if module == "torch.nn.parameter" and name in ("UninitializedParameter",
                                                       "UninitializedBuffer"):
            from ctorch.nn import parameter
            found = getattr(parameter, name)
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

    def __init__(self, reader, map_location, mm, swap):
        self.reader = reader
        self.map_location = map_location
        self.mm = mm
        self.swap = swap
        self.loaded = {}

    def _read_core(self, key, dt):
        core = self.reader._read_core(f"data/{key}", self.mm)
        if self.swap and dt.itemsize > 1 and core.nbytes_():
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
        reader = object.__new__(PyTorchFileReader)
        reader._open(fh)
        if not reader.has_record("data.pkl"):
            if reader.has_record("constants.pkl"):
                raise RuntimeError("torch.load: this file is a TorchScript archive "
                                   "(torch.jit.save), not a checkpoint; ctorch cannot load it")
            raise RuntimeError("PytorchStreamReader failed locating file data.pkl: file not "
                               "found")
        reader._check_version()
        swap = False
        if reader.has_record("byteorder"):
            order = reader.get_record("byteorder").decode()
            if order not in ("little", "big"):
                raise ValueError(f"Unknown endianness type: {order}")
            swap = order != sys.byteorder
        loader = _Loader(reader, map_location, mm, swap)
        data = reader.get_record("data.pkl")
        unpickler = _Unpickler(io.BytesIO(data), loader, weights_only, **pickle_load_args)
        return unpickler.load()
    finally:
        if own:
            fh.close()
