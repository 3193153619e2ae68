"""FeatureMapsWidget: a section per layer, digit navigation, drawing mode, prediction text."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PyQt5 import QtCore, QtGui, QtWidgets

from convviz.gui.common import theme, tiles
from convviz.gui.panels.featurebars import softmax_steps
from convviz.gui.panels.featuremaps import FeatureMapsWidget
from convviz.gui.state import AppState, DigitChoice


@pytest.fixture
def test_set():
    rng = np.random.default_rng(0)
    return rng.random((20, 28, 28)).astype(np.float32), rng.integers(0, 10, size=20)


@pytest.fixture
def widget(qtbot):
    w = FeatureMapsWidget(seed=1)
    qtbot.addWidget(w)
    w.resize(1200, 500)
    w.show()
    return w


def cnn_maps(rng):
    return [
        ("conv1", rng.random((28, 28, 64))),
        ("pool1", rng.random((14, 14, 64))),
        ("conv2", rng.random((14, 14, 96))),
        ("pool2", rng.random((7, 7, 96))),
    ]


def test_one_section_per_layer_with_name_shape_and_mosaic(widget):
    rng = np.random.default_rng(3)
    maps = cnn_maps(rng)
    widget.set_feature_maps(maps)
    assert [(s.name, s.shape) for s in widget.sections] == [(n, a.shape) for n, a in maps]
    assert "conv2" in widget.sections[2].label.text and "96" in widget.sections[2].label.text
    s = widget.sections[1]
    image = s.image_item.image
    assert 1 <= s.columns <= 64
    np.testing.assert_array_equal(image, tiles.mosaic(tiles.map_tiles(maps[1][1]), s.columns))
    r, c = tiles.tile_origin(9, (14, 14), s.columns)
    np.testing.assert_array_equal(image[r : r + 14, c : c + 14], maps[1][1][:, :, 9])
    # same layout again: the sections are reused, only the images change
    items = [s.image_item for s in widget.sections]
    widget.set_feature_maps(cnn_maps(rng))
    assert [s.image_item for s in widget.sections] == items
    # another architecture rebuilds them
    widget.set_feature_maps([("conv1", rng.random((28, 28, 6)))])
    assert [s.name for s in widget.sections] == ["conv1"]
    widget.set_feature_maps([])  # the dense network
    assert widget.sections == [] and "no feature maps" in widget.note.text
    widget.set_feature_maps(maps)
    assert len(widget.sections) == 4 and widget.note is None


def test_navigation_emits_the_right_test_image(widget, qtbot, test_set):
    images, labels = test_set
    with qtbot.waitSignal(widget.digit_changed) as blocker:
        widget.set_digit_source(images, labels)
    np.testing.assert_array_equal(blocker.args[0], images[0])

    with qtbot.waitSignal(widget.digit_changed) as blocker:
        qtbot.mouseClick(widget.next_button, QtCore.Qt.LeftButton)
    np.testing.assert_array_equal(blocker.args[0], images[1])
    assert widget.current_index() == 1

    with qtbot.waitSignal(widget.digit_changed) as blocker:
        widget.index_spin.setValue(7)
    np.testing.assert_array_equal(blocker.args[0], images[7])
    assert widget.current_label() == labels[7]

    with qtbot.waitSignal(widget.digit_changed) as blocker:
        qtbot.mouseClick(widget.prev_button, QtCore.Qt.LeftButton)
    np.testing.assert_array_equal(blocker.args[0], images[6])

    widget.index_spin.setValue(0)
    with qtbot.waitSignal(widget.digit_changed) as blocker:
        qtbot.mouseClick(widget.prev_button, QtCore.Qt.LeftButton)  # wraps to the last image
    np.testing.assert_array_equal(blocker.args[0], images[-1])

    with qtbot.waitSignal(widget.digit_changed) as blocker:
        qtbot.mouseClick(widget.random_button, QtCore.Qt.LeftButton)
    i = widget.current_index()
    assert i != len(images) - 1
    np.testing.assert_array_equal(blocker.args[0], images[i])
    np.testing.assert_array_equal(widget.current_image(), images[i])
    np.testing.assert_array_equal(widget.digit_item.image, images[i])


def test_drawing_mode(widget, qtbot, test_set):
    widget.set_digit_source(*test_set)
    drawing = np.zeros((28, 28), dtype=np.float32)
    drawing[5:20, 13:15] = 1.0
    widget.set_drawing(drawing)  # not in drawing mode: nothing changes
    np.testing.assert_array_equal(widget.current_image(), test_set[0][0])
    with qtbot.waitSignal(widget.digit_changed) as blocker:
        widget.drawing_check.setChecked(True)
    np.testing.assert_array_equal(blocker.args[0], drawing)
    assert not widget.next_button.isEnabled()
    assert widget.current_label() is None
    newer = np.flipud(drawing)
    with qtbot.waitSignal(widget.digit_changed) as blocker:
        widget.set_drawing(newer)
    np.testing.assert_array_equal(blocker.args[0], newer)
    with qtbot.waitSignal(widget.digit_changed) as blocker:
        widget.set_index(4)
    np.testing.assert_array_equal(blocker.args[0], test_set[0][4])
    assert not widget.drawing_check.isChecked()


def test_prediction_text_and_verdict(widget, test_set):
    images, labels = test_set
    widget.set_digit_source(images, labels)
    p = np.full(10, 0.01)
    p[labels[0]] = 0.91
    widget.set_prediction(p)
    assert widget.prediction_text().startswith(f"{labels[0]} ")
    assert "91.0 %" in widget.prediction_text()
    assert "correct" in widget._verdict.text()
    wrong = np.roll(p, 1)
    widget.set_prediction(wrong)
    assert "wrong" in widget._verdict.text()
    widget.index_spin.setValue(3)  # a new digit: the old verdict goes
    assert widget.prediction_text() == ""
    with pytest.raises(ValueError):
        widget.set_prediction(np.ones(9))


def click_tile(qtbot, graphics, view, tile_shape, index, columns):
    """A real left click on the middle of tile ``index`` of the mosaic in ``view``."""
    h, w = tile_shape
    r, c = tiles.tile_origin(index, tile_shape, columns)
    scene = view.mapViewToScene(QtCore.QPointF(c + w / 2, r + h / 2))
    qtbot.mouseClick(graphics.viewport(), QtCore.Qt.LeftButton, pos=graphics.mapFromScene(scene))


def lenet_activations(rng, logits=None):
    if logits is None:
        logits = rng.normal(0.0, 3.0, 10)
    return [
        ("conv1", rng.random((28, 28, 6))),
        ("pool1", rng.random((14, 14, 6))),
        ("conv3", rng.random((1, 1, 120))),
        ("fc1", np.maximum(rng.normal(size=84), 0.0)),
        ("logits", logits),
    ]


def test_dense_network_shows_its_activations_and_the_softmax_steps(widget):
    rng = np.random.default_rng(4)
    fc1 = np.maximum(rng.normal(size=300), 0.0)
    logits = rng.normal(0.0, 4.0, 10)
    widget.set_activations([("fc1", fc1), ("logits", logits[None])])  # a batch of one is fine
    assert widget.sections == [] and widget.note is None  # no maps, but something to show
    assert [b.name for b in widget.bar_sections] == ["fc1", "logits", "exp", "probabilities"]
    fc1_bars, logit_bars, exp_bars, prob_bars = widget.bar_sections
    np.testing.assert_allclose(fc1_bars.values(), fc1)
    np.testing.assert_array_equal(fc1_bars.bars.opts["x"], np.arange(300))
    np.testing.assert_allclose(logit_bars.values(), logits)
    np.testing.assert_allclose(exp_bars.values(), np.exp(logits))
    np.testing.assert_allclose(prob_bars.values(), np.exp(logits) / np.exp(logits).sum())
    assert prob_bars.values().sum() == pytest.approx(1.0)
    winner = int(np.argmax(logits))
    for bars in (logit_bars, exp_bars, prob_bars):  # the predicted class stands out in every step
        colours = [pg.mkBrush(b).color().name() for b in bars.bars.opts["brushes"]]
        assert colours[winner] == pg.mkColor(theme.WINNER).name()
        assert len(set(colours)) == 2
    assert "fc1" in fc1_bars.title.text and "300" in fc1_bars.title.text


def test_conv_network_shows_maps_then_bars(widget):
    rng = np.random.default_rng(5)
    acts = lenet_activations(rng)
    widget.set_activations(acts)
    assert [s.name for s in widget.sections] == ["conv1", "pool1", "conv3"]
    assert [b.name for b in widget.bar_sections] == ["fc1", "logits", "exp", "probabilities"]
    np.testing.assert_allclose(widget.bar_sections[0].values(), acts[3][1])
    # the bars sit below the maps
    maps_bottom = max(s.view.sceneBoundingRect().bottom() for s in widget.sections)
    assert all(b.plot.sceneBoundingRect().top() >= maps_bottom for b in widget.bar_sections)
    # the same layout again reuses the charts; the values follow
    plots = [b.plot for b in widget.bar_sections]
    again = lenet_activations(rng)
    widget.set_activations(again)
    assert [b.plot for b in widget.bar_sections] == plots
    np.testing.assert_allclose(widget.bar_sections[1].values(), again[4][1])


def test_softmax_steps_survive_huge_logits():
    z = np.array([1000.0, 999.0, -5.0] + [0.0] * 7)
    exps, probabilities, shifted = softmax_steps(z)
    assert shifted and np.isfinite(exps).all()
    np.testing.assert_allclose(probabilities[:2], np.exp([0.0, -1.0]) / (1 + np.exp(-1.0)), rtol=1e-6)
    exps, probabilities, shifted = softmax_steps(np.arange(10.0))
    assert not shifted
    np.testing.assert_allclose(exps, np.exp(np.arange(10.0)))
    np.testing.assert_allclose(probabilities, exps / exps.sum())


def test_click_a_map_to_enlarge_it_on_its_own_scale(widget, qtbot):
    rng = np.random.default_rng(6)
    acts = lenet_activations(rng)
    acts[1] = ("pool1", acts[1][1] * 0.01)  # faint maps: pale in the mosaic's shared scale
    widget.set_activations(acts)
    qtbot.wait(100)  # the relayout after the first size
    section = widget.sections[1]
    click_tile(qtbot, widget.maps_graphics, section.view, (14, 14), 4, section.columns)
    dialog = widget.enlarged
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    expected = acts[1][1][:, :, 4]
    np.testing.assert_array_equal(dialog.image(), expected)
    assert dialog.levels() == pytest.approx((0.0, expected.max()))  # its own range, not the layer's
    assert dialog.image_item.getLevels() == pytest.approx(dialog.levels())
    assert "pool1" in dialog.windowTitle() and "4" in dialog.windowTitle()
    # a new digit: the enlarged map follows
    newer = lenet_activations(rng)
    widget.set_activations(newer)
    np.testing.assert_array_equal(dialog.image(), newer[1][1][:, :, 4])
    dialog.close()


@pytest.mark.parametrize("dense_only", [False, True])
def test_a_narrow_panel_keeps_every_chart_in_sight(qtbot, dense_only):
    w = FeatureMapsWidget()
    qtbot.addWidget(w)
    w.resize(760, 450)  # narrower than the tab of a 1280x800 window
    w.show()
    rng = np.random.default_rng(7)
    acts = lenet_activations(rng)
    w.set_activations(acts[-2:] if dense_only else acts)
    qtbot.wait(100)
    right = w.maps_graphics.viewport().width()
    items = [s.view for s in w.sections] + [s.label for s in w.sections]
    items += [b.plot for b in w.bar_sections] + [b.title for b in w.bar_sections]
    for item in items:  # long titles must not push the last charts out of the panel
        assert w.maps_graphics.mapFromScene(item.sceneBoundingRect().topRight()).x() <= right + 1


def _title_fits(section) -> bool:
    """The section's title is drawn whole: its text no wider than the label that clips it."""
    return section.label.item.boundingRect().width() <= section.label.boundingRect().width() + 1


def test_a_narrow_panel_puts_the_layers_on_two_rows_with_whole_titles(widget, qtbot):
    maps = cnn_maps(np.random.default_rng(4))
    widget.set_activations(maps)
    qtbot.wait(50)
    rows = {round(s.label.scenePos().y()) for s in widget.sections}
    assert len(rows) == 1 and all(_title_fits(s) for s in widget.sections)  # wide: one row
    widget.resize(620, 500)  # the feature-map tab of a 1024x768 projector
    qtbot.waitUntil(lambda: len({round(s.label.scenePos().y()) for s in widget.sections}) == 2, timeout=3000)
    qtbot.wait(50)
    assert all(_title_fits(s) for s in widget.sections), [s.name for s in widget.sections if not _title_fits(s)]
    assert [s.name for s in widget.sections] == ["conv1", "pool1", "conv2", "pool2"]
    widget.resize(1200, 500)  # wide again: one row
    qtbot.waitUntil(lambda: len({round(s.label.scenePos().y()) for s in widget.sections}) == 1, timeout=3000)


def test_the_chosen_digit_is_the_state_s_both_ways(qtbot, test_set):
    images, labels = test_set
    state = AppState()
    widget = FeatureMapsWidget(state)
    qtbot.addWidget(widget)
    widget.set_digit_source(images, labels)
    seen = []
    state.chosen_digit_changed.connect(seen.append)
    # widget -> state: the chooser writes the choice
    qtbot.mouseClick(widget.next_button, QtCore.Qt.LeftButton)
    widget.index_spin.setValue(5)
    widget.drawing_check.setChecked(True)
    assert seen == [DigitChoice(index=1), DigitChoice(index=5), DigitChoice(drawing=True, index=5)]
    widget.drawing_check.setChecked(False)
    assert state.chosen_digit == DigitChoice(index=5)
    # state -> widget: the panel shows what the state says, and announces the digit once
    with qtbot.waitSignal(widget.digit_changed) as blocker:
        state.choose_test_digit(12)
    np.testing.assert_array_equal(blocker.args[0], images[12])
    assert widget.index_spin.value() == 12 and widget.current_label() == labels[12]
    drawing = np.zeros((28, 28), np.float32)
    drawing[4:24, 12:16] = 1.0
    widget.set_drawing(drawing)
    emitted = []
    widget.digit_changed.connect(emitted.append)
    state.choose_drawing()
    assert widget.drawing_check.isChecked() and not widget.index_spin.isEnabled()
    assert len(emitted) == 1
    np.testing.assert_array_equal(emitted[0], drawing)
    assert seen[-1] == DigitChoice(drawing=True, index=12)  # nothing was written back
    assert len(seen) == 6


def test_a_smaller_test_set_keeps_the_choice_within_it(qtbot, test_set):
    images, labels = test_set
    state = AppState()
    widget = FeatureMapsWidget(state)
    qtbot.addWidget(widget)
    widget.set_digit_source(images, labels)
    state.choose_test_digit(15)
    widget.set_digit_source(images[:10], labels[:10])
    assert state.chosen_digit == DigitChoice(index=9) and widget.index_spin.value() == 9


def tick_text_rects(axis: pg.AxisItem) -> list:
    """The rectangles the axis writes its tick numbers in, as it would paint them now."""
    image = QtGui.QImage(max(int(axis.width()), 1), max(int(axis.height()), 1), QtGui.QImage.Format_ARGB32)
    painter = QtGui.QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [] if specs is None else [rect for rect, _flags, _text in specs[2]]


def test_the_bar_charts_axis_numbers_do_not_overlap_in_a_small_panel(qtbot):
    """The panel's size in a 1024x768 window: the fc1 chart and the softmax's are ~35 px high, room for two
    numbers of 13 pt on their axes where pyqtgraph wrote three over each other; each axis writes as many as
    fit, never one over another (fc1's 0 to 12: "0" and "10"; the logits' -10 to 10: one)."""
    w = FeatureMapsWidget(seed=1)
    qtbot.addWidget(w)
    w.resize(620, 350)
    w.show()
    rng = np.random.default_rng(6)
    w.set_activations([*cnn_maps(rng), ("fc1", 12.0 * rng.random(128)), ("logits", rng.normal(0.0, 6.0, 10))])
    qtbot.waitUntil(lambda: all(b.plot.height() > 0 for b in w.bar_sections))
    QtWidgets.QApplication.processEvents()
    assert [b.name for b in w.bar_sections] == ["fc1", "logits", "exp", "probabilities"]
    for section in w.bar_sections:
        rects = tick_text_rects(section.plot.getAxis("left"))
        assert rects, section.name  # still numbers on it
        for i, a in enumerate(rects):
            for b in rects[i + 1 :]:
                overlap = a.intersected(b)
                assert overlap.height() < 1 or overlap.width() < 1, (section.name, a, b)
