"""FiltersWidget: the learned kernels of one layer as a mosaic, blue (negative) - white - red (positive).

All kernels of a layer are tiled into one image shown by a single ImageItem
(pyqtgraph's VideoSpeedTest idea). Levels are symmetric, (-m, +m), so white
always means zero and a filter's sign reads at a glance. The dense network has no
conv kernels; its first layer's units are shown as 28x28 weight images instead.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt5 import QtCore, QtWidgets

from convviz.gui.common import theme, tiles
from convviz.gui.common.enlarge import EnlargedTile, tile_clicked
from convviz.gui.common.export import FigureMenu, titled
from convviz.gui.common.i18n import Retranslated, number, translate

MEAN_CHANNEL = None  # channel choice meaning "mean over input channels"
DEFAULT_LAYER = "conv1"
COLORBAR_PX = 110  # width of the colour bar beside the mosaic


def displayable_layers(kernels: dict) -> list:
    """Names of the kernels that can be shown: conv kernels (4-D) and image-fed dense kernels (784, units)."""
    return [name for name, k in kernels.items() if np.ndim(k) == 4 or tiles.is_image_dense(k)]


def channel_text(data: int, items: int) -> str:
    """An entry of the input-channel list: a channel, their mean (-1), or the image (a first layer's one input)."""
    if data >= 0:
        return translate("Filters", "channel {channel}").format(channel=data)
    return translate("Filters", "mean over channels") if items > 1 else translate("Filters", "the image")


class FiltersWidget(Retranslated, QtWidgets.QWidget):
    """Learned filters of a chosen layer; keeps the user's layer and channel choice across updates.

    Attributes: ``image_item`` (the mosaic ImageItem), ``layer_combo``, ``channel_combo``.
    """

    layer_changed = QtCore.pyqtSignal(str)

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        theme.configure_pyqtgraph()
        self._kernels: dict = {}
        self._model_kernels: dict = {}  # what set_kernels got (the model's); a timeline frame may replace one
        self._frame: tuple | None = None  # (layer, kernel) of a timeline frame shown instead of the model's
        self._tiles = np.zeros((0, 1, 1))
        self._ncols = 1
        self._mosaic = np.zeros((0, 0))
        self._relayout_timer = QtCore.QTimer(self)
        self._relayout_timer.setSingleShot(True)
        self._relayout_timer.setInterval(50)
        self._relayout_timer.timeout.connect(self._on_relayout_timeout)
        self.enlarged: EnlargedTile | None = None  # the window a click on a filter opens

        self.layer_combo = QtWidgets.QComboBox()
        self.layer_combo.setMinimumContentsLength(8)
        self.channel_combo = QtWidgets.QComboBox()
        self.channel_combo.setMinimumContentsLength(14)
        self._title = QtWidgets.QLabel()
        self._title.setFont(theme.font(theme.FONT_PT, bold=True))
        self._title.setWordWrap(True)  # a long title wraps rather than widen the window
        self._hover = QtWidgets.QLabel(" ")
        self._hover.setStyleSheet(f"color: {theme.MUTED}")

        header = QtWidgets.QHBoxLayout()
        self._layer_label = QtWidgets.QLabel()
        header.addWidget(self._layer_label)
        header.addWidget(self.layer_combo)
        self._channel_label = QtWidgets.QLabel()
        header.addWidget(self._channel_label)
        header.addWidget(self.channel_combo)
        header.addStretch(1)

        self.graphics = pg.GraphicsLayoutWidget()
        self.view, self.image_item = theme.image_view(self.graphics, row=0, col=0)
        self._backdrop = theme.add_backdrop(self.view)
        self.image_item.setLookupTable(theme.diverging_lut())
        self._colorbar_plot = self.graphics.addPlot(row=0, col=1)
        self._colorbar = pg.ImageItem()
        self._setup_colorbar()
        # The mosaic with its colour bar, and the title under it on a slide.
        self.figure_menu = FigureMenu(self.graphics, "convviz-filters", labels=titled(self.graphics, self._title.text))
        header.addWidget(self.figure_menu.make_button())

        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self._title)
        layout.addWidget(self.graphics, stretch=1)
        layout.addWidget(self._hover)

        self.layer_combo.currentIndexChanged.connect(self._on_layer_selected)
        self.channel_combo.currentIndexChanged.connect(self._on_channel_selected)
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.graphics.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self._update_channel_combo()
        self.retranslate()

    def retranslate(self) -> None:
        """Write every text in the current language (at start, and when the language changes)."""
        self._layer_label.setText(translate("Filters", "layer:"))
        self._channel_label.setText(translate("Filters", "input channel:"))
        tip = translate("Filters", "Deeper kernels see many input channels: pick one, or their mean")
        self.channel_combo.setToolTip(tip)
        for index in range(self.channel_combo.count()):
            self.channel_combo.setItemText(
                index, channel_text(self.channel_combo.itemData(index), self.channel_combo.count())
            )
        self._hover.setText(" ")
        self._refresh()  # the title, and the enlarged filter's

    # ---- public API -------------------------------------------------------------------------

    def set_kernels(self, kernels: dict) -> None:
        """Show new weights: ``{name: (kh, kw, in_ch, out_ch)}`` for conv layers, ``{"fc1": (784, units)}`` for dense.

        Other entries (biases, deeper dense kernels) are ignored.
        """
        self._model_kernels = {name: np.asarray(kernels[name]) for name in displayable_layers(kernels)}
        self._apply_kernels()

    def show_frame(self, layer: str, kernel) -> None:
        """Show a timeline frame's ``kernel`` as layer ``layer`` (kept across set_kernels until clear_frame)."""
        self._frame = (str(layer), np.asarray(kernel, np.float32))
        self._apply_kernels()

    def clear_frame(self) -> None:
        """Show the model's own kernels again."""
        if self._frame is not None:
            self._frame = None
            self._apply_kernels()

    def frame_layer(self) -> str | None:
        """The layer a timeline frame replaces now (None: the model's kernels are shown)."""
        return None if self._frame is None else self._frame[0]

    def shown_kernels(self, layer: str) -> np.ndarray | None:
        """The kernel shown for ``layer`` (a timeline frame's or the model's), None if there is none."""
        return self._kernels.get(layer)

    def _apply_kernels(self) -> None:
        self._kernels = dict(self._model_kernels)
        if self._frame is not None:
            layer, kernel = self._frame
            model = self._kernels.get(layer)
            if model is None or model.shape == kernel.shape:
                self._kernels[layer] = kernel
        names = list(self._kernels)
        current = self.current_layer()
        if names != [self.layer_combo.itemText(i) for i in range(self.layer_combo.count())]:
            self.layer_combo.blockSignals(True)
            self.layer_combo.clear()
            self.layer_combo.addItems(names)
            if current in names:
                keep = current
            elif DEFAULT_LAYER in names:
                keep = DEFAULT_LAYER
            else:
                keep = names[0] if names else None
            if keep is not None:
                self.layer_combo.setCurrentIndex(names.index(keep))
            self.layer_combo.blockSignals(False)
        self._update_channel_combo()
        self._refresh()

    def set_layer(self, name: str) -> None:
        index = self.layer_combo.findText(name)
        if index < 0:
            raise KeyError(f"no displayable layer {name!r}; have {list(self._kernels)}")
        self.layer_combo.setCurrentIndex(index)

    def set_channel(self, channel: int | None) -> None:
        """Input channel to show for deeper conv layers; None for the mean over channels."""
        index = self.channel_combo.findData(-1 if channel is None else channel)
        if index < 0:
            raise IndexError(f"no input channel {channel} in layer {self.current_layer()!r}")
        self.channel_combo.setCurrentIndex(index)

    def current_layer(self) -> str | None:
        return self.layer_combo.currentText() or None

    def current_channel(self) -> int | None:
        """The chosen input channel, or None for the mean (also when the layer has one input channel)."""
        data = self.channel_combo.currentData()
        return None if data is None or data < 0 else int(data)

    def tiles(self) -> np.ndarray:
        """The tiles currently shown, (n, h, w)."""
        return self._tiles

    def mosaic(self) -> np.ndarray:
        """The 2-D mosaic handed to the ImageItem (NaN padding)."""
        return self._mosaic

    def columns(self) -> int:
        return self._ncols

    def enlarge(self, index: int) -> EnlargedTile:
        """Open (or reuse) the window showing filter ``index`` of the layer and channel shown, on its own scale."""
        if not 0 <= index < len(self._tiles):
            raise IndexError(f"no filter {index}: layer {self.current_layer()!r} has {len(self._tiles)}")
        if self.enlarged is None:
            self.enlarged = EnlargedTile(self, "convviz-filter")
            self.enlarged.destroyed.connect(self._on_enlarged_destroyed)  # closed: it deletes itself
        self._show_enlarged((self.current_layer(), self.current_channel(), index))
        return self.enlarged

    def _on_enlarged_destroyed(self) -> None:
        self.enlarged = None

    def _show_enlarged(self, key: tuple) -> None:
        name, channel, index = key
        kernel = self._kernels.get(name)
        if kernel is None:
            return  # another network: the window keeps what it showed
        if kernel.ndim == 4:
            kh, kw, in_ch, _ = kernel.shape
            if channel is not None and channel >= in_ch:
                return
            tile = tiles.conv_tiles(kernel, channel)[index] if index < kernel.shape[3] else None
            size = f"{kh}{theme.TIMES}{kw}"
            if channel is not None:
                title = translate("Filters", "{layer}, filter {index}: {size} weights, input channel {channel}")
            elif in_ch > 1:
                title = translate("Filters", "{layer}, filter {index}: {size} weights, mean over inputs")
            else:
                title = translate("Filters", "{layer}, filter {index}: {size} weights")
            title = title.format(layer=name, index=index, size=size, channel=channel)
        else:
            tile = tiles.dense_tiles(kernel)[index] if index < kernel.shape[1] else None
            title = translate("Filters", "{layer}, unit {index}: its {size} weights")
            title = title.format(layer=name, index=index, size=f"28{theme.TIMES}28")
        if tile is not None:
            self.enlarged.show_tile(key, title, tile, theme.diverging_lut(), symmetric=True)

    # ---- internals --------------------------------------------------------------------------

    def _setup_colorbar(self) -> None:
        plot = self._colorbar_plot
        theme.style_colorbar(plot)
        plot.setFixedWidth(COLORBAR_PX)
        plot.addItem(self._colorbar)
        self._colorbar.setImage(np.linspace(-1.0, 1.0, 256)[:, None], autoLevels=False, levels=(-1.0, 1.0))
        self._colorbar.setLookupTable(theme.diverging_lut())
        self._set_colorbar_range(1.0)

    def _set_colorbar_range(self, m: float) -> None:
        # Row 0 of the ramp is -m; with the y axis pointing up it sits at the bottom.
        self._colorbar.setRect(QtCore.QRectF(0.0, -m, 1.0, 2.0 * m))
        self._colorbar_plot.setRange(xRange=(0, 1), yRange=(-m, m), padding=0)

    def _update_channel_combo(self) -> None:
        kernel = self._kernels.get(self.current_layer() or "")
        in_ch = kernel.shape[2] if kernel is not None and kernel.ndim == 4 else 1
        previous = self.channel_combo.currentData()
        self.channel_combo.blockSignals(True)
        if self.channel_combo.count() != in_ch + (1 if in_ch > 1 else 0):
            self.channel_combo.clear()
            items = in_ch + (1 if in_ch > 1 else 0)
            for data in [-1, *range(in_ch)] if in_ch > 1 else [-1]:
                self.channel_combo.addItem(channel_text(data, items), data)
            index = self.channel_combo.findData(previous) if previous is not None else -1
            self.channel_combo.setCurrentIndex(max(index, 0))
        self.channel_combo.blockSignals(False)
        visible = kernel is not None and kernel.ndim == 4 and in_ch > 1
        self.channel_combo.setVisible(visible)
        self._channel_label.setVisible(visible)

    def _refresh(self) -> None:
        name = self.current_layer()
        kernel = self._kernels.get(name or "")
        if kernel is None:
            self._tiles = np.zeros((0, 1, 1))
            self._mosaic = np.zeros((0, 0))
            self.image_item.clear()
            self._backdrop.setRect(QtCore.QRectF())
            self._title.setText(translate("Filters", "no model yet"))
            return
        if kernel.ndim == 4:
            kh, kw, in_ch, out_ch = kernel.shape
            channel = self.current_channel()
            self._tiles = tiles.conv_tiles(kernel, channel)
            if channel is not None:
                title = translate("Filters", "{layer}: %n filter(s) of {size}, input channel {channel}", None, out_ch)
            elif in_ch > 1:
                title = translate("Filters", "{layer}: %n filter(s) of {size}, mean over input channels", None, out_ch)
            else:
                title = translate("Filters", "{layer}: %n filter(s) of {size}, input: the image", None, out_ch)
            title = title.format(layer=name, size=f"{kh}{theme.TIMES}{kw}", channel=channel)
        else:
            self._tiles = tiles.dense_tiles(kernel)
            title = translate("Filters", "{layer}: the {count} hidden units' weights, each a {size} image")
            title = title.format(layer=name, count=kernel.shape[1], size=f"28{theme.TIMES}28")
        n = len(self._tiles)
        # The largest tiles the view holds; before it has a size, wider than tall (a projector is 16:9).
        self._ncols = self._best_columns() or tiles.grid_shape(n, int(np.ceil(np.sqrt(n * 1.5))))[1]
        self._mosaic = tiles.mosaic(self._tiles, self._ncols, pad=1)
        lo, hi = tiles.symmetric_levels(self._tiles)
        self.image_item.setImage(self._mosaic, autoLevels=False, levels=(lo, hi))
        theme.fit_backdrop(self._backdrop, self._mosaic.shape)
        self.view.autoRange(padding=0.02)
        self._set_colorbar_range(hi)
        theme.apply_ranges(self.view, self._colorbar_plot)  # one paint per snapshot, not two
        self._title.setText(
            translate("Filters", "{title}   (colour range ±{range})").format(title=title, range=number(hi, ".3g"))
        )
        if self.enlarged is not None and self.enlarged.isVisible():
            self._show_enlarged(self.enlarged.key)  # new weights: the enlarged filter follows

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if len(self._tiles):
            self._relayout_timer.start()  # once the resizing settles

    def _on_relayout_timeout(self) -> None:
        if len(self._tiles) and self._best_columns() not in (None, self._ncols):
            self._refresh()

    def _best_columns(self) -> int | None:
        """Columns that show the tiles largest in the view; None before it has a size."""
        width, height = self.graphics.width() - COLORBAR_PX, self.graphics.height()
        if width <= 50 or height <= 50:
            return None
        return tiles.best_columns(len(self._tiles), self._tiles.shape[1:], (width, height))

    def _on_layer_selected(self, index: int) -> None:
        self._update_channel_combo()
        self._refresh()
        name = self.current_layer()
        if name:
            self.layer_changed.emit(name)

    def _on_channel_selected(self, index: int) -> None:
        self._refresh()

    def _on_mouse_moved(self, scene_pos: QtCore.QPointF) -> None:
        if not len(self._tiles) or not self.view.sceneBoundingRect().contains(scene_pos):
            self._hover.setText(" ")
            return
        p = self.view.mapSceneToView(scene_pos)
        n, h, w = self._tiles.shape
        index = tiles.tile_at(p.y(), p.x(), (h, w), n, self._ncols)
        if index is None:
            self._hover.setText(" ")
            return
        r0, c0 = tiles.tile_origin(index, (h, w), self._ncols)
        row, col = int(p.y()) - r0, int(p.x()) - c0
        weight = self._tiles[index, row, col]
        hover = translate("Filters", "filter {index}, weight [{row}, {col}] = {weight}   (click: enlarge)")
        self._hover.setText(hover.format(index=index, row=row, col=col, weight=f"{weight:+.4f}"))

    def _on_scene_clicked(self, event) -> None:
        if event.button() != QtCore.Qt.LeftButton or not len(self._tiles):
            return
        index = tile_clicked(self.view, event.scenePos(), self._tiles, self._ncols)
        if index is not None:
            event.accept()
            self.enlarge(index)
