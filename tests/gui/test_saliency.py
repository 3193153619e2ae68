"""The saliency overlay in the real window, for every pretrained network, on a test digit and on the drawing.

What the panel shows is compared with what a separate ``Explainer`` of the same
weights computes here in the test, for each method: occlusion, the gradient and
gradient × input. The drawing's map follows the pen while it draws.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PyQt5 import QtWidgets

from convviz import explain
from convviz.pretrained import PRETRAINED_DIR
from tests.gui.strokes import THREE_STROKE, send_stroke
from tests.gui.windows import LOAD_MS

METHODS = ("occlusion", "gradient", "gradient_x_input")
TEST_INDEX = 18  # a 3 in the MNIST test set


@pytest.fixture(scope="module")
def explainers():
    made = {}
    yield lambda arch: made.setdefault(arch, explain.Explainer.load(PRETRAINED_DIR / arch))
    for explainer in made.values():
        explainer.close()


def wait_for_map(qtbot, window, method: str, image: np.ndarray, cls=None):
    """The map the panel draws for ``method``, exactly ``image`` and the class ``cls`` (None: the predicted)."""

    def wanted(done) -> bool:
        return done.request.method == method and done.request.cls == cls and np.array_equal(done.request.image, image)

    asked = window.explain_views._saliency_asked  # (image, model, method, class) of the newest request
    shown = window.saliency.shown()
    if shown is not None and shown[4] == method and np.array_equal(shown[0], image) and asked[3] == cls:
        if window.explain_views._saliency_shown == window.explain_views._saliency_newest:
            return shown
    with qtbot.waitSignal(window.saliency.saliency_shown, timeout=LOAD_MS, check_params_cb=wanted):
        pass
    return window.saliency.shown()


def assert_shows(window, shown, truth, image) -> None:
    drawn_image, values, cls, probability, method = shown
    assert np.array_equal(drawn_image, image)
    assert cls == truth.cls and method == truth.method
    assert probability == pytest.approx(truth.probability, abs=1e-6)
    scale = float(np.abs(truth.map).max())
    assert scale > 0, "a map that is zero everywhere shows nothing"
    assert np.allclose(values, truth.map, rtol=1e-4, atol=1e-4 * scale)
    # The overlay colours the strongest pixel (red or blue), where the digit alone is grey.
    overlay = window.saliency.overlay_image()
    assert overlay.shape == (28, 28, 3) and overlay.dtype == np.uint8
    y, x = np.unravel_index(np.abs(truth.map).argmax(), truth.map.shape)
    r, g, b = (int(v) for v in overlay[y, x])
    assert max(r, g, b) - min(r, g, b) > 60, (r, g, b)
    low, high = window.saliency.colorbar.levels
    assert low == pytest.approx(-scale, rel=1e-5) and high == pytest.approx(scale, rel=1e-5)


@pytest.mark.parametrize("arch", ["dense", "lenet5", "cnn", "template"])
def test_every_method_shows_its_map_on_a_test_digit_and_on_the_drawing(make_window, qtbot, mnist, explainers, arch):
    window = make_window(arch=arch)
    truth_of = explainers(arch)
    window.show_panel("Saliency")
    fm = window.featuremaps
    fm.set_index(TEST_INDEX)
    digit = mnist.test_images[TEST_INDEX, ..., 0]
    for method in METHODS:
        window.saliency.set_method(method)
        shown = wait_for_map(qtbot, window, method, digit)
        assert_shows(window, shown, explain.saliency(truth_of, digit, method), digit)
    assert str(TEST_INDEX) in window.saliency._caption.text()

    # Another class: the evidence for a 8 in this 3.
    window.saliency.set_target_class(8)
    shown = wait_for_map(qtbot, window, "gradient_x_input", digit, cls=8)
    assert shown[2] == 8
    assert_shows(window, shown, explain.saliency(truth_of, digit, "gradient_x_input", cls=8), digit)
    window.saliency.set_target_class(None)

    # The drawing: "use drawing" in the saliency panel is the feature maps' too.
    window.saliency.drawing_check.click()
    assert fm.drawing_check.isChecked()
    send_stroke(window.drawpad.canvas, THREE_STROKE)
    qtbot.waitUntil(lambda: window.views.chosen_image().image.any(), timeout=5000)
    drawing = window.views.chosen_image().image
    assert window.views.chosen_image().source == "drawing" and np.array_equal(drawing, fm.current_image())
    for method in METHODS:
        window.saliency.set_method(method)
        shown = wait_for_map(qtbot, window, method, drawing)
        assert_shows(window, shown, explain.saliency(truth_of, drawing, method), drawing)
    assert window.saliency._caption.text().startswith("the drawing")


def test_the_drawing_s_map_follows_the_pen_off_the_gui_thread(make_window, qtbot, monkeypatch):
    window = make_window(arch="cnn")
    window.show_panel("Saliency")
    window.saliency.set_method("occlusion")
    with qtbot.waitSignal(window.saliency.saliency_shown, timeout=LOAD_MS):
        window.featuremaps.set_index(TEST_INDEX)  # the job has built its network once this map is drawn
    window.saliency.drawing_check.click()
    threads = []
    real = explain.saliency

    def recording(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(explain, "saliency", recording)
    shown = []
    window.saliency.saliency_shown.connect(lambda done: shown.append(done.request.image))
    # The "3" drawn a segment at a time, with the pad's throttle (50 ms) between: the pen is still moving.
    points = THREE_STROKE
    canvas = window.drawpad.canvas
    for end in range(2, len(points) + 1, 2):
        send_stroke(canvas, points[max(end - 3, 0) : end])
        qtbot.wait(150)
    final = window.views.chosen_image().image
    qtbot.waitUntil(lambda: bool(shown) and np.array_equal(shown[-1], final), timeout=LOAD_MS)
    distinct = {image.tobytes() for image in shown}
    assert len(distinct) >= 3, "the map followed the drawing while it grew"
    assert threads and all(t is not threading.main_thread() for t in threads)
    QtWidgets.QApplication.processEvents()
    assert np.array_equal(window.saliency.shown()[0], final)


def test_the_caption_never_breaks_a_percentage_from_its_sign(qtbot):
    """In German at 1024x768 the caption wrapped "(p = 48,5" / "%)" across two lines."""
    from types import SimpleNamespace

    from convviz.gui.panels.saliency import SaliencyWidget

    widget = SaliencyWidget()
    qtbot.addWidget(widget)
    widget.set_caption("test image 18, label 3")
    shown = SimpleNamespace(map=np.zeros((28, 28)), cls=3, probability=0.485, method="gradient")
    widget.show_saliency(np.zeros((28, 28)), shown)
    text = widget._caption.text()
    assert "48.5\u00a0%" in text and "48.5 %" not in text
