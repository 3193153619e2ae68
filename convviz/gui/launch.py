"""``python main.py``: the application object, the window, and a clean exit on Ctrl+C."""

from __future__ import annotations

import os
import signal
import sys

from PyQt5 import QtCore, QtWidgets

from convviz.gui import theme
from convviz.gui.app import MainWindow

SIGNAL_POLL_MS = 250  # how often Python gets a chance to see Ctrl+C


def main(argv: list | None = None) -> int:
    """Open the window and run the event loop; the exit status of the application."""
    argv = list(argv or [])
    app = QtWidgets.QApplication.instance()
    if app is None:
        # Sharp text on high-DPI laptops and projectors.
        QtCore.QCoreApplication.setAttribute(QtCore.Qt.AA_EnableHighDpiScaling, True)
        QtCore.QCoreApplication.setAttribute(QtCore.Qt.AA_UseHighDpiPixmaps, True)
        app = QtWidgets.QApplication([sys.argv[0], *argv])
    app.setApplicationName("ConvViz")
    theme.apply_app_style(app)
    window = MainWindow()
    window.showMaximized()  # a lecture wants the whole screen; F11 goes full screen
    # Ctrl+C in the terminal closes the window cleanly. Python runs its signal handlers only
    # between bytecodes, so a timer wakes the interpreter now and then while Qt waits for events.
    signal.signal(signal.SIGINT, lambda *_: window.close())
    wake = QtCore.QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(SIGNAL_POLL_MS)
    code = app.exec_()
    wake.stop()
    if not window.shutdown():  # closed already; a thread that outlived the wait would crash the exit
        sys.stderr.flush()
        os._exit(code)
    return code
