"""FeatureMapsWidget: a section per layer, digit navigation, drawing mode, prediction text."""

from __future__ import annotations

import numpy as np
import pytest
from PyQt5 import QtCore

from convviz.gui import tiles
from convviz.gui.featuremaps import FeatureMapsWidget


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
