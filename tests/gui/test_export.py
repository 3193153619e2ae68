"""Figures for slides: PNG at twice the screen's pixels, SVG, the menus that save them, the clipboard."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PyQt5 import QtCore, QtGui, QtWidgets

from convviz.gui.common import export
from convviz.gui.common.export import ExportError, copy_to_clipboard, export_figure
from convviz.gui.panels.filters import FiltersWidget
from convviz.gui.panels.loss import LossWidget

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def loss(qtbot):
    w = LossWidget()
    qtbot.addWidget(w)
    w.resize(800, 450)
    w.show()
    qtbot.waitExposed(w)
    w.set_train_size(6400)
    w.add_losses(64 * np.arange(1, 301), np.linspace(2.3, 0.1, 300))
    w.add_accuracy(1, 6400, 0.93)
    return w


def device_size(view: QtWidgets.QWidget) -> tuple:
    ratio = view.devicePixelRatioF()
    return view.width() * ratio, view.height() * ratio


def test_png_has_twice_the_pixels_on_screen(loss, tmp_path):
    path = export_figure(loss.plot_widget, tmp_path / "loss.png")
    assert path.read_bytes()[:8] == PNG_SIGNATURE
    image = QtGui.QImage(str(path))
    width, height = device_size(loss.plot_widget)
    assert image.width() >= 2 * width and image.height() >= 2 * height
    assert (image.width(), image.height()) == export.figure_size(loss.plot_widget)
    # a figure, not a blank page: the smoothed loss' blue is in it
    pixels = image.convertToFormat(QtGui.QImage.Format_RGB888)
    data = np.frombuffer(pixels.constBits().asstring(pixels.byteCount()), np.uint8)
    rgb = data.reshape(pixels.height(), pixels.bytesPerLine())[:, : 3 * pixels.width()].reshape(
        pixels.height(), pixels.width(), 3
    )
    smooth = np.array(QtGui.QColor(loss.smooth_curve.opts["pen"].color()).getRgb()[:3])
    assert (np.abs(rgb.astype(int) - smooth).sum(axis=2) < 30).sum() > 500


def test_svg_is_a_vector_figure_with_both_axes(loss, tmp_path):
    path = export_figure(loss.plot_widget, tmp_path / "loss.svg")
    root = ET.parse(str(path)).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = path.read_text(encoding="utf-8")
    assert "training loss" in text and "test accuracy" in text  # the right axis' ViewBox is in the figure
    # the curves are vector lines with a vertex per point, not a picture of them (pyqtgraph 0.12
    # writes one polyline per segment, 0.13+ one path per curve)
    svg = "{http://www.w3.org/2000/svg}"
    segments = sum(p.get("d", "").count("L") for p in root.iter(svg + "path"))
    segments += sum(len(p.get("points", "").split()) - 1 for p in root.iter(svg + "polyline"))
    assert segments >= 300


def test_filters_figure_holds_the_colour_bar(qtbot, tmp_path):
    w = FiltersWidget()
    qtbot.addWidget(w)
    w.resize(700, 500)
    w.show()
    w.set_kernels({"conv1": np.random.default_rng(0).normal(size=(5, 5, 1, 16))})
    path = export_figure(w.graphics, tmp_path / "filters.svg")
    images = ET.parse(str(path)).getroot().findall(".//{http://www.w3.org/2000/svg}image")
    assert len(images) == 2  # the mosaic and the colour bar's ramp
    png = QtGui.QImage(str(export_figure(w.graphics, tmp_path / "filters.png")))
    assert png.width() >= 2 * device_size(w.graphics)[0]


def test_a_failed_write_is_one_line_naming_the_path(loss, tmp_path):
    missing = tmp_path / "no such folder" / "loss.png"
    with pytest.raises(ExportError) as info:
        export_figure(loss.plot_widget, missing)
    message = str(info.value)
    assert str(missing) in message and "\n" not in message and "does not exist" in message
    with pytest.raises(ExportError):
        export_figure(loss.plot_widget, tmp_path / "no such folder" / "loss.svg")
    with pytest.raises(ExportError, match=r"\.png or \.svg"):
        export_figure(loss.plot_widget, tmp_path / "loss.pdf")
    assert list(tmp_path.iterdir()) == []


def test_menu_save_reports_failure_in_the_status_bar(qtbot, tmp_path):
    window = QtWidgets.QMainWindow()
    qtbot.addWidget(window)
    panel = LossWidget()
    window.setCentralWidget(panel)
    window.show()
    menu = panel.figure_menu
    with qtbot.waitSignal(menu.failed) as blocker:
        assert menu.save(tmp_path / "missing" / "x.png") is None
    assert window.statusBar().currentMessage() == blocker.args[0]
    assert "missing" in blocker.args[0]
    with qtbot.waitSignal(menu.saved):
        assert menu.save(tmp_path / "x.png") == tmp_path / "x.png"
    assert "Figure saved" in window.statusBar().currentMessage()


def test_save_action_asks_for_a_name_and_adds_the_suffix(loss, tmp_path, monkeypatch):
    asked = []

    def get_save_file_name(parent, caption, suggested, filters):
        asked.append((suggested, filters))
        return str(tmp_path / "slide"), filters

    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", get_save_file_name)
    loss.figure_menu.svg_action.trigger()
    assert (tmp_path / "slide.svg").is_file()
    assert asked[0][0].endswith("convviz-loss.svg") and "*.svg" in asked[0][1]
    loss.figure_menu.png_action.trigger()
    assert (tmp_path / "slide.png").read_bytes()[:8] == PNG_SIGNATURE
    assert QtCore.QFileInfo(asked[1][0]).path() == str(tmp_path)  # the folder used last is offered again


def test_right_click_opens_the_figure_menu(loss, qtbot):
    menu = loss.figure_menu.menu
    view = loss.plot_widget
    qtbot.mouseClick(view.viewport(), QtCore.Qt.RightButton, pos=view.viewport().rect().center())
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["Save figure as PNG…", "Save figure as SVG…", "Copy figure"]
    menu.hide()
    # the header button opens the same menu
    buttons = [b for b in loss.findChildren(QtWidgets.QToolButton) if b.text() == "Save figure…"]
    assert len(buttons) == 1 and buttons[0].menu() is menu


def test_copy_figure_and_window(loss):
    image = loss.figure_menu.copy()
    clipboard = QtWidgets.QApplication.clipboard().image()
    assert (clipboard.width(), clipboard.height()) == (image.width(), image.height())
    assert image.width() >= 2 * device_size(loss.plot_widget)[0]
    grabbed = copy_to_clipboard(loss)
    clipboard = QtWidgets.QApplication.clipboard().image()
    assert not grabbed.isNull()
    assert (clipboard.width(), clipboard.height()) == (grabbed.width(), grabbed.height())
    assert clipboard.width() == round(loss.width() * loss.devicePixelRatioF())


def test_the_window_copies_itself_with_ctrl_shift_c(qtbot, tmp_path):
    from convviz.gui.window.app import MainWindow

    window = MainWindow(data_dir=str(tmp_path))  # never shown: nothing loads
    window.resize(1024, 700)
    keys = {s.key().toString(): s for s in window.findChildren(QtWidgets.QShortcut)}
    assert "Ctrl+Shift+C" in keys
    QtWidgets.QApplication.clipboard().clear()
    keys["Ctrl+Shift+C"].activated.emit()
    image = QtWidgets.QApplication.clipboard().image()
    ratio = window.devicePixelRatioF()
    assert (image.width(), image.height()) == (round(window.width() * ratio), round(window.height() * ratio))
    assert image.width() >= 1024  # the whole window, not a panel
    # Deleted now, while Python still holds it: the window's app-wide event filter (its zoom) goes
    # with it. Left to the garbage collector, the filter could outlive its Python side for a moment.
    window.deleteLater()
    QtWidgets.QApplication.sendPostedEvents(None, QtCore.QEvent.DeferredDelete)


def _panels(qtbot):
    from convviz.gui.panels.featuremaps import FeatureMapsWidget
    from convviz.gui.panels.prediction import PredictionWidget

    rng = np.random.default_rng(1)
    loss = LossWidget()
    loss.add_losses(64 * np.arange(1, 101), np.linspace(2.3, 0.3, 100))
    filters = FiltersWidget()
    filters.set_kernels({"conv1": rng.normal(size=(5, 5, 1, 8))})
    maps = FeatureMapsWidget()
    maps.set_activations([("conv1", rng.random((28, 28, 4))), ("fc1", rng.random(20)), ("logits", rng.normal(size=10))])
    prediction = PredictionWidget()
    prediction.set_probabilities(np.full(10, 0.1))
    for w in (loss, filters, maps, prediction):
        qtbot.addWidget(w)
        w.resize(700, 450)
        w.show()
    return {
        "loss": (loss, loss.plot_widget),
        "filters": (filters, filters.graphics),
        "featuremaps": (maps, maps.maps_graphics),
        "prediction": (prediction, prediction.plot_widget),
    }


def test_every_panel_saves_png_and_svg_from_its_menu(qtbot, tmp_path):
    for name, (panel, view) in _panels(qtbot).items():
        menu = panel.figure_menu
        assert menu.view is view, name
        png = menu.save(tmp_path / f"{name}.png")
        image = QtGui.QImage(str(png))
        assert image.width() >= 2 * device_size(view)[0] and image.height() >= 2 * device_size(view)[1], name
        svg = menu.save(tmp_path / f"{name}.svg")
        assert ET.parse(str(svg)).getroot().tag == "{http://www.w3.org/2000/svg}svg", name
        buttons = [b for b in panel.findChildren(QtWidgets.QToolButton) if b.menu() is menu.menu]
        assert len(buttons) == 1, name  # and a "Save figure…" button on the panel


def test_a_saved_loss_figure_carries_its_title_and_legend_and_the_screen_stays_as_it_was(loss, tmp_path):
    # On screen the summary and the legend are Qt labels above the plot; on a slide they must be in the picture.
    written = loss.figure_menu.save(tmp_path / "loss.svg")
    text = written.read_text(encoding="utf-8")
    for words in ("loss per batch", "smoothed", "test accuracy 93.00 %", "loss 0."):
        assert words in text, words
    items_before = len(loss.plot.scene().items())
    png = loss.figure_menu.save(tmp_path / "loss.png")
    assert QtGui.QImage(str(png)).width() >= 2 * device_size(loss.plot_widget)[0]
    assert len(loss.plot.scene().items()) == items_before  # the legend left again
    assert not loss.plot.titleLabel.isVisible()  # and the title
    plain = export_figure(loss.plot_widget, tmp_path / "plain.svg").read_text(encoding="utf-8")
    assert "loss per batch" not in plain  # what the screen shows: no legend inside the plot


def test_the_filters_and_the_probabilities_figures_carry_their_titles(qtbot, tmp_path):
    from convviz.gui.panels.filters import FiltersWidget
    from convviz.gui.panels.prediction import PredictionWidget

    filters = FiltersWidget()
    qtbot.addWidget(filters)
    filters.resize(600, 500)
    filters.show()
    filters.set_kernels({"conv1/kernel": np.random.RandomState(0).randn(5, 5, 1, 8).astype(np.float32)})
    title = filters._title.text()
    assert "conv1" in title
    text = filters.figure_menu.save(tmp_path / "filters.svg").read_text(encoding="utf-8")
    assert "conv1" in text and "5×5" in text
    rows = filters.graphics.ci.layout.rowCount()
    filters.figure_menu.save(tmp_path / "filters.png")
    assert filters.graphics.ci.layout.rowCount() <= rows  # the caption left the screen's layout

    prediction = PredictionWidget()
    qtbot.addWidget(prediction)
    prediction.resize(500, 300)
    prediction.show()
    probabilities = np.full(10, 0.01, np.float32)
    probabilities[3] = 0.91
    prediction.set_probabilities(probabilities)
    text = prediction.figure_menu.save(tmp_path / "probabilities.svg").read_text(encoding="utf-8")
    assert "91.0 %" in text


def grey(path, size) -> np.ndarray:
    from PIL import Image

    with Image.open(str(path)) as image:
        return np.asarray(image.convert("L").resize(size, Image.BILINEAR), np.float64)


def inked_cells(picture: np.ndarray, cell: int = 8) -> np.ndarray:
    rows, cols = picture.shape[0] // cell, picture.shape[1] // cell
    blocks = picture[: rows * cell, : cols * cell].reshape(rows, cell, cols, cell)
    return blocks.min(axis=(1, 3)) < 160


def test_png_and_svg_look_the_same_and_an_independent_renderer_draws_the_svg(loss, tmp_path):
    """The SVG is checked by librsvg's rsvg-convert (not Qt, not pyqtgraph): valid, drawn whole, and
    roughly the PNG's picture (the same ink in the same places; thin lines may differ by a pixel)."""
    rsvg = shutil.which("rsvg-convert")
    assert rsvg, "rsvg-convert is missing: apt-get install librsvg2-bin (.ci/run installs it)"
    loss.add_accuracy(2, 12800, 0.97)
    png = loss.figure_menu.save(tmp_path / "loss.png")
    svg = loss.figure_menu.save(tmp_path / "loss.svg")
    root = ET.parse(str(svg)).getroot()  # well-formed XML
    assert float(root.get("width")) > 0 and float(root.get("height")) > 0
    assert "<polyline" not in svg.read_text(encoding="utf-8")  # paths: every renderer draws them
    width, height = QtGui.QImage(str(png)).width(), QtGui.QImage(str(png)).height()
    drawn = tmp_path / "rsvg.png"
    subprocess.run([rsvg, "-w", str(width), "-h", str(height), str(svg), "-o", str(drawn)], check=True, timeout=60)
    size = (width // 4, height // 4)
    a, b = grey(png, size), grey(drawn, size)
    assert (a < 128).mean() > 0.005 and np.abs(a - b).mean() < 12, np.abs(a - b).mean()
    # Ink in the same places: the PNG's inked cells (8x8 of the quarter size) are inked in librsvg's picture,
    # and librsvg's lie next to the PNG's (its lines are drawn thicker: SVG's non-scaling strokes scale there).
    cells_a, cells_b = inked_cells(a), inked_cells(b)
    near_a = np.zeros_like(cells_a)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            near_a |= np.roll(np.roll(cells_a, dy, axis=0), dx, axis=1)
    assert cells_a.sum() > 50 and (cells_a & cells_b).sum() / cells_a.sum() > 0.95
    assert (cells_b & near_a).sum() / cells_b.sum() > 0.9
    # The legend (its text as large in both) in the lowest fifth: under the plot, in both pictures.
    bottom = slice(4 * cells_a.shape[0] // 5, None)
    assert cells_a[bottom].sum() > 5 and abs(int(cells_a[bottom].sum()) - int(cells_b[bottom].sum())) <= 3


def test_the_saved_figure_s_legend_is_beside_the_data_never_over_a_curve(loss):
    plot = loss.plot
    with loss.figure_labels() as legend:
        data = plot.getViewBox().sceneBoundingRect()
        box = legend.sceneBoundingRect()
        assert box.width() > 0 and not box.intersects(data)
        assert box.top() >= plot.getAxis("bottom").sceneBoundingRect().top()  # under the x axis
        labels = [item.text for _, item in legend.items]
        assert labels == ["loss per batch", "smoothed", "test accuracy"]
        tick = QtGui.QFontInfo(plot.getAxis("bottom").style.get("tickFont") or plot.getAxis("bottom").font())
        assert legend.opts["labelTextSize"] == f"{tick.pixelSize()}px"  # as large as the axes' numbers


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_a_fifo_is_refused_in_one_line_and_left_as_it_was(loss, tmp_path, suffix):
    fifo = tmp_path / f"loss.{suffix}"
    os.mkfifo(str(fifo))  # writing into it would block the window until someone read it
    with pytest.raises(ExportError) as info:
        export_figure(loss.plot_widget, fifo)
    message = str(info.value)
    assert str(fifo) in message and "\n" not in message and "regular file" in message
    assert stat.S_ISFIFO(os.stat(str(fifo)).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == [fifo.name]  # no temporary left beside it


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_a_full_disk_keeps_the_old_figure_whole_and_says_so_in_one_line(qtbot, tmp_path, monkeypatch, suffix):
    window = QtWidgets.QMainWindow()
    qtbot.addWidget(window)
    panel = LossWidget()
    window.setCentralWidget(panel)
    window.show()
    path = tmp_path / f"loss.{suffix}"
    assert panel.figure_menu.save(path) == path
    old = path.read_bytes()
    real_fsync = os.fsync

    def no_space(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    panel.add_losses(64 * np.arange(1, 51), np.linspace(2.3, 1.0, 50))  # another figure than the old one
    with qtbot.waitSignal(panel.figure_menu.failed) as blocker:
        assert panel.figure_menu.save(path) is None
    monkeypatch.setattr(os, "fsync", real_fsync)
    line = blocker.args[0]
    assert str(path) in line and os.strerror(errno.ENOSPC) in line and "\n" not in line
    assert window.statusBar().currentMessage() == line
    assert path.read_bytes() == old  # whole, as it was
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no temporary left beside it
