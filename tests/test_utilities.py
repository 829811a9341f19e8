"""The torch-namespace utility classes: PyTorchFileWriter/PyTorchFileReader
(the checkpoint archive, checked against the zip format's own headers read
with the standard zipfile module and struct), FileCheck (directive tables:
what passes, and the failure's message), and ThroughputBenchmark with its
BenchmarkConfig/BenchmarkExecutionStats and the torch.utils front end
(counted calls, consistent stats; no timing asserts)."""
import gc
import io
import json
import os
import struct
import sys
import threading
import zipfile

import numpy as np
import pytest

import ctorch as torch


def _local_data_offset(raw, header_offset):
    """Where a record's data starts, from its local header."""
    nlen, elen = struct.unpack("<HH", raw[header_offset + 26:header_offset + 30])
    return header_offset + 30 + nlen + elen


def _archive(records, prefix="arch", compression=zipfile.ZIP_STORED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in records:
            z.writestr(f"{prefix}/{name}" if prefix else name, data)
    buf.seek(0)
    return buf


# ------------------------------------------------------------ the archive

@pytest.mark.parametrize("target", ["path", "buffer"])
def test_writer_reader_round_trip(tmp_path, target):
    dest = str(tmp_path / "model.v1.pt") if target == "path" else io.BytesIO()
    w = torch.PyTorchFileWriter(dest)
    assert w.archive_name() == ("model.v1" if target == "path" else "archive")
    w.write_record("a", b"hello", 5)
    w.write_record("dir/b", "str\u00e9", len("str\u00e9".encode()))
    w.write_record("c", bytearray(b"xyz"), 2)                 # the first `size` bytes
    w.write_record("d", b"", 0)
    assert w.get_all_written_records() == {"a", "dir/b", "c", "d"}
    assert w.serialization_id() == ""
    w.write_end_of_file()
    sid = w.serialization_id()
    assert len(sid) == 40 and sid.isdigit()
    assert w.get_all_written_records() == {"a", "dir/b", "c", "d", "version", "byteorder",
                                           ".data/serialization_id"}
    raw = open(dest, "rb").read() if target == "path" else dest.getvalue()
    z = zipfile.ZipFile(io.BytesIO(raw))
    assert z.testzip() is None                                   # CRCs and sizes agree
    prefix = w.archive_name() + "/"
    assert z.namelist() == [prefix + n for n in ("a", "dir/b", "c", "d", "version", "byteorder",
                                                 ".data/serialization_id")]
    r = torch.PyTorchFileReader(dest if target == "path" else io.BytesIO(raw))
    assert r.get_all_records() == ["a", "dir/b", "c", "d", "version", "byteorder",
                                   ".data/serialization_id"]
    expected = {"a": b"hello", "dir/b": "str\u00e9".encode(), "c": b"xy", "d": b"",
                "version": b"3\n", "byteorder": sys.byteorder.encode()}
    for name, data in expected.items():
        assert r.has_record(name) and r.get_record(name) == data
        info = z.getinfo(prefix + name)
        assert r.get_record_size(name) == len(data) == info.file_size
        assert r.get_record_header_offset(name) == info.header_offset
        offset = r.get_record_offset(name)
        assert offset == _local_data_offset(raw, info.header_offset)
        assert offset % 64 == 0                                  # aligned data
        assert raw[offset:offset + len(data)] == data
        assert r.get_record_offset_no_read(info.header_offset, name, len(data), 64) == offset
    assert not r.has_record(prefix + "a")                        # names are without the folder
    # flags 0x808 (a data descriptor follows, UTF-8 names); an empty record
    # has no descriptor (0x800)
    assert [i.flag_bits for i in z.infolist()] == [0x808, 0x808, 0x808, 0x800, 0x808, 0x808, 0x808]
    assert raw[r.get_record_offset("d"):r.get_record_offset("d") + 4] == b"PK\x03\x04"
    assert r.serialization_id() == sid


def test_writer_alignment_crc_and_versions():
    buf = io.BytesIO()
    w = torch.PyTorchFileWriter(buf, compute_crc32=False, storage_alignment=4096)
    w.write_record("x", b"abc", 3)
    w.set_min_version(7)
    w.set_min_version(4)                                         # never lowers it
    w.write_end_of_file()
    raw = buf.getvalue()
    z = zipfile.ZipFile(io.BytesIO(raw))
    assert [i.CRC for i in z.infolist()] == [0] * 4              # crc left out
    r = torch.PyTorchFileReader(io.BytesIO(raw))
    # from version 6 on the version record is .data/version
    assert r.get_all_records() == ["x", ".data/version", "byteorder", ".data/serialization_id"]
    assert r.get_record(".data/version") == b"7\n"
    assert all(r.get_record_offset(n) % 4096 == 0 for n in r.get_all_records())
    assert r.get_record("x") == b"abc"                           # read without a CRC check
    # records the writer would add, written before: kept as written
    buf = io.BytesIO()
    w = torch.PyTorchFileWriter(buf)
    w.write_record("byteorder", b"big", 3)
    w.write_record("version", b"5\n", 2)
    w.write_record(".data/serialization_id", b"123", 3)          # the writer writes its own
    w.write_end_of_file()
    r = torch.PyTorchFileReader(io.BytesIO(buf.getvalue()))
    assert r.get_all_records() == ["byteorder", "version", ".data/serialization_id"]
    assert r.get_record("byteorder") == b"big" and r.get_record("version") == b"5\n"
    assert r.serialization_id() == w.serialization_id() != "123"


@pytest.mark.filterwarnings("ignore:TypedStorage is deprecated")
def test_writer_data_kinds_and_metadata():
    t = torch.arange(4, dtype=torch.float32)
    payload = np.arange(6, dtype=np.int16)
    buf = io.BytesIO()
    w = torch.PyTorchFileWriter(buf)
    w.write_record("storage", t.untyped_storage(), 16)
    w.write_record("typed", t.storage(), 8)
    w.write_record("view", memoryview(payload), payload.nbytes)
    w.write_record("ptr", t.data_ptr(), 12)                      # an address, as data_ptr()
    w.write_record_metadata("meta", 10)
    w.write_end_of_file()
    r = torch.PyTorchFileReader(io.BytesIO(buf.getvalue()))
    f32 = np.arange(4, dtype=np.float32).tobytes()
    assert r.get_record("storage") == f32
    assert r.get_record("typed") == f32[:8]
    assert r.get_record("view") == payload.tobytes()
    assert r.get_record("ptr") == f32[:12]
    assert r.get_record("meta") == bytes(10) and r.get_record_size("meta") == 10


def test_writer_errors(tmp_path):
    w = torch.PyTorchFileWriter(io.BytesIO())
    w.write_record("a", b"x", 1)
    with pytest.raises(RuntimeError, match="Tried to serialize file twice: a"):
        w.write_record("a", b"y", 1)
    with pytest.raises(RuntimeError, match="size 5 is larger than the data \\(3 bytes\\)"):
        w.write_record("b", b"abc", 5)
    with pytest.raises(RuntimeError, match="size must be non-negative"):
        w.write_record("b", b"abc", -1)
    with pytest.raises(TypeError, match="expected the data as str, bytes, a storage"):
        w.write_record("b", [1, 2], 2)
    with pytest.raises(TypeError, match="set_min_version"):
        w.set_min_version(-1)
    w.write_end_of_file()
    for call in (lambda: w.write_record("c", b"x", 1), w.write_end_of_file,
                 lambda: w.write_record_metadata("c", 1)):
        with pytest.raises(RuntimeError, match="finalized"):
            call()
    with pytest.raises(RuntimeError, match="Parent directory .*nope does not exist."):
        torch.PyTorchFileWriter(str(tmp_path / "nope" / "x.pt"))
    with pytest.raises(RuntimeError, match="storage_alignment must be a positive int"):
        torch.PyTorchFileWriter(io.BytesIO(), storage_alignment=0)
    with pytest.raises(TypeError, match="expected a file name or a buffer"):
        torch.PyTorchFileWriter(5)


def test_writer_left_open_is_finished_when_dropped():
    buf = io.BytesIO()
    w = torch.PyTorchFileWriter(buf)
    w.write_record("a", b"kept", 4)
    del w
    gc.collect()
    r = torch.PyTorchFileReader(io.BytesIO(buf.getvalue()))
    assert r.get_record("a") == b"kept" and r.has_record("version")


def test_reader_missing_records_and_bad_archives(tmp_path):
    r = torch.PyTorchFileReader(_archive([("version", "3\n"), ("a", "AA")]))
    assert r.get_all_records() == ["version", "a"] and not r.has_record("zz")
    assert r.serialization_id() == ""                    # an archive without one
    for call in (r.get_record, r.get_record_offset, r.get_record_size, r.get_record_header_offset,
                 lambda n: r.get_storage_from_record(n, 1, torch.uint8)):
        with pytest.raises(RuntimeError, match="PytorchStreamReader failed locating file zz: "
                                               "file not found"):
            call("zz")
    # compressed records read too
    big = b"0123456789" * 50
    r = torch.PyTorchFileReader(_archive([("version", "3\n"), ("z", big)],
                                         compression=zipfile.ZIP_DEFLATED))
    assert r.get_record("z") == big and r.get_record_size("z") == len(big)
    assert r.get_storage_from_record("z", len(big), torch.uint8).untyped_storage().nbytes() == 500
    # the version lives in .data/version from version 6 on
    assert torch.PyTorchFileReader(_archive([(".data/version", "6\n")])).has_record(
        ".data/version")
    bad = [
        (_archive([("a", "AA")]), 'Expected hasRecord\\("version"\\) to be true'),
        (_archive([("version", "99\n")]), "version 99, but the maximum supported version for "
                                          "reading is 10"),
        (_archive([("version", "0\n")]), "version 0, but the minimum supported version for "
                                         "reading is 1"),
        (_archive([("version", "x\n")]), "Couldn't parse the version x"),
        (_archive([("version", "3\n")], prefix=""), "file in archive is not in a subdirectory: "
                                                    "version"),
        (_archive([("arch/version", "3\n"), ("other/a", "A")], prefix=""),
         "file in archive is not in a subdirectory arch/: other/a"),
        (_archive([]), "archive does not contain any files"),
        (io.BytesIO(b"not a zip archive"), "failed reading zip archive: not a ZIP archive"),
        (str(tmp_path / "missing.pt"), "open file failed because of errno 2 on fopen: No such "
                                       "file or directory, file path: .*missing.pt"),
    ]
    for src, msg in bad:
        with pytest.raises(RuntimeError, match=msg):
            torch.PyTorchFileReader(src)
    with pytest.raises(TypeError, match="expected a file name or a buffer"):
        torch.PyTorchFileReader(3)


def test_reader_zip64_fields(monkeypatch):
    from ctorch import serialization
    monkeypatch.setattr(serialization, "_ZIP64_LIMIT", 0)     # every record as if past 4 GiB
    buf = io.BytesIO()
    w = torch.PyTorchFileWriter(buf)
    w.write_record("a", b"abc", 3)
    w.write_record("b", b"defgh", 5)
    w.write_end_of_file()
    raw = bytearray(buf.getvalue())
    # the end record's fields saturated, as a writer leaves them past 65535
    # records or 4 GiB: the counts and offsets come from the zip64 end record
    end = raw.rindex(b"PK\x05\x06")
    raw[end + 8:end + 20] = struct.pack("<HHII", 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
    z = zipfile.ZipFile(io.BytesIO(bytes(raw)))
    assert z.testzip() is None
    r = torch.PyTorchFileReader(io.BytesIO(bytes(raw)))
    assert r.get_all_records()[:2] == ["a", "b"]
    for name, data in (("a", b"abc"), ("b", b"defgh")):
        info = z.getinfo("archive/" + name)
        assert r.get_record(name) == data
        assert r.get_record_header_offset(name) == info.header_offset
        assert r.get_record_offset(name) == _local_data_offset(bytes(raw), info.header_offset)
    truncated = bytes(raw[:end - 20]) + bytes(raw[end:])      # the zip64 locator cut out
    with pytest.raises(RuntimeError, match="zip64 end of central directory locator"):
        torch.PyTorchFileReader(io.BytesIO(truncated))


def test_storage_from_record():
    buf = io.BytesIO()
    w = torch.PyTorchFileWriter(buf)
    values = np.array([1.5, -2.0, 3.25, 8.0], dtype=np.float32)
    w.write_record("x", values.tobytes(), 16)
    w.write_end_of_file()
    r = torch.PyTorchFileReader(io.BytesIO(buf.getvalue()))
    for dtype, numel, view in ((torch.float32, 4, np.float32), (torch.float64, 2, np.float64),
                               (torch.uint8, 16, np.uint8), (torch.bool, 16, np.bool_)):
        t = r.get_storage_from_record("x", numel, dtype)
        # a tensor with no elements over a storage holding the record
        assert t.dtype is dtype and t.shape == (0,) and t.storage_offset() == 0
        s = t.untyped_storage()
        assert s.nbytes() == 16
        whole = torch.empty(0, dtype=dtype).set_(s, 0, (numel,), (1,))
        np.testing.assert_array_equal(whole.numpy(), values.view(view))
    # a storage class (not a dtype) reads bytes
    assert r.get_storage_from_record("x", 16, torch.UntypedStorage).dtype is torch.uint8
    with pytest.raises(RuntimeError, match=r"record size \(16 bytes\) does not match expected "
                                           r"size \(20 bytes = 5 elements \* 4 bytes/element\) "
                                           r"for dtype Float"):
        r.get_storage_from_record("x", 5, torch.float32)
    with pytest.raises(RuntimeError, match="for dtype Long"):
        r.get_storage_from_record("x", 16, torch.int64)


def test_save_and_load_go_through_the_archive(tmp_path):
    a = torch.arange(12, dtype=torch.float64).reshape(3, 4)
    obj = {"a": a, "col": a[:, 1], "i": torch.tensor([7, -8], dtype=torch.int32)}
    path = str(tmp_path / "ckpt.pt")
    torch.save(obj, path)
    r = torch.PyTorchFileReader(path)
    assert r.get_all_records() == ["data.pkl", ".format_version", ".storage_alignment",
                                   "byteorder", "data/0", "data/1", "version",
                                   ".data/serialization_id"]
    assert r.get_record(".format_version") == b"1" and r.get_record(".storage_alignment") == b"64"
    st = r.get_storage_from_record("data/0", 12, torch.float64).untyped_storage()
    np.testing.assert_array_equal(np.frombuffer(bytes(st), dtype=np.float64), np.arange(12.0))
    # every record copied into a new archive by the writer: torch.load reads it
    out = str(tmp_path / "copy.pt")
    w = torch.PyTorchFileWriter(out)
    for name in r.get_all_records():
        if name not in ("version", ".data/serialization_id"):
            w.write_record(name, r.get_record(name), r.get_record_size(name))
    w.write_end_of_file()
    assert zipfile.ZipFile(out).namelist()[0] == "copy/data.pkl"
    back = torch.load(out)
    np.testing.assert_array_equal(back["a"].numpy(), a.numpy())
    np.testing.assert_array_equal(back["i"].numpy(), [7, -8])
    assert back["col"].untyped_storage().data_ptr() == back["a"].untyped_storage().data_ptr()
    # an archive without data.pkl is not a checkpoint
    with pytest.raises(RuntimeError, match="failed locating file data.pkl"):
        torch.load(_archive([("version", "3\n"), ("other", "x")]))


# --------------------------------------------------------------- FileCheck

TEXT = "def f(x):\n  a = add(x, 1)\n  b = mul(a, a)\n  return b\n"
HIGHLIGHTED = "foo(x)\n  a = add(x, 1)\n      ~~~ <--- HERE\nother\n"

# (directives, text, None when they pass, else the message's key parts)
FILECHECK_CASES = [
    ([("check", "add"), ("check", "mul")], TEXT, None),
    ([("check", "mul"), ("check", "add")], TEXT,
     ['Expected to find "add" but did not find it\nSearched string:', "From CHECK: add\n"]),
    ([("check", "zzz")], TEXT, ["def f(x):\n~~~ <--- HERE\n", "From CHECK: zzz\n"]),
    ([("check", "")], TEXT, None),
    ([("check_not", "sub")], TEXT, None),
    ([("check_not", "mul")], TEXT,
     ['Expected to not find "mul" but found it\n', "  b = mul(a, a)\n      ~~~ <--- HERE\n",
      "From CHECK-NOT: mul\n"]),
    ([("check", "add"), ("check_not", "mul"), ("check", "return")], TEXT,
     ['Expected to not find "mul"', "From CHECK-NOT: mul"]),
    ([("check", "mul"), ("check_not", "add")], TEXT, None),
    ([("check_not", "add"), ("check_not", "zz"), ("check", "mul")], TEXT,
     ['Expected to not find "add"', "From CHECK-NOT: add"]),
    ([("check", "add"), ("check_next", "mul")], TEXT, None),
    ([("check", "def"), ("check_next", "mul")], TEXT,
     ['Expected to not find "\\n" but found it', "From CHECK-NEXT: mul\n"]),
    ([("check_next", "a")], TEXT, None),
    ([("check", "add"), ("check_same", "1)")], TEXT, None),
    ([("check", "add"), ("check_same", "mul")], TEXT,
     ['Expected to not find "\\n" but found it', "From CHECK-SAME: mul\n"]),
    ([("check_count", "a", 3)], TEXT, None),
    ([("check_count", "a, a", 1, True)], TEXT, None),
    ([("check_count", "add", 2)], TEXT,
     ['Expected to find "add" but did not find it', "From CHECK-COUNT-2: add\n"]),
    ([("check_count", "x", 2, True)], TEXT, None),
    ([("check_count", "x", 0, True)], TEXT,
     ['Expected to not find "x" but found it', "def f(x):\n      ~ <--- HERE\n",
      "From CHECK-NOT: x\n"]),
    ([("check_count", "a", 2, True), ("check", "mul")], TEXT, None),
    ([("check_count", "a", 1, True), ("check", "mul")], TEXT,
     ['Expected to not find "a"', "From CHECK-NOT: a"]),
    ([("check_count", "q", 0, True)], TEXT, None),
    ([("check_dag", "mul"), ("check_dag", "add"), ("check", "return")], TEXT, None),
    ([("check_dag", "mul"), ("check_dag", "add"), ("check_next", "b")], TEXT, None),
    ([("check_dag", "mul"), ("check_dag", "zz")], TEXT,
     ['Expected to find "zz"', "From CHECK-DAG: zz\n"]),
    ([("check", "b"), ("check_not", "a"), ("check_dag", "return"), ("check_dag", "b")], TEXT,
     ['Expected to not find "a"', "From CHECK-NOT: a"]),
    ([("check_regex", r"a = \w+\("), ("check_regex", r"b\s*=")], TEXT, None),
    ([("check_regex", r"[0-9]"), ("check_next", "mul")], TEXT, None),
    ([("check_regex", "q+")], TEXT,
     ['Expected to find regex "q+" but did not find it', "From CHECK-REGEX: q+\n"]),
    ([("check_source_highlighted", "add")], HIGHLIGHTED, None),
    ([("check_source_highlighted", "add"), ("check_next", "~~~")], HIGHLIGHTED, None),
    ([("check_source_highlighted", "add(")], HIGHLIGHTED,
     ['Expected to find "add("highlighted but it is not.\n']),
    ([("check_source_highlighted", "foo")], HIGHLIGHTED,
     ['Expected to find "foo"highlighted but it is not.\nfoo(x)\n~~~ <--- HERE\n']),
    ([("check_source_highlighted", "zz")], HIGHLIGHTED,
     ['Expected to find "zz" but did not find it', "From CHECK-SOURCE-HIGHLIGHTED: zz\n"]),
    ([("check_source_highlighted", "add")], "x add\nadd y\n~~~\n", None),   # the 2nd one
    ([("check_source_highlighted", "add")], "x add\n  ~~~~\n", ["highlighted but it is not"]),
]


@pytest.mark.parametrize("directives,text,failure", FILECHECK_CASES)
def test_filecheck(directives, text, failure):
    fc = torch.FileCheck()
    for op, *args in directives:
        assert getattr(fc, op)(*args) is fc                      # directives chain
    if failure is None:
        fc.run(text)
        return
    with pytest.raises(RuntimeError) as info:
        fc.run(text)
    for part in failure:
        assert part in str(info.value)


@pytest.mark.parametrize("checks,failure", [
    ("# CHECK: add\n# CHECK-NEXT: mul\n", None),
    ("#CHECK: add\n  # CHECK-SAME: 1\n", None),
    ("x = 1  # CHECK: return\n", None),
    ("# a comment\n# CHECK-COUNT-2: a, \n", "From CHECK-COUNT-2: a, \n"),
    ("# CHECK-COUNT-EXACTLY-2: b\n", None),
    ("# CHECK-COUNT-EXACTLY-1: b\n", 'Expected to not find "b"'),
    ("# CHECK-DAG: mul\n# CHECK-DAG: add\n# CHECK-NOT: sub\n# CHECK: return", None),
    ("# CHECK-REGEX: m.l\n", None),
    ("# CHECK-SOURCE-HIGHLIGHTED: mul\n", '"mul"highlighted but it is not'),
    ("# CHECK: add   \n", 'Expected to find "add   " but did not find it'),   # the whole rest
    ("# CHECK:add\n", "Could not parse check at:\n# CHECK:add\n       ~ <--- HERE\n"
                      "Check for bad input."),
    ("# CHECK-BAD: x\n", "Could not parse check at:"),
    ("CHECK: add\n// CHECK: add", "No checks have been added to this instance ofFilecheck! "
                                  "Check for bad input."),
])
def test_filecheck_checks_from_comments(checks, failure):
    if failure is None:
        torch.FileCheck().run(checks, TEXT)
        return
    with pytest.raises(RuntimeError) as info:
        torch.FileCheck().run(checks, TEXT)
    assert failure in str(info.value)


def test_filecheck_argument_errors_and_unrun_notice(capsys):
    with pytest.raises(RuntimeError, match="No checks have been added"):
        torch.FileCheck().run(TEXT)
    with pytest.raises(RuntimeError, match="Count == 0 && !exactly doesn't do anything"):
        torch.FileCheck().check_count("a", 0)
    with pytest.raises(TypeError, match="expected a str, got int"):
        torch.FileCheck().check(3)
    with pytest.raises(TypeError, match="expected a str, got bytes"):
        torch.FileCheck().check("a").run(b"a")
    with pytest.raises(RuntimeError, match="invalid regular expression"):
        torch.FileCheck().check_regex("a(").run(TEXT)
    capsys.readouterr()
    fc = torch.FileCheck().check("x").check_count("y", 2)
    del fc
    gc.collect()
    assert capsys.readouterr().out == ("You have not run this instance of FileCheck!\n"
                                       "FileCheck checks:\n\tCHECK: x\n\tCHECK-COUNT-2: y\n")


# ----------------------------------------------------- ThroughputBenchmark

class _Counting:
    """A module stand-in that records each call's thread and arguments."""

    def __init__(self, fn):
        self.fn = fn
        self.calls = []
        self.lock = threading.Lock()

    def __call__(self, *args, **kwargs):
        with self.lock:
            self.calls.append((threading.get_ident(), args, kwargs))
        return self.fn(*args, **kwargs)


def test_benchmark_config_and_stats_types():
    c = torch.BenchmarkConfig()
    assert (c.num_calling_threads, c.num_warmup_iters, c.num_iters, c.num_worker_threads,
            c.profiler_output_path) == (1, 1, 100, 1, "")
    c.num_iters = 7
    c.profiler_output_path = "trace.json"
    assert c.num_iters == 7 and c.profiler_output_path == "trace.json"
    with pytest.raises(TypeError, match="num_iters: expected an int, got str"):
        c.num_iters = "a"
    with pytest.raises(TypeError, match="profiler_output_path: expected a str, got int"):
        c.profiler_output_path = 3
    with pytest.raises(TypeError, match="No constructor defined"):
        torch.BenchmarkExecutionStats()


@pytest.mark.parametrize("threads", [1, 3])
def test_throughput_benchmark_linear(threads):
    torch.manual_seed(0)
    lin = torch.nn.Linear(3, 2)
    module = _Counting(lin)
    bench = torch.ThroughputBenchmark(module)
    inputs = [torch.randn(4, 3) for _ in range(3)]
    for x in inputs:
        bench.add_input(x)
    x = torch.randn(2, 3)
    expected = x.numpy() @ lin.weight.detach().numpy().T + lin.bias.detach().numpy()
    np.testing.assert_allclose(bench.run_once(x).detach().numpy(), expected, rtol=1e-6)
    module.calls.clear()
    config = torch.BenchmarkConfig()
    config.num_calling_threads = threads
    config.num_warmup_iters = 2
    config.num_iters = 11
    stats = bench.benchmark(config)
    assert type(stats) is torch.BenchmarkExecutionStats
    assert stats.num_iters == 11 and isinstance(stats.latency_avg_ms, float)
    assert stats.latency_avg_ms > 0
    with pytest.raises(AttributeError):
        stats.num_iters = 3
    # every thread warms up on its own, then 11 calls between them, on the
    # inputs given
    assert len(module.calls) == threads * 2 + 11
    assert len({ident for ident, _, _ in module.calls}) == threads
    assert all(any(args[0] is x for x in inputs) for _, args, _ in module.calls)


def test_utils_throughput_benchmark_front_end(tmp_path):
    from ctorch.utils import ThroughputBenchmark
    from ctorch.utils.throughput_benchmark import ExecutionStats, format_time
    fn = _Counting(lambda x, scale=1.0: x * scale)
    bench = ThroughputBenchmark(fn)
    bench.add_input(torch.ones(3), scale=2.0)
    assert bench.run_once(torch.ones(2), scale=3.0).tolist() == [3.0, 3.0]
    fn.calls.clear()
    trace = str(tmp_path / "trace.json")
    stats = bench.benchmark(num_calling_threads=2, num_warmup_iters=1, num_iters=9,
                            profiler_output_path=trace)
    assert type(stats) is ExecutionStats
    assert stats.num_iters == 9 and stats.benchmark_config.num_calling_threads == 2
    assert len(fn.calls) == 2 + 9 and all(kw == {"scale": 2.0} for _, _, kw in fn.calls)
    # the derived figures follow from latency and iterations
    total = 9 * stats.latency_avg_ms / 1000.0 / 2
    assert stats.total_time_seconds == pytest.approx(total)
    assert stats.iters_per_second == pytest.approx(9 / total)
    lines = str(stats).split("\n")
    assert lines[0] == "Average latency per example: " + format_time(time_ms=stats.latency_avg_ms)
    assert lines[1] == "Total number of iterations: 9"
    assert lines[2] == ("Total number of iterations per second (across all threads): "
                        f"{stats.iters_per_second:.2f}")
    assert lines[3] == "Total time: " + format_time(time_s=stats.total_time_seconds)
    events = json.load(open(trace))["traceEvents"]
    assert len(events) == 9 and {e["ph"] for e in events} == {"X"}
    assert {e["tid"] for e in events} <= {0, 1} and all(e["dur"] >= 0 for e in events)
    assert [format_time(time_us=12), format_time(time_ms=2), format_time(time_s=1.5)] == \
        ["12.000us", "2.000ms", "1.500s"]
    with pytest.raises(AssertionError, match="Expected only one of time_us, time_ms, time_s"):
        format_time(time_us=1, time_ms=1)


def test_throughput_benchmark_errors():
    bench = torch.ThroughputBenchmark(lambda x: x)
    with pytest.raises(RuntimeError, match="Please provide benchmark inputs.Did you forget to "
                                           "call add_input\\(\\)?"):
        bench.benchmark(torch.BenchmarkConfig())
    bench.add_input(1)
    with pytest.raises(TypeError, match="expected a BenchmarkConfig"):
        bench.benchmark({"num_iters": 3})
    config = torch.BenchmarkConfig()
    config.num_calling_threads = 0
    with pytest.raises(RuntimeError, match="num_calling_threads must be at least 1"):
        bench.benchmark(config)

    def boom(x):
        raise ValueError("boom")
    bench = torch.ThroughputBenchmark(boom)
    bench.add_input(1)
    config = torch.BenchmarkConfig()
    config.num_calling_threads = 2
    with pytest.raises(ValueError, match="boom"):              # raised from a calling thread
        bench.benchmark(config)
    with pytest.raises(TypeError, match="'int' object is not callable"):
        torch.ThroughputBenchmark(5).run_once(1)
