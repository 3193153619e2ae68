"""PredictionWidget: network input, big digit, bar heights and the highlighted winner."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest

from convviz.gui import theme
from convviz.gui.prediction import PredictionWidget


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
