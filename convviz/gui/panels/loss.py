"""LossWidget: per-batch training loss (raw and smoothed) and test accuracy per epoch.

Losses arrive in chunks (the worker coalesces batches, a few chunks a second) into
the run's loss series, which the app state keeps; the plot draws views of it and
grows only what it derives (x, the smoothed loss: :mod:`.losscurves`), so each
chunk costs O(chunk) and one ``setData`` per curve (pyqtgraph's scrollingPlots
example). Peak downsampling and clip-to-view keep redraws cheap with hundreds of
thousands of points. Test accuracy lives on a second ViewBox with its own
right-hand axis, x-linked to the loss plot (pyqtgraph's MultiplePlotAxes example).
"""

from __future__ import annotations

import contextlib
import math

import numpy as np
import pyqtgraph as pg
from PyQt5 import QtCore, QtGui, QtWidgets

from convviz.constants import NUM_TRAIN
from convviz.gui.common import theme
from convviz.gui.common.export import FigureMenu
from convviz.gui.common.i18n import Retranslated, decimal, percent, translate
from convviz.gui.panels.lossaxes import CountAxis, DecimalAxis, LossAxis
from convviz.gui.panels.losscurves import SMOOTHING, CurveView, x_of

X_MODES = ("epochs", "examples", "seconds")
RAW_LOSS_WIDTH = 2  # px: a 1 px line vanishes on a projector
SMOOTH_AA = False  # see the smoothed curve: segments, not one stroked path
FEW_POINTS = 50  # up to this many losses, each is also a dot: one Step's single loss would draw nothing
# Log-axis ticks, most important first: the decades, then 2 and 5, then the other mantissas.
# Other runs' curves (run history, a race): Okabe-Ito colours, safe for the common colour blindnesses,
# without its blue (the live run's) and yellow (invisible on white on a projector).
RUN_COLOURS = ("#009E73", "#CC79A7", "#000000", "#56B4E9", "#E69F00", "#D55E00")
RUN_WIDTH = 2  # px: another run's smoothed loss
LIVE_WIDTH = 4  # px: a run still training, drawn bold
LEGEND_COLUMNS = 4  # a saved figure's legend, under the plot: at most this many entries a row
LIVE_KEY = "live"  # the legend's key of the run drawn with raw_curve / smooth_curve


class _RunCurve:
    """Another run in the plot (the history, the other racer): its smoothed loss and its test accuracies."""

    def __init__(self, key, label: str, colour: str, train_size: int, smoothing: float, live: bool, source=None):
        self.key, self.label, self.colour = key, label, colour
        self.train_size = max(int(train_size), 1)
        self.live = live
        self.visible = True
        self.view = CurveView(source, smoothing, capacity=256)
        self.accuracy = np.empty((0, 4))  # rows: epoch, examples_seen, accuracy (0-1), seconds
        self.item = pg.PlotDataItem(antialias=False)  # thick and anti-aliased: a path Qt strokes slowly (SMOOTH_AA)
        self.accuracy_item = pg.PlotDataItem(
            pen=pg.mkPen(colour, width=1, style=QtCore.Qt.DashLine),
            symbol="d",
            symbolSize=11,
            symbolBrush=colour,
            symbolPen=pg.mkPen("w", width=1),
            antialias=True,
        )
        self.set_live(live)

    def set_live(self, live: bool) -> None:
        self.live = live
        self.item.setPen(pg.mkPen(self.colour, width=LIVE_WIDTH if live else RUN_WIDTH))



class LossWidget(Retranslated, QtWidgets.QWidget):
    """Training loss per batch and test accuracy per epoch, against epochs or examples seen.

    Attributes ``raw_curve``, ``smooth_curve`` and ``accuracy_curve`` are the
    PlotDataItems; accuracy is plotted in percent on the right-hand axis.
    """

    x_mode_changed = QtCore.pyqtSignal(str)
    run_visibility_chosen = QtCore.pyqtSignal(object, bool)  # key, visible: a legend box ticked by the user

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        theme.configure_pyqtgraph()
        self._train_size = NUM_TRAIN
        self._x_mode = "epochs"
        self._live = CurveView()  # the live run's curve: its series (clear), or one of the widget's own
        self._smoothing = SMOOTHING
        self._accuracy = np.empty((0, 4))  # rows: epoch, examples_seen, accuracy (0-1), seconds
        self._run_length: int | None = None  # images in the run being shown, when it is known
        self._runs: dict = {}  # key -> _RunCurve: other runs overlaid (history, race), in legend order
        self._live_label: str | None = None  # the legend entry of the run drawn with raw/smooth_curve
        self._live_visible = True
        self._colours_used = 0

        self._x_combo = QtWidgets.QComboBox()
        for mode in X_MODES:
            self._x_combo.addItem(mode, mode)  # its text: retranslate()
        # It scales the loss axis, so it says so and sits above that axis (the left one).
        self._log_check = QtWidgets.QCheckBox()
        self._summary = QtWidgets.QLabel()
        self._summary.setFont(theme.font(theme.FONT_PT, bold=True))

        # The legend sits above the plot: inside it would hide the latest accuracy point.
        self._legend = QtWidgets.QLabel()
        self._legend.setWordWrap(True)
        self._legend.setAlignment(QtCore.Qt.AlignRight | QtCore.Qt.AlignVCenter)

        # A long summary wraps on a narrow panel rather than widen it.
        self._summary.setSizePolicy(QtWidgets.QSizePolicy.Ignored, QtWidgets.QSizePolicy.Preferred)
        self._summary.setWordWrap(True)

        # The summary has a row of its own: beside the x-axis choice a German "warte auf das Training…"
        # wrapped into four clipped lines on a 1024 px projector.
        summary_row = QtWidgets.QHBoxLayout()
        summary_row.addWidget(self._summary, stretch=1)
        header = QtWidgets.QHBoxLayout()
        header.addStretch(1)
        self._x_label = QtWidgets.QLabel()
        header.addWidget(self._x_label)
        header.addWidget(self._x_combo)
        # The y axis' own control on the left, above that axis; the legend on the right.
        legend_row = QtWidgets.QHBoxLayout()
        legend_row.addWidget(self._log_check)
        legend_row.addWidget(self._legend, stretch=1)
        # The runs' legend: one check box per run in its colour; unticked, its curve hides.
        self._runs_legend = QtWidgets.QWidget()
        self._runs_legend_layout = QtWidgets.QHBoxLayout(self._runs_legend)
        self._runs_legend_layout.setContentsMargins(0, 0, 0, 0)
        self._runs_legend_layout.addStretch(1)
        self._runs_scroll = QtWidgets.QScrollArea()
        self._runs_scroll.setWidget(self._runs_legend)
        self._runs_scroll.setWidgetResizable(True)
        self._runs_scroll.setFrameShape(QtWidgets.QFrame.NoFrame)
        self._runs_scroll.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarAlwaysOff)
        self._runs_scroll.setSizePolicy(QtWidgets.QSizePolicy.Ignored, QtWidgets.QSizePolicy.Fixed)
        self._runs_scroll.hide()
        self._run_boxes: dict = {}  # key -> QCheckBox

        self._bottom_axis = CountAxis("bottom")
        self._bottom_axis.enableAutoSIPrefix(False)  # "epochs (x0.001)" on a short run reads badly
        self._left_axis = LossAxis("left")
        axes = {"bottom": self._bottom_axis, "left": self._left_axis, "right": DecimalAxis("right")}
        self.plot_widget = pg.PlotWidget(axisItems=axes)
        plot = self.plot = self.plot_widget.getPlotItem()
        plot.setMenuEnabled(False)
        plot.showGrid(x=True, y=True, alpha=0.15)
        plot.setDownsampling(auto=True, mode="peak")
        plot.setClipToView(True)
        plot.getViewBox().setLimits(yMin=0)
        theme.style_plot(plot, ("left", "bottom", "right"))
        theme.set_axis_label(plot, "left", "", theme.SMOOTH_LOSS)  # the words: retranslate()

        self.raw_curve = plot.plot(
            pen=pg.mkPen(theme.RAW_LOSS, width=RAW_LOSS_WIDTH),
            symbol=None,  # dots only for the first few losses (_refresh_losses)
            symbolSize=10,
            symbolBrush=theme.RAW_LOSS,
            symbolPen=pg.mkPen(theme.SMOOTH_LOSS, width=1),
        )
        # A white halo keeps the smoothed line readable on top of the dense per-batch band. Not anti-aliased:
        # pyqtgraph then draws a wide opaque pen as line segments; anti-aliased, Qt strokes one long path,
        # which took 16 ms a paint (90 ms at worst) for a 14,000-step curve and stalled the window.
        self.smooth_curve = plot.plot(
            pen=pg.mkPen(theme.SMOOTH_LOSS, width=3),
            shadowPen=pg.mkPen(theme.BACKGROUND, width=6),
            antialias=SMOOTH_AA,
        )

        # Second y axis (right): its own ViewBox sharing the x axis.
        self.accuracy_view = pg.ViewBox(enableMenu=False)
        plot.showAxis("right")
        plot.scene().addItem(self.accuracy_view)
        plot.getAxis("right").linkToView(self.accuracy_view)
        self.accuracy_view.setXLink(plot.getViewBox())
        self.accuracy_view.setMouseEnabled(x=False, y=False)
        self.accuracy_view.setYRange(0.0, 100.0, padding=0.02)  # percent, also before the first epoch ends
        theme.set_axis_label(plot, "right", "", theme.ACCURACY)
        self.accuracy_curve = pg.PlotDataItem(
            pen=pg.mkPen(theme.ACCURACY, width=3),
            symbol="o",
            symbolSize=12,
            symbolBrush=theme.ACCURACY,
            symbolPen=pg.mkPen("w", width=1.5),
            antialias=True,
        )
        self.accuracy_view.addItem(self.accuracy_curve)
        plot.getViewBox().sigResized.connect(self._on_view_resized)

        # Right-click menu and header button: the plot (both axes and the accuracy) as PNG or SVG.
        self.figure_menu = FigureMenu(self.plot_widget, "convviz-loss", labels=self.figure_labels)
        header.addWidget(self.figure_menu.make_button())

        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(summary_row)
        layout.addLayout(header)
        layout.addLayout(legend_row)
        layout.addWidget(self._runs_scroll)
        layout.addWidget(self.plot_widget, stretch=1)
        # The moment the filter timeline shows (set_cursor), in the x axis' unit.
        self.cursor_line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(theme.FOREGROUND, width=2,
                                                                                style=QtCore.Qt.DashLine))
        self.cursor_line.hide()
        plot.addItem(self.cursor_line, ignoreBounds=True)
        self._cursor: float | None = None
        self._rate_marks: list = []  # (examples, seconds, InfiniteLine): the live run's learning-rate changes

        self._x_combo.currentIndexChanged.connect(self._on_x_combo_changed)
        self._log_check.toggled.connect(self._on_log_toggled)
        theme.set_axis_label(plot, "bottom", "")
        self.retranslate()

    @contextlib.contextmanager
    def figure_labels(self):
        """While a figure is saved or copied: the summary as its title and the legend under the plot.

        On screen both are Qt labels above the plot; a slide needs them in the picture. The legend
        sits under the x axis, beside the data, never over a curve (inside the plot the accuracy
        curve climbs into every corner), one row of entries wide; its text in pixels, as the axes'
        (a size in points grew to twice the PNG's in the SVG).
        """
        plot = self.plot
        plot.setTitle(self._summary.text(), size=f"{theme.FONT_PT}pt", color=theme.FOREGROUND)
        entries = [
            (self.raw_curve, translate("Loss", "loss per batch")),
            (self.smooth_curve, translate("Loss", "smoothed")),
            (self.accuracy_curve, translate("Loss", "test accuracy")),
        ]
        entries += [(curve.item, curve.label) for curve in self._runs.values() if curve.visible]
        tick_font = plot.getAxis("bottom").style.get("tickFont") or plot.getAxis("bottom").font()
        pixels = max(8, QtGui.QFontInfo(tick_font).pixelSize())  # as large as the axes' numbers
        legend = pg.LegendItem(labelTextSize=f"{pixels}px", colCount=min(len(entries), LEGEND_COLUMNS))
        # In the layout it scales with the figure: pyqtgraph's legend ignores transformations (it keeps its
        # screen size over a zoomed plot), so a PNG at twice the pixels had it at half the size of the rest.
        legend.setFlag(QtWidgets.QGraphicsItem.ItemIgnoresTransformations, False)
        legend.setBrush(pg.mkBrush(255, 255, 255, 0))
        legend.setPen(pg.mkPen(None))
        for item, label in entries:
            legend.addItem(item, label)
        grid = plot.layout
        row = grid.rowCount()
        grid.addItem(legend, row, 1)  # under the view box's column: the x axis' title stays above it
        grid.setAlignment(legend, QtCore.Qt.AlignHCenter)
        plot.layout.activate()  # the title's row now, not at the next event: the export is drawn before that
        try:
            yield legend
        finally:
            grid.removeItem(legend)
            if legend.scene() is not None:
                legend.scene().removeItem(legend)
            plot.setTitle(None)
            plot.layout.activate()

    def retranslate(self) -> None:
        """Write every text in the current language (at start, and when the language changes)."""
        self._x_combo.setItemText(0, translate("Loss", "epochs"))
        self._x_combo.setItemText(1, translate("Loss", "examples seen"))
        self._x_combo.setItemText(2, translate("Loss", "seconds"))
        self._x_label.setText(translate("Loss", "x axis:"))
        self._log_check.setText(translate("Loss", "log loss"))
        tip = translate("Loss", "The loss (left axis) on a logarithmic scale: late, small improvements stay visible")
        self._log_check.setToolTip(tip)
        raw = pg.mkColor(theme.RAW_LOSS[:3]).name()
        # Each entry holds together (&nbsp;); on a narrow panel the entries wrap instead of widening it.
        entries = [
            translate("Loss", "loss per batch"),
            translate("Loss", "smoothed"),
            translate("Loss", "test accuracy"),
        ]
        per_batch, smoothed, accuracy = (entry.replace(" ", "&nbsp;") for entry in entries)
        self._legend.setText(
            f'<span style="color:{raw}">━&nbsp;{per_batch}</span> &nbsp; '
            f'<span style="color:{theme.SMOOTH_LOSS}"><b>━&nbsp;{smoothed}</b></span> &nbsp; '
            f'<span style="color:{theme.ACCURACY}"><b>━●━&nbsp;{accuracy}</b></span>'
        )
        self.raw_curve.opts["name"] = translate("Loss", "loss per batch")  # the curves' names, for exports
        self.smooth_curve.opts["name"] = translate("Loss", "loss, smoothed")
        theme.relabel_axis(self.plot, "left", translate("Loss", "training loss"))
        theme.relabel_axis(self.plot, "right", translate("Loss", "test accuracy (%)"))
        self._update_x_label()
        self._update_summary()

    # ---- public API -------------------------------------------------------------------------

    def add_losses(self, examples_seen: np.ndarray, losses: np.ndarray, seconds=None) -> None:
        """Append a chunk of per-batch losses to the widget's own curve (not a run's series: see
        :meth:`clear`); ``examples_seen[i]`` counts images trained on after batch i, ``seconds[i]``
        (optional) the wall-clock seconds since the run started (the 'seconds' axis)."""
        x, y, t = _columns(examples_seen, losses, seconds)
        if x.size == 0:
            return
        self._live.append(x, y, t)
        self.update_losses()

    def update_losses(self) -> None:
        """The live run's series grew: draw its new points (one ``setData`` per curve)."""
        if self._live.sync(self._x_mode, self._train_size):
            self._refresh_losses()
            self._update_summary()

    def add_accuracy(self, epoch: int, examples_seen: int, accuracy: float, seconds: float | None = None) -> None:
        """Add the test accuracy (0-1) measured after ``epoch`` (1-based), i.e. after ``examples_seen`` images."""
        row = [epoch, examples_seen, accuracy, np.nan if seconds is None else seconds]
        self._accuracy = np.vstack([self._accuracy, row])
        self._refresh_accuracy()
        self._update_summary()

    # ---- other runs: the history and the other racer -------------------------------------------

    def add_run(
        self, key, label: str, train_size: int, live: bool = False, smoothing: float | None = None, series=None
    ) -> None:
        """Overlay another run; an existing ``key`` starts over. ``series``: the run's curve (a state run's
        ``LossSeries``, which its owner grows, then :meth:`update_run`; or a record's ``LossCurve``), drawn
        from views of it; None: empty until :meth:`append_run`."""
        if key == LIVE_KEY:
            raise ValueError(f"{LIVE_KEY!r} is the key of the run drawn with the main curves")
        old = self._runs.get(key)
        colour = old.colour if old is not None else RUN_COLOURS[self._colours_used % len(RUN_COLOURS)]
        if old is None:
            self._colours_used += 1
        else:
            self.remove_run(key)
        alpha = self._smoothing if smoothing is None else smoothing
        curve = _RunCurve(key, label, colour, train_size, alpha, live, series)
        self._runs[key] = curve
        self.plot.addItem(curve.item)
        self.accuracy_view.addItem(curve.accuracy_item)
        self._add_legend_box(key, label, colour, live)
        self._refresh_run(curve)

    def append_run(self, key, examples_seen, losses, seconds=None) -> None:
        """More losses of the overlaid run ``key`` added without a series (a whole curve, or chunks)."""
        curve = self._runs[key]
        x, y, t = _columns(examples_seen, losses, seconds)
        if x.size:
            curve.view.append(x, y, t)
            self._refresh_run(curve)

    def update_run(self, key) -> None:
        """The series of the overlaid run ``key`` grew: draw its new points."""
        self._refresh_run(self._runs[key])

    def add_run_accuracy(self, key, epoch: int, examples_seen: int, accuracy: float, seconds=None) -> None:
        curve = self._runs[key]
        row = [epoch, examples_seen, accuracy, np.nan if seconds is None else seconds]
        curve.accuracy = np.vstack([curve.accuracy, row])
        self._refresh_run(curve)

    def set_run_live(self, key, live: bool) -> None:
        """A live run is drawn bold; it ends: plain again."""
        curve = self._runs.get(key)
        if curve is not None:
            curve.set_live(live)
            self._style_box(self._run_boxes[key], curve.colour, live)

    def remove_run(self, key) -> None:
        curve = self._runs.pop(key, None)
        if curve is None:
            return
        self.plot.removeItem(curve.item)
        self.accuracy_view.removeItem(curve.accuracy_item)
        box = self._run_boxes.pop(key)
        box.setParent(None)
        box.deleteLater()
        self._runs_scroll.setVisible(bool(self._runs))

    def run_keys(self) -> list:
        """The overlaid runs' keys, in legend order (the live run's is not among them)."""
        return list(self._runs)

    def run_curve(self, key):
        """The smoothed-loss PlotDataItem of ``key`` (LIVE_KEY: the live run's smooth_curve)."""
        return self.smooth_curve if key == LIVE_KEY else self._runs[key].item

    def run_colour(self, key) -> str:
        return theme.SMOOTH_LOSS if key == LIVE_KEY else self._runs[key].colour

    def run_x_data(self, key) -> np.ndarray:
        """The overlaid run's loss x values in the axis' unit."""
        curve = self._runs[key]
        curve.view.sync(self._x_mode, curve.train_size)
        return curve.view.x()

    def run_point_count(self, key) -> int:
        return self.point_count() if key == LIVE_KEY else len(self._runs[key].view.source)

    def legend_box(self, key) -> QtWidgets.QCheckBox:
        """The runs' legend entry of ``key`` (a check box: unticked hides the run)."""
        return self._run_boxes[key]

    def set_run_visible(self, key, visible: bool) -> None:
        box = self._run_boxes.get(key)
        if box is not None:
            box.setChecked(bool(visible))  # -> _on_box_toggled
        else:
            self._apply_visible(key, bool(visible))

    def run_visible(self, key) -> bool:
        return self._live_visible if key == LIVE_KEY else self._runs[key].visible

    def set_live_label(self, label: str | None) -> None:
        """The live run's entry in the runs' legend (shown once other runs are overlaid); None: no entry."""
        self._live_label = label
        if label is None:
            box = self._run_boxes.pop(LIVE_KEY, None)
            if box is not None:
                box.setParent(None)
                box.deleteLater()
            self._apply_visible(LIVE_KEY, True)
        elif LIVE_KEY in self._run_boxes:
            self._run_boxes[LIVE_KEY].setText(label)
        else:
            self._add_legend_box(LIVE_KEY, label, theme.SMOOTH_LOSS, True, first=True)

    def set_cursor(self, x: float | None) -> None:
        """A vertical line at ``x`` (in the x axis' current unit): the moment the filter timeline shows;
        None hides it."""
        self._cursor = None if x is None else float(x)
        if self._cursor is None or not math.isfinite(self._cursor):
            self._cursor = None
            self.cursor_line.hide()
        else:
            self.cursor_line.setValue(self._cursor)
            self.cursor_line.show()

    def cursor(self) -> float | None:
        return self._cursor

    def add_rate_marker(self, examples_seen: int, seconds: float, rate: float) -> None:
        """A vertical line where the live run's learning rate changed, labelled with the new rate."""
        line = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen(theme.WRONG, width=1.5, style=QtCore.Qt.DotLine),
            label=f"lr {decimal(float(format(rate, '.3g')))}", labelOpts={"position": 0.92, "color": theme.WRONG},
        )
        self.plot.addItem(line, ignoreBounds=True)
        self._rate_marks.append((float(examples_seen), float(seconds), line))
        self._place_rate_marks()

    def rate_markers(self) -> list:
        """The x positions of the learning-rate markers, in the axis' current unit."""
        return [float(line.value()) for _, _, line in self._rate_marks]

    def _place_rate_marks(self) -> None:
        for examples, seconds, line in self._rate_marks:
            x = self._x_of(np.array([examples]), np.array([seconds]), self._train_size)
            line.setValue(float(x[0]))

    def _add_legend_box(self, key, label: str, colour: str, live: bool, first: bool = False) -> None:
        box = QtWidgets.QCheckBox(label)
        box.setChecked(True)
        self._style_box(box, colour, live)
        box.toggled.connect(lambda checked, k=key: self._on_box_toggled(k, checked))
        index = 0 if first else self._runs_legend_layout.count() - 1  # before the stretch
        self._runs_legend_layout.insertWidget(index, box)
        self._run_boxes[key] = box
        self._runs_scroll.setVisible(bool(self._runs))
        self._runs_scroll.setFixedHeight(box.sizeHint().height() + 6)

    def _on_box_toggled(self, key, checked: bool) -> None:
        self._apply_visible(key, checked)
        if key != LIVE_KEY:  # the live run is not an overlay: its box only hides its curves
            self.run_visibility_chosen.emit(key, checked)

    @staticmethod
    def _style_box(box: QtWidgets.QCheckBox, colour: str, live: bool) -> None:
        box.setStyleSheet(f"QCheckBox {{ color: {colour}; font-weight: {'bold' if live else 'normal'}; }}")

    def _apply_visible(self, key, visible: bool) -> None:
        if key == LIVE_KEY:
            self._live_visible = visible
            for item in (self.raw_curve, self.smooth_curve, self.accuracy_curve):
                item.setVisible(visible)
            return
        curve = self._runs.get(key)
        if curve is not None:
            curve.visible = visible
            curve.item.setVisible(visible)
            curve.accuracy_item.setVisible(visible)

    def _refresh_run(self, curve: _RunCurve) -> None:
        view = curve.view
        view.sync(self._x_mode, curve.train_size)
        curve.item.setData(view.x(), view.smooth(), connect="finite")
        a = curve.accuracy
        curve.accuracy_item.setData(self._x_of(a[:, 1], a[:, 3], curve.train_size), 100.0 * a[:, 2])

    def set_train_size(self, n: int) -> None:
        """Images per epoch (60000, or the train limit): the unit of the x axis in 'epochs' mode."""
        if n <= 0:
            raise ValueError(f"train size must be positive, got {n}")
        self._train_size = int(n)
        self._refresh_all()

    def set_smoothing(self, alpha: float) -> None:
        """EMA weight of the previous value for the losses that come next (about a 1 / (1 - alpha) batch window).

        A short run wants a short window, or the smoothed line lags far behind the raw one.
        """
        if not 0.0 <= alpha < 1.0:
            raise ValueError(f"smoothing must be in [0, 1), got {alpha}")
        self._smoothing = float(alpha)
        self._live.smoothing = self._smoothing

    def set_x_mode(self, mode: str) -> None:
        """'epochs' (fractional, examples_seen / train_size), 'examples' (examples seen) or 'seconds'
        (wall-clock seconds since each run started)."""
        if mode not in X_MODES:
            raise ValueError(f"x mode must be one of {X_MODES}, got {mode!r}")
        self._x_combo.setCurrentIndex(X_MODES.index(mode))  # -> _on_x_combo_changed

    def x_mode(self) -> str:
        return self._x_mode

    def clear(self, series=None) -> None:
        """Forget the live run's losses and accuracies (a new run starts); overlaid runs stay.

        ``series``: the new run's ``LossSeries``, which the live curves draw from now on (its owner,
        the app state, appends each chunk; then :meth:`update_losses`). None: a curve of the widget's
        own, for :meth:`add_losses`.
        """
        self._live = CurveView(series, self._smoothing)
        for _, _, line in self._rate_marks:
            self.plot.removeItem(line)
        self._rate_marks = []
        self._accuracy = np.empty((0, 4))
        self._run_length = None
        self._fit_x_range()
        self._refresh_all()
        self._update_summary()
        self.plot.enableAutoRange()
        self.accuracy_view.setYRange(0.0, 100.0, padding=0.02)

    def point_count(self) -> int:
        self._live.sync(self._x_mode, self._train_size)
        return self._live.size

    # ---- internals --------------------------------------------------------------------------

    def _x_scale(self) -> float:
        return 1.0 / self._train_size if self._x_mode == "epochs" else 1.0

    def _x_of(self, examples: np.ndarray, seconds: np.ndarray, train_size: int) -> np.ndarray:
        """x values in the axis' unit: epochs of ``train_size`` images, examples seen, or seconds."""
        return x_of(examples, seconds, self._x_mode, train_size)

    def _refresh_losses(self) -> None:
        x = self.x_data()
        # A line needs two points: the first steps of a run (Step, one batch at a time) are dots.
        few = 0 < len(x) <= FEW_POINTS
        if few != (self.raw_curve.opts["symbol"] is not None):
            self.raw_curve.setSymbol("o" if few else None)
        self.raw_curve.setData(x, self._live.raw(), connect="finite")
        self.smooth_curve.setData(x, self._live.smooth(), connect="finite")
        theme.apply_ranges(self.plot, self.accuracy_view)  # one paint per chunk, not two or three

    def _refresh_accuracy(self) -> None:
        x = self._x_of(self._accuracy[:, 1], self._accuracy[:, 3], self._train_size)
        self.accuracy_curve.setData(x, 100.0 * self._accuracy[:, 2])
        if len(x):
            low = float(np.min(100.0 * self._accuracy[:, 2]))
            # Zoomed to the interesting band (accuracies are mostly 95-99 %), never above 100.
            self.accuracy_view.setYRange(max(0.0, min(low - 1.0, 95.0)), 100.0, padding=0.02)

    def _refresh_all(self) -> None:
        self._place_rate_marks()
        self._refresh_losses()
        self._refresh_accuracy()
        for curve in self._runs.values():
            self._refresh_run(curve)

    def _update_x_label(self) -> None:
        text = {
            "epochs": translate("Loss", "epochs"),
            "examples": translate("Loss", "examples seen"),
            "seconds": translate("Loss", "seconds since the start"),
        }[self._x_mode]
        self._bottom_axis.compact = self._x_mode == "examples"
        self._bottom_axis.picture = None  # redraw the tick labels
        theme.relabel_axis(self.plot, "bottom", text)

    def _update_summary(self) -> None:
        parts = []
        if self._live.size:
            parts.append(translate("Loss", "loss {loss}").format(loss=decimal(self._live.smooth()[-1], 3)))
        if len(self._accuracy):
            epoch, _, acc, _ = self._accuracy[-1]
            # short: it shares a row with the x-axis choice
            parts.append(translate("Loss", "test accuracy {accuracy}").format(accuracy=percent(acc, 2)))
            self._summary.setToolTip(translate("Loss", "test accuracy after epoch {epoch}").format(epoch=int(epoch)))
        else:
            self._summary.setToolTip("")
        self._summary.setText("   ·   ".join(parts) if parts else translate("Loss", "waiting for training…"))

    def _on_x_combo_changed(self, index: int) -> None:
        self._x_mode = self._x_combo.itemData(index)
        self._update_x_label()
        # Clip-to-view clips to the view range in the *old* unit (0-10,000 examples against 0-1.6
        # epochs), and auto-range then fits the clipped remnant: the curve vanished and the axis
        # stayed in the old unit. Setting the range in the new unit first keeps all points in view.
        self._fit_x_range()
        self._refresh_all()
        if self._run_length is None:
            self.plot.enableAutoRange(axis="x")
        self.x_mode_changed.emit(self._x_mode)

    def set_run_length(self, examples: int | None) -> None:
        """A run of ``examples`` images is starting: the x axis spans all of it, and stays put.

        The curve grows into a fixed frame, so the class sees how far the run has come, and the
        axes are not laid out again for every chunk (that redraw cost the training thread CPU time).
        None: the axis follows the data again.
        """
        self._run_length = None if examples is None else int(examples)
        self._fit_x_range()
        if self._run_length is None:
            self.plot.enableAutoRange(axis="x")

    def _fit_x_range(self) -> None:
        """Show every point: x from 0 to the end of the run (or the last point), in the current unit."""
        x = self.x_data()
        ends = [float(np.nanmax(x))] if x.size and np.isfinite(x).any() else []
        if self._run_length is not None and self._x_mode != "seconds":
            ends.append(self._run_length * self._x_scale())
        if len(self._accuracy):
            ends.extend(self.accuracy_points()[-1:, 0])
        for key in self._runs:
            x = self.run_x_data(key)
            if x.size and np.isfinite(x).any():
                ends.append(float(np.nanmax(x)))
        ends = [e for e in ends if math.isfinite(e)]
        default = {"epochs": 1.0, "examples": float(self._train_size), "seconds": 60.0}[self._x_mode]
        high = max(ends) if ends else default
        self.plot.setXRange(0.0, max(high, 1e-9), padding=0.02)

    def x_data(self) -> np.ndarray:
        """The x values of every loss point, in the axis' unit (all of them, not only those in view)."""
        self._live.sync(self._x_mode, self._train_size)
        return self._live.x()

    def accuracy_points(self) -> np.ndarray:
        """(x in the axis' unit, accuracy in percent) of every test-accuracy point."""
        x = self._x_of(self._accuracy[:, 1], self._accuracy[:, 3], self._train_size)
        return np.column_stack([x, 100.0 * self._accuracy[:, 2]])

    def _on_log_toggled(self, checked: bool) -> None:
        # The limit applies in log10 space when log mode is on; -inf lifts it (None breaks pyqtgraph 0.13+).
        self.plot.getViewBox().setLimits(yMin=-np.inf if checked else 0)
        self.plot.setLogMode(y=checked)
        self.plot.getAxis("right").setLogMode(False)  # PlotItem switches both y axes; accuracy stays linear

    def _on_view_resized(self) -> None:
        main = self.plot.getViewBox()
        self.accuracy_view.setGeometry(main.sceneBoundingRect())
        self.accuracy_view.linkedViewChanged(main, self.accuracy_view.XAxis)


def _columns(examples_seen, losses, seconds):
    x = np.asarray(examples_seen, dtype=np.float64).ravel()
    y = np.asarray(losses, dtype=np.float64).ravel()
    if x.shape != y.shape:
        raise ValueError(f"examples_seen and losses differ in length: {x.shape} vs {y.shape}")
    t = None
    if seconds is not None:
        t = np.asarray(seconds, dtype=np.float64).ravel()
        if t.shape != x.shape:
            raise ValueError(f"seconds and losses differ in length: {t.shape} vs {x.shape}")
    return x, y, t
