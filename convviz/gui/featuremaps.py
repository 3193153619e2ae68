"""FeatureMapsWidget: one digit, what each conv and pool layer makes of it, and the network's verdict.

Left: the chosen digit (from the test set, or the drawing pad) with a chooser
and the prediction. Right: one section per layer, left to right as the data
flows, each a mosaic of that layer's activation maps in one ImageItem.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PyQt5 import QtCore, QtWidgets

from convviz.config import IMAGE_SIZE, NUM_CLASSES
from convviz.gui import theme, tiles

SECTION_LABEL_PX = 56  # height of a section's two-line title, left out of the space for its maps
ACTIVATION_PERCENTILE = 99.5  # top of a layer's colour range: a few outliers must not wash out the rest
DIGIT_DISPLAY_PX = 140  # the 28x28 digit scaled 5x: small enough for the panel to fit a 1280x800 screen


@dataclass
class FeatureSection:
    """One layer's part of the display."""

    name: str
    shape: tuple  # (H, W, C)
    label: pg.LabelItem
    view: pg.ViewBox
    image_item: pg.ImageItem
    backdrop: QtWidgets.QGraphicsRectItem
    columns: int = 0  # of the mosaic shown


def section_title(name: str, shape: tuple) -> str:
    h, w, c = shape
    # Short ("6 × 28×28"): a label wider than its maps would push the last layers out of view.
    return f"<b>{name}</b><br>{c} {theme.TIMES} {h}{theme.TIMES}{w}"


class FeatureMapsWidget(QtWidgets.QWidget):
    """A digit and the activation maps of every conv/pool layer for it.

    ``digit_changed(image28)`` is emitted whenever the digit shown changes: the user
    picks another test image (index, previous, next, random) or switches to the
    drawing; also after ``set_digit_source`` and, in drawing mode, ``set_drawing``.
    The receiver computes feature maps and probabilities and calls
    ``set_feature_maps`` and ``set_prediction``.
    """

    digit_changed = QtCore.pyqtSignal(np.ndarray)

    def __init__(self, parent: QtWidgets.QWidget | None = None, seed: int | None = None):
        super().__init__(parent)
        theme.configure_pyqtgraph()
        self._images = np.zeros((0, IMAGE_SIZE, IMAGE_SIZE), dtype=np.float32)
        self._labels = np.zeros((0,), dtype=np.int64)
        self._drawing: np.ndarray | None = None
        self._rng = np.random.default_rng(seed)
        self.sections: list = []
        self._maps: list = []  # the last maps shown, laid out again when the panel changes shape
        self._relayout_timer = QtCore.QTimer(self)
        self._relayout_timer.setSingleShot(True)
        self._relayout_timer.setInterval(50)
        self._relayout_timer.timeout.connect(self._on_relayout_timeout)

        # -- left column: digit, chooser, prediction
        self.digit_graphics = pg.GraphicsLayoutWidget()
        self.digit_graphics.setFixedSize(DIGIT_DISPLAY_PX, DIGIT_DISPLAY_PX)
        self.digit_graphics.ci.setContentsMargins(0, 0, 0, 0)
        self.digit_view, self.digit_item = theme.image_view(self.digit_graphics)
        self.digit_item.setLookupTable(theme.grey_lut())
        self.digit_item.setImage(np.zeros((IMAGE_SIZE, IMAGE_SIZE)), autoLevels=False, levels=(0.0, 1.0))
        self._caption = QtWidgets.QLabel("no test set yet")
        self._caption.setAlignment(QtCore.Qt.AlignCenter)

        self.index_spin = QtWidgets.QSpinBox()
        self.index_spin.setRange(0, 0)
        self.index_spin.setKeyboardTracking(False)  # typing "1234" picks one digit, not four
        self.index_spin.setToolTip("Index into the 10 000 test images")
        self.prev_button = QtWidgets.QPushButton("◀")
        self.prev_button.setToolTip("previous test image")
        self.next_button = QtWidgets.QPushButton("▶")
        self.next_button.setToolTip("next test image")
        self.random_button = QtWidgets.QPushButton("random")
        self.drawing_check = QtWidgets.QCheckBox("use drawing")
        self.drawing_check.setToolTip("Show the digit from the drawing pad instead of a test image")

        self._prediction = QtWidgets.QLabel("")
        self._prediction.setFont(theme.font(theme.TITLE_PT + 10, bold=True))
        self._prediction.setAlignment(QtCore.Qt.AlignCenter)
        self._verdict = QtWidgets.QLabel("")
        self._verdict.setAlignment(QtCore.Qt.AlignCenter)
        self._verdict.setWordWrap(True)

        nav = QtWidgets.QHBoxLayout()
        nav.addWidget(self.prev_button)
        nav.addWidget(self.index_spin, stretch=1)
        nav.addWidget(self.next_button)
        picks = QtWidgets.QHBoxLayout()
        picks.addWidget(self.random_button)
        picks.addWidget(self.drawing_check)

        left = QtWidgets.QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.setSpacing(4)  # compact: the column must fit under a tab bar on a 1280x800 screen
        title = QtWidgets.QLabel("input digit")
        title.setFont(theme.font(theme.TITLE_PT, bold=True))
        left.addWidget(title, alignment=QtCore.Qt.AlignHCenter)
        left.addWidget(self.digit_graphics, alignment=QtCore.Qt.AlignHCenter)
        left.addWidget(self._caption)
        left.addLayout(nav)
        left.addLayout(picks)
        left.addSpacing(6)
        left.addWidget(QtWidgets.QLabel("network says:"), alignment=QtCore.Qt.AlignHCenter)
        left.addWidget(self._prediction)
        left.addWidget(self._verdict)
        left.addStretch(1)
        left_box = QtWidgets.QWidget()
        left_box.setLayout(left)
        left_box.setFixedWidth(280)

        # -- right: one section per layer
        self.maps_graphics = pg.GraphicsLayoutWidget()
        self._show_note("feature maps appear once a model is ready")

        layout = QtWidgets.QHBoxLayout(self)
        layout.addWidget(left_box)
        layout.addWidget(self.maps_graphics, stretch=1)

        self.index_spin.valueChanged.connect(self._on_index_changed)
        self.prev_button.clicked.connect(self._on_prev_clicked)
        self.next_button.clicked.connect(self._on_next_clicked)
        self.random_button.clicked.connect(self._on_random_clicked)
        self.drawing_check.toggled.connect(self._on_drawing_toggled)
        self._update_enabled()

    # ---- public API -------------------------------------------------------------------------

    def set_digit_source(self, images: np.ndarray, labels: np.ndarray) -> None:
        """The test set: images (N, 28, 28) or (N, 784), values 0-1; labels (N,) ints or (N, 10) one-hot."""
        images = np.asarray(images, dtype=np.float32)
        self._images = images.reshape(len(images), IMAGE_SIZE, IMAGE_SIZE)
        labels = np.asarray(labels)
        self._labels = labels.argmax(axis=1) if labels.ndim == 2 else labels.astype(np.int64)
        self.index_spin.blockSignals(True)
        self.index_spin.setRange(0, max(len(self._images) - 1, 0))
        self.index_spin.blockSignals(False)
        self._update_enabled()
        self._show_current()

    def set_drawing(self, image28: np.ndarray | None) -> None:
        """The drawing pad's current 28x28 network input; shown (and emitted) while 'use drawing' is on."""
        if image28 is not None:
            image28 = np.asarray(image28, dtype=np.float32).reshape(IMAGE_SIZE, IMAGE_SIZE)
        self._drawing = image28
        self._update_enabled()
        if self.drawing_check.isChecked():
            self._show_current()

    def set_use_drawing(self, on: bool) -> None:
        self.drawing_check.setChecked(on)

    def set_index(self, index: int) -> None:
        """Show test image ``index`` (switches 'use drawing' off); one ``digit_changed``."""
        for w in (self.drawing_check, self.index_spin):
            w.blockSignals(True)
        self.drawing_check.setChecked(False)
        self.index_spin.setValue(index)
        for w in (self.drawing_check, self.index_spin):
            w.blockSignals(False)
        self._update_enabled()
        self._show_current()

    def current_index(self) -> int:
        return self.index_spin.value()

    def current_label(self) -> int | None:
        """True label of the digit shown; None for the drawing or without a test set."""
        if self.drawing_check.isChecked() or not len(self._labels):
            return None
        return int(self._labels[self.index_spin.value()])

    def current_image(self) -> np.ndarray:
        """The 28x28 float image shown (zeros when there is nothing to show)."""
        if self.drawing_check.isChecked():
            if self._drawing is not None:
                return self._drawing.copy()
        elif len(self._images):
            return self._images[self.index_spin.value()].copy()
        return np.zeros((IMAGE_SIZE, IMAGE_SIZE), dtype=np.float32)

    def set_feature_maps(self, maps: list) -> None:
        """``[(layer name, activations (H, W, C)), ...]`` in network order, for the current digit."""
        maps = [(name, np.asarray(a)) for name, a in maps]
        maps = [(name, a[0] if a.ndim == 4 and a.shape[0] == 1 else a) for name, a in maps]
        self._maps = maps
        if not maps:
            self.sections = []
            self._show_note("this network has no conv or pool layers: no feature maps")
            return
        layout = [(name, a.shape) for name, a in maps]
        if layout != [(s.name, s.shape) for s in self.sections]:
            self._build_sections(layout)
        box = self._section_box()
        for section, (_, activation) in zip(self.sections, maps):
            t = tiles.map_tiles(activation)
            section.columns = section_columns(len(t), t.shape[1:], box)
            grid = tiles.mosaic(t, section.columns, pad=1)
            section.image_item.setImage(grid, autoLevels=False, levels=activation_levels(t))
            theme.fit_backdrop(section.backdrop, grid.shape)
            section.view.autoRange(padding=0.02)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.sections:
            self._relayout_timer.start()  # once the resizing settles, not on every step

    def _on_relayout_timeout(self) -> None:
        box = self._section_box()
        wanted = [section_columns(s.shape[2], s.shape[:2], box) for s in self.sections]
        if self._maps and wanted != [s.columns for s in self.sections]:
            self.set_feature_maps(self._maps)

    def _section_box(self) -> tuple | None:
        """(width, height) available to one section's maps, None before the panel has a size."""
        width, height = self.maps_graphics.width(), self.maps_graphics.height() - SECTION_LABEL_PX
        if not self.sections or width < 50 or height < 50:
            return None
        return width / len(self.sections), height

    def set_prediction(self, probabilities: np.ndarray | None) -> None:
        """Class probabilities (10,) for the current digit; None clears."""
        if probabilities is None:
            self._prediction.setText("")
            self._verdict.setText("")
            return
        p = np.asarray(probabilities, dtype=float).ravel()
        if p.shape != (NUM_CLASSES,):
            raise ValueError(f"expected {NUM_CLASSES} probabilities, got shape {p.shape}")
        digit = int(p.argmax())
        self._prediction.setText(f"{digit}  ({100 * p[digit]:.1f} %)")
        label = self.current_label()
        if label is None:
            self._verdict.setText("")
            self._prediction.setStyleSheet(f"color: {theme.FOREGROUND}")
        elif label == digit:
            self._verdict.setText(f"correct (label {label})")
            self._verdict.setStyleSheet(f"color: {theme.CORRECT}; font-weight: bold")
            self._prediction.setStyleSheet(f"color: {theme.CORRECT}")
        else:
            self._verdict.setText(f"wrong: the label is {label}")
            self._verdict.setStyleSheet(f"color: {theme.WRONG}; font-weight: bold")
            self._prediction.setStyleSheet(f"color: {theme.WRONG}")

    def prediction_text(self) -> str:
        return self._prediction.text()

    # ---- internals --------------------------------------------------------------------------

    def _show_note(self, text: str) -> None:
        self.maps_graphics.clear()
        self.note = self.maps_graphics.addLabel(text, size=f"{theme.FONT_PT}pt")

    def _build_sections(self, layout: list) -> None:
        self.maps_graphics.clear()
        self.sections = []
        self.note = None
        lut = theme.sequential_lut()
        for col, (name, shape) in enumerate(layout):
            if len(shape) != 3:
                raise ValueError(f"feature maps of {name!r} must have shape (H, W, C), got {shape}")
            label = self.maps_graphics.addLabel(section_title(name, shape), row=0, col=col, size=f"{theme.FONT_PT}pt")
            view, item = theme.image_view(self.maps_graphics, row=1, col=col)
            item.setLookupTable(lut)
            backdrop = theme.add_backdrop(view)
            self.sections.append(FeatureSection(name, tuple(shape), label, view, item, backdrop))
        self.maps_graphics.ci.layout.setRowStretchFactor(1, 1)

    def _show_current(self) -> None:
        image = self.current_image()
        self.digit_item.setImage(image, autoLevels=False, levels=(0.0, 1.0))
        self.digit_view.autoRange(padding=0)
        if self.drawing_check.isChecked():
            self._caption.setText("from the drawing pad" if self._drawing is not None else "draw a digit first")
        elif len(self._images):
            i = self.index_spin.value()
            self._caption.setText(f"test image {i}, label {int(self._labels[i])}")
        else:
            self._caption.setText("no test set yet")
        self.set_prediction(None)
        self.digit_changed.emit(image)

    def _update_enabled(self) -> None:
        from_test = not self.drawing_check.isChecked() and len(self._images) > 0
        for w in (self.index_spin, self.prev_button, self.next_button, self.random_button):
            w.setEnabled(from_test)

    def _on_index_changed(self, index: int) -> None:
        self._show_current()

    def _on_prev_clicked(self) -> None:
        self._step(-1)

    def _on_next_clicked(self) -> None:
        self._step(+1)

    def _step(self, delta: int) -> None:
        n = len(self._images)
        if n:
            self.index_spin.setValue((self.index_spin.value() + delta) % n)  # wraps around

    def _on_random_clicked(self) -> None:
        n = len(self._images)
        if n > 1:
            current = self.index_spin.value()
            index = current
            while index == current:
                index = int(self._rng.integers(n))
            self.index_spin.setValue(index)

    def _on_drawing_toggled(self, on: bool) -> None:
        self._update_enabled()
        self._show_current()


def activation_levels(values: np.ndarray, percentile: float = ACTIVATION_PERCENTILE) -> tuple:
    """(low, high) shared by a layer's maps: zero (or the minimum) up to a high percentile.

    One strongly firing map would otherwise wash out all the others; the few values above
    the percentile simply show in the darkest colour.
    """
    finite = values[np.isfinite(values)]
    if not finite.size:
        return 0.0, 1.0
    low = min(0.0, float(finite.min()))
    high = float(np.percentile(finite, percentile))
    if high <= low:
        high = float(finite.max())
    if high <= low:
        high = low + 1.0
    return low, high


def section_columns(n: int, tile_shape: tuple = (1, 1), box: tuple | None = None) -> int:
    """Columns of a layer's map mosaic: the largest maps that fit the section's ``box`` (width, height).

    Without a box (the panel has no size yet) the mosaic is square-ish.
    """
    if box is None:
        return tiles.grid_shape(n)[1]
    return tiles.best_columns(n, tuple(tile_shape), box)
