"""What the screenshot scripts in docs/ share: open the window as ``python main.py`` does, wait for it,
let it settle, and grab a widget to a PNG.

Only PyQt5 is imported here at once: a script sets Qt's attributes before it makes the QApplication,
and the app's modules come after.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Callable

from PyQt5 import QtCore, QtWidgets

WAIT_S = 180  # the pretrained model and MNIST load in seconds; on two busy cores in a minute or more


def wait_until(
    app: QtWidgets.QApplication, condition: Callable[[], object], timeout: float, what: str, nap: float = 0.005
) -> None:
    """Run the event loop until ``condition()`` holds; ``TimeoutError`` naming ``what`` after ``timeout`` s.
    ``nap``: the pause between two rounds (a benchmark that times the window naps less)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} s for {what}")
        app.processEvents(QtCore.QEventLoop.AllEvents, 20)
        time.sleep(nap)


def settle(app: QtWidgets.QApplication, seconds: float = 0.5, nap: float = 0.005) -> None:
    """Run the event loop for ``seconds``: resizes, repaints and queued signals land."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents(QtCore.QEventLoop.AllEvents, 20)
        time.sleep(nap)


def grab(widget: QtWidgets.QWidget, path: Path, max_bytes: int | None = None) -> None:
    """The widget's picture as a PNG at ``path``; over half of ``max_bytes``, reduced to a 256-colour palette."""
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    if max_bytes is not None and path.stat().st_size > max_bytes // 2:
        from PIL import Image

        with Image.open(path) as image:
            small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        small.save(path, optimize=True)
    print(f"{path}  ({path.stat().st_size // 1024} KB)")


def check_arguments(description: str, out_help: str, argv: list | None) -> argparse.Namespace:
    """``--out`` (a folder; none: no pictures), ``--check`` (only the fit) and ``--arch``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", default="", help=out_help)
    parser.add_argument("--check", action="store_true", help="only check the fit, save nothing")
    parser.add_argument("--arch", default="cnn")
    return parser.parse_args(argv)


def open_checked_window(arch: str) -> tuple:
    """The app and its window as ``python main.py`` opens them (high-DPI scaling, the app's style, the language
    of ``$CONVVIZ_LANG``), maximized, with the pretrained ``arch`` and MNIST loaded and the Loss tab shown.

    Returns ``(app, window, screen, baseline)``: ``screen`` the available geometry, ``baseline`` the set of
    docs/screen_check.py's problems the window has there on its own, before a script shows its panels.
    """
    QtCore.QCoreApplication.setAttribute(QtCore.Qt.AA_EnableHighDpiScaling, True)
    app = QtWidgets.QApplication([sys.argv[0]])
    from convviz.gui.common import i18n, theme
    from convviz.gui.window.app import MainWindow
    from docs.screen_check import problems

    theme.apply_app_style(app)
    i18n.set_language(i18n.initial_language())
    screen = app.primaryScreen().availableGeometry()
    window = MainWindow(arch=arch, data_dir=os.environ.get("CONVVIZ_DATA_DIR"))
    window.showMaximized()
    wait_until(app, lambda: window.model() is not None and window.data() is not None, WAIT_S, "the model and MNIST")
    window.show_panel("loss")
    settle(app, 0.3)
    return app, window, screen, set(problems(window, screen))
