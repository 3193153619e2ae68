"""PredictionWidget: network input, big digit, bar heights and the highlighted winner."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest

from convviz.gui.common import theme
from convviz.gui.panels.prediction import PredictionWidget


@pytest.fixture
def widget(qtbot):
    w = PredictionWidget()
    qtbot.addWidget(w)
    w.show()
    return w


def test_probabilities_become_bars_and_a_digit(widget):
    p = np.array([0.01, 0.02, 0.05, 0.7, 0.02, 0.1, 0.02, 0.03, 0.03, 0.02])
    widget.set_probabilities(p)
    np.testing.assert_allclose(widget.bars.opts["height"], p)
    np.testing.assert_array_equal(widget.bars.opts["x"], np.arange(10))
    brushes = [pg.mkBrush(b).color().name() for b in widget.bars.opts["brushes"]]
    assert brushes[3] == pg.mkColor(theme.WINNER).name()
    assert all(b == pg.mkColor(theme.BAR).name() for i, b in enumerate(brushes) if i != 3)
    assert widget.digit_text() == "3" and widget.predicted_digit() == 3
    widget.set_probabilities(None)
    assert widget.digit_text() == "?" and not np.any(widget.bars.opts["height"])
    with pytest.raises(ValueError):
        widget.set_probabilities(np.ones(3))


def test_network_input_and_message(widget):
    image = np.zeros((28, 28), dtype=np.float32)
    image[4:24, 14] = 1.0
    widget.set_network_input(image)
    np.testing.assert_array_equal(widget.network_input(), image)
    assert widget.input_item.getLevels() is not None
    lo, hi = widget.input_item.getLevels()
    assert (lo, hi) == (0.0, 1.0)
    widget.set_message("model loading…")
    assert widget.message() == "model loading…" and widget._message.isVisible()
    widget.set_message("")
    assert not widget._message.isVisible()
    widget.clear()
    assert not widget.network_input().any()


def test_every_bar_carries_its_value(widget):
    p = np.array([0.004, 0.02, 0.05, 0.6, 0.02, 0.2, 0.02, 0.03, 0.03, 0.026])
    widget.set_probabilities(p)
    assert widget.bar_texts() == [".00", ".02", ".05", ".60", ".02", ".20", ".02", ".03", ".03", ".03"]
    for i, (label, value) in enumerate(zip(widget.bar_labels, p)):
        assert (label.pos().x(), label.pos().y()) == pytest.approx((i, value))  # on its own bar
    certain = np.eye(10)[7]
    widget.set_probabilities(certain)
    assert widget.bar_texts()[7] == "1.00" and widget.bar_texts()[0] == ".00"
    top = widget.plot.getViewBox().viewRange()[1][1]
    assert widget.bar_labels[7].pos().y() <= top  # a full bar's value is written inside it, in view
    widget.set_probabilities(None)
    assert widget.bar_texts() == [""] * 10


def axis_texts(axis) -> list:
    from PyQt5 import QtGui

    image = QtGui.QImage(10, 10, QtGui.QImage.Format_ARGB32)
    painter = QtGui.QPainter(image)
    try:
        return [text for _rect, _flags, text in axis.generateDrawSpecs(painter)[2]]
    finally:
        painter.end()


@pytest.mark.parametrize("horizontal", [False, True])
def test_the_probability_axis_shows_one(widget, qtbot, horizontal):
    widget.set_horizontal(horizontal)
    widget.resize(900, 300) if horizontal else widget.resize(380, 560)
    qtbot.wait(10)
    assert "1.0" in axis_texts(widget.plot.getAxis("left"))


@pytest.mark.parametrize("verdict", [None, "not a digit"])
def test_the_chart_stays_put_when_the_confidence_text_changes(widget, qtbot, verdict):
    widget.set_horizontal(True)  # the strip: the chart beside the digit and its "% sure"
    widget.resize(900, 280)
    geometries = set()
    for winner in (0.095, 0.5, 1.0, 0.999, 0.12):
        p = np.full(10, (1 - winner) / 9)
        p[3] = winner
        widget.set_probabilities(p)
        widget.set_verdict(verdict)
        qtbot.wait(5)  # the layout settles
        geometries.add(widget.plot_widget.geometry().getRect())
    widget.set_probabilities(None)
    qtbot.wait(5)
    geometries.add(widget.plot_widget.geometry().getRect())
    assert len(geometries) == 1, geometries


def test_values_turn_a_quarter_on_a_narrow_chart(widget, qtbot):
    p = np.array([0.01, 0.02, 0.05, 0.7, 0.02, 0.1, 0.02, 0.03, 0.03, 0.02])
    widget.set_horizontal(True)
    widget.resize(1100, 280)  # a wide strip: ten ".00" side by side
    widget.set_probabilities(p)
    qtbot.waitUntil(widget.labels_upright, timeout=2000)
    assert {label.angle for label in widget.bar_labels} == {0}
    widget.resize(560, 280)  # the chart gets narrower than ten labels
    qtbot.waitUntil(lambda: not widget.labels_upright(), timeout=2000)
    assert {label.angle for label in widget.bar_labels} == {90}
    assert widget.bar_texts()[3] == ".70"  # the same values, turned
    # the labels' own boxes, in pixels, no longer overlap
    rects = [label.sceneBoundingRect() for label in widget.bar_labels]
    assert all(not a.intersects(b) for a, b in zip(rects, rects[1:]))


def test_every_digit_is_written_under_its_bar_on_a_narrow_chart(widget, qtbot):
    """At 1024x768 the chart is ~150 px wide: pyqtgraph's default hid the 0 and the 9 (they reach past the axis)."""
    from PyQt5 import QtGui

    widget.set_horizontal(True)
    widget.resize(480, 220)
    qtbot.waitUntil(lambda: widget.plot_widget.width() <= 200, timeout=2000)
    axis = widget.plot.getAxis("bottom")
    image = QtGui.QImage(10, 10, QtGui.QImage.Format_ARGB32)
    painter = QtGui.QPainter(image)
    try:
        _axis, _ticks, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    assert sorted(spec[2] for spec in texts) == [str(d) for d in range(10)]


def test_a_snapshot_redraws_only_what_changed(widget, monkeypatch):
    """While a run trains the pad's probabilities come twice a second, each with a verdict: the verdict
    does not set the bars again, and a label whose value and place did not change is not laid out again."""
    p = np.array([0.01, 0.02, 0.05, 0.7, 0.02, 0.1, 0.02, 0.03, 0.03, 0.02])
    widget.set_probabilities(p)
    calls = []
    monkeypatch.setattr(widget.bars, "setOpts", lambda **opts: calls.append("bars"))
    for label in widget.bar_labels:
        for name in ("setText", "setPos", "setAnchor", "setColor", "setAngle"):
            monkeypatch.setattr(label, name, lambda *a, _n=name: calls.append(_n))
    widget.set_verdict(None)
    assert calls == [] and widget.digit_text() == "3"
    widget.set_verdict("not sure")
    assert widget.digit_text() == "?" and calls == []
    widget.set_verdict(None)
    assert widget.digit_text() == "3" and calls == []
    q = p.copy()
    q[[3, 5]] = 0.75, 0.05
    widget.set_probabilities(q)
    assert sorted(calls) == ["bars", "setPos", "setPos", "setText", "setText"]  # bars 3 and 5 only
