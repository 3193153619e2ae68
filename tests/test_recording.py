"""Recorded runs without TensorFlow: the record file, and hostile or damaged files refused in one line.

Records are made by hand (tests/recordfakes.py); the snapshot log is tested in
tests/test_recording_log.py, the run store and the GIF in tests/test_recording_store.py.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import zipfile

import numpy as np
import pytest

from convviz import recording
from convviz.memory import parameter_count
from convviz.recording import (
    LossCurve,
    RecordingError,
    RunRecord,
    load_record,
    read_summary,
    save_record,
    timeline_layers,
    weight_shapes,
)
from tests.recordfakes import CUSTOM, assert_same, make_record, read_members, write_members


# -- the record file ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("arch", ["lenet5", "cnn", "dense", CUSTOM])
def test_round_trip_keeps_every_field(tmp_path, arch):
    record, sources = make_record(arch, name="batch 64, adam")
    path = save_record(record, tmp_path / f"run{recording.SUFFIX}")
    loaded = load_record(path)
    assert_same(record, loaded)
    # the snapshots are float16 copies of what was given, within float16's precision
    t = loaded.timeline
    lay = timeline_layers(arch)
    assert len(t) == len(sources) == 6 and list(t.steps) == [0, 10, 20, 30, 40, 50]
    for i, (w, maps, p) in enumerate(sources):
        kernel = w[f"{lay.kernel_layer}/kernel"]
        np.testing.assert_allclose(
            t.kernels[i].astype(np.float32), kernel[..., : t.kernels.shape[-1]], rtol=1e-3, atol=1e-4
        )
        np.testing.assert_allclose(t.probabilities[i].astype(np.float32), p, rtol=1e-3, atol=1e-4)
        if maps is None:
            assert t.maps is None
        else:
            np.testing.assert_allclose(t.maps[i].astype(np.float32), maps, rtol=1e-3, atol=1e-3)
    # plain numpy reads it too, without pickles
    with np.load(str(path), allow_pickle=False) as arrays:
        meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
        assert meta["format"] == "convviz-run" and meta["format_version"] == 1 and meta["arch"] == arch
        assert all(arrays[name].dtype != object for name in arrays.files)


def test_summary_is_read_from_the_metadata_alone(tmp_path):
    record, _ = make_record("cnn", name="mine")
    path = save_record(record, tmp_path / "a.npz")
    summary = read_summary(path)
    assert summary == record.summary()
    assert summary.arch == "cnn" and summary.name == "mine" and summary.status == "completed"
    assert summary.best_accuracy == 0.95 and summary.epochs == 2 and summary.frames == 6 and summary.has_weights
    assert summary.parameters == parameter_count("cnn")
    assert summary.seconds_per_epoch == pytest.approx(3.9 * record.train_size / (50 * 64))
    assert summary.memory_bytes == 1234567


def test_record_without_weights_or_timeline(tmp_path):
    record, _ = make_record("lenet5", weights=False)
    bare = RunRecord(**{**record.__dict__, "timeline": None})
    for r in (record, bare):
        loaded = load_record(save_record(r, tmp_path / "r.npz"))
        assert_same(r, loaded)


def test_weight_shapes_are_the_graphs():
    from convviz.model import expected_shapes

    for arch in ("dense", "cnn", "lenet5", "template", CUSTOM, "pad2-conv6@5x5v-pool2-conv16@5x5v/2-dense84"):
        assert weight_shapes(arch) == expected_shapes(arch), arch


def test_save_refuses_a_bad_record_and_a_bad_place(tmp_path):
    record, _ = make_record()
    broken = RunRecord(
        **{
            **record.__dict__,
            "losses": LossCurve.from_columns(
                {**record.losses.columns(), "losses": np.r_[np.nan, record.losses.losses[1:]]}
            ),
        }
    )
    with pytest.raises(RecordingError, match=r"^cannot save the run to .*r\.npz: the loss curve's losses hold NaN"):
        save_record(broken, tmp_path / "r.npz")
    assert not (tmp_path / "r.npz").exists()
    with pytest.raises(RecordingError, match="does not exist"):
        save_record(record, tmp_path / "no" / "r.npz")
    with pytest.raises(RecordingError, match="is a folder"):
        save_record(record, tmp_path)
    assert os.listdir(str(tmp_path)) == []  # no temporary file left behind


def test_a_write_replaces_the_file_whole(tmp_path, monkeypatch):
    a, _ = make_record(seed=1)
    b, _ = make_record(seed=2)
    path = save_record(a, tmp_path / "r.npz")

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np.lib.format, "write_array", full_disk)
    with pytest.raises(RecordingError, match=r"cannot save the run to .*: No space left on device$"):
        save_record(b, path)
    monkeypatch.undo()
    assert_same(a, load_record(path))  # the old record, intact
    assert sorted(os.listdir(str(tmp_path))) == ["r.npz"]


# -- hostile and damaged files: each refused in one line naming the file --------------------------------------


def _npy(array, allow_pickle=False):
    f = io.BytesIO()
    np.lib.format.write_array(f, array, allow_pickle=allow_pickle)
    return f.getvalue()


def _meta(members):
    return json.loads(np.load(io.BytesIO(members["meta.npy"])).tobytes().decode())


def _with_meta(members, meta_text):
    return {**members, "meta.npy": _npy(np.frombuffer(meta_text.encode(), np.uint8))}


def _huge_header(shape, dtype="<f4"):
    """An .npy header that declares ``shape`` but carries almost no data."""
    header = f"{{'descr': '{dtype}', 'fortran_order': False, 'shape': {shape!r}, }}"
    header += " " * (63 - (len(header) + 10) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() + b"\0" * 64


def _hostile(members):
    m = _meta(members)
    object_array = np.empty(3, dtype=object)
    object_array[:] = [{"a": 1}, [1], "x"]
    nan_losses = np.load(io.BytesIO(members["loss_values.npy"])).copy()
    nan_losses[3] = np.nan
    deep = "[" * 100 + "]" * 100
    return {
        "object array (a pickle)": (
            {**members, "loss_values.npy": _npy(object_array, allow_pickle=True)},
            "loss_values holds object, not float32",
        ),
        "wrong version": (_with_meta(members, json.dumps({**m, "format_version": 99})), "format version 99; .*newer"),
        "not a record": (_with_meta(members, json.dumps({**m, "format": "other"})), "is not a ConvViz run record"),
        "mismatched lengths": (
            {**members, "loss_values.npy": _npy(np.zeros(49, np.float32))},
            r"loss_values has shape \(49,\), expected \(50,\)",
        ),
        "huge declared shape": (
            {**members, "frame_maps.npy": _huge_header((6, 10**6, 10**6, 6), "<f2")},
            "frame_maps declares|frame_maps has shape",
        ),
        "huge loss count": (_with_meta(members, json.dumps({**m, "loss_points": 10**12})), "10+ points, not 0 to"),
        "NaN in losses": ({**members, "loss_values.npy": _npy(nan_losses)}, "losses hold NaN or infinite values"),
        "NaN in the JSON": (
            _with_meta(members, json.dumps({**m, "started_at": float("nan")})),
            "unreadable metadata .*NaN is not a JSON number",
        ),
        "deep JSON": (_with_meta(members, json.dumps({**m, "name": "x"})[:-1] + ', "x": ' + deep + "}"), "nested more"),
        "a member that is not an array": ({**members, "evil.pkl": pickle.dumps(object())}, "'evil.pkl'.* not an array"),
        "an extra array": ({**members, "extra.npy": _npy(np.zeros(3))}, "not part of a run record: extra"),
        "missing array": ({k: v for k, v in members.items() if k != "loss_steps.npy"}, "lacks the array loss_steps"),
        "float32 snapshots": (
            {**members, "frame_kernels.npy": _npy(np.zeros((6, 5, 5, 1, 6), np.float32))},
            "frame_kernels holds float32, not float16",
        ),
        "wrong weight shape": (
            {**members, "weight.conv1.kernel.npy": _npy(np.zeros((3, 3, 1, 6), np.float32))},
            r"weight.conv1.kernel has shape \(3, 3, 1, 6\), expected \(5, 5, 1, 6\)",
        ),
        "steps out of order": (
            {**members, "loss_steps.npy": _npy(np.arange(50, 0, -1).astype(np.int64))},
            "steps are not increasing",
        ),
        "bad config": (
            _with_meta(members, json.dumps({**m, "config": {**m["config"], "batch_size": -3}})),
            "batch size must be between",
        ),
        "bad arch": (_with_meta(members, json.dumps({**m, "arch": "conv99999@3x3"})), "number of filters"),
        "wrong type in the outcome": (
            _with_meta(members, json.dumps({**m, "outcome": {**m["outcome"], "steps": "many"}})),
            "the outcome: steps is missing or not a whole number",
        ),
        "probabilities out of range": (
            {**members, "frame_probabilities.npy": _npy(np.full((6, 10), 7, np.float16))},
            "probabilities are not from 0 to 1",
        ),
    }


HOSTILE_CASES = [
    "object array (a pickle)",
    "wrong version",
    "not a record",
    "mismatched lengths",
    "huge declared shape",
    "huge loss count",
    "NaN in losses",
    "NaN in the JSON",
    "deep JSON",
    "a member that is not an array",
    "an extra array",
    "missing array",
    "float32 snapshots",
    "wrong weight shape",
    "steps out of order",
    "bad config",
    "bad arch",
    "wrong type in the outcome",
    "probabilities out of range",
]


@pytest.fixture(scope="module")
def good_members(tmp_path_factory):
    record, _ = make_record("lenet5")
    path = save_record(record, tmp_path_factory.mktemp("good") / "good.npz")
    return read_members(path)


def _refused(path, pattern):
    with pytest.raises(RecordingError) as info:
        load_record(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message, message
    assert __import__("re").search(pattern, message), message
    return message


@pytest.mark.parametrize("case", HOSTILE_CASES)
def test_hostile_files_are_refused_in_one_line(tmp_path, good_members, case):
    members, pattern = _hostile(good_members)[case]
    path = write_members(tmp_path / "bad.npz", members)
    _refused(path, pattern)


def test_the_good_members_load(tmp_path, good_members):
    load_record(write_members(tmp_path / "good.npz", good_members))  # the rewriting itself breaks nothing


def test_damaged_files_are_refused_in_one_line(tmp_path, good_members):
    good = write_members(tmp_path / "good.npz", good_members)
    data = good.read_bytes()
    for size in (10, len(data) // 2, len(data) - 30):
        truncated = tmp_path / f"cut{size}.npz"
        truncated.write_bytes(data[:size])
        _refused(truncated, "not a zip|damaged|truncated|lacks")
    text = tmp_path / "text.npz"
    text.write_text("hello")
    _refused(text, "not a ConvViz run record")
    pickled = tmp_path / "pickle.npz"
    pickled.write_bytes(pickle.dumps({"meta": 1}))
    _refused(pickled, "not a ConvViz run record")
    _refused(tmp_path / "missing.npz", "does not exist")
    _refused(tmp_path, "is not a file|not a ConvViz")
    # a flipped byte inside a deflated array: zlib or the CRC notices
    flipped = bytearray(data)
    with zipfile.ZipFile(str(good)) as z:
        info = z.getinfo("loss_seconds.npy")
    flipped[info.header_offset + 30 + len(info.filename) + 40] ^= 0xFF
    damaged = tmp_path / "flipped.npz"
    damaged.write_bytes(bytes(flipped))
    _refused(damaged, "damaged|Bad CRC|not|hold")


def test_the_file_size_is_bounded_before_reading(tmp_path, good_members, monkeypatch):
    path = write_members(tmp_path / "big.npz", good_members)
    monkeypatch.setattr(recording.fileformat, "MAX_FILE_BYTES", 1000)
    _refused(path, "more than a run record may")


def test_a_zip_bomb_member_is_refused_by_its_declared_size(tmp_path, good_members):
    bomb = _npy(np.zeros(50_000_000, np.float32))  # 200 MB of zeros, deflated to ~200 kB
    path = tmp_path / "bomb.npz"
    with zipfile.ZipFile(str(path), "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in good_members.items():
            z.writestr(name, bomb if name == "loss_values.npy" else data)
    assert path.stat().st_size < 2_000_000
    _refused(path, "loss_values declares")
