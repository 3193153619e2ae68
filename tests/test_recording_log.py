"""The bounded snapshot log (recording.SnapshotLog): which frames it asks for, keeps and thins, its memory
bound, the timelines it hands out while it grows, and the growing loss series.
"""

from __future__ import annotations

import numpy as np
import pytest

from convviz import recording
from convviz.recording import MAX_SNAPSHOTS, Frame, SnapshotLog, timeline_layers
from tests.recordfakes import make_record, random_maps, random_weights


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
    w, maps = random_weights(arch, rng), random_maps(arch, rng)
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


# -- the timelines and loss series of a live run ----------------------------------------------------------
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
