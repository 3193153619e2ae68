"""Recorded runs without TensorFlow: the record file, the bounded snapshot log, the run store and the GIF.

Records here are made by hand in the shapes the real networks have (``weight_shapes`` is checked against
the TF graphs once); tests/test_cli_record.py records real training runs.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import sys
import time
import zipfile

import numpy as np
import pytest
from PIL import Image

from convviz import recording
from convviz.config import TrainConfig
from convviz.memory import parameter_count
from convviz.recording import (
    MAX_SNAPSHOTS,
    EpochSummary,
    Frame,
    LossCurve,
    Outcome,
    RecordingError,
    RunRecord,
    RunStore,
    SnapshotLog,
    filters_gif,
    load_record,
    read_summary,
    runs_dir,
    save_record,
    timeline_layers,
    weight_shapes,
)

CUSTOM = "conv8@3x3v/2-pool2-dense32"


def _weights(arch, rng):
    return {name: rng.normal(0, 0.1, shape).astype(np.float32) for name, shape in weight_shapes(arch).items()}


def _maps(arch, rng):
    lay = timeline_layers(arch)
    return None if lay.map_shape is None else rng.rand(*lay.map_shape).astype(np.float32) * 3


def make_record(arch="lenet5", steps=50, interval_steps=10, seed=0, weights=True, started_at=None, name=""):
    """A run of ``steps`` steps with a snapshot every ``interval_steps``: what a real one has, made by hand."""
    rng = np.random.RandomState(seed)
    config = TrainConfig(arch=arch, epochs=2, train_limit=steps * 32)
    train_size = steps * 32
    log = SnapshotLog(arch, probe_image=rng.rand(28, 28), probe_index=7, probe_label=3, interval=interval_steps)
    sources = []
    for step in range(steps + 1):
        if log.due(step):
            w, maps, p = _weights(arch, rng), _maps(arch, rng), rng.dirichlet(np.ones(10))
            log.add_weights(step, step * 64, step * 0.1, w, maps, p)
            sources.append((w, maps, p))
    losses = {
        "steps": np.arange(1, steps + 1),
        "examples_seen": np.arange(1, steps + 1) * 64,
        "losses": rng.rand(steps).astype(np.float32) + 0.1,
        "seconds": np.cumsum(rng.rand(steps)),
    }
    epochs = (EpochSummary(0, steps * 32, 0.91, 0.45, 2.5, 812.5), EpochSummary(1, steps * 64, 0.95, 0.2, 5.0, 830.0))
    outcome = Outcome("completed", 0.95, steps, steps * 64, 3.9, 6.2, 820.5, 1234567)
    record = RunRecord(
        arch=arch,
        config=config.to_dict(),
        train_size=train_size,
        total_steps=steps,
        losses=LossCurve.from_columns(losses),
        epochs=epochs,
        outcome=outcome,
        timeline=log.timeline(),
        final_weights=_weights(arch, rng) if weights else None,
        started_at=time.time() if started_at is None else started_at,
        name=name,
    )
    return record, sources


def assert_same(a: RunRecord, b: RunRecord):
    for name in ("arch", "train_size", "total_steps", "epochs", "outcome", "started_at", "name", "version"):
        assert getattr(a, name) == getattr(b, name), name
    assert dict(a.config) == dict(b.config)
    assert dict(a.versions) == dict(b.versions)
    for column in ("steps", "examples_seen", "losses", "seconds"):
        x, y = getattr(a.losses, column), getattr(b.losses, column)
        assert x.dtype == y.dtype and np.array_equal(x, y), column
    ta, tb = a.timeline, b.timeline
    assert (ta is None) == (tb is None)
    if ta is not None:
        for name in ("kernel_layer", "map_layer", "probe_index", "probe_label"):
            assert getattr(ta, name) == getattr(tb, name), name
        for name in ("steps", "examples_seen", "seconds", "kernels", "maps", "probabilities", "probe_image"):
            x, y = getattr(ta, name), getattr(tb, name)
            assert (x is None) == (y is None), name
            if x is not None:
                assert x.dtype == y.dtype and np.array_equal(x, y), name
    assert (a.final_weights is None) == (b.final_weights is None)
    if a.final_weights is not None:
        assert set(a.final_weights) == set(b.final_weights)
        for name, value in a.final_weights.items():
            assert b.final_weights[name].dtype == np.float32 and np.array_equal(value, b.final_weights[name])


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
def _members(path):
    with zipfile.ZipFile(str(path)) as z:
        return {info.filename: z.read(info) for info in z.infolist()}


def _write(path, members):
    with zipfile.ZipFile(str(path), "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


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
    return _members(path)


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
    path = _write(tmp_path / "bad.npz", members)
    _refused(path, pattern)


def test_the_good_members_load(tmp_path, good_members):
    load_record(_write(tmp_path / "good.npz", good_members))  # the rewriting itself breaks nothing


def test_damaged_files_are_refused_in_one_line(tmp_path, good_members):
    good = _write(tmp_path / "good.npz", good_members)
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
    path = _write(tmp_path / "big.npz", good_members)
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


# -- the snapshot log ------------------------------------------------------------------------------------------
def _run(log, steps, start=0, final=True):
    calls = 0
    for step in range(start, steps + 1):
        if log.due(step):
            calls += 1
            log.add(Frame(step, step * 64, step * 0.01, probabilities=np.full(10, 0.1, np.float32)))
    if final:
        log.finish(Frame(steps, steps * 64, steps * 0.01, probabilities=np.full(10, 0.1, np.float32)))
    return calls


def _check_even(steps, last):
    assert steps[0] == 0 and steps[-1] == last
    inner = np.diff(steps[:-1])  # every gap but the one before the newest, which may be shorter
    assert len(set(inner.tolist())) <= 1, inner
    assert np.diff(steps)[-1] <= (inner[0] if len(inner) else np.inf)


@pytest.mark.parametrize("steps", [10, 1000, 100_000])
def test_thinning_keeps_at_most_200_evenly_spaced_with_the_first_and_last(steps):
    log = SnapshotLog("lenet5")
    calls = _run(log, steps)
    kept = [f.step for f in log.frames]
    assert len(kept) <= MAX_SNAPSHOTS
    _check_even(np.array(kept), steps)
    if steps == 10:
        assert kept == list(range(11))  # nothing thinned
    else:
        assert len(kept) >= MAX_SNAPSHOTS // 2  # thinning halves, never more
    assert calls < 200 + 100 * np.log2(max(steps, 2))  # the log asks for few snapshots, not one per step


@pytest.mark.parametrize("steps", [10, 1000, 14070, 100_000])
def test_for_run_spreads_the_frames_without_thinning(steps):
    log = SnapshotLog.for_run("cnn", steps)
    calls = _run(log, steps)
    kept = [f.step for f in log.frames]
    assert calls == len(kept) - (kept[-1] - kept[-2] < log.interval) <= MAX_SNAPSHOTS
    assert len(kept) >= min(steps + 1, MAX_SNAPSHOTS // 2)
    _check_even(np.array(kept), steps)


def test_the_newest_frame_is_kept_while_the_run_goes_on():
    log = SnapshotLog("lenet5")
    for step in range(5000):
        if log.due(step):
            log.add(Frame(step, step, 0.0))
            assert log.frames[-1].step == step and log.frames[0].step == 0
            assert len(log) <= MAX_SNAPSHOTS


def test_a_log_that_starts_after_step_0_counts_from_its_first_frame():
    log = SnapshotLog("lenet5")
    _run(log, 3001, start=1, final=False)  # the Estimator has no weights before step 1
    kept = [f.step for f in log.frames]
    assert kept[0] == 1 and 0 <= 3001 - kept[-1] < log.interval and len(kept) <= MAX_SNAPSHOTS
    assert set(np.diff(kept).tolist()) == {log.interval}


def test_frames_not_due_and_after_the_end_are_ignored():
    log = SnapshotLog("lenet5", interval=5)
    assert log.add(Frame(0, 0, 0.0)) and not log.add(Frame(3, 0, 0.0)) and log.add(Frame(5, 0, 0.0))
    assert not log.add(Frame(5, 0, 0.0))  # not newer
    log.finish(Frame(7, 0, 0.0))
    assert [f.step for f in log.frames] == [0, 5, 7] and not log.due(10) and not log.add(Frame(10, 0, 0.0))


@pytest.mark.parametrize(
    ("arch", "capacity", "frame_kb"),
    [("cnn", 200, 103), ("template", 200, 103), ("lenet5", 200, 9), ("dense", 70, 470)],
)
def test_the_log_memory_is_bounded(arch, capacity, frame_kb):
    rng = np.random.RandomState(0)
    log = SnapshotLog(arch)
    assert log.capacity == capacity
    assert log.layers.frame_bytes // 1000 == frame_kb
    w, maps = _weights(arch, rng), _maps(arch, rng)
    for step in range(3 * capacity):
        if log.due(step):
            log.add_weights(step, step, 0.0, w, maps, np.full(10, 0.1))
    assert len(log) <= capacity and log.nbytes <= recording.SNAPSHOT_BUDGET
    for frame in log.frames:
        assert frame.kernels.dtype == np.float16 and frame.probabilities.dtype == np.float16


def test_the_largest_frames_are_clipped_and_the_log_stays_within_its_budget():
    wide = "conv512@11x11-dense16"  # 28x28x512 maps: the first 167 channels are kept
    lay = timeline_layers(wide)
    assert lay.kernel_shape == (11, 11, 1, 512) and lay.map_shape == (28, 28, 167)
    log = SnapshotLog(wide)
    assert (
        recording.MIN_SNAPSHOTS <= log.capacity and log.capacity * log.layers.frame_bytes <= recording.SNAPSHOT_BUDGET
    )
    dense = timeline_layers("dense4096-dense64")
    assert dense.kernel_shape == (784, 512) and dense.map_layer is None
    assert timeline_layers("pool2-dense64").kernel_layer is None  # no image-fed layer to show


def test_values_beyond_float16_and_nan_are_made_finite():
    log = SnapshotLog("lenet5")
    kernel = np.zeros((5, 5, 1, 6), np.float32)
    kernel[0, 0, 0, 0], kernel[1, 1, 0, 1] = 1e9, np.nan
    log.add_weights(0, 0, 0.0, {"conv1/kernel": kernel})
    k = log.frames[0].kernels
    assert np.isfinite(k).all() and k[0, 0, 0, 0] == np.finfo(np.float16).max and k[1, 1, 0, 1] == 0


def test_timeline_lookups():
    record, _ = make_record(steps=50, interval_steps=10)
    t = record.timeline
    assert t.index_at(0) == 0 and t.index_at(9) == 0 and t.index_at(10) == 1 and t.index_at(10_000) == len(t) - 1
    assert t.index_at_seconds(2.05) == 2 and t.frame(2).step == 20


# -- the run store -----------------------------------------------------------------------------------------
def test_runs_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("CONVVIZ_RUNS_DIR", str(tmp_path / "runs"))
    assert runs_dir() == tmp_path / "runs"
    monkeypatch.delenv("CONVVIZ_RUNS_DIR")
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert runs_dir() == tmp_path / "data" / "convviz" / "runs"
    monkeypatch.setenv("XDG_DATA_HOME", "relative")  # ignored, as the XDG spec says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert runs_dir() == tmp_path / "home" / ".local" / "share" / "convviz" / "runs"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert runs_dir() == tmp_path / "home" / "Library" / "Application Support" / "convviz" / "runs"


def test_store_lists_loads_and_deletes(monkeypatch, tmp_path):
    monkeypatch.setenv("CONVVIZ_RUNS_DIR", str(tmp_path / "runs"))
    store = RunStore()
    assert store.folder == tmp_path / "runs" and store.list() == []
    now = time.time()
    records = [make_record(seed=i, started_at=now - 100 * (3 - i), name=f"run {i}")[0] for i in range(3)]
    saved = []
    for r in records:
        stored, evicted = store.save(r)
        assert evicted == []
        saved.append(stored)
    listed = RunStore().list()  # a new store on the same folder: what survives a restart
    assert [s.summary.name for s in listed] == ["run 2", "run 1", "run 0"]  # newest first
    assert [s.id for s in listed] == [s.id for s in reversed(saved)]
    assert listed[0].summary == records[2].summary()
    assert_same(records[1], store.load(listed[1].id))
    store.delete(listed[1].id)
    assert [s.summary.name for s in store.list()] == ["run 2", "run 0"]
    with pytest.raises(RecordingError, match="is not stored"):
        store.delete(listed[1].id)
    for bad in ("../../etc/passwd", "x", ""):
        with pytest.raises(RecordingError, match="is not the id of a stored run"):
            store.load(bad)


def test_store_bounds_remove_the_oldest(tmp_path):
    now = time.time()
    store = RunStore(tmp_path, max_runs=2)
    a, b, c = (make_record(seed=i, started_at=now + i, name=n)[0] for i, n in enumerate("abc"))
    store.save(a)
    store.save(b)
    _, evicted = store.save(c)
    assert [e.summary.name for e in evicted] == ["a"]
    assert [s.summary.name for s in store.list()] == ["c", "b"]
    # by bytes: room for about two records
    size = store.list()[0].size
    small = RunStore(tmp_path, max_runs=50, max_bytes=int(2.5 * size))
    _, evicted = small.save(make_record(seed=9, started_at=now + 10, name="d")[0])
    assert [e.summary.name for e in evicted] == ["b"]
    assert [s.summary.name for s in small.list()] == ["d", "c"] and small.total_bytes() <= 2.5 * size
    # a record larger than the whole store is refused, and nothing is removed for it
    tiny = RunStore(tmp_path, max_bytes=size // 2)
    with pytest.raises(RecordingError, match="more than the store's"):
        tiny.save(make_record(seed=10, name="e")[0])
    assert [s.summary.name for s in tiny.list()] == ["d", "c"]


def test_store_skips_unreadable_files(tmp_path):
    store = RunStore(tmp_path)
    stored, _ = store.save(make_record()[0])
    junk = tmp_path / ("20200101-000000-abcdef" + recording.SUFFIX)
    junk.write_bytes(b"not a record")
    (tmp_path / "notes.txt").write_text("left alone")
    assert [s.id for s in store.list()] == [stored.id]
    assert store.unreadable == [junk] and junk.exists()


# -- the GIF ------------------------------------------------------------------------------------------------
def _gif_frames(path):
    with Image.open(str(path)) as im:
        assert im.format == "GIF"
        frames = []
        for i in range(im.n_frames):
            im.seek(i)
            frames.append(np.array(im.convert("RGB")))
        return frames


@pytest.mark.parametrize("arch", ["lenet5", "cnn", "dense"])
def test_gif_has_one_frame_per_snapshot(tmp_path, arch):
    record, _ = make_record(arch)
    path = filters_gif(record, tmp_path / "t.gif")
    frames = _gif_frames(path)
    assert len(frames) == len(record.timeline) == 6
    h, w, _ = frames[0].shape
    assert max(h, w) <= 512 + recording.CAPTION_PX and min(h, w) >= 40
    assert all(f.shape == frames[0].shape for f in frames)
    # different weights give different pictures; the caption changes with the step
    assert not np.array_equal(frames[0], frames[-1])
    # the diverging colour map: positive weights red, negative ones blue, the strongest dark
    rgb = frames[0].reshape(-1, 3).astype(int)
    red, blue = rgb[:, 0] - rgb[:, 2], rgb[:, 2] - rgb[:, 0]
    assert (red > 60).mean() > 0.1 and (blue > 60).mean() > 0.1
    assert (rgb.sum(axis=1)[(red > 60) | (blue > 60)] < 250).any()


def test_gif_frames_are_bounded_and_keep_first_and_last(tmp_path):
    log = SnapshotLog("lenet5")
    rng = np.random.RandomState(0)
    for step in range(150):
        log.add_weights(step, step, 0.0, _weights("lenet5", rng))
    path = filters_gif(log, tmp_path / "live.gif", max_frames=10, max_side=100, train_size=640)  # a live run's log
    frames = _gif_frames(path)
    assert len(frames) == 10 and max(frames[0].shape[:2]) <= 120
    full = _gif_frames(filters_gif(log, tmp_path / "all.gif", max_side=100, train_size=640))
    assert len(full) == len(log) == 150
    assert np.array_equal(frames[0], full[0]) and np.array_equal(frames[-1], full[-1])
    with pytest.raises(RecordingError, match="number of frames must be from 1 to"):
        filters_gif(log, tmp_path / "x.gif", max_frames=10_000)


def test_gif_refuses_what_it_cannot_draw(tmp_path):
    record, _ = make_record()
    bare = RunRecord(**{**record.__dict__, "timeline": None})
    with pytest.raises(RecordingError, match="has no filter timeline"):
        filters_gif(bare, tmp_path / "x.gif")
    with pytest.raises(RecordingError, match="does not exist"):
        filters_gif(record, tmp_path / "nope" / "x.gif")
    assert not list(tmp_path.iterdir())


# -- the window's run -> a record -> the store -> back (run history survives a restart) ---------------------------
def test_a_window_run_survives_a_restart(tmp_path, monkeypatch):
    from convviz import events
    from convviz.gui.state import AppState

    monkeypatch.setenv("CONVVIZ_RUNS_DIR", str(tmp_path))
    rng = np.random.RandomState(0)
    config = TrainConfig(arch="lenet5", batch_size=32, epochs=1, optimizer="sgd", learning_rate=0.05)
    state = AppState()
    run = state.begin_run(config, train_size=320, total_steps=10)
    log = SnapshotLog.for_run("lenet5", 10)
    losses = rng.rand(10).astype(np.float32)
    for steps in (np.arange(1, 5), np.arange(5, 11)):  # two chunks, as the worker sends them
        chunk = events.LossChunk(run.id, steps, steps * 32, losses[steps - 1], steps * 0.05)
        state.add_losses(chunk)
        for step in steps:
            if log.due(int(step)):
                log.add_weights(int(step), int(step) * 32, step * 0.05, _weights("lenet5", rng), _maps("lenet5", rng))
    state.add_epoch(events.EpochReport(run.id, 0, float(losses.mean()), 0.62, 320, 700.0, 0.6))
    weights = _weights("lenet5", rng)
    state.finish(events.RunOutcome(run.id, events.RunStatus.COMPLETED, weights, 0.625, 320, 0.45))
    record = recording.record_from_run(run, log.timeline(), memory_bytes=1000)

    stored, _ = RunStore().save(record)
    (kept,) = RunStore().list()  # a fresh store: as after a restart
    assert kept.id == stored.id
    back = RunStore().load(kept.id)
    assert_same(record, back)
    assert back.train_config() == config
    assert list(back.losses.steps) == list(range(1, 11)) and np.array_equal(back.losses.losses, losses)
    assert np.array_equal(back.losses.seconds, run.losses()["seconds"])
    assert back.epochs[0].test_accuracy == 0.62 and back.outcome.status == "completed"
    assert back.outcome.test_accuracy == 0.625 and back.outcome.images_per_second == pytest.approx(320 / 0.45)
    assert all(np.array_equal(back.final_weights[k], v) for k, v in weights.items())
    assert kept.summary.best_accuracy == 0.625 and kept.summary.steps == 10
    with pytest.raises(ValueError, match="has not ended"):
        recording.record_from_run(state.begin_run(config, 320, 10))


def test_live_timeline_grows_without_changing_what_it_handed_out():
    """timeline() reuses its buffers while frames are added; earlier timelines keep their values, and
    every timeline equals a fresh stack of the frames (also across a thinning and a finish)."""
    from convviz.recording import Frame, SnapshotLog

    log_ = SnapshotLog("cnn", capacity=16, interval=1)
    layers = log_.layers
    rng = np.random.RandomState(0)

    def frame(step):
        return Frame(
            step,
            step * 64,
            step * 0.1,
            rng.rand(*layers.kernel_shape).astype(np.float16),
            rng.rand(*layers.map_shape).astype(np.float16),
            rng.rand(10).astype(np.float16),
        )

    handed_out = []
    for step in range(40):
        log_.add(frame(step))
        timeline = log_.timeline()
        expected = np.stack([f.maps for f in log_.frames])
        np.testing.assert_array_equal(timeline.maps, expected)
        np.testing.assert_array_equal(timeline.kernels, np.stack([f.kernels for f in log_.frames]))
        assert not timeline.maps.flags.writeable
        if 0 < step < 16:  # before the first thinning: the new frame was added to the same buffer
            assert np.shares_memory(timeline.maps, handed_out[-1][0].maps)
        handed_out.append((timeline, expected.copy()))
    log_.finish(frame(45))
    np.testing.assert_array_equal(log_.timeline().maps, np.stack([f.maps for f in log_.frames]))
    for timeline, expected in handed_out:  # nothing written later reached an earlier timeline
        np.testing.assert_array_equal(timeline.maps, expected)
    assert len(log_) <= 16 and log_.interval > 1  # it was thinned on the way


def test_a_loss_series_grows_in_place_and_its_views_stay_true():
    series = recording.LossSeries(capacity=4)
    series.append([1, 2, 3], [32, 64, 96], np.float32([2.0, 1.5, 1.2]), [0.1, 0.2, 0.3])
    early = series.view("losses")
    block = series._columns[2]
    series.append([4], [128], np.float32([1.0]), [0.4])  # room left: the same block, written past the end
    assert series._columns[2] is block and np.shares_memory(series.view("losses"), early)
    series.append(np.arange(5, 11), 32 * np.arange(5, 11), np.full(6, 0.5, np.float32), 0.1 * np.arange(5, 11))
    assert series.capacity == 10 and series._columns[2] is not block  # full: a block twice the size
    np.testing.assert_array_equal(early, np.float32([2.0, 1.5, 1.2]))  # a view taken earlier still shows its points
    curve = series.curve()  # frozen without a copy, in the record's dtypes
    assert all(np.shares_memory(curve.view(n), series.view(n)) for n in recording.LossSeries.NAMES)
    assert [curve.view(n).dtype for n in series.NAMES] == [np.int64, np.int64, np.float32, np.float64]
    assert not curve.losses.flags.writeable and len(curve) == 10 and series.last("steps") == 10
    with pytest.raises(ValueError, match="differ in length"):
        series.append([11], [352, 384], [0.4], [1.1])
    assert len(series) == 10
