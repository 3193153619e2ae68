"""PredictionWidget: what the network sees (28x28), the digit it predicts, and all ten probabilities."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt5 import QtCore, QtGui, QtWidgets

from convviz.constants import IMAGE_SIZE, NUM_CLASSES
from convviz.gui.common import theme
from convviz.gui.common.export import FigureMenu, titled
from convviz.gui.common.i18n import Retranslated, again, core, decimal, percent, translate
from convviz.gui.common.text import keep_units
from convviz.gui.common.zoom import current_factor, rebase_font

INPUT_DISPLAY_PX = 168  # the 28x28 input scaled 6x
INPUT_DISPLAY_STRIP_PX = 140  # 5x in the low strip of a small screen
INPUT_DISPLAY_COMPACT_PX = 112  # 4x on the smallest screens (1024x768, 1280x720)
COMPACT_DIGIT_PT = 64  # the predicted digit on the smallest screens (HUGE_PT elsewhere)
COMPACT_CAPTION_PT = 11  # "the network sees (28x28)" under the input there: no wider than the image
DIGIT_MIN_PX = 140  # the predicted digit's column
Y_TOP = 1.06  # the probability axis ends a little above 1, so that its "1.0" label is drawn whole
CROWDED_MIN = 0.15  # on bars too narrow for every value, the values at least this large are still written
LABEL_INSIDE = 0.8  # a bar at least this high carries its value inside its top, not above it
BAR_LABEL_PT = theme.TICK_PT - 2  # small enough for ".00" above each of ten bars in a 330 px chart
BAR_MIN_PX = 8  # a bar of the chart at least this wide (times the zoom) in a low strip, see _fit_strip


def confidence_samples() -> tuple:
    """The widest texts beside the chart, in the current language."""
    return (
        translate("Prediction", "{value} sure").format(value="100.0 %"),
        core("not a digit"),
        core("not sure"),
    )


class SteadyLabel(QtWidgets.QLabel):
    """A label as wide as the widest of ``samples`` in its current font, whatever it shows.

    Its neighbours (the bar chart) stay put when the text changes from "9.5 % sure" to
    "100.0 % sure"; the width follows the font when the app zooms.
    """

    def __init__(self, samples: tuple, minimum_px: int = 0):
        super().__init__("")
        self._samples = samples
        self._minimum_px = minimum_px
        self.setSizePolicy(QtWidgets.QSizePolicy.Fixed, QtWidgets.QSizePolicy.Preferred)

    def set_samples(self, samples: tuple) -> None:
        """The texts it must hold, whichever it shows; none: as wide as the text it shows."""
        self._samples = samples
        self.updateGeometry()

    def sizeHint(self) -> QtCore.QSize:
        hint = super().sizeHint()
        if not self._samples:
            return hint
        metrics = self.fontMetrics()
        margins = self.contentsMargins()
        widest = max(metrics.horizontalAdvance(text) for text in self._samples)
        width = widest + metrics.averageCharWidth() + margins.left() + margins.right()
        return QtCore.QSize(max(width, self._minimum_px), hint.height())

    def minimumSizeHint(self) -> QtCore.QSize:
        return self.sizeHint() if self._samples else super().minimumSizeHint()


def confidence_text(value: str, sure: bool, two_lines: bool = False) -> str:
    """What stands under the digit: "91.0 % sure", or a verdict as given; ``two_lines``: broken after the
    value ("91.0 %" over "sure"), a verdict at its middle space, for a strip with no room for one line."""
    template = translate("Prediction", "{value} sure")
    if not (sure and value):
        if not two_lines or " " not in value:
            return value
        cut = min((i for i, ch in enumerate(value) if ch == " "), key=lambda i: abs(2 * i - len(value)))
        return f"{value[:cut]}\n{value[cut + 1 :]}"
    if two_lines:
        template = template.replace("{value} ", "{value}\n", 1)
    return template.format(value=value)


def wrapped_confidence_samples() -> tuple:
    """The lines of the texts beside the chart on two lines (see :func:`confidence_text`)."""
    texts = (confidence_text("100.0 %", True, True), confidence_text(core("not a digit"), False, True))
    return tuple(line for text in (*texts, confidence_text(core("not sure"), False, True)) for line in text.split("\n"))


def bar_label(p: float) -> str:
    """A probability as written on its bar: .70, .03, 1.00 (no leading zero: ten fit in a narrow chart)."""
    text = decimal(p, 2)
    return text[1:] if text.startswith("0.") else text


class PredictionWidget(Retranslated, QtWidgets.QWidget):
    """Network input, predicted digit in large type, and a bar chart of the class probabilities.

    Attributes: ``input_item`` (ImageItem), ``bars`` (BarGraphItem, heights are the probabilities).
    """

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        theme.configure_pyqtgraph()
        self._probabilities: np.ndarray | None = None

        self.input_graphics = pg.GraphicsLayoutWidget()
        self.input_graphics.setFixedSize(INPUT_DISPLAY_PX, INPUT_DISPLAY_PX)
        self.input_graphics.ci.setContentsMargins(0, 0, 0, 0)
        self.input_view, self.input_item = theme.image_view(self.input_graphics)
        self.input_item.setLookupTable(theme.grey_lut())
        self._input_title = input_title = QtWidgets.QLabel()
        input_title.setAlignment(QtCore.Qt.AlignCenter)
        input_title.setWordWrap(True)  # zoomed on a 1024 px screen its first line is wider than the strip has room

        # Fixed widths (the widest digit, "100.0 % sure") and a message that wraps inside them:
        # the bar chart beside this column never moves when the texts change.
        self._digit = SteadyLabel(tuple("0123456789?"), DIGIT_MIN_PX)
        self._digit.setText("?")
        self._digit.setFont(theme.font(theme.HUGE_PT, bold=True))
        self._digit.setAlignment(QtCore.Qt.AlignCenter)
        self._confidence = SteadyLabel(())
        self._confidence.setFont(theme.font(theme.TITLE_PT, bold=True))
        self._confidence.setAlignment(QtCore.Qt.AlignCenter)
        self._message = QtWidgets.QLabel("")
        self._message.setAlignment(QtCore.Qt.AlignCenter)
        self._message.setWordWrap(True)
        self._message.setSizePolicy(QtWidgets.QSizePolicy.Ignored, QtWidgets.QSizePolicy.Preferred)
        self._message.setStyleSheet(f"color: {theme.MUTED}; font-style: italic")

        self.plot_widget = pg.PlotWidget()
        plot = self.plot_widget.getPlotItem()
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        plot.setRange(xRange=(-0.6, NUM_CLASSES - 0.4), yRange=(0, Y_TOP), padding=0)
        plot.showGrid(y=True, alpha=0.25)
        theme.style_plot(plot)
        theme.set_axis_label(plot, "left", "")  # the words: retranslate()
        plot.getAxis("bottom").setTicks([[(i, str(i)) for i in range(NUM_CLASSES)]])
        # Every digit under its bar: by default pyqtgraph hides a label that reaches past the axis's
        # end, and on a narrow chart (1024x768) that took the 0 and the 9 away.
        if "hideOverlappingLabels" in plot.getAxis("bottom").style:  # pyqtgraph 0.12 has no such style: it hides none
            plot.getAxis("bottom").setStyle(hideOverlappingLabels=False)
        plot.getAxis("left").setTicks([[(v, decimal(v, 1)) for v in (0, 0.2, 0.4, 0.6, 0.8, 1.0)]])
        self.bars = pg.BarGraphItem(
            x=np.arange(NUM_CLASSES), height=np.zeros(NUM_CLASSES), width=0.7, brush=theme.BAR, pen=None
        )
        plot.addItem(self.bars)
        self.bar_labels = []  # one TextItem per class: the bar's value
        for i in range(NUM_CLASSES):
            label = pg.TextItem("", color=theme.FOREGROUND, anchor=(0.5, 1.0))
            label.setFont(theme.font(BAR_LABEL_PT))
            label.setPos(i, 0.0)
            plot.addItem(label)
            self.bar_labels.append(label)
        self._labels_crowded = False  # True: too narrow even for turned values (see _fit_bar_labels)
        self._labels_upright = True  # False: turned a quarter, when the bars are narrower than ".00"
        self._labels_no_room = False  # True: the chart is narrower than one turned value: none is written
        self._placed: list = [None] * NUM_CLASSES  # each label's (inside its bar, upright) as last placed
        plot.getViewBox().sigResized.connect(self._fit_bar_labels)
        self.plot = plot
        self.figure_menu = FigureMenu(
            self.plot_widget, "convviz-probabilities", labels=titled(self.plot_widget, self._figure_title)
        )

        left = QtWidgets.QVBoxLayout()
        left.addWidget(self.input_graphics, alignment=QtCore.Qt.AlignHCenter)
        left.addWidget(input_title)
        left.addStretch(1)
        self._middle = middle = QtWidgets.QVBoxLayout()
        middle.addWidget(self._digit, alignment=QtCore.Qt.AlignHCenter)
        middle.addWidget(self._confidence, alignment=QtCore.Qt.AlignHCenter)
        middle.addWidget(self._message)
        middle.addStretch(1)
        top = QtWidgets.QHBoxLayout()
        top.addLayout(left)
        top.addLayout(middle, stretch=1)
        # Bar chart below (a column beside the drawing pad) or to the right (a strip under the panels).
        self._body = QtWidgets.QBoxLayout(QtWidgets.QBoxLayout.TopToBottom)
        self._body.addLayout(top)
        self._body.addWidget(self.plot_widget, stretch=1)
        # Which model predicts, under the title; hidden until set_model_text.
        self._model_label = QtWidgets.QLabel("")
        self._model_label.setWordWrap(True)
        self._model_label.setStyleSheet(f"color: {theme.SMOOTH_LOSS}")
        self._model_label.hide()
        title = QtWidgets.QLabel()
        title.setFont(theme.font(theme.TITLE_PT, bold=True))
        self._title = title
        self._save_button = self.figure_menu.make_button()
        # Model name under the title in a column, beside it in a low strip (saves a row).
        self._header = QtWidgets.QGridLayout()
        self._place_header(horizontal=False)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(self._header)
        layout.addLayout(self._body, stretch=1)

        self._confidence_shown: tuple = ("", True)  # the last _set_confidence's arguments
        self._verdict: str | None = None  # "not sure", "not a digit" (the core's words), or None
        self._model_text = ""
        self._message_text = ""
        self.set_network_input(None)
        self.retranslate()

    def retranslate(self) -> None:
        """Write every text in the current language (at start, and when the language changes)."""
        self._input_title.setText(
            translate("Prediction", "the network sees\n({size})").format(size=f"28{theme.TIMES}28")
        )
        self._title.setText(translate("Prediction", "prediction"))
        theme.relabel_axis(self.plot, "left", translate("Prediction", "probability"))
        self.set_model_text(again(self._model_text))
        self.set_message(again(self._message_text))
        if self.is_horizontal():
            self._confidence.set_samples(confidence_samples())
        if self._verdict:
            self.set_verdict(self._verdict)
        elif self._probabilities is not None:
            self.set_probabilities(self._probabilities)
        self._strip_level = -1  # new words, other widths; and setting the axis title showed it again
        self._fit_strip()

    # ---- public API -------------------------------------------------------------------------

    def set_network_input(self, image28: np.ndarray | None) -> None:
        """The preprocessed 28x28 image (0 background, 1 ink) fed to the network; None blanks it."""
        if image28 is None:
            image = np.zeros((IMAGE_SIZE, IMAGE_SIZE), dtype=np.float32)
        else:
            image = np.asarray(image28, dtype=np.float32).reshape(IMAGE_SIZE, IMAGE_SIZE)
        self.input_item.setImage(image, autoLevels=False, levels=(0.0, 1.0))
        self.input_view.autoRange(padding=0)

    def network_input(self) -> np.ndarray | None:
        return self.input_item.image

    def set_probabilities(self, probabilities: np.ndarray | None) -> None:
        """Ten class probabilities; the most likely class is highlighted. None clears the chart."""
        self._verdict = None  # the network's answer stands until set_verdict says otherwise
        if probabilities is None:
            self._probabilities = None
            self.bars.setOpts(height=np.zeros(NUM_CLASSES), brushes=[theme.BAR] * NUM_CLASSES)
            for label in self.bar_labels:
                label.setText("")
            self._digit.setText("?")
            self._set_confidence("")
            return
        p = np.asarray(probabilities, dtype=float).ravel()
        if p.shape != (NUM_CLASSES,):
            raise ValueError(f"expected {NUM_CLASSES} probabilities, got shape {p.shape}")
        self._probabilities = p
        winner = int(p.argmax())
        brushes = [theme.WINNER if i == winner else theme.BAR for i in range(NUM_CLASSES)]
        self.bars.setOpts(height=p, brushes=brushes)
        for i, (label, value) in enumerate(zip(self.bar_labels, p)):
            # While a run trains this comes twice a second: a label whose value did not change is left
            # alone (a new text lays the item out again; a new position moves it and repaints it).
            text = bar_label(value)
            if text != label.toPlainText():
                label.setText(text)
            if label.pos().y() != value:
                label.setPos(i, value)
        self._place_bar_labels()
        self._show_answer()

    def _show_answer(self) -> None:
        """The digit and "% sure" of the probabilities shown."""
        p = self._probabilities
        winner = int(p.argmax())
        self._digit.setText(str(winner))
        self._set_confidence(percent(p[winner], 1))

    def set_verdict(self, verdict: str | None) -> None:
        """Instead of a confident guess, say "not a digit" or "not sure" (the probabilities stay shown).

        None: the network's answer stands (the digit and "% sure" of the last probabilities).
        """
        self._verdict = verdict or None
        if verdict:
            self._digit.setText("?")
            self._set_confidence(core(verdict), sure=False)
        elif self._probabilities is not None:
            self._show_answer()  # the bars show these probabilities already

    def probabilities(self) -> np.ndarray | None:
        return self._probabilities

    def _fit_bar_labels(self) -> None:
        """Upright values while ".00" fits a bar's width; turned a quarter on a narrow chart."""
        metrics = QtGui.QFontMetricsF(self.bar_labels[0].textItem.font())  # as zoomed now
        x_low, x_high = self.plot.getViewBox().viewRange()[0]
        per_bar = self.plot.getViewBox().width() / max(x_high - x_low, 1e-9)
        upright = metrics.horizontalAdvance("1.00") + 2 <= per_bar
        # Narrower than a turned line, the values piled into an unreadable stack: only the bars a
        # class can see (at least CROWDED_MIN) keep theirs; the chart reads as bars alone.
        crowded = metrics.height() + 1 > per_bar
        # Narrower than one turned value (a zoomed chart on a 1024 px screen), none is written: the value
        # stood outside the chart, over its axis. The answer's "% sure" still says it.
        no_room = self.plot.getViewBox().width() < metrics.height() + 2
        if upright != self._labels_upright or crowded != self._labels_crowded or no_room != self._labels_no_room:
            self._labels_upright, self._labels_crowded, self._labels_no_room = upright, crowded, no_room
            self._place_bar_labels()

    def _place_bar_labels(self) -> None:
        heights = self._probabilities if self._probabilities is not None else np.zeros(NUM_CLASSES)
        for i, (label, value) in enumerate(zip(self.bar_labels, heights)):
            shown = not self._labels_no_room and (not self._labels_crowded or bool(value >= CROWDED_MIN))
            if label.isVisible() != shown:
                label.setVisible(shown)
            inside = bool(value >= LABEL_INSIDE)  # a full bar: its value inside its top, white on the colour
            winner = self._probabilities is not None and i == int(self._probabilities.argmax())
            placed = (inside, self._labels_upright, winner)
            if self._placed[i] == placed:
                continue  # each setter below lays the label out again: only a change is worth it
            self._placed[i] = placed
            label.setColor(theme.BACKGROUND if inside else theme.FOREGROUND)
            # White on the bar's colour behind the whole text: a bar narrower than the text ("0,97" turned
            # on a 6 px bar at 1024x768) left the white glyphs' edges on the white chart, cut.
            label.fill = pg.mkBrush(theme.WINNER if winner else theme.BAR) if inside else pg.mkBrush(None)
            label.update()
            label.setAngle(0 if self._labels_upright else 90)
            # The anchor is in the text's own frame: turned, its end (not its bottom) meets the bar's top.
            if self._labels_upright:
                label.setAnchor((0.5, 0.0) if inside else (0.5, 1.0))
            else:
                label.setAnchor((1.0, 0.5) if inside else (0.0, 0.5))

    def labels_upright(self) -> bool:
        """Whether the bar values are written upright (False: turned, the chart is narrow)."""
        return self._labels_upright

    def bar_texts(self) -> list:
        """The value written on each bar, class 0 to 9 ("" when there are no probabilities)."""
        return [label.toPlainText() for label in self.bar_labels]

    def predicted_digit(self) -> int | None:
        return None if self._probabilities is None else int(self._probabilities.argmax())

    def digit_text(self) -> str:
        return self._digit.text()

    def set_horizontal(self, horizontal: bool) -> None:
        """Put the bar chart right of the digit (a wide, low strip) instead of below it."""
        direction = QtWidgets.QBoxLayout.LeftToRight if horizontal else QtWidgets.QBoxLayout.TopToBottom
        self._body.setDirection(direction)
        self._place_header(horizontal and not self.is_compact())  # compact: the model's name on its own row
        self._model_label.setAlignment(
            QtCore.Qt.AlignLeft | (QtCore.Qt.AlignBottom if horizontal else QtCore.Qt.AlignTop)
        )
        # Beside the chart (a low strip) the column is as wide as "100.0 % sure", so the chart never
        # moves; in a column the chart is below it, and the panel's width is the splitter's.
        self._confidence.set_samples(confidence_samples() if horizontal else ())
        self._strip_level = -1  # measure again (_fit_strip, below)
        side = INPUT_DISPLAY_STRIP_PX if horizontal else INPUT_DISPLAY_PX
        if self.is_compact():
            side = INPUT_DISPLAY_COMPACT_PX
        self.input_graphics.setFixedSize(side, side)
        self.layout().invalidate()  # the outer layout caches the old minimum size otherwise
        self.updateGeometry()
        self._fit_strip()

    # A low strip narrower than all it holds (a small window zoomed in) squeezed the chart to a sliver:
    # its axis and no bars. What gives way instead, in this order, until the chart has its room: the
    # "% sure" under the digit goes onto two lines; the input column goes (the pad beside shows the
    # drawing); the axis title goes (its tooltip stays). Decided from the widths alone, so that zooming
    # in and back returns the same layout.
    STRIP_LEVELS = 3

    def strip_level(self) -> int:
        """How much gave way for the chart: 0 nothing, 1 the confidence wraps, 2 no input column, 3 no axis title."""
        return max(getattr(self, "_strip_level", 0), 0)

    def _chart_needs(self, with_title: bool) -> int:
        """The chart's least width: its axis (numbers, and the title ``with_title``) and ten bars of BAR_MIN_PX
        (zoomed, as the digits under them are)."""
        axis = self.plot.getAxis("left")
        tick = QtGui.QFontMetrics(axis.style.get("tickFont") or axis.font())
        numbers = tick.horizontalAdvance(decimal(0.8, 1)) + max(axis.style["tickLength"], 0) + 2 * 5
        title = QtGui.QFontMetrics(theme.font(round((theme.TITLE_PT - 2) * current_factor(self)))).height() + 4
        return numbers + (title if with_title else 0) + round(NUM_CLASSES * BAR_MIN_PX * current_factor(self))

    def _level_needs(self, level: int) -> int:
        gap = self._body.spacing() if self._body.spacing() >= 0 else 6
        confidence = self._confidence_width(wrapped=level >= 1)
        middle = max(self._digit.sizeHint().width(), confidence)
        picture = max(self.input_graphics.width(), self._input_title.minimumSizeHint().width()) + gap
        margins = self.layout().contentsMargins()
        return (
            (picture if level < 2 else 0)
            + middle
            + gap
            + self._chart_needs(with_title=level < 3)
            + margins.left()
            + margins.right()
        )

    def _confidence_width(self, wrapped: bool) -> int:
        metrics = self._confidence.fontMetrics()
        texts = wrapped_confidence_samples() if wrapped else confidence_samples()
        return max(metrics.horizontalAdvance(t) for t in texts) + metrics.averageCharWidth()

    def _fit_strip(self) -> None:
        level = 0
        # Only zoomed in: at zoom 1 every screen's strip is laid out as it always was (the chart may be narrow).
        if self.is_horizontal() and self.width() > 0 and current_factor(self) > 1.0:
            while level < self.STRIP_LEVELS and self._level_needs(level) > self.width():
                level += 1
        if level == getattr(self, "_strip_level", -1):
            return
        self._strip_level = level
        if self.is_horizontal():
            self._confidence.set_samples(wrapped_confidence_samples() if level >= 1 else confidence_samples())
        self._set_confidence(*getattr(self, "_confidence_shown", ("", True)))  # on two lines from level 1 on
        self.input_graphics.setVisible(level < 2)
        self._input_title.setVisible(level < 2)
        axis = self.plot.getAxis("left")
        axis.showLabel(level < 3)
        self.plot_widget.setToolTip(translate("Prediction", "probability") if level >= 3 else "")
        for layout in (self._middle, self._body, self.layout()):  # the nested ones keep the old heights else
            layout.invalidate()
        self.layout().activate()
        self.updateGeometry()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_strip()

    def changeEvent(self, event: QtCore.QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.FontChange:  # the zoom: other widths
            self._fit_strip()

    def set_compact(self, compact: bool) -> None:
        """On the smallest screens: a smaller input image and digit, so the strip fits beside the pad."""
        if compact == getattr(self, "_compact", False):
            return
        self._compact = compact
        rebase_font(self._digit, COMPACT_DIGIT_PT if compact else theme.HUGE_PT)
        rebase_font(self._confidence, COMPACT_CAPTION_PT + 1 if compact else theme.TITLE_PT)
        rebase_font(self._input_title, COMPACT_CAPTION_PT if compact else theme.FONT_PT)
        rebase_font(self._title, theme.COMPACT_TITLE_PT if compact else theme.TITLE_PT)  # as the pad's, beside it
        self._digit.updateGeometry()
        self._confidence.updateGeometry()
        self.set_horizontal(self.is_horizontal())

    def _figure_title(self) -> str:
        """The figure's title on a slide: the prediction and the model ("3 · 100.0 % sure · pretrained cnn …")."""
        parts = [self._digit.text(), self._confidence.text(), self._model_label.text()]
        return "   ·   ".join(part for part in parts if part.strip())

    def is_compact(self) -> bool:
        return getattr(self, "_compact", False)

    def _set_confidence(self, value: str, sure: bool = True) -> None:
        self._confidence_shown = (value, sure)
        self._confidence.setText(confidence_text(value, sure, two_lines=self.strip_level() >= 1))

    def _place_header(self, horizontal: bool) -> None:
        """Title, model name, Save button: one row in a low strip; the name on a row of its own in a column."""
        grid = self._header
        for widget in (self._title, self._model_label, self._save_button):
            grid.removeWidget(widget)
        for column in range(3):
            grid.setColumnStretch(column, 0)
        grid.addWidget(self._title, 0, 0)
        if horizontal:
            grid.addWidget(self._model_label, 0, 1)
            grid.addWidget(self._save_button, 0, 2, QtCore.Qt.AlignRight | QtCore.Qt.AlignVCenter)
        else:
            grid.addWidget(self._save_button, 0, 1, QtCore.Qt.AlignRight | QtCore.Qt.AlignVCenter)
            grid.addWidget(self._model_label, 1, 0, 1, 2)
        grid.setColumnStretch(1, 1)

    def is_horizontal(self) -> bool:
        return self._body.direction() == QtWidgets.QBoxLayout.LeftToRight

    def set_model_text(self, text: str) -> None:
        """Name the model that predicts ("pretrained cnn · 99.3 % test accuracy"), beside the title."""
        self._model_text = text
        self._model_label.setText(keep_units(text))  # it wraps: a number and its unit stay on one line
        self._model_label.setToolTip(text)
        self._model_label.setVisible(bool(text))

    def model_text(self) -> str:
        """The model's line as given (the label writes its numbers' units with a no-break space)."""
        return str(self._model_text)

    def set_message(self, text: str) -> None:
        """A short status line under the digit ("draw a digit", "model loading…"); empty hides it."""
        self._message_text = text
        self._message.setText(text)
        self._message.setVisible(bool(text))

    def message(self) -> str:
        return self._message.text()

    def clear(self) -> None:
        self.set_network_input(None)
        self.set_probabilities(None)
