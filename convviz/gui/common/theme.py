"""Colours, fonts and the one-time pyqtgraph setup shared by all panels.

ConvViz is shown on a projector, so the theme is dark-on-light (projectors wash out
dark themes), with large fonts and thick, saturated lines. Every panel calls
:func:`configure_pyqtgraph` before it creates plots; it only acts the first time.
"""

from __future__ import annotations

import logging

import numpy as np
import pyqtgraph as pg
from PyQt5 import QtCore, QtGui, QtWidgets

logger = logging.getLogger(__name__)

FONT_PT = 14  # base font: readable from the back of a lecture hall
TITLE_PT = 18  # panel titles and plot axis labels
COMPACT_TITLE_PT = 16  # the pad's and the prediction's titles side by side in the strip of a 1024x768 screen
TICK_PT = 13  # axis tick labels
HUGE_PT = 96  # the predicted digit
TIMES = "\u00d7"  # the multiplication sign, for shapes like 28x28 in labels

BACKGROUND = "#ffffff"
FOREGROUND = "#1a1a1a"
MUTED = "#555555"  # secondary text
PANEL_GREY = "#6e6e6e"  # padding between image tiles: neither blue, white nor red
RAW_LOSS = (96, 136, 204)  # per-batch loss: mid blue, 3.6:1 on white (a projector washes out paler ones)
SMOOTH_LOSS = "#1f4e9c"  # smoothed loss: strong blue
ACCURACY = "#d95f02"  # test accuracy: orange, the accent colour
BAR = "#9aa9bf"  # class probabilities
WINNER = ACCURACY  # the predicted class
CORRECT = "#1b7f3b"
WRONG = "#c0262d"

# ColorBrewer RdBu, reversed: negative weights blue, zero white, positive red.
DIVERGING_COLORS = [(5, 48, 97), (67, 147, 195), (247, 247, 247), (214, 96, 77), (103, 0, 31)]
# Activations (>= 0 after ReLU): white for zero, darkening to deep blue for strong responses.
SEQUENTIAL_COLORS = [(255, 255, 255), (158, 202, 225), (49, 130, 189), (8, 48, 107)]

_configured = False


def configure_pyqtgraph() -> None:
    """Set pyqtgraph's global options once: row-major images (numpy order, upright), light theme."""
    global _configured
    if _configured:
        return
    pg.setConfigOptions(imageAxisOrder="row-major", background=BACKGROUND, foreground=FOREGROUND)
    _configured = True
    logger.debug("pyqtgraph configured: row-major images, light theme")


def apply_app_style(app: QtWidgets.QApplication) -> None:
    """Fusion style and a large base font for the whole application (called by the main window)."""
    app.setStyle("Fusion")
    font = app.font()
    font.setPointSize(FONT_PT)
    app.setFont(font)


def font(point_size: float = FONT_PT, bold: bool = False) -> QtGui.QFont:
    f = QtGui.QFont()
    f.setPointSizeF(point_size)
    f.setBold(bold)
    return f


def _lookup_table(colors: list, n: int = 256) -> np.ndarray:
    positions = np.linspace(0.0, 1.0, len(colors))
    rgb = np.array(colors, dtype=np.ubyte)  # plain RGB rows: accepted by every pyqtgraph since 0.11
    return pg.ColorMap(positions, rgb).getLookupTable(0.0, 1.0, n)


def diverging_lut() -> np.ndarray:
    """Blue-white-red lookup table (256 x 3 uint8) for signed values centred on zero."""
    return _lookup_table(DIVERGING_COLORS)


def sequential_lut() -> np.ndarray:
    """White-to-blue lookup table (256 x 3 uint8) for non-negative activations."""
    return _lookup_table(SEQUENTIAL_COLORS)


def grey_lut(ink_dark: bool = False) -> np.ndarray:
    """Grey ramp: 0 -> black, 1 -> white (MNIST as the network sees it), or reversed."""
    ramp = np.linspace(0, 255, 256).astype(np.uint8)
    if ink_dark:
        ramp = ramp[::-1]
    return np.repeat(ramp[:, None], 3, axis=1)


def style_plot(plot: pg.PlotItem, axes: tuple = ("left", "bottom")) -> None:
    """Large tick fonts and thick axes on the given axes of a plot."""
    for name in axes:
        axis = plot.getAxis(name)
        axis.setTickFont(font(TICK_PT))
        axis.setPen(pg.mkPen(FOREGROUND, width=1.5))
        axis.setTextPen(pg.mkPen(FOREGROUND))


def set_axis_label(plot: pg.PlotItem, name: str, text: str, color: str = FOREGROUND) -> None:
    plot.setLabel(name, text, **{"font-size": f"{TITLE_PT - 2}pt", "color": color})
    plot.getAxis(name).resizeEvent()  # pyqtgraph centres a title only on a resize: a new one stayed off-centre


def relabel_axis(plot: pg.PlotItem, name: str, text: str) -> None:
    """New words for an axis' label, in the style it has now (its colour, its size as zoomed)."""
    axis = plot.getAxis(name)
    axis.setLabel(text, **dict(axis.labelStyle or {}))
    axis.resizeEvent()  # centred again for the new words' length (pyqtgraph does it only on a resize)


def image_view(layout: pg.GraphicsLayout | pg.GraphicsLayoutWidget, **kwargs) -> tuple:
    """Add a locked-aspect, y-down, non-interactive ViewBox holding one ImageItem.

    Returns ``(view, image_item)``. Row 0 of a numpy image is drawn at the top.
    """
    view = layout.addViewBox(lockAspect=True, invertY=True, enableMouse=False, **kwargs)
    view.setMenuEnabled(False)
    item = pg.ImageItem()
    view.addItem(item)
    return view, item


def apply_ranges(*views) -> None:
    """Move the contents of ``views`` (ViewBoxes or PlotItems) to their new ranges now, not as they paint.

    pyqtgraph changes a view's transform only when it next paints; changed there, the items it moves
    ask for a second paint of the same region in the next turn of the event loop. A panel that sets
    new ranges at every training snapshot paints once per update this way, not twice or three times.
    """
    for view in views:
        box = view.getViewBox() if isinstance(view, pg.PlotItem) else view
        box.prepareForPaint()


def add_backdrop(view: pg.ViewBox) -> QtWidgets.QGraphicsRectItem:
    """A grey rectangle behind a mosaic: NaN padding is transparent and shows it as thin separators."""
    backdrop = QtWidgets.QGraphicsRectItem()
    backdrop.setBrush(pg.mkBrush(PANEL_GREY))
    backdrop.setPen(pg.mkPen(None))
    backdrop.setZValue(-10)
    view.addItem(backdrop, ignoreBounds=True)
    return backdrop


def fit_backdrop(backdrop: QtWidgets.QGraphicsRectItem, shape: tuple, frame: float = 1.0) -> None:
    """Cover an image of ``shape`` (rows, cols) plus a frame of ``frame`` pixels."""
    rows, cols = shape[:2]
    backdrop.setRect(QtCore.QRectF(-frame, -frame, cols + 2 * frame, rows + 2 * frame))


def style_colorbar(plot: pg.PlotItem) -> None:
    """A fixed plot that shows only a colour ramp and its values on the right axis."""
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    plot.hideAxis("bottom")
    plot.hideAxis("left")
    plot.showAxis("right")
    plot.getAxis("right").enableAutoSIPrefix(False)  # 0.05 must read as 0.05, not as 50 with a hidden unit
    style_plot(plot, ("right",))
