"""Screenshots of issue 9's views in the real window: the evaluation view and the saliency overlay.

Run it under a virtual X server, from the repository root, one screen size per run::

    xvfb-run -a -s "-screen 0 1280x800x24" python docs/explain_screenshots.py --out docs
    xvfb-run -a -s "-screen 0 1024x768x24" python docs/explain_screenshots.py --out /tmp/shots --tag 1024x768

It opens the window as ``python main.py`` does (maximised, the language of
``$CONVVIZ_LANG`` or the system), waits for the pretrained model and the
confusion of the 10,000 test images, clicks the commonest mistake's cell and
grabs the screen (``evaluation.png``); then draws a "3", ticks "use drawing" in
the saliency tab, chooses occlusion and grabs the screen again (``saliency.png``).
With ``--tag`` the files are ``evaluation-<tag>.png`` and ``saliency-<tag>.png``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PyQt5 import QtCore, QtWidgets


def wait_until(app, condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} s for {what}")
        app.processEvents(QtCore.QEventLoop.AllEvents, 20)
        time.sleep(0.005)


def settle(app, seconds: float = 0.5) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents(QtCore.QEventLoop.AllEvents, 20)
        time.sleep(0.005)


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default="docs", help="folder for the PNG files")
    parser.add_argument("--tag", default="", help="suffix of the file names (e.g. the screen size)")
    parser.add_argument("--arch", default="cnn")
    parser.add_argument("--method", default="occlusion", help="occlusion, gradient or gradient_x_input")
    args = parser.parse_args(argv)
    QtCore.QCoreApplication.setAttribute(QtCore.Qt.AA_EnableHighDpiScaling, True)
    app = QtWidgets.QApplication([sys.argv[0]])
    from convviz.gui import i18n, theme
    from convviz.gui.app import MainWindow
    from tests.gui.strokes import THREE_STROKE, send_stroke

    theme.apply_app_style(app)
    i18n.set_language(i18n.initial_language())
    window = MainWindow(arch=args.arch, data_dir=os.environ.get("CONVVIZ_DATA_DIR"))
    window.showMaximized()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    suffix = f"-{args.tag}" if args.tag else ""

    window.show_panel("Evaluation")
    wait_until(app, lambda: window.evaluation.confusion() is not None, 180, "the confusion matrix")
    matrix = window.evaluation.matrix_shown()
    off = matrix.copy()
    np.fill_diagonal(off, 0)
    true, pred = np.unravel_index(off.argmax(), off.shape)
    window.evaluation.show_cell(int(true), int(pred))
    settle(app)
    app.primaryScreen().grabWindow(0).save(str(out / f"evaluation{suffix}.png"))

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
    print(f"saved {out / f'evaluation{suffix}.png'} and {out / f'saliency{suffix}.png'}")
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
