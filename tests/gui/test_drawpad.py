"""DrawPadWidget: mouse strokes ink the canvas, the throttled signal arrives, right-click clears."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt5 import QtCore, QtGui, QtWidgets
from PyQt5.QtTest import QTest

from convviz.gui.panels.drawpad import BRUSH_WIDTH, CANVAS_SIZE, DrawPadWidget


@pytest.fixture
def pad(qtbot):
    w = DrawPadWidget()
    qtbot.addWidget(w)
    w.resize(500, 500)
    w.show()
    qtbot.waitExposed(w)
    return w


def drag_to(canvas, pos):
    # QTest.mouseMove moves the cursor instead (nothing on the offscreen platform, and no
    # button state in Qt 5): send the move a dragging mouse would produce.
    event = QtGui.QMouseEvent(
        QtCore.QEvent.MouseMove, QtCore.QPointF(pos), QtCore.Qt.NoButton, QtCore.Qt.LeftButton, QtCore.Qt.NoModifier
    )
    QtWidgets.QApplication.sendEvent(canvas, event)


def stroke(pad, points, release=True):
    canvas = pad.canvas
    first = canvas.to_widget(*points[0])
    QTest.mousePress(canvas, QtCore.Qt.LeftButton, QtCore.Qt.NoModifier, first)
    for x, y in points[1:]:
        drag_to(canvas, canvas.to_widget(x, y))
    if release:
        QTest.mouseRelease(canvas, QtCore.Qt.LeftButton, QtCore.Qt.NoModifier, canvas.to_widget(*points[-1]))


def test_blank_pad(pad):
    image = pad.image()
    assert image.shape == (CANVAS_SIZE, CANVAS_SIZE) and image.dtype == np.uint8
    assert pad.is_empty() and (image == 255).all()


def test_stroke_inks_along_the_path_and_emits_on_release(pad, qtbot):
    with qtbot.waitSignal(pad.drawing_changed, timeout=1000) as blocker:
        stroke(pad, [(140, 40), (140, 100), (140, 160), (140, 240)])
    image = blocker.args[0]
    assert image.shape == (CANVAS_SIZE, CANVAS_SIZE) and image.dtype == np.uint8
    assert not pad.is_empty()
    np.testing.assert_array_equal(image, pad.image())
    column = image[40:241, 140]
    assert (column < 64).all()  # solid ink all along the vertical stroke
    half = BRUSH_WIDTH // 2
    assert image[120, 140 - half + 2] < 128 and image[120, 140 + half - 2] < 128  # it is thick
    assert (image[:, :100] == 255).all()  # and nowhere else
    assert ((image > 0) & (image < 255)).sum() > 10  # anti-aliased round caps


def test_signal_arrives_during_a_stroke_before_release(pad, qtbot):
    with qtbot.waitSignal(pad.drawing_changed, timeout=1000) as blocker:
        stroke(pad, [(60, 60), (200, 200)], release=False)
    assert (blocker.args[0] < 128).sum() > 100
    QTest.mouseRelease(pad.canvas, QtCore.Qt.LeftButton, QtCore.Qt.NoModifier, pad.canvas.to_widget(200, 200))


def test_moves_are_throttled(pad, qtbot):
    received = []
    pad.drawing_changed.connect(received.append)
    stroke(pad, [(50 + i, 50 + i) for i in range(0, 150, 5)], release=False)
    assert received == []  # thirty moves, no signal yet: it waits for the timer
    qtbot.waitUntil(lambda: len(received) == 1, timeout=1000)
    QTest.mouseRelease(pad.canvas, QtCore.Qt.LeftButton, QtCore.Qt.NoModifier, pad.canvas.to_widget(195, 195))
    assert len(received) == 2  # and at once on release
    qtbot.wait(120)
    assert len(received) == 2  # the pending timer was cancelled


def test_right_click_and_clear_button_clear(pad, qtbot):
    stroke(pad, [(100, 100), (180, 180)])
    assert not pad.is_empty()
    with qtbot.waitSignals([pad.cleared, pad.drawing_changed], timeout=1000):
        QTest.mouseClick(pad.canvas, QtCore.Qt.RightButton, QtCore.Qt.NoModifier, pad.canvas.to_widget(10, 10))
    assert pad.is_empty()
    stroke(pad, [(100, 100), (180, 180)])
    with qtbot.waitSignal(pad.drawing_changed, timeout=1000) as blocker:
        qtbot.mouseClick(pad.clear_button, QtCore.Qt.LeftButton)
    assert (blocker.args[0] == 255).all() and pad.is_empty()


def test_mouse_mapping_follows_the_widget_size(pad, qtbot):
    pad.canvas.resize(560, 400)  # drawn scaled to a 400 px square, centred
    assert pad.canvas.to_widget(0, 0) == QtCore.QPoint(80, 0)
    assert pad.canvas.to_widget(280, 280) == QtCore.QPoint(480, 400)
    p = pad.canvas.to_canvas(QtCore.QPointF(280, 200))
    assert (p.x(), p.y()) == pytest.approx((140, 140))


def test_ctrl_z_takes_back_the_last_stroke_then_the_one_before(pad, qtbot):
    stroke(pad, [(60, 60), (120, 60)])
    first = pad.image()
    stroke(pad, [(60, 200), (200, 200)])
    assert (pad.image() < 128).sum() > (first < 128).sum()
    pad.canvas.setFocus()
    with qtbot.waitSignal(pad.drawing_changed, timeout=1000) as blocker:
        QTest.keyClick(pad.canvas, QtCore.Qt.Key_Z, QtCore.Qt.ControlModifier)
    np.testing.assert_array_equal(blocker.args[0], first)
    np.testing.assert_array_equal(pad.image(), first)
    assert pad.undo() is True
    assert pad.is_empty()
    assert pad.undo() is False  # nothing left: no signal, no change


def test_undo_brings_back_a_wiped_drawing(pad, qtbot):
    stroke(pad, [(60, 60), (200, 200)])
    drawn = pad.image()
    QTest.mouseClick(pad.canvas, QtCore.Qt.RightButton)
    assert pad.is_empty()
    assert pad.undo()
    np.testing.assert_array_equal(pad.image(), drawn)
