"""A small matrix of numbers on coloured cells: the Convolution panel's patch, kernel and products."""

from __future__ import annotations

import numpy as np
from PyQt5 import QtCore, QtGui, QtWidgets

from convviz.gui.common import theme
from convviz.gui.common.i18n import decimal

GRID_PT = theme.FONT_PT - 2  # the grids' numbers: five across 220 px, so that a 1024x768 screen holds two grids
GRID_SAMPLE = "-0.00"  # the widest number a cell shows
PADDING_BRUSH = QtGui.QColor(theme.PANEL_GREY)  # SAME padding: the zeros outside the input


def number_text(value: float) -> str:
    """A grid cell's number: two decimals, and no "-0.00"."""
    text = decimal(value, 2)
    return "0.00" if text == "-0.00" else text


def _lut_colour(lut: np.ndarray, levels: tuple, value: float) -> QtGui.QColor:
    low, high = levels
    if not np.isfinite(value):
        return QtGui.QColor(theme.PANEL_GREY)
    t = 0.0 if high <= low else min(max((value - low) / (high - low), 0.0), 1.0)
    r, g, b = (int(v) for v in lut[int(t * (len(lut) - 1) + 0.5)][:3])
    return QtGui.QColor(r, g, b)


class NumberGrid(QtWidgets.QWidget):
    """A small matrix of numbers on coloured cells; as large as its font needs, so the zoom scales it.

    Cells in the zero padding of a SAME convolution are hatched. Hovering a cell shows its
    full value as a tooltip.
    """

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.setFont(theme.font(GRID_PT))
        self._values = np.zeros((0, 0))
        self._lut = theme.grey_lut()
        self._levels = (0.0, 1.0)
        self._padded: np.ndarray | None = None
        self.setSizePolicy(QtWidgets.QSizePolicy.Fixed, QtWidgets.QSizePolicy.Fixed)
        self.setMouseTracking(True)

    def set_values(self, values: np.ndarray, lut: np.ndarray, levels: tuple, padded: np.ndarray | None = None) -> None:
        values = np.asarray(values, dtype=np.float64)
        if values.ndim != 2:
            raise ValueError(f"a number grid shows a matrix, got shape {values.shape}")
        resized = values.shape != self._values.shape
        self._values, self._lut, self._levels = values, lut, (float(levels[0]), float(levels[1]))
        self._padded = None if padded is None else np.asarray(padded, bool)
        if resized:
            self.updateGeometry()
        self.update()

    def values(self) -> np.ndarray:
        return self._values.copy()

    def texts(self) -> list:
        """The numbers as the cells write them, row by row."""
        return [[number_text(v) for v in row] for row in self._values]

    def cell_size(self) -> QtCore.QSize:
        metrics = QtGui.QFontMetrics(self.font())
        return QtCore.QSize(metrics.horizontalAdvance(GRID_SAMPLE) + 8, metrics.height() + 4)

    def sizeHint(self) -> QtCore.QSize:
        cell = self.cell_size()
        rows, cols = self._values.shape if self._values.size else (5, 5)
        return QtCore.QSize(cols * cell.width() + 1, rows * cell.height() + 1)

    def minimumSizeHint(self) -> QtCore.QSize:
        return self.sizeHint()

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() == QtCore.QEvent.FontChange:  # the zoom changed: the cells grow with the font
            self.updateGeometry()
        super().changeEvent(event)

    def _cell_at(self, pos: QtCore.QPoint):
        cell = self.cell_size()
        row, col = pos.y() // cell.height(), pos.x() // cell.width()
        rows, cols = self._values.shape
        return (row, col) if 0 <= row < rows and 0 <= col < cols else None

    def event(self, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.ToolTip:
            where = self._cell_at(event.pos())
            if where is None:
                QtWidgets.QToolTip.hideText()
            else:
                value = self._values[where]
                QtWidgets.QToolTip.showText(event.globalPos(), f"[{where[0]}, {where[1]}] = {value:+.6f}", self)
            return True
        return super().event(event)

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        painter = QtGui.QPainter(self)
        cell = self.cell_size()
        w, h = cell.width(), cell.height()
        grid_pen = QtGui.QPen(QtGui.QColor(theme.PANEL_GREY), 1)
        for (row, col), value in np.ndenumerate(self._values):
            rect = QtCore.QRect(col * w, row * h, w, h)
            colour = _lut_colour(self._lut, self._levels, value)
            painter.fillRect(rect, colour)
            if self._padded is not None and self._padded[row, col]:
                painter.fillRect(rect, QtGui.QBrush(PADDING_BRUSH, QtCore.Qt.BDiagPattern))
            dark = 0.299 * colour.red() + 0.587 * colour.green() + 0.114 * colour.blue() < 140
            painter.setPen(QtGui.QColor("#ffffff" if dark else theme.FOREGROUND))
            painter.drawText(rect, QtCore.Qt.AlignCenter, number_text(value))
            painter.setPen(grid_pen)
            painter.drawRect(rect)
        painter.end()
