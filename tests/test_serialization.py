"""torch.save / torch.load: ctorch's checkpoints in PyTorch's format.

Round trips in ctorch; checkpoints written by PyTorch (tests/fixtures, made
by tests/fixtures/make_torch_fixtures.py; their values are in
torch_expected.json); the zip layout of ctorch's files checked record by
record against the format's rules; and the restricted unpickler refusing
files that would run code."""
import collections
import io
import json
import os
import pathlib
import pickle
import pickletools
import struct
import zipfile
import zlib

import numpy as np
import pytest

import ctorch as torch

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
DTYPES = ["float32", "float64", "float16", "complex64", "complex128", "int8", "int16", "int32",
          "int64", "uint8", "bool"]


def _sample(name):
    rng = np.random.default_rng(sum(map(ord, name)))
    a = rng.standard_normal((3, 4)) * 50
    if name.startswith("complex"):
        a = a + 1j * rng.standard_normal((3, 4))
    if name == "bool":
        a = a > 0
    return a.astype(np.bool_ if name == "bool" else name)


def _np(t):
    return t.detach().cpu().numpy()


def _roundtrip(obj, **load_kw):
    buf = io.BytesIO()
    torch.save(obj, buf)
    buf.seek(0)
    return torch.load(buf, **load_kw)


def _same_storage(a, b):
    return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()


# ---------------------------------------------------------------- round trips

@pytest.mark.parametrize("name", DTYPES)
def test_roundtrip_every_dtype(name):
    a = _sample(name)
    t = torch.from_numpy(a.copy())
    r = _roundtrip({"t": t, "col": t[:, 1]})
    assert r["t"].dtype is getattr(torch, name)
    np.testing.assert_array_equal(_np(r["t"]), a)
    np.testing.assert_array_equal(_np(r["col"]), a[:, 1])
    assert _same_storage(r["t"], r["col"])


@pytest.mark.parametrize("kind", ["str", "pathlike", "file"])
def test_roundtrip_paths_and_files(tmp_path, kind):
    t = torch.arange(10, dtype=torch.int64)
    p = tmp_path / "ckpt.pt"
    if kind == "file":
        with open(p, "wb") as fh:
            torch.save([t], fh)
        with open(p, "rb") as fh:
            r = torch.load(fh)
    else:
        target = str(p) if kind == "str" else pathlib.Path(p)
        torch.save([t], target)
        r = torch.load(target)
    np.testing.assert_array_equal(_np(r[0]), np.arange(10))
    # a path's archive is named after the file's stem, a file object's "archive"
    name = "archive" if kind == "file" else "ckpt"
    assert zipfile.ZipFile(p).namelist()[0] == f"{name}/data.pkl"


def test_views_stay_shared():
    base = torch.arange(30, dtype=torch.float64).reshape(5, 6)
    view = base[1:4, 2:].t()
    flat = base.view(-1)
    r = _roundtrip([view, base, flat, view])
    v, b, f, v2 = r
    assert v is v2                                   # one object saved twice: one object
    assert _same_storage(v, b) and _same_storage(f, b)
    assert (v.storage_offset(), v.stride(), tuple(v.shape)) == (8, (1, 6), (4, 3))
    np.testing.assert_array_equal(_np(v), np.arange(30.0).reshape(5, 6)[1:4, 2:].T)
    b[1, 2] = -1.0                                   # one memory after loading too
    assert v[0, 0].item() == -1.0 and f[8].item() == -1.0


def test_storage_saved_whole():
    # a slice saves its whole storage, as PyTorch does
    base = torch.arange(100, dtype=torch.float32)
    buf = io.BytesIO()
    torch.save(base[10:12], buf)
    z = zipfile.ZipFile(buf)
    data = [n for n in z.namelist() if "/data/" in n]
    assert data == ["archive/data/0"] and len(z.read(data[0])) == 400
    r = torch.load(io.BytesIO(buf.getvalue()))
    assert r.storage_offset() == 10 and r.tolist() == [10.0, 11.0]


def test_requires_grad_kept():
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0])
    r = _roundtrip({"a": a, "b": b, "c": a * 2})
    assert r["a"].requires_grad and r["a"].is_leaf
    assert not r["b"].requires_grad
    assert r["c"].requires_grad and r["c"].is_leaf    # history is not saved
    r["a"].sum().backward()
    assert r["a"].grad.tolist() == [1.0, 1.0]


def test_containers_and_primitives():
    t = torch.ones(2)
    obj = collections.OrderedDict([
        ("b", {"list": [t, 1, 2.5, "s", None, True], "tuple": (t, (False, -3))}),
        ("a", [b"raw", bytearray(b"ba"), {1, 2}, 1 + 2j, float("inf")]),
        ("meta", [torch.float16, torch.device("cpu"), torch.Size([2, 3])]),
    ])
    r = _roundtrip(obj)
    assert type(r) is collections.OrderedDict and list(r) == ["b", "a", "meta"]
    assert r["b"]["list"][1:] == [1, 2.5, "s", None, True]
    assert r["b"]["list"][0] is r["b"]["tuple"][0]
    assert r["b"]["tuple"][1] == (False, -3) and type(r["b"]["tuple"]) is tuple
    assert r["a"] == [b"raw", bytearray(b"ba"), {1, 2}, 1 + 2j, float("inf")]
    assert r["meta"][0] is torch.float16 and r["meta"][1] == torch.device("cpu")
    assert r["meta"][2] == (2, 3) and type(r["meta"][2]) is torch.Size
    assert _roundtrip(7) == 7 and _roundtrip(None) is None and _roundtrip("x") == "x"


def test_empty_and_scalar_tensors():
    r = _roundtrip([torch.zeros(0, 3), torch.tensor(2.5), torch.zeros(2, 0, dtype=torch.int32)])
    assert tuple(r[0].shape) == (0, 3) and r[1].item() == 2.5 and r[1].dim() == 0
    assert tuple(r[2].shape) == (2, 0) and r[2].dtype is torch.int32


def test_mmap_load(tmp_path):
    p = tmp_path / "m.pt"
    torch.save({"x": torch.arange(6.0).reshape(2, 3), "e": torch.zeros(0)}, p)
    r = torch.load(p, mmap=True)
    np.testing.assert_array_equal(_np(r["x"]), np.arange(6.0).reshape(2, 3))
    r["x"][0, 0] = 9.0                              # a private mapping: the file is unchanged
    assert torch.load(p)["x"][0, 0].item() == 0.0
    with pytest.raises(ValueError, match="must be a file path"):
        torch.load(io.BytesIO(p.read_bytes()), mmap=True)


def test_big_endian_records_are_swapped():
    values = np.array([1, -2, 70000], dtype=np.int32)
    cvals = np.array([1 + 2j, -0.5j], dtype=np.complex64)
    buf = io.BytesIO()
    torch.save([torch.from_numpy(values), torch.from_numpy(cvals)], buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for n in src.namelist():
            data = src.read(n)
            if n.endswith("byteorder"):
                data = b"big"
            elif n.endswith("data/0"):
                data = values.astype(">i4").tobytes()
            elif n.endswith("data/1"):
                data = cvals.astype(">c8").tobytes()
            dst.writestr(n, data)
    out.seek(0)
    r = torch.load(out)
    np.testing.assert_array_equal(_np(r[0]), values)
    np.testing.assert_array_equal(_np(r[1]), cvals)


def test_zip64_records_read_back(monkeypatch):
    from ctorch import serialization
    monkeypatch.setattr(serialization, "_ZIP64_LIMIT", 0)    # every record as if past 4 GiB
    buf = io.BytesIO()
    torch.save({"x": torch.arange(5, dtype=torch.int16)}, buf)
    assert zipfile.ZipFile(buf).testzip() is None
    buf.seek(0)
    assert torch.load(buf)["x"].tolist() == [0, 1, 2, 3, 4]


# ------------------------------------------------------ map_location, devices

@pytest.mark.parametrize("map_location", [
    None, "cpu", torch.device("cpu"), {"cpu": "cpu"}, lambda storage, loc: storage,
    lambda storage, loc: None])
def test_map_location_forms_on_cpu(map_location):
    r = _roundtrip([torch.arange(3)], map_location=map_location)
    assert r[0].device == torch.device("cpu") and r[0].tolist() == [0, 1, 2]


def test_map_location_callable_sees_storage_and_location():
    seen = []

    def where(storage, location):
        seen.append((type(storage).__name__, location, storage.size()))
        return storage
    _roundtrip([torch.ones(4, dtype=torch.float64)], map_location=where)
    assert seen == [("UntypedStorage", "cpu", 32)]
    with pytest.raises(TypeError, match="map_location should return a storage or None"):
        _roundtrip([torch.ones(1)], map_location=lambda s, loc: 3)


@pytest.fixture
def emulated_cuda():
    torch.cuda._emulate(True)
    yield
    torch.cuda._emulate(False)


class _Named:
    """A global of a pickle, by name: calling it records the call."""

    def __init__(self, name):
        self.name = name

    def __call__(self, *args):
        return (self.name, args)


def _persistent_ids(pkl):
    """The storage ids of a data.pkl, in order: ('storage', module.name, key,
    location, numel); nothing in the pickle runs."""
    ids = []

    class Reader(pickle.Unpickler):
        def find_class(self, module, name):
            if (module, name) == ("collections", "OrderedDict"):
                return collections.OrderedDict
            return _Named(f"{module}.{name}")

        def persistent_load(self, pid):
            ids.append((pid[0], pid[1].name) + tuple(pid[2:]))
            return None
    Reader(io.BytesIO(pkl)).load()
    return ids


def test_cuda_tensors_record_their_location(emulated_cuda):
    x = torch.arange(6.0, device="cuda").reshape(2, 3)
    buf = io.BytesIO()
    torch.save({"x": x, "row": x[1]}, buf)
    pkl = zipfile.ZipFile(buf).read("archive/data.pkl")
    assert _persistent_ids(pkl)[0] == ("storage", "torch.FloatStorage", "0", "cuda:0", 6)
    r = torch.load(io.BytesIO(buf.getvalue()), map_location="cpu")
    assert r["x"].device == torch.device("cpu") and r["row"].tolist() == [3.0, 4.0, 5.0]
    assert _same_storage(r["x"], r["row"])
    r = torch.load(io.BytesIO(buf.getvalue()), map_location={"cuda:0": "cpu"})
    assert r["x"].device == torch.device("cpu")
    r = torch.load(io.BytesIO(buf.getvalue()))                   # back where it was
    assert r["x"].is_cuda and r["row"].storage_offset() == 3
    assert r["x"].cpu().tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    r = torch.load(io.BytesIO(_cpu_checkpoint()), map_location="cuda:0")
    assert r[0].is_cuda and r[0].cpu().tolist() == [1, 2]


def _cpu_checkpoint():
    buf = io.BytesIO()
    torch.save([torch.tensor([1, 2])], buf)
    return buf.getvalue()


def test_cuda_location_without_cuda_is_refused(emulated_cuda):
    buf = io.BytesIO()
    torch.save([torch.ones(2, device="cuda")], buf)
    torch.cuda._emulate(False)
    with pytest.raises(RuntimeError, match="Attempting to deserialize object on a CUDA device but "
                                           "torch.cuda.is_available\\(\\) is False"):
        torch.load(io.BytesIO(buf.getvalue()))
    assert torch.load(io.BytesIO(buf.getvalue()), map_location="cpu")[0].tolist() == [1.0, 1.0]


# ------------------------------------------------------ PyTorch's own files

with open(os.path.join(FIXTURES, "torch_expected.json")) as _fh:
    EXPECTED = json.load(_fh)


def _check(t, want):
    assert str(t.dtype) == want["dtype"]
    assert list(t.shape) == want["shape"] and list(t.stride()) == want["stride"]
    assert t.storage_offset() == want["offset"] and t.requires_grad == want["requires_grad"]
    if t.is_complex():
        got = [[z.real, z.imag] for z in t.detach().flatten().tolist()]
    else:
        got = t.detach().tolist()
    assert got == want["values"]


def _fixture(name, **kw):
    return torch.load(os.path.join(FIXTURES, name), **kw)


def test_torch_file_every_dtype():
    r = _fixture("torch_dtypes.pt")
    assert set(r) == set(EXPECTED["dtypes"])
    for k, t in r.items():
        _check(t, EXPECTED["dtypes"][k])


def test_torch_file_shared_views():
    view, base, again = _fixture("torch_views.pt")
    _check(view, EXPECTED["views"][0])
    _check(base, EXPECTED["views"][1])
    assert again is view and _same_storage(view, base)
    base.view(-1)[view.storage_offset()] = 100.0
    assert view[0, 0].item() == 100.0


def test_torch_file_state_dict():
    r = _fixture("torch_state_dict.pt", weights_only=True)
    assert type(r) is collections.OrderedDict
    assert list(r) == EXPECTED["state_dict_order"]
    for k, t in r.items():
        _check(t, EXPECTED["state_dict"][k])


def test_torch_file_nested():
    r = _fixture("torch_nested.pt")
    assert (r["epoch"], r["lr"], r["name"], r["done"], r["none"]) == (3, 0.125, "run-1", False,
                                                                       None)
    _check(r["items"][0], EXPECTED["nested"]["items0"])
    assert type(r["items"][1]) is tuple and r["items"][1][1] == "x"
    _check(r["items"][1][0], EXPECTED["nested"]["items1"])
    _check(r["inner"]["deep"][0], EXPECTED["nested"]["deep"])
    assert r["inner"]["deep"][1] == 4.5


def test_torch_file_parameters():
    # PyTorch's nn.Parameters load as ctorch's
    r = _fixture("torch_parameters.pt")
    for t, want in zip(r, EXPECTED["parameters"]):
        assert t.is_leaf and type(t) is torch.nn.Parameter
        _check(t, want)


def test_parameters_round_trip_as_parameters():
    p = torch.nn.Parameter(torch.arange(6.0).view(2, 3))
    q = torch.nn.Parameter(torch.ones(2), requires_grad=False)
    buf = io.BytesIO()
    torch.save({"p": p, "q": q, "again": p}, buf)
    r = torch.load(io.BytesIO(buf.getvalue()))
    assert type(r["p"]) is torch.nn.Parameter and r["p"].requires_grad
    assert r["p"].tolist() == p.tolist() and r["again"] is r["p"]
    assert type(r["q"]) is torch.nn.Parameter and not r["q"].requires_grad


def test_unseekable_stream_is_refused():
    with open(os.path.join(FIXTURES, "torch_state_dict.pt"), "rb") as fh:
        data = fh.read()

    class Stream:                       # read() only: a zip archive is read from its end
        def read(self, n=-1):
            return data
    with pytest.raises(AttributeError, match="'Stream' object has no attribute 'seek'. You can "
                                             "only torch.load from a file that is seekable"):
        torch.load(Stream())


def test_legacy_format_is_refused_clearly():
    with pytest.raises(RuntimeError, match="legacy format"):
        _fixture("torch_legacy.pt")
    with pytest.raises(RuntimeError, match="legacy"):
        torch.save([1], io.BytesIO(), _use_new_zipfile_serialization=False)


def test_not_a_checkpoint():
    with pytest.raises(EOFError):
        torch.load(io.BytesIO(b""))
    with pytest.raises(pickle.UnpicklingError, match="invalid load key"):
        torch.load(io.BytesIO(b"garbage"))
    with pytest.raises(RuntimeError, match="Invalid magic number"):
        torch.load(io.BytesIO(pickle.dumps([1], protocol=2)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("x/other.bin", b"1")
    with pytest.raises(RuntimeError, match="data.pkl"):
        torch.load(io.BytesIO(buf.getvalue()))


# --------------------------------------------------- the zip layout, by hand

def _read_zip(raw):
    """Every record of an archive from its own headers: (name, data offset,
    local header fields, data, descriptor, central directory fields)."""
    eocd = raw.rindex(b"PK\x05\x06")
    _, _, _, n_disk, n_total, cd_size, cd_off, clen = struct.unpack("<IHHHHIIH",
                                                                     raw[eocd:eocd + 22])
    assert n_disk == n_total and clen == 0 and eocd + 22 == len(raw)
    # the zip64 end record and its locator sit just before
    loc = raw[eocd - 20:eocd]
    assert loc[:4] == b"PK\x06\x07"
    z64_off = struct.unpack("<IIQI", loc)[2]
    z64 = struct.unpack("<IQHHIIQQQQ", raw[z64_off:z64_off + 56])
    assert z64[0] == 0x06064b50 and z64[6:] == (n_total, n_total, cd_size, cd_off)
    assert z64_off == cd_off + cd_size
    records, pos = [], cd_off
    for _ in range(n_total):
        c = struct.unpack("<IHHHHHHIIIHHHHHII", raw[pos:pos + 46])
        assert c[0] == 0x02014b50
        name = raw[pos + 46:pos + 46 + c[10]].decode()
        pos += 46 + c[10] + c[11] + c[12]
        local = struct.unpack("<IHHHHHIIIHH", raw[c[16]:c[16] + 30])
        assert local[0] == 0x04034b50
        assert raw[c[16] + 30:c[16] + 30 + local[9]].decode() == name
        extra = raw[c[16] + 30 + local[9]:c[16] + 30 + local[9] + local[10]]
        start = c[16] + 30 + local[9] + local[10]
        data = raw[start:start + c[9]]
        desc = struct.unpack("<IIII", raw[start + c[9]:start + c[9] + 16])
        records.append((name, start, local, extra, data, desc, c))
    assert pos == cd_off + cd_size
    return records


def test_zip_layout_follows_the_format():
    a = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    obj = collections.OrderedDict(w=a, v=a[1:, 1:3], h=torch.ones(3, dtype=torch.float16),
                                  b=torch.tensor([True, False]))
    buf = io.BytesIO()
    torch.save(obj, buf)
    records = _read_zip(buf.getvalue())
    names = [r[0] for r in records]
    assert names == ["archive/data.pkl", "archive/.format_version",
                     "archive/.storage_alignment", "archive/byteorder", "archive/data/0",
                     "archive/data/1", "archive/data/2", "archive/version",
                     "archive/.data/serialization_id"]
    contents = {r[0]: r[4] for r in records}
    assert contents["archive/.format_version"] == b"1"
    assert contents["archive/.storage_alignment"] == b"64"
    assert contents["archive/byteorder"] == b"little"
    assert contents["archive/version"] == b"3\n"
    sid = contents["archive/.data/serialization_id"]
    assert len(sid) == 40 and sid.isdigit()
    assert contents["archive/data/0"] == np.arange(12, dtype="<f4").tobytes()
    assert contents["archive/data/1"] == np.ones(3, dtype="<f2").tobytes()
    assert contents["archive/data/2"] == b"\x01\x00"
    for name, start, local, extra, data, desc, central in records:
        assert start % 64 == 0                                 # aligned record data
        # version 0, flags 0x808 (data descriptor, UTF-8), stored, no date,
        # sizes and crc left to the descriptor
        assert local[1:9] == (0, 0x0808, 0, 0, 0, 0, 0, 0)
        # the extra field pads: "FB", the pad's length, "Z" * pad
        assert extra[:2] == b"FB" and struct.unpack("<H", extra[2:4])[0] == len(extra) - 4
        assert extra[4:] == b"Z" * (len(extra) - 4) and len(extra) - 4 < 64
        crc = zlib.crc32(data)
        assert desc == (0x08074b50, crc, len(data), len(data))
        assert central[1:10] == (0, 0, 0x0808, 0, 0, 0, crc, len(data), len(data))
        assert central[11:16] == (0, 0, 0, 0, 0)               # no extra, comment, attributes
    assert zipfile.ZipFile(buf).testzip() is None


def test_pickle_names_pytorchs_globals():
    a = torch.arange(4.0)
    buf = io.BytesIO()
    torch.save(collections.OrderedDict(a=a, s=a[2:], c=torch.ones(1, dtype=torch.complex128),
                                       d=torch.int16, dev=torch.device("cpu"),
                                       z=torch.Size([1])), buf)
    pkl = zipfile.ZipFile(buf).read("archive/data.pkl")
    assert pkl[:2] == b"\x80\x02"                              # protocol 2
    globals_ = {arg for op, arg, _ in pickletools.genops(pkl) if op.name == "GLOBAL"}
    assert globals_ == {"collections OrderedDict", "torch._utils _rebuild_tensor_v2",
                        "torch FloatStorage", "torch ComplexDoubleStorage", "torch int16",
                        "torch device", "torch Size"}
    assert _persistent_ids(pkl) == [("storage", "torch.FloatStorage", "0", "cpu", 4),
                                    ("storage", "torch.FloatStorage", "0", "cpu", 4),
                                    ("storage", "torch.ComplexDoubleStorage", "1", "cpu", 1)]


def test_views_of_one_storage_as_two_dtypes_are_refused():
    x = torch.ones(4)
    with pytest.raises(RuntimeError, match="view the same data as different types"):
        torch.save([x, x.view(torch.int32)], io.BytesIO())


# ------------------------------------------------- the restricted unpickler

def _archive_with_pickle(pkl, extra=()):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("archive/data.pkl", pkl)
        z.writestr("archive/byteorder", "little")
        for name, data in extra:
            z.writestr(name, data)
        z.writestr("archive/version", "3\n")
    return buf.getvalue()


def _calling(module, name, arg):
    """A protocol-2 pickle that calls module.name(arg) when loaded."""
    return (b"\x80\x02c" + module.encode() + b"\n" + name.encode() + b"\n" +
            pickle.dumps(arg, protocol=2)[2:-1] + b"\x85R.")


@pytest.mark.parametrize("module,name,code", [
    ("os", "system", "touch {}"),
    ("posix", "system", "touch {}"),
    ("builtins", "eval", "open({!r}, 'w').close()"),
    ("builtins", "exec", "open({!r}, 'w').close()"),
    ("subprocess", "getoutput", "touch {}"),
])
def test_malicious_pickle_is_refused(tmp_path, module, name, code):
    marker = tmp_path / "ran"
    data = _archive_with_pickle(_calling(module, name, code.format(str(marker))))
    with pytest.raises(pickle.UnpicklingError,
                       match=f"(?s)Weights only load failed.*Unsupported global: GLOBAL "
                             f"{module}.{name} was not an allowed global"):
        torch.load(io.BytesIO(data))
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        torch.load(io.BytesIO(data), weights_only=True)
    assert not marker.exists()                    # nothing ran


def test_malicious_reduce_through_allowed_names_is_refused(tmp_path):
    # an allowed global reached through an attribute path (a second GLOBAL
    # line naming a nested attribute) still goes through the allowlist
    marker = tmp_path / "ran"
    data = _archive_with_pickle(_calling("collections", "OrderedDict.__class__",
                                         str(marker)))
    with pytest.raises(pickle.UnpicklingError, match="Unsupported global"):
        torch.load(io.BytesIO(data))
    assert not marker.exists()


def test_bad_persistent_id_and_rebuild_arguments():
    pid = b"\x80\x02(X\x03\x00\x00\x00abcK\x01tQ."
    with pytest.raises(pickle.UnpicklingError, match="unsupported persistent id"):
        torch.load(io.BytesIO(_archive_with_pickle(pid)))
    # a tensor reaching past its storage's end
    from ctorch import serialization
    g = serialization._Global

    class Bad:
        def __reduce__(self):
            ref = serialization._StorageRef(serialization._storage_of(torch.ones(2)),
                                            torch.float32, False)
            return (g("torch._utils", "_rebuild_tensor_v2"),
                    (ref, 0, (5,), (1,), False, collections.OrderedDict()))
    buf = io.BytesIO()
    torch.save([Bad()], buf)
    with pytest.raises(RuntimeError, match="out of bounds for storage of size 8"):
        torch.load(io.BytesIO(buf.getvalue()))
    missing = _archive_with_pickle(
        b"\x80\x02(X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x00"
        b"0X\x03\x00\x00\x00cpuK\x01tQ.")
    with pytest.raises(RuntimeError, match="failed locating file data/0"):
        torch.load(io.BytesIO(missing))


def test_dtype_ctorch_lacks_is_named():
    pkl = (b"\x80\x02(X\x07\x00\x00\x00storagectorch\nComplexHalfStorage\nX\x01\x00\x00\x000"
           b"X\x03\x00\x00\x00cpuK\x01tQ.")
    with pytest.raises(RuntimeError, match="dtype torch.complex32, which ctorch does not have"):
        torch.load(io.BytesIO(_archive_with_pickle(pkl, [("archive/data/0", b"\0\0")])))


def test_parameters_load_as_parameters():
    from ctorch import serialization
    g = serialization._Global

    class Param:                      # what PyTorch writes for an nn.Parameter
        def __init__(self, t, rg):
            self.t, self.rg = t, rg

        def __reduce__(self):
            return (g("torch._utils", "_rebuild_parameter"),
                    (self.t, self.rg, collections.OrderedDict()))
    buf = io.BytesIO()
    torch.save({"w": Param(torch.ones(2, 2), True), "f": Param(torch.zeros(1), False)}, buf)
    for weights_only in (True, False):
        r = torch.load(io.BytesIO(buf.getvalue()), weights_only=weights_only)
        assert r["w"].requires_grad and r["w"].is_leaf and r["w"].tolist() == [[1, 1], [1, 1]]
        assert not r["f"].requires_grad
        assert type(r["w"]) is torch.nn.Parameter and type(r["f"]) is torch.nn.Parameter


def test_weights_only_false_loads_other_objects():
    buf = io.BytesIO()
    torch.save({"when": __import__("datetime").date(2020, 1, 2), "t": torch.ones(1)}, buf)
    with pytest.raises(pickle.UnpicklingError, match="GLOBAL datetime.date"):
        torch.load(io.BytesIO(buf.getvalue()))
    r = torch.load(io.BytesIO(buf.getvalue()), weights_only=False)
    assert r["when"].year == 2020 and r["t"].tolist() == [1.0]


def test_argument_errors():
    with pytest.raises(RuntimeError, match="Can not safely load weights when explicit "
                                           "pickle_module is specified"):
        torch.load(io.BytesIO(_cpu_checkpoint()), pickle_module=pickle)
    assert torch.load(io.BytesIO(_cpu_checkpoint()), pickle_module=pickle,
                      weights_only=False)[0].tolist() == [1, 2]
    with pytest.raises(AttributeError, match="expected 'f' to be string, path, or a file-like "
                                             "object with a 'write' attribute"):
        torch.save([1], 3)
    with pytest.raises(AttributeError, match="'int' object has no attribute 'seek'"):
        torch.load(3)
    with pytest.raises(FileNotFoundError):
        torch.load("/nonexistent/dir/x.pt")


def test_storages_round_trip():
    import warnings
    t = torch.arange(4.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)          # TypedStorage is deprecated
        typed, again = _roundtrip([t.storage(), t])
        assert typed.dtype is torch.float32 and typed.tolist() == [0.0, 1.0, 2.0, 3.0]
        assert typed.data_ptr() == again.untyped_storage().data_ptr()
        buf = io.BytesIO()
        torch.save([t.untyped_storage()], buf)
        pkl = zipfile.ZipFile(buf).read("archive/data.pkl")
        assert _persistent_ids(pkl) == [("storage", "torch.storage.UntypedStorage", "0", "cpu", 16)]
        (raw,) = torch.load(io.BytesIO(buf.getvalue()))
        # saved untyped, it comes back as bytes, as in PyTorch
        assert raw.dtype is torch.uint8 and raw.size() == 16
