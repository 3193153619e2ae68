"""Zoom and presenter mode in the window: fonts, ticks, lines and the focus ring scale together.

The tests share one window (shared_window: set back to zoom 1 and 1280x800 after each).
"""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PyQt5 import QtCore, QtWidgets
from PyQt5.QtTest import QTest

from convviz.gui.common.zoom import PRESENTER_MIN_PX
from tests.gui.windows import LOAD_MS


def sizes(window) -> dict:
    loss_axis = window.loss.plot.getAxis("bottom")
    tick = (getattr(loss_axis, "style", None) or {}).get("tickFont") or loss_axis.tickFont
    return {
        "start": window.controls.start_button.font().pointSizeF(),
        "title": window.prediction._digit.font().pointSizeF(),
        "tick": tick.pointSizeF(),
        "smooth": window.loss.smooth_curve.opts["pen"].widthF(),
        "ring": window.zoom.focus_ring.width_px,
    }


def test_zoom_in_scales_everything_together_and_ctrl_0_restores_it(shared_window, qtbot):
    window = shared_window
    before = sizes(window)
    QTest.keyClick(window, QtCore.Qt.Key_Plus, QtCore.Qt.ControlModifier)
    QTest.keyClick(window, QtCore.Qt.Key_Plus, QtCore.Qt.ControlModifier)
    factor = window.zoom.factor
    assert factor == pytest.approx(1.25)
    after = sizes(window)
    for key in ("start", "title", "tick", "smooth"):
        assert after[key] == pytest.approx(before[key] * factor, rel=1e-3), key
    assert after["ring"] > before["ring"]
    label = QtWidgets.QLabel("made after the zoom", window)  # new widgets follow the zoom too
    label.show()
    assert label.font().pointSizeF() == pytest.approx(window.font().pointSizeF(), rel=1e-3)  # not zoomed twice
    assert window.font().pointSizeF() == pytest.approx(QtWidgets.QApplication.font().pointSizeF() * factor, rel=1e-3)
    QTest.keyClick(window, QtCore.Qt.Key_0, QtCore.Qt.ControlModifier)
    assert window.zoom.factor == 1.0 and sizes(window) == before


def test_presenter_mode_makes_every_text_at_least_24_px_at_1920x1080(shared_window, qtbot):
    window = shared_window
    window.resize(1920, 1080)
    small = min(h for _, h in window.zoom.text_heights())
    assert small < PRESENTER_MIN_PX  # at zoom 1 some text is smaller: the test can fail
    window.presenter_action.trigger()
    assert window.zoom.presenter and window.zoom.factor > 1
    qtbot.wait(50)
    heights = window.zoom.text_heights()
    assert len(heights) > 30  # labels, buttons, fields, tabs, plot ticks and titles
    too_small = [(type(e).__name__, getattr(e, "text", lambda: "")(), h) for e, h in heights if h < PRESENTER_MIN_PX]
    assert too_small == []
    assert any(isinstance(e, pg.AxisItem) for e, _ in heights)  # plot tick labels are measured too
    window.presenter_action.trigger()
    assert window.zoom.factor == 1.0


def test_the_focus_ring_is_thick_and_follows_the_focus(shared_window, qtbot):
    window = shared_window
    window.activateWindow()
    window.controls.start_button.setFocus(QtCore.Qt.TabFocusReason)
    qtbot.waitUntil(lambda: window.zoom.focus_ring.target() is window.controls.start_button, timeout=LOAD_MS)
    ring = window.zoom.focus_ring
    assert ring.isVisible() and ring.width_px >= 3
    button = window.controls.start_button
    inner = ring.geometry().adjusted(ring.width_px, ring.width_px, -ring.width_px, -ring.width_px)
    top_left = button.mapTo(window, QtCore.QPoint(0, 0))
    assert inner.contains(QtCore.QRect(top_left, button.size()).adjusted(1, 1, -1, -1))


def test_zoom_keeps_the_colours_of_the_axis_titles(shared_window, qtbot):
    window = shared_window
    axis = window.loss.plot.getAxis("left")
    colour = axis.labelStyle["color"]
    assert colour.lower() != "#1a1a1a"  # the loss axis is titled in the loss curve's blue
    window.zoom.zoom_in()
    assert axis.labelStyle["color"] == colour and axis.labelStyle["font-size"] != "16pt"
    window.zoom.reset()
    assert axis.labelStyle["color"] == colour
