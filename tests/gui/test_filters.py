"""FiltersWidget: what the mosaic holds, its colour levels, and the layer/channel choice."""

from __future__ import annotations

import numpy as np
import pytest

from convviz.gui.common import tiles
from convviz.gui.panels.filters import FiltersWidget


def cnn_kernels(seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    return {
        "conv1": scale * rng.normal(size=(5, 5, 1, 64)),
        "conv2": scale * rng.normal(size=(3, 3, 64, 96)),
        "fc1": rng.normal(size=(7 * 7 * 96, 128)),  # not image-fed: not shown
        "fc2": rng.normal(size=(128, 10)),
    }


@pytest.fixture
def widget(qtbot):
    w = FiltersWidget()
    qtbot.addWidget(w)
    w.resize(800, 600)
    w.show()
    return w


def tile_in_mosaic(widget, index):
    _n, h, w = widget.tiles().shape
    r, c = tiles.tile_origin(index, (h, w), widget.columns())
    return widget.image_item.image[r : r + h, c : c + w]


def test_conv1_by_default_with_symmetric_levels(widget):
    k = cnn_kernels()
    k["conv1"][:, :, 0, 5] = np.arange(25).reshape(5, 5) / 10.0  # a known filter, and the largest value
    k["conv1"][0, 0, 0, 9] = -7.0  # the largest magnitude is negative
    widget.set_kernels(k)
    assert widget.current_layer() == "conv1"
    assert [widget.layer_combo.itemText(i) for i in range(widget.layer_combo.count())] == ["conv1", "conv2"]
    lo, hi = widget.image_item.getLevels()
    assert lo == -hi == -7.0
    np.testing.assert_array_equal(tile_in_mosaic(widget, 5), k["conv1"][:, :, 0, 5])
    assert widget.tiles().shape == (64, 5, 5)
    assert not widget.channel_combo.isVisible()  # conv1 has one input channel


def test_mosaic_is_row_major_upright(widget):
    k = {"conv1": np.zeros((5, 5, 1, 4))}
    k["conv1"][0, :, 0, 0] = 1.0  # top row of filter 0
    widget.set_kernels(k)
    image = widget.image_item.image
    assert image.shape == widget.mosaic().shape
    assert (image[0, :5] == 1.0).all() and (image[1:5, :5] == 0).all()


def test_deeper_layer_channel_and_mean(widget):
    k = cnn_kernels()
    widget.set_kernels(k)
    widget.set_layer("conv2")
    assert widget.channel_combo.isVisible()
    assert widget.current_channel() is None  # mean over channels by default
    np.testing.assert_allclose(tile_in_mosaic(widget, 3), k["conv2"][:, :, :, 3].mean(axis=2))
    widget.set_channel(17)
    np.testing.assert_allclose(tile_in_mosaic(widget, 3), k["conv2"][:, :, 17, 3])
    lo, hi = widget.image_item.getLevels()
    assert hi == pytest.approx(np.abs(k["conv2"][:, :, 17, :]).max()) and lo == -hi


def test_choice_survives_new_weights(widget):
    widget.set_kernels(cnn_kernels(0))
    widget.set_layer("conv2")
    widget.set_channel(40)
    new = cnn_kernels(1, scale=2.0)
    widget.set_kernels(new)
    assert widget.current_layer() == "conv2" and widget.current_channel() == 40
    np.testing.assert_allclose(tile_in_mosaic(widget, 0), new["conv2"][:, :, 40, 0])


def test_dense_network_shows_28x28_units(widget):
    rng = np.random.default_rng(2)
    k = {"fc1": rng.normal(size=(784, 300)), "fc2": rng.normal(size=(300, 10))}
    widget.set_kernels(k)
    assert widget.current_layer() == "fc1"
    assert widget.tiles().shape == (300, 28, 28)
    np.testing.assert_allclose(tile_in_mosaic(widget, 123), k["fc1"][:, 123].reshape(28, 28))
    assert not widget.channel_combo.isVisible()


def test_switching_architecture_falls_back_to_conv1(widget):
    widget.set_kernels({"fc1": np.ones((784, 4))})
    widget.set_kernels(cnn_kernels())
    assert widget.current_layer() == "conv1"


def test_user_picks_layer_in_combo(widget, qtbot):
    widget.set_kernels(cnn_kernels())
    with qtbot.waitSignal(widget.layer_changed) as blocker:
        widget.layer_combo.setCurrentIndex(1)
    assert blocker.args == ["conv2"]
    assert widget.tiles().shape == (96, 3, 3)


def test_click_a_filter_to_enlarge_it_on_its_own_scale(widget, qtbot):
    from PyQt5 import QtCore

    k = cnn_kernels()
    k["conv1"][:, :, 0, 7] *= 0.05  # a weak filter: almost white on the layer's scale
    widget.set_kernels(k)
    qtbot.wait(100)  # the relayout after the first size
    r, c = tiles.tile_origin(7, (5, 5), widget.columns())
    scene = widget.view.mapViewToScene(QtCore.QPointF(c + 2.5, r + 2.5))
    qtbot.mouseClick(widget.graphics.viewport(), QtCore.Qt.LeftButton, pos=widget.graphics.mapFromScene(scene))
    dialog = widget.enlarged
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    expected = k["conv1"][:, :, 0, 7]
    np.testing.assert_array_equal(dialog.image(), expected)
    m = np.abs(expected).max()
    assert dialog.levels() == pytest.approx((-m, m))  # its own range, centred on zero
    assert m < 0.2 * abs(widget.image_item.getLevels()[1])  # far narrower than the mosaic's
    assert dialog.image_item.getLevels() == pytest.approx((-m, m))
    assert "conv1" in dialog.windowTitle() and "filter 7" in dialog.windowTitle()
    # training goes on: the enlarged filter follows the new weights, also after another layer is picked
    new = cnn_kernels(1)
    widget.set_layer("conv2")
    widget.set_kernels(new)
    np.testing.assert_array_equal(dialog.image(), new["conv1"][:, :, 0, 7])
    dialog.close()


def test_enlarge_a_dense_unit_and_a_deeper_channel(widget, qtbot):
    rng = np.random.default_rng(3)
    widget.set_kernels({"fc1": rng.normal(size=(784, 30))})
    dialog = widget.enlarge(12)
    np.testing.assert_array_equal(dialog.image(), widget.tiles()[12])
    k = cnn_kernels()
    widget.set_kernels(k)
    widget.set_layer("conv2")
    widget.set_channel(5)
    widget.enlarge(40)
    np.testing.assert_array_equal(dialog.image(), k["conv2"][:, :, 5, 40])
    with pytest.raises(IndexError):
        widget.enlarge(96)
    dialog.close()
    qtbot.waitUntil(lambda: widget.enlarged is None, timeout=2000)  # closed, it is deleted
    widget.set_kernels(cnn_kernels(2))  # new weights: nothing to follow, no error
    again = widget.enlarge(1)
    np.testing.assert_array_equal(again.image(), widget.tiles()[1])
    again.close()
