"""Run history: every run stays, the loss plot overlays them, the runs table, the store.

Widget tests first (the loss plot's overlay, legend, seconds axis and cursor), then the window with real
MNIST slices: two runs in sequence, the table, a row's weights in the pad, a restart, deletion.
"""

from __future__ import annotations

import numpy as np
import pytest

from convviz.gui.panels.loss import LIVE_KEY, LossWidget


@pytest.fixture
def loss(qtbot):
    widget = LossWidget()
    qtbot.addWidget(widget)
    widget.resize(800, 500)
    widget.show()
    return widget


def test_other_runs_overlay_with_their_own_colours_and_the_legend_toggles_them(loss):
    loss.set_train_size(640)
    loss.add_losses(np.arange(1, 11) * 64, np.linspace(2.3, 0.5, 10), np.arange(1, 11) * 0.1)
    loss.set_live_label("#3 lenet5")
    loss.add_run(1, "#1 dense", train_size=640)
    loss.append_run(1, np.arange(1, 11) * 64, np.linspace(2.3, 1.0, 10), np.arange(1, 11) * 0.2)
    loss.add_run(2, "#2 cnn", train_size=320)
    loss.append_run(2, np.arange(1, 6) * 64, np.linspace(2.3, 0.2, 5), np.arange(1, 6) * 0.3)
    loss.add_run_accuracy(2, 1, 320, 0.8, 1.5)
    colours = {loss.run_colour(k) for k in (LIVE_KEY, 1, 2)}
    assert len(colours) == 3
    np.testing.assert_allclose(loss.run_x_data(1), np.arange(1, 11) * 0.1)  # epochs of its own 640
    np.testing.assert_allclose(loss.run_x_data(2), np.arange(1, 6) * 0.2)  # epochs of its 320
    x, y = loss.run_curve(2).getData()
    assert len(x) == 5 and y[0] == pytest.approx(2.3)
    box = loss.legend_box(1)
    assert box.isVisibleTo(loss) and box.text() == "#1 dense"
    box.setChecked(False)
    assert not loss.run_curve(1).isVisible() and not loss.run_visible(1)
    box.setChecked(True)
    assert loss.run_curve(1).isVisible()
    loss.legend_box(LIVE_KEY).setChecked(False)
    assert not loss.raw_curve.isVisible() and not loss.smooth_curve.isVisible()
    loss.set_run_visible(LIVE_KEY, True)
    assert loss.smooth_curve.isVisible()
    loss.remove_run(1)
    assert loss.run_keys() == [2]


def test_seconds_axis_and_the_cursor(loss):
    loss.set_train_size(640)
    loss.add_losses([64, 128, 192], [2.0, 1.5, 1.2], [0.5, 0.9, 1.4])
    loss.add_accuracy(1, 192, 0.7, 1.6)
    loss.set_x_mode("seconds")
    np.testing.assert_allclose(loss.x_data(), [0.5, 0.9, 1.4])
    np.testing.assert_allclose(loss.accuracy_points()[:, 0], [1.6])
    assert "seconds" in loss.plot.getAxis("bottom").labelText
    loss.set_cursor(0.9)
    assert loss.cursor() == 0.9 and loss.cursor_line.isVisible() and loss.cursor_line.value() == 0.9
    loss.set_cursor(None)
    assert loss.cursor() is None and not loss.cursor_line.isVisible()
    loss.set_x_mode("epochs")
    np.testing.assert_allclose(loss.x_data(), [0.1, 0.2, 0.3])


# ---- the window: real MNIST slices --------------------------------------------------------------------

from convviz.config import TrainConfig  # noqa: E402
from convviz.events import RunStatus  # noqa: E402
from convviz.gui.panels.runs import COLUMNS  # noqa: E402
from convviz.recording import RunStore  # noqa: E402
from tests.gui.windows import RUN_MS, use_small_data  # noqa: E402

TRAIN, TEST, BATCH = 192, 200, 64
SETUP = ("architecture", "parameters", "batching", "batch size", "optimizer", "learning rate")


@pytest.fixture
def runs_dir(tmp_path, monkeypatch):
    folder = tmp_path / "runs"
    folder.mkdir()
    monkeypatch.setenv("CONVVIZ_RUNS_DIR", str(folder))
    return folder


def run_and_save(window, qtbot, config):
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS) as finished:
        window.start_training(config)
    run = finished.args[0]
    assert run.outcome.status is RunStatus.COMPLETED, window.error_text()
    qtbot.waitUntil(lambda: run.record_id is not None, timeout=RUN_MS)  # saved in a job
    return run


def test_two_runs_stay_overlay_fill_the_table_load_their_weights_and_survive_a_restart(
    make_window, qtbot, mnist, runs_dir
):
    window = make_window(arch="lenet5")
    use_small_data(window, mnist, train=TRAIN, test=TEST)
    first = run_and_save(window, qtbot, TrainConfig(arch="lenet5", batch_size=BATCH, epochs=2, seed=1))
    qtbot.waitUntil(lambda: window.timeline.count() == 7, timeout=5000)  # the live run's timeline, kept at its end
    second = run_and_save(
        window, qtbot, TrainConfig(arch="dense", batch_size=32, epochs=1, seed=2, optimizer="sgd", learning_rate=0.05)
    )
    # Both stay in the state, with their curves, epochs, results and timelines.
    assert [r.id for r in window.state.runs] == [first.id, second.id]
    assert first.outcome.status is RunStatus.COMPLETED and second.outcome.status is RunStatus.COMPLETED
    assert first.steps_done == 6 and second.steps_done == 6 and len(first.epochs) == 2
    assert len(first.snapshots) == 7 and first.snapshots.finished  # step 0 and every step of 6
    assert first.snapshots.timeline().kernels.shape[1:] == (5, 5, 1, 6)
    # The plot: the second run live, the first overlaid in another colour; the legend toggles it.
    loss = window.loss
    key = ("run", first.id)
    assert loss.run_keys() == [key]
    assert loss.run_colour(key) != loss.run_colour("live")
    assert loss.run_point_count(key) == 6 and loss.run_point_count("live") == 6
    np.testing.assert_allclose(loss.run_x_data(key), np.arange(1, 7) / 3)
    assert window.state.overlays == {key: True}  # which runs are overlaid is the state's
    loss.legend_box(key).setChecked(False)
    assert not loss.run_curve(key).isVisible()
    assert window.state.overlays == {key: False}  # the legend writes to the state ...
    loss.legend_box(key).setChecked(True)
    assert loss.run_curve(key).isVisible() and window.state.overlays == {key: True}
    window.state.overlay(key, False)  # ... and the plot and its legend follow the state
    assert not loss.run_curve(key).isVisible() and not loss.legend_box(key).isChecked()
    window.state.overlay(key, True)
    assert loss.run_curve(key).isVisible() and loss.legend_box(key).isChecked()
    loss.set_x_mode("seconds")  # wall clock: increasing, from the run's start
    for x in (loss.x_data(), loss.run_x_data(key)):
        assert np.all(np.diff(x) > 0) and 0 < x[0] < second.wall_seconds + first.wall_seconds
    np.testing.assert_allclose(loss.x_data(), second.losses()["seconds"])
    # One curve per run in the window: the plot draws the state's series, the saved record holds it too,
    # and what was saved is the record the run's session grew (what `train --record` writes).
    for run in (first, second):
        assert window.controller.records[run.record_id] is run.outcome.record
        assert run.outcome.record.timeline is not None and run.outcome.record.versions.get("tensorflow")
        assert np.shares_memory(run.outcome.record.losses.losses, run.series.view("losses"))
    assert np.shares_memory(loss.raw_curve.yData, second.series.view("losses"))
    # The table: newest first, the right fields.
    rows = window.runs.rows()
    assert [r.run_id for r in rows[:2]] == [second.id, first.id]
    texts = dict(zip(COLUMNS, window.runs.row_texts(0)))
    assert [texts[c] for c in SETUP] == ["dense", f"{784 * 300 + 300 + 300 * 10 + 10:,}", "numpy", "32", "sgd", "0.05"]
    assert texts["best test accuracy"] == f"{100 * second.best_accuracy:.2f} %" and COLUMNS[0] == "best test accuracy"
    assert texts["training images"] == f"{TRAIN:,}"
    assert float(texts["images/s"].replace(",", "")) == pytest.approx(second.images_per_second, rel=0.01)
    assert texts["memory (batch)"].endswith("MB")
    assert [window.runs.row_text(1, c) for c in SETUP[:4]] == ["lenet5", "61,706", "numpy", "64"]
    # A click on the first run's row: its final weights in the pad.
    assert window.model().arch == "dense"
    with qtbot.waitSignal(window.controller.inference_changed, timeout=RUN_MS):
        window.runs.click_row(1)
    assert window.model().arch == "lenet5" and window.model_role() == "trained"
    for name, value in first.final_weights.items():
        np.testing.assert_array_equal(window.model().weights[name], value)
    # ... and its filters' timeline under the filters: the slider scrubs that run, from noise to the end.
    assert window.timeline.count() == 7
    window.timeline.set_index(0)
    np.testing.assert_array_equal(
        window.filters.shown_kernels("conv1"), first.snapshots.timeline().kernels[0].astype(np.float32)
    )
    # Both are in the store.
    stored = RunStore(runs_dir).list()
    assert {s.id for s in stored} == {first.record_id, second.record_id}

    # A restart: a new window lists them (metadata first), a row's click loads its weights.
    window.close()
    again = make_window(arch="lenet5")
    qtbot.waitUntil(lambda: len(again.state.stored_runs) == 2, timeout=RUN_MS)
    rows = again.runs.rows()
    assert [r.record_id for r in rows] == [second.record_id, first.record_id]
    assert [again.runs.row_text(1, c) for c in SETUP] == ["lenet5", "61,706", "numpy", "64", "adam", "0.001"]
    assert again.controller.records == {}  # nothing loaded yet
    with qtbot.waitSignal(again.controller.inference_changed, timeout=RUN_MS):
        again.runs.click_row(1)
    assert again.model().arch == "lenet5" and again.model_role() == "loaded"
    for name, value in first.final_weights.items():
        np.testing.assert_array_equal(again.model().weights[name], value)
    assert ("stored", first.record_id) in again.loss.run_keys()  # its curve joins the plot
    assert again.loss.run_point_count(("stored", first.record_id)) == 6
    # Delete (the key): the file goes, the row and the curve too.
    again.runs.table.setFocus()
    again.runs.table.selectRow(1)
    again.runs.delete_selected()
    assert not RunStore(runs_dir).path_of(first.record_id).exists()
    assert [r.record_id for r in again.runs.rows()] == [second.record_id]
    assert ("stored", first.record_id) not in again.loss.run_keys()
