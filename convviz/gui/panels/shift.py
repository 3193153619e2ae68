"""The "Nearest digits" panel: the drawing beside the MNIST digits nearest to it.

A network knows only the data it was shown. The panel puts the 28x28 input the
network gets (the drawing after the pad's preprocessing, or a clicked test
digit) beside:

- the training digits nearest to it in all of MNIST, each with its label and
  its distance (Euclidean, on the [0, 1] pixels the network sees);
- the nearest training digits of one class (the predicted one, or the digit
  the student meant, chosen in the selector);
- that class's average digit, or the drawing minus it as a signed colour map
  (red: ink the average does not have, blue: ink of the average the drawing lacks);
- one line in plain words saying what that means.

A crossed 7 whose nearest MNIST digits are 2s and 3s, and whose nearest 7s are
far away and plain, shows why the network reads a 2.

The pictures come from :mod:`convviz.nearest`, computed in a thread by
:mod:`convviz.gui.jobs.shiftjobs` (the bridge that also wires the panel into the
window); this module only draws what it is given. No TensorFlow, no controller.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pyqtgraph as pg
from PyQt5 import QtCore, QtGui, QtWidgets

from convviz.constants import IMAGE_SIZE, NUM_CLASSES
from convviz.events import ShiftResult
from convviz.gui.common import theme
from convviz.gui.common.export import FigureMenu
from convviz.gui.common.i18n import QT_TRANSLATE_NOOP, Retranslated, again, count, decimal, marked, translate
from convviz.gui.common.tiles import mosaic
from convviz.gui.panels.featurebars import ShrinkingLabel
from convviz.nearest import K, Neighbours

SHIFT_TITLE = QT_TRANSLATE_NOOP("PanelArea", "Nearest digits")
TILE_PAD = 2  # pixels (of a 28 px digit) between two neighbours
CAPTION_ROOM = 12.0  # digit pixels under a row of neighbours for their captions, before the row knows its size
LABEL_PT = theme.FONT_PT - 1  # a neighbour's label and distance
# What the nearest digits say, in plain words: how many of them are of the class compared with.
LESSONS = {
    "none": QT_TRANSLATE_NOOP(
        "Shift", "Nearest MNIST digits labelled {cls}: none of {k}. The network has hardly seen {cls}s like this."
    ),
    "few": QT_TRANSLATE_NOOP(
        "Shift", "Nearest MNIST digits labelled {cls}: only {n} of {k}. MNIST has few {cls}s like this."
    ),
    "many": QT_TRANSLATE_NOOP(
        "Shift", "Nearest MNIST digits labelled {cls}: {n} of {k}. The network has seen {cls}s like this."
    ),
}
INK_RED = "#b2182b"  # the title's "drawing" in the difference's red (ink only the drawing has)
INK_BLUE = "#2166ac"  # "average 7" in its blue (ink only the average has)
LEFT_TITLE_CHARS = 14  # a title of the left column longer than this takes two lines


class Caption(NamedTuple):
    """A neighbour's caption: ``html`` in full (label and distance), ``plain`` the same as text (to measure it),
    ``short`` what is shown where the tile is narrower than the full caption (the label alone)."""

    html: str
    plain: str
    short: str


class NeighbourRow:
    """A row of training digits, each with a caption under it, in one ViewBox of a graphics layout.

    The captions keep their font size (the app's zoom sets it); the room under the tiles is
    as high as a caption in pixels, whatever the row's size, and where a tile is narrower than
    its caption the caption is shortened (a 1280x720 screen leaves ~40 px a tile).
    """

    def __init__(self, layout: pg.GraphicsLayout, row: int, col: int, k: int = K, compact_changed=None):
        self.k = k
        self._compact_changed = compact_changed  # called when the captions become short or full again
        self.view, self.item = theme.image_view(layout, row=row, col=col)
        self.item.setLookupTable(theme.grey_lut())
        self.width = k * (IMAGE_SIZE + TILE_PAD) - TILE_PAD
        self.room = CAPTION_ROOM  # digit pixels under the tiles
        self.view.setRange(xRange=(0, self.width), yRange=(0, IMAGE_SIZE + self.room), padding=0)
        self.captions = []
        for i in range(k):
            text = pg.TextItem(anchor=(0.5, 0.0), color=theme.FOREGROUND)
            text.setFont(theme.font(LABEL_PT))
            text.setPos(i * (IMAGE_SIZE + TILE_PAD) + IMAGE_SIZE / 2, IMAGE_SIZE + 0.3)
            self.view.addItem(text)
            self.captions.append(text)
        self.shown_captions: list = []  # the Captions of the tiles shown
        self.compact = False  # the captions are shortened
        self.view.sigResized.connect(lambda _view: self.fit())

    def show(self, images: np.ndarray, captions: list) -> None:
        """``images`` (n <= k, 28, 28) and one :class:`Caption` each; empty places stay blank."""
        tiles = np.full((self.k, IMAGE_SIZE, IMAGE_SIZE), np.nan, np.float32)
        tiles[: len(images)] = images
        self.item.setImage(mosaic(tiles, ncols=self.k, pad=TILE_PAD), autoLevels=False, levels=(0.0, 1.0))
        self.shown_captions = list(captions)
        self.fit()

    def clear(self) -> None:
        self.item.clear()
        self.shown_captions = []
        self.fit()

    def fit(self) -> None:
        """Room under the tiles for one line of caption, and short captions where the full ones are too wide."""
        width, height = self.view.width(), self.view.height()
        if width > 0 and height > 0:
            metrics = QtGui.QFontMetricsF(self.captions[0].textItem.font())
            room = self.room
            for _ in range(4):  # the room changes the scale where the row's height limits it
                scale = min(width / self.width, height / (IMAGE_SIZE + room))
                room = min((metrics.height() + 2) / scale, IMAGE_SIZE)
            if abs(room - self.room) > 0.05:
                self.room = room
                self.view.setRange(xRange=(0, self.width), yRange=(0, IMAGE_SIZE + room), padding=0)
            tile = (IMAGE_SIZE + TILE_PAD) * scale
            compact = any(metrics.horizontalAdvance(c.plain) > tile - 2 for c in self.shown_captions)
            if compact != self.compact:
                self.compact = compact
                if self._compact_changed is not None:
                    self._compact_changed()
        for i, text in enumerate(self.captions):
            caption = self.shown_captions[i] if i < len(self.shown_captions) else None
            _set_html(text, "" if caption is None else caption.short if self.compact else caption.html)


class ShiftWidget(Retranslated, QtWidgets.QWidget):
    """The input, its nearest MNIST digits, the nearest of one class, the class's average and a sentence.

    ``class_changed()``: the user chose another class to compare with (ask for new neighbours);
    ``result_shown(object)``: a :class:`ShiftResult` was drawn.
    """

    class_changed = QtCore.pyqtSignal()
    result_shown = QtCore.pyqtSignal(object)

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        theme.configure_pyqtgraph()
        self._lut = theme.diverging_lut()
        self._shown: ShiftResult | None = None
        self._message = ""
        self._predicted: int | None = None

        self._class_label = QtWidgets.QLabel()
        self.class_combo = QtWidgets.QComboBox()
        self.class_combo.setSizeAdjustPolicy(QtWidgets.QComboBox.AdjustToContents)  # "predicted (7)" once known
        self.class_combo.addItem("", None)
        for digit in range(NUM_CLASSES):
            self.class_combo.addItem(str(digit), digit)
        self.difference_check = QtWidgets.QCheckBox()

        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setMinimumSize(360, 190)
        layout = self.graphics.ci
        self._titles = {}
        for name, row, col in (("input", 0, 0), ("nearest", 0, 1), ("mean", 2, 0), ("class", 2, 1)):
            label = ShrinkingLabel("", size=f"{theme.FONT_PT - 2}pt")  # a title may not widen its column
            label.setPreferredWidth(40)
            layout.addItem(label, row=row, col=col)
            self._titles[name] = label
        self.input_view, self.input_item = theme.image_view(layout, row=1, col=0)
        self.mean_view, self.mean_item = theme.image_view(layout, row=3, col=0)
        self._frames = []  # the grey frames of the two pictures: hidden while there is no picture
        for view in (self.input_view, self.mean_view):
            frame = theme.add_backdrop(view)
            theme.fit_backdrop(frame, (IMAGE_SIZE, IMAGE_SIZE), frame=0.5)
            self._frames.append(frame)
            view.setRange(xRange=(0, IMAGE_SIZE), yRange=(0, IMAGE_SIZE), padding=0.02)
        self.input_item.setLookupTable(theme.grey_lut())
        self.nearest_row = NeighbourRow(layout, row=1, col=1, compact_changed=lambda: self._show_titles())
        self.class_row = NeighbourRow(layout, row=3, col=1)
        grid = layout.layout
        grid.setColumnStretchFactor(0, 1)  # room for the left titles ("Durchschnitt der 7"): the neighbours'
        grid.setColumnStretchFactor(1, 3)  # row is as high as the picture beside it, so it is no smaller for that
        for view in (self.input_view, self.mean_view):
            view.setPreferredWidth(120)
        for row in (self.nearest_row, self.class_row):
            row.view.setPreferredWidth(360)
        self.figure_menu = FigureMenu(self.graphics, "convviz-nearest-digits")
        save_button = self.figure_menu.make_button()

        self._explanation = QtWidgets.QLabel()
        self._explanation.setWordWrap(True)
        self._explanation.setFont(theme.font(theme.FONT_PT))
        self._explanation.setAlignment(QtCore.Qt.AlignLeft | QtCore.Qt.AlignTop)

        header = QtWidgets.QHBoxLayout()
        header.addWidget(self._class_label)
        header.addWidget(self.class_combo)
        header.addWidget(self.difference_check)
        header.addStretch(1)
        header.addWidget(save_button)
        outer = QtWidgets.QVBoxLayout(self)
        outer.addLayout(header)
        outer.addWidget(self.graphics, stretch=1)
        outer.addWidget(self._explanation)

        self.class_combo.currentIndexChanged.connect(lambda _index: self.class_changed.emit())
        self.difference_check.toggled.connect(self._on_difference_toggled)
        self.retranslate()
        self.clear()

    def retranslate(self) -> None:
        self._class_label.setText(translate("Shift", "class:"))
        self.class_combo.setToolTip(
            translate("Shift", "Compare with this class: its nearest training digits and its average digit")
        )
        self.difference_check.setText(translate("Shift", "difference"))
        self.difference_check.setToolTip(
            translate("Shift", "Drawing minus average. Red: ink the average lacks; blue: average ink the drawing lacks")
        )
        self._explanation.setToolTip(
            translate("Shift", "Distance: how different two 28×28 pictures are, pixel by pixel (0: the same)")
        )
        self._message = again(self._message)
        self._show_predicted()
        self._show_texts()

    # ---- public API -------------------------------------------------------------------------------
    def selected_class(self) -> int | None:
        """The class chosen to compare with; None: the predicted one."""
        return self.class_combo.currentData()

    def set_selected_class(self, cls: int | None) -> None:
        self.class_combo.setCurrentIndex(0 if cls is None else int(cls) + 1)

    def set_predicted(self, cls: int | None) -> None:
        """The network's answer for the input, shown in the selector's first entry."""
        self._predicted = None if cls is None else int(cls)
        self._show_predicted()

    def set_message(self, text: str) -> None:
        """A line instead of the explanation ('' for none): draw a digit, waiting for MNIST, a failure."""
        self._message = text
        self._show_texts()

    def show_result(self, result: ShiftResult) -> None:
        """Draw ``result``: the input, both rows of neighbours, the class's average and the sentence."""
        self._shown = result
        self._message = ""
        self.input_item.setImage(_square(result.image), autoLevels=False, levels=(0.0, 1.0))
        for frame in self._frames:
            frame.show()
        self.nearest_row.show(result.nearest_images, self._captions(result.nearest, result.cls, with_label=True))
        self.class_row.show(result.class_images, self._captions(result.class_nearest, result.cls, with_label=False))
        self._show_mean()
        self._show_texts()
        self.result_shown.emit(result)

    def shown(self) -> ShiftResult | None:
        """The result drawn last; None when the panel shows none."""
        return self._shown

    def clear(self) -> None:
        """No pictures (a message says why)."""
        self._shown = None
        for item in (self.input_item, self.mean_item):
            item.clear()
        for frame in self._frames:
            frame.hide()
        self.nearest_row.clear()
        self.class_row.clear()
        self._show_texts()

    def mean_picture(self) -> np.ndarray | None:
        """The mean view's image as drawn: the class's average, or drawing − average."""
        return self.mean_item.image

    # ---- internals --------------------------------------------------------------------------------
    def _show_predicted(self) -> None:
        if self._predicted is None:
            self.class_combo.setItemText(0, translate("Shift", "predicted"))
        else:
            self.class_combo.setItemText(0, translate("Shift", "predicted ({cls})").format(cls=self._predicted))

    @staticmethod
    def _captions(neighbours: Neighbours, cls: int, with_label: bool) -> list:
        captions = []
        for label, distance in zip(neighbours.labels, neighbours.distances):
            number = decimal(distance, 1)
            if with_label:
                colour = theme.CORRECT if int(label) == cls else theme.WRONG
                bold = f'<b style="color:{colour}">{int(label)}</b>'
                captions.append(Caption(f"{bold}&nbsp;{number}", f"{int(label)}\u00a0{number}", bold))
            else:
                captions.append(Caption(number, number, number))
        return captions

    def _on_difference_toggled(self, _on: bool) -> None:
        self._show_mean()

    def _show_mean(self) -> None:
        result = self._shown
        if result is None:
            self.mean_item.clear()
        elif self.difference_check.isChecked():
            difference = _square(result.image).astype(np.float32) - _square(result.mean)
            self.mean_item.setLookupTable(self._lut)
            self.mean_item.setImage(difference, autoLevels=False, levels=(-1.0, 1.0))
        else:
            self.mean_item.setLookupTable(theme.grey_lut())
            self.mean_item.setImage(_square(result.mean), autoLevels=False, levels=(0.0, 1.0))
        self._show_titles()

    def _show_titles(self) -> None:
        result = self._shown
        size = f"{theme.FONT_PT - 2}pt"
        if result is None:
            titles = {
                "input": translate("Shift", "the network sees"),
                "nearest": translate("Shift", "nearest in MNIST"),
                "mean": translate("Shift", "average digit"),
                "class": translate("Shift", "nearest of the class"),
            }
        else:
            cls = result.cls
            average = translate("Shift", "average {cls}").format(cls=cls)
            if self.difference_check.isChecked():  # the words in the colours of their ink: the legend
                drawing = translate("Shift", "drawing")
                mean_title = f'<span style="color:{INK_RED}">{drawing}</span> −<br>'
                mean_title += f'<span style="color:{INK_BLUE}">{average}</span>'
            else:
                mean_title = _two_lines(average)
            titles = {
                "input": _two_lines(again(result.caption)),
                "nearest": (
                    translate("Shift", "nearest in MNIST: label")
                    if self.nearest_row.compact
                    else translate("Shift", "nearest in MNIST: label, distance")
                ),
                "mean": mean_title,
                "class": translate("Shift", "nearest {cls}s of the {count} in MNIST").format(
                    cls=cls, count=count(result.class_count)
                ),
            }
        for name, label in self._titles.items():
            title = again(titles[name])
            if label.text != title:  # a new text lays the whole figure out again: only when it changed
                label.setText(title, size=size)

    def _show_texts(self) -> None:
        self._show_titles()
        if self._message:
            self._explanation.setText(self._message)
            return
        result = self._shown
        if result is None:
            self._explanation.setText("")
            return
        same = int(np.sum(result.nearest.labels == result.cls))
        k = len(result.nearest.labels)
        kind = "none" if same == 0 else "few" if same * 2 <= k else "many"
        line = marked("Shift", LESSONS[kind])
        self._explanation.setText(line.format(n=same, k=k, cls=result.cls))


def _set_html(item: pg.TextItem, html: str) -> None:
    """A caption's new text, only when it changed (each one costs a layout of its text)."""
    if getattr(item, "_convviz_html", None) != html:
        item.setHtml(html)
        item._convviz_html = html


def _two_lines(text: str) -> str:
    """A title of the narrow left column: broken at the space nearest its middle when it is long."""
    text = str(text)
    spaces = [i for i, char in enumerate(text) if char == " "]
    if len(text) <= LEFT_TITLE_CHARS or not spaces:
        return text
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return f"{text[:cut]}<br>{text[cut + 1 :]}"


def _square(values) -> np.ndarray:
    return np.asarray(values, np.float32).reshape(IMAGE_SIZE, IMAGE_SIZE)
