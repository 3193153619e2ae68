"""The main window end to end, offscreen: start-up, drawing, training, stop, pause, errors, closing.

Real MNIST and the pretrained models in assets/ are used; training runs are short
(a few thousand images, or stopped after the first batches). Assertions are on
data (curve points, mosaics, probabilities, statuses), never on pixels or timing.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PyQt5 import QtCore, QtWidgets
from PyQt5.QtTest import QTest

from convviz.config import TrainConfig
from convviz.gui.window.app import PRETRAINED_DIR
from tests.conftest import mnist_dir
from tests.gui.windows import LOAD_MS, RUN_MS, draw, use_small_data

pytestmark = pytest.mark.skipif(
    not (PRETRAINED_DIR / "lenet5" / "weights.npz").is_file(), reason="the pretrained LeNet-5 is not in assets/"
)


def test_window_opens_with_the_pretrained_model_and_classifies_a_drawing(make_window, qtbot):
    window = make_window(arch="lenet5", wait=False)
    assert "loading TensorFlow" in window.prediction.message()  # the window is up before TensorFlow
    with qtbot.waitSignals([window.model_changed, window.data_changed], timeout=LOAD_MS):
        pass
    assert window.model_role() == "pretrained" and window.model().arch == "lenet5"
    assert "pretrained lenet5" in window.prediction.model_text()
    assert window.controls.config().arch == "lenet5"
    assert len(window.filters.tiles()) == 6  # LeNet-5's learned conv1 filters, before any training
    assert [s.name for s in window.featuremaps.sections] == ["conv1", "pool1", "conv2", "pool2", "conv3"]
    assert window.featuremaps.prediction_text() != ""

    with qtbot.waitSignal(window.prediction_shown, timeout=5000) as shown:
        draw(window)
    probabilities = shown.args[0]
    assert probabilities.shape == (10,) and probabilities.sum() == pytest.approx(1.0, abs=1e-4)
    assert window.prediction.predicted_digit() == 3 and window.prediction.digit_text() == "3"
    seen = window.prediction.network_input()
    assert seen.shape == (28, 28) and seen.max() > 0.9  # the preprocessed 28x28 the network saw

    # The feature-map panel can show the drawing, and the pad clears with a right-click.
    window.show_panel("feature maps")
    window.featuremaps.set_use_drawing(True)
    np.testing.assert_array_equal(window.featuremaps.current_image(), seen)
    assert window.featuremaps.prediction_text().startswith("3 ")
    QTest.mouseClick(window.drawpad.canvas, QtCore.Qt.RightButton)
    assert window.prediction.predicted_digit() is None and window.prediction.message() == "draw a digit"


def test_a_short_run_draws_the_loss_changes_the_filters_and_becomes_the_pad_model(make_window, qtbot, mnist):
    window = make_window(arch="lenet5")
    use_small_data(window, mnist)
    pretrained = window.filters.mosaic().copy()
    snapshots = []
    window.snapshot_shown.connect(snapshots.append)
    config = TrainConfig(arch="lenet5", train_limit=2000, epochs=1, batch_size=64, seed=1)
    with qtbot.waitSignal(window.training_started, timeout=5000):
        window.start_training(config)
    assert window.is_training() and not window.controls.start_button.isEnabled()
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS) as finished:
        pass
    assert finished.args[0].outcome.status.value == "completed"

    batches = 32  # ceil(2000 / 64)
    x, y = window.loss.raw_curve.getData()
    assert len(x) == batches == window.loss.point_count()
    assert x[-1] == pytest.approx(1.0)  # the x axis counts epochs of the 2,000 images
    assert np.all(np.isfinite(y)) and y[-5:].mean() < y[:5].mean()  # it learned
    acc_x, acc_y = window.loss.accuracy_curve.getData()
    assert list(acc_x) == [pytest.approx(1.0)] and 10.0 < acc_y[0] <= 100.0  # percent, after epoch 1

    # Snapshots reached the panels during the run, and the final weights reach the pad after it
    # (a snapshot's weights are copied in by the inference service: the last may arrive just after the end).
    assert snapshots and all(0 < step <= batches for step in snapshots)
    qtbot.waitUntil(lambda: window.controller.shown_model() is window.state.model, timeout=5000)
    final = window.state.model.weights
    held = window.controller.inference_weights()
    assert all(np.array_equal(held[name], value) for name, value in final.items())
    trained = window.filters.mosaic()
    assert trained.shape == pretrained.shape
    assert not np.allclose(np.nan_to_num(trained), np.nan_to_num(pretrained))  # new filters, not the shipped ones

    assert window.model_role() == "trained" and "trained lenet5" in window.prediction.model_text()
    assert window.controls.start_button.isEnabled() and not window.progress_bar.isVisible()
    with qtbot.waitSignal(window.prediction_shown, timeout=5000):
        draw(window)  # the trained network classifies the pad


def test_pause_holds_the_run_and_stop_ends_it_early(make_window, qtbot, mnist, tmp_path):
    window = make_window(arch="lenet5")
    use_small_data(window, mnist, train=20000)
    window.start_training(TrainConfig(arch="lenet5", epochs=1, batch_size=32))
    qtbot.waitUntil(lambda: window.loss.point_count() > 5, timeout=RUN_MS)

    snapshots = []
    window.snapshot_shown.connect(snapshots.append)
    qtbot.mouseClick(window.controls.pause_button, QtCore.Qt.LeftButton)
    assert window.controls.pause_button.text() == "Resume"
    qtbot.waitUntil(lambda: len(snapshots) > 0, timeout=10_000)  # the network as it is at the pause
    held = window.loss.point_count()
    qtbot.wait(400)
    assert window.loss.point_count() == held
    saved = window.save_model(tmp_path / "paused")  # the half-trained network, as it is at the pause
    assert saved is not None and "paused" in (saved / "model.json").read_text()

    qtbot.mouseClick(window.controls.pause_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: window.loss.point_count() > held, timeout=10_000)

    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS) as finished:
        qtbot.mouseClick(window.controls.stop_button, QtCore.Qt.LeftButton)
    total = -(-len(window.data().train_labels) // 32)
    assert finished.args[0].outcome.status.value == "stopped"
    assert 0 < finished.args[0].steps_done < total
    x, _ = window.loss.accuracy_curve.getData()
    assert window.loss.point_count() < total and (x is None or len(x) == 0)  # no epoch finished
    assert window.controls.start_button.isEnabled()
    assert window.model_role() == "trained"  # what it learned so far stays usable


def test_closing_during_training_stops_the_thread(make_window, qtbot, mnist, _dangling_qthreads):
    window = make_window(arch="lenet5")
    window.start_training(TrainConfig(arch="lenet5", epochs=3))
    qtbot.waitUntil(lambda: window.loss.point_count() > 0, timeout=RUN_MS)
    assert window.running_threads()
    window.close()
    assert window.running_threads() == []
    assert _dangling_qthreads.running() == []


def test_saving_and_loading_a_model(make_window, qtbot, tmp_path):
    window = make_window(arch="lenet5")
    folder = window.save_model(tmp_path / "mine")
    assert folder is not None and (folder / "weights.npz").is_file() and (folder / "model.json").is_file()
    with qtbot.waitSignal(window.model_changed, timeout=LOAD_MS):
        window.load_model(folder)
    assert window.model_role() == "loaded" and "lenet5 from mine" in window.prediction.model_text()
    with qtbot.waitSignal(window.model_changed, timeout=LOAD_MS):
        window.controls.pretrained_button.click()
    assert window.model_role() == "pretrained"


def test_errors_reach_the_window_and_it_stays_usable(make_window, qtbot, mnist, tmp_path):
    window = make_window(arch="lenet5")
    assert window.error_text() == ""

    # A folder that is not a model.
    with qtbot.waitSignal(window.error_shown, timeout=LOAD_MS) as shown:
        window.load_model(tmp_path)
    assert "model.json is missing" in shown.args[0]
    assert "model.json is missing" in window.error_text() and window.error_banner.isVisible()
    assert "model.json is missing" in window.statusBar().currentMessage()
    assert window.model_role() == "pretrained"  # the previous model is still in use
    header = window.prediction.model_text()  # and the pad's header says so again, not "loading a model…"
    assert header.startswith("pretrained lenet5") and "loading" not in header

    # Bad data: a label that is no digit. The core's one-line complaint reaches the window.
    labels = mnist.train_labels[:256].copy()
    labels[100] = 99
    window.set_data(dataclasses.replace(mnist, train_labels=labels, train_images=mnist.train_images[:256]))
    with qtbot.waitSignals([window.error_shown, window.training_finished], timeout=RUN_MS) as blocker:
        window.start_training(TrainConfig(arch="lenet5", epochs=1, batch_size=256))
    assert "labels must be digits 0-9" in window.error_text() and window.error_text().startswith("Training stopped")
    assert "\n" not in window.error_text()
    assert blocker.all_signals_and_args[-1].args[0].outcome.status.value == "failed"
    assert window.controls.start_button.isEnabled() and not window.is_training()
    assert window.model_role() == "pretrained"  # nothing was learned: the model from before the run is back

    # Still usable: the pad classifies, a good run starts.
    with qtbot.waitSignal(window.prediction_shown, timeout=5000):
        draw(window)
    window.set_data(mnist)
    with qtbot.waitSignal(window.training_started, timeout=5000):
        window.start_training(TrainConfig(arch="lenet5", epochs=1, train_limit=256))
    assert window.error_text() == ""  # a new run clears the old error
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS) as finished:
        pass
    assert finished.args[0].outcome.status.value == "completed"


def test_missing_mnist_offers_the_download_and_then_trains(make_window, qtbot, monkeypatch, tmp_path, mnist_mirror):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no ~/deep.TEACHING copy, an empty cache
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr("convviz.download.MIRRORS", (mnist_mirror,))
    window = make_window(arch="lenet5", wait=False, data_dir=str(tmp_path / "mnist"))
    qtbot.waitUntil(lambda: window.model() is not None, timeout=LOAD_MS)
    qtbot.waitUntil(lambda: window.data_state() == "missing", timeout=10_000)
    assert window.data() is None and "Start offers the download" in window.data_label.text()

    window.start_training(TrainConfig(arch="lenet5", epochs=1, train_limit=256))
    offer = window.download_offer.offer_box()
    assert offer is not None and offer.isVisible() and "MNIST" in offer.text()
    with qtbot.waitSignal(window.data_changed, timeout=RUN_MS):
        offer.button(QtWidgets.QMessageBox.Yes).click()
        dialog = window.download_offer.progress_dialog()
        assert dialog is not None and dialog.isVisible()  # a progress bar, with Cancel
    assert window.data_state() == "ready" and not window.data_label.isVisible()
    assert sorted(p.name for p in (tmp_path / "mnist").iterdir()) == sorted(
        p.name for p in mnist_dir().iterdir() if p.name.endswith(".gz")
    )
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS) as finished:
        pass  # the run asked for before the download starts by itself
    assert finished.args[0].outcome.status.value == "completed"


def test_a_dot_or_a_scribble_is_not_read_as_a_digit(make_window, qtbot):
    window = make_window(arch="lenet5")
    with qtbot.waitSignal(window.prediction_shown, timeout=5000):
        draw(window, [(140, 140), (142, 141)])  # a single dot
    assert window.prediction.digit_text() == "?"
    assert "not a digit" in window.prediction._confidence.text()
    QTest.mouseClick(window.drawpad.canvas, QtCore.Qt.RightButton)
    with qtbot.waitSignal(window.prediction_shown, timeout=5000):
        draw(window)  # a real 3 is read as before
    assert window.prediction.digit_text() == "3" and "sure" in window.prediction._confidence.text()


def test_the_pad_shows_only_the_newest_drawings_answer_and_none_after_a_clear(shared_window, qtbot, monkeypatch):
    """The pad's digit is asked without waiting: a drawing replaced (or cleared) before its answer
    came never shows that answer."""
    from convviz.gui.jobs import padinference
    from convviz.preprocess import to_mnist

    monkeypatch.setattr(padinference, "PAD_WAIT_S", 0.0)  # as when the service is busy: answers come later

    window = shared_window
    views = window.views
    draw(window)
    three = window.drawpad.image().copy()
    QTest.mouseClick(window.drawpad.canvas, QtCore.Qt.RightButton)
    draw(window, [(140, 45), (140, 245)])  # a 1
    one = window.drawpad.image().copy()
    QTest.mouseClick(window.drawpad.canvas, QtCore.Qt.RightButton)
    blank = window.drawpad.image().copy()
    shown = []
    window.prediction_shown.connect(shown.append)
    try:
        views.set_drawing(three[::-1].copy())  # a drawing not asked before: the service must answer it
        views.set_drawing(blank)  # cleared before the answer came
        qtbot.wait(300)
        assert shown == [] and window.prediction.predicted_digit() is None
        views.set_drawing(one[:, ::-1].copy())
        views.set_drawing(three)
        qtbot.waitUntil(lambda: bool(shown), timeout=LOAD_MS)
        qtbot.wait(200)
        assert len(shown) == 1 and window.prediction.predicted_digit() == 3
        expected = window.controller.predict_proba(to_mnist(three, invert=True))
        np.testing.assert_allclose(shown[0], expected, atol=1e-6)
    finally:
        window.prediction_shown.disconnect(shown.append)
        QTest.mouseClick(window.drawpad.canvas, QtCore.Qt.RightButton)
