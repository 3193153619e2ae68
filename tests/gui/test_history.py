"""Run history (issue 10, part 1): every run stays, the loss plot overlays them, the runs table, the store.

Widget tests first (the loss plot's overlay, legend, seconds axis and cursor), then the window with real
MNIST slices: two runs in sequence, the table, a row's weights in the pad, a restart, deletion.
"""

from __future__ import annotations

import numpy as np
import pytest

from convviz.gui.loss import LIVE_KEY, LossWidget


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
