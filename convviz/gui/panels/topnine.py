"""TopNineWidget: what a filter responds to in real data, beside what it "wants".

For one conv channel: the 9 test digits that excite it most (its largest
activation anywhere in the digit), each with a frame around the part the
channel saw (its receptive field), the 9 patches cut out and enlarged, and the
channel's activation-maximisation picture from "What filters want" when that
was computed (the deep-visualization-toolbox's view, Yosinski et al. 2015).
The ranking is one pass over the 10,000 test digits in the inference service
(:mod:`convviz.gui.jobs.labjobs`); a panel, numpy in, no TensorFlow.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt5 import QtCore, QtWidgets

from convviz.constants import IMAGE_SIZE
from convviz.gui.common import theme, tiles
from convviz.gui.common.export import FigureMenu
from convviz.gui.common.i18n import QT_TRANSLATE_NOOP, Retranslated, again, decimal, translate

TOPNINE_TITLE = QT_TRANSLATE_NOOP("PanelArea", "Top 9 digits")  # the tab's title
FRAME_COLOUR = theme.ACCURACY


class TopNineWidget(Retranslated, QtWidgets.QWidget):
    """One channel's top 9 digits and patches; ``compute_requested()`` asks for the pass over the test set."""

    compute_requested = QtCore.pyqtSignal()

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        theme.configure_pyqtgraph()
        self._layers: dict = {}  # layer -> TopImages-like (indices, values, positions, field, patches())
        self._images: np.ndarray | None = None
        self._wishes: dict = {}  # layer -> (C, 28, 28) activation maximisation pictures
        self._note = ""
        self._status = ""

        self._title = QtWidgets.QLabel()
        self._title.setFont(theme.font(theme.TITLE_PT, bold=True))
        self.compute_button = QtWidgets.QPushButton()
        self.layer_combo = QtWidgets.QComboBox()
        self.channel_spin = QtWidgets.QSpinBox()
        self.channel_spin.setRange(0, 0)
        self._channel_label = QtWidgets.QLabel()
        self._status_label = QtWidgets.QLabel()
        self._status_label.setFont(theme.font(theme.FONT_PT - 2))
        self._status_label.setStyleSheet(f"color: {theme.MUTED}")
        header = QtWidgets.QHBoxLayout()
        header.addWidget(self._title)
        header.addStretch(1)
        header.addWidget(self.compute_button)
        choice = QtWidgets.QHBoxLayout()
        choice.addWidget(self.layer_combo)
        choice.addWidget(self._channel_label)
        choice.addWidget(self.channel_spin)
        choice.addWidget(self._status_label, stretch=1)

        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setMinimumSize(300, 150)
        self._titles = []
        for col in range(3):
            label = pg.LabelItem("", size=f"{theme.FONT_PT - 3}pt")
            self.graphics.addItem(label, row=0, col=col)
            self._titles.append(label)
        self.digits_view, self.digits_item = theme.image_view(self.graphics, row=1, col=0)
        self.patches_view, self.patches_item = theme.image_view(self.graphics, row=1, col=1)
        self.wish_view, self.wish_item = theme.image_view(self.graphics, row=1, col=2)
        for view in (self.digits_view, self.patches_view, self.wish_view):
            self._backdrop = theme.add_backdrop(view)
        self._frames: list = []
        grid = self.graphics.ci.layout
        grid.setColumnStretchFactor(0, 3)
        grid.setColumnStretchFactor(1, 3)
        grid.setColumnStretchFactor(2, 1)
        self.figure_menu = FigureMenu(self.graphics, "convviz-top9")

        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(choice)
        layout.addWidget(self.graphics, stretch=1)

        self.compute_button.clicked.connect(self.compute_requested)
        self.layer_combo.currentIndexChanged.connect(lambda _i: self._on_layer_changed())
        self.channel_spin.valueChanged.connect(lambda _v: self._draw())
        self.retranslate()

    def retranslate(self) -> None:
        self._title.setText(translate("TopNine", "What each filter responds to"))
        self.compute_button.setText(translate("TopNine", "Rank the test digits"))
        self.compute_button.setToolTip(
            translate("TopNine", "One pass over the test set: each filter's 9 digits with the strongest response")
        )
        self._channel_label.setText(translate("TopNine", "filter:"))
        titles = (
            translate("TopNine", "top 9 (frame: what it saw)"),
            translate("TopNine", "the patches"),
            translate("TopNine", "it wants"),
        )
        for label, text in zip(self._titles, titles):
            label.setText(text)
        self._note, self._status = again(self._note), again(self._status)
        self._show_status()

    # ---- input ---------------------------------------------------------------------------------
    def set_no_conv(self, arch: str) -> None:
        """The network has no conv layer: one line says so, nothing to compute."""
        self._layers, self._images = {}, None
        self.layer_combo.clear()
        self.compute_button.setEnabled(False)
        line = translate("TopNine", "The {arch} network has no conv layers: there are no filters to rank digits by.")
        self._note = line.format(arch=arch)
        self._status = ""
        self._clear_pictures()
        self._show_status()

    def set_stale(self) -> None:
        """The weights changed since the ranking (or none was made): the button asks again."""
        self.compute_button.setEnabled(True)
        self._note = ""
        if self._layers:
            self._status = translate("TopNine", "The weights have changed: rank again to follow them.")
        else:
            self._status = translate("TopNine", "Press the button to rank the test digits for every filter.")
        self._show_status()

    def set_busy(self, done: int, total: int) -> None:
        self.compute_button.setEnabled(False)
        self._status = translate("TopNine", "ranking … {percent} %").format(percent=round(100 * done / max(total, 1)))
        self._show_status()

    def set_failed(self, text: str) -> None:
        self.compute_button.setEnabled(True)
        self._status = text
        self._show_status()

    def set_result(self, layers: dict, images: np.ndarray, seconds: float) -> None:
        """``layers``: {conv layer: TopImages}; ``images`` the test digits they index."""
        chosen = self.layer_combo.currentText()
        self._layers, self._images = dict(layers), np.asarray(images)
        self.compute_button.setEnabled(True)
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        self.layer_combo.addItems(list(layers))
        if chosen in layers:
            self.layer_combo.setCurrentText(chosen)
        self.layer_combo.blockSignals(False)
        line = translate("TopNine", "{count} test digits ranked in {seconds} s")
        self._status = line.format(count=len(self._images), seconds=decimal(seconds, 1))
        self._note = ""
        self._on_layer_changed()
        self._show_status()

    def set_wishes(self, layer: str, images: np.ndarray) -> None:
        """The activation-maximisation pictures of ``layer`` ("What filters want"), shown beside."""
        self._wishes[layer] = np.asarray(images)
        self._draw()

    def forget_wishes(self) -> None:
        self._wishes.clear()
        self._draw()

    def layer(self) -> str | None:
        return self.layer_combo.currentText() or None

    def channel(self) -> int:
        return self.channel_spin.value()

    def show_channel(self, layer: str, channel: int) -> None:
        self.layer_combo.setCurrentText(layer)
        self.channel_spin.setValue(channel)

    def shown(self) -> dict:
        """What is drawn: layer, channel, the 9 digits' indices ({} when nothing is)."""
        layer = self.layer()
        if layer is None or layer not in self._layers:
            return {}
        top = self._layers[layer]
        return {"layer": layer, "channel": self.channel(), "indices": top.indices[self.channel()].tolist()}

    # ---- internals -----------------------------------------------------------------------------
    def _show_status(self) -> None:
        self._status_label.setText(self._note or self._status)

    def _on_layer_changed(self) -> None:
        layer = self.layer()
        if layer in self._layers:
            self.channel_spin.setRange(0, self._layers[layer].channels - 1)
        self._draw()

    def _clear_pictures(self) -> None:
        for item in (self.digits_item, self.patches_item, self.wish_item):
            item.clear()
        for frame in self._frames:
            self.digits_view.removeItem(frame)
        self._frames = []

    def _draw(self) -> None:
        self._clear_pictures()
        layer = self.layer()
        if layer not in self._layers or self._images is None:
            return
        top, channel = self._layers[layer], self.channel()
        digits = (
            self._images[top.indices[channel], :, :, 0]
            if self._images.ndim == 4
            else self._images[top.indices[channel]]
        )
        mosaic = tiles.mosaic(digits, ncols=3, pad=1)
        self.digits_item.setImage(mosaic, levels=(0.0, 1.0))
        self.digits_view.setRange(xRange=(0, mosaic.shape[1]), yRange=(0, mosaic.shape[0]), padding=0.01)
        size = top.field.size
        for n, (y, x) in enumerate(top.positions[channel]):
            row, col = tiles.tile_origin(n, (IMAGE_SIZE, IMAGE_SIZE), 3, pad=1)
            t, left = top.field.box(int(y), int(x))
            t0, l0 = max(t, 0), max(left, 0)
            t1, l1 = min(t + size, IMAGE_SIZE), min(left + size, IMAGE_SIZE)
            frame = QtWidgets.QGraphicsRectItem(col + l0, row + t0, l1 - l0, t1 - t0)
            frame.setPen(pg.mkPen(FRAME_COLOUR, width=2, cosmetic=True))
            self.digits_view.addItem(frame)
            self._frames.append(frame)
        patches = tiles.mosaic(top.patches(self._images, channel), ncols=3, pad=1)
        self.patches_item.setImage(patches, levels=(0.0, 1.0))
        self.patches_view.setRange(xRange=(0, patches.shape[1]), yRange=(0, patches.shape[0]), padding=0.01)
        wishes = self._wishes.get(layer)
        if wishes is not None and channel < len(wishes):
            self.wish_item.setImage(np.asarray(wishes[channel], np.float32), levels=(0.0, 1.0))
            self.wish_view.setRange(xRange=(0, IMAGE_SIZE), yRange=(0, IMAGE_SIZE), padding=0.02)
