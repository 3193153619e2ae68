"""Inside a convolution and what a filter wants to see, in the real window.

Offscreen, with the pretrained networks of assets/models and real MNIST digits. The
numbers the convolution panel shows are checked against the feature maps the
inference graph computes; activation maximisation runs through the window's
controller in a worker thread, and its images are checked with the inference graph.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from PyQt5 import QtCore, QtWidgets
from PyQt5.QtTest import QTest

from convviz.config import TrainConfig
from convviz.gui.common import i18n
from convviz.gui.panels import convolution
from convviz.gui.panels.wishes import WISHES_TITLE
from convviz.gui.state import RunState
from tests.conftest import ROOT, mnist_dir, require_xvfb, xvfb_run
from tests.gui.test_i18n import english_words, left_over
from tests.gui.windows import LOAD_MS, RUN_MS, draw, use_small_data

TOLERANCE = 1e-5  # the issue's: the view's sum equals the graph's feature-map value


def open_inside(make_window, qtbot, arch: str, panel: str = convolution.CONVOLUTION_TITLE):
    window = make_window(arch=arch)
    panels = window.inside
    window.show_panel(panel)
    qtbot.waitUntil(
        lambda: panels.convolution.step() is not None or bool(panels.convolution.note_text()), timeout=LOAD_MS
    )
    return window, panels


def graph_maps(window) -> dict:
    """Every layer's activation for the chosen digit, from the inference graph (not from the panel)."""
    return dict(window.controller.activations(window.views.chosen_image().image))


def shown(conv: convolution.ConvolutionWidget):
    step = conv.step()
    assert step is not None, conv.note_text()
    return step


@pytest.mark.parametrize("arch", ["cnn", "lenet5"])
def test_the_sum_plus_bias_after_the_relu_is_the_graphs_feature_map_value(make_window, qtbot, arch):
    window, panels = open_inside(make_window, qtbot, arch)
    conv = panels.convolution
    window.views.show_test_digit(3)  # a 0 (test image 3): ink in the middle, background at the edges
    qtbot.waitUntil(lambda: window.views.chosen_image().index == 3 and conv.step() is not None, timeout=5000)
    qtbot.wait(100)  # the panel's coalesced refresh
    maps = graph_maps(window)
    image = window.views.chosen_image().image
    checked = 0
    for layer in ("conv1", "conv2"):
        conv.set_layer(layer)
        graph = maps[layer]
        height, width, filters = graph.shape
        kernel = window.state.model.weights[f"{layer}/kernel"]
        channels = kernel.shape[2]
        for f in sorted({0, filters // 2, filters - 1}):
            conv.set_filter(f)
            for row, col in ((0, 0), (height // 2, width // 2), (height - 1, width - 1), (height // 3, 2 * width // 3)):
                conv.set_position(row, col)
                for channel in sorted({0, channels - 1}) if channels > 1 else [None]:
                    if channel is not None:
                        conv.set_channel(channel)
                    step = shown(conv)
                    assert (step.layer, step.out_channel, step.y, step.x) == (layer, f, row, col)
                    assert abs(step.activation - graph[row, col, f]) <= TOLERANCE
                    assert step.activation == max(step.sum_all + step.bias, 0.0)
                    # what the grids show is the step, and the products are the patch times the kernel
                    np.testing.assert_allclose(conv.patch_grid.values(), step.patch)
                    np.testing.assert_allclose(conv.kernel_grid.values(), step.kernel)
                    np.testing.assert_allclose(conv.products_grid.values(), step.patch * step.kernel)
                    want = kernel[:, :, 0 if channel is None else channel, f]
                    np.testing.assert_allclose(step.kernel, want, rtol=1e-6)
                    if channel is not None:  # one channel in the grids, the sum over all of them in the total
                        assert step.in_channel == channel and step.patch.shape == kernel.shape[:2]
                        assert abs(step.total - step.channel_sums[channel]) <= 1e-9
                        assert (
                            abs(step.sum_all - step.channel_sums.sum()) <= 1e-9 and len(step.channel_sums) == channels
                        )
                    # the map shows the graph's values, the chosen cell highlighted, the equation the numbers
                    assert conv.shown_map()[row, col] == pytest.approx(graph[row, col, f], abs=1e-6)
                    assert conv.cell_rectangle() == QtCore.QRectF(col, row, 1, 1)
                    text = conv.equation_text()
                    assert convolution.value_text(step.activation) in text and convolution.value_text(step.bias) in text
                    assert "✓" in text
                    checked += 1
    assert checked >= 24
    # conv1's patch is the digit itself: lenet5 reads its 32x32 padded input, the cnn pads SAME with zeros
    conv.set_layer("conv1")
    conv.set_position(10, 12)
    step = shown(conv)
    padded = np.pad(image, 2)
    # cnn: the window centred on (10, 12) starts 2 px up and left, i.e. at (10, 12) of the image padded by 2;
    # lenet5: its input is that padded image, and its VALID window starts at (10, 12)
    np.testing.assert_allclose(step.patch, padded[10:15, 12:17], atol=1e-7)
    assert not step.padded.any() and (0 < step.patch).any()
    conv.set_position(0, 0)
    assert shown(conv).padded.any() == (arch == "cnn")  # SAME reads zeros outside the image, lenet5 its own pad


def test_the_drawing_is_worked_out_too(make_window, qtbot):
    window, panels = open_inside(make_window, qtbot, "lenet5")
    conv = panels.convolution
    window.featuremaps.set_use_drawing(True)
    with qtbot.waitSignal(window.prediction_shown, timeout=LOAD_MS):
        draw(window)
    qtbot.waitUntil(lambda: "the drawing" in conv.input_graphics.toolTip(), timeout=5000)
    chosen = window.views.chosen_image()
    assert chosen.source == "drawing"
    conv.set_layer("conv1")
    conv.set_position(10, 12)
    step = shown(conv)
    np.testing.assert_allclose(step.patch, np.pad(chosen.image, 2)[10:15, 12:17], atol=1e-7)  # lenet5's 32x32 input
    assert abs(step.activation - graph_maps(window)["conv1"][10, 12, step.out_channel]) <= TOLERANCE


def test_a_strided_network_of_ones_own_is_worked_out_with_its_geometry(make_window, qtbot):
    """A spec string's network (untrained): an even kernel with stride 2 (SAME), then a VALID one with stride 2."""
    window, panels = open_inside(make_window, qtbot, "cnn")
    conv = panels.convolution
    spec = "conv8@4x4/2-conv6@3x3v/2-dense16"
    with qtbot.waitSignal(window.model_changed, timeout=LOAD_MS):
        window.load_pretrained(spec)
    qtbot.waitUntil(lambda: conv.arch() == window.model().arch and conv.step() is not None, timeout=LOAD_MS)
    maps = graph_maps(window)
    # conv1: 28 -> 14, SAME pads 2 rows (TensorFlow: 1 before, 1 after); conv2: 14 -> 6, VALID, no padding
    for layer, shape, size, before in (("conv1", (14, 14), 4, 1), ("conv2", (6, 6), 3, 0)):
        conv.set_layer(layer)
        assert conv.map_shape() == shape == maps[layer].shape[:2]
        for row, col in ((0, 0), (shape[0] - 1, shape[1] - 1), (shape[0] // 2, 1)):
            conv.set_position(row, col)
            step = shown(conv)
            assert step.stride == 2 and abs(step.activation - maps[layer][row, col, step.out_channel]) <= TOLERANCE
            assert step.origin == (2 * row - before, 2 * col - before) and step.patch.shape[:2] == (size, size)
            assert conv.window_rectangle() == QtCore.QRectF(2 * col - before, 2 * row - before, size, size)
            assert conv.cell_rectangle() == QtCore.QRectF(col, row, 1, 1)
    conv.set_layer("conv1")  # a click on the input picks the output whose window is centred nearest to it
    click_view(conv.input_graphics, conv.input_view, 20.5, 9.5)  # row 9: the window of output row 4 (rows 7-10)
    qtbot.waitUntil(lambda: conv.position() == (4, 10), timeout=2000)


def click_view(graphics, view, x: float, y: float) -> None:
    """A left click on the point (x, y) of ``view``'s data coordinates (x = column, y = row)."""
    scene = view.mapViewToScene(QtCore.QPointF(x, y))
    point = graphics.mapFromScene(scene)
    QTest.mouseClick(graphics.viewport(), QtCore.Qt.LeftButton, QtCore.Qt.NoModifier, point)


def test_a_click_on_the_map_or_the_input_picks_the_position_and_highlights_it(make_window, qtbot):
    _, panels = open_inside(make_window, qtbot, "cnn")
    conv = panels.convolution
    qtbot.waitUntil(lambda: conv.step() is not None, timeout=5000)
    conv.set_layer("conv1")
    click_view(conv.map_graphics, conv.map_view, 5.5, 20.5)  # column 5, row 20 of the feature map
    qtbot.waitUntil(lambda: conv.position() == (20, 5), timeout=2000)
    assert conv.cell_rectangle() == QtCore.QRectF(5, 20, 1, 1)
    assert (conv.row_spin.value(), conv.col_spin.value()) == (20, 5)
    assert conv.window_rectangle() == QtCore.QRectF(5 - 2, 20 - 2, 5, 5)  # the kernel centred on the pixel (SAME)
    click_view(conv.input_graphics, conv.input_view, 14.5, 7.5)  # the input pixel (row 7, column 14)
    qtbot.waitUntil(lambda: conv.position() == (7, 14), timeout=2000)
    assert conv.cell_rectangle() == QtCore.QRectF(14, 7, 1, 1)
    conv.row_spin.setValue(3)
    assert conv.position() == (3, 14) and conv.cell_rectangle() == QtCore.QRectF(14, 3, 1, 1)
    assert shown(conv).y == 3


def test_the_animation_slides_the_kernel_fills_the_map_and_pause_stops_it(make_window, qtbot):
    window, panels = open_inside(make_window, qtbot, "lenet5")
    conv = panels.convolution
    qtbot.waitUntil(lambda: conv.step() is not None, timeout=5000)
    conv.set_layer("conv1")
    conv.speed_combo.setCurrentIndex(len(convolution.SPEEDS) - 2)  # 60 positions a second
    graph = graph_maps(window)["conv1"][:, :, conv.filter_index()]
    total = graph.size
    qtbot.mouseClick(conv.play_button, QtCore.Qt.LeftButton)
    assert conv.is_playing() and conv.filled() == 0
    qtbot.waitUntil(lambda: conv.filled() >= 20, timeout=5000)
    qtbot.mouseClick(conv.play_button, QtCore.Qt.LeftButton)  # pause
    assert not conv.is_playing()
    filled, position = conv.filled(), conv.position()
    assert 20 <= filled < total and position == divmod(filled - 1, graph.shape[1])
    shown_map = conv.shown_map().ravel()
    assert np.isnan(shown_map[filled:]).all()  # not yet computed
    np.testing.assert_allclose(shown_map[:filled], graph.ravel()[:filled], atol=1e-6)
    assert shown(conv).activation == pytest.approx(graph.ravel()[filled - 1], abs=TOLERANCE)
    qtbot.wait(300)
    assert conv.filled() == filled and conv.position() == position  # paused: nothing moves
    conv.speed_combo.setCurrentIndex(len(convolution.SPEEDS) - 1)
    conv.play()
    qtbot.waitUntil(lambda: not conv.is_playing(), timeout=10000)  # it stops at the end
    assert conv.filled() == total and conv.position() == (graph.shape[0] - 1, graph.shape[1] - 1)
    np.testing.assert_allclose(conv.shown_map(), graph, atol=1e-6)
    assert conv.play_button.text() == "▶ Slide" and not conv.play_button.isChecked()
    conv.advance()  # a step by hand after the end starts again from the first position
    conv.play()
    assert conv.filled() == 0 and conv.is_playing()
    conv.pause()


def test_one_training_step_puts_the_new_filters_numbers_into_the_view(make_window, qtbot, mnist):
    window, panels = open_inside(make_window, qtbot, "lenet5")
    conv = panels.convolution
    use_small_data(window, mnist, train=640, test=200)
    qtbot.waitUntil(lambda: conv.step() is not None, timeout=5000)
    conv.set_layer("conv2")
    conv.set_channel(3)
    before = shown(conv)
    with qtbot.waitSignal(window.snapshot_shown, timeout=RUN_MS):
        window.step(TrainConfig(arch="lenet5", batch_size=64, epochs=1, seed=3))
    qtbot.waitUntil(lambda: window.state.run_state is RunState.PAUSED, timeout=RUN_MS)
    qtbot.waitUntil(lambda: shown(conv).bias != before.bias, timeout=5000)
    after = shown(conv)
    weights = window.state.model.weights
    assert window.state.model.step == 1
    np.testing.assert_allclose(after.kernel, weights["conv2/kernel"][:, :, 3, conv.filter_index()], rtol=1e-6)
    assert not np.allclose(after.kernel, before.kernel)
    np.testing.assert_allclose(conv.kernel_grid.values(), after.kernel)
    graph = graph_maps(window)["conv2"]
    assert abs(after.activation - graph[after.y, after.x, after.out_channel]) <= TOLERANCE
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.stop()


def test_set_weights_of_another_model_changes_the_numbers(make_window, qtbot):
    """A model loaded (here: the pretrained cnn's weights, scaled) is the one whose numbers are shown."""
    window, panels = open_inside(make_window, qtbot, "cnn")
    conv = panels.convolution
    qtbot.waitUntil(lambda: conv.step() is not None, timeout=5000)
    before = shown(conv)
    model = window.state.model
    weights = {name: (2.0 * value if name.startswith("conv1/") else value) for name, value in model.weights.items()}
    window.state.set_model(type(model)(model.arch, model.role, weights, model.meta))
    qtbot.waitUntil(lambda: shown(conv).bias == pytest.approx(2 * before.bias), timeout=5000)
    after = shown(conv)
    np.testing.assert_allclose(after.kernel, 2 * before.kernel, rtol=1e-6)
    assert abs(after.activation - graph_maps(window)["conv1"][after.y, after.x, after.out_channel]) <= TOLERANCE


def test_activation_maximisation_runs_in_the_worker_with_progress_and_can_be_cancelled(make_window, qtbot):
    window, panels = open_inside(make_window, qtbot, "cnn", WISHES_TITLE)
    wishes, jobs = panels.wishes, panels.jobs
    qtbot.waitUntil(lambda: wishes.layer() == "conv1", timeout=5000)
    ticks = []
    timer = QtCore.QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)

    # A long one, cancelled after its first progress report: the GUI thread kept running meanwhile.
    with qtbot.waitSignal(jobs.progressed, timeout=LOAD_MS):
        panels.compute_wishes("conv1", steps=5000)
    assert jobs.busy() and wishes.cancel_button.isEnabled()
    with qtbot.waitSignal(jobs.cancelled, timeout=20000):
        qtbot.mouseClick(wishes.cancel_button, QtCore.Qt.LeftButton)
    qtbot.waitUntil(lambda: not jobs.busy(), timeout=20000)
    assert wishes.result() is None and wishes.status_text() == "Cancelled."

    # The real one: progress up to 100 %, the timer ticking throughout.
    ticks.clear()
    progress = []
    jobs.progressed.connect(lambda p: progress.append((p.done, p.total)))
    with qtbot.waitSignal(jobs.computed, timeout=RUN_MS) as computed:
        qtbot.mouseClick(wishes.compute_button, QtCore.Qt.LeftButton)
    timer.stop()
    result = computed.args[0]
    assert progress and progress[-1][0] == progress[-1][1] and wishes.progress() == 100
    assert len(ticks) >= 5  # the window's event loop ran while the worker computed
    layer, images, before, after = wishes.result()
    assert layer == "conv1" and images.shape == (64, 28, 28) and ((0 <= images) & (images <= 1)).all()
    # What a filter wants to see raises its mean activation at least 10x over the starting noise,
    # measured again here with the inference graph.
    from convviz.explain import start_noise

    noise = start_noise(64, 0)
    for channel in (0, 17, 63):
        graph_after = window.controller.activations(images[channel])
        graph_before = window.controller.activations(noise[channel])
        a = dict(graph_after)["conv1"][:, :, channel].mean()
        b = dict(graph_before)["conv1"][:, :, channel].mean()
        assert a == pytest.approx(after[channel], rel=1e-4, abs=1e-6)
        assert b == pytest.approx(before[channel], rel=1e-4, abs=1e-6)
    assert after.mean() >= 10 * before.mean() and wishes.gain() >= 10
    assert result.seconds > 0 and wishes.wish_mosaic() is not None
    assert np.isfinite(wishes.wish_mosaic()).sum() == 64 * 28 * 28
    assert wishes.enlarge(("conv1", 5)) is not None  # a click on a tile shows it large
    np.testing.assert_array_equal(wishes.enlarged.image(), images[5])


def test_the_newest_request_wins(make_window, qtbot):
    _, panels = open_inside(make_window, qtbot, "lenet5", WISHES_TITLE)
    jobs = panels.jobs
    started = []
    jobs.started.connect(lambda request: started.append(request.layer))
    with qtbot.waitSignal(jobs.progressed, timeout=LOAD_MS):
        panels.compute_wishes("conv1", steps=5000)
    panels.compute_wishes("conv2", steps=20)
    last = panels.compute_wishes("conv3", steps=20)  # conv2 never starts: conv3 replaced it while conv1 stopped
    with qtbot.waitSignal(jobs.computed, timeout=RUN_MS) as computed:
        pass
    assert computed.args[0].request == last and started == ["conv1", "conv3"]
    assert panels.wishes.result()[0] == "conv3" and panels.wishes.result()[1].shape == (120, 28, 28)


def test_the_tick_box_computes_them_again_after_each_epoch(make_window, qtbot, mnist):
    window, panels = open_inside(make_window, qtbot, "lenet5", WISHES_TITLE)
    use_small_data(window, mnist, train=256, test=100)
    panels.wishes.auto_check.setChecked(True)
    results = []
    panels.jobs.computed.connect(results.append)
    with qtbot.waitSignal(window.training_finished, timeout=RUN_MS):
        window.start_training(TrainConfig(arch="lenet5", batch_size=64, epochs=2, seed=1))
    qtbot.waitUntil(lambda: bool(results) and not panels.jobs.busy(), timeout=RUN_MS)
    # Each of the two epochs asked for them (the second may have cancelled the first), with the weights of then.
    assert panels.jobs.latest() == 2 and results[-1].request.request == 2 and results[-1].request.layer == "conv1"
    assert results[-1].images.shape == (6, 28, 28)
    assert panels.wishes.result() is not None
    panels.wishes.auto_check.setChecked(False)


def test_the_dense_network_says_plainly_that_it_has_no_convolution(make_window, qtbot):
    window, panels = open_inside(make_window, qtbot, "dense")
    assert "no convolution" in panels.convolution.note_text()
    assert panels.convolution.step() is None and not panels.convolution.play_button.isEnabled()
    window.show_panel(WISHES_TITLE)
    assert "no convolution" in panels.wishes.note.text() and not panels.wishes.compute_button.isEnabled()
    # and back to a network with convolutions
    with qtbot.waitSignal(window.model_changed, timeout=LOAD_MS):
        window.load_pretrained("cnn")
    window.show_panel(convolution.CONVOLUTION_TITLE)
    qtbot.waitUntil(lambda: panels.convolution.step() is not None, timeout=LOAD_MS)
    assert panels.convolution.note_text() == ""


@pytest.fixture
def back_to_english():
    yield
    if i18n.language() != "en" and QtWidgets.QApplication.instance() is not None:
        i18n.set_language("en")


def test_german_legible_at_1024x768_and_scaled_by_the_presenter_zoom(make_window, qtbot, back_to_english):
    window, panels = open_inside(make_window, qtbot, "cnn")
    window.resize(1024, 768)
    conv, wishes = panels.convolution, panels.wishes
    qtbot.waitUntil(lambda: conv.step() is not None, timeout=5000)
    conv.set_layer("conv2")
    window.set_language("de")
    QtWidgets.QApplication.processEvents()
    window.show_panel(convolution.CONVOLUTION_TITLE)
    english = english_words()
    for panel in (conv, wishes):
        window.show_panel(convolution.CONVOLUTION_TITLE if panel is conv else WISHES_TITLE)
        QtWidgets.QApplication.processEvents()
        problems = left_over(panel, english)
        assert problems == [], "\n".join(map(str, problems))
    tab_texts = [
        tabs.tabText(i) for tabs in window.panels.findChildren(QtWidgets.QTabWidget) for i in range(tabs.count())
    ]
    assert "Faltung" in tab_texts  # a second-level tab, beside the feature maps
    assert "Kanal" in conv.equation_text() and "kanal" in conv.channel_spin.toolTip()

    # Legible: the numbers at least 12 pt, the rest at the window's 14 pt; the presenter zoom scales them.
    assert conv.patch_grid.font().pointSizeF() >= 12 and conv.equation.font().pointSizeF() >= 14
    cell = conv.patch_grid.cell_size()
    window.zoom.set_factor(2.0)
    QtWidgets.QApplication.processEvents()
    bigger = conv.patch_grid.cell_size()
    assert bigger.width() >= 1.7 * cell.width() and bigger.height() >= 1.7 * cell.height()
    assert conv.equation.font().pointSizeF() >= 28
    window.zoom.reset()


@pytest.mark.parametrize(("size", "language"), [("1024x768", "en"), ("1024x768", "de"), ("1920x1080", "de")])
def test_the_panels_fit_the_real_window(size, language, tmp_path):
    """docs/inside_screens.py in a real X window (Xvfb): the panels add no widget off the screen, squeezed below
    its minimum or drawn over another, at a projector's 1024x768 (tabs) and at 1920x1080 (the grid)."""
    require_xvfb()
    env = dict(os.environ, CONVVIZ_DATA_DIR=str(mnist_dir()), PYTHONPATH=str(ROOT), CONVVIZ_LANG=language)
    env.pop("QT_QPA_PLATFORM", None)  # the real xcb platform, on the virtual screen
    proc = subprocess.run(
        [*xvfb_run(size), sys.executable, "docs/inside_screens.py", "--check"],
        cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=480,  # 2 shared cores: TF loads slowly
    )  # fmt: skip
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines, proc.stdout[-2000:] + proc.stderr[-2000:]
    report = json.loads(lines[-1])
    assert report["problems"] == [], "\n".join(report["problems"])
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert report["language"] == language and report["screen"] == [int(v) for v in size.split("x")]
    assert report["layout"] == ("grid" if size == "1920x1080" else "tabs")
    assert report["gain"] >= 10 and proc.returncode == 0
