"""The run store (recording.RunStore), a window's run through it and back after a restart, and the
filters GIF drawn from a record or a live snapshot log.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pytest
from PIL import Image

from convviz import recording
from convviz.config import TrainConfig
from convviz.recording import RecordingError, RunRecord, RunStore, SnapshotLog, filters_gif, runs_dir
from tests.recordfakes import assert_same, make_record, random_maps, random_weights


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
        log.add_weights(step, step, 0.0, random_weights("lenet5", rng))
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
                log.add_weights(
                    int(step), int(step) * 32, step * 0.05, random_weights("lenet5", rng), random_maps("lenet5", rng)
                )
    state.add_epoch(events.EpochReport(run.id, 0, float(losses.mean()), 0.62, 320, 700.0, 0.6))
    weights = random_weights("lenet5", rng)
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
