"""Fuzzing the readers of outside files: every input gives the reader's one error type or a valid result.

The run-record reader, the class-set reader, the spec parser and model.json (and the bounded JSON under the
last two) each get hostile variations of a good input. About 15 s each here; more on demand with
``CONVVIZ_FUZZ_EXAMPLES=5000`` (examples per test). A crash found is kept below as an explicit case.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from convviz import classset as cs
from convviz import safejson
from convviz.errors import ConfigError
from convviz.model import ModelError, load_meta
from convviz.netspec import format_spec, get_spec, parse_spec
from convviz.recording import RecordingError, RunRecord, RunSummary, load_record, read_summary, save_record
from tests.conftest import ROOT
from tests.recordfakes import CUSTOM, make_record, write_members

_EXAMPLES = int(os.environ.get("CONVVIZ_FUZZ_EXAMPLES", "0") or 0)


def fuzz(examples: int):
    """Hypothesis settings: ``examples`` per test (about 15 s here), or CONVVIZ_FUZZ_EXAMPLES.

    The test command's run draws the same examples every time (``derandomize``): CI says the same of the
    same code, and a crash it finds is reproduced by running it again. CONVVIZ_FUZZ_EXAMPLES runs draw
    fresh random examples, to look further; add what they find as a regression case.
    """
    return settings(
        max_examples=_EXAMPLES or examples,
        derandomize=not _EXAMPLES,
        deadline=None,  # a shared CI machine: speed is not what is tested
        database=None,  # nothing written into the checkout
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
    )


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)


def _mutate(data: bytes, draw) -> bytes:
    """``data`` truncated, with bytes flipped, inserted or deleted, as ``draw`` chooses."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "splice"]))
        at = draw(st.integers(0, max(len(out) - 1, 0)))
        if op == "flip" and out:
            out[at] ^= draw(st.integers(1, 255))
        elif op == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del out[at : at + draw(st.integers(1, 64))]
        elif op == "truncate":
            del out[at:]
        elif op == "splice":  # a stretch copied over another: lengths and offsets that almost fit
            size = draw(st.integers(1, 32))
            source = draw(st.integers(0, max(len(out) - size, 0)))
            out[at : at + size] = out[source : source + size]
    return bytes(out)


# -- the spec parser -------------------------------------------------------------------------------------------
SPEC_ALPHABET = "convpoldensepad@x-/vs0123456789 \t\n\0LEN"


@fuzz(2500)
@given(st.one_of(st.text(alphabet=SPEC_ALPHABET, max_size=60), st.text(max_size=40)))
@example("pad8-conv512@1x1-conv512@1x1-pool8")
@example("conv8@3x3/0")
@example("conv99999999999999999999@3x3")
def test_the_spec_parser_gives_a_spec_or_a_config_error(text):
    try:
        spec = parse_spec(text)
    except ConfigError as exc:
        if text.isprintable():  # the message quotes the token as written
            assert "\n" not in str(exc)
        return
    assert get_spec(format_spec(spec)) == spec  # a spec it accepts is spelled so that it reads back the same


# -- bounded JSON -----------------------------------------------------------------------------------------------
@fuzz(1000)
@given(st.one_of(JSON_VALUES.map(lambda v: json.dumps(v).encode()), st.binary(max_size=200)))
def test_bounded_json_is_json_or_one_error(raw):
    try:
        value = safejson.loads(raw, 4096, 8)
    except safejson.JSONLimitError as exc:
        assert "\n" not in str(exc)
        return
    assert value == json.loads(raw.decode("utf-8"))


# -- model.json ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def model_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz") / "model"
    shutil.copytree(str(ROOT / "assets" / "models" / "lenet5"), str(folder))
    return folder


@fuzz(1200)
@given(st.data())
def test_model_json_gives_a_description_or_a_model_error(model_folder, data):
    good = json.loads((ROOT / "assets" / "models" / "lenet5" / "model.json").read_text())
    how = data.draw(st.sampled_from(["bytes", "value", "field"]))
    if how == "bytes":
        raw = _mutate(json.dumps(good).encode(), data.draw)
    elif how == "value":
        raw = json.dumps(data.draw(JSON_VALUES)).encode()
    else:
        key = data.draw(st.sampled_from([*sorted(good), "arch", "format"]))
        raw = json.dumps({**good, key: data.draw(JSON_VALUES)}).encode()
    (model_folder / "model.json").write_bytes(raw)
    try:
        meta = load_meta(model_folder)
    except ModelError as exc:
        assert "\n" not in str(exc)
        return
    assert isinstance(meta, dict) and isinstance(meta["arch"], str)


# -- run records ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def good_record(tmp_path_factory):
    record, _ = make_record(CUSTOM, steps=20, interval_steps=10)  # small: ~40 kB
    path = save_record(record, tmp_path_factory.mktemp("fuzz") / "good.npz")
    with zipfile.ZipFile(str(path)) as z:
        members = {info.filename: z.read(info) for info in z.infolist()}
    meta = json.loads(np.load(io.BytesIO(members["meta.npy"])).tobytes().decode())
    return _Good(path.read_bytes(), members, meta, path.parent)


class _Good(tuple):
    """The good record's bytes, members, metadata and folder; a short repr in a failing example's report."""

    def __new__(cls, *parts):
        return super().__new__(cls, parts)

    def __repr__(self) -> str:
        return "<the good record>"


def _read_both(path) -> None:
    for read, kind in ((read_summary, RunSummary), (load_record, RunRecord)):
        try:
            assert isinstance(read(path), kind)
        except RecordingError as exc:
            assert "\n" not in str(exc) and str(path) in str(exc)


def _meta_npy(text: bytes) -> bytes:
    f = io.BytesIO()
    np.lib.format.write_array(f, np.frombuffer(text, np.uint8))
    return f.getvalue()


def _set_path(meta, path: list, value):
    """``meta`` with the value at ``path`` (keys and list indices, as far as they lead) replaced."""
    meta = json.loads(json.dumps(meta))
    node = meta
    for step in path[:-1]:
        if isinstance(node, list):
            child = node[step % len(node)] if node and isinstance(step, int) else None
        else:
            child = node.get(step)
        if not isinstance(child, (dict, list)):
            break
        node = child
    if isinstance(node, dict):
        node[path[-1] if isinstance(path[-1], str) else "x"] = value
    elif node:
        node[0] = value
    return meta


@fuzz(900)
@given(st.data())
def test_the_record_reader_gives_a_record_or_a_recording_error(good_record, data):
    raw, members, meta, folder = good_record
    how = data.draw(st.sampled_from(["file", "member", "meta"]))
    if how == "file":
        content = _mutate(raw, data.draw)
    else:
        changed = dict(members)
        if how == "member":
            name = data.draw(st.sampled_from(sorted(members)))
            changed[name] = _mutate(members[name], data.draw)
        else:
            keys = [*sorted(meta), "config", "outcome", "timeline", "epochs"]
            path = data.draw(st.lists(st.sampled_from(keys) | st.integers(0, 3), min_size=1, max_size=3))
            text = json.dumps(_set_path(meta, path, data.draw(JSON_VALUES))).encode()
            changed["meta.npy"] = _meta_npy(text)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", data.draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))) as z:
            for name, value in changed.items():
                z.writestr(name, value)
        content = buffer.getvalue()
    path = folder / "fuzzed.npz"
    path.write_bytes(content)
    _read_both(path)


def test_a_member_from_a_future_zip_version_is_one_line_from_both_readers(good_record):
    # Found by the fuzz test above on Python 3.7: its zipfile raises NotImplementedError ("zip file
    # version 17.4") while it lists the members, past the reader's checks.
    raw, _members, _meta, folder = good_record
    content = bytearray(raw)
    entry = content.index(b"PK\x01\x02")  # the central directory's first entry
    content[entry + 6 : entry + 8] = (174).to_bytes(2, "little")  # "version needed to extract": 17.4
    path = folder / "future.npz"
    path.write_bytes(bytes(content))
    _read_both(path)


def test_a_member_header_numpy_cannot_tokenize_is_one_line_from_both_readers(tmp_path, good_record):
    # Found by the fuzz test above: numpy's header parser raised TokenError or SyntaxError past both readers.
    good_members = good_record[1]
    members = dict(good_members)
    members["meta.npy"] = members["meta.npy"].replace(b"'shape': (", b"'shape': ((", 1)
    path = write_members(tmp_path / "header.npz", members)
    for read in (read_summary, load_record):
        with pytest.raises(RecordingError, match=r"damaged|unreadable|not"):
            read(path)
    # and a member whose local header points past the end: zipfile's seek fails (OSError) in read_summary
    data = bytearray(write_members(tmp_path / "good.npz", good_members).read_bytes())
    start = data.index(b"PK\x01\x02")  # the first central directory entry: meta.npy's
    data[start + 42 : start + 46] = (2**31).to_bytes(4, "little")  # its local header offset
    cut = tmp_path / "offset.npz"
    cut.write_bytes(bytes(data))
    for read in (read_summary, load_record):
        with pytest.raises(RecordingError):
            read(cut)


# -- class sets -------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def drawing_bytes():
    from convviz import strokes

    image = strokes.drawn_digits(1, seed=0).images[0]
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(image, np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


NAMES = ["a.png", "b.png", "sub/c.png", "missing.png", "../x.png", "/abs.png", "labels.csv", "sub", "", " a.png"]
CELLS = st.one_of(st.sampled_from([*NAMES, "7", "0", "10", "-1", "x", '"', ","]), st.text(max_size=12))


@fuzz(700)
@given(st.data())
def test_the_class_set_reader_gives_a_set_or_a_class_set_error(tmp_path_factory, drawing_bytes, data):
    folder = tmp_path_factory.mktemp("set")
    (folder / "sub").mkdir()
    for name in ("a.png", "b.png", "sub/c.png"):
        content = drawing_bytes
        if data.draw(st.booleans()):
            content = _mutate(drawing_bytes, data.draw)
        (folder / name).write_bytes(content)
    if data.draw(st.booleans()):
        header = data.draw(st.sampled_from(["file,label", "label,file", "file,label,extra", "name,digit", ""]))
        rows = data.draw(st.lists(st.lists(CELLS, min_size=0, max_size=3), max_size=6))
        text = "\n".join([header, *(",".join(row) for row in rows)])
    else:
        text = _mutate(b"file,label\na.png,7\nb.png,1\nsub/c.png,3\n", data.draw).decode("utf-8", "replace")
    (folder / cs.LABELS_FILE).write_bytes(text.encode("utf-8"))
    try:
        loaded = cs.load_class_set(folder)
    except cs.ClassSetError as exc:
        assert "\n" not in str(exc)
        return
    assert loaded.images.shape == (len(loaded), 28, 28) and np.isfinite(loaded.images).all()
