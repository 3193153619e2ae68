"""The bar charts under the feature maps: a chart per dense layer, and the softmax in its steps.

The last layer's logits become three charts (logits, their exponentials, and those divided by
their sum, the probabilities), the predicted class highlighted in each. Only numpy and pyqtgraph
here; :mod:`convviz.gui.panels.featuremaps` lays the charts out under the maps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PyQt5 import QtCore, QtGui

from convviz.constants import NUM_CLASSES
from convviz.gui.common import theme
from convviz.gui.common.i18n import decimal, number, translate

TITLE_MIN_SCALE = 0.6  # a title drawn smaller than this would be unreadable: it is cut instead (tooltip)
BAR_TITLE_SIZE = f"{theme.FONT_PT - 1}pt"
BAR_PLOT_PREFERRED_PX = 60  # every bar chart's preferred width: the stretch factors share out the rest
DENSE_BAR_COLOR = tuple(theme.SEQUENTIAL_COLORS[2])  # the feature maps' blue: activations, as theirs
# The softmax, step by step: (section name, chart title). {name} is the logits layer's name.
# Short titles: a title wider than its chart widens the row past the panel.
SOFTMAX_STEPS = (
    ("logits", "<b>{name}</b> z"),
    ("exp", "→ e<sup>z</sup>"),
    ("probabilities", "→ e<sup>z</sup> / Σ e<sup>z</sup>"),
)
SOFTMAX_NAMES = tuple(name for name, _ in SOFTMAX_STEPS)
EXP_SHIFTED_TITLE = "→ e<sup>z − max z</sup>"
DENSE_STRETCH = 2  # a dense layer's chart is twice as wide as each of the softmax's three


@dataclass
class BarSection:
    """One bar chart below the maps: a dense layer's units, or a step of the softmax."""

    name: str  # the layer ("fc1"), or "logits", "exp", "probabilities"
    size: int  # bars
    title: pg.LabelItem  # above the chart
    plot: pg.PlotItem
    bars: pg.BarGraphItem
    color: object

    def values(self) -> np.ndarray:
        return np.asarray(self.bars.opts["height"], dtype=np.float64)


def softmax_steps(logits: np.ndarray) -> tuple:
    """The softmax in its two steps: ``(exp(z), exp(z) / sum(exp(z)), shifted)``, in float64.

    Where exp(z) would overflow (a logit above ~700), exp(z - max z) is shown instead
    (``shifted`` is True): the same probabilities, as the softmax is blind to a shift.
    """
    z = np.asarray(logits, dtype=np.float64).ravel()
    with np.errstate(over="ignore", under="ignore"):
        exps = np.exp(z)
    shifted = not (np.isfinite(exps).all() and exps.sum() > 0)
    if shifted:
        exps = np.exp(z - z.max())
    return exps, exps / exps.sum(), shifted


def compact_number(value: float) -> str:
    """A tick label that stays narrow: 0.5, 20, 8.1k, 3M, 2e+15."""
    magnitude = abs(value)
    for limit, suffix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if magnitude >= limit:
            return number(value, ".2g") if magnitude >= 1e15 else f"{number(value / limit)}{suffix}"
    return decimal(value)


NICE_STEPS = (1.0, 2.0, 5.0, 10.0)  # a tick spacing is one of these times a power of ten


def _wider_step(step: float) -> float:
    """The next nice spacing above ``step`` (0.2 -> 0.5 -> 1 -> 2 -> 5 -> 10)."""
    power = 10.0 ** math.floor(math.log10(step))
    return next(n * power for n in NICE_STEPS if n * power > step * (1 + 1e-9))


class CompactAxis(pg.AxisItem):
    """An axis whose labels stay narrow however large the values (exp of a logit reaches 10^20), and, upright,
    no closer together than a line of text: a chart 35 px high (1024x768) has room for two or three numbers,
    where pyqtgraph wrote four or five over each other."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setStyle(maxTextLevel=0)  # numbers on the major ticks only: their spacing is chosen to fit

    def tickStrings(self, values, scale, spacing):
        return [compact_number(round(v * scale, 12)) for v in values]

    def tickSpacing(self, minVal, maxVal, size):
        levels = super().tickSpacing(minVal, maxVal, size)
        span = abs(maxVal - minVal)
        if not levels or self.orientation not in ("left", "right") or span <= 0 or size <= 0:
            return levels
        font = self.style.get("tickFont") or self.font()
        # A number's height as pyqtgraph places it (0.8 of the font's line: the digits' own height) and a gap.
        line = 0.8 * QtGui.QFontMetricsF(font).height() + 2
        major = levels[0][0]
        while major * size / span < line and major < span * 1e3:
            major = _wider_step(major)
        return [(major, 0.0)] + [level for level in levels if level[0] < major]


class ShrinkingLabel(pg.LabelItem):
    """A title that may get narrower than its text (clipped) instead of widening its row past the panel.

    pyqtgraph's LabelItem makes its text's width its minimum; a row of section titles or
    chart titles then overflows a narrow panel and pushes the last ones out of sight.
    """

    def __init__(self, text: str = "", **kwargs):
        super().__init__(text, **kwargs)
        self.setFlag(self.ItemClipsChildrenToShape)

    def setText(self, text: str, **args) -> None:
        super().setText(text, **args)
        self._fit()

    def resizeEvent(self, event) -> None:
        self._fit()
        super().resizeEvent(event)  # places the text as scaled

    def _fit(self) -> None:
        """Narrower than its text, the title is drawn smaller (down to TITLE_MIN_SCALE), not cut:
        ":onv1 / 5 × 28×2" was unreadable. Still too wide, it goes on two lines in the height it has
        (the fc1 title read ": 84 Neuronen (Re"). Cut even so, the whole title is its tooltip."""
        item = getattr(self, "item", None)
        if item is None:
            return
        item.setTextWidth(-1)  # one line: its natural width
        natural, room = item.boundingRect().width(), self.rect().width()
        scale = 1.0 if room <= 0 or natural <= room else max(room / natural, TITLE_MIN_SCALE)
        if natural * scale > room + 1 and " " in item.toPlainText():
            scale = self._wrapped_scale(item, room, max(self.rect().height(), item.boundingRect().height()))
        if abs(getattr(self, "_scale", 1.0) - scale) > 1e-3:  # kept here: pyqtgraph 0.12 deprecates item.scale()
            self._scale = scale
            item.setScale(scale)
        drawn = item.boundingRect().width() * scale
        self.setToolTip(item.toPlainText() if drawn > room + 1 else "")

    @staticmethod
    def _wrapped_scale(item, room: float, height: float) -> float:
        """The largest scale at which the text, wrapped to the room, fits it and ``height`` (else the smallest)."""
        option = item.document().defaultTextOption()
        option.setAlignment(QtCore.Qt.AlignHCenter)
        item.document().setDefaultTextOption(option)
        scale = 1.0
        while scale >= TITLE_MIN_SCALE:
            item.setTextWidth(room / scale)
            bounds = item.boundingRect()
            if item.document().idealWidth() * scale <= room + 0.5 and bounds.height() * scale <= height + 0.5:
                return scale
            scale -= 0.05
        item.setTextWidth(room / TITLE_MIN_SCALE)
        return TITLE_MIN_SCALE

    def updateMin(self) -> None:
        super().updateMin()
        self.setMinimumWidth(0)

    def sizeHint(self, hint, constraint):
        size = super().sizeHint(hint, constraint)
        if hint == QtCore.Qt.MinimumSize:
            size.setWidth(0)
        return size

    def shape(self) -> QtGui.QPainterPath:
        path = QtGui.QPainterPath()
        path.addRect(self.boundingRect())
        return path


def dense_title(name: str, units: int) -> str:
    """A dense layer's chart title: "<b>fc1</b>: 128 units (ReLU)"."""
    return translate("FeatureMaps", "<b>{layer}</b>: %n unit(s) (ReLU)", None, units).format(layer=name)


def build_bars(layout: pg.GraphicsLayout, vectors: list) -> list:
    """A bar chart per hidden dense layer; for the logits, three: logits, exp(logits), probabilities.

    Returns their :class:`BarSection`, left to right.
    """
    sections: list = []
    hidden, logits = list(vectors), None
    if hidden and hidden[-1][1] == (NUM_CLASSES,):
        logits = hidden.pop()[0]
    col = 0
    for name, (units,) in hidden:
        sections.append(add_bars(layout, col, name, units, dense_title(name, units), DENSE_BAR_COLOR))
        layout.layout.setColumnStretchFactor(col, DENSE_STRETCH)
        col += 1
    if logits is not None:
        for step, title in SOFTMAX_STEPS:
            sections.append(add_bars(layout, col, step, NUM_CLASSES, title.format(name=logits), theme.BAR))
            layout.layout.setColumnStretchFactor(col, 1)
            col += 1
    return sections


def add_bars(layout: pg.GraphicsLayout, col: int, name: str, n: int, title: str, color) -> BarSection:
    """One bar chart of ``n`` bars in column ``col`` of ``layout``, its title above it."""
    label = ShrinkingLabel(title, size=BAR_TITLE_SIZE)
    layout.addItem(label, row=0, col=col)
    left = CompactAxis("left")
    # The axis keeps the width of its widest labels so far instead of following every new range: a width
    # that changes in the middle of painting lays the row out again and paints it twice more (4 paints
    # an update instead of 1: ~8 ms of the GUI thread a second while a run trains).
    left.setStyle(autoReduceTextSpace=False)
    plot = layout.addPlot(row=1, col=col, axisItems={"left": left})
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    theme.style_plot(plot)
    # Equal preferred widths: the columns share the row by their stretch alone, whatever their tick labels.
    plot.setPreferredWidth(BAR_PLOT_PREFERRED_PX)
    if n == NUM_CLASSES:
        # 0 and 9 always; the other digits as soon as they fit (pyqtgraph drops a crowded level)
        bottom = plot.getAxis("bottom")
        bottom.setTicks([[(i, str(i)) for i in (0, 9)], [(i, str(i)) for i in range(1, 9)]])
        bottom.setStyle(textFillLimits=[(0, 0.8)])
    bars = pg.BarGraphItem(x=np.arange(n), height=np.zeros(n), width=0.75, brush=color, pen=None)
    plot.addItem(bars)
    margin = 1.0 if n == NUM_CLASSES else 0.6  # room for the end labels 0 and 9
    plot.setXRange(-margin, n - 1 + margin, padding=0)
    return BarSection(name, n, label, plot, bars, color)


def show_bars(bar_sections: list, vectors: list) -> None:
    """The dense layers' values and the softmax's steps (from the logits, the last vector) in their charts."""
    if not bar_sections:
        return
    values = [a for _, a in vectors]
    brushes = {}
    if bar_sections[-1].name == "probabilities":
        logits = values.pop()
        exps, probabilities, shifted = softmax_steps(logits)
        values += [np.asarray(logits, dtype=np.float64), exps, probabilities]
        title = EXP_SHIFTED_TITLE if shifted else SOFTMAX_STEPS[1][1]
        if bar_sections[-2].title.text != title:  # a new text lays the row of titles out again
            bar_sections[-2].title.setText(title)  # in the size it has (the zoom's), not the size at zoom 1
        winner = int(np.argmax(probabilities))
        for section in bar_sections[-3:]:  # the predicted class stands out in every step
            brushes[section.name] = [theme.WINNER if i == winner else section.color for i in range(NUM_CLASSES)]
    for section, v in zip(bar_sections, values):
        v = np.asarray(v, dtype=np.float64)
        if section.name in brushes:
            section.bars.setOpts(height=v, brushes=brushes[section.name])
        else:
            section.bars.setOpts(height=v)
        low, high = min(0.0, float(v.min())), max(0.0, float(v.max()))
        if section.name == "probabilities":
            low, high = 0.0, 1.0
        if high <= low:
            high = low + 1.0
        section.plot.setYRange(low, high, padding=0.05)
        theme.apply_ranges(section.plot)
