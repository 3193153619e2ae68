"""Runs in the window through every option a user can pick: each strategy, each network, each axis.

The window runs offscreen with a small slice of real MNIST; assertions are on
data (curve points in the axis' unit, filters, statuses, accuracies).
"""

from __future__ import annotations

import numpy as np
import pytest

from convviz.config import ARCHITECTURES, BATCHINGS, TrainConfig
from convviz.events import RunStatus
from convviz.gui.state import RunState
from tests.gui.windows import LOAD_MS, RUN_MS, use_small_data

TRAIN, TEST, BATCH = 192, 200, 64  # three batches an epoch: every network and strategy in seconds


def run_to_end(window, qtbot, config: TrainConfig):
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS) as finished:
        window.start_training(config)
    return finished.args[0]


@pytest.mark.parametrize("arch", ARCHITECTURES)
@pytest.mark.parametrize("batching", BATCHINGS)
def test_every_strategy_trains_every_network_in_the_window(make_window, qtbot, mnist, arch, batching):
    window = make_window(arch=arch)
    use_small_data(window, mnist, train=TRAIN, test=TEST)
    before = window.controller.kernels()
    run = run_to_end(window, qtbot, TrainConfig(arch=arch, batching=batching, batch_size=BATCH, epochs=2, seed=3))
    assert run.outcome.status is RunStatus.COMPLETED, window.error_text()
    assert window.error_text() == "" and run.state is RunState.FINISHED
    assert window.loss.point_count() == 6 and run.steps_done == 6  # every batch's loss reached the plot
    np.testing.assert_allclose(window.loss.x_data(), np.arange(1, 7) / 3)  # in epochs of the 192 images
    np.testing.assert_allclose(window.loss.accuracy_points()[:, 0], [1, 2])
    assert window.model_role() == "trained" and window.model().arch == arch
    after = window.controller.kernels()
    assert set(after) == set(before)
    assert any(not np.allclose(after[k], before[k]) for k in after)  # the network learned: new filters
    if arch != "dense":
        shown = window.filters.tiles()
        assert np.isfinite(shown).any()
    assert f"test accuracy {100 * run.outcome.test_accuracy:.2f} %" in window.statusBar().currentMessage()


def x_mode_round_trip(window, expected_epochs: np.ndarray, expected_accuracy_epochs) -> None:
    """Switch the axis and the log scale back and forth; the points stay where they belong."""
    loss = window.loss
    train_size = window.state.run.train_size if window.state.run else 1
    for mode, log in (("examples", False), ("epochs", True), ("examples", True), ("epochs", False)):
        loss.set_x_mode(mode)
        loss._log_check.setChecked(log)
        scale = 1.0 if mode == "epochs" else train_size
        np.testing.assert_allclose(loss.x_data(), expected_epochs * scale)
        np.testing.assert_allclose(loss.accuracy_points()[:, 0], np.asarray(expected_accuracy_epochs) * scale)
        x, _ = loss.raw_curve.getData()  # what is drawn: all of it is in view after a switch
        x = np.zeros(0) if x is None else x
        assert len(x) == len(expected_epochs)
        low, high = loss.plot.getViewBox().viewRange()[0]
        if len(x):
            assert low <= x.min() and x.max() <= high


def test_switching_the_axis_before_during_and_after_a_run_keeps_the_curve(make_window, qtbot, mnist):
    window = make_window(arch="lenet5")
    use_small_data(window, mnist, train=2000, test=TEST)
    x_mode_round_trip(window, np.zeros(0), [])  # before: nothing to show, nothing breaks
    window.start_training(TrainConfig(arch="lenet5", batch_size=BATCH, epochs=2, train_limit=640))
    qtbot.waitUntil(lambda: window.loss.point_count() >= 3, timeout=RUN_MS)
    window.pause()
    qtbot.waitUntil(lambda: window.state.run_state is RunState.PAUSED, timeout=5000)
    run = window.state.run
    seen = run.losses()["examples_seen"]
    x_mode_round_trip(window, seen / 640, [e.examples_seen / 640 for e in run.epochs])  # during
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.resume()
    x_mode_round_trip(window, np.arange(1, 21) / 10, [1, 2])  # after: 20 batches of 64 over 640 images
    # A later run in epochs mode plots in epochs too.
    run_to_end(window, qtbot, TrainConfig(arch="lenet5", batch_size=BATCH, epochs=1, train_limit=640))
    assert window.loss.x_mode() == "epochs"
    np.testing.assert_allclose(window.loss.x_data(), np.arange(1, 11) / 10)
    x, _ = window.loss.raw_curve.getData()
    assert len(x) == 10


@pytest.mark.parametrize("batching", BATCHINGS)
def test_after_stop_the_accuracy_shown_is_that_of_the_weights_kept(make_window, qtbot, mnist, batching):
    window = make_window(arch="lenet5")
    use_small_data(window, mnist, train=20000, test=TEST)
    window.start_training(TrainConfig(arch="lenet5", batching=batching, batch_size=32, epochs=1))
    qtbot.waitUntil(lambda: window.loss.point_count() >= 20, timeout=RUN_MS)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS) as finished:
        window.stop()
    run = finished.args[0]
    assert run.outcome.status is RunStatus.STOPPED and run.epochs == []  # stopped mid-epoch
    from convviz.model import Model

    data = window.data()
    with Model("lenet5", dict(window.model().weights)) as model:
        kept = model.accuracy(data.test_images, data.test_labels)
    assert run.outcome.test_accuracy == pytest.approx(kept, abs=1e-6)
    assert f"{100 * kept:.2f} %" in window.statusBar().currentMessage()
    assert f"{100 * kept:.2f} %" in window.model_text()


def test_after_load_no_curve_of_an_earlier_run_is_shown(make_window, qtbot, mnist, tmp_path):
    window = make_window(arch="lenet5")
    use_small_data(window, mnist, train=TRAIN, test=TEST)
    run_to_end(window, qtbot, TrainConfig(arch="lenet5", batch_size=BATCH, epochs=1))
    assert window.loss.point_count() == 3
    folder = window.save_model(tmp_path / "mine")
    with qtbot.waitSignal(window.model_changed, timeout=LOAD_MS):
        window.load_model(folder)
    assert window.model_role() == "loaded"
    assert window.loss.point_count() == 0 and len(window.loss.accuracy_points()) == 0
    x, _ = window.loss.raw_curve.getData()
    assert x is None or len(x) == 0
    assert len(window.state.runs) == 1  # the run is not forgotten: it stays in the history


def test_at_a_pause_the_feature_maps_show_the_paused_network_at_once(make_window, qtbot, mnist):
    window = make_window(arch="lenet5")
    use_small_data(window, mnist, train=20000, test=TEST)
    window.show_panel("feature maps")
    window.start_training(TrainConfig(arch="lenet5", batch_size=32, epochs=1))
    qtbot.waitUntil(lambda: window.loss.point_count() >= 10, timeout=RUN_MS)
    def the_paused_step(step: int) -> bool:  # (a snapshot taken before the pause may still be shown first)
        return window.controller.shown_model() is window.state.model and step == window.loss.point_count()

    window.pause()
    with qtbot.waitSignal(window.snapshot_shown, timeout=RUN_MS, check_params_cb=the_paused_step):
        pass
    expected = window.controller.predict_proba(window.featuremaps.current_image())
    np.testing.assert_allclose(window.featuremaps._probabilities, expected, atol=1e-5)  # not a second later
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.stop()
