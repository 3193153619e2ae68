"""SaliencyWidget: where in the digit the network looks, as a heat map over it with its colour scale.

Two pictures side by side: the saliency map alone (blue-white-red, symmetric
around zero) and the map laid over the digit, its colour the stronger the
larger the value; a colour bar gives the values. On the left the method, the
class to explain and what the colours mean. The digit is the one chosen in the feature maps (a test image) or the
drawing ("use drawing"), which then updates as you draw.

Methods (computed elsewhere, :mod:`convviz.explain`):

- occlusion: a grey square slides over the digit; red where hiding that part
  lowers the class's probability (the network needs it), blue where it raises it;
- gradient: d(class logit)/d(pixel): red where more ink would raise the class's
  score, blue where it would lower it;
- gradient × input: the gradient where there is ink: which of the strokes
  there count for (red) or against (blue) the class.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt5 import QtCore, QtWidgets

from convviz.constants import IMAGE_SIZE, NUM_CLASSES
from convviz.gui.common import theme
from convviz.gui.common.export import FigureMenu
from convviz.gui.common.i18n import QT_TRANSLATE_NOOP, Retranslated, again, decimal, marked, number, percent, translate
from convviz.gui.common.text import keep_units
from convviz.gui.panels.featurebars import ShrinkingLabel

# as convviz.saliency_methods.METHODS
METHODS = ("occlusion", "gradient", "gradient_x_input", "integrated_gradients", "smoothgrad")
METHOD_NAMES = {
    "occlusion": QT_TRANSLATE_NOOP("Saliency", "Occlusion"),
    "gradient": QT_TRANSLATE_NOOP("Saliency", "Gradient"),
    "gradient_x_input": QT_TRANSLATE_NOOP("Saliency", "Gradient × input"),
    "integrated_gradients": QT_TRANSLATE_NOOP("Saliency", "Integrated Gradients"),
    "smoothgrad": QT_TRANSLATE_NOOP("Saliency", "SmoothGrad"),
}
METHOD_HELP = {
    "occlusion": QT_TRANSLATE_NOOP(
        "Saliency", "Red: hiding this part lowers the probability of {cls}; blue: raises it."
    ),
    "gradient": QT_TRANSLATE_NOOP(
        "Saliency", "The score of {cls} per pixel. Red: more ink here raises it; blue: lowers it."
    ),
    "gradient_x_input": QT_TRANSLATE_NOOP(
        "Saliency", "Gradient where there is ink: red strokes speak for {cls}, blue against."
    ),
    "integrated_gradients": QT_TRANSLATE_NOOP(
        "Saliency", "Each pixel's share of the score of {cls} on the way from a black image; they add up to it."
    ),
    "smoothgrad": QT_TRANSLATE_NOOP(
        "Saliency", "The gradient averaged over 25 noisy copies of the digit: less speckle, same meaning for {cls}."
    ),
}
OVERLAY_ALPHA = 0.85  # the strongest value's colour covers the digit this much
COLORBAR_PX = 84  # the ramp and its short labels
LEFT_COLUMN_PX = 250  # the method, the class and the explanation; the pictures get the rest
INK_GREY = 0.45  # the digit under the overlay: mid-grey ink on white paper, so that colours show on it


def overlay_rgb(image: np.ndarray, saliency: np.ndarray, lut: np.ndarray, top: float) -> np.ndarray:
    """(28, 28, 3) uint8: the digit as grey ink on white, the map's colours over it, opaque where |value| is large."""
    image = np.clip(np.asarray(image, np.float64).reshape(IMAGE_SIZE, IMAGE_SIZE), 0.0, 1.0)
    paper = (1.0 - (1.0 - INK_GREY) * image)[..., None] * 255.0
    values = np.asarray(saliency, np.float64).reshape(IMAGE_SIZE, IMAGE_SIZE)
    scaled = np.clip(values / top, -1.0, 1.0) if top > 0 else np.zeros_like(values)
    colours = lut[np.round((scaled + 1.0) / 2.0 * (len(lut) - 1)).astype(int)][..., :3].astype(np.float64)
    alpha = (OVERLAY_ALPHA * np.abs(scaled))[..., None]
    return np.round((1.0 - alpha) * paper + alpha * colours).astype(np.uint8)


def short_number(value: float) -> str:
    """A colour-bar label that stays narrow: 0, 0.25, -12, 4e-5."""
    if value == 0:
        return "0"
    if 1e-2 <= abs(value) < 1e4:
        return number(value, ".3g")
    mantissa, exponent = format(value, ".1e").split("e")
    return f"{number(float(mantissa))}e{int(exponent)}"


class ScaleAxis(pg.AxisItem):
    """The colour bar's values, short (a probability drop of 0.00004 reads 4e-5, not 4e-05 cut off)."""

    def tickStrings(self, values, scale, spacing):
        return [short_number(round(v * scale, 15)) for v in values]


class ColorScale:
    """A vertical ramp from -top (bottom) to +top, its values on the right: narrow, for a narrow panel."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, col: int):
        self.plot = layout.addPlot(row=row, col=col, axisItems={"right": ScaleAxis("right")})
        theme.style_colorbar(self.plot)
        self.plot.setFixedWidth(COLORBAR_PX)
        self.item = pg.ImageItem()
        self.plot.addItem(self.item)
        self.levels = (-1.0, 1.0)

    def set(self, lut: np.ndarray, low: float, high: float) -> None:
        self.levels = (float(low), float(high))
        self.item.setImage(np.linspace(low, high, 256)[:, None], autoLevels=False, levels=self.levels)
        self.item.setLookupTable(lut)
        self.item.setRect(QtCore.QRectF(0.0, low, 1.0, high - low))  # row 0 (low) at the bottom
        self.plot.setRange(xRange=(0, 1), yRange=(low, high), padding=0)


def symmetric_top(values: np.ndarray) -> float:
    finite = np.asarray(values, np.float64)
    finite = finite[np.isfinite(finite)]
    top = float(np.abs(finite).max()) if finite.size else 0.0
    return top if top > 0 else 1.0


class FixedColumn(QtWidgets.QWidget):
    """A column of a fixed width whose wrapped texts set its height.

    It tells its layout no height-for-width: the panel's own height-for-width then asked the
    column's labels for their height at a far smaller width, and a page of a 1024x768 screen
    scrolled for want of 130 px.
    """

    def __init__(self, width: int):
        super().__init__()
        self.setFixedWidth(width)

    def hasHeightForWidth(self) -> bool:
        return False

    def minimumSizeHint(self) -> QtCore.QSize:
        layout = self.layout()
        height = layout.totalHeightForWidth(self.width()) if layout is not None else 0
        return QtCore.QSize(self.width(), height)

    def sizeHint(self) -> QtCore.QSize:
        return self.minimumSizeHint()


class SaliencyWidget(Retranslated, QtWidgets.QWidget):
    """The chosen digit, its saliency map and both overlaid, with a method and a class to explain.

    ``settings_changed()``: the method or the class changed (ask for a new map);
    ``use_drawing_toggled(bool)``: the user ticked or unticked "use drawing";
    ``saliency_shown(object)``: a map was drawn (what :meth:`show_saliency` got, for measurements).
    """

    settings_changed = QtCore.pyqtSignal()
    use_drawing_toggled = QtCore.pyqtSignal(bool)
    saliency_shown = QtCore.pyqtSignal(object)
    sanity_requested = QtCore.pyqtSignal()  # the sanity check: the same method on randomised weights

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        theme.configure_pyqtgraph()
        self._lut = theme.diverging_lut()
        self._caption_text = ""
        self._message = ""
        self._shown = None  # (image, map, cls, probability, method) last drawn
        self._cls_for_help: int | None = None

        self._title = QtWidgets.QLabel()
        self._title.setFont(theme.font(theme.TITLE_PT, bold=True))
        self.method_buttons = {}
        group = QtWidgets.QButtonGroup(self)
        column = QtWidgets.QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)  # five methods: the column must still fit a 1024x768 screen
        for method in METHODS:
            button = QtWidgets.QRadioButton()
            group.addButton(button)
            self.method_buttons[method] = button
            column.addWidget(button)
        self.method_buttons["gradient"].setChecked(True)
        self._class_label = QtWidgets.QLabel()
        self.class_combo = QtWidgets.QComboBox()
        self.class_combo.addItem("", None)
        for digit in range(NUM_CLASSES):
            self.class_combo.addItem(str(digit), digit)
        self.drawing_check = QtWidgets.QCheckBox()
        self.sanity_button = QtWidgets.QPushButton()
        target = QtWidgets.QHBoxLayout()
        target.addWidget(self._class_label)
        target.addWidget(self.class_combo, stretch=1)
        column.addSpacing(3)
        column.addLayout(target)
        drawing_row = QtWidgets.QHBoxLayout()
        drawing_row.addWidget(self.drawing_check)
        drawing_row.addWidget(self.sanity_button)  # the header is full on a 1024x768 screen
        column.addLayout(drawing_row)
        column.addSpacing(3)

        self._caption = QtWidgets.QLabel()
        self._caption.setWordWrap(True)
        self._caption.setFont(theme.font(theme.FONT_PT - 1))
        self.sanity_label = QtWidgets.QLabel()
        self.sanity_label.setWordWrap(True)
        self.sanity_label.setFont(theme.font(theme.FONT_PT - 3))
        self.sanity_label.hide()
        self._help = QtWidgets.QLabel()
        self._help.setWordWrap(True)
        self._help.setFont(theme.font(theme.FONT_PT - 2))
        self._help.setStyleSheet(f"color: {theme.MUTED}")
        column.addWidget(self._caption)
        column.addWidget(self._help)
        column.addWidget(self.sanity_label)  # in the help's place while the sanity check is shown
        self._sanity = None  # (correlation, ink correlation, method) shown
        column.addStretch(1)
        left_box = FixedColumn(LEFT_COLUMN_PX)
        left_box.setLayout(column)

        # The map alone and over the digit, side by side, with one colour bar: the digit itself is in
        # the prediction panel ("the network sees") and in the feature maps.
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setMinimumSize(300, 150)
        self._view_titles = []
        for col in range(2):
            label = ShrinkingLabel("", size=f"{theme.FONT_PT - 2}pt")  # a title may not widen its picture's column
            label.setPreferredWidth(60)  # the columns' widths come from the pictures, not from their titles
            self.graphics.addItem(label, row=0, col=col)
            self._view_titles.append(label)
        self.map_view, self.map_item = theme.image_view(self.graphics, row=1, col=0)
        self.map_item.setLookupTable(self._lut)
        self.overlay_view, self.overlay_item = theme.image_view(self.graphics, row=1, col=1)
        for view in (self.map_view, self.overlay_view):
            frame = theme.add_backdrop(view)
            theme.fit_backdrop(frame, (IMAGE_SIZE, IMAGE_SIZE), frame=0.5)
            view.setRange(xRange=(0, IMAGE_SIZE), yRange=(0, IMAGE_SIZE), padding=0.02)
        self.colorbar = ColorScale(self.graphics.ci, row=1, col=2)
        grid = self.graphics.ci.layout
        for col, view in enumerate((self.map_view, self.overlay_view)):  # the two pictures equally large
            view.setPreferredWidth(100)
            grid.setColumnStretchFactor(col, 1)
        grid.setColumnStretchFactor(2, 0)
        self.figure_menu = FigureMenu(self.graphics, "convviz-saliency")
        save_button = self.figure_menu.make_button(
            translate("Saliency", "Save the pictures as PNG or SVG for slides (or right-click them)")
        )

        header = QtWidgets.QHBoxLayout()
        header.addWidget(self._title)
        header.addStretch(1)
        header.addWidget(save_button)
        body = QtWidgets.QHBoxLayout()
        body.addWidget(left_box)
        body.addWidget(self.graphics, stretch=1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(body, stretch=1)

        group.buttonToggled.connect(self._on_method_toggled)
        self.class_combo.currentIndexChanged.connect(lambda _index: self._on_class_changed())
        self.drawing_check.toggled.connect(self.use_drawing_toggled)
        self.sanity_button.clicked.connect(self.sanity_requested)
        self.retranslate()
        self.clear()

    def retranslate(self) -> None:
        self._title.setText(translate("Saliency", "Where the network looks"))
        for method, button in self.method_buttons.items():
            button.setText(marked("Saliency", METHOD_NAMES[method]))
        self.method_buttons["occlusion"].setToolTip(
            translate("Saliency", "Hide one part of the digit at a time and watch the probability drop")
        )
        self.method_buttons["gradient"].setToolTip(
            translate("Saliency", "The gradient of the class's score (its logit) with respect to each pixel")
        )
        self.method_buttons["gradient_x_input"].setToolTip(
            translate("Saliency", "The gradient times the pixel's value: only where there is ink")
        )
        self._class_label.setText(translate("Saliency", "class:"))
        self.class_combo.setItemText(0, translate("Saliency", "predicted"))
        self.class_combo.setToolTip(translate("Saliency", "The class whose evidence is shown"))
        self.drawing_check.setText(translate("Saliency", "use drawing"))
        self.drawing_check.setToolTip(
            translate("Saliency", "Explain the digit on the drawing pad, live as you draw, instead of a test image")
        )
        self.method_buttons["integrated_gradients"].setToolTip(
            translate("Saliency", "Sundararajan et al. 2017: the gradient along the path from black, times the change")
        )
        tip = translate("Saliency", "Smilkov et al. 2017: the mean gradient over copies with Gaussian noise (0.15 of the ink's range)")  # noqa: E501  # fmt: skip
        self.method_buttons["smoothgrad"].setToolTip(tip)
        self.sanity_button.setText(translate("Saliency", "Sanity check"))
        tip = translate("Saliency", "Adebayo et al. 2018: a map that explains the network changes when its weights are randomised")  # noqa: E501  # fmt: skip
        self.sanity_button.setToolTip(tip)
        self._show_sanity_text()
        self._show_view_titles()
        self._caption_text = again(self._caption_text)
        self._message = again(self._message)
        self._show_caption()
        self._show_help()

    # ---- public API -------------------------------------------------------------------------------
    def method(self) -> str:
        return next(m for m, b in self.method_buttons.items() if b.isChecked())

    def set_method(self, method: str) -> None:
        if method not in METHODS:
            raise ValueError(f"a saliency method is one of {', '.join(METHODS)}, not {method!r}")
        self.method_buttons[method].setChecked(True)  # settings_changed, if it is another one

    def target_class(self) -> int | None:
        """The class to explain; None: the predicted one."""
        return self.class_combo.currentData()

    def set_target_class(self, cls: int | None) -> None:
        self.class_combo.setCurrentIndex(0 if cls is None else int(cls) + 1)

    def set_use_drawing(self, on: bool) -> None:
        """Tick or untick "use drawing" without ``use_drawing_toggled`` (the window keeps it in step)."""
        self.drawing_check.blockSignals(True)
        self.drawing_check.setChecked(bool(on))
        self.drawing_check.blockSignals(False)

    def uses_drawing(self) -> bool:
        return self.drawing_check.isChecked()

    def set_caption(self, text: str) -> None:
        """Which digit this is ("test image 3, label 5", "the drawing")."""
        self._caption_text = text
        self._show_caption()

    def set_message(self, text: str) -> None:
        """A line in place of the explanation ('' for none): waiting for a model, a failure."""
        self._message = text
        self._show_caption()

    def show_input(self, image: np.ndarray) -> None:
        """The digit alone, before its map arrives: under an empty overlay."""
        self.map_item.clear()
        self.overlay_item.setImage(overlay_rgb(image, np.zeros((IMAGE_SIZE, IMAGE_SIZE)), self._lut, 1.0))
        self._shown = None

    def show_saliency(self, image: np.ndarray, saliency, shown_for=None) -> None:
        """``saliency`` (``map`` (28, 28), ``cls``, ``method``, ``probability``) of ``image``, drawn now."""
        image = _square(image)
        values = _square(saliency.map).astype(np.float64)
        top = symmetric_top(values)
        if self._sanity is not None:  # the sanity check's pictures give way to the new map
            self._sanity = None
            self.overlay_item.setLookupTable(None)
            self.sanity_label.setText("")
            self._show_view_titles()
        self.map_item.setImage(values, autoLevels=False, levels=(-top, top))
        self.overlay_item.setImage(overlay_rgb(image, values, self._lut, top), autoLevels=False, levels=(0, 255))
        self.colorbar.set(self._lut, -top, top)
        self._shown = (image, values, int(saliency.cls), float(saliency.probability), str(saliency.method))
        self._cls_for_help = int(saliency.cls)
        self._show_caption()
        self._show_help()
        self.saliency_shown.emit(shown_for if shown_for is not None else saliency)

    def show_sanity(self, trained: np.ndarray, randomised: np.ndarray, correlation: float, ink: float, method: str):
        """The sanity check in place of the two pictures: the map of the trained network and of the
        randomised one, each on its own symmetric scale, and their rank correlation in the left column."""
        for item, values in ((self.map_item, trained), (self.overlay_item, randomised)):
            values = _square(values).astype(np.float64)
            top = symmetric_top(values)
            item.setLookupTable(self._lut)
            item.setImage(values, autoLevels=False, levels=(-top, top))
        self.colorbar.set(self._lut, -1.0, 1.0)
        self._sanity = (float(correlation), float(ink), method)
        self._show_view_titles()
        self._show_sanity_text()

    def set_sanity_message(self, text: str) -> None:
        """A line in place of the sanity check's result (computing, failed)."""
        self._sanity = None
        self.sanity_label.setText(text)
        self._show_view_titles()

    def _show_view_titles(self) -> None:
        self._help.setVisible(self._sanity is None)
        self.sanity_label.setVisible(self._sanity is not None or bool(self.sanity_label.text()))
        if self._sanity is not None:
            titles = (translate("Saliency", "trained network"), translate("Saliency", "random weights"))
        else:
            titles = (translate("Saliency", "saliency map"), translate("Saliency", "over the digit"))
        for label, title in zip(self._view_titles, titles):
            label.setText(title, size=f"{theme.FONT_PT - 2}pt")

    def sanity(self) -> tuple | None:
        """(correlation, ink correlation, method) shown, or None."""
        return self._sanity

    def _show_sanity_text(self) -> None:
        if self._sanity is None:
            return
        rho, ink, _ = self._sanity
        line = translate("Saliency", "Random weights: rank correlation ρ = {rho} (ink: {ink}). Near 1: the map shows the digit, not what the network learned.")  # noqa: E501  # fmt: skip
        self.sanity_label.setText(line.format(rho=decimal(rho, 2), ink=decimal(ink, 2)))

    def shown(self) -> tuple | None:
        """(image, map, class, probability, method) drawn last; None when no map is shown."""
        return self._shown

    def overlay_image(self) -> np.ndarray | None:
        """The overlay as drawn: (28, 28, 3) uint8."""
        return None if self._shown is None else self.overlay_item.image

    def clear(self) -> None:
        for item in (self.map_item, self.overlay_item):
            item.clear()
        self.colorbar.set(self._lut, -1.0, 1.0)
        self._shown = None
        self._show_caption()

    # ---- internals --------------------------------------------------------------------------------
    def _show_caption(self) -> None:
        parts = [self._caption_text] if self._caption_text else []
        if self._message:
            parts.append(self._message)
        elif self._shown is not None:
            _, _, cls, probability, _ = self._shown
            line = translate("Saliency", "explains class {cls} (p = {p})")
            parts.append(line.format(cls=cls, p=percent(probability, 1)))
        self._caption.setText(keep_units(" · ".join(parts)))  # it wraps: "48,5" and "%" went on two lines

    def _show_help(self) -> None:
        cls = self._cls_for_help if self.target_class() is None else self.target_class()
        name = "?" if cls is None else str(cls)
        self._help.setText(marked("Saliency", METHOD_HELP[self.method()]).format(cls=name))

    def _on_method_toggled(self, button, checked: bool) -> None:
        if checked:
            self._show_help()
            self.settings_changed.emit()

    def _on_class_changed(self) -> None:
        self._show_help()
        self.settings_changed.emit()


def _square(values) -> np.ndarray:
    return np.asarray(values, np.float32).reshape(IMAGE_SIZE, IMAGE_SIZE)
