"""One filter or feature map, enlarged in a small window of its own, with its own colour scale.

The filters and feature-map panels show a whole layer in one mosaic on one
colour scale. A click on a tile opens :class:`EnlargedTile` (not modal: the
window stays usable, and the panel updates it while training goes on), which
shows that tile alone, large, with a colour bar for its own range: a weak
filter, all pale in the mosaic, shows its pattern here.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt5 import QtCore, QtWidgets

from convviz.gui.common import theme, tiles
from convviz.gui.common.export import FigureMenu
from convviz.gui.common.i18n import again, translate

COLORBAR_PX = 110  # width of the colour bar beside the tile
INITIAL_SIZE = (520, 460)


class ColorBar:
    """A vertical ramp of a lookup table from ``low`` (bottom) to ``high`` (top), its values on the right axis."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, col: int):
        self.plot = layout.addPlot(row=row, col=col)
        plot = self.plot
        theme.style_colorbar(plot)
        plot.setFixedWidth(COLORBAR_PX)
        self.item = pg.ImageItem()
        plot.addItem(self.item)
        self.levels = (0.0, 1.0)

    def set(self, lut: np.ndarray, low: float, high: float) -> None:
        self.levels = (float(low), float(high))
        self.item.setImage(np.linspace(low, high, 256)[:, None], autoLevels=False, levels=self.levels)
        self.item.setLookupTable(lut)
        # Row 0 of the ramp is ``low``; with the y axis pointing up it sits at the bottom.
        self.item.setRect(QtCore.QRectF(0.0, low, 1.0, high - low))
        self.plot.setRange(xRange=(0, 1), yRange=(low, high), padding=0)


def own_levels(tile: np.ndarray, symmetric: bool) -> tuple:
    """The colour range of one tile alone: (-m, +m) for weights, (min(0, low), high) for activations."""
    finite = np.asarray(tile, dtype=float)
    finite = finite[np.isfinite(finite)]
    if symmetric:
        m = float(np.abs(finite).max()) if finite.size else 0.0
        return (-m, m) if m > 0 else (-1.0, 1.0)
    low = min(0.0, float(finite.min())) if finite.size else 0.0
    high = float(finite.max()) if finite.size else 1.0
    return (low, high) if high > low else (low, low + 1.0)


class EnlargedTile(QtWidgets.QDialog):
    """A small, non-modal window: one tile, large, on its own colour scale (a colour bar beside it).

    ``key`` says which tile it shows (the panel's choice, e.g. ``("conv1", None, 5)``), so
    that the panel can update it with new weights or a new digit.
    """

    def __init__(self, parent: QtWidgets.QWidget | None = None, name: str = "convviz-tile"):
        super().__init__(parent)
        self.setModal(False)
        self.setAttribute(QtCore.Qt.WA_DeleteOnClose)  # closed is gone: a click opens a fresh one
        self.setWindowTitle(translate("Enlarged", "enlarged"))
        self.key = None
        self._title_text = ""
        self._values: tuple | None = None  # the tile's (min, max) and its colours' (low, high)
        theme.configure_pyqtgraph()
        self._title = QtWidgets.QLabel("")
        self._title.setFont(theme.font(theme.FONT_PT, bold=True))
        self._title.setWordWrap(True)
        self.graphics = pg.GraphicsLayoutWidget()
        self.view, self.image_item = theme.image_view(self.graphics, row=0, col=0)
        self._frame = theme.add_backdrop(self.view)  # a grey edge: a map's zeros are as white as the page
        self.colorbar = ColorBar(self.graphics.ci, row=0, col=1)
        self.figure_menu = FigureMenu(self.graphics, name)
        self._range = QtWidgets.QLabel("")
        self._range.setStyleSheet(f"color: {theme.MUTED}")
        bottom = QtWidgets.QHBoxLayout()
        bottom.addWidget(self._range, stretch=1)
        bottom.addWidget(self.figure_menu.make_button())
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addWidget(self.graphics, stretch=1)
        layout.addLayout(bottom)
        self.resize(*INITIAL_SIZE)

    def show_tile(self, key, title: str, tile: np.ndarray, lut: np.ndarray, symmetric: bool) -> None:
        """Show ``tile`` (h, w) with ``lut`` on its own range (symmetric around zero for weights)."""
        tile = np.asarray(tile, dtype=np.float64)
        low, high = own_levels(tile, symmetric)
        self.key = key
        self._title_text = title
        self.setWindowTitle(title)
        self._title.setText(title)
        self.image_item.setImage(tile, autoLevels=False, levels=(low, high))
        self.image_item.setLookupTable(lut)
        theme.fit_backdrop(self._frame, tile.shape, frame=max(tile.shape) / 60)
        self.view.autoRange(padding=0.02)
        self.colorbar.set(lut, low, high)
        self._values = (float(tile.min()), float(tile.max()), low, high)
        self._show_range()
        if not self.isVisible():
            self.show()
        self.raise_()

    def _show_range(self) -> None:
        if self._values is None:
            return
        smallest, largest, low, high = self._values
        line = translate("Enlarged", "values {min} to {max}; colours span {low} to {high}")
        self._range.setText(
            line.format(min=f"{smallest:+.4g}", max=f"{largest:+.4g}", low=f"{low:+.3g}", high=f"{high:+.3g}")
        )

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() == QtCore.QEvent.LanguageChange:
            self._title_text = again(self._title_text)  # the panel shows it again too, when it is open
            self._title.setText(self._title_text)
            self.setWindowTitle(self._title_text or translate("Enlarged", "enlarged"))
            self._show_range()
        super().changeEvent(event)

    def image(self) -> np.ndarray | None:
        """The tile shown."""
        return self.image_item.image

    def levels(self) -> tuple:
        """The tile's colour range, as on its colour bar."""
        return self.colorbar.levels


def tile_clicked(view, scene_pos, stack, columns: int) -> int | None:
    """Which tile of ``stack`` (N, h, w), shown as a mosaic of ``columns`` in ``view``, is at ``scene_pos``."""
    if stack is None or not len(stack) or not view.sceneBoundingRect().contains(scene_pos):
        return None
    p = view.mapSceneToView(scene_pos)
    n, h, w = stack.shape
    return tiles.tile_at(p.y(), p.x(), (h, w), n, columns)
