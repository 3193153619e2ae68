"""The real window on one screen size: does everything fit? Run under Xvfb, one size per process.

    xvfb-run -a -s "-screen 0 1024x768x24" python docs/screen_check.py --out docs/screens
    QT_SCALE_FACTOR=2 xvfb-run -a -s "-screen 0 3840x2160x24" python docs/screen_check.py --out docs/screens

Opens the window as ``python main.py`` does, waits for the pretrained model,
draws a 3 on the pad, shows each panel in turn and checks, for every visible
widget:

* it lies on the screen (its global rectangle inside the screen's);
* it is at least as large as its minimum size hint (nothing squeezed);
* no two visible labels overlap.

Prints one JSON line (the size, the problems found) and saves a screenshot of
the whole screen per panel into ``--out``. Exit status 1 when anything does not fit.
``--languages en de`` checks a new window in each language in turn, one JSON line
each, in one process (the tests: one X server and one TensorFlow import per size).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PyQt5 import QtCore, QtWidgets

SLACK_PX = 1  # rounding of scaled geometry
USABLE_CHART = (150, 110)  # ten bars of 15 px with their digits and values
USABLE_CANVAS = (180, 180)  # room to draw a digit
USABLE_LOSS = (320, 200)  # a curve a class can follow


def visible_widgets(window: QtWidgets.QWidget) -> list:
    return [w for w in window.findChildren(QtWidgets.QWidget) if w.isVisible() and w.width() > 0]


def global_rect(widget: QtWidgets.QWidget) -> QtCore.QRect:
    return QtCore.QRect(widget.mapToGlobal(QtCore.QPoint(0, 0)), widget.size())


def visible_part(widget: QtWidgets.QWidget) -> QtCore.QRect:
    """The widget's rectangle clipped by every scroll area above it (what can be scrolled to counts)."""
    rect = global_rect(widget)
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QtWidgets.QAbstractScrollArea):
            return rect  # inside a scroll area: reachable by scrolling
        parent = parent.parentWidget()
    return rect


def in_scroll_area(widget: QtWidgets.QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QtWidgets.QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def problems(window: QtWidgets.QMainWindow, screen: QtCore.QRect) -> list:
    found = []
    window_rect = QtCore.QRect(window.mapToGlobal(QtCore.QPoint(0, 0)), window.size())
    if not screen.contains(window_rect):
        found.append(f"window {window_rect.getRect()} is not on the screen {screen.getRect()}")
    labels = []
    for widget in visible_widgets(window):
        if isinstance(widget, (QtWidgets.QScrollBar, QtWidgets.QRubberBand)) or widget.window() is not window:
            continue
        if widget.objectName().startswith("qt_"):
            continue  # Qt's own insides (a spin box's line edit): their owner is checked
        name = f"{type(widget).__name__} {widget.objectName() or ''}".strip()
        text = widget.text() if isinstance(widget, (QtWidgets.QLabel, QtWidgets.QAbstractButton)) else ""
        if text:
            name += f" {text[:30]!r}"
        if in_scroll_area(widget):
            continue  # a scroll area shows the rest on demand; the area itself is checked
        rect = global_rect(widget)
        if not screen.adjusted(-SLACK_PX, -SLACK_PX, SLACK_PX, SLACK_PX).contains(rect):
            found.append(f"{name} at {rect.getRect()} is off the screen")
        hint = widget.minimumSizeHint()
        if hint.isValid() and not isinstance(widget, QtWidgets.QSplitterHandle):
            if widget.width() + SLACK_PX < hint.width() or widget.height() + SLACK_PX < hint.height():
                found.append(f"{name} is {widget.width()}x{widget.height()}, needs {hint.width()}x{hint.height()}")
        if isinstance(widget, QtWidgets.QLabel) and widget.text().strip():
            labels.append((name, rect))
    for i, (name_a, a) in enumerate(labels):
        for name_b, b in labels[i + 1 :]:
            overlap = a.intersected(b)
            if overlap.width() > 2 and overlap.height() > 2:
                found.append(f"{name_a} overlaps {name_b}")
    # Siblings drawn over each other (an image over its caption): any two visible children of one parent.
    for parent in [window, *visible_widgets(window)]:
        children = [
            c
            for c in parent.children()
            if isinstance(c, QtWidgets.QWidget)
            and c.isVisible()
            and c.isWindow() is False
            and not isinstance(c, (QtWidgets.QSplitterHandle, QtWidgets.QScrollBar, QtWidgets.QMenu))
            and not c.objectName().startswith("qt_")
            and type(c).__name__ != "FocusRing"
        ]
        for i, a in enumerate(children):
            for b in children[i + 1 :]:
                overlap = a.geometry().intersected(b.geometry())
                if overlap.width() > 2 and overlap.height() > 2:
                    found.append(f"{type(a).__name__} overlaps {type(b).__name__} in {type(parent).__name__}")
    # What a class must be able to use, whatever the screen.
    usable = {
        "probability chart": (
            window.prediction.plot_widget if hasattr(window.prediction, "plot_widget") else None,
            USABLE_CHART,
        ),
        "drawing canvas": (window.drawpad.canvas, USABLE_CANVAS),
        "loss plot": (window.loss.plot_widget, USABLE_LOSS),
    }
    for name, (widget, (min_w, min_h)) in usable.items():
        if widget is not None and widget.isVisible() and (widget.width() < min_w or widget.height() < min_h):
            found.append(f"the {name} is {widget.width()}x{widget.height()}, less than a usable {min_w}x{min_h}")
    return found


def check_window(app: QtWidgets.QApplication, out: str, tag: str) -> list:
    """Open the window as main.py does, draw a 3, visit every panel; print the JSON report, return the problems."""
    from convviz.gui.common import i18n
    from convviz.gui.window.app import MainWindow
    from tests.gui.strokes import THREE_STROKE, send_stroke

    screen = app.primaryScreen().availableGeometry()
    window = MainWindow(data_dir=os.environ.get("CONVVIZ_DATA_DIR"))
    window.showMaximized()
    end = time.monotonic() + 180
    while window.model() is None and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    predictions: list = []
    window.prediction_shown.connect(predictions.append)
    send_stroke(window.drawpad.canvas, THREE_STROKE)
    end = time.monotonic() + 60  # the lecturer's view: the drawing and its prediction shown
    while not predictions and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    report = {
        "screen": [screen.width(), screen.height()],
        "window": [window.width(), window.height()],
        "language": i18n.language(),
    }
    found = []
    for panel in window.panels.panel_titles():  # loss, filters, feature maps and the added panels
        window.show_panel(panel)
        for _ in range(30):
            app.processEvents()
            time.sleep(0.01)
        seen = problems(window, screen)
        if seen:  # on a busy machine a resize can still be on its way: a problem must still be there later
            for _ in range(50):
                app.processEvents()
                time.sleep(0.01)
            again = set(problems(window, screen))
            seen = [p for p in seen if p in again]
        found += [f"[{panel}] {p}" for p in seen]
        if out:
            Path(out).mkdir(parents=True, exist_ok=True)
            shot = app.primaryScreen().grabWindow(0)
            shot.save(str(Path(out) / f"{tag}-{panel.replace(' ', '').lower()}.png"))
    report.update(layout=window.panel_layout(), problems=found)
    print(json.dumps(report), flush=True)
    window.close()
    window.deleteLater()
    app.processEvents()
    return found


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="", help="folder for the screenshots (none if empty)")
    parser.add_argument("--tag", default="", help="name of the screenshots (default: the screen size)")
    parser.add_argument(
        "--languages", nargs="+", default=None, help="check a window in each (default: as main.py, $CONVVIZ_LANG)"
    )
    args = parser.parse_args(argv)
    from convviz.gui.common import i18n  # QtCore only: the QApplication is made below

    unknown = sorted(set(args.languages or ()) - set(i18n.LANGUAGES))
    if unknown:
        parser.error(f"--languages: {', '.join(unknown)} is not one of {', '.join(i18n.LANGUAGES)}")
    QtCore.QCoreApplication.setAttribute(QtCore.Qt.AA_EnableHighDpiScaling, True)
    app = QtWidgets.QApplication([sys.argv[0]])
    from convviz.gui.common import theme

    theme.apply_app_style(app)
    screen = app.primaryScreen().availableGeometry()
    tag = args.tag or f"{screen.width()}x{screen.height()}"
    found = []
    for language in args.languages or [i18n.initial_language()]:  # as python main.py does by default
        i18n.set_language(language)
        found += check_window(app, args.out, f"{tag}-{language}" if args.languages else tag)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
