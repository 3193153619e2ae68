"""The "Nearest digits" panel in the real window: a screenshot with a continental digit drawn, and a fit check.

Run it under a virtual X server, from the repository root::

    xvfb-run -a -s "-screen 0 1024x768x24" python docs/shift_screenshot.py --out docs
    CONVVIZ_LANG=de xvfb-run -a -s "-screen 0 1024x768x24" python docs/shift_screenshot.py --name shift-de.png

It opens the window as ``python main.py`` does (maximised, the language of
``$CONVVIZ_LANG`` or the system), waits for the pretrained model and MNIST, shows
the panel, draws a digit on the pad with the mouse (a crossed 7 by default: the
strokes of :mod:`convviz.strokes`, the pad's pen), ticks "difference" and grabs
the screen. Prints one JSON line (the answer, the nearest labels, problems:
a scrolling page or overlapping labels); exit status 1 when anything does not fit.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from PyQt5 import QtCore, QtWidgets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "docs"))


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="docs", help="folder for the PNG")
    parser.add_argument("--name", default="shift.png", help="file name of the PNG")
    parser.add_argument("--arch", default="cnn")
    parser.add_argument("--digit", type=int, default=7)
    parser.add_argument("--style", default="crossed", help="a style of convviz.strokes.STYLES")
    parser.add_argument("--seed", type=int, default=1, help="the hand's variation")
    parser.add_argument("--cls", type=int, default=None, help="compare with this class (default: the predicted)")
    parser.add_argument("--no-difference", action="store_true", help="the average digit instead of drawing − average")
    args = parser.parse_args(argv)
    QtCore.QCoreApplication.setAttribute(QtCore.Qt.AA_EnableHighDpiScaling, True)
    app = QtWidgets.QApplication([sys.argv[0]])
    from explain_screenshots import open_window, page_problems, settle, wait_until

    from convviz import strokes
    from convviz.gui.common import i18n
    from convviz.gui.panels.shift import SHIFT_TITLE
    from tests.gui.strokes import send_stroke

    window = open_window(app, args.arch)
    wait_until(app, lambda: window.state.data is not None and window.state.model is not None, 180, "model and MNIST")
    window.show_panel(SHIFT_TITLE)
    panel = window.shift
    lines, _pen = strokes.digit_strokes(args.digit, args.style, np.random.RandomState(args.seed), strokes.PAD_LIKE)
    for line in lines:
        send_stroke(window.drawpad.canvas, [tuple(point) for point in line])
    if args.cls is not None:
        panel.widget.set_selected_class(args.cls)
    panel.widget.difference_check.setChecked(not args.no_difference)
    wanted = args.cls
    wait_until(
        app,
        lambda: panel.widget.shown() is not None and (wanted is None or panel.widget.shown().cls == wanted),
        60,
        "the nearest digits",
    )
    settle(app, 1.0)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app.primaryScreen().grabWindow(0).save(str(out / args.name))
    result = panel.widget.shown()
    screen = app.primaryScreen().availableGeometry()
    found = page_problems(panel.widget, "nearest digits")
    report = {
        "screen": [screen.width(), screen.height()],
        "language": i18n.language(),
        "compared_with": result.cls,
        "predicted": result.cls_is_predicted,
        "nearest_labels": result.nearest.labels.tolist(),
        "nearest_distances": [round(float(d), 2) for d in result.nearest.distances],
        "class_distances": [round(float(d), 2) for d in result.class_nearest.distances],
        "seconds": round(result.seconds, 3),
        "file": str(out / args.name),
        "problems": found,
    }
    print(json.dumps(report))
    window.close()
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
