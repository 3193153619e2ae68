"""The "Nearest digits" panel: the drawing beside its nearest MNIST digits.

Offscreen, in the real window, with real MNIST and the pretrained model. What the panel
shows is compared with an independent computation: the pad's input is the prediction
panel's (the pad's own preprocessing), the neighbours are :class:`convviz.nearest.NearestIndex`'s
for that input, checked against brute force, and the average digit is a plain numpy mean.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PyQt5 import QtWidgets

from convviz import strokes
from convviz.gui.panels.shift import SHIFT_TITLE, K, NeighbourRow, ShiftWidget
from convviz.nearest import NearestIndex
from convviz.preprocess import to_mnist
from tests.gui.strokes import send_stroke
from tests.gui.test_i18n import back_to_english, english_words, left_over, switch, words  # noqa: F401 (a fixture)
from tests.gui.windows import LOAD_MS

SHOWN_MS = 20_000

ONE_STROKE = ((140, 40), (140, 240))  # a plain 1, as MNIST writes it


def draw_strokes(window, lines) -> None:
    for line in lines:
        send_stroke(window.drawpad.canvas, [tuple(point) for point in line])


def wait_shown(qtbot, panel, condition=lambda result: True):
    qtbot.waitUntil(lambda: panel.widget.shown() is not None and condition(panel.widget.shown()), timeout=SHOWN_MS)
    return panel.widget.shown()


def brute_force(mnist, image, k, label=None):
    flat = mnist.train_images.reshape(len(mnist.train_images), -1)
    pool = np.arange(len(flat)) if label is None else np.flatnonzero(mnist.train_labels == label)
    distances = np.sqrt(((flat[pool].astype(np.float64) - image.reshape(1, -1).astype(np.float64)) ** 2).sum(axis=1))
    order = np.lexsort((pool, distances))[:k]
    return pool[order], distances[order]


def test_a_drawn_one_shows_its_nearest_mnist_digits_and_the_class_average(make_window, qtbot, mnist):
    window = make_window("cnn")
    panel = window.shift
    assert SHIFT_TITLE in window.panels.panel_titles()
    window.show_panel(SHIFT_TITLE)
    send_stroke(window.drawpad.canvas, ONE_STROKE)
    result = wait_shown(qtbot, panel, lambda r: r.source == "drawing")
    canvas = window.drawpad.image()

    # the input is exactly what the network gets: the pad's preprocessing, as the prediction panel shows it
    np.testing.assert_array_equal(result.image, to_mnist(canvas, invert=True))
    np.testing.assert_array_equal(result.image, window.prediction.network_input())
    np.testing.assert_array_equal(panel.widget.input_item.image, result.image)

    # the class compared with is the network's answer, a 1
    assert result.cls == 1 and result.cls_is_predicted
    assert panel.widget.class_combo.currentText() == "predicted (1)"

    # the neighbours are the nearest training digits, by brute force over all of MNIST
    indices, distances = brute_force(mnist, result.image, K)
    np.testing.assert_array_equal(result.nearest.indices, indices)
    np.testing.assert_allclose(result.nearest.distances, distances, rtol=1e-9)
    np.testing.assert_array_equal(result.nearest.labels, mnist.train_labels[indices])
    np.testing.assert_array_equal(result.nearest_images, mnist.train_images[indices][..., 0])
    assert np.sum(result.nearest.labels == 1) >= K // 2  # a plain 1 is a digit MNIST knows
    class_indices, _ = brute_force(mnist, result.image, K, label=1)
    np.testing.assert_array_equal(result.class_nearest.indices, class_indices)

    # ... and they are drawn: the row's tiles are those images, captioned with label and distance
    shown = panel.widget.nearest_row.item.image
    for i, index in enumerate(indices):
        left = i * (28 + 2)
        np.testing.assert_array_equal(shown[:28, left : left + 28], mnist.train_images[index][..., 0])
    caption = panel.widget.nearest_row.shown_captions[0]
    assert caption.plain.split("\u00a0") == [str(mnist.train_labels[indices[0]]), f"{distances[0]:.1f}"]
    shown_text = panel.widget.nearest_row.captions[0].textItem.toPlainText()
    assert shown_text in (
        caption.plain.replace("\u00a0", " "),
        str(mnist.train_labels[indices[0]]),
    )  # in full, or the label where narrow

    # the average digit is the plain mean of the training 1s
    ones = mnist.train_images[mnist.train_labels == 1][..., 0].astype(np.float64).mean(axis=0)
    np.testing.assert_allclose(panel.widget.mean_picture(), ones, atol=1e-6)
    assert result.class_count == int(np.sum(mnist.train_labels == 1))


def test_choosing_a_class_and_the_difference_update_the_panel(make_window, qtbot, mnist):
    window = make_window("cnn")
    panel = window.shift
    window.show_panel(SHIFT_TITLE)
    send_stroke(window.drawpad.canvas, ONE_STROKE)
    first = wait_shown(qtbot, panel)
    panel.widget.set_selected_class(7)  # "I meant a 7"
    result = wait_shown(qtbot, panel, lambda r: r.cls == 7)
    assert not result.cls_is_predicted
    np.testing.assert_array_equal(result.nearest.indices, first.nearest.indices)  # all of MNIST: unchanged
    assert np.all(result.class_nearest.labels == 7)
    sevens, _ = brute_force(mnist, result.image, K, label=7)
    np.testing.assert_array_equal(result.class_nearest.indices, sevens)
    mean7 = mnist.train_images[mnist.train_labels == 7][..., 0].astype(np.float64).mean(axis=0)
    np.testing.assert_allclose(panel.widget.mean_picture(), mean7, atol=1e-6)

    panel.widget.difference_check.setChecked(True)  # drawing − average, signed
    np.testing.assert_allclose(panel.widget.mean_picture(), result.image - mean7, atol=1e-6)
    panel.widget.difference_check.setChecked(False)
    np.testing.assert_allclose(panel.widget.mean_picture(), mean7, atol=1e-6)

    panel.widget.set_selected_class(None)  # back to the network's answer
    assert wait_shown(qtbot, panel, lambda r: r.cls_is_predicted).cls == 1


def test_the_newest_drawing_wins_and_a_clicked_test_digit_is_shown(make_window, qtbot, mnist):
    window = make_window("cnn")
    panel = window.shift
    window.show_panel(SHIFT_TITLE)
    lines, _pen = strokes.digit_strokes(7, "crossed", np.random.RandomState(1), strokes.PAD_LIKE)
    draw_strokes(window, lines)
    result = wait_shown(qtbot, panel, lambda r: r.cls == 7)
    np.testing.assert_array_equal(result.image, to_mnist(window.drawpad.image(), invert=True))
    np.testing.assert_array_equal(result.image, window.prediction.network_input())

    window.evaluation.digit_clicked.emit(3)  # a test digit clicked in the evaluation view
    result = wait_shown(qtbot, panel, lambda r: r.source == "test")
    np.testing.assert_array_equal(result.image, mnist.test_images[3][..., 0])
    index = NearestIndex(mnist.train_images, mnist.train_labels)
    np.testing.assert_array_equal(result.nearest.indices, index.nearest(result.image, K).indices)
    assert str(mnist.test_labels[3]) in str(result.caption)

    window.drawpad.clear()  # the pad again: empty, so a hint instead of pictures
    qtbot.waitUntil(lambda: panel.widget.shown() is None, timeout=SHOWN_MS)
    assert "Draw a digit" in panel.widget._explanation.text()


def test_hidden_it_waits_and_computes_when_shown(make_window, qtbot):
    window = make_window("cnn")
    panel = window.shift
    window.show_panel("Loss")
    asked = []
    panel.requested.connect(asked.append)
    send_stroke(window.drawpad.canvas, ONE_STROKE)
    qtbot.wait(300)
    assert asked == [] and panel.widget.shown() is None  # nothing computed for a panel nobody sees
    window.show_panel(SHIFT_TITLE)
    wait_shown(qtbot, panel)
    assert len(asked) == 1


@pytest.mark.usefixtures("back_to_english")
def test_german(make_window, qtbot):
    window = make_window("cnn")
    panel = window.shift
    window.show_panel(SHIFT_TITLE)
    send_stroke(window.drawpad.canvas, ONE_STROKE)
    wait_shown(qtbot, panel)
    switch(window, qtbot, "de")
    widget = panel.widget
    texts = [widget._class_label.text(), widget.class_combo.currentText(), widget.difference_check.text()]
    texts += [widget._explanation.text(), widget.difference_check.toolTip(), widget.class_combo.toolTip()]
    texts += [label.text for label in widget._titles.values()]
    assert widget.class_combo.currentText() == "Vorhersage (1)"
    assert widget._titles["input"].text == "die Zeichnung"
    assert "Nächste MNIST-Ziffern mit Klasse 1:" in widget._explanation.text()
    english = english_words()
    for text in texts:
        assert not set(words(text)) & english, text
    assert left_over(widget, english) == []
    tabs = window.findChildren(QtWidgets.QTabBar)
    assert any("Nächste Nachbarn" in bar.tabText(i) for bar in tabs for i in range(bar.count()))


def test_without_mnist_a_hint_and_no_crash(qtbot):
    widget = ShiftWidget()
    qtbot.addWidget(widget)
    assert widget.shown() is None
    widget.set_message("Waiting for MNIST…")
    assert widget._explanation.text() == "Waiting for MNIST…"
    widget.set_predicted(3)
    assert widget.class_combo.currentText() == "predicted (3)"


def test_without_mnist_the_panel_says_it_waits_and_the_pad_still_works(make_window, qtbot, monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no ~/deep.TEACHING copy, an empty cache
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    window = make_window("cnn", wait=False, data_dir=str(tmp_path / "mnist"))
    qtbot.waitUntil(lambda: window.model() is not None, timeout=LOAD_MS)
    qtbot.waitUntil(lambda: window.data_state() == "missing", timeout=10_000)
    panel = window.shift
    window.show_panel(SHIFT_TITLE)
    with qtbot.waitSignal(window.prediction_shown, timeout=10_000):
        send_stroke(window.drawpad.canvas, ONE_STROKE)
    qtbot.wait(200)
    assert panel.widget.shown() is None and panel.job is None
    assert panel.widget._explanation.text() == "Waiting for MNIST…"


def test_captions_are_shortened_where_the_tiles_are_narrow(qtbot, mnist):
    view = pg.GraphicsLayoutWidget()
    qtbot.addWidget(view)
    row = NeighbourRow(view.ci, row=0, col=0)
    index = NearestIndex(mnist.train_images, mnist.train_labels)
    found = index.nearest(mnist.test_images[0], K)
    captions = ShiftWidget._captions(found, int(found.labels[0]), with_label=True)
    view.resize(1200, 200)
    view.show()
    row.show(index.images(found.indices), captions)
    qtbot.waitUntil(lambda: row.view.width() > 1000)
    row.fit()
    assert not row.compact
    assert [t.textItem.toPlainText() for t in row.captions] == [c.plain.replace("\u00a0", " ") for c in captions]
    view.resize(300, 60)  # a tile of ~35 px: "7 3.5" does not fit under it
    qtbot.waitUntil(lambda: row.view.width() < 320)
    row.fit()
    assert row.compact
    assert [t.textItem.toPlainText() for t in row.captions] == [str(label) for label in found.labels]


def test_training_digits_it_cannot_search_are_said_in_one_line_and_the_window_goes_on(make_window, qtbot, mnist):
    """Data with a label that is no digit (the window's own bad-data test): no exception in the event loop."""
    import dataclasses

    window = make_window("cnn")
    panel = window.shift
    window.show_panel(SHIFT_TITLE)
    labels = mnist.train_labels[:256].copy()
    labels[100] = 99
    window.set_data(dataclasses.replace(mnist, train_labels=labels, train_images=mnist.train_images[:256]))
    qtbot.waitUntil(lambda: "No nearest digits" in panel.widget._explanation.text(), timeout=5000)
    assert "labels must be integers from 0 to 9" in panel.widget._explanation.text()
    with qtbot.waitSignal(window.prediction_shown, timeout=10_000):  # the pad still classifies
        send_stroke(window.drawpad.canvas, ONE_STROKE)
    window.set_data(mnist)  # good data: the panel searches again
    wait_shown(qtbot, panel)
