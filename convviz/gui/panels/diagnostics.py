"""Whether training is healthy: two runs' diagnostics side by side, per layer.

:class:`DiagnosticsWidget` shows, for two runs (the current one and a chosen
other: an earlier run, or the race's other lane), per layer with weights: the
histograms of its weights, activations and gradients, the share of dead ReLU
units and log10 of the update-to-weight ratio (about -3 is healthy). The numbers
come as :class:`convviz.diagnostics.Diagnostics` (computed in the inference
service); a panel: numpy in, no TensorFlow.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PyQt5 import QtCore, QtGui, QtWidgets

from convviz.diagnostics import HEALTHY_LOG10_RATIO
from convviz.gui.common import theme
from convviz.gui.common.i18n import QT_TRANSLATE_NOOP, Retranslated, count, decimal, percent, translate

DIAGNOSTICS_TITLE = QT_TRANSLATE_NOOP("PanelArea", "Diagnostics")  # the tab's title
SIDES = 2
RATIO_TOLERANCE = 1.0  # decades from the healthy ratio before it is shown in red
COLOURS = {"weights": (31, 119, 180), "activations": (44, 160, 44), "gradients": (214, 39, 40)}


class _Side(QtWidgets.QWidget):
    """One run's column: its title, then a row per layer (numbers, three histograms)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.title = QtWidgets.QLabel()
        self.title.setWordWrap(True)
        self.graphs = pg.GraphicsLayoutWidget()
        self.graphs.setMinimumHeight(200)
        self.graphs.setMinimumWidth(100)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.graphs, 1)
        self.rows: dict = {}  # layer -> (label item, {kind: plot item})
        self.diagnostics = None

    def draw(self, diagnostics, heads: dict) -> None:
        self.diagnostics = diagnostics
        names = [d.layer for d in diagnostics.layers]
        if list(self.rows) != names:
            self.graphs.clear()
            self.rows = {}
            for row, name in enumerate(names):
                label = self.graphs.addLabel(name, row=row, col=0, justify="left")
                plots = {}
                for col, kind in enumerate(COLOURS, start=1):
                    plot = self.graphs.addPlot(row=row, col=col)
                    plot.hideAxis("left")
                    plot.setMenuEnabled(False)
                    plot.setMouseEnabled(False, False)
                    font = QtGui.QFont()
                    font.setPointSize(7)
                    plot.getAxis("bottom").setStyle(tickLength=3, tickFont=font)
                    plot.setMinimumWidth(30)  # three histograms and the numbers fit half a 1024-pixel window
                    plots[kind] = plot
                self.rows[name] = (label, plots)
            self.graphs.ci.layout.setColumnMaximumWidth(0, 120)
        for d in diagnostics.layers:
            label, plots = self.rows[d.layer]
            label.setText(heads["row"](d), justify="left")
            for kind, plot in plots.items():
                plot.clear()
                histogram = getattr(d, kind)
                if histogram is None:
                    continue
                counts = np.log10(1 + histogram.counts.astype(np.float64))  # a spike at 0 must not flatten the rest
                plot.addItem(
                    pg.PlotCurveItem(
                        histogram.edges, counts, stepMode="center", fillLevel=0, brush=COLOURS[kind] + (150,)
                    )
                )


class DiagnosticsWidget(Retranslated, QtWidgets.QWidget):
    """Two runs' training diagnostics side by side; ``other_chosen(key)``: the user chose the right-hand run."""

    other_chosen = QtCore.pyqtSignal(object)

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        theme.configure_pyqtgraph()
        self._choices: list = []  # (key, title) of the runs the right-hand side may show
        self.other_label = QtWidgets.QLabel()
        self.other_combo = QtWidgets.QComboBox()
        self.other_combo.currentIndexChanged.connect(self._on_other)
        self.explain = QtWidgets.QLabel()
        self.explain.setWordWrap(True)
        self.explain.setTextFormat(QtCore.Qt.RichText)
        self.explain.setStyleSheet(f"color: {theme.MUTED}")
        self.status = QtWidgets.QLabel()
        self.status.setStyleSheet(f"color: {theme.MUTED}")
        self.sides = [_Side() for _ in range(SIDES)]
        self._titles = ["", ""]
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.other_label)
        top.addWidget(self.other_combo, 1)
        top.addStretch(1)
        columns = QtWidgets.QHBoxLayout()
        for side in self.sides:
            columns.addWidget(side, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.explain)
        layout.addLayout(columns, 1)
        layout.addWidget(self.status)
        self.retranslate()

    def set_choices(self, choices: list, chosen=None) -> None:
        """The runs the right-hand side may show: [(key, title)], ``chosen`` selected (else the first)."""
        keys = [key for key, _ in choices]
        if [k for k, _ in self._choices] == keys and [t for _, t in self._choices] == [t for _, t in choices]:
            return
        self._choices = list(choices)
        self.other_combo.blockSignals(True)
        self.other_combo.clear()
        self.other_combo.addItems([title for _, title in choices])
        if chosen in keys:
            self.other_combo.setCurrentIndex(keys.index(chosen))
        self.other_combo.blockSignals(False)

    def other(self):
        index = self.other_combo.currentIndex()
        return self._choices[index][0] if 0 <= index < len(self._choices) else None

    def set_side(self, side: int, title: str, diagnostics) -> None:
        """Show ``diagnostics`` (convviz.diagnostics.Diagnostics, or None: clear) on side 0 (left) or 1."""
        self._titles[side] = title
        view = self.sides[side]
        if diagnostics is None:
            view.graphs.clear()
            view.rows = {}
            view.diagnostics = None
            view.title.setText(title)
            return
        view.draw(diagnostics, self._heads())
        share = translate("Diagnostics", "{title}: step {step}, dead ReLU units {share}")
        dead = percent(diagnostics.dead_share, 0)
        view.title.setText(share.format(title=title, step=count(diagnostics.step), share=dead))

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def _heads(self) -> dict:
        dead = translate("Diagnostics", "dead {share}")
        ratio = translate("Diagnostics", "log10 ratio {value}")

        def row(d) -> str:
            lines = [f"<b>{d.layer}</b>"]
            if d.dead_share is not None:
                lines.append(dead.format(share=percent(d.dead_share, 0)))
            if d.update_log10 is not None:
                far = abs(d.update_log10 - HEALTHY_LOG10_RATIO) > RATIO_TOLERANCE
                text = ratio.format(value=decimal(d.update_log10, 1))
                lines.append(f'<span style="color: {"#c62828" if far else "#2e7d32"}">{text}</span>')
            return "<br>".join(lines)

        return {
            "weights": translate("Diagnostics", "weights"),
            "activations": translate("Diagnostics", "activations"),
            "gradients": translate("Diagnostics", "gradients"),
            "row": row,
        }

    def _on_other(self, _index: int) -> None:
        self.other_chosen.emit(self.other())

    def retranslate(self) -> None:
        self.other_label.setText(translate("Diagnostics", "Compare with:"))
        text = translate(
            "Diagnostics", "Histograms (log scale) of 1,000 test digits; a healthy update: log10 about -3."
        )
        heads = self._heads()
        legend = " ".join(
            f'<span style="color: rgb{COLOURS[kind]}; font-weight: bold">&#9632; {heads[kind]}</span>'
            for kind in COLOURS
        )
        self.explain.setText(f"{legend}<br>{text}")
        for side, view in enumerate(self.sides):
            if view.diagnostics is not None:
                self.set_side(side, self._titles[side], view.diagnostics)
