"""convviz.safefile and convviz.safejson: only regular files are read, JSON is bounded in one linear scan;
and the readers built on them (model.json, run records, images) refuse hostile files in one line."""

from __future__ import annotations

import json
import os
import shutil
import socket
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from convviz import safejson
from convviz.model import ModelError, load_meta
from convviz.preprocess import PreprocessError, image_size, load_image
from convviz.safefile import UnsafeFileError, inside_folder, open_regular, read_regular
from tests.conftest import ROOT

LENET5 = ROOT / "assets" / "models" / "lenet5"
QUOTES = '"' + '\\"' * 500_000  # ~1 MiB of unterminated escaped quotes: quadratic for a backtracking regex


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_header(width: int, height: int) -> bytes:
    """A PNG that announces ``width`` x ``height`` and holds no pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"")) + _chunk(b"IEND", b"")


def icon_with_png(path, width: int, height: int):
    """An ICO whose one directory entry says 256 x 256 and whose frame is a PNG of ``width`` x ``height``."""
    frame = png_header(width, height)
    path.write_bytes(struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", 0, 0, 0, 0, 1, 32, len(frame), 22) + frame)
    return path


@pytest.fixture
def specials(tmp_path):
    """A FIFO and a listening Unix socket, made here (never the system's devices)."""
    fifo = tmp_path / "pipe"
    os.mkfifo(str(fifo))
    sock_path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    server.listen(1)
    yield {"a named pipe (FIFO)": fifo, "a socket": sock_path}
    server.close()


# -- safejson ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, depth",
    [
        ("", 0),
        ("1", 0),
        ('{"a": [1, {"b": []}]}', 4),
        ('"[[[["', 0),  # brackets in a string do not count
        ('["\\"[[[", 1]', 1),  # nor after an escaped quote
        ('["\\\\", [2]]', 2),  # an escaped backslash does not escape the quote after it
        ('["\\\\\\"[", 0]', 1),
        ('{"\u00e9\u4e2d": [["x"]]}', 3),  # multi-byte UTF-8 holds no ASCII bytes
        ("[" * 1000, 1000),
    ],
)
def test_the_depth_scan_counts_what_the_parser_would_nest(text, depth):
    assert safejson.json_depth(text.encode("utf-8")) == depth


def test_loads_is_json_within_bounds_and_one_line_past_them():
    assert safejson.loads(b'{"a": [1, 2.5, "x"]}', 100, 2) == {"a": [1, 2.5, "x"]}
    for raw, words in (
        (b"[" * 50 + b"]" * 50, "nested more than 8 deep"),
        (b"[1]" * 100, "larger than 200 bytes"),
        (QUOTES.encode()[:150], "Unterminated string"),
        (b"[NaN]", "NaN is not a JSON number"),
        (b"[-Infinity]", "-Infinity is not a JSON number"),
        (b"[" + b"9" * 100 + b"]", "a number of 100 characters"),  # int() of a million digits is quadratic on 3.7
        (b"[1." + b"5" * 100 + b"]", "a number of 102 characters"),
        (b'"\xff"', "not UTF-8"),
        (b"\xef\xbb\xbf{}", "byte-order mark"),
        (b"{1: 2}", "Expecting property name"),
    ):
        with pytest.raises(safejson.JSONLimitError) as info:
            safejson.loads(raw, 200, 8)
        assert words in str(info.value) and "\n" not in str(info.value)


def test_a_megabyte_of_unterminated_escaped_quotes_is_refused_at_once():
    # The regular expression this replaces backtracked on this input for minutes; the scan is linear.
    with pytest.raises(safejson.JSONLimitError, match="Unterminated string"):
        safejson.loads(QUOTES.encode(), 4 << 20, 8)


# -- safefile ------------------------------------------------------------------------------------------------
def test_only_regular_files_are_opened(tmp_path, specials):
    good = tmp_path / "good.bin"
    good.write_bytes(b"abc")
    with open_regular(good, 3) as f:
        assert f.read() == b"abc"
    assert read_regular(good, 3) == b"abc"
    with pytest.raises(UnsafeFileError, match="has 3 bytes, more than 2"):
        read_regular(good, 2)
    for kind, path in (*specials.items(), ("a folder", tmp_path)):
        with pytest.raises(UnsafeFileError) as info:
            open_regular(path)
        assert str(info.value) == f"{path} is not a file: it is {kind}"
    if os.path.exists("/dev/zero"):  # endless: read, never written to
        with pytest.raises(UnsafeFileError, match="it is a character device"):
            read_regular("/dev/zero", 10)
    link = tmp_path / "link"
    os.symlink(str(specials["a named pipe (FIFO)"]), str(link))
    with pytest.raises(UnsafeFileError, match="named pipe"):
        open_regular(link)
    with pytest.raises(FileNotFoundError):
        open_regular(tmp_path / "missing")


def test_links_must_stay_inside_their_folder(tmp_path):
    folder, outside = tmp_path / "set", tmp_path / "outside"
    (folder / "sub").mkdir(parents=True)
    outside.mkdir()
    (folder / "a.png").write_bytes(b"a")
    (outside / "b.png").write_bytes(b"b")
    os.symlink("a.png", str(folder / "same.png"))
    os.symlink(str(outside / "b.png"), str(folder / "out.png"))
    os.symlink(str(outside), str(folder / "out_dir"))
    os.symlink("../a.png", str(folder / "sub" / "back.png"))
    assert inside_folder(folder, "same.png") == (folder / "a.png").resolve()
    assert inside_folder(folder, "sub/back.png") == (folder / "a.png").resolve()
    for name in ("out.png", "out_dir", "out_dir/b.png"):
        with pytest.raises(UnsafeFileError, match="leads outside the folder") as info:
            inside_folder(folder, name)
        assert str(info.value).startswith(str(folder / name))
    with pytest.raises(UnsafeFileError, match="it is a folder"):
        inside_folder(folder, "sub")
    with pytest.raises(FileNotFoundError):
        inside_folder(folder, "gone.png")


# -- images --------------------------------------------------------------------------------------------------
def test_images_from_special_files_are_refused_before_opening(tmp_path, specials):
    for kind, path in specials.items():
        with pytest.raises(PreprocessError) as info:
            load_image(path)
        assert str(info.value) == f"image {path} is not a file: it is {kind}"


def test_every_frame_of_an_icon_is_checked_before_it_is_decoded(tmp_path):
    big = icon_with_png(tmp_path / "big.ico", 13300, 13300)  # Pillow decodes this to 1.2 GB while opening
    for read in (load_image, image_size):
        with pytest.raises(PreprocessError, match=r"\(icon frame 1\) is too large: 13300 x 13300 pixels"):
            read(big)
    small = tmp_path / "small.ico"
    Image.new("L", (48, 48), 255).save(str(small), sizes=[(48, 48), (16, 16)])
    assert load_image(small).shape == (48, 48) and image_size(small) == (48, 48)
    cursor = tmp_path / "big.cur"
    cursor.write_bytes(b"\0\0\2\0" + big.read_bytes()[4:])
    with pytest.raises(PreprocessError, match="13300 x 13300"):
        load_image(cursor)


def test_a_frame_larger_than_its_header_is_refused(tmp_path, monkeypatch):
    from convviz import preprocess

    path = tmp_path / "ok.gif"
    frames = [Image.new("L", (40, 30), c) for c in (0, 255)]
    frames[0].save(str(path), save_all=True, append_images=frames[1:])
    assert image_size(path) == (40, 30)
    monkeypatch.setattr(preprocess, "MAX_IMAGE_PIXELS", 40 * 30 - 1)
    with pytest.raises(PreprocessError, match="40 x 30 pixels"):
        load_image(path)


# -- model.json and records --------------------------------------------------------------------------------
def _model_copy(tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(str(LENET5), str(folder))
    return folder


def test_model_folders_refuse_special_files_and_hostile_json(tmp_path):
    folder = _model_copy(tmp_path)
    assert load_meta(folder)["arch"] == "lenet5"
    (folder / "model.json").write_text(QUOTES)
    with pytest.raises(ModelError, match=r"model.json is not readable JSON \(Unterminated string"):
        load_meta(folder)
    (folder / "model.json").write_text(json.dumps({"format": 1, "arch": "lenet5", "n": 1e999}))
    with pytest.raises(ModelError):
        load_meta(folder)
    (folder / "model.json").unlink()
    os.mkfifo(str(folder / "model.json"))
    with pytest.raises(ModelError, match=r"model\.json is not a file: it is a named pipe"):
        load_meta(folder)


def test_model_weights_from_a_fifo_are_refused(tmp_path):
    from convviz.model import load_weights

    folder = _model_copy(tmp_path)
    (folder / "weights.npz").unlink()
    os.mkfifo(str(folder / "weights.npz"))
    with pytest.raises(ModelError, match=r"weights\.npz is not a file: it is a named pipe"):
        load_weights(folder)


def test_a_record_from_a_fifo_or_with_hostile_json_is_refused(tmp_path):
    from convviz.recording import RecordingError, load_record, read_summary

    fifo = tmp_path / "run.npz"
    os.mkfifo(str(fifo))
    for read in (load_record, read_summary):
        with pytest.raises(RecordingError, match=r"run\.npz is not a file: it is a named pipe"):
            read(fifo)


# -- the CLI: one line, exit 2 --------------------------------------------------------------------------------
def test_the_cli_refuses_fifos_and_hostile_json_in_one_line(tmp_path, run_cli):
    pipe = tmp_path / "digit.png"
    os.mkfifo(str(pipe))
    for args in (
        ["classify", "--model", str(LENET5), str(pipe)],
        ["explain", "--model", str(LENET5), str(pipe), "--png", str(tmp_path / "out.png")],
    ):
        proc = run_cli(*args, check_rc=2)
        assert proc.stderr.strip().endswith("digit.png is not a file: it is a named pipe (FIFO)"), proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
    folder = _model_copy(tmp_path)
    (folder / "model.json").write_text(QUOTES)
    proc = run_cli("classify", "--model", str(folder), str(pipe), check_rc=2)
    assert "Unterminated string" in proc.stderr or "named pipe" in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_replay_refuses_a_record_whose_json_is_a_megabyte_of_quotes(tmp_path, run_cli):
    import io
    import zipfile

    meta = io.BytesIO()
    np.lib.format.write_array(meta, np.frombuffer(QUOTES.encode(), np.uint8))
    path = tmp_path / "quotes.npz"
    with zipfile.ZipFile(str(path), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("meta.npy", meta.getvalue())
    proc = run_cli("replay", str(path), check_rc=2)
    assert "has unreadable metadata (Unterminated string" in proc.stderr and len(proc.stderr.splitlines()) == 1


def test_mnist_files_and_save_folders_refuse_fifos(tmp_path):
    from convviz.mnistfiles import DataError, read_file
    from convviz.pretrained import judge_save_folder

    pipe = tmp_path / "train-labels-idx1-ubyte.gz"
    os.mkfifo(str(pipe))
    with pytest.raises(DataError, match=r"train-labels-idx1-ubyte\.gz is not a file: it is a named pipe"):
        read_file(pipe, "train-labels-idx1-ubyte.gz")
    folder = tmp_path / "model"
    folder.mkdir()
    os.mkfifo(str(folder / "model.json"))
    (folder / "weights.npz").write_bytes(b"")
    assert judge_save_folder(folder).kind == "refused"  # not taken for a model, and read without blocking
    (folder / "model.json").unlink()
    (folder / "model.json").write_text(QUOTES)
    assert judge_save_folder(folder).kind == "refused"
    (folder / "model.json").write_text(json.dumps({"format": "convviz-model", "arch": "lenet5"}))
    assert judge_save_folder(folder).kind == "model"


def test_a_model_json_arch_with_a_newline_is_one_line(tmp_path):
    # Found by tests/test_fuzz.py: the spec's error quoted the newline, so the error took two lines.
    folder = _model_copy(tmp_path)
    (folder / "model.json").write_text(json.dumps({"format": "convviz-model", "arch": "0\n0"}))
    with pytest.raises(ModelError) as info:
        load_meta(folder)
    assert "\n" not in str(info.value) and "control character" in str(info.value)
