"""LossWidget: buffers, x units, smoothing and the accuracy axis, read back from the curves."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt5 import QtGui

from convviz.gui.panels.loss import LossWidget
from convviz.gui.panels.lossaxes import count_label
from convviz.gui.panels.losscurves import ema


@pytest.fixture
def widget(qtbot):
    w = LossWidget()
    qtbot.addWidget(w)
    w.resize(900, 500)
    w.show()
    return w


def feed(widget, n_points, chunk, batch_size=64, start=0):
    seen = start + batch_size * np.arange(1, n_points + 1)
    losses = 2.3 * np.exp(-np.arange(n_points) / 5000.0) + 0.05
    for i in range(0, n_points, chunk):
        widget.add_losses(seen[i : i + chunk], losses[i : i + chunk])
    return seen, losses


def test_ema_starts_on_the_data_and_continues_across_chunks():
    x = np.array([1.0, 3.0, 3.0, 3.0])
    full = ema(x, 0.5)
    np.testing.assert_allclose(full, [1.0, 2.0, 2.5, 2.75])
    np.testing.assert_allclose(np.concatenate([ema(x[:2], 0.5), ema(x[2:], 0.5, full[1])]), full)


def test_200k_points_in_chunks_all_reach_the_curves(widget):
    n = 200_000
    seen, losses = feed(widget, n, chunk=997)
    assert widget.point_count() == n
    widget.set_x_mode("examples")
    x, y = widget.raw_curve.getData()
    # getData may be clipped/downsampled for the view: check the full data set instead
    assert len(widget.raw_curve.xData) == n
    assert len(widget.smooth_curve.yData) == n
    np.testing.assert_array_equal(widget.raw_curve.xData, seen)
    np.testing.assert_array_equal(widget.raw_curve.yData, losses)
    assert x is not None and len(x) <= n and len(y) == len(x)
    # the smoothed line is the EMA over the whole run, whatever the chunking
    np.testing.assert_allclose(widget.smooth_curve.yData, ema(losses))


def test_x_axis_in_epochs_or_examples(widget):
    widget.set_train_size(1000)
    widget.add_losses(np.array([500, 1000, 1500]), np.array([2.0, 1.0, 0.5]))
    assert widget.x_mode() == "epochs"
    np.testing.assert_allclose(widget.raw_curve.getData()[0], [0.5, 1.0, 1.5])
    widget.set_x_mode("examples")
    np.testing.assert_allclose(widget.raw_curve.getData()[0], [500, 1000, 1500])
    widget.set_train_size(500)
    widget.set_x_mode("epochs")
    np.testing.assert_allclose(widget.raw_curve.getData()[0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError):
        widget.set_x_mode("steps")


def test_accuracy_points_live_on_the_right_axis(widget):
    widget.set_train_size(60000)
    widget.add_losses(np.array([30000, 60000]), np.array([0.3, 0.1]))
    widget.add_accuracy(1, 60000, 0.981)
    widget.add_accuracy(2, 120000, 0.9875)
    x, y = widget.accuracy_curve.getData()
    np.testing.assert_allclose(x, [1.0, 2.0])
    np.testing.assert_allclose(y, [98.1, 98.75])
    assert widget.accuracy_curve.getViewBox() is widget.accuracy_view
    assert widget.plot.getAxis("right").linkedView() is widget.accuracy_view
    assert widget.accuracy_curve not in widget.plot.listDataItems()  # not on the loss axis
    widget.set_x_mode("examples")
    np.testing.assert_allclose(widget.accuracy_curve.getData()[0], [60000, 120000])


def test_clear_empties_everything(widget):
    feed(widget, 100, chunk=30)
    widget.add_accuracy(1, 6400, 0.9)
    widget.clear()
    assert widget.point_count() == 0
    for curve in (widget.raw_curve, widget.smooth_curve, widget.accuracy_curve):
        x, _ = curve.getData()
        assert x is None or len(x) == 0
    feed(widget, 10, chunk=10)
    np.testing.assert_allclose(widget.smooth_curve.yData[0], widget.raw_curve.yData[0])  # EMA restarts


def test_mismatched_chunk_is_rejected(widget):
    with pytest.raises(ValueError):
        widget.add_losses(np.arange(3), np.arange(2))


def test_x_combo_drives_the_mode(widget, qtbot):
    with qtbot.waitSignal(widget.x_mode_changed) as blocker:
        widget._x_combo.setCurrentIndex(1)
    assert blocker.args == ["examples"]
    assert widget.x_mode() == "examples"


def test_log_scale_renders(widget, qtbot):
    feed(widget, 2000, chunk=100)
    widget._log_check.setChecked(True)
    assert widget.plot.getAxis("left").logMode
    widget.grab()  # an exception while ranging or painting fails the test (pytest-qt)
    np.testing.assert_array_equal(widget.smooth_curve.yData, ema(widget.raw_curve.yData))
    assert not widget.plot.getAxis("right").logMode  # accuracy stays linear
    widget._log_check.setChecked(False)
    widget.grab()


def test_examples_axis_ticks_are_compact(widget):
    assert [count_label(v) for v in (0, 500, 20000, 1_500_000)] == ["0", "500", "20k", "1.5M"]
    widget.set_x_mode("examples")
    assert widget.plot.getAxis("bottom").tickStrings([1e5, 2e5], 1.0, 1e5) == ["100k", "200k"]
    widget.set_x_mode("epochs")
    assert widget.plot.getAxis("bottom").tickStrings([0.5, 1.0], 1.0, 0.5) == ["0.5", "1.0"]


def contrast_ratio(rgb_a, rgb_b) -> float:
    """WCAG contrast ratio of two sRGB colours (1 to 21; 3 is the minimum for graphics)."""

    def luminance(rgb):
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in np.asarray(rgb[:3]) / 255.0]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(rgb_a), luminance(rgb_b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_raw_loss_line_is_thick_and_stands_out_on_white(widget):
    from PyQt5 import QtGui

    from convviz.gui.common import theme

    pen = widget.raw_curve.opts["pen"]
    assert pen.widthF() >= 2
    color = pen.color()
    background = np.array(QtGui.QColor(theme.BACKGROUND).getRgb()[:3], dtype=float)
    alpha = color.alphaF()  # what the eye sees: the line blended onto the white plot
    seen = alpha * np.array(color.getRgb()[:3], dtype=float) + (1 - alpha) * background
    assert contrast_ratio(seen, background) >= 3.0
    legend = widget._legend.text()
    assert QtGui.QColor(*seen.round().astype(int)).name() in legend  # the legend shows the same colour


def text_specs(axis):
    """(rect, text) of every tick label the axis draws now, from pyqtgraph's own layout of them."""
    from PyQt5 import QtGui

    image = QtGui.QImage(10, 10, QtGui.QImage.Format_ARGB32)
    painter = QtGui.QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [(rect, text) for rect, _flags, text in specs[2]]


@pytest.mark.parametrize("height", [300, 420, 800])  # 300: a plot of 180 px, below the usable 200
@pytest.mark.parametrize("low, high", [(0.7, 1.05), (0.62, 1.0), (0.01, 5.0), (0.3, 0.35), (1e-4, 2.3)])
def test_log_tick_labels_never_overlap(widget, qtbot, low, high, height):
    from PyQt5 import QtGui

    widget.resize(900, height)
    feed(widget, 200, chunk=50)
    widget._log_check.setChecked(True)
    widget.plot.setYRange(np.log10(low), np.log10(high), padding=0)
    qtbot.wait(10)
    axis = widget.plot.getAxis("left")
    specs = text_specs(axis)
    values = [float(text) for _, text in specs]  # plain numbers: 0.7, not 7·10⁻¹
    assert len(values) >= 2, specs
    assert all(low <= v <= high for v in values), values
    # A line of text is the font's height; pyqtgraph's own label boxes are 0.8 of it, so they
    # can be apart while the digits touch. Each label must have a full line, inside the axis.
    line = QtGui.QFontMetricsF(axis.style["tickFont"]).height()
    centres = sorted(rect.center().y() for rect, _ in specs)
    assert np.min(np.diff(centres)) >= line, [text for _, text in specs]
    assert centres[0] - line / 2 >= 0 and centres[-1] + line / 2 <= axis.height()


def test_the_log_switch_belongs_to_the_loss_axis(widget):
    check = widget._log_check
    assert "loss" in check.text() and "loss" in check.toolTip()
    axis = widget.plot.getAxis("left")
    view = widget.plot_widget
    axis_right = view.mapTo(widget, view.mapFromScene(axis.sceneBoundingRect().topRight())).x()
    # above the left (loss) axis, not beside the x-axis choice
    assert check.geometry().left() < axis_right
    assert check.geometry().bottom() <= view.geometry().top()
    assert check.geometry().top() > widget._x_combo.geometry().top()


def raw_pixels(widget, qtbot) -> int:
    """How many pixels of the plot show the per-batch loss colour (its dots or its line)."""
    from convviz.gui.common import theme

    qtbot.wait(20)
    image = widget.plot_widget.grab().toImage().convertToFormat(QtGui.QImage.Format_RGB32)
    pixels = np.frombuffer(image.constBits().asstring(image.byteCount()), np.uint8).reshape(image.height(), -1, 4)
    box = widget.plot.getViewBox()  # the data area only: the axis titles' anti-aliased edges are bluish too
    area = widget.plot_widget.mapFromScene(box.mapRectToScene(box.boundingRect())).boundingRect()
    ratio = image.width() / widget.plot_widget.width()
    top, bottom = int(area.top() * ratio) + 2, int(area.bottom() * ratio) - 2
    left, right = int(area.left() * ratio) + 2, int(area.right() * ratio) - 2
    rgb = pixels[top:bottom, left:right, 2::-1].astype(int)  # BGRA in memory
    return int((np.abs(rgb - np.array(theme.RAW_LOSS)).sum(axis=2) < 40).sum())


def test_a_single_step_s_loss_is_a_visible_dot_and_a_long_run_a_plain_line(widget, qtbot):
    assert raw_pixels(widget, qtbot) == 0
    widget.add_losses(np.array([64]), np.array([2.3]))  # one Step: one batch, one loss
    assert raw_pixels(widget, qtbot) >= 20  # a dot a class can see, not a line of one point (nothing)
    feed(widget, 400, chunk=100, start=64)
    assert widget.raw_curve.opts["symbol"] is None  # hundreds of dots would hide the curve
    assert raw_pixels(widget, qtbot) >= 20


def test_the_live_curves_draw_views_of_the_runs_series_and_derive_only_x_and_the_smoothed_loss(widget):
    from convviz.recording import LossSeries

    series = LossSeries(capacity=8)  # small: the series grows (a new block) while the plot draws it
    widget.set_train_size(640)
    widget.clear(series)
    sets = []
    for curve in (widget.raw_curve, widget.smooth_curve):
        curve.sigPlotChanged.connect(lambda item: sets.append(item))
    losses = np.linspace(2.3, 0.2, 50).astype(np.float32)
    for start in range(0, 50, 5):  # what the state does with each chunk: append it, then tell the plot
        steps = np.arange(start + 1, start + 6)
        series.append(steps, steps * 64, losses[start : start + 5], steps * 0.1)
        widget.update_losses()
    assert len(sets) == 2 * 10  # one setData per curve per chunk
    assert widget.point_count() == 50 == len(series)
    raw = widget.raw_curve.yData
    assert np.shares_memory(raw, series.view("losses"))  # the series itself, not a copy of its losses
    np.testing.assert_array_equal(raw, losses)
    np.testing.assert_allclose(widget.x_data(), np.arange(1, 51) * 64 / 640)
    np.testing.assert_allclose(widget.smooth_curve.yData, ema(losses, widget._live.smoothing))
    widget.update_losses()  # nothing new: nothing drawn again
    assert len(sets) == 20
    with pytest.raises(ValueError, match="its owner grows"):
        widget.add_losses([64], [1.0])  # the run's series is the state's to grow, not the plot's
    assert len(series) == 50
    # An overlaid run draws its series the same way; a new unit derives x again, the losses stay views.
    widget.add_run("other", "#2", 640, series=series)
    widget.set_x_mode("seconds")
    np.testing.assert_allclose(widget.run_x_data("other"), np.arange(1, 51) * 0.1)
    assert np.shares_memory(widget.raw_curve.yData, series.view("losses"))
    with pytest.raises(ValueError, match="its owner grows"):
        widget.append_run("other", [64], [1.0])


def test_a_chunk_costs_the_plot_the_chunk_not_the_curve(widget, monkeypatch):
    """The display arrays grow in place: a chunk derives x and the smoothed loss of its own points only."""
    from convviz.gui.panels import losscurves

    feed(widget, 10_000, chunk=1000)
    derived = []
    real_ema, real_x_of = losscurves.ema, losscurves.x_of
    monkeypatch.setattr(losscurves, "ema", lambda values, *a: derived.append(len(values)) or real_ema(values, *a))
    monkeypatch.setattr(losscurves, "x_of", lambda ex, *a: derived.append(len(ex)) or real_x_of(ex, *a))
    widget.add_losses(64 * np.arange(10_001, 10_011), np.full(10, 0.1))
    assert derived == [10, 10] and widget.point_count() == 10_010
