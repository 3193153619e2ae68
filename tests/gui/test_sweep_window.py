"""The batch-size lab in the window (every batching, real MNIST slices), and the learning rate changed
mid-run from the window: the change is marked on the loss curve and kept in the run's record."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.config import BATCHINGS, TrainConfig
from convviz.events import LossChunk, RateChanged
from convviz.gui.panels.sweep import SweepPanel
from convviz.gui.state import RunState
from convviz.sweepplan import AccuracyPoint, SweepPlan, SweepRunInfo, SweepStarted
from tests.gui.windows import use_small_data

RUN_MS = 60_000


@pytest.mark.parametrize("batching", BATCHINGS)
def test_the_sweep_runs_in_the_window_with_every_batching(shared_window, qtbot, mnist, batching):
    window = shared_window
    use_small_data(window, mnist, train=512, test=200)
    numpy = batching == "numpy"  # the meter and the memory once: the batching does not change them
    plan = SweepPlan(
        arch="dense",
        batch_sizes=(32, 128),
        target=0.99,
        max_examples=512,
        batching=batching,
        eval_images=200,
        noise=numpy,
        measure_memory=numpy,
        large_sample=512,
        warmup=128,
    )
    with qtbot.waitSignal(window.sweeper.finished, timeout=RUN_MS) as done:
        assert window.sweeper.start(plan)
    result = done.args[0]
    assert result is not None, window.sweeper.view.message.text()
    view = window.sweeper.view
    assert [r.batch_size for r in result.runs] == [32, 128]
    assert [len(c.steps) for c in view.curves.values()] == [512 // 32, 512 // 128]
    assert view.table.rowCount() == 3 and view.table.item(2, 0).text().replace(".", ",") == "60,000"
    assert all(r.images_per_second > 0 for r in result.runs)
    if numpy:
        assert view.table.item(0, 4).text().endswith("MB") and "B<sub>simple</sub>" in view.noise.text()
    assert not window.sweeper.running and view.start_button.isEnabled()


def test_a_bad_batch_size_is_one_line_in_the_panel(shared_window):
    view = shared_window.sweeper.view
    view.sizes.setText("16,0")
    view.start_button.click()
    assert "between 1 and 60000" in view.message.text() and "\n" not in view.message.text()
    assert not shared_window.sweeper.running
    view.sizes.setText("8,32,128,512,2048")


def test_the_learning_rate_changes_mid_run_and_the_loss_curve_marks_it(shared_window, qtbot, mnist):
    window = shared_window
    use_small_data(window, mnist, train=640, test=200)
    config = TrainConfig(arch="dense", batch_size=32, optimizer="sgd", learning_rate=0.1, seed=1)
    assert window.controller.start_training(config, step=True)
    qtbot.waitUntil(lambda: window.state.run_state is RunState.PAUSED, timeout=RUN_MS)
    changes = []
    window.state.rate_changed.connect(changes.append)
    window.sweeper.set_rate(0.01)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS) as finished:
        window.controller.resume()
    run = finished.args[0]
    assert [(c.step, c.learning_rate) for c in changes] == [(2, pytest.approx(0.01))]
    assert len(window.loss.rate_markers()) == 1
    assert window.loss.rate_markers()[0] == pytest.approx(64 / 640, rel=1e-6)  # epochs: after 2 batches of 32
    assert run.outcome.record.rate_changes[0].step == 2


def test_the_sweep_plot_marks_rate_changes_on_every_x_axis(qtbot):
    view = SweepPanel()
    qtbot.addWidget(view)
    runs = (SweepRunInfo(1, 32, 0.001, 10**6), SweepRunInfo(2, 128, 0.001, 2 * 10**6))
    view.handle(SweepStarted(SweepPlan(batch_sizes=(32, 128)), runs, 335 * 10**6, 10**6, False))
    view.handle(LossChunk(1, np.arange(1, 5), 32 * np.arange(1, 5), np.ones(4, np.float32), 0.1 * np.arange(1, 5)))
    view.handle(RateChanged(1, 3, 96, 0.3, 0.01))
    assert view.mark_positions() == [3.0]
    view.set_x_mode("examples")
    assert view.mark_positions() == [96.0]
    view.set_x_mode("seconds")
    assert view.mark_positions() == [pytest.approx(0.3)]
    assert view.table.item(2, 4).text() != ""  # the full batch: "does not fit" (1 MB free here)


def test_the_scaling_plot_shows_what_each_batch_size_needed_to_reach_the_target(qtbot):
    view = SweepPanel()
    qtbot.addWidget(view)
    runs = (SweepRunInfo(1, 32, 0.001, 10**6), SweepRunInfo(2, 128, 0.001, 2 * 10**6))
    view.handle(SweepStarted(SweepPlan(batch_sizes=(32, 128), target=0.9), runs, 335 * 10**6, None, None))
    view.handle(AccuracyPoint(1, 32, 40, 1280, 2.0, 0.85))
    view.handle(AccuracyPoint(1, 32, 80, 2560, 4.0, 0.91))  # reached: 80 steps
    view.handle(AccuracyPoint(2, 128, 30, 3840, 3.0, 0.92))  # reached: 30 steps
    view.handle(AccuracyPoint(2, 128, 60, 7680, 6.0, 0.95))  # later points do not move it
    assert view.scaling_data() == ([32, 128], [80.0, 30.0])
    assert list(view.scaling_ideal.yData) == [80.0, 20.0]  # perfect scaling: 4x the batch, a quarter
    view.set_x_mode("examples")
    assert view.scaling_data() == ([32, 128], [2560.0, 3840.0])
    assert view.table.item(0, 5).text() == "80" and view.table.item(1, 6).text().replace(",", "") == "3840"
