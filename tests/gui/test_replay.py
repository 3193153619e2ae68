"""Replaying a recorded run in the window: a real small LeNet-5 record, the real window."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt5 import QtCore

from convviz.gui.jobs.replay import ReplayJob, shipped_runs
from convviz.gui.state import RunState
from convviz.playback import SPEEDS
from convviz.recording import RunStore, load_record
from tests.gui.recorded import record_small_run
from tests.gui.windows import open_windows

END_MS = 60_000


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    return record_small_run(tmp_path_factory.mktemp("rec"))


@pytest.fixture
def record(recorded):
    return load_record(recorded)


@pytest.fixture
def make_window(qtbot):
    yield from open_windows(qtbot)


def ended(window) -> bool:
    run = window.state.run
    return run is not None and not run.active


def test_a_record_replays_at_50x_to_the_end_with_the_same_curve_epochs_and_filters(qtbot, make_window, record):
    window = make_window("lenet5")
    stored_before = len(RunStore(window.controller.runs_dir).list())
    ticks = []
    timer = QtCore.QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    headers = []
    window.model_changed.connect(headers.append)
    job = window.replayer.play(record, 50)
    assert job is not None and job.replay_speed == 50
    qtbot.waitUntil(lambda: ended(window), timeout=END_MS)
    timer.stop()
    run = window.state.run
    assert run.state is RunState.FINISHED
    curve = run.losses()
    for name, column in record.losses.columns().items():
        np.testing.assert_array_equal(curve[name], column, err_msg=name)  # every point, exactly
    assert window.loss.point_count() == len(record.losses) == 20
    np.testing.assert_array_equal(window.loss.raw_curve.getData()[1], record.losses.losses)
    assert [(e.epoch, e.test_accuracy, e.examples_seen) for e in run.epochs] == [
        (e.epoch, e.test_accuracy, e.examples_seen) for e in record.epochs
    ]
    t = record.timeline
    np.testing.assert_array_equal(window.filters.shown_kernels("conv1"), t.kernels[-1].astype(np.float32))
    assert window.timeline.count() == len(t) and window.timeline.at_end()
    # The pad used the record's final weights: the run ends with them as the trained model.
    np.testing.assert_array_equal(window.state.model.weights["conv2/kernel"], record.final_weights["conv2/kernel"])
    assert ticks  # the GUI thread kept running its timers
    # The pad's header says it is a replay, never that the network is in training.
    assert headers and all("replay of lenet5" in h for h in headers) and "in training" not in "".join(headers)
    assert window.prediction.model_text().startswith("replay of lenet5")
    assert run.replayed and run.record_id is None  # a replay is a record already: not saved as a new run
    qtbot.wait(300)
    assert len(RunStore(window.controller.runs_dir).list()) == stored_before  # (other tests' runs may be there)


def test_pause_holds_and_a_new_speed_takes_effect(qtbot, make_window, record):
    window = make_window("lenet5")
    ticks = []
    timer = QtCore.QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    job = window.replayer.play(record, 1)
    first = float(record.losses.seconds[0])
    qtbot.waitUntil(lambda: window.state.run.steps_done >= 2, timeout=END_MS)
    window.controller.pause()
    qtbot.wait(200)  # the pause reaches the job's thread
    held = (window.state.run.steps_done, job.position)
    qtbot.wait(700)
    assert (window.state.run.steps_done, job.position) == held and window.state.run_state is RunState.PAUSED
    assert held[1] < record.losses.seconds[-1]
    # Step: exactly the next loss point.
    window.controller.step()
    qtbot.waitUntil(lambda: window.state.run_state is RunState.PAUSED and window.state.run.steps_done == held[0] + 1,
                    timeout=10_000)
    # 50x from here: the rest in a fraction of what 1x needs; the speed menu's choice reaches the job.
    window.replayer.set_speed(50)
    assert job.replay_speed == 50 and window.replayer.speed_actions[50].isChecked()
    window.controller.resume()
    qtbot.waitUntil(lambda: ended(window), timeout=END_MS)
    timer.stop()
    assert window.state.run.steps_done == len(record.losses) and first >= 0
    assert len(ticks) > 30  # a 10 ms timer kept ticking through a replay of more than a second


def test_stop_ends_a_replay_and_the_model_from_before_comes_back(qtbot, make_window, record):
    window = make_window("lenet5")
    before = window.state.model
    window.replayer.play(record, 1)
    qtbot.waitUntil(lambda: window.state.run.steps_done >= 1, timeout=END_MS)
    window.controller.stop()
    qtbot.waitUntil(lambda: ended(window), timeout=END_MS)
    assert window.state.run.steps_done < len(record.losses)
    assert window.state.model is before


def test_a_bad_record_gives_one_line_and_nothing_breaks(qtbot, make_window, tmp_path, recorded):
    window = make_window("lenet5")
    bad = tmp_path / "broken.convviz-run.npz"
    bad.write_bytes(recorded.read_bytes()[:5000])  # truncated
    with qtbot.waitSignal(window.error_shown, timeout=END_MS):
        window.replayer.open(bad)
    assert "broken.convviz-run.npz" in window.error_text() and "\n" not in window.error_text()
    assert window.state.run is None and not window.is_training()
    window.replayer.open(recorded, speed=50)  # a good one afterwards plays
    qtbot.waitUntil(lambda: ended(window), timeout=END_MS)
    assert window.state.run.state is RunState.FINISHED


def test_the_shipped_list_and_the_speeds(tmp_path, recorded):
    (tmp_path / "cnn.convviz-run.npz").write_bytes(recorded.read_bytes())
    (tmp_path / "bad.convviz-run.npz").write_bytes(b"not a zip")
    runs = shipped_runs(tmp_path)
    assert [p.name for p, _ in runs] == ["cnn.convviz-run.npz"] and "lenet5" in runs[0][1]
    assert SPEEDS == (1, 2, 5, 10, 20, 50)
    with pytest.raises(ValueError):
        ReplayJob(load_record(recorded), speed=0)
