"""Drawing by hand, without a hand: a digit's stroke and the mouse events that draw it.

For the tests, the screenshots (docs/make_screenshots.py) and the GUI benchmarks;
not part of the app.
"""

from __future__ import annotations

from PyQt5 import QtCore, QtGui, QtWidgets

from convviz.gui.panels.drawpad import DrawCanvas

# A "3" in canvas pixels.
THREE_STROKE = (
    (85, 75), (120, 50), (170, 50), (195, 80), (185, 120), (145, 140),
    (190, 160), (200, 200), (175, 235), (125, 240), (85, 215),
)  # fmt: skip


def send_stroke(canvas: DrawCanvas, points, steps: int = 4) -> None:
    """Draw through ``points`` (canvas pixels) with synthetic mouse events, as a hand would.

    Press at the first point, drag through the others (``steps`` moves per segment),
    release at the last. Works on the offscreen platform, where QTest's mouseMove only
    moves a cursor that is not there.
    """

    def send(kind, x: float, y: float, button, buttons) -> None:
        pos = QtCore.QPointF(canvas.to_widget(x, y))
        event = QtGui.QMouseEvent(kind, pos, button, buttons, QtCore.Qt.NoModifier)
        QtWidgets.QApplication.sendEvent(canvas, event)

    left, none = QtCore.Qt.LeftButton, QtCore.Qt.NoButton
    send(QtCore.QEvent.MouseButtonPress, *points[0], left, left)
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        for i in range(1, steps + 1):
            t = i / steps
            send(QtCore.QEvent.MouseMove, x0 + t * (x1 - x0), y0 + t * (y1 - y0), none, left)
    send(QtCore.QEvent.MouseButtonRelease, *points[-1], left, none)
