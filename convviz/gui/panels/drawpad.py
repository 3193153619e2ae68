"""DrawPadWidget: draw a digit with the mouse; the drawing is classified while you draw.

The canvas is a 280x280 QImage (Format_Grayscale8, white paper, black ink) painted
with a thick, anti-aliased round pen. ``drawing_changed`` carries the canvas as a
numpy array, throttled: at most once per ``EMIT_INTERVAL_MS`` during a stroke (so
the prediction follows the pen), and at once when the button is released.

Ctrl+Z (with the focus on the pad) or :meth:`DrawPadWidget.undo` takes back the last
stroke: the canvas as it was before the stroke began is kept, a few strokes deep.
"""

from __future__ import annotations

import numpy as np
from PyQt5 import QtCore, QtGui, QtWidgets

from convviz.gui.common import theme
from convviz.gui.common.i18n import Retranslated, translate
from convviz.gui.common.zoom import rebase_font

CANVAS_SIZE = 280  # pixels; 10x MNIST's 28, so preprocessing is a plain 10:1 reduction
BRUSH_WIDTH = 20  # pixels on the canvas: about 2 MNIST pixels, like a pen stroke in MNIST
UNDO_DEPTH = 20  # strokes that Ctrl+Z can take back (a 280x280 canvas each: 1.5 MB in all)
EMIT_INTERVAL_MS = 50  # while drawing: ~20 predictions a second, not one per mouse event
PAPER = 255
INK = 0


def qimage_to_array(image: QtGui.QImage) -> np.ndarray:
    """Copy a Format_Grayscale8 QImage into a (height, width) uint8 array."""
    if image.format() != QtGui.QImage.Format_Grayscale8:
        image = image.convertToFormat(QtGui.QImage.Format_Grayscale8)
    h, w, stride = image.height(), image.width(), image.bytesPerLine()
    ptr = image.constBits()
    ptr.setsize(h * stride)
    return np.frombuffer(ptr, dtype=np.uint8).reshape(h, stride)[:, :w].copy()


class DrawCanvas(QtWidgets.QWidget):
    """The paper: scales a CANVAS_SIZE-square QImage to fit, maps the mouse back onto it."""

    stroke_moved = QtCore.pyqtSignal()
    stroke_finished = QtCore.pyqtSignal()
    clear_requested = QtCore.pyqtSignal()

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.image = QtGui.QImage(CANVAS_SIZE, CANVAS_SIZE, QtGui.QImage.Format_Grayscale8)
        self.image.fill(PAPER)
        self._last: QtCore.QPointF | None = None
        self._before: list = []  # the canvas before each of the last strokes, newest last (for undo)
        self._pen = QtGui.QPen(
            QtGui.QColor(INK, INK, INK), BRUSH_WIDTH, QtCore.Qt.SolidLine, QtCore.Qt.RoundCap, QtCore.Qt.RoundJoin
        )
        self.setMinimumSize(CANVAS_SIZE, CANVAS_SIZE)
        self.setSizePolicy(QtWidgets.QSizePolicy.Expanding, QtWidgets.QSizePolicy.Expanding)
        self.setCursor(QtCore.Qt.CrossCursor)

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(CANVAS_SIZE + 120, CANVAS_SIZE + 120)

    def target_rect(self) -> QtCore.QRectF:
        """Where the canvas is drawn: the largest centred square in the widget."""
        side = min(self.width(), self.height())
        return QtCore.QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def to_canvas(self, pos: QtCore.QPointF) -> QtCore.QPointF:
        r = self.target_rect()
        s = CANVAS_SIZE / r.width()
        return QtCore.QPointF((pos.x() - r.x()) * s, (pos.y() - r.y()) * s)

    def to_widget(self, x: float, y: float) -> QtCore.QPoint:
        """Widget position of canvas pixel (x, y): for tests and demos that drive the mouse."""
        r = self.target_rect()
        s = r.width() / CANVAS_SIZE
        return QtCore.QPoint(round(r.x() + x * s), round(r.y() + y * s))

    def clear(self) -> None:
        if qimage_to_array(self.image).min() != PAPER:
            self._remember()  # a wipe is undone like a stroke
        self.image.fill(PAPER)
        self._last = None
        self.update()

    def _remember(self) -> None:
        self._before.append(self.image.copy())
        del self._before[:-UNDO_DEPTH]

    def can_undo(self) -> bool:
        return bool(self._before)

    def undo(self) -> bool:
        """The canvas as before the last stroke (or wipe); False when there is nothing to take back."""
        if not self._before or self._last is not None:
            return False
        self.image = self._before.pop()
        self.update()
        return True

    def draw_line(self, start: QtCore.QPointF, end: QtCore.QPointF) -> None:
        """Ink a segment in canvas coordinates (a dot when start == end)."""
        painter = QtGui.QPainter(self.image)
        painter.setRenderHint(QtGui.QPainter.Antialiasing, True)
        painter.setPen(self._pen)
        if start == end:
            painter.drawPoint(start)
        else:
            painter.drawLine(start, end)
        painter.end()
        self.update()

    # ---- events -----------------------------------------------------------------------------

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        painter = QtGui.QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        r = self.target_rect()
        painter.setRenderHint(QtGui.QPainter.SmoothPixmapTransform, True)
        painter.drawImage(r, self.image)
        painter.setPen(QtGui.QPen(QtGui.QColor(theme.MUTED), 2))
        painter.drawRect(r.adjusted(1, 1, -1, -1))
        painter.end()

    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:
        if event.button() == QtCore.Qt.RightButton:
            self.clear_requested.emit()
        elif event.button() == QtCore.Qt.LeftButton:
            self._remember()
            self._last = self.to_canvas(QtCore.QPointF(event.pos()))
            self.draw_line(self._last, self._last)
            self.stroke_moved.emit()

    def mouseMoveEvent(self, event: QtGui.QMouseEvent) -> None:
        # Our own flag, not event.buttons(): QTest's synthetic moves carry no button state.
        if self._last is None:
            return
        point = self.to_canvas(QtCore.QPointF(event.pos()))
        self.draw_line(self._last, point)
        self._last = point
        self.stroke_moved.emit()

    def mouseReleaseEvent(self, event: QtGui.QMouseEvent) -> None:
        if event.button() == QtCore.Qt.LeftButton and self._last is not None:
            self._last = None
            self.stroke_finished.emit()


class DrawPadWidget(Retranslated, QtWidgets.QWidget):
    """A canvas to draw a digit on, a Clear button, and a throttled ``drawing_changed`` signal."""

    drawing_changed = QtCore.pyqtSignal(np.ndarray)  # (280, 280) uint8, 255 paper, 0 ink
    cleared = QtCore.pyqtSignal()

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.canvas = DrawCanvas()
        self.clear_button = QtWidgets.QPushButton()
        self.hint_label = QtWidgets.QLabel()
        self.hint_label.setStyleSheet(f"color: {theme.MUTED}")
        self._short_hint = False  # the hint's short form, where the strip is narrow
        self._compact = False
        self._title = title = QtWidgets.QLabel()
        title.setFont(theme.font(theme.TITLE_PT, bold=True))

        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(EMIT_INTERVAL_MS)

        bottom = QtWidgets.QHBoxLayout()
        bottom.addWidget(self.hint_label, stretch=1)
        bottom.addWidget(self.clear_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.canvas, stretch=1)
        layout.addLayout(bottom)

        self._timer.timeout.connect(self._on_timer_timeout)
        self.canvas.stroke_moved.connect(self._on_stroke_moved)
        self.canvas.stroke_finished.connect(self._on_stroke_finished)
        self.canvas.clear_requested.connect(self.clear)
        self.clear_button.clicked.connect(self.clear)
        # Ctrl+Z where the pad has the focus (a click on it gives it): other panels keep the key for their own.
        self.setFocusPolicy(QtCore.Qt.ClickFocus)
        self.canvas.setFocusPolicy(QtCore.Qt.ClickFocus)
        self.undo_shortcut = QtWidgets.QShortcut(QtGui.QKeySequence.Undo, self)
        self.undo_shortcut.setContext(QtCore.Qt.WidgetWithChildrenShortcut)
        self.undo_shortcut.activated.connect(self.undo)
        self.retranslate()

    def retranslate(self) -> None:
        """Write every text in the current language (at start, and when the language changes)."""
        self._title.setText(translate("DrawPad", "drawing pad"))
        self.clear_button.setText(translate("DrawPad", "Clear"))
        tip = translate("DrawPad", "Wipe the pad (or right-click it); Ctrl+Z takes back the last stroke")
        self.clear_button.setToolTip(tip)
        self._update_hint()

    def set_short_hint(self, short: bool) -> None:
        """The hint under the pad in a few words ("large and centred"), where the strip is narrow."""
        self._short_hint = short
        self._update_hint()

    def set_compact(self, compact: bool) -> None:
        """On the smallest screens the hint goes (its text stays as the canvas's tooltip)."""
        self._compact = compact
        self.hint_label.setVisible(not compact)
        # The title sets the strip's width: a smaller one leaves the German "Zeichenfläche" no wider than the pad.
        rebase_font(self._title, theme.COMPACT_TITLE_PT if compact else theme.TITLE_PT)
        self._update_hint()

    def _update_hint(self) -> None:
        if self._short_hint:
            self.hint_label.setText(translate("DrawPad", "large and centred"))
        else:
            self.hint_label.setText(translate("DrawPad", "draw a digit, large and centred"))
        if self._compact:
            self.canvas.setToolTip(translate("DrawPad", "draw a digit, large and centred"))
        else:
            self.canvas.setToolTip(translate("DrawPad", "Draw a digit with the left button; right-click clears"))

    def image(self) -> np.ndarray:
        """The canvas as a (280, 280) uint8 array: 255 is paper, 0 is ink."""
        return qimage_to_array(self.canvas.image)

    def is_empty(self) -> bool:
        return bool(self.image().min() == PAPER)

    def clear(self) -> None:
        """Wipe the canvas and announce it (``cleared``, then ``drawing_changed`` with blank paper)."""
        self._timer.stop()
        self.canvas.clear()
        self.cleared.emit()
        self.drawing_changed.emit(self.image())

    def undo(self) -> bool:
        """Take back the last stroke (Ctrl+Z on the pad) and announce the drawing; False if there was none."""
        if not self.canvas.undo():
            return False
        self._timer.stop()
        self.drawing_changed.emit(self.image())
        return True

    def _on_stroke_moved(self) -> None:
        if not self._timer.isActive():  # throttle, not debounce: keep predicting while the pen moves
            self._timer.start()

    def _on_stroke_finished(self) -> None:
        self._timer.stop()
        self.drawing_changed.emit(self.image())

    def _on_timer_timeout(self) -> None:
        self.drawing_changed.emit(self.image())
