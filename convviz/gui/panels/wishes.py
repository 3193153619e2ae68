"""What a filter wants to see: for every filter of a conv layer, the input that makes it fire most.

:class:`FilterWishesWidget` shows those inputs (activation maximisation, computed in
a worker thread by :mod:`convviz.gui.jobs.insidejobs`) beside the learned kernels.
A panel: numpy in, no TensorFlow. :class:`convviz.gui.window.inside.InsidePanels`
adds it to the window and wires it to the state.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import pyqtgraph as pg
from PyQt5 import QtCore, QtWidgets

from convviz.constants import IMAGE_SIZE
from convviz.convmath import conv_layers
from convviz.gui.common import theme, tiles
from convviz.gui.common.enlarge import EnlargedTile, tile_clicked
from convviz.gui.common.export import FigureMenu
from convviz.gui.common.i18n import QT_TRANSLATE_NOOP, Retranslated, again, decimal, number, translate

WISHES_TITLE = QT_TRANSLATE_NOOP("PanelArea", "What filters want")  # the tab's title
WISH_LEVELS = (0.0, 1.0)  # activation maximisation's images are in [0, 1], as MNIST


class FilterWishesWidget(Retranslated, QtWidgets.QWidget):
    """What each filter of a conv layer wants to see, beside its learned kernel.

    The panel asks (``compute_requested(layer)``) and shows what it gets back
    (:meth:`set_progress`, :meth:`set_result`, :meth:`set_cancelled`, :meth:`set_failed`); the work is
    done elsewhere, in a thread. ``auto_changed(on)``: the "after each epoch" box.
    """

    compute_requested = QtCore.pyqtSignal(str)  # the layer
    cancel_requested = QtCore.pyqtSignal()
    auto_changed = QtCore.pyqtSignal(bool)

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        theme.configure_pyqtgraph()
        self._arch: str | None = None
        self._kernels: dict = {}
        self._result = None  # (layer, images (C, 28, 28), before (C,), after (C,)), for the shown layer
        self._ncols = 1
        self._kernel_tiles = np.zeros((0, 1, 1))
        self._status_text = ""
        self._note_texts: tuple = ()
        self.enlarged: EnlargedTile | None = None

        self.layer_combo = QtWidgets.QComboBox()
        self._layer_label = QtWidgets.QLabel()
        self.compute_button = QtWidgets.QPushButton()
        self.cancel_button = QtWidgets.QPushButton()
        self.cancel_button.setEnabled(False)
        self.progress_bar = QtWidgets.QProgressBar()
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat("%p %")
        self.progress_bar.setMinimumWidth(120)
        self.auto_check = QtWidgets.QCheckBox()
        self.status = QtWidgets.QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet(f"color: {theme.MUTED}")

        first = QtWidgets.QHBoxLayout()
        for widget in (self._layer_label, self.layer_combo, self.compute_button, self.cancel_button):
            first.addWidget(widget)
        first.addWidget(self.progress_bar, stretch=1)
        second = QtWidgets.QHBoxLayout()
        second.addWidget(self.auto_check)
        second.addStretch(1)

        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setMinimumSize(300, 200)
        self._kernel_label = self.graphics.addLabel("", row=0, col=0, size=f"{theme.FONT_PT}pt")
        self._wish_label = self.graphics.addLabel("", row=0, col=1, size=f"{theme.FONT_PT}pt")
        self.kernel_view, self.kernel_item = theme.image_view(self.graphics, row=1, col=0)
        self.wish_view, self.wish_item = theme.image_view(self.graphics, row=1, col=1)
        self._kernel_backdrop = theme.add_backdrop(self.kernel_view)
        self._wish_backdrop = theme.add_backdrop(self.wish_view)
        self.kernel_item.setLookupTable(theme.diverging_lut())
        self.wish_item.setLookupTable(theme.grey_lut())
        self.figure_menu = FigureMenu(self.graphics, "convviz-filter-wishes")
        self._hover = QtWidgets.QLabel(" ")
        self._hover.setStyleSheet(f"color: {theme.MUTED}")
        self.note = QtWidgets.QLabel()
        self.note.setWordWrap(True)
        self.note.setFont(theme.font(theme.FONT_PT + 1))
        self.note.hide()
        bottom = QtWidgets.QHBoxLayout()
        bottom.addWidget(self._hover, stretch=1)
        self._save_button = self.figure_menu.make_button()
        bottom.addWidget(self._save_button)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(first)
        layout.addLayout(second)
        layout.addWidget(self.status)
        layout.addWidget(self.note)
        layout.addWidget(self.graphics, stretch=1)
        layout.addLayout(bottom)

        self.compute_button.clicked.connect(self._on_compute)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.auto_check.toggled.connect(self.auto_changed)
        self.layer_combo.currentIndexChanged.connect(self._on_layer_chosen)
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.graphics.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self._set_status(translate("FilterWishes", "Compute finds, for every filter, the input it responds to most."))
        self.retranslate()

    def retranslate(self) -> None:
        self._layer_label.setText(translate("FilterWishes", "layer:"))
        self.compute_button.setText(translate("FilterWishes", "Compute"))
        self.compute_button.setToolTip(
            translate(
                "FilterWishes", "Gradient ascent from grey noise: for each filter, the input that makes it fire most"
            )
        )
        self.cancel_button.setText(translate("FilterWishes", "Cancel"))
        self.auto_check.setText(translate("FilterWishes", "again after each epoch"))
        self.auto_check.setToolTip(translate("FilterWishes", "While training: compute them again after every epoch"))
        self._save_button.setToolTip(translate("FilterWishes", "Save the kernels and the images as PNG or SVG"))
        self._status_text = again(self._status_text)
        self.status.setText(self._status_text)
        self._note_texts = tuple(again(text) for text in self._note_texts)
        self.note.setText(" ".join(self._note_texts))
        self._hover.setText(" ")
        self._relabel()
        if self.enlarged is not None and self.enlarged.isVisible():
            self.enlarge(self.enlarged.key)

    def _set_status(self, text: str) -> None:
        self._status_text = text
        self.status.setText(text)

    def status_text(self) -> str:
        return self.status.text()

    # ---- input -------------------------------------------------------------------------------
    def set_model(self, arch: str, weights: Mapping) -> None:
        """The network in use: its conv kernels are drawn; a result of another network is dropped."""
        convs = conv_layers(arch)
        names = [c.name for c in convs]
        if arch != self._arch:
            self._result = None
            self.wish_item.clear()
            self._wish_backdrop.setRect(QtCore.QRectF())
        self._arch = arch
        self._kernels = {name: np.asarray(weights[f"{name}/kernel"]) for name in names if f"{name}/kernel" in weights}
        if names != [self.layer_combo.itemText(i) for i in range(self.layer_combo.count())]:
            current = self.layer_combo.currentText()
            self.layer_combo.blockSignals(True)
            self.layer_combo.clear()
            self.layer_combo.addItems(names)
            self.layer_combo.setCurrentIndex(names.index(current) if current in names else 0)
            self.layer_combo.blockSignals(False)
        has_conv = bool(names)
        for widget in (self.layer_combo, self.compute_button, self.auto_check):
            widget.setEnabled(has_conv)
        if not has_conv:
            reason = translate("FilterWishes", "The {arch} network has no convolution: it has no filters to show.")
            self._note_texts = (reason.format(arch=arch), translate("FilterWishes", "Choose cnn, template or lenet5."))
            self.note.setText(" ".join(self._note_texts))
            self.note.show()
            self.graphics.hide()
            return
        self.note.hide()
        self.graphics.show()
        self._draw()

    def layer(self) -> str | None:
        return self.layer_combo.currentText() or None

    def set_layer(self, name: str) -> None:
        index = self.layer_combo.findText(name)
        if index < 0:
            raise KeyError(f"no conv layer {name!r}")
        self.layer_combo.setCurrentIndex(index)

    def auto(self) -> bool:
        return self.auto_check.isChecked()

    def compute(self) -> None:
        """As the Compute button."""
        self._on_compute()

    def _on_compute(self) -> None:
        layer = self.layer()
        if layer is not None:
            self.compute_requested.emit(layer)

    # ---- what the work reports ---------------------------------------------------------------
    def set_busy(self, layer: str) -> None:
        self.cancel_button.setEnabled(True)
        self.progress_bar.setValue(0)
        self._set_status(
            translate("FilterWishes", "Computing the images the filters of {layer} want to see…").format(layer=layer)
        )

    def set_progress(self, done: int, total: int) -> None:
        self.progress_bar.setValue(round(100 * done / max(total, 1)))

    def progress(self) -> int:
        return self.progress_bar.value()

    def set_result(self, layer: str, images: np.ndarray, before: np.ndarray, after: np.ndarray, seconds: float) -> None:
        """Activation maximisation's images (C, 28, 28) for every filter of ``layer``, with each filter's mean
        activation on the starting noise (``before``) and on its image (``after``)."""
        self._result = (layer, np.asarray(images, np.float32), np.asarray(before, float), np.asarray(after, float))
        self.cancel_button.setEnabled(False)
        self.progress_bar.setValue(100)
        gain = self.gain()
        line = translate("FilterWishes", "{layer}: %n image(s) in {seconds}; the filters fire {gain}× more than on noise", None, len(images))  # noqa: E501
        gain_text = decimal(gain, 0) if gain is not None and np.isfinite(gain) else "–"
        seconds_text = f"{decimal(seconds, 1)} s"
        self._set_status(line.format(layer=layer, seconds=seconds_text, gain=gain_text))
        if layer != self.layer():
            self.layer_combo.blockSignals(True)
            self.set_layer(layer)
            self.layer_combo.blockSignals(False)
        self._draw()

    def set_cancelled(self) -> None:
        self.cancel_button.setEnabled(False)
        self.progress_bar.setValue(0)
        self._set_status(translate("FilterWishes", "Cancelled."))

    def set_failed(self, message: str) -> None:
        self.cancel_button.setEnabled(False)
        self.progress_bar.setValue(0)
        self._set_status(translate("FilterWishes", "Could not compute them: {message}").format(message=message))

    def result(self):
        """(layer, images, before, after) shown, or None."""
        return self._result

    def gain(self) -> float | None:
        """Mean activation on the images over that on the starting noise, averaged over the filters."""
        if self._result is None:
            return None
        _, _, before, after = self._result
        return float(after.mean() / max(before.mean(), 1e-12))

    def wish_mosaic(self) -> np.ndarray | None:
        return None if self.wish_item.image is None else np.array(self.wish_item.image)

    def columns(self) -> int:
        return self._ncols

    # ---- drawing -----------------------------------------------------------------------------
    def _relabel(self) -> None:
        layer = self.layer() or ""
        kernel = self._kernels.get(layer)
        if kernel is not None and kernel.shape[2] > 1:
            text = translate("FilterWishes", "learned kernels of {layer} (mean over input channels)")
        else:
            text = translate("FilterWishes", "learned kernels of {layer}")
        # No size here: the zoom has set it (pyqtgraph keeps a label's size when only its text is given).
        # Only a changed text is set: each setText lays the label's HTML out again (a QTextDocument).
        for label, new in (
            (self._kernel_label, text.format(layer=layer)),
            (self._wish_label, translate("FilterWishes", "what each filter wants to see")),
        ):
            if label.text != str(new):
                label.setText(new)

    def _on_layer_chosen(self, _index: int) -> None:
        self._draw()

    def _draw(self) -> None:
        layer = self.layer()
        kernel = self._kernels.get(layer or "")
        self._relabel()
        if kernel is None:
            return
        self._kernel_tiles = tiles.conv_tiles(kernel, None)
        n = len(self._kernel_tiles)
        width, height = max(self.graphics.width() // 2, 100), max(self.graphics.height() - 40, 100)
        self._ncols = tiles.best_columns(n, (IMAGE_SIZE, IMAGE_SIZE), (width, height))
        grid = tiles.mosaic(self._kernel_tiles, self._ncols, pad=1)
        self.kernel_item.setImage(grid, autoLevels=False, levels=tiles.symmetric_levels(self._kernel_tiles))
        theme.fit_backdrop(self._kernel_backdrop, grid.shape)
        self.kernel_view.autoRange(padding=0.02)
        if self._result is not None and self._result[0] == layer:
            wishes = tiles.mosaic(self._result[1], self._ncols, pad=1)
            self.wish_item.setImage(wishes, autoLevels=False, levels=WISH_LEVELS)
            theme.fit_backdrop(self._wish_backdrop, wishes.shape)
            self.wish_view.autoRange(padding=0.02)
        else:
            self.wish_item.clear()
            self._wish_backdrop.setRect(QtCore.QRectF())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if len(self._kernel_tiles):
            QtCore.QTimer.singleShot(0, self._draw)

    def _tile_under(self, scene_pos) -> int | None:
        if self._result is not None and self._result[0] == self.layer():
            index = tile_clicked(self.wish_view, scene_pos, self._result[1], self._ncols)
            if index is not None:
                return index
        return tile_clicked(self.kernel_view, scene_pos, self._kernel_tiles, self._ncols)

    def _on_mouse_moved(self, scene_pos) -> None:
        index = self._tile_under(scene_pos)
        if index is None:
            self._hover.setText(" ")
            return
        if self._result is not None and self._result[0] == self.layer():
            _, _, before, after = self._result
            line = translate("FilterWishes", "filter {index}: mean activation {before} on noise, {after} on its image")
            before_text, after_text = number(before[index], ".3g"), number(after[index], ".3g")
            self._hover.setText(line.format(index=index, before=before_text, after=after_text))
        else:
            self._hover.setText(translate("FilterWishes", "filter {index}").format(index=index))

    def _on_scene_clicked(self, event) -> None:
        if event.button() != QtCore.Qt.LeftButton:
            return
        index = self._tile_under(event.scenePos())
        if index is not None and self._result is not None and self._result[0] == self.layer():
            event.accept()
            self.enlarge((self.layer(), index))

    def enlarge(self, key: tuple) -> EnlargedTile | None:
        """A window with filter ``key[1]``'s image of layer ``key[0]``, large."""
        layer, index = key
        if self._result is None or self._result[0] != layer or not 0 <= index < len(self._result[1]):
            return None
        if self.enlarged is None:
            self.enlarged = EnlargedTile(self, "convviz-filter-wish")
            self.enlarged.destroyed.connect(self._on_enlarged_destroyed)
        title = translate("FilterWishes", "{layer}, filter {index}: the input it responds to most")
        self.enlarged.show_tile(
            key, title.format(layer=layer, index=index), self._result[1][index], theme.grey_lut(), symmetric=False
        )
        return self.enlarged

    def _on_enlarged_destroyed(self) -> None:
        self.enlarged = None
