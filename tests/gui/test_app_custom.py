"""Your own architecture in the window: chosen through the editor, it trains with every strategy and shows."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt5 import QtCore, QtWidgets

from convviz.config import BATCHINGS
from convviz.events import RunStatus
from convviz.gui.panels import controls
from tests.gui.windows import RUN_MS, use_small_data

SPEC = "conv8@3x3/2-conv12@3x3v-pool2-dense32"  # a stride, valid padding and a pool: what students pick


def choose_in_the_editor(window, qtbot, spec: str) -> None:
    """Pick "your own…" in the list, type ``spec`` into the editor and press Use, as a user does."""

    def use():
        dialog = QtWidgets.QApplication.activeModalWidget()
        if dialog is None:
            QtCore.QTimer.singleShot(50, use)
            return
        dialog.editor.set_spec(spec)
        dialog.editor.accept_spec()

    QtCore.QTimer.singleShot(50, use)
    combo = window.controls.arch_combo
    with qtbot.waitSignal(window.controls.arch_changed, timeout=10_000):
        combo.setCurrentIndex(combo.findData(controls.CUSTOM))


@pytest.mark.parametrize("batching", BATCHINGS)
def test_your_own_network_trains_in_the_window_with_every_strategy(make_window, qtbot, mnist, batching):
    window = make_window(arch="lenet5")
    use_small_data(window, mnist, train=192, test=200)
    choose_in_the_editor(window, qtbot, SPEC)
    config = window.controls.config()
    assert config.arch == SPEC
    qtbot.waitUntil(lambda: window.model() is not None and window.model().arch == SPEC, timeout=RUN_MS)
    config = config.replace(batching=batching, batch_size=64, epochs=1, seed=1)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS) as finished:
        window.start_training(config)
    run = finished.args[0]
    assert run.outcome.status is RunStatus.COMPLETED, window.error_text()
    assert window.loss.point_count() == 3 and window.model().arch == SPEC
    kernels = window.controller.kernels()
    assert kernels["conv1"].shape == (3, 3, 1, 8) and kernels["conv2"].shape == (3, 3, 8, 12)
    assert np.isfinite(window.filters.tiles()).any()  # its 8 filters show
    names = [name for name, _ in window.featuremaps.activations()]
    assert names[:3] == ["conv1", "conv2", "pool1"]  # and its feature maps, layer by layer
    shapes = dict(window.featuremaps.activations())
    assert shapes["conv1"].shape == (14, 14, 8) and shapes["conv2"].shape == (12, 12, 12)
