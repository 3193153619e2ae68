"""The errors and saliency views in the real window: screenshots of the evaluation view and the saliency
overlay, and a fit check.

Run it under a virtual X server, from the repository root, one screen size per run::

    xvfb-run -a -s "-screen 0 1280x800x24" python docs/explain_screenshots.py --out docs --method gradient
    CONVVIZ_LANG=de xvfb-run -a -s "-screen 0 1024x768x24" python docs/explain_screenshots.py --out /tmp/s --tag 1024

It opens the window as ``python main.py`` does (maximised, the language of
``$CONVVIZ_LANG`` or the system), waits for the pretrained model and the
confusion of the 10,000 test images, clicks the commonest mistake's cell and
grabs the screen (``evaluation.png``); then draws a "3", ticks "use drawing" in
the saliency tab, chooses the method and grabs the screen again (``saliency.png``).
With ``--tag`` the files are ``evaluation-<tag>.png`` and ``saliency-<tag>.png``.

It also checks that both panels fit the screen (tests/gui/test_evaluation.py runs
it at 1024x768 and 1920x1080): the panel needs no scroll bar of its tab page,
every cell of the matrix is in sight and wide enough for its number, the gallery
shows a whole column of digits, no two labels of a panel overlap, and both
saliency pictures are equally large and at least 100 px, their colour scale's
labels inside the panel. Prints one JSON line (sizes, fonts, problems); exit
status 1 when anything does not fit.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PyQt5 import QtCore, QtWidgets

from docs.screenshot_common import settle, wait_until  # shift_screenshot.py takes them from here too

MIN_PICTURE_PX = 100  # a 28x28 saliency picture at least 3.5 screen pixels a pixel


def global_rect(widget: QtWidgets.QWidget) -> QtCore.QRect:
    return QtCore.QRect(widget.mapToGlobal(QtCore.QPoint(0, 0)), widget.size())


def page_problems(panel: QtWidgets.QWidget, name: str) -> list:
    """The panel fills its tab page without scrolling; no two of its visible labels overlap."""
    found = []
    page = panel.parentWidget().parentWidget()  # the FitPage (a scroll area) around the panel
    if isinstance(page, QtWidgets.QAbstractScrollArea):
        for bar, direction in ((page.horizontalScrollBar(), "sideways"), (page.verticalScrollBar(), "up and down")):
            if bar.isVisible() and bar.maximum() > 0:
                found.append(f"{name}: the page scrolls {direction} ({bar.maximum()} px)")
    labels = [w for w in panel.findChildren(QtWidgets.QLabel) if w.isVisible() and w.text().strip()]
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            overlap = global_rect(a).intersected(global_rect(b))
            if overlap.width() > 2 and overlap.height() > 2:
                found.append(f"{name}: {a.text()[:30]!r} overlaps {b.text()[:30]!r}")
    return found


def evaluation_problems(evaluation) -> list:
    found = page_problems(evaluation, "evaluation")
    table = evaluation.table
    viewport = table.viewport().rect()
    metrics = table.fontMetrics()
    for row in range(table.rowCount()):
        for col in range(table.columnCount()):
            rect = table.visualRect(table.model().index(row, col))
            text = table.item(row, col).text()
            if not viewport.contains(rect):
                found.append(f"matrix cell ({row}, {col}) is out of sight: {rect.getRect()} in {viewport.getRect()}")
            elif rect.width() < metrics.horizontalAdvance(text) + 4:
                found.append(f"matrix cell ({row}, {col}) is too narrow for {text!r}")
    gallery = evaluation.gallery
    if gallery.viewport().width() < gallery.gridSize().width():
        found.append(f"the gallery ({gallery.viewport().width()} px) is narrower than one digit")
    return found


def saliency_problems(saliency) -> list:
    found = page_problems(saliency, "saliency")
    sizes = [view.sceneBoundingRect().size() for view in (saliency.map_view, saliency.overlay_view)]
    shown = []
    for view in (saliency.map_view, saliency.overlay_view):
        corner, far = view.mapViewToScene(QtCore.QPointF(0, 0)), view.mapViewToScene(QtCore.QPointF(28, 28))
        shown.append(min(abs(far.x() - corner.x()), abs(far.y() - corner.y())))
    if abs(sizes[0].width() - sizes[1].width()) > 2 or abs(sizes[0].height() - sizes[1].height()) > 2:
        found.append(f"the two saliency pictures differ in size: {sizes[0]} and {sizes[1]}")
    if min(shown) < MIN_PICTURE_PX:
        found.append(f"a saliency picture is {min(shown):.0f} px, less than {MIN_PICTURE_PX}")
    axis = saliency.colorbar.plot.getAxis("right")
    right = axis.mapRectToScene(axis.boundingRect()).right()
    if right > saliency.graphics.width() + 1:
        found.append(
            f"the colour scale's labels end at {right:.0f} px, beyond the picture's {saliency.graphics.width()}"
        )
    return found


def open_window(app, arch: str):
    """The window as ``python main.py`` opens it (the app's style, the system's language), maximized."""
    from convviz.gui.common import i18n, theme
    from convviz.gui.window.app import MainWindow

    theme.apply_app_style(app)
    i18n.set_language(i18n.initial_language())
    window = MainWindow(arch=arch, data_dir=os.environ.get("CONVVIZ_DATA_DIR"))
    window.showMaximized()
    return window


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="docs", help="folder for the PNG files")
    parser.add_argument("--tag", default="", help="suffix of the file names (e.g. the screen size)")
    parser.add_argument("--arch", default="cnn")
    parser.add_argument("--method", default="occlusion", help="occlusion, gradient or gradient_x_input")
    args = parser.parse_args(argv)
    QtCore.QCoreApplication.setAttribute(QtCore.Qt.AA_EnableHighDpiScaling, True)
    app = QtWidgets.QApplication([sys.argv[0]])
    from convviz.gui.common import i18n
    from tests.gui.strokes import THREE_STROKE, send_stroke

    window = open_window(app, args.arch)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    suffix = f"-{args.tag}" if args.tag else ""
    screen = app.primaryScreen().availableGeometry()

    window.show_panel("Evaluation")
    wait_until(app, lambda: window.evaluation.confusion() is not None, 180, "the confusion matrix")
    matrix = window.evaluation.matrix_shown()
    off = matrix.copy()
    np.fill_diagonal(off, 0)
    true, pred = np.unravel_index(off.argmax(), off.shape)
    window.evaluation.show_cell(int(true), int(pred))
    settle(app)
    app.primaryScreen().grabWindow(0).save(str(out / f"evaluation{suffix}.png"))
    found = evaluation_problems(window.evaluation)

    send_stroke(window.drawpad.canvas, THREE_STROKE)
    window.show_panel("Saliency")
    window.saliency.drawing_check.setChecked(True)  # as the user ticks it
    window.saliency.set_method(args.method)
    wait_until(
        app,
        lambda: window.saliency.shown() is not None and window.saliency.shown()[4] == args.method,
        60,
        "the saliency map",
    )
    settle(app)
    app.primaryScreen().grabWindow(0).save(str(out / f"saliency{suffix}.png"))
    found += saliency_problems(window.saliency)
    report = {
        "screen": [screen.width(), screen.height()],
        "language": i18n.language(),
        "layout": window.panel_layout(),
        "matrix_pt": window.evaluation.table.font().pointSizeF(),
        "files": [str(out / f"evaluation{suffix}.png"), str(out / f"saliency{suffix}.png")],
        "problems": found,
    }
    print(json.dumps(report))
    window.close()
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
