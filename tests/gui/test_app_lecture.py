"""The window in a lecture: one weight update at a time (Step), slow motion, the space bar, Save… into a new folder.

Offscreen, with real MNIST slices and the pretrained LeNet-5; assertions are on
data (curve points, filter mosaics, probabilities, run states, files), not on
pixels or wall time.
"""

from __future__ import annotations

import datetime

import numpy as np
import pytest
from PyQt5 import QtCore, QtWidgets
from PyQt5.QtTest import QTest

from convviz.config import BATCHINGS, TrainConfig
from convviz.gui.state import RunState
from tests.gui.windows import RUN_MS, draw, use_small_data


def wait_state(qtbot, window, state: RunState, timeout: int = RUN_MS) -> None:
    qtbot.waitUntil(lambda: window.state.run_state is state, timeout=timeout)


def step_and_wait(qtbot, window, config=None) -> None:
    with qtbot.waitSignal(window.snapshot_shown, timeout=RUN_MS):
        window.step(config)
    wait_state(qtbot, window, RunState.PAUSED)


def looks(window) -> tuple:
    """What a step should change: the loss curve, the filters and the pad's probabilities."""
    # The kernels the filters panel shows (its mosaic's layout may change once the timeline row appears under it).
    shown = np.array(window.filters.shown_kernels("conv1"), dtype=np.float32)
    return window.loss.point_count(), shown, window.prediction.probabilities().copy()


@pytest.mark.parametrize("batching", BATCHINGS)
def test_each_step_adds_one_loss_point_and_moves_the_filters_and_the_pad(make_window, qtbot, mnist, batching):
    window = make_window(arch="lenet5")
    use_small_data(window, mnist, train=640, test=200)
    window.show_panel("filters")  # in front: a panel behind a tab is not drawn while a run trains
    with qtbot.waitSignal(window.prediction_shown, timeout=5000):
        draw(window)
    points, filters, probabilities = looks(window)
    assert points == 0
    config = TrainConfig(arch="lenet5", batching=batching, batch_size=64, epochs=1, seed=2)
    step_and_wait(qtbot, window, config)  # no run yet: Step starts one that takes one batch and pauses
    assert window.state.run.steps_done == 1 and window.loss.point_count() == 1
    assert window.controls.is_paused() and window.controls.step_button.isEnabled()
    for n in (2, 3):
        before = looks(window)
        step_and_wait(qtbot, window)
        points, filters, probabilities = looks(window)
        assert points == before[0] + 1 == n and window.state.run.steps_done == n  # exactly one more point
        assert not np.allclose(np.nan_to_num(filters), np.nan_to_num(before[1]))  # the filters moved
        assert not np.allclose(probabilities, before[2])  # and the pad's probabilities shifted
        assert window.model().step == n  # the pad's network is the one after this batch
    qtbot.wait(300)
    assert window.loss.point_count() == 3 and window.state.run_state is RunState.PAUSED  # held
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS) as finished:
        window.stop()
    assert finished.args[0].steps_done == 3


def test_space_pauses_and_resumes_but_types_in_a_spin_box(make_window, qtbot, mnist):
    window = make_window(arch="lenet5")
    use_small_data(window, mnist, train=2000, test=200)
    window.controls.set_speed(2.0)  # slow enough that the run is still going when the keys come
    window.start_training(TrainConfig(arch="lenet5", batch_size=32, epochs=1))
    qtbot.waitUntil(lambda: window.loss.point_count() >= 1, timeout=RUN_MS)
    window.activateWindow()
    qtbot.waitUntil(lambda: QtWidgets.QApplication.activeWindow() is window, timeout=5000)
    window.drawpad.canvas.setFocus()
    QTest.keyClick(window.drawpad.canvas, QtCore.Qt.Key_Space)
    assert window.state.run_state is RunState.PAUSED and window.controls.pause_button.text() == "Resume"
    window.controls.stop_button.setFocus()  # a focused button does not take the space bar
    QTest.keyClick(window.controls.stop_button, QtCore.Qt.Key_Space)
    assert window.state.run_state is RunState.RUNNING and window.is_training()

    window.show_panel("feature maps")
    spin = window.featuremaps.index_spin
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus, timeout=5000)
    QTest.keyClick(spin, QtCore.Qt.Key_Space)
    assert window.state.run_state is RunState.RUNNING  # typing in a spin box
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.stop()
    QTest.keyClick(window.drawpad.canvas, QtCore.Qt.Key_Space)  # no run: nothing to pause
    assert window.state.run_state is RunState.FINISHED


def test_slow_motion_shows_every_batch_and_the_speed_changes_during_the_run(make_window, qtbot, mnist):
    window = make_window(arch="lenet5")
    use_small_data(window, mnist, train=2000, test=200)
    window.controls.set_speed(5.0)
    assert window.controller.speed == 5.0  # kept for the next run, also while idle
    shown = []
    window.snapshot_shown.connect(shown.append)
    window.start_training(TrainConfig(arch="lenet5", batch_size=250, epochs=1))  # 8 batches
    qtbot.waitUntil(lambda: window.loss.point_count() >= 3, timeout=RUN_MS)
    job = window.controller._train_job
    assert job.speed == 5.0
    window.controls.set_speed(20.0)
    assert job.speed == 20.0  # at once, during the run
    window.controls.set_speed(5.0)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        pass
    assert shown == list(range(1, 9))  # at 5 batches a second, every batch's weights reached the panels


def test_save_refuses_a_folder_of_other_files_and_writes_nothing(make_window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    window = make_window(arch="lenet5")
    asked, answers, questions = [], [], []

    def get_save_file_name(parent, caption, start, *args, **kwargs):
        asked.append(start)
        return answers.pop(0), ""

    def question(*args, **kwargs):
        questions.append(args[2])
        return QtWidgets.QMessageBox.No if len(questions) == 1 else QtWidgets.QMessageBox.Yes

    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", get_save_file_name)
    monkeypatch.setattr(QtWidgets.QMessageBox, "question", question)

    foreign = tmp_path / "lecture-notes"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    before = sorted(p.name for p in tmp_path.iterdir())
    answers.append(str(foreign))
    window.controls.save_button.click()
    today = datetime.date.today().isoformat()
    assert asked == [str(tmp_path / f"lenet5-pretrained-{today}")]  # a new folder's name is suggested
    error = window.error_text()
    assert "already holds other files (notes.txt)" in error and "\n" not in error and window.error_banner.isVisible()
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # not even a temporary folder beside it

    answers.append(asked[0])
    window.controls.save_button.click()  # the suggested name: created, with the model in it
    new = tmp_path / f"lenet5-pretrained-{today}"
    assert sorted(p.name for p in new.iterdir()) == ["model.json", "weights.npz"]

    written = (new / "weights.npz").stat().st_mtime_ns
    answers.append(str(new))
    window.controls.save_button.click()  # a ConvViz model: asked first; "No" keeps it
    assert asked[2] == str(tmp_path / f"lenet5-pretrained-{today}-2")  # the next suggestion is a new folder again
    assert len(questions) == 1 and str(new) in questions[0]
    assert (new / "weights.npz").stat().st_mtime_ns == written
    answers.append(str(new))
    window.controls.save_button.click()  # "Yes" replaces it
    assert len(questions) == 2 and (new / "weights.npz").stat().st_mtime_ns != written
    assert sorted(p.name for p in new.iterdir()) == ["model.json", "weights.npz"]
