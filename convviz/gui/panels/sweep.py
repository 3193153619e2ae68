"""The batch-size lab: one network at several batch sizes, live side by side, measured.

The settings (batch sizes, learning-rate policy, target, budget, batching), the runs' loss curves
against steps, images seen or seconds (a selector), the learning-rate changes as dotted lines, the
gradient-noise meter with one sentence each, and a table of memory (predicted and measured), speed
(the knee marked) and steps, images and seconds to the target; the full batch's predicted memory
closes it, "does not fit" where it exceeds this machine's free memory.

A panel: no TensorFlow, no controller; :class:`convviz.gui.window.sweep.Sweeper` feeds it the
sweep job's events (:meth:`SweepPanel.handle`) and starts the job from :attr:`start_requested`.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PyQt5 import QtCore, QtWidgets

from convviz.config import ARCHITECTURES, BATCHINGS
from convviz.errors import ConfigError
from convviz.events import LossChunk, RateChanged
from convviz.gui.common import theme
from convviz.gui.common.i18n import QT_TRANSLATE_NOOP, Retranslated, count, decimal, translate
from convviz.sweepplan import (
    DEFAULT_BATCH_SIZES,
    POLICIES,
    AccuracyPoint,
    NoiseMeasured,
    StepMemory,
    SweepDone,
    SweepPlan,
    SweepStarted,
    parse_batch_sizes,
)

SWEEP_PANEL = QT_TRANSLATE_NOOP("PanelArea", "Batch sizes")
COLOURS = ("#1f77b4", "#d95f02", "#1b7f3b", "#7b3294", "#c0262d", "#8c6d31", "#17becf", "#555555")
X_AXES = ("steps", "examples", "seconds")
SMOOTHING = 0.9  # the curves are exponential moving averages: B=8's raw loss is mostly noise
COLUMNS = 9
DRAW_INTERVAL_MS = 250
NARROW_PX = 560  # below this width the settings stand one to a row


def _lr(rate: float) -> str:
    """A learning rate to three significant digits, the language's way."""
    return decimal(float(format(rate, ".3g")))


def _mb(n) -> str:
    return "–" if n is None else f"{decimal(n / 1e6, 1)} MB"


class _Curve:
    def __init__(self, item):
        self.item = item
        self.steps = np.zeros(0)
        self.examples = np.zeros(0)
        self.seconds = np.zeros(0)
        self.smooth = np.zeros(0)

    def add(self, chunk: LossChunk) -> None:
        last = self.smooth[-1] if len(self.smooth) else None
        out = np.empty(len(chunk.losses))
        for i, loss in enumerate(np.asarray(chunk.losses, np.float64)):
            last = loss if last is None else SMOOTHING * last + (1 - SMOOTHING) * loss
            out[i] = last
        self.steps = np.append(self.steps, chunk.steps)
        self.examples = np.append(self.examples, chunk.examples_seen)
        self.seconds = np.append(self.seconds, chunk.seconds)
        self.smooth = np.append(self.smooth, out)

    def x(self, axis: str) -> np.ndarray:
        return {"steps": self.steps, "examples": self.examples, "seconds": self.seconds}[axis]


class SweepPanel(Retranslated, QtWidgets.QWidget):
    """See the module docstring. Signals: ``start_requested(SweepPlan)``, ``stop_requested()``,
    ``rate_requested(float)`` (the rate for a batch of 64, applied through the policy)."""

    start_requested = QtCore.pyqtSignal(object)
    stop_requested = QtCore.pyqtSignal()
    rate_requested = QtCore.pyqtSignal(float)

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.arch = QtWidgets.QComboBox()
        self.arch.addItems(list(ARCHITECTURES))
        self.arch.setCurrentText("lenet5" if "lenet5" in ARCHITECTURES else ARCHITECTURES[0])
        self.sizes = QtWidgets.QLineEdit(",".join(map(str, DEFAULT_BATCH_SIZES)))
        self.policy = QtWidgets.QComboBox()
        self.policy.addItems(["", "", ""])
        self.target = QtWidgets.QDoubleSpinBox()
        self.target.setRange(10.0, 100.0)
        self.target.setDecimals(1)
        self.target.setSuffix(" %")
        self.target.setValue(95.0)
        self.budget = QtWidgets.QSpinBox()
        self.budget.setRange(1000, 600_000)
        self.budget.setSingleStep(10_000)
        self.budget.setValue(60_000)
        self.batching = QtWidgets.QComboBox()
        self.batching.addItems(list(BATCHINGS))
        self.rate = QtWidgets.QDoubleSpinBox()
        self.rate.setDecimals(5)
        self.rate.setRange(1e-5, 10.0)
        self.rate.setSingleStep(1e-4)
        self.rate.setValue(1e-3)
        self.start_button = QtWidgets.QPushButton()
        self.stop_button = QtWidgets.QPushButton()
        self.apply_button = QtWidgets.QPushButton()
        self.stop_button.setEnabled(False)
        self.apply_button.setEnabled(False)
        self.x_axis = QtWidgets.QComboBox()
        self.x_axis.addItems(["", "", ""])
        self.labels = [QtWidgets.QLabel() for _ in range(8)]
        top = QtWidgets.QGridLayout()
        fields = (self.arch, self.sizes, self.policy, self.target, self.budget, self.batching, self.rate, self.x_axis)
        for field in fields:  # the fields take the width left beside their labels, down to a short one
            field.setMinimumWidth(70)
            field.setSizePolicy(QtWidgets.QSizePolicy.Ignored, QtWidgets.QSizePolicy.Fixed)
        self._fields, self._grid, self._pairs = fields, top, 0
        self._arrange(2)
        buttons = QtWidgets.QHBoxLayout()
        for b in (self.start_button, self.stop_button, self.apply_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.plot_widget = pg.PlotWidget(background=theme.BACKGROUND)
        self.plot = self.plot_widget.getPlotItem()
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.legend = self.plot.addLegend(offset=(-10, 10))
        self.plot_widget.setMinimumHeight(180)
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.noise = QtWidgets.QLabel()
        self.noise.setWordWrap(True)
        self.noise.setTextFormat(QtCore.Qt.RichText)
        # Both take the width they are given (the label wraps, the table scrolls): a 1024 px screen's panel
        # is narrower than the table's nine columns.
        self.noise.setSizePolicy(QtWidgets.QSizePolicy.Ignored, QtWidgets.QSizePolicy.Preferred)
        self.table = QtWidgets.QTableWidget(0, COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.table.setMinimumHeight(150)
        self.table.setSizePolicy(QtWidgets.QSizePolicy.Ignored, QtWidgets.QSizePolicy.Expanding)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        # Steps, images or seconds to the target against B (the x axis selector picks which), log-log, with the
        # perfect-scaling line through the smallest B that reached it: doubling B halves the steps.
        self.scaling_widget = pg.PlotWidget(background=theme.BACKGROUND)
        self.scaling = self.scaling_widget.getPlotItem()
        self.scaling.setLogMode(x=True, y=True)
        self.scaling.showGrid(x=True, y=True, alpha=0.2)
        self.scaling_widget.setMinimumHeight(160)
        self.scaling_points = self.scaling.plot([], [], pen=pg.mkPen(COLOURS[0], width=2), symbol="o", symbolSize=8)
        self.scaling_ideal = self.scaling.plot([], [], pen=pg.mkPen(theme.MUTED, width=1, style=QtCore.Qt.DashLine))
        plots = QtWidgets.QHBoxLayout()
        plots.addWidget(self.plot_widget, stretch=3)
        plots.addWidget(self.scaling_widget, stretch=2)
        layout.addLayout(plots, stretch=2)
        layout.addWidget(self.noise)
        layout.addWidget(self.table, stretch=1)
        self.curves: dict = {}  # run id -> _Curve
        self.marks: list = []  # (run id, step, examples, seconds, InfiniteLine)
        self.started: SweepStarted | None = None
        self.result = None
        self.readings: list = []
        self._rows: dict = {}  # run id -> row
        self._memory: dict = {}  # run id -> StepMemory
        self._points: dict = {}  # run id -> last AccuracyPoint
        self._reached: dict = {}  # run id -> first AccuracyPoint at or above the target
        # The curves are redrawn at most every DRAW_INTERVAL_MS, all at once: five runs' loss chunks would
        # otherwise cost the GUI thread up to 20 redraws a second, time the training threads share.
        self._dirty: set = set()
        self._draw_timer = QtCore.QTimer(self)
        self._draw_timer.setSingleShot(True)
        self._draw_timer.setInterval(DRAW_INTERVAL_MS)
        self._draw_timer.timeout.connect(self._draw_dirty)
        self.start_button.clicked.connect(self._on_start)
        self.stop_button.clicked.connect(self.stop_requested)
        self.apply_button.clicked.connect(lambda: self.rate_requested.emit(self.rate.value()))
        self.x_axis.currentIndexChanged.connect(lambda _: self._redraw())
        self.retranslate()

    def _arrange(self, pairs: int) -> None:
        """``pairs`` label-field pairs a row: two where the panel is wide, one where it is narrow."""
        if pairs == self._pairs:
            return
        self._pairs = pairs
        for i, (label, field) in enumerate(zip(self.labels, self._fields)):
            self._grid.addWidget(label, i // pairs, 2 * (i % pairs))  # addWidget moves a widget already there
            self._grid.addWidget(field, i // pairs, 2 * (i % pairs) + 1)
        for column in range(4):
            self._grid.setColumnStretch(column, 1 if column % 2 and column // 2 < pairs else 0)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._arrange(2 if self.width() >= NARROW_PX else 1)

    # ---- the user's plan --------------------------------------------------------------------------
    def plan(self) -> SweepPlan:
        """The settings as a plan; ConfigError (one line) for bad batch sizes."""
        return SweepPlan(
            arch=self.arch.currentText(),
            batch_sizes=parse_batch_sizes(self.sizes.text()),
            target=round(self.target.value() / 100.0, 4),
            max_examples=self.budget.value(),
            lr_policy=POLICIES[self.policy.currentIndex()],
            learning_rate=self.rate.value(),
            batching=self.batching.currentText(),
        ).validate()

    def _on_start(self) -> None:
        try:
            plan = self.plan()
        except ConfigError as exc:
            self.message.setText(str(exc).splitlines()[0])
            return
        self.start_requested.emit(plan)

    def set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.apply_button.setEnabled(running)

    @property
    def x_mode(self) -> str:
        return X_AXES[max(self.x_axis.currentIndex(), 0)]

    def set_x_mode(self, mode: str) -> None:
        self.x_axis.setCurrentIndex(X_AXES.index(mode))

    # ---- the sweep's events -----------------------------------------------------------------------
    def handle(self, event) -> None:
        if isinstance(event, SweepStarted):
            self._start(event)
        elif isinstance(event, LossChunk) and event.run_id in self.curves:
            self.curves[event.run_id].add(event)
            self._dirty.add(event.run_id)
            if not self._draw_timer.isActive():
                self._draw_timer.start()
        elif isinstance(event, RateChanged) and event.run_id in self.curves:
            self._mark(event)
        elif isinstance(event, StepMemory):
            self._memory[event.run_id] = event
            self._fill_row(event.run_id)
        elif isinstance(event, AccuracyPoint):
            self._points[event.run_id] = event
            if event.run_id not in self._reached and event.accuracy >= self.started.plan.target:
                self._reached[event.run_id] = event
                self._draw_scaling()
            self._fill_row(event.run_id)
        elif isinstance(event, NoiseMeasured):
            self.readings.append((event.label, event.reading))
            self._write_noise()
        elif isinstance(event, SweepDone):
            self._draw_dirty()
            self.result = event.result
            for run_id in self._rows:
                self._fill_row(run_id)
            self._write_noise()
            self.table.resizeColumnsToContents()

    def _start(self, started: SweepStarted) -> None:
        self.started, self.result, self.readings = started, None, []
        self._memory, self._points, self._reached = {}, {}, {}
        self.plot.clear()
        self.legend.clear()
        self.curves, self.marks = {}, []
        self.scaling_points.setData([], [])
        self.scaling_ideal.setData([], [])
        self._dirty.clear()
        for i, info in enumerate(started.runs):
            pen = pg.mkPen(COLOURS[i % len(COLOURS)], width=2)
            item = self.plot.plot([], [], pen=pen, name=f"B={info.batch_size} (lr {_lr(info.learning_rate)})")
            self.curves[info.run_id] = _Curve(item)
        self.table.setRowCount(len(started.runs) + 1)
        self._rows = {info.run_id: row for row, info in enumerate(started.runs)}
        for run_id in self._rows:
            self._fill_row(run_id)
        self._fill_full_batch()
        self._write_noise()

    def _draw(self, run_id: int) -> None:
        curve = self.curves[run_id]
        curve.item.setData(curve.x(self.x_mode), curve.smooth)

    def _draw_dirty(self) -> None:
        for run_id in sorted(self._dirty):
            if run_id in self.curves:
                self._draw(run_id)
        self._dirty.clear()

    def _redraw(self) -> None:
        self._draw_scaling()
        for run_id in self.curves:
            self._draw(run_id)
        for _, step, examples, seconds, line in self.marks:
            line.setValue({"steps": step, "examples": examples, "seconds": seconds}[self.x_mode])
        self.retranslate()

    def _mark(self, change: RateChanged) -> None:
        index = list(self.curves).index(change.run_id)
        pen = pg.mkPen(COLOURS[index % len(COLOURS)], width=1, style=QtCore.Qt.DotLine)
        line = pg.InfiniteLine(angle=90, movable=False, pen=pen)
        self.plot.addItem(line, ignoreBounds=True)
        self.marks.append((change.run_id, change.step, change.examples_seen, change.seconds, line))
        self._redraw()

    def mark_positions(self) -> list:
        return [float(line.value()) for *_, line in self.marks]

    # ---- the table and the meter ------------------------------------------------------------------
    def _item(self, row: int, column: int, text: str, bold: bool = False) -> None:
        item = QtWidgets.QTableWidgetItem(text)
        if bold:
            font = item.font()
            font.setBold(True)
            item.setFont(font)
        self.table.setItem(row, column, item)

    def scaling_data(self) -> tuple:
        """(batch sizes, what they needed to reach the target in the x axis' unit), for the runs that did."""
        if self.started is None:
            return [], []
        sizes = {info.run_id: info.batch_size for info in self.started.runs}
        reached = sorted((sizes[run_id], p) for run_id, p in self._reached.items())
        unit = {"steps": "step", "examples": "examples_seen", "seconds": "seconds"}[self.x_mode]
        return [b for b, _ in reached], [max(float(getattr(p, unit)), 1e-3) for _, p in reached]

    def _draw_scaling(self) -> None:
        sizes, needed = self.scaling_data()
        self.scaling_points.setData(sizes, needed)
        if len(sizes) and self.x_mode == "steps":
            b0, s0 = sizes[0], needed[0]
            every = [info.batch_size for info in self.started.runs if info.batch_size >= b0]
            self.scaling_ideal.setData(every, [s0 * b0 / b for b in every])
        elif len(sizes) and self.x_mode == "examples":  # perfect scaling needs the same images at every B
            every = [info.batch_size for info in self.started.runs]
            self.scaling_ideal.setData(every, [needed[0]] * len(every))
        else:  # seconds: no ideal line (a step's time grows with B, the machine decides by how much)
            self.scaling_ideal.setData([], [])

    def _fill_row(self, run_id: int) -> None:
        if self.started is None:
            return
        row = self._rows[run_id]
        info = self.started.runs[row]
        memory = self._memory.get(run_id)
        point = self._points.get(run_id)
        reached = self._reached.get(run_id)
        speed = point.examples_seen / point.seconds if point is not None and point.seconds > 0 else None
        cosine = None
        if self.result is not None:
            run = self.result.runs[row]
            speed, cosine = run.images_per_second, run.gradient_cosine
        knee = self.result is not None and self.result.knee == info.batch_size
        self._item(row, 0, str(count(info.batch_size)), bold=knee)
        self._item(row, 1, _lr(info.learning_rate))
        speed_text = "–" if speed is None else str(count(speed))
        self._item(row, 2, speed_text + (" ◀ " + translate("SweepPanel", "knee") if knee else ""), bold=knee)
        self._item(row, 3, _mb(info.memory_predicted_bytes))
        self._item(row, 4, _mb(None if memory is None else memory.measured_bytes))
        self._item(row, 5, "–" if reached is None else str(count(reached.step)))
        self._item(row, 6, "–" if reached is None else str(count(reached.examples_seen)))
        self._item(row, 7, "–" if reached is None else decimal(reached.seconds, 1))
        self._item(row, 8, "–" if cosine is None else decimal(cosine, 2))

    def _fill_full_batch(self) -> None:
        s, row = self.started, len(self.started.runs)
        self._item(row, 0, str(count(60000)))
        self._item(row, 3, _mb(s.full_batch_bytes))
        if s.full_batch_fits is None:
            verdict = translate("SweepPanel", "prediction")
        elif s.full_batch_fits:
            verdict = translate("SweepPanel", "fits into the free memory")
        else:
            verdict = translate("SweepPanel", "does not fit")
        self._item(row, 4, str(verdict), bold=not s.full_batch_fits)
        for column in (1, 2, 5, 6, 7, 8):
            self._item(row, column, "")

    def _write_noise(self) -> None:
        if not self.readings:
            self.noise.setText(str(translate("SweepPanel", "Gradient noise: measured after a warm-up and at the end.")))
            return
        parts = []
        for _, r in self.readings:
            cosines = ", ".join(f"B={b}: {decimal(c, 2)}" for b, c in zip(r.batch_sizes, r.cosines))
            b_simple = str(count(r.b_simple)) if math.isfinite(r.b_simple) else "∞"
            moment = translate("SweepPanel", "after {steps} steps").format(steps=count(r.step))
            parts.append(f"<b>{moment}</b>: cos {cosines}; B<sub>simple</sub> = {b_simple}")
        cos_sentence = translate("SweepPanel", "Cosine: how well one mini-batch gradient points where the gradient of 10,000 images points; close to 1, a bigger batch adds little.")  # noqa: E501  # fmt: skip
        noise_sentence = translate("SweepPanel", "B_simple (McCandlish et al. 2018): below it, doubling B nearly halves the steps; far above it, bigger batches mostly cost memory. Their MNIST value is about 20; it grows as training goes on.")  # noqa: E501  # fmt: skip
        self.noise.setText("<br>".join(parts) + f"<br><i>{cos_sentence}</i><br><i>{noise_sentence}</i>")

    def retranslate(self) -> None:
        names = (
            translate("SweepPanel", "Network"),
            translate("SweepPanel", "Batch sizes"),
            translate("SweepPanel", "Learning rate policy"),
            translate("SweepPanel", "Target accuracy"),
            translate("SweepPanel", "Images per run"),
            translate("SweepPanel", "Batching"),
            translate("SweepPanel", "Learning rate (for B=64)"),
            translate("SweepPanel", "x axis:"),
        )
        for label, name in zip(self.labels, names):
            label.setText(str(name))
        policies = (
            translate("SweepPanel", "fixed"),
            translate("SweepPanel", "linear in B"),
            translate("SweepPanel", "square root of B"),
        )
        for i, name in enumerate(policies):
            self.policy.setItemText(i, str(name))
        axes = (
            translate("SweepPanel", "steps"),
            translate("SweepPanel", "images seen"),
            translate("SweepPanel", "seconds"),
        )
        for i, name in enumerate(axes):
            self.x_axis.setItemText(i, str(name))
        self.start_button.setText(str(translate("SweepPanel", "Start sweep")))
        self.stop_button.setText(str(translate("SweepPanel", "Stop")))
        self.apply_button.setText(str(translate("SweepPanel", "Apply learning rate")))
        headers = (
            translate("SweepPanel", "B"),
            translate("SweepPanel", "lr"),
            translate("SweepPanel", "images/s"),
            translate("SweepPanel", "memory predicted"),
            translate("SweepPanel", "measured"),
            translate("SweepPanel", "steps to target"),
            translate("SweepPanel", "images to target"),
            translate("SweepPanel", "seconds to target"),
            translate("SweepPanel", "cosine"),
        )
        self.table.setHorizontalHeaderLabels([str(h) for h in headers])
        theme.set_axis_label(self.plot, "bottom", str(axes[X_AXES.index(self.x_mode)]))
        theme.set_axis_label(self.plot, "left", str(translate("SweepPanel", "loss")))
        theme.set_axis_label(self.scaling, "bottom", str(translate("SweepPanel", "batch size (log)")))
        to_target = (
            translate("SweepPanel", "steps to target (log)"),
            translate("SweepPanel", "images to target (log)"),
            translate("SweepPanel", "seconds to target (log)"),
        )
        theme.set_axis_label(self.scaling, "left", str(to_target[X_AXES.index(self.x_mode)]))
        if self.started is not None:
            self._fill_full_batch()
            self._write_noise()
