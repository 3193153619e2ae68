"""FeatureMapsWidget: one digit, what each conv and pool layer makes of it, and the network's verdict.

Left: the chosen digit (from the test set, or the drawing pad) with a chooser
and the prediction. Which digit is chosen is the app's state
(:attr:`~convviz.gui.state.AppState.chosen_digit`): the chooser writes it, the panel shows it.
Right: one section per layer, left to right as the data flows, each a mosaic of that
layer's activation maps in one ImageItem.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PyQt5 import QtCore, QtGui, QtWidgets

from convviz.constants import IMAGE_SIZE, NUM_CLASSES
from convviz.gui.common import theme, tiles
from convviz.gui.common.enlarge import EnlargedTile, tile_clicked
from convviz.gui.common.export import FigureMenu
from convviz.gui.common.i18n import Retranslated, again, percent, translate
from convviz.gui.common.zoom import current_factor, follow_zoom
from convviz.gui.panels.featurebars import (  # ShrinkingLabel: also the maps' titles (and shift, saliency)
    SOFTMAX_NAMES,
    ShrinkingLabel,
    build_bars,
    dense_title,
    show_bars,
)
from convviz.gui.state import AppState, DigitChoice

SECTION_LABEL_PX = 56  # height of a section's two-line title, left out of the space for its maps
ACTIVATION_PERCENTILE = 99.5  # top of a layer's colour range: a few outliers must not wash out the rest
DIGIT_DISPLAY_PX = 140  # the 28x28 digit scaled 5x: small enough for the panel to fit a 1280x800 screen
SECTION_TITLE_CHARS = 11  # a section must be as wide as "96 × 14×14": narrower, its sections go on two rows
WIDEST_ANSWER = "8  (100.0 %)"  # the network's answer at its widest: never cut
LEFT_COLUMN_PX = 280  # the digit chooser's column at zoom 1; wider where its words need it
DENSE_ROW_SHARE = 0.4  # of the height, for the dense layers' bars below the feature maps


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
    tiles: np.ndarray | None = None  # the maps shown, (C, H, W)


def _one_image(activation) -> np.ndarray:
    a = np.asarray(activation)
    return a[0] if a.ndim in (2, 4) and a.shape[0] == 1 else a  # a batch of one, as a session returns it


def section_title(name: str, shape: tuple) -> str:
    h, w, c = shape
    # Short ("6 × 28×28"): a label wider than its maps would push the last layers out of view.
    return f"<b>{name}</b><br>{c} {theme.TIMES} {h}{theme.TIMES}{w}"


class FeatureMapsWidget(Retranslated, QtWidgets.QWidget):
    """A digit and the activation maps of every conv/pool layer for it.

    ``digit_changed(image28)`` is emitted whenever the digit shown changes: the chosen
    digit changes (the user picks another test image: index, previous, next, random, or
    switches to the drawing; or anyone sets ``state.chosen_digit``); also after
    ``set_digit_source`` and, in drawing mode, ``set_drawing``.
    The receiver computes feature maps and probabilities and calls
    ``set_feature_maps`` and ``set_prediction``.
    """

    digit_changed = QtCore.pyqtSignal(np.ndarray)

    def __init__(self, state: AppState | None = None, parent: QtWidgets.QWidget | None = None, seed: int | None = None):
        super().__init__(parent)
        theme.configure_pyqtgraph()
        self.state = state if state is not None else AppState(self)  # its chosen_digit: the digit shown
        self._images = np.zeros((0, IMAGE_SIZE, IMAGE_SIZE), dtype=np.float32)
        self._labels = np.zeros((0,), dtype=np.int64)
        self._drawing: np.ndarray | None = None
        self._rng = np.random.default_rng(seed)
        self.sections: list = []  # FeatureSection per conv/pool layer
        self.bar_sections: list = []  # BarSection per dense layer and softmax step
        self.note = None  # the text shown instead of maps, if any
        self._note_text = ""  # what it says, to say it again in another language
        self._probabilities: np.ndarray | None = None  # the prediction shown for the digit
        self._activations: list = []  # the last shown, laid out again when the panel changes shape
        self._layout = None  # (maps, vectors, rows): names and shapes the display is built for, in rows
        self.enlarged: EnlargedTile | None = None  # the window a click on a map opens
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
        self._caption = QtWidgets.QLabel()
        self._caption.setAlignment(QtCore.Qt.AlignCenter)

        self.index_spin = QtWidgets.QSpinBox()
        self.index_spin.setRange(0, 0)
        self.index_spin.setKeyboardTracking(False)  # typing "1234" picks one digit, not four
        self.prev_button = QtWidgets.QPushButton("◀")
        self.next_button = QtWidgets.QPushButton("▶")
        self.random_button = QtWidgets.QPushButton()
        self.drawing_check = QtWidgets.QCheckBox()
        self.prev_mistake_button = QtWidgets.QPushButton()
        self.next_mistake_button = QtWidgets.QPushButton()
        self._mistakes: np.ndarray | None = None  # test indices the network gets wrong, ascending

        self._prediction = QtWidgets.QLabel("")
        self._prediction.setFont(theme.font(theme.TITLE_PT + 10, bold=True))
        self._prediction.setAlignment(QtCore.Qt.AlignCenter)
        self._verdict = QtWidgets.QLabel("")
        self._verdict.setFont(theme.font(theme.FONT_PT, bold=True))  # bold here: a style sheet's font undoes the zoom
        self._verdict.setAlignment(QtCore.Qt.AlignCenter)
        self._verdict.setWordWrap(True)

        nav = QtWidgets.QHBoxLayout()
        nav.addWidget(self.prev_button)
        nav.addWidget(self.index_spin, stretch=1)
        nav.addWidget(self.next_button)
        picks = QtWidgets.QHBoxLayout()
        picks.addWidget(self.random_button)
        picks.addWidget(self.drawing_check)
        mistakes = QtWidgets.QHBoxLayout()
        mistakes.addWidget(self.prev_mistake_button)
        mistakes.addWidget(self.next_mistake_button)

        left = QtWidgets.QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.setSpacing(4)  # compact: the column must fit under a tab bar on a 1280x800 screen
        self._title = title = QtWidgets.QLabel()
        title.setFont(theme.font(theme.TITLE_PT, bold=True))
        left.addWidget(title, alignment=QtCore.Qt.AlignHCenter)
        left.addWidget(self.digit_graphics, alignment=QtCore.Qt.AlignHCenter)
        left.addWidget(self._caption)
        # The answer under its digit, above the chooser: on a low page (1024x768) the column scrolls,
        # and what scrolls out of sight is the chooser's lower buttons, not the network's answer.
        self._says = QtWidgets.QLabel()
        left.addWidget(self._says, alignment=QtCore.Qt.AlignHCenter)
        left.addWidget(self._prediction)
        left.addWidget(self._verdict)
        left.addSpacing(6)
        left.addLayout(nav)
        left.addLayout(picks)
        left.addLayout(mistakes)
        left.addStretch(1)
        left_box = QtWidgets.QWidget()
        left_box.setLayout(left)
        self._left_box = left_box
        # The column scrolls on its own: as the page's minimum height it made the whole panel scroll
        # on a low page (1024x768), and the dense layers' row below the maps went out of sight.
        self._left_scroll = left_scroll = QtWidgets.QScrollArea()
        left_scroll.setWidget(left_box)
        left_scroll.setWidgetResizable(True)
        left_scroll.setFrameShape(QtWidgets.QFrame.NoFrame)
        left_scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarAlwaysOff)
        self._fit_left_column()

        # -- right: one section per layer
        self.maps_graphics = pg.GraphicsLayoutWidget()
        self._show_note(translate("FeatureMaps", "feature maps appear once a model is ready"))
        self.maps_graphics.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self.figure_menu = FigureMenu(self.maps_graphics, "convviz-featuremaps")
        save_button = self.figure_menu.make_button(
            translate("FeatureMaps", "Save the maps and bars as PNG or SVG for slides (or right-click them)")
        )
        self._hint = hint = QtWidgets.QLabel()
        hint.setStyleSheet(f"color: {theme.MUTED}")
        left.addWidget(hint, alignment=QtCore.Qt.AlignHCenter)
        left.addWidget(save_button, alignment=QtCore.Qt.AlignHCenter)

        layout = QtWidgets.QHBoxLayout(self)
        layout.addWidget(left_scroll)
        layout.addWidget(self.maps_graphics, stretch=1)

        self.index_spin.valueChanged.connect(self._on_index_changed)
        self.prev_button.clicked.connect(self._on_prev_clicked)
        self.next_button.clicked.connect(self._on_next_clicked)
        self.random_button.clicked.connect(self._on_random_clicked)
        self.prev_mistake_button.clicked.connect(self.previous_mistake)
        self.next_mistake_button.clicked.connect(self.next_mistake)
        self.drawing_check.toggled.connect(self.state.choose_drawing)
        self.state.chosen_digit_changed.connect(self._on_choice_changed)
        self._show_choice()
        self.retranslate()

    def changeEvent(self, event: QtCore.QEvent) -> None:
        if event.type() == QtCore.QEvent.FontChange:  # the zoom: the chooser's column grows with its words
            QtCore.QTimer.singleShot(0, self._fit_left_column)
        super().changeEvent(event)

    def _fit_left_column(self) -> None:
        """The chooser's column: its width at zoom 1 times the zoom, or what its words need ("(100.0 %)")."""
        box = self._left_box
        box.setFixedWidth(LEFT_COLUMN_PX)  # the words' own minimum, measured without the fixed width
        widest = QtGui.QFontMetrics(self._prediction.font()).horizontalAdvance(WIDEST_ANSWER)
        needed = max(box.layout().minimumSize().width(), widest + 2 * self._prediction.margin() + 8)
        box.setFixedWidth(max(round(LEFT_COLUMN_PX * current_factor(self)), needed))
        bar = self._left_scroll.style().pixelMetric(QtWidgets.QStyle.PM_ScrollBarExtent)
        self._left_scroll.setFixedWidth(box.width() + bar)  # room for its scroll bar beside the words

    def retranslate(self) -> None:
        """Write every text in the current language (at start, and when the language changes)."""
        self.index_spin.setToolTip(translate("FeatureMaps", "Index into the 10 000 test images"))
        self.prev_button.setToolTip(translate("FeatureMaps", "previous test image"))
        self.next_button.setToolTip(translate("FeatureMaps", "next test image"))
        self.random_button.setText(translate("FeatureMaps", "random"))
        self.prev_mistake_button.setText(translate("FeatureMaps", "◀ mistake"))
        self.next_mistake_button.setText(translate("FeatureMaps", "mistake ▶"))
        self.prev_mistake_button.setToolTip(translate("FeatureMaps", "The previous test image the network gets wrong"))
        self.next_mistake_button.setToolTip(translate("FeatureMaps", "The next test image the network gets wrong"))
        self.drawing_check.setText(translate("FeatureMaps", "use drawing"))
        self.drawing_check.setToolTip(
            translate("FeatureMaps", "Show the digit from the drawing pad instead of a test image")
        )
        self._title.setText(translate("FeatureMaps", "input digit"))
        self._says.setText(translate("FeatureMaps", "network says:"))
        self._hint.setText(translate("FeatureMaps", "click a map to enlarge it"))
        self._update_caption()
        self.set_prediction(self._probabilities)
        QtCore.QTimer.singleShot(0, self._fit_left_column)  # the words of another language have another width
        if self.note is not None:
            self._show_note(again(self._note_text))
        for section in self.bar_sections:
            if section.name not in SOFTMAX_NAMES:
                section.title.setText(dense_title(section.name, section.size))
        if self.enlarged is not None and self.enlarged.isVisible():
            self._show_enlarged(*self.enlarged.key)

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
        choice = self.state.chosen_digit
        if not self.state.choose_digit(DigitChoice(choice.drawing, min(choice.index, self.index_spin.maximum()))):
            self._show_choice()  # the same choice, a new test set: shown (and emitted) all the same

    def set_drawing(self, image28: np.ndarray | None) -> None:
        """The drawing pad's current 28x28 network input; shown (and emitted) while 'use drawing' is on."""
        if image28 is not None:
            image28 = np.asarray(image28, dtype=np.float32).reshape(IMAGE_SIZE, IMAGE_SIZE)
        self._drawing = image28
        self._update_enabled()
        if self.state.chosen_digit.drawing:
            self._show_current()

    def set_use_drawing(self, on: bool) -> None:
        """The drawing (``on``) or the test image chosen before it becomes the chosen digit."""
        self.state.choose_drawing(on)

    def set_index(self, index: int) -> None:
        """Test image ``index`` becomes the chosen digit (switches 'use drawing' off); one ``digit_changed``."""
        index = min(max(int(index), 0), self.index_spin.maximum())
        if not self.state.choose_test_digit(index):
            self._show_current()  # chosen already: shown (and emitted) again, as asked

    def set_mistakes(self, indices: np.ndarray | None) -> None:
        """The test images the network gets wrong (from the evaluation), for "◀ mistake" and "mistake ▶"."""
        self._mistakes = None if indices is None else np.unique(np.asarray(indices, np.int64))
        self._update_enabled()

    def mistakes(self) -> np.ndarray | None:
        return None if self._mistakes is None else self._mistakes.copy()

    def next_mistake(self) -> int | None:
        """Show the first mistake after the current test image (wrapping round); its index, None if none."""
        return self._to_mistake(+1)

    def previous_mistake(self) -> int | None:
        """Show the last mistake before the current test image (wrapping round); its index, None if none."""
        return self._to_mistake(-1)

    def _to_mistake(self, direction: int) -> int | None:
        mistakes = self._mistakes
        if mistakes is None or not len(mistakes) or not len(self._images):
            return None
        current = self.current_index()
        if self.state.chosen_digit.drawing:  # from the drawing: the first (or last) mistake of the test set
            index = mistakes[0] if direction > 0 else mistakes[-1]
        elif direction > 0:
            later = mistakes[mistakes > current]
            index = later[0] if len(later) else mistakes[0]
        else:
            earlier = mistakes[mistakes < current]
            index = earlier[-1] if len(earlier) else mistakes[-1]
        self.set_index(int(index))
        return int(index)

    def current_index(self) -> int:
        """The chosen test image (within the test set shown)."""
        return min(self.state.chosen_digit.index, max(len(self._images) - 1, 0))

    def current_label(self) -> int | None:
        """True label of the digit shown; None for the drawing or without a test set."""
        if self.state.chosen_digit.drawing or not len(self._labels):
            return None
        return int(self._labels[self.current_index()])

    def current_image(self) -> np.ndarray:
        """The 28x28 float image shown (zeros when there is nothing to show)."""
        if self.state.chosen_digit.drawing:
            if self._drawing is not None:
                return self._drawing.copy()
        elif len(self._images):
            return self._images[self.current_index()].copy()
        return np.zeros((IMAGE_SIZE, IMAGE_SIZE), dtype=np.float32)

    def set_feature_maps(self, maps: list) -> None:
        """``[(layer name, activations (H, W, C)), ...]`` in network order, for the current digit."""
        maps = [(name, _one_image(a)) for name, a in maps]
        for name, a in maps:
            if a.ndim != 3:
                raise ValueError(f"feature maps of {name!r} must have shape (H, W, C), got {a.shape}")
        self.set_activations(maps)

    def set_activations(self, activations: list) -> None:
        """Every layer's activation for the current digit, ``[(name, array), ...]`` in network order.

        Conv and pool layers (H, W, C) become mosaics of maps; dense layers (units,) bar
        charts below them; the last layer, the logits (10,), the softmax in its steps:
        logits, their exponentials, and those divided by their sum, the probabilities.
        """
        acts = [(name, _one_image(a)) for name, a in activations]
        for name, a in acts:
            if a.ndim not in (1, 3):
                raise ValueError(f"activation of {name!r} must have shape (H, W, C) or (units,), got {a.shape}")
        self._activations = acts
        maps = [(name, a) for name, a in acts if a.ndim == 3]
        vectors = [(name, a) for name, a in acts if a.ndim == 1]
        if not maps and not vectors:
            self.sections, self.bar_sections = [], []
            self._layout = None
            self._show_note(translate("FeatureMaps", "this network has no conv or pool layers: no feature maps"))
            return
        rows = self._section_rows(len(maps))
        layout = ([(name, a.shape) for name, a in maps], [(name, a.shape) for name, a in vectors], rows)
        if layout != self._layout:
            self._build(*layout)
        box = self._section_box()
        for section, (_, activation) in zip(self.sections, maps):
            t = tiles.map_tiles(activation)
            section.columns = section_columns(len(t), t.shape[1:], box)
            section.tiles = t
            grid = tiles.mosaic(t, section.columns, pad=1)
            section.image_item.setImage(grid, autoLevels=False, levels=activation_levels(t))
            theme.fit_backdrop(section.backdrop, grid.shape)
            section.view.autoRange(padding=0.02)
        theme.apply_ranges(*(section.view for section in self.sections))
        show_bars(self.bar_sections, vectors)
        if self.enlarged is not None and self.enlarged.isVisible():
            self._show_enlarged(*self.enlarged.key)  # a new digit or new weights: the enlarged map follows

    def enlarge(self, name: str, index: int) -> EnlargedTile:
        """Open (or reuse) the window showing map ``index`` of layer ``name`` on its own colour scale."""
        section = next((s for s in self.sections if s.name == name), None)
        if section is None or not 0 <= index < section.shape[2]:
            raise IndexError(f"no feature map {index} in layer {name!r}")
        if self.enlarged is None:
            self.enlarged = EnlargedTile(self, "convviz-featuremap")
            self.enlarged.destroyed.connect(self._on_enlarged_destroyed)  # closed: it deletes itself
        self._show_enlarged(name, index)
        return self.enlarged

    def _on_enlarged_destroyed(self) -> None:
        self.enlarged = None

    def _show_enlarged(self, name: str, index: int) -> None:
        section = next((s for s in self.sections if s.name == name), None)
        if section is None or section.tiles is None or index >= len(section.tiles):
            return  # another network: the window keeps what it showed
        h, w, c = section.shape
        title = translate("FeatureMaps", "{layer}, map {index} of {count}: {size} activations")
        title = title.format(layer=name, index=index, count=c, size=f"{h}{theme.TIMES}{w}")
        self.enlarged.show_tile((name, index), title, section.tiles[index], theme.sequential_lut(), symmetric=False)

    def _on_scene_clicked(self, event) -> None:
        if event.button() != QtCore.Qt.LeftButton:
            return
        scene_pos = event.scenePos()
        for section in self.sections:
            if section.tiles is None or not section.view.sceneBoundingRect().contains(scene_pos):
                continue
            index = tile_clicked(section.view, scene_pos, section.tiles, section.columns)
            if index is not None:
                event.accept()
                self.enlarge(section.name, index)
            return

    def activations(self) -> list:
        """The activations shown, ``[(name, array), ...]`` as last given."""
        return list(self._activations)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.sections:
            self._relayout_timer.start()  # once the resizing settles, not on every step

    def _on_relayout_timeout(self) -> None:
        box = self._section_box()
        wanted = [section_columns(s.shape[2], s.shape[:2], box) for s in self.sections]
        rows = self._layout[2] if self._layout else 1
        if self._activations and (
            wanted != [s.columns for s in self.sections] or rows != self._section_rows(len(self.sections))
        ):
            self.set_activations(self._activations)

    def _section_rows(self, count: int) -> int:
        """1, or 2 where a row of ``count`` sections would clip their titles (four layers on a 1024 px screen)."""
        width = self.maps_graphics.width()
        if count <= 2 or width <= 0:
            return 1
        needed = SECTION_TITLE_CHARS * self.fontMetrics().averageCharWidth() + 12  # follows the zoom
        return 1 if width / count >= needed else 2

    def _section_box(self) -> tuple | None:
        """(width, height) available to one section's maps, None before the panel has a size."""
        rows = self._layout[2] if self._layout else 1
        width, height = self.maps_graphics.width(), self.maps_graphics.height() - rows * SECTION_LABEL_PX
        if self.bar_sections:
            height *= 1.0 - DENSE_ROW_SHARE
        if not self.sections or width < 50 or height < 50:
            return None
        per_row = -(-len(self.sections) // rows)
        return width / per_row, height / rows

    def set_prediction(self, probabilities: np.ndarray | None) -> None:
        """Class probabilities (10,) for the current digit; None clears."""
        if probabilities is None:
            self._probabilities = None
            self._prediction.setText("")
            self._verdict.setText("")
            return
        p = np.asarray(probabilities, dtype=float).ravel()
        if p.shape != (NUM_CLASSES,):
            raise ValueError(f"expected {NUM_CLASSES} probabilities, got shape {p.shape}")
        self._probabilities = p
        digit = int(p.argmax())
        self._prediction.setText(f"{digit}  ({percent(p[digit], 1)})")
        label = self.current_label()
        if label is None:
            self._verdict.setText("")
            self._prediction.setStyleSheet(f"color: {theme.FOREGROUND}")
        elif label == digit:
            self._verdict.setText(translate("FeatureMaps", "correct (label {label})").format(label=label))
            self._verdict.setStyleSheet(f"color: {theme.CORRECT}")
            self._prediction.setStyleSheet(f"color: {theme.CORRECT}")
        else:
            self._verdict.setText(translate("FeatureMaps", "wrong: the label is {label}").format(label=label))
            self._verdict.setStyleSheet(f"color: {theme.WRONG}")
            self._prediction.setStyleSheet(f"color: {theme.WRONG}")

    def prediction_text(self) -> str:
        return self._prediction.text()

    # ---- internals --------------------------------------------------------------------------

    def _show_note(self, text: str) -> None:
        self._note_text = text
        self.maps_graphics.clear()
        self.note = self.maps_graphics.addLabel(text, size=f"{theme.FONT_PT}pt")
        follow_zoom(self.maps_graphics, self)

    def _build(self, maps: list, vectors: list, rows: int = 1) -> None:
        """One section per conv/pool layer in a row (two rows on a narrow panel); below, a bar chart
        per dense layer and the softmax."""
        self.maps_graphics.clear()
        self.sections, self.bar_sections = [], []
        self.note = None
        self._layout = (maps, vectors, rows)
        lut = theme.sequential_lut()
        grid = self.maps_graphics.ci.layout
        for r in range(grid.rowCount()):  # a row count that changed leaves no stretch behind
            grid.setRowStretchFactor(r, 0)
        per_row = max(-(-len(maps) // rows), 1)
        for index, (name, shape) in enumerate(maps):
            row, col = 2 * (index // per_row), index % per_row
            label = ShrinkingLabel(section_title(name, shape), size=f"{theme.FONT_PT}pt")
            self.maps_graphics.addItem(label, row=row, col=col)
            view, item = theme.image_view(self.maps_graphics, row=row + 1, col=col)
            item.setLookupTable(lut)
            backdrop = theme.add_backdrop(view)
            self.sections.append(FeatureSection(name, tuple(shape), label, view, item, backdrop))
        map_rows = 2 * rows if maps else 0
        if vectors:
            bars = self.maps_graphics.addLayout(row=map_rows, col=0, colspan=per_row)
            self.bar_sections = build_bars(bars, vectors)
        share = DENSE_ROW_SHARE if maps and vectors else 0.0
        for r in range(rows if maps else 0):
            grid.setRowStretchFactor(2 * r + 1, round(100 * (1 - share) / rows))
        grid.setRowStretchFactor(map_rows, round(100 * share) if maps else 0)
        if not maps:
            grid.setRowStretchFactor(0, 1)
        follow_zoom(self.maps_graphics, self)  # titles and axes made now, at the window's zoom

    def _show_current(self) -> None:
        image = self.current_image()
        self.digit_item.setImage(image, autoLevels=False, levels=(0.0, 1.0))
        self.digit_view.autoRange(padding=0)
        self._update_caption()
        self.set_prediction(None)
        self.digit_changed.emit(image)

    def _on_choice_changed(self, _choice: DigitChoice) -> None:
        self._show_choice()

    def _show_choice(self) -> None:
        """The chooser says what the state's chosen digit is (its signals blocked: showing is not
        choosing), and the digit is shown."""
        for w in (self.drawing_check, self.index_spin):
            w.blockSignals(True)
        self.drawing_check.setChecked(self.state.chosen_digit.drawing)
        self.index_spin.setValue(self.current_index())
        for w in (self.drawing_check, self.index_spin):
            w.blockSignals(False)
        self._update_enabled()
        self._show_current()

    def _update_caption(self) -> None:
        if self.state.chosen_digit.drawing:
            if self._drawing is not None:
                self._caption.setText(translate("FeatureMaps", "from the drawing pad"))
            else:
                self._caption.setText(translate("FeatureMaps", "draw a digit first"))
        elif len(self._images):
            i = self.current_index()
            caption = translate("FeatureMaps", "test image {index}, label {label}")
            self._caption.setText(caption.format(index=i, label=int(self._labels[i])))
        else:
            self._caption.setText(translate("FeatureMaps", "no test set yet"))

    def _update_enabled(self) -> None:
        from_test = not self.state.chosen_digit.drawing and len(self._images) > 0
        for w in (self.index_spin, self.prev_button, self.next_button, self.random_button):
            w.setEnabled(from_test)
        known = self._mistakes is not None and len(self._mistakes) > 0 and len(self._images) > 0
        for w in (self.prev_mistake_button, self.next_mistake_button):
            w.setEnabled(known)  # from the drawing too: it goes to the test set's first mistake

    def _on_index_changed(self, index: int) -> None:
        self.state.choose_test_digit(index)

    def _on_prev_clicked(self) -> None:
        self._step(-1)

    def _on_next_clicked(self) -> None:
        self._step(+1)

    def _step(self, delta: int) -> None:
        n = len(self._images)
        if n:
            self.state.choose_test_digit((self.current_index() + delta) % n)  # wraps around

    def _on_random_clicked(self) -> None:
        n = len(self._images)
        if n > 1:
            current = self.current_index()
            index = current
            while index == current:
                index = int(self._rng.integers(n))
            self.state.choose_test_digit(index)


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
